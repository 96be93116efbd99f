/*
 * printk.h - the kernel log (Linux's printk ring buffer, much reduced):
 * whole lines of text, oldest dropped when the ring is full, read back as
 * `dmesg` prints them: each line begins with the machine's clock at the
 * printk, "[SSSSS.UUUUUU] " (seconds and microseconds since boot).
 */
#ifndef KERNEL_PRINTK_H
#define KERNEL_PRINTK_H

#include <stddef.h>
#include <stdint.h>

#define LOG_BUF_LEN	(64 * 1024)	/* bytes of text the ring keeps */

/* printk - append one line (no newline in fmt: printk adds it), after
 * its timestamp, to the log; a line longer than 1023 bytes is cut. */
void printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* log_read - copy the log's text (every line, oldest first, each ending
 * in a newline) to buf, up to size bytes; returns its full length. */
size_t log_read(char *buf, size_t size);

/* log_reset - an empty log (new machine), the oops count back to 0. */
void log_reset(void);

struct task_struct;

/*
 * die - an oops of task t on cpu (Linux's die: __die_header, show_regs'
 * header and oops_end): logs "STR: ERR [#N] SMP NOPTI", "CPU: C PID: P
 * Comm: NAME" and the end-of-trace line, then make_task_dead(t).  The
 * caller logged what it knows of the fault first.  Returns N, the oops's
 * number since boot.
 */
int die(const char *str, unsigned int err, int cpu, struct task_struct *t);

#endif
