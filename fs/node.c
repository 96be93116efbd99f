/*
 * node.c - what a path names: one table per directory (Plan 9's Dirtab,
 * with devgen's generators for the entries made from the machine's
 * state), the walk from a path to a node, the listing of a directory and
 * a node's attributes.  Lookup and listing both read the same tables, so
 * each name is spelled once.  Machine lock held.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "fs.h"
#include "render.h"
#include "mm/page.h"
#include "mm/memcontrol.h"

/* The longest name a generator makes: a pfn's 20 digits, a sysctl's. */
#define NAME_LEN	64

/*
 * dirgen_fn - the generated entries of a directory (Plan 9's Devgen), the
 * node n starting as the directory's own.  With name set: the entry named
 * by its len bytes.  Else: the first entry at position *pos or after it,
 * its name put in buf (NAME_LEN bytes) and *pos set past it; a position
 * is the generator's own (an index, a pid).  Makes n that entry; 0, or
 * -ENOENT (no such entry, none left) leaving n as it was.
 */
typedef int dirgen_fn(struct node *n, const char *name, size_t len,
		      uint64_t *pos, char *buf);

/* A directory: its rows, listed first, then what its generator makes. */
struct dir {
	const struct dirtab *rows;
	size_t nrows;
	dirgen_fn *gen;
	bool seekable;	/* listed a piece at a time from an offset: the
			 * generator's positions are indexes */
};

/* The rows of the tables: a text file rendered from a task (Linux's ONE),
 * one whose renderer may fail, a text file rendered from the machine, a
 * picture (SVG or HTML: its st_size is its rendering's length, which a
 * browser needs), a file with operations of its own (Linux's REG), a
 * subdirectory. */
#define TASK_TEXT(NAME, MODE, FN) { .name = NAME, .mode = MODE,		\
	.kind = N_PIDFILE, .fop = &task_text_fops, .show.task = FN }
#define TASK_TEXT_ERR(NAME, MODE, FN) { .name = NAME, .mode = MODE,	\
	.kind = N_PIDFILE, .fop = &task_text_err_fops, .show.task_err = FN }
#define SYS_TEXT(NAME, FN) { .name = NAME, .mode = 0444,		\
	.kind = N_ROOTFILE, .fop = &sys_text_fops, .show.sys = FN }
#define SYS_PICTURE(NAME, FN) { .name = NAME, .mode = 0444,		\
	.kind = N_ROOTFILE, .fop = &sys_picture_fops, .show.sys = FN }
#define TASK_PICTURE(NAME, FN) { .name = NAME, .mode = 0444,		\
	.kind = N_PIDFILE, .fop = &task_picture_fops, .show.task = FN }
#define REG(NAME, MODE, KIND, FOPS) { .name = NAME, .mode = MODE,	\
	.kind = KIND, .fop = &FOPS }
#define SUBDIR(NAME, KIND, DIR) { .name = NAME, .mode = 0555,		\
	.kind = KIND, .dir = DIR }
#define LINK(NAME, KIND, FN) { .name = NAME, .mode = 0777,		\
	.kind = KIND, .fop = &link_fops, .readlink = FN }

/* A symbolic link's operations: none (the kernel follows it; opened
 * without following, it is ELOOP). */
static const struct file_ops link_fops;

static dirgen_fn root_gen, task_gen, frames_gen, sysvm_gen, cgroup_gen,
	nodes_gen, cpus_gen, host_task_gen;
static int self_link(const struct node *n, char *buf, size_t size);
static int enter_host(struct node *n, uint64_t pid);
static int cwd_link(const struct node *n, char *buf, size_t size);
static int exe_link(const struct node *n, char *buf, size_t size);
static int thread_self_link(const struct node *n, char *buf, size_t size);

/* /<pid>/task: the threads of the process. */
static const struct dir task_dir = { .gen = task_gen };
static const struct dir host_task_dir = { .gen = host_task_gen };
/* /<pid>/fd: the process's file descriptors.  Simulated processes hold
 * none (they make no open(2)), so it is empty, and true. */
static const struct dir fd_dir = { .rows = NULL };

/* /<pid> and /<pid>/task/<tid>.  task/ is the last row: a thread's
 * directory (tid_dir) is the same table without it. */
