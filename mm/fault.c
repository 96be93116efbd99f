/*
 * fault.c - the #PF and #GP vector (Linux's arch/x86/mm/fault.c
 * exc_page_fault, do_kern_addr_fault and do_user_addr_fault, and
 * arch/x86/kernel/traps.c's exc_general_protection): for a user address
 * find the vma, check the access against it, grow the stack, hand the
 * fault to handle_mm_fault, and turn what cannot be resolved into SIGSEGV
 * or SIGBUS; for a kernel address try vmalloc_fault (i386, lazy sync).
 * A kernel-mode fault nothing resolves is an oops: logged as Linux's
 * page_fault_oops logs it, and the task dies (make_task_dead).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <signal.h>
#include "internal.h"
#include "mm/swap.h"
#include "kernel/kernel.h"
#include "kernel/time.h"
#include "kernel/trace.h"
#include "mm/vmalloc.h"
#include "kernel/printk.h"

/* force_sig - a fatal signal for t's process, delivered when the current
 * operation has unwound.  init is never killed: Linux would panic
 * ("Attempted to kill init!"); here only its access fails. */
static void force_sig(struct task_struct *t, int sig, uint64_t address)
{
	trace_emit(TRACE_SIGNAL, (uint64_t)sig, address, 0);
	if (t->group_leader->pid != 1)
		t->group_leader->pending_signal = sig;
}

/* access_error - why this access may not use vma at all, NULL when it
 * may (Linux's access_error).  A protection fault on a present page that
 * is not a write is never resolvable (NX, supervisor page); instruction
 * fetches are not checked against VM_EXEC here: the page is mapped NX and
 * the retry faults. */
static const char *access_error(unsigned int error_code,
				const struct vm_area_struct *vma)
{
	if (error_code & X86_PF_WRITE)
		return vma->vm_flags & VM_WRITE ? NULL :
		       "write to a vma without VM_WRITE";
	if (error_code & X86_PF_PROT)
		return error_code & X86_PF_INSTR ?
		       "instruction fetch from a non-executable page" :
		       "protection fault on a present page";
	return vma_is_accessible(vma) ? NULL : "access to a PROT_NONE vma";
}

/* area_error - why vma (find_vma's answer for address) does not hold
 * address, NULL when it does; *grow: it is below a VM_GROWSDOWN vma,
 * which must grow down to it first (do_user_addr_fault's checks before
 * expand_stack). */
static const char *area_error(const struct vm_area_struct *vma,
			      uint64_t address, bool *grow)
{
	*grow = false;
	if (!vma)
		return "no vma at or above the address";
	if (vma->vm_start > address) {
		if (!(vma->vm_flags & VM_GROWSDOWN))
			return "no vma holds the address";
		*grow = true;
	}
	return NULL;
}

/* bad_area - the access has no valid resolution: SIGSEGV. */
static int bad_area(struct task_struct *t, uint64_t address,
		    unsigned int error_code)
{
	count_fault(t, FO_SIGSEGV);
	trace_emit(TRACE_FAULT, address, error_code, FO_SIGSEGV);
	force_sig(t, SIGSEGV, address);
	return -EFAULT;
}

/* fault_flags - FAULT_FLAG_* for an x86 error code. */
static unsigned int fault_flags(unsigned int error_code)
{
	unsigned int flags = 0;

	if (error_code & X86_PF_USER)
		flags |= FAULT_FLAG_USER;
	if (error_code & X86_PF_WRITE)
		flags |= FAULT_FLAG_WRITE;
	if (error_code & X86_PF_INSTR)
		flags |= FAULT_FLAG_INSTRUCTION;
	return flags;
}

/* do_user_addr_fault - resolve a #PF of task t.
 * 0: retry the access; -EFAULT: t got SIGSEGV/SIGBUS; -ENOMEM: no frame. */
static int do_user_addr_fault(struct task_struct *t, uint64_t address,
			      unsigned int error_code)
{
	struct vm_area_struct *vma;
	bool grew;
	int fault;

	if (error_code & X86_PF_RSVD)
		panic("do_user_addr_fault: reserved bit set at %#llx",
		      (unsigned long long)address);
	vma = find_vma(t->mm, address);
	if (area_error(vma, address, &grew) ||
	    (grew && expand_stack(vma, address)))
		return bad_area(t, address, error_code);
	if (access_error(error_code, vma))
		return bad_area(t, address, error_code);
	fault = handle_mm_fault(vma, address, fault_flags(error_code), t);
	if (grew)
		count_fault(t, FO_STACK_GROW);
	trace_emit(TRACE_FAULT, address, error_code,
		   fault & VM_FAULT_ERROR ? NR_FAULT_OUTCOMES :
		   grew ? FO_STACK_GROW : (uint64_t)last_fault_outcome);
	if (fault & VM_FAULT_OOM)
		return -ENOMEM;
	if (fault & VM_FAULT_SIGBUS) {
		count_fault(t, FO_SIGBUS);
		force_sig(t, SIGBUS, address);
		return -EFAULT;
	}
	if (fault & VM_FAULT_SIGSEGV)
		return bad_area(t, address, error_code);
	return 0;
}

