/*
 * test_page_alloc.c - unit tests of the buddy allocator (mm/page_alloc.c):
 * zone layout, boot-time free lists against a brute-force reference,
 * splitting and coalescing, watermarks and zone fallback, __GFP_ZERO, the
 * LRU lists, NUMA nodes (layout, zonelists, local allocation, fallback
 * and the numa events), and a randomized run with a full consistency
 * check per step.
 */
#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include "hw/cpu.h"
#include "hw/physmem.h"
#include "kernel/kernel.h"
#include "mm/page_alloc.h"
#include "mm/memcontrol.h"
#include "mm/vmstat.h"

#define MIB_FRAMES(m)	((uint64_t)(m) << (20 - PAGE_SHIFT))
#define GIB_FRAMES(g)	((uint64_t)(g) << (30 - PAGE_SHIFT))

/*
 * EXPECT - assert cheaply: libcheck's ck_assert records a mark point (a
 * pipe write in fork mode) on every call, far too slow in inner loops.
 */
#define EXPECT(c) do {							\
	if (!(c))							\
		ck_abort_msg("%s:%d: assertion '%s' failed",		\
			     __FILE__, __LINE__, #c);			\
} while (0)

struct range {
	uint64_t start, end;
};

/* ---------------------------------------------------------------------- */
/* Helpers                                                                */
/* ---------------------------------------------------------------------- */

/*
 * boot - a machine of nr frames: mem_map, zones, the sorted disjoint
 * reserved ranges res[0..nres), every other frame freed.  No watermarks.
 */
static void boot(uint64_t nr, bool dma32, const struct range *res, int nres)
{
	uint64_t next = 0;

	ck_assert_int_eq(mem_map_init(nr), 0);
	page_alloc_init(nr, dma32);
	for (int i = 0; i < nres; i++) {
		memblock_reserve_range(res[i].start, res[i].end);
		memblock_free_range(next, res[i].start);
		next = res[i].end;
	}
	memblock_free_range(next, nr);
}

/* boot_wmarks - boot, then Linux's default min_free_kbytes and watermarks. */
static void boot_wmarks(uint64_t nr, bool dma32, const struct range *res,
			int nres)
{
	boot(nr, dma32, res, nres);
	calculate_min_free_kbytes();
	setup_per_zone_wmarks();
}

/* desc_is_zero - true if a descriptor is all zero bytes. */
static bool desc_is_zero(const struct page *p)
{
	static const struct page zero;

	return memcmp(p, &zero, sizeof(zero)) == 0;
}

/* count_nonzero_descs - descriptors that were written (reads every one). */
static uint64_t count_nonzero_descs(void)
{
	uint64_t n = 0;

	for (uint64_t pfn = 0; pfn < max_pfn; pfn++)
		n += !desc_is_zero(&mem_map[pfn]);
	return n;
}

/* total_free_blocks - blocks on every free list of every zone. */
static uint64_t total_free_blocks(void)
{
	uint64_t n = 0;

	for (int z = 0; z < MAX_NR_ZONES; z++)
		for (int o = 0; o <= MAX_ORDER; o++)
			n += zones[z].free_area[o].nr_free;
	return n;
}

/* resident_mem_map_pages - host pages of mem_map that are mapped (mincore). */
static uint64_t resident_mem_map_pages(void)
{
	size_t len = max_pfn * sizeof(struct page);
	size_t npages = (len + 4095) / 4096;
	unsigned char *vec = malloc(npages);
	uint64_t n = 0;

	ck_assert_ptr_nonnull(vec);
	ck_assert_int_eq(mincore(mem_map, len, vec), 0);
	for (size_t i = 0; i < npages; i++)
		n += vec[i] & 1;
	free(vec);
	return n;
}

/*
 * check_consistency - the whole buddy state is sound: every listed block is
 * a PG_buddy head of its list's order, aligned, inside its zone, not
 * overlapping any other free block or any block in alloc[] (head pfns with
 * orders), and not mergeable with its buddy; nr_free and free_pages match
 * the lists; every non-head frame of a free block has a zero descriptor
 * and no unlisted descriptor has PG_buddy.
 */
static void check_consistency(const uint64_t *alloc_pfn,
			      const unsigned int *alloc_order, int nalloc)
{
	unsigned char *owner = calloc(max_pfn, 1);	/* 1 free, 2 head, 3 alloc, 4 pcp */
	uint64_t total = 0;

	ck_assert_ptr_nonnull(owner);
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		struct zone *zone = &zones[z];
		uint64_t sum = 0;

		for (unsigned int o = 0; o <= MAX_ORDER; o++) {
			struct list_head *pos;
			uint64_t n = 0;

			for (int t = 0; t < MIGRATE_TYPES; t++)
			list_for_each(pos, &zone->free_area[o].free_list[t]) {
				struct page *p = list_entry(pos, struct page, lru);
				uint64_t pfn = page_to_pfn(p);
				uint64_t pb = 1ULL << pageblock_order();

				for (uint64_t k = 0; k < (1ULL << o); k += pb)
					EXPECT(get_pageblock_migratetype(pfn + k) == t);

				EXPECT(PageBuddy(p));
				EXPECT(p->order == o);
				EXPECT(p->refcount == 0);
				EXPECT(p->mapcount == 0);
				EXPECT((pfn & ((1ULL << o) - 1)) == 0);
				EXPECT(pfn >= zone->zone_start_pfn);
				EXPECT(pfn + (1ULL << o) <= zone_end_pfn(zone));
				EXPECT(page_zonenum(p) == z);
				for (uint64_t i = 0; i < (1ULL << o); i++) {
					EXPECT(owner[pfn + i] == 0);
					owner[pfn + i] = i ? 1 : 2;
				}
				if (o < MAX_ORDER) {
					uint64_t b = pfn ^ (1ULL << o);

					if (b >= zone->zone_start_pfn && b < zone_end_pfn(zone))
						EXPECT(!(PageBuddy(&mem_map[b]) &&
							 mem_map[b].order == o));
				}
				n++;
				sum += 1ULL << o;
			}
			EXPECT(n == zone->free_area[o].nr_free);
		}
		EXPECT(sum == zone->free_pages);
		total += sum;
	}
	EXPECT(total == nr_free_pages());
	for (int z = 0; z < MAX_NR_ZONES; z++)
		for (int c = 0; c < HW_MAX_CPUS; c++) {
			struct list_head *pos;
			uint64_t n = 0;

			for (int t = 0; t < MIGRATE_PCPTYPES; t++)
			list_for_each(pos, &zones[z].pcp[c].lists[t]) {
				struct page *p = list_entry(pos, struct page, lru);
				uint64_t pfn = page_to_pfn(p);

				EXPECT(p->flags == 0 && p->refcount == 0);
				EXPECT(page_zonenum(p) == z);
				EXPECT(owner[pfn] == 0);
				owner[pfn] = 4;
				n++;
			}
			EXPECT(n == zones[z].pcp[c].count);
		}
	for (int i = 0; i < nalloc; i++)
		for (uint64_t k = 0; k < (1ULL << alloc_order[i]); k++) {
			EXPECT(owner[alloc_pfn[i] + k] == 0);
			owner[alloc_pfn[i] + k] = 3;
		}
	for (uint64_t pfn = 0; pfn < max_pfn; pfn++) {
		if (owner[pfn] == 1)
			EXPECT(desc_is_zero(&mem_map[pfn]));
		if (owner[pfn] != 2)
			EXPECT(!PageBuddy(&mem_map[pfn]));
	}
	free(owner);
}

/*
 * reference_nr_free - the free lists a fully coalesced buddy system must
 * have for the free frames free[0..nr): a block of order o is listed iff
 * all its frames are free, it lies in one zone, and either o == MAX_ORDER
 * or its parent block is not entirely free inside that zone.  Computed by
 * brute force with prefix sums; out[z][o].
 */
static void reference_nr_free(const bool *free_frame, uint64_t nr,
			      uint64_t out[MAX_NR_ZONES][NR_PAGE_ORDERS])
{
	uint64_t *prefix = calloc(nr + 1, sizeof(uint64_t));

	ck_assert_ptr_nonnull(prefix);
	for (uint64_t i = 0; i < nr; i++)
		prefix[i + 1] = prefix[i] + free_frame[i];
	memset(out, 0, sizeof(uint64_t) * MAX_NR_ZONES * NR_PAGE_ORDERS);
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		uint64_t zs = zones[z].zone_start_pfn, ze = zone_end_pfn(&zones[z]);

		for (unsigned int o = 0; o <= MAX_ORDER; o++) {
			uint64_t sz = 1ULL << o;

			for (uint64_t b = (zs + sz - 1) / sz * sz; b + sz <= ze; b += sz) {
				uint64_t p = b & ~(2 * sz - 1);
				bool parent_free;

				if (prefix[b + sz] - prefix[b] != sz)
					continue;
				parent_free = o < MAX_ORDER && p >= zs &&
					      p + 2 * sz <= ze &&
					      prefix[p + 2 * sz] - prefix[p] == 2 * sz;
				if (!parent_free)
					out[z][o]++;
			}
		}
	}
	free(prefix);
}

/* check_against_reference - the free lists equal reference_nr_free(). */
static void check_against_reference(const bool *free_frame)
{
	uint64_t ref[MAX_NR_ZONES][NR_PAGE_ORDERS];

	reference_nr_free(free_frame, max_pfn, ref);
	for (int z = 0; z < MAX_NR_ZONES; z++)
		for (int o = 0; o <= MAX_ORDER; o++)
			if (ref[z][o] != zones[z].free_area[o].nr_free)
				ck_abort_msg("zone %d order %d: expected %lu got %lu",
					     z, o, (unsigned long)ref[z][o],
					     (unsigned long)zones[z].free_area[o].nr_free);
}

