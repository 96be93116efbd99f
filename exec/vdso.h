/*
 * vdso.h - the vDSO images the kernel maps into new images (Linux's struct
 * vdso_image, which arch/x86/entry/vdso/vdso2c generates at build time as
 * vdso-image-64.c and vdso-image-32.c).  mmufs builds no vDSO: the images
 * are the host's, found at boot by vdso_image.c.  Shared by vdso.c and
 * vdso_image.c in exec/.
 */
#ifndef EXEC_VDSO_H
#define EXEC_VDSO_H

#include <stdint.h>

struct vdso_image {
	const void *data;	/* size bytes; NULL when there is no image */
	uint64_t size;		/* a multiple of PAGE_SIZE */
	uint64_t sym_vsyscall;	/* 32-bit: offset of __kernel_vsyscall */
	const char *what;	/* where the image comes from, or why none */
};

/* vdso_image_64 - the host's x86-64 vDSO: the one the host mapped into
 * this daemon (its [vdso], at AT_SYSINFO_EHDR). */
void vdso_image_64(struct vdso_image *img);

/* vdso_image_32 - the host's 32-bit vDSO, the one it maps into 32-bit
 * programs: read once from a 32-bit child stopped right after its
 * execve, then kept.  No image (data NULL, what says why) on a host that
 * cannot run 32-bit programs. */
void vdso_image_32(struct vdso_image *img);

#endif
