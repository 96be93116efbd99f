/*
 * show_mem.c - memory figures for reports (Linux's mm/show_mem.c):
 * MemAvailable.
 */
#include "mm/page_alloc.h"
#include "mm/memcontrol.h"
#include "util/compiler.h"

/* low_wmark_pages_sum - the low watermarks of every zone, populated or
 * not (Linux's for_each_zone loop in si_mem_available). */
static uint64_t low_wmark_pages_sum(void)
{
	struct zone *z;
	uint64_t sum = 0;

	for_each_zone(z)
		sum += z->watermark[WMARK_LOW];
	return sum;
}

/*
 * si_mem_available - see page_alloc.h: the free pages above the reserve
 * (calculate_totalreserve_pages), plus the page cache on the file LRU
 * lists less what must stay (half of it, at most the sum of the low
 * watermarks), plus reclaimable kernel memory (none here); never
 * negative.
 */
uint64_t si_mem_available(void)
{
	int64_t avail = (int64_t)nr_free_pages() -
			(int64_t)calculate_totalreserve_pages();
	uint64_t pagecache = node_lru_pages(LRU_ACTIVE_FILE) +
			     node_lru_pages(LRU_INACTIVE_FILE);

	pagecache -= MIN(pagecache / 2, low_wmark_pages_sum());
	avail += (int64_t)pagecache;
	return avail > 0 ? (uint64_t)avail : 0;
}
