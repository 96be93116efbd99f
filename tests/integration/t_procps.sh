#!/usr/bin/env bash
# procps-ng 4.0.2 against the mount bound over /proc in a private mount
# namespace (procfs-formats.md §8): pmap (default, -x, -X, -XX), free,
# free -b, vmstat, vmstat -s, vmstat -m and slabtop -o exit 0, print
# nothing on stderr, and every figure they print agrees with the
# simulation read from the mount.
. "$(dirname "$0")/lib.sh"

for tool in pmap free vmstat slabtop unshare; do
	command -v "$tool" >/dev/null || skip "$tool missing"
done
unshare -m --propagation private true 2>/dev/null ||
	skip "cannot create a mount namespace"

mount_mmufs --mem 64M

# pid 1: 16K written, then fork P.
p=$(ctl 1 "mmap 0 16K rw- private")
ctl 1 "touch $p 16K w" >/dev/null
P=$(ctl 1 fork)
# P, placed top-down below p so that no neighbours merge: PROT_NONE 16K,
# read-only 12K read (zero page), shared anon 8K written, anon 64K with
# 40K written and its second 16K mlocked; a 20K heap with 8K written; the
# stack's top page written and the stack grown by one page.
n=$(ctl "$P" "mmap 0 16K none private")
z=$(ctl "$P" "mmap 0 12K r-- private")
ctl "$P" "touch $z 12K r" >/dev/null
s=$(ctl "$P" "mmap 0 8K rw- shared")
ctl "$P" "touch $s 8K w" >/dev/null
a=$(ctl "$P" "mmap 0 64K rw- private")
ctl "$P" "touch $a 40K w" >/dev/null
ctl "$P" "mlock $((a + 0x4000)) 16K" >/dev/null
h=$(ctl "$P" brk)
ctl "$P" "brk $((h + 0x5000))" >/dev/null
ctl "$P" "touch $h 8K w" >/dev/null
ctl "$P" "touch 0x7fffffffe000 4K w" >/dev/null
ctl "$P" "touch 0x7ffffffdd000 4K w" >/dev/null
# Q shares P's pages (Pss < Rss), and copies one of them.
Q=$(ctl "$P" fork)
ctl "$Q" "store $a 'q'" >/dev/null
# Q maps a host file and reads it: a filp, an inode, xarray nodes.
f=$(ctl "$Q" "mmap 0 256K r-- private $MMUFS")
ctl "$Q" "touch $f 256K r" >/dev/null

grep -q "^7ffffffdd000-7ffffffff000 rw-p 00000000 00:00 0  *\[stack\]$" "$MNT/$P/maps" ||
	fail "the stack did not grow: $(cat "$MNT/$P/maps")"
grep -q "^$(printf '%x' "$h")-$(printf '%x' $((h + 0x5000))) rw-p .*\[heap\]$" "$MNT/$P/maps" ||
	fail "no 20K [heap]"
# (The x86_64 gate vma [vsyscall] is left out of the counts: mmufs may or
# may not show it; pmap's totals then include its 4K, VmSize does not.)
assert_eq "$(grep -vc '\[vsyscall\]$' "$MNT/$P/maps")" 9 "P's vma count (p n z s a a+16K a+32K heap stack)"

OUT=$(mktemp -d /tmp/mmufs-procps.XXXXXX)
# lib.sh's cleanup reads the exit status from $?: keep it for it (and no
# set -e in the trap: a failing command there must not skip the unmount).
trap 's=$?; set +e; rm -rf "$OUT"; (exit $s); cleanup' EXIT
cp "$MNT/stat" "$OUT/stat.before"

# run NAME CMD... inside the namespace: NAME.out, NAME.err, NAME.rc.
unshare -m --propagation private sh -c '
	mnt=$1 out=$2 P=$3
	mount --bind "$mnt" /proc || exit 99
	run() { n=$1; shift; "$@" >"$out/$n.out" 2>"$out/$n.err"; echo $? >"$out/$n.rc"; }
	run pmap1 pmap 1
	run pmap2 pmap 2
	run pmapP pmap "$P"
	run pmapx pmap -x "$P"
	run pmapX pmap -X "$P"
	run pmapXX pmap -XX "$P"
	run pmapx1 pmap -x 1
	run pmapnone pmap 31999
	run free free
	run freeb free -b
	run vmstat vmstat
	run vmstats vmstat -s
	run vmstatm vmstat -m
	run slabtop slabtop -o
