/*
 * vdso.c - the pages the kernel maps into every image it execs: [vvar] (4
 * pages), [vvar_vclock] (2) and [vdso] (Linux 6.18's
 * arch/x86/entry/vdso/vma.c map_vdso over the generic vDSO data store).
 * The counts are the same on x86-64 and on a native i386 kernel:
 * include/vdso/datapage.h's VDSO_NR_PAGES is 4 whatever the config (time,
 * time namespace, getrandom and one arch page, present or not), and
 * arch/x86/include/asm/vdso/vsyscall.h's VDSO_NR_VCLOCK_PAGES is 2 (the
 * pvclock and Hyper-V pages are mapped, and fault with SIGBUS, even when
 * the config has no paravirt clock).
 *
 * The vDSO's bytes are the host's (vdso_image.c): at boot the image of
 * the machine's word size is copied into frames of the kernel image, so
 * AT_SYSINFO_EHDR points at a real ELF object that `mem` reads back.  A
 * host that cannot run 32-bit programs has no 32-bit image: i386 images
 * then get no vDSO, as with a native kernel booted with vdso32=0, and
 * `machine` says why.  The vvar pages are zeroed frames of the kernel
 * image (no clock runs in the simulation).  All of them are mapped by
 * special entries that hold no page reference, as the zero page is.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include "mm/mm.h"
#include "mm/page_alloc.h"
#include "mm/vma.h"
#include "mm/vmstat.h"
#include "vdso.h"
#include "exec/binfmts.h"
#include "kernel/kernel.h"

#define VVAR_PAGES		4
#define VVAR_VCLOCK_PAGES	2
#define VDSO_MAX_PAGES		4

static struct vm_special_mapping vvar_mapping = { "[vvar]", 0, 0 };
static struct vm_special_mapping vclock_mapping = { "[vvar_vclock]", 0, 0 };
static struct vm_special_mapping vdso_mapping = { "[vdso]", 0, 0 };
static struct vdso_image vdso_image;	/* the machine's, once copied */
static char vdso_what[192];

/* vdso_init - see binfmts.h.  The frames follow the zero page and the
 * kernel's top-level table in the kernel image. */
void vdso_init(void)
{
	uint64_t pfn = zero_pfn + 2;
	struct vdso_image *img = &vdso_image;

	vdso_mapping.nr_pages = vvar_mapping.nr_pages =
		vclock_mapping.nr_pages = 0;
	if (kernel_is_64bit())
		vdso_image_64(img);
	else
		vdso_image_32(img);
	_Static_assert(2 + VVAR_PAGES + VVAR_VCLOCK_PAGES + VDSO_MAX_PAGES <=
		       KERNEL_IMAGE_LOW_PAGES, "the vDSO's room in the image");
	if (img->data && (img->size > VDSO_MAX_PAGES * PAGE_SIZE ||
			  pfn + VVAR_PAGES + VVAR_VCLOCK_PAGES + VDSO_MAX_PAGES >
			  kernel_image_end))
		*img = (struct vdso_image){ NULL, 0, 0,
			"none (the host's vDSO is larger than the room kept "
			"for it)" };
	if (!img->data) {
		snprintf(vdso_what, sizeof(vdso_what), "%s", img->what);
		return;
	}
	vvar_mapping.first_pfn = pfn;
	vvar_mapping.nr_pages = VVAR_PAGES;
	vclock_mapping.first_pfn = pfn + VVAR_PAGES;
	vclock_mapping.nr_pages = VVAR_VCLOCK_PAGES;
	vdso_mapping.first_pfn = pfn + VVAR_PAGES + VVAR_VCLOCK_PAGES;
	vdso_mapping.nr_pages = img->size >> PAGE_SHIFT;
	phys_write(&hw.mem, vdso_mapping.first_pfn << PAGE_SHIFT, img->data,
		   img->size);
	snprintf(vdso_what, sizeof(vdso_what), "%" PRIu64 " page%s (%s)",
		 vdso_mapping.nr_pages, vdso_mapping.nr_pages == 1 ? "" : "s",
		 img->what);
}

