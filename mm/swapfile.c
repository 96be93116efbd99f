/*
 * swapfile.c - swap areas (Linux's mm/swapfile.c): swapon and swapoff,
 * slot allocation by priority, the swap_map counts, and page I/O to the
 * area's device.
 *
 * Slots are allocated from the area of highest priority that has room;
 * areas of equal priority take turns, one slot each (Linux requeues the
 * area it used behind its equals).  Within an area the search for a free
 * slot starts where the last one ended and wraps, as the scan of the
 * swap_map did before Linux grouped slots into per-CPU clusters
 * (docs/divergences.md).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "mm/swap.h"
#include "mm/memcontrol.h"
#include "mm/slab.h"
#include "mm/vmalloc.h"
#include "kernel/kernel.h"
#include "kernel/trace.h"

struct swap_info_struct *swap_info[MAX_SWAPFILES];
uint64_t nr_swap_pages;
uint64_t total_swap_pages;
uint64_t total_swapcache_pages;

/* The areas that take pages, by descending priority, equals in the order
 * they take turns (Linux's swap_avail_heads). */
static struct swap_info_struct *avail[MAX_SWAPFILES];
static int nr_avail;
static int least_priority = -1;

#define SWAP_MIN_PAGES	10	/* mkswap: "at least 40 KiB" */

/* free_area - give an area's memory back. */
static void free_area(struct swap_info_struct *si)
{
	swapdev_destroy(&si->dev);
	if (si->map_addr)
		BUG_ON(vfree(si->map_addr, swapon_caller));
	kfree(si->slab_obj);
	free(si->swap_map);
	free(si->cache);
	free(si->memcg_id);
	free(si);
}

/* swap_areas_reset - see swap.h. */
void swap_areas_reset(void)
{
	for (int i = 0; i < MAX_SWAPFILES; i++) {
		struct swap_info_struct *si = swap_info[i];

		if (!si)
			continue;
		free_area(si);
		swap_info[i] = NULL;
	}
	nr_avail = 0;
	least_priority = -1;
	nr_swap_pages = total_swap_pages = total_swapcache_pages = 0;
}

/* avail_insert - si takes pages, behind the areas of its priority or
 * higher (Linux's plist_add). */
static void avail_insert(struct swap_info_struct *si)
{
	int i = nr_avail;

	while (i > 0 && avail[i - 1]->prio < si->prio) {
		avail[i] = avail[i - 1];
		i--;
	}
	avail[i] = si;
	nr_avail++;
}

/* avail_remove - si no longer takes pages. */
static void avail_remove(struct swap_info_struct *si)
{
	int i;

	for (i = 0; i < nr_avail && avail[i] != si; i++)
		;
	BUG_ON(i == nr_avail);
	memmove(&avail[i], &avail[i + 1], (size_t)(nr_avail - i - 1) *
		sizeof(avail[0]));
	nr_avail--;
}

/* max_swap_offset - the largest offset a swap PTE can hold (Linux's
 * generic_max_swapfile_size): 23 bits on i386 2-level paging. */
static uint64_t max_swap_offset(void)
{
	if (hw.geom->mode == PAGING_2LEVEL)
		return (1ULL << 23) - 1;
	return (1ULL << (64 - SWP_X86_64_OFFSET_SHIFT)) - 1;
}

/* alloc_area - a zeroed area of `slots` slots in type, with its
 * swap_info_struct object and swap_map area (Linux's alloc_swap_info and
 * the vzalloc of swapon), or NULL (ENOMEM, with the reason). */
static struct swap_info_struct *alloc_area(unsigned int type, uint64_t slots)
{
	struct swap_info_struct *si = calloc(1, sizeof(*si));

