/*
 * init.c - the kernel's half of the address space, built at boot in
 * swapper_pg_dir (Linux's arch/x86/mm/init.c init_memory_mapping,
 * init_64.c phys_pud_init / phys_pmd_init / preallocate_vmalloc_pages,
 * init_32.c kernel_physical_mapping_init, pgtable.c pgd_ctor / pgd_dtor).
 *
 * The direct map's tables come from the end of the kernel image, down
 * (Linux takes them from memblock before the buddy allocator runs): they are reserved
 * frames and count in no vmstat gauge.  Its leaves map 2 MiB (x86-64) or
 * 4 MiB (i386) pages where a whole large page lies in the mapped RAM, and
 * 4 KiB pages for the tail; they are supervisor-only and global, and do
 * not touch any frame's mapcount (Linux's direct map does not either).
 * Large pages of 1 GiB (Linux uses them when the CPU has gbpages) are not
 * used: see docs/divergences.md.
 */
#include <errno.h>
#include "mm/vmalloc.h"
#include "mm/pgtable.h"
#include "mm/page_alloc.h"
#include "mm/vmstat.h"
#include "kernel/kernel.h"

struct mm_struct init_mm;

/* Kernel table entries and leaves (Linux's _KERNPG_TABLE, __PAGE_KERNEL
 * with _PAGE_GLOBAL, and __PAGE_KERNEL_LARGE). */
#define KERNPG_TABLE	(_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | \
			 _PAGE_DIRTY)
#define KERN_LEAF	(KERNPG_TABLE | _PAGE_GLOBAL)

/* The last frame of the kernel image given to a boot-time table: they
 * are taken from the image's end down (its start holds the zero page,
 * swapper_pg_dir and the vDSO). */
static uint64_t low_image_pfn;

/* page_offset - see vmalloc.h. */
uint64_t page_offset(void)
{
	return kernel_is_64bit() ? PAGE_OFFSET_64 : PAGE_OFFSET_32;
}

/* direct_map_bytes - see vmalloc.h. */
uint64_t direct_map_bytes(void)
{
	uint64_t ram = max_pfn << PAGE_SHIFT;

	if (!kernel_is_64bit() && ram > MAXMEM_32)
		return MAXMEM_32;
	return ram;
}

/* vmalloc_start - see vmalloc.h (i386: Linux's VMALLOC_START, high_memory
 * plus VMALLOC_OFFSET rounded down to it). */
uint64_t vmalloc_start(void)
{
	if (kernel_is_64bit())
		return VMALLOC_START_64;
	return (PAGE_OFFSET_32 + direct_map_bytes() + VMALLOC_OFFSET_32) &
	       ~(VMALLOC_OFFSET_32 - 1);
}

/* vmalloc_end - see vmalloc.h. */
uint64_t vmalloc_end(void)
{
	return kernel_is_64bit() ? VMALLOC_START_64 + VMALLOC_SIZE_64 :
				   VMALLOC_END_32;
}

/* kernel_pgd_first - see vmalloc.h. */
unsigned int kernel_pgd_first(void)
{
	return pt_entries(hw.geom) / 2 + (kernel_is_64bit() ? 0 :
					  pt_entries(hw.geom) / 4);
}

/* kernel_half_start - see vmalloc.h. */
uint64_t kernel_half_start(void)
{
	return (uint64_t)kernel_pgd_first() <<
	       pt_level_shift(hw.geom, hw.geom->levels);
}

/* image_table - a zeroed frame of the kernel image for a boot table
 * (Linux's alloc_low_pages); panics when the image has none left. */
static uint64_t image_table(void)
{
	uint64_t pfn = --low_image_pfn;

	BUG_ON(pfn < kernel_image_start + KERNEL_IMAGE_LOW_PAGES);
	phys_zero_frame(&hw.mem, pfn);
	return pfn << PAGE_SHIFT;
}

/* boot_table - the table below entry r, made from the image if none. */
static uint64_t boot_table(struct pte_ref r)
{
	pte_t e = pte_read(r);

	if (pte_none(e)) {
		e = image_table() | KERNPG_TABLE;
		pte_write(r, e);
	}
	return pt_table_addr(e);
}

