/*
 * test_ctl.c - the ctl language without a mount: results and error texts,
 * the parser's edge cases, "a failed command changes nothing", and a
 * random grind of well- and ill-formed commands checked as it goes.
 */
#include <check.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "fs.h"
#include "render.h"
#include "machine.h"
#include "kernel/time.h"
#include "mm/page_alloc.h"
#include "mm/swap.h"
#include "mm/vmstat.h"
#include "mm/vmalloc.h"
#include "mm/pgtable.h"

static char result[CTL_RESULT_MAX];

static void boot(void)
{
	fs_boot_params = (struct boot_params){
		.mem_bytes = 64 * MB, .nr_cpus = 2, .tlb_entries = 64,
		.tlb_ways = 4, .mode = PAGING_4LEVEL,
	};
	ck_assert_int_eq(kernel_boot(&fs_boot_params), 0);
}

static void shutdown(void)
{
	assert_check();
	kernel_shutdown();
}

/* run - one write to pid's ctl (0: the machine's); its return value. */
static ssize_t run(int pid, const char *cmd)
{
	return ctl_write(pid, cmd, strlen(cmd), result, sizeof(result));
}

/* ok - the command must succeed; its result without the newline. */
static const char *ok(int pid, const char *cmd)
{
	ssize_t r = run(pid, cmd);

	ck_assert_msg(r == (ssize_t)strlen(cmd), "'%s' failed: %s", cmd, result);
	result[strcspn(result, "\n")] = '\0';
	return result;
}

/* The timing a replay or touch result ended with (" time_ns T eat_ns E"),
 * which cut_timing took off it. */
static char timing[64];

/* cut_timing - result without its timing, which goes to timing. */
static const char *cut_timing(void)
{
	char *t = strstr(result, " time_ns ");

	timing[0] = '\0';
	if (t) {
		snprintf(timing, sizeof(timing), "%s", t + 1);
		*t = '\0';
	}
	return result;
}

/* fails - the command must fail with err and say so in the result. */
static void fails(int pid, const char *cmd, int err, const char *name)
{
	char prefix[64];

	ck_assert_msg(run(pid, cmd) == -err, "%s: %s", cmd, result);
	snprintf(prefix, sizeof(prefix), "error %s: ", name);
	ck_assert_msg(!strncmp(result, prefix, strlen(prefix)),
		      "'%s': result '%s'", cmd, result);
}

/* state - every process's maps, and meminfo: what must not change. */
static char *state(void)
{
	struct seq s;
	struct list_head *l;

	seq_init(&s);
	list_for_each(l, &task_list)
		render_maps(&s, list_entry(l, struct task_struct, tasks));
	render_meminfo(&s);
	return s.buf ? s.buf : strdup("");
}

/* same_state - is the state what it was? */
static bool same_state(const char *before)
{
	char *now = state();
	bool same = !strcmp(now, before);

	free(now);
	return same;
}

START_TEST(results)
{
	char cmd[128], addr[32];
	int child, end = 0;

	boot();
	strcpy(addr, ok(1, "mmap 0 16K rw- private"));
	ck_assert_str_eq(addr, "0x7ffff7ffb000");
	snprintf(cmd, sizeof(cmd), "touch %s 16K w", addr);
	ok(1, cmd);
	ck_assert_str_eq(cut_timing(), "4");
	ck_assert_msg(sscanf(timing, "time_ns %*u eat_ns %*u.%*u%n", &end) >= 0 &&
		      end == (int)strlen(timing), "timing '%s'", timing);
	snprintf(cmd, sizeof(cmd), "touch %s 16K", addr);
	ok(1, cmd);
	ck_assert_str_eq(cut_timing(), "0");	/* 4 TLB hits of 1 ns */
	ck_assert_str_eq(timing, "time_ns 4 eat_ns 1.00");
	snprintf(cmd, sizeof(cmd), "store %s 'hi there'", addr);
	ck_assert_str_eq(ok(1, cmd), "0");
	snprintf(cmd, sizeof(cmd), "load %s 8", addr);
	ck_assert_str_eq(ok(1, cmd), "6869207468657265");
	child = atoi(ok(1, "fork"));
	ck_assert_int_eq(child, 4);	/* after kthreadd and kswapd0 */
	ck_assert_str_eq(ok(child, "exit 7"), "0");
	ck_assert_str_eq(ok(1, "wait"), "4 1792");
	ck_assert_str_eq(ok(1, "brk"), "0x555555554000");
	ck_assert_str_eq(ok(0, "check"), "ok");
	/* Several lines: each runs, the result is the last one's. */
	ck_assert_str_eq(ok(1, "brk 0x555555556000\nbrk\n"), "0x555555556000");
	/* The last result is kept for a fresh open. */
	ck_assert_str_eq(ctl_last_result(1), "0x555555556000\n");
	shutdown();
}
END_TEST

