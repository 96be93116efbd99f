/*
 * bench_mm.c - the memory manager against the host kernel, side by side.
 *
 * One run, pinned to CPU 0, does the same work on the host Linux kernel
 * (real mmap, faults, fork, mprotect, execve) and on the simulation
 * (do_mmap, user_touch, do_fork, do_mprotect, do_spawn on a booted
 * machine), and prints one line per measurement with both rates or times,
 * their ratio and the goal of SPEC.md section 6.  Every measurement is the
 * best of a few repetitions, timed with CLOCK_MONOTONIC.
 *
 * The host side runs while no simulated machine is booted, so that the
 * host's fork does not also copy the simulation's mappings.
 *
 * usage: bench_mm [memory|faults|swap|fork|vmas|tlb|spawn|file]...
 * (no names: all of them, in that order).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/wait.h>

/*
 * The simulation's headers define the mmap constants with Linux's values,
 * spelled differently from glibc's in places: let theirs stand.
 */
#undef PROT_READ
#undef PROT_WRITE
#undef PROT_EXEC
#undef PROT_NONE
#undef PROT_GROWSDOWN
#undef MAP_SHARED
#undef MAP_PRIVATE
#undef MAP_TYPE
#undef MAP_FIXED
#undef MAP_ANONYMOUS
#undef MAP_GROWSDOWN
#undef MAP_DENYWRITE
#undef MAP_EXECUTABLE
#undef MAP_LOCKED
#undef MAP_NORESERVE
#undef MAP_POPULATE
#undef MAP_NONBLOCK
#undef MAP_STACK
#undef MAP_FIXED_NOREPLACE
#undef MREMAP_MAYMOVE
#undef MREMAP_FIXED
#undef MADV_NORMAL
#undef MADV_WILLNEED
#undef MADV_DONTNEED
#undef MADV_COLD
#undef MADV_PAGEOUT

#include "kernel/kernel.h"
#include "exec/binfmts.h"
#include "mm/mm.h"
#include "mm/page.h"
#include "kernel/sched.h"
#include "mm/vma.h"
#include "bench.h"

const char *bench_name = "bench_mm";

#define KiB		(1ULL << 10)
#define MiB		(1ULL << 20)
#define GiB		(1ULL << 30)
#define RW		(PROT_READ | PROT_WRITE)
#define ANON		(MAP_PRIVATE | MAP_ANONYMOUS)

/* Every measurement is repeated at least MIN_REPS times and over at least
 * MIN_SPAN_NS of wall time (at most MAX_REPS times), and the best run
 * counts: a short run that falls into a slow phase of the host (another
 * guest, frequency) is then outvoted. */
#define MIN_REPS	5
#define MAX_REPS	200
#define MIN_SPAN_NS	750000000ULL
#define FAULT_BYTES	(128 * MiB)	/* faults: 32768 pages */
#define FORK_BYTES	(1 * GiB)	/* fork: resident set of the parent */
#define NR_VMAS		65000		/* below the default max_map_count */
#define NR_VMA_OPS	20000		/* each two calls */
#define MEM_RAM		(16 * GiB)	/* host memory per simulated frame */
#define MEM_TOUCH	10000		/* frames touched / written */
#define TLB_PAGES	16
#define TLB_LOOPS	1000000
#define SPAWN_PATH	"/usr/bin/cat"	/* spawned: argv {path}, no more */
#define FILE_BYTES	(64 * MiB)	/* mapped file read: 16384 pages */
#define FILE_FILL	0x5a		/* every byte of that file */
#define SPAWN_FILE_RAM	(256 * MiB)	/* machine for spawn and file read */

static int goals_missed;

/* ---- helpers ---- */


static uint64_t host_minflt(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru))
		die("getrusage: %s", strerror(errno));
	return (uint64_t)ru.ru_minflt;
}

/* rss_kib - VmRSS of this process, from /proc/self/status. */
static uint64_t rss_kib(void)
{
	char line[256];
	unsigned long long kib = 0;
	bool found = false;
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		die("/proc/self/status: %s", strerror(errno));
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmRSS: %llu kB", &kib) == 1) {
			found = true;
			break;
		}
	fclose(f);
	if (!found)
		die("no VmRSS in /proc/self/status");
	return kib;
}

/* count_maps - lines of /proc/self/maps (the host's VMA count). */
static long count_maps(void)
{
	char buf[65536];
	long n = 0;
	size_t got, i;
	FILE *f = fopen("/proc/self/maps", "r");

	if (!f)
		die("/proc/self/maps: %s", strerror(errno));
	while ((got = fread(buf, 1, sizeof(buf), f)) > 0)
		for (i = 0; i < got; i++)
			n += buf[i] == '\n';
	fclose(f);
	return n;
}

static void fmt_rate(char *buf, size_t size, double per_s)
{
	if (per_s >= 1e6)
		snprintf(buf, size, "%.2f M/s", per_s / 1e6);
	else
		snprintf(buf, size, "%.1f k/s", per_s / 1e3);
}

static void fmt_time(char *buf, size_t size, double ns)
{
	if (ns >= 1e6)
		snprintf(buf, size, "%.2f ms", ns / 1e6);
	else
		snprintf(buf, size, "%.1f us", ns / 1e3);
}

/* NO_GOAL - the goal of a measurement SPEC.md sets none for: its line says
 * "(no goal)" and it never counts as missed. */
#define NO_GOAL		0.0

/* report_goal - end a report line: "(goal CMP GOALx)  ok" or "MISSED"
 * (counted in goals_missed) as ok says, or "(no goal)" for NO_GOAL. */
