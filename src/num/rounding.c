/*
 * libb2bcore — the powers of ten and the names of the rounding modes (the
 * one rounding routine, b2b__round_inc(), is inline in dec_int.h).
 * SPDX-License-Identifier: MIT
 */
#include <string.h>

#include "dec_int.h"
#include "enum.h"

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

#define NMODES (sizeof(mode_names) / sizeof(mode_names[0]))

int
b2b_rounding_parse(b2b_rounding *out, const char *name, size_t len)
{
	int i = 0, rc = b2b__enum_parse(out != NULL ? &i : NULL, mode_names, NMODES, name, len);

	if (rc == 0)
		*out = (b2b_rounding)i;
	return rc;
}

const char *
b2b_rounding_name(b2b_rounding mode)
{
	return b2b__enum_name(mode_names, NMODES, (long long)mode);
}
