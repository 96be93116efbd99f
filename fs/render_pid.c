/*
 * render_pid.c - the per-process files of the tree (MNT/<pid>/ and
 * MNT/<pid>/task/<tid>/): maps, smaps, smaps_rollup, status, stat, statm,
 * cmdline, comm, environ, pagemap, and mmufs's own pagetable and mm.
 *
 * The procfs formats follow docs/procfs-formats.md byte for byte (Linux
 * 6.18's fs/proc/task_mmu.c, fs/proc/array.c and fs/proc/base.c, read to
 * understand, not copied).  Every value comes from the simulation: the
 * vmas, the page tables in simulated RAM, the struct pages and the
 * mm_struct counters.  The simulated kernel is configured as the
 * reference 6.18 kernel: without CONFIG_MEM_SOFT_DIRTY (VmFlags never
 * shows "sd", pagemap bit 55 stays clear; the code follows Linux's and
 * would show them if VM_SOFTDIRTY were defined), without THP or
 * protection keys.  In the 2-level (i386) mode the text is what a 32-bit kernel
 * prints: 8-digit addresses, the maps name column at 49, a 32-bit
 * RLIM_INFINITY, no untag_mask line.
 *
 * A task argument may be a process leader or a thread.  Like
 * /proc/PID/stat, a leader's fault counts are those of its whole thread
 * group (live threads plus what exited threads left to the leader); a
 * non-leader thread shows its own, as /proc/PID/task/TID/stat does.
 * Kernel threads and zombies have no mm here (Linux's get_task_mm).
 *
 * Callers hold the machine lock; nothing here changes the machine.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include "render.h"
#include "hw/cpu.h"
#include "kernel/kernel.h"
#include "mm/mm.h"
#include "mm/page_alloc.h"
#include "mm/pagewalk.h"
#include "mm/pgtable.h"
#include "mm/vma.h"
#include "mm/vmstat.h"
#include "kernel/time.h"
#include "mm/swap.h"
#include "mm/vmalloc.h"

#define PSS_SHIFT	12		/* fixed point of the PSS sums */
#define KB(pages)	((uint64_t)(pages) << (PAGE_SHIFT - 10))

/* pagemap entry bits (Linux's PM_*). */
#define PM_PFRAME_MASK	((1ULL << 55) - 1)
#define PM_SOFT_DIRTY	(1ULL << 55)
#define PM_MMAP_EXCLUSIVE (1ULL << 56)
#define PM_UFFD_WP	(1ULL << 57)
#define PM_FILE		(1ULL << 61)
#define PM_SWAP		(1ULL << 62)
#define PM_PRESENT	(1ULL << 63)
#define PM_ENTRY_BYTES	8

/* ---- common helpers ---- */

/* task_mm - see render.h. */
struct mm_struct *task_mm(const struct task_struct *t)
{
	if (t->kthread || t->exit_state == EXIT_ZOMBIE)
		return NULL;
	return t->mm;
}

/* task_parent - the process t's process reports as its parent (a thread
 * asks its leader: only the leader is re-parented on exit), or NULL. */
static struct task_struct *task_parent(const struct task_struct *t)
{
	return t->group_leader->real_parent;
}

/* task_ppid - PPid / stat field 4: the parent's tgid, 0 for init and
 * kthreadd (they have no parent). */
static int task_ppid(const struct task_struct *t)
{
	struct task_struct *p = task_parent(t);

	return p ? p->tgid : 0;
}

/* task_letter - the state letter of t: task_state(), and T for every
 * thread of a stopped group. */
static char task_letter(const struct task_struct *t)
{
	char c = task_state(t);

	if ((c == 'R' || c == 'S') && t->group_leader->stopped)
		return 'T';
	return c;
}

/* state_name - the status State: text for a state letter. */
static const char *state_name(char c)
{
	switch (c) {
	case 'R': return "R (running)";
	case 'S': return "S (sleeping)";
	case 'D': return "D (disk sleep)";
	case 'T': return "T (stopped)";
	case 't': return "t (tracing stop)";
	case 'X': return "X (dead)";
	case 'Z': return "Z (zombie)";
	case 'P': return "P (parked)";
	case 'I': return "I (idle)";
	}
	return "S (sleeping)";
}

/* Fault counts and times of a task as stat, status and schedstat show
 * them. */
struct task_usage {
	uint64_t min_flt, maj_flt;
	uint64_t outcome[NR_FAULT_OUTCOMES];
	uint64_t utime, stime, blkio_delay;	/* ns */
};

/* add_task_usage - f += t's own counts. */
static void add_task_usage(struct task_usage *f, const struct task_struct *t)
{
	int i;

	f->min_flt += t->min_flt;
	f->maj_flt += t->maj_flt;
	f->utime += t->utime;
	f->stime += t->stime;
	f->blkio_delay += t->blkio_delay;
	for (i = 0; i < NR_FAULT_OUTCOMES; i++)
		f->outcome[i] += t->fault_counts[i];
}

/* task_faults - the counts for t (do_task_stat's `whole`): a leader sums
 * its live threads onto what it accumulated (its own faults plus those of
 * exited threads); a non-leader thread has its own only. */
static void task_usage(const struct task_struct *t, struct task_usage *f)
{
	struct list_head *l;

	memset(f, 0, sizeof(*f));
	add_task_usage(f, t);
	if (!thread_group_leader(t))
		return;
	list_for_each(l, &t->thread_group)
		add_task_usage(f, list_entry(l, struct task_struct,
					      thread_node));
}

/* seq_put_escaped - str with each byte of `esc` shown as a backslash and
 * three octal digits (Linux's mangle_path, used by seq_file_path). */
static void seq_put_escaped(struct seq *s, const char *str, const char *esc)
{
	for (; *str; str++) {
		if (strchr(esc, *str))
			seq_printf(s, "\\%03o", (unsigned char)*str);
		else
			seq_putc(s, *str);
	}
}

/* ---- maps (show_map_vma) ---- */

/* maps_width - where the header of a maps line ends before the name
 * column: 25 + 6 * sizeof(void *) - 1 (Linux's seq_setwidth in
 * show_vma_header_prefix). */
static size_t maps_width(void)
{
	return kernel_is_64bit() ? 72 : 48;
}

/* show_vma_header - "START-END PERMS OFFSET MAJ:MIN INODE " (Linux's
 * show_vma_header_prefix; the trailing blank is part of the format). */
static void show_vma_header(struct seq *s, uint64_t start, uint64_t end,
			    uint64_t flags, uint64_t offset, unsigned int major,
			    unsigned int minor, uint64_t ino)
{
	char perms[6] = {
		' ', flags & VM_READ ? 'r' : '-', flags & VM_WRITE ? 'w' : '-',
		flags & VM_EXEC ? 'x' : '-', flags & VM_MAYSHARE ? 's' : 'p', ' '
	};

	seq_put_hex(s, start, 8);
	seq_putc(s, '-');
	seq_put_hex(s, end, 8);
	seq_write(s, perms, sizeof(perms));
	seq_put_hex(s, offset, 8);
	seq_putc(s, ' ');
	seq_put_hex(s, major, 2);
	seq_putc(s, ':');
	seq_put_hex(s, minor, 2);
	seq_putc(s, ' ');
	seq_put_dec(s, ino, 0);
	seq_putc(s, ' ');
}

/* vma_is_initial_heap - does vma overlap the brk area [start_brk, brk)
 * (Linux's vma_is_initial_heap, strict since 6.7)? */
static bool vma_is_initial_heap(const struct vm_area_struct *vma)
{
	return vma->vm_start < vma->vm_mm->brk &&
	       vma->vm_end > vma->vm_mm->start_brk;
}

/* vma_is_initial_stack - does vma hold the main thread's start_stack
 * (Linux's vma_is_initial_stack; both ends inclusive)? */
static bool vma_is_initial_stack(const struct vm_area_struct *vma)
{
	return vma->vm_start <= vma->vm_mm->start_stack &&
	       vma->vm_end >= vma->vm_mm->start_stack;
}

/* vma_special_name - the special mapping's name ("[vdso]"...), "[heap]",
 * "[stack]" or NULL for an anonymous vma (the tail of Linux's
 * get_vma_name). */
static const char *vma_special_name(const struct vm_area_struct *vma)
{
	if (vma->vm_special)
		return vma->vm_special->name;
	if (vma_is_initial_heap(vma))
		return "[heap]";
	if (vma_is_initial_stack(vma))
		return "[stack]";
	return NULL;
}

/* vma_name - see render.h. */
const char *vma_name(const struct vm_area_struct *vma)
{
	return vma->vm_file ? vma->vm_file->name : vma_special_name(vma);
}

/*
 * show_map_vma - one maps line for vma (Linux's show_map_vma): a file or
 * shmem vma shows its object's device, inode, byte offset and name
 * (shmem: dev 00:01, the object's id as inode); an anonymous vma shows
 * 00:00 0, offset 0 and possibly [heap] or [stack].  The name starts at
 * column maps_width() + 1; without a name the line ends in a blank.
 */
static void show_map_vma(struct seq *s, const struct vm_area_struct *vma)
{
	const struct address_space *file = vma->vm_file;
	const char *name = NULL;

	if (file) {
		show_vma_header(s, vma->vm_start, vma->vm_end, vma->vm_flags,
				vma->vm_pgoff << PAGE_SHIFT, file->dev_major,
				file->dev_minor, file->id);
		seq_pad(s, maps_width());
		seq_put_escaped(s, file->name, "\n");
		seq_putc(s, '\n');
		return;
	}
	show_vma_header(s, vma->vm_start, vma->vm_end, vma->vm_flags, 0, 0, 0,
			0);
	name = vma_special_name(vma);
	if (name) {
		seq_pad(s, maps_width());
		seq_puts(s, name);
	}
	seq_putc(s, '\n');
}

