/*
 * fs.h - the pieces of the FUSE daemon shared between its files: the
 * machine lock; the tree, one table per directory whose rows name the
 * operations of their files (node.c); the open files, whose reads and
 * writes go through those rows (file.c); the special files (files.c);
 * the sysctls, one table (sysctl.c); and the ctl language (ctl.c).  All
 * of it is a library that unit tests and the fuzz target drive without a
 * mount; only ops.c (the FUSE glue that calls it) and main.c include
 * <fuse.h>.
 */
#ifndef FS_FS_H
#define FS_FS_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>
#include "seq.h"
#include "kernel/kernel.h"
#include "kernel/sched.h"

/* One lock around the whole machine: every FUSE operation that looks at
 * or changes the simulation holds it (mm/ and hw/ are single-threaded). */
extern pthread_mutex_t machine_lock;
/* Signalled (with machine_lock) when new trace events exist. */
extern pthread_cond_t trace_cond;
/* Bumped by `reset`: handles opened before it go stale. */
extern uint64_t machine_epoch;
extern struct boot_params fs_boot_params;

void fs_lock(void);
/* fs_unlock - release the machine; wakes trace_pipe readers when the
 * operation produced events. */
void fs_unlock(void);
/* fs_events_hook - called by fs_unlock when events were added (ops.c sets
 * it to notify pollers). */
extern void (*fs_events_hook)(void);
/* fs_interrupted - set by the FUSE glue: whether the caller of the
 * operation under way gave up (a signal); a blocking read polls it. */
extern bool (*fs_interrupted)(void);

/* ---- the tree (node.c) ----
 * Every directory is one table (struct dir), in the manner of Plan 9's
 * devproc: its rows (struct dirtab: a file and the operations that read
 * and write it, or a subdirectory), then the entries its generator makes
 * (pids, threads, CPUs, frames, sysctls).  Lookup and listing both go
 * through the table, so each name is spelled once. */

/* What a node is: a directory or a file of one place in the tree; the
 * type field of its inode number. */
enum node_kind {
	N_ROOT, N_PID, N_TASKDIR, N_FRAMES, N_CPU, N_SYS, N_SYSVM,	/* dirs */
	N_CGROUP, N_NODES, N_NODE, N_HOSTPID, N_HOSTTASK, N_FDDIR, N_SYSKERNEL, N_NET,
	N_CPUS, N_CPUSYS, N_CPUTOPO,
	N_ROOTFILE, N_PIDFILE, N_FRAME, N_TLB, N_SYSCTL,		/* files */
	N_CGROUPFILE, N_NODEFILE, N_HOSTFILE, N_SYSKFILE, N_CPUFILE,
};

struct node;
struct handle;
struct dir;
struct ctl_table;

/* The operations of one kind of file (Linux's file_operations), named by
 * its rows.  Each is called with the machine lock held; one left NULL
 * has the default its comment gives. */
struct file_ops {
	/* open - set up h's per-open state for open(2)'s flags: 0 or
	 * -errno.  NULL: nothing to do. */
	int (*open)(struct handle *h, int flags);
	/* render - a text file's contents into s (t: the task of a file
	 * below a pid, else NULL): 0 or -errno.  Reads are served from a
	 * per-open snapshot of it, rendered again at offset 0. */
	int (*render)(const struct node *n, struct task_struct *t,
		      struct seq *s);
	/* read - a file that does not render: size bytes at off (the
	 * offset addresses the file; trace_pipe consumes), the bytes read
	 * or -errno; nonblock is the read's O_NONBLOCK. */
	ssize_t (*read)(struct handle *h, char *buf, size_t size, off_t off,
			bool nonblock);
	/* write - the bytes taken or -errno.  NULL: EACCES. */
	ssize_t (*write)(struct handle *h, const char *buf, size_t size,
			 off_t off);
	/* size - st_size: the true extent of a binary file.  NULL: 0, as
	 * procfs gives generated text. */
	uint64_t (*size)(const struct node *n);
	/* ready - whether a read would find something.  NULL: the file is
	 * always ready, as a regular file; else poll waits on it. */
	bool (*ready)(struct handle *h);
	/* truncates - the shell's `>` (O_TRUNC, truncate(2)) is taken and
	 * does nothing: a command file.  false: EACCES. */
	bool truncates;
};

