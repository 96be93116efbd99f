/*
 * files.c - the files that are not rendered text, and their operations:
 * /proc/PID/mem and pagemap, kpageflags and kpagecount, physmem, and the
 * trace_pipe/trace event files and the kernel log (dmesg).
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include "fs.h"
#include "render.h"
#include "mm/mm.h"
#include "kernel/trace.h"
#include "kernel/printk.h"

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

/* read_mem, write_mem - /proc/PID/mem through a handle: -ESRCH when the
 * process is gone. */
static ssize_t read_mem(struct handle *h, char *buf, size_t size, off_t off,
			bool nonblock)
{
	struct task_struct *t = handle_task(h);

	(void)nonblock;
	return t ? mem_rw(t, buf, size, off, false) : -ESRCH;
}

static ssize_t write_mem(struct handle *h, const char *buf, size_t size,
			 off_t off)
{
	struct task_struct *t = handle_task(h);

	return t ? mem_rw(t, (char *)buf, size, off, true) : -ESRCH;
}

/* mem_size - a byte per virtual address: the task's TASK_SIZE (the
 * largest one once it is gone). */
static uint64_t mem_size(const struct node *n)
{
	struct task_struct *t = node_task(n);

	return t && t->mm ? t->mm->task_size : task_size_max();
}

const struct file_ops mem_fops = {
	.read = read_mem,
	.write = write_mem,
	.size = mem_size,
};

/* read_pagemap_file - /proc/PID/pagemap: -ESRCH when the process is gone,
 * -EINVAL at a negative offset, else read_pagemap's. */
static ssize_t read_pagemap_file(struct handle *h, char *buf, size_t size,
				 off_t off, bool nonblock)
{
	struct task_struct *t = handle_task(h);

	(void)nonblock;
	if (!t)
		return -ESRCH;
	return off < 0 ? -EINVAL : read_pagemap(t, buf, size, (uint64_t)off);
}

/* pagemap_size - a 64-bit entry per virtual page. */
static uint64_t pagemap_size(const struct node *n)
{
	return mem_size(n) / PAGE_SIZE * 8;
}

const struct file_ops pagemap_fops = {
	.read = read_pagemap_file,
	.size = pagemap_size,
};

/* read_kpage_file - /proc/kpageflags or kpagecount (which its row's
 * operations say): -EINVAL at a negative offset, else read_kpage's. */
static ssize_t read_kpage_file(struct handle *h, char *buf, size_t size,
			       off_t off, bool nonblock)
{
	bool count = h->node.file->fop == &kpagecount_fops;

	(void)nonblock;
	return off < 0 ? -EINVAL : read_kpage(buf, size, (uint64_t)off, count);
}

/* kpage_size - a 64-bit entry per frame. */
static uint64_t kpage_size(const struct node *n)
{
	(void)n;
	return max_pfn * 8;
}

const struct file_ops kpageflags_fops = {
	.read = read_kpage_file,
	.size = kpage_size,
};

const struct file_ops kpagecount_fops = {
	.read = read_kpage_file,
	.size = kpage_size,
};

/* read_physmem - physmem through a handle. */
static ssize_t read_physmem(struct handle *h, char *buf, size_t size,
			    off_t off, bool nonblock)
{
	(void)h;
	(void)nonblock;
	return physmem_read(buf, size, off);
}

/* physmem_size - a byte per byte of RAM. */
static uint64_t physmem_size(const struct node *n)
{
	(void)n;
	return max_pfn << PAGE_SHIFT;
}

const struct file_ops physmem_fops = {
	.read = read_physmem,
	.size = physmem_size,
};

/* ---- trace ---- */

static uint64_t trace_read_seq;	/* next event trace_pipe hands out */
/* The rest of a line whose head went to a read too short for it (Linux
 * keeps it in the iterator's trace_seq): the next read starts with it. */
static char partial[256];
static size_t partial_len, partial_off;

/* oldest_seq - the oldest event still in the ring. */
static uint64_t oldest_seq(void)
{
	return trace_seq > TRACE_RING_SIZE ? trace_seq - TRACE_RING_SIZE : 0;
}

/* trace_pipe_ready - is there an event, or the rest of one, to consume? */
bool trace_pipe_ready(void)
{
	if (trace_read_seq > trace_seq) {
		trace_read_seq = 0;	/* the machine was reset */
		partial_len = partial_off = 0;
	}
	return partial_off < partial_len || trace_read_seq < trace_seq;
}

/* format_line - event seq as one line with its newline, into line (256
 * bytes); returns its length. */
static size_t format_line(uint64_t seq, char *line)
{
	int n = trace_format(&trace_ring[seq & (TRACE_RING_SIZE - 1)], line,
			     255);

	if (n < 0)
		n = 0;
	if (n > 254)
		n = 254;
	line[n++] = '\n';
	return (size_t)n;
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
		size_t n = format_line(*seq, line);

		if (used + n > size)
			break;
		memcpy(buf + used, line, n);
		used += n;
		(*seq)++;
	}
	return used;
}

/* take_partial - up to size bytes of the kept rest of a line. */
static size_t take_partial(char *buf, size_t size)
{
	size_t n = MIN(size, partial_len - partial_off);

	memcpy(buf, partial + partial_off, n);
	partial_off += n;
	return n;
}

/* trace_pipe_read - see fs.h. Called and returns with machine_lock held.
 * A line never breaks between reads but where one read is too short for
 * it: its head goes to that read and the rest to the next. */
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
	n = take_partial(buf, size);
	n += format_events(buf + n, size - n, &trace_read_seq);
	if (n == 0 && size > 0) {	/* format_events moved past lost ones */
		partial_len = format_line(trace_read_seq++, partial);
		partial_off = 0;
		n = take_partial(buf, size);
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

/* render_dmesg - `dmesg`: the kernel log, oldest line first, each line
 * stamped with the machine's clock (the text `dmesg` prints). */
void render_dmesg(struct seq *s)
{
	static char text[LOG_BUF_LEN];
	size_t n = log_read(text, sizeof(text));

	seq_write(s, text, n);
}

/* read_trace_pipe, trace_pipe_ready_h - trace_pipe through a handle: it
 * blocks unless the read's own flags say O_NONBLOCK (fcntl may change
 * them), and gives up when the reader is interrupted. */
static ssize_t read_trace_pipe(struct handle *h, char *buf, size_t size,
			       off_t off, bool nonblock)
{
	(void)h;
	(void)off;
	return trace_pipe_read(buf, size, nonblock, fs_interrupted);
}

static bool trace_pipe_ready_h(struct handle *h)
{
	(void)h;
	return trace_pipe_ready();
}

const struct file_ops trace_pipe_fops = {
	.read = read_trace_pipe,
	.ready = trace_pipe_ready_h,
};
