/*
 * vma.c - the vmas of an address space: an address-ordered doubly linked
 * list (mm->mmap, vm_next/vm_prev) and an AVL tree keyed by vm_start
 * (mm->vma_root, avl_left/avl_right/avl_parent/avl_height) augmented with
 * subtree_gap, the largest free gap below any vma of a subtree.
 *
 * The gap below a vma v is [vm_end_gap(v->vm_prev), vm_start_gap(v)) (from
 * 0 for the first vma); the gap above the last vma runs to the caller's
 * limit.  A node's gap depends on the list only, never on the tree shape,
 * so rotations just recompute the two nodes they move.
 *
 * Every update walks one or two root paths, recomputing heights and gaps
 * (and rotating where the AVL balance is off), so link, unlink, bounds
 * changes, lookups and the free-area search are O(log n) (the latter
 * exactly so without alignment; see vm_unmapped_area()).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include "util/compiler.h"
#include "mm/vma.h"

uint64_t stack_guard_gap = 256UL << 12;

/* ---- augmented AVL tree: node helpers ---- */

/*
 * vma_gap - the free bytes below v: vm_start_gap(v) minus the end (with its
 * gap) of the previous vma, or minus 0 for the first vma; 0 when the guard
 * gap swallows it.  Depends on the list links, which must be current.
 */
static uint64_t vma_gap(const struct vm_area_struct *v)
{
	uint64_t start = vm_start_gap(v);
	uint64_t prev_end = v->vm_prev ? vm_end_gap(v->vm_prev) : 0;

	return start > prev_end ? start - prev_end : 0;
}

/* node_height - the AVL height of a subtree (0 for an empty one). */
static int node_height(const struct vm_area_struct *v)
{
	return v ? v->avl_height : 0;
}

/* node_subtree_gap - the stored largest gap of a subtree (0 if empty). */
static uint64_t node_subtree_gap(const struct vm_area_struct *v)
{
	return v ? v->subtree_gap : 0;
}

/*
 * node_update - recompute v's avl_height and subtree_gap from its own gap
 * and its children's stored values, which must already be right.
 */
static void node_update(struct vm_area_struct *v)
{
	uint64_t gap = vma_gap(v);

	v->avl_height = 1 + MAX(node_height(v->avl_left),
				node_height(v->avl_right));
	gap = MAX(gap, node_subtree_gap(v->avl_left));
	v->subtree_gap = MAX(gap, node_subtree_gap(v->avl_right));
}

/*
 * replace_child - make new take old's place under parent (or as the root of
 * mm's tree when parent is NULL).  Does not touch new->avl_parent.
 */
static void replace_child(struct mm_struct *mm, struct vm_area_struct *parent,
			  struct vm_area_struct *old, struct vm_area_struct *new)
{
	if (!parent)
		mm->vma_root = new;
	else if (parent->avl_left == old)
		parent->avl_left = new;
	else
		parent->avl_right = new;
}

/*
 * rotate_left - rotate the subtree rooted at x (which must have a right
 * child y) to the left: y becomes the subtree's root with x as its left
 * child.  Recomputes x then y.  Returns y.
 */
static struct vm_area_struct *rotate_left(struct mm_struct *mm,
					  struct vm_area_struct *x)
{
	struct vm_area_struct *y = x->avl_right;

	x->avl_right = y->avl_left;
	if (y->avl_left)
		y->avl_left->avl_parent = x;
	y->avl_parent = x->avl_parent;
	replace_child(mm, x->avl_parent, x, y);
	y->avl_left = x;
	x->avl_parent = y;
	node_update(x);
	node_update(y);
	return y;
}

/*
 * rotate_right - mirror of rotate_left: x must have a left child y, which
 * becomes the subtree's root with x as its right child.  Returns y.
 */
static struct vm_area_struct *rotate_right(struct mm_struct *mm,
					   struct vm_area_struct *x)
{
	struct vm_area_struct *y = x->avl_left;

