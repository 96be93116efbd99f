/*
 * page_alloc.h - the buddy allocator (Linux's mm/page_alloc.c): zones, free
 * lists of orders 0..MAX_ORDER per migratetype, pageblock types and
 * fallback, per-cpu lists, splitting (expand) and coalescing
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
#define __GFP_HIGHMEM	0x02U	/* may use ZONE_HIGHMEM (i386) */
#define __GFP_DMA32	0x04U	/* ZONE_DMA32 or below */
#define __GFP_MOVABLE	0x08U	/* movable; with __GFP_HIGHMEM every zone */
#define __GFP_RECLAIMABLE	0x10U	/* reclaimable kernel memory */
#define __GFP_ZERO	0x100U	/* return zeroed frames */
#define __GFP_NOWARN	0x200U
#define GFP_KERNEL	0x00U	/* ZONE_NORMAL and below */
#define GFP_HIGHUSER_MOVABLE	(__GFP_MOVABLE | __GFP_HIGHMEM)
#define GFP_PGTABLE	(GFP_KERNEL | __GFP_ZERO)

/* zones - node 0's zones (node_data[0].node_zones): every zone of a
 * one-node machine. */
extern struct zone *const zones;
extern uint64_t totalram_pages;		/* managed pages of every zone */
extern uint64_t min_free_kbytes;
extern uint64_t watermark_scale_factor;	/* 10, as Linux */

/* mem_map_init - reserve nr_frames zeroed descriptors (MAP_NORESERVE) in
 * mem_map and set max_pfn. 0 or -ENOMEM. */
int mem_map_init(uint64_t nr_frames);

/* mem_map_destroy - release mem_map and reset every allocator global (zones,
 * memory groups, totals) so that a new machine can boot in the same
 * process. */
void mem_map_destroy(void);

/*
 * page_alloc_init - lay out the zones over frames [0, nr_frames) (DMA below
 * 16 MiB, DMA32 below 4 GiB, Normal above; for 32-bit paging DMA, Normal
 * up to 896 MiB and HighMem above), mark [0, nr_frames) reserved except what free_reserved_area() later
 * hands over.  mem_map must already map nr_frames zeroed descriptors.
 */
void page_alloc_init(uint64_t nr_frames, bool has_dma32);

/* The least RAM a node gets: --nodes N wants N times this (16 MiB). */
#define NODE_MIN_PAGES		4096ULL

/*
 * page_alloc_init_nodes - page_alloc_init for nr_nodes NUMA nodes (1..
 * MAX_NUMNODES, at least NODE_MIN_PAGES frames each): node n spans an
 * equal share of the frames rounded down to 2^MAX_ORDER (so no buddy
 * block crosses a node), the last node the rest; each node's zones are
 * the zone ranges clipped to it; the zonelists are built
 * (build_all_zonelists).
 */
void page_alloc_init_nodes(uint64_t nr_frames, bool has_dma32, int nr_nodes);

/* node_span_pfns - frames per node but the last (page_alloc_init_nodes);
 * pfn_to_nid divides by it. */
extern uint64_t node_span_pfns;

/* pfn_to_nid - the node holding frame pfn (Linux's pfn_to_nid). */
static inline int pfn_to_nid(uint64_t pfn)
{
	int nid;

	if (nr_online_nodes == 1)
		return 0;
	nid = (int)(pfn / node_span_pfns);
	return nid < nr_online_nodes ? nid : nr_online_nodes - 1;
}

/* First pfn of ZONE_DMA32, ZONE_NORMAL and ZONE_HIGHMEM, on every node
 * (page_alloc_init_nodes). */
extern uint64_t dma32_start_pfn, normal_start_pfn, highmem_start_pfn;

/* page_zonenum - the zone index of a frame, from its pfn alone (Linux
 * keeps it in page->flags).  page must point into mem_map. */
static inline int page_zonenum(const struct page *page)
{
	uint64_t pfn = page_to_pfn(page);

	if (pfn < dma32_start_pfn)
		return ZONE_DMA;
	if (pfn < normal_start_pfn)
		return ZONE_DMA32;
	if (pfn < highmem_start_pfn)
		return ZONE_NORMAL;
	return ZONE_HIGHMEM;
}

/* page_to_nid / page_pgdat - the node of a frame (Linux's page_to_nid,
 * page_pgdat). */
static inline int page_to_nid(const struct page *page)
{
	return pfn_to_nid(page_to_pfn(page));
}

static inline struct pglist_data *page_pgdat(const struct page *page)
{
	return NODE_DATA(page_to_nid(page));
}

