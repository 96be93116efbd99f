/*
 * binfmt_elf.c - the ELF loader (Linux 6.18's fs/binfmt_elf.c): checks the
 * headers of a host file, maps its PT_LOAD segments (and those of its
 * PT_INTERP interpreter) into the new image as the kernel does, places
 * brk, maps the vDSO and writes argc, argv, envp and the auxiliary vector
 * on the stack (create_elf_tables).
 *
 * The checks are stricter than Linux's where Linux would only fail after
 * its point of no return (a segment that cannot be mapped, or beyond the
 * end of the file): here they are ENOEXEC before anything changes.
 */
#include <errno.h>
#include <cpuid.h>
#include <elf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "kernel/errstr.h"
#include "mm/mm.h"
#include "mm/page_alloc.h"
#include "mm/vma.h"
#include "mm/vmstat.h"
#include "exec/elf.h"
#include "kernel/kernel.h"

#ifndef AT_MINSIGSTKSZ
#define AT_MINSIGSTKSZ		51
#endif
#ifndef AT_RSEQ_FEATURE_SIZE
#define AT_RSEQ_FEATURE_SIZE	27
#define AT_RSEQ_ALIGN		28
#endif

#define MAX_AUXV	32	/* pairs, AT_NULL included */

/* elf_read - see elf.h. */
int elf_read(struct address_space *file, void *buf, size_t len, uint64_t off)
{
	ssize_t n;

	if (off > file->size || len > file->size - off)
		return -ENOEXEC;
	n = pread(file->fd, buf, len, (off_t)off);
	return n == (ssize_t)len ? 0 : -ENOEXEC;
}

/* not_elf - -ENOEXEC with its reason: who is no ELF file this machine can
 * load. */
static int not_elf(const struct exec_file *who)
{
	return exec_file_error(who, ENOEXEC, NOT_ELF);
}

/* read_ehdr - the ELF header in class-independent form; -ENOEXEC unless
 * it is an executable or shared object of this machine (EM_X86_64 for
 * x86-64, EM_386 for i386; little-endian, current version). */
static int read_ehdr(struct address_space *file, struct elf_info *ei,
		     uint16_t *phentsize, const struct exec_file *who)
{
	union { Elf64_Ehdr e64; Elf32_Ehdr e32; } h;
	bool is64 = kernel_is_64bit();

	memset(&h, 0, sizeof(h));
	if (elf_read(file, &h, is64 ? sizeof(h.e64) : sizeof(h.e32), 0))
		return not_elf(who);
	if (memcmp(h.e64.e_ident, ELFMAG, SELFMAG) ||
	    h.e64.e_ident[EI_CLASS] != (is64 ? ELFCLASS64 : ELFCLASS32) ||
	    h.e64.e_ident[EI_DATA] != ELFDATA2LSB ||
	    h.e64.e_ident[EI_VERSION] != EV_CURRENT)
		return not_elf(who);
	if (is64) {
		ei->e_type = h.e64.e_type;
		if (h.e64.e_machine != EM_X86_64)
			return not_elf(who);
		ei->e_entry = h.e64.e_entry;
		ei->e_phoff = h.e64.e_phoff;
		ei->e_phnum = h.e64.e_phnum;
		*phentsize = h.e64.e_phentsize;
	} else {
		ei->e_type = h.e32.e_type;
		if (h.e32.e_machine != EM_386)
			return not_elf(who);
		ei->e_entry = h.e32.e_entry;
		ei->e_phoff = h.e32.e_phoff;
		ei->e_phnum = h.e32.e_phnum;
		*phentsize = h.e32.e_phentsize;
	}
	if (ei->e_type != ET_EXEC && ei->e_type != ET_DYN)
		return not_elf(who);
	return 0;
}

/* read_phdrs - the program headers (Linux's load_elf_phdrs: the right
 * entry size, 1 to 4096 bytes of them). */
