/*
 * vmalloc.c - virtually contiguous kernel memory (Linux's mm/vmalloc.c):
 * areas found first fit in [VMALLOC_START, VMALLOC_END) with a guard page
 * after each (VM_NO_GUARD absent), order-0 unmovable frames from the
 * buddy allocator mapped in init_mm, and on i386 the spreading of a new
 * page-directory entry to every pgd (arch_sync_kernel_mappings) or its
 * lazy copy on a kernel fault (vmalloc_fault).
 *
 * The areas are a list ordered by address (Linux keeps a red-black tree
 * and a free-space tree; the first fit found is the same).  Page tables
 * made for an area stay after vfree, as Linux's do.  vmalloc does not
 * reclaim: it refuses when free frames are short (docs/divergences.md).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "mm/slab.h"
#include "mm/vmalloc.h"
#include "mm/pgtable.h"
#include "mm/page_alloc.h"
#include "mm/mm.h"
#include "kernel/errstr.h"
#include "kernel/kernel.h"
#include "kernel/trace.h"
#include "mm/vmstat.h"

struct list_head vmap_area_list = LIST_HEAD_INIT(vmap_area_list);
static uint64_t nr_vmalloc_pages;

/* A leaf of a vmalloc page (Linux's PAGE_KERNEL with _PAGE_GLOBAL). */
#define VM_LEAF		(_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | \
			 _PAGE_DIRTY | _PAGE_GLOBAL)
#define KERNPG_TABLE	(_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | \
			 _PAGE_DIRTY)

/* Tables made by one vmalloc call, to undo them if it fails. */
struct new_tables {
	struct pte_ref ref[64];		/* the entries that point at them */
	unsigned int n;
};

/* vmalloc_nr_pages - see vmalloc.h. */
uint64_t vmalloc_nr_pages(void)
{
	return nr_vmalloc_pages;
}

/* align_up - x rounded up to a multiple of align (a power of two). */
static uint64_t align_up(uint64_t x, uint64_t align)
{
	return (x + align - 1) & ~(align - 1);
}

/* find_vmap_lowest_match - the lowest address, a multiple of align, of a
 * free range of size bytes in the vmalloc area, after the areas (Linux's
 * find_vmap_lowest_match); *prev the area to insert after (the list head
 * for the first).  0 when none is big enough. */
static uint64_t find_vmap_lowest_match(uint64_t size, uint64_t align,
				       struct list_head **prev)
{
	uint64_t addr = align_up(vmalloc_start(), align);
	struct list_head *l;

	*prev = &vmap_area_list;
	list_for_each(l, &vmap_area_list) {
		struct vmap_area *va = list_entry(l, struct vmap_area, list);

		if (va->va_start >= addr && va->va_start - addr >= size)
			return addr;
		addr = align_up(va->va_end, align);
		*prev = l;
	}
	return addr < vmalloc_end() && vmalloc_end() - addr >= size ? addr : 0;
}

/* arch_sync_kernel_mappings - i386: copy init_mm's top-level entry idx
 * to every pgd (Linux's arch_sync_kernel_mappings / sync_global_pgds);
 * nothing with the lazy option (vmalloc_fault copies it). */
static void arch_sync_kernel_mappings(unsigned int idx)
{
	pte_t e = pte_read((struct pte_ref){ swapper_pgd, idx });
	struct list_head *l;

	if (boot_params.vmalloc_fault)
		return;
	list_for_each(l, &all_mms) {
		struct mm_struct *mm = list_entry(l, struct mm_struct, mmlist);

		pte_write((struct pte_ref){ mm->pgd, idx }, e);
	}
}

/* vmap_pte_alloc - the leaf entry for va in init_mm, making kernel tables
 * on the way (Linux's vmap_pages_pte_range and the pXd_alloc above it);
 * each made table is recorded in nt.  0 or -ENOMEM. */
static int vmap_pte_alloc(uint64_t va, struct new_tables *nt,
			  struct pte_ref *ref)
{
	const struct paging_geom *g = hw.geom;
	uint64_t table = swapper_pgd;
	int level;

	for (level = g->levels; level > 1; level--) {
		struct pte_ref r = { table, pt_index(g, level, va) };
		pte_t e = pte_read(r);

		if (pte_none(e)) {
			uint64_t pa;

			BUG_ON(kernel_is_64bit() && level == g->levels);
			if (nt->n == ARRAY_SIZE(nt->ref) ||
			    !(pa = kernel_table_alloc()))
				return -ENOMEM;
			e = pa | KERNPG_TABLE;
			pte_write(r, e);
			nt->ref[nt->n++] = r;
			if (level == g->levels)
				arch_sync_kernel_mappings(r.idx);
		}
		BUG_ON(!pt_entry_is_table(e));
		table = pt_table_addr(e);
	}
	*ref = (struct pte_ref){ table, pt_index(g, 1, va) };
	return 0;
}

