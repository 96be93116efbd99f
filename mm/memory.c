/*
 * memory.c - the fault path and the page-table operations built on it
 * (Linux's mm/memory.c): handle_mm_fault -> handle_pte_fault ->
 * do_anonymous_page | do_fault | do_wp_page (wp_page_reuse | wp_page_copy),
 * and zap_page_range, copy_page_range, change_protection, move_page_tables,
 * expand_stack.
 */
#include <errno.h>
#include "internal.h"
#include "mm/swap.h"
#include "mm/replace.h"
#include "mm/memcontrol.h"
#include "mm/writeback.h"
#include "kernel/kernel.h"
#include "exec/binfmts.h"
#include "kernel/time.h"
#include "kernel/trace.h"

int last_fault_outcome;

/* vm_normal_page - see mm.h.  Special entries (the zero page) have no
 * refcounted struct page. */
struct page *vm_normal_page(struct vm_area_struct *vma, uint64_t addr,
			    uint64_t pte)
{
	uint64_t pfn = pte_pfn(pte);

	(void)vma;
	(void)addr;
	if (pte_special(pte) || pfn == zero_pfn)
		return NULL;
	BUG_ON(pfn >= max_pfn);
	return pfn_to_page(pfn);
}

/* mod_zero_mapped - count d PTEs more mapping the zero page, on the
 * zero page's node. */
static void mod_zero_mapped(int64_t d)
{
	mod_node_page_state(page_pgdat(pfn_to_page(zero_pfn)), NR_ZERO_MAPPED,
			    d);
}

/* set_outcome - remember what resolved the fault (first one wins). */
static void set_outcome(struct vm_fault *vmf, enum fault_outcome o)
{
	if (vmf->outcome < 0)
		vmf->outcome = (int)o;
	count_fault(vmf->task, o);
}

/* copy_user_highpage - copy page from into page to, which costs
 * mmufs_cost_page_copy_ns (Linux's). */
static void copy_user_highpage(struct page *to, struct page *from)
{
	phys_copy_frame(&hw.mem, page_to_pfn(to), page_to_pfn(from));
	account_system_time((uint64_t)sim_costs.page_copy);
}

/* map_new_anon - map a freshly allocated anon page at vmf->address with
 * entry `entry`, accounting rmap, RSS, LRU and mlock. */
static void map_new_anon(struct vm_fault *vmf, struct page *page, pte_t entry)
{
	struct vm_area_struct *vma = vmf->vma;

	page_add_anon_rmap(page, vma, vmf->address, true);
	add_mm_counter(vma->vm_mm, MM_ANONPAGES, 1);
	pte_write(vmf->pte, entry);
}

/*
 * do_anonymous_page - first touch of private anonymous memory.  A read maps
 * the shared zero page read-only; a write (or a read of a VM_LOCKED vma,
 * which populate turns into writes) allocates a zeroed page.
 */
static int do_anonymous_page(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	pte_t prot = vm_get_page_prot(vma->vm_flags);
	struct page *page;
	pte_t entry;

	BUG_ON(vma->vm_flags & VM_SHARED);
	/* Under a textbook policy every page touched takes a frame. */
	if (!(vmf->flags & FAULT_FLAG_WRITE) && !textbook_policy()) {
		entry = pte_wrprotect(mk_pte(zero_pfn, prot)) | _PAGE_SPECIAL;
		pte_write(vmf->pte, entry);
		mod_zero_mapped(1);
		set_outcome(vmf, FO_ZERO);
		return 0;
	}
	if (anon_vma_prepare(vma))
		return VM_FAULT_OOM;
	page = alloc_user_page(GFP_HIGHUSER_MOVABLE | __GFP_ZERO, vma->vm_mm);
	if (!page)
		return VM_FAULT_OOM;
	entry = mk_pte(page_to_pfn(page), prot);
	if (vma->vm_flags & VM_WRITE)
		entry = pte_mkwrite(entry);
	if (vmf->flags & FAULT_FLAG_WRITE)
		entry = pte_mkdirty(entry);
	map_new_anon(vmf, page, entry);
	set_outcome(vmf, FO_ANON);
	return 0;
}

/* vma_wants_writenotify - a shared writable mapping of a host file:
 * its pages are mapped write-protected until a store faults, so that the
 * page is dirtied in its cache when it is written (Linux's
 * vma_wants_writenotify: the file can be written back; shmem cannot). */
static bool vma_wants_writenotify(const struct vm_area_struct *vma)
{
	const struct address_space *m = vma->vm_file;

	return (vma->vm_flags & (VM_SHARED | VM_WRITE)) ==
	       (VM_SHARED | VM_WRITE) && m && !m->shmem && !m->dev_zero;
}

