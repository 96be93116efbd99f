/*
 * mmu.c - the hardware page walker.
 *
 * One generic loop serves both paging modes: from the top level (PML4 or the
 * 32-bit PD) down to the leaf, read the entry that pt_index() selects, stop
 * on a not-present or malformed entry, and stop early at a large-page (PS)
 * entry.  Rights are the intersection of all levels (RW, US) plus the union
 * of NX.  Accessed/Dirty bits are written only when the walk succeeds, so a
 * faulting access leaves the paging structures untouched.
 *
 * Reserved-bit rules of the simulation (violations raise #PF with RSVD):
 *  - PS in a top-level entry of 4-level paging (a PML4 entry);
 *  - an address field pointing outside RAM (the machine's physical-address
 *    width is its RAM size), including any byte of a large page;
 *  - a large page whose base is not aligned to its size (the simulation has
 *    no PAT, so bit 12 of a large-page entry is an address bit like the rest).
 */
#include "hw/mmu.h"
#include "hw/cpu.h"
#include "hw/tlb.h"
#include "util/compiler.h"

#define MMU_MAX_LEVELS	4

/* The entries one walk used, indexed by level, and what it concluded. */
struct walk {
	uint64_t table[MMU_MAX_LEVELS + 1];	/* paging structure used */
	unsigned int index[MMU_MAX_LEVELS + 1];	/* entry used in it */
	uint64_t val[MMU_MAX_LEVELS + 1];	/* that entry as read */
	int leaf;				/* level where the walk stopped */
	unsigned int rights;			/* TLB_WRITE | TLB_USER | TLB_NX */
};

/* maps_large - true if entry e at `level` maps a page rather than a table:
 * PS in a PD entry (2M/4M) or a PDPT entry (1G). */
static bool maps_large(int level, uint64_t e)
{
	return (level == 2 || level == 3) && (e & _PAGE_PSE);
}

/*
 * entry_reserved - true if the present entry e at `level` sets a bit the
 * machine reserves (see the file comment).
 */
static bool entry_reserved(const struct hw *hw, int level, uint64_t e)
{
	uint64_t ram = hw->mem.nr_frames << PAGE_SHIFT;
	uint64_t addr = e & hw->geom->pfn_mask;
	uint64_t size = PAGE_SIZE;

	if (level >= 4 && (e & _PAGE_PSE))
		return true;
	if (maps_large(level, e)) {
		size = 1ULL << pt_level_shift(hw->geom, level);
		if (addr & (size - 1))
			return true;
	}
	return addr >= ram || size > ram - addr;
}

/* entry_rights - fold entry e's RW, US and NX into accumulated rights. */
static unsigned int entry_rights(unsigned int rights, uint64_t e)
{
	if (!(e & _PAGE_RW))
		rights &= ~TLB_WRITE;
	if (!(e & _PAGE_USER))
		rights &= ~TLB_USER;
	if (e & _PAGE_NX)
		rights |= TLB_NX;
	return rights;
}

/*
 * walk_tables - read the entries translating va from the table at cr3 down
 * to the leaf, filling w (w->leaf: the level of the last entry read).
 * Returns 0, or -1 with *fault = the error-code bits of the entry that
 * stopped the walk: 0 if it was not present, RSVD | PROT if it set a
 * reserved bit.
 */
static int walk_tables(struct hw *hw, uint64_t cr3, uint64_t va,
		       struct walk *w, unsigned int *fault)
{
	const struct paging_geom *g = hw->geom;
	uint64_t table = cr3;
	int level;

	w->rights = TLB_WRITE | TLB_USER;
	for (level = g->levels; ; level--) {
		unsigned int index = pt_index(g, level, va);
		uint64_t e = hw_pt_read(hw, table, index);

		w->leaf = level;
		*fault = 0;
		if (!(e & _PAGE_PRESENT))
			return -1;
		*fault = X86_PF_RSVD | X86_PF_PROT;
		if (entry_reserved(hw, level, e))
			return -1;
		w->table[level] = table;
		w->index[level] = index;
		w->val[level] = e;
		w->rights = entry_rights(w->rights, e);
		if (level == 1 || maps_large(level, e))
			break;
		table = e & g->pfn_mask;
	}
	return 0;
}

