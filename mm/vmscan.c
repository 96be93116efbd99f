/*
 * vmscan.c - page reclaim (Linux's mm/vmscan.c, the two-list LRU that
 * Linux runs without MGLRU): kswapd between the watermarks, direct
 * reclaim when an allocation finds every zone below min, and the reclaim
 * a user asks for (the reclaim command, madvise pageout).
 *
 * Reclaim scans the inactive lists from their tails.  A page whose
 * entries were accessed since the last look (page_referenced clears the
 * bits the MMU set) gets another trip, or is activated if it was seen
 * before; an unreferenced one is unmapped from every process (rmap),
 * written to swap if it is an anon page (the swap cache gives it a slot)
 * and freed, leaving a shadow for refault detection.  The active lists
 * are aged into the inactive ones when those get short.  How much of each
 * kind is scanned follows get_scan_count: swappiness against the cost
 * reclaim paid recently for each kind.
 *
 * Reclaim works a node at a time (shrink_node): each group has its lists
 * on every node, and a node's pass scans only those.  Each node has its
 * kswapd, which balances that node's zones.  A kswapd runs synchronously,
 * at the next return to user mode of whatever woke it (the end of the
 * fault or command whose allocation left a zone below its low
 * watermark), the nodes in order: the machine stays deterministic.
 */
#include <errno.h>
#include <string.h>
#include "internal.h"
#include "mm/writeback.h"
#include "mm/slab.h"
#include "mm/swap.h"
#include "mm/memcontrol.h"
#include "mm/replace.h"
#include "kernel/kernel.h"
#include "kernel/sched.h"
#include "kernel/time.h"
#include "kernel/trace.h"

#define DEF_PRIORITY		12
#define MAX_SWAPPINESS		200

enum reclaimer { RECLAIMER_KSWAPD, RECLAIMER_DIRECT, RECLAIMER_PROACTIVE };

#define DEACTIVATE_ANON	1
#define DEACTIVATE_FILE	2

struct scan_control {
	struct mem_cgroup *target;	/* the group reclaimed for; NULL: the
					 * whole node (global reclaim) */
	uint64_t nr_to_reclaim;
	int priority;
	enum reclaimer who;
	bool may_writepage, may_unmap, may_swap;
	unsigned int may_deactivate;
	bool force_deactivate, skipped_deactivate;
	bool cache_trim_mode, file_is_tiny;
	uint64_t anon_cost, file_cost;
	uint64_t nr_scanned, nr_reclaimed;
	enum zone_type reclaim_idx;	/* the highest zone reclaimed for */
	unsigned int nodes_reclaimed;	/* nodes shrink_node freed on */
};

enum page_references {
	PAGEREF_RECLAIM,
	PAGEREF_RECLAIM_CLEAN,
	PAGEREF_KEEP,
	PAGEREF_ACTIVATE,
};

/* scan_control_for - a reclaim by who, for nr_to_reclaim pages, starting
 * at DEF_PRIORITY, allowed to unmap, swap and write. */
static struct scan_control scan_control_for(enum reclaimer who,
					    uint64_t nr_to_reclaim)
{
	return (struct scan_control){
		.nr_to_reclaim = nr_to_reclaim,
		.priority = DEF_PRIORITY,
		.who = who,
		.may_writepage = true,
		.may_unmap = true,
		.may_swap = true,
		.reclaim_idx = MAX_NR_ZONES - 1,
	};
}

/* nr_kswapd_woken - how many nodes have kswapd.woken set, so that the
 * return to user mode looks at the nodes only when one was woken. */
static unsigned int nr_kswapd_woken;

/* kswapd_reset - see swap.h. */
void kswapd_reset(int nid, struct task_struct *task)
{
	NODE_DATA(nid)->kswapd = (struct kswapd_state){ .task = task };
	nr_kswapd_woken = 0;
	for (int n = 0; n < MAX_NUMNODES; n++)
		nr_kswapd_woken += NODE_DATA(n)->kswapd.woken;
}

/* lruvec_memcg - the group whose lists lv holds (Linux's lruvec_memcg). */
static struct mem_cgroup *lruvec_memcg(struct lruvec *lv)
{
	return lv->memcg;
}

/* reclaim_event - a scan or steal count of this reclaimer: the group's,
 * and the node's unless the reclaim is a group's (Linux counts
 * pgscan_direct and friends globally for global reclaim only). */
static void reclaim_event(const struct scan_control *sc, struct lruvec *lv,
			  enum vm_event_item item, uint64_t n)
{
	lruvec_memcg(lv)->events[item] += n;
	if (!sc->target)
		count_vm_events(item, n);
}

/* scan_event / steal_event - the counters of this reclaimer. */
static enum vm_event_item scan_event(const struct scan_control *sc)
{
	return sc->who == RECLAIMER_KSWAPD ? PGSCAN_KSWAPD :
	       sc->who == RECLAIMER_DIRECT ? PGSCAN_DIRECT : PGSCAN_PROACTIVE;
}

static enum vm_event_item steal_event(const struct scan_control *sc)
{
	return sc->who == RECLAIMER_KSWAPD ? PGSTEAL_KSWAPD :
	       sc->who == RECLAIMER_DIRECT ? PGSTEAL_DIRECT : PGSTEAL_PROACTIVE;
}

