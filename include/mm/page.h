/*
 * page.h - struct page, the descriptor of one physical frame (Linux's
 * include/linux/mm_types.h and page-flags.h, much reduced).
 *
 * Every frame of RAM has one descriptor in mem_map[], indexed by PFN.  The
 * array is reserved with MAP_NORESERVE: a descriptor that was never written
 * reads as all zeroes, which is the state of a frame inside a free buddy
 * block that is not the block's head.
 *
 * Counting rules (the invariant checker verifies them):
 *  - refcount: 0 for a free frame; otherwise one per page-table entry that
 *    maps it (except the zero page), one per page-cache/shmem or swap-cache
 *    slot holding it, one for a page-table page, plus temporary references.
 *  - mapcount: the number of page-table entries that map the frame (Linux's
 *    _mapcount + 1).  The zero page and reserved frames are not counted.
 */
#ifndef MM_PAGE_H
#define MM_PAGE_H

#include <stdbool.h>
#include <stdint.h>
#include "util/list.h"
#include "hw/x86.h"

enum pageflags {
	PG_locked,
	PG_referenced,
	PG_uptodate,
	PG_dirty,
	PG_lru,
	PG_active,
	PG_slab,
	PG_reserved,	/* never allocated: firmware, kernel image, zero page */
	PG_buddy,	/* head of a free block in a buddy list; order in ->order */
	PG_anon,	/* anonymous: ->mapping is a struct anon_vma */
	PG_swapbacked,	/* anon or shmem: would go to swap, not to a file */
	PG_pgtable,	/* a page-table page */
	PG_zero,	/* the shared zero page */
	PG_mlocked,
	PG_unevictable,
	PG_anon_exclusive,	/* anon page mapped by one process only: a write
				 * fault may reuse it without copying */
	PG_readahead,	/* page or swap cache: a fault here starts the next
			 * readahead window (Linux aliases it to PG_reclaim) */
	PG_swapcache,	/* in the swap cache: ->private is its swap entry */
	PG_workingset,	/* was active before it was deactivated or evicted:
			 * a refault restores it (mm/workingset.c) */
	PG_vmalloc,	/* a page of a vmalloc area (mmufs: Linux tells it by
			 * the vm_struct, page->mapping stays NULL) */
	PG_large_kmalloc,	/* head of a kmalloc_large block: ->private is its
				 * order (Linux's page type PGTY_large_kmalloc) */
	NR_PAGEFLAGS
};

struct mem_cgroup;

struct page {
	uint32_t flags;		/* 1 << PG_* */
	int32_t refcount;
	int32_t mapcount;	/* page-table entries mapping it */
	union {
		uint32_t order;		/* buddy order when PG_buddy */
		uint32_t mlock_count;	/* PTEs in VM_LOCKED vmas mapping it */
	};
	void *mapping;		/* anon_vma (PG_anon) or address_space, or NULL */
	uint64_t index;		/* page offset within the mapping */
	struct list_head lru;	/* buddy free list or LRU list */
	uint64_t private;	/* PG_swapcache: the swap entry's value */
	struct mem_cgroup *memcg;	/* the group charged, or NULL */
};

_Static_assert(sizeof(struct page) <= 64, "struct page must fit 64 bytes");

static inline bool PageFlag(const struct page *p, enum pageflags f)
{
	return (p->flags >> f) & 1;
}

static inline void SetPageFlag(struct page *p, enum pageflags f)
{
	p->flags |= 1U << f;
}

static inline void ClearPageFlag(struct page *p, enum pageflags f)
{
	p->flags &= ~(1U << f);
}

#define PageAnon(p)		PageFlag(p, PG_anon)
#define PageReserved(p)		PageFlag(p, PG_reserved)
#define PageBuddy(p)		PageFlag(p, PG_buddy)
#define PageTable(p)		PageFlag(p, PG_pgtable)
#define PageLRU(p)		PageFlag(p, PG_lru)
#define PageZero(p)		PageFlag(p, PG_zero)
#define PageSwapCache(p)	PageFlag(p, PG_swapcache)

extern struct page *mem_map;
extern uint64_t max_pfn;	/* number of frames of RAM */

static inline struct page *pfn_to_page(uint64_t pfn)
{
	return &mem_map[pfn];
}

static inline uint64_t page_to_pfn(const struct page *p)
{
	return (uint64_t)(p - mem_map);
}

static inline uint64_t page_to_phys(const struct page *p)
{
	return page_to_pfn(p) << PAGE_SHIFT;
}

/* get_page - take a reference on an allocated page. */
static inline void get_page(struct page *p)
{
	p->refcount++;
}

/* put_page - drop a reference; frees the page (and takes it off the LRU)
 * when the last one goes.  Defined in page_alloc.c. */
void put_page(struct page *p);

#endif
