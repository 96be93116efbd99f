#!/usr/bin/env python3
"""pressure_traces.py [--limit-pages L] [--pattern NAME]... OUTDIR

Writes the memory-pressure access patterns of bench/hostcompare.sh as
traces in mmufs's simple replay format (README, `replay FILE simple`):
one `R 0xADDR` or `W 0xADDR` per line, one byte touched in that page.
Every address lies in one region at BASE (0x100000000) of P pages; the
first lines are comments that name the pattern and the region:

    # pressure pattern loop, limit 4096 pages
    # region 0x100000000 6144

bench/hostpressure.c maps that region on the host and performs the
accesses; mmufs maps it in pid 1 and replays the same file.  The sizes
are chosen from the group's memory limit L (pages), so that every
pattern reclaims: L = 4096 (16 MiB) gives regions of 24 to 64 MiB and
runs of a few seconds on a host that swaps to a disk.

Every pattern but `loop` starts by writing each page of its region
once, so that every page is a dirty anonymous page (an untouched page
read would map the zero page and cost no memory); after that, writes
make swapped-in pages dirty again, so that reclaim must write them out
once more.  Random choices come from one 64-bit LCG (Knuth's MMIX
constants) with the seed below, restarted for each pattern: the traces
are the same on every machine and for every run.

Patterns (P pages in the region):
  loop     P = 3L/2: a write pass, then 8 sequential read passes: the
           working set is larger than the limit and LRU evicts every
           page just before its reuse (LRU's worst case).
  hotcold  a hot set of L/4 pages read between scans of a cold region
           of 2L pages (L/2 cold pages a round, 24 rounds, wrapping):
           the hot set fits and should stay; the cold pages never do.
  random   P = 2L: 8P uniformly random accesses, one in four a write.
  shift    two disjoint working sets A and B of 3L/4 pages each: A is
           written and used (4 x |A| random accesses), then B likewise,
           then A again: B pushes A out, and A's return refaults.
  zipf     P = 4L: 16P accesses with Zipf(1.0) popularity over the pages
           (ranks shuffled over the region), one in four a write.
"""

import argparse
import bisect
import os
import sys

BASE = 0x100000000
PAGE = 4096
SEED = 0x6D6D756673  # "mmufs"
MASK64 = (1 << 64) - 1


class Lcg:
    """x <- x * 6364136223846793005 + 1442695040888963407 (mod 2^64);
    each draw uses the top 31 bits."""

    def __init__(self, seed=SEED):
        self.x = seed & MASK64

    def next31(self):
        """The next 31-bit value."""
        self.x = (self.x * 6364136223846793005 + 1442695040888963407) & MASK64
        return self.x >> 33

    def below(self, n):
        """A value in [0, n), n <= 2^31."""
        return (self.next31() * n) >> 31

    def uniform(self):
        """A float in [0, 1)."""
        return self.next31() / float(1 << 31)


class Trace:
    """Collects the accesses of one pattern as (is_write, page) pairs."""

    def __init__(self, pages):
        self.pages = pages
        self.ops = []

    def access(self, write, page):
        """One access to the first byte of PAGE (0 <= PAGE < pages)."""
        assert 0 <= page < self.pages
        self.ops.append((write, page))

    def write_pass(self, first, count):
        """Write pages first .. first+count-1 once, in order."""
        for p in range(first, first + count):
            self.access(True, p)

    def read_pass(self, first, count):
        """Read pages first .. first+count-1 once, in order."""
        for p in range(first, first + count):
            self.access(False, p)

    def save(self, path, name, limit):
        """Write the trace file: the two header comments, then a line per
        access."""
        with open(path, "w") as f:
            f.write("# pressure pattern %s, limit %d pages\n" % (name, limit))
            f.write("# region %#x %d\n" % (BASE, self.pages))
            f.write("".join("%s %#x\n" % ("W" if w else "R", BASE + p * PAGE)
                            for w, p in self.ops))


def loop(limit):
    """A write pass over 3L/2 pages, then 8 sequential read passes."""
    t = Trace(limit * 3 // 2)
    t.write_pass(0, t.pages)
    for _ in range(8):
        t.read_pass(0, t.pages)
    return t


def hotcold(limit):
    """A hot set (pages 0..L/4-1) read between scans of L/2 cold pages."""
    hot, cold, chunk, rounds = limit // 4, 2 * limit, limit // 2, 24
    t = Trace(hot + cold)
    t.write_pass(0, t.pages)
    pos = 0
    for _ in range(rounds):
        t.read_pass(0, hot)
        for i in range(chunk):
            t.access(False, hot + (pos + i) % cold)
        pos = (pos + chunk) % cold
    return t


def uniform_random(limit):
    """8P uniformly random accesses over P = 2L pages, 1 in 4 a write."""
    rng = Lcg()
    t = Trace(2 * limit)
    t.write_pass(0, t.pages)
    for _ in range(8 * t.pages):
        page = rng.below(t.pages)
        t.access(rng.below(4) == 0, page)
    return t


def shift(limit):
    """Working set A, then B (same size, disjoint), then A again."""
    rng = Lcg()
    size = limit * 3 // 4
    t = Trace(2 * size)
    for first, fresh in ((0, True), (size, True), (0, False)):
        if fresh:
            t.write_pass(first, size)
        for _ in range(4 * size):
            t.access(False, first + rng.below(size))
    return t


def zipf(limit):
    """16P accesses over P = 4L pages with Zipf(1.0) popularity: rank r
    (1-based) has weight 1/r; ranks are dealt to pages by a Fisher-Yates
    shuffle so that the popular pages are spread over the region."""
    rng = Lcg()
    t = Trace(4 * limit)
    rank_page = list(range(t.pages))
    for i in range(t.pages - 1, 0, -1):
        j = rng.below(i + 1)
        rank_page[i], rank_page[j] = rank_page[j], rank_page[i]
    cdf, total = [], 0.0
    for r in range(1, t.pages + 1):
        total += 1.0 / r
        cdf.append(total)
    t.write_pass(0, t.pages)
    for _ in range(16 * t.pages):
        rank = bisect.bisect_right(cdf, rng.uniform() * total)
        page = rank_page[min(rank, t.pages - 1)]
        t.access(rng.below(4) == 0, page)
    return t


PATTERNS = {
    "loop": loop,
    "hotcold": hotcold,
    "random": uniform_random,
    "shift": shift,
    "zipf": zipf,
}


def main():
    """Parse the arguments, write the traces, print one summary line
    each: name, region pages, accesses, writes, file."""
    ap = argparse.ArgumentParser(
        description="Write the memory-pressure patterns as mmufs simple traces.")
    ap.add_argument("--limit-pages", type=int, default=4096,
                    help="the memory limit the patterns are sized for (pages, >= 64)")
    ap.add_argument("--pattern", action="append", choices=sorted(PATTERNS),
                    help="only this pattern (repeatable; default: all)")
    ap.add_argument("outdir")
    args = ap.parse_args()
    if args.limit_pages < 64:
        ap.error("--limit-pages must be at least 64")
    os.makedirs(args.outdir, exist_ok=True)
    for name in args.pattern or PATTERNS:
        t = PATTERNS[name](args.limit_pages)
        path = os.path.join(args.outdir, name + ".trace")
        t.save(path, name, args.limit_pages)
        writes = sum(1 for w, _ in t.ops if w)
        print("%s pages %d accesses %d writes %d %s"
              % (name, t.pages, len(t.ops), writes, path))
    return 0


if __name__ == "__main__":
    sys.exit(main())
