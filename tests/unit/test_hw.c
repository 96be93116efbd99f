/*
 * test_hw.c - unit tests of the simulated machine (hw/): physical RAM, the
 * paging geometry, the page walker, the TLB and the CPU access path.
 *
 * Page tables are built by hand with hw_pt_write(); the tests then check
 * exact translations, exact #PF error codes and exactly which entries got
 * their Accessed/Dirty bits.  Tests that expect a BUG_ON rely on check's
 * fork mode (the default) to survive the abort.
 */
#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "hw/cpu.h"

#define RAM_4L_FRAMES	(1ULL << 19)	/* 2 GiB: room for a 1 GiB page */
#define RAM_2L_FRAMES	4096ULL		/* 16 MiB: room for 4 MiB pages */
#define TABLE_PFN0	16		/* page tables come from here up */
#define DATA_PFN	0x200ULL	/* a data frame above the tables */
#define TF		(_PAGE_PRESENT | _PAGE_RW | _PAGE_USER)
#define URW		(_PAGE_PRESENT | _PAGE_RW | _PAGE_USER)
#define AD		(_PAGE_ACCESSED | _PAGE_DIRTY)
#define NO_EC		0xdeadU

/* ---- the machine under test and a hand-made page-table builder ---- */

static struct hw hw;
static struct cpu *cpu0;
static uint64_t root;		/* top-level table of the test's address space */
static uint64_t next_pfn;

/* boot - power on a machine (2 CPUs, 64:4 TLBs), give CPU 0 an empty
 * top-level table and zero its TLB counters. */
static void boot(enum paging_mode mode, uint64_t frames, bool pcid)
{
	struct hw_config cfg = {
		.nr_frames = frames, .nr_cpus = 2, .tlb_entries = 64,
		.tlb_ways = 4, .mode = mode, .pcid = pcid,
	};

	ck_assert_int_eq(hw_init(&hw, &cfg), 0);
	cpu0 = &hw.cpus[0];
	next_pfn = TABLE_PFN0;
	root = next_pfn++ << PAGE_SHIFT;
	cpu_write_cr3(cpu0, root, pcid ? 1 : 0);
	cpu0->tlb.hits = cpu0->tlb.misses = 0;
	cpu0->tlb.flush_all = cpu0->tlb.flush_one = 0;
}

/* boot_4l, boot_4l_pcid, boot_2l - fixtures: boot the machine a TCase
 * tests (2 GiB 4-level, the same with PCID, 16 MiB 2-level). */
static void boot_4l(void)
{
	boot(PAGING_4LEVEL, RAM_4L_FRAMES, false);
}

static void boot_4l_pcid(void)
{
	boot(PAGING_4LEVEL, RAM_4L_FRAMES, true);
}

static void boot_2l(void)
{
	boot(PAGING_2LEVEL, RAM_2L_FRAMES, false);
}

/* shutdown - fixture: power the machine off. */
static void shutdown(void)
{
	hw_destroy(&hw);
}

/* table_at - the level-`level` table on va's path; missing tables are
 * created (entries TF) when create, else the test fails. */
static uint64_t table_at(uint64_t va, int level, bool create)
{
	uint64_t table = root;
	int l;

	for (l = hw.geom->levels; l > level; l--) {
		unsigned int i = pt_index(hw.geom, l, va);
		uint64_t e = hw_pt_read(&hw, table, i);

		if (!(e & _PAGE_PRESENT)) {
			ck_assert(create);
			e = (next_pfn++ << PAGE_SHIFT) | TF;
			hw_pt_write(&hw, table, i, e);
		}
		table = e & hw.geom->pfn_mask;
	}
	return table;
}

/* set_entry - store val as va's level-`level` entry (tables created). */
static void set_entry(uint64_t va, int level, uint64_t val)
{
	hw_pt_write(&hw, table_at(va, level, true), pt_index(hw.geom, level, va),
		    val);
}

/* get_entry - va's level-`level` entry; the path to it must exist. */
static uint64_t get_entry(uint64_t va, int level)
{
	return hw_pt_read(&hw, table_at(va, level, false),
			  pt_index(hw.geom, level, va));
}

/* change_entry - clear then set bits of the level-`level` entry for va. */
static void change_entry(uint64_t va, int level, uint64_t clear, uint64_t set)
{
	set_entry(va, level, (get_entry(va, level) & ~clear) | set);
}

/* map_4k - make va's PT entry map frame pfn with flags. */
static void map_4k(uint64_t va, uint64_t pfn, uint64_t flags)
{
	set_entry(va, 1, (pfn << PAGE_SHIFT) | flags);
}

/* walk - mmu_walk from the test root; *ec is poisoned first. */
static int walk(uint64_t va, unsigned int access, struct mmu_result *r,
		unsigned int *ec)
{
	*ec = NO_EC;
	return mmu_walk(&hw, root, va, access, r, ec);
}

/* expect_fault - the walk of va for access fails with error code ec and
 * leaves every entry above `level` (the faulting one) without A. */
static void expect_fault(uint64_t va, unsigned int access, unsigned int ec,
			 int level)
{
	struct mmu_result r;
	unsigned int got;
	int l;

	ck_assert_int_eq(walk(va, access, &r, &got), -1);
	ck_assert_uint_eq(got, ec);
	for (l = hw.geom->levels; l >= level; l--)
		ck_assert_uint_eq(get_entry(va, l) & AD, 0);
}

/* ---- the exception handler the tests install ---- */

struct handler_state {
	int calls;
	int vector;
	uint64_t cr2;
	unsigned int ec;
	int ret;		/* what the handler returns */
	bool map;		/* map cr2's page to map_pfn with map_flags */
	uint64_t map_pfn, map_flags;
	unsigned int tlb_valid;	/* TLB entries when the handler ran */
};

static struct handler_state hs;

/* test_handler - records the exception in *arg (a handler_state), maps the
 * faulting page when asked, and returns the configured result. */
static int test_handler(struct cpu *cpu, int vector, uint64_t cr2,
			unsigned int error_code, void *arg)
{
	struct handler_state *h = arg;

	h->calls++;
	h->vector = vector;
	h->cr2 = cr2;
	h->ec = error_code;
	h->tlb_valid = tlb_nr_valid(&cpu->tlb);
	if (h->map)
		map_4k(cr2 & PAGE_MASK, h->map_pfn, h->map_flags);
	return h->ret;
}

/* boot_cpu, boot_cpu_pcid, boot_cpu_2l - boot_4l, boot_4l_pcid, boot_2l
 * plus the test handler with a fresh state. */
static void boot_cpu(void)
{
	boot_4l();
	memset(&hs, 0, sizeof(hs));
	hw_set_exception_handler(&hw, test_handler, &hs);
}

static void boot_cpu_pcid(void)
{
	boot_4l_pcid();
	memset(&hs, 0, sizeof(hs));
	hw_set_exception_handler(&hw, test_handler, &hs);
}

static void boot_cpu_2l(void)
{
	boot_2l();
	memset(&hs, 0, sizeof(hs));
	hw_set_exception_handler(&hw, test_handler, &hs);
}

/* ================================ physmem ================================ */

static struct physmem pm;

/* pm_setup, pm_teardown - fixture: 64 frames of RAM. */
static void pm_setup(void)
{
	ck_assert_int_eq(physmem_init(&pm, 64), 0);
}

static void pm_teardown(void)
{
	physmem_destroy(&pm);
}

START_TEST(physmem_init_bad_sizes)
{
	struct physmem p;

	ck_assert_int_eq(physmem_init(&p, 0), -EINVAL);
	ck_assert_ptr_null(p.ram);
	ck_assert_int_eq(physmem_init(&p, 1ULL << 41), -EINVAL);
	ck_assert_int_eq(physmem_init(&p, UINT64_MAX), -EINVAL);
	physmem_destroy(&p);		/* destroying an empty pm is fine */
	ck_assert_int_eq(physmem_init(&p, 1), 0);
	ck_assert_uint_eq(p.nr_frames, 1);
	physmem_destroy(&p);
	ck_assert_ptr_null(p.ram);
	physmem_destroy(&p);
}
END_TEST

START_TEST(physmem_starts_zero_and_unwritten)
{
	uint8_t buf[PAGE_SIZE], zero[PAGE_SIZE] = { 0 };
	uint64_t pfn;

	ck_assert_uint_eq(pm.nr_written, 0);
	for (pfn = 0; pfn < 64; pfn++) {
		ck_assert(!phys_frame_written(&pm, pfn));
		memset(buf, 0xaa, sizeof(buf));
		phys_read(&pm, pfn << PAGE_SHIFT, buf, PAGE_SIZE);
		ck_assert_mem_eq(buf, zero, PAGE_SIZE);
	}
}
END_TEST