static int read_phdrs(struct address_space *file, struct elf_info *ei,
		      uint16_t phentsize, const struct exec_file *who)
{
	size_t esz = kernel_is_64bit() ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr);
	size_t size = esz * ei->e_phnum, i;
	unsigned char *raw;
	int err;

	if (phentsize != esz || size == 0 || size > PAGE_SIZE)
		return not_elf(who);
	raw = malloc(size);
	ei->phdr = calloc(ei->e_phnum, sizeof(*ei->phdr));
	if (!raw || !ei->phdr) {
		free(raw);
		return host_enomem();
	}
	err = elf_read(file, raw, size, ei->e_phoff) ? not_elf(who) : 0;
	for (i = 0; !err && i < ei->e_phnum; i++) {
		struct elf_phdr *p = &ei->phdr[i];

		if (esz == sizeof(Elf64_Phdr)) {
			Elf64_Phdr q;

			memcpy(&q, raw + i * esz, sizeof(q));
			*p = (struct elf_phdr){ q.p_type, q.p_flags, q.p_offset,
						q.p_vaddr, q.p_filesz,
						q.p_memsz, q.p_align };
		} else {
			Elf32_Phdr q;

			memcpy(&q, raw + i * esz, sizeof(q));
			*p = (struct elf_phdr){ q.p_type, q.p_flags, q.p_offset,
						q.p_vaddr, q.p_filesz,
						q.p_memsz, q.p_align };
		}
	}
	free(raw);
	return err;
}

/* check_load - one PT_LOAD: its file part inside the file, sizes that fit
 * the address space, file offset and address congruent modulo the page
 * size (mmap needs it), above the previous segment. */
static int check_load(const struct elf_info *ei, const struct elf_phdr *p,
		      const struct elf_phdr *prev, const struct exec_file *who)
{
	uint64_t task_size = task_size_max();

	if (p->p_filesz > p->p_memsz || p->p_memsz > task_size ||
	    p->p_vaddr > task_size - p->p_memsz)
		return not_elf(who);
	if (p->p_offset > ei->file->size ||
	    p->p_filesz > ei->file->size - p->p_offset)
		return not_elf(who);
	if ((p->p_vaddr - p->p_offset) & ~PAGE_MASK)
		return not_elf(who);
	if (ei->e_type == ET_EXEC && p->p_vaddr < sysctl_vm.mmap_min_addr)
		return not_elf(who);
	if (prev && p->p_vaddr < prev->p_vaddr + prev->p_memsz)
		return not_elf(who);
	return 0;
}

/* elf_read_info - see elf.h. */
int elf_read_info(struct address_space *file, struct elf_info *ei,
		  const struct exec_file *who)
{
	const struct elf_phdr *prev = NULL;
	uint16_t phentsize = 0;	/* set by read_ehdr when it succeeds */
	int i, err;

	ei->file = file;
	err = read_ehdr(file, ei, &phentsize, who);
	if (!err)
		err = read_phdrs(file, ei, phentsize, who);
	for (i = 0; !err && i < ei->e_phnum; i++) {
		const struct elf_phdr *p = &ei->phdr[i];

		if (p->p_type == PT_LOAD) {
			err = check_load(ei, p, prev, who);
			prev = p;
		} else if (p->p_type == PT_INTERP && !who->role &&
			   !ei->interp) {
			ei->interp = p;
		} else if (p->p_type == PT_GNU_STACK) {
			ei->exec_stack = p->p_flags & PF_X;
		}
	}
	if (!err && !prev)
		err = not_elf(who);		/* nothing to load */
	return err;
}

/* elf_free_info - drop the file and headers (the struct may be empty). */
void elf_free_info(struct elf_info *ei)
{
	if (ei->file)
		mapping_put(ei->file);
	free(ei->phdr);
	memset(ei, 0, sizeof(*ei));
}

/* elf_interp_path - see elf.h (Linux: 2 to PATH_MAX bytes, the last a
 * NUL). */
char *elf_interp_path(const struct elf_info *ei, const struct exec_file *who,
		      int *err)
{
	const struct elf_phdr *p = ei->interp;
	char *path;

	if (p->p_filesz < 2 || p->p_filesz > 4096) {
		*err = not_elf(who);
		return NULL;
	}
	path = malloc(p->p_filesz);
	if (!path) {
		*err = host_enomem();
		return NULL;
	}
	if (elf_read(ei->file, path, p->p_filesz, p->p_offset) ||
	    path[p->p_filesz - 1] || strlen(path) + 1 != p->p_filesz) {
		free(path);
		*err = not_elf(who);
		return NULL;
	}
	return path;
}

