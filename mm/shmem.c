/*
 * shmem.c - the objects behind MAP_SHARED|MAP_ANONYMOUS mappings (Linux's
 * mm/shmem.c shmem_zero_setup, reduced) and the page cache they use
 * (mm/filemap.c): one page per (object, index), shared by every process
 * that maps the object, held by the cache with one reference.  Reclaim
 * swaps a dirty shmem page out as Linux's shmem_writeout does: the page
 * moves to the swap cache and the object keeps the slot's entry in its
 * place (one reference on the slot); a fault, or swapoff, brings it back.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "mm/memcontrol.h"
#include "mm/swap.h"
#include "mm/slab.h"
#include "kernel/kernel.h"
#include "kernel/trace.h"

/* Inode numbers of shmem objects, shown in maps ("/dev/zero (deleted)"). */
static uint64_t shmem_ino = 1024;

/* The shmem objects with pages in swap (Linux's shmem_swaplist), for
 * swapoff. */
static struct list_head shmem_swaplist = LIST_HEAD_INIT(shmem_swaplist);

/* shmem_zero_setup - see mm.h.  Commits size unless VM_NORESERVE (Linux's
 * shmem_acct_size); NULL when the commit is refused or memory is short. */
struct address_space *shmem_zero_setup(uint64_t size, uint64_t vm_flags)
{
	uint64_t pages = PAGE_ALIGN(size) >> PAGE_SHIFT;
	struct address_space *m = calloc(1, sizeof(*m));

	if (m)
		m->pages = calloc(pages ? pages : 1, sizeof(*m->pages));
	if (!m || !m->pages) {
		free(m);
		host_enomem();
		return NULL;
	}
	m->slab_obj = kmem_cache_alloc(shmem_inode_cachep);
	if (!m->slab_obj) {
		free(m->pages);
		free(m);
		return NULL;
	}
	if (!(vm_flags & VM_NORESERVE)) {
		if (vm_enough_memory((int64_t)pages)) {
			kmem_cache_free(shmem_inode_cachep, m->slab_obj);
			free(m->pages);
			free(m);
			return NULL;
		}
		m->charged = (int64_t)pages;
	}
	m->refcount = 1;
	m->id = shmem_ino++;
	m->shmem = true;
	m->size = PAGE_ALIGN(size);
	m->nr_index = pages;
	m->fd = -1;
	m->dev_minor = 1;
	INIT_LIST_HEAD(&m->files);
	m->name = strdup("/dev/zero (deleted)");
	if (!m->name) {
		vm_unacct_memory(m->charged);
		kmem_cache_free(shmem_inode_cachep, m->slab_obj);
		free(m->pages);
		free(m);
		host_enomem();
		return NULL;
	}
	return m;
}

/* dev_zero_open - see mm.h.  Linux's mmap_zero (drivers/char/mem.c)
 * gives a shared mapping a shmem object of its own (mmap_region calls
 * shmem_zero_setup) and leaves a private one anonymous. */
struct address_space *dev_zero_open(const char *path, uint32_t dev_major,
				    uint32_t dev_minor, uint64_t ino)
{
	struct address_space *m = calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	m->name = realpath(path, NULL);
	if (!m->name) {
		free(m);
		return NULL;
	}
	m->refcount = 1;
	m->id = ino;
	m->dev_major = dev_major;
	m->dev_minor = dev_minor;
	m->dev_zero = true;
	m->fd = -1;
	INIT_LIST_HEAD(&m->files);
	return m;
}

/* slot_used - does slot index of m hold an entry of Linux's xarray: a
 * page, a shadow or a swap entry? */
static bool slot_used(const struct address_space *m, uint64_t index)
{
	return m->pages[index] || (m->shadows && m->shadows[index]) ||
	       (m->swap && m->swap[index]);
}

/* slot_maybe_unused - slot index may have lost its last entry: its
 * xarray nodes follow. */
static void slot_maybe_unused(struct address_space *m, uint64_t index)
{
	if (!slot_used(m, index))
		xa_nodes_erase(&m->i_pages, index);
}

/* mapping_slot_used - see internal.h. */
bool mapping_slot_used(const void *m, uint64_t index)
{
	return slot_used(m, index);
}

/* shmem_forget_swap - the object's slot at index is no longer needed:
 * drop its reference (and a swap-cache page nobody else wants). */
static void shmem_forget_swap(struct address_space *m, uint64_t index)
{
	swp_entry_t e = { m->swap[index] };

	m->swap[index] = 0;
	slot_maybe_unused(m, index);
	if (!--m->nr_swapped)
		list_del(&m->files);
	free_swap_and_cache(e);
}

