/*
 * render_sys.c - the machine-wide files of the mount root: meminfo,
 * vmstat, buddyinfo, zoneinfo, pagetypeinfo, slabinfo, stat, uptime,
 * loadavg, cpuinfo, swaps (Linux formats, docs/procfs-formats.md §6),
 * kpageflags and kpagecount (§4.2, §4.3), and mmufs's own machine,
 * frames/<pfn> and cpu<N>/tlb.
 *
 * Every value is read from the simulation's state at the time of the
 * call (callers hold the machine lock); what the kernel derives from it
 * (MemAvailable and the reserve, the dirty limits, per-cpu list sizes and
 * vmstat thresholds, free blocks, the owner of a page table) is computed
 * in mm/, and this file formats it.  Lines Linux prints for things the
 * simulation does not model (slab, swap cache, writeback, hugetlb, NUMA
 * balancing, compaction...) are printed with the value 0, so that the key
 * lists are those of a 6.18 x86-64 kernel and tools parse them unchanged.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "render.h"
#include "hw/cpu.h"
#include "exec/binfmts.h"
#include "kernel/kernel.h"
#include "kernel/time.h"
#include "mm/mm.h"
#include "mm/page_alloc.h"
#include "mm/pgtable.h"
#include "mm/vmstat.h"
#include "mm/swap.h"
#include "mm/memcontrol.h"
#include "mm/writeback.h"
#include "mm/slab.h"
#include "mm/vmalloc.h"
#include "util/compiler.h"

uid_t render_uid;
gid_t render_gid;

/* K - pages to KiB. */
#define K(pages)	((uint64_t)(pages) << (PAGE_SHIFT - 10))

/* A ZONE_DEVICE index after ZONE_MOVABLE: 6.18 x86-64 lists this zone in
 * zoneinfo and in every protection list; the simulation never populates
 * it, so it is rendered from an all-zero zone. */
#define ZONE_DEVICE_IDX		MAX_NR_ZONES
#define NR_LISTED_ZONES		(MAX_NR_ZONES + 1)

static const struct zone device_zone = { .name = "Device" };

/* ---------------------------------------------------------------------- */
/* Shared helpers                                                         */
/* ---------------------------------------------------------------------- */


/* zone_at - zone i of node nid's listing (ZONE_DEVICE_IDX: the empty
 * Device). */
static const struct zone *zone_at(int nid, int i)
{
	return i < MAX_NR_ZONES ? &NODE_DATA(nid)->node_zones[i] : &device_zone;
}

/* zone_listed - does Linux x86 have zone i at all?  ZONE_DMA32 and
 * ZONE_DEVICE exist only on x86-64, ZONE_HIGHMEM only on i386. */
static bool zone_listed(int i)
{
	if (kernel_is_64bit())
		return i != ZONE_HIGHMEM;
	return i != ZONE_DMA32 && i != ZONE_DEVICE_IDX;
}

/* zone_populated - Linux's populated_zone(): the zone has RAM. */
static bool zone_populated(const struct zone *z)
{
	return z->present_pages != 0;
}

/* lowmem_reserve_of - zone z's reserve against allocations that may use
 * up to listed zone j; the Device column repeats Movable's (Device manages
 * no pages, so the cumulative count does not change). */
static uint64_t lowmem_reserve_of(const struct zone *z, int j)
{
	return z->lowmem_reserve[j < MAX_NR_ZONES ? j : ZONE_MOVABLE];
}

/* lru_pages - pages on one LRU list (all zones). */
static uint64_t lru_pages(enum lru_list l)
{
	return node_lru_pages(l);
}

/* mm_pid - the pid of the process using mm (its thread-group leader), or
 * -1 when no task uses it any more. */
static int mm_pid(struct mm_struct *mm)
{
	struct task_struct *t = mm ? mm_owner(mm) : NULL;

	return t ? t->tgid : -1;
}

/* ---------------------------------------------------------------------- */
/* meminfo                                                                */
/* ---------------------------------------------------------------------- */

/* meminfo_kb - one "Key:" line padded to 16 columns, %8 KiB, " kB". */
static void meminfo_kb(struct seq *s, const char *key, uint64_t kb)
{
	seq_printf(s, "%-16s%8" PRIu64 " kB\n", key, kb);
}

/* meminfo_hugepages - the unitless HugePages_* lines: the key padded to
 * 16 columns, 3 spaces, %5 (the value ends in column 24 like the others). */
static void meminfo_hugepages(struct seq *s, const char *key, uint64_t n)
{
	seq_printf(s, "%-16s   %5" PRIu64 "\n", key, n);
}

/* meminfo_highmem - the CONFIG_HIGHMEM lines of an i386 kernel (Linux's
 * si_meminfo's totalhigh/freehigh): HighTotal/HighFree are the managed
 * and free pages of every node's ZONE_HIGHMEM, LowTotal/LowFree the
 * rest. */
static void meminfo_highmem(struct seq *s)
{
	uint64_t managed = 0, free = 0;
	struct zone *z;

	for_each_zone(z)
		if (is_highmem_idx(zone_idx(z))) {
			managed += z->managed_pages;
			free += z->free_pages;
		}
	meminfo_kb(s, "HighTotal:", K(managed));
	meminfo_kb(s, "HighFree:", K(free));
	meminfo_kb(s, "LowTotal:", K(totalram_pages - managed));
	meminfo_kb(s, "LowFree:", K(nr_free_pages() - free));
}

/*
 * render_meminfo - /proc/meminfo of a 6.18 x86-64 kernel (Linux's
 * meminfo_proc_show), every line in order, values in KiB:
 *   MemTotal      = totalram_pages (managed pages of every zone)
 *   MemFree       = free pages in the buddy allocator (nr_free_pages)
 *   MemAvailable  = si_mem_available(): MemFree - totalreserve_pages
 *                   + file LRU - min(file LRU / 2, sum of low watermarks)
 *   Buffers       = 0 (no block devices)
 *   Cached        = NR_FILE_PAGES (page cache, shmem included) less the
 *                   swap cache, which Linux counts in NR_FILE_PAGES too
 *   SwapCached    = pages in the swap cache
 *   Active        = Active(anon) + Active(file); Inactive likewise
 *   Active(anon) .. Inactive(file), Unevictable = the LRU list sizes
 *   Mlocked       = NR_MLOCK
 *   SwapTotal, SwapFree = the page slots of the areas taking pages, and
 *                   the free ones
 *   Dirty         = NR_FILE_DIRTY (host-file pages written through a
 *                   shared mapping: never written back)
 *   Zswap, Zswapped = 0 (not modelled); Writeback = 0 (writeback is
 *                 synchronous: no page is under it between operations)
 *   AnonPages     = NR_ANON_MAPPED; Mapped = NR_FILE_MAPPED;
 *   Shmem         = NR_SHMEM
 *   SReclaimable, SUnreclaim = the frames of the reclaimable slab caches
 *                   and of the others with kmalloc_large's blocks (Linux
 *                   counts those as unreclaimable slab); KReclaimable = SReclaimable (no
 *                   other reclaimable kernel memory); Slab = the sum
 *   KernelStack   = NR_KERNEL_STACK_KB: every live task's THREAD_SIZE
 *   PageTables    = NR_PAGETABLE (page-table pages of every mm)
 *   SecPageTables, NFS_Unstable, Bounce, WritebackTmp = 0
 *   CommitLimit   = vm_commit_limit(); Committed_AS = vm_committed_as
 *   VmallocTotal  = the vmalloc area's size, as Linux's (VMALLOC_END -
 *                   VMALLOC_START) >> 10: x86-64 32 TiB - 1 KiB (its
 *                   VMALLOC_END is inclusive), i386 from 8 MiB above
 *                   lowmem to VMALLOC_END; VmallocUsed = the pages of the
 *                   vmalloc areas (vmalloc_nr_pages); VmallocChunk,
 *                   Percpu = 0
 *   AnonHugePages .. FilePmdMapped, Balloon = 0 (no THP, no balloon)
 *   HugePages_* = 0; Hugepagesize = the PMD page size (2048 kB, i386
 *                   non-PAE 4096 kB); Hugetlb = 0
 *   DirectMap4k/2M/1G (i386: 4k/4M) = 0 (the direct map is not modelled);
 *                   DirectMap1G only when the simulated CPU has 1 GiB
 *                   pages (arch_report_meminfo's direct_gbpages)
 *   HighTotal, HighFree, LowTotal, LowFree (i386 only, CONFIG_HIGHMEM) =
 *                   ZONE_HIGHMEM's managed and free pages, and the rest
 * Config-dependent lines absent on the 6.18 reference host (ShadowCallStack, HardwareCorrupted, CmaTotal/CmaFree, Unaccepted) are
 * not printed.
 */
void render_meminfo(struct seq *s)
{
	uint64_t act_anon = lru_pages(LRU_ACTIVE_ANON);
	uint64_t inact_anon = lru_pages(LRU_INACTIVE_ANON);
	uint64_t act_file = lru_pages(LRU_ACTIVE_FILE);
	uint64_t inact_file = lru_pages(LRU_INACTIVE_FILE);
	int64_t committed = vm_committed_as > 0 ? vm_committed_as : 0;

	meminfo_kb(s, "MemTotal:", K(totalram_pages));
	meminfo_kb(s, "MemFree:", K(nr_free_pages()));
	meminfo_kb(s, "MemAvailable:", K(si_mem_available()));
	meminfo_kb(s, "Buffers:", 0);
	meminfo_kb(s, "Cached:", K(global_node_page_state(NR_FILE_PAGES) -
				   total_swapcache_pages));
	meminfo_kb(s, "SwapCached:", K(total_swapcache_pages));
	meminfo_kb(s, "Active:", K(act_anon + act_file));
	meminfo_kb(s, "Inactive:", K(inact_anon + inact_file));
	meminfo_kb(s, "Active(anon):", K(act_anon));
	meminfo_kb(s, "Inactive(anon):", K(inact_anon));
	meminfo_kb(s, "Active(file):", K(act_file));
	meminfo_kb(s, "Inactive(file):", K(inact_file));
	meminfo_kb(s, "Unevictable:", K(lru_pages(LRU_UNEVICTABLE)));
	meminfo_kb(s, "Mlocked:", K(global_node_page_state(NR_MLOCK)));
	if (!kernel_is_64bit())
		meminfo_highmem(s);
	meminfo_kb(s, "SwapTotal:", K(total_swap_pages));
	meminfo_kb(s, "SwapFree:", K(nr_swap_pages));
	meminfo_kb(s, "Zswap:", 0);
	meminfo_kb(s, "Zswapped:", 0);
	meminfo_kb(s, "Dirty:", K(global_node_page_state(NR_FILE_DIRTY)));
	meminfo_kb(s, "Writeback:", 0);
	meminfo_kb(s, "AnonPages:", K(global_node_page_state(NR_ANON_MAPPED)));
	meminfo_kb(s, "Mapped:", K(global_node_page_state(NR_FILE_MAPPED)));
	meminfo_kb(s, "Shmem:", K(global_node_page_state(NR_SHMEM)));
	meminfo_kb(s, "KReclaimable:", K(slab_pages(true)));
	meminfo_kb(s, "Slab:", K(slab_pages(true) + slab_pages(false)));
	meminfo_kb(s, "SReclaimable:", K(slab_pages(true)));
	meminfo_kb(s, "SUnreclaim:", K(slab_pages(false)));
	meminfo_kb(s, "KernelStack:",
		   global_node_page_state(NR_KERNEL_STACK_KB));
	meminfo_kb(s, "PageTables:", K(global_node_page_state(NR_PAGETABLE)));
	meminfo_kb(s, "SecPageTables:", 0);
	meminfo_kb(s, "NFS_Unstable:", 0);
	meminfo_kb(s, "Bounce:", 0);
	meminfo_kb(s, "WritebackTmp:", 0);
	meminfo_kb(s, "CommitLimit:", K(vm_commit_limit()));
	meminfo_kb(s, "Committed_AS:", K(committed));
	meminfo_kb(s, "VmallocTotal:", (vmalloc_end() - vmalloc_start() -
					 (kernel_is_64bit() ? 1 : 0)) >> 10);
	meminfo_kb(s, "VmallocUsed:", K(vmalloc_nr_pages()));
	meminfo_kb(s, "VmallocChunk:", 0);
	meminfo_kb(s, "Percpu:", 0);
	meminfo_kb(s, "AnonHugePages:", 0);
	meminfo_kb(s, "ShmemHugePages:", 0);
	meminfo_kb(s, "ShmemPmdMapped:", 0);
	meminfo_kb(s, "FileHugePages:", 0);
	meminfo_kb(s, "FilePmdMapped:", 0);
	meminfo_kb(s, "Balloon:", 0);
	meminfo_hugepages(s, "HugePages_Total:", 0);
	meminfo_hugepages(s, "HugePages_Free:", 0);
	meminfo_hugepages(s, "HugePages_Rsvd:", 0);
	meminfo_hugepages(s, "HugePages_Surp:", 0);
	meminfo_kb(s, "Hugepagesize:", kernel_is_64bit() ? 2048 : 4096);
	meminfo_kb(s, "Hugetlb:", 0);
	meminfo_kb(s, "DirectMap4k:", 0);
	if (kernel_is_64bit()) {
		meminfo_kb(s, "DirectMap2M:", 0);
		if (cpu_has(&hw, X86_FEATURE_GBPAGES))
			meminfo_kb(s, "DirectMap1G:", 0);
	} else {
		meminfo_kb(s, "DirectMap4M:", 0);
	}
}

