/*
 * mmzone.h - zones, buddy free areas and LRU lists (Linux's
 * include/linux/mmzone.h, one node): free areas per migratetype, per-cpu
 * page lists.  One zone_type enum serves both architectures, as one kernel
 * build cannot: x86-64 leaves ZONE_HIGHMEM empty, i386 ZONE_DMA32.
 */
#ifndef MM_MMZONE_H
#define MM_MMZONE_H

#include <stdint.h>
#include "util/list.h"
#include "mm/page.h"
#include "hw/cpu.h"

#define MAX_ORDER		10	/* largest block: 2^10 frames (4 MiB) */
#define NR_PAGE_ORDERS		(MAX_ORDER + 1)

enum zone_type {
	ZONE_DMA,	/* below 16 MiB */
	ZONE_DMA32,	/* below 4 GiB (x86-64) */
	ZONE_NORMAL,
	ZONE_HIGHMEM,	/* i386: above lowmem (896 MiB); empty on x86-64 */
	ZONE_MOVABLE,	/* always empty here, listed as Linux lists it */
	MAX_NR_ZONES
};

/* Migrate types (Linux's enum migratetype, without CMA): every pageblock
 * has one, and a free block sits on the list of its pageblock's type. */
enum migratetype {
	MIGRATE_UNMOVABLE,
	MIGRATE_MOVABLE,
	MIGRATE_RECLAIMABLE,
	MIGRATE_PCPTYPES,	/* the types with per-cpu lists */
	MIGRATE_HIGHATOMIC = MIGRATE_PCPTYPES,
	MIGRATE_ISOLATE,
	MIGRATE_TYPES
};

struct free_area {
	struct list_head free_list[MIGRATE_TYPES];
	uint64_t nr_free;	/* blocks of this order, every type */
};

/*
 * per_cpu_pages - one CPU's cache of free order-0 pages of a zone (Linux's
 * struct per_cpu_pages).  Its pages are not in the zone's free count:
 * refcount 0, no flags, linked through ->lru.  Allocation takes from the
 * head, freeing adds at the head, bulk frees take from the tail.
 */
struct per_cpu_pages {
	uint64_t count;		/* pages on list */
	uint64_t high;		/* free to the buddy above this */
	uint64_t batch;		/* pages moved per refill or bulk free */
	uint64_t high_min, high_max;	/* Linux's bounds of high */
	struct list_head lists[MIGRATE_PCPTYPES];	/* by migratetype */
};

enum lru_list {
	LRU_INACTIVE_ANON,
	LRU_ACTIVE_ANON,
	LRU_INACTIVE_FILE,
	LRU_ACTIVE_FILE,
	LRU_UNEVICTABLE,
	NR_LRU_LISTS
};

enum zone_watermarks { WMARK_MIN, WMARK_LOW, WMARK_HIGH, NR_WMARK };

struct zone {
	const char *name;
	uint64_t zone_start_pfn;
	uint64_t spanned_pages;	/* zone_end_pfn - zone_start_pfn */
	uint64_t present_pages;	/* RAM frames in the span */
	uint64_t managed_pages;	/* present minus reserved at boot */
	uint64_t free_pages;	/* sum over orders of nr_free << order */
	uint64_t watermark[NR_WMARK];
	uint64_t lowmem_reserve[MAX_NR_ZONES];	/* kept free for higher-zone allocations */
	struct free_area free_area[NR_PAGE_ORDERS];
	struct per_cpu_pages pcp[HW_MAX_CPUS];	/* zone->per_cpu_pageset */
	uint64_t nr_zone_lru[NR_LRU_LISTS];	/* NR_ZONE_LRU_BASE + lru */
};

/* is_highmem_idx - Linux's is_highmem_idx(): the zone the kernel has no
 * permanent mapping of. */
static inline bool is_highmem_idx(enum zone_type z)
{
	return z == ZONE_HIGHMEM;
}

static inline uint64_t zone_end_pfn(const struct zone *z)
{
	return z->zone_start_pfn + z->spanned_pages;
}

/* promo_wmark_pages - Linux's promo_wmark_pages(): the promotion mark
 * __setup_per_zone_wmarks puts above high, by the same step as low to
 * high. */
static inline uint64_t promo_wmark_pages(const struct zone *z)
{
	return z->watermark[WMARK_HIGH] +
	       (z->watermark[WMARK_HIGH] - z->watermark[WMARK_LOW]);
}

/* lruvec - the LRU lists and what reclaim learns about them (Linux's
 * struct lruvec): the cost of reclaiming each kind (lru_note_cost), the
 * nonresident age that refault distances are measured in
 * (mm/workingset.c), and the activations from refaults seen by the last
 * reclaim (snapshot_refaults). */
struct lruvec {
	struct list_head lists[NR_LRU_LISTS];
	uint64_t nr_pages[NR_LRU_LISTS];
	uint64_t anon_cost, file_cost;
	uint64_t nonresident_age;
	uint64_t refaults[2];		/* [0] anon, [1] file */
};

static inline bool is_file_lru(enum lru_list lru)
{
	return lru == LRU_INACTIVE_FILE || lru == LRU_ACTIVE_FILE;
}

static inline bool is_active_lru(enum lru_list lru)
{
	return lru == LRU_ACTIVE_ANON || lru == LRU_ACTIVE_FILE;
}

#endif
