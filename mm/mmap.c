/*
 * mmap.c - creating, splitting, merging and removing vmas: mmap, munmap,
 * brk and the initial stack (Linux's mm/mmap.c and mm/vma.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "mm/kernel.h"

/* ---- vma objects ---- */

/* vm_area_alloc - a zeroed vma of mm, not linked. NULL on ENOMEM. */
struct vm_area_struct *vm_area_alloc(struct mm_struct *mm)
{
	struct vm_area_struct *vma = calloc(1, sizeof(*vma));

	if (vma)
		vma->vm_mm = mm;
	return vma;
}

/* vm_area_dup - a copy of orig (same range, flags, object, anon_vma), not
 * linked; the object gains a reference. NULL on ENOMEM. */
struct vm_area_struct *vm_area_dup(struct vm_area_struct *orig)
{
	struct vm_area_struct *vma = vm_area_alloc(orig->vm_mm);

	if (!vma)
		return NULL;
	vma->vm_start = orig->vm_start;
	vma->vm_end = orig->vm_end;
	vma->vm_flags = orig->vm_flags;
	vma->vm_pgoff = orig->vm_pgoff;
	vma->vm_file = orig->vm_file;
	vma->anon_vma = orig->anon_vma;
	vma->vm_special = orig->vm_special;
	if (vma->vm_file)
		mapping_get(vma->vm_file);
	return vma;
}

/* vm_area_free - free an unlinked vma, dropping its object reference. */
void vm_area_free(struct vm_area_struct *vma)
{
	if (vma->vm_file)
		mapping_put(vma->vm_file);
	free(vma);
}

/* vm_stat_account - see mm.h (Linux's vm_stat_account). */
void vm_stat_account(struct mm_struct *mm, uint64_t flags, int64_t npages)
{
	mm->total_vm += (uint64_t)npages;
	if ((flags & (VM_EXEC | VM_WRITE | VM_STACK)) == VM_EXEC)
		mm->exec_vm += (uint64_t)npages;
	else if ((flags & VM_STACK) == VM_STACK)
		mm->stack_vm += (uint64_t)npages;
	else if ((flags & (VM_WRITE | VM_SHARED | VM_STACK)) == VM_WRITE)
		mm->data_vm += (uint64_t)npages;
	if (flags & VM_SHARED)
		mm->shared_vm += (uint64_t)npages;
	if (mm->total_vm > mm->hiwater_vm)
		mm->hiwater_vm = mm->total_vm;
}

/* remove_vma - unaccount and free a vma already unlinked and zapped. */
void remove_vma(struct mm_struct *mm, struct vm_area_struct *vma)
{
	if (vma->vm_flags & VM_ACCOUNT)
		vm_unacct_memory((int64_t)vma_pages(vma));
	if (vma->vm_flags & VM_LOCKED)
		mm->locked_vm -= vma_pages(vma);
	vm_stat_account(mm, vma->vm_flags, -(int64_t)vma_pages(vma));
	vm_area_free(vma);
}

/* split_vma - see mm.h. */
int split_vma(struct mm_struct *mm, struct vm_area_struct *vma, uint64_t addr,
	      bool new_below)
{
	struct vm_area_struct *new;
	uint64_t delta = (addr - vma->vm_start) >> PAGE_SHIFT;

	BUG_ON(addr <= vma->vm_start || addr >= vma->vm_end ||
	       !PAGE_ALIGNED(addr));
	if (mm->map_count >= sysctl_vm.max_map_count)
		return -ENOMEM;
	new = vm_area_dup(vma);
	if (!new)
		return -ENOMEM;
	if (new_below) {
		new->vm_end = addr;
		vma_set_bounds(vma, addr, vma->vm_end, vma->vm_pgoff + delta);
	} else {
		new->vm_start = addr;
		new->vm_pgoff += delta;
		vma_set_bounds(vma, vma->vm_start, addr, vma->vm_pgoff);
	}
	vma_link(mm, new);
	return 0;
}

/* can_merge - may a (below) and b (just above) become one vma?  Same
 * flags (but VM_SOFTDIRTY), same object at contiguous offsets, and
 * compatible anon_vmas (Linux's is_mergeable_vma/anon_vma). */
