/*
 * swap.h - swap areas, swap entries and the swap cache (Linux's
 * include/linux/swap.h, swapops.h and the x86 swap-entry encoding of
 * asm/pgtable_64.h and pgtable-2level.h).
 *
 * A swap area is a swap device (hw/swapdev.h) whose slot 0 holds the
 * header, as mkswap writes it, so slots 1..max-1 hold pages.  swap_map[]
 * counts, per slot, the page-table entries (and shmem slots) that refer
 * to it, plus SWAP_HAS_CACHE while a page in the swap cache belongs to
 * it.  A slot is free when its count is 0.
 *
 * The swap cache maps a slot to the page that holds its contents in RAM
 * (PG_swapcache, page->private = the entry).  When reclaim frees such a
 * page, the slot keeps a shadow entry instead: the eviction time that
 * workingset_refault() compares with the time of the refault.
 */
#ifndef MM_SWAP_H
#define MM_SWAP_H

#include <stdbool.h>
#include <stdint.h>
#include "hw/swapdev.h"
#include "mm/mmzone.h"
#include "mm/pgtable.h"
#include "util/compiler.h"

/* swp_entry_t - Linux's arch-independent entry: the type (area) in the
 * top bits of an xarray value, the offset (slot) below. */
typedef struct {
	uint64_t val;
} swp_entry_t;

#define MAX_SWAPFILES_SHIFT	5
#define SWP_TYPE_SHIFT		(63 - MAX_SWAPFILES_SHIFT)
#define SWP_OFFSET_MASK		((1ULL << SWP_TYPE_SHIFT) - 1)
/* Linux's MAX_SWAPFILES on the reference x86-64 config: 32 types less
 * those kept for device-private (3), migration (3), hwpoison (1) and
 * marker (1) entries. */
#define MAX_SWAPFILES		24

static inline swp_entry_t swp_entry(unsigned int type, uint64_t offset)
{
	return (swp_entry_t){ ((uint64_t)type << SWP_TYPE_SHIFT) |
			      (offset & SWP_OFFSET_MASK) };
}

static inline unsigned int swp_type(swp_entry_t e)
{
	return (unsigned int)(e.val >> SWP_TYPE_SHIFT);
}

static inline uint64_t swp_offset(swp_entry_t e)
{
	return e.val & SWP_OFFSET_MASK;
}

/*
 * The entry as a non-present PTE.  x86-64 (__swp_entry): the type in
 * bits 59-63, the offset inverted in bits 9-58 (so that no entry looks
 * like a physical address, the L1TF mitigation), bit 3 remembering
 * PG_anon_exclusive; P, PROTNONE (8) and PSE (7) clear.  i386 2-level:
 * the type in bits 1-5, the offset from bit 9 up, bit 7 the exclusive
 * bit.
 */
#define SWP_X86_64_TYPE_BITS	5
#define SWP_X86_64_OFFSET_SHIFT	(9 + SWP_X86_64_TYPE_BITS)

static inline pte_t swp_pte_exclusive_bit(void)
{
	return hw.geom->mode == PAGING_2LEVEL ? _PAGE_PSE : _PAGE_PWT;
}

static inline pte_t swp_entry_to_pte(swp_entry_t e)
{
	uint64_t type = swp_type(e), offset = swp_offset(e);

	if (hw.geom->mode == PAGING_2LEVEL)
		return ((type & 0x1f) << 1) | (offset << 9);
	return ((~offset << SWP_X86_64_OFFSET_SHIFT) >> SWP_X86_64_TYPE_BITS) |
	       (type << (64 - SWP_X86_64_TYPE_BITS));
}

static inline swp_entry_t pte_to_swp_entry(pte_t pte)
{
	if (hw.geom->mode == PAGING_2LEVEL)
		return swp_entry((unsigned int)((pte >> 1) & 0x1f),
				 (pte & 0xffffffffULL) >> 9);
	return swp_entry((unsigned int)(pte >> (64 - SWP_X86_64_TYPE_BITS)),
			 (~pte << SWP_X86_64_TYPE_BITS) >>
			 SWP_X86_64_OFFSET_SHIFT);
}