/* ---------------------------------------------------------------------- */
/* vmstat tables                                                          */
/* ---------------------------------------------------------------------- */

/*
 * Where the value of a vmstat line comes from.  VS_NAMED lines take the
 * simulation's event counter or node gauge of the same name (vm_event_names,
 * node_stat_names), and print 0 when the simulation has no such counter:
 * that is how every line Linux has but the simulation does not model
 * (workingset, compaction, THP, NUMA balancing...) reads 0.
 */
enum vm_src {
	VS_NAMED,
	VS_ZERO,		/* a zone item the simulation does not model */
	VS_FREE,		/* free pages */
	VS_FREE_BLOCKS,		/* free pages in pageblock-sized blocks */
	VS_LRU,			/* one LRU list (arg = enum lru_list) */
	VS_MLOCK,		/* mlocked pages */
	VS_NUMA,		/* a numa event (arg = enum numa_stat_item) */
	VS_DIRTY_THRESH,	/* global_dirty_limits(): dirty threshold */
	VS_DIRTY_BG,		/* ... and background threshold */
};

/* Which kernels have a line: per-zone event lines exist for the zones
 * the architecture has (zone_listed). */
enum vm_arch { VA_ALL, VA_64, VA_32 };

struct vm_line {
	const char *name;
	uint8_t src;		/* enum vm_src */
	uint8_t arg;
	uint8_t arch;		/* enum vm_arch */
};

#define NAMED(n)	{ n, VS_NAMED, 0, VA_ALL }
#define NAMED64(n)	{ n, VS_NAMED, 0, VA_64 }
#define NAMED32(n)	{ n, VS_NAMED, 0, VA_32 }
#define ZERO(n)		{ n, VS_ZERO, 0, VA_ALL }
#define LRU(n, l)	{ n, VS_LRU, l, VA_ALL }

/* Zone items (Linux's zone_stat_item), per zone in zoneinfo, summed in
 * vmstat. */
static const struct vm_line zone_lines[] = {
	{ "nr_free_pages", VS_FREE, 0, VA_ALL },
	{ "nr_free_pages_blocks", VS_FREE_BLOCKS, 0, VA_ALL },
	LRU("nr_zone_inactive_anon", LRU_INACTIVE_ANON),
	LRU("nr_zone_active_anon", LRU_ACTIVE_ANON),
	LRU("nr_zone_inactive_file", LRU_INACTIVE_FILE),
	LRU("nr_zone_active_file", LRU_ACTIVE_FILE),
	LRU("nr_zone_unevictable", LRU_UNEVICTABLE),
	ZERO("nr_zone_write_pending"),
	{ "nr_mlock", VS_MLOCK, 0, VA_ALL },
	ZERO("nr_zspages"),
	ZERO("nr_free_cma"),
};

/* NUMA events (Linux's zone_statistics), per zone in zoneinfo, summed in
 * vmstat. */
static const struct vm_line numa_lines[] = {
	{ "numa_hit", VS_NUMA, NUMA_HIT, VA_ALL },
	{ "numa_miss", VS_NUMA, NUMA_MISS, VA_ALL },
	{ "numa_foreign", VS_NUMA, NUMA_FOREIGN, VA_ALL },
	{ "numa_interleave", VS_NUMA, NUMA_INTERLEAVE_HIT, VA_ALL },
	{ "numa_local", VS_NUMA, NUMA_LOCAL, VA_ALL },
	{ "numa_other", VS_NUMA, NUMA_OTHER, VA_ALL },
};

/* Node items (Linux's node_stat_item), in vmstat and zoneinfo's per-node
 * block.  The LRU sizes come from the lruvec; nr_anon_pages, nr_mapped,
 * nr_file_pages, nr_shmem, nr_page_table_pages are the simulation's gauges
 * of those names. */
static const struct vm_line node_lines[] = {
	LRU("nr_inactive_anon", LRU_INACTIVE_ANON),
	LRU("nr_active_anon", LRU_ACTIVE_ANON),
	LRU("nr_inactive_file", LRU_INACTIVE_FILE),
	LRU("nr_active_file", LRU_ACTIVE_FILE),
	LRU("nr_unevictable", LRU_UNEVICTABLE),
	NAMED("nr_slab_reclaimable"),
	NAMED("nr_slab_unreclaimable"),
	NAMED("nr_isolated_anon"),
	NAMED("nr_isolated_file"),
	NAMED("workingset_nodes"),
	NAMED("workingset_refault_anon"),
	NAMED("workingset_refault_file"),
	NAMED("workingset_activate_anon"),
	NAMED("workingset_activate_file"),
	NAMED("workingset_restore_anon"),
	NAMED("workingset_restore_file"),
	NAMED("workingset_nodereclaim"),
	NAMED("nr_anon_pages"),
	NAMED("nr_mapped"),
	NAMED("nr_file_pages"),
	NAMED("nr_dirty"),
	NAMED("nr_writeback"),
	NAMED("nr_shmem"),
	NAMED("nr_shmem_hugepages"),
	NAMED("nr_shmem_pmdmapped"),
	NAMED("nr_file_hugepages"),
	NAMED("nr_file_pmdmapped"),
	NAMED("nr_anon_transparent_hugepages"),
	NAMED("nr_vmscan_write"),
	NAMED("nr_vmscan_immediate_reclaim"),
	NAMED("nr_dirtied"),
	NAMED("nr_written"),
	NAMED("nr_throttled_written"),
	NAMED("nr_kernel_misc_reclaimable"),
	NAMED("nr_foll_pin_acquired"),
	NAMED("nr_foll_pin_released"),
	NAMED("nr_kernel_stack"),
	NAMED("nr_page_table_pages"),
	NAMED("nr_sec_page_table_pages"),
	NAMED("nr_iommu_pages"),
	NAMED("nr_swapcached"),
	NAMED("pgpromote_success"),
	NAMED("pgpromote_candidate"),
	NAMED("pgpromote_candidate_nrl"),
	NAMED("pgdemote_kswapd"),
	NAMED("pgdemote_direct"),
	NAMED("pgdemote_khugepaged"),
	NAMED("pgdemote_proactive"),
	NAMED("nr_hugetlb"),
	NAMED("nr_balloon_pages"),
	NAMED("nr_kernel_file_pages"),
};

/* The writeback limits and memmap sizes (mem_map lives outside simulated
 * RAM, so the memmap counts are 0). */
static const struct vm_line limit_lines[] = {
	{ "nr_dirty_threshold", VS_DIRTY_THRESH, 0, VA_ALL },
	{ "nr_dirty_background_threshold", VS_DIRTY_BG, 0, VA_ALL },
	NAMED("nr_memmap_pages"),
	NAMED("nr_memmap_boot_pages"),
};

/* Events (Linux's vm_event_item), 6.18 order; the CONFIG_DEBUG_TLBFLUSH
 * counters, which the simulation keeps, sit where that option puts them
 * (after the balloon events). */
static const struct vm_line event_lines[] = {
	NAMED("pgpgin"), NAMED("pgpgout"), NAMED("pswpin"), NAMED("pswpout"),
	NAMED("pgalloc_dma"), NAMED64("pgalloc_dma32"), NAMED("pgalloc_normal"),
	NAMED32("pgalloc_high"), NAMED("pgalloc_movable"),
	NAMED64("pgalloc_device"),
	NAMED("allocstall_dma"), NAMED64("allocstall_dma32"),
	NAMED("allocstall_normal"), NAMED32("allocstall_high"),
	NAMED("allocstall_movable"), NAMED64("allocstall_device"),
	NAMED("pgskip_dma"), NAMED64("pgskip_dma32"), NAMED("pgskip_normal"),
	NAMED32("pgskip_high"), NAMED("pgskip_movable"),
	NAMED64("pgskip_device"),
	NAMED("pgfree"), NAMED("pgactivate"), NAMED("pgdeactivate"),
	NAMED("pglazyfree"), NAMED("pgfault"), NAMED("pgmajfault"),
	NAMED("pglazyfreed"), NAMED("pgrefill"), NAMED("pgreuse"),
	NAMED("pgsteal_kswapd"), NAMED("pgsteal_direct"),
	NAMED("pgsteal_khugepaged"), NAMED("pgsteal_proactive"),
	NAMED("pgscan_kswapd"), NAMED("pgscan_direct"),
	NAMED("pgscan_khugepaged"), NAMED("pgscan_proactive"),
	NAMED("pgscan_direct_throttle"), NAMED("pgscan_anon"),
	NAMED("pgscan_file"), NAMED("pgsteal_anon"), NAMED("pgsteal_file"),
	NAMED("zone_reclaim_success"), NAMED("zone_reclaim_failed"),
	NAMED("pginodesteal"), NAMED("slabs_scanned"),
	NAMED("kswapd_inodesteal"), NAMED("kswapd_low_wmark_hit_quickly"),
	NAMED("kswapd_high_wmark_hit_quickly"), NAMED("pageoutrun"),
	NAMED("pgrotated"), NAMED("drop_pagecache"), NAMED("drop_slab"),
	NAMED("oom_kill"),
	NAMED("numa_pte_updates"), NAMED("numa_huge_pte_updates"),
	NAMED("numa_hint_faults"), NAMED("numa_hint_faults_local"),
	NAMED("numa_pages_migrated"),
	NAMED("pgmigrate_success"), NAMED("pgmigrate_fail"),
	NAMED("thp_migration_success"), NAMED("thp_migration_fail"),
	NAMED("thp_migration_split"),
	NAMED("compact_migrate_scanned"), NAMED("compact_free_scanned"),
	NAMED("compact_isolated"), NAMED("compact_stall"),
	NAMED("compact_fail"), NAMED("compact_success"),
	NAMED("compact_daemon_wake"), NAMED("compact_daemon_migrate_scanned"),
	NAMED("compact_daemon_free_scanned"),
	NAMED("htlb_buddy_alloc_success"), NAMED("htlb_buddy_alloc_fail"),
	NAMED("unevictable_pgs_culled"), NAMED("unevictable_pgs_scanned"),
	NAMED("unevictable_pgs_rescued"), NAMED("unevictable_pgs_mlocked"),
	NAMED("unevictable_pgs_munlocked"), NAMED("unevictable_pgs_cleared"),
	NAMED("unevictable_pgs_stranded"),
	NAMED("thp_fault_alloc"), NAMED("thp_fault_fallback"),
	NAMED("thp_fault_fallback_charge"), NAMED("thp_collapse_alloc"),
	NAMED("thp_collapse_alloc_failed"), NAMED("thp_file_alloc"),
	NAMED("thp_file_fallback"), NAMED("thp_file_fallback_charge"),
	NAMED("thp_file_mapped"), NAMED("thp_split_page"),
	NAMED("thp_split_page_failed"), NAMED("thp_deferred_split_page"),
	NAMED("thp_underused_split_page"), NAMED("thp_split_pmd"),
	NAMED("thp_scan_exceed_none_pte"), NAMED("thp_scan_exceed_swap_pte"),
	NAMED("thp_scan_exceed_share_pte"), NAMED("thp_split_pud"),
	NAMED("thp_zero_page_alloc"), NAMED("thp_zero_page_alloc_failed"),
	NAMED("thp_swpout"), NAMED("thp_swpout_fallback"),
	NAMED("balloon_inflate"), NAMED("balloon_deflate"),
	NAMED("balloon_migrate"),
	NAMED("nr_tlb_remote_flush"), NAMED("nr_tlb_remote_flush_received"),
	NAMED("nr_tlb_local_flush_all"), NAMED("nr_tlb_local_flush_one"),
	NAMED("swap_ra"), NAMED("swap_ra_hit"), NAMED("swpin_zero"),
	NAMED("swpout_zero"), NAMED("ksm_swpin_copy"), NAMED("cow_ksm"),
	NAMED("zswpin"), NAMED("zswpout"), NAMED("zswpwb"),
	NAMED("direct_map_level2_splits"), NAMED("direct_map_level3_splits"),
	NAMED("direct_map_level2_collapses"),
	NAMED("direct_map_level3_collapses"),
	NAMED("nr_unstable"),
};

