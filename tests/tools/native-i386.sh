#!/usr/bin/env bash
# native-i386.sh OUT LIST - what a native i386 Linux kernel shows for
# 32-bit programs, for the tests of --arch i386.
#
# x86-64 hosts run 32-bit programs through the compat path of a 64-bit
# kernel (and some, as PVM guests, not at all), which lays a process out
# in places a native 32-bit kernel does not.  So this boots a real one:
# Debian 12's 686 kernel (linux-image-6.1.0-N-686: CONFIG_X86_32, 2-level
# paging without PAE, the 3G/1G split, as mmufs's --arch i386 machine)
# under qemu-system-i386 in software emulation, which takes seconds.  Its
# initramfs holds guest_init as /init, execmaps as /execmaps (both static
# i386 builds of tests/tools/), and every file LIST names at the path it
# has on the host, with the symbolic links on the way and its PT_INTERP,
# so that the kernel's maps name the same paths.
#
# LIST has one "HOW LAYOUT PATH" line per program (guest_init.c says what
# they do).  OUT/N gets the output of line N (from 1), OUT/vdso the bytes
# of the guest's own 32-bit [vdso].  OUT/kernel names the kernel, and
# OUT.console is what the guest printed (for a failure's diagnosis).
#
# The kernel package comes from Debian's archive through apt-get download
# with a private apt configuration (the machine's sources and architectures
# are not touched), once: it is kept in $MMUFS_I386_CACHE (default
# /var/cache/mmufs-native-i386).  Needs qemu-system-x86, cpio, gcc-multilib
# (scripts/test.sh installs them).  Exit status 0, or 1 with a message.
set -euo pipefail

out=$1
list=$2
here=$(cd "$(dirname "$0")" && pwd)
cache=${MMUFS_I386_CACHE:-/var/cache/mmufs-native-i386}
work=$(mktemp -d /tmp/native-i386.XXXXXX)
trap 'rm -rf "$work"' EXIT

die() {
	echo "native-i386.sh: $*" >&2
	exit 1
}

# fetch_kernel - $cache/vmlinuz: the newest linux-image-*-686 of
# bookworm's i386 archive, downloaded once.
fetch_kernel() {
	[ -s "$cache/vmlinuz" ] && return 0
	local apt=$work/apt opts pkg
	mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$cache"
	: >"$apt/status"
	echo "deb [arch=i386] http://deb.debian.org/debian bookworm main" \
		>"$apt/sources.list"
	opts=(-o Dir::Etc::SourceList="$apt/sources.list"
	      -o Dir::Etc::SourceParts=/nonexistent
	      -o Dir::State::Lists="$apt/lists" -o Dir::Cache="$apt/cache"
	      -o Dir::State::status="$apt/status"
	      -o APT::Architecture=i386 -o APT::Architectures=i386
	      -o APT::Sandbox::User=root)
	apt-get "${opts[@]}" update -qq >/dev/null ||
		die "cannot read Debian's i386 archive"
	pkg=$(apt-cache "${opts[@]}" depends linux-image-686 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-[0-9.]*-[0-9]*-686\)$/\1/p' |
		head -1)
	[ -n "$pkg" ] || die "no linux-image-686 in Debian's i386 archive"
	(cd "$work" && apt-get "${opts[@]}" download "$pkg" >/dev/null 2>&1) ||
		die "cannot download $pkg"
	dpkg-deb -x "$work"/"$pkg"_*.deb "$work/deb"
	cp "$work"/deb/boot/vmlinuz-* "$cache/vmlinuz.part"
	echo "$pkg" >"$cache/kernel"
	mv "$cache/vmlinuz.part" "$cache/vmlinuz"
}

# make_initramfs - $work/initrd.gz with /init, /execmaps, /list and the
# programs of LIST.
make_initramfs() {
	local root=$work/root
	mkdir -p "$root/proc"
	gcc -m32 -static -O2 -o "$root/init" "$here/guest_init.c" ||
		die "cannot build guest_init for i386 (gcc-multilib?)"
	gcc -m32 -static -O2 -o "$root/execmaps" "$here/execmaps.c" ||
		die "cannot build execmaps for i386"
	cp "$list" "$root/list"
	awk '{ print $3 }' "$list" | sort -u |
		python3 "$here/native-i386-copy.py" "$root" ||
		die "cannot copy the programs"
	(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) \
		>"$work/initrd.gz"
}

# boot - run the guest; its console output in $work/console.
boot() {
	timeout 600 qemu-system-i386 -m 256 -nographic -no-reboot \
		-kernel "$cache/vmlinuz" -initrd "$work/initrd.gz" \
		-append "console=ttyS0 quiet loglevel=0 panic=-1" \
		</dev/null | tr -d '\r' |
		sed -e 's/\x1bc//g' -e 's/\x1b\[[0-9;?]*[A-Za-z]//g' \
		>"$work/console" ||
		die "qemu failed: $(tail -5 "$work/console")"
	cp "$work/console" "$out.console"
	grep -q '^=== end vdso$' "$work/console" ||
		die "the guest did not finish: $(tail -20 "$work/console")"
}

# split_output - OUT/N and OUT/vdso from the console text.
split_output() {
	mkdir -p "$out"
	awk -v out="$out" '
		/^=== end / { f = ""; next }
		/^=== / { f = out "/" $2; printf "" > f; next }
		f != "" { print > f }' "$work/console"
	xxd -r -p "$out/vdso" >"$out/vdso.bin"
	mv "$out/vdso.bin" "$out/vdso"
	cp "$cache/kernel" "$out/kernel"
}

for tool in qemu-system-i386 cpio gcc xxd python3 apt-get dpkg-deb; do
	command -v "$tool" >/dev/null || die "$tool is missing"
done
fetch_kernel
make_initramfs
boot
split_output
