/*
 * sched.h - tasks (Linux's task_struct, much reduced): process tree,
 * threads sharing an mm, exit and wait, signals that kill, and which task
 * each CPU is running.  Failures return -errno with their reason
 * (errstr.h).
 */
#ifndef KERNEL_SCHED_H
#define KERNEL_SCHED_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include "util/list.h"
#include "mm/mm_types.h"
#include "mm/vmstat.h"

#define TASK_COMM_LEN	16
#define SIGKILL		9
#define SIGBUS		7
#define SIGSEGV		11
#define SIGTERM		15

/* Linux's exit_state of a task that has exited and waits to be reaped. */
#define EXIT_ZOMBIE	0x0020

/* A process's I/O counts (Linux's struct task_io_accounting): bytes and
 * calls of read and write system calls (rchar, wchar, syscr, syscw), the
 * bytes it made the storage layer read (read_bytes: readahead of a host
 * file's pages, swap-ins) and the bytes of page cache it dirtied
 * (write_bytes), less what was dropped dirty (cancelled_write_bytes). */
struct task_io_accounting {
	uint64_t rchar, wchar, syscr, syscw;
	uint64_t read_bytes, write_bytes, cancelled_write_bytes;
};

struct task_struct {
	uint64_t slab_obj;		/* its object in task_struct's cache */
	uint64_t stack;			/* its kernel stack's address (x86-64:
					 * a vmalloc area; i386: the direct
					 * map of an order-1 block), 0 once
					 * it has exited */
	int pid;
	int tgid;			/* pid of the thread-group leader */
	char comm[TASK_COMM_LEN];
	int exit_state;			/* EXIT_ZOMBIE from exit to reaping */
	bool kthread;
	bool kthread_ctl;		/* a kernel thread made by the kthread
					 * command: its ctl is its work (kernel-
					 * mode loads and stores); it may exit */
	struct task_struct *real_parent;
	struct task_struct *group_leader;
	struct list_head children;	/* processes whose parent this is */
	struct list_head sibling;	/* in real_parent->children */
	struct list_head thread_group;	/* threads of the group, via thread_node */
	struct list_head thread_node;
	struct list_head tasks;		/* all tasks, by pid order of creation */
	struct mm_struct *mm;		/* NULL for kernel threads */
	struct mm_struct *active_mm;	/* mm whose tables the CPU uses */
	int exit_code;			/* wait status: code << 8 | signal */
	int pending_signal;		/* fatal signal to deliver on return */
	bool stopped;			/* SIGSTOP until SIGCONT */
	int on_cpu;			/* CPU it is current on, or -1 */
	int last_cpu;
	uint64_t start_time_ns;
	uint64_t min_flt, maj_flt, cmin_flt, cmaj_flt;
	uint64_t fault_counts[NR_FAULT_OUTCOMES];
	uint64_t nvcsw, nivcsw;
	/* Simulated time in ns (kernel/time.c): user and system time, the
	 * time waiting for a page from the disk or swap (Linux's
	 * delayacct blkio_delay), and the reaped children's user and system
	 * time (the group leader's: Linux's signal->cutime, cstime).  A dead
	 * thread's own go to its leader. */
	uint64_t utime, stime, blkio_delay, cutime, cstime;
	uint64_t pcount;		/* times it was switched onto a CPU
					 * (Linux's sched_info.pcount) */
	int oom_score_adj;		/* the group leader's counts (Linux's
					 * signal->oom_score_adj): -1000..1000 */
	struct task_io_accounting ioac;	/* the group leader's: the whole
					 * process's, dead threads' too */
};

extern struct list_head task_list;	/* all tasks */
extern int nr_tasks;

/* find_task_by_pid - the task with this pid (or tid), or NULL. */
struct task_struct *find_task_by_pid(int pid);

/* task_can_syscall - 0 if t is a live process with an address space (a
 * syscall can run in its context), else -ESRCH (it has exited) or -EINVAL
 * (a kernel thread), with the reason (errstr.h). */
int task_can_syscall(const struct task_struct *t);

/*
 * do_fork - fork(): a new process (child of parent) with a copy of its
 * address space (copy-on-write).  Returns the child or NULL with *err set
 * (-ENOMEM, -EAGAIN when pids run out, and task_can_syscall's -ESRCH for
 * a zombie or -EINVAL for a kernel thread).  Nothing changes on failure.
 */
struct task_struct *do_fork(struct task_struct *parent, int *err);

/* dup_task_struct - a new task like t (comm, last CPU),
 * not linked anywhere, without an mm or a kernel stack. NULL on ENOMEM. */
struct task_struct *dup_task_struct(struct task_struct *t);
/* attach_child - make c (from dup_task_struct) a process with this pid,
 * a child of parent's process, visible to all. */
