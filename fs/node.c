/*
 * node.c - what a path names: the tables of the directories (Plan 9's
 * Dirtab) and the parser from a path to a node.  Machine lock held.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fs.h"
#include "render.h"
#include "mm/page.h"

static void render_trace_sys(struct seq *s)
{
	render_trace(s);
}

const struct file_desc pid_files[] = {
	{ "ctl", 0600, F_CTL, NULL, NULL, NULL },
	{ "mem", 0600, F_MEM, NULL, NULL, NULL },
	{ "maps", 0444, F_TEXT_TASK, render_maps, NULL, NULL },
	{ "smaps", 0444, F_TEXT_TASK, render_smaps, NULL, NULL },
	{ "smaps_rollup", 0444, F_TEXT_TASK, NULL, render_smaps_rollup, NULL },
	{ "pagemap", 0400, F_PAGEMAP, NULL, NULL, NULL },
	{ "status", 0444, F_TEXT_TASK, render_status, NULL, NULL },
	{ "stat", 0444, F_TEXT_TASK, render_stat, NULL, NULL },
	{ "statm", 0444, F_TEXT_TASK, render_statm, NULL, NULL },
	{ "cmdline", 0444, F_TEXT_TASK, render_cmdline, NULL, NULL },
	{ "comm", 0444, F_TEXT_TASK, render_comm, NULL, NULL },
	{ "environ", 0400, F_TEXT_TASK, NULL, render_environ, NULL },
	{ "pagetable", 0444, F_TEXT_TASK, render_pagetable, NULL, NULL },
	{ "mm", 0444, F_TEXT_TASK, render_mm, NULL, NULL },
};
const size_t nr_pid_files = ARRAY_SIZE(pid_files);

const struct file_desc root_files[] = {
	{ "ctl", 0600, F_CTL, NULL, NULL, NULL },
	{ "meminfo", 0444, F_TEXT_SYS, NULL, NULL, render_meminfo },
	{ "vmstat", 0444, F_TEXT_SYS, NULL, NULL, render_vmstat },
	{ "buddyinfo", 0444, F_TEXT_SYS, NULL, NULL, render_buddyinfo },
	{ "zoneinfo", 0444, F_TEXT_SYS, NULL, NULL, render_zoneinfo },
	{ "pagetypeinfo", 0444, F_TEXT_SYS, NULL, NULL, render_pagetypeinfo },
	{ "slabinfo", 0444, F_TEXT_SYS, NULL, NULL, render_slabinfo },
	{ "stat", 0444, F_TEXT_SYS, NULL, NULL, render_proc_stat },
	{ "uptime", 0444, F_TEXT_SYS, NULL, NULL, render_uptime },
	{ "loadavg", 0444, F_TEXT_SYS, NULL, NULL, render_loadavg },
	{ "cpuinfo", 0444, F_TEXT_SYS, NULL, NULL, render_cpuinfo },
	{ "swaps", 0444, F_TEXT_SYS, NULL, NULL, render_swaps },
	{ "machine", 0444, F_TEXT_SYS, NULL, NULL, render_machine },
	{ "trace", 0444, F_TEXT_SYS, NULL, NULL, render_trace_sys },
	{ "trace_pipe", 0444, F_TRACE_PIPE, NULL, NULL, NULL },
	{ "kpageflags", 0444, F_KPAGEFLAGS, NULL, NULL, NULL },
	{ "kpagecount", 0444, F_KPAGECOUNT, NULL, NULL, NULL },
	{ "physmem", 0444, F_PHYSMEM, NULL, NULL, NULL },
};
const size_t nr_root_files = ARRAY_SIZE(root_files);

static const struct file_desc frame_file = { "", 0444, F_FRAME, NULL, NULL,
					     NULL };
static const struct file_desc tlb_file = { "tlb", 0444, F_TLB, NULL, NULL,
					   NULL };
static const struct file_desc sysctl_file = { "", 0644, F_SYSCTL, NULL, NULL,
					      NULL };

/* parse_uint - a whole decimal component without leading zeros. */
static bool parse_uint(const char *s, size_t len, uint64_t *v)
{
	uint64_t n = 0;
	size_t i;

	if (len == 0 || len > 19 || (s[0] == '0' && len > 1))
		return false;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		n = n * 10 + (uint64_t)(s[i] - '0');
	}
	*v = n;
	return true;
}

/* next_comp - the next path component: *p advanced past it. */
static size_t next_comp(const char **p, const char **comp)
{
	const char *s = *p, *e;

	while (*s == '/')
		s++;
	e = strchr(s, '/');
	if (!e)
		e = s + strlen(s);
	*comp = s;
	*p = e;
	return (size_t)(e - s);
}

static bool comp_is(const char *c, size_t len, const char *name)
{
	return strlen(name) == len && !strncmp(c, name, len);
}

/* find_file - the row of table named by the component. */
static const struct file_desc *find_file(const struct file_desc *table,
					 size_t n, const char *c, size_t len)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (comp_is(c, len, table[i].name))
			return &table[i];
	return NULL;
}

/* set_task - the node names task pid (which must exist). */
static int set_task(struct node *n, uint64_t pid)
{
	struct task_struct *t = pid < INT32_MAX ? find_task_by_pid((int)pid)
						: NULL;

	if (!t)
		return -ENOENT;
	n->pid = (int)pid;
	n->start_ns = t->start_time_ns;
	return 0;
}

