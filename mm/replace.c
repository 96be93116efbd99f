/*
 * replace.c - the textbook page-replacement policies, which can stand in
 * for Linux's reclaim (vmscan.c) so that the same machine shows both:
 * FIFO, LRU (exact: the MMU stamps every reference, hw_track_references),
 * CLOCK (second chance on the accessed bit the MMU sets), random (seeded)
 * and OPT (Belady's: the page used farthest in the future, known while a
 * trace is replayed).
 *
 * Under a textbook policy reclaim takes one victim at a time from the
 * pages charged to the group being reclaimed (the whole machine for
 * global reclaim), and the fault path brings in exactly the page touched:
 * no zero page, no fault-around, no readahead (textbook_policy()).  So a
 * reference string replayed in a group of N frames takes the hits, misses
 * and victims of the textbook algorithm with N frames.
 */
#include <errno.h>
#include <string.h>
#include <stdlib.h>
#include "internal.h"
#include "mm/memcontrol.h"
#include "mm/replace.h"
#include "mm/swap.h"
#include "kernel/kernel.h"

const char *const reclaim_policy_names[NR_RECLAIM_POLICIES] = {
	[RP_LINUX] = "linux", [RP_FIFO] = "fifo", [RP_LRU] = "lru",
	[RP_CLOCK] = "clock", [RP_RANDOM] = "random", [RP_OPT] = "opt",
};

int reclaim_policy;
uint64_t reclaim_seed = 1;

/* Per frame: the order in which pages arrived (FIFO, CLOCK's hand order;
 * CLOCK moves a referenced page to the back), while a textbook policy is
 * on (a large calloc is mapped lazily: only frames used cost memory). */
static uint64_t *arrival;
static uint64_t arrival_clock;

/* Random's candidates, ranked for the pick (max_pfn of them, while
 * random is on or once was). */
struct ranked {
	struct page *page;
	uint64_t arrival;
	uint64_t seq;		/* the order the walk met it */
};
static struct ranked *ranked;
static uint64_t random_state;
static const struct replace_oracle *oracle;

/* replace_reset - see replace.h. */
void replace_reset(void)
{
	free(arrival);
	arrival = NULL;
	free(ranked);
	ranked = NULL;
	arrival_clock = 0;
	reclaim_policy = RP_LINUX;
	reclaim_seed = 1;
	random_state = 0;
	oracle = NULL;
	hw_track_references(&hw, false);
}

/* set_reclaim_policy - see replace.h. */
int set_reclaim_policy(int policy)
{
	if (policy < 0 || policy >= NR_RECLAIM_POLICIES)
		return kerror(EINVAL, "no such reclaim policy");
	if (policy == RP_OPT && !oracle)
		return kerror(EINVAL, "opt needs the future: only a replay "
			      "can use it (replay --policy opt)");
	if (policy != RP_LINUX && !arrival) {
		arrival = calloc(max_pfn, sizeof(*arrival));
		if (!arrival)
			return host_enomem();
	}
	if (policy == RP_RANDOM && !ranked) {
		ranked = calloc(max_pfn, sizeof(*ranked));
		if (!ranked)
			return host_enomem();
	}
	if ((policy == RP_LRU) != (hw.ref_stamp != NULL) &&
	    hw_track_references(&hw, policy == RP_LRU))
		return host_enomem();
	reclaim_policy = policy;
	random_state = reclaim_seed;
	return 0;
}

/* replace_set_oracle - see replace.h. */
void replace_set_oracle(const struct replace_oracle *o)
{
	oracle = o;
	if (!o && reclaim_policy == RP_OPT)
		set_reclaim_policy(RP_LINUX);
}

/* replace_note_arrival - see replace.h: the fault that brought the page
 * in is its first reference. */
void replace_note_arrival(struct page *page)
{
	uint64_t pfn = page_to_pfn(page);

	if (!arrival)
		return;
	arrival[pfn] = ++arrival_clock;
	if (hw.ref_stamp)
		hw.ref_stamp[pfn] = ++hw.ref_clock;
}

/* next_random - the seeded generator (xorshift64*). */
static uint64_t next_random(void)
{
	if (!random_state)
		random_state = 0x9e3779b97f4a7c15ULL;
	random_state ^= random_state >> 12;
	random_state ^= random_state << 25;
	random_state ^= random_state >> 27;
	return random_state * 0x2545f4914f6cdd1dULL;
}

/* next_use - when the page is referenced next (UINT64_MAX: never, or not
 * mapped where the oracle looks). */
static uint64_t next_use(struct page *page)
{
	struct mm_struct *mm;
	uint64_t va = page_address_in_mm(page, &mm);

	return mm ? oracle->next_use(oracle->ctx, mm, va) : UINT64_MAX;
}

/* key - the page's rank under the policy: the victim has the lowest. */
static inline uint64_t key(struct page *page)
{
	uint64_t pfn = page_to_pfn(page);

	switch (reclaim_policy) {
	case RP_LRU:
		return hw.ref_stamp[pfn];
	case RP_OPT:
		return UINT64_MAX - next_use(page);
	default:
		return arrival[pfn];
	}
}

/* may_go - may the policy take page, of a group that has swap (or not):
 * evictable (not mlocked), and with somewhere to go (a clean host-file
 * page; an anon page, if there is swap), not tried already in this
 * pass. */
