/*
 * page_writeback.c - the dirty-page limits (Linux's mm/page-writeback.c,
 * global limits only: no per-device writeback, no throttling).
 */
#include "mm/page_alloc.h"
#include "mm/memcontrol.h"
#include "mm/writeback.h"
#include "util/compiler.h"

/* global_dirtyable_memory - Linux's global_dirtyable_memory(): the free
 * pages above totalreserve_pages plus the file LRU, plus 1 so that the
 * limits are never 0 (no highmem). */
static uint64_t global_dirtyable_memory(void)
{
	uint64_t free = nr_free_pages(), reserve = calculate_totalreserve_pages();

	return free - MIN(free, reserve) + node_lru_pages(LRU_INACTIVE_FILE) +
	       node_lru_pages(LRU_ACTIVE_FILE) + 1;
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
