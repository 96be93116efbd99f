#!/usr/bin/env bash
# Concurrency: nine shells drive the daemon at once for 60 s, each with a
# bounded loop that stops by itself:
#   life 0-3  fork a child of pid 1 (through one fd on 1/ctl), map, write,
#             read back through ctl, mem, pagemap and frames/<pfn>, split
#             vmas, fork a grandchild that shares and copies pages, a thread,
#             now and then exec /bin/sh or spawn /usr/bin/cat, exit or kill,
#             and reap it with `wait PID`;
#   memory    one long-lived child on CPU 1: mmap, mem writes, madvise,
#             mlock, mremap, mprotect, brk/sbrk, munmap, exact RSS each time;
#   victim    works on its child until the killer kills it (ESRCH from then
#             on is the only error allowed), then reaps it (status 9);
#   killer    kills the victim's children through the machine ctl;
#   reader    reads every process's files (other shells' processes come and
#             go: ENOENT/ESRCH are the only errors allowed) and the
#             machine-wide files;
#   trace     reads trace_pipe with timeouts.
# Then: every shell finished (no deadlock), no unexpected error, `check`
# ok, only pid 1 and kthreadd left, and (once the page cache the execs
# filled is dropped) the free pages, anon pages and page tables back to
# their values after boot (only children map memory).
# A second case then drives memory cgroups under pressure with swap (see
# "the memory cgroup case" below).
. "$(dirname "$0")/lib.sh"

SECONDS_RUN=${MMUFS_CONCURRENCY_SECONDS:-60}
mount_mmufs --mem 128M --cpus 2

W=$(mktemp -d /tmp/mmufs-conc.XXXXXX)
# lib.sh's cleanup reads the exit status from $?: keep it for it (and no
# set -e in the trap: a failing command there must not skip the unmount).
PIDS= NAMES=
trap 's=$?; set +e; for p in $PIDS; do kill "$p" 2>/dev/null; done; rm -rf "$W"; (exit $s); cleanup' EXIT

free0=$(($(field "$MNT/meminfo" MemFree) + 4 * $(pcp_pages)))
total0=$(field "$MNT/meminfo" MemTotal)
pt0=$(field "$MNT/meminfo" PageTables)
nrfree0=$(free_frames)
# vmas() - the vma lines of a maps file, without the x86_64 gate vma
# ([vsyscall] is not part of the mm: mmufs may or may not show it).
vmas() { grep -vc '\[vsyscall\]$' "$1"; }
[ "$(vmas "$MNT/1/maps")" = 1 ] || fail "init maps more than its stack"
END=$(( $(date +%s) + SECONDS_RUN ))

# ---- helpers for the workers (each worker is a subshell: no set -e) ----

# bad MSG - record an unexpected outcome of this worker.
bad() { echo "$NAME: $*" >>"$W/fail.$NAME"; }

# c FD CMD - CMD through the open ctl file FD; the result line in R.
# Status 1 if the write failed (R is then the "error ..." line).
c() {
	if printf '%s\n' "$2" >&"$1" 2>/dev/null; then
		IFS= read -r R <&"$1" || R=
		return 0
	fi
	IFS= read -r R <&"$1" || R="(no result)"
	return 1
}

