/*
 * mlock.c - locking pages in memory (Linux's mm/mlock.c): VM_LOCKED
 * vmas, and per page the number of entries in VM_LOCKED vmas that map it
 * (mlock_count); a page with a non-zero count is PG_mlocked and sits on the
 * unevictable LRU.
 */
#include <errno.h>
#include "internal.h"
#include "kernel/kernel.h"

/* mlock_page - one more locked mapping of page; the first moves it to
 * the unevictable list, counted as Linux's mlock_folio and __mlock_folio
 * count it (mlocked, culled). */
void mlock_page(struct page *page)
{
	if (page->mlock_count++)
		return;
	SetPageFlag(page, PG_mlocked);
	lru_move(page, LRU_UNEVICTABLE);
	mod_node_page_state(page_pgdat(page), NR_MLOCK, 1);
	count_vm_event(UNEVICTABLE_PGS_MLOCKED);
	count_vm_event(UNEVICTABLE_PGS_CULLED);
}

/* munlock_page - one locked mapping fewer; the last moves the page back
 * to an evictable list (Linux's __munlock_folio: munlocked, rescued). */
void munlock_page(struct page *page)
{
	BUG_ON(page->mlock_count == 0);
	if (--page->mlock_count)
		return;
	ClearPageFlag(page, PG_mlocked);
	lru_move(page, inactive_lru(page));
	mod_node_page_state(page_pgdat(page), NR_MLOCK, -1);
	count_vm_event(UNEVICTABLE_PGS_MUNLOCKED);
	count_vm_event(UNEVICTABLE_PGS_RESCUED);
}

struct lock_state {
	struct vm_area_struct *vma;
	bool lock;
};

/* mlock_pte - (un)lock the page one entry of a vma maps. */
static int mlock_pte(struct pte_ref ref, uint64_t va, uint64_t next,
		     struct mm_walk *walk)
{
	struct lock_state *ls = walk->private;
	pte_t pte = pte_read(ref);
	struct page *page;

	if (!pte_present(pte))
		return 0;
	page = vm_normal_page(ls->vma, va, pte);
	if (!page)
		return 0;
	if (ls->lock)
		mlock_page(page);
	else
		munlock_page(page);
	return 0;
}

static const struct mm_walk_ops mlock_walk_ops = { .pte_entry = mlock_pte };

/* mlock_newflags - VM_LOCKED set or cleared. */
static uint64_t mlock_newflags(struct vm_area_struct *vma, void *arg)
{
	bool lock = *(bool *)arg;

	return lock ? vma->vm_flags | VM_LOCKED :
		      vma->vm_flags & ~(VM_LOCKED | VM_LOCKONFAULT);
}

/* mlock_fixup - locked_vm and the mlock counts of present pages. */
static void mlock_fixup(struct vm_area_struct *vma, uint64_t old, void *arg)
{
	struct lock_state ls = { vma, *(bool *)arg };
	int64_t pages = (int64_t)vma_pages(vma);

	if ((old & VM_LOCKED) == (vma->vm_flags & VM_LOCKED))
		return;
	vma->vm_mm->locked_vm += (uint64_t)(ls.lock ? pages : -pages);
	walk_page_range(vma->vm_mm, vma->vm_start, vma->vm_end, &mlock_walk_ops, &ls);
}

/* The reason of a locked range a page of which cannot be faulted in. */
#define UNFAULTABLE	"a page cannot be faulted in: PROT_NONE or past the " \
			"end of a file (the range stays locked, as on Linux)"

/* do_mlock - see mm.h (Linux's do_mlock/apply_vma_lock_flags): the range
 * is widened to whole pages; every page must be mapped (ENOMEM, nothing
 * changed); locking then faults the range in, and a page that cannot be
 * (PROT_NONE, past the end of a file) is ENOMEM, out of memory EAGAIN
 * (__mlock_posix_error_return), with the vmas left locked as Linux
 * leaves them. */
int do_mlock(struct task_struct *t, uint64_t start, uint64_t len, bool lock)
{
	static const struct vma_range_ops lock_ops = {
		mlock_newflags, NULL, mlock_fixup,
		"range not fully mapped (nothing changed), or " UNFAULTABLE
	};
	static const struct vma_range_ops unlock_ops = {
		mlock_newflags, NULL, mlock_fixup, "range not fully mapped"
	};
	uint64_t end;
	int err = task_can_syscall(t);

	if (err)
		return err;
	len = PAGE_ALIGN(len + (start & ~PAGE_MASK));
	start &= PAGE_MASK;
	end = start + len;
	if (end < start)
		return kerror(EINVAL, RANGE_WRAPS);
	if (end == start)
		return 0;
	err = vma_range_apply(t->mm, start, end, lock ? &lock_ops : &unlock_ops,
			      &lock);
	if (err || !lock)
		return err;
	err = populate_range(t, start, end, false);
	if (err == -EFAULT)
		return kerror(ENOMEM, UNFAULTABLE);
	if (err == -ENOMEM)
		return kerror(EAGAIN, "out of memory faulting the range in (it "
			      "stays locked, as on Linux)");
	return err;
}