/* free_map_from_ranges - free[] for "all frames but the reserved ranges". */
static bool *free_map_from_ranges(uint64_t nr, const struct range *res, int nres)
{
	bool *f = malloc(nr);

	ck_assert_ptr_nonnull(f);
	memset(f, 1, nr);
	for (int i = 0; i < nres; i++)
		memset(f + res[i].start, 0, res[i].end - res[i].start);
	return f;
}

/* snapshot - a copy of the free-list contents: sorted pfns per zone/order. */
struct snapshot {
	uint64_t *pfns[MAX_NR_ZONES][NR_PAGE_ORDERS];
	uint64_t n[MAX_NR_ZONES][NR_PAGE_ORDERS];
};

/* cmp_u64 - qsort comparator for uint64_t. */
static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* take_snapshot - record every free list's pfns, sorted. */
static void take_snapshot(struct snapshot *s)
{
	for (int z = 0; z < MAX_NR_ZONES; z++)
		for (int o = 0; o <= MAX_ORDER; o++) {
			struct free_area *a = &zones[z].free_area[o];
			struct list_head *pos;
			uint64_t i = 0;

			s->n[z][o] = a->nr_free;
			s->pfns[z][o] = calloc(a->nr_free + 1, sizeof(uint64_t));
			for (int t = 0; t < MIGRATE_TYPES; t++)
				list_for_each(pos, &a->free_list[t])
					s->pfns[z][o][i++] = page_to_pfn(
						list_entry(pos, struct page, lru));
			qsort(s->pfns[z][o], i, sizeof(uint64_t), cmp_u64);
		}
}

/* snapshots_equal_and_free - assert a == b, then release both. */
static void snapshots_equal_and_free(struct snapshot *a, struct snapshot *b)
{
	for (int z = 0; z < MAX_NR_ZONES; z++)
		for (int o = 0; o <= MAX_ORDER; o++) {
			EXPECT(a->n[z][o] == b->n[z][o]);
			EXPECT(memcmp(a->pfns[z][o], b->pfns[z][o],
				      a->n[z][o] * sizeof(uint64_t)) == 0);
			free(a->pfns[z][o]);
			free(b->pfns[z][o]);
		}
}

/* rng - xorshift64*, deterministic per seed. */
static uint64_t rng_state;

static uint64_t rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1DULL;
}

/* ---------------------------------------------------------------------- */
/* Zone layout                                                            */
/* ---------------------------------------------------------------------- */

/* assert_zone - name, start, span, present and managed of one zone. */
static void assert_zone(int z, const char *name, uint64_t start,
			uint64_t spanned, uint64_t managed)
{
	ck_assert_str_eq(zones[z].name, name);
	ck_assert_uint_eq(zones[z].spanned_pages, spanned);
	ck_assert_uint_eq(zones[z].present_pages, spanned);
	ck_assert_uint_eq(zones[z].managed_pages, managed);
	ck_assert_uint_eq(zones[z].free_pages, managed);
	if (spanned)
		ck_assert_uint_eq(zones[z].zone_start_pfn, start);
}

START_TEST(test_layout_128m)
{
	boot(MIB_FRAMES(128), true, NULL, 0);
	ck_assert_uint_eq(max_pfn, 32768);
	assert_zone(ZONE_DMA, "DMA", 0, 4096, 4096);
	assert_zone(ZONE_DMA32, "DMA32", 4096, 28672, 28672);
	assert_zone(ZONE_NORMAL, "Normal", 0, 0, 0);
	assert_zone(ZONE_MOVABLE, "Movable", 0, 0, 0);
	ck_assert_uint_eq(totalram_pages, 32768);
	ck_assert_uint_eq(nr_free_pages(), 32768);
	ck_assert_uint_eq(zones[ZONE_DMA].free_area[MAX_ORDER].nr_free, 4);
	ck_assert_uint_eq(zones[ZONE_DMA32].free_area[MAX_ORDER].nr_free, 28);
	ck_assert_int_eq(page_zonenum(pfn_to_page(4095)), ZONE_DMA);
	ck_assert_int_eq(page_zonenum(pfn_to_page(4096)), ZONE_DMA32);
	ck_assert_ptr_eq(page_zone(pfn_to_page(32767)), &zones[ZONE_DMA32]);
	mem_map_destroy();
}
END_TEST

START_TEST(test_layout_8g)
{
	struct range res[] = { { 0, 1 }, { 0x9f, 0x100 } };

	boot(GIB_FRAMES(8), true, res, 2);
	assert_zone(ZONE_DMA, "DMA", 0, 4096, 4096 - 1 - 0x61);
	assert_zone(ZONE_DMA32, "DMA32", 4096, (1 << 20) - 4096, (1 << 20) - 4096);
	assert_zone(ZONE_NORMAL, "Normal", 1 << 20, 1 << 20, 1 << 20);
	assert_zone(ZONE_MOVABLE, "Movable", 0, 0, 0);
	ck_assert_uint_eq(totalram_pages, GIB_FRAMES(8) - 1 - 0x61);
	ck_assert_int_eq(page_zonenum(pfn_to_page((1 << 20) - 1)), ZONE_DMA32);
	ck_assert_int_eq(page_zonenum(pfn_to_page(1 << 20)), ZONE_NORMAL);
	ck_assert_uint_eq(zones[ZONE_NORMAL].free_area[MAX_ORDER].nr_free, 1024);
	mem_map_destroy();
}
END_TEST

START_TEST(test_layout_32bit)
{
	boot(MIB_FRAMES(512), false, NULL, 0);
	assert_zone(ZONE_DMA, "DMA", 0, 4096, 4096);
	assert_zone(ZONE_DMA32, "DMA32", 0, 0, 0);
	assert_zone(ZONE_NORMAL, "Normal", 4096, MIB_FRAMES(512) - 4096,
		    MIB_FRAMES(512) - 4096);
	ck_assert_int_eq(page_zonenum(pfn_to_page(4096)), ZONE_NORMAL);
	mem_map_destroy();
}
END_TEST