static const struct dirtab pid_rows[] = {
	REG("ctl", 0600, N_PIDFILE, ctl_fops),
	REG("mem", 0600, N_PIDFILE, mem_fops),
	TASK_TEXT("maps", 0444, render_maps),
	TASK_PICTURE("maps.svg", render_maps_svg),
	TASK_TEXT("smaps", 0444, render_smaps),
	TASK_TEXT_ERR("smaps_rollup", 0444, render_smaps_rollup),
	REG("pagemap", 0400, N_PIDFILE, pagemap_fops),
	TASK_TEXT("status", 0444, render_status),
	TASK_TEXT("stat", 0444, render_stat),
	TASK_TEXT("statm", 0444, render_statm),
	TASK_TEXT("cmdline", 0444, render_cmdline),
	TASK_TEXT("comm", 0444, render_comm),
	TASK_TEXT_ERR("environ", 0400, render_environ),
	TASK_TEXT("pagetable", 0444, render_pagetable),
	REG("vtop", 0600, N_PIDFILE, vtop_fops),
	TASK_TEXT("mm", 0444, render_mm),
	TASK_TEXT("oom_score", 0444, render_oom_score),
	REG("oom_score_adj", 0644, N_PIDFILE, oom_score_adj_fops),
	TASK_TEXT("io", 0400, render_io),
	TASK_TEXT("schedstat", 0444, render_schedstat),
	TASK_TEXT("numa_maps", 0444, render_numa_maps),
	SUBDIR("fd", N_FDDIR, &fd_dir),
	LINK("cwd", N_PIDFILE, cwd_link),
	LINK("exe", N_PIDFILE, exe_link),
	SUBDIR("task", N_TASKDIR, &task_dir),
};
static const struct dir tgid_dir = {
	.rows = pid_rows, .nrows = ARRAY_SIZE(pid_rows) };
static const struct dir tid_dir = {
	.rows = pid_rows, .nrows = ARRAY_SIZE(pid_rows) - 1 };

/* /cpu<N>. */
static const struct dirtab cpu_rows[] = {
	REG("tlb", 0444, N_TLB, tlb_fops),
};
static const struct dir cpu_dir = {
	.rows = cpu_rows, .nrows = ARRAY_SIZE(cpu_rows) };

/* /frames: one file per frame, millions of them.  A listing stops after
 * FRAMES_LISTED (64 MiB of frames), so that du, find and grep -r over
 * the mount end in seconds on any machine; every frame stays reachable by
 * its name (a pfn from pagemap, kpageflags, physmem's offsets). */
#define FRAMES_LISTED	16384
static const struct dir frames_dir = { .gen = frames_gen, .seekable = true };
static const struct dirtab frame_row = REG("", 0444, N_FRAME, frame_fops);

/* /sys, /sys/vm (the sysctls are vm_table's rows) and /sys/kernel
 * (read only: pid_max is fixed at boot here). */
static const struct dir sysvm_dir = { .gen = sysvm_gen };
static const struct dirtab sysctl_row = REG("", 0, N_SYSCTL, sysctl_fops);
/* A machine file below the root (sys/kernel/, net/). */
#define SYSK_TEXT(NAME, FN) { .name = NAME, .mode = 0444,		\
	.kind = N_SYSKFILE, .fop = &sys_text_fops, .show.sys = FN }
static const struct dirtab syskernel_rows[] = {
	SYSK_TEXT("osrelease", render_osrelease),
	SYSK_TEXT("pid_max", render_pid_max),
};
static const struct dir syskernel_dir = {
	.rows = syskernel_rows, .nrows = ARRAY_SIZE(syskernel_rows) };
/* /net: the network devices' file (the machine has none). */
static const struct dirtab net_rows[] = {
	SYSK_TEXT("dev", render_net_dev),
};
static const struct dir net_dir = {
	.rows = net_rows, .nrows = ARRAY_SIZE(net_rows) };
static const struct dirtab sys_rows[] = {
	SUBDIR("kernel", N_SYSKERNEL, &syskernel_dir),
	SUBDIR("vm", N_SYSVM, &sysvm_dir),
};
static const struct dir sys_dir = {
	.rows = sys_rows, .nrows = ARRAY_SIZE(sys_rows) };

/* /cgroup: the root group's files, then its child groups; each group's
 * directory has the files of a non-root group, then its children. */
static const struct dir cgroup_root_dir = { .gen = cgroup_gen };
static const struct dir cgroup_dir = { .gen = cgroup_gen };

/* /node (Linux's /sys/devices/system/node): online and possible, then
 * node<N>/ for each node, with its files. */
#define NODE_TEXT(NAME, FN) { .name = NAME, .mode = 0444,		\
	.kind = N_NODEFILE, .fop = &node_text_fops, .show.node = FN }
static const struct dirtab node_rows[] = {
	NODE_TEXT("numastat", render_node_numastat),
	NODE_TEXT("meminfo", render_node_meminfo),
	NODE_TEXT("cpulist", render_node_cpulist),
	NODE_TEXT("distance", render_node_distance),
};
static const struct dir node_dir = {
	.rows = node_rows, .nrows = ARRAY_SIZE(node_rows) };
static const struct dirtab nodes_rows[] = {
	{ .name = "online", .mode = 0444, .kind = N_NODEFILE,
	  .fop = &sys_text_fops, .show.sys = render_node_online },
	{ .name = "possible", .mode = 0444, .kind = N_NODEFILE,
	  .fop = &sys_text_fops, .show.sys = render_node_online },
};
static const struct dir nodes_dir = {
	.rows = nodes_rows, .nrows = ARRAY_SIZE(nodes_rows),
	.gen = nodes_gen };

