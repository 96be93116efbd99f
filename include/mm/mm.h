/*
 * mm.h - the memory manager's interface: address-space lifetime, mmap and
 * friends, the fault path, the user-access paths, reverse mapping, overcommit
 * accounting and the invariant checker.
 *
 * Every function that takes input from outside validates it fully before it
 * changes anything and returns 0 (or a result) or -errno, the check that
 * fails recording its reason (errstr.h); broken invariants BUG().
 */
#ifndef MM_MM_H
#define MM_MM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "mm/mm_types.h"
#include "kernel/sched.h"
#include "mm/pgtable.h"

/* mmap prot and flags, with Linux's values. */
#define PROT_NONE	0x0
#define PROT_READ	0x1
#define PROT_WRITE	0x2
#define PROT_EXEC	0x4
#define PROT_GROWSDOWN	0x01000000

#define MAP_SHARED	0x01
#define MAP_PRIVATE	0x02
#define MAP_SHARED_VALIDATE 0x03	/* shared, refusing unknown flags */
#define MAP_DROPPABLE	0x08		/* not simulated: EINVAL */
#define MAP_TYPE	0x0f
#define MAP_FIXED	0x10
#define MAP_ANONYMOUS	0x20
#define MAP_32BIT	0x40		/* x86-64: below 2 GiB */
#define MAP_ABOVE4G	0x80		/* not simulated */
#define MAP_GROWSDOWN	0x0100
#define MAP_DENYWRITE	0x0800		/* ignored, as on Linux */
#define MAP_EXECUTABLE	0x1000		/* ignored, as on Linux */
#define MAP_LOCKED	0x2000
#define MAP_NORESERVE	0x4000
#define MAP_POPULATE	0x8000
#define MAP_NONBLOCK	0x10000
#define MAP_STACK	0x20000
#define MAP_HUGETLB	0x40000		/* not simulated */
#define MAP_SYNC	0x80000
#define MAP_FIXED_NOREPLACE 0x100000
#define MAP_UNINITIALIZED 0x4000000	/* ignored, as on Linux */
#define MAP_HUGE_SHIFT	26
#define MAP_HUGE_MASK	0x3f
/* The flags MAP_SHARED (and MAP_SHARED_VALIDATE) always knew; Linux's
 * LEGACY_MAP_MASK (include/linux/mman.h). */
#define LEGACY_MAP_MASK	(MAP_SHARED | MAP_PRIVATE | MAP_FIXED | \
			 MAP_ANONYMOUS | MAP_DENYWRITE | MAP_EXECUTABLE | \
			 MAP_UNINITIALIZED | MAP_GROWSDOWN | MAP_LOCKED | \
			 MAP_NORESERVE | MAP_POPULATE | MAP_NONBLOCK | \
			 MAP_STACK | MAP_HUGETLB | MAP_32BIT | MAP_ABOVE4G | \
			 (21UL << MAP_HUGE_SHIFT) | (30UL << MAP_HUGE_SHIFT))
/* Every bit Linux 6.18 gives a meaning on x86-64 (uapi asm/mman.h and
 * asm-generic/mman-common.h); the others are unknown flags, which mmap
 * ignores, but MAP_SHARED_VALIDATE refuses (EOPNOTSUPP). */
#define MAP_DEFINED_MASK (LEGACY_MAP_MASK | MAP_TYPE | MAP_SYNC | \
			  MAP_FIXED_NOREPLACE | \
			  ((unsigned long)MAP_HUGE_MASK << MAP_HUGE_SHIFT))

#define MREMAP_MAYMOVE	1
#define MREMAP_FIXED	2

#define MADV_NORMAL	0
#define MADV_WILLNEED	3
#define MADV_DONTNEED	4
#define MADV_FREE	8
#define MADV_COLD	20
#define MADV_PAGEOUT	21

/* Fault flags and results (Linux's FAULT_FLAG_* and VM_FAULT_*). */
#define FAULT_FLAG_WRITE	0x01
#define FAULT_FLAG_USER		0x02
#define FAULT_FLAG_INSTRUCTION	0x04
#define FAULT_FLAG_REMOTE	0x08

