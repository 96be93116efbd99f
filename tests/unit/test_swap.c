/*
 * test_swap.c - swap and reclaim on a booted machine: swap entries in the
 * page tables, the swap cache and readahead, fork and exit with pages in
 * swap, memory pressure (kswapd, direct reclaim, the OOM killer), swapon
 * and swapoff, refault distances, and i386's entry encoding.  The machine
 * is deterministic, so the counts are exact; every scenario ends with the
 * invariant checker and, where every process is gone, with every slot
 * and frame free again.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "exec/binfmts.h"
#include "kernel/kernel.h"
#include "kernel/errstr.h"
#include "kernel/trace.h"
#include "mm/mm.h"
#include "mm/memcontrol.h"
#include "mm/page_alloc.h"
#include "mm/pgtable.h"
#include "mm/swap.h"
#include "kernel/sched.h"
#include "mm/vmstat.h"
#include "mm/writeback.h"
#include "mm/replace.h"
#include "machine.h"
#include "mm/slab.h"
#include "mm/vmalloc.h"

#define EV(item)	(vmstat.events[item])

/* cache_frames - the frames the slabs of cache s hold. */
static uint64_t cache_frames(const struct kmem_cache *s)
{
	return s->nr_slabs << s->order;
}

/* swap_info_frames - the frames the kernel holds for swap areas: the
 * slabs of kmalloc (swap_info_structs; a swap_map area's vm_struct and
 * page array) and vmap_area, the swap_map vmalloc areas and the kernel's
 * page tables (those made for vmalloc areas stay after vfree); and their
 * count when the machine booted. */
static uint64_t swap_info_frames(void)
{
	uint64_t n = cache_frames(vmap_area_cachep) + vmalloc_nr_pages() +
		     (uint64_t)init_mm.pgtables_bytes / PAGE_SIZE;

	for (unsigned int i = 1; i <= KMALLOC_SHIFT_HIGH; i++)
		n += cache_frames(kmalloc_caches[i]);
	return n;
}
static uint64_t boot_swap_info_frames;

/* boot_swap - a machine of mem bytes with a swap area of swap bytes
 * (none for 0), one CPU. */
static void boot_swap(uint64_t mem, uint64_t swap, enum paging_mode mode)
{
	struct boot_params bp = {
		.mem_bytes = mem, .swap_bytes = swap, .nr_cpus = 1,
		.tlb_entries = 64, .tlb_ways = 4, .mode = mode,
	};

	ck_assert_int_eq(kernel_boot(&bp), 0);
	boot_swap_info_frames = swap_info_frames();
}

static void shutdown(void)
{
	assert_check();
	kernel_shutdown();
}

/* page_word - the word a test stores in page va of a fill with seed. */
static uint64_t page_word(uint64_t va, unsigned int seed)
{
	return (va >> PAGE_SHIFT) * 0x9e3779b97f4a7c15ULL + seed;
}

/* fill - store distinct data in each of the n pages from va: the page's
 * word at its start and its end (the rest stays zero). */
static void fill(struct task_struct *t, uint64_t va, uint64_t n,
		 unsigned int seed)
{
	for (uint64_t i = 0; i < n; i++) {
		uint64_t p = va + i * PAGE_SIZE, w = page_word(p, seed);

		ck_assert_int_eq(user_access(t, p, &w, sizeof(w), true), 0);
		ck_assert_int_eq(user_access(t, p + PAGE_SIZE - sizeof(w), &w,
					     sizeof(w), true), 0);
	}
}

/* verify_moved - each of the n pages from va holds what fill(seed)
 * stored at from (the range's address then: mremap moves it) and bytes
 * bg elsewhere, read by t as user-mode loads. */
static void verify_moved(struct task_struct *t, uint64_t va, uint64_t from,
			 uint64_t n, unsigned int seed, uint8_t bg)
{
	static uint8_t buf[PAGE_SIZE], want[PAGE_SIZE];

	for (uint64_t i = 0; i < n; i++) {
		uint64_t p = va + i * PAGE_SIZE;
		uint64_t w = page_word(from + i * PAGE_SIZE, seed);

		memset(want, bg, sizeof(want));
		memcpy(want, &w, sizeof(w));
		memcpy(want + PAGE_SIZE - sizeof(w), &w, sizeof(w));
		ck_assert_int_eq(user_access(t, p, buf, PAGE_SIZE, false), 0);
		ck_assert_msg(!memcmp(buf, want, PAGE_SIZE),
			      "pid %d page %#llx lost its data", t->pid,
			      (unsigned long long)p);
	}
}

/* verify - verify_moved of anonymous memory that stayed in place:
 * zeroes but the words. */
static void verify(struct task_struct *t, uint64_t va, uint64_t n,
		   unsigned int seed)
{
	verify_moved(t, va, va, n, seed, 0);
}

/* swap_entry_at - the swap entry t's page table holds at va (must be
 * one). */
static swp_entry_t swap_entry_at(struct task_struct *t, uint64_t va)
{
	pte_t pte = pte_of(t, va);

	ck_assert_msg(is_swap_pte(pte), "no swap entry at %#llx: %#llx",
		      (unsigned long long)va, (unsigned long long)pte);
	return pte_to_swp_entry(pte);
}

/* cached_page - the swap-cache page of e, or NULL. */
static struct page *cached_page(swp_entry_t e)
{
	uintptr_t c = swap_info_get(e)->cache[swp_offset(e)];

	return c && !swap_cache_is_shadow(c) ? (struct page *)c : NULL;
}

/* exit_and_reap - child c of parent exits (unless it has) and is
 * reaped. */
static void exit_and_reap(struct task_struct *parent, struct task_struct *c)
{
	int pid = c->pid;

	if (!c->exit_state)
		do_exit_group(c, 0);
	reap(parent, pid);
}

/* assert_all_free - no slot in use, nothing in the swap cache, and the
 * free frames back at the boot count (after dropping the page cache),
 * but for the slabs of swap_info_structs of areas added or removed since:
 * for a machine whose processes have all exited but init, which mapped
 * nothing. */
static void assert_all_free(void)
{
	drop_caches(3);
	ck_assert_uint_eq(nr_swap_pages, total_swap_pages);
	ck_assert_uint_eq(total_swapcache_pages, 0);
	for (int t = 0; t < MAX_SWAPFILES; t++)
		if (swap_info[t])
			ck_assert_uint_eq(swap_info[t]->inuse_pages, 0);
	ck_assert_uint_eq(free_pages_after_exit() + swap_info_frames(),
			  nr_boot_free_pages + boot_swap_info_frames);
}

/* finish - t, a child of init, exits; then every slot and frame is free,
 * the checker finds nothing, and the machine shuts down. */
static void finish(struct task_struct *t)
{
	exit_and_reap(init_task(), t);
	assert_all_free();
	shutdown();
}

/* pageout - madvise(MADV_PAGEOUT) of n pages from va (must succeed). */
static void pageout(struct task_struct *t, uint64_t va, uint64_t n)
{
	ck_assert_int_eq(do_madvise(t, va, n * PAGE_SIZE, MADV_PAGEOUT), 0);
}

/* written - boot a machine of 64 MiB with 16 MiB of swap; a child of
 * init maps n pages and writes them (seed).  Returns the child; *va is
 * the mapping. */
static struct task_struct *written(uint64_t n, unsigned int seed,
				   uint64_t *va)
{
	struct task_struct *t;

	boot_swap(64 * MB, 16 * MB, PAGING_4LEVEL);
	t = fork_of(init_task());
	*va = mmap_anon(t, n * PAGE_SIZE, RW);
	fill(t, *va, n, seed);
	return t;
}

/* swapped_out - written, with vm.page-cluster `cluster`, and the pages
 * paged out.  Returns the child; *va is the mapping. */
static struct task_struct *swapped_out(uint64_t n, unsigned int seed,
				       int cluster, uint64_t *va)
{
	struct task_struct *t = written(n, seed, va);

	ck_assert_int_eq(sysctl_vm.page_cluster, 3);
	sysctl_vm.page_cluster = cluster;
	pageout(t, *va, n);
	return t;
}

/* host_file - a host file at path of n pages of byte c (for mappings). */
static void host_file(const char *path, uint64_t n, int c)
{
	static char page[PAGE_SIZE];
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	memset(page, c, sizeof(page));
	for (uint64_t i = 0; i < n; i++)
		ck_assert_uint_eq(fwrite(page, 1, PAGE_SIZE, f), PAGE_SIZE);
	ck_assert_int_eq(fclose(f), 0);
}

/* has_event - does the trace ring hold an event of this type whose line
 * ends with tail? */
static bool has_event(enum trace_type type, const char *tail)
{
	char line[256];
	uint64_t first = trace_seq > TRACE_RING_SIZE ?
			 trace_seq - TRACE_RING_SIZE : 0;

	for (uint64_t s = first; s < trace_seq; s++) {
		const struct trace_event *e =
			&trace_ring[s & (TRACE_RING_SIZE - 1)];
		size_t n;

		if (e->type != type)
			continue;
		n = (size_t)trace_format(e, line, sizeof(line));
		if (n >= strlen(tail) && !strcmp(line + n - strlen(tail), tail))
			return true;
	}
	return false;
}

/* ---- pageout and swap-in ---- */

/* pageout_then_read_back - madvise pageout of 16 written pages puts each
 * in the slot of its turn (1..16: the first search of a fresh area), as
 * an exclusive entry; reading them back is a major fault for the page
 * whose readahead window was not there yet, and the pages stay in the
 * swap cache with their slots (a read does not free them). */
START_TEST(pageout_then_read_back)
{
	struct task_struct *t;
	uint64_t a, free0, maj0;
	struct page *page;

	boot_swap(64 * MB, 16 * MB, PAGING_4LEVEL);
	t = fork_of(init_task());
	ck_assert_uint_eq(total_swap_pages, 4095);	/* slot 0: the header */
	ck_assert_uint_eq(nr_swap_pages, 4095);
	a = mmap_anon(t, 16 * PAGE_SIZE, RW);
	fill(t, a, 16, 1);
	ck_assert_int_eq(t->mm->rss_stat[MM_ANONPAGES], 16);
	free0 = nr_free_drained();
	pageout(t, a, 16);
	for (int i = 0; i < 16; i++) {
		pte_t pte = pte_of(t, a + i * PAGE_SIZE);
		swp_entry_t e = swap_entry_at(t, a + i * PAGE_SIZE);

		ck_assert(pte_swp_exclusive(pte));
		ck_assert_uint_eq(swp_type(e), 0);
		ck_assert_uint_eq(swp_offset(e), i + 1);
		ck_assert_uint_eq(swap_count(e), 1);
		ck_assert_ptr_null(cached_page(e));
	}
	ck_assert_int_eq(t->mm->rss_stat[MM_ANONPAGES], 0);
	ck_assert_int_eq(t->mm->rss_stat[MM_SWAPENTS], 16);
	ck_assert_uint_eq(EV(PSWPOUT), 16);
	/* Linux's reclaim_pages counts no scan and no steal. */
	ck_assert_uint_eq(EV(PGSTEAL_PROACTIVE) + EV(PGSCAN_PROACTIVE), 0);
	ck_assert_uint_eq(EV(PGSTEAL_ANON) + EV(PGSCAN_ANON), 0);
	ck_assert_uint_eq(nr_swap_pages, 4095 - 16);
	ck_assert_uint_eq(total_swapcache_pages, 0);
	ck_assert_uint_eq(nr_free_drained(), free0 + 16);
	assert_check();

	/* Read back in order: the windows grow 1, 2, 4, 8, 8 (page-cluster
	 * 3), so pages 1, 2, 4, 8 and 16 are read by their own fault and
	 * the 11 others ahead of it. */
	maj0 = EV(PGMAJFAULT);
	verify(t, a, 16, 1);
	ck_assert_uint_eq(EV(PGMAJFAULT) - maj0, 5);
	ck_assert_uint_eq(t->maj_flt, 5);
	ck_assert_uint_eq(EV(PSWPIN), 16);
	ck_assert_uint_eq(EV(SWAP_RA), 11);
	ck_assert_uint_eq(EV(SWAP_RA_HIT), 11);
	ck_assert_int_eq(t->mm->rss_stat[MM_ANONPAGES], 16);
	ck_assert_int_eq(t->mm->rss_stat[MM_SWAPENTS], 0);
	/* Read faults keep the slots: the pages are in the swap cache,
	 * mapped, and still writable (the entries were exclusive). */
	ck_assert_uint_eq(total_swapcache_pages, 16);
	ck_assert_uint_eq(nr_swap_pages, 4095 - 16);
	ck_assert_uint_eq(global_node_page_state(NR_SWAPCACHE), 16);
	page = pfn_to_page(pfn_of(t, a));
	ck_assert(PageSwapCache(page));
	ck_assert(PageAnon(page));
	ck_assert_uint_eq(swp_offset((swp_entry_t){ page->private }), 1);
	ck_assert_int_eq(page->refcount, 2);	/* the entry and the cache */
	ck_assert_int_eq(page->mapcount, 1);
	ck_assert(pte_write_ok(pte_of(t, a)));
	ck_assert_uint_eq(touch(t, a, 16 * PAGE_SIZE, ACC_WRITE), 0);
	assert_check();

	/* Out again: the pages written through their writable entries are
	 * written again, the copy in the slot being stale. */
	fill(t, a, 16, 2);
	pageout(t, a, 16);
	ck_assert_uint_eq(EV(PSWPOUT), 32);
	ck_assert_int_eq(t->mm->rss_stat[MM_SWAPENTS], 16);
	verify(t, a, 16, 2);
	finish(t);
}
END_TEST

