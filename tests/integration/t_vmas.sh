#!/usr/bin/env bash
# brk growth in maps [heap] and mm; munmap of a middle part splits a vma.
. "$(dirname "$0")/lib.sh"
mount_mmufs --mem 64M

b=$(ctl 1 brk)
assert_eq "$(ctl 1 "brk $((b + 0x3000))")" "$(printf '%#x' $((b + 0x3000)))" "brk"
heap=$(printf '%08x-%08x' "$b" $((b + 0x3000)))
grep -Eq "^$heap rw-p 00000000 00:00 0 +\[heap\]$" "$MNT/1/maps" || { cat "$MNT/1/maps"; fail "no [heap] $heap"; }
grep -Eq "^brk +$(printf '%#x' $((b + 0x3000)))$" "$MNT/1/mm" || { cat "$MNT/1/mm"; fail "mm brk"; }
assert_eq "$(ctl 1 "sbrk -0x1000")" "$(printf '%#x' $((b + 0x3000)))" "sbrk returns the old brk"
grep -Eq "^$(printf '%08x-%08x' "$b" $((b + 0x2000))) " "$MNT/1/maps" || fail "heap did not shrink"

a=$(ctl 1 "mmap 0 40K rw- private")
lines_before=$(wc -l <"$MNT/1/maps")
ctl 1 "munmap $((a + 0x2000)) 8K" >/dev/null
assert_eq "$(wc -l <"$MNT/1/maps")" $((lines_before + 1)) "maps lines after the split"
grep -q "^$(printf '%08x-%08x' "$a" $((a + 0x2000))) " "$MNT/1/maps" || fail "lower part"
grep -q "^$(printf '%08x-%08x' $((a + 0x4000)) $((a + 0xa000))) " "$MNT/1/maps" || fail "upper part"
ctl 1 "mprotect $((a + 0x5000)) 4K r--" >/dev/null
assert_eq "$(wc -l <"$MNT/1/maps")" $((lines_before + 3)) "maps lines after mprotect"
check_machine
