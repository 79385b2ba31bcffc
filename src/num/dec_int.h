/*
 * libb2bcore — internals of b2b_dec: 128-bit helpers for the pricing hot
 * path, and the one rounding routine, b2b__round_inc() (inline).
 * SPDX-License-Identifier: MIT
 */
#ifndef B2B_SRC_DEC_INT_H
#define B2B_SRC_DEC_INT_H

#include "b2b/money.h"
#include "b2b/error.h"

/*
 * The library needs a compiler with 128-bit integers (GCC, Clang);
 * __extension__ keeps -pedantic quiet about them.
 */
__extension__ typedef __int128 b2b__i128;
__extension__ typedef unsigned __int128 b2b__u128;

/** 10^9: the coefficient of 1 (B2B_DEC_SCALE fractional digits). */
#define B2B__DEC_ONE ((int64_t)1000000000)
/** 10^37: every coefficient c satisfies |c| < B2B__DEC_LIMIT. */
#define B2B__DEC_LIMIT \
	((b2b__i128)10000000000000000000u * (b2b__i128)1000000000000000000)

static inline b2b__i128
b2b__dec_to_i128(b2b_dec a)
{
	return (b2b__i128)(((b2b__u128)(uint64_t)a.hi << 64) | a.lo);
}

/* `v` must satisfy |v| < B2B__DEC_LIMIT (use b2b__dec_from_i128_checked otherwise). */
static inline b2b_dec
b2b__dec_from_i128(b2b__i128 v)
{
	b2b_dec d;

	d.lo = (uint64_t)(b2b__u128)v;
	d.hi = (int64_t)(v >> 64);
	return d;
}

/** 0 and *out = v when |v| < 10^37; else B2B_EOVERFLOW (*out untouched). */
static inline int
b2b__dec_from_i128_checked(b2b_dec *out, b2b__i128 v)
{
	if (v >= B2B__DEC_LIMIT || v <= -B2B__DEC_LIMIT)
		return B2B_EOVERFLOW;
	*out = b2b__dec_from_i128(v);
	return 0;
}

static inline int
b2b__dec_is_zero(b2b_dec a)
{
	return a.lo == 0 && a.hi == 0;
}

static inline int
b2b__dec_is_neg(b2b_dec a)
{
	return a.hi < 0;
}

static inline int
b2b__dec_lt(b2b_dec a, b2b_dec b)
{
	return a.hi < b.hi || (a.hi == b.hi && a.lo < b.lo);
}

static inline int
b2b__dec_eq(b2b_dec a, b2b_dec b)
{
	return a.hi == b.hi && a.lo == b.lo;
}

/** The value of an integer n (|n| < 2^63 always fits). */
static inline b2b_dec
b2b__dec_from_int(int64_t n)
{
	return b2b__dec_from_i128((b2b__i128)n * B2B__DEC_ONE);
}

/** 10^k for 0 <= k <= 19 (static table). */
extern const uint64_t b2b__pow10_u64[20];

/*
 * The one rounding decision of the library. An exact quotient x/d of
 * magnitudes was computed as q = floor(x/d) with remainder r (0 <= r < d);
 * `neg` is 1 when the exact result is negative, `q_odd` is q's low bit.
 * Returns 1 when the magnitude q must be incremented for `mode`, else 0.
 * Every division and rescale in the library goes through this function.
 */
