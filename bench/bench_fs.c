/*
 * bench_fs.c - reads and writes of mmufs files against the same operation
 * on a no-op FUSE file (bench/noopfs.c), side by side, and the time to
 * render maps of a process with 65530 VMAs.
 *
 * usage: bench_fs MMUFS_MNT NOOPFS_MNT PID [SECONDS]
 *
 * PID is a process of the mmufs mount with about 100 VMAs, some of them
 * written (bench_fs.sh sets it up through ctl).  SECONDS (default 1.5) is
 * the time given to each operation on each mount.
 *
 * This client pins itself to CPU 0; the two daemons must be pinned there
 * too (`taskset -c 0 mmufs -f MNT`, `taskset -c 0 noopfs -f MNT`, as
 * bench_fs.sh starts them).  A FUSE round trip costs from about 6 to 100 us
 * depending on where the client and the daemon's threads run and on what
 * else shares their CPUs; on one CPU each request is a pair of context
 * switches, and the ratios vary by about +-10% from run to run instead of
 * by several times.  Times are wall-clock (CLOCK_MONOTONIC): no
 * instruction counts, which would leave out the kernel's half of FUSE.
 *
 * Each operation is done the way the common tools do it:
 *   - text files: open, read(128 KiB) until end of file, close (cat);
 *   - mem, pagemap: pread of 4 KiB on a file kept open (dd, xxd -s);
 *   - ctl: write of "brk" and read of its result through one open file.
 * The no-op counterparts are noopfs's 1/text (text for meminfo, so that
 * both paths have as many components: the kernel looks each one up and
 * gets its attributes again, the timeouts being 0), 1/bin and 1/ctl.
 * Rounds of the two mounts alternate (seven each); the ratio is the median
 * of the ratios of adjacent rounds, so that the drifts of a shared
 * machine's speed cancel out, and is shown with their range.
 *
 * Then a child of pid 1 gets 65530 VMAs (max_map_count) through ctl and
 * full reads of its maps (goal: under 50 ms, median of 11), smaps and
 * smaps_rollup are timed, with the time of the first read, which is the
 * rendering.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <sched.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "bench.h"

const char *bench_name = "bench_fs";

#define KiB		1024ULL
#define CAT_BUF		(128 * KiB)	/* cat's read size */
#define PREAD_SIZE	(4 * KiB)
#define ROUNDS		7
#define CALIBRATE_NS	100000000ULL	/* first estimate of the rate */
#define GOAL_RATIO	0.8		/* the issue: mmufs >= 0.8x noopfs */
#define SPEC_COST	1.2		/* SPEC 6: a read costs <= 1.2x noop */
#define BIG_VMAS	65530		/* max_map_count */
/* Where the big process's pages go. */
#define BIG_BASE	UINT64_C(0x200000000)
#define BATCH_BYTES	(32 * KiB)	/* ctl lines per write, well below
					   the FUSE max_write */
#define MAPS_GOAL_MS	50.0
#define BIG_REPS	11		/* full reads of maps, smaps_rollup */
#define SMAPS_REPS	3		/* of smaps (each ~1 s) */

enum how { CAT, PREAD, CTL };
enum side { MMUFS, NOOP };

struct op {
	char name[96];
	enum how how;
	char path[2][PATH_MAX];
	const char *noop_file;	/* path[NOOP] inside its mount */
	off_t off[2];		/* PREAD: the offset read */
	int fd[2];		/* PREAD, CTL: the open file */
	double rates[2][ROUNDS];	/* ops/s of each round */
	double ratios[ROUNDS];	/* per pair of rounds, mmufs/noopfs */
};

static char *iobuf;
static int goals_missed;


