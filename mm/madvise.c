/*
 * madvise.c - advice about a range (Linux's mm/madvise.c): dontneed drops
 * the pages (private anon memory reads back as zeroes), free lets reclaim
 * drop them unless they are written again (lazy free), cold ages them
 * (old, inactive), pageout reclaims them at once (anon pages to swap,
 * clean file pages dropped), willneed is accepted.
 */
#include <errno.h>
#include "internal.h"
#include "mm/swap.h"
#include "mm/memcontrol.h"
#include "kernel/kernel.h"

/* madvise_check - every page mapped (ENOMEM) and no vma the advice cannot
 * apply to (EINVAL: locked vmas for dontneed, free, cold and pageout;
 * for free, any vma but private anonymous memory). */
static int madvise_check(struct mm_struct *mm, uint64_t start, uint64_t end,
			 int advice)
{
	struct vm_area_struct *vma = find_vma(mm, start);
	uint64_t at = start;

	for (; at < end; vma = vma->vm_next) {
		if (!vma || vma->vm_start > at)
			return kerror(ENOMEM, "range not fully mapped");
		if (advice != MADV_WILLNEED && advice != MADV_NORMAL &&
		    (vma->vm_flags & VM_LOCKED))
			return kerror(EINVAL, "advice not allowed on locked "
				      "memory");
		if (advice == MADV_FREE && !vma_is_anonymous(vma))
			return kerror(EINVAL, "free applies to private "
				      "anonymous memory only");
		at = vma->vm_end;
	}
	return 0;
}

struct cold_state {
	struct vm_area_struct *vma;
	uint64_t changed;
	bool pageout;
	struct list_head *list;	/* pageout: the pages isolated */
};

/* cold_pte - a page mapped only here (Linux's
 * madvise_cold_or_pageout_pte_range): made old and unreferenced; for
 * cold moved to the inactive list, for pageout isolated from its LRU to
 * be reclaimed (an unevictable one is left). */
static int cold_pte(struct pte_ref ref, uint64_t va, uint64_t next,
		    struct mm_walk *walk)
{
	struct cold_state *cs = walk->private;
	pte_t pte = pte_read(ref);
	struct page *page;

	if (!pte_present(pte))
		return 0;
	page = vm_normal_page(cs->vma, va, pte);
	if (!page || page->mapcount != 1)
		return 0;
	if (pte_young(pte)) {
		pte_write(ref, pte_mkold(pte));
		cs->changed++;
	}
	ClearPageFlag(page, PG_referenced);
	if (cs->pageout) {
		if (PageLRU(page) && !PageFlag(page, PG_unevictable)) {
			lru_del(page);
			get_page(page);
			list_add(&page->lru, cs->list);
		}
	} else if (PageFlag(page, PG_active) && PageLRU(page)) {
		lru_move(page, inactive_lru(page));
		count_vm_event(PGDEACTIVATE);
	}
	return 0;
}

static const struct mm_walk_ops cold_walk_ops = { .pte_entry = cold_pte };

struct free_state {
	struct vm_area_struct *vma;
	uint64_t changed;
};

/* mark_lazyfree - a private anon page nothing else keeps a copy of
 * becomes lazily freeable: off the swap-backed lists, onto the inactive
 * file list (Linux's folio_mark_lazyfree and lru_lazyfree). */
static void mark_lazyfree(struct page *page)
{
	if (!PageAnon(page) || !PageFlag(page, PG_swapbacked) ||
	    PageSwapCache(page) || !PageLRU(page) ||
	    PageFlag(page, PG_unevictable))
		return;
	lru_del(page);
	ClearPageFlag(page, PG_active);
	ClearPageFlag(page, PG_referenced);
	ClearPageFlag(page, PG_swapbacked);
	lru_cache_add(page, LRU_INACTIVE_FILE);
	count_memcg_event(page->memcg, PGLAZYFREE, 1);
}

