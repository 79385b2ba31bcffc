/*
 * libb2bcore — the scale a decimal was written with.
 * SPDX-License-Identifier: MIT
 */
#include <string.h>

#include "dec_int.h"

/* The fractional digits a decimal was written with (SPEC §9.19's count). */
int
b2b__written_scale(const char *s, size_t len, int number)
{
	const char *end = s + len, *dot;
	long frac = 0, exp = 0;
	int eneg = 0;

	dot = memchr(s, '.', len);
	if (dot != NULL) {
		const char *p = dot + 1;
		while (p < end && *p >= '0' && *p <= '9') {
			frac++;
			p++;
		}
		s = p;
	}
	if (number) {
		const char *e = s;
		while (e < end && *e != 'e' && *e != 'E')
			e++;
		if (e < end) {
			e++;
			if (e < end && (*e == '+' || *e == '-'))
				eneg = *e++ == '-';
			while (e < end && *e >= '0' && *e <= '9') {
				if (exp < 1000)
					exp = exp * 10 + (*e - '0');
				e++;
			}
			frac = eneg ? frac + exp : frac - exp;
		}
	}
	if (frac < 0)
		frac = 0;
	if (frac > B2B_DEC_SCALE)
		frac = B2B_DEC_SCALE;
	return (int)frac;
}
