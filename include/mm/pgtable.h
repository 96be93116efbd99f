/*
 * pgtable.h - the kernel's view of page tables (Linux's asm/pgtable.h and
 * mm/pgtable-generic.c): entry helpers, the protection map, and walking
 * or allocating the path to a leaf entry.
 *
 * Entries live in simulated frames and are read and written through the
 * machine's RAM, so the MMU sees exactly what the kernel wrote.  An entry is
 * handled as a 64-bit value in both paging modes (2-level entries are
 * 32 bits wide in RAM).  A pte_ref names one entry: the physical address of
 * its table and its index.
 */
#ifndef MM_PGTABLE_H
#define MM_PGTABLE_H

#include <stdbool.h>
#include <stdint.h>
#include "hw/cpu.h"
#include "kernel/kernel.h"
#include "mm/mm_types.h"

typedef uint64_t pte_t;

/* Software bits, at the positions x86 Linux uses. */
#define _PAGE_SPECIAL		_PAGE_SOFTW1	/* no struct page refcount (zero page) */
#define _PAGE_SOFT_DIRTY	0	/* CONFIG_MEM_SOFT_DIRTY off (x86: _PAGE_SOFTW3) */
#define _PAGE_PROTNONE		_PAGE_GLOBAL	/* with P clear: PROT_NONE, still mapped */

/* The entry at index idx of the table at physical address table. */
struct pte_ref {
	uint64_t table;
	unsigned int idx;
};

static inline pte_t pte_read(struct pte_ref r)
{
	if (hw.geom->entry_size == 8)
		return phys_read64(&hw.mem, r.table + r.idx * 8ULL);
	return phys_read32(&hw.mem, r.table + r.idx * 4ULL);
}

static inline void pte_write(struct pte_ref r, pte_t v)
{
	if (hw.geom->entry_size == 8)
		phys_write64(&hw.mem, r.table + r.idx * 8ULL, v);
	else
		phys_write32(&hw.mem, r.table + r.idx * 4ULL, (uint32_t)v);
}

static inline uint64_t pte_pfn(pte_t p)
{
	return (p & hw.geom->pfn_mask) >> PAGE_SHIFT;
}

static inline bool pte_none(pte_t p)		{ return p == 0; }
/* pte_present - mapped to a frame: present to the MMU, or PROT_NONE. */
static inline bool pte_present(pte_t p)
{
	return (p & _PAGE_PRESENT) ||
	       ((p & _PAGE_PROTNONE) && !(p & _PAGE_PRESENT));
}
static inline bool pte_protnone(pte_t p)
{
	return (p & (_PAGE_PRESENT | _PAGE_PROTNONE)) == _PAGE_PROTNONE;
}
static inline bool pte_write_ok(pte_t p)	{ return p & _PAGE_RW; }
static inline bool pte_dirty(pte_t p)		{ return p & _PAGE_DIRTY; }
static inline bool pte_young(pte_t p)		{ return p & _PAGE_ACCESSED; }
static inline bool pte_special(pte_t p)		{ return p & _PAGE_SPECIAL; }
static inline pte_t pte_mkwrite(pte_t p)	{ return p | _PAGE_RW; }
static inline pte_t pte_wrprotect(pte_t p)	{ return p & ~_PAGE_RW; }
static inline pte_t pte_mkdirty(pte_t p)	{ return p | _PAGE_DIRTY | _PAGE_SOFT_DIRTY; }
static inline pte_t pte_mkclean(pte_t p)	{ return p & ~_PAGE_DIRTY; }
static inline pte_t pte_mkyoung(pte_t p)	{ return p | _PAGE_ACCESSED; }
static inline pte_t pte_mkold(pte_t p)		{ return p & ~_PAGE_ACCESSED; }

/* vm_get_page_prot - the PTE protection bits for vm_flags (Linux's x86
 * protection_map[]): private writable mappings start read-only (COW). */
pte_t vm_get_page_prot(uint64_t vm_flags);

/* mk_pte - an entry mapping pfn with protection bits prot. */
static inline pte_t mk_pte(uint64_t pfn, pte_t prot)
{
	return (pfn << PAGE_SHIFT) | prot;
}

/* pte_modify - keep pfn, A, D and software bits of p, take protection from
 * newprot (Linux's pte_modify). */
pte_t pte_modify(pte_t p, pte_t newprot);