/* vdso_describe - see binfmts.h. */
const char *vdso_describe(void)
{
	return vdso_what;
}

/* vdso_sym_vsyscall - see binfmts.h. */
uint64_t vdso_sym_vsyscall(void)
{
	return vdso_image.sym_vsyscall;
}

/* install_special_mapping - a vma of nr pages of sm at addr (Linux's
 * _install_special_mapping). 0 or -ENOMEM. */
static int install_special_mapping(struct mm_struct *mm, uint64_t addr,
				   uint64_t vm_flags,
				   const struct vm_special_mapping *sm)
{
	struct vm_area_struct *vma = vm_area_alloc(mm);
	uint64_t len = sm->nr_pages << PAGE_SHIFT;

	if (!vma)
		return -ENOMEM;
	vma->vm_start = addr;
	vma->vm_end = addr + len;
	vma->vm_flags = vm_flags | mm->def_flags | VM_DONTEXPAND | VM_SOFTDIRTY;
	vma->vm_special = sm;
	vma_link(mm, vma);
	vm_stat_account(mm, vma->vm_flags, (int64_t)sm->nr_pages);
	return 0;
}

/* map_vdso - see binfmts.h (Linux's map_vdso: one search for the whole
 * area, the data pages first, the text after them). */
int map_vdso(struct mm_struct *mm, uint64_t *base)
{
	uint64_t data = (VVAR_PAGES + VVAR_VCLOCK_PAGES) << PAGE_SHIFT;
	uint64_t len = data + (vdso_mapping.nr_pages << PAGE_SHIFT), addr;
	uint64_t vvar_flags = VM_READ | VM_MAYREAD | VM_IO | VM_PFNMAP |
			      VM_DONTDUMP;

	*base = 0;
	if (!vdso_mapping.nr_pages)
		return 0;
	addr = get_unmapped_area(mm, NULL, 0, len, 0, 0);
	if (IS_ERR_VALUE(addr))
		return (int)(int64_t)addr;
	if (mm->map_count + 3 > sysctl_vm.max_map_count)
		return max_map_count_error();
	if (install_special_mapping(mm, addr + data, VM_READ | VM_EXEC |
				    VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC,
				    &vdso_mapping) ||
	    install_special_mapping(mm, addr, vvar_flags, &vvar_mapping) ||
	    install_special_mapping(mm, addr + (VVAR_PAGES << PAGE_SHIFT),
				    vvar_flags, &vclock_mapping))
		return -ENOMEM;
	*base = addr + data;
	return 0;
}

/* special_mapping_fault - see binfmts.h.  Only reads and fetches: a write
 * (possible after mprotect, or forced through mem) is refused. */
int special_mapping_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	const struct vm_special_mapping *sm = vma->vm_special;
	uint64_t idx = linear_page_index(vma, vmf->address);
	pte_t entry;

	if (vmf->flags & FAULT_FLAG_WRITE)
		return VM_FAULT_SIGSEGV;
	if (idx >= sm->nr_pages)
		return VM_FAULT_SIGBUS;
	if (pte_present(vmf->orig_pte))
		return 0;
	entry = pte_wrprotect(mk_pte(sm->first_pfn + idx,
				     vm_get_page_prot(vma->vm_flags))) |
		_PAGE_SPECIAL;
	pte_write(vmf->pte, entry);
	return 0;
}

/* special_pfn_ok - does a special entry at va of vma map the frame it
 * should (check)? */
bool special_pfn_ok(const struct vm_area_struct *vma, uint64_t va,
		    uint64_t pfn)
{
	const struct vm_special_mapping *sm = vma->vm_special;

	return sm && pfn == sm->first_pfn + linear_page_index(vma, va) &&
	       linear_page_index(vma, va) < sm->nr_pages;
}
