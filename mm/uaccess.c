/*
 * uaccess.c - memory accesses on behalf of a task: user-mode loads,
 * stores and touches executed on the process's CPU through the TLB and the
 * MMU, a kernel thread's kernel-mode loads and stores, and /proc/PID/mem's
 * debugger access (Linux's access_remote_vm over
 * get_user_pages with FOLL_FORCE).
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include "internal.h"
#include "mm/swap.h"
#include "kernel/kernel.h"
#include "kernel/time.h"
#include "kernel/trace.h"

/* The kernel's current task and CPU when enter_task ran: a command's
 * access is made inside its system call, which goes on after it. */
static struct task_struct *outer_task;
static int outer_cpu;

/* enter_task - run t on its CPU; the kernel now works for t there, and
 * the accesses' time is t's. */
static struct cpu *enter_task(struct task_struct *t)
{
	struct cpu *c = task_cpu_get(t);

	this_cpu = c->id;
	trace_cur_pid = t->pid;
	trace_cur_cpu = c->id;
	outer_task = current_task;
	outer_cpu = current_cpu;
	current_task = t;
	current_cpu = c->id;
	vtime_access_enter(c, t);
	return c;
}

/* leave_task - the access is over: charge its time, deliver the signals
 * it raised. */
static int leave_task(int ret)
{
	vtime_access_exit();
	this_cpu = -1;
	current_task = outer_task;
	current_cpu = outer_cpu;
	kthreads_run_pending();
	deliver_pending_signals();
	return ret;
}

static bool task_alive(const struct task_struct *t)
{
	return t->mm && t->exit_state != EXIT_ZOMBIE;
}

/* not_alive - -ESRCH with its reason: t cannot make accesses. */
static int not_alive(const struct task_struct *t)
{
	return kerror(ESRCH, "pid %d is not a live process", t->pid);
}

/* access_failed - the failure ret of t's access at va (where is "at" or
 * "at or after"), with its reason, before the signal it raised is
 * delivered: -EFAULT when the fault handler found no valid resolution
 * and sent t's process a fatal signal (init only sees the access fail);
 * any other error has the reason its check gave. */
static int access_failed(const struct task_struct *t, int ret, uint64_t va,
			 const char *where)
{
	int sig = t->group_leader->pending_signal;

	if (ret != -EFAULT)
		return ret;
	if (!sig)
		return kerror(EFAULT, "bad access %s %#" PRIx64 " (pid %d is "
			      "not killed: the access fails)", where, va,
			      t->pid);
	return kerror(EFAULT, "bad access %s %#" PRIx64 ": process %d killed "
		      "by %s", where, va, t->tgid, sig == SIGBUS ? "SIGBUS" :
		      sig == SIGKILL ? "SIGKILL" : "SIGSEGV");
}

/* user_access - see mm.h. */
int user_access(struct task_struct *t, uint64_t va, void *buf, size_t len,
		bool write)
{
	struct cpu *c;
	int ret;

	if (!task_alive(t))
		return not_alive(t);
	c = enter_task(t);
	ret = write ? cpu_write(c, va, buf, len, ACC_USER) :
		      cpu_read(c, va, buf, len, ACC_USER);
	if (ret)
		ret = access_failed(t, ret, va, "at or after");
	return leave_task(ret);
}

/* page_store_refused - 0, or -EPERM with the reason when a kernel-mode
 * store at va would reach a frame that holds the machine's own state: a
 * page table, or a reserved frame (the kernel image: the zero page,
 * swapper_pg_dir, the vDSO).  The kernel half of every pgd is init_mm's,
 * so its tables say; a user address is no kernel store's (SMAP). */
static int page_store_refused(uint64_t va)
{
	const struct page *page;
	uint64_t pfn;
	pte_t leaf;

	if (!lookup_address(swapper_pgd, va, &leaf, &pfn) || pfn >= max_pfn)
		return 0;
	page = pfn_to_page(pfn);
	if (!PageTable(page) && !PageReserved(page))
		return 0;
	return kerror(EPERM, "a kernel-mode store to pfn %" PRIu64 " (%s) "
		      "would corrupt the machine", pfn,
		      PageTable(page) ? "a page table" : "reserved");
}

/* kernel_store_refused - page_store_refused for the (at most two) pages
 * of [va, va + len). */
