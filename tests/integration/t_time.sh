#!/usr/bin/env bash
# Simulated time (README "Simulated time"): the same script on two fresh
# mounts gives the same bytes in every file, the trace's timestamps
# included (btime aside); the times follow the cost table's sysctls;
# touch and replay report the time and EAT the table gives; ps, top,
# vmstat and uptime, unmodified, show the busy task and the load; kswapd
# is charged for the pages it reclaims.
. "$(dirname "$0")/lib.sh"

for tool in ps top vmstat uptime unshare; do
	command -v "$tool" >/dev/null || skip "$tool missing (procps)"
done
unshare -m --propagation private true 2>/dev/null ||
	skip "cannot create a mount namespace"
OUT=$(mktemp -d /tmp/mmufs-time.XXXXXX)
trap 's=$?; set +e; rm -rf "$OUT"; (exit $s); cleanup' EXIT

# workload - pid 1 forks A (pid 4), which writes 256 pages at 0.1 s a
# fault (25.6 s of system time); A forks B, which copies 64 of them;
# 32 pages go to swap and come back (major faults, 0.1 s of I/O wait
# each); a replay; /bin/true is spawned and reads its first page.
workload() {
	echo 100000000 >"$MNT/sys/vm/mmufs_cost_fault_ns"
	echo 100000000 >"$MNT/sys/vm/mmufs_cost_swap_in_ns"
	A=$(ctl 1 fork)
	a=$(ctl "$A" "mmap 0 1M rw- private")
	ctl "$A" "touch $a 1M w" >/dev/null
	B=$(ctl "$A" fork)
	ctl "$B" "touch $a 256K w" >/dev/null
	ctl "$A" "madvise $a 128K pageout" >/dev/null
	ctl "$A" "touch $a 128K r" >/dev/null
	printf 'R %s\nW %s\nR %s\n' "$a" "$((a + 8192))" "$a" >"$OUT/trace.txt"
	ctl "$B" "replay $OUT/trace.txt simple" >/dev/null
	E=$(ctl machine "spawn /bin/true")
	ctl "$E" "touch 0x555555554000 4K r" >/dev/null	# a file read: I/O wait
	ctl machine "schedule $A" >/dev/null
}

# dump DIR - every file of the tree but frames/ (its listing is
# bounded), the ctl files, trace_pipe (it blocks), and the address
# spaces' sparse binaries (mem, pagemap) and vtop (a per-open answer);
# stat without its btime.
dump() {
	local dir=$1 f rel
	mkdir -p "$dir"
	(cd "$MNT" && find . -path ./frames -prune -o -type f -print) | sort |
	while read -r rel; do
		case $rel in
		*/ctl | ./trace_pipe | */mem | */pagemap | */vtop) continue ;;
		esac
		f=$dir/$(echo "${rel#./}" | tr / _)
		cat "$MNT/$rel" >"$f" 2>/dev/null || echo "unreadable" >"$f"
	done
	sed -i '/^btime /d' "$dir/stat"
}

mount_mmufs --mem 64M --swap 16M --cpus 2
workload
dump "$OUT/run1"
check_machine
fusermount3 -u "$MNT"
wait "$DAEMON" || true
DAEMON=

mount_mmufs --mem 64M --swap 16M --cpus 2
workload
dump "$OUT/run2"
diff -r "$OUT/run1" "$OUT/run2" >"$OUT/diff" ||
	fail "two runs differ: $(head -20 "$OUT/diff")"
[ "$(wc -l <"$OUT/run1/trace")" -gt 100 ] || fail "trace too short"
echo "ok - two runs give the same bytes in $(ls "$OUT/run1" | wc -l) files, trace included"

# The clock: A's faults at 0.1 s each are system time; uptime is the sum
# of every task's time; the trace's stamps never go back and end within
# the clock.
read -r up idle <"$MNT/uptime"
stat_of() { awk '{ print $14, $15, $16, $17, $22, $42 }' "$MNT/$1/stat"; }
read -r autime astime acutime acstime astart ablkio <<<"$(stat_of "$A")"
read -r butime bstime _ _ bstart _ <<<"$(stat_of "$B")"
afaults=$(awk '{ print $10 + $12 }' "$MNT/$A/stat")
[ "$astime" -ge $((afaults * 10)) ] ||
	fail "A's stime $astime ticks for $afaults faults at 0.1 s"
