#!/usr/bin/env bash
# hostcompare.sh [OPTIONS] LIMIT_PAGES RUNS - the host kernel's reclaim in a
# memory cgroup of LIMIT_PAGES pages, with swap, on the access patterns of
# bench/pressure_traces.py (loop, hotcold, random, shift, zipf), RUNS times
# each; then, with --mmufs, mmufs's Linux policy on the same traces and
# limit.  Prints a markdown table: pattern, metric, host min / median / max
# over the runs, and mmufs's value (docs/host-pressure.md explains it).
#
# Run it by hand, as root: it changes the host, so CI never runs it.  What
# it changes, and undoes from an EXIT trap whatever happens (an error, ^C):
#   - swap: a file /mmufs-hostcompare.swap (--swap-file) of --swap-mb MiB on
#     the root file system (fallocate, mkswap, swapon -p 32767: used before
#     any other area); swapoff and rm at the end;
#   - zswap: disabled (/sys/module/zswap/parameters/enabled) if it was on,
#     so that pages really go to the swap file; re-enabled at the end;
#   - cgroups: a fresh group per run, removed after the run: on cgroup v2 at
#     the root of the cgroup2 mount (with "+memory" added to the root's
#     cgroup.subtree_control if it was missing, and taken away again); on a
#     host whose memory controller is bound to cgroup v1 (this script falls
#     back to it), at the root of the v1 memory hierarchy;
#   - the page cache: dropped before each run (sync; drop_caches 3);
#   - vm.swappiness and vm.page-cluster are read and reported, never
#     changed (the script checks at the end that they did not change).
# With --mmufs it also mounts mmufs on a temporary directory per pattern,
# and unmounts it.
#
# Options:
#   --build DIR      where bench/hostpressure and fs/mmufs were built (build)
#   --mmufs          also run the patterns on mmufs (the "mmufs" column)
#   --no-host        skip the host runs (no swap file, no group; with --mmufs)
#   --mmufs-plumbing run what mmufs has today instead of the comparison: no
#                    swap, no group, no limit, only mount, mmap, replay and
#                    the counters, to check this script's mmufs side
#   --pattern NAME   only this pattern (repeatable)
#   --swap-mb N      the size of the host's swap file in MiB (1024)
#   --swap-file PATH the swap file (/mmufs-hostcompare.swap); it must not
#                    exist, on a file system that takes swap files (ext4, xfs)
#   --mmufs-mem SIZE --mmufs-swap SIZE  mmufs's RAM and swap (256M, 256M):
#                    more than the group needs, so that only its limit binds
#   --keep DIR       keep the traces and the raw per-run counters in DIR
#   --out FILE       also write the table to FILE
set -eu

usage() {
	sed -n '2,/^set -eu/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
	exit 1
}

die() {
	echo "hostcompare.sh: $*" >&2
	exit 1
}

HERE=$(cd "$(dirname "$0")" && pwd)
BUILD=build
MMUFS_SIDE=0
HOST_SIDE=1
PLUMBING=0
PATTERNS=()
SWAP_MB=1024
SWAPFILE=/mmufs-hostcompare.swap
MMUFS_MEM=256M
MMUFS_SWAP=256M
KEEP=
OUT=
while [ $# -gt 0 ]; do
	case $1 in
	--build) BUILD=${2:?}; shift 2 ;;
	--mmufs) MMUFS_SIDE=1; shift ;;
	--no-host) HOST_SIDE=0; shift ;;
	--mmufs-plumbing) MMUFS_SIDE=1; PLUMBING=1; shift ;;
	--pattern) PATTERNS+=("${2:?}"); shift 2 ;;
	--swap-mb) SWAP_MB=${2:?}; shift 2 ;;
	--swap-file) SWAPFILE=${2:?}; shift 2 ;;
	--mmufs-mem) MMUFS_MEM=${2:?}; shift 2 ;;
	--mmufs-swap) MMUFS_SWAP=${2:?}; shift 2 ;;
	--keep) KEEP=${2:?}; shift 2 ;;
	--out) OUT=${2:?}; shift 2 ;;
	-h|--help) usage ;;
	-*) die "unknown option $1 (--help)" ;;
	*) break ;;
	esac
