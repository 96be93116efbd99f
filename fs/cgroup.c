/*
 * cgroup.c - the files of cgroup/, cgroup v2's memory controller as
 * cgroupfs shows it (Linux's mm/memcontrol.c memory_files[] and
 * kernel/cgroup/cgroup.c's cgroup.procs): each group a directory, its
 * files rendered from the kernel's struct mem_cgroup and written through
 * the kernel's calls.  Amounts are bytes; a limit reads "max" when unset
 * and takes bytes with an optional K, M, G or T suffix (memparse), or
 * "max".
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "fs.h"
#include "parse.h"
#include "mm/memcontrol.h"
#include "mm/mm.h"
#include "mm/swap.h"

/* node_memcg - the group a cgroup node names, if it still exists. */
struct mem_cgroup *node_memcg(const struct node *n)
{
	struct mem_cgroup *m = n->memcg_id ? mem_cgroup_from_id(n->memcg_id) :
					     &root_mem_cgroup;

	return m && m->serial == n->memcg_serial ? m : NULL;
}

/* handle_memcg - the group of an open file, or NULL (gone, or the
 * machine was reset). */
static struct mem_cgroup *handle_memcg(const struct handle *h)
{
	return h->epoch == machine_epoch ? node_memcg(&h->node) : NULL;
}

/* render_cgroup_text - a row's show function for a group. */
static int render_cgroup_text(const struct node *n, struct task_struct *t,
			      struct seq *s)
{
	struct mem_cgroup *m = node_memcg(n);

	(void)t;
	if (!m)
		return -ENODEV;
	n->file->show.cgroup(s, m);
	return 0;
}

static const struct file_ops cgroup_text_fops = {
	.render = render_cgroup_text };

/* put_limit - a limit in bytes, or "max". */
static void put_limit(struct seq *s, uint64_t pages)
{
	if (pages == PAGE_COUNTER_MAX)
		seq_puts(s, "max\n");
	else
		seq_printf(s, "%" PRIu64 "\n", pages << PAGE_SHIFT);
}

/* tera_suffix - strip a T (or t) suffix (x2^40) that follows a digit
 * from the NUL-terminated tmp of len bytes: true if there was one.  The
 * ctl language's numbers (parse_num) stop at G; memparse goes on. */
static bool tera_suffix(char *tmp, size_t len)
{
	if (len < 2 || (tmp[len - 1] != 'T' && tmp[len - 1] != 't') ||
	    !isxdigit((unsigned char)tmp[len - 2]))
		return false;
	tmp[len - 1] = '\0';
	return true;
}

/* parse_limit - "max" or bytes with an optional K, M, G or T suffix,
 * trailing blanks and newline allowed (Linux's page_counter_memparse):
 * pages, rounded down.  False for anything else: a sign, a NUL byte, a
 * value past 64 bits. */
static bool parse_limit(const char *buf, size_t size, uint64_t *pages)
{
	char tmp[64];
	uint64_t bytes;
	bool tera;

	while (size && (buf[size - 1] == '\n' || buf[size - 1] == ' ' ||
			buf[size - 1] == '\t'))
		size--;
	if (!size || size >= sizeof(tmp) || memchr(buf, '\0', size))
		return false;
	memcpy(tmp, buf, size);
	tmp[size] = '\0';
	if (!strcmp(tmp, "max")) {
		*pages = PAGE_COUNTER_MAX;
		return true;
	}
	tera = tera_suffix(tmp, size);
	if (!parse_num(tmp, &bytes) || (tera && bytes > UINT64_MAX >> 40))
		return false;
	*pages = tera ? bytes << (40 - PAGE_SHIFT) : bytes >> PAGE_SHIFT;
	return true;
}

/* ---- the files ---- */

static void show_memory_current(struct seq *s, struct mem_cgroup *m)
{
	seq_printf(s, "%" PRIu64 "\n", m->usage << PAGE_SHIFT);
}

static void show_swap_current(struct seq *s, struct mem_cgroup *m)
{
	seq_printf(s, "%" PRIu64 "\n", m->swap_usage << PAGE_SHIFT);
}

