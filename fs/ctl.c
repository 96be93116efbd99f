/*
 * ctl.c - the ctl language (SPEC §3), in Plan 9's manner: a write is split
 * into lines, each line into blank-separated tokens ('…' and "…" quote),
 * and the first token is looked up in a command table that gives the
 * argument counts and the handler.  Handlers parse and validate all their
 * arguments before they call the kernel, so a failing command changes
 * nothing; the first failing line stops the write.  When the kernel
 * refuses a command, the reason is the one its failing check gave
 * (kernel/errstr.h).
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fs.h"
#include "ctl.h"
#include "parse.h"
#include "kernel/errstr.h"
#include "mm/mm.h"
#include "kernel/time.h"
#include "kernel/trace.h"
#include "exec/binfmts.h"
#include "mm/vma.h"
#include "mm/swap.h"
#include "mm/writeback.h"
#include "mm/vmalloc.h"

#define LOAD_MAX	4096
#define CTL_ERROR	"ctl_error"	/* the trace event of a failed command */

typedef int (*ctl_fn)(struct ctx *c, struct cmd *cmd);

struct cmdtab {
	const char *name;
	int min, max;		/* arguments after the name */
	ctl_fn fn;
	const char *usage;
};

static char machine_result[CTL_RESULT_MAX];
/* The last result of each live task's ctl, by pid (malloc'd, or NULL). */
static char **task_results;
static size_t nr_task_results;

/* fail - see ctl.h. */
int fail(struct ctx *c, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->why, sizeof(c->why), fmt, ap);
	va_end(ap);
	return -err;
}

/* kfail - see ctl.h. */
int kfail(struct ctx *c, int err, const char *where)
{
	const char *why = kerror_reason(-err);

	if (!why)
		return fail(c, -err, "%s: %s", where ? where : c->name,
			    strerror(-err));
	if (where)
		return fail(c, -err, "%s: %s", where, why);
	return fail(c, -err, "%s", why);
}

/* ok - see ctl.h. */
int ok(struct ctx *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->out, c->outsz, fmt, ap);
	va_end(ap);
	return 0;
}

