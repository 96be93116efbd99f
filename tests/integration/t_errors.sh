#!/usr/bin/env bash
# Each error of the ctl language: the documented errno, the error text to
# read back, and maps, meminfo and vmstat's allocation counters unchanged.
. "$(dirname "$0")/lib.sh"
mount_mmufs --mem 64M

a=$(ctl 1 "mmap 0 16K rw- private")
ctl 1 "touch $a 16K w" >/dev/null
child=$(ctl 1 fork)
snapshot() {
	cat "$MNT/1/maps" "$MNT/$child/maps"
	grep -v -e '^pgfault' "$MNT/meminfo"
	grep -E '^(pgalloc|pgfree|nr_)' "$MNT/vmstat"
}
before=$(snapshot)

# EINVAL: unknown command, argument counts, numbers, protections, flags,
# alignment, length 0, quoting, empty lines.
ctl_err 1 "frobnicate" EINVAL
ctl_err 1 "fork now" EINVAL
ctl_err 1 "mmap 0 4K rw-" EINVAL
ctl_err 1 "mmap zero 4K rw- private" EINVAL
ctl_err 1 "mmap 0 -4K rw- private" EINVAL
ctl_err 1 "mmap 0 99999999999999999999 rw- private" EINVAL
ctl_err 1 "mmap 0 4K rwz private" EINVAL
ctl_err 1 "mmap 0 4K rw- privat" EINVAL
ctl_err 1 "mmap 0 4K rw- anon" EINVAL
ctl_err 1 "mmap 0x10001 4K rw- private|fixed" EINVAL
ctl_err 1 "mmap 0 0 rw- private" EINVAL
ctl_err 1 "munmap $((a + 1)) 4K" EINVAL
ctl_err 1 "munmap $a 0" EINVAL
ctl_err 1 "mprotect $((a + 1)) 4K r--" EINVAL
ctl_err 1 "store $a 'unterminated" EINVAL
ctl_err 1 "store $a 123" EINVAL
ctl_err 1 "touch $a 4K q" EINVAL
ctl_err 1 "madvise $a 4K sometimes" EINVAL
ctl_err 1 "kill 99" EINVAL
ctl_err 1 "" EINVAL
ctl_err machine "schedule 1 7" EINVAL
ctl_err machine "bogus" EINVAL
# ENOMEM: no room, holes, brk into a mapping.
ctl_err 1 "mmap 0 1000G rw- private" ENOMEM
ctl_err 1 "mprotect $a 64K r--" ENOMEM
ctl_err 1 "brk $((a + 0x1000))" ENOMEM
ctl_err 1 "mremap $a 4K 64K" ENOMEM
# EEXIST, EFAULT, ESRCH, ECHILD, EPERM.
ctl_err 1 "mmap $a 4K rw- private|fixed_noreplace" EEXIST
ctl_err 1 "mremap 0x10000000 4K 8K maymove" EFAULT
ctl_err machine "kill 4242" ESRCH
ctl_err machine "schedule 4242" ESRCH
ctl_err "$child" "wait" ECHILD
ctl_err 1 "exit" EPERM
ctl_err 2 "exit" EPERM
ctl_err machine "kill 1 KILL" EPERM
ctl_err machine "kill 2" EPERM
ctl_err 2 "fork" EINVAL
ctl_err 1 "exec $MNT.no-such-file" ENOENT
ctl_err 1 "mmap 0 4K r-- private $MNT.no-such-file" ENOENT
ctl_err machine "spawn $MNT.no-such-file" ENOENT
ctl_err machine "spawn" EINVAL

# A failing line stops a multi-line write; earlier lines ran.
printf 'brk\nbogus\nfork\n' | dd of="$MNT/1/ctl" bs=4K status=none 2>/dev/null &&
	fail "multi-line write succeeded"
grep -q "^error EINVAL: bogus: unknown command 'bogus'$" "$MNT/1/ctl" || fail "multi-line error text: $(cat "$MNT/1/ctl")"

after=$(snapshot)
[ "$before" = "$after" ] || { diff <(echo "$before") <(echo "$after") >&2; fail "state changed"; }

# The error of a SIGSEGV (EFAULT) kills: done last.
ctl_err "$child" "store 0x10 00" EFAULT
check_machine
