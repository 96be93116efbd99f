#!/usr/bin/env bash
# The monitors, unmodified, with the mount bound over /proc and its cpu/
# over /sys/devices/system/cpu in a private mount namespace (README, "The
# caller is a host process"): smem (per process and -w), glances
# --stdout-json, and htop and bpytop, the interactive ones, run in a tmux
# pane, their screen read once it shows the simulated processes, then
# stopped with q.  Each exits 0 with nothing on stderr (on its screen for
# htop and bpytop, nor in bpytop's error.log), and what it shows agrees
# with the simulation's own files: smem's USS, PSS, RSS and swap with
# smaps_rollup, glances' memory, swap and processes with meminfo and
# stat, htop's process rows (faults, memory, swap: columns its htoprc
# asks for) with stat and status, bpytop's with stat.  The machine has
# another CPU count than the host: glibc's sysconf, psutil, top, glances, htop and
# bpytop all count the simulated ones.
. "$(dirname "$0")/lib.sh"

PY=/usr/bin/python3	# Debian's python, where python3-psutil lives
# The screens have box drawing and sort marks: a UTF-8 locale (tmux
# turns what it cannot show into _), whatever the caller's.
export LC_ALL=C.UTF-8
for tool in smem htop glances bpytop tmux top getconf unshare; do
	command -v "$tool" >/dev/null ||
		skip "$tool missing (smem, htop, glances, bpytop, tmux)"
done
"$PY" -c 'import psutil' 2>/dev/null || skip "python3-psutil is not installed"
unshare -m --propagation private true 2>/dev/null ||
	skip "cannot create a mount namespace"

# A CPU count the host does not have, so that one read from the host's
# /sys shows.
CPUS=3
[ "$(getconf _NPROCESSORS_ONLN)" -ne 3 ] || CPUS=5
mount_mmufs --mem 64M --cpus "$CPUS"
ctl machine "swapon 1M" >/dev/null

# S (/bin/sh) writes 64K and pages out 16K of it (swap), then forks F,
# which writes 32K of it again (the rest stays shared: PSS below RSS);
# C is /usr/bin/cat, spawned and left as exec made it.  F runs.
S=$(ctl machine "spawn /bin/sh")
a=$(ctl "$S" "mmap 0 64K rw- private")
ctl "$S" "touch $a 64K w" >/dev/null
ctl "$S" "madvise $a 16K pageout" >/dev/null
F=$(ctl "$S" fork)
ctl "$F" "touch $a 32K w" >/dev/null
C=$(ctl machine "spawn /usr/bin/cat")
ctl machine "schedule $F" >/dev/null

OUT=$(mktemp -d /tmp/mmufs-tui.XXXXXX)
SOCK=$OUT/tmux.sock
trap 's=$?; set +e; for x in "$SOCK".*; do tmux -S "$x" kill-server 2>/dev/null; done
	rm -rf "$OUT"; (exit $s); cleanup' EXIT
echo 'set -g remain-on-exit on' >"$OUT/tmux.conf"

# In the namespace: run NAME CMD... leaves NAME.out, NAME.err, NAME.rc;
# tui NAME TEXT CMD runs CMD in a 160x45 tmux pane until its screen shows
# TEXT (30 s at most), waits 2.5 s more (a refresh of htop's and
# bpytop's), keeps the screen as NAME.out, types q and keeps the exit
# status, as the shell of the pane sees it (still running 10 s later:
# 124, and the screen then as NAME.err).
unshare -m --propagation private sh -c '
	mnt=$1 out=$2 py=$3 sock=$4
	mount --bind "$mnt" /proc || exit 99
	mount --bind "$mnt/cpu" /sys/devices/system/cpu || exit 99
	export HOME=$out/home TERM=xterm
	mkdir -p "$HOME"
	run() { n=$1; shift; "$@" >"$out/$n.out" 2>"$out/$n.err"; echo $? >"$out/$n.rc"; }
	tx() { tmux -u -S "$sock.$n" "$@"; }
	tui() {
		n=$1 want=$2; shift 2
		tx -f "$out/tmux.conf" new-session -d -x 160 -y 45 "$*; echo \$? >$out/$n.rc"
		i=0
		while [ $i -lt 60 ] && ! tx capture-pane -p | grep -qF -- "$want"; do
			sleep 0.5; i=$((i + 1))
		done
		sleep 2.5
		tx capture-pane -p >"$out/$n.out"
		tx send-keys q
		i=0
		while [ $i -lt 20 ] && [ ! -s "$out/$n.rc" ]; do
			sleep 0.5; i=$((i + 1))
		done
		: >"$out/$n.err"
		if [ ! -s "$out/$n.rc" ]; then
			echo 124 >"$out/$n.rc"
			tx capture-pane -p >"$out/$n.err"
		fi
		tx kill-server
	}
	run nprocs getconf _NPROCESSORS_ONLN
	run cpucount "$py" -c "import psutil; print(psutil.cpu_count(), psutil.cpu_count(logical=False))"
	run top top -1 -b -n 1 -w 512
	run smem smem -c "pid name uss pss rss swap"
	run smemw smem -w
	run glances glances --stdout-json cpu,mem,memswap,processcount,percpu,processlist --stop-after 1
	# htop: one screen, sorted by pid, with the fault and swap columns.
	mkdir -p "$HOME/.config/htop"
	printf "%s\n" htop_version=3.2.2 config_reader_min_version=3 screen_tabs=0 \
		"screen:Main=PID PPID STATE MINFLT MAJFLT M_VIRT M_RESIDENT M_SWAP NLWP Command" \
		.sort_key=PID .sort_direction=1 >"$HOME/.config/htop/htoprc"
	tui htop /usr/bin/cat htop -d 10
	tui bpytop /usr/bin/cat "$py" /usr/bin/bpytop
	cp "$HOME/.config/bpytop/error.log" "$out/bpytop.log" 2>/dev/null
	exit 0