static bool can_merge(const struct vm_area_struct *a,
		      const struct vm_area_struct *b)
{
	if (!a || !b || a->vm_end != b->vm_start)
		return false;
	if ((a->vm_flags ^ b->vm_flags) & ~VM_IGNORE_MERGE)
		return false;
	if (a->vm_file != b->vm_file || a->vm_special || b->vm_special)
		return false;
	if (a->vm_pgoff + vma_pages(a) != b->vm_pgoff)
		return false;
	return !a->anon_vma || !b->anon_vma || a->anon_vma == b->anon_vma;
}

/* merge_into - b (just above a) is absorbed by a. */
static void merge_into(struct mm_struct *mm, struct vm_area_struct *a,
		       struct vm_area_struct *b)
{
	uint64_t end = b->vm_end;

	if (!a->anon_vma)
		a->anon_vma = b->anon_vma;
	a->vm_flags |= b->vm_flags & VM_SOFTDIRTY;
	vma_unlink(mm, b);
	vm_area_free(b);
	vma_set_bounds(a, a->vm_start, end, a->vm_pgoff);
}

/* vma_merge_neighbours - see mm.h. */
struct vm_area_struct *vma_merge_neighbours(struct mm_struct *mm,
					    struct vm_area_struct *vma)
{
	struct vm_area_struct *prev = vma->vm_prev;

	if (can_merge(vma, vma->vm_next))
		merge_into(mm, vma, vma->vm_next);
	if (can_merge(prev, vma)) {
		merge_into(mm, prev, vma);
		vma = prev;
	}
	return vma;
}

/* ---- finding room ---- */

/* unmapped_area - search [low, high) for len bytes (top-down or not). */
static uint64_t unmapped_area(struct mm_struct *mm, uint64_t len,
			      uint64_t low, uint64_t high, bool topdown)
{
	struct vm_unmapped_area_info info = {
		.flags = topdown ? VM_UNMAPPED_AREA_TOPDOWN : 0,
		.length = len,
		.low_limit = MAX(low, MAX(PAGE_SIZE, sysctl_vm.mmap_min_addr)),
		.high_limit = high,
	};

	return vm_unmapped_area(mm, &info);
}

/* arch_get_unmapped_area - Linux's x86 search: top-down below mmap_base
 * falling back to bottom-up from TASK_UNMAPPED_BASE, or bottom-up from
 * mmap_base in the legacy layout. */
static uint64_t arch_get_unmapped_area(struct mm_struct *mm, uint64_t len)
{
	uint64_t addr;

	if (boot_params.legacy_layout)
		return unmapped_area(mm, len, mm->mmap_base, mm->task_size,
				     false);
	addr = unmapped_area(mm, len, PAGE_SIZE, mm->mmap_base, true);
	if (!IS_ERR_VALUE(addr))
		return addr;
	return unmapped_area(mm, len, PAGE_ALIGN(mm->task_size / 3),
			     mm->task_size, false);
}

/* hint_is_free - can [addr, addr+len) be used as it is? */
static bool hint_is_free(struct mm_struct *mm, uint64_t addr, uint64_t len)
{
	struct vm_area_struct *prev, *vma = find_vma_prev(mm, addr, &prev);

	return addr <= mm->task_size - len &&
	       addr >= sysctl_vm.mmap_min_addr &&
	       (!vma || addr + len <= vm_start_gap(vma)) &&
	       (!prev || addr >= vm_end_gap(prev));
}

/* thp_get_unmapped_area - a start at which the mapping's file offset and
 * address agree modulo 2 MiB, so that huge pages could map it (Linux
 * 6.7+'s __thp_get_unmapped_area): search for len + 2 MiB and align inside
 * it; mappings that do not cover a whole aligned 2 MiB of the object are
 * placed as usual. */
static uint64_t thp_get_unmapped_area(struct mm_struct *mm, uint64_t len,
				      uint64_t off)
{
	uint64_t size = 2ULL << 20, ret, off_sub;
	uint64_t off_align = (off + size - 1) & ~(size - 1);

	if (len + size < len || off + len <= off_align ||
	    off + len - off_align < size)
		return arch_get_unmapped_area(mm, len);
	ret = arch_get_unmapped_area(mm, len + size);
	if (IS_ERR_VALUE(ret))
		return arch_get_unmapped_area(mm, len);
	off_sub = (off - ret) & (size - 1);
	if (!boot_params.legacy_layout && !off_sub)
		return ret + size;
	return ret + off_sub;
}