done
[ $# -eq 2 ] || usage
LIMIT=$1
RUNS=$2
[[ $LIMIT =~ ^[0-9]+$ ]] && [ "$LIMIT" -ge 64 ] || die "LIMIT_PAGES must be a number >= 64"
[[ $RUNS =~ ^[0-9]+$ ]] && [ "$RUNS" -ge 1 ] || die "RUNS must be a number >= 1"
[[ $SWAP_MB =~ ^[0-9]+$ ]] && [ "$SWAP_MB" -ge 64 ] || die "--swap-mb must be a number >= 64"
[ ${#PATTERNS[@]} -gt 0 ] || PATTERNS=(loop hotcold random shift zipf)
[ "$HOST_SIDE" = 1 ] || [ "$MMUFS_SIDE" = 1 ] || die "--no-host without --mmufs runs nothing"
[ -d "$BUILD" ] || die "no build directory $BUILD (--build)"
BUILD=$(cd "$BUILD" && pwd)
HOSTPRESSURE=$BUILD/bench/hostpressure
MMUFS=$BUILD/fs/mmufs

[ "$(id -u)" = 0 ] || die "must run as root: it enables swap and creates memory cgroups"
if [ "$HOST_SIDE" = 1 ]; then
	[ -x "$HOSTPRESSURE" ] || die "no $HOSTPRESSURE: build first (ninja -C $BUILD)"
fi
if [ "$MMUFS_SIDE" = 1 ]; then
	[ -x "$MMUFS" ] || die "no $MMUFS: build first (ninja -C $BUILD)"
	[ -c /dev/fuse ] || die "no /dev/fuse: cannot mount mmufs"
fi

# Everything the trap undoes.
SWAP_ON=0
SWAP_CREATED=0
ZSWAP=/sys/module/zswap/parameters/enabled
ZSWAP_WAS=
CG_PARENT=
CG_VERSION=
CG_SUBTREE_ADDED=0
GROUP=
MNT=
WORK=$(mktemp -d /tmp/hostcompare.XXXXXX)
SWAPPINESS=$(cat /proc/sys/vm/swappiness)
PAGE_CLUSTER=$(cat /proc/sys/vm/page-cluster)

# remove_group - rmdir the run's group (its child may take a moment to be
# reaped after a kill).
remove_group() {
	if [ -z "$GROUP" ] || [ ! -d "$GROUP" ]; then
		GROUP=
		return 0
	fi
	for _ in $(seq 50); do
		rmdir "$GROUP" 2>/dev/null && break
		sleep 0.1
	done
	[ ! -d "$GROUP" ] || echo "hostcompare.sh: could not remove $GROUP" >&2
	GROUP=
}

# unmount_mmufs - unmount mmufs if mounted on MNT, and make sure that its
# daemon (whose pid is in $WORK/mmufs.pid) is gone.
unmount_mmufs() {
	local pid
	[ -n "$MNT" ] || return 0
	if mountpoint -q "$MNT" 2>/dev/null; then
		fusermount3 -u "$MNT" 2>/dev/null || umount -l "$MNT" 2>/dev/null || true
	fi
	pid=$(cat "$WORK/mmufs.pid" 2>/dev/null || true)
	if [ -n "$pid" ]; then
		for _ in $(seq 50); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -9 "$pid" 2>/dev/null || true
		rm -f "$WORK/mmufs.pid"
	fi
}

# cleanup - the EXIT trap: undo every change to the host, in the reverse
# order of making them, and say so if one could not be undone.
cleanup() {
	local status=$?
	trap - EXIT INT TERM
	unmount_mmufs
	[ -z "$MNT" ] || rmdir "$MNT" 2>/dev/null || true
	remove_group
	if [ "$CG_SUBTREE_ADDED" = 1 ]; then
		echo -memory >"$CG_PARENT/cgroup.subtree_control" 2>/dev/null ||
			echo "hostcompare.sh: could not take +memory back from $CG_PARENT/cgroup.subtree_control" >&2
	fi
	if [ "$SWAP_ON" = 1 ]; then
		swapoff "$SWAPFILE" || echo "hostcompare.sh: swapoff $SWAPFILE failed" >&2
	fi
	if [ "$SWAP_CREATED" = 1 ]; then
		rm -f "$SWAPFILE"
	fi
	if [ -n "$ZSWAP_WAS" ]; then
		echo "$ZSWAP_WAS" >"$ZSWAP" ||
			echo "hostcompare.sh: could not restore zswap to $ZSWAP_WAS" >&2
	fi
	if [ "$(cat /proc/sys/vm/swappiness)" != "$SWAPPINESS" ] ||
		[ "$(cat /proc/sys/vm/page-cluster)" != "$PAGE_CLUSTER" ]; then
		echo "hostcompare.sh: vm.swappiness or vm.page-cluster changed during the run" >&2
	fi
	rm -rf "$WORK"
	exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# find_memcg - set CG_VERSION and CG_PARENT: the cgroup2 mount if its root
# offers the memory controller, else the cgroup v1 memory hierarchy; none:
# refuse.
find_memcg() {
	local v2 v1
	v2=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/self/mounts)
	if [ -n "$v2" ] && grep -qw memory "$v2/cgroup.controllers" 2>/dev/null; then
		CG_VERSION=2
		CG_PARENT=$v2
		return
	fi
	v1=$(awk '$3 == "cgroup" && $4 ~ /(^|,)memory(,|$)/ { print $2; exit }' /proc/self/mounts)
	if [ -n "$v1" ] && [ -f "$v1/memory.limit_in_bytes" ]; then
		CG_VERSION=1
		CG_PARENT=$v1
		return
	fi
	die "no memory cgroup controller: cgroup2 ${v2:-is not mounted}${v2:+ at $v2 does not offer memory}, and no cgroup v1 memory hierarchy is mounted"
}

# setup_swap - the swap file, first in priority; zswap off for the runs.
setup_swap() {
	[ ! -e "$SWAPFILE" ] || die "$SWAPFILE exists: a previous run's? (swapoff and remove it)"
	SWAP_CREATED=1
	fallocate -l "${SWAP_MB}M" "$SWAPFILE"
	chmod 600 "$SWAPFILE"
	mkswap "$SWAPFILE" >/dev/null
	swapon -p 32767 "$SWAPFILE"
	SWAP_ON=1
	if [ -w "$ZSWAP" ] && [ "$(cat "$ZSWAP")" = Y ]; then
		ZSWAP_WAS=Y
		echo N >"$ZSWAP"
	fi
}

# make_group NAME - a fresh group NAME under CG_PARENT limited to LIMIT
# pages, swap unlimited (GROUP is set for the trap).
make_group() {
	GROUP=$CG_PARENT/$1
	mkdir "$GROUP"
	if [ "$CG_VERSION" = 2 ]; then
		put $((LIMIT * 4096)) "$GROUP/memory.max"
		put max "$GROUP/memory.swap.max"
		put max "$GROUP/memory.high"
	else
		put $((LIMIT * 4096)) "$GROUP/memory.limit_in_bytes"
		echo -1 >"$GROUP/memory.memsw.limit_in_bytes" 2>/dev/null || true
	fi
}

# key FILE KEY - the value of "KEY VALUE" in FILE, or nothing.
key() {
	awk -v k="$2" '$1 == k { print $2; exit }' "$1" 2>/dev/null || true
}

# delta BEFORE AFTER KEY... - the sum of the increases of KEYs between two
# snapshots of a vmstat-like file (nothing if a KEY is missing).
delta() {
	local before=$1 after=$2 k a b sum=0
	shift 2
	for k in "$@"; do
		a=$(key "$after" "$k")
		b=$(key "$before" "$k")
		[ -n "$a" ] && [ -n "$b" ] || return 0
		sum=$((sum + a - b))
	done
	echo "$sum"
}

# metric NAME GROUPSTAT BEFORE AFTER - one counter of a run: the group's
# memory.stat value if it has one, else the machine's vmstat increase
# (pgscan and pgsteal: the _anon and _file counters added up).  Prints
# "NAME VALUE SOURCE".
metric() {
	local name=$1 stat=$2 before=$3 after=$4 v
	v=$(key "$stat" "$name")
	if [ -n "$v" ]; then
		echo "$name $v memory.stat"
		return
	fi
	case $name in
	pgscan|pgsteal) v=$(delta "$before" "$after" "${name}_anon" "${name}_file") ;;
	*) v=$(delta "$before" "$after" "$name") ;;
	esac
	echo "$name ${v:--} vmstat"
}

# The counters of the table, in its order (majflt, minflt and seconds come
# from the run itself; events_* from memory.events or their v1 stand-ins).
METRICS=(majflt minflt pswpin pswpout workingset_refault_anon
	workingset_activate_anon workingset_restore_anon pgscan pgsteal
	swap_ra swap_ra_hit events_max events_high events_oom events_oom_kill seconds)
STAT_METRICS=(pswpin pswpout workingset_refault_anon workingset_activate_anon
	workingset_restore_anon pgscan pgsteal swap_ra swap_ra_hit)

# events DIR - "events_max N", "events_high N"... of the group DIR:
# memory.events on cgroup v2; on v1, memory.failcnt (how often the limit
# was hit, as "max" counts) and oom_control's oom_kill, the rest "-".
events() {
	local dir=$1 k v
	if [ -f "$dir/memory.events" ]; then
		for k in max high oom oom_kill; do
			v=$(key "$dir/memory.events" "$k")
			echo "events_$k ${v:--} memory.events"
		done
	elif [ -f "$dir/memory.failcnt" ]; then
		echo "events_max $(cat "$dir/memory.failcnt") memory.failcnt"
		echo "events_high - none"
		echo "events_oom - none"
		v=$(key "$dir/memory.oom_control" oom_kill)
		echo "events_oom_kill ${v:--} memory.oom_control"
	else
		for k in max high oom oom_kill; do
			echo "events_$k - none"
		done
	fi
}

# host_info - what the runs depend on: kernel, CPU, RAM, the cgroup, the
# swap area and the device under it, the reclaim settings, zswap, THP.
host_info() {
	local dev zs
	dev=$(findmnt -no SOURCE --target "$SWAPFILE" 2>/dev/null || true)
	zs=$(cat "$ZSWAP" 2>/dev/null || echo absent)
	[ -z "$ZSWAP_WAS" ] || zs="on, turned off for the runs"
	echo "host: Linux $(uname -r), $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), $(nproc) CPUs," \
		"$(awk '/MemTotal/ { printf "%d MiB", $2 / 1024 }' /proc/meminfo) RAM"
	echo "host: memory cgroup v$CG_VERSION at $CG_PARENT$([ "$CG_VERSION" = 2 ] ||
		echo ", the group's memory.swappiness $(cat "$CG_PARENT/memory.swappiness")")"
	echo "host: swap $(swapon --show=NAME,TYPE,SIZE,PRIO --noheadings | tr -s ' ' | paste -sd';')," \
		"on $(findmnt -no FSTYPE --target "$SWAPFILE") on ${dev:-?}" \
		"(rotational $(lsblk -dno ROTA "$dev" 2>/dev/null | tr -d ' ' || echo ?)," \
		"driver $(basename "$(readlink -f "/sys/class/block/${dev#/dev/}/device/driver" 2>/dev/null)" 2>/dev/null || echo ?))"
	echo "host: vm.swappiness $SWAPPINESS, vm.page-cluster $PAGE_CLUSTER, zswap $zs," \
		"THP $(sed 's/.*\[\(.*\)\].*/\1/' /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null)" \
		"(the region is MADV_NOHUGEPAGE)"
}

