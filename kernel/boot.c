/*
 * boot.c - boot and shutdown of the simulated machine (Linux's
 * init/main.c start_kernel, mm_core_init), the kernel's clock and its
 * random numbers.
 *
 * Physical memory at boot: the first 64 KiB are reserved (as x86 Linux
 * reserves them, CONFIG_X86_RESERVE_LOW), then a kernel image of 1 MiB at
 * 1 MiB (64 KiB right after the low area on machines under 8 MiB) whose
 * first frame is the shared zero page and second the kernel's own
 * top-level table (swapper_pg_dir); every other frame goes to the buddy
 * allocator.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include "mm/memcontrol.h"
#include "mm/slab.h"
#include "mm/mm.h"
#include "mm/page_alloc.h"
#include "mm/vma.h"
#include "mm/vmstat.h"
#include "mm/vmalloc.h"
#include "mm/swap.h"
#include "mm/replace.h"
#include "internal.h"
#include "exec/binfmts.h"
#include "kernel/kernel.h"
#include "kernel/time.h"
#include "kernel/trace.h"
#include "kernel/printk.h"

struct hw hw;
struct boot_params boot_params;
struct sysctl_vm sysctl_vm;
uint64_t kernel_image_start, kernel_image_end;
uint64_t zero_pfn;
uint64_t swapper_pgd;
uint64_t nr_boot_free_pages;
struct list_head all_mms = LIST_HEAD_INIT(all_mms);
uint64_t boot_wall_ns;

/* host_now_ns - the host's monotonic clock. */
static uint64_t host_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static uint64_t random_state;

/* A fixed seed: without --aslr the random numbers (AT_RANDOM's bytes)
 * are the same at every boot, as everything else is. */
#define FIXED_SEED	0x6d6d7566735f7273ULL

/* seed_random - seed the generator: with --aslr from the host (or its
 * clock), else with FIXED_SEED. */
static void seed_random(void)
{
	random_state = FIXED_SEED;
	if (boot_params.aslr &&
	    getrandom(&random_state, sizeof(random_state), 0) !=
	    sizeof(random_state))
		random_state = host_now_ns();
	random_state |= 1;
}

/* get_random_u64 - see kernel.h. */
uint64_t get_random_u64(void)
{
	random_state ^= random_state >> 12;
	random_state ^= random_state << 25;
	random_state ^= random_state >> 27;
	return random_state * 0x2545f4914f6cdd1dULL;
}

/* randomize - see kernel.h. */
uint64_t randomize(uint64_t range)
{
	if (!boot_params.aslr || range < PAGE_SIZE)
		return 0;
	return (get_random_u64() % (range >> PAGE_SHIFT)) << PAGE_SHIFT;
}

/* sysctl_defaults - Linux's defaults for every tunable. */
static void sysctl_defaults(void)
{
	sysctl_vm = (struct sysctl_vm){
		.max_map_count = 65530,
		.overcommit_memory = 0,
		.overcommit_ratio = 50,
		.overcommit_kbytes = 0,
		.swappiness = 60,
		.page_cluster = 3,
		.fault_around_bytes = 65536,
		.mmap_min_addr = 65536,
		.pid_max = 32768,
		.rlimit_stack = 8ULL << 20,
	};
}

/* validate_params - 0 or -EINVAL for a machine that cannot be built. */
static int validate_params(const struct boot_params *bp)
{
	if (bp->mem_bytes < (1ULL << 20) || bp->mem_bytes > (64ULL << 30) ||
	    !PAGE_ALIGNED(bp->mem_bytes))
		return -EINVAL;
	if (bp->mode == PAGING_2LEVEL && bp->mem_bytes > (4ULL << 30))
		return -EINVAL;
	if (bp->nr_cpus < 1 || bp->nr_cpus > 64)
		return -EINVAL;
	if (bp->nr_nodes < 0 || bp->nr_nodes > MAX_NUMNODES ||
	    (bp->nr_nodes > 1 && (bp->mem_bytes >> PAGE_SHIFT) <
	     (uint64_t)bp->nr_nodes * NODE_MIN_PAGES))
		return -EINVAL;
	return 0;
}

/* setup_physmem - reserve the low area and the kernel image, free the
 * rest, set the watermarks. */
static void setup_physmem(uint64_t nr)
{
	uint64_t img = nr >= 2048 ? 256 : RESERVE_LOW_PAGES;
	uint64_t img_len = nr >= 2048 ? 256 : 16;

	page_alloc_init_nodes(nr, boot_params.mode == PAGING_4LEVEL,
			      MAX(boot_params.nr_nodes, 1));
	kernel_image_start = img;
	kernel_image_end = img + img_len;
	memblock_reserve_range(0, RESERVE_LOW_PAGES);
	memblock_reserve_range(kernel_image_start, kernel_image_end);
	memblock_free_range(RESERVE_LOW_PAGES, kernel_image_start);
	memblock_free_range(kernel_image_end, nr);
	zero_pfn = kernel_image_start;
	SetPageFlag(pfn_to_page(zero_pfn), PG_zero);
	swapper_pgd = (kernel_image_start + 1) << PAGE_SHIFT;
	min_free_kbytes = calculate_min_free_kbytes();
	setup_per_zone_wmarks();
}

/* new_task - a task with pid, comm and no parent, linked in. */
static struct task_struct *new_task(const char *comm, bool kthread)
{
	struct task_struct *t = alloc_task_struct();
	int pid = alloc_pid();

