/*
 * ops.c - the FUSE operations: every one takes the machine lock, finds the
 * node its path names, and dispatches on the node's file type.  Text files
 * are rendered into a per-open snapshot when read at offset 0 and served
 * from it; binary files are addressed by offset; ctl files hold the result
 * of the last command written through them.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "fs.h"
#include "ops.h"
#include "render.h"
#include "mm/mm.h"
#include "kernel/trace.h"

static struct fuse_pollhandle *trace_ph;

/* Per open file. */
struct handle {
	struct node node;
	uint64_t epoch;
	bool snapshot;		/* text holds a rendering */
	struct seq text;
	char *pending;		/* ctl: result not read yet */
};

/* notify_pollers - trace events arrived: wake a poll() on trace_pipe. */
static void notify_pollers(void)
{
	if (trace_ph) {
		fuse_notify_poll(trace_ph);
		fuse_pollhandle_destroy(trace_ph);
		trace_ph = NULL;
	}
}

/* node_ino - a stable inode number for a node. */
static ino_t node_ino(const struct node *n)
{
	uint64_t file = 0;

	if (n->kind == N_PIDFILE)
		file = (uint64_t)(n->file - pid_files) + 1;
	else if (n->kind == N_ROOTFILE)
		file = (uint64_t)(n->file - root_files) + 1;
	switch (n->kind) {
	case N_ROOT:
		return 1;
	case N_PID:
	case N_TASKDIR:
	case N_PIDFILE:
		return ((uint64_t)n->pid << 8 | (n->in_task ? 0x80 : 0) |
			(n->kind == N_TASKDIR ? 0x7f : file)) + (1ULL << 32);
	case N_FRAME:
		return (1ULL << 48) + n->pfn;
	case N_CPU:
	case N_TLB:
		return (2ULL << 32) + (uint64_t)n->cpu * 2 + (n->kind == N_TLB);
	case N_SYSCTL:
		return (3ULL << 32) + (uint64_t)n->sysctl;
	default:
		return (4ULL << 32) + (uint64_t)n->kind * 64 + file;
	}
}

/* fill_stat - the attributes of a node. */
static void fill_stat(const struct node *n, struct stat *st)
{
	struct task_struct *t = n->pid ? node_task(n) : NULL;
	time_t when = (time_t)(time(NULL) - (time_t)(kernel_uptime_ns() /
						     1000000000ULL));

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

static int mmufs_getattr(const char *path, struct stat *st,
			 struct fuse_file_info *fi)
{
	struct node n;
	int err;

	(void)fi;
	fs_lock();
	err = node_lookup(path, &n);
	if (!err)
		fill_stat(&n, st);
	fs_unlock();
	return err;
}

/* ---- directories ---- */

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/* fill_pids - the thread-group leaders in ascending pid order. */
static void fill_pids(void *buf, fuse_fill_dir_t filler)
{
	struct list_head *l;
	int *pids = malloc((size_t)nr_tasks * sizeof(*pids)), n = 0, i;
	char name[16];

	if (!pids)
		return;
	list_for_each(l, &task_list) {
		struct task_struct *t = list_entry(l, struct task_struct, tasks);

		if (thread_group_leader(t) && n < nr_tasks)
			pids[n++] = t->pid;
	}
	qsort(pids, (size_t)n, sizeof(*pids), cmp_int);
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "%d", pids[i]);
		filler(buf, name, NULL, 0, 0);
	}
	free(pids);
}

static void fill_root(void *buf, fuse_fill_dir_t filler)
{
	char name[16];
	size_t i;
	int c;

	for (i = 0; i < nr_root_files; i++)
		filler(buf, root_files[i].name, NULL, 0, 0);
	filler(buf, "frames", NULL, 0, 0);
	filler(buf, "sys", NULL, 0, 0);
	for (c = 0; c < hw.nr_cpus; c++) {
		snprintf(name, sizeof(name), "cpu%d", c);
		filler(buf, name, NULL, 0, 0);
	}
	fill_pids(buf, filler);
}

