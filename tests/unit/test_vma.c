/*
 * test_vma.c - unit tests for the vma list and augmented AVL tree
 * (mm/vma.c): exact expectations on small layouts, the consistency
 * checker, a randomized run against brute-force list scans, and a
 * 65530-vma address space.
 */
#include <check.h>
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "util/compiler.h"
#include "mm/vma.h"

/*
 * Quiet assertions for hot loops: a passing ck_assert sends a mark point to
 * the runner, which costs a system call; these only call it on failure.
 */
#define QUIET_PTR_EQ(a, b) do {						\
	const void *qa_ = (a), *qb_ = (b);				\
	if (qa_ != qb_)							\
		ck_assert_ptr_eq(qa_, qb_);				\
} while (0)
#define QUIET_UINT_EQ(a, b) do {					\
	uint64_t qa_ = (a), qb_ = (b);					\
	if (qa_ != qb_)							\
		ck_assert_uint_eq(qa_, qb_);				\
} while (0)
#define QUIET(cond) do {						\
	if (!(cond))							\
		ck_assert(cond);					\
} while (0)

#define PG	0x1000UL
#define ENOMEM_ADDR	((uint64_t)-ENOMEM)
#define TOP	UINT64_MAX

__extension__ typedef unsigned __int128 u128;

/* ---- helpers ---- */

/* mkvma - a calloc'ed vma covering [start, end) with flags. */
static struct vm_area_struct *mkvma(uint64_t start, uint64_t end,
				    uint64_t flags)
{
	struct vm_area_struct *v = calloc(1, sizeof(*v));

	QUIET(v != NULL);
	v->vm_start = start;
	v->vm_end = end;
	v->vm_flags = flags;
	return v;
}

/* add - create a vma for [start, end) and link it into mm. */
static struct vm_area_struct *add(struct mm_struct *mm, uint64_t start,
				  uint64_t end, uint64_t flags)
{
	struct vm_area_struct *v = mkvma(start, end, flags);

	vma_link(mm, v);
	return v;
}

/* free_all - unlink and free every vma of mm. */
static void free_all(struct mm_struct *mm)
{
	while (mm->mmap) {
		struct vm_area_struct *v = mm->mmap;

		vma_unlink(mm, v);
		free(v);
	}
	ck_assert_ptr_null(mm->vma_root);
	ck_assert_int_eq(mm->map_count, 0);
	ck_assert_uint_eq(mm->highest_vm_end, 0);
}

/* assert_sane - vma_tree_check must find nothing. */
static void assert_sane(const struct mm_struct *mm)
{
	char buf[4096];
	int n = vma_tree_check(mm, buf, sizeof(buf));

	if (n != 0 || buf[0])
		ck_abort_msg("%d problems:\n%s", n, buf);
}

/* area - call vm_unmapped_area with the given request. */
static uint64_t area(const struct mm_struct *mm, unsigned int flags,
		     uint64_t len, uint64_t low, uint64_t high, uint64_t mask,
		     uint64_t off)
{
	struct vm_unmapped_area_info info = {
		.flags = flags, .length = len, .low_limit = low,
		.high_limit = high, .align_mask = mask, .align_offset = off,
	};

	return vm_unmapped_area(mm, &info);
}

#define UP	0
#define DOWN	VM_UNMAPPED_AREA_TOPDOWN

/* ---- brute force references (list scans) ---- */

/* bf_find - find_vma by scanning the list. */
static struct vm_area_struct *bf_find(const struct mm_struct *mm, uint64_t a)
{
	struct vm_area_struct *v;

	for (v = mm->mmap; v; v = v->vm_next)
		if (v->vm_end > a)
			return v;
	return NULL;
}

/* bf_prev - the vma before find_vma(mm, a) (or the last one), by scan. */
static struct vm_area_struct *bf_prev(const struct mm_struct *mm, uint64_t a)
{
	struct vm_area_struct *v, *prev = NULL;

	for (v = mm->mmap; v && v->vm_end <= a; v = v->vm_next)
		prev = v;
	return prev;
}

/* bf_inter - find_vma_intersection by scanning the list. */
static struct vm_area_struct *bf_inter(const struct mm_struct *mm,
				       uint64_t s, uint64_t e)
{
	struct vm_area_struct *v;

	if (e <= s)
		return NULL;
	for (v = mm->mmap; v; v = v->vm_next)
		if (v->vm_start < e && v->vm_end > s)
			return v;
	return NULL;
}

/*
 * bf_gap_fit - the best start inside gap [gs, ge) for info, computed in
 * 128-bit arithmetic; returns -1 (as u128) when nothing fits.
 */
static u128 bf_gap_fit(const struct vm_unmapped_area_info *in, u128 gs,
		       u128 ge)
{
	u128 lo = gs > in->low_limit ? gs : in->low_limit;
	u128 hi = ge < in->high_limit ? ge : in->high_limit;
	u128 s;

	if (lo + in->length > hi)
		return (u128)-1;
	if (in->flags & VM_UNMAPPED_AREA_TOPDOWN) {
		s = hi - in->length;
		s -= ((uint64_t)s - in->align_offset) & in->align_mask;
		/* s may have gone "negative": it is then huge and > hi */
		return s >= lo && s <= hi ? s : (u128)-1;
	}
	s = lo + ((in->align_offset - (uint64_t)lo) & in->align_mask);
	return s + in->length <= hi ? s : (u128)-1;
}

/* bf_area - vm_unmapped_area by scanning every gap of the list. */
static uint64_t bf_area(const struct mm_struct *mm,
			const struct vm_unmapped_area_info *in)
{
	bool down = in->flags & VM_UNMAPPED_AREA_TOPDOWN;
	u128 best = (u128)-1, s, prev_end = 0;
	struct vm_area_struct *v;

	if (!in->length || in->high_limit < in->low_limit ||
	    in->high_limit - in->low_limit < in->length)
		return ENOMEM_ADDR;
	for (v = mm->mmap; v; v = v->vm_next) {
		s = bf_gap_fit(in, prev_end, vm_start_gap(v));
		if (s != (u128)-1 && (best == (u128)-1 || down))
			best = s;
		prev_end = vm_end_gap(v);
	}
	s = bf_gap_fit(in, prev_end, (u128)1 << 64);
	if (s != (u128)-1 && (best == (u128)-1 || down))
		best = s;
	return best == (u128)-1 ? ENOMEM_ADDR : (uint64_t)best;
}

/* ---- empty mm and basic lookups ---- */