/* ---- mapping the segments ---- */

/* make_prot - see elf.h. */
unsigned long make_prot(uint32_t p_flags)
{
	return (p_flags & PF_R ? PROT_READ : 0) |
	       (p_flags & PF_W ? PROT_WRITE : 0) |
	       (p_flags & PF_X ? PROT_EXEC : 0);
}

/* total_mapping_size - see elf.h. */
uint64_t total_mapping_size(const struct elf_info *ei)
{
	const struct elf_phdr *first = NULL, *last = NULL;
	int i;

	for (i = 0; i < ei->e_phnum; i++)
		if (ei->phdr[i].p_type == PT_LOAD) {
			if (!first)
				first = &ei->phdr[i];
			last = &ei->phdr[i];
		}
	return last->p_vaddr + last->p_memsz - (first->p_vaddr & PAGE_MASK);
}

/* maximum_alignment - see elf.h. */
uint64_t maximum_alignment(const struct elf_info *ei)
{
	uint64_t align = 0;
	int i;

	for (i = 0; i < ei->e_phnum; i++) {
		uint64_t a = ei->phdr[i].p_align;

		if (ei->phdr[i].p_type == PT_LOAD && a && !(a & (a - 1)))
			align = MAX(align, a);
	}
	return PAGE_ALIGN(align);
}

/* elf_map - map the file part of segment p at addr (Linux's elf_map): the
 * first segment of a relocatable image maps total_size bytes so that the
 * whole image finds room, and gives back what lies past the segment. */
static uint64_t elf_map(struct mm_struct *mm, struct address_space *file,
			uint64_t addr, const struct elf_phdr *p,
			unsigned long prot, unsigned long type,
			uint64_t total_size)
{
	uint64_t size = PAGE_ALIGN(p->p_filesz + (p->p_vaddr & ~PAGE_MASK));
	uint64_t off = p->p_offset - (p->p_vaddr & ~PAGE_MASK), map;

	addr &= PAGE_MASK;
	if (!size)
		return addr;
	if (!total_size)
		return mmap_mm(mm, file, addr, size, prot, type,
			       off >> PAGE_SHIFT);
	total_size = PAGE_ALIGN(total_size);
	map = mmap_mm(mm, file, addr, total_size, prot, type, off >> PAGE_SHIFT);
	if (!IS_ERR_VALUE(map) && total_size > size &&
	    do_munmap(mm, map + size, total_size - size))
		return (uint64_t)-ENOMEM;
	return map;
}

/* padzero - clear from address to the end of its page, as user code
 * would (the partial page of file data where bss begins). */
static int padzero(struct linux_binprm *bprm, uint64_t address)
{
	static const char zeros[PAGE_SIZE];
	uint64_t n = address & ~PAGE_MASK;

	return n ? bprm_write(bprm, address, zeros, PAGE_SIZE - n) : 0;
}

/*
 * elf_load - map segment p at addr (Linux's elf_load): the file part,
 * then the rest of p_memsz as anonymous memory from the next page on,
 * after zeroing the tail of the last file page when the segment is
 * writable.  Returns the mapped address or -errno.
 */
static uint64_t elf_load(struct linux_binprm *bprm, struct address_space *f,
			 uint64_t addr, const struct elf_phdr *p,
			 unsigned long prot, unsigned long type,
			 uint64_t total_size)
{
	uint64_t map, zero_start, zero_end;

	if (p->p_filesz) {
		map = elf_map(bprm->mm, f, addr, p, prot, type, total_size);
		if (IS_ERR_VALUE(map))
			return map;
		zero_start = map + (p->p_vaddr & ~PAGE_MASK) + p->p_filesz;
		zero_end = map + (p->p_vaddr & ~PAGE_MASK) + p->p_memsz;
		if (p->p_memsz > p->p_filesz && (prot & PROT_WRITE) &&
		    padzero(bprm, zero_start))
			return (uint64_t)-EFAULT;
	} else {
		map = zero_start = addr & PAGE_MASK;
		zero_end = zero_start + (p->p_vaddr & ~PAGE_MASK) + p->p_memsz;
	}
	if (p->p_memsz > p->p_filesz) {
		int err;

		zero_start = PAGE_ALIGN(zero_start);
		zero_end = PAGE_ALIGN(zero_end);
		err = vm_brk_flags(bprm->mm, zero_start, zero_end - zero_start,
				   prot & PROT_EXEC ? VM_EXEC : 0);
		if (err)
			return (uint64_t)(int64_t)err;
	}
	return map;
}

