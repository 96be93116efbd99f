/*
 * mm_types.h - the address-space structures: mm_struct, vm_area_struct,
 * anon_vma and address_space (Linux's include/linux/mm_types.h, mm.h).
 */
#ifndef MM_MM_TYPES_H
#define MM_MM_TYPES_H

#include <stdbool.h>
#include <stdint.h>
#include "util/list.h"
#include "mm/page.h"

/* vm_flags, with Linux's values (include/linux/mm.h). */
#define VM_NONE		0x00000000UL
#define VM_READ		0x00000001UL
#define VM_WRITE	0x00000002UL
#define VM_EXEC		0x00000004UL
#define VM_SHARED	0x00000008UL
#define VM_MAYREAD	0x00000010UL
#define VM_MAYWRITE	0x00000020UL
#define VM_MAYEXEC	0x00000040UL
#define VM_MAYSHARE	0x00000080UL
#define VM_GROWSDOWN	0x00000100UL
#define VM_UFFD_MISSING	0x00000200UL
#define VM_PFNMAP	0x00000400UL
#define VM_UFFD_WP	0x00001000UL
#define VM_LOCKED	0x00002000UL
#define VM_IO		0x00004000UL
#define VM_SEQ_READ	0x00008000UL
#define VM_RAND_READ	0x00010000UL
#define VM_DONTCOPY	0x00020000UL
#define VM_DONTEXPAND	0x00040000UL
#define VM_LOCKONFAULT	0x00080000UL
#define VM_ACCOUNT	0x00100000UL
#define VM_NORESERVE	0x00200000UL
#define VM_HUGETLB	0x00400000UL
#define VM_SYNC		0x00800000UL
#define VM_ARCH_1	0x01000000UL
#define VM_WIPEONFORK	0x02000000UL
#define VM_DONTDUMP	0x04000000UL
/* Soft-dirty tracking is compiled out, as on the reference kernel
 * (CONFIG_MEM_SOFT_DIRTY off: Linux defines VM_SOFTDIRTY as VM_NONE). */
#define VM_SOFTDIRTY	0x0UL
#define VM_MIXEDMAP	0x10000000UL
#define VM_HUGEPAGE	0x20000000UL
#define VM_NOHUGEPAGE	0x40000000UL
#define VM_MERGEABLE	0x80000000UL

#define VM_STACK	VM_GROWSDOWN
#define VM_ACCESS_FLAGS	(VM_READ | VM_WRITE | VM_EXEC)
/* Flags that must be equal for two vmas to merge (Linux's VM_IGNORE_MERGE
 * excludes VM_SOFTDIRTY). */
#define VM_IGNORE_MERGE	VM_SOFTDIRTY

struct mm_struct;
struct address_space;
struct mem_cgroup;

/* vm_special_mapping - pages the kernel itself provides to every image
 * ([vdso], [vvar], [vvar_vclock]: Linux's struct vm_special_mapping):
 * nr_pages consecutive reserved frames from first_pfn, mapped by special
 * entries that hold no page reference. */
struct vm_special_mapping {
	const char *name;
	uint64_t first_pfn;
	uint64_t nr_pages;
};

/* anon_vma - the owner of anonymous pages, shared by a process and the
 * children it forks (a single-level version of Linux's anon_vma tree: the
 * root one). page->mapping of an anon page points here. */
struct anon_vma {
	uint64_t slab_obj;	/* its object in anon_vma's cache */
	uint64_t check_gen;	/* last invariant check that counted it */
	int refcount;		/* mms (and vmas) that refer to it */
	uint64_t id;		/* for display */
	struct list_head mms;	/* mm_structs using it, via mm->anon_vma_node */
};

struct vm_area_struct {
	uint64_t slab_obj;	/* its object in vm_area_struct's cache */
	uint64_t vm_start;	/* first byte */
	uint64_t vm_end;	/* first byte after */
	uint64_t vm_flags;	/* VM_* */
	uint64_t vm_pgoff;	/* offset in PAGE_SIZE units in vm_file or
				 * (anon) the linear page index of vm_start */
	struct mm_struct *vm_mm;
	struct address_space *vm_file;	/* file/shmem object or NULL (anon) */
	struct anon_vma *anon_vma;
	const struct vm_special_mapping *vm_special;	/* or NULL */

	/* Address-ordered list. */
	struct vm_area_struct *vm_next, *vm_prev;

	/* Balanced (AVL) tree keyed by vm_start, augmented with the largest
	 * free gap below any vma in the subtree (vma.c). */
	struct vm_area_struct *avl_left, *avl_right, *avl_parent;
	int avl_height;
	uint64_t subtree_gap;
};

/* file_ra_state - a host file's readahead window (Linux's struct
 * file_ra_state, kept per object here rather than per open file). */
struct file_ra_state {
	uint64_t start;		/* first page of the current window */
	uint64_t size;		/* pages in it */
	uint64_t async_size;	/* the marked page is size - async_size in */
	int mmap_miss;		/* page-cache misses minus hits by faults */
};

/* xa_nodes - the shape of the xarray Linux would keep for an array of
 * slots (mm/xarray.c): which nodes of 64 slots exist, each holding an
 * object of radix_tree_node.  Level 0 nodes hold the slots; a node of
 * level l covers 64^(l+1) slots.  count[0][c] is a bitmap of the used
 * slots of chunk c, count[l][c] above the used slots under node (l, c);
 * obj[l][c] the node's object, or 0. */
