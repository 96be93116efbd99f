/*
 * trace.h - the kernel's event log behind trace_pipe and trace (ftrace's
 * ring buffer, much reduced).  Events are stored as fixed-size binary
 * records in a ring so that logging costs a few stores on hot paths; they
 * are formatted as text only when read.
 */
#ifndef KERNEL_TRACE_H
#define KERNEL_TRACE_H

#include <stddef.h>
#include <stdint.h>
#include "kernel/time.h"

struct mm_struct;

enum trace_type {
	TRACE_FAULT,		/* a: address, b: error code, c: outcome */
	TRACE_COW,		/* a: address, b: old pfn, c: new pfn (== old: reuse) */
	TRACE_PAGE_ALLOC,	/* a: pfn, b: order */
	TRACE_PAGE_FREE,	/* a: pfn, b: order */
	TRACE_TLB_FLUSH,	/* a: start, b: end, c: mm id */
	TRACE_SWITCH,		/* a: cr3, b: flushed (1/0), c: prev pid */
	TRACE_FORK,		/* a: child pid */
	TRACE_EXEC,		/* a: entry */
	TRACE_EXIT,		/* a: wait status */
	TRACE_SIGNAL,		/* a: signal, b: address */
	TRACE_OOM_KILL,		/* a: victim rss pages, b: faulting mm id */
	TRACE_ERROR,		/* a: errno, event: its name; text */
	TRACE_EVICT,		/* a: pfn, b: swap entry (0: none), c: lru |
				 * policy << 8 | TRACE_EVICT_WORKINGSET,
				 * d: an address it was mapped at (0: none) */
	TRACE_REFAULT,		/* a: pfn, b: distance, c: TRACE_REFAULT_* */
	TRACE_KSWAPD,		/* a: reclaimed, b: 1 wake / 0 sleep */
	TRACE_DIRECT_RECLAIM,	/* a: reclaimed */
	TRACE_SWAPIN,		/* a: address, b: swap entry, c: pfn */
	TRACE_VMALLOC_FAULT,	/* a: address, b: top-level index copied */
	TRACE_OOPS,		/* a: address, b: error code, c: die count,
				 * d: vector (X86_TRAP_PF or X86_TRAP_GP) */
	NR_TRACE_TYPES
};

#define TRACE_EVICT_WORKINGSET	0x10000

/* TRACE_REFAULT's c bits. */
#define TRACE_REFAULT_FILE	1
#define TRACE_REFAULT_ACTIVATE	2
#define TRACE_REFAULT_RESTORE	4

#define TRACE_TEXT_LEN	48

/* One event: a cache line, so that logging one writes one line. */
struct trace_event {
	uint64_t seq;
	uint64_t ts_ns;
	uint64_t a, b;
	union {
		uint64_t c;
		const char *event;	/* TRACE_ERROR: the name shown */
	};
	uint64_t d;
	int32_t pid;
	int16_t cpu;
	uint16_t type;
} __attribute__((aligned(64)));

#define TRACE_RING_SIZE	8192	/* a power of two */

extern struct trace_event trace_ring[TRACE_RING_SIZE];
/* trace_text - a TRACE_ERROR event's text, at its event's ring index. */
extern char trace_text[TRACE_RING_SIZE][TRACE_TEXT_LEN];
extern uint64_t trace_seq;	/* sequence number of the next event */
extern int trace_cur_pid;	/* pid on whose behalf the kernel runs */
extern int trace_cur_cpu;

/* trace_slot - claim the next record and fill its common fields. */
static inline struct trace_event *trace_slot(enum trace_type type)
{
	struct trace_event *e = &trace_ring[trace_seq & (TRACE_RING_SIZE - 1)];

	e->ts_ns = ktime_get_ns();
	e->seq = trace_seq++;
	e->type = (uint16_t)type;
	e->pid = trace_cur_pid;
	e->cpu = (int16_t)trace_cur_cpu;
	return e;
}

/* trace_emit4 - record one event (oldest overwritten when full); inline,
 * as it is on every hot path.  trace_emit: d is 0. */
static inline void trace_emit4(enum trace_type type, uint64_t a, uint64_t b,
			       uint64_t c, uint64_t d)
{
	struct trace_event *e = trace_slot(type);

	e->a = a;
	e->b = b;
	e->c = c;
	e->d = d;
}

static inline void trace_emit(enum trace_type type, uint64_t a, uint64_t b,
			      uint64_t c)
{
	trace_emit4(type, a, b, c, 0);
}

/* trace_emit_error - record an error that a layer above the kernel
 * reports: shown as "EVENT: errno=ERR TEXT", event a string that outlives
 * the ring (a literal), text cut to TRACE_TEXT_LEN - 1 bytes. */
void trace_emit_error(const char *event, int err, const char *text);

/* trace_format - one event as a text line (no newline), returns length. */
int trace_format(const struct trace_event *e, char *buf, size_t size);

/* trace_reset - forget every event (new machine). */
void trace_reset(void);

static inline void trace_tlb_flush(int cpu, struct mm_struct *mm,
				   uint64_t start, uint64_t end)
{
	extern uint64_t trace_mm_id(const struct mm_struct *mm);
	int saved = trace_cur_cpu;

	trace_cur_cpu = cpu;
	trace_emit(TRACE_TLB_FLUSH, start, end, trace_mm_id(mm));
	trace_cur_cpu = saved;
}

#endif