/* load_bias_for - the first PT_LOAD of an ET_DYN image: where it goes
 * (Linux's "PIE handling"): programs with an interpreter, and loaders
 * asking for more than a page of alignment, at ELF_ET_DYN_BASE;
 * other loaders (ld.so, static-pie) wherever mmap puts them. */
static uint64_t load_bias_for(struct linux_binprm *bprm, uint64_t vaddr,
			      unsigned long *type)
{
	uint64_t align = maximum_alignment(&bprm->ex), bias = 0;

	if (bprm->ex.interp || align > PAGE_SIZE) {
		bias = elf_et_dyn_base(bprm->mm) + arch_mmap_rnd();
		if (align)
			bias &= ~(align - 1);
		*type |= MAP_FIXED_NOREPLACE;
	}
	return (bias - vaddr) & PAGE_MASK;
}

/* load_elf_interp - map the interpreter (Linux's load_elf_interp): an
 * ET_DYN one wherever its whole span fits, its segments then fixed in it.
 * Returns its load address or -errno. */
static uint64_t load_elf_interp(struct linux_binprm *bprm, uint64_t no_base)
{
	struct elf_info *ie = &bprm->interp;
	uint64_t load_addr = 0, total = total_mapping_size(ie);
	bool load_addr_set = false;
	int i;

	for (i = 0; i < ie->e_phnum; i++) {
		const struct elf_phdr *p = &ie->phdr[i];
		unsigned long type = MAP_PRIVATE;
		uint64_t map;

		if (p->p_type != PT_LOAD)
			continue;
		if (ie->e_type == ET_EXEC || load_addr_set)
			type |= MAP_FIXED;
		else if (no_base && ie->e_type == ET_DYN)
			load_addr = -p->p_vaddr;
		map = elf_load(bprm, ie->file, load_addr + p->p_vaddr, p,
			       make_prot(p->p_flags), type, total);
		total = 0;
		if (IS_ERR_VALUE(map))
			return map;
		if (!load_addr_set && ie->e_type == ET_DYN) {
			load_addr = map - (p->p_vaddr & PAGE_MASK);
			load_addr_set = true;
		}
	}
	ie->load_bias = load_addr;
	return load_addr;
}

/* The numbers of create_elf_tables. */
struct elf_tables {
	uint64_t interp_load_addr, e_entry, phdr_addr, vdso;
};

/* host_aux - an entry of the daemon's own auxiliary vector, as the host
 * kernel wrote it (/proc/self/auxv: glibc's getauxval rewrites AT_HWCAP
 * on x86): the simulated CPUs are the host's (hwcap, signal frame size,
 * rseq).  false when the host has no such entry. */
static bool host_aux(uint64_t type, uint64_t *v)
{
	static uint64_t auxv[2 * 64];
	static bool loaded;
	int i;

	if (!loaded) {
		FILE *f = fopen("/proc/self/auxv", "re");

		if (f) {
			if (!fread(auxv, 1, sizeof(auxv) - 2 * sizeof(auxv[0]), f))
				auxv[0] = AT_NULL;
			fclose(f);
		}
		loaded = true;
	}
	for (i = 0; auxv[i] != AT_NULL && i < 2 * 63; i += 2)
		if (auxv[i] == type) {
			*v = auxv[i + 1];
			return true;
		}
	return false;
}

/* host_aux_or0 - the host's entry, or 0. */
static uint64_t host_aux_or0(uint64_t type)
{
	uint64_t v;

	return host_aux(type, &v) ? v : 0;
}

