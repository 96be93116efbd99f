/*
 * fuzz_mmufs.c - the libFuzzer target (LLVMFuzzerTestOneInput): every
 * input boots a fresh machine (24 MiB, so zones DMA and DMA32; 2 CPUs
 * with a 16:4 TLB each; init an empty address space with only a stack),
 * runs the operations the input names, runs the invariant checker
 * (mm_check) after each one that may change the machine and at the end,
 * aborts when it reports anything, then shuts the machine down.  Every
 * input thus starts from the same state, and a crash file reproduces on
 * its own.
 *
 * An input is text, one operation per line (at most MAX_OPS of them; the
 * rest is ignored, as are lines longer than MAX_LINE):
 *
 *   B [i386] [vmfault] [highmem] [legacy] [pcid] [cpus=N] [nodes=N]
 *     [mem=SIZE] [swap=SIZE]
 *                          first line only: boot options (2-level paging,
 *                          with i386 the lazy vmalloc_fault sync and
 *                          HIGHMEM_MEM of RAM, 128 MiB above lowmem,
 *                          bottom-up mmap layout, PCIDs, 1..4 CPUs, 2 or 3
 *                          NUMA nodes when RAM gives each 16 MiB, RAM of
 *                          MIN_MEM..MAX_MEM, a swap area of at most
 *                          MAX_SWAP at boot, as --swap makes one: with
 *                          less RAM than an input may touch, reclaim and
 *                          swap-in run); without it the defaults above
 *   PID: COMMANDS          one write of COMMANDS to /PID/ctl (PID decimal);
 *                          PID becomes the current pid
 *   M: COMMANDS            one write to the machine's ctl
 *   .: COMMANDS            to the current pid's ctl (pid 1 at first)
 *   +: COMMANDS            to the newest task's ctl; it becomes current
 *   R ADDR LEN             read LEN bytes of the current pid's mem at ADDR
 *   W ADDR HEX|'TEXT'      write bytes to the current pid's mem at ADDR
 *   P OFF LEN              read the current pid's pagemap
 *   K OFF LEN, C OFF LEN   read kpageflags, kpagecount
 *   F PATH [OFF [LEN]]     stat and read a file of the tree through the
 *                          library the FUSE layer calls (node_getattr,
 *                          file_open, file_read); /ctl and /PID/ctl give
 *                          the last result
 *   S NAME VALUE           write VALUE to /sys/vm/NAME (every sysctl:
 *                          swappiness, page-cluster, mmufs_reclaim_policy,
 *                          mmufs_reclaim_seed...)
 *   V PATH TEXT|'TEXT'     one write of TEXT (escapes decoded) at offset
 *                          0 to a file of the tree, opened write-only as
 *                          a writer does (file_open, file_write): the
 *                          cgroup files (cgroup.procs, memory.max,
 *                          memory.high, memory.swap.max, memory.reclaim),
 *                          oom_score_adj, vtop, the sysctls; not a ctl file
 *                          (the ctl lines above filter what they send)
 *   D PATH, U PATH         mkdir and rmdir of PATH, as the FUSE layer
 *                          calls them (node_mkdir, node_rmdir): memory
 *                          groups below /cgroup
 *   A                      read every text file of the tree, walking it
 *                          with dir_read (every task's, the machine's,
 *                          every cpuN/tlb), and a sample of frames/
 *   T                      a non-blocking read of trace_pipe
 *   # ...                  a comment (blank lines are skipped too)
 *
 * Numbers are the ctl language's (decimal, 0x hex, K/M/G); a LEN is
 * clamped to MAX_RW bytes, offsets are taken as they are.  In COMMANDS
 * (and W's text) backslash escapes give any byte: \n (so one write holds
 * several command lines), \t, \r, \0, \\, \xHH, and \{N} repeats the
 * previous byte N more times (N <= 256K: exec's E2BIG needs one long
 * argument).
 *
 * To keep an input far below a second, ctl lines that would run for long
 * are not sent: a touch, mlock, madvise willneed, mremap, vmalloc or a
 * populating or locked mmap of more than SLOW_LEN bytes, or of more than is left of
 * WORK_BUDGET, which all of an input's such lines share; nor a swapon of
 * more than MAX_SWAP bytes (the checker counts every slot after each
 * operation).  (A length of
 * HUGE_LEN or more fails at once and is sent, except to touch and
 * madvise, which act on what is mapped before they fail.)  To keep the host out of
 * reach, neither are lines naming /dev, /proc, /sys or /run, nor a replay
 * (with or without --map) of a relative path (a replay of /dev/zero or of
 * a FIFO would never end).  At start-up the target writes
 * the host files the corpus names into FUZZ_DIR: `data` (three pages and
 * 100 bytes, mode 0644), `script` (an executable that is not ELF),
 * `trace.simple`, `trace.lackey` and `trace.bad` (access traces),
 * `trace.map` (a lackey trace for --map: runs of pages, an access across
 * two pages, init's stack) and `trace.far` (one with a page --map cannot
 * map, past TASK_SIZE), and `sock` (a socket, which cannot be opened).
 */
