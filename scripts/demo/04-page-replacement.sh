#!/usr/bin/env bash
# Page replacement: Belady's anomaly under FIFO (more frames, more
# faults), then LRU and OPT on the same reference string, then Linux's
# own reclaim in the same group size, with what it counts.  Needs swap:
# mount with --swap (e.g. ./scripts/run.sh /tmp/m --swap 64M).
# mount: --swap 64M
set -u
. "$(dirname "$0")/lib.sh"

[ "$(awk 'NR > 1' "$MNT/swaps" | wc -l)" -gt 0 ] ||
	{ echo "no swap: mount with --swap 64M" >&2; exit 1; }
TRACE=$(mktemp /tmp/mmufs-demo.XXXXXX)
trap 'rm -f "$TRACE" "$TRACE.w"' EXIT
base=$((0x10000000))
for r in 1 2 3 4 1 2 5 1 2 3 4 5; do
	printf 'R %#x\n' $((base + r * 4096))
done >"$TRACE"
sed 's/^R/W/' "$TRACE" >"$TRACE.w"

say "The reference string 1 2 3 4 1 2 5 1 2 3 4 5, one read per page:"
show cat "$TRACE"

# replay_in POLICY FRAMES [TRACE] - a fresh process replays the string in
# a group of FRAMES frames under POLICY; its pages are fresh (--map).
replay_in() {
	local p
	run 1 fork >/dev/null
	p=$RESULT
	run "$p" "replay --map --frames $2 --policy $1 ${3:-$TRACE}"
	run "$p" exit >/dev/null
	run 1 "wait $p" >/dev/null
}

say "FIFO with 3 frames, then 4: misses are minor + major (Belady: 9, then 10)."
say "time_ns is the machine time the replay took, eat_ns the effective access"
say "time per reference: the misses' faults and swap-ins make nearly all of it."
replay_in fifo 3
replay_in fifo 4
say "The victims, in order, from the kernel's trace (the last run):"
show grep -o 'mm_vmscan_evict: .*policy=fifo' "$MNT/trace" | tail -n 6
say "LRU never shows the anomaly (10, then 8); OPT is the least any policy can do (7, then 6)."
replay_in lru 3
replay_in lru 4
replay_in opt 3
replay_in opt 4
say "Linux's own reclaim in a group of 3 frames.  Reads would map the zero"
say "page and take no frame, so the string writes.  Linux reclaims a batch"
say "of 32 pages when a group is at its limit, so the whole group goes:"
replay_in linux 3 "$TRACE.w"
show grep -E '^(workingset_refault_anon|workingset_activate_anon|pswpin|pswpout) ' "$MNT/vmstat"
run machine check
