/*
 * exec.c - execve() (Linux's fs/exec.c): the new environment, the argument
 * strings at the top of a fresh stack, the binary loader, and the switch to
 * the new address space once it is complete.
 *
 * Everything is built in a new mm_struct that no task uses yet; an error at
 * any step throws it away and leaves the process as it was.  Only then does
 * the process drop its old image (Linux's point of no return, moved to the
 * end so that a failed exec changes nothing).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "kernel/errstr.h"
#include "mm/mm.h"
#include "mm/page_alloc.h"
#include "mm/memcontrol.h"
#include "mm/vma.h"
#include "mm/vmstat.h"
#include "exec/elf.h"
#include "kernel/kernel.h"
#include "kernel/trace.h"

/* exec_file_error - see elf.h. */
int exec_file_error(const struct exec_file *who, int err, const char *why)
{
	if (who->role)
		return kerror(err, "%s: %s %s: %s", who->prog, who->role,
			      who->path, why);
	if (err == ENOENT || err == ENOEXEC)
		return kerror(err, "%s (or its interpreter or a library): %s",
			      who->path, why);
	return kerror(err, "%s: %s", who->path, why);
}

/* exec_file_map_error - see elf.h. */
int exec_file_map_error(const struct exec_file *who, int err,
			const char *what)
{
	char why[ERRMAX];

	snprintf(why, sizeof(why), "%s (%s)", what, kerrstr());
	return exec_file_error(who, err, why);
}

/* cannot_exec - the reason exec cannot use who: err from filemap_open
 * (-ENOENT, -EACCES; -ENOMEM has its reason), or -EACCES when who may not
 * be executed. */
static int cannot_exec(const struct exec_file *who, int err)
{
	if (err == -ENOENT)
		return exec_file_error(who, ENOENT, "no such file");
	if (err == -EACCES)
		return exec_file_error(who, EACCES, "not a readable, executable "
				       "regular file");
	return err;
}

/* exec_open - see elf.h (Linux's do_open_execat: a regular file the
 * caller may execute). */
struct address_space *exec_open(const struct exec_file *who, int *err)
{
	struct address_space *file = filemap_open(who->path, err);

	if (!file) {
		*err = cannot_exec(who, *err);
		return NULL;
	}
	if (access(who->path, X_OK)) {
		mapping_put(file);
		*err = cannot_exec(who, -EACCES);
		return NULL;
	}
	return file;
}

/* bprm_too_big - see elf.h. */
int bprm_too_big(const struct linux_binprm *bprm)
{
	return kerror(E2BIG, "%s: arguments and environment too large",
		      bprm->a->path);
}

/* bprm_write - see elf.h.  The places written are writable memory of
 * the new image, so only a shortage of frames makes it fail (its check
 * gives the reason). */
int bprm_write(struct linux_binprm *bprm, uint64_t addr, const void *buf,
	       uint64_t len)
{
	size_t n = access_mm(bprm->mm, bprm->t, addr, (void *)buf, len, true);

	return n == len ? 0 : -ENOMEM;
}

/* env_name_len - the length of NAME in "NAME=VALUE". */
static size_t env_name_len(const char *s)
{
	const char *eq = strchr(s, '=');

	return eq ? (size_t)(eq - s) : strlen(s);
}

/* read_env - a copy of the environment block of src's process,
 * [env_start, env_end) of its stack (where exec put it), NUL-terminated.
 * 0 or -ENOMEM. */
static int read_env(struct linux_binprm *bprm, struct task_struct *src)
{
	struct mm_struct *mm = src->mm;
	uint64_t len = mm->env_end > mm->env_start ?
		       mm->env_end - mm->env_start : 0;

	bprm->envbuf = calloc(len + 1, 1);
	if (!bprm->envbuf)
		return host_enomem();
	bprm->envlen = access_mm(mm, src, mm->env_start, bprm->envbuf, len,
				 false);
	return 0;
}

/* build_env - bprm->envp: the environment of src's process with a->set
 * applied in order (a NAME already there is replaced in place, a new one
 * appended). 0 or -ENOMEM. */
static int build_env(struct linux_binprm *bprm, struct task_struct *src)
{
	const struct exec_args *a = bprm->a;
	size_t off, max = (size_t)a->nset;
	int i, j, err = read_env(bprm, src);

	if (err)
		return err;
	for (off = 0; off < bprm->envlen; off += strlen(bprm->envbuf + off) + 1)
		max++;
	bprm->envp = calloc(max + 1, sizeof(char *));
	if (!bprm->envp)
		return host_enomem();
	for (off = 0; off < bprm->envlen; off += strlen(bprm->envbuf + off) + 1)
		bprm->envp[bprm->envc++] = bprm->envbuf + off;
	for (i = 0; i < a->nset; i++) {
		size_t n = env_name_len(a->set[i]);

		for (j = 0; j < bprm->envc; j++)
			if (env_name_len(bprm->envp[j]) == n &&
			    !strncmp(bprm->envp[j], a->set[i], n))
				break;
		bprm->envp[j] = a->set[i];
		if (j == bprm->envc)
			bprm->envc++;
	}
	return 0;
}