/* What a text row renders (Linux's union proc_op): the row's operations
 * know which member they call. */
struct mem_cgroup;

union file_show {
	void (*task)(struct seq *s, struct task_struct *t);
	int (*task_err)(struct seq *s, struct task_struct *t);
	void (*sys)(struct seq *s);
	void (*cgroup)(struct seq *s, struct mem_cgroup *m);
	void (*node)(struct seq *s, int nid);
	void (*cpu)(struct seq *s, int cpu);
};

/* One row of a directory's table (Plan 9's Dirtab): a file with its
 * operations, or a subdirectory with its table. */
struct dirtab {
	const char *name;
	mode_t mode;			/* a file's permission bits */
	enum node_kind kind;		/* what its node is */
	const struct dir *dir;		/* a subdirectory: its table */
	const struct file_ops *fop;	/* a file: its operations */
	union file_show show;		/* a text file: what it renders */
	/* readlink - a symbolic link: its target into buf (size bytes,
	 * NUL-terminated), the target's length or -errno (-ENOENT: none,
	 * as Linux's proc_self_get_link for a caller outside its pid
	 * namespace).  NULL: not a link. */
	int (*readlink)(const struct node *n, char *buf, size_t size);
};

/* What a path names. */
struct node {
	enum node_kind kind;
	const struct dir *dir;		/* a directory: its table */
	const struct dirtab *file;	/* a file: its row */
	const struct ctl_table *sysctl;	/* N_SYSCTL: its row */
	mode_t mode;			/* a file's permission bits */
	int pid;		/* below /<pid>: the task (tid for task/) */
	uint64_t start_ns;	/* the task's start time: pid reuse check */
	uint64_t pfn;		/* N_FRAME */
	int cpu;		/* N_CPU, N_TLB, below cpu/cpu<N> */
	int nid;		/* N_NODE and its files: the NUMA node */
	bool in_task;		/* below /<pid>/task/<tid> */
	uint16_t memcg_id;	/* N_CGROUP*: the group (0: the root) */
	uint64_t memcg_serial;	/* and its serial: a reused id is another */
	int host_pid;		/* below host/: the HOST process (or thread) */
};

/* node_lookup - parse path; 0 and *n, or -ENOENT. Machine lock held. */
int node_lookup(const char *path, struct node *n);
/* node_task - the task a node names if it still is the same one. */
struct task_struct *node_task(const struct node *n);
bool node_is_dir(const struct node *n);
/* node_outlives_reset - whether a node opened before a reset names the
 * same file after it. */
bool node_outlives_reset(const struct node *n);
/* node_getattr - the attributes of what path names (stat(2)'s): 0, or
 * -ENOENT.  Machine lock held. */
int node_getattr(const char *path, struct stat *st);
/* node_readlink - the target of the symbolic link path names, into buf
 * (size bytes, truncated and NUL-terminated as FUSE's readlink wants):
 * 0, -ENOENT, or -EINVAL when it is no link.  Machine lock held. */
int node_readlink(const char *path, char *buf, size_t size);
/* node_mkdir / node_rmdir - mkdir(2) and rmdir(2): only below cgroup/,
 * where they create and remove memory groups.  0 or -errno (EPERM
 * elsewhere, ENOENT, EEXIST, EBUSY, ENOTEMPTY...). */
int node_mkdir(const char *path);
int node_rmdir(const char *path);