#define _GNU_SOURCE		/* memmem */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include "fs.h"
#include "parse.h"
#include "render.h"
#include "kernel/kernel.h"
#include "mm/mm.h"
#include "mm/page.h"
#include "mm/page_alloc.h"

#define FUZZ_DIR	"/tmp/mmufs-fuzz"
#define MAX_OPS		64
#define MAX_LINE	4096
#define MAX_RW		(64 * 1024)
#define MAX_REPEAT	(256 * 1024)
#define MAX_PAYLOAD	(MAX_LINE + 2 * MAX_REPEAT)
#define SLOW_LEN	(2ULL << 20)	/* the most one ctl line may touch */
#define WORK_BUDGET	(32ULL << 20)	/* and all the lines of an input */
#define HUGE_LEN	(1ULL << 47)	/* more than any address space */
#define FRAME_SAMPLE	61	/* A renders every 61st frame */
#define MIN_MEM		(4ULL << 20)	/* B mem=: the RAM allowed */
#define MAX_MEM		(64ULL << 20)
#define HIGHMEM_MEM	(1ULL << 30)	/* B i386 highmem: ZONE_HIGHMEM */
#define MAX_SWAP	(64ULL << 20)	/* B swap= and swapon: the most */
#define SWAP_TOO_BIG	(64ULL << 30)	/* swapon fails at once above it */

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The state of one input being run. */
struct fuzz {
	int cur;			/* the current pid */
	char *payload;			/* decoded ctl text (MAX_PAYLOAD) */
	char *buf;			/* mem/pagemap/kpage reads (MAX_RW) */
	char result[CTL_RESULT_MAX];
};

static char report[65536];
static bool verbose;		/* MMUFS_FUZZ_VERBOSE set: print each ctl result */
static uint64_t work_left;	/* of WORK_BUDGET, for this input */

/* ---- host files ---- */

/* put_file - write a file atomically (several fuzzing processes may start
 * at once): a temporary name, then rename.  Exits on failure. */
static void put_file(const char *name, const void *data, size_t len,
		     mode_t mode)
{
	char path[256], tmp[300];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", FUZZ_DIR, name);
	snprintf(tmp, sizeof(tmp), "%s.%d", path, (int)getpid());
	f = fopen(tmp, "w");
	if (!f || fwrite(data, 1, len, f) != len || fclose(f) ||
	    chmod(tmp, mode) || rename(tmp, path)) {
		perror(path);
		exit(1);
	}
}

/* put_socket - a socket node at FUZZ_DIR/name: bound, then closed (the
 * node stays; one that exists already is kept).  Exits on failure. */
static void put_socket(const char *name)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s/%s", FUZZ_DIR, name);
	if (fd < 0 || (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) &&
		       errno != EADDRINUSE)) {
		perror(sun.sun_path);
		exit(1);
	}
	close(fd);
}

/* make_host_files - FUZZ_DIR and the files the corpus maps, execs and
 * replays (see the header comment). */