static void report_goal(const char *cmp, double goal, bool ok)
{
	if (goal > NO_GOAL) {
		printf("(goal %s %gx)  %s\n", cmp, goal, ok ? "ok" : "MISSED");
		goals_missed += !ok;
	} else {
		printf("(no goal)\n");
	}
	fflush(stdout);
}

/* report_rate - one line: work items per second, host and simulation;
 * the goal is sim >= goal * host. */
static void report_rate(const char *what, uint64_t items, uint64_t host_ns,
			uint64_t sim_ns, double goal)
{
	double h = (double)items * 1e9 / (double)host_ns;
	double s = (double)items * 1e9 / (double)sim_ns;
	char hb[32], sb[32];
	bool ok = s >= goal * h;

	fmt_rate(hb, sizeof(hb), h);
	fmt_rate(sb, sizeof(sb), s);
	/* below 1x, three decimals: 0.022x, not 0.0x */
	printf("%-24s host %11s   mmufs %11s   ratio %5.*fx  ",
	       what, hb, sb, s < h ? 3 : 1, s / h);
	report_goal(">=", goal, ok);
}

/* report_time - one line: time of one operation; the goal is
 * sim <= goal * host. */
static void report_time(const char *what, uint64_t host_ns, uint64_t sim_ns,
			double goal)
{
	char hb[32], sb[32];
	double r = (double)sim_ns / (double)host_ns;
	bool ok = r <= goal;

	fmt_time(hb, sizeof(hb), (double)host_ns);
	fmt_time(sb, sizeof(sb), (double)sim_ns);
	printf("%-24s host %11s   mmufs %11s   time ratio %.2fx  ",
	       what, hb, sb, r);
	report_goal("<=", goal, ok);
}

static uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/* Repetitions of one measurement (see MIN_REPS). */
struct reps {
	int done;
	uint64_t start;
};

static void reps_start(struct reps *rp)
{
	rp->done = 0;
	rp->start = now_ns();
}

/* reps_more - true while another run is wanted; counts the runs. */
static bool reps_more(struct reps *rp)
{
	if (rp->done >= MAX_REPS || (rp->done >= MIN_REPS &&
				     now_ns() - rp->start >= MIN_SPAN_NS))
		return false;
	rp->done++;
	return true;
}

/* A timed operation: run(arg) is timed; prep(arg), when not NULL, runs
 * untimed before each run. */
struct timed_op {
	void (*run)(void *arg);
	void (*prep)(void *arg);
	void *arg;
};

/* best_time - best time of op->run over the repetitions, after one untimed
 * run: what it reads (a binary, a file) is then in the page cache of the
 * side it runs on, and the steady state is measured (unless prep drops
 * it again). */
static uint64_t best_time(const struct timed_op *op)
{
	uint64_t best = UINT64_MAX, t0;
	struct reps rp;

	op->run(op->arg);
	for (reps_start(&rp); reps_more(&rp); ) {
		if (op->prep)
			op->prep(op->arg);
		t0 = now_ns();
		op->run(op->arg);
		best = min_u64(best, now_ns() - t0);
	}
	return best;
}

/* ---- the host ---- */

static char *host_map(uint64_t len, int prot)
{
	void *p = mmap(NULL, len, prot, ANON, -1, 0);

	if (p == MAP_FAILED)
		die("host mmap %llu bytes: %s", (unsigned long long)len,
		    strerror(errno));
	/* 4 KiB faults, as in the simulation (no transparent huge pages). */
	if (madvise(p, len, MADV_NOHUGEPAGE))
		die("host madvise(MADV_NOHUGEPAGE): %s", strerror(errno));
	return p;
}

static void host_unmap(void *p, uint64_t len)
{
	if (munmap(p, len))
		die("host munmap: %s", strerror(errno));
}

static void host_write_pages(char *p, uint64_t len, char v)
{
	volatile char *q = p;
	uint64_t off;

	for (off = 0; off < len; off += PAGE_SIZE)
		q[off] = v;
}

static unsigned int host_read_pages(const char *p, uint64_t len)
{
	const volatile char *q = p;
	unsigned int sum = 0;
	uint64_t off;

	for (off = 0; off < len; off += PAGE_SIZE)
		sum += (unsigned char)q[off];
	return sum;
}

/* host_first_touch - best time to fault in len bytes of fresh anonymous
 * memory, one write (or read) per page. */
static uint64_t host_first_touch(uint64_t len, bool write)
{
	uint64_t best = UINT64_MAX, pages = len / PAGE_SIZE;
	struct reps rp;

	for (reps_start(&rp); reps_more(&rp); ) {
		char *p = host_map(len, RW);
		uint64_t f0 = host_minflt(), t0 = now_ns(), t1;

		if (write)
			host_write_pages(p, len, 1);
		else if (host_read_pages(p, len))
			die("host: fresh anonymous memory is not zero");
		t1 = now_ns();
		if (host_minflt() - f0 < pages)
			die("host: %llu faults for %llu pages (THP?)",
			    (unsigned long long)(host_minflt() - f0),
			    (unsigned long long)pages);
		best = min_u64(best, t1 - t0);
		host_unmap(p, len);
	}
	return best;
}

struct child_report {
	uint64_t ns;
	uint64_t faults;
};

/* host_cow - best time for a forked child to write one byte to each of the
 * len bytes its parent had written (one COW fault per page). */
