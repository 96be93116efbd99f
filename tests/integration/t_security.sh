#!/usr/bin/env bash
# Security: a user created for the test mounts mmufs as itself.  The
# daemon opens host files only read-only and with that user's rights: it
# cannot map or exec what the user cannot read (directly, through a
# symlink, or under a directory the user cannot search), nor map shared
# and writable a file the user cannot write; the host files never change.
# Root, another user, sees nothing of that mount (no allow_other), and the
# user's ctl and mem are its own (modes 0600).
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" = 0 ] || skip "needs root to create a user"
command -v useradd >/dev/null && command -v setpriv >/dev/null ||
	skip "no useradd or setpriv"

make_user
user=$TEST_USER
uid=$(id -u "$user")
gid=$(id -g "$user")
secret=$MNT.secret
# libfuse opens /dev/fuse itself before it falls back to fusermount3: a
# machine whose /dev/fuse is root's alone (0600, as in some containers)
# lets the user in for the test's duration.
fuse_mode=$(stat -c %a /dev/fuse)
# undo - unmount as the user (root cannot see the mount) and let the
# daemon end; cleanup then removes the user.
undo() {
	chmod "$fuse_mode" /dev/fuse
	as_user fusermount3 -u "$MNT" 2>/dev/null || true
	for _ in $(seq 50); do
		[ -n "$DAEMON" ] && kill -0 "$DAEMON" 2>/dev/null || break
		sleep 0.1
	done
	rm -rf "$secret"
}
trap 's=$?; undo; (exit $s); cleanup' EXIT
chmod o+rw /dev/fuse

# Files the user may not read: /etc/shadow, a copy of sh under a
# directory it cannot search, a symlink to shadow, and one it may read
# but not write.
mkdir -p "$secret/dir"
cp /bin/sh "$secret/dir/sh"
chmod 0700 "$secret/dir"
ln -sf /etc/shadow "$secret/link"
head -c 8192 /dev/urandom >"$secret/ro"
chmod 0644 "$secret/ro"
chmod 0755 "$secret"
sum=$(md5sum "$secret/ro" /etc/shadow)

chown "$uid:$gid" "$MNT"
as_user "$MMUFS" -f --init none "$MNT" >/dev/null 2>"$LOG" &
DAEMON=$!
for _ in $(seq 100); do
	as_user test -e "$MNT/1/maps" 2>/dev/null && break
	kill -0 "$DAEMON" 2>/dev/null || fail "mmufs as $user exited: $(cat "$LOG")"
	sleep 0.1
done

# uctl PID|machine CMD - CMD as the user, through one open of the ctl
# file; prints the result, or the error line and fails.
uctl() {
	local file=$MNT/$1/ctl
	[ "$1" = machine ] && file=$MNT/ctl
	as_user /usr/bin/python3 - "$file" "$2" <<'EOF'
import os, sys
fd = os.open(sys.argv[1], os.O_RDWR)
try:
    os.write(fd, sys.argv[2].encode() + b"\n")
finally:
    print(os.read(fd, 4096).decode().strip())
EOF
}

# expect_err PID|machine CMD ERRNAME - CMD as the user fails with ERRNAME.
expect_err() {
	local out
	out=$(uctl "$1" "$2" 2>/dev/null) && fail "'$2' as $user succeeded: $out"
	case $out in
	"error $3: "*) ;;
	*) fail "'$2' as $user: expected $3, got '$out'" ;;
	esac
}

a=$(uctl 1 "mmap 0 8K r-- private $secret/ro") || fail "the user cannot map a file it may read"
expect_err 1 "mmap 0 4K r-- private /etc/shadow" EACCES
expect_err 1 "mmap 0 4K r-- private $secret/link" EACCES
expect_err 1 "mmap 0 4K r-x private $secret/dir/sh" EACCES
expect_err 1 "mmap 0 4K rw- shared $secret/ro" EACCES
expect_err 1 "exec $secret/dir/sh" EACCES
expect_err 1 "exec /etc/shadow" EACCES
expect_err machine "spawn $secret/dir/sh" EACCES
p=$(uctl 1 "mmap 0 8K rw- private $secret/ro") || fail "private writable map of a readable file"
uctl 1 "store $p 'written'" >/dev/null || fail "private store"
assert_eq "$(md5sum "$secret/ro" /etc/shadow)" "$sum" "host files after the attempts"

# The daemon holds host files read-only, and nothing else.
for fd in /proc/"$DAEMON"/fd/*; do
	t=$(readlink "$fd")
	case $t in
	/dev/fuse | /dev/null | pipe:* | socket:* | anon_inode:* | "$LOG") continue ;;
	esac
	flags=$(awk '/^flags:/ { print $2 }' /proc/"$DAEMON"/fdinfo/"${fd##*/}")
	(( (8#$flags & 3) == 0 )) || fail "the daemon holds $t open for writing (flags $flags)"
done

# Root does not see into the user's mount (no allow_other); the user's
# own ctl and mem are 0600.
ls "$MNT/1" >/dev/null 2>&1 && fail "root sees the user's mount without allow_other"
assert_eq "$(as_user stat -c %a "$MNT/1/ctl" "$MNT/1/mem" | tr '\n' ' ')" "600 600 " "modes of ctl and mem"
as_user sh -c "echo check > '$MNT/ctl'" || fail "check as the user"
assert_eq "$(as_user cat "$MNT/ctl")" ok "check"
as_user fusermount3 -u "$MNT" || fail "the user cannot unmount"
wait "$DAEMON" || fail "daemon status"
DAEMON=
echo ok
