# lib.sh - sourced by every integration test: mounts the built daemon in
# the foreground on a fresh directory, unmounts it from an EXIT trap, and
# gives small helpers to drive it as a user would.
#
# Environment: MMUFS (the daemon binary, set by meson), MMUFS_OPTS (extra
# options for this test).

set -eu

MMUFS=${MMUFS:?set MMUFS to the mmufs binary}
MNT=$(mktemp -d /tmp/mmufs-test.XXXXXX)
LOG=$MNT.log
DAEMON=

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# cleanup - unmount, wait for the daemon, and scan its stderr for
# anything suspicious (libfuse 3.14's max-threads notice is harmless).
cleanup() {
	local status=$? fd
	# Files the test left open would keep the mount busy.
	for fd in 3 4 5 6 7 8 9; do
		eval "exec $fd>&-" 2>/dev/null || true
	done
	# /proc/mounts, not mountpoint(1): a mount whose daemon died fails
	# mountpoint's stat (ENOTCONN) but must go too.
	if awk -v m="$MNT" '$2 == m { found = 1 } END { exit !found }' /proc/mounts; then
		fusermount3 -u "$MNT" 2>/dev/null || umount -l "$MNT" 2>/dev/null || true
	fi
	if [ -n "$DAEMON" ]; then
		for _ in $(seq 100); do
			kill -0 "$DAEMON" 2>/dev/null || break
			sleep 0.1
		done
		if kill -0 "$DAEMON" 2>/dev/null; then
			echo "mmufs did not exit after the unmount: killed" >&2
			kill -9 "$DAEMON" 2>/dev/null || true
			status=1
		fi
		wait "$DAEMON" 2>/dev/null || true
	fi
	rmdir "$MNT" 2>/dev/null || true
	[ -z "${TEST_USER:-}" ] || userdel -f "$TEST_USER" 2>/dev/null || true
	if [ -f "$LOG" ]; then
		if grep -v 'Ignoring invalid max threads value' "$LOG" |
			grep -Eiq 'error|warning|fault|crash|abort|panic|sanitizer|leak'; then
			echo "daemon stderr:" >&2
			cat "$LOG" >&2
			status=1
		fi
		rm -f "$LOG"
	fi
	exit $status
}
trap cleanup EXIT

# skip REASON - the test cannot run on this machine: meson counts it as
# skipped, but under CI (CI set) that is a failure, since a skipped test
# proves nothing and CI machines have every prerequisite (README).
skip() {
	[ -z "${CI:-}" ] || fail "cannot run under CI: $*"
	echo "skipped: $*"
	exit 77
}

[ -c /dev/fuse ] || skip "no /dev/fuse: cannot mount"

# mount_mmufs [OPTIONS...] - start the daemon and wait for the mount.
# Unless the test names an --init, pid 1 is empty (--init none), so that
# its address space holds only what the test puts there.
mount_mmufs() {
	local init=(--init none)
	case " $* " in
	*" --init"*) init=() ;;
	esac
	"$MMUFS" -f "${init[@]}" "$@" "$MNT" 2>"$LOG" &
	DAEMON=$!
	for _ in $(seq 100); do
		mountpoint -q "$MNT" && return 0
		kill -0 "$DAEMON" 2>/dev/null || fail "mmufs exited: $(cat "$LOG")"
		sleep 0.1
	done
	fail "mmufs did not mount in 10 s"
}

# ctl PID|machine COMMAND - run one command through a fresh open of the
# ctl file and print its result; fails the test if the command fails.
ctl() {
	local file=$MNT/$1/ctl
	[ "$1" = machine ] && file=$MNT/ctl
	exec 9<>"$file"
	printf '%s\n' "$2" >&9 || { cat <&9 >&2; exec 9>&-; fail "ctl $1: $2"; }
	head -n 1 <&9
	exec 9>&-
}

# faults PID "touch ..." - run a touch and print the faults it took (the
# first word of its result, before the time and EAT).
faults() {
	local r
	r=$(ctl "$1" "$2") || exit 1
	echo "${r%% *}"
}

