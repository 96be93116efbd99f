#!/usr/bin/env bash
# NUMA nodes (--nodes 2 --cpus 2): buddyinfo, zoneinfo and pagetypeinfo
# have a block per node that add up to meminfo; the node/ files; a process
# on cpu1 faults pages in on node 1 (frames/<pfn>, numastat, numastat -p
# through the mount); exhausting
# node 1 falls back to node 0 (numa_miss there, numa_foreign on node 1);
# kswapd1 is a kernel thread that reclaims node 1; every frame is free
# after the processes exit.
. "$(dirname "$0")/lib.sh"
mount_mmufs --nodes 2 --cpus 2 --mem 64M --swap 64M

vmstat_of() { awk -v k="$1" '$1 == k { print $2 }' "$MNT/vmstat"; }
numastat_of() { awk -v k="$2" '$1 == k { print $2 }' "$MNT/node/node$1/numastat"; }

# ---- the layout: two nodes of 32 MiB, one CPU each ----
assert_eq "$(grep '^node:' "$MNT/machine")" "node: 0 0-8191 cpus 0
node: 1 8192-16383 cpus 1" "machine's nodes"
assert_eq "$(grep -c '^zone: .* node 1$' "$MNT/machine")" 1 "node 1's zones"
assert_eq "$(cat "$MNT/node/online")" "0-1" "node/online"
assert_eq "$(cat "$MNT/node/possible")" "0-1" "node/possible"
assert_eq "$(ls "$MNT/node" | tr '\n' ' ')" "node0 node1 online possible " "node/"
assert_eq "$(cat "$MNT/node/node0/cpulist")" 0 "node0/cpulist"
assert_eq "$(cat "$MNT/node/node1/cpulist")" 1 "node1/cpulist"
assert_eq "$(cat "$MNT/node/node0/distance")" "10 20" "node0/distance"
assert_eq "$(cat "$MNT/node/node1/distance")" "20 10" "node1/distance"
[ -e "$MNT/node/node2" ] && fail "node2 exists"

# ---- kswapd per node: pids 3 and 4, children of kthreadd ----
assert_eq "$(cat "$MNT/3/comm")" kswapd0 "pid 3"
assert_eq "$(cat "$MNT/4/comm")" kswapd1 "pid 4"
assert_eq "$(awk '{ print $4 }' "$MNT/4/stat")" 2 "kswapd1's parent"

# sums - buddyinfo, zoneinfo's free pages, pagetypeinfo's blocks and the
# nodes' meminfo agree with meminfo and vmstat, node by node.
sums() {
	"$PY" - "$MNT" <<'PY' || fail "per-node files disagree"
import re, sys
mnt = sys.argv[1]
def read(f):
    return open(mnt + "/" + f).read()
free = int(re.search(r"^nr_free_pages (\d+)$", read("vmstat"), re.M).group(1))
memfree = int(re.search(r"^MemFree: +(\d+) kB$", read("meminfo"), re.M).group(1))
memtotal = int(re.search(r"^MemTotal: +(\d+) kB$", read("meminfo"), re.M).group(1))
assert memfree == free * 4, (memfree, free)
bnode = {}
for line in read("buddyinfo").splitlines():
    m = re.match(r"Node (\d), zone +\w+ +((?:\d+ +)+)$", line)
    assert m, line
    n = sum(int(c) << o for o, c in enumerate(m.group(2).split()))
    bnode[int(m.group(1))] = bnode.get(int(m.group(1)), 0) + n
assert sorted(bnode) == [0, 1], bnode
assert sum(bnode.values()) == free, (bnode, free)
znode, cur, first = {}, None, {}
for line in read("zoneinfo").splitlines():
    m = re.match(r"Node (\d), zone +(\w+)$", line)
    if m:
        cur = int(m.group(1))
        continue
    if line.strip() == "per-node stats":
        first[cur] = first.get(cur, 0) + 1
    m = re.match(r"  pages free +(\d+)$", line)
    if m:
        znode[cur] = znode.get(cur, 0) + int(m.group(1))
assert znode == bnode, (znode, bnode)
assert first == {0: 1, 1: 1}, first
ptnode = set(int(n) for n in re.findall(r"^Node +(\d), zone", read("pagetypeinfo"), re.M))
assert ptnode == {0, 1}, ptnode
total = 0
for nid in (0, 1):
    t = read("node/node%d/meminfo" % nid)
    kv = dict((k, int(v)) for k, v in re.findall(r"^Node %d (\S+): +(\d+)" % nid, t, re.M))
    assert kv["MemFree"] == bnode[nid] * 4, (nid, kv["MemFree"], bnode[nid])
    assert kv["MemUsed"] == kv["MemTotal"] - kv["MemFree"]
    total += kv["MemTotal"]
assert total == memtotal, (total, memtotal)
PY
}
PY=$(command -v python3) || skip "no python3"
sums
check_machine
free0=$(free_frames)