static inline bool may_go(const struct page *page, bool swap,
			  const struct victim_search *vs)
{
	if (PageFlag(page, PG_mlocked))
		return false;
	for (unsigned int i = 0; i < vs->nr_tried; i++)
		if (vs->tried[i] == page)
			return false;
	if (PageSwapCache(page))
		return true;
	if (PageAnon(page))
		return swap;
	if (PageFlag(page, PG_swapbacked))	/* shmem: not swapped */
		return false;
	return page->mapping && !PageFlag(page, PG_dirty);
}

/* candidate - may_go, the group's swap looked up. */
static bool candidate(const struct page *page, const struct victim_search *vs)
{
	return may_go(page, mem_cgroup_nr_swap_pages(page->memcg) > 0, vs);
}

/* lowest - the candidate of target's subtree with the lowest key, and
 * how many candidates there are. */
static struct page *lowest(struct mem_cgroup *target,
			   const struct victim_search *vs, uint64_t *count)
{
	struct mem_cgroup *m = NULL;
	struct page *best = NULL;
	uint64_t best_key = UINT64_MAX;

	*count = 0;
	while ((m = mem_cgroup_iter(target, m))) {
		bool swap = mem_cgroup_nr_swap_pages(m) > 0;

		for (int l = 0; l < LRU_UNEVICTABLE; l++) {
			struct list_head *pos;

			list_for_each(pos, &m->lruvec.lists[l]) {
				struct page *p = list_entry(pos, struct page,
							    lru);
				uint64_t k;

				if (!may_go(p, swap, vs))
					continue;
				(*count)++;
				k = key(p);
				if (!best || k < best_key) {
					best = p;
					best_key = k;
				}
			}
		}
	}
	return best;
}

/* oldest - the candidate of target's subtree that arrived first.  Under a
 * textbook policy a list is in arrival order (pages are added at its
 * head and never rotated; CLOCK moves a page it passes to the head), so
 * each list's oldest candidate is the first from its tail. */
static struct page *oldest(struct mem_cgroup *target,
			   const struct victim_search *vs)
{
	struct mem_cgroup *m = NULL;
	struct page *best = NULL;

	while ((m = mem_cgroup_iter(target, m)))
		for (int l = 0; l < LRU_UNEVICTABLE; l++) {
			struct list_head *pos;

			for (pos = m->lruvec.lists[l].prev;
			     pos != &m->lruvec.lists[l]; pos = pos->prev) {
				struct page *p = list_entry(pos, struct page,
							    lru);

				if (!candidate(p, vs))
					continue;
				if (!best || arrival[page_to_pfn(p)] <
					     arrival[page_to_pfn(best)])
					best = p;
				break;
			}
		}
	return best;
}

/* ranked_before - does a come before b in arrival order (pages that
 * arrived together, as all those present when a textbook policy was
 * switched on, in the order the walk met them)? */
static bool ranked_before(const struct ranked *a, const struct ranked *b)
{
	return a->arrival != b->arrival ? a->arrival < b->arrival :
					  a->seq < b->seq;
}

/* select_nth - the page of r[0..count) that k others come before
 * (Hoare's quickselect: linear on average, r reordered). */
static struct page *select_nth(struct ranked *r, uint64_t count, uint64_t k)
{
	int64_t lo = 0, hi = (int64_t)count - 1, at = (int64_t)k;

	while (lo < hi) {
		struct ranked pivot = r[lo + (hi - lo) / 2], tmp;
		int64_t i = lo, j = hi;

		while (i <= j) {
			while (ranked_before(&r[i], &pivot))
				i++;
			while (ranked_before(&pivot, &r[j]))
				j--;
			if (i <= j) {
				tmp = r[i];
				r[i++] = r[j];
				r[j--] = tmp;
			}
		}
		if (at <= j)
			hi = j;
		else if (at >= i)
			lo = i;
		else
			break;	/* r[at] is the pivot, in its place */
	}
	return r[at].page;
}

/* nth - the candidate at index n (< the number of candidates) in
 * arrival order.  Ranking each candidate by a scan of the others would
 * be quadratic: they are gathered, then selected. */
static struct page *nth(struct mem_cgroup *target,
			const struct victim_search *vs, uint64_t n)
{
	struct mem_cgroup *m = NULL;
	uint64_t count = 0;

	while ((m = mem_cgroup_iter(target, m)))
		for (int l = 0; l < LRU_UNEVICTABLE; l++) {
			struct list_head *pos;

			list_for_each(pos, &m->lruvec.lists[l]) {
				struct page *p = list_entry(pos, struct page,
							    lru);

				if (!candidate(p, vs))
					continue;
				ranked[count] = (struct ranked){
					p, arrival[page_to_pfn(p)], count };
				count++;
			}
		}
	return n < count ? select_nth(ranked, count, n) : NULL;
}

/* replace_pick_victim - see replace.h. */
struct page *replace_pick_victim(struct mem_cgroup *target,
				 struct victim_search *vs)
{
	struct page *page;
	uint64_t count, vm_flags;

	if (!target)
		target = &root_mem_cgroup;
	if (reclaim_policy == RP_FIFO)
		return oldest(target, vs);
	if (reclaim_policy == RP_CLOCK) {
		/* The hand passes over referenced pages, clearing their
		 * bits: a second chance, at the back of the circle. */
		while ((page = oldest(target, vs)) &&
		       page_referenced(page, &vm_flags)) {
			arrival[page_to_pfn(page)] = ++arrival_clock;
			lru_move(page, page_lru(page));
		}
		return page;
	}
	page = lowest(target, vs, &count);
	if (page && reclaim_policy == RP_RANDOM)
		return nth(target, vs, next_random() % count);
	return page;
}
