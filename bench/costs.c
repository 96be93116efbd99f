/*
 * costs.c - measure, on the host it runs on, the costs of mmufs's
 * simulated clock (the sysctls vm.mmufs_cost_*_ns) and print them.
 *
 *	costs [--sh MNT] [--no-swap] [--cpu N]
 *
 * Prints one line per cost on stdout, `mmufs_cost_X_ns N` (nanoseconds,
 * an integer), or with --sh MNT the shell lines that set a mount's costs
 * to these figures, `echo N > MNT/sys/vm/mmufs_cost_X_ns`, so that
 * `costs --sh MNT | sh` calibrates a mount to this machine.  On stderr:
 * each cost's median, the range of its repetitions and any cost that
 * could not be measured, as `mmufs_cost_X_ns (not measured: why)` (no
 * value line on stdout for it then).  See docs/costs.md.
 *
 * The process pins itself to one CPU (the one it starts on, or --cpu N)
 * with sched_setaffinity, and every figure is the median of several
 * repetitions, so that other work on the machine moves the figures
 * little.  Each repetition times many operations: with the thread's CPU
 * clock (CLOCK_THREAD_CPUTIME_ID; a fault's kernel time is the thread's
 * too), which leaves out the time other tasks on the CPU take, except for
 * the two disk costs, which wait and are timed with CLOCK_MONOTONIC.  The
 * caches and TLB another task disturbs, and a virtual machine's stolen
 * time, still count: run it on a machine otherwise idle.
 *
 *   tlb_hit     a dependent load chain (each load's address is the value
 *               the previous load read) through the 64-byte lines of four
 *               pages in random order: the lines stay in L1 and the pages
 *               in the TLB; ns per load.
 *   walk_level  the same chain through one random line of each page of a
 *               large region (up to 1 GiB of anonymous memory, 4 KiB
 *               pages: MADV_NOHUGEPAGE before the first touch), the pages
 *               in random order, so that nearly every load misses the TLB;
 *               against the same chain through 512 pages (2 MiB, whose
 *               translations stay in the second-level TLB of current x86
 *               CPUs).  The lines of both chains are flushed from all the
 *               caches (clflush) before each pass, so that every load of
 *               both misses the caches the same way and only the first
 *               chain's loads also miss the TLB.  The passes of the two
 *               alternate.  The difference per load is what a page walk
 *               adds; divided by 4 (the levels of an x86-64 walk) it is
 *               the cost of one level, as mmufs charges 4 levels per miss.
 *               Limits: only the sum of the levels is measured (the
 *               walker's upper levels mostly hit its own caches and the
 *               last one is a data-cache read or a memory read, so the
 *               real cost is not spread evenly); the page-table lines are
 *               as cached as this pattern leaves them (about one table
 *               line per load, unlike a program with locality); in a
 *               virtual machine a TLB miss also walks the host's nested
 *               tables and costs more than on bare metal.  x86-64 only.
 *   fault       read faults on a fresh private anonymous mapping (each
 *               maps the shared zero page), one per page, 16384 pages;
 *               mmap and munmap outside the timing; ns per fault.
 *   page_zero   memset of each 4 KiB page of a 32 MiB buffer (larger
 *               than the L2 caches, so that most pages come from L3 or
 *               memory, as a freshly allocated page does); ns per page.
 *   page_copy   memcpy of each 4 KiB page between two 32 MiB buffers.
 *   major_fault a 64 MiB file in /var/tmp, written and fsynced, dropped
 *               from the page cache (POSIX_FADV_DONTNEED; mincore checks
 *               it), mapped with MADV_RANDOM (no readahead) and read one
 *               byte per page for 1024 pages in random order: ns per
 *               fault minus the fault cost.  The file is removed.
 *   swap_in     only as root with no swap active (else not measured): a
 *               128 MiB swap file in /var/tmp (mkswap, swapon(2)),
 *               vm.page-cluster 0 (no swap readahead) and zswap off
 *               while measuring; 8192 anonymous pages are written (not
 *               with zeros, which Linux 6.12 and later keep out of the
 *               swap file), pushed out with MADV_PAGEOUT until mincore
 *               shows none of them resident (a page whose write-back was
 *               still running stays in the swap cache; it is read back,
 *               now clean, and paged out again; after 20 rounds the few
 *               left, if any, are left out), then the pages out are read
 *               in random order: ns per fault minus the fault cost.
 *               swapoff, the file removed, page-cluster and zswap
 *               restored at the end, on an error and on SIGINT/SIGTERM/
 *               SIGHUP.  --no-swap skips it.
 *   reclaim_page with swap_in's swap file (else not measured): a forked
 *               child joins a fresh memory group (cgroup v2 at the root of
 *               its hierarchy, the memory controller enabled there for the
 *               time of it; else a group under this process's own group in
 *               the v1 memory hierarchy) limited to 32 MiB and writes a
 *               word into each page of 128 MiB of fresh anonymous memory,
 *               so that it reclaims about 96 MiB to swap in direct reclaim;
 *               its thread CPU time for the writes, less that of the same
 *               writes in an unlimited group, divided by the pages
 *               reclaimed (v2: the group's pgsteal_direct; v1, which counts
 *               no reclaim per group: its swap entries not in the swap
 *               cache).  7 pairs of runs, each group removed after; the
 *               child killed and its group removed on an error or signal.
 *   syscall     syscall(SYS_getppid) in a loop; ns per call.
 *
 * The major fault and swap-in figures count with getrusage that every
 * read was a major fault; a note on stderr says when not.
 *
 * Exit status: 0; 1 on an error (a message on stderr).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/swap.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#ifdef __x86_64__
#include <immintrin.h>
#endif

#include "bench.h"

const char *bench_name = "costs";

#define PAGE		4096UL
#define LINE		64UL
#define REPS		7	/* repetitions of a cheap measurement */
#define IO_REPS		5	/* repetitions of a disk measurement */
#define WALK_BYTES	(1UL << 30)
#define SMALL_PAGES	512UL	/* pages that stay in the second-level TLB */
#define FAULT_PAGES	16384UL
#define BUF_BYTES	(32UL << 20)
#define FILE_BYTES	(64UL << 20)
#define FILE_TOUCHES	1024UL
#define SWAP_BYTES	(128UL << 20)
#define SWAP_PAGES	8192UL
#define RECLAIM_BYTES	(128UL << 20)	/* written by the reclaim child */
#define RECLAIM_LIMIT	(32UL << 20)	/* its memory group's limit */

