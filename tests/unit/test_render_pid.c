/*
 * test_render_pid.c - the per-process files (fs/render_pid.c) rendered
 * from booted machines with known layouts, checked byte for byte where the
 * format is fixed, by value where the simulation fixes the numbers, and
 * against the host's own /proc files for the key sets and orders that
 * docs/procfs-formats.md says must match.
 */
#include <check.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "render.h"
#include "exec/binfmts.h"
#include "kernel/kernel.h"
#include "mm/mm.h"
#include "mm/page_alloc.h"
#include "mm/pgtable.h"
#include "kernel/sched.h"
#include "mm/vma.h"
#include "mm/vmstat.h"
#include "machine.h"

#define STACK_TOP 0x7ffffffff000ULL

#define PM_SOFT_DIRTY	(1ULL << 55)
#define PM_EXCLUSIVE	(1ULL << 56)
#define PM_FILE		(1ULL << 61)
#define PM_PRESENT	(1ULL << 63)
#define PM_PFN(e)	((e) & ((1ULL << 55) - 1))

static struct seq out;

/* ---- machine helpers ---- */

static void boot_mode(enum paging_mode mode, int cpus)
{
	struct boot_params bp = {
		.mem_bytes = 128 * MB, .nr_cpus = cpus, .tlb_entries = 64,
		.tlb_ways = 4, .mode = mode,
	};

	ck_assert_int_eq(kernel_boot(&bp), 0);
	render_uid = 0;
	render_gid = 0;
	seq_init(&out);
}

static void boot(void)
{
	boot_mode(PAGING_4LEVEL, 1);
}

static void shutdown(void)
{
	seq_free(&out);
	kernel_shutdown();
}

static struct task_struct *kthreadd(void)
{
	return find_task_by_pid(2);
}

/* zombie_of - fork a child of p and let it exit with code. */
static struct task_struct *zombie_of(struct task_struct *p, int code)
{
	struct task_struct *c = fork_of(p);

	ck_assert_int_eq(do_exit(c, code), 0);
	return c;
}

/* ---- text helpers ---- */

typedef void (*render_fn)(struct seq *, struct task_struct *);

/* R - render t with fn into the shared buffer; "" when empty. */
static const char *R(render_fn fn, struct task_struct *t)
{
	seq_reset(&out);
	fn(&out, t);
	ck_assert(!out.overflow);
	return out.len ? out.buf : "";
}

/* dup_text - a heap copy (render results are overwritten by R). */
static char *dup_text(const char *s)
{
	char *d = strdup(s);

	ck_assert_ptr_nonnull(d);
	return d;
}

/* line_starting - the line of text beginning with prefix (copied into a
 * static buffer, without its newline), or NULL. */
static const char *line_starting(const char *text, const char *prefix)
{
	static char line[4096];
	const char *p = text;
	size_t n = strlen(prefix);

	while (p && *p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);

		if (len >= n && !strncmp(p, prefix, n)) {
			ck_assert(len < sizeof(line));
			memcpy(line, p, len);
			line[len] = '\0';
			return line;
		}
		p = nl ? nl + 1 : NULL;
	}
	return NULL;
}

/* value_of - the first number after "key" at the start of a line. */
static uint64_t value_of(const char *text, const char *key)
{
	const char *l = line_starting(text, key);

	ck_assert_msg(l != NULL, "no line %s in:\n%s", key, text);
	return strtoull(l + strlen(key), NULL, 10);
}

/* smaps_block - the smaps block whose header starts with addr (hex),
 * copied; caller frees. */
static char *smaps_block(const char *smaps, uint64_t addr)
{
	char hdr[32], *b, *end;
	const char *p;

	snprintf(hdr, sizeof(hdr), "%08llx-", (unsigned long long)addr);
	p = strstr(smaps, hdr);
	ck_assert_msg(p && (p == smaps || p[-1] == '\n'), "no vma %s", hdr);
	b = dup_text(p);
	end = strstr(b, "\nVmFlags:");
	ck_assert_ptr_nonnull(end);
	end = strchr(end + 1, '\n');
	end[1] = '\0';
	return b;
}

/* count_lines - newlines in text. */
static int count_lines(const char *text)
{
	int n = 0;

	for (; *text; text++)
		n += *text == '\n';
	return n;
}

/* keys_of - the "Key" of each line (text before ':') joined by blanks,
 * from line `from` (0-based) for at most max lines; lines for which skip
 * returns true are left out. Caller frees. */
static char *keys_of(const char *text, int from, int max,
		     bool (*skip)(const char *key))
{
	size_t cap = strlen(text) + 1, len = 0;
	char *keys = calloc(1, cap);
	const char *p = text;
	int i = 0;

	ck_assert_ptr_nonnull(keys);
	while (*p && max > 0) {
		const char *nl = strchr(p, '\n'), *colon = strchr(p, ':');
		size_t klen;
		char key[128];

		if (!nl)
			nl = p + strlen(p);
		if (i++ >= from) {
			max--;
			klen = (colon && colon < nl) ? (size_t)(colon - p) :
						       (size_t)(nl - p);
			klen = klen < sizeof(key) ? klen : sizeof(key) - 1;
			memcpy(key, p, klen);
			key[klen] = '\0';
			if (!skip || !skip(key))
				len += (size_t)snprintf(keys + len, cap - len,
							"%s%s", len ? " " : "",
							key);
		}
		p = *nl ? nl + 1 : nl;
	}
	return keys;
}

/* stat_fields - split a stat line: the comm between the first '(' and
 * the last ')' is field 2; fields[i] = field i+1. Returns the count. */
static int stat_fields(const char *line, char fields[64][64])
{
	const char *open = strchr(line, '('), *close = strrchr(line, ')');
	const char *p;
	int n = 2;

	ck_assert(open && close && close > open);
	snprintf(fields[0], 64, "%.*s", (int)(open - line - 1), line);
	snprintf(fields[1], 64, "%.*s", (int)(close - open - 1), open + 1);
	for (p = close + 1; *p && *p != '\n';) {
		size_t len;

		ck_assert(*p == ' ');
		p++;
		len = strcspn(p, " \n");
		ck_assert(n < 64 && len < 64);
		memcpy(fields[n], p, len);
		fields[n][len] = '\0';
		n++;
		p += len;
	}
	return n;
}

/* stat_field - field i (1-based) of t's stat as a number. */
static long long stat_field(struct task_struct *t, int i)
{
	static char f[64][64];

	stat_fields(R(render_stat, t), f);
	return strtoll(f[i - 1], NULL, 10);
}

/* named - a maps-style line: hdr (ending in its blank) padded to
 * `width` columns, one blank, name (static buffer). */
static const char *named(int width, const char *hdr, const char *name)
{
	static char line[512];

	snprintf(line, sizeof(line), "%-*s %s", width, hdr, name);
	return line;
}

/* ---- maps ---- */

START_TEST(maps_stack_line_exact)
{
	const char *m;

	boot();
	m = R(render_maps, init_task());
	ck_assert_str_eq(line_starting(m, "7ff"), named(72,
			 "7ffffffde000-7ffffffff000 rw-p 00000000 00:00 0 ",
			 "[stack]"));
	ck_assert_int_eq(count_lines(m), 2);	/* [stack], [vsyscall] */
	ck_assert_int_eq(strchr(m, '[') - m, 73);
	/* The same line as the host prints its [stack] (doc section 2). */
	ck_assert_str_eq(m, "7ffffffde000-7ffffffff000 rw-p 00000000 00:00 0"
			    "                          [stack]\n"
			    "ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0"
			    "                  [vsyscall]\n");
	shutdown();
}
END_TEST

