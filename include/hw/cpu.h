/*
 * cpu.h - the simulated machine: RAM, paging mode and CPUs, each CPU with its
 * CR3, PCID and TLB, and the user/kernel access path that mm/ and fs/ use.
 *
 * The machine knows nothing of the kernel.  The kernel registers one
 * exception handler, as it would fill the IDT: on a #PF (vector 14) or #GP
 * (vector 13) the access path calls it with CR2 and the error code; the
 * handler fixes the page tables and returns 0 (the access is retried) or
 * returns an error that the access path passes back (the access failed:
 * the kernel has delivered a signal).
 */
#ifndef HW_CPU_H
#define HW_CPU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "hw/x86.h"
#include "hw/physmem.h"
#include "hw/tlb.h"
#include "hw/mmu.h"
#include "util/compiler.h"

struct cpu;

#define HW_MAX_CPUS	64	/* hw_config.nr_cpus is 1..HW_MAX_CPUS */
#define CPU_MAX_FAULTS	8	/* #PFs one access may raise before -EFAULT */

/* The IDT entry for #PF and #GP. Returns 0 to retry the access, or a
 * negative errno that the failed access returns. */
typedef int (*exception_handler_t)(struct cpu *cpu, int vector, uint64_t cr2,
				   unsigned int error_code, void *arg);

struct cpu {
	int id;
	struct hw *hw;
	uint64_t cr3;		/* physical address of the top-level table */
	uint16_t pcid;		/* current PCID (0 when PCID is off) */
	void *current;		/* the kernel's task running here (opaque) */
	bool user_mode;		/* the access being made is at CPL 3 (what
				 * regs->cs tells a #GP handler) */
	struct tlb tlb;
};

/*
 * The CPUID feature flags of the simulated CPU, in the order /proc/cpuinfo
 * lists them and under its names (Linux's X86_FEATURE_* of cpufeatures.h).
 * The machine does what they promise: the MMU takes large pages in PD
 * entries (pse) and in PDPT entries (pdpe1gb), global pages (pge) and NX,
 * and with CR4.SMAP (hw.smap) refuses supervisor accesses to user pages.
 * pcid and invpcid are present when the machine boots with PCID.  The
 * kernel asks cpu_has, as Linux asks boot_cpu_has.
 */
enum cpu_feature {
	X86_FEATURE_FPU, X86_FEATURE_DE, X86_FEATURE_PSE, X86_FEATURE_TSC,
	X86_FEATURE_MSR, X86_FEATURE_PAE, X86_FEATURE_CX8, X86_FEATURE_APIC,
	X86_FEATURE_SEP, X86_FEATURE_PGE, X86_FEATURE_CMOV, X86_FEATURE_PAT,
	X86_FEATURE_PSE36, X86_FEATURE_CLFLUSH, X86_FEATURE_MMX,
	X86_FEATURE_FXSR, X86_FEATURE_XMM, X86_FEATURE_XMM2,
	X86_FEATURE_SYSCALL, X86_FEATURE_NX, X86_FEATURE_GBPAGES,
	X86_FEATURE_LM, X86_FEATURE_PCID, X86_FEATURE_INVPCID,
	X86_FEATURE_SMAP,
	NR_CPU_FEATURES
};

/* cpu_feature_name - the cpuinfo name of feature f ("pdpe1gb" for
 * X86_FEATURE_GBPAGES). */
const char *cpu_feature_name(enum cpu_feature f);

struct hw_config {
	uint64_t nr_frames;
	int nr_cpus;
	unsigned int tlb_entries;
	unsigned int tlb_ways;
	enum paging_mode mode;
	bool pcid;		/* CR4.PCIDE: CR3 writes keep tagged entries */
};

struct hw {
	struct physmem mem;
	const struct paging_geom *geom;
	bool pcid;
	bool smap;		/* CR4.SMAP of every CPU (the kernel sets it) */
	uint32_t features;	/* 1 << X86_FEATURE_* of every CPU */
	int nr_cpus;
	struct cpu *cpus;
	exception_handler_t handler;
	void *handler_arg;
	uint64_t page_walks;	/* hardware walks (TLB misses and refills) */
	uint64_t walk_reads;	/* paging-structure entries they read */
	uint64_t faults;	/* exceptions raised */
	/* Reference stamps, when the kernel turns them on: per frame, the
	 * time (a count of references) of its last access: the per-page
	 * "time-of-use" counter the textbooks' exact LRU assumes the
	 * hardware keeps.  NULL when off. */
	uint64_t *ref_stamp;
	uint64_t ref_clock;
};

/* hw_track_references - turn the reference stamps on (all zero) or off.
 * 0 or -ENOMEM. */
int hw_track_references(struct hw *hw, bool on);

/* cpu_note_reference - an access reached frame pfn. */
static inline void cpu_note_reference(struct hw *hw, uint64_t pfn)
{
	if (unlikely(hw->ref_stamp != NULL))
		hw->ref_stamp[pfn] = ++hw->ref_clock;
}

