#!/usr/bin/env bash
# fork then a write in the child: shared frame (kpagecount 2, both pids in
# frames/<pfn>), then a copy for the child (kpagecount 1), and trace_pipe
# shows the copy.
. "$(dirname "$0")/lib.sh"
mount_mmufs --mem 64M

a=$(ctl 1 "mmap 0 4K rw- private")
ctl 1 "store $a 'hello'" >/dev/null
child=$(ctl 1 fork)
pfn=$(pfn_of 1 "$a")
assert_eq "$(pfn_of "$child" "$a")" "$pfn" "child shares the frame"
assert_eq "$(kpage kpagecount "$pfn")" 2 "kpagecount while shared"
grep -Eq "^map: 1 $(printf '%#x' "$a")$" "$MNT/frames/$pfn" || fail "frames/$pfn lacks pid 1"
grep -Eq "^map: $child $(printf '%#x' "$a")$" "$MNT/frames/$pfn" || fail "frames/$pfn lacks pid $child"
# The child reads without faulting.
assert_eq "$(faults "$child" "touch $a 4K r")" 0 "child read faults"

trace=$MNT.trace
cat "$MNT/trace_pipe" >"$trace" &
reader=$!
sleep 0.2
ctl "$child" "store $a 'child'" >/dev/null
sleep 0.5
kill "$reader" 2>/dev/null || true
wait "$reader" 2>/dev/null || true
grep -q "cow_copy: address=$(printf '%#x' "$a")" "$trace" || { cat "$trace" >&2; fail "no cow_copy in trace_pipe"; }
rm -f "$trace"

cpfn=$(pfn_of "$child" "$a")
[ "$cpfn" != "$pfn" ] || fail "the child still maps the parent's frame"
assert_eq "$(pfn_of 1 "$a")" "$pfn" "the parent keeps its frame"
assert_eq "$(kpage kpagecount "$pfn")" 1 "kpagecount after the copy"
assert_eq "$(ctl 1 "load $a 5")" 68656c6c6f "parent data"
assert_eq "$(ctl "$child" "load $a 5")" 6368696c64 "child data"
ctl "$child" exit >/dev/null
assert_eq "$(ctl 1 wait)" "$child 0" "wait"
check_machine