/* int_sqrt - floor(sqrt(x)). */
static uint64_t int_sqrt(uint64_t x)
{
	uint64_t r = 0;

	while ((r + 1) * (r + 1) <= x)
		r++;
	return r;
}

/* own_evictable - the pages on m's own evictable lists on node nid. */
static uint64_t own_evictable(const struct mem_cgroup *m, int nid)
{
	uint64_t n = 0;

	for (int l = 0; l < LRU_UNEVICTABLE; l++)
		n += m->lruvec[nid].nr_pages[l];
	return n;
}

/* evictable_but - the pages on the evictable lists of m's subtree on
 * node nid, less those of the subtree of skip (a child of m, or NULL). */
static uint64_t evictable_but(struct mem_cgroup *m, int nid,
			      const struct mem_cgroup *skip)
{
	uint64_t n = own_evictable(m, nid);
	struct list_head *l;

	list_for_each(l, &m->children) {
		struct mem_cgroup *child = list_entry(l, struct mem_cgroup,
						      sibling), *c = NULL;

		if (child == skip)
			continue;
		while ((c = mem_cgroup_iter(child, c)))
			n += own_evictable(c, nid);
	}
	return n;
}

/* lru_note_cost - see swap.h (Linux's lru_note_cost): an I/O costs a
 * cluster's worth of rotations, noted in the lists of the group and its
 * ancestors on lv's node; old costs decay by half once they exceed a
 * quarter of the group's LRU there (its subtree's evictable pages on the
 * node: each ancestor's is the one below it plus what its other children
 * and it hold, so the walk reads each group once). */
void lru_note_cost(struct lruvec *lv, bool file, uint64_t nr_io,
		   uint64_t nr_rotated)
{
	uint64_t cost = nr_io * SWAP_CLUSTER_MAX + nr_rotated, lrusize = 0;
	struct mem_cgroup *m, *below = NULL;
	int nid = lv->nid;

	for (m = lruvec_memcg(lv); m; below = m, m = m->parent) {
		struct lruvec *l = &m->lruvec[nid];

		if (file)
			l->file_cost += cost;
		else
			l->anon_cost += cost;
		lrusize += evictable_but(m, nid, below);
		if (l->file_cost + l->anon_cost > lrusize / 4) {
			l->file_cost /= 2;
			l->anon_cost /= 2;
		}
	}
}

/* inactive_is_low - is the inactive list of a kind short against its
 * active list in m's subtree on node nid (local: m's own lists there):
 * inactive * sqrt(10 * GiB of the kind) < active (Linux's
 * inactive_is_low)? */
static bool inactive_is_low(struct mem_cgroup *m, int nid,
			    enum lru_list inactive, bool local)
{
	uint64_t in = local ? m->lruvec[nid].nr_pages[inactive] :
			      memcg_node_lru_pages(m, nid, inactive);
	uint64_t act = local ? m->lruvec[nid].nr_pages[inactive + 1] :
			       memcg_node_lru_pages(m, nid, inactive + 1);
	uint64_t gb = (in + act) >> (30 - PAGE_SHIFT);
	uint64_t ratio = gb ? int_sqrt(10 * gb) : 1;

	return in * ratio < act;
}

/* can_reclaim_anon_pages - is there swap that m's pages may go to? */
static bool can_reclaim_anon_pages(const struct mem_cgroup *m)
{
	return mem_cgroup_nr_swap_pages(m) > 0;
}

/* isolate_lru_pages - take up to nr_to_scan pages from the tail of lru
 * onto dst, each with a reference (Linux's isolate_lru_folios).  Returns
 * the pages taken (all scanned pages are taken here). */
static uint64_t isolate_lru_pages(struct lruvec *lv, enum lru_list lru,
				  uint64_t nr_to_scan, struct list_head *dst)
{
	uint64_t n = 0;

	while (n < nr_to_scan && !list_empty(&lv->lists[lru])) {
		struct page *page = list_last_entry(&lv->lists[lru],
						    struct page, lru);

		lru_del(page);
		get_page(page);
		list_add(&page->lru, dst);
		n++;
	}
	return n;
}

/* putback_page - an isolated page goes back to the head of the list its
 * flags name, and the isolation's reference is dropped (Linux's
 * move_folios_to_lru); an activation ages the nonresident clock.
 * Returns 1 if the page went back. */
static uint64_t putback_page(struct page *page)
{
	list_del(&page->lru);
	if (page->refcount == 1) {	/* nobody else holds it: free it */
		put_page(page);
		return 0;
	}
	lru_cache_add(page, page_lru(page));
	if (PageFlag(page, PG_active))
		workingset_age_nonresident(page_lruvec(page), 1);
	put_page(page);
	return 1;
}

/* putback_list - every page of list back on its LRU, from the list's
 * tail, each to the head of its LRU; returns how many went back. */
static uint64_t putback_list(struct list_head *list)
{
	uint64_t n = 0;

	while (!list_empty(list))
		n += putback_page(list_last_entry(list, struct page, lru));
	return n;
}

