#!/usr/bin/env bash
# run.sh MNT [mmufs options] - install what is missing, build, mount the
# default machine at MNT (the daemon runs in the background) and print a
# short tour.  Unmount with: fusermount3 -u MNT
set -u
cd "$(dirname "$0")/.."

if [ $# -lt 1 ]; then
	echo "usage: $0 MOUNTPOINT [mmufs options]" >&2
	exit 1
fi
mnt=$1
shift

packages=(gcc meson ninja-build pkg-config check libsubunit-dev libfuse3-dev fuse3)
missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
		grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "run.sh: installing ${missing[*]}"
	sudo=""
	[ "$(id -u)" -ne 0 ] && sudo=sudo
	$sudo apt-get update -qq &&
		DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null ||
		{ echo "run.sh: could not install ${missing[*]}" >&2; exit 1; }
fi
if [ ! -d build ]; then
	meson setup build >/dev/null || exit 1
fi
ninja -C build >/dev/null || exit 1

# A mount left behind by a daemon that was killed answers "Transport
# endpoint is not connected" (even to stat): unmount it first.
if ! stat "$mnt" >/dev/null 2>&1 && grep -q " $(realpath -m "$mnt") fuse" /proc/mounts; then
	echo "run.sh: $mnt is a stale mount (its daemon died): unmounting it"
	fusermount3 -uz "$mnt" 2>/dev/null || umount -l "$mnt"
fi
mkdir -p "$mnt" || exit 1
if mountpoint -q "$mnt"; then
	echo "run.sh: $mnt is already mounted; unmount it with: fusermount3 -u $mnt" >&2
	exit 1
fi
./build/fs/mmufs "$@" "$mnt" || exit 1

cat <<TOUR
mmufs is mounted at $mnt.  A short tour (see README.md for the rest):

  cat $mnt/machine                 # the simulated machine
  cat $mnt/1/maps                  # pid 1 is /bin/sh, as Linux lays it out
  echo 'spawn /bin/ls -l' > $mnt/ctl; cat $mnt/ctl
                                   # -> the new pid, 4 (2, 3: kthreadd, kswapd0)
  cat $mnt/4/maps                  # ls, ld.so, [vdso], [stack] after execve
  echo 'touch 0x555555558000 4K x' > $mnt/4/ctl; cat $mnt/4/ctl
                                   # 1 fault: ls's code read into the page cache,
                                   # then its simulated time and EAT (90 us: the disk)
  echo 'mmap 0 16K rw- private' > $mnt/4/ctl; cat $mnt/4/ctl
                                   # -> the address, e.g. 0x7ffff7fbe000
  echo 'touch 0x7ffff7fbe000 16K r' > $mnt/4/ctl; cat $mnt/4/ctl
                                   # 4 read faults: the zero page, 4 times
  echo 'touch 0x7ffff7fbe000 16K w' > $mnt/4/ctl; cat $mnt/4/ctl
                                   # 4 write faults: COW of the zero page, a cleared frame each
  cat $mnt/4/pagetable             # PML4 -> PDPT -> PD -> PT, entry by entry
  echo 0x7ffff7fbe000 > $mnt/4/vtop; cat $mnt/4/vtop
                                   # one address: vma, walk, TLB, frame, faults
  echo fork > $mnt/4/ctl; cat $mnt/4/ctl     # a child, sharing pages COW
  cat $mnt/trace                   # what the kernel did, stamped by the machine's clock
  cat $mnt/uptime $mnt/4/stat      # that clock; utime and stime (fields 14, 15)
  echo check > $mnt/ctl; cat $mnt/ctl        # every invariant: ok

In a browser: file://$mnt/index.html (counters, physmem.svg, maps.svg)
The manual: man -l build/docs/mmufs.1
Demos a teacher can run: scripts/demo/*.sh $mnt
Unmount: fusermount3 -u $mnt
TOUR
