/*
 * syscall_edges.c - what the host kernel answers at the edges of mmap,
 * mremap, mlock and brk.
 *
 *   syscall_edges DIR SHMFILE
 *
 * DIR holds the files the scenarios map: data (8 KiB), big (16 MiB),
 * small (6000 bytes), dir (a directory), fifo and sock (a socket);
 * SHMFILE is an 8 KiB file on tmpfs.  Files are opened as the ctl
 * language's mmap opens them: for writing when the caller may write them
 * (never a directory), without blocking.  The program re-executes itself
 * with address randomization off (as `setarch -R`) and prints one line
 * per scenario, "NAME: RESULT", where RESULT is the errno's name, or "ok"
 * and what the mapping became:
 *
 *   - a vma as "PERMS OFFSET DEV INODE [NAME] | rss R anon A locked L |
 *     VMFLAGS" from /proc/self/smaps (kB; the inode of a shmem object,
 *     device 00:01, is "N", as it is a counter);
 *   - a placement as "top-0xOFFSET" below the end of a 1 GiB region with
 *     a hole near its end, or as an absolute address where both kernels
 *     agree on it (MAP_32BIT);
 *   - "VmLck +N kB" for the change of /proc/self/status's VmLck.
 *
 * tests/integration/t_syscall_edges.sh runs the same scenarios through
 * mmufs's ctl files, prints the same lines, and compares them.  Exit
 * status: 0, or 1 if the set-up fails (a message on stderr); 2 on bad
 * usage.  mmap, mremap, mlock and brk are made with syscall(2), not
 * through the C library, so that a sanitizer's runtime (which intercepts
 * mlock, for one) cannot answer in the kernel's place.
 */
#define _GNU_SOURCE		/* personality, MAP_* */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define PG		4096UL		/* one page */
#define MB		(1UL << 20)
#define FAILED		((uintptr_t)MAP_FAILED)
#define HOLE		0x300000000000UL	/* nothing is mapped there */

#ifndef MAP_SYNC
#define MAP_SYNC	0x80000
#endif
#ifndef MAP_SHARED_VALIDATE
#define MAP_SHARED_VALIDATE 0x03
#endif
#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

static const char *dir, *shmfile;
/* The region: 1 GiB of PROT_NONE ending at top, with a hole of 8 MiB one
 * page below top; the scenarios map at the hint H inside it, where no
 * neighbour can merge with them. */
static uintptr_t region, top, H;

/* die - a set-up failure: message, exit 1. */
__attribute__((format(printf, 1, 2), noreturn))
static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("syscall_edges: ", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

/* errname - the symbolic name of the errnos these syscalls give. */
static const char *errname(int err)
{
	static const struct { int e; const char *n; } names[] = {
		{ EINVAL, "EINVAL" }, { ENOMEM, "ENOMEM" }, { EFAULT, "EFAULT" },
		{ EACCES, "EACCES" }, { ENODEV, "ENODEV" }, { ENXIO, "ENXIO" },
		{ EOPNOTSUPP, "EOPNOTSUPP" }, { EEXIST, "EEXIST" },
		{ EPERM, "EPERM" }, { EAGAIN, "EAGAIN" }, { ENOENT, "ENOENT" },
		{ EOVERFLOW, "EOVERFLOW" },
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].e == err)
			return names[i].n;
	return "EUNKNOWN";
}

/* path - DIR/name in a static buffer (one at a time). */
static const char *path(const char *name)
{
	static char buf[4096];

	snprintf(buf, sizeof(buf), "%s/%s", dir, name);
	return buf;
}

/* map - mmap(2) with the full 64-bit flags word; file NULL for anonymous
 * memory, else opened as the ctl language opens it.  The address, or
 * FAILED with errno set (open's errno if it cannot be opened). */
static uintptr_t map(uintptr_t hint, size_t len, int prot, unsigned long flags,
		     const char *file, off_t off)
{
	struct stat st;
	long r;
	int fd = -1, e;

	if (file) {
		int rw = stat(file, &st) == 0 && !S_ISDIR(st.st_mode) &&
			 access(file, W_OK) == 0;

		fd = open(file, (rw ? O_RDWR : O_RDONLY) | O_NONBLOCK);
		if (fd < 0)
			return FAILED;
	} else {
		flags |= MAP_ANONYMOUS;
	}
	r = syscall(SYS_mmap, hint, len, prot, flags, fd, off);
	e = errno;
	if (fd >= 0)
		close(fd);
	errno = e;
	return r == -1 ? FAILED : (uintptr_t)r;
}