static uint64_t host_cow(uint64_t len)
{
	uint64_t best = UINT64_MAX, pages = len / PAGE_SIZE;
	char *p = host_map(len, RW);
	struct reps rp;

	host_write_pages(p, len, 1);
	for (reps_start(&rp); reps_more(&rp); ) {
		struct child_report rep;
		int fd[2], status;
		ssize_t n;
		pid_t pid;

		if (pipe(fd))
			die("pipe: %s", strerror(errno));
		pid = fork();
		if (pid < 0)
			die("fork: %s", strerror(errno));
		if (pid == 0) {
			uint64_t f0 = host_minflt(), t0 = now_ns();

			host_write_pages(p, len, 2);
			rep.ns = now_ns() - t0;
			rep.faults = host_minflt() - f0;
			if (write(fd[1], &rep, sizeof(rep)) != sizeof(rep))
				_exit(1);
			_exit(0);
		}
		close(fd[1]);
		n = read(fd[0], &rep, sizeof(rep));
		close(fd[0]);
		if (waitpid(pid, &status, 0) != pid)
			die("waitpid: %s", strerror(errno));
		if (n != sizeof(rep) || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 0)
			die("host COW child failed");
		if (rep.faults < pages)
			die("host: %llu COW faults for %llu pages",
			    (unsigned long long)rep.faults,
			    (unsigned long long)pages);
		best = min_u64(best, rep.ns);
	}
	host_unmap(p, len);
	return best;
}

/* host_fork - best time of fork() with len bytes of anonymous memory
 * resident (the child exits at once; only the parent's fork() is timed). */
static uint64_t host_fork(uint64_t len)
{
	uint64_t best = UINT64_MAX;
	char *p = host_map(len, RW);
	struct reps rp;

	host_write_pages(p, len, 1);
	for (reps_start(&rp); reps_more(&rp); ) {
		uint64_t t0 = now_ns(), t1;
		pid_t pid = fork();
		int status;

		t1 = now_ns();
		if (pid < 0)
			die("fork: %s", strerror(errno));
		if (pid == 0)
			_exit(0);
		if (waitpid(pid, &status, 0) != pid)
			die("waitpid: %s", strerror(errno));
		best = min_u64(best, t1 - t0);
	}
	host_unmap(p, len);
	return best;
}

/* host_spawn - fork; the child asks to be traced (PTRACE_TRACEME) and
 * execve()s SPAWN_PATH with argv {SPAWN_PATH} and an empty environment;
 * the parent waits for the SIGTRAP stop that follows the successful execve
 * (no instruction of the new image has run: the dynamic loader neither),
 * then SIGKILLs and reaps the child.  (The op of a timed_op; arg unused.) */
static void host_spawn(void *arg)
{
	char *const argv[] = { (char *)SPAWN_PATH, NULL };
	char *const envp[] = { NULL };
	int status;
	pid_t pid;

	(void)arg;
	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) == 0)
			execve(SPAWN_PATH, argv, envp);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid)
		die("waitpid: %s", strerror(errno));
	if (!WIFSTOPPED(status) || WSTOPSIG(status) != SIGTRAP)
		die("host: %s did not stop after execve (status %#x)",
		    SPAWN_PATH, status);
	if (kill(pid, SIGKILL))
		die("kill: %s", strerror(errno));
	if (waitpid(pid, &status, 0) != pid)
		die("waitpid: %s", strerror(errno));
	if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL)
		die("host: traced child not killed (status %#x)", status);
}

/* A mapped file read: the file, its length, and for the simulation the
 * task mapping it and the faults of its last read. */
struct file_read {
	const char *path;
	uint64_t len;
	struct task_struct *init;
	uint64_t faults;
};

static char *file_path;		/* the file of make_file, until removed */

/* file_remove - unlink the file of make_file, if any (also at exit). */
static void file_remove(void)
{
	if (file_path)
		unlink(file_path);
	free(file_path);
	file_path = NULL;
}

/* make_file - a new file of len bytes, every byte FILE_FILL, in $TMPDIR
 * (or /tmp); its path.  It is removed by file_remove, at the latest at
 * exit. */
static const char *make_file(uint64_t len)
{
	static char buf[1 * MiB];
	const char *dir = getenv("TMPDIR");
	uint64_t off;
	int fd;

	if (!dir || !*dir)
		dir = "/tmp";
	if (asprintf(&file_path, "%s/bench_mm.XXXXXX", dir) < 0)
		die("asprintf: %s", strerror(errno));
	fd = mkstemp(file_path);
	if (fd < 0)
		die("mkstemp(%s): %s", file_path, strerror(errno));
	atexit(file_remove);
	memset(buf, FILE_FILL, sizeof(buf));
	for (off = 0; off < len; off += sizeof(buf))
		if (write(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf))
			die("write %s: %s", file_path, strerror(errno));
	if (close(fd))
		die("close %s: %s", file_path, strerror(errno));
	return file_path;
}

/* host_file_read - open the file, mmap it PROT_READ MAP_PRIVATE, close,
 * load one byte per page, munmap; the bytes must be FILE_FILL.  (The op of
 * a timed_op; arg is a struct file_read.) */
static void host_file_read(void *arg)
{
	struct file_read *fr = arg;
	int fd = open(fr->path, O_RDONLY);
	void *p;

	if (fd < 0)
		die("open %s: %s", fr->path, strerror(errno));
	p = mmap(NULL, fr->len, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED)
		die("host mmap %s: %s", fr->path, strerror(errno));
	close(fd);
	if (host_read_pages(p, fr->len) != fr->len / PAGE_SIZE * FILE_FILL)
		die("host: %s does not read back", fr->path);
	host_unmap(p, fr->len);
}

/* ---- the VMA workload, the same for both ---- */

/* Page i of the region is PROT_READ when i is even, PROT_NONE when odd:
 * no two neighbours can merge, and neither protection is writable, so no
 * VM_ACCOUNT difference ever blocks a merge. */