START_TEST(maps_anon_trailing_blank_and_order)
{
	struct task_struct *p;
	const char *m;

	boot();
	p = init_task();
	map_at(p, 0x10000000, 3 * PAGE_SIZE, RW, ANON | MAP_FIXED);
	map_at(p, 0x20000000, PAGE_SIZE, PROT_NONE, ANON | MAP_FIXED);
	map_at(p, 0x7f0000000000ULL, PAGE_SIZE, PROT_READ | PROT_EXEC,
	       ANON | MAP_FIXED);
	m = R(render_maps, p);
	ck_assert_str_eq(m,
		"10000000-10003000 rw-p 00000000 00:00 0 \n"
		"20000000-20001000 ---p 00000000 00:00 0 \n"
		"7f0000000000-7f0000001000 r-xp 00000000 00:00 0 \n"
		"7ffffffde000-7ffffffff000 rw-p 00000000 00:00 0"
		"                          [stack]\n"
		"ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0" "                  [vsyscall]\n");
	shutdown();
}
END_TEST

START_TEST(maps_shared_anon_shows_shmem_object)
{
	struct task_struct *p;
	struct vm_area_struct *vma;
	char want[256];
	uint64_t a;

	boot();
	p = init_task();
	a = map_at(p, 0x30000000, 2 * PAGE_SIZE, RW,
		   MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED);
	vma = find_vma(p->mm, a);
	ck_assert_ptr_nonnull(vma->vm_file);
	snprintf(want, sizeof(want),
		 "30000000-30002000 rw-s 00000000 00:01 %llu ",
		 (unsigned long long)vma->vm_file->id);
	ck_assert_str_eq(line_starting(R(render_maps, p), "30000000-"),
			 named(72, want, "/dev/zero (deleted)"));
	ck_assert_int_eq(strchr(line_starting(out.buf, "30000000-"), '/') -
			 line_starting(out.buf, "30000000-"), 73);
	shutdown();
}
END_TEST

START_TEST(maps_heap_follows_brk)
{
	struct task_struct *p;
	uint64_t start;
	int err;

	boot();
	p = init_task();
	start = p->mm->start_brk;
	ck_assert_uint_eq(start, 0x555555554000ULL);
	/* An empty heap (brk == start_brk) names nothing. */
	ck_assert_ptr_null(strstr(R(render_maps, p), "[heap]"));
	do_brk(p, start + 2 * PAGE_SIZE + 10, &err);
	ck_assert_int_eq(err, 0);
	ck_assert_str_eq(line_starting(R(render_maps, p), "555555554000-"),
			 named(72, "555555554000-555555557000 rw-p 00000000 "
				   "00:00 0 ", "[heap]"));
	/* Mappings that only touch [start_brk, brk) are not the heap
	 * (Linux's strict overlap rule since 6.7). */
	map_at(p, start - PAGE_SIZE, PAGE_SIZE, PROT_READ, ANON | MAP_FIXED);
	map_at(p, start + 3 * PAGE_SIZE, PAGE_SIZE, PROT_READ,
	       ANON | MAP_FIXED);
	ck_assert_str_eq(line_starting(R(render_maps, p), "555555553000-"),
			 "555555553000-555555554000 r--p 00000000 00:00 0 ");
	ck_assert_str_eq(line_starting(out.buf, "555555557000-"),
			 "555555557000-555555558000 r--p 00000000 00:00 0 ");
	ck_assert_int_eq(count_lines(out.buf), 5);	/* + [vsyscall] */
	shutdown();
}
END_TEST

START_TEST(maps_kthread_zombie_empty_thread_same)
{
	struct task_struct *p, *z, *c, *th;
	char *leader;

	boot();
	p = init_task();
	ck_assert_str_eq(R(render_maps, kthreadd()), "");
	ck_assert_str_eq(R(render_smaps, kthreadd()), "");
	z = zombie_of(p, 0);
	ck_assert_str_eq(R(render_maps, z), "");
	ck_assert_str_eq(R(render_smaps, z), "");
	c = fork_of(p);
	th = thread_of(c);
	map_at(th, 0, PAGE_SIZE, RW, ANON);
	leader = dup_text(R(render_maps, c));
	ck_assert_str_eq(R(render_maps, th), leader);
	ck_assert_int_eq(count_lines(leader), 3);	/* + [vsyscall] */
	free(leader);
	shutdown();
}
END_TEST

START_TEST(maps_i386_layout)
{
	const char *m;
	pte_t pte;
	char want[256];

	boot_mode(PAGING_2LEVEL, 1);
	m = R(render_maps, init_task());
	/* A 32-bit kernel pads the header to 25 + 6 * 4 - 1 = 48 columns. */
	ck_assert_str_eq(line_starting(m, "b"), named(48,
			 "bffdf000-c0000000 rw-p 00000000 00:00 0 ", "[stack]"));
	ck_assert_int_eq(strchr(m, '[') - m, 49);
	touch(init_task(), 0xc0000000 - PAGE_SIZE, 1, ACC_WRITE);
	pte = pte_of(init_task(), 0xc0000000 - PAGE_SIZE);
	snprintf(want, sizeof(want),
		 "      PT[1023] bffff000-c0000000 0x%08llx pfn 0x%llx "
		 "P RW US A D",
		 (unsigned long long)pte, (unsigned long long)pte_pfn(pte));
	ck_assert_str_eq(line_starting(R(render_pagetable, init_task()),
				       "      PT[1023]"), want);
	ck_assert_ptr_null(strstr(R(render_status, init_task()), "untag_mask"));
	ck_assert_int_eq(stat_field(init_task(), 25), 4294967295LL);
	shutdown();
}
END_TEST

/* ---- smaps ---- */

START_TEST(smaps_fork_pss_halves)
{
	struct task_struct *p, *c;
	uint64_t a;
	char *b;

	boot();
	p = init_task();
	a = map_at(p, 0x40000000, 4 * PAGE_SIZE, RW, ANON | MAP_FIXED);
	touch(p, a, 4 * PAGE_SIZE, ACC_WRITE);
	b = smaps_block(R(render_smaps, p), a);
	ck_assert_uint_eq(value_of(b, "Rss:"), 16);
	ck_assert_uint_eq(value_of(b, "Pss:"), 16);
	ck_assert_uint_eq(value_of(b, "Private_Dirty:"), 16);
	ck_assert_uint_eq(value_of(b, "Anonymous:"), 16);
	free(b);

	c = fork_of(p);
	b = smaps_block(R(render_smaps, p), a);
	ck_assert_uint_eq(value_of(b, "Rss:"), 16);
	ck_assert_uint_eq(value_of(b, "Pss:"), 8);
	ck_assert_uint_eq(value_of(b, "Pss_Dirty:"), 8);
	ck_assert_uint_eq(value_of(b, "Shared_Dirty:"), 16);
	ck_assert_uint_eq(value_of(b, "Private_Dirty:"), 0);
	free(b);
	b = smaps_block(R(render_smaps, c), a);
	ck_assert_uint_eq(value_of(b, "Pss:"), 8);
	/* fork made the child's entries old. */
	ck_assert_uint_eq(value_of(b, "Referenced:"), 0);
	free(b);

	/* The child breaks COW on one page: 3 shared pages + 1 private. */
	touch(c, a, 1, ACC_WRITE);
	b = smaps_block(R(render_smaps, p), a);
	ck_assert_uint_eq(value_of(b, "Pss:"), 10);
	ck_assert_uint_eq(value_of(b, "Shared_Dirty:"), 12);
	ck_assert_uint_eq(value_of(b, "Private_Dirty:"), 4);
	free(b);
	b = smaps_block(R(render_smaps, c), a);
	ck_assert_uint_eq(value_of(b, "Pss:"), 10);
	ck_assert_uint_eq(value_of(b, "Private_Dirty:"), 4);
	free(b);
	shutdown();
}
END_TEST