/* vma - the description of the vma starting at addr (see the top), or
 * "none". */
static const char *vma(uintptr_t addr)
{
	static char out[1024];
	char line[1024], perms[8] = "", off[32] = "", dev[16] = "", ino[32] = "";
	char name[512] = "", flags[256] = "";
	unsigned long start, end, rss = 0, anon = 0, locked = 0;
	FILE *f = fopen("/proc/self/smaps", "r");
	int on = 0, n, m;

	if (!f)
		die("/proc/self/smaps: %s", strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (sscanf(line, "%lx-%lx %n", &start, &end, &n) == 2) {
			on = start == addr;
			if (on && sscanf(line + n, "%7s %31s %15s %31s %n", perms,
					 off, dev, ino, &m) == 4)
				snprintf(name, sizeof(name), "%.400s",
					 line + n + m);
			continue;
		}
		if (!on)
			continue;
		sscanf(line, "Rss: %lu", &rss);
		sscanf(line, "Anonymous: %lu", &anon);
		sscanf(line, "Locked: %lu", &locked);
		if (!strncmp(line, "VmFlags: ", 9))
			snprintf(flags, sizeof(flags), "%.200s", line + 9);
	}
	fclose(f);
	if (!perms[0])
		return "none";
	if (!strcmp(dev, "00:01"))
		strcpy(ino, "N");
	while (*flags && flags[strlen(flags) - 1] == ' ')
		flags[strlen(flags) - 1] = '\0';
	snprintf(out, sizeof(out), "%s %s %s %s%s%s | rss %lu anon %lu "
		 "locked %lu | %s", perms, off, dev, ino, name[0] ? " " : "",
		 name, rss, anon, locked, flags);
	return out;
}

/* vmlck - VmLck of /proc/self/status, in kB. */
static unsigned long vmlck(void)
{
	char line[256];
	unsigned long kb = 0;
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		die("/proc/self/status: %s", strerror(errno));
	while (fgets(line, sizeof(line), f))
		sscanf(line, "VmLck: %lu", &kb);
	fclose(f);
	return kb;
}

/* result - "NAME: ERRNAME" if r failed (returning false), else nothing
 * printed yet (true). */
static int result(const char *name, uintptr_t r)
{
	if (r != FAILED)
		return 1;
	printf("%s: %s\n", name, errname(errno));
	return 0;
}

/* map_vma - one mmap reported as its vma, then unmapped. */
static void map_vma(const char *name, uintptr_t hint, size_t len, int prot,
		    unsigned long flags, const char *file, off_t off)
{
	uintptr_t a = map(hint, len, prot, flags, file, off);

	if (!result(name, a))
		return;
	printf("%s: ok %s\n", name, vma(a));
	munmap((void *)a, len);
}

/* map_at - one mmap reported as its address (kept). */
static uintptr_t map_at(const char *name, uintptr_t hint, size_t len, int prot,
			unsigned long flags, const char *file)
{
	uintptr_t a = map(hint, len, prot, flags, file, 0);

	if (result(name, a))
		printf("%s: ok %#lx\n", name, (unsigned long)a);
	return a;
}

/* flags_cases - MAP_SHARED_VALIDATE, MAP_SYNC, unknown flags, growsdown
 * on files, MAP_STACK and MAP_32BIT. */