START_TEST(physmem_write_marks_and_zero_clears)
{
	uint8_t b = 0x5a, out = 0;

	phys_write(&pm, 3 * PAGE_SIZE + 100, &b, 1);
	ck_assert(phys_frame_written(&pm, 3));
	ck_assert(!phys_frame_written(&pm, 2));
	ck_assert(!phys_frame_written(&pm, 4));
	ck_assert_uint_eq(pm.nr_written, 1);
	phys_write(&pm, 3 * PAGE_SIZE, &b, 1);	/* same frame: no recount */
	ck_assert_uint_eq(pm.nr_written, 1);
	phys_read(&pm, 3 * PAGE_SIZE + 100, &out, 1);
	ck_assert_uint_eq(out, 0x5a);

	phys_zero_frame(&pm, 3);
	ck_assert(!phys_frame_written(&pm, 3));
	ck_assert_uint_eq(pm.nr_written, 0);
	phys_read(&pm, 3 * PAGE_SIZE + 100, &out, 1);
	ck_assert_uint_eq(out, 0);

	phys_zero_frame(&pm, 5);		/* never written: nothing to do */
	ck_assert_uint_eq(pm.nr_written, 0);
	ck_assert(!phys_frame_written(&pm, 5));
}
END_TEST

START_TEST(physmem_across_frame_boundary)
{
	const char msg[] = "0123456789abcdef";
	char out[sizeof(msg)] = { 0 }, half[8];

	phys_write(&pm, 2 * PAGE_SIZE - 8, msg, 16);
	ck_assert(phys_frame_written(&pm, 1));
	ck_assert(phys_frame_written(&pm, 2));
	ck_assert_uint_eq(pm.nr_written, 2);
	phys_read(&pm, 2 * PAGE_SIZE - 8, out, 16);
	ck_assert_mem_eq(out, msg, 16);
	phys_read(&pm, 2 * PAGE_SIZE, half, 8);
	ck_assert_mem_eq(half, "89abcdef", 8);

	/* the last byte of RAM is reachable */
	phys_write(&pm, 64 * PAGE_SIZE - 1, "z", 1);
	phys_read(&pm, 64 * PAGE_SIZE - 1, out, 1);
	ck_assert_int_eq(out[0], 'z');
	ck_assert_uint_eq(pm.nr_written, 3);
}
END_TEST

START_TEST(physmem_copy_frame)
{
	uint8_t pat[PAGE_SIZE], out[PAGE_SIZE], zero[PAGE_SIZE] = { 0 };

	memset(pat, 0x77, sizeof(pat));
	phys_write(&pm, 10 * PAGE_SIZE, pat, PAGE_SIZE);	/* src */
	phys_write(&pm, 11 * PAGE_SIZE, "junk", 4);		/* dst */
	ck_assert_uint_eq(pm.nr_written, 2);

	/* never-written src: dst becomes zero and unwritten */
	phys_copy_frame(&pm, 11, 12);
	ck_assert(!phys_frame_written(&pm, 11));
	ck_assert_uint_eq(pm.nr_written, 1);
	phys_read(&pm, 11 * PAGE_SIZE, out, PAGE_SIZE);
	ck_assert_mem_eq(out, zero, PAGE_SIZE);

	/* written src: dst is a copy and written */
	phys_copy_frame(&pm, 13, 10);
	ck_assert(phys_frame_written(&pm, 13));
	ck_assert_uint_eq(pm.nr_written, 2);
	phys_read(&pm, 13 * PAGE_SIZE, out, PAGE_SIZE);
	ck_assert_mem_eq(out, pat, PAGE_SIZE);
}
END_TEST

START_TEST(physmem_entry_accessors)
{
	phys_write64(&pm, 5 * PAGE_SIZE + 8, 0x8000000012345067ULL);
	phys_write32(&pm, 6 * PAGE_SIZE + 4, 0xfedcb067U);
	ck_assert_uint_eq(phys_read64(&pm, 5 * PAGE_SIZE + 8),
			  0x8000000012345067ULL);
	ck_assert_uint_eq(phys_read32(&pm, 6 * PAGE_SIZE + 4), 0xfedcb067U);
	ck_assert_uint_eq(phys_read32(&pm, 6 * PAGE_SIZE), 0);
	ck_assert_uint_eq(pm.nr_written, 2);
}
END_TEST

START_TEST(physmem_read_out_of_range_bugs)
{
	uint8_t b[2];

	phys_read(&pm, 64 * PAGE_SIZE - 1, b, 2);
}
END_TEST

START_TEST(physmem_write_out_of_range_bugs)
{
	phys_write(&pm, 64 * PAGE_SIZE, "x", 1);
}
END_TEST

START_TEST(physmem_zero_frame_out_of_range_bugs)
{
	phys_zero_frame(&pm, 64);
}
END_TEST

/* resident_pages - host pages of [p, p + bytes) that are in memory. */
static uint64_t resident_pages(void *p, size_t bytes)
{
	size_t host_page = (size_t)sysconf(_SC_PAGESIZE);
	size_t n = bytes / host_page, i;
	unsigned char *vec = malloc(n);
	uint64_t count = 0;

	ck_assert_ptr_nonnull(vec);
	ck_assert_int_eq(mincore(p, bytes, vec), 0);
	for (i = 0; i < n; i++)
		count += vec[i] & 1;
	free(vec);
	return count;
}

START_TEST(physmem_16g_only_touched_frames_cost)
{
	const uint64_t frames = 4ULL << 20;	/* 16 GiB */
	const uint64_t touch[] = { 0, 1 << 20, 3 << 20, frames - 1 };
	struct physmem big;
	uint64_t v, i;

	ck_assert_int_eq(physmem_init(&big, frames), 0);
	ck_assert_uint_eq(resident_pages(big.ram, frames << PAGE_SHIFT), 0);
	for (i = 0; i < ARRAY_SIZE(touch); i++)
		phys_write64(&big, touch[i] << PAGE_SHIFT, touch[i] + 1);
	ck_assert_uint_eq(big.nr_written, ARRAY_SIZE(touch));
	ck_assert_uint_eq(resident_pages(big.ram, frames << PAGE_SHIFT),
			  ARRAY_SIZE(touch));
	for (i = 0; i < ARRAY_SIZE(touch); i++) {
		phys_read(&big, touch[i] << PAGE_SHIFT, &v, sizeof(v));
		ck_assert_uint_eq(v, touch[i] + 1);
	}
	/* zeroing an untouched frame of a huge RAM costs nothing */
	phys_zero_frame(&big, 2 << 20);
	ck_assert_uint_eq(resident_pages(big.ram, frames << PAGE_SHIFT),
			  ARRAY_SIZE(touch));
	physmem_destroy(&big);
}
END_TEST

START_TEST(physmem_64g_init)
{
	const uint64_t frames = 16ULL << 20;	/* 64 GiB */
	struct physmem big;

	ck_assert_int_eq(physmem_init(&big, frames), 0);
	phys_write64(&big, (frames - 1) << PAGE_SHIFT, 42);
	ck_assert_uint_eq(phys_read64(&big, (frames - 1) << PAGE_SHIFT), 42);
	ck_assert_uint_eq(big.nr_written, 1);
	physmem_destroy(&big);
}
END_TEST

/* ================================== x86 ================================== */

START_TEST(x86_geometries)
{
	const struct paging_geom *g4 = paging_geom(PAGING_4LEVEL);
	const struct paging_geom *g2 = paging_geom(PAGING_2LEVEL);

	ck_assert_int_eq(g4->levels, 4);
	ck_assert_int_eq(g4->bits_per_level, 9);
	ck_assert_int_eq(g4->entry_size, 8);
	ck_assert_int_eq(g4->va_bits, 48);
	ck_assert_uint_eq(g4->pfn_mask, PTE_PFN_MASK_64);
	ck_assert_str_eq(g4->level_names[1], "PT");
	ck_assert_str_eq(g4->level_names[2], "PD");
	ck_assert_str_eq(g4->level_names[3], "PDPT");
	ck_assert_str_eq(g4->level_names[4], "PML4");
	ck_assert_uint_eq(pt_entries(g4), 512);
	ck_assert_int_eq(pt_level_shift(g4, 3), 30);

	ck_assert_int_eq(g2->levels, 2);
	ck_assert_int_eq(g2->bits_per_level, 10);
	ck_assert_int_eq(g2->entry_size, 4);
	ck_assert_int_eq(g2->va_bits, 32);
	ck_assert_uint_eq(g2->pfn_mask, PTE_PFN_MASK_32);
	ck_assert_str_eq(g2->level_names[1], "PT");
	ck_assert_str_eq(g2->level_names[2], "PD");
	ck_assert_uint_eq(pt_entries(g2), 1024);
	ck_assert_int_eq(pt_level_shift(g2, 2), 22);

	ck_assert_ptr_null(paging_geom((enum paging_mode)7));
}
END_TEST

START_TEST(x86_pt_index)
{
	const struct paging_geom *g4 = paging_geom(PAGING_4LEVEL);
	const struct paging_geom *g2 = paging_geom(PAGING_2LEVEL);
	uint64_t va = 0x00007f1234567000ULL;

	ck_assert_uint_eq(pt_index(g4, 4, va), 0xfe);
	ck_assert_uint_eq(pt_index(g4, 3, va), 0x48);
	ck_assert_uint_eq(pt_index(g4, 2, va), 0x1a2);
	ck_assert_uint_eq(pt_index(g4, 1, va), 0x167);
	ck_assert_uint_eq(pt_index(g2, 2, 0x12345678), 0x48);
	ck_assert_uint_eq(pt_index(g2, 1, 0x12345678), 0x345);
}
END_TEST

/* =========================== mmu, 4-level paging ========================== */

#define VA	0x00007f1234567abcULL	/* a user address, 4 distinct indices */