START_TEST(smaps_three_way_pss_fixed_point)
{
	struct task_struct *p;
	uint64_t a;
	char *b;

	boot();
	p = init_task();
	a = map_at(p, 0x40000000, 1042 * PAGE_SIZE, RW, ANON | MAP_FIXED);
	touch(p, a, 1042 * PAGE_SIZE, ACC_WRITE);
	fork_of(p);
	fork_of(p);
	/* 1042 pages each mapped 3 times: Linux adds (4096 << 12) / 3 per
	 * page and truncates the sum, 1422677 bytes = 1389 kB; truncating
	 * each page to bytes would give 1388 kB, to kB 1042. */
	b = smaps_block(R(render_smaps, p), a);
	ck_assert_uint_eq(value_of(b, "Pss:"), 1389);
	ck_assert_uint_eq(value_of(b, "Shared_Dirty:"), 4168);
	free(b);
	ck_assert_uint_eq(value_of(R(render_statm, p), ""), 33 + 1042);
	shutdown();
}
END_TEST

START_TEST(smaps_zero_page_and_prot_none)
{
	struct task_struct *p;
	uint64_t z, n;
	char *b;

	boot();
	p = init_task();
	z = map_at(p, 0x40000000, 4 * PAGE_SIZE, RW, ANON | MAP_FIXED);
	touch(p, z, 4 * PAGE_SIZE, ACC_READ);
	b = smaps_block(R(render_smaps, p), z);
	ck_assert_uint_eq(value_of(b, "Rss:"), 0);
	ck_assert_uint_eq(value_of(b, "Size:"), 16);
	free(b);

	n = map_at(p, 0x50000000, 2 * PAGE_SIZE, RW, ANON | MAP_FIXED);
	touch(p, n, 2 * PAGE_SIZE, ACC_WRITE);
	ck_assert_int_eq(do_mprotect(p, n, 2 * PAGE_SIZE, PROT_NONE), 0);
	b = smaps_block(R(render_smaps, p), n);
	ck_assert(strstr(b, " ---p ") != NULL);
	ck_assert_uint_eq(value_of(b, "Rss:"), 8);
	ck_assert_uint_eq(value_of(b, "Anonymous:"), 8);
	ck_assert_str_eq(line_starting(b, "VmFlags:"),
			 "VmFlags: mr mw me ac ");
	free(b);
	shutdown();
}
END_TEST

START_TEST(smaps_shared_anon_and_locked)
{
	struct task_struct *p, *c;
	uint64_t s, l;
	const char *roll;
	char *b;

	boot();
	p = init_task();
	s = map_at(p, 0x40000000, 2 * PAGE_SIZE, RW,
		   MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED);
	touch(p, s, 2 * PAGE_SIZE, ACC_WRITE);
	c = fork_of(p);
	/* The child's read fault maps both cached pages (fault-around). */
	touch(c, s, PAGE_SIZE, ACC_READ);
	b = smaps_block(R(render_smaps, p), s);
	ck_assert_uint_eq(value_of(b, "Rss:"), 8);
	ck_assert_uint_eq(value_of(b, "Pss:"), 4);
	ck_assert_uint_eq(value_of(b, "Anonymous:"), 0);
	ck_assert_uint_eq(value_of(b, "Shared_Dirty:"), 8);
	ck_assert_uint_eq(value_of(b, "Private_Dirty:"), 0);
	ck_assert_str_eq(line_starting(b, "VmFlags:"),
			 "VmFlags: rd wr sh mr mw me ms ");
	free(b);
	seq_reset(&out);
	ck_assert_int_eq(render_smaps_rollup(&out, p), 0);
	roll = out.buf;
	ck_assert_uint_eq(value_of(roll, "Pss_Shmem:"), 4);
	ck_assert_uint_eq(value_of(roll, "Pss_Anon:"), 0);
	/* The child's clean entries still count as dirty: PG_dirty. */
	b = smaps_block(R(render_smaps, c), s);
	ck_assert_uint_eq(value_of(b, "Shared_Dirty:"), 8);
	ck_assert_uint_eq(value_of(b, "Referenced:"), 8);
	free(b);

	l = map_at(p, 0x50000000, 3 * PAGE_SIZE, RW,
		   ANON | MAP_FIXED | MAP_LOCKED);
	b = smaps_block(R(render_smaps, p), l);
	ck_assert_uint_eq(value_of(b, "Rss:"), 12);
	ck_assert_uint_eq(value_of(b, "Locked:"), 12);
	ck_assert_str_eq(line_starting(b, "VmFlags:"),
			 "VmFlags: rd wr mr mw me lo ac ");
	free(b);
	ck_assert_uint_eq(value_of(R(render_status, p), "VmLck:"), 12);
	shutdown();
}
END_TEST

/* smaps_optional - keys a host may add for its CPU (ProtectionKey with
 * PKU; the simulated CPU has none). */
static bool smaps_optional(const char *key)
{
	return !strcmp(key, "ProtectionKey");
}

/* no_optional - every key is in every 6.18 kernel's file. */
static bool no_optional(const char *key)
{
	return false;
}

/* block_keys - the keys of the first vma block of smaps text: from its
 * second line up to the next vma header (keys start with a capital). */
static int block_keys(const char *text, char **keys, char **store)
{
	int n = key_list(strchr(text, '\n') + 1, ':', keys, 64, store);

	for (int i = 0; i < n; i++)
		if (keys[i][0] < 'A' || keys[i][0] > 'Z')
			return i;
	return n;
}

/* assert_block_keys_like_host - the keys of the first vma block of smaps
 * text ours (lines 1.. up to the next header) against those of the
 * host's file `path`. */
static void assert_block_keys_like_host(const char *ours, const char *path,
					bool (*optional)(const char *key))
{
	char *host = read_host(path), *mk[64], *hk[64], *ms, *hs;
	int nm, nh;

	if (!host)
		return;
	nm = block_keys(ours, mk, &ms);
	nh = block_keys(host, hk, &hs);
	ck_assert_int_eq(assert_keys_agree(mk, nm, hk, nh, optional), nm);
	free(ms);
	free(hs);
	free(host);
}

