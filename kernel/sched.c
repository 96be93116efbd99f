/*
 * sched.c - which task runs on which CPU, and the address space each CPU
 * uses (Linux's kernel/sched/core.c: context_switch with its lazy TLB
 * for kernel threads, and the counts loadavg and /proc/stat show).
 */
#include <errno.h>
#include "internal.h"
#include "kernel/errstr.h"
#include "kernel/kernel.h"
#include "kernel/time.h"
#include "kernel/trace.h"
#include "mm/mm.h"

struct mm_struct *cpu_active_mm[64];

/* cpu_set_mm - see internal.h. */
void cpu_set_mm(int cpu, struct mm_struct *mm, int prev_pid)
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

/* switch_out - see internal.h. */
void switch_out(int cpu)
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
	next->pcount++;
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

struct task_struct *current_task;
int current_cpu = -1;

/* syscall_enter - see sched.h. */
void syscall_enter(struct task_struct *t)
{
	int cpu = t->on_cpu >= 0 ? t->on_cpu : t->last_cpu;

	if (cpu < 0 || cpu >= hw.nr_cpus)
		cpu = 0;
	this_cpu = cpu;
	trace_cur_cpu = cpu;
	current_task = t;
	current_cpu = cpu;
	account_system_time((uint64_t)sim_costs.syscall);
}

/* syscall_exit - see sched.h. */
void syscall_exit(void)
{
	this_cpu = -1;
	current_task = NULL;
	current_cpu = -1;
}

/* task_io_account_read - see sched.h. */
void task_io_account_read(uint64_t bytes)
{
	if (current_task)
		current_task->group_leader->ioac.read_bytes += bytes;
}

/* task_io_account_write - see sched.h. */
void task_io_account_write(uint64_t bytes)
{
	if (current_task)
		current_task->group_leader->ioac.write_bytes += bytes;
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