#define VM_FAULT_OOM		0x0001
#define VM_FAULT_SIGBUS		0x0002
#define VM_FAULT_MAJOR		0x0004
#define VM_FAULT_SIGSEGV	0x0040
#define VM_FAULT_ERROR		(VM_FAULT_OOM | VM_FAULT_SIGBUS | VM_FAULT_SIGSEGV)

/* The state of one fault as it goes down the layers (Linux's vm_fault). */
struct vm_fault {
	struct vm_area_struct *vma;
	uint64_t address;		/* page-aligned */
	unsigned int flags;		/* FAULT_FLAG_* */
	uint64_t pgoff;			/* page index in the vma's object */
	struct pte_ref pte;
	uint64_t orig_pte;
	struct task_struct *task;	/* whose counters the fault goes to */
	int outcome;			/* enum fault_outcome, or -1 */
};

/* ---- address spaces (fork.c, mmap.c) ---- */

/* mm_alloc - an empty address space with its own top-level table and the
 * layout (task_size, mmap_base) of the machine. NULL on ENOMEM. */
struct mm_struct *mm_alloc(void);
/* mmget/mmput - users (tasks); the last mmput tears the space down. */
void mmget(struct mm_struct *mm);
void mmput(struct mm_struct *mm);
/* mmgrab/mmdrop - references to the struct (lazy TLB); last frees pgd. */
void mmgrab(struct mm_struct *mm);
void mmdrop(struct mm_struct *mm);
/* dup_mm - fork's copy of mm: vmas, and page tables copy-on-write.
 * NULL and *err (-ENOMEM) with nothing changed in mm. */
struct mm_struct *dup_mm(struct mm_struct *oldmm, int *err);
/* exit_mmap - unmap every vma and free every table but the top one. */
void exit_mmap(struct mm_struct *mm);
/* setup_new_stack - the [stack] vma of an image without arguments (init
 * none): 128 KiB plus one page below the stack top. */
int setup_new_stack(struct mm_struct *mm);
/* setup_stack - a [stack] vma [start, end) that grows down, with
 * extra_flags (VM_EXEC), committed; start_stack = end. 0 or -ENOMEM. */
int setup_stack(struct mm_struct *mm, uint64_t start, uint64_t end,
		uint64_t extra_flags);
/* mm_set_layout - task_size and mmap_base for the machine and layout. */
void mm_set_layout(struct mm_struct *mm);
/* stack_rnd_range - the stack top's random range with --aslr (else 0). */
uint64_t stack_rnd_range(void);
/* arch_mmap_rnd - with --aslr, Linux's random offset of mmap_base and of
 * a PIE's load address (28 bits of pages on x86-64, 8 on i386; else 0). */
uint64_t arch_mmap_rnd(void);
/* elf_et_dyn_base - where programs (PIE) are loaded, and where the brk
 * of a loader run directly goes: 2/3 of TASK_SIZE on x86-64, 4 MiB on
 * i386. */
uint64_t elf_et_dyn_base(const struct mm_struct *mm);

/* ---- mmap.c ---- */
uint64_t get_unmapped_area(struct mm_struct *mm, struct address_space *file,
			   uint64_t addr, uint64_t len, uint64_t pgoff,
			   unsigned long flags);
/* do_mmap - mmap() of anonymous memory: returns the address or -errno
 * (IS_ERR_VALUE). */
uint64_t do_mmap(struct task_struct *t, uint64_t addr, uint64_t len,
		 unsigned long prot, unsigned long flags, uint64_t pgoff);
/* do_mmap_file - mmap() of the host file at path from byte offset off
 * (page aligned, else -EINVAL); -ENOENT/-EACCES/-ENXIO when it cannot be
 * opened, -EACCES for a shared writable mapping of a file the user cannot
 * write, -ENODEV for a file without mmap (neither a regular file nor
 * /dev/zero), -EOPNOTSUPP for a flag the file refuses, -EOVERFLOW when
 * the mapping would end past the largest file offset. */
uint64_t do_mmap_file(struct task_struct *t, uint64_t addr, uint64_t len,
		      unsigned long prot, unsigned long flags, const char *path,
		      uint64_t off);
