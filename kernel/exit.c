/*
 * exit.c - a process's end: its threads and address space go, its
 * children go to init, it stays a zombie until its parent waits for it
 * (Linux's kernel/exit.c: do_exit, do_group_exit, release_task, do_wait),
 * and exec's switch to the new address space (fs/exec.c exec_mmap).
 */
#include <errno.h>
#include <signal.h>
#include "internal.h"
#include "kernel/errstr.h"
#include "kernel/kernel.h"
#include "kernel/trace.h"
#include "mm/mm.h"
#include "mm/vmstat.h"

/* exit_mm - detach t from its address space; a CPU running t goes idle on
 * the kernel's tables so the last reference to the mm (or, for a kernel
 * thread, the borrowed one's mm_count) can go. */
static void exit_mm(struct task_struct *t)
{
	struct mm_struct *mm = t->mm;
	int cpu = t->on_cpu;

	if (cpu >= 0) {
		switch_out(cpu);
		if (cpu_active_mm[cpu] == mm || t->kthread_ctl)
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

/* exit_thread - a non-leader thread dies: its fault counts and times go
 * to the leader (Linux's signal_struct totals) and it is released at once. */
static void exit_thread(struct task_struct *t)
{
	struct task_struct *leader = t->group_leader;
	int i;

	exit_mm(t);
	leader->min_flt += t->min_flt;
	leader->maj_flt += t->maj_flt;
	leader->utime += t->utime;
	leader->stime += t->stime;
	leader->blkio_delay += t->blkio_delay;
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
	free_thread_stack(leader);	/* a zombie runs no more */
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
	if (leader->pid == 1 || (leader->kthread && !leader->kthread_ctl))
		return kerror(EPERM, "pid %d cannot exit", t->pid);
	if (code < 0 || code > 255)
		return kerror(EINVAL, "exit code must be 0..255");
	if (t->kthread)
		kthread_exit(t, code << 8);
	else
		do_exit_group(t, code << 8);
	return 0;
}

/* kthread_exit - see sched.h. */
void kthread_exit(struct task_struct *t, int status)
{
	BUG_ON(!t->kthread_ctl || t->mm || !list_empty(&t->children));
	exit_mm(t);
	count_vm_event(MMUFS_EXIT);
	trace_cur_pid = t->pid;
	trace_emit(TRACE_EXIT, (uint64_t)status, 0, 0);
	release_task(t);
}

/* make_task_dead - see sched.h. */
void make_task_dead(struct task_struct *t)
{
	if (t->group_leader->pid != 1)
		t->group_leader->pending_signal = SIGKILL;
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
		p->cutime += c->utime + c->cutime;
		p->cstime += c->stime + c->cstime;
		release_task(c);
		return 0;
	}
	return kerror(ECHILD, "no exited child%s", pid > 0 ? " with that pid" :
		      " (wait does not block)");
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
	pid_table_free();
}