/* is_swap_pte - an entry that holds a swap entry (not none, not mapped). */
static inline bool is_swap_pte(pte_t pte)
{
	return !pte_none(pte) && !pte_present(pte);
}

static inline bool pte_swp_exclusive(pte_t pte)
{
	return pte & swp_pte_exclusive_bit();
}

static inline pte_t pte_swp_mkexclusive(pte_t pte)
{
	return pte | swp_pte_exclusive_bit();
}

static inline pte_t pte_swp_clear_exclusive(pte_t pte)
{
	return pte & ~swp_pte_exclusive_bit();
}

/* swap_map: the count of references, and the cache flag. */
#define SWAP_HAS_CACHE		0x80000000U
#define SWAP_COUNT_MASK		0x7fffffffU

#define SWP_USED		0x1	/* the type is taken */
#define SWP_WRITEOK		0x2	/* new pages may go here (not during
					 * swapoff) */

/* The shadow entries of the swap cache: a value, not a page (bit 0 set;
 * Linux's xa_mk_value). */
static inline bool swap_cache_is_shadow(uintptr_t v)
{
	return v & 1;
}

struct page;

struct swap_info_struct {
	unsigned int flags;	/* SWP_* */
	int prio;		/* higher is used first */
	unsigned int type;
	uint64_t max;		/* slots, the header included */
	uint64_t pages;		/* slots for pages: max - 1 */
	uint64_t inuse_pages;	/* slots with a non-zero swap_map */
	uint64_t cluster_next;	/* where the next search for a free slot
				 * starts */
	uint32_t *swap_map;	/* max counts */
	uintptr_t *cache;	/* max slots: page, shadow value or 0 */
	uint16_t *memcg_id;	/* max slots: the group charged, or 0 */
	uint64_t nr_cached;	/* pages in the swap cache */
	struct swapdev dev;
	uint64_t slab_obj;	/* the kernel's swap_info_struct, kmalloc'd */
	uint64_t map_addr;	/* the kernel's swap_map: a vmalloc area of a
				 * byte per slot (Linux's vzalloc), 0 if none */
};

/* SWAP_INFO_STRUCT_SIZE - what Linux 6.18's alloc_swap_info allocates on
 * x86-64 with one node: sizeof(struct swap_info_struct), 632, and an
 * avail_lists entry of 40 (kmalloc-1k). */
#define SWAP_INFO_STRUCT_SIZE	672

extern struct swap_info_struct *swap_info[MAX_SWAPFILES];
extern uint64_t nr_swap_pages;		/* free slots of areas taking pages */
extern uint64_t total_swap_pages;	/* slots for pages of every area */
extern uint64_t total_swapcache_pages;	/* pages in the swap cache */

/* ---- swapfile.c ---- */

/* swap_areas_reset - forget every area (a new machine boots). */
void swap_areas_reset(void);

/* sys_swapon - add an area of size bytes (whole pages, header included)
 * with priority prio, or, when !has_prio or prio is -1 (swapon(8)'s "let
 * the kernel choose"), the next default priority (-2, -3, ... as Linux's
 * least_priority).  The type (0..MAX_SWAPFILES-1) or -EINVAL (smaller
 * than 10 pages, larger than the offset bits or 64 GiB allow, a priority
 * outside -1..32767), -EPERM (MAX_SWAPFILES areas already) or -ENOMEM. */
int sys_swapon(uint64_t size, int prio, bool has_prio);

/* sys_swapoff - bring every page of area type back into RAM and remove
 * the area (Linux's swapoff: try_to_unuse); when its priority was a
 * default one, the areas of lower default priorities move up one, as
 * does the next default.  0, -EINVAL (no such area) or -ENOMEM when the
 * pages would not fit in free memory or commit (nothing changed). */
int sys_swapoff(unsigned int type);

/* get_swap_page - a free slot of the area of highest priority that takes
 * pages (equal priorities in turn), its count set to SWAP_HAS_CACHE; the
 * entry with val 0 when every area is full. */
swp_entry_t get_swap_page(void);