/* The x86-64 gate area (Linux's gate_vma, vsyscall=xonly): one
 * execute-only page above every address space, outside the mm's vmas, at
 * the same address in every process.  32-bit paging has none. */
#define GATE_START	0xffffffffff600000ULL
#define GATE_FLAGS	VM_EXEC

static bool has_gate_vma(void)
{
	return kernel_is_64bit();
}

/* show_gate_vma - the [vsyscall] line of maps and smaps. */
static void show_gate_vma(struct seq *s)
{
	show_vma_header(s, GATE_START, GATE_START + PAGE_SIZE, GATE_FLAGS, 0, 0,
			0, 0);
	seq_pad(s, maps_width());
	seq_puts(s, "[vsyscall]\n");
}

/* render_maps - /proc/PID/maps: one show_map_vma line per vma in address
 * order, then the gate area; empty for kernel threads and zombies. */
void render_maps(struct seq *s, struct task_struct *t)
{
	struct mm_struct *mm = task_mm(t);
	struct vm_area_struct *vma;

	if (!mm)
		return;
	for (vma = mm->mmap; vma; vma = vma->vm_next)
		show_map_vma(s, vma);
	if (has_gate_vma())
		show_gate_vma(s);
}

/* ---- smaps (smaps_pte_entry, smaps_account, __show_smap) ---- */

/* The sums of one vma or of a whole mm (Linux's mem_size_stats): sizes
 * in bytes, pss_* in bytes << PSS_SHIFT. */
struct mem_size_stats {
	uint64_t resident, shared_clean, shared_dirty, private_clean,
		 private_dirty, referenced, anonymous, lazyfree, ksm,
		 anonymous_thp, shmem_thp, file_thp, swap, shared_hugetlb,
		 private_hugetlb;
	uint64_t pss, pss_dirty, pss_anon, pss_file, pss_shmem, pss_locked,
		 swap_pss;
};

struct smaps_walk {
	struct vm_area_struct *vma;
	struct mem_size_stats *mss;
};

/*
 * smaps_page_accumulate - add one page's share (Linux's
 * smaps_page_accumulate): pss goes to Pss and to the Pss_* of its kind,
 * the page's size to Shared_* or Private_*, dirty if the entry or the
 * page is.
 */
static void smaps_page_accumulate(struct mem_size_stats *mss,
				  const struct page *page, uint64_t pss,
				  bool dirty, bool locked, bool private)
{
	mss->pss += pss;
	if (PageAnon(page))
		mss->pss_anon += pss;
	else if (PageFlag(page, PG_swapbacked))
		mss->pss_shmem += pss;
	else
		mss->pss_file += pss;
	if (locked)
		mss->pss_locked += pss;
	if (dirty || PageFlag(page, PG_dirty)) {
		mss->pss_dirty += pss;
		if (private)
			mss->private_dirty += PAGE_SIZE;
		else
			mss->shared_dirty += PAGE_SIZE;
	} else {
		if (private)
			mss->private_clean += PAGE_SIZE;
		else
			mss->shared_clean += PAGE_SIZE;
	}
}

/*
 * smaps_account - account one mapped base page (Linux's smaps_account):
 * resident, anonymous (and lazyfree: anon but not swap-backed and clean),
 * referenced from the entry's A bit or PG_referenced; a page with a single
 * reference is private with its whole size as PSS, otherwise PSS is
 * PAGE_SIZE/mapcount in fixed point and the page is private only when
 * mapped once.
 */
static void smaps_account(struct mem_size_stats *mss, const struct page *page,
			  bool young, bool dirty, bool locked)
{
	uint64_t pss = (uint64_t)PAGE_SIZE << PSS_SHIFT;
	int mapcount;

	if (PageAnon(page)) {
		mss->anonymous += PAGE_SIZE;
		if (!PageFlag(page, PG_swapbacked) && !dirty &&
		    !PageFlag(page, PG_dirty))
			mss->lazyfree += PAGE_SIZE;
	}
	mss->resident += PAGE_SIZE;
	if (young || PageFlag(page, PG_referenced))
		mss->referenced += PAGE_SIZE;
	if (page->refcount == 1) {
		smaps_page_accumulate(mss, page, pss, dirty, locked, true);
		return;
	}
	mapcount = page->mapcount;
	if (mapcount >= 2)
		pss /= (uint64_t)mapcount;
	smaps_page_accumulate(mss, page, pss, dirty, locked, mapcount < 2);
}

/* smaps_swap - a swap entry: Swap gets the page, SwapPss its share among
 * the entries that refer to the slot (Linux's smaps_pte_entry). */
static void smaps_swap(struct mem_size_stats *mss, swp_entry_t e)
{
	uint32_t count = swap_count(e);

	mss->swap += PAGE_SIZE;
	if (count >= 2)
		mss->swap_pss += ((uint64_t)PAGE_SIZE << PSS_SHIFT) / count;
	else
		mss->swap_pss += (uint64_t)PAGE_SIZE << PSS_SHIFT;
}

/* smaps_pte_entry - pte_entry of the smaps walk (Linux's
 * smaps_pte_entry): a present entry (PROT_NONE included) with a normal
 * page is accounted, and a swap entry; none entries and the zero page
 * are not. */
static int smaps_pte_entry(struct pte_ref ref, uint64_t addr, uint64_t next,
			   struct mm_walk *walk)
{
	struct smaps_walk *w = walk->private;
	pte_t pte = pte_read(ref);
	struct page *page;

	if (is_swap_pte(pte)) {
		smaps_swap(w->mss, pte_to_swp_entry(pte));
		return 0;
	}
	if (!pte_present(pte))
		return 0;
	page = vm_normal_page(w->vma, addr, pte);
	if (!page)
		return 0;
	smaps_account(w->mss, page, pte_young(pte), pte_dirty(pte),
		      w->vma->vm_flags & VM_LOCKED);
	return 0;
}

static const struct mm_walk_ops smaps_walk_ops = {
	.pte_entry = smaps_pte_entry,
};

/* smap_gather_stats - add vma's pages to mss (Linux's smap_gather_stats)
 * by walking the page tables that cover it; a shared shmem vma's Swap is
 * its object's pages in swap over its range (shmem_swap_usage), as
 * Linux counts it. */
static void smap_gather_stats(struct vm_area_struct *vma,
			      struct mem_size_stats *mss)
{
	struct smaps_walk w = { vma, mss };

	if (vma->vm_flags & VM_SHARED)
		mss->swap += shmem_swap_usage(vma) << PAGE_SHIFT;
	walk_page_range(vma->vm_mm, vma->vm_start, vma->vm_end,
			&smaps_walk_ops, &w);
}

/* smap_value - one smaps line, "Key:" left-justified in 16 columns and the
 * value right-aligned in 8 (a 16-character key gets one blank and 7
 * columns, as Linux's "Private_Hugetlb: " does); unit " kB" or none. */
static void smap_value(struct seq *s, const char *key, uint64_t v,
		       const char *unit)
{
	size_t n = strlen(key);

	seq_write(s, key, n);
	if (n >= 16) {
		seq_putc(s, ' ');
		seq_put_dec(s, v, 7);
	} else {
		seq_write(s, "                ", 16 - n);
		seq_put_dec(s, v, 8);
	}
	seq_puts(s, unit);
	seq_putc(s, '\n');
}

/* smap_kb - a smaps line for a byte count, in kB. */
static void smap_kb(struct seq *s, const char *key, uint64_t bytes)
{
	smap_value(s, key, bytes >> 10, " kB");
}

/*
 * show_smap_fields - the fields from Rss: to Locked: (Linux's
 * __show_smap); rollup adds Pss_Anon, Pss_File and Pss_Shmem after
 * Pss_Dirty.  PSS sums are truncated to bytes, then to kB, only here.
 */
static void show_smap_fields(struct seq *s, const struct mem_size_stats *mss,
			     bool rollup)
{
	smap_kb(s, "Rss:", mss->resident);
	smap_kb(s, "Pss:", mss->pss >> PSS_SHIFT);
	smap_kb(s, "Pss_Dirty:", mss->pss_dirty >> PSS_SHIFT);
	if (rollup) {
		smap_kb(s, "Pss_Anon:", mss->pss_anon >> PSS_SHIFT);
		smap_kb(s, "Pss_File:", mss->pss_file >> PSS_SHIFT);
		smap_kb(s, "Pss_Shmem:", mss->pss_shmem >> PSS_SHIFT);
	}
	smap_kb(s, "Shared_Clean:", mss->shared_clean);
	smap_kb(s, "Shared_Dirty:", mss->shared_dirty);
	smap_kb(s, "Private_Clean:", mss->private_clean);
	smap_kb(s, "Private_Dirty:", mss->private_dirty);
	smap_kb(s, "Referenced:", mss->referenced);
	smap_kb(s, "Anonymous:", mss->anonymous);
	smap_kb(s, "KSM:", mss->ksm);
	smap_kb(s, "LazyFree:", mss->lazyfree);
	smap_kb(s, "AnonHugePages:", mss->anonymous_thp);
	smap_kb(s, "ShmemPmdMapped:", mss->shmem_thp);
	smap_kb(s, "FilePmdMapped:", mss->file_thp);
	smap_kb(s, "Shared_Hugetlb:", mss->shared_hugetlb);
	smap_kb(s, "Private_Hugetlb:", mss->private_hugetlb);
	smap_kb(s, "Swap:", mss->swap);
	smap_kb(s, "SwapPss:", mss->swap_pss >> PSS_SHIFT);
	smap_kb(s, "Locked:", mss->pss_locked >> PSS_SHIFT);
}

