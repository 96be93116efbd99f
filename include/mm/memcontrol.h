/*
 * memcontrol.h - memory cgroups, cgroup v2's memory controller (Linux's
 * include/linux/memcontrol.h and mm/memcontrol.c, the part that
 * matters for reclaim).
 *
 * Groups form a tree under the root.  A process belongs to one group (its
 * mm's memcg); every user page it brings in (anonymous, page cache,
 * shmem, swap cache) is charged to that group and to each ancestor, and
 * sits on the group's own LRU lists.  A charge that would take a group
 * past memory.max reclaims from that group's subtree first, then calls
 * the OOM killer on the tasks inside it.  Swap slots are charged to the
 * group of the page that went out (memory.swap.current, memory.swap.max).
 * Page tables and other kernel memory are not charged
 * (docs/divergences.md).
 */
#ifndef MM_MEMCONTROL_H
#define MM_MEMCONTROL_H

#include <stdbool.h>
#include <stdint.h>
#include "util/list.h"
#include "mm/mmzone.h"
#include "mm/vmstat.h"
#include "mm/swap.h"
#include "mm/page_alloc.h"

#define MEMCG_NAME_MAX		64	/* a group's name, NUL included */
#define MEMCG_MAX_ID		4096	/* groups alive at once, root included */
#define PAGE_COUNTER_MAX	UINT64_MAX

/* memory.events (Linux's enum memcg_memory_event). */
enum memcg_memory_event {
	MEMCG_LOW,
	MEMCG_HIGH,
	MEMCG_MAX,
	MEMCG_OOM,
	MEMCG_OOM_KILL,
	MEMCG_OOM_GROUP_KILL,
	MEMCG_NR_MEMORY_EVENTS,
};

struct mem_cgroup {
	uint64_t slab_obj;		/* its object in mem_cgroup's cache */
	uint64_t pn_obj;		/* its node's mem_cgroup_per_node,
					 * from kmalloc-512 (see below) */
	uint16_t id;			/* in shadow entries; root is 1 */
	uint64_t serial;		/* creation order, never reused (root
					 * 0): tells a reused id apart */
	char name[MEMCG_NAME_MAX];
	struct mem_cgroup *parent;	/* NULL for the root */
	struct list_head children;
	struct list_head sibling;	/* in parent->children */
	struct lruvec lruvec[MAX_NUMNODES];	/* the group's own pages, by
						 * node (Linux's
						 * nodeinfo[nid]->lruvec) */
	uint64_t usage, max, high;	/* pages, this group and below */
	uint64_t swap_usage, swap_max;	/* swap slots, this group and below */
	uint64_t memory_events[MEMCG_NR_MEMORY_EVENTS];	/* hierarchical */
	uint64_t memory_events_local[MEMCG_NR_MEMORY_EVENTS];
	int64_t state[NR_VM_NODE_STAT_ITEMS];	/* this group's own pages */
	uint64_t events[NR_VM_EVENT_ITEMS];	/* this group's own events */
};

extern struct mem_cgroup root_mem_cgroup;

struct page;
struct mm_struct;
struct task_struct;

/* mem_cgroup_reset - a new machine: the root alone, empty (its objects
 * come with mem_cgroup_init, once the slab caches exist). */
void mem_cgroup_reset(void);

/* MEM_CGROUP_PER_NODE_SIZE - sizeof(struct mem_cgroup_per_node) on Linux
 * 6.18 x86-64; its cache, of the same size and alignment, is merged into
 * kmalloc-512 (as slabinfo shows: no cache of its own). */
#define MEM_CGROUP_PER_NODE_SIZE	512

/* mem_cgroup_init - the root group's objects (Linux allocates the root
 * as any group, mem_cgroup_alloc).  0 or -ENOMEM. */
int mem_cgroup_init(void);

/* mem_cgroup_shutdown - every group's objects go back to the caches (the
 * groups themselves stay until the next mem_cgroup_reset). */
void mem_cgroup_shutdown(void);

/* mem_cgroup_from_id - the live group with this id, or NULL. */
struct mem_cgroup *mem_cgroup_from_id(uint16_t id);

/* mem_cgroup_iter - the groups of root's subtree in pre-order: start with
 * prev NULL; NULL after the last. */
struct mem_cgroup *mem_cgroup_iter(struct mem_cgroup *root,
				   struct mem_cgroup *prev);

/* mem_cgroup_is_descendant - is m in root's subtree (root included)? */
bool mem_cgroup_is_descendant(const struct mem_cgroup *m,
			      const struct mem_cgroup *root);

/* mem_cgroup_create - mkdir: a child of parent called name. The group or
 * NULL with -EEXIST, -EINVAL (a bad name), -ENOSPC (too many groups) or
 * -ENOMEM in *err, with the reason. */
struct mem_cgroup *mem_cgroup_create(struct mem_cgroup *parent,
				     const char *name, int *err);

/* mem_cgroup_remove - rmdir: a group without children or processes goes;
 * the pages and swap still charged to it move to its parent (Linux keeps
 * an offline group until they are freed).  0, -EBUSY or -EINVAL (the
 * root). */
int mem_cgroup_remove(struct mem_cgroup *m);

/* mem_cgroup_attach - write pid to cgroup.procs: the process of t moves
 * to m; what it charged so far stays where it is.  0, -ESRCH (gone),
 * -EINVAL (a kernel thread, which stays in the root). */
int mem_cgroup_attach(struct mem_cgroup *m, struct task_struct *t);

/* mem_cgroup_of_task - the group of t's process (the root for kernel
 * threads and zombies). */
struct mem_cgroup *mem_cgroup_of_task(const struct task_struct *t);

/* The limits of a non-root group (memory.max, memory.high,
 * memory.swap.max), in pages. */
