/*
 * swap_state.c - the swap cache and swap readahead (Linux's
 * mm/swap_state.c): the page that holds a slot's contents in RAM, found
 * by the slot; reading a slot into a new frame; reading the slots around
 * a faulting one.
 */
#include "internal.h"
#include "mm/swap.h"
#include "mm/memcontrol.h"
#include "mm/replace.h"
#include "kernel/kernel.h"

/* The readahead state (Linux's swapin_readahead_hits, prev_offset and
 * last_readahead_pages). */
uint64_t swapin_readahead_hits;
static uint64_t prev_offset;
static uint64_t last_readahead_pages;

/* swap_ra_reset - forget the readahead state (a new machine). */
void swap_ra_reset(void)
{
	swapin_readahead_hits = prev_offset = last_readahead_pages = 0;
}

/* add_to_swap_cache - see swap.h. */
uintptr_t add_to_swap_cache(struct page *page, swp_entry_t e)
{
	struct swap_info_struct *si = swap_info_get(e);
	uint64_t off = swp_offset(e);
	uintptr_t shadow = si->cache[off];

	BUG_ON(PageSwapCache(page) || !(si->swap_map[off] & SWAP_HAS_CACHE));
	BUG_ON(shadow && !swap_cache_is_shadow(shadow));
	si->cache[off] = (uintptr_t)page;
	si->nr_cached++;
	total_swapcache_pages++;
	SetPageFlag(page, PG_swapcache);
	SetPageFlag(page, PG_swapbacked);
	page->private = e.val;
	get_page(page);
	mod_page_state(page, NR_FILE_PAGES, 1);
	mod_page_state(page, NR_SWAPCACHE, 1);
	return shadow;
}

/* delete_from_swap_cache - see swap.h. */
void delete_from_swap_cache(struct page *page, uintptr_t shadow)
{
	swp_entry_t e = { page->private };
	struct swap_info_struct *si = swap_info_get(e);
	uint64_t off = swp_offset(e);

	BUG_ON(!PageSwapCache(page) || si->cache[off] != (uintptr_t)page);
	si->cache[off] = shadow;
	si->nr_cached--;
	total_swapcache_pages--;
	ClearPageFlag(page, PG_swapcache);
	page->private = 0;
	mod_page_state(page, NR_FILE_PAGES, -1);
	mod_page_state(page, NR_SWAPCACHE, -1);
	swapcache_clear(e);
	put_page(page);
}

/* swap_cache_peek - see swap.h (Linux's swap_cache_get_folio without
 * the readahead accounting). */
struct page *swap_cache_peek(swp_entry_t e)
{
	uintptr_t c = swap_info_get(e)->cache[swp_offset(e)];

	if (!c || swap_cache_is_shadow(c))
		return NULL;
	return (struct page *)c;
}

/* lookup_swap_cache - see swap.h (Linux's swap_cache_get_folio). */
struct page *lookup_swap_cache(swp_entry_t e)
{
	struct page *page = swap_cache_peek(e);

	if (!page)
		return NULL;
	if (PageFlag(page, PG_readahead)) {
		ClearPageFlag(page, PG_readahead);
		swapin_readahead_hits++;
		count_vm_event(SWAP_RA_HIT);
	}
	return page;
}

/* add_to_swap - see swap.h. */
bool add_to_swap(struct page *page)
{
	swp_entry_t e = get_swap_page();

	if (!e.val)
		return false;
	if (!mem_cgroup_swap_charge(page, swp_type(e), swp_offset(e))) {
		swapcache_clear(e);
		return false;
	}
	add_to_swap_cache(page, e);
	set_page_dirty(page);
	return true;
}

/* try_to_free_swap - see swap.h.  The page keeps its contents only in
 * RAM now, so it is dirty. */
bool try_to_free_swap(struct page *page)
{
	swp_entry_t e = { page->private };

	if (!PageSwapCache(page) || swap_count(e))
		return false;
	set_page_dirty(page);
	delete_from_swap_cache(page, 0);
	return true;
}

/* read_swap_cache_async - see swap.h (Linux's __read_swap_cache_async
 * and swap_read_folio). */