/* get_unmapped_area - see mm.h. */
uint64_t get_unmapped_area(struct mm_struct *mm, struct address_space *file,
			   uint64_t addr, uint64_t len, uint64_t pgoff,
			   unsigned long flags)
{
	if (len > mm->task_size)
		return (uint64_t)-ENOMEM;
	if (flags & MAP_FIXED) {
		if (addr > mm->task_size - len)
			return (uint64_t)-ENOMEM;
		if (!PAGE_ALIGNED(addr))
			return (uint64_t)-EINVAL;
		return addr;
	}
	if (addr) {
		addr = PAGE_ALIGN(addr);
		if (hint_is_free(mm, addr, len))
			return addr;
	}
	if (hw.geom->mode != PAGING_4LEVEL)
		return arch_get_unmapped_area(mm, len);
	/* Host files: ext4's f_op->get_unmapped_area is
	 * thp_get_unmapped_area; anonymous private memory in 2 MiB
	 * multiples too (shmem does not, with huge=never). */
	if (file && !file->shmem)
		return thp_get_unmapped_area(mm, len, pgoff << PAGE_SHIFT);
	if (!file && !(flags & MAP_SHARED) && (len & ((2ULL << 20) - 1)) == 0)
		return thp_get_unmapped_area(mm, len, 0);
	return arch_get_unmapped_area(mm, len);
}

/* ---- mmap ---- */

/* calc_vm_flags - vm_flags for a new mapping (calc_vm_prot_bits and
 * calc_vm_flag_bits). */
static uint64_t calc_vm_flags(struct mm_struct *mm, unsigned long prot,
			      unsigned long flags)
{
	uint64_t vm_flags = mm->def_flags | VM_MAYREAD | VM_MAYWRITE |
			    VM_MAYEXEC;

	if (prot & PROT_READ)
		vm_flags |= VM_READ;
	if (prot & PROT_WRITE)
		vm_flags |= VM_WRITE;
	if (prot & PROT_EXEC)
		vm_flags |= VM_EXEC;
	if (flags & MAP_GROWSDOWN)
		vm_flags |= VM_GROWSDOWN;
	if (flags & MAP_LOCKED)
		vm_flags |= VM_LOCKED;
	if ((flags & MAP_TYPE) == MAP_SHARED)
		vm_flags |= VM_SHARED | VM_MAYSHARE;
	if ((flags & MAP_NORESERVE) && sysctl_vm.overcommit_memory != 2)
		vm_flags |= VM_NORESERVE;
	return vm_flags;
}

/* accounted_pages - pages of VM_ACCOUNT vmas inside [start, end). */
static uint64_t accounted_pages(struct mm_struct *mm, uint64_t start,
				uint64_t end)
{
	struct vm_area_struct *vma = find_vma(mm, start);
	uint64_t n = 0;

	for (; vma && vma->vm_start < end; vma = vma->vm_next)
		if (vma->vm_flags & VM_ACCOUNT)
			n += (MIN(end, vma->vm_end) -
			      MAX(start, vma->vm_start)) >> PAGE_SHIFT;
	return n;
}

/* charge_new_mapping - commit the pages of a new accountable mapping that
 * replaces old_acc accounted pages: munmap of the old range gives those
 * back, so only the difference is checked (as Linux's mmap_region). */
static int charge_new_mapping(uint64_t pages, uint64_t old_acc)
{
	if (pages > old_acc && vm_enough_memory((int64_t)(pages - old_acc)))
		return -ENOMEM;
	vm_committed_as += (int64_t)MIN(pages, old_acc);
	return 0;
}

/* munmap_would_split - would unmapping [start, end) split one vma into
 * two (and need a free vma slot)? */
static bool munmap_would_split(struct mm_struct *mm, uint64_t start,
			       uint64_t end)
{
	struct vm_area_struct *vma = find_vma(mm, start);

	return vma && vma->vm_start < start && end < vma->vm_end;
}

/*
 * mmap_region - map [addr, addr+len) with vm_flags, replacing what is
 * there (Linux's mmap_region).  Everything that can fail is checked or
 * allocated before the address space changes.
 */
