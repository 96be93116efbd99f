/*
 * render.h - the text and binary contents of the procfs files, computed
 * from the simulation's state.  Pure functions of the machine: no FUSE
 * here, so unit tests call them directly.  Callers hold the machine lock.
 */
#ifndef FS_RENDER_H
#define FS_RENDER_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/types.h>
#include "seq.h"
#include "kernel/sched.h"

/* put_le64 - store v at p as the 8 little-endian bytes of a record of a
 * binary file (pagemap, kpageflags, kpagecount: native u64 on x86, and
 * the host is x86 too, so a plain copy). */
static inline void put_le64(char *p, uint64_t v)
{
	_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
		       "the binary files are little-endian");
	memcpy(p, &v, sizeof(v));
}

/* What holds a frame, as frames/<pfn>'s state line and physmem.svg's
 * colours name it. */
enum frame_kind {
	FK_FREE, FK_PCP, FK_ZERO, FK_RESERVED, FK_PGTABLE, FK_VMALLOC,
	FK_SLAB, FK_KMALLOC_LARGE, FK_STACK, FK_ANON, FK_SWAPCACHE, FK_SHMEM,
	FK_FILE, FK_ALLOCATED, FK_TAIL, NR_FRAME_KINDS
};
extern const char *const frame_kind_name[NR_FRAME_KINDS];

struct page;
/* frame_kind_used - what holds frame pfn (p its descriptor), which is in
 * no free block and on no per-CPU list. */
enum frame_kind frame_kind_used(uint64_t pfn, const struct page *p);

/* render_physmem_svg - physmem.svg: every frame (or cell of 2^k frames
 * past 16384 cells), coloured by what holds it (the kind most of a cell's
 * frames have; free blocks green, darker by order), zones and nodes
 * marked, a legend with each kind's frame count. */
void render_physmem_svg(struct seq *s);

/* render_maps_svg - <pid>/maps.svg: the address space, high addresses on
 * top, each vma a box to scale (the biggest 240 px, none under its
 * label's 18 px) shaded along its length by what its pages are
 * (resident, swapped, untouched), labelled with its range, protection,
 * size and name; holes too wide for the scale are broken. */
void render_maps_svg(struct seq *s, struct task_struct *t);

/* render_index_html - index.html: the counters that matter (from meminfo
 * and vmstat), physmem.svg and each process's maps.svg (the first 32),
 * reloading itself every second: open it from the mount in a browser. */
void render_index_html(struct seq *s);

/* The owner the simulated processes show (Uid/Gid lines, directory
 * owners): the user who mounted the tree. */
extern uid_t render_uid;
extern gid_t render_gid;

/* ---- per process (render_pid.c) ----
 * t is any task (a process leader or a thread). Kernel threads and zombies
 * render as procfs shows them (empty maps, no Vm lines...). */
void render_maps(struct seq *s, struct task_struct *t);
void render_smaps(struct seq *s, struct task_struct *t);
/* render_smaps_rollup - returns -ESRCH for a task without mm, else 0. */
int render_smaps_rollup(struct seq *s, struct task_struct *t);
void render_status(struct seq *s, struct task_struct *t);
void render_stat(struct seq *s, struct task_struct *t);
void render_statm(struct seq *s, struct task_struct *t);
void render_cmdline(struct seq *s, struct task_struct *t);
void render_comm(struct seq *s, struct task_struct *t);
void render_oom_score(struct seq *s, struct task_struct *t);
void render_io(struct seq *s, struct task_struct *t);
void render_schedstat(struct seq *s, struct task_struct *t);
void render_numa_maps(struct seq *s, struct task_struct *t);
/* The targets of <pid>/exe and <pid>/cwd into buf: the length, or
 * -ENOENT when there is none. */
int readlink_exe(struct task_struct *t, char *buf, size_t size);
int readlink_cwd(struct task_struct *t, char *buf, size_t size);
/* render_environ - -ESRCH without mm, else 0. */
int render_environ(struct seq *s, struct task_struct *t);
void render_pagetable(struct seq *s, struct task_struct *t);
/* render_vtop - <pid>/vtop for address va (vtop_parse's): the vma, the
 * page-table walk, each CPU's TLB, the frame or swap slot, and what a
 * read, write and exec would do now; va must be valid for the machine's
 * paging (cpu_va_valid).  Changes nothing.  -ESRCH for a zombie (no mm,
 * not a kernel thread). */
