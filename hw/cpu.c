/*
 * cpu.c - the machine: RAM, CPUs with CR3/PCID/TLB, and the access path.
 *
 * An access first probes the TLB (inline, in cpu.h).  Anything else lands in
 * cpu_translate_slow(): a #GP for a non-canonical address, otherwise a page
 * walk whose result refills the TLB, or a #PF delivered to the kernel's
 * exception handler followed by a retry.  A handler that keeps returning 0
 * without fixing the fault gets CPU_MAX_FAULTS chances, then the access fails
 * with -EFAULT, so a kernel bug cannot hang the machine.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "hw/cpu.h"
#include "util/compiler.h"

/* Entries hold 32-bit physical addresses in 2-level mode: 4 GiB of RAM. */
#define MAX_FRAMES_2LEVEL	(1ULL << (32 - PAGE_SHIFT))
#define PCID_LIMIT		4096	/* PCIDs are 12 bits */

/*
 * hw_init_cpus - allocate nr CPUs, each with an empty TLB of the given
 * geometry and CR3 = 0.  Returns 0, -EINVAL or -ENOMEM; on failure whatever
 * was allocated stays in hw for hw_destroy().
 */
static int hw_init_cpus(struct hw *hw, int nr, unsigned int tlb_entries,
			unsigned int tlb_ways)
{
	int i, err;

	hw->cpus = calloc((size_t)nr, sizeof(*hw->cpus));
	if (!hw->cpus)
		return -ENOMEM;
	hw->nr_cpus = nr;
	for (i = 0; i < nr; i++) {
		hw->cpus[i].id = i;
		hw->cpus[i].hw = hw;
		err = tlb_init(&hw->cpus[i].tlb, tlb_entries, tlb_ways);
		if (err)
			return err;
	}
	return 0;
}

static const char *const feature_names[NR_CPU_FEATURES] = {
	"fpu", "de", "pse", "tsc", "msr", "pae", "cx8", "apic", "sep", "pge",
	"cmov", "pat", "pse36", "clflush", "mmx", "fxsr", "sse", "sse2",
	"syscall", "nx", "pdpe1gb", "lm", "pcid", "invpcid", "smap",
};

/* cpu_feature_name - see cpu.h. */
const char *cpu_feature_name(enum cpu_feature f)
{
	return feature_names[f];
}

/* cpu_features - what the simulated CPU has: every feature but PCID and
 * INVPCID, which come with cfg->pcid. */
static uint32_t cpu_features(const struct hw_config *cfg)
{
	uint32_t all = (1U << NR_CPU_FEATURES) - 1;
	uint32_t pcid = 1U << X86_FEATURE_PCID | 1U << X86_FEATURE_INVPCID;

	return cfg->pcid ? all : all & ~pcid;
}

/*
 * hw_init - power on a machine described by cfg.  hw is overwritten.
 * Returns 0; -EINVAL for an unknown mode, nr_cpus outside 1..HW_MAX_CPUS,
 * a bad TLB geometry or a RAM size the mode cannot address (0 frames, more
 * than 4 GiB in 2-level mode); -ENOMEM.  On failure hw is left empty.
 */
int hw_init(struct hw *hw, const struct hw_config *cfg)
{
	int err;

	memset(hw, 0, sizeof(*hw));
	hw->geom = paging_geom(cfg->mode);
	if (!hw->geom || cfg->nr_cpus < 1 || cfg->nr_cpus > HW_MAX_CPUS)
		return -EINVAL;
	if (cfg->mode == PAGING_2LEVEL && cfg->nr_frames > MAX_FRAMES_2LEVEL)
		return -EINVAL;
	hw->pcid = cfg->pcid;
	hw->features = cpu_features(cfg);
	err = hw_init_cpus(hw, cfg->nr_cpus, cfg->tlb_entries, cfg->tlb_ways);
	if (!err)
		err = physmem_init(&hw->mem, cfg->nr_frames);
	if (err)
		hw_destroy(hw);
	return err;
}

/* hw_destroy - power off: free the CPUs, their TLBs and RAM.  hw may be
 * partially initialised; afterwards it is empty. */
void hw_destroy(struct hw *hw)
{
	int i;

	for (i = 0; hw->cpus && i < hw->nr_cpus; i++)
		tlb_destroy(&hw->cpus[i].tlb);
	free(hw->cpus);
	hw_track_references(hw, false);
	physmem_destroy(&hw->mem);
	memset(hw, 0, sizeof(*hw));
}