# must FD CMD [EXPECTED] - CMD must succeed (with result EXPECTED; a
# touch's time and EAT aside).
must() {
	c "$1" "$2" || { bad "'$2' failed: $R"; return 1; }
	[ $# -lt 3 ] || [ "${R%% time_ns *}" = "$3" ] ||
		{ bad "'$2' gave '$R', expected '$3'"; return 1; }
}

hex() { printf %s "$1" | od -An -tx1 | tr -d ' \n'; }
kb() { awk -v k="$2:" '$1 == k { print $2; exit }' "$1"; }
pm() { dd if="$1" bs=8 skip=$(( $2 / 4096 )) count=1 2>/dev/null | od -An -tx8 | tr -d ' \n'; }
alive() { [ "$(date +%s)" -lt "$END" ]; }

# life ID - fork/work/exit/reap cycles on children of pid 1.
life() {
	local it=0 C G T a s text pe pfn want st
	exec 3<>"$MNT/1/ctl" 6<>"$MNT/ctl"
	while alive && [ $it -lt 1000 ]; do
		it=$((it + 1))
		must 3 fork || break
		C=$R
		case $C in "" | *[!0-9]*) bad "fork gave '$C'"; break ;; esac
		exec 4<>"$MNT/$C/ctl" || { bad "open $C/ctl"; break; }
		must 4 "mmap 0 64K rw- private" || break
		a=$R
		must 4 "touch $a 64K w" 16
		text="L$ID.$it"
		must 4 "store $a '$text'" 0
		must 4 "load $a ${#text}" "$(hex "$text")"
		[ "$(dd if="$MNT/$C/mem" bs=4096 skip=$((a / 4096)) count=1 2>/dev/null | head -c ${#text})" = "$text" ] ||
			bad "mem of $C at $a"
		pe=$(pm "$MNT/$C/pagemap" "$a")
		# present and exclusive
		[ -n "$pe" ] && (( (0x$pe >> 63) & 1 && (0x$pe >> 56) & 1 )) || bad "pagemap of $C at $a: '$pe'"
		pfn=$(( 0x${pe:-0} & ((1 << 55) - 1) ))
		grep -q "^map: $C $(printf '%#x' "$a")$" "$MNT/frames/$pfn" || bad "frames/$pfn lacks $C $a"
		grep -q "^state: anon$" "$MNT/frames/$pfn" || bad "frames/$pfn is not anon"
		must 4 "mprotect $((a + 0x4000)) 16K r--" 0
		must 4 "munmap $((a + 0xc000)) 16K" 0
		[ "$(vmas "$MNT/$C/maps")" = 4 ] || bad "maps of $C: $(cat "$MNT/$C/maps")"
		must 4 "mmap 0 8K rw- shared" || break
		s=$R
		must 4 "touch $s 8K w" 2
		[ "$(kb "$MNT/$C/status" VmRSS)" = 56 ] || bad "VmRSS of $C"
		[ "$(kb "$MNT/$C/smaps_rollup" Rss)" = 56 ] || bad "smaps_rollup Rss of $C"
		[ "$(awk '/^Rss:/ { n += $2 } END { print n }' "$MNT/$C/smaps")" = 56 ] || bad "smaps Rss of $C"
		[ "$(cut -d' ' -f2 "$MNT/$C/statm")" = 14 ] || bad "statm of $C"
		[ "$(kb "$MNT/meminfo" MemTotal)" = "$total0" ] || bad "MemTotal changed"
		# A grandchild: COW on the private page, sharing on the shared one.
		must 4 fork || break
		G=$R
		exec 5<>"$MNT/$G/ctl" || { bad "open $G/ctl"; break; }
		must 5 "store $a 'g'" 0
		must 5 "load $a 1" 67
		must 4 "load $a 1" 4c
		must 5 "store $s 'shared$it'" 0
		must 4 "load $s $((6 + ${#it}))" "$(hex "shared$it")"
		must 5 "exit 5" 0
		exec 5>&-
		must 4 "wait $G" "$G 1280"
		if [ $((it % 3)) = 0 ]; then
			must 4 thread
			T=$R
			[ "$(kb "$MNT/$C/status" Threads)" = 2 ] || bad "Threads of $C after thread $T"
		fi
		if [ $((it % 5)) = 1 ]; then
			must 4 "exec /bin/sh -c exit" || break
			grep -q ' r-xp .*/usr/bin/dash$' "$MNT/$C/maps" || bad "exec: no dash in $C"
			c 6 "spawn /usr/bin/cat" || bad "spawn: $R"
		fi
		if [ $((it % 4)) = 0 ]; then
			must 4 "kill TERM" 0
			want="$C 15"
		else
			must 4 "exit 0" 0
			want="$C 0"
		fi
		exec 4>&-
		st=$(awk '{ print $3 }' "$MNT/$C/stat" 2>/dev/null)
		[ "$st" = Z ] || bad "$C is '$st' after exit, not Z"
		must 3 "wait $C" "$want"
	done
	exec 3>&- 6>&-
	echo "$it" >"$W/done.$NAME"
}

