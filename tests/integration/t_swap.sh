#!/usr/bin/env bash
# Swap as a user sees it, on a machine of 32 MiB with a 64 MiB swap area
# (--swap): /swaps in Linux's layout (the host's header is the same), a
# child that writes 48 MiB through its mem file and reads every byte
# back (kswapd and direct reclaim swap pages out, faults bring them back),
# and what every file says meanwhile: meminfo's Swap lines, vmstat's
# counters, pagemap's bit 62 with the area and slot, the pagetable's
# swap entries, smaps' Swap, status' VmSwap, a swapped-in page's frame in
# the swap cache, and trace_pipe's reclaim and swap-in events.  Then
# swapon and swapoff as a user types them, with their errors; psutil's
# swap_memory() through PROCFS_PATH; free and vmstat bound over /proc in
# a private mount namespace.  At the end every slot and frame is free.
. "$(dirname "$0")/lib.sh"
export LC_ALL=C
PY=/usr/bin/python3	# Debian's python, where python3-psutil lives

mount_mmufs --mem 32M --swap 64M

W=$(mktemp -d /tmp/mmufs-swap.XXXXXX)
trap 's=$?; set +e; rm -rf "$W"; (exit $s); cleanup' EXIT

meminfo() { field "$MNT/meminfo" "$1"; }
vmstat_of() { awk -v k="$1" '$1 == k { print $2 }' "$MNT/vmstat"; }
free0=$(free_frames)

# ---- /swaps: Linux's swap_show ----
# The header, then one line per area: the name padded to 40 columns, the
# type, Size and Used in KiB (the header page not counted), each with a
# second tab below 10000000, and the priority (-2: the first default).
hdr=$(printf 'Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority')
layout=$'^[^ \t]+ +(partition|file\t)\t[0-9]+\t\t?[0-9]+\t\t?-?[0-9]+$'
swap_line() {
	printf '%-40s%s\t%s\t\t%s\t\t%s' "$1" partition "$2" "$3" "$4"
}
assert_eq "$(head -n 1 "$MNT/swaps")" "$hdr" "swaps header"
if [ -r /proc/swaps ]; then
	assert_eq "$(head -n 1 /proc/swaps)" "$hdr" "the host's swaps header"
	while IFS= read -r l; do
		[[ $l =~ $layout ]] || fail "a host swaps line of another layout: $l"
	done < <(tail -n +2 /proc/swaps)
fi
line=$(tail -n +2 "$MNT/swaps")
assert_eq "$line" "$(swap_line /dev/swap0 65532 0 -2)" "the --swap area"
[[ $line =~ $layout ]] || fail "swaps line layout: $line"
assert_eq "$(meminfo SwapTotal) $(meminfo SwapFree) $(meminfo SwapCached)" \
	"65532 65532 0" "meminfo before"

# ---- 48 MiB written and read back through mem ----
# pages.py MEM ADDR write|read: each of the 48 MiB's pages holds a word
# made of its index at its start and at its end, zeroes between; written,
# or read back and compared, 1 MiB per system call.
cat >"$W/pages.py" <<'PY'
import struct, sys
path, base, mode = sys.argv[1], int(sys.argv[2], 0), sys.argv[3]
PAGES, CHUNK = 48 * 256, 256
def chunk(first):
    b = bytearray(CHUNK * 4096)
    for i in range(CHUNK):
        w = struct.pack("<Q", (first + i) * 0x9e3779b97f4a7c15 % 2**64)
        b[i * 4096:i * 4096 + 8] = w
        b[i * 4096 + 4088:i * 4096 + 4096] = w
    return bytes(b)
with open(path, "r+b", buffering=0) as f:
    for first in range(0, PAGES, CHUNK):
        f.seek(base + first * 4096)
        if mode == "write":
            assert f.write(chunk(first)) == CHUNK * 4096
        else:
            assert f.read(CHUNK * 4096) == chunk(first), \
                "pages %d.. differ" % first
PY
c=$(ctl 1 fork)
a=$(ctl "$c" "mmap 0 48M rw- private")
cat "$MNT/trace_pipe" >"$W/trace" &
reader=$!
"$PY" "$W/pages.py" "$MNT/$c/mem" "$a" write || fail "writing 48 MiB through mem"
assert_eq "$(vmstat_of oom_kill)" 0 "OOM kills while writing"
[ "$(vmstat_of pswpout)" -gt 4096 ] || fail "pswpout $(vmstat_of pswpout)"
[ "$(vmstat_of pgscan_kswapd)" -gt 0 ] || fail "kswapd scanned nothing"
[ "$(vmstat_of pgsteal_kswapd)" -gt 0 ] || fail "kswapd reclaimed nothing"
check_machine
in0=$(vmstat_of pswpin)
maj0=$(awk '{ print $12 }' "$MNT/$c/stat")
"$PY" "$W/pages.py" "$MNT/$c/mem" "$a" read ||
	fail "48 MiB read back through mem differ"