/* The VmFlags mnemonics of bits 0..31 in bit order (Linux's
 * show_smap_vma_flags; bit 24 is x86's "ar"; bit 27 would be "sd" with
 * CONFIG_MEM_SOFT_DIRTY, which the reference kernel lacks). */
static const char vm_flag_codes[32][3] = {
	"rd", "wr", "ex", "sh", "mr", "mw", "me", "ms",
	"gd", "um", "pf", "gu", "uw", "lo", "io", "sr",
	"rr", "dc", "de", "lf", "ac", "nr", "ht", "sf",
	"ar", "wf", "dd", "", "mm", "hg", "nh", "mg",
};

/* show_smap_vma_flags - "VmFlags: " and each set flag's code followed by
 * a blank, in bit order (the line ends in a blank). */
static void show_smap_vma_flags(struct seq *s, uint64_t flags)
{
	unsigned int i;

	seq_puts(s, "VmFlags: ");
	for (i = 0; i < 32; i++)
		if ((flags & (1ULL << i)) && vm_flag_codes[i][0])
			seq_printf(s, "%s ", vm_flag_codes[i]);
	seq_putc(s, '\n');
}

/*
 * show_smap - one vma's smaps block (Linux's show_smap): the maps line,
 * Size/KernelPageSize/MMUPageSize, the gathered fields, THPeligible (0:
 * the simulation has no THP) and VmFlags.  No ProtectionKey line (no PKU).
 */
static void show_smap(struct seq *s, struct vm_area_struct *vma)
{
	struct mem_size_stats mss;

	memset(&mss, 0, sizeof(mss));
	smap_gather_stats(vma, &mss);
	show_map_vma(s, vma);
	smap_kb(s, "Size:", vma->vm_end - vma->vm_start);
	smap_kb(s, "KernelPageSize:", PAGE_SIZE);
	smap_kb(s, "MMUPageSize:", PAGE_SIZE);
	show_smap_fields(s, &mss, false);
	smap_value(s, "THPeligible:", 0, "");
	show_smap_vma_flags(s, vma->vm_flags);
}

/* show_gate_smap - the gate area's smaps block: no page of it is in the
 * process's page tables, so every count is 0. */
static void show_gate_smap(struct seq *s)
{
	struct mem_size_stats mss;

	memset(&mss, 0, sizeof(mss));
	show_gate_vma(s);
	smap_kb(s, "Size:", PAGE_SIZE);
	smap_kb(s, "KernelPageSize:", PAGE_SIZE);
	smap_kb(s, "MMUPageSize:", PAGE_SIZE);
	show_smap_fields(s, &mss, false);
	smap_value(s, "THPeligible:", 0, "");
	show_smap_vma_flags(s, GATE_FLAGS);
}

/* render_smaps - /proc/PID/smaps: show_smap for every vma, then the gate
 * area; empty for kernel threads and zombies. */
void render_smaps(struct seq *s, struct task_struct *t)
{
	struct mm_struct *mm = task_mm(t);
	struct vm_area_struct *vma;

	if (!mm)
		return;
	for (vma = mm->mmap; vma; vma = vma->vm_next)
		show_smap(s, vma);
	if (has_gate_vma())
		show_gate_smap(s);
}

/* ---- numa_maps (gather_stats, gather_pte_stats, show_numa_map) ---- */

/* The pages of one vma (Linux's struct numa_maps). */
struct numa_maps {
	uint64_t pages, anon, active, writeback, mapcount_max, dirty,
		 swapcache;
	uint64_t node[MAX_NUMNODES];
};

struct numa_walk {
	struct vm_area_struct *vma;
	struct numa_maps *md;
};

/* gather_pte_stats - pte_entry of the numa_maps walk (Linux's
 * gather_pte_stats and gather_stats): each present entry with a normal
 * page counts it, dirty from the entry or the page, anon, active (or
 * unevictable), in the swap cache, its mapcount's maximum, and its node.
 * No page is ever under writeback here (writeback is synchronous). */
static int gather_pte_stats(struct pte_ref ref, uint64_t addr,
			    uint64_t next, struct mm_walk *walk)
{
	struct numa_walk *w = walk->private;
	struct numa_maps *md = w->md;
	pte_t pte = pte_read(ref);
	struct page *page;

	(void)next;
	if (!pte_present(pte))
		return 0;
	page = vm_normal_page(w->vma, addr, pte);
	if (!page || PageReserved(page))
		return 0;
	md->pages++;
	if (pte_dirty(pte) || PageFlag(page, PG_dirty))
		md->dirty++;
	if (PageSwapCache(page))
		md->swapcache++;
	if (PageFlag(page, PG_active) || PageFlag(page, PG_unevictable))
		md->active++;
	if (PageAnon(page))
		md->anon++;
	if ((uint64_t)page->mapcount > md->mapcount_max)
		md->mapcount_max = (uint64_t)page->mapcount;
	md->node[page_to_nid(page)]++;
	return 0;
}

static const struct mm_walk_ops numa_walk_ops = {
	.pte_entry = gather_pte_stats,
};

/* show_numa_map - one numa_maps line (Linux's show_numa_map): the start,
 * the policy ("default": the simulation has no mempolicy), the file (its
 * path escaped as seq_path does) or heap or stack, then the counts that
 * are not zero and the page size. */
static void show_numa_map(struct seq *s, struct vm_area_struct *vma)
{
	struct numa_maps md;
	struct numa_walk w = { vma, &md };
	int nid;

	memset(&md, 0, sizeof(md));
	seq_printf(s, "%08" PRIx64 " default", vma->vm_start);
	if (vma->vm_file) {
		seq_puts(s, " file=");
		seq_put_escaped(s, vma->vm_file->name, "\n\t= ");
	} else if (vma_is_initial_heap(vma)) {
		seq_puts(s, " heap");
	} else if (vma_is_initial_stack(vma)) {
		seq_puts(s, " stack");
	}
	walk_page_range(vma->vm_mm, vma->vm_start, vma->vm_end,
			&numa_walk_ops, &w);
	if (md.pages) {
		if (md.anon)
			seq_printf(s, " anon=%" PRIu64, md.anon);
		if (md.dirty)
			seq_printf(s, " dirty=%" PRIu64, md.dirty);
		if (md.pages != md.anon && md.pages != md.dirty)
			seq_printf(s, " mapped=%" PRIu64, md.pages);
		if (md.mapcount_max > 1)
			seq_printf(s, " mapmax=%" PRIu64, md.mapcount_max);
		if (md.swapcache)
			seq_printf(s, " swapcache=%" PRIu64, md.swapcache);
		if (md.active < md.pages)
			seq_printf(s, " active=%" PRIu64, md.active);
		for (nid = 0; nid < nr_online_nodes; nid++)
			if (md.node[nid])
				seq_printf(s, " N%d=%" PRIu64, nid,
					   md.node[nid]);
		seq_printf(s, " kernelpagesize_kB=%lu", PAGE_SIZE >> 10);
	}
	seq_putc(s, '\n');
}

/* render_numa_maps - /proc/PID/numa_maps: a show_numa_map line per vma;
 * empty for kernel threads and zombies. */
void render_numa_maps(struct seq *s, struct task_struct *t)
{
	struct mm_struct *mm = task_mm(t);
	struct vm_area_struct *vma;

	if (!mm)
		return;
	for (vma = mm->mmap; vma; vma = vma->vm_next)
		show_numa_map(s, vma);
}

/*
 * render_smaps_rollup - /proc/PID/smaps_rollup (Linux's
 * show_smaps_rollup): a "[rollup]" header spanning the first vma's start
 * to the last vma's end (00000000-00000000 without vmas), perms ---p, then
 * the fields summed over every vma before any truncation.  -ESRCH for
 * kernel threads and zombies.
 */
int render_smaps_rollup(struct seq *s, struct task_struct *t)
{
	struct mm_struct *mm = task_mm(t);
	struct mem_size_stats mss;
	struct vm_area_struct *vma;
	uint64_t start = 0, end = 0;

	if (!mm)
		return -ESRCH;
	memset(&mss, 0, sizeof(mss));
	if (mm->mmap)
		start = mm->mmap->vm_start;
	for (vma = mm->mmap; vma; vma = vma->vm_next) {
		smap_gather_stats(vma, &mss);
		end = vma->vm_end;
	}
	show_vma_header(s, start, end, 0, 0, 0, 0, 0);
	seq_pad(s, maps_width());
	seq_puts(s, "[rollup]\n");
	show_smap_fields(s, &mss, true);
	return 0;
}

/* ---- status (proc_pid_status) ---- */

/* seq_task_name - comm with '\n' and '\\' escaped as "\n" and "\\"
 * (Linux's proc_task_name with escape, for status Name:). */
static void seq_task_name(struct seq *s, const struct task_struct *t)
{
	const char *c;

	for (c = t->comm; *c && c < t->comm + TASK_COMM_LEN; c++) {
		if (*c == '\n')
			seq_puts(s, "\\n");
		else if (*c == '\\')
			seq_puts(s, "\\\\");
		else
			seq_putc(s, *c);
	}
}