static uint64_t mmap_region(struct mm_struct *mm, struct address_space *file,
			    uint64_t addr, uint64_t len, uint64_t vm_flags,
			    uint64_t pgoff)
{
	uint64_t end = addr + len, pages = len >> PAGE_SHIFT;
	struct vm_area_struct *vma;
	bool overlap = find_vma_intersection(mm, addr, end) != NULL;

	if (overlap && munmap_would_split(mm, addr, end) &&
	    mm->map_count >= sysctl_vm.max_map_count)
		return (uint64_t)-ENOMEM;
	vma = vm_area_alloc(mm);
	if (!vma)
		return (uint64_t)-ENOMEM;
	if (file) {
		mapping_get(file);
	} else if (vm_flags & VM_SHARED) {
		file = shmem_zero_setup(len, vm_flags);
		if (!file) {
			free(vma);
			return (uint64_t)-ENOMEM;
		}
	}
	if (accountable_mapping(file, vm_flags)) {
		if (charge_new_mapping(pages, accounted_pages(mm, addr, end))) {
			if (file)
				mapping_put(file);
			free(vma);
			return (uint64_t)-ENOMEM;
		}
		vm_flags |= VM_ACCOUNT;
	}
	if (overlap && do_munmap(mm, addr, len)) {
		if (vm_flags & VM_ACCOUNT)
			vm_unacct_memory((int64_t)pages);
		if (file)
			mapping_put(file);
		free(vma);
		return (uint64_t)-ENOMEM;
	}
	vma->vm_start = addr;
	vma->vm_end = end;
	vma->vm_flags = vm_flags | VM_SOFTDIRTY;
	vma->vm_pgoff = pgoff;
	vma->vm_file = file;
	vma_link(mm, vma);
	vm_stat_account(mm, vm_flags, (int64_t)pages);
	if (vm_flags & VM_LOCKED)
		mm->locked_vm += pages;
	if (!file || !file->shmem)
		vma_merge_neighbours(mm, vma);
	return addr;
}

/* validate_mmap - the checks of do_mmap that need no search. */
static int validate_mmap(struct mm_struct *mm, uint64_t len,
			 unsigned long prot, unsigned long flags,
			 uint64_t pgoff)
{
	unsigned long type = flags & MAP_TYPE;

	if (!len)
		return -EINVAL;
	if (type != MAP_SHARED && type != MAP_PRIVATE && type != 3)
		return -EINVAL;
	if (prot & ~(unsigned long)(PROT_READ | PROT_WRITE | PROT_EXEC))
		return -EINVAL;
	if (type != MAP_PRIVATE && (flags & MAP_GROWSDOWN))
		return -EINVAL;
	if (PAGE_ALIGN(len) == 0 || len > mm->task_size)
		return -ENOMEM;
	if (pgoff + (PAGE_ALIGN(len) >> PAGE_SHIFT) < pgoff)
		return -EOVERFLOW;
	if (mm->map_count > sysctl_vm.max_map_count)
		return -ENOMEM;
	return 0;
}

/* mmap_common - Linux's do_mmap in mm for an anonymous mapping (file
 * NULL) or a host file (writable: the user may write it); t, when there
 * is one, gets the faults of MAP_POPULATE and VM_LOCKED. */