/* memory.events: hierarchical counts (Linux's memory_events_show). */
static void show_memory_events(struct seq *s, struct mem_cgroup *m)
{
	static const char *const names[MEMCG_NR_MEMORY_EVENTS] = {
		"low", "high", "max", "oom", "oom_kill", "oom_group_kill",
	};

	for (int i = 0; i < MEMCG_NR_MEMORY_EVENTS; i++)
		seq_printf(s, "%s %" PRIu64 "\n", names[i],
			   m->memory_events[i]);
}

/* The lines of memory.stat, in Linux 6.18's order (memory_stats[] and
 * memcg_vm_event_stat[] of mm/memcontrol.c): a node gauge or an LRU size
 * in bytes, or an event count; lines without a source in the simulation
 * (kernel memory, zswap, THP, slab, demotion) read 0. */
enum stat_src { ST_ZERO, ST_STATE, ST_LRU, ST_EVENT, ST_SCAN, ST_STEAL };

static const struct stat_line {
	const char *name;
	enum stat_src src;
	int item;
} stat_lines[] = {
	{ "anon", ST_STATE, NR_ANON_MAPPED },
	{ "file", ST_STATE, NR_FILE_PAGES },
	{ "kernel", ST_ZERO, 0 },
	{ "kernel_stack", ST_ZERO, 0 },
	{ "pagetables", ST_ZERO, 0 },
	{ "sec_pagetables", ST_ZERO, 0 },
	{ "percpu", ST_ZERO, 0 },
	{ "sock", ST_ZERO, 0 },
	{ "vmalloc", ST_ZERO, 0 },
	{ "shmem", ST_STATE, NR_SHMEM },
	{ "zswap", ST_ZERO, 0 },
	{ "zswapped", ST_ZERO, 0 },
	{ "file_mapped", ST_STATE, NR_FILE_MAPPED },
	{ "file_dirty", ST_STATE, NR_FILE_DIRTY },
	{ "file_writeback", ST_ZERO, 0 },
	{ "swapcached", ST_STATE, NR_SWAPCACHE },
	{ "anon_thp", ST_ZERO, 0 },
	{ "file_thp", ST_ZERO, 0 },
	{ "shmem_thp", ST_ZERO, 0 },
	{ "inactive_anon", ST_LRU, LRU_INACTIVE_ANON },
	{ "active_anon", ST_LRU, LRU_ACTIVE_ANON },
	{ "inactive_file", ST_LRU, LRU_INACTIVE_FILE },
	{ "active_file", ST_LRU, LRU_ACTIVE_FILE },
	{ "unevictable", ST_LRU, LRU_UNEVICTABLE },
	{ "slab_reclaimable", ST_ZERO, 0 },
	{ "slab_unreclaimable", ST_ZERO, 0 },
	{ "slab", ST_ZERO, 0 },
	{ "workingset_refault_anon", ST_EVENT, WORKINGSET_REFAULT_ANON },
	{ "workingset_refault_file", ST_EVENT, WORKINGSET_REFAULT_FILE },
	{ "workingset_activate_anon", ST_EVENT, WORKINGSET_ACTIVATE_ANON },
	{ "workingset_activate_file", ST_EVENT, WORKINGSET_ACTIVATE_FILE },
	{ "workingset_restore_anon", ST_EVENT, WORKINGSET_RESTORE_ANON },
	{ "workingset_restore_file", ST_EVENT, WORKINGSET_RESTORE_FILE },
	{ "workingset_nodereclaim", ST_ZERO, 0 },
	{ "pgdemote_kswapd", ST_ZERO, 0 },
	{ "pgdemote_direct", ST_ZERO, 0 },
	{ "pgdemote_khugepaged", ST_ZERO, 0 },
	{ "pgdemote_proactive", ST_ZERO, 0 },
	{ "pgsteal_kswapd", ST_EVENT, PGSTEAL_KSWAPD },
	{ "pgsteal_direct", ST_EVENT, PGSTEAL_DIRECT },
	{ "pgsteal_khugepaged", ST_ZERO, 0 },
	{ "pgsteal_proactive", ST_EVENT, PGSTEAL_PROACTIVE },
	{ "pgscan_kswapd", ST_EVENT, PGSCAN_KSWAPD },
	{ "pgscan_direct", ST_EVENT, PGSCAN_DIRECT },
	{ "pgscan_khugepaged", ST_ZERO, 0 },
	{ "pgscan_proactive", ST_EVENT, PGSCAN_PROACTIVE },
	{ "pgscan", ST_SCAN, 0 },
	{ "pgsteal", ST_STEAL, 0 },
	{ "pswpin", ST_EVENT, PSWPIN },
	{ "pswpout", ST_EVENT, PSWPOUT },
	{ "pgfault", ST_EVENT, PGFAULT },
	{ "pgmajfault", ST_EVENT, PGMAJFAULT },
	{ "pgrefill", ST_EVENT, PGREFILL },
	{ "pgactivate", ST_EVENT, PGACTIVATE },
	{ "pgdeactivate", ST_EVENT, PGDEACTIVATE },
	{ "pglazyfree", ST_EVENT, PGLAZYFREE },
	{ "pglazyfreed", ST_EVENT, PGLAZYFREED },
	{ "swpin_zero", ST_ZERO, 0 },
	{ "swpout_zero", ST_ZERO, 0 },
	{ "zswpin", ST_ZERO, 0 },
	{ "zswpout", ST_ZERO, 0 },
	{ "zswpwb", ST_ZERO, 0 },
	{ "thp_fault_alloc", ST_ZERO, 0 },
	{ "thp_collapse_alloc", ST_ZERO, 0 },
	{ "thp_swpout", ST_ZERO, 0 },
	{ "thp_swpout_fallback", ST_ZERO, 0 },
};