/* free_pte - one entry of MADV_FREE (Linux's madvise_free_pte_range): a
 * swap entry is dropped at once (cheaper than reading it back), a page
 * is cleaned (its swap-cache copy dropped when nothing else needs it),
 * its entry made old and clean, and the page marked lazyfree. */
static int free_pte(struct pte_ref ref, uint64_t va, uint64_t next,
		    struct mm_walk *walk)
{
	struct free_state *fs = walk->private;
	pte_t pte = pte_read(ref);
	struct page *page;

	if (pte_none(pte))
		return 0;
	if (!pte_present(pte)) {
		zap_swap_pte(fs->vma, ref, pte);
		return 0;
	}
	page = vm_normal_page(fs->vma, va, pte);
	if (!page)
		return 0;
	if (PageSwapCache(page) || PageFlag(page, PG_dirty)) {
		if (page->mapcount != 1 ||
		    (PageSwapCache(page) && !try_to_free_swap(page)))
			return 0;
		ClearPageFlag(page, PG_dirty);
	}
	if (pte_young(pte) || pte_dirty(pte)) {
		pte_write(ref, pte_mkold(pte_mkclean(pte)));
		fs->changed++;
	}
	mark_lazyfree(page);
	return 0;
}

static const struct mm_walk_ops free_walk_ops = { .pte_entry = free_pte };

/* madvise_vma - apply advice to [start, end) ∩ vma. */
static void madvise_vma(struct vm_area_struct *vma, uint64_t start,
			uint64_t end, int advice)
{
	struct list_head list = LIST_HEAD_INIT(list);
	struct cold_state cs = { vma, 0, advice == MADV_PAGEOUT, &list };

	start = MAX(start, vma->vm_start);
	end = MIN(end, vma->vm_end);
	switch (advice) {
	case MADV_DONTNEED:
		zap_page_range(vma, start, end);
		break;
	case MADV_FREE: {
		struct free_state fs = { vma, 0 };

		walk_page_range(vma->vm_mm, start, end, &free_walk_ops, &fs);
		if (fs.changed)
			flush_tlb_range(vma->vm_mm, start, end);
		break;
	}
	case MADV_COLD:
	case MADV_PAGEOUT:
		walk_page_range(vma->vm_mm, start, end, &cold_walk_ops, &cs);
		if (cs.changed)
			flush_tlb_range(vma->vm_mm, start, end);
		if (cs.pageout)
			reclaim_page_list(&list);
		break;
	}
}

/* do_madvise - see mm.h.  start page aligned, length rounded up, length 0
 * succeeds; unknown advice EINVAL.  Unlike Linux, a range with a hole is
 * refused before anything is done (ENOMEM), so errors change nothing. */
int do_madvise(struct task_struct *t, uint64_t start, uint64_t len, int advice)
{
	struct vm_area_struct *vma;
	uint64_t end;
	int err = task_can_syscall(t);

	if (err)
		return err;
	if (!PAGE_ALIGNED(start))
		return not_page_aligned(start);
	if (advice != MADV_NORMAL && advice != MADV_WILLNEED &&
	    advice != MADV_DONTNEED && advice != MADV_FREE &&
	    advice != MADV_COLD && advice != MADV_PAGEOUT)
		return kerror(EINVAL, "unknown advice %d", advice);
	/* A length that rounds up to 0 wrapped around, as in Linux. */
	if ((len && !PAGE_ALIGN(len)) || start + PAGE_ALIGN(len) < start)
		return kerror(EINVAL, RANGE_WRAPS);
	len = PAGE_ALIGN(len);
	end = start + len;
	if (end == start)
		return 0;
	err = madvise_check(t->mm, start, end, advice);
	if (err)
		return err;
	for (vma = find_vma(t->mm, start); vma && vma->vm_start < end;
	     vma = vma->vm_next)
		madvise_vma(vma, start, end, advice);
	return 0;
}
