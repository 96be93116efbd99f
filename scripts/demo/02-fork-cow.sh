#!/usr/bin/env bash
# fork and copy-on-write: the child shares the parent's frames,
# write-protected; the first write by either side copies the page.
set -u
. "$(dirname "$0")/lib.sh"

say "The parent maps a page and writes a word into it."
run 1 "mmap 0 4K rw- private"
addr=$RESULT
run 1 "store $addr 'parent'"
say "fork: the child gets copies of the page tables, not of the pages."
run 1 fork
child=$RESULT
p=$(pfn 1 "$addr")
echo "parent pfn $p, child pfn $(pfn "$child" "$addr")"
say "One frame, mapped twice (kpagecount 2), by both processes:"
show cat "$MNT/frames/$p"
say "Both entries are now read-only (no RW flag):"
show grep "pfn 0x$(printf '%x' "$p") " "$MNT/$child/pagetable"

say "The child writes: a COW fault copies the page for the child alone."
run "$child" "store $addr 'child!'"
echo "parent pfn $(pfn 1 "$addr"), child pfn $(pfn "$child" "$addr")"
run 1 "load $addr 6"
run "$child" "load $addr 6"
say "The kernel's log of it:"
show grep -E "cow_(copy|reuse)" "$MNT/trace"

say "The parent writes now: it is the only owner left, so no copy (reuse)."
run 1 "store $addr 'PARENT'"
show tail -n 3 "$MNT/trace"
run "$child" exit
run 1 wait
run machine check