START_TEST(smaps_format_matches_host)
{
	struct task_struct *p;
	char *ours, *first;
	const char *l;
	int lines, i;

	boot();
	p = init_task();
	map_at(p, 0x10000000, PAGE_SIZE, RW, ANON | MAP_FIXED);
	map_at(p, 0x20000000, PAGE_SIZE, RW,
	       MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED);
	ours = dup_text(R(render_smaps, p));
	/* Every vma block: 25 lines with the same keys in the same order. */
	lines = count_lines(ours);
	ck_assert_int_eq(lines, 4 * 25);	/* 3 vmas and [vsyscall] */
	first = keys_of(ours, 1, 24, NULL);
	for (i = 1; i < 3; i++) {
		char *k = keys_of(ours, 25 * i + 1, 24, NULL);

		ck_assert_str_eq(k, first);
		free(k);
	}
	/* Units at column 24, no blank lines, VmFlags ends in a blank. */
	for (l = ours; *l; l = strchr(l, '\n') + 1) {
		const char *nl = strchr(l, '\n');

		ck_assert(nl > l);
		if (!strncmp(l, "VmFlags:", 8)) {
			ck_assert(nl[-1] == ' ');
		} else if (nl - l > 24 && !strncmp(nl - 3, " kB", 3)) {
			ck_assert_int_eq(nl - 3 - l, 24);
		} else if (strchr("0123456789abcdef", l[0]) &&
			   memchr(l, '-', 17)) {
			continue;
		} else {
			ck_assert_int_eq(nl - l, 24);	/* THPeligible */
		}
	}
	assert_block_keys_like_host(ours, "/proc/self/smaps", smaps_optional);
	free(first);
	free(ours);
	shutdown();
}
END_TEST

START_TEST(smaps_rollup_sums_and_header)
{
	struct task_struct *p, *c;
	uint64_t a;
	const char *roll;
	char *copy;

	boot();
	p = init_task();
	a = map_at(p, 0x40000000, 3 * PAGE_SIZE, RW, ANON | MAP_FIXED);
	touch(p, a, 3 * PAGE_SIZE, ACC_WRITE);
	touch(p, STACK_TOP - PAGE_SIZE, 1, ACC_WRITE);
	c = fork_of(p);
	touch(c, a, 1, ACC_WRITE);
	ck_assert_int_eq(render_smaps_rollup(&out, kthreadd()), -ESRCH);
	seq_reset(&out);
	ck_assert_int_eq(render_smaps_rollup(&out, p), 0);
	copy = dup_text(out.buf);
	roll = copy;
	ck_assert_str_eq(line_starting(roll, "40000000-"),
			 named(72, "40000000-7ffffffff000 ---p 00000000 00:00 0 ",
			       "[rollup]"));
	/* 4 pages: 3 still shared with the child, 1 copied. */
	ck_assert_uint_eq(value_of(roll, "Rss:"), 16);
	ck_assert_uint_eq(value_of(roll, "Pss:"), 10);
	ck_assert_uint_eq(value_of(roll, "Pss_Anon:"), 10);
	ck_assert_uint_eq(value_of(roll, "Shared_Dirty:"), 12);
	ck_assert_uint_eq(value_of(roll, "Rss:"),
			  value_of(R(render_status, p), "VmRSS:"));
	ck_assert_int_eq(count_lines(roll), 23);
	assert_block_keys_like_host(roll, "/proc/self/smaps_rollup",
				    no_optional);
	free(copy);
	ck_assert_int_eq(render_smaps_rollup(&out, zombie_of(p, 0)), -ESRCH);
	shutdown();
}
END_TEST

START_TEST(smaps_rollup_empty_mm)
{
	struct task_struct *p;

	boot();
	p = init_task();
	ck_assert_int_eq(do_munmap(p->mm, 0x7ffffffde000ULL, 0x21000), 0);
	seq_reset(&out);
	ck_assert_int_eq(render_smaps_rollup(&out, p), 0);
	ck_assert_str_eq(line_starting(out.buf, "0"),
			 named(72, "00000000-00000000 ---p 00000000 00:00 0 ",
			       "[rollup]"));
	shutdown();
}
END_TEST

/* ---- status ---- */

/* status_optional - mmufs's own lines, and those a host kernel prints
 * for its config or its CPU: x86_Thread_features (shadow stacks),
 * untag_mask (CONFIG_ADDRESS_MASKING), Mems_allowed (CONFIG_CPUSETS),
 * Seccomp (CONFIG_SECCOMP). */
static bool status_optional(const char *key)
{
	static const char *const prefixes[] = {
		"mmufs_", "x86_Thread_features", "untag_mask", "Mems_allowed",
		"Seccomp",
	};

	return has_prefix(key, prefixes, ARRAY_SIZE(prefixes));
}

/* assert_status_like_host - the keys of ours against the host's status
 * file `path`, when it can be read and is what want selects (Kthread:). */
static void assert_status_like_host(const char *ours, const char *path,
				    const char *want)
{
	char *host = read_host(path);

	if (host && strstr(host, want))
		assert_text_keys_like_host(ours, host, ':', status_optional);
	free(host);
}

START_TEST(status_keys_match_host)
{
	boot();
	assert_status_like_host(R(render_status, init_task()),
				"/proc/self/status", "Kthread:\t0");
	assert_status_like_host(R(render_status, kthreadd()), "/proc/2/status",
				"Kthread:\t1");
	shutdown();
}
END_TEST

START_TEST(status_lines_and_values)
{
	struct task_struct *p;
	uint64_t a;
	const char *st;
	int i;

	boot();
	render_uid = 1000;
	render_gid = 100;
	p = init_task();
	a = map_at(p, 0x40000000, 8 * PAGE_SIZE, RW, ANON | MAP_FIXED);
	touch(p, a, 8 * PAGE_SIZE, ACC_WRITE);
	st = R(render_status, p);
	ck_assert_str_eq(line_starting(st, "Name:"), "Name:\tinit");
	ck_assert_str_eq(line_starting(st, "State:"), "State:\tR (running)");
	ck_assert_str_eq(line_starting(st, "PPid:"), "PPid:\t0");
	ck_assert_str_eq(line_starting(st, "Uid:"), "Uid:\t1000\t1000\t1000\t1000");
	ck_assert_str_eq(line_starting(st, "Gid:"), "Gid:\t100\t100\t100\t100");
	ck_assert_str_eq(line_starting(st, "Groups:"), "Groups:\t ");
	ck_assert_str_eq(line_starting(st, "CapEff:"), "CapEff:\t0000000000000000");
	ck_assert_str_eq(line_starting(st, "VmRSS:"), "VmRSS:\t      32 kB");
	ck_assert_str_eq(line_starting(st, "VmSize:"), "VmSize:\t     164 kB");
	ck_assert_str_eq(line_starting(st, "VmStk:"), "VmStk:\t     132 kB");
	ck_assert_str_eq(line_starting(st, "VmData:"), "VmData:\t      32 kB");
	ck_assert_str_eq(line_starting(st, "RssAnon:"), "RssAnon:\t      32 kB");
	ck_assert_str_eq(line_starting(st, "VmPTE:"), "VmPTE:\t      12 kB");
	ck_assert_str_eq(line_starting(st, "Threads:"), "Threads:\t1");
	ck_assert_str_eq(line_starting(st, "SigQ:"), "SigQ:\t0/512");
	ck_assert_str_eq(line_starting(st, "Cpus_allowed:"), "Cpus_allowed:\t1");
	ck_assert_str_eq(line_starting(st, "mmufs_fault_anon:"),
			 "mmufs_fault_anon:\t8");
	/* Every line is Key:<TAB>... */
	for (i = 0; st && *st; i++) {
		const char *colon = strchr(st, ':');

		ck_assert(colon && colon[1] == '\t');
		st = strchr(st, '\n') + 1;
	}
	ck_assert_int_eq(i, 59 + NR_FAULT_OUTCOMES);
	/* The high-water marks outlive an munmap. */
	ck_assert_int_eq(do_munmap(p->mm, a, 8 * PAGE_SIZE), 0);
	st = R(render_status, p);
	ck_assert_str_eq(line_starting(st, "VmRSS:"), "VmRSS:\t       0 kB");
	ck_assert_str_eq(line_starting(st, "VmHWM:"), "VmHWM:\t      32 kB");
	ck_assert_str_eq(line_starting(st, "VmPeak:"), "VmPeak:\t     164 kB");
	ck_assert_str_eq(line_starting(st, "VmSize:"), "VmSize:\t     132 kB");
	shutdown();
}
END_TEST

