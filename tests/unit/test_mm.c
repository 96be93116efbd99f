/*
 * test_mm.c - scenarios of the memory manager on a booted machine, with
 * exact fault counts, and the invariant checker run after every one.
 */
#include <check.h>
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "exec/binfmts.h"
#include "kernel/kernel.h"
#include "kernel/errstr.h"
#include "kernel/printk.h"
#include "mm/vmalloc.h"
#include "mm/mm.h"
#include "mm/slab.h"
#include "mm/page_alloc.h"
#include "mm/pgtable.h"
#include "kernel/sched.h"
#include "mm/vma.h"
#include "mm/vmstat.h"
#include "machine.h"

static void boot_with(uint64_t mem, int cpus, bool pcid)
{
	boot_machine(mem, cpus, pcid, PAGING_4LEVEL);
}

static void boot(void)
{
	boot_with(128 * MB, 1, false);
}

static void shutdown(void)
{
	assert_check();
	kernel_shutdown();
}

/* ---- boot ---- */

/* slab_orders - Linux's calculate_order: on 2 CPUs (min_objects 12) the
 * orders and objects per slab the reference host's slabinfo shows for
 * these sizes; on 1 CPU (min_objects 8) mm_struct takes order 2. */
START_TEST(slab_orders)
{
	static const struct { unsigned int size, cpus, order; } c[] = {
		{ 104, 2, 0 }, { 192, 2, 0 }, { 512, 2, 1 }, { 1024, 2, 2 },
		{ 1600, 2, 3 }, { 2048, 2, 3 }, { 5888, 2, 3 }, { 8192, 2, 3 },
		{ 1600, 1, 2 }, { 8, 2, 0 },
	};

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++)
		ck_assert_uint_eq(calculate_order(c[i].size, (int)c[i].cpus),
				  c[i].order);
}
END_TEST

/* slabs_follow_processes - 40 children take task_struct and mm_struct
 * slabs (5 and 10 objects a slab on one CPU); as they exit, slabs that
 * empty are freed past min_partial (5) partial slabs, drop_caches 2
 * returns the rest, and the objects in use are init's and the kernel
 * threads' again. */
START_TEST(slabs_follow_processes)
{
	struct task_struct *p, *kids[40];
	uint64_t free0;

	boot();
	p = init_task();
	free0 = nr_free_drained();
	ck_assert_uint_eq(task_struct_cachep->inuse, 3);
	for (int i = 0; i < 40; i++)
		kids[i] = fork_of(p);
	ck_assert_uint_eq(task_struct_cachep->inuse, 43);
	ck_assert_uint_eq(task_struct_cachep->nr_slabs, 9);
	ck_assert_uint_eq(mm_cachep->inuse, 41);
	ck_assert_uint_eq(mm_cachep->nr_slabs, 5);
	assert_check();
	for (int i = 0; i < 40; i++) {
		int pid = kids[i]->pid;

		do_exit_group(kids[i], 0);
		reap(p, pid);
	}
	ck_assert_uint_eq(task_struct_cachep->inuse, 3);
	ck_assert_uint_le(task_struct_cachep->nr_partial,
			  task_struct_cachep->min_partial);
	assert_check();
	drop_caches(2);
	ck_assert_uint_eq(task_struct_cachep->nr_slabs, 1);
	ck_assert_uint_eq(mm_cachep->nr_slabs, 1);
	ck_assert_uint_eq(nr_free_drained(), free0);
	assert_check();
	shutdown();
}
END_TEST

/* exit_and_reap - child t of init exits and is reaped. */
static void exit_and_reap(struct task_struct *t)
{
	int pid = t->pid;

	do_exit_group(t, 0);
	reap(init_task(), pid);
}

/* kmalloc_picks_caches - Linux's kmalloc_index: the smallest cache that
 * holds the size, 96 and 192 between their powers of two; above 8 KiB a
 * block of whole frames (kmalloc_large) counted in SUnreclaim, marked,
 * named by frames/, and given back by kfree. */
START_TEST(kmalloc_picks_caches)
{
	static const struct { size_t size; const char *cache; } c[] = {
		{ 1, "kmalloc-8" }, { 8, "kmalloc-8" }, { 9, "kmalloc-16" },
		{ 33, "kmalloc-64" }, { 64, "kmalloc-64" },
		{ 65, "kmalloc-96" }, { 96, "kmalloc-96" },
		{ 97, "kmalloc-128" }, { 129, "kmalloc-192" },
		{ 192, "kmalloc-192" }, { 193, "kmalloc-256" },
		{ 1000, "kmalloc-1k" }, { 4097, "kmalloc-8k" },
		{ 8192, "kmalloc-8k" },
	};
	uint64_t unrec, pa, objs[ARRAY_SIZE(c)], inuse0[KMALLOC_SHIFT_HIGH + 1];

	boot();
	for (unsigned int i = 1; i <= KMALLOC_SHIFT_HIGH; i++)
		inuse0[i] = kmalloc_caches[i]->inuse;	/* the root memcg's */
	for (size_t i = 0; i < ARRAY_SIZE(c); i++) {
		struct kmem_cache *s = kmalloc_caches[kmalloc_index(c[i].size)];
		uint64_t inuse = s->inuse;

		ck_assert_str_eq(s->name, c[i].cache);
		objs[i] = kmalloc(c[i].size);
		ck_assert_uint_ne(objs[i], 0);
		ck_assert_ptr_eq(slab_cache_of(pfn_to_page(objs[i] >>
							    PAGE_SHIFT)), s);
		ck_assert_uint_eq(s->inuse, inuse + 1);
	}
	for (size_t i = 0; i < ARRAY_SIZE(c); i++)
		kfree(objs[i]);
	for (unsigned int i = 1; i <= KMALLOC_SHIFT_HIGH; i++)
		ck_assert_uint_eq(kmalloc_caches[i]->inuse, inuse0[i]);
	unrec = global_node_page_state(NR_SLAB_UNRECLAIMABLE);
	pa = kmalloc(8193);		/* order 2 */
	ck_assert_uint_ne(pa, 0);
	ck_assert_uint_eq(pa & (4 * PAGE_SIZE - 1), 0);
	ck_assert(PageFlag(pfn_to_page(pa >> PAGE_SHIFT), PG_large_kmalloc));
	ck_assert_uint_eq(kmalloc_large_pages(), 4);
	ck_assert_uint_eq(global_node_page_state(NR_SLAB_UNRECLAIMABLE),
			  unrec + 4);
	ck_assert_uint_eq(slab_pages(false),
			  global_node_page_state(NR_SLAB_UNRECLAIMABLE));
	assert_check();
	kfree(pa);
	ck_assert_uint_eq(kmalloc_large_pages(), 0);
	ck_assert_uint_eq(global_node_page_state(NR_SLAB_UNRECLAIMABLE), unrec);
	ck_assert_uint_eq(free_pages_after_exit(), nr_boot_free_pages);
	shutdown();
}
END_TEST

/* radix_nodes_follow_page_cache - the radix_tree_node objects of a shmem
 * object are the nodes of Linux's xarray for its used slots: none for
 * slot 0 alone (the head holds it), one node for slots under 64, a root
 * and two leaves once slot 64 is used, a third level for slot 4097; the
 * last unmap frees every node. */
START_TEST(radix_nodes_follow_page_cache)
{
	struct task_struct *t;
	uint64_t a, len = (4096 + 2) * PAGE_SIZE;
	struct address_space *m;

	boot();
	t = fork_of(init_task());
	a = map_at(t, 0, len, RW, MAP_SHARED | MAP_ANONYMOUS);
	m = find_vma(t->mm, a)->vm_file;
	ck_assert_uint_eq(radix_tree_node_cachep->inuse, 0);
	touch(t, a, PAGE_SIZE, ACC_WRITE);
	ck_assert_uint_eq(m->i_pages.nr_nodes, 0);
	touch(t, a + PAGE_SIZE, PAGE_SIZE, ACC_WRITE);
	ck_assert_uint_eq(m->i_pages.nr_nodes, 1);
	touch(t, a + 64 * PAGE_SIZE, PAGE_SIZE, ACC_WRITE);
	ck_assert_uint_eq(m->i_pages.nr_nodes, 3);
	touch(t, a + 4097 * PAGE_SIZE, PAGE_SIZE, ACC_WRITE);
	/* root, two level-1 nodes, three leaves */
	ck_assert_uint_eq(m->i_pages.nr_nodes, 6);
	ck_assert_uint_eq(radix_tree_node_cachep->inuse, 6);
	ck_assert(radix_tree_node_cachep->reclaimable);
	ck_assert_uint_eq(global_node_page_state(NR_SLAB_RECLAIMABLE),
			  radix_tree_node_cachep->nr_slabs <<
			  radix_tree_node_cachep->order);
	assert_check();
	ck_assert_int_eq(do_munmap(t->mm, a, len), 0);
	ck_assert_uint_eq(radix_tree_node_cachep->inuse, 0);
	exit_and_reap(t);
	ck_assert_uint_eq(free_pages_after_exit(), nr_boot_free_pages);
	shutdown();
}
END_TEST

/* file_objects_follow_host_files - a mapped host file holds one filp and
 * one inode_cache object while the kernel keeps it open (after the
 * unmap, as long as its page cache), and xarray nodes for its cached
 * pages; drop_caches 3 frees them all and every slab empties. */
START_TEST(file_objects_follow_host_files)
{
	static const char path[] = "/tmp/mmufs-unit-filp";
	struct task_struct *t, *u;
	uint64_t a, b, n = 100;
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	for (uint64_t i = 0; i < n * PAGE_SIZE; i++)
		fputc('x', f);
	fclose(f);
	boot();
	t = fork_of(init_task());
	u = fork_of(init_task());
	a = do_mmap_file(t, 0, n * PAGE_SIZE, PROT_READ, MAP_PRIVATE, path, 0);
	b = do_mmap_file(u, 0, n * PAGE_SIZE, PROT_READ, MAP_SHARED, path, 0);
	ck_assert(!IS_ERR_VALUE(a) && !IS_ERR_VALUE(b));
	ck_assert_uint_eq(filp_cachep->inuse, 1);	/* opened once */
	ck_assert_uint_eq(inode_cachep->inuse, 1);
	touch(t, a, n * PAGE_SIZE, ACC_READ);
	ck_assert_uint_eq(radix_tree_node_cachep->inuse, 3);	/* 100 pages */
	assert_check();
	exit_and_reap(t);
	/* u maps none of the pages: they go, and the tree shrinks away. */
	drop_caches(1);
	ck_assert_uint_eq(radix_tree_node_cachep->inuse, 0);
	ck_assert_uint_eq(filp_cachep->inuse, 1);
	touch(u, b + 70 * PAGE_SIZE, PAGE_SIZE, ACC_READ);
	ck_assert_uint_eq(radix_tree_node_cachep->inuse, 3);
	assert_check();
	exit_and_reap(u);
	ck_assert_uint_eq(filp_cachep->inuse, 1);	/* the cache stays */
	drop_caches(3);
	ck_assert_uint_eq(filp_cachep->inuse, 0);
	ck_assert_uint_eq(inode_cachep->inuse, 0);
	ck_assert_uint_eq(radix_tree_node_cachep->inuse, 0);
	for (struct list_head *l = slab_caches.next; l != &slab_caches;
	     l = l->next) {
		struct kmem_cache *s = list_entry(l, struct kmem_cache, list);

		ck_assert_uint_eq(s->nr_slabs, s->inuse ? s->nr_slabs : 0);
	}
	ck_assert_uint_eq(free_pages_after_exit(), nr_boot_free_pages);
	shutdown();
	remove(path);
}
END_TEST

START_TEST(boot_layout)
{
	struct task_struct *init;
	struct mm_struct *mm;

	boot();
	init = init_task();
	ck_assert_ptr_nonnull(init);
	mm = init->mm;
	ck_assert_ptr_nonnull(mm);
	ck_assert_uint_eq(mm->task_size, 0x7ffffffff000ULL);
	ck_assert_uint_eq(mm->mmap_base, 0x7ffff7fff000ULL);
	ck_assert_int_eq(mm->map_count, 1);
	ck_assert_uint_eq(mm->mmap->vm_start, 0x7ffffffde000ULL);
	ck_assert_uint_eq(mm->mmap->vm_end, 0x7ffffffff000ULL);
	ck_assert_uint_eq(mm->start_brk, 0x555555554000ULL);
	ck_assert(find_task_by_pid(2)->kthread);
	ck_assert_ptr_null(find_task_by_pid(2)->mm);
	ck_assert(PageReserved(pfn_to_page(zero_pfn)));
	ck_assert_uint_eq(zones[ZONE_DMA].spanned_pages, 4096);
	ck_assert_uint_eq(zones[ZONE_DMA32].spanned_pages, 32768 - 4096);
	ck_assert_uint_eq(free_pages_after_exit(), nr_boot_free_pages);
	shutdown();
}
END_TEST

/* boot_layout_i386 - a 32-bit machine is laid out as a native i386 kernel
 * lays out a process: TASK_SIZE 0xc0000000 (the 3G/1G split), the stack
 * below it, mmap_base 128 MiB lower (legacy: TASK_UNMAPPED_BASE, a third
 * of TASK_SIZE), the brk of an empty space at ELF_ET_DYN_BASE (4 MiB, not
 * 2/3 of TASK_SIZE), and no THP alignment for 4 MiB of anonymous memory
 * (32-bit kernels have none). */
START_TEST(boot_layout_i386)
{
	struct boot_params bp = {
		.mem_bytes = 64 * MB, .nr_cpus = 1, .tlb_entries = 64,
		.tlb_ways = 4, .mode = PAGING_2LEVEL,
	};
	uint64_t small, big;
	struct mm_struct *mm;
	int legacy;

	for (legacy = 0; legacy < 2; legacy++) {
		bp.legacy_layout = legacy;
		ck_assert_int_eq(kernel_boot(&bp), 0);
		mm = init_task()->mm;
		ck_assert_uint_eq(mm->task_size, 0xc0000000ULL);
		ck_assert_uint_eq(mm->mmap->vm_end, 0xc0000000ULL);
		ck_assert_uint_eq(mm->mmap_base,
				  legacy ? 0x40000000ULL : 0xb8000000ULL);
		ck_assert_uint_eq(elf_et_dyn_base(mm), 0x400000ULL);
		ck_assert_uint_eq(mm->start_brk, 0x400000ULL);
		small = mmap_anon(init_task(), 4 * PAGE_SIZE, RW);
		big = mmap_anon(init_task(), 4 * MB, RW);
		ck_assert_uint_eq(small, legacy ? 0x40000000ULL :
				  0xb8000000ULL - 4 * PAGE_SIZE);
		ck_assert_uint_eq(big, legacy ? small + 4 * PAGE_SIZE :
				  small - 4 * MB);
		shutdown();
	}
}
END_TEST

/* --aslr: mmap_base, the stack top and the brk move by Linux's ranges, and
 * differently on each boot. */