/* arch_align_stack - see elf.h. */
uint64_t arch_align_stack(uint64_t sp)
{
	if (boot_params.aslr)
		sp -= get_random_u64() % 8192;
	return sp & ~15ULL;
}

/* bprm_stack_limits - how low the strings may go (Linux's
 * bprm_stack_limits: a quarter of RLIMIT_STACK, at most 3/4 of 8 MiB, at
 * least ARG_MAX, less the pointer arrays). -E2BIG when even those do not
 * fit. */
static int bprm_stack_limits(struct linux_binprm *bprm)
{
	uint64_t limit = MIN(6ULL << 20, sysctl_vm.rlimit_stack / 4), ptrs;

	limit = MAX(limit, (uint64_t)ARG_MAX_BYTES);
	ptrs = (uint64_t)(MAX(bprm->a->argc, 1) + bprm->envc) * bprm->ws;
	if (limit <= ptrs)
		return bprm_too_big(bprm);
	bprm->argmin = bprm->p - (limit - ptrs);
	return 0;
}

/* place_string - reserve room for s below bprm->p. -E2BIG past the
 * limits. */
static int place_string(struct linux_binprm *bprm, const char *s)
{
	uint64_t len = strlen(s) + 1;

	if (len > MAX_ARG_STRLEN || bprm->p - bprm->argmin < len)
		return bprm_too_big(bprm);
	bprm->p -= len;
	return 0;
}

/* place_strings - the layout of copy_strings: below the top word, the
 * file name, then the environment and the arguments, each list from its
 * last string down.  Returns 0 with bprm->p at argv[0], or -E2BIG. */
static int place_strings(struct linux_binprm *bprm, uint64_t top)
{
	const struct exec_args *a = bprm->a;
	int i, err;

	bprm->p = top - bprm->ws;
	err = bprm_stack_limits(bprm);
	if (!err)
		err = place_string(bprm, a->path);
	bprm->exec = bprm->p;
	for (i = bprm->envc - 1; !err && i >= 0; i--)
		err = place_string(bprm, bprm->envp[i]);
	for (i = a->argc - 1; !err && i >= 0; i--)
		err = place_string(bprm, a->argv[i]);
	return err;
}

/* write_strings - copy the strings where place_strings put them. */
static int write_strings(struct linux_binprm *bprm)
{
	const struct exec_args *a = bprm->a;
	uint64_t p = bprm->p;
	int i, err = 0;

	for (i = 0; !err && i < a->argc; i++) {
		err = bprm_write(bprm, p, a->argv[i], strlen(a->argv[i]) + 1);
		p += strlen(a->argv[i]) + 1;
	}
	for (i = 0; !err && i < bprm->envc; i++) {
		err = bprm_write(bprm, p, bprm->envp[i],
				 strlen(bprm->envp[i]) + 1);
		p += strlen(bprm->envp[i]) + 1;
	}
	if (!err)
		err = bprm_write(bprm, bprm->exec, a->path, strlen(a->path) + 1);
	return err;
}

/* setup_arg_pages - the [stack] of the new image: the pages the strings
 * use plus 128 KiB below them, within RLIMIT_STACK (Linux's
 * setup_arg_pages), executable if PT_GNU_STACK asks. */
static int setup_arg_pages(struct linux_binprm *bprm, uint64_t top)
{
	uint64_t used = top - (bprm->p & PAGE_MASK);
	uint64_t size = MIN(sysctl_vm.rlimit_stack & PAGE_MASK,
			    used + 128 * 1024);

	size = MAX(size, used);
	return setup_stack(bprm->mm, top - size, top,
			   bprm->ex.exec_stack ? VM_EXEC : 0);
}

/* open_images - the file and its interpreter, headers read and checked. */
static int open_images(struct linux_binprm *bprm)
{
	struct exec_file prog = { bprm->a->path, NULL, bprm->a->path };
	struct exec_file interp = { bprm->a->path, "interpreter", NULL };
	int err;

	bprm->ex.file = exec_open(&prog, &err);
	if (!bprm->ex.file)
		return err;
	err = elf_read_info(bprm->ex.file, &bprm->ex, &prog);
	if (err || !bprm->ex.interp)
		return err;
	bprm->interp_path = elf_interp_path(&bprm->ex, &prog, &err);
	if (!bprm->interp_path)
		return err;
	interp.path = bprm->interp_path;
	bprm->interp.file = exec_open(&interp, &err);
	if (!bprm->interp.file)
		return err;
	return elf_read_info(bprm->interp.file, &bprm->interp, &interp);
}

