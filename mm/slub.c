/*
 * slub.c - the slab allocator (Linux's mm/slub.c, reduced: see slab.h).
 *
 * A slab is a block of 2^order frames from the buddy allocator, every
 * frame PG_slab with ->mapping its cache; the head frame keeps the slab's
 * state: ->index the physical address of its first free object (0: none),
 * ->private the objects in use, ->lru its place on the partial list.  A
 * slab is the current slab of at most one CPU (kmem_cache.cpu_slab), on
 * the partial list when it has free objects and is no CPU's, and on no
 * list when full (SLUB tracks full slabs only for debugging).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "mm/page_alloc.h"
#include "mm/slab.h"
#include "kernel/errstr.h"
#include "util/bitops.h"

#define PAGE_ALLOC_COSTLY_ORDER	3	/* slub_max_order's default */
#define MAX_OBJS_PER_PAGE	32767
#define MIN_PARTIAL		5
#define MAX_PARTIAL		10

struct list_head slab_caches = LIST_HEAD_INIT(slab_caches);
struct kmem_cache *task_struct_cachep, *mm_cachep, *vm_area_cachep,
		  *anon_vma_cachep, *shmem_inode_cachep, *radix_tree_node_cachep,
		  *filp_cachep, *inode_cachep, *vmap_area_cachep,
		  *mem_cgroup_cachep;
static struct kmem_cache *kmem_cache_cachep, *kmem_cache_node_cachep;
struct kmem_cache *kmalloc_caches[KMALLOC_SHIFT_HIGH + 1];
static uint64_t nr_kmalloc_large_pages;

/* The kernel's caches: Linux 6.18's object sizes on x86-64 (slabinfo's
 * objsize of the reference kernel), in the order Linux makes them at boot
 * (the caches of the caches' own structures first, kmalloc's next, 96 and
 * 192 before the powers of two, as the reference kernel's slabinfo lists
 * them). */
static const struct cache_def {
	const char *name;
	uint32_t size;
	bool reclaimable;
	struct kmem_cache **cachep;
} kernel_caches[] = {
	{ "kmem_cache", 256, false, &kmem_cache_cachep },
	{ "kmem_cache_node", 128, false, &kmem_cache_node_cachep },
	{ "kmalloc-96", 96, false, &kmalloc_caches[1] },
	{ "kmalloc-192", 192, false, &kmalloc_caches[2] },
	{ "kmalloc-8", 8, false, &kmalloc_caches[3] },
	{ "kmalloc-16", 16, false, &kmalloc_caches[4] },
	{ "kmalloc-32", 32, false, &kmalloc_caches[5] },
	{ "kmalloc-64", 64, false, &kmalloc_caches[6] },
	{ "kmalloc-128", 128, false, &kmalloc_caches[7] },
	{ "kmalloc-256", 256, false, &kmalloc_caches[8] },
	{ "kmalloc-512", 512, false, &kmalloc_caches[9] },
	{ "kmalloc-1k", 1024, false, &kmalloc_caches[10] },
	{ "kmalloc-2k", 2048, false, &kmalloc_caches[11] },
	{ "kmalloc-4k", 4096, false, &kmalloc_caches[12] },
	{ "kmalloc-8k", 8192, false, &kmalloc_caches[13] },
	{ "vmap_area", 72, false, &vmap_area_cachep },
	{ "mm_struct", 1600, false, &mm_cachep },
	{ "radix_tree_node", 584, true, &radix_tree_node_cachep },
	{ "anon_vma", 104, false, &anon_vma_cachep },
	{ "task_struct", 5888, false, &task_struct_cachep },
	{ "vm_area_struct", 192, false, &vm_area_cachep },
	{ "inode_cache", 624, false, &inode_cachep },
	{ "filp", 192, false, &filp_cachep },
	{ "shmem_inode_cache", 752, false, &shmem_inode_cachep },
	{ "mem_cgroup", 2240, false, &mem_cgroup_cachep },
};

/* get_order - the smallest order whose block holds size bytes (Linux's
 * get_order). */
static unsigned int get_order(uint64_t size)
{
	unsigned int order = 0;

	while (((uint64_t)PAGE_SIZE << order) < size)
		order++;
	return order;
}

