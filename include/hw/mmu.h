/*
 * mmu.h - the hardware page walker.
 *
 * mmu_walk() does what the CPU's page-miss handler does on a TLB miss: it
 * reads the paging structures in simulated RAM from CR3 down, checks presence,
 * reserved bits and permissions (U/S, R/W with CR0.WP=1, NX with EFER.NXE=1),
 * sets the Accessed bit in every entry it used and the Dirty bit in the leaf
 * on a write, and either yields the physical address or a #PF error code.
 */
#ifndef HW_MMU_H
#define HW_MMU_H

#include <stdint.h>
#include "hw/x86.h"

struct hw;

struct mmu_result {
	uint64_t pa;		/* translated physical address */
	uint64_t leaf;		/* the leaf entry, after A/D updates */
	int level;		/* level of the leaf: 1 (4K), 2 (2M/4M), 3 (1G) */
	unsigned int tlb_flags;	/* TLB_WRITE/USER/NX/DIRTY/GLOBAL, effective */
};

/*
 * mmu_walk - translate va for an access (ACC_* bits) starting at cr3.
 * Returns 0 and fills *res, or -1 and sets *error_code to the X86_PF_* bits
 * the CPU would push (PROT set when the entry was present, RSVD for a
 * reserved bit or a physical address outside RAM, plus the access's own
 * WRITE/USER/INSTR bits).  Non-canonical addresses are not checked here.
 */
int mmu_walk(struct hw *hw, uint64_t cr3, uint64_t va, unsigned int access,
	     struct mmu_result *res, unsigned int *error_code);

/*
 * mmu_probe - what mmu_walk would answer for the same arguments, with no
 * side effect: no A/D bit set (res->leaf is the entry as read, without
 * the D a write would add), no page walk counted.  For the tools that
 * show a translation (vtop), never for an access.
 */
int mmu_probe(struct hw *hw, uint64_t cr3, uint64_t va, unsigned int access,
	      struct mmu_result *res, unsigned int *error_code);

#endif
