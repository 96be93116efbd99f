/*
 * elf.h - the state of one execve() while the new image is built (Linux's
 * struct linux_binprm), shared by exec/exec.c, exec/binfmt_elf.c and
 * user/ld.c.
 */
#ifndef EXEC_ELF_H
#define EXEC_ELF_H

#include <stdbool.h>
#include <stdint.h>
#include "exec/binfmts.h"

/* One program header, whatever the ELF class. */
struct elf_phdr {
	uint32_t p_type, p_flags;
	uint64_t p_offset, p_vaddr, p_filesz, p_memsz, p_align;
};

/* Which file of an exec a failed check is about, for its reason: the
 * program itself (role NULL, path == prog), or a file it needs, its
 * "interpreter" or a "library". */
struct exec_file {
	const char *prog;		/* the program, as the exec names it */
	const char *role;
	const char *path;		/* the file */
};

/* What is wrong with a file that is not a loadable ELF file. */
#define NOT_ELF		"not an ELF file this machine can load"

/* An ELF file whose headers have been read and checked. */
struct elf_info {
	struct address_space *file;
	uint16_t e_type;
	uint64_t e_entry, e_phoff;
	uint16_t e_phnum;
	struct elf_phdr *phdr;		/* e_phnum entries */
	const struct elf_phdr *interp;	/* PT_INTERP, or NULL */
	bool exec_stack;		/* PT_GNU_STACK with PF_X */
	uint64_t load_bias;		/* once mapped: where p_vaddr 0 went */
};

struct linux_binprm {
	const struct exec_args *a;
	struct task_struct *t;		/* whose faults the building counts */
	struct mm_struct *mm;		/* the image being built */
	char *envbuf;			/* the old environment block */
	size_t envlen;
	char **envp;			/* the new environment, envc strings */
	int envc;
	unsigned int ws;		/* the machine's word: 8 or 4 bytes */
	uint64_t p;			/* lowest byte used on the new stack */
	uint64_t argmin;		/* p may not go below (E2BIG) */
	uint64_t exec;			/* the file name on the stack (AT_EXECFN) */
	uint64_t entry;			/* where execution would start */
	struct elf_info ex, interp;
	char *interp_path;		/* PT_INTERP's path (malloc'd) */
};

/* binfmt_elf.c */
/* elf_read_info - read and check the headers of an open file, who
 * (-ENOEXEC for anything this machine cannot load).  PT_INTERP is noted
 * for the program only. */
int elf_read_info(struct address_space *file, struct elf_info *ei,
		  const struct exec_file *who);
void elf_free_info(struct elf_info *ei);
/* elf_read - len bytes at off of the host file; -ENOEXEC if short. */
int elf_read(struct address_space *file, void *buf, size_t len, uint64_t off);
/* make_prot - the PROT_* bits of a segment's PF_* flags. */
unsigned long make_prot(uint32_t p_flags);
/* total_mapping_size - from the first PT_LOAD's page to the end (p_vaddr
 * + p_memsz) of the last one. */
uint64_t total_mapping_size(const struct elf_info *ei);
/* maximum_alignment - the largest power-of-two p_align of the PT_LOADs,
 * page aligned (0 when none has one). */
uint64_t maximum_alignment(const struct elf_info *ei);
/* elf_interp_path - the NUL-terminated path of the PT_INTERP of ei, the
 * program who (malloc'd), or NULL with *err. */
char *elf_interp_path(const struct elf_info *ei, const struct exec_file *who,
		      int *err);
/* load_elf_binary - map bprm's file (and interpreter), the vDSO and the
 * tables on the stack into bprm->mm, whose stack already holds the
 * strings.  0 or -errno. */
int load_elf_binary(struct linux_binprm *bprm);

/* exec.c */
/* exec_file_error - -err with its reason: why is what is wrong with who,
 * "PROG: ROLE PATH: WHY" for a file the program needs, "PATH: WHY" for
 * the program, and "PATH (or its interpreter or a library): WHY" when
 * the program itself is missing (ENOENT) or cannot be loaded (ENOEXEC). */
int exec_file_error(const struct exec_file *who, int err, const char *why);
/* exec_file_map_error - exec_file_error with the reason "WHAT (REASON)",
 * REASON the one the mapping that failed gave (kerrstr). */
int exec_file_map_error(const struct exec_file *who, int err,
			const char *what);
/* bprm_too_big - -E2BIG with its reason: the arguments and environment
 * do not fit the stack. */
int bprm_too_big(const struct linux_binprm *bprm);
/* bprm_write - store len bytes at addr of the new image. 0 or -ENOMEM. */
int bprm_write(struct linux_binprm *bprm, uint64_t addr, const void *buf,
	       uint64_t len);
/* arch_align_stack - x86's: with --aslr a random offset below 8 KiB, then
 * 16-byte alignment (the stack top, and below the strings). */
uint64_t arch_align_stack(uint64_t sp);
/* exec_open - open the file who for exec (read-only, must be
 * executable): the object or NULL with *err (-ENOENT, -EACCES, -ENOMEM). */
struct address_space *exec_open(const struct exec_file *who, int *err);

/* ld.c */
/* link_needed - map the DT_NEEDED libraries of bprm's program as ld.so
 * would (EXEC_LINK). 0 or -errno. */
int link_needed(struct linux_binprm *bprm);

#endif
