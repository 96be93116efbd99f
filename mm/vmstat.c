/*
 * vmstat.c - the global event counters and node gauges, their names as
 * /proc/vmstat prints them (Linux's mm/vmstat.c vmstat_text), and the
 * per-cpu counter threshold.
 */
#include "kernel/kernel.h"
#include "mm/mmzone.h"
#include "mm/vmstat.h"
#include "util/bitops.h"
#include "util/compiler.h"

struct vmstat vmstat;

/* The fault outcomes and their names, for fault_outcome_names and for the
 * mmufs_fault_* lines of vm_event_names. */
#define FAULT_OUTCOMES(X)						\
	X(FO_ANON, "anon") X(FO_ZERO, "zero_page") X(FO_FILE, "file")	\
	X(FO_COW_COPY, "cow_copy") X(FO_COW_REUSE, "cow_reuse")		\
	X(FO_STACK_GROW, "stack_grow") X(FO_FAULT_AROUND, "around_pages") \
	X(FO_SWAPIN, "swapin")						\
	X(FO_SIGSEGV, "sigsegv") X(FO_SIGBUS, "sigbus") X(FO_OOM, "oom")	\
	X(FO_SPURIOUS, "spurious")

#define OUTCOME_NAME(o, name)	[o] = name,
#define OUTCOME_EVENT(o, name)	[MMUFS_FAULT_FIRST + o] = "mmufs_fault_" name,

const char *const fault_outcome_names[NR_FAULT_OUTCOMES] = {
	FAULT_OUTCOMES(OUTCOME_NAME)
};

const char *const vm_event_names[NR_VM_EVENT_ITEMS] = {
	[PGPGIN] = "pgpgin",
	[PGPGOUT] = "pgpgout",
	[PSWPIN] = "pswpin",
	[PSWPOUT] = "pswpout",
	[PGALLOC_DMA] = "pgalloc_dma",
	[PGALLOC_DMA32] = "pgalloc_dma32",
	[PGALLOC_NORMAL] = "pgalloc_normal",
	[PGALLOC_HIGH] = "pgalloc_high",
	[PGALLOC_MOVABLE] = "pgalloc_movable",
	[PGFREE] = "pgfree",
	[PGACTIVATE] = "pgactivate",
	[PGDEACTIVATE] = "pgdeactivate",
	[PGLAZYFREE] = "pglazyfree",
	[PGFAULT] = "pgfault",
	[PGMAJFAULT] = "pgmajfault",
	[PGLAZYFREED] = "pglazyfreed",
	[PGREFILL] = "pgrefill",
	[PGREUSE] = "pgreuse",
	[PGSTEAL_KSWAPD] = "pgsteal_kswapd",
	[PGSTEAL_DIRECT] = "pgsteal_direct",
	[PGSCAN_KSWAPD] = "pgscan_kswapd",
	[PGSCAN_DIRECT] = "pgscan_direct",
	[PGSCAN_ANON] = "pgscan_anon",
	[PGSCAN_FILE] = "pgscan_file",
	[PGSTEAL_ANON] = "pgsteal_anon",
	[PGSTEAL_FILE] = "pgsteal_file",
	[PGSCAN_PROACTIVE] = "pgscan_proactive",
	[PGSTEAL_PROACTIVE] = "pgsteal_proactive",
	[ALLOCSTALL_DMA] = "allocstall_dma",
	[ALLOCSTALL_DMA32] = "allocstall_dma32",
	[ALLOCSTALL_NORMAL] = "allocstall_normal",
	[ALLOCSTALL_HIGH] = "allocstall_high",
	[ALLOCSTALL_MOVABLE] = "allocstall_movable",
	[KSWAPD_LOW_WMARK_HIT_QUICKLY] = "kswapd_low_wmark_hit_quickly",
	[KSWAPD_HIGH_WMARK_HIT_QUICKLY] = "kswapd_high_wmark_hit_quickly",
	[PAGEOUTRUN] = "pageoutrun",
	[PGROTATED] = "pgrotated",
	[OOM_KILL] = "oom_kill",
	[UNEVICTABLE_PGS_CULLED] = "unevictable_pgs_culled",
	[UNEVICTABLE_PGS_SCANNED] = "unevictable_pgs_scanned",
	[UNEVICTABLE_PGS_RESCUED] = "unevictable_pgs_rescued",
	[UNEVICTABLE_PGS_MLOCKED] = "unevictable_pgs_mlocked",
	[UNEVICTABLE_PGS_MUNLOCKED] = "unevictable_pgs_munlocked",
	[SWAP_RA] = "swap_ra",
	[SWAP_RA_HIT] = "swap_ra_hit",
	[WORKINGSET_REFAULT_ANON] = "workingset_refault_anon",
	[WORKINGSET_REFAULT_FILE] = "workingset_refault_file",
	[WORKINGSET_ACTIVATE_ANON] = "workingset_activate_anon",
	[WORKINGSET_ACTIVATE_FILE] = "workingset_activate_file",
	[WORKINGSET_RESTORE_ANON] = "workingset_restore_anon",
	[WORKINGSET_RESTORE_FILE] = "workingset_restore_file",
	[NR_VMSCAN_WRITE] = "nr_vmscan_write",
	[NR_DIRTIED] = "nr_dirtied",
	[NR_WRITTEN] = "nr_written",
	[NR_TLB_REMOTE_FLUSH] = "nr_tlb_remote_flush",
	[NR_TLB_REMOTE_FLUSH_RECEIVED] = "nr_tlb_remote_flush_received",
	[NR_TLB_LOCAL_FLUSH_ALL] = "nr_tlb_local_flush_all",
	[NR_TLB_LOCAL_FLUSH_ONE] = "nr_tlb_local_flush_one",
	[DROP_PAGECACHE] = "drop_pagecache",
	[DROP_SLAB] = "drop_slab",
	FAULT_OUTCOMES(OUTCOME_EVENT)
	[MMUFS_FORK] = "mmufs_fork",
	[MMUFS_EXEC] = "mmufs_exec",
	[MMUFS_EXIT] = "mmufs_exit",
	[MMUFS_VMALLOC_FAULT] = "mmufs_vmalloc_fault",
};

const char *const node_stat_names[NR_VM_NODE_STAT_ITEMS] = {
	[NR_ANON_MAPPED] = "nr_anon_pages",
	[NR_FILE_MAPPED] = "nr_mapped",
	[NR_FILE_PAGES] = "nr_file_pages",
	[NR_SHMEM] = "nr_shmem",
	[NR_PAGETABLE] = "nr_page_table_pages",
	[NR_MLOCK] = "nr_mlock",
	[NR_ZERO_MAPPED] = "mmufs_zero_page_mapped",
	[NR_FILE_DIRTY] = "nr_dirty",
	[NR_SWAPCACHE] = "nr_swapcached",
	[NR_SLAB_RECLAIMABLE] = "nr_slab_reclaimable",
	[NR_SLAB_UNRECLAIMABLE] = "nr_slab_unreclaimable",
	[NR_KERNEL_STACK_KB] = "nr_kernel_stack",
};

/* calculate_normal_threshold - see vmstat.h. */
int calculate_normal_threshold(const struct zone *z)
{
	int mem = (int)(z->managed_pages >> (27 - PAGE_SHIFT));
	int t = 2 * fls64((uint64_t)hw.nr_cpus) * (1 + fls64((uint64_t)mem));

	return MIN(t, 125);
}
