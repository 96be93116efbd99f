/*
 * noopfs.c - the floor cost of a FUSE round trip, for bench_fs.
 *
 * A minimal libfuse3 high-level filesystem with mmufs's policy (fs/ops.c
 * mmufs_init and fs/main.c): direct_io, entry/attr/negative timeouts 0,
 * use_ino, intr, the multi-threaded loop of fuse_main, and the mount
 * options default_permissions (which makes the kernel ask for attributes
 * on every permission check, as it does on mmufs).  It serves, at the root
 * and again in the directory 1/ (so that a path has the depth of
 * MNT/<pid>/<file> and costs the same lookups):
 *
 *   text  size 0, 0444: a fixed text of the size of a /proc/PID/stat line
 *         (about 300 bytes), served from the offset
 *   bin   size 2^47, 0400: zeros of the requested size at any offset below
 *         the size (the stand-in for mem and pagemap)
 *   ctl   size 0, 0600: a write is accepted and discarded; a read returns
 *         "0\n" once per write through the same open file, then end of file
 *
 * It does nothing else: no lock, no allocation except the one flag of an
 * open ctl, so that bench_fs measures mmufs against the kernel and libfuse
 * alone.
 *
 * usage: noopfs [-f] [-d] [-o OPT] MOUNTPOINT
 *        (bench_fs.sh runs it as `taskset -c 0 noopfs -f MNT`)
 */
#define FUSE_USE_VERSION 31
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fuse.h>

#define BIN_SIZE	(1ULL << 47)

/* A /proc/PID/stat line of a typical process (322 bytes). */
static const char text[] =
	"4242 (noopfs-bench) S 4241 4242 4241 34816 4242 4194304 1183 0 0 0 "
	"12 3 0 0 20 0 1 0 1234567 11026432 1344 18446744073709551615 "
	"94066113732608 94066113752321 140730723931552 0 0 0 0 0 0 0 0 0 17 0 "
	"0 0 0 0 0 94066113769424 94066113770880 94066133803008 "
	"140730723938791 140730723938811 140730723938811 140730723942375 0 "
	"0 0\n";

static uid_t owner_uid;
static gid_t owner_gid;

enum kind { K_NONE, K_ROOT, K_DIR, K_TEXT, K_BIN, K_CTL };

/* kind_of - what a path names: "/", "/1", "/NAME" or "/1/NAME". */
static enum kind kind_of(const char *path)
{
	if (!strcmp(path, "/"))
		return K_ROOT;
	if (!strncmp(path, "/1", 2) && (path[2] == '\0' || path[2] == '/')) {
		if (!path[2])
			return K_DIR;
		path += 2;
	}
	if (!strcmp(path, "/text"))
		return K_TEXT;
	if (!strcmp(path, "/bin"))
		return K_BIN;
	if (!strcmp(path, "/ctl"))
		return K_CTL;
	return K_NONE;
}

static int noop_getattr(const char *path, struct stat *st,
			struct fuse_file_info *fi)
{
	enum kind k = kind_of(path);

	(void)fi;
	if (k == K_NONE)
		return -ENOENT;
	memset(st, 0, sizeof(*st));
	/* Inodes: 1 the root, 2 the directory, then one per (dir, file). */
	st->st_ino = k <= K_DIR ? (ino_t)k : (ino_t)(8 + k +
				  (path[1] == '1' ? 8 : 0));
	st->st_uid = owner_uid;
	st->st_gid = owner_gid;
	switch (k) {
	case K_ROOT:
	case K_DIR:
		st->st_mode = S_IFDIR | 0555;
		st->st_nlink = 2;
		break;
	case K_TEXT:
		st->st_mode = S_IFREG | 0444;
		st->st_nlink = 1;
		break;
	case K_BIN:
		st->st_mode = S_IFREG | 0400;
		st->st_nlink = 1;
		st->st_size = (off_t)BIN_SIZE;
		break;
	default:
		st->st_mode = S_IFREG | 0600;
		st->st_nlink = 1;
		break;
	}
	return 0;
}

static int noop_readdir(const char *path, void *buf, fuse_fill_dir_t filler,
			off_t off, struct fuse_file_info *fi,
			enum fuse_readdir_flags flags)
{
	enum kind k = kind_of(path);

