/*
 * pgtable.c - page-table pages: the protection map, allocating and freeing
 * tables, walking to a leaf entry (walks over ranges go through
 * pagewalk.c), and TLB shootdowns.
 *
 * Mirrors arch/x86/mm/pgprot.c (protection_map), mm/memory.c (__pte_alloc,
 * free_pgd_range) and arch/x86/mm/tlb.c (flush_tlb_mm_range).
 */
#include <errno.h>
#include "mm/pgtable.h"
#include "mm/pagewalk.h"
#include "mm/page_alloc.h"
#include "mm/mm.h"
#include "mm/vmstat.h"
#include "mm/vmalloc.h"
#include "kernel/trace.h"

#define __PP	_PAGE_PRESENT
#define __RW	_PAGE_RW
#define _USR	_PAGE_USER
#define ___A	_PAGE_ACCESSED
#define ___D	_PAGE_DIRTY
#define __NX	_PAGE_NX

#define PAGE_NONE		(_PAGE_PROTNONE | ___A)
#define PAGE_SHARED		(__PP | __RW | _USR | ___A | __NX)
#define PAGE_SHARED_EXEC	(__PP | __RW | _USR | ___A)
#define PAGE_COPY		(__PP | _USR | ___A | __NX)
#define PAGE_COPY_EXEC		(__PP | _USR | ___A)
#define PAGE_READONLY		(__PP | _USR | ___A | __NX)
#define PAGE_READONLY_EXEC	(__PP | _USR | ___A)
/* The entry pointing at a lower table (Linux's _PAGE_TABLE). */
#define _PAGE_TABLE		(__PP | __RW | _USR | ___A | ___D)

/* Bits pte_modify keeps (Linux's _PAGE_CHG_MASK). */
#define _PAGE_CHG_MASK	(PTE_PFN_MASK_64 | _PAGE_PCD | _PAGE_PWT | \
			 _PAGE_SPECIAL | ___A | ___D | _PAGE_SOFT_DIRTY)

static const pte_t protection_map[16] = {
	[0] = PAGE_NONE,
	[1] = PAGE_READONLY,
	[2] = PAGE_COPY,
	[3] = PAGE_COPY,
	[4] = PAGE_READONLY_EXEC,
	[5] = PAGE_READONLY_EXEC,
	[6] = PAGE_COPY_EXEC,
	[7] = PAGE_COPY_EXEC,
	[8] = PAGE_NONE,
	[9] = PAGE_READONLY,
	[10] = PAGE_SHARED,
	[11] = PAGE_SHARED,
	[12] = PAGE_READONLY_EXEC,
	[13] = PAGE_READONLY_EXEC,
	[14] = PAGE_SHARED_EXEC,
	[15] = PAGE_SHARED_EXEC,
};

/* The CPU executing kernel code now (for local/remote flush counts). */
int this_cpu = -1;

/* vm_get_page_prot - see pgtable.h. 32-bit entries have no NX bit. */
pte_t vm_get_page_prot(uint64_t vm_flags)
{
	pte_t prot = protection_map[vm_flags & (VM_READ | VM_WRITE | VM_EXEC |
						VM_SHARED)];

	if (hw.geom->entry_size == 4)
		prot &= ~_PAGE_NX;
	return prot;
}

/* pte_modify - see pgtable.h. */
pte_t pte_modify(pte_t p, pte_t newprot)
{
	return (p & _PAGE_CHG_MASK) | (newprot & ~_PAGE_CHG_MASK);
}

/* pgtable_page_alloc - a zeroed frame for a page table of mm, counted in
 * NR_PAGETABLE (and in mm's pgtables_bytes unless top). 0 or -ENOMEM. */
static int pgtable_page_alloc(struct mm_struct *mm, bool top, uint64_t *pa)
{
	struct page *page = alloc_page_oom(GFP_PGTABLE, mm);

	if (!page)
		return -ENOMEM;
	SetPageFlag(page, PG_pgtable);
	mod_node_page_state(page_pgdat(page), NR_PAGETABLE, 1);
	if (!top)
		mm->pgtables_bytes += PAGE_SIZE;
	*pa = page_to_phys(page);
	return 0;
}

/* pgtable_page_free - release a page-table page of mm (all entries none). */
static void pgtable_page_free(struct mm_struct *mm, uint64_t pa, bool top)
{
	struct page *page = pfn_to_page(pa >> PAGE_SHIFT);

	BUG_ON(!PageTable(page) || page->refcount != 1);
	ClearPageFlag(page, PG_pgtable);
	mod_node_page_state(page_pgdat(page), NR_PAGETABLE, -1);
	if (!top)
		mm->pgtables_bytes -= PAGE_SIZE;
	put_page(page);
}

/* pgd_alloc - see pgtable.h. 0 or -ENOMEM. */
int pgd_alloc(struct mm_struct *mm)
{
	int err = pgtable_page_alloc(mm, true, &mm->pgd);

	if (!err)
		pgd_clone_kernel(mm->pgd);
	return err;
}