/*
 * sigframe_size_ia32 - the AT_MINSIGSTKSZ a native i386 kernel gives on
 * the host's CPU (arch/x86/kernel/signal.c's init_sigframe_size): the
 * 32-bit struct sigframe (732 bytes; a 64-bit kernel with IA32 emulation
 * aligns it to 736), 15 bytes of frame padding, the FPU state as
 * fpu__get_fpstate_size() counts it, and 63 bytes of XSAVE alignment,
 * rounded up to 16.  The FPU state is the standard-format XSAVE area of
 * the user features the host enabled in XCR0 but PKRU (protection keys
 * need a 64-bit kernel), plus the 4-byte FP_XSTATE_MAGIC2 and the 112-byte
 * fsave header that a 32-bit frame carries; without XSAVE, the 512-byte
 * FXSAVE area (fxsr) or the 112-byte fsave one.  The CPU does not change:
 * computed at the first exec (CPUID traps to the hypervisor in a VM).
 */
static uint64_t sigframe_size_ia32(void)
{
	static uint64_t frame;
	unsigned int a, b, c, d, lo, hi, i;
	uint64_t xcr0, size;
	bool fxsr, xsave;

	if (frame)
		return frame;
	__cpuid(1, a, b, c, d);
	fxsr = d & (1U << 24);
	xsave = (c & (1U << 26)) && (c & (1U << 27));	/* XSAVE, OSXSAVE */
	size = fxsr ? 512 : 112;
	if (xsave) {
		__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
		xcr0 = ((uint64_t)hi << 32 | lo) & ~(1ULL << 9);
		size = 576;		/* legacy area and XSAVE header */
		for (i = 2; i < 64; i++) {
			if (!(xcr0 & (1ULL << i)))
				continue;
			__cpuid_count(0xd, i, a, b, c, d);
			size = MAX(size, (uint64_t)a + b);
		}
		size += 4;		/* FP_XSTATE_MAGIC2 */
	}
	if (fxsr)
		size += 112;		/* struct fregs_state */
	frame = (732 + 15 + size + 63 + 15) & ~15ULL;
	return frame;
}

/* put_word - one word of the machine's size at addr of the new stack. */
static int put_word(struct linux_binprm *bprm, uint64_t addr, uint64_t v)
{
	uint32_t v32 = (uint32_t)v;

	return bprm_write(bprm, addr, bprm->ws == 8 ? (void *)&v : (void *)&v32,
			  bprm->ws);
}

/* fill_auxv - the auxiliary vector in Linux's order; returns the words
 * used, AT_NULL included. */
static int fill_auxv(struct linux_binprm *bprm, const struct elf_tables *et,
		     uint64_t u_platform, uint64_t u_rand, uint64_t *aux)
{
	uint64_t v;
	int n = 0;

#define NEW_AUX_ENT(id, val) do { aux[n++] = (id); aux[n++] = (val); } while (0)
	if (bprm->ws == 4) {		/* ARCH_DLINFO_IA32 */
		if (et->vdso) {
			NEW_AUX_ENT(AT_SYSINFO, et->vdso + vdso_sym_vsyscall());
			NEW_AUX_ENT(AT_SYSINFO_EHDR, et->vdso);
		}
		NEW_AUX_ENT(AT_MINSIGSTKSZ, sigframe_size_ia32());
	} else {			/* x86-64's ARCH_DLINFO */
		if (et->vdso)
			NEW_AUX_ENT(AT_SYSINFO_EHDR, et->vdso);
		if (host_aux(AT_MINSIGSTKSZ, &v))
			NEW_AUX_ENT(AT_MINSIGSTKSZ, v);
	}
	NEW_AUX_ENT(AT_HWCAP, host_aux_or0(AT_HWCAP));
	NEW_AUX_ENT(AT_PAGESZ, PAGE_SIZE);
	NEW_AUX_ENT(AT_CLKTCK, 100);
	NEW_AUX_ENT(AT_PHDR, et->phdr_addr);
	NEW_AUX_ENT(AT_PHENT, bprm->ws == 8 ? sizeof(Elf64_Phdr) :
					      sizeof(Elf32_Phdr));
	NEW_AUX_ENT(AT_PHNUM, bprm->ex.e_phnum);
	NEW_AUX_ENT(AT_BASE, et->interp_load_addr);
	NEW_AUX_ENT(AT_FLAGS, 0);
	NEW_AUX_ENT(AT_ENTRY, et->e_entry);
	NEW_AUX_ENT(AT_UID, getuid());
	NEW_AUX_ENT(AT_EUID, geteuid());
	NEW_AUX_ENT(AT_GID, getgid());
	NEW_AUX_ENT(AT_EGID, getegid());
	NEW_AUX_ENT(AT_SECURE, 0);
	NEW_AUX_ENT(AT_RANDOM, u_rand);
	NEW_AUX_ENT(AT_HWCAP2, host_aux_or0(AT_HWCAP2));
	NEW_AUX_ENT(AT_EXECFN, bprm->exec);
	NEW_AUX_ENT(AT_PLATFORM, u_platform);
	if (host_aux(AT_RSEQ_FEATURE_SIZE, &v)) {
		NEW_AUX_ENT(AT_RSEQ_FEATURE_SIZE, v);
		NEW_AUX_ENT(AT_RSEQ_ALIGN, host_aux_or0(AT_RSEQ_ALIGN));
	}
	NEW_AUX_ENT(AT_NULL, 0);
#undef NEW_AUX_ENT
	return n;
}