' sh "$MNT" "$OUT" "$P" || fail "unshare/mount --bind failed"
cp "$MNT/stat" "$OUT/stat.after"

MNT=$MNT OUT=$OUT P=$P a=$a PYTHONPATH=$(dirname "$0") /usr/bin/python3 - <<'EOF' || fail "procps checks"
import os, re, sys
from toolrun import MNT, OUT, errors, eq, read, out, ran_cleanly

P = int(os.environ["P"])

def kv(path):
    d = {}
    for line in read(path).splitlines():
        k, v = line.split(":", 1)
        v = v.split()
        if v and v[0].isdigit():
            d[k] = int(v[0])
    return d

def smaps(pid):
    """[(maps header fields, {key: value}, vmflags)] in file order."""
    vmas = []
    for line in read("%s/%d/smaps" % (MNT, pid)).splitlines():
        tok = line.split(None, 5)
        if not tok[0].endswith(":"):
            vmas.append([tok, {}, None])
        elif tok[0] == "VmFlags:":
            vmas[-1][2] = " ".join(line.split()[1:])
        else:
            vmas[-1][1][tok[0][:-1]] = int(tok[1])
    return vmas

def stat_fields(pid):
    st = read("%s/%d/stat" % (MNT, pid))
    return st[st.rindex(")") + 2:].split()

def mapping_label(tok, start_stack):
    """pmap's default/-x label: after the last '/', else [ stack ]/[ anon ]."""
    line = " ".join(tok)
    if "/" in line:
        return line[line.rindex("/") + 1:]
    start, end = (int(x, 16) for x in tok[0].split("-"))
    return "[ stack ]" if start <= start_stack <= end else "[ anon ]"

def gate_kb(maps):
    """the size of the gate vma, [vsyscall], if the maps show it"""
    return sum((int(t[0].split("-")[1], 16) - int(t[0].split("-")[0], 16)) // 1024
               for t in maps if len(t) > 5 and t[5] == "[vsyscall]")

def mode(perms):
    return perms[:3] + ("s" if perms[3] == "s" else "-") + "-"

def header(pid):
    cmd = read("%s/%d/cmdline" % (MNT, pid)).replace("\0", " ").strip()
    return "%d:   %s" % (pid, cmd or "[%s]" % read("%s/%d/comm" % (MNT, pid)).strip())

ran_cleanly(("pmap1", "pmap2", "pmapP", "pmapx", "pmapX", "pmapXX", "pmapx1",
             "free", "freeb", "vmstat", "vmstats", "vmstatm", "slabtop"))
eq(read(os.path.join(OUT, "pmapnone.rc")).strip(), "42", "pmap of a missing pid: exit status")
eq(out("pmapnone"), "", "pmap of a missing pid: output")

