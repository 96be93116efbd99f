/*
 * tlb.c - a set-associative TLB with per-set LRU replacement.
 *
 * The set of a virtual page is vpn & (sets - 1).  Every lookup and fill
 * advances the TLB's clock and stamps the entry it used, so the least
 * recently used way of a set is the one whose stamp lies furthest behind the
 * clock (measured modulo 2^32, so the clock may wrap).  The lookup itself is
 * inline in tlb.h because it is on the path of every simulated access.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "hw/tlb.h"
#include "util/compiler.h"

/* A bound on the geometry, to refuse absurd requests before allocating. */
#define TLB_MAX_ENTRIES	(1U << 20)

/* is_pow2 - true if x is a power of two (x > 0). */
static bool is_pow2(unsigned int x)
{
	return x && !(x & (x - 1));
}

/*
 * tlb_init - allocate an empty TLB of `entries` entries in sets of `ways`.
 * Returns 0; -EINVAL unless entries is a multiple of ways, entries/ways is a
 * power of two and entries <= TLB_MAX_ENTRIES; -ENOMEM.  t is overwritten.
 */
int tlb_init(struct tlb *t, unsigned int entries, unsigned int ways)
{
	memset(t, 0, sizeof(*t));
	if (ways == 0 || entries == 0 || entries > TLB_MAX_ENTRIES ||
	    entries % ways || !is_pow2(entries / ways))
		return -EINVAL;
	t->e = calloc(entries, sizeof(*t->e));
	if (!t->e)
		return -ENOMEM;
	t->nr_entries = entries;
	t->ways = ways;
	t->sets = entries / ways;
	return 0;
}

/* tlb_destroy - free the entries; t becomes empty (destroying twice is ok). */
void tlb_destroy(struct tlb *t)
{
	free(t->e);
	memset(t, 0, sizeof(*t));
}

/*
 * tlb_victim - the way of vpn's set that a fill for (vpn, pcid) overwrites:
 * the entry a lookup would find, else an invalid way, else the LRU way.
 */
static struct tlb_entry *tlb_victim(struct tlb *t, uint64_t vpn, uint16_t pcid)
{
	struct tlb_entry *set = tlb_set(t, vpn), *free_way = NULL, *lru = set;
	unsigned int i;

	for (i = 0; i < t->ways; i++) {
		struct tlb_entry *e = &set[i];

		if (tlb_match(e, vpn, pcid))
			return e;
		if (!(e->flags & TLB_VALID)) {
			if (!free_way)
				free_way = e;
		} else if ((uint32_t)(t->clock - e->stamp) >
			   (uint32_t)(t->clock - lru->stamp)) {
			lru = e;
		}
	}
	return free_way ? free_way : lru;
}

/*
 * tlb_fill - cache the translation vpn -> pfn for pcid with the TLB_* flags
 * (TLB_VALID is implied).  Replaces the entry a lookup of (vpn, pcid) would
 * return, else takes an invalid way, else evicts the set's LRU way.
 */
void tlb_fill(struct tlb *t, uint64_t vpn, uint16_t pcid, uint64_t pfn,
	      unsigned int flags)
{
	struct tlb_entry *e;

	BUG_ON(flags & ~(TLB_VALID | TLB_WRITE | TLB_USER | TLB_NX |
			 TLB_DIRTY | TLB_GLOBAL));
	e = tlb_victim(t, vpn, pcid);
	t->clock++;
	e->vpn = vpn;
	e->pfn = pfn;
	e->pcid = pcid;
	e->flags = (uint8_t)(flags | TLB_VALID);
	e->stamp = t->clock;
}

/*
 * tlb_flush_all - invalidate every entry, or with keep_global every entry
 * but the TLB_GLOBAL ones.  Counts one full flush.
 */
void tlb_flush_all(struct tlb *t, bool keep_global)
{
	unsigned int i;

	for (i = 0; i < t->nr_entries; i++) {
		if (!keep_global || !(t->e[i].flags & TLB_GLOBAL))
			t->e[i].flags = 0;
	}
	t->flush_all++;
}

/*
 * tlb_flush_pcid - invalidate every non-global entry tagged pcid; entries of
 * other PCIDs and global entries stay.  Counts one full flush.
 */
void tlb_flush_pcid(struct tlb *t, uint16_t pcid)
{
	unsigned int i;

	for (i = 0; i < t->nr_entries; i++) {
		struct tlb_entry *e = &t->e[i];

		if (e->pcid == pcid && !(e->flags & TLB_GLOBAL))
			e->flags = 0;
	}
	t->flush_all++;
}

/*
 * tlb_invlpg - invalidate the entries for vpn tagged pcid and any global
 * entry for vpn.  Counts one single-page flush.
 */
void tlb_invlpg(struct tlb *t, uint64_t vpn, uint16_t pcid)
{
	struct tlb_entry *set = tlb_set(t, vpn);
	unsigned int i;

	for (i = 0; i < t->ways; i++) {
		if (tlb_match(&set[i], vpn, pcid))
			set[i].flags = 0;
	}
	t->flush_one++;
}

/* tlb_nr_valid - the number of valid entries. */
unsigned int tlb_nr_valid(const struct tlb *t)
{
	unsigned int i, n = 0;

	for (i = 0; i < t->nr_entries; i++) {
		if (t->e[i].flags & TLB_VALID)
			n++;
	}
	return n;
}
