/*
 * test_render_sys.c - the machine-wide renderers (fs/render_sys.c) on
 * booted machines: exact values against the simulation's state, the
 * formats of docs/procfs-formats.md, and the key lists of the host's own
 * /proc files when the host runs the 6.18 kernel the formats were taken
 * from.
 */
#include <check.h>
#include <errno.h>
#include <inttypes.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "render.h"
#include "kernel/kernel.h"
#include "mm/mm.h"
#include "mm/slab.h"
#include "mm/page_alloc.h"
#include "mm/memcontrol.h"
#include "mm/pgtable.h"
#include "kernel/sched.h"
#include "mm/vma.h"
#include "mm/vmalloc.h"
#include "mm/vmstat.h"
#include "machine.h"
#include "kernel/time.h"

#define MAX_LINES 4096

/* Bits of kernel-page-flags.h used below. */
#define KPF_UPTODATE	3
#define KPF_DIRTY	4
#define KPF_LRU		5
#define KPF_BUDDY	10
#define KPF_MMAP	11
#define KPF_ANON	12
#define KPF_SWAPBACKED	14
#define KPF_UNEVICTABLE	18
#define KPF_ZERO_PAGE	24
#define KPF_PGTABLE	26
#define KPF_RESERVED	32
#define KPF_MLOCKED	33
#define KPF_ANON_EXCL	34
#define BIT(n)		(1ULL << (n))

static struct seq out;

/* ---- machine ---- */

/* boot_mode - boot a machine of mem bytes and cpus CPUs in paging mode m
 * (must succeed); `out` starts empty. */
static void boot_mode(uint64_t mem, int cpus, bool pcid, enum paging_mode m)
{
	boot_machine(mem, cpus, pcid, m);
	seq_init(&out);
}

/* boot - the default machine: 128 MiB, one CPU, x86-64. */
static void boot(void)
{
	boot_mode(128 * MB, 1, false, PAGING_4LEVEL);
}

/* shutdown - the invariant checker finds nothing; power off. */
static void shutdown(void)
{
	assert_check();
	seq_free(&out);
	kernel_shutdown();
}

/* ---- text helpers ---- */

typedef void (*render_fn)(struct seq *);

/* render - fn's text (owned by `out`, valid until the next render). */
static const char *render(render_fn fn)
{
	seq_reset(&out);
	fn(&out);
	ck_assert(!out.overflow);
	return out.buf ? out.buf : "";
}

/* render_copy - fn's text in a fresh buffer the caller frees. */
static char *render_copy(render_fn fn)
{
	char *c = strdup(render(fn));

	ck_assert_ptr_nonnull(c);
	return c;
}

/* frame_text - frames/<pfn> (owned by `out`). */
static char *frame_text(uint64_t pfn)
{
	seq_reset(&out);
	render_frame(&out, pfn);
	return out.buf;
}

/* tlb_text - cpu<N>/tlb (owned by `out`). */
static char *tlb_text(int cpu)
{
	seq_reset(&out);
	render_tlb(&out, cpu);
	return out.buf;
}

/* split - the lines of text (a copy the caller frees through *store). */
static int split(const char *text, char **lines, char **store)
{
	char *c = strdup(text), *p = c, *nl;
	int n = 0;

	ck_assert_ptr_nonnull(c);
	*store = c;
	while (*p && n < MAX_LINES) {
		nl = strchr(p, '\n');
		ck_assert_msg(nl != NULL, "unterminated line: %s", p);
		*nl = '\0';
		lines[n++] = p;
		p = nl + 1;
	}
	return n;
}

/* value_of - the number after `key` (which includes its separator, ":"
 * or " ") on the line starting with it; fails when absent. */
