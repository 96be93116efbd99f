#!/usr/bin/env bash
# Permissions: the mount is the mounting user's; with allow_other, another
# user (created for the test) may read the 0444 files but not mem,
# pagemap, environ or ctl, nor write a sysctl (default_permissions
# enforces the modes).
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" = 0 ] || skip "needs root to act as another user"
command -v setpriv >/dev/null && command -v useradd >/dev/null ||
	skip "no setpriv or useradd"

make_user

mount_mmufs
as_user ls "$MNT" >/dev/null 2>&1 && fail "another user sees a mount without allow_other"
fusermount3 -u "$MNT"
wait "$DAEMON" || true
DAEMON=

mount_mmufs -o allow_other
as_user cat "$MNT/1/maps" >/dev/null || fail "another user cannot read maps"
as_user cat "$MNT/meminfo" >/dev/null || fail "another user cannot read meminfo"
for f in 1/mem 1/pagemap 1/environ 1/ctl ctl; do
	as_user cat "$MNT/$f" >/dev/null 2>&1 && fail "another user read $f"
done
as_user sh -c "echo fork > '$MNT/1/ctl'" 2>/dev/null && fail "another user wrote 1/ctl"
as_user sh -c "echo check > '$MNT/ctl'" 2>/dev/null && fail "another user wrote ctl"
as_user sh -c "echo 1 > '$MNT/sys/vm/max_map_count'" 2>/dev/null &&
	fail "another user wrote a sysctl"
assert_eq "$(ls "$MNT" | grep -c '^[0-9]')" 3 "nothing was forked"
assert_eq "$(cat "$MNT/sys/vm/max_map_count")" 65530 "the sysctl is unchanged"
check_machine