START_TEST(aslr_layout)
{
	uint64_t base[2], top[2], brk[2];
	int i;

	for (i = 0; i < 2; i++) {
		struct boot_params bp = {
			.mem_bytes = 128 * MB, .nr_cpus = 1, .tlb_entries = 64,
			.tlb_ways = 4, .aslr = true,
		};
		struct mm_struct *mm;

		ck_assert_int_eq(kernel_boot(&bp), 0);
		mm = init_task()->mm;
		base[i] = mm->mmap_base;
		top[i] = mm->mmap->vm_end;
		brk[i] = mm->start_brk;
		/* gap = 8 MiB rlimit + 1 MiB guard + 16 GiB stack range. */
		ck_assert_uint_le(base[i], 0x7ffffffff000ULL - (16ULL << 30) -
				  (9ULL << 20));
		ck_assert_uint_ge(base[i], 0x7ffffffff000ULL - (16ULL << 30) -
				  (9ULL << 20) - (1ULL << 40));
		ck_assert_uint_gt(top[i], 0x7ffffffff000ULL - (16ULL << 30));
		ck_assert_uint_ge(brk[i], 0x555555554000ULL);
		ck_assert_uint_lt(brk[i], 0x555555554000ULL + (32ULL << 20));
		ck_assert(PAGE_ALIGNED(base[i] | top[i] | brk[i]));
		ck_assert_uint_eq(mmap_anon(init_task(), PAGE_SIZE, RW),
				  base[i] - PAGE_SIZE);
		assert_check();
		kernel_shutdown();
	}
	ck_assert_uint_ne(base[0], base[1]);
	ck_assert_uint_ne(top[0], top[1]);
}
END_TEST

START_TEST(boot_rejects_bad_params)
{
	struct boot_params bp = { .mem_bytes = 512 * 1024, .nr_cpus = 1,
				  .tlb_entries = 64, .tlb_ways = 4 };

	ck_assert_int_eq(kernel_boot(&bp), -EINVAL);
	bp.mem_bytes = 128 * MB + 100;
	ck_assert_int_eq(kernel_boot(&bp), -EINVAL);
	bp.mem_bytes = 128 * MB;
	bp.nr_cpus = 0;
	ck_assert_int_eq(kernel_boot(&bp), -EINVAL);
	bp.nr_cpus = 1;
	bp.tlb_entries = 63;
	ck_assert_int_ne(kernel_boot(&bp), 0);
	bp.tlb_entries = 64;
	ck_assert_int_eq(kernel_boot(&bp), 0);
	shutdown();
}
END_TEST

/* ---- faults ---- */

START_TEST(demand_zero_write)
{
	struct task_struct *t;
	uint64_t a, before;

	boot();
	t = init_task();
	a = mmap_anon(t, 16 * PAGE_SIZE, RW);
	before = nr_free_drained();
	ck_assert_uint_eq(touch(t, a, 16 * PAGE_SIZE, ACC_WRITE), 16);
	ck_assert_uint_eq(t->fault_counts[FO_ANON], 16);
	ck_assert_uint_eq(t->min_flt, 16);
	ck_assert_int_eq(t->mm->rss_stat[MM_ANONPAGES], 16);
	/* 16 pages plus a PDPT, a PD and a PT (init's stack has no page
	 * yet, so only the top-level table existed), and a slab for the
	 * first fault's anon_vma (init had none). */
	ck_assert_uint_eq(before - nr_free_drained(), 20);
	ck_assert_uint_eq(anon_vma_cachep->nr_slabs, 1);
	/* Again: every access hits. */
	ck_assert_uint_eq(touch(t, a, 16 * PAGE_SIZE, ACC_WRITE), 0);
	shutdown();
}
END_TEST

START_TEST(read_then_write_two_faults_per_page)
{
	struct task_struct *t;
	uint64_t a, i, n = 8;

	boot();
	t = init_task();
	a = mmap_anon(t, n * PAGE_SIZE, RW);
	ck_assert_uint_eq(touch(t, a, n * PAGE_SIZE, ACC_READ), n);
	for (i = 0; i < n; i++) {
		pte_t p = pte_of(t, a + i * PAGE_SIZE);

		ck_assert_uint_eq(pte_pfn(p), zero_pfn);
		ck_assert(!pte_write_ok(p));
	}
	ck_assert_int_eq(t->mm->rss_stat[MM_ANONPAGES], 0);
	ck_assert_uint_eq(touch(t, a, n * PAGE_SIZE, ACC_WRITE), n);
	ck_assert_uint_eq(t->fault_counts[FO_ZERO], n);
	ck_assert_uint_eq(t->fault_counts[FO_COW_COPY], n);
	ck_assert_uint_eq(t->min_flt, 2 * n);
	for (i = 0; i < n; i++)
		ck_assert_uint_ne(pfn_of(t, a + i * PAGE_SIZE), zero_pfn);
	ck_assert_int_eq(t->mm->rss_stat[MM_ANONPAGES], (int64_t)n);
	ck_assert_int_eq(vmstat.node[NR_ZERO_MAPPED], 0);
	shutdown();
}
END_TEST

START_TEST(data_survives_and_reads_back)
{
	struct task_struct *t;
	char out[32] = { 0 };
	uint64_t a;

	boot();
	t = init_task();
	a = mmap_anon(t, 2 * PAGE_SIZE, RW);
	/* A store across the page boundary. */
	ck_assert_int_eq(user_access(t, a + PAGE_SIZE - 5, "hello world", 11,
				     true), 0);
	ck_assert_int_eq(user_access(t, a + PAGE_SIZE - 5, out, 11, false), 0);
	ck_assert_str_eq(out, "hello world");
	memset(out, 0, sizeof(out));
	ck_assert_uint_eq(access_remote_vm(t, a + PAGE_SIZE - 5, out, 11,
					   false), 11);
	ck_assert_str_eq(out, "hello world");
	shutdown();
}
END_TEST

START_TEST(sigsegv_outside_vma)
{
	struct task_struct *init, *c;
	uint64_t faults;
	int pid, rpid, status;

	boot();
	init = init_task();
	c = fork_of(init);
	pid = c->pid;
	ck_assert_int_eq(user_touch(c, 0x10000000, 1, ACC_READ, &faults),
			 -EFAULT);
	ck_assert_uint_eq(faults, 1);
	ck_assert_int_eq(c->exit_state, EXIT_ZOMBIE);
	ck_assert_ptr_null(c->mm);
	ck_assert_uint_eq(vmstat.events[MMUFS_FAULT_FIRST + FO_SIGSEGV], 1);
	ck_assert_int_eq(do_wait(init, -1, &rpid, &status), 0);
	ck_assert_int_eq(rpid, pid);
	ck_assert_int_eq(status, SIGSEGV);
	ck_assert_int_eq(do_wait(init, -1, &rpid, &status), -ECHILD);
	ck_assert_uint_eq(free_pages_after_exit(), nr_boot_free_pages);
	shutdown();
}
END_TEST

START_TEST(sigsegv_write_to_readonly)
{
	struct task_struct *init, *c;
	uint64_t a;
	char x = 1;

	boot();
	init = init_task();
	c = fork_of(init);
	a = mmap_anon(c, PAGE_SIZE, PROT_READ);
	ck_assert_uint_eq(touch(c, a, PAGE_SIZE, ACC_READ), 1);
	ck_assert_int_eq(user_access(c, a, &x, 1, true), -EFAULT);
	ck_assert_int_eq(c->exit_state, EXIT_ZOMBIE);
	ck_assert_int_eq(c->exit_code, SIGSEGV);
	reap(init, c->pid);
	shutdown();
}
END_TEST

START_TEST(sigsegv_noncanonical_and_nx)
{
	struct task_struct *init, *c;
	uint64_t faults, a;

	boot();
	init = init_task();
	c = fork_of(init);
	ck_assert_int_eq(user_touch(c, 0x800000000000ULL, 1, ACC_READ, &faults),
			 -EFAULT);
	ck_assert_int_eq(c->exit_state, EXIT_ZOMBIE);
	reap(init, c->pid);
	c = fork_of(init);
	a = mmap_anon(c, PAGE_SIZE, RW);
	/* The fetch maps the page (NX), the retry faults on NX: SIGSEGV. */
	ck_assert_int_eq(user_touch(c, a, 1, ACC_FETCH, &faults), -EFAULT);
	ck_assert_uint_eq(faults, 2);
	ck_assert_int_eq(c->exit_state, EXIT_ZOMBIE);
	reap(init, c->pid);
	shutdown();
}
END_TEST

START_TEST(stack_growth)
{
	struct task_struct *t;
	struct vm_area_struct *stack;
	uint64_t start, faults;

	boot();
	t = init_task();
	stack = t->mm->mmap;
	start = stack->vm_start;
	ck_assert_uint_eq(touch(t, start - 3 * PAGE_SIZE, 1, ACC_WRITE), 1);
	ck_assert_uint_eq(stack->vm_start, start - 3 * PAGE_SIZE);
	ck_assert_uint_eq(t->fault_counts[FO_STACK_GROW], 1);
	ck_assert_uint_eq(t->mm->stack_vm, vma_pages(stack));
	/* Beyond RLIMIT_STACK (8 MiB from the top): SIGSEGV. init cannot
	 * die, so use a child. */
	{
		struct task_struct *c = fork_of(t);

		ck_assert_int_eq(user_touch(c, t->mm->task_size - 8 * MB -
					    PAGE_SIZE, 1, ACC_WRITE, &faults),
				 -EFAULT);
		ck_assert_int_eq(c->exit_state, EXIT_ZOMBIE);
		reap(t, c->pid);
	}
	/* Just within the limit works. */
	ck_assert_uint_eq(touch(t, t->mm->task_size - 8 * MB, 1, ACC_WRITE), 1);
	ck_assert_uint_eq(stack->vm_start, t->mm->task_size - 8 * MB);
	shutdown();
}
END_TEST

START_TEST(stack_guard_gap_kept)
{
	struct task_struct *t, *c;
	uint64_t start, faults, a;

	boot();
	t = init_task();
	start = t->mm->mmap->vm_start;
	/* A mapping 1 MiB + 16 pages below the stack: growing down to
	 * within stack_guard_gap of it is refused. */
	a = do_mmap(t, start - MB - 32 * PAGE_SIZE, 16 * PAGE_SIZE, RW,
		    ANON | MAP_FIXED, 0);
	ck_assert_uint_eq(a, start - MB - 32 * PAGE_SIZE);
	c = fork_of(t);
	ck_assert_int_eq(user_touch(c, start - 32 * PAGE_SIZE, 1, ACC_WRITE,
				    &faults), -EFAULT);
	reap(t, c->pid);
	ck_assert_uint_eq(touch(t, start - 16 * PAGE_SIZE, 1, ACC_WRITE), 1);
	shutdown();
}
END_TEST

/* ---- fork and COW ---- */

START_TEST(fork_child_writes_copy)
{
	struct task_struct *p, *c;
	uint64_t a, i, n = 10, ppfn[10];
	char buf[8];

	boot();
	p = init_task();
	a = mmap_anon(p, n * PAGE_SIZE, RW);
	ck_assert_int_eq(user_access(p, a, "parent", 7, true), 0);
	ck_assert_uint_eq(touch(p, a, n * PAGE_SIZE, ACC_WRITE), n - 1);
	for (i = 0; i < n; i++)
		ppfn[i] = pfn_of(p, a + i * PAGE_SIZE);
	c = fork_of(p);
	for (i = 0; i < n; i++) {
		struct page *pg = pfn_to_page(ppfn[i]);

		ck_assert_uint_eq(pfn_of(c, a + i * PAGE_SIZE), ppfn[i]);
		ck_assert_int_eq(pg->refcount, 2);
		ck_assert_int_eq(pg->mapcount, 2);
		ck_assert(!pte_write_ok(pte_of(p, a + i * PAGE_SIZE)));
		ck_assert(!pte_write_ok(pte_of(c, a + i * PAGE_SIZE)));
	}
	assert_check();
	/* The child reads without faulting. */
	ck_assert_uint_eq(touch(c, a, n * PAGE_SIZE, ACC_READ), 0);
	ck_assert_uint_eq(c->min_flt, 0);
	/* The child writes: one COW copy per page. */
	ck_assert_int_eq(user_access(c, a, "child!", 7, true), 0);
	ck_assert_uint_eq(touch(c, a, n * PAGE_SIZE, ACC_WRITE), n - 1);
	ck_assert_uint_eq(c->fault_counts[FO_COW_COPY], n);
	ck_assert_uint_eq(c->fault_counts[FO_COW_REUSE], 0);
	for (i = 0; i < n; i++) {
		ck_assert_uint_eq(pfn_of(p, a + i * PAGE_SIZE), ppfn[i]);
		ck_assert_uint_ne(pfn_of(c, a + i * PAGE_SIZE), ppfn[i]);
		ck_assert_int_eq(pfn_to_page(ppfn[i])->refcount, 1);
		ck_assert_int_eq(pfn_to_page(ppfn[i])->mapcount, 1);
	}
	ck_assert_int_eq(user_access(p, a, buf, 7, false), 0);
	ck_assert_str_eq(buf, "parent");
	ck_assert_int_eq(user_access(c, a, buf, 7, false), 0);
	ck_assert_str_eq(buf, "child!");
	/* The parent writes now: it is alone on its pages, reuse. */
	ck_assert_uint_eq(touch(p, a, n * PAGE_SIZE, ACC_WRITE), n);
	ck_assert_uint_eq(p->fault_counts[FO_COW_REUSE], n);
	ck_assert_uint_eq(p->fault_counts[FO_COW_COPY], 0);
	assert_check();
	do_exit_group(c, 0);
	reap(p, c->pid);
	ck_assert_uint_eq(p->cmin_flt, n);
	shutdown();
}
END_TEST

START_TEST(fork_parent_writes_after_child_exit)
{
	struct task_struct *p, *c;
	uint64_t a, n = 6, copies;

	boot();
	p = init_task();
	a = mmap_anon(p, n * PAGE_SIZE, RW);
	touch(p, a, n * PAGE_SIZE, ACC_WRITE);
	c = fork_of(p);
	do_exit_group(c, 0);
	reap(p, c->pid);
	copies = p->fault_counts[FO_COW_COPY];
	ck_assert_uint_eq(touch(p, a, n * PAGE_SIZE, ACC_WRITE), n);
	ck_assert_uint_eq(p->fault_counts[FO_COW_REUSE], n);
	ck_assert_uint_eq(p->fault_counts[FO_COW_COPY], copies);
	shutdown();
}
END_TEST

