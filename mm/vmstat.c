/*
 * vmstat.c - the global event counters and node gauges, and their names as
 * /proc/vmstat prints them (Linux's mm/vmstat.c vmstat_text).
 */
#include "mm/vmstat.h"

struct vmstat vmstat;

const char *const fault_outcome_names[NR_FAULT_OUTCOMES] = {
	[FO_ANON] = "anon",
	[FO_ZERO] = "zero_page",
	[FO_FILE] = "file",
	[FO_COW_COPY] = "cow_copy",
	[FO_COW_REUSE] = "cow_reuse",
	[FO_STACK_GROW] = "stack_grow",
	[FO_FAULT_AROUND] = "around_pages",
	[FO_SIGSEGV] = "sigsegv",
	[FO_SIGBUS] = "sigbus",
	[FO_OOM] = "oom",
	[FO_SPURIOUS] = "spurious",
};

const char *const vm_event_names[NR_VM_EVENT_ITEMS] = {
	[PGPGIN] = "pgpgin",
	[PGPGOUT] = "pgpgout",
	[PSWPIN] = "pswpin",
	[PSWPOUT] = "pswpout",
	[PGALLOC_DMA] = "pgalloc_dma",
	[PGALLOC_DMA32] = "pgalloc_dma32",
	[PGALLOC_NORMAL] = "pgalloc_normal",
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
	[OOM_KILL] = "oom_kill",
	[UNEVICTABLE_PGS_MLOCKED] = "unevictable_pgs_mlocked",
	[UNEVICTABLE_PGS_MUNLOCKED] = "unevictable_pgs_munlocked",
	[NR_TLB_REMOTE_FLUSH] = "nr_tlb_remote_flush",
	[NR_TLB_REMOTE_FLUSH_RECEIVED] = "nr_tlb_remote_flush_received",
	[NR_TLB_LOCAL_FLUSH_ALL] = "nr_tlb_local_flush_all",
	[NR_TLB_LOCAL_FLUSH_ONE] = "nr_tlb_local_flush_one",
	[DROP_PAGECACHE] = "drop_pagecache",
	[DROP_SLAB] = "drop_slab",
	[MMUFS_FAULT_FIRST + FO_ANON] = "mmufs_fault_anon",
	[MMUFS_FAULT_FIRST + FO_ZERO] = "mmufs_fault_zero_page",
	[MMUFS_FAULT_FIRST + FO_FILE] = "mmufs_fault_file",
	[MMUFS_FAULT_FIRST + FO_COW_COPY] = "mmufs_fault_cow_copy",
	[MMUFS_FAULT_FIRST + FO_COW_REUSE] = "mmufs_fault_cow_reuse",
	[MMUFS_FAULT_FIRST + FO_STACK_GROW] = "mmufs_fault_stack_grow",
	[MMUFS_FAULT_FIRST + FO_FAULT_AROUND] = "mmufs_fault_around_pages",
	[MMUFS_FAULT_FIRST + FO_SIGSEGV] = "mmufs_fault_sigsegv",
	[MMUFS_FAULT_FIRST + FO_SIGBUS] = "mmufs_fault_sigbus",
	[MMUFS_FAULT_FIRST + FO_OOM] = "mmufs_fault_oom",
	[MMUFS_FAULT_FIRST + FO_SPURIOUS] = "mmufs_fault_spurious",
	[MMUFS_FORK] = "mmufs_fork",
	[MMUFS_EXEC] = "mmufs_exec",
	[MMUFS_EXIT] = "mmufs_exit",
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
};
