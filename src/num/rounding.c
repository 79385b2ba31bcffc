/*
 * libb2bcore — the powers of ten and the names of the rounding modes (the
 * one rounding routine, b2b__round_inc(), is inline in dec_int.h).
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

/* b2b__round_inc() is a static inline function of dec_int.h. */

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
