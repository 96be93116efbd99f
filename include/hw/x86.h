/*
 * x86.h - architectural constants of the simulated x86 machine: page sizes,
 * paging-structure entry bits, #PF error-code bits and the two paging modes
 * (x86-64 4-level 48-bit, and 32-bit 2-level without PAE).
 *
 * Bit names follow Linux's arch/x86/include/asm/pgtable_types.h and
 * asm/trap_pf.h so that the simulation reads like the kernel.
 */
#ifndef HW_X86_H
#define HW_X86_H

#include <stdint.h>

#define PAGE_SHIFT	12
#define PAGE_SIZE	(1UL << PAGE_SHIFT)
#define PAGE_MASK	(~(PAGE_SIZE - 1))
#define PAGE_ALIGN(x)	(((x) + PAGE_SIZE - 1) & PAGE_MASK)
#define PAGE_ALIGNED(x)	(((x) & (PAGE_SIZE - 1)) == 0)

/* Paging-structure entry bits (the same positions in both modes; NX only
 * exists in 64-bit entries). */
#define _PAGE_PRESENT	(1ULL << 0)
#define _PAGE_RW	(1ULL << 1)
#define _PAGE_USER	(1ULL << 2)
#define _PAGE_PWT	(1ULL << 3)
#define _PAGE_PCD	(1ULL << 4)
#define _PAGE_ACCESSED	(1ULL << 5)
#define _PAGE_DIRTY	(1ULL << 6)
#define _PAGE_PSE	(1ULL << 7)	/* large page in a PDPT/PD entry */
#define _PAGE_GLOBAL	(1ULL << 8)
#define _PAGE_SOFTW1	(1ULL << 9)	/* available to software */
#define _PAGE_SOFTW2	(1ULL << 10)
#define _PAGE_SOFTW3	(1ULL << 11)
#define _PAGE_NX	(1ULL << 63)

/* Physical-address field of an entry: bits 12..51 (64-bit), 12..31 (32-bit). */
#define PTE_PFN_MASK_64	0x000ffffffffff000ULL
#define PTE_PFN_MASK_32	0x00000000fffff000ULL
/* Bits 52..62 of a 64-bit entry are ignored by the MMU (software use);
 * bits M..51 above the physical-address width are reserved. */

/* #PF error code, as pushed by the CPU (asm/trap_pf.h X86_PF_*). */
#define X86_PF_PROT	(1U << 0)	/* 0: not present, 1: protection */
#define X86_PF_WRITE	(1U << 1)
#define X86_PF_USER	(1U << 2)
#define X86_PF_RSVD	(1U << 3)
#define X86_PF_INSTR	(1U << 4)

/* Exception vectors the machine raises. */
#define X86_TRAP_GP	13
#define X86_TRAP_PF	14

/* An access, expressed with the error-code bits it would report. */
#define ACC_READ	0U
#define ACC_WRITE	X86_PF_WRITE
#define ACC_USER	X86_PF_USER
#define ACC_FETCH	X86_PF_INSTR
/* Not an error-code bit: a supervisor data access while CR4.SMAP is set
 * (and EFLAGS.AC clear), which a user page refuses (cpu_read/cpu_write
 * add it; the #PF error code never carries it). */
#define ACC_SMAP	(1U << 16)

enum paging_mode {
	PAGING_4LEVEL,	/* x86-64: PML4, PDPT, PD, PT; 9 bits each; 8-byte entries */
	PAGING_2LEVEL,	/* i386: PD, PT; 10 bits each; 4-byte entries */
};

/* The shape of one paging mode. Levels are numbered from the leaf:
 * level 1 is the page table (PT), level `levels` is the top (PML4 or PD). */
struct paging_geom {
	enum paging_mode mode;
	int levels;		/* 4 or 2 */
	int bits_per_level;	/* 9 or 10 */
	int entry_size;		/* 8 or 4 bytes */
	int va_bits;		/* 48 or 32 */
	uint64_t pfn_mask;	/* PTE_PFN_MASK_64 or PTE_PFN_MASK_32 */
	const char *const *level_names;	/* [1] = "PT", ... [levels] = top */
};

const struct paging_geom *paging_geom(enum paging_mode mode);

/* pt_index - the index into the level-`level` table that translates va. */
static inline unsigned int pt_index(const struct paging_geom *g, int level,
				    uint64_t va)
{
	int shift = PAGE_SHIFT + (level - 1) * g->bits_per_level;

	return (unsigned int)((va >> shift) & ((1ULL << g->bits_per_level) - 1));
}

/* pt_level_shift - log2 of the bytes one level-`level` entry maps. */
static inline int pt_level_shift(const struct paging_geom *g, int level)
{
	return PAGE_SHIFT + (level - 1) * g->bits_per_level;
}

/* Entries per table page: 512 or 1024. */
static inline unsigned int pt_entries(const struct paging_geom *g)
{
	return 1U << g->bits_per_level;
}

#endif