# memory - one long-lived child L of pid 1, scheduled on CPU 1, with exact
# RSS after each operation.
memory() {
	local it=0 L b b2 h0 text rss
	exec 3<>"$MNT/1/ctl"
	exec 6<>"$MNT/ctl"
	must 3 fork || return
	L=$R
	exec 4<>"$MNT/$L/ctl"
	while alive && [ $it -lt 2000 ]; do
		it=$((it + 1))
		must 6 "schedule $L 1" 0
		must 4 "mmap 0 32K rw- private" || break
		b=$R
		must 4 "touch $b 32K w" 8
		text=$(printf 'M%05d' "$it")
		printf %s "$text" | dd of="$MNT/$L/mem" bs=1 seek=$((b)) conv=notrunc status=none 2>"$W/dd.$NAME" ||
			bad "mem write: $(cat "$W/dd.$NAME")"
		must 4 "load $b ${#text}" "$(hex "$text")"
		must 4 "madvise $((b + 0x2000)) 8K dontneed" 0
		[ "$(kb "$MNT/$L/status" VmRSS)" = 24 ] || bad "VmRSS after dontneed: $(kb "$MNT/$L/status" VmRSS)"
		must 4 "load $((b + 0x2000)) 2" 0000
		[ "$(kb "$MNT/$L/status" VmRSS)" = 24 ] || bad "VmRSS after a zero-page read"
		must 4 "mlock $b 8K" 0
		[ "$(kb "$MNT/$L/status" VmLck)" = 8 ] || bad "VmLck after mlock"
		must 4 "munlock $b 8K" 0
		[ "$(kb "$MNT/$L/status" VmLck)" = 0 ] || bad "VmLck after munlock"
		must 4 "mremap $b 32K 64K maymove" || break
		b2=$R
		must 4 "load $b2 ${#text}" "$(hex "$text")"
		[ "$(kb "$MNT/$L/status" VmRSS)" = 24 ] || bad "VmRSS after mremap"
		must 4 "mprotect $b2 4K r--" 0
		grep -q "^$(printf '%x-%x' "$b2" $((b2 + 0x1000))) r--p " "$MNT/$L/maps" || bad "mprotect not in maps"
		must 4 brk || break
		h0=$R
		must 4 "brk $((h0 + 0x4000))" "$(printf '%#x' $((h0 + 0x4000)))"
		must 4 "touch $h0 16K w" 4
		[ "$(kb "$MNT/$L/status" VmRSS)" = 40 ] || bad "VmRSS with the heap"
		must 4 "sbrk -16K" "$(printf '%#x' $((h0 + 0x4000)))"
		must 4 brk "$h0"
		must 4 "munmap $b2 64K" 0
		[ "$(kb "$MNT/$L/status" VmRSS)" = 0 ] || bad "VmRSS after munmap: $(kb "$MNT/$L/status" VmRSS)"
		[ "$(pm "$MNT/$L/pagemap" "$b2")" = 0000000000000000 ] || bad "pagemap after munmap"
		[ "$(vmas "$MNT/$L/maps")" = 1 ] || bad "maps after munmap: $(cat "$MNT/$L/maps")"
	done
	must 4 "exit 0" 0
	exec 4>&-
	must 3 "wait $L" "$L 0"
	exec 3>&- 6>&-
	echo "$it" >"$W/done.$NAME"
}