START_TEST(fork_shares_zero_page_and_shared_anon)
{
	struct task_struct *p, *c;
	uint64_t z, s;
	char buf[8] = { 0 };

	boot();
	p = init_task();
	z = mmap_anon(p, 4 * PAGE_SIZE, RW);
	touch(p, z, 4 * PAGE_SIZE, ACC_READ);
	s = do_mmap(p, 0, 4 * PAGE_SIZE, RW, MAP_SHARED | MAP_ANONYMOUS, 0);
	ck_assert(!IS_ERR_VALUE(s));
	ck_assert_int_eq(user_access(p, s, "shared", 7, true), 0);
	c = fork_of(p);
	ck_assert_uint_eq(pfn_of(c, z), zero_pfn);
	ck_assert_int_eq(vmstat.node[NR_ZERO_MAPPED], 8);
	/* Shared mappings are not copied at fork: the child faults them in
	 * from the object and sees the parent's data. */
	ck_assert_uint_eq(pte_of(c, s), 0);
	ck_assert_int_eq(user_access(c, s, buf, 7, false), 0);
	ck_assert_str_eq(buf, "shared");
	ck_assert_uint_eq(pfn_of(c, s), pfn_of(p, s));
	ck_assert_int_eq(user_access(c, s, "wrote", 6, true), 0);
	ck_assert_int_eq(user_access(p, s, buf, 6, false), 0);
	ck_assert_str_eq(buf, "wrote");
	ck_assert_int_eq(c->mm->rss_stat[MM_SHMEMPAGES], 1);
	assert_check();
	do_exit_group(c, 0);
	reap(p, c->pid);
	ck_assert_int_eq(do_munmap(p->mm, s, 4 * PAGE_SIZE), 0);
	ck_assert_int_eq(vmstat.node[NR_SHMEM], 0);
	shutdown();
}
END_TEST

START_TEST(thousand_processes_no_frame_lost)
{
	struct task_struct *p, *kids[1000];
	uint64_t a, base, tables;
	int i;

	boot();
	p = init_task();
	a = mmap_anon(p, 4 * PAGE_SIZE, RW);
	touch(p, a, 4 * PAGE_SIZE, ACC_WRITE);
	base = nr_free_drained();
	tables = init_mm.pgtables_bytes;
	for (i = 0; i < 1000; i++) {
		kids[i] = fork_of(p);
		touch(kids[i], a, PAGE_SIZE, ACC_WRITE);
	}
	ck_assert_int_eq(pfn_to_page(pfn_of(p, a + PAGE_SIZE))->refcount, 1001);
	assert_check();
	for (i = 0; i < 1000; i++)
		do_exit_group(kids[i], 0);
	for (i = 0; i < 1000; i++) {
		int rpid, status;

		ck_assert_int_eq(do_wait(p, -1, &rpid, &status), 0);
	}
	ck_assert_int_eq(nr_tasks, 3);	/* init, kthreadd, kswapd0 */
	/* The kernel page tables made for the 1000 stacks' vmalloc areas
	 * stay, as Linux's do. */
	tables = (init_mm.pgtables_bytes - tables) / PAGE_SIZE;
	ck_assert_uint_gt(tables, 0);
	ck_assert_uint_eq(free_pages_after_exit() + tables, base);
	shutdown();
}
END_TEST

START_TEST(threads_share_mm)
{
	struct task_struct *p, *c, *th;
	uint64_t a;
	int err, tid;

	boot();
	p = init_task();
	c = fork_of(p);
	th = do_thread(c, &err);
	ck_assert_ptr_nonnull(th);
	ck_assert_ptr_eq(th->mm, c->mm);
	ck_assert_int_eq(c->mm->mm_users, 2);
	ck_assert_int_eq(th->tgid, c->pid);
	tid = th->pid;
	a = mmap_anon(th, PAGE_SIZE, RW);
	ck_assert_uint_eq(touch(th, a, PAGE_SIZE, ACC_WRITE), 1);
	ck_assert_uint_eq(touch(c, a, PAGE_SIZE, ACC_WRITE), 0);
	assert_check();
	do_exit_group(th, 0);
	ck_assert_ptr_null(find_task_by_pid(tid));
	ck_assert_int_eq(c->exit_state, EXIT_ZOMBIE);
	ck_assert_uint_eq(c->min_flt, 1);
	reap(p, c->pid);
	ck_assert_uint_eq(free_pages_after_exit(), nr_boot_free_pages);
	shutdown();
}
END_TEST

START_TEST(children_reparented_to_init)
{
	struct task_struct *init, *a, *b;
	int bpid;

	boot();
	init = init_task();
	a = fork_of(init);
	b = fork_of(a);
	bpid = b->pid;
	do_exit_group(a, 3 << 8);
	ck_assert_ptr_eq(b->real_parent, init);
	reap(init, a->pid);
	do_exit_group(b, 0);
	reap(init, bpid);
	shutdown();
}
END_TEST

/* ---- vmas ---- */

START_TEST(munmap_middle_splits)
{
	struct task_struct *t;
	uint64_t a;
	int maps;

	boot();
	t = init_task();
	maps = t->mm->map_count;
	a = mmap_anon(t, 10 * PAGE_SIZE, RW);
	touch(t, a, 10 * PAGE_SIZE, ACC_WRITE);
	ck_assert_int_eq(t->mm->map_count, maps + 1);
	ck_assert_int_eq(do_munmap(t->mm, a + 3 * PAGE_SIZE, 4 * PAGE_SIZE), 0);
	ck_assert_int_eq(t->mm->map_count, maps + 2);
	ck_assert_uint_eq(find_vma(t->mm, a)->vm_end, a + 3 * PAGE_SIZE);
	ck_assert_uint_eq(find_vma(t->mm, a + 3 * PAGE_SIZE)->vm_start,
			  a + 7 * PAGE_SIZE);
	ck_assert_uint_eq(pte_of(t, a + 4 * PAGE_SIZE), 0);
	ck_assert_int_eq(t->mm->rss_stat[MM_ANONPAGES], 6);
	ck_assert_uint_eq(t->mm->total_vm, 33 + 6);
	/* Bad requests change nothing. */
	ck_assert_int_eq(do_munmap(t->mm, a + 1, PAGE_SIZE), -EINVAL);
	ck_assert_int_eq(do_munmap(t->mm, a, 0), -EINVAL);
	ck_assert_int_eq(t->mm->map_count, maps + 2);
	ck_assert_int_eq(do_munmap(t->mm, a, 10 * PAGE_SIZE), 0);
	ck_assert_int_eq(t->mm->map_count, maps);
	shutdown();
}
END_TEST

START_TEST(mprotect_middle_three_vmas)
{
	struct task_struct *t, *c;
	uint64_t a, faults;
	struct vm_area_struct *v;

	boot();
	t = init_task();
	a = mmap_anon(t, 9 * PAGE_SIZE, RW);
	touch(t, a, 9 * PAGE_SIZE, ACC_WRITE);
	ck_assert_int_eq(do_mprotect(t, a + 3 * PAGE_SIZE, 3 * PAGE_SIZE,
				     PROT_READ), 0);
	v = find_vma(t->mm, a);
	ck_assert_uint_eq(v->vm_end, a + 3 * PAGE_SIZE);
	v = v->vm_next;
	ck_assert_uint_eq(v->vm_start, a + 3 * PAGE_SIZE);
	ck_assert_uint_eq(v->vm_end, a + 6 * PAGE_SIZE);
	ck_assert_uint_eq(v->vm_flags & VM_ACCESS_FLAGS, VM_READ);
	ck_assert(!pte_write_ok(pte_of(t, a + 4 * PAGE_SIZE)));
	ck_assert(pte_write_ok(pte_of(t, a + 7 * PAGE_SIZE)));
	assert_check();
	/* Back to rw: the three merge again, and the exclusive pages are
	 * writable at once (no fault on the next write). */
	ck_assert_int_eq(do_mprotect(t, a + 3 * PAGE_SIZE, 3 * PAGE_SIZE, RW), 0);
	ck_assert_uint_eq(find_vma(t->mm, a)->vm_end, a + 9 * PAGE_SIZE);
	ck_assert_uint_eq(touch(t, a, 9 * PAGE_SIZE, ACC_WRITE), 0);
	/* After a fork the pages are no longer exclusive: read-only again,
	 * writes fault (and reuse once the child is gone). */
	ck_assert_int_eq(do_mprotect(t, a + 3 * PAGE_SIZE, 3 * PAGE_SIZE,
				     PROT_READ), 0);
	c = fork_of(t);
	ck_assert_int_eq(user_touch(c, a + 4 * PAGE_SIZE, 1, ACC_WRITE, &faults),
			 -EFAULT);
	reap(t, c->pid);
	ck_assert_int_eq(do_mprotect(t, a + 3 * PAGE_SIZE, 3 * PAGE_SIZE, RW), 0);
	ck_assert_uint_eq(touch(t, a, 9 * PAGE_SIZE, ACC_WRITE), 9);
	ck_assert_uint_eq(t->fault_counts[FO_COW_REUSE], 9);
	/* Errors: unaligned, a hole. */
	ck_assert_int_eq(do_mprotect(t, a + 1, PAGE_SIZE, PROT_READ), -EINVAL);
	ck_assert_int_eq(do_mprotect(t, a, 10 * PAGE_SIZE, PROT_READ), -ENOMEM);
	ck_assert(pte_write_ok(pte_of(t, a)));
	shutdown();
}
END_TEST

START_TEST(mprotect_none_keeps_pages)
{
	struct task_struct *t;
	uint64_t a;
	pte_t p;
	char buf[4];

	boot();
	t = init_task();
	a = mmap_anon(t, PAGE_SIZE, RW);
	ck_assert_int_eq(user_access(t, a, "abc", 4, true), 0);
	ck_assert_int_eq(do_mprotect(t, a, PAGE_SIZE, PROT_NONE), 0);
	p = pte_of(t, a);
	ck_assert(pte_protnone(p));
	ck_assert(pte_present(p));
	ck_assert_int_eq(t->mm->rss_stat[MM_ANONPAGES], 1);
	/* A debugger still reads it. */
	ck_assert_uint_eq(access_remote_vm(t, a, buf, 4, false), 4);
	ck_assert_str_eq(buf, "abc");
	ck_assert_int_eq(do_mprotect(t, a, PAGE_SIZE, PROT_READ), 0);
	ck_assert_int_eq(user_access(t, a, buf, 4, false), 0);
	ck_assert_str_eq(buf, "abc");
	shutdown();
}
END_TEST

START_TEST(adjacent_mmaps_merge)
{
	struct task_struct *t;
	uint64_t a, b, c;
	int maps;

	boot();
	t = init_task();
	maps = t->mm->map_count;
	a = mmap_anon(t, 4 * PAGE_SIZE, RW);
	b = mmap_anon(t, 4 * PAGE_SIZE, RW);
	/* Top-down: the second lies right below the first and merges. */
	ck_assert_uint_eq(b, a - 4 * PAGE_SIZE);
	ck_assert_int_eq(t->mm->map_count, maps + 1);
	/* Different protection: no merge. */
	c = mmap_anon(t, 4 * PAGE_SIZE, PROT_READ);
	ck_assert_uint_eq(c, b - 4 * PAGE_SIZE);
	ck_assert_int_eq(t->mm->map_count, maps + 2);
	/* Fixed above the first, compatible: merges with the group. */
	ck_assert_uint_eq(do_mmap(t, a + 4 * PAGE_SIZE, PAGE_SIZE, RW,
				  ANON | MAP_FIXED, 0), a + 4 * PAGE_SIZE);
	ck_assert_int_eq(t->mm->map_count, maps + 2);
	ck_assert_uint_eq(find_vma(t->mm, b)->vm_end, a + 5 * PAGE_SIZE);
	shutdown();
}
END_TEST

START_TEST(mmap_errors_change_nothing)
{
	struct task_struct *t;
	uint64_t a, free_before, committed;
	int maps;

	boot();
	t = init_task();
	a = mmap_anon(t, 4 * PAGE_SIZE, RW);
	maps = t->mm->map_count;
	free_before = nr_free_drained();
	committed = (uint64_t)vm_committed_as;
	ck_assert_int_eq((int64_t)do_mmap(t, 0, 0, RW, ANON, 0), -EINVAL);
	ck_assert_int_eq((int64_t)do_mmap(t, 0, PAGE_SIZE, RW, MAP_ANONYMOUS, 0),
			 -EINVAL);
	ck_assert_int_eq((int64_t)do_mmap(t, a + 1, PAGE_SIZE, RW,
					  ANON | MAP_FIXED, 0), -EINVAL);
	ck_assert_int_eq((int64_t)do_mmap(t, a, PAGE_SIZE, RW,
					  ANON | MAP_FIXED_NOREPLACE, 0), -EEXIST);
	ck_assert_int_eq((int64_t)do_mmap(t, 0, 1ULL << 50, RW, ANON, 0),
			 -ENOMEM);
	ck_assert_int_eq((int64_t)do_mmap(t, 0x1000, PAGE_SIZE, RW,
					  ANON | MAP_FIXED, 0), -EPERM);
	ck_assert_int_eq(t->mm->map_count, maps);
	ck_assert_uint_eq(nr_free_drained(), free_before);
	ck_assert_uint_eq((uint64_t)vm_committed_as, committed);
	shutdown();
}
END_TEST

START_TEST(mmap_fixed_replaces)
{
	struct task_struct *t;
	uint64_t a;

	boot();
	t = init_task();
	a = mmap_anon(t, 8 * PAGE_SIZE, RW);
	touch(t, a, 8 * PAGE_SIZE, ACC_WRITE);
	ck_assert_uint_eq(do_mmap(t, a + 2 * PAGE_SIZE, 2 * PAGE_SIZE,
				  PROT_READ, ANON | MAP_FIXED, 0),
			  a + 2 * PAGE_SIZE);
	ck_assert_int_eq(t->mm->rss_stat[MM_ANONPAGES], 6);
	ck_assert_uint_eq(pte_of(t, a + 2 * PAGE_SIZE), 0);
	ck_assert_int_eq(vm_committed_as, 33 + 6);
	shutdown();
}
END_TEST

START_TEST(thp_aligned_large_anon)
{
	struct task_struct *t;
	uint64_t a;

	boot();
	t = init_task();
	a = mmap_anon(t, 4 * MB, RW);
	ck_assert_uint_eq(a & (2 * MB - 1), 0);
	/* As the host kernel places it (with no vdso below mmap_base). */
	ck_assert_uint_eq(a, 0x7ffff7a00000ULL);
	shutdown();
}
END_TEST

START_TEST(hint_used_when_free)
{
	struct task_struct *t;

	boot();
	t = init_task();
	ck_assert_uint_eq(do_mmap(t, 0x10000000, PAGE_SIZE, RW, ANON, 0),
			  0x10000000);
	/* Taken: the kernel picks elsewhere. */
	ck_assert_uint_ne(do_mmap(t, 0x10000000, PAGE_SIZE, PROT_READ, ANON, 0),
			  0x10000000);
	shutdown();
}
END_TEST

