/*
 * binfmts.h - execve() of host ELF files (Linux's fs/exec.c and
 * fs/binfmt_elf.c) and the special mappings every image gets (vdso.c).
 */
#ifndef EXEC_BINFMTS_H
#define EXEC_BINFMTS_H

#include <stdbool.h>
#include <stdint.h>
#include "mm/mm.h"

/* Linux's limits on the argument area (include/uapi/linux/binfmts.h). */
#define MAX_ARG_STRLEN		(32 * PAGE_SIZE)
#define ARG_MAX_BYTES		(32 * PAGE_SIZE)	/* ARG_MAX: the floor */

/* exec flags */
#define EXEC_LINK	0x1	/* also map the DT_NEEDED libraries (--link) */

/* What an exec is given. */
struct exec_args {
	const char *path;		/* the file, as the user wrote it */
	int argc;
	char *const *argv;		/* argv[0] is path */
	int nset;
	char *const *set;		/* NAME=VALUE added to the environment */
	unsigned int flags;		/* EXEC_* */
};

/*
 * do_execve - execve() by t of the host file a->path: t's process gets a
 * new address space holding the ELF image (and its interpreter), a stack
 * with argv, envp (t's environment with a->set applied) and the auxiliary
 * vector, and the vDSO.  Returns the entry address, or 0 with *err:
 * -ENOENT, -EACCES (not readable, not executable or not a regular file),
 * -ENOEXEC (not an ELF executable of this machine, or headers that cannot
 * be loaded), -E2BIG (arguments and environment beyond the stack limit),
 * -ENOMEM, -ESRCH/-EINVAL (no live process).  On error nothing changed:
 * the old image is dropped only once the new one is complete.
 */
uint64_t do_execve(struct task_struct *t, const struct exec_args *a,
		   int *err);

/* do_spawn - a new child of parent running a->path (fork and exec as one
 * step, as posix_spawn): the child or NULL with *err as do_execve, or
 * -EAGAIN when pids run out.  Nothing changes on failure. */
struct task_struct *do_spawn(struct task_struct *parent,
			     const struct exec_args *a, int *err);

/* ---- vdso.c ---- */
/* vdso_init - at boot: the vDSO image of the machine's word size (the
 * host's 64-bit or 32-bit one) and the vvar pages in frames of the kernel
 * image.  Without such a host vDSO, images get none. */
void vdso_init(void);
/* vdso_image_32_file - make the 32-bit vDSO the image in the file at path
 * (a vdso32.so, or the [vdso] bytes of a 32-bit process) instead of the
 * host's, for every boot of this run: NULL, or why the file cannot be
 * one.  Call it before the first boot. */
const char *vdso_image_32_file(const char *path);
/* vdso_describe - for `machine`: the vDSO's size and origin, or "none
 * (why)". */
const char *vdso_describe(void);
/* vdso_sym_vsyscall - the offset of __kernel_vsyscall in the 32-bit vDSO
 * (AT_SYSINFO is the vDSO's address plus it). */
uint64_t vdso_sym_vsyscall(void);
/* map_vdso - map [vvar], [vvar_vclock] and [vdso] where mmap would put
 * them (Linux's map_vdso(image, 0)); *base is the vDSO's address
 * (AT_SYSINFO_EHDR), 0 if there is none. 0 or -ENOMEM. */
int map_vdso(struct mm_struct *mm, uint64_t *base);
/* special_mapping_fault - the fault handler of those vmas. */
int special_mapping_fault(struct vm_fault *vmf);
/* special_pfn_ok - is pfn the frame a special vma maps at va? */
bool special_pfn_ok(const struct vm_area_struct *vma, uint64_t va,
		    uint64_t pfn);

#endif