START_TEST(status_cpus_bitmap)
{
	boot_mode(PAGING_4LEVEL, 36);
	ck_assert_str_eq(line_starting(R(render_status, init_task()),
				       "Cpus_allowed:"),
			 "Cpus_allowed:\tf,ffffffff");
	ck_assert_str_eq(line_starting(R(render_status, init_task()),
				       "Cpus_allowed_list:"),
			 "Cpus_allowed_list:\t0-35");
	shutdown();
}
END_TEST

START_TEST(status_threads_sum_faults)
{
	struct task_struct *p, *c, *th;
	uint64_t a;
	const char *st;

	boot();
	p = init_task();
	c = fork_of(p);
	th = thread_of(c);
	a = map_at(c, 0x40000000, 4 * PAGE_SIZE, RW, ANON | MAP_FIXED);
	touch(c, a, PAGE_SIZE, ACC_WRITE);
	touch(th, a + PAGE_SIZE, 3 * PAGE_SIZE, ACC_WRITE);
	st = R(render_status, c);
	ck_assert_str_eq(line_starting(st, "Threads:"), "Threads:\t2");
	ck_assert_str_eq(line_starting(st, "PPid:"), "PPid:\t1");
	ck_assert_str_eq(line_starting(st, "mmufs_fault_anon:"),
			 "mmufs_fault_anon:\t4");
	ck_assert_int_eq(stat_field(c, 10), 4);
	ck_assert_int_eq(stat_field(c, 20), 2);
	/* The thread's own view. */
	st = R(render_status, th);
	ck_assert_str_eq(line_starting(st, "mmufs_fault_anon:"),
			 "mmufs_fault_anon:\t3");
	ck_assert_uint_eq(value_of(st, "Tgid:"), (uint64_t)c->pid);
	ck_assert_uint_eq(value_of(st, "Pid:"), (uint64_t)th->pid);
	ck_assert_uint_eq(value_of(st, "PPid:"), 1);
	ck_assert_uint_eq(value_of(st, "VmRSS:"), 16);
	ck_assert_int_eq(stat_field(th, 10), 3);
	ck_assert_int_eq(stat_field(th, 38), -1);
	ck_assert_int_eq(stat_field(c, 38), 17);
	/* Exited threads leave their counts to the leader (a zombie). */
	do_exit_group(th, 0);
	st = R(render_status, c);
	ck_assert_str_eq(line_starting(st, "State:"), "State:\tZ (zombie)");
	ck_assert_str_eq(line_starting(st, "mmufs_fault_anon:"),
			 "mmufs_fault_anon:\t4");
	ck_assert_str_eq(line_starting(st, "Threads:"), "Threads:\t1");
	ck_assert_ptr_null(line_starting(st, "Vm"));
	ck_assert_ptr_null(line_starting(st, "Rss"));
	ck_assert_int_eq(stat_field(c, 10), 4);
	shutdown();
}
END_TEST

START_TEST(status_kthread_and_stopped)
{
	static char f[64][64];
	struct task_struct *c;
	const char *st;

	boot();
	st = R(render_status, kthreadd());
	ck_assert_str_eq(line_starting(st, "PPid:"), "PPid:\t0");
	ck_assert_str_eq(line_starting(st, "Kthread:"), "Kthread:\t1");
	ck_assert_str_eq(line_starting(st, "SigIgn:"),
			 "SigIgn:\tffffffffffffffff");
	ck_assert_ptr_null(line_starting(st, "Vm"));
	ck_assert_ptr_null(line_starting(st, "THP_enabled"));
	c = fork_of(init_task());
	ck_assert_int_eq(do_kill(c, 19), 0);
	ck_assert_str_eq(line_starting(R(render_status, c), "State:"),
			 "State:\tT (stopped)");
	ck_assert_int_eq(stat_fields(R(render_stat, c), f), 52);
	ck_assert_str_eq(f[2], "T");
	shutdown();
}
END_TEST

/* ---- stat, statm, cmdline, comm, environ ---- */

START_TEST(stat_fields_and_values)
{
	static char f[64][64];
	struct task_struct *p;
	char *host;
	uint64_t a;
	int n;

	boot();
	p = init_task();
	a = map_at(p, 0x40000000, 4 * PAGE_SIZE, RW, ANON | MAP_FIXED);
	touch(p, a, 4 * PAGE_SIZE, ACC_WRITE);
	n = stat_fields(R(render_stat, p), f);
	ck_assert_int_eq(n, 52);
	ck_assert_str_eq(f[0], "1");
	ck_assert_str_eq(f[1], "init");
	ck_assert_str_eq(f[2], "R");
	ck_assert_str_eq(f[3], "0");
	ck_assert_str_eq(f[9], "4");			/* minflt */
	ck_assert_str_eq(f[19], "1");			/* num_threads */
	ck_assert_str_eq(f[22], "151552");		/* vsize: 37 pages */
	ck_assert_str_eq(f[23], "4");			/* rss */
	ck_assert_str_eq(f[24], "18446744073709551615");
	ck_assert_str_eq(f[27], "140737488351232");	/* startstack */
	ck_assert_str_eq(f[37], "17");
	ck_assert_str_eq(f[46], "93824992231424");	/* start_brk */
	ck_assert(out.buf[out.len - 1] == '\n');
	host = read_host("/proc/self/stat");
	if (host) {
		ck_assert_int_eq(stat_fields(host, f), n);
		free(host);
	}
	shutdown();
}
END_TEST

START_TEST(stat_comm_with_parens_and_starttime)
{
	static char f[64][64];
	struct task_struct *c;

	boot();
	c = fork_of(init_task());
	task_set_comm(c, "a) (b x");
	ck_assert_int_eq(stat_fields(R(render_stat, c), f), 52);
	ck_assert_str_eq(f[1], "a) (b x");
	ck_assert_str_eq(f[2], "S");
	ck_assert_str_eq(f[3], "1");
	ck_assert_int_eq(strtoll(f[21], NULL, 10),
			 (long long)(c->start_time_ns / 10000000ULL));
	ck_assert_str_eq(R(render_comm, c), "a) (b x\n");
	task_set_comm(c, "new\\line\n");
	ck_assert_str_eq(line_starting(R(render_status, c), "Name:"),
			 "Name:\tnew\\\\line\\n");
	shutdown();
}
END_TEST

