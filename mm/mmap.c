/*
 * mmap.c - creating, splitting, merging and removing vmas: mmap, munmap,
 * brk, the initial stack and exit_mmap (Linux's mm/mmap.c and mm/vma.c),
 * and where mmap and the stack go (arch/x86/mm/mmap.c).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "mm/slab.h"
#include "internal.h"
#include "kernel/kernel.h"

/* The reason of an mmap that does not fit the address space. */
#define MMAP_NO_ROOM	"mmap: out of memory, address space or max_map_count"

/* ---- vma objects ---- */

/* vm_area_alloc - a zeroed vma of mm, not linked, with its slab object.
 * NULL on ENOMEM (host memory, or no frame for the slab). */
struct vm_area_struct *vm_area_alloc(struct mm_struct *mm)
{
	struct vm_area_struct *vma = calloc(1, sizeof(*vma));

	if (!vma) {
		host_enomem();
		return NULL;
	}
	vma->slab_obj = kmem_cache_alloc(vm_area_cachep);
	if (!vma->slab_obj) {
		free(vma);
		return NULL;
	}
	vma->vm_mm = mm;
	return vma;
}

/* not_page_aligned - see internal.h. */
int not_page_aligned(uint64_t addr)
{
	return kerror(EINVAL, "address %#" PRIx64 " not page aligned", addr);
}