/* vma_page_prot - the protection of the vma's entries (Linux's
 * vma->vm_page_prot, as vma_set_page_prot sets it): write-protected
 * when the vma wants write notifications. */
static pte_t vma_page_prot(const struct vm_area_struct *vma)
{
	pte_t prot = vm_get_page_prot(vma->vm_flags);

	return vma_wants_writenotify(vma) ? pte_wrprotect(prot) : prot;
}

/* finish_fault_map - map page (from the page cache) at address with a
 * reference taken for the mapping. */
static void map_cache_page(struct vm_area_struct *vma, struct pte_ref ref,
			   struct page *page, bool write)
{
	pte_t entry = mk_pte(page_to_pfn(page), vma_page_prot(vma));

	if (write)
		entry = pte_mkdirty(entry);
	if (write && (vma->vm_flags & VM_WRITE))
		entry = pte_mkwrite(entry);
	get_page(page);
	page_add_file_rmap(page, vma);
	add_mm_counter(vma->vm_mm, mm_counter(page), 1);
	pte_write(ref, entry);
}

/*
 * do_fault_around - map the already cached pages around a read fault
 * (Linux's do_fault_around + filemap_map_pages): the fault_around_bytes
 * window aligned down, clipped to the vma and to one page table.  A page
 * marked for readahead is left for a real fault, which starts the next
 * window.  Returns
 * the pages mapped; the faulting page is among them when cached.
 */
static int do_fault_around(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	uint64_t window = sysctl_vm.fault_around_bytes;
	uint64_t pt_span = 1ULL << pt_level_shift(hw.geom, 2);
	uint64_t start, end, va;
	int mapped = 0;

	if (window < PAGE_SIZE)
		window = PAGE_SIZE;
	start = vmf->address & ~(window - 1);
	end = start + window;
	start = MAX(start, MAX(vma->vm_start, vmf->address & ~(pt_span - 1)));
	end = MIN(end, MIN(vma->vm_end, (vmf->address & ~(pt_span - 1)) +
			    pt_span));
	for (va = start; va < end; va += PAGE_SIZE) {
		struct pte_ref ref = { vmf->pte.table,
				       pt_index(hw.geom, 1, va) };
		struct page *page;

		if (!pte_none(pte_read(ref)))
			continue;
		page = find_get_page(vma->vm_file, linear_page_index(vma, va));
		if (!page || !PageFlag(page, PG_uptodate) ||
		    PageFlag(page, PG_readahead))
			continue;
		map_cache_page(vma, ref, page, false);
		if (va != vmf->address)
			set_outcome(vmf, FO_FAULT_AROUND);
		mapped++;
	}
	return mapped;
}

/* object_fault - the page at vmf->pgoff of the vma's object (Linux's
 * vma->vm_ops->fault). 0 or VM_FAULT_MAJOR with *pagep, which holds a
 * reference the caller drops, or an error. */
static int object_fault(struct vm_fault *vmf, struct page **pagep)
{
	if (vmf->vma->vm_file->shmem)
		return shmem_fault(vmf, pagep);
	return filemap_fault(vmf, pagep);
}

/* do_read_fault - read fault on a file/shmem vma: fault-around first, then
 * the object's ->fault for the faulting page. */
static int do_read_fault(struct vm_fault *vmf)
{
	struct page *page;
	int ret;

	if (sysctl_vm.fault_around_bytes > PAGE_SIZE && !textbook_policy()) {
		do_fault_around(vmf);
		if (!pte_none(pte_read(vmf->pte))) {
			set_outcome(vmf, FO_FILE);
			return 0;
		}
	}
	ret = object_fault(vmf, &page);
	if (ret & VM_FAULT_ERROR)
		return ret;
	map_cache_page(vmf->vma, vmf->pte, page, false);
	put_page(page);
	set_outcome(vmf, FO_FILE);
	return ret;
}

/* do_shared_fault - write fault on a shared vma: the object's page mapped
 * writable and dirty. */
static int do_shared_fault(struct vm_fault *vmf)
{
	struct page *page;
	int ret = object_fault(vmf, &page);

	if (ret & VM_FAULT_ERROR)
		return ret;
	set_page_dirty(page);
	map_cache_page(vmf->vma, vmf->pte, page, true);
	put_page(page);
	set_outcome(vmf, FO_FILE);
	balance_dirty_pages_ratelimited();
	return ret;
}

/* do_cow_fault - write fault on a private file vma: a private anon copy of
 * the object's page. */