/* An empty mm: no vmas, no problems, the whole range is free. */
START_TEST(test_empty)
{
	struct mm_struct mm = { 0 };
	struct vm_area_struct *prev = (void *)1;
	char buf[64];

	ck_assert_ptr_null(find_vma(&mm, 0));
	ck_assert_ptr_null(find_vma(&mm, TOP));
	ck_assert_ptr_null(find_vma_prev(&mm, 0x1234, &prev));
	ck_assert_ptr_null(prev);
	ck_assert_ptr_null(find_vma_intersection(&mm, 0, TOP));
	ck_assert_int_eq(vma_tree_check(&mm, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "");
	ck_assert_int_eq(vma_tree_check(&mm, NULL, 0), 0);

	ck_assert_uint_eq(area(&mm, UP, 0x2000, 0x1000, 0x10000, 0, 0), 0x1000);
	ck_assert_uint_eq(area(&mm, DOWN, 0x2000, 0x1000, 0x10000, 0, 0),
			  0xe000);
	ck_assert_uint_eq(area(&mm, UP, 0x1000, 0, 0x1000, 0, 0), 0);
	ck_assert_uint_eq(area(&mm, DOWN, 0x1000, 0, 0x1000, 0, 0), 0);
	ck_assert_uint_eq(area(&mm, UP, 0, 0x1000, 0x10000, 0, 0), ENOMEM_ADDR);
	ck_assert_uint_eq(area(&mm, DOWN, 0, 0x1000, 0x10000, 0, 0),
			  ENOMEM_ADDR);
	ck_assert_uint_eq(area(&mm, UP, 0xf001, 0x1000, 0x10000, 0, 0),
			  ENOMEM_ADDR);
	ck_assert_uint_eq(area(&mm, DOWN, 0x1000, 0x10000, 0x1000, 0, 0),
			  ENOMEM_ADDR);
	ck_assert_uint_eq(area(&mm, DOWN, TOP, 0, TOP, 0, 0), 0);
	ck_assert_uint_eq(area(&mm, UP, TOP, 0, TOP, 0, 0), 0);
	ck_assert_uint_eq(area(&mm, DOWN, 1, 0, TOP, 0, 0), TOP - 1);
	ck_assert_uint_eq(area(&mm, DOWN, 1, 0, TOP, 0xfff, 0),
			  0xfffffffffffff000);
	ck_assert_uint_eq(area(&mm, UP, 1, 1, TOP, 0xfff, 0), 0x1000);
}
END_TEST

/* three_vmas - link [0x10000,0x20000), [0x30000,0x40000) and
 * [0x50000,0x60000) into mm (out of order) and return them in v[0..2]. */
static void three_vmas(struct mm_struct *mm, struct vm_area_struct **v)
{
	v[0] = add(mm, 0x10000, 0x20000, 0);
	v[2] = add(mm, 0x50000, 0x60000, 0);
	v[1] = add(mm, 0x30000, 0x40000, 0);
	assert_sane(mm);
}

/* Linking keeps the list ordered and the counters right. */
START_TEST(test_link_order)
{
	struct mm_struct mm = { 0 };
	struct vm_area_struct *v[3];

	three_vmas(&mm, v);
	ck_assert_ptr_eq(mm.mmap, v[0]);
	ck_assert_ptr_null(v[0]->vm_prev);
	ck_assert_ptr_eq(v[0]->vm_next, v[1]);
	ck_assert_ptr_eq(v[1]->vm_next, v[2]);
	ck_assert_ptr_null(v[2]->vm_next);
	ck_assert_ptr_eq(v[2]->vm_prev, v[1]);
	ck_assert_ptr_eq(v[1]->vm_prev, v[0]);
	ck_assert_ptr_eq(v[0]->vm_mm, &mm);
	ck_assert_ptr_eq(mm.vma_root, v[1]);
	ck_assert_int_eq(mm.vma_root->avl_height, 2);
	ck_assert_int_eq(mm.map_count, 3);
	ck_assert_uint_eq(mm.highest_vm_end, 0x60000);
	ck_assert_uint_eq(mm.vma_root->subtree_gap, 0x10000);
	free_all(&mm);
}
END_TEST

/* find_vma and find_vma_prev at and around every boundary. */
START_TEST(test_find_vma)
{
	struct mm_struct mm = { 0 };
	struct vm_area_struct *v[3], *prev;

	three_vmas(&mm, v);
	ck_assert_ptr_eq(find_vma(&mm, 0), v[0]);
	ck_assert_ptr_eq(find_vma(&mm, 0x10000), v[0]);
	ck_assert_ptr_eq(find_vma(&mm, 0x1ffff), v[0]);
	ck_assert_ptr_eq(find_vma(&mm, 0x20000), v[1]);
	ck_assert_ptr_eq(find_vma(&mm, 0x3ffff), v[1]);
	ck_assert_ptr_eq(find_vma(&mm, 0x40000), v[2]);
	ck_assert_ptr_eq(find_vma(&mm, 0x5ffff), v[2]);
	ck_assert_ptr_null(find_vma(&mm, 0x60000));
	ck_assert_ptr_null(find_vma(&mm, TOP));

	ck_assert_ptr_eq(find_vma_prev(&mm, 0x5, &prev), v[0]);
	ck_assert_ptr_null(prev);
	ck_assert_ptr_eq(find_vma_prev(&mm, 0x20000, &prev), v[1]);
	ck_assert_ptr_eq(prev, v[0]);
	ck_assert_ptr_eq(find_vma_prev(&mm, 0x50000, &prev), v[2]);
	ck_assert_ptr_eq(prev, v[1]);
	ck_assert_ptr_null(find_vma_prev(&mm, 0x60000, &prev));
	ck_assert_ptr_eq(prev, v[2]);
	free_all(&mm);
}
END_TEST

/* find_vma_intersection with touching, covering and empty ranges. */
START_TEST(test_find_vma_intersection)
{
	struct mm_struct mm = { 0 };
	struct vm_area_struct *v[3];

	three_vmas(&mm, v);
	ck_assert_ptr_null(find_vma_intersection(&mm, 0, 0x10000));
	ck_assert_ptr_eq(find_vma_intersection(&mm, 0, 0x10001), v[0]);
	ck_assert_ptr_null(find_vma_intersection(&mm, 0x20000, 0x30000));
	ck_assert_ptr_eq(find_vma_intersection(&mm, 0x1ffff, 0x60000), v[0]);
	ck_assert_ptr_eq(find_vma_intersection(&mm, 0x3ffff, 0x40000), v[1]);
	ck_assert_ptr_eq(find_vma_intersection(&mm, 0x20000, TOP), v[1]);
	ck_assert_ptr_eq(find_vma_intersection(&mm, 0, TOP), v[0]);
	ck_assert_ptr_null(find_vma_intersection(&mm, 0x60000, TOP));
	ck_assert_ptr_null(find_vma_intersection(&mm, 0x35000, 0x35000));
	ck_assert_ptr_null(find_vma_intersection(&mm, 0x35000, 0x34000));
	free_all(&mm);
}
END_TEST

/* Unlinking the root, the last and the first vma; links are cleared. */
START_TEST(test_unlink_clears)
{
	struct mm_struct mm = { 0 };
	struct vm_area_struct *v[7];
	int i;

	for (i = 0; i < 7; i++)
		v[i] = add(&mm, (uint64_t)(i + 1) * 0x10000,
			   (uint64_t)(i + 1) * 0x10000 + 0x8000, 0);
	assert_sane(&mm);
	ck_assert_int_eq(mm.vma_root->avl_height, 3);
	/* the root has two children: its successor takes its place */
	vma_unlink(&mm, v[3]);
	assert_sane(&mm);
	ck_assert_ptr_null(v[3]->vm_next);
	ck_assert_ptr_null(v[3]->vm_prev);
	ck_assert_ptr_null(v[3]->avl_left);
	ck_assert_ptr_null(v[3]->avl_right);
	ck_assert_ptr_null(v[3]->avl_parent);
	ck_assert_ptr_eq(v[2]->vm_next, v[4]);
	ck_assert_ptr_eq(v[4]->vm_prev, v[2]);
	ck_assert_int_eq(mm.map_count, 6);
	/* the gap below v[4] is now 0x48000 - 0x38000 */
	ck_assert_uint_eq(mm.vma_root->subtree_gap, 0x18000);
	ck_assert_ptr_eq(find_vma(&mm, 0x38000), v[4]);
	free(v[3]);

	vma_unlink(&mm, v[6]);
	ck_assert_uint_eq(mm.highest_vm_end, 0x68000);
	free(v[6]);
	vma_unlink(&mm, v[0]);
	ck_assert_ptr_eq(mm.mmap, v[1]);
	ck_assert_ptr_null(v[1]->vm_prev);
	free(v[0]);
	assert_sane(&mm);
	/* the first vma's gap now runs from 0 */
	ck_assert_uint_eq(mm.vma_root->subtree_gap, 0x20000);
	free_all(&mm);
}
END_TEST

/* ---- vm_unmapped_area edge cases ---- */

/* The gap from address 0 up to the first vma. */
START_TEST(test_area_bottom_gap)
{
	struct mm_struct mm = { 0 };

	add(&mm, 0x10000, 0x20000, 0);
	ck_assert_uint_eq(area(&mm, UP, 0x10000, 0, 0x100000, 0, 0), 0);
	ck_assert_uint_eq(area(&mm, UP, 0x10001, 0, 0x100000, 0, 0), 0x20000);
	ck_assert_uint_eq(area(&mm, DOWN, 0x10000, 0, 0x20000, 0, 0), 0);
	ck_assert_uint_eq(area(&mm, DOWN, 0x10001, 0, 0x20000, 0, 0),
			  ENOMEM_ADDR);
	ck_assert_uint_eq(area(&mm, DOWN, 0x8000, 0, 0x20000, 0, 0), 0x8000);
	ck_assert_uint_eq(area(&mm, DOWN, 0x8000, 0, 0x20000, 0xffff, 0), 0);
	ck_assert_uint_eq(area(&mm, UP, 0x8000, 0x1000, 0x20000, 0, 0),
			  0x1000);
	ck_assert_uint_eq(area(&mm, UP, 0xf001, 0x1000, 0x20000, 0, 0),
			  ENOMEM_ADDR);
	ck_assert_uint_eq(area(&mm, UP, 0xf000, 0x1000, 0x20000, 0, 0),
			  0x1000);
	/* low_limit inside the vma: the next gap up */
	ck_assert_uint_eq(area(&mm, UP, 0x1000, 0x15000, 0x100000, 0, 0),
			  0x20000);
	ck_assert_uint_eq(area(&mm, DOWN, 0x1000, 0x15000, 0x100000, 0, 0),
			  0xff000);
	free_all(&mm);
}
END_TEST

/* The top of the address space: no overflow in limits or alignment. */
START_TEST(test_area_top)
{
	struct mm_struct mm = { 0 };

	add(&mm, 0x1000, 0x2000, 0);
	add(&mm, 0xffffffffffffe000, 0xfffffffffffff000, 0);
	assert_sane(&mm);
	ck_assert_uint_eq(mm.highest_vm_end, 0xfffffffffffff000);
	/* the top gap [0xfffffffffffff000, TOP) holds 0xfff bytes */
	ck_assert_uint_eq(area(&mm, DOWN, 0x1000, 0, TOP, 0, 0),
			  0xffffffffffffd000);
	ck_assert_uint_eq(area(&mm, DOWN, 0xfff, 0, TOP, 0, 0),
			  0xfffffffffffff000);
	ck_assert_uint_eq(area(&mm, DOWN, 0xfff, 0, TOP, 0xfff, 0),
			  0xfffffffffffff000);
	ck_assert_uint_eq(area(&mm, DOWN, 0xfff, 0, TOP, 0xfff, 1),
			  0xffffffffffffd001);
	ck_assert_uint_eq(area(&mm, UP, 0xfff, 0xffffffffffffe000, TOP, 0, 0),
			  0xfffffffffffff000);
	ck_assert_uint_eq(area(&mm, UP, 0x1000, 0xffffffffffffe000, TOP, 0, 0),
			  ENOMEM_ADDR);
	/* aligning up past the top wraps: no fit */
	ck_assert_uint_eq(area(&mm, UP, 1, 0xfffffffffffff001, TOP, 0xfff, 0),
			  ENOMEM_ADDR);
	ck_assert_uint_eq(area(&mm, UP, 1, 0xfffffffffffff001, TOP, 0, 0),
			  0xfffffffffffff001);
	ck_assert_uint_eq(area(&mm, UP, 1, TOP, TOP, 0, 0), ENOMEM_ADDR);
	/* the largest possible request, and one gap short of it */
	ck_assert_uint_eq(area(&mm, UP, 0xffffffffffffc000, 0, TOP, 0, 0),
			  0x2000);
	ck_assert_uint_eq(area(&mm, DOWN, 0xffffffffffffc000, 0, TOP, 0, 0),
			  0x2000);
	ck_assert_uint_eq(area(&mm, DOWN, 0xffffffffffffc001, 0, TOP, 0, 0),
			  ENOMEM_ADDR);
	ck_assert_uint_eq(area(&mm, UP, 0x1000, 0, TOP, 0, 0), 0);
	ck_assert_uint_eq(area(&mm, UP, 0x1000, 1, TOP, 0, 0), 0x2000);
	free_all(&mm);
}
END_TEST

/* two_vmas - link [0x1000,0x3000) and [0x5000,0x8000): a 0x2000 gap. */
static void two_vmas(struct mm_struct *mm)
{
	add(mm, 0x1000, 0x3000, 0);
	add(mm, 0x5000, 0x8000, 0);
	assert_sane(mm);
}

/* A gap exactly as long as the request fits, one byte more does not. */
START_TEST(test_area_exact_fit)
{
	struct mm_struct mm = { 0 };

	two_vmas(&mm);
	ck_assert_uint_eq(area(&mm, UP, 0x2000, 0x1000, 0x10000, 0, 0), 0x3000);
	ck_assert_uint_eq(area(&mm, DOWN, 0x2000, 0, 0x8000, 0, 0), 0x3000);
	ck_assert_uint_eq(area(&mm, DOWN, 0x2000, 0, 0x10000, 0, 0), 0xe000);
	ck_assert_uint_eq(area(&mm, UP, 0x2001, 0x1000, 0x10000, 0, 0), 0x8000);
	ck_assert_uint_eq(area(&mm, DOWN, 0x2001, 0, 0x8000, 0, 0),
			  ENOMEM_ADDR);
	ck_assert_uint_eq(area(&mm, DOWN, 0x1000, 0, 0x3fff, 0, 0), 0);
	ck_assert_uint_eq(area(&mm, DOWN, 0x1001, 0, 0x3fff, 0, 0),
			  ENOMEM_ADDR);
	free_all(&mm);
}
END_TEST

/* Alignment decides whether the 0x2000 gap is usable. */
START_TEST(test_area_align)
{
	struct mm_struct mm = { 0 };

	two_vmas(&mm);
	ck_assert_uint_eq(area(&mm, UP, 0x2000, 0x1000, 0x10000, 0x1fff, 0),
			  0x8000);
	ck_assert_uint_eq(area(&mm, UP, 0x2000, 0x1000, 0x10000, 0x1fff,
			       0x1000), 0x3000);
	ck_assert_uint_eq(area(&mm, UP, 0x2000, 0x1000, 0x10000, 0x1fff,
			       0x7000), 0x3000);
	ck_assert_uint_eq(area(&mm, DOWN, 0x2000, 0, 0x10000, 0x1fff, 0x1000),
			  0xd000);
	ck_assert_uint_eq(area(&mm, DOWN, 0x2000, 0, 0x8000, 0x1fff, 0),
			  ENOMEM_ADDR);
	ck_assert_uint_eq(area(&mm, DOWN, 0x2000, 0, 0x8000, 0x1fff, 0x1000),
			  0x3000);
	ck_assert_uint_eq(area(&mm, DOWN, 0x1000, 0, 0x8000, 0x1fff, 0x1000),
			  0x3000);
	ck_assert_uint_eq(area(&mm, DOWN, 0x1000, 0, 0x8000, 0x1fff, 0),
			  0x4000);
	free_all(&mm);
}
END_TEST

/* Limits that cut into a gap, with and without alignment. */
START_TEST(test_area_limits)
{
	struct mm_struct mm = { 0 };

	two_vmas(&mm);
	ck_assert_uint_eq(area(&mm, UP, 0x1000, 0x3800, 0x10000, 0, 0), 0x3800);
	ck_assert_uint_eq(area(&mm, UP, 0x1000, 0x3800, 0x10000, 0xfff, 0),
			  0x4000);
	ck_assert_uint_eq(area(&mm, UP, 0x1000, 0x3801, 0x10000, 0xfff, 0),
			  0x4000);
	ck_assert_uint_eq(area(&mm, UP, 0x1000, 0x4001, 0x10000, 0xfff, 0),
			  0x8000);
	ck_assert_uint_eq(area(&mm, DOWN, 0x1000, 0, 0x4800, 0, 0), 0x3800);
	ck_assert_uint_eq(area(&mm, DOWN, 0x1000, 0, 0x4800, 0xfff, 0),
			  0x3000);
	ck_assert_uint_eq(area(&mm, DOWN, 0x1000, 0x3001, 0x4800, 0xfff, 0),
			  ENOMEM_ADDR);
	ck_assert_uint_eq(area(&mm, UP, 0x1000, 0x4800, 0x9000, 0, 0), 0x8000);
	ck_assert_uint_eq(area(&mm, UP, 0x1000, 0x4800, 0x8fff, 0, 0),
			  ENOMEM_ADDR);
	free_all(&mm);
}
END_TEST

/* guard_layout - a vma at [1M, 2M) and a stack at [4M, 5M) whose guard
 * gap leaves [2M, 3M) free below it. */
static struct vm_area_struct *guard_layout(struct mm_struct *mm)
{
	struct vm_area_struct *stk;

	ck_assert_uint_eq(stack_guard_gap, 0x100000);
	add(mm, 0x100000, 0x200000, 0);
	stk = add(mm, 0x400000, 0x500000, VM_GROWSDOWN);
	assert_sane(mm);
	return stk;
}

/* The guard gap below a VM_GROWSDOWN vma is not free. */
START_TEST(test_area_stack_guard)
{
	struct mm_struct mm = { 0 };

	guard_layout(&mm);
	ck_assert_uint_eq(mm.vma_root->subtree_gap, 0x100000);
	ck_assert_uint_eq(area(&mm, UP, 0x100000, 0x100000, TOP, 0, 0),
			  0x200000);
	ck_assert_uint_eq(area(&mm, UP, 0x101000, 0x100000, TOP, 0, 0),
			  0x500000);
	ck_assert_uint_eq(area(&mm, DOWN, 0x100000, 0x100000, 0x500000, 0, 0),
			  0x200000);
	ck_assert_uint_eq(area(&mm, DOWN, 0x1000, 0x100000, 0x500000, 0, 0),
			  0x2ff000);
	ck_assert_ptr_null(find_vma_intersection(&mm, 0x300000, 0x400000));
	/* a vma inside the guard: nothing free below the stack */
	add(&mm, 0x380000, 0x390000, 0);
	assert_sane(&mm);
	ck_assert_uint_eq(area(&mm, UP, 0x1000, 0x390000, 0x500000, 0, 0),
			  ENOMEM_ADDR);
	ck_assert_uint_eq(area(&mm, DOWN, 0x1000, 0x100000, 0x500000, 0, 0),
			  0x37f000);
	free_all(&mm);
}
END_TEST

/* Toggling VM_GROWSDOWN plus vma_gap_changed moves the gap. */
START_TEST(test_area_stack_toggle)
{
	struct mm_struct mm = { 0 };
	struct vm_area_struct *stk = guard_layout(&mm);

	stk->vm_flags &= ~VM_GROWSDOWN;
	vma_gap_changed(stk);
	assert_sane(&mm);
	ck_assert_uint_eq(mm.vma_root->subtree_gap, 0x200000);
	ck_assert_uint_eq(area(&mm, UP, 0x101000, 0x100000, TOP, 0, 0),
			  0x200000);
	ck_assert_uint_eq(area(&mm, DOWN, 0x1000, 0x100000, 0x500000, 0, 0),
			  0x3ff000);
	stk->vm_flags |= VM_GROWSDOWN;
	vma_gap_changed(stk);
	assert_sane(&mm);
	ck_assert_uint_eq(mm.vma_root->subtree_gap, 0x100000);
	ck_assert_uint_eq(area(&mm, DOWN, 0x1000, 0x100000, 0x500000, 0, 0),
			  0x2ff000);
	free_all(&mm);
}
END_TEST

/* A first vma that is a stack: its guard reaches to or past address 0. */
START_TEST(test_area_stack_low)
{
	struct mm_struct mm = { 0 };

	add(&mm, 0x80000, 0x90000, VM_GROWSDOWN);
	assert_sane(&mm);
	ck_assert_uint_eq(mm.vma_root->subtree_gap, 0);
	ck_assert_uint_eq(area(&mm, UP, 0x1000, 0, TOP, 0, 0), 0x90000);
	ck_assert_uint_eq(area(&mm, DOWN, 0x1000, 0, 0x80000, 0, 0),
			  ENOMEM_ADDR);
	free_all(&mm);

	add(&mm, 0x200000, 0x300000, VM_GROWSDOWN);
	ck_assert_uint_eq(area(&mm, UP, 0x100000, 0, TOP, 0, 0), 0);
	ck_assert_uint_eq(area(&mm, UP, 0x100001, 0, TOP, 0, 0), 0x300000);
	free_all(&mm);
}
END_TEST

/* ---- vma_set_bounds ---- */

/* Moving bounds updates the own gap, the next gap and highest_vm_end. */
START_TEST(test_set_bounds)
{
	struct mm_struct mm = { 0 };
	struct vm_area_struct *a = add(&mm, 0x10000, 0x20000, 0);
	struct vm_area_struct *b = add(&mm, 0x40000, 0x50000, 0);
	struct vm_area_struct *c = add(&mm, 0x80000, 0x90000, 0);

	ck_assert_uint_eq(mm.vma_root->subtree_gap, 0x30000);
	vma_set_bounds(b, 0x60000, 0x70000, 0x60);
	assert_sane(&mm);
	ck_assert_uint_eq(b->vm_pgoff, 0x60);
	ck_assert_uint_eq(mm.vma_root->subtree_gap, 0x40000);
	ck_assert_uint_eq(area(&mm, UP, 0x40000, 0, TOP, 0, 0), 0x20000);
	ck_assert_uint_eq(area(&mm, UP, 0x10001, 0x10000, TOP, 0, 0), 0x20000);
	ck_assert_uint_eq(area(&mm, DOWN, 0x10000, 0, 0x80000, 0, 0), 0x70000);
	ck_assert_uint_eq(area(&mm, DOWN, 0x10001, 0, 0x80000, 0, 0), 0x4ffff);
	ck_assert_uint_eq(area(&mm, DOWN, 0x10001, 0, 0x80000, 0xffff, 0),
			  0x40000);

	vma_set_bounds(c, 0x70000, 0x100000, 0);
	assert_sane(&mm);
	ck_assert_uint_eq(mm.highest_vm_end, 0x100000);
	ck_assert_ptr_eq(find_vma(&mm, 0x70000), c);
	vma_set_bounds(a, 0, 0x60000, 0);
	assert_sane(&mm);
	ck_assert_uint_eq(mm.vma_root->subtree_gap, 0);
	ck_assert_uint_eq(area(&mm, UP, 0x1000, 0, TOP, 0, 0), 0x100000);
	ck_assert_uint_eq(area(&mm, DOWN, 0x1000, 0, 0x100000, 0, 0),
			  ENOMEM_ADDR);
	vma_set_bounds(c, 0xf0000, 0xf1000, 0);
	vma_set_bounds(b, 0x60000, 0x61000, 0);
	assert_sane(&mm);
	ck_assert_uint_eq(mm.highest_vm_end, 0xf1000);
	ck_assert_uint_eq(mm.vma_root->subtree_gap, 0x8f000);
	free_all(&mm);
}
END_TEST

/* ---- BUGs (the child aborts) ---- */

/* Linking a vma that overlaps the one below it BUGs. */
START_TEST(test_link_overlap_bug)
{
	static struct mm_struct mm;

	(void)!freopen("/dev/null", "w", stderr);
	add(&mm, 0x10000, 0x20000, 0);
	add(&mm, 0x30000, 0x40000, 0);
	add(&mm, 0x1f000, 0x21000, 0);
}
END_TEST

/* Linking a vma that overlaps the one above it BUGs. */
START_TEST(test_link_overlap_next_bug)
{
	static struct mm_struct mm;

	(void)!freopen("/dev/null", "w", stderr);
	add(&mm, 0x10000, 0x20000, 0);
	add(&mm, 0x8000, 0x10001, 0);
}
END_TEST

/* Linking a second vma at the same start BUGs. */
START_TEST(test_link_same_start_bug)
{
	static struct mm_struct mm;

	(void)!freopen("/dev/null", "w", stderr);
	add(&mm, 0x10000, 0x20000, 0);
	add(&mm, 0x10000, 0x11000, 0);
}
END_TEST

/* Linking an empty vma BUGs. */
START_TEST(test_link_empty_bug)
{
	static struct mm_struct mm;

	(void)!freopen("/dev/null", "w", stderr);
	add(&mm, 0x10000, 0x10000, 0);
}
END_TEST

/* Growing a vma over its neighbour BUGs. */
START_TEST(test_set_bounds_overlap_bug)
{
	static struct mm_struct mm;
	struct vm_area_struct *b;

	(void)!freopen("/dev/null", "w", stderr);
	add(&mm, 0x10000, 0x20000, 0);
	b = add(&mm, 0x30000, 0x40000, 0);
	vma_set_bounds(b, 0x1f000, 0x40000, 0);
}
END_TEST

/* ---- the checker ---- */

/* five_vmas - link five 4K vmas at 64K, 128K, ... 320K into mm. */
static void five_vmas(struct mm_struct *mm, struct vm_area_struct **v)
{
	int i;

	for (i = 0; i < 5; i++)
		v[i] = add(mm, (uint64_t)(i + 1) * 0x10000,
			   (uint64_t)(i + 1) * 0x10000 + 0x1000, 0);
	assert_sane(mm);
	/* ascending inserts: v[1] at the root, v[3] over v[2] and v[4] */
	ck_assert_ptr_eq(mm->vma_root, v[1]);
	ck_assert_ptr_eq(v[4]->avl_parent, v[3]);
}

/* expect_problems - vma_tree_check finds exactly n problems (n < 0: at
 * least -n) and mentions word. */
static void expect_problems(const struct mm_struct *mm, int n,
			    const char *word)
{
	char buf[1024];
	int got = vma_tree_check(mm, buf, sizeof(buf));

	if (n >= 0)
		ck_assert_int_eq(got, n);
	else
		ck_assert_int_ge(got, -n);
	ck_assert_int_eq(strncmp(buf, "vma tree: ", 10), 0);
	ck_assert_int_eq(buf[strlen(buf) - 1], '\n');
	ck_assert_msg(strstr(buf, word), "no \"%s\" in:\n%s", word, buf);
}

/* Corrupted augmented values and tree links are reported. */
START_TEST(test_check_node_fields)
{
	struct mm_struct mm = { 0 };
	struct vm_area_struct *v[5];

	five_vmas(&mm, v);
	v[1]->subtree_gap = 123;
	expect_problems(&mm, 1, "subtree_gap");
	v[1]->subtree_gap = 0x10000;
	v[4]->avl_height = 2;
	expect_problems(&mm, 1, "avl_height");
	v[4]->avl_height = 1;
	v[4]->avl_parent = v[0];
	expect_problems(&mm, 1, "avl_parent");
	v[4]->avl_parent = v[3];
	assert_sane(&mm);
	free_all(&mm);
}
END_TEST

/* Wrong counters and list links are reported. */
START_TEST(test_check_mm_fields)
{
	struct mm_struct mm = { 0 };
	struct vm_area_struct *v[5];

	five_vmas(&mm, v);
	mm.highest_vm_end += PG;
	expect_problems(&mm, 1, "highest_vm_end");
	mm.highest_vm_end -= PG;
	mm.map_count++;
	expect_problems(&mm, 2, "map_count");
	mm.map_count -= 2;
	expect_problems(&mm, -2, "map_count");
	mm.map_count++;
	v[2]->vm_prev = v[0];
	/* the link, and the gaps of v[2] and its ancestors v[3] and v[1] */
	expect_problems(&mm, 4, "vm_prev");
	v[2]->vm_prev = v[1];
	v[2]->vm_mm = NULL;
	expect_problems(&mm, 1, "vm_mm");
	v[2]->vm_mm = &mm;
	assert_sane(&mm);
	free_all(&mm);
}
END_TEST

/* Overlapping and empty vmas are reported. */
START_TEST(test_check_ranges)
{
	struct mm_struct mm = { 0 };
	struct vm_area_struct *v[5];

	five_vmas(&mm, v);
	v[1]->vm_end = 0x30001;		/* also spoils v[2]'s gap */
	expect_problems(&mm, 2, "overlaps");
	v[1]->vm_end = 0x21000;
	v[1]->vm_start = v[1]->vm_end;	/* also changes its own gap */
	expect_problems(&mm, -1, "empty");
	v[1]->vm_start = 0x20000;
	assert_sane(&mm);
	free_all(&mm);
}
END_TEST

/* A report that does not fit is cut short, still NUL-terminated. */
START_TEST(test_check_truncation)
{
	struct mm_struct mm = { 0 };
	struct vm_area_struct *v[5];
	char small[10];

	five_vmas(&mm, v);
	v[1]->subtree_gap = 1;
	memset(small, 'x', sizeof(small));
	ck_assert_int_eq(vma_tree_check(&mm, small, sizeof(small)), 1);
	ck_assert_str_eq(small, "vma tree:");
	ck_assert_int_eq(vma_tree_check(&mm, NULL, 0), 1);
	small[0] = 'x';
	ck_assert_int_eq(vma_tree_check(&mm, small, 1), 1);
	ck_assert_int_eq(small[0], '\0');
	v[1]->subtree_gap = 0x10000;
	assert_sane(&mm);
	free_all(&mm);
}
END_TEST

/* chain_of_three - a hand-built mm whose tree is the right-leaning chain
 * a -> b -> c (list and gaps right, balance wrong). */
static void chain_of_three(struct mm_struct *mm, struct vm_area_struct **v)
{
	int i;

	for (i = 0; i < 3; i++) {
		v[i] = mkvma(0x1000 + 0x2000 * (uint64_t)i,
			     0x2000 + 0x2000 * (uint64_t)i, 0);
		v[i]->vm_mm = mm;
		v[i]->vm_prev = i ? v[i - 1] : NULL;
		v[i]->avl_parent = i ? v[i - 1] : NULL;
		v[i]->avl_height = 3 - i;
		v[i]->subtree_gap = 0x1000;
		if (i) {
			v[i - 1]->vm_next = v[i];
			v[i - 1]->avl_right = v[i];
		}
	}
	mm->mmap = mm->vma_root = v[0];
	mm->map_count = 3;
	mm->highest_vm_end = 0x6000;
}

/* Imbalance, missing nodes and cycles are reported without hanging. */
START_TEST(test_check_tree_shape)
{
	struct mm_struct mm = { 0 };
	struct vm_area_struct *v[3];

	chain_of_three(&mm, v);
	expect_problems(&mm, 1, "unbalanced");
	v[1]->avl_right = NULL;
	v[1]->avl_height = 1;
	v[0]->avl_height = 2;
	expect_problems(&mm, 2, "missing");
	v[1]->avl_right = v[0];		/* cycles in the tree ... */
	v[2]->vm_next = v[0];		/* ... and in the list */
	expect_problems(&mm, -2, "longer");
	free(v[0]);
	free(v[1]);
	free(v[2]);
}
END_TEST

/* ---- randomized against brute force ---- */

#define R_PAGES	4096			/* the random layout's span */
#define R_SPAN	((uint64_t)R_PAGES * PG)

static uint64_t rng_state;

/* rnd - xorshift64*: a fixed-seed 64-bit generator. */
static uint64_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

/* rnd_below - uniform-ish in [0, n); n > 0. */
static uint64_t rnd_below(uint64_t n)
{
	return rnd() % n;
}

/* nth_vma - the i-th vma of mm's list. */
static struct vm_area_struct *nth_vma(const struct mm_struct *mm, uint64_t i)
{
	struct vm_area_struct *v = mm->mmap;

	while (i--)
		v = v->vm_next;
	return v;
}

/* r_insert - try a few random free spots for a new vma. */
static void r_insert(struct mm_struct *mm)
{
	int tries;

	for (tries = 0; tries < 8; tries++) {
		uint64_t start = rnd_below(R_PAGES) * PG;
		uint64_t len = (1 + rnd_below(24)) * PG;

		if (start + len > R_SPAN || bf_inter(mm, start, start + len))
			continue;
		add(mm, start, start + len, rnd_below(8) ? 0 : VM_GROWSDOWN);
		return;
	}
}

/* r_delete - unlink and free a random vma. */
static void r_delete(struct mm_struct *mm)
{
	struct vm_area_struct *v;

	if (!mm->map_count)
		return;
	v = nth_vma(mm, rnd_below((uint64_t)mm->map_count));
	vma_unlink(mm, v);
	QUIET_PTR_EQ(NULL, v->vm_next);
	QUIET_PTR_EQ(NULL, v->avl_parent);
	free(v);
}

/* r_bounds - move a random vma's bounds anywhere between its neighbours. */
static void r_bounds(struct mm_struct *mm)
{
	struct vm_area_struct *v;
	uint64_t lo, hi, start, end, pgoff = rnd();

	if (!mm->map_count)
		return;
	v = nth_vma(mm, rnd_below((uint64_t)mm->map_count));
	lo = v->vm_prev ? v->vm_prev->vm_end / PG : 0;
	hi = v->vm_next ? v->vm_next->vm_start / PG : R_PAGES;
	if (rnd_below(2)) {		/* grow or shrink at one end */
		start = rnd_below(2) ? lo + rnd_below(v->vm_end / PG - lo) :
				       v->vm_start / PG;
		end = v->vm_end / PG;
		if (start == v->vm_start / PG)
			end = start + 1 + rnd_below(hi - start);
	} else {
		start = lo + rnd_below(hi - lo);
		end = start + 1 + rnd_below(hi - start);
	}
	vma_set_bounds(v, start * PG, end * PG, pgoff);
	QUIET_UINT_EQ(v->vm_start, start * PG);
	QUIET_UINT_EQ(v->vm_end, end * PG);
	QUIET_UINT_EQ(v->vm_pgoff, pgoff);
}

/* r_toggle - flip VM_GROWSDOWN on a random vma. */
static void r_toggle(struct mm_struct *mm)
{
	struct vm_area_struct *v;

	if (!mm->map_count)
		return;
	v = nth_vma(mm, rnd_below((uint64_t)mm->map_count));
	v->vm_flags ^= VM_GROWSDOWN;
	vma_gap_changed(v);
}

/* r_addr - a random address in or a little above the layout. */
static uint64_t r_addr(void)
{
	uint64_t a = rnd_below(R_SPAN + 0x40000);

	return rnd_below(2) ? a & ~(PG - 1) : a;
}

/* r_lookups - compare the tree lookups with list scans. */
static void r_lookups(const struct mm_struct *mm)
{
	uint64_t a = r_addr(), b = r_addr();
	struct vm_area_struct *prev = NULL;

	QUIET_PTR_EQ(find_vma(mm, a), bf_find(mm, a));
	QUIET_PTR_EQ(find_vma_prev(mm, a, &prev), bf_find(mm, a));
	QUIET_PTR_EQ(prev, bf_prev(mm, a));
	if (rnd_below(4) == 0)
		b = a + 1 + rnd_below(2 * PG);
	QUIET_PTR_EQ(find_vma_intersection(mm, a, b), bf_inter(mm, a, b));
}

/* r_limit - a random high_limit at or (rarely) below low. */
static uint64_t r_limit(uint64_t low)
{
	switch (rnd_below(8)) {
	case 0:
		return TOP;
	case 1:
		return TOP - rnd_below(1 << 20);
	case 2:
		return R_SPAN;
	case 3:
		return r_addr();
	default:
		return low + rnd_below(R_SPAN / 2);
	}
}

/* r_request - a random vm_unmapped_area request. */
static void r_request(struct vm_unmapped_area_info *in)
{
	unsigned int k = (unsigned int)rnd_below(24);

	in->flags = rnd_below(2) ? VM_UNMAPPED_AREA_TOPDOWN : 0;
	in->length = rnd_below(3) ? (1 + rnd_below(64)) * PG :
				    rnd_below(300 * PG);
	in->low_limit = rnd_below(3) ? 0 : r_addr();
	in->high_limit = r_limit(in->low_limit);
	in->align_mask = rnd_below(2) ? 0 : (1UL << k) - 1;
	if (rnd_below(4) == 0)
		in->align_mask &= ~(PG - 1);
	in->align_offset = rnd_below(2) ? rnd() : rnd() & ~(PG - 1);
}

/* r_area - compare vm_unmapped_area with a scan of every gap. */
static void r_area(const struct mm_struct *mm)
{
	struct vm_unmapped_area_info in;
	uint64_t got, want;

	r_request(&in);
	got = vm_unmapped_area(mm, &in);
	want = bf_area(mm, &in);
	if (got != want)
		ck_abort_msg("flags %u len %#" PRIx64 " low %#" PRIx64
			     " high %#" PRIx64 " mask %#" PRIx64 " off %#"
			     PRIx64 ": got %#" PRIx64 " want %#" PRIx64,
			     in.flags, in.length, in.low_limit, in.high_limit,
			     in.align_mask, in.align_offset, got, want);
	if (IS_ERR_VALUE(got))
		return;
	QUIET(got >= in.low_limit && got + in.length <= in.high_limit);
	QUIET(got + in.length > got);
	if ((in.align_mask & (in.align_mask + 1)) == 0)	/* 2^k - 1 */
		QUIET_UINT_EQ(got & in.align_mask,
			      in.align_offset & in.align_mask);
	QUIET_PTR_EQ(NULL, find_vma_intersection(mm, got, got + in.length));
}

/* r_step - one random change. */
static void r_step(struct mm_struct *mm)
{
	uint64_t op = rnd_below(100);

	if (mm->map_count < 40)		/* fill up at first */
		op = rnd_below(60);
	else if (mm->map_count > 200)	/* then keep gaps around */
		op = 20 + rnd_below(80);
	if (op < 40)
		r_insert(mm);
	else if (op < 60)
		r_delete(mm);
	else if (op < 85)
		r_bounds(mm);
	else
		r_toggle(mm);
}

/* Thousands of random changes, each followed by a full check and by
 * lookups and searches compared with brute-force scans. */
START_TEST(test_random)
{
	struct mm_struct mm = { 0 };
	int step, q, max_count = 0;

	rng_state = 0x9e3779b97f4a7c15ULL;
	for (step = 0; step < 6000; step++) {
		r_step(&mm);
		assert_sane(&mm);
		for (q = 0; q < 6; q++) {
			r_lookups(&mm);
			r_area(&mm);
		}
		max_count = MAX(max_count, mm.map_count);
	}
	ck_assert_int_ge(max_count, 100);
	free_all(&mm);
}
END_TEST

/* ---- 65530 vmas ---- */

#define BIG_N	65530
#define BIG_BASE	0x100000UL
#define BIG_TOP	(BIG_BASE + (2UL * BIG_N - 1) * PG)

/* big_start - start of the i-th vma: 4K mapped, 4K hole, from BIG_BASE. */
static uint64_t big_start(uint64_t i)
{
	return BIG_BASE + 2 * i * PG;
}

/* big_build - link BIG_N 4K vmas with 4K holes into mm, in address order
 * (the worst order for an unbalanced tree); returns them in a new array. */
static struct vm_area_struct **big_build(struct mm_struct *mm)
{
	struct vm_area_struct **v = calloc(BIG_N, sizeof(*v));
	uint64_t i;

	ck_assert_ptr_nonnull(v);
	for (i = 0; i < BIG_N; i++)
		v[i] = add(mm, big_start(i), big_start(i) + PG, 0);
	assert_sane(mm);
	ck_assert_int_eq(mm->map_count, BIG_N);
	ck_assert_uint_eq(mm->highest_vm_end, BIG_TOP);
	/* AVL: height <= 1.44 log2(n + 2) */
	ck_assert_int_le(mm->vma_root->avl_height, 23);
	ck_assert_uint_eq(mm->vma_root->subtree_gap, BIG_BASE);
	return v;
}

/* big_queries - one random round of lookups and searches with known
 * answers on the big layout. */
static void big_queries(const struct mm_struct *mm,
			struct vm_area_struct **v)
{
	uint64_t k = rnd_below(BIG_N), a = big_start(k);

	QUIET_PTR_EQ(find_vma(mm, a), v[k]);
	QUIET_PTR_EQ(find_vma(mm, a + PG), k + 1 < BIG_N ? v[k + 1] : NULL);
	QUIET_UINT_EQ(area(mm, UP, PG, a, TOP, 0, 0), a + PG);
	QUIET_UINT_EQ(area(mm, DOWN, PG, 0, a, 0, 0), a - PG);
	QUIET_UINT_EQ(area(mm, UP, 2 * PG, BIG_BASE, TOP, 0, 0), BIG_TOP);
	QUIET_UINT_EQ(area(mm, DOWN, 2 * PG, 0, BIG_TOP, 0, 0),
		      BIG_BASE - 2 * PG);
	QUIET_UINT_EQ(area(mm, UP, PG, a, TOP, 0x1fff, 0x1000), a + PG);
}

/* 65530 vmas: lookups and searches stay fast (O(log n) each). */
START_TEST(test_65530_search)
{
	struct mm_struct mm = { 0 };
	struct vm_area_struct **v = big_build(&mm);
	clock_t t0 = clock();
	double secs;
	int i;

	rng_state = 42;
	for (i = 0; i < 4 * BIG_N; i++)
		big_queries(&mm, v);
	secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
	/* ~1.8M operations; linear scans would take minutes */
	ck_assert_msg(secs < 10.0, "searches took %.2fs", secs);
	free_all(&mm);
	free(v);
}
END_TEST

/* 65530 vmas: a hole opened in the middle is found from both sides, random
 * requests agree with a scan, and mass deletion keeps the tree sane. */
START_TEST(test_65530_delete)
{
	struct mm_struct mm = { 0 };
	struct vm_area_struct **v = big_build(&mm);
	struct vm_unmapped_area_info in = { 0 };
	uint64_t i, hole = big_start(BIG_N / 2 - 1) + PG;

	vma_unlink(&mm, v[BIG_N / 2]);
	free(v[BIG_N / 2]);
	v[BIG_N / 2] = NULL;
	ck_assert_uint_eq(area(&mm, UP, 3 * PG, BIG_BASE, TOP, 0, 0), hole);
	ck_assert_uint_eq(area(&mm, DOWN, 3 * PG, 0, BIG_TOP, 0, 0), hole);
	rng_state = 7;
	for (i = 0; i < 200; i++) {
		r_request(&in);
		in.high_limit = rnd_below(2) ? TOP : rnd_below(BIG_TOP + PG);
		in.low_limit = rnd_below(BIG_TOP);
		in.length = (1 + rnd_below(4)) * PG;
		ck_assert_uint_eq(vm_unmapped_area(&mm, &in), bf_area(&mm, &in));
	}
	for (i = 0; i < BIG_N; i += 2)
		if (v[i]) {
			vma_unlink(&mm, v[i]);
			free(v[i]);
		}
	assert_sane(&mm);
	ck_assert_int_eq(mm.map_count, BIG_N / 2 - 1);
	ck_assert_int_le(mm.vma_root->avl_height, 22);
	free_all(&mm);
	free(v);
}
END_TEST

/* ---- suite ---- */

/* basic_tcase - linking, lookups, unlinking and bounds changes. */
static TCase *basic_tcase(void)
{
	TCase *tc = tcase_create("basic");

	tcase_add_test(tc, test_empty);
	tcase_add_test(tc, test_link_order);
	tcase_add_test(tc, test_find_vma);
	tcase_add_test(tc, test_find_vma_intersection);
	tcase_add_test(tc, test_unlink_clears);
	tcase_add_test(tc, test_set_bounds);
	return tc;
}

/* area_tcase - vm_unmapped_area edge cases with exact answers. */
static TCase *area_tcase(void)
{
	TCase *tc = tcase_create("unmapped_area");

	tcase_add_test(tc, test_area_bottom_gap);
	tcase_add_test(tc, test_area_top);
	tcase_add_test(tc, test_area_exact_fit);
	tcase_add_test(tc, test_area_align);
	tcase_add_test(tc, test_area_limits);
	tcase_add_test(tc, test_area_stack_guard);
	tcase_add_test(tc, test_area_stack_toggle);
	tcase_add_test(tc, test_area_stack_low);
	return tc;
}

/* bugs_tcase - misuse that must BUG (abort); needs fork mode. */
static TCase *bugs_tcase(void)
{
	TCase *tc = tcase_create("bugs");

	tcase_add_test_raise_signal(tc, test_link_overlap_bug, SIGABRT);
	tcase_add_test_raise_signal(tc, test_link_overlap_next_bug, SIGABRT);
	tcase_add_test_raise_signal(tc, test_link_same_start_bug, SIGABRT);
	tcase_add_test_raise_signal(tc, test_link_empty_bug, SIGABRT);
	tcase_add_test_raise_signal(tc, test_set_bounds_overlap_bug, SIGABRT);
	return tc;
}

/* check_tcase - vma_tree_check on deliberately corrupted mms. */
static TCase *check_tcase(void)
{
	TCase *tc = tcase_create("check");

	tcase_add_test(tc, test_check_node_fields);
	tcase_add_test(tc, test_check_mm_fields);
	tcase_add_test(tc, test_check_ranges);
	tcase_add_test(tc, test_check_truncation);
	tcase_add_test(tc, test_check_tree_shape);
	return tc;
}

/* stress_tcase - the randomized run and the 65530-vma tests. */
static TCase *stress_tcase(void)
{
	TCase *tc = tcase_create("stress");

	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_random);
	tcase_add_test(tc, test_65530_search);
	tcase_add_test(tc, test_65530_delete);
	return tc;
}

/* vma_suite - all cases; the BUG cases only when tests run in children
 * (CK_FORK=no would let the abort kill the runner). */
static Suite *vma_suite(void)
{
	Suite *s = suite_create("vma");
	const char *fork_env = getenv("CK_FORK");

	suite_add_tcase(s, basic_tcase());
	suite_add_tcase(s, area_tcase());
	if (!fork_env || strcmp(fork_env, "no"))
		suite_add_tcase(s, bugs_tcase());
	suite_add_tcase(s, check_tcase());
	suite_add_tcase(s, stress_tcase());
	return s;
}

/* main - run the suite; nonzero exit status if any test failed. */
int main(void)
{
	SRunner *sr = srunner_create(vma_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
