#!/usr/bin/env bash
# coverage.sh [INPUT_DIR...] - line coverage of the kernel and fs/ by the fuzz
# inputs (README "Fuzzing"): builds the replay driver with clang's
# source-based coverage into /tmp/mmufs-fuzz-cov, runs the corpus, the
# regressions and every INPUT_DIR (e.g. what a long fuzz run generated),
# and prints llvm-cov's report with one total line for each of mm/,
# kernel/, exec/, user/ and fs/.
# Needs clang-14 and llvm-14 (llvm-profdata-14, llvm-cov-14).  Nothing is
# written into the tree.
set -eu
src=$(cd "$(dirname "$0")/../.." && pwd)
out=${COV_DIR:-/tmp/mmufs-fuzz-cov}
flags='-fprofile-instr-generate -fcoverage-mapping'

if [ -d "$out/build" ]; then
	meson setup --reconfigure "$out/build" >/dev/null
else
	CC=clang-14 meson setup "$out/build" "$src" -Dc_args="$flags" \
		-Dc_link_args=-fprofile-instr-generate >/dev/null
fi
ninja -C "$out/build" tests/fuzz/fuzz_replay >/dev/null
exe=$out/build/tests/fuzz/fuzz_replay
rm -f "$out"/*.profraw
LLVM_PROFILE_FILE="$out/%p.profraw" "$exe" "$src/tests/fuzz/corpus" \
	"$src/tests/fuzz/regressions" "$@" 2>/dev/null | tail -1
llvm-profdata-14 merge -sparse "$out"/*.profraw -o "$out/fuzz.profdata"

llvm-cov-14 report "$exe" -instr-profile="$out/fuzz.profdata" > "$out/report.txt"

# total DIR - the line coverage of the files of DIR in the report.
total() {
	awk -v d="$1/" 'index($1, d) == 1 { n += $8; miss += $9 }
		END { printf "%s lines: %d of %d covered (%.2f%%)\n", d, n - miss,
			n, n ? 100 * (n - miss) / n : 0 }' "$out/report.txt"
}
for d in mm kernel exec user fs; do
	total $d
done
echo "per-file report: $out/report.txt"