static void flags_cases(void)
{
	const char *data = strdup(path("data"));
	const int R = PROT_READ, RW = PROT_READ | PROT_WRITE;
	const unsigned long V = MAP_SHARED_VALIDATE, P = MAP_PRIVATE,
			    S = MAP_SHARED;
	uintptr_t a[4];
	int i;

	map_vma("validate_file", H, PG, R, V, data, 0);
	map_vma("validate_rw_file", H, PG, RW, V, data, 0);
	map_vma("validate_anon", H, PG, RW, V, NULL, 0);
	map_vma("validate_sync_file", H, PG, R, V | MAP_SYNC, data, 0);
	map_vma("shared_sync_file", H, PG, R, S | MAP_SYNC, data, 0);
	map_vma("private_sync_file", H, PG, R, P | MAP_SYNC, data, 0);
	map_vma("validate_sync_tmpfs", H, PG, R, V | MAP_SYNC, shmfile, 0);
	map_vma("shared_sync_tmpfs", H, PG, R, S | MAP_SYNC, shmfile, 0);
	map_vma("private_sync_tmpfs", H, PG, R, P | MAP_SYNC, shmfile, 0);
	map_vma("private_sync_anon", H, PG, R, P | MAP_SYNC, NULL, 0);
	map_vma("shared_sync_anon", H, PG, R, S | MAP_SYNC, NULL, 0);
	map_vma("validate_sync_zero", H, PG, RW, V | MAP_SYNC, "/dev/zero", 0);
	map_vma("validate_unknown", H, PG, R, V | 0x200, data, 0);
	map_vma("validate_unknown_high", H, PG, R, V | 0x100000000UL, data, 0);
	map_vma("shared_unknown", H, PG, R, S | 0x200, data, 0);
	map_vma("private_unknown", H, PG, R, P | 0x800000, data, 0);
	map_vma("anon_unknown", H, PG, RW, P | 0x2000000, NULL, 0);
	map_vma("validate_anon_unknown", H, PG, RW, V | 0x200, NULL, 0);
	map_vma("validate_noreplace", HOLE, PG, R, V | MAP_FIXED_NOREPLACE,
		data, 0);
	map_vma("shared_noreplace", HOLE, PG, R, S | MAP_FIXED_NOREPLACE,
		data, 0);
	map_vma("validate_legacy", H, PG, R, V | MAP_STACK | MAP_NONBLOCK |
		MAP_DENYWRITE | MAP_EXECUTABLE | MAP_NORESERVE | MAP_LOCKED |
		MAP_POPULATE, data, 0);
	map_vma("file_growsdown", H, PG, R, P | MAP_GROWSDOWN, data, 0);
	map_vma("validate_growsdown", H, PG, R, V | MAP_GROWSDOWN, data, 0);
	map_vma("validate_growsdown_sync", H, PG, R,
		V | MAP_GROWSDOWN | MAP_SYNC, data, 0);
	map_vma("shared_anon_growsdown", H, PG, RW, S | MAP_GROWSDOWN, NULL, 0);
	map_vma("zero_growsdown", H, PG, RW, P | MAP_GROWSDOWN, "/dev/zero", 0);
	map_vma("no_type", H, PG, RW, 0, NULL, 0);
	map_vma("anon_stack", H, 2 * MB, RW, P | MAP_STACK, NULL, 0);
	a[0] = map_at("anon_32bit", 0, PG, RW, P | MAP_32BIT, NULL);
	a[1] = map_at("anon_32bit_next", 0, PG, RW, P | MAP_32BIT, NULL);
	a[2] = map_at("anon_32bit_hint", 0x50000000, PG, RW, P | MAP_32BIT,
		      NULL);
	a[3] = map_at("anon_32bit_hint_high", HOLE, PG, RW, P | MAP_32BIT, NULL);
	for (i = 0; i < 4; i++)
		munmap((void *)a[i], PG);
	munmap((void *)map_at("file_32bit", 0, PG, R, P | MAP_32BIT, data), PG);
	munmap((void *)map_at("anon_32bit_2m", 0, 2 * MB, RW, P | MAP_32BIT,
			      NULL), 2 * MB);
	free((void *)data);
}

/* place - one mmap reported as its place below top, then unmapped. */
static void place(const char *name, uintptr_t hint, size_t len,
		  unsigned long flags, const char *file)
{
	uintptr_t a = map(hint, len, PROT_READ, flags, file, 0);

	if (!result(name, a))
		return;
	printf("%s: ok top-%#lx\n", name, (unsigned long)(top - a));
	munmap((void *)a, len);
}

/* hint_cases - where hints and 2 MiB alignment put a mapping in the
 * region's hole. */