/* /cpu (Linux's /sys/devices/system/cpu, what tools count CPUs by:
 * glibc's sysconf reads online and possible, htop lists the cpu<N>/ and
 * reads their online, psutil counts cores by topology/core_cpus_list):
 * online, possible, present, offline and kernel_max, then cpu<N>/ for
 * each CPU with topology/ and online (last: cpu0, x86's boot CPU, has
 * none, as it cannot go offline).  A directory apart from the root's
 * cpu<N>/ (which hold the TLBs), so that it can be bound over the
 * host's. */
#define CPU_TEXT(NAME, FN) { .name = NAME, .mode = 0444,		\
	.kind = N_CPUFILE, .fop = &cpu_text_fops, .show.cpu = FN }
static const struct dirtab cpu_topology_rows[] = {
	CPU_TEXT("physical_package_id", render_cpu_package_id),
	CPU_TEXT("core_id", render_cpu_core),
	CPU_TEXT("core_cpus_list", render_cpu_core),
	CPU_TEXT("thread_siblings_list", render_cpu_core),
	CPU_TEXT("package_cpus_list", render_cpu_package_cpus),
	CPU_TEXT("core_siblings_list", render_cpu_package_cpus),
};
static const struct dir cpu_topology_dir = {
	.rows = cpu_topology_rows, .nrows = ARRAY_SIZE(cpu_topology_rows) };
static const struct dirtab syscpu_rows[] = {
	SUBDIR("topology", N_CPUTOPO, &cpu_topology_dir),
	CPU_TEXT("online", render_cpu_online),
};
static const struct dir syscpu_dir = {
	.rows = syscpu_rows, .nrows = ARRAY_SIZE(syscpu_rows) };
static const struct dir syscpu0_dir = {
	.rows = syscpu_rows, .nrows = ARRAY_SIZE(syscpu_rows) - 1 };
#define CPUS_TEXT(NAME, FN) { .name = NAME, .mode = 0444,		\
	.kind = N_CPUFILE, .fop = &sys_text_fops, .show.sys = FN }
static const struct dirtab cpus_rows[] = {
	CPUS_TEXT("online", render_cpus_online),
	CPUS_TEXT("possible", render_cpus_online),
	CPUS_TEXT("present", render_cpus_online),
	CPUS_TEXT("offline", render_cpus_offline),
	CPUS_TEXT("kernel_max", render_cpus_kernel_max),
};
static const struct dir cpus_dir = {
	.rows = cpus_rows, .nrows = ARRAY_SIZE(cpus_rows), .gen = cpus_gen };

/* /<pid> of the HOST process calling (host.c), looked up by itself
 * alone and never listed: the files tools read of themselves or probe
 * for (psutil: io, smaps, smaps_rollup; disk_partitions reads
 * self/mounts), task/<tid>/ with the same. */
static const struct dirtab host_tid_rows[] = {
	REG("stat", 0444, N_HOSTFILE, host_text_fops),
	REG("status", 0444, N_HOSTFILE, host_text_fops),
	REG("io", 0400, N_HOSTFILE, host_text_fops),
	REG("smaps", 0444, N_HOSTFILE, host_text_fops),
	REG("smaps_rollup", 0444, N_HOSTFILE, host_text_fops),
	REG("mounts", 0444, N_HOSTFILE, host_text_fops),
	SUBDIR("task", N_HOSTTASK, &host_task_dir),
};
static const struct dir host_pid_dir = {
	.rows = host_tid_rows, .nrows = ARRAY_SIZE(host_tid_rows) };
static const struct dir host_tid_dir = {
	.rows = host_tid_rows, .nrows = ARRAY_SIZE(host_tid_rows) - 1 };

/* The root: the machine's files, then cpu<N>/ and the processes. */
static const struct dirtab root_rows[] = {
	REG("ctl", 0600, N_ROOTFILE, ctl_fops),
	LINK("self", N_ROOTFILE, self_link),
	LINK("thread-self", N_ROOTFILE, thread_self_link),
	SYS_TEXT("meminfo", render_meminfo),
	SYS_TEXT("vmstat", render_vmstat),
	SYS_TEXT("buddyinfo", render_buddyinfo),
	SYS_TEXT("zoneinfo", render_zoneinfo),
	SYS_TEXT("pagetypeinfo", render_pagetypeinfo),
	SYS_TEXT("slabinfo", render_slabinfo),
	SYS_TEXT("stat", render_proc_stat),
	SYS_TEXT("interrupts", render_interrupts),
	SYS_TEXT("softirqs", render_softirqs),
	SYS_TEXT("uptime", render_uptime),
	SYS_TEXT("loadavg", render_loadavg),
	SYS_TEXT("cpuinfo", render_cpuinfo),
	SYS_TEXT("swaps", render_swaps),
	SYS_TEXT("diskstats", render_diskstats),
	SYS_TEXT("filesystems", render_filesystems),
	SYS_TEXT("vmallocinfo", render_vmallocinfo),
	SYS_TEXT("machine", render_machine),
	SYS_TEXT("trace", render_trace),
	REG("trace_pipe", 0444, N_ROOTFILE, trace_pipe_fops),
	SYS_TEXT("dmesg", render_dmesg),
	REG("kpageflags", 0444, N_ROOTFILE, kpageflags_fops),
	REG("kpagecount", 0444, N_ROOTFILE, kpagecount_fops),
	REG("physmem", 0444, N_ROOTFILE, physmem_fops),
	SYS_PICTURE("physmem.svg", render_physmem_svg),
	SYS_PICTURE("index.html", render_index_html),
	SUBDIR("frames", N_FRAMES, &frames_dir),
	SUBDIR("sys", N_SYS, &sys_dir),
	SUBDIR("net", N_NET, &net_dir),
	SUBDIR("cgroup", N_CGROUP, &cgroup_root_dir),
	SUBDIR("node", N_NODES, &nodes_dir),
	SUBDIR("cpu", N_CPUS, &cpus_dir),
};
static const struct dir root_dir = {
	.rows = root_rows, .nrows = ARRAY_SIZE(root_rows), .gen = root_gen };

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