static int do_cow_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct page *page, *new;
	pte_t entry;
	int ret;

	if (anon_vma_prepare(vma))
		return VM_FAULT_OOM;
	ret = object_fault(vmf, &page);
	if (ret & VM_FAULT_ERROR)
		return ret;
	new = alloc_user_page(GFP_HIGHUSER_MOVABLE, vma->vm_mm);
	if (new)
		copy_user_highpage(new, page);
	put_page(page);
	if (!new)
		return VM_FAULT_OOM;
	entry = pte_mkdirty(mk_pte(page_to_pfn(new),
				   vm_get_page_prot(vma->vm_flags)));
	if (vma->vm_flags & VM_WRITE)
		entry = pte_mkwrite(entry);
	map_new_anon(vmf, new, entry);
	set_outcome(vmf, FO_COW_COPY);
	return ret;
}

/* do_fault - first touch of a vma backed by an object (Linux's do_fault). */
static int do_fault(struct vm_fault *vmf)
{
	if (!(vmf->flags & FAULT_FLAG_WRITE))
		return do_read_fault(vmf);
	if (!(vmf->vma->vm_flags & VM_SHARED))
		return do_cow_fault(vmf);
	return do_shared_fault(vmf);
}

/* wp_page_reuse - the faulting process owns the page alone: make the entry
 * writable (when the vma is) and dirty, no copy. */
static int wp_page_reuse(struct vm_fault *vmf, struct page *page)
{
	pte_t entry = pte_mkdirty(pte_mkyoung(vmf->orig_pte));

	if (vmf->vma->vm_flags & VM_WRITE)
		entry = pte_mkwrite(entry);
	pte_write(vmf->pte, entry);
	if (page && PageAnon(page))
		SetPageFlag(page, PG_anon_exclusive);
	count_vm_event(PGREUSE);
	set_outcome(vmf, FO_COW_REUSE);
	trace_emit(TRACE_COW, vmf->address, pte_pfn(vmf->orig_pte),
		   pte_pfn(vmf->orig_pte));
	return 0;
}

/*
 * wp_page_copy - break COW: copy old (NULL for the zero page: a zeroed
 * page) into a new exclusive anon page, switch the entry to it, flush the
 * stale translation, and drop the mapping of the old page.
 */
static int wp_page_copy(struct vm_fault *vmf, struct page *old)
{
	struct vm_area_struct *vma = vmf->vma;
	struct mm_struct *mm = vma->vm_mm;
	struct page *new;
	pte_t entry;

	if (anon_vma_prepare(vma))
		return VM_FAULT_OOM;
	new = alloc_user_page(GFP_HIGHUSER_MOVABLE | (old ? 0 : __GFP_ZERO), mm);
	if (!new)
		return VM_FAULT_OOM;
	/* Reclaim for the new frame may have unmapped the old page: the
	 * entry must still be the one the fault saw (Linux's pte_same). */
	if (pte_read(vmf->pte) != vmf->orig_pte) {
		put_page(new);
		return 0;
	}
	if (old)
		copy_user_highpage(new, old);
	entry = pte_mkdirty(mk_pte(page_to_pfn(new),
				   vm_get_page_prot(vma->vm_flags)));
	if (vma->vm_flags & VM_WRITE)
		entry = pte_mkwrite(entry);
	if (old) {
		add_mm_counter(mm, mm_counter(old), -1);
		page_remove_rmap(old, vma);
		put_page(old);
	} else {
		mod_zero_mapped(-1);
	}
	map_new_anon(vmf, new, entry);
	flush_tlb_page(mm, vmf->address);
	set_outcome(vmf, FO_COW_COPY);
	trace_emit(TRACE_COW, vmf->address, pte_pfn(vmf->orig_pte),
		   page_to_pfn(new));
	return 0;
}

/* wp_anon_reusable - would the faulting entry be page's only user once
 * its swap-cache copy is dropped where try_to_free_swap drops it (no
 * swap entry refers to the slot)?  Changes nothing. */
static bool wp_anon_reusable(const struct page *page)
{
	bool cache_goes = PageSwapCache(page) &&
			  !swap_count((swp_entry_t){ page->private });

	return page->refcount - (int)cache_goes == 1;
}

/* wp_reuses - would do_wp_page reuse the entry's page (NULL: the zero
 * page) rather than copy it?  Its test, without freeing the swap-cache
 * copy. */
static bool wp_reuses(const struct vm_area_struct *vma,
		      const struct page *page)
{
	if (vma->vm_flags & VM_SHARED)
		return true;
	return page && PageAnon(page) &&
	       (PageFlag(page, PG_anon_exclusive) || wp_anon_reusable(page));
}

