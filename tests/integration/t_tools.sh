#!/usr/bin/env bash
# The standard process tools, unmodified, with the mount bound over /proc
# in a private mount namespace: ps (-e, aux, -eLf, -eo with fault and
# memory columns), top -b, prtstat, pwdx, pidstat -r -d -v, vmstat -p,
# sar -B, -r and -W, and psutil's as_dict() of every pid exit 0, print
# nothing on stderr,
# find themselves through self (README, "The caller is a host process")
# without showing themselves, and every value they print agrees with the
# simulation's own stat, status, io, numa_maps and vmstat files.
. "$(dirname "$0")/lib.sh"

PY=/usr/bin/python3	# Debian's python, where python3-psutil lives
for tool in ps top prtstat pwdx pidstat sar unshare; do
	command -v "$tool" >/dev/null || skip "$tool missing (procps, psmisc, sysstat)"
done
"$PY" -c 'import psutil' 2>/dev/null || skip "python3-psutil is not installed"
unshare -m --propagation private true 2>/dev/null ||
	skip "cannot create a mount namespace"

mount_mmufs --mem 64M
swapon_area=$(ctl machine "swapon 1M")

# pid 1 writes 16K and forks A; A maps 64K (32K written), reads a host
# file through a private mapping (readahead: read_bytes), makes a thread
# T and forks B and C.  Half of A's written memory is paged out and one
# page read back (a swap-in: read_bytes too, and a major fault).  B exits
# with status 3 (a zombie), C is stopped, A runs.
p=$(ctl 1 "mmap 0 16K rw- private")
ctl 1 "touch $p 16K w" >/dev/null
A=$(ctl 1 fork)
a=$(ctl "$A" "mmap 0 64K rw- private")
ctl "$A" "touch $a 32K w" >/dev/null
f=$(ctl "$A" "mmap 0 64K r-- private $MMUFS")
ctl "$A" "touch $f 64K r" >/dev/null
ctl "$A" "madvise $a 16K pageout" >/dev/null
ctl "$A" "touch $a 4K r" >/dev/null
T=$(ctl "$A" thread)
B=$(ctl "$A" fork)
C=$(ctl "$A" fork)
ctl "$B" "exit 3" >/dev/null
ctl "$C" "kill STOP" >/dev/null
ctl machine "schedule $A" >/dev/null

OUT=$(mktemp -d /tmp/mmufs-tools.XXXXXX)
trap 's=$?; set +e; rm -rf "$OUT"; (exit $s); cleanup' EXIT

# run NAME CMD... inside the namespace: NAME.out, NAME.err, NAME.rc.
unshare -m --propagation private sh -c '
	mnt=$1 out=$2 py=$3 A=$4
	mount --bind "$mnt" /proc || exit 99
	run() { n=$1; shift; "$@" >"$out/$n.out" 2>"$out/$n.err"; echo $? >"$out/$n.rc"; }
	run self readlink /proc/self
	run pse ps -e
	run psaux ps aux
	run pseLf ps -eLf
	run pseo ps -eo pid,ppid,comm,min_flt,maj_flt,rss,vsz,stat
	run top top -b -n 1
	run prtstat prtstat "$A"
	run pwdx pwdx 1 "$A"
	run pidstat pidstat -r -d -v -p ALL 1 1
	run vmstatd vmstat -p swap0
	run sarB sar -B 1 1
	run sarr sar -r 1 1
	run sarW sar -W 1 1
	run psutil "$py" -c "