/* enter_row - n becomes the entry a row describes. */
static void enter_row(struct node *n, const struct dirtab *row)
{
	n->kind = row->kind;
	n->dir = row->dir;
	n->file = row->dir ? NULL : row;
	n->mode = row->mode;
}

/* enter_task - n becomes the directory of task pid (dir: a process's or a
 * thread's); 0, or -ENOENT when there is no such task. */
static int enter_task(struct node *n, uint64_t pid, const struct dir *dir)
{
	struct task_struct *t = pid < INT32_MAX ? find_task_by_pid((int)pid)
						: NULL;

	if (!t)
		return -ENOENT;
	n->kind = N_PID;
	n->dir = dir;
	n->pid = (int)pid;
	n->start_ns = t->start_time_ns;
	return 0;
}

/* pid_gen - the processes' directories, by pid.  Looked up: any task, as
 * Linux reaches a thread by its tid too, or else the host caller's own
 * (enter_host).  Listed: the thread-group
 * leaders in ascending order, from a scan of the pids upward that stops
 * once it has passed every task, not at pid_max (a position packs the
 * next pid to look at, low 32 bits, with how many tasks the scan has
 * passed, high 32 bits). */
static int pid_gen(struct node *n, const char *name, size_t len,
		   uint64_t *pos, char *buf)
{
	struct task_struct *t = NULL;
	uint64_t pid, seen;

	if (name)
		return !parse_uint(name, len, &pid) ? -ENOENT :
		       enter_task(n, pid, &tgid_dir) ? enter_host(n, pid) : 0;
	pid = *pos & 0xffffffff;
	seen = *pos >> 32;
	while (!t && seen < (uint64_t)nr_tasks &&
	       pid < (uint64_t)sysctl_vm.pid_max) {
		t = find_task_by_pid((int)pid++);
		if (t) {
			seen++;
			if (!thread_group_leader(t))
				t = NULL;
		}
	}
	*pos = seen << 32 | pid;
	if (!t)
		return -ENOENT;
	snprintf(buf, NAME_LEN, "%d", t->pid);
	return enter_task(n, (uint64_t)t->pid, &tgid_dir);
}

/* numbered_entry - the generator step of entries named prefix<N> for N
 * below limit (a position is N): *idx gets N of the entry named by name
 * (len bytes), or of the one at *pos (its name put in buf).  0, or
 * -ENOENT. */
static int numbered_entry(const char *prefix, uint64_t limit,
			  const char *name, size_t len, uint64_t *pos,
			  char *buf, uint64_t *idx)
{
	size_t plen = strlen(prefix);

	if (name) {
		if (len <= plen || strncmp(name, prefix, plen) ||
		    !parse_uint(name + plen, len - plen, idx))
			return -ENOENT;
	} else {
		*idx = (*pos)++;
		snprintf(buf, NAME_LEN, "%s%" PRIu64, prefix, *idx);
	}
	return *idx < limit ? 0 : -ENOENT;
}

/* cpu_gen - cpu<N>, for each CPU N of the machine (a position is N). */
static int cpu_gen(struct node *n, const char *name, size_t len,
		   uint64_t *pos, char *buf)
{
	uint64_t cpu;

	if (numbered_entry("cpu", (uint64_t)hw.nr_cpus, name, len, pos, buf,
			   &cpu))
		return -ENOENT;
	n->kind = N_CPU;
	n->dir = &cpu_dir;
	n->cpu = (int)cpu;
	return 0;
}

/* nodes_gen - node/node<N>, for each NUMA node N (a position is N). */
static int nodes_gen(struct node *n, const char *name, size_t len,
		     uint64_t *pos, char *buf)
{
	uint64_t nid;

	if (numbered_entry("node", (uint64_t)nr_online_nodes, name, len, pos,
			   buf, &nid))
		return -ENOENT;
	n->kind = N_NODE;
	n->dir = &node_dir;
	n->nid = (int)nid;
	return 0;
}