# fork_child POST - a child of pid 1 (through fd 3) with its ctl open as
# fd 4: its pid in C, and posted whole in the file POST for another
# shell.  Status 1 if the fork failed.
fork_child() {
	must 3 fork || return 1
	C=$R
	exec 4<>"$MNT/$C/ctl"
	echo "$C" >"$1.tmp" && mv "$1.tmp" "$1"
}

# victim - children that the killer kills while this shell works on them.
victim() {
	local round=0 it C a killed t0 st
	exec 3<>"$MNT/1/ctl"
	while alive && [ $round -lt 200 ]; do
		round=$((round + 1))
		fork_child "$W/victim.pid" || break
		killed=
		for it in $(seq 200); do
			if ! c 4 "mmap 0 16K rw- private"; then killed=$R; break; fi
			a=$R
			if ! c 4 "touch $a 16K w"; then killed=$R; break; fi
			if ! c 4 "munmap $a 16K"; then killed=$R; break; fi
			if ! cat "$MNT/$C/smaps_rollup" >/dev/null 2>"$W/err.$NAME"; then
				st=$(awk '{ print $3 }' "$MNT/$C/stat" 2>/dev/null)
				[ "$st" = Z ] || bad "smaps_rollup of live $C: $(cat "$W/err.$NAME")"
			fi
		done
		case $killed in
		"") ;;
		"error ESRCH: "*) ;;
		*) bad "victim $C: $killed" ;;
		esac
		# Reap only once the killer is done with this pid.
		t0=$(date +%s)
		while [ ! -e "$W/killed.$C" ]; do
			if [ -e "$W/killer.finished" ] && [ ! -e "$W/killed.$C" ]; then
				must 4 "kill KILL" 0
				break
			fi
			[ $(( $(date +%s) - t0 )) -lt 20 ] || { bad "killer never came for $C"; must 4 "kill KILL"; break; }
			sleep 0.05
		done
		exec 4>&-
		must 3 "wait $C" "$C 9"
	done
	exec 3>&-
	echo "$round" >"$W/done.$NAME"
}

# killer - SIGKILL each child the victim posts, after a random delay.
killer() {
	local last= C n=0
	exec 6<>"$MNT/ctl"
	while alive; do
		C=$(cat "$W/victim.pid" 2>/dev/null) || C=
		if [ -n "$C" ] && [ "$C" != "$last" ]; then
			sleep "0.$((RANDOM % 3))$((RANDOM % 10))"
			must 6 "kill $C KILL" 0
			: >"$W/killed.$C"
			last=$C
			n=$((n + 1))
		fi
		sleep 0.02
	done
	exec 6>&-
	echo "$n" >"$W/done.$NAME"
	: >"$W/killer.finished"
}

# reader - every file of every process, and the machine-wide files.
reader() {
	local it=0 pid f pg pg0=0 lines0 err
	lines0=$(grep -c . "$MNT/vmstat")
	while alive && [ $it -lt 5000 ]; do
		it=$((it + 1))
		for pid in $(ls "$MNT" | grep -E '^[0-9]+$'); do
			for f in maps smaps smaps_rollup status stat statm mm pagetable; do
				if ! cat "$MNT/$pid/$f" >/dev/null 2>"$W/err.$NAME"; then
					err=$(cat "$W/err.$NAME")
					case $err in
					*"No such file or directory"* | *"No such process"*) ;;
					*) bad "$pid/$f: $err" ;;
					esac
				fi
			done
			dd if="$MNT/$pid/pagemap" bs=8 skip=$((0x7ffff7f00000 / 4096)) count=256 of=/dev/null \
				status=none 2>"$W/err.$NAME" || case $(cat "$W/err.$NAME") in
				*"No such file or directory"* | *"No such process"*) ;;
				*) bad "$pid/pagemap: $(cat "$W/err.$NAME")" ;;
				esac
		done
		[ "$(kb "$MNT/meminfo" MemTotal)" = "$total0" ] || bad "MemTotal changed"
		pg=$(awk '$1 == "pgfault" { print $2 }' "$MNT/vmstat")
		[ "${pg:-0}" -ge "$pg0" ] || bad "pgfault went back: $pg0 -> $pg"
		pg0=${pg:-0}
		[ "$(grep -c . "$MNT/vmstat")" = "$lines0" ] || bad "vmstat line count changed"
		for f in buddyinfo zoneinfo stat loadavg uptime cpu0/tlb cpu1/tlb trace; do
			cat "$MNT/$f" >/dev/null || bad "read $f"
		done
		f=$((RANDOM % (32768 - 64)))
		head -n 1 "$MNT/frames/$f" | grep -qx "pfn: $f" || bad "frames/$f"
		[ "$(dd if="$MNT/kpageflags" bs=8 skip=$f count=64 status=none | wc -c)" = 512 ] || bad "kpageflags at $f"
		[ "$(dd if="$MNT/kpagecount" bs=8 skip=$f count=64 status=none | wc -c)" = 512 ] || bad "kpagecount at $f"
	done
	echo "$it" >"$W/done.$NAME"
}