static void make_host_files(void)
{
	static const char simple[] =
		"# R|W|X ADDR: init's stack\n"
		"R 0x7fffffffe000\nW 0x7fffffffd008\nR 0x7fffffffd010\n";
	static const char lackey[] =
		"==1== lackey\n I  0x10000000,4\n"
		" L 0x7fffffffe000,8\n S 0x7fffffffd000,4\n M 0x7fffffffc000,8\n";
	static const char bad[] = "R 0x7fffffffe000\nQ 12\n";
	static const char map[] =
		"==1== lackey\nI  10000000,4\n S 10001ffc,8\n"
		" M 10002000,8\n L 20000ff8,16\n L 7fffffffe000,8\n";
	static const char far[] = " L 30000000,4\n L 7ffffffffff8,16\n";
	static const char script[] = "#!/bin/sh\necho not an ELF file\n";
	static char data[3 * 4096 + 100];
	size_t i;

	if (mkdir(FUZZ_DIR, 0755) && errno != EEXIST) {
		perror(FUZZ_DIR);
		exit(1);
	}
	for (i = 0; i < sizeof(data); i++)
		data[i] = (char)('a' + i % 26);
	put_file("data", data, sizeof(data), 0644);
	put_file("script", script, sizeof(script) - 1, 0755);
	put_file("trace.simple", simple, sizeof(simple) - 1, 0644);
	put_file("trace.lackey", lackey, sizeof(lackey) - 1, 0644);
	put_file("trace.bad", bad, sizeof(bad) - 1, 0644);
	put_file("trace.map", map, sizeof(map) - 1, 0644);
	put_file("trace.far", far, sizeof(far) - 1, 0644);
	put_socket("sock");
}

/* __ubsan_default_options - UBSan's hook for its defaults: a report is a
 * crash, as an ASan one is (UBSAN_OPTIONS in the environment still
 * override it). */
const char *__ubsan_default_options(void);
const char *__ubsan_default_options(void)
{
	return "halt_on_error=1:print_stacktrace=1";
}

/* LLVMFuzzerInitialize - once per process, before the first input. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	make_host_files();
	verbose = getenv("MMUFS_FUZZ_VERBOSE") != NULL;
	render_uid = getuid();
	render_gid = getgid();
	return 0;
}

/* ---- boot and check ---- */

/* size_word - the value of "NAME=SIZE" in line (a ctl number), if the
 * word is there, parses and lies in [min, max]: rounded down to a page. */
static bool size_word(const char *line, const char *name, uint64_t min,
		      uint64_t max, uint64_t *v)
{
	const char *w = strstr(line, name);
	char tok[32];

	if (!w || sscanf(w + strlen(name), "%31s", tok) != 1 ||
	    !parse_num(tok, v) || *v < min || *v > max)
		return false;
	*v &= ~(uint64_t)(PAGE_SIZE - 1);
	return true;
}

/* boot_line - the boot parameters of a "B ..." first line (unknown words
 * and sizes out of bounds are ignored); p has the defaults. */
static void boot_line(const char *line, struct boot_params *p)
{
	uint64_t v;

	if (strstr(line, "i386"))
		p->mode = PAGING_2LEVEL;
	if (strstr(line, "legacy"))
		p->legacy_layout = true;
	if (strstr(line, "pcid"))
		p->pcid = true;
	if (strstr(line, "vmfault") && p->mode == PAGING_2LEVEL)
		p->vmalloc_fault = true;
	if (strstr(line, "cpus=1"))
		p->nr_cpus = 1;
	if (strstr(line, "cpus=3"))
		p->nr_cpus = 3;
	if (strstr(line, "cpus=4"))
		p->nr_cpus = 4;
	if (size_word(line, "mem=", MIN_MEM, MAX_MEM, &v))
		p->mem_bytes = v;
	if (strstr(line, "highmem") && p->mode == PAGING_2LEVEL)
		p->mem_bytes = HIGHMEM_MEM;
	if (size_word(line, "swap=", 40 << 10, MAX_SWAP, &v))
		p->swap_bytes = v;
	for (int n = 2; n <= 3; n++) {
		char word[16];

		snprintf(word, sizeof(word), "nodes=%d", n);
		if (strstr(line, word) &&
		    p->mem_bytes >> PAGE_SHIFT >= n * NODE_MIN_PAGES)
			p->nr_nodes = n;
	}
}

