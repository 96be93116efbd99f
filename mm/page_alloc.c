/*
 * page_alloc.c - the buddy allocator (Linux's mm/page_alloc.c) over
 * one or more NUMA nodes, each with its zones and zonelist, with
 * migratetypes (free lists per order and type, a type per pageblock,
 * fallback by claiming or stealing), its per-cpu lists of order-0 pages,
 * and the LRU lists (Linux's mm/swap.c).
 *
 * Every frame has a descriptor in mem_map[].  A free block of 2^order frames
 * is represented by its head alone: PG_buddy, ->order, refcount 0, linked
 * through ->lru into zone->free_area[order].free_list[mt], mt being the
 * migratetype of its pageblock (Linux 6.10's free-list hygiene: a block
 * of several pageblocks has them all of one type).  Every other frame of a free
 * block has an all-zero descriptor, so the MAP_NORESERVE mem_map stays
 * untouched (and unbacked by host memory) except at block heads.
 *
 * Zone boundaries (4096 and 1M pfn) and node boundaries are multiples of
 * 2^MAX_ORDER, so a naturally aligned block never straddles two zones or
 * nodes; the node and zone of a frame are computed from its pfn and not
 * stored in the descriptor.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "hw/physmem.h"
#include "kernel/kernel.h"
#include "kernel/sched.h"
#include "kernel/time.h"
#include "mm/page_alloc.h"
#include "mm/swap.h"
#include "mm/vmalloc.h"
#include "mm/memcontrol.h"
#include "mm/replace.h"
#include "kernel/trace.h"
#include "mm/vmstat.h"
#include "util/bitops.h"
#include "util/compiler.h"

#define DMA_END_PFN	4096ULL		/* 16 MiB */
#define DMA32_END_PFN	(1ULL << 20)	/* 4 GiB */

/* pgalloc_<zone> and allocstall_<zone> are indexed by zone. */
_Static_assert(PGALLOC_MOVABLE - PGALLOC_DMA == ZONE_MOVABLE &&
	       ALLOCSTALL_MOVABLE - ALLOCSTALL_DMA == ZONE_MOVABLE,
	       "per-zone vm events follow enum zone_type");

_Static_assert(DMA_END_PFN % (1ULL << MAX_ORDER) == 0 &&
	       (MAXMEM_32 >> PAGE_SHIFT) % (1ULL << MAX_ORDER) == 0,
	       "zone boundaries must be MAX_ORDER aligned");

struct page *mem_map;
uint64_t max_pfn;
struct pglist_data node_data[MAX_NUMNODES];
struct zone *const zones = node_data[0].node_zones;
int nr_online_nodes = 1;
uint64_t node_span_pfns;
uint64_t totalram_pages;
uint64_t min_free_kbytes;
uint64_t watermark_scale_factor = 10;
unsigned int percpu_pagelist_high_fraction;

/* The migratetype of every pageblock (Linux's pageblock_flags bitmap),
 * and the pageblock order of the machine (Linux's pageblock_order). */
static uint8_t *pageblock_mt;
static uint64_t nr_pageblocks;
static unsigned int pb_order = 9;
static bool mobility_disabled;	/* page_group_by_mobility_disabled */

/* Linux's fallbacks[]: the types an allocation may take free blocks
 * from, in order, when its own lists are empty. */
static const int fallbacks[MIGRATE_PCPTYPES][MIGRATE_PCPTYPES - 1] = {
	[MIGRATE_UNMOVABLE] = { MIGRATE_RECLAIMABLE, MIGRATE_MOVABLE },
	[MIGRATE_MOVABLE] = { MIGRATE_RECLAIMABLE, MIGRATE_UNMOVABLE },
	[MIGRATE_RECLAIMABLE] = { MIGRATE_UNMOVABLE, MIGRATE_MOVABLE },
};

/* Linux's boot pageset: every order-0 free goes straight to the buddy. */
#define BOOT_PAGESET_HIGH	0
#define BOOT_PAGESET_BATCH	1

static size_t mem_map_bytes;
uint64_t dma32_start_pfn = DMA_END_PFN;
uint64_t normal_start_pfn = DMA32_END_PFN;
uint64_t highmem_start_pfn = UINT64_MAX;

static const char *const zone_names[MAX_NR_ZONES] = {
	[ZONE_DMA] = "DMA",
	[ZONE_DMA32] = "DMA32",
	[ZONE_NORMAL] = "Normal",
	[ZONE_HIGHMEM] = "HighMem",
	[ZONE_MOVABLE] = "Movable",
};

/* Linux's sysctl_lowmem_reserve_ratio defaults (0: no reserve). */
static const uint64_t lowmem_reserve_ratio[MAX_NR_ZONES] = {
	[ZONE_DMA] = 256,
	[ZONE_DMA32] = 256,
	[ZONE_NORMAL] = 32,
	[ZONE_HIGHMEM] = 0,
	[ZONE_MOVABLE] = 0,
};

#define PAGE_FREE_BAD_FLAGS \
	((1U << PG_reserved) | (1U << PG_buddy) | (1U << PG_lru))

/* ---------------------------------------------------------------------- */
/* Globals                                                                */
/* ---------------------------------------------------------------------- */

/*
 * per_cpu_pages_init - an empty pcp list with Linux's boot pageset (high
 * 0, batch 1: a pass-through) until zone_pcp_update sizes it (Linux's
 * per_cpu_pages_init).
 */
static void per_cpu_pages_init(struct per_cpu_pages *pcp)
{
	memset(pcp, 0, sizeof(*pcp));
	for (int t = 0; t < MIGRATE_PCPTYPES; t++)
		INIT_LIST_HEAD(&pcp->lists[t]);
	pcp->high = BOOT_PAGESET_HIGH;
	pcp->batch = BOOT_PAGESET_BATCH;
}

/*
 * reset_allocator_state - zero every zone and the groups, give the zones
 * their names and empty free/LRU/pcp lists, zero the totals.  mem_map
 * untouched.
 */
static void reset_allocator_state(void)
{
	memset(node_data, 0, sizeof(node_data));
	nr_online_nodes = 1;
	node_span_pfns = 0;
	for (int nid = 0; nid < MAX_NUMNODES; nid++) {
		node_data[nid].node_id = nid;
		for (int z = 0; z < MAX_NR_ZONES; z++) {
			struct zone *zone = &node_data[nid].node_zones[z];

			zone->name = zone_names[z];
			zone->node = nid;
			for (int o = 0; o < NR_PAGE_ORDERS; o++)
				for (int t = 0; t < MIGRATE_TYPES; t++)
					INIT_LIST_HEAD(&zone->free_area[o].free_list[t]);
			for (int c = 0; c < HW_MAX_CPUS; c++)
				per_cpu_pages_init(&zone->pcp[c]);
		}
	}
	percpu_pagelist_high_fraction = 0;
	free(pageblock_mt);
	pageblock_mt = NULL;
	nr_pageblocks = 0;
	pb_order = 9;
	mobility_disabled = false;
	mem_cgroup_reset();
	totalram_pages = 0;
	min_free_kbytes = 0;
	watermark_scale_factor = 10;
	dma32_start_pfn = DMA_END_PFN;
	normal_start_pfn = DMA32_END_PFN;
	highmem_start_pfn = UINT64_MAX;
}

/*
 * mem_map_init - map nr_frames zeroed descriptors with MAP_NORESERVE (host
 * memory is only used for descriptors that get written) and set max_pfn.
 * mem_map must not be mapped already.  Returns 0, -EINVAL for 0 frames or
 * -ENOMEM.
 */
int mem_map_init(uint64_t nr_frames)
{
	void *p;

	BUG_ON(mem_map != NULL);
	if (nr_frames == 0)
		return -EINVAL;
	if (nr_frames > SIZE_MAX / sizeof(struct page))
		return -ENOMEM;
	mem_map_bytes = nr_frames * sizeof(struct page);
	p = mmap(NULL, mem_map_bytes, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED) {
		mem_map_bytes = 0;
		return -ENOMEM;
	}
	/* Block heads are 64 KiB apart: a huge page would back 2 MiB per head. */
	(void)madvise(p, mem_map_bytes, MADV_NOHUGEPAGE);
	mem_map = p;
	max_pfn = nr_frames;
	return 0;
}