/* clean_pages_are_not_written_twice - a page swapped in by a read and
 * left unwritten keeps its slot: paging it out again frees the frame
 * without writing it (pswpout does not move). */
START_TEST(clean_pages_are_not_written_twice)
{
	struct task_struct *t;
	uint64_t a;

	t = swapped_out(8, 3, 3, &a);
	verify(t, a, 8, 3);
	ck_assert_uint_eq(total_swapcache_pages, 8);
	pageout(t, a, 8);
	ck_assert_uint_eq(EV(PSWPOUT), 8);
	ck_assert_uint_eq(total_swapcache_pages, 0);
	for (int i = 0; i < 8; i++)
		ck_assert_uint_eq(swp_offset(swap_entry_at(t, a + i * PAGE_SIZE)),
				  i + 1);
	verify(t, a, 8, 3);
	finish(t);
}
END_TEST

/* write_fault_frees_the_slot - a write to a swapped-out page of which the
 * faulting entry is the only user maps it writable and dirty and frees
 * its slot and swap-cache copy (should_try_to_free_swap); its other bytes
 * are the ones swapped out. */
START_TEST(write_fault_frees_the_slot)
{
	struct task_struct *t;
	uint64_t a, w = 0x1122334455667788ULL, got;
	swp_entry_t e;
	struct page *page;

	t = swapped_out(2, 4, 0, &a);
	e = swap_entry_at(t, a);
	ck_assert_int_eq(user_access(t, a + 8, &w, sizeof(w), true), 0);
	ck_assert_uint_eq(EV(PSWPIN), 1);
	ck_assert_uint_eq(t->maj_flt, 1);
	ck_assert_uint_eq(EV(MMUFS_FAULT_FIRST + FO_SWAPIN), 1);
	page = pfn_to_page(pfn_of(t, a));
	ck_assert(!PageSwapCache(page));
	ck_assert(PageFlag(page, PG_dirty));
	ck_assert(PageFlag(page, PG_anon_exclusive));
	ck_assert_int_eq(page->refcount, 1);
	ck_assert(pte_write_ok(pte_of(t, a)));
	ck_assert(pte_dirty(pte_of(t, a)));
	ck_assert_uint_eq(swap_info[0]->swap_map[swp_offset(e)], 0);
	ck_assert_uint_eq(nr_swap_pages, total_swap_pages - 1);
	ck_assert_int_eq(user_access(t, a, &got, sizeof(got), false), 0);
	ck_assert_uint_eq(got, page_word(a, 4));
	ck_assert_int_eq(user_access(t, a + 8, &got, sizeof(got), false), 0);
	ck_assert_uint_eq(got, w);
	verify(t, a + PAGE_SIZE, 1, 4);
	assert_check();
	finish(t);
}
END_TEST

/* zero_page_and_untouched_are_not_swapped - pageout leaves entries it
 * cannot reclaim as they were: none, the zero page. */
START_TEST(zero_page_and_untouched_are_not_swapped)
{
	struct task_struct *t;
	uint64_t a;

	boot_swap(64 * MB, 16 * MB, PAGING_4LEVEL);
	t = fork_of(init_task());
	a = mmap_anon(t, 4 * PAGE_SIZE, RW);
	touch(t, a, 2 * PAGE_SIZE, ACC_READ);
	pageout(t, a, 4);
	ck_assert_uint_eq(EV(PSWPOUT), 0);
	ck_assert_uint_eq(pfn_of(t, a), zero_pfn);
	ck_assert_uint_eq(pte_of(t, a + 2 * PAGE_SIZE), 0);
	ck_assert_uint_eq(nr_swap_pages, total_swap_pages);
	shutdown();
}
END_TEST

/* dontneed_and_munmap_free_slots - zapping swap entries frees their
 * slots (and the swap-cache pages nobody maps); the range reads back
 * as zeroes after dontneed. */
START_TEST(dontneed_and_munmap_free_slots)
{
	struct task_struct *t;
	uint64_t a, got;

	t = swapped_out(8, 5, 3, &a);
	verify(t, a, 2, 5);		/* windows of 1 and 2 pages */
	ck_assert_uint_eq(total_swapcache_pages, 3);
	ck_assert_int_eq(do_madvise(t, a, 8 * PAGE_SIZE, MADV_DONTNEED), 0);
	ck_assert_uint_eq(nr_swap_pages, total_swap_pages);
	ck_assert_uint_eq(total_swapcache_pages, 0);
	ck_assert_int_eq(t->mm->rss_stat[MM_SWAPENTS], 0);
	ck_assert_int_eq(user_access(t, a + 3 * PAGE_SIZE, &got, sizeof(got),
				     false), 0);
	ck_assert_uint_eq(got, 0);
	assert_check();
	finish(t);
}
END_TEST

/* mprotect_and_mremap_keep_swap_entries - swap entries survive
 * mprotect (nothing to change: none is present) and move with mremap;
 * the data comes back at the new address. */
START_TEST(mprotect_and_mremap_keep_swap_entries)
{
	struct task_struct *t;
	uint64_t a, b;

	boot_swap(64 * MB, 16 * MB, PAGING_4LEVEL);
	t = fork_of(init_task());
	b = mmap_anon(t, PAGE_SIZE, PROT_READ);	/* mremap must move */
	a = mmap_anon(t, 8 * PAGE_SIZE, RW);
	ck_assert_uint_eq(a + 8 * PAGE_SIZE, b);
	fill(t, a, 8, 6);
	pageout(t, a, 8);
	ck_assert_int_eq(do_mprotect(t, a, 8 * PAGE_SIZE, PROT_READ), 0);
	ck_assert_uint_eq(swp_offset(swap_entry_at(t, a)), 1);
	ck_assert(pte_swp_exclusive(pte_of(t, a)));
	assert_check();
	verify(t, a, 2, 6);
	ck_assert(!pte_write_ok(pte_of(t, a)));
	ck_assert_int_eq(do_mprotect(t, a, 8 * PAGE_SIZE, RW), 0);
	b = do_mremap(t, a, 8 * PAGE_SIZE, 64 * PAGE_SIZE, MREMAP_MAYMOVE);
	ck_assert(!IS_ERR_VALUE(b));
	ck_assert_uint_ne(b, a);
	ck_assert_int_eq(t->mm->rss_stat[MM_SWAPENTS], 6);
	assert_check();
	verify_moved(t, b, a, 8, 6, 0);
	pageout(t, b, 8);
	verify_moved(t, b, a, 8, 6, 0);
	finish(t);
}
END_TEST

/* private_file_copies_swap - the private copies of a file mapping's
 * pages are anonymous and go to swap (the file's own pages are only
 * dropped); a read fault next to them maps the cached pages around
 * (fault-around) but leaves the swap entries, and the copies come back
 * with the words written over the file's bytes. */
START_TEST(private_file_copies_swap)
{
	static const char path[] = "/tmp/mmufs-unit-swap-private";
	struct task_struct *t;
	uint64_t f;
	pte_t ptes[4];

	host_file(path, 16, 'f');
	boot_swap(64 * MB, 16 * MB, PAGING_4LEVEL);
	t = fork_of(init_task());
	f = do_mmap_file(t, 0, 16 * PAGE_SIZE, RW, MAP_PRIVATE, path, 0);
	ck_assert(!IS_ERR_VALUE(f));
	fill(t, f + 4 * PAGE_SIZE, 4, 30);
	touch(t, f + 12 * PAGE_SIZE, 4 * PAGE_SIZE, ACC_READ);
	ck_assert_int_eq(t->mm->rss_stat[MM_ANONPAGES], 4);
	pageout(t, f, 16);
	ck_assert_uint_eq(EV(PSWPOUT), 4);
	ck_assert_int_eq(t->mm->rss_stat[MM_SWAPENTS], 4);
	ck_assert_int_eq(t->mm->rss_stat[MM_FILEPAGES], 0);
	for (int i = 0; i < 4; i++) {
		ptes[i] = pte_of(t, f + (4 + i) * PAGE_SIZE);
		ck_assert(is_swap_pte(ptes[i]));
	}
	touch(t, f, PAGE_SIZE, ACC_READ);
	for (int i = 0; i < 4; i++)
		ck_assert_uint_eq(pte_of(t, f + (4 + i) * PAGE_SIZE), ptes[i]);
	assert_check();
	verify_moved(t, f + 4 * PAGE_SIZE, f + 4 * PAGE_SIZE, 4, 30, 'f');
	verify_moved(t, f + 4 * PAGE_SIZE, f + 4 * PAGE_SIZE, 4, 30, 'f');
	ck_assert_int_eq(t->mm->rss_stat[MM_SWAPENTS], 0);
	finish(t);
	remove(path);
}
END_TEST

/* host_bytes_are - every byte of the host file at path is c (one
 * assertion: libcheck records each). */
static void host_bytes_are(const char *path, int c)
{
	static char buf[PAGE_SIZE], want[PAGE_SIZE];
	FILE *f = fopen(path, "r");
	uint64_t bad = 0;
	size_t n;

	ck_assert_ptr_nonnull(f);
	memset(want, c, sizeof(want));
	while ((n = fread(buf, 1, sizeof(buf), f)))
		bad += memcmp(buf, want, n) != 0;
	fclose(f);
	ck_assert_uint_eq(bad, 0);
}

/* shared_file_written_back - 48 MiB of a host file written through a
 * shared mapping on a machine of 32 MiB without swap: the flusher and
 * reclaim write the dirty pages back to the file's copy, evicted pages
 * refault with their shadows, and the data reads back, then again from
 * the copy alone after sync and drop_caches; the host file is never
 * written. */