/* order_objects - the objects of size bytes a slab of order holds. */
static unsigned int order_objects(unsigned int order, unsigned int size)
{
	return (unsigned int)(((uint64_t)PAGE_SIZE << order) / size);
}

/* calc_slab_order - the smallest order from min_order up to max_order
 * whose slab wastes at most 1/fract_leftover (Linux's calc_slab_order);
 * max_order + 1 if none does. */
static unsigned int calc_slab_order(unsigned int size, unsigned int min_order,
				    unsigned int max_order,
				    unsigned int fract_leftover)
{
	unsigned int order;

	for (order = min_order; order <= max_order; order++) {
		uint64_t slab_size = (uint64_t)PAGE_SIZE << order;

		if (slab_size % size <= slab_size / fract_leftover)
			break;
	}
	return order;
}

/* calculate_order - see slab.h (min_objects = 4 * (fls(CPUs) + 1), at
 * most what the largest order holds). */
unsigned int calculate_order(unsigned int size, int nr_cpus)
{
	unsigned int min_objects = 4 * (unsigned int)(fls64((uint64_t)nr_cpus) + 1);
	unsigned int max_objects = order_objects(PAGE_ALLOC_COSTLY_ORDER, size);
	unsigned int min_order, order;

	if (max_objects < 1)
		max_objects = 1;
	if (min_objects > max_objects)
		min_objects = max_objects;
	min_order = get_order((uint64_t)min_objects * size);
	if (order_objects(min_order, size) > MAX_OBJS_PER_PAGE)
		return get_order((uint64_t)size * MAX_OBJS_PER_PAGE) - 1;
	for (unsigned int fraction = 16; fraction > 1; fraction /= 2) {
		order = calc_slab_order(size, min_order,
					PAGE_ALLOC_COSTLY_ORDER, fraction);
		if (order <= PAGE_ALLOC_COSTLY_ORDER)
			return order;
	}
	return get_order(size);
}

/* set_min_partial - Linux's set_min_partial: ilog2(size) / 2, clamped to
 * [MIN_PARTIAL, MAX_PARTIAL]. */
static uint32_t min_partial_for(unsigned int size)
{
	uint32_t min = (uint32_t)(fls64(size) - 1) / 2;

	return min < MIN_PARTIAL ? MIN_PARTIAL :
	       min > MAX_PARTIAL ? MAX_PARTIAL : min;
}

/* kmem_cache_create - a cache of objects of size bytes (Linux's
 * __kmem_cache_create), first on slab_caches; NULL on ENOMEM. */
static struct kmem_cache *kmem_cache_create(const char *name, uint32_t size,
					    bool reclaimable)
{
	struct kmem_cache *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->name = name;
	s->size = size;
	s->order = calculate_order(size, hw.nr_cpus);
	s->objects = order_objects(s->order, size);
	s->min_partial = min_partial_for(size);
	s->reclaimable = reclaimable;
	INIT_LIST_HEAD(&s->partial);
	list_add(&s->list, &slab_caches);
	return s;
}

/* kmem_cache_init - see slab.h.  Once every cache exists, each takes
 * its kmem_cache and kmem_cache_node objects, oldest first (Linux makes
 * the first two statically and moves them into objects: bootstrap). */
int kmem_cache_init(void)
{
	struct list_head *l;

	for (size_t i = 0; i < ARRAY_SIZE(kernel_caches); i++) {
		*kernel_caches[i].cachep = kmem_cache_create(
			kernel_caches[i].name, kernel_caches[i].size,
			kernel_caches[i].reclaimable);
		if (!*kernel_caches[i].cachep)
			return host_enomem();
	}
	for (l = slab_caches.prev; l != &slab_caches; l = l->prev) {
		struct kmem_cache *s = list_entry(l, struct kmem_cache, list);

		s->slab_obj = kmem_cache_alloc(kmem_cache_cachep);
		s->node_obj = kmem_cache_alloc(kmem_cache_node_cachep);
		if (!s->slab_obj || !s->node_obj)
			return -ENOMEM;
	}
	return 0;
}