/*
 * mem_map_destroy - unmap mem_map (if mapped) and reset every allocator
 * global so that another machine can boot in this process.
 */
void mem_map_destroy(void)
{
	if (mem_map)
		munmap(mem_map, mem_map_bytes);
	mem_map = NULL;
	mem_map_bytes = 0;
	max_pfn = 0;
	reset_allocator_state();
}

/* ---------------------------------------------------------------------- */
/* Zones                                                                  */
/* ---------------------------------------------------------------------- */

/*
 * zone_span - make zone z of pgdat cover pfns [start, end) clipped to the
 * node's span; an empty intersection leaves the zone empty (start 0,
 * spanned 0).  Every frame of the span is RAM, so present == spanned.
 */
static void zone_span(struct pglist_data *pgdat, enum zone_type z,
		      uint64_t start, uint64_t end)
{
	struct zone *zone = &pgdat->node_zones[z];

	start = MAX(start, pgdat->node_start_pfn);
	end = MIN(end, pgdat->node_start_pfn + pgdat->node_spanned_pages);
	if (start >= end)
		return;
	zone->zone_start_pfn = start;
	zone->spanned_pages = end - start;
	zone->present_pages = end - start;
}

/* cpu_to_node - see page_alloc.h. */
int cpu_to_node(int cpu)
{
	int cpus = nr_pcp_cpus();

	if (nr_online_nodes == 1)
		return 0;
	if (cpus < nr_online_nodes)
		return cpu;
	return (int)((int64_t)cpu * nr_online_nodes / cpus);
}

/* __numa_node_id - numa_node_id with several nodes. */
int __numa_node_id(void)
{
	unsigned int cpu = (unsigned int)this_cpu;

	return cpu < (unsigned int)nr_pcp_cpus() ? cpu_to_node((int)cpu) : 0;
}

/* node_distance - see page_alloc.h. */
int node_distance(int from, int to)
{
	return from == to ? 10 : 20;
}

/* node_has_cpus - does any CPU sit on node nid? */
static bool node_has_cpus(int nid)
{
	for (int c = 0; c < nr_pcp_cpus(); c++)
		if (cpu_to_node(c) == nid)
			return true;
	return false;
}

/*
 * find_next_best_node - the unused node nearest to node (Linux's
 * find_next_best_node): node itself first; else by distance, a lower id
 * than node's one step worse (ids after node come first), a node with
 * CPUs worse than a memory-only one, then by node_load (spreading the
 * nodes that open a new distance), ties to the lowest id.  -1 when every
 * node is used.
 */
static int find_next_best_node(int node, bool used[MAX_NUMNODES],
			       int node_load[MAX_NUMNODES])
{
	int best = -1, min_val = INT32_MAX;

	if (!used[node]) {
		used[node] = true;
		return node;
	}
	for (int n = 0; n < nr_online_nodes; n++) {
		int val;

		if (used[n])
			continue;
		val = node_distance(node, n) + (n < node);
		if (node_has_cpus(n))
			val += 1;	/* PENALTY_FOR_NODE_WITH_CPUS */
		val = val * MAX_NUMNODES + node_load[n];
		if (val < min_val) {
			min_val = val;
			best = n;
		}
	}
	if (best >= 0)
		used[best] = true;
	return best;
}

/*
 * build_zonelists - the zonelist of pgdat in node order (Linux's
 * build_zonelists and build_zonelists_in_node_order): the nodes by
 * find_next_best_node from pgdat's own, each contributing its populated
 * zones from the highest down.
 */
static void build_zonelists(struct pglist_data *pgdat,
			    int node_load[MAX_NUMNODES])
{
	bool used[MAX_NUMNODES] = { false };
	struct zoneref *zref = pgdat->node_zonelist._zonerefs;
	int local = pgdat->node_id, prev = local, node;

	while ((node = find_next_best_node(local, used, node_load)) >= 0) {
		if (node_distance(local, node) != node_distance(local, prev))
			node_load[node]++;
		prev = node;
		for (int z = MAX_NR_ZONES - 1; z >= 0; z--) {
			struct zone *zone = &NODE_DATA(node)->node_zones[z];

			if (!zone->present_pages)
				continue;
			zref->zone = zone;
			zref->zone_idx = z;
			zref++;
		}
	}
	zref->zone = NULL;
	zref->zone_idx = 0;
}

/* build_all_zonelists - every online node's zonelist (Linux's
 * __build_all_zonelists: node_load shared by the whole build). */
static void build_all_zonelists(void)
{
	int node_load[MAX_NUMNODES] = { 0 };
	int nid;

	for_each_online_node(nid)
		build_zonelists(NODE_DATA(nid), node_load);
}

/* page_alloc_init - see page_alloc.h: one node. */
void page_alloc_init(uint64_t nr_frames, bool has_dma32)
{
	page_alloc_init_nodes(nr_frames, has_dma32, 1);
}

/*
 * page_alloc_init_nodes - lay out the nodes and their zones over
 * [0, nr_frames) and empty every free list.  Descriptors are not touched:
 * every frame stays (conceptually) reserved until memblock_free_range()
 * hands it over.  mem_map must map at least nr_frames descriptors.
 */
void page_alloc_init_nodes(uint64_t nr_frames, bool has_dma32, int nr_nodes)
{
	int nid;

	BUG_ON(mem_map == NULL || nr_frames > max_pfn);
	BUG_ON(nr_nodes < 1 || nr_nodes > MAX_NUMNODES);
	BUG_ON(nr_nodes > 1 && nr_frames < (uint64_t)nr_nodes * NODE_MIN_PAGES);
	reset_allocator_state();
	/* HPAGE_PMD_ORDER: 9 with 4-level paging, 10 (4 MiB) for i386
	 * without PAE; at most MAX_ORDER (Linux: MIN(HUGETLB_PAGE_ORDER,
	 * MAX_PAGE_ORDER)). */
	pb_order = MIN(has_dma32 ? 9U : 10U, (unsigned int)MAX_ORDER);
	nr_pageblocks = (nr_frames + (1ULL << pb_order) - 1) >> pb_order;
	pageblock_mt = malloc(nr_pageblocks);
	BUG_ON(!pageblock_mt);
	/* memmap_init: every pageblock starts MOVABLE. */
	memset(pageblock_mt, MIGRATE_MOVABLE, nr_pageblocks);
	dma32_start_pfn = DMA_END_PFN;
	normal_start_pfn = has_dma32 ? DMA32_END_PFN : DMA_END_PFN;
	/* i386: lowmem ends at MAXMEM, Linux's max_low_pfn
	 * (find_low_pfn_range); the rest is highmem. */
	highmem_start_pfn = has_dma32 ? UINT64_MAX : MAXMEM_32 >> PAGE_SHIFT;
	nr_online_nodes = nr_nodes;
	node_span_pfns = (nr_frames / (uint64_t)nr_nodes) >> MAX_ORDER << MAX_ORDER;
	for_each_online_node(nid) {
		struct pglist_data *pgdat = NODE_DATA(nid);
		uint64_t start = (uint64_t)nid * node_span_pfns;
		uint64_t end = nid + 1 < nr_nodes ? start + node_span_pfns :
						    nr_frames;

		pgdat->node_start_pfn = start;
		pgdat->node_spanned_pages = end - start;
		pgdat->node_present_pages = end - start;
		zone_span(pgdat, ZONE_DMA, 0, dma32_start_pfn);
		zone_span(pgdat, ZONE_DMA32, dma32_start_pfn, normal_start_pfn);
		zone_span(pgdat, ZONE_NORMAL, normal_start_pfn,
			  highmem_start_pfn);
		zone_span(pgdat, ZONE_HIGHMEM, highmem_start_pfn, UINT64_MAX);
		/* ZONE_MOVABLE stays empty, as without movablecore= on
		 * Linux. */
	}
	build_all_zonelists();
}

