/*
 * compiler.h - assertions and small helpers shared by every layer.
 *
 * BUG_ON() is for broken invariants (a programming error): it prints the
 * function and the condition and aborts, the way Linux's BUG_ON() oopses and
 * xv6's panic() halts.  Running out of a resource is never a BUG: such paths
 * return -errno and unwind.
 */
#ifndef UTIL_COMPILER_H
#define UTIL_COMPILER_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)

/* For the few functions of a hot path that the compiler would rather
 * call (Linux's __always_inline; glibc's <sys/cdefs.h> has it too). */
#ifndef __always_inline
#define __always_inline	inline __attribute__((always_inline))
#endif

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

#define MIN(a, b)	((a) < (b) ? (a) : (b))
#define MAX(a, b)	((a) > (b) ? (a) : (b))

/* panic - report a broken invariant and stop. Never returns. */
__attribute__((noreturn, format(printf, 1, 2)))
void panic(const char *fmt, ...);

#define BUG_ON(cond) do {						\
	if (unlikely(cond))						\
		panic("%s:%d: %s: BUG_ON(%s)", __FILE__, __LINE__,	\
		      __func__, #cond);					\
} while (0)

#define BUG() panic("%s:%d: %s: BUG", __FILE__, __LINE__, __func__)

#endif