START_TEST(shared_file_written_back)
{
	static const char path[] = "/tmp/mmufs-unit-writeback";
	uint64_t n = 48 * MB / PAGE_SIZE, f, dirty;
	struct task_struct *t;

	host_file(path, n, 'h');
	boot_swap(32 * MB, 0, PAGING_4LEVEL);
	t = fork_of(init_task());
	f = do_mmap_file(t, 0, n * PAGE_SIZE, RW, MAP_SHARED, path, 0);
	ck_assert(!IS_ERR_VALUE(f));
	fill(t, f, n, 40);
	ck_assert_uint_gt(global_node_page_state(NR_FILE_DIRTY), 0);
	ck_assert_uint_ge(EV(NR_DIRTIED), n);
	ck_assert_uint_gt(EV(NR_WRITTEN), n - max_pfn);
	ck_assert_uint_eq(EV(PGPGOUT), 4 * EV(NR_WRITTEN));
	assert_check();
	verify_moved(t, f, f, n, 40, 'h');
	ck_assert_uint_gt(EV(WORKINGSET_REFAULT_FILE), 0);
	ck_assert_uint_eq(EV(OOM_KILL), 0);
	dirty = global_node_page_state(NR_FILE_DIRTY);
	ck_assert_uint_eq(ksys_sync(), dirty);
	ck_assert_uint_eq(global_node_page_state(NR_FILE_DIRTY), 0);
	ck_assert_uint_eq(ksys_sync(), 0);
	ck_assert_int_eq(do_munmap(t->mm, f, n * PAGE_SIZE), 0);
	drop_caches(1);
	ck_assert_uint_eq(global_node_page_state(NR_FILE_PAGES), 0);
	f = do_mmap_file(t, 0, n * PAGE_SIZE, PROT_READ, MAP_SHARED, path, 0);
	ck_assert(!IS_ERR_VALUE(f));
	verify_moved(t, f, f, n, 40, 'h');
	host_bytes_are(path, 'h');
	exit_and_reap(init_task(), t);
	drop_caches(3);
	/* The object stays with its written copy, and so do its open file,
	 * inode and the xarray nodes of the shadows reclaim left: their
	 * slabs are all that is not free again. */
	ck_assert_uint_eq(filp_cachep->inuse, 1);
	ck_assert_uint_eq(inode_cachep->inuse, 1);
	ck_assert_uint_gt(radix_tree_node_cachep->inuse, 0);
	ck_assert_uint_eq(free_pages_after_exit() +
			  cache_frames(filp_cachep) + cache_frames(inode_cachep) +
			  cache_frames(radix_tree_node_cachep),
			  nr_boot_free_pages);
	assert_check();
	shutdown();
	remove(path);
}
END_TEST

/* shmem_written - boot 32 MiB of RAM with 64 MiB of swap; a child of
 * init writes n pages of distinct data (seed) into a new shared
 * anonymous mapping (what RAM cannot hold goes to swap).  Returns the
 * child; *va is the mapping. */
static struct task_struct *shmem_written(uint64_t n, unsigned int seed,
					 uint64_t *va)
{
	struct task_struct *t;

	boot_swap(32 * MB, 64 * MB, PAGING_4LEVEL);
	t = fork_of(init_task());
	*va = do_mmap(t, 0, n * PAGE_SIZE, RW, MAP_SHARED | MAP_ANONYMOUS, 0);
	ck_assert(!IS_ERR_VALUE(*va));
	fill(t, *va, n, seed);
	ck_assert_int_eq(t->mm->rss_stat[MM_SWAPENTS], 0);
	assert_check();
	return t;
}

/* shmem_swaps_out_and_back - shared anonymous memory larger than RAM is
 * swapped out (the object keeps the slots, no entry is in a page table)
 * and read back by its process and by a child that shares it; the slots
 * are freed as the pages come back, and all of them when the last
 * mapping goes. */
START_TEST(shmem_swaps_out_and_back)
{
	uint64_t n = 48 * MB / PAGE_SIZE, a;
	struct task_struct *t = shmem_written(n, 50, &a), *c;

	ck_assert_uint_gt(EV(PSWPOUT), n - max_pfn);
	ck_assert_uint_lt(global_node_page_state(NR_SHMEM), n);
	verify(t, a, n, 50);
	ck_assert_uint_gt(EV(PSWPIN), 0);
	ck_assert_uint_gt(EV(WORKINGSET_REFAULT_ANON), 0);
	assert_check();
	c = fork_of(t);
	verify(c, a, n, 50);
	fill(c, a, 16, 51);
	verify(t, a, 16, 51);
	assert_check();
	exit_and_reap(t, c);
	finish(t);
}
END_TEST

/* shmem_swapoff - swapoff brings shmem pages back into their object
 * (none into a page table); the data is intact. */
START_TEST(shmem_swapoff)
{
	uint64_t n = 24 * MB / PAGE_SIZE, a, b;
	struct task_struct *t = shmem_written(n, 52, &a);

	b = mmap_anon(t, 16 * MB, RW);
	fill(t, b, 16 * MB / PAGE_SIZE, 53);
	ck_assert_int_eq(do_munmap(t->mm, b, 16 * MB), 0);
	ck_assert_uint_gt(swap_info[0]->inuse_pages, 0);
	ck_assert_int_eq(sys_swapoff(0), 0);
	ck_assert_uint_eq(total_swapcache_pages, 0);
	ck_assert_uint_eq(global_node_page_state(NR_SHMEM), n);
	assert_check();
	verify(t, a, n, 52);
	finish(t);
}
END_TEST

/* madvise_free_lazily - MADV_FREE of 16 written pages, 4 of them in swap:
 * the swapped ones are dropped at once, the others go clean to the
 * inactive file list; a page written again is swap-backed again when
 * reclaim finds it, the others are dropped without swap and read back as
 * zeroes (host: pglazyfree and pglazyfreed as counted here, checked with
 * a program doing the same with MADV_PAGEOUT). */
START_TEST(madvise_free_lazily)
{
	static uint8_t buf[PAGE_SIZE], zero[PAGE_SIZE];
	struct task_struct *t;
	uint64_t a, slots;

	boot_swap(64 * MB, 16 * MB, PAGING_4LEVEL);
	t = fork_of(init_task());
	a = mmap_anon(t, 16 * PAGE_SIZE, RW);
	fill(t, a, 16, 60);
	pageout(t, a + 12 * PAGE_SIZE, 4);
	slots = swap_info[0]->inuse_pages;
	ck_assert_uint_eq(slots, 4);
	ck_assert_int_eq(do_madvise(t, a, 16 * PAGE_SIZE, MADV_FREE), 0);
	ck_assert_uint_eq(swap_info[0]->inuse_pages, 0);
	ck_assert_int_eq(t->mm->rss_stat[MM_SWAPENTS], 0);
	ck_assert_uint_eq(EV(PGLAZYFREE), 12);
	ck_assert_uint_eq(memcg_lru_pages(&root_mem_cgroup, LRU_INACTIVE_FILE),
			  12);
	assert_check();
	fill(t, a, 1, 61);		/* written again */
	pageout(t, a, 16);
	ck_assert_uint_eq(EV(PGLAZYFREED), 11);
	ck_assert_int_eq(t->mm->rss_stat[MM_ANONPAGES], 1);
	ck_assert(PageFlag(pfn_to_page(pfn_of(t, a)), PG_swapbacked));
	assert_check();
	verify(t, a, 1, 61);
	ck_assert_int_eq(user_access(t, a + PAGE_SIZE, buf, PAGE_SIZE, false),
			 0);
	ck_assert(!memcmp(buf, zero, PAGE_SIZE));
	a = do_mmap(t, 0, PAGE_SIZE, RW, MAP_SHARED | MAP_ANONYMOUS, 0);
	ck_assert_int_eq(do_madvise(t, a, PAGE_SIZE, MADV_FREE), -EINVAL);
	finish(t);
}
END_TEST

/* mem_and_threads_fault_swapped_pages - /proc/PID/mem (access_remote_vm)
 * brings a swapped-out page in as a major fault of its process; a
 * thread sees what its process swapped out. */
START_TEST(mem_and_threads_fault_swapped_pages)
{
	struct task_struct *t, *th;
	uint64_t a, w;

	t = swapped_out(8, 31, 0, &a);
	ck_assert_uint_eq(access_remote_vm(t, a + PAGE_SIZE - 8, &w, sizeof(w),
					   false), sizeof(w));
	ck_assert_uint_eq(w, page_word(a, 31));
	ck_assert_uint_eq(t->maj_flt, 1);
	ck_assert_uint_eq(EV(PSWPIN), 1);
	w = 5;
	ck_assert_uint_eq(access_remote_vm(t, a + PAGE_SIZE + 8, &w, sizeof(w),
					   true), sizeof(w));
	ck_assert_uint_eq(t->maj_flt, 2);
	th = thread_of(t);
	verify(th, a + 2 * PAGE_SIZE, 6, 31);
	ck_assert_uint_eq(th->maj_flt + t->maj_flt, 8);
	ck_assert_int_eq(t->mm->rss_stat[MM_SWAPENTS], 0);
	ck_assert_int_eq(user_access(th, a + PAGE_SIZE + 8, &w, sizeof(w),
				     false), 0);
	ck_assert_uint_eq(w, 5);
	assert_check();
	finish(t);
}
END_TEST

/* exec_frees_the_old_images_slots - execve drops the old address space:
 * the slots only it referred to are freed, those a parent shares stay. */
START_TEST(exec_frees_the_old_images_slots)
{
	char *argv[] = { (char *)"/bin/sh", NULL };
	struct exec_args ea = { "/bin/sh", 1, argv, 0, NULL, 0 };
	struct task_struct *p, *c;
	uint64_t a;
	int err;

	p = swapped_out(32, 32, 3, &a);
	c = fork_of(p);
	fill(c, a + 16 * PAGE_SIZE, 16, 33);
	pageout(c, a + 16 * PAGE_SIZE, 16);
	ck_assert_uint_eq(swap_info[0]->inuse_pages, 48);
	ck_assert_uint_ne(do_execve(c, &ea, &err), 0);
	ck_assert_uint_eq(swap_info[0]->inuse_pages, 32);
	ck_assert_uint_eq(swap_count(swap_entry_at(p, a)), 1);
	ck_assert_int_eq(c->mm->rss_stat[MM_SWAPENTS], 0);
	assert_check();
	verify(p, a, 32, 32);
	exit_and_reap(p, c);
	finish(p);
}
END_TEST

/* ---- fork ---- */

/* fork_shares_swap_slots - fork copies swap entries: each slot gets a
 * second reference, neither entry is exclusive; a read by the child is
 * a major fault, the parent then finds the page in the swap cache; each
 * write copies or reuses as COW wants, and the data is each one's. */