/* fill_threads - /<pid>/task: the leader and its threads. */
static void fill_threads(struct task_struct *t, void *buf,
			 fuse_fill_dir_t filler)
{
	struct task_struct *leader = t->group_leader;
	struct list_head *l;
	char name[16];

	snprintf(name, sizeof(name), "%d", leader->pid);
	filler(buf, name, NULL, 0, 0);
	list_for_each(l, &leader->thread_group) {
		snprintf(name, sizeof(name), "%d",
			 list_entry(l, struct task_struct, thread_node)->pid);
		filler(buf, name, NULL, 0, 0);
	}
}

/* fill_frames - /frames: one entry per PFN, with offsets so that the
 * kernel can ask for it in pieces (millions of entries). */
static void fill_frames(void *buf, fuse_fill_dir_t filler, off_t off)
{
	uint64_t pfn = off > 2 ? (uint64_t)off - 2 : 0;
	char name[24];

	if (off < 1 && filler(buf, ".", NULL, 1, 0))
		return;
	if (off < 2 && filler(buf, "..", NULL, 2, 0))
		return;
	for (; pfn < max_pfn; pfn++) {
		snprintf(name, sizeof(name), "%llu", (unsigned long long)pfn);
		if (filler(buf, name, NULL, (off_t)pfn + 3, 0))
			return;
	}
}

static int mmufs_readdir(const char *path, void *buf, fuse_fill_dir_t filler,
			 off_t off, struct fuse_file_info *fi,
			 enum fuse_readdir_flags flags)
{
	struct task_struct *t;
	struct node n;
	size_t i;
	int err;

	(void)fi;
	(void)flags;
	fs_lock();
	err = node_lookup(path, &n);
	if (err || !node_is_dir(&n)) {
		fs_unlock();
		return err ? err : -ENOTDIR;
	}
	if (n.kind == N_FRAMES) {
		fill_frames(buf, filler, off);
		fs_unlock();
		return 0;
	}
	filler(buf, ".", NULL, 0, 0);
	filler(buf, "..", NULL, 0, 0);
	switch (n.kind) {
	case N_ROOT:
		fill_root(buf, filler);
		break;
	case N_PID:
		for (i = 0; i < nr_pid_files; i++)
			filler(buf, pid_files[i].name, NULL, 0, 0);
		if (!n.in_task)
			filler(buf, "task", NULL, 0, 0);
		break;
	case N_TASKDIR:
		t = node_task(&n);
		if (t)
			fill_threads(t, buf, filler);
		break;
	case N_CPU:
		filler(buf, "tlb", NULL, 0, 0);
		break;
	case N_SYS:
		filler(buf, "vm", NULL, 0, 0);
		break;
	case N_SYSVM:
		for (i = 0; i < nr_sysctls; i++)
			filler(buf, sysctls[i].name, NULL, 0, 0);
		break;
	default:
		break;
	}
	fs_unlock();
	return 0;
}

/* ---- files ---- */

static struct handle *get_handle(struct fuse_file_info *fi)
{
	return (struct handle *)(uintptr_t)fi->fh;
}

/* handle_task - the task of a per-process handle, if it is still the
 * same machine and the same process. */
static struct task_struct *handle_task(struct handle *h)
{
	if (h->epoch != machine_epoch)
		return NULL;
	return node_task(&h->node);
}

static int mmufs_open(const char *path, struct fuse_file_info *fi)
{
	struct handle *h;
	struct node n;
	int err;

	fs_lock();
	err = node_lookup(path, &n);
	if (!err && node_is_dir(&n))
		err = -EISDIR;
	if (!err && n.kind == N_SYSCTL && (fi->flags & O_ACCMODE) != O_WRONLY &&
	    !(sysctls[n.sysctl].mode & 0444))
		err = -EACCES;
	h = err ? NULL : calloc(1, sizeof(*h));
	if (!err && !h)
		err = -ENOMEM;
	if (!err) {
		const char *last;

		h->node = n;
		h->epoch = machine_epoch;
		seq_init(&h->text);
		if (n.file->type == F_CTL) {
			last = ctl_last_result(n.kind == N_PIDFILE ? n.pid : 0);
			h->pending = *last ? strdup(last) : NULL;
		}
		fi->fh = (uint64_t)(uintptr_t)h;
		fi->direct_io = 1;
	}
	fs_unlock();
	return err;
}

