/*
 * workingset.c - refault distances (Linux's mm/workingset.c).
 *
 * The lruvec keeps a clock, nonresident_age, that ticks once per eviction
 * and once per activation.  An evicted page leaves a shadow entry in the
 * slot it left (here: its swap-cache slot) holding the clock at eviction
 * and whether it was part of the workingset (PG_workingset).  When the
 * page faults back in, the distance from that time to now is how many
 * pages were evicted or activated meanwhile: had the inactive list been
 * that much longer, the page would have stayed.  If the distance fits in
 * the workingset (the active lists, and the other kind's inactive list
 * where Linux counts it), the page is activated at once, and a page that
 * was in the workingset is "restored".
 */
#include "internal.h"
#include "mm/swap.h"
#include "kernel/trace.h"

/* A shadow: the eviction time above two bits, workingset in bit 1, and
 * bit 0 set so that it cannot be taken for a page (Linux's pack_shadow,
 * without a memcg or node id: there is one lruvec). */
#define SHADOW_TIME_SHIFT	2

/* workingset_age_nonresident - see swap.h. */
void workingset_age_nonresident(struct lruvec *lv, uint64_t nr)
{
	lv->nonresident_age += nr;
}

/* workingset_eviction - see swap.h. */
uintptr_t workingset_eviction(struct page *page)
{
	struct lruvec *lv = &lruvec;

	workingset_age_nonresident(lv, 1);
	return (uintptr_t)(lv->nonresident_age << SHADOW_TIME_SHIFT) |
	       (PageFlag(page, PG_workingset) ? 2 : 0) | 1;
}

/* workingset_test_recent - would a page evicted at `eviction` still be
 * in memory had the inactive list been as long as the workingset (Linux's
 * workingset_test_recent)?  *distance is the refault distance. */
static bool workingset_test_recent(struct lruvec *lv, uint64_t eviction,
				   bool file, uint64_t *distance)
{
	uint64_t mask = UINTPTR_MAX >> SHADOW_TIME_SHIFT;
	uint64_t size = lv->nr_pages[LRU_ACTIVE_FILE];

	if (!file)
		size += lv->nr_pages[LRU_INACTIVE_FILE];
	if (nr_swap_pages > 0) {
		size += lv->nr_pages[LRU_ACTIVE_ANON];
		if (file)
			size += lv->nr_pages[LRU_INACTIVE_ANON];
	}
	*distance = (lv->nonresident_age - eviction) & mask;
	return *distance <= size;
}

/* workingset_refault - see swap.h.  The trace's mm_workingset_refault
 * says what it decided. */
void workingset_refault(struct page *page, uintptr_t shadow)
{
	struct lruvec *lv = &lruvec;
	bool file = !PageFlag(page, PG_swapbacked);
	uint64_t eviction = (uint64_t)shadow >> SHADOW_TIME_SHIFT, distance;
	unsigned int how = file ? TRACE_REFAULT_FILE : 0;

	if (!shadow)
		return;
	count_vm_event(file ? WORKINGSET_REFAULT_FILE :
			      WORKINGSET_REFAULT_ANON);
	if (workingset_test_recent(lv, eviction, file, &distance)) {
		SetPageFlag(page, PG_active);
		workingset_age_nonresident(lv, 1);
		count_vm_event(file ? WORKINGSET_ACTIVATE_FILE :
				      WORKINGSET_ACTIVATE_ANON);
		how |= TRACE_REFAULT_ACTIVATE;
	}
	if ((how & TRACE_REFAULT_ACTIVATE) && (shadow & 2)) {
		SetPageFlag(page, PG_workingset);
		lru_note_cost(lv, file, 1, 0);
		count_vm_event(file ? WORKINGSET_RESTORE_FILE :
				      WORKINGSET_RESTORE_ANON);
		how |= TRACE_REFAULT_RESTORE;
	}
	trace_emit(TRACE_REFAULT, page_to_pfn(page), distance, how);
}
