/*
 * ctl.h - what the ctl language (ctl.c) shares with the commands that
 * live in files of their own (replay.c): a parsed command line, the state
 * of the command being run, the helpers that give its result or its
 * reason, and those commands' handlers.
 */
#ifndef FS_CTL_H
#define FS_CTL_H

#include <stdbool.h>
#include "kernel/errstr.h"
#include "kernel/sched.h"

#define MAXARGS		256

/* One command line, split into tokens. */
struct cmd {
	int argc;
	char *argv[MAXARGS];
	bool quoted[MAXARGS];
};

/* The state of one command being run. */
struct ctx {
	struct task_struct *t;	/* NULL for machine commands */
	const char *name;	/* the command's name */
	char *out;		/* result text */
	size_t outsz;
	char why[ERRMAX];	/* reason, when the command fails */
};

/* fail - record the reason of a failure and return -err. */
__attribute__((format(printf, 3, 4)))
int fail(struct ctx *c, int err, const char *fmt, ...);
/* kfail - fail with the kernel's error err (negative) and the reason its
 * failing check gave, after "WHERE: " when where is set; "NAME: strerror"
 * in the rare case that the check gave none. */
int kfail(struct ctx *c, int err, const char *where);
/* ok - the command's result text; returns 0. */
__attribute__((format(printf, 2, 3)))
int ok(struct ctx *c, const char *fmt, ...);
/* timing_text - " time_ns T eat_ns E" into buf: the simulated time ns
 * that n accesses took and their effective access time, the textbooks'
 * EAT (T / n, two decimals; 0.00 for no access). */
#define TIMING_TEXT_MAX	64
void timing_text(char buf[TIMING_TEXT_MAX], uint64_t ns, uint64_t n);
/* need_mm - the command needs a live process with an address space (the
 * kernel says whether it has one), checked before its arguments. 0 or
 * -errno with the reason. */
int need_mm(struct ctx *c);

/* replay [--map] [--frames N] [--policy P] FILE [lackey|simple]
 * (replay.c). */
int cmd_replay(struct ctx *c, struct cmd *cmd);

#endif