	if (!t || pid < 0 || alloc_thread_stack_node(t)) {
		if (t)
			free_task_struct(t);
		return NULL;
	}
	t->pid = t->tgid = pid;
	t->group_leader = t;
	t->kthread = kthread;
	task_set_comm(t, comm);
	attach_pid(t);
	return t;
}

/* exec_init - pid 1 runs init_path (argv = { path }, no environment), as
 * the kernel's run_init_process. 0 or the exec's -errno. */
static int exec_init(struct task_struct *init)
{
	char *argv[] = { (char *)boot_params.init_path, NULL };
	struct exec_args a = { boot_params.init_path, 1, argv, 0, NULL, 0 };
	int err;

	do_execve(init, &a, &err);
	return err;
}

/* start_kswapds - a kswapd<nid> kernel thread per node, in node order,
 * children of kthreadd (Linux's kswapd_run from kswapd_init). 0 or
 * -ENOMEM. */
static int start_kswapds(struct task_struct *kthreadd)
{
	char comm[32];
	int nid;

	for_each_online_node(nid) {
		struct task_struct *kswapd;

		snprintf(comm, sizeof(comm), "kswapd%d", nid);
		kswapd = new_task(comm, true);
		if (!kswapd)
			return -ENOMEM;
		kswapd->real_parent = kthreadd;
		list_add_tail(&kswapd->sibling, &kthreadd->children);
		kswapd_reset(nid, kswapd);
	}
	return 0;
}

/* start_init - pid 1 with an empty address space: only a [stack], and the
 * brk where an empty PIE loaded at ELF_ET_DYN_BASE would have it. */
static int start_init(void)
{
	struct task_struct *init = new_task("init", false), *kthreadd;
	struct mm_struct *mm;

	if (!init)
		return -ENOMEM;
	mm = mm_alloc();
	if (!mm)
		return -ENOMEM;
	init->mm = init->active_mm = mm;
	if (setup_new_stack(mm))
		return -ENOMEM;
	mm->start_brk = mm->brk = (elf_et_dyn_base(mm) & PAGE_MASK) +
				  randomize(32ULL << 20);
	kthreadd = new_task("kthreadd", true);
	if (!kthreadd)
		return -ENOMEM;
	if (start_kswapds(kthreadd))
		return -ENOMEM;
	context_switch(0, init);
	return boot_params.init_path ? exec_init(init) : 0;
}

/* kernel_boot - see kernel.h. */
int kernel_boot(const struct boot_params *bp)
{
	struct hw_config cfg;
	uint64_t nr = bp->mem_bytes >> PAGE_SHIFT;
	int err, i;

	err = validate_params(bp);
	if (err)
		return err;
	boot_params = *bp;
	sysctl_defaults();
	memset(&vmstat, 0, sizeof(vmstat));
	memset(cpu_active_mm, 0, sizeof(cpu_active_mm));
	memset(irq_stat, 0, sizeof(irq_stat));
	INIT_LIST_HEAD(&all_mms);
	INIT_LIST_HEAD(&task_list);
	nr_tasks = 0;
	vm_committed_as = 0;
	time_init();
	seed_random();
	{
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		boot_wall_ns = (uint64_t)ts.tv_sec * 1000000000ULL +
			       (uint64_t)ts.tv_nsec;
	}
	trace_reset();
	log_reset();
	swap_areas_reset();
	swap_ra_reset();
	cfg = (struct hw_config){ nr, bp->nr_cpus, bp->tlb_entries,
				  bp->tlb_ways, bp->mode, bp->pcid };
	err = hw_init(&hw, &cfg);
	if (err)
		return err;
	err = mem_map_init(nr);
	if (err) {
		hw_destroy(&hw);
		return err;
	}
	setup_physmem(nr);
	vmalloc_reset();
	err = kernel_pagetable_init();
	if (err) {
		mem_map_destroy();
		hw_destroy(&hw);
		return err;
	}
	err = kmem_cache_init();
	if (!err)
		err = mem_cgroup_init();
	if (err) {
		kernel_shutdown();
		return err;
	}
	replace_reset();
	vdso_init();
	hw_set_exception_handler(&hw, do_exception, NULL);
	hw.smap = cpu_has(&hw, X86_FEATURE_SMAP);	/* setup_smap */
	for (i = 0; i < hw.nr_cpus; i++)
		cpu_write_cr3(&hw.cpus[i], swapper_pgd, 0);
	err = pid_table_init();
	if (!err && bp->swap_bytes)
		err = MIN(sys_swapon(bp->swap_bytes, 0, false), 0);
	if (!err)
		err = start_init();
	if (err) {
		kernel_shutdown();
		return err;
	}
	/* Every free frame in the buddy: the figure tests compare with. */
	drain_all_pages(NULL);
	nr_boot_free_pages = nr_free_pages();
	return 0;
}

/* kernel_shutdown - see kernel.h. */
void kernel_shutdown(void)
{
	free_all_tasks();
	BUG_ON(!list_empty(&all_mms));
	filemap_shrink(UINT64_MAX, true);
	BUG_ON(!list_empty(&file_cache));
	for (int i = 0; i < MAX_SWAPFILES; i++)
		BUG_ON(swap_info[i] && swap_info[i]->inuse_pages);
	swap_areas_reset();
	for (int nid = 0; nid < MAX_NUMNODES; nid++)
		kswapd_reset(nid, NULL);
	replace_reset();
	vmalloc_reset();	/* its areas' objects go back to the caches */
	mem_cgroup_shutdown();
	kmem_cache_shrink_all(true);
	kmem_cache_destroy_all();
	mem_map_destroy();
	hw_destroy(&hw);
	memset(&hw, 0, sizeof(hw));
}