void mapping_get(struct address_space *m)
{
	m->refcount++;
}

/* mapping_put - drop a reference; the last frees the cached pages (none of
 * them may still be mapped) and the commit, or a /dev/zero object. */
void mapping_put(struct address_space *m)
{
	uint64_t i;

	BUG_ON(m->refcount <= 0);
	if (--m->refcount)
		return;
	if (m->dev_zero) {
		free(m->name);
		free(m);
		return;
	}
	if (!m->shmem) {
		filemap_release(m);
		return;
	}
	for (i = 0; i < m->nr_index && m->nrpages; i++)
		if (m->pages[i])
			delete_from_page_cache(m->pages[i]);
	BUG_ON(m->nrpages);
	for (i = 0; i < m->nr_index && m->nr_swapped; i++)
		if (m->swap[i])
			shmem_forget_swap(m, i);
	xa_nodes_destroy(&m->i_pages);
	free(m->swap);
	vm_unacct_memory(m->charged);
	kmem_cache_free(shmem_inode_cachep, m->slab_obj);
	free(m->pages);
	free(m->name);
	free(m);
}

/* find_get_page - see mm.h (no reference is taken). */
struct page *find_get_page(struct address_space *m, uint64_t index)
{
	if (!m || index >= m->nr_index)
		return NULL;
	return m->pages[index];
}

/* add_to_page_cache - see mm.h: the cache takes a reference; a shadow
 * left in the slot is a refault (Linux's filemap_add_folio). 0, -EINVAL
 * (index beyond the object, slot taken) or -ENOMEM (no xarray node). */
int add_to_page_cache(struct page *page, struct address_space *m,
		      uint64_t index)
{
	if (index >= m->nr_index || m->pages[index])
		return -EINVAL;
	if (!slot_used(m, index) && xa_nodes_insert(&m->i_pages, index))
		return -ENOMEM;
	if (m->shadows && m->shadows[index]) {
		workingset_refault(page, m->shadows[index]);
		m->shadows[index] = 0;
	}
	m->pages[index] = page;
	m->nrpages++;
	page->mapping = m;
	page->index = index;
	get_page(page);
	SetPageFlag(page, PG_uptodate);
	mod_page_state(page, NR_FILE_PAGES, 1);
	if (m->shmem) {
		SetPageFlag(page, PG_swapbacked);
		mod_page_state(page, NR_SHMEM, 1);
	}
	lru_cache_add(page, (enum lru_list)(inactive_lru(page) +
					    PageFlag(page, PG_active)));
	return 0;
}

/* __delete_from_page_cache - see mm.h: the page must not be mapped.
 * The shadow array is allocated at the first one; without host memory
 * for it the shadow is lost (the refault is not detected). */
void __delete_from_page_cache(struct page *page, uintptr_t shadow)
{
	struct address_space *m = page->mapping;

	BUG_ON(!m || page->mapcount || m->pages[page->index] != page);
	if (!m->shmem && PageFlag(page, PG_dirty))
		mod_page_state(page, NR_FILE_DIRTY, -1);
	if (shadow && !m->shadows)
		m->shadows = calloc(m->nr_index, sizeof(*m->shadows));
	if (m->shadows)
		m->shadows[page->index] = shadow;
	m->pages[page->index] = NULL;
	slot_maybe_unused(m, page->index);
	m->nrpages--;
	mod_page_state(page, NR_FILE_PAGES, -1);
	if (m->shmem)
		mod_page_state(page, NR_SHMEM, -1);
	page->mapping = NULL;
	put_page(page);
}

/* delete_from_page_cache - see mm.h. */
void delete_from_page_cache(struct page *page)
{
	__delete_from_page_cache(page, 0);
}

/* shmem_swapin_finish - page, in the swap cache for the object's slot at
 * index, takes its place in the object again and the slot goes (Linux's
 * shmem_swapin_folio after the read); the only copy is in RAM now, so
 * the page is dirty.  The caller's reference is kept. */
static void shmem_swapin_finish(struct address_space *m, uint64_t index,
				struct page *page)
{
	swp_entry_t e = { m->swap[index] };

	BUG_ON(!PageSwapCache(page) || page->private != e.val);
	delete_from_swap_cache(page, 0);
	if (PageLRU(page))
		lru_del(page);
	/* The slot stays used throughout: no xarray node to allocate. */
	BUG_ON(add_to_page_cache(page, m, index));
	m->swap[index] = 0;
	if (!--m->nr_swapped)
		list_del(&m->files);
	swap_free(e);
	set_page_dirty(page);
}

