/*
 * ld.c - the --link loader (not yet: exec --link fails with ENOSYS).
 */
#include "internal.h"
#include "exec.h"

int link_needed(struct linux_binprm *bprm)
{
	(void)bprm;
	return -ENOSYS;
}