/*
 * The simulation counter behind each VS_NAMED line, found by name once:
 * -1 none, i < NR_VM_EVENT_ITEMS event i, else node gauge
 * i - NR_VM_EVENT_ITEMS.  The names are constants, so the table is built at
 * the first render and kept.
 */
struct vm_table {
	const struct vm_line *line;
	size_t n;
	int16_t *slot;
};

static int16_t zone_slot[ARRAY_SIZE(zone_lines)];
static int16_t numa_slot[ARRAY_SIZE(numa_lines)];
static int16_t node_slot[ARRAY_SIZE(node_lines)];
static int16_t limit_slot[ARRAY_SIZE(limit_lines)];
static int16_t event_slot[ARRAY_SIZE(event_lines)];

static const struct vm_table vm_tables[] = {
	{ zone_lines, ARRAY_SIZE(zone_lines), zone_slot },
	{ numa_lines, ARRAY_SIZE(numa_lines), numa_slot },
	{ node_lines, ARRAY_SIZE(node_lines), node_slot },
	{ limit_lines, ARRAY_SIZE(limit_lines), limit_slot },
	{ event_lines, ARRAY_SIZE(event_lines), event_slot },
};

enum { VT_ZONE, VT_NUMA, VT_NODE, VT_LIMIT, VT_EVENT };

/* counter_slot - the slot of the simulation counter called name, or -1. */
static int16_t counter_slot(const char *name)
{
	for (int i = 0; i < NR_VM_EVENT_ITEMS; i++)
		if (vm_event_names[i] && !strcmp(vm_event_names[i], name))
			return (int16_t)i;
	for (int i = 0; i < NR_VM_NODE_STAT_ITEMS; i++)
		if (node_stat_names[i] && !strcmp(node_stat_names[i], name))
			return (int16_t)(NR_VM_EVENT_ITEMS + i);
	return -1;
}

/* vm_tables_resolve - fill every table's slots (once). */
static void vm_tables_resolve(void)
{
	static bool resolved;

	if (resolved)
		return;
	for (size_t t = 0; t < ARRAY_SIZE(vm_tables); t++)
		for (size_t i = 0; i < vm_tables[t].n; i++)
			vm_tables[t].slot[i] =
				vm_tables[t].line[i].src == VS_NAMED ?
				counter_slot(vm_tables[t].line[i].name) : -1;
	resolved = true;
}

/* slot_value - the current value of a resolved slot (0 for -1). */
static uint64_t slot_value(int16_t slot)
{
	if (slot < 0)
		return 0;
	if (slot < NR_VM_EVENT_ITEMS)
		return vmstat.events[slot];
	return global_node_page_state(
		(enum node_stat_item)(slot - NR_VM_EVENT_ITEMS));
}

/* node_slot_value - a resolved slot for node nid (zoneinfo's per-node
 * stats): a gauge is the node's own; an event is counted for the whole
 * machine and shown under node 0 (0 under the others), so the nodes
 * sum to vmstat. */
static uint64_t node_slot_value(int16_t slot, int nid)
{
	if (slot < NR_VM_EVENT_ITEMS)
		return nid == 0 ? slot_value(slot) : 0;
	return node_page_state(NODE_DATA(nid),
			       (enum node_stat_item)(slot - NR_VM_EVENT_ITEMS));
}

/* node_lru_sum - pages on list l of node nid's zones, from zl. */
static uint64_t node_lru_sum(const struct zone_lru_stat *zl, int nid, int l)
{
	uint64_t sum = 0;

	for (int z = 0; z < MAX_NR_ZONES; z++)
		sum += zl->lru[nid][z][l];
	return sum;
}

/*
 * vm_value - the value of line i of table t: for zone z (zoneinfo's zone
 * items, zl its LRU counts), else for node nid >= 0 (zoneinfo's per-node
 * stats, zl its LRU counts), else for the whole machine (z NULL, nid -1,
 * zl unused).
 */
static uint64_t vm_value(int t, size_t i, const struct zone *z, int nid,
			 const struct zone_lru_stat *zl)
{
	const struct vm_line *l = &vm_tables[t].line[i];
	uint64_t thresh, bg, sum = 0;
	struct zone *zone;

	switch (l->src) {
	case VS_FREE:
		return z ? z->free_pages : nr_free_pages();
	case VS_FREE_BLOCKS:
		if (z)
			return zone_free_pages_blocks(z);
		for_each_zone(zone)
			sum += zone_free_pages_blocks(zone);
		return sum;
	case VS_LRU:
		if (z)
			return zl->lru[z->node][zone_idx(z)][l->arg];
		return nid >= 0 ? node_lru_sum(zl, nid, l->arg) :
				  lru_pages(l->arg);
	case VS_MLOCK:
		return z ? zl->mlock[z->node][zone_idx(z)] :
			   global_node_page_state(NR_MLOCK);
	case VS_NUMA:
		return z ? zone_numa_event_state(z, l->arg) :
			   sum_numa_event(l->arg);
	case VS_DIRTY_THRESH:
	case VS_DIRTY_BG:
		global_dirty_limits(&bg, &thresh);
		return l->src == VS_DIRTY_THRESH ? thresh : bg;
	case VS_NAMED:
		if (nid >= 0 && vm_tables[t].slot[i] >= 0)
			return node_slot_value(vm_tables[t].slot[i], nid);
		return slot_value(vm_tables[t].slot[i]);
	default:
		return 0;
	}
}

/* vm_line_listed - does this kernel have the line? */
static bool vm_line_listed(const struct vm_line *l)
{
	return l->arch == VA_ALL ||
	       (l->arch == VA_64) == kernel_is_64bit();
}

/* vmstat_table - every line of table t as "name value". */
static void vmstat_table(struct seq *s, int t)
{
	for (size_t i = 0; i < vm_tables[t].n; i++)
		if (vm_line_listed(&vm_tables[t].line[i]))
			seq_printf(s, "%s %" PRIu64 "\n",
				   vm_tables[t].line[i].name,
				   vm_value(t, i, NULL, -1, NULL));
}

/* tlb_sums - hits, misses and flushes summed over every CPU's TLB. */
static void tlb_sums(uint64_t sum[4])
{
	memset(sum, 0, 4 * sizeof(sum[0]));
	for (int i = 0; i < hw.nr_cpus; i++) {
		const struct tlb *t = &hw.cpus[i].tlb;

		sum[0] += t->hits;
		sum[1] += t->misses;
		sum[2] += t->flush_all;
		sum[3] += t->flush_one;
	}
}

/* vmstat_mmufs - the simulation's own lines: every event and gauge whose
 * name starts with mmufs_, then the TLB and page-walk counters. */
static void vmstat_mmufs(struct seq *s)
{
	uint64_t tlb[4];

	for (int i = 0; i < NR_VM_EVENT_ITEMS; i++)
		if (vm_event_names[i] && !strncmp(vm_event_names[i], "mmufs_", 6))
			seq_printf(s, "%s %" PRIu64 "\n", vm_event_names[i],
				   vmstat.events[i]);
	for (int i = 0; i < NR_VM_NODE_STAT_ITEMS; i++)
		if (node_stat_names[i] && !strncmp(node_stat_names[i], "mmufs_", 6))
			seq_printf(s, "%s %" PRIu64 "\n", node_stat_names[i],
				   global_node_page_state((enum node_stat_item)i));
	tlb_sums(tlb);
	seq_printf(s, "mmufs_tlb_hits %" PRIu64 "\n", tlb[0]);
	seq_printf(s, "mmufs_tlb_misses %" PRIu64 "\n", tlb[1]);
	seq_printf(s, "mmufs_page_walks %" PRIu64 "\n", hw.page_walks);
	seq_printf(s, "mmufs_tlb_flush_all %" PRIu64 "\n", tlb[2]);
	seq_printf(s, "mmufs_tlb_flush_one %" PRIu64 "\n", tlb[3]);
}

/*
 * render_vmstat - /proc/vmstat (Linux's vmstat_start/vmstat_show): "name
 * value" lines, one space, in 6.18 order, then the simulation's lines.
 *   nr_free_pages = free pages; nr_free_pages_blocks = free pages in
 *     blocks of order >= pageblock_order
 *   nr_zone_{inactive,active}_{anon,file}, nr_zone_unevictable and
 *     nr_{inactive,active}_{anon,file}, nr_unevictable = LRU list sizes
 *   nr_mlock = NR_MLOCK; numa_hit, numa_miss, numa_foreign,
 *     numa_interleave (0: no interleave policy), numa_local, numa_other =
 *     the zones' numa events summed (Linux's zone_statistics: one per
 *     allocation)
 *   nr_anon_pages, nr_mapped, nr_file_pages, nr_shmem,
 *     nr_page_table_pages = the gauges NR_ANON_MAPPED, NR_FILE_MAPPED,
 *     NR_FILE_PAGES, NR_SHMEM, NR_PAGETABLE
 *   nr_dirty_threshold / nr_dirty_background_threshold = Linux's
 *     global_dirty_limits() with the default ratios (mm/page_writeback.c)
 *   events (pgpgin ... pgalloc_*, pgfree, pgfault, pgmajfault, pgreuse,
 *     pgsteal_*, pgscan_*, oom_kill, unevictable_pgs_*, drop_*,
 *     nr_tlb_*) = the simulation's counters of the same names
 *   everything else 0 (not modelled)
 *   mmufs_* = the simulation's own events and gauges (mmufs_fault_<outcome>,
 *     mmufs_fork/exec/exit, mmufs_zero_page_mapped), then mmufs_tlb_hits,
 *     mmufs_tlb_misses, mmufs_page_walks (hw.page_walks),
 *     mmufs_tlb_flush_all, mmufs_tlb_flush_one (summed over CPUs).
 * The whole text stays well below the 8191 bytes procps reads at once.
 */
void render_vmstat(struct seq *s)
{
	vm_tables_resolve();
	vmstat_table(s, VT_ZONE);
	vmstat_table(s, VT_NUMA);
	vmstat_table(s, VT_NODE);
	vmstat_table(s, VT_LIMIT);
	vmstat_table(s, VT_EVENT);
	vmstat_mmufs(s);
}

/* ---------------------------------------------------------------------- */
/* buddyinfo, pagetypeinfo, zoneinfo                                      */
/* ---------------------------------------------------------------------- */

/*
 * render_buddyinfo - /proc/buddyinfo (Linux's frag_show): per node and
 * populated zone "Node N, zone %8s " and the number of free blocks of
 * each order 0..MAX_ORDER as "%6lu ", then a newline.
 */
void render_buddyinfo(struct seq *s)
{
	struct zone *zone;

	for_each_zone(zone) {
		if (!zone_populated(zone))
			continue;
		seq_printf(s, "Node %d, zone %8s ", zone->node, zone->name);
		for (int o = 0; o <= MAX_ORDER; o++)
			seq_printf(s, "%6" PRIu64 " ", zone->free_area[o].nr_free);
		seq_putc(s, '\n');
	}
}

static const char *const migratetype_names[MIGRATE_TYPES] = {
	[MIGRATE_UNMOVABLE] = "Unmovable",
	[MIGRATE_MOVABLE] = "Movable",
	[MIGRATE_RECLAIMABLE] = "Reclaimable",
	[MIGRATE_HIGHATOMIC] = "HighAtomic",
	[MIGRATE_ISOLATE] = "Isolate",
};