/* undo_tables - free the tables one failed vmalloc made, last first. */
static void undo_tables(struct new_tables *nt)
{
	while (nt->n) {
		struct pte_ref r = nt->ref[--nt->n];
		struct page *page = pfn_to_page(pte_pfn(pte_read(r)));

		pte_write(r, 0);
		if (!kernel_is_64bit() && r.table == swapper_pgd)
			arch_sync_kernel_mappings(r.idx);
		kernel_table_free(page);
	}
}

/* vunmap_pages - clear the leaves of the first n pages at addr. */
static void vunmap_pages(uint64_t addr, uint64_t n)
{
	uint64_t i;

	for (i = 0; i < n; i++) {
		struct pte_ref r;

		BUG_ON(walk_pte(&init_mm, addr + i * PAGE_SIZE, false, &r));
		pte_write(r, 0);
	}
	flush_tlb_kernel_range(addr, addr + n * PAGE_SIZE);
}

/* free_area_pages - free the first n frames of area a. */
static void free_area_pages(struct vmap_area *a, uint64_t n)
{
	uint64_t i;

	for (i = 0; i < n; i++) {
		struct page *page = pfn_to_page(a->pfns[i]);

		ClearPageFlag(page, PG_vmalloc);
		__free_pages(page, 0);
	}
}

/* vmap_area_pages - allocate and map the pages of a (Linux's
 * __vmalloc_area_node). 0, or -ENOMEM with everything undone. */
static int vmap_area_pages(struct vmap_area *a)
{
	struct new_tables nt = { .n = 0 };
	uint64_t i;

	for (i = 0; i < a->nr_pages; i++) {
		uint64_t va = a->va_start + i * PAGE_SIZE;
		/* __vmalloc_area_node: the pages are only reached through
		 * the area's mapping, so they may be highmem. */
		struct page *page = alloc_page(GFP_KERNEL | __GFP_HIGHMEM |
					       __GFP_ZERO);
		struct pte_ref r;

		if (!page || vmap_pte_alloc(va, &nt, &r)) {
			if (page)
				__free_pages(page, 0);
			vunmap_pages(a->va_start, i);
			free_area_pages(a, i);
			undo_tables(&nt);
			return kerror(ENOMEM, "out of memory for %" PRIu64
				      " pages and their page tables",
				      a->nr_pages);
		}
		SetPageFlag(page, PG_vmalloc);
		a->pfns[i] = page_to_pfn(page);
		pte_write(r, mk_pte(a->pfns[i], VM_LEAF |
				    (kernel_is_64bit() ? _PAGE_NX : 0)));
	}
	return 0;
}

/* vmap_area_objects - the kernel objects of area a: its vmap_area, its
 * vm_struct and its page array (Linux's alloc_vmap_area,
 * __get_vm_area_node, __vmalloc_area_node).  0 or -ENOMEM (the objects
 * had are kept for free_area_objects). */
static int vmap_area_objects(struct vmap_area *a)
{
	uint64_t array = vmalloc_pages_array_size(a->nr_pages);

	a->va_obj = kmem_cache_alloc(vmap_area_cachep);
	if (a->va_obj)
		a->vm_obj = kmalloc(VM_STRUCT_SIZE);
	if (a->vm_obj && array <= PAGE_SIZE)
		a->pages_obj = kmalloc(array);
	return a->vm_obj && (a->pages_obj || array > PAGE_SIZE) ? 0 :
	       -ENOMEM;
}

/* free_area_objects - give back what vmap_area_objects got. */
static void free_area_objects(struct vmap_area *a)
{
	kfree(a->pages_obj);
	kfree(a->vm_obj);
	kmem_cache_free(vmap_area_cachep, a->va_obj);
	a->pages_obj = a->vm_obj = a->va_obj = 0;
}

const char vmalloc_cmd_caller[] = "vmalloc_cmd";
const char swapon_caller[] = "__do_sys_swapon";
/* A stack's caller is what the host's vmallocinfo names: the return
 * address alloc_thread_stack_node passes is in kernel_clone, into which
 * copy_process and dup_task_struct are inlined. */
const char thread_stack_caller[] = "kernel_clone";

/* vmalloc - see vmalloc.h. */
int vmalloc(uint64_t size, const char *caller, uint64_t *addrp)
{
	return __vmalloc_node(size, PAGE_SIZE, caller, addrp);
}

