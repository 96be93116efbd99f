/*
 * util.c - overcommit accounting (Linux's mm/util.c __vm_enough_memory and
 * vm_commit_limit): Committed_AS and the three overcommit_memory modes.
 */
#include <errno.h>
#include <inttypes.h>
#include "internal.h"
#include "kernel/kernel.h"

int64_t vm_committed_as;

/* vm_commit_limit - see mm.h: overcommit_kbytes, or overcommit_ratio
 * percent of RAM, plus swap. */
uint64_t vm_commit_limit(void)
{
	uint64_t allowed;

	if (sysctl_vm.overcommit_kbytes)
		allowed = (uint64_t)sysctl_vm.overcommit_kbytes >> (PAGE_SHIFT - 10);
	else
		allowed = totalram_pages * (uint64_t)sysctl_vm.overcommit_ratio / 100;
	return allowed + total_swap_pages;
}

/* vm_enough_memory - see mm.h.  Mode 1 always commits; mode 0 refuses a
 * single request larger than RAM plus swap; mode 2 refuses to go past the
 * commit limit. */
int vm_enough_memory(int64_t pages)
{
	if (pages < 0)
		return kerror(EINVAL, "a negative commit");
	switch (sysctl_vm.overcommit_memory) {
	case 1:
		break;
	case 0:
		if ((uint64_t)pages > totalram_pages + total_swap_pages)
			return kerror(ENOMEM, "cannot commit %" PRId64 " pages: "
				      "more than RAM and swap "
				      "(overcommit_memory 0)", pages);
		break;
	default:
		if (vm_committed_as + pages > (int64_t)vm_commit_limit())
			return kerror(ENOMEM, "cannot commit %" PRId64 " pages: "
				      "CommitLimit would be passed "
				      "(overcommit_memory 2)", pages);
		break;
	}
	vm_committed_as += pages;
	return 0;
}

/* vm_unacct_memory - give back committed pages. */
void vm_unacct_memory(int64_t pages)
{
	vm_committed_as -= pages;
	BUG_ON(vm_committed_as < 0);
}

/* accountable_mapping - see mm.h. */
bool accountable_mapping(struct address_space *file, uint64_t vm_flags)
{
	(void)file;
	return (vm_flags & (VM_NORESERVE | VM_SHARED | VM_WRITE)) == VM_WRITE;
}