	x->avl_left = y->avl_right;
	if (y->avl_right)
		y->avl_right->avl_parent = x;
	y->avl_parent = x->avl_parent;
	replace_child(mm, x->avl_parent, x, y);
	y->avl_right = x;
	x->avl_parent = y;
	node_update(x);
	node_update(y);
	return y;
}

/*
 * avl_balance - recompute n and, if its children's heights differ by two,
 * restore the AVL balance with a single or double rotation.  The children
 * must be balanced with correct heights and gaps.  Returns the root of the
 * subtree that n used to root.
 */
static struct vm_area_struct *avl_balance(struct mm_struct *mm,
					  struct vm_area_struct *n)
{
	int diff = node_height(n->avl_left) - node_height(n->avl_right);

	if (diff > 1) {
		struct vm_area_struct *l = n->avl_left;

		if (node_height(l->avl_left) < node_height(l->avl_right))
			rotate_left(mm, l);
		return rotate_right(mm, n);
	}
	if (diff < -1) {
		struct vm_area_struct *r = n->avl_right;

		if (node_height(r->avl_right) < node_height(r->avl_left))
			rotate_right(mm, r);
		return rotate_left(mm, n);
	}
	node_update(n);
	return n;
}

/*
 * avl_fixup - after a node was attached below n or removed from below it,
 * walk from n to the root rebalancing and recomputing every node on the
 * way.  O(log n).
 */
static void avl_fixup(struct mm_struct *mm, struct vm_area_struct *n)
{
	while (n) {
		n = avl_balance(mm, n);
		n = n->avl_parent;
	}
}

/*
 * gap_propagate - v's own gap changed (its vm_start_gap or its previous
 * vma's end moved): recompute v and its ancestors.  Heights are unchanged.
 * O(log n).
 */
static void gap_propagate(struct vm_area_struct *v)
{
	for (; v; v = v->avl_parent)
		node_update(v);
}

/* ---- list ---- */

/*
 * list_insert - put vma between prev and next (either may be NULL; they must
 * be adjacent in mm's list) in mm's address-ordered list.
 */
static void list_insert(struct mm_struct *mm, struct vm_area_struct *vma,
			struct vm_area_struct *prev, struct vm_area_struct *next)
{
	vma->vm_prev = prev;
	vma->vm_next = next;
	if (prev)
		prev->vm_next = vma;
	else
		mm->mmap = vma;
	if (next)
		next->vm_prev = vma;
}

/* list_remove - take vma out of mm's list; vma's own links are left as is. */
static void list_remove(struct mm_struct *mm, struct vm_area_struct *vma)
{
	if (vma->vm_prev)
		vma->vm_prev->vm_next = vma->vm_next;
	else
		mm->mmap = vma->vm_next;
	if (vma->vm_next)
		vma->vm_next->vm_prev = vma->vm_prev;
}

/* ---- link / unlink / bounds ---- */

/*
 * tree_attach - descend mm's tree by vma->vm_start and hang vma there as a
 * leaf.  Returns the vma that will precede it in address order (the last
 * node passed on the left), or NULL if it becomes the first.
 */
static struct vm_area_struct *tree_attach(struct mm_struct *mm,
					  struct vm_area_struct *vma)
{
	struct vm_area_struct **link = &mm->vma_root, *parent = NULL;
	struct vm_area_struct *prev = NULL;

	while (*link) {
		parent = *link;
		if (vma->vm_start < parent->vm_start) {
			link = &parent->avl_left;
		} else {
			prev = parent;
			link = &parent->avl_right;
		}
	}
	vma->avl_left = NULL;
	vma->avl_right = NULL;
	vma->avl_parent = parent;
	vma->avl_height = 1;
	*link = vma;
	return prev;
}

/*
 * vma_link - insert vma into mm's list and tree and set vma->vm_mm = mm.
 * vma must not be linked, must have vm_start < vm_end and must not overlap
 * any vma of mm (BUG otherwise).  O(log n).
 */
