/*
 * bench_replay.c - the client of bench_replay.sh: writes a synthetic
 * lackey trace, and times `replay` of a trace through one ctl file.
 *
 * usage: bench_replay gen FILE REFS SPAN [SEED]
 *        bench_replay run CTL TRACE [ROUNDS]
 *        bench_replay evict CTL TRACE FRAMES POLICY
 *
 * gen writes REFS lines of lackey text to FILE, each an access of a
 * random kind (I, L, S, M, as lackey prints them) at a random address of
 * [0x10000000, 0x10000000 + SPAN): the worst case, where nearly every
 * reference misses the TLB.
 *
 * run opens CTL once, writes `replay --map TRACE` (the first round: the
 * pages are mapped, then faulted in), then `replay TRACE` ROUNDS times
 * (default 3: every page is resident, nothing is evicted), reading each
 * result back through the same file; one line per round: the seconds,
 * references per second, megabytes of trace text per second, and the
 * summary line.  Then the best of the warm rounds.  Times are wall-clock
 * (CLOCK_MONOTONIC) and include one FUSE round trip; the caller pins the
 * daemon and this client (taskset -c 0).
 *
 * evict writes `replay --map --frames FRAMES --policy POLICY TRACE` once
 * through CTL, whose process must be fresh (pages it already has stay
 * charged to its own group, outside the replay's): the trace runs in a
 * group of FRAMES frames, where every miss evicts a page to swap and
 * faults it back in.  One line: the seconds (the whole command: both
 * passes over the text), references per second, the misses (major
 * faults) and their rate, and the evictions.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "bench.h"

#define BASE	((uint64_t)0x10000000)

const char *bench_name = "bench_replay";

/* next_rand - xorshift64*: a reproducible random stream. */
static uint64_t next_rand(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dULL;
}

/* gen - write the synthetic trace (see the header comment). */
static void gen(const char *path, uint64_t refs, uint64_t span, uint64_t seed)
{
	static const char *const kinds[] = { "I ", " L", " S", " M" };
	FILE *f = fopen(path, "w");
	uint64_t i, r, s = seed | 1;

	if (!f)
		die("%s: %s", path, strerror(errno));
	for (i = 0; i < refs; i++) {
		r = next_rand(&s);
		fprintf(f, "%s %08" PRIx64 ",%d\n", kinds[r & 3],
			BASE + (r >> 16) % span, (r & 3) ? 8 : 4);
	}
	if (fclose(f))
		die("%s: %s", path, strerror(errno));
}

/* command - write cmd to the ctl fd and read its result into out; dies
 * when the command fails. */
static void command(int fd, const char *cmd, char *out, size_t size)
{
	ssize_t n;

	if (write(fd, cmd, strlen(cmd)) < 0) {
		n = read(fd, out, size - 1);
		out[n > 0 ? n : 0] = '\0';
		die("'%s': %s: %s", cmd, strerror(errno), out);
	}
	n = read(fd, out, size - 1);
	if (n < 0)
		die("reading the result of '%s': %s", cmd, strerror(errno));
	out[n] = '\0';
	out[strcspn(out, "\n")] = '\0';
}

/* round_trip - one timed replay; prints its line and returns references per
 * second. */
static double round_trip(int fd, const char *cmd, const char *label,
			 double mb)
{
	char out[512];
	uint64_t t0 = now_ns(), refs = 0;
	double s;

	command(fd, cmd, out, sizeof(out));
	s = (double)(now_ns() - t0) / 1e9;
	if (sscanf(out, "accesses %" SCNu64, &refs) != 1)
		die("'%s': unexpected result '%s'", cmd, out);
	printf("  %-6s %7.3f s %8.2f M refs/s %8.1f MB/s  %s\n", label, s,
	       (double)refs / s / 1e6, mb / s, out);
	return (double)refs / s;
}

/* run - time the replays of trace through ctl (see the header comment). */
static void run(const char *ctl, const char *trace, int rounds)
{
	char cmd[4200];
	struct stat st;
	double mb, best = 0, r;
	int fd = open(ctl, O_RDWR), i;

	if (fd < 0)
		die("%s: %s", ctl, strerror(errno));
	if (stat(trace, &st))
		die("%s: %s", trace, strerror(errno));
	mb = (double)st.st_size / 1e6;
	printf("%s: %.1f MB\n", trace, mb);
	snprintf(cmd, sizeof(cmd), "replay --map %s lackey\n", trace);
	round_trip(fd, cmd, "cold", mb);
	snprintf(cmd, sizeof(cmd), "replay %s lackey\n", trace);
	for (i = 0; i < rounds; i++) {
		r = round_trip(fd, cmd, "warm", mb);
		best = r > best ? r : best;
	}
	printf("  best warm: %.2f M refs/s\n", best / 1e6);
	close(fd);
}

/* evict - time one replay under a textbook policy in a small group (see
 * the header comment). */
static void evict(const char *ctl, const char *trace, const char *frames,
		  const char *policy)
{
	char cmd[4200], out[512];
	uint64_t t0, acc = 0, major = 0, evictions = 0;
	int fd = open(ctl, O_RDWR);
	double s;

	if (fd < 0)
		die("%s: %s", ctl, strerror(errno));
	snprintf(cmd, sizeof(cmd),
		 "replay --map --frames %s --policy %s %s lackey\n", frames,
		 policy, trace);
	t0 = now_ns();
	command(fd, cmd, out, sizeof(out));
	s = (double)(now_ns() - t0) / 1e9;
	if (sscanf(out, "accesses %" SCNu64 " hits %*u minor %*u major %"
		   SCNu64 " evictions %" SCNu64, &acc, &major,
		   &evictions) != 3 || !acc)
		die("'%s': unexpected result '%s'", cmd, out);
	printf("  %-6s %3s frames %7.3f s %8.2f M refs/s  misses %" PRIu64
	       " (%.1f%%)  evictions %" PRIu64 "\n", policy, frames, s,
	       (double)acc / s / 1e6, major, 100.0 * (double)major /
	       (double)acc, evictions);
	close(fd);
}

int main(int argc, char **argv)
{
	if (argc >= 5 && !strcmp(argv[1], "gen")) {
		gen(argv[2], strtoull(argv[3], NULL, 0),
		    strtoull(argv[4], NULL, 0),
		    argc > 5 ? strtoull(argv[5], NULL, 0) : 1);
		return 0;
	}
	if (argc >= 4 && !strcmp(argv[1], "run")) {
		run(argv[2], argv[3], argc > 4 ? atoi(argv[4]) : 3);
		return 0;
	}
	if (argc == 6 && !strcmp(argv[1], "evict")) {
		evict(argv[2], argv[3], argv[4], argv[5]);
		return 0;
	}
	fprintf(stderr, "usage: bench_replay gen FILE REFS SPAN [SEED]\n"
		"       bench_replay run CTL TRACE [ROUNDS]\n"
		"       bench_replay evict CTL TRACE FRAMES POLICY\n");
	return 2;
}
