/*
 * vdso_image.c - where the vDSO images come from.  Linux compiles its
 * vDSOs into the kernel (arch/x86/entry/vdso/vdso2c turns vdso64.so and
 * vdso32.so into vdso-image-64.c and vdso-image-32.c); mmufs copies the
 * host's, which are real images of the same sources:
 *
 * - x86-64: the vDSO the host mapped into this daemon.
 * - i386: the host's 32-bit vDSO.  The daemon cannot see it in itself, so
 *   once per run it execs a hand-made static ELF32 under PTRACE_TRACEME
 *   and, at the stop that follows the execve (before the child's first
 *   instruction), reads the child's [vdso] from /proc/PID/maps and
 *   /proc/PID/mem, then kills it.  A host that cannot run 32-bit programs
 *   (no IA32 emulation) refuses the execve with ENOEXEC: it has no 32-bit
 *   vDSO, and i386 images get none (the reason is kept for `machine`).
 *
 * This is the only part of mm/ that starts a host process; vdso.c maps
 * what it finds as Linux's arch/x86/entry/vdso/vma.c does.
 */
#define _GNU_SOURCE		/* memfd_create, fexecve, pipe2 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>
#include "hw/x86.h"
#include "vdso.h"

#ifndef MFD_EXEC
#define MFD_EXEC	0x0010U		/* Linux 6.3+: an executable memfd */
#endif

#define VDSO_MAX_BYTES	(16 * PAGE_SIZE)	/* larger is not a vDSO */

/* vma_of - the [start, end) of the first line of /proc/PID/maps (pid 0:
 * self) that ends with name; false when there is none. */
static bool vma_of(pid_t pid, const char *name, uint64_t *start,
		   uint64_t *end)
{
	char path[64], line[512];
	size_t n = strlen(name), len;
	bool found = false;
	FILE *f;

	if (pid)
		snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	else
		snprintf(path, sizeof(path), "/proc/self/maps");
	f = fopen(path, "re");
	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f)) {
		len = strcspn(line, "\n");
		line[len] = '\0';
		found = len >= n && !strcmp(line + len - n, name) &&
			sscanf(line, "%" SCNx64 "-%" SCNx64, start, end) == 2;
	}
	fclose(f);
	return found && *start < *end;
}

/* vdso_image_64 - see vdso.h. */
void vdso_image_64(struct vdso_image *img)
{
	uint64_t start, end;

	memset(img, 0, sizeof(*img));
	img->what = "none (the host maps no vDSO into its programs)";
	if (!vma_of(0, " [vdso]", &start, &end) ||
	    start != getauxval(AT_SYSINFO_EHDR) || end - start > VDSO_MAX_BYTES)
		return;
	img->data = (const void *)(uintptr_t)start;
	img->size = end - start;
	img->what = "the host's 64-bit vDSO";
}

/* ---- the 32-bit image ---- */

/* The program the probe execs: a static ELF32 whose one PT_LOAD maps the
 * file itself at 0x08048000.  Its code (exit(0)) never runs: the child is
 * killed at the stop after execve, or exits if the daemon dies first. */
struct tiny_elf32 {
	Elf32_Ehdr eh;
	Elf32_Phdr ph;
	unsigned char code[9];
};

/* tiny_elf32 - fill t with that program. */
static void tiny_elf32(struct tiny_elf32 *t)
{
	static const unsigned char exit0[9] = {
		0x31, 0xdb,			/* xor %ebx, %ebx */
		0xb8, 0x01, 0x00, 0x00, 0x00,	/* mov $1 (exit), %eax */
		0xcd, 0x80,			/* int $0x80 */
	};
	const Elf32_Addr base = 0x08048000;

	memset(t, 0, sizeof(*t));
	memcpy(t->eh.e_ident, ELFMAG, SELFMAG);
	t->eh.e_ident[EI_CLASS] = ELFCLASS32;
	t->eh.e_ident[EI_DATA] = ELFDATA2LSB;
	t->eh.e_ident[EI_VERSION] = EV_CURRENT;
	t->eh.e_type = ET_EXEC;
	t->eh.e_machine = EM_386;
	t->eh.e_version = EV_CURRENT;
	t->eh.e_entry = base + offsetof(struct tiny_elf32, code);
	t->eh.e_phoff = offsetof(struct tiny_elf32, ph);
	t->eh.e_ehsize = sizeof(Elf32_Ehdr);
	t->eh.e_phentsize = sizeof(Elf32_Phdr);
	t->eh.e_phnum = 1;
	t->ph.p_type = PT_LOAD;
	t->ph.p_vaddr = t->ph.p_paddr = base;
	t->ph.p_filesz = t->ph.p_memsz = sizeof(*t);
	t->ph.p_flags = PF_R | PF_X;
	t->ph.p_align = PAGE_SIZE;
	memcpy(t->code, exit0, sizeof(exit0));
}