/* kmem_cache_destroy_all - see slab.h. */
void kmem_cache_destroy_all(void)
{
	struct list_head *l;

	list_for_each(l, &slab_caches) {
		struct kmem_cache *s = list_entry(l, struct kmem_cache, list);

		kmem_cache_free(kmem_cache_cachep, s->slab_obj);
		kmem_cache_free(kmem_cache_node_cachep, s->node_obj);
		s->slab_obj = s->node_obj = 0;
	}
	kmem_cache_shrink_all(true);
	while (!list_empty(&slab_caches)) {
		struct kmem_cache *s = list_entry(slab_caches.next,
						  struct kmem_cache, list);

		BUG_ON(s->nr_slabs || s->inuse || nr_kmalloc_large_pages);
		list_del(&s->list);
		free(s);
	}
	for (size_t i = 0; i < ARRAY_SIZE(kernel_caches); i++)
		*kernel_caches[i].cachep = NULL;
}

/* slab_cache_of - see slab.h. */
struct kmem_cache *slab_cache_of(const struct page *page)
{
	return PageFlag(page, PG_slab) ? (struct kmem_cache *)page->mapping :
					 NULL;
}

/* slab_head - the head frame of the slab holding physical address pa. */
static struct page *slab_head(const struct kmem_cache *s, uint64_t pa)
{
	uint64_t pfn = pa >> PAGE_SHIFT;

	return pfn_to_page(pfn & ~((1ULL << s->order) - 1));
}

/* slab_cpu - the CPU the kernel is running on (CPU 0 outside any). */
static int slab_cpu(void)
{
	return this_cpu >= 0 ? this_cpu : 0;
}

/* allocate_slab - a new slab of s, every object free and chained in
 * address order (Linux's allocate_slab), or NULL. */
static struct page *allocate_slab(struct kmem_cache *s)
{
	struct page *head = alloc_pages(GFP_KERNEL, s->order);
	uint64_t base, n = 1ULL << s->order;

	if (!head)
		return NULL;
	base = page_to_phys(head);
	for (uint64_t i = 0; i < n; i++) {
		SetPageFlag(head + i, PG_slab);
		head[i].mapping = s;
	}
	for (uint32_t i = 0; i < s->objects; i++)
		phys_write64(&hw.mem, base + (uint64_t)i * s->size,
			     i + 1 < s->objects ?
			     base + (uint64_t)(i + 1) * s->size : 0);
	head->index = base;
	head->private = 0;
	INIT_LIST_HEAD(&head->lru);
	s->nr_slabs++;
	mod_node_page_state(page_pgdat(head), s->reclaimable ?
			    NR_SLAB_RECLAIMABLE : NR_SLAB_UNRECLAIMABLE,
			    (int64_t)n);
	return head;
}

/* discard_slab - give an empty slab, on no list, back to the buddy
 * allocator (Linux's discard_slab). */
static void discard_slab(struct kmem_cache *s, struct page *head)
{
	uint64_t n = 1ULL << s->order;

	BUG_ON(head->private);
	for (uint64_t i = 0; i < n; i++) {
		ClearPageFlag(head + i, PG_slab);
		head[i].mapping = NULL;
	}
	head->index = 0;
	s->nr_slabs--;
	mod_node_page_state(page_pgdat(head), s->reclaimable ?
			    NR_SLAB_RECLAIMABLE : NR_SLAB_UNRECLAIMABLE,
			    -(int64_t)n);
	__free_pages(head, s->order);
}

/* deactivate_slab - the CPU's current slab stops being it: onto the
 * partial list if it has free objects (Linux's deactivate_slab; a full
 * one is on no list). */
static void deactivate_slab(struct kmem_cache *s, int cpu)
{
	struct page *head = s->cpu_slab[cpu];

	s->cpu_slab[cpu] = NULL;
	if (head && head->index) {
		list_add(&head->lru, &s->partial);
		s->nr_partial++;
	}
}

/* new_slab_for_cpu - a slab with a free object for cpu: a partial one,
 * else a new one (Linux's ___slab_alloc); NULL when no frame can be had. */
static struct page *new_slab_for_cpu(struct kmem_cache *s, int cpu)
{
	struct page *head;

	deactivate_slab(s, cpu);
	if (!list_empty(&s->partial)) {
		head = list_entry(s->partial.next, struct page, lru);
		list_del(&head->lru);
		s->nr_partial--;
	} else if (!(head = allocate_slab(s))) {
		return NULL;
	}
	s->cpu_slab[cpu] = head;
	return head;
}

