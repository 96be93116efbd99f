/*
 * hostpressure.c - one memory-pressure trace performed by the host kernel,
 * in a memory cgroup (bench/hostcompare.sh runs it; it is no test).
 *
 *	hostpressure [--cgroup DIR] TRACE
 *
 * TRACE is a trace in mmufs's simple replay format, as
 * bench/pressure_traces.py writes it: a comment `# region BASE PAGES`
 * before the first access, then one `R ADDR` or `W ADDR` per line, each
 * address inside the region ('#' lines and blank lines are skipped).
 *
 * The parent parses the whole trace into a sealed memfd, 8 bytes per
 * access (the offset in the region, bit 63 set for a write), before
 * anything runs: the trace's text and its parsed copy are charged to the
 * caller's memory cgroup, not to DIR's.  It then forks the child that does
 * the work.  The child writes its own pid into DIR/cgroup.procs (cgroup v2
 * or the v1 memory controller: both files take a pid), and only then maps
 * the memfd (MAP_POPULATE: the pages exist already and are charged to the
 * parent, so mapping them charges DIR nothing but the page table) and the
 * region: anonymous, private, read-write, at BASE with
 * MAP_FIXED_NOREPLACE, with MADV_NOHUGEPAGE since mmufs faults 4 KiB
 * pages.  Each access reads or writes one byte.  What DIR is charged for
 * is therefore the region's pages and page tables and the few pages of
 * stack and stdio the child dirties after the fork.
 *
 * The child prints one line on stdout, the counters of its run alone
 * (getrusage before and after the accesses):
 *
 *	accesses N majflt N minflt N seconds S
 *
 * Exit status: 0; 1 on an error (a message on stderr); 2 when the child
 * was killed (by the group's OOM killer, most likely), with a message.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
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
#include <sys/wait.h>

#include "bench.h"

const char *bench_name = "hostpressure";

#define PAGE_SIZE	4096ULL
#define WRITE_BIT	(1ULL << 63)
/* The largest region taken: 64 GiB, far more than a limit's test needs. */
#define MAX_PAGES	(16ULL << 20)

struct trace {
	uint64_t base;		/* the region's first address */
	uint64_t pages;		/* its size in pages */
	size_t n;		/* accesses */
	int fd;			/* memfd: n entries, offset | WRITE_BIT */
};

/*
 * parse_u64 - TEXT as a whole number (decimal or 0x hex), into *VAL.
 * Returns false if TEXT is not one.
 */
static bool parse_u64(const char *text, uint64_t *val)
{
	char *end;

	if (!*text || *text == '-')
		return false;
	errno = 0;
	*val = strtoull(text, &end, 0);
	return !errno && !*end;
}

/*
 * parse_region - LINE, a comment, as "# region BASE PAGES" into T (base
 * page aligned, 1..MAX_PAGES pages, below 2^47). Returns false for any
 * other comment; dies on a malformed region line.
 */
static bool parse_region(const char *line, struct trace *t, unsigned long no)
{
	char base[32], pages[32];

	if (sscanf(line, "# region %31s %31s", base, pages) != 2)
		return false;
	if (!parse_u64(base, &t->base) || !parse_u64(pages, &t->pages) ||
	    t->base % PAGE_SIZE || !t->pages || t->pages > MAX_PAGES ||
	    t->base + t->pages * PAGE_SIZE > (1ULL << 47))
		die("line %lu: bad region (want \"# region BASE PAGES\")", no);
	return true;
}

/*
 * parse_access - LINE, "R ADDR" or "W ADDR" inside T's region, as an
 * entry (offset, WRITE_BIT for W). Dies on anything else.
 */
static uint64_t parse_access(const char *line, const struct trace *t,
			     unsigned long no)
{
	char kind[4], addr[32];
	uint64_t va;

	if (sscanf(line, "%3s %31s", kind, addr) != 2 ||
	    (strcmp(kind, "R") && strcmp(kind, "W")) || !parse_u64(addr, &va))
		die("line %lu: not an access (want \"R|W ADDR\")", no);
	if (!t->pages)
		die("line %lu: an access before \"# region BASE PAGES\"", no);
	if (va < t->base || va - t->base >= t->pages * PAGE_SIZE)
		die("line %lu: %s is outside the region", no, addr);
	return (va - t->base) | (kind[0] == 'W' ? WRITE_BIT : 0);
}

/*
 * store_entries - N entries of OPS into a fresh memfd, sealed against any
 * change. Returns the fd; dies on failure.
 */
static int store_entries(const uint64_t *ops, size_t n)
{
	size_t len = n * sizeof(*ops), done = 0;
	int fd = memfd_create("hostpressure-trace", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	ssize_t w;

	if (fd < 0)
		die("memfd_create: %s", strerror(errno));
	while (done < len) {
		w = write(fd, (const char *)ops + done, len - done);
		if (w < 0 && errno != EINTR)
			die("write to the memfd: %s", strerror(errno));
		done += w > 0 ? (size_t)w : 0;
	}
	if (fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE |
		  F_SEAL_SEAL))
		die("sealing the memfd: %s", strerror(errno));
	return fd;
}

