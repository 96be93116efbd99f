/*
 * physmem.c - the simulated machine's physical RAM.
 *
 * RAM and the "written" bitmap are anonymous MAP_NORESERVE mappings: the host
 * backs a page only when it is first written, so a 64 GiB machine costs the
 * host only the frames the simulation has actually dirtied.  Transparent huge
 * pages are refused on RAM so that touching one 4 KiB frame never makes the
 * host back a whole 2 MiB region.
 *
 * A clear bit in `written` promises that the frame is all zeroes (the host
 * has never been asked to store anything there); a set bit only says the
 * frame may hold non-zero bytes.
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include "hw/physmem.h"
#include "util/compiler.h"

/* The largest RAM an entry can address: 52-bit physical addresses. */
#define PHYS_MAX_FRAMES	(1ULL << (52 - PAGE_SHIFT))

/*
 * map_noreserve - an anonymous, zero-filled, read-write host mapping of
 * bytes that is not charged against the host's commit limit.
 * Returns the mapping or NULL.
 */
static void *map_noreserve(size_t bytes)
{
	void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/* bitmap_bytes - size of a bitmap with one bit per frame, in whole words. */
static size_t bitmap_bytes(uint64_t nr_frames)
{
	return (size_t)((nr_frames + 63) / 64) * sizeof(uint64_t);
}

/*
 * physmem_init - reserve nr_frames frames of zeroed RAM.
 * pm is overwritten.  Returns 0; -EINVAL if nr_frames is 0 or beyond what a
 * 52-bit physical address reaches; -ENOMEM if the host refuses the mappings.
 */
int physmem_init(struct physmem *pm, uint64_t nr_frames)
{
	size_t ram_bytes;

	memset(pm, 0, sizeof(*pm));
	if (nr_frames == 0 || nr_frames > PHYS_MAX_FRAMES)
		return -EINVAL;
	if (nr_frames > SIZE_MAX >> PAGE_SHIFT)
		return -ENOMEM;
	ram_bytes = (size_t)nr_frames << PAGE_SHIFT;
	pm->ram = map_noreserve(ram_bytes);
	if (!pm->ram)
		return -ENOMEM;
	pm->written = map_noreserve(bitmap_bytes(nr_frames));
	if (!pm->written) {
		munmap(pm->ram, ram_bytes);
		pm->ram = NULL;
		return -ENOMEM;
	}
	/* Advice only: a host without THP support simply ignores it. */
	(void)madvise(pm->ram, ram_bytes, MADV_NOHUGEPAGE);
	pm->nr_frames = nr_frames;
	return 0;
}

/*
 * physmem_destroy - give RAM and the bitmap back to the host.
 * pm may be empty (never initialised successfully, or already destroyed);
 * afterwards it is empty.
 */
void physmem_destroy(struct physmem *pm)
{
	if (pm->ram)
		munmap(pm->ram, (size_t)pm->nr_frames << PAGE_SHIFT);
	if (pm->written)
		munmap(pm->written, bitmap_bytes(pm->nr_frames));
	memset(pm, 0, sizeof(*pm));
}

/*
 * phys_read - copy len bytes at physical address pa into buf.
 * [pa, pa + len) must lie inside RAM (BUG otherwise); len 0 does nothing.
 */
void phys_read(const struct physmem *pm, uint64_t pa, void *buf, size_t len)
{
	if (len == 0)
		return;
	BUG_ON(!phys_valid(pm, pa, len));
	memcpy(buf, pm->ram + pa, len);
}

/*
 * phys_write - copy len bytes from buf to physical address pa and mark every
 * frame the range touches as written.
 * [pa, pa + len) must lie inside RAM (BUG otherwise); len 0 does nothing.
 */
void phys_write(struct physmem *pm, uint64_t pa, const void *buf, size_t len)
{
	uint64_t pfn, last;

	if (len == 0)
		return;
	BUG_ON(!phys_valid(pm, pa, len));
	last = (pa + len - 1) >> PAGE_SHIFT;
	for (pfn = pa >> PAGE_SHIFT; pfn <= last; pfn++)
		phys_mark_written(pm, pfn);
	memcpy(pm->ram + pa, buf, len);
}

/* phys_clear_frame - see physmem.h. */
void phys_clear_frame(struct physmem *pm, uint64_t pfn)
{
	BUG_ON(pfn >= pm->nr_frames || !phys_frame_written(pm, pfn));
	memset(pm->ram + (pfn << PAGE_SHIFT), 0, PAGE_SIZE);
	pm->written[pfn >> 6] &= ~(1ULL << (pfn & 63));
	pm->nr_written--;
}

/*
 * phys_copy_frame - make frame dst a copy of frame src.
 * A never-written src is all zeroes, so dst is just zeroed (cheaply).
 * Both must be distinct frames of RAM.
 */
void phys_copy_frame(struct physmem *pm, uint64_t dst, uint64_t src)
{
	BUG_ON(dst >= pm->nr_frames || src >= pm->nr_frames);
	BUG_ON(dst == src);
	if (!phys_frame_written(pm, src)) {
		phys_zero_frame(pm, dst);
		return;
	}
	phys_mark_written(pm, dst);
	memcpy(pm->ram + (dst << PAGE_SHIFT), pm->ram + (src << PAGE_SHIFT),
	       PAGE_SIZE);
}
