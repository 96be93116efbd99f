/*
 * xarray.c - the nodes of the xarray Linux keeps for a page cache
 * (lib/xarray.c's shape, not its code): the simulation keeps its slots in
 * flat arrays and follows here which nodes of 64 slots Linux's tree would
 * have for the slots in use, each node holding an object of
 * radix_tree_node (the cache xarray nodes come from).
 *
 * The tree is as tall as the highest used slot needs (none when only
 * slot 0 is used: the head holds that entry); below its top, a node
 * exists where a slot under it is used.  This is what xas_store,
 * xas_expand, xas_delete_node and xas_shrink leave after each change.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "mm/slab.h"

/* chunk_of - the node of level l above slot index (a node of level l
 * covers 64^(l+1) slots; the top levels have only node 0). */
static uint64_t chunk_of(uint64_t index, unsigned int l)
{
	unsigned int shift = XA_CHUNK_SHIFT * (l + 1);

	return shift >= 64 ? 0 : index >> shift;
}

/* xa_height - the levels the tree needs for max as its highest used slot
 * (0 for slot 0 alone or no slot). */
static unsigned int xa_height(const struct xa_nodes *x)
{
	unsigned int h = 0;

	if (!x->entries)
		return 0;
	while (h < XA_LEVELS && (h == 0 ? x->max : x->max >> (XA_CHUNK_SHIFT * h)))
		h++;
	return h;
}

/* grow_level - make the arrays of level l hold chunk c.  0 or -ENOMEM
 * (unchanged). */
static int grow_level(struct xa_nodes *x, unsigned int l, uint64_t c)
{
	uint64_t n = c + 1, *cnt, *obj;

	if (c < x->nr[l])
		return 0;
	cnt = realloc(x->count[l], n * sizeof(*cnt));
	if (cnt)
		x->count[l] = cnt;
	obj = cnt ? realloc(x->obj[l], n * sizeof(*obj)) : NULL;
	if (!obj)
		return host_enomem();
	x->obj[l] = obj;
	memset(cnt + x->nr[l], 0, (n - x->nr[l]) * sizeof(*cnt));
	memset(obj + x->nr[l], 0, (n - x->nr[l]) * sizeof(*obj));
	x->nr[l] = n;
	return 0;
}

/* sync_node - give node (l, c) its object if the tree has it, take it
 * back if not.  0, or -ENOMEM when the object cannot be had. */
static int sync_node(struct xa_nodes *x, unsigned int l, uint64_t c)
{
	bool want, have;

	if (c >= x->nr[l])
		return 0;
	want = l < x->height && x->count[l][c];
	have = x->obj[l][c] != 0;
	if (want && !have) {
		x->obj[l][c] = kmem_cache_alloc(radix_tree_node_cachep);
		if (!x->obj[l][c])
			return -ENOMEM;
		x->nr_nodes++;
	} else if (!want && have) {
		kmem_cache_free(radix_tree_node_cachep, x->obj[l][c]);
		x->obj[l][c] = 0;
		x->nr_nodes--;
	}
	return 0;
}

/* sync_path - the nodes a change at index can add or remove: on its path
 * and, where the height changed, at the left edge (every other slot in
 * use is under chunk 0 of the levels that came or went). */
static int sync_path(struct xa_nodes *x, uint64_t index)
{
	int err = 0;

	x->height = xa_height(x);
	for (unsigned int l = 0; l < XA_LEVELS; l++) {
		uint64_t c = chunk_of(index, l);

		if (sync_node(x, l, c) || (c && sync_node(x, l, 0)))
			err = -ENOMEM;
	}
	return err;
}

/* count_slot - index's slot counted in (d 1) or out (d -1) of every
 * level. */
static void count_slot(struct xa_nodes *x, uint64_t index, int d)
{
	uint64_t bit = 1ULL << (index & ((1U << XA_CHUNK_SHIFT) - 1));

	if (d > 0)
		x->count[0][index >> XA_CHUNK_SHIFT] |= bit;
	else
		x->count[0][index >> XA_CHUNK_SHIFT] &= ~bit;
	for (unsigned int l = 1; l < XA_LEVELS; l++)
		x->count[l][chunk_of(index, l)] += (uint64_t)(int64_t)d;
	x->entries += (uint64_t)(int64_t)d;
}

/* highest_used - the highest used slot, found down the counts. */
static uint64_t highest_used(const struct xa_nodes *x)
{
	uint64_t c = 0;

	for (unsigned int l = XA_LEVELS - 1; l > 0; l--) {
		uint64_t lo = c << XA_CHUNK_SHIFT,
			 hi = lo + (1U << XA_CHUNK_SHIFT) - 1;

		if (hi >= x->nr[l - 1])
			hi = x->nr[l - 1] - 1;
		while (hi > lo && !x->count[l - 1][hi])
			hi--;
		c = hi;
	}
	return (c << XA_CHUNK_SHIFT) + (uint64_t)(63 - __builtin_clzll(
		x->count[0][c]));
}

/* xa_nodes_insert - see internal.h. */
int xa_nodes_insert(struct xa_nodes *x, uint64_t index)
{
	uint64_t old_max = x->max;

	for (unsigned int l = 0; l < XA_LEVELS; l++)
		if (grow_level(x, l, chunk_of(index, l)))
			return -ENOMEM;
	count_slot(x, index, 1);
	if (x->entries == 1 || index > x->max)
		x->max = index;
	if (!sync_path(x, index))
		return 0;
	count_slot(x, index, -1);
	x->max = old_max;
	sync_path(x, index);	/* frees what the failed insert made */
	return -ENOMEM;
}

/* xa_nodes_erase - see internal.h. */
void xa_nodes_erase(struct xa_nodes *x, uint64_t index)
{
	BUG_ON(index >> XA_CHUNK_SHIFT >= x->nr[0] ||
	       !(x->count[0][index >> XA_CHUNK_SHIFT] &
		 (1ULL << (index & 63))));
	count_slot(x, index, -1);
	if (x->entries && index == x->max)
		x->max = highest_used(x);
	BUG_ON(sync_path(x, index));	/* only frees */
}

/* xa_nodes_destroy - see internal.h. */
void xa_nodes_destroy(struct xa_nodes *x)
{
	for (unsigned int l = 0; l < XA_LEVELS; l++) {
		for (uint64_t c = 0; c < x->nr[l]; c++)
			kmem_cache_free(radix_tree_node_cachep, x->obj[l][c]);
		free(x->count[l]);
		free(x->obj[l]);
	}
	memset(x, 0, sizeof(*x));
}

/* xa_nodes_expected - see internal.h. */
uint64_t xa_nodes_expected(bool (*used)(const void *arg, uint64_t index),
			   const void *arg, uint64_t nr_slots)
{
	uint64_t max = 0, entries = 0, nodes = 0;
	uint64_t last[XA_LEVELS];
	unsigned int h = 0;

	for (uint64_t i = 0; i < nr_slots; i++)
		if (used(arg, i)) {
			max = i;
			entries++;
		}
	while (entries && h < XA_LEVELS &&
	       (h == 0 ? max : max >> (XA_CHUNK_SHIFT * h)))
		h++;
	for (unsigned int l = 0; l < XA_LEVELS; l++)
		last[l] = UINT64_MAX;
	for (uint64_t i = 0; i < nr_slots && h; i++) {
		if (!used(arg, i))
			continue;
		for (unsigned int l = 0; l < h; l++)
			if (last[l] != chunk_of(i, l)) {
				last[l] = chunk_of(i, l);
				nodes++;
			}
	}
	return nodes;
}