static int mmufs_release(const char *path, struct fuse_file_info *fi)
{
	struct handle *h = get_handle(fi);

	(void)path;
	seq_free(&h->text);
	free(h->pending);
	free(h);
	return 0;
}

/* render_node - render a text file into the handle's snapshot. */
static int render_node(struct handle *h)
{
	const struct file_desc *f = h->node.file;
	struct task_struct *t = NULL;
	int err = 0;

	if (h->node.kind == N_PIDFILE && !(t = handle_task(h)))
		return -ESRCH;
	seq_reset(&h->text);
	switch (f->type) {
	case F_TEXT_TASK:
		if (f->render_task)
			f->render_task(&h->text, t);
		else
			err = f->render_task_err(&h->text, t);
		break;
	case F_TEXT_SYS:
		f->render_sys(&h->text);
		break;
	case F_FRAME:
		render_frame(&h->text, h->node.pfn);
		break;
	case F_TLB:
		render_tlb(&h->text, h->node.cpu);
		break;
	case F_SYSCTL:
		err = sysctl_read(h->node.sysctl, &h->text);
		break;
	default:
		err = -EINVAL;
	}
	if (!err && h->text.overflow)
		err = -ENOMEM;
	h->snapshot = !err;
	return err;
}

/* read_text - a slice of the snapshot (rendered again at offset 0). */
static int read_text(struct handle *h, char *buf, size_t size, off_t off)
{
	int err;

	if (off == 0 || !h->snapshot) {
		err = render_node(h);
		if (err)
			return err;
	}
	if ((size_t)off >= h->text.len)
		return 0;
	if (size > h->text.len - (size_t)off)
		size = h->text.len - (size_t)off;
	memcpy(buf, h->text.buf + off, size);
	return (int)size;
}

/* read_ctl - the pending result, consumed; end of file when none. */
static int read_ctl(struct handle *h, char *buf, size_t size)
{
	size_t n;

	if (!h->pending)
		return 0;
	n = strlen(h->pending);
	if (n > size)
		n = size;
	memcpy(buf, h->pending, n);
	free(h->pending);
	h->pending = NULL;
	return (int)n;
}

static bool interrupted(void)
{
	return fuse_interrupted() != 0;
}

/* read_binary - the offset-addressed files (and trace_pipe, which blocks
 * unless the read's own flags say O_NONBLOCK: fcntl may change them). */
static ssize_t read_binary(struct handle *h, char *buf, size_t size,
			   off_t off, bool nonblock)
{
	struct task_struct *t = NULL;

	if (h->node.kind == N_PIDFILE && !(t = handle_task(h)))
		return -ESRCH;
	switch (h->node.file->type) {
	case F_MEM:
		return mem_rw(t, buf, size, off, false);
	case F_PAGEMAP:
		return off < 0 ? -EINVAL : read_pagemap(t, buf, size,
							(uint64_t)off);
	case F_KPAGEFLAGS:
	case F_KPAGECOUNT:
		return off < 0 ? -EINVAL :
		       read_kpage(buf, size, (uint64_t)off,
				  h->node.file->type == F_KPAGECOUNT);
	case F_PHYSMEM:
		return physmem_read(buf, size, off);
	case F_TRACE_PIPE:
		return trace_pipe_read(buf, size, nonblock, interrupted);
	default:
		return -EINVAL;
	}
}

static int mmufs_read(const char *path, char *buf, size_t size, off_t off,
		      struct fuse_file_info *fi)
{
	struct handle *h = get_handle(fi);
	enum file_type type = h->node.file->type;
	ssize_t ret;

	(void)path;
	if (size > INT32_MAX)
		size = INT32_MAX;
	fs_lock();
	if (h->epoch != machine_epoch && h->node.kind != N_ROOTFILE &&
	    h->node.kind != N_SYSCTL)
		ret = -ESRCH;
	else if (type == F_CTL)
		ret = read_ctl(h, buf, size);
	else if (type == F_TEXT_TASK || type == F_TEXT_SYS || type == F_FRAME ||
		 type == F_TLB || type == F_SYSCTL)
		ret = read_text(h, buf, size, off);
	else
		ret = read_binary(h, buf, size, off, fi->flags & O_NONBLOCK);
	fs_unlock();
	return (int)ret;
}