START_TEST(parser_edges)
{
	static char big[1 << 20];
	char *before;

	boot();
	before = state();
	fails(1, "", EINVAL, "EINVAL");
	fails(1, "\n", EINVAL, "EINVAL");
	fails(1, "   \t ", EINVAL, "EINVAL");
	fails(1, "store 0x1000 'open", EINVAL, "EINVAL");
	fails(1, "store 0x1000 'x'y", EINVAL, "EINVAL");
	fails(1, "mmap 0 4K rw- private extra args here", EINVAL, "EINVAL");
	fails(1, "mmap 0 0x10000000000000000 rw- private", EINVAL, "EINVAL");
	fails(1, "mmap 0 18446744073709551615G rw- private", EINVAL, "EINVAL");
	fails(1, "mmap 0 4KK rw- private", EINVAL, "EINVAL");
	fails(1, "mmap 0 -1 rw- private", EINVAL, "EINVAL");
	fails(1, "mmap 0 4K rwx- private", EINVAL, "EINVAL");
	fails(1, "mmap 0 4K rr private", EINVAL, "EINVAL");
	fails(1, "mmap 0 4K rw- private,shared", EINVAL, "EINVAL");
	fails(1, "mmap 0 4K rw- |", EINVAL, "EINVAL");
	fails(1, "touch 0x1000 0", EINVAL, "EINVAL");
	fails(1, "touch 0xffffffffffffffff 2", EINVAL, "EINVAL");
	fails(1, "load 0x1000 0", EINVAL, "EINVAL");
	fails(1, "load 0x1000 5000", EINVAL, "EINVAL");
	fails(1, "kill SIGNOTHING", EINVAL, "EINVAL");
	fails(0, "schedule 1 64", EINVAL, "EINVAL");
	fails(0, "fork", EINVAL, "EINVAL");
	ck_assert_int_eq(ctl_write(1, "fork\0x", 6, result, sizeof(result)),
			 -EINVAL);
	ck_assert_str_eq(result, "error EINVAL: ctl: NUL byte in command\n");
	memset(big, 'a', sizeof(big) - 1);
	fails(1, big, EINVAL, "EINVAL");
	/* Hex, suffixes, CRLF, quotes with blanks. */
	ck_assert_str_eq(ok(1, "mmap 0x20000000 0x1000 r-- private|fixed\r"),
			 "0x20000000");
	ck_assert_str_eq(ok(1, "munmap 0x20000000 1K"), "0");
	ck_assert_str_eq(ok(1, "mmap 0x20000000 1M --- private,fixed,noreserve"),
			 "0x20000000");
	ck_assert_str_eq(ok(1, "munmap 0x20000000 1M"), "0");
	/* mmap flags: Linux's names, and numbers for the bits it does not
	 * define (which mmap ignores); private and shared together are
	 * shared_validate, which anonymous memory refuses. */
	ck_assert_str_eq(ok(1, "mmap 0x20000000 4K rw- "
			    "private|stack|nonblock|0x200|0x100000000"),
			 "0x20000000");
	ck_assert_str_eq(ok(1, "munmap 0x20000000 4K"), "0");
	fails(1, "mmap 0 4K rw- private|0x20", EINVAL, "EINVAL");
	fails(1, "mmap 0 4K rw- private|0x4000000", EINVAL, "EINVAL");
	fails(1, "mmap 0 4K rw- shared_validate", EINVAL, "EINVAL");
	ck_assert_str_eq(result, "error EINVAL: mmap 0 4K rw- shared_validate: "
			 "shared_validate (private and shared) needs a file\n");
	ck_assert(same_state(before));
	free(before);
	shutdown();
}
END_TEST

/* The last result of a process goes when it is reaped: its pid, taken
 * again, reads nothing back.  reclaim counts what it scans and steals. */
START_TEST(results_and_reclaim)
{
	uint64_t scanned, stolen, got;
	char cmd[128];
	int child;

	boot();
	child = atoi(ok(1, "fork"));
	ok(child, "brk");
	ck_assert_str_eq(ctl_last_result(child), "0x555555554000\n");
	ok(child, "exit");
	ck_assert_str_eq(ctl_last_result(child), "0\n");
	snprintf(cmd, sizeof(cmd), "wait %d", child);
	ok(1, cmd);
	ck_assert_str_eq(ctl_last_result(child), "");
	/* A page of a host file, cached once unmapped. */
	snprintf(cmd, sizeof(cmd), "mmap 0x20000000 4K r-- private|fixed "
		 "/bin/sh");
	ok(1, cmd);
	ok(1, "touch 0x20000000 4K r");
	ok(1, "munmap 0x20000000 4K");
	scanned = vmstat.events[PGSCAN_PROACTIVE];
	stolen = vmstat.events[PGSTEAL_FILE];
	got = strtoull(ok(0, "reclaim 1"), NULL, 10);
	ck_assert_uint_eq(got, 1);
	ck_assert_uint_ge(vmstat.events[PGSCAN_PROACTIVE], scanned + got);
	ck_assert_uint_eq(vmstat.events[PGSTEAL_FILE], stolen + got);
	ck_assert_uint_eq(vmstat.events[PGSTEAL_PROACTIVE], got);
	shutdown();
}
END_TEST

