/*
 * ops.c - the FUSE operations: thin glue that takes the machine lock and
 * calls the tree (node.c) and the open files (file.c), whose tables say
 * what each file is and how it is read and written.  A handle lives in
 * fi->fh; the poll handle of a trace_pipe reader waits here to be
 * notified when events arrive.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include "fs.h"
#include "ops.h"

static struct fuse_pollhandle *trace_ph;

/* notify_pollers - trace events arrived: wake a poll() on trace_pipe. */
static void notify_pollers(void)
{
	if (trace_ph) {
		fuse_notify_poll(trace_ph);
		fuse_pollhandle_destroy(trace_ph);
		trace_ph = NULL;
	}
}

static bool interrupted(void)
{
	return fuse_interrupted() != 0;
}

static struct handle *get_handle(struct fuse_file_info *fi)
{
	return (struct handle *)(uintptr_t)fi->fh;
}

static int mmufs_getattr(const char *path, struct stat *st,
			 struct fuse_file_info *fi)
{
	int err;

	(void)fi;
	fs_lock();
	err = node_getattr(path, st);
	fs_unlock();
	return err;
}

static int mmufs_readlink(const char *path, char *buf, size_t size)
{
	int err;

	fs_lock();
	err = node_readlink(path, buf, size);
	fs_unlock();
	return err;
}

/* caller_pid - the host thread calling the operation under way. */
static int caller_pid(void)
{
	return fuse_get_context()->pid;
}

/* The filler of one readdir. */
struct fill_ctx {
	void *buf;
	fuse_fill_dir_t filler;
};

static int fill_entry(void *ctx, const char *name, off_t next)
{
	struct fill_ctx *c = ctx;

	return c->filler(c->buf, name, NULL, next, 0);
}

static int mmufs_readdir(const char *path, void *buf, fuse_fill_dir_t filler,
			 off_t off, struct fuse_file_info *fi,
			 enum fuse_readdir_flags flags)
{
	struct fill_ctx c = { buf, filler };
	int err;

	(void)fi;
	(void)flags;
	fs_lock();
	err = dir_read(path, off, fill_entry, &c);
	fs_unlock();
	return err;
}

static int mmufs_open(const char *path, struct fuse_file_info *fi)
{
	struct handle *h;
	int err;

	fs_lock();
	err = file_open(path, fi->flags, &h);
	if (!err) {
		fi->fh = (uint64_t)(uintptr_t)h;
		fi->direct_io = 1;
	}
	fs_unlock();
	return err;
}

static int mmufs_release(const char *path, struct fuse_file_info *fi)
{
	(void)path;
	file_release(get_handle(fi));
	return 0;
}

static int mmufs_read(const char *path, char *buf, size_t size, off_t off,
		      struct fuse_file_info *fi)
{
	ssize_t ret;

	(void)path;
	if (size > INT32_MAX)
		size = INT32_MAX;
	fs_lock();
	ret = file_read(get_handle(fi), buf, size, off, fi->flags & O_NONBLOCK);
	fs_unlock();
	return (int)ret;
}

static int mmufs_write(const char *path, const char *buf, size_t size,
		       off_t off, struct fuse_file_info *fi)
{
	ssize_t ret;

	(void)path;
	if (size > INT32_MAX)
		size = INT32_MAX;
	fs_lock();
	ret = file_write(get_handle(fi), buf, size, off);
	fs_unlock();
	return (int)ret;
}

/* mmufs_truncate - shells open ctl and sysctl files with O_TRUNC; there is
 * nothing to truncate. */
static int mmufs_truncate(const char *path, off_t size,
			  struct fuse_file_info *fi)
{
	int err;

	(void)size;
	(void)fi;
	fs_lock();
	err = file_truncate(path);
	fs_unlock();
	return err;
}

/* mmufs_mkdir, mmufs_rmdir - memory groups under cgroup/. */
static int mmufs_mkdir(const char *path, mode_t mode)
{
	int err;

	(void)mode;
	fs_lock();
	err = node_mkdir(path);
	fs_unlock();
	return err;
}

static int mmufs_rmdir(const char *path)
{
	int err;

	fs_lock();
	err = node_rmdir(path);
	fs_unlock();
	return err;
}

/* mmufs_poll - a file that waits (trace_pipe) is readable when an event
 * waits, and its poll handle is kept to be notified; every other file is
 * always ready, as a regular file. */
static int mmufs_poll(const char *path, struct fuse_file_info *fi,
		      struct fuse_pollhandle *ph, unsigned *reventsp)
{
	struct handle *h = get_handle(fi);

	(void)path;
	if (!file_waits(h)) {
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
	*reventsp = file_ready(h) ? POLLIN : 0;
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
	fs_interrupted = interrupted;
	fs_caller_pid = caller_pid;
	return NULL;
}

const struct fuse_operations mmufs_ops = {
	.init = mmufs_init,
	.getattr = mmufs_getattr,
	.readlink = mmufs_readlink,
	.readdir = mmufs_readdir,
	.open = mmufs_open,
	.release = mmufs_release,
	.read = mmufs_read,
	.write = mmufs_write,
	.truncate = mmufs_truncate,
	.mkdir = mmufs_mkdir,
	.rmdir = mmufs_rmdir,
	.poll = mmufs_poll,
};
