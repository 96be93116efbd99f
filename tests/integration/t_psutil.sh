#!/usr/bin/env bash
# psutil 5.9.4 with PROCFS_PATH = the mount (procfs-formats.md §7): a
# scenario of processes built through ctl, then every psutil call a
# monitoring tool makes, compared with hand-computed figures and with the
# files read directly.  Host leakage (pid_exists() and Process() without a
# pid use the host; PAGESIZE, CLOCK_TICKS and HAS_PROC_SMAPS_ROLLUP come
# from the host) is avoided: only calls that read PROCFS_PATH are checked.
. "$(dirname "$0")/lib.sh"

PY=/usr/bin/python3	# Debian's python, where python3-psutil lives
"$PY" -c 'import psutil' 2>/dev/null ||
	skip "python3-psutil is not installed"

mount_mmufs --mem 64M

# pid 1 writes 16K, then forks A, B and C: the 4 pages are shared by every
# live process of the family (mapcount 4 once B has exited).
p=$(ctl 1 "mmap 0 16K rw- private")
assert_eq "$(faults 1 "touch $p 16K w")" 4 "pid 1 faults"
A=$(ctl 1 fork)
B=$(ctl 1 fork)
C=$(ctl 1 fork)
# D, A's child, is created a second of machine time later (a system call
# that costs 1 s): create_time must show it.
echo 1000000000 >"$MNT/sys/vm/mmufs_cost_syscall_ns"
ctl "$A" brk >/dev/null
echo 100 >"$MNT/sys/vm/mmufs_cost_syscall_ns"
D=$(ctl "$A" fork)
# A's own memory, placed top-down below p in this order so that no two
# neighbours can merge: a PROT_NONE 16K region, a read-only 12K region
# read (zero page: not resident), shared anon 8K (written), anon 64K (32K
# written); then a 12K heap (4K written) and a thread.
n=$(ctl "$A" "mmap 0 16K none private")
z=$(ctl "$A" "mmap 0 12K r-- private")
assert_eq "$(faults "$A" "touch $z 12K r")" 3 "A: zero-page faults"
s=$(ctl "$A" "mmap 0 8K rw- shared")
assert_eq "$(faults "$A" "touch $s 8K w")" 2 "A: shared faults"
a=$(ctl "$A" "mmap 0 64K rw- private")
assert_eq "$(faults "$A" "touch $a 32K w")" 8 "A: anon faults"
h=$(ctl "$A" brk)
ctl "$A" "brk $((h + 0x3000))" >/dev/null
assert_eq "$(faults "$A" "touch $h 4K w")" 1 "A: heap fault"
T=$(ctl "$A" thread)
# B exits (a zombie with status 3), C is stopped, A runs last.
ctl "$B" "exit 3" >/dev/null
ctl "$C" "kill STOP" >/dev/null
ctl machine "schedule $A" >/dev/null

numeric_dirs=$(ls "$MNT" | grep -E '^[0-9]+$' | sort -n | tr '\n' ' ')
assert_eq "$numeric_dirs" "1 2 3 $A $B $C $D " "numeric directories"

export MNT A B C D T a s z n h p
"$PY" - <<'EOF' || fail "psutil checks"
import os, sys, time, warnings
import psutil

MNT = os.environ["MNT"]
psutil.PROCFS_PATH = MNT
E = {k: int(os.environ[k], 0) for k in "A B C D T a s z n h p".split()}
A, B, C, D, T = (E[k] for k in "ABCDT")
errors = []

def check(cond, what):
    if not cond:
        errors.append(what)

def eq(got, want, what):
    if got != want:
        errors.append("%s: got %r, expected %r" % (what, got, want))

def read(path):
    with open(os.path.join(MNT, path)) as f:
        return f.read()

def kv(path):
    """'Key: value [kB]' lines -> {key: int}."""
    out = {}
    for line in read(path).splitlines():
        k, v = line.split(":", 1)
        v = v.split()
        if v and v[0].isdigit():
            out[k] = int(v[0])
    return out

def smaps(pid):
    """[(header fields, {key: kB})] in file order, parsed independently."""
    vmas = []
    for line in read("%d/smaps" % pid).splitlines():
        tok = line.split(None, 5)
        if not tok[0].endswith(":"):
            vmas.append((tok, {}))
        elif tok[0] != "VmFlags:":
            vmas[-1][1][tok[0][:-1]] = int(tok[1])
    return vmas

