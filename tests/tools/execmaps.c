/*
 * execmaps.c - what the real kernel shows for a binary right after execve.
 *
 *   execmaps [-e NAME=VALUE ...] [--env-clear] [--entry] [--stat] [--auxv]
 *            [--stack] PATH [ARG...]
 *
 * Runs PATH with argv = { PATH as given, ARG... }, address randomization
 * off (like `setarch -R`), under ptrace, in an empty environment (as mmufs's
 * init has) plus the -e variables in order; --env-clear drops the -e
 * variables given before it. The child is stopped at the SIGTRAP that
 * follows its successful execve, before its first user instruction (with
 * --entry: later, at the program's own entry point AT_ENTRY, once its
 * interpreter ld.so has mapped the libraries), and the tool prints:
 *
 *   /proc/PID/maps, verbatim;
 *   with --stat:  "--- stat", then /proc/PID/stat verbatim (one line);
 *   with --auxv:  "--- auxv", then one "AT_NAME value" line per entry of
 *                 /proc/PID/auxv before AT_NULL (addresses and flag words
 *                 in 0x hex, counts and ids in decimal; an unknown type N
 *                 is printed as "AT_N"); an ELF32 program's entries are
 *                 32-bit words;
 *   with --stack: "--- stack", then the bytes from the stack pointer to the
 *                 top of the [stack] vma, 16 a line: "ADDR: b0 b1 ... b15".
 *
 * The sections come in that order whatever the order of the options. The
 * child is then killed and reaped. Exit status: 0 on success; 1 if PATH
 * cannot be executed ("execmaps: PATH: strerror" on stderr) or anything
 * else fails; 2 on bad usage.
 *
 * The integration tests compare this output, line for line, with the
 * simulation's maps, stat, auxv and stack after spawn of the same binary.
 * The personality the tool is started with is kept (ADDR_NO_RANDOMIZE is
 * added), so `setarch i386 -3 -R execmaps PROG32` shows a 32-bit program
 * in a 3 GiB address space, as t_exec_i386 does where the host runs them.
 */
#define _GNU_SOURCE		/* pipe2 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/ptrace.h>
#include <sys/types.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

struct opts {
	char **envp;		/* NULL-terminated, the -e variables */
	size_t nenv;
	bool stat, auxv, stack, entry;
	char **argv;		/* PATH [ARG...], NULL-terminated */
};

/* Where the child failed, sent through the close-on-exec pipe. */
enum child_stage { STAGE_PERSONALITY, STAGE_TRACEME, STAGE_EXECVE };

struct child_err {
	int stage;		/* enum child_stage */
	int err;		/* errno */
};

/* usage - the synopsis on stderr; exits with status 2. */
static void usage(void)
{
	fputs("usage: execmaps [-e NAME=VALUE ...] [--env-clear] [--entry] "
	      "[--stat] [--auxv] [--stack] PATH [ARG...]\n", stderr);
	exit(2);
}

/*
 * parse_args - fill o from the command line; exits through usage() on a
 * bad option, a -e without '=', or a missing PATH.
 */