static uint64_t mmap_common(struct mm_struct *mm, struct task_struct *t,
			    struct address_space *file, bool writable,
			    uint64_t addr, uint64_t len, unsigned long prot,
			    unsigned long flags, uint64_t pgoff)
{
	uint64_t vm_flags;
	int err = validate_mmap(mm, len, prot, flags, pgoff);

	if (err)
		return (uint64_t)(int64_t)err;
	len = PAGE_ALIGN(len);
	if (flags & MAP_FIXED_NOREPLACE)
		flags |= MAP_FIXED;
	if (!(flags & MAP_FIXED) && addr && addr < sysctl_vm.mmap_min_addr)
		addr = PAGE_ALIGN(sysctl_vm.mmap_min_addr);
	addr = get_unmapped_area(mm, file, addr, len, pgoff, flags);
	if (IS_ERR_VALUE(addr))
		return addr;
	if ((flags & MAP_FIXED) && addr < sysctl_vm.mmap_min_addr)
		return (uint64_t)-EPERM;
	if ((flags & MAP_FIXED_NOREPLACE) &&
	    find_vma_intersection(mm, addr, addr + len))
		return (uint64_t)-EEXIST;
	vm_flags = calc_vm_flags(mm, prot, flags);
	if (file && (flags & MAP_TYPE) == MAP_SHARED && !writable) {
		if (prot & PROT_WRITE)
			return (uint64_t)-EACCES;
		vm_flags &= ~(VM_MAYWRITE | VM_SHARED);
	}
	if (!file)
		pgoff = (flags & MAP_TYPE) == MAP_PRIVATE ? addr >> PAGE_SHIFT : 0;
	addr = mmap_region(mm, file, addr, len, vm_flags, pgoff);
	if (t && !IS_ERR_VALUE(addr) && ((vm_flags & VM_LOCKED) ||
	    (flags & (MAP_POPULATE | MAP_NONBLOCK)) == MAP_POPULATE))
		populate_range(t, addr, addr + len);
	return addr;
}

/* do_mmap - see mm.h. */
uint64_t do_mmap(struct task_struct *t, uint64_t addr, uint64_t len,
		 unsigned long prot, unsigned long flags, uint64_t pgoff)
{
	int err = task_can_syscall(t);

	if (err)
		return (uint64_t)(int64_t)err;
	if (!(flags & MAP_ANONYMOUS))
		return (uint64_t)-EBADF;
	return mmap_common(t->mm, t, NULL, false, addr, len, prot, flags,
			   pgoff);
}

/* mmap_mm - see mm.h. */
uint64_t mmap_mm(struct mm_struct *mm, struct address_space *file,
		 uint64_t addr, uint64_t len, unsigned long prot,
		 unsigned long flags, uint64_t pgoff)
{
	return mmap_common(mm, NULL, file, false, addr, len, prot, flags,
			   pgoff);
}

/* do_mmap_file - see mm.h.  The file is opened before anything else is
 * checked, as Linux's mmap gets an open file. */
uint64_t do_mmap_file(struct task_struct *t, uint64_t addr, uint64_t len,
		      unsigned long prot, unsigned long flags, const char *path,
		      uint64_t off)
{
	struct address_space *file;
	bool writable;
	uint64_t ret;
	int err = task_can_syscall(t);

	if (err)
		return (uint64_t)(int64_t)err;
	if ((flags & MAP_ANONYMOUS) || !PAGE_ALIGNED(off))
		return (uint64_t)-EINVAL;
	file = filemap_open(path, &writable, &err);
	if (!file)
		return (uint64_t)(int64_t)err;
	/* Linux's file_mmap_ok: the mapping ends below MAX_LFS_FILESIZE. */
	if (len && len <= t->mm->task_size &&
	    off > (uint64_t)INT64_MAX - PAGE_ALIGN(len)) {
		mapping_put(file);
		return (uint64_t)-EOVERFLOW;
	}
	ret = mmap_common(t->mm, t, file, writable, addr, len, prot, flags,
			  off >> PAGE_SHIFT);
	mapping_put(file);
	return ret;
}

/* populate_range - see mm.h (Linux's populate_vma_page_range): writable
 * private mappings are written to break COW, PROT_NONE ones skipped;
 * stops at the first failure (OOM), as mm_populate ignores errors. */
void populate_range(struct task_struct *t, uint64_t start, uint64_t end)
{
	struct mm_struct *mm = t->mm;
	uint64_t va;

	for (va = start; va < end; va += PAGE_SIZE) {
		struct vm_area_struct *vma = find_vma(mm, va);
		struct pte_ref ref;
		bool write;
		pte_t pte;

		if (!vma || vma->vm_start > va)
			return;
		if (!vma_is_accessible(vma)) {
			va = vma->vm_end - PAGE_SIZE;
			continue;
		}
		write = (vma->vm_flags & (VM_WRITE | VM_SHARED)) == VM_WRITE;
		if (!walk_pte(mm, va, false, &ref)) {
			pte = pte_read(ref);
			if (pte_present(pte) && (!write || pte_write_ok(pte)))
				continue;
		}
		if (handle_mm_fault(vma, va, write ? FAULT_FLAG_WRITE : 0, t) &
		    VM_FAULT_ERROR)
			return;
	}
}

