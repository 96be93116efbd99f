/*
 * fault.c - the #PF and #GP vector (Linux's arch/x86/mm/fault.c
 * exc_page_fault and do_user_addr_fault): find the vma, check the access
 * against it, grow the stack, hand the fault to handle_mm_fault, and turn
 * what cannot be resolved into SIGSEGV or SIGBUS.
 */
#include <errno.h>
#include <signal.h>
#include "internal.h"
#include "mm/swap.h"
#include "kernel/kernel.h"
#include "kernel/trace.h"
#include "mm/vmalloc.h"

/* force_sig - a fatal signal for t's process, delivered when the current
 * operation has unwound.  init is never killed: Linux would panic
 * ("Attempted to kill init!"); here only its access fails. */
static void force_sig(struct task_struct *t, int sig, uint64_t address)
{
	trace_emit(TRACE_SIGNAL, (uint64_t)sig, address, 0);
	if (t->group_leader->pid != 1)
		t->group_leader->pending_signal = sig;
}

/* access_error - may this access use vma at all (Linux's access_error)?
 * A protection fault on a present page that is not a write is never
 * resolvable (NX, supervisor page); instruction fetches are not checked
 * against VM_EXEC here: the page is mapped NX and the retry faults. */
static bool access_error(unsigned int error_code,
			 const struct vm_area_struct *vma)
{
	if (error_code & X86_PF_WRITE)
		return !(vma->vm_flags & VM_WRITE);
	if (error_code & X86_PF_PROT)
		return true;
	return !vma_is_accessible(vma);
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
	bool grew = false;
	int fault;

	if (error_code & X86_PF_RSVD)
		panic("do_user_addr_fault: reserved bit set at %#llx",
		      (unsigned long long)address);
	vma = find_vma(t->mm, address);
	if (!vma)
		return bad_area(t, address, error_code);
	if (vma->vm_start > address) {
		if (!(vma->vm_flags & VM_GROWSDOWN) ||
		    expand_stack(vma, address))
			return bad_area(t, address, error_code);
		grew = true;
	}
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

/* do_exception - see mm.h. */
int do_exception(struct cpu *cpu, int vector, uint64_t cr2,
		 unsigned int error_code, void *arg)
{
	struct task_struct *t = cpu->current;

	(void)arg;
	int ret;

	BUG_ON(!t || !t->mm);
	if (vector == X86_TRAP_GP) {
		count_fault(t, FO_SIGSEGV);
		force_sig(t, SIGSEGV, cr2);
		return -EFAULT;
	}
	/* do_kern_addr_fault: a kernel-mode miss in the vmalloc area whose
	 * pgd lacks init_mm's entry (i386, --vmalloc-fault) is fixed here. */
	if (!(error_code & (X86_PF_USER | X86_PF_RSVD | X86_PF_PROT)) &&
	    !vmalloc_fault(cpu->cr3, cr2))
		return 0;
	ret = do_user_addr_fault(t, cr2, error_code);
	kthreads_run_pending();	/* the return to user mode */
	return ret;
}