static int kernel_store_refused(uint64_t va, size_t len)
{
	uint64_t last = va + len - 1;
	int ret = page_store_refused(va);

	if (!ret && (last ^ va) >= PAGE_SIZE)
		ret = page_store_refused(last);
	return ret;
}

/* kernel_translate - translate the pages of [va, va + len) (at most two)
 * for a kernel-mode access on c, into pa[]; a fault nothing resolves is
 * an oops: -EFAULT. */
static int kernel_translate(struct cpu *c, uint64_t va, size_t len,
			    bool write, uint64_t pa[2])
{
	unsigned int acc = (write ? ACC_WRITE : ACC_READ) |
			   (hw.smap ? ACC_SMAP : 0);
	uint64_t last = va + len - 1;
	int ret = cpu_translate(c, va, acc, &pa[0]);

	if (!ret && (last ^ va) >= PAGE_SIZE)
		ret = cpu_translate(c, last & PAGE_MASK, acc, &pa[1]);
	return ret;
}

/* kernel_access - see mm.h.  A store is checked before the thread runs,
 * so a refused one changes nothing; every page is translated before a
 * byte moves. */
int kernel_access(struct task_struct *t, uint64_t va, void *buf, size_t len,
		  bool write)
{
	uint64_t pa[2];
	size_t first;
	struct cpu *c;
	int ret, pid = t->pid;

	BUG_ON(len == 0 || len > PAGE_SIZE);
	if (!t->kthread_ctl)
		return kerror(EPERM, "pid %d makes no kernel-mode accesses: only "
			      "a thread made by kthread does", pid);
	if (!kernel_is_64bit() && ((va + len - 1) >> 32 || va >> 32))
		return kerror(EINVAL, "%#" PRIx64 " is beyond the 32-bit "
			      "address space", va);
	if (write && (ret = kernel_store_refused(va, len)))
		return ret;
	c = enter_task(t);
	ret = kernel_translate(c, va, len, write, pa);
	if (ret == -EFAULT)	/* t is released by leave_task */
		ret = kerror(EFAULT, "kernel-mode %s at or after %#" PRIx64
			     ": oops, kernel thread %d killed (see dmesg)",
			     write ? "store" : "load", va, pid);
	if (ret)
		return leave_task(ret);
	first = MIN(len, PAGE_SIZE - (va & ~PAGE_MASK));
	if (write) {
		phys_write(&hw.mem, pa[0], buf, first);
		if (first < len)
			phys_write(&hw.mem, pa[1], (char *)buf + first,
				   len - first);
	} else {
		phys_read(&hw.mem, pa[0], buf, first);
		if (first < len)
			phys_read(&hw.mem, pa[1], (char *)buf + first,
				  len - first);
	}
	return leave_task(0);
}

/* user_touch - see mm.h. */
int user_touch(struct task_struct *t, uint64_t va, uint64_t len,
	       unsigned int access, uint64_t *faults)
{
	uint64_t before = hw.faults, p, end = va + len, pa;
	struct cpu *c;
	int ret = 0;

	*faults = 0;
	if (!task_alive(t))
		return not_alive(t);
	if (end < va)
		return kerror(EINVAL, RANGE_WRAPS);
	c = enter_task(t);
	for (p = va & PAGE_MASK; p < end && !ret; p += PAGE_SIZE)
		ret = cpu_translate(c, p, access | ACC_USER, &pa);
	*faults = hw.faults - before;
	if (ret)
		ret = access_failed(t, ret, va, "at or after");
	return leave_task(ret);
}

/* access_op - the translation(s) of one reference: its first byte's page,
 * and its last byte's when the reference crosses into the next page. */
static inline int access_op(struct cpu *c, const struct user_op *op)
{
	uint64_t va = op->va, last = va + (op->len ? op->len - 1 : 0), pa;
	unsigned int acc = op->access | ACC_USER;
	int ret = cpu_translate(c, va, acc, &pa);

	if (unlikely((last ^ va) >= PAGE_SIZE) && !ret && last > va)
		ret = cpu_translate(c, last, acc, &pa);
	return ret;
}

uint64_t user_ops_done;