/* The costs, in the order they are printed. */
enum cost { TLB_HIT, WALK_LEVEL, FAULT, PAGE_ZERO, PAGE_COPY, MAJOR_FAULT,
	    SWAP_IN, RECLAIM_PAGE, SYSCALL_, NCOSTS };

static const char *const cost_name[NCOSTS] = {
	"tlb_hit", "walk_level", "fault", "page_zero", "page_copy",
	"major_fault", "swap_in", "reclaim_page", "syscall",
};

/* One cost's result: its value, or why there is none. */
struct result {
	bool measured;
	double ns;
	char why[160];
};

static struct result results[NCOSTS];

/* What the cleanup must undo; only async-signal-safe calls use it. */
static char file_path[64];		/* the major-fault file, or "" */
static char swap_path[64];		/* the swap file, or "" */
static bool swap_on;			/* swap_path is active */
static char cluster_was[32];		/* vm.page-cluster to restore, or "" */
static char zswap_was[8];		/* zswap's enabled to restore, or "" */
static char cg_path[4200];		/* the memory group made, or "" */
static char cg_enabled[4200];		/* subtree_control to write -memory to */
static pid_t cg_child;			/* the child in cg_path, or 0 */

#define PAGE_CLUSTER	"/proc/sys/vm/page-cluster"
#define ZSWAP_ENABLED	"/sys/module/zswap/parameters/enabled"

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

/* rnd - the next number of a fixed xorshift64* sequence. */
static uint64_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ULL;
}

/* shuffle - put v[0..n) in a random order (Fisher-Yates). */
static void shuffle(size_t *v, size_t n)
{
	for (size_t i = n; i > 1; i--) {
		size_t j = rnd() % i, t = v[i - 1];

		v[i - 1] = v[j];
		v[j] = t;
	}
}

/* identity - a new array 0, 1, ..., n-1 (dies if out of memory). */
static size_t *identity(size_t n)
{
	size_t *v = malloc(n * sizeof(*v));

	if (!v)
		die("out of memory");
	for (size_t i = 0; i < n; i++)
		v[i] = i;
	return v;
}

/* cmp_double - qsort's order of doubles. */
static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/*
 * record - sort the n repetitions v of cost c, keep their median and
 * print the median and range on stderr.
 */
static void record(enum cost c, double *v, int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	results[c].measured = true;
	results[c].ns = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	fprintf(stderr, "%-12s median %10.2f ns  (min %.2f, max %.2f, %d runs)\n",
		cost_name[c], results[c].ns, v[0], v[n - 1], n);
}

/* skip - cost c is not measured, because of the printf-style reason. */
__attribute__((format(printf, 2, 3)))
static void skip(enum cost c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(results[c].why, sizeof(results[c].why), fmt, ap);
	va_end(ap);
	results[c].measured = false;
}

/* write_str - write s into the file path; false on an error (signal-safe). */
static bool write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);
	bool ok;

	if (fd < 0)
		return false;
	ok = write(fd, s, strlen(s)) == (ssize_t)strlen(s);
	return close(fd) == 0 && ok;
}

/* read_str - the first line of file path in buf (no newline); false if none. */
static bool read_str(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");
	bool ok;

	if (!f)
		return false;
	ok = fgets(buf, size, f) != NULL;
	fclose(f);
	if (ok)
		buf[strcspn(buf, "\n")] = '\0';
	return ok;
}

/*
 * cleanup - undo what the measurements set up on the host: the reclaim
 * child and its memory group (and the memory controller it enabled), the
 * files, the swap area, vm.page-cluster and zswap.  Async-signal-safe;
 * runs at exit, on the signals and after the last measurements that need
 * it (the major fault's, and the swap-in and reclaim ones together).
 */
static void cleanup(void)
{
	if (cg_child > 0) {
		kill(cg_child, SIGKILL);
		waitpid(cg_child, NULL, 0);
		cg_child = 0;
	}
	if (cg_path[0]) {
		rmdir(cg_path);
		cg_path[0] = '\0';
	}
	if (cg_enabled[0]) {
		write_str(cg_enabled, "-memory");
		cg_enabled[0] = '\0';
	}
	if (file_path[0]) {
		unlink(file_path);
		file_path[0] = '\0';
	}
	if (swap_on) {
		static const char msg[] = "costs: swapoff failed\n";

		if (swapoff(swap_path) != 0 && write(2, msg, sizeof(msg) - 1) < 0)
			swap_on = false;
		swap_on = false;
	}
	if (swap_path[0]) {
		unlink(swap_path);
		swap_path[0] = '\0';
	}
	if (cluster_was[0]) {
		write_str(PAGE_CLUSTER, cluster_was);
		cluster_was[0] = '\0';
	}
	if (zswap_was[0]) {
		write_str(ZSWAP_ENABLED, zswap_was);
		zswap_was[0] = '\0';
	}
}

/* on_signal - undo the setup, then die of the signal. */
static void on_signal(int sig)
{
	cleanup();
	signal(sig, SIG_DFL);
	raise(sig);
}

/* map_anon - bytes of private anonymous memory with madvise advice (dies). */
static char *map_anon(size_t bytes, int advice)
{
	char *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		die("mmap of %zu bytes: %s", bytes, strerror(errno));
	if (madvise(p, bytes, advice) != 0 && advice != MADV_NORMAL)
		die("madvise: %s", strerror(errno));
	return p;
}

