/*
 * check.c - the invariant checker behind the `check` command.
 *
 * It recomputes, from the page tables, the page caches and the buddy
 * lists, what every counter kept incrementally should be, and compares:
 *  - every frame is exactly one of free (inside one buddy block or on one
 *    per-cpu list), reserved,
 *    a page-table page of a live mm, or a user page reachable from a page
 *    table or a cache, with refcount = entries + cache slots and mapcount
 *    = entries; no allocated frame is unreachable (lost);
 *  - buddy lists: heads aligned, in their zone, on the list of their
 *    pageblocks' migratetype, not overlapping, unmerged
 *    buddies absent, nr_free and free_pages exact; per-cpu lists hold
 *    clean order-0 pages of their zone, as many as their count;
 *  - LRU lists and their sizes; mlock counts; rmap (page->mapping and
 *    index agree with every vma that maps an anon page);
 *  - per mm: the vma tree, map_count, total_vm/locked_vm, RSS by type
 *    (swap entries included), pgtables_bytes, no entry outside a vma, no
 *    writable entry to a page shared copy-on-write, mm_users and mm_count;
 *  - swap: every slot's count is the swap entries that refer to it, its
 *    cache flag says whether a page caches it, that page points back, and
 *    the areas' in-use and free counts add up;
 *  - vmstat gauges, Committed_AS, and every valid TLB entry agreeing with
 *    the page tables it was filled from;
 *  - the kernel half: every mm's kernel top-level entries equal init_mm's
 *    (i386 with vmalloc_fault: those present), no kernel entry is user
 *    accessible, every vmalloc page is mapped once in init_mm at its
 *    area's address, and their count is VmallocUsed.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "mm/swap.h"
#include "mm/slab.h"
#include "mm/memcontrol.h"
#include "mm/replace.h"
#include "exec/binfmts.h"
#include "kernel/kernel.h"
#include "mm/vmalloc.h"

struct frame_count {
	uint32_t refs;		/* entries + cache slots + table use */
	uint32_t maps;		/* entries */
	uint32_t mlocks;	/* entries in VM_LOCKED vmas */
	uint8_t free;		/* inside a buddy block */
	uint8_t table;		/* used as a page table */
	uint8_t vmaps;		/* leaves of init_mm's vmalloc area */
	uint8_t kstack;		/* frames of a task's i386 kernel stack */
};

struct checker {
	char *buf;
	size_t size, len;
	int problems;
	struct frame_count *fc;
	int64_t node[MAX_NUMNODES][NR_VM_NODE_STAT_ITEMS];	/* by nid */
	int64_t committed;
	/* per mm being walked */
	struct mm_struct *mm;
	struct vm_area_struct *vma;
	int64_t rss[NR_MM_COUNTERS];
	uint64_t tables;
	uint64_t vmalloc_leaves;	/* init_mm's leaves in the area */
	uint32_t *swap_refs[MAX_SWAPFILES];	/* entries per slot */
	uint64_t shmem_objects;		/* shmem objects the vmas map */
	uint64_t host_files;		/* host files the kernel holds open */
	uint64_t radix_nodes;		/* xarray nodes of the page caches */
	uint64_t memcg_pages[MEMCG_MAX_ID];	/* charged, by group id */
	uint64_t memcg_slots[MEMCG_MAX_ID];
	uint64_t zone_lru[MAX_NUMNODES][MAX_NR_ZONES][NR_LRU_LISTS];
						/* pages listed, by node */
};

