#!/usr/bin/env bash
# Exhaustion: a machine of 8 MiB runs out of frames (the OOM killer takes
# the largest process, counted and traced, or ENOMEM under overcommit 2),
# max_map_count runs out, pids run out (32768: more than 10000 processes
# at once), and each time the daemon keeps serving, `check` stays green and
# once the processes are gone every frame is free again.
. "$(dirname "$0")/lib.sh"
mount_mmufs --mem 8M

nr_free() { free_frames; }	# nr_free_pages + the pcp lists
# nr_free_settled - nr_free once the empty slabs the objects of exited
# processes and unmapped vmas leave are returned (drop_caches 2).
nr_free_settled() { echo 2 >"$MNT/sys/vm/drop_caches"; nr_free; }
vmstat_of() { awk -v k="$1" '$1 == k { print $2 }' "$MNT/vmstat"; }
free0=$(nr_free)

# ---- out of frames, overcommit 0: the OOM killer ----
# Three children with 512 KiB, 1 MiB and 1.5 MiB written, then a fourth
# that writes until frames run out: the victim is the one with the largest
# RSS, the writer itself.
python3 - "$MNT" <<'EOF' || fail "OOM scenario"
import os, sys
mnt = sys.argv[1]
def ctl(pid, cmd):
    fd = os.open("%s/%s/ctl" % (mnt, pid) if pid else mnt + "/ctl", os.O_RDWR)
    try:
        os.write(fd, (cmd + "\n").encode())
        return os.read(fd, 4096).decode().strip()
    except OSError as e:
        return "errno %d" % e.errno
    finally:
        os.close(fd)
kids = []
for kib in (512, 1024, 1536):
    c = ctl(1, "fork")
    a = ctl(c, "mmap 0 %dK rw- private" % kib)
    assert ctl(c, "touch %s %dK w" % (a, kib)).split()[0] == str(kib // 4), c
    kids.append(c)
hog = ctl(1, "fork")
a = ctl(hog, "mmap 0 6M rw- private")
r = ctl(hog, "touch %s 6M w" % a)
# The hog grows past every other process: it is the victim (its access
# fails with ENOMEM and it dies of SIGKILL), and the others live on.
assert r == "errno 12", r
status = ctl(1, "wait %s" % hog)
assert status == "%s 9" % hog, status
for c in kids:
    assert open("%s/%s/stat" % (mnt, c)).read().split()[2] != "Z", c
    assert ctl(c, "exit") == "0"
    assert ctl(1, "wait %s" % c) == "%s 0" % c
EOF
[ "$(vmstat_of oom_kill)" -ge 1 ] || fail "oom_kill not counted"
grep -q 'mark_victim' "$MNT/trace" || fail "no mark_victim line in the trace"
check_machine
assert_eq "$(nr_free_settled)" "$free0" "free frames after the OOM scenario"

# ---- overcommit 2: ENOMEM up front, nothing killed ----
echo 2 >"$MNT/sys/vm/overcommit_memory"
kills=$(vmstat_of oom_kill)
ctl_err 1 "mmap 0 64M rw- private" ENOMEM
c=$(ctl 1 fork)
ctl_err "$c" "mmap 0 64M rw- private" ENOMEM
ctl "$c" exit >/dev/null
ctl 1 "wait $c" >/dev/null
assert_eq "$(vmstat_of oom_kill)" "$kills" "kills under overcommit 2"
echo 0 >"$MNT/sys/vm/overcommit_memory"
check_machine

# ---- max_map_count ----
echo 100 >"$MNT/sys/vm/max_map_count"
c=$(ctl 1 fork)
python3 - "$MNT/$c/ctl" <<'EOF' || fail "max_map_count scenario"
import errno, os, sys
fd = os.open(sys.argv[1], os.O_RDWR)
n = 0
while True:
    prot = "r--" if n % 2 else "---"
    try:
        os.write(fd, b"mmap %d 4K %s private|fixed\n" % (0x10000000 + n * 4096, prot.encode()))
    except OSError as e:
        assert e.errno == errno.ENOMEM, e
        break
    os.read(fd, 100)
    n += 1
    assert n < 1000
# Linux's do_mmap refuses once map_count > max_map_count: with the stack,
# 100 mappings fit and the 101st vma was the last.
assert n == 100, n
EOF
assert_eq "$(grep -vc vsyscall "$MNT/$c/maps")" 101 "vmas at max_map_count"
ctl "$c" exit >/dev/null
ctl 1 "wait $c" >/dev/null
echo 65530 >"$MNT/sys/vm/max_map_count"
check_machine
assert_eq "$(nr_free_settled)" "$free0" "free frames after max_map_count"
fusermount3 -u "$MNT"
wait "$DAEMON" 2>/dev/null || true
DAEMON=

# ---- pids run out: 32764 processes at once (init, kthreadd and kswapd0
# hold 1..3), then EAGAIN; each holds a 16 KiB kernel stack (2 GiB: its
# pgd, tables, stack and slab objects take some 9 frames) ----
mount_mmufs --mem 2G
free0=$(nr_free)
pt0=$(awk '$1 == "nr_page_table_pages" { print $2 }' "$MNT/vmstat")
python3 - "$MNT" <<'EOF' || fail "pid exhaustion scenario"
import errno, os, sys
mnt = sys.argv[1]
fd = os.open(mnt + "/1/ctl", os.O_RDWR)
kids = []
while True:
    try:
        os.write(fd, b"fork\n")
    except OSError as e:
        assert e.errno == errno.EAGAIN, e
        break
    kids.append(int(os.read(fd, 100)))
assert len(kids) == 32764, len(kids)
assert len([d for d in os.listdir(mnt) if d.isdigit()]) == 32767
mfd = os.open(mnt + "/ctl", os.O_RDWR)
for k in kids:
    os.write(mfd, b"kill %d\n" % k)
    os.write(fd, b"wait %d\n" % k)
    assert os.read(fd, 100).split()[1] == b"15"
EOF
check_machine
# The kernel page tables made for the stacks' vmalloc areas stay, as
# Linux's do.
pt=$(awk '$1 == "nr_page_table_pages" { print $2 }' "$MNT/vmstat")
[ "$pt" -gt "$pt0" ] || fail "no page tables for the stacks"
assert_eq "$(nr_free_settled)" $((free0 - (pt - pt0))) "free frames after 32764 processes"
pid=$(ctl 1 fork)
[ "$pid" -ge 300 ] || fail "pids wrap to 300 past pid_max, got $pid"
check_machine
echo ok
