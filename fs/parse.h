/*
 * parse.h - numbers as users write them (see parse.c).
 */
#ifndef FS_PARSE_H
#define FS_PARSE_H

#include <stdbool.h>
#include <stdint.h>

/* parse_num - decimal or 0x hex, optional K/M/G suffix (x1024); false on
 * anything else, on a sign, and on overflow. */
bool parse_num(const char *s, uint64_t *v);

#endif