int render_vtop(struct seq *s, struct task_struct *t, uint64_t va);
void render_mm(struct seq *s, struct task_struct *t);

/* read_pagemap - `size` bytes of t's pagemap at offset off (both multiples
 * of 8, else -EINVAL; -ESRCH without mm); returns the bytes written to buf
 * (0 at or past the end: TASK_SIZE/4096 entries). */
ssize_t read_pagemap(struct task_struct *t, char *buf, size_t size,
		     uint64_t off);
/* task_mm - the address space procfs shows for t (Linux's get_task_mm):
 * NULL for kernel threads (even while they borrow an active_mm) and
 * zombies. */
struct mm_struct *task_mm(const struct task_struct *t);

/* vma_name - the name maps shows for vma: its file's path, a special
 * mapping's name, [heap] or [stack]; NULL for other anonymous vmas. */
struct vm_area_struct;
const char *vma_name(const struct vm_area_struct *vma);

/* pagemap_entry - the 64-bit pagemap entry of one virtual address. */
uint64_t pagemap_entry(struct task_struct *t, uint64_t va);

/* ---- machine-wide (render_sys.c) ---- */
void render_meminfo(struct seq *s);
void render_vmstat(struct seq *s);
void render_buddyinfo(struct seq *s);
void render_zoneinfo(struct seq *s);
void render_pagetypeinfo(struct seq *s);
void render_slabinfo(struct seq *s);
void render_proc_stat(struct seq *s);
void render_uptime(struct seq *s);
void render_pid_max(struct seq *s);
void render_softirqs(struct seq *s);
void render_filesystems(struct seq *s);
void render_interrupts(struct seq *s);
void render_diskstats(struct seq *s);
void render_net_dev(struct seq *s);
void render_osrelease(struct seq *s);
void render_loadavg(struct seq *s);
void render_cpuinfo(struct seq *s);
void render_swaps(struct seq *s);
void render_vmallocinfo(struct seq *s);
void render_machine(struct seq *s);
/* node_cpulist - the CPUs of node nid, as a Linux cpulist ("0-1,3"). */
void node_cpulist(struct seq *s, int nid);
/* render_frame - frames/<pfn>; pfn < max_pfn. */
void render_frame(struct seq *s, uint64_t pfn);
/* render_tlb_entry - entry i of TLB t as cpu<N>/tlb's entry lines give
 * it after "entry: " ("set S way W va 0x.. pfn N pcid P flags ..."). */
struct tlb;
void render_tlb_entry(struct seq *s, const struct tlb *t, unsigned int i);
/* The files of node/ (Linux's /sys/devices/system/node): online and
 * possible at its top, numastat, meminfo, cpulist and distance in each
 * node<N>/; nid < nr_online_nodes. */
void render_node_online(struct seq *s);
void render_node_numastat(struct seq *s, int nid);
void render_node_meminfo(struct seq *s, int nid);
void render_node_cpulist(struct seq *s, int nid);
void render_node_distance(struct seq *s, int nid);
/* The files of cpu/ (Linux's /sys/devices/system/cpu): online, possible
 * and present (every CPU of the machine), offline (none), kernel_max
 * (HW_MAX_CPUS - 1, the machine's NR_CPUS - 1); per CPU cpu<N>/online
 * and cpu<N>/topology/ (one package, a core per CPU, no SMT, as
 * cpuinfo's physical id, core id and siblings say); cpu < hw.nr_cpus. */
void render_cpus_online(struct seq *s);
void render_cpus_offline(struct seq *s);
void render_cpus_kernel_max(struct seq *s);
void render_cpu_online(struct seq *s, int cpu);
void render_cpu_package_id(struct seq *s, int cpu);
void render_cpu_core(struct seq *s, int cpu);
void render_cpu_package_cpus(struct seq *s, int cpu);

/* render_tlb - cpu<N>/tlb; cpu < hw.nr_cpus. */
void render_tlb(struct seq *s, int cpu);

/* kpageflags_of / kpagecount_of - the 64-bit entries of /proc/kpageflags
 * and /proc/kpagecount for one frame. */
uint64_t kpageflags_of(uint64_t pfn);
uint64_t kpagecount_of(uint64_t pfn);
/* read_kpage - kpageflags (count=false) or kpagecount bytes at off: both
 * multiples of 8 else -EINVAL; 0 past the last frame. */
ssize_t read_kpage(char *buf, size_t size, uint64_t off, bool count);

#endif