static int vma_prot(uint32_t i)
{
	return i & 1 ? PROT_NONE : PROT_READ;
}

struct vma_op {
	uint32_t page;		/* 1 .. NR_VMAS - 2 */
	uint32_t kind;		/* 0: mprotect and back; 1: munmap, mmap */
};

static struct vma_op vma_ops[NR_VMA_OPS];

static uint64_t xorshift64(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

static void make_vma_ops(void)
{
	uint64_t seed = 0x9e3779b97f4a7c15ULL;
	int i;

	for (i = 0; i < NR_VMA_OPS; i++) {
		uint64_t x = xorshift64(&seed);

		vma_ops[i].page = 1 + (uint32_t)((x >> 1) % (NR_VMAS - 2));
		vma_ops[i].kind = (uint32_t)(x & 1);
	}
}

/* host_vmas - best time of the op sequence among NR_VMAS host VMAs. */
static uint64_t host_vmas(void)
{
	uint64_t len = (uint64_t)NR_VMAS * PAGE_SIZE, best = UINT64_MAX;
	long before = count_maps(), after;
	char *base;
	uint32_t i;
	struct reps rp;
	int k;

	base = mmap(NULL, len, PROT_READ, ANON, -1, 0);
	if (base == MAP_FAILED)
		die("host mmap: %s", strerror(errno));
	for (i = 1; i < NR_VMAS; i += 2)
		if (mprotect(base + (uint64_t)i * PAGE_SIZE, PAGE_SIZE,
			     PROT_NONE))
			die("host mprotect (building %u): %s", i,
			    strerror(errno));
	after = count_maps();
	if (after - before < NR_VMAS - 1)
		die("host: %ld VMAs, wanted %d", after - before, NR_VMAS);
	for (reps_start(&rp); reps_more(&rp); ) {
		uint64_t t0 = now_ns();

		for (k = 0; k < NR_VMA_OPS; k++) {
			uint32_t pg = vma_ops[k].page;
			char *a = base + (uint64_t)pg * PAGE_SIZE;
			int prot = vma_prot(pg);

			if (vma_ops[k].kind == 0) {
				if (mprotect(a, PAGE_SIZE, vma_prot(pg + 1)) ||
				    mprotect(a, PAGE_SIZE, prot))
					die("host mprotect: %s",
					    strerror(errno));
			} else {
				if (munmap(a, PAGE_SIZE))
					die("host munmap: %s", strerror(errno));
				if (mmap(a, PAGE_SIZE, prot, ANON | MAP_FIXED,
					 -1, 0) != a)
					die("host mmap MAP_FIXED: %s",
					    strerror(errno));
			}
		}
		best = min_u64(best, now_ns() - t0);
	}
	if (count_maps() != after)
		die("host: VMA count changed by the op sequence");
	host_unmap(base, len);
	return best;
}

/* ---- the simulation ---- */

/* sim_boot_swap - boot a machine of mem bytes with a swap area of swap
 * bytes (0: none); init is returned. */
static struct task_struct *sim_boot_swap(uint64_t mem, uint64_t swap)
{
	struct boot_params bp = {
		.mem_bytes = mem, .swap_bytes = swap, .nr_cpus = 1,
		.tlb_entries = 64, .tlb_ways = 4, .mode = PAGING_4LEVEL,
	};
	struct task_struct *init;
	int err = kernel_boot(&bp);

	if (err)
		die("kernel_boot(%llu MiB): %d", (unsigned long long)(mem / MiB),
		    err);
	init = find_task_by_pid(1);
	if (!init)
		die("no init after boot");
	return init;
}

static struct task_struct *sim_boot(uint64_t mem)
{
	return sim_boot_swap(mem, 0);
}

static uint64_t sim_map(struct task_struct *t, uint64_t len, int prot)
{
	uint64_t a = do_mmap(t, 0, len, (unsigned long)prot, ANON, 0);

	if (IS_ERR_VALUE(a))
		die("do_mmap %llu bytes: %d", (unsigned long long)len,
		    (int)(int64_t)a);
	return a;
}

static void sim_unmap(struct task_struct *t, uint64_t a, uint64_t len)
{
	int err = do_munmap(t->mm, a, len);

	if (err)
		die("do_munmap: %d", err);
}

/* sim_touch - user_touch that must succeed; returns the faults. */
static uint64_t sim_touch(struct task_struct *t, uint64_t a, uint64_t len,
			  unsigned int acc)
{
	uint64_t faults;
	int err = user_touch(t, a, len, acc, &faults);

	if (err)
		die("user_touch(pid %d, %#llx, %llu): %d", t->pid,
		    (unsigned long long)a, (unsigned long long)len, err);
	return faults;
}

/* sim_store_pages - one byte stored (user_access) to every page. */
static void sim_store_pages(struct task_struct *t, uint64_t a, uint64_t len,
			    uint8_t v)
{
	uint64_t off;
	int err;

	for (off = 0; off < len; off += PAGE_SIZE) {
		err = user_access(t, a + off, &v, 1, true);
		if (err)
			die("user_access(pid %d, %#llx): %d", t->pid,
			    (unsigned long long)(a + off), err);
	}
}

static struct task_struct *sim_fork(struct task_struct *p)
{
	int err;
	struct task_struct *c = do_fork(p, &err);

	if (!c)
		die("do_fork: %d", err);
	return c;
}

static void sim_exit_reap(struct task_struct *parent, struct task_struct *c)
{
	int pid = c->pid, rpid, status, err;

	do_exit_group(c, 0);
	err = do_wait(parent, pid, &rpid, &status);
	if (err || rpid != pid)
		die("do_wait(%d): %d", pid, err);
}

/* sim_first_touch - best time to fault in len bytes of a fresh mapping in
 * init: user_touch with acc, or (store) one user_access byte per page. */
static uint64_t sim_first_touch(struct task_struct *init, uint64_t len,
				unsigned int acc, bool store)
{
	uint64_t best = UINT64_MAX, pages = len / PAGE_SIZE;
	struct reps rp;

	for (reps_start(&rp); reps_more(&rp); ) {
		uint64_t a = sim_map(init, len, RW), f = pages, t0, t1;

		t0 = now_ns();
		if (store)
			sim_store_pages(init, a, len, 1);
		else
			f = sim_touch(init, a, len, acc);
		t1 = now_ns();
		if (f != pages)
			die("mmufs: %llu faults for %llu pages",
			    (unsigned long long)f, (unsigned long long)pages);
		best = min_u64(best, t1 - t0);
		sim_unmap(init, a, len);
	}
	return best;
}

/* sim_cow - best time for a forked child to write-touch every page of a
 * mapping the parent had made resident: by user_touch only (frames never
 * written: a COW copy of them is a free zero-fill), or with one byte
 * stored per page (a COW copies 4 KiB, as the host does). */
static uint64_t sim_cow(struct task_struct *init, uint64_t len, bool data)
{
	uint64_t best = UINT64_MAX, pages = len / PAGE_SIZE;
	uint64_t a = sim_map(init, len, RW);
	struct reps rp;

	if (data)
		sim_store_pages(init, a, len, 1);
	else
		sim_touch(init, a, len, ACC_WRITE);
	for (reps_start(&rp); reps_more(&rp); ) {
		struct task_struct *c = sim_fork(init);
		uint64_t t0 = now_ns(), f, t1;

		f = sim_touch(c, a, len, ACC_WRITE);
		t1 = now_ns();
		if (f != pages)
			die("mmufs: %llu COW faults for %llu pages",
			    (unsigned long long)f, (unsigned long long)pages);
		best = min_u64(best, t1 - t0);
		sim_exit_reap(init, c);
	}
	sim_unmap(init, a, len);
	return best;
}

/* sim_fork_time - best time of do_fork of init with len bytes resident. */
static uint64_t sim_fork_time(struct task_struct *init, uint64_t len)
{
	uint64_t best = UINT64_MAX, a = sim_map(init, len, RW);
	struct reps rp;

	if (sim_touch(init, a, len, ACC_WRITE) != len / PAGE_SIZE)
		die("mmufs: short touch before fork");
	for (reps_start(&rp); reps_more(&rp); ) {
		uint64_t t0 = now_ns(), t1;
		struct task_struct *c = sim_fork(init);

		t1 = now_ns();
		if (get_mm_rss(c->mm) < len / PAGE_SIZE)
			die("mmufs: forked child has %llu pages resident",
			    (unsigned long long)get_mm_rss(c->mm));
		best = min_u64(best, t1 - t0);
		sim_exit_reap(init, c);
	}
	sim_unmap(init, a, len);
	return best;
}

/* sim_vmas - the op sequence among NR_VMAS VMAs of init. */
static uint64_t sim_vmas(struct task_struct *init)
{
	uint64_t len = (uint64_t)NR_VMAS * PAGE_SIZE, best = UINT64_MAX, base;
	struct mm_struct *mm = init->mm;
	int before = mm->map_count, after, k, err;
	struct reps rp;
	uint32_t i;

	base = sim_map(init, len, PROT_READ);
	for (i = 1; i < NR_VMAS; i += 2) {
		err = do_mprotect(init, base + (uint64_t)i * PAGE_SIZE,
				  PAGE_SIZE, PROT_NONE);
		if (err)
			die("do_mprotect (building %u): %d", i, err);
	}
	after = mm->map_count;
	if (after - before != NR_VMAS)
		die("mmufs: %d VMAs, wanted %d", after - before, NR_VMAS);
	for (reps_start(&rp); reps_more(&rp); ) {
		uint64_t t0 = now_ns();

		for (k = 0; k < NR_VMA_OPS; k++) {
			uint32_t pg = vma_ops[k].page;
			uint64_t a = base + (uint64_t)pg * PAGE_SIZE, m;
			int prot = vma_prot(pg);

			if (vma_ops[k].kind == 0) {
				err = do_mprotect(init, a, PAGE_SIZE,
						  (unsigned long)vma_prot(pg + 1));
				if (!err)
					err = do_mprotect(init, a, PAGE_SIZE,
							  (unsigned long)prot);
				if (err)
					die("do_mprotect: %d", err);
			} else {
				err = do_munmap(mm, a, PAGE_SIZE);
				if (err)
					die("do_munmap: %d", err);
				m = do_mmap(init, a, PAGE_SIZE,
					    (unsigned long)prot,
					    ANON | MAP_FIXED, 0);
				if (m != a)
					die("do_mmap MAP_FIXED: %d",
					    (int)(int64_t)m);
			}
		}
		best = min_u64(best, now_ns() - t0);
	}
	if (mm->map_count != after)
		die("mmufs: VMA count changed by the op sequence (%d -> %d)",
		    after, mm->map_count);
	sim_unmap(init, base, len);
	return best;
}

/* sim_spawn - do_spawn of SPAWN_PATH by init (argv {SPAWN_PATH}, init's
 * environment), then the child's exit and reap.  (The op of a timed_op;
 * arg is init.) */
static void sim_spawn(void *arg)
{
	struct task_struct *init = arg, *c;
	char *const argv[] = { (char *)SPAWN_PATH, NULL };
	struct exec_args args = {
		.path = argv[0], .argc = 1, .argv = argv,
	};
	int err;

	c = do_spawn(init, &args, &err);
	if (!c)
		die("do_spawn(%s): %d", SPAWN_PATH, err);
	sim_exit_reap(init, c);
}

/* sim_file_read - do_mmap_file of the file PROT_READ MAP_PRIVATE by init,
 * a read user_touch of every page (the faults are kept in fr->faults),
 * munmap.  (The op of a timed_op; arg is a struct file_read.) */
static void sim_file_read(void *arg)
{
	struct file_read *fr = arg;
	uint64_t a = do_mmap_file(fr->init, 0, fr->len, PROT_READ, MAP_PRIVATE,
				  fr->path, 0);

	if (IS_ERR_VALUE(a))
		die("do_mmap_file %s: %d", fr->path, (int)(int64_t)a);
	fr->faults = sim_touch(fr->init, a, fr->len, ACC_READ);
	sim_unmap(fr->init, a, fr->len);
}

/* sim_drop_cache - drop the simulated page cache (the file's pages, clean
 * and no longer mapped, all go): the next read takes a major fault per
 * page, each a pread of the host file.  (The prep of a timed_op; arg is a
 * struct file_read.) */
static void sim_drop_cache(void *arg)
{
	struct file_read *fr = arg;
	uint64_t dropped = filemap_shrink(UINT64_MAX, false);

	if (dropped < fr->len / PAGE_SIZE)
		die("mmufs: %llu cached pages dropped, wanted %llu",
		    (unsigned long long)dropped,
		    (unsigned long long)(fr->len / PAGE_SIZE));
}

/* ---- the measurements ---- */

static void bench_memory(void)
{
	uint64_t frames = MEM_RAM / PAGE_SIZE, len = MEM_TOUCH * PAGE_SIZE;
	uint64_t r0, r1, r2, r3, a, b;
	struct task_struct *init;
	double boot_b, touch_b, write_b;
	bool ok;

	r0 = rss_kib();
	init = sim_boot(MEM_RAM);
	r1 = rss_kib();
	a = sim_map(init, len, RW);
	if (sim_touch(init, a, len, ACC_WRITE) != MEM_TOUCH)
		die("mmufs: short touch");
	r2 = rss_kib();
	b = sim_map(init, len, RW);
	sim_store_pages(init, b, len, 0x5a);
	r3 = rss_kib();
	kernel_shutdown();

	boot_b = (double)(r1 - r0) * KiB / (double)frames;
	touch_b = (double)(r2 - r1) * KiB / MEM_TOUCH;
	write_b = (double)(r3 - r2) * KiB / MEM_TOUCH;
	ok = boot_b <= 64.0 && touch_b <= 64.0 + 64.0 &&
	     write_b <= PAGE_SIZE + 64.0 + 64.0;
	printf("host memory, %llu GiB machine (%llu frames), sizeof(struct page) = %zu B:\n",
	       (unsigned long long)(MEM_RAM / GiB), (unsigned long long)frames,
	       sizeof(struct page));
	printf("  at boot                 RSS +%llu KiB = %.2f B/frame  (goal <= 64 B/frame)\n",
	       (unsigned long long)(r1 - r0), boot_b);
	printf("  per touched frame       RSS +%llu KiB = %.0f B/frame  (user_touch ACC_WRITE of %d pages, no data)\n",
	       (unsigned long long)(r2 - r1), touch_b, MEM_TOUCH);
	printf("  per written frame       RSS +%llu KiB = %.0f B/frame = 4096 contents + %.0f  (one byte stored in %d pages)\n",
	       (unsigned long long)(r3 - r2), write_b, write_b - PAGE_SIZE,
	       MEM_TOUCH);
	printf("  goal: <= 64 B/frame plus touched contents (and page tables)  %s\n",
	       ok ? "ok" : "MISSED");
	goals_missed += !ok;
	fflush(stdout);
}

static void bench_faults(void)
{
	uint64_t pages = FAULT_BYTES / PAGE_SIZE;
	uint64_t hw_ns, hr_ns, hc_ns, sw_ns, ss_ns, sr_ns, sc_ns, scd_ns;
	struct task_struct *init;

	hw_ns = host_first_touch(FAULT_BYTES, true);
	hr_ns = host_first_touch(FAULT_BYTES, false);
	hc_ns = host_cow(FAULT_BYTES);

	init = sim_boot(512 * MiB);
	sw_ns = sim_first_touch(init, FAULT_BYTES, ACC_WRITE, false);
	ss_ns = sim_first_touch(init, FAULT_BYTES, ACC_WRITE, true);
	sr_ns = sim_first_touch(init, FAULT_BYTES, ACC_READ, false);
	sc_ns = sim_cow(init, FAULT_BYTES, false);
	scd_ns = sim_cow(init, FAULT_BYTES, true);
	kernel_shutdown();

	report_rate("anon write faults", pages, hw_ns, sw_ns, 4);
	report_rate("  (+ 1-byte store)", pages, hw_ns, ss_ns, 4);
	report_rate("zero-page read faults", pages, hr_ns, sr_ns, 2);
	report_rate("COW faults", pages, hc_ns, sc_ns, 4);
	report_rate("  (parent wrote data)", pages, hc_ns, scd_ns, 4);
}

/* sim_swap - one round of swap on a fresh mapping of len bytes holding a
 * byte per page: the time to page it all out (madvise pageout, *out_ns)
 * and to fault it all back in with stores (*in_ns), and the major faults
 * that took. */
static uint64_t sim_swap(struct task_struct *init, uint64_t len,
			 uint64_t *out_ns, uint64_t *in_ns)
{
	uint64_t a = sim_map(init, len, RW), maj, t0, t1, t2;
	int err;

	sim_store_pages(init, a, len, 7);
	t0 = now_ns();
	err = do_madvise(init, a, len, MADV_PAGEOUT);
	t1 = now_ns();
	if (err || get_mm_rss(init->mm) > 16)
		die("madvise pageout: %d, rss %llu pages", err,
		    (unsigned long long)get_mm_rss(init->mm));
	maj = init->maj_flt;
	sim_touch(init, a, len, ACC_WRITE);
	t2 = now_ns();
	maj = init->maj_flt - maj;
	sim_unmap(init, a, len);
	*out_ns = t1 - t0;
	*in_ns = t2 - t1;
	return maj;
}

/* bench_swap - 1 GiB of anonymous memory out to swap and back in, with
 * swap readahead (page-cluster 3) and without (0: one page per major
 * fault); the cost of a swap-in fault against an anonymous fault taken in
 * the same machine.  There is no host side: the host's swap is not ours
 * to change. */
static void bench_swap(void)
{
	uint64_t len = 1 * GiB, pages = len / PAGE_SIZE, out = UINT64_MAX;
	uint64_t in = UINT64_MAX, in1 = UINT64_MAX, anon, maj = 0, maj1 = 0;
	uint64_t o, i;
	struct task_struct *init = sim_boot_swap(2 * GiB, 2 * GiB);
	struct reps rp;

	anon = sim_first_touch(init, len, ACC_WRITE, true);
	for (reps_start(&rp); reps_more(&rp); ) {
		maj = sim_swap(init, len, &o, &i);
		out = min_u64(out, o);
		in = min_u64(in, i);
	}
	sysctl_vm.page_cluster = 0;
	for (reps_start(&rp); reps_more(&rp); ) {
		maj1 = sim_swap(init, len, &o, &i);
		in1 = min_u64(in1, i);
	}
	kernel_shutdown();
	printf("swap out (madvise pageout)      %11.0f pages/s\n",
	       (double)pages * 1e9 / (double)out);
	printf("swap in (stores, page-cluster 3) %10.0f pages/s  %llu major faults\n",
	       (double)pages * 1e9 / (double)in, (unsigned long long)maj);
	printf("swap in (page-cluster 0)        %11.0f pages/s  %llu major faults\n",
	       (double)pages * 1e9 / (double)in1, (unsigned long long)maj1);
	printf("swap-in fault / anon fault      %11.2fx  ",
	       (double)in1 / (double)anon);
	report_goal("<=", 3, in1 <= 3 * anon);
}

static void bench_fork(void)
{
	uint64_t h, s;
	struct task_struct *init;

	h = host_fork(FORK_BYTES);
	init = sim_boot(4 * GiB);
	s = sim_fork_time(init, FORK_BYTES);
	kernel_shutdown();
	report_time("fork, 1 GiB resident", h, s, 0.5);
}

static void bench_vmas(void)
{
	uint64_t h, s;
	struct task_struct *init;

	make_vma_ops();
	h = host_vmas();
	init = sim_boot(64 * MiB);
	s = sim_vmas(init);
	kernel_shutdown();
	report_rate("mmap/mprotect/munmap", 2ULL * NR_VMA_OPS, h, s, 1);
}

static void bench_tlb(void)
{
	uint64_t len = TLB_PAGES * PAGE_SIZE, best = UINT64_MAX, a, faults;
	uint64_t walks;
	struct task_struct *init = sim_boot(64 * MiB);
	double rate;
	char rb[32];
	struct reps rp;
	int i;

	a = sim_map(init, len, RW);
	sim_touch(init, a, len, ACC_WRITE);
	sim_touch(init, a, len, ACC_READ);
	walks = hw.page_walks;
	for (reps_start(&rp); reps_more(&rp); ) {
		uint64_t t0 = now_ns();

		faults = 0;
		for (i = 0; i < TLB_LOOPS; i++)
			faults += sim_touch(init, a, len, ACC_READ);
		best = min_u64(best, now_ns() - t0);
		if (faults)
			die("mmufs: %llu faults in the TLB loop",
			    (unsigned long long)faults);
	}
	walks = hw.page_walks - walks;
	kernel_shutdown();
	rate = (double)TLB_LOOPS * TLB_PAGES * 1e9 / (double)best;
	fmt_rate(rb, sizeof(rb), rate);
	printf("%-24s host %11s   mmufs %11s   (%d pages x %d user_touch, %llu page walks; goal >= 10 M/s)  %s\n",
	       "TLB-hit accesses", "-", rb, TLB_PAGES, TLB_LOOPS,
	       (unsigned long long)walks, rate >= 1e7 ? "ok" : "MISSED");
	goals_missed += rate < 1e7;
	fflush(stdout);
}

/* bench_spawn - spawn of SPAWN_PATH, exit and reap: host fork + ptraced
 * execve + SIGKILL + waitpid against do_spawn + do_exit_group + do_wait;
 * both after one untimed spawn (binary and interpreter cached). */
static void bench_spawn(void)
{
	struct timed_op op = { .run = host_spawn };
	struct task_struct *init;
	uint64_t h, s;

	h = best_time(&op);
	init = sim_boot(SPAWN_FILE_RAM);
	op = (struct timed_op){ .run = sim_spawn, .arg = init };
	s = best_time(&op);
	kernel_shutdown();
	report_time("spawn " SPAWN_PATH, h, s, NO_GOAL);
}

/* bench_file_read - mmap, one load per page and munmap of a FILE_BYTES
 * file in the host's page cache, against the simulation with the file in
 * its page cache (fault-around maps the cached neighbours) and with that
 * cache dropped before each run (readahead reads 128 KiB windows with one
 * pread each; only the first fault is major).  The
 * simulation's fault-around maps 64 KiB (about 1024 faults warm); a host with
 * large folios in its page cache may map a whole folio per fault (Linux
 * 6.18 on ext4: under 100 faults for the 64 MiB). */
static void bench_file_read(void)
{
	struct file_read fr = { .path = make_file(FILE_BYTES),
				.len = FILE_BYTES };
	struct timed_op op = { .run = host_file_read, .arg = &fr };
	uint64_t pages = FILE_BYTES / PAGE_SIZE, h, warm, cold;
	uint64_t warm_faults;

	h = best_time(&op);
	fr.init = sim_boot(SPAWN_FILE_RAM);
	op.run = sim_file_read;
	warm = best_time(&op);
	warm_faults = fr.faults;
	op.prep = sim_drop_cache;
	cold = best_time(&op);
	kernel_shutdown();
	file_remove();
	if (warm_faults >= pages || fr.faults >= pages)
		die("mmufs: %llu faults warm, %llu cold, for %llu pages",
		    (unsigned long long)warm_faults,
		    (unsigned long long)fr.faults, (unsigned long long)pages);
	report_rate("mapped file read, warm", pages, h, warm, NO_GOAL);
	report_rate("  (cold mmufs cache)", pages, h, cold, NO_GOAL);
}

/* The measurements, in the order they run, by the name that selects
 * them on the command line. */
static const struct {
	const char *name;
	void (*run)(void);
} benches[] = {
	{ "memory", bench_memory }, { "faults", bench_faults },
	{ "swap", bench_swap }, { "fork", bench_fork }, { "vmas", bench_vmas },
	{ "tlb", bench_tlb }, { "spawn", bench_spawn },
	{ "file", bench_file_read },
};

/* wanted - is the measurement called name to run: named among the
 * arguments, or no names given (all run)?  Dies on an unknown name. */
static bool wanted(int argc, char **argv, const char *name)
{
	bool found = argc < 2;

	for (int i = 1; i < argc; i++) {
		size_t b;

		for (b = 0; b < sizeof(benches) / sizeof(benches[0]); b++)
			if (!strcmp(argv[i], benches[b].name))
				break;
		if (b == sizeof(benches) / sizeof(benches[0]))
			die("usage: bench_mm [memory|faults|swap|fork|vmas|tlb|spawn|file]...");
		found |= !strcmp(argv[i], name);
	}
	return found;
}

int main(int argc, char **argv)
{
	cpu_set_t set;
	uint64_t t0 = now_ns();

	CPU_ZERO(&set);
	CPU_SET(0, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		die("sched_setaffinity(CPU 0): %s", strerror(errno));

	printf("bench_mm: the host Linux kernel and the mmufs simulation doing the same work,\n");
	printf("  pinned to CPU 0, CLOCK_MONOTONIC; each side repeated >= %d times over >= %.2f s\n",
	       MIN_REPS, (double)MIN_SPAN_NS / 1e9);
	printf("  (at most %d times), the best run counts.\n", MAX_REPS);
	printf("  faults: %llu MiB (%llu pages) of private anonymous memory, one access per page;\n",
	       (unsigned long long)(FAULT_BYTES / MiB),
	       (unsigned long long)(FAULT_BYTES / PAGE_SIZE));
	printf("    host: fresh mmap + MADV_NOHUGEPAGE, byte store/load; COW: a forked child's stores;\n");
	printf("    mmufs: 512 MiB machine, 1 CPU, TLB 64:4, init's do_mmap + user_touch\n");
	printf("    (\"+ 1-byte store\": user_access stores instead, frames hold data as on the host).\n");
	printf("  fork: %llu GiB written/touched, time of fork()/do_fork alone (mmufs: 4 GiB machine).\n",
	       (unsigned long long)(FORK_BYTES / GiB));
	printf("  VMAs: %d single-page VMAs (PROT_READ/PROT_NONE alternating), %d random ops\n",
	       NR_VMAS, NR_VMA_OPS);
	printf("    (mprotect a page and back: merge+split; or munmap + mmap MAP_FIXED), 2 calls each.\n");
	printf("  spawn: %s, exit and reap; host: fork, PTRACE_TRACEME + execve, wait for the\n",
	       SPAWN_PATH);
	printf("    SIGTRAP stop, SIGKILL, waitpid; mmufs: do_spawn, do_exit_group, do_wait.\n");
	printf("  mapped file read: %llu MiB file (pages per second): mmap PROT_READ MAP_PRIVATE,\n",
	       (unsigned long long)(FILE_BYTES / MiB));
	printf("    one load per page, munmap; host page cache warm; mmufs page cache warm,\n");
	printf("    or cold: dropped before each run (read from the host file by readahead).\n");
	printf("    (spawn and file read: %llu MiB machine; binary/file cached by one untimed run.)\n",
	       (unsigned long long)(SPAWN_FILE_RAM / MiB));
	printf("  ratio: mmufs rate / host rate (time ratio: mmufs time / host time).\n\n");
	fflush(stdout);

	for (size_t i = 0; i < sizeof(benches) / sizeof(benches[0]); i++)
		if (wanted(argc, argv, benches[i].name))
			benches[i].run();

	printf("\n%d goal(s) missed; total %.1f s\n", goals_missed,
	       (double)(now_ns() - t0) / 1e9);
	return 0;
}
