/*
 * printk.c - the kernel log (Linux's kernel/printk/printk.c, reduced to
 * a ring of text lines, each stamped with the machine's clock as dmesg
 * prints it): what the kernel reports to the console, as an oops.  The ring holds at most LOG_BUF_LEN bytes; a new line pushes the
 * oldest whole lines out.  An oops's own lines (die) are printed here too
 * (Linux's arch/x86/kernel/dumpstack.c).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <inttypes.h>
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/time.h"

static char log_buf[LOG_BUF_LEN];
static size_t log_len;		/* bytes in log_buf, whole lines */
static int die_counter;		/* oopses since boot */

/* log_make_room - drop the oldest lines until n more bytes fit. */
static void log_make_room(size_t n)
{
	size_t drop = 0;

	while (log_len - drop + n > sizeof(log_buf)) {
		char *nl = memchr(log_buf + drop, '\n', log_len - drop);

		drop = (size_t)(nl - log_buf) + 1;
	}
	memmove(log_buf, log_buf + drop, log_len - drop);
	log_len -= drop;
}

/* printk - see printk.h. */
void printk(const char *fmt, ...)
{
	char line[1024];
	uint64_t us = ktime_get_ns() / 1000;
	va_list ap;
	int n, stamp;

	stamp = snprintf(line, sizeof(line), "[%5" PRIu64 ".%06" PRIu64 "] ",
			 us / 1000000, us % 1000000);
	va_start(ap, fmt);
	n = vsnprintf(line + stamp, sizeof(line) - 1 - (size_t)stamp, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	n += stamp;
	if ((size_t)n > sizeof(line) - 2)
		n = (int)sizeof(line) - 2;
	line[n++] = '\n';
	log_make_room((size_t)n);
	memcpy(log_buf + log_len, line, (size_t)n);
	log_len += (size_t)n;
}

/* log_read - see printk.h. */
size_t log_read(char *buf, size_t size)
{
	memcpy(buf, log_buf, log_len < size ? log_len : size);
	return log_len;
}

/* log_reset - see printk.h. */
void log_reset(void)
{
	log_len = 0;
	die_counter = 0;
}

/* die - see printk.h.  No registers or stack follow the CPU line: the
 * simulation runs no kernel code that has them. */
int die(const char *str, unsigned int err, int cpu, struct task_struct *t)
{
	printk("%s: %04x [#%d] SMP NOPTI", str, err & 0xffff, ++die_counter);
	printk("CPU: %d PID: %d Comm: %s", cpu, t->pid, t->comm);
	printk("---[ end trace %016x ]---", 0);
	make_task_dead(t);
	return die_counter;
}