/* bprm_free - drop what the exec holds (the new mm too, unless taken). */
static void bprm_free(struct linux_binprm *bprm)
{
	if (bprm->mm)
		mmput(bprm->mm);
	elf_free_info(&bprm->ex);
	elf_free_info(&bprm->interp);
	free(bprm->interp_path);
	free(bprm->envp);
	free(bprm->envbuf);
}

/* bprm_build - the whole new image in bprm->mm, with the environment of
 * src's process. 0 or -errno (bprm_free undoes everything). */
static int bprm_build(struct linux_binprm *bprm, struct task_struct *src)
{
	uint64_t top;
	int err;

	bprm->ws = kernel_is_64bit() ? 8 : 4;
	err = build_env(bprm, src);
	if (!err)
		err = open_images(bprm);
	if (err)
		return err;
	bprm->mm = mm_alloc();
	if (!bprm->mm)
		return -ENOMEM;
	bprm->mm->memcg = mem_cgroup_of_task(src);
	bprm->mm->exe_path = strdup(bprm->ex.file->name);
	if (!bprm->mm->exe_path)
		return host_enomem();
	top = PAGE_ALIGN(arch_align_stack(bprm->mm->task_size -
					  randomize(stack_rnd_range())));
	err = place_strings(bprm, top);
	if (!err)
		err = setup_arg_pages(bprm, top);
	if (!err)
		err = write_strings(bprm);
	if (!err) {
		bprm->mm->arg_start = bprm->p;
		err = load_elf_binary(bprm);
	}
	if (!err && (bprm->a->flags & EXEC_LINK))
		err = link_needed(bprm);
	return err;
}

/* exec_commit - t's process takes the new image (Linux's begin_new_exec
 * and exec_mmap): other threads go, the old mm is dropped, comm becomes
 * the file's base name. */
static void exec_commit(struct task_struct *t, struct linux_binprm *bprm)
{
	const char *base = strrchr(bprm->a->path, '/');

	exec_mmap(t, bprm->mm);
	bprm->mm = NULL;
	task_set_comm(t, base ? base + 1 : bprm->a->path);
	count_vm_event(MMUFS_EXEC);
	trace_cur_pid = t->pid;
	trace_emit(TRACE_EXEC, bprm->entry, 0, 0);
}

/* exec_prepare - build the image for t (whose faults it counts) with the
 * environment of env_src's process. */
static int exec_prepare(struct linux_binprm *bprm, struct task_struct *t,
			struct task_struct *env_src, const struct exec_args *a)
{
	memset(bprm, 0, sizeof(*bprm));
	bprm->a = a;
	bprm->t = t;
	if (a->argc < 1 || a->argv[0] != a->path)
		return kerror(EINVAL, "argv[0] must be the path");
	return bprm_build(bprm, env_src);
}

/* do_execve - see binfmts.h.  A thread execs for its whole group: the
 * leader keeps the pid and takes the image.  While the image is built,
 * the OOM killer may choose the process but only marks it (oom_busy_mm,
 * as for fork): the exec fails and the process dies once it has unwound,
 * rather than a zombie taking the new image. */
uint64_t do_execve(struct task_struct *t, const struct exec_args *a,
		   int *err)
{
	struct linux_binprm bprm;
	uint64_t entry = 0;

	*err = task_can_syscall(t);
	if (*err)
		return 0;
	t = t->group_leader;
	oom_busy_mm = t->mm;
	*err = exec_prepare(&bprm, t, t, a);
	oom_busy_mm = NULL;
	if (t->pending_signal)
		*err = kerror(ENOMEM, OOM_CHOSEN);
	if (!*err) {
		entry = bprm.entry;
		exec_commit(t, &bprm);
	}
	bprm_free(&bprm);
	deliver_pending_signals();
	return entry;
}

/* do_spawn - see binfmts.h. */
struct task_struct *do_spawn(struct task_struct *parent,
			     const struct exec_args *a, int *err)
{
	struct linux_binprm bprm;
	struct task_struct *c;
	int pid;

	*err = task_can_syscall(parent);
	if (*err)
		return NULL;
	pid = alloc_pid();
	if (pid < 0) {
		*err = kerror(EAGAIN, "spawn: no free pid");
		return NULL;
	}
	c = dup_task_struct(parent);
	if (!c) {
		*err = -ENOMEM;
		return NULL;
	}
	*err = exec_prepare(&bprm, c, parent, a);
	if (!*err && alloc_thread_stack_node(c))	/* once exec may go on */
		*err = kerror(ENOMEM, "spawn: no frames for a kernel stack");
	if (*err) {
		bprm_free(&bprm);
		free_task_struct(c);
		deliver_pending_signals();
		return NULL;
	}
	attach_child(parent, c, pid);
	exec_commit(c, &bprm);
	bprm_free(&bprm);
	deliver_pending_signals();
	return c;
}