/* boot - power on the machine for one input: the defaults, or those of a
 * first line starting with "B".  Aborts if it does not boot. */
static void boot(const uint8_t *data, size_t size)
{
	struct boot_params p = {
		.mem_bytes = 24ULL << 20, .nr_cpus = 2, .tlb_entries = 16,
		.tlb_ways = 4, .mode = PAGING_4LEVEL,
	};
	char line[128];
	const uint8_t *nl = size ? memchr(data, '\n', size) : NULL;
	size_t n = nl ? (size_t)(nl - data) : size;

	if (size && data[0] == 'B' && n < sizeof(line)) {
		memcpy(line, data, n);
		line[n] = '\0';
		boot_line(line, &p);
	}
	fs_boot_params = p;
	if (kernel_boot(&p)) {
		fprintf(stderr, "fuzz: the machine does not boot\n");
		abort();
	}
}

/* check_or_die - the invariant checker finds nothing, or abort with the
 * operation that broke it and the report. */
static void check_or_die(const char *line, size_t len)
{
	int n = mm_check(report, sizeof(report));

	if (n == 0)
		return;
	fprintf(stderr, "fuzz: %d broken invariants after '%.*s':\n%s\n", n,
		(int)MIN(len, 200), line, report);
	abort();
}

/* ---- decoding ---- */

/* hexval - the value of a hex digit, or -1. */
static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* repeat - the escape \{N} at s[i] (after the backslash): appends N copies
 * of the last byte of out.  Returns the bytes of s consumed, or 0 if the
 * escape is malformed or does not fit. */
static size_t repeat(const char *s, size_t n, size_t i, char *out,
		     size_t *o, size_t cap)
{
	size_t j = i + 1, count = 0;

	while (j < n && s[j] >= '0' && s[j] <= '9' && count <= MAX_REPEAT)
		count = count * 10 + (size_t)(s[j++] - '0');
	if (j >= n || s[j] != '}' || j == i + 1 || count > MAX_REPEAT ||
	    *o == 0 || *o + count > cap)
		return 0;
	memset(out + *o, out[*o - 1], count);
	*o += count;
	return j + 1 - i;
}

/* unescape - decode s[0..n) with the escapes of the header comment into
 * out (cap bytes); returns the length.  A malformed escape stands for
 * itself. */
static size_t unescape(const char *s, size_t n, char *out, size_t cap)
{
	size_t i = 0, o = 0, used;

	while (i < n && o < cap) {
		char c = s[i++];

		if (c != '\\' || i == n) {
			out[o++] = c;
			continue;
		}
		switch (s[i]) {
		case 'n': out[o++] = '\n'; i++; continue;
		case 't': out[o++] = '\t'; i++; continue;
		case 'r': out[o++] = '\r'; i++; continue;
		case '0': out[o++] = '\0'; i++; continue;
		case '\\': out[o++] = '\\'; i++; continue;
		case 'x':
			if (i + 2 < n && hexval(s[i + 1]) >= 0 &&
			    hexval(s[i + 2]) >= 0) {
				out[o++] = (char)(hexval(s[i + 1]) * 16 +
						  hexval(s[i + 2]));
				i += 3;
				continue;
			}
			break;
		case '{':
			used = repeat(s, n, i, out, &o, cap);
			if (used) {
				i += used;
				continue;
			}
			break;
		}
		out[o++] = '\\';
	}
	return o;
}

/* next_token - the next blank-separated token of a ctl line from *p, with
 * '…' and "…" quotes as the ctl language reads them; NULL at the end.
 * The token is copied into tok (truncated to size). */