/* stat_value - one line's value for m's subtree. */
static uint64_t stat_value(const struct stat_line *l, struct mem_cgroup *m)
{
	switch (l->src) {
	case ST_STATE:
		return (uint64_t)memcg_page_state(m, l->item) << PAGE_SHIFT;
	case ST_LRU:
		return memcg_lru_pages(m, l->item) << PAGE_SHIFT;
	case ST_EVENT:
		return memcg_events(m, l->item);
	case ST_SCAN:
		return memcg_events(m, PGSCAN_KSWAPD) +
		       memcg_events(m, PGSCAN_DIRECT) +
		       memcg_events(m, PGSCAN_PROACTIVE);
	case ST_STEAL:
		return memcg_events(m, PGSTEAL_KSWAPD) +
		       memcg_events(m, PGSTEAL_DIRECT) +
		       memcg_events(m, PGSTEAL_PROACTIVE);
	default:
		return 0;
	}
}

/* memory.stat: "key value" lines for m and everything below it. */
static void show_memory_stat(struct seq *s, struct mem_cgroup *m)
{
	for (size_t i = 0; i < ARRAY_SIZE(stat_lines); i++)
		seq_printf(s, "%s %" PRIu64 "\n", stat_lines[i].name,
			   stat_value(&stat_lines[i], m));
}

/* cgroup.procs: the processes of m itself, by pid; the root also lists
 * the kernel threads. */
static void show_procs(struct seq *s, struct mem_cgroup *m)
{
	struct list_head *l;

	list_for_each(l, &task_list) {
		struct task_struct *t = list_entry(l, struct task_struct, tasks);

		if (!thread_group_leader(t) || t->exit_state == EXIT_ZOMBIE)
			continue;
		if (mem_cgroup_of_task(t) == m)
			seq_printf(s, "%d\n", t->pid);
	}
}

/* write_procs - cgroup.procs: a pid moves its process here. */
static ssize_t write_procs(struct handle *h, const char *buf, size_t size,
			   off_t off)
{
	struct mem_cgroup *m = handle_memcg(h);
	struct task_struct *t;
	int64_t pid;
	int err;

	(void)off;
	if (!m)
		return -ENODEV;
	if (!parse_proc_int(buf, size, &pid) || pid <= 0 || pid > INT32_MAX)
		return -EINVAL;
	t = find_task_by_pid((int)pid);
	if (!t)
		return -ESRCH;
	err = mem_cgroup_attach(m, t);
	return err ? err : (ssize_t)size;
}

static void show_max(struct seq *s, struct mem_cgroup *m)
{
	put_limit(s, m->max);
}

static void show_high(struct seq *s, struct mem_cgroup *m)
{
	put_limit(s, m->high);
}

static void show_swap_max(struct seq *s, struct mem_cgroup *m)
{
	put_limit(s, m->swap_max);
}

/* group_pages - the group of an open file and the amount written to
 * it: 0, -ENODEV (the group is gone) or -EINVAL (not an amount). */
static int group_pages(struct handle *h, const char *buf, size_t size,
		       struct mem_cgroup **m, uint64_t *pages)
{
	*m = handle_memcg(h);
	if (!*m)
		return -ENODEV;
	return parse_limit(buf, size, pages) ? 0 : -EINVAL;
}