/* kmem_cache_alloc - see slab.h. */
uint64_t kmem_cache_alloc(struct kmem_cache *s)
{
	int cpu = slab_cpu();
	struct page *head = s->cpu_slab[cpu];
	uint64_t obj;

	if (!head || !head->index)
		head = new_slab_for_cpu(s, cpu);
	if (!head) {
		kerror(ENOMEM, "no frame for a %s slab", s->name);
		return 0;
	}
	obj = head->index;
	head->index = phys_read64(&hw.mem, obj);
	head->private++;
	s->inuse++;
	return obj;
}

/* on_cpu - is the slab some CPU's current one? */
static bool on_cpu(const struct kmem_cache *s, const struct page *head)
{
	for (int cpu = 0; cpu < hw.nr_cpus; cpu++)
		if (s->cpu_slab[cpu] == head)
			return true;
	return false;
}

/* kmem_cache_free - see slab.h. */
void kmem_cache_free(struct kmem_cache *s, uint64_t obj)
{
	struct page *head;
	bool was_full;

	if (!obj)
		return;
	head = slab_head(s, obj);
	BUG_ON(slab_cache_of(head) != s || !head->private ||
	       (obj - page_to_phys(head)) % s->size);
	was_full = !head->index;
	phys_write64(&hw.mem, obj, head->index);
	head->index = obj;
	head->private--;
	s->inuse--;
	if (on_cpu(s, head))
		return;
	if (!head->private && s->nr_partial >= s->min_partial) {
		if (!was_full) {
			list_del(&head->lru);
			s->nr_partial--;
		}
		discard_slab(s, head);
	} else if (was_full) {
		list_add_tail(&head->lru, &s->partial);
		s->nr_partial++;
	}
}

/* kmem_cache_shrink_all - see slab.h. */
uint64_t kmem_cache_shrink_all(bool cpu_slabs)
{
	struct list_head *l;
	uint64_t freed = 0;

	list_for_each(l, &slab_caches) {
		struct kmem_cache *s = list_entry(l, struct kmem_cache, list);
		struct list_head *p, *n;

		for (int cpu = 0; cpu < hw.nr_cpus && cpu_slabs; cpu++)
			deactivate_slab(s, cpu);
		list_for_each_safe(p, n, &s->partial) {
			struct page *head = list_entry(p, struct page, lru);

			if (head->private)
				continue;
			list_del(&head->lru);
			s->nr_partial--;
			discard_slab(s, head);
			freed += 1ULL << s->order;
		}
	}
	return freed;
}

/* kmalloc_index - see slab.h. */
unsigned int kmalloc_index(size_t size)
{
	unsigned int i = KMALLOC_SHIFT_LOW;

	BUG_ON(!size || size > KMALLOC_MAX_CACHE_SIZE);
	if (size > 64 && size <= 96)
		return 1;
	if (size > 128 && size <= 192)
		return 2;
	while ((1UL << i) < size)
		i++;
	return i;
}

/* kmalloc_large - a block of whole frames for size bytes (Linux's
 * ___kmalloc_large_node): its head marked, its order kept, its frames
 * counted in NR_SLAB_UNRECLAIMABLE as Linux counts them. */
static uint64_t kmalloc_large(size_t size)
{
	unsigned int order = get_order(size);
	struct page *head = alloc_pages(GFP_KERNEL, order);

	if (!head) {
		kerror(ENOMEM, "no block of order %u for kmalloc(%zu)", order,
		       size);
		return 0;
	}
	SetPageFlag(head, PG_large_kmalloc);
	head->private = order;
	nr_kmalloc_large_pages += 1ULL << order;
	mod_node_page_state(page_pgdat(head), NR_SLAB_UNRECLAIMABLE,
			    (int64_t)1 << order);
	return page_to_phys(head);
}

/* kmalloc - see slab.h. */
uint64_t kmalloc(size_t size)
{
	if (size > KMALLOC_MAX_CACHE_SIZE)
		return kmalloc_large(size);
	return kmem_cache_alloc(kmalloc_caches[kmalloc_index(size)]);
}

/* kfree - see slab.h: a slab object goes back to its cache, a large
 * block to the buddy allocator (Linux's kfree and free_large_kmalloc). */