static void fmt_rate(char *buf, size_t size, double per_s)
{
	if (per_s >= 1e6)
		snprintf(buf, size, "%.2f M/s", per_s / 1e6);
	else
		snprintf(buf, size, "%.1f k/s", per_s / 1e3);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* cat - open, read until end of file, close: the bytes and read calls. */
static size_t cat(const char *path, int *reads, uint64_t *first_ns)
{
	uint64_t t0 = first_ns ? now_ns() : 0;
	size_t total = 0;
	ssize_t n;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		die("%s: %s", path, strerror(errno));
	if (reads)
		*reads = 0;
	if (first_ns)
		*first_ns = 0;	/* an empty file has no first read */
	while ((n = read(fd, iobuf, CAT_BUF)) > 0) {
		if (first_ns && total == 0)
			*first_ns = now_ns() - t0;
		total += (size_t)n;
		if (reads)
			++*reads;
	}
	if (n < 0)
		die("read %s: %s", path, strerror(errno));
	close(fd);
	return total;
}

/* ctl_cmd - one write of cmd through fd and its result read back. */
static ssize_t ctl_cmd(int fd, const char *path, const char *cmd, size_t len,
		       char *result, size_t size)
{
	ssize_t n;
	int err = 0;

	if (write(fd, cmd, len) != (ssize_t)len)
		err = errno ? errno : EIO;
	n = read(fd, result, size - 1);
	if (n < 0)
		die("read %s: %s", path, strerror(errno));
	result[n] = '\0';
	if (err) {
		errno = err;
		return -1;
	}
	return n;
}

/* run - n iterations of op on one side. */
static void run(struct op *o, enum side s, uint64_t n)
{
	char result[256];
	uint64_t i;

	for (i = 0; i < n; i++) {
		switch (o->how) {
		case CAT:
			cat(o->path[s], NULL, NULL);
			break;
		case PREAD:
			if (pread(o->fd[s], iobuf, PREAD_SIZE, o->off[s]) !=
			    (ssize_t)PREAD_SIZE)
				die("pread %s at %#jx: %s", o->path[s],
				    (uintmax_t)o->off[s], strerror(errno));
			break;
		case CTL:
			if (ctl_cmd(o->fd[s], o->path[s], "brk\n", 4, result,
				    sizeof(result)) <= 0)
				die("%s: brk: %s", o->path[s], result);
			break;
		}
	}
}

/* calibrate - iterations of op on side s that take about ns. */
static uint64_t calibrate(struct op *o, enum side s, uint64_t ns)
{
	uint64_t n = 0, t0 = now_ns(), t;

	do {
		run(o, s, 16);
		n += 16;
		t = now_ns() - t0;
	} while (t < CALIBRATE_NS);
	n = (uint64_t)((double)n * (double)ns / (double)t);
	return n ? n : 1;
}

/* measure - alternating rounds of the two sides. */
static void measure(struct op *o, double seconds)
{
	uint64_t n[2], t0;
	int r, s;

	for (s = MMUFS; s <= NOOP; s++)
		n[s] = calibrate(o, (enum side)s,
				 (uint64_t)(seconds * 1e9 / ROUNDS));
	for (r = 0; r < ROUNDS; r++) {
		for (s = MMUFS; s <= NOOP; s++) {
			t0 = now_ns();
			run(o, (enum side)s, n[s]);
			o->rates[s][r] = (double)n[s] * 1e9 /
					 (double)(now_ns() - t0);
		}
		o->ratios[r] = o->rates[MMUFS][r] / o->rates[NOOP][r];
	}
}

static void report_header(void)
{
	printf("%-22s %11s %11s %6s %12s %6s  %-13s %s\n", "operation",
	       "mmufs", "noopfs", "ratio", "(range)", "cost", "goal",
	       "noopfs file");
}

/* report - median ops/s of both; the median of the ratios of adjacent
 * rounds (drifts of the machine's speed cancel in each pair) and their
 * range; the cost ratio that SPEC 6 bounds. */
static void report(struct op *o)
{
	char mb[32], nb[32];
	double ratio = median(o->ratios, ROUNDS);	/* sorts ratios */
	bool ok = ratio >= GOAL_RATIO;

	fmt_rate(mb, sizeof(mb), median(o->rates[MMUFS], ROUNDS));
	fmt_rate(nb, sizeof(nb), median(o->rates[NOOP], ROUNDS));
	printf("%-22s %11s %11s %5.2fx (%4.2f-%4.2f) %5.2fx  >= %.1fx %-6s "
	       "%s%s\n", o->name, mb, nb, ratio, o->ratios[0],
	       o->ratios[ROUNDS - 1], 1 / ratio, GOAL_RATIO,
	       ok ? "ok" : "MISSED", o->noop_file,
	       1 / ratio <= SPEC_COST ? "" : "  (SPEC 6: cost > 1.2x)");
	goals_missed += !ok;
	fflush(stdout);
}

/* first_rw_mapping - the start of the first rw-p mapping of a maps file. */
static uint64_t first_rw_mapping(const char *path)
{
	char line[512];
	unsigned long long start, end;
	char perms[8];
	FILE *f = fopen(path, "r");

	if (!f)
		die("%s: %s", path, strerror(errno));
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%llx-%llx %7s", &start, &end, perms) == 3 &&
		    !strcmp(perms, "rw-p") && !strstr(line, "[stack]")) {
			fclose(f);
			return start;
		}
	fclose(f);
	die("%s: no rw-p mapping besides the stack", path);
}