/* nr_free_pages - the free frames of every zone. */
uint64_t nr_free_pages(void)
{
	struct zone *z;
	uint64_t sum = 0;

	for_each_zone(z)
		sum += z->free_pages;
	return sum;
}

/* node_free_pages - see page_alloc.h. */
uint64_t node_free_pages(int nid)
{
	uint64_t sum = 0;

	for (int z = 0; z < MAX_NR_ZONES; z++)
		sum += NODE_DATA(nid)->node_zones[z].free_pages;
	return sum;
}

/* node_numa_event_state - see page_alloc.h. */
uint64_t node_numa_event_state(int nid, enum numa_stat_item i)
{
	uint64_t sum = 0;

	for (int z = 0; z < MAX_NR_ZONES; z++)
		sum += NODE_DATA(nid)->node_zones[z].vm_numa_event[i];
	return sum;
}

/* sum_numa_event - see page_alloc.h. */
uint64_t sum_numa_event(enum numa_stat_item i)
{
	uint64_t sum = 0;
	int nid;

	for_each_online_node(nid)
		sum += node_numa_event_state(nid, i);
	return sum;
}

/* ---------------------------------------------------------------------- */
/* Pageblocks                                                             */
/* ---------------------------------------------------------------------- */

/* pfnblock_mt - the type of pfn's pageblock, for the allocator's own
 * paths (pfn in RAM: descriptors exist only there). */
static inline int pfnblock_mt(uint64_t pfn)
{
	return pageblock_mt[pfn >> pb_order];
}

/* get_pageblock_migratetype - see page_alloc.h. */
int get_pageblock_migratetype(uint64_t pfn)
{
	BUG_ON((pfn >> pb_order) >= nr_pageblocks);
	return pfnblock_mt(pfn);
}

/*
 * set_pageblock_migratetype - give the pageblock of pfn type mt (Linux's
 * set_pageblock_migratetype: with mobility grouping off, every
 * pcp type is recorded as UNMOVABLE).
 */
static void set_pageblock_migratetype(uint64_t pfn, int mt)
{
	BUG_ON((pfn >> pb_order) >= nr_pageblocks || mt >= MIGRATE_TYPES);
	if (mobility_disabled && mt < MIGRATE_PCPTYPES)
		mt = MIGRATE_UNMOVABLE;
	pageblock_mt[pfn >> pb_order] = (uint8_t)mt;
}

/*
 * change_pageblock_range - give type mt to every pageblock of the block
 * [pfn, pfn + 2^order), order >= pageblock_order (Linux's
 * change_pageblock_range).
 */
static void change_pageblock_range(uint64_t pfn, unsigned int order, int mt)
{
	for (uint64_t i = 0; i < (1ULL << order); i += 1ULL << pb_order)
		set_pageblock_migratetype(pfn + i, mt);
}

/* migratetype_is_mergeable - Linux's: free blocks of two pageblocks of
 * these types may merge (both pcp types). */
static inline bool migratetype_is_mergeable(int mt)
{
	return mt < MIGRATE_PCPTYPES;
}

/* ---------------------------------------------------------------------- */
/* Free lists                                                             */
/* ---------------------------------------------------------------------- */

/*
 * add_to_free_list - make page the head of a free block of 2^order frames
 * and link it at the head of its free list of type mt (at the tail when tail is true,
 * so boot-time blocks are handed out in address order).
 * The descriptor must be clean: no flags, refcount 0, mapcount 0.
 */
static inline void add_to_free_list(struct page *page, struct zone *zone,
				    unsigned int order, int mt, bool tail)
{
	struct free_area *area = &zone->free_area[order];

	page->flags = 1U << PG_buddy;
	page->order = order;
	if (tail)
		list_add_tail(&page->lru, &area->free_list[mt]);
	else
		list_add(&page->lru, &area->free_list[mt]);
	area->nr_free++;
	zone->free_pages += 1ULL << order;
}

/*
 * del_from_free_list - unlink the free block headed by page (of the given
 * order) from its free list; the head is left with PG_buddy cleared and
 * ->lru self-linked.
 */
static inline void del_from_free_list(struct page *page, struct zone *zone,
				      unsigned int order)
{
	struct free_area *area = &zone->free_area[order];

	list_del(&page->lru);
	page->flags = 0;
	page->order = 0;
	area->nr_free--;
	zone->free_pages -= 1ULL << order;
}

/*
 * move_to_free_list - move the free block headed by page from its list to
 * the tail of the list of type mt, same order (Linux's move_to_free_list).
 */
static inline void move_to_free_list(struct page *page, struct zone *zone,
				     unsigned int order, int mt)
{
	list_del(&page->lru);
	list_add_tail(&page->lru, &zone->free_area[order].free_list[mt]);
}

/*
 * page_is_buddy - true if page heads a free block of exactly this order
 * (Linux's page_is_buddy; the caller has checked that it is in the zone).
 */
static inline bool page_is_buddy(const struct page *page, unsigned int order)
{
	return PageBuddy(page) && page->order == order;
}

/*
 * buddy_merge_likely - true if the free block [pfn, pfn + 2^order), which
 * could not merge with its buddy, would merge one order up as soon as that
 * buddy is freed: the buddy of the pair's combined block is itself a free
 * block of order + 1 in zone (Linux's buddy_merge_likely).  Such a block
 * goes to the tail of its list, so that it is handed out last and the
 * pair has time to merge.
 */
static inline bool buddy_merge_likely(const struct zone *zone, uint64_t pfn,
				      unsigned int order)
{
	uint64_t higher = pfn & ~(1ULL << order);
	uint64_t higher_buddy = higher ^ (1ULL << (order + 1));

	if (order >= MAX_ORDER - 1 || higher_buddy < zone->zone_start_pfn ||
	    higher_buddy >= zone_end_pfn(zone))
		return false;
	return page_is_buddy(&mem_map[higher_buddy], order + 1);
}

/*
 * __free_one_page - put the free block [pfn, pfn + 2^order) of zone back on
 * the lists of type mt (its pageblock's), merging it with its buddy pfn ^
 * 2^order while that buddy is a free block of the same order inside the
 * zone, up to MAX_ORDER.  From pageblock_order up, a buddy of another
 * pageblock type merges only if both types are mergeable, and takes type
 * mt.  The block goes to the tail of its list when to_tail (Linux's
 * FPI_TO_TAIL) or when buddy_merge_likely, else to the head (Linux's
 * __free_one_page).  Heads that stop being heads get all-zero
 * descriptors.  The block's own head descriptor must be clean (flags 0,
 * counts 0).
 */
static void __free_one_page(struct zone *zone, uint64_t pfn,
			    unsigned int order, int mt, bool to_tail)
{
	uint64_t zstart = zone->zone_start_pfn;
	uint64_t zend = zone_end_pfn(zone);

	while (order < MAX_ORDER) {
		uint64_t buddy_pfn = pfn ^ (1ULL << order);
		struct page *buddy;
		int buddy_mt = mt;

		if (buddy_pfn < zstart || buddy_pfn >= zend)
			break;
		buddy = &mem_map[buddy_pfn];
		if (!page_is_buddy(buddy, order))
			break;
		if (order >= pb_order) {
			buddy_mt = get_pageblock_migratetype(buddy_pfn);
			if (buddy_mt != mt &&
			    (!migratetype_is_mergeable(mt) ||
			     !migratetype_is_mergeable(buddy_mt)))
				break;
		}
		del_from_free_list(buddy, zone, order);
		if (buddy_mt != mt)
			change_pageblock_range(buddy_pfn, order, mt);
		/* The higher of the two becomes a tail frame. */
		memset(&mem_map[pfn | buddy_pfn], 0, sizeof(struct page));
		pfn &= buddy_pfn;
		order++;
	}
	add_to_free_list(&mem_map[pfn], zone, order, mt,
			 to_tail || buddy_merge_likely(zone, pfn, order));
}

