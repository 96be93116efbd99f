/*
 * errstr.c - the reason of the latest failure (see errstr.h; Plan 9's
 * errstr and error(), without the unwinding: here the check returns the
 * errno that kerror gives back).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "kernel/errstr.h"

static struct {
	int err;		/* the errno the reason explains, 0 if none */
	char text[ERRMAX];
} errstr;

/* kerror - see errstr.h.  The text is formatted aside first, so that it
 * may quote the reason it replaces. */
int kerror(int err, const char *fmt, ...)
{
	char text[ERRMAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	memcpy(errstr.text, text, sizeof(text));
	errstr.err = err;
	return -err;
}

/* kerrstr - see errstr.h. */
const char *kerrstr(void)
{
	return errstr.err ? errstr.text : "";
}

/* kerror_reason - see errstr.h. */
const char *kerror_reason(int err)
{
	return errstr.err && errstr.err == err ? errstr.text : NULL;
}

/* kerror_clear - see errstr.h. */
void kerror_clear(void)
{
	errstr.err = 0;
	errstr.text[0] = '\0';
}