/* ---- munmap ---- */

/* unmap_vmas_range - zap, unlink and free every vma inside [start, end)
 * (already split at both ends), then free their page tables. */
static void unmap_vmas_range(struct mm_struct *mm, uint64_t start,
			     uint64_t end)
{
	struct vm_area_struct *prev, *vma = find_vma_prev(mm, start, &prev);
	struct vm_area_struct *next;
	uint64_t floor = prev ? prev->vm_end : 0, ceiling, cleared = 0;

	while (vma && vma->vm_start < end) {
		next = vma->vm_next;
		cleared += unmap_page_range(vma, vma->vm_start, vma->vm_end);
		vma_unlink(mm, vma);
		remove_vma(mm, vma);
		vma = next;
	}
	if (cleared)
		flush_tlb_range(mm, start, end);
	ceiling = vma ? vma->vm_start : 0;
	free_pgd_range(mm, start, end, floor, ceiling);
}

/* do_munmap - see mm.h (Linux's do_vmi_munmap): start page aligned, len
 * rounded up; unmapping nothing succeeds. 0, -EINVAL or -ENOMEM (one vma
 * would become two at max_map_count). */
int do_munmap(struct mm_struct *mm, uint64_t start, uint64_t len)
{
	struct vm_area_struct *vma, *last;
	uint64_t end;
	int err;

	if (!PAGE_ALIGNED(start) || start > mm->task_size ||
	    len > mm->task_size - start)
		return -EINVAL;
	len = PAGE_ALIGN(len);
	if (!len)
		return -EINVAL;
	end = start + len;
	vma = find_vma(mm, start);
	if (!vma || vma->vm_start >= end)
		return 0;
	if (munmap_would_split(mm, start, end) &&
	    mm->map_count >= sysctl_vm.max_map_count)
		return -ENOMEM;
	if (vma->vm_start < start) {
		err = split_vma(mm, vma, start, false);
		if (err)
			return err;
	}
	last = find_vma(mm, end - 1);
	if (last && last->vm_start < end && end < last->vm_end) {
		err = split_vma(mm, last, end, true);
		if (err)
			return err;
	}
	unmap_vmas_range(mm, start, end);
	return 0;
}

/* ---- brk ---- */

/* brk_vm_flags - the flags of heap memory (Linux's VM_DATA_DEFAULT_FLAGS
 * plus VM_ACCOUNT and the mm's defaults). */
static uint64_t brk_vm_flags(const struct mm_struct *mm)
{
	return VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC |
	       VM_ACCOUNT | mm->def_flags;
}

/* do_brk_flags - add [addr, addr+len) to the heap: extend the vma ending
 * at addr when it is the heap, or make a new one (Linux's do_brk_flags). */
static int do_brk_flags(struct mm_struct *mm, struct vm_area_struct *brkvma,
			uint64_t addr, uint64_t len, uint64_t extra)
{
	uint64_t flags = brk_vm_flags(mm) | extra;
	struct vm_area_struct *vma;

	if (mm->map_count > sysctl_vm.max_map_count)
		return -ENOMEM;
	vma = brkvma ? NULL : vm_area_alloc(mm);
	if (!brkvma && !vma)
		return -ENOMEM;
	if (vm_enough_memory((int64_t)(len >> PAGE_SHIFT))) {
		free(vma);
		return -ENOMEM;
	}
	if (brkvma) {
		vma_set_bounds(brkvma, brkvma->vm_start, addr + len,
			       brkvma->vm_pgoff);
	} else {
		vma->vm_start = addr;
		vma->vm_end = addr + len;
		vma->vm_pgoff = addr >> PAGE_SHIFT;
		vma->vm_flags = flags | VM_SOFTDIRTY;
		vma_link(mm, vma);
	}
	vm_stat_account(mm, flags, (int64_t)(len >> PAGE_SHIFT));
	if (flags & VM_LOCKED)
		mm->locked_vm += len >> PAGE_SHIFT;
	return 0;
}

/* brk_prev - the anonymous vma ending at addr that anonymous memory with
 * flags may extend (do_brk_flags's vma_merge_new_range), else NULL. */