/*
 * load_trace - parse the trace file PATH into T (region and a sealed memfd
 * of its accesses). Dies with the line's number on a malformed line, or
 * when the file holds no access.
 */
static void load_trace(const char *path, struct trace *t)
{
	FILE *f = fopen(path, "r");
	uint64_t *ops = NULL, *grown;
	size_t cap = 0, lcap = 0;
	char *line = NULL, *s;
	unsigned long no = 0;

	if (!f)
		die("%s: %s", path, strerror(errno));
	memset(t, 0, sizeof(*t));
	while (getline(&line, &lcap, f) >= 0) {
		no++;
		line[strcspn(line, "\r\n")] = '\0';
		s = line + strspn(line, " \t");
		if (*s == '#') {
			if (!t->pages)
				parse_region(s, t, no);
			continue;
		}
		if (!*s)
			continue;
		if (t->n == cap) {
			cap = cap ? 2 * cap : 65536;
			grown = realloc(ops, cap * sizeof(*ops));
			if (!grown)
				die("out of memory at line %lu", no);
			ops = grown;
		}
		ops[t->n++] = parse_access(s, t, no);
	}
	if (ferror(f))
		die("%s: read error", path);
	if (!t->n)
		die("%s: no access in the trace", path);
	fclose(f);
	free(line);
	t->fd = store_entries(ops, t->n);
	free(ops);
}

/*
 * join_cgroup - move the calling process into the cgroup directory DIR by
 * writing its pid into DIR/cgroup.procs. Dies on failure.
 */
static void join_cgroup(const char *dir)
{
	char path[4096];
	int fd;

	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		die("%s: %s", path, strerror(errno));
	if (dprintf(fd, "%d\n", (int)getpid()) < 0 || close(fd))
		die("joining %s: %s", dir, strerror(errno));
}

/*
 * map_region - T's region: anonymous private read-write memory at exactly
 * T->base, without transparent huge pages. Dies if it cannot be had.
 */
static char *map_region(const struct trace *t)
{
	size_t len = t->pages * PAGE_SIZE;
	void *p = mmap((void *)(uintptr_t)t->base, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);

	if (p == MAP_FAILED)
		die("mmap of the region at %#" PRIx64 ": %s", t->base,
		    strerror(errno));
	if ((uintptr_t)p != t->base)
		die("the kernel put the region at %p, not %#" PRIx64
		    " (no MAP_FIXED_NOREPLACE?)", p, t->base);
	if (madvise(p, len, MADV_NOHUGEPAGE))
		die("madvise(MADV_NOHUGEPAGE): %s", strerror(errno));
	return p;
}

/*
 * run_accesses - perform the N accesses of OPS on REGION, a one-byte read
 * or write each, in order. Returns the sum of the bytes read, so that no
 * read can be left out.
 */
static uint64_t run_accesses(char *region, const uint64_t *ops, size_t n)
{
	volatile char *r = region;
	uint64_t sum = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (ops[i] & WRITE_BIT)
			r[ops[i] & ~WRITE_BIT] = (char)i;
		else
			sum += (unsigned char)r[ops[i]];
	}
	return sum;
}

/*
 * child - the run: join CGROUP (when not NULL), map the trace and the
 * region, perform the accesses and print their counters. Never returns.
 */
__attribute__((noreturn))
static void child(const char *cgroup, const struct trace *t)
{
	struct rusage before, after;
	const uint64_t *ops;
	uint64_t t0, t1, sum;
	char *region;

	if (cgroup)
		join_cgroup(cgroup);
	ops = mmap(NULL, t->n * sizeof(*ops), PROT_READ,
		   MAP_SHARED | MAP_POPULATE, t->fd, 0);
	if (ops == MAP_FAILED)
		die("mmap of the trace: %s", strerror(errno));
	region = map_region(t);
	getrusage(RUSAGE_SELF, &before);
	t0 = now_ns();
	sum = run_accesses(region, ops, t->n);
	t1 = now_ns();
	getrusage(RUSAGE_SELF, &after);
	printf("accesses %zu majflt %ld minflt %ld seconds %.3f\n", t->n,
	       after.ru_majflt - before.ru_majflt,
	       after.ru_minflt - before.ru_minflt, (double)(t1 - t0) / 1e9);
	if (fflush(stdout))
		die("stdout: %s", strerror(errno));
	_exit(sum == UINT64_MAX);	/* (never: keeps sum alive) */
}

/* main - parse the command line and the trace, run the child, report how
 * it ended. */
int main(int argc, char **argv)
{
	const char *cgroup = NULL;
	struct trace t;
	int status;
	pid_t pid;

	if (argc == 4 && !strcmp(argv[1], "--cgroup"))
		cgroup = argv[2];
	else if (argc != 2 || argv[1][0] == '-')
		die("usage: hostpressure [--cgroup DIR] TRACE");
	load_trace(argv[argc - 1], &t);
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0)
		child(cgroup, &t);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			die("waitpid: %s", strerror(errno));
	if (WIFSIGNALED(status)) {
		fprintf(stderr, "hostpressure: the run was killed by signal %d%s\n",
			WTERMSIG(status), WTERMSIG(status) == SIGKILL ?
			" (the group's OOM killer?)" : "");
		return 2;
	}
	return WEXITSTATUS(status);
}
