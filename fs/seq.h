/*
 * seq.h - a growable text buffer for rendering generated files (the role
 * of Linux's seq_file): renderers append, the file handle keeps the result
 * as the snapshot that reads are served from.
 */
#ifndef FS_SEQ_H
#define FS_SEQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct seq {
	char *buf;
	size_t len;
	size_t size;
	bool overflow;		/* an allocation failed: the text is cut */
};

void seq_init(struct seq *s);
void seq_free(struct seq *s);
/* seq_reset - empty the buffer, keeping its memory. */
void seq_reset(struct seq *s);
__attribute__((format(printf, 2, 3)))
void seq_printf(struct seq *s, const char *fmt, ...);
void seq_puts(struct seq *s, const char *str);
void seq_putc(struct seq *s, char c);
void seq_write(struct seq *s, const void *data, size_t len);
/* seq_put_hex - v in lowercase hex, zero-padded to at least width digits;
 * seq_put_dec - v in decimal, right-aligned in at least width columns
 * (Linux's seq_put_hex_ll / seq_put_decimal_ull_width: printf's cost is
 * most of a maps or smaps rendering). */
void seq_put_hex(struct seq *s, uint64_t v, int width);
void seq_put_dec(struct seq *s, uint64_t v, int width);
/* seq_put_xml - str as XML character data: &, <, >, " and ' as
 * entities, control bytes as U+FFFD (XML cannot hold them). */
void seq_put_xml(struct seq *s, const char *str);
/* seq_pad - append spaces until the current line is `col` characters long,
 * then one more (Linux's seq_pad, used for the name column of maps). */
void seq_pad(struct seq *s, size_t col);

#endif
