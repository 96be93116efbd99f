/*
 * vmstat.h - event counters and page-state gauges (Linux's
 * include/linux/vm_event_item.h and mmzone.h node_stat_item).
 *
 * Events only ever increase (pgfault, pgalloc_*...).  Node states are gauges
 * kept up to date at the sites that change them; the invariant checker
 * recounts them from struct page and the page tables.  Names prefixed mmufs_
 * are the simulation's own.
 */
#ifndef MM_VMSTAT_H
#define MM_VMSTAT_H

#include <stdint.h>

/* Fault outcomes, counted per task (status) and globally (vmstat mmufs_*). */
enum fault_outcome {
	FO_ANON,		/* demand-zero anonymous page allocated */
	FO_ZERO,		/* shared zero page mapped read-only */
	FO_FILE,		/* file or shmem page mapped */
	FO_COW_COPY,		/* write to a shared page: copied */
	FO_COW_REUSE,		/* write to a page with one owner: reused */
	FO_STACK_GROW,		/* fault below a VM_GROWSDOWN vma grew it */
	FO_FAULT_AROUND,	/* pages mapped by fault-around */
	FO_SWAPIN,		/* a swapped-out page mapped back */
	FO_SIGSEGV,		/* no vma / bad permissions: SIGSEGV */
	FO_SIGBUS,		/* beyond the end of a file: SIGBUS */
	FO_OOM,			/* no frame could be had */
	FO_SPURIOUS,		/* the entry already allowed the access */
	NR_FAULT_OUTCOMES
};

extern const char *const fault_outcome_names[NR_FAULT_OUTCOMES];

enum vm_event_item {
	PGPGIN, PGPGOUT, PSWPIN, PSWPOUT,
	PGALLOC_DMA, PGALLOC_DMA32, PGALLOC_NORMAL, PGALLOC_HIGH,
	PGALLOC_MOVABLE,
	PGFREE, PGACTIVATE, PGDEACTIVATE, PGLAZYFREE,
	PGFAULT, PGMAJFAULT, PGLAZYFREED,
	PGREFILL, PGREUSE,
	PGSTEAL_KSWAPD, PGSTEAL_DIRECT,
	PGSCAN_KSWAPD, PGSCAN_DIRECT, PGSCAN_ANON, PGSCAN_FILE,
	PGSTEAL_ANON, PGSTEAL_FILE,
	PGSCAN_PROACTIVE, PGSTEAL_PROACTIVE,
	ALLOCSTALL_DMA, ALLOCSTALL_DMA32, ALLOCSTALL_NORMAL, ALLOCSTALL_HIGH,
	ALLOCSTALL_MOVABLE,
	KSWAPD_LOW_WMARK_HIT_QUICKLY, KSWAPD_HIGH_WMARK_HIT_QUICKLY,
	PAGEOUTRUN, PGROTATED,
	OOM_KILL,
	UNEVICTABLE_PGS_CULLED, UNEVICTABLE_PGS_SCANNED, UNEVICTABLE_PGS_RESCUED,
	UNEVICTABLE_PGS_MLOCKED, UNEVICTABLE_PGS_MUNLOCKED,
	SWAP_RA, SWAP_RA_HIT,
	/* Linux keeps these as node items; they only ever grow, so here
	 * they are events (vmstat prints them under their names). */
	WORKINGSET_REFAULT_ANON, WORKINGSET_REFAULT_FILE,
	WORKINGSET_ACTIVATE_ANON, WORKINGSET_ACTIVATE_FILE,
	WORKINGSET_RESTORE_ANON, WORKINGSET_RESTORE_FILE,
	NR_VMSCAN_WRITE, NR_DIRTIED, NR_WRITTEN,
	NR_TLB_REMOTE_FLUSH, NR_TLB_REMOTE_FLUSH_RECEIVED,
	NR_TLB_LOCAL_FLUSH_ALL, NR_TLB_LOCAL_FLUSH_ONE,
	DROP_PAGECACHE, DROP_SLAB,
	/* mmufs_fault_<outcome>, in enum fault_outcome order */
	MMUFS_FAULT_FIRST,
	MMUFS_FAULT_LAST = MMUFS_FAULT_FIRST + NR_FAULT_OUTCOMES - 1,
	MMUFS_FORK, MMUFS_EXEC, MMUFS_EXIT,
	MMUFS_VMALLOC_FAULT,	/* i386: a pgd entry copied by vmalloc_fault */
	NR_VM_EVENT_ITEMS
};

extern const char *const vm_event_names[NR_VM_EVENT_ITEMS];

/* Gauges per node, summed for the machine in vmstat.node (Linux's
 * node_stat_item subset; mod_node_page_state in mm/mmzone.h). */
enum node_stat_item {
	NR_ANON_MAPPED,		/* nr_anon_pages: anon pages mapped at least once */
	NR_FILE_MAPPED,		/* nr_mapped: file/shmem pages mapped */
	NR_FILE_PAGES,		/* page cache incl. shmem */
	NR_SHMEM,
	NR_PAGETABLE,		/* nr_page_table_pages */
	NR_MLOCK,
	NR_ZERO_MAPPED,		/* mmufs: PTEs mapping the zero page */
	NR_FILE_DIRTY,		/* nr_dirty: dirty pages of host files */
	NR_SWAPCACHE,		/* nr_swapcached: pages in the swap cache */
	NR_SLAB_RECLAIMABLE,	/* slab frames of reclaimable caches */
	NR_SLAB_UNRECLAIMABLE,	/* and of the others */
	NR_KERNEL_STACK_KB,	/* nr_kernel_stack: kB of the tasks' stacks */
	NR_VM_NODE_STAT_ITEMS
};

extern const char *const node_stat_names[NR_VM_NODE_STAT_ITEMS];

struct vmstat {
	uint64_t events[NR_VM_EVENT_ITEMS];
	int64_t node[NR_VM_NODE_STAT_ITEMS];
};

extern struct vmstat vmstat;

static inline void count_vm_event(enum vm_event_item i)
{
	vmstat.events[i]++;
}

static inline void count_vm_events(enum vm_event_item i, uint64_t n)
{
	vmstat.events[i] += n;
}

/* global_node_page_state - gauge i as reports show it (Linux's
 * global_node_page_state): never below 0. */
static inline uint64_t global_node_page_state(enum node_stat_item i)
{
	return vmstat.node[i] > 0 ? (uint64_t)vmstat.node[i] : 0;
}

struct zone;

/* calculate_normal_threshold - Linux's calculate_normal_threshold() (the
 * "vm stats threshold" of zoneinfo): 2 * fls(CPUs) * (1 + fls(the zone's
 * managed memory in 128 MiB units)), at most 125. */
int calculate_normal_threshold(const struct zone *z);

#endif