int do_munmap(struct mm_struct *mm, uint64_t start, uint64_t len);
/* mmap_mm - mmap() into mm with no task behind it (the ELF loader): file
 * NULL for anonymous memory; never populates. Address or -errno. */
uint64_t mmap_mm(struct mm_struct *mm, struct address_space *file,
		 uint64_t addr, uint64_t len, unsigned long prot,
		 unsigned long flags, uint64_t pgoff);
/* vm_brk_flags - anonymous heap-like memory at [addr, addr+len), replacing
 * what is there and extending an adjacent compatible vma (Linux's
 * vm_brk_flags: the loader's bss); extra may hold VM_EXEC. 0 or -errno. */
int vm_brk_flags(struct mm_struct *mm, uint64_t addr, uint64_t len,
		 uint64_t extra);
/* do_brk - brk(): returns the brk after the call; *err is -ENOMEM when the
 * request failed (brk unchanged). brk 0 queries. */
uint64_t do_brk(struct task_struct *t, uint64_t brk, int *err);
int do_mprotect(struct task_struct *t, uint64_t start, uint64_t len,
		unsigned long prot);
/* mprotect_mm - mprotect() in mm with no task behind it (ld.c's RELRO
 * and PROT_NONE holes): 0, -EINVAL, -ENOMEM or -EACCES, nothing changed
 * on error. */
int mprotect_mm(struct mm_struct *mm, uint64_t start, uint64_t len,
		unsigned long prot);
uint64_t do_mremap(struct task_struct *t, uint64_t addr, uint64_t old_len,
		   uint64_t new_len, unsigned long flags);
int do_madvise(struct task_struct *t, uint64_t start, uint64_t len, int advice);
int do_mlock(struct task_struct *t, uint64_t start, uint64_t len, bool lock);

/* Helpers shared by the mmap family (mmap.c). */
struct vm_area_struct *vm_area_alloc(struct mm_struct *mm);
struct vm_area_struct *vm_area_dup(struct vm_area_struct *orig);
void vm_area_free(struct vm_area_struct *vma);
/* split_vma - split vma at addr (page aligned, strictly inside); the new vma
 * is the lower part if new_below. -ENOMEM at max_map_count or OOM. */
int split_vma(struct mm_struct *mm, struct vm_area_struct *vma, uint64_t addr,
	      bool new_below);
/* vma_merge_neighbours - merge vma with its prev and/or next when they are
 * compatible and contiguous; returns the surviving vma. */
struct vm_area_struct *vma_merge_neighbours(struct mm_struct *mm,
					    struct vm_area_struct *vma);
/* vm_stat_account - total_vm/exec_vm/stack_vm/data_vm/shared_vm by npages. */
void vm_stat_account(struct mm_struct *mm, uint64_t flags, int64_t npages);
/* populate_range - fault in the vmas of [start, end) as __mm_populate
 * does: 0, or at the first page that cannot be faulted in (a PROT_NONE
 * vma, SIGBUS past the end of a file) -EFAULT, -ENOMEM when out of
 * memory.  With ignore_errors (mm_populate), the rest of that vma is
 * skipped and 0 returned. */
int populate_range(struct task_struct *t, uint64_t start, uint64_t end,
		   bool ignore_errors);

/* max_map_count_error - -ENOMEM with its reason: the address space holds
 * as many vmas as vm.max_map_count allows. */
int max_map_count_error(void);

/* ---- util.c: overcommit ---- */
/* total_swap_pages (swap.h): the page slots of every swap area. */
extern uint64_t total_swap_pages;
/* __vm_enough_memory - may pages more be committed? 0 (and charged) or
 * -ENOMEM (nothing charged), per overcommit_memory. */
int vm_enough_memory(int64_t pages);
void vm_unacct_memory(int64_t pages);
/* vm_commit_limit - CommitLimit in pages. */
uint64_t vm_commit_limit(void);
/* accountable_mapping - does a private writable mapping charge commit? */
bool accountable_mapping(struct address_space *file, uint64_t vm_flags);