/* pt_entry_is_table - does e, an entry above the leaves, point at a lower
 * table: present and not a large page (Linux's !pmd_none && !pmd_bad &&
 * !pmd_leaf)? */
static inline bool pt_entry_is_table(pte_t e)
{
	return (e & _PAGE_PRESENT) && !(e & _PAGE_PSE);
}

/* pt_table_addr - the physical address of the table entry e (above the
 * leaves) points at (Linux's pmd_page_vaddr, without a direct map). */
static inline uint64_t pt_table_addr(pte_t e)
{
	return e & hw.geom->pfn_mask;
}

/* pt_addr_end - the end of the span one level-`level` entry maps around
 * addr, or end when that comes first (Linux's pmd_addr_end and its
 * siblings; end 0 stands for the top of the address space). */
static inline uint64_t pt_addr_end(int level, uint64_t addr, uint64_t end)
{
	uint64_t size = 1ULL << pt_level_shift(hw.geom, level);
	uint64_t next = (addr & ~(size - 1)) + size;

	return (next - 1 < end - 1) ? next : end;
}

/*
 * walk_pte - find the leaf entry for va in mm.  With alloc, allocate missing
 * page-table pages (zeroed, counted in pgtables_bytes and NR_PAGETABLE); on
 * allocation failure return -ENOMEM.  Without alloc return -ENOENT when a
 * level is missing.  0 and *ref on success.
 */
int walk_pte(struct mm_struct *mm, uint64_t va, bool alloc, struct pte_ref *ref);

/* lookup_address - the present entry mapping va in the tables at pgd, a
 * large page's included (the kernel's direct map), and the 4 KiB frame it
 * gives va (Linux's lookup_address_in_pgd); false when va is not mapped. */
bool lookup_address(uint64_t pgd, uint64_t va, pte_t *leaf, uint64_t *pfn);

/* pte_table_next - the first address of [va, end) whose leaf page table
 * exists (the spans of absent tables skipped at every level), or end. */
uint64_t pte_table_next(struct mm_struct *mm, uint64_t va, uint64_t end);

/* pgd_alloc / pgd_free - the top-level table of an mm. */
int pgd_alloc(struct mm_struct *mm);
void pgd_free(struct mm_struct *mm);

/*
 * free_pgd_range - free the page-table pages below the top level that cover
 * only addresses in [addr, end) ∩ [floor, ceiling) (ceiling 0: the top),
 * as Linux's free_pgd_range: a table is freed when the whole span it maps
 * lies inside [floor, ceiling).  Leaf entries in freed tables must be none.
 */
void free_pgd_range(struct mm_struct *mm, uint64_t addr, uint64_t end,
		    uint64_t floor, uint64_t ceiling);

/* pgtable_owner - the level of page-table frame pfn in the tables of the
 * live mm that holds it (its top level for a pgd), that mm in *mm
 * (&init_mm for a table of the kernel half); 0 and *mm NULL when no live
 * mm reaches it.  Searches init_mm's kernel half and every mm's user half. */
int pgtable_owner(uint64_t pfn, struct mm_struct **mm);

/* TLB maintenance (Linux's flush_tlb_page/range/mm): invalidate on every CPU
 * that may cache translations of mm. */
void flush_tlb_page(struct mm_struct *mm, uint64_t va);
void flush_tlb_range(struct mm_struct *mm, uint64_t start, uint64_t end);
/* flush_tlb_kernel_range - drop [start, end) of the kernel half from every
 * CPU's TLB, global entries included (Linux's flush_tlb_kernel_range:
 * invlpg each page, or a full flush above tlb_single_page_flush_ceiling
 * pages, as flush_tlb_range). */
void flush_tlb_kernel_range(uint64_t start, uint64_t end);
void flush_tlb_mm(struct mm_struct *mm);

/* The interprocessor interrupts each CPU received (Linux's x86 irq_stat):
 * a function call for every flush another CPU asked of it, and a TLB
 * shootdown for each of those that flushed a user range (flush_tlb_func;
 * a kernel range's flush is a function call only).  Zeroed at boot. */
struct irq_cpustat {
	uint64_t irq_call_count, irq_tlb_count;
};
extern struct irq_cpustat irq_stat[HW_MAX_CPUS];
/* arch_irq_stat_cpu - the interrupts CPU cpu received, all kinds (Linux's
 * arch_irq_stat_cpu: /proc/stat's intr total sums it over the CPUs). */
uint64_t arch_irq_stat_cpu(int cpu);

#endif