/* task_pgrp - process group and session (stat 5/6, NSpgid/NSsid): user
 * processes belong to init's session (init is its leader, 1); kernel
 * threads to none (0). */
static int task_pgrp(const struct task_struct *t)
{
	return t->kthread ? 0 : 1;
}

/*
 * status_task_state - Umask through Kthread (Linux's task_state): ids,
 * parent, the mounting user's uid/gid four times, no supplementary groups
 * (a lone blank, as Linux's trailing blank), one pid namespace.
 */
static void status_task_state(struct seq *s, const struct task_struct *t)
{
	seq_puts(s, "Umask:\t0022\n");
	seq_printf(s, "State:\t%s\n", state_name(task_letter(t)));
	seq_printf(s, "Tgid:\t%d\nNgid:\t0\nPid:\t%d\nPPid:\t%d\n"
		   "TracerPid:\t0\n", t->tgid, t->pid, task_ppid(t));
	seq_printf(s, "Uid:\t%u\t%u\t%u\t%u\n", (unsigned int)render_uid,
		   (unsigned int)render_uid, (unsigned int)render_uid,
		   (unsigned int)render_uid);
	seq_printf(s, "Gid:\t%u\t%u\t%u\t%u\n", (unsigned int)render_gid,
		   (unsigned int)render_gid, (unsigned int)render_gid,
		   (unsigned int)render_gid);
	seq_puts(s, "FDSize:\t64\nGroups:\t \n");
	seq_printf(s, "NStgid:\t%d\nNSpid:\t%d\nNSpgid:\t%d\nNSsid:\t%d\n",
		   t->tgid, t->pid, task_pgrp(t), task_pgrp(t));
	seq_printf(s, "Kthread:\t%d\n", t->kthread ? 1 : 0);
}

/* status_kb - a "Key:\t%8lu kB" line (Vm*, Rss*). */
static void status_kb(struct seq *s, const char *key, uint64_t kb)
{
	seq_puts(s, key);
	seq_puts(s, ":\t");
	seq_put_dec(s, kb, 8);
	seq_puts(s, " kB\n");
}

/*
 * status_task_mem - VmPeak through untag_mask (Linux's task_mem plus
 * task_core_dumping, task_thp_status, task_untag_mask): peaks are the
 * larger of the high-water mark and the current value; VmExe is the text
 * (start_code..end_code, at most exec_vm) and VmLib the rest of exec_vm.
 */
static void status_task_mem(struct seq *s, const struct mm_struct *mm)
{
	uint64_t rss = get_mm_rss(mm), text, lib;

	text = PAGE_ALIGN(mm->end_code) - (mm->start_code & PAGE_MASK);
	text = MIN(text, mm->exec_vm << PAGE_SHIFT);
	lib = (mm->exec_vm << PAGE_SHIFT) - text;
	status_kb(s, "VmPeak", KB(MAX(mm->hiwater_vm, mm->total_vm)));
	status_kb(s, "VmSize", KB(mm->total_vm));
	status_kb(s, "VmLck", KB(mm->locked_vm));
	status_kb(s, "VmPin", KB(mm->pinned_vm));
	status_kb(s, "VmHWM", KB(MAX(mm->hiwater_rss, rss)));
	status_kb(s, "VmRSS", KB(rss));
	status_kb(s, "RssAnon", KB(mm->rss_stat[MM_ANONPAGES]));
	status_kb(s, "RssFile", KB(mm->rss_stat[MM_FILEPAGES]));
	status_kb(s, "RssShmem", KB(mm->rss_stat[MM_SHMEMPAGES]));
	status_kb(s, "VmData", KB(mm->data_vm));
	status_kb(s, "VmStk", KB(mm->stack_vm));
	status_kb(s, "VmExe", text >> 10);
	status_kb(s, "VmLib", lib >> 10);
	status_kb(s, "VmPTE", (uint64_t)mm->pgtables_bytes >> 10);
	status_kb(s, "VmSwap", KB(mm->rss_stat[MM_SWAPENTS]));
	status_kb(s, "HugetlbPages", 0);
	seq_puts(s, "CoreDumping:\t0\nTHP_enabled:\t1\n");
	if (kernel_is_64bit())
		seq_puts(s, "untag_mask:\t0xffffffffffffffff\n");
}

/* task_sig_pending - the signal set t's group has pending (the fatal signal
 * the kernel will deliver when it unwinds), as a 64-bit mask. */
static uint64_t task_sig_pending(const struct task_struct *t)
{
	int sig = t->group_leader->pending_signal;

	return sig > 0 && sig <= 64 ? 1ULL << (sig - 1) : 0;
}

/* task_sig_ignored - SIG_IGN handlers: kthreadd ignores every signal,
 * simulated processes install none. */
static uint64_t task_sig_ignored(const struct task_struct *t)
{
	return t->kthread ? ~0ULL : 0;
}

/* status_task_sig - Threads through SigCgt (Linux's task_sig). */
static void status_task_sig(struct seq *s, const struct task_struct *t)
{
	seq_printf(s, "Threads:\t%d\nSigQ:\t0/%" PRIu64 "\n", get_nr_threads(t),
		   rlimit_sigpending());
	seq_printf(s, "SigPnd:\t%016" PRIx64 "\nShdPnd:\t%016" PRIx64 "\n",
		   (uint64_t)0, task_sig_pending(t));
	seq_printf(s, "SigBlk:\t%016" PRIx64 "\nSigIgn:\t%016" PRIx64
		   "\nSigCgt:\t%016" PRIx64 "\n", (uint64_t)0,
		   task_sig_ignored(t), (uint64_t)0);
}

/* status_task_cap - CapInh..CapAmb (Linux's task_cap): root (and kernel
 * threads) hold the 41 capabilities of 6.18, other users none. */
static void status_task_cap(struct seq *s, const struct task_struct *t)
{
	uint64_t full = (1ULL << 41) - 1;
	uint64_t eff = (render_uid == 0 || t->kthread) ? full : 0;

	seq_printf(s, "CapInh:\t%016" PRIx64 "\nCapPrm:\t%016" PRIx64
		   "\nCapEff:\t%016" PRIx64 "\nCapBnd:\t%016" PRIx64
		   "\nCapAmb:\t%016" PRIx64 "\n", (uint64_t)0, eff, eff, full,
		   (uint64_t)0);
}

/*
 * seq_bitmap - a bitmap of nbits bits whose lowest `set` bits are set, as
 * Linux's "%*pb": 32-bit hex groups separated by commas, most significant
 * first, the first group only as wide as its bits need.
 */
static void seq_bitmap(struct seq *s, unsigned int nbits, unsigned int set)
{
	unsigned int chunks = (nbits + 31) / 32, c;

	for (c = chunks; c-- > 0;) {
		unsigned int lo = c * 32, bits = MIN(32U, nbits - lo);
		uint32_t v = 0;

		if (set >= lo + bits)
			v = bits == 32 ? 0xffffffffU : (1U << bits) - 1;
		else if (set > lo)
			v = (1U << (set - lo)) - 1;
		if (c != chunks - 1)
			seq_putc(s, ',');
		seq_put_hex(s, v, c == chunks - 1 ? (int)((bits + 3) / 4) : 8);
	}
}

/* seq_range_list - "0" or "0-N" for the first n bits (Linux's "%*pbl"
 * of a contiguous mask). */
static void seq_range_list(struct seq *s, unsigned int n)
{
	if (n <= 1)
		seq_puts(s, "0");
	else
		seq_printf(s, "0-%u", n - 1);
}

/* status_task_misc - NoNewPrivs through nonvoluntary_ctxt_switches
 * (task_seccomp, task_cpus_allowed, cpuset_task_status_allowed,
 * task_context_switch_counts): every CPU allowed, one memory node of the
 * 1024 a distribution kernel supports. */
static void status_task_misc(struct seq *s, const struct task_struct *t)
{
	seq_puts(s, "NoNewPrivs:\t0\nSeccomp:\t0\nSeccomp_filters:\t0\n"
		 "Speculation_Store_Bypass:\tvulnerable\n"
		 "SpeculationIndirectBranch:\talways enabled\n");
	seq_puts(s, "Cpus_allowed:\t");
	seq_bitmap(s, (unsigned int)hw.nr_cpus, (unsigned int)hw.nr_cpus);
	seq_puts(s, "\nCpus_allowed_list:\t");
	seq_range_list(s, (unsigned int)hw.nr_cpus);
	seq_puts(s, "\nMems_allowed:\t");
	seq_bitmap(s, 1024, 1);
	seq_puts(s, "\nMems_allowed_list:\t0\n");
	seq_printf(s, "voluntary_ctxt_switches:\t%" PRIu64
		   "\nnonvoluntary_ctxt_switches:\t%" PRIu64 "\n",
		   t->nvcsw, t->nivcsw);
}

/* status_faults - mmufs's extra lines, one per fault outcome in enum
 * order: "mmufs_fault_<name>:\t<count>" (task_usage rules). */
static void status_faults(struct seq *s, const struct task_struct *t)
{
	struct task_usage f;
	int i;

	task_usage(t, &f);
	for (i = 0; i < NR_FAULT_OUTCOMES; i++) {
		seq_puts(s, "mmufs_fault_");
		seq_puts(s, fault_outcome_names[i]);
		seq_puts(s, ":\t");
		seq_put_dec(s, f.outcome[i], 0);
		seq_putc(s, '\n');
	}
}

/*
 * render_status - /proc/PID/status (Linux's proc_pid_status), every line
 * "Key:\t..." in 6.18's order; the Vm* and Rss* block (and CoreDumping,
 * THP_enabled, untag_mask) only for a task with an mm; then the
 * mmufs_fault_* lines.
 */
