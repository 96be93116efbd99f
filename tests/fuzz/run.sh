#!/usr/bin/env bash
# run.sh FUZZER [SECONDS] - the bounded fuzz run of CI (README "Fuzzing"):
# fuzz for SECONDS (default $FUZZ_SECONDS, else 120) starting from the
# corpus and the regressions.  New inputs go to a temporary directory,
# never into the tree; a crash is kept in $FUZZ_ARTIFACTS (default
# /tmp/mmufs-fuzz-artifacts), named in the output, and fails the run.
set -u
fuzzer=$1
seconds=${2:-${FUZZ_SECONDS:-120}}
here=$(cd "$(dirname "$0")" && pwd)
artifacts=${FUZZ_ARTIFACTS:-/tmp/mmufs-fuzz-artifacts}
work=$(mktemp -d /tmp/mmufs-fuzz-corpus.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$artifacts"

# libFuzzer prints a line per new input: keep only the periodic totals.
"$fuzzer" "$work" "$here/corpus" "$here/regressions" \
	-dict="$here/mmufs.dict" -max_len=4096 -timeout=30 \
	-max_total_time="$seconds" -print_final_stats=1 \
	-artifact_prefix="$artifacts/" 2>&1 |
	grep -v '^#[0-9]*[[:space:]]*\(NEW\|REDUCE\)'
status=${PIPESTATUS[0]}
if [ "$status" -ne 0 ]; then
	echo "run.sh: the fuzzer failed (status $status); inputs kept in $artifacts:"
	ls -l "$artifacts"
	echo "run.sh: reproduce one with: $fuzzer FILE"
fi
exit "$status"