/* dump_pagetable - log the entries translating address in the table at
 * cr3, from the top down to the first that is not present or maps a
 * page (Linux's dump_pagetable: "PGD .. P4D .. PUD .. PMD .. PTE .." on
 * x86-64, the PGD printed again as the folded P4D; "*pde = .. *pte = .."
 * on i386). */
static void dump_pagetable(uint64_t cr3, uint64_t address)
{
	static const char *const names[] = { "", "PTE", "PMD", "PUD", "PGD" };
	const struct paging_geom *g = hw.geom;
	uint64_t table = cr3;
	char line[200];
	int level, n = 0;

	for (level = g->levels; level >= 1; level--) {
		uint64_t e = hw_pt_read(&hw, table, pt_index(g, level, address));
		bool last = !(e & _PAGE_PRESENT) || level == 1 ||
			    ((e & _PAGE_PSE) && level < g->levels);

		if (!kernel_is_64bit())
			n += snprintf(line + n, sizeof(line) - (size_t)n,
				      "*%s = %08" PRIx64 " ", level == 2 ?
				      "pde" : "pte", e);
		else if (level == 4)	/* p4d_offset of a folded P4D */
			n += snprintf(line + n, sizeof(line) - (size_t)n,
				      "PGD %" PRIx64 " P4D %" PRIx64 " ", e, e);
		else
			n += snprintf(line + n, sizeof(line) - (size_t)n,
				      "%s %" PRIx64 "%s", names[level], e,
				      level == 1 ? "" : " ");
		if (last || (e & g->pfn_mask) >= hw.mem.nr_frames << PAGE_SHIFT)
			break;
		table = e & g->pfn_mask;
	}
	printk("%s", line);
}
/* addr_width - hex digits of an address as %px prints it. */
static int addr_width(void)
{
	return kernel_is_64bit() ? 16 : 8;
}

/* show_fault_oops - what Linux's show_fault_oops logs of a kernel-mode
 * #PF: the address, the access and the error code, the page tables. */
static void show_fault_oops(struct cpu *cpu, uint64_t address,
			    unsigned int ec)
{
	if (address < PAGE_SIZE)
		printk("BUG: kernel NULL pointer dereference, address: %0*"
		       PRIx64, addr_width(), address);
	else
		printk("BUG: unable to handle page fault for address: %0*"
		       PRIx64, addr_width(), address);
	printk("#PF: %s %s in kernel mode",
	       ec & X86_PF_USER ? "user" : "supervisor",
	       ec & X86_PF_INSTR ? "instruction fetch" :
	       ec & X86_PF_WRITE ? "write access" : "read access");
	printk("#PF: error_code(0x%04x) - %s", ec,
	       !(ec & X86_PF_PROT) ? "not-present page" :
	       ec & X86_PF_RSVD ? "reserved bit violation" :
	       "permissions violation");
	dump_pagetable(cpu->cr3, address);
}

/* page_fault_oops - a kernel-mode #PF with no resolution and no fixup
 * (Linux's page_fault_oops): logged and traced, t dies.  -EFAULT. */
static int page_fault_oops(struct cpu *cpu, struct task_struct *t,
			   uint64_t address, unsigned int ec)
{
	int n;

	show_fault_oops(cpu, address, ec);
	n = die("Oops", ec, cpu->id, t);
	trace_emit4(TRACE_OOPS, address, ec, (uint64_t)n, X86_TRAP_PF);
	return -EFAULT;
}

/* bad_area_nosemaphore - no resolution: SIGSEGV for a user-mode access,
 * an oops for a kernel-mode one (Linux's __bad_area_nosemaphore and
 * kernelmode_fixup_or_oops: the simulated kernel has no exception-table
 * fixups). */
static int bad_area_nosemaphore(struct cpu *cpu, struct task_struct *t,
				uint64_t address, unsigned int ec)
{
	if (ec & X86_PF_USER)
		return bad_area(t, address, ec);
	return page_fault_oops(cpu, t, address, ec);
}

/* do_kern_addr_fault - a #PF at a kernel address (Linux's
 * do_kern_addr_fault): a kernel-mode miss may be a vmalloc_fault to fix;
 * anything else has no resolution. 0: retry; -EFAULT. */