# host_run PATTERN TRY - one run of PATTERN's trace in a fresh group;
# writes "METRIC VALUE SOURCE" lines to $WORK/res/PATTERN.tryTRY and sets
# KILLED to 1 if the group's OOM killer ended the run, else to 0.
host_run() {
	local pattern=$1 try=$2 line status=0 m majflt minflt seconds
	sync
	echo 3 >/proc/sys/vm/drop_caches
	make_group "mmufs-hostcmp-$$-$pattern-$try"
	cp /proc/vmstat "$WORK/vmstat.before"
	line=$("$HOSTPRESSURE" --cgroup "$GROUP" "$WORK/traces/$pattern.trace") || status=$?
	cp /proc/vmstat "$WORK/vmstat.after"
	cp "$GROUP/memory.stat" "$WORK/group.stat"
	[ "$status" = 0 ] || [ "$status" = 2 ] || die "hostpressure failed on $pattern (status $status)"
	KILLED=$((status == 2))
	{
		if [ "$KILLED" = 0 ]; then
			read -r _ _ _ majflt _ minflt _ seconds <<<"$line"
			echo "majflt $majflt getrusage"
			echo "minflt $minflt getrusage"
			echo "seconds $seconds clock"
		fi
		for m in "${STAT_METRICS[@]}"; do
			metric "$m" "$WORK/group.stat" "$WORK/vmstat.before" "$WORK/vmstat.after"
		done
		events "$GROUP"
	} >"$WORK/res/$pattern.try$try"
	remove_group
	printf '  %s run %s: %s\n' "$pattern" "$try" "${line:-killed by the OOM killer}" >&2
}

