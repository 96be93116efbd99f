#!/usr/bin/env bash
# Effective access time: the textbook's formulas, worked by the machine.
# The cost table of simulated time is set to a textbook's (a 20 ns TLB,
# 100 ns memory); replays with more and fewer TLB hits give
# EAT = h (20 + 100) + (1 - h) (20 + 100 + 4 x 100) on 4-level paging;
# then a page fault of 8 ms, once in 1000 references.  The clock those
# costs drive is the one the trace, uptime, stat and ps read.
# mount: --mem 128M
set -u
. "$(dirname "$0")/lib.sh"

TRACE=$(mktemp /tmp/mmufs-demo.XXXXXX)
trap 'rm -f "$TRACE"' EXIT
costs=$MNT/sys/vm

say "The cost table: what each event takes, in ns (defaults measured on a" \
    "real machine).  Every access, fault and system call moves the clock."
show grep . "$costs"/mmufs_cost_tlb_hit_ns "$costs"/mmufs_cost_walk_level_ns \
	"$costs"/mmufs_cost_fault_ns "$costs"/mmufs_cost_page_zero_ns

say "A textbook's machine instead: a TLB lookup of 20 ns and memory of" \
    "100 ns.  A hit costs 20 + 100; a miss also reads 4 page-table entries."
echo 120 >"$costs/mmufs_cost_tlb_hit_ns"
echo 100 >"$costs/mmufs_cost_walk_level_ns"
for c in fault page_zero page_copy syscall; do
	echo 0 >"$costs/mmufs_cost_${c}_ns"
done
show grep . "$costs"/mmufs_cost_tlb_hit_ns "$costs"/mmufs_cost_walk_level_ns

run machine "spawn /bin/true"
p=$RESULT
run "$p" "mmap 0x20000000 1M rw- private,fixed"
run "$p" "touch 0x20000000 1M w"

# replay_eat - replay $TRACE in $p and set its EAT beside the formula's
# with the TLB hit ratio it reports (a difference fails a strict run).
replay_eat() {
	run "$p" "replay $TRACE simple"
	set -- $RESULT
	local hits=${12} misses=${14} eat=${18}
	awk -v h="$hits" -v m="$misses" -v eat="$eat" 'BEGIN {
		ratio = h / (h + m)
		want = 120 * ratio + 520 * (1 - ratio)
		printf "TLB hit ratio h = %d / %d = %.3f\n", h, h + m, ratio
		printf "formula: 120 h + 520 (1 - h) = %.2f ns; replay: %s ns\n",
			want, eat
		exit (want - eat > 0.005 || eat - want > 0.005) }' ||
		{ [ -z "${MMUFS_DEMO_STRICT:-}" ] || exit 1; }
}

say "1000 reads of 8 pages: they stay in the 64-entry TLB."
for i in $(seq 0 999); do printf 'R %#x\n' $((0x20000000 + (i % 8) * 4096)); done >"$TRACE"
replay_eat

say "1000 reads walking 256 pages in turn: the TLB holds 64, every read misses."
for i in $(seq 0 999); do printf 'R %#x\n' $((0x20000000 + (i % 256) * 4096)); done >"$TRACE"
replay_eat

say "Half of them to 8 hot pages, half spread over 256."
for i in $(seq 0 999); do
	printf 'R %#x\n' $((0x20000000 + (i % 2 ? i * 37 % 256 : i % 8) * 4096))
done >"$TRACE"
replay_eat

say "Now a page fault costs 8 ms (a disk of the textbooks), and one reference" \
    "in 1000 touches a page never touched before: EAT = 120 + 8000000 / 1000."
echo 8000000 >"$costs/mmufs_cost_fault_ns"
run "$p" "mmap 0x30000000 64K rw- private,fixed"
for i in $(seq 0 999); do
	if [ "$i" = 500 ]; then
		printf 'R %#x\n' 0x30000000
	else
		printf 'R %#x\n' $((0x20000000 + (i % 8) * 4096))
	fi
done >"$TRACE"
run "$p" "replay $TRACE simple"
say "One fault in 1000 references made memory about 67 times slower."

say "The trace stamps each event with the machine's clock (seconds since" \
    "boot, to the microsecond).  Between the last write fault of the touch" \
    "and this fault: the replays (under a millisecond) and the fault's 8 ms."
echo "\$ grep page_fault: $MNT/trace | grep -B1 address=0x30000000"
grep page_fault: "$MNT/trace" | grep -B1 address=0x30000000
