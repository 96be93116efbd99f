#!/usr/bin/env bash
# test.sh - install what is missing, build with Meson, run every test, then
# build again with AddressSanitizer and UndefinedBehaviorSanitizer and run
# every test once more (the unit tests and the daemon the integration
# tests mount).  In between, it compiles every buildtype with gcc and
# clang.  Then builds the libFuzzer target with clang into
# build-fuzz/ and runs it over its corpus and for two minutes (README
# "Fuzzing"; FUZZ_SECONDS changes the time).  Ends with one line:
# "N passed, N failed".
set -u
cd "$(dirname "$0")/.."

packages=(gcc libc6-dev meson ninja-build pkg-config check libsubunit-dev
	  libfuse3-dev fuse3 python3 python3-psutil procps psmisc sysstat numactl xxd diffutils
	  util-linux coreutils mawk smem htop glances bpytop tmux clang-14 libclang-rt-14-dev gcc-multilib
	  qemu-system-x86 cpio groff-base chromium)

install_missing() {
	local missing=() p
	for p in "${packages[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
			grep -q 'install ok installed' || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	echo "test.sh: installing ${missing[*]}"
	local sudo=""
	[ "$(id -u)" -ne 0 ] && sudo=sudo
	$sudo apt-get update -qq &&
		DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq \
			"${missing[@]}" >/dev/null
}

# setup DIR [meson options...] - configure DIR (again if it exists) and build.
setup() {
	local dir=$1
	shift
	if [ -d "$dir" ]; then
		meson setup --reconfigure "$dir" "$@" >/dev/null
	else
		meson setup "$dir" "$@" >/dev/null
	fi && ninja -C "$dir" >/dev/null
}

# count DIR - "passed failed" from meson's log of the last run in DIR.
count() {
	python3 - "$1/meson-logs/testlog.json" <<'PY'
import json, sys
ok = bad = 0
try:
    for line in open(sys.argv[1]):
        r = json.loads(line).get("result")
        if r in ("OK", "EXPECTEDFAIL"):
            ok += 1
        elif r != "SKIP":
            bad += 1
except OSError:
    pass
print(ok, bad)
PY
}

install_missing || { echo "test.sh: could not install packages"; echo "0 passed, 1 failed"; exit 1; }

passed=0
failed=0
run() {
	local dir=$1
	shift
	meson test -C "$dir" --print-errorlogs "$@"
	read -r p f < <(count "$dir")
	passed=$((passed + p))
	failed=$((failed + f))
}

if setup build; then
	run build
else
	echo "test.sh: build failed"
	failed=$((failed + 1))
fi

# Every buildtype compiles warning-free (-Werror) with gcc and clang: the
# optimizers find uninitialized uses the debug builds do not.  Each
# compile counts as one test; only build/ above runs the tests.
for cc in gcc clang-14; do
	for type in plain debug debugoptimized release; do
		if CC=$cc setup "build-types/$type-$cc" --buildtype="$type"; then
			passed=$((passed + 1))
		else
			echo "test.sh: $type build with $cc failed"
			failed=$((failed + 1))
		fi
	done
done

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp:print_suppressions=0
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
if setup build-sanitize -Db_sanitize=address,undefined -Db_lundef=false; then
	run build-sanitize
else
	echo "test.sh: sanitized build failed"
	failed=$((failed + 1))
fi

# have_fuzzer - clang 14 and its libFuzzer runtime (libclang-rt-14-dev).
have_fuzzer() {
	command -v clang-14 >/dev/null &&
		compgen -G "$(clang-14 -print-runtime-dir)/libclang_rt.fuzzer-*.a" \
			>/dev/null
}

if ! have_fuzzer; then
	echo "test.sh: clang-14 or libFuzzer missing: no fuzz run"
	[ -n "${CI:-}" ] && failed=$((failed + 1))
elif CC=clang-14 setup build-fuzz -Dfuzz=true \
		-Db_sanitize=address,undefined -Db_lundef=false; then
	run build-fuzz
else
	echo "test.sh: fuzz build failed"
	failed=$((failed + 1))
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