/*
 * cpu_ns - this thread's CPU time in nanoseconds: the clock of the
 * measurements that do no I/O, so that the time other work on the CPU
 * takes from this process is not counted in them.
 */
static uint64_t cpu_ns(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
		die("clock_gettime(CLOCK_THREAD_CPUTIME_ID): %s", strerror(errno));
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* sink - where results go so that the compiler keeps the work. */
static volatile uintptr_t sink;

/*
 * chase - follow n links of a pointer chain from p: each load's address is
 * the value of the previous load.  Returns the ns per load.
 */
static double chase(void **p, long n)
{
	uint64_t t0 = cpu_ns();

	for (long i = 0; i < n; i += 8) {
		p = *p; p = *p; p = *p; p = *p;
		p = *p; p = *p; p = *p; p = *p;
	}
	sink = (uintptr_t)p;
	return (double)(cpu_ns() - t0) / (double)((n + 7) / 8 * 8);
}

/*
 * link_chain - make a cyclic chain through the addresses at[0..n) in
 * that order: each holds the address of the next.  Returns at[0].
 */
static void **link_chain(char **at, size_t n)
{
	for (size_t i = 0; i < n; i++)
		*(void **)at[i] = at[(i + 1) % n];
	return (void **)at[0];
}

/* measure_tlb_hit - the L1/TLB-hit chain; its median is the L1 load. */
static void measure_tlb_hit(void)
{
	size_t n = 4 * PAGE / LINE, *order = identity(n);
	char *buf = map_anon(4 * PAGE, MADV_NORMAL), **at = malloc(n * sizeof(*at));
	double v[REPS];
	void **start;

	if (!at)
		die("out of memory");
	shuffle(order, n);
	for (size_t i = 0; i < n; i++)
		at[i] = buf + order[i] * LINE;
	start = link_chain(at, n);
	chase(start, 1 << 20);
	for (int r = 0; r < REPS; r++)
		v[r] = chase(start, 20 << 20);
	record(TLB_HIT, v, REPS);
	munmap(buf, 4 * PAGE);
	free(at);
	free(order);
}

/* available_bytes - MemAvailable from /proc/meminfo, 0 if unknown. */
static uint64_t available_bytes(void)
{
	FILE *f = fopen("/proc/meminfo", "r");
	char line[256];
	unsigned long long kb = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "MemAvailable: %llu kB", &kb) == 1)
			break;
	fclose(f);
	return kb * 1024;
}

/*
 * page_lines - the addresses of one random line in each of the npages
 * pages at base, the pages in random order (dies if out of memory).
 */
static char **page_lines(char *base, size_t npages)
{
	size_t *order = identity(npages);
	char **at = malloc(npages * sizeof(*at));

	if (!at)
		die("out of memory");
	shuffle(order, npages);
	for (size_t i = 0; i < npages; i++)
		at[i] = base + order[i] * PAGE + rnd() % (PAGE / LINE) * LINE;
	free(order);
	return at;
}

#ifdef __x86_64__
/*
 * flushed_chase - ns per load of one pass of the chain through at[0..n),
 * every one of its lines flushed from all the caches (clflush) first.
 */
static double flushed_chase(char **at, size_t n)
{
	for (size_t i = 0; i < n; i++)
		_mm_clflush(at[i]);
	_mm_mfence();
	return chase((void **)at[0], (long)n);
}

/*
 * measure_walk_level - loads that miss the TLB and the caches against
 * loads that miss the caches only; the difference over 4 levels.  The
 * passes of the two chains alternate, each pair giving one repetition.
 */
static void measure_walk_level(void)
{
	uint64_t bytes = WALK_BYTES, avail = available_bytes();
	double miss[REPS], hit[REPS], d[REPS];
	size_t npages, passes;
	char *big, *small, **big_at, **small_at;

	while (avail && bytes > (64UL << 20) && 4 * bytes > avail)
		bytes /= 2;
	npages = bytes / PAGE;
	passes = npages / SMALL_PAGES;
	big = map_anon(bytes, MADV_NOHUGEPAGE);
	small = map_anon(SMALL_PAGES * PAGE, MADV_NOHUGEPAGE);
	big_at = page_lines(big, npages);
	small_at = page_lines(small, SMALL_PAGES);
	link_chain(big_at, npages);
	link_chain(small_at, SMALL_PAGES);
	for (int r = -1; r < REPS; r++) {
		double m = flushed_chase(big_at, npages), h = 0;

		for (size_t k = 0; k < passes; k++)
			h += flushed_chase(small_at, SMALL_PAGES);
		h /= (double)passes;
		if (r >= 0) {
			miss[r] = m;
			hit[r] = h;
			d[r] = (m - h) / 4;
		}
	}
	qsort(miss, REPS, sizeof(double), cmp_double);
	qsort(hit, REPS, sizeof(double), cmp_double);
	fprintf(stderr, "walk: a load missing the caches: %.2f ns when it also "
		"misses the TLB (%" PRIu64 " MiB), %.2f ns when it hits it\n",
		miss[REPS / 2], bytes >> 20, hit[REPS / 2]);
	record(WALK_LEVEL, d, REPS);
	munmap(big, bytes);
	munmap(small, SMALL_PAGES * PAGE);
	free(big_at);
	free(small_at);
}
#else
/* measure_walk_level - clflush is x86's: not measured elsewhere. */
static void measure_walk_level(void)
{
	skip(WALK_LEVEL, "the cache-flushing chain needs x86-64");
}
#endif

/* touch_pages - read one byte of each of the n pages at p in order idx. */
static void touch_pages(const char *p, const size_t *idx, size_t n)
{
	uintptr_t s = 0;

	for (size_t i = 0; i < n; i++)
		s += *(const volatile char *)(p + idx[i] * PAGE);
	sink = s;
}