static const char *next_token(const char **p, char *tok, size_t size)
{
	const char *s = *p, *e;
	char q = 0;

	while (*s == ' ' || *s == '\t')
		s++;
	if (!*s)
		return NULL;
	if (*s == '\'' || *s == '"')
		q = *s++;
	e = s;
	while (*e && (q ? *e != q : (*e != ' ' && *e != '\t')))
		e++;
	snprintf(tok, size, "%.*s", (int)(e - s), s);
	*p = *e ? e + 1 : e;
	return tok;
}

/* costly_arg - must a line whose token i is a length be refused?  Yes
 * for a length above SLOW_LEN or above what is left of the input's
 * work budget (which it then uses up), or a token too long to judge;
 * with huge_ok, a length no address space holds fails at once and
 * passes. */
static bool costly_arg(const char *line, int i, bool huge_ok)
{
	char tok[64];
	const char *p = line;
	uint64_t v;

	while (i-- > 0 && next_token(&p, tok, sizeof(tok)))
		;
	if (!next_token(&p, tok, sizeof(tok)))
		return false;
	if (strlen(tok) == sizeof(tok) - 1)
		return true;
	if (!parse_num(tok, &v) || (huge_ok && v >= HUGE_LEN))
		return false;
	if (v > SLOW_LEN || v > work_left)
		return true;
	work_left -= v;
	return false;
}

/* big_swap - is the size of a swapon line (token 1) above MAX_SWAP but
 * not so big that swapon refuses it at once, or a token too long to
 * judge? */
static bool big_swap(const char *line)
{
	char tok[64];
	const char *p = line;
	uint64_t v;

	next_token(&p, tok, sizeof(tok));
	if (!next_token(&p, tok, sizeof(tok)))
		return false;
	if (strlen(tok) == sizeof(tok) - 1)
		return true;
	return parse_num(tok, &v) && v > MAX_SWAP && v <= SWAP_TOO_BIG;
}

/* refused_line - would this ctl command line (NUL-terminated, cut at '\r'
 * as ctl.c cuts it) run for long, or replay a relative path?  See the
 * header comment. */
static bool refused_line(char *line)
{
	char cmd[32], flags[256];
	const char *p = line;
	int i;

	line[strcspn(line, "\r")] = '\0';
	if (!next_token(&p, cmd, sizeof(cmd)))
		return false;
	if (!strcmp(cmd, "replay")) {	/* replay [--map] FILE ... */
		if (!next_token(&p, flags, sizeof(flags)))
			return true;
		if (!strcmp(flags, "--map") &&
		    !next_token(&p, flags, sizeof(flags)))
			return true;
		return flags[0] != '/';
	}
	if (!strcmp(cmd, "touch"))
		return costly_arg(line, 2, false);
	if (!strcmp(cmd, "mlock"))
		return costly_arg(line, 2, true);
	if (!strcmp(cmd, "mremap"))
		return costly_arg(line, 3, true);
	if (!strcmp(cmd, "madvise"))
		return strstr(line, "willneed") && costly_arg(line, 2, false);
	if (!strcmp(cmd, "swapon"))
		return big_swap(line);
	if (!strcmp(cmd, "vmalloc"))
		return costly_arg(line, 1, true);
	if (strcmp(cmd, "mmap"))
		return false;
	for (i = 1; i < 5; i++)
		if (!next_token(&p, flags, sizeof(flags)))
			return false;
	return (strstr(flags, "populate") || strstr(flags, "locked")) &&
	       costly_arg(line, 2, true);
}

/* allowed_payload - may the ctl text payload[0..n) be written?  Not if it
 * names a host special-file tree or a command line in it is slow. */
static bool allowed_payload(const char *payload, size_t n)
{
	static const char *const banned[] = { "/dev", "/proc", "/sys", "/run" };
	static char copy[MAX_PAYLOAD + 1];
	char *line, *next;
	size_t i;

	memcpy(copy, payload, n);
	copy[n] = '\0';
	for (i = 0; i < ARRAY_SIZE(banned); i++)
		if (memmem(payload, n, banned[i], strlen(banned[i])))
			return false;
	for (line = copy; line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (refused_line(line))
			return false;
	}
	return true;
}