/* pagetypeinfo_free - the free-block table (Linux's
 * pagetypeinfo_showfree_print): per zone and migratetype the blocks on
 * each order's list; Linux stops counting at 100000 and prints
 * ">100000". */
static void pagetypeinfo_free(struct seq *s)
{
	struct zone *zone;

	seq_printf(s, "%-43s ", "Free pages count per migrate type at order");
	for (int o = 0; o <= MAX_ORDER; o++)
		seq_printf(s, "%6d ", o);
	seq_putc(s, '\n');
	for_each_zone(zone) {
		if (!zone_populated(zone))
			continue;
		for (int m = 0; m < MIGRATE_TYPES; m++) {
			seq_printf(s, "Node %4d, zone %8s, type %12s ",
				   zone->node, zone->name, migratetype_names[m]);
			for (int o = 0; o <= MAX_ORDER; o++) {
				uint64_t n = zone_free_blocks_of_type(zone, o, m,
								      100000);

				if (n >= 100000)
					seq_puts(s, ">100000 ");
				else
					seq_printf(s, "%6" PRIu64 " ", n);
			}
			seq_putc(s, '\n');
		}
	}
}

/* pagetypeinfo_blocks - the pageblock table (Linux's
 * pagetypeinfo_showblockcount_print): the pageblocks of each zone by
 * migratetype. */
static void pagetypeinfo_blocks(struct seq *s)
{
	struct zone *zone;

	seq_printf(s, "\n%-23s", "Number of blocks type ");
	for (int m = 0; m < MIGRATE_TYPES; m++)
		seq_printf(s, "%12s ", migratetype_names[m]);
	seq_putc(s, '\n');
	for_each_zone(zone) {
		uint64_t counts[MIGRATE_TYPES];

		if (!zone_populated(zone))
			continue;
		zone_pageblock_counts(zone, counts);
		seq_printf(s, "Node %d, zone %8s ", zone->node, zone->name);
		for (int m = 0; m < MIGRATE_TYPES; m++)
			seq_printf(s, "%12" PRIu64 " ", counts[m]);
		seq_putc(s, '\n');
	}
}

/*
 * render_pagetypeinfo - /proc/pagetypeinfo (Linux's pagetypeinfo_show):
 * the pageblock order and size, a blank line, the free blocks per zone,
 * migratetype and order, a blank line, the pageblocks per zone and type.
 */
void render_pagetypeinfo(struct seq *s)
{
	seq_printf(s, "Page block order: %u\n", pageblock_order());
	seq_printf(s, "Pages per block:  %" PRIu64 "\n",
		   (uint64_t)1 << pageblock_order());
	seq_putc(s, '\n');
	pagetypeinfo_free(s);
	pagetypeinfo_blocks(s);
}

/* zoneinfo_node_stats - the per-node block under the node's first
 * populated zone: every node item of node nid as "      %-12s %lu". */
static void zoneinfo_node_stats(struct seq *s, int nid,
				const struct zone_lru_stat *zl)
{
	seq_puts(s, "\n  per-node stats");
	for (size_t i = 0; i < ARRAY_SIZE(node_lines); i++)
		seq_printf(s, "\n      %-12s %" PRIu64, node_lines[i].name,
			   vm_value(VT_NODE, i, NULL, nid, zl));
}

/* zoneinfo_wmarks - "pages free" and the watermark/size lines, then the
 * protection list over every listed zone. */
static void zoneinfo_wmarks(struct seq *s, const struct zone *z)
{
	bool first = true;

	seq_printf(s, "\n  pages free     %" PRIu64, z->free_pages);
	seq_printf(s, "\n        boost    %d", 0);
	seq_printf(s, "\n        min      %" PRIu64, z->watermark[WMARK_MIN]);
	seq_printf(s, "\n        low      %" PRIu64, z->watermark[WMARK_LOW]);
	seq_printf(s, "\n        high     %" PRIu64, z->watermark[WMARK_HIGH]);
	seq_printf(s, "\n        promo    %" PRIu64, promo_wmark_pages(z));
	seq_printf(s, "\n        spanned  %" PRIu64, z->spanned_pages);
	seq_printf(s, "\n        present  %" PRIu64, z->present_pages);
	seq_printf(s, "\n        managed  %" PRIu64, z->managed_pages);
	seq_printf(s, "\n        cma      %d", 0);
	seq_puts(s, "\n        protection: (");
	for (int j = 0; j < NR_LISTED_ZONES; j++) {
		if (!zone_listed(j))
			continue;
		seq_printf(s, "%s%" PRIu64, first ? "" : ", ",
			   lowmem_reserve_of(z, j));
		first = false;
	}
	seq_putc(s, ')');
}

/* zoneinfo_pagesets - per CPU: its pcp list of z (count, high, batch,
 * high_min, high_max) and the vmstat threshold. */
static void zoneinfo_pagesets(struct seq *s, const struct zone *z)
{
	seq_puts(s, "\n  pagesets");
	for (int cpu = 0; cpu < hw.nr_cpus; cpu++) {
		const struct per_cpu_pages *pcp = &z->pcp[cpu];

		seq_printf(s, "\n    cpu: %d", cpu);
		seq_printf(s, "\n              count:    %" PRIu64, pcp->count);
		seq_printf(s, "\n              high:     %" PRIu64, pcp->high);
		seq_printf(s, "\n              batch:    %" PRIu64, pcp->batch);
		seq_printf(s, "\n              high_min: %" PRIu64,
			   pcp->high_min);
		seq_printf(s, "\n              high_max: %" PRIu64,
			   pcp->high_max);
		seq_printf(s, "\n  vm stats threshold: %d",
			   calculate_normal_threshold(z));
	}
}

/* zoneinfo_zone - the block of listed zone i of node nid. */
static void zoneinfo_zone(struct seq *s, int nid, int i, bool node_stats,
			  const struct zone_lru_stat *zl)
{
	const struct zone *z = zone_at(nid, i);

	seq_printf(s, "Node %d, zone %8s", nid, z->name);
	if (node_stats)
		zoneinfo_node_stats(s, nid, zl);
	zoneinfo_wmarks(s, z);
	if (!zone_populated(z)) {
		seq_putc(s, '\n');
		return;
	}
	for (size_t k = 0; k < ARRAY_SIZE(zone_lines); k++)
		seq_printf(s, "\n      %-12s %" PRIu64, zone_lines[k].name,
			   vm_value(VT_ZONE, k, z, nid, zl));
	for (size_t k = 0; k < ARRAY_SIZE(numa_lines); k++)
		seq_printf(s, "\n      %-12s %" PRIu64, numa_lines[k].name,
			   vm_value(VT_NUMA, k, z, nid, zl));
	zoneinfo_pagesets(s, z);
	seq_printf(s, "\n  node_unreclaimable:  %d", 0);
	seq_printf(s, "\n  start_pfn:           %" PRIu64 "\n",
		   z->zone_start_pfn);
}

/*
 * render_zoneinfo - /proc/zoneinfo (Linux's zoneinfo_show_print): per node,
 * one block per zone of x86 Linux (DMA, DMA32, Normal, Movable, Device;
 * i386: DMA, Normal, HighMem, Movable), the node's per-node stats under
 * its first populated zone,
 * free pages, watermarks (boost 0, promo = high + (high - low)), sizes,
 * protection (lowmem_reserve); for populated zones the zone and NUMA items
 * (LRU counts per zone from the lists), the per-CPU pagesets and
 * start_pfn.
 */
void render_zoneinfo(struct seq *s)
{
	struct zone_lru_stat zl;
	int nid;

	vm_tables_resolve();
	count_zone_lru_pages(&zl);
	for_each_online_node(nid) {
		bool stats_done = false;

		for (int i = 0; i < NR_LISTED_ZONES; i++) {
			bool first = !stats_done &&
				     zone_populated(zone_at(nid, i));

			if (!zone_listed(i))
				continue;
			zoneinfo_zone(s, nid, i, first, &zl);
			stats_done |= first;
		}
	}
}

/* slab_free_partial - the free objects of s's partial slabs (SLUB's
 * count_partial: the CPUs' current slabs count as in use). */
static uint64_t slab_free_partial(const struct kmem_cache *s)
{
	const struct list_head *l;
	uint64_t n = 0;

	list_for_each(l, &s->partial)
		n += s->objects - list_entry(l, struct page, lru)->private;
	return n;
}

/*
 * render_slabinfo - /proc/slabinfo (Linux's slab_show and cache_show with
 * SLUB's get_slabinfo): the version line, the column legend, and a line
 * per cache, newest first.  Objects free in a CPU's current slab count
 * as active, as SLUB counts them; SLUB has no tunables (0 0 0).
 */
void render_slabinfo(struct seq *s)
{
	const struct list_head *l;

	seq_puts(s, "slabinfo - version: 2.1\n");
	seq_puts(s, "# name            <active_objs> <num_objs> <objsize> "
		 "<objperslab> <pagesperslab> : tunables <limit> <batchcount> "
		 "<sharedfactor> : slabdata <active_slabs> <num_slabs> "
		 "<sharedavail>\n");
	list_for_each(l, &slab_caches) {
		const struct kmem_cache *c = list_entry(l, struct kmem_cache,
							list);
		uint64_t objs = c->nr_slabs * c->objects;

		seq_printf(s, "%-17s %6" PRIu64 " %6" PRIu64 " %6u %4u %4d",
			   c->name, objs - slab_free_partial(c), objs, c->size,
			   c->objects, 1 << c->order);
		seq_printf(s, " : tunables %4u %4u %4u", 0, 0, 0);
		seq_printf(s, " : slabdata %6" PRIu64 " %6" PRIu64 " %6u\n",
			   c->nr_slabs, c->nr_slabs, 0);
	}
}

/* ---------------------------------------------------------------------- */
/* stat, uptime, loadavg, cpuinfo, swaps                                  */
/* ---------------------------------------------------------------------- */

/* intr_total - /proc/stat's intr: every interrupt of every CPU (Linux's
 * arch_irq_stat_cpu summed; no device raises one here). */
static uint64_t intr_total(void)
{
	uint64_t n = 0;

	for (int cpu = 0; cpu < hw.nr_cpus; cpu++)
		n += arch_irq_stat_cpu(cpu);
	return n;
}

/* stat_cpu_line - one cpu line, from ns of each kind: user nice system
 * idle iowait irq softirq steal guest guest_nice in USER_HZ ticks (nice,
 * irq, softirq, steal and guest time nothing here takes). */
static void stat_cpu_line(struct seq *s, const char *name,
			  const uint64_t ns[NR_CPUTIME], uint64_t idle)
{
	seq_printf(s, "%s %" PRIu64 " 0 %" PRIu64 " %" PRIu64 " %" PRIu64
		   " 0 0 0 0 0\n", name, nsec_to_clock_t(ns[CPUTIME_USER]),
		   nsec_to_clock_t(ns[CPUTIME_SYSTEM]), nsec_to_clock_t(idle),
		   nsec_to_clock_t(ns[CPUTIME_IOWAIT]));
}

/*
 * render_proc_stat - /proc/stat (Linux's show_stat): each CPU's time from
 * the machine's clock (kcpustat; idle is the clock less its work; "cpu  "
 * sums the CPUs' ns), intr = the CPUs' interrupts, ctxt = nvcsw + nivcsw
 * of the live tasks, btime = host wall clock at boot, processes = forks
 * + 2 (init and kthreadd), procs_running = tasks current on a CPU,
 * procs_blocked 0 (no task waits between commands), softirq zeros.
 */
void render_proc_stat(struct seq *s)
{
	uint64_t sum[NR_CPUTIME] = { 0 };
	char name[16];

	for (int i = 0; i < hw.nr_cpus; i++)
		for (int k = 0; k < NR_CPUTIME; k++)
			sum[k] += kcpustat[i][k];
	stat_cpu_line(s, "cpu ", sum, cpus_idle_ns());
	for (int i = 0; i < hw.nr_cpus; i++) {
		snprintf(name, sizeof(name), "cpu%d", i);
		stat_cpu_line(s, name, kcpustat[i], cpu_idle_ns(i));
	}
	seq_printf(s, "intr %" PRIu64 "\n", intr_total());
	seq_printf(s, "ctxt %" PRIu64 "\n", nr_context_switches());
	seq_printf(s, "btime %" PRIu64 "\n", boot_wall_ns / 1000000000);
	seq_printf(s, "processes %" PRIu64 "\n", total_forks);
	seq_printf(s, "procs_running %u\n", nr_running());
	seq_puts(s, "procs_blocked 0\n");
	seq_puts(s, "softirq 0 0 0 0 0 0 0 0 0 0 0\n");
}