START_TEST(mmu4_translate_sets_accessed)
{
	struct mmu_result r;
	unsigned int ec;
	int l;

	map_4k(VA, DATA_PFN, URW);
	ck_assert_int_eq(walk(VA, ACC_READ | ACC_USER, &r, &ec), 0);
	ck_assert_uint_eq(ec, NO_EC);
	ck_assert_uint_eq(r.pa, (DATA_PFN << PAGE_SHIFT) | 0xabc);
	ck_assert_int_eq(r.level, 1);
	ck_assert_uint_eq(r.leaf, (DATA_PFN << PAGE_SHIFT) | URW |
			  _PAGE_ACCESSED);
	ck_assert_uint_eq(r.tlb_flags, TLB_WRITE | TLB_USER);
	for (l = 4; l >= 1; l--)
		ck_assert_uint_eq(get_entry(VA, l) & AD, _PAGE_ACCESSED);
	ck_assert_uint_eq(hw.page_walks, 1);
}
END_TEST

START_TEST(mmu4_write_sets_dirty_in_leaf_only)
{
	struct mmu_result r;
	unsigned int ec;
	int l;

	map_4k(VA, DATA_PFN, URW);
	ck_assert_int_eq(walk(VA, ACC_WRITE, &r, &ec), 0);
	ck_assert_uint_eq(get_entry(VA, 1) & AD, AD);
	for (l = 4; l >= 2; l--)
		ck_assert_uint_eq(get_entry(VA, l) & AD, _PAGE_ACCESSED);
	ck_assert_uint_eq(r.leaf & AD, AD);
	ck_assert_uint_eq(r.tlb_flags, TLB_WRITE | TLB_USER | TLB_DIRTY);
	/* a later read reports the D bit already set */
	ck_assert_int_eq(walk(VA, ACC_READ, &r, &ec), 0);
	ck_assert(r.tlb_flags & TLB_DIRTY);
	ck_assert_uint_eq(hw.page_walks, 2);
}
END_TEST

/* mmu_probe answers as mmu_walk would, and changes nothing: no A/D bit,
 * no page walk counted; a refusal gives mmu_walk's error code. */
START_TEST(mmu4_probe_changes_nothing)
{
	struct mmu_result r, w;
	unsigned int ec, wec;
	int l;

	map_4k(VA, DATA_PFN, URW);
	ck_assert_int_eq(mmu_probe(&hw, root, VA + 12, ACC_WRITE | ACC_USER,
				   &r, &ec), 0);
	for (l = 4; l >= 1; l--)
		ck_assert_uint_eq(get_entry(VA, l) & AD, 0);
	ck_assert_uint_eq(hw.page_walks, 0);
	ck_assert_uint_eq(r.leaf, get_entry(VA, 1));
	ck_assert_uint_eq(r.pa, (DATA_PFN << PAGE_SHIFT) | ((VA + 12) & 0xfff));
	ck_assert_uint_eq(r.tlb_flags, TLB_WRITE | TLB_USER);
	ck_assert_int_eq(walk(VA + 12, ACC_WRITE | ACC_USER, &w, &wec), 0);
	ck_assert_uint_eq(w.pa, r.pa);
	change_entry(VA, 2, _PAGE_RW, 0);
	ck_assert_int_eq(mmu_probe(&hw, root, VA, ACC_WRITE | ACC_USER, &r,
				   &ec), -1);
	ck_assert_int_eq(walk(VA, ACC_WRITE | ACC_USER, &w, &wec), -1);
	ck_assert_uint_eq(ec, wec);
	ck_assert_uint_eq(hw.page_walks, 2);
}
END_TEST

/* not present at level _i: error code is the access bits alone */
START_TEST(mmu4_not_present_each_level)
{
	int level = _i;

	map_4k(VA, DATA_PFN, URW);
	change_entry(VA, level, _PAGE_PRESENT, 0);
	expect_fault(VA, ACC_WRITE | ACC_USER, X86_PF_WRITE | X86_PF_USER,
		     level);
	expect_fault(VA, ACC_READ, 0, level);
	expect_fault(VA, ACC_FETCH | ACC_USER, X86_PF_INSTR | X86_PF_USER,
		     level);
	ck_assert_uint_eq(hw.page_walks, 3);
}
END_TEST

/* US clear at level _i: user accesses fault PROT, kernel accesses work */
START_TEST(mmu4_user_vs_supervisor)
{
	struct mmu_result r;
	unsigned int ec;

	map_4k(VA, DATA_PFN, URW);
	change_entry(VA, _i, _PAGE_USER, 0);
	expect_fault(VA, ACC_READ | ACC_USER, X86_PF_PROT | X86_PF_USER, 1);
	ck_assert_int_eq(walk(VA, ACC_WRITE, &r, &ec), 0);
	ck_assert_uint_eq(r.tlb_flags, TLB_WRITE | TLB_DIRTY);
}
END_TEST

/* RW clear at level _i: writes fault PROT even in kernel mode (CR0.WP) */
START_TEST(mmu4_write_to_read_only)
{
	struct mmu_result r;
	unsigned int ec;

	map_4k(VA, DATA_PFN, URW);
	change_entry(VA, _i, _PAGE_RW, 0);
	expect_fault(VA, ACC_WRITE, X86_PF_PROT | X86_PF_WRITE, 1);
	expect_fault(VA, ACC_WRITE | ACC_USER,
		     X86_PF_PROT | X86_PF_WRITE | X86_PF_USER, 1);
	ck_assert_int_eq(walk(VA, ACC_READ | ACC_USER, &r, &ec), 0);
	ck_assert_uint_eq(r.tlb_flags, TLB_USER);
	ck_assert_uint_eq(get_entry(VA, 1) & AD, _PAGE_ACCESSED);
}
END_TEST

/* NX at level _i: fetches fault PROT|INSTR, reads work and report NX */
START_TEST(mmu4_nx_fetch)
{
	struct mmu_result r;
	unsigned int ec;

	map_4k(VA, DATA_PFN, URW);
	ck_assert_int_eq(walk(VA, ACC_FETCH | ACC_USER, &r, &ec), 0);
	ck_assert(!(r.tlb_flags & TLB_NX));
	change_entry(VA, _i, 0, _PAGE_NX);
	ck_assert_int_eq(walk(VA, ACC_FETCH | ACC_USER, &r, &ec), -1);
	ck_assert_uint_eq(ec, X86_PF_PROT | X86_PF_INSTR | X86_PF_USER);
	ck_assert_int_eq(walk(VA, ACC_FETCH, &r, &ec), -1);
	ck_assert_uint_eq(ec, X86_PF_PROT | X86_PF_INSTR);
	ck_assert_int_eq(walk(VA, ACC_READ, &r, &ec), 0);
	ck_assert_uint_eq(r.tlb_flags, TLB_WRITE | TLB_USER | TLB_NX);
}
END_TEST

START_TEST(mmu4_not_present_beats_protection)
{
	/* a not-present leaf under a supervisor-only PD: still not present */
	map_4k(VA, DATA_PFN, 0);
	change_entry(VA, 2, _PAGE_USER, 0);
	expect_fault(VA, ACC_READ | ACC_USER, X86_PF_USER, 1);
}
END_TEST

START_TEST(mmu4_reserved_ps_in_pml4)
{
	map_4k(VA, DATA_PFN, URW);
	change_entry(VA, 4, 0, _PAGE_PSE);
	expect_fault(VA, ACC_READ, X86_PF_RSVD | X86_PF_PROT, 4);
	expect_fault(VA, ACC_WRITE | ACC_USER, X86_PF_RSVD | X86_PF_PROT |
		     X86_PF_WRITE | X86_PF_USER, 4);
}
END_TEST

START_TEST(mmu4_reserved_table_outside_ram)
{
	map_4k(VA, DATA_PFN, URW);
	set_entry(VA, 3, (RAM_4L_FRAMES << PAGE_SHIFT) | TF);
	expect_fault(VA, ACC_READ | ACC_USER,
		     X86_PF_RSVD | X86_PF_PROT | X86_PF_USER, 3);
	set_entry(VA, 3, (1ULL << 51) | TF);
	expect_fault(VA, ACC_READ, X86_PF_RSVD | X86_PF_PROT, 3);
}
END_TEST

START_TEST(mmu4_reserved_leaf_outside_ram)
{
	struct mmu_result r;
	unsigned int ec;

	map_4k(VA, RAM_4L_FRAMES, URW);
	expect_fault(VA, ACC_READ, X86_PF_RSVD | X86_PF_PROT, 1);
	map_4k(VA, RAM_4L_FRAMES - 1, URW);	/* the last frame is fine */
	ck_assert_int_eq(walk(VA, ACC_READ, &r, &ec), 0);
	ck_assert_uint_eq(r.pa, ((RAM_4L_FRAMES - 1) << PAGE_SHIFT) | 0xabc);
	ck_assert_uint_eq(hw.page_walks, 2);
}
END_TEST

START_TEST(mmu4_ignored_bits)
{
	struct mmu_result r;
	unsigned int ec;

	/* bit 7 of a PT entry (PAT), bits 52..62 and 9..11 are not reserved */
	map_4k(VA, DATA_PFN, URW | _PAGE_PSE | _PAGE_SOFTW1 | (0x7ffULL << 52));
	ck_assert_int_eq(walk(VA, ACC_READ, &r, &ec), 0);
	ck_assert_int_eq(r.level, 1);
	ck_assert_uint_eq(r.pa, (DATA_PFN << PAGE_SHIFT) | 0xabc);
}
END_TEST

