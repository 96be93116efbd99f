#!/usr/bin/env bash
# replay: a valgrind lackey trace and a simple R/W/X trace, run as the
# process's own accesses, with exact summary lines; --map maps what a
# trace touches (and nothing when it cannot); a bad access kills.
. "$(dirname "$0")/lib.sh"
mount_mmufs --mem 64M

a=$(ctl 1 "mmap 0 8K rw- private")
trace=$MNT.lackey
{
	echo "==123== Lackey, an example Valgrind tool"
	printf ' L %x,8\n' "$a"			# zero page: 1 fault
	printf ' S %x,8\n' $((a + 8))		# copy: 1 fault
	printf ' M %x,4\n' $((a + 4096))	# read (zero page) + write (copy)
	printf ' L %x,8\n' $((a + 4092))	# crosses into page 1: no fault
} >"$trace"
# TLB: every fault is a miss, a walk, the fault, and a miss again on the
# retry (L: 2 misses; S: a hit on the read-only entry, then 1 miss; M: 2
# misses, a hit, 1 miss); the last load hits page 0 and page 1, and is
# the one reference of five that took no fault.
assert_eq "$(ctl 1 "replay $trace" | cut -d' ' -f1-14)" \
	"accesses 5 hits 1 minor 4 major 0 evictions 0 tlb_hits 4 tlb_misses 6" "lackey replay"
printf 'R %#x\nW %#x\n' "$a" "$a" >"$trace"
assert_eq "$(ctl 1 "replay $trace simple" | cut -d' ' -f1-8)" \
	"accesses 2 hits 2 minor 0 major 0" "simple replay"

# --map: pages 0x20000-0x20002 (the store spans 0x20001 and 0x20002) are
# one mmap, 0x20005 another; each reference faults (the store twice).
b=$((0x20000000))
maps_before=$(cat "$MNT/1/maps")
{
	printf ' L %x,8\n' "$b"
	printf ' S %x,16\n' $((b + 0x1ff8))
	printf 'I  %x,4\n' $((b + 0x5000))
} >"$trace"
ctl_err 1 "replay $trace" EFAULT		# unmapped, and init is not killed
assert_eq "$(ctl 1 "replay --map $trace" | cut -d' ' -f1-14)" \
	"accesses 3 hits 0 minor 4 major 0 evictions 0 tlb_hits 0 tlb_misses 8" "--map replay"
assert_eq "$(grep -c '^2000' "$MNT/1/maps")" 2 "--map: two mappings"
grep -q '^20000000-20003000 rwxp 00000000 00:00 0 ' "$MNT/1/maps" ||
	fail "--map: no rwxp mapping of 0x20000000-0x20003000"
grep -q '^20005000-20006000 rwxp ' "$MNT/1/maps" ||
	fail "--map: no rwxp mapping of 0x20005000"
# Mapped pages are left as they are: the rw- pages of $a stay rw- (and a
# load there needs no mapping); 0x20006000, next to 0x20005000, joins it.
printf ' L %x,8\n L %x,8\n' "$a" $((b + 0x5ffc)) >"$trace"
assert_eq "$(ctl 1 "replay --map $trace" | cut -d' ' -f1-8)" \
	"accesses 2 hits 1 minor 1 major 0" "--map next to mapped pages"
grep -q "^$(printf %x "$a")-$(printf %x $((a + 8192))) rw-p " "$MNT/1/maps" ||
	fail "--map changed the rw- mapping"
grep -q '^20005000-20007000 rwxp ' "$MNT/1/maps" ||
	fail "--map: 0x20006000 did not join 0x20005000"

# Unmappable pages: below mmap_min_addr (the kernel's EPERM), past
# TASK_SIZE (ENOMEM); the page mapped before the failure is unmapped
# again, and nothing runs.
maps_before=$(cat "$MNT/1/maps")
printf ' L 1000,4\n L 30000000,4\n' >"$trace"
ctl_err 1 "replay --map $trace" EPERM
cat "$MNT/1/ctl" | grep -q 'mapping 0x1000-0x2000: fixed address below vm.mmap_min_addr' ||
	fail "--map below mmap_min_addr: $(cat "$MNT/1/ctl")"
printf ' L 30000000,4\n L 7ffffffffff8,16\n' >"$trace"
ctl_err 1 "replay --map $trace" ENOMEM
assert_eq "$(cat "$MNT/1/maps")" "$maps_before" "a failed --map left nothing"
printf ' L 30000000,4\n Q 0\n' >"$trace"
ctl_err 1 "replay --map $trace" EINVAL
assert_eq "$(cat "$MNT/1/maps")" "$maps_before" "a malformed trace maps nothing"

child=$(ctl 1 fork)
printf 'I  %x,4\n' "$a" >"$trace"
ctl_err "$child" "replay $trace lackey" EFAULT
assert_eq "$(ctl 1 wait)" "$child 11" "the fetch from a non-exec page killed"
ctl_err 1 "replay $MNT.missing" ENOENT
printf 'Q 0x1000\n' >"$trace"
ctl_err 1 "replay $trace simple" EINVAL
rm -f "$trace"
check_machine
