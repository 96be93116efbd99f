/*
 * page_writeback.c - the dirty-page limits and writeback (Linux's
 * mm/page-writeback.c and fs/fs-writeback.c, global limits only: one
 * device, no throttling of writers).
 */
#include "internal.h"
#include "mm/page_alloc.h"
#include "mm/memcontrol.h"
#include "mm/writeback.h"
#include "util/compiler.h"

/* highmem_dirtyable_memory - Linux's highmem_dirtyable_memory(): over
 * every node's ZONE_HIGHMEM, the free pages above its high watermark plus
 * its file LRU pages, at most total. */
static uint64_t highmem_dirtyable_memory(uint64_t total)
{
	uint64_t x = 0;
	struct zone *z;

	for_each_zone(z) {
		uint64_t free = z->free_pages, high = z->watermark[WMARK_HIGH];

		if (!is_highmem_idx(zone_idx(z)))
			continue;
		x += free - MIN(free, high) +
		     z->nr_zone_lru[LRU_INACTIVE_FILE] +
		     z->nr_zone_lru[LRU_ACTIVE_FILE];
	}
	return MIN(x, total);
}

/* global_dirtyable_memory - Linux's global_dirtyable_memory() with
 * vm_highmem_is_dirtyable 0: the free pages above totalreserve_pages plus
 * the file LRU, less highmem's share (i386), plus 1 so that the limits are
 * never 0. */
static uint64_t global_dirtyable_memory(void)
{
	uint64_t free = nr_free_pages(), reserve = calculate_totalreserve_pages();
	uint64_t x = free - MIN(free, reserve) +
		     node_lru_pages(LRU_INACTIVE_FILE) +
		     node_lru_pages(LRU_ACTIVE_FILE);

	return x - highmem_dirtyable_memory(x) + 1;
}

/* global_dirty_limits - see writeback.h (Linux's domain_dirty_limits
 * with the ratios, vm.dirty_bytes and dirty_background_bytes unset). */
void global_dirty_limits(uint64_t *pbackground, uint64_t *pdirty)
{
	uint64_t avail = global_dirtyable_memory();
	uint64_t ratio = VM_DIRTY_RATIO * PAGE_SIZE / 100;
	uint64_t bg_ratio = DIRTY_BACKGROUND_RATIO * PAGE_SIZE / 100;
	uint64_t thresh = ratio * avail / PAGE_SIZE;
	uint64_t bg_thresh = bg_ratio * avail / PAGE_SIZE;

	if (bg_thresh >= thresh)
		bg_thresh = thresh / 2;
	*pbackground = bg_thresh;
	*pdirty = thresh;
}

/* ---- writing dirty pages back (Linux's write_cache_pages and the
 * flusher's wb_writeback, on one device: every host file) ---- */

/* The flusher's chunk (Linux's MIN_WRITEBACK_PAGES: 4 MiB), which it
 * writes before it looks at the background threshold again. */
#define MIN_WRITEBACK_PAGES	(4096 / (PAGE_SIZE >> 10))

static bool wb_pending;	/* the flusher was woken */

/* write_cache_pages - write back up to nr dirty pages of m, from where
 * the last writeback of m stopped, around to it (Linux's
 * write_cache_pages with range_cyclic).  Returns the pages written; a
 * page that cannot be (no host memory) is left dirty. */
static uint64_t write_cache_pages(struct address_space *m, uint64_t nr)
{
	uint64_t done = 0, start = m->wb_index < m->nr_index ? m->wb_index : 0;

	for (uint64_t k = 0; k < m->nr_index && done < nr; k++) {
		uint64_t i = (start + k) % m->nr_index;
		struct page *p = m->pages[i];

		if (p && PageFlag(p, PG_dirty) && !filemap_writepage(p)) {
			done++;
			m->wb_index = i + 1;
		}
	}
	return done;
}

/* writeback_pages - write back up to nr dirty pages of the host files,
 * in the order they were opened.  Returns the pages written. */
static uint64_t writeback_pages(uint64_t nr)
{
	struct list_head *l;
	uint64_t done = 0;

	list_for_each(l, &file_cache) {
		if (done == nr)
			break;
		done += write_cache_pages(list_entry(l, struct address_space,
						     files), nr - done);
	}
	return done;
}

/* wb_over_bg_thresh - are more pages dirty than the background threshold
 * (Linux's wb_over_bg_thresh)? */
static bool wb_over_bg_thresh(void)
{
	uint64_t bg, thresh;

	global_dirty_limits(&bg, &thresh);
	return global_node_page_state(NR_FILE_DIRTY) > bg;
}

/* ksys_sync - see writeback.h. */
uint64_t ksys_sync(void)
{
	return writeback_pages(UINT64_MAX);
}

/* balance_dirty_pages_ratelimited - see writeback.h (without throttling:
 * the writer never waits, the flusher runs before it goes on). */
void balance_dirty_pages_ratelimited(void)
{
	if (wb_over_bg_thresh())
		wb_pending = true;
}

/* wb_run_pending - see writeback.h (Linux's wb_workfn doing background
 * writeback, wb_writeback: chunks of MIN_WRITEBACK_PAGES until the dirty
 * pages are at the threshold or below, or nothing more can be written). */
void wb_run_pending(void)
{
	if (!wb_pending)
		return;
	wb_pending = false;
	while (wb_over_bg_thresh() && writeback_pages(MIN_WRITEBACK_PAGES))
		;
}