/* wp_drop_swap_copy - the page do_wp_page reuses, not marked exclusive,
 * leaves the swap cache where wp_anon_reusable counted on it (Linux's
 * wp_can_reuse_anon_folio freeing the swap copy). */
static void wp_drop_swap_copy(struct page *page)
{
	if (PageSwapCache(page))
		BUG_ON(!try_to_free_swap(page));
}

/*
 * do_wp_page - a write to a present, write-protected entry.  Shared
 * mappings are made writable; an anon page this process owns alone is
 * reused; anything else (shared after fork, the zero page, a file page in
 * a private mapping) is copied.
 */
static int do_wp_page(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct page *page = vm_normal_page(vma, vmf->address, vmf->orig_pte);

	if (vma->vm_flags & VM_SHARED) {
		/* wp_page_shared: the first store since writeback */
		if (page)
			set_page_dirty(page);
		balance_dirty_pages_ratelimited();
		return wp_page_reuse(vmf, page);
	}
	if (!wp_reuses(vma, page))
		return wp_page_copy(vmf, page);
	if (!PageFlag(page, PG_anon_exclusive))
		wp_drop_swap_copy(page);
	return wp_page_reuse(vmf, page);
}

/* should_try_to_free_swap - drop the swap-cache copy of a page being
 * mapped back: when swap is more than half full, for locked memory, and
 * for a write by what is likely the only user (Linux's
 * should_try_to_free_swap; refcount: the cache's and the caller's). */
static bool should_try_to_free_swap(struct page *page,
				    struct vm_area_struct *vma, bool write)
{
	if (!PageSwapCache(page))
		return false;
	if (vm_swap_full() || (vma->vm_flags & VM_LOCKED) ||
	    PageFlag(page, PG_mlocked))
		return true;
	return write && page->refcount == 2;
}

/* do_swap_page_map - see internal.h (the second half of Linux's
 * do_swap_page, and unuse_pte when !may_write). */
void do_swap_page_map(struct vm_area_struct *vma, uint64_t address,
		      struct pte_ref ref, pte_t orig, struct page *page,
		      bool write, bool may_write)
{
	struct mm_struct *mm = vma->vm_mm;
	swp_entry_t e = pte_to_swp_entry(orig);
	bool exclusive = pte_swp_exclusive(orig);
	pte_t pte = mk_pte(page_to_pfn(page), vm_get_page_prot(vma->vm_flags));

	add_mm_counter(mm, MM_ANONPAGES, 1);
	add_mm_counter(mm, MM_SWAPENTS, -1);
	swap_free(e);
	if (should_try_to_free_swap(page, vma, write))
		try_to_free_swap(page);
	/* Out of the swap cache with only the caller's reference, the page
	 * is this entry's alone, exclusive or not (after a fork whose other
	 * side is gone): Linux's do_swap_page maps it writable at once. */
	if (may_write && page->refcount == 1)
		exclusive = true;
	if (exclusive && may_write && (vma->vm_flags & VM_WRITE)) {
		pte = pte_mkwrite(pte);
		if (write)
			pte = pte_mkdirty(pte);
	}
	get_page(page);
	page_add_swapin_rmap(page, vma, address, exclusive);
	pte_write(ref, pte);
}

/* do_swap_page - the entry holds a swap entry: map the page from the swap
 * cache, or read it (and its neighbours) from swap, a major fault (Linux's
 * do_swap_page); a write to a page others share goes on to do_wp_page. */
static int do_swap_page(struct vm_fault *vmf)
{
	swp_entry_t e = pte_to_swp_entry(vmf->orig_pte);
	bool write = vmf->flags & FAULT_FLAG_WRITE, major = false;
	struct page *page = lookup_swap_cache(e);
	int ret = 0;

	if (page) {
		get_page(page);
	} else {
		page = swapin_readahead(e, vmf, &major);
		if (!page)
			return pte_read(vmf->pte) != vmf->orig_pte ? 0 :
			       VM_FAULT_OOM;
		if (major)
			ret = VM_FAULT_MAJOR;
	}
	if (pte_read(vmf->pte) != vmf->orig_pte) {
		put_page(page);
		return ret;
	}
	trace_emit(TRACE_SWAPIN, vmf->address, e.val, page_to_pfn(page));
	do_swap_page_map(vmf->vma, vmf->address, vmf->pte, vmf->orig_pte,
			 page, write, true);
	put_page(page);
	set_outcome(vmf, FO_SWAPIN);
	vmf->orig_pte = pte_read(vmf->pte);
	if (write && !pte_write_ok(vmf->orig_pte))
		ret |= do_wp_page(vmf);
	return ret;
}

