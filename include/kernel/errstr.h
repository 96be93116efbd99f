/*
 * errstr.h - why the kernel refused an operation (Plan 9's errstr): the
 * check that finds the problem records its reason together with the errno
 * it returns, and the layer that answers the user (ctl) shows that reason
 * instead of guessing one from the errno.
 *
 * The reason lives in one buffer of the machine (the kernel runs one
 * operation at a time); it is formatted only when a check fails, so
 * operations that succeed neither format nor allocate anything.
 */
#ifndef KERNEL_ERRSTR_H
#define KERNEL_ERRSTR_H

#include <errno.h>

#define ERRMAX	256		/* bytes of a reason, NUL included */

/*
 * kerror - record why the current operation fails with errno err (a
 * printf format and its arguments), replacing any earlier reason, and
 * return -err, so that a check reads
 *	return kerror(EINVAL, "growsdown needs a private anonymous mapping");
 * An argument may be kerrstr(): an outer check that turns an inner
 * failure into its own wraps the inner reason.  A reason is cut at
 * ERRMAX - 1 bytes.
 */
__attribute__((format(printf, 2, 3)))
int kerror(int err, const char *fmt, ...);

/* kerrstr - the latest reason, "" if there is none. */
const char *kerrstr(void);

/* kerror_reason - the latest reason if it was recorded with errno err
 * (so that it explains a failure with err), else NULL. */
const char *kerror_reason(int err);

/* kerror_clear - forget the reason; called before an operation whose
 * failure is to be explained. */
void kerror_clear(void);

/* host_enomem - -ENOMEM with its reason: the daemon's own memory, which
 * holds the kernel's objects, ran out. */
static inline int host_enomem(void)
{
	return kerror(ENOMEM, "out of host memory");
}

/* The reason of an operation whose process the OOM killer chose: it dies
 * once the operation has unwound. */
#define OOM_CHOSEN	"out of memory: the OOM killer chose this process"

#endif
