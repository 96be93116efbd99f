/*
 * fork.c - address-space lifetime and fork (Linux's kernel/fork.c: mm_alloc,
 * mmput, mmdrop, dup_mm/dup_mmap, copy_process).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "mm/slab.h"
#include "kernel/errstr.h"
#include "mm/mm.h"
#include "mm/page_alloc.h"
#include "mm/memcontrol.h"
#include "mm/vma.h"
#include "mm/vmstat.h"
#include "mm/vmalloc.h"
#include "kernel/kernel.h"
#include "kernel/time.h"
#include "kernel/trace.h"

static uint64_t mm_ids;
static uint16_t last_pcid;

/* alloc_pcid - a PCID for a new mm (1..4095, cyclic); stale entries of a
 * reused PCID were flushed when its previous mm was freed. */
static uint16_t alloc_pcid(void)
{
	if (!hw.pcid)
		return 0;
	last_pcid = (uint16_t)(last_pcid % 4095 + 1);
	return last_pcid;
}

/* mm_alloc - see mm.h. */
struct mm_struct *mm_alloc(void)
{
	struct mm_struct *mm = calloc(1, sizeof(*mm));

	if (!mm) {
		host_enomem();
		return NULL;
	}
	mm->slab_obj = kmem_cache_alloc(mm_cachep);
	if (!mm->slab_obj) {
		free(mm);
		return NULL;
	}
	mm->mm_users = 1;
	mm->mm_count = 1;
	mm->memcg = &root_mem_cgroup;
	INIT_LIST_HEAD(&mm->anon_vma_node);
	if (pgd_alloc(mm)) {
		kmem_cache_free(mm_cachep, mm->slab_obj);
		free(mm);
		return NULL;
	}
	mm->id = ++mm_ids;
	mm->pcid = alloc_pcid();
	mm_set_layout(mm);
	list_add_tail(&mm->mmlist, &all_mms);
	return mm;
}

void mmget(struct mm_struct *mm)
{
	mm->mm_users++;
}

void mmgrab(struct mm_struct *mm)
{
	mm->mm_count++;
}

/* __mmdrop - free the struct and its top-level table; no CPU may still
 * use the table. */
static void __mmdrop(struct mm_struct *mm)
{
	int i;

	BUG_ON(mm->mmap || mm->map_count || mm->pgtables_bytes);
	for (i = 0; i < hw.nr_cpus; i++) {
		BUG_ON(hw.cpus[i].cr3 == mm->pgd);
		if (hw.pcid)
			tlb_flush_pcid(&hw.cpus[i].tlb, mm->pcid);
	}
	pgd_free(mm);
	list_del(&mm->mmlist);
	kmem_cache_free(mm_cachep, mm->slab_obj);
	free(mm->exe_path);
	free(mm);
}

/* mmdrop - see mm.h. */
void mmdrop(struct mm_struct *mm)
{
	BUG_ON(mm->mm_count <= 0);
	if (--mm->mm_count == 0)
		__mmdrop(mm);
}

/* mmput - see mm.h. */
void mmput(struct mm_struct *mm)
{
	BUG_ON(mm->mm_users <= 0);
	if (--mm->mm_users)
		return;
	exit_mmap(mm);
	mmdrop(mm);
}

/* share_anon_vma - the child uses the parent's anon_vma (fork). */
static void share_anon_vma(struct mm_struct *mm, struct anon_vma *av)
{
	if (!av)
		return;
	av->refcount++;
	mm->anon_vma = av;
	list_add_tail(&mm->anon_vma_node, &av->mms);
}

/* dup_vma - copy one vma of the parent into the child and its entries.
 * 0 or -ENOMEM (the child stays consistent). */