enum memcg_limit {
	MEMCG_LIMIT_MAX,
	MEMCG_LIMIT_HIGH,
	MEMCG_LIMIT_SWAP_MAX,
};

/* mem_cgroup_set_limit - set one of m's limits:
 *   MEMCG_LIMIT_MAX: a group above it reclaims down to it, and when that
 *     fails, the OOM killer acts inside it (Linux's memory_max_write);
 *   MEMCG_LIMIT_HIGH: a group above it is reclaimed towards it, now and
 *     after each charge, never OOM-killed for it;
 *   MEMCG_LIMIT_SWAP_MAX: no more swap slots past it; what is already
 *     swapped stays, as on Linux.
 * 0 or -EINVAL (the root, which has no limits). */
int mem_cgroup_set_limit(struct mem_cgroup *m, enum memcg_limit which,
			 uint64_t pages);

/* mem_cgroup_reclaim - memory.reclaim: reclaim nr_pages from m's subtree
 * (proactive reclaim).  0, or -EAGAIN when fewer could be reclaimed. */
int mem_cgroup_reclaim(struct mem_cgroup *m, uint64_t nr_pages);

/* mem_cgroup_charge - charge a new user page, allocated for mm, to mm's
 * group and its ancestors, reclaiming in the group that is at its limit
 * and OOM-killing inside it when that frees nothing (Linux's
 * mem_cgroup_charge + try_charge).  0, or -ENOMEM (nothing left to kill,
 * or the faulting process was chosen) with the reason. */
int mem_cgroup_charge(struct page *page, struct mm_struct *mm);

/* mem_cgroup_charge_to - charge page to m without reclaim (page-cache
 * readahead): -ENOMEM at the limit, unless force (then the group may go
 * past it). */
int mem_cgroup_charge_to(struct page *page, struct mem_cgroup *m,
			 bool force);

/* mem_cgroup_swapin_charge - charge a page read from slot e to the group
 * the slot is charged to (mm's if none), as charge (swap.h) says (Linux's
 * mem_cgroup_swapin_charge_folio).  0 or -ENOMEM. */
int mem_cgroup_swapin_charge(struct page *page, swp_entry_t e,
			     struct mm_struct *mm, enum swapin_charge charge);

/* mem_cgroup_uncharge - the page is being freed. */
void mem_cgroup_uncharge(struct page *page);

/* page_memcg_or_root - the group a page is charged to, the root when
 * none (Linux's folio_memcg with root_mem_cgroup for uncharged pages). */
static inline struct mem_cgroup *page_memcg_or_root(const struct page *page)
{
	return page->memcg ? page->memcg : &root_mem_cgroup;
}

/* page_lruvec - the LRU lists a page belongs on: its group's, on its
 * node (Linux's folio_lruvec). */
static inline struct lruvec *page_lruvec(const struct page *page)
{
	return &page_memcg_or_root(page)->lruvec[page_to_nid(page)];
}

/* mod_page_state - a gauge of the node and of the page's group (Linux's
 * mod_lruvec_page_state). */
static inline void mod_page_state(const struct page *page,
				  enum node_stat_item item, int64_t delta)
{
	mod_node_page_state(page_pgdat(page), item, delta);
	page_memcg_or_root(page)->state[item] += delta;
}

/* count_memcg_event - an event of the node and of group m (the root if
 * NULL). */
void count_memcg_event(struct mem_cgroup *m, enum vm_event_item item,
		       uint64_t n);

/* mem_cgroup_swap_charge - page is getting a swap slot: charge it to the
 * page's group (memory.swap.current).  False at memory.swap.max. */
bool mem_cgroup_swap_charge(struct page *page, unsigned int type,
			    uint64_t offset);
/* mem_cgroup_swap_uncharge - the slot is freed. */
void mem_cgroup_swap_uncharge(unsigned int type, uint64_t offset);
/* mem_cgroup_nr_swap_pages - the slots m may still take: the global free
 * slots, less what the group or an ancestor may still charge. */
uint64_t mem_cgroup_nr_swap_pages(const struct mem_cgroup *m);

/* memcg_page_state / memcg_events - hierarchical sums over m's subtree
 * (memory.stat). */
int64_t memcg_page_state(const struct mem_cgroup *m, enum node_stat_item i);
uint64_t memcg_events(const struct mem_cgroup *m, enum vm_event_item i);
/* memcg_lru_pages - the pages on lru in m's subtree. */
uint64_t memcg_lru_pages(const struct mem_cgroup *m, enum lru_list lru);

/* node_lru_pages - the pages on lru in every group, on every node. */
uint64_t node_lru_pages(enum lru_list lru);

/* memcg_node_lru_pages - the pages on lru in m's subtree on node nid
 * (Linux's lruvec_page_state of a group's lruvec, hierarchical). */
uint64_t memcg_node_lru_pages(const struct mem_cgroup *m, int nid,
			      enum lru_list lru);

/* mem_cgroup_lruvec - m's lists on node nid (Linux's mem_cgroup_lruvec). */
static inline struct lruvec *mem_cgroup_lruvec(struct mem_cgroup *m, int nid)
{
	return &m->lruvec[nid];
}

/* mem_cgroup_out_of_memory - the OOM killer inside memcg's subtree
 * (Linux's mem_cgroup_out_of_memory, oom_kill.c): true if a task was
 * killed or marked (see out_of_memory). */
bool mem_cgroup_out_of_memory(struct mem_cgroup *memcg,
			      struct mm_struct *faulting);

/* mem_cgroup_oom_kill_event - a task of m was killed by an OOM killer:
 * memory.events oom_kill of m and its ancestors. */
void mem_cgroup_oom_kill_event(struct mem_cgroup *m);

#endif