START_TEST(max_map_count)
{
	struct task_struct *t;
	uint64_t base = 0x100000000ULL, i;

	boot();
	t = init_task();
	/* One-page mappings with one-page holes never merge. */
	for (i = 0;; i++) {
		uint64_t a = do_mmap(t, base + 2 * i * PAGE_SIZE, PAGE_SIZE,
				     PROT_READ, ANON | MAP_FIXED, 0);

		if (IS_ERR_VALUE(a)) {
			ck_assert_int_eq((int64_t)a, -ENOMEM);
			break;
		}
	}
	/* Linux's do_mmap refuses once map_count exceeds max_map_count. */
	ck_assert_int_eq(t->mm->map_count, 65531);
	/* Splitting at the limit fails and changes nothing. */
	ck_assert_int_eq(do_munmap(t->mm, base, PAGE_SIZE), 0);
	ck_assert_int_eq(t->mm->map_count, 65530);
	ck_assert_int_eq(do_mprotect(t, base + 2 * PAGE_SIZE, PAGE_SIZE, RW), 0);
	assert_check();
	shutdown();
}
END_TEST

START_TEST(brk_grow_shrink_blocked)
{
	struct task_struct *t;
	uint64_t start, b;
	int err;

	boot();
	t = init_task();
	start = t->mm->start_brk;
	ck_assert_uint_eq(do_brk(t, 0, &err), start);
	ck_assert_int_eq(err, -ENOMEM);
	b = do_brk(t, start + 3 * PAGE_SIZE + 100, &err);
	ck_assert_int_eq(err, 0);
	ck_assert_uint_eq(b, start + 3 * PAGE_SIZE + 100);
	ck_assert_uint_eq(find_vma(t->mm, start)->vm_start, start);
	ck_assert_uint_eq(find_vma(t->mm, start)->vm_end, start + 4 * PAGE_SIZE);
	ck_assert_uint_eq(touch(t, start, 4 * PAGE_SIZE, ACC_WRITE), 4);
	/* Shrink: the tail is unmapped. */
	ck_assert_uint_eq(do_brk(t, start + PAGE_SIZE, &err), start + PAGE_SIZE);
	ck_assert_uint_eq(find_vma(t->mm, start)->vm_end, start + PAGE_SIZE);
	ck_assert_int_eq(t->mm->rss_stat[MM_ANONPAGES], 1);
	/* A mapping 10 pages above: growing into it (or within a page of
	 * it) fails and leaves brk unchanged. */
	ck_assert_uint_eq(do_mmap(t, start + 10 * PAGE_SIZE, PAGE_SIZE, RW,
				  ANON | MAP_FIXED, 0), start + 10 * PAGE_SIZE);
	ck_assert_uint_eq(do_brk(t, start + 12 * PAGE_SIZE, &err),
			  start + PAGE_SIZE);
	ck_assert_int_eq(err, -ENOMEM);
	ck_assert_uint_eq(do_brk(t, start + 10 * PAGE_SIZE, &err),
			  start + PAGE_SIZE);
	ck_assert_int_eq(err, -ENOMEM);
	ck_assert_uint_eq(do_brk(t, start + 9 * PAGE_SIZE, &err),
			  start + 9 * PAGE_SIZE);
	ck_assert_int_eq(err, 0);
	/* Never below start_brk. */
	ck_assert_uint_eq(do_brk(t, start - PAGE_SIZE, &err), start + 9 * PAGE_SIZE);
	ck_assert_int_eq(err, -ENOMEM);
	ck_assert_uint_eq(do_brk(t, start, &err), start);
	ck_assert_ptr_null(find_vma_intersection(t->mm, start, start + 9 * PAGE_SIZE));
	shutdown();
}
END_TEST

START_TEST(mremap_grow_and_move)
{
	struct task_struct *t;
	uint64_t a, b, pfn;
	char buf[4];

	boot();
	t = init_task();
	a = mmap_anon(t, 2 * PAGE_SIZE, RW);
	ck_assert_int_eq(user_access(t, a, "mov", 4, true), 0);
	pfn = pfn_of(t, a);
	/* Top-down, the space above is the previous mapping (none here is
	 * above a but the stack is far): grow in place. */
	b = do_mremap(t, a, 2 * PAGE_SIZE, 3 * PAGE_SIZE, 0);
	ck_assert_uint_eq(b, a);
	/* Block the space above, then growing needs a move. */
	ck_assert_uint_eq(do_mmap(t, a + 3 * PAGE_SIZE, PAGE_SIZE, PROT_READ,
				  ANON | MAP_FIXED, 0), a + 3 * PAGE_SIZE);
	ck_assert_int_eq((int64_t)do_mremap(t, a, 3 * PAGE_SIZE, 8 * PAGE_SIZE,
					    0), -ENOMEM);
	b = do_mremap(t, a, 3 * PAGE_SIZE, 8 * PAGE_SIZE, MREMAP_MAYMOVE);
	ck_assert(!IS_ERR_VALUE(b));
	ck_assert_uint_ne(b, a);
	ck_assert_uint_eq(pfn_of(t, b), pfn);
	ck_assert_uint_eq(pte_of(t, a), 0);
	ck_assert_int_eq(user_access(t, b, buf, 4, false), 0);
	ck_assert_str_eq(buf, "mov");
	assert_check();
	/* Shrink. */
	ck_assert_uint_eq(do_mremap(t, b, 8 * PAGE_SIZE, PAGE_SIZE, 0), b);
	ck_assert_uint_eq(find_vma(t->mm, b)->vm_end, b + PAGE_SIZE);
	ck_assert_int_eq((int64_t)do_mremap(t, b + 1, PAGE_SIZE, 2 * PAGE_SIZE,
					    MREMAP_MAYMOVE), -EINVAL);
	ck_assert_int_eq((int64_t)do_mremap(t, 0x20000000, PAGE_SIZE,
					    2 * PAGE_SIZE, MREMAP_MAYMOVE),
			 -EFAULT);
	shutdown();
}
END_TEST

START_TEST(madvise_dontneed_zeroes)
{
	struct task_struct *t;
	uint64_t a;
	char buf[4];

	boot();
	t = init_task();
	a = mmap_anon(t, 4 * PAGE_SIZE, RW);
	ck_assert_int_eq(user_access(t, a, "old", 4, true), 0);
	touch(t, a, 4 * PAGE_SIZE, ACC_WRITE);
	ck_assert_int_eq(do_madvise(t, a, 4 * PAGE_SIZE, MADV_DONTNEED), 0);
	ck_assert_int_eq(t->mm->rss_stat[MM_ANONPAGES], 0);
	ck_assert_int_eq(user_access(t, a, buf, 4, false), 0);
	ck_assert_int_eq(buf[0], 0);
	ck_assert_int_eq(do_madvise(t, a, 8 * PAGE_SIZE, MADV_DONTNEED), -ENOMEM);
	ck_assert_int_eq(do_madvise(t, a, PAGE_SIZE, 99), -EINVAL);
	ck_assert_int_eq(do_madvise(t, a, PAGE_SIZE, MADV_COLD), 0);
	shutdown();
}
END_TEST

START_TEST(mlock_populates_and_counts)
{
	struct task_struct *t;
	uint64_t a;

	boot();
	t = init_task();
	a = mmap_anon(t, 4 * PAGE_SIZE, RW);
	ck_assert_int_eq(do_mlock(t, a + PAGE_SIZE, 2 * PAGE_SIZE, true), 0);
	ck_assert_uint_eq(t->mm->locked_vm, 2);
	ck_assert_int_eq(t->mm->map_count, 4);
	ck_assert_int_eq(t->mm->rss_stat[MM_ANONPAGES], 2);
	ck_assert_int_eq(vmstat.node[NR_MLOCK], 2);
	ck_assert_int_eq(do_madvise(t, a + PAGE_SIZE, PAGE_SIZE, MADV_DONTNEED),
			 -EINVAL);
	assert_check();
	ck_assert_int_eq(do_mlock(t, a, 4 * PAGE_SIZE, false), 0);
	ck_assert_uint_eq(t->mm->locked_vm, 0);
	ck_assert_int_eq(vmstat.node[NR_MLOCK], 0);
	ck_assert_int_eq(t->mm->map_count, 2);
	/* MAP_LOCKED populates. */
	a = do_mmap(t, 0, 3 * PAGE_SIZE, RW, ANON | MAP_LOCKED, 0);
	ck_assert_int_eq(vmstat.node[NR_MLOCK], 3);
	ck_assert_int_eq(do_munmap(t->mm, a, 3 * PAGE_SIZE), 0);
	ck_assert_int_eq(vmstat.node[NR_MLOCK], 0);
	/* Each page moved to the unevictable list and back is counted as
	 * Linux 6.x counts it: culled with mlocked, rescued with
	 * munlocked, munmap included. */
	ck_assert_uint_eq(vmstat.events[UNEVICTABLE_PGS_MLOCKED], 5);
	ck_assert_uint_eq(vmstat.events[UNEVICTABLE_PGS_CULLED], 5);
	ck_assert_uint_eq(vmstat.events[UNEVICTABLE_PGS_MUNLOCKED], 5);
	ck_assert_uint_eq(vmstat.events[UNEVICTABLE_PGS_RESCUED], 5);
	ck_assert_int_eq(do_mlock(t, 0x30000000, PAGE_SIZE, true), -ENOMEM);
	shutdown();
}
END_TEST

START_TEST(populate_flag)
{
	struct task_struct *t;
	uint64_t a;

	boot();
	t = init_task();
	a = do_mmap(t, 0, 5 * PAGE_SIZE, RW, ANON | MAP_POPULATE, 0);
	ck_assert_int_eq(t->mm->rss_stat[MM_ANONPAGES], 5);
	ck_assert_uint_eq(touch(t, a, 5 * PAGE_SIZE, ACC_WRITE), 0);
	a = do_mmap(t, 0, 2 * PAGE_SIZE, PROT_READ, ANON | MAP_POPULATE, 0);
	ck_assert_uint_eq(pfn_of(t, a), zero_pfn);
	shutdown();
}
END_TEST

/* ---- syscall edges (checked against the host by t_syscall_edges) ---- */

START_TEST(mmap_flag_validation)
{
	struct task_struct *t;
	struct vm_area_struct *v;
	uint64_t a, b;

	boot();
	t = init_task();
	/* MAP_SHARED_VALIDATE has nothing to validate in anonymous memory;
	 * MAP_SHARED and MAP_PRIVATE ignore unknown flags. */
	ck_assert_int_eq((int64_t)do_mmap(t, 0, PAGE_SIZE, RW,
					  MAP_SHARED_VALIDATE | MAP_ANONYMOUS, 0),
			 -EINVAL);
	a = map_at(t, 0, PAGE_SIZE, RW, ANON | 0x200 | 0x800000);
	ck_assert_int_eq((int64_t)do_mmap(t, 0, PAGE_SIZE, RW, MAP_SHARED |
					  MAP_ANONYMOUS | MAP_GROWSDOWN, 0),
			 -EINVAL);
	/* MAP_STACK and MAP_SYNC show in the vma's flags. */
	b = map_at(t, 0, PAGE_SIZE, RW, ANON | MAP_STACK | MAP_SYNC);
	v = find_vma(t->mm, b);
	ck_assert_uint_eq(v->vm_flags & (VM_NOHUGEPAGE | VM_SYNC),
			  VM_NOHUGEPAGE | VM_SYNC);
	ck_assert_uint_eq(b + PAGE_SIZE, a);	/* below a, yet not merged */
	ck_assert_uint_eq(v->vm_end, a);
	/* Files without mmap: a directory, a device, after the checks
	 * that come first (MAP_SHARED_VALIDATE's flags). */
	ck_assert_int_eq((int64_t)do_mmap_file(t, 0, PAGE_SIZE, PROT_READ,
					       MAP_PRIVATE, "/", 0), -ENODEV);
	ck_assert_int_eq((int64_t)do_mmap_file(t, 0, PAGE_SIZE, RW, MAP_SHARED,
					       "/dev/null", 0), -ENODEV);
	ck_assert_int_eq((int64_t)do_mmap_file(t, 0, PAGE_SIZE, PROT_READ,
					       MAP_SHARED_VALIDATE | 0x200,
					       "/dev/null", 0), -EOPNOTSUPP);
	ck_assert_int_eq((int64_t)do_mmap_file(t, 0, PAGE_SIZE, PROT_READ,
					       MAP_PRIVATE | MAP_GROWSDOWN,
					       "/dev/zero", 0), -EINVAL);
	shutdown();
}
END_TEST

START_TEST(mmap_dev_zero)
{
	struct task_struct *t;
	struct vm_area_struct *v;
	uint64_t a, s;
	char buf[4];

	boot();
	t = init_task();
	/* Private: anonymous memory that keeps /dev/zero's name and the
	 * offset given; shared: a shmem object of its own. */
	a = do_mmap_file(t, 0, 2 * PAGE_SIZE, RW, MAP_PRIVATE, "/dev/zero",
			 5 * PAGE_SIZE);
	ck_assert(!IS_ERR_VALUE(a));
	v = find_vma(t->mm, a);
	ck_assert(vma_is_anonymous(v));
	ck_assert(v->vm_file && v->vm_file->dev_zero);
	ck_assert_uint_eq(v->vm_pgoff, 5);
	ck_assert_uint_eq(touch(t, a, 2 * PAGE_SIZE, ACC_WRITE), 2);
	ck_assert_int_eq(t->mm->rss_stat[MM_ANONPAGES], 2);
	s = do_mmap_file(t, 0, 2 * PAGE_SIZE, RW, MAP_SHARED, "/dev/zero", 0);
	ck_assert(!IS_ERR_VALUE(s));
	v = find_vma(t->mm, s);
	ck_assert(v->vm_file && v->vm_file->shmem);
	ck_assert_int_eq(user_access(t, s, "zz", 3, true), 0);
	ck_assert_int_eq(t->mm->rss_stat[MM_SHMEMPAGES], 1);
	assert_check();
	/* A fork shares the shared one and copies the private one. */
	ck_assert_int_eq(user_access(fork_of(t), s, buf, 3, false), 0);
	ck_assert_str_eq(buf, "zz");
	shutdown();
}
END_TEST

START_TEST(mmap_hint_placement)
{
	struct task_struct *t;
	uint64_t a, b;

	boot();
	t = init_task();
	/* A hint is rounded down to its page (round_hint_to_min). */
	ck_assert_uint_eq(do_mmap(t, 0x10000abc, PAGE_SIZE, RW, ANON, 0),
			  0x10000000);
	/* One inside page zero is no hint at all. */
	a = map_at(t, 0xfff, PAGE_SIZE, RW, ANON);
	ck_assert_int_eq(do_munmap(t->mm, a, PAGE_SIZE), 0);
	ck_assert_uint_eq(map_at(t, 0, PAGE_SIZE, RW, ANON), a);
	/* 2 MiB multiples are aligned only without a hint. */
	a = map_at(t, 0x10000000, 2 * MB, PROT_READ, ANON);
	ck_assert_uint_ne(a & (2 * MB - 1), 0);
	b = map_at(t, 0, 2 * MB, PROT_READ, ANON);
	ck_assert_uint_eq(b & (2 * MB - 1), 0);
	/* MAP_32BIT: bottom-up from 1 GiB, a hint above 2 GiB ignored; a
	 * 2 MiB one aligned, above a free 2 MiB as top-down aligning does. */
	ck_assert_uint_eq(map_at(t, 0, PAGE_SIZE, RW, ANON | MAP_32BIT),
			  0x40000000);
	ck_assert_uint_eq(map_at(t, 0x300000000000ULL, PAGE_SIZE, RW,
				 ANON | MAP_32BIT), 0x40001000);
	ck_assert_uint_eq(map_at(t, 0, 2 * MB, RW, ANON | MAP_32BIT),
			  0x40200000);
	shutdown();
}
END_TEST