static int dup_vma(struct mm_struct *mm, struct vm_area_struct *mpnt)
{
	struct vm_area_struct *tmp;

	if ((mpnt->vm_flags & VM_ACCOUNT) &&
	    vm_enough_memory((int64_t)vma_pages(mpnt)))
		return -ENOMEM;
	tmp = vm_area_dup(mpnt);
	if (!tmp) {
		if (mpnt->vm_flags & VM_ACCOUNT)
			vm_unacct_memory((int64_t)vma_pages(mpnt));
		return -ENOMEM;
	}
	tmp->vm_mm = mm;
	tmp->vm_flags &= ~(VM_LOCKED | VM_LOCKONFAULT);
	if (tmp->vm_flags & VM_WIPEONFORK)
		tmp->anon_vma = NULL;
	vma_link(mm, tmp);
	vm_stat_account(mm, tmp->vm_flags, (int64_t)vma_pages(tmp));
	if (tmp->vm_flags & VM_WIPEONFORK)
		return 0;
	return copy_page_range(tmp, mpnt);
}

/* dup_mm - see mm.h (Linux's dup_mm + dup_mmap).  The check that runs
 * short (mm_alloc, the commit, a frame for a table) gives the reason. */
struct mm_struct *dup_mm(struct mm_struct *oldmm, int *err)
{
	struct mm_struct *mm = mm_alloc();
	struct vm_area_struct *mpnt;

	*err = -ENOMEM;
	if (!mm)
		return NULL;
	mm->start_code = oldmm->start_code;
	mm->end_code = oldmm->end_code;
	mm->start_data = oldmm->start_data;
	mm->end_data = oldmm->end_data;
	mm->start_brk = oldmm->start_brk;
	mm->brk = oldmm->brk;
	mm->start_stack = oldmm->start_stack;
	mm->arg_start = oldmm->arg_start;
	mm->arg_end = oldmm->arg_end;
	mm->env_start = oldmm->env_start;
	mm->env_end = oldmm->env_end;
	mm->mmap_base = oldmm->mmap_base;
	mm->task_size = oldmm->task_size;
	mm->def_flags = oldmm->def_flags & ~VM_LOCKED;
	mm->memcg = oldmm->memcg;	/* a child starts in its parent's group */
	if (oldmm->exe_path && !(mm->exe_path = strdup(oldmm->exe_path))) {
		mmput(mm);
		*err = host_enomem();
		return NULL;
	}
	share_anon_vma(mm, oldmm->anon_vma);
	for (mpnt = oldmm->mmap; mpnt; mpnt = mpnt->vm_next) {
		if (mpnt->vm_flags & VM_DONTCOPY)
			continue;
		if (dup_vma(mm, mpnt)) {
			flush_tlb_mm(oldmm);
			mmput(mm);
			return NULL;
		}
	}
	flush_tlb_mm(oldmm);
	mm->hiwater_vm = mm->total_vm;
	*err = 0;
	return mm;
}

/* thread_size - see sched.h. */
uint64_t thread_size(void)
{
	return kernel_is_64bit() ? 16384 : 8192;
}

/* kernel_stack_pfn - the frame of page i of t's kernel stack: the
 * stack's vmalloc area's (x86-64) or its order-1 block's (i386). */
static uint64_t kernel_stack_pfn(const struct task_struct *t, uint64_t i)
{
	struct list_head *l;

	if (!kernel_is_64bit())
		return ((t->stack - page_offset()) >> PAGE_SHIFT) + i;
	list_for_each(l, &vmap_area_list) {
		const struct vmap_area *a = list_entry(l, struct vmap_area,
						       list);

		if (a->va_start == t->stack)
			return a->pfns[i];
	}
	BUG_ON(1);
	return 0;
}

/* account_kernel_stack - count t's stack (sign 1) or uncount it (-1) in
 * NR_KERNEL_STACK_KB on the node of each of its pages (Linux's
 * account_kernel_stack). */
