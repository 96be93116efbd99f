/*
 * internal.h - what the files of kernel/ share and nothing else uses.
 */
#ifndef KERNEL_INTERNAL_H
#define KERNEL_INTERNAL_H

#include "kernel/sched.h"

/* pid.c */
/* pid_table_init - an empty table for sysctl_vm.pid_max pids: 0 or
 * -ENOMEM.  pid_table_free - free it, once every task is released. */
int pid_table_init(void);
void pid_table_free(void);
/* release_task - forget a task entirely (a reaped zombie or a dead
 * thread): it has no mm, runs nowhere and has no children left. */
void release_task(struct task_struct *t);

/* sched.c */
/* cpu_set_mm - make cpu use mm's tables (NULL: the kernel's own), keeping
 * the per-CPU reference.  A CR3 write flushes the TLB unless PCID is on.
 * prev_pid is the task that ran before, for the trace. */
void cpu_set_mm(int cpu, struct mm_struct *mm, int prev_pid);
/* switch_out - take the task running on cpu off it (the CPU goes idle,
 * keeping its tables lazily). */
void switch_out(int cpu);

#endif
