/*
 * oom_kill.c - when RAM runs out and nothing can be reclaimed, kill the
 * process that frees the most (Linux's mm/oom_kill.c: oom_badness,
 * select_bad_process, oom_kill_process).
 */
#include <inttypes.h>
#include "internal.h"
#include "mm/memcontrol.h"
#include "mm/swap.h"
#include "kernel/kernel.h"
#include "kernel/trace.h"
#include "kernel/printk.h"

/* oom_badness - see mm.h: the pages a kill would free, moved by
 * oom_score_adj thousandths of all memory; OOM_SCORE_ADJ_MIN exempts. */
int64_t oom_badness(const struct task_struct *t, uint64_t totalpages)
{
	const struct mm_struct *mm = t->mm;
	int64_t adj = t->group_leader->oom_score_adj;

	if (t->group_leader->pid == 1 || t->kthread || !mm ||
	    adj == OOM_SCORE_ADJ_MIN)
		return OOM_UNKILLABLE;
	return (int64_t)get_mm_rss(mm) + mm->rss_stat[MM_SWAPENTS] +
	       mm->pgtables_bytes / (int64_t)PAGE_SIZE +
	       adj * (int64_t)(totalpages / 1000);
}

/* set_oom_score_adj - see mm.h. */
int set_oom_score_adj(struct task_struct *t, int64_t adj)
{
	if (adj < OOM_SCORE_ADJ_MIN || adj > OOM_SCORE_ADJ_MAX)
		return kerror(EINVAL, "oom_score_adj must be %d..%d",
			      OOM_SCORE_ADJ_MIN, OOM_SCORE_ADJ_MAX);
	t->group_leader->oom_score_adj = (int)adj;
	return 0;
}

/* oom_evaluate - t's points as a candidate, or OOM_UNKILLABLE: besides
 * what oom_badness refuses, a zombie, a task already dying (Linux's
 * tsk_is_oom_victim) and a thread that is not its group's leader (the
 * group is counted once, as Linux's for_each_process walks processes). */
static int64_t oom_evaluate(const struct task_struct *t, uint64_t totalpages)
{
	if (t->exit_state == EXIT_ZOMBIE || t->pending_signal ||
	    !thread_group_leader(t))
		return OOM_UNKILLABLE;
	return oom_badness(t, totalpages);
}

/* select_bad_process - the task with the highest points (the lowest pid
 * on a tie) among those of memcg's subtree (every task for NULL), or
 * NULL. */
static struct task_struct *select_bad_process(struct mem_cgroup *memcg,
					      uint64_t totalpages)
{
	struct task_struct *victim = NULL;
	int64_t best = OOM_UNKILLABLE;
	struct list_head *l;

	list_for_each(l, &task_list) {
		struct task_struct *t = list_entry(l, struct task_struct, tasks);
		int64_t points;

		if (memcg && !mem_cgroup_is_descendant(mem_cgroup_of_task(t),
						       memcg))
			continue;
		points = oom_evaluate(t, totalpages);
		if (points == OOM_UNKILLABLE)
			continue;
		if (points > best || (points == best && t->pid < victim->pid)) {
			best = points;
			victim = t;
		}
	}
	return victim;
}

/* oom_totalpages - see mm.h. */
uint64_t oom_totalpages(void)
{
	return totalram_pages + total_swap_pages;
}

/* oom_score - see mm.h. */
unsigned int oom_score(const struct task_struct *t)
{
	uint64_t totalpages = oom_totalpages();
	int64_t badness = oom_badness(t, totalpages);

	if (badness == OOM_UNKILLABLE || !totalpages)
		return 0;
	return (unsigned int)((1000 + badness * 1000 / (int64_t)totalpages) *
			      2 / 3);
}

struct mm_struct *oom_busy_mm;

/* oom_kill_process - kill victim, logging it as Linux's
 * __oom_kill_process does (message: "Out of memory" or "Memory cgroup out
 * of memory"); one using an mm the kernel is working on (the faulting
 * one, or the one fork copies from) is only marked: it dies when the
 * current operation unwinds. */
static bool oom_kill_process(struct task_struct *victim,
			     struct mm_struct *faulting, const char *message)
{
	const struct mm_struct *mm = victim->mm;

	printk("%s: Killed process %d (%s) total-vm:%" PRIu64 "kB, anon-rss:%"
	       PRId64 "kB, file-rss:%" PRId64 "kB, shmem-rss:%" PRId64 "kB, "
	       "UID:0 pgtables:%" PRId64 "kB oom_score_adj:%d", message,
	       victim->pid, victim->comm, mm->total_vm << 2,
	       mm->rss_stat[MM_ANONPAGES] << 2, mm->rss_stat[MM_FILEPAGES] << 2,
	       mm->rss_stat[MM_SHMEMPAGES] << 2, mm->pgtables_bytes >> 10,
	       victim->oom_score_adj);
	count_vm_event(OOM_KILL);
	mem_cgroup_oom_kill_event(mem_cgroup_of_task(victim));
	trace_emit(TRACE_OOM_KILL, get_mm_rss(victim->mm),
		   faulting ? faulting->id : 0, 0);
	if (victim->mm == faulting || victim->mm == oom_busy_mm) {
		victim->pending_signal = SIGKILL;
		return true;
	}
	do_exit_group(victim, SIGKILL);
	return true;
}

/* out_of_memory - see mm.h. */
bool out_of_memory(struct mm_struct *faulting)
{
	struct task_struct *victim = select_bad_process(NULL, oom_totalpages());

	return victim && oom_kill_process(victim, faulting, "Out of memory");
}

/* mem_cgroup_out_of_memory - see memcontrol.h: the victim is the worst
 * of the group's subtree, measured against the group's limit and the
 * swap it may use (Linux's mem_cgroup_get_max). */
bool mem_cgroup_out_of_memory(struct mem_cgroup *memcg,
			      struct mm_struct *faulting)
{
	uint64_t swap = MIN(memcg->swap_max, total_swap_pages);
	uint64_t total = memcg->max == PAGE_COUNTER_MAX ? totalram_pages :
			 MIN(memcg->max, totalram_pages);
	struct task_struct *victim = select_bad_process(memcg, total + swap);

	return victim && oom_kill_process(victim, faulting,
					  "Memory cgroup out of memory");
}

/* alloc_user_page - see mm.h. */
struct page *alloc_user_page(unsigned int gfp, struct mm_struct *mm)
{
	struct page *page = alloc_page_oom(gfp, mm);

	if (page && mem_cgroup_charge(page, mm)) {
		put_page(page);
		return NULL;
	}
	return page;
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