/* measure_fault - read faults mapping the zero page, ns per fault. */
static void measure_fault(void)
{
	size_t *idx = identity(FAULT_PAGES);
	double v[REPS];

	for (int r = -1; r < REPS; r++) {
		char *p = map_anon(FAULT_PAGES * PAGE, MADV_NOHUGEPAGE);
		uint64_t t0 = cpu_ns();

		touch_pages(p, idx, FAULT_PAGES);
		if (r >= 0)
			v[r] = (double)(cpu_ns() - t0) / FAULT_PAGES;
		munmap(p, FAULT_PAGES * PAGE);
	}
	record(FAULT, v, REPS);
	free(idx);
}

/* measure_page_ops - memset and memcpy of 4 KiB pages, ns per page. */
static void measure_page_ops(void)
{
	size_t n = BUF_BYTES / PAGE;
	char *a = map_anon(BUF_BYTES, MADV_NOHUGEPAGE);
	char *b = map_anon(BUF_BYTES, MADV_NOHUGEPAGE);
	double z[REPS], c[REPS];

	memset(a, 1, BUF_BYTES);
	memset(b, 2, BUF_BYTES);
	for (int r = -1; r < REPS; r++) {
		uint64_t t0 = cpu_ns();

		for (size_t i = 0; i < n; i++) {
			memset(a + i * PAGE, 0, PAGE);
			__asm__ volatile("" : : "r"(a) : "memory");
		}
		uint64_t t1 = cpu_ns();

		for (size_t i = 0; i < n; i++) {
			memcpy(b + i * PAGE, a + ((i * 7) % n) * PAGE, PAGE);
			__asm__ volatile("" : : "r"(b) : "memory");
		}
		if (r >= 0) {
			z[r] = (double)(t1 - t0) / (double)n;
			c[r] = (double)(cpu_ns() - t1) / (double)n;
		}
	}
	sink = (uintptr_t)a[BUF_BYTES - 1] + (uintptr_t)b[BUF_BYTES - 1];
	record(PAGE_ZERO, z, REPS);
	record(PAGE_COPY, c, REPS);
	munmap(a, BUF_BYTES);
	munmap(b, BUF_BYTES);
}

/* major_faults - this process's major faults so far. */
static long major_faults(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_majflt;
}

/* resident_pages - how many of the n pages at p mincore says are in memory. */
static size_t resident_pages(char *p, size_t n, unsigned char *vec)
{
	size_t k = 0;

	if (mincore(p, n * PAGE, vec) != 0)
		die("mincore: %s", strerror(errno));
	for (size_t i = 0; i < n; i++)
		k += vec[i] & 1;
	return k;
}

/*
 * write_file - write bytes of data into fd (zeros if zero, else bytes
 * none of which is 0) and fsync it; false on an error.
 */
static bool write_file(int fd, size_t bytes, bool zero)
{
	static char block[1 << 20];

	for (size_t i = 0; i < sizeof(block); i++)
		block[i] = zero ? 0 : (char)(rnd() | 1);
	for (size_t done = 0; done < bytes; done += sizeof(block))
		if (write(fd, block, sizeof(block)) != (ssize_t)sizeof(block))
			return false;
	return fsync(fd) == 0;
}

/*
 * timed_faults - the ns per fault of reading the n pages at p in the random
 * order idx, the fault cost taken off; notes on stderr when not every read
 * was a major fault.
 */
static double timed_faults(const char *what, char *p, size_t *idx, size_t n)
{
	long m0 = major_faults();
	uint64_t t0 = now_ns();
	long majors;

	touch_pages(p, idx, n);
	majors = major_faults() - m0;
	if ((size_t)majors != n)
		fprintf(stderr, "%s: note: %ld major faults for %zu reads\n",
			what, majors, n);
	return (double)(now_ns() - t0) / (double)n - results[FAULT].ns;
}

/* measure_major_fault - faults reading a file page from the disk. */
static void measure_major_fault(void)
{
	size_t npages = FILE_BYTES / PAGE, *idx = identity(npages);
	unsigned char *vec = malloc(npages);
	double v[IO_REPS];
	int fd;

	strcpy(file_path, "/var/tmp/mmufs-costs.XXXXXX");
	fd = mkstemp(file_path);
	if (fd < 0 || !vec) {
		file_path[0] = '\0';
		skip(MAJOR_FAULT, "cannot create a file in /var/tmp: %s", strerror(errno));
		free(idx);
		free(vec);
		return;
	}
	if (!write_file(fd, FILE_BYTES, false)) {
		skip(MAJOR_FAULT, "cannot write %s: %s", file_path, strerror(errno));
		goto out;
	}
	for (int r = 0; r < IO_REPS; r++) {
		char *p;
		size_t left;
		int err = posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);

		if (err != 0)
			die("posix_fadvise: %s", strerror(err));
		p = mmap(NULL, FILE_BYTES, PROT_READ, MAP_SHARED, fd, 0);
		if (p == MAP_FAILED)
			die("mmap of %s: %s", file_path, strerror(errno));
		if (madvise(p, FILE_BYTES, MADV_RANDOM) != 0)
			die("madvise: %s", strerror(errno));
		left = resident_pages(p, npages, vec);
		if (left)
			fprintf(stderr, "major_fault: note: %zu pages still cached\n", left);
		shuffle(idx, npages);
		v[r] = timed_faults("major_fault", p, idx, FILE_TOUCHES);
		munmap(p, FILE_BYTES);
	}
	record(MAJOR_FAULT, v, IO_REPS);
out:
	close(fd);
	cleanup();
	free(idx);
	free(vec);
}