/* A failing line changes nothing, and stops the write there. */
START_TEST(errors_change_nothing)
{
	static const char *const bad[] = {
		"mmap 0x10000 4K rw- private|fixed_noreplace",
		"munmap 0x7ffff7ff0001 4K",
		"mprotect 0x7ffff7ff0000 64K r--",
		"mremap 0x7ffff7ffc000 4K 64K",
		"madvise 0x7ffff7ff0000 64K dontneed",
		"mlock 0x30000000 4K",
		"brk 0x7ffff7ffc000",
		"sbrk -1G",
		"exit 300",
		"exit",
		"kill",
		"wait 2",
		"thread now",
	};
	char *before;
	size_t i;

	boot();
	ok(1, "mmap 0x10000 4K rw- private|fixed");
	ok(1, "mmap 0x7ffff7ffc000 16K rw- private|fixed");
	ok(1, "touch 0x7ffff7ffc000 16K w");
	before = state();
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		ck_assert_msg(run(1, bad[i]) < 0, "'%s' succeeded", bad[i]);
		ck_assert_msg(same_state(before), "'%s' changed state", bad[i]);
	}
	free(before);
	ck_assert_int_eq(run(1, "fork\nbogus\nfork\n"), -EINVAL);
	ck_assert_int_eq(nr_tasks, 4);
	shutdown();
}
END_TEST

/* words - the vocabulary the grind builds lines from. */
static const char *const words[] = {
	"fork", "thread", "mmap", "munmap", "mprotect", "mremap", "madvise",
	"mlock", "munlock", "brk", "sbrk", "load", "store", "touch", "exit",
	"wait", "kill", "0", "1", "4K", "16K", "1M", "0x10000", "0x7ffff7ff0000",
	"0x7ffff7ffc000", "0x555555554000", "0x555555556000", "-4K",
	"0xffffffffffffffff", "99999999999999999999", "rw-", "r--", "---",
	"none", "rwx", "private", "shared", "private|fixed", "private|populate",
	"shared|fixed", "private|locked", "anon", "maymove", "dontneed",
	"cold", "'text'", "\"two words\"", "abcd", "zz", "r", "w", "x", "KILL",
	"TERM", "17", "'", "\t", "",
};

/* next - the grind's pseudo-random numbers. */
static uint64_t next(uint64_t *seed)
{
	*seed = *seed * 6364136223846793005ULL + 1442695040888963407ULL;
	return *seed >> 33;
}

#define PICK(seed, a)	((a)[next(seed) % ARRAY_SIZE(a)])

/* random_words - 1..7 words of the vocabulary: mostly malformed. */
static void random_words(uint64_t *seed, char *line, size_t size)
{
	int n = 1 + (int)(next(seed) % 7), i;

	line[0] = '\0';
	for (i = 0; i < n; i++) {
		strncat(line, PICK(seed, words), size - strlen(line) - 2);
		strncat(line, " ", size - strlen(line) - 1);
	}
}

/* random_command - a well-formed command on addresses that are often
 * mapped: a 1 MiB window at 0x10000000 and the top of the mmap area. */
static void random_command(uint64_t *seed, char *line, size_t size)
{
	static const char *const ops[] = {
		"mmap %#llx %s %s %s", "munmap %#llx %s", "mprotect %#llx %s %s",
		"mremap %#llx %s 32K maymove", "mremap %#llx 0 %s maymove",
		"madvise %#llx %s dontneed",
		"mlock %#llx %s", "munlock %#llx %s", "touch %#llx %s w",
		"touch %#llx %s r", "store %#llx 'abc'", "load %#llx 4",
	};
	static const char *const lens[] = { "4K", "8K", "16K", "64K" };
	static const char *const prots[] = { "rw-", "r--", "---", "rwx" };
	static const char *const flags[] = {
		"private|fixed", "shared|fixed", "private", "private|populate",
		"private|fixed|locked", "shared|fixed|sync|0x200",
		"private|stack|32bit",
	};
	static const char *const simple[] = {
		"fork", "thread", "exit 3", "wait", "kill TERM", "brk",
		"sbrk 8K", "sbrk -4K",
	};
	unsigned long long addr = (next(seed) & 1 ? 0x10000000ULL :
				   0x7ffff7f00000ULL) +
				  (next(seed) % 256) * PAGE_SIZE;

	if (next(seed) % 4 == 0) {
		snprintf(line, size, "%s", PICK(seed, simple));
		return;
	}
	snprintf(line, size, PICK(seed, ops), addr, PICK(seed, lens),
		 PICK(seed, prots), PICK(seed, flags));
}