/*
 * handle_pte_fault - dispatch on the state of the leaf entry (Linux's
 * handle_pte_fault).  An entry that already allows the access is a spurious
 * fault (a stale TLB entry): it is only marked young (and dirty).
 */
static int handle_pte_fault(struct vm_fault *vmf)
{
	pte_t entry = vmf->orig_pte = pte_read(vmf->pte);

	if (vmf->vma->vm_special)
		return special_mapping_fault(vmf);
	if (pte_none(entry))
		return vma_is_anonymous(vmf->vma) ? do_anonymous_page(vmf) :
						    do_fault(vmf);
	if (!pte_present(entry))
		return do_swap_page(vmf);
	if (pte_protnone(entry)) {
		/* Only reachable through FOLL_FORCE on a PROT_NONE vma:
		 * nothing to change, the caller reads the frame. */
		set_outcome(vmf, FO_SPURIOUS);
		return 0;
	}
	if ((vmf->flags & FAULT_FLAG_WRITE) && !pte_write_ok(entry))
		return do_wp_page(vmf);
	entry = pte_mkyoung(entry);
	if (vmf->flags & FAULT_FLAG_WRITE)
		entry = pte_mkdirty(entry);
	if (entry != vmf->orig_pte)
		pte_write(vmf->pte, entry);
	set_outcome(vmf, FO_SPURIOUS);
	return 0;
}

/* object_fault_predict - what object_fault would find for a fault at
 * pgoff of vma's file or shmem object: VM_FAULT_SIGBUS beyond its end
 * (filemap_fault, shmem_fault), VM_FAULT_MAJOR when the page is not in
 * the cache (a file read; shmem: a swap-in or a new page), else 0. */
static int object_fault_predict(const struct vm_area_struct *vma,
				uint64_t pgoff)
{
	struct address_space *m = vma->vm_file;

	if (pgoff >= (m->size + PAGE_SIZE - 1) >> PAGE_SHIFT)
		return VM_FAULT_SIGBUS;
	return find_get_page(m, pgoff) || m->shmem ? 0 : VM_FAULT_MAJOR;
}

/* predict_none - fp for a fault on a none entry: do_anonymous_page's
 * zero page or new page, do_fault's read, COW or shared fault. */
static void predict_none(const struct vm_area_struct *vma, uint64_t address,
			 bool write, struct fault_prediction *fp)
{
	int ret;

	if (vma_is_anonymous(vma)) {
		fp->outcome = !write && !textbook_policy() ? FO_ZERO : FO_ANON;
		return;
	}
	ret = object_fault_predict(vma, linear_page_index(vma, address));
	fp->major = ret & VM_FAULT_MAJOR;
	if (ret & VM_FAULT_SIGBUS) {
		fp->outcome = FO_SIGBUS;
		fp->why = "beyond the end of the file";
		return;
	}
	fp->outcome = write && !(vma->vm_flags & VM_SHARED) ? FO_COW_COPY :
		      FO_FILE;
}

/* pte_fault_predict - see internal.h: handle_pte_fault's dispatch
 * (special_mapping_fault's tests included) on the entry as it is. */
void pte_fault_predict(struct vm_area_struct *vma, uint64_t address,
		       unsigned int flags, struct fault_prediction *fp)
{
	bool write = flags & FAULT_FLAG_WRITE;
	struct pte_ref ref;
	pte_t entry = 0;

	if (!walk_pte(vma->vm_mm, address, false, &ref))
		entry = pte_read(ref);
	fp->outcome = FO_SPURIOUS;
	if (vma->vm_special) {
		if (write || linear_page_index(vma, address) >=
			     vma->vm_special->nr_pages) {
			fp->outcome = write ? FO_SIGSEGV : FO_SIGBUS;
			fp->why = write ? "write to a special mapping" :
				  "beyond the special mapping's pages";
		} else if (!pte_present(entry)) {
			fp->why = "the special mapping's page is mapped";
		}
	} else if (pte_none(entry)) {
		predict_none(vma, address, write, fp);
	} else if (!pte_present(entry)) {
		fp->outcome = FO_SWAPIN;
		fp->major = !swap_cache_peek(pte_to_swp_entry(entry));
	} else if (!pte_protnone(entry) && write && !pte_write_ok(entry)) {
		fp->outcome = wp_reuses(vma, vm_normal_page(vma, address, entry)) ?
			      FO_COW_REUSE : FO_COW_COPY;
	}
}

/* __handle_mm_fault - allocate the path to the leaf entry and handle it. */
static int __handle_mm_fault(struct vm_fault *vmf)
{
	if (walk_pte(vmf->vma->vm_mm, vmf->address, true, &vmf->pte))
		return VM_FAULT_OOM;
	return handle_pte_fault(vmf);
}

