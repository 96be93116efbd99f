/*
 * pagewalk.c - the page-table walker (Linux's mm/pagewalk.c): one walk,
 * top table to leaves, for both paging modes, with a callback per level
 * (see pagewalk.h).  Every walk over a range of page tables goes through
 * it: zapping (unmap_page_range), change_protection, move_page_tables,
 * mlock, madvise's cold/pageout, rmap's scan for the zero page,
 * pte_table_next (fork skipping absent tables), pgtable_owner, the
 * invariant checker, and the smaps, pagemap and pagetable files.
 *
 * Walks that keep their own code, and why:
 *  - walk_pte (pgtable.c): the single-address descent of the fault path
 *    (which allocates missing tables), of fork's copy_pte_table, rmap,
 *    uaccess and single pagemap entries; it follows one entry per level,
 *    with no callbacks on the hottest path;
 *  - free_pgd_range (pgtable.c): frees tables bottom-up, a table after its
 *    entries, deciding per table against [floor, ceiling); a walker that
 *    calls back on an entry before its table cannot express that (Linux's
 *    free_pgd_range has its own walk too);
 *  - do_fault_around and copy_pte_table (memory.c) index the one page
 *    table walk_pte found;
 *  - vmap_pte_alloc (vmalloc.c): the descent of vmalloc into init_mm,
 *    which makes supervisor-only tables (walk_pte makes user ones) and
 *    spreads a new i386 page-directory entry to every pgd;
 *  - hw/mmu.c: the MMU's own walk, below mm, which sets A and D and checks
 *    permissions as the hardware does.
 */
#include "mm/pagewalk.h"
#include "mm/page.h"
#include "mm/vmalloc.h"
#include "util/compiler.h"

/* entry_op - the callback for the entries of a level-`level` table. */
static pt_entry_fn entry_op(const struct mm_walk_ops *ops, int level)
{
	switch (level) {
	case 1:
		return ops->pte_entry;
	case 2:
		return ops->pmd_entry;
	case 3:
		return ops->pud_entry;
	default:
		return ops->pgd_entry;
	}
}

/* walk_hole - report [addr, next), whose level-`level` entry leads to no
 * table, to pte_hole if there is one. */
static int walk_hole(uint64_t addr, uint64_t next, int level,
		     struct mm_walk *walk)
{
	if (!walk->ops->pte_hole)
		return 0;
	return walk->ops->pte_hole(addr, next, level, walk);
}

/* walk_pte_range - pte_entry on every slot of the page table at `table`
 * mapping [addr, end) (Linux's walk_pte_range). */
static int walk_pte_range(uint64_t table, uint64_t addr, uint64_t end,
			  struct mm_walk *walk)
{
	struct pte_ref ref = { table, pt_index(hw.geom, 1, addr) };
	pt_entry_fn fn = walk->ops->pte_entry;
	int err;

	walk->level = 1;
	for (; addr != end; addr += PAGE_SIZE, ref.idx++) {
		err = fn(ref, addr, addr + PAGE_SIZE, walk);
		if (err)
			return err;
	}
	return 0;
}

static int walk_table_range(uint64_t table, int level, uint64_t addr,
			    uint64_t end, struct mm_walk *walk);

/* walk_entry - one entry e (not none) of a level-`level` table mapping
 * [addr, next): its callback, then the table below it, or a hole when it
 * leads to no table (Linux's walk_pmd_range body and its siblings). */
static int walk_entry(struct pte_ref ref, pte_t e, int level, uint64_t addr,
		      uint64_t next, struct mm_walk *walk)
{
	pt_entry_fn fn = entry_op(walk->ops, level);
	uint64_t child;
	int err;

	walk->action = ACTION_SUBTREE;
	if (fn) {
		walk->level = level;
		err = fn(ref, addr, next, walk);
		if (err)
			return err;
	}
	if (walk->action == ACTION_CONTINUE || level - 1 < walk->last_level)
		return 0;
	if (!pt_entry_is_table(e))
		return walk_hole(addr, next, level, walk);
	child = pt_table_addr(e);
	BUG_ON((child >> PAGE_SHIFT) >= max_pfn);
	if (level == 2)
		return walk_pte_range(child, addr, next, walk);
	return walk_table_range(child, level - 1, addr, next, walk);
}

/* walk_table_range - the entries of the level-`level` table at `table`
 * (level > 1) that map [addr, end): none entries are holes (Linux's
 * walk_pgd_range, walk_pud_range and walk_pmd_range in one). */
static int walk_table_range(uint64_t table, int level, uint64_t addr,
			    uint64_t end, struct mm_walk *walk)
{
	uint64_t next;
	int err;

	for (; addr != end; addr = next) {
		struct pte_ref ref = { table, pt_index(hw.geom, level, addr) };
		pte_t e = pte_read(ref);

		next = pt_addr_end(level, addr, end);
		if (pte_none(e))
			err = walk_hole(addr, next, level, walk);
		else
			err = walk_entry(ref, e, level, addr, next, walk);
		if (err)
			return err;
	}
	return 0;
}

/* lowest_level - the lowest level ops has a callback for; above the top
 * when it has none. */
static int lowest_level(const struct mm_walk_ops *ops)
{
	int level;

	for (level = 1; level <= hw.geom->levels; level++)
		if (entry_op(ops, level))
			break;
	return level;
}

/* walk_page_range - see pagewalk.h. */
int walk_page_range(struct mm_struct *mm, uint64_t start, uint64_t end,
		    const struct mm_walk_ops *ops, void *private)
{
	struct mm_walk walk = {
		.ops = ops,
		.mm = mm,
		.private = private,
		.last_level = lowest_level(ops),
	};

	if (start >= end)
		return 0;
	return walk_table_range(mm->pgd, hw.geom->levels, start, end, &walk);
}

/* walk_page_tables - see pagewalk.h. */
int walk_page_tables(struct mm_struct *mm, const struct mm_walk_ops *ops,
		     void *private)
{
	return walk_page_range(mm, 0, kernel_half_start(), ops, private);
}