START_TEST(grind)
{
	uint64_t seed = 42 + (uint64_t)_i, free_at_boot;
	char line[256];
	int step, succeeded = 0;

	boot();
	free_at_boot = nr_free_pages();
	for (step = 0; step < 20000; step++) {
		struct list_head *l;
		int pids[64], n = 0, pid;

		list_for_each(l, &task_list)
			if (n < 64)
				pids[n++] = list_entry(l, struct task_struct,
						       tasks)->pid;
		seed = seed * 6364136223846793005ULL + 7;
		pid = (seed >> 40) % 8 == 0 ? 0 : pids[(seed >> 33) % (uint64_t)n];
		if (next(&seed) % 3)
			random_command(&seed, line, sizeof(line));
		else
			random_words(&seed, line, sizeof(line));
		if (pid == 0 && !strncmp(line, "reset", 5))
			continue;
		succeeded += run(pid, line) > 0;
		if (step % 200 == 0)
			assert_check();
	}
	/* The vocabulary makes a fair share of real work, not only errors. */
	fprintf(stderr, "grind: %d of %d lines succeeded\n", succeeded, step);
	ck_assert_int_gt(succeeded, 1000);
	assert_check();
	/* Everything but init and the kernel threads dies and is reaped: the frames
	 * they held are free again (check finds no lost frame). */
	for (;;) {
		struct list_head *l;
		int victim = 0;

		list_for_each(l, &task_list) {
			struct task_struct *t = list_entry(l, struct task_struct,
							   tasks);

			if (t->pid != 1 && !t->kthread &&
			    t->exit_state != EXIT_ZOMBIE &&
			    thread_group_leader(t))
				victim = t->pid;
		}
		if (!victim)
			break;
		snprintf(line, sizeof(line), "kill %d KILL", victim);
		ok(0, line);
	}
	while (run(1, "wait") > 0)
		;
	{
		struct list_head *l;

		list_for_each(l, &task_list) {
			struct task_struct *t = list_entry(l, struct task_struct,
							   tasks);

			ck_assert_msg(t->tgid == 1 || t->kthread,
				      "task %d (%c) survived", t->pid,
				      task_state(t));
		}
	}
	ck_assert_uint_le(nr_free_pages(), free_at_boot);
	shutdown();
}
END_TEST

/* io_of - pid's /proc/PID/io, rendered (the text lives until the next
 * call; io_of(0) frees it). */
static const char *io_of(int pid)
{
	static struct seq s;

	seq_free(&s);
	seq_init(&s);
	if (pid)
		render_io(&s, find_task_by_pid(pid));
	return s.buf;
}

/* The storage layer's reads (a host file's readahead, swap-ins) are
 * counted for the process whose command made them, its page cache
 * dirtied as written; no read or write calls exist, nothing is dropped
 * dirty.  diskstats counts the swap area's page reads and writes. */
START_TEST(io_accounting)
{
	char path[64], cmd[160], want[256];
	uint64_t pgpgin, a, f;
	struct seq disk;
	int fd, pid;

	boot();
	seq_init(&disk);
	strcpy(path, "/tmp/mmufs-test-io.XXXXXX");
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ftruncate(fd, 64 * 1024), 0);
	close(fd);
	pid = (int)strtol(ok(1, "fork"), NULL, 10);
	ck_assert_str_eq(io_of(pid), "rchar: 0\nwchar: 0\nsyscr: 0\n"
			 "syscw: 0\nread_bytes: 0\nwrite_bytes: 0\n"
			 "cancelled_write_bytes: 0\n");
	ok(0, "swapon 1M");
	snprintf(cmd, sizeof(cmd), "mmap 0 64K rw- shared %s", path);
	f = strtoull(ok(pid, cmd), NULL, 0);
	a = strtoull(ok(pid, "mmap 0 32K rw- private"), NULL, 0);
	pgpgin = vmstat.events[PGPGIN];
	snprintf(cmd, sizeof(cmd), "touch %#" PRIx64 " 8K w", f);
	ok(pid, cmd);
	snprintf(cmd, sizeof(cmd), "touch %#" PRIx64 " 32K w", a);
	ok(pid, cmd);
	snprintf(cmd, sizeof(cmd), "madvise %#" PRIx64 " 32K pageout", a);
	ok(pid, cmd);
	ck_assert_uint_eq(vmstat.events[PSWPOUT], 8);
	snprintf(cmd, sizeof(cmd), "touch %#" PRIx64 " 4K r", a);
	ok(pid, cmd);
	ck_assert_uint_gt(vmstat.events[PSWPIN], 0);
	ck_assert_uint_gt(vmstat.events[PGPGIN] - pgpgin, 1);
	snprintf(want, sizeof(want), "rchar: 0\nwchar: 0\nsyscr: 0\n"
		 "syscw: 0\nread_bytes: %" PRIu64 "\nwrite_bytes: 8192\n"
		 "cancelled_write_bytes: 0\n",
		 (vmstat.events[PGPGIN] - pgpgin) * 1024);
	ck_assert_str_eq(io_of(pid), want);
	/* A thread's I/O is its process's; pid 1 did none. */
	ck_assert_str_eq(io_of((int)strtol(ok(pid, "thread"), NULL, 10)),
			 want);
	ck_assert_ptr_nonnull(strstr(io_of(1), "read_bytes: 0\n"));
	/* The swap area's disk: its page reads and writes, 8 sectors each. */
	seq_reset(&disk);
	render_diskstats(&disk);
	snprintf(want, sizeof(want), "   1       0 swap0 %" PRIu64 " 0 %" PRIu64
		 " 0 %" PRIu64 " 0 %" PRIu64 " 0 0 0 0 0 0 0 0 0 0\n",
		 vmstat.events[PSWPIN], vmstat.events[PSWPIN] * 8,
		 vmstat.events[PSWPOUT], vmstat.events[PSWPOUT] * 8);
	ck_assert_str_eq(disk.buf, want);
	seq_free(&disk);
	io_of(0);
	unlink(path);
	shutdown();
}
END_TEST

/* trace_file - a fresh file under /tmp holding text (len bytes), its
 * path in path (64 bytes). */
