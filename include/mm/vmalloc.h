/*
 * vmalloc.h - the kernel's half of every address space (init_mm and
 * swapper_pg_dir: the direct map of RAM and the vmalloc area) and the
 * vmalloc allocator (Linux's include/linux/vmalloc.h and the layout of
 * arch/x86/include/asm/pgtable_64_types.h / pgtable_32_areas.h).
 *
 * x86-64: the direct map of all RAM at PAGE_OFFSET 0xffff888000000000
 * (2 MiB pages, 4 KiB for a tail that is not a whole 2 MiB), the vmalloc
 * area [0xffffc90000000000, +32 TiB).  The top-level entries of the whole
 * vmalloc area are allocated at boot (preallocate_vmalloc_pages), so each
 * new pgd copies the kernel half once (pgd_alloc) and never needs a sync.
 *
 * i386 (3G/1G, no PAE): the direct map of lowmem (RAM up to 896 MiB) at
 * 0xC0000000 with 4 MiB pages, the vmalloc area from 8 MiB above its end
 * to VMALLOC_END.  A page-directory entry that vmalloc adds reaches every
 * pgd at once (arch_sync_kernel_mappings), or, with the boot option
 * vmalloc_fault, lazily (vmalloc_fault copies it from init_mm on a kernel
 * fault).
 */
#ifndef MM_VMALLOC_H
#define MM_VMALLOC_H

#include <stdbool.h>
#include <stdint.h>
#include "mm/mm_types.h"
#include "util/list.h"
#include "mm/mmzone.h"

struct page;

/* The kernel's own address space: its pgd is swapper_pg_dir. Not on
 * all_mms; only its pgd is used. */
extern struct mm_struct init_mm;

#define PAGE_OFFSET_64		0xffff888000000000ULL
#define VMALLOC_START_64	0xffffc90000000000ULL
#define VMALLOC_SIZE_64		(32ULL << 40)
#define PAGE_OFFSET_32		0xc0000000ULL
#define MAXMEM_32		(896ULL << 20)	/* lowmem: Linux's MAXMEM */
#define VMALLOC_OFFSET_32	(8ULL << 20)
#define VMALLOC_END_32		0xff7fe000ULL	/* below the fixmap */

/* page_offset - where the direct map starts (Linux's PAGE_OFFSET). */
uint64_t page_offset(void);
/* direct_map_bytes - the RAM the direct map covers (all of it on x86-64,
 * lowmem on i386). */
uint64_t direct_map_bytes(void);
/* vmalloc_start / vmalloc_end - the vmalloc area [start, end) (Linux's
 * VMALLOC_START, VMALLOC_END + 1 on x86-64). */
uint64_t vmalloc_start(void);
uint64_t vmalloc_end(void);
/* kernel_pgd_first - the first top-level index of the kernel half
 * (Linux's KERNEL_PGD_BOUNDARY): 256 (x86-64) or 768 (i386). */
unsigned int kernel_pgd_first(void);
/* kernel_half_start - the first address of the kernel half, as the
 * page-table walker numbers it (48-bit on x86-64: 1 << 47). */
uint64_t kernel_half_start(void);

/*
 * kernel_pagetable_init - build swapper_pg_dir at boot: the direct map in
 * tables taken from the kernel image (Linux's init_memory_mapping with
 * memblock pages), and on x86-64 the PDPTs of the vmalloc area from the
 * buddy allocator (preallocate_vmalloc_pages).  0 or -ENOMEM.
 */
int kernel_pagetable_init(void);

/* kernel_table_alloc - a zeroed kernel page table from the buddy allocator
 * (PG_pgtable, counted in NR_PAGETABLE as Linux 6.18 counts kernel
 * tables, and in init_mm's pgtables_bytes): its address, or 0 when RAM is
 * out.  kernel_table_free gives one back. */
uint64_t kernel_table_alloc(void);
void kernel_table_free(struct page *page);

/* pgd_clone_kernel - copy init_mm's kernel half into the new top-level
 * table at pgd (Linux's pgd_ctor / clone_pgd_range). */