START_TEST(mmu4_large_2m)
{
	const uint64_t va = 0x40000000ULL + 0x3456789ULL;	/* PD index 26 */
	const uint64_t base = 3ULL << 21;
	struct mmu_result r;
	unsigned int ec;

	set_entry(va, 2, base | URW | _PAGE_PSE);
	ck_assert_int_eq(walk(va, ACC_WRITE | ACC_USER, &r, &ec), 0);
	ck_assert_int_eq(r.level, 2);
	ck_assert_uint_eq(r.pa, base + (va & ((1 << 21) - 1)));
	ck_assert_uint_eq(r.tlb_flags, TLB_WRITE | TLB_USER | TLB_DIRTY);
	ck_assert_uint_eq(get_entry(va, 2), base | URW | _PAGE_PSE | AD);
	ck_assert_uint_eq(get_entry(va, 3) & AD, _PAGE_ACCESSED);
	ck_assert_uint_eq(get_entry(va, 4) & AD, _PAGE_ACCESSED);
}
END_TEST

START_TEST(mmu4_large_1g)
{
	const uint64_t va = 0x8000000000ULL + 0x12345678ULL;	/* PML4 1 */
	const uint64_t base = 1ULL << 30;
	struct mmu_result r;
	unsigned int ec;

	set_entry(va, 3, base | URW | _PAGE_PSE | _PAGE_GLOBAL);
	ck_assert_int_eq(walk(va, ACC_READ, &r, &ec), 0);
	ck_assert_int_eq(r.level, 3);
	ck_assert_uint_eq(r.pa, base + 0x12345678ULL);
	ck_assert_uint_eq(r.tlb_flags, TLB_WRITE | TLB_USER | TLB_GLOBAL);
	ck_assert_uint_eq(get_entry(va, 3) & AD, _PAGE_ACCESSED);
	ck_assert_uint_eq(get_entry(va, 4) & AD, _PAGE_ACCESSED);
}
END_TEST

START_TEST(mmu4_large_misaligned_or_outside_ram)
{
	const uint64_t va2m = 0x40000000ULL, va1g = 0x8000000000ULL;
	struct mmu_result r;
	unsigned int ec;

	set_entry(va2m, 2, ((3ULL << 21) + PAGE_SIZE) | URW | _PAGE_PSE);
	expect_fault(va2m, ACC_READ, X86_PF_RSVD | X86_PF_PROT, 2);
	set_entry(va1g, 3, ((1ULL << 30) + (1ULL << 21)) | URW | _PAGE_PSE);
	expect_fault(va1g, ACC_READ, X86_PF_RSVD | X86_PF_PROT, 3);
	/* a 1G page at 2G lies beyond the 2 GiB of RAM */
	set_entry(va1g, 3, (2ULL << 30) | URW | _PAGE_PSE);
	expect_fault(va1g, ACC_READ, X86_PF_RSVD | X86_PF_PROT, 3);
	/* a 2M page whose last byte is the last byte of RAM is fine */
	set_entry(va2m, 2, ((RAM_4L_FRAMES << PAGE_SHIFT) - (1ULL << 21)) |
		  URW | _PAGE_PSE);
	ck_assert_int_eq(walk(va2m + 0x1fffff, ACC_READ, &r, &ec), 0);
	ck_assert_uint_eq(r.pa, (RAM_4L_FRAMES << PAGE_SHIFT) - 1);
}
END_TEST

START_TEST(mmu4_global_only_from_leaf)
{
	struct mmu_result r;
	unsigned int ec;

	map_4k(VA, DATA_PFN, URW);
	change_entry(VA, 2, 0, _PAGE_GLOBAL);
	ck_assert_int_eq(walk(VA, ACC_READ, &r, &ec), 0);
	ck_assert(!(r.tlb_flags & TLB_GLOBAL));
	change_entry(VA, 1, 0, _PAGE_GLOBAL);
	ck_assert_int_eq(walk(VA, ACC_READ, &r, &ec), 0);
	ck_assert(r.tlb_flags & TLB_GLOBAL);
}
END_TEST

/* forget_written - clear the written bit of the frame holding pa, so that
 * a later store into it shows up in the bitmap again. */
static void forget_written(uint64_t pa)
{
	uint64_t pfn = pa >> PAGE_SHIFT;

	ck_assert(phys_frame_written(&hw.mem, pfn));
	hw.mem.written[pfn >> 6] &= ~(1ULL << (pfn & 63));
	hw.mem.nr_written--;
}

START_TEST(mmu4_no_writeback_when_bits_already_set)
{
	struct mmu_result r;
	unsigned int ec;
	uint64_t written;
	int l;

	map_4k(VA, DATA_PFN, URW | AD);
	for (l = 4; l >= 2; l--)
		change_entry(VA, l, 0, _PAGE_ACCESSED);
	for (l = 4; l >= 1; l--)
		forget_written(table_at(VA, l, false));
	written = hw.mem.nr_written;
	ck_assert_int_eq(walk(VA, ACC_WRITE, &r, &ec), 0);
	ck_assert_uint_eq(r.leaf, (DATA_PFN << PAGE_SHIFT) | URW | AD);
	ck_assert_uint_eq(hw.mem.nr_written, written);	/* nothing stored */
	/* whereas a walk that sets D stores the leaf entry */
	change_entry(VA, 1, _PAGE_DIRTY, 0);
	forget_written(table_at(VA, 1, false));
	ck_assert_int_eq(walk(VA, ACC_WRITE, &r, &ec), 0);
	ck_assert_uint_eq(hw.mem.nr_written, written + 1);
	ck_assert(phys_frame_written(&hw.mem, table_at(VA, 1, false) >>
				     PAGE_SHIFT));
}
END_TEST

/* =========================== mmu, 2-level paging ========================== */

#define VA32	0x12345678ULL	/* PD index 0x48, PT index 0x345 */

START_TEST(mmu2_translate_4byte_entries)
{
	struct mmu_result r;
	unsigned int ec;
	uint64_t pt;

	map_4k(VA32, DATA_PFN, URW);
	pt = table_at(VA32, 1, false);
	ck_assert_uint_eq(hw_pt_read(&hw, root, 0x48), pt | TF);
	ck_assert_uint_eq(phys_read32(&hw.mem, root + 0x48 * 4), pt | TF);
	ck_assert_uint_eq(phys_read32(&hw.mem, pt + 0x345 * 4),
			  (DATA_PFN << PAGE_SHIFT) | URW);
	ck_assert_int_eq(walk(VA32, ACC_WRITE | ACC_USER, &r, &ec), 0);
	ck_assert_uint_eq(r.pa, (DATA_PFN << PAGE_SHIFT) | 0x678);
	ck_assert_int_eq(r.level, 1);
	ck_assert_uint_eq(r.tlb_flags, TLB_WRITE | TLB_USER | TLB_DIRTY);
	ck_assert_uint_eq(phys_read32(&hw.mem, pt + 0x345 * 4),
			  (DATA_PFN << PAGE_SHIFT) | URW | AD);
	ck_assert_uint_eq(phys_read32(&hw.mem, root + 0x48 * 4),
			  pt | TF | _PAGE_ACCESSED);
	/* neighbours of the 4-byte entries are untouched */
	ck_assert_uint_eq(phys_read32(&hw.mem, pt + 0x344 * 4), 0);
	ck_assert_uint_eq(phys_read32(&hw.mem, pt + 0x346 * 4), 0);
	ck_assert_uint_eq(phys_read32(&hw.mem, root + 0x49 * 4), 0);
}
END_TEST

START_TEST(mmu2_not_present_each_level)
{
	map_4k(VA32, DATA_PFN, URW);
	change_entry(VA32, _i, _PAGE_PRESENT, 0);
	expect_fault(VA32, ACC_WRITE | ACC_USER, X86_PF_WRITE | X86_PF_USER,
		     _i);
}
END_TEST

START_TEST(mmu2_protection)
{
	struct mmu_result r;
	unsigned int ec;

	map_4k(VA32, DATA_PFN, URW);
	change_entry(VA32, 2, _PAGE_USER, 0);
	expect_fault(VA32, ACC_READ | ACC_USER, X86_PF_PROT | X86_PF_USER, 1);
	change_entry(VA32, 2, 0, _PAGE_USER);
	change_entry(VA32, 1, _PAGE_RW, 0);
	expect_fault(VA32, ACC_WRITE, X86_PF_PROT | X86_PF_WRITE, 1);
	/* no NX in 4-byte entries: fetches are always allowed */
	ck_assert_int_eq(walk(VA32, ACC_FETCH | ACC_USER, &r, &ec), 0);
	ck_assert_uint_eq(r.tlb_flags, TLB_USER);
}
END_TEST

START_TEST(mmu2_large_4m)
{
	const uint64_t va = 0x80123456ULL;		/* PD index 0x200 */
	const uint64_t base = 2ULL << 22;
	struct mmu_result r;
	unsigned int ec;

	set_entry(va, 2, base | URW | _PAGE_PSE);
	ck_assert_int_eq(walk(va, ACC_READ, &r, &ec), 0);
	ck_assert_int_eq(r.level, 2);
	ck_assert_uint_eq(r.pa, base + 0x123456);
	ck_assert_uint_eq(phys_read32(&hw.mem, root + 0x200 * 4),
			  base | URW | _PAGE_PSE | _PAGE_ACCESSED);
	/* misaligned by 2 MiB: reserved */
	set_entry(va, 2, (base + (1ULL << 21)) | URW | _PAGE_PSE);
	expect_fault(va, ACC_READ, X86_PF_RSVD | X86_PF_PROT, 2);
	/* 4 MiB page at 16 MiB: beyond the 16 MiB of RAM */
	set_entry(va, 2, (4ULL << 22) | URW | _PAGE_PSE);
	expect_fault(va, ACC_READ, X86_PF_RSVD | X86_PF_PROT, 2);
}
END_TEST