/* swap_info_get - the area of a valid entry (BUG otherwise). */
static inline struct swap_info_struct *swap_info_get(swp_entry_t e)
{
	unsigned int type = swp_type(e);
	struct swap_info_struct *si = type < MAX_SWAPFILES ? swap_info[type] :
			     NULL;

	BUG_ON(!si || swp_offset(e) == 0 || swp_offset(e) >= si->max);
	return si;
}

/* swap_count - the references to a slot, the cache flag excluded. */
uint32_t swap_count(swp_entry_t e);

/* swap_duplicate - one more reference to a slot in use (fork). */
void swap_duplicate(swp_entry_t e);

/* swap_free - one reference fewer; the slot is freed when neither a
 * reference nor the cache is left. */
void swap_free(swp_entry_t e);

/* free_swap_and_cache - a page-table entry holding e goes (zap): drop its
 * reference and, if only an unmapped cached page is left, that page too
 * (Linux's free_swap_and_cache). */
void free_swap_and_cache(swp_entry_t e);

/* vm_swap_full - is more than half of the swap space in use? */
bool vm_swap_full(void);

/* swap_writepage / swap_readpage - transfer page to / from its slot
 * (page->private), counting pswpout/pswpin and pgpgout/pgpgin. */
void swap_writepage(struct page *page);
void swap_readpage(struct page *page);

/* ---- swap_state.c: the swap cache ---- */

/* add_to_swap_cache - page becomes the cached copy of slot e, which must
 * hold SWAP_HAS_CACHE and no page: PG_swapcache, page->private, a
 * reference for the cache, NR_FILE_PAGES and nr_swapcached; the shadow
 * the slot held is returned (0 if none). */
uintptr_t add_to_swap_cache(struct page *page, swp_entry_t e);

/* delete_from_swap_cache - take page out of the swap cache, leaving
 * shadow (0 for none) in its slot, clear the slot's cache flag (freeing
 * it when unreferenced) and drop the cache's reference. */
void delete_from_swap_cache(struct page *page, uintptr_t shadow);

/* lookup_swap_cache - the page cached for e, or NULL; a page read ahead
 * counts as a readahead hit (swap_ra_hit) the first time. */
struct page *lookup_swap_cache(swp_entry_t e);
/* swap_cache_peek - the page cached for e, or NULL, counting nothing
 * (for tools that show the state: vtop). */
struct page *swap_cache_peek(swp_entry_t e);

/* add_to_swap - give an anon page a slot and put it in the swap cache,
 * dirty (Linux's folio_alloc_swap + add_to_swap_cache).  False when no
 * slot is free. */
bool add_to_swap(struct page *page);

/* try_to_free_swap - free the slot of a swap-cache page that no entry
 * refers to any more (Linux's folio_free_swap).  True if freed. */
bool try_to_free_swap(struct page *page);

struct vm_fault;
/* swapin_readahead - the page of slot e in the swap cache, read from the
 * device if needed with the slots around it (Linux's
 * swap_cluster_readahead, 2^page-cluster slots, adapting to readahead
 * hits).  A reference is taken; *major set when the page was read.  NULL
 * when no frame could be had, or the slot was freed meanwhile. */
struct page *swapin_readahead(swp_entry_t e, struct vm_fault *vmf,
			      bool *major);

/* How a page read from swap is charged to the group of its slot:
 * reclaiming in the group and OOM-killing in it if need be (the page a
 * fault needs), only if the group has room (readahead), or past its
 * limit if need be (swapoff, which must not fail once it started). */
enum swapin_charge {
	SWAPIN_CHARGE_RECLAIM,
	SWAPIN_CHARGE_TRY,
	SWAPIN_CHARGE_FORCE,
};

/* read_swap_cache_async - the page of slot e, from the cache or read into
 * a new frame (inactive anon LRU, or active if its refault says so),
 * charged as charge says, with a reference; NULL when the slot is free,
 * no frame could be had (for mm, after the OOM killer found nothing to
 * kill: see alloc_page_oom) or the charge failed.  *allocated tells
 * which. */