/* count_lines - the lines of a file that one read returns whole. */
static size_t count_lines(const char *path)
{
	size_t n = 0, len = cat(path, NULL, NULL), i;

	if (len >= CAT_BUF)
		die("count_lines: %s is larger than %llu bytes", path, CAT_BUF);
	for (i = 0; i < len; i++)
		n += iobuf[i] == '\n';
	return n;
}

static int open_or_die(const char *path, int flags)
{
	int fd = open(path, flags);

	if (fd < 0)
		die("%s: %s", path, strerror(errno));
	return fd;
}

static void set_paths(struct op *o, const char *mnt1, const char *f1,
		      const char *mnt2, const char *f2)
{
	snprintf(o->path[MMUFS], sizeof(o->path[MMUFS]), "%s/%s", mnt1, f1);
	snprintf(o->path[NOOP], sizeof(o->path[NOOP]), "%s/%s", mnt2, f2);
	o->noop_file = f2;
}

/* ---- the process with 65530 VMAs ---- */

/* big_process - fork pid 1 and fill the child up to BIG_VMAS single-page
 * mappings with holes and alternating protections; its pid. */
static int big_process(const char *mnt)
{
	char path[PATH_MAX], maps[PATH_MAX], result[512];
	char *batch = malloc(BATCH_BYTES + 256);
	size_t len = 0, have, i, want;
	uint64_t t0;
	int fd, pid, writes = 0;

	if (!batch)
		die("out of memory");
	snprintf(path, sizeof(path), "%s/1/ctl", mnt);
	fd = open_or_die(path, O_RDWR);
	if (ctl_cmd(fd, path, "fork\n", 5, result, sizeof(result)) <= 0 ||
	    sscanf(result, "%d", &pid) != 1)
		die("%s: fork: %s", path, result);
	close(fd);
	snprintf(maps, sizeof(maps), "%s/%d/maps", mnt, pid);
	have = count_lines(maps);
	if (have >= BIG_VMAS)
		die("%s: already %zu VMAs", maps, have);
	want = BIG_VMAS - have;
	snprintf(path, sizeof(path), "%s/%d/ctl", mnt, pid);
	fd = open_or_die(path, O_RDWR);
	t0 = now_ns();
	for (i = 0; i < want; i++) {
		len += (size_t)sprintf(batch + len, "mmap %#" PRIx64 " 4K %s "
				       "private,fixed\n",
				       BIG_BASE + (uint64_t)i * 2 * 4096,
				       i % 2 ? "r--" : "rw-");
		if (len >= BATCH_BYTES || i == want - 1) {
			if (ctl_cmd(fd, path, batch, len, result,
				    sizeof(result)) < 0)
				die("%s: a batch of mmaps failed: %s", path,
				    result);
			writes++;
			len = 0;
		}
	}
	t0 = now_ns() - t0;
	printf("setup: pid %d, %zu mmaps (MAP_FIXED, single pages, holes, "
	       "alternating r--/rw-) through ctl in %d writes: %.1f ms, "
	       "%.1f us per mmap\n", pid, want, writes, (double)t0 / 1e6,
	       (double)t0 / 1e3 / (double)want);
	close(fd);
	free(batch);
	return pid;
}

