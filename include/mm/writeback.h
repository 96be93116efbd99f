/*
 * writeback.h - dirty-page limits (Linux's include/linux/writeback.h and
 * mm/page-writeback.c).  Nothing is written back in the simulation; the
 * limits are what /proc/vmstat reports.
 */
#ifndef MM_WRITEBACK_H
#define MM_WRITEBACK_H

#include <stdint.h>

/* Linux's defaults of vm.dirty_background_ratio and vm.dirty_ratio (per
 * cent of the dirtyable memory). */
#define DIRTY_BACKGROUND_RATIO	10
#define VM_DIRTY_RATIO		20

/*
 * global_dirty_limits - Linux's global_dirty_limits(): the background
 * and the dirty threshold in pages, the ratios applied to the dirtyable
 * memory (global_dirtyable_memory: free pages above the reserve plus the
 * file LRU, plus 1) as (ratio * PAGE_SIZE / 100) * memory / PAGE_SIZE; the
 * background threshold is half the dirty one when it would reach it.
 */
void global_dirty_limits(uint64_t *pbackground, uint64_t *pdirty);

#endif