/*
 * expand - the block at page (2^high frames, already off its list) is cut
 * down to its first 2^low frames; the upper halves go back to the free
 * lists of type mt, orders high-1 .. low (Linux's expand()).
 */
static inline void expand(struct zone *zone, struct page *page,
			  unsigned int low, unsigned int high, int mt)
{
	uint64_t size = 1ULL << high;

	while (high > low) {
		high--;
		size >>= 1;
		add_to_free_list(&page[size], zone, high, mt, false);
	}
}

/*
 * rmqueue_smallest - take the smallest free block of order >= order from
 * zone's lists of type mt and split it down to 2^order frames (Linux's
 * __rmqueue_smallest).  Returns the head, off every list, or NULL.
 */
static inline struct page *rmqueue_smallest(struct zone *zone,
					    unsigned int order, int mt)
{
	for (unsigned int o = order; o <= MAX_ORDER; o++) {
		struct list_head *list = &zone->free_area[o].free_list[mt];
		struct page *page;

		if (list_empty(list))
			continue;
		page = list_first_entry(list, struct page, lru);
		del_from_free_list(page, zone, o);
		expand(zone, page, order, o, mt);
		return page;
	}
	return NULL;
}

/*
 * should_try_claim_block - may an allocation of type start_mt that falls
 * back to a block of this order take its whole pageblock (Linux's
 * should_try_claim_block, formerly can_steal_fallback): a block of half a
 * pageblock or more, or an unmovable or reclaimable allocation (they
 * fragment most), or mobility grouping off.
 */
static inline bool should_try_claim_block(unsigned int order, int start_mt)
{
	return order >= pb_order / 2 || start_mt == MIGRATE_RECLAIMABLE ||
	       start_mt == MIGRATE_UNMOVABLE || mobility_disabled;
}

/*
 * find_suitable_fallback - the first type of fallbacks[mt] with a free
 * block of this order in area, or -1 (Linux's find_suitable_fallback).
 */
static int find_suitable_fallback(const struct free_area *area, int mt)
{
	if (!area->nr_free)
		return -1;
	for (int i = 0; i < MIGRATE_PCPTYPES - 1; i++)
		if (!list_empty(&area->free_list[fallbacks[mt][i]]))
			return fallbacks[mt][i];
	return -1;
}

/*
 * prep_move_freepages_block - the pageblock of pfn: false if it is not
 * all in zone; else its first pfn, its free pages (in buddy blocks) and
 * its movable pages in use (on an LRU) (Linux's
 * prep_move_freepages_block).
 */
static bool prep_move_freepages_block(const struct zone *zone, uint64_t pfn,
				      uint64_t *start, uint64_t *nr_free,
				      uint64_t *nr_movable)
{
	uint64_t p, end;

	*start = pfn & ~((1ULL << pb_order) - 1);
	end = *start + (1ULL << pb_order);
	*nr_free = *nr_movable = 0;
	if (*start < zone->zone_start_pfn || end > zone_end_pfn(zone))
		return false;
	for (p = *start; p < end;) {
		const struct page *page = &mem_map[p];

		if (PageBuddy(page)) {
			*nr_free += 1ULL << page->order;
			p += 1ULL << page->order;
			continue;
		}
		if (PageLRU(page))
			(*nr_movable)++;
		p++;
	}
	return true;
}

/*
 * move_freepages_block - move every free block of the pageblock at start
 * from the lists of type old_mt to those of new_mt (Linux's
 * __move_freepages_block).  Blocks of a pageblock are smaller than it.
 */
static void move_freepages_block(struct zone *zone, uint64_t start,
				 int old_mt, int new_mt)
{
	uint64_t p = start, end = start + (1ULL << pb_order);

	while (p < end) {
		struct page *page = &mem_map[p];

		if (!PageBuddy(page)) {
			p++;
			continue;
		}
		BUG_ON(page->order >= pb_order ||
		       page->lru.prev == NULL || old_mt == new_mt);
		move_to_free_list(page, zone, page->order, new_mt);
		p += 1ULL << page->order;
	}
}

/*
 * try_to_claim_block - an allocation of 2^order frames of type start_mt
 * found the free block page (2^cur frames) on the lists of block_mt.  A
 * block of a pageblock or more becomes start_mt's whole, split, and gives
 * the allocation; a smaller one claims its pageblock (every free block of
 * it moves to start_mt's lists) when at least half the pageblock is free
 * or of a compatible kind, then the allocation is had from start_mt's
 * lists.  NULL when the pageblock is not claimed (Linux's
 * try_to_claim_block, formerly steal_suitable_fallback).
 */
static struct page *try_to_claim_block(struct zone *zone, struct page *page,
				       unsigned int cur, unsigned int order,
				       int start_mt, int block_mt)
{
	uint64_t start, nr_free, nr_movable, alike;

	if (cur >= pb_order) {
		del_from_free_list(page, zone, cur);
		change_pageblock_range(page_to_pfn(page), cur, start_mt);
		expand(zone, page, order, cur, start_mt);
		return page;
	}
	if (!prep_move_freepages_block(zone, page_to_pfn(page), &start,
				       &nr_free, &nr_movable))
		return NULL;
	if (start_mt == MIGRATE_MOVABLE)
		alike = nr_movable;
	else if (block_mt == MIGRATE_MOVABLE)
		alike = (1ULL << pb_order) - (nr_free + nr_movable);
	else
		alike = 0;
	if (nr_free + alike < (1ULL << (pb_order - 1)) && !mobility_disabled)
		return NULL;
	move_freepages_block(zone, start, block_mt, start_mt);
	set_pageblock_migratetype(start, start_mt);
	return rmqueue_smallest(zone, order, start_mt);
}

/*
 * rmqueue_claim - fall back by claiming a pageblock: the largest free
 * block of a fallback type, down to the orders that may still claim
 * (Linux's __rmqueue_claim; without ALLOC_NOFRAGMENT).  NULL if none.
 */
static struct page *rmqueue_claim(struct zone *zone, unsigned int order,
				  int start_mt)
{
	for (int cur = MAX_ORDER; cur >= (int)order; cur--) {
		struct free_area *area = &zone->free_area[cur];
		int mt = find_suitable_fallback(area, start_mt);
		struct page *page;

		if (mt < 0)
			continue;
		if (!should_try_claim_block((unsigned int)cur, start_mt))
			break;
		page = list_first_entry(&area->free_list[mt], struct page, lru);
		page = try_to_claim_block(zone, page, (unsigned int)cur, order,
					  start_mt, mt);
		if (page)
			return page;
	}
	return NULL;
}

/*
 * rmqueue_steal - fall back without claiming: the smallest free block of
 * a fallback type, split on its own type's lists (Linux's
 * __rmqueue_steal).  NULL if none.
 */
static struct page *rmqueue_steal(struct zone *zone, unsigned int order,
				  int start_mt)
{
	for (unsigned int cur = order; cur <= MAX_ORDER; cur++) {
		struct free_area *area = &zone->free_area[cur];
		int mt = find_suitable_fallback(area, start_mt);
		struct page *page;

		if (mt < 0)
			continue;
		page = list_first_entry(&area->free_list[mt], struct page, lru);
		del_from_free_list(page, zone, cur);
		expand(zone, page, order, cur, mt);
		return page;
	}
	return NULL;
}

/*
 * __rmqueue - a block of 2^order frames for type mt: from mt's lists,
 * else by claiming a pageblock of a fallback type, else by stealing one
 * block of it (Linux's __rmqueue).  Off every list, or NULL.
 */
static struct page *__rmqueue(struct zone *zone, unsigned int order, int mt)
{
	struct page *page = rmqueue_smallest(zone, order, mt);