static void trace_file(char *path, const char *text, size_t len)
{
	int fd;

	strcpy(path, "/tmp/mmufs-test-trace.XXXXXX");
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, len), (ssize_t)len);
	close(fd);
}

/* replay_text - the result of `replay ARGS FILE` of a file holding text;
 * with einval, the command must fail with EINVAL, and the result is what
 * follows the file's name in the error. */
static const char *replay_text(const char *text, const char *args,
			       bool einval)
{
	char path[64], cmd[160];
	const char *after;

	trace_file(path, text, strlen(text));
	snprintf(cmd, sizeof(cmd), "replay %s%s%s", args, *args ? " " : "",
		 path);
	if (einval) {
		fails(1, cmd, EINVAL, "EINVAL");
		after = strstr(result, path) + strlen(path);
		memmove(result, after, strlen(after) + 1);
	} else {
		ok(1, cmd);
	}
	unlink(path);
	result[strcspn(result, "\n")] = '\0';
	return cut_timing();
}

/* Every form of a lackey line that replay takes (and the pages 0x10000,
 * 0x10001 and 0x10002: --map makes them one mapping). */
static const char lackey_forms[] =
	"==1== Lackey\n"
	"\n"
	"I  10000000,4\n"		/* valgrind's forms */
	" L 10000008,8\n"
	" S 10000010,16\n"
	" M 10000018,8\n"		/* two references */
	" I 10000020,4\n"		/* a blank and I */
	" L 0x10000028,8\n"		/* 0x */
	" S 1000002C,4\n"		/* capitals */
	" L   10000030,2\n"		/* blanks */
	" L 10000034,4\r\n"		/* CRLF */
	" L 10000038,4 and text\n"
	" L 1000003c,0\n"		/* size 0: one byte */
	" L 000000000000000000010000040,8\n"
	" L 10000ffc,99999999999999999999\n"	/* a page at most: 2 pages */
	"I  10002000,4";		/* no '\n' at the end */

START_TEST(replay_lines)
{
	static const char *const bad[] = {
		"I  10000000\n", "I  1000000g,4\n", "I  ,4\n", " X 10000000,4\n",
		"L 10000000,4\n", " L10000000,4\n", "I  10000000,4x\n",
		"I  10000000,\n", "I  11112222333344445,4\n", " \n", "I\n",
	};
	char text[128];
	size_t i;

	/* Four faults (a fetch, a store, the second page and the third); a
	 * fault is two TLB misses, the store's first lookup a hit. */
	boot();
	ck_assert_str_eq(replay_text(lackey_forms, "--map", false), "accesses 15 "
			 "hits 11 minor 4 major 0 evictions 0 tlb_hits 13 tlb_misses 7");
	ck_assert_str_eq(replay_text(lackey_forms, "", false), "accesses 15 hits 15 "
			 "minor 0 major 0 evictions 0 tlb_hits 16 tlb_misses 0");
	/* 16 TLB hits at 1 ns each: 15 accesses, one across a page. */
	ck_assert_int_eq(sim_costs.tlb_hit, 1);
	ck_assert_str_eq(timing, "time_ns 16 eat_ns 1.06");
	ck_assert_str_eq(replay_text(lackey_forms, "--map", false), "accesses 15 "
			 "hits 15 minor 0 major 0 evictions 0 tlb_hits 16 tlb_misses 0");
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		snprintf(text, sizeof(text), "I  10000000,4\n%s", bad[i]);
		ck_assert_str_eq(replay_text(text, "", true),
				 ": line 2: not a lackey access");
	}
	ck_assert_str_eq(replay_text("# R|W|X ADDR\n\n"
				     "R 0x10000000\n"
				     " W\t268435464 and text\n"
				     "X 256M\n", "", 0),
			 "accesses 3 hits 3 minor 0 major 0 evictions 0 tlb_hits 3 "
			 "tlb_misses 0");
	ck_assert_str_eq(replay_text("R 1\nR0x10\n", "", true),
			 ": line 2: not a R|W|X ADDR access");
	ck_assert_str_eq(replay_text("R 1\nR 0x1z\n", "", true),
			 ": line 2: not a R|W|X ADDR access");
	shutdown();
}
END_TEST

/* A trace is read in chunks of 256 KiB: lines across their boundaries
 * count once, the line numbers go on, and a line must fit in one. */
START_TEST(replay_chunks)
{
	static const char line[] = "I  10000000,4\n";
	size_t n = 40000, len = strlen(line), i;
	char *text = malloc(n * len + 300001);

	ck_assert_ptr_nonnull(text);
	for (i = 0; i < n; i++)
		memcpy(text + i * len, line, len);
	text[n * len] = '\0';
	boot();
	ck_assert_str_eq(replay_text(text, "--map", false), "accesses 40000 "
			 "hits 39999 minor 1 major 0 evictions 0 tlb_hits 39999 "
			 "tlb_misses 2");
	strcpy(text + n * len, " Q 10000000,4\n");
	ck_assert_str_eq(replay_text(text, "", true),
			 ": line 40001: not a lackey access");
	memset(text + len, 'x', 300000);
	text[len + 300000] = '\0';
	ck_assert_str_eq(replay_text(text, "", true),
			 ": line 2: longer than 256 KiB");
	free(text);
	shutdown();
}
END_TEST