# host_pattern PATTERN - RUNS complete runs of PATTERN, as
# $WORK/res/PATTERN.1 .. PATTERN.RUNS.  A run the group's OOM killer ends
# is kept aside (PATTERN.killedN) and repeated, up to 2 x RUNS tries in
# all; "PATTERN COMPLETE KILLED" goes to $WORK/res/runs.
host_pattern() {
	local pattern=$1 try=0 complete=0 killed=0
	while [ "$complete" -lt "$RUNS" ] && [ "$try" -lt $((2 * RUNS)) ]; do
		try=$((try + 1))
		host_run "$pattern" "$try"
		if [ "$KILLED" = 0 ]; then
			complete=$((complete + 1))
			mv "$WORK/res/$pattern.try$try" "$WORK/res/$pattern.$complete"
		else
			killed=$((killed + 1))
			mv "$WORK/res/$pattern.try$try" "$WORK/res/$pattern.killed$killed"
		fi
	done
	echo "$pattern $complete $killed" >>"$WORK/res/runs"
}

# mount_mmufs OPTIONS... - mount mmufs on MNT in the foreground, its pid in
# $WORK/mmufs.pid; if the daemon refuses its options, say why and fail.
mount_mmufs() {
	local pid log=$WORK/mmufs.log
	"$MMUFS" -f --init none "$@" "$MNT" 2>"$log" &
	pid=$!
	echo "$pid" >"$WORK/mmufs.pid"
	for _ in $(seq 100); do
		mountpoint -q "$MNT" && return 0
		if ! kill -0 "$pid" 2>/dev/null; then
			wait "$pid" 2>/dev/null || true
			die "mmufs $* refused to start: $(head -n 1 "$log")"
		fi
		sleep 0.1
	done
	die "mmufs did not mount in 10 s"
}