/* shmem_swapin - the fault found the page in swap: from the swap cache,
 * or read with the slots around it (a major fault).  0, VM_FAULT_MAJOR
 * or VM_FAULT_OOM.  The slot stays meanwhile: the faulting vma holds the
 * object, and reclaim only writes out pages the object holds. */
static int shmem_swapin(struct vm_fault *vmf, struct page **pagep)
{
	struct address_space *m = vmf->vma->vm_file;
	swp_entry_t e = { m->swap[vmf->pgoff] };
	struct page *page = lookup_swap_cache(e);
	bool major = false;

	if (page)
		get_page(page);
	else if (!(page = swapin_readahead(e, vmf, &major)))
		return VM_FAULT_OOM;
	trace_emit(TRACE_SWAPIN, vmf->address, e.val, page_to_pfn(page));
	shmem_swapin_finish(m, vmf->pgoff, page);
	*pagep = page;
	return major ? VM_FAULT_MAJOR : 0;
}

/* shmem_writepage - see mm.h (Linux's shmem_writeout). */
int shmem_writepage(struct page *page)
{
	struct address_space *m = page->mapping;
	uint64_t index = page->index;
	swp_entry_t e;

	BUG_ON(!m || !m->shmem || page->mapcount || !PageFlag(page, PG_dirty));
	if (!m->swap && !(m->swap = calloc(m->nr_index, sizeof(*m->swap))))
		return -ENOMEM;
	e = get_swap_page();
	if (!e.val)
		return -ENOMEM;
	if (!mem_cgroup_swap_charge(page, swp_type(e), swp_offset(e))) {
		swapcache_clear(e);
		return -ENOMEM;
	}
	swap_duplicate(e);	/* the object's reference */
	add_to_swap_cache(page, e);
	m->swap[index] = e.val;	/* first: the slot stays used */
	delete_from_page_cache(page);
	if (!m->nr_swapped++)
		list_add_tail(&m->files, &shmem_swaplist);
	ClearPageFlag(page, PG_dirty);
	swap_writepage(page);
	return 0;
}

/* shmem_unuse - see mm.h (Linux's shmem_unuse). */
void shmem_unuse(unsigned int type)
{
	struct list_head *l, *n;
	bool allocated;

	list_for_each_safe(l, n, &shmem_swaplist) {
		struct address_space *m = list_entry(l, struct address_space,
						     files);

		for (uint64_t i = 0; i < m->nr_index && m->nr_swapped; i++) {
			swp_entry_t e = { m->swap[i] };
			struct page *page;

			if (!e.val || swp_type(e) != type)
				continue;
			page = read_swap_cache_async(e, &allocated, NULL,
						     SWAPIN_CHARGE_FORCE);
			BUG_ON(!page);	/* sys_swapoff made sure it fits */
			shmem_swapin_finish(m, i, page);
			put_page(page);
		}
	}
}

/* shmem_swap_usage - see mm.h (Linux's shmem_partial_swap_usage over the
 * vma's range). */
uint64_t shmem_swap_usage(const struct vm_area_struct *vma)
{
	const struct address_space *m = vma->vm_file;
	uint64_t n = 0, end = vma->vm_pgoff + vma_pages(vma);

	if (!m || !m->shmem || !m->nr_swapped)
		return 0;
	for (uint64_t i = vma->vm_pgoff; i < end && i < m->nr_index; i++)
		n += m->swap[i] != 0;
	return n;
}

/* shmem_fault - see mm.h. VM_FAULT_SIGBUS beyond the object's end. */
int shmem_fault(struct vm_fault *vmf, struct page **pagep)
{
	struct address_space *m = vmf->vma->vm_file;
	struct page *page;

	if (vmf->pgoff >= m->nr_index)
		return VM_FAULT_SIGBUS;
	if (m->swap && m->swap[vmf->pgoff])
		return shmem_swapin(vmf, pagep);
	page = find_get_page(m, vmf->pgoff);
	if (!page) {
		page = alloc_user_page(GFP_HIGHUSER_MOVABLE | __GFP_ZERO,
				       vmf->vma->vm_mm);
		if (!page)
			return VM_FAULT_OOM;
		if (add_to_page_cache(page, m, vmf->pgoff)) {
			put_page(page);
			return VM_FAULT_OOM;
		}
	} else {
		get_page(page);
	}
	*pagep = page;
	return 0;
}