[ "$ablkio" -gt 0 ] || fail "A's swap-ins took no I/O time"
[ "$bstart" -ge "$astart" ] || fail "B started before A"
total_ticks=$(awk '$1 == "cpu" { print $2 + $4 + $5 + $6 }' "$MNT/stat")
up_ticks=$(awk '{ printf "%d", $1 * 100 + 0.5 }' "$MNT/uptime")
[ $((total_ticks / 2 - up_ticks)) -le 2 ] && [ $((up_ticks - total_ticks / 2)) -le 2 ] ||
	fail "stat's cpu ticks $total_ticks are not 2 CPUs x uptime $up"
read -r eutime estime eblkio <<<"$(awk '{ print $14, $15, $42 }' "$MNT/$E/stat")"
tasks_ticks=$((autime + astime + butime + bstime + ablkio + eutime + estime + eblkio))
[ $((up_ticks - tasks_ticks)) -le 4 ] && [ $((tasks_ticks - up_ticks)) -le 4 ] ||
	fail "uptime $up_ticks ticks, the tasks' times $tasks_ticks"
awk -v up="$up" '/^#/ { next } { t = $3; sub(":", "", t); if (t + 0 < last) bad = 1; last = t + 0 }
	END { exit bad || last > up + 0.01 }' "$MNT/trace" ||
	fail "trace timestamps go back or pass the clock"
echo "ok - uptime $up s: A's stime $astime ticks for $afaults faults, I/O wait $ablkio ticks"

# The cost table: with only TLB lookups (100 ns) and walk reads (25 ns)
# costing anything, a replay of pages already mapped and present takes
# 100 ns a lookup and 4 x 25 ns a miss: time and EAT as the textbook's,
# EAT = 100 + (1 - h) x 100 ns for a TLB hit ratio h.
for f in "$MNT"/sys/vm/mmufs_cost_*_ns; do echo 0 >"$f"; done
echo 100 >"$MNT/sys/vm/mmufs_cost_tlb_hit_ns"
echo 25 >"$MNT/sys/vm/mmufs_cost_walk_level_ns"
for i in $(seq 0 511); do	# every other access to one of 8 hot pages
	printf 'R %s\n' "$((a + (i % 2 ? i * 37 % 256 : i / 2 % 8) * 4096))"
done >"$OUT/t2"
ctl machine "schedule $B" >/dev/null
read -r _ n _ hits _ minor _ major _ _ _ th _ tm _ ns _ eat <<<"$(ctl "$B" "replay $OUT/t2 simple")"
[ "$minor$major" = 00 ] || fail "replay of present pages faulted"
[ "$th" -gt 0 ] && [ "$tm" -gt 0 ] || fail "replay: $th TLB hits, $tm misses"
[ "$ns" = $((100 * (th + tm) + 100 * tm)) ] ||
	fail "replay time $ns ns, expected 100 x $((th + tm)) + 100 x $tm"
[ "$eat" = "$((ns / n)).$(printf %02d $((ns % n * 100 / n)))" ] ||
	fail "replay eat $eat for $ns ns / $n accesses"
echo "ok - replay: $n accesses, $tm TLB misses: $ns ns, EAT $eat ns"
before=$(cut -d' ' -f1 "$MNT/uptime")
echo 1000000000 >"$MNT/sys/vm/mmufs_cost_syscall_ns"
ctl "$B" "brk" >/dev/null
after=$(cut -d' ' -f1 "$MNT/uptime")
awk -v a="$after" -v b="$before" 'BEGIN { exit !(a - b > 0.99 && a - b < 1.01) }' ||
	fail "a 1 s syscall moved uptime from $before to $after"
if echo 1000000001 >"$MNT/sys/vm/mmufs_cost_fault_ns" 2>/dev/null; then
	fail "a cost above 1 s was taken"