START_TEST(stat_zombie_and_kthread)
{
	static char f[64][64];
	struct task_struct *z;
	int i;

	boot();
	z = zombie_of(init_task(), 3);
	ck_assert_int_eq(stat_fields(R(render_stat, z), f), 52);
	ck_assert_str_eq(f[2], "Z");
	ck_assert_str_eq(f[51], "768");
	ck_assert_str_eq(f[22], "0");
	ck_assert_str_eq(f[23], "0");
	ck_assert_str_eq(R(render_statm, z), "0 0 0 0 0 0 0\n");
	ck_assert_str_eq(R(render_cmdline, z), "");
	ck_assert_str_eq(R(render_pagetable, z), "");
	ck_assert_str_eq(R(render_mm, z), "");
	seq_reset(&out);
	ck_assert_int_eq(render_environ(&out, z), 0);
	ck_assert_uint_eq(out.len, 0);

	ck_assert_int_eq(stat_fields(R(render_stat, kthreadd()), f), 52);
	ck_assert_str_eq(f[1], "kthreadd");
	ck_assert_str_eq(f[8], "2129984");
	ck_assert_str_eq(f[32], "2147483647");
	ck_assert_str_eq(f[34], "1");
	ck_assert_str_eq(f[37], "0");
	for (i = 44; i < 52; i++)
		ck_assert_str_eq(f[i], "0");
	ck_assert_str_eq(R(render_statm, kthreadd()), "0 0 0 0 0 0 0\n");
	shutdown();
}
END_TEST

/* oom_score: 0 for init and kthreadd; for a process, Linux's
 * proc_oom_score over RSS, swap entries and page-table pages against RAM
 * (128 MiB here), and 0 again once it is a zombie. */
START_TEST(oom_score_values)
{
	struct task_struct *p;
	uint64_t pages;
	char want[32];

	boot();
	ck_assert_str_eq(R(render_oom_score, init_task()), "0\n");
	ck_assert_str_eq(R(render_oom_score, kthreadd()), "0\n");
	p = fork_of(init_task());
	map_at(p, 0x40000000, 4 * MB, RW, ANON | MAP_FIXED);
	touch(p, 0x40000000, 4 * MB, ACC_WRITE);
	pages = get_mm_rss(p->mm) + (uint64_t)p->mm->pgtables_bytes / PAGE_SIZE;
	ck_assert_uint_ge(pages, 1024);
	snprintf(want, sizeof(want), "%llu\n", (unsigned long long)
		 ((1000 + pages * 1000 / totalram_pages) * 2 / 3));
	ck_assert_str_eq(R(render_oom_score, p), want);
	ck_assert_int_eq(do_exit(p, 0), 0);
	ck_assert_str_eq(R(render_oom_score, p), "0\n");
	shutdown();
}
END_TEST

START_TEST(statm_cmdline_environ_comm)
{
	char *argv[] = { (char *)"/bin/sh", (char *)"-c", (char *)"echo hi",
			 NULL };
	char *set[] = { (char *)"HOME=/", (char *)"PATH=/bin" };
	struct exec_args a = { argv[0], 3, argv, 2, set, 0 };
	struct task_struct *p, *th;
	char link[PATH_MAX], want[PATH_MAX];
	uint64_t s;
	int err;

	boot();
	p = init_task();
	map_at(p, 0x40000000, 4 * PAGE_SIZE, RW, ANON | MAP_FIXED);
	touch(p, 0x40000000, 2 * PAGE_SIZE, ACC_WRITE);
	s = map_at(p, 0x50000000, 2 * PAGE_SIZE, RW,
		   MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED);
	touch(p, s, PAGE_SIZE, ACC_WRITE);
	/* size resident shared text lib data dt */
	ck_assert_str_eq(R(render_statm, p), "39 3 1 0 0 37 0\n");

	ck_assert_str_eq(R(render_cmdline, p), "");	/* --init none */
	ck_assert_str_eq(R(render_comm, p), "init\n");
	ck_assert_int_eq(readlink_exe(p, link, sizeof(link)), -ENOENT);
	ck_assert_int_eq(readlink_cwd(p, link, sizeof(link)), 1);
	ck_assert_str_eq(link, "/");
	p = fork_of(p);
	do_execve(p, &a, &err);
	ck_assert_int_eq(err, 0);
	/* exe: the program's real host path, which a fork keeps. */
	ck_assert_ptr_nonnull(realpath("/bin/sh", want));
	ck_assert_int_eq(readlink_exe(p, link, sizeof(link)),
			 (int)strlen(want));
	ck_assert_str_eq(link, want);
	ck_assert_int_eq(readlink_exe(fork_of(p), link, sizeof(link)),
			 (int)strlen(want));
	ck_assert_str_eq(link, want);
	ck_assert_int_eq(readlink_exe(kthreadd(), link, sizeof(link)),
			 -ENOENT);
	R(render_cmdline, p);
	ck_assert_uint_eq(out.len, 19);
	ck_assert(!memcmp(out.buf, "/bin/sh\0-c\0echo hi\0", 19));
	seq_reset(&out);
	ck_assert_int_eq(render_environ(&out, p), 0);
	ck_assert_uint_eq(out.len, 17);
	ck_assert(!memcmp(out.buf, "HOME=/\0PATH=/bin\0", 17));
	th = thread_of(p);
	R(render_cmdline, th);
	ck_assert_uint_eq(out.len, 19);
	/* setproctitle: argv's last NUL overwritten, cmdline runs into the
	 * environment up to its first NUL (Linux's get_mm_cmdline). */
	ck_assert_uint_eq(access_remote_vm(p, p->mm->arg_end - 1, (char *)"+", 1,
					   true), 1);
	R(render_cmdline, p);
	ck_assert_uint_eq(out.len, 25);
	ck_assert(!memcmp(out.buf, "/bin/sh\0-c\0echo hi+HOME=/", 25));
	ck_assert_str_eq(R(render_comm, p), "sh\n");
	ck_assert_str_eq(R(render_comm, kthreadd()), "kthreadd\n");
	ck_assert_str_eq(R(render_cmdline, kthreadd()), "");
	seq_reset(&out);
	ck_assert_int_eq(render_environ(&out, kthreadd()), 0);
	ck_assert_uint_eq(out.len, 0);
	shutdown();
}
END_TEST

/* ---- pagemap ---- */

START_TEST(pagemap_entry_bits)
{
	struct task_struct *p, *c;
	uint64_t a, z, s, n, e;

	boot();
	p = init_task();
	a = map_at(p, 0x40000000, 2 * PAGE_SIZE, RW, ANON | MAP_FIXED);
	touch(p, a, PAGE_SIZE, ACC_WRITE);
	/* Written private anon: present, exclusive, soft-dirty, its PFN. */
	e = pagemap_entry(p, a + 123);
	ck_assert_uint_eq(e, PM_PRESENT | PM_EXCLUSIVE |
			     pte_pfn(pte_of(p, a)));
	/* Untouched page inside a vma: nothing (no soft-dirty tracking). */
	ck_assert_uint_eq(pagemap_entry(p, a + PAGE_SIZE), 0);
	/* Outside every vma, and past TASK_SIZE: 0. */
	ck_assert_uint_eq(pagemap_entry(p, 0x3fff0000), 0);
	ck_assert_uint_eq(pagemap_entry(p, STACK_TOP), 0);
	/* Read-only touch: the zero page, neither exclusive nor file. */
	z = map_at(p, 0x50000000, PAGE_SIZE, RW, ANON | MAP_FIXED);
	touch(p, z, 1, ACC_READ);
	ck_assert_uint_eq(pagemap_entry(p, z),
			  PM_PRESENT | zero_pfn);
	/* Shared anon: file bit; exclusive until another process maps it. */
	s = map_at(p, 0x60000000, PAGE_SIZE, RW,
		   MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED);
	touch(p, s, 1, ACC_WRITE);
	e = pagemap_entry(p, s);
	ck_assert_uint_eq(e & ~((1ULL << 55) - 1),
			  PM_PRESENT | PM_FILE | PM_EXCLUSIVE);
	c = fork_of(p);
	touch(c, s, 1, ACC_READ);
	ck_assert_uint_eq(pagemap_entry(p, s) & PM_EXCLUSIVE, 0);
	ck_assert_uint_eq(PM_PFN(pagemap_entry(c, s)), PM_PFN(e));
	/* COW-shared anon after fork: not exclusive any more. */
	ck_assert_uint_eq(pagemap_entry(p, a) & (PM_EXCLUSIVE | PM_PRESENT),
			  PM_PRESENT);
	ck_assert_uint_eq(PM_PFN(pagemap_entry(c, a)),
			  PM_PFN(pagemap_entry(p, a)));
	/* A PROT_NONE page is still present with its PFN. */
	n = map_at(p, 0x70000000, PAGE_SIZE, RW, ANON | MAP_FIXED);
	touch(p, n, 1, ACC_WRITE);
	ck_assert_int_eq(do_mprotect(p, n, PAGE_SIZE, PROT_NONE), 0);
	e = pagemap_entry(p, n);
	ck_assert_uint_eq(e & (PM_PRESENT | PM_EXCLUSIVE),
			  PM_PRESENT | PM_EXCLUSIVE);
	ck_assert_uint_eq(PM_PFN(e), pte_pfn(pte_of(p, n)));
	ck_assert_uint_eq(pagemap_entry(kthreadd(), a), 0);
	shutdown();
}
END_TEST