static void parse_args(int argc, char **argv, struct opts *o)
{
	enum { OPT_ENV_CLEAR = 256, OPT_STAT, OPT_AUXV, OPT_STACK, OPT_ENTRY };
	static const struct option longopts[] = {
		{ "env-clear", no_argument, NULL, OPT_ENV_CLEAR },
		{ "entry", no_argument, NULL, OPT_ENTRY },
		{ "stat", no_argument, NULL, OPT_STAT },
		{ "auxv", no_argument, NULL, OPT_AUXV },
		{ "stack", no_argument, NULL, OPT_STACK },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(o, 0, sizeof(*o));
	o->envp = calloc((size_t)argc + 1, sizeof(*o->envp));
	if (!o->envp) {
		perror("execmaps");
		exit(1);
	}
	/* '+': stop at PATH, so the binary's own options stay its own. */
	while ((c = getopt_long(argc, argv, "+e:", longopts, NULL)) != -1) {
		switch (c) {
		case 'e':
			if (!strchr(optarg, '=') || optarg[0] == '=')
				usage();
			o->envp[o->nenv++] = optarg;
			break;
		case OPT_ENV_CLEAR:
			o->nenv = 0;
			break;
		case OPT_STAT:
			o->stat = true;
			break;
		case OPT_AUXV:
			o->auxv = true;
			break;
		case OPT_STACK:
			o->stack = true;
			break;
		case OPT_ENTRY:
			o->entry = true;
			break;
		default:
			usage();
		}
	}
	if (optind >= argc)
		usage();
	o->envp[o->nenv] = NULL;
	o->argv = &argv[optind];
}

/*
 * child_fail - report stage and errno to the parent through fd and end
 * the child. Only async-signal-safe calls: this runs after fork.
 */
static void child_fail(int fd, enum child_stage stage)
{
	struct child_err ce = { (int)stage, errno };

	if (write(fd, &ce, sizeof(ce)) != (ssize_t)sizeof(ce))
		_exit(126);
	_exit(127);
}

/*
 * child_exec - in the forked child: no address randomization, traced by
 * the parent, then execve of o->argv[0]. Returns only by _exit, after
 * reporting a failure on errfd (close-on-exec, so a successful execve
 * closes it and the parent reads EOF).
 */
static void child_exec(const struct opts *o, int errfd)
{
	int pers = personality(0xffffffff);

	if (pers == -1 || personality((unsigned long)pers | ADDR_NO_RANDOMIZE) == -1)
		child_fail(errfd, STAGE_PERSONALITY);
	if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) == -1)
		child_fail(errfd, STAGE_TRACEME);
	execve(o->argv[0], o->argv, o->envp);
	child_fail(errfd, STAGE_EXECVE);
}

/*
 * read_child_err - what the child sent on fd: 0 at EOF (execve succeeded
 * or the child died first), 1 with *ce filled, -1 on a read error.
 */
static int read_child_err(int fd, struct child_err *ce)
{
	ssize_t n;

	do
		n = read(fd, ce, sizeof(*ce));
	while (n == -1 && errno == EINTR);
	if (n == -1)
		return -1;
	return n == (ssize_t)sizeof(*ce);
}

/*
 * wait_exec_stop - wait until pid stops with the SIGTRAP that ptrace
 * sends after execve; other stop signals are passed on. Returns 0 when
 * stopped there, -1 (with a message) if the child ended instead.
 */
static int wait_exec_stop(pid_t pid, const char *path)
{
	int status;

	for (;;) {
		if (waitpid(pid, &status, 0) == -1) {
			if (errno == EINTR)
				continue;
			perror("execmaps: waitpid");
			return -1;
		}
		if (!WIFSTOPPED(status)) {
			fprintf(stderr, "execmaps: %s: child ended before "
				"stopping after execve (status 0x%x)\n",
				path, status);
			return -1;
		}
		if (WSTOPSIG(status) == SIGTRAP)
			return 0;
		ptrace(PTRACE_CONT, pid, NULL,
		       (void *)(uintptr_t)WSTOPSIG(status));
	}
}

/* kill_and_reap - SIGKILL pid and collect it. */
static void kill_and_reap(pid_t pid)
{
	kill(pid, SIGKILL);
	while (waitpid(pid, NULL, 0) == -1 && errno == EINTR)
		;
}

/*
 * spawn_traced - fork and exec o->argv as described at the top. Returns
 * the pid, stopped right after execve and killed if the tool dies; -1
 * after a message on stderr (the child, if any, reaped).
 */
