/*
 * bitops.h - bit-scanning helpers (Linux's include/asm-generic/bitops).
 */
#ifndef UTIL_BITOPS_H
#define UTIL_BITOPS_H

#include <stdint.h>

/* fls64 - Linux's fls64(): the 1-based index of the highest set bit of x,
 * 0 for 0. */
static inline int fls64(uint64_t x)
{
	return x ? 64 - __builtin_clzll(x) : 0;
}

#endif