void render_status(struct seq *s, struct task_struct *t)
{
	struct mm_struct *mm = task_mm(t);

	seq_puts(s, "Name:\t");
	seq_task_name(s, t);
	seq_putc(s, '\n');
	status_task_state(s, t);
	if (mm)
		status_task_mem(s, mm);
	status_task_sig(s, t);
	status_task_cap(s, t);
	status_task_misc(s, t);
	status_faults(s, t);
}

/* ---- stat (do_task_stat) ---- */

/* task_exit_signal - stat field 38: SIGCHLD (17) for a process, -1 for a
 * non-leader thread, 0 for a kernel thread. */
static int task_exit_signal(const struct task_struct *t)
{
	if (t->kthread)
		return 0;
	return thread_group_leader(t) ? 17 : -1;
}

/* stat_ids - fields 1..9: pid, (comm) raw, state, ppid, pgrp, session,
 * tty_nr (none), tpgid (-1), flags. */
static void stat_ids(struct seq *s, const struct task_struct *t)
{
	seq_printf(s, "%d (", t->pid);
	seq_write(s, t->comm, strnlen(t->comm, TASK_COMM_LEN));
	seq_printf(s, ") %c %d %d %d 0 -1 %u", task_letter(t), task_ppid(t),
		   task_pgrp(t), task_pgrp(t), task_flags(t));
}

/* stat_faults_times - fields 10..22: fault counts (task_usage; children's
 * from the group), user and system time and the reaped children's, in
 * USER_HZ ticks, priority 20, nice 0, threads, itrealvalue, starttime in
 * ticks since boot. */
static void stat_faults_times(struct seq *s, const struct task_struct *t,
			      const struct task_usage *f)
{
	const struct task_struct *leader = t->group_leader;

	seq_printf(s, " %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64,
		   f->min_flt, leader->cmin_flt, f->maj_flt, leader->cmaj_flt);
	seq_printf(s, " %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64,
		   nsec_to_clock_t(f->utime), nsec_to_clock_t(f->stime),
		   nsec_to_clock_t(leader->cutime),
		   nsec_to_clock_t(leader->cstime));
	seq_printf(s, " 20 0 %d 0 %" PRIu64, get_nr_threads(t),
		   nsec_to_clock_t(t->start_time_ns));
}

/* stat_mem - fields 23..30: vsize (bytes), rss (pages), rsslim
 * (RLIM_INFINITY of the kernel's word size), code and stack addresses,
 * kstkesp/kstkeip 0; 0 without mm. */
static void stat_mem(struct seq *s, const struct mm_struct *mm)
{
	uint64_t rlim_inf = kernel_is_64bit() ? UINT64_MAX : UINT32_MAX;

	if (!mm) {
		seq_printf(s, " 0 0 %" PRIu64 " 0 0 0 0 0", rlim_inf);
		return;
	}
	seq_printf(s, " %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64
		   " %" PRIu64 " %" PRIu64 " 0 0", mm->total_vm << PAGE_SHIFT,
		   get_mm_rss(mm), rlim_inf, mm->start_code, mm->end_code,
		   mm->start_stack);
}

/* stat_sched - fields 31..44: signal masks (& 0x7fffffff), wchan (1 when
 * not running), nswap/cnswap, exit_signal, processor (the CPU it last
 * ran on), rt_priority, policy, the block I/O delay in ticks, guest
 * times. */
static void stat_sched(struct seq *s, const struct task_struct *t,
		       const struct task_usage *f)
{
	seq_printf(s, " %" PRIu64 " 0 %" PRIu64 " 0 %d 0 0 %d %d 0 0 %" PRIu64
		   " 0 0", task_sig_pending(t) & 0x7fffffff,
		   task_sig_ignored(t) & 0x7fffffff,
		   task_letter(t) == 'R' ? 0 : 1, task_exit_signal(t),
		   t->last_cpu, nsec_to_clock_t(f->blkio_delay));
}

/* stat_tail - fields 45..52: data, brk, argument and environment
 * addresses (0 without mm), exit_code (the wait status of a zombie). */
static void stat_tail(struct seq *s, const struct task_struct *t,
		      const struct mm_struct *mm)
{
	if (mm)
		seq_printf(s, " %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64
			   " %" PRIu64 " %" PRIu64 " %" PRIu64, mm->start_data,
			   mm->end_data, mm->start_brk, mm->arg_start,
			   mm->arg_end, mm->env_start, mm->env_end);
	else
		seq_puts(s, " 0 0 0 0 0 0 0");
	seq_printf(s, " %d\n", t->exit_state == EXIT_ZOMBIE ? t->exit_code : 0);
}

/* render_stat - /proc/PID/stat (Linux's do_task_stat): one line of 52
 * fields, comm raw in parentheses. */
void render_stat(struct seq *s, struct task_struct *t)
{
	struct mm_struct *mm = task_mm(t);
	struct task_usage f;

	task_usage(t, &f);
	stat_ids(s, t);
	stat_faults_times(s, t, &f);
	stat_mem(s, mm);
	stat_sched(s, t, &f);
	stat_tail(s, t, mm);
}

/*
 * render_statm - /proc/PID/statm (Linux's task_statm): size resident
 * shared text lib data dt in pages; shared = file + shmem RSS, text =
 * the pages of start_code..end_code, data = data_vm + stack_vm, lib and
 * dt 0.  All zero without mm.
 */
void render_statm(struct seq *s, struct task_struct *t)
{
	struct mm_struct *mm = task_mm(t);
	uint64_t shared, text;

	if (!mm) {
		seq_puts(s, "0 0 0 0 0 0 0\n");
		return;
	}
	shared = (uint64_t)(mm->rss_stat[MM_FILEPAGES] +
			    mm->rss_stat[MM_SHMEMPAGES]);
	text = (PAGE_ALIGN(mm->end_code) - (mm->start_code & PAGE_MASK)) >>
	       PAGE_SHIFT;
	seq_printf(s, "%" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64 " 0 %"
		   PRIu64 " 0\n", mm->total_vm, get_mm_rss(mm), shared, text,
		   mm->data_vm + mm->stack_vm);
}

/* put_user_bytes - bytes [start, end) of t's memory, read as
 * /proc/PID/mem reads (faults included; a hole ends it early); with
 * to_nul, only up to the first NUL.  Returns the bytes put. */
static size_t put_user_bytes(struct seq *s, struct task_struct *t,
			     uint64_t start, uint64_t end, bool to_nul)
{
	char buf[4096];
	size_t total = 0;

	while (start < end) {
		size_t want = (size_t)MIN(end - start, sizeof(buf));
		size_t got = access_remote_vm(t, start, buf, want, false);
		size_t n = to_nul ? strnlen(buf, got) : got;

		seq_write(s, buf, n);
		total += n;
		if (n < want)
			break;
		start += n;
	}
	return total;
}

/* render_cmdline - /proc/PID/cmdline: the argument strings from the
 * process's stack (Linux's get_mm_cmdline): [arg_start, arg_end), or, when
 * the byte before arg_end is no longer a NUL (setproctitle overwrote it),
 * the arguments then on into the environment up to the next NUL.  Empty for
 * kernel threads, zombies and images without arguments (--init none). */
void render_cmdline(struct seq *s, struct task_struct *t)
{
	struct mm_struct *mm = task_mm(t);
	uint64_t env_end;
	char c = 0;

	if (!mm || mm->arg_start >= mm->arg_end)
		return;
	env_end = mm->env_start == mm->arg_end && mm->env_end >= mm->env_start ?
		  mm->env_end : mm->arg_end;
	if (access_remote_vm(t, mm->arg_end - 1, &c, 1, false) != 1 || !c) {
		put_user_bytes(s, t, mm->arg_start, mm->arg_end, false);
		return;
	}
	if (put_user_bytes(s, t, mm->arg_start, mm->arg_end - 1, false) ==
	    mm->arg_end - 1 - mm->arg_start)
		put_user_bytes(s, t, mm->arg_end - 1, env_end, true);
}

/* render_comm - /proc/PID/comm: the task's name and a newline. */
void render_comm(struct seq *s, struct task_struct *t)
{
	seq_write(s, t->comm, strnlen(t->comm, TASK_COMM_LEN));
	seq_putc(s, '\n');
}

/* render_oom_score - /proc/PID/oom_score: the kernel's oom_score. */
void render_oom_score(struct seq *s, struct task_struct *t)
{
	seq_printf(s, "%u\n", oom_score(t));
}

/* render_io - /proc/PID/io (Linux's do_io_accounting): the process's
 * I/O counts, kept by the kernel (struct task_io_accounting). */
void render_io(struct seq *s, struct task_struct *t)
{
	const struct task_io_accounting *io = &t->group_leader->ioac;

	seq_printf(s, "rchar: %" PRIu64 "\nwchar: %" PRIu64 "\n"
		   "syscr: %" PRIu64 "\nsyscw: %" PRIu64 "\n"
		   "read_bytes: %" PRIu64 "\nwrite_bytes: %" PRIu64 "\n"
		   "cancelled_write_bytes: %" PRIu64 "\n",
		   io->rchar, io->wchar, io->syscr, io->syscw,
		   io->read_bytes, io->write_bytes, io->cancelled_write_bytes);
}

/* render_schedstat - /proc/PID/schedstat (Linux's proc_pid_schedstat):
 * the thread's time on a CPU (user and system, in ns), its time waiting
 * for one (0: no task waits on a run queue here), and the times it was
 * put on a CPU. */