static void account_kernel_stack(const struct task_struct *t, int sign)
{
	for (uint64_t i = 0; i < thread_size() >> PAGE_SHIFT; i++)
		mod_node_page_state(page_pgdat(pfn_to_page(
					    kernel_stack_pfn(t, i))),
				    NR_KERNEL_STACK_KB,
				    sign * (int64_t)(PAGE_SIZE >> 10));
}

/* alloc_thread_stack_node - see sched.h. */
int alloc_thread_stack_node(struct task_struct *t)
{
	uint64_t size = thread_size();

	if (kernel_is_64bit()) {
		if (__vmalloc_node(size, size, thread_stack_caller, &t->stack))
			return -ENOMEM;
	} else {
		struct page *page = alloc_pages(GFP_KERNEL, 1);

		if (!page)
			return -ENOMEM;
		t->stack = page_offset() + (page_to_pfn(page) << PAGE_SHIFT);
	}
	account_kernel_stack(t, 1);
	return 0;
}

/* free_thread_stack - see sched.h. */
void free_thread_stack(struct task_struct *t)
{
	if (!t->stack)
		return;
	account_kernel_stack(t, -1);
	if (kernel_is_64bit())
		BUG_ON(vfree(t->stack, thread_stack_caller));
	else
		__free_pages(pfn_to_page((t->stack - page_offset()) >>
					 PAGE_SHIFT), 1);
	t->stack = 0;
}

/* task_of_stack_pfn - see sched.h. */
struct task_struct *task_of_stack_pfn(uint64_t pfn)
{
	struct list_head *l;

	if (kernel_is_64bit())
		return NULL;
	list_for_each(l, &task_list) {
		struct task_struct *t = list_entry(l, struct task_struct, tasks);
		uint64_t first = (t->stack - page_offset()) >> PAGE_SHIFT;

		if (t->stack && pfn - first < 2)
			return t;
	}
	return NULL;
}

/* alloc_task_struct - see sched.h. */
struct task_struct *alloc_task_struct(void)
{
	struct task_struct *t = calloc(1, sizeof(*t));

	if (!t) {
		host_enomem();
		return NULL;
	}
	t->slab_obj = kmem_cache_alloc(task_struct_cachep);
	if (!t->slab_obj) {
		free(t);
		return NULL;
	}

	t->on_cpu = -1;
	INIT_LIST_HEAD(&t->children);
	INIT_LIST_HEAD(&t->sibling);
	INIT_LIST_HEAD(&t->thread_group);
	INIT_LIST_HEAD(&t->thread_node);
	return t;
}

/* dup_task_struct - see sched.h. */
struct task_struct *dup_task_struct(struct task_struct *t)
{
	struct task_struct *c = alloc_task_struct();

	if (!c)
		return NULL;
	memcpy(c->comm, t->comm, sizeof(c->comm));
	c->last_cpu = t->last_cpu;
	c->oom_score_adj = t->group_leader->oom_score_adj;
	c->start_time_ns = ktime_get_ns();
	return c;
}

void (*task_free_hook)(struct task_struct *t);

/* free_task_struct - release a task that was never made visible or that
 * has been released. */
void free_task_struct(struct task_struct *t)
{
	if (task_free_hook)
		task_free_hook(t);
	free_thread_stack(t);
	kmem_cache_free(task_struct_cachep, t->slab_obj);
	free(t);
}

/* dup_task_pid - a free pid in *pid and a copy of t, linked nowhere;
 * NULL and *err: -EAGAIN when pids run out (what names the call in the
 * reason), -ENOMEM. */
static struct task_struct *dup_task_pid(struct task_struct *t,
					const char *what, int *pid, int *err)
{
	struct task_struct *c;

	*pid = alloc_pid();
	if (*pid < 0) {
		*err = kerror(EAGAIN, "%s: no free pid", what);
		return NULL;
	}
	c = dup_task_struct(t);
	if (!c) {
		*err = host_enomem();
		return NULL;
	}
	if (alloc_thread_stack_node(c)) {
		free_task_struct(c);
		*err = kerror(ENOMEM, "%s: no frames for a kernel stack", what);
		return NULL;
	}
	return c;
}