' sh "$MNT" "$OUT" "$PY" "$SOCK" || fail "unshare/mount --bind failed"

export MNT OUT CPUS S F C
PYTHONPATH=$(dirname "$0") "$PY" - <<'PYEOF' || fail "tool checks"
import json, os, re, sys
from toolrun import MNT, OUT, errors, eq, read, out, ran_cleanly

CPUS, S, F, C = (int(os.environ[k]) for k in ("CPUS", "S", "F", "C"))
ran_cleanly(("nprocs", "cpucount", "top", "smem", "smemw", "glances", "htop", "bpytop"))
for name in ("htop", "bpytop"):
    if re.search(r"Traceback|Error|error", out(name)):
        errors.append("%s's screen shows an error:\n%s" % (name, out(name)))
if os.path.exists(os.path.join(OUT, "bpytop.log")):
    log = read(os.path.join(OUT, "bpytop.log"))
    if "ERROR" in log:
        errors.append("bpytop's error.log: " + log)

pids = sorted(int(d) for d in os.listdir(MNT) if d.isdigit())
eq(pids, [1, 2, 3, S, F, C], "the processes")

def kv(path):
    """the "Key: N kB" lines of meminfo or smaps_rollup"""
    return {l.split(":")[0]: int(l.split()[1]) for l in read(path).splitlines()
            if l.endswith(" kB")}

def stat(pid):
    st = read("%s/%d/stat" % (MNT, pid))
    rp = st.rindex(")")
    return st[st.index("(") + 1:rp], st[rp + 2:].split()