START_TEST(pagemap_read_ranges_and_errors)
{
	struct task_struct *p;
	uint64_t a, buf[64], i, eof = (STACK_TOP >> PAGE_SHIFT) * 8;
	char raw[32];

	boot();
	p = init_task();
	a = map_at(p, 0x40002000, 3 * PAGE_SIZE, RW, ANON | MAP_FIXED);
	touch(p, a + PAGE_SIZE, PAGE_SIZE, ACC_WRITE);
	/* 8 pages from 0x40000000: a hole of 2, the vma of 3, a hole. */
	ck_assert_int_eq(read_pagemap(p, (char *)buf, 64,
				      (0x40000000 >> PAGE_SHIFT) * 8), 64);
	for (i = 0; i < 8; i++)
		ck_assert_uint_eq(buf[i],
				  pagemap_entry(p, 0x40000000 + i * PAGE_SIZE));
	ck_assert_uint_eq(buf[0], 0);
	ck_assert_uint_eq(buf[2], 0);
	ck_assert(buf[3] & PM_PRESENT);
	ck_assert_uint_eq(buf[5], 0);
	/* Alignment of offset and size. */
	ck_assert_int_eq(read_pagemap(p, raw, 8, 4), -EINVAL);
	ck_assert_int_eq(read_pagemap(p, raw, 12, 0), -EINVAL);
	ck_assert_int_eq(read_pagemap(p, raw, 4, 8), -EINVAL);
	ck_assert_int_eq(read_pagemap(p, raw, 0, 8), 0);
	/* End at TASK_SIZE/4096 entries; a straddling read is cut. */
	ck_assert_uint_eq(eof, 0x3ffffffff8ULL);
	ck_assert_int_eq(read_pagemap(p, raw, 8, eof), 0);
	ck_assert_int_eq(read_pagemap(p, raw, 32, eof - 16), 16);
	memcpy(buf, raw, 16);
	ck_assert_uint_eq(buf[0], 0);	/* inside [stack], not present */
	ck_assert_int_eq(read_pagemap(p, raw, 8, UINT64_MAX - 7), 0);
	/* No mm. */
	ck_assert_int_eq(read_pagemap(kthreadd(), raw, 8, 0), -ESRCH);
	ck_assert_int_eq(read_pagemap(zombie_of(p, 0), raw, 8, 0), -ESRCH);
	shutdown();
}
END_TEST

/* ---- pagetable, mm ---- */

START_TEST(pagetable_tree_lines)
{
	struct task_struct *p;
	uint64_t va = STACK_TOP - PAGE_SIZE, z, n;
	const char *pt;
	char want[256], *copy;
	int headers = 0;
	const char *l;
	pte_t e;

	boot();
	p = init_task();
	touch(p, va, 1, ACC_WRITE);
	pt = R(render_pagetable, p);
	/* 8 lines of the user half, then the kernel half: the direct map's
	 * PML4[273] and the vmalloc area's 64 preallocated entries. */
	ck_assert_int_eq(count_lines(pt), 8 + 1 + 64);
	ck_assert_ptr_nonnull(line_starting(pt,
		"  PML4[273] ffff888000000000-ffff890000000000 0x"));
	ck_assert_ptr_nonnull(strstr(pt, " P RW A D shared:init_mm\n"));
	ck_assert_ptr_nonnull(line_starting(pt,
		"  PML4[402] ffffc90000000000-ffffc98000000000 0x"));
	ck_assert_ptr_nonnull(line_starting(pt,
		"  PML4[465] ffffe88000000000-ffffe90000000000 0x"));
	ck_assert_ptr_null(strstr(pt, "US shared:init_mm"));
	snprintf(want, sizeof(want), "PML4 pfn 0x%llx",
		 (unsigned long long)(p->mm->pgd >> PAGE_SHIFT));
	ck_assert_str_eq(line_starting(pt, "PML4 "), want);
	ck_assert_ptr_nonnull(line_starting(pt,
		"  PML4[255] 7f8000000000-800000000000 0x"));
	ck_assert_ptr_nonnull(line_starting(pt,
		"      PDPT[511] 7fffc0000000-800000000000 0x"));
	ck_assert_ptr_nonnull(line_starting(pt,
		"          PD[511] 7fffffe00000-800000000000 0x"));
	e = pte_of(p, va);
	snprintf(want, sizeof(want),
		 "              PT[510] 7fffffffe000-7ffffffff000 0x%016llx "
		 "pfn 0x%llx P RW US A D NX",
		 (unsigned long long)e, (unsigned long long)pte_pfn(e));
	ck_assert_str_eq(line_starting(pt, "              PT[510]"), want);

	/* The zero page: read-only, SPECIAL; PROT_NONE: PROTNONE, no P. */
	z = map_at(p, 0x40000000, PAGE_SIZE, RW, ANON | MAP_FIXED);
	touch(p, z, 1, ACC_READ);
	n = map_at(p, 0x40001000, PAGE_SIZE, PROT_READ, ANON | MAP_FIXED);
	touch(p, n, 1, ACC_READ);
	ck_assert_int_eq(do_mprotect(p, n, PAGE_SIZE, PROT_NONE), 0);
	copy = dup_text(R(render_pagetable, p));
	e = pte_of(p, z);
	snprintf(want, sizeof(want),
		 "              PT[0] 000040000000-000040001000 0x%016llx pfn 0x%llx "
		 "P US A SPECIAL NX", (unsigned long long)e,
		 (unsigned long long)zero_pfn);
	ck_assert_str_eq(line_starting(copy, "              PT[0] "), want);
	e = pte_of(p, n);
	snprintf(want, sizeof(want),
		 "              PT[1] 000040001000-000040002000 0x%016llx pfn 0x%llx "
		 "A PROTNONE SPECIAL", (unsigned long long)e,
		 (unsigned long long)zero_pfn);
	ck_assert_str_eq(line_starting(copy, "              PT[1] "), want);
	/* One header per table: the top one plus pgtables_bytes' worth. */
	for (l = copy; *l; l = strchr(l, '\n') + 1) {
		const char *c = l + strspn(l, " ");

		headers += strncmp(c, "PML4 ", 5) == 0 ||
			   strncmp(c, "PDPT ", 5) == 0 ||
			   strncmp(c, "PD ", 3) == 0 || strncmp(c, "PT ", 3) == 0;
	}
	ck_assert_int_eq(headers, 1 + p->mm->pgtables_bytes / 4096);
	free(copy);
	ck_assert_str_eq(R(render_pagetable, kthreadd()), "");
	shutdown();
}
END_TEST