# ctl_err PID|machine COMMAND ERRNAME - the command must fail with ERRNAME.
ctl_err() {
	local file=$MNT/$1/ctl out
	[ "$1" = machine ] && file=$MNT/ctl
	exec 9<>"$file"
	if printf '%s\n' "$2" >&9 2>/dev/null; then
		exec 9>&-
		fail "'$2' succeeded, expected $3"
	fi
	out=$(head -n 1 <&9)
	exec 9>&-
	case $out in
	"error $3: "*) ;;
	*) fail "'$2': expected error $3, got '$out'" ;;
	esac
}

# check_machine - the invariant checker must find nothing.
check_machine() {
	local out
	out=$(ctl machine check) || fail "check failed"
	[ "$out" = ok ] || fail "check: $out"
}

# field FILE KEY - the value after "KEY:" in a status/meminfo-like file.
# pcp_pages - the pages on every per-cpu list (zoneinfo's pagesets
# count): free frames that nr_free_pages and MemFree leave out, as on Linux.
pcp_pages() {
	awk '$1 == "count:" { n += $2 } END { print n + 0 }' "$MNT/zoneinfo"
}

# free_frames - every free frame: vmstat's nr_free_pages plus the pcp lists.
free_frames() {
	echo $(($(awk '$1 == "nr_free_pages" { print $2 }' "$MNT/vmstat") + $(pcp_pages)))
}

field() {
	awk -v k="$2:" '$1 == k { print $2; exit }' "$1"
}

# pagemap_entry PID ADDR - the 64-bit pagemap entry of ADDR, in hex.
pagemap_entry() {
	dd if="$MNT/$1/pagemap" bs=8 skip=$(( $2 / 4096 )) count=1 2>/dev/null |
		od -An -t x8 | tr -d ' \n'
}

# pfn_of PID ADDR - the PFN mapped at ADDR (decimal), 0 if not present.
pfn_of() {
	local e
	e=$(pagemap_entry "$1" "$2")
	if (( (0x$e >> 63) & 1 )); then
		echo $(( 0x$e & ((1 << 55) - 1) ))
	else
		echo 0
	fi
}

# kpage FILE PFN - the 64-bit entry of kpageflags or kpagecount.
kpage() {
	dd if="$MNT/$1" bs=8 skip="$2" count=1 2>/dev/null | od -An -t u8 | tr -d ' \n'
}

# daemon_stopped WHAT - after WHAT (a signal or an unmount) the daemon
# ends by itself within 10 s with status 0, the mount gone and nothing on
# stderr (under the sanitizer build, LeakSanitizer reports unfreed blocks
# there).
daemon_stopped() {
	for _ in $(seq 100); do
		kill -0 "$DAEMON" 2>/dev/null || break
		sleep 0.1
	done
	kill -0 "$DAEMON" 2>/dev/null && fail "$1 did not stop the daemon"
	wait "$DAEMON" || fail "exit status after $1"
	DAEMON=
	! mountpoint -q "$MNT" || fail "still mounted after $1"
	if grep -v 'Ignoring invalid max threads value' "$LOG" | grep -q .; then
		cat "$LOG" >&2
		fail "stderr after $1"
	fi
}

# make_user - create a user for the test (root only), removed by cleanup
# once the daemon is gone; sets TEST_USER, and as_user runs a command as
# that user.
make_user() {
	TEST_USER=mmufs$$
	useradd -M -N -s /usr/sbin/nologin "$TEST_USER" || fail "useradd"
}
as_user() {
	setpriv --reuid "$(id -u "$TEST_USER")" --regid "$(id -g "$TEST_USER")" \
		--clear-groups "$@"
}

assert_eq() {
	[ "$1" = "$2" ] || fail "$3: got '$1', expected '$2'"
}

# exec_programs - $bin, a directory for the programs an exec test builds
# ($MNT.bin, removed at exit), holding hello.c: a C program with data,
# bss and a libc call.
exec_programs() {
	bin=$MNT.bin
	mkdir -p "$bin"
	trap 's=$?; set +e; rm -rf "$bin"; (exit $s); cleanup' EXIT
	cat >"$bin/hello.c" <<'EOF2'
#include <stdio.h>
int big[5000];
int init = 5;
int main(int c, char **v) { printf("%d %s\n", c + init + big[1], v[0]); return 0; }
EOF2
}
