#!/usr/bin/env bash
# cgroup/: memory groups as cgroup v2 shows them (mkdir, rmdir,
# cgroup.procs, the limits and counters), a group at memory.max reclaiming
# its own pages to swap and OOM-killing inside itself, and the textbook
# replacement policies giving, access by access, the hits, misses and
# resident pages of the textbook algorithms (checked against a reference
# simulator written here) -- Belady's anomaly included.
. "$(dirname "$0")/lib.sh"
mount_mmufs --mem 64M --swap 64M
CG=$MNT/cgroup

# ---- the tree ----
assert_eq "$(ls "$CG" | tr '\n' ' ')" "cgroup.procs memory.reclaim memory.stat " \
	"the root group's files"
assert_eq "$(cat "$CG/cgroup.procs" | tr '\n' ' ')" "1 2 3 " "root's processes"
mkdir "$CG/g"
assert_eq "$(ls "$CG/g" | tr '\n' ' ')" "cgroup.procs memory.current memory.events memory.high memory.max memory.reclaim memory.stat memory.swap.current memory.swap.max " \
	"a group's files"
assert_eq "$(stat -c %a "$CG/g")" 755 "a group's directory mode"
assert_eq "$(stat -c %a "$CG/g/memory.max") $(stat -c %a "$CG/g/memory.reclaim")" \
	"644 200" "modes of memory.max and memory.reclaim"
assert_eq "$(cat "$CG/g/memory.max") $(cat "$CG/g/memory.high") $(cat "$CG/g/memory.swap.max")" \
	"max max max" "limits unset"
assert_eq "$(cat "$CG/g/memory.current")" 0 "an empty group"
mkdir "$CG/g" 2>/dev/null && fail "mkdir of an existing group"
mkdir "$CG/memory.x" 2>/dev/null && fail "a group named like a file"
mkdir "$MNT/sys/x" 2>/dev/null && fail "mkdir outside cgroup/"
rmdir "$CG" 2>/dev/null && fail "rmdir of the root group"
cat "$CG/g/memory.reclaim" 2>/dev/null && fail "memory.reclaim read"
for bad in lots -1 "" 12Q; do
	echo "$bad" >"$CG/g/memory.max" 2>/dev/null && fail "memory.max took '$bad'"
done
echo 4M >"$CG/g/memory.max"
assert_eq "$(cat "$CG/g/memory.max")" 4194304 "memory.max in bytes"

# ---- a process in the group ----
p=$(ctl 1 fork)
echo "$p" >"$CG/g/cgroup.procs"
assert_eq "$(cat "$CG/g/cgroup.procs")" "$p" "the group's process"
grep -qx "$p" "$CG/cgroup.procs" && fail "the process is still listed in the root"
echo 2 >"$CG/g/cgroup.procs" 2>/dev/null && fail "a kernel thread moved"
echo 99999 >"$CG/g/cgroup.procs" 2>/dev/null && fail "a missing pid moved"
a=$(ctl "$p" "mmap 0 16M rw- private")
ctl "$p" "touch $a 16M w" >/dev/null
cur=$(cat "$CG/g/memory.current")
[ "$cur" -le 4194304 ] || fail "memory.current $cur above memory.max"
stat_of() { awk -v k="$2" '$1 == k { print $2 }' "$1/memory.stat"; }
[ "$(cat "$CG/g/memory.swap.current")" -gt 0 ] || fail "nothing swapped"
[ "$(stat_of "$CG/g" pswpout)" -gt 0 ] || fail "no pswpout in memory.stat"
[ "$(stat_of "$CG/g" pgsteal_direct)" -gt 0 ] || fail "no group reclaim counted"
[ "$(awk '$1 == "max" { print $2 }' "$CG/g/memory.events")" -gt 0 ] ||
	fail "no max event"
assert_eq "$(stat_of "$CG/g" anon)" "$(( $(stat_of "$CG/g" inactive_anon) + $(stat_of "$CG/g" active_anon) ))" \
	"anon = its LRU lists"
# Reading the pages back: the data survived swap (a value per page).
ctl "$p" "store $a 'first page'" >/dev/null
ctl "$p" "store $((a + 0xfff000)) 'last page'" >/dev/null
ctl "$p" "touch $a 16M r" >/dev/null
assert_eq "$(ctl "$p" "load $a 10")" "$(printf 'first page' | xxd -p)" "data after swap"
assert_eq "$(ctl "$p" "load $((a + 0xfff000)) 9")" "$(printf 'last page' | xxd -p)" \
	"data of the last page"