/* page_evictable - may reclaim take it (Linux's folio_evictable)? */
static bool page_evictable(const struct page *page)
{
	return !PageFlag(page, PG_mlocked);
}

/* page_is_file_lru - a page of the file lists (not swap-backed)? */
static bool page_is_file_lru(const struct page *page)
{
	return !PageFlag(page, PG_swapbacked);
}

/* check_references - what to do with an inactive page after a look at
 * its accessed bits (Linux's folio_check_references). */
static enum page_references check_references(struct page *page)
{
	uint64_t vm_flags;
	int ptes = page_referenced(page, &vm_flags);
	bool referenced = PageFlag(page, PG_referenced);

	ClearPageFlag(page, PG_referenced);
	if (vm_flags & VM_LOCKED)
		return PAGEREF_ACTIVATE;
	if (ptes) {
		/* Mapped pages start with the reference of their fault:
		 * look twice before activating. */
		SetPageFlag(page, PG_referenced);
		if (referenced || ptes > 1)
			return PAGEREF_ACTIVATE;
		if ((vm_flags & VM_EXEC) && page_is_file_lru(page))
			return PAGEREF_ACTIVATE;
		return PAGEREF_KEEP;
	}
	if (referenced && page_is_file_lru(page))
		return PAGEREF_RECLAIM_CLEAN;
	return PAGEREF_RECLAIM;
}

/* is_host_file_page - a page of a host file's cache. */
static bool is_host_file_page(const struct page *page)
{
	const struct address_space *m = page->mapping;

	return m && !PageAnon(page) && !PageSwapCache(page) && !m->shmem;
}

/* is_shmem_page - a page of a shmem object's cache. */
static bool is_shmem_page(const struct page *page)
{
	const struct address_space *m = page->mapping;

	return m && !PageAnon(page) && !PageSwapCache(page) && m->shmem;
}

/* evict_reason - TRACE_EVICT's c: the list the page left, the policy
 * that chose it, and whether it was in the workingset. */
static uint64_t evict_reason(const struct page *page)
{
	return (uint64_t)page_lru(page) | (uint64_t)reclaim_policy << 8 |
	       (PageFlag(page, PG_workingset) ? TRACE_EVICT_WORKINGSET : 0);
}

/* remove_mapping - free an unmapped, clean page from its cache if nobody
 * else holds it (refcount: the cache's and the isolation's), leaving a
 * shadow in a swap-cache slot (Linux's __remove_mapping), or a lazyfree
 * page nobody wrote again (pglazyfreed); address is where it was mapped
 * last, for the trace.  True if it may be freed. */
static bool remove_mapping(struct page *page, uint64_t address)
{
	/* A lazyfree page: only the isolation holds it, nothing wrote it. */
	if (PageAnon(page) && !PageFlag(page, PG_swapbacked)) {
		if (page->refcount != 1 || page->mapcount ||
		    PageFlag(page, PG_dirty))
			return false;
		trace_emit4(TRACE_EVICT, page_to_pfn(page), 0,
			    evict_reason(page), address);
		count_memcg_event(page->memcg, PGLAZYFREED, 1);
		return true;
	}
	if (page->refcount != 2 || page->mapcount || PageFlag(page, PG_dirty))
		return false;
	if (PageSwapCache(page)) {
		swp_entry_t e = { page->private };

		trace_emit4(TRACE_EVICT, page_to_pfn(page), e.val,
			    evict_reason(page), address);
		delete_from_swap_cache(page, workingset_eviction(page));
		return true;
	}
	if (!is_host_file_page(page) && !is_shmem_page(page))
		return false;
	trace_emit4(TRACE_EVICT, page_to_pfn(page), 0, evict_reason(page),
		    address);
	/* A clean shmem page was never written: it is zeroes again at its
	 * next fault, and leaves no shadow (Linux's __remove_mapping). */
	__delete_from_page_cache(page, is_shmem_page(page) ? 0 :
				 workingset_eviction(page));
	return true;
}

/* pageout - write a dirty page to where it lives when not in memory: its
 * swap slot (a shmem page gets one), or its file's written copy (Linux's
 * pageout).  0, or -ENOMEM leaving it dirty. */
static int pageout(struct page *page)
{
	if (is_shmem_page(page))
		return shmem_writepage(page);
	if (!PageSwapCache(page))
		return filemap_writepage(page);
	ClearPageFlag(page, PG_dirty);
	swap_writepage(page);
	return 0;
}

struct reclaim_stat {
	uint64_t nr_pageout;
	uint64_t nr_activate[2];
};

/* shrink_page - try to free one isolated inactive page (the body of
 * Linux's shrink_folio_list).  Returns true if it was freed (the
 * isolation's reference is then dropped); false leaves it isolated, with
 * PG_active set if it should be activated. */
static bool shrink_page(struct page *page, struct scan_control *sc,
			struct reclaim_stat *stat, bool ignore_references)
{
	enum page_references ref = PAGEREF_RECLAIM;
	uint64_t address = 0;

