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
 *
 * LRU finds its victim in a min-heap per group of the pages on the
 * group's evictable lists (kept by lru_cache_add and lru_del), keyed by
 * reference stamp.  The hardware stamps every reference and the heap is
 * not told: a key is the stamp when the page was last looked at, never
 * more than its stamp now, so the victim is found by refreshing the top
 * until the top's key is its stamp (the lazy heap): O(log n) a refresh,
 * where the scan of every page was O(n) an eviction.  Pages stamped 0
 * (resident before the policy was chosen, never referenced since) tie,
 * and the scan breaks ties by list order: a pick among them, or a pick
 * the heap cannot make cheaply, is the scan's.
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

/* LRU's heaps (see the header comment): per group id, the pages on the
 * group's evictable lists, each with its key; per frame, the page's
 * index in its group's heap plus one (0: in none). */
struct lru_slot {
	uint64_t key;
	struct page *page;
};
struct lru_heap {
	struct lru_slot *slot;
	uint32_t n, cap;
};
static struct lru_heap heaps[MEMCG_MAX_ID];
static uint32_t *heap_pos;
bool lru_heaps_on;
#define ASIDE_MAX	64	/* non-candidates a pick sets aside at most */

static void lru_heaps_free(void);
static void lru_heaps_build(void);

/* replace_reset - see replace.h. */
void replace_reset(void)
{
	lru_heaps_free();
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
	if (policy != RP_LRU)
		lru_heaps_free();
	reclaim_policy = policy;
	random_state = reclaim_seed;
	if (policy == RP_LRU && !lru_heaps_on)
		lru_heaps_build();
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

/* ---- LRU's heaps ---- */

/* heap_of - the heap of the group page is charged to. */
static inline struct lru_heap *heap_of(const struct page *page)
{
	return &heaps[page_memcg_or_root(page)->id];
}

/* heap_put - slot s at index i of h, its page told where. */
static inline void heap_put(struct lru_heap *h, uint32_t i, struct lru_slot s)
{
	h->slot[i] = s;
	heap_pos[page_to_pfn(s.page)] = i + 1;
}

/* sift_up - move the slot at i up to its place. */
static void sift_up(struct lru_heap *h, uint32_t i)
{
	struct lru_slot s = h->slot[i];

	while (i && h->slot[(i - 1) / 2].key > s.key) {
		heap_put(h, i, h->slot[(i - 1) / 2]);
		i = (i - 1) / 2;
	}
	heap_put(h, i, s);
}

/* sift_down - move the slot at i down to its place. */
static void sift_down(struct lru_heap *h, uint32_t i)
{
	struct lru_slot s = h->slot[i];

	for (;;) {
		uint32_t c = 2 * i + 1;

		if (c >= h->n)
			break;
		if (c + 1 < h->n && h->slot[c + 1].key < h->slot[c].key)
			c++;
		if (h->slot[c].key >= s.key)
			break;
		heap_put(h, i, h->slot[c]);
		i = c;
	}
	heap_put(h, i, s);
}

/* heap_push - s into h.  false when the host is out of memory. */
static bool heap_push(struct lru_heap *h, struct lru_slot s)
{
	if (h->n == h->cap) {
		uint32_t cap = h->cap ? 2 * h->cap : 64;
		struct lru_slot *n = realloc(h->slot, cap * sizeof(*n));

		if (!n)
			return false;
		h->slot = n;
		h->cap = cap;
	}
	heap_put(h, h->n++, s);
	sift_up(h, h->n - 1);
	return true;
}

/* heap_remove - the slot at i out of h; returns it. */
static struct lru_slot heap_remove(struct lru_heap *h, uint32_t i)
{
	struct lru_slot s = h->slot[i];

	heap_pos[page_to_pfn(s.page)] = 0;
	if (i != --h->n) {
		heap_put(h, i, h->slot[h->n]);
		if (i && h->slot[(i - 1) / 2].key > h->slot[i].key)
			sift_up(h, i);
		else
			sift_down(h, i);
	}
	return s;
}

/* lru_heaps_free - the heaps gone: the policy is not LRU, or the host
 * ran out of memory for them (picks then scan). */
static void lru_heaps_free(void)
{
	for (int id = 0; id < MEMCG_MAX_ID; id++) {
		free(heaps[id].slot);
		heaps[id] = (struct lru_heap){ NULL, 0, 0 };
	}
	free(heap_pos);
	heap_pos = NULL;
	lru_heaps_on = false;
}

/* lru_heaps_build - a heap for every group, of the pages on its evictable
 * lists; none if the host is out of memory. */
static void lru_heaps_build(void)
{
	struct mem_cgroup *m = NULL;

	heap_pos = calloc(max_pfn, sizeof(*heap_pos));
	if (!heap_pos)
		return;
	lru_heaps_on = true;
	while ((m = mem_cgroup_iter(&root_mem_cgroup, m)))
		for (int nid = 0; nid < nr_online_nodes; nid++)
		for (int l = 0; l < LRU_UNEVICTABLE; l++) {
			struct list_head *pos;

			list_for_each(pos, &m->lruvec[nid].lists[l])
				replace_lru_add(list_entry(pos, struct page,
							   lru));
		}
}

/* replace_lru_add - see replace.h. */
void replace_lru_add(struct page *page)
{
	struct lru_slot s = { hw.ref_stamp[page_to_pfn(page)], page };

	if (!heap_push(heap_of(page), s))
		lru_heaps_free();
}

/* replace_lru_del - see replace.h. */
void replace_lru_del(struct page *page)
{
	uint32_t i = heap_pos[page_to_pfn(page)];

	if (i)
		heap_remove(heap_of(page), i - 1);
}

/* replace_check_lruvec - see replace.h. */
const char *replace_check_lruvec(struct mem_cgroup *m)
{
	struct lru_heap *h = &heaps[m->id];
	uint64_t on_lists = 0;

	if (!lru_heaps_on)
		return NULL;
	for (int nid = 0; nid < nr_online_nodes; nid++)
		for (int l = 0; l < LRU_UNEVICTABLE; l++)
			on_lists += m->lruvec[nid].nr_pages[l];
	if (h->n != on_lists)
		return "LRU heap: not the pages of the evictable lists";
	for (uint32_t i = 0; i < h->n; i++) {
		struct page *p = h->slot[i].page;
		uint64_t pfn = page_to_pfn(p);

		if (heap_pos[pfn] != i + 1 || heap_of(p) != h ||
		    !PageLRU(p) || page_lru(p) >= LRU_UNEVICTABLE)
			return "LRU heap: a page misplaced";
		if (h->slot[i].key > hw.ref_stamp[pfn])
			return "LRU heap: a key above the page's stamp";
		if (i && h->slot[(i - 1) / 2].key > h->slot[i].key)
			return "LRU heap: out of order";
	}
	return NULL;
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

/* for_each_candidate - fn(page, arg) for each candidate of target's
 * subtree in the scan's order (groups in pre-order, each list from its
 * head), until fn returns false.  false if fn stopped it.  Inlined, so
 * that fn is too. */
static __always_inline bool
for_each_candidate(struct mem_cgroup *target, const struct victim_search *vs,
		   bool (*fn)(struct page *page, void *arg), void *arg)
{
	struct mem_cgroup *m = NULL;

	while ((m = mem_cgroup_iter(target, m))) {
		bool swap = mem_cgroup_nr_swap_pages(m) > 0;

		for (int nid = 0; nid < nr_online_nodes; nid++)
		for (int l = 0; l < LRU_UNEVICTABLE; l++) {
			struct list_head *pos;

			list_for_each(pos, &m->lruvec[nid].lists[l]) {
				struct page *p = list_entry(pos, struct page,
							    lru);

				if (may_go(p, swap, vs) && !fn(p, arg))
					return false;
			}
		}
	}
	return true;
}

/* The scan of lowest: the best so far. */
struct lowest_scan {
	struct page *best;
	uint64_t best_key;
};

/* scan_lowest - for_each_candidate's step of lowest. */
static bool scan_lowest(struct page *p, void *arg)
{
	struct lowest_scan *ls = arg;
	uint64_t k = key(p);

	if (!ls->best || k < ls->best_key) {
		ls->best = p;
		ls->best_key = k;
	}
	return true;
}

/* lowest - the candidate of target's subtree with the lowest key. */
static struct page *lowest(struct mem_cgroup *target,
			   const struct victim_search *vs)
{
	struct lowest_scan ls = { NULL, UINT64_MAX };

	for_each_candidate(target, vs, scan_lowest, &ls);
	return ls.best;
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
		for (int nid = 0; nid < nr_online_nodes; nid++)
		for (int l = 0; l < LRU_UNEVICTABLE; l++) {
			struct list_head *head = &m->lruvec[nid].lists[l];
			struct list_head *pos;

			for (pos = head->prev; pos != head; pos = pos->prev) {
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

/* rank_one - for_each_candidate's step of random_victim: p ranked, in
 * the order the walk met it; the count in *arg. */
static bool rank_one(struct page *p, void *arg)
{
	uint64_t *count = arg;

	ranked[*count] = (struct ranked){ p, arrival[page_to_pfn(p)], *count };
	(*count)++;
	return true;
}

/* heap_lowest - the candidate of h with the lowest stamp, its stamp in
 * *stamp; NULL with *stamp 0 if h has none; NULL with *stamp UINT64_MAX
 * if more than ASIDE_MAX non-candidates come first (the caller scans).
 * Refreshes keys on the way (see the header comment). */
static struct page *heap_lowest(struct lru_heap *h, bool swap,
				const struct victim_search *vs,
				uint64_t *stamp)
{
	struct lru_slot aside[ASIDE_MAX];
	struct page *found = NULL;
	unsigned int nr_aside = 0;

	*stamp = 0;
	while (h->n) {
		struct lru_slot *top = &h->slot[0];
		uint64_t now = hw.ref_stamp[page_to_pfn(top->page)];

		if (top->key != now) {
			top->key = now;
			sift_down(h, 0);
			continue;
		}
		if (may_go(top->page, swap, vs)) {
			found = top->page;
			*stamp = now;
			break;
		}
		if (nr_aside == ASIDE_MAX) {
			*stamp = UINT64_MAX;
			break;
		}
		aside[nr_aside++] = heap_remove(h, 0);
	}
	while (nr_aside)	/* fits: they were in h */
		heap_push(h, aside[--nr_aside]);
	return found;
}

/* lru_victim - LRU's victim in target's subtree, from the heaps, or by the
 * scan where the heaps cannot tell (see the header comment). */
static struct page *lru_victim(struct mem_cgroup *target,
			       struct victim_search *vs)
{
	struct mem_cgroup *m = NULL;
	struct page *best = NULL, *p;
	uint64_t best_stamp = UINT64_MAX, stamp;

	if (!lru_heaps_on)
		return lowest(target, vs);
	while ((m = mem_cgroup_iter(target, m))) {
		p = heap_lowest(&heaps[m->id], mem_cgroup_nr_swap_pages(m) > 0,
				vs, &stamp);
		if (!p && stamp)
			return lowest(target, vs);
		if (p && stamp < best_stamp) {
			best = p;
			best_stamp = stamp;
		}
	}
	return best && !best_stamp ? lowest(target, vs) : best;
}

/* random_victim - a candidate of target's subtree drawn by the seeded
 * generator: its index in arrival order; NULL when there is none.
 * Ranking each candidate by a scan of the others would be quadratic:
 * they are gathered, then selected. */
static struct page *random_victim(struct mem_cgroup *target,
				  const struct victim_search *vs)
{
	uint64_t count = 0;

	for_each_candidate(target, vs, rank_one, &count);
	return count ? select_nth(ranked, count, next_random() % count) : NULL;
}

/* replace_pick_victim - see replace.h. */
struct page *replace_pick_victim(struct mem_cgroup *target,
				 struct victim_search *vs)
{
	struct page *page;
	uint64_t vm_flags;

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
	if (reclaim_policy == RP_LRU)
		return lru_victim(target, vs);
	if (reclaim_policy == RP_RANDOM)
		return random_victim(target, vs);
	return lowest(target, vs);
}