void vma_link(struct mm_struct *mm, struct vm_area_struct *vma)
{
	struct vm_area_struct *prev, *next;

	BUG_ON(vma->vm_start >= vma->vm_end);
	prev = tree_attach(mm, vma);
	next = prev ? prev->vm_next : mm->mmap;
	BUG_ON(prev && prev->vm_end > vma->vm_start);
	BUG_ON(next && next->vm_start < vma->vm_end);

	list_insert(mm, vma, prev, next);
	vma->vm_mm = mm;
	mm->map_count++;
	if (!next)
		mm->highest_vm_end = vm_end_gap(vma);

	/* next, whose gap shrank, is an ancestor of the new leaf: the
	 * fixup walk recomputes it too. */
	avl_fixup(mm, vma);
}

/*
 * tree_erase - unhook vma from mm's tree, putting its in-order successor in
 * its place when it has two children.  Returns the deepest node whose
 * subtree changed (where rebalancing must start), or NULL.
 */
static struct vm_area_struct *tree_erase(struct mm_struct *mm,
					 struct vm_area_struct *vma)
{
	struct vm_area_struct *parent = vma->avl_parent, *succ, *fix;

	if (!vma->avl_left || !vma->avl_right) {
		struct vm_area_struct *child = vma->avl_left ? vma->avl_left :
							      vma->avl_right;

		replace_child(mm, parent, vma, child);
		if (child)
			child->avl_parent = parent;
		return parent;
	}
	for (succ = vma->avl_right; succ->avl_left; succ = succ->avl_left)
		;
	fix = succ;
	if (succ->avl_parent != vma) {
		fix = succ->avl_parent;
		fix->avl_left = succ->avl_right;
		if (succ->avl_right)
			succ->avl_right->avl_parent = fix;
		succ->avl_right = vma->avl_right;
		succ->avl_right->avl_parent = succ;
	}
	succ->avl_left = vma->avl_left;
	succ->avl_left->avl_parent = succ;
	succ->avl_parent = parent;
	replace_child(mm, parent, vma, succ);
	return fix;
}

/*
 * vma_unlink - remove vma (linked in mm) from mm's list and tree.  The vma
 * is not freed; its list and tree pointers are cleared.  O(log n).
 */
void vma_unlink(struct mm_struct *mm, struct vm_area_struct *vma)
{
	struct vm_area_struct *prev = vma->vm_prev, *next = vma->vm_next;

	BUG_ON(mm->map_count <= 0);
	list_remove(mm, vma);
	avl_fixup(mm, tree_erase(mm, vma));
	if (next)
		gap_propagate(next);
	else
		mm->highest_vm_end = prev ? vm_end_gap(prev) : 0;
	mm->map_count--;

	vma->vm_next = vma->vm_prev = NULL;
	vma->avl_left = vma->avl_right = vma->avl_parent = NULL;
	vma->avl_height = 0;
	vma->subtree_gap = 0;
}

/*
 * vma_set_bounds - move a linked vma's bounds to [start, end) and set its
 * vm_pgoff.  start < end, and the range must stay clear of the neighbours
 * (BUG otherwise), so the tree order holds.  The vma's own gap and the next
 * vma's gap are recomputed; for the last vma, vm_mm->highest_vm_end too.
 * O(log n).
 */
void vma_set_bounds(struct vm_area_struct *vma, uint64_t start, uint64_t end,
		    uint64_t pgoff)
{
	struct vm_area_struct *prev = vma->vm_prev, *next = vma->vm_next;

	BUG_ON(start >= end);
	BUG_ON(prev && prev->vm_end > start);
	BUG_ON(next && next->vm_start < end);

	vma->vm_start = start;
	vma->vm_end = end;
	vma->vm_pgoff = pgoff;
	gap_propagate(vma);
	if (next) {
		gap_propagate(next);
	} else {
		BUG_ON(!vma->vm_mm);
		vma->vm_mm->highest_vm_end = vm_end_gap(vma);
	}
}