	if (likely(page))
		return page;
	page = rmqueue_claim(zone, order, mt);
	if (page)
		return page;
	return rmqueue_steal(zone, order, mt);
}

/* ---------------------------------------------------------------------- */
/* Boot                                                                   */
/* ---------------------------------------------------------------------- */

/*
 * memblock_reserve_range - mark frames [start, end) PG_reserved with
 * refcount 1 so that they are never allocated.  The frames must not be
 * free (in a buddy block) and must lie in RAM.  Touches every descriptor of
 * the range, so the range should be small.
 */
void memblock_reserve_range(uint64_t start, uint64_t end)
{
	BUG_ON(start > end || end > max_pfn);
	for (uint64_t pfn = start; pfn < end; pfn++) {
		struct page *page = &mem_map[pfn];

		BUG_ON(PageBuddy(page));
		SetPageFlag(page, PG_reserved);
		page->refcount = 1;
	}
}

/*
 * boot_block_order - the order of the largest block that starts at pfn,
 * is naturally aligned, is at most MAX_ORDER and ends at or before end.
 * pfn < end.
 */
static unsigned int boot_block_order(uint64_t pfn, uint64_t end)
{
	unsigned int order = MAX_ORDER;

	if (pfn)
		order = MIN(order, (unsigned int)__builtin_ctzll(pfn));
	while ((1ULL << order) > end - pfn)
		order--;
	return order;
}

/*
 * memblock_free_range - hand frames [start, end) to the buddy allocator in
 * the largest naturally aligned blocks that fit (never across a zone end),
 * merging with blocks freed earlier.  Only block heads (and the heads of
 * buddies checked for merging) are touched.  The frames must be in RAM, in
 * the never-used state (all-zero descriptors: not reserved, not free).
 * Adds to managed_pages, free_pages and totalram_pages.
 */
void memblock_free_range(uint64_t start, uint64_t end)
{
	BUG_ON(start > end || end > max_pfn);
	while (start < end) {
		struct page *page = &mem_map[start];
		struct zone *zone = page_zone(page);
		uint64_t stop = MIN(end, zone_end_pfn(zone));
		unsigned int order = boot_block_order(start, stop);

		BUG_ON(page->flags || page->refcount || page->mapcount);
		__free_one_page(zone, start, order,
				get_pageblock_migratetype(start), true);
		zone->managed_pages += 1ULL << order;
		totalram_pages += 1ULL << order;
		start += 1ULL << order;
	}
}

/* ---------------------------------------------------------------------- */
/* Watermarks                                                             */
/* ---------------------------------------------------------------------- */

/* int_sqrt64 - floor(sqrt(x)), by the binary digit-by-digit method. */
static uint64_t int_sqrt64(uint64_t x)
{
	uint64_t res = 0, bit = 1ULL << 62;

	while (bit > x)
		bit >>= 2;
	while (bit) {
		if (x >= res + bit) {
			x -= res + bit;
			res = (res >> 1) + bit;
		} else {
			res >>= 1;
		}
		bit >>= 2;
	}
	return res;
}

/* lowmem_managed_pages - managed pages of every zone but ZONE_HIGHMEM and
 * ZONE_MOVABLE (Linux's lowmem_pages in __setup_per_zone_wmarks). */
static uint64_t lowmem_managed_pages(void)
{
	struct zone *z;
	uint64_t sum = 0;

	for_each_zone(z)
		if (!is_highmem_idx(zone_idx(z)) && zone_idx(z) != ZONE_MOVABLE)
			sum += z->managed_pages;
	return sum;
}

/*
 * calculate_min_free_kbytes - set min_free_kbytes to Linux's default,
 * int_sqrt(lowmem_kbytes * 16) clamped to [128, 262144], lowmem_kbytes
 * being the managed memory in KiB.  Returns the new value.
 */
uint64_t calculate_min_free_kbytes(void)
{
	uint64_t lowmem_kbytes = lowmem_managed_pages() << (PAGE_SHIFT - 10);
	uint64_t v = int_sqrt64(lowmem_kbytes * 16);

	min_free_kbytes = MIN(MAX(v, 128), 262144);
	return min_free_kbytes;
}

/*
 * setup_per_zone_lowmem_reserve - for zones i < j of one node,
 * lowmem_reserve[j] is the managed pages of the node's zones i+1..j over
 * zone i's lowmem_reserve_ratio; 0 when j <= i, when the ratio is 0 or
 * when zone i manages nothing (Linux's setup_per_zone_lowmem_reserve).
 */
static void setup_per_zone_lowmem_reserve(void)
{
	struct zone *zone;

	for_each_zone(zone) {
		struct zone *node_zones = NODE_DATA(zone->node)->node_zones;
		int i = zone_idx(zone);
		bool clear = !lowmem_reserve_ratio[i] || !zone->managed_pages;
		uint64_t upper = 0;

		for (int j = 0; j <= i; j++)
			zone->lowmem_reserve[j] = 0;
		for (int j = i + 1; j < MAX_NR_ZONES; j++) {
			upper += node_zones[j].managed_pages;
			zone->lowmem_reserve[j] =
				clear ? 0 : upper / lowmem_reserve_ratio[i];
		}
	}
}

/*
 * setup_per_zone_wmarks - the min/low/high watermarks of every zone from
 * min_free_kbytes and watermark_scale_factor, then lowmem_reserve (Linux's
 * __setup_per_zone_wmarks): min is the zone's share of min_free_kbytes
 * (highmem and ZONE_MOVABLE: managed/1024 clamped to [32, 128], a small
 * reserve since kernel allocations never use them); low = min + delta,
 * high = low + delta with delta = max(share/4, managed * factor / 10000).
 */
void setup_per_zone_wmarks(void)
{
	uint64_t pages_min = min_free_kbytes >> (PAGE_SHIFT - 10);
	uint64_t lowmem = lowmem_managed_pages();
	struct zone *zone;

	for_each_zone(zone) {
		uint64_t managed = zone->managed_pages;
		uint64_t share = lowmem ? pages_min * managed / lowmem : 0;
		uint64_t delta;

		if (is_highmem_idx(zone_idx(zone)) ||
		    zone_idx(zone) == ZONE_MOVABLE)
			zone->watermark[WMARK_MIN] = MIN(MAX(managed / 1024, 32), 128);
		else
			zone->watermark[WMARK_MIN] = share;
		delta = MAX(share >> 2,
			    managed * watermark_scale_factor / 10000);
		zone->watermark[WMARK_LOW] = zone->watermark[WMARK_MIN] + delta;
		zone->watermark[WMARK_HIGH] = zone->watermark[WMARK_LOW] + delta;
	}
	setup_per_zone_lowmem_reserve();
	/* build_all_zonelists: mobility grouping is off below a pageblock
	 * per migratetype. */
	mobility_disabled = totalram_pages < ((uint64_t)MIGRATE_TYPES << pb_order);
	/* As Linux: new watermarks, new pcp high limits. */
	for_each_zone(zone)
		zone_pcp_update(zone);
}

/* ---------------------------------------------------------------------- */
/* Figures derived from the zones (meminfo, vmstat, zoneinfo, frames)     */
/* ---------------------------------------------------------------------- */

/* calculate_totalreserve_pages - see page_alloc.h. */
uint64_t calculate_totalreserve_pages(void)
{
	uint64_t total = 0;
	struct zone *z;

	for_each_zone(z) {
		uint64_t max = 0;

		for (int j = zone_idx(z); j < MAX_NR_ZONES; j++)
			max = MAX(max, z->lowmem_reserve[j]);
		max += z->watermark[WMARK_HIGH];
		total += MIN(max, z->managed_pages);
	}
	return total;
}

/* pageblock_order - see page_alloc.h. */
unsigned int pageblock_order(void)
{
	return pb_order;
}

