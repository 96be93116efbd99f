/*
 * mmzone.h - nodes, zones, buddy free areas and LRU lists (Linux's
 * include/linux/mmzone.h): a pg_data_t per NUMA node holding its zones
 * and its zonelist, free areas per migratetype, per-cpu page lists.  One
 * zone_type enum serves both architectures, as one kernel build cannot:
 * x86-64 leaves ZONE_HIGHMEM empty, i386 ZONE_DMA32.
 */
#ifndef MM_MMZONE_H
#define MM_MMZONE_H

#include <stdint.h>
#include "util/list.h"
#include "mm/page.h"
#include "hw/cpu.h"
#include "mm/vmstat.h"

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

/* The NUMA nodes a machine may have (Linux's MAX_NUMNODES, here small:
 * --nodes 1..MAX_NUMNODES). */
#define MAX_NUMNODES		8

/* Linux's enum numa_stat_item: where allocations were served, per zone
 * (zone_statistics). */
enum numa_stat_item {
	NUMA_HIT,		/* from the node the allocation preferred */
	NUMA_MISS,		/* here although another node was preferred */
	NUMA_FOREIGN,		/* preferred here, served by another node */
	NUMA_INTERLEAVE_HIT,	/* interleave policy: never used here */
	NUMA_LOCAL,		/* from the node of the allocating CPU */
	NUMA_OTHER,		/* from another node than the CPU's */
	NR_VM_NUMA_EVENT_ITEMS
};

struct zone {
	const char *name;
	int node;		/* its node (Linux's zone->node, zone_to_nid) */
	uint64_t vm_numa_event[NR_VM_NUMA_EVENT_ITEMS];
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

/* A zone in a zonelist, with its index (Linux's struct zoneref). */
struct zoneref {
	struct zone *zone;
	int zone_idx;
};

/* Linux's struct zonelist (ZONELIST_FALLBACK only): the zones an
 * allocation may use, best first, ended by a NULL zone. */
struct zonelist {
	struct zoneref _zonerefs[MAX_NUMNODES * MAX_NR_ZONES + 1];
};

/* kswapd_state - one node's kswapd (Linux's pgdat->kswapd and
 * pgdat->kswapd_failures): its task, whether it was woken, how many
 * balance runs in a row reclaimed nothing. */
struct task_struct;
struct kswapd_state {
	bool woken;
	unsigned int failures;
	struct task_struct *task;
};

/*
 * pglist_data - one NUMA node (Linux's pg_data_t): a contiguous pfn range
 * [node_start_pfn, node_start_pfn + node_spanned_pages) cut into zones by
 * physical address, its zonelist (build_zonelists), its kswapd, and the
 * node's share of the node_stat_item gauges.
 */
typedef struct pglist_data {
	struct zone node_zones[MAX_NR_ZONES];
	struct zonelist node_zonelist;
	int node_id;
	uint64_t node_start_pfn;
	uint64_t node_present_pages;
	uint64_t node_spanned_pages;
	struct kswapd_state kswapd;
	int64_t vm_stat[NR_VM_NODE_STAT_ITEMS];
} pg_data_t;

extern struct pglist_data node_data[MAX_NUMNODES];
extern int nr_online_nodes;	/* the machine's nodes, 0..nr_online_nodes-1 */

#define NODE_DATA(nid)	(&node_data[(nid)])

/* zone_idx - the zone's index in its node (Linux's zone_idx). */
static inline int zone_idx(const struct zone *z)
{
	return (int)(z - node_data[z->node].node_zones);
}

/* next_zone - the zone after z, on to the next online node; NULL after
 * the last (Linux's next_zone). */
static inline struct zone *next_zone(struct zone *z)
{
	if (z < &node_data[z->node].node_zones[MAX_NR_ZONES - 1])
		return z + 1;
	if (z->node + 1 < nr_online_nodes)
		return node_data[z->node + 1].node_zones;
	return NULL;
}

/* for_each_zone - every zone of every online node, node by node, each
 * node's zones low to high (Linux's for_each_zone). */
#define for_each_zone(z) \
	for ((z) = node_data[0].node_zones; (z); (z) = next_zone(z))

/* for_each_online_node - nid over 0..nr_online_nodes-1. */
#define for_each_online_node(nid) \
	for ((nid) = 0; (nid) < nr_online_nodes; (nid)++)

/* mod_node_page_state - add d to gauge i of node pgdat and to the
 * machine's sum (Linux's mod_node_page_state). */
static inline void mod_node_page_state(struct pglist_data *pgdat,
				       enum node_stat_item i, int64_t d)
{
	pgdat->vm_stat[i] += d;
	vmstat.node[i] += d;
}

/* node_page_state - gauge i of one node, never below 0 (Linux's
 * node_page_state). */
static inline uint64_t node_page_state(const struct pglist_data *pgdat,
				       enum node_stat_item i)
{
	return pgdat->vm_stat[i] > 0 ? (uint64_t)pgdat->vm_stat[i] : 0;
}

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

/* lruvec - one group's LRU lists on one node and what reclaim learns
 * about them (Linux's struct lruvec, mem_cgroup_per_node): the cost of
 * reclaiming each kind (lru_note_cost), the nonresident age that refault
 * distances are measured in (mm/workingset.c), and the activations from
 * refaults seen by the last reclaim (snapshot_refaults). */
struct mem_cgroup;
struct lruvec {
	struct mem_cgroup *memcg;	/* the group (lruvec_memcg) */
	int nid;			/* the node (lruvec_pgdat) */
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
