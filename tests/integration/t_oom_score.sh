#!/usr/bin/env bash
# /proc/PID/oom_score: the rule the host's own file follows (proc_oom_score:
# (1000 + (RSS + swap + page-table pages) * 1000 / (RAM + swap pages)) * 2
# / 3 for oom_score_adj 0, 0 for init and kernel threads) gives the
# simulation's file too.
. "$(dirname "$0")/lib.sh"

# expect DIR MEMINFO - the score the rule gives for the process whose
# status is DIR/status and oom_score_adj DIR/oom_score_adj (the points
# move by adj thousandths of the pages, oom_badness's adj * (totalpages /
# 1000)), on a machine whose meminfo is MEMINFO.
expect() {
	awk -v adj="$(cat "$1/oom_score_adj")" \
	    '/^(VmRSS|VmSwap|VmPTE):/ { pages += $2 / 4 }
	     /^(MemTotal|SwapTotal):/ { total += $2 / 4 }
	     END { pages += adj * int(total / 1000)
		   printf "%d\n", (1000 + int(pages * 1000 / total)) * 2 / 3 }' \
		"$1/status" "$2"
}

# The host: a process with 64 MiB resident, held while it is measured.
coproc HOG { python3 -c '
import os, sys
b = bytearray(64 << 20)
for i in range(0, len(b), 4096):
    b[i] = 1
print(os.getpid(), flush=True)
sys.stdin.read()'; }
read -r hog <&"${HOG[0]}"
assert_eq "$(cat "/proc/$hog/oom_score")" "$(expect "/proc/$hog" /proc/meminfo)" \
	"the host's oom_score follows the rule"
echo 300 >"/proc/$hog/oom_score_adj"
assert_eq "$(cat "/proc/$hog/oom_score")" "$(expect "/proc/$hog" /proc/meminfo)" \
	"the host's oom_score with oom_score_adj 300"
exec {HOG[1]}>&-
wait "$HOG_PID"

mount_mmufs --mem 64M
assert_eq "$(cat "$MNT/1/oom_score")" 0 "init"
assert_eq "$(cat "$MNT/2/oom_score")" 0 "kthreadd"
pid=$(ctl 1 fork)
assert_eq "$(cat "$MNT/$pid/oom_score")" "$(expect "$MNT/$pid" "$MNT/meminfo")" \
	"a fresh child"
a=$(ctl "$pid" "mmap 0 16M rw- private")
ctl "$pid" "touch $a 16M w" >/dev/null
score=$(cat "$MNT/$pid/oom_score")
assert_eq "$score" "$(expect "$MNT/$pid" "$MNT/meminfo")" "16 MiB resident"
[ "$score" -gt 666 ] || fail "16 MiB of 64 MiB scores only $score"
t=$(ctl "$pid" thread)
assert_eq "$(cat "$MNT/$pid/task/$t/oom_score")" "$score" "a thread's"

# oom_score_adj: the process's, shared by its threads, inherited by fork,
# -1000..1000, and it moves the score as on the host.
assert_eq "$(cat "$MNT/$pid/oom_score_adj")" 0 "oom_score_adj at fork"
echo 300 >"$MNT/$pid/oom_score_adj"
assert_eq "$(cat "$MNT/$pid/task/$t/oom_score_adj")" 300 "a thread's adj"
assert_eq "$(cat "$MNT/$pid/oom_score")" "$(expect "$MNT/$pid" "$MNT/meminfo")" \
	"16 MiB resident, oom_score_adj 300"
for bad in 1001 -1001 abc ""; do
	echo "$bad" >"$MNT/$pid/oom_score_adj" 2>/dev/null &&
		fail "oom_score_adj took '$bad'"
done
assert_eq "$(cat "$MNT/$pid/oom_score_adj")" 300 "a refused write changes nothing"
kid=$(ctl "$pid" fork)
assert_eq "$(cat "$MNT/$kid/oom_score_adj")" 300 "inherited by fork"
ctl "$kid" exit >/dev/null
ctl "$pid" "wait $kid" >/dev/null
ctl "$pid" exit >/dev/null
assert_eq "$(cat "$MNT/$pid/oom_score")" 0 "a zombie"
ctl 1 "wait $pid" >/dev/null

# The OOM killer passes over -1000: the larger process is exempt, so the
# smaller one dies when a third one runs out of frames.
big=$(ctl 1 fork)
small=$(ctl 1 fork)
echo -1000 >"$MNT/$big/oom_score_adj"
assert_eq "$(cat "$MNT/$big/oom_score")" 0 "oom_score of an exempt process"
a=$(ctl "$big" "mmap 0 24M rw- private")
ctl "$big" "touch $a 24M w" >/dev/null
a=$(ctl "$small" "mmap 0 8M rw- private")
ctl "$small" "touch $a 8M w" >/dev/null
hog=$(ctl 1 fork)
echo -500 >"$MNT/$hog/oom_score_adj"
a=$(ctl "$hog" "mmap 0 30M rw- private")
ctl "$hog" "touch $a 30M w" >/dev/null
assert_eq "$(ctl 1 "wait $small")" "$small 9" "the smaller process was the victim"
[ "$(awk '{ print $3 }' "$MNT/$big/stat")" != Z ] || fail "the exempt process died"
check_machine
