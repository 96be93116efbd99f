#!/usr/bin/env bash
# vmalloc and vfree from a user's shell: the area's address, vmallocinfo,
# meminfo's VmallocUsed, the frames, the kernel half in pid 1's
# pagetable, a fork's pgd sharing it, and every frame free after vfree.
. "$(dirname "$0")/lib.sh"
mount_mmufs --mem 64M

free0=$(free_frames)
assert_eq "$(field "$MNT/meminfo" VmallocTotal)" 34359738367 "VmallocTotal"
assert_eq "$(field "$MNT/meminfo" VmallocUsed)" 0 "VmallocUsed at boot"
[ -z "$(cat "$MNT/vmallocinfo")" ] || fail "vmallocinfo not empty at boot"

echo 'vmalloc 64K' >"$MNT/ctl"
a=$(cat "$MNT/ctl")
assert_eq "$a" 0xffffc90000000000 "the first area starts the vmalloc area"
assert_eq "$(cat "$MNT/vmallocinfo")" \
	"0xffffc90000000000-0xffffc90000011000   69632 vmalloc_cmd+0x0/0x0 pages=16 vmalloc" \
	"vmallocinfo: 16 pages and the guard page"
assert_eq "$(field "$MNT/meminfo" VmallocUsed)" 64 "VmallocUsed"
assert_eq "$(ctl machine "vmalloc 4K")" 0xffffc90000011000 "first fit after the guard"

# pid 1's pagetable: its kernel half is init_mm's, supervisor-only.
pt=$(cat "$MNT/1/pagetable")
grep -q '^  PML4\[273\] ffff888000000000-ffff890000000000 0x.* P RW A D shared:init_mm$' <<<"$pt" ||
	fail "no direct-map entry in pid 1's pagetable"
assert_eq "$(grep -c 'shared:init_mm$' <<<"$pt")" 65 "kernel entries: direct map and 64 vmalloc"
grep 'shared:init_mm$' <<<"$pt" | grep -q ' US ' && fail "a user-accessible kernel entry"
pdpt=$(grep '^  PML4\[402\]' <<<"$pt" | sed 's/.* pfn 0x\([0-9a-f]*\) .*/\1/')
grep -q "^state: page table (level 3 PDPT of init_mm, the kernel half)$" \
	"$MNT/frames/$((16#$pdpt))" || fail "frames/ of the vmalloc PDPT"
child=$(ctl 1 fork)
assert_eq "$(grep 'shared:init_mm$' "$MNT/$child/pagetable")" \
	"$(grep 'shared:init_mm$' <<<"$pt")" "a fork's pgd copies the kernel half"
check_machine

echo "vfree $a" >"$MNT/ctl"
assert_eq "$(cat "$MNT/ctl")" 0 "vfree"
assert_eq "$(ctl machine "vfree 0xffffc90000011000")" 0 "vfree of the second"
assert_eq "$(field "$MNT/meminfo" VmallocUsed)" 0 "VmallocUsed after vfree"
[ -z "$(cat "$MNT/vmallocinfo")" ] || fail "vmallocinfo not empty after vfree"
check_machine
# The frames are free again (the child's gone, its empty slabs returned);
# the PD and PT made for the areas stay.
ctl "$child" exit >/dev/null
ctl 1 "wait $child" >/dev/null
echo 2 >"$MNT/sys/vm/drop_caches"
assert_eq $((free0 - $(free_frames))) 2 "frames not back after vfree (the PD and PT)"
