#!/usr/bin/env bash
# The pictures: physmem.svg, <pid>/maps.svg and index.html are well formed,
# report their length as their size (a browser reads file:// up to it),
# and show the simulation's state: every frame's kind as frames/<pfn>
# names it, each vma's resident and swapped pages as smaps counts them,
# the counters of meminfo and vmstat.  Then headless Chromium opens
# index.html from the mount and the screenshot shows the pictures: the
# colours of anon, free and page-table frames, and of the legend.
. "$(dirname "$0")/lib.sh"

command -v chromium >/dev/null || skip "chromium missing (apt-get install chromium)"
mount_mmufs --mem 64M --swap 32M

# pid 4: 4M written, its first 1M paged out; 64K of a host file read.
P=$(ctl 1 fork)
a=$(ctl "$P" "mmap 0 4M rw- private")
ctl "$P" "touch $a 4M w" >/dev/null
ctl "$P" "madvise $a 1M pageout" >/dev/null
f=$(ctl "$P" "mmap 0 64K r-- private $MMUFS")
ctl "$P" "touch $f 64K r" >/dev/null

OUT=$(mktemp -d /tmp/mmufs-pictures.XXXXXX)
trap 's=$?; set +e; rm -rf "$OUT"; (exit $s); cleanup' EXIT
for f in physmem.svg index.html "$P/maps.svg" 1/maps.svg; do
	cat "$MNT/$f" >"$OUT/${f//\//_}"
	assert_eq "$(stat -c %s "$MNT/$f")" "$(stat -c %s "$OUT/${f//\//_}")" \
		"size of $f"
done

python3 - "$MNT" "$OUT" "$P" <<'PY' || fail "the pictures disagree with the simulation"
import re, sys, xml.etree.ElementTree as ET
from html.parser import HTMLParser

mnt, out, pid = sys.argv[1:]
NS = "{http://www.w3.org/2000/svg}"
bad = []

# physmem.svg: the cells cover every frame once; each run's class is what
# frames/<pfn> says of its first frame (64M: a frame to a cell).
kinds = {"free": "free", "per-CPU list": "pcp", "zero page": "zero",
         "reserved": "reserved", "page table": "pgtable",
         "vmalloc": "vmalloc", "slab": "slab",
         "kmalloc_large": "kmalloc_large", "kernel stack": "stack",
         "anon": "anon", "swap cache": "swapcache", "shmem": "shmem",
         "page cache": "file", "allocated": "allocated"}
svg = ET.parse(out + "/physmem.svg").getroot()
frames = int(re.search(r"(\d+) frames", svg.find(NS + "title").text).group(1))
nxt, total = 0, {}
for r in svg.iter(NS + "rect"):
    if "data-pfn" not in r.attrib:
        continue
    pfn, n, cls = int(r.get("data-pfn")), int(r.get("data-frames")), r.get("class")
    if pfn != nxt:
        bad.append("physmem.svg: a run at pfn %d, expected %d" % (pfn, nxt))
    nxt = pfn + n
    total[cls] = total.get(cls, 0) + n
    state = open("%s/frames/%d" % (mnt, pfn)).read()
    m = re.search(r"^state: ([a-z_ -]+?)(?: \(|$)", state, re.M)
    want = kinds.get(m.group(1)) if m else None
    if m and m.group(1) == "free" and "per-CPU" in state:
        want = "pcp"
    if want != cls:
        bad.append("physmem.svg: pfn %d is %s, frames/ says %r" % (pfn, cls, state.splitlines()[1:3]))
if nxt != frames:
    bad.append("physmem.svg covers %d of %d frames" % (nxt, frames))
legend = {t.text.rsplit(": ", 1)[0]: int(t.text.rsplit(": ", 1)[1])
          for t in svg.iter(NS + "text") if t.text and re.search(r": \d+$", t.text)}
for name, cls in kinds.items():
    if legend.get(name, 0) != total.get(cls, 0):
        bad.append("legend %s: %s, cells %s" % (name, legend.get(name), total.get(cls, 0)))
zones = [t.text for t in svg.iter(NS + "text") if t.text and t.text.startswith("Node ")]
if not any("DMA32" in z for z in zones):
    bad.append("physmem.svg marks no DMA32 zone: %s" % zones)

# <pid>/maps.svg: one group per vma of maps (the gate area aside), and
# per vma the resident and swapped pages of smaps.
def smaps(pid):
    vmas, cur = {}, None
    for line in open("%s/%s/smaps" % (mnt, pid)):
        m = re.match(r"^([0-9a-f]+)-([0-9a-f]+) ", line)
        if m:
            cur = (int(m.group(1), 16), int(m.group(2), 16))
            vmas[cur] = {}
        elif ":" in line and cur:
            k, v = line.split(":", 1)
            vmas[cur][k] = v.split()[0]
    return vmas

for p in ("1", pid):
    want = {k: v for k, v in smaps(p).items() if k[0] < 0xffffffff00000000}
    root = ET.parse("%s/%s_maps.svg" % (out, p)).getroot()
    got = {}
    for g in root.iter(NS + "g"):
        if g.get("class") != "vma":
            continue
        key = (int(g.get("data-start"), 16), int(g.get("data-end"), 16))
        res = sum(int(r.get("data-resident", 0)) for r in g.iter(NS + "rect"))
        swp = sum(int(r.get("data-swapped", 0)) for r in g.iter(NS + "rect"))
        got[key] = (res, swp)
    if sorted(got) != sorted(want):
        bad.append("maps.svg of %s: vmas %s, smaps %s" % (p, sorted(got), sorted(want)))
        continue
    for k, s in want.items():
        # Rss counts the zero page, pagemap-present pages, as resident too.
        exp = (int(s["Rss"]) // 4, int(s["Swap"]) // 4)
        if got[k] != exp:
            bad.append("maps.svg of %s %x-%x: resident, swapped %s; smaps %s" % (p, k[0], k[1], got[k], exp))

# index.html: the pictures, and the counters as meminfo, vmstat, uptime
# and loadavg give them.
class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.imgs, self.cells = [], []
    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.imgs.append(dict(attrs)["src"])
    def handle_data(self, d):
        if d.strip():
            self.cells.append(d.strip())
page = Page()
page.feed(open(out + "/index.html").read())
for src in ("physmem.svg", "1/maps.svg", pid + "/maps.svg"):
    if src not in page.imgs:
        bad.append("index.html lacks %s: %s" % (src, page.imgs))
meminfo = {l.split(":")[0]: l.split(":")[1].strip() for l in open(mnt + "/meminfo")}
vmstat = dict(l.split() for l in open(mnt + "/vmstat"))
cells = page.cells
for name in ("MemFree", "AnonPages", "SwapFree"):
    if name not in cells or cells[cells.index(name) + 1] != meminfo[name]:
        bad.append("index.html %s, meminfo %s" % (name, meminfo[name]))
for name in ("pgfault", "pswpout"):
    if name not in cells or cells[cells.index(name) + 1] != vmstat[name]:
        bad.append("index.html %s, vmstat %s" % (name, vmstat[name]))
for name, want in (("uptime", open(mnt + "/uptime").read().split()[0]),
                   ("loadavg", " ".join(open(mnt + "/loadavg").read().split()[:3]))):
    if name not in cells or cells[cells.index(name) + 1] != want:
        bad.append("index.html %s, %s" % (name, want))
for b in bad:
    print(b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY

# Chromium: index.html from the mount, with its pictures.
timeout 120 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
	--window-size=1400,2400 --screenshot="$OUT/index.png" \
	"file://$MNT/index.html" >"$OUT/chromium.log" 2>&1 ||
	fail "chromium: $(tail -3 "$OUT/chromium.log")"
python3 - "$OUT/index.png" <<'PY' || fail "the screenshot does not show the pictures"
import struct, sys, zlib

def pixels(path):
    """The RGB(A) rows of an 8-bit PNG (what Chromium writes)."""
    data = open(path, "rb").read()
    pos, idat, w = 8, b"", 0
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
            bpp = {2: 3, 6: 4}[ctype]
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw, rows, prev = zlib.decompress(idat), [], bytearray(w * bpp)
    stride = w * bpp + 1
    for y in range(h):
        f, line = raw[y * stride], bytearray(raw[y * stride + 1:(y + 1) * stride])
        for i in range(len(line)):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if f == 1: line[i] = (line[i] + a) & 255
            elif f == 2: line[i] = (line[i] + b) & 255
            elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line)
        prev = line
    return rows, bpp

rows, bpp = pixels(sys.argv[1])
seen = {}
for line in rows:
    for i in range(0, len(line), bpp):
        rgb = bytes(line[i:i + 3])
        seen[rgb] = seen.get(rgb, 0) + 1
want = {"anon": "d62728", "page table": "8b5a2b", "reserved": "8c8c8c",
        "free, order 10": "207f1b", "legend: zero page": "000000"}
bad = [k for k, v in want.items() if seen.get(bytes.fromhex(v), 0) < 20]
for k in bad:
    print("no %s pixels (#%s) in the screenshot" % (k, want[k]), file=sys.stderr)
sys.exit(1 if bad else 0)
PY
check_machine
