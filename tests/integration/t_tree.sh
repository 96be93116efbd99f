#!/usr/bin/env bash
# The tree: entries, modes, sizes, threads under task/, frames/, cpuN/,
# sysctls read and written, and reset; frames/ listed up to its bound on a
# bigger machine.
. "$(dirname "$0")/lib.sh"
mount_mmufs --mem 32M --cpus 2

mode() { stat -c %a "$1"; }
assert_eq "$(ls "$MNT" | grep -c '^[0-9]')" 3 "pids at boot (init, kthreadd, kswapd0)"
for f in ctl meminfo vmstat buddyinfo zoneinfo pagetypeinfo slabinfo stat \
	uptime loadavg cpuinfo swaps kpageflags kpagecount physmem trace \
	trace_pipe dmesg machine frames sys cpu0 cpu1; do
	[ -e "$MNT/$f" ] || fail "no $f at the root"
done
[ ! -e "$MNT/cpu2" ] || fail "cpu2 on a 2-CPU machine"
assert_eq "$(mode "$MNT/ctl")" 600 "mode of ctl"
assert_eq "$(mode "$MNT/1/ctl")" 600 "mode of 1/ctl"
assert_eq "$(mode "$MNT/1/mem")" 600 "mode of mem"
assert_eq "$(mode "$MNT/1/pagemap")" 400 "mode of pagemap"
assert_eq "$(mode "$MNT/1/environ")" 400 "mode of environ"
assert_eq "$(mode "$MNT/1/maps")" 444 "mode of maps"
assert_eq "$(mode "$MNT/sys/vm/max_map_count")" 644 "mode of a sysctl"
assert_eq "$(mode "$MNT/sys/vm/drop_caches")" 200 "mode of drop_caches"
assert_eq "$(mode "$MNT/1")" 555 "mode of a pid directory"
assert_eq "$(stat -c %s "$MNT/meminfo")" 0 "size of a text file"
assert_eq "$(stat -c %s "$MNT/1/mem")" $((0x7ffffffff000)) "size of mem"
assert_eq "$(stat -c %s "$MNT/1/pagemap")" $((0x7ffffffff000 / 4096 * 8)) "size of pagemap"
assert_eq "$(stat -c %s "$MNT/kpageflags")" $((8192 * 8)) "size of kpageflags"
assert_eq "$(stat -c %s "$MNT/physmem")" $((32 << 20)) "size of physmem"
assert_eq "$(ls "$MNT/frames" | wc -l)" 8192 "frames/ entries"
assert_eq "$(ls "$MNT/frames" | sort -n | tail -1)" 8191 "last frame"
[ ! -e "$MNT/frames/8192" ] || fail "a frame past RAM"
# od -j seeks in a binary file (the size is its true extent).
[ "$(od -An -t x1 -j $((4096 * 256)) -N 4 "$MNT/physmem" | tr -d ' ')" = 00000000 ] ||
	fail "the zero page through physmem"

# Threads appear under task/ (and by tid), not in the root listing.
tid=$(ctl 1 thread)
assert_eq "$(ls "$MNT/1/task" | tr '\n' ' ')" "1 $tid " "task/ entries"
[ -e "$MNT/1/task/$tid/maps" ] || fail "task/$tid/maps"
ls "$MNT" | grep -qx "$tid" && fail "the thread is listed at the root"
cmp -s "$MNT/1/maps" "$MNT/1/task/$tid/maps" || fail "a thread's maps differ"
grep -q "^Threads:	2$" "$MNT/1/status" || fail "Threads: 2"

# schedule and the TLB files.
ctl machine "schedule $tid 1" >/dev/null
grep -q "^current: $tid " "$MNT/cpu1/tlb" || fail "cpu1 runs the thread"