/* ---- the host caller (host.c) ----
 * The caller of an operation is a HOST process, whose pid is no
 * simulated pid.  So that a tool finds itself (procps reads
 * /proc/<getpid()>/stat, prtstat stats /proc/self/stat), self names it
 * and its own directory shows it its host stat and status; it is never
 * listed, and nothing simulated is shown for it. */

/* fs_caller_pid - set by the FUSE glue: the host pid (thread id) of the
 * caller of the operation under way, 0 if it has none in the daemon's
 * pid namespace.  NULL (unit tests, the fuzzer): no caller. */
extern int (*fs_caller_pid)(void);
/* host_proc_fd - the host's procfs, opened before the mount by
 * host_proc_open (-1 when /proc was not a procfs then: no host/ entries,
 * and never a read that could come back to this daemon). */
extern int host_proc_fd;
void host_proc_open(void);
/* host_caller - the host thread-group id of the caller, 0 if none. */
int host_caller(void);
/* host_task_exists - whether host process tgid has thread tid. */
bool host_task_exists(int tgid, int tid);
/* host_next_task - the smallest tid of host process tgid above after,
 * 0 if none. */
int host_next_task(int tgid, int after);
/* host_text_render - the render of the host caller's <pid>/stat and
 * status, and its threads': the host's own file; -ESRCH once gone. */
int host_text_render(const struct node *n, struct task_struct *t,
		     struct seq *s);
extern const struct file_ops host_text_fops;

/* ---- cgroup/ (cgroup.c) ---- */

/* node_memcg - the group a cgroup node names, NULL once it is gone. */
struct mem_cgroup *node_memcg(const struct node *n);
/* The files of a group's directory, and of the root group's. */
extern const struct dirtab cgroup_rows[], cgroup_root_rows[];
extern const size_t nr_cgroup_rows, nr_cgroup_root_rows;

/* dir_fill_fn - take one directory entry; next is the offset the listing
 * goes on from after it (0 where the directory is listed whole).  Returns
 * nonzero when it takes no more (the reply is full). */
typedef int dir_fill_fn(void *ctx, const char *name, off_t next);
/* dir_read - list the directory path names to fill: ".", "..", its rows,
 * then its generated entries, from offset off where the directory is
 * listed a piece at a time (frames/), else whole.  0, -ENOENT or
 * -ENOTDIR.  Machine lock held. */
int dir_read(const char *path, off_t off, dir_fill_fn *fill, void *ctx);

/* ---- open files (file.c) ---- */

/* Per open file. */
struct handle {
	struct node node;
	uint64_t epoch;		/* machine_epoch at open */
	bool snapshot;		/* text holds a rendering */
	struct seq text;
	char *pending;		/* ctl: result not read yet; vtop: the
				 * error of the last write */
	uint64_t va;		/* vtop: the address to translate */
	bool has_va;		/* vtop: va is set */
	off_t base;		/* vtop: the offset past the last write,
				 * where the text starts for this fd */
};

/* file_open - open what path names for open(2)'s flags: 0 and *hp, or
 * -ENOENT, -EISDIR, -EACCES (what its row's open refuses), -ENOMEM. */
int file_open(const char *path, int flags, struct handle **hp);
/* file_read - size bytes at off through the file's row: the bytes read,
 * 0 at the end, or -errno (-ESRCH once its process or machine is gone). */
ssize_t file_read(struct handle *h, char *buf, size_t size, off_t off,
		  bool nonblock);
/* file_write - the bytes taken, or -errno (-EACCES: not writable). */
ssize_t file_write(struct handle *h, const char *buf, size_t size,
		   off_t off);
/* file_waits - whether poll must wait on h (its file is not always
 * ready); file_ready - whether a read of such a file would find
 * something (machine lock held). */
bool file_waits(const struct handle *h);
bool file_ready(struct handle *h);
/* file_truncate - truncate(2) of path: 0 where it is a no-op (command
 * files), else -ENOENT, -EISDIR or -EACCES. */
int file_truncate(const char *path);
/* file_release - free h (no lock needed). */
void file_release(struct handle *h);
/* handle_task - the task of a handle below a pid, if it is still the
 * same machine and the same process; else NULL. */
