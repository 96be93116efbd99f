/*
 * test_time.c - the machine's clock (kernel/time.c): every event of the
 * cost table is charged once, to the right task, CPU and kind of time;
 * what no CPU does takes no time; the load average decays as Linux's;
 * two runs of the same work give the same times.
 */
#include <math.h>
#include "machine.h"
#include "kernel/time.h"
#include "mm/swap.h"
#include "mm/memcontrol.h"
#include "mm/vmstat.h"

/* A cost table in powers of 1000, so that a time spells out how many of
 * each event it holds (each fewer than 1000): TLB lookups, walk reads,
 * faults, page clears, page copies, in that order from the units up. */
#define RADIX	1000ULL
static const struct sim_costs radix_costs = {
	.tlb_hit = 1,
	.walk_level = (int64_t)RADIX,
	.fault = (int64_t)(RADIX * RADIX),
	.page_zero = (int64_t)(RADIX * RADIX * RADIX),
	.page_copy = (int64_t)(RADIX * RADIX * RADIX * RADIX),
};

/* The events a time is made of, under radix_costs. */
struct spelled {
	uint64_t lookups, walk_reads, faults, zeroes, copies;
};

static struct spelled spell(uint64_t ns)
{
	struct spelled s;

	s.lookups = ns % RADIX;
	s.walk_reads = ns / RADIX % RADIX;
	s.faults = ns / (RADIX * RADIX) % RADIX;
	s.zeroes = ns / (RADIX * RADIX * RADIX) % RADIX;
	s.copies = ns / (RADIX * RADIX * RADIX * RADIX);
	return s;
}

/* The hardware's counts, to compare with what the clock was charged. */
struct hw_counts {
	uint64_t lookups, walk_reads, walks, faults;
};

static struct hw_counts hw_counts(int cpu)
{
	struct tlb *t = &hw.cpus[cpu].tlb;

	return (struct hw_counts){ t->hits + t->misses, hw.walk_reads,
				   hw.page_walks, hw.faults };
}

static void boot_one(uint64_t mem, uint64_t swap)
{
	struct boot_params bp = {
		.mem_bytes = mem, .swap_bytes = swap, .nr_cpus = 2,
		.tlb_entries = 64, .tlb_ways = 4, .mode = PAGING_4LEVEL,
	};

	ck_assert_int_eq(kernel_boot(&bp), 0);
}

static void shutdown(void)
{
	assert_check();
	kernel_shutdown();
}

/* cpu_busy - every kind of time of CPU cpu. */
static uint64_t cpu_busy(int cpu)
{
	return kcpustat[cpu][CPUTIME_USER] + kcpustat[cpu][CPUTIME_SYSTEM] +
	       kcpustat[cpu][CPUTIME_IOWAIT];
}

/* A write to 64 fresh pages: each takes a fault and a cleared page (and
 * the page tables their own clears); user time is the lookups and walk
 * reads, system time the rest, and the clock holds both, on the task's
 * CPU, exactly once. */