/* ---- operations ---- */

/* newest_pid - the pid of the task created last. */
static int newest_pid(void)
{
	if (list_empty(&task_list))
		return 1;
	return list_entry(task_list.prev, struct task_struct, tasks)->pid;
}

/* op_ctl - "PID: ...", "M: ...", ".: ...", "+: ..." (prefix already
 * resolved to pid, 0 for the machine): one ctl write. */
static void op_ctl(struct fuzz *f, int pid, const char *text, size_t n)
{
	size_t len = unescape(text, n, f->payload, MAX_PAYLOAD);

	if (pid)
		f->cur = pid;
	if (!allowed_payload(f->payload, len)) {
		if (verbose)
			fprintf(stderr, "%d: (not sent)\n", pid);
		return;
	}
	ctl_write(pid, f->payload, len, f->result, sizeof(f->result));
	if (verbose)
		fprintf(stderr, "%d: %.*s\n-> %.300s", pid, (int)MIN(len, 200),
			f->payload, f->result);
}

/* arg_num - the i-th blank-separated word of s (0: the op letter) as a
 * number; def when it is missing or malformed. */
static uint64_t arg_num(const char *s, int i, uint64_t def)
{
	char tok[64];
	uint64_t v;

	while (i-- > 0 && next_token(&s, tok, sizeof(tok)))
		;
	return next_token(&s, tok, sizeof(tok)) && parse_num(tok, &v) ? v : def;
}

/* op_mem_read - "R ADDR LEN". */
static void op_mem_read(struct fuzz *f, const char *line)
{
	struct task_struct *t = find_task_by_pid(f->cur);
	uint64_t addr = arg_num(line, 1, 0), len = arg_num(line, 2, 1);

	if (t)
		mem_rw(t, f->buf, MIN(len, MAX_RW), (off_t)addr, false);
}

/* op_mem_write - "W ADDR HEX" or "W ADDR 'TEXT'" (escapes decoded). */
static void op_mem_write(struct fuzz *f, const char *line)
{
	struct task_struct *t = find_task_by_pid(f->cur);
	uint64_t addr = arg_num(line, 1, 0);
	const char *p = line;
	char tok[64];
	size_t n = 0, len;

	next_token(&p, tok, sizeof(tok));
	next_token(&p, tok, sizeof(tok));
	while (*p == ' ' || *p == '\t')
		p++;
	len = strlen(p);
	if (*p == '\'' || *p == '"') {
		const char *e = strchr(p + 1, *p);

		n = unescape(p + 1, e ? (size_t)(e - p - 1) : len - 1, f->buf,
			     MAX_RW);
	} else {
		for (; n < MAX_RW && hexval(p[2 * n]) >= 0 &&
		       hexval(p[2 * n + 1]) >= 0; n++)
			f->buf[n] = (char)(hexval(p[2 * n]) * 16 +
					   hexval(p[2 * n + 1]));
	}
	if (t)
		mem_rw(t, f->buf, n, (off_t)addr, true);
}

/* op_pagemap - "P OFF LEN". */
static void op_pagemap(struct fuzz *f, const char *line)
{
	struct task_struct *t = find_task_by_pid(f->cur);
	uint64_t off = arg_num(line, 1, 0), len = arg_num(line, 2, 8);

	if (t)
		read_pagemap(t, f->buf, MIN(len, MAX_RW), off);
}

/* op_kpage - "K OFF LEN" (kpageflags) or "C OFF LEN" (kpagecount). */
static void op_kpage(struct fuzz *f, const char *line, bool count)
{
	uint64_t off = arg_num(line, 1, 0), len = arg_num(line, 2, 8);

	read_kpage(f->buf, MIN(len, MAX_RW), off, count);
}

/* read_file - what a reader of path does, through the library the FUSE
 * layer calls: open it (file_open), read len bytes at off (file_read,
 * never blocking), release it.  A file that does not render (a binary
 * one, trace_pipe, ctl) is read only when all is set.  Returns the bytes
 * read, or -errno. */
