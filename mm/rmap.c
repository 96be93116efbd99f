/*
 * rmap.c - reverse mapping (Linux's mm/rmap.c, reduced): mapcounts, the
 * anon_vma that owns anonymous pages, and walking from a page to every
 * (process, address) that maps it.
 *
 * One anon_vma is shared by a process and every process forked from it
 * (Linux's anon_vma root); page->mapping of an anon page points to it and
 * page->index is the page's linear index, so the address of the page in a
 * vma is vm_start + (index - vm_pgoff) pages, as vma_address() computes.
 */
#include <errno.h>
#include <stdlib.h>
#include "mm/slab.h"
#include "internal.h"
#include "mm/memcontrol.h"
#include "mm/swap.h"
#include "kernel/kernel.h"
#include "kernel/sched.h"

static uint64_t anon_vma_ids;

/* anon_vma_prepare - see mm.h. */
int anon_vma_prepare(struct vm_area_struct *vma)
{
	struct mm_struct *mm = vma->vm_mm;
	struct anon_vma *av;

	if (vma->anon_vma)
		return 0;
	if (!mm->anon_vma) {
		av = calloc(1, sizeof(*av));
		if (!av)
			return host_enomem();
		av->slab_obj = kmem_cache_alloc(anon_vma_cachep);
		if (!av->slab_obj) {
			free(av);
			return -ENOMEM;
		}
		av->refcount = 1;
		av->id = ++anon_vma_ids;
		INIT_LIST_HEAD(&av->mms);
		list_add_tail(&mm->anon_vma_node, &av->mms);
		mm->anon_vma = av;
	}
	vma->anon_vma = mm->anon_vma;
	return 0;
}

/* anon_vma_put - drop a reference; the last one frees it. */
void anon_vma_put(struct anon_vma *av)
{
	BUG_ON(av->refcount <= 0);
	if (--av->refcount == 0) {
		BUG_ON(!list_empty(&av->mms));
		kmem_cache_free(anon_vma_cachep, av->slab_obj);
		free(av);
	}
}

/* page_add_anon_rmap - see mm.h.  A new page becomes an exclusive anon
 * page of vma's anon_vma, on the inactive anon LRU. */
void page_add_anon_rmap(struct page *page, struct vm_area_struct *vma,
			uint64_t address, bool new_page)
{
	if (new_page) {
		BUG_ON(page->mapcount != 0 || !vma->anon_vma);
		page->mapping = vma->anon_vma;
		page->index = linear_page_index(vma, address);
		SetPageFlag(page, PG_anon);
		SetPageFlag(page, PG_swapbacked);
		SetPageFlag(page, PG_uptodate);
		SetPageFlag(page, PG_anon_exclusive);
		lru_cache_add(page, LRU_INACTIVE_ANON);
	}
	if (page->mapcount++ == 0)
		mod_page_state(page, NR_ANON_MAPPED, 1);
	if (vma->vm_flags & VM_LOCKED)
		mlock_page(page);
}

/* page_add_swapin_rmap - see internal.h (Linux's folio_add_anon_rmap_pte
 * for a page from the swap cache): a page read ahead, never mapped,
 * becomes an anon page of vma here. */
void page_add_swapin_rmap(struct page *page, struct vm_area_struct *vma,
			  uint64_t address, bool exclusive)
{
	if (!PageAnon(page)) {
		BUG_ON(page->mapcount || !vma->anon_vma);
		page->mapping = vma->anon_vma;
		page->index = linear_page_index(vma, address);
		SetPageFlag(page, PG_anon);
	}
	if (exclusive)
		SetPageFlag(page, PG_anon_exclusive);
	if (page->mapcount++ == 0)
		mod_page_state(page, NR_ANON_MAPPED, 1);
	if (vma->vm_flags & VM_LOCKED)
		mlock_page(page);
}

/* page_add_file_rmap - one more entry of vma maps a page-cache page. */
void page_add_file_rmap(struct page *page, struct vm_area_struct *vma)
{
	if (page->mapcount++ == 0)
		mod_page_state(page, NR_FILE_MAPPED, 1);
	if (vma->vm_flags & VM_LOCKED)
		mlock_page(page);
}

/* page_remove_rmap - see mm.h. */
void page_remove_rmap(struct page *page, struct vm_area_struct *vma)
{
	BUG_ON(page->mapcount <= 0);
	if (vma->vm_flags & VM_LOCKED)
		munlock_page(page);
	if (--page->mapcount == 0)
		mod_page_state(page, PageAnon(page) ? NR_ANON_MAPPED :
				    NR_FILE_MAPPED, -1);
}

/* vma_maps_page - if vma maps pfn at the address page index `index` has in
 * it, call fn. */