START_TEST(mm_fields_and_borrowing)
{
	static const char *names =
		"start_code end_code start_data end_data start_brk brk "
		"start_stack arg_start arg_end env_start env_end mmap_base "
		"task_size map_count total_vm locked_vm pinned_vm data_vm "
		"exec_vm stack_vm shared_vm pgtables_bytes mm_users mm_count "
		"rss_file rss_anon rss_swapents rss_shmem hiwater_rss "
		"hiwater_vm pgd pcid anon_vma cpu_bitmap";
	struct task_struct *p, *c, *k;
	const char *m;
	char want[64], *keys;
	const char *l;
	size_t len = 0;

	boot();
	p = init_task();
	m = R(render_mm, p);
	/* keys_of splits at ':'; mm lines are "name value": take words. */
	keys = calloc(1, strlen(m) + 1);
	for (l = m; *l; l = strchr(l, '\n') + 1)
		len += (size_t)sprintf(keys + len, "%s%.*s", len ? " " : "",
				       (int)strcspn(l, " "), l);
	ck_assert_str_eq(keys, names);
	free(keys);
	ck_assert_str_eq(line_starting(m, "start_brk "),
			 "start_brk 0x555555554000");
	ck_assert_str_eq(line_starting(m, "task_size "),
			 "task_size 0x7ffffffff000");
	ck_assert_str_eq(line_starting(m, "map_count "), "map_count 1");
	ck_assert_str_eq(line_starting(m, "stack_vm "), "stack_vm 33");
	ck_assert_str_eq(line_starting(m, "mm_users "), "mm_users 1");
	ck_assert_str_eq(line_starting(m, "anon_vma "), "anon_vma none");
	snprintf(want, sizeof(want), "pgd 0x%llx",
		 (unsigned long long)p->mm->pgd);
	ck_assert_str_eq(line_starting(m, "pgd "), want);

	k = kthreadd();
	ck_assert_str_eq(R(render_mm, k), "active_mm none\n");
	c = fork_of(p);
	touch(c, STACK_TOP - PAGE_SIZE, 1, ACC_WRITE);
	context_switch(0, k);
	snprintf(want, sizeof(want), "active_mm borrowed from pid %d\n", c->pid);
	ck_assert_str_eq(R(render_mm, k), want);
	ck_assert_str_eq(line_starting(R(render_status, k), "State:"),
			 "State:\tR (running)");
	do_exit_group(c, 0);
	ck_assert_str_eq(R(render_mm, k),
			 "active_mm borrowed from exited mm (mm_users 0)\n");
	context_switch(0, p);
	ck_assert_str_eq(R(render_mm, k), "active_mm none\n");
	shutdown();
}
END_TEST

/* numa_maps: a line per vma; the counts of its present normal pages. */
START_TEST(numa_maps_counts_pages)
{
	struct task_struct *p, *c;
	const char *l;

	boot();
	p = init_task();
	map_at(p, 0x40000000, 4 * PAGE_SIZE, RW, ANON | MAP_FIXED);
	touch(p, 0x40000000, 2 * PAGE_SIZE, ACC_WRITE);
	map_at(p, 0x50000000, 2 * PAGE_SIZE, RW, ANON | MAP_FIXED);
	c = fork_of(p);
	l = strstr(R(render_numa_maps, c), "40000000 default anon=2 dirty=2 "
		   "mapmax=2 ");
	ck_assert_ptr_nonnull(l);
	ck_assert_ptr_nonnull(strstr(l, " N0=2 kernelpagesize_kB=4\n"));
	ck_assert_ptr_nonnull(strstr(out.buf, "\n50000000 default\n"));
	ck_assert_str_eq(R(render_numa_maps, kthreadd()), "");
	shutdown();
}
END_TEST

/* schedstat: no time on or waiting for a CPU; the switches onto one. */
START_TEST(schedstat_counts_switches_in)
{
	struct task_struct *p, *k;
	char want[64];
	uint64_t n;

	boot();
	p = init_task();
	k = kthreadd();
	n = k->pcount;
	context_switch(0, k);
	context_switch(0, k);	/* already there: no switch */
	context_switch(0, p);
	context_switch(0, k);
	snprintf(want, sizeof(want), "0 0 %" PRIu64 "\n", n + 2);
	ck_assert_str_eq(R(render_schedstat, k), want);
	shutdown();
}
END_TEST

static Suite *render_pid_suite(void)
{
	Suite *s = suite_create("render_pid");
	TCase *tc;

	tc = tcase_create("maps");
	tcase_add_test(tc, maps_stack_line_exact);
	tcase_add_test(tc, maps_anon_trailing_blank_and_order);
	tcase_add_test(tc, maps_shared_anon_shows_shmem_object);
	tcase_add_test(tc, maps_heap_follows_brk);
	tcase_add_test(tc, maps_kthread_zombie_empty_thread_same);
	tcase_add_test(tc, maps_i386_layout);
	suite_add_tcase(s, tc);

	tc = tcase_create("smaps");
	tcase_add_test(tc, smaps_fork_pss_halves);
	tcase_add_test(tc, smaps_three_way_pss_fixed_point);
	tcase_add_test(tc, smaps_zero_page_and_prot_none);
	tcase_add_test(tc, smaps_shared_anon_and_locked);
	tcase_add_test(tc, smaps_format_matches_host);
	tcase_add_test(tc, smaps_rollup_sums_and_header);
	tcase_add_test(tc, smaps_rollup_empty_mm);
	suite_add_tcase(s, tc);

	tc = tcase_create("status");
	tcase_add_test(tc, status_keys_match_host);
	tcase_add_test(tc, status_lines_and_values);
	tcase_add_test(tc, status_cpus_bitmap);
	tcase_add_test(tc, status_threads_sum_faults);
	tcase_add_test(tc, status_kthread_and_stopped);
	suite_add_tcase(s, tc);

	tc = tcase_create("stat");
	tcase_add_test(tc, stat_fields_and_values);
	tcase_add_test(tc, stat_comm_with_parens_and_starttime);
	tcase_add_test(tc, stat_zombie_and_kthread);
	tcase_add_test(tc, statm_cmdline_environ_comm);
	tcase_add_test(tc, schedstat_counts_switches_in);
	tcase_add_test(tc, numa_maps_counts_pages);
	tcase_add_test(tc, oom_score_values);
	suite_add_tcase(s, tc);

	tc = tcase_create("pagemap");
	tcase_add_test(tc, pagemap_entry_bits);
	tcase_add_test(tc, pagemap_read_ranges_and_errors);
	suite_add_tcase(s, tc);

	tc = tcase_create("pagetable_mm");
	tcase_add_test(tc, pagetable_tree_lines);
	tcase_add_test(tc, mm_fields_and_borrowing);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(render_pid_suite());
}
