#!/usr/bin/env bash
# bench_fs.sh [BUILD_DIR [SECONDS]] - mmufs file operations against the same
# operations on a no-op FUSE file (see bench_fs.c for what is measured).
#
# Builds nothing: run `ninja -C build` first.  Mounts mmufs and noopfs on
# fresh directories, both daemons pinned to CPU 0 with taskset, as is the
# client (FUSE round trips cost 6-100 us depending on CPU sharing; on one
# CPU they are steady); forks a child of pid 1 in mmufs and gives it 100
# VMAs (single pages with holes, alternating rw-/r--, the rw- ones
# written); runs bench_fs; unmounts from a trap whatever happens.
# BUILD_DIR defaults to build/, SECONDS (per operation and mount) to 1.5.

set -eu

BUILD=${1:-build}
SECS=${2:-}
MMUFS=$BUILD/fs/mmufs
NOOPFS=$BUILD/bench/noopfs
BENCH=$BUILD/bench/bench_fs
NR_VMAS=100
BASE=$((0x10000000))

for f in "$MMUFS" "$NOOPFS" "$BENCH"; do
	if [ ! -x "$f" ]; then
		echo "bench_fs.sh: no $f: build first (ninja -C $BUILD)" >&2
		exit 1
	fi
done
if [ ! -c /dev/fuse ]; then
	echo "bench_fs.sh: no /dev/fuse: cannot mount"
	exit 77
fi

MNT1=$(mktemp -d /tmp/mmufs-bench.XXXXXX)
MNT2=$(mktemp -d /tmp/noopfs-bench.XXXXXX)
LOG1=$MNT1.log
LOG2=$MNT2.log
DAEMON1=
DAEMON2=
CLIENT=

# cleanup - stop the client if it still runs, close our ctl fd, unmount
# both, reap the daemons, and show their stderr if they said anything
# (but libfuse 3.14's harmless max-threads notice).
cleanup() {
	local status=$? m
	trap - EXIT INT TERM
	if [ -n "$CLIENT" ] && kill -0 "$CLIENT" 2>/dev/null; then
		kill "$CLIENT" 2>/dev/null || true
		wait "$CLIENT" 2>/dev/null || true
	fi
	exec 3>&-
	for m in "$MNT1" "$MNT2"; do
		if mountpoint -q "$m" 2>/dev/null; then
			fusermount3 -u "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
		fi
	done
	for m in $DAEMON1 $DAEMON2; do
		wait "$m" 2>/dev/null || true
	done
	rmdir "$MNT1" "$MNT2" 2>/dev/null || true
	for m in "$LOG1" "$LOG2"; do
		if [ -f "$m" ] && grep -qv 'Ignoring invalid max threads value' "$m"; then
			echo "daemon stderr ($m):" >&2
			cat "$m" >&2
		fi
		rm -f "$m"
	done
	exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# mount_fs MNT DAEMON-PID-VARIABLE LOG COMMAND... - start a daemon in the
# foreground, pinned to CPU 0, and wait for its mount.
mount_fs() {
	local mnt=$1 var=$2 log=$3 i
	shift 3
	taskset -c 0 "$@" -f "$mnt" 2>"$log" &
	eval "$var=$!"
	for i in $(seq 100); do
		mountpoint -q "$mnt" && return 0
		if ! kill -0 "${!var}" 2>/dev/null; then
			echo "bench_fs.sh: $1 exited: $(cat "$log")" >&2
			exit 1
		fi
		sleep 0.1
	done
	echo "bench_fs.sh: $1 did not mount in 10 s" >&2
	exit 1
}

# cpus PID - the CPUs a process may run on.
cpus() {
	taskset -cp "$1" | sed 's/.*: //'
}

mount_fs "$MNT1" DAEMON1 "$LOG1" "$MMUFS"
mount_fs "$MNT2" DAEMON2 "$LOG2" "$NOOPFS"
echo "mmufs pid $DAEMON1 on CPUs $(cpus "$DAEMON1"), noopfs pid $DAEMON2" \
	"on CPUs $(cpus "$DAEMON2")"

# The process: a child of pid 1 with NR_VMAS VMAs, every rw- page written.
exec 3<>"$MNT1/1/ctl"
printf 'fork\n' >&3
PID=$(head -n 1 <&3)
exec 3>&-
exec 3<>"$MNT1/$PID/ctl"
have=$(wc -l <"$MNT1/$PID/maps")
for ((i = 0; i < NR_VMAS - have; i++)); do
	addr=$((BASE + i * 2 * 4096))
	if ((i % 2)); then
		printf 'mmap %#x 4K r-- private,fixed\n' "$addr" >&3
	else
		printf 'mmap %#x 4K rw- private,fixed\n' "$addr" >&3
		printf 'touch %#x 4K w\n' "$addr" >&3
	fi
done
exec 3>&-
n=$(wc -l <"$MNT1/$PID/maps")
if [ "$n" -ne "$NR_VMAS" ]; then
	echo "bench_fs.sh: pid $PID has $n VMAs, not $NR_VMAS" >&2
	exit 1
fi

# In the background and waited for, so that a signal to this script stops
# it at once (the trap then stops the client).
taskset -c 0 "$BENCH" "$MNT1" "$MNT2" "$PID" ${SECS:+"$SECS"} &
CLIENT=$!
wait "$CLIENT"