# put VALUE FILE - write VALUE into the control file FILE, or fail saying
# which write was refused.
put() {
	echo "$1" 2>/dev/null >"$2" || die "writing $1 to $2 failed"
}

# ctl FILE COMMAND - write COMMAND to the ctl FILE through one fd and
# print its result; fail with mmufs's error line if it fails.
ctl() {
	local result
	exec 3<>"$1"
	if ! echo "$2" >&3 2>/dev/null; then
		result=$(cat <&3)
		exec 3>&-
		die "mmufs: $result"
	fi
	read -r result <&3
	exec 3>&-
	echo "$result"
}

# region TRACE - "BASE PAGES" from the trace's "# region" line.
region() {
	awk '$1 == "#" && $2 == "region" { print $3, $4; exit }' "$1"
}

# pid_faults STATFILE - "minflt majflt" of a /proc/PID/stat (fields 10
# and 12, counted after the command name, which may hold blanks).
pid_faults() {
	sed 's/.*) //' "$1" | awk '{ print $8, $10 }'
}

# mmufs_run PATTERN - PATTERN's trace on a fresh mmufs as a user would run
# it: a group cmp with memory.max = LIMIT pages and pid 1 in it, the region
# mapped in pid 1, `replay TRACE simple` through one fd; writes "METRIC
# VALUE SOURCE" lines to $WORK/res/PATTERN.mmufs.  --mmufs-plumbing: no
# swap, no group, and the lines go to PATTERN.plumbing.
mmufs_run() {
	local pattern=$1 trace=$WORK/traces/$1.trace base pages result
	local grp s m faults0 faults out=$WORK/res/$1.mmufs
	read -r base pages < <(region "$trace")
	if [ "$PLUMBING" = 1 ]; then
		mount_mmufs --mem "$MMUFS_MEM" --swap 0
		out=$WORK/res/$pattern.plumbing
	else
		mount_mmufs --mem "$MMUFS_MEM" --swap "$MMUFS_SWAP"
		[ -d "$MNT/cgroup" ] || die "mmufs has no cgroup/ yet: the mmufs side cannot run (--mmufs-plumbing checks the rest)"
		grp=$MNT/cgroup/cmp
		mkdir "$grp" || die "mmufs: cannot create the group $grp"
		put $((LIMIT * 4096)) "$grp/memory.max"
		put max "$grp/memory.swap.max"
		put max "$grp/memory.high"
		put 1 "$grp/cgroup.procs"
		# The host's reclaim settings, where mmufs has the sysctl.
		for s in swappiness page-cluster; do
			[ ! -f "$MNT/sys/vm/$s" ] || put "$(cat "/proc/sys/vm/$s")" "$MNT/sys/vm/$s"
		done
	fi
	ctl "$MNT/1/ctl" "mmap $base $((pages * 4096)) rw- private,fixed" >/dev/null
	cp "$MNT/vmstat" "$WORK/vmstat.before"
	faults0=$(pid_faults "$MNT/1/stat")
	result=$(ctl "$MNT/1/ctl" "replay $trace simple")
	faults=$(pid_faults "$MNT/1/stat")
	cp "$MNT/vmstat" "$WORK/vmstat.after"
	{
		echo "majflt $((${faults#* } - ${faults0#* })) stat"
		echo "minflt $((${faults% *} - ${faults0% *})) stat"
		echo "seconds - none"
		if [ "$PLUMBING" = 1 ]; then
			: >"$WORK/group.stat"
		else
			cp "$grp/memory.stat" "$WORK/group.stat"
		fi
		for m in "${STAT_METRICS[@]}"; do
			metric "$m" "$WORK/group.stat" "$WORK/vmstat.before" "$WORK/vmstat.after"
		done
		if [ "$PLUMBING" = 0 ]; then
			events "$grp"
		fi
		echo "replay $result"
	} >"$out"
	printf '  %s on mmufs: %s\n' "$pattern" "$result" >&2
}