/* lookup_task - the rest of a path below /<pid> or /<pid>/task/<tid>. */
static int lookup_task(const char *p, struct node *n, bool in_task)
{
	const char *c;
	size_t len = next_comp(&p, &c);
	struct task_struct *t = find_task_by_pid(n->pid), *th;
	uint64_t tid;

	if (len == 0) {
		n->kind = N_PID;
		return 0;
	}
	if (!in_task && comp_is(c, len, "task")) {
		len = next_comp(&p, &c);
		if (len == 0) {
			n->kind = N_TASKDIR;
			return 0;
		}
		if (!parse_uint(c, len, &tid) || tid >= INT32_MAX)
			return -ENOENT;
		th = find_task_by_pid((int)tid);
		if (!th || th->tgid != t->tgid)
			return -ENOENT;
		if (set_task(n, tid))
			return -ENOENT;
		n->in_task = true;
		return lookup_task(p, n, true);
	}
	n->file = find_file(pid_files, nr_pid_files, c, len);
	if (!n->file || next_comp(&p, &c))
		return -ENOENT;
	n->kind = N_PIDFILE;
	return 0;
}

/* lookup_sys - below /sys. */
static int lookup_sys(const char *p, struct node *n)
{
	const char *c;
	size_t len = next_comp(&p, &c), i;

	if (len == 0) {
		n->kind = N_SYS;
		return 0;
	}
	if (!comp_is(c, len, "vm"))
		return -ENOENT;
	len = next_comp(&p, &c);
	if (len == 0) {
		n->kind = N_SYSVM;
		return 0;
	}
	for (i = 0; i < nr_sysctls; i++)
		if (comp_is(c, len, sysctls[i].name))
			break;
	if (i == nr_sysctls || next_comp(&p, &c))
		return -ENOENT;
	n->kind = N_SYSCTL;
	n->sysctl = (int)i;
	n->file = &sysctl_file;
	return 0;
}

/* lookup_dir_file - /frames/<pfn> and /cpuN/tlb. */
static int lookup_frames(const char *p, struct node *n)
{
	const char *c;
	size_t len = next_comp(&p, &c);

	if (len == 0) {
		n->kind = N_FRAMES;
		return 0;
	}
	if (!parse_uint(c, len, &n->pfn) || n->pfn >= max_pfn ||
	    next_comp(&p, &c))
		return -ENOENT;
	n->kind = N_FRAME;
	n->file = &frame_file;
	return 0;
}

static int lookup_cpu(const char *p, struct node *n)
{
	const char *c;
	size_t len = next_comp(&p, &c);

	if (len == 0) {
		n->kind = N_CPU;
		return 0;
	}
	if (!comp_is(c, len, "tlb") || next_comp(&p, &c))
		return -ENOENT;
	n->kind = N_TLB;
	n->file = &tlb_file;
	return 0;
}

/* node_lookup - see fs.h. */
int node_lookup(const char *path, struct node *n)
{
	const char *p = path, *c;
	size_t len = next_comp(&p, &c);
	uint64_t v;

	memset(n, 0, sizeof(*n));
	if (len == 0) {
		n->kind = N_ROOT;
		return 0;
	}
	if (parse_uint(c, len, &v)) {
		if (set_task(n, v))
			return -ENOENT;
		return lookup_task(p, n, false);
	}
	if (comp_is(c, len, "frames"))
		return lookup_frames(p, n);
	if (comp_is(c, len, "sys"))
		return lookup_sys(p, n);
	if (len > 3 && !strncmp(c, "cpu", 3) && parse_uint(c + 3, len - 3, &v) &&
	    v < (uint64_t)hw.nr_cpus) {
		n->cpu = (int)v;
		return lookup_cpu(p, n);
	}
	n->file = find_file(root_files, nr_root_files, c, len);
	if (!n->file || next_comp(&p, &c))
		return -ENOENT;
	n->kind = N_ROOTFILE;
	return 0;
}

/* node_task - see fs.h. */
struct task_struct *node_task(const struct node *n)
{
	struct task_struct *t = find_task_by_pid(n->pid);

	return t && t->start_time_ns == n->start_ns ? t : NULL;
}

bool node_is_dir(const struct node *n)
{
	return n->kind <= N_SYSVM;
}

/* node_size - see fs.h. */
uint64_t node_size(const struct node *n)
{
	struct task_struct *t;
	uint64_t task_size;

	if (!n->file)
		return 0;
	switch (n->file->type) {
	case F_MEM:
	case F_PAGEMAP:
		t = node_task(n);
		task_size = t && t->mm ? t->mm->task_size : task_size_max();
		return n->file->type == F_MEM ? task_size :
						task_size / PAGE_SIZE * 8;
	case F_KPAGEFLAGS:
	case F_KPAGECOUNT:
		return max_pfn * 8;
	case F_PHYSMEM:
		return max_pfn << PAGE_SHIFT;
	default:
		return 0;
	}
}

/* node_mode - S_IF* and permission bits. */
mode_t node_mode(const struct node *n)
{
	if (node_is_dir(n))
		return 0040555;
	if (n->kind == N_SYSCTL)
		return 0100000 | sysctls[n->sysctl].mode;
	return 0100000 | n->file->mode;
}