/* time_big - full reads of one file of the big process: best and median
 * of the whole cat and of its first read (the rendering). */
static void time_big(const char *mnt, int pid, const char *file, int reps,
		     bool goal, size_t expect_lines)
{
	char path[PATH_MAX];
	double total[BIG_REPS], first[BIG_REPS], best;
	size_t bytes = 0, lines = 0, i;
	uint64_t t0, f;
	int r, reads = 0;

	snprintf(path, sizeof(path), "%s/%d/%s", mnt, pid, file);
	if (reps > BIG_REPS)
		reps = BIG_REPS;
	for (r = 0; r < reps; r++) {
		t0 = now_ns();
		bytes = cat(path, &reads, &f);
		total[r] = (double)(now_ns() - t0) / 1e6;
		first[r] = (double)f / 1e6;
	}
	if (expect_lines) {
		/* The last read ended at end of file: count in a fresh one. */
		int fd = open_or_die(path, O_RDONLY);
		ssize_t n;

		while ((n = read(fd, iobuf, CAT_BUF)) > 0)
			for (i = 0; i < (size_t)n; i++)
				lines += iobuf[i] == '\n';
		close(fd);
		if (lines != expect_lines)
			die("%s: %zu lines, expected %zu", path, lines,
			    expect_lines);
	}
	best = total[0];
	for (r = 1; r < reps; r++)
		if (total[r] < best)
			best = total[r];
	printf("%d/%-13s %6.2f MB in %3d reads, %2d runs: median %7.2f ms, "
	       "best %7.2f ms (first read, i.e. rendering: median %7.2f ms)",
	       pid, file, (double)bytes / 1e6, reads, reps,
	       median(total, reps), best, median(first, reps));
	if (goal) {
		bool ok = median(total, reps) < MAPS_GOAL_MS;

		printf("  goal: median < %.0f ms %s", MAPS_GOAL_MS,
		       ok ? "ok" : "MISSED");
		goals_missed += !ok;
	}
	printf("\n");
	fflush(stdout);
}

