/*
 * sysctl.c - /sys/vm: one table of the kernel's tunables, each row naming
 * the variable it shows, its mode, its bounds and the handler that reads
 * and writes it (Linux's vm_table in kernel/sysctl.c, with its
 * proc_dointvec_minmax family); and the operations of a sysctl's file.
 * The values live in the kernel (sysctl_vm, min_free_kbytes); handlers
 * that must do more than store one call into mm/.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "fs.h"
#include "mm/mm.h"
#include "mm/page_alloc.h"
#include "mm/replace.h"
#include "kernel/time.h"

/* parse_proc_int - see fs.h. */
bool parse_proc_int(const char *buf, size_t size, int64_t *v)
{
	char tmp[32], *end;
	long long x;

	while (size && (buf[size - 1] == '\n' || buf[size - 1] == ' ' ||
			buf[size - 1] == '\t'))
		size--;
	if (size == 0 || size >= sizeof(tmp) || memchr(buf, '\0', size))
		return false;
	memcpy(tmp, buf, size);
	tmp[size] = '\0';
	errno = 0;
	x = strtoll(tmp, &end, 10);
	if (errno || *end || end == tmp)
		return false;
	*v = x;
	return true;
}

/* proc_do_minmax - the numeric handlers' part that does not depend on the
 * variable's type, on its value *v: a read appends it and a newline to s;
 * a write parses buf into *v.  0, or -EINVAL for a write that is not a
 * number or is outside [t->min, t->max]. */
static int proc_do_minmax(const struct ctl_table *t, bool write,
			  struct seq *s, const char *buf, size_t size,
			  int64_t *v)
{
	if (!write) {
		seq_printf(s, "%" PRId64 "\n", *v);
		return 0;
	}
	if (!parse_proc_int(buf, size, v) || *v < t->min || *v > t->max)
		return -EINVAL;
	return 0;
}

/* proc_dointvec_minmax - Linux's: an int within the row's bounds. */
static int proc_dointvec_minmax(const struct ctl_table *t, bool write,
				struct seq *s, const char *buf, size_t size)
{
	int64_t v = *(int *)t->data;
	int err = proc_do_minmax(t, write, s, buf, size, &v);

	if (!err && write)
		*(int *)t->data = (int)v;
	return err;
}

/* proc_doulongvec_minmax - Linux's, for a 64-bit variable (an int64_t or
 * a uint64_t: the bounds keep it within both) within the row's bounds. */
static int proc_doulongvec_minmax(const struct ctl_table *t, bool write,
				  struct seq *s, const char *buf, size_t size)
{
	int64_t v;
	int err;

	memcpy(&v, t->data, sizeof(v));
	err = proc_do_minmax(t, write, s, buf, size, &v);
	if (!err && write)
		memcpy(t->data, &v, sizeof(v));
	return err;
}

/* rounddown_pow_of_two - the largest power of two <= x (x > 0). */
static uint64_t rounddown_pow_of_two(uint64_t x)
{
	return 1ULL << (63 - __builtin_clzll(x));
}

/* fault_around_bytes_handler - Linux's fault_around_bytes_set: at most a
 * page table's worth of pages (512), rounded down to a power of two, at
 * least a page. */
static int fault_around_bytes_handler(const struct ctl_table *t, bool write,
				      struct seq *s, const char *buf,
				      size_t size)
{
	uint64_t *bytes = t->data;
	int64_t v = (int64_t)*bytes;
	int err = proc_do_minmax(t, write, s, buf, size, &v);

	if (err || !write)
		return err;
	if (v / PAGE_SIZE > 512)
		return -EINVAL;
	*bytes = v >= (int64_t)PAGE_SIZE ? rounddown_pow_of_two((uint64_t)v) :
					   PAGE_SIZE;
	return 0;
}

/* min_free_kbytes_handler - Linux's min_free_kbytes_sysctl_handler: the
 * zones' watermarks follow the new value. */
static int min_free_kbytes_handler(const struct ctl_table *t, bool write,
				   struct seq *s, const char *buf, size_t size)
{
	int err = proc_doulongvec_minmax(t, write, s, buf, size);

	if (!err && write)
		setup_per_zone_wmarks();
	return err;
}

/* percpu_pagelist_high_fraction_handler - Linux's
 * percpu_pagelist_high_fraction_sysctl_handler: 0 or at least 8, and every
 * pcp list's high follows the new value. */
static int percpu_pagelist_high_fraction_handler(const struct ctl_table *t,
						 bool write, struct seq *s,
						 const char *buf, size_t size)
{
	int64_t v = percpu_pagelist_high_fraction;
	int err = proc_do_minmax(t, write, s, buf, size, &v);

	if (err || !write)
		return err;
	return set_percpu_pagelist_high_fraction(v);
}

/* drop_caches_handler - Linux's drop_caches_sysctl_handler, write-only:
 * the kernel's drop_caches with the value written.  A read is -EACCES. */
static int drop_caches_handler(const struct ctl_table *t, bool write,
			       struct seq *s, const char *buf, size_t size)
{
	int64_t v = 0;
	int err;