static pid_t spawn_traced(const struct opts *o)
{
	static const char *const stage_name[] = {
		[STAGE_PERSONALITY] = "personality(ADDR_NO_RANDOMIZE)",
		[STAGE_TRACEME] = "ptrace(PTRACE_TRACEME)",
	};
	struct child_err ce;
	int fds[2], got;
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC) == -1) {
		perror("execmaps: pipe2");
		return -1;
	}
	fflush(NULL);
	pid = fork();
	if (pid == -1) {
		perror("execmaps: fork");
		return -1;
	}
	if (pid == 0) {
		close(fds[0]);
		child_exec(o, fds[1]);
	}
	close(fds[1]);
	got = read_child_err(fds[0], &ce);
	close(fds[0]);
	if (got != 0) {
		if (got < 0)
			perror("execmaps: read");
		else if (ce.stage == STAGE_EXECVE)
			fprintf(stderr, "execmaps: %s: %s\n", o->argv[0],
				strerror(ce.err));
		else
			fprintf(stderr, "execmaps: %s: %s\n",
				stage_name[ce.stage], strerror(ce.err));
		kill_and_reap(pid);
		return -1;
	}
	if (wait_exec_stop(pid, o->argv[0]) == -1) {
		kill_and_reap(pid);
		return -1;
	}
	ptrace(PTRACE_SETOPTIONS, pid, NULL, (void *)(uintptr_t)PTRACE_O_EXITKILL);
	return pid;
}

/*
 * read_proc - the whole of /proc/PID/NAME in a malloc'ed buffer, NUL
 * appended (not counted in *len). NULL after a message on stderr.
 */
static char *read_proc(pid_t pid, const char *name, size_t *len)
{
	char path[64], *buf = NULL, *nbuf;
	size_t cap = 0, used = 0;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd == -1)
		goto fail;
	do {
		if (cap - used < 4096) {
			cap = cap ? 2 * cap : 16384;
			nbuf = realloc(buf, cap + 1);
			if (!nbuf)
				goto fail;
			buf = nbuf;
		}
		n = read(fd, buf + used, cap - used);
		if (n > 0)
			used += (size_t)n;
	} while (n > 0 || (n == -1 && errno == EINTR));
	if (n == -1)
		goto fail;
	close(fd);
	buf[used] = '\0';
	*len = used;
	return buf;
fail:
	fprintf(stderr, "execmaps: %s: %s\n", path, strerror(errno));
	if (fd != -1)
		close(fd);
	free(buf);
	return NULL;
}

/* print_proc - /proc/PID/NAME verbatim on stdout. 0, or -1 on failure. */
static int print_proc(pid_t pid, const char *name)
{
	size_t len;
	char *buf = read_proc(pid, name, &len);

	if (!buf)
		return -1;
	fwrite(buf, 1, len, stdout);
	free(buf);
	return 0;
}

/* Auxiliary vector types this tool names (include/uapi/linux/auxvec.h). */
static const struct at_name {
	uint64_t type;
	const char *name;
	bool hex;		/* an address or flag word, not a number */
} at_names[] = {
	{ 2, "AT_EXECFD", false },
	{ 3, "AT_PHDR", true },
	{ 4, "AT_PHENT", false },
	{ 5, "AT_PHNUM", false },
	{ 6, "AT_PAGESZ", false },
	{ 7, "AT_BASE", true },
	{ 8, "AT_FLAGS", true },
	{ 9, "AT_ENTRY", true },
	{ 10, "AT_NOTELF", false },
	{ 11, "AT_UID", false },
	{ 12, "AT_EUID", false },
	{ 13, "AT_GID", false },
	{ 14, "AT_EGID", false },
	{ 15, "AT_PLATFORM", true },
	{ 16, "AT_HWCAP", true },
	{ 17, "AT_CLKTCK", false },
	{ 23, "AT_SECURE", false },
	{ 24, "AT_BASE_PLATFORM", true },
	{ 25, "AT_RANDOM", true },
	{ 26, "AT_HWCAP2", true },
	{ 27, "AT_RSEQ_FEATURE_SIZE", false },
	{ 28, "AT_RSEQ_ALIGN", false },
	{ 29, "AT_HWCAP3", true },
	{ 30, "AT_HWCAP4", true },
	{ 31, "AT_EXECFN", true },
	{ 32, "AT_SYSINFO", true },
	{ 33, "AT_SYSINFO_EHDR", true },
	{ 51, "AT_MINSIGSTKSZ", false },
};

