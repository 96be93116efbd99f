/*
 * replace.h - the textbook page-replacement policies (mm/replace.c) and
 * the machine setting that chooses between them and Linux's reclaim.
 */
#ifndef MM_REPLACE_H
#define MM_REPLACE_H

#include <stdbool.h>
#include <stdint.h>
#include "util/compiler.h"

enum reclaim_policy {
	RP_LINUX,	/* Linux's two-list LRU (vmscan.c), the default */
	RP_FIFO,	/* the page that arrived first */
	RP_LRU,		/* the page referenced longest ago (exact) */
	RP_CLOCK,	/* FIFO order, passing over referenced pages once */
	RP_RANDOM,	/* a seeded pseudo-random one */
	RP_OPT,		/* the page next used farthest in the future */
	NR_RECLAIM_POLICIES
};

extern const char *const reclaim_policy_names[NR_RECLAIM_POLICIES];
extern int reclaim_policy;		/* enum reclaim_policy */
extern uint64_t reclaim_seed;		/* of the random policy */

/* textbook_policy - is a textbook policy replacing Linux's reclaim? */
static inline bool textbook_policy(void)
{
	return reclaim_policy != RP_LINUX;
}

/* replace_reset - a new machine: Linux's policy, seed 1, no oracle. */
void replace_reset(void);

/* set_reclaim_policy - choose the policy (the random generator restarts
 * from reclaim_seed).  0, or -EINVAL (no such policy; opt without a
 * replay's oracle) or -ENOMEM, with the reason. */
int set_reclaim_policy(int policy);

/* The future of a replayed trace, for OPT: when the page at va of mm is
 * referenced next, counting references from the start of the trace
 * (UINT64_MAX: never). */
struct mm_struct;
struct replace_oracle {
	void *ctx;
	uint64_t (*next_use)(void *ctx, struct mm_struct *mm, uint64_t va);
};

/* replace_set_oracle - install the oracle of a replay (NULL when it ends;
 * the opt policy then falls back to linux). */
void replace_set_oracle(const struct replace_oracle *o);

/* replace_note_arrival - a page was just charged for the access that
 * brought it in: its arrival (FIFO, CLOCK) and first reference (LRU). */
struct page;
void replace_note_arrival(struct page *page);

/* While the policy is LRU, the pages on each group's evictable lists are
 * also in that group's heap (replace.c): lru_cache_add and lru_del tell
 * it through these. */
extern bool lru_heaps_on;

/* replace_lru_add - page went onto an evictable list of its group. */
void replace_lru_add(struct page *page);

/* replace_lru_del - page left its group's lists (a no-op for a page in no
 * heap: one on the unevictable list). */
void replace_lru_del(struct page *page);

/* replace_lru_added / replace_lru_deleted - the hooks lru_cache_add and
 * lru_del call: nothing unless the heaps are on. */
static inline void replace_lru_added(struct page *page, bool evictable)
{
	if (unlikely(lru_heaps_on && evictable))
		replace_lru_add(page);
}

static inline void replace_lru_deleted(struct page *page)
{
	if (unlikely(lru_heaps_on))
		replace_lru_del(page);
}

/* replace_check_lruvec - for mm_check: NULL if m's heap holds exactly the
 * pages of its evictable lists, each where the heap says, in heap order,
 * no key above its page's stamp; else what is wrong. */
struct mem_cgroup;
const char *replace_check_lruvec(struct mem_cgroup *m);

/* The pages a reclaim pass tried and could not evict (someone else holds
 * them): the search passes over them. */
#define VICTIM_TRIES	16
struct victim_search {
	struct page *tried[VICTIM_TRIES];
	unsigned int nr_tried;
};

/* replace_pick_victim - the page the policy would evict next among the
 * pages charged to target's subtree (NULL: all), or NULL when none can
 * be.  CLOCK clears the accessed bits it passes over. */
struct mem_cgroup;
struct page *replace_pick_victim(struct mem_cgroup *target,
				 struct victim_search *vs);

#endif