/*
 * vma_gap_changed - vma's vm_start_gap or vm_end_gap moved because its
 * VM_GROWSDOWN flag changed: recompute its gap and the next vma's.
 * O(log n).
 */
void vma_gap_changed(struct vm_area_struct *vma)
{
	gap_propagate(vma);
	if (vma->vm_next)
		gap_propagate(vma->vm_next);
	else if (vma->vm_mm)
		vma->vm_mm->highest_vm_end = vm_end_gap(vma);
}

/* ---- lookups ---- */

/*
 * find_vma - the first vma with vm_end > addr (the one containing addr or
 * the next above it), or NULL.  Descends the tree: O(log n).
 */
struct vm_area_struct *find_vma(const struct mm_struct *mm, uint64_t addr)
{
	struct vm_area_struct *node = mm->vma_root, *found = NULL;

	while (node) {
		if (node->vm_end > addr) {
			found = node;
			if (node->vm_start <= addr)
				break;
			node = node->avl_left;
		} else {
			node = node->avl_right;
		}
	}
	return found;
}

/* last_vma - the highest vma of mm (the tree's rightmost node), or NULL. */
static struct vm_area_struct *last_vma(const struct mm_struct *mm)
{
	struct vm_area_struct *node = mm->vma_root;

	while (node && node->avl_right)
		node = node->avl_right;
	return node;
}

/*
 * find_vma_prev - find_vma(mm, addr), and in *pprev the vma before the one
 * returned, or the last vma of mm when it returns NULL (NULL when there is
 * none).  O(log n).
 */
struct vm_area_struct *find_vma_prev(const struct mm_struct *mm, uint64_t addr,
				     struct vm_area_struct **pprev)
{
	struct vm_area_struct *vma = find_vma(mm, addr);

	*pprev = vma ? vma->vm_prev : last_vma(mm);
	return vma;
}

/*
 * find_vma_intersection - the lowest vma overlapping [start, end), or NULL
 * (always NULL for an empty range, end <= start).  O(log n).
 */
struct vm_area_struct *find_vma_intersection(const struct mm_struct *mm,
					     uint64_t start, uint64_t end)
{
	struct vm_area_struct *vma;

	if (end <= start)
		return NULL;
	vma = find_vma(mm, start);
	return vma && vma->vm_start < end ? vma : NULL;
}

/* ---- free area search ---- */

/*
 * gap_window - clip the gap [gs, ge) to the request's [low_limit,
 * high_limit) into *lo, *hi.  Returns false when what is left cannot hold
 * length bytes (ignoring alignment).
 */
static bool gap_window(const struct vm_unmapped_area_info *info, uint64_t gs,
		       uint64_t ge, uint64_t *lo, uint64_t *hi)
{
	*lo = MAX(gs, info->low_limit);
	*hi = MIN(ge, info->high_limit);
	return *hi > *lo && *hi - *lo >= info->length;
}

/*
 * fit_lowest - the lowest aligned start s with [s, s + length) inside both
 * the gap [gs, ge) and the request's limits, into *out.  Returns false if
 * there is none.  Overflow-safe.
 */
static bool fit_lowest(const struct vm_unmapped_area_info *info, uint64_t gs,
		       uint64_t ge, uint64_t *out)
{
	uint64_t lo, hi, s;

	if (!gap_window(info, gs, ge, &lo, &hi))
		return false;
	s = lo + ((info->align_offset - lo) & info->align_mask);
	if (s < lo || s > hi || hi - s < info->length)
		return false;
	*out = s;
	return true;
}

/*
 * fit_highest - the highest aligned start s with [s, s + length) inside
 * both the gap [gs, ge) and the request's limits, into *out.  Returns false
 * if there is none.  Overflow-safe.
 */