static void hint_cases(void)
{
	char *big = strdup(path("big"));
	const unsigned long P = MAP_PRIVATE, S = MAP_SHARED;
	uintptr_t a, b;

	place("hint_unaligned", top - 6 * MB + 0xabc, PG, P, NULL);
	place("hint_unaligned_file", top - 6 * MB + 0xabc, PG, P,
	      path("data"));
	a = map(0xfff, PG, PROT_READ, P, NULL, 0);
	munmap((void *)a, PG);
	b = map(0, PG, PROT_READ, P, NULL, 0);
	munmap((void *)b, PG);
	printf("hint_in_page_zero: ok %s\n", a == b ? "as without a hint" :
	       "elsewhere");
	place("anon_2m_hint_taken", region, 2 * MB, P, NULL);
	place("anon_2m_hint_fits", top - 2 * MB - 2 * PG, 2 * MB, P, NULL);
	place("anon_2m", 0, 2 * MB, P, NULL);
	place("anon_2m_stack", 0, 2 * MB, P | MAP_STACK, NULL);
	place("shared_anon_2m", 0, 2 * MB, S, NULL);
	place("file_2m_hint_fits_len", top - 2 * MB - 2 * PG, 2 * MB, P,
	      big);
	place("file_2m_hint_fits_pad", top - 8 * MB - PG + 0x123, 2 * MB,
	      P, big);
	place("file_2m_hint_taken", region, 2 * MB, P, big);
	place("zero_private_2m", 0, 2 * MB, P, "/dev/zero");
	place("zero_shared_2m", 0, 2 * MB, S, "/dev/zero");
	free(big);
}

/* default_sigbus - SIGBUS kills, whatever handler a sanitizer's runtime
 * installed (the rt_sigaction syscall, which no runtime intercepts). */
static void default_sigbus(void)
{
	struct { void *handler; unsigned long flags; void *restorer;
		 uint64_t mask; } act = { NULL, 0, NULL, 0 };	/* SIG_DFL */

	syscall(SYS_rt_sigaction, SIGBUS, &act, NULL, sizeof(act.mask));
}

/* map_touch_vma - map, write every page (in a child when it may die:
 * its signal is the result), report the vma, unmap. */
static void map_touch_vma(const char *name, size_t len, unsigned long flags,
			  off_t off, int in_child)
{
	uintptr_t a = map(H, len, PROT_READ | PROT_WRITE, flags, "/dev/zero",
			  off);
	int status;
	pid_t pid;

	if (!result(name, a))
		return;
	if (in_child) {
		pid = fork();
		if (pid == 0) {
			default_sigbus();
			memset((void *)a, 1, len);
			_exit(0);
		}
		waitpid(pid, &status, 0);
		printf("%s: %s\n", name, WIFSIGNALED(status) &&
		       WTERMSIG(status) == SIGBUS ? "SIGBUS" : "no signal");
	} else {
		memset((void *)a, 1, len);
		printf("%s: ok %s\n", name, vma(a));
	}
	munmap((void *)a, len);
}

/* special_cases - directories, FIFOs, devices, sockets and /dev/zero. */
static void special_cases(void)
{
	const unsigned long P = MAP_PRIVATE, S = MAP_SHARED;
	const int R = PROT_READ, RW = PROT_READ | PROT_WRITE;

	map_vma("dir", H, PG, R, P, path("dir"), 0);
	map_vma("dir_shared_rw", H, PG, RW, S, path("dir"), 0);
	map_vma("fifo", H, PG, R, P, path("fifo"), 0);
	map_vma("fifo_shared_rw", H, PG, RW, S, path("fifo"), 0);
	map_vma("null", H, PG, R, P, "/dev/null", 0);
	map_vma("null_shared_rw", H, PG, RW, S, "/dev/null", 0);
	map_vma("socket", H, PG, R, P, path("sock"), 0);
	map_vma("zero_private", H, 2 * PG, RW, P, "/dev/zero", 0);
	map_vma("zero_private_off", H, 2 * PG, RW, P, "/dev/zero", 0x5000);
	map_vma("zero_shared", H, 2 * PG, RW, S, "/dev/zero", 0);
	map_vma("zero_shared_off", H, 2 * PG, RW, S, "/dev/zero", 0x5000);
	map_vma("zero_validate", H, 2 * PG, RW, MAP_SHARED_VALIDATE,
		"/dev/zero", 0);
	map_touch_vma("zero_private_written", 2 * PG, P, 0, 0);
	map_touch_vma("zero_shared_written", 2 * PG, S, 0, 0);
	map_touch_vma("zero_shared_off_written", 2 * PG, S, 0x5000, 1);
}

/* remap - one mremap reported as the errno or the new vma (and the five
 * bytes there), which is then unmapped unless it is old. */