/* seq_put_seconds - ns as seconds with two decimals ("%lu.%02lu"). */
static void seq_put_seconds(struct seq *s, uint64_t ns)
{
	seq_printf(s, "%" PRIu64 ".%02" PRIu64, ns / 1000000000,
		   ns % 1000000000 / 10000000);
}

/*
 * render_uptime - /proc/uptime (Linux's uptime_proc_show): the machine's
 * clock and the idle time of its CPUs summed, in seconds.
 */
void render_uptime(struct seq *s)
{
	seq_put_seconds(s, ktime_get_ns());
	seq_putc(s, ' ');
	seq_put_seconds(s, cpus_idle_ns());
	seq_putc(s, '\n');
}

/* LOAD_INT, LOAD_FRAC - a load average's integer part and hundredths
 * (Linux's). */
#define LOAD_INT(x)	((x) >> FSHIFT)
#define LOAD_FRAC(x)	LOAD_INT(((x) & (FIXED_1 - 1)) * 100)

/*
 * render_loadavg - /proc/loadavg (Linux's loadavg_proc_show): the load
 * averages over 1, 5 and 15 minutes of the machine's clock (rounded to
 * hundredths), running/total tasks, the last pid.
 */
void render_loadavg(struct seq *s)
{
	for (int i = 0; i < 3; i++) {
		unsigned long a = avenrun[i] + FIXED_1 / 200;

		seq_printf(s, "%lu.%02lu ", LOAD_INT(a), LOAD_FRAC(a));
	}
	seq_printf(s, "%u/%d %d\n", nr_running(), nr_tasks,
		   last_pid_allocated());
}

/* cpuinfo_flags - the feature flags of the simulated CPU. */
static void cpuinfo_flags(struct seq *s)
{
	seq_puts(s, "flags\t\t:");
	for (int f = 0; f < NR_CPU_FEATURES; f++)
		if (cpu_has(&hw, f))
			seq_printf(s, " %s", cpu_feature_name(f));
	seq_putc(s, '\n');
}

/* cpuinfo_cpu - the block of one CPU. */
static void cpuinfo_cpu(struct seq *s, int i)
{
	seq_printf(s, "processor\t: %d\n", i);
	seq_puts(s, "vendor_id\t: GenuineIntel\n");
	seq_puts(s, "cpu family\t: 6\n");
	seq_puts(s, "model\t\t: 0\n");
	seq_puts(s, "model name\t: mmufs simulated x86-64 CPU\n");
	seq_puts(s, "stepping\t: 0\n");
	seq_puts(s, "physical id\t: 0\n");
	seq_printf(s, "siblings\t: %d\n", hw.nr_cpus);
	seq_printf(s, "core id\t\t: %d\n", i);
	seq_printf(s, "cpu cores\t: %d\n", hw.nr_cpus);
	seq_printf(s, "apicid\t\t: %d\n", i);
	seq_printf(s, "initial apicid\t: %d\n", i);
	seq_puts(s, "fpu\t\t: yes\n");
	seq_puts(s, "fpu_exception\t: yes\n");
	seq_puts(s, "cpuid level\t: 13\n");
	seq_puts(s, "wp\t\t: yes\n");
	cpuinfo_flags(s);
	seq_puts(s, "bugs\t\t:\n");
	seq_printf(s, "TLB size\t: %u 4K pages\n", hw.cpus[i].tlb.nr_entries);
	seq_puts(s, "clflush size\t: 64\n");
	seq_puts(s, "cache_alignment\t: 64\n");
	seq_printf(s, "address sizes\t: 46 bits physical, %d bits virtual\n",
		   hw.geom->va_bits);
	seq_puts(s, "power management:\n\n");
}

/*
 * render_cpuinfo - /proc/cpuinfo (Linux's x86 show_cpuinfo): one block per
 * simulated CPU, keys as x86 prints them, blocks ended by a blank line.
 * The simulated CPU has no clock, caches or microcode, so the cpu MHz,
 * cache size, microcode and bogomips lines are left out; TLB size is the
 * data TLB's entries; address sizes 46 bits physical and 48 (i386 mode:
 * 32) bits virtual.
 */
void render_cpuinfo(struct seq *s)
{
	for (int i = 0; i < hw.nr_cpus; i++)
		cpuinfo_cpu(s, i);
}

/*
 * render_swaps - /proc/swaps (Linux's swap_show): the header, then one
 * line per area in type order: its name /dev/swapN (a RAM disk, as zram
 * is: a partition), padded to 40 columns, Size and Used in KiB (the
 * header slot not counted), the priority.  An area being swapped off is
 * not listed (Linux lists only SWP_WRITEOK areas).
 */
void render_swaps(struct seq *s)
{
	seq_puts(s, "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n");
	for (int t = 0; t < MAX_SWAPFILES; t++) {
		const struct swap_info_struct *si = swap_info[t];
		uint64_t bytes, inuse;
		char name[32];
		int len;

		if (!si || !(si->flags & SWP_WRITEOK))
			continue;
		len = snprintf(name, sizeof(name), "/dev/swap%d", t);
		bytes = K(si->pages);
		inuse = K(si->inuse_pages);
		seq_printf(s, "%s%*s%s\t%" PRIu64 "\t%s%" PRIu64 "\t%s%d\n",
			   name, len < 40 ? 40 - len : 1, " ", "partition",
			   bytes, bytes < 10000000 ? "\t" : "", inuse,
			   inuse < 10000000 ? "\t" : "", si->prio);
	}
}

/* render_diskstats - /proc/diskstats (Linux's diskstats_show): a line per
 * block device, which here are the swap areas' RAM disks, swap<N> (as
 * /proc/swaps names them /dev/swap<N>) with major 1 (Linux's RAMDISK_MAJOR)
 * and minor N.  Each read and write is one page (8 sectors), never
 * merged; the device takes no time, has nothing in flight, and gets no
 * discard (swapon without --discard) nor flush. */
void render_diskstats(struct seq *s)
{
	for (int t = 0; t < MAX_SWAPFILES; t++) {
		const struct swap_info_struct *si = swap_info[t];

		if (!si || !(si->flags & SWP_WRITEOK))
			continue;
		seq_printf(s, "%4d %7d swap%d %" PRIu64 " 0 %" PRIu64 " 0 %"
			   PRIu64 " 0 %" PRIu64 " 0 0 0 0 0 0 0 0 0 0\n",
			   1, t, t, si->dev.reads, si->dev.reads * 8,
			   si->dev.writes, si->dev.writes * 8);
	}
}

/*
 * render_vmallocinfo - /proc/vmallocinfo (Linux's vmalloc_info_show): one
 * line per area in address order, "0x<start>-0x<end> <size> <caller>
 * pages=<n> vmalloc", start and end as %px prints them (16 hex digits on
 * x86-64, 8 on i386), end and size including the guard page, size in
 * %7ld.  The caller, which Linux prints with %pS, is the function that
 * called vmalloc, with no code offset: the ctl command
 * ("vmalloc_cmd+0x0/0x0"), swapon for an area's swap_map
 * ("__do_sys_swapon+0x0/0x0") or, on x86-64, a task's kernel stack
 * ("kernel_clone+0x0/0x0", as the host names it).  Then the pages on each
 * node, " N<node>=<pages>" for the nodes that hold some (show_numa_info),
 * as a CONFIG_NUMA kernel prints them: the x86-64 one, or i386 with
 * several nodes.
 */
void render_vmallocinfo(struct seq *s)
{
	int w = kernel_is_64bit() ? 16 : 8;
	struct list_head *l;

	list_for_each(l, &vmap_area_list) {
		const struct vmap_area *a = list_entry(l, struct vmap_area,
						       list);

		uint64_t count[MAX_NUMNODES];

		seq_printf(s, "0x%0*" PRIx64 "-0x%0*" PRIx64 " %7" PRIu64
			   " %s+0x0/0x0 pages=%" PRIu64 " vmalloc",
			   w, a->va_start, w, a->va_end,
			   a->va_end - a->va_start, a->caller, a->nr_pages);
		vmap_area_node_pages(a, count);
		for (int nid = 0; nid < MAX_NUMNODES; nid++)
			if (count[nid] && (kernel_is_64bit() ||
					   nr_online_nodes > 1))
				seq_printf(s, " N%d=%" PRIu64, nid, count[nid]);
		seq_puts(s, "\n");
	}
}

/* ---------------------------------------------------------------------- */
/* node/ (Linux's drivers/base/node.c)                                    */
/* ---------------------------------------------------------------------- */

/* irq_row - one per-CPU row of /proc/interrupts (Linux's
 * arch_show_interrupts): the name, each CPU's count, the description. */
static void irq_row(struct seq *s, const char *name, const char *desc,
		    uint64_t (*count)(int cpu))
{
	seq_printf(s, "%3s: ", name);
	for (int cpu = 0; cpu < hw.nr_cpus; cpu++)
		seq_printf(s, "%10" PRIu64 " ", count ? count(cpu) : 0);
	seq_printf(s, "  %s\n", desc);
}

static uint64_t irq_calls(int cpu)
{
	return irq_stat[cpu].irq_call_count;
}

static uint64_t irq_tlbs(int cpu)
{
	return irq_stat[cpu].irq_tlb_count;
}

/* render_interrupts - /proc/interrupts (Linux's show_interrupts and x86's
 * arch_show_interrupts, as a 6.18 guest without thermal-threshold and
 * machine-check vectors prints them): a column per CPU, no device line
 * (the machine has no device that interrupts), then the CPUs' own
 * vectors.  Only the function calls and TLB shootdowns a CPU receives
 * when another asks it to flush happen here; no timer, rescheduling or
 * other interrupt is simulated, so those rows are 0. */
void render_interrupts(struct seq *s)
{
	static const char *const zero[][2] = {
		{ "NMI", "Non-maskable interrupts" },
		{ "LOC", "Local timer interrupts" },
		{ "SPU", "Spurious interrupts" },
		{ "PMI", "Performance monitoring interrupts" },
		{ "IWI", "IRQ work interrupts" },
		{ "RTR", "APIC ICR read retries" },
		{ "RES", "Rescheduling interrupts" },
	};
	static const char *const zero_after[][2] = {
		{ "PIN", "Posted-interrupt notification event" },
		{ "NPI", "Nested posted-interrupt event" },
		{ "PIW", "Posted-interrupt wakeup event" },
	};
	size_t i;

	seq_puts(s, "           ");
	for (int cpu = 0; cpu < hw.nr_cpus; cpu++)
		seq_printf(s, "CPU%-8d", cpu);
	seq_putc(s, '\n');
	for (i = 0; i < ARRAY_SIZE(zero); i++)
		irq_row(s, zero[i][0], zero[i][1], NULL);
	irq_row(s, "CAL", "Function call interrupts", irq_calls);
	irq_row(s, "TLB", "TLB shootdowns", irq_tlbs);
	irq_row(s, "TRM", "Thermal event interrupts", NULL);
	seq_printf(s, "ERR: %10d\nMIS: %10d\n", 0, 0);
	for (i = 0; i < ARRAY_SIZE(zero_after); i++)
		irq_row(s, zero_after[i][0], zero_after[i][1], NULL);
}

/* render_filesystems - /proc/filesystems (Linux's filesystems_proc_show):
 * the filesystem types the kernel has, in the order Linux registers them.
 * The simulated kernel has two, both without a device: proc (this tree)
 * and cgroup2 (cgroup/); it has no block filesystem. */
void render_filesystems(struct seq *s)
{
	seq_puts(s, "nodev\tproc\nnodev\tcgroup2\n");
}

/* render_softirqs - /proc/softirqs (Linux's show_softirqs): a count per
 * softirq and CPU.  The simulation raises none (stat's softirq line is
 * zeros too), so every count is 0. */
