#!/usr/bin/env bash
# Shutdown and restart: SIGTERM, SIGINT and fusermount3 -u each end a busy
# daemon (processes with anonymous, shared and file memory, exec'd images
# with libraries, threads, zombies, a cached file, open ctl files) with
# status 0, the mount gone and nothing on stderr (under the sanitizer build
# LeakSanitizer reports any block not freed there); scripts/run.sh then
# recovers the stale mount a killed daemon leaves and says so.
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)

# busy - give the machine a little of everything to free.
busy() {
	local c g a b
	c=$(ctl 1 fork)
	b=$(ctl "$c" "mmap 0 1M rw- private")
	ctl "$c" "touch $b 1M w" >/dev/null
	a=$(ctl "$c" "mmap 0 64K rw- shared")
	ctl "$c" "touch $a 64K w" >/dev/null
	a=$(ctl "$c" "mmap 0 64K r-- private /bin/sh")
	ctl "$c" "touch $a 64K r" >/dev/null
	ctl "$c" thread >/dev/null
	g=$(ctl "$c" fork)
	ctl "$g" "store $b 'x'" >/dev/null		# a COW copy
	ctl "$g" "exit 3" >/dev/null			# a zombie nobody reaps
	ctl machine "spawn /bin/sh" >/dev/null
	ctl machine "spawn --link /usr/bin/cat /etc/hostname" >/dev/null
	c=$(ctl 1 fork)
	ctl "$c" "exec HOME=/ /usr/bin/cat" >/dev/null
	exec 3<>"$MNT/$c/ctl"				# left open
	check_machine
}

for how in TERM INT umount; do
	mount_mmufs --init /bin/sh --mem 64M --cpus 2
	busy
	exec 3>&-
	case $how in
	umount) fusermount3 -u "$MNT" ;;
	*) kill -s "$how" "$DAEMON" ;;
	esac
	daemon_stopped "$how"
done

# A daemon killed outright leaves a stale mount; run.sh clears it.
mount_mmufs
kill -9 "$DAEMON"
wait "$DAEMON" 2>/dev/null || true
DAEMON=
ls "$MNT" >/dev/null 2>&1 && fail "the mount still answers after kill -9"
[ -x "$ROOT/build/fs/mmufs" ] || fail "run.sh needs the plain build in $ROOT/build"
out=$("$ROOT/scripts/run.sh" "$MNT" 2>&1) || fail "run.sh: $out"
case $out in
*"stale mount"*) ;;
*) fail "run.sh did not say it cleared the stale mount: $out" ;;
esac
grep -q ' r-xp .*/usr/bin/dash$' "$MNT/1/maps" || fail "run.sh's machine has no init"
check_machine
fusermount3 -u "$MNT"
echo ok