	if (!page_evictable(page))
		goto activate;
	if (!sc->may_unmap && page->mapcount)
		return false;
	if (!ignore_references) {
		ref = check_references(page);
		if (ref == PAGEREF_ACTIVATE)
			goto activate;
		if (ref == PAGEREF_KEEP)
			return false;
	}
	if (PageAnon(page) && PageFlag(page, PG_swapbacked) &&
	    !PageSwapCache(page)) {
		if (!sc->may_swap || !add_to_swap(page))
			goto activate;
	}
	if (page->mapcount && !try_to_unmap(page, &address))
		goto activate;
	if (PageFlag(page, PG_dirty)) {
		if (ref == PAGEREF_RECLAIM_CLEAN || !sc->may_writepage)
			return false;
		if (is_shmem_page(page) && !sc->may_swap)
			goto activate;
		if (pageout(page))
			goto activate;
		count_vm_event(NR_VMSCAN_WRITE);
		stat->nr_pageout++;
	}
	if (!remove_mapping(page, address))
		return false;
	put_page(page);
	return true;
activate:
	if (PageSwapCache(page) && (vm_swap_full() ||
				    PageFlag(page, PG_mlocked)))
		try_to_free_swap(page);
	if (!PageFlag(page, PG_mlocked)) {
		SetPageFlag(page, PG_active);
		stat->nr_activate[page_is_file_lru(page)]++;
		count_memcg_event(page->memcg, PGACTIVATE, 1);
	}
	return false;
}

/* shrink_page_list - shrink_page on every page of list, from its tail
 * (Linux's shrink_folio_list); the pages kept are left on it, in the
 * order putback_list keeps.  Returns the pages freed. */
static uint64_t shrink_page_list(struct list_head *list,
				 struct scan_control *sc,
				 struct reclaim_stat *stat,
				 bool ignore_references)
{
	struct list_head keep = LIST_HEAD_INIT(keep);
	uint64_t freed = 0;

	while (!list_empty(list)) {
		struct page *page = list_last_entry(list, struct page, lru);

		sc->nr_scanned++;
		list_del(&page->lru);
		if (shrink_page(page, sc, stat, ignore_references))
			freed++;
		else
			list_add(&page->lru, &keep);
	}
	while (!list_empty(&keep)) {
		struct page *page = list_last_entry(&keep, struct page, lru);

		list_del(&page->lru);
		list_add(&page->lru, list);
	}
	return freed;
}

/* shrink_inactive_list - scan nr_to_scan pages from the tail of an
 * inactive list (Linux's shrink_inactive_list). Returns the pages freed. */
static uint64_t shrink_inactive_list(struct lruvec *lv, enum lru_list lru,
				     uint64_t nr_to_scan,
				     struct scan_control *sc)
{
	struct list_head list = LIST_HEAD_INIT(list);
	struct reclaim_stat stat = { 0 };
	bool file = is_file_lru(lru);
	uint64_t taken, freed;

	taken = isolate_lru_pages(lv, lru, nr_to_scan, &list);
	if (!taken)
		return 0;
	reclaim_event(sc, lv, scan_event(sc), taken);
	count_vm_events(file ? PGSCAN_FILE : PGSCAN_ANON, taken);
	freed = shrink_page_list(&list, sc, &stat, false);
	putback_list(&list);
	account_system_time(freed * (uint64_t)sim_costs.reclaim_page);
	reclaim_event(sc, lv, steal_event(sc), freed);
	count_vm_events(file ? PGSTEAL_FILE : PGSTEAL_ANON, freed);
	lru_note_cost(lv, file, stat.nr_pageout, taken - freed);
	sc->nr_reclaimed += freed;
	return freed;
}

/* shrink_active_list - age nr_to_scan pages from the tail of an active
 * list into the inactive one; referenced executable file pages get
 * another trip (Linux's shrink_active_list). */
static void shrink_active_list(struct lruvec *lv, enum lru_list lru,
			       uint64_t nr_to_scan, struct scan_control *sc)
{
	struct list_head hold = LIST_HEAD_INIT(hold);
	struct list_head active = LIST_HEAD_INIT(active);
	struct list_head inactive = LIST_HEAD_INIT(inactive);
	uint64_t taken, rotated = 0;
	bool file = is_file_lru(lru);

	(void)sc;
	taken = isolate_lru_pages(lv, lru, nr_to_scan, &hold);
	count_memcg_event(lruvec_memcg(lv), PGREFILL, taken);
	while (!list_empty(&hold)) {
		struct page *page = list_last_entry(&hold, struct page, lru);
		uint64_t vm_flags;

		list_del(&page->lru);
		if (!page_evictable(page)) {
			list_add(&page->lru, &inactive);
			continue;
		}
		if (page_referenced(page, &vm_flags) && (vm_flags & VM_EXEC) &&
		    page_is_file_lru(page)) {
			rotated++;
			list_add(&page->lru, &active);
			continue;
		}
		ClearPageFlag(page, PG_active);
		SetPageFlag(page, PG_workingset);
		list_add(&page->lru, &inactive);
	}
	putback_list(&active);
	count_memcg_event(lruvec_memcg(lv), PGDEACTIVATE,
			  putback_list(&inactive));
	lru_note_cost(lv, file, 0, rotated);
}

