#!/usr/bin/env bash
# t_highmem - i386 with more RAM than lowmem: the 896 MiB line, ZONE_HIGHMEM
# in zoneinfo and meminfo, user pages from HighMem, page tables from
# lowmem, and the frames all back after exit.
. "$(dirname "$0")/lib.sh"

mount_mmufs --arch i386 --mem 2G
check_machine
free0=$(free_frames)

# The zones: DMA below 16 MiB, Normal to 896 MiB, HighMem above.
grep -q '^zone: HighMem 229376-524287 ' "$MNT/machine" ||
	fail "machine: no HighMem from pfn 229376 ($(grep '^zone' "$MNT/machine"))"
grep -q '^zone: Normal 4096-229375 ' "$MNT/machine" || fail "machine: Normal zone"
spanned=$(awk '/zone +HighMem/ { z = 1 } z && $1 == "spanned" { print $2; exit }' \
	"$MNT/zoneinfo")
assert_eq "$spanned" 294912 "HighMem spanned pages"
total=$(field "$MNT/meminfo" MemTotal)
assert_eq $(($(field "$MNT/meminfo" HighTotal) + $(field "$MNT/meminfo" LowTotal))) \
	"$total" "HighTotal + LowTotal"
assert_eq $(($(field "$MNT/meminfo" HighFree) + $(field "$MNT/meminfo" LowFree))) \
	"$(field "$MNT/meminfo" MemFree)" "HighFree + LowFree"
grep -q '^pgalloc_high ' "$MNT/vmstat" || fail "vmstat: no pgalloc_high"
grep -q dma32 "$MNT/vmstat" && fail "vmstat: an i386 kernel has no dma32 lines"

# A child's anonymous pages come from HighMem; its page tables from lowmem.
c=$(ctl 1 fork)
high0=$(awk '$1 == "pgalloc_high" { print $2 }' "$MNT/vmstat")
a=$(ctl "$c" "mmap 0 1M rw- private")
ctl "$c" "touch $a 1M w" >/dev/null
pfn=$(pfn_of "$c" "$a")
grep -qx 'zone: HighMem' "$MNT/frames/$pfn" || fail "user page $pfn: $(grep zone: "$MNT/frames/$pfn")"
high1=$(awk '$1 == "pgalloc_high" { print $2 }' "$MNT/vmstat")
(( high1 - high0 >= 256 )) || fail "pgalloc_high grew by $((high1 - high0)), want >= 256"
pt=$(sed -n 's/^ *PT pfn 0x\([0-9a-f]*\)$/\1/p' "$MNT/$c/pagetable" | head -n 1)
[ -n "$pt" ] || fail "no page table in $c's pagetable"
grep -qx 'zone: Normal' "$MNT/frames/$((16#$pt))" ||
	fail "page table $((16#$pt)): $(grep zone: "$MNT/frames/$((16#$pt))")"
check_machine

ctl "$c" exit >/dev/null
ctl 1 "wait $c" >/dev/null
echo 2 >"$MNT/sys/vm/drop_caches"
assert_eq "$(free_frames)" "$free0" "free frames after exit"
check_machine
echo ok