/* ---- fault.c ---- */
/* do_exception - the IDT entry for #PF and #GP of the task running on cpu
 * (see hw/cpu.h's exception handler): 0 to retry the access, -EFAULT when
 * the task got SIGSEGV or SIGBUS, -ENOMEM when no frame was left. */
struct cpu;
int do_exception(struct cpu *cpu, int vector, uint64_t cr2,
		 unsigned int error_code, void *arg);

/* What a user-mode access would do now (fault_predict). */
struct fault_prediction {
	int outcome;		/* enum fault_outcome the fault would count;
				 * -1: no fault, the page tables allow it */
	bool major;		/* it would read swap or a file */
	bool stack_grow;	/* a VM_GROWSDOWN vma would grow to it first */
	bool then_sigsegv;	/* a fetch: the page it maps is NX, the
				 * retry gets SIGSEGV */
	const char *why;	/* SIGSEGV, SIGBUS, a special mapping: why */
};

/* fault_predict - what a user-mode access (ACC_WRITE, ACC_FETCH or 0 for
 * a read) by mm's task at address would do right now, decided by the
 * fault path's own tests (do_exception, do_user_addr_fault,
 * handle_pte_fault, do_wp_page...) without acting on them: nothing in
 * the machine changes (no A/D bit, no TLB fill, no counter).  The answer
 * holds until the next change of the mm; the reclaim an allocation may
 * run, an OOM, a failed readahead or stack rlimit are not foreseen. */
void fault_predict(struct mm_struct *mm, uint64_t address,
		   unsigned int access, struct fault_prediction *fp);

/* ---- memory.c: faults and unmapping ---- */
/* linear_page_index - the page index of address in vma's object. */
static inline uint64_t linear_page_index(const struct vm_area_struct *vma,
					 uint64_t address)
{
	return ((address - vma->vm_start) >> PAGE_SHIFT) + vma->vm_pgoff;
}

/* handle_mm_fault - resolve a fault at address in vma: VM_FAULT_* bits (0
 * when a page is now mapped as the access needs). */
int handle_mm_fault(struct vm_area_struct *vma, uint64_t address,
		    unsigned int flags, struct task_struct *t);
/* vm_normal_page - the struct page an entry maps, or NULL (zero page). */
struct page *vm_normal_page(struct vm_area_struct *vma, uint64_t addr,
			    uint64_t pte);
/* zap_page_range - unmap and release every page in [start, end) of vma,
 * and flush the TLBs. unmap_page_range does the same without the flush
 * (for a caller that flushes a larger range once) and returns how many
 * entries it cleared. */
void zap_page_range(struct vm_area_struct *vma, uint64_t start, uint64_t end);
uint64_t unmap_page_range(struct vm_area_struct *vma, uint64_t start,
			  uint64_t end);
/* copy_page_range - fork: copy dst_vma's entries from src_vma, COW. */
int copy_page_range(struct vm_area_struct *dst_vma,
		    struct vm_area_struct *src_vma);
/* change_protection - apply vma's new vm_flags to the entries of
 * [start, end) (mprotect). */
void change_protection(struct vm_area_struct *vma, uint64_t start,
		       uint64_t end);
/* move_page_tables - mremap: move the entries of [old, old+len) of vma to
 * new_addr in new_vma. -ENOMEM if a table cannot be had (nothing moved). */
int move_page_tables(struct vm_area_struct *vma, uint64_t old_addr,
		     struct vm_area_struct *new_vma, uint64_t new_addr,
		     uint64_t len);
/* expand_stack - grow a VM_GROWSDOWN vma down to cover address. */
int expand_stack(struct vm_area_struct *vma, uint64_t address);

/* ---- rmap.c ---- */
void page_add_anon_rmap(struct page *page, struct vm_area_struct *vma,
			uint64_t address, bool new_page);
void page_add_file_rmap(struct page *page, struct vm_area_struct *vma);
/* page_remove_rmap - one entry of vma stops mapping page. */
void page_remove_rmap(struct page *page, struct vm_area_struct *vma);
/* anon_vma_prepare - give vma (and its mm) an anon_vma. -ENOMEM. */
int anon_vma_prepare(struct vm_area_struct *vma);
void anon_vma_put(struct anon_vma *av);
/* rmap_walk - call fn for every (mm, vma, address) whose entry maps page. */
typedef void (*rmap_fn_t)(struct mm_struct *mm, struct vm_area_struct *vma,
			  uint64_t address, void *arg);
