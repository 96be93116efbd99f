/*
 * pid.c - the task table: pids, lookup, names, states and the counts
 * /proc shows (Linux's kernel/pid.c, and fs/proc/array.c's task_state).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "kernel/errstr.h"
#include "kernel/kernel.h"
#include "mm/mm.h"

#define RESERVED_PIDS	300

struct list_head task_list = LIST_HEAD_INIT(task_list);
int nr_tasks;

uint64_t total_forks;
static struct task_struct **pid_table;	/* pid_max entries */
static int pid_table_size;
static int last_pid;

/* pid_table_init - see internal.h. */
int pid_table_init(void)
{
	pid_table = calloc((size_t)sysctl_vm.pid_max, sizeof(*pid_table));
	if (!pid_table)
		return -ENOMEM;
	pid_table_size = sysctl_vm.pid_max;
	last_pid = 0;
	total_forks = 0;
	return 0;
}

/* last_pid_allocated - see sched.h. */
int last_pid_allocated(void)
{
	return last_pid;
}

/* pid_table_free - see internal.h. */
void pid_table_free(void)
{
	free(pid_table);
	pid_table = NULL;
	pid_table_size = 0;
}

/* find_task_by_pid - see sched.h. */
struct task_struct *find_task_by_pid(int pid)
{
	if (pid <= 0 || pid >= pid_table_size)
		return NULL;
	return pid_table[pid];
}

/* task_can_syscall - see sched.h. */
int task_can_syscall(const struct task_struct *t)
{
	if (t->exit_state == EXIT_ZOMBIE)
		return kerror(ESRCH, "process %d has exited", t->pid);
	if (!t->mm)
		return kerror(EINVAL, "pid %d is a kernel thread", t->pid);
	return 0;
}

/* alloc_pid - see sched.h. */
int alloc_pid(void)
{
	int pid = last_pid, i;

	for (i = 0; i < pid_table_size; i++) {
		pid++;
		if (pid >= pid_table_size)
			pid = last_pid >= RESERVED_PIDS ? RESERVED_PIDS : 1;
		if (!pid_table[pid])
			return pid;
	}
	return -EAGAIN;
}

/* attach_pid - see sched.h. */
void attach_pid(struct task_struct *t)
{
	BUG_ON(pid_table[t->pid]);
	pid_table[t->pid] = t;
	last_pid = t->pid;
	list_add_tail(&t->tasks, &task_list);
	nr_tasks++;
	total_forks++;
}

/* release_task - see internal.h. */
void release_task(struct task_struct *t)
{
	BUG_ON(t->mm || t->on_cpu >= 0 || !list_empty(&t->children));
	pid_table[t->pid] = NULL;
	list_del(&t->tasks);
	list_del(&t->sibling);
	list_del(&t->thread_node);
	nr_tasks--;
	free_task_struct(t);
}

/* task_set_comm - see sched.h. */
void task_set_comm(struct task_struct *t, const char *name)
{
	memset(t->comm, 0, sizeof(t->comm));
	strncpy(t->comm, name, TASK_COMM_LEN - 1);
}

/* task_state - see sched.h. */
char task_state(const struct task_struct *t)
{
	if (t->exit_state == EXIT_ZOMBIE)
		return 'Z';
	if (t->group_leader->stopped)
		return 'T';
	return t->on_cpu >= 0 ? 'R' : 'S';
}

/* get_nr_threads - see sched.h. */
int get_nr_threads(const struct task_struct *t)
{
	const struct task_struct *leader = t->group_leader;
	struct list_head *l;
	int n = 1;

	list_for_each(l, &leader->thread_group)
		n++;
	return n;
}

/* task_flags - see sched.h. */
unsigned int task_flags(const struct task_struct *t)
{
	unsigned int f;

	if (t->kthread)
		return PF_KTHREAD | PF_NOFREEZE | PF_FORKNOEXEC;
	f = boot_params.aslr ? PF_RANDOMIZE : 0;
	if (t->exit_state == EXIT_ZOMBIE) {
		f |= PF_EXITING;
		if (t->exit_code & 0x7f)
			f |= PF_SIGNALED;
	}
	return f;
}