	if (!si) {
		host_enomem();
		return NULL;
	}
	si->swap_map = calloc(slots, sizeof(*si->swap_map));
	si->cache = calloc(slots, sizeof(*si->cache));
	si->memcg_id = calloc(slots, sizeof(*si->memcg_id));
	if (!si->swap_map || !si->cache || !si->memcg_id ||
	    swapdev_init(&si->dev, slots)) {
		free_area(si);
		host_enomem();
		return NULL;
	}
	si->slab_obj = kmalloc(SWAP_INFO_STRUCT_SIZE);
	if (!si->slab_obj || vmalloc(slots, swapon_caller, &si->map_addr)) {
		si->map_addr = 0;
		free_area(si);
		return NULL;
	}
	si->type = type;
	si->max = slots;
	si->pages = slots - 1;
	si->cluster_next = 1;
	return si;
}

/* sys_swapon - see swap.h. */
int sys_swapon(uint64_t size, int prio, bool has_prio)
{
	uint64_t slots = size >> PAGE_SHIFT;
	struct swap_info_struct *si;
	unsigned int type;

	if (slots < SWAP_MIN_PAGES)
		return kerror(EINVAL, "a swap area needs at least %d pages "
			      "(40 KiB)", SWAP_MIN_PAGES);
	if (size > (64ULL << 30))
		return kerror(EINVAL, "a swap area is at most 64G");
	if (slots - 1 > max_swap_offset())
		return kerror(EINVAL, "a swap area is at most %llu pages with "
			      "this paging mode", (unsigned long long)
			      max_swap_offset() + 1);
	if (has_prio && (prio < -1 || prio > 32767))
		return kerror(EINVAL, "priority must be -1..32767");
	for (type = 0; type < MAX_SWAPFILES && swap_info[type]; type++)
		;
	if (type == MAX_SWAPFILES)
		return kerror(EPERM, "%d swap areas already (MAX_SWAPFILES)",
			      MAX_SWAPFILES);
	si = alloc_area(type, slots);
	if (!si)
		return -ENOMEM;
	si->prio = has_prio && prio >= 0 ? prio : --least_priority;
	si->flags = SWP_USED | SWP_WRITEOK;
	swap_info[type] = si;
	avail_insert(si);
	nr_swap_pages += si->pages;
	total_swap_pages += si->pages;
	return (int)type;
}

/* scan_area - a free slot of si from cluster_next on, wrapping; 0 if the
 * area is full. */
static uint64_t scan_area(struct swap_info_struct *si)
{
	uint64_t off = si->cluster_next, n;

	if (si->inuse_pages == si->pages)
		return 0;
	for (n = 0; n < si->pages; n++, off++) {
		if (off >= si->max)
			off = 1;
		if (!si->swap_map[off])
			return off;
	}
	BUG_ON(1);
	return 0;
}

/* get_swap_page - see swap.h. */
swp_entry_t get_swap_page(void)
{
	for (int i = 0; i < nr_avail; i++) {
		struct swap_info_struct *si = avail[i];
		uint64_t off = scan_area(si);
		int j;

		if (!off)
			continue;
		si->swap_map[off] = SWAP_HAS_CACHE;
		si->inuse_pages++;
		si->cluster_next = off + 1;
		nr_swap_pages--;
		/* plist_requeue: behind the other areas of its priority. */
		for (j = i; j + 1 < nr_avail && avail[j + 1]->prio == si->prio;
		     j++)
			avail[j] = avail[j + 1];
		avail[j] = si;
		return swp_entry(si->type, off);
	}
	return (swp_entry_t){ 0 };
}

/* swap_range_free - a slot nobody refers to any more: free it, forget
 * its shadow and discard its block. */
static void swap_range_free(struct swap_info_struct *si, uint64_t off)
{
	BUG_ON(si->swap_map[off] != 0);
	si->cache[off] = 0;
	if (si->memcg_id[off])
		mem_cgroup_swap_uncharge(si->type, off);
	si->inuse_pages--;
	if (si->flags & SWP_WRITEOK)
		nr_swap_pages++;
	swapdev_discard(&si->dev, off);
}

/* swap_count - see swap.h. */
uint32_t swap_count(swp_entry_t e)
{
	return swap_info_get(e)->swap_map[swp_offset(e)] & SWAP_COUNT_MASK;
}