START_TEST(mmu2_nx_bit_does_not_fit)
{
	map_4k(VA32, DATA_PFN, URW | _PAGE_NX);
}
END_TEST

/* ================================== tlb ================================== */

static struct tlb t;

/* tlb_setup, tlb_teardown - fixture: a 64-entry 4-way TLB (16 sets). */
static void tlb_setup(void)
{
	ck_assert_int_eq(tlb_init(&t, 64, 4), 0);
}

static void tlb_teardown(void)
{
	tlb_destroy(&t);
}

START_TEST(tlb_geometry)
{
	struct tlb x;

	ck_assert_int_eq(tlb_init(&x, 0, 4), -EINVAL);
	ck_assert_int_eq(tlb_init(&x, 64, 0), -EINVAL);
	ck_assert_int_eq(tlb_init(&x, 64, 5), -EINVAL);	/* not a multiple */
	ck_assert_int_eq(tlb_init(&x, 48, 4), -EINVAL);	/* 12 sets */
	ck_assert_int_eq(tlb_init(&x, 1536, 12), 0);	/* 128 sets */
	ck_assert_uint_eq(x.sets, 128);
	ck_assert_uint_eq(tlb_nr_valid(&x), 0);
	tlb_destroy(&x);
	ck_assert_int_eq(tlb_init(&x, 64, 64), 0);	/* fully associative */
	ck_assert_uint_eq(x.sets, 1);
	tlb_destroy(&x);
	ck_assert_int_eq(tlb_init(&x, 1, 1), 0);
	tlb_destroy(&x);
	ck_assert_uint_eq(t.sets, 16);
	ck_assert_uint_eq(t.ways, 4);
}
END_TEST

START_TEST(tlb_hit_and_miss_counts)
{
	struct tlb_entry *e;

	ck_assert_ptr_null(tlb_lookup(&t, 0x123, 0));
	tlb_fill(&t, 0x123, 0, 0x456, TLB_WRITE | TLB_USER);
	e = tlb_lookup(&t, 0x123, 0);
	ck_assert_ptr_nonnull(e);
	ck_assert_uint_eq(e->pfn, 0x456);
	ck_assert_uint_eq(e->flags, TLB_VALID | TLB_WRITE | TLB_USER);
	ck_assert_ptr_null(tlb_lookup(&t, 0x124, 0));	/* other page */
	ck_assert_ptr_null(tlb_lookup(&t, 0x123, 1));	/* other PCID */
	ck_assert_uint_eq(t.hits, 1);
	ck_assert_uint_eq(t.misses, 3);
}
END_TEST

START_TEST(tlb_global_matches_any_pcid)
{
	tlb_fill(&t, 0x10, 3, 0x20, TLB_GLOBAL);
	ck_assert_ptr_nonnull(tlb_lookup(&t, 0x10, 7));
	ck_assert_ptr_nonnull(tlb_lookup(&t, 0x10, 3));
	/* a fill for another PCID replaces the entry a lookup would find */
	tlb_fill(&t, 0x10, 7, 0x30, 0);
	ck_assert_uint_eq(tlb_nr_valid(&t), 1);
	ck_assert_uint_eq(tlb_lookup(&t, 0x10, 7)->pfn, 0x30);
	ck_assert_ptr_null(tlb_lookup(&t, 0x10, 3));
}
END_TEST

START_TEST(tlb_refill_replaces)
{
	tlb_fill(&t, 5, 0, 100, 0);
	tlb_fill(&t, 5, 0, 200, TLB_DIRTY);
	ck_assert_uint_eq(tlb_nr_valid(&t), 1);
	ck_assert_uint_eq(tlb_lookup(&t, 5, 0)->pfn, 200);
	tlb_fill(&t, 5, 1, 300, 0);		/* same page, other PCID */
	ck_assert_uint_eq(tlb_nr_valid(&t), 2);
	ck_assert_uint_eq(tlb_lookup(&t, 5, 0)->pfn, 200);
	ck_assert_uint_eq(tlb_lookup(&t, 5, 1)->pfn, 300);
}
END_TEST

START_TEST(tlb_set_associative_lru)
{
	uint64_t k;

	/* 16 sets: vpns k*16 all land in set 0, which has 4 ways */
	for (k = 0; k < 4; k++)
		tlb_fill(&t, k * 16, 0, k, 0);
	tlb_fill(&t, 1, 0, 99, 0);		/* set 1 */
	ck_assert_uint_eq(tlb_nr_valid(&t), 5);
	for (k = 0; k < 4; k++)
		ck_assert_ptr_nonnull(tlb_lookup(&t, k * 16, 0));
	/* LRU order now 0,16,32,48; touch 0 so 16 is the oldest */
	ck_assert_ptr_nonnull(tlb_lookup(&t, 0, 0));
	tlb_fill(&t, 64, 0, 4, 0);
	ck_assert_uint_eq(tlb_nr_valid(&t), 5);
	ck_assert_ptr_null(tlb_lookup(&t, 16, 0));
	ck_assert_ptr_nonnull(tlb_lookup(&t, 0, 0));
	ck_assert_ptr_nonnull(tlb_lookup(&t, 32, 0));
	ck_assert_ptr_nonnull(tlb_lookup(&t, 48, 0));
	ck_assert_ptr_nonnull(tlb_lookup(&t, 64, 0));
	ck_assert_ptr_nonnull(tlb_lookup(&t, 1, 0));	/* set 1 untouched */
	/* the lookups above made 0 the least recently used of set 0 */
	tlb_fill(&t, 80, 0, 5, 0);
	ck_assert_ptr_null(tlb_lookup(&t, 0, 0));
	ck_assert_ptr_nonnull(tlb_lookup(&t, 32, 0));
	ck_assert_uint_eq(tlb_nr_valid(&t), 5);
}
END_TEST

START_TEST(tlb_lru_survives_clock_wrap)
{
	uint64_t k;

	t.clock = UINT32_MAX - 2;
	for (k = 0; k < 4; k++)			/* stamps straddle the wrap */
		tlb_fill(&t, k * 16, 0, k, 0);
	tlb_fill(&t, 64, 0, 4, 0);
	ck_assert_ptr_null(tlb_lookup(&t, 0, 0));	/* oldest evicted */
	ck_assert_ptr_nonnull(tlb_lookup(&t, 48, 0));
}
END_TEST

START_TEST(tlb_fill_prefers_invalid_way)
{
	uint64_t k;

	for (k = 0; k < 4; k++)
		tlb_fill(&t, k * 16, 0, k, 0);
	tlb_invlpg(&t, 48, 0);			/* newest way becomes free */
	tlb_fill(&t, 64, 0, 4, 0);
	for (k = 0; k < 3; k++)
		ck_assert_ptr_nonnull(tlb_lookup(&t, k * 16, 0));
	ck_assert_ptr_nonnull(tlb_lookup(&t, 64, 0));
}
END_TEST

START_TEST(tlb_invlpg_drops_pcid_and_global)
{
	tlb_fill(&t, 7, 1, 70, 0);
	tlb_fill(&t, 7, 2, 71, 0);
	tlb_fill(&t, 23, 0, 72, TLB_GLOBAL);	/* same set, global */
	tlb_fill(&t, 8, 1, 80, 0);
	tlb_invlpg(&t, 7, 1);
	ck_assert_uint_eq(t.flush_one, 1);
	ck_assert_ptr_null(tlb_lookup(&t, 7, 1));
	ck_assert_ptr_nonnull(tlb_lookup(&t, 7, 2));
	ck_assert_ptr_nonnull(tlb_lookup(&t, 8, 1));
	tlb_invlpg(&t, 23, 5);			/* global: any PCID drops it */
	ck_assert_ptr_null(tlb_lookup(&t, 23, 0));
	ck_assert_uint_eq(t.flush_one, 2);
	ck_assert_uint_eq(tlb_nr_valid(&t), 2);
	ck_assert_uint_eq(t.flush_all, 0);
}
END_TEST

START_TEST(tlb_flush_all_and_pcid)
{
	tlb_fill(&t, 1, 1, 10, 0);
	tlb_fill(&t, 2, 2, 20, 0);
	tlb_fill(&t, 3, 1, 30, TLB_GLOBAL);
	tlb_flush_pcid(&t, 1);
	ck_assert_uint_eq(t.flush_all, 1);
	ck_assert_ptr_null(tlb_lookup(&t, 1, 1));
	ck_assert_ptr_nonnull(tlb_lookup(&t, 2, 2));
	ck_assert_ptr_nonnull(tlb_lookup(&t, 3, 1));
	tlb_flush_all(&t, true);
	ck_assert_uint_eq(t.flush_all, 2);
	ck_assert_uint_eq(tlb_nr_valid(&t), 1);
	ck_assert_ptr_nonnull(tlb_lookup(&t, 3, 9));
	tlb_flush_all(&t, false);
	ck_assert_uint_eq(t.flush_all, 3);
	ck_assert_uint_eq(tlb_nr_valid(&t), 0);
	ck_assert_uint_eq(t.flush_one, 0);
}
END_TEST

