#!/usr/bin/env bash
# A load outside every vma: SIGSEGV, the process becomes a zombie with
# signal 11, and its parent reaps it.
. "$(dirname "$0")/lib.sh"
mount_mmufs --mem 64M

child=$(ctl 1 fork)
ctl_err "$child" "load 0x1000" EFAULT
grep -q "^State:	Z (zombie)$" "$MNT/$child/status" || fail "child not a zombie"
[ ! -s "$MNT/$child/maps" ] || fail "a zombie has maps"
ctl_err "$child" "touch 0x1000 1" ESRCH
assert_eq "$(ctl 1 wait)" "$child 11" "wait status"
[ ! -e "$MNT/$child" ] || fail "the reaped child is still listed"
ctl_err 1 wait ECHILD
check_machine
