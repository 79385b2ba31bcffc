/*
 * libb2bcore — b2b_dec: checked exact arithmetic, parse, format, allocate.
 * SPDX-License-Identifier: MIT
 *
 * A value is a signed 128-bit coefficient c with value = c × 10^-9 and
 * |c| < 10^37. Operations work on magnitudes (unsigned __int128) and a
 * sign; a product of two coefficients needs up to 246 bits, so there are
 * small 256-bit helpers (multiply, divide by u64 and by u128). Every
 * result that drops digits is rounded by b2b__round_inc() (rounding.c),
 * and every result is checked against the limit: never wrapped.
 */
#include <string.h>

#include "dec_int.h"

_Static_assert(sizeof(b2b_dec) == 16, "b2b_dec layout is frozen");

typedef struct u256 {
	b2b__u128 lo, hi;
} u256;

/* 10^k as u128 for 0 <= k <= 38. */
static b2b__u128
pow10_u128(int k)
{
	if (k <= 19)
		return b2b__pow10_u64[k];
	return (b2b__u128)b2b__pow10_u64[19] * b2b__pow10_u64[k - 19];
}

/* |c| without undefined behaviour, even for a hand-made out-of-range value. */
static b2b__u128
mag(b2b__i128 c)
{
	return c < 0 ? (b2b__u128)0 - (b2b__u128)c : (b2b__u128)c;
}

static int
scale_ok(int scale)
{
	return scale >= 0 && scale <= B2B_DEC_SCALE;
}

/* ±n × 10^(9 − scale); n < 10^(28 + scale) was checked by the caller. */
static b2b_dec
make(b2b__u128 n, int scale, int neg)
{
	b2b__i128 c = (b2b__i128)(n * b2b__pow10_u64[B2B_DEC_SCALE - scale]);

	return b2b__dec_from_i128(neg ? -c : c);
}

/*===========================================================================
 * MARK: - 256-bit helpers
 *===========================================================================*/

/*
 * x ÷ 10^k for 0 <= k <= 19. A switch of constant divisors lets the
 * compiler turn each division into a multiplication: this is the hot path
 * of price × quantity.
 */
static uint64_t
div_pow10_u64(uint64_t x, int k)
{
	switch (k) {
	case 0: return x;
	case 1: return x / 10u;
	case 2: return x / 100u;
	case 3: return x / 1000u;
	case 4: return x / 10000u;
	case 5: return x / 100000u;
	case 6: return x / 1000000u;
	case 7: return x / 10000000u;
	case 8: return x / 100000000u;
	case 9: return x / 1000000000u;
	case 10: return x / 10000000000u;
	case 11: return x / 100000000000u;
	case 12: return x / 1000000000000u;
	case 13: return x / 10000000000000u;
	case 14: return x / 100000000000000u;
	case 15: return x / 1000000000000000u;
	case 16: return x / 10000000000000000u;
	case 17: return x / 100000000000000000u;
	case 18: return x / 1000000000000000000u;
	default: return x / 10000000000000000000u;
	}
}

static u256
mul_128(b2b__u128 a, b2b__u128 b)
{
	u256 r;

	if ((a >> 64) == 0 && (b >> 64) == 0) {
		r.lo = a * b;
		r.hi = 0;
	} else {
		b2b__u128 a0 = (uint64_t)a, a1 = a >> 64, b0 = (uint64_t)b, b1 = b >> 64;
		b2b__u128 p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
		b2b__u128 mid = (p00 >> 64) + (uint64_t)p01 + (uint64_t)p10;

		r.lo = (mid << 64) | (uint64_t)p00;
		r.hi = p11 + (p01 >> 64) + (p10 >> 64) + (mid >> 64);
	}
	return r;
}