struct mm_struct;
struct page *read_swap_cache_async(swp_entry_t e, bool *allocated,
				   struct mm_struct *mm,
				   enum swapin_charge charge);

/* swapcache_clear - the slot's page left the swap cache: clear the flag,
 * freeing the slot when no reference is left. */
void swapcache_clear(swp_entry_t e);

/* swapin_readahead_hits - faults that found a page read ahead since the
 * last window was sized; swap_ra_reset forgets the readahead state. */
extern uint64_t swapin_readahead_hits;
void swap_ra_reset(void);

/* ---- vmscan.c, workingset.c: reclaim ---- */

#define SWAP_CLUSTER_MAX	32	/* pages per reclaim batch */
#define MAX_RECLAIM_RETRIES	16

struct lruvec;
struct list_head;
struct task_struct;
struct zone;

/* try_to_free_pages - direct reclaim for an allocation that may use zones
 * up to reclaim_idx: at least SWAP_CLUSTER_MAX pages if it can (Linux's
 * try_to_free_pages), counting allocstall_<zone>.  Returns the pages
 * freed. */
uint64_t try_to_free_pages(enum zone_type reclaim_idx);

/* try_to_free_mem_cgroup_pages - reclaim at least nr_pages (a batch at
 * least) from the lists of m's subtree, for a charge that found m at its
 * limit or for memory.reclaim (proactive): Linux's
 * try_to_free_mem_cgroup_pages.  Returns the pages freed. */
struct mem_cgroup;
uint64_t try_to_free_mem_cgroup_pages(struct mem_cgroup *m, uint64_t nr_pages,
				      bool proactive);

/* reclaim_pages_user - reclaim asked for from user space (the machine's
 * reclaim command): up to nr_pages, as the root group's memory.reclaim
 * does, counted as proactive.  Returns the pages freed. */
uint64_t reclaim_pages_user(uint64_t nr_pages);

/* reclaim_page_list - try to free every isolated page of list (each
 * holding an isolation reference), ignoring their references (Linux's
 * reclaim_pages, for MADV_PAGEOUT); the rest go back to their LRU.
 * Returns the pages freed. */
uint64_t reclaim_page_list(struct list_head *list);

/* wakeup_kswapd - an allocation found every zone of its zonelist below
 * its low watermark, zone among them: the kswapd of zone's node will run
 * at the next kthreads_run_pending, unless a zone of that node is still
 * balanced or its kswapd gave up (MAX_RECLAIM_RETRIES runs that freed
 * nothing, until direct reclaim frees something on the node) (Linux's
 * wakeup_kswapd). */
void wakeup_kswapd(struct zone *zone);

/* kthreads_run_pending - the return to user mode of a task (the end of
 * its fault, access or ctl line): the kernel threads it woke run, the
 * flusher (wb_run_pending) then each woken kswapd in node order, which
 * reclaims on its node until a zone there is above its high watermark
 * (Linux's balance_pgdat). */
void kthreads_run_pending(void);

/* kswapd_reset - a new machine, whose node nid's kswapd is task. */
void kswapd_reset(int nid, struct task_struct *task);

/* lru_note_cost - reclaim paid nr_io I/Os and nr_rotated rotations for
 * the file or anon kind (Linux's lru_note_cost): get_scan_count favours
 * the cheaper kind. */
void lru_note_cost(struct lruvec *lv, bool file, uint64_t nr_io,
		   uint64_t nr_rotated);

/* workingset_age_nonresident - advance the lruvec's nonresident clock by
 * nr evictions or activations. */
void workingset_age_nonresident(struct lruvec *lv, uint64_t nr);

/* workingset_eviction - page is being evicted: tick the clock and return
 * the shadow entry to leave in its slot (Linux's workingset_eviction). */
uintptr_t workingset_eviction(struct page *page);

/* workingset_refault - page was just read back into the slot that held
 * shadow (0: none): count the refault and, if the refault distance fits
 * the workingset, set PG_active (and PG_workingset if it was in it
 * before), as Linux's workingset_refault does. */
void workingset_refault(struct page *page, uintptr_t shadow);

#endif
