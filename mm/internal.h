/*
 * internal.h - helpers shared inside mm/ only (Linux's mm/internal.h).
 */
#ifndef MM_INTERNAL_H
#define MM_INTERNAL_H

#include <errno.h>
#include "kernel/errstr.h"
#include "mm/mm.h"
#include "mm/page_alloc.h"
#include "mm/vmstat.h"
#include "mm/vma.h"
#include "mm/pagewalk.h"

extern int last_fault_outcome;	/* of the latest handle_mm_fault */

/* mm_counter - which RSS counter a mapped page belongs to. */
static inline int mm_counter(const struct page *page)
{
	if (PageAnon(page))
		return MM_ANONPAGES;
	if (PageFlag(page, PG_swapbacked))
		return MM_SHMEMPAGES;
	return MM_FILEPAGES;
}

/* add_mm_counter - change an RSS counter, keeping the high-water mark. */
static inline void add_mm_counter(struct mm_struct *mm, int member, int64_t v)
{
	uint64_t rss;

	mm->rss_stat[member] += v;
	if (v > 0) {
		rss = get_mm_rss(mm);
		if (rss > mm->hiwater_rss)
			mm->hiwater_rss = rss;
	}
}

/* is_cow_mapping - private and may be written: writes copy pages. */
static inline bool is_cow_mapping(uint64_t flags)
{
	return (flags & (VM_SHARED | VM_MAYWRITE)) == VM_MAYWRITE;
}

/* vma_is_accessible - may the vma be accessed at all (not PROT_NONE)? */
static inline bool vma_is_accessible(const struct vm_area_struct *vma)
{
	return vma->vm_flags & VM_ACCESS_FLAGS;
}

/* not_page_aligned - -EINVAL with its reason: addr is not page aligned. */
int not_page_aligned(uint64_t addr);

/* The reason of a range whose end wraps past the top of the address
 * space. */
#define RANGE_WRAPS	"range wraps around the end of the address space"

/* remove_vma - unaccount and free a vma already unlinked and zapped. */
void remove_vma(struct mm_struct *mm, struct vm_area_struct *vma);

/* vma_range_apply - give every vma of [start, end) new flags, splitting
 * at the ends and merging afterwards (mprotect, mlock).  newflags(vma,
 * arg) computes a vma's new flags; fixup(vma, oldflags, arg) is called
 * after the vma (split to lie inside the range) got them.  check(vma,
 * newflags, arg), if set, may refuse a vma with -errno (and its reason)
 * before anything changes.  -ENOMEM for a hole (the reason is unmapped)
 * or at max_map_count. */
struct vma_range_ops {
	uint64_t (*newflags)(struct vm_area_struct *vma, void *arg);
	int (*check)(struct vm_area_struct *vma, uint64_t newflags, void *arg);
	void (*fixup)(struct vm_area_struct *vma, uint64_t oldflags, void *arg);
	const char *unmapped;
};
int vma_range_apply(struct mm_struct *mm, uint64_t start, uint64_t end,
		    const struct vma_range_ops *ops, void *arg);

/* page_add_swapin_rmap - one more entry of vma maps page, a page of the
 * swap cache (exclusive: the entry was an exclusive swap entry). */
void page_add_swapin_rmap(struct page *page, struct vm_area_struct *vma,
			  uint64_t address, bool exclusive);

/* zap_swap_pte - clear an entry holding a swap entry of vma's mm,
 * dropping its reference on the slot (and a swap-cache page nobody else
 * wants). */
void zap_swap_pte(struct vm_area_struct *vma, struct pte_ref ref, pte_t pte);

/* do_swap_page_map - map page, the swap-cache page of the swap entry
 * orig, at address through ref: the entry's slot reference becomes a
 * mapping (RSS anon, swapents).  Its swap-cache copy is dropped when
 * should_try_to_free_swap says so.  When may_write, the page is made
 * writable in a writable vma (and dirty for a write) if the entry was
 * exclusive or the page is left with the caller's reference only.  The
 * caller keeps its own reference. */
void do_swap_page_map(struct vm_area_struct *vma, uint64_t address,
		      struct pte_ref ref, pte_t orig, struct page *page,
		      bool write, bool may_write);

/* stack_growth_error - the tests expand_stack(vma, address) makes before
 * it charges memory: 0, or its -errno with *why (Linux's
 * expand_downwards and acct_stack_growth checks). */
int stack_growth_error(const struct vm_area_struct *vma, uint64_t address,
		       const char **why);

/* pte_fault_predict - what handle_mm_fault(vma, address, flags) would
 * do now, into fp->outcome (the enum fault_outcome it would count; a
 * spurious fault when the entry already allows the access), fp->major
 * and fp->why; changes nothing (fault.c's fault_predict). */
void pte_fault_predict(struct vm_area_struct *vma, uint64_t address,
		       unsigned int flags, struct fault_prediction *fp);

/* mlock.c: per-page mlock counting for VM_LOCKED vmas. */
void mlock_page(struct page *page);
void munlock_page(struct page *page);

/* count_fault - record a fault outcome for t and globally. */
static inline void count_fault(struct task_struct *t, enum fault_outcome o)
{
	if (t)
		t->fault_counts[o]++;
	count_vm_event((enum vm_event_item)(MMUFS_FAULT_FIRST + o));
}

/* ---- xarray.c: the xarray nodes of a page cache ---- */

/* mapping_slot_used - does slot index of the address_space m hold a
 * page, a shadow or a swap entry (shmem.c; xa_nodes_expected's used)? */
bool mapping_slot_used(const void *m, uint64_t index);

/* xa_nodes_insert - slot index comes into use: the nodes Linux's xarray
 * would add for it get their radix_tree_node objects.  0, or -ENOMEM
 * (with the reason; nothing changed). */
int xa_nodes_insert(struct xa_nodes *x, uint64_t index);

/* xa_nodes_erase - slot index, in use, no longer is: the nodes left
 * without a used slot, and the levels the tree no longer needs, go. */
void xa_nodes_erase(struct xa_nodes *x, uint64_t index);

/* xa_nodes_destroy - the tree goes with its object: every node. */
void xa_nodes_destroy(struct xa_nodes *x);

/* xa_nodes_expected - the nodes a tree of nr_slots slots has when used
 * says which are in use (recounted from scratch, for check). */
uint64_t xa_nodes_expected(bool (*used)(const void *arg, uint64_t index),
			   const void *arg, uint64_t nr_slots);

#endif