fi
[ "$(cat "$MNT/sys/vm/mmufs_cost_fault_ns")" = 0 ] || fail "a refused cost changed"
echo "ok - the cost sysctls: a 1 s syscall is 1 s of uptime, past 1 s refused"

# The tools: ps's TIME and top's TIME+ are A's utime + stime; vmstat's
# CPU split since boot is stat's; uptime prints loadavg's averages.
unshare -m --propagation private sh -c '
	mount --bind "$1" /proc || exit 99
	ps -o pid=,cputimes= -p "$2" >"$3/ps"
	top -b -n 1 -p "$2" >"$3/top"
	vmstat >"$3/vmstat"
	uptime >"$3/uptime"
' sh "$MNT" "$A" "$OUT" || fail "unshare/mount --bind failed"
read -r _ secs <"$OUT/ps"
[ "$secs" = $(((autime + astime) / 100)) ] ||
	fail "ps cputimes $secs, stat says $(((autime + astime) / 100)) s"
time_plus=$(awk -v pid="$A" '$1 == pid { print $11 }' "$OUT/top")
want=$(printf '%d:%02d.%02d' $(((autime + astime) / 6000)) \
	$(((autime + astime) / 100 % 60)) $(((autime + astime) % 100)))
[ "$time_plus" = "$want" ] || fail "top's TIME+ $time_plus, stat says $want"
read -r us sy id wa <<<"$(tail -1 "$OUT/vmstat" | awk '{ print $13, $14, $15, $16 }')"
read -r cu cs ci cw <<<"$(awk '$1 == "cpu" { t = $2 + $4 + $5 + $6;
	printf "%d %d %d %d", $2 * 100 / t, $4 * 100 / t, $5 * 100 / t, $6 * 100 / t }' "$MNT/stat")"
for pair in "$us:$cu" "$sy:$cs" "$id:$ci" "$wa:$cw"; do
	d=$((${pair%:*} - ${pair#*:}))
	[ "${d#-}" -le 1 ] || fail "vmstat us sy id wa $us $sy $id $wa, stat $cu $cs $ci $cw"
done
load=$(cut -d' ' -f1-3 "$MNT/loadavg" | sed 's/ /, /g')
grep -q "load average: $load\$" "$OUT/uptime" ||
	fail "uptime: $(cat "$OUT/uptime"); loadavg $load"
[ "$(cut -d' ' -f1 "$MNT/loadavg")" != 0.00 ] || fail "no load after $up s"
echo "ok - ps $secs s, top $time_plus, vmstat $us/$sy/$id/$wa, load $load"

# Reclaim at 10 ms a page freed: kswapd0 (pid 3) works for the pages it
# frees, on CPU 0, and ps shows its time.
echo 10000000 >"$MNT/sys/vm/mmufs_cost_reclaim_page_ns"
steal0=$(awk '$1 == "pgsteal_kswapd" { print $2 }' "$MNT/vmstat")
k0=$(awk '{ print $15 }' "$MNT/3/stat")
F=$(ctl 1 fork)
f=$(ctl "$F" "mmap 0 72M rw- private")
ctl "$F" "touch $f 72M w" >/dev/null
steal=$(($(awk '$1 == "pgsteal_kswapd" { print $2 }' "$MNT/vmstat") - steal0))
kstime=$(($(awk '{ print $15 }' "$MNT/3/stat") - k0))
[ "$steal" -gt 0 ] || fail "kswapd reclaimed nothing"
assert_eq "$kstime" "$steal" "kswapd0's stime (ticks) for $steal pages at 10 ms"
unshare -m --propagation private sh -c '
	mount --bind "$1" /proc || exit 99
	ps -o comm=,cputimes= -p 3 >"$2/ps3"
' sh "$MNT" "$OUT" || fail "unshare/mount --bind failed"
read -r comm ksecs <"$OUT/ps3"
assert_eq "$comm $ksecs" "kswapd0 $(($(awk '{ print $14 + $15 }' "$MNT/3/stat") / 100))" "ps of kswapd0"
echo "ok - kswapd0 freed $steal pages: $kstime ticks of system time, ps says $ksecs s"

check_machine