/* access_denied - true if the effective rights forbid the access (ACC_*):
 * ACC_SMAP (a supervisor access under CR4.SMAP) may not touch a user page. */
static bool access_denied(unsigned int rights, unsigned int access)
{
	if ((access & ACC_USER) && !(rights & TLB_USER))
		return true;
	if ((access & ACC_SMAP) && (rights & TLB_USER))
		return true;
	if ((access & ACC_WRITE) && !(rights & TLB_WRITE))
		return true;
	return (access & ACC_FETCH) && (rights & TLB_NX);
}

/*
 * mark_used - set A in every entry of the successful walk w and D in its
 * leaf on a write, writing back only entries that change.  Returns the
 * leaf's new value.
 */
static uint64_t mark_used(struct hw *hw, const struct walk *w, bool write)
{
	uint64_t v = 0;
	int level;

	for (level = hw->geom->levels; level >= w->leaf; level--) {
		uint64_t old = w->val[level];

		v = old | _PAGE_ACCESSED;
		if (level == w->leaf && write)
			v |= _PAGE_DIRTY;
		if (v != old)
			hw_pt_write(hw, w->table[level], w->index[level], v);
	}
	return v;
}

/*
 * translate - the walk of mmu_walk and mmu_probe: mark says whether the
 * successful walk sets the A/D bits (mmu_walk) or changes nothing
 * (mmu_probe, whose leaf is the entry as read); only the former counts
 * the entries it read.
 */
static int translate(struct hw *hw, uint64_t cr3, uint64_t va,
		     unsigned int access, struct mmu_result *res,
		     unsigned int *error_code, bool mark)
{
	struct walk w;
	unsigned int fault;
	uint64_t size;
	int stopped;

	BUG_ON(access & ~(ACC_WRITE | ACC_USER | ACC_FETCH | ACC_SMAP));
	BUG_ON(!PAGE_ALIGNED(cr3) || !phys_valid(&hw->mem, cr3, PAGE_SIZE));
	stopped = walk_tables(hw, cr3, va, &w, &fault);
	if (mark)
		hw->walk_reads += (unsigned int)(hw->geom->levels - w.leaf + 1);
	if (stopped) {
		*error_code = (access & ~ACC_SMAP) | fault;
		return -1;
	}
	if (access_denied(w.rights, access)) {
		*error_code = (access & ~ACC_SMAP) | X86_PF_PROT;
		return -1;
	}
	res->leaf = mark ? mark_used(hw, &w, access & ACC_WRITE) :
			   w.val[w.leaf];
	res->level = w.leaf;
	size = 1ULL << pt_level_shift(hw->geom, w.leaf);
	res->pa = (res->leaf & hw->geom->pfn_mask) | (va & (size - 1));
	res->tlb_flags = w.rights;
	if (res->leaf & _PAGE_DIRTY)
		res->tlb_flags |= TLB_DIRTY;
	if (res->leaf & _PAGE_GLOBAL)
		res->tlb_flags |= TLB_GLOBAL;
	return 0;
}

/*
 * mmu_walk - translate va for `access` (ACC_* bits only) from the top-level
 * table at cr3, which must be a page-aligned frame of RAM.
 * Returns 0 and fills *res, or -1 with *error_code = the #PF error code;
 * a fault changes nothing in RAM.  Counts one page walk either way.
 */
int mmu_walk(struct hw *hw, uint64_t cr3, uint64_t va, unsigned int access,
	     struct mmu_result *res, unsigned int *error_code)
{
	hw->page_walks++;
	return translate(hw, cr3, va, access, res, error_code, true);
}

/* mmu_probe - see mmu.h. */
int mmu_probe(struct hw *hw, uint64_t cr3, uint64_t va, unsigned int access,
	      struct mmu_result *res, unsigned int *error_code)
{
	return translate(hw, cr3, va, access, res, error_code, false);
}