/* shrink_list - one batch of one list (Linux's shrink_list). */
static uint64_t shrink_list(struct lruvec *lv, enum lru_list lru,
			    uint64_t nr_to_scan, struct scan_control *sc)
{
	if (is_active_lru(lru)) {
		if (sc->may_deactivate & (is_file_lru(lru) ? DEACTIVATE_FILE :
							     DEACTIVATE_ANON))
			shrink_active_list(lv, lru, nr_to_scan, sc);
		else
			sc->skipped_deactivate = true;
		return 0;
	}
	return shrink_inactive_list(lv, lru, nr_to_scan, sc);
}

enum scan_balance { SCAN_EQUAL, SCAN_FRACT, SCAN_ANON, SCAN_FILE };

/* get_scan_count - how many pages of each evictable list to scan at this
 * priority (Linux's get_scan_count): the list's size >> priority, all
 * file without swap, both in full near OOM, anon when file is tiny, file
 * while there is plenty of unused page cache, else in proportion to
 * swappiness over the recent cost of each kind. */
static void get_scan_count(struct lruvec *lv, struct scan_control *sc,
			   uint64_t nr[NR_LRU_LISTS])
{
	uint64_t swappiness = (uint64_t)sysctl_vm.swappiness;
	uint64_t fraction[2] = { 0, 0 }, denominator = 1;
	enum scan_balance balance;

	if (!sc->may_swap || !can_reclaim_anon_pages(lruvec_memcg(lv)))
		balance = SCAN_FILE;
	else if (sc->target && !swappiness)
		balance = SCAN_FILE;
	else if (!sc->priority && swappiness)
		balance = SCAN_EQUAL;
	else if (sc->file_is_tiny)
		balance = SCAN_ANON;
	else if (sc->cache_trim_mode)
		balance = SCAN_FILE;
	else {
		uint64_t total = sc->anon_cost + sc->file_cost;
		uint64_t anon_cost = total + sc->anon_cost;
		uint64_t file_cost = total + sc->file_cost;

		total = anon_cost + file_cost;
		fraction[0] = swappiness * (total + 1) / (anon_cost + 1);
		fraction[1] = (MAX_SWAPPINESS - swappiness) * (total + 1) /
			      (file_cost + 1);
		denominator = fraction[0] + fraction[1];
		balance = SCAN_FRACT;
	}
	for (int lru = 0; lru < LRU_UNEVICTABLE; lru++) {
		bool file = is_file_lru((enum lru_list)lru);
		uint64_t scan = lv->nr_pages[lru] >> sc->priority;

		if (balance == SCAN_FRACT)
			scan = denominator ? scan * fraction[file] /
					     denominator : 0;
		else if ((balance == SCAN_FILE && !file) ||
			 (balance == SCAN_ANON && file))
			scan = 0;
		nr[lru] = scan;
	}
}

/* shrink_lruvec - scan the lists in batches until the counts are done
 * or, past the goal, scale down the kind already scanned least (Linux's
 * shrink_lruvec); then age the anon list if its inactive part is short. */
static void shrink_lruvec(struct lruvec *lv, struct scan_control *sc)
{
	uint64_t nr[NR_LRU_LISTS], targets[NR_LRU_LISTS], reclaimed = 0;
	bool proportional = sc->who == RECLAIMER_DIRECT &&
			    sc->priority == DEF_PRIORITY;

	get_scan_count(lv, sc, nr);
	memcpy(targets, nr, sizeof(nr));
	while (nr[LRU_INACTIVE_ANON] || nr[LRU_ACTIVE_FILE] ||
	       nr[LRU_INACTIVE_FILE]) {
		uint64_t nr_anon, nr_file, pct, scanned;
		int lru;

		for (lru = 0; lru < LRU_UNEVICTABLE; lru++) {
			uint64_t n = MIN(nr[lru], (uint64_t)SWAP_CLUSTER_MAX);

			if (!n)
				continue;
			nr[lru] -= n;
			reclaimed += shrink_list(lv, (enum lru_list)lru, n, sc);
		}
		if (reclaimed < sc->nr_to_reclaim || proportional)
			continue;
		nr_file = nr[LRU_INACTIVE_FILE] + nr[LRU_ACTIVE_FILE];
		nr_anon = nr[LRU_INACTIVE_ANON] + nr[LRU_ACTIVE_ANON];
		if (!nr_file || !nr_anon)
			break;
		if (nr_file > nr_anon) {
			pct = nr_anon * 100 / (targets[LRU_INACTIVE_ANON] +
					       targets[LRU_ACTIVE_ANON] + 1);
			lru = LRU_INACTIVE_ANON;
		} else {
			pct = nr_file * 100 / (targets[LRU_INACTIVE_FILE] +
					       targets[LRU_ACTIVE_FILE] + 1);
			lru = LRU_INACTIVE_FILE;
		}
		nr[lru] = nr[lru + 1] = 0;
		lru = lru == LRU_INACTIVE_FILE ? LRU_INACTIVE_ANON :
						 LRU_INACTIVE_FILE;
		for (int i = lru; i <= lru + 1; i++) {
			scanned = targets[i] - nr[i];
			nr[i] = targets[i] * (100 - pct) / 100;
			nr[i] -= MIN(nr[i], scanned);
		}
	}
	if (can_reclaim_anon_pages(lruvec_memcg(lv)) &&
	    inactive_is_low(lruvec_memcg(lv), lv->nid, LRU_INACTIVE_ANON, true))
		shrink_active_list(lv, LRU_ACTIVE_ANON, SWAP_CLUSTER_MAX, sc);
}

