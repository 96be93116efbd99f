/*
 * page_alloc.h - the buddy allocator (Linux's mm/page_alloc.c): zones, free
 * lists of orders 0..MAX_ORDER, splitting (expand) and coalescing
 * (__free_one_page), watermarks from min_free_kbytes, and the LRU lists.
 */
#ifndef MM_PAGE_ALLOC_H
#define MM_PAGE_ALLOC_H

#include <stdbool.h>
#include <stdint.h>
#include "mm/mmzone.h"
#include "mm/page.h"

/* Allocation flags (a subset of Linux's gfp_types.h, same meaning). */
#define __GFP_DMA	0x01U	/* only ZONE_DMA */
#define __GFP_DMA32	0x04U	/* ZONE_DMA32 or below */
#define __GFP_MOVABLE	0x08U	/* user memory: may use every zone */
#define __GFP_ZERO	0x100U	/* return zeroed frames */
#define __GFP_NOWARN	0x200U
#define GFP_KERNEL	0x00U	/* ZONE_NORMAL and below */
#define GFP_HIGHUSER_MOVABLE	(__GFP_MOVABLE)
#define GFP_PGTABLE	(GFP_KERNEL | __GFP_ZERO)

extern struct zone zones[MAX_NR_ZONES];
extern struct lruvec lruvec;
extern uint64_t totalram_pages;		/* managed pages of every zone */
extern uint64_t min_free_kbytes;
extern uint64_t watermark_scale_factor;	/* 10, as Linux */

/* mem_map_init - reserve nr_frames zeroed descriptors (MAP_NORESERVE) in
 * mem_map and set max_pfn. 0 or -ENOMEM. */
int mem_map_init(uint64_t nr_frames);

/* mem_map_destroy - release mem_map and reset every allocator global (zones,
 * lruvec, totals) so that a new machine can boot in the same process. */
void mem_map_destroy(void);

/*
 * page_alloc_init - lay out the zones over frames [0, nr_frames) (DMA below
 * 16 MiB, DMA32 below 4 GiB, Normal above; for 32-bit paging DMA and Normal
 * only), mark [0, nr_frames) reserved except what free_reserved_area() later
 * hands over.  mem_map must already map nr_frames zeroed descriptors.
 */
void page_alloc_init(uint64_t nr_frames, bool has_dma32);

/* memblock_free_range - hand frames [start, end) to the buddy allocator at
 * boot, in the largest aligned blocks. Touches only block heads. */
void memblock_free_range(uint64_t start, uint64_t end);

/* memblock_reserve_range - mark frames [start, end) PG_reserved, refcount 1,
 * never to be allocated (firmware, kernel image). */
void memblock_reserve_range(uint64_t start, uint64_t end);

/* setup_per_zone_wmarks - compute every zone's min/low/high watermarks and
 * lowmem_reserve from min_free_kbytes (Linux's __setup_per_zone_wmarks).
 * Call after boot and after min_free_kbytes changes. */
void setup_per_zone_wmarks(void);

/* calculate_min_free_kbytes - Linux's default: sqrt(lowmem_kbytes * 16),
 * clamped to [128, 262144]. */
uint64_t calculate_min_free_kbytes(void);

/*
 * alloc_pages - allocate 2^order contiguous frames, refcount 1 on the head,
 * from the highest zone gfp allows down to DMA, skipping zones whose free
 * pages would fall below their min watermark plus lowmem reserve.  Counts
 * pgalloc_<zone>.  NULL when nothing fits (the caller reclaims or OOMs).
 */
struct page *alloc_pages(unsigned int gfp, unsigned int order);

static inline struct page *alloc_page(unsigned int gfp)
{
	return alloc_pages(gfp, 0);
}

/*
 * __free_pages - free a block allocated with alloc_pages: its refcount must
 * be 1 (or 0 from put_page), mapcount 0, not on an LRU.  Merges with free
 * buddies up to MAX_ORDER. Counts pgfree.
 */
void __free_pages(struct page *page, unsigned int order);

/* page_zone - the zone a frame belongs to. */
struct zone *page_zone(const struct page *page);
int page_zonenum(const struct page *page);

/* nr_free_pages - free frames in every zone. */
uint64_t nr_free_pages(void);

/* LRU lists (Linux's mm/swap.c, mm_inline.h). */
void lru_cache_add(struct page *page, enum lru_list lru);
void lru_del(struct page *page);
enum lru_list page_lru(const struct page *page);
/* lru_move - take page off its LRU list (if on one) and put it on lru. */
void lru_move(struct page *page, enum lru_list lru);
/* inactive_lru - the inactive list of the page's kind (anon or file). */
static inline enum lru_list inactive_lru(const struct page *page)
{
	return PageFlag(page, PG_swapbacked) ? LRU_INACTIVE_ANON :
					       LRU_INACTIVE_FILE;
}

#endif
