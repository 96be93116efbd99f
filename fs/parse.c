/*
 * parse.c - the number syntax shared by the ctl language and the command
 * line: decimal or 0x hex, with an optional K, M or G suffix (x1024).
 */
#include <ctype.h>
#include "parse.h"

/* parse_num - decimal or 0x hex, optional K/M/G suffix (x1024); false on
 * anything else, on a sign, and on overflow. */
bool parse_num(const char *s, uint64_t *v)
{
	uint64_t n = 0, mult = 1, base = 10;
	const char *p = s;

	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	}
	if (!isxdigit((unsigned char)*p))
		return false;
	for (; *p; p++) {
		int d;

		if (isdigit((unsigned char)*p))
			d = *p - '0';
		else if (base == 16 && isxdigit((unsigned char)*p))
			d = tolower((unsigned char)*p) - 'a' + 10;
		else
			break;
		if (n > (UINT64_MAX - (uint64_t)d) / base)
			return false;
		n = n * base + (uint64_t)d;
	}
	if (*p == 'K' || *p == 'k')
		mult = 1ULL << 10;
	else if (*p == 'M' || *p == 'm')
		mult = 1ULL << 20;
	else if (*p == 'G' || *p == 'g')
		mult = 1ULL << 30;
	else if (*p)
		return false;
	if (mult > 1 && p[1])
		return false;
	if (n > UINT64_MAX / mult)
		return false;
	*v = n * mult;
	return true;
}