/* put_pointers - n pointers to the consecutive strings starting at p,
 * then a NULL, from sp; returns the address after the last string. */
static int put_pointers(struct linux_binprm *bprm, uint64_t *sp, uint64_t *p,
			char *const *strs, int n)
{
	int i, err = 0;

	for (i = 0; !err && i < n; i++) {
		err = put_word(bprm, *sp, *p);
		*sp += bprm->ws;
		*p += strlen(strs[i]) + 1;
	}
	if (!err)
		err = put_word(bprm, *sp, 0);
	*sp += bprm->ws;
	return err;
}

/*
 * create_elf_tables - below the strings (Linux's create_elf_tables): the
 * platform string, 16 random bytes, then from a 16-byte aligned sp: argc,
 * argv[], NULL, envp[], NULL, the auxiliary vector.  Sets the mm's
 * arg/env bounds and bprm->p to the final stack pointer.
 */
static int create_elf_tables(struct linux_binprm *bprm,
			     const struct elf_tables *et)
{
	const char *platform = bprm->ws == 8 ? "x86_64" : "i686";
	struct mm_struct *mm = bprm->mm;
	struct vm_area_struct *stack;
	uint64_t aux[2 * MAX_AUXV], rnd[2], p, sp, u_platform, u_rand;
	int words, items, i, err;

	p = arch_align_stack(bprm->p);
	p -= strlen(platform) + 1;
	u_platform = p;
	p -= sizeof(rnd);
	u_rand = p;
	rnd[0] = get_random_u64();
	rnd[1] = get_random_u64();
	err = bprm_write(bprm, u_platform, platform, strlen(platform) + 1);
	if (!err)
		err = bprm_write(bprm, u_rand, rnd, sizeof(rnd));
	words = fill_auxv(bprm, et, u_platform, u_rand, aux);
	items = (bprm->a->argc + 1) + (bprm->envc + 1) + 1;
	sp = (p - (uint64_t)(words + items) * bprm->ws) & ~15ULL;
	stack = find_vma(mm, bprm->exec);
	if (!err && sp < stack->vm_start && expand_stack(stack, sp))
		err = bprm_too_big(bprm);
	bprm->p = sp;
	if (!err)
		err = put_word(bprm, sp, (uint64_t)bprm->a->argc);
	sp += bprm->ws;
	p = mm->arg_start;
	if (!err)
		err = put_pointers(bprm, &sp, &p, bprm->a->argv, bprm->a->argc);
	mm->arg_end = mm->env_start = p;
	if (!err)
		err = put_pointers(bprm, &sp, &p, bprm->envp, bprm->envc);
	mm->env_end = p;
	for (i = 0; !err && i < words; i++, sp += bprm->ws)
		err = put_word(bprm, sp, aux[i]);
	return err;
}

/* set_brk - where the heap starts (Linux 6.10+'s "brk" handling): after
 * bss, except for a loader run directly (ET_DYN without interpreter: ld.so,
 * static-pie), whose heap goes to ELF_ET_DYN_BASE, out of the mmap area
 * it was loaded in; with --aslr a page further past bss, then up to 32 MiB
 * up (arch_randomize_brk). */