# value FILE METRIC - a metric's value in a result file ("-" if none).
value() {
	local v
	v=$(key "$1" "$2")
	echo "${v:--}"
}

# spread VALUES... - "min | median | max" of numbers (the median of an
# even count is the mean of the middle two); "-" if any is not a number.
spread() {
	printf '%s\n' "$@" | sort -g | awk '
		$1 !~ /^-?[0-9.]+$/ { bad = 1 }
		{ v[NR] = $1 }
		END {
			if (bad || !NR) { print "- | - | -"; exit }
			m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
			print v[1] " | " m " | " v[NR]
		}'
}

# table - the markdown table of every pattern and metric.
table() {
	local p m r vals
	echo "| pattern | metric | host min | host median | host max | mmufs |"
	echo "|---|---|--:|--:|--:|--:|"
	for p in "${PATTERNS[@]}"; do
		for m in "${METRICS[@]}"; do
			vals=()
			if [ "$HOST_SIDE" = 1 ]; then
				for r in $(seq "$RUNS"); do
					[ ! -f "$WORK/res/$p.$r" ] ||
						vals+=("$(value "$WORK/res/$p.$r" "$m")")
				done
			fi
			printf '| %s | %s | %s | %s |\n' "$p" "$m" \
				"$([ "$HOST_SIDE" = 1 ] && spread "${vals[@]}" || echo "- | - | -")" \
				"$([ -f "$WORK/res/$p.mmufs" ] && value "$WORK/res/$p.mmufs" "$m" || echo "not yet")"
		done
	done
}

