/*
 * files.c - the files that are not rendered text: /proc/sys/vm sysctls,
 * /proc/PID/mem, physmem, and the trace_pipe/trace event files.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fs.h"
#include "render.h"
#include "mm/mm.h"
#include "mm/page_alloc.h"
#include "kernel/trace.h"
#include "mm/vmstat.h"

enum {
	SC_MAX_MAP_COUNT, SC_OVERCOMMIT_MEMORY, SC_OVERCOMMIT_RATIO,
	SC_SWAPPINESS, SC_DROP_CACHES, SC_FAULT_AROUND_BYTES,
	SC_MIN_FREE_KBYTES,
};

const struct sysctl_desc sysctls[] = {
	[SC_MAX_MAP_COUNT] = { "max_map_count", 0644 },
	[SC_OVERCOMMIT_MEMORY] = { "overcommit_memory", 0644 },
	[SC_OVERCOMMIT_RATIO] = { "overcommit_ratio", 0644 },
	[SC_SWAPPINESS] = { "swappiness", 0644 },
	[SC_DROP_CACHES] = { "drop_caches", 0200 },
	[SC_FAULT_AROUND_BYTES] = { "fault_around_bytes", 0644 },
	[SC_MIN_FREE_KBYTES] = { "min_free_kbytes", 0644 },
};
const size_t nr_sysctls = ARRAY_SIZE(sysctls);

/* sysctl_read - the value and a newline; -EACCES for write-only ones. */
int sysctl_read(int idx, struct seq *s)
{
	switch (idx) {
	case SC_MAX_MAP_COUNT:
		seq_printf(s, "%" PRId64 "\n", sysctl_vm.max_map_count);
		return 0;
	case SC_OVERCOMMIT_MEMORY:
		seq_printf(s, "%d\n", sysctl_vm.overcommit_memory);
		return 0;
	case SC_OVERCOMMIT_RATIO:
		seq_printf(s, "%" PRId64 "\n", sysctl_vm.overcommit_ratio);
		return 0;
	case SC_SWAPPINESS:
		seq_printf(s, "%d\n", sysctl_vm.swappiness);
		return 0;
	case SC_FAULT_AROUND_BYTES:
		seq_printf(s, "%" PRIu64 "\n", sysctl_vm.fault_around_bytes);
		return 0;
	case SC_MIN_FREE_KBYTES:
		seq_printf(s, "%" PRIu64 "\n", min_free_kbytes);
		return 0;
	}
	return -EACCES;
}

/* parse_int - a decimal integer with optional sign and trailing
 * whitespace (proc_dointvec's input). */
static bool parse_int(const char *buf, size_t size, int64_t *v)
{
	char tmp[32], *end;
	long long x;

	while (size && (buf[size - 1] == '\n' || buf[size - 1] == ' ' ||
			buf[size - 1] == '\t'))
		size--;
	if (size == 0 || size >= sizeof(tmp))
		return false;
	memcpy(tmp, buf, size);
	tmp[size] = '\0';
	errno = 0;
	x = strtoll(tmp, &end, 10);
	if (errno || *end || end == tmp)
		return false;
	*v = x;
	return true;
}

/* drop_caches - Linux's drop_caches_sysctl_handler: 1 drops the clean
 * page cache no process maps (shmem cannot be dropped), 2 slab objects
 * (none), 4 only silences the log. */
static void drop_caches(int64_t v)
{
	if (v & 1) {
		filemap_shrink(UINT64_MAX, false);
		count_vm_event(DROP_PAGECACHE);
	}
	if (v & 2)
		count_vm_event(DROP_SLAB);
}

/* rounddown_pow_of_two - the largest power of two <= x (x > 0). */
static uint64_t rounddown_pow_of_two(uint64_t x)
{
	return 1ULL << (63 - __builtin_clzll(x));
}

/* sysctl_write - set a sysctl from its text (idx -1: drop_caches from the
 * machine ctl); returns size, or -EINVAL for a non-number or a value
 * outside the range Linux accepts. */
int sysctl_write(int idx, const char *buf, size_t size)
{
	int64_t v;

	if (idx < 0)
		idx = SC_DROP_CACHES;
	if (!parse_int(buf, size, &v) || v < 0)
		return -EINVAL;
	switch (idx) {
	case SC_MAX_MAP_COUNT:
		if (v > INT32_MAX)
			return -EINVAL;
		sysctl_vm.max_map_count = v;
		break;
	case SC_OVERCOMMIT_MEMORY:
		if (v > 2)
			return -EINVAL;
		sysctl_vm.overcommit_memory = (int)v;
		break;
	case SC_OVERCOMMIT_RATIO:
		if (v > INT32_MAX)
			return -EINVAL;
		sysctl_vm.overcommit_ratio = v;
		break;
	case SC_SWAPPINESS:
		if (v > 200)
			return -EINVAL;
		sysctl_vm.swappiness = (int)v;
		break;
	case SC_DROP_CACHES:
		if (v < 1 || v > 7)
			return -EINVAL;
		drop_caches(v);
		break;
	case SC_FAULT_AROUND_BYTES:
		if (v / PAGE_SIZE > 512)
			return -EINVAL;
		sysctl_vm.fault_around_bytes = v >= (int64_t)PAGE_SIZE ?
			rounddown_pow_of_two((uint64_t)v) : PAGE_SIZE;
		break;
	case SC_MIN_FREE_KBYTES:
		if (v > INT32_MAX)
			return -EINVAL;
		min_free_kbytes = (uint64_t)v;
		setup_per_zone_wmarks();
		break;
	default:
		return -EINVAL;
	}
	return (int)size;
}

