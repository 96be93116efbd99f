#!/usr/bin/env bash
# --init: by default pid 1 is /bin/sh exec'd at boot, laid out as the
# host kernel lays it out; a program that cannot be exec'd stops the
# daemon before it mounts; reset boots the same init again.
. "$(dirname "$0")/lib.sh"
EXECMAPS=${EXECMAPS:?set EXECMAPS to tests/tools/execmaps}

out=$("$MMUFS" -f --init "$MNT.missing" "$MNT" 2>&1) && fail "--init of a missing file mounted"
case $out in
*"--init $MNT.missing: No such file or directory"*) ;;
*) fail "--init of a missing file: '$out'" ;;
esac
mountpoint -q "$MNT" && fail "mounted anyway"

mount_mmufs --init /bin/sh
diff <("$EXECMAPS" /bin/sh) "$MNT/1/maps" || fail "init's maps differ from the kernel's"
assert_eq "$(cat "$MNT/1/comm")" sh "init's comm"
assert_eq "$(tr '\0' ' ' <"$MNT/1/cmdline")" "/bin/sh " "init's cmdline"
assert_eq "$(wc -c <"$MNT/1/environ")" 0 "init's environment"
check_machine
child=$(ctl 1 fork)
ctl "$child" "exec /usr/bin/cat" >/dev/null
ctl machine reset >/dev/null
[ -d "$MNT/$child" ] && fail "reset kept process $child"
diff <("$EXECMAPS" /bin/sh) "$MNT/1/maps" || fail "init's maps after reset"
check_machine

# A reset whose init can no longer be exec'd says why, in exec's words,
# and leaves pid 1 empty.
fusermount3 -u "$MNT"
wait "$DAEMON"
cp /bin/true "$MNT.init"
mount_mmufs --init "$MNT.init"
rm "$MNT.init"
exec 9<>"$MNT/ctl"
printf 'reset\n' >&9 2>/dev/null && fail "reset with a missing init succeeded"
assert_eq "$(head -n 1 <&9)" "error ENOENT: reset: init $MNT.init (or its interpreter or a library): no such file; pid 1 is empty" \
	"reset with a missing init"
exec 9>&-
assert_eq "$(grep -vc -e '\[stack\]$' -e '\[vsyscall\]$' "$MNT/1/maps")" 0 \
	"pid 1 after the failed reset"
check_machine
echo ok