void rmap_walk(struct page *page, rmap_fn_t fn, void *arg);
/* page_referenced - how many entries mapping page had their accessed
 * bit set; the bits are cleared (and the translations flushed).  vm_flags
 * gets the flags of the vmas that referenced it, and VM_LOCKED if a
 * locked vma maps it (Linux's folio_referenced). */
int page_referenced(struct page *page, uint64_t *vm_flags);
/* try_to_unmap - unmap page from every process (Linux's try_to_unmap):
 * an anon page must be in the swap cache, its entries become swap
 * entries; *address gets the first address unmapped (0: none).  True
 * when no mapping is left. */
bool try_to_unmap(struct page *page, uint64_t *address);
/* page_address_in_mm - an address a mapped page is at (the first rmap
 * finds), and its mm in *mm (if mm is not NULL); 0 and NULL if it is not
 * mapped. */
uint64_t page_address_in_mm(struct page *page, struct mm_struct **mm);
/* page_mkclean - write-protect and clean every entry of a shared mapping
 * that maps the page writable or dirty, flushing each (Linux's
 * folio_mkclean); a dirty entry dirties the page.  Returns the entries
 * changed. */
int page_mkclean(struct page *page);
/* mm_owner - a task using mm (the leader), or NULL. */
struct task_struct *mm_owner(struct mm_struct *mm);

/* ---- shmem.c: MAP_SHARED|MAP_ANONYMOUS objects ---- */
struct address_space *shmem_zero_setup(uint64_t size, uint64_t vm_flags);
/* dev_zero_open - the object of a /dev/zero node (any path to the mem
 * driver's minor 5) named path, with the node's device and inode for
 * maps; NULL on ENOMEM. */
struct address_space *dev_zero_open(const char *path, uint32_t dev_major,
				    uint32_t dev_minor, uint64_t ino);
void mapping_get(struct address_space *m);
void mapping_put(struct address_space *m);
/* find_get_page - the page at index, or NULL. */
struct page *find_get_page(struct address_space *m, uint64_t index);
int add_to_page_cache(struct page *page, struct address_space *m,
		      uint64_t index);
/* __delete_from_page_cache - remove an unmapped page from its cache,
 * leaving shadow (0: none) in its slot (Linux's __filemap_remove_folio);
 * the cache's reference is dropped. */
void __delete_from_page_cache(struct page *page, uintptr_t shadow);
/* delete_from_page_cache - the same, leaving no shadow. */
void delete_from_page_cache(struct page *page);
/* shmem_fault - the page at vmf->pgoff, allocated (zeroed) on first use
 * or brought back from swap (VM_FAULT_MAJOR when read), in *pagep with a
 * reference for the caller. */
int shmem_fault(struct vm_fault *vmf, struct page **pagep);
/* shmem_writepage - reclaim's writeout of a dirty, unmapped shmem page:
 * it moves to the swap cache, written to a new slot, the object keeping
 * the slot's entry in its place.  0, or -ENOMEM (no slot, the group's
 * memory.swap.max, host memory) leaving it in place and dirty. */
int shmem_writepage(struct page *page);
/* shmem_unuse - swapoff of area type: every shmem page in it back into
 * its object (the frames were counted beforehand). */
void shmem_unuse(unsigned int type);
/* shmem_swap_usage - the pages of the vma's range of its shmem object
 * that are in swap (0 for any other vma). */
uint64_t shmem_swap_usage(const struct vm_area_struct *vma);

/* ---- filemap.c: host files and their page cache ---- */
extern struct list_head file_cache;	/* every host-file object */
/* filemap_open - the object of the host file at path, opened read-only
 * (shared by every mapping of the same inode). NULL and *err: -ENOENT,
 * -EACCES (unreadable or not a regular file), -ENOMEM; only -ENOMEM has
 * a reason: the caller that needed the file says why it cannot have it. */