/* hw_init - power on a machine; every CPU starts with CR3 = 0 and an empty
 * TLB. 0, -EINVAL (bad geometry or counts) or -ENOMEM. */
int hw_init(struct hw *hw, const struct hw_config *cfg);
void hw_destroy(struct hw *hw);

/* cpu_has - the machine's CPUs have feature f (Linux's boot_cpu_has). */
static inline bool cpu_has(const struct hw *hw, enum cpu_feature f)
{
	return hw->features & (1U << f);
}

/* hw_set_exception_handler - install the kernel's #PF/#GP handler. */
void hw_set_exception_handler(struct hw *hw, exception_handler_t fn, void *arg);

/* cpu_write_cr3 - MOV to CR3: load a new top-level table and PCID.  Without
 * PCID every non-global TLB entry is dropped; with PCID entries are tagged
 * and survive. */
void cpu_write_cr3(struct cpu *cpu, uint64_t cr3, uint16_t pcid);

/* cpu_invlpg - INVLPG va for the current PCID. */
void cpu_invlpg(struct cpu *cpu, uint64_t va);

/* cpu_flush_tlb - flush the whole TLB (keep_global as tlb_flush_all). */
void cpu_flush_tlb(struct cpu *cpu, bool keep_global);

/* cpu_va_valid - true if va is canonical (4-level: bits 63..47 equal) or,
 * in 2-level mode, below 4 GiB. */
static inline bool cpu_va_valid(const struct hw *hw, uint64_t va)
{
	int bits = hw->geom->va_bits;

	if (hw->geom->mode == PAGING_2LEVEL)
		return (va >> bits) == 0;
	return (uint64_t)((int64_t)(va << (64 - bits)) >> (64 - bits)) == va;
}

/* cpu_tlb_allows - true if a TLB entry with flags allows the access (ACC_*):
 * a write needs TLB_WRITE and TLB_DIRTY, a user access TLB_USER, a fetch
 * !TLB_NX; an ACC_SMAP access a page without TLB_USER. */
static inline bool cpu_tlb_allows(unsigned int flags, unsigned int access)
{
	unsigned int need = 0;

	if (access & ACC_WRITE)
		need |= TLB_WRITE | TLB_DIRTY;
	if (access & ACC_USER)
		need |= TLB_USER;
	if ((flags & need) != need)
		return false;
	if ((access & ACC_SMAP) && (flags & TLB_USER))
		return false;
	return !((access & ACC_FETCH) && (flags & TLB_NX));
}

/* cpu_translate_slow - cpu_translate past a failed TLB probe: e is the entry
 * the probe found for va (NULL on a miss, ignored for a non-canonical va).
 * Use cpu_translate instead. */
int cpu_translate_slow(struct cpu *cpu, uint64_t va, unsigned int access,
		       uint64_t *pa, struct tlb_entry *e);

/*
 * cpu_translate - translate va for an access (ACC_* bits, ACC_USER for user
 * mode) on this CPU: TLB, then a page walk on a miss or when the cached entry
 * does not allow the access (write to a clean entry re-walks to set D), then
 * on a fault the exception handler, then a retry.  Non-canonical addresses
 * (in 2-level mode: va >= 4 GiB) raise #GP, which never retries.  Returns 0
 * and *pa, or the handler's negative error; -EFAULT when no handler is
 * installed, for a #GP the handler returned 0 for, or after CPU_MAX_FAULTS
 * #PFs for this one access.  The TLB-hit path is inline, always: it is
 * the path of every simulated access.
 */
static __always_inline int cpu_translate(struct cpu *cpu, uint64_t va,
				unsigned int access, uint64_t *pa)
{
	struct tlb_entry *e = NULL;

	if (likely(cpu_va_valid(cpu->hw, va))) {
		e = tlb_lookup(&cpu->tlb, va >> PAGE_SHIFT, cpu->pcid);
		if (likely(e && cpu_tlb_allows(e->flags, access))) {
			*pa = (e->pfn << PAGE_SHIFT) | (va & (PAGE_SIZE - 1));
			cpu_note_reference(cpu->hw, e->pfn);
			return 0;
		}
	}
	return cpu_translate_slow(cpu, va, access, pa, e);
}

/* cpu_read / cpu_write - a load or store of len bytes at va, page by page,
 * through cpu_translate. access is ACC_USER or 0 (kernel mode). Returns 0 or
 * the first failing translation's error (bytes before it were transferred). */
int cpu_read(struct cpu *cpu, uint64_t va, void *buf, size_t len,
	     unsigned int access);
int cpu_write(struct cpu *cpu, uint64_t va, const void *buf, size_t len,
	      unsigned int access);

/* hw_pt_read / hw_pt_write - read or write entry `index` of the paging
 * structure at physical address table (entry size per paging mode). */
uint64_t hw_pt_read(const struct hw *hw, uint64_t table, unsigned int index);
void hw_pt_write(struct hw *hw, uint64_t table, unsigned int index,
		 uint64_t val);

#endif