/* ================================== cpu ================================== */

START_TEST(cpu_hw_init_validates)
{
	struct hw_config cfg = {
		.nr_frames = 256, .nr_cpus = 1, .tlb_entries = 64,
		.tlb_ways = 4, .mode = PAGING_4LEVEL,
	};
	struct hw h;
	int i;

	cfg.nr_cpus = 0;
	ck_assert_int_eq(hw_init(&h, &cfg), -EINVAL);
	cfg.nr_cpus = HW_MAX_CPUS + 1;
	ck_assert_int_eq(hw_init(&h, &cfg), -EINVAL);
	cfg.nr_cpus = 1;
	cfg.tlb_entries = 48;
	ck_assert_int_eq(hw_init(&h, &cfg), -EINVAL);
	cfg.tlb_entries = 64;
	cfg.nr_frames = 0;
	ck_assert_int_eq(hw_init(&h, &cfg), -EINVAL);
	cfg.nr_frames = (1ULL << 20) + 1;
	cfg.mode = PAGING_2LEVEL;		/* over 4 GiB */
	ck_assert_int_eq(hw_init(&h, &cfg), -EINVAL);
	cfg.mode = (enum paging_mode)9;
	ck_assert_int_eq(hw_init(&h, &cfg), -EINVAL);

	cfg.mode = PAGING_2LEVEL;
	cfg.nr_frames = 1ULL << 20;
	cfg.nr_cpus = HW_MAX_CPUS;
	ck_assert_int_eq(hw_init(&h, &cfg), 0);
	ck_assert_int_eq(h.nr_cpus, HW_MAX_CPUS);
	ck_assert_int_eq(h.geom->levels, 2);
	for (i = 0; i < HW_MAX_CPUS; i++) {
		ck_assert_int_eq(h.cpus[i].id, i);
		ck_assert_ptr_eq(h.cpus[i].hw, &h);
		ck_assert_uint_eq(h.cpus[i].cr3, 0);
		ck_assert_uint_eq(h.cpus[i].tlb.nr_entries, 64);
	}
	hw_destroy(&h);
	ck_assert_ptr_null(h.cpus);
}
END_TEST

/* The CPU's features: all of cpuinfo's list, PCID and INVPCID only when the
 * machine boots with PCID; the names are cpuinfo's. */
START_TEST(cpu_features)
{
	struct hw_config cfg = {
		.nr_frames = 256, .nr_cpus = 1, .tlb_entries = 64,
		.tlb_ways = 4, .mode = PAGING_4LEVEL,
	};
	struct hw h;

	ck_assert_int_eq(hw_init(&h, &cfg), 0);
	ck_assert(cpu_has(&h, X86_FEATURE_GBPAGES));
	ck_assert(cpu_has(&h, X86_FEATURE_NX));
	ck_assert(!cpu_has(&h, X86_FEATURE_PCID));
	ck_assert(!cpu_has(&h, X86_FEATURE_INVPCID));
	hw_destroy(&h);
	cfg.pcid = true;
	ck_assert_int_eq(hw_init(&h, &cfg), 0);
	ck_assert(cpu_has(&h, X86_FEATURE_PCID));
	ck_assert(cpu_has(&h, X86_FEATURE_INVPCID));
	hw_destroy(&h);
	ck_assert_str_eq(cpu_feature_name(X86_FEATURE_GBPAGES), "pdpe1gb");
	ck_assert_str_eq(cpu_feature_name(X86_FEATURE_XMM2), "sse2");
	ck_assert_str_eq(cpu_feature_name(X86_FEATURE_INVPCID), "invpcid");
}
END_TEST

START_TEST(cpu_pt_entry_sizes)
{
	uint64_t table = 5 * PAGE_SIZE;

	hw_pt_write(&hw, table, 1, 0x8000000000001067ULL);
	ck_assert_uint_eq(phys_read64(&hw.mem, table + 8),
			  0x8000000000001067ULL);
	ck_assert_uint_eq(hw_pt_read(&hw, table, 1), 0x8000000000001067ULL);
	ck_assert_uint_eq(hw_pt_read(&hw, table, 0), 0);
	ck_assert_uint_eq(hw_pt_read(&hw, table, 2), 0);
}
END_TEST

START_TEST(cpu_pt_index_out_of_range_bugs)
{
	hw_pt_read(&hw, 0, 512);
}
END_TEST

START_TEST(cpu_tlb_miss_then_hit)
{
	uint64_t pa;

	map_4k(VA, DATA_PFN, URW);
	ck_assert_int_eq(cpu_translate(cpu0, VA, ACC_READ | ACC_USER, &pa), 0);
	ck_assert_uint_eq(pa, (DATA_PFN << PAGE_SHIFT) | 0xabc);
	ck_assert_int_eq(cpu_translate(cpu0, VA + 1, ACC_READ, &pa), 0);
	ck_assert_uint_eq(pa, (DATA_PFN << PAGE_SHIFT) | 0xabd);
	ck_assert_uint_eq(cpu0->tlb.misses, 1);
	ck_assert_uint_eq(cpu0->tlb.hits, 1);
	ck_assert_uint_eq(hw.page_walks, 1);
	ck_assert_uint_eq(hw.faults, 0);
	ck_assert_uint_eq(tlb_nr_valid(&cpu0->tlb), 1);
	ck_assert_uint_eq(tlb_nr_valid(&hw.cpus[1].tlb), 0);
}
END_TEST

START_TEST(cpu_tlb_caches_until_invlpg)
{
	uint64_t pa;

	map_4k(VA, DATA_PFN, URW);
	ck_assert_int_eq(cpu_translate(cpu0, VA, ACC_READ, &pa), 0);
	map_4k(VA, DATA_PFN + 1, URW);		/* no flush: stale TLB wins */
	ck_assert_int_eq(cpu_translate(cpu0, VA, ACC_READ, &pa), 0);
	ck_assert_uint_eq(pa >> PAGE_SHIFT, DATA_PFN);
	cpu_invlpg(cpu0, VA);
	ck_assert_uint_eq(cpu0->tlb.flush_one, 1);
	ck_assert_int_eq(cpu_translate(cpu0, VA, ACC_READ, &pa), 0);
	ck_assert_uint_eq(pa >> PAGE_SHIFT, DATA_PFN + 1);
	ck_assert_uint_eq(hw.page_walks, 2);
}
END_TEST

START_TEST(cpu_write_to_clean_entry_rewalks)
{
	uint64_t pa;

	map_4k(VA, DATA_PFN, URW);
	ck_assert_int_eq(cpu_translate(cpu0, VA, ACC_READ | ACC_USER, &pa), 0);
	ck_assert_uint_eq(get_entry(VA, 1) & AD, _PAGE_ACCESSED);
	ck_assert_int_eq(cpu_translate(cpu0, VA, ACC_WRITE | ACC_USER, &pa), 0);
	ck_assert_uint_eq(hw.page_walks, 2);
	ck_assert_uint_eq(get_entry(VA, 1) & AD, AD);
	ck_assert_uint_eq(tlb_nr_valid(&cpu0->tlb), 1);
	ck_assert(tlb_lookup(&cpu0->tlb, VA >> PAGE_SHIFT, 0)->flags &
		  TLB_DIRTY);
	ck_assert_int_eq(cpu_translate(cpu0, VA, ACC_WRITE | ACC_USER, &pa), 0);
	ck_assert_uint_eq(hw.page_walks, 2);
	ck_assert_uint_eq(hw.faults, 0);
}
END_TEST

START_TEST(cpu_fetch_from_cached_nx_entry_faults)
{
	uint64_t pa;

	map_4k(VA, DATA_PFN, URW | _PAGE_NX);
	ck_assert_int_eq(cpu_translate(cpu0, VA, ACC_READ | ACC_USER, &pa), 0);
	hs.ret = -EFAULT;
	ck_assert_int_eq(cpu_translate(cpu0, VA, ACC_FETCH | ACC_USER, &pa),
			 -EFAULT);
	ck_assert_int_eq(hs.calls, 1);
	ck_assert_uint_eq(hs.ec, X86_PF_PROT | X86_PF_INSTR | X86_PF_USER);
	ck_assert_uint_eq(hs.tlb_valid, 0);	/* the #PF dropped the entry */
}
END_TEST

START_TEST(cpu_handler_maps_page_then_retry)
{
	uint64_t pa;

	hs.map = true;
	hs.map_pfn = DATA_PFN;
	hs.map_flags = URW;
	ck_assert_int_eq(cpu_translate(cpu0, VA, ACC_WRITE | ACC_USER, &pa), 0);
	ck_assert_uint_eq(pa, (DATA_PFN << PAGE_SHIFT) | 0xabc);
	ck_assert_int_eq(hs.calls, 1);
	ck_assert_int_eq(hs.vector, X86_TRAP_PF);
	ck_assert_uint_eq(hs.cr2, VA);
	ck_assert_uint_eq(hs.ec, X86_PF_WRITE | X86_PF_USER);
	ck_assert_uint_eq(hw.faults, 1);
	ck_assert_uint_eq(hw.page_walks, 2);
	ck_assert_uint_eq(get_entry(VA, 1) & AD, AD);
}
END_TEST

