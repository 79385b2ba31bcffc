/*
 * libb2bcore — exact sums of products for the line pricer (price_wide.c):
 * a 256-bit sign-magnitude accumulator for the products and sums that
 * SPEC §5 keeps exact before one r9 (an incremental tier's amount in
 * price_lists.c, a points interpolation in price_rules.c, a buy-x-get-y
 * line in price_promos.c), so that nothing is rounded twice.
 * SPDX-License-Identifier: MIT
 */
#ifndef B2B_SRC_PRICE_WIDE_H
#define B2B_SRC_PRICE_WIDE_H

#include "dec_int.h"

/* Zeroed (memset) before use. */
typedef struct b2b__wide {
	uint64_t w[4];   /* magnitude, least significant limb first */
	int neg;
} b2b__wide;

/* acc += a × b (exact; the coefficient is at scale 18). Returns 0 or
 * B2B_EOVERFLOW. */
int b2b__wide_add_prod(b2b__wide *acc, b2b_dec a, b2b_dec b);
/*
 * *out = acc ÷ d rounded once with `mode`, where acc is at scale 18 and d
 * (> 0) at scale 9. Returns 0, B2B_EDIVZERO (d ≤ 0) or B2B_EOVERFLOW.
 */
int b2b__wide_div(b2b_dec *out, const b2b__wide *acc, b2b_dec d, b2b_rounding mode);

#endif