START_TEST(test_layout_tiny)
{
	boot(1000, true, NULL, 0);
	assert_zone(ZONE_DMA, "DMA", 0, 1000, 1000);
	assert_zone(ZONE_DMA32, "DMA32", 0, 0, 0);
	assert_zone(ZONE_NORMAL, "Normal", 0, 0, 0);
	/* 1000 = 512 + 256 + 128 + 64 + 32 + 8 */
	ck_assert_uint_eq(zones[ZONE_DMA].free_area[9].nr_free, 1);
	ck_assert_uint_eq(zones[ZONE_DMA].free_area[3].nr_free, 1);
	ck_assert_uint_eq(zones[ZONE_DMA].free_area[4].nr_free, 0);
	ck_assert_uint_eq(total_free_blocks(), 6);
	mem_map_destroy();
	/* Destroy resets everything; a second machine boots cleanly. */
	ck_assert_ptr_null(mem_map);
	ck_assert_uint_eq(max_pfn, 0);
	ck_assert_uint_eq(totalram_pages, 0);
	ck_assert_uint_eq(nr_free_pages(), 0);
	ck_assert_str_eq(zones[ZONE_NORMAL].name, "Normal");
	ck_assert(list_empty(&zones[ZONE_DMA].free_area[9].free_list[MIGRATE_MOVABLE]));
	ck_assert(list_empty(&root_mem_cgroup.lruvec[0].lists[LRU_ACTIVE_ANON]));
	boot(2048, true, NULL, 0);
	ck_assert_uint_eq(zones[ZONE_DMA].free_area[MAX_ORDER].nr_free, 2);
	mem_map_destroy();
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Boot free lists                                                        */
/* ---------------------------------------------------------------------- */

START_TEST(test_boot_touches_only_heads)
{
	struct range res[] = {
		{ 0, 1 }, { 0x9f, 0x100 }, { 0x1000, 0x1003 }, { 0x2345, 0x2400 },
	};
	uint64_t nres = 1 + 0x61 + 3 + (0x2400 - 0x2345);

	boot(MIB_FRAMES(128) + 777, true, res, 4);
	ck_assert_uint_eq(count_nonzero_descs(), total_free_blocks() + nres);
	ck_assert_uint_eq(totalram_pages, MIB_FRAMES(128) + 777 - nres);
	for (uint64_t i = res[3].start; i < res[3].end; i++)
		EXPECT(PageReserved(pfn_to_page(i)) && pfn_to_page(i)->refcount == 1);
	check_consistency(NULL, NULL, 0);
	mem_map_destroy();
}
END_TEST

START_TEST(test_boot_reference_fixed)
{
	static const struct {
		uint64_t nr;
		bool dma32;
		struct range res[4];
		int nres;
	} cases[] = {
		{ 32768, true, { { 0, 1 }, { 0x9f, 0x100 } }, 2 },
		{ 32768 + 777, true, { { 0, 16 }, { 4090, 4100 }, { 9000, 9001 } }, 3 },
		{ 5000, true, { { 1, 2 } }, 1 },
		{ 4097, true, { { 4095, 4096 } }, 1 },
		{ 20000, false, { { 0, 0x100 }, { 0x1000, 0x1400 }, { 16383, 16385 } }, 3 },
		{ (1 << 20) + 3001, true, { { 0, 1 }, { (1 << 20) - 5, (1 << 20) + 7 } }, 2 },
		{ 3, true, { { 1, 2 } }, 1 },
	};

	for (unsigned int c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		bool *f = free_map_from_ranges(cases[c].nr, cases[c].res,
					       cases[c].nres);

		boot(cases[c].nr, cases[c].dma32, cases[c].res, cases[c].nres);
		check_against_reference(f);
		check_consistency(NULL, NULL, 0);
		ck_assert_uint_eq(count_nonzero_descs(), total_free_blocks() +
				  (uint64_t)(totalram_pages < cases[c].nr ?
					     cases[c].nr - totalram_pages : 0));
		mem_map_destroy();
		free(f);
	}
}
END_TEST

START_TEST(test_boot_reference_random_chunks)
{
	/* Free random chunks in random order: the merges at boot must give
	 * the same canonical lists as the reference. */
	rng_state = 0x9e3779b97f4a7c15ULL + (uint64_t)_i;
	uint64_t nr = 6000 + rng() % 20000;
	bool *f = calloc(nr, 1);
	struct range chunks[64];
	int n = 0;

	ck_assert_int_eq(mem_map_init(nr), 0);
	page_alloc_init(nr, _i & 1);
	for (uint64_t s = 0; s < nr && n < 64;) {
		uint64_t len = 1 + rng() % 2000;
		uint64_t e = MIN(nr, s + len);

		if (rng() % 4) {	/* three chunks in four are RAM */
			chunks[n].start = s;
			chunks[n++].end = e;
			memset(f + s, 1, e - s);
		}
		s = e;
	}
	for (int i = n - 1; i > 0; i--) {
		int j = rng() % (i + 1);
		struct range t = chunks[i];

		chunks[i] = chunks[j];
		chunks[j] = t;
	}
	for (int i = 0; i < n; i++)
		memblock_free_range(chunks[i].start, chunks[i].end);
	check_against_reference(f);
	check_consistency(NULL, NULL, 0);
	ck_assert_uint_eq(count_nonzero_descs(), total_free_blocks());
	mem_map_destroy();
	free(f);
}
END_TEST

START_TEST(test_boot_64g)
{
	struct range res[] = { { 0, 1 }, { 0x9f, 0x100 }, { 0x1000, 0x1800 } };
	struct timespec t0, t1;
	double secs;
	uint64_t nr = GIB_FRAMES(64), heads, resident;
	struct page *p;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	boot_wmarks(nr, true, res, 3);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	ck_assert_msg(secs < 2.0, "64 GiB boot took %.3f s", secs);

	ck_assert_uint_eq(totalram_pages, nr - 1 - 0x61 - 0x800);
	ck_assert_uint_eq(nr_free_pages(), totalram_pages);
	ck_assert_uint_eq(zones[ZONE_NORMAL].spanned_pages, nr - (1 << 20));
	ck_assert_uint_eq(zones[ZONE_NORMAL].free_area[MAX_ORDER].nr_free,
			  (nr - (1 << 20)) >> MAX_ORDER);
	/* min_free_kbytes = sqrt(64 GiB in KiB * 16), just under 32768. */
	ck_assert_uint_eq(min_free_kbytes, 32765);

	/* Each order-10 head sits in its own host page (1024 descriptors
	 * are 64 KiB apart); beyond those and the 35 pages of reserved
	 * descriptors nothing is resident. */
	heads = total_free_blocks();
	resident = resident_mem_map_pages();
	ck_assert_msg(resident <= heads + 40, "resident %lu heads %lu",
		      (unsigned long)resident, (unsigned long)heads);

	p = alloc_page(GFP_KERNEL);
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_ge(page_to_pfn(p), 1 << 20);
	__free_pages(p, 0);
	/* The page and the rest of its batch wait on CPU 0's pcp list. */
	ck_assert_uint_eq(nr_free_pages() + nr_pcp_pages(), totalram_pages);
	ck_assert_uint_eq(zones[ZONE_NORMAL].pcp[0].count,
			  zones[ZONE_NORMAL].pcp[0].batch);
	drain_all_pages(NULL);
	ck_assert_uint_eq(nr_free_pages(), totalram_pages);
	mem_map_destroy();
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Split and coalesce                                                     */
/* ---------------------------------------------------------------------- */

START_TEST(test_split_and_coalesce)
{
	struct page *p;
	struct zone *z = &zones[ZONE_DMA];

	boot(1024, true, NULL, 0);
	ck_assert_uint_eq(z->free_area[MAX_ORDER].nr_free, 1);
	p = alloc_page(GFP_KERNEL);
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq(page_to_pfn(p), 0);
	ck_assert_uint_eq(p->flags, 0);
	ck_assert_int_eq(p->refcount, 1);
	ck_assert_int_eq(p->mapcount, 0);
	ck_assert_uint_eq(p->order, 0);
	ck_assert_ptr_null(p->mapping);
	ck_assert_uint_eq(p->index, 0);
	ck_assert(list_empty(&p->lru));
	for (int o = 0; o < MAX_ORDER; o++) {
		/* GFP_KERNEL claimed the MOVABLE boot block whole. */
		struct page *h = list_first_entry(
			&z->free_area[o].free_list[MIGRATE_UNMOVABLE],
			struct page, lru);

		ck_assert_uint_eq(z->free_area[o].nr_free, 1);
		ck_assert_uint_eq(page_to_pfn(h), 1ULL << o);
	}
	ck_assert_uint_eq(z->free_area[MAX_ORDER].nr_free, 0);
	ck_assert_uint_eq(z->free_pages, 1023);
	ck_assert_uint_eq(vmstat.events[PGALLOC_DMA], 1);
	uint64_t pfn0 = 0;
	unsigned int ord0 = 0;

	check_consistency(&pfn0, &ord0, 1);
	__free_pages(p, 0);
	ck_assert_uint_eq(vmstat.events[PGFREE], 1);
	ck_assert_uint_eq(z->free_area[MAX_ORDER].nr_free, 1);
	for (int o = 0; o < MAX_ORDER; o++)
		ck_assert_uint_eq(z->free_area[o].nr_free, 0);
	ck_assert_uint_eq(z->free_pages, 1024);
	ck_assert_uint_eq(count_nonzero_descs(), 1);
	check_consistency(NULL, NULL, 0);
	mem_map_destroy();
}
END_TEST

START_TEST(test_free_is_lifo)
{
	struct page *p[6];

	boot(1024, true, NULL, 0);
	for (int i = 0; i < 6; i++)
		p[i] = alloc_page(GFP_KERNEL);
	ck_assert_uint_eq(page_to_pfn(p[5]), 5);
	/* 1 and 3 cannot merge (0 and 2 are in use): the last freed is
	 * the first handed out again, as Linux's hot end of the list. */
	__free_pages(p[1], 0);
	__free_pages(p[3], 0);
	ck_assert_uint_eq(zones[ZONE_DMA].free_area[0].nr_free, 2);
	ck_assert_ptr_eq(alloc_page(GFP_KERNEL), p[3]);
	ck_assert_ptr_eq(alloc_page(GFP_KERNEL), p[1]);
	ck_assert_uint_eq(page_to_pfn(alloc_page(GFP_KERNEL)), 6);
	mem_map_destroy();
}
END_TEST

START_TEST(test_split_high_order)
{
	struct page *a, *b;
	struct zone *z = &zones[ZONE_DMA];

	boot(1024, true, NULL, 0);
	a = alloc_pages(GFP_KERNEL, 3);
	b = alloc_pages(GFP_KERNEL, 9);
	ck_assert_uint_eq(page_to_pfn(a), 0);
	ck_assert_uint_eq(page_to_pfn(b), 512);
	/* left: 8..15 (3), 16..31 (4), ..., 256..511 (8) */
	for (int o = 0; o <= MAX_ORDER; o++)
		ck_assert_uint_eq(z->free_area[o].nr_free, o >= 3 && o <= 8);
	/* The tails of an allocated block are untouched zero descriptors. */
	for (int i = 1; i < 8; i++)
		ck_assert(desc_is_zero(a + i));
	ck_assert_uint_eq(vmstat.events[PGALLOC_DMA], 8 + 512);
	__free_pages(b, 9);
	__free_pages(a, 3);
	ck_assert_uint_eq(vmstat.events[PGFREE], 8 + 512);
	ck_assert_uint_eq(z->free_area[MAX_ORDER].nr_free, 1);
	ck_assert_uint_eq(total_free_blocks(), 1);
	ck_assert_ptr_null(alloc_pages(GFP_KERNEL, MAX_ORDER + 1));
	check_consistency(NULL, NULL, 0);
	mem_map_destroy();
}
END_TEST

START_TEST(test_alloc_all_free_all)
{
	static const unsigned int first_order[] = { 0, 2, 5 };
	struct range res[] = { { 0, 1 }, { 0x9f, 0x100 }, { 5000, 5003 } };
	uint64_t nr = MIB_FRAMES(128) + 333;
	struct snapshot before, after;
	struct page **pages = malloc(nr * sizeof(*pages));
	unsigned int *ords = malloc(nr * sizeof(*ords));
	unsigned int order = first_order[_i];
	uint64_t n = 0, frames = 0, total;
	struct page *p;

	boot(nr, true, res, 3);
	total = nr_free_pages();
	take_snapshot(&before);
	/* Blocks of the first order while they last, then order 0. */
	while ((p = alloc_pages(GFP_KERNEL, order))) {
		ords[n] = order;
		pages[n++] = p;
		frames += 1ULL << order;
	}
	while ((p = alloc_page(GFP_KERNEL))) {
		ords[n] = 0;
		pages[n++] = p;
		frames++;
	}
	ck_assert_uint_eq(frames, total);
	ck_assert_uint_eq(nr_free_pages(), 0);
	ck_assert_uint_eq(total_free_blocks(), 0);
	ck_assert_uint_eq(vmstat.events[PGALLOC_DMA] + vmstat.events[PGALLOC_DMA32],
			  total);
	rng_state = 12345;
	for (uint64_t i = n - 1; i > 0; i--) {
		uint64_t j = rng() % (i + 1);
		struct page *t = pages[i];
		unsigned int o = ords[i];

		pages[i] = pages[j];
		ords[i] = ords[j];
		pages[j] = t;
		ords[j] = o;
	}
	for (uint64_t i = 0; i < n; i++)
		__free_pages(pages[i], ords[i]);
	take_snapshot(&after);
	snapshots_equal_and_free(&before, &after);
	ck_assert_uint_eq(vmstat.events[PGFREE], total);
	check_consistency(NULL, NULL, 0);
	free(pages);
	free(ords);
	mem_map_destroy();
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Watermarks and zones                                                   */
/* ---------------------------------------------------------------------- */

START_TEST(test_wmarks_128m)
{
	boot_wmarks(MIB_FRAMES(128), true, NULL, 0);
	ck_assert_uint_eq(min_free_kbytes, 1448);
	ck_assert_uint_eq(zones[ZONE_DMA].watermark[WMARK_MIN], 45);
	ck_assert_uint_eq(zones[ZONE_DMA].watermark[WMARK_LOW], 56);
	ck_assert_uint_eq(zones[ZONE_DMA].watermark[WMARK_HIGH], 67);
	ck_assert_uint_eq(zones[ZONE_DMA32].watermark[WMARK_MIN], 316);
	ck_assert_uint_eq(zones[ZONE_DMA32].watermark[WMARK_LOW], 395);
	ck_assert_uint_eq(zones[ZONE_DMA32].watermark[WMARK_HIGH], 474);
	ck_assert_uint_eq(zones[ZONE_NORMAL].watermark[WMARK_HIGH], 0);
	ck_assert_uint_eq(zones[ZONE_MOVABLE].watermark[WMARK_MIN], 32);
	ck_assert_uint_eq(zones[ZONE_MOVABLE].watermark[WMARK_HIGH], 32);
	ck_assert_uint_eq(zones[ZONE_DMA].lowmem_reserve[ZONE_DMA], 0);
	ck_assert_uint_eq(zones[ZONE_DMA].lowmem_reserve[ZONE_DMA32], 112);
	ck_assert_uint_eq(zones[ZONE_DMA].lowmem_reserve[ZONE_NORMAL], 112);
	ck_assert_uint_eq(zones[ZONE_DMA].lowmem_reserve[ZONE_MOVABLE], 112);
	for (int j = 0; j < MAX_NR_ZONES; j++) {
		ck_assert_uint_eq(zones[ZONE_DMA32].lowmem_reserve[j], 0);
		ck_assert_uint_eq(zones[ZONE_NORMAL].lowmem_reserve[j], 0);
	}
	mem_map_destroy();
}
END_TEST

/* isqrt_ref - floor(sqrt(x)) by search, for the reference formulas. */
static uint64_t isqrt_ref(uint64_t x)
{
	uint64_t lo = 0, hi = 1ULL << 32;

	while (hi - lo > 1) {
		uint64_t mid = (lo + hi) / 2;

		if (mid * mid <= x)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

START_TEST(test_wmarks_8g_formula)
{
	struct range res[] = { { 0, 1 }, { 0x9f, 0x100 }, { 0x1000, 0x2000 } };
	uint64_t man[3], total, mfk, pmin;
	static const uint64_t ratio[3] = { 256, 256, 32 };

	boot_wmarks(GIB_FRAMES(8), true, res, 3);
	man[0] = 4096 - 1 - 0x61;
	man[1] = (1 << 20) - 4096 - 0x1000;
	man[2] = 1 << 20;
	total = man[0] + man[1] + man[2];
	mfk = isqrt_ref(total * 4 * 16);
	mfk = mfk < 128 ? 128 : mfk > 262144 ? 262144 : mfk;
	ck_assert_uint_eq(min_free_kbytes, mfk);
	pmin = mfk / 4;
	for (int z = 0; z < 3; z++) {
		uint64_t mn = pmin * man[z] / total;
		uint64_t d = mn / 4 > man[z] / 1000 ? mn / 4 : man[z] / 1000;

		ck_assert_uint_eq(zones[z].managed_pages, man[z]);
		ck_assert_uint_eq(zones[z].watermark[WMARK_MIN], mn);
		ck_assert_uint_eq(zones[z].watermark[WMARK_LOW], mn + d);
		ck_assert_uint_eq(zones[z].watermark[WMARK_HIGH], mn + 2 * d);
		for (int j = 0; j < MAX_NR_ZONES; j++) {
			uint64_t up = 0;

			for (int k = z + 1; k <= j && k < 3; k++)
				up += man[k];
			ck_assert_uint_eq(zones[z].lowmem_reserve[j],
					  j <= z ? 0 : up / ratio[z]);
		}
	}
	/* Changing the sysctls and recomputing follows them. */
	min_free_kbytes = 65536;
	watermark_scale_factor = 1000;
	setup_per_zone_wmarks();
	ck_assert_uint_eq(zones[ZONE_NORMAL].watermark[WMARK_MIN],
			  16384 * man[2] / total);
	ck_assert_uint_eq(zones[ZONE_NORMAL].watermark[WMARK_LOW],
			  16384 * man[2] / total + man[2] / 10);
	mem_map_destroy();
}
END_TEST

START_TEST(test_min_free_kbytes_clamp)
{
	boot(200, true, NULL, 0);	/* 800 KiB: sqrt(12800) = 113 -> 128 */
	ck_assert_uint_eq(calculate_min_free_kbytes(), 128);
	ck_assert_uint_eq(min_free_kbytes, 128);
	zones[ZONE_DMA].managed_pages = 1ULL << 32;	/* 16 TiB */
	ck_assert_uint_eq(calculate_min_free_kbytes(), 262144);
	zones[ZONE_DMA].managed_pages = 200;
	mem_map_destroy();
}
END_TEST

START_TEST(test_watermark_refusal)
{
	uint64_t n = 0;
	struct page *p;
	int last = -1, phases = 0;

	boot_wmarks(MIB_FRAMES(128), true, NULL, 0);
	/* GFP_KERNEL: Normal is empty; DMA32 down to its low watermark,
	 * then DMA down to its low + lowmem_reserve[Normal] 112; then (the
	 * slow path, kswapd woken) DMA32 down to its min (316) and DMA down
	 * to min 45 + 112.  Nothing is reclaimable. */
	while ((p = alloc_page(GFP_KERNEL))) {
		int z = page_zonenum(p);

		/* Zone changes in the order DMA32, DMA, DMA32, DMA; pages
		 * a pcp list holds when its zone's watermark fails are had
		 * after the drain that precedes failure. */
		if (z != last) {
			EXPECT(z == (phases % 2 ? ZONE_DMA : ZONE_DMA32));
			phases++;
			last = z;
		}
		n++;
	}
	EXPECT(phases <= 5);
	ck_assert_uint_eq(n, 28356 + 3939);
	ck_assert_uint_eq(vmstat.events[PGALLOC_DMA32], 28356);
	ck_assert_uint_eq(vmstat.events[PGALLOC_DMA], 3939);
	ck_assert_uint_eq(vmstat.events[PGALLOC_NORMAL], 0);
	ck_assert_uint_eq(zones[ZONE_DMA32].free_pages, 316);
	ck_assert_uint_eq(zones[ZONE_DMA].free_pages, 157);
	ck_assert_ptr_null(alloc_page(__GFP_DMA32));
	ck_assert_ptr_null(alloc_page(__GFP_MOVABLE));
	/* __GFP_DMA has no lowmem reserve to respect: 112 more. */
	for (n = 0; (p = alloc_page(__GFP_DMA)); n++)
		EXPECT(page_zonenum(p) == ZONE_DMA);
	ck_assert_uint_eq(n, 112);
	ck_assert_uint_eq(zones[ZONE_DMA].free_pages, 45);
	mem_map_destroy();
}
END_TEST

START_TEST(test_watermark_high_order)
{
	struct range res[] = { { 0, 4 } };
	struct zone *z = &zones[ZONE_DMA];
	uint64_t n = 0;

	/* DMA only, 4092 managed frames: min_free_kbytes = sqrt(16368 * 16)
	 * = 511, so min is 127 pages. */
	boot_wmarks(4096, true, res, 1);
	ck_assert_uint_eq(min_free_kbytes, 511);
	ck_assert_uint_eq(z->watermark[WMARK_MIN], 127);
	/* Order 3 succeeds while free - 7 > 127: 4092 -> ... 140 -> 132. */
	while (alloc_pages(GFP_KERNEL, 3))
		n++;
	ck_assert_uint_eq(n, (4092 - 132) / 8);
	ck_assert_uint_eq(z->free_pages, 132);
	/* Order 2: 132 - 3 > 127 (the [4, 8) block); then order 0 once. */
	ck_assert_ptr_nonnull(alloc_pages(GFP_KERNEL, 2));
	ck_assert_ptr_null(alloc_pages(GFP_KERNEL, 1));
	ck_assert_ptr_nonnull(alloc_page(GFP_KERNEL));
	ck_assert_ptr_null(alloc_page(GFP_KERNEL));
	ck_assert_uint_eq(z->free_pages, 127);
	mem_map_destroy();
}
END_TEST

START_TEST(test_zone_selection_8g)
{
	struct page *p;

	boot(GIB_FRAMES(8), true, NULL, 0);
	p = alloc_page(GFP_KERNEL);
	ck_assert_int_eq(page_zonenum(p), ZONE_NORMAL);
	ck_assert_uint_eq(page_to_pfn(p), 1 << 20);
	p = alloc_page(GFP_HIGHUSER_MOVABLE);
	ck_assert_int_eq(page_zonenum(p), ZONE_NORMAL);
	p = alloc_page(__GFP_DMA32);
	ck_assert_int_eq(page_zonenum(p), ZONE_DMA32);
	ck_assert_uint_eq(page_to_pfn(p), 4096);
	p = alloc_page(__GFP_DMA);
	ck_assert_int_eq(page_zonenum(p), ZONE_DMA);
	ck_assert_uint_eq(page_to_pfn(p), 0);
	p = alloc_pages(__GFP_DMA32, 4);
	ck_assert_int_eq(page_zonenum(p), ZONE_DMA32);
	ck_assert_uint_eq(page_to_pfn(p) % 16, 0);
	ck_assert_uint_eq(vmstat.events[PGALLOC_NORMAL], 2);
	ck_assert_uint_eq(vmstat.events[PGALLOC_DMA32], 17);
	ck_assert_uint_eq(vmstat.events[PGALLOC_DMA], 1);
	ck_assert_uint_eq(vmstat.events[PGALLOC_MOVABLE], 0);
	mem_map_destroy();
}
END_TEST

START_TEST(test_zone_fallback)
{
	uint64_t n;
	struct page *p;

	/* 32-bit: DMA [0, 4096), Normal [4096, 8192); no watermarks. */
	boot(8192, false, NULL, 0);
	for (n = 0; n < 4096; n++) {
		p = alloc_page(GFP_KERNEL);
		EXPECT(p && page_zonenum(p) == ZONE_NORMAL);
	}
	ck_assert_uint_eq(vmstat.events[PGALLOC_NORMAL], 4096);
	p = alloc_page(GFP_KERNEL);
	ck_assert_int_eq(page_zonenum(p), ZONE_DMA);
	ck_assert_uint_eq(vmstat.events[PGALLOC_DMA], 1);
	/* No DMA32 zone: __GFP_DMA32 falls back to DMA. */
	p = alloc_page(__GFP_DMA32);
	ck_assert_int_eq(page_zonenum(p), ZONE_DMA);
	ck_assert_uint_eq(vmstat.events[PGALLOC_DMA], 2);
	ck_assert_uint_eq(vmstat.events[PGALLOC_DMA32], 0);
	/* Normal is full: a freed Normal page is used again first. */
	__free_pages(pfn_to_page(5000), 0);
	p = alloc_page(GFP_KERNEL);
	ck_assert_uint_eq(page_to_pfn(p), 5000);
	mem_map_destroy();
}
END_TEST

/* ---------------------------------------------------------------------- */
/* NUMA nodes                                                             */
/* ---------------------------------------------------------------------- */

extern int this_cpu;	/* mm/pgtable.c */

/* boot_nodes - boot(nr, DMA32, nothing reserved) on nodes nodes, with
 * cpus CPUs, then the default watermarks. */
static void boot_nodes(uint64_t nr, int nodes, int cpus)
{
	hw.nr_cpus = cpus;
	ck_assert_int_eq(mem_map_init(nr), 0);
	page_alloc_init_nodes(nr, true, nodes);
	memblock_free_range(0, nr);
	calculate_min_free_kbytes();
	setup_per_zone_wmarks();
}

/* zonelist_text - node nid's zonelist as "node:zone" pairs ("1:1 0:1
 * 0:0"), into buf. */
static const char *zonelist_text(int nid, char *buf, size_t size)
{
	const struct zoneref *z = node_zonelist(nid)->_zonerefs;
	size_t len = 0;

	buf[0] = '\0';
	for (; z->zone; z++)
		len += (size_t)snprintf(buf + len, size - len, "%s%d:%d",
					len ? " " : "", z->zone->node,
					z->zone_idx);
	return buf;
}

/* Nodes split RAM in equal, 2^MAX_ORDER-aligned ranges (the last takes
 * the rest); zones are cut by address within them: node 0 has DMA and
 * some DMA32, the others DMA32 only. CPUs go to nodes in blocks; with
 * fewer CPUs than nodes the later nodes have none. */
START_TEST(test_numa_layout)
{
	uint64_t nr = MIB_FRAMES(100);	/* 25600: 8192 per node, 1024 left */

	boot_nodes(nr, 3, 2);
	ck_assert_int_eq(nr_online_nodes, 3);
	ck_assert_uint_eq(NODE_DATA(1)->node_start_pfn, 8192);
	ck_assert_uint_eq(NODE_DATA(1)->node_spanned_pages, 8192);
	ck_assert_uint_eq(NODE_DATA(2)->node_start_pfn, 16384);
	ck_assert_uint_eq(NODE_DATA(2)->node_spanned_pages, nr - 16384);
	ck_assert_uint_eq(NODE_DATA(0)->node_zones[ZONE_DMA].spanned_pages,
			  4096);
	ck_assert_uint_eq(NODE_DATA(0)->node_zones[ZONE_DMA32].spanned_pages,
			  4096);
	ck_assert_uint_eq(NODE_DATA(1)->node_zones[ZONE_DMA].present_pages, 0);
	ck_assert_uint_eq(NODE_DATA(1)->node_zones[ZONE_DMA32].zone_start_pfn,
			  8192);
	ck_assert_int_eq(pfn_to_nid(8191), 0);
	ck_assert_int_eq(pfn_to_nid(8192), 1);
	ck_assert_int_eq(pfn_to_nid(nr - 1), 2);
	ck_assert_ptr_eq(page_zone(pfn_to_page(20000)),
			 &NODE_DATA(2)->node_zones[ZONE_DMA32]);
	ck_assert_int_eq(cpu_to_node(0), 0);
	ck_assert_int_eq(cpu_to_node(1), 1);
	ck_assert_uint_eq(nr_free_pages(), nr);
	ck_assert_uint_eq(node_free_pages(2), nr - 16384);
	ck_assert_int_eq(node_distance(0, 0), 10);
	ck_assert_int_eq(node_distance(2, 0), 20);
	mem_map_destroy();
	/* Four CPUs on two nodes: two each. */
	boot_nodes(MIB_FRAMES(64), 2, 4);
	ck_assert_int_eq(cpu_to_node(1), 0);
	ck_assert_int_eq(cpu_to_node(2), 1);
	ck_assert_int_eq(cpu_to_node(3), 1);
	mem_map_destroy();
	hw.nr_cpus = 0;
}
END_TEST

/* The zonelists in node order (build_zonelists): a node's own zones from
 * the highest, then the other nodes by find_next_best_node: at one
 * distance, a memory-only node before one with CPUs, ids after the
 * node's before those below it, node_load spreading the ties. */
START_TEST(test_numa_zonelists)
{
	char buf[256];

	boot_nodes(MIB_FRAMES(64), 2, 2);
	ck_assert_str_eq(zonelist_text(0, buf, sizeof(buf)), "0:1 0:0 1:1");
	ck_assert_str_eq(zonelist_text(1, buf, sizeof(buf)), "1:1 0:1 0:0");
	mem_map_destroy();
	/* Node 2 has no CPU: it is everyone's first fallback. */
	boot_nodes(MIB_FRAMES(96), 3, 2);
	ck_assert_str_eq(zonelist_text(0, buf, sizeof(buf)),
			 "0:1 0:0 2:1 1:1");
	ck_assert_str_eq(zonelist_text(1, buf, sizeof(buf)),
			 "1:1 2:1 0:1 0:0");
	ck_assert_str_eq(zonelist_text(2, buf, sizeof(buf)),
			 "2:1 0:1 0:0 1:1");
	mem_map_destroy();
	/* Four nodes with CPUs: the ids after the node's first. */
	boot_nodes(MIB_FRAMES(64), 4, 4);
	ck_assert_str_eq(zonelist_text(2, buf, sizeof(buf)),
			 "2:1 3:1 0:0 1:1");
	mem_map_destroy();
	hw.nr_cpus = 0;
}
END_TEST

/* An allocation starts on the node of the CPU that makes it: numa_hit
 * and numa_local there.  Once that node is at its low watermark the
 * next node of the zonelist serves it: numa_miss and numa_other on the
 * zone it came from, numa_foreign on the preferred one (Linux's
 * zone_statistics).  Freeing gives every page back to its node. */
START_TEST(test_numa_local_and_fallback)
{
	struct zone *z0, *z1;
	struct page **pages;
	uint64_t n = 0, free0;

	boot_nodes(MIB_FRAMES(64), 2, 2);
	z0 = &NODE_DATA(0)->node_zones[ZONE_DMA32];
	z1 = &NODE_DATA(1)->node_zones[ZONE_DMA32];
	free0 = nr_free_pages();
	pages = calloc(MIB_FRAMES(64), sizeof(*pages));
	ck_assert_ptr_nonnull(pages);
	this_cpu = 1;
	ck_assert_int_eq(numa_node_id(), 1);
	pages[n++] = alloc_page(GFP_HIGHUSER_MOVABLE);
	ck_assert_int_eq(page_to_nid(pages[0]), 1);
	ck_assert_uint_eq(zone_numa_event_state(z1, NUMA_HIT), 1);
	ck_assert_uint_eq(zone_numa_event_state(z1, NUMA_LOCAL), 1);
	while ((pages[n] = alloc_page(GFP_HIGHUSER_MOVABLE)) &&
	       page_to_nid(pages[n]) == 1)
		n++;
	ck_assert_ptr_nonnull(pages[n]);
	ck_assert_ptr_eq(page_zone(pages[n]), z0);
	n++;
	/* Node 1 stopped at its low watermark (less the pcp batch it had
	 * taken). */
	ck_assert_uint_le(z1->free_pages, z1->watermark[WMARK_LOW]);
	ck_assert_uint_eq(zone_numa_event_state(z1, NUMA_HIT), n - 1);
	ck_assert_uint_eq(zone_numa_event_state(z0, NUMA_MISS), 1);
	ck_assert_uint_eq(zone_numa_event_state(z0, NUMA_OTHER), 1);
	ck_assert_uint_eq(zone_numa_event_state(z0, NUMA_HIT), 0);
	ck_assert_uint_eq(zone_numa_event_state(z1, NUMA_FOREIGN), 1);
	ck_assert_uint_eq(node_numa_event_state(1, NUMA_FOREIGN), 1);
	/* CPU 0 allocates on node 0: a local hit. */
	this_cpu = 0;
	pages[n] = alloc_page(GFP_HIGHUSER_MOVABLE);
	ck_assert_int_eq(page_to_nid(pages[n++]), 0);
	ck_assert_uint_eq(zone_numa_event_state(z0, NUMA_HIT), 1);
	ck_assert_uint_eq(zone_numa_event_state(z0, NUMA_LOCAL), 1);
	ck_assert_uint_eq(sum_numa_event(NUMA_HIT) + sum_numa_event(NUMA_MISS),
			  n);
	ck_assert_uint_eq(sum_numa_event(NUMA_LOCAL) +
			  sum_numa_event(NUMA_OTHER), n);
	ck_assert_uint_eq(sum_numa_event(NUMA_INTERLEAVE_HIT), 0);
	while (n)
		__free_pages(pages[--n], 0);
	drain_all_pages(NULL);
	ck_assert_uint_eq(nr_free_pages(), free0);
	ck_assert_uint_eq(node_free_pages(1), NODE_DATA(1)->node_present_pages);
	free(pages);
	this_cpu = -1;
	mem_map_destroy();
	hw.nr_cpus = 0;
}
END_TEST

/* ---------------------------------------------------------------------- */
/* __GFP_ZERO                                                             */
/* ---------------------------------------------------------------------- */

START_TEST(test_gfp_zero)
{
	static const char msg[] = "not zero any more";
	char buf[PAGE_SIZE], zero[PAGE_SIZE] = { 0 };
	struct page *p, *q;
	uint64_t pfn;

	ck_assert_int_eq(physmem_init(&hw.mem, 2048), 0);
	boot(2048, true, NULL, 0);
	p = alloc_page(GFP_KERNEL);
	pfn = page_to_pfn(p);
	phys_write(&hw.mem, (pfn << PAGE_SHIFT) + 100, msg, sizeof(msg));
	ck_assert(phys_frame_written(&hw.mem, pfn));
	__free_pages(p, 0);
	/* Without __GFP_ZERO the old bytes are still there. */
	q = alloc_page(GFP_KERNEL);
	ck_assert_ptr_eq(q, p);
	phys_read(&hw.mem, (pfn << PAGE_SHIFT) + 100, buf, sizeof(msg));
	ck_assert(memcmp(buf, msg, sizeof(msg)) == 0);
	__free_pages(q, 0);
	q = alloc_page(GFP_PGTABLE);
	ck_assert_ptr_eq(q, p);
	phys_read(&hw.mem, pfn << PAGE_SHIFT, buf, PAGE_SIZE);
	ck_assert(memcmp(buf, zero, PAGE_SIZE) == 0);
	__free_pages(q, 0);

	/* Every frame of a higher-order block. */
	p = alloc_pages(GFP_KERNEL, 2);
	pfn = page_to_pfn(p);
	for (int i = 0; i < 4; i++)
		phys_write(&hw.mem, ((pfn + i) << PAGE_SHIFT) + 4000, msg, sizeof(msg));
	__free_pages(p, 2);
	p = alloc_pages(GFP_KERNEL | __GFP_ZERO, 2);
	ck_assert_uint_eq(page_to_pfn(p), pfn);
	for (int i = 0; i < 4; i++) {
		phys_read(&hw.mem, (pfn + i) << PAGE_SHIFT, buf, PAGE_SIZE);
		ck_assert(memcmp(buf, zero, PAGE_SIZE) == 0);
	}
	mem_map_destroy();
	physmem_destroy(&hw.mem);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* References and LRU                                                     */
/* ---------------------------------------------------------------------- */

START_TEST(test_put_page)
{
	struct page *p;

	boot(1024, true, NULL, 0);
	p = alloc_page(GFP_KERNEL);
	get_page(p);
	get_page(p);
	ck_assert_int_eq(p->refcount, 3);
	put_page(p);
	put_page(p);
	ck_assert_uint_eq(nr_free_pages(), 1023);
	ck_assert_uint_eq(vmstat.events[PGFREE], 0);
	p->mapping = (void *)0x1234;	/* page-cache state is cleared */
	p->index = 77;
	SetPageFlag(p, PG_dirty);
	put_page(p);
	ck_assert_uint_eq(nr_free_pages(), 1024);
	ck_assert_uint_eq(vmstat.events[PGFREE], 1);
	ck_assert_uint_eq(zones[ZONE_DMA].free_area[MAX_ORDER].nr_free, 1);
	check_consistency(NULL, NULL, 0);
	mem_map_destroy();
}
END_TEST

START_TEST(test_lru_add_del)
{
	struct page *p[NR_LRU_LISTS * 2];

	boot(1024, true, NULL, 0);
	for (int i = 0; i < NR_LRU_LISTS * 2; i++) {
		enum lru_list lru = i % NR_LRU_LISTS;

		p[i] = alloc_page(GFP_HIGHUSER_MOVABLE);
		if (lru == LRU_INACTIVE_ANON || lru == LRU_ACTIVE_ANON)
			SetPageFlag(p[i], PG_swapbacked);
		lru_cache_add(p[i], lru);
		ck_assert(PageLRU(p[i]));
		ck_assert_int_eq(page_lru(p[i]), lru);
		ck_assert_int_eq(PageFlag(p[i], PG_active),
				 lru == LRU_ACTIVE_ANON || lru == LRU_ACTIVE_FILE);
		ck_assert_int_eq(PageFlag(p[i], PG_unevictable),
				 lru == LRU_UNEVICTABLE);
	}
	for (int l = 0; l < NR_LRU_LISTS; l++) {
		ck_assert_uint_eq(root_mem_cgroup.lruvec[0].nr_pages[l], 2);
		/* added at the head: newest first, oldest at the tail */
		ck_assert_ptr_eq(list_first_entry(&root_mem_cgroup.lruvec[0].lists[l], struct page, lru),
				 p[l + NR_LRU_LISTS]);
		ck_assert_ptr_eq(list_last_entry(&root_mem_cgroup.lruvec[0].lists[l], struct page, lru),
				 p[l]);
	}
	/* Move an inactive file page to the active list. */
	lru_del(p[LRU_INACTIVE_FILE]);
	ck_assert(!PageLRU(p[LRU_INACTIVE_FILE]));
	ck_assert(list_empty(&p[LRU_INACTIVE_FILE]->lru));
	ck_assert_uint_eq(root_mem_cgroup.lruvec[0].nr_pages[LRU_INACTIVE_FILE], 1);
	lru_cache_add(p[LRU_INACTIVE_FILE], LRU_ACTIVE_FILE);
	ck_assert_uint_eq(root_mem_cgroup.lruvec[0].nr_pages[LRU_ACTIVE_FILE], 3);
	/* The last put takes pages off their LRU and frees them. */
	for (int i = 0; i < NR_LRU_LISTS * 2; i++)
		put_page(p[i]);
	for (int l = 0; l < NR_LRU_LISTS; l++) {
		ck_assert_uint_eq(root_mem_cgroup.lruvec[0].nr_pages[l], 0);
		ck_assert(list_empty(&root_mem_cgroup.lruvec[0].lists[l]));
	}
	ck_assert_uint_eq(nr_free_pages(), 1024);
	check_consistency(NULL, NULL, 0);
	mem_map_destroy();
}
END_TEST

/* ---------------------------------------------------------------------- */
/* BUGs                                                                   */
/* ---------------------------------------------------------------------- */

START_TEST(test_bug_double_free)
{
	struct page *p;

	boot(1024, true, NULL, 0);
	p = alloc_pages(GFP_KERNEL, 1);
	__free_pages(p, 1);
	__free_pages(p, 1);	/* PG_buddy: BUG */
}
END_TEST

START_TEST(test_bug_put_free_page)
{
	struct page *p;

	boot(1024, true, NULL, 0);
	p = alloc_page(GFP_KERNEL);
	put_page(p);
	put_page(p);		/* refcount 0: BUG */
}
END_TEST

START_TEST(test_bug_free_mapped)
{
	struct page *p;

	boot(1024, true, NULL, 0);
	p = alloc_page(GFP_KERNEL);
	p->mapcount = 1;
	__free_pages(p, 0);
}
END_TEST

START_TEST(test_bug_free_on_lru)
{
	struct page *p;

	boot(1024, true, NULL, 0);
	p = alloc_page(GFP_KERNEL);
	lru_cache_add(p, LRU_INACTIVE_FILE);
	__free_pages(p, 0);
}
END_TEST

START_TEST(test_bug_put_zero_page)
{
	struct range res[] = { { 10, 11 } };

	boot(1024, true, res, 1);
	put_page(pfn_to_page(10));	/* reserved, refcount 1 -> 0: BUG */
}
END_TEST

START_TEST(test_bug_lru_mismatch)
{
	struct page *p;

	boot(1024, true, NULL, 0);
	p = alloc_page(GFP_KERNEL);
	lru_cache_add(p, LRU_ACTIVE_ANON);	/* not PG_swapbacked: BUG */
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Randomized                                                             */
/* ---------------------------------------------------------------------- */

START_TEST(test_random_mixed)
{
	enum { STEPS = 3000, MAXA = 4096 };
	static const unsigned int gfps[] = {
		GFP_KERNEL, __GFP_DMA, __GFP_DMA32, GFP_HIGHUSER_MOVABLE,
	};
	struct range res[] = { { 0, 1 }, { 700, 709 }, { 5000, 5100 }, { 9000, 9001 } };
	uint64_t *apfn = malloc(MAXA * sizeof(uint64_t));
	unsigned int *aord = malloc(MAXA * sizeof(unsigned int));
	uint64_t nr = 12345, nres = 1 + 9 + 100 + 1, allocated = 0;
	int n = 0;
	struct snapshot before, after;

	rng_state = 0xdeadbeefULL * (uint64_t)(_i + 1);
	boot(nr, _i & 1, res, 4);
	if (_i & 2) {
		calculate_min_free_kbytes();
		setup_per_zone_wmarks();
	}
	take_snapshot(&before);
	for (int step = 0; step < STEPS; step++) {
		bool do_alloc = n == 0 || (n < MAXA && rng() % 100 < 55);

		if (do_alloc) {
			unsigned int o = rng() % 8 == 0 ? rng() % (MAX_ORDER + 1)
							 : rng() % 3;
			struct page *p = alloc_pages(gfps[rng() % 4], o);

			if (p) {
				EXPECT(p->refcount == 1);
				apfn[n] = page_to_pfn(p);
				aord[n++] = o;
				allocated += 1ULL << o;
			}
		} else {
			int i = rng() % n;

			__free_pages(pfn_to_page(apfn[i]), aord[i]);
			allocated -= 1ULL << aord[i];
			apfn[i] = apfn[n - 1];
			aord[i] = aord[--n];
		}
		EXPECT(nr_free_pages() + nr_pcp_pages() + allocated + nres == nr);
		check_consistency(apfn, aord, n);
	}
	while (n > 0) {
		n--;
		__free_pages(pfn_to_page(apfn[n]), aord[n]);
	}
	drain_all_pages(NULL);
	take_snapshot(&after);
	snapshots_equal_and_free(&before, &after);
	ck_assert_uint_eq(vmstat.events[PGALLOC_DMA] + vmstat.events[PGALLOC_DMA32] +
			  vmstat.events[PGALLOC_NORMAL], vmstat.events[PGFREE]);
	free(apfn);
	free(aord);
	mem_map_destroy();
}
END_TEST

/* ---------------------------------------------------------------------- */

/* ---------------------------------------------------------------------- */
/* Per-cpu lists                                                          */
/* ---------------------------------------------------------------------- */

/* Before the watermarks are set, every pcp list is Linux's boot pageset
 * (batch 1, high 0): an order-0 page comes from the buddy and goes back
 * to it at once. */
START_TEST(test_pcp_boot_pageset)
{
	struct page *p;

	boot(MIB_FRAMES(64), true, NULL, 0);
	ck_assert_uint_eq(zones[ZONE_DMA32].pcp[0].batch, 1);
	ck_assert_uint_eq(zones[ZONE_DMA32].pcp[0].high, 0);
	p = alloc_page(GFP_KERNEL);
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq(nr_pcp_pages(), 0);
	__free_pages(p, 0);
	ck_assert_uint_eq(nr_pcp_pages(), 0);
	ck_assert_uint_eq(nr_free_pages(), totalram_pages);
	mem_map_destroy();
}
END_TEST

/* An empty list takes a batch from the buddy (rmqueue_bulk); frees stay
 * on the list, out of free_pages, until it reaches high, which gives a
 * batch back (free_pcppages_bulk); drain_all_pages empties it. */
START_TEST(test_pcp_refill_and_high)
{
	struct zone *z = &zones[ZONE_DMA32];
	struct per_cpu_pages *pcp = &z->pcp[0];
	struct page **pages;
	uint64_t free0, batch, high, n;

	boot_wmarks(MIB_FRAMES(128), true, NULL, 0);
	batch = pcp->batch;
	high = pcp->high;
	/* 128 MiB: DMA32 manages 28672 - 256 pages: 27 MiB -> 6 + 3 -> 7. */
	ck_assert_uint_eq(batch, zone_batchsize(z));
	ck_assert_uint_eq(batch, 7);
	ck_assert_uint_eq(high, zone_highsize(z, batch, 0));
	ck_assert_uint_eq(high, MAX(z->watermark[WMARK_LOW], batch * 4));
	ck_assert_uint_eq(pcp->high_max, zone_highsize(z, batch, 8));
	free0 = z->free_pages;
	pages = calloc(high + batch, sizeof(*pages));
	ck_assert_ptr_nonnull(pages);
	pages[0] = alloc_page(GFP_KERNEL);
	ck_assert_int_eq(page_zonenum(pages[0]), ZONE_DMA32);
	ck_assert_uint_eq(z->free_pages, free0 - batch);
	ck_assert_uint_eq(pcp->count, batch - 1);
	for (n = 1; n < high + batch; n++) {
		pages[n] = alloc_page(GFP_KERNEL);
		EXPECT(pages[n] && page_zonenum(pages[n]) == ZONE_DMA32);
		EXPECT(z->free_pages + pcp->count + n + 1 == free0);
		EXPECT(pcp->count < batch);
	}
	for (n = 0; n < high + batch; n++) {
		uint64_t before = pcp->count;

		__free_pages(pages[n], 0);
		EXPECT(pcp->count == (before + 1 < high ? before + 1 :
				      before + 1 - batch));
		EXPECT(pcp->count < high);
		EXPECT(z->free_pages + pcp->count + high + batch - n - 1 ==
		       free0);
	}
	ck_assert_uint_gt(pcp->count, 0);
	ck_assert_uint_eq(z->free_pages + pcp->count, free0);
	drain_all_pages(z);
	ck_assert_uint_eq(pcp->count, 0);
	ck_assert_uint_eq(z->free_pages, free0);
	free(pages);
	mem_map_destroy();
}
END_TEST

/* Each CPU has its own lists: the page freed on CPU 1 is not had by CPU
 * 0, and a drain of every CPU gives both back. */
START_TEST(test_pcp_per_cpu)
{
	struct zone *z = &zones[ZONE_DMA32];
	struct page *p;
	uint64_t free0;

	hw.nr_cpus = 2;
	boot_wmarks(MIB_FRAMES(128), true, NULL, 0);
	free0 = z->free_pages;
	this_cpu = 1;
	p = alloc_page(GFP_KERNEL);
	ck_assert_uint_eq(z->pcp[1].count, z->pcp[1].batch - 1);
	__free_pages(p, 0);
	ck_assert_uint_eq(z->pcp[1].count, z->pcp[1].batch);
	this_cpu = -1;		/* no CPU: CPU 0 */
	p = alloc_page(GFP_KERNEL);
	ck_assert_uint_eq(z->pcp[0].count, z->pcp[0].batch - 1);
	ck_assert_uint_eq(z->pcp[1].count, z->pcp[1].batch);
	__free_pages(p, 0);
	ck_assert_uint_eq(nr_pcp_pages(), 2 * z->pcp[0].batch);
	drain_all_pages(NULL);
	ck_assert_uint_eq(nr_pcp_pages(), 0);
	ck_assert_uint_eq(z->free_pages, free0);
	mem_map_destroy();
	hw.nr_cpus = 0;
}
END_TEST

/* percpu_pagelist_high_fraction: 1..7 and negatives are EINVAL; N >= 8
 * makes high_min = high_max = managed / N / CPUs (at least 4 batches);
 * 0 brings back the low watermark's share. */
START_TEST(test_pcp_high_fraction)
{
	struct zone *z = &zones[ZONE_DMA32];
	uint64_t high0, batch;

	boot_wmarks(MIB_FRAMES(128), true, NULL, 0);
	high0 = z->pcp[0].high;
	batch = z->pcp[0].batch;
	for (int v = -1; v < 8; v++)
		if (v)
			ck_assert_int_eq(set_percpu_pagelist_high_fraction(v),
					 -EINVAL);
	ck_assert_int_eq(set_percpu_pagelist_high_fraction(1LL << 31),
			 -EINVAL);
	ck_assert_uint_eq(percpu_pagelist_high_fraction, 0);
	ck_assert_uint_eq(z->pcp[0].high, high0);
	ck_assert_int_eq(set_percpu_pagelist_high_fraction(8), 0);
	ck_assert_uint_eq(z->pcp[0].high, z->managed_pages / 8);
	ck_assert_uint_eq(z->pcp[0].high_max, z->pcp[0].high);
	ck_assert_uint_eq(z->pcp[HW_MAX_CPUS - 1].high, z->pcp[0].high);
	ck_assert_int_eq(set_percpu_pagelist_high_fraction(100000), 0);
	ck_assert_uint_eq(z->pcp[0].high, batch * 4);
	ck_assert_int_eq(set_percpu_pagelist_high_fraction(0), 0);
	ck_assert_uint_eq(z->pcp[0].high, high0);
	ck_assert_uint_eq(z->pcp[0].high_max, zone_highsize(z, batch, 8));
	mem_map_destroy();
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Migratetypes                                                           */
/* ---------------------------------------------------------------------- */

/* free_of_type - the free blocks of zone z, order o, on the list of mt. */
static uint64_t free_of_type(int z, unsigned int o, int mt)
{
	return zone_free_blocks_of_type(&zones[z], o, mt, UINT64_MAX);
}

/* gfp_migratetype as Linux's: user pages movable, page tables and kernel
 * unmovable, __GFP_RECLAIMABLE reclaimable; every pageblock is MOVABLE at
 * boot; below a pageblock per type, grouping is off and every
 * allocation unmovable. */
START_TEST(test_gfp_migratetype)
{
	boot_wmarks(MIB_FRAMES(64), true, NULL, 0);
	ck_assert_int_eq(gfp_migratetype(GFP_HIGHUSER_MOVABLE), MIGRATE_MOVABLE);
	ck_assert_int_eq(gfp_migratetype(GFP_KERNEL), MIGRATE_UNMOVABLE);
	ck_assert_int_eq(gfp_migratetype(GFP_PGTABLE), MIGRATE_UNMOVABLE);
	ck_assert_int_eq(gfp_migratetype(__GFP_RECLAIMABLE), MIGRATE_RECLAIMABLE);
	ck_assert_uint_eq(pageblock_order(), 9);
	for (uint64_t pfn = 0; pfn < max_pfn; pfn += 512)
		EXPECT(get_pageblock_migratetype(pfn) == MIGRATE_MOVABLE);
	mem_map_destroy();
	boot_wmarks(2048, false, NULL, 0);	/* i386: 4 MiB blocks */
	ck_assert_uint_eq(pageblock_order(), 10);
	ck_assert_int_eq(gfp_migratetype(GFP_HIGHUSER_MOVABLE),
			 MIGRATE_UNMOVABLE);
	mem_map_destroy();
}
END_TEST

/* An unmovable page with no unmovable free block claims the largest
 * fallback block: an order-10 MOVABLE block becomes UNMOVABLE whole (both
 * its pageblocks), the rest of it on the UNMOVABLE lists. */
START_TEST(test_claim_whole_block)
{
	struct page *p;
	uint64_t pfn;

	boot(MIB_FRAMES(64), true, NULL, 0);
	p = alloc_page(GFP_KERNEL);
	pfn = page_to_pfn(p);
	ck_assert_uint_eq(pfn % 1024, 0);
	ck_assert_int_eq(get_pageblock_migratetype(pfn), MIGRATE_UNMOVABLE);
	ck_assert_int_eq(get_pageblock_migratetype(pfn + 512), MIGRATE_UNMOVABLE);
	ck_assert_int_eq(get_pageblock_migratetype(pfn + 1024), MIGRATE_MOVABLE);
	for (unsigned int o = 0; o < MAX_ORDER; o++)
		ck_assert_uint_eq(free_of_type(page_zonenum(p), o,
					       MIGRATE_UNMOVABLE), 1);
	/* Freed, it merges back into an UNMOVABLE order-10 block. */
	__free_pages(p, 0);
	ck_assert_uint_eq(free_of_type(page_zonenum(p), MAX_ORDER,
				       MIGRATE_UNMOVABLE), 1);
	mem_map_destroy();
}
END_TEST

/* Linux's fallbacks[]: unmovable takes reclaimable before movable,
 * reclaimable takes unmovable before movable, movable takes reclaimable
 * before unmovable, when each has a block of the same order. */
START_TEST(test_fallback_order)
{
	struct page *r, *u, *m;

	boot(MIB_FRAMES(64), true, NULL, 0);
	/* DMA32 holds order-10 blocks only: make one RECLAIMABLE and one
	 * UNMOVABLE, free (each merges back whole on its own list). */
	r = alloc_pages(__GFP_DMA32 | __GFP_RECLAIMABLE, 0);
	__free_pages(r, 0);
	ck_assert_uint_eq(free_of_type(ZONE_DMA32, MAX_ORDER,
				       MIGRATE_RECLAIMABLE), 1);
	/* Unmovable: the reclaimable block, not a movable one. */
	u = alloc_pages(__GFP_DMA32, 0);
	ck_assert_uint_eq(page_to_pfn(u), page_to_pfn(r));
	ck_assert_int_eq(get_pageblock_migratetype(page_to_pfn(u)),
			 MIGRATE_UNMOVABLE);
	__free_pages(u, 0);
	ck_assert_uint_eq(free_of_type(ZONE_DMA32, MAX_ORDER,
				       MIGRATE_UNMOVABLE), 1);
	/* Reclaimable: the unmovable block before the movable ones. */
	r = alloc_pages(__GFP_DMA32 | __GFP_RECLAIMABLE, 0);
	ck_assert_uint_eq(page_to_pfn(r), page_to_pfn(u));
	__free_pages(r, 0);
	/* Movable has its own blocks: none taken from the others. */
	m = alloc_pages(__GFP_DMA32 | __GFP_MOVABLE, MAX_ORDER);
	ck_assert_int_eq(get_pageblock_migratetype(page_to_pfn(m)),
			 MIGRATE_MOVABLE);
	ck_assert_uint_eq(free_of_type(ZONE_DMA32, MAX_ORDER,
				       MIGRATE_RECLAIMABLE), 1);
	__free_pages(m, MAX_ORDER);
	mem_map_destroy();
}
END_TEST

/* A movable page that finds only small unmovable blocks (below half a
 * pageblock) steals the smallest one without claiming its pageblock:
 * the block stays UNMOVABLE and the split remainder stays on its lists. */
START_TEST(test_steal_single_page)
{
	struct page *big[6], *m1, *m2;
	struct zone *z = &zones[ZONE_DMA];

	boot(1024, true, NULL, 0);	/* DMA: one order-10 block */
	m1 = alloc_page(GFP_KERNEL);	/* claims it: UNMOVABLE 0..9 */
	for (unsigned int o = 9; o >= 4; o--)
		big[9 - o] = alloc_pages(GFP_KERNEL, o);
	/* Free now: pfns 1 (order 0), 2 (1), 4 (2), 8 (3), all UNMOVABLE. */
	ck_assert_uint_eq(z->free_pages, 15);
	m2 = alloc_page(GFP_HIGHUSER_MOVABLE);
	ck_assert_uint_eq(page_to_pfn(m2), 1);
	ck_assert_int_eq(get_pageblock_migratetype(1), MIGRATE_UNMOVABLE);
	__free_pages(m2, 0);
	m2 = alloc_page(GFP_HIGHUSER_MOVABLE);	/* pfn 1 again */
	__free_pages(m2, 0);
	__free_pages(m1, 0);	/* pfn 0: merges with 1, 2, 4, 8 */
	ck_assert_uint_eq(free_of_type(ZONE_DMA, 4, MIGRATE_UNMOVABLE), 1);
	ck_assert_uint_eq(free_of_type(ZONE_DMA, 4, MIGRATE_MOVABLE), 0);
	for (int i = 0; i < 6; i++)
		__free_pages(big[i], 9 - i);
	ck_assert_uint_eq(free_of_type(ZONE_DMA, MAX_ORDER,
				       MIGRATE_UNMOVABLE), 1);
	mem_map_destroy();
}
END_TEST

/* An unmovable page that finds a small movable block in a pageblock
 * mostly free claims the pageblock: every free block of it moves to the
 * UNMOVABLE lists and the block's type changes; the other pageblock of
 * the order-10 block keeps its type. */
START_TEST(test_claim_pageblock)
{
	struct page *m, *half, *u;

	boot(1024, true, NULL, 0);
	m = alloc_page(GFP_HIGHUSER_MOVABLE);		/* pfn 0 */
	half = alloc_pages(GFP_HIGHUSER_MOVABLE, 9);	/* pfns 512.. */
	ck_assert_uint_eq(page_to_pfn(half), 512);
	u = alloc_page(GFP_KERNEL);
	ck_assert_int_eq(get_pageblock_migratetype(0), MIGRATE_UNMOVABLE);
	ck_assert_int_eq(get_pageblock_migratetype(512), MIGRATE_MOVABLE);
	ck_assert_uint_eq(page_to_pfn(u), 1);
	for (unsigned int o = 0; o <= MAX_ORDER; o++)
		ck_assert_uint_eq(free_of_type(ZONE_DMA, o, MIGRATE_MOVABLE), 0);
	__free_pages(u, 0);
	__free_pages(m, 0);
	/* The two pageblocks differ: merging at order 9 makes the buddy
	 * (freed last) take the freed block's type. */
	__free_pages(half, 9);
	ck_assert_uint_eq(zones[ZONE_DMA].free_area[MAX_ORDER].nr_free, 1);
	ck_assert_int_eq(get_pageblock_migratetype(0),
			 get_pageblock_migratetype(512));
	mem_map_destroy();
}
END_TEST

/* page_alloc_suite - every test case of the buddy allocator. */
static Suite *page_alloc_suite(void)
{
	Suite *s = suite_create("page_alloc");
	TCase *tc;

	tc = tcase_create("layout");
	tcase_add_test(tc, test_layout_128m);
	tcase_add_test(tc, test_layout_8g);
	tcase_add_test(tc, test_layout_32bit);
	tcase_add_test(tc, test_layout_tiny);
	suite_add_tcase(s, tc);

	tc = tcase_create("boot");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_boot_touches_only_heads);
	tcase_add_test(tc, test_boot_reference_fixed);
	tcase_add_loop_test(tc, test_boot_reference_random_chunks, 0, 8);
	tcase_add_test(tc, test_boot_64g);
	suite_add_tcase(s, tc);

	tc = tcase_create("buddy");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_split_and_coalesce);
	tcase_add_test(tc, test_free_is_lifo);
	tcase_add_test(tc, test_split_high_order);
	tcase_add_loop_test(tc, test_alloc_all_free_all, 0, 3);
	suite_add_tcase(s, tc);

	tc = tcase_create("watermarks");
	tcase_add_test(tc, test_wmarks_128m);
	tcase_add_test(tc, test_wmarks_8g_formula);
	tcase_add_test(tc, test_min_free_kbytes_clamp);
	tcase_add_test(tc, test_watermark_refusal);
	tcase_add_test(tc, test_watermark_high_order);
	tcase_add_test(tc, test_zone_selection_8g);
	tcase_add_test(tc, test_zone_fallback);
	suite_add_tcase(s, tc);

	tc = tcase_create("numa");
	tcase_add_test(tc, test_numa_layout);
	tcase_add_test(tc, test_numa_zonelists);
	tcase_add_test(tc, test_numa_local_and_fallback);
	suite_add_tcase(s, tc);

	tc = tcase_create("migratetype");
	tcase_add_test(tc, test_gfp_migratetype);
	tcase_add_test(tc, test_claim_whole_block);
	tcase_add_test(tc, test_fallback_order);
	tcase_add_test(tc, test_steal_single_page);
	tcase_add_test(tc, test_claim_pageblock);
	suite_add_tcase(s, tc);

	tc = tcase_create("pcp");
	tcase_add_test(tc, test_pcp_boot_pageset);
	tcase_add_test(tc, test_pcp_refill_and_high);
	tcase_add_test(tc, test_pcp_per_cpu);
	tcase_add_test(tc, test_pcp_high_fraction);
	suite_add_tcase(s, tc);

	tc = tcase_create("pages");
	tcase_add_test(tc, test_gfp_zero);
	tcase_add_test(tc, test_put_page);
	tcase_add_test(tc, test_lru_add_del);
	suite_add_tcase(s, tc);

	tc = tcase_create("bugs");
	tcase_add_test_raise_signal(tc, test_bug_double_free, SIGABRT);
	tcase_add_test_raise_signal(tc, test_bug_put_free_page, SIGABRT);
	tcase_add_test_raise_signal(tc, test_bug_free_mapped, SIGABRT);
	tcase_add_test_raise_signal(tc, test_bug_free_on_lru, SIGABRT);
	tcase_add_test_raise_signal(tc, test_bug_put_zero_page, SIGABRT);
	tcase_add_test_raise_signal(tc, test_bug_lru_mismatch, SIGABRT);
	suite_add_tcase(s, tc);

	tc = tcase_create("random");
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_random_mixed, 0, 4);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(page_alloc_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