/* cpus_gen - cpu/cpu<N>, for each CPU N (a position is N). */
static int cpus_gen(struct node *n, const char *name, size_t len,
		    uint64_t *pos, char *buf)
{
	uint64_t cpu;

	if (numbered_entry("cpu", (uint64_t)hw.nr_cpus, name, len, pos, buf,
			   &cpu))
		return -ENOENT;
	n->kind = N_CPUSYS;
	n->dir = cpu ? &syscpu_dir : &syscpu0_dir;
	n->cpu = (int)cpu;
	return 0;
}

/* root_gen - the CPUs' directories, then the processes' (positions below
 * hw.nr_cpus are the CPUs', the rest pid_gen's, shifted by as many). */
static int root_gen(struct node *n, const char *name, size_t len,
		    uint64_t *pos, char *buf)
{
	uint64_t cpus = (uint64_t)hw.nr_cpus, sub;
	int err;

	if (name)
		return pid_gen(n, name, len, NULL, NULL) &&
		       cpu_gen(n, name, len, NULL, NULL) ? -ENOENT : 0;
	if (*pos < cpus)
		return cpu_gen(n, NULL, 0, pos, buf);
	sub = *pos - cpus;
	err = pid_gen(n, NULL, 0, &sub, buf);
	*pos = sub + cpus;
	return err;
}

/* thread_after - the thread listed after the task of tid `prev` in
 * leader's group (prev 0: the leader itself first), or NULL. */
static struct task_struct *thread_after(struct task_struct *leader,
					uint64_t prev)
{
	struct task_struct *t;
	struct list_head *next;

	if (prev == 0)
		return leader;
	t = prev < INT32_MAX ? find_task_by_pid((int)prev) : NULL;
	if (!t || t->group_leader != leader)
		return NULL;
	next = t == leader ? leader->thread_group.next : t->thread_node.next;
	return next == &leader->thread_group ? NULL :
	       list_entry(next, struct task_struct, thread_node);
}

/* task_gen - /<pid>/task: the tasks of the thread group, the leader first
 * (a position is the tid listed last); looked up, one of them by tid. */
static int task_gen(struct node *n, const char *name, size_t len,
		    uint64_t *pos, char *buf)
{
	struct task_struct *t = node_task(n), *th;
	uint64_t tid;

	if (!t)
		return -ENOENT;
	if (name) {
		if (!parse_uint(name, len, &tid) || tid >= INT32_MAX)
			return -ENOENT;
		th = find_task_by_pid((int)tid);
		if (!th || th->tgid != t->tgid)
			return -ENOENT;
	} else {
		th = thread_after(t->group_leader, *pos);
		if (!th)
			return -ENOENT;
		*pos = (uint64_t)th->pid;
		snprintf(buf, NAME_LEN, "%d", th->pid);
	}
	n->in_task = true;
	return enter_task(n, (uint64_t)th->pid, &tid_dir);
}

/* frames_gen - frames/<pfn>, for each frame of the machine, listed up to
 * FRAMES_LISTED (a position is the pfn). */
static int frames_gen(struct node *n, const char *name, size_t len,
		      uint64_t *pos, char *buf)
{
	uint64_t pfn;

	if (name) {
		if (!parse_uint(name, len, &pfn))
			return -ENOENT;
	} else {
		pfn = (*pos)++;
		if (pfn >= FRAMES_LISTED)
			return -ENOENT;
		snprintf(buf, NAME_LEN, "%" PRIu64, pfn);
	}
	if (pfn >= max_pfn)
		return -ENOENT;
	enter_row(n, &frame_row);
	n->pfn = pfn;
	return 0;
}

/* sysvm_gen - sys/vm/<name>, a file for each row of vm_table (a position
 * is the row's index). */
static int sysvm_gen(struct node *n, const char *name, size_t len,
		     uint64_t *pos, char *buf)
{
	size_t i = 0;

	if (name) {
		while (i < nr_vm_table && !comp_is(name, len,
						   vm_table[i].procname))
			i++;
	} else {
		i = (size_t)(*pos)++;
	}
	if (i >= nr_vm_table)
		return -ENOENT;
	if (!name)
		snprintf(buf, NAME_LEN, "%s", vm_table[i].procname);
	enter_row(n, &sysctl_row);
	n->sysctl = &vm_table[i];
	n->mode = vm_table[i].mode;
	return 0;
}

/* cgroup_gen - a group's child groups, by name (a position is the index
 * of the next child). */
static int cgroup_gen(struct node *n, const char *name, size_t len,
		      uint64_t *pos, char *buf)
{
	struct mem_cgroup *m = node_memcg(n), *c = NULL;
	struct list_head *l;
	uint64_t i = 0;

	if (!m)
		return -ENOENT;
	list_for_each(l, &m->children) {
		struct mem_cgroup *k = list_entry(l, struct mem_cgroup, sibling);

		if (name ? comp_is(name, len, k->name) : i == *pos) {
			c = k;
			break;
		}
		i++;
	}
	if (!c)
		return -ENOENT;
	if (!name) {
		(*pos)++;
		snprintf(buf, NAME_LEN, "%s", c->name);
	}
	n->kind = N_CGROUP;
	n->dir = &cgroup_dir;
	n->memcg_id = c->id;
	n->memcg_serial = c->serial;
	return 0;
}

