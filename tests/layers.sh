#!/usr/bin/env bash
# layers.sh SRC - the includes of every source file keep the layers
# (README "Layout"): hw/ includes only hw/ and util/ headers; the kernel
# (mm/, kernel/, exec/, user/) nothing of fs/; only fs/ops.c and
# fs/main.c (and ops.h, which only they include) include <fuse.h>.  The link keeps calls in order; this keeps
# the headers, whose inline functions and types a link never sees.
src=$1
status=0

# bad FILE LINE WHY - report one include that breaks a layer.
bad() {
	echo "FAIL: $1: $2: $3"
	status=1
}

# check DIRS ALLOWED WHY - every quoted include of the C files and headers
# of DIRS names a header under one of ALLOWED (a regex of prefixes), or a
# header of the file's own folder.
check() {
	local dirs=$1 allowed=$2 why=$3 f line hdr
	for f in $dirs; do
		[ -f "$src/$f" ] || continue
		while IFS= read -r line; do
			hdr=${line#*\"}
			hdr=${hdr%%\"*}
			[[ $hdr == */* ]] || [ -f "$src/$(dirname "$f")/$hdr" ] ||
				bad "$f" "$line" "no such header"
			[[ $hdr != */* ]] && continue
			[[ $hdr =~ ^($allowed)/ ]] || bad "$f" "$line" "$why"
		done < <(grep -E '^#include "' "$src/$f")
	done
}

cd "$src" || exit 1
shopt -s nullglob
check "$(ls hw/*.c include/hw/*.h)" 'hw|util' \
	'the machine knows nothing of the kernel'
check "$(ls mm/*.[ch] kernel/*.[ch] exec/*.[ch] user/*.[ch] include/mm/*.h \
	include/kernel/*.h include/exec/*.h)" 'hw|util|mm|kernel|exec' \
	'the kernel knows nothing of fs/'
for f in $(grep -l -E '^#include <fuse' fs/*.c fs/*.h); do
	case $f in
	fs/ops.c | fs/main.c | fs/ops.h) ;;
	*) bad "$f" "<fuse.h>" "only ops.c and main.c know FUSE" ;;
	esac
done
exit $status
