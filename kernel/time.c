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

static uint64_t calc_load_update;	/* the clock at the next sample */

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

/* calc_global_load - the samples whose time has come, all with the tasks
 * running now (Linux's calc_global_load, with calc_load_n for the periods
 * a long charge crossed at once). */
static void calc_global_load(void)
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

/* account_time - see time.h. */
void account_time(struct task_struct *t, int cpu, enum cpu_usage_stat kind,
		  uint64_t ns)
{
	BUG_ON(cpu < 0 || cpu >= hw.nr_cpus);
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
	if (sim_clock_ns >= calc_load_update)
		calc_global_load();
}

/* account_system_time - see time.h. */
void account_system_time(uint64_t ns)
{
	if (current_cpu >= 0)
		account_time(current_task, current_cpu, CPUTIME_SYSTEM, ns);
}

/* account_io_wait - see time.h. */
void account_io_wait(uint64_t ns)
{
	if (current_cpu >= 0)
		account_time(current_task, current_cpu, CPUTIME_IOWAIT, ns);
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