START_TEST(fork_shares_swap_slots)
{
	struct task_struct *p, *c;
	uint64_t a, w = 77, got, reuse;
	swp_entry_t e;
	struct page *page;

	p = swapped_out(4, 7, 0, &a);
	c = fork_of(p);
	for (int i = 0; i < 4; i++) {
		uint64_t va = a + i * PAGE_SIZE;

		e = swap_entry_at(p, va);
		ck_assert_uint_eq(swap_entry_at(c, va).val, e.val);
		ck_assert_uint_eq(swap_count(e), 2);
		ck_assert(!pte_swp_exclusive(pte_of(p, va)));
		ck_assert(!pte_swp_exclusive(pte_of(c, va)));
	}
	ck_assert_int_eq(c->mm->rss_stat[MM_SWAPENTS], 4);
	assert_check();

	/* Page 0: the child reads it in, the parent maps the cached copy. */
	e = swap_entry_at(p, a);
	verify(c, a, 1, 7);
	ck_assert_uint_eq(c->maj_flt, 1);
	verify(p, a, 1, 7);
	ck_assert_uint_eq(p->maj_flt, 0);
	ck_assert_uint_eq(pfn_of(p, a), pfn_of(c, a));
	page = pfn_to_page(pfn_of(p, a));
	ck_assert_int_eq(page->mapcount, 2);
	ck_assert_int_eq(page->refcount, 3);
	ck_assert_uint_eq(swap_count(e), 0);
	ck_assert(PageSwapCache(page));
	ck_assert(!pte_write_ok(pte_of(p, a)));
	/* The child writes: a copy; the parent is left alone with the
	 * page (and its cached copy). */
	ck_assert_int_eq(user_access(c, a, &w, sizeof(w), true), 0);
	ck_assert_uint_ne(pfn_of(c, a), pfn_of(p, a));
	verify(p, a, 1, 7);
	assert_check();

	/* Page 1: the parent writes first: the child's entry still needs
	 * the slot, so the parent gets a copy. */
	e = swap_entry_at(p, a + PAGE_SIZE);
	ck_assert_int_eq(user_access(p, a + PAGE_SIZE, &w, sizeof(w), true), 0);
	ck_assert_uint_eq(swap_count(e), 1);
	ck_assert_uint_eq(swap_entry_at(c, a + PAGE_SIZE).val, e.val);
	verify(c, a + PAGE_SIZE, 1, 7);
	ck_assert_uint_ne(pfn_of(c, a + PAGE_SIZE), pfn_of(p, a + PAGE_SIZE));
	assert_check();

	/* Pages 2 and 3: the child exits; the parent is their only user.
	 * Its write to the entry (not exclusive since the fork) maps the
	 * page writable at once, as Linux's do_swap_page does: no COW
	 * fault after the swap-in, no pgreuse. */
	exit_and_reap(p, c);
	e = swap_entry_at(p, a + 2 * PAGE_SIZE);
	ck_assert_uint_eq(swap_count(e), 1);
	reuse = EV(PGREUSE);
	ck_assert_int_eq(user_access(p, a + 2 * PAGE_SIZE, &w, sizeof(w),
				     true), 0);
	ck_assert_uint_eq(EV(PGREUSE), reuse);
	ck_assert_uint_eq(swap_info[0]->swap_map[swp_offset(e)], 0);
	ck_assert(pte_write_ok(pte_of(p, a + 2 * PAGE_SIZE)));
	ck_assert(pte_dirty(pte_of(p, a + 2 * PAGE_SIZE)));
	ck_assert(PageFlag(pfn_to_page(pfn_of(p, a + 2 * PAGE_SIZE)),
			   PG_anon_exclusive));
	verify(p, a + 3 * PAGE_SIZE, 1, 7);
	ck_assert_int_eq(user_access(p, a + 2 * PAGE_SIZE + 8, &got,
				     sizeof(got), false), 0);
	ck_assert_uint_eq(got, 0);
	assert_check();
	finish(p);
}
END_TEST

/* fork_children_exit_with_swap - processes whose pages are partly in
 * swap and partly resident exit in any order: every slot and frame is
 * free at the end. */
START_TEST(fork_children_exit_with_swap)
{
	struct task_struct *p, *c1, *c2, *c3;
	uint64_t a;

	boot_swap(64 * MB, 16 * MB, PAGING_4LEVEL);
	p = init_task();
	c1 = fork_of(p);
	a = mmap_anon(c1, 64 * PAGE_SIZE, RW);
	fill(c1, a, 64, 8);
	pageout(c1, a, 48);
	c2 = fork_of(c1);
	verify(c2, a, 16, 8);
	pageout(c2, a + 32 * PAGE_SIZE, 32);
	c3 = fork_of(c2);
	verify(c3, a, 64, 8);
	verify(c1, a + 40 * PAGE_SIZE, 24, 8);
	assert_check();
	exit_and_reap(c1, c2);
	verify(c3, a, 64, 8);
	exit_and_reap(p, c1);
	assert_check();
	exit_and_reap(p, c3);
	assert_all_free();
	shutdown();
}
END_TEST

/* ---- memory pressure ---- */

/* write_past_ram - on a machine of mem bytes of RAM and swap bytes of
 * swap, a child of init writes bytes of distinct data (seed) in a new
 * mapping, then reads it all back: kswapd and direct reclaim make room,
 * nobody is killed.  Returns the child; *va is the mapping. */
static struct task_struct *write_past_ram(uint64_t mem, uint64_t swap,
					  enum paging_mode mode,
					  uint64_t bytes, unsigned int seed,
					  uint64_t *va)
{
	uint64_t n = bytes / PAGE_SIZE;
	struct task_struct *c;

	boot_swap(mem, swap, mode);
	ck_assert_int_eq(sysctl_vm.overcommit_memory, 0);
	c = fork_of(init_task());
	*va = mmap_anon(c, bytes, RW);
	fill(c, *va, n, seed);
	ck_assert_uint_gt(EV(PGSCAN_KSWAPD), 0);
	ck_assert_uint_gt(EV(PGSTEAL_KSWAPD), 0);
	ck_assert_uint_gt(EV(PSWPOUT), n - max_pfn);
	ck_assert_int_eq(c->mm->rss_stat[MM_SWAPENTS] +
			 c->mm->rss_stat[MM_ANONPAGES], n);
	assert_check();
	verify(c, *va, n, seed);
	ck_assert_uint_gt(EV(PSWPIN), 0);
	ck_assert_uint_eq(EV(OOM_KILL), 0);
	ck_assert_int_eq(c->exit_state, 0);
	assert_check();
	return c;
}

/* pressure_swaps_and_reads_back - 32 MiB of RAM, 64 MiB of swap, and a
 * process that writes 48 MiB and reads it back. */
START_TEST(pressure_swaps_and_reads_back)
{
	uint64_t a;

	finish(write_past_ram(32 * MB, 64 * MB, PAGING_4LEVEL, 48 * MB, 9, &a));
}
END_TEST

/* fork_under_pressure - fork of a process larger than RAM: the child's
 * page tables are allocated by reclaiming the parent's pages (which
 * turn into swap entries while they are copied); then both write and
 * read their own data. */
START_TEST(fork_under_pressure)
{
	uint64_t a, n = 48 * MB / PAGE_SIZE;
	struct task_struct *p = write_past_ram(32 * MB, 96 * MB, PAGING_4LEVEL,
					       48 * MB, 34, &a);
	struct task_struct *c = fork_of(p);

	assert_check();
	ck_assert_int_eq(c->mm->rss_stat[MM_SWAPENTS] +
			 c->mm->rss_stat[MM_ANONPAGES], n);
	verify(c, a, n, 34);
	fill(p, a, n, 35);
	verify(c, a, n, 34);
	verify(p, a, n, 35);
	ck_assert_uint_eq(EV(OOM_KILL), 0);
	assert_check();
	exit_and_reap(p, c);
	finish(p);
}
END_TEST

/* pressure_two_processes_share - two processes sharing COW pages and
 * writing their own under pressure: each reads its own data back. */
START_TEST(pressure_two_processes_share)
{
	struct task_struct *p, *c1, *c2;
	uint64_t a, n = 12 * MB / PAGE_SIZE;

	boot_swap(24 * MB, 64 * MB, PAGING_4LEVEL);
	p = init_task();
	c1 = fork_of(p);
	a = mmap_anon(c1, 2 * n * PAGE_SIZE, RW);
	fill(c1, a, 2 * n, 10);
	c2 = fork_of(c1);
	fill(c2, a, n, 11);
	fill(c1, a + n * PAGE_SIZE, n, 12);
	verify(c1, a, n, 10);
	verify(c2, a + n * PAGE_SIZE, n, 10);
	verify(c2, a, n, 11);
	verify(c1, a + n * PAGE_SIZE, n, 12);
	ck_assert_uint_eq(EV(OOM_KILL), 0);
	assert_check();
	exit_and_reap(p, c1);
	exit_and_reap(p, c2);
	assert_all_free();
	shutdown();
}
END_TEST

/* oom_when_swap_and_ram_run_out - with both exhausted the OOM killer
 * takes the biggest process; the small one keeps its data (some of it in
 * swap), and the victim's slots are freed with it. */
START_TEST(oom_when_swap_and_ram_run_out)
{
	struct task_struct *p, *small, *big;
	uint64_t a, b, faults;
	int bigpid;

	boot_swap(16 * MB, 4 * MB, PAGING_4LEVEL);
	p = init_task();
	small = fork_of(p);
	big = fork_of(p);
	bigpid = big->pid;
	a = mmap_anon(small, 256 * PAGE_SIZE, RW);
	fill(small, a, 256, 13);
	pageout(small, a, 128);
	b = do_mmap(big, 0, 64 * MB, RW, ANON | MAP_NORESERVE, 0);
	ck_assert(!IS_ERR_VALUE(b));
	ck_assert_int_ne(user_touch(big, b, 64 * MB, ACC_WRITE, &faults), 0);
	ck_assert_uint_eq(EV(OOM_KILL), 1);
	ck_assert_int_eq(big->exit_state, EXIT_ZOMBIE);
	ck_assert_int_eq(big->exit_code, SIGKILL);
	ck_assert_int_eq(small->exit_state, 0);
	ck_assert_uint_gt(EV(ALLOCSTALL_DMA) + EV(ALLOCSTALL_DMA32) +
			  EV(ALLOCSTALL_NORMAL) + EV(ALLOCSTALL_MOVABLE), 0);
	assert_check();
	reap(p, bigpid);
	verify(small, a, 256, 13);
	ck_assert_uint_eq(EV(OOM_KILL), 1);
	assert_check();
	exit_and_reap(p, small);
	assert_all_free();
	shutdown();
}
END_TEST

/* mlocked_pages_stay - locked pages are never reclaimed, neither under
 * pressure nor by pageout: their entries stay present. */
START_TEST(mlocked_pages_stay)
{
	struct task_struct *p, *c;
	uint64_t a, b, n = 40 * MB / PAGE_SIZE, out;

	boot_swap(32 * MB, 64 * MB, PAGING_4LEVEL);
	p = init_task();
	c = fork_of(p);
	a = mmap_anon(c, 256 * PAGE_SIZE, RW);
	fill(c, a, 256, 14);
	ck_assert_int_eq(do_mlock(c, a, 256 * PAGE_SIZE, true), 0);
	/* Linux's madvise_pageout refuses a locked vma. */
	ck_assert_int_eq(do_madvise(c, a, 256 * PAGE_SIZE, MADV_PAGEOUT),
			 -EINVAL);
	out = EV(PSWPOUT);
	b = mmap_anon(c, n * PAGE_SIZE, RW);
	fill(c, b, n, 15);
	ck_assert_uint_gt(EV(PSWPOUT), out);
	ck_assert_uint_eq(EV(OOM_KILL), 0);
	for (int i = 0; i < 256; i++) {
		struct page *page = pfn_to_page(pfn_of(c, a + i * PAGE_SIZE));

		ck_assert(PageFlag(page, PG_mlocked));
		ck_assert(!PageSwapCache(page));
	}
	ck_assert_uint_eq(global_node_page_state(NR_MLOCK), 256);
	ck_assert_uint_eq(root_mem_cgroup.lruvec[0].nr_pages[LRU_UNEVICTABLE], 256);
	verify(c, a, 256, 14);
	verify(c, b, n, 15);
	assert_check();
	/* Unlocked, they may go. */
	ck_assert_int_eq(do_mlock(c, a, 256 * PAGE_SIZE, false), 0);
	pageout(c, a, 256);
	ck_assert_int_eq(c->mm->rss_stat[MM_SWAPENTS] >= 256, 1);
	verify(c, a, 256, 14);
	exit_and_reap(p, c);
	assert_all_free();
	shutdown();
}
END_TEST

/* mlock_swaps_in - mlock of a range in swap faults every page back in
 * and drops its slot (locked pages keep no swap copy). */
