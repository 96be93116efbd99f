/*
 * vma.h - the set of vmas of an mm: a doubly linked list in address order
 * and a balanced binary tree keyed by vm_start (an AVL tree) augmented with
 * subtree_gap, the largest free gap below any vma of the subtree, so that
 * lookups and free-area searches are O(log n) (Linux's mm/mmap.c before the
 * maple tree: find_vma, vma_gap_update, unmapped_area[_topdown]).
 *
 * The gap below a vma is vm_start_gap(vma) - vm_end_gap(prev), where prev is
 * the previous vma (0 for the first); a VM_GROWSDOWN vma keeps
 * stack_guard_gap bytes below it out of the gap, as Linux does.
 */
#ifndef MM_VMA_H
#define MM_VMA_H

#include <stdint.h>
#include "mm/mm_types.h"

extern uint64_t stack_guard_gap;	/* 256 pages, as Linux */

static inline uint64_t vm_start_gap(const struct vm_area_struct *v)
{
	uint64_t start = v->vm_start;

	if (v->vm_flags & VM_GROWSDOWN) {
		start -= stack_guard_gap;
		if (start > v->vm_start)
			start = 0;
	}
	return start;
}

static inline uint64_t vm_end_gap(const struct vm_area_struct *v)
{
	return v->vm_end;
}

/* vma_link - insert vma (bounds set, not overlapping any vma of mm) into
 * mm's list and tree; map_count++; sets vma->vm_mm = mm (vma_set_bounds
 * uses it for highest_vm_end). BUG on overlap. */
void vma_link(struct mm_struct *mm, struct vm_area_struct *vma);

/* vma_unlink - remove vma from mm's list and tree; map_count--. The vma is
 * not freed; its list and tree pointers are cleared (vm_mm is kept). */
void vma_unlink(struct mm_struct *mm, struct vm_area_struct *vma);

/* vma_set_bounds - change a linked vma's vm_start/vm_end (and vm_pgoff).
 * The new range must not overlap its neighbours; tree order and gaps are
 * kept right. */
void vma_set_bounds(struct vm_area_struct *vma, uint64_t start, uint64_t end,
		    uint64_t pgoff);

/* vma_gap_changed - recompute the augmented gaps after vm_flags of a linked
 * vma changed VM_GROWSDOWN (its vm_start_gap moved). */
void vma_gap_changed(struct vm_area_struct *vma);

/* find_vma - the first vma with vm_end > addr, or NULL. O(log n). */
struct vm_area_struct *find_vma(const struct mm_struct *mm, uint64_t addr);

/* find_vma_prev - find_vma, and *pprev = the vma before it (or the last vma
 * when it returns NULL; NULL when there is none). */
struct vm_area_struct *find_vma_prev(const struct mm_struct *mm, uint64_t addr,
				     struct vm_area_struct **pprev);

/* find_vma_intersection - the first vma overlapping [start, end), or NULL
 * (always NULL when end <= start). */
struct vm_area_struct *find_vma_intersection(const struct mm_struct *mm,
					     uint64_t start, uint64_t end);

struct vm_unmapped_area_info {
	unsigned int flags;		/* VM_UNMAPPED_AREA_TOPDOWN */
	uint64_t length;
	uint64_t low_limit;		/* lowest acceptable start */
	uint64_t high_limit;		/* end must be <= this */
	uint64_t align_mask;		/* start & align_mask == align_offset & align_mask */
	uint64_t align_offset;
};
#define VM_UNMAPPED_AREA_TOPDOWN 1

/* vm_unmapped_area - the lowest (or, top-down, highest) start of a free
 * range of info->length bytes inside [low_limit, high_limit) that meets the
 * alignment, searching the augmented tree in O(log n) (with an align_mask,
 * each gap of at least length but under length + align_mask bytes that the
 * alignment rules out adds to that).  Returns the address, or -ENOMEM cast
 * to uint64_t (test with IS_ERR_VALUE). */
uint64_t vm_unmapped_area(const struct mm_struct *mm,
			  const struct vm_unmapped_area_info *info);

#define IS_ERR_VALUE(x)	((uint64_t)(x) >= (uint64_t)-4095)

/* vma_tree_check - verify list order, non-overlap, tree shape (BST order,
 * AVL heights, parent links), the augmented gaps, map_count and
 * highest_vm_end. Overwrites buf with one "vma tree: ..." line per
 * problem (up to size bytes, NUL-terminated when size > 0; buf may be NULL
 * when size is 0) and returns the number found. */
int vma_tree_check(const struct mm_struct *mm, char *buf, size_t size);

#endif