struct address_space *filemap_open(const char *path, int *err);
/* mmap_file - a file given to mmap (Linux's struct file, reduced): its
 * object, NULL when the file has no mmap operation (a directory, a FIFO,
 * a device other than /dev/zero), whether the user may write it (Linux
 * asks whether it was opened for writing, FMODE_WRITE; the daemon only
 * ever reads host files), and the path it was opened by (for reasons). */
struct mmap_file {
	struct address_space *mapping;
	bool writable;
	const char *path;
};
/* mmap_file_open - the file at path as mmap's caller would have opened
 * it: writable when the user may write it (never a directory).  Special
 * files are only looked at, never opened (a FIFO would block, a device
 * could act).  0 (f->mapping holds a reference, or is NULL) or -ENOENT,
 * -EACCES (cannot be read), -ENXIO (a socket), -ENOMEM. */
int mmap_file_open(const char *path, struct mmap_file *f);
/* filemap_release - mapping_put's last reference to a host file. */
void filemap_release(struct address_space *m);
/* filemap_fault - the page at vmf->pgoff, read from the host on a miss
 * (VM_FAULT_MAJOR), in *pagep with a reference for the caller (reclaim,
 * run by the caller's next allocation, cannot free it then);
 * VM_FAULT_SIGBUS at or past the end of the file. */
int filemap_fault(struct vm_fault *vmf, struct page **pagep);
/* set_page_dirty - mark a page written; a host file's page counts in
 * nr_dirty (meminfo Dirty) until it is written back or leaves the cache,
 * and in nr_dirtied. */
void set_page_dirty(struct page *page);
/* filemap_writepage - write a dirty host-file page back to its object's
 * copy of the file (the host file is never written): its entries are
 * write-protected and cleaned, the page is clean after, counted in
 * nr_written and pgpgout.  0, or -ENOMEM (host memory) leaving it dirty.
 * (Linux's folio_clear_dirty_for_io then a_ops->writepage.) */
int filemap_writepage(struct page *page);
/* filemap_shrink - drop up to max cached pages that no process maps (clean
 * ones only unless dirty_too); objects left with neither mapping nor page
 * nor written copy go (with dirty_too, at shutdown, even those with a
 * copy).  Returns the pages dropped (drop_caches, shutdown). */
uint64_t filemap_shrink(uint64_t max, bool dirty_too);
/* drop_caches - vm.drop_caches (Linux's fs/drop_caches.c): mode bit 1
 * drops the clean page cache no process maps (shmem cannot be dropped),
 * bit 2 frees the empty slabs (no cache here has reclaimable objects;
 * Linux would shrink dentries and inodes, and keep empty slabs), bit 4
 * only silences the log; each counted as Linux counts it. */
void drop_caches(unsigned int mode);

/* ---- uaccess.c: accesses by a task, and /proc/PID/mem ---- */
/* kernel_access - a kernel-mode load (write=false) or store by kernel
 * thread t (made by kthread_create) on its CPU, through the tables of the
 * mm it borrows there (their kernel half is init_mm's): TLB, page walk,
 * fault.  A fault nothing resolves (a bad kernel address, any user
 * address: SMAP) is an oops: t dies and this returns -EFAULT.  len is
 * 1..PAGE_SIZE.  -EPERM for any other task and for a store that would
 * reach a page table or a reserved frame (the machine's own state: the
 * simulation must not be corrupted), -EINVAL for an address beyond
 * i386's 32 bits; nothing is stored then. */
int kernel_access(struct task_struct *t, uint64_t va, void *buf, size_t len,
		  bool write);
/* user_access - a user-mode load (write=false) or store by t on its CPU:
 * TLB, page walk, fault.  On a bad access t gets SIGSEGV (it dies) and this
 * returns -EFAULT; -ESRCH if t is not alive. */
int user_access(struct task_struct *t, uint64_t va, void *buf, size_t len,
		bool write);
/* user_touch - one access of kind ACC_READ/ACC_WRITE/ACC_FETCH to every page
 * of [va, va+len); *faults counts the faults taken. -EFAULT as above. */
int user_touch(struct task_struct *t, uint64_t va, uint64_t len,
	       unsigned int access, uint64_t *faults);
