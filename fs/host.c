/*
 * host.c - the one place the tree looks at the host: /self names the
 * host process that called the operation (a host pid is no simulated
 * pid: they are two namespaces), and /<its pid>/, which only it sees,
 * shows it its own stat and status read from the host's procfs, so that
 * a tool that looks itself up (procps' fatal_proc_unmounted, psmisc's
 * prtstat) finds itself.
 * Nothing here is simulated, and nothing simulated is shown for a host
 * process.  Machine lock held.
 */
#define _GNU_SOURCE	/* O_PATH */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>
#include "fs.h"

#define PROC_SUPER_MAGIC	0x9fa0

int host_proc_fd = -1;
int (*fs_caller_pid)(void);

/* host_proc_open - see fs.h. */
void host_proc_open(void)
{
	struct statfs sf;
	int fd = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0 && (fstatfs(fd, &sf) || sf.f_type != PROC_SUPER_MAGIC)) {
		close(fd);
		fd = -1;
	}
	host_proc_fd = fd;
}

/* host_read - the first size-1 bytes of the host's /proc/<path>,
 * NUL-terminated, into buf: the length, or -errno (-ENOENT without a
 * host procfs). */
static ssize_t host_read(const char *path, char *buf, size_t size)
{
	ssize_t len, got;
	int fd;

	if (host_proc_fd < 0)
		return -ENOENT;
	fd = openat(host_proc_fd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	len = 0;
	while ((size_t)len < size - 1 &&
	       (got = read(fd, buf + len, size - 1 - (size_t)len)) > 0)
		len += got;
	close(fd);
	buf[len] = '\0';
	return len;
}

/* host_caller - see fs.h: the caller's thread-group id, from the Tgid
 * line of its host status file (FUSE gives the calling thread's id). */
int host_caller(void)
{
	char path[32], buf[4096];
	const char *tgid;
	int pid = fs_caller_pid ? fs_caller_pid() : 0;

	if (pid <= 0)
		return 0;
	snprintf(path, sizeof(path), "%d/status", pid);
	if (host_read(path, buf, sizeof(buf)) < 0)
		return 0;
	tgid = strstr(buf, "\nTgid:");
	return tgid ? (int)strtol(tgid + 6, NULL, 10) : 0;
}

/* host_task_exists - see fs.h. */
bool host_task_exists(int tgid, int tid)
{
	char path[48];
	struct stat st;

	if (host_proc_fd < 0 || tgid <= 0 || tid <= 0)
		return false;
	snprintf(path, sizeof(path), "%d/task/%d", tgid, tid);
	return !fstatat(host_proc_fd, path, &st, 0);
}

/* host_next_task - see fs.h. */
int host_next_task(int tgid, int after)
{
	char path[32];
	struct dirent *d;
	DIR *dir;
	int fd, best = 0;
	long tid;

	if (host_proc_fd < 0)
		return 0;
	snprintf(path, sizeof(path), "%d/task", tgid);
	fd = openat(host_proc_fd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	dir = fdopendir(fd);
	if (!dir) {
		close(fd);
		return 0;
	}
	while ((d = readdir(dir))) {
		tid = strtol(d->d_name, NULL, 10);
		if (tid > after && tid < INT32_MAX && (!best || tid < best))
			best = (int)tid;
	}
	closedir(dir);
	return best;
}

/* host_text_render - see fs.h: the host's /proc/<tid>/<name> (a
 * thread's files are reachable by its tid), as the host wrote it. */
int host_text_render(const struct node *n, struct task_struct *t,
		     struct seq *s)
{
	char path[48], buf[4096];
	ssize_t got;
	int fd;

	(void)t;
	if (host_proc_fd < 0)
		return -ESRCH;
	snprintf(path, sizeof(path), "%d/%s", n->host_pid, n->file->name);
	fd = openat(host_proc_fd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? -ESRCH : -errno;
	while ((got = read(fd, buf, sizeof(buf))) > 0 && !s->overflow)
		seq_write(s, buf, (size_t)got);
	close(fd);
	return got < 0 ? -EIO : 0;
}

const struct file_ops host_text_fops = { .render = host_text_render };