/* host_task_gen - <pid>/task/<tid> of the host caller: its threads (a
 * position is the tid listed last). */
static int host_task_gen(struct node *n, const char *name, size_t len,
			 uint64_t *pos, char *buf)
{
	uint64_t tid;

	if (name) {
		if (!parse_uint(name, len, &tid) || tid >= INT32_MAX ||
		    !host_task_exists(n->host_pid, (int)tid))
			return -ENOENT;
	} else {
		tid = (uint64_t)host_next_task(n->host_pid, *pos < INT32_MAX ?
					       (int)*pos : INT32_MAX);
		if (!tid)
			return -ENOENT;
		*pos = tid;
		snprintf(buf, NAME_LEN, "%" PRIu64, tid);
	}
	n->kind = N_HOSTPID;
	n->dir = &host_tid_dir;
	n->host_pid = (int)tid;
	return 0;
}

/* host_self - the host caller's tgid when it names no simulated task
 * (the simulation owns its pid namespace: a host pid that is also a
 * simulated one is the simulated task), else 0. */
static int host_self(void)
{
	int me = host_caller();

	return me > 0 && !find_task_by_pid(me) ? me : 0;
}

/* enter_host - n becomes <pid>/ of the host caller, if pid is its tgid
 * and no simulated task: 0, or -ENOENT. */
static int enter_host(struct node *n, uint64_t pid)
{
	int me = host_self();

	if (!me || pid != (uint64_t)me)
		return -ENOENT;
	n->kind = N_HOSTPID;
	n->dir = &host_pid_dir;
	n->host_pid = me;
	return 0;
}

/* self_link - /self (Linux's proc_self_get_link): <tgid> of the HOST
 * process calling, whose directory only it sees (enter_host); -ENOENT,
 * as Linux for a caller outside the mount's pid namespace, when it has
 * no pid the daemon sees or its pid is a simulated task's. */
static int self_link(const struct node *n, char *buf, size_t size)
{
	int me = host_self();

	(void)n;
	return me ? snprintf(buf, size, "%d", me) : -ENOENT;
}

/* thread_self_link - /thread-self (proc_thread_self_get_link):
 * <tgid>/task/<tid> of the calling host thread. */
static int thread_self_link(const struct node *n, char *buf, size_t size)
{
	int me = host_self(), tid = fs_caller_pid ? fs_caller_pid() : 0;

	(void)n;
	return me && tid > 0 ?
	       snprintf(buf, size, "%d/task/%d", me, tid) : -ENOENT;
}

/* cwd_link, exe_link - /<pid>/cwd and /<pid>/exe: the task's, -ENOENT
 * once it is gone. */
static int cwd_link(const struct node *n, char *buf, size_t size)
{
	struct task_struct *t = node_task(n);

	return t ? readlink_cwd(t, buf, size) : -ENOENT;
}

static int exe_link(const struct node *n, char *buf, size_t size)
{
	struct task_struct *t = node_task(n);

	return t ? readlink_exe(t, buf, size) : -ENOENT;
}

/* dir_rows - the rows of directory n: its table's, or a group's files. */
static const struct dirtab *dir_rows(const struct node *n, size_t *nrows)
{
	if (n->dir == &cgroup_root_dir) {
		*nrows = nr_cgroup_root_rows;
		return cgroup_root_rows;
	}
	if (n->dir == &cgroup_dir) {
		*nrows = nr_cgroup_rows;
		return cgroup_rows;
	}
	*nrows = n->dir->nrows;
	return n->dir->rows;
}

/* dir_walk - n, a directory, becomes its entry named by the len bytes at
 * name: the generator first (a pid is the common case: no row is
 * numbered), then the rows.  0, or -ENOENT. */
static int dir_walk(struct node *n, const char *name, size_t len)
{
	const struct dir *d = n->dir;
	size_t i, nrows;
	const struct dirtab *rows = dir_rows(n, &nrows);

	if (d->gen && !d->gen(n, name, len, NULL, NULL))
		return 0;
	for (i = 0; i < nrows; i++) {
		if (comp_is(name, len, rows[i].name)) {
			enter_row(n, &rows[i]);
			return 0;
		}
	}
	return -ENOENT;
}

/* node_lookup - see fs.h. */
int node_lookup(const char *path, struct node *n)
{
	const char *p = path, *c;
	size_t len;

	memset(n, 0, sizeof(*n));
	n->kind = N_ROOT;
	n->dir = &root_dir;
	while ((len = next_comp(&p, &c)))
		if (!n->dir || dir_walk(n, c, len))
			return -ENOENT;
	return 0;
}

/* dir_list - fill with directory n's entries, from offset off if it is
 * seekable (else all of them, and offsets 0).  Entries are indexed ".",
 * "..", the rows, then the generator's positions; the offset given with
 * one is its index plus one, where the listing goes on after it. */