void kfree(uint64_t pa)
{
	struct page *page;
	unsigned int order;

	if (!pa)
		return;
	page = pfn_to_page(pa >> PAGE_SHIFT);
	if (PageFlag(page, PG_slab)) {
		kmem_cache_free(slab_cache_of(page), pa);
		return;
	}
	BUG_ON(!PageFlag(page, PG_large_kmalloc) || pa & (PAGE_SIZE - 1));
	order = (unsigned int)page->private;
	ClearPageFlag(page, PG_large_kmalloc);
	page->private = 0;
	nr_kmalloc_large_pages -= 1ULL << order;
	mod_node_page_state(page_pgdat(page), NR_SLAB_UNRECLAIMABLE,
			    -((int64_t)1 << order));
	__free_pages(page, order);
}

/* kmalloc_large_pages - see slab.h. */
uint64_t kmalloc_large_pages(void)
{
	return nr_kmalloc_large_pages;
}

/* slab_pages - see slab.h. */
uint64_t slab_pages(bool rec)
{
	struct list_head *l;
	uint64_t n = 0;

	list_for_each(l, &slab_caches) {
		struct kmem_cache *s = list_entry(l, struct kmem_cache, list);

		if (s->reclaimable == rec)
			n += s->nr_slabs << s->order;
	}
	return rec ? n : n + nr_kmalloc_large_pages;
}

/* check_slab - one slab head of s: its free objects (the freelist in
 * simulated memory, each inside the slab, no loop) and in-use count; adds
 * its objects in use to *inuse.  false with why on a problem. */
static bool check_slab(const struct kmem_cache *s, const struct page *head,
		       uint64_t *inuse, char *why, size_t size)
{
	uint64_t base = page_to_phys(head), nfree = 0, obj = head->index;

	for (; obj && nfree <= s->objects; nfree++) {
		if (obj < base || (obj - base) % s->size ||
		    (obj - base) / s->size >= s->objects)
			break;
		obj = phys_read64(&hw.mem, obj);
	}
	if (obj || nfree + head->private != s->objects) {
		snprintf(why, size, "slab: %s slab at pfn %llu: %llu free and "
			 "%llu in use of %u", s->name,
			 (unsigned long long)page_to_pfn(head),
			 (unsigned long long)nfree,
			 (unsigned long long)head->private, s->objects);
		return false;
	}
	*inuse += head->private;
	return true;
}

/* slab_check - see slab.h: every slab frame found by a walk of mem_map. */
bool slab_check(char *why, size_t size)
{
	struct list_head *l;
	uint64_t caches = 0;

	list_for_each(l, &slab_caches) {
		struct kmem_cache *s = list_entry(l, struct kmem_cache, list);
		uint64_t slabs = 0, inuse = 0, partial = 0;
		struct list_head *p;

		for (uint64_t pfn = 0; pfn < max_pfn; pfn++) {
			const struct page *head = pfn_to_page(pfn);

			if (slab_cache_of(head) != s ||
			    (pfn & ((1ULL << s->order) - 1)))
				continue;
			slabs++;
			if (!check_slab(s, head, &inuse, why, size))
				return false;
		}
		list_for_each(p, &s->partial)
			partial++;
		if (slabs != s->nr_slabs || inuse != s->inuse ||
		    partial != s->nr_partial) {
			snprintf(why, size, "slab: %s has %llu slabs, %llu "
				 "objects, %llu partial; counts %llu, %llu, "
				 "%llu", s->name, (unsigned long long)slabs,
				 (unsigned long long)inuse,
				 (unsigned long long)partial,
				 (unsigned long long)s->nr_slabs,
				 (unsigned long long)s->inuse,
				 (unsigned long long)s->nr_partial);
			return false;
		}
		caches++;
	}
	if (caches != kmem_cache_cachep->inuse ||
	    caches != kmem_cache_node_cachep->inuse) {
		snprintf(why, size, "slab: %llu caches, kmem_cache and "
			 "kmem_cache_node hold %llu and %llu",
			 (unsigned long long)caches,
			 (unsigned long long)kmem_cache_cachep->inuse,
			 (unsigned long long)kmem_cache_node_cachep->inuse);
		return false;
	}
	return true;
}