void render_schedstat(struct seq *s, struct task_struct *t)
{
	seq_printf(s, "%" PRIu64 " 0 %" PRIu64 "\n", t->utime + t->stime,
		   t->pcount);
}

/* readlink_exe - /proc/PID/exe (Linux's proc_exe_link): the host path
 * of the program exec put in t's address space into buf (size bytes):
 * its length, or -ENOENT for a kernel thread, a zombie or a process no
 * exec built (init's empty image and its forks). */
int readlink_exe(struct task_struct *t, char *buf, size_t size)
{
	const struct mm_struct *mm = task_mm(t);

	if (!mm || !mm->exe_path)
		return -ENOENT;
	return snprintf(buf, size, "%s", mm->exe_path);
}

/* readlink_cwd - /proc/PID/cwd (Linux's proc_cwd_link): "/", the only
 * directory of the machine (no simulated task changes directory), or
 * -ENOENT for a zombie, whose fs_struct Linux has let go. */
int readlink_cwd(struct task_struct *t, char *buf, size_t size)
{
	if (t->exit_state == EXIT_ZOMBIE)
		return -ENOENT;
	return snprintf(buf, size, "/");
}

/* render_environ - /proc/PID/environ: [env_start, env_end) of the
 * process's stack (Linux's environ_read); empty for kernel threads and
 * zombies, which have no mm (environ_read's !mm: end of file). */
int render_environ(struct seq *s, struct task_struct *t)
{
	struct mm_struct *mm = task_mm(t);

	if (mm && mm->env_start < mm->env_end)
		put_user_bytes(s, t, mm->env_start, mm->env_end, false);
	return 0;
}

/* ---- pagemap (pagemap_read, pagemap_pmd_range, pte_to_pagemap_entry) ---- */

/*
 * pte_pagemap_entry - the pagemap entry of va, mapped by pte, in vma (Linux's
 * pte_to_pagemap_entry and pagemap_pte_hole): bit 55 for a VM_SOFTDIRTY
 * vma or a soft-dirty entry; a present entry (PROT_NONE and the zero page
 * included) gives bit 63 and the PFN; a normal page adds bit 61 when not
 * anonymous and bit 56 when mapped exactly once.
 */
static uint64_t pte_pagemap_entry(struct vm_area_struct *vma, uint64_t va,
				  pte_t pte)
{
	uint64_t e = (vma->vm_flags & VM_SOFTDIRTY) ? PM_SOFT_DIRTY : 0;
	struct page *page;

	if (is_swap_pte(pte)) {
		swp_entry_t se = pte_to_swp_entry(pte);

		return e | PM_SWAP | ((swp_type(se) |
				       (swp_offset(se) << MAX_SWAPFILES_SHIFT)) &
				      PM_PFRAME_MASK);
	}
	if (!pte_present(pte))
		return e;
	e |= PM_PRESENT | (pte_pfn(pte) & PM_PFRAME_MASK);
	if (pte & _PAGE_SOFT_DIRTY)
		e |= PM_SOFT_DIRTY;
	page = vm_normal_page(vma, va, pte);
	if (page) {
		if (!PageAnon(page))
			e |= PM_FILE;
		if (page->mapcount == 1)
			e |= PM_MMAP_EXCLUSIVE;
	}
	return e;
}

/* vma_pagemap_entry - the entry of one address inside vma. */
static uint64_t vma_pagemap_entry(struct vm_area_struct *vma, uint64_t va)
{
	struct pte_ref ref;

	return pte_pagemap_entry(vma, va, walk_pte(vma->vm_mm, va, false, &ref) ?
				 0 : pte_read(ref));
}

/* pagemap_entry - see render.h: 0 outside every vma, at or above
 * TASK_SIZE, or for a task without mm. */
uint64_t pagemap_entry(struct task_struct *t, uint64_t va)
{
	struct mm_struct *mm = task_mm(t);
	struct vm_area_struct *vma;

	va &= PAGE_MASK;
	if (!mm || va >= mm->task_size)
		return 0;
	vma = find_vma(mm, va);
	if (!vma || vma->vm_start > va)
		return 0;
	return vma_pagemap_entry(vma, va);
}

/* The state of a pagemap read (Linux's struct pagemapread): where the
 * entries go, and the first vma that ends above the address being
 * filled. */
struct pagemapread {
	char *buf;			/* the entry of address start */
	uint64_t start;
	struct vm_area_struct *vma;
};

/* pagemap_vma - the vma holding va, or NULL; moves pm->vma forward (the
 * walk goes up in address order). */
static struct vm_area_struct *pagemap_vma(struct pagemapread *pm, uint64_t va)
{
	struct vm_area_struct *vma = pm->vma;

	while (vma && vma->vm_end <= va)
		vma = vma->vm_next;
	pm->vma = vma;
	return vma && vma->vm_start <= va ? vma : NULL;
}

/*
 * pagemap_range - the entries of [addr, end), which the page table at
 * physical address table maps (0: no table, every entry none): 0 outside
 * every vma, pte_pagemap_entry inside one.
 */
static void pagemap_range(struct pagemapread *pm, uint64_t addr,
			  uint64_t end, uint64_t table)
{
	while (addr < end) {
		struct vm_area_struct *vma = pagemap_vma(pm, addr);
		char *out = pm->buf + ((addr - pm->start) >> PAGE_SHIFT) *
				      PM_ENTRY_BYTES;
		struct pte_ref ref = { table, pt_index(hw.geom, 1, addr) };
		uint64_t stop;

		if (!vma) {
			stop = pm->vma ? MIN(end, pm->vma->vm_start) : end;
			memset(out, 0, ((stop - addr) >> PAGE_SHIFT) *
				       PM_ENTRY_BYTES);
			addr = stop;
			continue;
		}
		stop = MIN(end, vma->vm_end);
		for (; addr < stop; addr += PAGE_SIZE, out += PM_ENTRY_BYTES) {
			put_le64(out, pte_pagemap_entry(vma, addr,
						table ? pte_read(ref) : 0));
			ref.idx++;
		}
	}
}

/* pagemap_pmd_range - pmd_entry of the pagemap walk (Linux's
 * pagemap_pmd_range): the entries of the span one page table maps, or of
 * none when the entry leads to no table. */
static int pagemap_pmd_range(struct pte_ref ref, uint64_t addr,
			     uint64_t next, struct mm_walk *walk)
{
	pte_t e = pte_read(ref);

	pagemap_range(walk->private, addr, next,
		      pt_entry_is_table(e) ? pt_table_addr(e) : 0);
	return 0;
}

/* pagemap_pte_hole - pte_hole of the pagemap walk (Linux's
 * pagemap_pte_hole): [addr, next), which no page table maps. */
static int pagemap_pte_hole(uint64_t addr, uint64_t next, int level,
			    struct mm_walk *walk)
{
	pagemap_range(walk->private, addr, next, 0);
	return 0;
}

static const struct mm_walk_ops pagemap_ops = {
	.pmd_entry = pagemap_pmd_range,
	.pte_hole = pagemap_pte_hole,
};

/*
 * read_pagemap - see render.h (Linux's pagemap_read): entries for the
 * pages [off/8, off/8 + size/8) clipped at TASK_SIZE/4096, from one walk
 * of the page tables over that range.
 */
ssize_t read_pagemap(struct task_struct *t, char *buf, size_t size,
		     uint64_t off)
{
	struct mm_struct *mm = task_mm(t);
	struct pagemapread pm;
	uint64_t first, nr, count;

	if (!mm)
		return -ESRCH;
	if (off % PM_ENTRY_BYTES || size % PM_ENTRY_BYTES)
		return -EINVAL;
	nr = mm->task_size >> PAGE_SHIFT;
	first = off / PM_ENTRY_BYTES;
	if (first >= nr)
		return 0;
	count = MIN((uint64_t)(size / PM_ENTRY_BYTES), nr - first);
	pm.buf = buf;
	pm.start = first << PAGE_SHIFT;
	pm.vma = find_vma(mm, pm.start);
	walk_page_range(mm, pm.start, (first + count) << PAGE_SHIFT,
			&pagemap_ops, &pm);
	return (ssize_t)(count * PM_ENTRY_BYTES);
}

/* ---- pagetable (mmufs) ---- */

/* canonical - sign-extend a 48-bit virtual address (4-level paging). */
static uint64_t canonical(uint64_t va)
{
	if (!kernel_is_64bit())
		return va;
	return (uint64_t)((int64_t)(va << 16) >> 16);
}

/* pt_flag_name - the name of bit `bit` of an entry at `level` (1 = leaf):
 * bit 7 is PAT in a PT and PS above it; bit 8 is PROTNONE in a
 * non-present entry (Linux's _PAGE_PROTNONE) and G otherwise; NULL for
 * bits that carry the address. */
static const char *pt_flag_name(unsigned int bit, int level, pte_t e)
{
	static const char *const low[12] = {
		"P", "RW", "US", "PWT", "PCD", "A", "D", NULL, NULL,
		"SPECIAL", "SW2", "SW3",
	};

	if (bit == 7)
		return level == 1 ? "PAT" : "PS";
	if (bit == 8)
		return (e & _PAGE_PRESENT) ? "G" : "PROTNONE";
	if (bit < 12)
		return low[bit];
	if (bit == 63)
		return "NX";
	return NULL;
}

/* pt_flags - the names of the set flag bits of e, each after a blank;
 * software bits 52..62 as "SWn". */
