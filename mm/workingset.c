/*
 * workingset.c - refault distances (Linux's mm/workingset.c).
 *
 * Each group's lruvec keeps a clock, nonresident_age, that ticks once per
 * eviction and once per activation in the group or below it.  An evicted
 * page leaves a shadow entry in the slot it left (here: its swap-cache
 * slot) holding its group, the clock at eviction and whether it was part
 * of the workingset (PG_workingset).  When the page faults back in, the
 * distance from that time to now is how many pages were evicted or
 * activated meanwhile: had the inactive list been that much longer, the
 * page would have stayed.  If the distance fits in the workingset (the
 * active lists, and the other kind's inactive list where Linux counts
 * it), the page is activated at once, and a page that was in the
 * workingset is "restored".
 */
#include "internal.h"
#include "mm/memcontrol.h"
#include "mm/replace.h"
#include "mm/swap.h"
#include "kernel/trace.h"

/* A shadow (Linux's pack_shadow): bit 0 set so that it cannot be taken
 * for a page, the workingset flag in bit 1, the group's id in the next
 * MEMCG_ID_BITS, the node in the next NODES_SHIFT, the eviction time
 * above. */
#define MEMCG_ID_BITS		16
#define NODES_SHIFT		3
#define SHADOW_NID_SHIFT	(2 + MEMCG_ID_BITS)
#define SHADOW_TIME_SHIFT	(SHADOW_NID_SHIFT + NODES_SHIFT)

_Static_assert(MAX_NUMNODES <= 1 << NODES_SHIFT, "a shadow holds the node");

/* workingset_age_nonresident - see swap.h: the lists of the group and its
 * ancestors on lv's node (Linux's workingset_age_nonresident). */
void workingset_age_nonresident(struct lruvec *lv, uint64_t nr)
{
	for (struct mem_cgroup *m = lv->memcg; m; m = m->parent)
		m->lruvec[lv->nid].nonresident_age += nr;
}

/* workingset_eviction - see swap.h. */
uintptr_t workingset_eviction(struct page *page)
{
	struct lruvec *lv = page_lruvec(page);

	workingset_age_nonresident(lv, 1);
	return (uintptr_t)(lv->nonresident_age << SHADOW_TIME_SHIFT) |
	       ((uintptr_t)lv->nid << SHADOW_NID_SHIFT) |
	       ((uintptr_t)lv->memcg->id << 2) |
	       (PageFlag(page, PG_workingset) ? 2 : 0) | 1;
}

/* workingset_test_recent - would a page of m evicted from node nid at
 * `eviction` still be in memory had the inactive list been as long as
 * the workingset on that node (Linux's workingset_test_recent)?
 * *distance gets the refault distance. */
static bool workingset_test_recent(struct mem_cgroup *m, int nid,
				   uint64_t eviction, bool file,
				   uint64_t *distance)
{
	uint64_t mask = UINTPTR_MAX >> SHADOW_TIME_SHIFT;
	uint64_t size = memcg_node_lru_pages(m, nid, LRU_ACTIVE_FILE);

	*distance = (m->lruvec[nid].nonresident_age - eviction) & mask;
	if (!file)
		size += memcg_node_lru_pages(m, nid, LRU_INACTIVE_FILE);
	if (mem_cgroup_nr_swap_pages(m) > 0) {
		size += memcg_node_lru_pages(m, nid, LRU_ACTIVE_ANON);
		if (file)
			size += memcg_node_lru_pages(m, nid,
						     LRU_INACTIVE_ANON);
	}
	return *distance <= size;
}

/* workingset_refault - see swap.h.  The distance is measured in the
 * group that evicted the page (the root if it is gone); the events are
 * the refaulting page's group's. */
void workingset_refault(struct page *page, uintptr_t shadow)
{
	bool file = !PageFlag(page, PG_swapbacked);
	uint64_t eviction = (uint64_t)shadow >> SHADOW_TIME_SHIFT, distance;
	struct mem_cgroup *m, *pm = page->memcg;
	unsigned int flags = file ? TRACE_REFAULT_FILE : 0;
	int nid = (int)((shadow >> SHADOW_NID_SHIFT) &
			((1U << NODES_SHIFT) - 1));

	if (!shadow)
		return;
	m = mem_cgroup_from_id((uint16_t)((shadow >> 2) &
					  ((1U << MEMCG_ID_BITS) - 1)));
	if (!m)
		m = &root_mem_cgroup;
	count_memcg_event(pm, file ? WORKINGSET_REFAULT_FILE :
				     WORKINGSET_REFAULT_ANON, 1);
	/* A textbook policy keeps its own order: nothing is activated. */
	if (nid >= nr_online_nodes)
		nid = 0;
	if (workingset_test_recent(m, nid, eviction, file, &distance) &&
	    !textbook_policy()) {
		flags |= TRACE_REFAULT_ACTIVATE;
		SetPageFlag(page, PG_active);
		workingset_age_nonresident(page_lruvec(page), 1);
		count_memcg_event(pm, file ? WORKINGSET_ACTIVATE_FILE :
					     WORKINGSET_ACTIVATE_ANON, 1);
		if (shadow & 2) {
			flags |= TRACE_REFAULT_RESTORE;
			SetPageFlag(page, PG_workingset);
			lru_note_cost(page_lruvec(page), file, 1, 0);
			count_memcg_event(pm, file ? WORKINGSET_RESTORE_FILE :
						     WORKINGSET_RESTORE_ANON, 1);
		}
	}
	trace_emit(TRACE_REFAULT, page_to_pfn(page), distance, flags);
}