[ "$(vmstat_of pswpin)" -gt "$in0" ] || fail "reading back swapped nothing in"
[ "$(awk '{ print $12 }' "$MNT/$c/stat")" -gt "$maj0" ] ||
	fail "the swap-ins are not the child's major faults"
assert_eq "$(vmstat_of oom_kill)" 0 "OOM kills while reading"
check_machine
sleep 0.2
kill "$reader" 2>/dev/null || true
wait "$reader" 2>/dev/null || true

# trace_pipe: kswapd woken by the child's allocation and going back to
# sleep, evictions to swap slots, swap-ins of the child's addresses, and
# the refaults of pages read back (their shadows' distance).
ev() { grep -E "$1" "$W/trace" | head -n 1; }
[[ $(ev 'mm_vmscan_kswapd_wake') =~ \
   ^\ *init-$c\ +\[000\]\ +[0-9.]+:\ mm_vmscan_kswapd_wake:\ nid=0$ ]] ||
	fail "kswapd_wake line: $(ev mm_vmscan_kswapd_wake)"
[[ $(ev 'mm_vmscan_kswapd_sleep') =~ \
   ^\ *kswapd0-3\ +\[000\]\ +[0-9.]+:\ mm_vmscan_kswapd_sleep:\ nid=0\ nr_reclaimed=[0-9]+$ ]] ||
	fail "kswapd_sleep line: $(ev mm_vmscan_kswapd_sleep)"
[[ $(ev 'mm_vmscan_evict: .*swap=0:') =~ \
   mm_vmscan_evict:\ pfn=0x[0-9a-f]+\ address=0x[0-9a-f]+\ lru=inactive_anon\ swap=0:[0-9]+\ policy=linux\ workingset=[01]$ ]] ||
	fail "evict line: $(ev mm_vmscan_evict)"
[[ $(ev 'mm_swapin') =~ \
   ^\ *init-$c\ .*\ mm_swapin:\ address=0x7f[0-9a-f]+\ swap=0:[0-9]+\ pfn=0x[0-9a-f]+$ ]] ||
	fail "swapin line: $(ev mm_swapin)"
[[ $(ev 'mm_workingset_refault') =~ \
   mm_workingset_refault:\ pfn=0x[0-9a-f]+\ anon\ distance=[0-9]+\ activate=[01]\ restore=[01]$ ]] ||
	fail "refault line: $(ev mm_workingset_refault)"
[ "$(vmstat_of workingset_refault_anon)" -gt 0 ] || fail "no refault counted"

# ---- what the files say: every count agrees ----
"$PY" - "$MNT" "$c" "$a" <<'PY' || fail "the files disagree"
import re, struct, sys
mnt, pid, base = sys.argv[1], int(sys.argv[2]), int(sys.argv[3], 0)
def kv(path, sep=":"):
    d = {}
    for l in open(path):
        k, _, v = l.partition(sep)
        if v.split() and v.split()[0].lstrip("-").isdigit():
            d[k.strip()] = int(v.split()[0])
    return d
mi, vm = kv(mnt + "/meminfo"), kv(mnt + "/vmstat", " ")
st = kv("%s/%d/status" % (mnt, pid))
roll = kv("%s/%d/smaps_rollup" % (mnt, pid))
smaps = sum(int(l.split()[1]) for l in open("%s/%d/smaps" % (mnt, pid))
            if l.startswith("Swap:"))