static void dir_list(const struct node *n, off_t off, dir_fill_fn *fill,
		     void *ctx)
{
	const struct dir *d = n->dir;
	uint64_t k = d->seekable && off > 0 ? (uint64_t)off : 0, pos, rows;
	struct node child;
	char name[NAME_LEN];
	size_t nrows;
	const struct dirtab *row = dir_rows(n, &nrows);

	rows = 2 + nrows;
	if (k < 1 && fill(ctx, ".", d->seekable ? 1 : 0))
		return;
	if (k < 2 && fill(ctx, "..", d->seekable ? 2 : 0))
		return;
	for (k = k > 2 ? k : 2; k < rows; k++)
		if (fill(ctx, row[k - 2].name,
			 d->seekable ? (off_t)k + 1 : 0))
			return;
	if (!d->gen)
		return;
	pos = k - rows;
	for (child = *n; !d->gen(&child, NULL, 0, &pos, name); child = *n)
		if (fill(ctx, name, d->seekable ? (off_t)(rows + pos) : 0))
			return;
}

/* dir_read - see fs.h. */
int dir_read(const char *path, off_t off, dir_fill_fn *fill, void *ctx)
{
	struct node n;
	int err = node_lookup(path, &n);

	if (err)
		return err;
	if (!node_is_dir(&n))
		return -ENOTDIR;
	dir_list(&n, off, fill, ctx);
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
	return n->dir != NULL;
}

/* node_outlives_reset - see fs.h: the machine's own files and the
 * sysctls do; what is below a pid, a frame or a CPU may be gone, or
 * another. */
bool node_outlives_reset(const struct node *n)
{
	return n->kind == N_ROOTFILE || n->kind == N_SYSCTL ||
	       n->kind == N_SYSKFILE || n->kind == N_HOSTFILE;
}

/* node_size - st_size: the true extent of binary files, a link's
 * target's length, 0 otherwise. */
static uint64_t node_size(const struct node *n)
{
	char target[PATH_MAX];
	int len;

	if (n->file && n->file->readlink) {
		len = n->file->readlink(n, target, sizeof(target));
		return len > 0 ? (uint64_t)len : 0;
	}
	return n->file && n->file->fop->size ? n->file->fop->size(n) : 0;
}

/* node_mode - S_IF* and permission bits: a group's directory is
 * writable (mkdir makes a child group), as on cgroupfs. */
static mode_t node_mode(const struct node *n)
{
	if (n->file && n->file->readlink)
		return 0120777;
	if (n->kind == N_CGROUP)
		return 0040755;
	return node_is_dir(n) ? 0040555 : 0100000 | n->mode;
}

/* cpu_ino - the inode number of cpu/ and what is below it: 9 << 32,
 * its top files at 1 << 16 on, a CPU's at 1 << 20 on, by CPU, then
 * directory, topology/, the CPU's files, topology/'s files. */
static ino_t cpu_ino(const struct node *n)
{
	uint64_t base = (9ULL << 32) + (1ULL << 20) + ((uint64_t)n->cpu << 8);

	switch (n->kind) {
	case N_CPUS:
		return 9ULL << 32;
	case N_CPUSYS:
		return base;
	case N_CPUTOPO:
		return base + 1;
	default:
		if (n->file >= cpus_rows &&
		    n->file < cpus_rows + ARRAY_SIZE(cpus_rows))
			return (9ULL << 32) + (1ULL << 16) +
			       (uint64_t)(n->file - cpus_rows);
		if (n->file >= syscpu_rows &&
		    n->file < syscpu_rows + ARRAY_SIZE(syscpu_rows))
			return base + 2 + (uint64_t)(n->file - syscpu_rows);
		return base + 0x10 + (uint64_t)(n->file - cpu_topology_rows);
	}
}

/* node_ino - a stable inode number for a node (Plan 9's qid path): its
 * kind, and its pid, frame, CPU or row. */
