/*
 * seq.c - see seq.h.  Buffers start small (SEQ_INITIAL_SIZE, which a
 * build option can make tiny so that tests exercise the growth path) and
 * double as needed.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "seq.h"

#ifndef SEQ_INITIAL_SIZE
#define SEQ_INITIAL_SIZE 4096
#endif

void seq_init(struct seq *s)
{
	s->buf = NULL;
	s->len = 0;
	s->size = 0;
	s->overflow = false;
}

void seq_free(struct seq *s)
{
	free(s->buf);
	seq_init(s);
}

void seq_reset(struct seq *s)
{
	s->len = 0;
	s->overflow = false;
	if (s->buf)
		s->buf[0] = '\0';
}

/* seq_reserve - room for n more bytes plus a NUL; false if none. */
static bool seq_reserve(struct seq *s, size_t n)
{
	size_t want = s->len + n + 1, size = s->size ? s->size : SEQ_INITIAL_SIZE;
	char *p;

	if (s->overflow)
		return false;
	if (want <= s->size)
		return true;
	while (size < want)
		size *= 2;
	p = realloc(s->buf, size);
	if (!p) {
		s->overflow = true;
		return false;
	}
	s->buf = p;
	s->size = size;
	return true;
}

void seq_write(struct seq *s, const void *data, size_t len)
{
	if (!seq_reserve(s, len))
		return;
	memcpy(s->buf + s->len, data, len);
	s->len += len;
	s->buf[s->len] = '\0';
}

void seq_puts(struct seq *s, const char *str)
{
	seq_write(s, str, strlen(str));
}

void seq_putc(struct seq *s, char c)
{
	seq_write(s, &c, 1);
}

void seq_printf(struct seq *s, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !seq_reserve(s, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(s->buf + s->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	s->len += (size_t)n;
}

void seq_pad(struct seq *s, size_t col)
{
	size_t start = s->len;

	while (start > 0 && s->buf[start - 1] != '\n')
		start--;
	while (s->len - start < col)
		seq_putc(s, ' ');
	seq_putc(s, ' ');
}