def psutil_path(tok):
    if len(tok) < 6:
        return "[anon]"
    path = tok[5].strip()
    if path.endswith(" (deleted)") and not os.path.exists(path):
        path = path[:-10]
    return path

meminfo = kv("meminfo")
vmstat = {l.split()[0]: int(l.split()[1]) for l in read("vmstat").splitlines()}
stat_lines = {l.split()[0]: l.split()[1:] for l in read("stat").splitlines()}
btime = int(stat_lines["btime"][0])
machine = read("machine")

# pids(): the numeric directories, threads excluded.
pids = psutil.pids()
eq(pids, sorted(int(d) for d in os.listdir(MNT) if d.isdigit()), "pids() vs listdir")
eq(pids, [1, 2, 3, A, B, C, D], "pids()")
check(T not in pids, "the thread %d is listed by pids()" % T)

# boot_time(): the btime line.
eq(psutil.boot_time(), float(btime), "boot_time()")

procs = {pid: psutil.Process(pid) for pid in pids}
want_name = {1: "init", 2: "kthreadd", 3: "kswapd0", A: "init", B: "init",
             C: "init", D: "init"}
want_ppid = {1: 0, 2: 0, 3: 2, A: 1, B: 1, C: 1, D: A}
want_status = {1: psutil.STATUS_SLEEPING, 2: psutil.STATUS_SLEEPING,
               3: psutil.STATUS_SLEEPING,
               A: psutil.STATUS_RUNNING, B: psutil.STATUS_ZOMBIE,
               C: psutil.STATUS_STOPPED, D: psutil.STATUS_SLEEPING}
for pid, pr in procs.items():
    st = read("%d/stat" % pid)
    fields = st[st.rindex(")") + 2:].split()
    eq(pr.name(), want_name[pid], "name() of %d" % pid)
    eq(pr.name(), read("%d/comm" % pid).rstrip("\n"), "name() vs comm of %d" % pid)
    eq(pr.ppid(), want_ppid[pid], "ppid() of %d" % pid)
    eq(pr.ppid(), int(fields[1]), "ppid() vs stat of %d" % pid)
    eq(pr.status(), want_status[pid], "status() of %d" % pid)
    # create_time = btime + starttime / USER_HZ (field 22).
    eq(pr.create_time(), btime + int(fields[19]) / 100.0, "create_time() of %d" % pid)
    check(pr.create_time() >= psutil.boot_time(), "create_time() of %d before boot" % pid)
    # No exec yet: every cmdline is empty, as the file says.
    eq(read("%d/cmdline" % pid), "", "cmdline file of %d" % pid)
    eq(pr.cmdline(), [], "cmdline() of %d" % pid)
    eq(pr.num_threads(), 2 if pid == A else 1, "num_threads() of %d" % pid)
    eq(pr.uids(), (0, 0, 0), "uids() of %d" % pid)

ct = {pid: procs[pid].create_time() for pid in pids}
for child in (A, B, C):
    check(ct[child] >= ct[1], "create_time of %d before its parent's" % child)
check(ct[D] - ct[A] >= 1.0, "D created %.2f s after A, expected >= 1 s" % (ct[D] - ct[A]))
check(ct[D] <= time.time() + 1, "D's create_time is in the future")

# children(): zombies included; recursive follows D under A.
kids = lambda pid, rec=False: sorted(c.pid for c in procs[pid].children(recursive=rec))
eq(kids(1), [A, B, C], "children() of 1")
eq(kids(1, True), [A, B, C, D], "children(recursive) of 1")
eq(kids(A), [D], "children() of A")
eq(kids(2), [3], "children() of kthreadd: kswapd0")
eq(kids(D), [], "children() of D")
eq(sorted(t.id for t in procs[A].threads()), [A, T], "threads() of A")

# memory_info(): statm x PAGESIZE, equal to status' VmRSS and VmSize.
want_rss_kb = {1: 16, A: 16 + 32 + 8 + 4, C: 16, D: 16}
want_vms_kb = {1: 132 + 16, A: 132 + 16 + 64 + 8 + 12 + 16 + 12, C: 148, D: 148}
for pid in (1, A, C, D):
    mi = procs[pid].memory_info()
    status = kv("%d/status" % pid)
    eq(mi.rss, status["VmRSS"] * 1024, "memory_info().rss vs VmRSS of %d" % pid)
    eq(mi.vms, status["VmSize"] * 1024, "memory_info().vms vs VmSize of %d" % pid)
    eq(mi.rss, want_rss_kb[pid] * 1024, "memory_info().rss of %d" % pid)
    eq(mi.vms, want_vms_kb[pid] * 1024, "memory_info().vms of %d" % pid)
    eq(mi.shared, (status["RssFile"] + status["RssShmem"]) * 1024,
       "memory_info().shared of %d" % pid)
    eq(mi.text, status["VmExe"] * 1024, "memory_info().text of %d" % pid)
    eq(mi.data, (status["VmData"] + status["VmStk"]) * 1024, "memory_info().data of %d" % pid)
    eq((mi.lib, mi.dirty), (0, 0), "memory_info() lib/dirty of %d" % pid)