/* swap_duplicate - see swap.h. */
void swap_duplicate(swp_entry_t e)
{
	struct swap_info_struct *si = swap_info_get(e);
	uint32_t *map = &si->swap_map[swp_offset(e)];

	BUG_ON(!*map || (*map & SWAP_COUNT_MASK) == SWAP_COUNT_MASK);
	(*map)++;
}

/* swap_free - see swap.h. */
void swap_free(swp_entry_t e)
{
	struct swap_info_struct *si = swap_info_get(e);
	uint32_t *map = &si->swap_map[swp_offset(e)];

	BUG_ON(!(*map & SWAP_COUNT_MASK));
	if (--(*map) == 0)
		swap_range_free(si, swp_offset(e));
}

/* swapcache_clear - the slot's page left the swap cache. */
void swapcache_clear(swp_entry_t e)
{
	struct swap_info_struct *si = swap_info_get(e);
	uint32_t *map = &si->swap_map[swp_offset(e)];

	BUG_ON(!(*map & SWAP_HAS_CACHE));
	*map &= ~SWAP_HAS_CACHE;
	if (!*map)
		swap_range_free(si, swp_offset(e));
}

/* free_swap_and_cache - see swap.h. */
void free_swap_and_cache(swp_entry_t e)
{
	struct swap_info_struct *si = swap_info_get(e);
	uint64_t off = swp_offset(e);
	uintptr_t c = si->cache[off];

	swap_free(e);
	if (si->swap_map[off] != SWAP_HAS_CACHE || !c ||
	    swap_cache_is_shadow(c))
		return;
	/* __try_to_reclaim_swap(TTRS_UNMAPPED | TTRS_FULL) */
	if (!((struct page *)c)->mapcount || vm_swap_full())
		try_to_free_swap((struct page *)c);
}

/* vm_swap_full - see swap.h (Linux's vm_swap_full). */
bool vm_swap_full(void)
{
	return nr_swap_pages * 2 < total_swap_pages;
}

/* swap_writepage - see swap.h. */
void swap_writepage(struct page *page)
{
	swp_entry_t e = { page->private };

	swapdev_write(&swap_info_get(e)->dev, swp_offset(e), &hw.mem,
		      page_to_pfn(page));
	count_memcg_event(page->memcg, PSWPOUT, 1);
	count_vm_events(PGPGOUT, PAGE_SIZE >> 10);
}

/* swap_readpage - see swap.h. */
void swap_readpage(struct page *page)
{
	swp_entry_t e = { page->private };

	swapdev_read(&swap_info_get(e)->dev, swp_offset(e), &hw.mem,
		     page_to_pfn(page));
	count_memcg_event(page->memcg, PSWPIN, 1);
	count_vm_events(PGPGIN, PAGE_SIZE >> 10);
	task_io_account_read(PAGE_SIZE);
}

/* ---- swapoff ---- */

/* pages_to_read - the slots of si whose page is not in RAM. */
static uint64_t pages_to_read(const struct swap_info_struct *si)
{
	uint64_t n = 0;

	for (uint64_t off = 1; off < si->max; off++)
		if ((si->swap_map[off] & SWAP_COUNT_MASK) &&
		    !(si->cache[off] && !swap_cache_is_shadow(si->cache[off])))
			n++;
	return n;
}

/* free_for_swapin - the frames swapoff's reads may take without reclaim:
 * in every zone a user page may come from, the free pages above the min
 * watermark plus the lowmem reserve kept against such an allocation
 * (what alloc_pages' watermark check lets it have). */
static uint64_t free_for_swapin(void)
{
	enum zone_type highest = gfp_zone(GFP_HIGHUSER_MOVABLE);
	struct zone *z;
	uint64_t n = 0;

	for_each_zone(z) {
		uint64_t mark = z->watermark[WMARK_MIN] +
				z->lowmem_reserve[highest];

		if (zone_idx(z) <= (int)highest && z->free_pages > mark)
			n += z->free_pages - mark;
	}
	return n;
}

struct unuse_state {
	struct vm_area_struct *vma;
	unsigned int type;
};