check_machine

# memory.reclaim and memory.high take the group down; the root's
# memory.stat counts its descendants.
before=$(cat "$CG/g/memory.current")
echo 1M >"$CG/g/memory.reclaim"
after=$(cat "$CG/g/memory.current")
[ "$after" -le $((before - 1048576)) ] || fail "memory.reclaim: $before -> $after"
echo 2M >"$CG/g/memory.high"
[ "$(cat "$CG/g/memory.current")" -le 2097152 ] || fail "memory.high not reclaimed to"
[ "$(stat_of "$CG" anon)" -ge "$(stat_of "$CG/g" anon)" ] ||
	fail "the root's memory.stat leaves out its child"
rmdir "$CG/g" 2>/dev/null && fail "rmdir of a group with a process"

# A group without swap at its limit OOM-kills inside itself only.
mkdir "$CG/g/tight"
echo 1M >"$CG/g/tight/memory.max"
echo 0 >"$CG/g/tight/memory.swap.max"
q=$(ctl 1 fork)
echo "$q" >"$CG/g/tight/cgroup.procs"
b=$(ctl "$q" "mmap 0 4M rw- private")
ctl_err "$q" "touch $b 4M w" ENOMEM
assert_eq "$(ctl 1 "wait $q")" "$q 9" "the group's process was OOM-killed"
assert_eq "$(awk '$1 == "oom_kill" { print $2 }' "$CG/g/tight/memory.events")" 1 \
	"oom_kill in the group's memory.events"
assert_eq "$(awk '$1 == "oom_kill" { print $2 }' "$CG/g/memory.events")" 1 \
	"and in its parent's (hierarchical)"
[ "$(awk '{ print $3 }' "$MNT/$p/stat")" != Z ] || fail "a process outside the group died"
rmdir "$CG/g/tight"
ctl "$p" exit >/dev/null
ctl 1 "wait $p" >/dev/null
rmdir "$CG/g"
[ ! -e "$CG/g" ] || fail "rmdir left the group"
check_machine

# ---- textbook policies, access by access ----
# For each policy and frame count, a fresh group of N frames and a fresh
# process touch the pages of a reference string one at a time; after each
# access, the fault count (1: a miss) and the pages present (pagemap) must
# be the reference simulator's.
python3 - "$MNT" <<'EOF' || fail "textbook policies"
import os, random, struct, sys
mnt = sys.argv[1]
BASE, NPAGES = 0x10000000, 8

def ctl(pid, cmd):
    fd = os.open("%s/%s/ctl" % (mnt, pid), os.O_RDWR)
    try:
        os.write(fd, (cmd + "\n").encode())
        return os.read(fd, 4096).decode().strip()
    finally:
        os.close(fd)

def put(path, value):
    with open(os.path.join(mnt, path), "w") as f:
        f.write(value)

def simulate(policy, refs, frames, victims=None):
    """The textbook algorithm: per access, (miss, resident set); the
    pages evicted, in order, appended to victims."""
    mem, out, clock_ref = [], [], {}
    for i, r in enumerate(refs):
        miss = r not in mem
        if miss and len(mem) == frames:
            if policy == "opt":	# ties: the last in memory order
                best = -1
                for p in mem:
                    when = refs.index(p, i + 1) if p in refs[i + 1:] \
                        else len(refs)
                    if when >= best:
                        best, victim = when, p
            elif policy == "clock":
                while clock_ref[mem[0]]:
                    clock_ref[mem[0]] = 0
                    mem.append(mem.pop(0))
                victim = mem[0]
            else:		# fifo; lru keeps mem in recency order
                victim = mem[0]
            mem.remove(victim)
            if victims is not None:
                victims.append(victim)
        if miss:
            mem.append(r)
        elif policy == "lru":
            mem.remove(r)
            mem.append(r)
        clock_ref[r] = 1
        out.append((miss, sorted(mem)))
    return out

