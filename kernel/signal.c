/*
 * signal.c - sending signals (Linux's kernel/signal.c, default actions
 * only: no handlers run in the simulation): kill, stop and continue, and
 * the fatal signals the kernel queued while it worked.
 */
#include <errno.h>
#include <signal.h>
#include "internal.h"
#include "kernel/errstr.h"
#include "kernel/trace.h"

/* The simulated kernel's signals are x86 Linux's, and so are the host's:
 * <signal.h> names them. */

/* sig_ignored_by_default - signals whose default action is to do nothing
 * (SIGCHLD, SIGURG, SIGWINCH) or to continue (SIGCONT). */
static bool sig_ignored_by_default(int sig)
{
	return sig == SIGCHLD || sig == SIGCONT || sig == SIGURG ||
	       sig == SIGWINCH;
}

/* sig_stops - SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU. */
static bool sig_stops(int sig)
{
	return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN ||
	       sig == SIGTTOU;
}

/* do_kill - see sched.h. Signal 0 only checks that t can be signalled. */
int do_kill(struct task_struct *t, int sig)
{
	struct task_struct *leader = t->group_leader;

	if (sig < 0 || sig > 64)
		return kerror(EINVAL, "bad signal %d", sig);
	if (leader->exit_state == EXIT_ZOMBIE)
		return kerror(ESRCH, "process %d has exited", t->pid);
	if (sig == 0)		/* kill(pid, 0): the process exists */
		return 0;
	if (leader->pid == 1 || leader->kthread)
		return kerror(EPERM, "pid %d cannot be killed", t->pid);
	trace_cur_pid = leader->pid;
	trace_emit(TRACE_SIGNAL, (uint64_t)sig, 0, 0);
	if (sig == SIGCONT)
		leader->stopped = false;
	if (sig_ignored_by_default(sig))
		return 0;
	if (sig_stops(sig)) {
		leader->stopped = true;
		return 0;
	}
	do_exit_group(leader, sig);
	return 0;
}

/* deliver_pending_signals - see sched.h. */
void deliver_pending_signals(void)
{
	struct list_head *l, *n;

	list_for_each_safe(l, n, &task_list) {
		struct task_struct *t = list_entry(l, struct task_struct, tasks);

		if (t->pending_signal && t->exit_state != EXIT_ZOMBIE &&
		    thread_group_leader(t)) {
			if (t->kthread)
				kthread_exit(t, t->pending_signal);
			else
				do_exit_group(t, t->pending_signal);
			/* exit_group may release threads after l: restart */
			deliver_pending_signals();
			return;
		}
	}
}