/* report - one problem line (output truncated quietly when full). */
__attribute__((format(printf, 2, 3)))
static void report(struct checker *c, const char *fmt, ...)
{
	va_list ap;
	int n;

	c->problems++;
	if (c->len + 1 >= c->size)
		return;
	va_start(ap, fmt);
	n = vsnprintf(c->buf + c->len, c->size - c->len, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	c->len = MIN(c->size - 1, c->len + (size_t)n);
	if (c->len + 1 < c->size) {
		c->buf[c->len++] = '\n';
		c->buf[c->len] = '\0';
	}
}

/* count_node - add n to the recount of gauge i on the node of pfn. */
static void count_node(struct checker *c, uint64_t pfn,
		       enum node_stat_item i, int64_t n)
{
	c->node[pfn_to_nid(pfn)][i] += n;
}

/* ---- buddy ---- */

/* check_free_block - one block of the free list of type mt: every
 * pageblock it covers is of type mt. */
static void check_free_block(struct checker *c, struct zone *z,
			     struct page *page, unsigned int order, int mt)
{
	uint64_t pfn = page_to_pfn(page), i, n = 1ULL << order, buddy;
	uint64_t pb = 1ULL << pageblock_order();

	if (!PageBuddy(page) || page->order != order || page->refcount)
		report(c, "buddy: pfn %" PRIu64 " on order-%u list has flags "
		       "%#x order %u refcount %d", pfn, order, page->flags,
		       page->order, page->refcount);
	if (pfn & (n - 1) || pfn < z->zone_start_pfn ||
	    pfn + n > zone_end_pfn(z)) {
		report(c, "buddy: block pfn %" PRIu64 " order %u misplaced in "
		       "zone %s", pfn, order, z->name);
		return;
	}
	for (i = 0; i < n; i += pb)
		if (get_pageblock_migratetype(pfn + i) != mt)
			report(c, "buddy: block pfn %" PRIu64 " order %u on the "
			       "type-%d list in a pageblock of type %d", pfn,
			       order, mt, get_pageblock_migratetype(pfn + i));
	for (i = 0; i < n; i++) {
		if (c->fc[pfn + i].free)
			report(c, "buddy: pfn %" PRIu64 " in two free blocks",
			       pfn + i);
		c->fc[pfn + i].free = 1;
	}
	buddy = pfn ^ n;
	if (order < MAX_ORDER && buddy >= z->zone_start_pfn &&
	    buddy < zone_end_pfn(z) && PageBuddy(pfn_to_page(buddy)) &&
	    pfn_to_page(buddy)->order == order)
		report(c, "buddy: pfn %" PRIu64 " and its buddy %" PRIu64
		       " both free at order %u", pfn, buddy, order);
}

/* check_buddy - every zone's free lists and counters. */
static void check_buddy(struct checker *c)
{
	struct zone *z;

	for_each_zone(z) {
		uint64_t free_pages = 0;
		unsigned int o;

		for (o = 0; o <= MAX_ORDER; o++) {
			struct list_head *l;
			uint64_t n = 0;

			for (int mt = 0; mt < MIGRATE_TYPES; mt++)
				list_for_each(l, &z->free_area[o].free_list[mt]) {
					check_free_block(c, z, list_entry(l,
						struct page, lru), o, mt);
					n++;
				}
			if (n != z->free_area[o].nr_free)
				report(c, "buddy: zone %s order %u nr_free %"
				       PRIu64 " but %" PRIu64 " on the list",
				       z->name, o, z->free_area[o].nr_free, n);
			free_pages += n << o;
		}
		if (free_pages != z->free_pages)
			report(c, "buddy: zone %s free_pages %" PRIu64 " but %"
			       PRIu64 " in lists", z->name, z->free_pages,
			       free_pages);
	}
}

/* check_pcp_list - one CPU's pcp lists of zone z: clean order-0 pages of
 * z, none in an isolated pageblock, each free once, as many as its count
 * says. */
static void check_pcp_list(struct checker *c, struct zone *z, int cpu)
{
	struct per_cpu_pages *pcp = &z->pcp[cpu];
	struct list_head *l;
	uint64_t n = 0;

	for (int mt = 0; mt < MIGRATE_PCPTYPES; mt++)
	list_for_each(l, &pcp->lists[mt]) {
		struct page *p = list_entry(l, struct page, lru);
		uint64_t pfn = page_to_pfn(p);

		n++;
		if (p->flags || p->refcount || p->mapcount ||
		    page_zone(p) != z)
			report(c, "pcp: pfn %" PRIu64 " on cpu %d's list of zone "
			       "%s has flags %#x refcount %d mapcount %d",
			       pfn, cpu, z->name, p->flags, p->refcount,
			       p->mapcount);
		if (c->fc[pfn].free)
			report(c, "pcp: pfn %" PRIu64 " free twice", pfn);
		if (get_pageblock_migratetype(pfn) == MIGRATE_ISOLATE)
			report(c, "pcp: pfn %" PRIu64 " of an isolated "
			       "pageblock on cpu %d's list", pfn, cpu);
		c->fc[pfn].free = 1;
	}
	if (n != pcp->count)
		report(c, "pcp: zone %s cpu %d count %" PRIu64 " but %" PRIu64
		       " on the list", z->name, cpu, pcp->count, n);
	if (n && cpu >= nr_pcp_cpus())
		report(c, "pcp: zone %s cpu %d is not a CPU but holds pages",
		       z->name, cpu);
}

/* check_nodes - every node's zones lie in its span and carry its id; no
 * zone of a node the machine does not have holds a frame; the numa
 * events balance: every allocation is a hit or a miss and local or
 * other, and every miss is some zone's foreign (zone_statistics). */
static void check_nodes(struct checker *c)
{
	uint64_t ev[NR_VM_NUMA_EVENT_ITEMS];

	for (int nid = 0; nid < MAX_NUMNODES; nid++)
		for (int z = 0; z < MAX_NR_ZONES; z++) {
			const struct pglist_data *pg = NODE_DATA(nid);
			const struct zone *zone = &pg->node_zones[z];

			if (!zone->present_pages)
				continue;
			if (nid >= nr_online_nodes || zone->node != nid ||
			    zone->zone_start_pfn < pg->node_start_pfn ||
			    zone_end_pfn(zone) > pg->node_start_pfn +
						 pg->node_spanned_pages)
				report(c, "node %d: zone %s (node %d) spans %"
				       PRIu64 "-%" PRIu64 " outside the node",
				       nid, zone->name, zone->node,
				       zone->zone_start_pfn, zone_end_pfn(zone));
		}
	for (int i = 0; i < NR_VM_NUMA_EVENT_ITEMS; i++)
		ev[i] = sum_numa_event((enum numa_stat_item)i);
	if (ev[NUMA_HIT] + ev[NUMA_MISS] != ev[NUMA_LOCAL] + ev[NUMA_OTHER] ||
	    ev[NUMA_MISS] != ev[NUMA_FOREIGN])
		report(c, "numa: hit %" PRIu64 " miss %" PRIu64 " foreign %"
		       PRIu64 " local %" PRIu64 " other %" PRIu64
		       " do not balance", ev[NUMA_HIT], ev[NUMA_MISS],
		       ev[NUMA_FOREIGN], ev[NUMA_LOCAL], ev[NUMA_OTHER]);
}

/* check_pcp - every zone's per-cpu lists: their pages are free but not
 * in a buddy block, so they are counted here (after the buddy). */
static void check_pcp(struct checker *c)
{
	struct zone *z;

	for_each_zone(z)
		for (int cpu = 0; cpu < HW_MAX_CPUS; cpu++)
			check_pcp_list(c, z, cpu);
}

/* ---- page tables ---- */

/* check_leaf - one present leaf entry of c->mm at va. */
static void check_leaf(struct checker *c, uint64_t va, pte_t pte)
{
	struct vm_area_struct *vma = find_vma(c->mm, va);
	uint64_t pfn = pte_pfn(pte);
	struct page *page;

	if (!vma || vma->vm_start > va) {
		report(c, "mm %" PRIu64 ": entry at %#" PRIx64 " outside any "
		       "vma", c->mm->id, va);
		return;
	}
	if (pfn >= max_pfn) {
		report(c, "mm %" PRIu64 ": entry at %#" PRIx64 " maps pfn %"
		       PRIu64 " beyond RAM", c->mm->id, va, pfn);
		return;
	}
	if (pte_special(pte) && vma->vm_special) {
		if (!special_pfn_ok(vma, va, pfn) || pte_write_ok(pte))
			report(c, "mm %" PRIu64 ": %s entry at %#" PRIx64
			       " maps pfn %" PRIu64 " or is writable",
			       c->mm->id, vma->vm_special->name, va, pfn);
		return;
	}
	if (pfn == zero_pfn) {
		count_node(c, zero_pfn, NR_ZERO_MAPPED, 1);
		if (pte_write_ok(pte) || !pte_special(pte))
			report(c, "mm %" PRIu64 ": zero page at %#" PRIx64
			       " writable or not special", c->mm->id, va);
		return;
	}
	page = pfn_to_page(pfn);
	c->fc[pfn].refs++;
	c->fc[pfn].maps++;
	if (vma->vm_flags & VM_LOCKED)
		c->fc[pfn].mlocks++;
	c->rss[mm_counter(page)]++;
	if (PageAnon(page) && (page->mapping != vma->anon_vma ||
			       page->index != linear_page_index(vma, va)))
		report(c, "rmap: pfn %" PRIu64 " at %#" PRIx64 " of mm %" PRIu64
		       " has mapping/index that do not lead back", pfn, va,
		       c->mm->id);
	if (!PageAnon(page) && (page->mapping != vma->vm_file ||
				page->index != linear_page_index(vma, va)))
		report(c, "rmap: cache pfn %" PRIu64 " at %#" PRIx64
		       " not at its index", pfn, va);
	if (pte_write_ok(pte) && PageAnon(page) &&
	    page->refcount > 1 + (int)PageSwapCache(page))
		report(c, "cow: pfn %" PRIu64 " writable at %#" PRIx64
		       " in mm %" PRIu64 " but shared (refcount %d)", pfn, va,
		       c->mm->id, page->refcount);
}

/* check_table_entry - walk callback for an entry above the leaves: a bad
 * one (not present, a large page, or a table beyond RAM) is reported and
 * not gone into; a table is counted as a use of its frame. */
static int check_table_entry(struct pte_ref ref, uint64_t addr,
			     uint64_t next, struct mm_walk *walk)
{
	struct checker *c = walk->private;
	pte_t e = pte_read(ref);
	uint64_t child = pte_pfn(e);

	if (!pt_entry_is_table(e) || child >= max_pfn) {
		report(c, "mm %" PRIu64 ": bad level-%d entry %#" PRIx64,
		       c->mm->id, walk->level, e);
		walk->action = ACTION_CONTINUE;
		return 0;
	}
	c->tables++;
	c->fc[child].table++;
	c->fc[child].refs++;
	return 0;
}

/* check_swap_entry - a swap entry of c->mm at va: in an anonymous or
 * private vma, naming a slot in use of an existing area. */
static void check_swap_entry(struct checker *c, uint64_t va, pte_t pte)
{
	struct vm_area_struct *vma = find_vma(c->mm, va);
	swp_entry_t e = pte_to_swp_entry(pte);
	unsigned int type = swp_type(e);
	uint64_t off = swp_offset(e);
	struct swap_info_struct *si = type < MAX_SWAPFILES ? swap_info[type] :
			     NULL;

	if (!vma || vma->vm_start > va || (vma->vm_flags & VM_SHARED)) {
		report(c, "mm %" PRIu64 ": swap entry at %#" PRIx64 " outside "
		       "a private vma", c->mm->id, va);
		return;
	}
	if (!si || !off || off >= si->max || !c->swap_refs[type]) {
		report(c, "mm %" PRIu64 ": entry %#" PRIx64 " at %#" PRIx64
		       " names no swap slot", c->mm->id, pte, va);
		return;
	}
	c->swap_refs[type][off]++;
	c->rss[MM_SWAPENTS]++;
}

/* check_pte_entry - walk callback for a leaf slot: a present entry or a
 * swap entry is checked. */
static int check_pte_entry(struct pte_ref ref, uint64_t addr, uint64_t next,
			   struct mm_walk *walk)
{
	struct checker *c = walk->private;
	pte_t e = pte_read(ref);

	if (pte_present(e))
		check_leaf(c, addr, e);
	else if (e)
		check_swap_entry(c, addr, e);
	return 0;
}

static const struct mm_walk_ops check_walk_ops = {
	.pgd_entry = check_table_entry,
	.pud_entry = check_table_entry,
	.pmd_entry = check_table_entry,
	.pte_entry = check_pte_entry,
};

/* check_vmas - the vma tree and the counters derived from vmas. */
static void check_vmas(struct checker *c, struct mm_struct *mm)
{
	uint64_t total = 0, locked = 0;
	struct vm_area_struct *v;
	char buf[512];

	if (vma_tree_check(mm, buf, sizeof(buf)))
		report(c, "mm %" PRIu64 ": %s", mm->id, buf);
	for (v = mm->mmap; v; v = v->vm_next) {
		total += vma_pages(v);
		if (v->vm_flags & VM_LOCKED)
			locked += vma_pages(v);
		if (v->vm_flags & VM_ACCOUNT)
			c->committed += (int64_t)vma_pages(v);
		if (v->anon_vma && v->anon_vma != mm->anon_vma)
			report(c, "mm %" PRIu64 ": vma %#" PRIx64 " has a "
			       "foreign anon_vma", mm->id, v->vm_start);
		if ((v->vm_flags & VM_SHARED) && !v->vm_file)
			report(c, "mm %" PRIu64 ": shared vma %#" PRIx64
			       " without object", mm->id, v->vm_start);
		if (v->vm_end > mm->task_size)
			report(c, "mm %" PRIu64 ": vma %#" PRIx64 " beyond "
			       "TASK_SIZE", mm->id, v->vm_start);
	}
	if (total != mm->total_vm || locked != mm->locked_vm)
		report(c, "mm %" PRIu64 ": total_vm %" PRIu64 "/locked_vm %"
		       PRIu64 " but vmas hold %" PRIu64 "/%" PRIu64, mm->id,
		       mm->total_vm, mm->locked_vm, total, locked);
}

/* check_mm_refs - mm_users counts tasks, mm_count their share plus the
 * CPUs holding the mm lazily. */
static void check_mm_refs(struct checker *c, struct mm_struct *mm)
{
	struct list_head *l;
	int users = 0, count, i;

	list_for_each(l, &task_list)
		if (list_entry(l, struct task_struct, tasks)->mm == mm)
			users++;
	count = users ? 1 : 0;
	for (i = 0; i < hw.nr_cpus; i++)
		count += cpu_active_mm[i] == mm;
	if (users != mm->mm_users || count != mm->mm_count)
		report(c, "mm %" PRIu64 ": mm_users %d mm_count %d, expected "
		       "%d %d", mm->id, mm->mm_users, mm->mm_count, users,
		       count);
}

/* ---- the kernel half ---- */

/* canon - the address the walker numbers va (48 bits) as the CPU does. */
static uint64_t canon(uint64_t va)
{
	return kernel_is_64bit() ? (uint64_t)((int64_t)(va << 16) >> 16) : va;
}

/* check_kernel_entry - walk callback for every entry of init_mm's kernel
 * half: none is user accessible; a table from the buddy allocator (not
 * one of the image's) counts as a use of its frame; a leaf of the
 * vmalloc area as a mapping of a vmalloc page. */
static int check_kernel_entry(struct pte_ref ref, uint64_t addr,
			      uint64_t next, struct mm_walk *walk)
{
	struct checker *c = walk->private;
	pte_t e = pte_read(ref);
	uint64_t pfn = pte_pfn(e), va = canon(addr);

	if (pte_none(e))
		return 0;
	if ((e & _PAGE_USER) || pfn >= max_pfn) {
		report(c, "init_mm: level-%d entry %#" PRIx64 " at %#" PRIx64
		       " is user accessible or beyond RAM", walk->level, e, va);
		walk->action = ACTION_CONTINUE;
		return 0;
	}
	if (walk->level > 1 && pt_entry_is_table(e)) {
		if (!PageReserved(pfn_to_page(pfn))) {
			c->tables++;
			c->fc[pfn].table++;
			c->fc[pfn].refs++;
		}
	} else if (va >= vmalloc_start() && va < vmalloc_end()) {
		c->vmalloc_leaves++;
		if (c->fc[pfn].vmaps < UINT8_MAX)
			c->fc[pfn].vmaps++;
	}
	return 0;
}

static const struct mm_walk_ops check_kernel_ops = {
	.pgd_entry = check_kernel_entry,
	.pud_entry = check_kernel_entry,
	.pmd_entry = check_kernel_entry,
	.pte_entry = check_kernel_entry,
};

/* check_vmap_area - each page of area a is mapped at its address to its
 * frame, and its guard page is not mapped. */
static void check_vmap_area(struct checker *c, const struct vmap_area *a)
{
	uint64_t i;
	struct pte_ref r;

	for (i = 0; i <= a->nr_pages; i++) {
		uint64_t va = a->va_start + i * PAGE_SIZE;
		pte_t e = walk_pte(&init_mm, va, false, &r) ? 0 : pte_read(r);
		bool guard = i == a->nr_pages;

		if (guard ? !pte_none(e) :
		    !(e & _PAGE_PRESENT) || pte_pfn(e) != a->pfns[i])
			report(c, "vmalloc: %s at %#" PRIx64 " is %#" PRIx64,
			       guard ? "guard page" : "page", va, e);
	}
}

/* check_kernel - init_mm's tables, the areas, and every mm's kernel
 * top-level entries against init_mm's. */
static void check_kernel(struct checker *c)
{
	unsigned int i, n = pt_entries(hw.geom);
	uint64_t top = 1ULL << hw.geom->va_bits, pages = 0;
	struct list_head *l;

	c->tables = 0;
	walk_page_range(&init_mm, kernel_half_start(), top, &check_kernel_ops,
			c);
	if ((int64_t)(c->tables * PAGE_SIZE) != init_mm.pgtables_bytes)
		report(c, "init_mm: pgtables_bytes %" PRId64 " but %" PRIu64
		       " tables", init_mm.pgtables_bytes, c->tables);
	list_for_each(l, &vmap_area_list) {
		const struct vmap_area *a = list_entry(l, struct vmap_area,
						       list);

		check_vmap_area(c, a);
		pages += a->nr_pages;
	}
	if (pages != vmalloc_nr_pages() || pages != c->vmalloc_leaves)
		report(c, "vmalloc: VmallocUsed %" PRIu64 " pages, areas hold %"
		       PRIu64 ", init_mm maps %" PRIu64, vmalloc_nr_pages(),
		       pages, c->vmalloc_leaves);
	list_for_each(l, &all_mms) {
		struct mm_struct *mm = list_entry(l, struct mm_struct, mmlist);

		for (i = kernel_pgd_first(); i < n; i++) {
			pte_t e = pte_read((struct pte_ref){ mm->pgd, i });
			pte_t k = pte_read((struct pte_ref){ swapper_pgd, i });

			if (e != k && !(boot_params.vmalloc_fault && !e))
				report(c, "mm %" PRIu64 ": kernel entry %u is %#"
				       PRIx64 ", init_mm's %#" PRIx64, mm->id, i,
				       e, k);
		}
	}
}

/* check_mm - one address space. */
static void check_mm(struct checker *c, struct mm_struct *mm)
{
	int i;

	c->mm = mm;
	c->tables = 0;
	memset(c->rss, 0, sizeof(c->rss));
	c->fc[mm->pgd >> PAGE_SHIFT].table++;
	c->fc[mm->pgd >> PAGE_SHIFT].refs++;
	walk_page_tables(mm, &check_walk_ops, c);
	if ((int64_t)(c->tables * PAGE_SIZE) != mm->pgtables_bytes)
		report(c, "mm %" PRIu64 ": pgtables_bytes %" PRId64 " but %"
		       PRIu64 " tables", mm->id, mm->pgtables_bytes, c->tables);
	for (i = 0; i < NR_MM_COUNTERS; i++)
		if (c->rss[i] != mm->rss_stat[i])
			report(c, "mm %" PRIu64 ": rss counter %d is %" PRId64
			       " but %" PRId64 " entries", mm->id, i,
			       mm->rss_stat[i], c->rss[i]);
	check_vmas(c, mm);
	check_mm_refs(c, mm);
}

/* check_shmem_swap - the swap entry a shmem object keeps at index in
 * place of its page: a slot in use of an existing area, and no page in
 * the object at the same index. */
static void check_shmem_swap(struct checker *c, struct address_space *m,
			     uint64_t index)
{
	swp_entry_t e = { m->swap[index] };
	unsigned int type = swp_type(e);
	uint64_t off = swp_offset(e);
	struct swap_info_struct *si = type < MAX_SWAPFILES ? swap_info[type] :
			     NULL;

	if (m->pages[index])
		report(c, "shmem %" PRIu64 ": slot %" PRIu64 " holds a page "
		       "and a swap entry", m->id, index);
	if (!si || !off || off >= si->max || !c->swap_refs[type]) {
		report(c, "shmem %" PRIu64 ": entry %#" PRIx64 " at %" PRIu64
		       " names no swap slot", m->id, e.val, index);
		return;
	}
	c->swap_refs[type][off]++;
}

/* check_xa_nodes - the xarray nodes an object holds against those its
 * used slots need; counts them, and its host file, for check_slabs. */
static void check_xa_nodes(struct checker *c, struct address_space *m)
{
	uint64_t want = xa_nodes_expected(mapping_slot_used, m, m->nr_index);

	if (want != m->i_pages.nr_nodes)
		report(c, "cache: object %" PRIu64 " holds %" PRIu64 " xarray "
		       "nodes, its slots need %" PRIu64, m->id,
		       m->i_pages.nr_nodes, want);
	c->radix_nodes += m->i_pages.nr_nodes;
	c->host_files += m->fd >= 0;
}

/* check_cache - one object's cache (once per check). */
static void check_cache(struct checker *c, struct address_space *m,
			uint64_t gen)
{
	uint64_t i, written = 0, swapped = 0;

	if (m->check_gen == gen)
		return;
	m->check_gen = gen;
	c->committed += m->charged;
	c->shmem_objects += m->shmem;
	for (i = 0; i < m->nr_index; i++) {
		struct page *p = m->pages[i];

		written += m->written && m->written[i];
		if (m->swap && m->swap[i]) {
			swapped++;
			check_shmem_swap(c, m, i);
		}
		if (!p)
			continue;
		if (m->shadows && m->shadows[i])
			report(c, "cache: slot %" PRIu64 " of object %" PRIu64
			       " holds a page and a shadow", i, m->id);
		c->fc[page_to_pfn(p)].refs++;
		count_node(c, page_to_pfn(p), NR_FILE_PAGES, 1);
		count_node(c, page_to_pfn(p), NR_SHMEM, m->shmem);
		count_node(c, page_to_pfn(p), NR_FILE_DIRTY,
			   !m->shmem && PageFlag(p, PG_dirty));
		if (p->mapping != m || p->index != i)
			report(c, "cache: pfn %" PRIu64 " in slot %" PRIu64
			       " of object %" PRIu64 " points elsewhere",
			       page_to_pfn(p), i, m->id);
	}
	check_xa_nodes(c, m);
	if (swapped != m->nr_swapped)
		report(c, "shmem %" PRIu64 ": %" PRIu64 " entries in swap, "
		       "counts %" PRIu64, m->id, swapped, m->nr_swapped);
	if (written != m->nr_written)
		report(c, "cache: object %" PRIu64 " has %" PRIu64
		       " written pages, counts %" PRIu64, m->id, written,
		       m->nr_written);
}

/* check_caches - the page caches of every object some vma maps, and of
 * every host file still cached. */
static void check_caches(struct checker *c)
{
	static uint64_t gen;
	struct list_head *l;

	gen++;
	list_for_each(l, &file_cache)
		check_cache(c, list_entry(l, struct address_space, files), gen);
	list_for_each(l, &all_mms) {
		struct mm_struct *mm = list_entry(l, struct mm_struct, mmlist);
		struct vm_area_struct *v;

		for (v = mm->mmap; v; v = v->vm_next)
			if (v->vm_file)
				check_cache(c, v->vm_file, gen);
	}
}

/* check_swap_slot - one slot of si against the entries found and its
 * cached page; returns whether it is in use. */
static bool check_swap_slot(struct checker *c, struct swap_info_struct *si,
			    uint64_t off)
{
	uint32_t map = si->swap_map[off], refs = c->swap_refs[si->type][off];
	uintptr_t v = si->cache[off];
	struct page *p = v && !swap_cache_is_shadow(v) ? (struct page *)v :
			 NULL;

	if ((map & SWAP_COUNT_MASK) != refs)
		report(c, "swap %u:%" PRIu64 ": count %u but %u entries",
		       si->type, off, map & SWAP_COUNT_MASK, refs);
	if (!!(map & SWAP_HAS_CACHE) != !!p)
		report(c, "swap %u:%" PRIu64 ": cache flag %d but %s page",
		       si->type, off, !!(map & SWAP_HAS_CACHE), p ? "a" : "no");
	if (v && swap_cache_is_shadow(v) && !map)
		report(c, "swap %u:%" PRIu64 ": a shadow in a free slot",
		       si->type, off);
	if (!!map != !!si->memcg_id[off] ||
	    (map && !mem_cgroup_from_id(si->memcg_id[off])))
		report(c, "swap %u:%" PRIu64 ": charged to group %u", si->type,
		       off, si->memcg_id[off]);
	else if (map)
		c->memcg_slots[si->memcg_id[off]]++;
	if (p) {
		uint64_t pfn = page_to_pfn(p);

		if (!PageSwapCache(p) || p->private != swp_entry(si->type,
								 off).val)
			report(c, "swap %u:%" PRIu64 ": pfn %" PRIu64 " does not "
			       "point back", si->type, off, pfn);
		c->fc[pfn].refs++;
		count_node(c, pfn, NR_FILE_PAGES, 1);
		count_node(c, pfn, NR_SWAPCACHE, 1);
	}
	return map != 0;
}

/* check_swap - every area's slots and counts. */
static void check_swap(struct checker *c)
{
	uint64_t free = 0, total = 0, cached = 0;

	for (int t = 0; t < MAX_SWAPFILES; t++) {
		struct swap_info_struct *si = swap_info[t];
		uint64_t inuse = 0, nc = 0;

		if (!si || !c->swap_refs[t])
			continue;
		for (uint64_t off = 1; off < si->max; off++) {
			uintptr_t v = si->cache[off];

			inuse += check_swap_slot(c, si, off);
			nc += v && !swap_cache_is_shadow(v);
		}
		if (si->swap_map[0] || si->cache[0])
			report(c, "swap %d: the header slot is used", t);
		if (inuse != si->inuse_pages || nc != si->nr_cached)
			report(c, "swap %d: %" PRIu64 " slots in use, %" PRIu64
			       " cached; counted %" PRIu64 ", %" PRIu64, t,
			       si->inuse_pages, si->nr_cached, inuse, nc);
		if (si->flags & SWP_WRITEOK) {
			free += si->pages - inuse;
			total += si->pages;
		}
		cached += nc;
	}
	if (free != nr_swap_pages || total != total_swap_pages ||
	    cached != total_swapcache_pages)
		report(c, "swap: %" PRIu64 " free of %" PRIu64 ", %" PRIu64
		       " cached, but the areas hold %" PRIu64 " of %" PRIu64
		       ", %" PRIu64, nr_swap_pages, total_swap_pages,
		       total_swapcache_pages, free, total, cached);
}

/* check_frame_use - a frame in use: its counts against what was found. */
static void check_frame_use(struct checker *c, uint64_t pfn)
{
	struct page *p = pfn_to_page(pfn);
	struct frame_count *f = &c->fc[pfn];

	if (PageFlag(p, PG_vmalloc) || f->vmaps) {
		if (!PageFlag(p, PG_vmalloc) || f->vmaps != 1 || f->refs ||
		    p->refcount != 1 || p->mapcount)
			report(c, "frame %" PRIu64 ": vmalloc page %d mapped %u "
			       "times in init_mm, refcount %d mapcount %d", pfn,
			       PageFlag(p, PG_vmalloc), f->vmaps, p->refcount,
			       p->mapcount);
		return;
	}
	if (PageTable(p)) {
		count_node(c, pfn, NR_PAGETABLE, 1);
		if (f->table != 1 || p->refcount != 1)
			report(c, "frame %" PRIu64 ": page table used %u times, "
			       "refcount %d", pfn, f->table, p->refcount);
		return;
	}
	if (f->table)
		report(c, "frame %" PRIu64 ": used as a page table but not "
		       "marked", pfn);
	if ((uint32_t)p->refcount != f->refs || (uint32_t)p->mapcount != f->maps)
		report(c, "frame %" PRIu64 ": refcount %d mapcount %d, expected "
		       "%u %u%s", pfn, p->refcount, p->mapcount, f->refs,
		       f->maps, f->refs ? "" : " (lost)");
	if (p->mapcount > 0)
		count_node(c, pfn, PageAnon(p) ? NR_ANON_MAPPED :
			   NR_FILE_MAPPED, 1);
	if (p->memcg)
		c->memcg_pages[p->memcg->id]++;
	if (PageFlag(p, PG_mlocked))
		count_node(c, pfn, NR_MLOCK, 1);
	if (f->mlocks != (PageFlag(p, PG_mlocked) ? p->mlock_count : 0))
		report(c, "frame %" PRIu64 ": mlock_count %u, expected %u", pfn,
		       PageFlag(p, PG_mlocked) ? p->mlock_count : 0, f->mlocks);
	if (!PageLRU(p))
		report(c, "frame %" PRIu64 ": user page not on an LRU list",
		       pfn);
}

/* check_slab_frame - a frame of a slab: of a cache, mapped by no user
 * entry, counted in the slab gauges (the slab itself: slab_check). */
static void check_slab_frame(struct checker *c, uint64_t pfn)
{
	const struct kmem_cache *s = slab_cache_of(pfn_to_page(pfn));

	count_node(c, pfn, s->reclaimable ? NR_SLAB_RECLAIMABLE :
		   NR_SLAB_UNRECLAIMABLE, 1);
	if (c->fc[pfn].refs || c->fc[pfn].table)
		report(c, "frame %" PRIu64 ": a %s slab but mapped", pfn,
		       s->name);
}

/* count_anon_vma - av (or NULL) once per check into *n. */
static void count_anon_vma(struct anon_vma *av, uint64_t gen, uint64_t *n)
{
	if (av && av->check_gen != gen) {
		av->check_gen = gen;
		(*n)++;
	}
}

/* check_kmalloc - the objects of vmap_area and of each kmalloc cache
 * against the kernel's kmalloc users: the vmalloc areas, which hold a
 * vmap_area, a kmalloc'd vm_struct and page array each, the swap
 * areas' swap_info_structs and the memory cgroups' mem_cgroup_per_node
 * (each group also holds a mem_cgroup object). */
static void check_kmalloc(struct checker *c)
{
	uint64_t want[KMALLOC_SHIFT_HIGH + 1] = { 0 }, areas = 0, groups = 0;
	struct mem_cgroup *m;
	struct list_head *l;

	list_for_each(l, &vmap_area_list) {
		const struct vmap_area *a = list_entry(l, struct vmap_area,
						       list);
		uint64_t array = vmalloc_pages_array_size(a->nr_pages);

		areas++;
		want[kmalloc_index(VM_STRUCT_SIZE)]++;
		if (array <= PAGE_SIZE)
			want[kmalloc_index(array)]++;
	}
	for (int t = 0; t < MAX_SWAPFILES; t++)
		if (swap_info[t])
			want[kmalloc_index(SWAP_INFO_STRUCT_SIZE)]++;
	for (m = NULL; (m = mem_cgroup_iter(&root_mem_cgroup, m)); groups++)
		want[kmalloc_index(MEM_CGROUP_PER_NODE_SIZE)]++;
	if (groups != mem_cgroup_cachep->inuse)
		report(c, "slab: %" PRIu64 " memory cgroups, mem_cgroup holds %"
		       PRIu64, groups, mem_cgroup_cachep->inuse);
	if (areas != vmap_area_cachep->inuse)
		report(c, "slab: %" PRIu64 " vmalloc areas, vmap_area holds %"
		       PRIu64, areas, vmap_area_cachep->inuse);
	for (unsigned int i = 1; i <= KMALLOC_SHIFT_HIGH; i++)
		if (want[i] != kmalloc_caches[i]->inuse)
			report(c, "slab: %s holds %" PRIu64 " objects, the "
			       "kernel's kmalloc users %" PRIu64,
			       kmalloc_caches[i]->name,
			       kmalloc_caches[i]->inuse, want[i]);
}

/* check_slabs - the caches against their slabs, and the objects in use
 * against the kernel's structures that hold them: every task, every mm
 * and its vmas, every anon_vma an mm or a vma refers to (which is every
 * live one: they hold its references), every shmem object (counted by
 * check_caches, which runs first). */
static void check_slabs(struct checker *c)
{
	static uint64_t gen;
	uint64_t tasks = 0, mms = 0, vmas = 0, avs = 0;
	struct list_head *l;
	char why[200];

	gen++;
	if (!slab_check(why, sizeof(why)))
		report(c, "%s", why);
	list_for_each(l, &task_list)
		tasks++;
	list_for_each(l, &all_mms) {
		struct mm_struct *mm = list_entry(l, struct mm_struct, mmlist);
		struct vm_area_struct *v;

		mms++;
		vmas += (uint64_t)mm->map_count;
		count_anon_vma(mm->anon_vma, gen, &avs);
		for (v = mm->mmap; v; v = v->vm_next)
			count_anon_vma(v->anon_vma, gen, &avs);
	}
	if (avs != anon_vma_cachep->inuse)
		report(c, "slab: %" PRIu64 " anon_vmas, anon_vma holds %" PRIu64,
		       avs, anon_vma_cachep->inuse);
	if (c->shmem_objects != shmem_inode_cachep->inuse)
		report(c, "slab: %" PRIu64 " shmem objects, shmem_inode_cache "
		       "holds %" PRIu64, c->shmem_objects,
		       shmem_inode_cachep->inuse);
	check_kmalloc(c);
	if (c->radix_nodes != radix_tree_node_cachep->inuse)
		report(c, "slab: %" PRIu64 " xarray nodes, radix_tree_node "
		       "holds %" PRIu64, c->radix_nodes,
		       radix_tree_node_cachep->inuse);
	if (c->host_files != filp_cachep->inuse ||
	    c->host_files != inode_cachep->inuse)
		report(c, "slab: %" PRIu64 " open host files, filp and "
		       "inode_cache hold %" PRIu64 " and %" PRIu64,
		       c->host_files, filp_cachep->inuse, inode_cachep->inuse);
	if (tasks != task_struct_cachep->inuse || mms != mm_cachep->inuse ||
	    vmas != vm_area_cachep->inuse)
		report(c, "slab: %" PRIu64 " tasks, %" PRIu64 " mms, %" PRIu64
		       " vmas; task_struct, mm_struct, vm_area_struct hold %"
		       PRIu64 ", %" PRIu64 ", %" PRIu64, tasks, mms, vmas,
		       task_struct_cachep->inuse, mm_cachep->inuse,
		       vm_area_cachep->inuse);
}

/* check_large_kmalloc - the block of a kmalloc_large at head pfn: one
 * reference, mapped by no user entry, counted as unreclaimable slab.  The
 * frames of the block. */
static uint64_t check_large_kmalloc(struct checker *c, uint64_t pfn)
{
	const struct page *p = pfn_to_page(pfn);
	uint64_t n = 1ULL << p->private;

	if (p->refcount != 1 || pfn + n > max_pfn || pfn & (n - 1))
		report(c, "frame %" PRIu64 ": kmalloc_large block of order %"
		       PRIu64 " with refcount %d", pfn, p->private,
		       p->refcount);
	for (uint64_t i = pfn; i < pfn + n && i < max_pfn; i++)
		if (c->fc[i].refs || c->fc[i].table || c->fc[i].free)
			report(c, "frame %" PRIu64 ": in a kmalloc_large "
			       "block but used", i);
	count_node(c, pfn, NR_SLAB_UNRECLAIMABLE, (int64_t)n);
	return n;
}

/* check_stack_area - x86-64: t's kernel stack is a whole area of the
 * stack's caller, of THREAD_SIZE. */
static void check_stack_area(struct checker *c, const struct task_struct *t)
{
	struct list_head *l;

	list_for_each(l, &vmap_area_list) {
		const struct vmap_area *a = list_entry(l, struct vmap_area, list);

		if (a->va_start == t->stack && a->caller == thread_stack_caller &&
		    a->nr_pages << PAGE_SHIFT == thread_size()) {
			for (uint64_t i = 0; i < a->nr_pages; i++)
				count_node(c, a->pfns[i], NR_KERNEL_STACK_KB,
					   PAGE_SIZE >> 10);
			return;
		}
	}
	report(c, "task %d: kernel stack %#" PRIx64 " is no stack area", t->pid,
	       t->stack);
}

/* check_stacks - every live task has a kernel stack and a zombie none;
 * the stacks against NR_KERNEL_STACK_KB and, on x86-64, the stack areas
 * (i386: their frames are marked for check_frames). */
static void check_stacks(struct checker *c)
{
	uint64_t stacks = 0, areas = 0;
	struct list_head *l;

	list_for_each(l, &task_list) {
		struct task_struct *t = list_entry(l, struct task_struct, tasks);
		uint64_t pfn = (t->stack - page_offset()) >> PAGE_SHIFT;

		if (!t->stack != (t->exit_state == EXIT_ZOMBIE))
			report(c, "task %d: state %c with kernel stack %#" PRIx64,
			       t->pid, task_state(t), t->stack);
		if (!t->stack)
			continue;
		stacks++;
		if (kernel_is_64bit()) {
			check_stack_area(c, t);
		} else if (pfn + 1 >= max_pfn) {
			report(c, "task %d: kernel stack %#" PRIx64 " outside "
			       "RAM", t->pid, t->stack);
		} else {
			c->fc[pfn].kstack++;
			c->fc[pfn + 1].kstack++;
			count_node(c, pfn, NR_KERNEL_STACK_KB,
				   2 * (PAGE_SIZE >> 10));
		}
	}
	list_for_each(l, &vmap_area_list)
		areas += list_entry(l, struct vmap_area, list)->caller ==
			 thread_stack_caller;
	if (areas != (kernel_is_64bit() ? stacks : 0))
		report(c, "vmalloc: %" PRIu64 " stack areas for %" PRIu64
		       " stacks", areas, stacks);
}

/* check_kstack_frame - i386: a frame of one task's order-1 stack block:
 * the head with the block's reference, the tail none, mapped by no
 * user entry. */
static void check_kstack_frame(struct checker *c, uint64_t pfn)
{
	const struct page *p = pfn_to_page(pfn);
	const struct task_struct *t = task_of_stack_pfn(pfn);
	bool head = t && pfn == (t->stack - page_offset()) >> PAGE_SHIFT;

	if (c->fc[pfn].kstack != 1 || c->fc[pfn].refs || c->fc[pfn].table ||
	    p->refcount != (head ? 1 : 0) || p->flags)
		report(c, "frame %" PRIu64 ": kernel stack frame used %u times, "
		       "refcount %d, flags %#x", pfn, c->fc[pfn].kstack,
		       p->refcount, p->flags);
}

/* check_frames - every frame is free, reserved or accounted for. */
static void check_frames(struct checker *c)
{
	uint64_t pfn, large = 0;

	for (pfn = 0; pfn < max_pfn; pfn++) {
		struct page *p = pfn_to_page(pfn);
		struct frame_count *f = &c->fc[pfn];

		if (f->free) {
			if (!PageBuddy(p) && (p->flags || p->refcount))
				report(c, "frame %" PRIu64 ": inside a free block "
				       "but flags %#x refcount %d", pfn, p->flags,
				       p->refcount);
			if (f->refs)
				report(c, "frame %" PRIu64 ": free but mapped",
				       pfn);
			continue;
		}
		if (PageFlag(p, PG_slab)) {
			check_slab_frame(c, pfn);
			continue;
		}
		if (PageFlag(p, PG_large_kmalloc)) {
			uint64_t n = check_large_kmalloc(c, pfn);

			large += n;
			pfn += n - 1;
			continue;
		}
		if (f->kstack) {
			check_kstack_frame(c, pfn);
			continue;
		}
		if (PageReserved(p)) {
			if (p->refcount != 1 || f->refs)
				report(c, "frame %" PRIu64 ": reserved with "
				       "refcount %d, %u references", pfn,
				       p->refcount, f->refs);
			continue;
		}
		if (p->refcount == 0 && !f->refs) {
			report(c, "frame %" PRIu64 ": neither free nor in use "
			       "(lost)", pfn);
			continue;
		}
		check_frame_use(c, pfn);
	}
	if (large != kmalloc_large_pages())
		report(c, "slab: kmalloc_large blocks hold %" PRIu64 " frames, "
		       "counted %" PRIu64, large, kmalloc_large_pages());
}

/* check_lruvec - the lists of group m on every node (none on a node the
 * machine does not have): membership (the page's group and node) and
 * sizes, and LRU's heap of them. */
static void check_lruvec(struct checker *c, struct mem_cgroup *m)
{
	const char *why;
	int lru;

	for (int nid = 0; nid < MAX_NUMNODES; nid++)
	for (lru = 0; lru < NR_LRU_LISTS; lru++) {
		struct lruvec *lv = &m->lruvec[nid];
		struct list_head *l;
		uint64_t n = 0;

		list_for_each(l, &lv->lists[lru]) {
			struct page *p = list_entry(l, struct page, lru);

			if (!PageLRU(p) || page_lru(p) != (enum lru_list)lru ||
			    p->refcount <= 0 || page_lruvec(p) != lv)
				report(c, "lru: pfn %" PRIu64 " on list %d of "
				       "group %u node %d wrongly (flags %#x)",
				       page_to_pfn(p), lru, m->id, nid,
				       p->flags);
			c->zone_lru[page_to_nid(p)][page_zonenum(p)][lru]++;
			n++;
		}
		if (n != lv->nr_pages[lru])
			report(c, "lru: list %d of group %u node %d holds %"
			       PRIu64 " pages, counted %" PRIu64, lru, m->id,
			       nid, n, lv->nr_pages[lru]);
	}
	if ((why = replace_check_lruvec(m)))
		report(c, "lru: group %u: %s", m->id, why);
}

/* check_memcg - every group's lists, and its memory and swap usage
 * against the pages and slots charged to it and its descendants. */
static void check_memcg(struct checker *c)
{
	struct mem_cgroup *m = NULL;
	struct zone *z;

	while ((m = mem_cgroup_iter(&root_mem_cgroup, m))) {
		uint64_t pages = 0, slots = 0;
		struct mem_cgroup *d = NULL;

		check_lruvec(c, m);
		while ((d = mem_cgroup_iter(m, d))) {
			pages += c->memcg_pages[d->id];
			slots += c->memcg_slots[d->id];
		}
		if (m->parent && (pages != m->usage || slots != m->swap_usage))
			report(c, "memcg %u: usage %" PRIu64 " swap %" PRIu64
			       ", charged %" PRIu64 " pages %" PRIu64 " slots",
			       m->id, m->usage, m->swap_usage, pages, slots);
	}
	for_each_zone(z)
		for (int l = 0; l < NR_LRU_LISTS; l++)
			if (c->zone_lru[z->node][zone_idx(z)][l] !=
			    z->nr_zone_lru[l])
				report(c, "lru: node %d zone %s list %d holds %"
				       PRIu64 " pages, counted %" PRIu64,
				       z->node, z->name, l,
				       c->zone_lru[z->node][zone_idx(z)][l],
				       z->nr_zone_lru[l]);
}

/* check_tlb_entry - a cached translation must match the tables. */
static void check_tlb_entry(struct checker *c, struct cpu *cpu,
			    struct tlb_entry *e, uint64_t cr3)
{
	uint64_t va = e->vpn << PAGE_SHIFT, pfn;
	pte_t pte;

	if (!lookup_address(cr3, va, &pte, &pfn) || pfn != e->pfn ||
	    ((e->flags & TLB_WRITE) && !pte_write_ok(pte))) {
		report(c, "tlb: cpu %d caches %#" PRIx64 " -> pfn %" PRIu64
		       "%s, stale", cpu->id, va, e->pfn,
		       e->flags & TLB_WRITE ? " writable" : "");
	}
}

/* check_tlbs - every valid entry of every CPU (with PCID, entries of
 * other address spaces are checked against the mm owning that PCID). */
static void check_tlbs(struct checker *c)
{
	int i;

	for (i = 0; i < hw.nr_cpus; i++) {
		struct cpu *cpu = &hw.cpus[i];
		unsigned int j, n = cpu->tlb.sets * cpu->tlb.ways;

		for (j = 0; j < n; j++) {
			struct tlb_entry *e = &cpu->tlb.e[j];
			uint64_t cr3 = cpu->cr3;
			struct list_head *l;

			if (!(e->flags & TLB_VALID))
				continue;
			if (hw.pcid && e->pcid != cpu->pcid) {
				cr3 = 0;
				list_for_each(l, &all_mms) {
					struct mm_struct *mm = list_entry(
						l, struct mm_struct, mmlist);

					if (mm->pcid == e->pcid)
						cr3 = mm->pgd;
				}
				if (!cr3) {
					report(c, "tlb: cpu %d holds pcid %u of no "
					       "address space", i, e->pcid);
					continue;
				}
			}
			check_tlb_entry(c, cpu, e, cr3);
		}
	}
}

/* check_tasks - tasks, their mms and the CPUs running them. */
static void check_tasks(struct checker *c)
{
	struct list_head *l;
	int i;

	list_for_each(l, &task_list) {
		struct task_struct *t = list_entry(l, struct task_struct, tasks);

		if (t->exit_state == EXIT_ZOMBIE ? t->mm != NULL :
		    (!t->mm && !t->kthread))
			report(c, "task %d: state %c with mm %p", t->pid,
			       task_state(t), (void *)t->mm);
		if (t->on_cpu >= 0 && hw.cpus[t->on_cpu].current != t)
			report(c, "task %d: on cpu %d that runs another", t->pid,
			       t->on_cpu);
		if (find_task_by_pid(t->pid) != t)
			report(c, "task %d: not found by its pid", t->pid);
	}
	for (i = 0; i < hw.nr_cpus; i++) {
		struct task_struct *t = hw.cpus[i].current;
		struct mm_struct *mm = cpu_active_mm[i];

		if (t && (t->on_cpu != i || t->active_mm != mm))
			report(c, "cpu %d: current task %d inconsistent", i,
			       t->pid);
		if (hw.cpus[i].cr3 != (mm ? mm->pgd : swapper_pgd))
			report(c, "cpu %d: cr3 %#" PRIx64 " is not its active "
			       "mm's table", i, hw.cpus[i].cr3);
	}
}

/* check_gauges - incremental gauges against the recount. */
static void check_gauges(struct checker *c)
{
	int i, nid;

	for (i = 0; i < NR_VM_NODE_STAT_ITEMS; i++) {
		int64_t sum = 0;

		for_each_online_node(nid) {
			int64_t v = NODE_DATA(nid)->vm_stat[i];

			sum += c->node[nid][i];
			if (c->node[nid][i] != v)
				report(c, "vmstat: node %d %s is %" PRId64
				       ", recounted %" PRId64, nid,
				       node_stat_names[i], v, c->node[nid][i]);
		}
		if (sum != vmstat.node[i])
			report(c, "vmstat: %s is %" PRId64 ", recounted %" PRId64,
			       node_stat_names[i], vmstat.node[i], sum);
	}
	if (c->committed != vm_committed_as)
		report(c, "Committed_AS is %" PRId64 " pages, vmas and objects "
		       "hold %" PRId64, vm_committed_as, c->committed);
}

/* mm_check - see mm.h. */
int mm_check(char *buf, size_t size)
{
	static struct checker c;

	memset(&c, 0, sizeof(c));
	c.buf = buf;
	c.size = size;
	struct list_head *l;

	if (size)
		buf[0] = '\0';
	c.fc = calloc(max_pfn, sizeof(*c.fc));
	for (int t = 0; t < MAX_SWAPFILES; t++)
		if (swap_info[t] && c.fc)
			c.swap_refs[t] = calloc(swap_info[t]->max,
						sizeof(uint32_t));
	if (!c.fc) {
		report(&c, "check: out of host memory");
		return c.problems;
	}
	check_buddy(&c);
	check_pcp(&c);
	check_nodes(&c);
	check_stacks(&c);
	list_for_each(l, &all_mms)
		check_mm(&c, list_entry(l, struct mm_struct, mmlist));
	check_kernel(&c);
	check_caches(&c);
	check_swap(&c);
	check_frames(&c);
	check_slabs(&c);
	check_memcg(&c);
	check_tlbs(&c);
	check_tasks(&c);
	check_gauges(&c);
	for (int t = 0; t < MAX_SWAPFILES; t++)
		free(c.swap_refs[t]);
	free(c.fc);
	return c.problems;
}