/*
 * handle_mm_fault - see mm.h.  Counts pgfault for every fault that gets
 * here, and the task's min_flt/maj_flt for the ones that succeed (Linux's
 * mm_account_fault); a major fault waits for its I/O (the cost table's
 * swap_in for a page from swap, major_fault for one from a file).
 */
int handle_mm_fault(struct vm_area_struct *vma, uint64_t address,
		    unsigned int flags, struct task_struct *t)
{
	struct vm_fault vmf = {
		.vma = vma,
		.address = address & PAGE_MASK,
		.flags = flags,
		.pgoff = linear_page_index(vma, address & PAGE_MASK),
		.task = t,
		.outcome = -1,
	};
	int ret = __handle_mm_fault(&vmf);

	last_fault_outcome = vmf.outcome < 0 ? FO_SPURIOUS : vmf.outcome;
	count_memcg_event(vma->vm_mm->memcg, PGFAULT, 1);
	if (ret & VM_FAULT_OOM)
		count_fault(t, FO_OOM);
	if (ret & VM_FAULT_ERROR)
		return ret;
	if (ret & VM_FAULT_MAJOR) {
		account_io_wait((uint64_t)(vmf.outcome == FO_SWAPIN ?
					   sim_costs.swap_in :
					   sim_costs.major_fault));
		count_memcg_event(vma->vm_mm->memcg, PGMAJFAULT, 1);
		if (t)
			t->maj_flt++;
	} else if (t) {
		t->min_flt++;
	}
	return ret;
}

/* ---- tearing down ---- */

struct zap_state {
	struct vm_area_struct *vma;
	uint64_t present;
};

/* zap_swap_pte - see internal.h (the swap half of Linux's
 * zap_pte_range). */
void zap_swap_pte(struct vm_area_struct *vma, struct pte_ref ref, pte_t pte)
{
	pte_write(ref, 0);
	free_swap_and_cache(pte_to_swp_entry(pte));
	add_mm_counter(vma->vm_mm, MM_SWAPENTS, -1);
}

/* zap_one - release the page one entry maps and clear the entry. */
static int zap_one(struct pte_ref ref, uint64_t va, uint64_t next,
		   struct mm_walk *walk)
{
	struct zap_state *z = walk->private;
	pte_t pte = pte_read(ref);
	struct page *page;

	if (pte_none(pte))
		return 0;
	if (!pte_present(pte)) {
		zap_swap_pte(z->vma, ref, pte);
		return 0;
	}
	pte_write(ref, 0);
	page = vm_normal_page(z->vma, va, pte);
	z->present++;
	if (!page) {
		if (pte_pfn(pte) == zero_pfn)
			mod_zero_mapped(-1);
		return 0;
	}
	if (pte_dirty(pte) && !PageAnon(page))
		set_page_dirty(page);
	add_mm_counter(z->vma->vm_mm, mm_counter(page), -1);
	page_remove_rmap(page, z->vma);
	/* free_swap_cache: an unmapped page nobody's swap entry needs. */
	if (PageSwapCache(page) && !page->mapcount)
		try_to_free_swap(page);
	put_page(page);
	return 0;
}

static const struct mm_walk_ops zap_walk_ops = { .pte_entry = zap_one };

/* unmap_page_range - see mm.h. */
uint64_t unmap_page_range(struct vm_area_struct *vma, uint64_t start,
			  uint64_t end)
{
	struct zap_state z = { vma, 0 };

	BUG_ON(start < vma->vm_start || end > vma->vm_end);
	walk_page_range(vma->vm_mm, start, end, &zap_walk_ops, &z);
	return z.present;
}

/* zap_page_range - see mm.h. [start, end) must lie inside vma. */
void zap_page_range(struct vm_area_struct *vma, uint64_t start, uint64_t end)
{
	if (unmap_page_range(vma, start, end))
		flush_tlb_range(vma->vm_mm, start, end);
}

/* ---- fork ---- */

/* vma_needs_copy - must fork copy this vma's entries?  Shared mappings
 * without anon pages are faulted in again by the child (Linux's
 * vma_needs_copy). */
static bool vma_needs_copy(const struct vm_area_struct *vma)
{
	return vma->anon_vma != NULL || vma_is_anonymous(vma);
}

/*
 * copy_present_pte - give the child's entry the parent's page: a reference
 * and a mapping more, and for a private writable mapping the entry
 * write-protected in both (the COW).  Returns the child's entry.
 */
