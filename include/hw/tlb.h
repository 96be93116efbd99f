/*
 * tlb.h - a set-associative data TLB, one per CPU.
 *
 * Entries cache the translation of one 4 KiB virtual page for one PCID, with
 * the effective permissions of the walk that filled them and the leaf's dirty
 * bit.  A CR3 write without PCID drops every non-global entry; INVLPG drops
 * one page.  Replacement within a set is least-recently-used.
 */
#ifndef HW_TLB_H
#define HW_TLB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TLB_VALID	(1U << 0)
#define TLB_WRITE	(1U << 1)	/* writes allowed (RW at every level) */
#define TLB_USER	(1U << 2)	/* user accesses allowed (US at every level) */
#define TLB_NX		(1U << 3)	/* instruction fetches forbidden */
#define TLB_DIRTY	(1U << 4)	/* the leaf entry's D bit was set */
#define TLB_GLOBAL	(1U << 5)

struct tlb_entry {
	uint64_t vpn;		/* virtual page number (va >> 12) */
	uint64_t pfn;
	uint32_t stamp;		/* last use, for LRU */
	uint16_t pcid;
	uint8_t flags;		/* TLB_* */
	uint8_t _pad;
};

struct tlb {
	unsigned int nr_entries;
	unsigned int ways;
	unsigned int sets;	/* nr_entries / ways, a power of two */
	struct tlb_entry *e;	/* sets * ways entries, set-major */
	uint32_t clock;
	uint64_t hits, misses;
	uint64_t flush_all;	/* full flushes (CR3 writes, explicit) */
	uint64_t flush_one;	/* single-page invalidations */
};

/* tlb_init - allocate an empty TLB. entries must be a multiple of ways and
 * entries/ways a power of two. 0, -EINVAL or -ENOMEM. */
int tlb_init(struct tlb *t, unsigned int entries, unsigned int ways);
void tlb_destroy(struct tlb *t);

/* tlb_match - true if e is a valid entry that translates vpn for pcid (its
 * own PCID, or a global entry). */
static inline bool tlb_match(const struct tlb_entry *e, uint64_t vpn,
			     uint16_t pcid)
{
	return (e->flags & TLB_VALID) && e->vpn == vpn &&
	       (e->pcid == pcid || (e->flags & TLB_GLOBAL));
}

/* tlb_set - the first way of the set that caches vpn. */
static inline struct tlb_entry *tlb_set(const struct tlb *t, uint64_t vpn)
{
	return t->e + (size_t)(vpn & (t->sets - 1)) * t->ways;
}

/* tlb_lookup - the valid entry for (vpn, pcid), or a global entry for vpn;
 * NULL on a miss. Counts a hit or a miss and refreshes the LRU stamp.
 * Inline: it is the hit path of every simulated memory access. */
static inline struct tlb_entry *tlb_lookup(struct tlb *t, uint64_t vpn,
					   uint16_t pcid)
{
	struct tlb_entry *e = tlb_set(t, vpn);
	unsigned int i;

	t->clock++;
	for (i = 0; i < t->ways; i++, e++) {
		if (tlb_match(e, vpn, pcid)) {
			e->stamp = t->clock;
			t->hits++;
			return e;
		}
	}
	t->misses++;
	return NULL;
}

/* tlb_fill - install a translation, replacing the entry a lookup of
 * (vpn, pcid) would find, else an invalid way of its set, else the set's LRU
 * way. flags: TLB_* (VALID is implied). */
void tlb_fill(struct tlb *t, uint64_t vpn, uint16_t pcid, uint64_t pfn,
	      unsigned int flags);

/* tlb_flush_all - drop every entry (keep_global: except TLB_GLOBAL ones).
 * Counts one full flush. */
void tlb_flush_all(struct tlb *t, bool keep_global);

/* tlb_flush_pcid - drop every non-global entry tagged pcid (INVPCID
 * single-context). Counts one full flush. */
void tlb_flush_pcid(struct tlb *t, uint16_t pcid);

/* tlb_invlpg - drop the entries for vpn tagged pcid and any global entry for
 * vpn (INVLPG). Counts one single-page flush. */
void tlb_invlpg(struct tlb *t, uint64_t vpn, uint16_t pcid);

/* tlb_nr_valid - number of valid entries (for display and tests). */
unsigned int tlb_nr_valid(const struct tlb *t);

#endif