/* swap_active - whether /proc/swaps lists any area (true if unreadable). */
static bool swap_active(void)
{
	FILE *f = fopen("/proc/swaps", "r");
	char line[512];
	int lines = 0;

	if (!f)
		return true;
	while (fgets(line, sizeof(line), f))
		lines++;
	fclose(f);
	return lines > 1;
}

/* run_mkswap - mkswap -q path; false on failure. */
static bool run_mkswap(const char *path)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return false;
	if (pid == 0) {
		execlp("mkswap", "mkswap", "-q", path, (char *)NULL);
		_exit(127);
	}
	return waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	       WEXITSTATUS(status) == 0;
}

/*
 * setup_swap - the swap file, active, with no swap readahead and zswap off
 * (each change recorded for cleanup).  Returns false with the reason
 * recorded for swap_in.
 */
static bool setup_swap(void)
{
	char zs[8];
	int fd;

	if (!read_str(PAGE_CLUSTER, cluster_was, sizeof(cluster_was))) {
		skip(SWAP_IN, "cannot read %s", PAGE_CLUSTER);
		return false;
	}
	if (!write_str(PAGE_CLUSTER, "0")) {
		cluster_was[0] = '\0';
		skip(SWAP_IN, "cannot write %s", PAGE_CLUSTER);
		return false;
	}
	if (read_str(ZSWAP_ENABLED, zs, sizeof(zs)) && zs[0] == 'Y') {
		if (!write_str(ZSWAP_ENABLED, "N")) {
			skip(SWAP_IN, "cannot turn zswap off");
			return false;
		}
		strcpy(zswap_was, "Y");
	}
	strcpy(swap_path, "/var/tmp/mmufs-costs-swap.XXXXXX");
	fd = mkstemp(swap_path);
	if (fd < 0) {
		swap_path[0] = '\0';
		skip(SWAP_IN, "cannot create a swap file in /var/tmp: %s", strerror(errno));
		return false;
	}
	if (fchmod(fd, 0600) != 0 || !write_file(fd, SWAP_BYTES, true)) {
		close(fd);
		skip(SWAP_IN, "cannot write %s: %s", swap_path, strerror(errno));
		return false;
	}
	close(fd);
	if (!run_mkswap(swap_path)) {
		skip(SWAP_IN, "mkswap %s failed", swap_path);
		return false;
	}
	if (swapon(swap_path, SWAP_FLAG_PREFER | 32767) != 0) {
		skip(SWAP_IN, "swapon %s: %s", swap_path, strerror(errno));
		return false;
	}
	swap_on = true;
	return true;
}

/*
 * page_out - push the n pages at p out to swap: MADV_PAGEOUT until mincore
 * shows none resident, or 20 rounds.  A page whose write-back had not
 * finished stays in the swap cache; reading it maps it again, clean, and
 * the next MADV_PAGEOUT frees it without writing.  Returns how many pages
 * are out, their indexes in idx in random order; *rounds is the most
 * rounds taken so far.
 */
static size_t page_out(char *p, size_t n, unsigned char *vec, size_t *idx,
		       int *rounds)
{
	size_t out = 0;
	int tries = 0;

	for (;;) {
		if (madvise(p, n * PAGE, MADV_PAGEOUT) != 0)
			die("madvise(MADV_PAGEOUT): %s", strerror(errno));
		if (++tries == 20 || resident_pages(p, n, vec) == 0)
			break;
		usleep(20000);
		for (size_t i = 0; i < n; i++)
			if (vec[i] & 1)
				sink += *(volatile char *)(p + i * PAGE);
	}
	*rounds = tries > *rounds ? tries : *rounds;
	resident_pages(p, n, vec);
	for (size_t i = 0; i < n; i++)
		if (!(vec[i] & 1))
			idx[out++] = i;
	shuffle(idx, out);
	return out;
}

/* measure_swap_in - faults reading an anonymous page back from swap. */
static void measure_swap_in(bool wanted)
{
	size_t *idx = identity(SWAP_PAGES);
	unsigned char *vec = malloc(SWAP_PAGES);
	double v[IO_REPS];
	int rounds = 0;
	char *p;

	if (!wanted)
		skip(SWAP_IN, "--no-swap");
	else if (geteuid() != 0)
		skip(SWAP_IN, "needs root, to set up a swap file");
	else if (swap_active())
		skip(SWAP_IN, "swap is active on this host; it is measured only "
		     "on its own swap file");
	if (!wanted || geteuid() != 0 || swap_active() || !vec || !setup_swap())
		goto out;
	p = map_anon(SWAP_PAGES * PAGE, MADV_NOHUGEPAGE);
	for (int r = 0; r < IO_REPS; r++) {
		for (size_t i = 0; i < SWAP_PAGES; i++)
			*(uint64_t *)(p + i * PAGE) = rnd() | 1;
		size_t out = page_out(p, SWAP_PAGES, vec, idx, &rounds);

		if (out < SWAP_PAGES / 2) {
			skip(SWAP_IN, "MADV_PAGEOUT left %zu of %lu pages in memory",
			     SWAP_PAGES - out, SWAP_PAGES);
			munmap(p, SWAP_PAGES * PAGE);
			goto out;
		}
		if (out < SWAP_PAGES)
			fprintf(stderr, "swap_in: note: %zu pages stayed in memory; "
				"only the %zu others are read\n", SWAP_PAGES - out, out);
		v[r] = timed_faults("swap_in", p, idx, out);
	}
	munmap(p, SWAP_PAGES * PAGE);
	fprintf(stderr, "swap_in: paged out in at most %d MADV_PAGEOUT rounds\n",
		rounds);
	record(SWAP_IN, v, IO_REPS);
out:
	free(idx);
	free(vec);
}

/* Reclaim counters: of a memory group (cgroup v2) or of the host (v1). */
struct reclaim_counts {
	long long scan_direct, scan_kswapd, steal_direct, steal_kswapd;
};