/* swapon and swapoff: the area numbers, the priorities they get, the
 * names swapoff takes, and each refusal's text; priority -1 is the
 * default one, and no other number stands for it (2^64 - 1 did). */
START_TEST(swapon_swapoff)
{
	static const struct { const char *cmd, *text; } bad[] = {
		{ "swapon 1M 0xffffffffffffffff", "priority must be -1..32767" },
		{ "swapon 1M 32768", "priority must be -1..32767" },
		{ "swapon 1M -2", "bad priority '-2'" },
		{ "swapon 36K", "a swap area needs at least 10 pages (40 KiB)" },
		{ "swapoff /dev/swapx", "bad swap area '/dev/swapx' (a number, "
		  "swapN or /dev/swapN)" },
		{ "swapoff swap3", "no swap area 3" },
		{ "swapoff 24", "no swap area 24" },
	};
	char want[256];

	boot();
	ck_assert_str_eq(ok(0, "swapon 1M"), "0");
	ck_assert_str_eq(ok(0, "swapon 1M 5"), "1");
	ck_assert_str_eq(ok(0, "swapon 2M -1"), "2");
	ck_assert_int_eq(swap_info[0]->prio, -2);
	ck_assert_int_eq(swap_info[1]->prio, 5);
	ck_assert_int_eq(swap_info[2]->prio, -3);
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		char *before = state();

		fails(0, bad[i].cmd, EINVAL, "EINVAL");
		snprintf(want, sizeof(want), "error EINVAL: %s: %s\n",
			 bad[i].cmd, bad[i].text);
		ck_assert_str_eq(result, want);
		ck_assert(same_state(before));
		free(before);
	}
	ck_assert_ptr_null(swap_info[3]);
	ck_assert_str_eq(ok(0, "swapoff swap1"), "0");
	ck_assert_str_eq(ok(0, "swapoff /dev/swap0"), "0");
	ck_assert_int_eq(swap_info[2]->prio, -2);
	ck_assert_str_eq(ok(0, "swapoff 2"), "0");
	ck_assert_uint_eq(total_swap_pages, 0);
	shutdown();
}
END_TEST

/* text_of - a machine file's text, rendered now (the caller frees it). */
static char *text_of(void (*fn)(struct seq *))
{
	struct seq s;

	seq_init(&s);
	fn(&s);
	return s.buf ? s.buf : strdup("");
}

/* dmesg_untimed - dmesg, rendered now, without the "[SSSSS.UUUUUU] "
 * timestamp every line must begin with (the caller frees it). */
static char *dmesg_untimed(void)
{
	char *t = text_of(render_dmesg), *in = t, *out = t;

	while (*in) {
		char *end = strchr(in, ']');

		ck_assert_msg(in[0] == '[' && end && end[1] == ' ' &&
			      end - in == 13 && end[-7] == '.',
			      "untimed dmesg line: %s", in);
		in = end + 2;
		while (*in && *in != '\n')
			*out++ = *in++;
		if (*in)
			*out++ = *in++;
	}
	*out = '\0';
	return t;
}

/* frame_text - frames/<pfn>, rendered now (the caller frees it). */
static char *frame_text(uint64_t pfn)
{
	struct seq s;

	seq_init(&s);
	render_frame(&s, pfn);
	return s.buf ? s.buf : strdup("");
}

/* vmalloc and vfree: first fit with a guard page, vmallocinfo, meminfo's
 * VmallocUsed, frames/, the mapping in init_mm, and each refusal's text
 * with nothing changed. */
/* The vmalloc area at boot (2 CPUs, x86-64): the kernel stacks of init,
 * kthreadd and kswapd0, 16 KiB each, aligned to 16 KiB, a guard page
 * after each (VMAP_STACK). */
#define STACK_LINE(start, end) "0xffffc900000" start "-0xffffc900000" end \
	"   20480 kernel_clone+0x0/0x0 pages=4 vmalloc N0=4\n"
#define BOOT_STACKS_0 STACK_LINE("00000", "05000")
#define BOOT_STACKS_1 STACK_LINE("08000", "0d000") STACK_LINE("10000", "15000")

