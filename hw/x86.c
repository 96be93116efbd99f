/*
 * x86.c - the shapes of the two paging modes the machine implements.
 *
 * Everything else in hw/ is written against struct paging_geom, so the
 * walker, the entry accessors and the address checks are one generic loop
 * over levels instead of two copies of the same code.
 */
#include <stddef.h>
#include "hw/x86.h"

/* Level names, indexed by level number (1 = leaf table); [0] is unused. */
static const char *const names_4level[] = {
	NULL, "PT", "PD", "PDPT", "PML4",
};

static const char *const names_2level[] = {
	NULL, "PT", "PD",
};

static const struct paging_geom geom_4level = {
	.mode = PAGING_4LEVEL,
	.levels = 4,
	.bits_per_level = 9,
	.entry_size = 8,
	.va_bits = 48,
	.pfn_mask = PTE_PFN_MASK_64,
	.level_names = names_4level,
};

static const struct paging_geom geom_2level = {
	.mode = PAGING_2LEVEL,
	.levels = 2,
	.bits_per_level = 10,
	.entry_size = 4,
	.va_bits = 32,
	.pfn_mask = PTE_PFN_MASK_32,
	.level_names = names_2level,
};

/*
 * paging_geom - the geometry of paging mode `mode`.
 * Returns a pointer to a static, immutable description, or NULL if mode is
 * not one of enum paging_mode's values.
 */
const struct paging_geom *paging_geom(enum paging_mode mode)
{
	switch (mode) {
	case PAGING_4LEVEL:
		return &geom_4level;
	case PAGING_2LEVEL:
		return &geom_2level;
	}
	return NULL;
}
