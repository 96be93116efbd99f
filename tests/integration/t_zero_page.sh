#!/usr/bin/env bash
# The zero page: a read fault maps it read-only, a later write copies.
. "$(dirname "$0")/lib.sh"
mount_mmufs --mem 64M

a=$(ctl 1 "mmap 0 8K rw- private")
assert_eq "$(faults 1 "touch $a 8K r")" 2 "read faults"
z1=$(pfn_of 1 "$a")
z2=$(pfn_of 1 $((a + 4096)))
[ "$z1" != 0 ] || fail "no page after the read fault"
assert_eq "$z2" "$z1" "both pages map the same frame"
flags=$(kpage kpageflags "$z1")
(( (flags >> 24) & 1 )) || fail "kpageflags of the zero page lacks ZERO_PAGE"
assert_eq "$(ctl 1 "load $a 4")" 00000000 "the zero page reads zeroes"
assert_eq "$(faults 1 "touch $a 8K w")" 2 "write faults"
p1=$(pfn_of 1 "$a")
p2=$(pfn_of 1 $((a + 4096)))
[ "$p1" != "$z1" ] && [ "$p2" != "$z1" ] && [ "$p1" != "$p2" ] ||
	fail "the write did not copy: $z1 -> $p1 $p2"
flags=$(kpage kpageflags "$p1")
(( (flags >> 12) & 1 )) || fail "the copy is not ANON"
(( (flags >> 24) & 1 )) && fail "the copy is ZERO_PAGE"
grep -q "^mmufs_fault_zero_page:	2$" "$MNT/1/status" || fail "zero faults"
grep -q "^mmufs_fault_cow_copy:	2$" "$MNT/1/status" || fail "copies"
check_machine
