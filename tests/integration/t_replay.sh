#!/usr/bin/env bash
# replay: a valgrind lackey trace and a simple R/W/X trace, run as the
# process's own accesses, with exact fault counts; a bad access kills.
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
# misses, a hit, 1 miss); the last load hits page 0 and page 1.
assert_eq "$(ctl 1 "replay $trace")" \
	"accesses 5 faults 4 tlb_hits 4 tlb_misses 6" "lackey replay"
printf 'R %#x\nW %#x\n' "$a" "$a" >"$trace"
assert_eq "$(ctl 1 "replay $trace simple" | cut -d' ' -f1-4)" "accesses 2 faults 0" "simple replay"
child=$(ctl 1 fork)
printf 'I  %x,4\n' "$a" >"$trace"
ctl_err "$child" "replay $trace lackey" EFAULT
assert_eq "$(ctl 1 wait)" "$child 11" "the fetch from a non-exec page killed"
ctl_err 1 "replay $MNT.missing" ENOENT
printf 'Q 0x1000\n' >"$trace"
ctl_err 1 "replay $trace simple" EINVAL
rm -f "$trace"
check_machine