/* write_limit - a limit file: the kernel sets that limit. */
static ssize_t write_limit(struct handle *h, const char *buf, size_t size,
			   enum memcg_limit which)
{
	struct mem_cgroup *m;
	uint64_t pages;
	int err = group_pages(h, buf, size, &m, &pages);

	if (err)
		return err;
	err = mem_cgroup_set_limit(m, which, pages);
	deliver_pending_signals();
	return err ? err : (ssize_t)size;
}

static ssize_t write_max(struct handle *h, const char *buf, size_t size,
			 off_t off)
{
	(void)off;
	return write_limit(h, buf, size, MEMCG_LIMIT_MAX);
}

static ssize_t write_high(struct handle *h, const char *buf, size_t size,
			  off_t off)
{
	(void)off;
	return write_limit(h, buf, size, MEMCG_LIMIT_HIGH);
}

static ssize_t write_swap_max(struct handle *h, const char *buf, size_t size,
			      off_t off)
{
	(void)off;
	return write_limit(h, buf, size, MEMCG_LIMIT_SWAP_MAX);
}

/* write_reclaim - memory.reclaim: an amount to reclaim ("max" is
 * refused). */
static ssize_t write_reclaim(struct handle *h, const char *buf, size_t size,
			     off_t off)
{
	struct mem_cgroup *m;
	uint64_t pages;
	int err = group_pages(h, buf, size, &m, &pages);

	(void)off;
	if (!err && pages == PAGE_COUNTER_MAX)
		err = -EINVAL;
	if (err)
		return err;
	err = mem_cgroup_reclaim(m, pages);
	deliver_pending_signals();
	return err ? err : (ssize_t)size;
}

/* open_write_only - a file with nothing to read (memory.reclaim): kernfs
 * refuses to open it for reading, even for root. */
static int open_write_only(struct handle *h, int flags)
{
	(void)h;
	return (flags & O_ACCMODE) == O_WRONLY ? 0 : -EACCES;
}

#define CG_FILE(WRITE) { .render = render_cgroup_text, .write = WRITE, \
	.truncates = true }

static const struct file_ops cgroup_procs_fops = CG_FILE(write_procs);
static const struct file_ops cgroup_max_fops = CG_FILE(write_max);
static const struct file_ops cgroup_high_fops = CG_FILE(write_high);
static const struct file_ops cgroup_swap_max_fops = CG_FILE(write_swap_max);
static const struct file_ops cgroup_reclaim_fops = {
	.open = open_write_only, .write = write_reclaim, .truncates = true };

/* The rows of a group's directory (non-root) and of the root's. */
#define CG_ROW(NAME, MODE, FOPS, SHOW) { .name = NAME, .mode = MODE,	\
	.kind = N_CGROUPFILE, .fop = &FOPS, .show.cgroup = SHOW }

const struct dirtab cgroup_rows[] = {
	CG_ROW("cgroup.procs", 0644, cgroup_procs_fops, show_procs),
	CG_ROW("memory.current", 0444, cgroup_text_fops, show_memory_current),
	CG_ROW("memory.events", 0444, cgroup_text_fops, show_memory_events),
	CG_ROW("memory.high", 0644, cgroup_high_fops, show_high),
	CG_ROW("memory.max", 0644, cgroup_max_fops, show_max),
	CG_ROW("memory.reclaim", 0200, cgroup_reclaim_fops, NULL),
	CG_ROW("memory.stat", 0444, cgroup_text_fops, show_memory_stat),
	CG_ROW("memory.swap.current", 0444, cgroup_text_fops,
	       show_swap_current),
	CG_ROW("memory.swap.max", 0644, cgroup_swap_max_fops, show_swap_max),
};
const size_t nr_cgroup_rows = ARRAY_SIZE(cgroup_rows);

const struct dirtab cgroup_root_rows[] = {
	CG_ROW("cgroup.procs", 0644, cgroup_procs_fops, show_procs),
	CG_ROW("memory.reclaim", 0200, cgroup_reclaim_fops, NULL),
	CG_ROW("memory.stat", 0444, cgroup_text_fops, show_memory_stat),
};
const size_t nr_cgroup_root_rows = ARRAY_SIZE(cgroup_root_rows);