/* errname - the symbolic name of an errno value. */
static const char *errname(int err)
{
	static const struct { int e; const char *n; } names[] = {
		{ EINVAL, "EINVAL" }, { ENOMEM, "ENOMEM" }, { EEXIST, "EEXIST" },
		{ EACCES, "EACCES" }, { ENOENT, "ENOENT" },
		{ ENOEXEC, "ENOEXEC" }, { EFAULT, "EFAULT" }, { ESRCH, "ESRCH" },
		{ ECHILD, "ECHILD" }, { E2BIG, "E2BIG" }, { EPERM, "EPERM" },
		{ EIO, "EIO" }, { ENOSYS, "ENOSYS" }, { EAGAIN, "EAGAIN" },
		{ EBADF, "EBADF" }, { EOVERFLOW, "EOVERFLOW" },
		{ ENODEV, "ENODEV" }, { EOPNOTSUPP, "EOPNOTSUPP" },
		{ ENXIO, "ENXIO" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (names[i].e == err)
			return names[i].n;
	return "EUNKNOWN";
}

/* ---- parsing ---- */

/* tokenize - split line (modified in place) into cmd; -EINVAL with the
 * reason on an unterminated quote or too many tokens. */
static int tokenize(struct ctx *c, char *line, struct cmd *cmd)
{
	char *p = line;

	cmd->argc = 0;
	for (;;) {
		char q;

		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			return 0;
		if (cmd->argc == MAXARGS)
			return fail(c, EINVAL, "too many arguments");
		q = (*p == '\'' || *p == '"') ? *p++ : 0;
		cmd->quoted[cmd->argc] = q != 0;
		cmd->argv[cmd->argc++] = p;
		if (q) {
			p = strchr(p, q);
			if (!p)
				return fail(c, EINVAL, "unterminated %c quote", q);
			*p++ = '\0';
			if (*p && *p != ' ' && *p != '\t')
				return fail(c, EINVAL, "text after a closing quote");
			continue;
		}
		while (*p && *p != ' ' && *p != '\t')
			p++;
		if (*p)
			*p++ = '\0';
	}
}

/* num_arg - parse argument i as a number, or fail with EINVAL. */
static int num_arg(struct ctx *c, struct cmd *cmd, int i, const char *what,
		   uint64_t *v)
{
	if (!parse_num(cmd->argv[i], v))
		return fail(c, EINVAL, "bad %s '%s'", what, cmd->argv[i]);
	return 0;
}

/* parse_prot - "rw-", "r-x", "---", "none", any of r w x once each. */
static bool parse_prot(const char *s, unsigned long *prot)
{
	unsigned long p = 0, bit;

	if (!strcmp(s, "none")) {
		*prot = PROT_NONE;
		return true;
	}
	if (!*s || strlen(s) > 3)
		return false;
	for (; *s; s++) {
		switch (*s) {
		case 'r': bit = PROT_READ; break;
		case 'w': bit = PROT_WRITE; break;
		case 'x': bit = PROT_EXEC; break;
		case '-': continue;
		default: return false;
		}
		if (p & bit)
			return false;
		p |= bit;
	}
	*prot = p;
	return true;
}

static int prot_arg(struct ctx *c, const char *s, unsigned long *prot)
{
	if (!parse_prot(s, prot))
		return fail(c, EINVAL, "bad protection '%s' (use r, w, x, - "
			    "or none)", s);
	return 0;
}

/* parse_mmap_flags - "private|anon|fixed", '|' or ',' separated: Linux's
 * flags by name (private and shared together are shared_validate), or a
 * number holding only bits Linux does not define (unknown flags, to see
 * shared_validate refuse them); the type, private or shared, is needed. */
static int parse_mmap_flags(struct ctx *c, const char *s, unsigned long *flags)
{
	static const struct { const char *n; unsigned long f; } names[] = {
		{ "private", MAP_PRIVATE }, { "shared", MAP_SHARED },
		{ "shared_validate", MAP_SHARED_VALIDATE },
		{ "anonymous", MAP_ANONYMOUS }, { "anon", MAP_ANONYMOUS },
		{ "fixed", MAP_FIXED }, { "fixed_noreplace", MAP_FIXED_NOREPLACE },
		{ "populate", MAP_POPULATE }, { "growsdown", MAP_GROWSDOWN },
		{ "noreserve", MAP_NORESERVE }, { "locked", MAP_LOCKED },
		{ "nonblock", MAP_NONBLOCK }, { "stack", MAP_STACK },
		{ "sync", MAP_SYNC }, { "32bit", MAP_32BIT },
		{ "denywrite", MAP_DENYWRITE }, { "executable", MAP_EXECUTABLE },
	};
	char buf[256], *tok, *save = NULL;
	uint64_t v;
	size_t i;

	if (strlen(s) >= sizeof(buf))
		return fail(c, EINVAL, "flags too long");
	strcpy(buf, s);
	*flags = 0;
	for (tok = strtok_r(buf, "|,", &save); tok;
	     tok = strtok_r(NULL, "|,", &save)) {
		if (parse_num(tok, &v)) {
			if (!v || (v & MAP_DEFINED_MASK))
				return fail(c, EINVAL, "flag %s: a number may "
					    "only hold bits Linux does not "
					    "define (name the others)", tok);
			*flags |= v;
			continue;
		}
		for (i = 0; i < ARRAY_SIZE(names); i++)
			if (!strcmp(tok, names[i].n))
				break;
		if (i == ARRAY_SIZE(names))
			return fail(c, EINVAL, "unknown mmap flag '%s'", tok);
		*flags |= names[i].f;
	}
	if (!(*flags & MAP_TYPE))
		return fail(c, EINVAL, "flags need private or shared");
	return 0;
}

/* parse_signal - a number 0..64 or a name (TERM, SIGTERM...). */
static bool parse_signal(const char *s, int *sig)
{
	static const char *const names[] = {
		[1] = "HUP", [2] = "INT", [3] = "QUIT", [4] = "ILL", [5] = "TRAP",
		[6] = "ABRT", [7] = "BUS", [8] = "FPE", [9] = "KILL",
		[10] = "USR1", [11] = "SEGV", [12] = "USR2", [13] = "PIPE",
		[14] = "ALRM", [15] = "TERM", [16] = "STKFLT", [17] = "CHLD",
		[18] = "CONT", [19] = "STOP", [20] = "TSTP", [21] = "TTIN",
		[22] = "TTOU", [23] = "URG", [24] = "XCPU", [25] = "XFSZ",
		[26] = "VTALRM", [27] = "PROF", [28] = "WINCH", [29] = "IO",
		[30] = "PWR", [31] = "SYS",
	};
	uint64_t v;
	int i;

	if (parse_num(s, &v)) {
		if (v > 64)
			return false;
		*sig = (int)v;
		return true;
	}
	if (!strncmp(s, "SIG", 3))
		s += 3;
	for (i = 1; i < (int)ARRAY_SIZE(names); i++)
		if (!strcmp(s, names[i])) {
			*sig = i;
			return true;
		}
	return false;
}

/* ---- process commands ---- */

/* need_mm - see ctl.h. */
int need_mm(struct ctx *c)
{
	int err = task_can_syscall(c->t);

	return err ? kfail(c, err, NULL) : 0;
}

static int cmd_fork(struct ctx *c, struct cmd *cmd)
{
	struct task_struct *child;
	int err = need_mm(c);

	if (err)
		return err;
	child = do_fork(c->t, &err);
	if (!child)
		return kfail(c, err, NULL);
	return ok(c, "%d", child->pid);
}

static int cmd_thread(struct ctx *c, struct cmd *cmd)
{
	struct task_struct *th;
	int err = need_mm(c);

	if (err)
		return err;
	th = do_thread(c->t, &err);
	if (!th)
		return kfail(c, err, NULL);
	return ok(c, "%d", th->pid);
}

/* is_assignment - does a token read NAME=VALUE (NAME a shell identifier)? */
static bool is_assignment(const char *s)
{
	const char *p = s;

	if (!(*p == '_' || (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z')))
		return false;
	while (*p == '_' || (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
	       (*p >= '0' && *p <= '9'))
		p++;
	return *p == '=';
}

/* exec_args - [--link] [NAME=VALUE...] PATH [ARG...] from argv[1]. */
static int exec_args(struct ctx *c, struct cmd *cmd, struct exec_args *a)
{
	int i = 1;

	memset(a, 0, sizeof(*a));
	if (i < cmd->argc && !strcmp(cmd->argv[i], "--link")) {
		a->flags |= EXEC_LINK;
		i++;
	}
	a->set = &cmd->argv[i];
	while (i < cmd->argc && is_assignment(cmd->argv[i])) {
		a->nset++;
		i++;
	}
	if (i == cmd->argc)
		return fail(c, EINVAL, "no program to run");
	if (!cmd->argv[i][0])
		return fail(c, ENOENT, "empty path");
	a->path = cmd->argv[i];
	a->argv = &cmd->argv[i];
	a->argc = cmd->argc - i;
	return 0;
}

static int cmd_exec(struct ctx *c, struct cmd *cmd)
{
	struct exec_args a;
	uint64_t entry;
	int err;

	if ((err = need_mm(c)) || (err = exec_args(c, cmd, &a)))
		return err;
	entry = do_execve(c->t, &a, &err);
	if (err)
		return kfail(c, err, NULL);
	return ok(c, "%#" PRIx64, entry);
}

/* mmap_file - the PATH [OFFSET] form of mmap. */
static int mmap_file(struct ctx *c, struct cmd *cmd, uint64_t addr,
		     uint64_t len, unsigned long prot, unsigned long flags)
{
	const char *path = cmd->argv[5];
	uint64_t off = 0, r;
	int err;

	if (cmd->argc > 6 && (err = num_arg(c, cmd, 6, "offset", &off)))
		return err;
	r = do_mmap_file(c->t, addr, len, prot, flags, path, off);
	if (IS_ERR_VALUE(r))
		return kfail(c, (int)(int64_t)r, NULL);
	return ok(c, "%#" PRIx64, r);
}

/* mmap ADDR LEN PROT FLAGS [PATH [OFFSET]] */
static int cmd_mmap(struct ctx *c, struct cmd *cmd)
{
	uint64_t addr, len, r;
	unsigned long prot = 0, flags = 0;
	int err;

	if ((err = need_mm(c)) || (err = num_arg(c, cmd, 1, "address", &addr)) ||
	    (err = num_arg(c, cmd, 2, "length", &len)) ||
	    (err = prot_arg(c, cmd->argv[3], &prot)) ||
	    (err = parse_mmap_flags(c, cmd->argv[4], &flags)))
		return err;
	if (len == 0)
		return fail(c, EINVAL, "length 0");
	if ((flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) && !PAGE_ALIGNED(addr))
		return fail(c, EINVAL, "fixed address %#" PRIx64 " not page "
			    "aligned", addr);
	if (cmd->argc > 5)
		return mmap_file(c, cmd, addr, len, prot, flags);
	r = do_mmap(c->t, addr, len, prot, flags | MAP_ANONYMOUS, 0);
	if (IS_ERR_VALUE(r))
		return kfail(c, (int)(int64_t)r, NULL);
	return ok(c, "%#" PRIx64, r);
}

/* range_args - ADDR LEN at argv[1], argv[2]; aligned address required. */
static int range_args(struct ctx *c, struct cmd *cmd, uint64_t *addr,
		      uint64_t *len, bool need_len)
{
	int err;

	if ((err = need_mm(c)) || (err = num_arg(c, cmd, 1, "address", addr)) ||
	    (err = num_arg(c, cmd, 2, "length", len)))
		return err;
	if (!PAGE_ALIGNED(*addr))
		return fail(c, EINVAL, "address %#" PRIx64 " not page aligned",
			    *addr);
	if (need_len && *len == 0)
		return fail(c, EINVAL, "length 0");
	return 0;
}

static int cmd_munmap(struct ctx *c, struct cmd *cmd)
{
	uint64_t addr, len;
	int err = range_args(c, cmd, &addr, &len, true);

	if (err)
		return err;
	err = do_munmap(c->t->mm, addr, len);
	return err ? kfail(c, err, NULL) : ok(c, "0");
}

static int cmd_mprotect(struct ctx *c, struct cmd *cmd)
{
	uint64_t addr, len;
	unsigned long prot = 0;	/* set when err is 0; -O3 cannot see it */
	int err = range_args(c, cmd, &addr, &len, false);

	if (err || (err = prot_arg(c, cmd->argv[3], &prot)))
		return err;
	err = do_mprotect(c->t, addr, len, prot);
	return err ? kfail(c, err, NULL) : ok(c, "0");
}

static int cmd_mremap(struct ctx *c, struct cmd *cmd)
{
	uint64_t addr, olen, nlen, r;
	unsigned long flags = 0;
	int err;

	if ((err = range_args(c, cmd, &addr, &olen, false)) ||
	    (err = num_arg(c, cmd, 3, "new length", &nlen)))
		return err;
	if (nlen == 0)
		return fail(c, EINVAL, "new length 0");
	if (cmd->argc > 4) {
		if (strcmp(cmd->argv[4], "maymove"))
			return fail(c, EINVAL, "unknown flag '%s'", cmd->argv[4]);
		flags = MREMAP_MAYMOVE;
	}
	r = do_mremap(c->t, addr, olen, nlen, flags);
	if (IS_ERR_VALUE(r))
		return kfail(c, (int)(int64_t)r, NULL);
	return ok(c, "%#" PRIx64, r);
}

static int cmd_madvise(struct ctx *c, struct cmd *cmd)
{
	static const struct { const char *n; int a; } advice[] = {
		{ "normal", MADV_NORMAL }, { "willneed", MADV_WILLNEED },
		{ "dontneed", MADV_DONTNEED }, { "free", MADV_FREE },
		{ "cold", MADV_COLD },
		{ "pageout", MADV_PAGEOUT },
	};
	uint64_t addr, len;
	size_t i;
	int err = range_args(c, cmd, &addr, &len, false);

	if (err)
		return err;
	for (i = 0; i < ARRAY_SIZE(advice); i++)
		if (!strcmp(cmd->argv[3], advice[i].n))
			break;
	if (i == ARRAY_SIZE(advice))
		return fail(c, EINVAL, "unknown advice '%s'", cmd->argv[3]);
	err = do_madvise(c->t, addr, len, advice[i].a);
	return err ? kfail(c, err, NULL) : ok(c, "0");
}

/* mlock/munlock take any address (rounded down, as Linux does). */
static int do_lock_cmd(struct ctx *c, struct cmd *cmd, bool lock)
{
	uint64_t addr, len;
	int err;

	if ((err = need_mm(c)) || (err = num_arg(c, cmd, 1, "address", &addr)) ||
	    (err = num_arg(c, cmd, 2, "length", &len)))
		return err;
	err = do_mlock(c->t, addr, len, lock);
	return err ? kfail(c, err, NULL) : ok(c, "0");
}

static int cmd_mlock(struct ctx *c, struct cmd *cmd)
{
	return do_lock_cmd(c, cmd, true);
}

static int cmd_munlock(struct ctx *c, struct cmd *cmd)
{
	return do_lock_cmd(c, cmd, false);
}

/* set_brk - brk(to): the new brk, or ENOMEM with brk unchanged. */
static int set_brk(struct ctx *c, uint64_t to, uint64_t *result)
{
	int err;

	*result = do_brk(c->t, to, &err);
	return err ? kfail(c, err, NULL) : 0;
}

static int cmd_brk(struct ctx *c, struct cmd *cmd)
{
	uint64_t to, r;
	int err = need_mm(c);

	if (err)
		return err;
	if (cmd->argc == 1)
		return ok(c, "%#" PRIx64, c->t->mm->brk);
	if ((err = num_arg(c, cmd, 1, "address", &to)) ||
	    (err = set_brk(c, to, &r)))
		return err;
	return ok(c, "%#" PRIx64, r);
}

/* sbrk INCR: INCR may be negative ("-4K"). */
static int cmd_sbrk(struct ctx *c, struct cmd *cmd)
{
	const char *s = cmd->argv[1];
	bool neg = *s == '-';
	uint64_t incr, old, to, r;
	int err = need_mm(c);

	if (err || (err = parse_num(neg ? s + 1 : s, &incr) ? 0 :
		    fail(c, EINVAL, "bad increment '%s'", s)))
		return err;
	old = c->t->mm->brk;
	if (neg ? incr > old : incr > UINT64_MAX - old)
		return fail(c, ENOMEM, "increment out of range");
	to = neg ? old - incr : old + incr;
	if ((err = set_brk(c, to, &r)))
		return err;
	return ok(c, "%#" PRIx64, old);
}

/* need_mm_or_kthread - load and store run in a process (user mode) or
 * in a kernel thread (kernel mode: kernel_access says which may). */
static int need_mm_or_kthread(struct ctx *c)
{
	return c->t->kthread && c->t->exit_state != EXIT_ZOMBIE ? 0 :
	       need_mm(c);
}

/* task_access - a load or store by the ctl's task: kernel-mode for a
 * kernel thread, user-mode for a process. */
static int task_access(struct ctx *c, uint64_t addr, void *buf, size_t len,
		       bool write)
{
	if (c->t->kthread)
		return kernel_access(c->t, addr, buf, len, write);
	return user_access(c->t, addr, buf, len, write);
}

/* load ADDR [LEN]: the bytes read, in hex. */
static int cmd_load(struct ctx *c, struct cmd *cmd)
{
	uint64_t addr, len = 1, i;
	unsigned char buf[LOAD_MAX];
	char *o = c->out;
	int err;

	if ((err = need_mm_or_kthread(c)) ||
	    (err = num_arg(c, cmd, 1, "address", &addr)) ||
	    (cmd->argc > 2 && (err = num_arg(c, cmd, 2, "length", &len))))
		return err;
	if (len == 0 || len > LOAD_MAX || len * 2 >= c->outsz)
		return fail(c, EINVAL, "length must be 1..%d", LOAD_MAX);
	err = task_access(c, addr, buf, len, false);
	if (err)
		return kfail(c, err, NULL);
	for (i = 0; i < len; i++)
		o += sprintf(o, "%02x", buf[i]);
	return 0;
}

/* store_bytes - the bytes of a store: quoted text, or hex digits. */
static int store_bytes(struct ctx *c, struct cmd *cmd, unsigned char *buf,
		       size_t *len)
{
	const char *s = cmd->argv[2];
	size_t n = strlen(s), i;

	if (cmd->quoted[2]) {
		if (n == 0 || n > LOAD_MAX)
			return fail(c, EINVAL, "text must be 1..%d bytes",
				    LOAD_MAX);
		memcpy(buf, s, n);
		*len = n;
		return 0;
	}
	if (n / 2 > LOAD_MAX)
		return fail(c, EINVAL, "at most %d bytes", LOAD_MAX);
	if (n == 0 || n % 2)
		return fail(c, EINVAL, "hex bytes must be pairs of digits (or "
			    "quote text)");
	for (i = 0; i < n; i += 2) {
		char pair[3] = { s[i], s[i + 1], 0 };

		if (!isxdigit((unsigned char)s[i]) ||
		    !isxdigit((unsigned char)s[i + 1]))
			return fail(c, EINVAL, "bad hex '%s'", s);
		buf[i / 2] = (unsigned char)strtoul(pair, NULL, 16);
	}
	*len = n / 2;
	return 0;
}

/* store ADDR HEX | store ADDR 'text' */
static int cmd_store(struct ctx *c, struct cmd *cmd)
{
	unsigned char buf[LOAD_MAX];
	uint64_t addr;
	size_t len = 0;
	int err;

	if ((err = need_mm_or_kthread(c)) ||
	    (err = num_arg(c, cmd, 1, "address", &addr)) ||
	    (err = store_bytes(c, cmd, buf, &len)))
		return err;
	err = task_access(c, addr, buf, len, true);
	return err ? kfail(c, err, NULL) : ok(c, "0");
}

/* access_kind - r, w or x. */
static bool access_kind(const char *s, unsigned int *acc)
{
	if (!strcmp(s, "r"))
		*acc = ACC_READ;
	else if (!strcmp(s, "w"))
		*acc = ACC_WRITE;
	else if (!strcmp(s, "x"))
		*acc = ACC_FETCH;
	else
		return false;
	return true;
}

/* timing_text - see ctl.h. */
void timing_text(char buf[TIMING_TEXT_MAX], uint64_t ns, uint64_t n)
{
	uint64_t whole = n ? ns / n : 0, hundredths = n ? ns % n * 100 / n : 0;

	snprintf(buf, TIMING_TEXT_MAX, " time_ns %" PRIu64 " eat_ns %" PRIu64
		 ".%02" PRIu64, ns, whole, hundredths);
}

/* touch ADDR LEN [r|w|x]: faults taken, the time the accesses took and
 * their effective access time. */
static int cmd_touch(struct ctx *c, struct cmd *cmd)
{
	uint64_t addr, len, faults, start;
	char timing[TIMING_TEXT_MAX];
	unsigned int acc = ACC_READ;
	int err;

	if ((err = need_mm(c)) || (err = num_arg(c, cmd, 1, "address", &addr)) ||
	    (err = num_arg(c, cmd, 2, "length", &len)))
		return err;
	if (cmd->argc > 3 && !access_kind(cmd->argv[3], &acc))
		return fail(c, EINVAL, "access must be r, w or x");
	if (len == 0)
		return fail(c, EINVAL, "length 0");
	start = ktime_get_ns();
	err = user_touch(c->t, addr, len, acc, &faults);
	if (err)
		return kfail(c, err, NULL);
	timing_text(timing, ktime_get_ns() - start,
		    ((addr + len - 1) >> PAGE_SHIFT) - (addr >> PAGE_SHIFT) + 1);
	return ok(c, "%" PRIu64 "%s", faults, timing);
}

static int cmd_exit(struct ctx *c, struct cmd *cmd)
{
	uint64_t code = 0;
	int err;

	if (cmd->argc > 1 && (err = num_arg(c, cmd, 1, "exit code", &code)))
		return err;
	if (code > 255)
		return fail(c, EINVAL, "exit code must be 0..255");
	err = do_exit(c->t, (int)code);
	return err ? kfail(c, err, NULL) : ok(c, "0");
}

static int cmd_wait(struct ctx *c, struct cmd *cmd)
{
	uint64_t pid = 0;
	int err, rpid, status;

	if (cmd->argc > 1 && (err = num_arg(c, cmd, 1, "pid", &pid)))
		return err;
	if (pid > INT32_MAX)
		return fail(c, EINVAL, "bad pid");
	err = do_wait(c->t, pid ? (int)pid : -1, &rpid, &status);
	if (err)
		return kfail(c, err, NULL);
	return ok(c, "%d %d", rpid, status);
}

/* kill_task - send sig to t. */
static int kill_task(struct ctx *c, struct task_struct *t, const char *sigarg)
{
	int sig = SIGTERM, err;

	if (sigarg && !parse_signal(sigarg, &sig))
		return fail(c, EINVAL, "bad signal '%s'", sigarg);
	err = do_kill(t, sig);
	return err ? kfail(c, err, NULL) : ok(c, "0");
}

static int cmd_kill(struct ctx *c, struct cmd *cmd)
{
	return kill_task(c, c->t, cmd->argc > 1 ? cmd->argv[1] : NULL);
}

/* ---- machine commands ---- */

/* pid_arg - the live task named by argument i. */
static int pid_arg(struct ctx *c, struct cmd *cmd, int i,
		   struct task_struct **t)
{
	uint64_t pid;
	int err = num_arg(c, cmd, i, "pid", &pid);

	if (err)
		return err;
	*t = pid <= INT32_MAX ? find_task_by_pid((int)pid) : NULL;
	if (!*t)
		return fail(c, ESRCH, "no process %" PRIu64, pid);
	return 0;
}

static int cmd_spawn(struct ctx *c, struct cmd *cmd)
{
	struct task_struct *child;
	struct exec_args a;
	int err = exec_args(c, cmd, &a);

	if (err)
		return err;
	child = do_spawn(find_task_by_pid(1), &a, &err);
	if (!child)
		return kfail(c, err, NULL);
	return ok(c, "%d", child->pid);
}

static int cmd_mkill(struct ctx *c, struct cmd *cmd)
{
	struct task_struct *t;
	int err = pid_arg(c, cmd, 1, &t);

	return err ? err : kill_task(c, t, cmd->argc > 2 ? cmd->argv[2] : NULL);
}

static int cmd_schedule(struct ctx *c, struct cmd *cmd)
{
	struct task_struct *t;
	uint64_t cpu = 0;
	int err;

	if ((err = pid_arg(c, cmd, 1, &t)) ||
	    (cmd->argc > 2 && (err = num_arg(c, cmd, 2, "cpu", &cpu))))
		return err;
	if (cpu >= (uint64_t)hw.nr_cpus)
		return fail(c, EINVAL, "no cpu %" PRIu64 " (the machine has %d)",
			    cpu, hw.nr_cpus);
	err = do_schedule(t, (int)cpu);
	return err ? kfail(c, err, NULL) : ok(c, "0");
}

static int cmd_drop_caches(struct ctx *c, struct cmd *cmd)
{
	uint64_t v;
	char digit;
	int err = num_arg(c, cmd, 1, "value", &v);

	if (err)
		return err;
	if (v < 1 || v > 3)
		return fail(c, EINVAL, "drop_caches takes 1, 2 or 3");
	digit = (char)('0' + v);	/* the sysctl reads decimal, not 0x3 */
	return sysctl_set("drop_caches", &digit, 1) < 0 ?
	       fail(c, EINVAL, "drop_caches failed") : ok(c, "0");
}

/* reclaim PAGES: reclaim up to PAGES pages, as memory.reclaim does at the
 * root; the result is how many were reclaimed. */
static int cmd_reclaim(struct ctx *c, struct cmd *cmd)
{
	uint64_t pages;
	int err = num_arg(c, cmd, 1, "page count", &pages);

	if (err)
		return err;
	return ok(c, "%" PRIu64, reclaim_pages_user(pages));
}

/* sync: write back every dirty page of a host file to its copy (the
 * host file is never written); the pages written. */
static int cmd_sync(struct ctx *c, struct cmd *cmd)
{
	(void)cmd;
	return ok(c, "%" PRIu64, ksys_sync());
}

/* swapon SIZE [PRIORITY]: the new area's number.  PRIORITY is -1 or a
 * number; one too big for an int is refused here, before the cast could
 * wrap it into the range the kernel checks. */
static int cmd_swapon(struct ctx *c, struct cmd *cmd)
{
	const char *p = cmd->argc > 2 ? cmd->argv[2] : NULL;
	uint64_t size, prio = 0;
	int err, type;

	if ((err = num_arg(c, cmd, 1, "size", &size)))
		return err;
	if (p && !strcmp(p, "-1"))
		prio = (uint64_t)-1;
	else if (p && (err = num_arg(c, cmd, 2, "priority", &prio)))
		return err;
	else if (p && prio > 32767)
		return fail(c, EINVAL, "priority must be -1..32767");
	type = sys_swapon(size, (int)(int64_t)prio, p != NULL);
	if (type < 0)
		return kfail(c, type, NULL);
	return ok(c, "%d", type);
}

/* swap_area_arg - AREA as a number, swapN or /dev/swapN; the reason
 * quotes AREA as it was written. */
static int swap_area_arg(struct ctx *c, const char *s, uint64_t *type)
{
	const char *n = s;

	if (!strncmp(n, "/dev/", 5))
		n += 5;
	if (!strncmp(n, "swap", 4))
		n += 4;
	if (!parse_num(n, type))
		return fail(c, EINVAL, "bad swap area '%s' (a number, swapN or "
			    "/dev/swapN)", s);
	return 0;
}

/* swapoff AREA */
static int cmd_swapoff(struct ctx *c, struct cmd *cmd)
{
	uint64_t type;
	int err = swap_area_arg(c, cmd->argv[1], &type);

	if (err)
		return err;
	if (type >= MAX_SWAPFILES)
		return fail(c, EINVAL, "no swap area %" PRIu64, type);
	err = sys_swapoff((unsigned int)type);
	return err ? kfail(c, err, NULL) : ok(c, "0");
}

/* vmalloc SIZE: a kernel area of SIZE bytes from the vmalloc range; its
 * address (Linux's vmalloc). */
static int cmd_vmalloc(struct ctx *c, struct cmd *cmd)
{
	uint64_t size, addr;
	int err = num_arg(c, cmd, 1, "size", &size);

	if (err)
		return err;
	err = vmalloc(size, vmalloc_cmd_caller, &addr);
	if (err)
		return kfail(c, err, NULL);
	return ok(c, "%#" PRIx64, addr);
}

/* vfree ADDR: free the vmalloc area starting at ADDR; 0 (Linux's vfree). */
static int cmd_vfree(struct ctx *c, struct cmd *cmd)
{
	uint64_t addr;
	int err = num_arg(c, cmd, 1, "address", &addr);

	if (err)
		return err;
	err = vfree(addr, vmalloc_cmd_caller);
	return err ? kfail(c, err, NULL) : ok(c, "0");
}

/* kthread NAME: a kernel thread, child of kthreadd; its pid. */
static int cmd_kthread(struct ctx *c, struct cmd *cmd)
{
	struct task_struct *t;
	int err;

	t = kthread_create(cmd->argv[1], &err);
	if (!t)
		return kfail(c, err, NULL);
	return ok(c, "%d", t->pid);
}

static int cmd_check(struct ctx *c, struct cmd *cmd)
{
	static char report[65536];
	int n = mm_check(report, sizeof(report));

	if (!n)
		return ok(c, "ok");
	snprintf(c->why, sizeof(c->why), "%d broken invariants", n);
	snprintf(c->out, c->outsz, "%s", report);
	return -EIO;
}

/* cmd_reset - a fresh machine.  If init's program can no longer be
 * exec'd, the machine still comes up, with an empty init, and the
 * command says why. */
static int cmd_reset(struct ctx *c, struct cmd *cmd)
{
	struct boot_params bp = fs_boot_params;
	char why[ERRMAX];
	int err;

	kernel_shutdown();
	machine_epoch++;
	err = kernel_boot(&bp);
	if (!err)
		return ok(c, "0");
	if (kerror_reason(-err))	/* exec's, which names the file */
		snprintf(why, sizeof(why), "%s", kerror_reason(-err));
	else
		snprintf(why, sizeof(why), "%s: %s", fs_boot_params.init_path,
			 strerror(-err));
	bp.init_path = NULL;
	if (kernel_boot(&bp))
		panic("reset: the machine booted once but not again");
	return fail(c, -err, "init %s; pid 1 is empty", why);
}

static const struct cmdtab proc_cmds[] = {
	{ "fork", 0, 0, cmd_fork, "fork" },
	{ "thread", 0, 0, cmd_thread, "thread" },
	{ "exec", 1, MAXARGS - 1, cmd_exec,
	  "exec [--link] [NAME=VALUE...] PATH [ARG...]" },
	{ "mmap", 4, 6, cmd_mmap, "mmap ADDR LEN PROT FLAGS [PATH [OFFSET]]" },
	{ "munmap", 2, 2, cmd_munmap, "munmap ADDR LEN" },
	{ "mprotect", 3, 3, cmd_mprotect, "mprotect ADDR LEN PROT" },
	{ "mremap", 3, 4, cmd_mremap, "mremap ADDR OLDLEN NEWLEN [maymove]" },
	{ "madvise", 3, 3, cmd_madvise, "madvise ADDR LEN ADVICE" },
	{ "mlock", 2, 2, cmd_mlock, "mlock ADDR LEN" },
	{ "munlock", 2, 2, cmd_munlock, "munlock ADDR LEN" },
	{ "brk", 0, 1, cmd_brk, "brk [ADDR]" },
	{ "sbrk", 1, 1, cmd_sbrk, "sbrk INCR" },
	{ "load", 1, 2, cmd_load, "load ADDR [LEN]" },
	{ "store", 2, 2, cmd_store, "store ADDR HEX|'text'" },
	{ "touch", 2, 3, cmd_touch, "touch ADDR LEN [r|w|x]" },
	{ "replay", 1, 7, cmd_replay, "replay [--map] [--frames N] [--policy P] "
	  "FILE [lackey|simple]" },
	{ "exit", 0, 1, cmd_exit, "exit [CODE]" },
	{ "wait", 0, 1, cmd_wait, "wait [PID]" },
	{ "kill", 0, 1, cmd_kill, "kill [SIGNAL]" },
};

static const struct cmdtab machine_cmds[] = {
	{ "spawn", 1, MAXARGS - 1, cmd_spawn,
	  "spawn [--link] [NAME=VALUE...] PATH [ARG...]" },
	{ "kill", 1, 2, cmd_mkill, "kill PID [SIGNAL]" },
	{ "schedule", 1, 2, cmd_schedule, "schedule PID [CPU]" },
	{ "drop_caches", 1, 1, cmd_drop_caches, "drop_caches 1|2|3" },
	{ "reclaim", 1, 1, cmd_reclaim, "reclaim PAGES" },
	{ "sync", 0, 0, cmd_sync, "sync" },
	{ "swapon", 1, 2, cmd_swapon, "swapon SIZE [PRIORITY]" },
	{ "swapoff", 1, 1, cmd_swapoff, "swapoff AREA" },
	{ "vmalloc", 1, 1, cmd_vmalloc, "vmalloc SIZE" },
	{ "vfree", 1, 1, cmd_vfree, "vfree ADDR" },
	{ "kthread", 1, 1, cmd_kthread, "kthread NAME" },
	{ "check", 0, 0, cmd_check, "check" },
	{ "reset", 0, 0, cmd_reset, "reset" },
};

/* lookup - the table row for cmd, or fail with EINVAL. */
static int lookup(struct ctx *c, struct cmd *cmd, const struct cmdtab *tab,
		  size_t n, const struct cmdtab **row)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (strcmp(cmd->argv[0], tab[i].name))
			continue;
		if (cmd->argc - 1 < tab[i].min || cmd->argc - 1 > tab[i].max)
			return fail(c, EINVAL, "usage: %s", tab[i].usage);
		*row = &tab[i];
		return 0;
	}
	return fail(c, EINVAL, "unknown command '%s'", cmd->argv[0]);
}

/* run_line - parse and run one command line. 0 or -errno. */
static int run_line(struct ctx *c, char *line)
{
	const struct cmdtab *row = NULL;
	struct cmd cmd;
	int err;

	if (*line && line[strlen(line) - 1] == '\r')	/* CRLF line ends */
		line[strlen(line) - 1] = '\0';
	err = tokenize(c, line, &cmd);
	if (err)
		return err;
	if (cmd.argc == 0)
		return fail(c, EINVAL, "empty command");
	c->name = cmd.argv[0];
	if (c->t)
		err = lookup(c, &cmd, proc_cmds, ARRAY_SIZE(proc_cmds), &row);
	else
		err = lookup(c, &cmd, machine_cmds, ARRAY_SIZE(machine_cmds),
			     &row);
	return err ? err : row->fn(c, &cmd);
}

/* forget_result - the kernel frees t (task_free_hook): its last result
 * goes with it, so a task that gets the pid later starts with none. */
static void forget_result(struct task_struct *t)
{
	if (t->pid > 0 && (size_t)t->pid < nr_task_results) {
		free(task_results[t->pid]);
		task_results[t->pid] = NULL;
	}
}

/* result_slot - the slot of pid's last result, the table grown to hold
 * it; NULL when host memory is short (the result is not kept). */
static char **result_slot(int pid)
{
	size_t n = nr_task_results;
	char **grown;

	if ((size_t)pid < n)
		return &task_results[pid];
	n = MAX((size_t)pid + 1, 2 * n);
	grown = realloc(task_results, n * sizeof(*grown));
	if (!grown)
		return NULL;
	memset(grown + nr_task_results, 0,
	       (n - nr_task_results) * sizeof(*grown));
	task_results = grown;
	nr_task_results = n;
	task_free_hook = forget_result;
	return &task_results[pid];
}

/* save_result - remember the result as the process's (or machine's)
 * last one. */
static void save_result(int pid, const char *text)
{
	char **slot, *copy;

	if (pid == 0) {
		snprintf(machine_result, sizeof(machine_result), "%s", text);
		return;
	}
	if (!find_task_by_pid(pid) || !(slot = result_slot(pid)))
		return;
	copy = strdup(text);
	if (copy) {
		free(*slot);
		*slot = copy;
	}
}

/* error_text - "error ERRNAME: <command>: <reason>" (then any detail). */
static void error_text(char *result, size_t size, int err, const char *line,
		       const struct ctx *c)
{
	int n = snprintf(result, size, "error %s: %.200s: %s\n", errname(err),
			 line, c->why);

	if (err == EIO && n > 0 && (size_t)n < size)
		snprintf(result + n, size - (size_t)n, "%s", c->out);
}

/* ctl_write - see fs.h. */
ssize_t ctl_write(int pid, const char *buf, size_t size, char *result,
		  size_t result_size)
{
	char *copy, *line, *next;
	int err = 0;

	if (size > CTL_WRITE_MAX) {
		snprintf(result, result_size, "error EINVAL: ctl: a write is at "
			 "most %d bytes (FUSE splits longer ones)\n",
			 CTL_WRITE_MAX);
		save_result(pid, result);
		trace_emit_error(CTL_ERROR, EINVAL, "write too long");
		return -EINVAL;
	}
	if (memchr(buf, '\0', size)) {
		snprintf(result, result_size, "error EINVAL: ctl: NUL byte in "
			 "command\n");
		save_result(pid, result);
		trace_emit_error(CTL_ERROR, EINVAL, "NUL byte in command");
		return -EINVAL;
	}
	copy = strndup(buf, size);
	if (!copy)
		return -ENOMEM;
	for (line = copy; line && !err; line = next) {
		char text[256], out[CTL_RESULT_MAX];
		struct ctx c = { .out = out, .outsz = sizeof(out) };

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (next && !*next)
			next = NULL;
		c.t = pid ? find_task_by_pid(pid) : NULL;
		if (pid && !c.t) {
			snprintf(c.why, sizeof(c.why), "no process %d", pid);
			err = ESRCH;
		}
		out[0] = '\0';
		snprintf(text, sizeof(text), "%s", line);
		trace_cur_pid = pid;
		kerror_clear();
		if (c.t)
			syscall_enter(c.t);
		if (!err)
			err = -run_line(&c, line);
		syscall_exit();
		kthreads_run_pending();
		deliver_pending_signals();
		if (err) {
			error_text(result, result_size, err, text, &c);
			trace_emit_error(CTL_ERROR, err, text);
		} else {
			snprintf(result, result_size, "%s\n", out);
		}
		save_result(pid, result);
	}
	free(copy);
	return err ? -err : (ssize_t)size;
}

/* ctl_last_result - see fs.h. */
const char *ctl_last_result(int pid)
{
	if (pid == 0)
		return machine_result;
	if (pid < 0 || (size_t)pid >= nr_task_results || !task_results[pid])
		return "";
	return task_results[pid];
}