# killed_note - the runs the group's OOM killer ended, per pattern, with
# what they had swapped by then; nothing if there was none.
killed_note() {
	local p complete killed k f
	[ -f "$WORK/res/runs" ] || return 0
	while read -r p complete killed; do
		[ "$killed" -gt 0 ] || [ "$complete" -lt "$RUNS" ] || continue
		echo "$p: $complete complete runs; $killed runs killed by the group's OOM killer and repeated" \
			"(at the kill, pswpin/pswpout/oom_kill: $(for k in $(seq "$killed"); do
				f=$WORK/res/$p.killed$k
				printf '%s/%s/%s ' "$(value "$f" pswpin)" "$(value "$f" pswpout)" "$(value "$f" events_oom_kill)"
			done | sed 's/ $//'))"
	done <"$WORK/res/runs"
}

# sources - where each counter came from, on each side.
sources() {
	local p=${PATTERNS[0]} side f
	for side in 1 mmufs; do
		f=$WORK/res/$p.$side
		[ -f "$f" ] || continue
		echo "sources ($([ "$side" = 1 ] && echo host || echo mmufs)):" \
			"$(awk '$3 != "" { printf "%s%s=%s", sep, $1, $3; sep = " " }' "$f")"
	done
}

mkdir -p "$WORK/traces" "$WORK/res"
GEN_ARGS=()
for p in "${PATTERNS[@]}"; do
	GEN_ARGS+=(--pattern "$p")
done
python3 "$HERE/pressure_traces.py" --limit-pages "$LIMIT" "${GEN_ARGS[@]}" "$WORK/traces" >&2

if [ "$HOST_SIDE" = 1 ]; then
	find_memcg
	if [ "$CG_VERSION" = 2 ] && ! grep -qw memory "$CG_PARENT/cgroup.subtree_control"; then
		echo +memory >"$CG_PARENT/cgroup.subtree_control"
		CG_SUBTREE_ADDED=1
	fi
	setup_swap
	host_info >"$WORK/host.info"
	cat "$WORK/host.info" >&2
	for p in "${PATTERNS[@]}"; do
		host_pattern "$p"
	done
fi

# The mmufs side runs each pattern in a subshell, so that a step mmufs
# cannot do yet (no swap, no cgroup/) ends that side with its message and
# leaves the host's table whole, its mmufs column "not yet".
if [ "$MMUFS_SIDE" = 1 ]; then
	MNT=$(mktemp -d /tmp/hostcompare-mnt.XXXXXX)
	for p in "${PATTERNS[@]}"; do
		set +e
		(
			set -e
			trap unmount_mmufs EXIT
			trap 'exit 130' INT
			trap 'exit 143' TERM
			mmufs_run "$p"
		)
		status=$?
		set -e
		[ "$status" -lt 128 ] || exit "$status"
		if [ "$status" != 0 ]; then
			echo "hostcompare.sh: the mmufs side stops; its column stays \"not yet\"" >&2
			[ "$HOST_SIDE" = 1 ] || exit 1
			break
		fi
	done
	if [ "$PLUMBING" = 1 ]; then
		echo "mmufs plumbing (no swap, no group, no limit: compares nothing):" >&2
		for p in "${PATTERNS[@]}"; do
			echo "  $p: $(grep '^replay' "$WORK/res/$p.plumbing" | cut -d' ' -f2-)," \
				"majflt $(value "$WORK/res/$p.plumbing" majflt)" \
				"minflt $(value "$WORK/res/$p.plumbing" minflt)" >&2
		done
	fi
fi

if [ "$HOST_SIDE" = 1 ] || [ "$PLUMBING" = 0 ]; then
	{
		echo "limit $LIMIT pages ($((LIMIT * 4 / 1024)) MiB), $RUNS host runs per pattern"
		echo
		if [ "$HOST_SIDE" = 1 ]; then
			cat "$WORK/host.info"
			echo
		fi
		table
		echo
		killed_note
		sources
	} | tee ${OUT:+"$OUT"}
fi
if [ -n "$KEEP" ]; then
	mkdir -p "$KEEP"
	cp -r "$WORK/traces" "$WORK/res" "$KEEP/"
fi