START_TEST(mlock_swaps_in)
{
	struct task_struct *t;
	uint64_t a;

	t = swapped_out(16, 16, 3, &a);
	ck_assert_int_eq(do_mlock(t, a, 16 * PAGE_SIZE, true), 0);
	ck_assert_int_eq(t->mm->rss_stat[MM_SWAPENTS], 0);
	ck_assert_int_eq(t->mm->rss_stat[MM_ANONPAGES], 16);
	ck_assert_uint_eq(global_node_page_state(NR_MLOCK), 16);
	for (int i = 0; i < 16; i++)
		ck_assert(!PageSwapCache(pfn_to_page(pfn_of(t, a + i * PAGE_SIZE))));
	ck_assert_uint_eq(nr_swap_pages, total_swap_pages);
	verify(t, a, 16, 16);
	assert_check();
	finish(t);
}
END_TEST

/* eviction_flushes_other_cpus - pages of a process current on CPU 1
 * (its TLB filled), evicted by pressure from a process on CPU 0, leave
 * no translation behind in CPU 1's TLB (a remote flush; with PCIDs too):
 * the checker finds every TLB entry agreeing with the page tables, and
 * the first process reads its data back from swap. */
START_TEST(eviction_flushes_other_cpus)
{
	struct boot_params bp = {
		.mem_bytes = 32 * MB, .swap_bytes = 64 * MB, .nr_cpus = 2,
		.tlb_entries = 64, .tlb_ways = 4, .mode = PAGING_4LEVEL,
		.pcid = _i,
	};
	struct task_struct *a, *b;
	uint64_t va, vb, remote;

	ck_assert_int_eq(kernel_boot(&bp), 0);
	boot_swap_info_frames = swap_info_frames();
	a = fork_of(init_task());
	b = fork_of(init_task());
	ck_assert_int_eq(do_schedule(a, 1), 0);
	va = mmap_anon(a, 32 * PAGE_SIZE, RW);
	fill(a, va, 32, 36);
	verify(a, va, 32, 36);
	ck_assert_int_eq(do_schedule(b, 0), 0);
	remote = EV(NR_TLB_REMOTE_FLUSH);
	vb = mmap_anon(b, 40 * MB, RW);
	fill(b, vb, 40 * MB / PAGE_SIZE, 37);
	ck_assert_int_eq(a->mm->rss_stat[MM_SWAPENTS], 32);
	ck_assert_uint_gt(EV(NR_TLB_REMOTE_FLUSH), remote);
	assert_check();
	verify(a, va, 32, 36);
	assert_check();
	exit_and_reap(init_task(), b);
	finish(a);
}
END_TEST

/* kswapd_evictions - count the evictions done by kswapd0 (pid 3) and
 * kswapd1 (pid 4) among the trace events from *seq on (those still in
 * the ring), into n[0] and n[1]; each must be of a frame of its own
 * node.  *seq moves to the end. */
static void kswapd_evictions(uint64_t *seq, uint64_t n[2])
{
	uint64_t first = trace_seq > TRACE_RING_SIZE ?
			 trace_seq - TRACE_RING_SIZE : 0;

	for (uint64_t s = MAX(*seq, first); s < trace_seq; s++) {
		const struct trace_event *e =
			&trace_ring[s & (TRACE_RING_SIZE - 1)];
		int nid = e->pid - 3;

		if (e->type != TRACE_EVICT || nid < 0 || nid > 1)
			continue;
		ck_assert_msg(pfn_to_nid(e->a) == nid, "kswapd%d evicted pfn "
			      "%llu of node %d", nid,
			      (unsigned long long)e->a, pfn_to_nid(e->a));
		n[nid]++;
	}
	*seq = trace_seq;
}

/* kswapd_per_node - two nodes of 32 MiB with a CPU each and 64 MiB of
 * swap: a process on cpu1 writes 80 MiB, a chunk at a time; its pages
 * come from node 1 first, then node 0; both kswapds are woken, and each
 * evicts only pages of its own node (shrink_node of its pgdat, the
 * node's lruvecs); everything reads back and is freed at the exit. */
START_TEST(kswapd_per_node)
{
	struct boot_params bp = {
		.mem_bytes = 64 * MB, .swap_bytes = 64 * MB, .nr_cpus = 2,
		.nr_nodes = 2, .tlb_entries = 64, .tlb_ways = 4,
		.mode = PAGING_4LEVEL,
	};
	uint64_t va, chunk = MB / PAGE_SIZE, n[2] = { 0, 0 }, seq;
	struct task_struct *c;

	ck_assert_int_eq(kernel_boot(&bp), 0);
	boot_swap_info_frames = swap_info_frames();
	ck_assert_str_eq(find_task_by_pid(3)->comm, "kswapd0");
	ck_assert_str_eq(find_task_by_pid(4)->comm, "kswapd1");
	ck_assert_ptr_eq(NODE_DATA(1)->kswapd.task, find_task_by_pid(4));
	c = fork_of(init_task());
	ck_assert_int_eq(c->pid, 5);
	ck_assert_int_eq(do_schedule(c, 1), 0);
	va = mmap_anon(c, 80 * MB, RW);
	fill(c, va, 1, 41);
	ck_assert_int_eq(pfn_to_nid(pfn_of(c, va)), 1);
	seq = trace_seq;
	for (uint64_t i = 1; i < 80 * chunk; i += chunk) {
		fill(c, va + i * PAGE_SIZE, MIN(chunk, 80 * chunk - i), 41);
		kswapd_evictions(&seq, n);
	}
	ck_assert_uint_gt(n[0], 0);
	ck_assert_uint_gt(n[1], 0);
	ck_assert_uint_gt(sum_numa_event(NUMA_MISS), 0);
	ck_assert_uint_eq(sum_numa_event(NUMA_MISS),
			  sum_numa_event(NUMA_FOREIGN));
	ck_assert_uint_eq(EV(OOM_KILL), 0);
	assert_check();
	verify(c, va, 80 * chunk, 41);
	assert_check();
	finish(c);
}
END_TEST

/* memcg_reclaims_every_node - a group limited to 8 MiB on two nodes: its
 * process writes 6 MiB on cpu1 (node 1), then 6 MiB on cpu0 (node 0);
 * the charges past the limit reclaim the group's lists of both nodes
 * (shrink_zones over the zonelist), never more than the limit stays
 * resident, and everything reads back. */
START_TEST(memcg_reclaims_every_node)
{
	struct boot_params bp = {
		.mem_bytes = 64 * MB, .swap_bytes = 32 * MB, .nr_cpus = 2,
		.nr_nodes = 2, .tlb_entries = 64, .tlb_ways = 4,
		.mode = PAGING_4LEVEL,
	};
	uint64_t va, n = 6 * MB / PAGE_SIZE, on1;
	struct mem_cgroup *g;
	struct task_struct *c, *d;
	int err;

	ck_assert_int_eq(kernel_boot(&bp), 0);
	boot_swap_info_frames = swap_info_frames();
	g = mem_cgroup_create(&root_mem_cgroup, "g", &err);
	ck_assert_ptr_nonnull(g);
	ck_assert_int_eq(mem_cgroup_set_limit(g, MEMCG_LIMIT_MAX,
					      8 * MB / PAGE_SIZE), 0);
	c = fork_of(init_task());
	ck_assert_int_eq(mem_cgroup_attach(g, c), 0);
	va = mmap_anon(c, 12 * MB, RW);
	ck_assert_int_eq(do_schedule(c, 1), 0);
	fill(c, va, n, 43);
	on1 = memcg_node_lru_pages(g, 1, LRU_INACTIVE_ANON) +
	      memcg_node_lru_pages(g, 1, LRU_ACTIVE_ANON);
	ck_assert_uint_eq(on1, n);
	ck_assert_uint_eq(memcg_node_lru_pages(g, 0, LRU_INACTIVE_ANON), 0);
	ck_assert_int_eq(do_schedule(c, 0), 0);
	fill(c, va + n * PAGE_SIZE, n, 43);
	ck_assert_uint_le(g->usage, 8 * MB / PAGE_SIZE);
	ck_assert_uint_gt(memcg_node_lru_pages(g, 0, LRU_INACTIVE_ANON), 0);
	ck_assert_uint_lt(memcg_node_lru_pages(g, 1, LRU_INACTIVE_ANON) +
			  memcg_node_lru_pages(g, 1, LRU_ACTIVE_ANON), on1);
	ck_assert_uint_gt(c->mm->rss_stat[MM_SWAPENTS], 0);
	assert_check();
	verify(c, va, 2 * n, 43);
	assert_check();
	/* cpu1, which c left, keeps c's mm lazily (and the group in use)
	 * until another task runs there: d does, and exits. */
	d = fork_of(init_task());
	ck_assert_int_eq(do_schedule(d, 1), 0);
	exit_and_reap(init_task(), d);
	exit_and_reap(init_task(), c);
	ck_assert_int_eq(mem_cgroup_remove(g), 0);
	assert_all_free();
	shutdown();
}
END_TEST

/* ---- readahead ---- */

/* readahead_follows_page_cluster - vm.page-cluster bounds the window:
 * at 0 every page is its own major fault; at 2 the windows are 1, 2, 4,
 * 4... */
START_TEST(readahead_follows_page_cluster)
{
	struct task_struct *t;
	uint64_t a;

	t = swapped_out(16, 17, 0, &a);
	verify(t, a, 16, 17);
	ck_assert_uint_eq(t->maj_flt, 16);
	ck_assert_uint_eq(EV(PSWPIN), 16);
	ck_assert_uint_eq(EV(SWAP_RA), 0);
	ck_assert_uint_eq(EV(SWAP_RA_HIT), 0);
	/* page-cluster 2, from a fresh readahead state (the last window
	 * was one page): 1 (slot 1), 2 (2-3), 4 (4-7), 4 (8-11), 4
	 * (12-15), and slot 16 alone at the end of the last window. */
	pageout(t, a, 16);
	swap_ra_reset();
	sysctl_vm.page_cluster = 2;
	verify(t, a, 16, 17);
	ck_assert_uint_eq(t->maj_flt, 16 + 6);
	ck_assert_uint_eq(EV(SWAP_RA), 10);
	ck_assert_uint_eq(EV(SWAP_RA_HIT), 10);
	ck_assert_uint_eq(EV(PSWPIN), 32);
	assert_check();
	shutdown();
}
END_TEST

/* random_swapins_read_one_page - faults at slots far apart get a window
 * of one page: no readahead without hits or sequence. */
START_TEST(random_swapins_read_one_page)
{
	struct task_struct *t;
	uint64_t a;
	static const int order[] = { 9, 2, 14, 5, 11, 0 };

	t = swapped_out(16, 18, 3, &a);
	swap_ra_reset();
	for (size_t i = 0; i < ARRAY_SIZE(order); i++)
		verify(t, a + order[i] * PAGE_SIZE, 1, 18);
	ck_assert_uint_eq(t->maj_flt, ARRAY_SIZE(order));
	ck_assert_uint_eq(EV(PSWPIN), ARRAY_SIZE(order));
	ck_assert_uint_eq(EV(SWAP_RA), 0);
	assert_check();
	shutdown();
}
END_TEST

/* ---- refaults ---- */

/* refault_of_one_page_activates - a page read back right after its
 * eviction refaults at distance 0: it is activated, and the trace says
 * so. */