START_TEST(faults_are_charged_once)
{
	struct task_struct *t;
	struct hw_counts before, after;
	struct spelled s;
	uint64_t va, clock, pt_before, faults;

	boot_one(64 * MB, 0);
	sim_costs = radix_costs;
	t = fork_of(init_task());
	ck_assert_int_eq(do_schedule(t, 1), 0);
	va = mmap_anon(t, 64 * PAGE_SIZE, RW);
	pt_before = t->mm->pgtables_bytes;
	before = hw_counts(1);
	clock = ktime_get_ns();
	faults = touch(t, va, 64 * PAGE_SIZE, ACC_WRITE);
	after = hw_counts(1);
	s = spell(ktime_get_ns() - clock);

	ck_assert_uint_eq(faults, 64);
	ck_assert_uint_eq(s.faults, after.faults - before.faults);
	ck_assert_uint_eq(s.faults, 64);
	ck_assert_uint_eq(s.zeroes, 64 + (t->mm->pgtables_bytes - pt_before) /
			  PAGE_SIZE);
	ck_assert_uint_eq(s.copies, 0);
	ck_assert_uint_eq(s.lookups, after.lookups - before.lookups);
	ck_assert_uint_eq(s.walk_reads, after.walk_reads - before.walk_reads);
	ck_assert_uint_ge(s.walk_reads, after.walks - before.walks);
	ck_assert_uint_le(s.walk_reads, 4 * (after.walks - before.walks));
	ck_assert_uint_eq(t->utime, s.lookups + s.walk_reads * RADIX);
	ck_assert_uint_eq(t->stime + t->utime, ktime_get_ns() - clock);
	ck_assert_uint_eq(kcpustat[1][CPUTIME_USER], t->utime);
	ck_assert_uint_eq(kcpustat[1][CPUTIME_SYSTEM], t->stime);
	ck_assert_uint_eq(cpu_busy(0), 0);
	ck_assert_uint_eq(cpu_idle_ns(0), ktime_get_ns());
	ck_assert_uint_eq(cpu_idle_ns(1), 0);

	/* The pages now hit in the TLB: a lookup each, nothing else. */
	clock = ktime_get_ns();
	ck_assert_uint_eq(touch(t, va, 64 * PAGE_SIZE, ACC_WRITE), 0);
	ck_assert_uint_eq(ktime_get_ns() - clock, 64);
	shutdown();
}
END_TEST

/* A child's writes to 8 pages its parent wrote copy them: 8 copies, no
 * clears but for page tables; the child's times are its own, and go to
 * its parent's cutime and cstime when it is reaped. */
START_TEST(cow_copies_are_charged)
{
	struct task_struct *p, *c;
	struct spelled s;
	uint64_t va, clock, utime, stime;
	int pid;

	boot_one(64 * MB, 0);
	p = fork_of(init_task());
	va = mmap_anon(p, 8 * PAGE_SIZE, RW);
	touch(p, va, 8 * PAGE_SIZE, ACC_WRITE);
	c = fork_of(p);
	sim_costs = radix_costs;
	clock = ktime_get_ns();
	touch(c, va, 8 * PAGE_SIZE, ACC_WRITE);
	s = spell(ktime_get_ns() - clock);
	ck_assert_uint_eq(s.copies, 8);
	ck_assert_uint_eq(s.copies, c->fault_counts[FO_COW_COPY]);
	ck_assert_uint_eq(s.faults, 8);
	ck_assert_uint_eq(s.zeroes, c->mm->pgtables_bytes / PAGE_SIZE -
			  (uint64_t)(kernel_is_64bit() ? 1 : 0) -
			  (p->mm->pgtables_bytes / PAGE_SIZE - 1));
	utime = c->utime;
	stime = c->stime;
	ck_assert_uint_eq(utime + stime, ktime_get_ns() - clock);
	pid = c->pid;
	ck_assert_int_eq(do_exit(c, 0), 0);
	reap(p, pid);
	ck_assert_uint_eq(p->cutime, utime);
	ck_assert_uint_eq(p->cstime, stime);
	pid = p->pid;
	utime += p->utime;
	stime += p->stime;
	ck_assert_int_eq(do_exit(p, 0), 0);
	reap(init_task(), pid);
	ck_assert_uint_eq(init_task()->cutime, utime);
	ck_assert_uint_eq(init_task()->cstime, stime);
	shutdown();
}
END_TEST

/* A page read back from swap waits swap_in, as I/O wait: the task's
 * block I/O delay and its CPU's iowait, not its system time. */
START_TEST(swap_in_waits)
{
	struct task_struct *t;
	uint64_t va, clock, maj, utime, stime, iowait;

	boot_one(64 * MB, 16 * MB);
	t = fork_of(init_task());
	ck_assert_int_eq(do_schedule(t, 0), 0);
	va = mmap_anon(t, 4 * PAGE_SIZE, RW);
	touch(t, va, 4 * PAGE_SIZE, ACC_WRITE);
	ck_assert_int_eq(do_madvise(t, va, 4 * PAGE_SIZE, MADV_PAGEOUT), 0);
	sim_costs.swap_in = 7000000;
	maj = t->maj_flt;
	utime = t->utime;
	stime = t->stime;
	iowait = kcpustat[0][CPUTIME_IOWAIT];
	clock = ktime_get_ns();
	touch(t, va, 4 * PAGE_SIZE, ACC_READ);
	ck_assert_uint_gt(t->maj_flt, maj);
	ck_assert_uint_eq(t->blkio_delay, (t->maj_flt - maj) * 7000000);
	ck_assert_uint_eq(kcpustat[0][CPUTIME_IOWAIT] - iowait,
			  t->blkio_delay);
	ck_assert_uint_lt(t->stime - stime, 7000000);
	ck_assert_uint_eq(ktime_get_ns() - clock, t->blkio_delay +
			  t->stime - stime + t->utime - utime);
	shutdown();
}
END_TEST