eq(procs[A].memory_info().shared, 8 * 1024, "memory_info().shared of A (shmem)")
# VmData: private writable mappings that are not the stack: p, a, heap.
eq(kv("%d/status" % A)["VmData"], 16 + 64 + 12, "VmData of A")
for pid in (2, B):
    eq(tuple(procs[pid].memory_info()), (0,) * 7, "memory_info() of %d (no mm)" % pid)

# memory_full_info(): uss = private pages, pss = shares, swap 0.  Every
# Pss here is a whole number of kB (mapcounts 1, 2 or 4), so the rollup's
# Pss (summed before truncation) equals the sum of smaps' Pss lines.
want_full = {1: (0, 4), C: (0, 4), D: (0, 4), A: (32 + 8 + 4, 4 + 32 + 8 + 4)}
for pid, (uss, pss) in want_full.items():
    fi = procs[pid].memory_full_info()
    eq((fi.uss, fi.pss, fi.swap), (uss * 1024, pss * 1024, 0),
       "memory_full_info() uss/pss/swap of %d" % pid)
    vmas = smaps(pid)
    eq(fi.uss, sum(v.get(k, 0) for _, v in vmas for k in v if k.startswith("Private_")) * 1024,
       "uss vs smaps of %d" % pid)
    eq(fi.pss, sum(v["Pss"] for _, v in vmas) * 1024, "pss vs smaps of %d" % pid)
    eq(fi.rss, procs[pid].memory_info().rss, "memory_full_info().rss of %d" % pid)
for pid in (2, B):
    try:
        procs[pid].memory_full_info()
        errors.append("memory_full_info() of %d (no mm) did not raise" % pid)
    except psutil.NoSuchProcess:
        pass	# smaps_rollup: ESRCH (ZombieProcess if the host has this pid)

# memory_maps(grouped=False): one entry per smaps vma, in maps order.
fields = ["Rss", "Size", "Pss", "Shared_Clean", "Shared_Dirty",
          "Private_Clean", "Private_Dirty", "Referenced", "Anonymous", "Swap"]
for pid in (1, A, C, D):
    maps = [l.split(None, 5) for l in read("%d/maps" % pid).splitlines()]
    vmas = smaps(pid)
    eq([t[:5] for t, _ in vmas], [t[:5] for t in maps], "smaps headers vs maps of %d" % pid)
    got = procs[pid].memory_maps(grouped=False)
    want = [(t[0], t[1], psutil_path(t)) + tuple(v[f] * 1024 for f in fields)
            for t, v in vmas]
    eq([tuple(m) for m in got], want, "memory_maps(grouped=False) of %d" % pid)
    eq([(m.addr, m.perms, m.path) for m in got],
       [(t[0], t[1], psutil_path(t)) for t in maps], "memory_maps addresses vs maps of %d" % pid)
    groups = {}
    for w in want:
        g = groups.setdefault(w[2], [0] * len(fields))
        for i, x in enumerate(w[3:]):
            g[i] += x
    got = {m.path: list(m[1:]) for m in procs[pid].memory_maps(grouped=True)}
    eq(got, groups, "memory_maps(grouped=True) of %d" % pid)

