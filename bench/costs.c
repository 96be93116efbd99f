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

/* The costs, in the order they are printed. */
enum cost { TLB_HIT, WALK_LEVEL, FAULT, PAGE_ZERO, PAGE_COPY, MAJOR_FAULT,
	    SWAP_IN, SYSCALL_, NCOSTS };

static const char *const cost_name[NCOSTS] = {
	"tlb_hit", "walk_level", "fault", "page_zero", "page_copy",
	"major_fault", "swap_in", "syscall",
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
 * cleanup - undo what the measurements set up on the host: the files, the
 * swap area, vm.page-cluster and zswap.  Async-signal-safe; runs at exit,
 * on the signals and after each measurement.
 */
static void cleanup(void)
{
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
	cleanup();
	free(idx);
	free(vec);
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
	measure_syscall();
	print_results(mnt);
	return 0;
}