START_TEST(cpu_handler_error_propagates)
{
	uint64_t pa = 0x1234;

	hs.ret = -EFAULT;
	ck_assert_int_eq(cpu_translate(cpu0, VA, ACC_READ | ACC_USER, &pa),
			 -EFAULT);
	ck_assert_uint_eq(pa, 0x1234);
	hs.ret = -ENOMEM;
	ck_assert_int_eq(cpu_translate(cpu0, VA, ACC_READ, &pa), -ENOMEM);
	ck_assert_int_eq(hs.calls, 2);
	ck_assert_uint_eq(hw.faults, 2);
	ck_assert_uint_eq(tlb_nr_valid(&cpu0->tlb), 0);
}
END_TEST

START_TEST(cpu_no_handler)
{
	uint64_t pa;

	hw_set_exception_handler(&hw, NULL, NULL);
	ck_assert_int_eq(cpu_translate(cpu0, VA, ACC_READ, &pa), -EFAULT);
	ck_assert_int_eq(cpu_translate(cpu0, 1ULL << 47, ACC_READ, &pa),
			 -EFAULT);
	ck_assert_int_eq(hs.calls, 0);
	ck_assert_uint_eq(hw.faults, 2);
}
END_TEST

START_TEST(cpu_handler_that_fixes_nothing_is_bounded)
{
	uint64_t pa;

	ck_assert_int_eq(cpu_translate(cpu0, VA, ACC_READ, &pa), -EFAULT);
	ck_assert_int_eq(hs.calls, CPU_MAX_FAULTS);
	ck_assert_uint_eq(hw.faults, CPU_MAX_FAULTS);
	ck_assert_uint_eq(hw.page_walks, CPU_MAX_FAULTS + 1);
}
END_TEST

START_TEST(cpu_fault_drops_stale_entry)
{
	uint64_t pa;

	map_4k(VA, DATA_PFN, URW);
	ck_assert_int_eq(cpu_translate(cpu0, VA, ACC_READ, &pa), 0);
	change_entry(VA, 1, _PAGE_RW, 0);	/* write-protect, no flush */
	hs.map = true;				/* the handler makes it RW */
	hs.map_pfn = DATA_PFN;
	hs.map_flags = URW;
	ck_assert_int_eq(cpu_translate(cpu0, VA, ACC_WRITE, &pa), 0);
	ck_assert_int_eq(hs.calls, 1);
	ck_assert_uint_eq(hs.ec, X86_PF_PROT | X86_PF_WRITE);
	ck_assert_uint_eq(hs.tlb_valid, 0);
	ck_assert_uint_eq(tlb_nr_valid(&cpu0->tlb), 1);
	ck_assert_uint_eq(get_entry(VA, 1) & AD, AD);
}
END_TEST

START_TEST(cpu_non_canonical_raises_gp)
{
	const uint64_t bad[] = { 1ULL << 47, 0xffff7fffffffffffULL,
				 0x8000000000000000ULL };
	uint64_t pa;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		ck_assert_int_eq(cpu_translate(cpu0, bad[i], ACC_READ, &pa),
				 -EFAULT);
		ck_assert_int_eq(hs.vector, X86_TRAP_GP);
		ck_assert_uint_eq(hs.cr2, bad[i]);
		ck_assert_uint_eq(hs.ec, 0);
	}
	ck_assert_int_eq(hs.calls, 3);
	hs.ret = -EINVAL;
	ck_assert_int_eq(cpu_translate(cpu0, bad[0], ACC_WRITE, &pa), -EINVAL);
	ck_assert_uint_eq(hw.page_walks, 0);
	ck_assert_uint_eq(cpu0->tlb.hits + cpu0->tlb.misses, 0);
	ck_assert_uint_eq(hw.faults, 4);

	/* the top of the canonical upper half is a #PF, not a #GP */
	hs.ret = -EFAULT;
	ck_assert_int_eq(cpu_translate(cpu0, 0xffff800000000000ULL, ACC_READ,
				       &pa), -EFAULT);
	ck_assert_int_eq(hs.vector, X86_TRAP_PF);
}
END_TEST

START_TEST(cpu_cr3_write_flushes_without_pcid)
{
	const uint64_t gva = 0xffff800000001000ULL;
	uint64_t pa;

	map_4k(VA, DATA_PFN, URW);
	map_4k(gva, DATA_PFN + 1, _PAGE_PRESENT | _PAGE_RW | _PAGE_GLOBAL);
	ck_assert_int_eq(cpu_translate(cpu0, VA, ACC_READ, &pa), 0);
	ck_assert_int_eq(cpu_translate(cpu0, gva, ACC_READ, &pa), 0);
	ck_assert_uint_eq(tlb_nr_valid(&cpu0->tlb), 2);
	cpu_write_cr3(cpu0, root, 5);		/* pcid ignored when off */
	ck_assert_uint_eq(cpu0->pcid, 0);
	ck_assert_uint_eq(cpu0->tlb.flush_all, 1);
	ck_assert_uint_eq(tlb_nr_valid(&cpu0->tlb), 1);	/* the global one */
	ck_assert_int_eq(cpu_translate(cpu0, gva, ACC_READ, &pa), 0);
	ck_assert_uint_eq(hw.page_walks, 2);
	ck_assert_int_eq(cpu_translate(cpu0, VA, ACC_READ, &pa), 0);
	ck_assert_uint_eq(hw.page_walks, 3);
	cpu_flush_tlb(cpu0, false);
	ck_assert_uint_eq(tlb_nr_valid(&cpu0->tlb), 0);
	ck_assert_uint_eq(cpu0->tlb.flush_all, 2);
}
END_TEST

START_TEST(cpu_cr3_write_keeps_tagged_entries_with_pcid)
{
	uint64_t pa;

	map_4k(VA, DATA_PFN, URW);
	ck_assert_uint_eq(cpu0->pcid, 1);
	ck_assert_int_eq(cpu_translate(cpu0, VA, ACC_READ, &pa), 0);
	cpu_write_cr3(cpu0, root, 2);
	ck_assert_uint_eq(cpu0->pcid, 2);
	ck_assert_uint_eq(cpu0->tlb.flush_all, 0);
	ck_assert_uint_eq(tlb_nr_valid(&cpu0->tlb), 1);
	ck_assert_int_eq(cpu_translate(cpu0, VA, ACC_READ, &pa), 0); /* miss */
	ck_assert_uint_eq(hw.page_walks, 2);
	ck_assert_uint_eq(tlb_nr_valid(&cpu0->tlb), 2);
	cpu_write_cr3(cpu0, root, 1);
	ck_assert_int_eq(cpu_translate(cpu0, VA, ACC_READ, &pa), 0); /* hit */
	ck_assert_uint_eq(hw.page_walks, 2);
	ck_assert_uint_eq(cpu0->tlb.hits, 1);
	cpu_invlpg(cpu0, VA);			/* only PCID 1's entry */
	ck_assert_uint_eq(tlb_nr_valid(&cpu0->tlb), 1);
}
END_TEST

START_TEST(cpu_large_page_fills_4k_translation)
{
	const uint64_t va = 0x40000000ULL + 0x3456789ULL;
	const uint64_t base = 3ULL << 21;
	struct tlb_entry *e;
	uint64_t pa;

	set_entry(va, 2, base | URW | _PAGE_PSE);
	ck_assert_int_eq(cpu_translate(cpu0, va, ACC_READ, &pa), 0);
	ck_assert_uint_eq(pa, base + (va & 0x1fffff));
	e = tlb_lookup(&cpu0->tlb, va >> PAGE_SHIFT, 0);
	ck_assert_ptr_nonnull(e);
	ck_assert_uint_eq(e->pfn, (base + (va & 0x1fffff)) >> PAGE_SHIFT);
	ck_assert_int_eq(cpu_translate(cpu0, va + PAGE_SIZE, ACC_READ, &pa), 0);
	ck_assert_uint_eq(hw.page_walks, 2);	/* another 4K sub-page */
	ck_assert_uint_eq(tlb_nr_valid(&cpu0->tlb), 2);
}
END_TEST

START_TEST(cpu_read_write_across_pages)
{
	const char msg[] = "0123456789abcdef";
	char out[16];
	const uint64_t va = 0x10ff8;

	map_4k(0x10000, DATA_PFN + 0x10, URW);
	map_4k(0x11000, DATA_PFN + 0x05, URW);
	ck_assert_int_eq(cpu_write(cpu0, va, msg, 16, ACC_USER), 0);
	phys_read(&hw.mem, ((DATA_PFN + 0x10) << PAGE_SHIFT) + 0xff8, out, 8);
	ck_assert_mem_eq(out, "01234567", 8);
	phys_read(&hw.mem, (DATA_PFN + 0x05) << PAGE_SHIFT, out, 8);
	ck_assert_mem_eq(out, "89abcdef", 8);
	memset(out, 0, sizeof(out));
	ck_assert_int_eq(cpu_read(cpu0, va, out, 16, ACC_USER), 0);
	ck_assert_mem_eq(out, msg, 16);
	ck_assert_uint_eq(get_entry(0x10000, 1) & AD, AD);
	ck_assert_uint_eq(get_entry(0x11000, 1) & AD, AD);
	ck_assert_int_eq(cpu_read(cpu0, va, out, 0, 0), 0);
}
END_TEST