static void vma_try_page(struct vm_area_struct *vma, uint64_t index,
			 uint64_t pfn, rmap_fn_t fn, void *arg)
{
	struct pte_ref ref;
	uint64_t addr;
	pte_t pte;

	if (index < vma->vm_pgoff || index - vma->vm_pgoff >= vma_pages(vma))
		return;
	addr = vma->vm_start + ((index - vma->vm_pgoff) << PAGE_SHIFT);
	if (walk_pte(vma->vm_mm, addr, false, &ref))
		return;
	pte = pte_read(ref);
	if (pte_present(pte) && pte_pfn(pte) == pfn)
		fn(vma->vm_mm, vma, addr, arg);
}

struct scan_state {
	struct mm_struct *mm;
	struct vm_area_struct *vma;
	uint64_t pfn;
	rmap_fn_t fn;
	void *arg;
};

/* scan_one - pte_entry of rmap_scan's walk: report an entry mapping pfn. */
static int scan_one(struct pte_ref ref, uint64_t va, uint64_t next,
		    struct mm_walk *walk)
{
	struct scan_state *s = walk->private;
	pte_t pte = pte_read(ref);

	if (pte_present(pte) && pte_pfn(pte) == s->pfn)
		s->fn(s->mm, s->vma, va, s->arg);
	return 0;
}

static const struct mm_walk_ops scan_walk_ops = { .pte_entry = scan_one };

/* rmap_scan - every entry of every mm mapping pfn (the zero page has no
 * owner to start from). */
static void rmap_scan(uint64_t pfn, rmap_fn_t fn, void *arg)
{
	struct list_head *l;

	list_for_each(l, &all_mms) {
		struct mm_struct *mm = list_entry(l, struct mm_struct, mmlist);
		struct vm_area_struct *vma;

		for (vma = mm->mmap; vma; vma = vma->vm_next) {
			struct scan_state s = { mm, vma, pfn, fn, arg };

			walk_page_range(mm, vma->vm_start, vma->vm_end, &scan_walk_ops, &s);
		}
	}
}

/* rmap_walk - see mm.h. */
void rmap_walk(struct page *page, rmap_fn_t fn, void *arg)
{
	uint64_t pfn = page_to_pfn(page);
	struct list_head *l;

	if (pfn == zero_pfn) {
		rmap_scan(pfn, fn, arg);
		return;
	}
	if (!page->mapping || page->mapcount == 0)
		return;
	if (PageAnon(page)) {
		struct anon_vma *av = page->mapping;

		list_for_each(l, &av->mms) {
			struct mm_struct *mm = list_entry(l, struct mm_struct,
							  anon_vma_node);
			struct vm_area_struct *vma;

			for (vma = mm->mmap; vma; vma = vma->vm_next)
				if (vma->anon_vma == av)
					vma_try_page(vma, page->index, pfn, fn,
						     arg);
		}
		return;
	}
	list_for_each(l, &all_mms) {
		struct mm_struct *mm = list_entry(l, struct mm_struct, mmlist);
		struct vm_area_struct *vma;

		for (vma = mm->mmap; vma; vma = vma->vm_next)
			if (vma->vm_file == page->mapping)
				vma_try_page(vma, page->index, pfn, fn, arg);
	}
}

/* mm_owner - see mm.h. */
struct task_struct *mm_owner(struct mm_struct *mm)
{
	struct list_head *l;

	list_for_each(l, &task_list) {
		struct task_struct *t = list_entry(l, struct task_struct, tasks);

		if (t->mm == mm && thread_group_leader(t))
			return t;
	}
	list_for_each(l, &task_list) {
		struct task_struct *t = list_entry(l, struct task_struct, tasks);

		if (t->mm == mm)
			return t;
	}
	return NULL;
}

struct first_mapping {
	struct mm_struct *mm;
	uint64_t address;
};

/* first_mapping - rmap_walk callback: the first mapping found. */
static void first_mapping(struct mm_struct *mm, struct vm_area_struct *vma,
			  uint64_t address, void *arg)
{
	struct first_mapping *f = arg;

	(void)vma;
	if (!f->mm) {
		f->mm = mm;
		f->address = address;
	}
}

/* page_address_in_mm - see mm.h. */
uint64_t page_address_in_mm(struct page *page, struct mm_struct **mm)
{
	struct first_mapping f = { NULL, 0 };

	rmap_walk(page, first_mapping, &f);
	if (mm)
		*mm = f.mm;
	return f.address;
}

/* ---- writeback's walk (Linux's folio_mkclean) ---- */

struct mkclean_state {
	struct page *page;
	int cleaned;
};

/* mkclean_one - an entry of a shared mapping mapping the page: if it is
 * writable or dirty, write-protect and clean it and flush it; its dirty
 * bit goes to the page (Linux's page_vma_mkclean_one).  Private mappings
 * map a cache page read-only and clean: they are passed over. */