static bool fit_highest(const struct vm_unmapped_area_info *info,
			uint64_t gs, uint64_t ge, uint64_t *out)
{
	uint64_t lo, hi, s, down;

	if (!gap_window(info, gs, ge, &lo, &hi))
		return false;
	s = hi - info->length;
	down = (s - info->align_offset) & info->align_mask;
	if (down > s - lo)
		return false;
	*out = s - down;
	return true;
}

/* gap_start - where the free gap below v begins (end of the previous vma). */
static uint64_t gap_start(const struct vm_area_struct *v)
{
	return v->vm_prev ? vm_end_gap(v->vm_prev) : 0;
}

/*
 * gaps_below_may_fit - can a gap of v's left subtree (all of which end at or
 * below v->vm_start) hold length bytes at or above low_limit?
 */
static bool gaps_below_may_fit(const struct vm_area_struct *v,
			       const struct vm_unmapped_area_info *info)
{
	return v->vm_start >= info->low_limit &&
	       v->vm_start - info->low_limit >= info->length;
}

/*
 * gaps_above_may_fit - can a gap of v's right subtree (all of which start
 * at or above v->vm_end) hold length bytes below high_limit?
 */
static bool gaps_above_may_fit(const struct vm_area_struct *v,
			       const struct vm_unmapped_area_info *info)
{
	return v->vm_end <= info->high_limit &&
	       info->high_limit - v->vm_end >= info->length;
}

/*
 * search_lowest - in-order search of the subtree at v for the lowest fitting
 * start, skipping subtrees whose largest gap is below length or which lie
 * outside the limits.  Recursion depth is the tree height.  Returns true
 * and sets *out when found.
 */
static bool search_lowest(const struct vm_area_struct *v,
			  const struct vm_unmapped_area_info *info,
			  uint64_t *out)
{
	if (!v || v->subtree_gap < info->length)
		return false;
	if (gaps_below_may_fit(v, info) &&
	    search_lowest(v->avl_left, info, out))
		return true;
	if (fit_lowest(info, gap_start(v), vm_start_gap(v), out))
		return true;
	return gaps_above_may_fit(v, info) &&
	       search_lowest(v->avl_right, info, out);
}

/*
 * search_highest - reverse in-order search of the subtree at v for the
 * highest fitting start, pruned like search_lowest.  Returns true and sets
 * *out when found.
 */
static bool search_highest(const struct vm_area_struct *v,
			   const struct vm_unmapped_area_info *info,
			   uint64_t *out)
{
	if (!v || v->subtree_gap < info->length)
		return false;
	if (gaps_above_may_fit(v, info) &&
	    search_highest(v->avl_right, info, out))
		return true;
	if (fit_highest(info, gap_start(v), vm_start_gap(v), out))
		return true;
	return gaps_below_may_fit(v, info) &&
	       search_highest(v->avl_left, info, out);
}

/*
 * vm_unmapped_area - find a free range of info->length bytes: the lowest
 * start (or with VM_UNMAPPED_AREA_TOPDOWN the highest) s such that
 * low_limit <= s, s + length <= high_limit, s honours align_mask/offset
 * (s = s + ((align_offset - s) & align_mask) rounding up, the mirror
 * rounding down) and [s, s + length) lies in the gap below a vma or above
 * the last one.  Returns s, or (uint64_t)-ENOMEM.
 *
 * O(log n) when align_mask is 0.  With alignment, gaps of at least length
 * but under length + align_mask bytes may not fit and are each checked, so
 * the cost also grows with the number of such gaps passed over.
 */
uint64_t vm_unmapped_area(const struct mm_struct *mm,
			  const struct vm_unmapped_area_info *info)
{
	const struct vm_area_struct *last = last_vma(mm);
	uint64_t top = last ? vm_end_gap(last) : 0;
	uint64_t addr;
	bool found;

	if (!info->length || info->high_limit < info->low_limit ||
	    info->high_limit - info->low_limit < info->length)
		return (uint64_t)-ENOMEM;

	if (info->flags & VM_UNMAPPED_AREA_TOPDOWN)
		found = fit_highest(info, top, info->high_limit, &addr) ||
			search_highest(mm->vma_root, info, &addr);
	else
		found = search_lowest(mm->vma_root, info, &addr) ||
			fit_lowest(info, top, info->high_limit, &addr);
	return found ? addr : (uint64_t)-ENOMEM;
}