static void pt_flags(struct seq *s, int level, pte_t e)
{
	unsigned int bit, width = (unsigned int)hw.geom->entry_size * 8;

	for (bit = 0; bit < width; bit++) {
		const char *name;

		if (!(e & (1ULL << bit)))
			continue;
		name = pt_flag_name(bit, level, e);
		if (name)
			seq_printf(s, " %s", name);
		else if (bit >= 52)
			seq_printf(s, " SW%u", bit);
	}
}

/* pt_swap_entry - " swap <type>:<offset>[ exclusive]" and a newline:
 * the swap entry e holds. */
static void pt_swap_entry(struct seq *s, pte_t e)
{
	swp_entry_t se = pte_to_swp_entry(e);

	seq_printf(s, " swap %u:%" PRIu64 "%s\n", swp_type(se), swp_offset(se),
		   pte_swp_exclusive(e) ? " exclusive" : "");
}

/* pt_entry_line - one valid entry: indentation, LEVEL[index], the virtual
 * range it maps (exclusive end), the raw entry, its PFN, its flags and
 * the note, if any. */
static void pt_entry_line(struct seq *s, int level, unsigned int idx,
			  uint64_t va, pte_t e, const char *note)
{
	const struct paging_geom *g = hw.geom;
	int depth = g->levels - level, adigits = kernel_is_64bit() ? 12 : 8;
	uint64_t end = canonical(va) + (1ULL << pt_level_shift(g, level));

	seq_printf(s, "%*s%s[%u] %0*" PRIx64 "-%0*" PRIx64 " 0x%0*" PRIx64,
		   4 * depth + 2, "", g->level_names[level], idx, adigits,
		   canonical(va), adigits, end, g->entry_size * 2, e);
	if (level == 1 && is_swap_pte(e)) {
		pt_swap_entry(s, e);
		return;
	}
	seq_printf(s, " pfn 0x%" PRIx64, pte_pfn(e));
	pt_flags(s, level, e);
	seq_printf(s, "%s\n", note ? note : "");
}

/* pt_table_line - the header line of the level-`level` table at physical
 * address table. */
static void pt_table_line(struct seq *s, int level, uint64_t table)
{
	const struct paging_geom *g = hw.geom;

	seq_printf(s, "%*s%s pfn 0x%" PRIx64 "\n", 4 * (g->levels - level), "",
		   g->level_names[level], table >> PAGE_SHIFT);
}

/* pt_dump_entry - entry callback of the pagetable walk, every level: a
 * non-zero entry's line, then, for an entry the walk goes down through
 * (present, not a large page), the header of the table it points to. */
static int pt_dump_entry(struct pte_ref ref, uint64_t addr, uint64_t next,
			 struct mm_walk *walk)
{
	struct seq *s = walk->private;
	pte_t e = pte_read(ref);

	if (pte_none(e))
		return 0;
	pt_entry_line(s, walk->level, ref.idx, addr, e, NULL);
	if (walk->level > 1 && pt_entry_is_table(e))
		pt_table_line(s, walk->level - 1, pt_table_addr(e));
	return 0;
}

static const struct mm_walk_ops pt_dump_ops = {
	.pgd_entry = pt_dump_entry,
	.pud_entry = pt_dump_entry,
	.pmd_entry = pt_dump_entry,
	.pte_entry = pt_dump_entry,
};

/*
 * render_pagetable - MNT/<pid>/pagetable: every page-table page of the
 * process's mm and every non-zero entry, depth first in address order.
 *
 * Format (one line each, 4 blanks of indentation per level):
 *   table header:  <INDENT><LEVEL> pfn 0x<pfn>
 *   entry:         <INDENT+2><LEVEL>[<index>] <start>-<end> 0x<entry>
 *                  pfn 0x<pfn> <FLAG>...
 * LEVEL is PML4, PDPT, PD, PT (x86_64) or PD, PT (i386); start-end is
 * the virtual range the entry maps (lowercase hex, end exclusive, at least
 * 12 digits on x86_64 and 8 on i386); the entry is printed with 16 hex
 * digits (8 for 32-bit entries).  Flags, in bit order: P RW US PWT PCD A D
 * PS (PAT in a PT) G (PROTNONE when P is clear: a PROT_NONE page) SPECIAL
 * SW2 SW3, SWn for software bits 52..62, NX.  Example:
 *   PML4 pfn 0x101
 *     PML4[255] 7f8000000000-800000000000 0x0000000000103067 pfn 0x103 P RW US A D
 *       PDPT pfn 0x103
 *         PDPT[511] 7fffc0000000-800000000000 0x0000000000104067 pfn 0x104 P RW US A D
 *           PD pfn 0x104
 *             PD[511] 7fffffe00000-800000000000 0x0000000000105067 pfn 0x105 P RW US A D
 *               PT pfn 0x105
 *                 PT[510] 7fffffffe000-7ffffffff000 0x8000000000106867 pfn 0x106 P RW US A D NX
 * The user half comes first.  The kernel half follows: each non-zero
 * top-level entry from KERNEL_PGD_BOUNDARY up (PML4[256..511], i386
 * PD[768..1023]), on one line ending " shared:init_mm", and not gone
 * into: the tables below are init_mm's, the same for every process
 * (frames/<pfn> of one says so).  x86-64 shows the direct map's entry
 * (PML4[273]) and the 64 preallocated entries of the vmalloc area
 * (PML4[402..465]); i386 shows the direct map's 4 MiB pages (PS) and the
 * page tables of the vmalloc area.
 * Empty for kernel threads and zombies.
 */
void render_pagetable(struct seq *s, struct task_struct *t)
{
	struct mm_struct *mm = task_mm(t);
	int top = hw.geom->levels;
	unsigned int i, n = pt_entries(hw.geom);

	if (!mm)
		return;
	pt_table_line(s, top, mm->pgd);
	walk_page_tables(mm, &pt_dump_ops, s);
	for (i = kernel_pgd_first(); i < n; i++) {
		pte_t e = pte_read((struct pte_ref){ mm->pgd, i });

		if (!pte_none(e))
			pt_entry_line(s, top, i, (uint64_t)i <<
				      pt_level_shift(hw.geom, top), e,
				      " shared:init_mm");
	}
}

/* ---- vtop (mmufs; crash's vtop, MemProcFS's virt2phys) ---- */

/* vtop_vma - the "vma:" line: the maps line of the vma holding va (the
 * gate area's included), or "none". */
static void vtop_vma(struct seq *s, struct mm_struct *mm, uint64_t va)
{
	struct vm_area_struct *vma = mm == &init_mm ? NULL : find_vma(mm, va);

	seq_puts(s, "vma: ");
	if (vma && vma->vm_start <= va)
		show_map_vma(s, vma);
	else if (mm != &init_mm && has_gate_vma() && va >= GATE_START &&
		 va < GATE_START + PAGE_SIZE)
		show_gate_vma(s);
	else
		seq_puts(s, "none\n");
}

/*
 * vtop_walk - one line per level of the walk of va from mm's top table,
 * down to a non-present entry, a large page or the PT's entry:
 *   <LEVEL>: table 0x<pfn> index <i> entry 0x<phys> = 0x<raw>
 *            (pfn 0x<pfn> <flags> | none | swap <type>:<offset>[ exclusive] |
 *             not present <flags>)
 * Returns the last entry read and its level in *level.
 */
static pte_t vtop_walk(struct seq *s, struct mm_struct *mm, uint64_t va,
		       int *level)
{
	const struct paging_geom *g = hw.geom;
	uint64_t table = mm->pgd;
	pte_t e = 0;
	int l;

	for (l = g->levels; l >= 1; l--) {
		unsigned int idx = pt_index(g, l, va);

		e = pte_read((struct pte_ref){ table, idx });
		seq_printf(s, "%s: table 0x%" PRIx64 " index %u entry 0x%" PRIx64
			   " = 0x%0*" PRIx64, g->level_names[l],
			   table >> PAGE_SHIFT, idx,
			   table + (uint64_t)idx * (uint64_t)g->entry_size,
			   g->entry_size * 2, e);
		if (pte_none(e)) {
			seq_puts(s, " none\n");
			break;
		}
		if (l == 1 && is_swap_pte(e)) {
			pt_swap_entry(s, e);
			break;
		}
		seq_printf(s, " %s0x%" PRIx64, e & _PAGE_PRESENT ? "pfn " :
			   "not present pfn ", pte_pfn(e));
		pt_flags(s, l, e);
		seq_putc(s, '\n');
		if (!(e & _PAGE_PRESENT) || l == 1 || !pt_entry_is_table(e))
			break;
		table = pt_table_addr(e);
	}
	*level = l;
	return e;
}

/* vtop_tlb - a "tlb:" line per CPU: "cpu<N> hit <entry>" with the entry
 * as cpu<N>/tlb shows it, or "cpu<N> miss".  An entry caches va for mm
 * when it is global, or tagged with the PCID the CPU gives mm (with PCID
 * on: mm's own; off: 0, and only while the CPU's CR3 holds mm's table).
 * tlb_match alone: a lookup would count a hit or miss and refresh LRU. */