static void mkclean_one(struct mm_struct *mm, struct vm_area_struct *vma,
			uint64_t address, void *arg)
{
	struct mkclean_state *ms = arg;
	struct pte_ref ref;
	pte_t pte;

	if (!(vma->vm_flags & VM_SHARED) || walk_pte(mm, address, false, &ref))
		return;
	pte = pte_read(ref);
	if (!pte_dirty(pte) && !pte_write_ok(pte))
		return;
	if (pte_dirty(pte))
		set_page_dirty(ms->page);
	pte_write(ref, pte_wrprotect(pte_mkclean(pte)));
	flush_tlb_page(mm, address);
	ms->cleaned++;
}

/* page_mkclean - see mm.h. */
int page_mkclean(struct page *page)
{
	struct mkclean_state ms = { page, 0 };

	if (page->mapcount)
		rmap_walk(page, mkclean_one, &ms);
	return ms.cleaned;
}

/* ---- reclaim's walks (Linux's folio_referenced, try_to_unmap) ---- */

struct referenced_state {
	struct page *page;
	int referenced;
	uint64_t vm_flags;
};

/* referenced_one - an entry mapping the page: test and clear its
 * accessed bit, flushing the translation so that the MMU sets it again
 * at the next access (Linux's folio_referenced_one with the generic
 * ptep_clear_flush_young; x86 skips the flush, docs/divergences.md).  A
 * VM_LOCKED vma is only noted. */
static void referenced_one(struct mm_struct *mm, struct vm_area_struct *vma,
			   uint64_t address, void *arg)
{
	struct referenced_state *rs = arg;
	struct pte_ref ref;
	pte_t pte;

	if (vma->vm_flags & VM_LOCKED) {
		rs->vm_flags |= VM_LOCKED;
		return;
	}
	if (walk_pte(mm, address, false, &ref))
		return;
	pte = pte_read(ref);
	if (!pte_young(pte))
		return;
	pte_write(ref, pte_mkold(pte));
	flush_tlb_page(mm, address);
	rs->referenced++;
	rs->vm_flags |= vma->vm_flags;
}

/* page_referenced - see mm.h. */
int page_referenced(struct page *page, uint64_t *vm_flags)
{
	struct referenced_state rs = { page, 0, 0 };

	if (page->mapcount)
		rmap_walk(page, referenced_one, &rs);
	*vm_flags = rs.vm_flags;
	return rs.referenced;
}

struct unmap_state {
	struct page *page;
	uint64_t first;		/* the first address unmapped, or 0 */
	bool abort;		/* a lazyfree page was written again */
};

/* unmap_lazyfree - one entry mapping a lazyfree page: dropped if neither
 * it nor the page was written since MADV_FREE (and nobody else holds the
 * page); else the page is swap-backed anonymous memory again and the
 * walk stops (Linux's try_to_unmap_one for !folio_test_swapbacked).
 * True if the entry was dropped. */
static bool unmap_lazyfree(struct unmap_state *us, pte_t pte)
{
	struct page *page = us->page;

	if (!pte_dirty(pte) && !PageFlag(page, PG_dirty) &&
	    page->refcount == 1 + page->mapcount)
		return true;
	if (pte_dirty(pte))
		set_page_dirty(page);
	SetPageFlag(page, PG_swapbacked);
	us->abort = true;
	return false;
}

/* unmap_one - replace one entry mapping the page: an anon page's by a
 * swap entry for its swap-cache slot (exclusive if the page was), a
 * cache page's or a lazyfree page's by none; the dirty bit goes to the
 * page (Linux's try_to_unmap_one). */
static void unmap_one(struct mm_struct *mm, struct vm_area_struct *vma,
		      uint64_t address, void *arg)
{
	struct unmap_state *us = arg;
	struct page *page = us->page;
	bool lazyfree = PageAnon(page) && !PageFlag(page, PG_swapbacked);
	struct pte_ref ref;
	pte_t pte;

	if (us->abort || walk_pte(mm, address, false, &ref))
		return;
	pte = pte_read(ref);
	if (lazyfree && !unmap_lazyfree(us, pte))
		return;
	if (pte_dirty(pte) && !lazyfree)
		set_page_dirty(page);
	if (PageAnon(page) && !lazyfree) {
		swp_entry_t e = { page->private };
		pte_t swp = swp_entry_to_pte(e);

		BUG_ON(!PageSwapCache(page));
		swap_duplicate(e);
		if (PageFlag(page, PG_anon_exclusive))
			swp = pte_swp_mkexclusive(swp);
		pte_write(ref, swp);
		add_mm_counter(mm, MM_SWAPENTS, 1);
	} else {
		pte_write(ref, 0);
	}
	flush_tlb_page(mm, address);
	if (!us->first)
		us->first = address;
	add_mm_counter(mm, mm_counter(page), -1);
	page_remove_rmap(page, vma);
	put_page(page);
}

/* try_to_unmap - see mm.h. */
bool try_to_unmap(struct page *page, uint64_t *address)
{
	struct unmap_state us = { page, 0, false };

	if (page->mapcount)
		rmap_walk(page, unmap_one, &us);
	*address = us.first;
	if (PageAnon(page))
		ClearPageFlag(page, PG_anon_exclusive);
	return page->mapcount == 0;
}