START_TEST(cpu_write_stops_at_failing_page)
{
	const char msg[] = "0123456789abcdef";
	char out[8];

	map_4k(0x20000, DATA_PFN, URW);
	hs.ret = -EFAULT;
	ck_assert_int_eq(cpu_write(cpu0, 0x20ff8, msg, 16, ACC_USER), -EFAULT);
	ck_assert_int_eq(hs.calls, 1);
	ck_assert_uint_eq(hs.cr2, 0x21000);
	ck_assert_uint_eq(hs.ec, X86_PF_WRITE | X86_PF_USER);
	phys_read(&hw.mem, (DATA_PFN << PAGE_SHIFT) + 0xff8, out, 8);
	ck_assert_mem_eq(out, "01234567", 8);
}
END_TEST

START_TEST(cpu_user_read_of_kernel_page)
{
	char out[4];

	map_4k(0x30000, DATA_PFN, _PAGE_PRESENT | _PAGE_RW);
	hs.ret = -EFAULT;
	ck_assert_int_eq(cpu_read(cpu0, 0x30000, out, 4, ACC_USER), -EFAULT);
	ck_assert_uint_eq(hs.ec, X86_PF_PROT | X86_PF_USER);
	ck_assert_int_eq(cpu_read(cpu0, 0x30000, out, 4, 0), 0);
	ck_assert_int_eq(hs.calls, 1);
}
END_TEST

START_TEST(cpu2_translate_and_gp)
{
	uint64_t pa;

	map_4k(VA32, DATA_PFN, URW);
	ck_assert_int_eq(cpu_translate(cpu0, VA32, ACC_WRITE | ACC_USER, &pa),
			 0);
	ck_assert_uint_eq(pa, (DATA_PFN << PAGE_SHIFT) | 0x678);
	ck_assert_int_eq(cpu_translate(cpu0, 0x100000000ULL, ACC_READ, &pa),
			 -EFAULT);
	ck_assert_int_eq(hs.vector, X86_TRAP_GP);
	ck_assert_uint_eq(hs.cr2, 0x100000000ULL);
	ck_assert_int_eq(cpu_translate(cpu0, 0xfffff000ULL, ACC_READ, &pa),
			 -EFAULT);
	ck_assert_int_eq(hs.vector, X86_TRAP_PF);
	ck_assert_uint_eq(hs.ec, 0);
	ck_assert_int_eq(hs.calls, CPU_MAX_FAULTS + 1);
}
END_TEST

/* ================================= runner ================================ */

static TCase *physmem_tcase(void)
{
	TCase *tc = tcase_create("physmem");

	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, pm_setup, pm_teardown);
	tcase_add_test(tc, physmem_init_bad_sizes);
	tcase_add_test(tc, physmem_starts_zero_and_unwritten);
	tcase_add_test(tc, physmem_write_marks_and_zero_clears);
	tcase_add_test(tc, physmem_across_frame_boundary);
	tcase_add_test(tc, physmem_copy_frame);
	tcase_add_test(tc, physmem_entry_accessors);
	tcase_add_test_raise_signal(tc, physmem_read_out_of_range_bugs,
				    SIGABRT);
	tcase_add_test_raise_signal(tc, physmem_write_out_of_range_bugs,
				    SIGABRT);
	tcase_add_test_raise_signal(tc, physmem_zero_frame_out_of_range_bugs,
				    SIGABRT);
	tcase_add_test(tc, physmem_16g_only_touched_frames_cost);
	tcase_add_test(tc, physmem_64g_init);
	return tc;
}

static TCase *x86_tcase(void)
{
	TCase *tc = tcase_create("x86");

	tcase_add_test(tc, x86_geometries);
	tcase_add_test(tc, x86_pt_index);
	return tc;
}

static TCase *mmu4_tcase(void)
{
	TCase *tc = tcase_create("mmu-4level");

	tcase_add_checked_fixture(tc, boot_4l, shutdown);
	tcase_add_test(tc, mmu4_translate_sets_accessed);
	tcase_add_test(tc, mmu4_write_sets_dirty_in_leaf_only);
	tcase_add_test(tc, mmu4_probe_changes_nothing);
	tcase_add_loop_test(tc, mmu4_not_present_each_level, 1, 5);
	tcase_add_loop_test(tc, mmu4_user_vs_supervisor, 1, 5);
	tcase_add_loop_test(tc, mmu4_write_to_read_only, 1, 5);
	tcase_add_loop_test(tc, mmu4_nx_fetch, 1, 5);
	tcase_add_test(tc, mmu4_not_present_beats_protection);
	tcase_add_test(tc, mmu4_reserved_ps_in_pml4);
	tcase_add_test(tc, mmu4_reserved_table_outside_ram);
	tcase_add_test(tc, mmu4_reserved_leaf_outside_ram);
	tcase_add_test(tc, mmu4_ignored_bits);
	tcase_add_test(tc, mmu4_large_2m);
	tcase_add_test(tc, mmu4_large_1g);
	tcase_add_test(tc, mmu4_large_misaligned_or_outside_ram);
	tcase_add_test(tc, mmu4_global_only_from_leaf);
	tcase_add_test(tc, mmu4_no_writeback_when_bits_already_set);
	return tc;
}

static TCase *mmu2_tcase(void)
{
	TCase *tc = tcase_create("mmu-2level");

	tcase_add_checked_fixture(tc, boot_2l, shutdown);
	tcase_add_test(tc, mmu2_translate_4byte_entries);
	tcase_add_loop_test(tc, mmu2_not_present_each_level, 1, 3);
	tcase_add_test(tc, mmu2_protection);
	tcase_add_test(tc, mmu2_large_4m);
	tcase_add_test_raise_signal(tc, mmu2_nx_bit_does_not_fit, SIGABRT);
	return tc;
}

static TCase *tlb_tcase(void)
{
	TCase *tc = tcase_create("tlb");

	tcase_add_checked_fixture(tc, tlb_setup, tlb_teardown);
	tcase_add_test(tc, tlb_geometry);
	tcase_add_test(tc, tlb_hit_and_miss_counts);
	tcase_add_test(tc, tlb_global_matches_any_pcid);
	tcase_add_test(tc, tlb_refill_replaces);
	tcase_add_test(tc, tlb_set_associative_lru);
	tcase_add_test(tc, tlb_lru_survives_clock_wrap);
	tcase_add_test(tc, tlb_fill_prefers_invalid_way);
	tcase_add_test(tc, tlb_invlpg_drops_pcid_and_global);
	tcase_add_test(tc, tlb_flush_all_and_pcid);
	return tc;
}

static TCase *cpu_tcase(void)
{
	TCase *tc = tcase_create("cpu");

	tcase_add_checked_fixture(tc, boot_cpu, shutdown);
	tcase_add_test(tc, cpu_hw_init_validates);
	tcase_add_test(tc, cpu_features);
	tcase_add_test(tc, cpu_pt_entry_sizes);
	tcase_add_test_raise_signal(tc, cpu_pt_index_out_of_range_bugs,
				    SIGABRT);
	tcase_add_test(tc, cpu_tlb_miss_then_hit);
	tcase_add_test(tc, cpu_tlb_caches_until_invlpg);
	tcase_add_test(tc, cpu_write_to_clean_entry_rewalks);
	tcase_add_test(tc, cpu_fetch_from_cached_nx_entry_faults);
	tcase_add_test(tc, cpu_handler_maps_page_then_retry);
	tcase_add_test(tc, cpu_handler_error_propagates);
	tcase_add_test(tc, cpu_no_handler);
	tcase_add_test(tc, cpu_handler_that_fixes_nothing_is_bounded);
	tcase_add_test(tc, cpu_fault_drops_stale_entry);
	tcase_add_test(tc, cpu_non_canonical_raises_gp);
	tcase_add_test(tc, cpu_cr3_write_flushes_without_pcid);
	tcase_add_test(tc, cpu_large_page_fills_4k_translation);
	tcase_add_test(tc, cpu_read_write_across_pages);
	tcase_add_test(tc, cpu_write_stops_at_failing_page);
	tcase_add_test(tc, cpu_user_read_of_kernel_page);
	return tc;
}

static TCase *cpu_pcid_tcase(void)
{
	TCase *tc = tcase_create("cpu-pcid");

	tcase_add_checked_fixture(tc, boot_cpu_pcid, shutdown);
	tcase_add_test(tc, cpu_cr3_write_keeps_tagged_entries_with_pcid);
	return tc;
}

static TCase *cpu2_tcase(void)
{
	TCase *tc = tcase_create("cpu-2level");

	tcase_add_checked_fixture(tc, boot_cpu_2l, shutdown);
	tcase_add_test(tc, cpu2_translate_and_gp);
	return tc;
}

static Suite *hw_suite(void)
{
	Suite *s = suite_create("hw");

	suite_add_tcase(s, physmem_tcase());
	suite_add_tcase(s, x86_tcase());
	suite_add_tcase(s, mmu4_tcase());
	suite_add_tcase(s, mmu2_tcase());
	suite_add_tcase(s, tlb_tcase());
	suite_add_tcase(s, cpu_tcase());
	suite_add_tcase(s, cpu_pcid_tcase());
	suite_add_tcase(s, cpu2_tcase());
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(hw_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed != 0;
}
