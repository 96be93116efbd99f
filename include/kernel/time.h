/*
 * time.h - the machine's clock.  Simulated time advances only with the
 * work the machine does, by a cost table (sys/vm/mmufs_cost_*): a user-
 * mode access, each entry a page walk reads, a fault, a page cleared or
 * copied, the I/O wait of a major fault, a system call.  Each charge goes
 * to the clock, to the CPU that did the work (user, system or iowait, as
 * Linux's kernel_cpustat) and to the task it did it for (utime, stime,
 * the block I/O delay).  The machine runs one CPU at a time, so the clock
 * is the sum of every CPU's busy time; a CPU is idle while another works.
 * Nothing reads the host's clock: the same commands give the same times.
 */
#ifndef KERNEL_TIME_H
#define KERNEL_TIME_H

#include <stdint.h>
#include "hw/cpu.h"
#include "kernel/sched.h"
#include "util/compiler.h"

/* The cost table, in nanoseconds (README "Simulated time"). */
struct sim_costs {
	int64_t tlb_hit;	/* an access whose translation the TLB holds
				 * (every access pays it) */
	int64_t walk_level;	/* an entry read by a page walk */
	int64_t fault;		/* a fault's entry, handling and return */
	int64_t page_zero;	/* clearing a page */
	int64_t page_copy;	/* copying a page */
	int64_t major_fault;	/* waiting for a file page from the disk */
	int64_t swap_in;	/* waiting for a page from swap */
	int64_t syscall;	/* a system call's entry and return */
	int64_t reclaim_page;	/* reclaiming a page: unmap, swap out, free */
};

extern struct sim_costs sim_costs;

/* What a CPU's time went to (Linux's enum cpu_usage_stat, less the kinds
 * nothing here does); idle is the rest of the clock. */
enum cpu_usage_stat {
	CPUTIME_USER,
	CPUTIME_SYSTEM,
	CPUTIME_IOWAIT,
	NR_CPUTIME
};

/* kcpustat - each CPU's time by kind, in ns (Linux's kernel_cpustat). */
extern uint64_t kcpustat[HW_MAX_CPUS][NR_CPUTIME];

/* The load averages in fixed point (Linux's avenrun, FSHIFT bits). */
#define FSHIFT		11
#define FIXED_1		(1UL << FSHIFT)
extern unsigned long avenrun[3];

/* sim_clock_ns - nanoseconds of simulated time since boot. */
extern uint64_t sim_clock_ns;

/* ktime_get_ns - the machine's time since boot (Linux's, which also
 * counts from boot here: there is no suspend). */
static inline uint64_t ktime_get_ns(void)
{
	return sim_clock_ns;
}

/* time_init - at boot: the clock at 0, every CPU idle, the load 0 and the
 * cost table at its defaults. */
void time_init(void);

/* calc_load_update - the clock at the next load sample; calc_global_load
 * takes the samples whose time has come. */
extern uint64_t calc_load_update;
void calc_global_load(void);

/* account_time - ns of work of kind `kind` done on CPU cpu for task t
 * (NULL: for no task): the clock, the CPU's count and t's time advance,
 * and the load average is sampled when its period has passed.  Inline:
 * every fault charges two or three times. */
static inline void account_time(struct task_struct *t, int cpu,
				enum cpu_usage_stat kind, uint64_t ns)
{
	sim_clock_ns += ns;
	kcpustat[cpu][kind] += ns;
	if (t) {
		if (kind == CPUTIME_USER)
			t->utime += ns;
		else if (kind == CPUTIME_SYSTEM)
			t->stime += ns;
		else
			t->blkio_delay += ns;
	}
	if (unlikely(sim_clock_ns >= calc_load_update))
		calc_global_load();
}

/* account_system_time / account_io_wait - ns of kernel work, or of waiting
 * for I/O, for the task the kernel works for now on the CPU that runs it
 * (current_task on current_cpu).  Nothing when no CPU runs kernel code:
 * the work of a host process's /proc/PID/mem access takes no machine
 * time. */
static inline void account_system_time(uint64_t ns)
{
	if (current_cpu >= 0)
		account_time(current_task, current_cpu, CPUTIME_SYSTEM, ns);
}

static inline void account_io_wait(uint64_t ns)
{
	if (current_cpu >= 0)
		account_time(current_task, current_cpu, CPUTIME_IOWAIT, ns);
}

/*
 * The time of accesses (Linux's vtime accounting, at the kernel's entry
 * and exit): the hardware counts TLB lookups and walk reads, and their
 * cost is charged when the kernel is entered.
 * vtime_access_enter - t starts (or, after a fault, resumes) accessing
 * memory on c, in user mode or, a kernel thread, in kernel mode.
 * vtime_account_access - the kernel is entered (a fault): charge the
 * accesses' cost so far.  vtime_access_exit - the accesses are over:
 * charge the rest.
 */
void vtime_access_enter(struct cpu *c, struct task_struct *t);
void vtime_account_access(void);
void vtime_access_exit(void);

/* nsec_to_clock_t - ns as USER_HZ ticks (Linux's). */
#define USER_HZ		100
static inline uint64_t nsec_to_clock_t(uint64_t ns)
{
	return ns / (1000000000ULL / USER_HZ);
}

/* cpu_idle_ns - CPU cpu's idle time: the clock less its work. */
uint64_t cpu_idle_ns(int cpu);

/* cpus_idle_ns - the idle time of every CPU, summed (uptime's second
 * figure, stat's "cpu  " idle). */
uint64_t cpus_idle_ns(void);

#endif
