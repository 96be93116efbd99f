#!/usr/bin/env bash
# Demand paging and the zero page: mmap reserves addresses, not memory;
# the first read of a page maps the shared zero page, the first write
# allocates a private copy.
set -u
. "$(dirname "$0")/lib.sh"

say "A fresh mapping of 4 pages: a vma, but no page yet."
run 1 "mmap 0 16K rw- private"
addr=$RESULT
show grep -i "^$(printf '%x' "$addr")" "$MNT/1/maps"
say "pagemap: bit 63 (present) is clear for every page."
echo "pfn of the first page: $(pfn 1 "$addr")"

say "Read every page: 4 minor faults, all answered with the zero page."
run 1 "touch $addr 16K r"
for i in 0 1 2 3; do
	echo "page $i -> pfn $(pfn 1 $((addr + i * 4096)))"
done
z=$(pfn 1 "$addr")
say "The frame they share is the zero page (kpageflags bit 24):"
show cat "$MNT/frames/$z"

say "Now write: each page faults again and gets its own zeroed frame."
run 1 "touch $addr 16K w"
for i in 0 1 2 3; do
	echo "page $i -> pfn $(pfn 1 $((addr + i * 4096)))"
done
say "The process's fault counters (end of status) and RSS:"
show grep -E '^(VmRSS|mmufs_fault_(zero_page|cow_copy|anon))' "$MNT/1/status"
run machine check
