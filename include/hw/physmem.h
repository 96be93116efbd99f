/*
 * physmem.h - the simulated machine's physical RAM.
 *
 * RAM is one host mapping reserved with MAP_NORESERVE: the host only backs a
 * frame with memory once the simulation writes to it, so host memory grows
 * with the frames touched, not with the RAM size.  A bitmap remembers which
 * frames may hold non-zero bytes ("written"); zeroing a frame that was never
 * written is free, which keeps demand-zero faults cheap.
 */
#ifndef HW_PHYSMEM_H
#define HW_PHYSMEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "hw/x86.h"
#include "util/compiler.h"

struct physmem {
	uint8_t *ram;		/* nr_frames * PAGE_SIZE bytes */
	uint64_t nr_frames;
	uint64_t *written;	/* one bit per frame: may hold non-zero bytes */
	uint64_t nr_written;	/* frames whose bit is set */
};

/* physmem_init - reserve nr_frames frames of zeroed RAM. 0, -EINVAL (0
 * frames, or more than 52-bit physical addresses reach) or -ENOMEM. */
int physmem_init(struct physmem *pm, uint64_t nr_frames);

/* physmem_destroy - release the host memory; pm becomes empty. */
void physmem_destroy(struct physmem *pm);

static inline bool phys_valid(const struct physmem *pm, uint64_t pa, size_t len)
{
	return pa < (pm->nr_frames << PAGE_SHIFT) &&
	       len <= (pm->nr_frames << PAGE_SHIFT) - pa;
}

/* phys_frame_written - true if frame pfn may hold non-zero bytes. */
static inline bool phys_frame_written(const struct physmem *pm, uint64_t pfn)
{
	return (pm->written[pfn >> 6] >> (pfn & 63)) & 1;
}

/* phys_mark_written - record that frame pfn is about to be written. */
static inline void phys_mark_written(struct physmem *pm, uint64_t pfn)
{
	uint64_t bit = 1ULL << (pfn & 63);

	if (!(pm->written[pfn >> 6] & bit)) {
		pm->written[pfn >> 6] |= bit;
		pm->nr_written++;
	}
}

/* phys_read - copy len bytes at physical address pa into buf.
 * The range must lie inside RAM (BUG otherwise). */
void phys_read(const struct physmem *pm, uint64_t pa, void *buf, size_t len);

/* phys_write - copy len bytes from buf to physical address pa, marking the
 * frames written.  The range must lie inside RAM. */
void phys_write(struct physmem *pm, uint64_t pa, const void *buf, size_t len);

/* phys_clear_frame - clear the bytes of written frame pfn and count it
 * unwritten again (phys_zero_frame's slow half). */
void phys_clear_frame(struct physmem *pm, uint64_t pfn);

/* phys_zero_frame - make frame pfn all zeroes: free if never written.
 * pfn must be a frame of RAM.  Inline, as a new page is zeroed on every
 * anonymous fault and most frames were never written. */
static inline void phys_zero_frame(struct physmem *pm, uint64_t pfn)
{
	BUG_ON(pfn >= pm->nr_frames);
	if (phys_frame_written(pm, pfn))
		phys_clear_frame(pm, pfn);
}

/* phys_copy_frame - copy frame src to frame dst (zeroes dst if src was never
 * written). */
void phys_copy_frame(struct physmem *pm, uint64_t dst, uint64_t src);

/* phys_read64/32, phys_write64/32 - naturally aligned entry accesses used by
 * the page walker and the kernel's page-table code. */
static inline uint64_t phys_read64(const struct physmem *pm, uint64_t pa)
{
	return *(const uint64_t *)(pm->ram + pa);
}

static inline uint32_t phys_read32(const struct physmem *pm, uint64_t pa)
{
	return *(const uint32_t *)(pm->ram + pa);
}

static inline void phys_write64(struct physmem *pm, uint64_t pa, uint64_t v)
{
	phys_mark_written(pm, pa >> PAGE_SHIFT);
	*(uint64_t *)(pm->ram + pa) = v;
}

static inline void phys_write32(struct physmem *pm, uint64_t pa, uint32_t v)
{
	phys_mark_written(pm, pa >> PAGE_SHIFT);
	*(uint32_t *)(pm->ram + pa) = v;
}

#endif