void render_softirqs(struct seq *s)
{
	static const char *const names[] = { "HI", "TIMER", "NET_TX",
		"NET_RX", "BLOCK", "IRQ_POLL", "TASKLET", "SCHED", "HRTIMER",
		"RCU" };
	size_t i;
	int cpu;

	seq_puts(s, "                    ");
	for (cpu = 0; cpu < hw.nr_cpus; cpu++)
		seq_printf(s, "CPU%-8d", cpu);
	seq_putc(s, '\n');
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		seq_printf(s, "%12s:", names[i]);
		for (cpu = 0; cpu < hw.nr_cpus; cpu++)
			seq_printf(s, " %10d", 0);
		seq_putc(s, '\n');
	}
}

/* render_net_dev - /proc/net/dev (Linux's dev_seq_show): its two header
 * lines, then a line per network device.  The machine has no network
 * stack, so no device at all, not even lo. */
void render_net_dev(struct seq *s)
{
	seq_puts(s, "Inter-|   Receive                                    "
		    "            |  Transmit\n"
		    " face |bytes    packets errs drop fifo frame compressed "
		    "multicast|bytes    packets errs drop fifo colls carrier "
		    "compressed\n");
}

/* render_pid_max - sys/kernel/pid_max: the pids go below it. */
void render_pid_max(struct seq *s)
{
	seq_printf(s, "%d\n", sysctl_vm.pid_max);
}

/* render_osrelease - sys/kernel/osrelease: the kernel's release. */
void render_osrelease(struct seq *s)
{
	seq_puts(s, UTS_RELEASE "\n");
}

/* seq_first_ids - ids 0 to n-1 as a Linux list of ranges and a newline:
 * "0" or "0-3" (bitmap_print_to_pagebuf's list form); n >= 1. */
static void seq_first_ids(struct seq *s, int n)
{
	if (n == 1)
		seq_puts(s, "0\n");
	else
		seq_printf(s, "0-%d\n", n - 1);
}

/* render_node_online - node/online and node/possible (Linux's
 * print_nodes_state): the nodes as a list of ranges, "0" or "0-1".  The
 * machine has no node hotplug: every possible node is online. */
void render_node_online(struct seq *s)
{
	seq_first_ids(s, nr_online_nodes);
}

/* render_node_numastat - node<N>/numastat (Linux's node_read_numastat):
 * the numa events summed over the node's zones, under Linux's older
 * names (interleave_hit, local_node, other_node). */
void render_node_numastat(struct seq *s, int nid)
{
	static const char *const names[NR_VM_NUMA_EVENT_ITEMS] = {
		[NUMA_HIT] = "numa_hit", [NUMA_MISS] = "numa_miss",
		[NUMA_FOREIGN] = "numa_foreign",
		[NUMA_INTERLEAVE_HIT] = "interleave_hit",
		[NUMA_LOCAL] = "local_node", [NUMA_OTHER] = "other_node",
	};

	for (int i = 0; i < NR_VM_NUMA_EVENT_ITEMS; i++)
		seq_printf(s, "%s %" PRIu64 "\n", names[i],
			   node_numa_event_state(nid, (enum numa_stat_item)i));
}

/* node_kb - one "Node N Key:" line of node<N>/meminfo, the key padded to
 * 16 columns, %8 KiB, " kB". */
static void node_kb(struct seq *s, int nid, const char *key, uint64_t kb)
{
	seq_printf(s, "Node %d %-16s%8" PRIu64 " kB\n", nid, key, kb);
}

/*
 * render_node_meminfo - node<N>/meminfo (Linux's node_read_meminfo, the
 * keys of a 6.18 x86-64 host): MemTotal = the managed pages of the
 * node's zones, MemFree = their free pages (not the pcp lists, as
 * meminfo), MemUsed the difference; the LRU lines from the node's lists
 * of every group; the gauges (SwapCached, Dirty, FilePages, Mapped,
 * AnonPages, Shmem, KernelStack, PageTables, the slab lines, Mlocked)
 * the node's share; what meminfo prints 0 for is 0 here too.
 */
void render_node_meminfo(struct seq *s, int nid)
{
	const struct pglist_data *pgdat = NODE_DATA(nid);
	uint64_t total = 0, free = node_free_pages(nid), lru[NR_LRU_LISTS];
	uint64_t srecl = node_page_state(pgdat, NR_SLAB_RECLAIMABLE);
	uint64_t sunrecl = node_page_state(pgdat, NR_SLAB_UNRECLAIMABLE);

	for (int z = 0; z < MAX_NR_ZONES; z++)
		total += pgdat->node_zones[z].managed_pages;
	for (int l = 0; l < NR_LRU_LISTS; l++)
		lru[l] = memcg_node_lru_pages(&root_mem_cgroup, nid,
					      (enum lru_list)l);
	node_kb(s, nid, "MemTotal:", K(total));
	node_kb(s, nid, "MemFree:", K(free));
	node_kb(s, nid, "MemUsed:", K(total - MIN(free, total)));
	node_kb(s, nid, "SwapCached:", K(node_page_state(pgdat, NR_SWAPCACHE)));
	node_kb(s, nid, "Active:", K(lru[LRU_ACTIVE_ANON] + lru[LRU_ACTIVE_FILE]));
	node_kb(s, nid, "Inactive:", K(lru[LRU_INACTIVE_ANON] +
				       lru[LRU_INACTIVE_FILE]));
	node_kb(s, nid, "Active(anon):", K(lru[LRU_ACTIVE_ANON]));
	node_kb(s, nid, "Inactive(anon):", K(lru[LRU_INACTIVE_ANON]));
	node_kb(s, nid, "Active(file):", K(lru[LRU_ACTIVE_FILE]));
	node_kb(s, nid, "Inactive(file):", K(lru[LRU_INACTIVE_FILE]));
	node_kb(s, nid, "Unevictable:", K(lru[LRU_UNEVICTABLE]));
	node_kb(s, nid, "Mlocked:", K(node_page_state(pgdat, NR_MLOCK)));
	node_kb(s, nid, "Dirty:", K(node_page_state(pgdat, NR_FILE_DIRTY)));
	node_kb(s, nid, "Writeback:", 0);
	node_kb(s, nid, "FilePages:", K(node_page_state(pgdat, NR_FILE_PAGES)));
	node_kb(s, nid, "Mapped:", K(node_page_state(pgdat, NR_FILE_MAPPED)));
	node_kb(s, nid, "AnonPages:", K(node_page_state(pgdat, NR_ANON_MAPPED)));
	node_kb(s, nid, "Shmem:", K(node_page_state(pgdat, NR_SHMEM)));
	node_kb(s, nid, "KernelStack:",
		node_page_state(pgdat, NR_KERNEL_STACK_KB));
	node_kb(s, nid, "PageTables:", K(node_page_state(pgdat, NR_PAGETABLE)));
	node_kb(s, nid, "SecPageTables:", 0);
	node_kb(s, nid, "NFS_Unstable:", 0);
	node_kb(s, nid, "Bounce:", 0);
	node_kb(s, nid, "WritebackTmp:", 0);
	node_kb(s, nid, "KReclaimable:", K(srecl));
	node_kb(s, nid, "Slab:", K(srecl + sunrecl));
	node_kb(s, nid, "SReclaimable:", K(srecl));
	node_kb(s, nid, "SUnreclaim:", K(sunrecl));
	node_kb(s, nid, "AnonHugePages:", 0);
	node_kb(s, nid, "ShmemHugePages:", 0);
	node_kb(s, nid, "ShmemPmdMapped:", 0);
	node_kb(s, nid, "FileHugePages:", 0);
	node_kb(s, nid, "FilePmdMapped:", 0);
	seq_printf(s, "Node %d HugePages_Total: %5d\n", nid, 0);
	seq_printf(s, "Node %d HugePages_Free:  %5d\n", nid, 0);
	seq_printf(s, "Node %d HugePages_Surp:  %5d\n", nid, 0);
}

/* render_node_cpulist - node<N>/cpulist (Linux's node_read_cpulist): the
 * node's CPUs, an empty line for a memory-only node. */
void render_node_cpulist(struct seq *s, int nid)
{
	node_cpulist(s, nid);
	seq_putc(s, '\n');
}

/* render_node_distance - node<N>/distance (Linux's node_read_distance):
 * node_distance to every node, space separated. */
void render_node_distance(struct seq *s, int nid)
{
	for (int to = 0; to < nr_online_nodes; to++)
		seq_printf(s, "%s%d", to ? " " : "", node_distance(nid, to));
	seq_putc(s, '\n');
}

/* render_cpus_online - cpu/online, possible and present (Linux's
 * print_cpus_online and the like): every CPU, as the machine has no CPU
 * hotplug. */
void render_cpus_online(struct seq *s)
{
	seq_first_ids(s, hw.nr_cpus);
}

/* render_cpus_offline - cpu/offline (print_cpus_offline): the possible
 * CPUs that are offline, none: an empty line. */
void render_cpus_offline(struct seq *s)
{
	seq_putc(s, '\n');
}

/* render_cpus_kernel_max - cpu/kernel_max (print_cpus_kernel_max):
 * NR_CPUS - 1, the most CPUs the simulated kernel is built for. */
void render_cpus_kernel_max(struct seq *s)
{
	seq_printf(s, "%d\n", HW_MAX_CPUS - 1);
}

/* render_cpu_online - cpu<N>/online (online_show): 1, every CPU being
 * online.  cpu0 has none, as x86's boot CPU cannot go offline. */
void render_cpu_online(struct seq *s, int cpu)
{
	(void)cpu;
	seq_puts(s, "1\n");
}

/* render_cpu_package_id - topology/physical_package_id
 * (topology_physical_package_id): one package, cpuinfo's "physical id". */
void render_cpu_package_id(struct seq *s, int cpu)
{
	(void)cpu;
	seq_puts(s, "0\n");
}

/* render_cpu_core - topology/core_id (topology_core_id), core_cpus_list
 * and thread_siblings_list (the CPUs of the CPU's core): a core per CPU,
 * numbered as the CPU (cpuinfo's "core id"), with no SMT sibling
 * (cpuinfo's siblings equal its cpu cores), so the CPU's own number. */
void render_cpu_core(struct seq *s, int cpu)
{
	seq_printf(s, "%d\n", cpu);
}

/* render_cpu_package_cpus - topology/package_cpus_list and
 * core_siblings_list: the CPUs of the CPU's package, all of them. */
void render_cpu_package_cpus(struct seq *s, int cpu)
{
	(void)cpu;
	seq_first_ids(s, hw.nr_cpus);
}

/* ---------------------------------------------------------------------- */
/* machine                                                                */
/* ---------------------------------------------------------------------- */

/* node_cpulist - the CPUs of node nid as Linux prints a cpulist
 * (ranges "0-3,6"; empty when none). */
void node_cpulist(struct seq *s, int nid)
{
	int c = 0, n = nr_pcp_cpus();
	bool first = true;

	while (c < n) {
		int end = c;

		if (cpu_to_node(c) != nid) {
			c++;
			continue;
		}
		while (end + 1 < n && cpu_to_node(end + 1) == nid)
			end++;
		seq_printf(s, first ? "%d" : ",%d", c);
		if (end > c)
			seq_printf(s, "-%d", end);
		first = false;
		c = end + 1;
	}
}

/* machine_nodes - the node lines of machine (several nodes only). */
static void machine_nodes(struct seq *s)
{
	int nid;

	if (nr_online_nodes == 1)
		return;
	for_each_online_node(nid) {
		const struct pglist_data *pgdat = NODE_DATA(nid);
		size_t len;

		seq_printf(s, "node: %d %" PRIu64 "-%" PRIu64 " cpus ", nid,
			   pgdat->node_start_pfn, pgdat->node_start_pfn +
			   pgdat->node_spanned_pages - 1);
		len = s->len;
		node_cpulist(s, nid);
		if (s->len == len)
			seq_puts(s, "none");
		seq_putc(s, '\n');
	}
}