/* max_map_count_error - see mm.h. */
int max_map_count_error(void)
{
	return kerror(ENOMEM, "max_map_count (%" PRId64 ") reached",
		      sysctl_vm.max_map_count);
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
	kmem_cache_free(vm_area_cachep, vma->slab_obj);
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
		return max_map_count_error();
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

/* hint_is_free - can [addr, addr+len) be used as it is, below end? */
static bool hint_is_free(struct mm_struct *mm, uint64_t addr, uint64_t len,
			 uint64_t end)
{
	struct vm_area_struct *prev, *vma = find_vma_prev(mm, addr, &prev);

	return len <= end && addr <= end - len &&
	       addr >= sysctl_vm.mmap_min_addr &&
	       (!vma || addr + len <= vm_start_gap(vma)) &&
	       (!prev || addr >= vm_end_gap(prev));
}

/* map_32bit - does MAP_32BIT apply?  Only to a 64-bit process: an i386
 * machine's (in_32bit_syscall) ignores it. */
static bool map_32bit(unsigned long flags)
{
	return (flags & MAP_32BIT) && kernel_is_64bit();
}

/* bottomup_area - x86's arch_get_unmapped_area: the hint if free, else
 * the lowest room from mmap_base (the legacy base), or inside [1 GiB,
 * 2 GiB) for MAP_32BIT, whose start --aslr moves by up to 32 MiB
 * (find_start_end). */
static uint64_t bottomup_area(struct mm_struct *mm, uint64_t addr,
			      uint64_t len, unsigned long flags)
{
	uint64_t begin = mm->mmap_base, end = mm->task_size;

	if (map_32bit(flags)) {
		begin = 0x40000000 + randomize(0x02000000);
		end = 0x80000000;
	} else if (!boot_params.legacy_layout) {
		begin = PAGE_ALIGN(mm->task_size / 3);
	}
	if (addr) {
		addr = PAGE_ALIGN(addr);
		if (hint_is_free(mm, addr, len, end))
			return addr;
	}
	return unmapped_area(mm, len, begin, end, false);
}

/* arch_get_unmapped_area - Linux's x86 search (arch/x86/kernel/
 * sys_x86_64.c): in the flexible layout the hint (rounded down) if free,
 * else top-down below mmap_base, falling back to bottom-up; MAP_32BIT and
 * the legacy layout search bottom-up. */
static uint64_t arch_get_unmapped_area(struct mm_struct *mm, uint64_t addr,
				       uint64_t len, unsigned long flags)
{
	uint64_t found;

	if (boot_params.legacy_layout || map_32bit(flags))
		return bottomup_area(mm, addr, len, flags);
	if (addr) {
		addr &= PAGE_MASK;
		if (hint_is_free(mm, addr, len, mm->task_size))
			return addr;
	}
	found = unmapped_area(mm, len, PAGE_SIZE, mm->mmap_base, true);
	if (!IS_ERR_VALUE(found))
		return found;
	return bottomup_area(mm, addr, len, flags);
}

/* thp_get_unmapped_area - a start at which the mapping's file offset and
 * address agree modulo 2 MiB, so that huge pages could map it (Linux
 * 6.7+'s __thp_get_unmapped_area): search for len + 2 MiB, the hint
 * first, and align inside it unless the hint was free for all of it;
 * mappings that do not cover a whole aligned 2 MiB of the object, and
 * 32-bit machines, are placed as usual. */
static uint64_t thp_get_unmapped_area(struct mm_struct *mm, uint64_t addr,
				      uint64_t len, uint64_t off,
				      unsigned long flags)
{
	uint64_t size = 2ULL << 20, ret, off_sub;
	uint64_t off_align = (off + size - 1) & ~(size - 1);

	if (!kernel_is_64bit() || len + size < len ||
	    off + len <= off_align || off + len - off_align < size)
		return arch_get_unmapped_area(mm, addr, len, flags);
	ret = arch_get_unmapped_area(mm, addr, len + size, flags);
	if (IS_ERR_VALUE(ret))
		return arch_get_unmapped_area(mm, addr, len, flags);
	if (ret == addr)
		return addr;
	off_sub = (off - ret) & (size - 1);
	if (!boot_params.legacy_layout && !off_sub)
		return ret + size;
	return ret + off_sub;
}

/* file_get_unmapped_area - room for len bytes of file (NULL: anonymous
 * memory) near the hint addr, as the object's f_op->get_unmapped_area
 * finds it, or -ENOMEM. */
static uint64_t file_get_unmapped_area(struct mm_struct *mm,
				       struct address_space *file,
				       uint64_t addr, uint64_t len,
				       uint64_t pgoff, unsigned long flags)
{
	/* Host files: ext4's f_op->get_unmapped_area is
	 * thp_get_unmapped_area, and so is /dev/zero's for a private
	 * mapping (get_unmapped_area_zero); a shared one, like shared
	 * anonymous memory, is shmem's, which does not align with
	 * huge=never.  Anonymous private memory is aligned in 2 MiB
	 * multiples when there is no hint. */
	if (file && !file->shmem && !(file->dev_zero && (flags & MAP_SHARED)))
		return thp_get_unmapped_area(mm, addr, len, pgoff << PAGE_SHIFT,
					     flags);
	if (!file && !(flags & MAP_SHARED) && !addr &&
	    (len & ((2ULL << 20) - 1)) == 0)
		return thp_get_unmapped_area(mm, 0, len, 0, flags);
	return arch_get_unmapped_area(mm, addr, len, flags);
}

/* get_unmapped_area - see mm.h (Linux's __get_unmapped_area). */
uint64_t get_unmapped_area(struct mm_struct *mm, struct address_space *file,
			   uint64_t addr, uint64_t len, uint64_t pgoff,
			   unsigned long flags)
{
	uint64_t found;

	if (len > mm->task_size)
		return (uint64_t)kerror(ENOMEM, MMAP_NO_ROOM);
	if (flags & MAP_FIXED) {
		if (addr > mm->task_size - len)
			return (uint64_t)kerror(ENOMEM, MMAP_NO_ROOM);
		if (!PAGE_ALIGNED(addr))
			return (uint64_t)kerror(EINVAL, "fixed address %#" PRIx64
						" not page aligned", addr);
		return addr;
	}
	found = file_get_unmapped_area(mm, file, addr, len, pgoff, flags);
	if (IS_ERR_VALUE(found))
		return (uint64_t)kerror(ENOMEM, "no free range of %#" PRIx64
					" bytes in the address space", len);
	return found;
}

/* ---- mmap ---- */

/* calc_vm_flags - vm_flags for a new mapping from its protection and
 * flags (calc_vm_prot_bits and calc_vm_flag_bits: whatever the mapping's
 * type, MAP_SYNC gives VM_SYNC and MAP_STACK VM_NOHUGEPAGE). */
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
	if (flags & MAP_SYNC)
		vm_flags |= VM_SYNC;
	if (flags & MAP_STACK)
		vm_flags |= VM_NOHUGEPAGE;
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

/* file_mmap - the object's mmap operation (f_op->mmap): ext4 and xfs
 * refuse VM_SYNC on a file that is not DAX (EOPNOTSUPP), /dev/zero gives
 * a shared mapping a shmem object (mmap_zero), anything else maps as it
 * is.  *filep is the object the vma will hold, with a reference; 0 or
 * -errno. */
static int file_mmap(struct address_space **filep, uint64_t len,
		     uint64_t vm_flags)
{
	struct address_space *file = *filep;

	if (file && file->fop_mmap_sync && (vm_flags & VM_SYNC))
		return kerror(EOPNOTSUPP, "%s refuses sync: not a DAX file of "
			      "ext4 or xfs", file->name);
	if (file && !(file->dev_zero && (vm_flags & VM_SHARED))) {
		mapping_get(file);
		return 0;
	}
	if (!(vm_flags & VM_SHARED))
		return 0;
	*filep = shmem_zero_setup(len, vm_flags);
	return *filep ? 0 : -ENOMEM;
}

/*
 * mmap_region - map [addr, addr+len) with vm_flags, replacing what is
 * there (Linux's mmap_region).  Everything that can fail is checked or
 * allocated before the address space changes (Linux calls the object's
 * mmap once the old mappings are gone, so that its refusal leaves a
 * hole).
 */
static uint64_t mmap_region(struct mm_struct *mm, struct address_space *file,
			    uint64_t addr, uint64_t len, uint64_t vm_flags,
			    uint64_t pgoff)
{
	uint64_t end = addr + len, pages = len >> PAGE_SHIFT;
	struct vm_area_struct *vma;
	bool overlap = find_vma_intersection(mm, addr, end) != NULL;
	int err = -ENOMEM;

	if (overlap && munmap_would_split(mm, addr, end) &&
	    mm->map_count >= sysctl_vm.max_map_count)
		return (uint64_t)max_map_count_error();
	vma = vm_area_alloc(mm);
	if (!vma)
		return (uint64_t)-ENOMEM;
	if (accountable_mapping(file, vm_flags)) {
		if (charge_new_mapping(pages, accounted_pages(mm, addr, end)))
			goto free_vma;
		vm_flags |= VM_ACCOUNT;
	}
	err = file_mmap(&file, len, vm_flags);
	if (err)
		goto unacct;
	err = -ENOMEM;
	if (overlap && do_munmap(mm, addr, len))
		goto put_file;
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
put_file:
	if (file)
		mapping_put(file);
unacct:
	if (vm_flags & VM_ACCOUNT)
		vm_unacct_memory((int64_t)pages);
free_vma:
	vm_area_free(vma);
	return (uint64_t)(int64_t)err;
}

/* round_hint_to_min - a hint rounded down to its page, and one below
 * vm.mmap_min_addr raised to it (Linux's round_hint_to_min). */
static uint64_t round_hint_to_min(uint64_t hint)
{
	hint &= PAGE_MASK;
	if (hint && hint < sysctl_vm.mmap_min_addr)
		return PAGE_ALIGN(sysctl_vm.mmap_min_addr);
	return hint;
}

/* past_file_offsets - EOVERFLOW: a mapping from page pgoff would end past
 * the largest offset of its object. */
static int past_file_offsets(uint64_t pgoff)
{
	return kerror(EOVERFLOW, "offset %#" PRIx64 " + length: past the "
		      "largest file offset", pgoff << PAGE_SHIFT);
}

/* file_mmap_ok - may the file be mapped at pgoff for len bytes?  Its
 * offsets end at MAX_LFS_FILESIZE for a regular file, at ULONG_MAX for a
 * device (Linux's file_mmap_ok). */
static bool file_mmap_ok(const struct mmap_file *file, uint64_t pgoff,
			 uint64_t len)
{
	uint64_t maxsize = file->mapping && !file->mapping->dev_zero ?
			   (uint64_t)INT64_MAX : UINT64_MAX;

	return len <= maxsize && pgoff <= (maxsize - len) >> PAGE_SHIFT;
}

/* file_vm_flags - the checks of do_mmap for a file by mapping type, and
 * the sharing they give vm_flags.  MAP_SHARED ignores unknown flags,
 * MAP_SHARED_VALIDATE refuses them (MAP_SYNC is known where the file
 * system has FOP_MMAP_SYNC).  0 or -errno. */
static int file_vm_flags(const struct mmap_file *file, unsigned long prot,
			 unsigned long flags, uint64_t *vm_flags)
{
	const struct address_space *m = file->mapping;
	unsigned long known = LEGACY_MAP_MASK |
			      (m && m->fop_mmap_sync ? MAP_SYNC : 0);

	switch (flags & MAP_TYPE) {
	case MAP_SHARED:
		flags &= LEGACY_MAP_MASK;
		/* fall through */
	case MAP_SHARED_VALIDATE:
		if (flags & ~known)
			return kerror(EOPNOTSUPP, "%s refuses a flag: an unknown "
				      "one with shared_validate, or sync (not a "
				      "DAX file of ext4 or xfs)", file->path);
		if ((prot & PROT_WRITE) && !file->writable)
			return kerror(EACCES, "%s: cannot be read, or cannot be "
				      "written for a shared writable mapping",
				      file->path);
		*vm_flags |= VM_SHARED | VM_MAYSHARE;
		if (!file->writable)
			*vm_flags &= ~(VM_MAYWRITE | VM_SHARED);
		/* fall through */
	case MAP_PRIVATE:
		if (!m)
			return kerror(ENODEV, "%s: has no mmap (only regular "
				      "files and /dev/zero do)", file->path);
		if (*vm_flags & VM_GROWSDOWN)
			return kerror(EINVAL, "growsdown needs a private "
				      "anonymous mapping");
		return 0;
	default:
		return kerror(EINVAL, "unknown mapping type %#lx",
			      flags & MAP_TYPE);
	}
}

/* anon_vm_flags - the same for anonymous memory, and its pgoff: none for
 * shared memory, the page number of addr for private memory.
 * MAP_SHARED_VALIDATE has nothing to validate here (EINVAL), and
 * MAP_DROPPABLE is not simulated (EINVAL). */
static int anon_vm_flags(unsigned long flags, uint64_t addr,
			 uint64_t *vm_flags, uint64_t *pgoff)
{
	switch (flags & MAP_TYPE) {
	case MAP_SHARED:
		if (*vm_flags & VM_GROWSDOWN)
			return kerror(EINVAL, "growsdown needs a private "
				      "anonymous mapping");
		*pgoff = 0;
		*vm_flags |= VM_SHARED | VM_MAYSHARE;
		return 0;
	case MAP_PRIVATE:
		*pgoff = addr >> PAGE_SHIFT;
		return 0;
	case MAP_SHARED_VALIDATE:
		return kerror(EINVAL, "shared_validate (private and shared) "
			      "needs a file");
	default:
		return kerror(EINVAL, "unknown mapping type %#lx",
			      flags & MAP_TYPE);
	}
}

/*
 * mmap_common - Linux's do_mmap in mm, checks in its order, for anonymous
 * memory (file NULL) or an open file; t, when there is one, gets the
 * faults of MAP_POPULATE and VM_LOCKED (mm_populate, errors ignored).
 */
static uint64_t mmap_common(struct mm_struct *mm, struct task_struct *t,
			    const struct mmap_file *file, uint64_t addr,
			    uint64_t len, unsigned long prot,
			    unsigned long flags, uint64_t pgoff)
{
	uint64_t vm_flags;
	int err;

	if (!len)
		return (uint64_t)kerror(EINVAL, "length 0");
	if (prot & ~(unsigned long)(PROT_READ | PROT_WRITE | PROT_EXEC))
		return (uint64_t)kerror(EINVAL, "bad protection %#lx", prot);
	if (flags & MAP_FIXED_NOREPLACE)
		flags |= MAP_FIXED;
	if (!(flags & MAP_FIXED))
		addr = round_hint_to_min(addr);
	len = PAGE_ALIGN(len);
	if (!len)
		return (uint64_t)kerror(ENOMEM, MMAP_NO_ROOM);
	if (pgoff + (len >> PAGE_SHIFT) < pgoff)
		return (uint64_t)past_file_offsets(pgoff);
	if (mm->map_count > sysctl_vm.max_map_count)
		return (uint64_t)max_map_count_error();
	addr = get_unmapped_area(mm, file ? file->mapping : NULL, addr, len,
				 pgoff, flags);
	if (IS_ERR_VALUE(addr))
		return addr;
	if ((flags & MAP_FIXED) && addr < sysctl_vm.mmap_min_addr)
		return (uint64_t)kerror(EPERM, "fixed address below "
					"vm.mmap_min_addr (%#" PRIx64 ")",
					sysctl_vm.mmap_min_addr);
	if ((flags & MAP_FIXED_NOREPLACE) &&
	    find_vma_intersection(mm, addr, addr + len))
		return (uint64_t)kerror(EEXIST, "mmap: range already mapped");
	vm_flags = calc_vm_flags(mm, prot, flags);
	if (file && !file_mmap_ok(file, pgoff, len))
		return (uint64_t)past_file_offsets(pgoff);
	err = file ? file_vm_flags(file, prot, flags, &vm_flags) :
		     anon_vm_flags(flags, addr, &vm_flags, &pgoff);
	if (err)
		return (uint64_t)(int64_t)err;
	if ((flags & MAP_NORESERVE) && sysctl_vm.overcommit_memory != 2)
		vm_flags |= VM_NORESERVE;
	addr = mmap_region(mm, file ? file->mapping : NULL, addr, len,
			   vm_flags, pgoff);
	if (t && !IS_ERR_VALUE(addr) && ((vm_flags & VM_LOCKED) ||
	    (flags & (MAP_POPULATE | MAP_NONBLOCK)) == MAP_POPULATE))
		populate_range(t, addr, addr + len, true);
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
		return (uint64_t)kerror(EBADF, "no file to map, and not "
					"anonymous");
	return mmap_common(t->mm, t, NULL, addr, len, prot, flags, pgoff);
}

/* mmap_mm - see mm.h: the loader's file is open read-only. */
uint64_t mmap_mm(struct mm_struct *mm, struct address_space *file,
		 uint64_t addr, uint64_t len, unsigned long prot,
		 unsigned long flags, uint64_t pgoff)
{
	struct mmap_file f = { file, false, file ? file->name : NULL };

	return mmap_common(mm, NULL, file ? &f : NULL, addr, len, prot, flags,
			   pgoff);
}

/* do_mmap_file - see mm.h.  The file is opened before anything else is
 * checked, as Linux's mmap gets an open file. */
uint64_t do_mmap_file(struct task_struct *t, uint64_t addr, uint64_t len,
		      unsigned long prot, unsigned long flags, const char *path,
		      uint64_t off)
{
	struct mmap_file file;
	uint64_t ret;
	int err = task_can_syscall(t);

	if (err)
		return (uint64_t)(int64_t)err;
	if (flags & MAP_ANONYMOUS)
		return (uint64_t)kerror(EINVAL, "anonymous with a file");
	if (!PAGE_ALIGNED(off))
		return (uint64_t)kerror(EINVAL, "offset %#" PRIx64 " not page "
					"aligned", off);
	err = mmap_file_open(path, &file);
	if (err)
		return (uint64_t)(int64_t)err;
	ret = mmap_common(t->mm, t, &file, addr, len, prot, flags,
			  off >> PAGE_SHIFT);
	if (file.mapping)
		mapping_put(file.mapping);
	return ret;
}

/* populate_vma_range - fault in [start, end) of vma as
 * populate_vma_page_range does: writable private mappings are written to
 * break COW, the others read (FOLL_FORCE), present pages left alone.  0,
 * -EFAULT (a PROT_NONE vma, or a fault that failed: SIGBUS past the end
 * of a file) or -ENOMEM (out of memory). */
static int populate_vma_range(struct task_struct *t,
			      struct vm_area_struct *vma, uint64_t start,
			      uint64_t end)
{
	bool write = (vma->vm_flags & (VM_WRITE | VM_SHARED)) == VM_WRITE;
	uint64_t va;

	if (!vma_is_accessible(vma))
		return -EFAULT;
	for (va = start; va < end; va += PAGE_SIZE) {
		struct pte_ref ref;
		int ret;

		if (!walk_pte(t->mm, va, false, &ref)) {
			pte_t pte = pte_read(ref);

			if (pte_present(pte) && (!write || pte_write_ok(pte)))
				continue;
		}
		ret = handle_mm_fault(vma, va, write ? FAULT_FLAG_WRITE : 0, t);
		if (ret & VM_FAULT_OOM)
			return -ENOMEM;
		if (ret & VM_FAULT_ERROR)
			return -EFAULT;
	}
	return 0;
}

/* populate_range - see mm.h (Linux's __mm_populate).  Holes are skipped;
 * running out of memory stops even mm_populate (the OOM killer may have
 * chosen t). */
int populate_range(struct task_struct *t, uint64_t start, uint64_t end,
		   bool ignore_errors)
{
	struct vm_area_struct *vma;
	uint64_t at;
	int err;

	for (at = start; at < end; at = vma->vm_end) {
		vma = find_vma(t->mm, at);
		if (!vma || vma->vm_start >= end)
			break;
		err = populate_vma_range(t, vma, MAX(at, vma->vm_start),
					 MIN(end, vma->vm_end));
		if (err == -ENOMEM || (err && !ignore_errors))
			return err;
	}
	return 0;
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

	if (!PAGE_ALIGNED(start))
		return not_page_aligned(start);
	if (start > mm->task_size || len > mm->task_size - start)
		return kerror(EINVAL, "range not inside the address space");
	len = PAGE_ALIGN(len);
	if (!len)
		return kerror(EINVAL, "length 0");
	end = start + len;
	vma = find_vma(mm, start);
	if (!vma || vma->vm_start >= end)
		return 0;
	if (munmap_would_split(mm, start, end) &&
	    mm->map_count >= sysctl_vm.max_map_count)
		return max_map_count_error();
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
		return max_map_count_error();
	vma = brkvma ? NULL : vm_area_alloc(mm);
	if (!brkvma && !vma)
		return -ENOMEM;
	if (vm_enough_memory((int64_t)(len >> PAGE_SHIFT))) {
		if (vma)
			vm_area_free(vma);
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

/* brk_fail - brk cannot move to `to`, for the reason why: ENOMEM in *err,
 * and the unchanged brk. */
static uint64_t brk_fail(struct mm_struct *mm, uint64_t to, const char *why,
			 int *err)
{
	*err = kerror(ENOMEM, "cannot move brk to %#" PRIx64 " (%s); brk "
		      "stays %#" PRIx64, to, why, mm->brk);
	return mm->brk;
}

/* The reason of a brk below start_brk, past TASK_SIZE or into a mapping:
 * the refusals users are told of at once. */
#define BRK_REFUSED	"below start_brk, into a mapping, down over nothing " \
			"mapped, or no memory"

/* do_brk - see mm.h (Linux's brk syscall): below start_brk, into
 * another mapping (keeping a page plus the guard gap below it), or a
 * shrink of a range where nothing is mapped any more, fails with brk
 * unchanged. */
uint64_t do_brk(struct task_struct *t, uint64_t brk, int *err)
{
	struct mm_struct *mm = t->mm;
	uint64_t newbrk, oldbrk;
	struct vm_area_struct *next;

	*err = task_can_syscall(t);
	if (*err)
		return 0;
	if (brk < mm->start_brk || brk > mm->task_size)
		return brk_fail(mm, brk, BRK_REFUSED, err);
	newbrk = PAGE_ALIGN(brk);
	oldbrk = PAGE_ALIGN(mm->brk);
	if (oldbrk == newbrk) {
		mm->brk = brk;
		return brk;
	}
	if (brk <= mm->brk) {
		/* Linux's brk shrinks only a range that still holds some
		 * vma (the heap may have been unmapped). */
		if (!find_vma_intersection(mm, newbrk, oldbrk))
			return brk_fail(mm, brk, "down over nothing mapped",
					err);
		if (do_munmap(mm, newbrk, oldbrk - newbrk))
			return brk_fail(mm, brk, kerrstr(), err);
		mm->brk = brk;
		return brk;
	}
	next = find_vma(mm, oldbrk);
	if (next && newbrk + PAGE_SIZE > vm_start_gap(next))
		return brk_fail(mm, brk, BRK_REFUSED, err);
	if (do_brk_flags(mm, heap_vma(mm, oldbrk), oldbrk, newbrk - oldbrk, 0))
		return brk_fail(mm, brk, kerrstr(), err);
	mm->brk = brk;
	return brk;
}

/* vm_brk_flags - see mm.h.  The range must lie in user space; what is
 * there is unmapped first (so a failure there changes nothing). */
int vm_brk_flags(struct mm_struct *mm, uint64_t addr, uint64_t len,
		 uint64_t extra)
{
	if (!len)
		return 0;
	if (addr > mm->task_size || len > mm->task_size - addr)
		return kerror(ENOMEM, "range not inside the address space");
	if (find_vma_intersection(mm, addr, addr + len)) {
		int err = do_munmap(mm, addr, len);

		if (err)
			return err;
	}
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
		vm_area_free(vma);
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

/* exit_mmap - see mm.h. */
void exit_mmap(struct mm_struct *mm)
{
	struct vm_area_struct *vma;
	uint64_t cleared = 0;

	for (vma = mm->mmap; vma; vma = vma->vm_next)
		cleared += unmap_page_range(vma, vma->vm_start, vma->vm_end);
	if (cleared)
		flush_tlb_mm(mm);
	free_pgd_range(mm, 0, mm->task_size, 0, 0);
	while ((vma = mm->mmap)) {
		vma_unlink(mm, vma);
		remove_vma(mm, vma);
	}
	if (mm->anon_vma) {
		list_del(&mm->anon_vma_node);
		anon_vma_put(mm->anon_vma);
		mm->anon_vma = NULL;
	}
}

/* stack_rnd_range - how far --aslr may move the stack top down (Linux's
 * STACK_RND_MASK pages: 16 GiB on x86-64, 8 MiB on i386). */
uint64_t stack_rnd_range(void)
{
	if (!boot_params.aslr)
		return 0;
	return (kernel_is_64bit() ? 0x400000ULL : 0x800ULL)
	       << PAGE_SHIFT;
}

/* arch_mmap_rnd - see mm.h. */
uint64_t arch_mmap_rnd(void)
{
	return randomize((kernel_is_64bit() ? 1ULL << 28 : 1ULL << 8)
			 << PAGE_SHIFT);
}

/* elf_et_dyn_base - see mm.h (arch/x86/include/asm/elf.h's
 * ELF_ET_DYN_BASE: 4 MiB when mmap_is_ia32(), which a native i386 kernel
 * always is; else 2/3 of the 47-bit DEFAULT_MAP_WINDOW, which is
 * TASK_SIZE here). */
uint64_t elf_et_dyn_base(const struct mm_struct *mm)
{
	if (!kernel_is_64bit())
		return 0x400000;
	return mm->task_size / 3 * 2;
}

/* mm_set_layout - see mm.h (Linux's arch_pick_mmap_layout and
 * mmap_base(): the stack rlimit plus the guard gap and the stack's random
 * range, clamped to [128 MiB, 5/6 of TASK_SIZE], below TASK_SIZE; or
 * TASK_UNMAPPED_BASE, a third of TASK_SIZE, for the legacy layout; with
 * --aslr moved down (up, legacy) by mmap_rnd_bits: 28 bits of pages on
 * x86-64, 8 on i386). */
void mm_set_layout(struct mm_struct *mm)
{
	uint64_t gap, gap_min = 128ULL << 20, rnd;

	mm->task_size = task_size_max();
	rnd = arch_mmap_rnd();
	if (boot_params.legacy_layout) {
		mm->mmap_base = PAGE_ALIGN(mm->task_size / 3) + rnd;
		return;
	}
	gap = sysctl_vm.rlimit_stack + stack_guard_gap + stack_rnd_range();
	gap = MAX(gap, gap_min);
	gap = MIN(gap, mm->task_size / 6 * 5);
	mm->mmap_base = PAGE_ALIGN(mm->task_size - gap - rnd);
}