/* The memory groups: where to make them and how to use them. */
struct memcg {
	bool v2;		/* cgroup v2 (else the v1 memory hierarchy) */
	char base[4096];	/* the directory to make the groups in */
};

/*
 * find_memcg - where to make a memory group: the root of a cgroup v2
 * hierarchy whose controllers include memory (its subtree_control gets
 * +memory if it lacks it, recorded for cleanup), else this process's group
 * in the v1 memory hierarchy.  False with the reason for reclaim_page.
 */
static bool find_memcg(struct memcg *m)
{
	char dev[256], dir[4096], type[64], opts[1024], path[4200], buf[512];
	char v1dir[4096] = "", line[4300];
	FILE *f = fopen("/proc/mounts", "r");

	if (!f) {
		skip(RECLAIM_PAGE, "cannot read /proc/mounts");
		return false;
	}
	while (fscanf(f, "%255s %4095s %63s %1023s %*d %*d", dev, dir, type, opts) == 4) {
		snprintf(path, sizeof(path), "%s/cgroup.controllers", dir);
		if (strcmp(type, "cgroup2") == 0 && read_str(path, buf, sizeof(buf)) &&
		    strstr(buf, "memory")) {
			m->v2 = true;
			snprintf(m->base, sizeof(m->base), "%s", dir);
			break;
		}
		if (strcmp(type, "cgroup") == 0 && !v1dir[0] &&
		    (strstr(opts, ",memory") || strncmp(opts, "memory", 6) == 0))
			snprintf(v1dir, sizeof(v1dir), "%s", dir);
	}
	fclose(f);
	if (m->v2) {
		snprintf(path, sizeof(path), "%s/cgroup.subtree_control", m->base);
		if (!read_str(path, buf, sizeof(buf)))
			buf[0] = '\0';
		if (!strstr(buf, "memory")) {
			if (!write_str(path, "+memory")) {
				skip(RECLAIM_PAGE, "cannot enable the memory controller in %s",
				     path);
				return false;
			}
			snprintf(cg_enabled, sizeof(cg_enabled), "%s", path);
		}
		return true;
	}
	if (!v1dir[0]) {
		skip(RECLAIM_PAGE, "no cgroup hierarchy with the memory controller");
		return false;
	}
	f = fopen("/proc/self/cgroup", "r");
	while (f && fgets(line, sizeof(line), f)) {
		char *ctl = strchr(line, ':'), *at = ctl ? strchr(ctl + 1, ':') : NULL;

		if (at && strncmp(ctl + 1, "memory:", 7) == 0) {
			at[1 + strcspn(at + 1, "\n")] = '\0';
			snprintf(m->base, sizeof(m->base), "%s%s", v1dir,
				 strcmp(at + 1, "/") ? at + 1 : "");
		}
	}
	if (f)
		fclose(f);
	if (!m->base[0]) {
		skip(RECLAIM_PAGE, "no memory group in /proc/self/cgroup");
		return false;
	}
	return true;
}

/*
 * stat_values - the values of the n keys in the "key value" lines of file
 * path into v (0 for a key not there; dies if path cannot be read).
 */
static void stat_values(const char *path, const char *const *keys,
			long long *v, int n)
{
	FILE *f = fopen(path, "r");
	char key[64];
	long long x;

	if (!f)
		die("cannot read %s: %s", path, strerror(errno));
	memset(v, 0, n * sizeof(*v));
	while (fscanf(f, "%63s %lld", key, &x) == 2)
		for (int i = 0; i < n; i++)
			if (strcmp(key, keys[i]) == 0)
				v[i] = x;
	fclose(f);
}

/*
 * read_counts - the reclaim counters of the group cg_path.  v2: its
 * memory.stat.  v1, whose memory.stat has no reclaim counters (and whose
 * reclaim Linux leaves out of /proc/vmstat's): the pages reclaimed are its
 * swap entries less those still in the swap cache, the scans are unknown
 * (-1) and the kswapd figures are the host's (/proc/vmstat).
 */
static void read_counts(const struct memcg *m, struct reclaim_counts *c)
{
	static const char *const v2keys[] = { "pgscan_direct", "pgscan_kswapd",
		"pgsteal_direct", "pgsteal_kswapd" };
	static const char *const v1keys[] = { "swap", "swapcached" };
	static const char *const hostkeys[] = { "pgscan_kswapd", "pgsteal_kswapd" };
	char path[4300];
	long long v[4];

	snprintf(path, sizeof(path), "%s/memory.stat", cg_path);
	if (m->v2) {
		stat_values(path, v2keys, v, 4);
		*c = (struct reclaim_counts){ v[0], v[1], v[2], v[3] };
		return;
	}
	stat_values(path, v1keys, v, 2);
	c->steal_direct = (v[0] - v[1]) / (long long)PAGE;
	c->scan_direct = -1;
	stat_values("/proc/vmstat", hostkeys, v, 2);
	c->scan_kswapd = v[0];
	c->steal_kswapd = v[1];
}

/*
 * reclaim_child - in the child: join the group cg_path, write a non-zero
 * word into each page of RECLAIM_BYTES of fresh anonymous memory and send
 * the thread CPU time the writes took down fd; exit when wait_fd reads
 * end-of-file (the parent has read the group's counters).  Never
 * returns, never runs the parent's cleanup (_exit; the caller gave it
 * the default signal actions).
 */
__attribute__((noreturn))
static void reclaim_child(int fd, int wait_fd)
{
	char path[4300];
	struct timespec t0, t1;
	uint64_t ns;
	char *p;

	snprintf(path, sizeof(path), "%s/cgroup.procs", cg_path);
	if (!write_str(path, "0"))
		_exit(2);
	p = mmap(NULL, RECLAIM_BYTES, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED || madvise(p, RECLAIM_BYTES, MADV_NOHUGEPAGE) != 0)
		_exit(3);
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0);
	for (size_t i = 0; i < RECLAIM_BYTES / PAGE; i++)
		*(volatile uint64_t *)(p + i * PAGE) = rnd() | 1;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t1);
	ns = (uint64_t)(t1.tv_sec - t0.tv_sec) * 1000000000ULL +
	     (uint64_t)t1.tv_nsec - (uint64_t)t0.tv_nsec;
	if (write(fd, &ns, sizeof(ns)) != sizeof(ns))
		_exit(4);
	_exit(read(wait_fd, &ns, 1) == 0 ? 0 : 5);
}