static pte_t copy_present_pte(struct vm_area_struct *dst,
			      struct vm_area_struct *src, struct pte_ref sref,
			      pte_t pte, uint64_t va)
{
	struct page *page = vm_normal_page(src, va, pte);

	if (page) {
		get_page(page);
		page->mapcount++;
		if (PageAnon(page))
			ClearPageFlag(page, PG_anon_exclusive);
		add_mm_counter(dst->vm_mm, mm_counter(page), 1);
	} else if (pte_pfn(pte) == zero_pfn) {
		mod_zero_mapped(1);
	}
	if (is_cow_mapping(src->vm_flags) && pte_write_ok(pte)) {
		pte = pte_wrprotect(pte);
		pte_write(sref, pte);
	}
	if (src->vm_flags & VM_SHARED)
		pte = pte_mkclean(pte);
	return pte_mkold(pte);
}

/* copy_swap_pte - give the child's entry the parent's swap entry: one
 * more reference to the slot, exclusive in neither any more (Linux's
 * copy_nonpresent_pte). Returns the child's entry. */
static pte_t copy_swap_pte(struct vm_area_struct *dst, struct pte_ref sref,
			   pte_t pte)
{
	swap_duplicate(pte_to_swp_entry(pte));
	add_mm_counter(dst->vm_mm, MM_SWAPENTS, 1);
	if (pte_swp_exclusive(pte)) {
		pte = pte_swp_clear_exclusive(pte);
		pte_write(sref, pte);
	}
	return pte;
}

/* copy_pte_table - copy the entries of [va, end), all in one page table;
 * the child's table is allocated at the first entry to copy (reclaim for
 * it may change the parent's entries: each is read after). */
static int copy_pte_table(struct vm_area_struct *dst,
			  struct vm_area_struct *src, uint64_t va, uint64_t end)
{
	struct pte_ref sref, dref = { 0, 0 };
	int err;

	if (walk_pte(src->vm_mm, va, false, &sref))
		return 0;
	for (; va < end; va += PAGE_SIZE, sref.idx++) {
		pte_t pte = pte_read(sref);

		if (pte_none(pte))
			continue;
		if (!dref.table) {
			err = walk_pte(dst->vm_mm, va, true, &dref);
			if (err)
				return err;
			pte = pte_read(sref);
			if (pte_none(pte))
				continue;
		}
		dref.idx = sref.idx;
		pte_write(dref, pte_present(pte) ?
			  copy_present_pte(dst, src, sref, pte, va) :
			  copy_swap_pte(dst, sref, pte));
	}
	return 0;
}

/* copy_page_range - see mm.h.  The spans of absent tables are skipped
 * whole (a sparse 128 TiB mapping forks at once).  -ENOMEM leaves the
 * child consistent with what was copied so far; the caller discards it. */
int copy_page_range(struct vm_area_struct *dst, struct vm_area_struct *src)
{
	uint64_t pt_span = 1ULL << pt_level_shift(hw.geom, 2);
	uint64_t va, next;
	int err;

	if (!vma_needs_copy(src))
		return 0;
	for (va = src->vm_start; va < src->vm_end; va = next) {
		va = pte_table_next(src->vm_mm, va, src->vm_end);
		if (va == src->vm_end)
			break;
		next = MIN((va & ~(pt_span - 1)) + pt_span, src->vm_end);
		err = copy_pte_table(dst, src, va, next);
		if (err)
			return err;
	}
	return 0;
}

/* ---- mprotect ---- */

/* can_change_pte_writable - may an entry of a VM_WRITE vma be made
 * writable at once (Linux's can_change_pte_writable)? */
static bool can_change_pte_writable(struct vm_area_struct *vma, uint64_t va,
				    pte_t pte)
{
	struct page *page;

	if (pte_protnone(pte))
		return false;
	if (vma->vm_flags & VM_SHARED)
		return pte_dirty(pte);
	page = vm_normal_page(vma, va, pte);
	return page && PageAnon(page) && PageFlag(page, PG_anon_exclusive);
}

struct prot_state {
	struct vm_area_struct *vma;
	pte_t newprot;
	uint64_t changed;
};

/* change_pte - give one present entry the vma's new protection. */
static int change_pte(struct pte_ref ref, uint64_t va, uint64_t next,
		      struct mm_walk *walk)
{
	struct prot_state *ps = walk->private;
	pte_t old = pte_read(ref), pte;

	if (!pte_present(old))	/* none, or a swap entry: nothing to do */
		return 0;
	pte = pte_modify(old, ps->newprot);
	if ((ps->vma->vm_flags & VM_WRITE) && !pte_write_ok(pte) &&
	    can_change_pte_writable(ps->vma, va, pte))
		pte = pte_mkwrite(pte);
	if (pte != old) {
		pte_write(ref, pte);
		ps->changed++;
	}
	return 0;
}

