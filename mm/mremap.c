/*
 * mremap.c - resizing and moving a mapping (Linux's mm/mremap.c): shrink
 * by unmapping the tail, grow in place when the space above is free, else
 * move the entries (not the pages) to a new range.
 */
#include <errno.h>
#include "internal.h"
#include "kernel/kernel.h"

/* vma_expandable - can vma grow by delta bytes in place? */
static bool vma_expandable(struct mm_struct *mm, struct vm_area_struct *vma,
			   uint64_t delta)
{
	uint64_t end = vma->vm_end + delta;

	if (end < vma->vm_end || end > mm->task_size)
		return false;
	if (vma->vm_next && vma->vm_next->vm_start < end)
		return false;
	return true;
}

/* grow_in_place - extend vma by delta bytes (already committed). */
static void grow_in_place(struct task_struct *t, struct vm_area_struct *vma,
			  uint64_t delta)
{
	uint64_t old_end = vma->vm_end;

	vma_set_bounds(vma, vma->vm_start, old_end + delta, vma->vm_pgoff);
	vm_stat_account(t->mm, vma->vm_flags, (int64_t)(delta >> PAGE_SHIFT));
	if (vma->vm_flags & VM_LOCKED) {
		t->mm->locked_vm += delta >> PAGE_SHIFT;
		populate_range(t, old_end, old_end + delta, true);
	}
}

/* move_vma - move [addr, addr+old_len) of vma to a new range of new_len
 * bytes (Linux's move_vma); with old_len 0 the new range maps the same
 * object and the old one stays. Returns the new address or -errno;
 * nothing changes on error. */
static uint64_t move_vma(struct task_struct *t, struct vm_area_struct *vma,
			 uint64_t addr, uint64_t old_len, uint64_t new_len)
{
	struct mm_struct *mm = t->mm;
	uint64_t pgoff = vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT);
	struct vm_area_struct *new_vma;
	uint64_t new_addr;

	if (mm->map_count >= sysctl_vm.max_map_count - 3)
		return (uint64_t)max_map_count_error();
	new_addr = get_unmapped_area(mm, vma->vm_file, 0, new_len, pgoff,
				     vma->vm_flags & VM_MAYSHARE ? MAP_SHARED : 0);
	if (IS_ERR_VALUE(new_addr))
		return new_addr;
	new_vma = vm_area_dup(vma);
	if (!new_vma)
		return (uint64_t)-ENOMEM;
	new_vma->vm_start = new_addr;
	new_vma->vm_end = new_addr + new_len;
	new_vma->vm_pgoff = pgoff;
	vma_link(mm, new_vma);
	if (old_len && move_page_tables(vma, addr, new_vma, new_addr, old_len)) {
		vma_unlink(mm, new_vma);
		vm_area_free(new_vma);
		return (uint64_t)-ENOMEM;
	}
	vm_stat_account(mm, new_vma->vm_flags, (int64_t)(new_len >> PAGE_SHIFT));
	if (new_vma->vm_flags & VM_LOCKED)
		mm->locked_vm += new_len >> PAGE_SHIFT;
	/* The old range's commit moves with it: munmap gives it back. */
	if (vma->vm_flags & VM_ACCOUNT)
		vm_committed_as += (int64_t)(old_len >> PAGE_SHIFT);
	BUG_ON(old_len && do_munmap(mm, addr, old_len));
	if (new_vma->vm_flags & VM_LOCKED)
		populate_range(t, new_addr + old_len, new_addr + new_len, true);
	vma_merge_neighbours(mm, new_vma);
	return new_addr;
}

/* The reasons of a length past the end of the address space, and of an
 * old range that is not mapped as one piece. */
#define MREMAP_PAST_END		"a length goes past the end of the address space"
#define MREMAP_NOT_MAPPED	"old address not mapped, or the old range is " \
				"not one mapping"

/* do_mremap - see mm.h (Linux 6.18's do_mremap, checks in its order):
 * addr page aligned and flags known, lengths rounded up, new_len 0 or
 * past TASK_SIZE EINVAL; then addr must be mapped (EFAULT, whatever the
 * lengths).  A shrink unmaps the tail, which may span vmas and holes.  To
 * grow, the old range must lie in one vma (EFAULT), and old_len 0, which
 * duplicates a mapping, needs a shared one (EINVAL); growth is committed
 * (ENOMEM), in place when the space above is free, else moved with
 * MREMAP_MAYMOVE (ENOMEM without). */
uint64_t do_mremap(struct task_struct *t, uint64_t addr, uint64_t old_len,
		   uint64_t new_len, unsigned long flags)
{
	struct mm_struct *mm = t->mm;
	struct vm_area_struct *vma;
	uint64_t delta, ret, pgoff;
	int err = task_can_syscall(t);

	if (err)
		return (uint64_t)(int64_t)err;
	if (flags & ~(unsigned long)MREMAP_MAYMOVE)
		return (uint64_t)kerror(EINVAL, "unknown flags %#lx", flags);
	if (!PAGE_ALIGNED(addr))
		return (uint64_t)not_page_aligned(addr);
	old_len = PAGE_ALIGN(old_len);
	new_len = PAGE_ALIGN(new_len);
	if (!new_len || new_len > mm->task_size)
		return (uint64_t)kerror(EINVAL, MREMAP_PAST_END);
	vma = find_vma(mm, addr);
	if (!vma || vma->vm_start > addr)
		return (uint64_t)kerror(EFAULT, MREMAP_NOT_MAPPED);
	if (old_len >= new_len) {
		if (old_len > new_len) {
			/* do_munmap's own range check, with mremap's reason */
			if (old_len > mm->task_size - addr)
				return (uint64_t)kerror(EINVAL, MREMAP_PAST_END);
			err = do_munmap(mm, addr + new_len, old_len - new_len);
			if (err)
				return (uint64_t)(int64_t)err;
		}
		return addr;
	}
	if (!old_len && !(vma->vm_flags & (VM_SHARED | VM_MAYSHARE)))
		return (uint64_t)kerror(EINVAL, "old length 0 duplicates a "
					"mapping: only a shared one");
	if (old_len > vma->vm_end - addr)
		return (uint64_t)kerror(EFAULT, MREMAP_NOT_MAPPED);
	pgoff = vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT);
	if (pgoff + (new_len >> PAGE_SHIFT) < pgoff)
		return (uint64_t)kerror(EINVAL, "the new length goes past the "
					"largest offset of the mapping");
	if (vma->vm_flags & (VM_DONTEXPAND | VM_PFNMAP))
		return (uint64_t)kerror(EFAULT, "a special mapping cannot "
					"grow");
	delta = new_len - old_len;
	if ((vma->vm_flags & VM_ACCOUNT) &&
	    vm_enough_memory((int64_t)(delta >> PAGE_SHIFT)))
		return (uint64_t)-ENOMEM;
	if (old_len == vma->vm_end - addr && vma_expandable(mm, vma, delta)) {
		grow_in_place(t, vma, delta);
		return addr;
	}
	ret = (flags & MREMAP_MAYMOVE) ?
	      move_vma(t, vma, addr, old_len, new_len) :
	      (uint64_t)kerror(ENOMEM, "mremap: out of memory, address space "
			       "or max_map_count");
	if (IS_ERR_VALUE(ret) && (vma->vm_flags & VM_ACCOUNT))
		vm_unacct_memory((int64_t)(delta >> PAGE_SHIFT));
	return ret;
}