/* total_high_wmark - the high watermarks of every zone of node nid. */
static uint64_t total_high_wmark(int nid)
{
	uint64_t n = 0;

	for (int z = 0; z < MAX_NR_ZONES; z++)
		n += NODE_DATA(nid)->node_zones[z].watermark[WMARK_HIGH];
	return n;
}

/* prepare_scan_control - the balance decisions for one pass over node
 * nid for group m's subtree (Linux's prepare_scan_control): deactivate a
 * kind when its inactive list is short or its pages refault; trim the
 * page cache alone while its inactive list is large and not refaulting;
 * scan anon alone when the node's page cache is nearly gone.  Refault
 * activations are counted per group, not per node. */
static void prepare_scan_control(struct mem_cgroup *m, int nid,
				 struct scan_control *sc)
{
	struct lruvec *lv = &m->lruvec[nid];
	uint64_t file;

	sc->anon_cost = lv->anon_cost;
	sc->file_cost = lv->file_cost;
	if (sc->force_deactivate) {
		sc->may_deactivate = DEACTIVATE_ANON | DEACTIVATE_FILE;
	} else {
		sc->may_deactivate = 0;
		if (memcg_events(m, WORKINGSET_ACTIVATE_ANON) !=
		    lv->refaults[0] ||
		    inactive_is_low(m, nid, LRU_INACTIVE_ANON, false))
			sc->may_deactivate |= DEACTIVATE_ANON;
		if (memcg_events(m, WORKINGSET_ACTIVATE_FILE) !=
		    lv->refaults[1] ||
		    inactive_is_low(m, nid, LRU_INACTIVE_FILE, false))
			sc->may_deactivate |= DEACTIVATE_FILE;
	}
	file = memcg_node_lru_pages(m, nid, LRU_INACTIVE_FILE);
	sc->cache_trim_mode = (file >> sc->priority) &&
			      !(sc->may_deactivate & DEACTIVATE_FILE);
	file += memcg_node_lru_pages(m, nid, LRU_ACTIVE_FILE);
	sc->file_is_tiny = !sc->target &&
			   file + node_free_pages(nid) <= total_high_wmark(nid) &&
			   !(sc->may_deactivate & DEACTIVATE_ANON) &&
			   (memcg_node_lru_pages(m, nid, LRU_INACTIVE_ANON) >>
			    sc->priority);
}

/* textbook_shrink - evict the pages a textbook policy picks, one at a
 * time, until the goal is met or nothing more can go (replace.c). */
static void textbook_shrink(struct scan_control *sc)
{
	struct victim_search vs = { .nr_tried = 0 };
	struct reclaim_stat stat = { 0 };

	while (sc->nr_reclaimed < sc->nr_to_reclaim) {
		struct page *page = replace_pick_victim(sc->target, &vs);
		struct lruvec *lv;
		bool file;

		if (!page)
			break;
		lv = page_lruvec(page);
		file = page_is_file_lru(page);
		lru_del(page);
		get_page(page);
		sc->nr_scanned++;
		reclaim_event(sc, lv, scan_event(sc), 1);
		count_vm_events(file ? PGSCAN_FILE : PGSCAN_ANON, 1);
		if (shrink_page(page, sc, &stat, true)) {
			sc->nr_reclaimed++;
			account_system_time((uint64_t)sim_costs.reclaim_page);
			reclaim_event(sc, lv, steal_event(sc), 1);
			count_vm_events(file ? PGSTEAL_FILE : PGSTEAL_ANON, 1);
			continue;
		}
		ClearPageFlag(page, PG_active);
		putback_page(page);
		if (vs.nr_tried == VICTIM_TRIES)
			break;
		vs.tried[vs.nr_tried++] = page;
	}
}

/* shrink_node - one pass over the lists of node pgdat of the target's
 * groups (Linux's shrink_node), or the textbook policy's victims (from
 * every node); global reclaim also frees the empty slabs (its
 * shrink_slab: groups do not own kernel memory here).  A node it frees
 * pages on is noted in sc->nodes_reclaimed. */
static void shrink_node(struct pglist_data *pgdat, struct scan_control *sc)
{
	struct mem_cgroup *target = sc->target ? sc->target : &root_mem_cgroup;
	struct mem_cgroup *m = NULL;
	uint64_t before = sc->nr_reclaimed;

	if (!sc->target)
		sc->nr_reclaimed += kmem_cache_shrink_all(false);
	if (textbook_policy()) {
		textbook_shrink(sc);
	} else {
		prepare_scan_control(target, pgdat->node_id, sc);
		while ((m = mem_cgroup_iter(target, m)))
			shrink_lruvec(&m->lruvec[pgdat->node_id], sc);
	}
	if (sc->nr_reclaimed > before)
		sc->nodes_reclaimed |= 1U << pgdat->node_id;
}

