/*
 * pagewalk.h - walking the page tables of an address space with a
 * callback per level (Linux's include/linux/pagewalk.h).
 *
 * The callbacks take Linux's level names.  With 4-level paging the PML4
 * holds pgd entries, the PDPT pud entries, the PD pmd entries and the PT
 * pte entries; there is no p4d level (five-level paging is not modelled;
 * Linux folds p4d into the pgd there).  With i386 2-level paging the PD's
 * entries point at page tables, so they are pmd entries and pmd_entry is
 * called for them; pgd_entry and pud_entry are never called (Linux folds
 * those levels onto the PD and would call each callback on the same
 * entry; here every entry is visited once).
 */
#ifndef MM_PAGEWALK_H
#define MM_PAGEWALK_H

#include <stdint.h>
#include "mm/pgtable.h"

struct mm_walk;

/*
 * An entry callback: ref names the entry, [addr, next) is the part of the
 * walked range it maps, walk->level its level (1 = pte).  Return 0 to go
 * on, nonzero to stop the walk with that value.
 */
typedef int (*pt_entry_fn)(struct pte_ref ref, uint64_t addr, uint64_t next,
			   struct mm_walk *walk);

/*
 * The callbacks of a walk (Linux's struct mm_walk_ops); any may be NULL.
 * pgd_entry, pud_entry and pmd_entry get every entry that is not none at
 * their level; the walk then goes down into the table it points to, unless
 * the callback set walk->action to ACTION_CONTINUE or no callback is set
 * for a lower level.  pte_entry gets every leaf slot of the page tables
 * that exist, none entries included.  pte_hole gets each span [addr, next)
 * whose table is missing: the entry at `level` is none, or is not a table
 * (not present, or a large page) once its own callback has seen it.
 */
struct mm_walk_ops {
	pt_entry_fn pgd_entry;
	pt_entry_fn pud_entry;
	pt_entry_fn pmd_entry;
	pt_entry_fn pte_entry;
	int (*pte_hole)(uint64_t addr, uint64_t next, int level,
			struct mm_walk *walk);
};

/* What the walk does after an entry callback (Linux's page_walk_action). */
enum page_walk_action {
	ACTION_SUBTREE,		/* go down into the entry's table (default) */
	ACTION_CONTINUE,	/* skip it, go on with the next entry */
};

/* The state of one walk (Linux's struct mm_walk), given to callbacks. */
struct mm_walk {
	const struct mm_walk_ops *ops;
	struct mm_struct *mm;
	void *private;			/* the caller's argument */
	int level;			/* of the entry a callback is given */
	enum page_walk_action action;	/* an entry callback may set it */
	int last_level;			/* lowest level with a callback */
};

/*
 * walk_page_range - walk mm's page tables over [start, end) (page aligned,
 * end at most 1 << va_bits) in address order, calling ops as described
 * above with private in walk->private (Linux's walk_page_range_novma: the
 * tables alone; what vmas cover is the callbacks' business).  Spans of
 * absent tables are skipped whole.  Returns 0 or the first nonzero
 * callback value.
 */
int walk_page_range(struct mm_struct *mm, uint64_t start, uint64_t end,
		    const struct mm_walk_ops *ops, void *private);

/* walk_page_tables - walk_page_range over the user half of the address
 * space, [0, kernel_half_start()): the kernel half is init_mm's, shared
 * by every pgd (mm/init.c), and walked through init_mm. */
int walk_page_tables(struct mm_struct *mm, const struct mm_walk_ops *ops,
		     void *private);

#endif