START_TEST(refault_of_one_page_activates)
{
	struct task_struct *t;
	uint64_t a;
	struct page *page;
	char want[128];

	t = swapped_out(1, 19, 0, &a);
	verify(t, a, 1, 19);
	ck_assert_uint_eq(EV(WORKINGSET_REFAULT_ANON), 1);
	ck_assert_uint_eq(EV(WORKINGSET_ACTIVATE_ANON), 1);
	ck_assert_uint_eq(EV(WORKINGSET_RESTORE_ANON), 0);
	ck_assert_uint_eq(EV(WORKINGSET_REFAULT_FILE), 0);
	page = pfn_to_page(pfn_of(t, a));
	ck_assert(PageFlag(page, PG_active));
	ck_assert_uint_eq(root_mem_cgroup.lruvec[0].nr_pages[LRU_ACTIVE_ANON], 1);
	snprintf(want, sizeof(want), "mm_workingset_refault: pfn=%#llx anon "
		 "distance=0 activate=1 restore=0",
		 (unsigned long long)pfn_of(t, a));
	ck_assert_msg(has_event(TRACE_REFAULT, want), "no '%s'", want);
	assert_check();
	shutdown();
}
END_TEST

/* refault_distances - 16 pages evicted one after the other and read back
 * in eviction order: with no workingset to compare with, only the last
 * one evicted (distance 0) is activated; with 64 pages of page cache
 * (the workingset for anon refaults counts the file lists), each refault
 * distance fits, and all 16 are. */
START_TEST(refault_distances)
{
	static const char path[] = "/tmp/mmufs-unit-swap-refault";
	struct task_struct *t;
	uint64_t a, f;
	char want[128];

	host_file(path, 64, 'f');
	t = swapped_out(16, 20, 0, &a);
	verify(t, a, 16, 20);
	ck_assert_uint_eq(EV(WORKINGSET_REFAULT_ANON), 16);
	ck_assert_uint_eq(EV(WORKINGSET_ACTIVATE_ANON), 1);
	ck_assert(PageFlag(pfn_to_page(pfn_of(t, a + 15 * PAGE_SIZE)),
			   PG_active));
	ck_assert(!PageFlag(pfn_to_page(pfn_of(t, a)), PG_active));
	snprintf(want, sizeof(want), "mm_workingset_refault: pfn=%#llx anon "
		 "distance=15 activate=0 restore=0",
		 (unsigned long long)pfn_of(t, a));
	ck_assert_msg(has_event(TRACE_REFAULT, want), "no '%s'", want);

	f = do_mmap_file(t, 0, 64 * PAGE_SIZE, PROT_READ, MAP_PRIVATE, path, 0);
	ck_assert(!IS_ERR_VALUE(f));
	touch(t, f, 64 * PAGE_SIZE, ACC_READ);
	ck_assert_uint_eq(root_mem_cgroup.lruvec[0].nr_pages[LRU_INACTIVE_FILE] +
			  root_mem_cgroup.lruvec[0].nr_pages[LRU_ACTIVE_FILE], 64);
	pageout(t, a, 16);
	verify(t, a, 16, 20);
	ck_assert_uint_eq(EV(WORKINGSET_REFAULT_ANON), 32);
	ck_assert_uint_eq(EV(WORKINGSET_ACTIVATE_ANON), 1 + 16);
	for (int i = 0; i < 16; i++)
		ck_assert(PageFlag(pfn_to_page(pfn_of(t, a + i * PAGE_SIZE)),
				   PG_active));
	assert_check();
	shutdown();
	remove(path);
}
END_TEST

/* ---- swapon and swapoff ---- */

/* swapoff_brings_pages_back - swapoff reads every page of the area back
 * (mapped, data intact, no slot left) and removes the area. */
START_TEST(swapoff_brings_pages_back)
{
	struct task_struct *p, *c;
	uint64_t a;

	c = swapped_out(64, 21, 3, &a);
	p = init_task();
	verify(c, a, 4, 21);		/* some in the swap cache */
	ck_assert_int_eq(sys_swapoff(0), 0);
	ck_assert_ptr_null(swap_info[0]);
	ck_assert_uint_eq(total_swap_pages, 0);
	ck_assert_uint_eq(nr_swap_pages, 0);
	ck_assert_uint_eq(total_swapcache_pages, 0);
	ck_assert_int_eq(c->mm->rss_stat[MM_SWAPENTS], 0);
	ck_assert_int_eq(c->mm->rss_stat[MM_ANONPAGES], 64);
	for (int i = 0; i < 64; i++) {
		pte_t pte = pte_of(c, a + i * PAGE_SIZE);

		ck_assert(pte_present(pte));
		ck_assert(!PageSwapCache(pfn_to_page(pte_pfn(pte))));
	}
	assert_check();
	verify(c, a, 64, 21);
	fill(c, a, 64, 22);		/* the pages are writable again */
	verify(c, a, 64, 22);
	ck_assert_int_eq(sys_swapoff(0), -EINVAL);
	ck_assert_str_eq(kerror_reason(EINVAL), "no swap area 0");
	exit_and_reap(p, c);
	assert_all_free();
	shutdown();
}
END_TEST

/* swapoff_enomem_changes_nothing - swapoff of an area holding more
 * pages than RAM has free fails with ENOMEM and leaves every count,
 * entry and page as it was. */
START_TEST(swapoff_enomem_changes_nothing)
{
	struct task_struct *p, *c;
	uint64_t a, n = 40 * MB / PAGE_SIZE, free0, swfree, swtotal, inuse;
	int64_t rss[NR_MM_COUNTERS], committed;
	struct vmstat before;
	pte_t *ptes;

	boot_swap(16 * MB, 64 * MB, PAGING_4LEVEL);
	p = init_task();
	c = fork_of(p);
	a = mmap_anon(c, n * PAGE_SIZE, RW);
	fill(c, a, n, 23);
	ptes = calloc(n, sizeof(*ptes));
	ck_assert_ptr_nonnull(ptes);
	for (uint64_t i = 0; i < n; i++)
		ptes[i] = pte_of(c, a + i * PAGE_SIZE);
	before = vmstat;
	memcpy(rss, c->mm->rss_stat, sizeof(rss));
	free0 = nr_free_drained();
	swfree = nr_swap_pages;
	swtotal = total_swap_pages;
	inuse = swap_info[0]->inuse_pages;
	committed = vm_committed_as;
	ck_assert_int_eq(sys_swapoff(0), -ENOMEM);
	ck_assert_ptr_nonnull(strstr(kerror_reason(ENOMEM),
				     "swapped pages do not fit in free memory"));
	ck_assert(!memcmp(&before, &vmstat, sizeof(vmstat)));
	ck_assert(!memcmp(rss, c->mm->rss_stat, sizeof(rss)));
	ck_assert_uint_eq(nr_free_drained(), free0);
	ck_assert_uint_eq(nr_swap_pages, swfree);
	ck_assert_uint_eq(total_swap_pages, swtotal);
	ck_assert_uint_eq(swap_info[0]->inuse_pages, inuse);
	ck_assert_int_eq(swap_info[0]->flags, SWP_USED | SWP_WRITEOK);
	ck_assert_int_eq(vm_committed_as, committed);
	for (uint64_t i = 0; i < n; i++)
		ck_assert_uint_eq(pte_of(c, a + i * PAGE_SIZE), ptes[i]);
	free(ptes);
	assert_check();
	/* The area still takes pages, and gives them back. */
	verify(c, a, n, 23);
	exit_and_reap(p, c);
	ck_assert_int_eq(sys_swapoff(0), 0);
	drop_caches(3);
	ck_assert_uint_eq(free_pages_after_exit() + swap_info_frames(),
			  nr_boot_free_pages + boot_swap_info_frames);
	shutdown();
}
END_TEST

/* allocatable - the frames a user allocation may take without reclaim:
 * in each zone, those above its min watermark and the lowmem reserve it
 * keeps against allocations that may use higher zones. */
static uint64_t allocatable(void)
{
	uint64_t n = 0;

	for (int z = 0; z < MAX_NR_ZONES; z++) {
		uint64_t mark = zones[z].watermark[WMARK_MIN] +
				zones[z].lowmem_reserve[ZONE_MOVABLE];

		if (zones[z].free_pages > mark)
			n += zones[z].free_pages - mark;
	}
	return n;
}

/* drop_swapped_until - madvise dontneed on swapped-out pages of the n
 * from va, one at a time, until t has only left of them. */
static void drop_swapped_until(struct task_struct *t, uint64_t va,
			       uint64_t n, int64_t left)
{
	for (uint64_t i = 0; i < n && t->mm->rss_stat[MM_SWAPENTS] > left;
	     i++)
		if (is_swap_pte(pte_of(t, va + i * PAGE_SIZE)))
			ck_assert_int_eq(do_madvise(t, va + i * PAGE_SIZE,
						    PAGE_SIZE, MADV_DONTNEED),
					 0);
	ck_assert_int_eq(t->mm->rss_stat[MM_SWAPENTS], left);
}

/* swapoff_at_the_boundary - after pressure, with as many pages in swap
 * as allocations can still have frames for (above the min watermarks
 * and DMA's reserve against user pages), swapoff succeeds without
 * reclaiming a page (its stalls only drain the pcp lists); with one page
 * more it fails with ENOMEM. */
START_TEST(swapoff_at_the_boundary)
{
	struct task_struct *p, *c;
	uint64_t a, n = 96 * MB / PAGE_SIZE, room, stalls, map;

	boot_swap(64 * MB, 64 * MB, PAGING_4LEVEL);
	p = init_task();
	c = fork_of(p);
	a = mmap_anon(c, n * PAGE_SIZE, RW);
	fill(c, a, n, 29);
	ck_assert_uint_eq(total_swapcache_pages, 0);
	drain_all_pages(NULL);
	room = allocatable();
	ck_assert_uint_gt(zones[ZONE_DMA].lowmem_reserve[ZONE_MOVABLE], 0);
	drop_swapped_until(c, a, n, (int64_t)room + 1);
	ck_assert_uint_eq(allocatable(), room);
	ck_assert_int_eq(sys_swapoff(0), -ENOMEM);
	ck_assert_ptr_nonnull(swap_info[0]);
	drop_swapped_until(c, a, n, (int64_t)room);
	drain_all_pages(NULL);
	ck_assert_uint_eq(allocatable(), room);
	stalls = EV(PGSTEAL_DIRECT) + EV(PGSTEAL_KSWAPD);
	map = PAGE_ALIGN(swap_info[0]->max) >> PAGE_SHIFT;
	ck_assert_int_eq(sys_swapoff(0), 0);
	drain_all_pages(NULL);
	/* Every frame taken but those of the area's swap_map, freed last. */
	ck_assert_uint_eq(allocatable(), map);
	/* A pcp refill takes a whole batch while one page passes the
	 * watermark: near the boundary the rest of it is only had through
	 * the drain that follows a direct-reclaim pass (as on Linux), so
	 * allocations stall, but reclaim takes no page. */
	ck_assert_uint_eq(EV(PGSTEAL_DIRECT) + EV(PGSTEAL_KSWAPD), stalls);
	ck_assert_int_eq(c->mm->rss_stat[MM_SWAPENTS], 0);
	assert_check();
	exit_and_reap(p, c);
	shutdown();
}
END_TEST

/* swapoff_under_overcommit_never - with overcommit 2, swapoff must be
 * able to commit the area's size (Linux's security_vm_enough_memory_mm
 * in swapoff): memory committed against the swap refuses it with ENOMEM,
 * Committed_AS unchanged; once given back, swapoff goes through. */
START_TEST(swapoff_under_overcommit_never)
{
	struct task_struct *t;
	uint64_t a;
	int64_t committed;

	boot_swap(64 * MB, 64 * MB, PAGING_4LEVEL);
	sysctl_vm.overcommit_memory = 2;
	t = fork_of(init_task());
	a = mmap_anon(t, 40 * MB, RW);
	committed = vm_committed_as;
	ck_assert_int_eq(sys_swapoff(0), -ENOMEM);
	ck_assert_ptr_nonnull(strstr(kerror_reason(ENOMEM),
				     "CommitLimit would be passed"));
	ck_assert_int_eq(vm_committed_as, committed);
	ck_assert_uint_eq(total_swap_pages, 16383);
	assert_check();
	ck_assert_int_eq(do_munmap(t->mm, a, 40 * MB), 0);
	ck_assert_int_eq(sys_swapoff(0), 0);
	ck_assert_int_eq(vm_committed_as, committed - (int64_t)(40 * MB /
								PAGE_SIZE));
	finish(t);
}
END_TEST