/* user_access_batch - see mm.h. */
int user_access_batch(struct task_struct *t, const struct user_op *ops,
		      size_t n, struct access_stats *st)
{
	uint64_t min_flt = t->min_flt, maj_flt = t->maj_flt, faults, hits = 0;
	uint64_t tlb_hits, tlb_misses;
	struct cpu *c;
	size_t i;
	int ret = 0;

	if (!task_alive(t))
		return not_alive(t);
	c = enter_task(t);
	tlb_hits = c->tlb.hits;
	tlb_misses = c->tlb.misses;
	for (i = 0; i < n; i++) {
		faults = hw.faults;
		ret = access_op(c, &ops[i]);
		if (unlikely(ret))
			break;
		hits += hw.faults == faults;
		user_ops_done++;
	}
	st->accesses += i;
	st->hits += hits;
	st->minor += t->min_flt - min_flt;
	st->major += t->maj_flt - maj_flt;
	st->tlb_hits += c->tlb.hits - tlb_hits;
	st->tlb_misses += c->tlb.misses - tlb_misses;
	if (ret)
		ret = access_failed(t, ret, ops[i].va, "at");
	return leave_task(ret);
}

/* check_vma_flags - may /proc/PID/mem access vma (Linux's check_vma_flags
 * with FOLL_FORCE)?  Never I/O or PFN maps ([vvar]); forced writes only
 * go to private mappings. */
static bool check_vma_flags(const struct vm_area_struct *vma, bool write)
{
	if (vma->vm_flags & (VM_IO | VM_PFNMAP))
		return false;
	if (write)
		return (vma->vm_flags & VM_WRITE) || is_cow_mapping(vma->vm_flags);
	return vma->vm_flags & (VM_READ | VM_MAYREAD);
}

/* can_follow - does the entry let a forced access use the page as is? A
 * forced write to a read-only entry needs an exclusive anon page (after a
 * COW fault). */
static bool can_follow(struct vm_area_struct *vma, uint64_t addr, pte_t pte,
		       bool write)
{
	struct page *page;

	if (!pte_present(pte))
		return false;
	if (!write || pte_write_ok(pte))
		return true;
	page = vm_normal_page(vma, addr, pte);
	return page && PageAnon(page) && PageFlag(page, PG_anon_exclusive) &&
	       !(vma->vm_flags & VM_SHARED);
}

/* follow_page - the frame holding addr for a forced access, faulting it
 * in as get_user_pages does; -1 when it cannot be had. */
static int64_t follow_page(struct task_struct *t, struct vm_area_struct *vma,
			   uint64_t addr, bool write)
{
	int tries;

	for (tries = 0; tries < 3; tries++) {
		struct pte_ref ref;

		if (!walk_pte(vma->vm_mm, addr, false, &ref)) {
			pte_t pte = pte_read(ref);

			if (can_follow(vma, addr, pte, write))
				return (int64_t)pte_pfn(pte);
		}
		if (handle_mm_fault(vma, addr, FAULT_FLAG_REMOTE |
				    (write ? FAULT_FLAG_WRITE : 0), t) &
		    VM_FAULT_ERROR)
			return -1;
	}
	return -1;
}

/* access_remote_vm - see mm.h. */
size_t access_remote_vm(struct task_struct *t, uint64_t addr, void *buf,
			size_t len, bool write)
{
	size_t done;

	if (!task_alive(t))
		return 0;
	trace_cur_pid = t->pid;
	done = access_mm(t->mm, t, addr, buf, len, write);
	kthreads_run_pending();
	deliver_pending_signals();
	return done;
}

/* access_mm - see mm.h. */
size_t access_mm(struct mm_struct *mm, struct task_struct *t, uint64_t addr,
		 void *buf, size_t len, bool write)
{
	size_t done = 0;

	while (done < len) {
		struct vm_area_struct *vma = find_vma(mm, addr);
		size_t off = addr & ~PAGE_MASK;
		size_t n = MIN(len - done, PAGE_SIZE - off);
		int64_t pfn;

		if (!vma || vma->vm_start > addr || !check_vma_flags(vma, write))
			break;
		pfn = follow_page(t, vma, addr & PAGE_MASK, write);
		if (pfn < 0)
			break;
		if (write) {
			phys_write(&hw.mem, ((uint64_t)pfn << PAGE_SHIFT) + off,
				   (char *)buf + done, n);
			if ((uint64_t)pfn != zero_pfn)
				set_page_dirty(pfn_to_page((uint64_t)pfn));
		} else {
			phys_read(&hw.mem, ((uint64_t)pfn << PAGE_SHIFT) + off,
				  (char *)buf + done, n);
		}
		done += n;
		addr += n;
		if (addr == 0)
			break;
	}
	return done;
}
