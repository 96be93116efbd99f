/*
 * fs.h - the pieces of the FUSE daemon shared between its files: the
 * machine lock, the node table (what a path names), the ctl language and
 * the special files.  Only ops.c and main.c include <fuse.h>.
 */
#ifndef FS_FS_H
#define FS_FS_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
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

enum node_kind {
	N_ROOT, N_PID, N_TASKDIR, N_FRAMES, N_CPU, N_SYS, N_SYSVM,	/* dirs */
	N_ROOTFILE, N_PIDFILE, N_FRAME, N_TLB, N_SYSCTL,		/* files */
};

/* How a file is read and written. */
enum file_type {
	F_TEXT_TASK,	/* rendered from a task */
	F_TEXT_SYS,	/* rendered from the machine */
	F_CTL,		/* command file */
	F_MEM,		/* /proc/PID/mem */
	F_PAGEMAP,
	F_KPAGEFLAGS,
	F_KPAGECOUNT,
	F_PHYSMEM,
	F_TRACE_PIPE,
	F_SYSCTL,
	F_FRAME,
	F_TLB,
};

struct file_desc {
	const char *name;
	mode_t mode;
	enum file_type type;
	void (*render_task)(struct seq *s, struct task_struct *t);
	int (*render_task_err)(struct seq *s, struct task_struct *t);
	void (*render_sys)(struct seq *s);
};

/* What a path names. */
struct node {
	enum node_kind kind;
	int pid;		/* N_PID.., N_PIDFILE: the task (tid for task/) */
	uint64_t start_ns;	/* the task's start time: pid reuse check */
	uint64_t pfn;		/* N_FRAME */
	int cpu;		/* N_CPU, N_TLB */
	const struct file_desc *file;
	int sysctl;		/* N_SYSCTL: index */
	bool in_task;		/* below /<pid>/task/<tid> */
};

/* node_lookup - parse path; 0 and *n, or -ENOENT. Machine lock held. */
int node_lookup(const char *path, struct node *n);
/* node_task - the task a node names if it still is the same one. */
struct task_struct *node_task(const struct node *n);
bool node_is_dir(const struct node *n);
/* node_size - st_size: the true extent of binary files, 0 otherwise. */
uint64_t node_size(const struct node *n);
mode_t node_mode(const struct node *n);

extern const struct file_desc pid_files[];
extern const size_t nr_pid_files;
extern const struct file_desc root_files[];
extern const size_t nr_root_files;

/* ---- sysctl files (files.c) ---- */
struct sysctl_desc {
	const char *name;
	mode_t mode;
};
extern const struct sysctl_desc sysctls[];
extern const size_t nr_sysctls;
int sysctl_read(int idx, struct seq *s);
int sysctl_write(int idx, const char *buf, size_t size);

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