/* *q = x ÷ d; returns x mod d. */
static uint64_t
div_256_u64(u256 *q, u256 x, uint64_t d)
{
	uint64_t limb[4], ql[4];
	b2b__u128 rem = 0;
	int i;

	if (x.hi == 0) {
		q->hi = 0;
		q->lo = x.lo / d;
		return (uint64_t)(x.lo - q->lo * d);
	}
	limb[3] = (uint64_t)(x.hi >> 64);
	limb[2] = (uint64_t)x.hi;
	limb[1] = (uint64_t)(x.lo >> 64);
	limb[0] = (uint64_t)x.lo;
	for (i = 3; i >= 0; i--) {
		b2b__u128 cur = (rem << 64) | limb[i];

		ql[i] = (uint64_t)(cur / d);
		rem = cur % d;
	}
	q->hi = ((b2b__u128)ql[3] << 64) | ql[2];
	q->lo = ((b2b__u128)ql[1] << 64) | ql[0];
	return (uint64_t)rem;
}

/*
 * *q = x ÷ d and *r = x mod d, for d > 0 and a quotient below 2^128
 * (x.hi < d); returns -1 when the quotient would not fit.
 */
static int
div_256_u128(b2b__u128 *q, b2b__u128 *r, u256 x, b2b__u128 d)
{
	b2b__u128 rem, lo, quot = 0;
	int i;

	if (x.hi == 0) {
		if ((x.lo >> 64) == 0 && (d >> 64) == 0) {
			uint64_t xl = (uint64_t)x.lo, dl = (uint64_t)d, ql = xl / dl;

			*q = ql;
			*r = xl - ql * dl;
			return 0;
		}
		*q = x.lo / d;
		*r = x.lo - *q * d;
		return 0;
	}
	if ((d >> 64) == 0) {
		u256 qq;

		*r = div_256_u64(&qq, x, (uint64_t)d);
		if (qq.hi != 0)
			return -1;
		*q = qq.lo;
		return 0;
	}
	if (x.hi >= d)
		return -1;
	/* Restoring binary long division: rem < d holds before each step. */
	rem = x.hi;
	lo = x.lo;
	for (i = 0; i < 128; i++) {
		int carry = (int)(rem >> 127);

		rem = (rem << 1) | (lo >> 127);
		lo <<= 1;
		quot <<= 1;
		if (carry || rem >= d) {
			rem -= d;
			quot |= 1;
		}
	}
	*q = quot;
	*r = rem;
	return 0;
}

/* *q = x ÷ 10^k (0 <= k <= 38); returns x mod 10^k. */
static b2b__u128
div_256_pow10(u256 *q, u256 x, int k)
{
	u256 q1;
	uint64_t r1, r2;

	if (k <= 19)
		return div_256_u64(q, x, b2b__pow10_u64[k]);
	r1 = div_256_u64(&q1, x, b2b__pow10_u64[19]);
	r2 = div_256_u64(q, q1, b2b__pow10_u64[k - 19]);
	return (b2b__u128)r2 * b2b__pow10_u64[19] + r1;
}

/*
 * *n = x ÷ 10^k rounded with `mode` (x a magnitude; neg the sign of the
 * exact result). B2B_EOVERFLOW when *n would reach `lim`.
 */
static int
round_pow10(b2b__u128 *n, u256 x, int k, int neg, b2b_rounding mode, b2b__u128 lim)
{
	u256 q;
	b2b__u128 r, v;

	if (x.hi == 0 && k <= 19) {
		uint64_t d = b2b__pow10_u64[k];

		if ((x.lo >> 64) == 0) {
			uint64_t xl = (uint64_t)x.lo, ql = div_pow10_u64(xl, k);

			q.lo = ql;
			r = xl - ql * d;
		} else {
			q.lo = x.lo / d;
			r = x.lo - q.lo * d;
		}
		q.hi = 0;
	} else {
		r = div_256_pow10(&q, x, k);
	}
	if (q.hi != 0 || q.lo >= lim)
		return B2B_EOVERFLOW;
	v = q.lo + (b2b__u128)b2b__round_inc((int)(q.lo & 1), r, pow10_u128(k), neg, mode);
	if (v >= lim)
		return B2B_EOVERFLOW;
	*n = v;
	return 0;
}