static ino_t node_ino(const struct node *n)
{
	uint64_t file = 0;

	if (n->kind == N_PIDFILE)
		file = (uint64_t)(n->file - pid_rows) + 1;
	else if (n->kind == N_ROOTFILE)
		file = (uint64_t)(n->file - root_rows) + 1;
	switch (n->kind) {
	case N_ROOT:
		return 1;
	case N_PID:
	case N_TASKDIR:
	case N_FDDIR:
	case N_PIDFILE:
		return ((uint64_t)n->pid << 8 | (n->in_task ? 0x80 : 0) |
			(n->kind == N_TASKDIR ? 0x7f : n->kind == N_FDDIR ?
			 0x7e : file)) + (1ULL << 32);
	case N_FRAME:
		return (1ULL << 48) + n->pfn;
	case N_CPU:
	case N_TLB:
		return (2ULL << 32) + (uint64_t)n->cpu * 2 + (n->kind == N_TLB);
	case N_SYSCTL:
		return (3ULL << 32) + (uint64_t)(n->sysctl - vm_table);
	case N_NODE:
		return (6ULL << 32) + ((uint64_t)n->nid << 8);
	case N_NODEFILE:
		if (n->file >= nodes_rows &&
		    n->file < nodes_rows + ARRAY_SIZE(nodes_rows))
			return (6ULL << 32) + (1ULL << 16) +
			       (uint64_t)(n->file - nodes_rows);
		return (6ULL << 32) + ((uint64_t)n->nid << 8) +
		       (uint64_t)(n->file - node_rows) + 1;
	case N_CPUS:
	case N_CPUSYS:
	case N_CPUTOPO:
	case N_CPUFILE:
		return cpu_ino(n);
	case N_SYSKFILE:
		return (8ULL << 32) + (n->file >= net_rows &&
				       n->file < net_rows + ARRAY_SIZE(net_rows) ?
				       0x100 + (uint64_t)(n->file - net_rows) :
				       (uint64_t)(n->file - syskernel_rows));
	case N_HOSTPID:
	case N_HOSTTASK:
	case N_HOSTFILE:
		return (7ULL << 32) + ((uint64_t)n->host_pid << 8) +
		       (n->dir == &host_tid_dir ? 0x80 : 0) +
		       (n->kind == N_HOSTFILE ?
			(uint64_t)(n->file - host_tid_rows) + 0x10 :
			(uint64_t)n->kind);
	case N_CGROUP:
	case N_CGROUPFILE:
		return (5ULL << 40) + (n->memcg_serial << 8) +
		       (n->kind == N_CGROUP ? 0 :
			(uint64_t)(n->file - (n->memcg_id ? cgroup_rows :
					      cgroup_root_rows)) + 1);
	default:
		return (4ULL << 32) + (uint64_t)n->kind * 64 + file;
	}
}

/* node_stat - the attributes of a node. */
static void node_stat(const struct node *n, struct stat *st)
{
	struct task_struct *t = n->pid ? node_task(n) : NULL;
	time_t when = (time_t)(boot_wall_ns / 1000000000ULL);

	memset(st, 0, sizeof(*st));
	st->st_ino = node_ino(n);
	st->st_mode = node_mode(n);
	st->st_nlink = node_is_dir(n) ? 2 : 1;
	st->st_uid = render_uid;
	st->st_gid = render_gid;
	st->st_size = (off_t)node_size(n);
	if (t)
		when += (time_t)(t->start_time_ns / 1000000000ULL);
	st->st_atime = st->st_mtime = st->st_ctime = when;
}

/* node_getattr - see fs.h. */
int node_getattr(const char *path, struct stat *st)
{
	struct node n;
	int err = node_lookup(path, &n);

	if (!err)
		node_stat(&n, st);
	return err;
}

/* node_readlink - see fs.h. */
int node_readlink(const char *path, char *buf, size_t size)
{
	struct node n;
	int len = node_lookup(path, &n);

	if (len)
		return len;
	if (!n.file || !n.file->readlink)
		return -EINVAL;
	len = n.file->readlink(&n, buf, size);
	return len < 0 ? len : 0;
}

/* split_last - the parent path of path into parent (a buffer of size
 * bytes) and its last component, trailing slashes left out, into *name
 * and *len; false if path has none or is too long. */
static bool split_last(const char *path, char *parent, size_t size,
		       const char **name, size_t *len)
{
	size_t n = strlen(path);
	const char *slash;

	while (n > 1 && path[n - 1] == '/')
		n--;
	if (n >= size)
		return false;
	memcpy(parent, path, n);
	parent[n] = '\0';
	slash = strrchr(parent, '/');
	if (!slash || !slash[1])
		return false;
	*name = path + (slash - parent) + 1;
	*len = n - (size_t)(slash - parent) - 1;
	parent[slash - parent] = '\0';
	return true;
}

/* node_mkdir - see fs.h (cgroup_mkdir: a child memory group).  What
 * exists is EEXIST first, as the VFS checks before the filesystem. */
int node_mkdir(const char *path)
{
	char parent[PATH_MAX], name[NAME_LEN];
	const char *last;
	struct mem_cgroup *m;
	struct node n;
	size_t len;
	int err;

	if (!node_lookup(path, &n))
		return -EEXIST;
	if (!split_last(path, parent, sizeof(parent), &last, &len))
		return -ENAMETOOLONG;
	if (node_lookup(parent, &n))
		return -ENOENT;
	if (n.kind != N_CGROUP)
		return -EPERM;
	m = node_memcg(&n);
	if (!m)
		return -ENOENT;
	if (len >= sizeof(name))
		return -ENAMETOOLONG;
	memcpy(name, last, len);
	name[len] = '\0';
	mem_cgroup_create(m, name, &err);
	return err;
}

/* node_rmdir - see fs.h (cgroup_rmdir). */
int node_rmdir(const char *path)
{
	struct mem_cgroup *m;
	struct node n;

	if (node_lookup(path, &n))
		return -ENOENT;
	if (!node_is_dir(&n))
		return -ENOTDIR;
	if (n.kind != N_CGROUP)
		return -EPERM;
	m = node_memcg(&n);
	if (!m)
		return -ENOENT;
	if (!m->parent)
		return -EBUSY;
	return mem_cgroup_remove(m);
}