/* copy_task - the start of a fork or a thread of t (Linux's copy_process
 * up to dup_task_struct): dup_task_pid once task_can_syscall allows it. */
static struct task_struct *copy_task(struct task_struct *t, const char *what,
				     int *pid, int *err)
{
	*err = task_can_syscall(t);
	if (*err)
		return NULL;
	return dup_task_pid(t, what, pid, err);
}

/* do_fork - see sched.h.  While the child is built, the OOM killer may
 * choose the parent but only marks it (oom_busy_mm): it dies once the fork
 * has unwound. */
struct task_struct *do_fork(struct task_struct *parent, int *err)
{
	struct mm_struct *mm;
	int pid;
	struct task_struct *c = copy_task(parent, "fork", &pid, err);

	if (!c)
		return NULL;
	oom_busy_mm = parent->mm;
	mm = dup_mm(parent->mm, err);
	oom_busy_mm = NULL;
	if (!mm) {
		free_task_struct(c);
		return NULL;
	}
	c->mm = c->active_mm = mm;
	attach_child(parent, c, pid);
	*err = 0;
	return c;
}

/* attach_child - see sched.h. */
void attach_child(struct task_struct *parent, struct task_struct *c, int pid)
{
	struct task_struct *leader = parent->group_leader;

	c->pid = c->tgid = pid;
	c->group_leader = c;
	c->real_parent = leader;
	list_add_tail(&c->sibling, &leader->children);
	attach_pid(c);
	count_vm_event(MMUFS_FORK);
	trace_cur_pid = leader->pid;
	trace_emit(TRACE_FORK, (uint64_t)pid, 0, 0);
}

/* kthread_name_error - 0 if name can be a kernel thread's comm, else
 * -EINVAL with the reason. */
static int kthread_name_error(const char *name)
{
	size_t n = strlen(name), i;

	if (n == 0)
		return kerror(EINVAL, "empty kernel thread name");
	if (n >= TASK_COMM_LEN)
		return kerror(EINVAL, "kernel thread name longer than %d bytes",
			      TASK_COMM_LEN - 1);
	for (i = 0; i < n; i++)
		if (name[i] < 0x20 || name[i] > 0x7e)
			return kerror(EINVAL, "kernel thread name is not "
				      "printable ASCII");
	return 0;
}

/* kthread_create - see sched.h (kthreadd's create_kthread: a clone of
 * kthreadd with CLONE_VM | CLONE_UNTRACED, so no mm of its own). */
struct task_struct *kthread_create(const char *name, int *err)
{
	struct task_struct *kthreadd = find_task_by_pid(2), *c;
	int pid;

	BUG_ON(!kthreadd || !kthreadd->kthread);
	*err = kthread_name_error(name);
	if (*err || !(c = dup_task_pid(kthreadd, "kthread", &pid, err)))
		return NULL;
	c->kthread = c->kthread_ctl = true;
	task_set_comm(c, name);
	attach_child(kthreadd, c, pid);
	*err = 0;
	return c;
}

/* do_thread - see sched.h. */
struct task_struct *do_thread(struct task_struct *t, int *err)
{
	struct task_struct *leader = t->group_leader;
	int pid;
	struct task_struct *c = copy_task(t, "thread", &pid, err);

	if (!c)
		return NULL;
	mmget(t->mm);
	c->mm = c->active_mm = t->mm;
	c->pid = pid;
	c->tgid = leader->tgid;
	c->group_leader = leader;
	c->real_parent = leader->real_parent;
	list_add_tail(&c->thread_node, &leader->thread_group);
	attach_pid(c);
	*err = 0;
	return c;
}

/* rlimit_sigpending - see sched.h. */
uint64_t rlimit_sigpending(void)
{
	uint64_t threads = boot_params.mem_bytes / (8 * thread_size());

	return MAX(threads, 20) / 2;
}