static void remap(const char *name, uintptr_t old, size_t old_len,
		  size_t new_len, int flags)
{
	uintptr_t a = (uintptr_t)syscall(SYS_mremap, old, old_len, new_len,
					 flags, 0);
	char desc[1024];
	const unsigned char *p = (const unsigned char *)a;

	if (!result(name, a))
		return;
	snprintf(desc, sizeof(desc), "%s", vma(a));
	if (a == old) {
		printf("%s: ok same address\n", name);
		return;
	}
	printf("%s: ok %s | %02x%02x%02x%02x%02x\n", name, desc, p[0], p[1],
	       p[2], p[3], p[4]);
	munmap((void *)a, new_len);
}

/* mremap_cases - old_len 0 (duplicating), unmapped old addresses, and a
 * shrink across a hole. */
static void mremap_cases(void)
{
	const unsigned long P = MAP_PRIVATE, S = MAP_SHARED;
	const int RW = PROT_READ | PROT_WRITE;
	uintptr_t s = map(H, 8 * PG, RW, S, NULL, 0);
	uintptr_t p = map(H + 64 * PG, 8 * PG, RW, P, NULL, 0);
	uintptr_t f = map(H + 128 * PG, 8 * PG, PROT_READ, S, path("data"), 0);
	uintptr_t fp = map(H + 192 * PG, 8 * PG, PROT_READ, P, path("data"), 0);
	uintptr_t h;

	if (s == FAILED || p == FAILED || f == FAILED || fp == FAILED)
		die("mremap set-up: %s", strerror(errno));
	memcpy((void *)s, "hello", 5);
	memcpy((void *)(s + 4 * PG), "world", 5);
	remap("mremap_dup", s, 0, 4 * PG, MREMAP_MAYMOVE);
	remap("mremap_dup_nomove", s, 0, 4 * PG, 0);
	remap("mremap_dup_mid", s + 4 * PG, 0, 4 * PG, MREMAP_MAYMOVE);
	remap("mremap_dup_max", s, ~0UL, 4 * PG, MREMAP_MAYMOVE);
	remap("mremap_dup_private", p, 0, 4 * PG, MREMAP_MAYMOVE);
	remap("mremap_dup_private_nomove", p, 0, 4 * PG, 0);
	remap("mremap_private_max", p, ~0UL, 4 * PG, MREMAP_MAYMOVE);
	remap("mremap_dup_file_shared", f, 0, 4 * PG, MREMAP_MAYMOVE);
	remap("mremap_dup_file_private", fp, 0, 4 * PG, MREMAP_MAYMOVE);
	remap("mremap_unmapped_shrink", HOLE, 8 * PG, 4 * PG, 0);
	remap("mremap_unmapped_same", HOLE, 4 * PG, 4 * PG, 0);
	remap("mremap_unmapped_grow", HOLE, 4 * PG, 8 * PG, MREMAP_MAYMOVE);
	remap("mremap_unmapped_dup", HOLE, 0, 8 * PG, MREMAP_MAYMOVE);
	h = map(H + 256 * PG, 12 * PG, PROT_READ, P, NULL, 0);
	munmap((void *)(h + 4 * PG), 4 * PG);
	remap("mremap_shrink_across_hole", h, 12 * PG, 4 * PG, 0);
	printf("mremap_shrink_across_hole_tail: %s\n", vma(h + 8 * PG));
	munmap((void *)h, 12 * PG);
	munmap((void *)s, 8 * PG);
	munmap((void *)p, 8 * PG);
	munmap((void *)f, 8 * PG);
	munmap((void *)fp, 8 * PG);
}

/* lock - one mlock reported as ok or the errno, with the vmas at
 * addrs[0..n) and the change of VmLck. */
static void lock(const char *name, uintptr_t addr, size_t len,
		 const uintptr_t *addrs, int n)
{
	unsigned long before = vmlck();
	int i;

	if (syscall(SYS_mlock, addr, len))
		printf("%s: %s\n", name, errname(errno));
	else
		printf("%s: ok\n", name);
	for (i = 0; i < n; i++)
		printf("%s.%d: %s\n", name, i, vma(addrs[i]));
	printf("%s.vmlck: VmLck +%lu kB\n", name, vmlck() - before);
}

/* map_lock - lock a whole new mapping at H. */
static void map_lock(const char *name, size_t len, int prot,
		     unsigned long flags, const char *file)
{
	uintptr_t a = map(H, len, prot, flags, file, 0);

	lock(name, a, len, &a, 1);
	munmap((void *)a, len);
}

/* mlock_cases - pages that cannot be faulted in: PROT_NONE, past the end
 * of a file; and the locked flag on such mappings. */