	if (!write)
		return -EACCES;
	err = proc_do_minmax(t, write, s, buf, size, &v);
	if (!err)
		drop_caches((unsigned int)v);
	return err;
}

/* reclaim_policy_handler - mmufs_reclaim_policy: the policy's name. */
static int reclaim_policy_handler(const struct ctl_table *t, bool write,
				  struct seq *s, const char *buf, size_t size)
{
	(void)t;
	if (!write) {
		seq_printf(s, "%s\n", reclaim_policy_names[reclaim_policy]);
		return 0;
	}
	while (size && (buf[size - 1] == '\n' || buf[size - 1] == ' '))
		size--;
	for (int i = 0; i < NR_RECLAIM_POLICIES; i++)
		if (strlen(reclaim_policy_names[i]) == size &&
		    !strncmp(buf, reclaim_policy_names[i], size))
			return set_reclaim_policy(i);
	return -EINVAL;
}

/* COST_ROW - the sysctl of one entry of the cost table of simulated time:
 * mmufs_cost_<name>_ns, 0 to a second. */
#define COST_ROW(name)							\
	{ "mmufs_cost_" #name "_ns", &sim_costs.name, 0644,		\
	  proc_doulongvec_minmax, 0, 1000000000 }

/* vm_table - see fs.h: the files of /sys/vm, in the order they are
 * listed.  The bounds are those Linux accepts. */
const struct ctl_table vm_table[] = {
	{ "max_map_count", &sysctl_vm.max_map_count, 0644,
	  proc_doulongvec_minmax, 0, INT32_MAX },
	{ "overcommit_memory", &sysctl_vm.overcommit_memory, 0644,
	  proc_dointvec_minmax, 0, 2 },
	{ "overcommit_ratio", &sysctl_vm.overcommit_ratio, 0644,
	  proc_doulongvec_minmax, 0, INT32_MAX },
	{ "swappiness", &sysctl_vm.swappiness, 0644,
	  proc_dointvec_minmax, 0, 200 },
	{ "page-cluster", &sysctl_vm.page_cluster, 0644,
	  proc_dointvec_minmax, 0, 31 },
	{ "drop_caches", NULL, 0200, drop_caches_handler, 1, 7 },
	{ "fault_around_bytes", &sysctl_vm.fault_around_bytes, 0644,
	  fault_around_bytes_handler, 0, INT64_MAX },
	{ "min_free_kbytes", &min_free_kbytes, 0644,
	  min_free_kbytes_handler, 0, INT32_MAX },
	{ "percpu_pagelist_high_fraction", NULL, 0644,
	  percpu_pagelist_high_fraction_handler, 0, INT32_MAX },
	{ "mmufs_reclaim_policy", NULL, 0644, reclaim_policy_handler, 0, 0 },
	{ "mmufs_reclaim_seed", &reclaim_seed, 0644, proc_doulongvec_minmax,
	  0, INT64_MAX },
	COST_ROW(tlb_hit),
	COST_ROW(walk_level),
	COST_ROW(fault),
	COST_ROW(page_zero),
	COST_ROW(page_copy),
	COST_ROW(major_fault),
	COST_ROW(swap_in),
	COST_ROW(syscall),
	COST_ROW(reclaim_page),
};
const size_t nr_vm_table = ARRAY_SIZE(vm_table);

/* sysctl_set - see fs.h. */
int sysctl_set(const char *name, const char *buf, size_t size)
{
	size_t i;

	for (i = 0; i < nr_vm_table; i++)
		if (!strcmp(vm_table[i].procname, name))
			return vm_table[i].proc_handler(&vm_table[i], true,
							NULL, buf, size);
	return -ENOENT;
}

/* ---- the file of a sysctl ---- */

/* open_sysctl - Linux's sysctl_perm: even root gets only the owner's
 * bits, so a write-only sysctl (drop_caches) is not opened for reading
 * (EACCES). */
static int open_sysctl(struct handle *h, int flags)
{
	mode_t mode = h->node.sysctl->mode;
	int acc = flags & O_ACCMODE;

	if ((acc != O_WRONLY && !(mode & 0400)) ||
	    (acc != O_RDONLY && !(mode & 0200)))
		return -EACCES;
	return 0;
}

/* render_sysctl - the value and a newline, or the handler's -errno. */
static int render_sysctl(const struct node *n, struct task_struct *t,
			 struct seq *s)
{
	(void)t;
	return n->sysctl->proc_handler(n->sysctl, false, s, NULL, 0);
}

/* write_sysctl - size, or the handler's -errno. */
static ssize_t write_sysctl(struct handle *h, const char *buf, size_t size,
			    off_t off)
{
	const struct ctl_table *t = h->node.sysctl;
	int err = t->proc_handler(t, true, NULL, buf, size);

	(void)off;
	return err ? err : (ssize_t)size;
}

const struct file_ops sysctl_fops = {
	.open = open_sysctl,
	.render = render_sysctl,
	.write = write_sysctl,
	.truncates = true,
};