/* A system call's entry and return cost syscall, for its task on its
 * CPU; /proc/PID/mem's accesses are a host process's: their faults are
 * counted, but take no machine time. */
START_TEST(syscalls_and_remote_access)
{
	struct task_struct *t;
	uint64_t va, clock, minflt;
	char buf[64];

	boot_one(64 * MB, 0);
	t = fork_of(init_task());
	ck_assert_int_eq(do_schedule(t, 1), 0);
	va = mmap_anon(t, 16 * PAGE_SIZE, RW);
	clock = ktime_get_ns();
	syscall_enter(t);
	syscall_exit();
	ck_assert_uint_eq(ktime_get_ns() - clock, (uint64_t)sim_costs.syscall);
	ck_assert_uint_eq(t->stime, (uint64_t)sim_costs.syscall);
	ck_assert_uint_eq(kcpustat[1][CPUTIME_SYSTEM],
			  (uint64_t)sim_costs.syscall);

	clock = ktime_get_ns();
	minflt = vmstat.events[PGFAULT];
	memset(buf, 'x', sizeof(buf));
	ck_assert_uint_eq(access_remote_vm(t, va, buf, sizeof(buf), true),
			  sizeof(buf));
	ck_assert_uint_gt(vmstat.events[PGFAULT], minflt);
	ck_assert_uint_eq(ktime_get_ns(), clock);
	shutdown();
}
END_TEST

/* Reclaim takes reclaim_page a page it frees: kswapd's pages are its own
 * system time, on its node's CPU; a task's direct reclaim (here, at its
 * memory group's limit) is the task's. */
START_TEST(reclaim_is_charged_to_the_reclaimer)
{
	struct task_struct *t, *kswapd;
	struct mem_cgroup *g;
	uint64_t va, clock, steal_k, steal_d, stime;
	int err;

	boot_one(32 * MB, 64 * MB);
	t = fork_of(init_task());
	ck_assert_int_eq(do_schedule(t, 1), 0);
	kswapd = find_task_by_pid(3);
	ck_assert_str_eq(kswapd->comm, "kswapd0");
	memset(&sim_costs, 0, sizeof(sim_costs));
	sim_costs.reclaim_page = 1;
	steal_k = vmstat.events[PGSTEAL_KSWAPD];
	clock = ktime_get_ns();
	va = mmap_anon(t, 48 * MB, RW);
	touch(t, va, 48 * MB, ACC_WRITE);
	steal_k = vmstat.events[PGSTEAL_KSWAPD] - steal_k;
	ck_assert_uint_gt(steal_k, 0);
	ck_assert_uint_eq(kswapd->stime, steal_k);
	ck_assert_uint_eq(kcpustat[0][CPUTIME_SYSTEM], steal_k);
	ck_assert_uint_eq(ktime_get_ns() - clock,
			  steal_k + vmstat.events[PGSTEAL_DIRECT]);
	ck_assert_uint_eq(t->stime, vmstat.events[PGSTEAL_DIRECT]);

	g = mem_cgroup_create(&root_mem_cgroup, "g", &err);
	ck_assert_ptr_nonnull(g);
	ck_assert_int_eq(mem_cgroup_attach(g, t), 0);
	ck_assert_int_eq(mem_cgroup_set_limit(g, MEMCG_LIMIT_MAX, 256), 0);
	stime = t->stime;
	va = mmap_anon(t, 4 * MB, RW);
	touch(t, va, 4 * MB, ACC_WRITE);
	steal_d = memcg_events(g, PGSTEAL_DIRECT);	/* a group's own */
	ck_assert_uint_gt(steal_d, 0);
	ck_assert_uint_eq(t->stime - stime, steal_d);
	ck_assert_int_eq(do_exit(t, 0), 0);
	reap(init_task(), t->pid);
	ck_assert_int_eq(mem_cgroup_remove(g), 0);
	shutdown();
}
END_TEST

