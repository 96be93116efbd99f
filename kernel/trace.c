/*
 * trace.c - the event ring and its text form (see trace.h).  Event names
 * follow the Linux tracepoints they stand for (mm_page_alloc,
 * sched_process_fork, ...).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include "kernel/trace.h"
#include "kernel/kernel.h"
#include "mm/mm_types.h"
#include "kernel/sched.h"
#include "mm/vmstat.h"
#include "mm/mmzone.h"
#include "mm/swap.h"
#include "mm/replace.h"

struct trace_event trace_ring[TRACE_RING_SIZE];
/* Written with each TRACE_ERROR event and read only through it: never
 * cleared, so that its pages stay untouched until an error. */
char trace_text[TRACE_RING_SIZE][TRACE_TEXT_LEN];
_Static_assert(sizeof(struct trace_event) == 64, "an event is a cache line");
uint64_t trace_seq;
int trace_cur_pid;
int trace_cur_cpu;

/* trace_mm_id - the id an mm is shown with in events. */
uint64_t trace_mm_id(const struct mm_struct *mm)
{
	return mm ? mm->id : 0;
}

/* trace_emit_error - see trace.h. */
void trace_emit_error(const char *event, int err, const char *text)
{
	uint64_t i = trace_seq & (TRACE_RING_SIZE - 1);
	struct trace_event *e = trace_slot(TRACE_ERROR);

	e->a = (uint64_t)err;
	e->b = 0;
	e->event = event;
	snprintf(trace_text[i], sizeof(trace_text[i]), "%s", text);
}

/* trace_reset - see trace.h. */
void trace_reset(void)
{
	memset(trace_ring, 0, sizeof(trace_ring));
	trace_seq = 0;
	trace_cur_pid = 0;
	trace_cur_cpu = 0;
}

/* pf_bits - the error-code bits as letters, as Linux's fault oops prints
 * them: P/-, W/R, U/K, plus RSVD and I. */
static void pf_bits(uint64_t err, char *buf, size_t size)
{
	snprintf(buf, size, "%s%s%s%s%s",
		 err & 1 ? "P" : "-", err & 2 ? "W" : "R", err & 4 ? "U" : "K",
		 err & 8 ? "+RSVD" : "", err & 16 ? "+I" : "");
}

static const char *const lru_names[NR_LRU_LISTS] = {
	"inactive_anon", "active_anon", "inactive_file", "active_file",
	"unevictable",
};

/* swap_text - a swap entry as TYPE:OFFSET, or "none". */
static const char *swap_text(uint64_t val, char *buf, size_t size)
{
	swp_entry_t e = { val };

	if (!val)
		return "none";
	snprintf(buf, size, "%u:%" PRIu64, swp_type(e), swp_offset(e));
	return buf;
}