/* leaf_prot - the bits of a direct-map leaf at `level` (NX on x86-64). */
static pte_t leaf_prot(int level)
{
	pte_t prot = KERN_LEAF | (level > 1 ? _PAGE_PSE : 0);

	return kernel_is_64bit() ? prot | _PAGE_NX : prot;
}

/* map_direct_page - map physical pa at its direct-map address with one
 * leaf at `level` (1: 4 KiB, 2: a PD large page). */
static void map_direct_page(uint64_t pa, int level)
{
	const struct paging_geom *g = hw.geom;
	uint64_t va = page_offset() + pa, table = swapper_pgd;
	int l;

	for (l = g->levels; l > level; l--)
		table = boot_table((struct pte_ref){ table,
						     pt_index(g, l, va) });
	pte_write((struct pte_ref){ table, pt_index(g, level, va) },
		  pa | leaf_prot(level));
}

/* init_direct_map - map [0, direct_map_bytes()) at page_offset() (Linux's
 * kernel_physical_mapping_init): large pages, then 4 KiB for the tail. */
static void init_direct_map(void)
{
	uint64_t large = 1ULL << pt_level_shift(hw.geom, 2);
	uint64_t end = direct_map_bytes(), pa;

	for (pa = 0; pa + large <= end; pa += large)
		map_direct_page(pa, 2);
	for (; pa < end; pa += PAGE_SIZE)
		map_direct_page(pa, 1);
}

/* kernel_table_alloc - see vmalloc.h. */
uint64_t kernel_table_alloc(void)
{
	struct page *page = alloc_page(GFP_PGTABLE);

	if (!page)
		return 0;
	SetPageFlag(page, PG_pgtable);
	mod_node_page_state(page_pgdat(page), NR_PAGETABLE, 1);
	init_mm.pgtables_bytes += PAGE_SIZE;
	return page_to_phys(page);
}

/* kernel_table_free - see vmalloc.h. */
void kernel_table_free(struct page *page)
{
	BUG_ON(!PageTable(page) || page->refcount != 1);
	ClearPageFlag(page, PG_pgtable);
	mod_node_page_state(page_pgdat(page), NR_PAGETABLE, -1);
	init_mm.pgtables_bytes -= PAGE_SIZE;
	__free_pages(page, 0);
}

/* preallocate_vmalloc_pages - x86-64: a PDPT under every top-level entry
 * of the vmalloc area (Linux's preallocate_vmalloc_pages). 0 or -ENOMEM. */
static int preallocate_vmalloc_pages(void)
{
	const struct paging_geom *g = hw.geom;
	uint64_t span = 1ULL << pt_level_shift(g, g->levels), va;

	for (va = vmalloc_start(); va < vmalloc_end(); va += span) {
		struct pte_ref r = { swapper_pgd, pt_index(g, g->levels, va) };
		uint64_t pa = kernel_table_alloc();

		if (!pa)
			return -ENOMEM;
		pte_write(r, pa | KERNPG_TABLE);
	}
	return 0;
}

/* kernel_pagetable_init - see vmalloc.h. */
int kernel_pagetable_init(void)
{
	init_mm = (struct mm_struct){ .pgd = swapper_pgd, .mm_users = 1,
				      .mm_count = 1 };
	low_image_pfn = kernel_image_end;
	phys_zero_frame(&hw.mem, swapper_pgd >> PAGE_SHIFT);
	init_direct_map();
	return kernel_is_64bit() ? preallocate_vmalloc_pages() : 0;
}

/* pgd_clone_kernel - see vmalloc.h. */
void pgd_clone_kernel(uint64_t pgd)
{
	unsigned int i, n = pt_entries(hw.geom);

	for (i = kernel_pgd_first(); i < n; i++)
		pte_write((struct pte_ref){ pgd, i },
			  pte_read((struct pte_ref){ swapper_pgd, i }));
}

/* pgd_clear_kernel - see vmalloc.h. */
void pgd_clear_kernel(uint64_t pgd)
{
	unsigned int i, n = pt_entries(hw.geom);

	for (i = kernel_pgd_first(); i < n; i++)
		pte_write((struct pte_ref){ pgd, i }, 0);
}