/*
 * render_machine - the machine's parameters (SPEC §2), "key: value" lines:
 *   arch: x86_64 | i386
 *   paging: 4-level | 2-level
 *   va_bits: 48 | 32
 *   page_size: 4096
 *   ram: <bytes>
 *   frames: <number of frames (max_pfn)>
 *   swap: <bytes>
 *   node: <nid> <first pfn>-<last pfn> cpus <cpulist> | cpus none
 *       (one line per node, only with --nodes 2 or more)
 *   zone: <name> <first pfn>-<last pfn> present <n> managed <n>[ node <nid>]
 *       (one line per populated zone, node by node; PFNs decimal, range
 *       inclusive; " node <nid>" only with --nodes 2 or more)
 *   reserved: <first pfn>-<last pfn> (<what>)   (low memory, kernel image)
 *   zero_page: <pfn>
 *   swapper_pg_dir: <pfn>
 *   cpus: <n>
 *   tlb: <entries> entries <ways> ways <sets> sets
 *   pcid: on | off
 *   layout: topdown | legacy
 *   aslr: on | off
 *   task_size: 0x<hex>
 *   mmap_base: 0x<hex>       (the layout's base before randomization)
 *   vdso: <n> pages (<origin>) | none (<why>)   (what exec maps as [vdso])
 *   overcommit_memory: <0|1|2>
 *   min_free_kbytes: <n>
 */
void render_machine(struct seq *s)
{
	struct mm_struct layout;
	struct zone *zone;

	memset(&layout, 0, sizeof(layout));
	mm_set_layout(&layout);
	seq_printf(s, "arch: %s\n", kernel_is_64bit() ? "x86_64" : "i386");
	seq_printf(s, "paging: %d-level\n", hw.geom->levels);
	seq_printf(s, "va_bits: %d\n", hw.geom->va_bits);
	seq_printf(s, "page_size: %lu\n", PAGE_SIZE);
	seq_printf(s, "ram: %" PRIu64 "\n", max_pfn << PAGE_SHIFT);
	seq_printf(s, "frames: %" PRIu64 "\n", max_pfn);
	seq_printf(s, "swap: %" PRIu64 "\n", boot_params.swap_bytes);
	machine_nodes(s);
	for_each_zone(zone) {
		if (!zone_populated(zone))
			continue;
		seq_printf(s, "zone: %s %" PRIu64 "-%" PRIu64 " present %"
			   PRIu64 " managed %" PRIu64, zone->name,
			   zone->zone_start_pfn, zone_end_pfn(zone) - 1,
			   zone->present_pages, zone->managed_pages);
		if (nr_online_nodes > 1)
			seq_printf(s, " node %d", zone->node);
		seq_putc(s, '\n');
	}
	seq_printf(s, "reserved: 0-%d (low memory)\n", RESERVE_LOW_PAGES - 1);
	seq_printf(s, "reserved: %" PRIu64 "-%" PRIu64 " (kernel image)\n",
		   kernel_image_start, kernel_image_end - 1);
	seq_printf(s, "zero_page: %" PRIu64 "\n", zero_pfn);
	seq_printf(s, "swapper_pg_dir: %" PRIu64 "\n", swapper_pgd >> PAGE_SHIFT);
	seq_printf(s, "cpus: %d\n", hw.nr_cpus);
	seq_printf(s, "tlb: %u entries %u ways %u sets\n",
		   hw.cpus[0].tlb.nr_entries, hw.cpus[0].tlb.ways,
		   hw.cpus[0].tlb.sets);
	seq_printf(s, "pcid: %s\n", hw.pcid ? "on" : "off");
	seq_printf(s, "layout: %s\n",
		   boot_params.legacy_layout ? "legacy" : "topdown");
	seq_printf(s, "aslr: %s\n", boot_params.aslr ? "on" : "off");
	seq_printf(s, "task_size: %#" PRIx64 "\n", layout.task_size);
	seq_printf(s, "mmap_base: %#" PRIx64 "\n", layout.mmap_base);
	seq_printf(s, "vdso: %s\n", vdso_describe());
	seq_printf(s, "overcommit_memory: %d\n", sysctl_vm.overcommit_memory);
	seq_printf(s, "min_free_kbytes: %" PRIu64 "\n", min_free_kbytes);
}

/* ---------------------------------------------------------------------- */
/* frames/<pfn>                                                           */
/* ---------------------------------------------------------------------- */

/* reserved_what - which boot reservation holds reserved frame pfn. */
static const char *reserved_what(uint64_t pfn)
{
	if (pfn == swapper_pgd >> PAGE_SHIFT)
		return "swapper_pg_dir";
	if (pfn >= kernel_image_start && pfn < kernel_image_end)
		return "kernel image";
	if (pfn < RESERVE_LOW_PAGES)
		return "low memory";
	return "firmware";
}

/* frame_state_table - the state line of a page-table frame. */
static void frame_state_table(struct seq *s, uint64_t pfn)
{
	struct mm_struct *mm;
	int level = pgtable_owner(pfn, &mm);

	if (!mm) {
		seq_puts(s, "state: page table\n");
		return;
	}
	if (mm == &init_mm) {
		seq_printf(s, "state: page table (level %d %s of init_mm, the "
			   "kernel half)\n", level, hw.geom->level_names[level]);
		return;
	}
	seq_printf(s, "state: page table (level %d %s of mm %" PRIu64
		   ", pid %d)\n", level, hw.geom->level_names[level], mm->id,
		   mm_pid(mm));
}

/* frame_state_slab - the state line of a slab frame: its cache, the
 * slab's head frame and objects in use. */
static void frame_state_slab(struct seq *s, uint64_t pfn,
			     const struct kmem_cache *c)
{
	uint64_t head = pfn & ~((1ULL << c->order) - 1);

	seq_printf(s, "state: slab (%s, %" PRIu64 " of %u objects in use, "
		   "slab of %d frames at pfn %" PRIu64 ")\n", c->name,
		   pfn_to_page(head)->private, c->objects, 1 << c->order, head);
}

/* frame_state_vmalloc - the state line of a page of a vmalloc area. */
static void frame_state_vmalloc(struct seq *s, uint64_t pfn)
{
	const struct vmap_area *a = vmalloc_area_of(pfn);
	uint64_t i = 0;

	BUG_ON(!a);
	while (a->pfns[i] != pfn)
		i++;
	seq_printf(s, "state: vmalloc (page %" PRIu64 " of the area at %#"
		   PRIx64 ", mapped at %#" PRIx64 " in init_mm)\n", i,
		   a->va_start, a->va_start + i * PAGE_SIZE);
}

/* frame_kind_name - see render.h. */
const char *const frame_kind_name[NR_FRAME_KINDS] = {
	[FK_FREE] = "free", [FK_PCP] = "per-CPU list",
	[FK_ZERO] = "zero page", [FK_RESERVED] = "reserved",
	[FK_PGTABLE] = "page table", [FK_VMALLOC] = "vmalloc",
	[FK_SLAB] = "slab", [FK_KMALLOC_LARGE] = "kmalloc_large",
	[FK_STACK] = "kernel stack", [FK_ANON] = "anon",
	[FK_SWAPCACHE] = "swap cache", [FK_SHMEM] = "shmem",
	[FK_FILE] = "page cache", [FK_ALLOCATED] = "allocated",
	[FK_TAIL] = "allocated (tail)",
};

/* frame_kind_used - see render.h. */
enum frame_kind frame_kind_used(uint64_t pfn, const struct page *p)
{
	if (PageZero(p) || pfn == zero_pfn)
		return FK_ZERO;
	if (PageReserved(p))
		return FK_RESERVED;
	if (PageTable(p))
		return FK_PGTABLE;
	if (PageFlag(p, PG_vmalloc))
		return FK_VMALLOC;
	if (PageFlag(p, PG_slab))
		return FK_SLAB;
	if (PageFlag(p, PG_large_kmalloc))
		return FK_KMALLOC_LARGE;
	if (task_of_stack_pfn(pfn))
		return FK_STACK;
	if (PageAnon(p))
		return FK_ANON;
	if (PageSwapCache(p))
		return FK_SWAPCACHE;
	if (p->mapping)
		return ((const struct address_space *)p->mapping)->shmem ?
			FK_SHMEM : FK_FILE;
	return p->refcount > 0 ? FK_ALLOCATED : FK_TAIL;
}

/* frame_state - the "state:" line: what the frame is used for. */
static void frame_state(struct seq *s, uint64_t pfn, const struct page *p)
{
	uint64_t head;
	unsigned int order;
	enum frame_kind k;
	int cpu;

	if (find_free_block(pfn, &head, &order)) {
		seq_printf(s, "state: free (buddy block of order %u at pfn %"
			   PRIu64 ")\n", order, head);
		return;
	}
	if ((cpu = page_pcp_cpu(p)) >= 0) {
		seq_printf(s, "state: free (on cpu%d's per-CPU list)\n", cpu);
		return;
	}
	switch ((k = frame_kind_used(pfn, p))) {
	case FK_RESERVED:
		seq_printf(s, "state: reserved (%s)\n", reserved_what(pfn));
		break;
	case FK_PGTABLE:
		frame_state_table(s, pfn);
		break;
	case FK_VMALLOC:
		frame_state_vmalloc(s, pfn);
		break;
	case FK_SLAB:
		frame_state_slab(s, pfn, slab_cache_of(p));
		break;
	case FK_KMALLOC_LARGE:
		seq_printf(s, "state: kmalloc_large (block of %" PRIu64
			   " frames)\n", (uint64_t)1 << p->private);
		break;
	case FK_STACK:
		seq_printf(s, "state: kernel stack (pid %d)\n",
			   task_of_stack_pfn(pfn)->pid);
		break;
	case FK_TAIL:
		seq_puts(s, "state: allocated (tail of a larger block)\n");
		break;
	default:
		seq_printf(s, "state: %s\n", frame_kind_name[k]);
		break;
	}
}

static const char *const pageflag_names[] = {
	[PG_locked] = "locked",
	[PG_referenced] = "referenced",
	[PG_uptodate] = "uptodate",
	[PG_dirty] = "dirty",
	[PG_lru] = "lru",
	[PG_active] = "active",
	[PG_slab] = "slab",
	[PG_reserved] = "reserved",
	[PG_buddy] = "buddy",
	[PG_anon] = "anon",
	[PG_swapbacked] = "swapbacked",
	[PG_pgtable] = "pgtable",
	[PG_zero] = "zero",
	[PG_mlocked] = "mlocked",
	[PG_unevictable] = "unevictable",
	[PG_anon_exclusive] = "anon_exclusive",
	[PG_readahead] = "readahead",
	[PG_swapcache] = "swapcache",
	[PG_workingset] = "workingset",
	[PG_vmalloc] = "vmalloc",
	[PG_large_kmalloc] = "large_kmalloc",
};

/* frame_flags - "flags:" and the name of every PG_* flag set, or "none". */
static void frame_flags(struct seq *s, const struct page *p)
{
	seq_puts(s, "flags:");
	if (!p->flags)
		seq_puts(s, " none");
	for (unsigned int f = 0; f < 32; f++) {
		if (!(p->flags & (1U << f)))
			continue;
		if (f < ARRAY_SIZE(pageflag_names) && pageflag_names[f])
			seq_printf(s, " %s", pageflag_names[f]);
		else
			seq_printf(s, " flag%u", f);
	}
	seq_putc(s, '\n');
}

/* frame_mapping - the "mapping:" and "index:" lines of a page with one,
 * and the "swap:" slot of a page in the swap cache. */
static void frame_mapping(struct seq *s, const struct page *p)
{
	if (PageSwapCache(p) && !PageBuddy(p)) {
		swp_entry_t e = { p->private };

		seq_printf(s, "swap: %u:%" PRIu64 "\n", swp_type(e),
			   swp_offset(e));
	}
	if (!p->mapping || PageBuddy(p) || PageFlag(p, PG_slab))
		return;		/* a slab's cache is on its state line */
	if (PageAnon(p)) {
		seq_printf(s, "mapping: anon_vma %" PRIu64 "\n",
			   ((const struct anon_vma *)p->mapping)->id);
	} else {
		const struct address_space *m = p->mapping;

		seq_printf(s, "mapping: %s %s inode %" PRIu64 "\n",
			   m->shmem ? "shmem" : "file", m->name, m->id);
	}
	seq_printf(s, "index: %" PRIu64 "\n", p->index);
}

/* frame_map_one - rmap_walk callback: one "map: PID 0xVADDR" line. */
static void frame_map_one(struct mm_struct *mm, struct vm_area_struct *vma,
			  uint64_t address, void *arg)
{
	struct seq *s = arg;
	int pid = mm_pid(mm);

	(void)vma;
	if (pid > 0)
		seq_printf(s, "map: %d %#" PRIx64 "\n", pid, address);
	else
		seq_printf(s, "map: - %#" PRIx64 "\n", address);
}

