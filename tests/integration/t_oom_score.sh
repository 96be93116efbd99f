#!/usr/bin/env bash
# /proc/PID/oom_score: the rule the host's own file follows (proc_oom_score:
# (1000 + (RSS + swap + page-table pages) * 1000 / (RAM + swap pages)) * 2
# / 3 for oom_score_adj 0, 0 for init and kernel threads) gives the
# simulation's file too.
. "$(dirname "$0")/lib.sh"

# expect DIR MEMINFO - the score the rule gives for the process whose
# status is DIR/status, on a machine whose meminfo is MEMINFO.
expect() {
	awk '/^(VmRSS|VmSwap|VmPTE):/ { pages += $2 / 4 }
	     /^(MemTotal|SwapTotal):/ { total += $2 / 4 }
	     END { printf "%d\n", (1000 + int(pages * 1000 / total)) * 2 / 3 }' \
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
if [ "$(cat "/proc/$hog/oom_score_adj")" = 0 ]; then
	assert_eq "$(cat "/proc/$hog/oom_score")" "$(expect "/proc/$hog" /proc/meminfo)" \
		"the host's oom_score follows the rule"
fi
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
ctl "$pid" exit >/dev/null
assert_eq "$(cat "$MNT/$pid/oom_score")" 0 "a zombie"
check_machine
