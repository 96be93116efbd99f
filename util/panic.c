/*
 * panic.c - the one place a broken invariant ends the program.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include "util/compiler.h"

void panic(const char *fmt, ...)
{
	va_list ap;

	fputs("mmufs: panic: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}