/* ---- consistency check ---- */

#define CHECK_MAX_DEPTH	64	/* an AVL tree of 2^40 nodes is < 58 deep */

struct check_log {
	char *buf;
	size_t size;
	size_t len;
	int problems;
};

/*
 * report - count one problem and append "vma tree: <message>\n" to the log's
 * buffer as far as it fits, keeping it NUL-terminated.
 */
__attribute__((format(printf, 2, 3)))
static void report(struct check_log *log, const char *fmt, ...)
{
	char line[192];
	va_list ap;
	int n;

	log->problems++;
	if (!log->buf || log->len + 1 >= log->size)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	n = snprintf(log->buf + log->len, log->size - log->len,
		     "vma tree: %s\n", line);
	if (n > 0)
		log->len = MIN(log->len + (size_t)n, log->size - 1);
}

/*
 * check_list - walk mm's list checking each vma's range, vm_prev link, order
 * against its predecessor and vm_mm, then map_count and highest_vm_end.
 * Stops after map_count + 1 entries so a cycle cannot hang it.
 */
static void check_list(const struct mm_struct *mm, struct check_log *log)
{
	const struct vm_area_struct *v, *prev = NULL;
	int n = 0, limit = MAX(mm->map_count, 0) + 1;

	for (v = mm->mmap; v && n < limit; prev = v, v = v->vm_next, n++) {
		if (v->vm_start >= v->vm_end)
			report(log, "vma %d [%#" PRIx64 ", %#" PRIx64
			       ") is empty or inverted", n, v->vm_start, v->vm_end);
		if (v->vm_prev != prev)
			report(log, "vma %d [%#" PRIx64 ", %#" PRIx64
			       ") has a wrong vm_prev", n, v->vm_start, v->vm_end);
		if (prev && prev->vm_end > v->vm_start)
			report(log, "vma %d [%#" PRIx64 ", %#" PRIx64
			       ") overlaps or precedes the one before it",
			       n, v->vm_start, v->vm_end);
		if (v->vm_mm != mm)
			report(log, "vma %d [%#" PRIx64 ", %#" PRIx64
			       ") has a wrong vm_mm", n, v->vm_start, v->vm_end);
	}
	if (v)
		report(log, "list is longer than map_count %d", mm->map_count);
	else if (n != mm->map_count)
		report(log, "list has %d vmas, map_count is %d", n, mm->map_count);
	if (!v && mm->highest_vm_end != (prev ? vm_end_gap(prev) : 0))
		report(log, "highest_vm_end %#" PRIx64 ", last vma ends at %#"
		       PRIx64, mm->highest_vm_end, prev ? vm_end_gap(prev) : 0);
}

struct tree_walk {
	const struct mm_struct *mm;
	struct check_log *log;
	const struct vm_area_struct *expect;	/* next vma in list order */
	const struct vm_area_struct *last;	/* last node visited */
	int visited;
	int limit;
	bool truncated;
};

/*
 * check_visit - in-order visit of n: it must be the next vma of the list and
 * start above the previously visited node.
 */
static void check_visit(struct tree_walk *w, const struct vm_area_struct *n)
{
	if (n != w->expect)
		report(w->log, "tree node [%#" PRIx64 ", %#" PRIx64
		       ") is out of step with the list", n->vm_start, n->vm_end);
	if (w->last && w->last->vm_start >= n->vm_start)
		report(w->log, "tree order broken at [%#" PRIx64 ", %#" PRIx64
		       ")", n->vm_start, n->vm_end);
	w->expect = n->vm_next;
	w->last = n;
	w->visited++;
}