/*
 * render_frame - frames/<pfn> (SPEC §2), "key: value" lines:
 *   pfn: <decimal>
 *   phys: 0x<physical address>
 *   zone: DMA | DMA32 | Normal | HighMem
 *   node: <nid>                           (only with --nodes 2 or more)
 *   state: free (buddy block of order N at pfn H) | zero page |
 *          reserved (low memory | kernel image | swapper_pg_dir) |
 *          page table (level L <PT|PD|PDPT|PML4> of mm M, pid P) |
 *          vmalloc (...) | slab (CACHE, ...) |
 *          kmalloc_large (block of N frames) |
 *          anon | swap cache | shmem | page cache | allocated
 *   flags: <PG_* names, lowercase, space separated> | none
 *   refcount: <n>
 *   mapcount: <n>
 *   mlock_count: <n>                      (only when PG_mlocked)
 *   mapping: anon_vma <id> | shmem <name> inode <ino> | file <name> inode <ino>
 *   swap: <area>:<slot>                  (only in the swap cache: PG_swapcache)
 *   index: <page index in the mapping>   (only with a mapping)
 *   map: <pid> 0x<vaddr>                 (one per page-table entry that maps
 *                                         the frame, from rmap_walk; "-" for
 *                                         an mm no task uses)
 * For a pfn beyond RAM only "pfn:" and "state: no such frame" are printed.
 */
void render_frame(struct seq *s, uint64_t pfn)
{
	const struct page *p;

	seq_printf(s, "pfn: %" PRIu64 "\n", pfn);
	if (pfn >= max_pfn) {
		seq_puts(s, "state: no such frame\n");
		return;
	}
	p = pfn_to_page(pfn);
	seq_printf(s, "phys: %#" PRIx64 "\n", pfn << PAGE_SHIFT);
	seq_printf(s, "zone: %s\n", page_zone(p)->name);
	if (nr_online_nodes > 1)
		seq_printf(s, "node: %d\n", page_to_nid(p));
	frame_state(s, pfn, p);
	frame_flags(s, p);
	seq_printf(s, "refcount: %d\n", p->refcount);
	seq_printf(s, "mapcount: %d\n", p->mapcount);
	if (PageFlag(p, PG_mlocked))
		seq_printf(s, "mlock_count: %u\n", p->mlock_count);
	frame_mapping(s, p);
	if (!PageBuddy(p) && !PageTable(p))
		rmap_walk(pfn_to_page(pfn), frame_map_one, s);
}

/* ---------------------------------------------------------------------- */
/* cpu<N>/tlb                                                             */
/* ---------------------------------------------------------------------- */

/* tlb_entry_flags - " W U NX D G" for the entry's permission bits, or
 * " -" for none. */
static void tlb_entry_flags(struct seq *s, unsigned int f)
{
	static const struct { unsigned int bit; const char *name; } names[] = {
		{ TLB_WRITE, "W" }, { TLB_USER, "U" }, { TLB_NX, "NX" },
		{ TLB_DIRTY, "D" }, { TLB_GLOBAL, "G" },
	};
	bool any = false;

	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		if (f & names[i].bit) {
			seq_printf(s, " %s", names[i].name);
			any = true;
		}
	}
	if (!any)
		seq_puts(s, " -");
}

/* tlb_task_lines - "current:" and "active_mm:" of a CPU. */
static void tlb_task_lines(struct seq *s, int cpu)
{
	const struct task_struct *t = hw.cpus[cpu].current;
	struct mm_struct *mm = cpu_active_mm[cpu];
	int pid = mm_pid(mm);

	if (t)
		seq_printf(s, "current: %d %s\n", t->pid, t->comm);
	else
		seq_puts(s, "current: none\n");
	if (!mm)
		seq_puts(s, "active_mm: none\n");
	else if (pid > 0)
		seq_printf(s, "active_mm: %d\n", pid);
	else
		seq_puts(s, "active_mm: -\n");
}

/*
 * render_tlb - cpu<N>/tlb, "key: value" lines:
 *   cpu: <n>
 *   current: <pid> <comm> | none        (the task running on the CPU)
 *   active_mm: <pid> | none             (whose tables CR3 holds; none =
 *                                        swapper_pg_dir; differs from
 *                                        current for a lazy kernel thread)
 *   cr3: 0x<physical address of the top-level table>
 *   pcid: <current PCID> (on | off)
 *   entries: <n>  ways: <n>  sets: <n>  (one key per line)
 *   valid: <valid entries>
 *   hits: / misses: / flush_all: / flush_one: <counters>
 *   entry: set <s> way <w> va 0x<vaddr> pfn <pfn> pcid <p> flags <f...>
 *       (one line per valid entry, in set then way order; <f...> the
 *       permissions W U NX, D for a dirty leaf, G global, or -)
 */
void render_tlb(struct seq *s, int cpu)
{
	const struct cpu *c;
	const struct tlb *t;

	if (cpu < 0 || cpu >= hw.nr_cpus)
		return;
	c = &hw.cpus[cpu];
	t = &c->tlb;
	seq_printf(s, "cpu: %d\n", cpu);
	tlb_task_lines(s, cpu);
	seq_printf(s, "cr3: %#" PRIx64 "\n", c->cr3);
	seq_printf(s, "pcid: %u (%s)\n", c->pcid, hw.pcid ? "on" : "off");
	seq_printf(s, "entries: %u\nways: %u\nsets: %u\n", t->nr_entries,
		   t->ways, t->sets);
	seq_printf(s, "valid: %u\n", tlb_nr_valid(t));
	seq_printf(s, "hits: %" PRIu64 "\nmisses: %" PRIu64 "\n", t->hits,
		   t->misses);
	seq_printf(s, "flush_all: %" PRIu64 "\nflush_one: %" PRIu64 "\n",
		   t->flush_all, t->flush_one);
	for (unsigned int i = 0; i < t->sets * t->ways; i++) {
		if (!(t->e[i].flags & TLB_VALID))
			continue;
		seq_puts(s, "entry: ");
		render_tlb_entry(s, t, i);
	}
}

/* render_tlb_entry - see render.h. */
void render_tlb_entry(struct seq *s, const struct tlb *t, unsigned int i)
{
	const struct tlb_entry *e = &t->e[i];

	seq_printf(s, "set %u way %u va %#" PRIx64 " pfn %" PRIu64 " pcid %u "
		   "flags", i / t->ways, i % t->ways, e->vpn << PAGE_SHIFT,
		   e->pfn, e->pcid);
	tlb_entry_flags(s, e->flags);
	seq_putc(s, '\n');
}

/* ---------------------------------------------------------------------- */
/* kpageflags, kpagecount                                                 */
/* ---------------------------------------------------------------------- */

/* Bits of include/uapi/linux/kernel-page-flags.h (and the kernel-internal
 * ones of fs/proc/page.c's private header). */
enum {
	KPF_LOCKED = 0, KPF_REFERENCED = 2, KPF_UPTODATE = 3, KPF_DIRTY = 4,
	KPF_LRU = 5, KPF_ACTIVE = 6, KPF_SLAB = 7, KPF_RECLAIM = 9,
	KPF_BUDDY = 10,
	KPF_MMAP = 11, KPF_ANON = 12, KPF_SWAPCACHE = 13, KPF_SWAPBACKED = 14,
	KPF_UNEVICTABLE = 18, KPF_NOPAGE = 20, KPF_ZERO_PAGE = 24,
	KPF_PGTABLE = 26, KPF_RESERVED = 32, KPF_MLOCKED = 33,
	KPF_MAPPEDTODISK = 34,	/* on anon pages: PG_anon_exclusive */
};

/* The PG_* flags exported one to one. */
static const struct { uint8_t pg, kpf; } kpf_copy[] = {
	{ PG_locked, KPF_LOCKED }, { PG_referenced, KPF_REFERENCED },
	{ PG_uptodate, KPF_UPTODATE }, { PG_dirty, KPF_DIRTY },
	{ PG_lru, KPF_LRU }, { PG_active, KPF_ACTIVE }, { PG_slab, KPF_SLAB },
	{ PG_buddy, KPF_BUDDY }, { PG_anon, KPF_ANON },
	{ PG_swapbacked, KPF_SWAPBACKED }, { PG_swapcache, KPF_SWAPCACHE },
	{ PG_unevictable, KPF_UNEVICTABLE },
	{ PG_zero, KPF_ZERO_PAGE }, { PG_pgtable, KPF_PGTABLE },
	{ PG_reserved, KPF_RESERVED }, { PG_mlocked, KPF_MLOCKED },
	{ PG_anon_exclusive, KPF_MAPPEDTODISK },
	{ PG_readahead, KPF_RECLAIM },	/* PG_readahead is PG_reclaim */
};

#define KPF(bit)	(1ULL << (bit))

/* page_kpageflags - the kpageflags of an in-use (not free) frame. */
static uint64_t page_kpageflags(uint64_t pfn, const struct page *p)
{
	uint64_t u = 0;

	for (size_t i = 0; i < ARRAY_SIZE(kpf_copy); i++)
		if (PageFlag(p, kpf_copy[i].pg))
			u |= KPF(kpf_copy[i].kpf);
	if (pfn == zero_pfn)
		u |= KPF(KPF_ZERO_PAGE);
	if (p->mapcount > 0 && !PageTable(p) && !PageReserved(p))
		u |= KPF(KPF_MMAP);
	return u;
}

/*
 * kpageflags_of - the /proc/kpageflags entry of frame pfn (Linux's
 * stable_page_flags): BUDDY on every frame of a free block (as 6.18
 * reports), else the frame's PG_* flags mapped to KPF bits (RESERVED 32 for
 * boot reservations, ZERO_PAGE 24 with RESERVED for the zero page, PGTABLE
 * 26, ANON/SWAPBACKED/UPTODATE and MAPPEDTODISK 34 = anon exclusive for
 * anon pages, LRU/ACTIVE/UNEVICTABLE/MLOCKED, DIRTY...) plus MMAP 11 when
 * mapped.  NOPAGE for a pfn beyond RAM.
 */
uint64_t kpageflags_of(uint64_t pfn)
{
	const struct page *p;
	uint64_t head;
	unsigned int order;

	if (pfn >= max_pfn)
		return KPF(KPF_NOPAGE);
	p = pfn_to_page(pfn);
	if (PageBuddy(p) || (!p->flags && find_free_block(pfn, &head, &order)))
		return KPF(KPF_BUDDY);
	return page_kpageflags(pfn, p);
}

/*
 * kpagecount_of - the /proc/kpagecount entry of frame pfn (Linux's
 * kpagecount_read): the number of page-table entries mapping it; 0 for
 * free, reserved and page-table frames and for the zero page (whose
 * mappings are not counted), and beyond RAM.
 */
uint64_t kpagecount_of(uint64_t pfn)
{
	const struct page *p;

	if (pfn >= max_pfn)
		return 0;
	p = pfn_to_page(pfn);
	if (PageBuddy(p) || PageReserved(p) || PageTable(p) || pfn == zero_pfn)
		return 0;
	return p->mapcount > 0 ? (uint64_t)p->mapcount : 0;
}

/*
 * read_kpage - see render.h (Linux's kpageflags_read/kpagecount_read):
 * size and off multiples of 8 else -EINVAL; the records of pfns off/8 ..
 * up to max_pfn; 0 at or past the end.  A sequential read of kpageflags
 * remembers the end of the free block it is in, so tails cost nothing.
 */
ssize_t read_kpage(char *buf, size_t size, uint64_t off, bool count)
{
	uint64_t pfn = off / 8, n, free_end = 0;

	if ((size & 7) || (off & 7))
		return -EINVAL;
	if (pfn >= max_pfn)
		return 0;
	n = MIN((uint64_t)size / 8, max_pfn - pfn);
	for (uint64_t i = 0; i < n; i++, pfn++) {
		const struct page *p = pfn_to_page(pfn);
		uint64_t v;

		if (count)
			v = kpagecount_of(pfn);
		else if (pfn < free_end)
			v = KPF(KPF_BUDDY);
		else if (PageBuddy(p) && p->order <= MAX_ORDER) {
			free_end = pfn + (1ULL << p->order);
			v = KPF(KPF_BUDDY);
		} else
			v = kpageflags_of(pfn);
		put_le64(buf + i * 8, v);
	}
	return (ssize_t)(n * 8);
}