static void set_brk(struct linux_binprm *bprm, uint64_t elf_brk)
{
	struct mm_struct *mm = bprm->mm;
	bool moved = bprm->ex.e_type == ET_DYN && !bprm->ex.interp;

	if (moved)
		elf_brk = elf_et_dyn_base(mm);
	mm->start_brk = mm->brk = PAGE_ALIGN(elf_brk);
	if (!boot_params.aslr)
		return;
	if (!moved)
		mm->start_brk += PAGE_SIZE;
	mm->brk = mm->start_brk = mm->start_brk + randomize(32ULL << 20);
}

/* load_error - an error v of the mapping phase of who as exec reports it:
 * ENOMEM is about resources (its check gave the reason); anything else
 * means the image cannot be laid out (say, a fixed segment over the
 * stack): ENOEXEC, with the mapping's reason. */
static int load_error(const struct exec_file *who, uint64_t v)
{
	if ((int64_t)v == -ENOMEM)
		return -ENOMEM;
	return exec_file_map_error(who, ENOEXEC,
				   "its segments cannot be mapped");
}

/* load_elf_binary - see elf.h. */
int load_elf_binary(struct linux_binprm *bprm)
{
	struct exec_file prog = { bprm->a->path, NULL, bprm->a->path };
	struct exec_file interp = { bprm->a->path, "interpreter",
				    bprm->interp_path };
	struct elf_info *ex = &bprm->ex;
	struct mm_struct *mm = bprm->mm;
	uint64_t load_bias = 0, start_code = ~0ULL, end_code = 0;
	uint64_t start_data = 0, end_data = 0, elf_brk = 0, k;
	struct elf_tables et = { 0 };
	bool first = true;
	int i, err;

	for (i = 0; i < ex->e_phnum; i++) {
		const struct elf_phdr *p = &ex->phdr[i];
		unsigned long type = MAP_PRIVATE;
		uint64_t total = 0, map;

		if (p->p_type != PT_LOAD)
			continue;
		if (!first) {
			type |= MAP_FIXED;
		} else if (ex->e_type == ET_EXEC) {
			type |= MAP_FIXED_NOREPLACE;
		} else {
			total = total_mapping_size(ex);
			load_bias = load_bias_for(bprm, p->p_vaddr, &type);
		}
		map = elf_load(bprm, ex->file, load_bias + p->p_vaddr, p,
			       make_prot(p->p_flags), type, total);
		if (IS_ERR_VALUE(map))
			return load_error(&prog, map);
		if (first && ex->e_type == ET_DYN)
			load_bias += map - ((load_bias + p->p_vaddr) & PAGE_MASK);
		first = false;
		if (p->p_offset <= ex->e_phoff &&
		    ex->e_phoff < p->p_offset + p->p_filesz)
			et.phdr_addr = ex->e_phoff - p->p_offset + p->p_vaddr;
		k = p->p_vaddr;
		if ((p->p_flags & PF_X) && k < start_code)
			start_code = k;
		start_data = MAX(start_data, k);
		k = p->p_vaddr + p->p_filesz;
		if ((p->p_flags & PF_X) && end_code < k)
			end_code = k;
		end_data = MAX(end_data, k);
		elf_brk = MAX(elf_brk, p->p_vaddr + p->p_memsz);
	}
	ex->load_bias = load_bias;
	et.e_entry = ex->e_entry + load_bias;
	et.phdr_addr += load_bias;
	bprm->entry = et.e_entry;
	if (ex->interp) {
		uint64_t base = load_elf_interp(bprm, load_bias);

		if (IS_ERR_VALUE(base))
			return load_error(&interp, base);
		et.interp_load_addr = base;
		bprm->entry = base + bprm->interp.e_entry;
	}
	err = map_vdso(mm, &et.vdso);
	if (!err)
		err = create_elf_tables(bprm, &et);
	if (err)
		return err;
	mm->start_code = start_code + load_bias;
	mm->end_code = end_code + load_bias;
	mm->start_data = start_data + load_bias;
	mm->end_data = end_data + load_bias;
	mm->start_stack = bprm->p;
	set_brk(bprm, elf_brk + load_bias);
	return 0;
}