/* unuse_pte - bring in the page of one entry of the area and map it
 * (Linux's unuse_pte): the entry's reference becomes a mapping. */
static int unuse_pte(struct pte_ref ref, uint64_t va, uint64_t next,
		     struct mm_walk *walk)
{
	struct unuse_state *us = walk->private;
	struct vm_area_struct *vma = us->vma;
	pte_t pte = pte_read(ref);
	swp_entry_t e;
	struct page *page;
	bool allocated;

	if (!is_swap_pte(pte))
		return 0;
	e = pte_to_swp_entry(pte);
	if (swp_type(e) != us->type)
		return 0;
	page = read_swap_cache_async(e, &allocated, NULL, SWAPIN_CHARGE_FORCE);
	BUG_ON(!page);	/* sys_swapoff made sure the pages fit */
	do_swap_page_map(vma, va, ref, pte, page, false, false);
	put_page(page);
	return 0;
}

static const struct mm_walk_ops unuse_walk_ops = { .pte_entry = unuse_pte };

/* unuse_mm - every entry of mm that refers to the area (Linux's
 * unuse_mm), the mm held (mm_users) while it is walked. */
static void unuse_mm(struct mm_struct *mm, unsigned int type)
{
	struct vm_area_struct *vma;

	mmget(mm);
	for (vma = mm->mmap; vma; vma = vma->vm_next) {
		struct unuse_state us = { vma, type };

		if (vma->anon_vma || vma_is_anonymous(vma))
			walk_page_range(mm, vma->vm_start, vma->vm_end,
					&unuse_walk_ops, &us);
	}
	mmput(mm);
}

/* try_to_unuse - every slot of the area back in RAM, then out of the
 * swap cache (Linux's try_to_unuse). */
static void try_to_unuse(struct swap_info_struct *si)
{
	struct list_head *l, *n;

	list_for_each_safe(l, n, &all_mms)
		unuse_mm(list_entry(l, struct mm_struct, mmlist), si->type);
	shmem_unuse(si->type);
	for (uint64_t off = 1; off < si->max; off++) {
		uintptr_t c = si->cache[off];

		BUG_ON(si->swap_map[off] & SWAP_COUNT_MASK);
		if (c && !swap_cache_is_shadow(c))
			BUG_ON(!try_to_free_swap((struct page *)c));
	}
	BUG_ON(si->inuse_pages);
}

/* raise_lower_priorities - si, of a default (negative) priority, goes:
 * the areas below it move up one, and so does the next default (Linux's
 * swapoff), so that the defaults stay -2, -3... without a gap. */
static void raise_lower_priorities(const struct swap_info_struct *si)
{
	for (int i = 0; i < MAX_SWAPFILES; i++)
		if (swap_info[i] && swap_info[i]->prio < si->prio)
			swap_info[i]->prio++;
	least_priority++;
}

/* sys_swapoff - see swap.h.  The area stops taking pages first, as in
 * Linux; the pages needed are counted before, so that every read finds
 * a frame without reclaim and the command either completes or changes
 * nothing. */
int sys_swapoff(unsigned int type)
{
	struct swap_info_struct *si = type < MAX_SWAPFILES ? swap_info[type] :
			     NULL;
	uint64_t need;
	int err;

	if (!si)
		return kerror(EINVAL, "no swap area %u", type);
	need = pages_to_read(si);
	if (need > free_for_swapin())
		return kerror(ENOMEM, "%llu swapped pages do not fit in free "
			      "memory (%llu pages above the min watermarks and "
			      "reserves)", (unsigned long long)need,
			      (unsigned long long)free_for_swapin());
	err = vm_enough_memory((int64_t)si->pages);
	if (err)
		return err;
	vm_unacct_memory((int64_t)si->pages);
	avail_remove(si);
	si->flags &= ~SWP_WRITEOK;
	nr_swap_pages -= si->pages - si->inuse_pages;
	total_swap_pages -= si->pages;
	try_to_unuse(si);
	if (si->prio < 0)
		raise_lower_priorities(si);
	swap_info[type] = NULL;
	free_area(si);
	return 0;
}