void pgd_clone_kernel(uint64_t pgd);
/* pgd_clear_kernel - clear the kernel half of pgd before it is freed
 * (Linux's pgd_dtor). */
void pgd_clear_kernel(uint64_t pgd);

/* One vmalloc area (Linux's struct vmap_area + vm_struct). */
struct vmap_area {
	struct list_head list;		/* vmap_area_list, by address */
	uint64_t va_start, va_end;	/* the area, guard page included */
	uint64_t nr_pages;
	uint64_t *pfns;			/* the frames, in address order */
	const char *caller;		/* the function that made it, as
					 * vmallocinfo names it */
	uint64_t va_obj;		/* its object in vmap_area's cache */
	uint64_t vm_obj;		/* its vm_struct, kmalloc'd */
	uint64_t pages_obj;		/* the kmalloc'd page array (Linux's
					 * vm_struct.pages), 0 over a page */
};

/* VM_STRUCT_SIZE - sizeof(struct vm_struct) on Linux 6.18 x86-64: what
 * __get_vm_area_node kmallocs for an area. */
#define VM_STRUCT_SIZE	72

/* vmalloc_pages_array_size - the bytes of an area's page array (a
 * pointer per page), kmalloc'd when at most a page (Linux's
 * __vmalloc_area_node; larger ones it vmallocs, which mmufs does not
 * model: docs/divergences.md). */
static inline uint64_t vmalloc_pages_array_size(uint64_t nr_pages)
{
	return nr_pages * 8;
}

/* vmap_area_list - every area, ordered by address. */
extern struct list_head vmap_area_list;

/* The callers vmallocinfo names (an area is told by the pointer): the
 * vmalloc command, swapon for an area's swap_map, and a task's kernel
 * stack (x86-64's VMAP_STACK). */
extern const char vmalloc_cmd_caller[], swapon_caller[], thread_stack_caller[];

/*
 * vmalloc - size bytes (rounded up to pages) of virtually contiguous
 * kernel memory for caller: order-0 frames (unmovable) mapped in init_mm's
 * vmalloc area, first fit, a guard page after the area (Linux's vmalloc).
 * 0 and the address in *addr, or with kerror -EINVAL (size 0), -ENOMEM
 * (no room in the area, or not enough free frames); nothing changed on
 * failure.
 */
int vmalloc(uint64_t size, const char *caller, uint64_t *addr);
/* __vmalloc_node - vmalloc with the area's start a multiple of align (a
 * power of two, at least PAGE_SIZE) (Linux's __vmalloc_node); as vmalloc
 * otherwise. */
int __vmalloc_node(uint64_t size, uint64_t align, const char *caller,
		   uint64_t *addr);
/* vfree - free the area starting at addr, which caller made: unmap, free
 * its frames, flush the TLBs.  0, or -EINVAL when addr starts no area or
 * one another caller made. */
int vfree(uint64_t addr, const char *caller);
/* vmap_area_node_pages - the pages of area a on each node (what Linux's
 * show_numa_info counts for vmallocinfo's N<node>= fields). */
void vmap_area_node_pages(const struct vmap_area *a,
			  uint64_t count[MAX_NUMNODES]);

/* vmalloc_nr_pages - pages held by vmalloc areas (VmallocUsed). */
uint64_t vmalloc_nr_pages(void);
/* vmalloc_reset - forget every area, giving their objects back to the
 * slab caches (shutdown, before the caches go; the frames go with RAM). */
void vmalloc_reset(void);
/* vmalloc_area_of - the area mapping frame pfn, or NULL. */
const struct vmap_area *vmalloc_area_of(uint64_t pfn);

/*
 * vmalloc_fault - i386 with the lazy option: a kernel-mode fault at va in
 * a pgd whose entry is none while init_mm's is present copies the entry
 * (Linux's vmalloc_fault).  0 when it did, -EFAULT otherwise.
 */
int vmalloc_fault(uint64_t pgd, uint64_t va);

#endif