/* One access of a trace being replayed. */
struct user_op {
	uint64_t va;
	uint32_t len;		/* bytes (an access may cross a page) */
	uint32_t access;	/* ACC_READ, ACC_WRITE or ACC_FETCH */
};
/* What a replay's accesses did; user_access_batch adds to it. */
struct access_stats {
	uint64_t accesses;	/* references completed */
	uint64_t hits;		/* of those, the ones that took no page fault */
	uint64_t minor, major;	/* the task's min_flt and maj_flt increase */
	uint64_t tlb_hits, tlb_misses;	/* of the TLB of the task's CPU */
};
/* user_access_batch - ops[0..n) as user-mode accesses by t on its CPU,
 * without moving data (valgrind lackey's model); adds what they did to
 * *st (st->accesses counts the ops completed).  Stops at the first bad
 * access: -EFAULT (t got SIGSEGV), or -ESRCH if t is not alive. */
int user_access_batch(struct task_struct *t, const struct user_op *ops,
		      size_t n, struct access_stats *st);
/* user_ops_done - the ops user_access_batch has completed, on any task
 * since the daemon started: the clock a replay's future is read by. */
extern uint64_t user_ops_done;

/* access_remote_vm - /proc/PID/mem: read or write through mm's page tables
 * with faults as get_user_pages(FOLL_FORCE) takes them.  Returns the bytes
 * done (0 if the first page is not accessible). */
size_t access_remote_vm(struct task_struct *t, uint64_t addr, void *buf,
			size_t len, bool write);
/* access_mm - the same on mm, whoever uses it (exec fills a new image):
 * faults are counted for t. */
size_t access_mm(struct mm_struct *mm, struct task_struct *t, uint64_t addr,
		 void *buf, size_t len, bool write);

/* ---- oom_kill.c ---- */
/* The address space an operation is copying from (fork): the OOM killer
 * may not tear it down under the operation, only mark its owner. */
extern struct mm_struct *oom_busy_mm;
/* out_of_memory - kill the task with the largest RSS (+ page tables).
 * Returns true if a victim was killed or marked. */
bool out_of_memory(struct mm_struct *faulting);
/* oom_badness - Linux's oom_badness: the points of t as the OOM killer
 * weighs it (RSS + swap entries + page-table pages, plus oom_score_adj
 * scaled to totalpages), or OOM_UNKILLABLE for init, kernel threads and
 * tasks without an address space. */
#define OOM_UNKILLABLE	INT64_MIN
int64_t oom_badness(const struct task_struct *t, uint64_t totalpages);
/* set_oom_score_adj - /proc/PID/oom_score_adj, for t's whole process:
 * 0, or -EINVAL outside OOM_SCORE_ADJ_MIN..MAX. */
#define OOM_SCORE_ADJ_MIN	(-1000)
#define OOM_SCORE_ADJ_MAX	1000
int set_oom_score_adj(struct task_struct *t, int64_t adj);
/* oom_totalpages - the pages the OOM killer measures against (Linux's
 * totalram_pages() + total_swap_pages in out_of_memory). */
uint64_t oom_totalpages(void);
/* oom_score - /proc/PID/oom_score (Linux's proc_oom_score): the badness
 * scaled to 0..1000 and squeezed into 0..666 for oom_score_adj 0; 0 for
 * tasks the killer never takes. */
unsigned int oom_score(const struct task_struct *t);
/* alloc_page_oom - a frame for user memory or page tables, killing the
 * largest task and retrying when RAM is exhausted. NULL when nothing helps
 * or when the caller's own task was chosen. */
struct page *alloc_page_oom(unsigned int gfp, struct mm_struct *mm);
/* alloc_user_page - alloc_page_oom for a page of user memory, charged to
 * mm's memory group (mem_cgroup_charge): NULL when either fails. */
struct page *alloc_user_page(unsigned int gfp, struct mm_struct *mm);

/* ---- check.c ---- */
/* mm_check - verify every invariant of the machine; appends one line per
 * problem to buf and returns the count (0: consistent). */
int mm_check(char *buf, size_t size);

#endif
