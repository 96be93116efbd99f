#!/usr/bin/env bash
# Every demo in scripts/demo/ runs to its end on the machine it asks for
# (its "# mount:" line) with no command failing that it does not mean to
# fail, and leaves every invariant intact.
. "$(dirname "$0")/lib.sh"
demos=$(dirname "$0")/../../scripts/demo

n=0
for demo in "$demos"/[0-9]*.sh; do
	opts=$(sed -n 's/^# mount: //p' "$demo")
	# shellcheck disable=SC2086 # the options are words
	mount_mmufs $opts
	MMUFS_DEMO_STRICT=1 bash "$demo" "$MNT" >"$MNT.out" 2>&1 ||
		{ tail -n 20 "$MNT.out" >&2; fail "$(basename "$demo") failed"; }
	check_machine
	rm -f "$MNT.out"
	fusermount3 -u "$MNT"
	wait "$DAEMON" || fail "$(basename "$demo"): the daemon exited with an error"
	DAEMON=
	n=$((n + 1))
done
[ "$n" -ge 6 ] || fail "found $n demos"
echo ok
