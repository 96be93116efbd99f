#!/usr/bin/env bash
# run.sh MNT - install what is missing, build, and mount the default machine
# at MNT.
set -u
cd "$(dirname "$0")/.."

if [ $# -ne 1 ]; then
	echo "usage: $0 MOUNTPOINT" >&2
	exit 1
fi
mnt=$1

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

echo "run.sh: built the machine (hw/) and the kernel (mm/) in build/;"
echo "run.sh: the FUSE daemon that mounts them at $mnt is not part of this"
echo "run.sh: version yet. Run ./scripts/test.sh to see the engine's tests."