/* zone_free_blocks_of_type - see page_alloc.h. */
uint64_t zone_free_blocks_of_type(const struct zone *z, unsigned int order,
				  int mt, uint64_t cap)
{
	const struct list_head *l;
	uint64_t n = 0;

	list_for_each(l, &z->free_area[order].free_list[mt])
		if (++n >= cap)
			break;
	return n;
}

/* zone_pageblock_counts - see page_alloc.h. */
void zone_pageblock_counts(const struct zone *z, uint64_t counts[MIGRATE_TYPES])
{
	memset(counts, 0, MIGRATE_TYPES * sizeof(counts[0]));
	for (uint64_t pfn = z->zone_start_pfn; pfn < zone_end_pfn(z);
	     pfn += 1ULL << pb_order)
		counts[get_pageblock_migratetype(pfn)]++;
}

/* zone_free_pages_blocks - see page_alloc.h. */
uint64_t zone_free_pages_blocks(const struct zone *z)
{
	uint64_t sum = 0;

	for (unsigned int o = pageblock_order(); o <= MAX_ORDER; o++)
		sum += z->free_area[o].nr_free << o;
	return sum;
}

/* zone_batchsize - see page_alloc.h. */
uint64_t zone_batchsize(const struct zone *z)
{
	uint64_t batch = MIN(z->managed_pages >> 10, 256) / 4;

	if (batch < 1)
		batch = 1;
	batch = batch + batch / 2;
	batch = (1ULL << (fls64(batch) - 1)) - 1;
	return MAX(batch, 1);
}

/* zone_highsize - see page_alloc.h. */
uint64_t zone_highsize(const struct zone *z, uint64_t batch,
		       unsigned int high_fraction)
{
	uint64_t total = high_fraction ? z->managed_pages / high_fraction :
					 z->watermark[WMARK_LOW];

	return MAX(total / (uint64_t)nr_pcp_cpus(), batch << 2);
}

/* nr_pcp_cpus - see page_alloc.h. */
int nr_pcp_cpus(void)
{
	return hw.nr_cpus > 0 ? MIN(hw.nr_cpus, HW_MAX_CPUS) : 1;
}

/* zone_pcp_update - see page_alloc.h. */
void zone_pcp_update(struct zone *z)
{
	uint64_t batch, high_min, high_max;

	if (!z->managed_pages)
		return;
	batch = zone_batchsize(z);
	high_min = zone_highsize(z, batch, 0);
	high_max = zone_highsize(z, batch, MIN_PERCPU_PAGELIST_HIGH_FRACTION);
	if (percpu_pagelist_high_fraction) {
		high_min = zone_highsize(z, batch,
					 percpu_pagelist_high_fraction);
		high_max = high_min;
	}
	for (int c = 0; c < HW_MAX_CPUS; c++) {
		struct per_cpu_pages *pcp = &z->pcp[c];

		pcp->batch = batch;
		pcp->high_min = high_min;
		pcp->high_max = high_max;
		pcp->high = high_min;
	}
}

/* set_percpu_pagelist_high_fraction - see page_alloc.h. */
int set_percpu_pagelist_high_fraction(int64_t v)
{
	struct zone *z;

	if (v < 0 || v > INT32_MAX ||
	    (v && v < MIN_PERCPU_PAGELIST_HIGH_FRACTION))
		return -EINVAL;
	percpu_pagelist_high_fraction = (unsigned int)v;
	for_each_zone(z)
		zone_pcp_update(z);
	return 0;
}

/* find_free_block - see page_alloc.h.  Only heads carry PG_buddy, so the
 * aligned candidates pfn & ~(2^o - 1) are tried for o = 0..MAX_ORDER;
 * blocks are naturally aligned and never cross a zone, so the first head
 * found whose block reaches pfn is the one. */
bool find_free_block(uint64_t pfn, uint64_t *head, unsigned int *order)
{
	for (unsigned int o = 0; o <= MAX_ORDER; o++) {
		uint64_t h = pfn & ~((1ULL << o) - 1);
		const struct page *p = pfn_to_page(h);

		if (PageBuddy(p) && p->order >= o && p->order <= MAX_ORDER) {
			*head = h;
			*order = p->order;
			return true;
		}
	}
	return false;
}

/* count_zone_lru_pages - see page_alloc.h. */
void count_zone_lru_pages(struct zone_lru_stat *zs)
{
	struct mem_cgroup *m = NULL;

	memset(zs, 0, sizeof(*zs));
	while ((m = mem_cgroup_iter(&root_mem_cgroup, m)))
	for (int nid = 0; nid < nr_online_nodes; nid++)
	for (int l = 0; l < NR_LRU_LISTS; l++) {
		struct list_head *pos;

		list_for_each(pos, &m->lruvec[nid].lists[l]) {
			struct page *p = list_entry(pos, struct page, lru);
			int z = page_zonenum(p);

			zs->lru[nid][z][l]++;
			if (PageFlag(p, PG_mlocked))
				zs->mlock[nid][z]++;
		}
	}
}

/* ---------------------------------------------------------------------- */
/* Allocation                                                             */
/* ---------------------------------------------------------------------- */

/* gfp_zone - see page_alloc.h (Linux's GFP_ZONE_TABLE: __GFP_MOVABLE
 * reaches ZONE_MOVABLE only with __GFP_HIGHMEM). */
enum zone_type gfp_zone(unsigned int gfp)
{
	if (gfp & __GFP_DMA)
		return ZONE_DMA;
	if (gfp & __GFP_DMA32)
		return ZONE_DMA32;
	if (gfp & __GFP_HIGHMEM)
		return gfp & __GFP_MOVABLE ? ZONE_MOVABLE : ZONE_HIGHMEM;
	return ZONE_NORMAL;
}

/* gfp_migratetype - see page_alloc.h.  As Linux, the two mobility bits
 * shifted down are the type; both at once is a bug. */
int gfp_migratetype(unsigned int gfp)
{
	unsigned int mask = __GFP_MOVABLE | __GFP_RECLAIMABLE;

	_Static_assert(__GFP_MOVABLE >> 3 == MIGRATE_MOVABLE &&
		       __GFP_RECLAIMABLE >> 3 == MIGRATE_RECLAIMABLE,
		       "gfp mobility bits shift to their migratetype");
	BUG_ON((gfp & mask) == mask);
	if (unlikely(mobility_disabled))
		return MIGRATE_UNMOVABLE;
	return (int)((gfp & mask) >> 3);
}

/*
 * zone_watermark_ok - Linux's __zone_watermark_ok: true if zone keeps more
 * than watermark[mark] + lowmem_reserve[highest] free pages after handing
 * out a block of this order (counting the block's first frame as still
 * free).
 */
static inline bool zone_watermark_ok(const struct zone *zone,
				     unsigned int order, enum zone_watermarks mark,
				     enum zone_type highest)
{
	int64_t free = (int64_t)zone->free_pages - ((1LL << order) - 1);
	int64_t min = (int64_t)(zone->watermark[mark] +
				zone->lowmem_reserve[highest]);

	return free > min;
}

/*
 * prep_new_page - give the head of a just-allocated block of 2^order frames
 * its allocated state (refcount 1, everything else clear) and zero the
 * frames for __GFP_ZERO.  The tail descriptors are already all zero.
 */
static inline void prep_new_page(struct page *page, unsigned int order,
				 unsigned int gfp)
{
	page->flags = 0;
	page->refcount = 1;
	page->mapcount = 0;
	page->order = 0;
	page->mapping = NULL;
	page->index = 0;
	page->private = 0;
	page->memcg = NULL;
	INIT_LIST_HEAD(&page->lru);
	if (gfp & __GFP_ZERO) {
		uint64_t pfn = page_to_pfn(page);

		for (uint64_t i = 0; i < (1ULL << order); i++)
			phys_zero_frame(&hw.mem, pfn + i);
		account_system_time((uint64_t)sim_costs.page_zero << order);
	}
}

/* this_cpu_pcp - the pcp list of zone on the CPU running kernel code now
 * (CPU 0 when none is: boot, the control path). */
