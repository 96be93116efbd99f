#!/usr/bin/env bash
# The command line: bad options and mount points give one line on stderr
# and exit status 1; the daemon forks unless -f; SIGTERM, SIGINT and
# fusermount3 -u unmount cleanly.
. "$(dirname "$0")/lib.sh"

# bad ARGS... - mmufs must refuse with exit 1 and exactly one stderr line.
bad() {
	local err status
	set +e
	err=$("$MMUFS" "$@" 2>&1 >/dev/null)
	status=$?
	set -e
	[ "$status" = 1 ] || fail "mmufs $*: exit status $status, expected 1"
	[ "$(printf '%s\n' "$err" | wc -l)" = 1 ] && [ -n "$err" ] ||
		fail "mmufs $*: expected one line on stderr, got: $err"
	! mountpoint -q "$MNT" || fail "mmufs $* mounted"
	return 0
}

bad --mem 0 "$MNT"
bad --mem 65G "$MNT"
bad --mem lots "$MNT"
bad --cpus 0 "$MNT"
bad --cpus 65 "$MNT"
bad --nodes 0 "$MNT"
bad --nodes 9 "$MNT"
bad --nodes two "$MNT"
bad --nodes -1 "$MNT"
bad --nodes 3 --mem 40M "$MNT"			# 16 MiB per node at least
bad --tlb 63 "$MNT"
bad --tlb 64:3 "$MNT"
bad --arch arm "$MNT"
bad --arch i386 --mem 8G "$MNT"
bad --layout sideways "$MNT"
bad --swap 20K "$MNT"			# mkswap's minimum is 40 KiB
bad --swap 65G "$MNT"
bad --swap lots "$MNT"
bad --init "$MNT.no-such-program" "$MNT"
bad --init /etc/passwd "$MNT"
bad --vdso32 /etc/passwd "$MNT"			# without --arch i386
bad --arch i386 --vdso32 /etc/passwd "$MNT"	# not an i386 vDSO
bad --arch i386 --vdso32 "$MNT.no-such-image" "$MNT"
bad --frobnicate "$MNT"
bad
bad "$MNT.does-not-exist"
bad "$MNT" "$MNT"
touch "$MNT.file"
bad "$MNT.file"
rm -f "$MNT.file"
"$MMUFS" --help | grep -q '^usage: mmufs' || fail "--help"
"$MMUFS" --version | grep -q '^mmufs ' || fail "--version"

# Without -f the daemon forks and the mount is there when it returns.
"$MMUFS" --init none --mem 16M --cpus 2 --tlb 32:2 --layout legacy "$MNT" 2>"$LOG"
mountpoint -q "$MNT" || fail "not mounted after the daemon started"
grep -q '^cpus: 2$' "$MNT/machine" || fail "--cpus"
grep -q '^tlb: 32 entries 2 ways 16 sets$' "$MNT/machine" || fail "--tlb"
grep -q '^layout: legacy$' "$MNT/machine" || fail "--layout"
grep -q '^node:' "$MNT/machine" && fail "node lines with one node"
[ "$(cat "$MNT/node/online")" = 0 ] || fail "node/online of one node"
a=$(ctl 1 "mmap 0 4K rw- private")
[ "$a" = 0x2aaaaaaab000 ] || fail "legacy layout placed the mapping at $a"
fusermount3 -u "$MNT"
! mountpoint -q "$MNT" || fail "still mounted after fusermount3 -u"

# --aslr: the stack and the mmap area move from one boot to the next.
stack_of() { grep '\[stack\]' "$MNT/1/maps"; }
mount_mmufs --aslr
grep -q '^aslr: on$' "$MNT/machine" || fail "--aslr"
s1=$(stack_of)
[ "$s1" != "7ffffffde000-7ffffffff000 rw-p 00000000 00:00 0                          [stack]" ] ||
	fail "--aslr left the stack where setarch -R puts it"
fusermount3 -u "$MNT"
wait "$DAEMON" || true
mount_mmufs --aslr
[ "$(stack_of)" != "$s1" ] || fail "two boots with --aslr placed the stack alike"
check_machine
fusermount3 -u "$MNT"
wait "$DAEMON" || true
DAEMON=

# In the foreground: SIGTERM and SIGINT unmount and end the daemon.
for sig in TERM INT; do
	mount_mmufs
	kill -s "$sig" "$DAEMON"
	daemon_stopped "SIG$sig"
done