static int do_kern_addr_fault(struct cpu *cpu, struct task_struct *t,
			      uint64_t address, unsigned int ec)
{
	if (!(ec & (X86_PF_RSVD | X86_PF_USER | X86_PF_PROT)) &&
	    !vmalloc_fault(cpu->cr3, address))
		return 0;
	return bad_area_nosemaphore(cpu, t, address, ec);
}

/* fault_in_kernel_space - is address in the kernel's half (Linux's
 * fault_in_kernel_space: at or above TASK_SIZE_MAX)? */
static bool fault_in_kernel_space(uint64_t address)
{
	return address >= task_size_max();
}

/* do_general_protection - a #GP (a non-canonical address): SIGSEGV in
 * user mode, an oops in kernel mode (Linux's exc_general_protection and
 * its "probably for non-canonical address" hint, x86-64 only). */
static int do_general_protection(struct cpu *cpu, struct task_struct *t,
				 uint64_t address)
{
	char desc[96];
	int n;

	if (cpu->user_mode) {
		count_fault(t, FO_SIGSEGV);
		force_sig(t, SIGSEGV, address);
		return -EFAULT;
	}
	if (kernel_is_64bit())
		snprintf(desc, sizeof(desc), "general protection fault, probably "
			 "for non-canonical address %#" PRIx64, address);
	else
		snprintf(desc, sizeof(desc), "general protection fault");
	n = die(desc, 0, cpu->id, t);
	trace_emit4(TRACE_OOPS, address, 0, (uint64_t)n, X86_TRAP_GP);
	return -EFAULT;
}

/* do_exception - see mm.h.  A kernel-mode fault at a user address is an
 * oops whatever the entry says: with SMAP the kernel touches user memory
 * only inside uaccess (EFLAGS.AC set), which the simulation's kernel-mode
 * accesses never are (Linux's do_user_addr_fault SMAP check). */
int do_exception(struct cpu *cpu, int vector, uint64_t cr2,
		 unsigned int error_code, void *arg)
{
	struct task_struct *t = cpu->current;
	int ret;

	(void)arg;
	BUG_ON(!t || (!t->mm && !t->kthread));
	vtime_account_access();
	account_system_time((uint64_t)sim_costs.fault);
	if (vector == X86_TRAP_GP)
		ret = do_general_protection(cpu, t, cr2);
	else if (fault_in_kernel_space(cr2))
		ret = do_kern_addr_fault(cpu, t, cr2, error_code);
	else if (!(error_code & X86_PF_USER) && (hw.smap || !t->mm))
		ret = bad_area_nosemaphore(cpu, t, cr2, error_code);
	else
		ret = do_user_addr_fault(t, cr2, error_code);
	if (t->mm)
		kthreads_run_pending();	/* the return to user mode */
	vtime_access_enter(cpu, t);
	return ret;
}

/* segv - fp says SIGSEGV, for why. */
static void segv(struct fault_prediction *fp, const char *why)
{
	fp->outcome = FO_SIGSEGV;
	fp->why = why;
}

/* fault_predict - see mm.h.  The hardware's answer first (mmu_probe from
 * the mm's own tables: the TLB may hold an older one); then the decisions
 * of do_exception for a user-mode #PF: exc_general_protection for a
 * non-canonical address, do_kern_addr_fault for the kernel half (no
 * vmalloc_fault in user mode), do_user_addr_fault's area_error and
 * access_error, then handle_mm_fault's through pte_fault_predict. */
void fault_predict(struct mm_struct *mm, uint64_t address,
		   unsigned int access, struct fault_prediction *fp)
{
	struct vm_area_struct *vma;
	struct mmu_result res;
	unsigned int ec;
	const char *why;

	*fp = (struct fault_prediction){ .outcome = -1 };
	if (!cpu_va_valid(&hw, address)) {
		segv(fp, "non-canonical address (#GP)");
		return;
	}
	if (!mmu_probe(&hw, mm->pgd, address, access | ACC_USER, &res, &ec))
		return;
	vma = find_vma(mm, address);
	if (fault_in_kernel_space(address))
		why = "user access to the kernel half";
	else if (!(why = area_error(vma, address, &fp->stack_grow)) &&
		 !(fp->stack_grow && stack_growth_error(vma, address, &why)))
		why = access_error(ec, vma);
	if (why) {
		segv(fp, why);
		return;
	}
	pte_fault_predict(vma, address, fault_flags(ec), fp);
	/* access_error lets a fetch fault in a page of a vma without
	 * VM_EXEC: it is mapped NX, and the retry's fetch faults again. */
	fp->then_sigsegv = (access & ACC_FETCH) && fp->outcome != FO_SIGSEGV &&
			   fp->outcome != FO_SIGBUS &&
			   (vm_get_page_prot(vma->vm_flags) & _PAGE_NX);
}