START_TEST(mremap_edges)
{
	struct task_struct *t;
	uint64_t s, p, b;
	char buf[4];

	boot();
	t = init_task();
	s = map_at(t, 0, 4 * PAGE_SIZE, RW, MAP_SHARED | MAP_ANONYMOUS);
	p = mmap_anon(t, 4 * PAGE_SIZE, RW);
	ck_assert_int_eq(user_access(t, s + PAGE_SIZE, "dup", 4, true), 0);
	/* Old length 0 maps the shared object again; the old stays. */
	ck_assert_int_eq((int64_t)do_mremap(t, s, 0, 2 * PAGE_SIZE, 0),
			 -ENOMEM);
	b = do_mremap(t, s + PAGE_SIZE, 0, 2 * PAGE_SIZE, MREMAP_MAYMOVE);
	ck_assert(!IS_ERR_VALUE(b));
	ck_assert_uint_ne(b, s + PAGE_SIZE);
	ck_assert_ptr_eq(find_vma(t->mm, b)->vm_file,
			 find_vma(t->mm, s)->vm_file);
	ck_assert_uint_eq(find_vma(t->mm, b)->vm_pgoff, 1);
	ck_assert_int_eq(user_access(t, b, buf, 4, false), 0);
	ck_assert_str_eq(buf, "dup");
	ck_assert_uint_eq(pfn_of(t, b), pfn_of(t, s + PAGE_SIZE));
	/* Not a private one. */
	ck_assert_int_eq((int64_t)do_mremap(t, p, 0, PAGE_SIZE,
					    MREMAP_MAYMOVE), -EINVAL);
	/* An unmapped old address is EFAULT, even to shrink. */
	ck_assert_int_eq((int64_t)do_mremap(t, 0x20000000, 2 * PAGE_SIZE,
					    PAGE_SIZE, 0), -EFAULT);
	ck_assert_int_eq((int64_t)do_mremap(t, 0x20000000, PAGE_SIZE,
					    PAGE_SIZE, 0), -EFAULT);
	shutdown();
}
END_TEST

START_TEST(mlock_cannot_populate)
{
	struct task_struct *t;
	uint64_t a;

	boot();
	t = init_task();
	/* PROT_NONE cannot be faulted in: ENOMEM, yet the vma is locked. */
	a = map_at(t, 0, 4 * PAGE_SIZE, PROT_NONE, ANON);
	ck_assert_int_eq(do_mlock(t, a, 4 * PAGE_SIZE, true), -ENOMEM);
	ck_assert(find_vma(t->mm, a)->vm_flags & VM_LOCKED);
	ck_assert_uint_eq(t->mm->locked_vm, 4);
	/* MAP_LOCKED ignores the failure. */
	a = map_at(t, 0, 2 * PAGE_SIZE, PROT_NONE, ANON | MAP_LOCKED);
	ck_assert_uint_eq(t->mm->locked_vm, 6);
	shutdown();
}
END_TEST

/* A refusal gives the reason its check found, with the errno it returns
 * (and is asked for by that errno); an outer check that turns an inner
 * failure into its own quotes the inner reason. */
START_TEST(reasons_from_the_checks)
{
	struct task_struct *t, *c;
	uint64_t a, start;
	char want[128];
	int err, rpid, status;

	boot();
	t = init_task();
	kerror_clear();
	ck_assert_str_eq(kerrstr(), "");
	ck_assert_ptr_null(kerror_reason(ENOMEM));
	ck_assert_int_eq((int64_t)do_mmap(t, 0x1000, PAGE_SIZE, RW,
					  ANON | MAP_FIXED, 0), -EPERM);
	ck_assert_str_eq(kerror_reason(EPERM), "fixed address below "
			 "vm.mmap_min_addr (0x10000)");
	ck_assert_ptr_null(kerror_reason(EINVAL));
	ck_assert_int_eq(do_madvise(t, 0xfffffffffffff000ULL, PAGE_SIZE,
				    MADV_COLD), -EINVAL);
	ck_assert_str_eq(kerror_reason(EINVAL), "range wraps around the end "
			 "of the address space");
	/* mlock tells a hole from a page that cannot be faulted in. */
	a = map_at(t, 0, PAGE_SIZE, PROT_NONE, ANON);
	ck_assert_int_eq(do_mlock(t, a, PAGE_SIZE, true), -ENOMEM);
	ck_assert_str_eq(kerror_reason(ENOMEM), "a page cannot be faulted in: "
			 "PROT_NONE or past the end of a file (the range stays "
			 "locked, as on Linux)");
	ck_assert_int_eq(do_mlock(t, a + PAGE_SIZE, PAGE_SIZE, false), -ENOMEM);
	ck_assert_str_eq(kerror_reason(ENOMEM), "range not fully mapped");
	/* Signals, exit and wait. */
	ck_assert_int_eq(do_kill(t, SIGKILL), -EPERM);
	ck_assert_str_eq(kerror_reason(EPERM), "pid 1 cannot be killed");
	c = fork_of(t);
	ck_assert_int_eq(do_exit(c, 3), 0);
	ck_assert_int_eq(do_kill(c, SIGTERM), -ESRCH);
	snprintf(want, sizeof(want), "process %d has exited", c->pid);
	ck_assert_str_eq(kerror_reason(ESRCH), want);
	ck_assert_int_eq(do_wait(t, c->pid + 1, &rpid, &status), -ECHILD);
	ck_assert_str_eq(kerror_reason(ECHILD), "no exited child with that "
			 "pid");
	ck_assert_int_eq(do_wait(t, -1, &rpid, &status), 0);
	/* brk quotes the commit it could not make. */
	sysctl_vm.overcommit_memory = 2;
	start = t->mm->brk;
	ck_assert_uint_eq(do_brk(t, start + GB, &err), start);
	ck_assert_int_eq(err, -ENOMEM);
	ck_assert_msg(strstr(kerror_reason(ENOMEM), "cannot move brk to ") ==
		      kerror_reason(ENOMEM) &&
		      strstr(kerror_reason(ENOMEM), "(cannot commit 262144 "
			     "pages: CommitLimit would be passed"),
		      "brk: '%s'", kerrstr());
	sysctl_vm.overcommit_memory = 0;
	kerror_clear();
	ck_assert_ptr_null(kerror_reason(ENOMEM));
	shutdown();
}
END_TEST

START_TEST(brk_shrink_over_unmapped_heap)
{
	struct task_struct *t;
	uint64_t start;
	int err;

	boot();
	t = init_task();
	start = t->mm->start_brk;
	ck_assert_uint_eq(do_brk(t, start + 4 * PAGE_SIZE, &err),
			  start + 4 * PAGE_SIZE);
	ck_assert_int_eq(do_munmap(t->mm, start, 4 * PAGE_SIZE), 0);
	/* Nothing left to shrink: refused, brk stays. */
	ck_assert_uint_eq(do_brk(t, start + PAGE_SIZE, &err),
			  start + 4 * PAGE_SIZE);
	ck_assert_int_eq(err, -ENOMEM);
	/* Over a mapping that is not the heap: it is unmapped. */
	map_at(t, start + 2 * PAGE_SIZE, PAGE_SIZE, RW, ANON | MAP_FIXED);
	ck_assert_uint_eq(do_brk(t, start, &err), start);
	ck_assert_int_eq(err, 0);
	ck_assert_ptr_null(find_vma_intersection(t->mm, start,
						 start + 4 * PAGE_SIZE));
	shutdown();
}
END_TEST

/* ---- remote access (/proc/PID/mem) ---- */

START_TEST(remote_write_breaks_cow_of_readonly)
{
	struct task_struct *p, *c;
	uint64_t a, pfn;
	char buf[8];

	boot();
	p = init_task();
	a = mmap_anon(p, PAGE_SIZE, RW);
	ck_assert_int_eq(user_access(p, a, "orig", 5, true), 0);
	ck_assert_int_eq(do_mprotect(p, a, PAGE_SIZE, PROT_READ), 0);
	pfn = pfn_of(p, a);
	c = fork_of(p);
	ck_assert_uint_eq(access_remote_vm(c, a, "poke", 5, true), 5);
	ck_assert_uint_ne(pfn_of(c, a), pfn);
	ck_assert(!pte_write_ok(pte_of(c, a)));
	ck_assert_int_eq(user_access(p, a, buf, 5, false), 0);
	ck_assert_str_eq(buf, "orig");
	ck_assert_int_eq(user_access(c, a, buf, 5, false), 0);
	ck_assert_str_eq(buf, "poke");
	/* Unmapped: nothing done. */
	ck_assert_uint_eq(access_remote_vm(c, 0x40000000, buf, 4, false), 0);
	ck_assert_uint_eq(c->min_flt, 1);
	assert_check();
	shutdown();
}
END_TEST

/* ---- machine ---- */

START_TEST(context_switch_flushes_tlb)
{
	struct task_struct *p, *c;
	uint64_t a, flushes;

	boot();
	p = init_task();
	a = mmap_anon(p, PAGE_SIZE, RW);
	touch(p, a, PAGE_SIZE, ACC_WRITE);
	c = fork_of(p);
	flushes = hw.cpus[0].tlb.flush_all;
	ck_assert_uint_eq(touch(c, a, PAGE_SIZE, ACC_READ), 0);
	ck_assert_uint_eq(hw.cpus[0].tlb.flush_all, flushes + 1);
	ck_assert_ptr_eq(hw.cpus[0].current, c);
	ck_assert_int_eq(p->on_cpu, -1);
	ck_assert_int_eq(c->on_cpu, 0);
	shutdown();
}
END_TEST

START_TEST(pcid_keeps_entries)
{
	struct task_struct *p, *c;
	uint64_t a, flushes, misses;

	boot_with(128 * MB, 1, true);
	p = init_task();
	a = mmap_anon(p, PAGE_SIZE, RW);
	touch(p, a, PAGE_SIZE, ACC_WRITE);
	c = fork_of(p);
	/* fork write-protected the parent's entries: they were flushed. */
	touch(p, a, PAGE_SIZE, ACC_READ);
	touch(c, a, PAGE_SIZE, ACC_READ);
	flushes = hw.cpus[0].tlb.flush_all;
	misses = hw.cpus[0].tlb.misses;
	/* Back to the parent: its tagged entry survived. */
	ck_assert_uint_eq(touch(p, a, PAGE_SIZE, ACC_READ), 0);
	ck_assert_uint_eq(hw.cpus[0].tlb.flush_all, flushes);
	ck_assert_uint_eq(hw.cpus[0].tlb.misses, misses);
	/* The parent's COW write flushes the stale read-only entry. */
	ck_assert_uint_eq(touch(p, a, PAGE_SIZE, ACC_WRITE), 1);
	assert_check();
	shutdown();
}
END_TEST

START_TEST(kthreadd_borrows_mm_lazily)
{
	struct task_struct *p, *k, *c;
	struct mm_struct *mm;
	uint64_t flushes;

	boot();
	p = init_task();
	c = fork_of(p);
	touch(c, c->mm->mmap->vm_end - PAGE_SIZE, 1, ACC_WRITE);
	mm = c->mm;
	k = find_task_by_pid(2);
	flushes = hw.cpus[0].tlb.flush_all;
	context_switch(0, k);
	ck_assert_ptr_eq(k->active_mm, mm);
	ck_assert_uint_eq(hw.cpus[0].tlb.flush_all, flushes);
	ck_assert_int_eq(mm->mm_count, 2);
	/* The owner exits while borrowed: the tables go, the pgd stays. */
	do_exit_group(c, 0);
	ck_assert_int_eq(mm->mm_users, 0);
	ck_assert_int_eq(mm->mm_count, 1);
	ck_assert_int_eq(mm->map_count, 0);
	assert_check();
	context_switch(0, p);
	ck_assert_ptr_null(k->active_mm);
	reap(p, c->pid);
	ck_assert_uint_eq(free_pages_after_exit(), nr_boot_free_pages);
	shutdown();
}
END_TEST

START_TEST(two_cpus_remote_flush)
{
	struct task_struct *p, *th;
	uint64_t a;
	int err;

	boot_with(128 * MB, 2, false);
	p = init_task();
	a = mmap_anon(p, PAGE_SIZE, RW);
	touch(p, a, PAGE_SIZE, ACC_WRITE);
	th = do_thread(p, &err);
	context_switch(1, th);
	ck_assert_uint_eq(touch(th, a, PAGE_SIZE, ACC_READ), 0);
	ck_assert_uint_eq(tlb_nr_valid(&hw.cpus[1].tlb), 1);
	/* munmap on cpu 0's behalf must shoot down cpu 1's entry. */
	ck_assert_int_eq(do_munmap(p->mm, a, PAGE_SIZE), 0);
	ck_assert_uint_eq(tlb_nr_valid(&hw.cpus[1].tlb), 0);
	ck_assert_uint_ge(vmstat.events[NR_TLB_REMOTE_FLUSH], 1);
	assert_check();
	shutdown();
}
END_TEST

START_TEST(overcommit_never)
{
	struct task_struct *t;
	uint64_t limit, a;

	boot();
	t = init_task();
	sysctl_vm.overcommit_memory = 2;
	limit = vm_commit_limit();
	a = do_mmap(t, 0, (limit - (uint64_t)vm_committed_as + 1) * PAGE_SIZE,
		    RW, ANON, 0);
	ck_assert_int_eq((int64_t)a, -ENOMEM);
	a = do_mmap(t, 0, (limit - (uint64_t)vm_committed_as) * PAGE_SIZE, RW,
		    ANON, 0);
	ck_assert(!IS_ERR_VALUE(a));
	ck_assert_uint_eq((uint64_t)vm_committed_as, limit);
	/* Read-only and shared-noreserve mappings are not committed... */
	ck_assert(!IS_ERR_VALUE(mmap_anon(t, PAGE_SIZE, PROT_READ)));
	/* ...but making one writable is. */
	a = mmap_anon(t, PAGE_SIZE, PROT_READ);
	ck_assert_int_eq(do_mprotect(t, a, PAGE_SIZE, RW), -ENOMEM);
	shutdown();
}
END_TEST

START_TEST(overcommit_heuristic)
{
	struct task_struct *t;

	boot();
	t = init_task();
	/* Mode 0 refuses a single request larger than RAM + swap. */
	ck_assert_int_eq((int64_t)do_mmap(t, 0, 256 * MB, RW, ANON, 0), -ENOMEM);
	ck_assert(!IS_ERR_VALUE(do_mmap(t, 0, 256 * MB, RW,
					ANON | MAP_NORESERVE, 0)));
	ck_assert(!IS_ERR_VALUE(do_mmap(t, 0, 100 * MB, RW, ANON, 0)));
	shutdown();
}
END_TEST