/*===========================================================================
 * MARK: - Exact operations
 *===========================================================================*/

int
b2b_dec_from_units(b2b_dec *out, int64_t units, int scale)
{
	if (out == NULL || !scale_ok(scale))
		return B2B_EINVAL;
	*out = b2b__dec_from_i128((b2b__i128)units *
	                          (b2b__i128)b2b__pow10_u64[B2B_DEC_SCALE - scale]);
	return 0;
}

int
b2b_dec_add(b2b_dec *out, b2b_dec a, b2b_dec b)
{
	if (out == NULL)
		return B2B_EINVAL;
	return b2b__dec_add(out, a, b);
}

int
b2b_dec_sub(b2b_dec *out, b2b_dec a, b2b_dec b)
{
	if (out == NULL)
		return B2B_EINVAL;
	return b2b__dec_sub(out, a, b);
}

b2b_dec
b2b_dec_neg(b2b_dec a)
{
	return b2b__dec_from_i128((b2b__i128)((b2b__u128)0 - (b2b__u128)b2b__dec_to_i128(a)));
}

b2b_dec
b2b_dec_abs(b2b_dec a)
{
	return b2b__dec_is_neg(a) ? b2b_dec_neg(a) : a;
}

int
b2b_dec_cmp(b2b_dec a, b2b_dec b)
{
	b2b__i128 x = b2b__dec_to_i128(a), y = b2b__dec_to_i128(b);

	return (x > y) - (x < y);
}

int
b2b_dec_sign(b2b_dec a)
{
	if (a.hi < 0)
		return -1;
	return b2b__dec_is_zero(a) ? 0 : 1;
}

int
b2b_dec_scale(b2b_dec a)
{
	uint64_t f = (uint64_t)(mag(b2b__dec_to_i128(a)) % (uint64_t)B2B__DEC_ONE);
	int s = B2B_DEC_SCALE;

	if (f == 0)
		return 0;
	while (f % 10 == 0) {
		f /= 10;
		s--;
	}
	return s;
}

/*===========================================================================
 * MARK: - Rounded operations
 *===========================================================================*/

/* ±m × 10^-(9 + extra) rounded to `scale` into *out. */
static int
round_scaled(b2b_dec *out, u256 m, int extra, int neg, int scale, b2b_rounding mode)
{
	b2b__u128 n;
	int rc, k;

	if (out == NULL || !scale_ok(scale) || !b2b__rounding_valid(mode))
		return B2B_EINVAL;
	k = B2B_DEC_SCALE + extra - scale;
	/*
	 * Hot path: a magnitude below 2^64 and a divisor 10^k ≤ 10^19. The
	 * rounded quotient is at most 2^64, below every limit 10^(28 + scale),
	 * so there is no overflow check; same rounding as round_pow10().
	 */
	if (m.hi == 0 && (m.lo >> 64) == 0 && k <= 19) {
		uint64_t x = (uint64_t)m.lo, d = b2b__pow10_u64[k], q = div_pow10_u64(x, k);

		n = (b2b__u128)q + (b2b__u128)b2b__round_inc((int)(q & 1), x - q * d, d, neg, mode);
		*out = make(n, scale, neg);
		return 0;
	}
	rc = round_pow10(&n, m, B2B_DEC_SCALE + extra - scale, neg, mode,
	                 pow10_u128(B2B_DEC_INT_DIGITS + scale));
	if (rc != 0)
		return rc;
	*out = make(n, scale, neg);
	return 0;
}

int
b2b_dec_round(b2b_dec *out, b2b_dec a, int scale, b2b_rounding mode)
{
	b2b__i128 c = b2b__dec_to_i128(a);
	u256 m;

	m.lo = mag(c);
	m.hi = 0;
	return round_scaled(out, m, 0, c < 0, scale, mode);
}