static const struct mm_walk_ops prot_walk_ops = { .pte_entry = change_pte };

/* change_protection - see mm.h. */
void change_protection(struct vm_area_struct *vma, uint64_t start,
		       uint64_t end)
{
	struct prot_state ps = { vma, vma_page_prot(vma), 0 };

	walk_page_range(vma->vm_mm, start, end, &prot_walk_ops, &ps);
	if (ps.changed)
		flush_tlb_range(vma->vm_mm, start, end);
}

/* ---- mremap ---- */

struct move_state {
	struct mm_struct *mm;
	uint64_t delta;		/* new_addr - old_addr (mod 2^64) */
	bool prepare;		/* first pass: allocate destination tables */
	uint64_t moved;
};

/* move_one - pass 1: make sure the destination table exists; pass 2: move
 * the entry. */
static int move_one(struct pte_ref ref, uint64_t va, uint64_t next,
		    struct mm_walk *walk)
{
	struct move_state *ms = walk->private;
	pte_t pte = pte_read(ref);
	struct pte_ref dref;
	int err;

	if (pte_none(pte))
		return 0;
	err = walk_pte(ms->mm, va + ms->delta, true, &dref);
	if (err || ms->prepare)
		return err;
	BUG_ON(!pte_none(pte_read(dref)));
	pte_write(dref, pte);
	pte_write(ref, 0);
	ms->moved++;
	return 0;
}

static const struct mm_walk_ops move_walk_ops = { .pte_entry = move_one };

/* move_page_tables - see mm.h. */
int move_page_tables(struct vm_area_struct *vma, uint64_t old_addr,
		     struct vm_area_struct *new_vma, uint64_t new_addr,
		     uint64_t len)
{
	struct move_state ms = { vma->vm_mm, new_addr - old_addr, true, 0 };
	int err;

	BUG_ON(new_vma->vm_mm != vma->vm_mm);
	err = walk_page_range(vma->vm_mm, old_addr, old_addr + len,
			      &move_walk_ops, &ms);
	if (err)
		return err;
	ms.prepare = false;
	walk_page_range(vma->vm_mm, old_addr, old_addr + len, &move_walk_ops,
			&ms);
	if (ms.moved)
		flush_tlb_range(vma->vm_mm, old_addr, old_addr + len);
	return 0;
}

/* ---- stack ---- */

/* stack_growth_error - see internal.h. */
int stack_growth_error(const struct vm_area_struct *vma, uint64_t address,
		       const char **why)
{
	const struct vm_area_struct *prev = vma->vm_prev;

	address &= PAGE_MASK;
	*why = "not below a VM_GROWSDOWN vma";
	if (!(vma->vm_flags & VM_GROWSDOWN) || address >= vma->vm_start)
		return -EFAULT;
	*why = "stack growth below mmap_min_addr";
	if (address < sysctl_vm.mmap_min_addr)
		return -EPERM;
	*why = "stack growth beyond RLIMIT_STACK";
	if (vma->vm_end - address > sysctl_vm.rlimit_stack)
		return -ENOMEM;
	*why = "stack growth into the vma below";
	if (prev && address < prev->vm_end)
		return -ENOMEM;
	*why = "stack growth into the guard gap";
	if (prev && !(prev->vm_flags & VM_GROWSDOWN) &&
	    vma_is_accessible(prev) && address - prev->vm_end < stack_guard_gap)
		return -ENOMEM;
	*why = NULL;
	return 0;
}

/*
 * expand_stack - see mm.h (Linux's expand_downwards + acct_stack_growth):
 * the new size must stay within RLIMIT_STACK, the guard gap above a
 * non-stack neighbour must stay free, and the growth is committed.
 * 0, -ENOMEM or -EPERM (below mmap_min_addr).
 */
int expand_stack(struct vm_area_struct *vma, uint64_t address)
{
	struct mm_struct *mm = vma->vm_mm;
	uint64_t grow;
	const char *why;
	int err = stack_growth_error(vma, address, &why);

	if (err)
		return err;
	address &= PAGE_MASK;
	grow = (vma->vm_start - address) >> PAGE_SHIFT;
	if ((vma->vm_flags & VM_ACCOUNT) && vm_enough_memory((int64_t)grow))
		return -ENOMEM;
	if (vma->vm_flags & VM_LOCKED)
		mm->locked_vm += grow;
	vm_stat_account(mm, vma->vm_flags, (int64_t)grow);
	vma_set_bounds(vma, address, vma->vm_end, vma->vm_pgoff - grow);
	return 0;
}