START_TEST(oom_kills_largest)
{
	struct task_struct *p, *small, *big;
	uint64_t a, b, faults;
	int bigpid;

	boot_with(8 * MB, 1, false);
	p = init_task();
	small = fork_of(p);
	big = fork_of(p);
	bigpid = big->pid;
	a = do_mmap(small, 0, 64 * PAGE_SIZE, RW, ANON, 0);
	touch(small, a, 64 * PAGE_SIZE, ACC_WRITE);
	b = do_mmap(big, 0, 8 * MB, RW, ANON | MAP_NORESERVE, 0);
	ck_assert(!IS_ERR_VALUE(b));
	/* The big one eats RAM until the OOM killer takes it. */
	ck_assert_int_ne(user_touch(big, b, 8 * MB, ACC_WRITE, &faults), 0);
	ck_assert_uint_eq(vmstat.events[OOM_KILL], 1);
	ck_assert_int_eq(big->exit_state, EXIT_ZOMBIE);
	ck_assert_int_eq(big->exit_code, SIGKILL);
	ck_assert_int_eq(small->exit_state, 0);
	ck_assert_int_eq(small->mm->rss_stat[MM_ANONPAGES], 64);
	assert_check();
	reap(p, bigpid);
	do_exit_group(small, 0);
	reap(p, small->pid);
	ck_assert_uint_eq(free_pages_after_exit(), nr_boot_free_pages);
	shutdown();
}
END_TEST

START_TEST(oom_kills_other_process)
{
	struct task_struct *p, *hog, *c;
	uint64_t a, b, faults;

	boot_with(8 * MB, 1, false);
	p = init_task();
	hog = fork_of(p);
	c = fork_of(p);
	a = do_mmap(hog, 0, 6 * MB, RW, ANON, 0);
	/* The hog takes most of RAM and stays alive... */
	user_touch(hog, a, 5 * MB, ACC_WRITE, &faults);
	ck_assert_int_eq(hog->exit_state, 0);
	/* ...until a smaller process needs frames: the hog is the victim. */
	b = do_mmap(c, 0, 4 * MB, RW, ANON, 0);
	ck_assert_int_eq(user_touch(c, b, 4 * MB, ACC_WRITE, &faults), 0);
	ck_assert_int_eq(hog->exit_state, EXIT_ZOMBIE);
	ck_assert_int_eq(c->exit_state, 0);
	ck_assert_uint_eq(vmstat.events[OOM_KILL], 1);
	/* The kernel log says so, as Linux's __oom_kill_process does. */
	{
		static char text[LOG_BUF_LEN + 1];
		char want[128];

		text[log_read(text, LOG_BUF_LEN)] = '\0';
		snprintf(want, sizeof(want), "] Out of memory: Killed process %d "
			 "(init) total-vm:", hog->pid);
		ck_assert_msg(text[0] == '[' &&
			      !strncmp(strchr(text, ']'), want, strlen(want)),
			      "%s", text);
		ck_assert_ptr_nonnull(strstr(text, "kB, anon-rss:5120kB, "
					     "file-rss:0kB, shmem-rss:0kB, "
					     "UID:0 pgtables:"));
	}
	shutdown();
}
END_TEST

/* Out of frames while fork copies the largest process: the parent is the
 * victim, but it is only marked while its address space is being copied;
 * fork fails with ENOMEM and the parent dies once fork has unwound. */
START_TEST(oom_during_fork_of_victim)
{
	struct task_struct *p, *big;
	uint64_t a, va, faults;
	int err, bigpid;

	boot_with(8 * MB, 1, false);
	p = init_task();
	big = fork_of(p);
	bigpid = big->pid;
	a = do_mmap(big, 0, 8 * MB, RW, ANON | MAP_NORESERVE, 0);
	/* Fill RAM up to the min watermark, page by page. */
	for (va = a; va < a + 8 * MB; va += PAGE_SIZE) {
		uint64_t wmark = zones[ZONE_DMA].watermark[WMARK_MIN];

		/* Room left for the child's kernel stack (and the page
		 * table its vmalloc area may need). */
		if (zones[ZONE_DMA].free_pages <= wmark + 1 +
		    thread_size() / PAGE_SIZE + 1 &&
		    zones[ZONE_DMA32].free_pages == 0)
			break;
		ck_assert_int_eq(user_touch(big, va, 1, ACC_WRITE, &faults), 0);
	}
	ck_assert_ptr_null(do_fork(big, &err));
	ck_assert_int_eq(err, -ENOMEM);
	deliver_pending_signals();
	ck_assert_int_eq(big->exit_state, EXIT_ZOMBIE);
	ck_assert_int_eq(big->exit_code, SIGKILL);
	ck_assert_uint_ge(vmstat.events[OOM_KILL], 1);
	assert_check();
	reap(p, bigpid);
	ck_assert_uint_eq(free_pages_after_exit(), nr_boot_free_pages);
	shutdown();
}
END_TEST

START_TEST(kill_and_errors)
{
	struct task_struct *p, *c;

	boot();
	p = init_task();
	c = fork_of(p);
	ck_assert_int_eq(do_kill(p, SIGKILL), -EPERM);
	ck_assert_int_eq(do_kill(find_task_by_pid(2), SIGTERM), -EPERM);
	ck_assert_int_eq(do_kill(c, 65), -EINVAL);
	ck_assert_int_eq(do_kill(c, 17), 0);
	ck_assert_int_eq(c->exit_state, 0);
	ck_assert_int_eq(do_kill(c, SIGTERM), 0);
	ck_assert_int_eq(c->exit_state, EXIT_ZOMBIE);
	ck_assert_int_eq(c->exit_code, SIGTERM);
	ck_assert_int_eq(do_kill(c, SIGTERM), -ESRCH);
	reap(p, c->pid);
	shutdown();
}
END_TEST

/* A randomized mix of every operation, checked after each step (xv6's
 * grind). */
/* exec_of - exec of path by t with argv { path }; the entry or 0 with
 * *err. */
static uint64_t exec_of(struct task_struct *t, const char *path, int *err)
{
	char *argv[] = { (char *)path, NULL };
	struct exec_args a = { path, 1, argv, 0, NULL, 0 };

	return do_execve(t, &a, err);
}

/* exit_reap - c's process exits and its parent reaps it. */
static void exit_reap(struct task_struct *parent, struct task_struct *c)
{
	int pid = c->pid;

	do_exit_group(c, 0);
	reap(parent, pid);
}

static const char *const grind_progs[] = {
	"/bin/sh", "/usr/bin/cat", "/nonexistent", "/etc/passwd"
};

/* vma_summary - start, end, flags and object of every vma, as text. */
static void vma_summary(struct mm_struct *mm, char *buf, size_t size)
{
	struct vm_area_struct *v;
	size_t n = 0;

	buf[0] = '\0';
	for (v = mm->mmap; v && n < size; v = v->vm_next)
		n += (size_t)snprintf(buf + n, size - n, "%lx-%lx %lx %p %lx\n",
				      (unsigned long)v->vm_start,
				      (unsigned long)v->vm_end,
				      (unsigned long)v->vm_flags,
				      (void *)v->vm_file,
				      (unsigned long)v->vm_pgoff);
}

/* find_named - the vma of mm whose file path or special name is name. */
static struct vm_area_struct *find_named(struct mm_struct *mm,
					 const char *name)
{
	struct vm_area_struct *v;

	for (v = mm->mmap; v; v = v->vm_next)
		if ((v->vm_file && !strcmp(v->vm_file->name, name)) ||
		    (v->vm_special && !strcmp(v->vm_special->name, name)))
			return v;
	return NULL;
}

/* exec_layout - /bin/sh (dash, a PIE with ld.so) gets its segments at
 * 0x555555554000, bss, ld.so and the vDSO top-down, and a stack holding
 * argc, argv and the strings, which mem reads back. */
START_TEST(exec_layout)
{
	struct task_struct *init, *c;
	struct mm_struct *mm;
	struct vm_area_struct *v;
	uint64_t entry, argc = 0;
	char buf[16];
	int err;

	boot_machine(64 * MB, 1, false, PAGING_4LEVEL);
	init = init_task();
	c = fork_of(init);
	entry = exec_of(c, "/bin/sh", &err);
	ck_assert_int_eq(err, 0);
	mm = c->mm;
	ck_assert_str_eq(c->comm, "sh");
	ck_assert_uint_eq(mm->mmap->vm_start, 0x555555554000ULL);
	ck_assert_ptr_nonnull(mm->mmap->vm_file);
	ck_assert_uint_eq(mm->start_brk % PAGE_SIZE, 0);
	ck_assert_uint_eq(mm->brk, mm->start_brk);
	v = find_named(mm, "[vdso]");
	ck_assert_ptr_nonnull(v);
	ck_assert_uint_eq(v->vm_flags & (VM_READ | VM_WRITE | VM_EXEC),
			  VM_READ | VM_EXEC);
	v = find_named(mm, "[vvar]");
	ck_assert_ptr_nonnull(v);
	ck_assert_uint_eq(v->vm_end + 2 * PAGE_SIZE,
			  find_named(mm, "[vdso]")->vm_start);
	ck_assert_ptr_nonnull(find_vma(mm, entry));
	ck_assert(find_vma(mm, entry)->vm_flags & VM_EXEC);
	ck_assert_uint_eq(access_remote_vm(c, mm->start_stack, &argc, 8,
					   false), 8);
	ck_assert_uint_eq(argc, 1);
	ck_assert_uint_eq(access_remote_vm(c, mm->arg_start, buf, 8, false), 8);
	ck_assert_str_eq(buf, "/bin/sh");
	ck_assert_uint_eq(mm->arg_end, mm->arg_start + 8);
	ck_assert_uint_eq(mm->env_start, mm->env_end);
	ck_assert_uint_eq(mm->start_stack % 16, 0);
	assert_check();
	exit_reap(init, c);
	shutdown();
}
END_TEST

/* exec_errors_change_nothing - each failing exec leaves the vmas, the
 * mm fields, comm and the free frames as they were. */
START_TEST(exec_errors_change_nothing)
{
	static const char text[] = "/tmp/mmufs-unit-text";
	static char before[4096], after[4096];
	struct task_struct *init, *c;
	uint64_t free_before, start_brk;
	char big[MAX_ARG_STRLEN + 8], *set[] = { big };
	char *argv[] = { (char *)"/bin/sh", NULL };
	struct exec_args a = { "/bin/sh", 1, argv, 1, set, 0 };
	FILE *f = fopen(text, "w");
	int err;

	ck_assert_ptr_nonnull(f);
	fputs("#!not an elf\n", f);
	fclose(f);
	ck_assert_int_eq(chmod(text, 0755), 0);
	boot_machine(64 * MB, 1, false, PAGING_4LEVEL);
	init = init_task();
	c = fork_of(init);
	exec_of(c, "/usr/bin/cat", &err);
	ck_assert_int_eq(err, 0);
	vma_summary(c->mm, before, sizeof(before));
	free_before = nr_free_drained();
	start_brk = c->mm->start_brk;
	exec_of(c, "/nonexistent/sh", &err);
	ck_assert_int_eq(err, -ENOENT);
	exec_of(c, "/tmp", &err);
	ck_assert_int_eq(err, -EACCES);
	exec_of(c, text, &err);
	ck_assert_int_eq(err, -ENOEXEC);
	memset(big, 'x', sizeof(big) - 1);
	big[0] = 'V';
	big[1] = '=';
	big[sizeof(big) - 1] = '\0';
	do_execve(c, &a, &err);
	ck_assert_int_eq(err, -E2BIG);
	vma_summary(c->mm, after, sizeof(after));
	ck_assert_str_eq(before, after);
	ck_assert_uint_eq(nr_free_drained(), free_before);
	ck_assert_uint_eq(c->mm->start_brk, start_brk);
	ck_assert_str_eq(c->comm, "cat");
	assert_check();
	exit_reap(init, c);
	shutdown();
	remove(text);
}
END_TEST

/* exec_i386 - a 32-bit machine refuses x86-64 binaries. */
START_TEST(exec_i386_refuses_elf64)
{
	int err;

	boot_machine(64 * MB, 1, false, PAGING_2LEVEL);
	exec_of(init_task(), "/bin/sh", &err);
	ck_assert_int_eq(err, -ENOEXEC);
	assert_check();
	shutdown();
}
END_TEST

/* exec_then_fork_and_exit - the image forks like any other (COW of its
 * data), and when every process has exited and the cache is dropped, every
 * frame is free again. */
START_TEST(exec_then_fork_and_exit)
{
	struct task_struct *init, *c, *g;
	uint64_t boot_free;
	int err, i;

	boot_machine(64 * MB, 1, false, PAGING_4LEVEL);
	init = init_task();
	boot_free = nr_free_drained();
	for (i = 0; i < 20; i++) {
		c = do_spawn(init, &(struct exec_args){ "/bin/sh", 1,
			     (char *[]){ (char *)"/bin/sh", NULL }, 0, NULL, 0 },
			     &err);
		ck_assert_ptr_nonnull(c);
		touch(c, c->mm->start_brk - PAGE_SIZE, PAGE_SIZE, ACC_WRITE);
		g = fork_of(c);
		touch(g, c->mm->start_brk - PAGE_SIZE, PAGE_SIZE, ACC_WRITE);
		assert_check();
		exit_reap(c, g);
		exit_reap(init, c);
	}
	filemap_shrink(UINT64_MAX, true);
	ck_assert_uint_eq(free_pages_after_exit(), boot_free);
	assert_check();
	shutdown();
}
END_TEST

/* exec_by_thread - a thread's exec replaces the whole process: the other
 * threads go, the leader keeps its pid and gets the new image. */
START_TEST(exec_by_thread)
{
	struct task_struct *init, *c, *th;
	int err, pid, tid;

	boot_machine(64 * MB, 2, false, PAGING_4LEVEL);
	init = init_task();
	c = fork_of(init);
	pid = c->pid;
	th = thread_of(c);
	tid = th->pid;
	thread_of(c);
	ck_assert_int_eq(c->mm->mm_users, 3);
	exec_of(th, "/bin/sh", &err);
	ck_assert_int_eq(err, 0);
	ck_assert_ptr_eq(find_task_by_pid(pid), c);
	ck_assert_ptr_null(find_task_by_pid(tid));
	ck_assert(list_empty(&c->thread_group));
	ck_assert_int_eq(c->mm->mm_users, 1);
	ck_assert_str_eq(c->comm, "sh");
	assert_check();
	exit_reap(init, c);
	shutdown();
}
END_TEST

/* exec_aslr - with --aslr the stack top, the PIE base, ld.so and brk move
 * within Linux's ranges, and each image is consistent. */