/* load_of - avenrun[i] as a fraction. */
static double load_of(int i)
{
	return (double)avenrun[i] / FIXED_1;
}

#define LOAD_FREQ_NS	(5000000000ULL + 10000000ULL)

/* With one task running for a minute of machine time, the 1-, 5- and
 * 15-minute loads reach 1 - e^(-t/T) as sampled every LOAD_FREQ; one
 * charge across the same minute gives the same loads (calc_load_n). */
START_TEST(loadavg_decays)
{
	unsigned long stepped[3];

	boot_one(64 * MB, 0);
	ck_assert_uint_eq(nr_running(), 1);	/* init, current on CPU 0 */
	for (int i = 0; i < 12; i++)
		account_time(NULL, 0, CPUTIME_USER, LOAD_FREQ_NS);
	ck_assert(fabs(load_of(0) - (1 - exp(-12 * 5.01 / 60))) < 0.01);
	ck_assert(fabs(load_of(1) - (1 - exp(-12 * 5.01 / 300))) < 0.01);
	ck_assert(fabs(load_of(2) - (1 - exp(-12 * 5.01 / 900))) < 0.01);
	memcpy(stepped, avenrun, sizeof(stepped));
	kernel_shutdown();

	boot_one(64 * MB, 0);
	account_time(NULL, 0, CPUTIME_USER, 12 * LOAD_FREQ_NS);
	/* calc_load rounds up at each step while the load rises: 12 steps
	 * may end a little above one step of 12 periods. */
	for (int i = 0; i < 3; i++)
		ck_assert_uint_le(labs((long)avenrun[i] - (long)stepped[i]), 12);
	for (int i = 0; i < 12; i++)
		account_time(NULL, 0, CPUTIME_USER, LOAD_FREQ_NS);
	ck_assert(load_of(0) > 0.85);
	shutdown();
}
END_TEST

/* scenario - the same work on a fresh machine; its times into out. */
static void scenario(uint64_t out[4])
{
	struct task_struct *p, *c;
	uint64_t va;

	boot_one(64 * MB, 8 * MB);
	p = fork_of(init_task());
	va = mmap_anon(p, 256 * PAGE_SIZE, RW);
	touch(p, va, 256 * PAGE_SIZE, ACC_WRITE);
	c = fork_of(p);
	touch(c, va, 128 * PAGE_SIZE, ACC_WRITE);
	ck_assert_int_eq(do_madvise(p, va, 64 * PAGE_SIZE, MADV_PAGEOUT), 0);
	touch(p, va, 256 * PAGE_SIZE, ACC_READ);
	out[0] = ktime_get_ns();
	out[1] = p->utime + 1000 * p->stime;
	out[2] = c->utime + 1000 * c->stime;
	out[3] = kcpustat[0][CPUTIME_IOWAIT];
	ck_assert_uint_gt(out[3], 0);
	shutdown();
}

START_TEST(same_work_same_times)
{
	uint64_t a[4], b[4];

	scenario(a);
	scenario(b);
	ck_assert_mem_eq(a, b, sizeof(a));
}
END_TEST

static Suite *time_suite(void)
{
	Suite *s = suite_create("time");
	TCase *tc = tcase_create("clock");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, faults_are_charged_once);
	tcase_add_test(tc, cow_copies_are_charged);
	tcase_add_test(tc, swap_in_waits);
	tcase_add_test(tc, syscalls_and_remote_access);
	tcase_add_test(tc, reclaim_is_charged_to_the_reclaimer);
	tcase_add_test(tc, loadavg_decays);
	tcase_add_test(tc, same_work_same_times);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(time_suite());
}
