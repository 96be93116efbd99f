#!/usr/bin/env bash
# bench_replay.sh [BUILD_DIR] - the speed of `replay`: references per
# second and megabytes of trace text per second (see bench_replay.c).
#
# Builds nothing: run `ninja -C build` first.  Writes its traces to a
# fresh directory under /tmp: a synthetic one (4 M random references over
# 256 MiB, nearly all TLB misses: the worst case) and, when valgrind is
# installed, a real one, `valgrind --tool=lackey --trace-mem=yes` of
# `gzip -c` of 64 KiB of the mmufs binary (about 17 M references;
# BENCH_REPLAY_KB sets the size).  Mounts mmufs (--init none, 1 GiB)
# pinned to CPU 0, as is the client, which replays each trace through one
# ctl file of a fresh process: once with --map, then warm.  Prints the
# figures, asserts none.
#
# Then the replay under memory pressure: the real trace again, in a group of
# 64 frames (BENCH_REPLAY_FRAMES) under the textbook LRU, FIFO and CLOCK
# (each in a fresh process; the daemon has 64 MiB of swap), plus a
# synthetic trace that evicts constantly: 4 M random references over 100
# pages (BENCH_REPLAY_WS), a working set larger than the frames, so about
# a third of the references miss, and each miss evicts a page to swap and
# faults one back in.  DineroIV, when installed, is timed on the same
# real trace for comparison; this script never installs it.

set -eu

BUILD=${1:-build}
MMUFS=$BUILD/fs/mmufs
CLIENT=$BUILD/bench/bench_replay
KB=${BENCH_REPLAY_KB:-64}
FRAMES=${BENCH_REPLAY_FRAMES:-64}
WS=${BENCH_REPLAY_WS:-100}

for f in "$MMUFS" "$CLIENT"; do
	[ -x "$f" ] || { echo "bench_replay.sh: no $f: build first (ninja -C $BUILD)" >&2; exit 1; }
done
if [ ! -c /dev/fuse ]; then
	echo "bench_replay.sh: no /dev/fuse: cannot mount"
	exit 77
fi

WORK=$(mktemp -d /tmp/mmufs-replay-bench.XXXXXX)
MNT=$WORK/mnt
DAEMON=

# cleanup - unmount, reap the daemon, show what it said, remove the traces.
cleanup() {
	local status=$?
	trap - EXIT INT TERM
	if mountpoint -q "$MNT" 2>/dev/null; then
		fusermount3 -u "$MNT" 2>/dev/null || umount -l "$MNT" 2>/dev/null || true
	fi
	[ -z "$DAEMON" ] || wait "$DAEMON" 2>/dev/null || true
	if [ -f "$WORK/log" ] && grep -qv 'Ignoring invalid max threads value' "$WORK/log"; then
		echo "daemon stderr:" >&2
		cat "$WORK/log" >&2
	fi
	rm -rf "$WORK"
	exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "traces in $WORK:"
"$CLIENT" gen "$WORK/synthetic.lackey" 4000000 $((256 << 20))
"$CLIENT" gen "$WORK/evicting.lackey" 4000000 $((WS << 12))
traces=("$WORK/synthetic.lackey")
if command -v valgrind >/dev/null; then
	head -c $((KB * 1024)) "$MMUFS" >"$WORK/gzip.in"
	valgrind --tool=lackey --trace-mem=yes --log-file="$WORK/gzip.lackey" \
		gzip -c "$WORK/gzip.in" >/dev/null
	traces+=("$WORK/gzip.lackey")
else
	echo "valgrind is not installed: no real lackey trace"
fi

mkdir "$MNT"
taskset -c 0 "$MMUFS" -f --init none --mem 1G --swap 64M "$MNT" 2>"$WORK/log" &
DAEMON=$!
for _ in $(seq 100); do
	mountpoint -q "$MNT" && break
	kill -0 "$DAEMON" 2>/dev/null || { echo "mmufs exited: $(cat "$WORK/log")" >&2; exit 1; }
	sleep 0.1
done
mountpoint -q "$MNT" || { echo "mmufs did not mount in 10 s" >&2; exit 1; }
echo "mmufs pid $DAEMON on CPUs $(taskset -cp "$DAEMON" | sed 's/.*: //')"

# fork_child - a fresh child of pid 1; sets pid.
fork_child() {
	exec 3<>"$MNT/1/ctl"
	printf 'fork\n' >&3
	pid=$(head -n 1 <&3)
	exec 3>&-
}

# reap_child - kill and reap the child fork_child made.
reap_child() {
	echo "kill $pid 9" >"$MNT/ctl"
	echo "wait $pid" >"$MNT/1/ctl"
}

for t in "${traces[@]}"; do
	fork_child
	cat "$t" >/dev/null	# in the page cache: time the replay, not the disk
	taskset -c 0 "$CLIENT" run "$MNT/$pid/ctl" "$t"
	reap_child
done

echo "under pressure: $FRAMES frames, a textbook policy (misses = major faults)"
for t in "$WORK/evicting.lackey" "${traces[@]:1}"; do
	echo "$t:"
	cat "$t" >/dev/null
	for policy in lru fifo clock; do
		fork_child
		taskset -c 0 "$CLIENT" evict "$MNT/$pid/ctl" "$t" "$FRAMES" "$policy"
		reap_child
	done
done

dinero=$(command -v dineroIV || command -v dinero || true)
if [ -z "$dinero" ] || [ ! -f "$WORK/gzip.lackey" ]; then
	echo "DineroIV is not installed${dinero:+ (or there is no real trace)}: no comparison" \
		"(it simulates a cache at about 7 M refs/s)"
	exit 0
fi
# DineroIV reads "din" lines: 0 read, 1 write, 2 fetch, and a hex address.
awk '/^I/ { print 2, $2 } /^ [LS]/ { print ($1 == "S"), $2 }
	/^ M/ { print 0, $2; print 1, $2 }' "$WORK/gzip.lackey" |
	sed 's/,.*//' >"$WORK/gzip.din"
refs=$(wc -l <"$WORK/gzip.din")
t0=$(date +%s.%N)
taskset -c 0 "$dinero" -l1-usize 32k -l1-ubsize 64 -informat d <"$WORK/gzip.din" >/dev/null
t1=$(date +%s.%N)
awk -v n="$refs" -v a="$t0" -v b="$t1" \
	'BEGIN { printf "DineroIV: %d refs in %.3f s: %.2f M refs/s\n", n, b - a, n / (b - a) / 1e6 }'