static void mlock_cases(void)
{
	char *small = strdup(path("small"));
	const unsigned long P = MAP_PRIVATE;
	uintptr_t a[3];

	map_lock("mlock_none", 8 * PG, PROT_NONE, P, NULL);
	a[0] = map(H, 24 * PG, PROT_READ | PROT_WRITE, P, NULL, 0);
	a[1] = map(a[0] + 8 * PG, 8 * PG, PROT_NONE, P | MAP_FIXED, NULL, 0);
	a[2] = a[0] + 16 * PG;
	lock("mlock_rw_none_rw", a[0], 24 * PG, a, 3);
	munmap((void *)a[0], 24 * PG);
	map_lock("mlock_file_eof", 16 * PG, PROT_READ, P, small);
	map_lock("mlock_shared_file_eof", 16 * PG, PROT_READ, MAP_SHARED,
		 small);
	a[0] = map(H, 16 * PG, PROT_READ, P, small, 0);
	a[1] = a[0] + 8 * PG;
	lock("mlock_file_eof_tail", a[1], 8 * PG, a, 2);
	munmap((void *)a[0], 16 * PG);
	/* Of a file: a read fault of anonymous memory maps the zero page,
	 * but some hosts' kernels allocate a page instead. */
	map_lock("mlock_exec_only", 2 * PG, PROT_EXEC, P, path("data"));
	map_lock("mlock_write_only", 8 * PG, PROT_WRITE, P, NULL);
	map_vma("mmap_locked_file_eof", H, 16 * PG, PROT_READ, P | MAP_LOCKED,
		small, 0);
	map_vma("mmap_locked_none", H, 8 * PG, PROT_NONE, P | MAP_LOCKED, NULL,
		0);
	free(small);
}

/* brk_to - brk(2), reported as ok (moved to want) or ENOMEM (where brk
 * stays; Linux's brk returns the old brk then). */
static void brk_to(const char *name, uintptr_t want)
{
	uintptr_t got = (uintptr_t)syscall(SYS_brk, want);

	printf("%s: %s\n", name, got == want ? "ok" : "ENOMEM");
}

/* brk_cases - in a child, whose heap malloc no longer uses: a shrink
 * where the heap was unmapped, growth after it, and a shrink over a
 * mapping that is not the heap. */
static void brk_cases(void)
{
	uintptr_t b;
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid) {
		waitpid(pid, &status, 0);
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			die("brk cases: child status %#x", status);
		return;
	}
	b = ((uintptr_t)syscall(SYS_brk, 0) + PG - 1) & ~(PG - 1);
	syscall(SYS_brk, b);
	brk_to("brk_grow", b + 16 * PG);
	munmap((void *)b, 16 * PG);
	brk_to("brk_shrink_unmapped", b + 4 * PG);
	brk_to("brk_grow_after_unmap", b + 20 * PG);
	brk_to("brk_shrink_partly_mapped", b + 12 * PG);
	map(b + 4 * PG, PG, PROT_READ, MAP_PRIVATE | MAP_FIXED, NULL, 0);
	brk_to("brk_shrink_over_mapping", b);
	printf("brk_shrink_over_mapping_vma: %s\n", vma(b + 4 * PG));
	fflush(stdout);
	_exit(0);
}

int main(int argc, char **argv)
{
	int pers = personality(0xffffffff);

	if (argc != 3) {
		fputs("usage: syscall_edges DIR SHMFILE\n", stderr);
		return 2;
	}
	if (pers == -1)
		die("personality: %s", strerror(errno));
	if (!(pers & ADDR_NO_RANDOMIZE)) {
		if (personality((unsigned long)pers | ADDR_NO_RANDOMIZE) == -1)
			die("personality: %s", strerror(errno));
		execv("/proc/self/exe", argv);
		die("re-exec: %s", strerror(errno));
	}
	dir = argv[1];
	shmfile = argv[2];
	setvbuf(stdout, NULL, _IOLBF, 0);
	region = map(0, 1024 * MB, PROT_NONE, MAP_PRIVATE, NULL, 0);
	if (region == FAILED)
		die("1 GiB region: %s", strerror(errno));
	top = region + 1024 * MB;
	H = top - 4 * MB;
	munmap((void *)(top - 8 * MB - PG), 8 * MB);
	flags_cases();
	hint_cases();
	special_cases();
	mremap_cases();
	mlock_cases();
	brk_cases();
	return 0;
}