static inline struct per_cpu_pages *this_cpu_pcp(struct zone *zone)
{
	unsigned int cpu = (unsigned int)this_cpu;

	return &zone->pcp[cpu < (unsigned int)hw.nr_cpus &&
			  cpu < HW_MAX_CPUS ? cpu : 0];
}

/*
 * rmqueue_bulk - move up to count order-0 pages of type mt (by fallback if
 * need be) from zone's free lists to the tail of list (Linux's
 * rmqueue_bulk).  Returns how many were moved.
 */
static uint64_t rmqueue_bulk(struct zone *zone, uint64_t count, int mt,
			     struct list_head *list)
{
	uint64_t i;

	for (i = 0; i < count; i++) {
		struct page *page = __rmqueue(zone, 0, mt);

		if (!page)
			break;
		list_add_tail(&page->lru, list);
	}
	return i;
}

/*
 * rmqueue_pcplist - an order-0 page from the head of this CPU's pcp list
 * of type mt in zone, refilled with `batch` pages from the buddy when
 * empty (Linux's rmqueue_pcplist / __rmqueue_pcplist).  The page is off
 * every list; NULL when the list and the buddy are both empty.
 */
static struct page *rmqueue_pcplist(struct zone *zone, int mt)
{
	struct per_cpu_pages *pcp = this_cpu_pcp(zone);
	struct list_head *list = &pcp->lists[mt];
	struct page *page;

	if (list_empty(list))
		pcp->count += rmqueue_bulk(zone, pcp->batch, mt, list);
	if (list_empty(list))
		return NULL;
	page = list_first_entry(list, struct page, lru);
	list_del(&page->lru);
	pcp->count--;
	return page;
}

/*
 * rmqueue - a block of 2^order frames of type mt from zone, off every
 * list: order 0 through this CPU's pcp list, larger orders from the buddy
 * (Linux's rmqueue).  NULL when there is none.
 */
static inline struct page *rmqueue(struct zone *zone, unsigned int order,
				   int mt)
{
	if (likely(order == 0))
		return rmqueue_pcplist(zone, mt);
	return __rmqueue(zone, order, mt);
}

/*
 * zone_statistics - count one allocation served by z for an allocation
 * that preferred zone preferred (Linux's zone_statistics): numa_hit on z
 * when both are on one node, else numa_miss on z and numa_foreign on
 * preferred; numa_local on z when z is on the allocating CPU's node,
 * else numa_other.
 */
static inline void zone_statistics(struct zone *preferred, struct zone *z,
				   int local_nid)
{
	if (z->node == preferred->node) {
		z->vm_numa_event[NUMA_HIT]++;
	} else {
		z->vm_numa_event[NUMA_MISS]++;
		preferred->vm_numa_event[NUMA_FOREIGN]++;
	}
	z->vm_numa_event[z->node == local_nid ? NUMA_LOCAL : NUMA_OTHER]++;
}

/* first_zones_zonelist - the first zone of zl of index highest or below
 * (Linux's first_zones_zonelist), NULL if none. */
static inline struct zoneref *first_zones_zonelist(struct zonelist *zl,
						   enum zone_type highest)
{
	struct zoneref *z = zl->_zonerefs;

	while (z->zone && z->zone_idx > (int)highest)
		z++;
	return z->zone ? z : NULL;
}

/*
 * get_page_from_freelist - a block of gfp's migratetype from the zones of
 * the zonelist of the allocating CPU's node that gfp allows (its own
 * node's from the highest down, then the other nodes' in zonelist order),
 * skipping those that would fall to the watermark `mark` (Linux's
 * get_page_from_freelist).  Counts pgalloc_<zone> and the numa events.
 */
static struct page *get_page_from_freelist(unsigned int gfp,
					   unsigned int order,
					   enum zone_watermarks mark)
{
	enum zone_type highest = gfp_zone(gfp);
	int mt = gfp_migratetype(gfp), nid = numa_node_id();
	struct zoneref *z = first_zones_zonelist(node_zonelist(nid), highest);
	struct zone *preferred = z ? z->zone : NULL;

	for (; z && z->zone; z++) {
		struct zone *zone = z->zone;
		struct page *page;

		if (z->zone_idx > (int)highest ||
		    !zone_watermark_ok(zone, order, mark, highest))
			continue;
		page = rmqueue(zone, order, mt);
		if (!page)
			continue;
		prep_new_page(page, order, gfp);
		count_vm_events(PGALLOC_DMA + z->zone_idx, 1ULL << order);
		zone_statistics(preferred, zone, nid);
		trace_emit(TRACE_PAGE_ALLOC, page_to_pfn(page), order, 0);
		return page;
	}
	return NULL;
}

/* wake_all_kswapds - wake the kswapd of every node with a zone in the
 * allocation's zonelist that gfp may use, once per node (Linux's
 * wake_all_kswapds). */
static void wake_all_kswapds(unsigned int gfp)
{
	enum zone_type highest = gfp_zone(gfp);
	struct zoneref *z = node_zonelist(numa_node_id())->_zonerefs;
	int last = -1;

	for (; z->zone; z++) {
		if (z->zone_idx > (int)highest || z->zone->node == last)
			continue;
		last = z->zone->node;
		wakeup_kswapd(z->zone);
	}
}

/*
 * alloc_pages - see page_alloc.h (Linux's __alloc_pages and its slow
 * path): first above the low watermarks; else kswapd is woken and the min
 * watermarks are allowed; else the allocation reclaims for itself
 * (direct reclaim) and retries while reclaim makes progress, giving up
 * after MAX_RECLAIM_RETRIES passes that free nothing.  The first failure
 * after reclaim drains every pcp list into the buddy and retries (Linux's
 * __alloc_pages_direct_reclaim).
 */
struct page *alloc_pages(unsigned int gfp, unsigned int order)
{
	struct page *page;
	int no_progress = 0;
	bool drained = false;

	if (unlikely(order > MAX_ORDER))
		return NULL;
	page = get_page_from_freelist(gfp, order, WMARK_LOW);
	if (likely(page))
		return page;
	wake_all_kswapds(gfp);
	page = get_page_from_freelist(gfp, order, WMARK_MIN);
	while (!page && no_progress < MAX_RECLAIM_RETRIES) {
		if (!try_to_free_pages(gfp_zone(gfp)))
			no_progress++;
		page = get_page_from_freelist(gfp, order, WMARK_MIN);
		if (!page && !drained) {
			/* Pages freed to pcp lists count once drained. */
			drain_all_pages(NULL);
			drained = true;
			page = get_page_from_freelist(gfp, order, WMARK_MIN);
		}
	}
	return page;
}

/* ---------------------------------------------------------------------- */
/* Freeing                                                                */
/* ---------------------------------------------------------------------- */

/*
 * free_pages_check - BUG unless the head of a block being freed is in an
 * allocated state: refcount 0 or 1, not mapped, not reserved, not free,
 * not on the LRU or any other list, and the block aligned and in RAM.
 */
static inline void free_pages_check(const struct page *page, unsigned int order)
{
	uint64_t pfn = page_to_pfn(page);

	BUG_ON(order > MAX_ORDER);
	BUG_ON(pfn & ((1ULL << order) - 1));
	BUG_ON(pfn + (1ULL << order) > max_pfn);
	BUG_ON(page->refcount < 0 || page->refcount > 1);
	BUG_ON(page->mapcount != 0);
	BUG_ON(page->flags & PAGE_FREE_BAD_FLAGS);
	BUG_ON(page->lru.next && page->lru.next != &page->lru);
}

/*
 * free_pcppages_bulk - give up to count pages from the tails of pcp's
 * lists (a list of zone) back to the buddy, each on the lists of its
 * pageblock's type; the lists are emptied in turn from the one after
 * pindex - 1, i.e. from pindex (Linux's free_pcppages_bulk).
 */
