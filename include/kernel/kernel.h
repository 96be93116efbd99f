/*
 * kernel.h - the one simulated machine the kernel runs on, the boot
 * parameters, the sysctls of /proc/sys/vm, and boot/shutdown.
 */
#ifndef KERNEL_KERNEL_H
#define KERNEL_KERNEL_H

#include <stdbool.h>
#include <stdint.h>
#include "hw/cpu.h"
#include "util/list.h"

/* The machine (RAM, CPUs, TLBs). */
extern struct hw hw;

/* kernel_is_64bit - the kernel is x86-64 (CONFIG_X86_64), on a 4-level
 * machine; else it is i386, on a 2-level one. */
static inline bool kernel_is_64bit(void)
{
	return hw.geom->mode == PAGING_4LEVEL;
}

/* task_size_max - the top of user space (Linux's TASK_SIZE_MAX): x86-64's
 * 47 bits less the guard page, i386's PAGE_OFFSET of the 3G/1G split. */
static inline uint64_t task_size_max(void)
{
	return kernel_is_64bit() ? 0x7ffffffff000ULL : 0xc0000000ULL;
}

struct boot_params {
	uint64_t mem_bytes;		/* RAM, a multiple of PAGE_SIZE */
	uint64_t swap_bytes;
	int nr_cpus;
	int nr_nodes;			/* NUMA nodes (0 taken as 1) */
	unsigned int tlb_entries, tlb_ways;
	enum paging_mode mode;
	bool legacy_layout;		/* mmap bottom-up from TASK_UNMAPPED_BASE */
	bool aslr;
	bool pcid;
	bool vmalloc_fault;		/* i386: sync kernel pgd entries lazily */
	const char *init_path;		/* pid 1's program; NULL: empty image */
};

/* /proc/sys/vm and other tunables, with Linux's defaults. */
struct sysctl_vm {
	int64_t max_map_count;		/* 65530 */
	int overcommit_memory;		/* 0 heuristic, 1 always, 2 never */
	int64_t overcommit_ratio;	/* 50 */
	int64_t overcommit_kbytes;	/* 0 */
	int swappiness;			/* 60 */
	int page_cluster;		/* 3: swap readahead of 2^3 pages */
	uint64_t fault_around_bytes;	/* 65536 */
	uint64_t mmap_min_addr;		/* 65536 */
	int pid_max;			/* 32768 */
	uint64_t rlimit_stack;		/* 8 MiB */
};

extern struct sysctl_vm sysctl_vm;

/* The kernel's release (uname -r, /proc/sys/kernel/osrelease): the Linux
 * whose formats and behaviour it follows, marked as this simulation. */
#define UTS_RELEASE	"6.18.0-mmufs"
extern struct boot_params boot_params;

/* Frames the kernel took at boot (low 64 KiB and the kernel image). */
extern uint64_t kernel_image_start, kernel_image_end;
extern uint64_t zero_pfn;		/* the shared zero page */
extern uint64_t swapper_pgd;		/* the kernel's own top-level table */
extern uint64_t nr_boot_free_pages;	/* free frames right after boot */
extern int64_t vm_committed_as;		/* pages (Committed_AS) */
extern struct list_head all_mms;	/* every live mm_struct, by ->mmlist */
extern uint64_t boot_wall_ns;		/* host CLOCK_REALTIME at boot */

#define RESERVE_LOW_PAGES	16	/* the first 64 KiB, never allocated */
/* The kernel image's first frames: the zero page, swapper_pg_dir and the
 * vDSO's room (exec/vdso.c: 4 vvar, 2 vclock, 4 vDSO pages).  The boot
 * page tables of the direct map (mm/init.c) take frames from the image's
 * end down, never below these. */
#define KERNEL_IMAGE_LOW_PAGES	12

/*
 * kernel_boot - power on a machine described by bp, set up physical memory
 * (reserved frames, zero page, buddy), install the fault handler, create
 * init (pid 1: init_path exec'd, or an empty address space with a stack)
 * and kthreadd (pid 2).  0, or -EINVAL / -ENOMEM / the exec's error with
 * nothing left allocated.
 */
int kernel_boot(const struct boot_params *bp);

/* kernel_shutdown - kill every task, free every frame and the machine. */
void kernel_shutdown(void);

/* get_random_u64 - the kernel's random numbers (xorshift64*, seeded at
 * boot from the host's getrandom with --aslr, else from a fixed seed). */
uint64_t get_random_u64(void);

/* randomize - with --aslr, a random multiple of PAGE_SIZE below range
 * bytes (0 without: the layout of setarch -R). */
uint64_t randomize(uint64_t range);

#endif