/* hw_track_references - see cpu.h.  The stamps are one host mapping
 * reserved with MAP_NORESERVE, backed only where frames are used. */
int hw_track_references(struct hw *hw, bool on)
{
	size_t bytes = hw->mem.nr_frames * sizeof(uint64_t);
	void *p;

	if (hw->ref_stamp)
		munmap(hw->ref_stamp, bytes);
	hw->ref_stamp = NULL;
	hw->ref_clock = 0;
	if (!on)
		return 0;
	p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return -ENOMEM;
	hw->ref_stamp = p;
	return 0;
}

/* hw_set_exception_handler - install fn (NULL: none) as the #PF/#GP
 * handler, called with arg. */
void hw_set_exception_handler(struct hw *hw, exception_handler_t fn, void *arg)
{
	hw->handler = fn;
	hw->handler_arg = arg;
}

/*
 * cpu_write_cr3 - load cr3 (a page-aligned frame of RAM) and, with PCID on,
 * the PCID (< 4096).  Without PCID the pcid argument is ignored, the CPU runs
 * with PCID 0 and every non-global TLB entry is dropped (one full flush);
 * with PCID nothing is flushed (as with CR3's no-flush bit set): reusing a
 * PCID for another address space needs tlb_flush_pcid() first.
 */
void cpu_write_cr3(struct cpu *cpu, uint64_t cr3, uint16_t pcid)
{
	BUG_ON(!PAGE_ALIGNED(cr3) || !phys_valid(&cpu->hw->mem, cr3, PAGE_SIZE));
	cpu->cr3 = cr3;
	if (!cpu->hw->pcid) {
		cpu->pcid = 0;
		tlb_flush_all(&cpu->tlb, true);
		return;
	}
	BUG_ON(pcid >= PCID_LIMIT);
	cpu->pcid = pcid;
}

/* cpu_invlpg - drop va's translation for the current PCID and any global
 * one (one single-page flush). */
void cpu_invlpg(struct cpu *cpu, uint64_t va)
{
	tlb_invlpg(&cpu->tlb, va >> PAGE_SHIFT, cpu->pcid);
}

/* cpu_flush_tlb - flush this CPU's whole TLB (keep_global: except global
 * entries); one full flush. */
void cpu_flush_tlb(struct cpu *cpu, bool keep_global)
{
	tlb_flush_all(&cpu->tlb, keep_global);
}

/*
 * raise_exception - deliver exception `vector` to the installed handler.
 * Counts one exception.  Returns the handler's result (0: retry, or a
 * negative errno), or -EFAULT when no handler is installed.
 */
static int raise_exception(struct cpu *cpu, int vector, uint64_t cr2,
			   unsigned int error_code)
{
	struct hw *hw = cpu->hw;
	int ret;

	hw->faults++;
	if (!hw->handler)
		return -EFAULT;
	ret = hw->handler(cpu, vector, cr2, error_code, hw->handler_arg);
	BUG_ON(ret > 0);
	return ret;
}

/*
 * cpu_translate_slow - the part of cpu_translate after the inline TLB probe
 * failed; e is the entry the probe found (NULL if it missed).  Returns as
 * cpu_translate.
 */
int cpu_translate_slow(struct cpu *cpu, uint64_t va, unsigned int access,
		       uint64_t *pa, struct tlb_entry *e)
{
	uint64_t vpn = va >> PAGE_SHIFT;
	struct mmu_result res;
	unsigned int ec;
	int faults, err;

	BUG_ON(access & ~(ACC_WRITE | ACC_USER | ACC_FETCH | ACC_SMAP));
	cpu->user_mode = access & ACC_USER;
	if (!cpu_va_valid(cpu->hw, va)) {
		err = raise_exception(cpu, X86_TRAP_GP, va, 0);
		return err ? err : -EFAULT;
	}
	for (faults = 0; ; faults++) {
		if (e && cpu_tlb_allows(e->flags, access)) {
			*pa = (e->pfn << PAGE_SHIFT) | (va & (PAGE_SIZE - 1));
			cpu_note_reference(cpu->hw, e->pfn);
			return 0;
		}
		if (mmu_walk(cpu->hw, cpu->cr3, va, access, &res, &ec) == 0) {
			tlb_fill(&cpu->tlb, vpn, cpu->pcid,
				 res.pa >> PAGE_SHIFT, res.tlb_flags);
			*pa = res.pa;
			cpu_note_reference(cpu->hw, res.pa >> PAGE_SHIFT);
			return 0;
		}
		if (e)
			e->flags = 0;	/* a #PF drops the stale entry */
		if (faults == CPU_MAX_FAULTS)
			return -EFAULT;
		err = raise_exception(cpu, X86_TRAP_PF, va, ec);
		if (err)
			return err;
		e = tlb_lookup(&cpu->tlb, vpn, cpu->pcid);
	}
}