void attach_child(struct task_struct *parent, struct task_struct *c, int pid);
/* exec_mmap - t's process (t is its leader) switches to the new address
 * space mm, which t now holds: the other threads exit, a CPU running t
 * loads mm, and the old address space (if any) is put (Linux's de_thread
 * and exec_mmap). */
void exec_mmap(struct task_struct *t, struct mm_struct *mm);

/* do_thread - clone(CLONE_VM|CLONE_THREAD): a new thread of t's group
 * sharing its mm (mm_users + 1). NULL and *err on failure. */
struct task_struct *do_thread(struct task_struct *t, int *err);

/*
 * do_exit_group - the whole thread group of t exits with wait status
 * `status` (code << 8, or the killing signal): address space torn down,
 * children re-parented to init, the leader left a zombie for its parent.
 * Non-leader threads are released at once.
 */
void do_exit_group(struct task_struct *t, int status);

/* do_exit - exit(code) of t's process: -EPERM for init and the boot's
 * kernel threads, -ESRCH for a zombie, -EINVAL for a code outside 0..255.
 * A kernel thread made by kthread_create ends at once (kthread_exit). */
int do_exit(struct task_struct *t, int code);

/*
 * kthread_create - a kernel thread named name, child of kthreadd, with no
 * mm (it borrows the active_mm of the CPU it runs on), asleep (Linux's
 * kthread_create, the thread's function being the work its ctl gives).
 * NULL and *err: -EINVAL with the reason for a name that is empty,
 * longer than 15 bytes or not printable ASCII, -EAGAIN when pids run out,
 * -ENOMEM.
 */
struct task_struct *kthread_create(const char *name, int *err);

/* kthread_exit - kernel thread t's function returns: the CPU running it
 * goes idle on the kernel's tables, dropping the borrowed mm's mm_count
 * (as a process's exit does: docs/divergences.md), and, its parent
 * kthreadd ignoring SIGCHLD, t is released at once (Linux's do_exit and
 * exit_notify's autoreap).  status is the wait status traced. */
void kthread_exit(struct task_struct *t, int status);

/* make_task_dead - t oopsed (Linux's make_task_dead(SIGKILL)): its thread
 * group gets SIGKILL, a kernel thread ends, when the operation unwinds
 * (deliver_pending_signals).  init is spared: Linux would panic. */
void make_task_dead(struct task_struct *t);

/* do_schedule - make t current on cpu: -EINVAL for a CPU that does not
 * exist, -ESRCH for a zombie. */
int do_schedule(struct task_struct *t, int cpu);

/* do_wait - reap a zombie child of parent (pid > 0: that child; -1: any).
 * 0 with *pid and *status, -ECHILD when there is no such child or none has
 * exited yet (no blocking here), -ESRCH when parent has exited. */
int do_wait(struct task_struct *parent, int pid, int *rpid, int *status);

/* do_kill - send sig (1..64) to the thread group of t.  Fatal signals
 * (every signal here: the simulated processes install no handlers, and
 * SIGCHLD/SIGCONT/SIGURG/SIGWINCH are ignored as by default) kill it.
 * Signal 0 only checks that the process is alive.  -EPERM for init and
 * kernel threads, -EINVAL for a bad signal, -ESRCH for a zombie. */
int do_kill(struct task_struct *t, int sig);

/* context_switch - make next current on cpu (Linux's context_switch and
 * switch_mm_irqs_off: CR3 write unless the mm is already loaded; kernel
 * threads borrow the previous active_mm, lazily). */
void context_switch(int cpu, struct task_struct *next);

/* task_cpu_get - the CPU t runs on, scheduling t on its last CPU (or CPU 0)
 * when it is not running. t must have an mm and be alive. */
struct cpu *task_cpu_get(struct task_struct *t);

/* task_set_comm - set comm (truncated to 15 bytes). */
void task_set_comm(struct task_struct *t, const char *name);

/* free_all_tasks - shutdown helper: release every task. */
void free_all_tasks(void);

/* alloc_pid - the pid the next task will get (cyclic from the last one,
 * wrapping to 300 past pid_max, as Linux), not yet taken; -EAGAIN when
 * every pid is in use. */
int alloc_pid(void);
/* last_pid_allocated - the pid given to the newest task (loadavg). */
int last_pid_allocated(void);
/* total_forks - tasks created since boot (processes and threads, as
 * Linux's total_forks), init and kthreadd included. */
extern uint64_t total_forks;

/* attach_pid - make t findable by its pid and list it among all tasks. */
void attach_pid(struct task_struct *t);
/* thread_size - THREAD_SIZE: 16 KiB on x86-64, 8 KiB (order 1) on i386. */
uint64_t thread_size(void);
/* alloc_task_struct - a zeroed task, asleep, on no CPU, with empty lists
 * and no kernel stack yet; NULL on ENOMEM. free_task_struct releases one
 * (and its stack, if it has one). */