# pmap PID: one line per maps line, then the total of the sizes.
def check_pmap_default(name, pid):
    lines = out(name).splitlines()
    start_stack = int(stat_fields(pid)[25])
    maps = [l.split(None, 5) for l in read("%s/%d/maps" % (MNT, pid)).splitlines()]
    eq(lines[0], header(pid), name + " header")
    rows = []
    total = 0
    for tok in maps:
        start, end = (int(x, 16) for x in tok[0].split("-"))
        rows.append((start, (end - start) // 1024, mode(tok[1]), mapping_label(tok, start_stack)))
        total += (end - start) // 1024
    got = []
    for l in lines[1:-1]:
        m = re.match(r"^([0-9a-f]{16}) +(\d+)K (\S{5}) +(.*)$", l)
        if not m:
            errors.append("%s: bad line %r" % (name, l))
            continue
        got.append((int(m.group(1), 16), int(m.group(2)), m.group(3), m.group(4)))
    eq(got, rows, name + " rows")
    m = re.match(r"^ total +(\d+)K$", lines[-1])
    eq(int(m.group(1)) if m else lines[-1], total, name + " total")
    eq(total, kv("%s/%d/status" % (MNT, pid)).get("VmSize", 0) + gate_kb(maps), name + " total vs VmSize")

check_pmap_default("pmap1", 1)
check_pmap_default("pmap2", 2)
check_pmap_default("pmapP", P)
labels = [l.split(None, 3)[3] for l in out("pmapP").splitlines()[1:-1]]
eq(labels.count("[ stack ]"), 1, "pmap P: one [ stack ]")
eq(labels.count("zero (deleted)"), 1, "pmap P: the shared anon mapping")

# pmap -x PID: Kbytes = Size, RSS = Rss, Dirty = Shared_Dirty + Private_Dirty.
def check_pmap_x(name, pid):
    lines = out(name).splitlines()
    vmas = smaps(pid)
    start_stack = int(stat_fields(pid)[25])
    eq(lines[0], header(pid), name + " header")
    eq(lines[1].split(), ["Address", "Kbytes", "RSS", "Dirty", "Mode", "Mapping"], name + " columns")
    want = [(int(t[0].split("-")[0], 16), v["Size"], v["Rss"],
             v["Shared_Dirty"] + v["Private_Dirty"], mode(t[1]), mapping_label(t, start_stack))
            for t, v, _ in vmas]
    got = []
    for l in lines[2:-2]:
        m = re.match(r"^([0-9a-f]{16}) +(\d+) +(\d+) +(\d+) (\S{5}) +(.*)$", l)
        if not m:
            errors.append("%s: bad line %r" % (name, l))
            continue
        got.append((int(m.group(1), 16), int(m.group(2)), int(m.group(3)), int(m.group(4)),
                    m.group(5), m.group(6)))
    eq(got, want, name + " rows")
    eq(lines[-2].split(), ["-" * 16, "-" * 7, "-" * 7, "-" * 7], name + " rule")
    tot = lines[-1].split()
    sums = [sum(w[i] for w in want) for i in (1, 2, 3)]
    eq(tot, ["total", "kB"] + [str(x) for x in sums], name + " totals")
    status = kv("%s/%d/status" % (MNT, pid))
    eq(sums[1], status["VmRSS"], name + " total RSS vs VmRSS")
    eq(sums[0], status["VmSize"] + gate_kb([t for t, _, _ in vmas]), name + " total Kbytes vs VmSize")
    return sums

sums = check_pmap_x("pmapx", P)
check_pmap_x("pmapx1", 1)
# By hand: P's resident pages are p 16K, s 8K, a 40K, heap 8K, stack 8K.
eq(sums[1], 16 + 8 + 40 + 8 + 8, "pmap -x P: total RSS by hand")

# pmap -X / -XX: columns cut at the header's right edges (right-aligned),
# the mapping left-aligned after the last column.
HIDDEN_X = {"AnonHugePages", "KernelPageSize", "MMUPageSize", "Shared_Dirty",
            "Private_Dirty", "Shared_Clean", "Private_Clean"}
def check_pmap_X(name, pid, all_fields):
    lines = out(name).splitlines()
    vmas = smaps(pid)
    eq(lines[0], header(pid), name + " header")
    keys = [k for k in vmas[0][1] if all_fields or k not in HIDDEN_X]
    cols = ["Address", "Perm", "Offset", "Device", "Inode"] + keys
    if all_fields:
        cols.append("VmFlags")
    eq(lines[1].split(), cols + ["Mapping"], name + " columns")
    ends, pos = [], 0
    for c in cols:
        pos = lines[1].index(c, pos) + len(c)
        ends.append(pos)
    def cut(line):
        vals, prev = [], 0
        for e in ends:
            vals.append(line[prev:e].strip())
            prev = e
        return vals, line[prev:].strip()
    rows = lines[2:-2]
    eq(len(rows), len(vmas), name + " row count")
    for row, (tok, v, flags) in zip(rows, vmas):
        vals, mapping = cut(row)
        start = tok[0].split("-")[0].lstrip("0")
        want = [start, tok[1], tok[2], tok[3], tok[4]] + [str(v[k]) for k in keys]
        if all_fields:
            want.append(flags)
        eq(vals, want, "%s row %s" % (name, start))
        label = tok[5] if len(tok) > 5 else ""
        if "/" in label:
            label = label[label.rindex("/") + 1:]
        eq(mapping, label, "%s mapping of %s" % (name, start))
    # The rule and the totals cover the numeric columns only; "KB" follows.
    rule = lines[-2].split()
    eq((len(rule), set("".join(rule))), (len(keys), {"="}), name + " rule")
    eq(lines[-2].rstrip().rfind("="), ends[4 + len(keys)] - 1, name + " rule end")
    m = re.match(r"^ +([\d ]+) KB *$", lines[-1])
    eq(m.group(1).split() if m else lines[-1], [str(sum(v[k] for _, v, _ in vmas)) for k in keys],
       name + " totals")
    if m:
        eq(lines[-1].rindex(" KB"), ends[4 + len(keys)], name + " totals alignment")

check_pmap_X("pmapX", P, False)
check_pmap_X("pmapXX", P, True)
flags = {t[0].split("-")[0]: f for t, _, f in smaps(P)}
eq(flags.get("%x" % (int(os.environ["a"], 0) + 0x4000)), "rd wr mr mw me lo ac",
   "VmFlags of the mlocked vma")

# free / free -b: meminfo (procps 4.0.2: used = MemTotal - MemAvailable,
# buff/cache = Buffers + Cached + SReclaimable).
mi = kv(MNT + "/meminfo")
def check_free(name, unit):
    lines = out(name).splitlines()
    eq(lines[0].split(), ["total", "used", "free", "shared", "buff/cache", "available"], name + " header")
    eq(lines[1].split(), ["Mem:"] + [str(x * unit) for x in (
        mi["MemTotal"], mi["MemTotal"] - mi["MemAvailable"], mi["MemFree"], mi["Shmem"],
        mi["Buffers"] + mi["Cached"] + mi["SReclaimable"], mi["MemAvailable"])], name + " Mem:")
    eq(lines[2].split(), ["Swap:"] + [str(x * unit) for x in (
        mi["SwapTotal"], mi["SwapTotal"] - mi["SwapFree"], mi["SwapFree"])], name + " Swap:")
    eq(len(lines), 3, name + " lines")
check_free("free", 1)
check_free("freeb", 1024)
eq(mi["Shmem"], 8, "Shmem: P's shared anon pages")

# vmstat: the first (since-boot) line, with procps' formulas; the tick
# totals grow while it runs, so rates are bounded by the stat read before
# and after.
def stat_file(path):
    d = {}
    for l in read(path).splitlines():
        t = l.split()
        d[t[0]] = [int(x) for x in t[1:]]
    return d
before, after = stat_file(OUT + "/stat.before"), stat_file(OUT + "/stat.after")
def rate_bounds(value, hz=100):
    vals = []
    for st in (before, after):
        c = st["cpu"]
        div = c[0] + c[1] + c[2] + c[5] + c[6] + c[3] + c[4] + c[7]
        div = div or 1
        vals.append((value * hz + div // 2) // div)
    return min(vals), max(vals)
lines = out("vmstat").splitlines()
eq(len(lines), 3, "vmstat lines")
eq(lines[1].split(), "r b swpd free buff cache si so bi bo in cs us sy id wa st".split(), "vmstat columns")
v = [int(x) for x in lines[2].split()]
vm = {l.split()[0]: int(l.split()[1]) for l in read(MNT + "/vmstat").splitlines()}
eq(v[:6], [after["procs_running"][0], after["procs_blocked"][0], mi["SwapTotal"] - mi["SwapFree"],
           mi["MemFree"], mi["Buffers"], mi["Cached"] + mi["SReclaimable"]], "vmstat r b swpd free buff cache")
for i, (col, value) in enumerate([("si", vm["pswpin"] * 4), ("so", vm["pswpout"] * 4), ("bi", vm["pgpgin"]),
                                  ("bo", vm["pgpgout"]), ("in", after["intr"][0]), ("cs", after["ctxt"][0])]):
    lo, hi = rate_bounds(value)
    if not lo <= v[6 + i] <= hi:
        errors.append("vmstat %s: got %d, expected %d..%d" % (col, v[6 + i], lo, hi))
c = after["cpu"]
use, sy, idl, iow, sto = c[0] + c[1], c[2] + c[5] + c[6], c[3], c[4], c[7]
if use + sy + iow + sto == 0:
    eq(v[12:], [0, 0, 100, 0, 0], "vmstat us sy id wa st (only idle ticks)")
else:
    eq(sum(v[12:]) in range(98, 103), True, "vmstat cpu percentages add up")

# vmstat -s: labels and values.
want = {
    "K total memory": mi["MemTotal"], "K used memory": mi["MemTotal"] - mi["MemAvailable"],
    "K active memory": mi["Active"], "K inactive memory": mi["Inactive"],
    "K free memory": mi["MemFree"], "K buffer memory": mi["Buffers"],
    "K swap cache": mi["Cached"] + mi["SReclaimable"], "K total swap": mi["SwapTotal"],
    "K used swap": mi["SwapTotal"] - mi["SwapFree"], "K free swap": mi["SwapFree"],
    "non-nice user cpu ticks": c[0], "nice user cpu ticks": c[1], "system cpu ticks": c[2],
    "IO-wait cpu ticks": c[4], "IRQ cpu ticks": c[5], "softirq cpu ticks": c[6],
    "stolen cpu ticks": c[7], "non-nice guest cpu ticks": c[8], "nice guest cpu ticks": c[9],
    "K paged in": vm["pgpgin"], "K paged out": vm["pgpgout"],
    "pages swapped in": vm["pswpin"], "pages swapped out": vm["pswpout"],
    "interrupts": after["intr"][0], "CPU context switches": after["ctxt"][0],
    "boot time": after["btime"][0], "forks": after["processes"][0],
}
got = {}
for l in out("vmstats").splitlines():
    m = re.match(r"^ *(\d+) (.*)$", l)
    if m:
        got[m.group(2)] = int(m.group(1))
    else:
        errors.append("vmstat -s: bad line %r" % l)
idle = got.pop("idle cpu ticks", None)
if idle is None or not before["cpu"][3] <= idle <= after["cpu"][3]:
    errors.append("vmstat -s idle ticks %r not in %d..%d" % (idle, before["cpu"][3], after["cpu"][3]))
for k in sorted(set(got) | set(want)):
    eq(got.get(k), want.get(k), "vmstat -s '%s'" % k)
eq(after["btime"], before["btime"], "btime moved")
eq(after["processes"][0], 5, "forks since boot (init, kthreadd, kswapd0, P, Q)")

# vmstat -m and slabtop -o: slabinfo's caches, objects and sizes.
slabs = {}
for l in read(MNT + "/slabinfo").splitlines()[2:]:
    f = l.split()
    slabs[f[0]] = [int(x) for x in (f[1], f[2], f[3], f[4], f[5], f[13])]
for name in ("vm_area_struct", "filp", "inode_cache", "radix_tree_node",
             "task_struct", "kmalloc-96"):
    eq(name in slabs, True, "slabinfo has %s" % name)
eq(slabs["filp"][0] > 0 and slabs["radix_tree_node"][0] > 0, True,
   "a host file's filp and xarray nodes in use")
lines = out("vmstatm").splitlines()
eq(lines[0].split(), ["Cache", "Num", "Total", "Size", "Pages"], "vmstat -m header")
got = {}
for l in lines[1:]:
    f = l.split()
    if f[0] != "Cache":	# vmstat repeats its header every 22 lines
        got[f[0]] = [int(x) for x in f[1:]]
eq(sorted(got), sorted(slabs), "vmstat -m caches")
for name, v in slabs.items():
    eq(got.get(name), [v[0], v[1], v[2], v[3]], "vmstat -m " + name)
lines = out("slabtop").splitlines()
i = next((n for n, l in enumerate(lines) if l.split()[:2] == ["OBJS", "ACTIVE"]), None)
eq(i is not None, True, "slabtop -o has its column header")
top = {}
for l in lines[(i or 0) + 1:]:
    f = l.split()
    if f:
        top[f[-1]] = f[:-1]
eq(sorted(top), sorted(slabs), "slabtop -o caches")
for name, v in slabs.items():
    t = top.get(name)
    if not t:
        continue
    eq([int(t[0]), int(t[1]), int(t[4]), int(t[5])], [v[1], v[0], v[5], v[3]],
       "slabtop -o %s OBJS ACTIVE SLABS OBJ/SLAB" % name)
    eq(int(t[6][:-1]), v[5] * v[4] * 4, "slabtop -o %s CACHE SIZE" % name)
objs = sum(v[1] for v in slabs.values())
active = sum(v[0] for v in slabs.values())
summary = next((l for l in lines if "Active / Total Objects" in l), "")
eq(summary.split(":")[1].split()[:3] if summary else None,
   [str(active), "/", str(objs)], "slabtop -o objects summary")

for e in errors:
    print("procps:", e, file=sys.stderr)
sys.exit(1 if errors else 0)
EOF
check_machine