/* print_auxv_entry - one "AT_NAME value" line. */
static void print_auxv_entry(uint64_t type, uint64_t val)
{
	size_t i;

	for (i = 0; i < sizeof(at_names) / sizeof(at_names[0]); i++) {
		if (at_names[i].type != type)
			continue;
		printf(at_names[i].hex ? "%s 0x%llx\n" : "%s %llu\n",
		       at_names[i].name, (unsigned long long)val);
		return;
	}
	printf("AT_%llu 0x%llx\n", (unsigned long long)type,
	       (unsigned long long)val);
}

/*
 * auxv_word - the size of a word of pid's auxiliary vector: 4 for an ELF32
 * program (a 32-bit process keeps 32-bit entries), else 8.
 */
static size_t auxv_word(pid_t pid)
{
	unsigned char ident[5] = { 0 };
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/exe", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd != -1) {
		if (read(fd, ident, sizeof(ident)) != (ssize_t)sizeof(ident))
			ident[4] = 0;
		close(fd);
	}
	return ident[4] == 1 ? 4 : 8;	/* EI_CLASS: ELFCLASS32 */
}

/*
 * read_auxv - pid's auxiliary vector up to AT_NULL as (type, value) pairs
 * in a malloc'ed array of 2 * *n words; NULL after a message.
 */
static uint64_t *read_auxv(pid_t pid, size_t *n)
{
	size_t len, off, w = auxv_word(pid);
	char *buf = read_proc(pid, "auxv", &len);
	uint64_t *pairs = buf ? calloc(len / w + 2, sizeof(*pairs)) : NULL;
	uint32_t v32[2];

	*n = 0;
	for (off = 0; pairs && off + 2 * w <= len; off += 2 * w) {
		if (w == 4) {
			memcpy(v32, buf + off, sizeof(v32));
			pairs[2 * *n] = v32[0];
			pairs[2 * *n + 1] = v32[1];
		} else {
			memcpy(&pairs[2 * *n], buf + off, 2 * sizeof(*pairs));
		}
		if (pairs[2 * *n] == 0)		/* AT_NULL */
			break;
		++*n;
	}
	if (buf && !pairs)
		perror("execmaps: auxv");
	free(buf);
	return pairs;
}

/* print_auxv - "--- auxv" and the entries of /proc/PID/auxv. 0 or -1. */
static int print_auxv(pid_t pid)
{
	size_t n, i;
	uint64_t *pairs = read_auxv(pid, &n);

	if (!pairs)
		return -1;
	puts("--- auxv");
	for (i = 0; i < n; i++)
		print_auxv_entry(pairs[2 * i], pairs[2 * i + 1]);
	free(pairs);
	return 0;
}

/*
 * stack_vma - the [stack] line of /proc/PID/maps into *start, *end.
 * 0, or -1 after a message.
 */
static int stack_vma(pid_t pid, uint64_t *start, uint64_t *end)
{
	size_t len;
	char *buf = read_proc(pid, "maps", &len), *line, *save = NULL;
	unsigned long long s, e;
	int ret = -1;

	if (!buf)
		return -1;
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		size_t n = strlen(line);

		if (n < 7 || strcmp(line + n - 7, "[stack]") != 0)
			continue;
		if (sscanf(line, "%llx-%llx", &s, &e) == 2) {
			*start = s;
			*end = e;
			ret = 0;
		}
		break;
	}
	if (ret)
		fprintf(stderr, "execmaps: no [stack] in /proc/%d/maps\n",
			(int)pid);
	free(buf);
	return ret;
}

/* print_hex_lines - len bytes that sit at addr, 16 a line. */
static void print_hex_lines(uint64_t addr, const unsigned char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (i % 16 == 0)
			printf("%llx:", (unsigned long long)(addr + i));
		printf(" %02x", p[i]);
		if (i % 16 == 15 || i + 1 == len)
			putchar('\n');
	}
}

/* The stack pointer in struct user_regs_struct: execmaps also runs as a
 * static i386 program inside the native kernel of native-i386.sh. */
#ifdef __x86_64__
#define REG_SP(r)	((uint64_t)(r).rsp)
#else
#define REG_SP(r)	((uint64_t)(r).esp)
#endif

