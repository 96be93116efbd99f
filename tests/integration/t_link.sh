#!/usr/bin/env bash
# exec --link: the libraries ld.so would map, compared with a real process
# stopped at its program's entry point (tests/tools/execmaps --entry):
# the same files in the same address order, and each file's vmas (offset
# from the file's lowest vma, size, protections, file offset) identical;
# the program and ld.so at the same addresses.  Absolute addresses of the
# libraries differ by ld.so's own allocations, which are not simulated.
. "$(dirname "$0")/lib.sh"
EXECMAPS=${EXECMAPS:?set EXECMAPS to tests/tools/execmaps}
mount_mmufs --init none --mem 256M

# layout - per file: its vmas relative to the file's lowest one, and the
# files in address order; the program's and ld.so's absolute too.
layout() {
	python3 -c '
import sys
prog = sys.argv[1]
base, order, out = {}, [], []
for line in sys.stdin:
    f = line.split()
    if len(f) < 6 or not f[5].startswith("/"):
        continue
    s, e = (int(x, 16) for x in f[0].split("-"))
    path = f[5]
    if path not in base:
        base[path] = s
        order.append(path)
    keep = s if path == prog or "/ld-linux" in path else s - base[path]
    out.append("%s %x %x %s %s" % (path, keep, e - s, f[1], f[2]))
print("\n".join(order))
print("\n".join(out))
' "$1"
}

for prog in /usr/bin/cat /usr/bin/python3; do
	[ -x "$prog" ] || continue
	real=$(realpath "$prog")
	pid=$(ctl machine "spawn --link $prog")
	diff <("$EXECMAPS" --entry "$prog" | layout "$real") \
		<(layout "$real" <"$MNT/$pid/maps") ||
		fail "--link layout of $prog differs from ld.so's"
	check_machine
done

# A missing library: ENOENT, nothing spawned.
lib=$MNT.lib
mkdir -p "$lib"
trap 's=$?; set +e; rm -rf "$lib"; (exit $s); cleanup' EXIT
printf 'int f(void) { return 1; }\n' >"$lib/f.c"
printf 'int f(void); int main(void) { return f(); }\n' >"$lib/m.c"
gcc -shared -fPIC -o "$lib/libf.so" "$lib/f.c"
gcc -o "$lib/prog" "$lib/m.c" -L"$lib" -lf
before=$(ls "$MNT")
ctl_err machine "spawn --link $lib/prog" ENOENT
assert_eq "$(ls "$MNT")" "$before" "processes after a failed spawn"
# LD_LIBRARY_PATH from the environment finds it, as it does for ld.so.
pid=$(ctl machine "spawn --link LD_LIBRARY_PATH=$lib $lib/prog")
grep -q " $lib/libf.so$" "$MNT/$pid/maps" || fail "libf.so not mapped"
diff <("$EXECMAPS" -e "LD_LIBRARY_PATH=$lib" --entry "$lib/prog" | layout "$lib/prog") \
	<(layout "$lib/prog" <"$MNT/$pid/maps") || fail "LD_LIBRARY_PATH layout"
check_machine
echo ok