import json, psutil
out = {}
for pid in psutil.pids():
    d = psutil.Process(pid).as_dict()
    out[pid] = {k: (list(v) if isinstance(v, tuple) else v) for k, v in d.items()
                if k in (\"pid\", \"ppid\", \"name\", \"status\", \"memory_info\", \"io_counters\",
                         \"num_fds\", \"open_files\", \"cwd\", \"num_threads\", \"exe\")}
out[\"iter\"] = sorted(p.pid for p in psutil.process_iter(attrs=[]))
out[\"partitions\"] = [p.mountpoint for p in psutil.disk_partitions()]
print(json.dumps(out))
"
' sh "$MNT" "$OUT" "$PY" "$A" || fail "unshare/mount --bind failed"

export MNT OUT A B C T
PYTHONPATH=$(dirname "$0") "$PY" - <<'PYEOF' || fail "tool checks"
import json, os, re, sys
from toolrun import MNT, OUT, errors, eq, read, out, ran_cleanly

A, B, C, T = (int(os.environ[k]) for k in "ABCT")
ran_cleanly(("self", "pse", "psaux", "pseLf", "pseo", "top", "prtstat", "pwdx",
             "pidstat", "vmstatd", "sarB", "sarr", "sarW", "psutil"))

pids = sorted(int(d) for d in os.listdir(MNT) if d.isdigit())
eq(pids, [1, 2, 3, A, B, C], "the processes")
# self names the reader, a host process (readlink's), which no tool lists.
me = int(out("self").strip() or 0)
if me in pids:
    errors.append("self (%d) names a simulated pid" % me)

def stat(pid):
    st = read("%s/%d/stat" % (MNT, pid))
    rp = st.rindex(")")
    return [st[:st.index(" ")], st[st.index("(") + 1:rp]] + st[rp + 2:].split()

def status(pid):
    d = {}
    for line in read("%s/%d/status" % (MNT, pid)).splitlines():
        k, v = line.split(":", 1)
        d[k] = v.strip()
    return d

S = {pid: stat(pid) for pid in pids}
# stat: 0 pid, 1 comm, 2 state, 3 ppid, 9 minflt, 11 majflt, 22 vsize, 23 rss
comm = {pid: S[pid][1] for pid in pids}
ppid = {pid: int(S[pid][3]) for pid in pids}
state = {pid: S[pid][2] for pid in pids}
minflt = {pid: int(S[pid][9]) for pid in pids}
majflt = {pid: int(S[pid][11]) for pid in pids}
vsz = {pid: int(S[pid][22]) // 1024 for pid in pids}
rss = {pid: int(S[pid][23]) * 4 for pid in pids}
eq(state[B], "Z", "B is a zombie")
eq(state[C], "T", "C is stopped")
eq(state[A], "R", "A runs")
if majflt[A] < 1:
    errors.append("A's swap-in is no major fault: %r" % majflt[A])
for pid in pids:
    st = status(pid)
    eq(st["Name"], comm[pid], "status Name vs stat comm of %d" % pid)
    eq(st["State"][0], state[pid], "status State vs stat of %d" % pid)
    if "VmRSS" in st:
        eq(int(st["VmRSS"].split()[0]), rss[pid], "VmRSS vs stat rss of %d" % pid)
        eq(int(st["VmSize"].split()[0]), vsz[pid], "VmSize vs stat vsize of %d" % pid)

def rows(name, first):
    lines = out(name).splitlines()
    eq(lines[0].split()[:len(first)], first, name + " header")
    return [l.split() for l in lines[1:] if l.strip()]

# ps -e: PID TTY TIME CMD, every process once, the tool not among them.
r = rows("pse", ["PID", "TTY", "TIME", "CMD"])
eq([int(x[0]) for x in r], pids, "ps -e pids")
for x in r:
    pid = int(x[0])
    eq(x[3], comm[pid], "ps -e CMD of %d" % pid)

# ps -eo pid,ppid,comm,min_flt,maj_flt,rss,vsz,stat
r = rows("pseo", ["PID", "PPID", "COMMAND", "MINFL", "MAJFL", "RSS", "VSZ", "STAT"])
eq([int(x[0]) for x in r], pids, "ps -eo pids")
for x in r:
    pid = int(x[0])
    if pid == B:	# ps prints a zombie's command as "init <defunct>"
        x = x[:3] + x[4:] if x[3] == "<defunct>" else x
    eq([int(x[1]), x[2], int(x[3]), int(x[4]), int(x[5]), int(x[6]), x[7][0]],
       [ppid[pid], comm[pid], minflt[pid], majflt[pid], rss[pid], vsz[pid], state[pid]],
       "ps -eo row of %d" % pid)

# ps aux: USER PID %CPU %MEM VSZ RSS TTY STAT START TIME COMMAND
r = rows("psaux", ["USER", "PID", "%CPU", "%MEM", "VSZ", "RSS", "TTY", "STAT"])
eq([int(x[1]) for x in r], pids, "ps aux pids")
for x in r:
    pid = int(x[1])
    eq([int(x[4]), int(x[5]), x[7][0]], [vsz[pid], rss[pid], state[pid]], "ps aux row of %d" % pid)

# ps -eLf: a row per thread; A has two, T among them.
r = rows("pseLf", ["UID", "PID", "PPID", "LWP", "C", "NLWP"])
lwps = sorted((int(x[1]), int(x[3])) for x in r)
want = sorted([(pid, pid) for pid in pids if pid != A] + [(A, A), (A, T)])
eq(lwps, want, "ps -eLf threads")
for x in r:
    pid = int(x[1])
    eq((int(x[2]), int(x[5])), (ppid[pid], 2 if pid == A else 1), "ps -eLf PPID NLWP of %d" % pid)

# top -b -n 1: the task summary and a row per process.
lines = out("top").splitlines()
m = re.match(r"Tasks: +(\d+) total, +(\d+) running, +(\d+) sleeping, +(\d+) stopped, +(\d+) zombie",
             next((l for l in lines if l.startswith("Tasks:")), ""))
eq([int(g) for g in m.groups()] if m else None,
   [len(pids), 1, len(pids) - 3, 1, 1], "top Tasks line")
i = next(n for n, l in enumerate(lines) if l.split()[:2] == ["PID", "USER"])
cols = lines[i].split()
got = {}
for l in lines[i + 1:]:
    x = l.split()
    if x:
        got[int(x[0])] = dict(zip(cols, x))
eq(sorted(got), pids, "top pids")
for pid, x in got.items():
    eq([int(x["VIRT"]), int(x["RES"]), x["S"], x["COMMAND"]],
       [vsz[pid], rss[pid], state[pid], comm[pid]], "top row of %d" % pid)

# prtstat A
t = out("prtstat")
m = re.search(r"Process ID: (\d+)\s+Parent ID: (\d+)", t)
eq(m.groups() if m else None, (str(A), "1"), "prtstat ids")
m = re.search(r"This Process +\(minor major\): +(\d+) +(\d+)", t)
eq(m.groups() if m else None, (str(minflt[A]), str(majflt[A])), "prtstat faults")
m = re.search(r"Process: (\S+) +\s*State: (\S)", t)
eq(m.groups() if m else None, (comm[A], state[A]), "prtstat name and state")

# pwdx: every simulated process works in /.
eq(out("pwdx"), "1: /\n%d: /\n" % A, "pwdx")

# pidstat -r -d -v -p ALL 1 1: the Average sections.
sections = {}
for l in out("pidstat").splitlines():
    x = l.split()
    if not x or x[0] != "Average:":
        continue
    if x[1] == "UID":
        cur = sections.setdefault(x[3], {"cols": x[1:], "rows": {}})
    else:
        cur["rows"][int(x[2])] = dict(zip(cur["cols"], x[1:]))
for key in ("minflt/s", "kB_rd/s", "threads"):
    if key not in sections:
        errors.append("pidstat: no %s section" % key)
        continue
    eq(sorted(sections[key]["rows"]), pids, "pidstat %s pids" % key)
for pid, x in sections.get("minflt/s", {"rows": {}})["rows"].items():
    eq([int(x["VSZ"]), int(x["RSS"])], [vsz[pid], rss[pid]], "pidstat -r of %d" % pid)
for pid, x in sections.get("threads", {"rows": {}})["rows"].items():
    eq([int(x["threads"]), int(x["fd-nr"])], [2 if pid == A else 1, 0], "pidstat -v of %d" % pid)

# psutil as_dict() of every pid.
ps = json.loads(out("psutil"))
eq(ps.pop("iter"), pids, "psutil process_iter")
# disk_partitions: the caller's own mounts (self/mounts, the host's) of
# the filesystem types the machine has with a device: none.
eq(ps.pop("partitions"), [], "psutil disk_partitions")
eq(sorted(int(k) for k in ps), pids, "psutil pids")
names = {"R": "running", "S": "sleeping", "T": "stopped", "Z": "zombie"}
for k, d in ps.items():
    pid = int(k)
    io = {l.split(":")[0]: int(l.split()[1]) for l in read("%s/%d/io" % (MNT, pid)).splitlines()}
    eq([d["pid"], d["ppid"], d["name"], d["status"]],
       [pid, ppid[pid], comm[pid], names[state[pid]]], "psutil ids of %d" % pid)
    if pid == B:
        continue
    eq(d["memory_info"][:2], [rss[pid] * 1024, vsz[pid] * 1024], "psutil memory_info of %d" % pid)
    eq(d["io_counters"], [io["syscr"], io["syscw"], io["read_bytes"], io["write_bytes"],
                          io["rchar"], io["wchar"]], "psutil io_counters of %d" % pid)
    eq([d["num_fds"], d["open_files"], d["cwd"], d["num_threads"]],
       [0, [], "/", 2 if pid == A else 1], "psutil fds, cwd, threads of %d" % pid)
    # No process here was built by exec: no exe, as psutil says with "".
    eq(os.path.lexists("%s/%d/exe" % (MNT, pid)), True, "exe entry of %d" % pid)
    eq(os.path.exists("%s/%d/exe" % (MNT, pid)), False, "exe target of %d" % pid)
    eq(d["exe"], "", "psutil exe of %d" % pid)
# numa_maps: a line per vma (maps' lines but the gate area), and the
# pages on the nodes add up to the resident set.
for pid in pids:
    maps = [l.split()[0].split("-")[0] for l in read("%s/%d/maps" % (MNT, pid)).splitlines()
            if not l.endswith("[vsyscall]")]
    numa = read("%s/%d/numa_maps" % (MNT, pid)).splitlines()
    eq([l.split()[0] for l in numa], maps, "numa_maps starts of %d" % pid)
    pages = sum(int(w.split("=")[1]) for l in numa for w in l.split() if re.match(r"N\d+=", w))
    eq(pages * 4, rss[pid], "numa_maps pages vs rss of %d" % pid)
# vmstat -p swap0: the swap area's disk (vmstat -d would skip it: procps
# asks the host's /sys/block whether a name is a disk), its page reads
# and writes, 8 sectors each, as vmstat counts swap-ins and swap-outs.
vm = {l.split()[0]: int(l.split()[1]) for l in read(MNT + "/vmstat").splitlines()}
lines = out("vmstatd").splitlines()
eq(lines[0].split(), ["swap0", "reads", "read", "sectors", "writes", "requested", "writes"],
   "vmstat -p swap0 header")
eq([int(x) for x in lines[1].split()] if len(lines) > 1 else None,
   [vm["pswpin"], vm["pswpin"] * 8, vm["pswpout"], vm["pswpout"] * 8], "vmstat -p swap0")
# sar: the machine is still, so -r's memory equals meminfo's and -B's and
# -W's rates are 0.
def sar_avg(name):
    lines = [l.split() for l in out(name).splitlines() if l.split()]
    head = next(l for l in lines if len(l) > 2 and not l[0].startswith("Linux")
                and not l[1].replace(".", "").isdigit())
    avg = next(l for l in lines if l[0] == "Average:")
    return dict(zip(head[1:], avg[1:]))
mi = {l.split(":")[0]: int(l.split()[1]) for l in read(MNT + "/meminfo").splitlines()}
r = sar_avg("sarr")
eq([int(r.get(k, -1)) for k in ("kbmemfree", "kbavail", "kbcommit", "kbactive", "kbinact", "kbdirty")],
   [mi["MemFree"], mi["MemAvailable"], mi["Committed_AS"], mi["Active"], mi["Inactive"], mi["Dirty"]],
   "sar -r vs meminfo")
for name, cols in (("sarB", ("pgpgin/s", "pgpgout/s", "fault/s", "majflt/s")),
                   ("sarW", ("pswpin/s", "pswpout/s"))):
    x = sar_avg(name)
    eq([x.get(c) for c in cols], ["0.00"] * len(cols), name + " rates of a still machine")
io = {l.split(":")[0]: int(l.split()[1]) for l in read("%s/%d/io" % (MNT, A)).splitlines()}
# The formats every host agrees on: io's keys in order, schedstat's three
# numbers (this check runs outside the namespace: /proc is the host's).
keys = lambda text: [l.split(":")[0] for l in text.splitlines()]
eq(keys(read("%s/%d/io" % (MNT, A))), keys(read("/proc/self/io")), "io keys vs the host's")
eq(len(read("%s/%d/schedstat" % (MNT, A)).split()), len(read("/proc/self/schedstat").split()),
   "schedstat fields vs the host's")
if io["read_bytes"] < 64 * 1024 + 4096:
    errors.append("A's read_bytes %d below its file readahead and swap-in" % io["read_bytes"])

for e in errors:
    print("tools:", e, file=sys.stderr)
sys.exit(1 if errors else 0)
PYEOF
check_machine