/* format_body - the event-specific part of a line. */
static int format_body(const struct trace_event *e, char *buf, size_t size)
{
	char bits[32];

	switch (e->type) {
	case TRACE_FAULT:
		pf_bits(e->b, bits, sizeof(bits));
		return snprintf(buf, size,
				"page_fault: address=0x%" PRIx64
				" error_code=0x%" PRIx64 " %s outcome=%s",
				e->a, e->b, bits,
				e->c < NR_FAULT_OUTCOMES ?
				fault_outcome_names[e->c] : "none");
	case TRACE_COW:
		if (e->b == e->c)
			return snprintf(buf, size,
					"cow_reuse: address=0x%" PRIx64
					" pfn=0x%" PRIx64, e->a, e->b);
		return snprintf(buf, size,
				"cow_copy: address=0x%" PRIx64 " old_pfn=0x%"
				PRIx64 " new_pfn=0x%" PRIx64, e->a, e->b, e->c);
	case TRACE_PAGE_ALLOC:
		return snprintf(buf, size, "mm_page_alloc: pfn=0x%" PRIx64
				" order=%" PRIu64, e->a, e->b);
	case TRACE_PAGE_FREE:
		return snprintf(buf, size, "mm_page_free: pfn=0x%" PRIx64
				" order=%" PRIu64, e->a, e->b);
	case TRACE_TLB_FLUSH:
		return snprintf(buf, size, "tlb_flush: mm=%" PRIu64
				" start=0x%" PRIx64 " end=0x%" PRIx64
				" pages=%" PRIu64, e->c, e->a, e->b,
				(e->b - e->a) >> 12);
	case TRACE_SWITCH:
		return snprintf(buf, size, "sched_switch: prev_pid=%" PRIu64
				" cr3=0x%" PRIx64 " tlb_flush=%" PRIu64,
				e->c, e->a, e->b);
	case TRACE_FORK:
		return snprintf(buf, size, "sched_process_fork: child_pid=%"
				PRIu64, e->a);
	case TRACE_EXEC:
		return snprintf(buf, size, "sched_process_exec: entry=0x%"
				PRIx64, e->a);
	case TRACE_EXIT:
		return snprintf(buf, size, "sched_process_exit: status=0x%"
				PRIx64, e->a);
	case TRACE_SIGNAL:
		return snprintf(buf, size, "signal_deliver: sig=%" PRIu64
				" address=0x%" PRIx64, e->a, e->b);
	case TRACE_OOM_KILL:
		return snprintf(buf, size, "mark_victim: rss_pages=%" PRIu64,
				e->a);
	case TRACE_ERROR:
		return snprintf(buf, size, "%s: errno=%" PRIu64 " %s",
				e->event, e->a,
				trace_text[e->seq & (TRACE_RING_SIZE - 1)]);
	case TRACE_EVICT:
		return snprintf(buf, size, "mm_vmscan_evict: pfn=0x%" PRIx64
				" address=0x%" PRIx64 " lru=%s swap=%s policy=%s"
				" workingset=%d", e->a, e->d,
				lru_names[e->c & 0xff],
				swap_text(e->b, bits, sizeof(bits)),
				reclaim_policy_names[(e->c >> 8) & 0xff],
				!!(e->c & TRACE_EVICT_WORKINGSET));
	case TRACE_REFAULT:
		return snprintf(buf, size, "mm_workingset_refault: pfn=0x%"
				PRIx64 " %s distance=%" PRIu64 " activate=%d "
				"restore=%d", e->a, e->c & TRACE_REFAULT_FILE ?
				"file" : "anon", e->b,
				!!(e->c & TRACE_REFAULT_ACTIVATE),
				!!(e->c & TRACE_REFAULT_RESTORE));
	case TRACE_KSWAPD:
		if (e->b)
			return snprintf(buf, size, "mm_vmscan_kswapd_wake: "
					"nid=%" PRIu64, e->c);
		return snprintf(buf, size, "mm_vmscan_kswapd_sleep: nid=%"
				PRIu64 " nr_reclaimed=%" PRIu64, e->c, e->a);
	case TRACE_DIRECT_RECLAIM:
		return snprintf(buf, size, "mm_vmscan_direct_reclaim_end: "
				"nr_reclaimed=%" PRIu64, e->a);
	case TRACE_SWAPIN:
		return snprintf(buf, size, "mm_swapin: address=0x%" PRIx64
				" swap=%s pfn=0x%" PRIx64, e->a,
				swap_text(e->b, bits, sizeof(bits)), e->c);
	case TRACE_VMALLOC_FAULT:
		return snprintf(buf, size, "vmalloc_fault: address=0x%" PRIx64
				" pgd_index=%" PRIu64, e->a, e->b);
	case TRACE_OOPS:
		pf_bits(e->b, bits, sizeof(bits));
		return snprintf(buf, size, "kernel_oops: %s address=0x%" PRIx64
				" error_code=0x%" PRIx64 " %s die=%" PRIu64,
				e->d == 13 ? "general_protection" : "page_fault",
				e->a, e->b, e->d == 13 ? "-" : bits, e->c);
	}
	return snprintf(buf, size, "unknown");
}

/* trace_format - see trace.h.  Layout of ftrace's text lines:
 * "COMM-PID [CPU] SECONDS: event: fields". */
int trace_format(const struct trace_event *e, char *buf, size_t size)
{
	struct task_struct *t = e->pid > 0 ? find_task_by_pid(e->pid) : NULL;
	const char *comm = e->pid == 0 ? "<idle>" : t ? t->comm : "<...>";
	int n;

	n = snprintf(buf, size, "%16s-%-7d [%03d] %5" PRIu64 ".%06" PRIu64 ": ",
		     comm, e->pid, e->cpu, e->ts_ns / 1000000000,
		     e->ts_ns / 1000 % 1000000);
	if (n < 0 || (size_t)n >= size)
		return n;
	return n + format_body(e, buf + n, size - (size_t)n);
}