/*
 * reclaim_run - one run of the reclaim child in a fresh memory group,
 * limited to RECLAIM_LIMIT if limit; the group removed after.  Returns
 * the CPU ns of the child's writes and in *d the reclaim counters over
 * the run, or -1 with the reason recorded for reclaim_page.
 */
static double reclaim_run(const struct memcg *m, bool limit, int rep,
			  struct reclaim_counts *d)
{
	struct reclaim_counts c0, c1;
	char path[4300], num[32];
	uint64_t ns = 0;
	int fds[2], go[2], status;
	sigset_t block, was;
	ssize_t got;

	snprintf(cg_path, sizeof(cg_path), "%s/mmufs-costs-%d-%d", m->base,
		 (int)getpid(), rep);
	if (mkdir(cg_path, 0755) != 0) {
		skip(RECLAIM_PAGE, "cannot make the memory group %s: %s", cg_path,
		     strerror(errno));
		cg_path[0] = '\0';
		return -1;
	}
	snprintf(path, sizeof(path), "%s/%s", cg_path,
		 m->v2 ? "memory.max" : "memory.limit_in_bytes");
	snprintf(num, sizeof(num), "%lu", RECLAIM_LIMIT);
	if (limit && !write_str(path, num)) {
		skip(RECLAIM_PAGE, "cannot write %s", path);
		return -1;
	}
	read_counts(m, &c0);
	if (pipe(fds) != 0 || pipe(go) != 0)
		die("pipe: %s", strerror(errno));
	fflush(NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, &was);	/* cleanup sees the child */
	cg_child = fork();
	if (cg_child < 0)
		die("fork: %s", strerror(errno));
	if (cg_child == 0) {
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		sigprocmask(SIG_SETMASK, &was, NULL);
		close(fds[0]);
		close(go[1]);
		reclaim_child(fds[1], go[0]);
	}
	sigprocmask(SIG_SETMASK, &was, NULL);
	close(fds[1]);
	close(go[0]);
	got = read(fds[0], &ns, sizeof(ns));
	close(fds[0]);
	read_counts(m, &c1);
	close(go[1]);
	if (waitpid(cg_child, &status, 0) != cg_child)
		die("waitpid: %s", strerror(errno));
	cg_child = 0;
	rmdir(cg_path);
	cg_path[0] = '\0';
	if (got != sizeof(ns) || !WIFEXITED(status) || WEXITSTATUS(status)) {
		skip(RECLAIM_PAGE, "the child in the memory group failed (%s %d)",
		     WIFSIGNALED(status) ? "signal" : "status",
		     WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
		return -1;
	}
	d->scan_direct = m->v2 ? c1.scan_direct - c0.scan_direct : -1;
	d->scan_kswapd = c1.scan_kswapd - c0.scan_kswapd;
	d->steal_direct = c1.steal_direct - c0.steal_direct;
	d->steal_kswapd = c1.steal_kswapd - c0.steal_kswapd;
	return (double)ns;
}

/*
 * measure_reclaim_page - the CPU time of direct reclaim per anonymous page
 * reclaimed: a child writes RECLAIM_BYTES of anonymous memory in a memory
 * group limited to RECLAIM_LIMIT, so that it reclaims (to the swap file
 * set up for swap_in) about the difference; the same writes in an
 * unlimited group are taken off, and the rest divided by the pages its
 * direct reclaim freed (see read_counts).  Needs the swap of swap_in.
 */
static void measure_reclaim_page(void)
{
	struct reclaim_counts d, sum = { 0, 0, 0, 0 };
	struct memcg m = { .v2 = false, .base = "" };
	double v[REPS], fr[REPS], li[REPS];
	const double pages = RECLAIM_BYTES / PAGE;

	if (!swap_on) {
		skip(RECLAIM_PAGE, "%s", results[SWAP_IN].measured ?
		     "no swap file" : results[SWAP_IN].why);
		return;
	}
	if (!find_memcg(&m))
		goto out;
	for (int r = 0; r < REPS; r++) {
		double free_ns = reclaim_run(&m, false, 2 * r, &d);
		double lim_ns = free_ns < 0 ? -1 : reclaim_run(&m, true, 2 * r + 1, &d);

		if (lim_ns < 0)
			goto out;
		if (d.steal_direct < (long long)((RECLAIM_BYTES - RECLAIM_LIMIT) / PAGE / 2)) {
			skip(RECLAIM_PAGE, "only %lld pages reclaimed in direct reclaim "
			     "(%lld by kswapd)", d.steal_direct, d.steal_kswapd);
			goto out;
		}
		v[r] = (lim_ns - free_ns) / (double)d.steal_direct;
		fr[r] = free_ns / pages;
		li[r] = lim_ns / pages;
		sum.scan_direct += d.scan_direct;
		sum.scan_kswapd += d.scan_kswapd;
		sum.steal_direct += d.steal_direct;
		sum.steal_kswapd += d.steal_kswapd;
	}
	qsort(fr, REPS, sizeof(*fr), cmp_double);
	qsort(li, REPS, sizeof(*li), cmp_double);
	fprintf(stderr, "reclaim_page: writing a page costs %.0f ns without the "
		"limit, %.0f ns with it (medians)\n", fr[REPS / 2], li[REPS / 2]);
	if (m.v2)
		fprintf(stderr, "reclaim_page: cgroup v2 groups in %s; per run "
			"%lld pages reclaimed in direct reclaim, %lld by kswapd; "
			"pages scanned per page reclaimed: %.2f direct, %.2f kswapd\n",
			m.base, sum.steal_direct / REPS, sum.steal_kswapd / REPS,
			(double)sum.scan_direct / (double)(sum.steal_direct ? sum.steal_direct : 1),
			(double)sum.scan_kswapd / (double)(sum.steal_kswapd ? sum.steal_kswapd : 1));
	else
		fprintf(stderr, "reclaim_page: cgroup v1 groups in %s; per run "
			"%lld pages reclaimed (the group's swap entries not in the "
			"swap cache; v1 counts no scans); kswapd reclaimed %lld pages "
			"on the whole host\n", m.base, sum.steal_direct / REPS,
			sum.steal_kswapd / REPS);
	record(RECLAIM_PAGE, v, REPS);
out:
	cleanup();
}

/*
 * check_write_fault - on stderr, the cost of a write fault on fresh
 * anonymous memory (a page allocated and zeroed) beside fault + page_zero,
 * the sum mmufs charges for it: a check of the two figures, not a cost.
 */
static void check_write_fault(void)
{
	double v[REPS];

	for (int r = -1; r < REPS; r++) {
		char *p = map_anon(FAULT_PAGES * PAGE, MADV_NOHUGEPAGE);
		uint64_t t0 = cpu_ns();

		for (size_t i = 0; i < FAULT_PAGES; i++)
			*(volatile char *)(p + i * PAGE) = 1;
		if (r >= 0)
			v[r] = (double)(cpu_ns() - t0) / FAULT_PAGES;
		munmap(p, FAULT_PAGES * PAGE);
	}
	qsort(v, REPS, sizeof(*v), cmp_double);
	fprintf(stderr, "check: a write fault on fresh anonymous memory costs "
		"%.0f ns; fault + page_zero = %.0f ns\n", v[REPS / 2],
		results[FAULT].ns + results[PAGE_ZERO].ns);
}

/* measure_syscall - getppid through syscall(2), ns per call. */
static void measure_syscall(void)
{
	const long n = 1 << 20;
	double v[REPS];

	for (int r = -1; r < REPS; r++) {
		uint64_t t0 = cpu_ns();

		for (long i = 0; i < n; i++)
			sink += (uintptr_t)syscall(SYS_getppid);
		if (r >= 0)
			v[r] = (double)(cpu_ns() - t0) / (double)n;
	}
	record(SYSCALL_, v, REPS);
}

/* pin - run on cpu only (-1: the one this process is on now). */
static void pin(int cpu)
{
	cpu_set_t set;

	if (cpu < 0)
		cpu = sched_getcpu();
	if (cpu < 0)
		die("sched_getcpu: %s", strerror(errno));
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set) != 0)
		die("sched_setaffinity to CPU %d: %s", cpu, strerror(errno));
	fprintf(stderr, "costs: pinned to CPU %d\n", cpu);
}

