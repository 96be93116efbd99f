#!/usr/bin/env bash
# The heap: brk moves the end of the [heap] vma; it never goes below
# start_brk nor into another mapping.
set -u
. "$(dirname "$0")/lib.sh"

say "Where the heap starts (start_brk) and ends (brk):"
show grep -E '^(start_brk|brk) ' "$MNT/1/mm"
run 1 brk
base=$RESULT
say "Grow it by 3 pages and a bit: the vma is page aligned, brk is not."
run 1 "brk $((base + 0x3100))"
show grep heap "$MNT/1/maps"
say "Touch the heap: 4 faults, RSS grows."
run 1 "touch $base 0x3100 w"
say "Put a mapping 8 pages above the heap..."
run 1 "mmap $((base + 0x8000)) 4K rw- private|fixed"
say "...then ask brk to grow into it: ENOMEM, and brk stays where it was."
run_fails 1 "brk $((base + 0x9000))"
run 1 brk
say "Shrinking always works: the pages above the new brk are freed."
run 1 "sbrk -0x3000"
show grep -E 'heap|VmRSS' "$MNT/1/maps" "$MNT/1/status"
run machine check