START_TEST(vmalloc_vfree)
{
	static const struct { const char *cmd, *text; int err; } bad[] = {
		{ "vmalloc 0", "size is 0", EINVAL },
		{ "vmalloc 0xffffffffffffffff", "larger than the vmalloc area",
		  ENOMEM },
		{ "vmalloc 0x400000000000", "larger than the vmalloc area", ENOMEM },
		{ "vfree 0x1234", "0x1234 is not the start of a vmalloc area",
		  EINVAL },
		{ "vfree 0xffffc90000001000", "0xffffc90000001000 is not the "
		  "start of a vmalloc area", EINVAL },
		{ "vfree 0xffffc90000000000", "0xffffc90000000000 is an area of "
		  "kernel_clone", EINVAL },
	};
	uint64_t free0, pfn;
	char want[256], *t;
	struct pte_ref r;

	boot();
	/* The direct map's tables come from the image's end, clear of the
	 * zero page, swapper_pg_dir and the vDSO. */
	pfn = pte_pfn(pte_read((struct pte_ref){ swapper_pgd, 273 }));
	ck_assert_uint_eq(pfn, kernel_image_end - 1);
	ck_assert_uint_ge(pfn, kernel_image_start + KERNEL_IMAGE_LOW_PAGES);
	free0 = nr_free_drained();
	t = text_of(render_vmallocinfo);
	ck_assert_str_eq(t, BOOT_STACKS_0 BOOT_STACKS_1);
	free(t);
	/* First fit: after the stacks, then in the hole after init's. */
	ck_assert_str_eq(ok(0, "vmalloc 64K"), "0xffffc90000015000");
	ck_assert_str_eq(ok(0, "vmalloc 4K"), "0xffffc90000005000");
	ck_assert_uint_eq(vmalloc_nr_pages(), 17 + 12);
	t = text_of(render_vmallocinfo);
	ck_assert_str_eq(t, BOOT_STACKS_0 "0xffffc90000005000-0xffffc90000007000"
			 "    8192 vmalloc_cmd+0x0/0x0 pages=1 vmalloc N0=1\n"
			 BOOT_STACKS_1 "0xffffc90000015000-0xffffc90000026000"
			 "   69632 vmalloc_cmd+0x0/0x0 pages=16 vmalloc N0=16\n");
	free(t);
	t = text_of(render_meminfo);
	ck_assert_ptr_nonnull(strstr(t, "\nVmallocTotal:   34359738367 kB\n"
				     "VmallocUsed:         116 kB\n"));
	ck_assert_ptr_nonnull(strstr(t, "\nKernelStack:          48 kB\n"));
	free(t);
	/* Mapped once in init_mm, supervisor-only, global; the guard not. */
	ck_assert_int_eq(walk_pte(&init_mm, 0xffffc90000024000ULL, false, &r),
			 0);
	pfn = pte_pfn(pte_read(r));
	ck_assert_uint_eq(pte_read(r) & (_PAGE_USER | _PAGE_GLOBAL),
			  _PAGE_GLOBAL);
	ck_assert_int_eq(walk_pte(&init_mm, 0xffffc90000025000ULL, false, &r),
			 0);
	ck_assert_uint_eq(pte_read(r), 0);
	t = frame_text(pfn);
	ck_assert_ptr_nonnull(strstr(t, "state: vmalloc (page 15 of the area "
				     "at 0xffffc90000015000, mapped at "
				     "0xffffc90000024000 in init_mm)\n"));
	ck_assert_ptr_nonnull(strstr(t, "mapcount: 0"));
	free(t);
	assert_check();
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		char *before = state();

		fails(0, bad[i].cmd, bad[i].err,
		      bad[i].err == EINVAL ? "EINVAL" : "ENOMEM");
		snprintf(want, sizeof(want), "error %s: %s: %s\n",
			 bad[i].err == EINVAL ? "EINVAL" : "ENOMEM",
			 bad[i].cmd, bad[i].text);
		ck_assert_str_eq(result, want);
		ck_assert(same_state(before));
		free(before);
	}
	fails(0, "vmalloc 1G", ENOMEM, "ENOMEM");
	ck_assert_uint_eq(vmalloc_nr_pages(), 17 + 12);
	/* First fit: the freed range is taken again. */
	ck_assert_str_eq(ok(0, "vfree 0xffffc90000015000"), "0");
	t = frame_text(pfn);
	ck_assert_ptr_nonnull(strstr(t, "state: free"));
	free(t);
	ck_assert_str_eq(ok(0, "vmalloc 8K"), "0xffffc9000000d000");
	ck_assert_str_eq(ok(0, "vfree 0xffffc9000000d000"), "0");
	ck_assert_str_eq(ok(0, "vfree 0xffffc90000005000"), "0");
	ck_assert_uint_eq(vmalloc_nr_pages(), 12);
	/* Every frame back (the stacks made the PD and PT at boot), once
	 * the areas' empty slabs (vmap_area, kmalloc) are returned. */
	ck_assert_uint_eq(free_pages_after_exit(), free0);
	t = text_of(render_vmallocinfo);
	ck_assert_str_eq(t, BOOT_STACKS_0 BOOT_STACKS_1);
	free(t);
	shutdown();
}
END_TEST

/* i386: a vmalloc that makes a page table reaches every page directory
 * (arch_sync_kernel_mappings), or, with vmalloc_fault, only init_mm's. */
