/*
 * oom_kill.c - when RAM runs out and nothing can be reclaimed, kill the
 * process that frees the most (Linux's mm/oom_kill.c: oom_badness,
 * select_bad_process, oom_kill_process).
 */
#include "internal.h"
#include "mm/kernel.h"
#include "mm/trace.h"

/* oom_badness - pages a kill would free: RSS, swap entries and page
 * tables; -1 for tasks that are never chosen (init, kernel threads,
 * zombies, tasks already dying). */
static int64_t oom_badness(const struct task_struct *t)
{
	const struct mm_struct *mm = t->mm;

	if (t->pid == 1 || t->kthread || !mm || t->exit_state == EXIT_ZOMBIE ||
	    t->pending_signal || !thread_group_leader(t))
		return -1;
	return (int64_t)get_mm_rss(mm) + mm->rss_stat[MM_SWAPENTS] +
	       mm->pgtables_bytes / (int64_t)PAGE_SIZE;
}

/* select_bad_process - the task with the highest badness (the lowest pid
 * on a tie), or NULL. */
static struct task_struct *select_bad_process(void)
{
	struct task_struct *victim = NULL;
	int64_t best = -1;
	struct list_head *l;

	list_for_each(l, &task_list) {
		struct task_struct *t = list_entry(l, struct task_struct, tasks);
		int64_t points = oom_badness(t);

		if (points > best || (points == best && victim &&
				      t->pid < victim->pid)) {
			best = points;
			victim = t;
		}
	}
	return best < 0 ? NULL : victim;
}

struct mm_struct *oom_busy_mm;

/* out_of_memory - see mm.h.  A victim using an mm the kernel is working
 * on (the faulting one, or the one fork copies from) is only marked: it
 * dies when the current operation unwinds. */
bool out_of_memory(struct mm_struct *faulting)
{
	struct task_struct *victim = select_bad_process();

	if (!victim)
		return false;
	count_vm_event(OOM_KILL);
	trace_emit(TRACE_OOM_KILL, get_mm_rss(victim->mm),
		   faulting ? faulting->id : 0, 0);
	if (victim->mm == faulting || victim->mm == oom_busy_mm) {
		victim->pending_signal = SIGKILL;
		return true;
	}
	do_exit_group(victim, SIGKILL);
	return true;
}

/* alloc_page_oom - see mm.h. */
struct page *alloc_page_oom(unsigned int gfp, struct mm_struct *mm)
{
	struct page *page;

	for (;;) {
		page = alloc_pages(gfp, 0);
		if (page)
			return page;
		if (!out_of_memory(mm))
			break;
		if ((mm && mm_owner(mm) && mm_owner(mm)->pending_signal) ||
		    (oom_busy_mm && mm_owner(oom_busy_mm) &&
		     mm_owner(oom_busy_mm)->pending_signal)) {
			kerror(ENOMEM, OOM_CHOSEN);
			return NULL;
		}
	}
	kerror(ENOMEM, "out of memory: no free frame, and no process to kill");
	return NULL;
}
