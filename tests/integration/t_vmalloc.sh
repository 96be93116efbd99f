#!/usr/bin/env bash
# vmalloc and vfree from a user's shell: the area's address, vmallocinfo,
# meminfo's VmallocUsed, the frames, the kernel half in pid 1's
# pagetable, a fork's pgd sharing it, and every frame free after vfree;
# the tasks' kernel stacks (VMAP_STACK) among the areas.
. "$(dirname "$0")/lib.sh"
mount_mmufs --mem 64M

free0=$(free_frames)
# At boot the areas are the kernel stacks of init, kthreadd and kswapd0:
# 16 KiB each, aligned to 16 KiB, a guard page after each.
stack() { echo "0xffffc900000$1-0xffffc900000$2   20480 kernel_clone+0x0/0x0 pages=4 vmalloc N0=4"; }
stacks="$(stack 00000 05000)
$(stack 08000 0d000)
$(stack 10000 15000)"
assert_eq "$(field "$MNT/meminfo" VmallocTotal)" 34359738367 "VmallocTotal"
assert_eq "$(field "$MNT/meminfo" VmallocUsed)" 48 "VmallocUsed at boot: three stacks"
assert_eq "$(field "$MNT/meminfo" KernelStack)" 48 "KernelStack at boot"
assert_eq "$(awk '$1 == "nr_kernel_stack" { print $2 }' "$MNT/vmstat")" 48 "nr_kernel_stack"
assert_eq "$(cat "$MNT/vmallocinfo")" "$stacks" "vmallocinfo at boot"
ctl_err machine "vfree 0xffffc90000000000" EINVAL

echo 'vmalloc 64K' >"$MNT/ctl"
a=$(cat "$MNT/ctl")
assert_eq "$a" 0xffffc90000015000 "first fit: after the stacks"
assert_eq "$(cat "$MNT/vmallocinfo")" "$stacks
0xffffc90000015000-0xffffc90000026000   69632 vmalloc_cmd+0x0/0x0 pages=16 vmalloc N0=16" \
	"vmallocinfo: 16 pages and the guard page"
assert_eq "$(field "$MNT/meminfo" VmallocUsed)" $((64 + 48)) "VmallocUsed"
assert_eq "$(ctl machine "vmalloc 4K")" 0xffffc90000005000 "first fit: the hole after init's stack"

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
assert_eq "$(field "$MNT/meminfo" KernelStack)" 64 "the child's stack, after the 64K area (16K-aligned)"
grep -qx "$(stack 28000 2d000)" "$MNT/vmallocinfo" || fail "the child's stack area: $(cat "$MNT/vmallocinfo")"
check_machine

echo "vfree $a" >"$MNT/ctl"
assert_eq "$(cat "$MNT/ctl")" 0 "vfree"
assert_eq "$(ctl machine "vfree 0xffffc90000005000")" 0 "vfree of the second"
assert_eq "$(field "$MNT/meminfo" VmallocUsed)" 64 "VmallocUsed after vfree: four stacks"
check_machine
# The frames are free again (the child's gone, its stack with it at exit,
# its empty slabs returned); the PD and PT of the area were made at boot
# for the stacks.
ctl "$child" exit >/dev/null
assert_eq "$(field "$MNT/meminfo" KernelStack)" 48 "a zombie has no stack"
assert_eq "$(cat "$MNT/vmallocinfo")" "$stacks" "vmallocinfo after vfree"
ctl 1 "wait $child" >/dev/null
echo 2 >"$MNT/sys/vm/drop_caches"
assert_eq $((free0 - $(free_frames))) 0 "frames not back after vfree"
