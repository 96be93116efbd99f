/*
 * writeback.h - dirty pages of host files and their writeback (Linux's
 * include/linux/writeback.h and mm/page-writeback.c).  A page is written
 * back to its file's copy kept by the simulation (filemap_writepage; the
 * host file is never written), synchronously: by reclaim, by the
 * flusher when the dirty pages pass the background threshold, and by
 * sync.
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

/* ksys_sync - write back every dirty host-file page (sync(2)).  Returns
 * the pages written. */
uint64_t ksys_sync(void);

/* balance_dirty_pages_ratelimited - a store dirtied a page of a shared
 * file mapping: past the background threshold the flusher is woken, to
 * run at the next wb_run_pending. */
void balance_dirty_pages_ratelimited(void);

/* wb_run_pending - the return to user mode of the task that woke the
 * flusher: the flusher writes back, 4 MiB at a time, until the dirty
 * pages are at the background threshold or below.  Deterministic, as
 * kswapd's run is. */
void wb_run_pending(void);

#endif