START_TEST(exec_aslr)
{
	struct boot_params bp = {
		.mem_bytes = 64 * MB, .nr_cpus = 1, .tlb_entries = 64,
		.tlb_ways = 4, .mode = PAGING_4LEVEL, .aslr = true,
	};
	struct task_struct *init, *a, *b;
	int err;

	ck_assert_int_eq(kernel_boot(&bp), 0);
	init = init_task();
	a = fork_of(init);
	b = fork_of(init);
	exec_of(a, "/bin/sh", &err);
	ck_assert_int_eq(err, 0);
	exec_of(b, "/bin/sh", &err);
	ck_assert_int_eq(err, 0);
	ck_assert(a->mm->start_stack != b->mm->start_stack ||
		  a->mm->mmap->vm_start != b->mm->mmap->vm_start);
	ck_assert_uint_ge(a->mm->mmap->vm_start, 0x555555554000ULL);
	ck_assert_uint_lt(a->mm->mmap->vm_start,
			  0x555555554000ULL + (1ULL << 40));
	ck_assert_uint_gt(a->mm->start_brk, a->mm->end_data);
	ck_assert_uint_le(a->mm->start_brk,
			  PAGE_ALIGN(a->mm->end_data) + (33ULL << 20));
	ck_assert_uint_gt(a->mm->start_stack, 0x7ffffffff000ULL - (17ULL << 30));
	assert_check();
	exit_reap(init, a);
	exit_reap(init, b);
	shutdown();
}
END_TEST

/* ---- exec --link (ld.c) ---- */

/* link_exec - exec --link of path by t with the environment additions
 * set[0..nset); the entry or 0 with *err. */
static uint64_t link_exec(struct task_struct *t, const char *path,
			  char **set, int nset, int *err)
{
	char *argv[] = { (char *)path, NULL };
	struct exec_args a = { path, 1, argv, nset, set, EXEC_LINK };

	return do_execve(t, &a, err);
}

/* A segment of a hand-made ELF file. */
struct test_seg {
	uint64_t off, vaddr, filesz, memsz;
	uint32_t flags;
};

/* What write_elf puts in a file: a shared library, or (program) a PIE
 * whose interpreter is the host's ld.so. */
struct test_elf {
	bool program;
	int nsegs;
	struct test_seg segs[2];	/* segs[0] must cover the first 0x800 */
	uint64_t align;			/* p_align of the PT_LOADs */
	const char *needed[4];		/* NULL-terminated */
	int64_t path_tag;		/* DT_RPATH or DT_RUNPATH, or 0 */
	const char *path;
	const char *soname;
	uint64_t relro_vaddr, relro_size;	/* no PT_GNU_RELRO if size 0 */
};

/* elf_strtab_add - append s to the string table at tab (used bytes in
 * *n); its offset. */
static uint64_t elf_strtab_add(char *tab, size_t *n, const char *s)
{
	uint64_t off = *n;

	strcpy(tab + *n, s);
	*n += strlen(s) + 1;
	return off;
}

/* write_elf - a 0x3000-byte file: headers, interpreter path, string table
 * and dynamic section in the first 0x800 bytes, 0xaa everywhere else. */
static void write_elf(const char *file, const struct test_elf *e)
{
	static const char interp[] = "/lib64/ld-linux-x86-64.so.2";
	static unsigned char buf[0x3000];
	Elf64_Ehdr *eh = (Elf64_Ehdr *)buf;
	Elf64_Phdr *ph = (Elf64_Phdr *)(buf + sizeof(*eh));
	Elf64_Dyn *dyn = (Elf64_Dyn *)(buf + 0x500);
	char *strtab = (char *)buf + 0x300;
	size_t nstr = 1;
	int i, np = 0, nd = 0;
	FILE *f;

	memset(buf, 0, 0x800);
	memset(buf + 0x800, 0xaa, sizeof(buf) - 0x800);
	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = ELFCLASS64;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_VERSION] = EV_CURRENT;
	eh->e_type = ET_DYN;
	eh->e_machine = EM_X86_64;
	eh->e_version = EV_CURRENT;
	eh->e_entry = 0x100;
	eh->e_phoff = sizeof(*eh);
	eh->e_ehsize = sizeof(*eh);
	eh->e_phentsize = sizeof(*ph);
	if (e->program) {
		memcpy(buf + 0x200, interp, sizeof(interp));
		ph[np++] = (Elf64_Phdr){ .p_type = PT_INTERP, .p_flags = PF_R,
			.p_offset = 0x200, .p_vaddr = 0x200,
			.p_filesz = sizeof(interp), .p_memsz = sizeof(interp),
			.p_align = 1 };
	}
	for (i = 0; i < e->nsegs; i++) {
		const struct test_seg *s = &e->segs[i];

		ph[np++] = (Elf64_Phdr){ .p_type = PT_LOAD, .p_flags = s->flags,
			.p_offset = s->off, .p_vaddr = s->vaddr,
			.p_paddr = s->vaddr, .p_filesz = s->filesz,
			.p_memsz = s->memsz, .p_align = e->align };
	}
	for (i = 0; e->needed[i]; i++)
		dyn[nd++] = (Elf64_Dyn){ DT_NEEDED,
			{ elf_strtab_add(strtab, &nstr, e->needed[i]) } };
	if (e->path_tag)
		dyn[nd++] = (Elf64_Dyn){ e->path_tag,
			{ elf_strtab_add(strtab, &nstr, e->path) } };
	if (e->soname)
		dyn[nd++] = (Elf64_Dyn){ DT_SONAME,
			{ elf_strtab_add(strtab, &nstr, e->soname) } };
	dyn[nd++] = (Elf64_Dyn){ DT_STRTAB, { 0x300 } };
	dyn[nd++] = (Elf64_Dyn){ DT_STRSZ, { nstr } };
	dyn[nd++] = (Elf64_Dyn){ DT_NULL, { 0 } };
	ph[np++] = (Elf64_Phdr){ .p_type = PT_DYNAMIC, .p_flags = PF_R | PF_W,
		.p_offset = 0x500, .p_vaddr = 0x500,
		.p_filesz = (uint64_t)nd * sizeof(*dyn),
		.p_memsz = (uint64_t)nd * sizeof(*dyn), .p_align = 8 };
	if (e->relro_size)
		ph[np++] = (Elf64_Phdr){ .p_type = PT_GNU_RELRO,
			.p_flags = PF_R, .p_vaddr = e->relro_vaddr,
			.p_memsz = e->relro_size, .p_align = 1 };
	eh->e_phnum = (uint16_t)np;
	f = fopen(file, "w");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(buf, 1, sizeof(buf), f), sizeof(buf));
	fclose(f);
	ck_assert_int_eq(chmod(file, 0755), 0);
}

/* The test files, under LINK_DIR. */
#define LINK_DIR	"/tmp/mmufs-unit-link"

/* link_setup - LINK_DIR and LINK_DIR/lib. */
static void link_setup(void)
{
	mkdir(LINK_DIR, 0755);
	mkdir(LINK_DIR "/lib", 0755);
}

/* link_cleanup - remove every file the link tests write, and LINK_DIR. */
static void link_cleanup(void)
{
	static const char *const files[] = {
		"seg", "big", "rpath", "runpath", "abs", "notelf",
		"lib/libmmufs-seg.so", "lib/libmmufs-big.so",
		"lib/libmmufs-a.so", "lib/libmmufs-b.so", "lib/libmmufs-c.so",
		"lib", NULL
	};
	char path[256];
	int i;

	for (i = 0; files[i]; i++) {
		snprintf(path, sizeof(path), LINK_DIR "/%s", files[i]);
		remove(path);
	}
	remove(LINK_DIR);
}

/* write_prog - LINK_DIR/name, a program needing n0 (and n1, if any),
 * with a search path of kind tag (DT_RPATH, DT_RUNPATH or 0). */
static void write_prog(const char *name, const char *n0, const char *n1,
		       int64_t tag, const char *path)
{
	char file[256];
	struct test_elf e = {
		.program = true, .nsegs = 1,
		.segs = { { 0, 0, 0x800, 0x800, PF_R | PF_X } },
		.align = PAGE_SIZE, .needed = { n0, n1, NULL },
		.path_tag = tag, .path = path,
	};

	snprintf(file, sizeof(file), LINK_DIR "/%s", name);
	write_elf(file, &e);
}

/* write_lib - LINK_DIR/lib/name, a one-page library with soname name
 * needing n0 (if any). */
static void write_lib(const char *name, const char *n0)
{
	char file[256];
	struct test_elf e = {
		.nsegs = 1, .segs = { { 0, 0, 0x800, 0x800, PF_R } },
		.align = PAGE_SIZE, .needed = { n0, NULL }, .soname = name,
	};

	snprintf(file, sizeof(file), LINK_DIR "/lib/%s", name);
	write_elf(file, &e);
}

/* lib_base - the lowest address of a vma of the file path in mm, 0 if
 * none; *nvmas its number of vmas. */
static uint64_t lib_base(struct mm_struct *mm, const char *path, int *nvmas)
{
	struct vm_area_struct *v;
	uint64_t base = 0;

	*nvmas = 0;
	for (v = mm->mmap; v; v = v->vm_next)
		if (v->vm_file && !strcmp(v->vm_file->name, path)) {
			if (!*nvmas)
				base = v->vm_start;
			(*nvmas)++;
		}
	return base;
}

/* vma_is - the vma at addr spans [start, end) of the given access bits
 * and page offset (file-backed unless anon). */
static void vma_is(struct mm_struct *mm, uint64_t start, uint64_t end,
		   uint64_t access, bool anon, uint64_t pgoff)
{
	struct vm_area_struct *v = find_vma(mm, start);

	ck_assert_ptr_nonnull(v);
	ck_assert_msg(v->vm_start == start && v->vm_end == end,
		      "vma %lx-%lx, wanted %lx-%lx",
		      (unsigned long)v->vm_start, (unsigned long)v->vm_end,
		      (unsigned long)start, (unsigned long)end);
	ck_assert_uint_eq(v->vm_flags & (VM_READ | VM_WRITE | VM_EXEC), access);
	ck_assert_int_eq(v->vm_file == NULL, anon);
	if (!anon)
		ck_assert_uint_eq(v->vm_pgoff, pgoff);
}

/* check_segments - the vmas of the ELF file path mapped at base (its
 * first PT_LOAD has p_vaddr 0): each PT_LOAD at its page with its file
 * offset and exec bit, its PT_GNU_RELRO pages read-only, the page after
 * them writable.  Returns the end of the last segment's pages. */
static uint64_t check_segments(struct mm_struct *mm, const char *path,
			       uint64_t base)
{
	struct vm_area_struct *v;
	Elf64_Ehdr eh;
	Elf64_Phdr ph[32];
	uint64_t top = 0, start, end;
	FILE *f = fopen(path, "r");
	int i;

	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fread(&eh, sizeof(eh), 1, f), 1);
	ck_assert_uint_le(eh.e_phnum, 32);
	fseek(f, (long)eh.e_phoff, SEEK_SET);
	ck_assert_uint_eq(fread(ph, sizeof(ph[0]), eh.e_phnum, f), eh.e_phnum);
	fclose(f);
	for (i = 0; i < eh.e_phnum; i++) {
		start = base + (ph[i].p_vaddr & PAGE_MASK);
		end = base + ph[i].p_vaddr + ph[i].p_memsz;
		if (ph[i].p_type == PT_LOAD) {
			v = find_vma(mm, start);
			ck_assert_uint_eq(v->vm_start, start);
			ck_assert_uint_eq(v->vm_pgoff, ph[i].p_offset >> PAGE_SHIFT);
			ck_assert_int_eq(!!(v->vm_flags & VM_EXEC),
					 !!(ph[i].p_flags & PF_X));
			top = PAGE_ALIGN(end);
		} else if (ph[i].p_type == PT_GNU_RELRO) {
			end &= PAGE_MASK;
			ck_assert(!(find_vma(mm, start)->vm_flags & VM_WRITE));
			ck_assert(!(find_vma(mm, end - 1)->vm_flags & VM_WRITE));
			ck_assert(find_vma(mm, end)->vm_flags & VM_WRITE);
		}
	}
	return top;
}

/* link_host_cat - /usr/bin/cat as ld.so leaves it: libc mapped as its
 * program headers say, RELRO pages of libc, cat and ld.so read-only,
 * libc's bss anonymous, ld.so not mapped again (its vmas where the
 * kernel put them, one more for its RELRO), /etc/ld.so.cache unmapped
 * again but its hole left between libc and the vDSO's [vvar]. */
START_TEST(link_host_cat)
{
	char *libc = realpath("/lib/x86_64-linux-gnu/libc.so.6", NULL);
	char *ld = realpath("/lib64/ld-linux-x86-64.so.2", NULL);
	char *cat = realpath("/usr/bin/cat", NULL);
	struct task_struct *init, *c;
	struct vm_area_struct *v;
	struct stat cache;
	uint64_t top, ldbase;
	int err, n, nld;

	ck_assert(libc && ld && cat);
	ck_assert_int_eq(stat("/etc/ld.so.cache", &cache), 0);
	boot_machine(64 * MB, 1, false, PAGING_4LEVEL);
	init = init_task();
	c = fork_of(init);
	exec_of(c, "/usr/bin/cat", &err);
	ck_assert_int_eq(err, 0);
	ldbase = lib_base(c->mm, ld, &nld);
	ck_assert_uint_eq(lib_base(c->mm, libc, &n), 0);
	link_exec(c, "/usr/bin/cat", NULL, 0, &err);
	ck_assert_int_eq(err, 0);
	top = check_segments(c->mm, libc, lib_base(c->mm, libc, &n));
	check_segments(c->mm, cat, lib_base(c->mm, cat, &n));
	check_segments(c->mm, ld, ldbase);
	v = find_vma(c->mm, top - 1);
	ck_assert_ptr_null(v->vm_file);		/* bss */
	ck_assert_uint_eq(v->vm_end, top);
	ck_assert_ptr_eq(v->vm_next, find_named(c->mm, "[vvar]"));
	ck_assert_uint_eq(v->vm_next->vm_start,
			  top + PAGE_ALIGN((uint64_t)cache.st_size));
	ck_assert_ptr_null(find_named(c->mm, "/etc/ld.so.cache"));
	ck_assert_uint_eq(lib_base(c->mm, ld, &n), ldbase);
	ck_assert_int_eq(n, nld + 1);
	assert_check();
	exit_reap(init, c);
	shutdown();
	free(libc);
	free(ld);
	free(cat);
}
END_TEST

/* link_segments - _dl_map_segments on a library with a hole between its
 * segments, a RELRO page and bss: the reservation's file offsets stay on
 * the PROT_NONE hole, the tail of the last file page reads as zeroes,
 * whole bss pages are anonymous; the search found it through the
 * program's $ORIGIN RPATH without the cache (no hole above it). */