def present(pid):
    with open("%s/%d/pagemap" % (mnt, pid), "rb") as f:
        f.seek(BASE // 4096 * 8)
        ents = struct.unpack("<%dQ" % NPAGES, f.read(8 * NPAGES))
    return [i for i, e in enumerate(ents) if e >> 63]

def run(policy, refs, frames):
    put("sys/vm/mmufs_reclaim_policy", policy)
    os.mkdir("%s/cgroup/t" % mnt)
    put("cgroup/t/memory.max", str(frames * 4096))
    pid = int(ctl(1, "fork"))
    put("cgroup/t/cgroup.procs", str(pid))
    ctl(pid, "mmap %#x %d rw- private,fixed" % (BASE, NPAGES * 4096))
    got = []
    for r in refs:
        faults = int(ctl(pid, "touch %#x 1 r" % (BASE + r * 4096)).split()[0])
        got.append((faults > 0, present(pid)))
    ctl(pid, "exit")
    ctl(1, "wait %d" % pid)
    os.rmdir("%s/cgroup/t" % mnt)
    return got

belady = [1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5]
misses = {n: sum(m for m, _ in run("fifo", belady, n)) for n in (3, 4)}
assert misses == {3: 9, 4: 10}, ("Belady's anomaly under fifo", misses)
rng = random.Random(7)
strings = [belady, [rng.randrange(NPAGES) for _ in range(120)],
           [0, 1, 2, 0, 3, 0, 4, 2, 3, 0, 3, 2, 1, 2, 0, 1, 7, 0, 1]]
for policy in ("fifo", "lru", "clock"):
    for refs in strings:
        for frames in (3, 4, 5):
            want = simulate(policy, refs, frames)
            got = run(policy, refs, frames)
            for i, (g, w) in enumerate(zip(got, want)):
                assert g == w, (policy, frames, i, refs[i], "got", g, "want", w)
put("sys/vm/mmufs_reclaim_policy", "linux")

# One replay per string: `replay --map --frames N --policy P`, in a fresh
# process; its faults, in order (trace: page_fault), are the misses, and
# its evictions (mm_vmscan_evict) the victims of the simulator -- for opt
# too, which only a replay can run (it reads the whole trace first).
pipe = os.open(mnt + "/trace_pipe", os.O_RDONLY | os.O_NONBLOCK)

def drain():
    data = b""
    while True:
        try:
            chunk = os.read(pipe, 65536)
        except BlockingIOError:
            return data.decode()
        if not chunk:
            return data.decode()
        data += chunk

def events(text, kind):
    return [l for l in text.splitlines() if (": %s: " % kind) in l]

def address(line):
    return int(line.split("address=")[1].split()[0], 16)

TRACE = mnt + ".refs"
for policy in ("fifo", "lru", "clock", "opt"):
    for refs in strings:
        for frames in (3, 4):
            victims = []
            want = simulate(policy, refs, frames, victims)
            with open(TRACE, "w") as f:
                f.writelines("R %#x\n" % (BASE + r * 4096) for r in refs)
            pid = int(ctl(1, "fork"))
            drain()
            res = ctl(pid, "replay --map --frames %d --policy %s %s simple"
                      % (frames, policy, TRACE)).split()
            res = dict(zip(res[::2], map(float, res[1::2])))
            text = drain()
            misses = [r for r, (m, _) in zip(refs, want) if m]
            assert res["accesses"] == len(refs), res
            assert res["hits"] == len(refs) - len(misses), (policy, frames, res)
            assert res["minor"] + res["major"] == len(misses), res
            assert res["evictions"] == len(victims), (policy, frames, res)
            got = [(address(l) - BASE) // 4096
                   for l in events(text, "page_fault")]
            assert got == misses, (policy, frames, "faults", got, misses)
            got = [(address(l) - BASE) // 4096
                   for l in events(text, "mm_vmscan_evict")]
            assert got == victims, (policy, frames, "victims", got, victims)
            ctl(pid, "exit")
            ctl(1, "wait %d" % pid)
os.unlink(TRACE)
os.close(pipe)
assert open(mnt + "/sys/vm/mmufs_reclaim_policy").read() == "linux\n"
assert not any(d.startswith("replay-") for d in os.listdir(mnt + "/cgroup"))
EOF
assert_eq "$(cat "$MNT/sys/vm/mmufs_reclaim_policy")" linux "the policy back"
echo opt >"$MNT/sys/vm/mmufs_reclaim_policy" 2>/dev/null &&
	fail "opt outside a replay"
echo nosuch >"$MNT/sys/vm/mmufs_reclaim_policy" 2>/dev/null && fail "a bad policy"
grep -q 'mm_vmscan_evict: .* policy=fifo' "$MNT/trace" || fail "no fifo eviction traced"
check_machine