/* smap_access - ACC_SMAP for a supervisor access while CR4.SMAP is set. */
static unsigned int smap_access(const struct cpu *cpu, unsigned int access)
{
	return cpu->hw->smap && !(access & ACC_USER) ? ACC_SMAP : 0;
}

/*
 * cpu_read - load len bytes at va into buf, page by page through
 * cpu_translate with ACC_READ | access (access: 0 or ACC_USER).
 * Returns 0, or the first failing translation's error; the bytes of the
 * pages before it have been copied.  In kernel mode with CR4.SMAP set a
 * user page faults (the simulated kernel never sets EFLAGS.AC).
 */
int cpu_read(struct cpu *cpu, uint64_t va, void *buf, size_t len,
	     unsigned int access)
{
	uint8_t *p = buf;
	uint64_t pa;
	int err;

	BUG_ON(access & ~ACC_USER);
	access |= smap_access(cpu, access);
	while (len) {
		size_t n = MIN(len, PAGE_SIZE - (va & (PAGE_SIZE - 1)));

		err = cpu_translate(cpu, va, ACC_READ | access, &pa);
		if (err)
			return err;
		phys_read(&cpu->hw->mem, pa, p, n);
		va += n;
		p += n;
		len -= n;
	}
	return 0;
}

/*
 * cpu_write - store len bytes of buf at va, page by page through
 * cpu_translate with ACC_WRITE | access (access: 0 or ACC_USER).
 * Returns 0, or the first failing translation's error; the bytes of the
 * pages before it have been stored.
 */
int cpu_write(struct cpu *cpu, uint64_t va, const void *buf, size_t len,
	      unsigned int access)
{
	const uint8_t *p = buf;
	uint64_t pa;
	int err;

	BUG_ON(access & ~ACC_USER);
	access |= smap_access(cpu, access);
	while (len) {
		size_t n = MIN(len, PAGE_SIZE - (va & (PAGE_SIZE - 1)));

		err = cpu_translate(cpu, va, ACC_WRITE | access, &pa);
		if (err)
			return err;
		phys_write(&cpu->hw->mem, pa, p, n);
		va += n;
		p += n;
		len -= n;
	}
	return 0;
}

/* pt_entry_pa - physical address of entry index of the paging structure at
 * table, which must be a page-aligned frame of RAM. */
static uint64_t pt_entry_pa(const struct hw *hw, uint64_t table,
			    unsigned int index)
{
	BUG_ON(!PAGE_ALIGNED(table) || !phys_valid(&hw->mem, table, PAGE_SIZE));
	BUG_ON(index >= pt_entries(hw->geom));
	return table + (uint64_t)index * (unsigned int)hw->geom->entry_size;
}

/* hw_pt_read - entry index of the paging structure at table (a 4-byte entry
 * is zero-extended). */
uint64_t hw_pt_read(const struct hw *hw, uint64_t table, unsigned int index)
{
	uint64_t pa = pt_entry_pa(hw, table, index);

	if (hw->geom->entry_size == 8)
		return phys_read64(&hw->mem, pa);
	return phys_read32(&hw->mem, pa);
}

/* hw_pt_write - store val as entry index of the paging structure at table.
 * In 2-level mode val must fit the 4-byte entry (BUG otherwise: no NX). */
void hw_pt_write(struct hw *hw, uint64_t table, unsigned int index,
		 uint64_t val)
{
	uint64_t pa = pt_entry_pa(hw, table, index);

	if (hw->geom->entry_size == 8) {
		phys_write64(&hw->mem, pa, val);
		return;
	}
	BUG_ON(val > UINT32_MAX);
	phys_write32(&hw->mem, pa, (uint32_t)val);
}