START_TEST(link_segments)
{
	struct test_elf lib = {
		.nsegs = 2, .align = PAGE_SIZE, .soname = "libmmufs-seg.so",
		.segs = { { 0, 0, 0x800, 0x800, PF_R },
			  { 0x1000, 0x3000, 0x1100, 0x3000, PF_R | PF_W } },
		.needed = { NULL }, .relro_vaddr = 0x3000,
		.relro_size = 0x1080,
	};
	struct task_struct *init, *c;
	uint64_t base;
	unsigned char b[2];
	int err, n;

	link_setup();
	write_elf(LINK_DIR "/lib/libmmufs-seg.so", &lib);
	write_prog("seg", "libmmufs-seg.so", NULL, DT_RPATH, "$ORIGIN/lib");
	boot_machine(64 * MB, 1, false, PAGING_4LEVEL);
	init = init_task();
	c = fork_of(init);
	link_exec(c, LINK_DIR "/seg", NULL, 0, &err);
	ck_assert_int_eq(err, 0);
	base = lib_base(c->mm, LINK_DIR "/lib/libmmufs-seg.so", &n);
	ck_assert_int_eq(n, 4);
	vma_is(c->mm, base, base + 0x1000, VM_READ, false, 0);
	vma_is(c->mm, base + 0x1000, base + 0x3000, 0, false, 1);
	vma_is(c->mm, base + 0x3000, base + 0x4000, VM_READ, false, 1);
	vma_is(c->mm, base + 0x4000, base + 0x5000, VM_READ | VM_WRITE, false,
	       2);
	vma_is(c->mm, base + 0x5000, base + 0x6000, VM_READ | VM_WRITE, true,
	       0);
	ck_assert_ptr_eq(find_vma(c->mm, base + 0x6000),
			 find_named(c->mm, "[vvar]"));
	ck_assert_uint_eq(access_remote_vm(c, base + 0x40ff, b, 2, false), 2);
	ck_assert_uint_eq(b[0], 0xaa);
	ck_assert_uint_eq(b[1], 0);
	ck_assert_uint_eq(access_remote_vm(c, base + 0x4fff, b, 1, false), 1);
	ck_assert_uint_eq(b[0], 0);
	assert_check();
	exit_reap(init, c);
	shutdown();
	link_cleanup();
}
END_TEST

/* link_alignment - a library with a 2 MiB p_align starts on a 2 MiB
 * boundary and nothing is left of the larger reservation. */
START_TEST(link_alignment)
{
	struct test_elf lib = {
		.nsegs = 2, .align = 2 * MB, .soname = "libmmufs-big.so",
		.segs = { { 0, 0, 0x800, 0x800, PF_R | PF_X },
			  { 0x1000, 0x201000, 0x100, 0x100, PF_R | PF_W } },
		.needed = { NULL },
	};
	struct task_struct *init, *c;
	struct vm_area_struct *v;
	uint64_t base;
	int err, n;

	link_setup();
	write_elf(LINK_DIR "/lib/libmmufs-big.so", &lib);
	write_prog("big", "libmmufs-big.so", NULL, DT_RUNPATH, "$ORIGIN/lib");
	boot_machine(64 * MB, 1, false, PAGING_4LEVEL);
	init = init_task();
	c = fork_of(init);
	link_exec(c, LINK_DIR "/big", NULL, 0, &err);
	ck_assert_int_eq(err, 0);
	base = lib_base(c->mm, LINK_DIR "/lib/libmmufs-big.so", &n);
	ck_assert_uint_eq(base % (2 * MB), 0);
	ck_assert_int_eq(n, 3);
	vma_is(c->mm, base + 0x1000, base + 0x201000, 0, false, 1);
	vma_is(c->mm, base + 0x201000, base + 0x202000, VM_READ | VM_WRITE,
	       false, 1);
	for (v = c->mm->mmap; v; v = v->vm_next)
		ck_assert(v->vm_file || v->vm_special ||
			  (v->vm_flags & VM_ACCESS_FLAGS));
	assert_check();
	exit_reap(init, c);
	shutdown();
	link_cleanup();
}
END_TEST

/* link_search - rtld's search order and breadth-first loading: a needs
 * c, b needs c; the program needs a and b.  DT_RPATH serves the
 * dependencies of dependencies, DT_RUNPATH only its own object's (-ENOENT
 * otherwise, the process unchanged), LD_LIBRARY_PATH all; libraries are
 * mapped a, b, c top-down, c once; a path name is opened as it is, and a
 * file that is no ELF is -ENOEXEC. */
START_TEST(link_search)
{
	static char before[4096], after[4096];
	char llp[] = "LD_LIBRARY_PATH=/nonexistent:" LINK_DIR "/lib";
	char *set[] = { llp };
	struct task_struct *init, *c;
	uint64_t a, b, cc;
	int err, n;

	link_setup();
	write_lib("libmmufs-a.so", "libmmufs-c.so");
	write_lib("libmmufs-b.so", "libmmufs-c.so");
	write_lib("libmmufs-c.so", NULL);
	write_prog("rpath", "libmmufs-a.so", "libmmufs-b.so", DT_RPATH,
		   "$ORIGIN/lib");
	write_prog("runpath", "libmmufs-a.so", "libmmufs-b.so", DT_RUNPATH,
		   "$ORIGIN/lib");
	write_prog("abs", LINK_DIR "/lib/libmmufs-c.so", NULL, 0, NULL);
	write_prog("notelf", "/etc/passwd", NULL, 0, NULL);
	boot_machine(64 * MB, 1, false, PAGING_4LEVEL);
	init = init_task();
	c = fork_of(init);
	link_exec(c, LINK_DIR "/rpath", NULL, 0, &err);
	ck_assert_int_eq(err, 0);
	a = lib_base(c->mm, LINK_DIR "/lib/libmmufs-a.so", &n);
	b = lib_base(c->mm, LINK_DIR "/lib/libmmufs-b.so", &n);
	cc = lib_base(c->mm, LINK_DIR "/lib/libmmufs-c.so", &n);
	ck_assert_int_eq(n, 1);
	ck_assert_ptr_eq(find_vma(c->mm, a + PAGE_SIZE),
			 find_named(c->mm, "[vvar]"));
	ck_assert_uint_eq(b + PAGE_SIZE, a);
	ck_assert_uint_eq(cc + PAGE_SIZE, b);
	vma_summary(c->mm, before, sizeof(before));
	link_exec(c, LINK_DIR "/runpath", NULL, 0, &err);
	ck_assert_int_eq(err, -ENOENT);
	vma_summary(c->mm, after, sizeof(after));
	ck_assert_str_eq(before, after);
	link_exec(c, LINK_DIR "/runpath", set, 1, &err);
	ck_assert_int_eq(err, 0);
	ck_assert_uint_eq(lib_base(c->mm, LINK_DIR "/lib/libmmufs-c.so", &n),
			  cc);
	link_exec(c, LINK_DIR "/abs", NULL, 0, &err);
	ck_assert_int_eq(err, 0);
	ck_assert_uint_ne(lib_base(c->mm, LINK_DIR "/lib/libmmufs-c.so", &n),
			  0);
	link_exec(c, LINK_DIR "/notelf", NULL, 0, &err);
	ck_assert_int_eq(err, -ENOEXEC);
	assert_check();
	exit_reap(init, c);
	shutdown();
	link_cleanup();
}
END_TEST

START_TEST(grind)
{
	struct task_struct *init;
	uint64_t seed = 12345;
	int step;

	static const char data[] = "/tmp/mmufs-grind.dat";
	FILE *f = fopen(data, "w");

	ck_assert_ptr_nonnull(f);
	for (step = 0; step < 10000; step++)
		fputc(step & 0xff, f);
	fclose(f);
	boot_with(32 * MB, 2, _i & 1);
	init = init_task();
	for (step = 0; step < 3000; step++) {
		struct task_struct *ts[64];
		struct list_head *l;
		int n = 0, op;
		struct task_struct *t;
		uint64_t r, a, len, faults;
		int err;

		list_for_each(l, &task_list) {
			struct task_struct *x = list_entry(l, struct task_struct,
							   tasks);
			if (x->mm && n < 64)
				ts[n++] = x;
		}
		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		r = seed >> 16;
		t = ts[r % (uint64_t)n];
		op = (int)((r >> 8) % 16);
		a = 0x7ffff0000000ULL + ((r >> 16) % 256) * PAGE_SIZE;
		len = (((r >> 24) % 16) + 1) * PAGE_SIZE;
		switch (op) {
		case 0:
			if (nr_tasks < 40)
				do_fork(t, &err);
			break;
		case 1:
			if (t->group_leader != init)
				do_exit_group(t, 0);
			break;
		case 2: {
			int rp, st;

			do_wait(init, -1, &rp, &st);
			break;
		}
		case 3:
			do_mmap(t, a, len, (r >> 40) & 1 ? RW : PROT_READ,
				ANON | ((r >> 41) & 1 ? MAP_FIXED : 0), 0);
			break;
		case 4:
			do_munmap(t->mm, a, len);
			break;
		case 5:
			do_mprotect(t, a, len, (r >> 40) & 3);
			break;
		case 6:
		case 7:
			if (t != init || find_vma_intersection(t->mm, a, a + len))
				user_touch(t, a, len, (r >> 40) & 1 ? ACC_WRITE :
					   ACC_READ, &faults);
			break;
		case 8:	/* old length 0 (duplicating) one time in four */
			do_mremap(t, a, (r >> 40) & 3 ? len : 0, len * 2,
				  MREMAP_MAYMOVE);
			break;
		case 9:
			do_madvise(t, a, len, MADV_DONTNEED);
			break;
		case 10:
			do_mlock(t, a, len, (r >> 40) & 1);
			break;
		case 11:
			if ((r >> 40) & 1)
				do_mmap(t, 0, len, RW, MAP_SHARED | MAP_ANONYMOUS,
					0);
			else
				do_mmap_file(t, 0, len, RW, (r >> 41) & 1 ?
					     MAP_SHARED : MAP_PRIVATE,
					     "/dev/zero", 0);
			break;
		case 12:
			do_thread(t, &err);
			break;
		case 13:
			do_mmap_file(t, a, len, (r >> 40) & 1 ? RW : PROT_READ,
				     ((r >> 41) & 1 ? MAP_SHARED : MAP_PRIVATE) |
				     ((r >> 42) & 1 ? MAP_FIXED : 0), data,
				     ((r >> 43) % 4) * PAGE_SIZE);
			break;
		case 14:
			filemap_shrink((r >> 40) % 8, (r >> 44) & 1);
			break;
		case 15:
			if (t->group_leader != init)
				exec_of(t, grind_progs[(r >> 40) % 4], &err);
			break;
		}
		assert_check();
	}
	shutdown();
	remove(data);
}
END_TEST

static Suite *mm_suite(void)
{
	Suite *s = suite_create("mm");
	TCase *tc;

	tc = tcase_create("boot");
	tcase_add_test(tc, boot_layout);
	tcase_add_test(tc, slab_orders);
	tcase_add_test(tc, slabs_follow_processes);
	tcase_add_test(tc, kmalloc_picks_caches);
	tcase_add_test(tc, radix_nodes_follow_page_cache);
	tcase_add_test(tc, file_objects_follow_host_files);
	tcase_add_test(tc, boot_layout_i386);
	tcase_add_test(tc, boot_rejects_bad_params);
	tcase_add_test(tc, aslr_layout);
	suite_add_tcase(s, tc);

	tc = tcase_create("faults");
	tcase_add_test(tc, demand_zero_write);
	tcase_add_test(tc, read_then_write_two_faults_per_page);
	tcase_add_test(tc, data_survives_and_reads_back);
	tcase_add_test(tc, sigsegv_outside_vma);
	tcase_add_test(tc, sigsegv_write_to_readonly);
	tcase_add_test(tc, sigsegv_noncanonical_and_nx);
	tcase_add_test(tc, stack_growth);
	tcase_add_test(tc, stack_guard_gap_kept);
	suite_add_tcase(s, tc);

	tc = tcase_create("fork");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, fork_child_writes_copy);
	tcase_add_test(tc, fork_parent_writes_after_child_exit);
	tcase_add_test(tc, fork_shares_zero_page_and_shared_anon);
	tcase_add_test(tc, thousand_processes_no_frame_lost);
	tcase_add_test(tc, threads_share_mm);
	tcase_add_test(tc, children_reparented_to_init);
	suite_add_tcase(s, tc);

	tc = tcase_create("vmas");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, munmap_middle_splits);
	tcase_add_test(tc, mprotect_middle_three_vmas);
	tcase_add_test(tc, mprotect_none_keeps_pages);
	tcase_add_test(tc, adjacent_mmaps_merge);
	tcase_add_test(tc, mmap_errors_change_nothing);
	tcase_add_test(tc, mmap_fixed_replaces);
	tcase_add_test(tc, thp_aligned_large_anon);
	tcase_add_test(tc, hint_used_when_free);
	tcase_add_test(tc, max_map_count);
	tcase_add_test(tc, brk_grow_shrink_blocked);
	tcase_add_test(tc, mremap_grow_and_move);
	tcase_add_test(tc, madvise_dontneed_zeroes);
	tcase_add_test(tc, mlock_populates_and_counts);
	tcase_add_test(tc, populate_flag);
	tcase_add_test(tc, remote_write_breaks_cow_of_readonly);
	suite_add_tcase(s, tc);

	tc = tcase_create("edges");
	tcase_add_test(tc, mmap_flag_validation);
	tcase_add_test(tc, mmap_dev_zero);
	tcase_add_test(tc, mmap_hint_placement);
	tcase_add_test(tc, mremap_edges);
	tcase_add_test(tc, mlock_cannot_populate);
	tcase_add_test(tc, reasons_from_the_checks);
	tcase_add_test(tc, brk_shrink_over_unmapped_heap);
	suite_add_tcase(s, tc);

	tc = tcase_create("exec");
	tcase_add_test(tc, exec_layout);
	tcase_add_test(tc, exec_errors_change_nothing);
	tcase_add_test(tc, exec_i386_refuses_elf64);
	tcase_add_test(tc, exec_then_fork_and_exit);
	tcase_add_test(tc, exec_by_thread);
	tcase_add_test(tc, exec_aslr);
	suite_add_tcase(s, tc);

	tc = tcase_create("link");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, link_host_cat);
	tcase_add_test(tc, link_segments);
	tcase_add_test(tc, link_alignment);
	tcase_add_test(tc, link_search);
	suite_add_tcase(s, tc);

	tc = tcase_create("machine");
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, context_switch_flushes_tlb);
	tcase_add_test(tc, pcid_keeps_entries);
	tcase_add_test(tc, kthreadd_borrows_mm_lazily);
	tcase_add_test(tc, two_cpus_remote_flush);
	tcase_add_test(tc, overcommit_never);
	tcase_add_test(tc, overcommit_heuristic);
	tcase_add_test(tc, oom_kills_largest);
	tcase_add_test(tc, oom_kills_other_process);
	tcase_add_test(tc, oom_during_fork_of_victim);
	tcase_add_test(tc, kill_and_errors);
	tcase_add_loop_test(tc, grind, 0, 2);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(mm_suite());
}