static void vtop_tlb(struct seq *s, struct mm_struct *mm, uint64_t va)
{
	uint64_t vpn = va >> PAGE_SHIFT;

	for (int c = 0; c < hw.nr_cpus; c++) {
		const struct cpu *cpu = &hw.cpus[c];
		const struct tlb *t = &cpu->tlb;
		const struct tlb_entry *e = tlb_set(t, vpn);
		bool ours = hw.pcid || cpu->cr3 == mm->pgd;
		uint16_t pcid = hw.pcid ? mm->pcid : 0;
		unsigned int w;

		for (w = 0; w < t->ways; w++, e++)
			if (tlb_match(e, vpn, pcid) &&
			    (ours || (e->flags & TLB_GLOBAL)))
				break;
		seq_printf(s, "tlb: cpu%d ", c);
		if (w == t->ways) {
			seq_puts(s, "miss\n");
			continue;
		}
		seq_puts(s, "hit ");
		render_tlb_entry(s, t, (unsigned int)(e - t->e));
	}
}

/* vtop_result - where va goes: "paddr: 0x<phys>" then frames/<pfn>'s
 * lines for a mapped frame; "swap: <type>:<offset>" and "swapcache: pfn
 * <n> | no" for a swap entry; "paddr: none" else. */
static void vtop_result(struct seq *s, pte_t e, int level, uint64_t va)
{
	uint64_t size, pfn;

	if (level == 1 && is_swap_pte(e)) {
		swp_entry_t se = pte_to_swp_entry(e);
		struct page *p = swap_cache_peek(se);

		seq_printf(s, "paddr: none\nswap: %u:%" PRIu64 "\n",
			   swp_type(se), swp_offset(se));
		if (p)
			seq_printf(s, "swapcache: pfn %" PRIu64 "\n",
				   page_to_pfn(p));
		else
			seq_puts(s, "swapcache: no\n");
		return;
	}
	if (!pte_present(e) || (level > 1 && pt_entry_is_table(e))) {
		seq_puts(s, "paddr: none\n");
		return;
	}
	size = 1ULL << pt_level_shift(hw.geom, level);
	pfn = pte_pfn(e) + ((va & (size - 1)) >> PAGE_SHIFT);
	seq_printf(s, "paddr: 0x%" PRIx64 "\n",
		   (pfn << PAGE_SHIFT) | (va & (PAGE_SIZE - 1)));
	render_frame(s, pfn);
}

/* vtop_access - "<name>: ok | <outcome>[ major][ stack_grow][ then
 * sigsegv][ (<why>)]":
 * what a user-mode access of kind acc would do now (fault_predict; the
 * outcome named as vmstat's mmufs_fault_<outcome> counts it). */
static void vtop_access(struct seq *s, struct mm_struct *mm, uint64_t va,
			const char *name, unsigned int acc)
{
	struct fault_prediction fp;

	fault_predict(mm, va, acc, &fp);
	seq_printf(s, "%s: %s%s%s%s", name, fp.outcome < 0 ? "ok" :
		   fault_outcome_names[fp.outcome], fp.major ? " major" : "",
		   fp.stack_grow ? " stack_grow" : "",
		   fp.then_sigsegv ? " then sigsegv" : "");
	if (fp.why)
		seq_printf(s, " (%s)", fp.why);
	seq_putc(s, '\n');
}

/*
 * render_vtop - see render.h.  Lines, in order:
 *   address: 0x<va>
 *   mm: pid <n> | init_mm (a kernel thread: the kernel half, shared)
 *   vma: <the maps line> | none
 *   <LEVEL>: ...        one per level walked (vtop_walk)
 *   tlb: cpu<N> ...     one per CPU (vtop_tlb)
 *   paddr: ...          and the frame's or swap slot's lines (vtop_result)
 *   read: / write: / exec: what each access would do (vtop_access; not
 *                       for a kernel thread: it makes no user access)
 */
int render_vtop(struct seq *s, struct task_struct *t, uint64_t va)
{
	struct mm_struct *mm = t->mm;
	pte_t e;
	int level;

	if (!mm && !t->kthread)
		return -ESRCH;
	seq_printf(s, "address: 0x%" PRIx64 "\n", va);
	if (mm)
		seq_printf(s, "mm: pid %d\n", t->group_leader->pid);
	else
		seq_puts(s, "mm: init_mm\n");
	if (!mm)
		mm = &init_mm;
	vtop_vma(s, mm, va);
	e = vtop_walk(s, mm, va, &level);
	vtop_tlb(s, mm, va);
	vtop_result(s, e, level, va);
	if (mm == &init_mm)
		return 0;
	vtop_access(s, mm, va, "read", ACC_READ);
	vtop_access(s, mm, va, "write", ACC_WRITE);
	vtop_access(s, mm, va, "exec", ACC_FETCH);
	return 0;
}

/* ---- mm (mmufs) ---- */

/* mm_hex / mm_dec - one "name value" line. */
static void mm_hex(struct seq *s, const char *name, uint64_t v)
{
	seq_printf(s, "%s 0x%" PRIx64 "\n", name, v);
}

static void mm_dec(struct seq *s, const char *name, int64_t v)
{
	seq_printf(s, "%s %" PRId64 "\n", name, v);
}

/* mm_show_layout - the address-space layout fields, in hex. */
static void mm_show_layout(struct seq *s, const struct mm_struct *mm)
{
	mm_hex(s, "start_code", mm->start_code);
	mm_hex(s, "end_code", mm->end_code);
	mm_hex(s, "start_data", mm->start_data);
	mm_hex(s, "end_data", mm->end_data);
	mm_hex(s, "start_brk", mm->start_brk);
	mm_hex(s, "brk", mm->brk);
	mm_hex(s, "start_stack", mm->start_stack);
	mm_hex(s, "arg_start", mm->arg_start);
	mm_hex(s, "arg_end", mm->arg_end);
	mm_hex(s, "env_start", mm->env_start);
	mm_hex(s, "env_end", mm->env_end);
	mm_hex(s, "mmap_base", mm->mmap_base);
	mm_hex(s, "task_size", mm->task_size);
}

/* mm_show_counters - map_count, the vm counters (pages), page-table
 * bytes, users and references, RSS counters and high-water marks
 * (pages). */
static void mm_show_counters(struct seq *s, const struct mm_struct *mm)
{
	mm_dec(s, "map_count", mm->map_count);
	mm_dec(s, "total_vm", (int64_t)mm->total_vm);
	mm_dec(s, "locked_vm", (int64_t)mm->locked_vm);
	mm_dec(s, "pinned_vm", (int64_t)mm->pinned_vm);
	mm_dec(s, "data_vm", (int64_t)mm->data_vm);
	mm_dec(s, "exec_vm", (int64_t)mm->exec_vm);
	mm_dec(s, "stack_vm", (int64_t)mm->stack_vm);
	mm_dec(s, "shared_vm", (int64_t)mm->shared_vm);
	mm_dec(s, "pgtables_bytes", mm->pgtables_bytes);
	mm_dec(s, "mm_users", mm->mm_users);
	mm_dec(s, "mm_count", mm->mm_count);
	mm_dec(s, "rss_file", mm->rss_stat[MM_FILEPAGES]);
	mm_dec(s, "rss_anon", mm->rss_stat[MM_ANONPAGES]);
	mm_dec(s, "rss_swapents", mm->rss_stat[MM_SWAPENTS]);
	mm_dec(s, "rss_shmem", mm->rss_stat[MM_SHMEMPAGES]);
	mm_dec(s, "hiwater_rss", (int64_t)mm->hiwater_rss);
	mm_dec(s, "hiwater_vm", (int64_t)mm->hiwater_vm);
}

/* mm_show_hw - the MMU side: top table, PCID, anon_vma, CPUs with the
 * table loaded. */
static void mm_show_hw(struct seq *s, const struct mm_struct *mm)
{
	mm_hex(s, "pgd", mm->pgd);
	mm_dec(s, "pcid", mm->pcid);
	if (mm->anon_vma)
		mm_dec(s, "anon_vma", (int64_t)mm->anon_vma->id);
	else
		seq_puts(s, "anon_vma none\n");
	mm_hex(s, "cpu_bitmap", mm->cpu_bitmap);
}

/* mm_show_borrowed - a kernel thread's line: whose mm its CPU still uses
 * (lazy TLB), "none" when it is not running on a borrowed mm. */
static void mm_show_borrowed(struct seq *s, const struct task_struct *t)
{
	struct task_struct *owner;

	if (!t->active_mm) {
		seq_puts(s, "active_mm none\n");
		return;
	}
	owner = mm_owner(t->active_mm);
	if (owner)
		seq_printf(s, "active_mm borrowed from pid %d\n", owner->pid);
	else
		seq_printf(s, "active_mm borrowed from exited mm (mm_users %d)\n",
			   t->active_mm->mm_users);
}

/*
 * render_mm - MNT/<pid>/mm: the mm_struct, one "name value" line per
 * field in this order: start_code end_code start_data end_data start_brk
 * brk start_stack arg_start arg_end env_start env_end mmap_base task_size
 * (0x hex), map_count total_vm locked_vm pinned_vm data_vm exec_vm
 * stack_vm shared_vm (pages) pgtables_bytes mm_users mm_count rss_file
 * rss_anon rss_swapents rss_shmem hiwater_rss hiwater_vm (pages, decimal),
 * pgd (physical address, hex), pcid, anon_vma (id or "none"), cpu_bitmap
 * (hex).  A kernel thread gets one line, "active_mm borrowed from pid N"
 * or "active_mm none"; a zombie nothing.
 */
void render_mm(struct seq *s, struct task_struct *t)
{
	struct mm_struct *mm = task_mm(t);

	if (t->kthread && t->exit_state != EXIT_ZOMBIE) {
		mm_show_borrowed(s, t);
		return;
	}
	if (!mm)
		return;
	mm_show_layout(s, mm);
	mm_show_counters(s, mm);
	mm_show_hw(s, mm);
}