/* swapoff_of_one_area_of_two - the pages of the area going come back;
 * those of the other stay in it. */
START_TEST(swapoff_of_one_area_of_two)
{
	struct task_struct *t;
	uint64_t a;

	boot_swap(64 * MB, 0, PAGING_4LEVEL);
	t = fork_of(init_task());
	ck_assert_int_eq(sys_swapon(4 * MB, 5, true), 0);
	ck_assert_int_eq(sys_swapon(4 * MB, 5, true), 1);
	a = mmap_anon(t, 8 * PAGE_SIZE, RW);
	fill(t, a, 8, 24);
	pageout(t, a, 8);
	ck_assert_int_eq(sys_swapoff(1), 0);
	for (int i = 0; i < 8; i++) {
		pte_t pte = pte_of(t, a + i * PAGE_SIZE);

		if (i % 2) {
			ck_assert(pte_present(pte));
		} else {
			ck_assert(is_swap_pte(pte));
			ck_assert_uint_eq(swp_type(pte_to_swp_entry(pte)), 0);
		}
	}
	ck_assert_uint_eq(total_swap_pages, 1023);
	ck_assert_uint_eq(nr_swap_pages, 1023 - 4);
	assert_check();
	verify(t, a, 8, 24);
	finish(t);
}
END_TEST

/* priorities - the area of highest priority takes pages first, equal
 * priorities take turns one slot each, a full area passes on to the
 * next; default priorities go -2, -3... */
START_TEST(priorities)
{
	struct task_struct *t;
	uint64_t a;

	boot_swap(64 * MB, 0, PAGING_4LEVEL);
	t = fork_of(init_task());
	ck_assert_int_eq(sys_swapon(1 * MB, 0, false), 0);
	ck_assert_int_eq(swap_info[0]->prio, -2);
	ck_assert_int_eq(sys_swapon(1 * MB, 0, false), 1);
	ck_assert_int_eq(swap_info[1]->prio, -3);
	/* 5 page slots each (the header is slot 0). */
	ck_assert_int_eq(sys_swapon(6 * PAGE_SIZE * 4, 10, true), 2);
	ck_assert_int_eq(sys_swapon(5 * PAGE_SIZE * 4, 10, true), 3);
	ck_assert_uint_eq(swap_info[2]->pages, 23);
	a = mmap_anon(t, 48 * PAGE_SIZE, RW);
	fill(t, a, 48, 25);
	pageout(t, a, 10);
	for (int i = 0; i < 10; i++)
		ck_assert_uint_eq(swp_type(swap_entry_at(t, a + i * PAGE_SIZE)),
				  i % 2 ? 3 : 2);
	/* 23 + 19 slots of priority 10, then area 0 (-2) before 1 (-3). */
	pageout(t, a + 10 * PAGE_SIZE, 38);
	ck_assert_uint_eq(swap_info[2]->inuse_pages, 23);
	ck_assert_uint_eq(swap_info[3]->inuse_pages, 19);
	ck_assert_uint_eq(swap_info[0]->inuse_pages, 6);
	ck_assert_uint_eq(swap_info[1]->inuse_pages, 0);
	assert_check();
	verify(t, a, 48, 25);
	finish(t);
}
END_TEST

/* swapon_limits - the sizes, priorities and area counts swapon refuses,
 * each with its reason, and nothing added. */
START_TEST(swapon_limits)
{
	int i;

	boot_swap(64 * MB, 0, PAGING_4LEVEL);
	ck_assert_int_eq(sys_swapon(9 * PAGE_SIZE, 0, false), -EINVAL);
	ck_assert_str_eq(kerror_reason(EINVAL), "a swap area needs at least "
			 "10 pages (40 KiB)");
	ck_assert_int_eq(sys_swapon((64 * GB) + PAGE_SIZE, 0, false), -EINVAL);
	ck_assert_str_eq(kerror_reason(EINVAL), "a swap area is at most 64G");
	ck_assert_int_eq(sys_swapon(1 * MB, -2, true), -EINVAL);
	ck_assert_str_eq(kerror_reason(EINVAL), "priority must be -1..32767");
	ck_assert_int_eq(sys_swapon(1 * MB, 32768, true), -EINVAL);
	ck_assert_uint_eq(total_swap_pages, 0);
	ck_assert_ptr_null(swap_info[0]);
	ck_assert_int_eq(sys_swapon(10 * PAGE_SIZE, 32767, true), 0);
	ck_assert_uint_eq(total_swap_pages, 9);
	for (i = 1; i < MAX_SWAPFILES; i++)
		ck_assert_int_eq(sys_swapon(40 * 1024, 0, false), i);
	ck_assert_int_eq(sys_swapon(40 * 1024, 0, false), -EPERM);
	ck_assert_str_eq(kerror_reason(EPERM), "24 swap areas already "
			 "(MAX_SWAPFILES)");
	ck_assert_uint_eq(total_swap_pages, 9 * MAX_SWAPFILES);
	ck_assert_int_eq(sys_swapoff(MAX_SWAPFILES), -EINVAL);
	ck_assert_int_eq(sys_swapoff(7), 0);
	ck_assert_int_eq(sys_swapon(40 * 1024, 0, false), 7);
	assert_check();
	for (i = 0; i < MAX_SWAPFILES; i++)
		ck_assert_int_eq(sys_swapoff((unsigned int)i), 0);
	ck_assert_uint_eq(total_swap_pages, 0);
	shutdown();
}
END_TEST

/* default_priorities_after_swapoff - as Linux's swapoff does, removing
 * an area of default (negative) priority moves those below it up one,
 * and the next default priority follows the last. */
START_TEST(default_priorities_after_swapoff)
{
	boot_swap(64 * MB, 0, PAGING_4LEVEL);
	ck_assert_int_eq(sys_swapon(1 * MB, 0, false), 0);
	ck_assert_int_eq(sys_swapon(1 * MB, 0, false), 1);
	ck_assert_int_eq(sys_swapon(1 * MB, 0, false), 2);
	ck_assert_int_eq(swap_info[2]->prio, -4);
	ck_assert_int_eq(sys_swapoff(0), 0);
	ck_assert_int_eq(swap_info[1]->prio, -2);
	ck_assert_int_eq(swap_info[2]->prio, -3);
	ck_assert_int_eq(sys_swapon(1 * MB, 0, false), 0);
	ck_assert_int_eq(swap_info[0]->prio, -4);
	/* Priority -1 given is the default, as swapon(8)'s -p -1. */
	ck_assert_int_eq(sys_swapon(1 * MB, -1, true), 3);
	ck_assert_int_eq(swap_info[3]->prio, -5);
	assert_check();
	shutdown();
}
END_TEST

/* ---- reclaim ---- */

/* reclaim_command_swaps_anon - the machine's reclaim (proactive)
 * reclaims anonymous memory once there is swap, and counts it as
 * proactive; without swap it cannot. */
START_TEST(reclaim_command_swaps_anon)
{
	struct task_struct *t;
	uint64_t a, got;

	boot_swap(64 * MB, 0, PAGING_4LEVEL);
	t = fork_of(init_task());
	a = mmap_anon(t, 256 * PAGE_SIZE, RW);
	fill(t, a, 256, 26);
	ck_assert_uint_eq(reclaim_pages_user(64), 0);
	ck_assert_uint_eq(EV(PGSTEAL_PROACTIVE), 0);
	ck_assert_int_eq(sys_swapon(16 * MB, 0, false), 0);
	got = reclaim_pages_user(64);
	ck_assert_uint_ge(got, 64);
	ck_assert_uint_eq(EV(PGSTEAL_PROACTIVE), got);
	ck_assert_uint_ge(EV(PGSCAN_PROACTIVE), got);
	ck_assert_uint_eq(EV(PGSTEAL_KSWAPD) + EV(PGSTEAL_DIRECT), 0);
	ck_assert_uint_eq(EV(PSWPOUT), got);
	ck_assert_int_eq(t->mm->rss_stat[MM_SWAPENTS], (int64_t)got);
	assert_check();
	verify(t, a, 256, 26);
	finish(t);
}
END_TEST

/* random_policy_takes_pages_from_before - the pages resident when the
 * random policy is switched on all arrived together (at 0): they are
 * victims as any other, and a reclaim takes what it asks for. */
START_TEST(random_policy_takes_pages_from_before)
{
	uint64_t a;
	struct task_struct *t = written(256, 27, &a);

	reclaim_seed = 5;
	ck_assert_int_eq(set_reclaim_policy(RP_RANDOM), 0);
	ck_assert_uint_eq(reclaim_pages_user(64), 64);
	ck_assert_int_eq(t->mm->rss_stat[MM_SWAPENTS], 64);
	assert_check();
	verify(t, a, 256, 27);
	ck_assert_int_eq(set_reclaim_policy(RP_LINUX), 0);
	finish(t);
}
END_TEST

/* ---- the entry encodings ---- */

/* swap_pte_x86_64 - x86-64's swap entry: the type in bits 59-63, the
 * offset inverted from bit 9, exclusive in bit 3 (_PAGE_PWT), and P,
 * PSE and PROTNONE clear; every entry round-trips. */
START_TEST(swap_pte_x86_64)
{
	static const uint64_t offs[] = { 1, 2, 0x1234, (1ULL << 40) - 1,
					 (1ULL << 50) - 2 };

	boot_swap(16 * MB, 0, PAGING_4LEVEL);
	ck_assert_uint_eq(swp_entry_to_pte(swp_entry(0, 1)),
			  0x07fffffffffffc00ULL);
	ck_assert_uint_eq(swp_entry_to_pte(swp_entry(3, 1)),
			  0x1ffffffffffffc00ULL);
	ck_assert_uint_eq(swp_entry_to_pte(swp_entry(0, 0x1234)),
			  0x07ffffffffdb9600ULL);
	ck_assert_uint_eq(swp_pte_exclusive_bit(), 1ULL << 3);
	for (unsigned int type = 0; type < MAX_SWAPFILES; type++)
		for (size_t i = 0; i < ARRAY_SIZE(offs); i++) {
			swp_entry_t e = swp_entry(type, offs[i]);
			pte_t pte = swp_entry_to_pte(e);

			ck_assert_uint_eq(pte >> 59, type);
			ck_assert_uint_eq(pte & 0x1ff, 0);
			ck_assert(is_swap_pte(pte));
			ck_assert_uint_eq(pte_to_swp_entry(pte).val, e.val);
			ck_assert_uint_eq(pte_to_swp_entry(
				pte_swp_mkexclusive(pte)).val, e.val);
			ck_assert(pte_swp_exclusive(pte_swp_mkexclusive(pte)));
		}
	shutdown();
}
END_TEST

/* swap_on_i386 - 2-level paging: the type in bits 1-5, the offset from
 * bit 9 up, exclusive in bit 7; pages go out and come back; an area
 * larger than 23 bits of offset is refused. */