/* tiny_elf32_fd - an executable memfd holding the program, or -errno. */
static int tiny_elf32_fd(void)
{
	struct tiny_elf32 t;
	int fd = memfd_create("mmufs-vdso32", MFD_CLOEXEC | MFD_EXEC);

	if (fd < 0 && errno == EINVAL)		/* before Linux 6.3 */
		fd = memfd_create("mmufs-vdso32", MFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	tiny_elf32(&t);
	if (write(fd, &t, sizeof(t)) != (ssize_t)sizeof(t)) {
		close(fd);
		return -EIO;
	}
	return fd;
}

/* reap - wait for pid's next state change; the status, or -1. */
static int reap(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return status;
}

/* start_traced - fork a child that execs fd under PTRACE_TRACEME with an
 * empty environment.  Returns its pid, stopped after the execve, or
 * -errno: the execve's (-ENOEXEC: no 32-bit support) or the setup's.
 * Only async-signal-safe calls run in the child. */
static pid_t start_traced(int fd)
{
	char *argv[] = { (char *)"mmufs-vdso32", NULL }, *envp[] = { NULL };
	int pipefd[2], err = 0, status;
	ssize_t n;
	pid_t pid;

	if (pipe2(pipefd, O_CLOEXEC))
		return -errno;
	pid = fork();
	if (pid == 0) {
		close(pipefd[0]);
		if (!ptrace(PTRACE_TRACEME, 0, NULL, NULL))
			fexecve(fd, argv, envp);
		err = errno;
		if (write(pipefd[1], &err, sizeof(err)) < 0)
			_exit(126);
		_exit(127);
	}
	close(pipefd[1]);
	if (pid < 0) {
		err = -errno;
		close(pipefd[0]);
		return err;
	}
	do
		n = read(pipefd[0], &err, sizeof(err));
	while (n < 0 && errno == EINTR);
	close(pipefd[0]);
	status = reap(pid);
	if (n == (ssize_t)sizeof(err))	/* the child failed and exits */
		return err ? -err : -EIO;
	if (status < 0 || !WIFSTOPPED(status) || WSTOPSIG(status) != SIGTRAP) {
		kill(pid, SIGKILL);
		reap(pid);
		return -ECHILD;
	}
	ptrace(PTRACE_SETOPTIONS, pid, NULL, (void *)(uintptr_t)PTRACE_O_EXITKILL);
	return pid;
}

/* read_child_vdso - the bytes of pid's [vdso] into a malloc'd *data.
 * 0, -ENOENT when it has none, or another -errno. */
static int read_child_vdso(pid_t pid, unsigned char **data, uint64_t *size)
{
	uint64_t start, end;
	char path[64];
	int fd, err = 0;

	if (!vma_of(pid, " [vdso]", &start, &end))
		return -ENOENT;
	if (end - start > VDSO_MAX_BYTES || !PAGE_ALIGNED(start | end))
		return -EINVAL;
	snprintf(path, sizeof(path), "/proc/%d/mem", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	*data = malloc(end - start);
	if (fd < 0 || !*data)
		err = fd < 0 ? -errno : -ENOMEM;
	else if (pread(fd, *data, end - start, (off_t)start) !=
		 (ssize_t)(end - start))
		err = -EIO;
	if (fd >= 0)
		close(fd);
	if (err) {
		free(*data);
		*data = NULL;
	}
	*size = end - start;
	return err;
}

/* elf32_at - a copy of the len bytes at off of the image, false when they
 * lie outside it. */
static bool elf32_at(const unsigned char *img, uint64_t size, uint64_t off,
		     void *out, size_t len)
{
	if (off > size || len > size - off)
		return false;
	memcpy(out, img + off, len);
	return true;
}

/* vdso32_sym - the offset in the image of the dynamic symbol name (the
 * image is mapped as a file from its start; what vdso2c records as
 * sym_<name>).  false when the image is not an i386 ELF with it. */
static bool vdso32_sym(const unsigned char *img, uint64_t size,
		       const char *name, uint64_t *off)
{
	Elf32_Ehdr eh;
	Elf32_Phdr ph = { 0 };
	Elf32_Shdr sh = { 0 }, str = { 0 };
	Elf32_Sym sym;
	uint64_t i, n = strlen(name) + 1;
	char buf[64];

	if (n > sizeof(buf) || !elf32_at(img, size, 0, &eh, sizeof(eh)) ||
	    memcmp(eh.e_ident, ELFMAG, SELFMAG) ||
	    eh.e_ident[EI_CLASS] != ELFCLASS32 || eh.e_machine != EM_386 ||
	    eh.e_shentsize != sizeof(sh) || eh.e_phentsize != sizeof(ph))
		return false;
	for (i = 0; i < eh.e_phnum; i++)	/* the first PT_LOAD */
		if (!elf32_at(img, size, eh.e_phoff + i * sizeof(ph), &ph,
			      sizeof(ph)) || ph.p_type == PT_LOAD)
			break;
	if (i == eh.e_phnum || ph.p_type != PT_LOAD)
		return false;
	for (i = 0; i < eh.e_shnum; i++)	/* .dynsym and its strings */
		if (!elf32_at(img, size, eh.e_shoff + i * sizeof(sh), &sh,
			      sizeof(sh)) ||
		    (sh.sh_type == SHT_DYNSYM &&
		     elf32_at(img, size, eh.e_shoff + sh.sh_link * sizeof(str),
			      &str, sizeof(str))))
			break;
	if (i == eh.e_shnum || sh.sh_type != SHT_DYNSYM)
		return false;
	for (i = 0; i < sh.sh_size / sizeof(sym); i++) {
		if (!elf32_at(img, size, sh.sh_offset + i * sizeof(sym), &sym,
			      sizeof(sym)) || sym.st_name >= str.sh_size ||
		    !elf32_at(img, size, (uint64_t)str.sh_offset + sym.st_name,
			      buf, n) || memcmp(buf, name, n) ||
		    sym.st_value < ph.p_vaddr)
			continue;
		*off = sym.st_value - ph.p_vaddr + ph.p_offset;
		return *off < size;
	}
	return false;
}

/* probe_vdso32 - read the host's 32-bit vDSO into img (see the top).  The
 * answer, image or reason, is kept for the rest of the run. */
static void probe_vdso32(struct vdso_image *img)
{
	static char why[160];
	unsigned char *data = NULL;
	uint64_t size = 0, sym = 0;
	int fd = tiny_elf32_fd(), err = fd < 0 ? fd : 0;
	bool none = false;
	pid_t pid = -1;

	if (!err) {
		pid = start_traced(fd);
		err = pid < 0 ? (int)pid : 0;
		close(fd);
	}
	if (!err) {
		err = read_child_vdso(pid, &data, &size);
		none = err == -ENOENT;
		kill(pid, SIGKILL);
		reap(pid);
	}
	if (!err && !vdso32_sym(data, size, "__kernel_vsyscall", &sym))
		err = -EINVAL;
	if (!err) {
		*img = (struct vdso_image){ data, size, sym,
					    "the host's 32-bit vDSO" };
		return;
	}
	free(data);
	if (err == -ENOEXEC)
		snprintf(why, sizeof(why), "none (this host cannot run 32-bit "
			 "programs, so it has no 32-bit vDSO to copy)");
	else if (none)
		snprintf(why, sizeof(why), "none (the host maps no vDSO into "
			 "32-bit programs)");
	else
		snprintf(why, sizeof(why), "none (the host's 32-bit vDSO "
			 "could not be read: %s)", strerror(-err));
	*img = (struct vdso_image){ NULL, 0, 0, why };
}

static struct vdso_image image32;	/* the 32-bit image, once found */
static bool image32_found;

/* vdso_image_32 - see vdso.h. */
void vdso_image_32(struct vdso_image *img)
{
	if (!image32_found)
		probe_vdso32(&image32);
	image32_found = true;
	*img = image32;
}

/* vdso_image_32_file - see binfmts.h.  The file is read whole and padded
 * with zeros to a page, as vdso2c pads the images it makes. */
const char *vdso_image_32_file(const char *path)
{
	static char what[128];
	unsigned char *data = calloc(1, VDSO_MAX_BYTES + 1);
	uint64_t sym;
	ssize_t n = -1;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd >= 0 && data) {
		n = read(fd, data, VDSO_MAX_BYTES + 1);
		close(fd);
	}
	if (n < 0) {
		free(data);
		return data ? strerror(errno) : "out of memory";
	}
	if ((uint64_t)n > VDSO_MAX_BYTES || !vdso32_sym(data, (uint64_t)n,
					      "__kernel_vsyscall", &sym)) {
		free(data);
		return "not a 32-bit vDSO image (an i386 ELF of at most 64 "
		       "KiB with __kernel_vsyscall)";
	}
	snprintf(what, sizeof(what), "the image in %s", path);
	image32 = (struct vdso_image){ data, PAGE_ALIGN((uint64_t)n), sym,
				       what };
	image32_found = true;
	return NULL;
}