/* usage - the command line, on stderr; exit 1. */
__attribute__((noreturn))
static void usage(void)
{
	fprintf(stderr, "usage: costs [--sh MNT] [--no-swap] [--cpu N]\n");
	exit(1);
}

/*
 * shell_word - path as one shell word: as it is when it holds only
 * characters the shell takes literally, else in single quotes (a quote in
 * it written '\'').  Returns a static buffer, or NULL if path is too long.
 */
static const char *shell_word(const char *path)
{
	static char buf[4 * 4096 + 3];
	size_t n = 0;

	if (strlen(path) > 4096)
		return NULL;
	if (strspn(path, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		   "0123456789/._+-,:@%") == strlen(path) && path[0])
		return path;
	buf[n++] = '\'';
	for (const char *c = path; *c; c++) {
		if (*c == '\'') {
			memcpy(buf + n, "'\\''", 4);
			n += 4;
		} else {
			buf[n++] = *c;
		}
	}
	buf[n++] = '\'';
	buf[n] = '\0';
	return buf;
}

/* print_results - the value lines (or shell lines), and the notes. */
static void print_results(const char *mnt)
{
	for (int c = 0; c < NCOSTS; c++) {
		double ns = results[c].ns;
		long long n = ns < 0 ? 0 : (long long)(ns + 0.5);

		if (!results[c].measured)
			fprintf(stderr, "mmufs_cost_%s_ns (not measured: %s)\n",
				cost_name[c], results[c].why);
		else if (mnt)
			printf("echo %lld > %s/sys/vm/mmufs_cost_%s_ns\n", n, mnt,
			       cost_name[c]);
		else
			printf("mmufs_cost_%s_ns %lld\n", cost_name[c], n);
		if (results[c].measured && ns < 0)
			fprintf(stderr, "mmufs_cost_%s_ns: note: measured %.2f, "
				"printed as 0\n", cost_name[c], ns);
	}
}

int main(int argc, char **argv)
{
	const char *mnt = NULL;
	bool swap = true;
	int cpu = -1;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--sh") == 0 && i + 1 < argc)
			mnt = argv[++i];
		else if (strcmp(argv[i], "--no-swap") == 0)
			swap = false;
		else if (strcmp(argv[i], "--cpu") == 0 && i + 1 < argc) {
			char *end;
			long v = strtol(argv[++i], &end, 10);

			if (*end || end == argv[i] || v < 0 || v >= CPU_SETSIZE)
				usage();
			cpu = (int)v;
		}
		else
			usage();
	}
	if (mnt && !(mnt = shell_word(mnt)))
		die("--sh: the path is too long");
	atexit(cleanup);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	pin(cpu);
	measure_tlb_hit();
	measure_walk_level();
	measure_fault();
	measure_page_ops();
	check_write_fault();
	measure_major_fault();
	measure_swap_in(swap);
	measure_reclaim_page();
	measure_syscall();
	print_results(mnt);
	return 0;
}