# sysctls: read, write, refuse, and take effect.
assert_eq "$(cat "$MNT/sys/vm/max_map_count")" 65530 "max_map_count"
echo 3 >"$MNT/sys/vm/max_map_count"
assert_eq "$(cat "$MNT/sys/vm/max_map_count")" 3 "max_map_count after a write"
ctl 1 "mmap 0x10000000 4K r-- private|fixed" >/dev/null
ctl 1 "mmap 0x10002000 4K r-- private|fixed" >/dev/null
ctl 1 "mmap 0x10004000 4K r-- private|fixed" >/dev/null
ctl_err 1 "mmap 0x10006000 4K r-- private|fixed" ENOMEM
echo 65530 >"$MNT/sys/vm/max_map_count"
echo x >"$MNT/sys/vm/overcommit_memory" 2>/dev/null && fail "a non-number was accepted"
echo 3 >"$MNT/sys/vm/overcommit_memory" 2>/dev/null && fail "overcommit_memory 3 was accepted"
cat "$MNT/sys/vm/drop_caches" 2>/dev/null && fail "drop_caches was readable"
echo 1 >"$MNT/sys/vm/drop_caches"
grep -q '^drop_pagecache 1$' "$MNT/vmstat" || fail "drop_pagecache count"
echo 2 >"$MNT/sys/vm/overcommit_memory"
ctl_err 1 "mmap 0 64M rw- private" ENOMEM
echo 0 >"$MNT/sys/vm/overcommit_memory"
check_machine

# Per-cpu lists: frees put order-0 pages on the CPU's list (out of
# nr_free_pages, up to high), zoneinfo shows its count; the
# free-page tables of pagetypeinfo add up to buddyinfo's.
before=$(pcp_pages)
a=$(ctl 1 "mmap 0 64K rw- private")
ctl 1 "touch $a 64K w" >/dev/null
ctl 1 "munmap $a 64K" >/dev/null
[ "$(pcp_pages)" -gt "$before" ] || fail "the pcp counts did not grow: $before"
awk '$1 == "batch:" && $2 < 1 { exit 1 }' "$MNT/zoneinfo" || fail "a batch below 1"
buddy_sum() { awk '{ for (i = 5; i <= NF; i++) n += $i * 2 ^ (i - 5) } END { print n + 0 }' "$MNT/buddyinfo"; }
ptype_sum() { awk '/^Node .*type/ { for (i = 7; i <= NF; i++) n += $i * 2 ^ (i - 7) } END { print n + 0 }' "$MNT/pagetypeinfo"; }
assert_eq "$(ptype_sum)" "$(buddy_sum)" "pagetypeinfo free pages = buddyinfo's"
assert_eq "$(buddy_sum)" "$(awk '$1 == "nr_free_pages" { print $2 }' "$MNT/vmstat")" "buddyinfo = nr_free_pages"
high0=$(awk '$1 == "high:" { print $2; exit }' "$MNT/zoneinfo")
echo 8 >"$MNT/sys/vm/percpu_pagelist_high_fraction"
assert_eq "$(cat "$MNT/sys/vm/percpu_pagelist_high_fraction")" 8 "percpu_pagelist_high_fraction"
[ "$(awk '$1 == "high:" { print $2; exit }' "$MNT/zoneinfo")" != "$high0" ] ||
	fail "high did not follow percpu_pagelist_high_fraction"
echo 0 >"$MNT/sys/vm/percpu_pagelist_high_fraction"
assert_eq "$(awk '$1 == "high:" { print $2; exit }' "$MNT/zoneinfo")" "$high0" "high back at fraction 0"
check_machine

# reset: a fresh machine; an open handle of the old one goes stale.
exec 7<"$MNT/1/maps"
ctl machine reset >/dev/null
assert_eq "$(ls "$MNT" | grep -c '^[0-9]')" 3 "pids after reset"
[ "$(wc -l <"$MNT/1/maps")" = 2 ] || fail "init after reset: $(cat "$MNT/1/maps")"
cat <&7 >/dev/null 2>&1 && fail "a handle from before reset still reads"
exec 7<&-
check_machine

# A bigger machine: frames/ lists its first 16384 frames only, so that du
# and find over the mount stay quick; every frame is still reachable by
# name.
fusermount3 -u "$MNT"
daemon_stopped "the unmount of the small machine"
mount_mmufs --mem 1G
assert_eq "$(ls "$MNT/frames" | wc -l)" 16384 "frames/ entries of a 1 GiB machine"
assert_eq "$(ls "$MNT/frames" | sort -n | tail -1)" 16383 "last frame listed"
grep -qx "pfn: 262143" "$MNT/frames/262143" || fail "the last frame by name"
[ ! -e "$MNT/frames/262144" ] || fail "a frame past RAM"
timeout 120 du -s "$MNT" >/dev/null || fail "du -s over the mount"
assert_eq "$(timeout 120 find "$MNT/frames" | wc -l)" 16385 "find over frames/"
check_machine
