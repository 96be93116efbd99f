/*
 * swapdev.h - a block device of 4 KiB blocks that holds swapped-out pages:
 * the machine's swap disk.
 *
 * Like RAM, its contents live in one host mapping reserved with
 * MAP_NORESERVE, so the host backs only the blocks written; a block that
 * is discarded gives its host memory back, a batch of blocks at a time: a
 * discarded block reads as zeroes at once, and its host memory goes when
 * SWAPDEV_TRIM_BATCH discards have gathered (unless it was written again
 * meanwhile), so that swapping out and in does not cost a system call per
 * page.  A bitmap remembers which blocks may hold non-zero bytes: writing
 * a frame that was never written costs nothing, and reading such a block
 * only zeroes the frame.  Transfers are synchronous (a RAM disk, as zram
 * is).
 */
#ifndef HW_SWAPDEV_H
#define HW_SWAPDEV_H

#include <stdint.h>
#include "hw/physmem.h"

#define SWAPDEV_TRIM_BATCH	512

struct swapdev {
	uint8_t *data;		/* nr_blocks * PAGE_SIZE bytes */
	uint64_t nr_blocks;
	uint64_t *written;	/* one bit per block: may hold non-zero bytes */
	uint64_t reads, writes;	/* blocks transferred */
	uint64_t trim[SWAPDEV_TRIM_BATCH];	/* discarded, host memory kept */
	unsigned int nr_trim;
};

/* swapdev_init - a device of nr_blocks zeroed blocks. 0, -EINVAL (0 blocks)
 * or -ENOMEM. */
int swapdev_init(struct swapdev *d, uint64_t nr_blocks);

/* swapdev_destroy - give every block's host memory back; d becomes empty. */
void swapdev_destroy(struct swapdev *d);

/* swapdev_write - copy frame pfn of pm into block. */
void swapdev_write(struct swapdev *d, uint64_t block, struct physmem *pm,
		   uint64_t pfn);

/* swapdev_read - copy block into frame pfn of pm. */
void swapdev_read(struct swapdev *d, uint64_t block, struct physmem *pm,
		  uint64_t pfn);

/* swapdev_discard - the block's contents are no longer needed (TRIM): it
 * reads as zeroes and its host memory is given back. */
void swapdev_discard(struct swapdev *d, uint64_t block);

#endif
