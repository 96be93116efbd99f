/*
 * task.c - the task table, exit and wait, signals, and context switches
 * (Linux's kernel/pid.c, kernel/exit.c, kernel/signal.c and the mm part of
 * kernel/sched/core.c context_switch).
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include "kernel/errstr.h"
#include "mm/mm.h"
#include "mm/page_alloc.h"
#include "mm/vma.h"
#include "mm/vmstat.h"
#include "kernel/kernel.h"
#include "kernel/trace.h"

#define RESERVED_PIDS	300

struct list_head task_list = LIST_HEAD_INIT(task_list);
int nr_tasks;
struct mm_struct *cpu_active_mm[64];

uint64_t total_forks;
static struct task_struct **pid_table;	/* pid_max entries */
static int pid_table_size;
static int last_pid;

/* pid_table_init - an empty table for sysctl_vm.pid_max pids. */
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

int last_pid_allocated(void)
{
	return last_pid;
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

/* release_task - forget a task entirely (reaped zombie or dead thread). */
static void release_task(struct task_struct *t)
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

/* nr_running - see sched.h. */
unsigned int nr_running(void)
{
	struct list_head *l;
	unsigned int n = 0;

	list_for_each(l, &task_list)
		n += list_entry(l, struct task_struct, tasks)->on_cpu >= 0;
	return n;
}

/* nr_context_switches - see sched.h. */
uint64_t nr_context_switches(void)
{
	struct list_head *l;
	uint64_t n = 0;

	list_for_each(l, &task_list) {
		struct task_struct *t = list_entry(l, struct task_struct, tasks);

		n += t->nvcsw + t->nivcsw;
	}
	return n;
}

/* cpu_set_mm - make cpu use mm's tables (NULL: the kernel's own), keeping
 * the per-CPU reference. A CR3 write flushes the TLB unless PCID is on.
 * prev_pid is the task that ran before, for the trace. */
static void cpu_set_mm(int cpu, struct mm_struct *mm, int prev_pid)
{
	struct cpu *c = &hw.cpus[cpu];
	struct mm_struct *prev = cpu_active_mm[cpu];
	uint64_t bit = 1ULL << cpu;

	if (prev == mm)
		return;
	cpu_write_cr3(c, mm ? mm->pgd : swapper_pgd, mm ? mm->pcid : 0);
	trace_emit(TRACE_SWITCH, c->cr3, !hw.pcid, (uint64_t)prev_pid);
	if (mm) {
		mmgrab(mm);
		mm->cpu_bitmap |= bit;
	}
	cpu_active_mm[cpu] = mm;
	if (prev) {
		prev->cpu_bitmap &= ~bit;
		mmdrop(prev);
	}
}

/* switch_out - take the task running on cpu off it (the CPU goes idle,
 * keeping its tables lazily). */
static void switch_out(int cpu)
{
	struct task_struct *prev = hw.cpus[cpu].current;

	if (!prev)
		return;
	prev->on_cpu = -1;
	prev->nivcsw++;
	if (prev->kthread)
		prev->active_mm = NULL;
	hw.cpus[cpu].current = NULL;
}

/* context_switch - see sched.h. */
void context_switch(int cpu, struct task_struct *next)
{
	struct cpu *c = &hw.cpus[cpu];
	struct task_struct *prev = c->current;
	int prev_pid = prev ? prev->pid : 0;

	BUG_ON(cpu < 0 || cpu >= hw.nr_cpus || next->exit_state == EXIT_ZOMBIE);
	if (prev == next)
		return;

	if (next->on_cpu >= 0)
		switch_out(next->on_cpu);
	switch_out(cpu);
	trace_cur_pid = next->pid;
	if (next->mm)
		cpu_set_mm(cpu, next->mm, prev_pid);
	next->active_mm = next->mm ? next->mm : cpu_active_mm[cpu];
	next->on_cpu = cpu;
	next->last_cpu = cpu;
	c->current = next;
}

/* task_cpu_get - see sched.h. */
struct cpu *task_cpu_get(struct task_struct *t)
{
	int cpu = t->on_cpu;

	if (cpu < 0) {
		cpu = t->last_cpu >= 0 && t->last_cpu < hw.nr_cpus ?
		      t->last_cpu : 0;
		context_switch(cpu, t);
	}
	return &hw.cpus[cpu];
}

/* exit_mm - detach t from its address space; a CPU running t goes idle on
 * the kernel's tables so the last reference to the mm can go. */
static void exit_mm(struct task_struct *t)
{
	struct mm_struct *mm = t->mm;
	int cpu = t->on_cpu;

	if (cpu >= 0) {
		switch_out(cpu);
		if (cpu_active_mm[cpu] == mm)
			cpu_set_mm(cpu, NULL, t->pid);
	}
	if (!mm)
		return;
	t->mm = NULL;
	t->active_mm = NULL;
	mmput(mm);
}

/* reparent_children - the children of a dying process go to init. */
static void reparent_children(struct task_struct *t)
{
	struct task_struct *reaper = find_task_by_pid(1);

	while (!list_empty(&t->children)) {
		struct task_struct *c = list_first_entry(&t->children,
							 struct task_struct,
							 sibling);

		struct list_head *l;

		list_del(&c->sibling);
		BUG_ON(!reaper || reaper == t);
		c->real_parent = reaper;
		list_for_each(l, &c->thread_group)
			list_entry(l, struct task_struct, thread_node)->real_parent =
				reaper;
		list_add_tail(&c->sibling, &reaper->children);
	}
}

/* exit_thread - a non-leader thread dies: its fault counts go to the
 * leader (Linux's signal_struct totals) and it is released at once. */
static void exit_thread(struct task_struct *t)
{
	struct task_struct *leader = t->group_leader;
	int i;

	exit_mm(t);
	leader->min_flt += t->min_flt;
	leader->maj_flt += t->maj_flt;
	for (i = 0; i < NR_FAULT_OUTCOMES; i++)
		leader->fault_counts[i] += t->fault_counts[i];
	release_task(t);
}

/* exec_mmap - see sched.h. */
void exec_mmap(struct task_struct *t, struct mm_struct *mm)
{
	struct mm_struct *old = t->mm;

	BUG_ON(!thread_group_leader(t));
	while (!list_empty(&t->thread_group))
		exit_thread(list_first_entry(&t->thread_group,
					     struct task_struct, thread_node));
	t->mm = t->active_mm = mm;
	if (t->on_cpu >= 0)
		cpu_set_mm(t->on_cpu, mm, t->pid);
	if (old)
		mmput(old);
}

/* do_exit_group - see sched.h. */
void do_exit_group(struct task_struct *t, int status)
{
	struct task_struct *leader = t->group_leader;

	BUG_ON(leader->pid == 1 || leader->kthread ||
	       leader->exit_state == EXIT_ZOMBIE);
	while (!list_empty(&leader->thread_group))
		exit_thread(list_first_entry(&leader->thread_group,
					     struct task_struct, thread_node));
	exit_mm(leader);
	reparent_children(leader);
	leader->pending_signal = 0;
	leader->stopped = false;
	leader->exit_state = EXIT_ZOMBIE;
	leader->exit_code = status;
	count_vm_event(MMUFS_EXIT);
	trace_cur_pid = leader->pid;
	trace_emit(TRACE_EXIT, (uint64_t)status, 0, 0);
}

/* do_exit - see sched.h. */
int do_exit(struct task_struct *t, int code)
{
	struct task_struct *leader = t->group_leader;

	if (leader->exit_state == EXIT_ZOMBIE)
		return kerror(ESRCH, "process has exited");
	if (leader->pid == 1 || leader->kthread)
		return kerror(EPERM, "pid %d cannot exit", t->pid);
	if (code < 0 || code > 255)
		return kerror(EINVAL, "exit code must be 0..255");
	do_exit_group(t, code << 8);
	return 0;
}

/* do_schedule - see sched.h. */
int do_schedule(struct task_struct *t, int cpu)
{
	if (cpu < 0 || cpu >= hw.nr_cpus)
		return kerror(EINVAL, "no cpu %d (the machine has %d)", cpu,
			      hw.nr_cpus);
	if (t->exit_state == EXIT_ZOMBIE)
		return kerror(ESRCH, "process %d has exited", t->pid);
	context_switch(cpu, t);
	return 0;
}

/* do_wait - see sched.h. */
int do_wait(struct task_struct *parent, int pid, int *rpid, int *status)
{
	struct task_struct *p = parent->group_leader;
	struct list_head *l;

	if (parent->exit_state == EXIT_ZOMBIE)
		return kerror(ESRCH, "process %d has exited", parent->pid);
	list_for_each(l, &p->children) {
		struct task_struct *c = list_entry(l, struct task_struct,
						   sibling);

		if (c->exit_state != EXIT_ZOMBIE || (pid > 0 && c->pid != pid))
			continue;
		*rpid = c->pid;
		*status = c->exit_code;
		p->cmin_flt += c->min_flt + c->cmin_flt;
		p->cmaj_flt += c->maj_flt + c->cmaj_flt;
		release_task(c);
		return 0;
	}
	return kerror(ECHILD, "no exited child%s", pid > 0 ? " with that pid" :
		      " (wait does not block)");
}

/* The simulated kernel's signals are x86 Linux's, and so are the host's:
 * <signal.h> names them. */

/* sig_ignored_by_default - signals whose default action is to do nothing
 * (SIGCHLD, SIGURG, SIGWINCH) or to continue (SIGCONT). */
static bool sig_ignored_by_default(int sig)
{
	return sig == SIGCHLD || sig == SIGCONT || sig == SIGURG ||
	       sig == SIGWINCH;
}

/* sig_stops - SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU. */
static bool sig_stops(int sig)
{
	return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN ||
	       sig == SIGTTOU;
}

/* do_kill - see sched.h. Signal 0 only checks that t can be signalled. */
int do_kill(struct task_struct *t, int sig)
{
	struct task_struct *leader = t->group_leader;

	if (sig < 0 || sig > 64)
		return kerror(EINVAL, "bad signal %d", sig);
	if (leader->exit_state == EXIT_ZOMBIE)
		return kerror(ESRCH, "process %d has exited", t->pid);
	if (sig == 0)		/* kill(pid, 0): the process exists */
		return 0;
	if (leader->pid == 1 || leader->kthread)
		return kerror(EPERM, "pid %d cannot be killed", t->pid);
	trace_cur_pid = leader->pid;
	trace_emit(TRACE_SIGNAL, (uint64_t)sig, 0, 0);
	if (sig == SIGCONT)
		leader->stopped = false;
	if (sig_ignored_by_default(sig))
		return 0;
	if (sig_stops(sig)) {
		leader->stopped = true;
		return 0;
	}
	do_exit_group(leader, sig);
	return 0;
}

/* deliver_pending_signals - see sched.h. */
void deliver_pending_signals(void)
{
	struct list_head *l, *n;

	list_for_each_safe(l, n, &task_list) {
		struct task_struct *t = list_entry(l, struct task_struct, tasks);

		if (t->pending_signal && t->exit_state != EXIT_ZOMBIE &&
		    thread_group_leader(t)) {
			do_exit_group(t, t->pending_signal);
			/* exit_group may release threads after l: restart */
			deliver_pending_signals();
			return;
		}
	}
}

/* free_all_tasks - see sched.h: every process exits and is reaped, then
 * init and kthreadd are released. */
void free_all_tasks(void)
{
	struct list_head *l;
	int i;

	for (;;) {
		struct task_struct *victim = NULL;

		list_for_each(l, &task_list) {
			struct task_struct *t = list_entry(l, struct task_struct,
							   tasks);

			if (t->pid != 1 && !t->kthread &&
			    t->exit_state != EXIT_ZOMBIE &&
			    thread_group_leader(t)) {
				victim = t;
				break;
			}
		}
		if (!victim)
			break;
		do_exit_group(victim, SIGKILL);
	}
	while (!list_empty(&task_list)) {
		struct task_struct *t = list_first_entry(&task_list,
							 struct task_struct,
							 tasks);

		while (!list_empty(&t->thread_group))
			exit_thread(list_first_entry(&t->thread_group,
						     struct task_struct,
						     thread_node));
		exit_mm(t);
		while (!list_empty(&t->children)) {
			struct task_struct *c = list_first_entry(
				&t->children, struct task_struct, sibling);

			list_del(&c->sibling);
			INIT_LIST_HEAD(&c->sibling);
		}
		release_task(t);
	}
	for (i = 0; i < hw.nr_cpus; i++) {
		switch_out(i);
		cpu_set_mm(i, NULL, 0);
	}
	free(pid_table);
	pid_table = NULL;
	pid_table_size = 0;
}