struct page *read_swap_cache_async(swp_entry_t e, bool *allocated,
				   struct mm_struct *mm, enum swapin_charge charge)
{
	struct swap_info_struct *si = swap_info_get(e);
	uint64_t off = swp_offset(e);
	struct page *page;
	uintptr_t shadow;

	*allocated = false;
	page = lookup_swap_cache(e);
	if (page) {
		get_page(page);
		return page;
	}
	if (!(si->swap_map[off] & SWAP_COUNT_MASK))
		return NULL;
	page = mm ? alloc_page_oom(GFP_HIGHUSER_MOVABLE, mm) :
		    alloc_page(GFP_HIGHUSER_MOVABLE);
	if (!page)
		return NULL;
	/* The OOM killer, run for that frame, may have freed the slot
	 * (reclaim only gives cache pages to free slots). */
	if (!(si->swap_map[off] & SWAP_COUNT_MASK)) {
		put_page(page);
		return NULL;
	}
	if (mem_cgroup_swapin_charge(page, e, mm, charge)) {
		put_page(page);
		return NULL;
	}
	si->swap_map[off] |= SWAP_HAS_CACHE;
	shadow = add_to_swap_cache(page, e);
	swap_readpage(page);
	SetPageFlag(page, PG_uptodate);
	workingset_refault(page, shadow);
	lru_cache_add(page, PageFlag(page, PG_active) ? LRU_ACTIVE_ANON :
						       LRU_INACTIVE_ANON);
	*allocated = true;
	return page;		/* the reference of alloc_page */
}

/* swapin_nr_pages_for - the window for a fault at offset after `hits`
 * readahead hits, at most max_pages (Linux's __swapin_nr_pages): one page
 * without hits unless the faults are sequential, else the hits rounded
 * up to a power of two from 4, never below half the previous window. */
static uint64_t swapin_nr_pages_for(uint64_t prev, uint64_t offset,
				    uint64_t hits, uint64_t max_pages,
				    uint64_t prev_win)
{
	uint64_t pages = hits + 2, roundup = 4;

	if (pages == 2) {
		if (offset != prev + 1 && offset != prev - 1)
			pages = 1;
	} else {
		while (roundup < pages)
			roundup <<= 1;
		pages = roundup;
	}
	if (pages > max_pages)
		pages = max_pages;
	if (pages < prev_win / 2)
		pages = prev_win / 2;
	return pages;
}

/* swapin_nr_pages - the readahead window for a fault at offset (Linux's
 * swapin_nr_pages), consuming the hits. */
static uint64_t swapin_nr_pages(uint64_t offset)
{
	uint64_t max_pages = 1ULL << sysctl_vm.page_cluster, pages;

	if (max_pages <= 1 || textbook_policy())
		return 1;
	pages = swapin_nr_pages_for(prev_offset, offset, swapin_readahead_hits,
				    max_pages, last_readahead_pages);
	swapin_readahead_hits = 0;
	if (!pages)
		pages = 1;
	prev_offset = offset;
	last_readahead_pages = pages;
	return pages;
}

/* swapin_readahead - see swap.h.  The window is read in slot order, the
 * faulting slot among the others; only it may call the OOM killer. */
struct page *swapin_readahead(swp_entry_t e, struct vm_fault *vmf,
			      bool *major)
{
	struct swap_info_struct *si = swap_info_get(e);
	uint64_t offset = swp_offset(e), mask = swapin_nr_pages(offset) - 1;
	uint64_t start = offset & ~mask, end = offset | mask, off;
	struct page *target = NULL;
	bool allocated;

	if (!start)
		start = 1;
	if (end >= si->max)
		end = si->max - 1;
	for (off = start; off <= end; off++) {
		struct page *page;

		if (off == offset) {
			target = read_swap_cache_async(e, major,
						       vmf->vma->vm_mm,
						       SWAPIN_CHARGE_RECLAIM);
			continue;
		}
		page = read_swap_cache_async(swp_entry(si->type, off),
					     &allocated, NULL,
					     SWAPIN_CHARGE_TRY);
		if (!page)
			continue;
		if (allocated) {
			SetPageFlag(page, PG_readahead);
			count_vm_event(SWAP_RA);
		}
		put_page(page);
	}
	return target;
}
