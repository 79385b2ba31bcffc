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

/*
 * r9(f0 + df × t) with `mode` as points_factor() computes it through the
 * accumulator (f0 × 1 + df × t, then ÷ 1): the exact sum at scale 18 fits
 * a signed 128-bit integer when f0, df and t are within ±2^63, and its
 * quotient by 10^9 is rounded by b2b__round_inc() with the same quotient,
 * remainder and sign as b2b__wide_div(). Returns 0 with *out, or -1
 * (*out untouched) when the operands or the quotient do not fit 64 bits:
 * use the accumulator then.
 */
static inline int
b2b__wide_lerp9_fast(b2b_dec *out, b2b_dec f0, b2b_dec df, b2b_dec t, b2b_rounding mode)
{
	b2b__i128 s;
	b2b__u128 m, n;
	uint64_t q, r;
	int neg;

	if (!b2b__dec_fits64(f0) || !b2b__dec_fits64(df) || !b2b__dec_fits64(t) ||
	    !b2b__rounding_valid(mode))
		return -1;
	/* |f0 × 10^9| < 2^93 and |df × t| ≤ 2^126: the sum cannot wrap. */
	s = b2b__dec_to_i128(f0) * B2B__DEC_ONE +
	    (b2b__i128)(int64_t)df.lo * (b2b__i128)(int64_t)t.lo;
	neg = s < 0;
	m = neg ? (b2b__u128)0 - (b2b__u128)s : (b2b__u128)s;
	if ((uint64_t)(m >> 64) >= (uint64_t)B2B__DEC_ONE)
		return -1;
	q = b2b__udiv_128_64((uint64_t)(m >> 64), (uint64_t)m, (uint64_t)B2B__DEC_ONE, &r);
	n = (b2b__u128)q + (b2b__u128)b2b__round_inc((int)(q & 1), r, (uint64_t)B2B__DEC_ONE,
	                                             neg, mode);
	*out = b2b__dec_from_i128(neg ? -(b2b__i128)n : (b2b__i128)n);
	return 0;
}

/*
 * r9(x × m ÷ d) as b2b__wide_add_prod(x, m) then b2b__wide_div(÷ d)
 * give it (a buy-x-get-y line), for 0 < d < 2^64: |x| × |m| ÷ d with
 * one 128 ÷ 64 division when x and m are within ±2^63 and the quotient
 * fits 64 bits, rounded with the product's sign as b2b__wide_div()
 * rounds it. Returns 0 with *out, or -1 (*out untouched): use the
 * accumulator then.
 */
static inline int
b2b__wide_muldiv9_fast(b2b_dec *out, b2b_dec x, b2b_dec m, b2b_dec d, b2b_rounding mode)
{
	if (!b2b__dec_fits64(x) || !b2b__dec_fits64(m) || d.hi != 0 || d.lo == 0 ||
	    !b2b__rounding_valid(mode))
		return -1;
	return b2b__dec_muldiv_u64(out, b2b__dec_mag64(x), b2b__dec_mag64(m), d.lo,
	                           b2b__dec_is_neg(x) != b2b__dec_is_neg(m), mode);
}

#endif