/* 1 with *q = m ÷ 10^9 when the coefficient m (< 2^64) is a whole number. */
static int
whole_u64(uint64_t *q, b2b__u128 m)
{
	uint64_t ml;

	if ((m >> 64) != 0)
		return 0;
	ml = (uint64_t)m;
	*q = ml / 1000000000u;
	return ml - *q * 1000000000u == 0;
}

int
b2b_dec_mul(b2b_dec *out, b2b_dec a, b2b_dec b, int scale, b2b_rounding mode)
{
	b2b__i128 x = b2b__dec_to_i128(a), y = b2b__dec_to_i128(b);
	b2b__u128 mx = mag(x), my = mag(y);
	int neg = (x < 0) != (y < 0);
	uint64_t whole;

	/*
	 * Hot path (price × whole quantity): with one operand a whole number
	 * w, a × b = c × w × 10^-9 needs no 10^-18 step and usually fits 64
	 * bits.
	 */
	if (whole_u64(&whole, my))
		return round_scaled(out, mul_128(mx, whole), 0, neg, scale, mode);
	if (whole_u64(&whole, mx))
		return round_scaled(out, mul_128(my, whole), 0, neg, scale, mode);
	return round_scaled(out, mul_128(mx, my), B2B_DEC_SCALE, neg, scale, mode);
}

int
b2b_dec_percent(b2b_dec *out, b2b_dec a, b2b_dec pct, int scale, b2b_rounding mode)
{
	b2b__i128 x = b2b__dec_to_i128(a), y = b2b__dec_to_i128(pct);

	return round_scaled(out, mul_128(mag(x), mag(y)), B2B_DEC_SCALE + 2,
	                    (x < 0) != (y < 0), scale, mode);
}

int
b2b_dec_div(b2b_dec *out, b2b_dec a, b2b_dec b, int scale, b2b_rounding mode)
{
	b2b__i128 x = b2b__dec_to_i128(a), y = b2b__dec_to_i128(b);
	b2b__u128 my, q, r, lim;
	int neg = (x < 0) != (y < 0);

	if (out == NULL || !scale_ok(scale) || !b2b__rounding_valid(mode))
		return B2B_EINVAL;
	if (y == 0)
		return B2B_EDIVZERO;
	my = mag(y);
	/* n = |x| × 10^scale ÷ |y|: the coefficients' 10^9 cancel. */
	if (div_256_u128(&q, &r, mul_128(mag(x), b2b__pow10_u64[scale]), my) != 0)
		return B2B_EOVERFLOW;
	lim = pow10_u128(B2B_DEC_INT_DIGITS + scale);
	if (q >= lim)
		return B2B_EOVERFLOW;
	q += (b2b__u128)b2b__round_inc((int)(q & 1), r, my, neg, mode);
	if (q >= lim)
		return B2B_EOVERFLOW;
	*out = make(q, scale, neg);
	return 0;
}

int
b2b_dec_round_multiple(b2b_dec *out, b2b_dec a, b2b_dec m, b2b_rounding mode)
{
	b2b__i128 x = b2b__dec_to_i128(a), y = b2b__dec_to_i128(m), c;
	b2b__u128 mx, q;

	if (out == NULL || y <= 0 || !b2b__rounding_valid(mode))
		return B2B_EINVAL;
	mx = mag(x);
	q = mx / (b2b__u128)y;
	q += (b2b__u128)b2b__round_inc((int)(q & 1), mx % (b2b__u128)y, (b2b__u128)y,
	                               x < 0, mode);
	/* q × y ≤ |x| + y < 2^128: no wrap before the check. */
	c = (b2b__i128)(q * (b2b__u128)y);
	if (c < 0 || c >= B2B__DEC_LIMIT)
		return B2B_EOVERFLOW;
	*out = b2b__dec_from_i128(x < 0 ? -c : c);
	return 0;
}

