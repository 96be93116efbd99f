#!/usr/bin/env bash
# man.sh MMUFS PAGE - mmufs(1), made from README.md, renders without a
# warning from groff, has its sections, and names every option that
# `mmufs --help` lists.
set -u
mmufs=$1 page=$2
fail() { echo "FAIL: $*" >&2; exit 1; }

text=$(groff -man -Tutf8 -ww -P -cbou "$page" 2>/tmp/man.err.$$) || fail "groff failed"
err=$(cat /tmp/man.err.$$)
rm -f /tmp/man.err.$$
[ -z "$err" ] || fail "groff warns: $err"
for s in NAME SYNOPSIS DESCRIPTION OPTIONS "THE TREE" "THE CTL LANGUAGE" "SEE ALSO"; do
	grep -qx "$s" <<<"$text" || fail "no section $s"
done
for e in EINVAL ENOMEM ESRCH EPERM; do
	grep -q "^ *$e " <<<"$text" || fail "the errno table lacks $e"
done
grep -q "^ *frames/<pfn>" <<<"$text" || fail "the tree lacks frames/<pfn>"
grep -q "^ *fork " <<<"$text" || fail "the ctl language lacks fork"
opts=$("$mmufs" --help | grep -o -- '--[a-z0-9-]*' | sort -u)
[ -n "$opts" ] || fail "mmufs --help lists no option"
for o in $opts; do
	grep -E '^ +-' <<<"$text" | grep -Eq -- "(^| |,)$o([ ,]|$)" ||
		fail "the manual does not describe $o"
done
"$mmufs" --help | grep -q "mmufs(1)" || fail "--help does not point to mmufs(1)"
echo "ok: $(wc -l <<<"$text") lines, options: $(echo $opts)"