int main(int argc, char *argv[])
{
	/* Text files and their no-op counterparts, with as many path
	 * components. */
	static const struct { const char *file, *noop; } cats[] = {
		{ "stat", "1/text" }, { "status", "1/text" },
		{ "maps", "1/text" }, { "meminfo", "text" },
	};
	char maps[PATH_MAX];
	const char *m1, *m2;
	double seconds = 1.5;
	struct op ops[7];
	char file[64];
	cpu_set_t set;
	uint64_t t0 = now_ns(), addr;
	int pid, nops = 0, i, s, big;
	size_t vmas;

	if (argc < 4 || argc > 5)
		die("usage: bench_fs MMUFS_MNT NOOPFS_MNT PID [SECONDS]");
	m1 = argv[1];
	m2 = argv[2];
	pid = atoi(argv[3]);
	if (argc == 5 && (seconds = atof(argv[4])) <= 0)
		die("bad SECONDS %s", argv[4]);
	CPU_ZERO(&set);
	CPU_SET(0, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		die("sched_setaffinity: %s", strerror(errno));
	iobuf = malloc(CAT_BUF);
	if (!iobuf)
		die("out of memory");

	memset(ops, 0, sizeof(ops));
	snprintf(maps, sizeof(maps), "%s/%d/maps", m1, pid);
	addr = first_rw_mapping(maps);
	vmas = count_lines(maps);
	printf("bench_fs: mmufs %s, noopfs %s, pid %d (%zu VMAs, mem and "
	       "pagemap read at %#" PRIx64 "), client on CPU 0\n", m1, m2,
	       pid, vmas, addr);
	printf("note: wall-clock times (CLOCK_MONOTONIC), no instruction "
	       "counts; FUSE round trips vary 6-100 us with CPU sharing:\n"
	       "      run both daemons pinned with `taskset -c 0` (this "
	       "client pins itself).  %d alternating rounds of\n      about "
	       "%.2f s per mount; ops/s: median round; ratio: median of the "
	       "mmufs/noopfs ratios of\n      adjacent rounds (goal >= %.1fx), "
	       "with their range; cost = 1/ratio (SPEC 6: <= %.1fx).\n\n",
	       ROUNDS, seconds / ROUNDS, GOAL_RATIO, SPEC_COST);

	for (i = 0; i < (int)(sizeof(cats) / sizeof(cats[0])); i++, nops++) {
		struct op *o = &ops[nops];
		const char *name = cats[i].file;

		o->how = CAT;
		if (strcmp(name, "meminfo")) {
			snprintf(file, sizeof(file), "%d/%.32s", pid, name);
			if (strcmp(cats[i].file, "maps"))
				snprintf(o->name, sizeof(o->name), "%s", file);
			else
				snprintf(o->name, sizeof(o->name),
					 "%s (%zu VMAs)", file, vmas);
		} else {
			snprintf(file, sizeof(file), "%s", cats[i].file);
			snprintf(o->name, sizeof(o->name), "%s", file);
		}
		set_paths(o, m1, file, m2, cats[i].noop);
	}
	/* 4 KiB of mem at a written page, and the pagemap block holding its
	 * entry (512 entries). */
	snprintf(file, sizeof(file), "%d/mem", pid);
	set_paths(&ops[nops], m1, file, m2, "1/bin");
	snprintf(ops[nops].name, sizeof(ops[nops].name), "%s 4K pread", file);
	ops[nops].how = PREAD;
	ops[nops].off[MMUFS] = ops[nops].off[NOOP] = (off_t)addr;
	nops++;
	snprintf(file, sizeof(file), "%d/pagemap", pid);
	set_paths(&ops[nops], m1, file, m2, "1/bin");
	snprintf(ops[nops].name, sizeof(ops[nops].name), "%s 4K pread", file);
	ops[nops].how = PREAD;
	ops[nops].off[MMUFS] = ops[nops].off[NOOP] =
		(off_t)((addr >> 12) * 8 & ~(PREAD_SIZE - 1));
	nops++;
	snprintf(file, sizeof(file), "%d/ctl", pid);
	set_paths(&ops[nops], m1, file, m2, "1/ctl");
	snprintf(ops[nops].name, sizeof(ops[nops].name), "%s brk+read", file);
	ops[nops].how = CTL;
	nops++;

	report_header();
	for (i = 0; i < nops; i++) {
		struct op *o = &ops[i];

		for (s = MMUFS; s <= NOOP; s++)
			o->fd[s] = o->how == CAT ? -1 : open_or_die(o->path[s],
				o->how == CTL ? O_RDWR : O_RDONLY);
		measure(o, seconds);
		report(o);
		for (s = MMUFS; s <= NOOP; s++)
			if (o->fd[s] >= 0)
				close(o->fd[s]);
	}

	printf("\n");
	big = big_process(m1);
	time_big(m1, big, "maps", BIG_REPS, true, BIG_VMAS);
	time_big(m1, big, "smaps", SMAPS_REPS, false, 0);
	time_big(m1, big, "smaps_rollup", BIG_REPS, false, 0);

	printf("\n%d goal(s) missed; total %.1f s\n", goals_missed,
	       (double)(now_ns() - t0) / 1e9);
	return 0;
}