# trace - trace_pipe through `timeout cat`: each read is interrupted.
trace() {
	local it=0 rc
	while alive && [ $it -lt 100 ]; do
		it=$((it + 1))
		timeout 1 cat "$MNT/trace_pipe" >>"$W/trace.out" 2>>"$W/trace.err"
		rc=$?
		[ $rc = 124 ] || bad "timeout cat trace_pipe: status $rc"
	done
	[ ! -s "$W/trace.err" ] || bad "trace_pipe: $(head -3 "$W/trace.err")"
	echo "$it" >"$W/done.$NAME"
}

start() {
	( trap - EXIT; set +e; NAME=$1; ID=$2; "$3" ) &
	PIDS="$PIDS $!"
	NAMES="$NAMES $1"
}
for i in 0 1 2 3; do start "life$i" "$i" life; done
start memory 4 memory
start victim 5 victim
start killer 6 killer
start reader 7 reader
start trace 8 trace

# finish WHAT - no deadlock: every shell started ends by itself soon
# after the deadline, and finished its loop; their iterations are
# printed, and the test fails on any unexpected outcome they recorded.
finish() {
	local limit=$((END + 25)) pid n summary=
	for pid in $PIDS; do
		while kill -0 "$pid" 2>/dev/null; do
			if [ "$(date +%s)" -ge "$limit" ]; then
				grep -h . "$W"/fail.* 2>/dev/null >&2 || true
				fail "$1: a shell is stuck 25 s after the deadline (deadlock?): pid $pid"
			fi
			sleep 0.2
		done
	done
	wait $PIDS
	for n in $NAMES; do
		[ -s "$W/done.$n" ] || fail "$n did not finish its loop"
		summary="$summary $n=$(cat "$W/done.$n")"
	done
	echo "$1 iterations:$summary"
	if ls "$W"/fail.* >/dev/null 2>&1; then
		cat "$W"/fail.* | head -40 >&2
		fail "$1: $(cat "$W"/fail.* | wc -l) unexpected outcomes"
	fi
}
finish processes
# Each shell made progress (every loop ran a few times at least).
for n in life0 life1 life2 life3 memory victim; do
	[ "$(cat "$W/done.$n")" -ge 3 ] || fail "$n ran only $(cat "$W/done.$n") iterations"
done
[ "$(cat "$W/done.killer")" -ge 3 ] || fail "the killer killed only $(cat "$W/done.killer")"

# trace_pipe delivered well-formed events, forks, exits and the kills.
[ -s "$W/trace.out" ] || fail "trace_pipe gave nothing"
bad_lines=$(grep -cvE '^ *[^ ]+-[0-9]+ +\[[0-9]{3}\] +[0-9]+\.[0-9]{6}: [a-z_]+: ' "$W/trace.out" || true)
[ "$bad_lines" = 0 ] || { grep -vE '^ *[^ ]+-[0-9]+ +\[[0-9]{3}\] +[0-9]+\.[0-9]{6}: [a-z_]+: ' "$W/trace.out" | head -5 >&2; fail "$bad_lines malformed trace lines"; }
for ev in sched_process_fork sched_process_exit page_fault cow_copy mm_page_free 'signal_deliver: sig=9'; do
	grep -q "$ev" "$W/trace.out" || fail "no $ev in trace_pipe"