struct task_struct *handle_task(const struct handle *h);

/* The operations the tables name, by the file that defines them. */
extern const struct file_ops task_text_fops, task_text_err_fops,
	sys_text_fops, sys_picture_fops, task_picture_fops, frame_fops,
	tlb_fops, ctl_fops,
	node_text_fops, cpu_text_fops;				/* file.c */
extern const struct file_ops mem_fops, pagemap_fops, kpageflags_fops,
	kpagecount_fops, physmem_fops, trace_pipe_fops;		/* files.c */
extern const struct file_ops sysctl_fops;			/* sysctl.c */
extern const struct file_ops oom_score_adj_fops, vtop_fops;	/* file.c */

/* parse_proc_int - a decimal integer with optional sign and trailing
 * whitespace, as proc_dointvec reads one (sysctl.c); false for anything
 * else (a NUL byte included) and for a value past 64 bits. */
bool parse_proc_int(const char *buf, size_t size, int64_t *v);

/* ---- /sys/vm (sysctl.c) ---- */

/* proc_handler - a sysctl's reading (write false: its value and a newline
 * appended to s) or writing (from the size bytes at buf): 0 or -errno. */
typedef int proc_handler(const struct ctl_table *t, bool write,
			 struct seq *s, const char *buf, size_t size);

/* One sysctl (Linux's struct ctl_table): its file name, the kernel's
 * variable it shows, its mode, the handler that reads and writes it and
 * the bounds a written value must be within (Linux's extra1, extra2). */
struct ctl_table {
	const char *procname;
	void *data;
	mode_t mode;
	proc_handler *proc_handler;
	int64_t min, max;
};

/* vm_table - /sys/vm, one row a sysctl. */
extern const struct ctl_table vm_table[];
extern const size_t nr_vm_table;
/* sysctl_set - write the sysctl named name as its file would be written:
 * 0, -ENOENT (no such sysctl) or the handler's -errno. */
int sysctl_set(const char *name, const char *buf, size_t size);

/* ---- binary files (files.c) ---- */
ssize_t mem_rw(struct task_struct *t, char *buf, size_t size, off_t off,
	       bool write);
ssize_t physmem_read(char *buf, size_t size, off_t off);
/* trace_pipe_read - consume whole formatted events (at least one),
 * blocking while there is none unless nonblock (-EAGAIN). interrupted()
 * is polled while waiting (returns true: give up with -EINTR). */
ssize_t trace_pipe_read(char *buf, size_t size, bool nonblock,
			bool (*interrupted)(void));
bool trace_pipe_ready(void);
void render_trace(struct seq *s);
/* render_dmesg - the kernel log (kernel/printk.h). */
void render_dmesg(struct seq *s);

/* ---- ctl (ctl.c) ---- */
#define CTL_RESULT_MAX	16384
/* The longest write ctl takes.  FUSE hands the daemon a write longer than
 * it takes at once (128 KiB, or 1 MiB on newer kernels, less the buffer's
 * offset in its first page) in pieces, each of which would run as a write
 * of its own: a command cut in two would run in part.  A write of at most
 * 124 KiB always arrives whole, and the first piece of a longer one is
 * longer than that, so refusing that piece refuses the whole write (not
 * so with -o max_write below 124 KiB). */
#define CTL_WRITE_MAX	(124 * 1024)
/* ctl_write - run the commands of one write to a ctl file (pid 0: the
 * machine's).  Returns size, or -errno of the first failing command; the
 * result (or error text) is put in result.  A write of more than
 * CTL_WRITE_MAX bytes, or with a NUL byte, runs nothing (EINVAL). */
ssize_t ctl_write(int pid, const char *buf, size_t size, char *result,
		  size_t result_size);
/* ctl_last_result - the last result for pid (0: machine). */
const char *ctl_last_result(int pid);

#endif