static ssize_t read_file(struct fuzz *f, const char *path, uint64_t off,
			 size_t len, bool all)
{
	struct handle *h;
	ssize_t n = 0;
	int err = file_open(path, O_RDONLY, &h);

	if (err)
		return err;
	if (all || h->node.file->fop->render)
		n = file_read(h, f->buf, len, (off_t)off, true);
	file_release(h);
	return n;
}

/* op_file - "F PATH [OFF [LEN]]": a stat of PATH and a read of it. */
static void op_file(struct fuzz *f, const char *line)
{
	char path[256];
	const char *p = line;
	uint64_t off = arg_num(line, 2, 0), len = arg_num(line, 3, 4096);
	struct stat st;
	ssize_t n;

	next_token(&p, path, sizeof(path));
	if (!next_token(&p, path, sizeof(path)) || node_getattr(path, &st))
		return;
	n = read_file(f, path, off, MIN(len, MAX_RW), true);
	if (verbose && n > 0)
		fprintf(stderr, "%s:\n%.*s", path, (int)MIN(n, 4000), f->buf);
}

/* op_sysctl - "S NAME VALUE": a write to /sys/vm/NAME. */
static void op_sysctl(const char *line)
{
	char name[64], value[64], path[96];
	const char *p = line;
	struct handle *h;

	next_token(&p, name, sizeof(name));
	if (!next_token(&p, name, sizeof(name)) ||
	    !next_token(&p, value, sizeof(value)))
		return;
	snprintf(path, sizeof(path), "/sys/vm/%s", name);
	if (file_open(path, O_WRONLY, &h))
		return;
	file_write(h, value, strlen(value), 0);
	file_release(h);
}

/* op_write - "V PATH TEXT" or "V PATH 'TEXT'": one write to PATH. */
static void op_write(struct fuzz *f, const char *line)
{
	char path[256];
	const char *p = line, *e;
	struct handle *h;
	ssize_t ret;
	size_t n;

	next_token(&p, path, sizeof(path));
	if (!next_token(&p, path, sizeof(path)))
		return;
	while (*p == ' ' || *p == '\t')
		p++;
	if ((*p == '\'' || *p == '"') && (e = strchr(p + 1, *p)))
		n = unescape(p + 1, (size_t)(e - p - 1), f->payload,
			     MAX_PAYLOAD);
	else
		n = unescape(p, strlen(p), f->payload, MAX_PAYLOAD);
	ret = file_open(path, O_WRONLY, &h);
	if (!ret) {
		if (h->node.file->fop != &ctl_fops)
			ret = file_write(h, f->payload, n, 0);
		file_release(h);
	}
	if (verbose)
		fprintf(stderr, "write %s: %.*s\n-> %zd\n", path,
			(int)MIN(n, 200), f->payload, ret);
}

/* op_dir - "D PATH" (mkdir) or "U PATH" (rmdir). */
static void op_dir(const char *line, bool make)
{
	char path[256];
	const char *p = line;
	int err;

	next_token(&p, path, sizeof(path));
	if (!next_token(&p, path, sizeof(path)))
		return;
	err = make ? node_mkdir(path) : node_rmdir(path);
	if (verbose)
		fprintf(stderr, "%s %s\n-> %d\n", make ? "mkdir" : "rmdir",
			path, err);
}

/* op_all's place in the tree. */
struct walk {
	struct fuzz *f;
	char path[256];
};

/* read_entry - dir_read's filler for op_all: reads a text file, lists a
 * directory in turn (but frames/, of which op_all reads a sample). */
static int read_entry(void *ctx, const char *name, off_t next)
{
	struct walk *w = ctx;
	size_t n = strlen(w->path);
	struct stat st;

	(void)next;
	if (!strcmp(name, ".") || !strcmp(name, "..") ||
	    !strcmp(name, "frames") ||
	    n + 1 + strlen(name) >= sizeof(w->path))
		return 0;
	snprintf(w->path + n, sizeof(w->path) - n, "/%s", name);
	if (!node_getattr(w->path, &st)) {
		if (S_ISDIR(st.st_mode))
			dir_read(w->path, 0, read_entry, w);
		else
			read_file(w->f, w->path, 0, MAX_RW, false);
	}
	w->path[n] = '\0';
	return 0;
}