/* pgd_free - see pgtable.h. Every entry must already be none. */
void pgd_free(struct mm_struct *mm)
{
	pgd_clear_kernel(mm->pgd);
	pgtable_page_free(mm, mm->pgd, true);
	mm->pgd = 0;
}

/* walk_pte - see pgtable.h. */
int walk_pte(struct mm_struct *mm, uint64_t va, bool alloc, struct pte_ref *ref)
{
	const struct paging_geom *g = hw.geom;
	uint64_t table = mm->pgd;
	int level, err;

	for (level = g->levels; level > 1; level--) {
		struct pte_ref r = { table, pt_index(g, level, va) };
		pte_t e = pte_read(r);

		if (!(e & _PAGE_PRESENT)) {
			uint64_t pa;

			if (!alloc)
				return -ENOENT;
			err = pgtable_page_alloc(mm, false, &pa);
			if (err)
				return err;
			e = pa | _PAGE_TABLE;
			pte_write(r, e);
		}
		table = pt_table_addr(e);
	}
	ref->table = table;
	ref->idx = pt_index(g, 1, va);
	return 0;
}

/* lookup_address - see pgtable.h. */
bool lookup_address(uint64_t pgd, uint64_t va, pte_t *leaf, uint64_t *pfn)
{
	const struct paging_geom *g = hw.geom;
	uint64_t table = pgd;

	for (int level = g->levels; ; level--) {
		pte_t e = pte_read((struct pte_ref){ table,
						     pt_index(g, level, va) });

		if (!(e & _PAGE_PRESENT))
			return false;
		if (level == 1 || (e & _PAGE_PSE)) {
			uint64_t mask = (1ULL << pt_level_shift(g, level)) - 1;

			*leaf = e;
			*pfn = ((e & g->pfn_mask & ~mask) | (va & mask)) >>
			       PAGE_SHIFT;
			return true;
		}
		table = pt_table_addr(e);
	}
}

/* first_table - pmd_entry of pte_table_next: stop at the first entry
 * that leads to a page table, with its address. */
static int first_table(struct pte_ref ref, uint64_t addr, uint64_t next,
		       struct mm_walk *walk)
{
	uint64_t *found = walk->private;

	if (!(pte_read(ref) & _PAGE_PRESENT))
		return 0;
	*found = addr;
	return 1;
}

/* pte_table_next - see pgtable.h. */
uint64_t pte_table_next(struct mm_struct *mm, uint64_t va, uint64_t end)
{
	static const struct mm_walk_ops ops = { .pmd_entry = first_table };
	uint64_t found = end;

	walk_page_range(mm, va, end, &ops, &found);
	return found;
}

/* span_inside - does the whole span of one level-`level` entry starting at
 * base lie inside [floor, ceiling) (ceiling 0 = top of memory)? */
static bool span_inside(int level, uint64_t base, uint64_t floor,
			uint64_t ceiling)
{
	uint64_t size = 1ULL << pt_level_shift(hw.geom, level);

	if (base < floor)
		return false;
	return ceiling == 0 || base + size - 1 <= ceiling - 1;
}

/* table_is_empty - are all entries of the table at pa none? */
static bool table_is_empty(uint64_t pa)
{
	unsigned int i, n = pt_entries(hw.geom);

	for (i = 0; i < n; i++)
		if (pte_read((struct pte_ref){ pa, i }))
			return false;
	return true;
}

/* free_level - free_pgd_range below the level-`level` table at `table`. */
static void free_level(struct mm_struct *mm, uint64_t table, int level,
		       uint64_t start, uint64_t end, uint64_t floor,
		       uint64_t ceiling)
{
	const struct paging_geom *g = hw.geom;
	uint64_t va, next;

	for (va = start; va != end; va = next) {
		struct pte_ref r = { table, pt_index(g, level, va) };
		uint64_t size = 1ULL << pt_level_shift(g, level);
		pte_t e = pte_read(r);
		uint64_t child = pt_table_addr(e);

		next = pt_addr_end(level, va, end);
		if (!(e & _PAGE_PRESENT))
			continue;
		if (level > 2)
			free_level(mm, child, level - 1, va, next, floor,
				   ceiling);
		if (!span_inside(level, va & ~(size - 1), floor, ceiling))
			continue;
		/* A page table inside a hole maps nothing (every vma that
		 * covered it was zapped); an upper table may still hold
		 * tables of the hole outside [start, end): keep it then. */
		if (level == 2)
			BUG_ON(!table_is_empty(child));
		else if (!table_is_empty(child))
			continue;
		pte_write(r, 0);
		pgtable_page_free(mm, child, false);
	}
}

/* free_pgd_range - see pgtable.h. */
void free_pgd_range(struct mm_struct *mm, uint64_t addr, uint64_t end,
		    uint64_t floor, uint64_t ceiling)
{
	if (addr >= end)
		return;
	free_level(mm, mm->pgd, hw.geom->levels, addr, end, floor, ceiling);
}

/* The frame pgtable_owner looks for, and the level found. */
struct owner_search {
	uint64_t pa;
	int level;
};

