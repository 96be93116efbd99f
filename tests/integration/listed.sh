#!/usr/bin/env bash
# listed.sh DIR NAME... - every DIR/t_*.sh is one of the NAMEs that
# tests/meson.build lists, so that no integration test goes unrun.
dir=$1
shift
status=0
for script in "$dir"/t_*.sh; do
	name=$(basename "$script" .sh)
	case " $* " in
	*" $name "*) ;;
	*) echo "FAIL: $name.sh is not listed in tests/meson.build"; status=1 ;;
	esac
done
exit $status
