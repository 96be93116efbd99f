/*
 * time.c - the machine's clock, what each CPU and task spent it on, and
 * the load average (Linux's kernel/sched/cputime.c with its vtime
 * accounting, and kernel/sched/loadavg.c).  See time.h.
 */
#include <string.h>
#include "kernel/time.h"
#include "kernel/kernel.h"
#include "kernel/sched.h"

struct sim_costs sim_costs;
uint64_t kcpustat[HW_MAX_CPUS][NR_CPUTIME];
unsigned long avenrun[3];
uint64_t sim_clock_ns;

/* The load is sampled every 5 s and a tick (Linux's LOAD_FREQ, at
 * USER_HZ), with the decay of 1, 5 and 15 minutes in fixed point. */
#define LOAD_FREQ_NS	(5000000000ULL + 1000000000ULL / USER_HZ)
#define EXP_1		1884
#define EXP_5		2014
#define EXP_15		2037

uint64_t calc_load_update;

/* The accesses under way: the task making them, its CPU, the kind of
 * time they are (user, or system for a kernel thread), and the
 * hardware's counts when they were last charged. */
static struct {
	struct task_struct *task;
	struct cpu *cpu;
	enum cpu_usage_stat kind;
	uint64_t lookups, walk_reads;
} vtime;

/* The defaults: the medians bench/costs measured on a Zen 4 KVM guest
 * with a virtio disk (docs/costs.md). */
static const struct sim_costs default_costs = {
	.tlb_hit = 1,
	.walk_level = 50,
	.fault = 760,
	.page_zero = 236,
	.page_copy = 505,
	.major_fault = 90000,
	.swap_in = 91000,
	.syscall = 209,
	.reclaim_page = 6644,
};

/* time_init - see time.h. */
void time_init(void)
{
	sim_costs = default_costs;
	sim_clock_ns = 0;
	memset(kcpustat, 0, sizeof(kcpustat));
	memset(avenrun, 0, sizeof(avenrun));
	memset(&vtime, 0, sizeof(vtime));
	calc_load_update = LOAD_FREQ_NS;
}

/* fixed_power_int - x^n for x in fixed point with frac_bits fraction
 * bits, rounding each product (Linux's fixed_power_int). */
static unsigned long fixed_power_int(unsigned long x, unsigned int frac_bits,
				     uint64_t n)
{
	unsigned long result = 1UL << frac_bits;

	while (n) {
		if (n & 1) {
			result = result * x + (1UL << (frac_bits - 1));
			result >>= frac_bits;
		}
		n >>= 1;
		if (!n)
			break;
		x = x * x + (1UL << (frac_bits - 1));
		x >>= frac_bits;
	}
	return result;
}

/* calc_load - one decay of load toward active (both fixed point), rounded
 * up while the load rises (Linux's calc_load). */
static unsigned long calc_load(unsigned long load, unsigned long exp,
			       unsigned long active)
{
	unsigned long newload = load * exp + active * (FIXED_1 - exp);

	if (active >= load)
		newload += FIXED_1 - 1;
	return newload / FIXED_1;
}

/* calc_global_load - see time.h: every sample takes the tasks running
 * now (Linux's calc_global_load, with calc_load_n for the periods a long
 * charge crossed at once). */
void calc_global_load(void)
{
	static const unsigned long exp[3] = { EXP_1, EXP_5, EXP_15 };
	uint64_t n = (sim_clock_ns - calc_load_update) / LOAD_FREQ_NS + 1;
	unsigned long active = (unsigned long)nr_running() * FIXED_1;

	for (int i = 0; i < 3; i++)
		avenrun[i] = calc_load(avenrun[i],
				       fixed_power_int(exp[i], FSHIFT, n),
				       active);
	calc_load_update += n * LOAD_FREQ_NS;
}

/* access_counts - the hardware's counts of c's TLB lookups and of walk
 * reads. */
static void access_counts(const struct cpu *c, uint64_t *lookups,
			  uint64_t *walk_reads)
{
	*lookups = c->tlb.hits + c->tlb.misses;
	*walk_reads = c->hw->walk_reads;
}

/* vtime_access_enter - see time.h. */
void vtime_access_enter(struct cpu *c, struct task_struct *t)
{
	vtime.task = t;
	vtime.cpu = c;
	vtime.kind = t->kthread ? CPUTIME_SYSTEM : CPUTIME_USER;
	access_counts(c, &vtime.lookups, &vtime.walk_reads);
}

/* vtime_account_access - see time.h (Linux's vtime_user_exit). */
void vtime_account_access(void)
{
	uint64_t lookups, walk_reads;

	if (!vtime.cpu)
		return;
	access_counts(vtime.cpu, &lookups, &walk_reads);
	account_time(vtime.task, vtime.cpu->id, vtime.kind,
		     (lookups - vtime.lookups) * (uint64_t)sim_costs.tlb_hit +
		     (walk_reads - vtime.walk_reads) *
		     (uint64_t)sim_costs.walk_level);
	vtime.lookups = lookups;
	vtime.walk_reads = walk_reads;
}

/* vtime_access_exit - see time.h. */
void vtime_access_exit(void)
{
	vtime_account_access();
	vtime.cpu = NULL;
	vtime.task = NULL;
}

/* cpu_idle_ns - see time.h. */
uint64_t cpu_idle_ns(int cpu)
{
	uint64_t busy = 0;

	for (int k = 0; k < NR_CPUTIME; k++)
		busy += kcpustat[cpu][k];
	return sim_clock_ns - busy;
}

/* cpus_idle_ns - see time.h. */
uint64_t cpus_idle_ns(void)
{
	uint64_t idle = 0;

	for (int cpu = 0; cpu < hw.nr_cpus; cpu++)
		idle += cpu_idle_ns(cpu);
	return idle;
}