/* owner_entry - entry callback of pgtable_owner above the leaves: stop at
 * the entry pointing at the frame sought; tables beyond RAM are not gone
 * into. */
static int owner_entry(struct pte_ref ref, uint64_t addr, uint64_t next,
		       struct mm_walk *walk)
{
	struct owner_search *os = walk->private;
	pte_t e = pte_read(ref);
	uint64_t child = pt_table_addr(e);

	if (!pt_entry_is_table(e))
		return 0;
	if ((child >> PAGE_SHIFT) >= max_pfn) {
		walk->action = ACTION_CONTINUE;
		return 0;
	}
	if (child != os->pa)
		return 0;
	os->level = walk->level - 1;
	return 1;
}

/* pgtable_owner - see pgtable.h. */
int pgtable_owner(uint64_t pfn, struct mm_struct **mm)
{
	static const struct mm_walk_ops ops = {
		.pgd_entry = owner_entry,
		.pud_entry = owner_entry,
		.pmd_entry = owner_entry,
	};
	struct owner_search os = { pfn << PAGE_SHIFT, 0 };
	struct list_head *l;

	walk_page_range(&init_mm, kernel_half_start(), 1ULL << hw.geom->va_bits,
			&ops, &os);
	if (os.level) {
		*mm = &init_mm;
		return os.level;
	}
	list_for_each(l, &all_mms) {
		struct mm_struct *m = list_entry(l, struct mm_struct, mmlist);

		if (m->pgd == os.pa)
			os.level = hw.geom->levels;
		else
			walk_page_tables(m, &ops, &os);
		if (os.level) {
			*mm = m;
			return os.level;
		}
	}
	*mm = NULL;
	return 0;
}

/* tlb_single_page_flush_ceiling - above this many pages a range flush
 * becomes a full flush (Linux's default, 33). */
static const uint64_t tlb_single_page_flush_ceiling = 33;

/* flush_cpu - invalidate [start, end) of mm on one CPU; counts the flush as
 * local when that CPU runs the kernel code doing it. */
static void flush_cpu(struct cpu *c, struct mm_struct *mm, uint64_t start,
		      uint64_t end)
{
	uint64_t n = (end - start) >> PAGE_SHIFT, va;
	bool local = c->id == this_cpu;

	if (n > tlb_single_page_flush_ceiling) {
		if (hw.pcid)
			tlb_flush_pcid(&c->tlb, mm->pcid);
		else
			tlb_flush_all(&c->tlb, true);
		if (local)
			count_vm_event(NR_TLB_LOCAL_FLUSH_ALL);
	} else {
		for (va = start; va < end; va += PAGE_SIZE)
			tlb_invlpg(&c->tlb, va >> PAGE_SHIFT, mm->pcid);
		if (local)
			count_vm_events(NR_TLB_LOCAL_FLUSH_ONE, n);
	}
	if (!local) {
		count_vm_event(NR_TLB_REMOTE_FLUSH_RECEIVED);
		irq_stat[c->id].irq_call_count++;
		irq_stat[c->id].irq_tlb_count++;
	}
	trace_tlb_flush(c->id, mm, start, end);
}

/* flush_tlb_range - see pgtable.h.  Without PCID only CPUs whose CR3 holds
 * mm's table can cache it; with PCID every CPU may hold tagged entries. */
void flush_tlb_range(struct mm_struct *mm, uint64_t start, uint64_t end)
{
	bool remote = false;
	int i;

	for (i = 0; i < hw.nr_cpus; i++) {
		struct cpu *c = &hw.cpus[i];

		if (c->cr3 != mm->pgd && !hw.pcid)
			continue;
		flush_cpu(c, mm, start, end);
		if (c->id != this_cpu)
			remote = true;
	}
	if (remote)
		count_vm_event(NR_TLB_REMOTE_FLUSH);
}

/* flush_tlb_kernel_range - see pgtable.h. */
void flush_tlb_kernel_range(uint64_t start, uint64_t end)
{
	int i;

	for (i = 0; i < hw.nr_cpus; i++) {
		uint64_t va;

		if (i != this_cpu)
			irq_stat[i].irq_call_count++;
		if ((end - start) >> PAGE_SHIFT > tlb_single_page_flush_ceiling) {
			cpu_flush_tlb(&hw.cpus[i], false);
			continue;
		}
		for (va = start; va < end; va += PAGE_SIZE)
			cpu_invlpg(&hw.cpus[i], va);
	}
}

struct irq_cpustat irq_stat[HW_MAX_CPUS];

/* arch_irq_stat_cpu - see pgtable.h. */
uint64_t arch_irq_stat_cpu(int cpu)
{
	return irq_stat[cpu].irq_call_count + irq_stat[cpu].irq_tlb_count;
}

void flush_tlb_page(struct mm_struct *mm, uint64_t va)
{
	flush_tlb_range(mm, va, va + PAGE_SIZE);
}

void flush_tlb_mm(struct mm_struct *mm)
{
	flush_tlb_range(mm, 0, mm->task_size);
}
