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

/* seq_printf - format into the free space; only when it did not fit,
 * grow and format again. */
void seq_printf(struct seq *s, const char *fmt, ...)
{
	size_t room = s->size - s->len;
	va_list ap;
	int n;

	if (s->overflow)
		return;
	va_start(ap, fmt);
	n = vsnprintf(room ? s->buf + s->len : NULL, room, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= room) {
		if (!seq_reserve(s, (size_t)n))
			return;
		va_start(ap, fmt);
		vsnprintf(s->buf + s->len, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	s->len += (size_t)n;
}

/* put_digits - digits of v in base (10 or 16), padded with pad to width. */
static void put_digits(struct seq *s, uint64_t v, unsigned int base,
		       int width, char pad)
{
	char tmp[24];
	int n = 0;

	do {
		tmp[sizeof(tmp) - 1 - n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	while (n < width && n < (int)sizeof(tmp))
		tmp[sizeof(tmp) - 1 - n++] = pad;
	seq_write(s, tmp + sizeof(tmp) - n, (size_t)n);
}

void seq_put_hex(struct seq *s, uint64_t v, int width)
{
	put_digits(s, v, 16, width, '0');
}

void seq_put_dec(struct seq *s, uint64_t v, int width)
{
	put_digits(s, v, 10, width, ' ');
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

/* seq_put_xml - see seq.h. */
void seq_put_xml(struct seq *s, const char *str)
{
	for (; *str; str++) {
		unsigned char c = (unsigned char)*str;

		switch (c) {
		case '&': seq_puts(s, "&amp;"); break;
		case '<': seq_puts(s, "&lt;"); break;
		case '>': seq_puts(s, "&gt;"); break;
		case '"': seq_puts(s, "&quot;"); break;
		case '\'': seq_puts(s, "&apos;"); break;
		default:
			if (c < 0x20 && c != '\t' && c != '\n')
				seq_puts(s, "\xef\xbf\xbd");
			else
				seq_putc(s, (char)c);
		}
	}
}