static struct vm_area_struct *brk_prev(struct mm_struct *mm, uint64_t addr,
				       uint64_t flags)
{
	struct vm_area_struct *prev;

	find_vma_prev(mm, addr, &prev);
	if (!prev || prev->vm_end != addr || prev->vm_file || prev->vm_special ||
	    (prev->vm_flags & ~VM_IGNORE_MERGE) != (flags & ~VM_IGNORE_MERGE))
		return NULL;
	return prev;
}

/* heap_vma - the vma ending at oldbrk if it is the heap's (it starts at or
 * above start_brk and can be extended), else NULL. */
static struct vm_area_struct *heap_vma(struct mm_struct *mm, uint64_t oldbrk)
{
	struct vm_area_struct *prev = brk_prev(mm, oldbrk, brk_vm_flags(mm));

	return prev && prev->vm_start >= mm->start_brk ? prev : NULL;
}

/* do_brk - see mm.h (Linux's brk syscall): below start_brk or into
 * another mapping (keeping a page plus the guard gap below it) fails with
 * brk unchanged; shrinking always succeeds. */
uint64_t do_brk(struct task_struct *t, uint64_t brk, int *err)
{
	struct mm_struct *mm = t->mm;
	uint64_t newbrk, oldbrk;
	struct vm_area_struct *next;

	*err = task_can_syscall(t);
	if (*err)
		return 0;
	if (brk < mm->start_brk || brk > mm->task_size)
		goto fail;
	newbrk = PAGE_ALIGN(brk);
	oldbrk = PAGE_ALIGN(mm->brk);
	if (oldbrk == newbrk) {
		mm->brk = brk;
		return brk;
	}
	if (brk <= mm->brk) {
		if (do_munmap(mm, newbrk, oldbrk - newbrk))
			goto fail;
		mm->brk = brk;
		return brk;
	}
	next = find_vma(mm, oldbrk);
	if (next && newbrk + PAGE_SIZE > vm_start_gap(next))
		goto fail;
	if (do_brk_flags(mm, heap_vma(mm, oldbrk), oldbrk, newbrk - oldbrk, 0))
		goto fail;
	mm->brk = brk;
	return brk;
fail:
	*err = -ENOMEM;
	return mm->brk;
}

/* vm_brk_flags - see mm.h.  The range must lie in user space; what is
 * there is unmapped first (so a failure there changes nothing). */
int vm_brk_flags(struct mm_struct *mm, uint64_t addr, uint64_t len,
		 uint64_t extra)
{
	if (!len)
		return 0;
	if (addr > mm->task_size || len > mm->task_size - addr)
		return -ENOMEM;
	if (find_vma_intersection(mm, addr, addr + len) &&
	    do_munmap(mm, addr, len))
		return -ENOMEM;
	return do_brk_flags(mm, brk_prev(mm, addr, brk_vm_flags(mm) | extra),
			    addr, len, extra);
}

/* ---- stack ---- */

/* setup_new_stack - see mm.h. */
int setup_new_stack(struct mm_struct *mm)
{
	uint64_t top = mm->task_size - randomize(stack_rnd_range());

	return setup_stack(mm, top - 0x21000, top, 0);
}

/* setup_stack - see mm.h. */
int setup_stack(struct mm_struct *mm, uint64_t start, uint64_t end,
		uint64_t extra_flags)
{
	uint64_t size = end - start, top = end;
	struct vm_area_struct *vma = vm_area_alloc(mm);

	if (!vma)
		return -ENOMEM;
	if (vm_enough_memory((int64_t)(size >> PAGE_SHIFT))) {
		free(vma);
		return -ENOMEM;
	}
	vma->vm_start = top - size;
	vma->vm_end = top;
	vma->vm_flags = VM_GROWSDOWN | VM_READ | VM_WRITE | VM_MAYREAD |
			VM_MAYWRITE | VM_MAYEXEC | VM_ACCOUNT | VM_SOFTDIRTY |
			extra_flags | mm->def_flags;
	vma->vm_pgoff = vma->vm_start >> PAGE_SHIFT;
	vma_link(mm, vma);
	vm_stat_account(mm, vma->vm_flags, (int64_t)(size >> PAGE_SHIFT));
	mm->start_stack = top;
	return 0;
}