/*
 * print_stack - "--- stack" and the bytes from the stopped child's rsp
 * to the top of [stack], read through /proc/PID/mem. 0, or -1.
 */
static int print_stack(pid_t pid)
{
	struct user_regs_struct regs;
	uint64_t start, end;
	unsigned char *buf;
	char path[64];
	ssize_t n;
	int fd;

	if (ptrace(PTRACE_GETREGS, pid, NULL, &regs) == -1) {
		perror("execmaps: ptrace(PTRACE_GETREGS)");
		return -1;
	}
	if (stack_vma(pid, &start, &end) == -1)
		return -1;
	if (REG_SP(regs) < start || REG_SP(regs) >= end) {
		fprintf(stderr, "execmaps: rsp 0x%llx outside [stack]\n",
			(unsigned long long)REG_SP(regs));
		return -1;
	}
	buf = malloc(end - REG_SP(regs));
	snprintf(path, sizeof(path), "/proc/%d/mem", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	n = (buf && fd != -1) ? pread(fd, buf, end - REG_SP(regs),
				      (off_t)REG_SP(regs)) : -1;
	if (n != (ssize_t)(end - REG_SP(regs))) {
		fprintf(stderr, "execmaps: %s: %s\n", path,
			n == -1 ? strerror(errno) : "short read");
		n = -1;
	} else {
		puts("--- stack");
		print_hex_lines(REG_SP(regs), buf, (size_t)n);
	}
	if (fd != -1)
		close(fd);
	free(buf);
	return n == -1 ? -1 : 0;
}

/* auxv_value - the value of entry type in the stopped child's auxiliary
 * vector, 0 if absent or unreadable. */
static uint64_t auxv_value(pid_t pid, uint64_t type)
{
	size_t n, i;
	uint64_t *pairs = read_auxv(pid, &n), val = 0;

	for (i = 0; pairs && i < n; i++)
		if (pairs[2 * i] == type) {
			val = pairs[2 * i + 1];
			break;
		}
	free(pairs);
	return val;
}

/*
 * run_to_entry - let the child stopped after execve run until its
 * program's entry point (AT_ENTRY), with a breakpoint there: ld.so has
 * then mapped and relocated the libraries, and no code of the program
 * has run.  0, or -1 after a message.
 */
static int run_to_entry(pid_t pid, const char *path)
{
	uint64_t entry = auxv_value(pid, 9);	/* AT_ENTRY */
	long word;

	errno = 0;
	word = ptrace(PTRACE_PEEKTEXT, pid, (void *)(uintptr_t)entry, NULL);
	if (!entry || errno ||
	    ptrace(PTRACE_POKETEXT, pid, (void *)(uintptr_t)entry,
		   (void *)(uintptr_t)(((unsigned long)word & ~0xffUL) | 0xcc)) ||
	    ptrace(PTRACE_CONT, pid, NULL, NULL)) {
		fprintf(stderr, "execmaps: %s: cannot break at the entry point "
			"0x%llx\n", path, (unsigned long long)entry);
		return -1;
	}
	return wait_exec_stop(pid, path);
}

/* report - every section o asks for, of the stopped child pid. 0 or -1. */
static int report(pid_t pid, const struct opts *o)
{
	if (print_proc(pid, "maps"))
		return -1;
	if (o->stat) {
		puts("--- stat");
		if (print_proc(pid, "stat"))
			return -1;
	}
	if (o->auxv && print_auxv(pid))
		return -1;
	if (o->stack && print_stack(pid))
		return -1;
	return 0;
}

int main(int argc, char **argv)
{
	struct opts o;
	pid_t pid;
	int ret;

	parse_args(argc, argv, &o);
	pid = spawn_traced(&o);
	if (pid == -1)
		return 1;
	ret = o.entry ? run_to_entry(pid, o.argv[0]) : 0;
	if (!ret)
		ret = report(pid, &o);
	kill_and_reap(pid);
	if (fflush(stdout) == EOF || ferror(stdout)) {
		perror("execmaps: stdout");
		ret = -1;
	}
	free(o.envp);
	return ret ? 1 : 0;
}