swaps = open(mnt + "/swaps").read().splitlines()[1].split()
entries = []
with open("%s/%d/pagemap" % (mnt, pid), "rb") as f:
    f.seek(base // 4096 * 8)
    for i in range(48 * 256):
        e, = struct.unpack("<Q", f.read(8))
        if e >> 62 & 1:
            assert not e >> 63 & 1, hex(e)
            entries.append((base + i * 4096, e & 31, (e >> 5) & (2**50 - 1)))
n = len(entries)
assert n > 0, "nothing in swap"
assert st["VmSwap"] == n * 4, (st["VmSwap"], n)
assert roll["Swap"] == n * 4 and roll["SwapPss"] == n * 4, roll
assert smaps == n * 4, smaps
used = mi["SwapTotal"] - mi["SwapFree"]
assert int(swaps[3]) == used, (swaps, used)
# A slot in use is referenced by an entry, holds a cached page, or both
# (a page read ahead, not mapped yet).
assert mi["SwapCached"] == vm["nr_swapcached"] * 4, mi["SwapCached"]
assert max(n * 4, mi["SwapCached"]) <= used <= n * 4 + mi["SwapCached"], \
    (used, n, mi["SwapCached"])
assert vm["pgpgout"] == vm["pswpout"] * 4 and vm["pgpgin"] >= vm["pswpin"] * 4
# The pagetable names the same slots (x86-64's entry: the offset
# inverted in bits 9-58, the type from bit 59, P, PSE and PROTNONE clear).
pt = open("%s/%d/pagetable" % (mnt, pid)).read()
for va, t, off in entries[:64] + entries[-64:]:
    assert t == 0 and off > 0, (hex(va), t, off)
    m = re.search(r"^ +PT\[\d+\] %x-%x 0x([0-9a-f]{16}) swap 0:%d( exclusive)?$"
                  % (va, va + 4096, off), pt, re.M)
    assert m, "no pagetable line for %x slot %d" % (va, off)
    raw = int(m.group(1), 16)
    assert raw >> 59 == 0 and (~raw >> 9) & (2**50 - 1) == off, hex(raw)
    assert raw & 1 == 0 and raw & 0x180 == 0, hex(raw)
PY
check_machine

# first_swapped - the first page of the child's range in swap: its
# address and slot.
first_swapped() {
	"$PY" - "$MNT" "$c" "$a" <<'PY'
import struct, sys
mnt, pid, base = sys.argv[1], int(sys.argv[2]), int(sys.argv[3], 0)
with open("%s/%d/pagemap" % (mnt, pid), "rb") as f:
    f.seek(base // 4096 * 8)
    for i in range(48 * 256):
        e, = struct.unpack("<Q", f.read(8))
        if e >> 62 & 1:
            print(base + i * 4096, (e >> 5) & (2**50 - 1))
            break
PY
}

# A swapped page read back while more than half of the swap is in use
# leaves the swap cache and frees its slot (Linux's vm_swap_full); with
# less in use, the read keeps it there: its frame says which slot, and
# kpageflags has SWAPCACHE (bit 13).
swapin_frame() {
	local va off pfn f
	read -r va off < <(first_swapped)
	[ -n "$va" ] || fail "no swapped page left"
	ctl "$c" "load $va 8" >/dev/null
	pfn=$(pfn_of "$c" "$va")
	[ "$pfn" -gt 0 ] || fail "the page read back is not present"
	f=$(cat "$MNT/frames/$pfn")
	grep -qx 'state: anon' <<<"$f" || fail "frame state: $f"
	grep -qx "map: $c $(printf '%#x' "$va")" <<<"$f" || fail "frame map line: $f"
	if [ "$1" = kept ]; then
		grep -qx "swap: 0:$off" <<<"$f" || fail "frame swap line: $f"
		grep -q '^flags:.* swapcache' <<<"$f" || fail "frame flags: $f"
		(( ($(kpage kpageflags "$pfn") >> 13) & 1 )) || fail "kpageflags SWAPCACHE"
	else
		! grep -q '^swap:\|swapcache' <<<"$f" || fail "frame still cached: $f"
		(( !(($(kpage kpageflags "$pfn") >> 13) & 1) )) || fail "kpageflags SWAPCACHE"
	fi
}
[ $(( $(meminfo SwapFree) * 2 )) -lt 65532 ] || fail "swap is not half full"
swapin_frame freed
check_machine

# ---- swapon and swapoff ----
# The child's swapped pages outnumber free RAM: swapoff of area 0 fails
# with ENOMEM and changes nothing.
before=$(cat "$MNT/swaps" "$MNT/meminfo" "$MNT/$c/status" "$MNT/vmstat")
ctl_err machine "swapoff 0" ENOMEM
grep -q 'swapped pages do not fit in free memory' "$MNT/ctl" ||
	fail "swapoff's ENOMEM reason: $(cat "$MNT/ctl")"
assert_eq "$(cat "$MNT/swaps" "$MNT/meminfo" "$MNT/$c/status" "$MNT/vmstat")" \
	"$before" "the machine after a refused swapoff"
assert_eq "$(ctl machine 'swapon 16M 5')" 1 "swapon 16M 5"
assert_eq "$(tail -n 1 "$MNT/swaps")" "$(swap_line /dev/swap1 16380 0 5)" \
	"the new area"
assert_eq "$(meminfo SwapTotal)" $((65532 + 16380)) "SwapTotal with two areas"
# Each area's swap_map, a byte per slot, is a vmalloc area of swapon's,
# which the vmalloc command's vfree cannot free.
assert_eq "$(awk '/swapon/ { print $2, $3, $4 }' "$MNT/vmallocinfo")" \
	"$(printf '%s\n' "20480 __do_sys_swapon+0x0/0x0 pages=4" \
			"8192 __do_sys_swapon+0x0/0x0 pages=1")" \
	"vmallocinfo: the two swap_maps"
map0=$(awk '/swapon/ { sub(/-.*/, "", $1); print $1; exit }' "$MNT/vmallocinfo")
ctl_err machine "vfree $map0" EINVAL
assert_eq "$(cat "$MNT/ctl")" \
	"error EINVAL: vfree $map0: $map0 is an area of __do_sys_swapon" \
	"vfree of a swap_map: the reason"
# The resident pages of the range's last MiB go to the area of priority
# 5 (the child owns them alone: pageout takes them all).
last=$((a + 47 * 1024 * 1024))
ctl "$c" "touch $last 1M r" >/dev/null
ctl "$c" "madvise $last 1M pageout" >/dev/null
e=$(pagemap_entry "$c" "$last")
assert_eq "$(( (0x$e >> 62) & 3 )) $(( 0x$e & 31 ))" "1 1" \
	"pagemap of a page paged out: swapped, area 1"
in1=$("$PY" - "$MNT/$c/pagemap" "$last" <<'PY'
import struct, sys
with open(sys.argv[1], "rb") as f:
    f.seek(int(sys.argv[2]) // 4096 * 8)
    es = struct.unpack("<256Q", f.read(256 * 8))
print(sum(1 for e in es if e >> 62 & 1 and e & 31 == 1))
PY
)
[ "$in1" -gt 200 ] || fail "only $in1 pages went to area 1"
assert_eq "$(tail -n 1 "$MNT/swaps" | awk '{ print $4 }')" $((in1 * 4)) \
	"area 1's Used"
check_machine
assert_eq "$(ctl machine 'swapoff /dev/swap1')" 0 "swapoff /dev/swap1"
[ "$(pfn_of "$c" "$last")" -gt 0 ] || fail "swapoff left a page out"
assert_eq "$(tail -n +2 "$MNT/swaps" | wc -l)" 1 "areas after swapoff"
assert_eq "$(meminfo SwapTotal)" 65532 "SwapTotal after swapoff"
assert_eq "$(grep -c __do_sys_swapon "$MNT/vmallocinfo")" 1 \
	"vmallocinfo: the removed area's swap_map is gone"
ctl_err machine "swapoff 1" EINVAL
assert_eq "$(cat "$MNT/ctl")" "error EINVAL: swapoff 1: no swap area 1" "reason"
ctl_err machine "swapon 36K" EINVAL
ctl_err machine "swapon 1M 32768" EINVAL
check_machine

# Half of the range dropped, less than half of the swap is in use.  A
# page of the half left is paged out, so that one is in swap whatever
# reclaim left there (swapoff brought the last MiB back).
ctl "$c" "madvise $a 24M dontneed" >/dev/null
ctl "$c" "madvise $last 4K pageout" >/dev/null
[ $(( $(meminfo SwapFree) * 2 )) -gt 65532 ] || fail "swap is still half full"
swapin_frame kept
check_machine

# ---- psutil through PROCFS_PATH ----
if "$PY" -c 'import psutil' 2>/dev/null; then
	"$PY" - "$MNT" "$c" <<'PY' || fail "psutil"
import sys, warnings, psutil
mnt, pid = sys.argv[1], int(sys.argv[2])
psutil.PROCFS_PATH = mnt
def kv(path, sep=":"):
    return {k.strip(): int(v.split()[0]) for k, _, v in
            (l.partition(sep) for l in open(path))
            if v.split() and v.split()[0].lstrip("-").isdigit()}
mi, vm = kv(mnt + "/meminfo"), kv(mnt + "/vmstat", " ")
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    sm = psutil.swap_memory()
assert [str(x.message) for x in w] == [], w
total, free = mi["SwapTotal"] * 1024, mi["SwapFree"] * 1024
assert (sm.total, sm.free, sm.used) == (total, free, total - free), sm
assert sm.percent == round((total - free) * 100 / total, 1), sm
assert (sm.sin, sm.sout) == (vm["pswpin"] * 4096, vm["pswpout"] * 4096), sm
swap = psutil.Process(pid).memory_full_info().swap
assert swap == kv("%s/%d/status" % (mnt, pid))["VmSwap"] * 1024, swap
PY
fi

# ---- free and vmstat, with MNT over /proc ----
if command -v free >/dev/null && command -v vmstat >/dev/null &&
	unshare -m --propagation private true 2>/dev/null; then
	unshare -m --propagation private sh -c '
		mount --bind "$1" /proc || exit 99
		free >"$2/free.out" 2>&1 && vmstat -s >"$2/vmstats.out" 2>&1 &&
		vmstat >"$2/vmstat.out" 2>&1' sh "$MNT" "$W" ||
		fail "free/vmstat in a namespace: $(cat "$W"/*.out)"
	"$PY" - "$MNT" "$W" <<'PY' || fail "free and vmstat disagree with meminfo"
import sys
mnt, w = sys.argv[1], sys.argv[2]
def kv(path, sep=":"):
    return {k.strip(): int(v.split()[0]) for k, _, v in
            (l.partition(sep) for l in open(path))
            if v.split() and v.split()[0].lstrip("-").isdigit()}
mi, vm = kv(mnt + "/meminfo"), kv(mnt + "/vmstat", " ")
total, free = mi["SwapTotal"], mi["SwapFree"]
assert total - free > 0
swap = open(w + "/free.out").read().splitlines()[2].split()
assert swap == ["Swap:", str(total), str(total - free), str(free)], swap
s = {l.split(None, 1)[1].strip(): int(l.split()[0])
     for l in open(w + "/vmstats.out")}
assert s["K total swap"] == total and s["K free swap"] == free, s
assert s["K used swap"] == total - free, s
assert s["pages swapped in"] == vm["pswpin"], s
assert s["pages swapped out"] == vm["pswpout"], s
v = open(w + "/vmstat.out").read().splitlines()
assert v[1].split()[2] == "swpd" and int(v[2].split()[2]) == total - free, v
PY
fi

# ---- the child exits: every slot and frame is free ----
ctl "$c" exit >/dev/null
ctl 1 "wait $c" >/dev/null
check_machine
assert_eq "$(meminfo SwapFree) $(meminfo SwapCached)" "65532 0" "swap after exit"
assert_eq "$(tail -n +2 "$MNT/swaps")" "$(swap_line /dev/swap0 65532 0 -2)" \
	"swaps after exit"
ctl machine "drop_caches 3" >/dev/null
assert_eq "$(free_frames)" "$free0" "free frames (buddy + pcp) after exit"

# ---- shared anonymous memory is swapped as shmem: no entry in a page
# table, the object keeps the slots (smaps Swap, not VmSwap); a child
# that shares it reads the data back; the slots go with the last mapping
s=$(ctl 1 fork)
a=$(ctl "$s" "mmap 0 40M rw- shared|anon")
ctl "$s" "touch $a 40M w" >/dev/null
ctl "$s" "store $a 'first'" >/dev/null
ctl "$s" "store $((a + 40 * 1024 * 1024 - 4096)) 'last'" >/dev/null
b=$(ctl "$s" "mmap 0 16M rw- private|anon")
ctl "$s" "touch $b 16M w" >/dev/null
swapped=$(awk -v a="$(printf '%x' "$a")" '$1 ~ "^"a"-" { m = 1 } m && /^Swap:/ { print $2; exit }' "$MNT/$s/smaps")
(( swapped > 0 )) || fail "smaps Swap of the shared mapping: '$swapped'"
used=$(awk '$1 == "/dev/swap0" { print $4 }' "$MNT/swaps")
vmswap=$(awk '/^VmSwap/ { print $2 }' "$MNT/$s/status")
assert_eq "$(( vmswap + swapped ))" "$used" "VmSwap (private pages) + smaps Swap of the shared mapping = the area's use"
g=$(ctl "$s" fork)
assert_eq "$(ctl "$g" "load $a 5")" 6669727374 "the first page read back by the child"
assert_eq "$(ctl "$g" "load $((a + 40 * 1024 * 1024 - 4096)) 4")" 6c617374 "the last page read back by the child"
check_machine
ctl "$g" exit >/dev/null
ctl "$s" "wait $g" >/dev/null
ctl "$s" exit >/dev/null
ctl 1 "wait $s" >/dev/null
check_machine
assert_eq "$(meminfo SwapFree)" 65532 "SwapFree after the shmem's last mapping went"
echo ok