/* reclaim_nodes - the nodes reclaim for sc visits, in the order of the
 * zonelist of the CPU's node: those with a zone of index reclaim_idx or
 * below (Linux's shrink_zones walk, one visit per node).  Returns how
 * many. */
static int reclaim_nodes(const struct scan_control *sc, int nids[MAX_NUMNODES])
{
	const struct zoneref *z = node_zonelist(numa_node_id())->_zonerefs;
	int n = 0;

	for (; z->zone; z++)
		if (z->zone_idx <= (int)sc->reclaim_idx &&
		    (!n || nids[n - 1] != z->zone->node))
			nids[n++] = z->zone->node;
	return n;
}

/* shrink_zones - one pass of shrink_node over the nodes of the zonelist
 * (Linux's shrink_zones). */
static void shrink_zones(struct scan_control *sc)
{
	int nids[MAX_NUMNODES], n = reclaim_nodes(sc, nids);

	for (int i = 0; i < n; i++)
		shrink_node(NODE_DATA(nids[i]), sc);
}

/* snapshot_refaults - remember the refault activations seen, to tell new
 * ones at the next reclaim of m's lists on node nid (Linux's
 * snapshot_refaults). */
static void snapshot_refaults(struct mem_cgroup *m, int nid)
{
	m->lruvec[nid].refaults[0] = memcg_events(m, WORKINGSET_ACTIVATE_ANON);
	m->lruvec[nid].refaults[1] = memcg_events(m, WORKINGSET_ACTIVATE_FILE);
}

/* do_try_to_free_pages - passes of rising priority over the zonelist's
 * nodes until the goal is met (Linux's do_try_to_free_pages); if nothing
 * was freed because the active lists were never aged, once more with
 * deactivation forced. */
static uint64_t do_try_to_free_pages(struct scan_control *sc)
{
	int initial = sc->priority;
	int nids[MAX_NUMNODES], n;

retry:
	do {
		shrink_zones(sc);
		if (sc->nr_reclaimed >= sc->nr_to_reclaim)
			break;
		if (sc->priority < DEF_PRIORITY - 2)
			sc->may_writepage = true;
	} while (--sc->priority >= 0);
	n = reclaim_nodes(sc, nids);
	for (int i = 0; i < n; i++)
		snapshot_refaults(sc->target ? sc->target : &root_mem_cgroup,
				  nids[i]);
	if (sc->nr_reclaimed)
		return sc->nr_reclaimed;
	if (sc->skipped_deactivate) {
		sc->priority = initial;
		sc->force_deactivate = true;
		sc->skipped_deactivate = false;
		goto retry;
	}
	return 0;
}

/* try_to_free_pages - see swap.h. */
uint64_t try_to_free_pages(enum zone_type reclaim_idx)
{
	struct scan_control sc = scan_control_for(RECLAIMER_DIRECT,
						  SWAP_CLUSTER_MAX);
	uint64_t got;
	int nid;

	sc.reclaim_idx = reclaim_idx;
	count_vm_event((enum vm_event_item)(ALLOCSTALL_DMA + reclaim_idx));
	got = do_try_to_free_pages(&sc);
	trace_emit(TRACE_DIRECT_RECLAIM, got, 0, 0);
	/* Linux's shrink_node: a node reclaim made progress on is worth
	 * kswapd's trying again. */
	for_each_online_node(nid)
		if (sc.nodes_reclaimed & (1U << nid))
			NODE_DATA(nid)->kswapd.failures = 0;
	return got;
}

/* try_to_free_mem_cgroup_pages - see swap.h. */
uint64_t try_to_free_mem_cgroup_pages(struct mem_cgroup *m, uint64_t nr_pages,
				      bool proactive)
{
	struct scan_control sc = scan_control_for(
		proactive ? RECLAIMER_PROACTIVE : RECLAIMER_DIRECT,
		textbook_policy() ? nr_pages :
		MAX(nr_pages, (uint64_t)SWAP_CLUSTER_MAX));

	sc.target = m;
	return do_try_to_free_pages(&sc);
}

/* reclaim_pages_user - see swap.h: the reclaim command and memory.reclaim
 * (Linux's proactive reclaim, try_to_free_mem_cgroup_pages at the root):
 * passes until nr_pages are freed or a full pass at priority 0 frees
 * nothing. */
uint64_t reclaim_pages_user(uint64_t nr_pages)
{
	uint64_t total = 0;

	while (total < nr_pages) {
		struct scan_control sc = scan_control_for(RECLAIMER_PROACTIVE,
			MIN(nr_pages - total, (uint64_t)SWAP_CLUSTER_MAX));
		uint64_t got = do_try_to_free_pages(&sc);

		if (!got)
			break;
		total += got;
	}
	return total;
}

/* reclaim_page_list - see swap.h (Linux's reclaim_pages, for
 * MADV_PAGEOUT): the references are ignored. */
uint64_t reclaim_page_list(struct list_head *list)
{
	struct scan_control sc = scan_control_for(RECLAIMER_PROACTIVE,
						  UINT64_MAX);
	struct reclaim_stat stat = { 0 };
	uint64_t freed = shrink_page_list(list, &sc, &stat, true);

	putback_list(list);
	return freed;
}

/* ---- kswapd ---- */