/* op_all - "A": every text file of the tree (listed as readdir lists
 * it: every task's, the machine's, each CPU's TLB, the sysctls) and
 * every FRAME_SAMPLE-th frame. */
static void op_all(struct fuzz *f)
{
	struct walk w = { f, "" };
	char path[32];
	uint64_t pfn;

	dir_read("/", 0, read_entry, &w);
	for (pfn = 0; pfn < max_pfn; pfn += FRAME_SAMPLE) {
		snprintf(path, sizeof(path), "/frames/%" PRIu64, pfn);
		read_file(f, path, 0, MAX_RW, false);
	}
}

/* ctl_prefix - the pid a "PID:", "M:", ".:" or "+:" line writes to (0:
 * the machine); -1 if line is not a ctl line.  *text is set past the
 * colon. */
static int ctl_prefix(const struct fuzz *f, const char *line, size_t n,
		      const char **text)
{
	size_t i = 0;
	long pid = 0;

	if (n >= 2 && line[1] == ':' && strchr("M.+", line[0])) {
		*text = line + 2;
		return line[0] == 'M' ? 0 : line[0] == '.' ? f->cur :
		       newest_pid();
	}
	while (i < n && i < 9 && line[i] >= '0' && line[i] <= '9')
		pid = pid * 10 + (line[i++] - '0');
	if (i == 0 || i >= n || line[i] != ':')
		return -1;
	*text = line + i + 1;
	return (int)pid;
}

/* run_op - one line of the input (line[n] is a NUL).  Returns false when
 * the operation only rendered or read state, which cannot break an
 * invariant (P, K, C, A, T): the checker is skipped after those. */
static bool run_op(struct fuzz *f, const char *line, size_t n)
{
	const char *text;
	int pid = ctl_prefix(f, line, n, &text);

	if (pid >= 0) {
		if (*text == ' ')
			text++;
		op_ctl(f, pid, text, n - (size_t)(text - line));
		return true;
	}
	if (n > 1 && line[1] != ' ' && line[1] != '\t')
		return false;
	switch (line[0]) {
	case 'R': op_mem_read(f, line); return true;
	case 'W': op_mem_write(f, line); return true;
	case 'F': op_file(f, line); return true;
	case 'S': op_sysctl(line); return true;
	case 'V': op_write(f, line); return true;
	case 'D': op_dir(line, true); return true;
	case 'U': op_dir(line, false); return true;
	case 'P': op_pagemap(f, line); break;
	case 'K': op_kpage(f, line, false); break;
	case 'C': op_kpage(f, line, true); break;
	case 'A': op_all(f); break;
	case 'T': trace_pipe_read(f->buf, MAX_RW, true, NULL); break;
	}
	return false;
}

/* LLVMFuzzerTestOneInput - boot, run the operations checking after each,
 * shut down.  Aborts on a broken invariant. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char line[MAX_LINE + 1];
	struct fuzz *f = calloc(1, sizeof(*f));
	const char *p = (const char *)data, *end = p + size;
	int ops = 0;

	f->cur = 1;
	work_left = WORK_BUDGET;
	f->payload = malloc(MAX_PAYLOAD);
	f->buf = malloc(MAX_RW);
	if (!f->payload || !f->buf)
		abort();
	boot(data, size);
	while (p < end && ops < MAX_OPS) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (n <= MAX_LINE && n > 0 && p[0] != '#' &&
		    !(p == (const char *)data && p[0] == 'B')) {
			memcpy(line, p, n);
			line[n] = '\0';
			fs_lock();	/* as the FUSE layer runs every operation */
			if (run_op(f, line, n))
				check_or_die(line, n);
			fs_unlock();
			ops++;
		}
		p += n + 1;
	}
	check_or_die("(end of input)", 14);
	kernel_shutdown();
	free(f->payload);
	free(f->buf);
	free(f);
	return 0;
}
