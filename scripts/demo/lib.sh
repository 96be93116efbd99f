# lib.sh - shared by the demos: run a command, show it, and show its result.
MNT=${1:?usage: $0 MOUNTPOINT (a mounted mmufs)}
[ -e "$MNT/machine" ] || { echo "$MNT is not an mmufs mount" >&2; exit 1; }

# say LINE... - a comment for the class, one argument a line.
say() {
	printf '\n'
	printf '# %s\n' "$@"
}

# run PID|machine COMMAND - write COMMAND to the ctl file, print its result.
# A command that fails stops the demo when MMUFS_DEMO_STRICT is set (the
# test of the demos sets it); run_fails is for a failure the demo shows.
run() {
	ctl_write "$1" "$2" ||
		{ [ -z "${MMUFS_DEMO_STRICT:-}" ] || exit 1; }
}

# run_fails PID|machine COMMAND - like run, for a command meant to fail.
run_fails() {
	! ctl_write "$1" "$2" ||
		{ [ -z "${MMUFS_DEMO_STRICT:-}" ] || exit 1; }
}

# ctl_write PID|machine COMMAND - show the write, set RESULT to the first
# line read back and print it; false if the command failed.
ctl_write() {
	local file=$MNT/$1/ctl ok=true
	[ "$1" = machine ] && file=$MNT/ctl
	exec 9<>"$file"
	printf '$ echo "%s" > %s\n' "$2" "$file"
	printf '%s\n' "$2" >&9 2>/dev/null || ok=false
	RESULT=$(head -n 1 <&9)
	exec 9>&-
	printf '%s\n' "$RESULT"
	$ok
}

# show COMMAND... - print a shell command and run it.
show() {
	printf '$ %s\n' "$*"
	"$@"
}

# pfn PID ADDR - the frame pagemap says ADDR maps to (0: none).
pfn() {
	local e
	e=$(dd if="$MNT/$1/pagemap" bs=8 skip=$(( $2 / 4096 )) count=1 2>/dev/null |
		od -An -t x8 | tr -d ' \n')
	if (( (0x$e >> 63) & 1 )); then
		echo $(( 0x$e & ((1 << 55) - 1) ))
	else
		echo 0
	fi
}
