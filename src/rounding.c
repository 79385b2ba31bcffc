/*
 * libb2bcore — the one rounding routine, and the names of the modes.
 * SPDX-License-Identifier: MIT
 */
#include <string.h>

#include "dec_int.h"

const uint64_t b2b__pow10_u64[20] = {
	1u, 10u, 100u, 1000u, 10000u, 100000u, 1000000u, 10000000u,
	100000000u, 1000000000u, 10000000000u, 100000000000u,
	1000000000000u, 10000000000000u, 100000000000000u,
	1000000000000000u, 10000000000000000u, 100000000000000000u,
	1000000000000000000u, 10000000000000000000u,
};

static const char *const mode_names[] = {
	"half_up", "half_even", "half_down", "up", "down", "ceiling", "floor",
};

int
b2b__round_inc(int q_odd, b2b__u128 r, b2b__u128 d, int neg, b2b_rounding mode)
{
	b2b__u128 rest;

	if (r == 0)
		return 0;
	/* Compare r with d/2 without computing 2r (which could wrap). */
	rest = d - r;
	switch (mode) {
	case B2B_ROUND_HALF_UP:
		return r >= rest;
	case B2B_ROUND_HALF_EVEN:
		return r > rest || (r == rest && q_odd);
	case B2B_ROUND_HALF_DOWN:
		return r > rest;
	case B2B_ROUND_UP:
		return 1;
	case B2B_ROUND_DOWN:
		return 0;
	case B2B_ROUND_CEILING:
		return !neg;
	case B2B_ROUND_FLOOR:
		return neg;
	}
	return 0;
}

int
b2b_rounding_parse(b2b_rounding *out, const char *name, size_t len)
{
	size_t i;

	if (out == NULL || (name == NULL && len != 0))
		return B2B_EINVAL;
	for (i = 0; i < sizeof(mode_names) / sizeof(mode_names[0]); i++) {
		if (strlen(mode_names[i]) == len && memcmp(mode_names[i], name, len) == 0) {
			*out = (b2b_rounding)i;
			return 0;
		}
	}
	return B2B_EPARSE;
}

const char *
b2b_rounding_name(b2b_rounding mode)
{
	if (!b2b__rounding_valid(mode))
		return "";
	return mode_names[mode];
}