struct task_struct *alloc_task_struct(void);
void free_task_struct(struct task_struct *t);
/* alloc_thread_stack_node - t's kernel stack (Linux's, with VMAP_STACK on
 * x86-64: a vmalloc area aligned to THREAD_SIZE, guard page after it;
 * i386: an order-1 block from the buddy allocator, THREAD_SIZE_ORDER),
 * counted in NR_KERNEL_STACK_KB; every task gets one before it is made
 * visible.  0 or -ENOMEM (vmalloc's reason). */
int alloc_thread_stack_node(struct task_struct *t);
/* free_thread_stack - t is dead (exited, a zombie or released): its
 * kernel stack goes (Linux's put_task_stack). */
void free_thread_stack(struct task_struct *t);
/* task_of_stack_pfn - the task whose i386 kernel stack holds frame pfn,
 * or NULL. */
struct task_struct *task_of_stack_pfn(uint64_t pfn);

/* task_free_hook - called, when set, with each task just before its
 * struct is freed: a layer above that keeps state per task drops it then
 * (as Linux's task_free_notifier chain was told from put_task_struct). */
extern void (*task_free_hook)(struct task_struct *t);

/* this_cpu - the CPU running kernel code (mm/pgtable.c), or -1. */
extern int this_cpu;

/* current_task, current_cpu - the task the kernel works for now (Linux's
 * current) and the CPU whose time that work takes; NULL and -1 between
 * commands, and while a host process reads or writes /proc/PID/mem. */
extern struct task_struct *current_task;
extern int current_cpu;

/* syscall_enter - a system call of t's (a command in its ctl) begins:
 * the kernel runs on t's CPU, the one it is current on or else the one it
 * last ran on, without switching to it.  So the pages it frees go to that
 * CPU's lists, its allocations start on that CPU's node, its own TLB
 * flushes are local, and its time is that CPU's.  The call's entry and
 * return cost mmufs_cost_syscall_ns.  syscall_exit - the call is over: no
 * CPU, no current task. */
void syscall_enter(struct task_struct *t);
void syscall_exit(void);

/* task_io_account_read - the storage layer reads bytes for the process
 * whose system call is under way, if any (Linux's task_io_account_read,
 * called from submit_bio); task_io_account_write - it dirtied bytes of
 * page cache (folio_account_dirtied's task_io_account_write).  Counted
 * on the thread-group leader: /proc/PID/io is the process's. */
void task_io_account_read(uint64_t bytes);
void task_io_account_write(uint64_t bytes);

/* deliver_pending_signals - kill the tasks that were marked while the
 * kernel worked on their address space (OOM victims). Call when an
 * operation has unwound. */
void deliver_pending_signals(void);

/* task_state - the state letter procfs shows: R (on a CPU), S, T, Z. */
char task_state(const struct task_struct *t);

/* get_nr_threads - the live tasks of t's thread group (Linux's
 * get_nr_threads; a zombie leader counts as one). */
int get_nr_threads(const struct task_struct *t);

/* Linux's PF_* task flags that the simulation's tasks can have. */
#define PF_EXITING	0x00000004U
#define PF_FORKNOEXEC	0x00000040U
#define PF_SIGNALED	0x00000400U
#define PF_NOFREEZE	0x00008000U
#define PF_KTHREAD	0x00200000U
#define PF_RANDOMIZE	0x00400000U

/* task_flags - t's PF_* flags (Linux's task->flags), from its state:
 * kernel threads PF_KTHREAD | PF_NOFREEZE | PF_FORKNOEXEC (as kthreadd);
 * processes PF_RANDOMIZE only with ASLR; zombies add PF_EXITING, and
 * PF_SIGNALED when a signal killed them. */
unsigned int task_flags(const struct task_struct *t);

/* nr_running - the tasks current on a CPU (Linux's nr_running). */
unsigned int nr_running(void);

/* nr_context_switches - voluntary and involuntary switches of the live
 * tasks (Linux's nr_context_switches). */
uint64_t nr_context_switches(void);

/* rlimit_sigpending - RLIMIT_SIGPENDING as Linux's fork_init sets it:
 * max_threads / 2, max_threads being RAM / (8 * THREAD_SIZE), at least
 * 20 (set_max_threads). */
uint64_t rlimit_sigpending(void);

/* Per-CPU active mm (the tables the CPU uses, held with mmgrab). */
extern struct mm_struct *cpu_active_mm[64];

static inline bool thread_group_leader(const struct task_struct *t)
{
	return t->group_leader == t;
}

#endif