# A's maps, by hand (KiB): path, size, rss, pss, private_dirty, shared_dirty, anonymous.
by_addr = {int(m.addr.split("-")[0], 16): m for m in procs[A].memory_maps(grouped=False)}
K = 1024
want_a = {
    E["a"]: ("rw-p", "[anon]", 64, 32, 32, 32, 0, 32),
    E["s"]: ("rw-s", "/dev/zero", 8, 8, 8, 8, 0, 0),
    E["z"]: ("r--p", "[anon]", 12, 0, 0, 0, 0, 0),
    E["n"]: ("---p", "[anon]", 16, 0, 0, 0, 0, 0),
    E["h"]: ("rw-p", "[heap]", 12, 4, 4, 4, 0, 4),
    E["p"]: ("rw-p", "[anon]", 16, 16, 4, 0, 16, 16),
}
for addr, w in want_a.items():
    m = by_addr.get(addr)
    if m is None:
        errors.append("A: no memory_maps entry at %#x" % addr)
        continue
    eq((m.perms, m.path, m.size // K, m.rss // K, m.pss // K, m.private_dirty // K,
        m.shared_dirty // K, m.anonymous // K), w, "A: memory_maps entry at %#x" % addr)
stack = [m for m in by_addr.values() if m.path == "[stack]"]
eq([(m.addr, m.size) for m in stack], [("7ffffffde000-7ffffffff000", 132 * K)], "A: [stack]")
grouped = {m.path: m for m in procs[A].memory_maps()}
# ([vsyscall], the x86_64 gate vma, may or may not be shown.)
eq(sorted(set(grouped) - {"[vsyscall]"}), ["/dev/zero", "[anon]", "[heap]", "[stack]"], "A: grouped paths")
eq((grouped["[anon]"].size, grouped["[anon]"].rss), ((64 + 12 + 16 + 16) * K, (32 + 16) * K),
   "A: grouped [anon] size/rss")
for pid in (2, B):
    eq(procs[pid].memory_maps(), [], "memory_maps() of %d (empty smaps)" % pid)

# virtual_memory(): meminfo, all in bytes.
vm = psutil.virtual_memory()
eq(vm.total, meminfo["MemTotal"] * K, "virtual_memory().total")
eq(vm.free, meminfo["MemFree"] * K, "virtual_memory().free")
eq(vm.available, meminfo["MemAvailable"] * K, "virtual_memory().available")
eq(vm.buffers, meminfo["Buffers"] * K, "virtual_memory().buffers")
eq(vm.cached, (meminfo["Cached"] + meminfo["SReclaimable"]) * K, "virtual_memory().cached")
eq(vm.shared, meminfo["Shmem"] * K, "virtual_memory().shared")
eq(vm.shared, 8 * K, "virtual_memory().shared = A's shmem")
eq(vm.active, meminfo["Active"] * K, "virtual_memory().active")
eq(vm.inactive, meminfo["Inactive"] * K, "virtual_memory().inactive")
eq(vm.slab, meminfo["Slab"] * K, "virtual_memory().slab")
eq(vm.used, vm.total - vm.free - vm.cached - vm.buffers, "virtual_memory().used")
eq(vm.percent, round((vm.total - vm.available) / vm.total * 100, 1), "virtual_memory().percent")
check(vm.free <= vm.total and vm.available <= vm.total, "free/available above total")
eq(meminfo["MemFree"], vmstat["nr_free_pages"] * 4, "MemFree vs nr_free_pages")
managed = sum(int(l.split("managed")[1]) for l in machine.splitlines() if l.startswith("zone:"))
eq(vm.total, managed * 4096, "virtual_memory().total vs managed pages of machine")
eq(meminfo["Active"], meminfo["Active(anon)"] + meminfo["Active(file)"], "Active")
eq(meminfo["Inactive"], meminfo["Inactive(anon)"] + meminfo["Inactive(file)"], "Inactive")

# swap_memory(): no swap device, zeros, no warning (vmstat has pswpin/out),
# and no host fallback (SwapTotal and SwapFree present).
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    sm = psutil.swap_memory()
eq([str(x.message) for x in w], [], "swap_memory() warnings")
eq(tuple(sm), (0, 0, 0, 0.0, 0, 0), "swap_memory()")
eq((meminfo["SwapTotal"], meminfo["SwapFree"]), (0, 0), "meminfo swap")

# Unknown pid.
try:
    psutil.Process(31999)
    errors.append("Process(31999) did not raise")
except psutil.NoSuchProcess:
    pass

for e in errors:
    print("psutil:", e, file=sys.stderr)
sys.exit(1 if errors else 0)
EOF

# Reaping B removes it for psutil too; exit status 3 is 3 << 8.
assert_eq "$(ctl 1 "wait $B")" "$B 768" "wait B"
"$PY" - "$B" <<'EOF' || fail "psutil after the reap"
import os, sys, psutil
psutil.PROCFS_PATH = os.environ["MNT"]
b = int(sys.argv[1])
assert b not in psutil.pids(), "reaped pid still in pids()"
try:
    psutil.Process(b)
    sys.exit("Process(reaped pid) did not raise")
except psutil.NoSuchProcess:
    pass
EOF
check_machine