/* page_zone - the zone a frame belongs to (Linux's page_zone). */
static inline struct zone *page_zone(const struct page *page)
{
	return &page_pgdat(page)->node_zones[page_zonenum(page)];
}

/* cpu_to_node - the node of CPU cpu (Linux's cpu_to_node): CPUs in
 * contiguous blocks, cpu * nodes / cpus; with fewer CPUs than nodes CPU i
 * is on node i and the later nodes have no CPU (memory-only). */
int cpu_to_node(int cpu);

/* numa_node_id - the node of the CPU running kernel code now (CPU 0 when
 * none: boot, the control path) (Linux's numa_node_id).  Inline for the
 * one-node machine the allocator's fast path asks on every page. */
int __numa_node_id(void);
static inline int numa_node_id(void)
{
	return nr_online_nodes == 1 ? 0 : __numa_node_id();
}

/* node_distance - Linux's node_distance() with a flat SLIT: 10 to itself
 * (LOCAL_DISTANCE), 20 to every other node (REMOTE_DISTANCE). */
int node_distance(int from, int to);

/* node_zonelist - the zonelist of allocations preferring node nid. */
static inline struct zonelist *node_zonelist(int nid)
{
	return &NODE_DATA(nid)->node_zonelist;
}

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

/* gfp_migratetype - Linux's gfp_migratetype: __GFP_MOVABLE (user pages,
 * GFP_HIGHUSER_MOVABLE) -> MIGRATE_MOVABLE, __GFP_RECLAIMABLE ->
 * MIGRATE_RECLAIMABLE, the rest (page tables, kernel) MIGRATE_UNMOVABLE;
 * everything UNMOVABLE when mobility grouping is off (RAM below one
 * pageblock per migratetype, Linux's page_group_by_mobility_disabled). */
int gfp_migratetype(unsigned int gfp);

/* get_pageblock_migratetype - the migratetype of pfn's pageblock (Linux's
 * get_pfnblock_migratetype).  pfn must be in RAM. */
int get_pageblock_migratetype(uint64_t pfn);

/* zone_free_blocks_of_type - the free blocks of this order on z's list of
 * type mt, counted up to cap (pagetypeinfo caps its walk). */
uint64_t zone_free_blocks_of_type(const struct zone *z, unsigned int order,
				  int mt, uint64_t cap);

/* zone_pageblock_counts - the pageblocks of z of each migratetype (Linux's
 * pagetypeinfo_showblockcount_print). */
void zone_pageblock_counts(const struct zone *z,
			   uint64_t counts[MIGRATE_TYPES]);

/* gfp_zone - the highest zone an allocation with these flags may use. */
enum zone_type gfp_zone(unsigned int gfp);

/*
 * alloc_pages - allocate 2^order contiguous frames, refcount 1 on the head,
 * from the highest zone gfp allows down to DMA, skipping zones whose free
 * pages would fall below their low watermark (then waking kswapd), then
 * their min watermark, plus the lowmem reserve; below min, the allocation
 * reclaims (direct reclaim) until a frame is free or reclaim stops making
 * progress.  Counts pgalloc_<zone>.  NULL when nothing fits (the caller
 * may call the OOM killer).
 */
struct page *alloc_pages(unsigned int gfp, unsigned int order);

static inline struct page *alloc_page(unsigned int gfp)
{
	return alloc_pages(gfp, 0);
}

/*
 * __free_pages - free a block allocated with alloc_pages: its refcount must
 * be 1 (or 0 from put_page), mapcount 0, not on an LRU.  An order-0 page
 * goes to this CPU's pcp list (a batch of them back to the buddy when it
 * reaches high); larger blocks merge with free buddies up to MAX_ORDER.
 * Counts pgfree.
 */
void __free_pages(struct page *page, unsigned int order);

/* nr_free_pages - free frames in every zone. */
uint64_t nr_free_pages(void);

/* node_free_pages - free frames in node nid's zones. */
uint64_t node_free_pages(int nid);

/* zone_numa_event_state / node_numa_event_state / sum_numa_event - numa
 * event item i of one zone, summed over a node's zones, over every zone
 * (Linux's zone_numa_event_state, node_page_state of NUMA items,
 * global_numa_event_state). */
static inline uint64_t zone_numa_event_state(const struct zone *z,
					     enum numa_stat_item i)
{
	return z->vm_numa_event[i];
}
uint64_t node_numa_event_state(int nid, enum numa_stat_item i);
uint64_t sum_numa_event(enum numa_stat_item i);