done
# The only ctl errors were the victim's ESRCH.
others=$(grep ': ctl_error: ' "$W/trace.out" | grep -vc ': ctl_error: errno=3 ' || true)
[ "$others" = 0 ] || { grep ': ctl_error: ' "$W/trace.out" | grep -v 'errno=3 ' | head -5 >&2; fail "unexpected ctl errors in the trace"; }

# Everything exited and was reaped (the spawned cats too): the machine is
# as it booted once the page cache the execs filled is dropped.
for p in $(ls "$MNT" | grep -E '^[0-9]+$'); do
	# init, kthreadd and kswapd0 stay
	[ "$p" -gt 3 ] && { echo "kill $p" >"$MNT/ctl"; echo "wait $p" >"$MNT/1/ctl"; }
done
echo 3 >"$MNT/sys/vm/drop_caches"
assert_eq "$(ls "$MNT" | grep -E '^[0-9]+$' | tr '\n' ' ')" "1 2 3 " "processes left"
ctl_err 1 wait ECHILD
check_machine
# The kernel page tables made for the kernel stacks' vmalloc areas stay,
# as Linux's do: every other frame is back.
kpt=$(($(field "$MNT/meminfo" PageTables) - pt0))
[ "$kpt" -ge 0 ] || fail "PageTables below the boot's"
assert_eq "$(($(field "$MNT/meminfo" MemFree) + 4 * $(pcp_pages) + kpt))" "$free0" "MemFree + pcp after every child was reaped"
assert_eq "$(($(free_frames) + kpt / 4))" "$nrfree0" "nr_free_pages + pcp"
assert_eq "$(field "$MNT/meminfo" AnonPages)" 0 "AnonPages"
assert_eq "$(field "$MNT/meminfo" Shmem)" 0 "Shmem"
assert_eq "$(field "$MNT/meminfo" Mlocked)" 0 "Mlocked"
assert_eq "$(field "$MNT/meminfo" Committed_AS)" "$(field "$MNT/1/status" VmSize)" "Committed_AS = init's stack"
check_machine