int
b2b_dec_to_units(int64_t *out, b2b_dec a, int scale, b2b_rounding mode)
{
	b2b_dec r;
	b2b__i128 n;
	int rc;

	if (out == NULL)
		return B2B_EINVAL;
	rc = b2b_dec_round(&r, a, scale, mode);
	if (rc != 0)
		return rc;
	n = b2b__dec_to_i128(r) / (b2b__i128)b2b__pow10_u64[B2B_DEC_SCALE - scale];
	if (n > INT64_MAX || n < INT64_MIN)
		return B2B_EOVERFLOW;
	*out = (int64_t)n;
	return 0;
}

/*===========================================================================
 * MARK: - Allocation by largest remainder
 *===========================================================================*/

/* *q, *r = a × b ÷ d, a × b mod d, for a quotient known to fit (≤ a). */
static void
muldiv(b2b__u128 *q, b2b__u128 *r, b2b__u128 a, b2b__u128 b, b2b__u128 d)
{
	if ((a >> 64) == 0 && (b >> 64) == 0) {
		b2b__u128 x = a * b;

		*q = x / d;
		*r = x % d;
		return;
	}
	(void)div_256_u128(q, r, mul_128(a, b), d);
}

/* Parts whose remainder is >= t. Remainders are parked in parts[i]. */
static size_t
count_ge(const b2b_dec *parts, size_t n, b2b__u128 t)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		k += (b2b__u128)b2b__dec_to_i128(parts[i]) >= t;
	return k;
}

int
b2b_dec_allocate(b2b_dec *parts, b2b_dec total, const b2b_dec *weights, size_t n, int scale)
{
	b2b__i128 ct = b2b__dec_to_i128(total);
	b2b__u128 mt = mag(ct), unit, t, w_sum = 0, given = 0, left, mark;
	int neg = ct < 0;
	size_t i;

	if (!scale_ok(scale) || (n > 0 && (parts == NULL || weights == NULL)))
		return B2B_EINVAL;
	if (mt >= (b2b__u128)B2B__DEC_LIMIT)
		return B2B_EOVERFLOW;
	unit = b2b__pow10_u64[B2B_DEC_SCALE - scale];
	if (mt % unit != 0)
		return B2B_EINVAL;
	t = mt / unit;
	for (i = 0; i < n; i++) {
		b2b__i128 w = b2b__dec_to_i128(weights[i]);

		if (w < 0)
			return B2B_EINVAL;
		if (w >= B2B__DEC_LIMIT - (b2b__i128)w_sum)
			return B2B_EOVERFLOW;   /* Σ weights must be a b2b_dec too */
		w_sum += (b2b__u128)w;
	}
	if (w_sum == 0) {
		if (t != 0)
			return B2B_EINVAL;
		for (i = 0; i < n; i++)
			parts[i] = b2b__dec_from_i128(0);
		return 0;
	}

	/* Pass 1: truncated shares; park each remainder in parts[i]. */
	for (i = 0; i < n; i++) {
		b2b__u128 q, r;

		muldiv(&q, &r, t, (b2b__u128)b2b__dec_to_i128(weights[i]), w_sum);
		given += q;
		parts[i] = b2b__dec_from_i128((b2b__i128)r);
	}
	/*
	 * left < n units remain (Σ r = left × w_sum with every r < w_sum).
	 * They go to the `left` largest remainders, ties to the earlier part;
	 * a chosen part's parked remainder becomes `mark` (= w_sum, which no
	 * remainder equals).
	 */
	left = t - given;
	mark = w_sum;
	if (left > 0 && left <= 16) {
		for (; left > 0; left--) {
			size_t best = n;
			b2b__u128 best_r = 0;

			for (i = 0; i < n; i++) {
				b2b__u128 r = (b2b__u128)b2b__dec_to_i128(parts[i]);

				if (r != mark && (best == n || r > best_r)) {
					best = i;
					best_r = r;
				}
			}
			parts[best] = b2b__dec_from_i128((b2b__i128)mark);
		}
	} else if (left > 0) {
		/* v = the left-th largest remainder: the largest v with count(r ≥ v) ≥ left. */
		b2b__u128 lo = 0, hi = w_sum, v;
		size_t above, take;

		while (hi - lo > 1) {
			b2b__u128 mid = lo + (hi - lo) / 2;

			if (count_ge(parts, n, mid) >= (size_t)left)
				lo = mid;
			else
				hi = mid;
		}
		v = lo;
		above = count_ge(parts, n, v + 1);
		take = (size_t)left - above;
		for (i = 0; i < n; i++) {
			b2b__u128 r = (b2b__u128)b2b__dec_to_i128(parts[i]);

			if (r > v || (r == v && take > 0)) {
				if (r == v)
					take--;
				parts[i] = b2b__dec_from_i128((b2b__i128)mark);
			}
		}
	}

	/* Pass 2: the shares again, plus the units given out. */
	for (i = 0; i < n; i++) {
		b2b__u128 q, r;
		int chosen = (b2b__u128)b2b__dec_to_i128(parts[i]) == mark;

		muldiv(&q, &r, t, (b2b__u128)b2b__dec_to_i128(weights[i]), w_sum);
		parts[i] = make(q + (b2b__u128)chosen, scale, neg);
	}
	return 0;
}