#define XA_CHUNK_SHIFT	6
#define XA_LEVELS	11	/* 64-bit indices */
struct xa_nodes {
	unsigned int height;	/* levels of nodes: 0 when no slot or only
				 * slot 0 is used (the head holds it) */
	uint64_t entries;	/* used slots */
	uint64_t max;		/* the highest used slot (when entries) */
	uint64_t nr_nodes;	/* objects held */
	uint64_t nr[XA_LEVELS];	/* chunks the arrays of a level hold */
	uint64_t *count[XA_LEVELS];
	uint64_t *obj[XA_LEVELS];
};

/* address_space - an object whose pages are shared through a page cache:
 * shmem (MAP_SHARED|MAP_ANONYMOUS) or a host file, read-only (filemap.c);
 * or /dev/zero, which has no pages (shmem.c).  A host file's pages
 * written back go to the object's own copy (written[]), never to the
 * host file; a page reclaim evicted leaves a shadow (shadows[]).  A shmem
 * page reclaim swapped out leaves its swap entry (swap[]). */
struct address_space {
	uint64_t slab_obj;	/* shmem: its inode in shmem_inode_cache */
	int refcount;		/* vmas mapping it, plus owners */
	uint64_t id;		/* inode number shown in maps */
	uint32_t dev_major, dev_minor;	/* device shown in maps */
	uint64_t nrpages;
	uint64_t size;		/* bytes (i_size) */
	bool shmem;
	bool dev_zero;		/* /dev/zero (drivers/char/mem.c): no pages; a
				 * private mapping of it is anonymous memory */
	bool fop_mmap_sync;	/* host file on ext4 or xfs, whose mmap knows
				 * MAP_SYNC (FOP_MMAP_SYNC) and refuses it:
				 * no file here is DAX */
	int fd;			/* host file, read-only; -1 for shmem */
	char *name;		/* "/dev/zero (deleted)" or the file's path */
	struct list_head files;	/* in file_cache (host files), or in
				 * shmem_swaplist (shmem with pages in swap) */
	int64_t charged;	/* pages committed (shmem), 0 if NORESERVE */
	uint64_t nr_index;	/* slots in pages[]: size in pages */
	struct page **pages;	/* the cache: index -> page or NULL */
	uintptr_t *shadows;	/* index -> shadow of an evicted page, or 0;
				 * NULL until the first eviction */
	void **written;		/* index -> the page's bytes as last written
				 * back, or NULL; NULL until the first */
	uint64_t nr_written;	/* pages in written[] */
	uint64_t wb_index;	/* where the next writeback starts */
	uint64_t *swap;		/* shmem: index -> the swap entry of a page
				 * swapped out, or 0; NULL until the first */
	uint64_t nr_swapped;	/* shmem: entries in swap[] (Linux's
				 * shmem_inode_info.swapped) */
	uint64_t check_gen;	/* last invariant check that counted it */
	struct file_ra_state ra;	/* host files */
	struct xa_nodes i_pages;	/* the xarray nodes of the slots used by
					 * a page, a shadow or a swap entry */
	uint64_t filp_obj;	/* host files: the open file (filp) */
	uint64_t inode_obj;	/* host files: the inode (inode_cache) */
};

enum { MM_FILEPAGES, MM_ANONPAGES, MM_SWAPENTS, MM_SHMEMPAGES, NR_MM_COUNTERS };

struct mm_struct {
	uint64_t slab_obj;		/* its object in mm_struct's cache */
	uint64_t pgd;			/* physical address of the top table */
	uint16_t pcid;			/* TLB tag when PCID is on */
	struct vm_area_struct *mmap;	/* first vma in address order */
	struct vm_area_struct *vma_root;	/* root of the vma tree */
	int map_count;
	uint64_t highest_vm_end;
	uint64_t task_size;
	uint64_t mmap_base;
	int mm_users;			/* tasks using the address space */
	int mm_count;			/* references to the struct (incl. lazy TLB) */
	uint64_t total_vm, locked_vm, pinned_vm, data_vm, exec_vm, stack_vm,
		 shared_vm;		/* in pages */
	int64_t pgtables_bytes;
	int64_t rss_stat[NR_MM_COUNTERS];
	uint64_t hiwater_rss, hiwater_vm;
	uint64_t start_code, end_code, start_data, end_data;
	uint64_t start_brk, brk, start_stack;
	uint64_t arg_start, arg_end, env_start, env_end;
	uint64_t def_flags;
	struct anon_vma *anon_vma;
	struct list_head anon_vma_node;	/* in anon_vma->mms */
	struct list_head mmlist;	/* all mms (kernel.mms) */
	uint64_t id;
	uint64_t cpu_bitmap;		/* CPUs whose CR3 holds this pgd */
	struct mem_cgroup *memcg;	/* the group of its process: where its
					 * new pages are charged */
	char *exe_path;			/* the program exec put in it, its
					 * host path (Linux's exe_file); NULL
					 * for one no exec built (init's empty
					 * image and its forks) */
};

static inline uint64_t vma_pages(const struct vm_area_struct *v)
{
	return (v->vm_end - v->vm_start) >> PAGE_SHIFT;
}

/* vma_is_anonymous - is v anonymous memory?  A private mapping of
 * /dev/zero is, though it keeps the file for maps (Linux's
 * vma_set_anonymous leaves vm_file and clears vm_ops). */
static inline bool vma_is_anonymous(const struct vm_area_struct *v)
{
	return v->vm_file == NULL || v->vm_file->dev_zero;
}

static inline uint64_t get_mm_rss(const struct mm_struct *mm)
{
	return (uint64_t)(mm->rss_stat[MM_FILEPAGES] + mm->rss_stat[MM_ANONPAGES] +
			  mm->rss_stat[MM_SHMEMPAGES]);
}

#endif