/* write_ctl - run the commands; the result becomes the pending one. */
static int write_ctl(struct handle *h, const char *buf, size_t size)
{
	static char result[CTL_RESULT_MAX];
	int pid = 0;
	ssize_t ret;

	if (h->node.kind == N_PIDFILE) {
		struct task_struct *t = handle_task(h);

		if (!t)
			return -ESRCH;
		pid = t->pid;
	}
	ret = ctl_write(pid, buf, size, result, sizeof(result));
	free(h->pending);
	h->pending = strdup(result);
	return (int)ret;
}

static int mmufs_write(const char *path, const char *buf, size_t size,
		       off_t off, struct fuse_file_info *fi)
{
	struct handle *h = get_handle(fi);
	struct task_struct *t;
	int ret;

	(void)path;
	if (size > INT32_MAX)
		size = INT32_MAX;
	fs_lock();
	switch (h->node.file->type) {
	case F_CTL:
		ret = write_ctl(h, buf, size);
		break;
	case F_MEM:
		t = handle_task(h);
		ret = t ? (int)mem_rw(t, (char *)buf, size, off, true) : -ESRCH;
		break;
	case F_SYSCTL:
		ret = sysctl_write(h->node.sysctl, buf, size);
		break;
	default:
		ret = -EACCES;
	}
	fs_unlock();
	return ret;
}

/* mmufs_truncate - shells open ctl and sysctl files with O_TRUNC; there is
 * nothing to truncate. */
static int mmufs_truncate(const char *path, off_t size,
			  struct fuse_file_info *fi)
{
	struct node n;
	int err;

	(void)size;
	(void)fi;
	fs_lock();
	err = node_lookup(path, &n);
	if (!err && (node_is_dir(&n) || (n.file->type != F_CTL &&
					  n.file->type != F_SYSCTL)))
		err = node_is_dir(&n) ? -EISDIR : -EACCES;
	fs_unlock();
	return err;
}

/* mmufs_poll - trace_pipe is readable when an event waits; every other
 * file is always ready, as a regular file. */
static int mmufs_poll(const char *path, struct fuse_file_info *fi,
		      struct fuse_pollhandle *ph, unsigned *reventsp)
{
	struct handle *h = get_handle(fi);

	(void)path;
	if (h->node.file->type != F_TRACE_PIPE) {
		*reventsp = POLLIN | POLLOUT;
		if (ph)
			fuse_pollhandle_destroy(ph);
		return 0;
	}
	fs_lock();
	if (ph) {
		if (trace_ph)
			fuse_pollhandle_destroy(trace_ph);
		trace_ph = ph;
	}
	*reventsp = trace_pipe_ready() ? POLLIN : 0;
	fs_unlock();
	return 0;
}

/* mmufs_init - the mount's caching policy, in one place: every file is
 * generated, so direct_io everywhere and no cached entries or attributes
 * (pids come and go).  Interrupts let a trace_pipe reader that gets a
 * signal while it waits go; main installed the SIGUSR1 handler. */
static void *mmufs_init(struct fuse_conn_info *conn, struct fuse_config *cfg)
{
	(void)conn;
	cfg->direct_io = 1;
	cfg->entry_timeout = 0;
	cfg->attr_timeout = 0;
	cfg->negative_timeout = 0;
	cfg->use_ino = 1;
	cfg->intr = 1;
	fs_events_hook = notify_pollers;
	return NULL;
}

const struct fuse_operations mmufs_ops = {
	.init = mmufs_init,
	.getattr = mmufs_getattr,
	.readdir = mmufs_readdir,
	.open = mmufs_open,
	.release = mmufs_release,
	.read = mmufs_read,
	.write = mmufs_write,
	.truncate = mmufs_truncate,
	.poll = mmufs_poll,
};