START_TEST(vmalloc_i386)
{
	for (int lazy = 0; lazy < 2; lazy++) {
		struct task_struct *c;
		unsigned int idx = 0xc4800000U >> 22;
		pte_t k;

		fs_boot_params = (struct boot_params){
			.mem_bytes = 64 * MB, .nr_cpus = 1, .tlb_entries = 64,
			.tlb_ways = 4, .mode = PAGING_2LEVEL,
			.vmalloc_fault = lazy,
		};
		ck_assert_int_eq(kernel_boot(&fs_boot_params), 0);
		ck_assert_str_eq(ok(0, "vmalloc 4K"), "0xc4800000");
		k = pte_read((struct pte_ref){ swapper_pgd, idx });
		ck_assert(k & _PAGE_PRESENT);
		ck_assert_uint_eq(pte_read((struct pte_ref){
			init_task()->mm->pgd, idx }), lazy ? 0 : k);
		c = fork_of(init_task());
		ck_assert_uint_eq(pte_read((struct pte_ref){ c->mm->pgd, idx }),
				  k);
		if (lazy) {
			/* A kernel-mode load in init's address space misses
			 * the entry: #PF, vmalloc_fault copies it, the load
			 * is retried and reads the area's zeroed page. */
			struct cpu *cpu = task_cpu_get(init_task());
			uint64_t word = 1;

			ck_assert_uint_eq(cpu->cr3, init_task()->mm->pgd);
			ck_assert_int_eq(cpu_read(cpu, 0xc4800ff8U, &word,
						  sizeof(word), ACC_READ), 0);
			ck_assert_uint_eq(word, 0);
			ck_assert_uint_eq(pte_read((struct pte_ref){
				init_task()->mm->pgd, idx }), k);
			ck_assert_uint_eq(
				vmstat.events[MMUFS_VMALLOC_FAULT], 1);
			/* Nothing more to copy now. */
			ck_assert_int_ne(vmalloc_fault(cpu->cr3, 0xc4800000U),
					 0);
		}
		/* i386's stacks are order-1 blocks in the direct map. */
		{
			uint64_t spfn = (init_task()->stack - page_offset()) >>
					PAGE_SHIFT;
			char *t = frame_text(spfn + 1);

			ck_assert_ptr_nonnull(strstr(t, "state: kernel stack "
						     "(pid 1)\n"));
			free(t);
		}
		assert_check();
		ck_assert_str_eq(ok(0, "vfree 0xc4800000"), "0");
		shutdown();
	}
}
END_TEST

/* kthread: a kernel thread's kernel-mode loads and stores through the
 * direct map and a vmalloc area, a refused store, and the oops that
 * kills it: logged, traced, the machine consistent, every frame back. */
START_TEST(kthread_oops)
{
	uint64_t free0, word = 0x1122334455667788ULL;
	struct task_struct *k;
	char cmd[96], *t;
	int pid;

	boot();
	free0 = nr_free_drained();
	fails(0, "kthread 0123456789abcdef", EINVAL, "EINVAL");
	pid = atoi(ok(0, "kthread kt"));
	k = find_task_by_pid(pid);
	ck_assert(k && k->kthread && !k->mm && k->real_parent->pid == 2);
	fails(pid, "fork", EINVAL, "EINVAL");
	fails(2, "load 0xffff888000000000", EPERM, "EPERM");
	/* The direct map: physical address 0x200000 is RAM's. */
	phys_write(&hw.mem, 0x200000, &word, sizeof(word));
	ck_assert_str_eq(ok(pid, "load 0xffff888000200000 8"),
			 "8877665544332211");
	ck_assert_str_eq(ok(pid, "store 0xffff888000200000 'ab'"), "0");
	phys_read(&hw.mem, 0x200000, &word, 2);
	ck_assert_uint_eq(word & 0xffff, 0x6261);
	fails(pid, "store 0xffff888000101000 00", EPERM, "EPERM");
	ck_assert_str_eq(ok(0, "vmalloc 4K"), "0xffffc90000005000");
	ck_assert_str_eq(ok(pid, "store 0xffffc90000005ffe 'xy'"), "0");
	ck_assert_str_eq(ok(pid, "load 0xffffc90000005ffe 2"), "7879");
	assert_check();
	/* The guard page: an oops. */
	fails(pid, "load 0xffffc90000006000", EFAULT, "EFAULT");
	ck_assert_ptr_null(find_task_by_pid(pid));
	t = dmesg_untimed();
	ck_assert_ptr_nonnull(strstr(t, "BUG: unable to handle page fault for "
				     "address: ffffc90000006000\n#PF: supervisor "
				     "read access in kernel mode\n#PF: "
				     "error_code(0x0000) - not-present page\n"));
	snprintf(cmd, sizeof(cmd), "Oops: 0000 [#1] SMP NOPTI\nCPU: 0 PID: "
		 "%d Comm: kt\n", pid);
	ck_assert_ptr_nonnull(strstr(t, cmd));
	free(t);
	assert_check();
	ck_assert_str_eq(ok(0, "vfree 0xffffc90000005000"), "0");
	/* Every frame back, the thread's stack too (and the areas' empty
	 * slabs). */
	ck_assert_uint_eq(free_pages_after_exit(), free0);
	shutdown();
}
END_TEST

static Suite *ctl_suite(void)
{
	Suite *s = suite_create("ctl");
	TCase *tc;

	tc = tcase_create("language");
	tcase_add_test(tc, results);
	tcase_add_test(tc, parser_edges);
	tcase_add_test(tc, errors_change_nothing);
	tcase_add_test(tc, results_and_reclaim);
	tcase_add_test(tc, io_accounting);
	tcase_add_test(tc, replay_lines);
	tcase_add_test(tc, replay_chunks);
	tcase_add_test(tc, swapon_swapoff);
	tcase_add_test(tc, vmalloc_vfree);
	tcase_add_test(tc, vmalloc_i386);
	tcase_add_test(tc, kthread_oops);
	suite_add_tcase(s, tc);
	tc = tcase_create("grind");
	tcase_set_timeout(tc, 300);
	tcase_add_loop_test(tc, grind, 0, 2);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(ctl_suite());
}