comm = {p: stat(p)[0] for p in pids}
ppid = {p: int(stat(p)[1][1]) for p in pids}
state = {p: stat(p)[1][0] for p in pids}
minflt = {p: int(stat(p)[1][7]) for p in pids}
majflt = {p: int(stat(p)[1][9]) for p in pids}
rss = {p: int(stat(p)[1][21]) * 4 for p in pids}		# KiB
vsz = {p: int(stat(p)[1][20]) // 1024 for p in pids}	# KiB
cmdline = {p: read("%s/%d/cmdline" % (MNT, p)).rstrip("\0").replace("\0", " ") for p in pids}
kthread = {p: "VmSize" not in read("%s/%d/status" % (MNT, p)) for p in pids}
swap = {p: kv("%s/%d/status" % (MNT, p)).get("VmSwap", 0) for p in pids}
mi = kv(MNT + "/meminfo")

# The CPU count: sysconf's, psutil's (logical and cores), top's rows.
eq(out("nprocs").strip(), str(CPUS), "getconf _NPROCESSORS_ONLN")
eq(out("cpucount").split(), [str(CPUS)] * 2, "psutil cpu_count(), cpu_count(logical=False)")
eq(re.findall(r"%Cpu(\d+) ", out("top")), [str(c) for c in range(CPUS)], "top -1 CPUs")

# smem: a row per process with a command line (it takes the others for
# kernel threads), USS = Private_*, PSS, RSS and Swap of smaps_rollup.
rows = [l.split() for l in out("smem").splitlines()]
eq(rows[0], ["PID", "Name", "USS", "PSS", "RSS", "Swap"], "smem header")
got = {int(r[0]): r[1:] for r in rows[1:]}
eq(sorted(got), sorted(p for p in pids if cmdline[p]), "smem pids")
for p, r in got.items():
    ro = kv("%s/%d/smaps_rollup" % (MNT, p))
    eq(r, [comm[p], str(ro["Private_Clean"] + ro["Private_Dirty"]), str(ro["Pss"]),
           str(ro["Rss"]), str(ro["Swap"])], "smem row of %d" % p)
if int(got.get(S, ["", "", "", "", "0"])[4]) < 16:
    errors.append("smem: S's 16K paged out is not in its swap")
if got.get(F) and int(got[F][2]) >= int(got[F][3]):
    errors.append("smem: F's PSS is not below its RSS (shared pages)")
# smem -w: userspace is AnonPages + Mapped, free MemFree.
w = {l[:24].strip(): l[24:].split() for l in out("smemw").splitlines()[1:]}
eq(w.get("userspace memory"), [str(mi["AnonPages"] + mi["Mapped"]), str(mi["Mapped"]),
                               str(mi["AnonPages"])], "smem -w userspace")
eq(w.get("free memory"), [str(mi["MemFree"]), str(mi["MemFree"]), "0"], "smem -w free")

# glances --stdout-json: one line per plugin.
g = {}
for l in out("glances").splitlines():
    k, v = l.split(": ", 1)
    g[k] = json.loads(v)
eq([g["mem"]["total"], g["mem"]["available"], g["mem"]["free"]],
   [mi["MemTotal"] * 1024, mi["MemAvailable"] * 1024, mi["MemAvailable"] * 1024],
   "glances mem")
eq([g["memswap"]["total"], g["memswap"]["free"], g["memswap"]["used"]],
   [mi["SwapTotal"] * 1024, mi["SwapFree"] * 1024, (mi["SwapTotal"] - mi["SwapFree"]) * 1024],
   "glances memswap")
eq(g["processcount"]["total"], len(pids), "glances processcount")
eq([c["cpu_number"] for c in g["percpu"]], list(range(CPUS)), "glances percpu")
eq(g["cpu"]["cpucore"], CPUS, "glances cpucore")
eq(sorted((p["pid"], p["name"], p["memory_info"][0] // 1024, p["memory_info"][1] // 1024)
          for p in g["processlist"]),
   [(p, comm[p], rss[p], vsz[p]) for p in pids], "glances processlist")

# htop: a meter per CPU, the swap bar (used is total - free - cached),
# a row per process but the kernel threads (hidden by default), in pid
# order: PPID, state, faults, VIRT, RES, SWAP in KiB, threads, the
# command line (else the name).
scr = out("htop").splitlines()
eq(re.findall(r"(?:^|\s)(\d+)\[", "\n".join(scr)), [str(c) for c in range(CPUS)],
   "htop CPU meters")
m = re.search(r"Swp\[.*?(\d+)K/(\d+)K\]", out("htop"))
eq(m.groups() if m else None, (str(mi["SwapTotal"] - mi["SwapFree"] - mi["SwapCached"]),
                               str(mi["SwapTotal"])), "htop Swp")
m = re.search(r"Tasks: (\d+), (\d+) thr, (\d+) kthr; (\d+) running", out("htop"))
eq(m.groups() if m else None, (str(len(pids) - 2), "0", "2", "1"), "htop Tasks")
ascii = lambda l: re.sub(r"[^ -~]", " ", l)	# "PID△": the sort mark
i = next((n for n, l in enumerate(scr) if ascii(l).split()[:2] == ["PID", "PPID"]), None)
if i is None:
    errors.append("htop: no process list:\n" + out("htop"))
else:
    cols = ascii(scr[i]).split()
    got = {}
    for l in scr[i + 1:]:
        x = l.split(None, len(cols) - 1)
        if len(x) == len(cols) and x[0].isdigit():
            got[int(x[0])] = dict(zip(cols, x))
    eq(list(got), [p for p in pids if not kthread[p]], "htop pids, in order")
    for p, x in got.items():
        eq([x["PPID"], x["S"], x["MINFLT"], x["MAJFLT"], x["VIRT"], x["RES"], x["SWAP"],
            x["NLWP"], x["Command"].strip()],
           [str(v) for v in (ppid[p], state[p], minflt[p], majflt[p], vsz[p], rss[p], swap[p],
                             1, cmdline[p] or comm[p])], "htop row of %d" % p)
    if not majflt[S] or swap[S] < 16:
        errors.append("S has no major fault or swap to show")

# bpytop: a row per CPU in its cpu box (C1, C2...), the swap box's total
# and used, a row per process: pid, program, memory (rss, K or B).
scr = out("bpytop")
eq(re.findall(r"│C(\d+) ", scr), [str(c + 1) for c in range(CPUS)], "bpytop CPUs")
m = re.search(r"swap─+(\d+)─KiB", scr)
eq(m.group(1) if m else None, str(mi["SwapTotal"]), "bpytop swap total")
m = re.search(r"Used: +\d+% [■ ]+([\d.]+) KiB", scr)
eq(float(m.group(1)) if m else None, float(mi["SwapTotal"] - mi["SwapFree"]), "bpytop swap used")
got = {}
for pid, prog, mem, unit in re.findall(r"│ +(\d+) (\S+) .*? root +(\d+)([KB]) ", scr):
    got[int(pid)] = (prog, int(mem) if unit == "K" else int(mem) // 1024)
eq(got, {p: (comm[p], rss[p]) for p in pids}, "bpytop processes")

for e in errors:
    print("tools_tui:", e, file=sys.stderr)
sys.exit(1 if errors else 0)
PYEOF
check_machine