static inline int
b2b__round_inc(int q_odd, b2b__u128 r, b2b__u128 d, int neg, b2b_rounding mode)
{
	b2b__u128 rest;

	/* Inline (it was in rounding.c) so that each caller's 64-bit fast
	 * path is specialised by the compiler; still the one definition. */
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

/** 1 when `mode` is one of the seven b2b_rounding values. */
static inline int
b2b__rounding_valid(b2b_rounding mode)
{
	return (unsigned)mode <= (unsigned)B2B_ROUND_FLOOR;
}

/*
 * Inline versions of b2b_dec_add/_sub/_mul/_percent for hot paths (a
 * quote's document figures): each gives exactly what the b2b_dec_* call
 * named in its comment gives (same value, same status) for a non-NULL
 * out; mul and percent only take a 64-bit path inline when the operands
 * allow it and call the exact routine otherwise.
 */

/* b2b_dec_add() / b2b_dec_sub() (money.c calls these after its NULL check). */
static inline int
b2b__dec_add(b2b_dec *out, b2b_dec a, b2b_dec b)
{
	b2b__i128 r;

	if (__builtin_add_overflow(b2b__dec_to_i128(a), b2b__dec_to_i128(b), &r))
		return B2B_EOVERFLOW;
	return b2b__dec_from_i128_checked(out, r);
}

static inline int
b2b__dec_sub(b2b_dec *out, b2b_dec a, b2b_dec b)
{
	b2b__i128 r;

	if (__builtin_sub_overflow(b2b__dec_to_i128(a), b2b__dec_to_i128(b), &r))
		return B2B_EOVERFLOW;
	return b2b__dec_from_i128_checked(out, r);
}

/*
 * b2b_dec_mul(out, a, b, scale, mode). Inline when 0 ≤ a < 2^64 × 10^-9,
 * b is a whole number below 2^64 and their product fits 64 bits (a price
 * times a quantity): the path b2b_dec_mul() takes then, one 64-bit
 * division by 10^(9 − scale) rounded by b2b__round_inc().
 */
static inline int
b2b__dec_mul_fast(b2b_dec *out, b2b_dec a, b2b_dec b, int scale, b2b_rounding mode)
{
	uint64_t w, m, d, q;

	if (a.hi == 0 && b.hi == 0 && scale >= 0 && scale <= B2B_DEC_SCALE &&
	    b2b__rounding_valid(mode) && b.lo % (uint64_t)B2B__DEC_ONE == 0) {
		w = b.lo / (uint64_t)B2B__DEC_ONE;
		if (!__builtin_mul_overflow(a.lo, w, &m)) {
			switch (B2B_DEC_SCALE - scale) {
			case 0:
				q = m;
				d = 1;
				break;
			case 7:                 /* 2 minor units */
				q = m / 10000000u;
				d = 10000000u;
				break;
			default:
				d = b2b__pow10_u64[B2B_DEC_SCALE - scale];
				q = m / d;
				break;
			}
			*out = b2b__dec_from_i128(
				(b2b__i128)(((b2b__u128)q +
				             (b2b__u128)b2b__round_inc((int)(q & 1), m - q * d, d, 0,
				                                       mode)) *
				            b2b__pow10_u64[B2B_DEC_SCALE - scale]));
			return 0;
		}
	}
	return b2b_dec_mul(out, a, b, scale, mode);
}

/*
 * b2b_dec_percent(out, a, pct, scale, mode) for the tax of a line. Inline
 * when 0 ≤ a < 2^64 × 10^-9, pct is a whole number P and a × P fits 64
 * bits: b2b_dec_percent() divides |a| × |pct| by 10^(20 − scale), which
 * is (a × P) × 10^9 ÷ 10^9 ÷ 10^(11 − scale); dividing a × P by
 * 10^(11 − scale) gives the same quotient, and a remainder 10^9 times
 * smaller against a divisor 10^9 times smaller, so b2b__round_inc()
 * decides the same.
 */
static inline int
b2b__dec_percent_fast(b2b_dec *out, b2b_dec a, b2b_dec pct, int scale, b2b_rounding mode)
{
	uint64_t P, m, d, q;

	if (a.hi == 0 && pct.hi == 0 && scale >= 0 && scale <= B2B_DEC_SCALE &&
	    b2b__rounding_valid(mode) && pct.lo % (uint64_t)B2B__DEC_ONE == 0) {
		P = pct.lo / (uint64_t)B2B__DEC_ONE;
		if (!__builtin_mul_overflow(a.lo, P, &m)) {
			if (scale == 2) {
				q = m / 1000000000u;
				d = 1000000000u;
			} else {
				d = b2b__pow10_u64[B2B_DEC_SCALE + 2 - scale];
				q = m / d;
			}
			*out = b2b__dec_from_i128(
				(b2b__i128)(((b2b__u128)q +
				             (b2b__u128)b2b__round_inc((int)(q & 1), m - q * d, d, 0,
				                                       mode)) *
				            b2b__pow10_u64[B2B_DEC_SCALE - scale]));
			return 0;
		}
	}
	return b2b_dec_percent(out, a, pct, scale, mode);
}

/*
 * 64-bit fast paths of the pricer's r9 steps (src/pricing/pricer.h):
 * a × b, a × pct ÷ 100 and a ÷ b rounded once to 9 fractional digits,
 * and a rounding to a multiple. Each gives exactly what the b2b_dec_*
 * call named in its comment gives (same value, same status) for a
 * non-NULL out: it only takes the 64-bit path when every coefficient is
 * within ±2^63 and the quotient fits 64 bits, and calls the exact
 * routine otherwise. The rounding is b2b__round_inc() on the same
 * quotient, remainder and divisor as the exact routine's.
 */

/* 1 when a's coefficient c satisfies −2^63 ≤ c < 2^63 (hi is lo's sign). */
static inline int
b2b__dec_fits64(b2b_dec a)
{
	return a.hi == -(int64_t)(a.lo >> 63);
}

/* |c| of a coefficient that b2b__dec_fits64() accepts (2^63 included). */
static inline uint64_t
b2b__dec_mag64(b2b_dec a)
{
	return a.hi < 0 ? (uint64_t)0 - a.lo : a.lo;
}

/*
 * (hi · 2^64 + lo) ÷ d for hi < d (so the quotient fits 64 bits); *r
 * receives the remainder. One hardware 128 ÷ 64 division on x86-64 (the
 * compiler would call a generic 128 ÷ 128 routine), a 64-bit division
 * (a multiplication for a constant d) when hi is 0.
 */
static inline uint64_t
b2b__udiv_128_64(uint64_t hi, uint64_t lo, uint64_t d, uint64_t *r)
{
	uint64_t q;

	if (hi == 0) {
		q = lo / d;
		*r = lo - q * d;
		return q;
	}
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
	{
		uint64_t rem;

		__asm__("divq %4" : "=a"(q), "=d"(rem) : "a"(lo), "d"(hi), "rm"(d) : "cc");
		*r = rem;
	}
#else
	{
		b2b__u128 n = ((b2b__u128)hi << 64) | lo;

		q = (uint64_t)(n / d);
		*r = (uint64_t)(n - (b2b__u128)q * d);
	}
#endif
	return q;
}

/*
 * The coefficient ±round(ma × mb ÷ d) (neg: the sign of the exact
 * result; d > 0) into *out and 0, or -1 with *out untouched when the
 * quotient does not fit 64 bits. The rounded magnitude is at most 2^64,
 * far below the limit 10^37.
 */
static inline int
b2b__dec_muldiv_u64(b2b_dec *out, uint64_t ma, uint64_t mb, uint64_t d, int neg,
                    b2b_rounding mode)
{
	b2b__u128 m = (b2b__u128)ma * mb, n;
	uint64_t hi = (uint64_t)(m >> 64), q, r;

	if (hi >= d)
		return -1;
	q = b2b__udiv_128_64(hi, (uint64_t)m, d, &r);
	n = (b2b__u128)q + (b2b__u128)b2b__round_inc((int)(q & 1), r, d, neg, mode);
	*out = b2b__dec_from_i128(neg ? -(b2b__i128)n : (b2b__i128)n);
	return 0;
}

/*
 * b2b_dec_mul(out, a, b, B2B_DEC_SCALE, mode): |a| × |b| ÷ 10^9, the
 * division b2b_dec_mul() rounds (with a whole operand its product is
 * exact and so is this quotient).
 */
static inline int
b2b__dec_mul9_fast(b2b_dec *out, b2b_dec a, b2b_dec b, b2b_rounding mode)
{
	if (b2b__dec_fits64(a) && b2b__dec_fits64(b) && b2b__rounding_valid(mode) &&
	    b2b__dec_muldiv_u64(out, b2b__dec_mag64(a), b2b__dec_mag64(b),
	                        (uint64_t)B2B__DEC_ONE,
	                        b2b__dec_is_neg(a) != b2b__dec_is_neg(b), mode) == 0)
		return 0;
	return b2b_dec_mul(out, a, b, B2B_DEC_SCALE, mode);
}

/* b2b_dec_percent(out, a, pct, B2B_DEC_SCALE, mode): |a| × |pct| ÷ 10^11. */
static inline int
b2b__dec_percent9_fast(b2b_dec *out, b2b_dec a, b2b_dec pct, b2b_rounding mode)
{
	if (b2b__dec_fits64(a) && b2b__dec_fits64(pct) && b2b__rounding_valid(mode) &&
	    b2b__dec_muldiv_u64(out, b2b__dec_mag64(a), b2b__dec_mag64(pct),
	                        (uint64_t)100000000000u,
	                        b2b__dec_is_neg(a) != b2b__dec_is_neg(pct), mode) == 0)
		return 0;
	return b2b_dec_percent(out, a, pct, B2B_DEC_SCALE, mode);
}

/* b2b_dec_div(out, a, b, B2B_DEC_SCALE, mode): |a| × 10^9 ÷ |b|. */
static inline int
b2b__dec_div9_fast(b2b_dec *out, b2b_dec a, b2b_dec b, b2b_rounding mode)
{
	if (b2b__dec_fits64(a) && b2b__dec_fits64(b) && !b2b__dec_is_zero(b) &&
	    b2b__rounding_valid(mode) &&
	    b2b__dec_muldiv_u64(out, b2b__dec_mag64(a), (uint64_t)B2B__DEC_ONE,
	                        b2b__dec_mag64(b),
	                        b2b__dec_is_neg(a) != b2b__dec_is_neg(b), mode) == 0)
		return 0;
	return b2b_dec_div(out, a, b, B2B_DEC_SCALE, mode);
}

/*
 * b2b_dec_div(out, a, b, 0, mode), a whole quotient (a buy-x-get-y
 * promotion's count of free sets): |a| ÷ |b| in 64 bits, rounded by
 * b2b__round_inc() as b2b_dec_div() rounds it, times 10^9 (at most
 * 2^63 × 10^9, below the limit).
 */
static inline int
b2b__dec_div0_fast(b2b_dec *out, b2b_dec a, b2b_dec b, b2b_rounding mode)
{
	uint64_t ma, mb, q;
	b2b__i128 c;
	int neg;

	if (b2b__dec_fits64(a) && b2b__dec_fits64(b) && !b2b__dec_is_zero(b) &&
	    b2b__rounding_valid(mode)) {
		ma = b2b__dec_mag64(a);
		mb = b2b__dec_mag64(b);
		neg = b2b__dec_is_neg(a) != b2b__dec_is_neg(b);
		q = ma / mb;
		c = (b2b__i128)(((b2b__u128)q +
		                 (b2b__u128)b2b__round_inc((int)(q & 1), ma - q * mb, mb, neg, mode)) *
		                (b2b__u128)B2B__DEC_ONE);
		*out = b2b__dec_from_i128(neg ? -c : c);
		return 0;
	}
	return b2b_dec_div(out, a, b, 0, mode);
}

/*
 * b2b_dec_round_multiple(out, a, m, mode) for 0 < m < 2^64 and a within
 * ±2^63: the same quotient |a| ÷ m and remainder in 64 bits; q × m is at
 * most |a| + m < 2^65, far below the limit.
 */
static inline int
b2b__dec_round_multiple_fast(b2b_dec *out, b2b_dec a, b2b_dec m, b2b_rounding mode)
{
	uint64_t ma, q;
	b2b__i128 c;

	if (b2b__dec_fits64(a) && m.hi == 0 && m.lo != 0 && b2b__rounding_valid(mode)) {
		ma = b2b__dec_mag64(a);
		q = ma / m.lo;
		c = (b2b__i128)(((b2b__u128)q +
		                 (b2b__u128)b2b__round_inc((int)(q & 1), ma - q * m.lo, m.lo,
		                                           b2b__dec_is_neg(a), mode)) *
		                m.lo);
		*out = b2b__dec_from_i128(b2b__dec_is_neg(a) ? -c : c);
		return 0;
	}
	return b2b_dec_round_multiple(out, a, m, mode);
}

/*
 * The fractional digits a decimal was written with, as SPEC §9.19 counts
 * them (after applying a JSON number's exponent), clamped to 0..9:
 * "10.50" → 2, 1.5E1 → 0, 1E-3 → 3. `number`: the text is a JSON number.
 */
int b2b__written_scale(const char *s, size_t len, int number);

#endif