/*
 * check_node - compare n's stored height and subtree gap with the true ones
 * (hl/gl and hr/gr of its children) and check its balance.  Returns the
 * true height; the true subtree gap goes to *gap.
 */
static int check_node(struct tree_walk *w, const struct vm_area_struct *n,
		      int hl, int hr, uint64_t gl, uint64_t gr, uint64_t *gap)
{
	int h = 1 + MAX(hl, hr);

	*gap = MAX(vma_gap(n), MAX(gl, gr));
	if (n->avl_height != h)
		report(w->log, "[%#" PRIx64 ", %#" PRIx64 ") avl_height %d, "
		       "should be %d", n->vm_start, n->vm_end, n->avl_height, h);
	if (hl - hr > 1 || hr - hl > 1)
		report(w->log, "[%#" PRIx64 ", %#" PRIx64 ") unbalanced: "
		       "heights %d and %d", n->vm_start, n->vm_end, hl, hr);
	if (n->subtree_gap != *gap)
		report(w->log, "[%#" PRIx64 ", %#" PRIx64 ") subtree_gap %#"
		       PRIx64 ", should be %#" PRIx64, n->vm_start, n->vm_end,
		       n->subtree_gap, *gap);
	return h;
}

/*
 * check_subtree - recursively check the subtree at n (whose parent should be
 * parent): parent links, in-order agreement with the list, heights, balance
 * and gaps.  Returns its true height and puts its true gap in *gap.  Gives
 * up (once reported) past CHECK_MAX_DEPTH or map_count + 1 nodes.
 */
static int check_subtree(struct tree_walk *w, const struct vm_area_struct *n,
			 const struct vm_area_struct *parent, int depth,
			 uint64_t *gap)
{
	uint64_t gl, gr;
	int hl, hr;

	*gap = 0;
	if (!n)
		return 0;
	if (depth > CHECK_MAX_DEPTH || w->visited >= w->limit) {
		if (!w->truncated)
			report(w->log, "tree deeper than %d or larger than "
			       "map_count %d", CHECK_MAX_DEPTH, w->mm->map_count);
		w->truncated = true;
		return 0;
	}
	if (n->avl_parent != parent)
		report(w->log, "[%#" PRIx64 ", %#" PRIx64 ") has a wrong "
		       "avl_parent", n->vm_start, n->vm_end);
	hl = check_subtree(w, n->avl_left, n, depth + 1, &gl);
	check_visit(w, n);
	hr = check_subtree(w, n->avl_right, n, depth + 1, &gr);
	return check_node(w, n, hl, hr, gl, gr, gap);
}

/*
 * check_tree - check the whole tree against the list: shape, links, order,
 * heights and gaps, and that it holds exactly the listed vmas.
 */
static void check_tree(const struct mm_struct *mm, struct check_log *log)
{
	struct tree_walk w = {
		.mm = mm, .log = log, .expect = mm->mmap,
		.limit = MAX(mm->map_count, 0) + 1,
	};
	uint64_t gap;

	check_subtree(&w, mm->vma_root, NULL, 0, &gap);
	if (w.truncated)
		return;
	if (w.expect)
		report(log, "list vma [%#" PRIx64 ", %#" PRIx64 ") and later "
		       "are missing from the tree", w.expect->vm_start,
		       w.expect->vm_end);
	if (w.visited != mm->map_count)
		report(log, "tree has %d vmas, map_count is %d", w.visited,
		       mm->map_count);
}

/*
 * vma_tree_check - verify mm's list and tree (see vma.h).  buf (size bytes,
 * may be NULL when size is 0) is overwritten with one "vma tree: ..." line
 * per problem, as many as fit, always NUL-terminated when size > 0.
 * Returns the number of problems found; never BUGs.
 */
int vma_tree_check(const struct mm_struct *mm, char *buf, size_t size)
{
	struct check_log log = { .buf = buf, .size = size };

	if (buf && size)
		buf[0] = '\0';
	check_list(mm, &log);
	check_tree(mm, &log);
	return log.problems;
}