/* mem_rw - /proc/PID/mem (Linux's mem_rw): the offset is the virtual
 * address; returns the bytes done, or -EIO when the first page cannot be
 * accessed (no signal is sent). */
ssize_t mem_rw(struct task_struct *t, char *buf, size_t size, off_t off,
	       bool write)
{
	size_t done;

	if (off < 0)
		return -EINVAL;
	if (!t->mm)
		return t->exit_state == EXIT_ZOMBIE ? -ESRCH : 0;
	if (size == 0)
		return 0;
	done = access_remote_vm(t, (uint64_t)off, buf, size, write);
	return done ? (ssize_t)done : -EIO;
}

/* physmem_read - raw RAM at physical address off; 0 past its end. */
ssize_t physmem_read(char *buf, size_t size, off_t off)
{
	uint64_t ram = hw.mem.nr_frames << PAGE_SHIFT;

	if (off < 0)
		return -EINVAL;
	if ((uint64_t)off >= ram)
		return 0;
	if (size > ram - (uint64_t)off)
		size = ram - (uint64_t)off;
	phys_read(&hw.mem, (uint64_t)off, buf, size);
	return (ssize_t)size;
}

/* ---- trace ---- */

static uint64_t trace_read_seq;	/* next event trace_pipe hands out */

/* oldest_seq - the oldest event still in the ring. */
static uint64_t oldest_seq(void)
{
	return trace_seq > TRACE_RING_SIZE ? trace_seq - TRACE_RING_SIZE : 0;
}

/* trace_pipe_ready - is there an event to consume? */
bool trace_pipe_ready(void)
{
	if (trace_read_seq > trace_seq)
		trace_read_seq = 0;	/* the machine was reset */
	return trace_read_seq < trace_seq;
}

/* format_events - append events from *seq on while they fit in size bytes
 * of buf (whole lines only); returns the bytes written. */
static size_t format_events(char *buf, size_t size, uint64_t *seq)
{
	size_t used = 0;

	if (*seq < oldest_seq())
		*seq = oldest_seq();
	while (*seq < trace_seq) {
		char line[256];
		int n = trace_format(&trace_ring[*seq & (TRACE_RING_SIZE - 1)],
				     line, sizeof(line) - 1);

		if (n < 0)
			n = 0;
		if ((size_t)n > sizeof(line) - 2)
			n = sizeof(line) - 2;
		line[n++] = '\n';
		if (used + (size_t)n > size)
			break;
		memcpy(buf + used, line, (size_t)n);
		used += (size_t)n;
		(*seq)++;
	}
	return used;
}

/* trace_pipe_read - see fs.h. Called and returns with machine_lock held. */
ssize_t trace_pipe_read(char *buf, size_t size, bool nonblock,
			bool (*interrupted)(void))
{
	size_t n;

	while (!trace_pipe_ready()) {
		struct timespec ts;

		if (nonblock)
			return -EAGAIN;
		if (interrupted && interrupted())
			return -EINTR;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 100 * 1000 * 1000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(&trace_cond, &machine_lock, &ts);
	}
	n = format_events(buf, size, &trace_read_seq);
	if (n == 0 && size > 0) {
		/* A line longer than the read: hand out its head. */
		char line[256];
		int len = trace_format(&trace_ring[trace_read_seq &
						   (TRACE_RING_SIZE - 1)],
				       line, sizeof(line));

		n = MIN(size, (size_t)(len > 0 ? len : 0));
		memcpy(buf, line, n);
		trace_read_seq++;
	}
	return (ssize_t)n;
}

/* render_trace - `trace`: every event still in the ring, not consumed. */
void render_trace(struct seq *s)
{
	uint64_t seq = oldest_seq();
	char line[256];

	seq_printf(s, "# tracer: mmufs\n# entries-in-buffer/entries-written: "
		   "%" PRIu64 "/%" PRIu64 "\n", trace_seq - seq, trace_seq);
	for (; seq < trace_seq; seq++) {
		int n = trace_format(&trace_ring[seq & (TRACE_RING_SIZE - 1)],
				     line, sizeof(line));

		if (n > 0) {
			seq_puts(s, line);
			seq_putc(s, '\n');
		}
	}
}
