/*
 * slab.h - the slab allocator for the kernel's own objects (Linux's SLUB,
 * mm/slub.c, without debugging, per-CPU partial lists or NUMA): a cache
 * per kind of object, slabs of 2^order frames carved into objects, a
 * current slab per CPU, a list of partially used slabs.
 *
 * The kernel's structures live in the daemon's memory; each one also
 * holds an object of its cache in simulated frames (its address in the
 * physical address space, kept in the structure), so that the kernel's
 * memory takes frames, and shows in slabinfo, meminfo and frames/, as
 * Linux's does.  A free object holds the physical address of the next
 * free one of its slab in its first 8 bytes (SLUB's freelist, without
 * its hardening).
 */
#ifndef MM_SLAB_H
#define MM_SLAB_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>
#include "hw/cpu.h"
#include "util/list.h"

struct page;

struct kmem_cache {
	const char *name;
	uint32_t size;		/* object size with alignment (slabinfo's
				 * objsize) */
	uint32_t order;		/* frames per slab: 2^order */
	uint32_t objects;	/* objects per slab */
	uint32_t min_partial;	/* empty slabs kept on the partial list */
	bool reclaimable;	/* SLAB_RECLAIM_ACCOUNT: SReclaimable */
	struct page *cpu_slab[HW_MAX_CPUS];	/* per CPU: the slab
					 * it allocates from, or NULL */
	struct list_head partial;	/* slabs with free objects */
	uint64_t nr_partial;
	uint64_t nr_slabs;	/* every slab of the cache */
	uint64_t inuse;		/* objects allocated */
	struct list_head list;	/* in slab_caches */
	uint64_t slab_obj;	/* the cache's own objects: in kmem_cache */
	uint64_t node_obj;	/* and in kmem_cache_node (one node) */
};

/* The caches, newest first (Linux's slab_caches; slabinfo's order). */
extern struct list_head slab_caches;

/* The caches of the kernel's objects, made at boot (kmem_cache_init). */
extern struct kmem_cache *task_struct_cachep, *mm_cachep,
			 *vm_area_cachep, *anon_vma_cachep, *shmem_inode_cachep,
			 *radix_tree_node_cachep, *filp_cachep, *inode_cachep,
			 *vmap_area_cachep, *mem_cgroup_cachep;

/* kmalloc's caches: kmalloc-8 ... kmalloc-8k, indexed as Linux's
 * kmalloc_caches[KMALLOC_NORMAL] (1: 96 bytes, 2: 192, 3..13: 2^i). */
#define KMALLOC_SHIFT_LOW	3
#define KMALLOC_SHIFT_HIGH	13	/* PAGE_SHIFT + 1 */
#define KMALLOC_MAX_CACHE_SIZE	(1U << KMALLOC_SHIFT_HIGH)
extern struct kmem_cache *kmalloc_caches[KMALLOC_SHIFT_HIGH + 1];

/* kmem_cache_init - make the kernel's caches, sized for the booted
 * machine's CPUs, each with its objects in kmem_cache and
 * kmem_cache_node (Linux's kmem_cache_init, create_kmalloc_caches and the
 * caches of fork_init, proc_caches_init, vma_state_init, anon_vma_init,
 * radix_tree_init, files_init, inode_init, vmalloc_init,
 * mem_cgroup_init).  0 or -ENOMEM. */
int kmem_cache_init(void);

/* kmem_cache_destroy_all - forget every cache: their own objects go, the
 * empty slabs with them; no other object may be left (shutdown). */
void kmem_cache_destroy_all(void);

/* calculate_order - the order of a cache's slabs for objects of size
 * bytes on a machine of nr_cpus CPUs (Linux's calculate_order: the
 * smallest order from what min_objects objects need, up to
 * PAGE_ALLOC_COSTLY_ORDER, that wastes at most 1/16 of the slab, else 1/8,
 * else 1/4). */
unsigned int calculate_order(unsigned int size, int nr_cpus);

/* kmem_cache_alloc - an object of s, from the current CPU's slab, a
 * partial slab or a new one (unmovable frames, which may be reclaimed
 * for).  Its physical address, or 0 (-ENOMEM, with the reason) when no
 * frame can be had. */
uint64_t kmem_cache_alloc(struct kmem_cache *s);

/* kmem_cache_free - give back object obj of s (0: nothing).  A slab left
 * empty is freed when the cache keeps min_partial partial slabs already
 * (Linux's __slab_free). */
void kmem_cache_free(struct kmem_cache *s, uint64_t obj);

/* kmem_cache_shrink_all - free every empty slab on the partial lists of
 * every cache, and with cpu_slabs the CPUs' current ones too, which stop
 * being current (Linux's kmem_cache_shrink, for each cache; reclaim
 * calls it without cpu_slabs, as its shrink_slab).  Returns the frames
 * freed. */
uint64_t kmem_cache_shrink_all(bool cpu_slabs);

/* kmalloc_index - the index in kmalloc_caches of the cache kmalloc takes
 * size bytes (1..KMALLOC_MAX_CACHE_SIZE) from (Linux's kmalloc_index:
 * the smallest that holds it, 96 and 192 between their powers of two). */
unsigned int kmalloc_index(size_t size);

/* kmalloc - size bytes (at least 1) of kernel memory: an object of the
 * kmalloc cache kmalloc_index picks, or above KMALLOC_MAX_CACHE_SIZE a
 * block of whole frames from the buddy allocator, counted as unreclaimable
 * slab (Linux's kmalloc and kmalloc_large).  Its physical address, or 0
 * (-ENOMEM, with the reason). */
uint64_t kmalloc(size_t size);

/* kfree - give back what kmalloc returned at pa (0: nothing). */
void kfree(uint64_t pa);

/* kmalloc_large_pages - the frames kmalloc_large blocks hold. */
uint64_t kmalloc_large_pages(void);

/* slab_cache_of - the cache a slab frame belongs to, or NULL. */
struct kmem_cache *slab_cache_of(const struct page *page);

/* slab_pages - the frames slab caches hold: reclaimable ones (rec) or
 * not. */
uint64_t slab_pages(bool rec);

/* slab_check - verify every cache against its slabs (object counts,
 * freelists in simulated memory, partial lists) and the caches against
 * the objects of kmem_cache and kmem_cache_node; the first problem is
 * written to why (size bytes) and false returned. */
bool slab_check(char *why, size_t size);

#endif