# ==== the memory cgroup case ====
# A second daemon, small RAM and swap (--mem 32M --swap 64M), and seven
# shells for MMUFS_CGROUP_SECONDS (30 s):
#   press0-1  fork a child of pid 1, post its pid, map 20M (the two
#             children together more than RAM), write it in 2M pieces with a stamp per piece, read the stamps back (they
#             survive swap), exit and reap; a group's OOM killer may take
#             the child (ENOMEM, then ESRCH, then status 9);
#   mover     moves the posted children between cgroup/, a, b and a/c
#             (ESRCH once a child has exited);
#   limiter   writes memory.max, memory.high, memory.swap.max and
#             memory.reclaim of a, b and a/c (EAGAIN from reclaim);
#   churn     creates and removes groups of its own, with limits, and
#             tries to remove a group with a child (EBUSY);
#   cgreader  reads every file of every group (ENOENT and ENODEV as the
#             churn's groups go, and ESTALE when an open races two of its
#             rmdirs: docs/divergences.md) and the machine's meminfo and
#             swaps.
# Then: no deadlock, no unexpected error, `check` ok, the groups empty
# and removable, no swap in use, and anonymous memory back to its value
# after boot.
fusermount3 -u "$MNT"
daemon_stopped "the unmount after the first case"
mount_mmufs --mem 32M --swap 64M --cpus 2
CG=$MNT/cgroup
anon0=$(field "$MNT/meminfo" AnonPages)
mkdir "$CG/a" "$CG/b" "$CG/a/c"
rm -f "$W"/*
PIDS= NAMES=
END=$(( $(date +%s) + ${MMUFS_CGROUP_SECONDS:-30} ))

# w FILE VALUE [ALLOWED...] - write VALUE to FILE (one write); status 1
# if it failed, and an error whose text is none of ALLOWED is bad.
w() {
	local f=$1 v=$2 err a
	shift 2
	printf '%s\n' "$v" 2>"$W/werr.$NAME" >"$f" && return 0
	err=$(cat "$W/werr.$NAME")
	for a in "$@"; do
		case $err in *"$a"*) return 1 ;; esac
	done
	bad "write '$v' to ${f#"$MNT"/}: $err"
	return 1
}

# press ID - children of pid 1 that write more than their group may hold.
press() {
	local it C a i text st gone
	exec 3<>"$MNT/1/ctl"
	for ((it = 1; it <= 500; it++)); do
		alive && fork_child "$W/pid.$NAME" || break
		gone=
		must 4 "mmap 0 20M rw- private" || break
		a=$R
		for i in $(seq 0 9); do
			text="P$ID.$it.$i"
			if ! c 4 "touch $((a + i * 0x200000)) 2M w" ||
				! c 4 "store $((a + i * 0x200000 + 0x1000)) '$text'"; then
				gone=$R
				break
			fi
		done
		for i in $(seq 0 9); do
			[ -z "$gone" ] || break
			text="P$ID.$it.$i"
			if ! c 4 "load $((a + i * 0x200000 + 0x1000)) ${#text}"; then
				gone=$R
			elif [ "$R" != "$(hex "$text")" ]; then
				bad "child $C, piece $i: read '$R' after swap, wrote '$text'"
			fi
		done
		[ -n "$gone" ] || c 4 "exit 0" || gone=$R
		exec 4>&-
		case $gone in
		"") must 3 "wait $C" "$C 0" ;;
		"error ENOMEM: "*"nothing in it can be reclaimed or killed")
			# Its swapped page is charged to a group it has left,
			# full with no process to kill: the fault fails, the
			# child lives (Linux retries the fault forever).
			must 6 "kill $C KILL" 0
			must 3 "wait $C" "$C 9" && echo "$C" >>"$W/stuck.$NAME" ;;
		"error ENOMEM: "* | "error ESRCH: "*)
			st=$(awk '{ print $3 }' "$MNT/$C/stat" 2>/dev/null)
			[ "$st" = Z ] || { bad "child $C after '$gone' is '$st', not Z"; c 6 "kill $C KILL"; }
			must 3 "wait $C" "$C 9" && echo "$C" >>"$W/oom.$NAME" ;;
		*) bad "child $C: $gone"; c 6 "kill $C KILL"; c 3 "wait $C" ;;
		esac
	done
	rm -f "$W/pid.$NAME"
	exec 3>&-
	echo "$((it - 1))" >"$W/done.$NAME"
}

# mover - the posted children go from group to group.
mover() {
	local it=0 f p groups=(. a b a/c)
	while alive && [ $it -lt 20000 ]; do
		it=$((it + 1))
		for f in "$W"/pid.press*; do
			p=$(cat "$f" 2>/dev/null) || continue
			[ -n "$p" ] || continue
			w "$CG/${groups[RANDOM % 4]}/cgroup.procs" "$p" "No such process"
		done
		sleep 0.0$((RANDOM % 5))
	done
	echo "$it" >"$W/done.$NAME"
}

# limiter - the limits of a, b and a/c change under the children.
limiter() {
	local it=0 g max=(4M 8M 16M max) high=(2M 6M max) swap=(8M 32M max max)
	while alive && [ $it -lt 20000 ]; do
		it=$((it + 1))
		for g in a b a/c; do
			w "$CG/$g/memory.max" "${max[RANDOM % 4]}"
			w "$CG/$g/memory.high" "${high[RANDOM % 3]}"
			w "$CG/$g/memory.swap.max" "${swap[RANDOM % 4]}"
			w "$CG/$g/memory.reclaim" 256K "Resource temporarily unavailable"
		done
		sleep 0.0$((RANDOM % 5))
	done
	echo "$it" >"$W/done.$NAME"
}

# churn - groups of its own come and go; a and a group with a child
# cannot be removed.
churn() {
	local it=0 d err
	while alive && [ $it -lt 5000 ]; do
		it=$((it + 1))
		d=$CG/s$it
		mkdir "$d" "$d/x" 2>"$W/err.$NAME" || { bad "mkdir: $(cat "$W/err.$NAME")"; break; }
		w "$d/x/memory.max" 1M
		w "$d/memory.high" 2M
		rmdir "$d" 2>"$W/err.$NAME" && bad "rmdir of $d with a child"
		err=$(cat "$W/err.$NAME")
		case $err in *"Device or resource busy"*) ;; *) bad "rmdir $d: $err" ;; esac
		rmdir "$CG/a" 2>"$W/err.$NAME" && bad "rmdir of a with a child"
		rmdir "$d/x" "$d" 2>"$W/err.$NAME" || bad "rmdir: $(cat "$W/err.$NAME")"
	done
	echo "$it" >"$W/done.$NAME"
}

# cgreader - every file of every group, while groups come and go.
cgreader() {
	local it=0 d f err
	while alive && [ $it -lt 5000 ]; do
		it=$((it + 1))
		for d in $(find "$CG" -type d 2>/dev/null); do
			for f in cgroup.procs memory.stat memory.current memory.events \
				memory.swap.current memory.max memory.high memory.swap.max; do
				[ "$d" != "$CG" ] || case $f in cgroup.procs | memory.stat) ;; *) continue ;; esac
				cat "$d/$f" >/dev/null 2>"$W/err.$NAME" && continue
				err=$(cat "$W/err.$NAME")
				case $err in
				*"No such file or directory"* | *"No such device"* | \
					*"Stale file handle"*) ;;
				*) bad "${d#"$MNT"/}/$f: $err" ;;
				esac
			done
		done
		cat "$MNT/meminfo" "$MNT/swaps" >/dev/null || bad "meminfo or swaps"
	done
	echo "$it" >"$W/done.$NAME"
}

exec 6<>"$MNT/ctl"
for i in 0 1; do start "press$i" "$i" press; done
start mover 2 mover
start limiter 3 limiter
start churn 4 churn
start cgreader 5 cgreader
finish cgroups
exec 6>&-
echo "OOM kills in groups: $(cat "$W"/oom.* 2>/dev/null | wc -l);" \
	"faults refused in a group left behind: $(cat "$W"/stuck.* 2>/dev/null | wc -l)"
for n in press0 press1 mover limiter churn cgreader; do
	[ "$(cat "$W/done.$n")" -ge 3 ] || fail "$n ran only $(cat "$W/done.$n") iterations"
done
[ "$(awk '$1 == "pswpout" { print $2 }' "$MNT/vmstat")" -gt 0 ] || fail "nothing was swapped out"
check_machine
# Every child was reaped: the groups hold nothing, swap is empty, and the
# groups go.
for g in a b a/c; do
	assert_eq "$(cat "$CG/$g/cgroup.procs")" "" "$g's processes"
	assert_eq "$(cat "$CG/$g/memory.current") $(cat "$CG/$g/memory.swap.current")" \
		"0 0" "$g's memory.current and memory.swap.current"
done
assert_eq "$(ls "$CG" | grep -c '^s')" 0 "churn's groups left"
rmdir "$CG/a/c" "$CG/a" "$CG/b"
assert_eq "$(awk 'NR > 1 { n += $4 } END { print n + 0 }' "$MNT/swaps")" 0 "swap in use"
assert_eq "$(field "$MNT/meminfo" AnonPages)" "$anon0" "AnonPages"
check_machine