/* zone_balanced - does zone keep more than its high watermark free for
 * allocations up to highest (Linux's zone_watermark_ok_safe at high)? */
static bool zone_balanced(const struct zone *z, enum zone_type highest)
{
	return z->managed_pages &&
	       z->free_pages > z->watermark[WMARK_HIGH] +
			       z->lowmem_reserve[highest];
}

/* pgdat_balanced - is any zone of pgdat a user allocation may use
 * balanced (Linux's pgdat_balanced)? */
static bool pgdat_balanced(struct pglist_data *pgdat)
{
	for (int z = 0; z < MAX_NR_ZONES; z++)
		if (zone_balanced(&pgdat->node_zones[z], ZONE_MOVABLE))
			return true;
	return false;
}

/* wakeup_kswapd - see swap.h (Linux's wakeup_kswapd): not for a node
 * already balanced, nor one its kswapd gave up on. */
void wakeup_kswapd(struct zone *zone)
{
	struct pglist_data *pgdat = NODE_DATA(zone->node);
	struct kswapd_state *k = &pgdat->kswapd;

	if (k->woken || !k->task || k->failures >= MAX_RECLAIM_RETRIES ||
	    pgdat_balanced(pgdat))
		return;
	k->woken = true;
	nr_kswapd_woken++;
	trace_emit(TRACE_KSWAPD, 0, 1, (uint64_t)pgdat->node_id);
}

/* kswapd_age_node - age the anon lists on node nid of every group whose
 * inactive part there is short, before reclaim looks at them (Linux's
 * kswapd_age_node). */
static void kswapd_age_node(int nid, struct scan_control *sc)
{
	struct mem_cgroup *m = NULL;

	if (!can_reclaim_anon_pages(&root_mem_cgroup))
		return;
	while ((m = mem_cgroup_iter(&root_mem_cgroup, m)))
		if (inactive_is_low(m, nid, LRU_INACTIVE_ANON, true))
			shrink_active_list(&m->lruvec[nid], LRU_ACTIVE_ANON,
					   SWAP_CLUSTER_MAX, sc);
}

/* balance_pgdat - reclaim on pgdat until one of its zones is balanced,
 * raising the priority when a pass scans less than its goal (Linux's
 * balance_pgdat). */
static uint64_t balance_pgdat(struct pglist_data *pgdat)
{
	struct scan_control sc = scan_control_for(RECLAIMER_KSWAPD, 0);
	uint64_t total = 0;

	count_vm_event(PAGEOUTRUN);
	do {
		uint64_t before = sc.nr_reclaimed;
		bool raise = true;

		if (pgdat_balanced(pgdat))
			break;
		kswapd_age_node(pgdat->node_id, &sc);
		if (sc.priority < DEF_PRIORITY - 2)
			sc.may_writepage = true;
		sc.nr_to_reclaim = 0;
		for (int z = 0; z < MAX_NR_ZONES; z++) {
			const struct zone *zone = &pgdat->node_zones[z];

			if (zone->managed_pages)
				sc.nr_to_reclaim +=
					MAX(zone->watermark[WMARK_HIGH],
					    (uint64_t)SWAP_CLUSTER_MAX);
		}
		sc.nr_scanned = 0;
		shrink_node(pgdat, &sc);
		if (sc.nr_scanned >= sc.nr_to_reclaim)
			raise = false;
		if (raise || sc.nr_reclaimed == before)
			sc.priority--;
	} while (sc.priority >= 1);
	total = sc.nr_reclaimed;
	snapshot_refaults(&root_mem_cgroup, pgdat->node_id);
	if (!total)
		pgdat->kswapd.failures++;
	return total;
}

/* kswapd_cpu - the CPU node nid's kswapd runs on: the node's first (CPU
 * 0 for a node without one). */
static int kswapd_cpu(int nid)
{
	for (int cpu = 0; cpu < hw.nr_cpus; cpu++)
		if (cpu_to_node(cpu) == nid)
			return cpu;
	return 0;
}

/* kswapd_run_pending - each woken kswapd's run, in node order.  The trace
 * shows kswapd<nid> as the task at work, and its reclaim is its own time,
 * on its node's first CPU. */
static void kswapd_run_pending(void)
{
	struct task_struct *saved_task = current_task;
	int saved = trace_cur_pid, saved_cpu = current_cpu, nid;

	if (likely(!nr_kswapd_woken))
		return;
	for_each_online_node(nid) {
		struct pglist_data *pgdat = NODE_DATA(nid);
		uint64_t got;

		if (!pgdat->kswapd.woken)
			continue;
		pgdat->kswapd.woken = false;
		nr_kswapd_woken--;
		trace_cur_pid = pgdat->kswapd.task->pid;
		current_task = pgdat->kswapd.task;
		current_cpu = kswapd_cpu(nid);
		got = balance_pgdat(pgdat);
		trace_emit(TRACE_KSWAPD, got, 0, (uint64_t)nid);
	}
	trace_cur_pid = saved;
	current_task = saved_task;
	current_cpu = saved_cpu;
}

/* kthreads_run_pending - see swap.h. */
void kthreads_run_pending(void)
{
	wb_run_pending();
	kswapd_run_pending();
}
