/*
 * swapdev.c - the swap disk: 4 KiB blocks in a lazily backed host mapping
 * (see swapdev.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "hw/swapdev.h"
#include "util/compiler.h"

/* block_written - may block hold non-zero bytes? */
static bool block_written(const struct swapdev *d, uint64_t block)
{
	return (d->written[block >> 6] >> (block & 63)) & 1;
}

static void set_written(struct swapdev *d, uint64_t block, bool on)
{
	uint64_t bit = 1ULL << (block & 63);

	if (on)
		d->written[block >> 6] |= bit;
	else
		d->written[block >> 6] &= ~bit;
}

/* swapdev_init - see swapdev.h. */
int swapdev_init(struct swapdev *d, uint64_t nr_blocks)
{
	void *p;

	memset(d, 0, sizeof(*d));
	if (nr_blocks == 0)
		return -EINVAL;
	if (nr_blocks > SIZE_MAX / PAGE_SIZE)
		return -ENOMEM;
	p = mmap(NULL, nr_blocks * PAGE_SIZE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return -ENOMEM;
	d->written = calloc((nr_blocks + 63) / 64, sizeof(uint64_t));
	if (!d->written) {
		munmap(p, nr_blocks * PAGE_SIZE);
		return -ENOMEM;
	}
	d->data = p;
	d->nr_blocks = nr_blocks;
	return 0;
}

/* swapdev_destroy - see swapdev.h. */
void swapdev_destroy(struct swapdev *d)
{
	if (d->data)
		munmap(d->data, d->nr_blocks * PAGE_SIZE);
	free(d->written);
	memset(d, 0, sizeof(*d));
}

/* swapdev_write - see swapdev.h.  A frame that was never written is all
 * zeroes: the block only forgets what it held. */
void swapdev_write(struct swapdev *d, uint64_t block, struct physmem *pm,
		   uint64_t pfn)
{
	BUG_ON(block >= d->nr_blocks || pfn >= pm->nr_frames);
	d->writes++;
	if (!phys_frame_written(pm, pfn)) {
		swapdev_discard(d, block);
		return;
	}
	memcpy(d->data + block * PAGE_SIZE, pm->ram + (pfn << PAGE_SHIFT),
	       PAGE_SIZE);
	set_written(d, block, true);
}

/* swapdev_read - see swapdev.h. */
void swapdev_read(struct swapdev *d, uint64_t block, struct physmem *pm,
		  uint64_t pfn)
{
	BUG_ON(block >= d->nr_blocks);
	d->reads++;
	if (!block_written(d, block)) {
		phys_zero_frame(pm, pfn);
		return;
	}
	phys_write(pm, pfn << PAGE_SHIFT, d->data + block * PAGE_SIZE,
		   PAGE_SIZE);
}

/* trim - give the host memory of the gathered discarded blocks back, in
 * runs of consecutive blocks, skipping those written again since. */
static void trim(struct swapdev *d)
{
	unsigned int i = 0;

	while (i < d->nr_trim) {
		uint64_t start = d->trim[i], n = 1;

		if (block_written(d, start)) {
			i++;
			continue;
		}
		while (i + n < d->nr_trim && d->trim[i + n] == start + n &&
		       !block_written(d, start + n))
			n++;
		(void)madvise(d->data + start * PAGE_SIZE, n * PAGE_SIZE,
			      MADV_DONTNEED);
		i += (unsigned int)n;
	}
	d->nr_trim = 0;
}

/* swapdev_discard - see swapdev.h. */
void swapdev_discard(struct swapdev *d, uint64_t block)
{
	BUG_ON(block >= d->nr_blocks);
	if (!block_written(d, block))
		return;
	set_written(d, block, false);
	d->trim[d->nr_trim++] = block;
	if (d->nr_trim == SWAPDEV_TRIM_BATCH)
		trim(d);
}