	(void)off;
	(void)fi;
	(void)flags;
	if (k != K_ROOT && k != K_DIR)
		return k == K_NONE ? -ENOENT : -ENOTDIR;
	filler(buf, ".", NULL, 0, 0);
	filler(buf, "..", NULL, 0, 0);
	filler(buf, "text", NULL, 0, 0);
	filler(buf, "bin", NULL, 0, 0);
	filler(buf, "ctl", NULL, 0, 0);
	if (k == K_ROOT)
		filler(buf, "1", NULL, 0, 0);
	return 0;
}

static int noop_open(const char *path, struct fuse_file_info *fi)
{
	enum kind k = kind_of(path);

	if (k == K_NONE)
		return -ENOENT;
	if (k == K_ROOT || k == K_DIR)
		return -EISDIR;
	fi->fh = 0;
	if (k == K_CTL) {
		/* The one piece of per-open state: a write is pending. */
		bool *pending = calloc(1, sizeof(*pending));

		if (!pending)
			return -ENOMEM;
		fi->fh = (uint64_t)(uintptr_t)pending;
	}
	fi->direct_io = 1;
	return 0;
}

static int noop_release(const char *path, struct fuse_file_info *fi)
{
	(void)path;
	free((void *)(uintptr_t)fi->fh);
	return 0;
}

static int noop_read(const char *path, char *buf, size_t size, off_t off,
		     struct fuse_file_info *fi)
{
	bool *pending;

	if (size > INT32_MAX)
		size = INT32_MAX;
	switch (kind_of(path)) {
	case K_TEXT:
		if (off < 0 || (size_t)off >= sizeof(text) - 1)
			return 0;
		if (size > sizeof(text) - 1 - (size_t)off)
			size = sizeof(text) - 1 - (size_t)off;
		memcpy(buf, text + off, size);
		return (int)size;
	case K_BIN:
		if (off < 0 || (uint64_t)off >= BIN_SIZE)
			return 0;
		if (size > BIN_SIZE - (uint64_t)off)
			size = (size_t)(BIN_SIZE - (uint64_t)off);
		memset(buf, 0, size);
		return (int)size;
	case K_CTL:
		pending = (bool *)(uintptr_t)fi->fh;
		if (!__atomic_exchange_n(pending, false, __ATOMIC_ACQ_REL) ||
		    size < 2)
			return 0;
		memcpy(buf, "0\n", 2);
		return 2;
	default:
		return -EINVAL;
	}
}

static int noop_write(const char *path, const char *buf, size_t size,
		      off_t off, struct fuse_file_info *fi)
{
	(void)buf;
	(void)off;
	if (kind_of(path) != K_CTL)
		return -EACCES;
	__atomic_store_n((bool *)(uintptr_t)fi->fh, true, __ATOMIC_RELEASE);
	return size > INT32_MAX ? INT32_MAX : (int)size;
}

/* noop_truncate - shells open ctl with O_TRUNC, as on mmufs. */
static int noop_truncate(const char *path, off_t size,
			 struct fuse_file_info *fi)
{
	(void)size;
	(void)fi;
	return kind_of(path) == K_CTL ? 0 : -EACCES;
}

/* noop_init - mmufs_init's policy. */
static void *noop_init(struct fuse_conn_info *conn, struct fuse_config *cfg)
{
	(void)conn;
	cfg->direct_io = 1;
	cfg->entry_timeout = 0;
	cfg->attr_timeout = 0;
	cfg->negative_timeout = 0;
	cfg->use_ino = 1;
	cfg->intr = 1;
	return NULL;
}

static const struct fuse_operations noop_ops = {
	.init = noop_init,
	.getattr = noop_getattr,
	.readdir = noop_readdir,
	.open = noop_open,
	.release = noop_release,
	.read = noop_read,
	.write = noop_write,
	.truncate = noop_truncate,
};

int main(int argc, char *argv[])
{
	struct fuse_args args = FUSE_ARGS_INIT(argc, argv);
	int ret;

	owner_uid = getuid();
	owner_gid = getgid();
	/* mmufs's mount options (fs/main.c); parsing first makes args a
	 * copy that can grow. */
	if (fuse_opt_parse(&args, NULL, NULL, NULL) ||
	    fuse_opt_add_arg(&args, "-odefault_permissions,fsname=noopfs,"
			     "subtype=noopfs"))
		return 1;
	ret = fuse_main(args.argc, args.argv, &noop_ops, NULL);
	fuse_opt_free_args(&args);
	return ret;
}