# ---- a process on cpu1 faults its pages in on node 1 ----
c=$(ctl 1 fork)
assert_eq "$c" 5 "the first fork after two kswapds"
ctl machine "schedule $c 1" >/dev/null
hit0=$(numastat_of 1 numa_hit)
local0=$(numastat_of 1 local_node)
a=$(ctl "$c" "mmap 0 4M rw- private")
assert_eq "$(faults "$c" "touch $a 4M w")" 1024 "faults of 4 MiB"
pfn=$(pfn_of "$c" "$a")
[ "$pfn" -ge 8192 ] || fail "pfn $pfn of a page faulted on cpu1 is not on node 1"
grep -qx "node: 1" "$MNT/frames/$pfn" || fail "frames/$pfn: $(cat "$MNT/frames/$pfn")"
grep -qx "node: 0" "$MNT/frames/100" || fail "frames/100 is not on node 0"
[ $(($(numastat_of 1 numa_hit) - hit0)) -ge 1024 ] || fail "node 1's numa_hit"
[ $(($(numastat_of 1 local_node) - local0)) -ge 1024 ] || fail "node 1's local_node"
assert_eq "$(vmstat_of numa_miss)" 0 "numa_miss with room on node 1"
[ "$(awk '$1 == "Node" && $3 == "AnonPages:" { print $4 }' "$MNT/node/node1/meminfo")" -ge 4096 ] ||
	fail "node 1's AnonPages"
# numastat -p, unmodified, with the mount over /proc and node/ over
# /sys/devices/system/node: each node's total is numa_maps' N<node> pages.
if command -v numastat >/dev/null; then
	total=$(unshare -m --propagation private sh -c '
		mount --bind "$1" /proc && mount --bind "$1/node" /sys/devices/system/node &&
		numastat -p "$2"' sh "$MNT" "$c" | awk '$1 == "Total" { print $2, $3 }') ||
		fail "numastat -p $c"
	want=$(awk '{ for (i = 2; i <= NF; i++) if ($i ~ /^N[01]=/) { split($i, kv, "=");
		n[substr(kv[1], 2)] += kv[2] } }
		END { printf "%.2f %.2f", n[0] / 256, n[1] / 256 }' "$MNT/$c/numa_maps")
	assert_eq "$total" "$want" "numastat -p's node totals (MB)"
elif [ -n "${CI:-}" ]; then
	fail "numastat missing (numactl)"
fi
sums
check_machine

# ---- node 1 exhausted: the rest comes from node 0 ----
b=$(ctl "$c" "mmap 0 40M rw- private")
ctl "$c" "touch $b 40M w" >/dev/null
miss=$(numastat_of 0 numa_miss)
[ "$miss" -gt 0 ] || fail "no numa_miss on node 0"
assert_eq "$(numastat_of 1 numa_foreign)" "$miss" "node 1's numa_foreign"
assert_eq "$(numastat_of 0 other_node)" "$miss" "node 0's other_node"
assert_eq "$(vmstat_of numa_miss)" "$miss" "vmstat numa_miss"
assert_eq "$(vmstat_of numa_foreign)" "$miss" "vmstat numa_foreign"
last=$(pfn_of "$c" $((b + (40 << 20) - 4096)))
[ "$last" -lt 8192 ] || fail "the last page (pfn $last) is not on node 0"
sums
check_machine

# ---- beyond RAM: both kswapds reclaim their own node to swap ----
cat "$MNT/trace_pipe" >"$MNT.trace" &
reader=$!
trap 's=$?; set +e; kill $reader 2>/dev/null; rm -f "$MNT.trace"; (exit $s); cleanup' EXIT
d=$(ctl "$c" "mmap 0 40M rw- private")
ctl "$c" "touch $d 40M w" >/dev/null
assert_eq "$(vmstat_of oom_kill)" 0 "OOM kills"
[ "$(vmstat_of pgsteal_kswapd)" -gt 0 ] || fail "kswapd reclaimed nothing"
sleep 0.2
kill "$reader" 2>/dev/null || true
wait "$reader" 2>/dev/null || true
grep -Eq "^ *init-$c +\[001\] +[0-9.]+: mm_vmscan_kswapd_wake: nid=1$" "$MNT.trace" ||
	fail "no kswapd_wake of node 1"
grep -Eq "^ *kswapd1-4 +\[[0-9]+\] +[0-9.]+: mm_vmscan_kswapd_sleep: nid=1 nr_reclaimed=[1-9][0-9]*$" "$MNT.trace" ||
	fail "kswapd1 reclaimed nothing on node 1"
grep -Eq "^ *kswapd0-3 +\[[0-9]+\] +[0-9.]+: mm_vmscan_kswapd_sleep: nid=0 " "$MNT.trace" ||
	fail "kswapd0 did not run"
sums
check_machine

# ---- every frame free after the exit ----
ctl "$c" exit >/dev/null
ctl 1 "wait $c" >/dev/null
ctl machine "drop_caches 3" >/dev/null
assert_eq "$(free_frames)" "$free0" "free frames after the exit"
sums
check_machine

# ---- reset keeps the nodes ----
ctl machine reset >/dev/null
assert_eq "$(cat "$MNT/node/online")" "0-1" "node/online after reset"
assert_eq "$(cat "$MNT/4/comm")" kswapd1 "kswapd1 after reset"
check_machine