static uint64_t value_of(const char *text, const char *key)
{
	size_t len = strlen(key);
	const char *p = text;

	while (p && *p) {
		if (!strncmp(p, key, len))
			return strtoull(p + len, NULL, 10);
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	ck_abort_msg("no line %s", key);
	return 0;
}

/* has_line - text holds exactly this line. */
static bool has_line(const char *text, const char *line)
{
	size_t len = strlen(line);
	const char *p = text;

	while (p && *p) {
		if (!strncmp(p, line, len) && (p[len] == '\n' || !p[len]))
			return true;
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return false;
}

/* count_prefix - the lines of text that start with prefix. */
static int count_prefix(const char *text, const char *prefix)
{
	size_t len = strlen(prefix);
	const char *p = text;
	int n = 0;

	while (p && *p) {
		n += !strncmp(p, prefix, len);
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return n;
}

/* matches - s matches the POSIX extended regex re. */
static bool matches(const char *re, const char *s)
{
	regex_t r;
	int rc;

	ck_assert_int_eq(regcomp(&r, re, REG_EXTENDED | REG_NOSUB), 0);
	rc = regexec(&r, s, 0, NULL, 0);
	regfree(&r);
	return rc == 0;
}

/* ---- meminfo ---- */

START_TEST(meminfo_format)
{
	char *lines[MAX_LINES], *store, line[128];
	const char *t;
	int n;

	boot();
	t = render(render_meminfo);
	n = split(t, lines, &store);
	ck_assert_int_ge(n, 50);
	for (int i = 0; i < n; i++) {
		char key[64];
		uint64_t v;

		ck_assert_msg(matches("^[A-Za-z][A-Za-z0-9_()]*: +[0-9]+( kB)?$",
				      lines[i]), "bad line '%s'", lines[i]);
		ck_assert_int_eq(sscanf(lines[i], "%63s %" SCNu64, key, &v), 2);
		if (!strncmp(key, "HugePages_", 10))
			snprintf(line, sizeof(line), "%-16s   %5" PRIu64, key, v);
		else
			snprintf(line, sizeof(line), "%-16s%8" PRIu64 " kB", key, v);
		ck_assert_str_eq(lines[i], line);
	}
	snprintf(line, sizeof(line), "MemTotal:       %8" PRIu64 " kB",
		 totalram_pages * 4);
	ck_assert_str_eq(lines[0], line);
	ck_assert_uint_eq(value_of(t, "MemTotal:"), totalram_pages * 4);
	ck_assert_uint_eq(value_of(t, "MemFree:"), nr_free_pages() * 4);
	ck_assert_uint_le(value_of(t, "MemAvailable:"), value_of(t, "MemTotal:"));
	ck_assert_uint_eq(value_of(t, "Active:"), value_of(t, "Active(anon):") +
			  value_of(t, "Active(file):"));
	ck_assert_uint_eq(value_of(t, "Inactive:"),
			  value_of(t, "Inactive(anon):") +
			  value_of(t, "Inactive(file):"));
	ck_assert_uint_eq(value_of(t, "CommitLimit:"), vm_commit_limit() * 4);
	ck_assert_uint_eq(value_of(t, "PageTables:"),
			  (uint64_t)vmstat.node[NR_PAGETABLE] * 4);
	ck_assert(has_line(t, "VmallocTotal:   34359738367 kB"));
	ck_assert(has_line(t, "HugePages_Total:       0"));
	ck_assert(has_line(t, "HugePages_Free:        0"));
	ck_assert(has_line(t, "HugePages_Surp:        0"));
	ck_assert(has_line(t, "Hugepagesize:       2048 kB"));
	free(store);
	shutdown();
}
END_TEST

/* meminfo_optional - lines the doc (§6.1) calls config-dependent, and the
 * direct-map lines, which depend on the CPU (DirectMap1G: 1 GiB pages).
 * No other key starts with one of these. */
static bool meminfo_optional(const char *key)
{
	static const char *const keys[] = {
		"HighTotal", "HighFree", "LowTotal", "LowFree", "Zswap",
		"Zswapped", "ShadowCallStack", "HardwareCorrupted",
		"AnonHugePages", "ShmemHugePages", "ShmemPmdMapped",
		"FileHugePages", "FilePmdMapped", "CmaTotal", "CmaFree",
		"Balloon", "Unaccepted", "DirectMap4k", "DirectMap2M",
		"DirectMap4M", "DirectMap1G",
	};

	return has_prefix(key, keys, ARRAY_SIZE(keys));
}

START_TEST(meminfo_keys_like_host)
{
	char *host = read_host("/proc/meminfo"), *mine;

	if (!host)
		return;
	boot();
	mine = render_copy(render_meminfo);
	assert_text_keys_like_host(mine, host, ':', meminfo_optional);
	free(mine);
	free(host);
	shutdown();
}
END_TEST

/* net/dev is its two header lines, as the host's begin; softirqs has
 * the host's rows and columns (the names, a CPU<N> column per CPU, each
 * count 10 wide), every count 0. */
START_TEST(net_dev_and_softirqs_like_host)
{
	char *host = read_host("/proc/net/dev"), *mine, *nl;
	const char *l;
	int rows = 0;

	boot_mode(128 * MB, 2, false, PAGING_4LEVEL);
	mine = render_copy(render_net_dev);
	if (host) {
		nl = strchr(strchr(host, '\n') + 1, '\n');
		nl[1] = '\0';
		ck_assert_str_eq(mine, host);
	}
	free(host);
	free(mine);
	mine = render_copy(render_softirqs);
	ck_assert(!strncmp(mine, "                    CPU0       CPU1       \n",
			   43));
	host = read_host("/proc/softirqs");
	for (l = strchr(mine, '\n') + 1; *l; l = strchr(l, '\n') + 1) {
		ck_assert_int_eq(strchr(l, '\n') - l, 12 + 1 + 2 * 11);
		ck_assert(!strncmp(l + 12, ": ", 2));
		ck_assert(!strncmp(l + 13, "          0          0\n", 22));
		if (host) {
			char name[16];

			snprintf(name, sizeof(name), "\n%.13s", l);
			ck_assert_ptr_nonnull(strstr(host, name));
		}
		rows++;
	}
	ck_assert_int_eq(rows, 10);
	free(host);
	free(mine);
	shutdown();
}
END_TEST

/* interrupts: the host's header and, for each row the host has too, its
 * width and description (when the host has as many CPUs); the TLB row
 * counts the remote flushes each CPU received, CAL those and more. */
START_TEST(interrupts_like_host)
{
	char *host = read_host("/proc/interrupts"), *mine, line[256];
	const char *l, *h, *tlb, *cal;
	uint64_t sum = 0;
	size_t len;

	boot_mode(128 * MB, 2, false, PAGING_4LEVEL);
	fork_of(init_task());
	mine = render_copy(render_interrupts);
	ck_assert(!strncmp(mine, "           CPU0       CPU1       \n", 34));
	for (l = strchr(mine, '\n') + 1; *l; l = strchr(l, '\n') + 1) {
		len = (size_t)(strchr(l, '\n') - l);
		snprintf(line, sizeof(line), "\n%.4s", l);
		h = host && !strncmp(host, mine, 34) ? strstr(host, line) : NULL;
		if (h) {
			ck_assert_int_eq(strchr(h + 1, '\n') - h - 1, (long)len);
			ck_assert(!strncmp(h + 1 + len - 8, l + len - 8, 8));
		}
	}
	tlb = strstr(mine, "\nTLB: ");
	cal = strstr(mine, "\nCAL: ");
	ck_assert_ptr_nonnull(tlb);
	ck_assert_ptr_nonnull(cal);
	sum = strtoull(tlb + 6, (char **)&l, 10);
	sum += strtoull(l, NULL, 10);
	ck_assert_uint_eq(sum, vmstat.events[NR_TLB_REMOTE_FLUSH_RECEIVED]);
	ck_assert_uint_ge(strtoull(cal + 6, NULL, 10), strtoull(tlb + 6, NULL, 10));
	free(host);
	free(mine);
	shutdown();
}
END_TEST

/* has_flag - cpuinfo's first "flags" line names flag. */
static bool has_flag(const char *cpuinfo, const char *flag)
{
	const char *l = strstr(cpuinfo, "flags\t\t:"), *nl, *f;
	size_t n = strlen(flag);

	ck_assert_ptr_nonnull(l);
	nl = strchr(l, '\n');
	for (f = strstr(l, flag); f && f < nl; f = strstr(f + 1, flag))
		if (f[-1] == ' ' && (f[n] == ' ' || f[n] == '\n'))
			return true;
	return false;
}

/* DirectMap1G is printed when the simulated CPU has 1 GiB pages (Linux's
 * arch_report_meminfo asks direct_gbpages), as its cpuinfo's pdpe1gb
 * says, whatever the host's CPU has; a 32-bit machine prints DirectMap4M. */
START_TEST(meminfo_directmap_follows_simulated_cpu)
{
	boot();
	ck_assert(cpu_has(&hw, X86_FEATURE_GBPAGES));
	ck_assert(has_flag(render(render_cpuinfo), "pdpe1gb"));
	ck_assert(has_line(render(render_meminfo), "DirectMap1G:           0 kB"));
	hw.features &= ~(1U << X86_FEATURE_GBPAGES);	/* a CPU without */
	ck_assert(!has_flag(render(render_cpuinfo), "pdpe1gb"));
	ck_assert(has_flag(render(render_cpuinfo), "pse"));
	ck_assert(!strstr(render(render_meminfo), "DirectMap1G"));
	ck_assert(has_line(render(render_meminfo), "DirectMap2M:           0 kB"));
	shutdown();
	boot_mode(64 * MB, 1, false, PAGING_2LEVEL);
	ck_assert(has_flag(render(render_cpuinfo), "pdpe1gb"));
	ck_assert(!strstr(render(render_meminfo), "DirectMap1G"));
	ck_assert(has_line(render(render_meminfo), "DirectMap4M:           0 kB"));
	shutdown();
}
END_TEST

/* value_end - the column where the value of a meminfo line ends. */
static size_t value_end(const char *line)
{
	size_t n = strlen(line);

	if (n > 3 && !strcmp(line + n - 3, " kB"))
		n -= 3;
	return n;
}

START_TEST(meminfo_columns_like_host)
{
	char *host = read_host("/proc/meminfo"), *mine, *hs, *ms;
	char *hl[MAX_LINES], *ml[MAX_LINES];
	int nh, nm, compared = 0;

	if (!host)
		return;
	boot();
	mine = render_copy(render_meminfo);
	nh = split(host, hl, &hs);
	nm = split(mine, ml, &ms);
	for (int i = 0; i < nm; i++) {
		size_t klen = strcspn(ml[i], ":") + 1;

		for (int j = 0; j < nh; j++) {
			if (strncmp(ml[i], hl[j], klen))
				continue;
			/* Values of more than 8 digits push the column. */
			if (value_end(hl[j]) - klen > 16 ||
			    value_end(ml[i]) - klen > 16)
				continue;
			ck_assert_msg(value_end(ml[i]) == value_end(hl[j]),
				      "'%s' vs host '%s'", ml[i], hl[j]);
			compared++;
		}
	}
	ck_assert_int_ge(compared, 40);
	free(hs);
	free(ms);
	free(mine);
	free(host);
	shutdown();
}
END_TEST

START_TEST(meminfo_tracks_anon_pages)
{
	struct task_struct *t;
	char *before, *after;
	uint64_t a, n = 64, tables;

	boot();
	t = init_task();
	before = render_copy(render_meminfo);
	a = map_at(t, 0, n * PAGE_SIZE, RW, ANON);
	touch(t, a, n * PAGE_SIZE, ACC_WRITE);
	/* MemFree leaves out pcp pages: drained, the frames used show. */
	drain_all_pages(NULL);
	after = render_copy(render_meminfo);
	tables = (value_of(after, "PageTables:") -
		  value_of(before, "PageTables:")) / 4;
	ck_assert_uint_eq(tables, 3);	/* PDPT, PD, PT below init's PML4 */
	ck_assert_uint_eq(value_of(after, "MemTotal:"),
			  value_of(before, "MemTotal:"));
	/* and the slab of init's first anon_vma (Slab grows by it) */
	ck_assert_uint_eq(value_of(after, "Slab:") - value_of(before, "Slab:"),
			  4);
	ck_assert_uint_eq(value_of(before, "MemFree:") -
			  value_of(after, "MemFree:"), (n + tables + 1) * 4);
	ck_assert_uint_eq(value_of(after, "AnonPages:") -
			  value_of(before, "AnonPages:"), n * 4);
	ck_assert_uint_eq(value_of(after, "Inactive(anon):") -
			  value_of(before, "Inactive(anon):"), n * 4);
	ck_assert_uint_eq(value_of(after, "Committed_AS:") -
			  value_of(before, "Committed_AS:"), n * 4);
	ck_assert_int_eq(do_munmap(t->mm, a, n * PAGE_SIZE), 0);
	free(after);
	after = render_copy(render_meminfo);
	ck_assert_uint_eq(value_of(after, "AnonPages:"),
			  value_of(before, "AnonPages:"));
	ck_assert_uint_eq(value_of(after, "Committed_AS:"),
			  value_of(before, "Committed_AS:"));
	free(before);
	free(after);
	shutdown();
}
END_TEST

/* expected_available - si_mem_available recomputed here. */
static uint64_t expected_available(void)
{
	uint64_t reserve = 0, wlow = 0, cache;
	int64_t avail;

	for (int i = 0; i < MAX_NR_ZONES; i++) {
		uint64_t max = 0;

		for (int j = i; j < MAX_NR_ZONES; j++)
			if (zones[i].lowmem_reserve[j] > max)
				max = zones[i].lowmem_reserve[j];
		max += zones[i].watermark[WMARK_HIGH];
		reserve += max < zones[i].managed_pages ? max :
			   zones[i].managed_pages;
		wlow += zones[i].watermark[WMARK_LOW];
	}
	cache = root_mem_cgroup.lruvec[0].nr_pages[LRU_ACTIVE_FILE] +
		root_mem_cgroup.lruvec[0].nr_pages[LRU_INACTIVE_FILE];
	cache -= cache / 2 < wlow ? cache / 2 : wlow;
	avail = (int64_t)nr_free_pages() - (int64_t)reserve + (int64_t)cache;
	return avail > 0 ? (uint64_t)avail : 0;
}

START_TEST(meminfo_available_and_shmem)
{
	struct task_struct *t;
	const char *m;
	uint64_t a;

	boot_mode(5 * GB, 2, false, PAGING_4LEVEL);
	m = render(render_meminfo);
	ck_assert_uint_eq(value_of(m, "MemAvailable:"), expected_available() * 4);
	t = init_task();
	a = map_at(t, 0, 8 * PAGE_SIZE, RW, MAP_SHARED | MAP_ANONYMOUS);
	touch(t, a, 8 * PAGE_SIZE, ACC_WRITE);
	m = render(render_meminfo);
	ck_assert_uint_eq(value_of(m, "Shmem:"), 32);
	ck_assert_uint_eq(value_of(m, "Cached:"), 32);
	ck_assert_uint_eq(value_of(m, "Mapped:"), 32);
	ck_assert_uint_eq(value_of(m, "AnonPages:"), 0);
	ck_assert_uint_eq(value_of(m, "MemAvailable:"), expected_available() * 4);
	shutdown();
}
END_TEST

START_TEST(meminfo_mlocked)
{
	struct task_struct *t;
	const char *m;
	uint64_t a;

	boot();
	t = init_task();
	a = map_at(t, 0, 4 * PAGE_SIZE, RW, ANON);
	touch(t, a, 4 * PAGE_SIZE, ACC_WRITE);
	ck_assert_int_eq(do_mlock(t, a, 4 * PAGE_SIZE, true), 0);
	m = render(render_meminfo);
	ck_assert_uint_eq(value_of(m, "Mlocked:"), 16);
	ck_assert_uint_eq(value_of(m, "Unevictable:"), 16);
	shutdown();
}
END_TEST

/* ---- vmstat ---- */

START_TEST(vmstat_format)
{
	char *lines[MAX_LINES], *store;
	const char *t;
	bool in_mmufs = false;
	int n;

	boot();
	t = render(render_vmstat);
	ck_assert_uint_lt(strlen(t), 8191);
	n = split(t, lines, &store);
	for (int i = 0; i < n; i++) {
		ck_assert_msg(matches("^[a-z][a-z0-9_]* [0-9]+$", lines[i]),
			      "bad line '%s'", lines[i]);
		if (!strncmp(lines[i], "mmufs_", 6))
			in_mmufs = true;
		else
			ck_assert_msg(!in_mmufs, "%s after mmufs_ lines",
				      lines[i]);
	}
	ck_assert(!strncmp(lines[0], "nr_free_pages ", 14));
	ck_assert(!strncmp(lines[1], "nr_free_pages_blocks ", 21));
	ck_assert_uint_eq(value_of(t, "nr_free_pages "), nr_free_pages());
	ck_assert_str_eq(lines[n - 1], "mmufs_tlb_flush_one 0");
	ck_assert(has_line(t, "mmufs_fault_anon 0"));
	ck_assert(has_line(t, "mmufs_fork 0"));
	ck_assert(has_line(t, "mmufs_zero_page_mapped 0"));
	ck_assert(has_line(t, "nr_unstable 0"));
	free(store);
	shutdown();
}
END_TEST

/* vmstat_optional - counters that exist only under a kernel config
 * (numa_* CONFIG_NUMA, thp_* THP, nr_tlb_* CONFIG_DEBUG_TLBFLUSH, which
 * mmufs prints and the reference host lacks, ...) and mmufs's own. */
static bool vmstat_optional(const char *key)
{
	static const char *const prefixes[] = {
		"mmufs_", "nr_tlb_", "numa_", "thp_", "balloon_", "zswp",
		"swap_ra", "kstack_", "vma_lock_", "nr_unaccepted", "cma_",
		"nr_free_cma", "compact_", "pgmigrate_", "thp_migration",
		"htlb_buddy_alloc_", "nr_zspages", "cow_ksm", "ksm_",
		"direct_map_", "pgdemote_", "pgpromote_", "nr_hugetlb",
		"nr_balloon_pages", "nr_iommu_pages", "drain_", "pgsteal_proactive",
		"pgscan_proactive",
	};

	return has_prefix(key, prefixes, ARRAY_SIZE(prefixes));
}

START_TEST(vmstat_keys_like_host)
{
	char *host = read_host("/proc/vmstat"), *mine;

	if (!host)
		return;
	boot();
	mine = render_copy(render_vmstat);
	assert_text_keys_like_host(mine, host, ' ', vmstat_optional);
	free(mine);
	free(host);
	shutdown();
}
END_TEST

START_TEST(vmstat_shows_every_counter)
{
	struct vmstat saved = vmstat;
	char name[96];
	const char *t;

	boot();
	saved = vmstat;
	for (int i = 0; i < NR_VM_EVENT_ITEMS; i++)
		vmstat.events[i] = 100000 + (uint64_t)i;
	for (int i = 0; i < NR_VM_NODE_STAT_ITEMS; i++)
		vmstat.node[i] = 50000 + i;
	t = render(render_vmstat);
	for (int i = 0; i < NR_VM_EVENT_ITEMS; i++) {
		/* The highmem events are an i386 kernel's. */
		if (!vm_event_names[i] || i == PGALLOC_HIGH ||
		    i == ALLOCSTALL_HIGH)
			continue;
		snprintf(name, sizeof(name), "%s %d", vm_event_names[i],
			 100000 + i);
		ck_assert_msg(has_line(t, name), "no line '%s'", name);
	}
	for (int i = 0; i < NR_VM_NODE_STAT_ITEMS; i++) {
		snprintf(name, sizeof(name), "%s %d", node_stat_names[i],
			 50000 + i);
		ck_assert_msg(has_line(t, name), "no line '%s'", name);
	}
	/* The numa events are the zones' (zone_statistics), one per
	 * allocation: on one node every allocation is a local hit. */
	ck_assert_uint_eq(value_of(t, "numa_hit "), sum_numa_event(NUMA_HIT));
	ck_assert_uint_eq(value_of(t, "numa_local "), sum_numa_event(NUMA_HIT));
	ck_assert_uint_gt(sum_numa_event(NUMA_HIT), 0);
	ck_assert_uint_eq(value_of(t, "numa_miss "), 0);
	vmstat = saved;
	shutdown();
}
END_TEST

START_TEST(vmstat_counts_faults_and_tlb)
{
	struct task_struct *t;
	char *before, *after;
	uint64_t a, hits = 0, misses = 0;

	boot_mode(128 * MB, 2, false, PAGING_4LEVEL);
	t = init_task();
	before = render_copy(render_vmstat);
	a = map_at(t, 0, 10 * PAGE_SIZE, RW, ANON);
	touch(t, a, 10 * PAGE_SIZE, ACC_WRITE);
	touch(t, a, 10 * PAGE_SIZE, ACC_READ);
	after = render_copy(render_vmstat);
	ck_assert_uint_eq(value_of(after, "pgfault ") -
			  value_of(before, "pgfault "), 10);
	ck_assert_uint_eq(value_of(after, "mmufs_fault_anon ") -
			  value_of(before, "mmufs_fault_anon "), 10);
	ck_assert_uint_eq(value_of(after, "nr_anon_pages ") -
			  value_of(before, "nr_anon_pages "), 10);
	ck_assert_uint_eq(value_of(after, "nr_zone_inactive_anon ") -
			  value_of(before, "nr_zone_inactive_anon "), 10);
	/* 10 pages, 3 page tables and the slab of the first anon_vma */
	ck_assert_uint_eq(value_of(after, "pgalloc_dma32 ") -
			  value_of(before, "pgalloc_dma32 "), 14);
	ck_assert_uint_eq(value_of(after, "nr_slab_unreclaimable ") -
			  value_of(before, "nr_slab_unreclaimable "), 1);
	for (int i = 0; i < hw.nr_cpus; i++) {
		hits += hw.cpus[i].tlb.hits;
		misses += hw.cpus[i].tlb.misses;
	}
	ck_assert_uint_eq(value_of(after, "mmufs_tlb_hits "), hits);
	ck_assert_uint_eq(value_of(after, "mmufs_tlb_misses "), misses);
	ck_assert_uint_ge(hits, 10);
	ck_assert_uint_eq(value_of(after, "mmufs_page_walks "), hw.page_walks);
	free(before);
	free(after);
	shutdown();
}
END_TEST

/* ---- buddyinfo, zoneinfo, pagetypeinfo ---- */

/* assert_buddyinfo - every populated zone's line shows its free areas. */
static void assert_buddyinfo(void)
{
	char *lines[MAX_LINES], *store, want[256];
	int n, k = 0;

	n = split(render(render_buddyinfo), lines, &store);
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		int len;

		if (!zones[z].present_pages)
			continue;
		len = snprintf(want, sizeof(want), "Node 0, zone %8s ",
			       zones[z].name);
		for (int o = 0; o <= MAX_ORDER; o++)
			len += snprintf(want + len, sizeof(want) - (size_t)len,
					"%6" PRIu64 " ",
					zones[z].free_area[o].nr_free);
		ck_assert_int_lt(k, n);
		ck_assert_str_eq(lines[k++], want);
	}
	ck_assert_int_eq(k, n);
	free(store);
}

START_TEST(buddyinfo_matches_free_areas)
{
	struct task_struct *t;
	uint64_t a;

	boot();
	assert_buddyinfo();
	ck_assert_int_eq(count_prefix(render(render_buddyinfo), "Node 0"), 2);
	t = init_task();
	a = map_at(t, 0, 37 * PAGE_SIZE, RW, ANON);
	touch(t, a, 37 * PAGE_SIZE, ACC_WRITE);
	assert_buddyinfo();
	shutdown();
	boot_mode(5 * GB, 1, false, PAGING_4LEVEL);
	assert_buddyinfo();
	ck_assert_int_eq(count_prefix(render(render_buddyinfo), "Node 0"), 3);
	shutdown();
}
END_TEST

START_TEST(zoneinfo_layout)
{
	char *lines[MAX_LINES], *store;
	const char *t;
	int n, zone = -1, free_lines = 0;
	uint64_t lru_sum = 0;

	boot_mode(5 * GB, 2, false, PAGING_4LEVEL);
	t = render(render_zoneinfo);
	n = split(t, lines, &store);
	ck_assert_str_eq(lines[0], "Node 0, zone      DMA");
	ck_assert_str_eq(lines[1], "  per-node stats");
	ck_assert_int_eq(count_prefix(t, "  per-node stats"), 1);
	ck_assert_int_eq(count_prefix(t, "Node 0, zone"), 5);
	ck_assert(has_line(t, "Node 0, zone   Device"));
	ck_assert(has_line(t, "Node 0, zone  Movable"));
	ck_assert_int_eq(count_prefix(t, "  start_pfn:"), 3);
	ck_assert(has_line(t, "  start_pfn:           1048576"));
	ck_assert_int_eq(count_prefix(t, "    cpu: 1"), 3);
	for (int i = 0; i < n; i++) {
		ck_assert_msg(lines[i][0], "blank line %d", i);
		if (!strncmp(lines[i], "Node 0, zone", 12))
			zone++;
		if (!strncmp(lines[i], "  pages free", 12)) {
			uint64_t want = zone < MAX_NR_ZONES ?
					zones[zone].free_pages : 0;

			ck_assert_uint_eq(strtoull(lines[i] + 12, NULL, 10),
					  want);
			free_lines++;
		}
		if (!strncmp(lines[i], "      nr_zone_inactive_anon", 27))
			lru_sum += strtoull(lines[i] + 27, NULL, 10);
		if (!strncmp(lines[i], "        protection: (", 21))
			ck_assert_msg(matches("^        protection: \\(([0-9]+, )"
					      "{4}[0-9]+\\)$", lines[i]),
				      "%s", lines[i]);
	}
	ck_assert_int_eq(free_lines, 5);
	ck_assert_uint_eq(lru_sum, root_mem_cgroup.lruvec[0].nr_pages[LRU_INACTIVE_ANON]);
	/* DMA's reserve against DMA32 and higher zones. */
	ck_assert_msg(matches("\n        protection: \\(0, [0-9]+, [0-9]+, [0-9]+, "
			      "[0-9]+\\)\n      nr_free_pages", t), "%s", t);
	ck_assert(has_line(t, "        protection: (0, 0, 0, 0, 0)"));
	free(store);
	shutdown();
}
END_TEST

/* zone_block - a copy of the block of zoneinfo text that starts with
 * `header` (up to the next "Node "), digits folded to one 'N'. */
static char *zone_block(const char *text, const char *header)
{
	const char *b = strstr(text, header), *e;
	char *c, *w;

	if (!b)
		return NULL;
	e = strstr(b + 1, "\nNode ");
	e = e ? e + 1 : b + strlen(b);
	c = calloc(1, (size_t)(e - b) + 1);
	ck_assert_ptr_nonnull(c);
	for (w = c; b < e; b++) {
		if (*b >= '0' && *b <= '9') {
			if (w == c || w[-1] != 'N')
				*w++ = 'N';
			continue;
		}
		*w++ = *b;
	}
	return c;
}

/* line_word - the first word of line (after its leading blanks), into w. */
static void line_word(const char *line, char *w, size_t size)
{
	size_t n;

	line += strspn(line, " ");
	n = strcspn(line, " :\n");
	n = n < size ? n : size - 1;
	memcpy(w, line, n);
	w[n] = '\0';
}

/* has_word - some line of text starts with word (after its blanks). */
static bool has_word(const char *text, const char *word)
{
	char w[64];

	for (; *text; text = strchr(text, '\n') + 1) {
		line_word(text, w, sizeof(w));
		if (!strcmp(w, word))
			return true;
	}
	return false;
}

/* only_common - drop from block (in place) the lines whose first word
 * other has on no line: counters of a kernel config one side lacks
 * (numa_* for CONFIG_NUMA, cma, promo for NUMA balancing, nr_zspages). */
static void only_common(char *block, const char *other)
{
	char *r = block, *w = block, word[64];

	while (*r) {
		size_t n = strcspn(r, "\n") + 1;

		line_word(r, word, sizeof(word));
		if (has_word(other, word)) {
			memmove(w, r, n);
			w += n;
		}
		r += n;
	}
	*w = '\0';
}

START_TEST(zoneinfo_shape_like_host)
{
	static const char *const blocks[] = {
		"Node 0, zone      DMA", "Node 0, zone    DMA32",
		"Node 0, zone  Movable", "Node 0, zone   Device",
	};
	char *host = read_host("/proc/zoneinfo"), *mine;
	int cpus;

	/* The format of 6.18, with the same zones (the protection arrays). */
	if (!host || !host_is_618() || !strstr(host, "zone   Device")) {
		free(host);
		return;
	}
	/* As many CPUs as the host, so that the pagesets agree. */
	mine = zone_block(host, blocks[0]);
	ck_assert_ptr_nonnull(mine);
	cpus = count_prefix(mine, "    cpu: ");
	free(mine);
	ck_assert_int_ge(cpus, 1);
	boot_mode(5 * GB, cpus, false, PAGING_4LEVEL);
	mine = render_copy(render_zoneinfo);
	for (size_t i = 0; i < ARRAY_SIZE(blocks); i++) {
		char *h = zone_block(host, blocks[i]);
		char *m = zone_block(mine, blocks[i]);

		if (!h)
			continue;
		ck_assert_ptr_nonnull(m);
		only_common(h, m);
		only_common(m, h);
		ck_assert_str_eq(m, h);
		free(h);
		free(m);
	}
	free(mine);
	free(host);
	shutdown();
}
END_TEST

START_TEST(zoneinfo_counts_per_zone)
{
	struct task_struct *t;
	const char *z;
	uint64_t a;

	boot();
	t = init_task();
	a = map_at(t, 0, 5 * PAGE_SIZE, RW, ANON);
	touch(t, a, 5 * PAGE_SIZE, ACC_WRITE);
	z = render(render_zoneinfo);
	/* Every page came from DMA32 (the highest populated zone). */
	ck_assert(strstr(z, "      nr_zone_inactive_anon 5\n") != NULL);
	ck_assert(strstr(z, "      nr_inactive_anon 5\n") != NULL);
	ck_assert(strstr(z, "      nr_anon_pages 5\n") != NULL);
	ck_assert(strstr(z, "\n      nr_mlock     0") != NULL);
	ck_assert(strstr(z, "\n  pages free     ") != NULL);
	shutdown();
}
END_TEST

START_TEST(pagetypeinfo_layout)
{
	char *lines[MAX_LINES], *store, want[256];
	const char *t;
	int n, blanks = 0, len;
	uint64_t counts[MIGRATE_TYPES];

	boot();
	t = render(render_pagetypeinfo);
	n = split(t, lines, &store);
	ck_assert_str_eq(lines[0], "Page block order: 9");
	ck_assert_str_eq(lines[1], "Pages per block:  512");
	ck_assert_str_eq(lines[2], "");
	ck_assert(!strncmp(lines[3], "Free pages count per migrate type at "
			   "order       0      1 ", 55));
	for (int i = 0; i < n; i++)
		blanks += !lines[i][0];
	ck_assert_int_eq(blanks, 2);
	/* 2 zones x 5 types, then the blank line and the blocks table. */
	ck_assert_str_eq(lines[14], "");
	ck_assert_str_eq(lines[15], "Number of blocks type     Unmovable      "
			 "Movable  Reclaimable   HighAtomic      Isolate ");
	ck_assert_str_eq(lines[16], "Node 0, zone      DMA            0"
			 "            8            0            0            0 ");
	/* DMA32's 56 pageblocks: the kernel's (unmovable) allocations at
	 * boot claimed whole MOVABLE blocks, the rest stay Movable. */
	zone_pageblock_counts(&zones[ZONE_DMA32], counts);
	ck_assert_uint_eq(counts[MIGRATE_UNMOVABLE] + counts[MIGRATE_MOVABLE], 56);
	ck_assert_uint_gt(counts[MIGRATE_UNMOVABLE], 0);
	snprintf(want, sizeof(want), "Node 0, zone    DMA32 %12" PRIu64
		 " %12" PRIu64 "            0            0            0 ",
		 counts[MIGRATE_UNMOVABLE], counts[MIGRATE_MOVABLE]);
	ck_assert_str_eq(lines[17], want);
	ck_assert_int_eq(n, 18);
	len = snprintf(want, sizeof(want), "Node    0, zone    DMA32, type "
		       "     Movable ");
	for (int o = 0; o <= MAX_ORDER; o++)
		len += snprintf(want + len, sizeof(want) - (size_t)len,
				"%6" PRIu64 " ",
				zone_free_blocks_of_type(&zones[ZONE_DMA32], o,
							 MIGRATE_MOVABLE, 100000));
	ck_assert_str_eq(lines[10], want);
	/* Over the types, each order's blocks are buddyinfo's. */
	for (int o = 0; o <= MAX_ORDER; o++) {
		uint64_t sum = 0;

		for (int m = 0; m < MIGRATE_TYPES; m++)
			sum += zone_free_blocks_of_type(&zones[ZONE_DMA32], o,
							m, 100000);
		ck_assert_uint_eq(sum, zones[ZONE_DMA32].free_area[o].nr_free);
	}
	free(store);
	shutdown();
}
END_TEST

/* A 2 GiB i386 machine: lowmem ends at 896 MiB, HighMem above it takes
 * user pages and vmalloc pages first; page tables stay in lowmem. */
START_TEST(i386_highmem)
{
	const uint64_t high_start = (896 * MB) >> PAGE_SHIFT;
	const struct zone *high = &zones[ZONE_HIGHMEM];
	struct task_struct *t;
	uint64_t a, va, before, lowfree;
	char want[64];
	const char *txt;

	boot_mode(2048 * MB, 1, false, PAGING_2LEVEL);
	ck_assert_uint_eq(zone_end_pfn(&zones[ZONE_NORMAL]), high_start);
	ck_assert_uint_eq(high->zone_start_pfn, high_start);
	ck_assert_uint_eq(high->spanned_pages,
			  ((2048 - 896) * MB) >> PAGE_SHIFT);
	txt = render(render_meminfo);
	snprintf(want, sizeof(want), "HighTotal:    %10" PRIu64 " kB",
		 high->managed_pages * 4);
	ck_assert_msg(has_line(txt, want), "no '%s'", want);
	ck_assert(strstr(txt, "\nMlocked:") < strstr(txt, "\nHighTotal:"));
	ck_assert(strstr(txt, "\nLowFree:") < strstr(txt, "\nSwapTotal:"));
	txt = render(render_zoneinfo);
	ck_assert(strstr(txt, "Node 0, zone  HighMem\n"));

	/* User pages: HighMem, counted in pgalloc_high; their page table
	 * comes from Normal. */
	t = init_task();
	before = vmstat.events[PGALLOC_HIGH];
	lowfree = zones[ZONE_NORMAL].free_pages;
	a = mmap_anon(t, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE);
	touch(t, a, 4 * PAGE_SIZE, ACC_WRITE);
	for (int i = 0; i < 4; i++)
		ck_assert_int_eq(page_zonenum(pfn_to_page(
			pfn_of(t, a + i * PAGE_SIZE))), ZONE_HIGHMEM);
	ck_assert_uint_ge(vmstat.events[PGALLOC_HIGH] - before, 4);
	ck_assert_uint_le(zones[ZONE_NORMAL].free_pages, lowfree);
	txt = render(render_vmstat);
	ck_assert(strstr(txt, "\npgalloc_high "));
	ck_assert(!strstr(txt, "dma32"));
	ck_assert_int_eq(do_munmap(t->mm, a, 4 * PAGE_SIZE), 0);

	/* vmalloc pages come from HighMem too. */
	before = high->free_pages + zone_pcp_count(high);
	ck_assert_int_eq(vmalloc(8 * PAGE_SIZE, vmalloc_cmd_caller, &va), 0);
	ck_assert_uint_eq(before - high->free_pages - zone_pcp_count(high), 8);
	ck_assert_int_eq(vfree(va, vmalloc_cmd_caller), 0);
	shutdown();
}
END_TEST

START_TEST(i386_zones)
{
	const char *t;

	boot_mode(256 * MB, 1, false, PAGING_2LEVEL);
	t = render(render_zoneinfo);
	ck_assert_int_eq(count_prefix(t, "Node 0, zone"), 4);
	ck_assert(strstr(t, "Node 0, zone  HighMem\n  pages free     0\n"));
	ck_assert(!strstr(t, "DMA32"));
	ck_assert(!strstr(t, "Device"));
	ck_assert(strstr(t, "\n        protection: (0, ") != NULL);
	t = render(render_pagetypeinfo);
	ck_assert(!strncmp(t, "Page block order: 10\nPages per block:  1024\n",
			   43));
	t = render(render_meminfo);
	ck_assert(has_line(t, "DirectMap4M:           0 kB"));
	ck_assert(has_line(t, "Hugepagesize:       4096 kB"));
	t = render(render_machine);
	ck_assert(has_line(t, "arch: i386"));
	ck_assert(has_line(t, "paging: 2-level"));
	ck_assert(has_line(t, "task_size: 0xc0000000"));
	t = render(render_cpuinfo);
	ck_assert(strstr(t, "address sizes\t: 46 bits physical, 32 bits "
			 "virtual\n") != NULL);
	assert_buddyinfo();
	shutdown();
}
END_TEST

/* node_text - a node<N>/ file of node nid (owned by `out`). */
static char *node_text(void (*fn)(struct seq *, int), int nid)
{
	seq_reset(&out);
	fn(&out, nid);
	return out.buf;
}

/* Two nodes of 32 MiB with a CPU each: a block per node in buddyinfo,
 * pagetypeinfo and zoneinfo (each node's per-node stats once, under its
 * first zone), the node lines of machine and frames, and the node/
 * files in Linux's formats, their keys those of the host's node0. */
START_TEST(numa_files)
{
	struct boot_params bp = {
		.mem_bytes = 64 * MB, .nr_cpus = 2, .nr_nodes = 2,
		.tlb_entries = 64, .tlb_ways = 4, .mode = PAGING_4LEVEL,
	};
	char *host, *t, want[128];
	uint64_t lru = 0;

	ck_assert_int_eq(kernel_boot(&bp), 0);
	seq_init(&out);
	t = render_copy(render_buddyinfo);
	ck_assert_int_eq(count_prefix(t, "Node 0, zone "), 2);
	ck_assert_int_eq(count_prefix(t, "Node 1, zone    DMA32 "), 1);
	free(t);
	ck_assert_int_eq(count_prefix(render(render_pagetypeinfo),
				      "Node    1, zone    DMA32, type "),
			 MIGRATE_TYPES);
	t = render_copy(render_zoneinfo);
	ck_assert_int_eq(count_prefix(t, "Node 1, zone "), 5);
	ck_assert_ptr_nonnull(strstr(t, "Node 1, zone    DMA32\n  per-node stats\n"));
	ck_assert_ptr_nonnull(strstr(t, "Node 0, zone      DMA\n  per-node stats\n"));
	for (const char *p = t; (p = strstr(p, "\n      nr_inactive_anon ")); p++)
		lru += strtoull(p + 24, NULL, 10);
	ck_assert_uint_eq(lru, node_lru_pages(LRU_INACTIVE_ANON));
	free(t);
	t = render_copy(render_machine);
	ck_assert(has_line(t, "node: 0 0-8191 cpus 0"));
	ck_assert(has_line(t, "node: 1 8192-16383 cpus 1"));
	ck_assert(has_line(t, "zone: DMA32 8192-16383 present 8192 managed "
			   "8192 node 1"));
	free(t);
	ck_assert_ptr_nonnull(strstr(frame_text(9000), "zone: DMA32\nnode: 1\n"));
	ck_assert_str_eq(render(render_node_online), "0-1\n");
	ck_assert_str_eq(node_text(render_node_cpulist, 1), "1\n");
	ck_assert_str_eq(node_text(render_node_distance, 1), "20 10\n");
	t = node_text(render_node_numastat, 0);
	ck_assert_uint_eq(value_of(t, "numa_hit "),
			  node_numa_event_state(0, NUMA_HIT));
	ck_assert_uint_gt(value_of(t, "numa_hit "), 0);
	ck_assert_uint_eq(value_of(t, "local_node "), value_of(t, "numa_hit "));
	host = read_host("/sys/devices/system/node/node0/numastat");
	if (host) {
		assert_text_keys_like_host(t, host, ' ', NULL);
		free(host);
	}
	t = node_text(render_node_meminfo, 1);
	snprintf(want, sizeof(want), "Node 1 %-16s%8" PRIu64 " kB",
		 "MemTotal:", (uint64_t)8192 * 4);
	ck_assert(has_line(t, want));
	ck_assert(has_line(t, "Node 1 MemTotal:          32768 kB"));
	ck_assert(has_line(t, "Node 1 HugePages_Total:     0"));
	host = read_host("/sys/devices/system/node/node0/meminfo");
	if (host && host_is_618()) {
		char *m = strdup(t), *h = host;

		/* "Node N Key:" lines: compare the keys after "Node N ". */
		for (char *q = m; (q = strstr(q, "Node 1 ")); )
			memmove(q, q + 7, strlen(q + 7) + 1);
		for (char *q = h; (q = strstr(q, "Node 0 ")); )
			memmove(q, q + 7, strlen(q + 7) + 1);
		assert_text_keys_like_host(m, h, ':', NULL);
		free(m);
	}
	free(host);
	shutdown();
}
END_TEST

/* slabinfo_and_swaps - slabinfo's header and a line per cache, newest
 * first (kmalloc's at the end, as Linux makes them first), in
 * cache_show's layout: on one CPU min_objects is 8, so mm_struct's slabs
 * are of order 2 (10 objects) where the 2-CPU host shows order 3;
 * init, kthreadd and kswapd0 hold 3 of the 5 task_structs of one slab of
 * order 3, but the CPU's current slab counts as active; their kernel
 * stacks hold a vmap_area, a vm_struct (kmalloc-96) and a page array
 * (kmalloc-32) each. */
START_TEST(slabinfo_and_swaps)
{
	boot();
	ck_assert_str_eq(render(render_swaps),
			 "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n");
	ck_assert_str_eq(render(render_slabinfo),
			 "slabinfo - version: 2.1\n"
			 "# name            <active_objs> <num_objs> <objsize> "
			 "<objperslab> <pagesperslab> : tunables <limit> "
			 "<batchcount> <sharedfactor> : slabdata <active_slabs> "
			 "<num_slabs> <sharedavail>\n"
			 "mem_cgroup            14     14   2240   14    8 : "
			 "tunables    0    0    0 : slabdata      1      1      0\n"
			 "shmem_inode_cache      0      0    752   21    4 : "
			 "tunables    0    0    0 : slabdata      0      0      0\n"
			 "filp                   0      0    192   21    1 : "
			 "tunables    0    0    0 : slabdata      0      0      0\n"
			 "inode_cache            0      0    624   13    2 : "
			 "tunables    0    0    0 : slabdata      0      0      0\n"
			 "vm_area_struct        21     21    192   21    1 : "
			 "tunables    0    0    0 : slabdata      1      1      0\n"
			 "task_struct            5      5   5888    5    8 : "
			 "tunables    0    0    0 : slabdata      1      1      0\n"
			 "anon_vma               0      0    104   39    1 : "
			 "tunables    0    0    0 : slabdata      0      0      0\n"
			 "radix_tree_node        0      0    584   14    2 : "
			 "tunables    0    0    0 : slabdata      0      0      0\n"
			 "mm_struct             10     10   1600   10    4 : "
			 "tunables    0    0    0 : slabdata      1      1      0\n"
			 "vmap_area             56     56     72   56    1 : "
			 "tunables    0    0    0 : slabdata      1      1      0\n"
			 "kmalloc-8k             0      0   8192    4    8 : "
			 "tunables    0    0    0 : slabdata      0      0      0\n"
			 "kmalloc-4k             0      0   4096    8    8 : "
			 "tunables    0    0    0 : slabdata      0      0      0\n"
			 "kmalloc-2k             0      0   2048    8    4 : "
			 "tunables    0    0    0 : slabdata      0      0      0\n"
			 "kmalloc-1k             0      0   1024    8    2 : "
			 "tunables    0    0    0 : slabdata      0      0      0\n"
			 "kmalloc-512            8      8    512    8    1 : "
			 "tunables    0    0    0 : slabdata      1      1      0\n"
			 "kmalloc-256            0      0    256   16    1 : "
			 "tunables    0    0    0 : slabdata      0      0      0\n"
			 "kmalloc-128            0      0    128   32    1 : "
			 "tunables    0    0    0 : slabdata      0      0      0\n"
			 "kmalloc-64             0      0     64   64    1 : "
			 "tunables    0    0    0 : slabdata      0      0      0\n"
			 "kmalloc-32           128    128     32  128    1 : "
			 "tunables    0    0    0 : slabdata      1      1      0\n"
			 "kmalloc-16             0      0     16  256    1 : "
			 "tunables    0    0    0 : slabdata      0      0      0\n"
			 "kmalloc-8              0      0      8  512    1 : "
			 "tunables    0    0    0 : slabdata      0      0      0\n"
			 "kmalloc-192            0      0    192   21    1 : "
			 "tunables    0    0    0 : slabdata      0      0      0\n"
			 "kmalloc-96            42     42     96   42    1 : "
			 "tunables    0    0    0 : slabdata      1      1      0\n"
			 "kmem_cache_node       32     32    128   32    1 : "
			 "tunables    0    0    0 : slabdata      1      1      0\n"
			 "kmem_cache            32     32    256   16    1 : "
			 "tunables    0    0    0 : slabdata      2      2      0\n");
	ck_assert_uint_eq(task_struct_cachep->inuse, 3);
	drop_caches(2);		/* the current slabs go on the partial list */
	ck_assert(strstr(render(render_slabinfo), "task_struct            3"
			 "      5   5888    5    8 :") != NULL);
	shutdown();
}
END_TEST

/* ---- frames, kpageflags, kpagecount ---- */

START_TEST(frame_of_forked_anon_page)
{
	struct task_struct *p, *c;
	char want[128];
	const char *f;
	uint64_t a, pfn;

	boot();
	p = init_task();
	a = map_at(p, 0, PAGE_SIZE, RW, ANON);
	touch(p, a, PAGE_SIZE, ACC_WRITE);
	pfn = pfn_of(p, a);
	c = fork_of(p);
	f = frame_text(pfn);
	ck_assert_msg(strstr(f, "state: anon\n") != NULL, "%s", f);
	ck_assert(strstr(f, "zone: DMA32\n") != NULL);
	ck_assert(strstr(f, "refcount: 2\nmapcount: 2\n") != NULL);
	ck_assert(matches("\nmapping: anon_vma [0-9]+\nindex: [0-9]+\n", f));
	snprintf(want, sizeof(want), "map: 1 %#" PRIx64, a);
	ck_assert_msg(has_line(f, want), "%s", f);
	snprintf(want, sizeof(want), "map: %d %#" PRIx64, c->pid, a);
	ck_assert_msg(has_line(f, want), "%s", f);
	ck_assert_int_eq(count_prefix(f, "map: "), 2);
	ck_assert_uint_eq(kpagecount_of(pfn), 2);
	ck_assert(!(kpageflags_of(pfn) & BIT(KPF_ANON_EXCL)));
	shutdown();
}
END_TEST

/* svg_frames - the frames physmem.svg's runs of class cls cover. */
static uint64_t svg_frames(const char *svg, const char *cls)
{
	char key[64];
	uint64_t n = 0;
	const char *p = svg;

	snprintf(key, sizeof(key), "<rect class=\"%s\" ", cls);
	while ((p = strstr(p, key))) {
		const char *f = strstr(p, "data-frames=\"");

		ck_assert_ptr_nonnull(f);
		n += strtoull(f + 13, NULL, 10);
		p += strlen(key);
	}
	return n;
}

START_TEST(physmem_svg_counts)
{
	struct task_struct *t;
	uint64_t a, anon0, n = 40, cells = 0;
	char *svg;

	boot_mode(64 * MB, 1, false, PAGING_4LEVEL);	/* a frame to a cell */
	t = init_task();
	svg = render_copy(render_physmem_svg);
	anon0 = svg_frames(svg, "anon");
	for (int k = 0; k < NR_FRAME_KINDS; k++)
		if (k != FK_TAIL)
			cells += svg_frames(svg, (const char *[]){ "free", "pcp",
				"zero", "reserved", "pgtable", "vmalloc", "slab",
				"kmalloc_large", "stack", "anon", "swapcache",
				"shmem", "file", "allocated" }[k]);
	ck_assert_uint_eq(cells, max_pfn);	/* every frame, once */
	ck_assert_uint_eq(svg_frames(svg, "zero"), 1);
	free(svg);
	a = map_at(t, 0, n * PAGE_SIZE, RW, ANON);
	touch(t, a, n * PAGE_SIZE, ACC_WRITE);
	svg = render_copy(render_physmem_svg);
	ck_assert_uint_eq(svg_frames(svg, "anon"), anon0 + n);
	ck_assert(strstr(svg, "anon: ") != NULL);
	ck_assert(strstr(svg, ">Node 0 DMA32 (pfn ") != NULL);
	ck_assert_str_eq(svg + strlen(svg) - 7, "</svg>\n");
	free(svg);
	shutdown();
}
END_TEST

START_TEST(frame_states)
{
	struct task_struct *t = NULL;
	struct page *head;
	uint64_t h, pgd, a;
	char want[160];
	const char *f;

	boot();
	f = frame_text(0);
	ck_assert_str_eq(f, "pfn: 0\nphys: 0\nzone: DMA\n"
			 "state: reserved (low memory)\nflags: reserved\n"
			 "refcount: 1\nmapcount: 0\n");
	f = frame_text(kernel_image_start + 5);
	ck_assert(strstr(f, "state: reserved (kernel image)\n") != NULL);
	f = frame_text(swapper_pgd >> PAGE_SHIFT);
	ck_assert(strstr(f, "state: reserved (swapper_pg_dir)\n") != NULL);
	f = frame_text(zero_pfn);
	ck_assert(strstr(f, "state: zero page\nflags: reserved zero\n") != NULL);
	head = list_first_entry(&zones[ZONE_DMA32].free_area[MAX_ORDER].free_list[MIGRATE_MOVABLE],
				struct page, lru);
	h = page_to_pfn(head);
	snprintf(want, sizeof(want), "state: free (buddy block of order %d at "
		 "pfn %" PRIu64 ")\nflags: buddy\n", MAX_ORDER, h);
	ck_assert_msg(strstr(frame_text(h), want) != NULL, "%s", out.buf);
	snprintf(want, sizeof(want), "state: free (buddy block of order %d at "
		 "pfn %" PRIu64 ")\nflags: none\n", MAX_ORDER, h);
	ck_assert(strstr(frame_text(h + 1000), want) != NULL);
	t = init_task();
	pgd = t->mm->pgd >> PAGE_SHIFT;
	snprintf(want, sizeof(want), "state: page table (level 4 PML4 of mm %"
		 PRIu64 ", pid 1)\nflags: pgtable\n", t->mm->id);
	ck_assert_msg(strstr(frame_text(pgd), want) != NULL, "%s", out.buf);
	a = map_at(t, 0, PAGE_SIZE, RW, ANON);
	touch(t, a, PAGE_SIZE, ACC_READ);
	ck_assert_uint_eq(pfn_of(t, a), zero_pfn);
	snprintf(want, sizeof(want), "map: 1 %#" PRIx64, a);
	ck_assert_msg(has_line(frame_text(zero_pfn), want), "%s", out.buf);
	f = frame_text(max_pfn);
	ck_assert(strstr(f, "state: no such frame\n") != NULL);
	shutdown();
}
END_TEST

START_TEST(frame_shmem_and_mlock)
{
	struct task_struct *t;
	const char *f;
	uint64_t a, b, pfn;

	boot();
	t = init_task();
	a = map_at(t, 0, 2 * PAGE_SIZE, RW, MAP_SHARED | MAP_ANONYMOUS);
	touch(t, a + PAGE_SIZE, PAGE_SIZE, ACC_WRITE);
	pfn = pfn_of(t, a + PAGE_SIZE);
	f = frame_text(pfn);
	ck_assert_msg(strstr(f, "state: shmem\n") != NULL, "%s", f);
	ck_assert(matches("\nmapping: shmem /dev/zero \\(deleted\\) inode "
			  "[0-9]+\nindex: 1\n", f));
	ck_assert_uint_eq(kpageflags_of(pfn) & (BIT(KPF_ANON) |
			  BIT(KPF_SWAPBACKED) | BIT(KPF_MMAP) | BIT(KPF_UPTODATE)),
			  BIT(KPF_SWAPBACKED) | BIT(KPF_MMAP) | BIT(KPF_UPTODATE));
	b = map_at(t, 0, PAGE_SIZE, RW, ANON);
	touch(t, b, PAGE_SIZE, ACC_WRITE);
	ck_assert_int_eq(do_mlock(t, b, PAGE_SIZE, true), 0);
	pfn = pfn_of(t, b);
	f = frame_text(pfn);
	ck_assert_msg(strstr(f, "mapcount: 1\nmlock_count: 1\n") != NULL, "%s", f);
	ck_assert(strstr(f, " mlocked") && strstr(f, " unevictable"));
	ck_assert_uint_eq(kpageflags_of(pfn) & (BIT(KPF_MLOCKED) |
			  BIT(KPF_UNEVICTABLE) | BIT(KPF_LRU)),
			  BIT(KPF_MLOCKED) | BIT(KPF_UNEVICTABLE) | BIT(KPF_LRU));
	shutdown();
}
END_TEST

START_TEST(kpageflags_bits)
{
	struct task_struct *t;
	struct page *head;
	uint64_t a, pfn, h;

	boot();
	ck_assert_uint_eq(kpageflags_of(0), BIT(KPF_RESERVED));
	ck_assert_uint_eq(kpageflags_of(kernel_image_start + 7), BIT(KPF_RESERVED));
	ck_assert_uint_eq(kpageflags_of(zero_pfn),
			  BIT(KPF_ZERO_PAGE) | BIT(KPF_RESERVED));
	head = list_first_entry(&zones[ZONE_DMA32].free_area[MAX_ORDER].free_list[MIGRATE_MOVABLE],
				struct page, lru);
	h = page_to_pfn(head);
	ck_assert_uint_eq(kpageflags_of(h), BIT(KPF_BUDDY));
	ck_assert_uint_eq(kpageflags_of(h + 1), BIT(KPF_BUDDY));
	ck_assert_uint_eq(kpageflags_of(h + 1023), BIT(KPF_BUDDY));
	ck_assert_uint_eq(kpagecount_of(h + 5), 0);
	t = init_task();
	ck_assert_uint_eq(kpageflags_of(t->mm->pgd >> PAGE_SHIFT),
			  BIT(KPF_PGTABLE));
	ck_assert_uint_eq(kpagecount_of(t->mm->pgd >> PAGE_SHIFT), 0);
	a = map_at(t, 0, PAGE_SIZE, RW, ANON);
	touch(t, a, PAGE_SIZE, ACC_WRITE);
	pfn = pfn_of(t, a);
	/* Written private anon (§4.2 observed {3,11,12,14,34}), on the LRU. */
	ck_assert_uint_eq(kpageflags_of(pfn),
			  BIT(KPF_UPTODATE) | BIT(KPF_LRU) | BIT(KPF_MMAP) |
			  BIT(KPF_ANON) | BIT(KPF_SWAPBACKED) |
			  BIT(KPF_ANON_EXCL));
	ck_assert_uint_eq(kpagecount_of(pfn), 1);
	ck_assert_uint_eq(kpagecount_of(zero_pfn), 0);
	ck_assert_uint_eq(kpageflags_of(max_pfn), BIT(20));
	(void)KPF_DIRTY;
	shutdown();
}
END_TEST

START_TEST(read_kpage_records)
{
	static char buf[8 * 4096];
	uint64_t v;
	ssize_t n;

	boot_mode(16 * MB, 1, false, PAGING_4LEVEL);
	ck_assert_int_eq(read_kpage(buf, 4, 0, false), -EINVAL);
	ck_assert_int_eq(read_kpage(buf, 12, 0, true), -EINVAL);
	ck_assert_int_eq(read_kpage(buf, 8, 4, false), -EINVAL);
	ck_assert_int_eq(read_kpage(buf, 0, 0, false), 0);
	ck_assert_int_eq(read_kpage(buf, 8, max_pfn * 8, false), 0);
	ck_assert_int_eq(read_kpage(buf, 32, max_pfn * 8 - 8, false), 8);
	/* The whole of RAM, in one read and record by record, agrees with
	 * kpageflags_of / kpagecount_of (16 MiB: 4096 frames). */
	ck_assert_uint_eq(max_pfn, 4096);
	n = read_kpage(buf, sizeof(buf), 0, false);
	ck_assert_int_eq(n, (ssize_t)(max_pfn * 8));
	for (uint64_t pfn = 0; pfn < max_pfn; pfn++) {
		memcpy(&v, buf + pfn * 8, 8);
		ck_assert_uint_eq(v, kpageflags_of(pfn));
	}
	n = read_kpage(buf, 8 * 100, 8 * 3000, false);
	ck_assert_int_eq(n, 800);
	for (uint64_t i = 0; i < 100; i++) {
		memcpy(&v, buf + i * 8, 8);
		ck_assert_uint_eq(v, kpageflags_of(3000 + i));
	}
	n = read_kpage(buf, sizeof(buf), 0, true);
	ck_assert_int_eq(n, (ssize_t)(max_pfn * 8));
	for (uint64_t pfn = 0; pfn < max_pfn; pfn++) {
		memcpy(&v, buf + pfn * 8, 8);
		ck_assert_uint_eq(v, kpagecount_of(pfn));
	}
	shutdown();
}
END_TEST

/* ---- cpus, stat, uptime, loadavg, cpuinfo, machine ---- */

START_TEST(tlb_lists_entry_after_access)
{
	struct task_struct *t;
	char want[160];
	const char *f;
	uint64_t a;

	boot();
	t = init_task();
	a = map_at(t, 0, PAGE_SIZE, RW, ANON);
	touch(t, a, PAGE_SIZE, ACC_WRITE);
	f = tlb_text(0);
	ck_assert(!strncmp(f, "cpu: 0\ncurrent: 1 init\nactive_mm: 1\n", 36));
	ck_assert(strstr(f, "\npcid: 0 (off)\nentries: 64\nways: 4\nsets: 16\n"));
	snprintf(want, sizeof(want), "va %#" PRIx64 " pfn %" PRIu64
		 " pcid 0 flags W U NX D", a, pfn_of(t, a));
	ck_assert_msg(strstr(f, want) != NULL, "%s\nwanted %s", f, want);
	snprintf(want, sizeof(want), "entry: set %" PRIu64 " way ",
		 (a >> PAGE_SHIFT) & 15);
	ck_assert(strstr(f, want) != NULL);
	ck_assert_int_eq(count_prefix(f, "entry: "),
			 (int)tlb_nr_valid(&hw.cpus[0].tlb));
	ck_assert_uint_eq(value_of(f, "valid: "), tlb_nr_valid(&hw.cpus[0].tlb));
	f = tlb_text(0);
	ck_assert_uint_eq(value_of(f, "hits: "), hw.cpus[0].tlb.hits);
	shutdown();
}
END_TEST

START_TEST(tlb_idle_cpu_and_pcid)
{
	const char *f;

	boot_mode(128 * MB, 2, true, PAGING_4LEVEL);
	f = tlb_text(1);
	ck_assert_msg(!strncmp(f, "cpu: 1\ncurrent: none\nactive_mm: none\n", 37),
		      "%s", f);
	ck_assert(strstr(f, "\npcid: 0 (on)\n"));
	ck_assert_int_eq(count_prefix(f, "entry: "), 0);
	f = render(render_cpuinfo);
	ck_assert(strstr(f, " pcid") != NULL);
	f = render(render_machine);
	ck_assert(has_line(f, "pcid: on"));
	ck_assert(has_line(f, "cpus: 2"));
	shutdown();
}
END_TEST

START_TEST(proc_stat_lines)
{
	char *lines[MAX_LINES], *store, want[64];
	struct task_struct *p;
	const char *t;
	uint64_t btime;
	int n;

	boot_mode(128 * MB, 3, false, PAGING_4LEVEL);
	p = init_task();
	for (int i = 0; i < 3; i++)
		fork_of(p);
	t = render(render_proc_stat);
	n = split(t, lines, &store);
	ck_assert_int_eq(n, 11);
	ck_assert(matches("^cpu  0 0 0 [0-9]+ 0 0 0 0 0 0$", lines[0]));
	for (int i = 0; i < 3; i++) {
		snprintf(want, sizeof(want), "^cpu%d 0 0 0 [0-9]+ 0 0 0 0 0 0$", i);
		ck_assert(matches(want, lines[1 + i]));
	}
	/* The forks write-protect init's pages on the CPU it runs on, which
	 * is another than the caller's (none here): one function call and
	 * one TLB shootdown each. */
	snprintf(want, sizeof(want), "intr %" PRIu64,
		 2 * vmstat.events[NR_TLB_REMOTE_FLUSH_RECEIVED]);
	ck_assert_str_eq(lines[4], want);
	ck_assert(matches("^ctxt [0-9]+$", lines[5]));
	btime = value_of(t, "btime ");
	ck_assert_uint_le(btime, (uint64_t)time(NULL));
	ck_assert_uint_ge(btime + 5, (uint64_t)time(NULL));
	ck_assert_str_eq(lines[7], "processes 6");
	ck_assert_str_eq(lines[8], "procs_running 1");
	ck_assert_str_eq(lines[9], "procs_blocked 0");
	ck_assert_str_eq(lines[10], "softirq 0 0 0 0 0 0 0 0 0 0 0");
	free(store);
	shutdown();
}
END_TEST

/* uptime is the machine's clock and its CPUs' idle time; stat's cpu
 * lines split each CPU's time in ticks; loadavg counts the tasks on a
 * CPU and, once the clock has run, averages them. */
START_TEST(uptime_and_loadavg)
{
	struct task_struct *c;
	char want[64], *lines[MAX_LINES], *store;

	boot_mode(128 * MB, 2, false, PAGING_4LEVEL);
	ck_assert_str_eq(render(render_uptime), "0.00 0.00\n");
	account_time(init_task(), 0, CPUTIME_USER, 1250000000);
	account_time(init_task(), 0, CPUTIME_IOWAIT, 100000000);
	account_time(NULL, 1, CPUTIME_SYSTEM, 500000000);
	/* 1.85 s: CPU 0 idles 0.5 s, CPU 1 1.35 s. */
	ck_assert_str_eq(render(render_uptime), "1.85 1.85\n");
	ck_assert_int_eq(split(render(render_proc_stat), lines, &store), 10);
	ck_assert_str_eq(lines[0], "cpu  125 0 50 185 10 0 0 0 0 0");
	ck_assert_str_eq(lines[1], "cpu0 125 0 0 50 10 0 0 0 0 0");
	ck_assert_str_eq(lines[2], "cpu1 0 0 50 135 0 0 0 0 0 0");
	free(store);
	ck_assert_str_eq(render(render_loadavg), "0.00 0.00 0.00 1/3 3\n");
	c = fork_of(init_task());
	snprintf(want, sizeof(want), "0.00 0.00 0.00 1/4 %d\n", c->pid);
	ck_assert_str_eq(render(render_loadavg), want);
	ck_assert_int_eq(do_schedule(c, 1), 0);
	/* Two tasks on a CPU for a minute: 12 samples 5.01 s apart, so
	 * 2 (1 - e^(-60.12/T)) for T = 60, 300 and 900 s: 1.266, 0.363 and
	 * 0.129. */
	account_time(NULL, 1, CPUTIME_USER, 60000000000ULL);
	snprintf(want, sizeof(want), "1.27 0.36 0.13 2/4 %d\n", c->pid);
	ck_assert_str_eq(render(render_loadavg), want);
	ck_assert_int_eq(do_exit(c, 0), 0);
	snprintf(want, sizeof(want), "1.27 0.36 0.13 1/4 %d\n", c->pid);
	ck_assert_str_eq(render(render_loadavg), want);
	shutdown();
}
END_TEST

START_TEST(cpuinfo_blocks)
{
	char *lines[MAX_LINES], *store;
	const char *t;
	int n, blocks = 0;

	boot_mode(128 * MB, 4, false, PAGING_4LEVEL);
	t = render(render_cpuinfo);
	ck_assert_int_eq(count_prefix(t, "processor\t: "), 4);
	ck_assert_int_eq(count_prefix(t, "core id\t\t: "), 4);
	ck_assert(!strncmp(t, "processor\t: 0\nvendor_id\t: GenuineIntel\n", 39));
	ck_assert(strstr(t, "model name\t: mmufs simulated x86-64 CPU\n"));
	ck_assert(strstr(t, "TLB size\t: 64 4K pages\n"));
	ck_assert(strstr(t, "address sizes\t: 46 bits physical, 48 bits virtual\n"));
	ck_assert(strstr(t, " pae ") && strstr(t, " nx "));
	ck_assert(!strstr(t, "pcid"));
	n = split(t, lines, &store);
	for (int i = 0; i < n; i++) {
		if (!lines[i][0]) {
			blocks++;
			continue;
		}
		ck_assert_msg(matches("^[a-zA-Z_ ]+\t*: ?", lines[i]) ||
			      !strcmp(lines[i], "power management:"),
			      "bad line '%s'", lines[i]);
	}
	ck_assert_int_eq(blocks, 4);
	ck_assert_str_eq(lines[n - 1], "");
	free(store);
	shutdown();
}
END_TEST

START_TEST(machine_parameters)
{
	const char *t;
	char want[128];

	boot();
	t = render(render_machine);
	ck_assert(has_line(t, "arch: x86_64"));
	ck_assert(has_line(t, "paging: 4-level"));
	ck_assert(has_line(t, "va_bits: 48"));
	ck_assert(has_line(t, "page_size: 4096"));
	ck_assert(has_line(t, "ram: 134217728"));
	ck_assert(has_line(t, "frames: 32768"));
	snprintf(want, sizeof(want), "zone: DMA 0-4095 present 4096 managed %"
		 PRIu64, zones[ZONE_DMA].managed_pages);
	ck_assert_msg(has_line(t, want), "%s", t);
	ck_assert(has_line(t, "zone: DMA32 4096-32767 present 28672 managed 28672"));
	ck_assert_int_eq(count_prefix(t, "zone: "), 2);
	ck_assert(has_line(t, "reserved: 0-15 (low memory)"));
	ck_assert(has_line(t, "reserved: 256-511 (kernel image)"));
	ck_assert(has_line(t, "zero_page: 256"));
	ck_assert(has_line(t, "swapper_pg_dir: 257"));
	ck_assert(has_line(t, "tlb: 64 entries 4 ways 16 sets"));
	ck_assert(has_line(t, "pcid: off"));
	ck_assert(has_line(t, "layout: topdown"));
	ck_assert(has_line(t, "aslr: off"));
	ck_assert(has_line(t, "task_size: 0x7ffffffff000"));
	ck_assert(has_line(t, "mmap_base: 0x7ffff7fff000"));
	ck_assert(has_line(t, "overcommit_memory: 0"));
	ck_assert(matches("^([a-z_]+: [^\n]+\n)+$", t));
	shutdown();
}
END_TEST

/* render_sys_suite - every test, by file family. */
static Suite *render_sys_suite(void)
{
	Suite *s = suite_create("render_sys");
	TCase *tc;

	tc = tcase_create("meminfo");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, meminfo_format);
	tcase_add_test(tc, meminfo_keys_like_host);
	tcase_add_test(tc, meminfo_directmap_follows_simulated_cpu);
	tcase_add_test(tc, meminfo_columns_like_host);
	tcase_add_test(tc, meminfo_tracks_anon_pages);
	tcase_add_test(tc, meminfo_available_and_shmem);
	tcase_add_test(tc, meminfo_mlocked);
	suite_add_tcase(s, tc);

	tc = tcase_create("vmstat");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, vmstat_format);
	tcase_add_test(tc, vmstat_keys_like_host);
	tcase_add_test(tc, vmstat_shows_every_counter);
	tcase_add_test(tc, vmstat_counts_faults_and_tlb);
	suite_add_tcase(s, tc);

	tc = tcase_create("zones");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, buddyinfo_matches_free_areas);
	tcase_add_test(tc, zoneinfo_layout);
	tcase_add_test(tc, zoneinfo_shape_like_host);
	tcase_add_test(tc, zoneinfo_counts_per_zone);
	tcase_add_test(tc, pagetypeinfo_layout);
	tcase_add_test(tc, i386_zones);
	tcase_add_test(tc, i386_highmem);
	tcase_add_test(tc, slabinfo_and_swaps);
	tcase_add_test(tc, numa_files);
	suite_add_tcase(s, tc);

	tc = tcase_create("frames");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, frame_of_forked_anon_page);
	tcase_add_test(tc, frame_states);
	tcase_add_test(tc, physmem_svg_counts);
	tcase_add_test(tc, frame_shmem_and_mlock);
	tcase_add_test(tc, kpageflags_bits);
	tcase_add_test(tc, read_kpage_records);
	suite_add_tcase(s, tc);

	tc = tcase_create("cpus");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, tlb_lists_entry_after_access);
	tcase_add_test(tc, tlb_idle_cpu_and_pcid);
	tcase_add_test(tc, proc_stat_lines);
	tcase_add_test(tc, uptime_and_loadavg);
	tcase_add_test(tc, cpuinfo_blocks);
	tcase_add_test(tc, machine_parameters);
	tcase_add_test(tc, net_dev_and_softirqs_like_host);
	tcase_add_test(tc, interrupts_like_host);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(render_sys_suite());
}