static void free_pcppages_bulk(struct zone *zone, uint64_t count,
			       struct per_cpu_pages *pcp, int pindex)
{
	count = MIN(count, pcp->count);
	pindex--;
	while (count > 0) {
		struct list_head *list;

		do {
			if (++pindex >= MIGRATE_PCPTYPES)
				pindex = 0;
			list = &pcp->lists[pindex];
		} while (list_empty(list));
		do {
			struct page *page = list_last_entry(list, struct page,
							    lru);
			uint64_t pfn = page_to_pfn(page);

			list_del(&page->lru);
			memset(&page->lru, 0, sizeof(page->lru));
			pcp->count--;
			count--;
			__free_one_page(zone, pfn, 0, pfnblock_mt(pfn), false);
		} while (count > 0 && !list_empty(list));
	}
}

/*
 * nr_pcp_free - how many pages a free that reaches high gives back (Linux's
 * nr_pcp_free without the consecutive-free scaling): one for a pageset
 * whose high is below its batch (the boot pageset), else a batch.
 */
static inline uint64_t nr_pcp_free(const struct per_cpu_pages *pcp)
{
	return pcp->high < pcp->batch ? 1 : pcp->batch;
}

/*
 * free_unref_page - put a free order-0 page (clean descriptor) at the head
 * of this CPU's pcp list of its pageblock's type (HIGHATOMIC: the MOVABLE
 * list; ISOLATE: straight to the buddy); at high, a batch goes back to the
 * buddy (Linux's free_unref_page / free_unref_page_commit).
 */
static void free_unref_page(struct page *page)
{
	struct zone *zone = page_zone(page);
	uint64_t pfn = page_to_pfn(page);
	int mt = pfnblock_mt(pfn);
	struct per_cpu_pages *pcp;

	if (unlikely(mt >= MIGRATE_PCPTYPES)) {
		if (mt == MIGRATE_ISOLATE) {
			__free_one_page(zone, pfn, 0, mt, false);
			return;
		}
		mt = MIGRATE_MOVABLE;
	}
	pcp = this_cpu_pcp(zone);
	list_add(&page->lru, &pcp->lists[mt]);
	pcp->count++;
	if (pcp->count >= pcp->high)
		free_pcppages_bulk(zone, nr_pcp_free(pcp), pcp, mt);
}

/* drain_all_pages - see page_alloc.h. */
void drain_all_pages(struct zone *zone)
{
	struct zone *z;

	for_each_zone(z) {
		if (zone && zone != z)
			continue;
		for (int c = 0; c < HW_MAX_CPUS; c++)
			free_pcppages_bulk(z, z->pcp[c].count, &z->pcp[c], 0);
	}
}

/* zone_pcp_count - see page_alloc.h. */
uint64_t zone_pcp_count(const struct zone *zone)
{
	uint64_t n = 0;

	for (int c = 0; c < HW_MAX_CPUS; c++)
		n += zone->pcp[c].count;
	return n;
}

/* page_pcp_cpu - see page_alloc.h. */
int page_pcp_cpu(const struct page *page)
{
	const struct zone *z = page_zone(page);

	for (int c = 0; c < HW_MAX_CPUS; c++)
		for (int mt = 0; mt < MIGRATE_PCPTYPES && z->pcp[c].count; mt++) {
			const struct list_head *l;

			list_for_each(l, &z->pcp[c].lists[mt])
				if (list_entry(l, struct page, lru) == page)
					return c;
		}
	return -1;
}

/* nr_pcp_pages - see page_alloc.h. */
uint64_t nr_pcp_pages(void)
{
	struct zone *z;
	uint64_t n = 0;

	for_each_zone(z)
		n += zone_pcp_count(z);
	return n;
}

/*
 * __free_pages - return a block from alloc_pages (same order) to its zone,
 * merging it with free buddies.  The head's refcount must be 1 (or 0 when
 * called by put_page); the caller must have cleared the tail descriptors it
 * used.  Counts pgfree.
 */
void __free_pages(struct page *page, unsigned int order)
{
	free_pages_check(page, order);
	page->flags = 0;
	page->refcount = 0;
	page->order = 0;
	page->mapping = NULL;
	page->index = 0;
	page->private = 0;
	mem_cgroup_uncharge(page);
	trace_emit(TRACE_PAGE_FREE, page_to_pfn(page), order, 0);
	if (likely(order == 0))
		free_unref_page(page);
	else
		__free_one_page(page_zone(page), page_to_pfn(page), order,
				get_pageblock_migratetype(page_to_pfn(page)),
				false);
	count_vm_events(PGFREE, 1ULL << order);
}

/*
 * put_page - drop a reference to an order-0 page; the last one takes the
 * page off the LRU and frees it.  The refcount must be positive; the
 * (reserved) zero page must never lose its last reference.
 */
void put_page(struct page *page)
{
	BUG_ON(page->refcount <= 0);
	if (--page->refcount)
		return;
	BUG_ON(PageReserved(page));
	if (PageLRU(page))
		lru_del(page);
	__free_pages(page, 0);
}

/* ---------------------------------------------------------------------- */
/* LRU lists                                                              */
/* ---------------------------------------------------------------------- */

/*
 * page_lru - the LRU list a page belongs on, from its flags (Linux's
 * folio_lru_list): unevictable, else anon (swap-backed) or file, inactive
 * or active.
 */
enum lru_list page_lru(const struct page *page)
{
	enum lru_list lru;

	if (PageFlag(page, PG_unevictable))
		return LRU_UNEVICTABLE;
	lru = PageFlag(page, PG_swapbacked) ? LRU_INACTIVE_ANON
					     : LRU_INACTIVE_FILE;
	if (PageFlag(page, PG_active))
		lru += 1;
	return lru;
}

/*
 * lru_cache_add - add a page at the head of list lru of its group's
 * lruvec (reclaim takes pages from the tail: the head is the most recent)
 * and set
 * PG_lru, with PG_active and PG_unevictable set or cleared to match lru.
 * The page must not be on any list, and lru must agree with PG_swapbacked
 * (anon lists for swap-backed pages, file lists for the others).
 */
void lru_cache_add(struct page *page, enum lru_list lru)
{
	BUG_ON((unsigned int)lru >= NR_LRU_LISTS);
	BUG_ON(PageLRU(page) || PageBuddy(page));
	BUG_ON(page->lru.next && page->lru.next != &page->lru);
	if (lru == LRU_ACTIVE_ANON || lru == LRU_ACTIVE_FILE)
		SetPageFlag(page, PG_active);
	else
		ClearPageFlag(page, PG_active);
	if (lru == LRU_UNEVICTABLE)
		SetPageFlag(page, PG_unevictable);
	else
		ClearPageFlag(page, PG_unevictable);
	BUG_ON(page_lru(page) != lru);
	SetPageFlag(page, PG_lru);
	list_add(&page->lru, &page_lruvec(page)->lists[lru]);
	page_lruvec(page)->nr_pages[lru]++;
	page_zone(page)->nr_zone_lru[lru]++;
	replace_lru_added(page, lru != LRU_UNEVICTABLE);
}

/*
 * lru_del - take a page off the LRU list its flags name (page_lru) and
 * clear PG_lru; PG_active and PG_unevictable are kept.  ->lru is left
 * self-linked.  The page must be on an LRU list.
 */
void lru_del(struct page *page)
{
	enum lru_list lru;

	BUG_ON(!PageLRU(page));
	lru = page_lru(page);
	BUG_ON(page_lruvec(page)->nr_pages[lru] == 0);
	list_del(&page->lru);
	page_lruvec(page)->nr_pages[lru]--;
	page_zone(page)->nr_zone_lru[lru]--;
	ClearPageFlag(page, PG_lru);
	replace_lru_deleted(page);
}

/* lru_move - see page_alloc.h. */
void lru_move(struct page *page, enum lru_list lru)
{
	if (PageLRU(page))
		lru_del(page);
	lru_cache_add(page, lru);
}