START_TEST(swap_on_i386)
{
	struct task_struct *t;
	uint64_t a;
	pte_t pte;

	boot_swap(32 * MB, 16 * MB, PAGING_2LEVEL);
	ck_assert_uint_eq(swp_entry_to_pte(swp_entry(5, 3)),
			  (5 << 1) | (3 << 9));
	ck_assert_uint_eq(swp_pte_exclusive_bit(), 1 << 7);
	for (unsigned int type = 0; type < MAX_SWAPFILES; type++)
		for (uint64_t off = 1; off < (1ULL << 23); off = off * 3 + 1) {
			swp_entry_t e = swp_entry(type, off);

			pte = swp_entry_to_pte(e);
			ck_assert_uint_eq(pte >> 32, 0);
			ck_assert_uint_eq(pte & 0x1c1, 0);
			ck_assert_uint_eq(pte_to_swp_entry(pte).val, e.val);
		}
	t = fork_of(init_task());
	a = mmap_anon(t, 16 * PAGE_SIZE, RW);
	ck_assert_uint_lt(a, 0xc0000000ULL);
	fill(t, a, 16, 27);
	pageout(t, a, 16);
	pte = pte_of(t, a + 2 * PAGE_SIZE);
	ck_assert_uint_eq(pte, (3 << 9) | (0 << 1) | (1 << 7));
	ck_assert_int_eq(t->mm->rss_stat[MM_SWAPENTS], 16);
	assert_check();
	verify(t, a, 16, 27);
	ck_assert_uint_eq(EV(PSWPIN), 16);
	ck_assert_int_eq(sys_swapon(33 * GB, 0, false), -EINVAL);
	ck_assert_str_eq(kerror_reason(EINVAL), "a swap area is at most "
			 "8388608 pages with this paging mode");
	finish(t);
}
END_TEST

/* pressure_on_i386 - the pressure scenario on a 2-level machine. */
START_TEST(pressure_on_i386)
{
	uint64_t a;

	finish(write_past_ram(16 * MB, 32 * MB, PAGING_2LEVEL, 24 * MB, 28, &a));
}
END_TEST

/* ---- fault_predict ---- */

/* predicted - fault_predict's answer for an access acc by t at va, which
 * must change nothing: no counter, no page walk, no entry, no TLB. */
static struct fault_prediction predicted(struct task_struct *t, uint64_t va,
					 unsigned int acc)
{
	static struct vmstat before;
	uint64_t counts[NR_FAULT_OUTCOMES], walks = hw.page_walks;
	uint64_t hits = hw.cpus[0].tlb.hits, misses = hw.cpus[0].tlb.misses;
	pte_t pte = pte_of(t, va);
	struct fault_prediction fp;

	memcpy(&before, &vmstat, sizeof(before));
	memcpy(counts, t->fault_counts, sizeof(counts));
	fault_predict(t->mm, va, acc, &fp);
	ck_assert(!memcmp(&before, &vmstat, sizeof(before)));
	ck_assert(!memcmp(counts, t->fault_counts, sizeof(counts)));
	ck_assert_uint_eq(hw.page_walks, walks);
	ck_assert_uint_eq(hw.cpus[0].tlb.hits, hits);
	ck_assert_uint_eq(hw.cpus[0].tlb.misses, misses);
	ck_assert_uint_eq(pte_of(t, va), pte);
	return fp;
}

/* comes_true - the access acc by t at va does what fault_predict said it
 * would, which must be outcome (-1: no fault) and major: the counter of
 * that outcome, and the task's major faults. */
static void comes_true(struct task_struct *t, uint64_t va, unsigned int acc,
		       int outcome, bool major)
{
	struct fault_prediction fp = predicted(t, va, acc);
	uint64_t maj = t->maj_flt, faults, n = 0;

	ck_assert_int_eq(fp.outcome, outcome);
	ck_assert_int_eq(fp.major, major);
	if (outcome >= 0)
		n = EV(MMUFS_FAULT_FIRST + (unsigned int)outcome);
	ck_assert_int_eq(user_touch(t, va, 1, acc, &faults), 0);
	ck_assert_uint_eq(faults, outcome >= 0);
	if (outcome >= 0)
		ck_assert_uint_eq(EV(MMUFS_FAULT_FIRST + (unsigned int)outcome),
				  n + 1);
	ck_assert_uint_eq(t->maj_flt, maj + major);
}

/* segv_for - fault_predict says SIGSEGV for acc at va, for why. */
static void segv_for(struct task_struct *t, uint64_t va, unsigned int acc,
		     const char *why)
{
	struct fault_prediction fp = predicted(t, va, acc);

	ck_assert_int_eq(fp.outcome, FO_SIGSEGV);
	ck_assert_str_eq(fp.why, why);
}

/* predict_comes_true - fault_predict foresees what each access does:
 * the zero page, its COW copy, no fault, COW after fork (copy, then
 * reuse), a swap-in (major, then minor from the swap cache), a fetch
 * from a vma without VM_EXEC (a fault, then SIGSEGV), a stack's growth,
 * and the SIGSEGVs (no vma, a read-only vma, a fetch from an NX page, the
 * kernel half, a non-canonical address). */
START_TEST(predict_comes_true)
{
	struct task_struct *t, *c;
	uint64_t a, b, ro, x, g;

	t = swapped_out(2, 5, 0, &a);
	b = mmap_anon(t, PAGE_SIZE, RW);
	comes_true(t, b, ACC_READ, FO_ZERO, false);
	comes_true(t, b, ACC_WRITE, FO_COW_COPY, false);
	comes_true(t, b, ACC_WRITE, -1, false);
	comes_true(t, a, ACC_READ, FO_SWAPIN, true);
	c = fork_of(t);
	comes_true(c, a + PAGE_SIZE, ACC_READ, FO_SWAPIN, true);
	comes_true(t, a + PAGE_SIZE, ACC_READ, FO_SWAPIN, false);
	comes_true(t, b, ACC_WRITE, FO_COW_COPY, false);
	comes_true(c, b, ACC_WRITE, FO_COW_REUSE, false);
	comes_true(c, b, ACC_READ, -1, false);
	ro = mmap_anon(t, PAGE_SIZE, PROT_READ);
	segv_for(t, ro, ACC_WRITE, "write to a vma without VM_WRITE");
	segv_for(t, b, ACC_FETCH,
		 "instruction fetch from a non-executable page");
	ck_assert(predicted(t, ro, ACC_FETCH).then_sigsegv);
	x = mmap_anon(t, PAGE_SIZE, PROT_READ | PROT_EXEC);
	ck_assert(!predicted(t, x, ACC_FETCH).then_sigsegv);
	comes_true(t, x, ACC_FETCH, FO_ZERO, false);
	segv_for(t, 0x1000, ACC_READ, "no vma holds the address");
	g = map_at(t, 0, 4 * PAGE_SIZE, RW, ANON | MAP_GROWSDOWN);
	ck_assert(predicted(t, g - PAGE_SIZE, ACC_WRITE).stack_grow);
	comes_true(t, g - PAGE_SIZE, ACC_WRITE, FO_ANON, false);
	ck_assert_uint_eq(find_vma(t->mm, g)->vm_start, g - PAGE_SIZE);
	segv_for(t, g - PAGE_SIZE - sysctl_vm.rlimit_stack, ACC_READ,
		 "stack growth beyond RLIMIT_STACK");
	segv_for(t, task_size_max(), ACC_READ,
		 "user access to the kernel half");
	segv_for(t, 1ULL << 47, ACC_READ, "non-canonical address (#GP)");
	exit_and_reap(t, c);
	finish(t);
}
END_TEST

/* predict_file_faults - a private file mapping: a read of a page not in
 * the page cache is a major file fault, a write to a page mapped from
 * the cache a COW copy, a page past the end of the file SIGBUS; a read
 * through a shared mapping of a cached page is a minor file fault. */
START_TEST(predict_file_faults)
{
	static const char path[] = "/tmp/mmufs-unit-swap-predict";
	struct task_struct *t;
	uint64_t f, sh;
	struct fault_prediction fp;

	host_file(path, 2, 'p');
	boot_swap(64 * MB, 16 * MB, PAGING_4LEVEL);
	t = fork_of(init_task());
	f = do_mmap_file(t, 0, 4 * PAGE_SIZE, RW, MAP_PRIVATE, path, 0);
	ck_assert(!IS_ERR_VALUE(f));
	comes_true(t, f, ACC_READ, FO_FILE, true);
	comes_true(t, f, ACC_WRITE, FO_COW_COPY, false);
	fp = predicted(t, f + 3 * PAGE_SIZE, ACC_READ);
	ck_assert_int_eq(fp.outcome, FO_SIGBUS);
	ck_assert_str_eq(fp.why, "beyond the end of the file");
	sh = do_mmap_file(t, 0, 2 * PAGE_SIZE, RW, MAP_SHARED, path, 0);
	ck_assert(!IS_ERR_VALUE(sh));
	comes_true(t, sh + PAGE_SIZE, ACC_READ, FO_FILE, false);
	unlink(path);
	finish(t);
}
END_TEST

static Suite *swap_suite(void)
{
	Suite *s = suite_create("swap");
	TCase *tc;

	tc = tcase_create("pageout");
	tcase_add_test(tc, pageout_then_read_back);
	tcase_add_test(tc, clean_pages_are_not_written_twice);
	tcase_add_test(tc, write_fault_frees_the_slot);
	tcase_add_test(tc, zero_page_and_untouched_are_not_swapped);
	tcase_add_test(tc, dontneed_and_munmap_free_slots);
	tcase_add_test(tc, mprotect_and_mremap_keep_swap_entries);
	tcase_add_test(tc, private_file_copies_swap);
	tcase_add_test(tc, shared_file_written_back);
	tcase_add_test(tc, shmem_swaps_out_and_back);
	tcase_add_test(tc, shmem_swapoff);
	tcase_add_test(tc, madvise_free_lazily);
	tcase_add_test(tc, mem_and_threads_fault_swapped_pages);
	tcase_add_test(tc, exec_frees_the_old_images_slots);
	suite_add_tcase(s, tc);

	tc = tcase_create("fork");
	tcase_add_test(tc, fork_shares_swap_slots);
	tcase_add_test(tc, fork_children_exit_with_swap);
	suite_add_tcase(s, tc);

	tc = tcase_create("predict");
	tcase_add_test(tc, predict_comes_true);
	tcase_add_test(tc, predict_file_faults);
	suite_add_tcase(s, tc);

	tc = tcase_create("pressure");
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, pressure_swaps_and_reads_back);
	tcase_add_test(tc, fork_under_pressure);
	tcase_add_test(tc, pressure_two_processes_share);
	tcase_add_test(tc, oom_when_swap_and_ram_run_out);
	tcase_add_test(tc, mlocked_pages_stay);
	tcase_add_test(tc, mlock_swaps_in);
	tcase_add_loop_test(tc, eviction_flushes_other_cpus, 0, 2);
	tcase_add_test(tc, kswapd_per_node);
	tcase_add_test(tc, memcg_reclaims_every_node);
	suite_add_tcase(s, tc);

	tc = tcase_create("readahead");
	tcase_add_test(tc, readahead_follows_page_cluster);
	tcase_add_test(tc, random_swapins_read_one_page);
	tcase_add_test(tc, refault_of_one_page_activates);
	tcase_add_test(tc, refault_distances);
	suite_add_tcase(s, tc);

	tc = tcase_create("areas");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, swapoff_brings_pages_back);
	tcase_add_test(tc, swapoff_enomem_changes_nothing);
	tcase_add_test(tc, swapoff_at_the_boundary);
	tcase_add_test(tc, swapoff_under_overcommit_never);
	tcase_add_test(tc, swapoff_of_one_area_of_two);
	tcase_add_test(tc, priorities);
	tcase_add_test(tc, swapon_limits);
	tcase_add_test(tc, default_priorities_after_swapoff);
	tcase_add_test(tc, reclaim_command_swaps_anon);
	tcase_add_test(tc, random_policy_takes_pages_from_before);
	suite_add_tcase(s, tc);

	tc = tcase_create("encoding");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, swap_pte_x86_64);
	tcase_add_test(tc, swap_on_i386);
	tcase_add_test(tc, pressure_on_i386);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(swap_suite());
}