/*===========================================================================
 * MARK: - Parse and format
 *===========================================================================*/

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int
parse_error(size_t *errpos, size_t at)
{
	if (errpos != NULL)
		*errpos = at;
	return B2B_EPARSE;
}

/* Counts saturate here: far beyond any digit count that could be valid. */
#define COUNT_CAP ((int64_t)1000000000)

int
b2b_dec_parse(b2b_dec *out, size_t *errpos, const char *s, size_t len, unsigned flags)
{
	int json = (flags & B2B_DEC_PARSE_JSON) != 0;
	int neg = 0;
	size_t i = 0, int_start, int_end, frac_start = 0, frac_end = 0;
	int64_t exp = 0, frac, sig = 0, f;
	b2b__u128 c = 0;
	int started = 0;

	if (out == NULL || (s == NULL && len != 0) || (flags & ~(unsigned)B2B_DEC_PARSE_JSON) != 0)
		return B2B_EINVAL;
	if (i < len && s[i] == '-') {
		neg = 1;
		i++;
	}
	int_start = i;
	while (i < len && is_digit(s[i]))
		i++;
	if (i == int_start)
		return parse_error(errpos, i);
	if (json && s[int_start] == '0' && i - int_start > 1)
		return parse_error(errpos, int_start + 1);
	int_end = i;
	if (i < len && s[i] == '.') {
		frac_start = ++i;
		while (i < len && is_digit(s[i]))
			i++;
		if (i == frac_start)
			return parse_error(errpos, i);
		frac_end = i;
	}
	if (json && i < len && (s[i] == 'e' || s[i] == 'E')) {
		int eneg = 0;
		size_t exp_start;

		i++;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			eneg = s[i++] == '-';
		exp_start = i;
		while (i < len && is_digit(s[i])) {
			if (exp < COUNT_CAP)
				exp = exp * 10 + (s[i] - '0');
			i++;
		}
		if (i == exp_start)
			return parse_error(errpos, i);
		if (eneg)
			exp = -exp;
	}
	if (i != len)
		return parse_error(errpos, i);

	/* value = digits × 10^-(frac written − exp); f = that fractional count. */
	frac = (int64_t)(frac_end - frac_start);
	if (frac > COUNT_CAP)
		frac = COUNT_CAP;
	f = frac - exp;
	for (i = int_start; i < (frac_end ? frac_end : int_end); i++) {
		if (i == int_end)
			continue;   /* the point */
		if (s[i] != '0')
			started = 1;
		if (started && sig < COUNT_CAP)
			sig++;
	}
	/* Integer digits = sig − f; magnitude first, then precision. */
	if (sig > 0 && sig - f > B2B_DEC_INT_DIGITS)
		return B2B_EOVERFLOW;
	if (f > B2B_DEC_SCALE)
		return B2B_EPRECISION;
	if (sig == 0) {
		*out = b2b__dec_from_i128(0);
		return 0;
	}
	/* sig ≤ 37 here, and sig + 9 − f ≤ 37 digits in all. */
	started = 0;
	for (i = int_start; i < (frac_end ? frac_end : int_end); i++) {
		if (i == int_end)
			continue;
		if (s[i] != '0')
			started = 1;
		if (started)
			c = c * 10 + (b2b__u128)(s[i] - '0');
	}
	c *= pow10_u128((int)(B2B_DEC_SCALE - f));
	*out = b2b__dec_from_i128(neg ? -(b2b__i128)c : (b2b__i128)c);
	return 0;
}

