/*
 * mprotect.c - changing the flags of a range of vmas (Linux's
 * mm/mprotect.c do_mprotect_pkey and mprotect_fixup).
 */
#include <errno.h>
#include "internal.h"
#include "kernel/kernel.h"

/* range_covered - is every page of [start, end) inside some vma?  On
 * success *first is the vma holding start. */
static bool range_covered(struct mm_struct *mm, uint64_t start, uint64_t end,
			  struct vm_area_struct **first)
{
	struct vm_area_struct *vma = find_vma(mm, start);

	*first = vma;
	if (!vma || vma->vm_start > start)
		return false;
	while (vma->vm_end < end) {
		if (!vma->vm_next || vma->vm_next->vm_start != vma->vm_end)
			return false;
		vma = vma->vm_next;
	}
	return true;
}

/* range_check - the validation pass of vma_range_apply: each vma's check,
 * and room for the (at most two) splits at the ends. */
static int range_check(struct mm_struct *mm, struct vm_area_struct *vma,
		       uint64_t start, uint64_t end,
		       const struct vma_range_ops *ops, void *arg)
{
	int64_t splits = 0;
	int err;

	for (; vma && vma->vm_start < end; vma = vma->vm_next) {
		uint64_t nf = ops->newflags(vma, arg);

		if (nf == vma->vm_flags)
			continue;
		if (ops->check) {
			err = ops->check(vma, nf, arg);
			if (err)
				return err;
		}
		splits += (vma->vm_start < start) + (vma->vm_end > end);
	}
	if (splits && mm->map_count + splits > sysctl_vm.max_map_count)
		return max_map_count_error();
	return 0;
}

/* vma_range_apply - see internal.h. */
int vma_range_apply(struct mm_struct *mm, uint64_t start, uint64_t end,
		    const struct vma_range_ops *ops, void *arg)
{
	struct vm_area_struct *vma;
	uint64_t at = start;
	int err;

	if (!range_covered(mm, start, end, &vma))
		return kerror(ENOMEM, "%s", ops->unmapped);
	err = range_check(mm, vma, start, end, ops, arg);
	if (err)
		return err;
	while (at < end) {
		uint64_t nf, old;

		vma = find_vma(mm, at);
		nf = ops->newflags(vma, arg);
		if (nf == vma->vm_flags) {
			at = vma->vm_end;
			continue;
		}
		if (vma->vm_start < at)
			BUG_ON(split_vma(mm, vma, at, true));
		if (vma->vm_end > end)
			BUG_ON(split_vma(mm, vma, end, false));
		old = vma->vm_flags;
		vma->vm_flags = nf;
		if ((old ^ nf) & VM_GROWSDOWN)
			vma_gap_changed(vma);
		ops->fixup(vma, old, arg);
		at = vma->vm_end;
		vma_merge_neighbours(mm, vma);
	}
	return 0;
}

struct mprotect_arg {
	uint64_t prot_flags;	/* VM_READ|VM_WRITE|VM_EXEC wanted */
};

/* mprotect_newflags - the access bits replaced; a private mapping that
 * becomes writable for the first time is committed (VM_ACCOUNT). */
static uint64_t mprotect_newflags(struct vm_area_struct *vma, void *arg)
{
	struct mprotect_arg *m = arg;
	uint64_t nf = (vma->vm_flags & ~VM_ACCESS_FLAGS) | m->prot_flags;

	if ((nf & VM_WRITE) && !(vma->vm_flags & (VM_ACCOUNT | VM_WRITE |
						  VM_SHARED | VM_NORESERVE)))
		nf |= VM_ACCOUNT;
	return nf;
}

/* mprotect_check - no access beyond VM_MAY* (EACCES). */
static int mprotect_check(struct vm_area_struct *vma, uint64_t nf, void *arg)
{
	(void)vma;
	(void)arg;
	if ((nf & ~(nf >> 4)) & VM_ACCESS_FLAGS)
		return kerror(EACCES, "mprotect: protection not allowed by "
			      "the mapping");
	return 0;
}

/* mprotect_fixup - statistics and the entries of one vma. */
static void mprotect_fixup(struct vm_area_struct *vma, uint64_t old, void *arg)
{
	int64_t pages = (int64_t)vma_pages(vma);

	(void)arg;
	vm_stat_account(vma->vm_mm, old, -pages);
	vm_stat_account(vma->vm_mm, vma->vm_flags, pages);
	change_protection(vma, vma->vm_start, vma->vm_end);
}

/* newly_accounted - pages of [start, end) that become committed. */
static int64_t newly_accounted(struct mm_struct *mm, uint64_t start,
			       uint64_t end, struct mprotect_arg *m)
{
	struct vm_area_struct *vma = find_vma(mm, start);
	int64_t n = 0;

	for (; vma && vma->vm_start < end; vma = vma->vm_next)
		if ((mprotect_newflags(vma, m) & ~vma->vm_flags) & VM_ACCOUNT)
			n += (int64_t)((MIN(end, vma->vm_end) -
					MAX(start, vma->vm_start)) >> PAGE_SHIFT);
	return n;
}

/* The reason of an mprotect over a hole, or past the end of the address
 * space. */
#define MPROTECT_UNMAPPED	"range not fully mapped, or no memory"

/* mprotect_mm - see mm.h.  start page aligned; length 0 succeeds; every
 * page must be mapped (ENOMEM); no access the mapping may not have
 * (EACCES); the commit may be refused (ENOMEM). Nothing changes on error. */
int mprotect_mm(struct mm_struct *mm, uint64_t start, uint64_t len,
		unsigned long prot)
{
	static const struct vma_range_ops ops = {
		mprotect_newflags, mprotect_check, mprotect_fixup,
		MPROTECT_UNMAPPED
	};
	struct mprotect_arg m = { 0 };
	struct vm_area_struct *first;
	uint64_t end;
	int64_t charge;
	int err;

	if (!PAGE_ALIGNED(start))
		return not_page_aligned(start);
	if (prot & ~(unsigned long)(PROT_READ | PROT_WRITE | PROT_EXEC))
		return kerror(EINVAL, "bad protection %#lx", prot);
	if (!len)
		return 0;
	len = PAGE_ALIGN(len);
	end = start + len;
	if (end <= start)
		return kerror(ENOMEM, MPROTECT_UNMAPPED);
	m.prot_flags = (prot & PROT_READ ? VM_READ : 0) |
		       (prot & PROT_WRITE ? VM_WRITE : 0) |
		       (prot & PROT_EXEC ? VM_EXEC : 0);
	if (!range_covered(mm, start, end, &first))
		return kerror(ENOMEM, MPROTECT_UNMAPPED);
	err = range_check(mm, first, start, end, &ops, &m);
	if (err)
		return err;
	charge = newly_accounted(mm, start, end, &m);
	if (charge && vm_enough_memory(charge))
		return -ENOMEM;
	return vma_range_apply(mm, start, end, &ops, &m);
}

/* do_mprotect - see mm.h: mprotect_mm on the address space of a live
 * process. */
int do_mprotect(struct task_struct *t, uint64_t start, uint64_t len,
		unsigned long prot)
{
	int err = task_can_syscall(t);

	if (err)
		return err;
	return mprotect_mm(t->mm, start, len, prot);
}