/* __vmalloc_node - see vmalloc.h. */
int __vmalloc_node(uint64_t size, uint64_t align, const char *caller,
		   uint64_t *addrp)
{
	uint64_t nr = PAGE_ALIGN(size) >> PAGE_SHIFT, addr;
	struct list_head *prev;
	struct vmap_area *a;

	if (size == 0)
		return kerror(EINVAL, "size is 0");
	if (size > vmalloc_end() - vmalloc_start() - PAGE_SIZE)
		return kerror(ENOMEM, "larger than the vmalloc "
					"area");
	if (nr > nr_free_pages())
		return kerror(ENOMEM, "%" PRIu64 " pages but %" PRIu64
					" free", nr, nr_free_pages());
	addr = find_vmap_lowest_match((nr + 1) << PAGE_SHIFT, align, &prev);
	if (!addr)
		return kerror(ENOMEM, "no free range of %" PRIu64
					" pages in the vmalloc area", nr + 1);
	a = calloc(1, sizeof(*a));
	if (a)
		a->pfns = calloc(nr, sizeof(*a->pfns));
	if (!a || !a->pfns) {
		free(a);
		return kerror(ENOMEM, "out of host memory");
	}
	*a = (struct vmap_area){ .va_start = addr, .pfns = a->pfns,
				 .va_end = addr + ((nr + 1) << PAGE_SHIFT),
				 .nr_pages = nr, .caller = caller };
	if (vmap_area_objects(a) || vmap_area_pages(a)) {
		free_area_objects(a);
		free(a->pfns);
		free(a);
		return -ENOMEM;
	}
	list_add(&a->list, prev);
	nr_vmalloc_pages += nr;
	*addrp = addr;
	return 0;
}

/* vmap_area_node_pages - see vmalloc.h. */
void vmap_area_node_pages(const struct vmap_area *a,
			  uint64_t count[MAX_NUMNODES])
{
	memset(count, 0, MAX_NUMNODES * sizeof(count[0]));
	for (uint64_t i = 0; i < a->nr_pages; i++)
		count[pfn_to_nid(a->pfns[i])]++;
}

/* vfree - see vmalloc.h. */
int vfree(uint64_t addr, const char *caller)
{
	struct list_head *l;

	list_for_each(l, &vmap_area_list) {
		struct vmap_area *a = list_entry(l, struct vmap_area, list);

		if (a->va_start != addr)
			continue;
		if (a->caller != caller)
			return kerror(EINVAL, "0x%" PRIx64 " is an area of %s",
				      addr, a->caller);
		vunmap_pages(a->va_start, a->nr_pages);
		free_area_pages(a, a->nr_pages);
		nr_vmalloc_pages -= a->nr_pages;
		list_del(&a->list);
		free_area_objects(a);
		free(a->pfns);
		free(a);
		return 0;
	}
	return kerror(EINVAL, "0x%" PRIx64 " is not the start of a vmalloc "
		      "area", addr);
}

/* vmalloc_reset - see vmalloc.h. */
void vmalloc_reset(void)
{
	while (!list_empty(&vmap_area_list)) {
		struct vmap_area *a = list_entry(vmap_area_list.next,
						 struct vmap_area, list);

		list_del(&a->list);
		free_area_objects(a);
		free(a->pfns);
		free(a);
	}
	nr_vmalloc_pages = 0;
}

/* vmalloc_area_of - see vmalloc.h. */
const struct vmap_area *vmalloc_area_of(uint64_t pfn)
{
	struct list_head *l;
	uint64_t i;

	list_for_each(l, &vmap_area_list) {
		struct vmap_area *a = list_entry(l, struct vmap_area, list);

		for (i = 0; i < a->nr_pages; i++)
			if (a->pfns[i] == pfn)
				return a;
	}
	return NULL;
}

/* vmalloc_fault - see vmalloc.h. */
int vmalloc_fault(uint64_t pgd, uint64_t va)
{
	const struct paging_geom *g = hw.geom;
	unsigned int idx = pt_index(g, g->levels, va);
	pte_t k = pte_read((struct pte_ref){ swapper_pgd, idx });

	if (kernel_is_64bit() || !boot_params.vmalloc_fault ||
	    va < vmalloc_start() || va >= vmalloc_end() ||
	    !(k & _PAGE_PRESENT) ||
	    pte_read((struct pte_ref){ pgd, idx }) == k)
		return -EFAULT;
	pte_write((struct pte_ref){ pgd, idx }, k);
	count_vm_event(MMUFS_VMALLOC_FAULT);
	trace_emit(TRACE_VMALLOC_FAULT, va, idx, 0);
	return 0;
}