/* Decimal digits of n, written backwards ending at `end`; returns the start. */
static char *
put_digits(char *end, b2b__u128 n)
{
	uint64_t v;

	while ((n >> 64) != 0) {
		uint64_t low = (uint64_t)(n % b2b__pow10_u64[19]);
		int k;

		n /= b2b__pow10_u64[19];
		for (k = 0; k < 19; k++) {
			*--end = (char)('0' + low % 10);
			low /= 10;
		}
	}
	v = (uint64_t)n;
	do {
		*--end = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	return end;
}

int
b2b_dec_format(char *buf, size_t size, size_t *needed, b2b_dec a, int scale,
               b2b_rounding mode)
{
	char tmp[B2B_DEC_FORMAT_MAX];
	char *end = tmp + sizeof(tmp), *p;
	b2b__i128 c = b2b__dec_to_i128(a);
	b2b__u128 m = mag(c), n;
	size_t len, need;
	int neg = c < 0, rc;

	if ((buf == NULL && size != 0) ||
	    !(scale == B2B_DEC_SCALE_EXACT || (scale_ok(scale) && b2b__rounding_valid(mode))))
		return B2B_EINVAL;
	if (m >= (b2b__u128)B2B__DEC_LIMIT)
		return B2B_EOVERFLOW;
	if (scale == B2B_DEC_SCALE_EXACT) {
		scale = b2b_dec_scale(a);
		n = m / b2b__pow10_u64[B2B_DEC_SCALE - scale];
	} else {
		u256 x;

		x.lo = m;
		x.hi = 0;
		rc = round_pow10(&n, x, B2B_DEC_SCALE - scale, neg, mode,
		                 pow10_u128(B2B_DEC_INT_DIGITS + scale));
		if (rc != 0)
			return rc;
	}
	*--end = '\0';
	if (scale > 0) {
		/* The `scale` fractional digits (with leading zeros), the point,
		 * then the integer part (at least one digit). */
		uint64_t d = b2b__pow10_u64[scale], frac;
		b2b__u128 ip;
		int k;

		if ((n >> 64) == 0) {
			uint64_t q = div_pow10_u64((uint64_t)n, scale);

			frac = (uint64_t)n - q * d;
			ip = q;
		} else {
			ip = n / d;
			frac = (uint64_t)(n - ip * d);
		}
		for (k = 0; k < scale; k++) {
			*--end = (char)('0' + frac % 10);
			frac /= 10;
		}
		*--end = '.';
		p = put_digits(end, ip);
	} else {
		p = put_digits(end, n);
	}
	if (neg && n != 0)
		*--p = '-';
	len = (size_t)(tmp + sizeof(tmp) - 1 - p);
	need = len + 1;
	if (needed != NULL)
		*needed = need;
	if (buf == NULL)
		return 0;
	if (size < need) {
		if (size > 0)
			buf[0] = '\0';
		return B2B_EBUFS;
	}
	memcpy(buf, p, need);
	return 0;
}
