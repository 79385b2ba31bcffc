/*
 * libb2bcore — exact sums of products for the line pricer (price_wide.h):
 * a 256-bit sign-magnitude accumulator that carries the products and sums
 * SPEC §5 keeps exact before one r9, so that nothing is rounded twice.
 * SPDX-License-Identifier: MIT
 */
#include "price_wide.h"

static b2b__u128
dec_mag(b2b_dec a)
{
	b2b__i128 v = b2b__dec_to_i128(a);

	return v < 0 ? (b2b__u128)(-v) : (b2b__u128)v;
}

static void
mul_u128(uint64_t r[4], b2b__u128 a, b2b__u128 b)
{
	uint64_t a0 = (uint64_t)a, a1 = (uint64_t)(a >> 64);
	uint64_t b0 = (uint64_t)b, b1 = (uint64_t)(b >> 64);
	b2b__u128 p00 = (b2b__u128)a0 * b0, p01 = (b2b__u128)a0 * b1;
	b2b__u128 p10 = (b2b__u128)a1 * b0, p11 = (b2b__u128)a1 * b1;
	b2b__u128 mid, hi;

	r[0] = (uint64_t)p00;
	mid = (p00 >> 64) + (uint64_t)p01 + (uint64_t)p10;
	r[1] = (uint64_t)mid;
	hi = (mid >> 64) + (p01 >> 64) + (p10 >> 64) + (uint64_t)p11;
	r[2] = (uint64_t)hi;
	r[3] = (uint64_t)((hi >> 64) + (p11 >> 64));
}

static int
mag_cmp(const uint64_t a[4], const uint64_t b[4])
{
	int i;

	for (i = 3; i >= 0; i--) {
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	}
	return 0;
}

/* r = a + b; returns the carry out. r may alias a. */
static int
mag_add(uint64_t r[4], const uint64_t a[4], const uint64_t b[4])
{
	uint64_t carry = 0;
	int i;

	for (i = 0; i < 4; i++) {
		b2b__u128 s = (b2b__u128)a[i] + b[i] + carry;
		r[i] = (uint64_t)s;
		carry = (uint64_t)(s >> 64);
	}
	return carry != 0;
}

/* r = a − b with a ≥ b. r may alias a or b. */
static void
mag_sub(uint64_t r[4], const uint64_t a[4], const uint64_t b[4])
{
	uint64_t borrow = 0;
	int i;

	for (i = 0; i < 4; i++) {
		uint64_t ai = a[i], bi = b[i];
		uint64_t d = ai - bi - borrow;
		borrow = (ai < bi || (ai == bi && borrow)) ? 1 : 0;
		r[i] = d;
	}
}

int
b2b__wide_add_prod(b2b__wide *acc, b2b_dec a, b2b_dec b)
{
	uint64_t t[4];
	int neg = b2b__dec_is_neg(a) != b2b__dec_is_neg(b);

	mul_u128(t, dec_mag(a), dec_mag(b));
	if (t[0] == 0 && t[1] == 0 && t[2] == 0 && t[3] == 0)
		return 0;
	if (neg == acc->neg) {
		if (mag_add(acc->w, acc->w, t) || (acc->w[3] >> 63))
			return B2B_EOVERFLOW;
	} else if (mag_cmp(acc->w, t) >= 0) {
		mag_sub(acc->w, acc->w, t);
	} else {
		mag_sub(acc->w, t, acc->w);
		acc->neg = neg;
	}
	return 0;
}

/*
 * *out = acc ÷ d rounded once with `mode`, where acc is at scale 18 and d
 * (> 0) at scale 9: the quotient of the coefficients is the result's
 * coefficient at scale 9.
 */
int
b2b__wide_div(b2b_dec *out, const b2b__wide *acc, b2b_dec d, b2b_rounding mode)
{
	b2b__u128 dv = dec_mag(d), q, r;
	int neg = acc->neg;

	if (b2b__dec_is_zero(d) || b2b__dec_is_neg(d))
		return B2B_EDIVZERO;
	if (acc->w[2] == 0 && acc->w[3] == 0) {
		b2b__u128 n = ((b2b__u128)acc->w[1] << 64) | acc->w[0];
		q = n / dv;
		r = n % dv;
	} else {
		/* Shift-subtract long division; dv < 2^123, so r << 1 never wraps. */
		uint64_t qw[4] = { 0, 0, 0, 0 };
		int bit;

		r = 0;
		for (bit = 255; bit >= 0; bit--) {
			r = (r << 1) | ((acc->w[bit / 64] >> (bit % 64)) & 1u);
			if (r >= dv) {
				r -= dv;
				qw[bit / 64] |= (uint64_t)1 << (bit % 64);
			}
		}
		if (qw[2] != 0 || qw[3] != 0)
			return B2B_EOVERFLOW;
		q = ((b2b__u128)qw[1] << 64) | qw[0];
	}
	q += (b2b__u128)b2b__round_inc((int)(q & 1u), r, dv, neg, mode);
	if (q >= (b2b__u128)B2B__DEC_LIMIT)
		return B2B_EOVERFLOW;
	*out = b2b__dec_from_i128(neg ? -(b2b__i128)q : (b2b__i128)q);
	return 0;
}