/*
 * calculate_totalreserve_pages - the pages kept back from user allocations
 * (Linux's calculate_totalreserve_pages()): per zone the largest
 * lowmem_reserve against it or a higher zone, plus its high watermark,
 * capped at its managed pages; summed over the zones.  Linux stores the
 * sum in totalreserve_pages whenever the watermarks change; here it is
 * computed from the zones as they are at the call.
 */
uint64_t calculate_totalreserve_pages(void);

/* si_mem_available - Linux's si_mem_available() (mm/show_mem.c): the
 * pages that can be had without swapping, MemAvailable. */
uint64_t si_mem_available(void);

/* pageblock_order - Linux's pageblock_order, MIN(HUGETLB_PAGE_ORDER,
 * MAX_PAGE_ORDER): the order of a PMD-mapped page, 9 (2 MiB) with 4-level
 * paging and 10 (4 MiB) with i386 2-level paging (HPAGE_SHIFT 22), both
 * within MAX_ORDER 10.  Set by page_alloc_init. */
unsigned int pageblock_order(void);

/* zone_free_pages_blocks - the free pages of z in blocks of
 * pageblock_order or larger (Linux's NR_FREE_PAGES_BLOCKS zone counter),
 * counted from the free areas. */
uint64_t zone_free_pages_blocks(const struct zone *z);

/* zone_batchsize - Linux's zone_batchsize(): the per-cpu list batch of z,
 * a quarter of its managed MiB-per-GiB capped at 256/4, rounded down to
 * 2^n - 1 after growing by half, at least 1. */
uint64_t zone_batchsize(const struct zone *z);

/* zone_highsize - Linux's zone_highsize(): the per-cpu list high mark of
 * z, its low watermark (high_fraction 0) or managed / high_fraction,
 * shared among the CPUs, at least four batches. */
uint64_t zone_highsize(const struct zone *z, uint64_t batch,
		       unsigned int high_fraction);

/* Linux's MIN_PERCPU_PAGELIST_HIGH_FRACTION: the smallest non-zero value
 * of the sysctl. */
#define MIN_PERCPU_PAGELIST_HIGH_FRACTION	8

/* The vm.percpu_pagelist_high_fraction sysctl: 0 sizes pcp high from the
 * low watermark, N >= 8 from managed / N. */
extern unsigned int percpu_pagelist_high_fraction;

/* nr_pcp_cpus - the CPUs with pcp lists: the machine's, at least 1. */
int nr_pcp_cpus(void);

/* zone_pcp_update - size every pcp list of z: batch from zone_batchsize,
 * high_min/high_max from zone_highsize and the sysctl, high = high_min
 * (Linux's zone_set_pageset_high_and_batch; high is not auto-tuned).  An
 * empty zone keeps the boot pageset. */
void zone_pcp_update(struct zone *z);

/* set_percpu_pagelist_high_fraction - Linux's
 * percpu_pagelist_high_fraction_sysctl_handler: v must be 0 or in
 * [8, INT_MAX] (else -EINVAL); every pcp list's high is recomputed. */
int set_percpu_pagelist_high_fraction(int64_t v);

/* drain_all_pages - give every page on the pcp lists of zone (every zone
 * when NULL), on every CPU, back to the buddy (Linux's drain_all_pages). */
void drain_all_pages(struct zone *zone);

/* zone_pcp_count - the pages on zone's pcp lists, summed over CPUs. */
uint64_t zone_pcp_count(const struct zone *zone);

/* nr_pcp_pages - the pages on every pcp list: free, but not in
 * nr_free_pages(). */
uint64_t nr_pcp_pages(void);

/* page_pcp_cpu - the CPU whose pcp list holds page (a walk of its zone's
 * lists), or -1. */
int page_pcp_cpu(const struct page *page);

/* find_free_block - does frame pfn lie inside a free buddy block (Linux's
 * is_free_buddy_page)?  If so, true with the block's head and order. */
bool find_free_block(uint64_t pfn, uint64_t *head, unsigned int *order);

/* Per-zone LRU and mlocked page counts (Linux's NR_ZONE_LRU_BASE + lru
 * and NR_MLOCK zone items), by node and zone index. */
struct zone_lru_stat {
	uint64_t lru[MAX_NUMNODES][MAX_NR_ZONES][NR_LRU_LISTS];
	uint64_t mlock[MAX_NUMNODES][MAX_NR_ZONES];
};

/* count_zone_lru_pages - fill zs by walking the LRU lists: there is one
 * lruvec per group and node and no per-zone counter, so the per-zone
 * figures are counted when asked for. */
void count_zone_lru_pages(struct zone_lru_stat *zs);

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
