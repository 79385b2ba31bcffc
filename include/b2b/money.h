/*
 * libb2bcore — exact decimals for money, quantities, factors and rates.
 * SPDX-License-Identifier: MIT
 */
#ifndef B2B_MONEY_H
#define B2B_MONEY_H

#include "b2b/common.h"

/**
 * @file b2b/money.h
 * @brief b2b_dec, the one exact number type of the library, with checked
 * arithmetic and explicit rounding.
 *
 * Representation: a signed 128-bit fixed-point coefficient with 9 implied
 * fractional digits: value = (hi · 2^64 + lo) × 10^-9, two's complement.
 * Limits: |value| < 10^28, i.e. up to 28 integer digits and exactly 9
 * fractional digits (37 significant digits). Every result outside that
 * range is B2B_EOVERFLOW, never a wrapped or saturated value; a result
 * that needs more than 9 fractional digits is rounded only by functions
 * that take an explicit scale and rounding mode.
 *
 * Amounts at a currency's minor units, unit prices at 4 decimals and
 * 9-digit working figures are all b2b_dec values; their scale is a
 * property of how they were rounded, not of the type.
 *
 * No function here allocates, reads the locale or uses binary floating
 * point. Thread-safety: every function is thread-safe (pure).
 *
 * Common rules: a NULL `out` (or other required pointer) and a `mode` that
 * is not one of the seven b2b_rounding values are B2B_EINVAL. On any
 * error `*out` is left untouched (except b2b_dec_allocate()'s parts). A
 * b2b_dec made by hand with |coefficient| ≥ 10^37 is outside the type's
 * domain: functions never misbehave on it (no undefined behaviour), but
 * they return B2B_EOVERFLOW or an unspecified value.
 *
 * Building the library needs a C compiler with 128-bit integers
 * (`__int128`: GCC, Clang); the public headers do not.
 */
B2B_BEGIN_DECL

/** Exact decimal; a frozen POD: its layout never changes. */
typedef struct b2b_dec {
	uint64_t lo;  /**< low 64 bits of the coefficient */
	int64_t  hi;  /**< high 64 bits of the coefficient (sign) */
} b2b_dec;

/** Fractional digits of every b2b_dec (the working precision of SPEC §5). */
#define B2B_DEC_SCALE 9
/** Integer digits a b2b_dec holds: |value| < 10^B2B_DEC_INT_DIGITS. */
#define B2B_DEC_INT_DIGITS 28
/** b2b_dec_format(): the shortest exact form, without trailing zeros. */
#define B2B_DEC_SCALE_EXACT (-1)

/** Rounding modes of SPEC §2. Values never change. */
typedef enum b2b_rounding {
	B2B_ROUND_HALF_UP = 0,   /**< 0.5 away from zero (commercial; the default) */
	B2B_ROUND_HALF_EVEN = 1, /**< 0.5 to the even neighbour (banker's) */
	B2B_ROUND_HALF_DOWN = 2, /**< 0.5 toward zero */
	B2B_ROUND_UP = 3,        /**< away from zero */
	B2B_ROUND_DOWN = 4,      /**< toward zero (truncate) */
	B2B_ROUND_CEILING = 5,   /**< toward +infinity */
	B2B_ROUND_FLOOR = 6      /**< toward -infinity */
} b2b_rounding;

/**
 * The mode named `name` (`half_up`, `half_even`, `half_down`, `up`, `down`,
 * `ceiling`, `floor`; exact, case-sensitive) into *out.
 * @return 0, B2B_EPARSE (*out untouched), or B2B_EINVAL when `out` is NULL
 *         or `name` is NULL with `len` > 0
 * @since 0.1
 */
B2B_API int b2b_rounding_parse(b2b_rounding *out, const char *name, size_t len);

/** The SPEC name of a mode, e.g. "half_up"; NULL for a value outside the enum. Static. @since 0.1 */
B2B_API const char *b2b_rounding_name(b2b_rounding mode);

/**
 * units × 10^-scale, e.g. (1250, 2) = 12.50.
 * @return 0 or B2B_EINVAL (scale outside 0..9)
 * @since 0.1
 */
B2B_API int b2b_dec_from_units(b2b_dec *out, int64_t units, int scale);

/**
 * `a` rounded to `scale` (0..9) with `mode`, as an integer count of
 * 10^-scale units, e.g. 12.345 at scale 2 half_up = 1235.
 * @return 0, B2B_EINVAL (scale) or B2B_EOVERFLOW (does not fit int64_t)
 * @since 0.1
 */
B2B_API int b2b_dec_to_units(int64_t *out, b2b_dec a, int scale, b2b_rounding mode);

/** a + b, exact. @return 0 or B2B_EOVERFLOW. @since 0.1 */
B2B_API int b2b_dec_add(b2b_dec *out, b2b_dec a, b2b_dec b);
/** a − b, exact. @return 0 or B2B_EOVERFLOW. @since 0.1 */
B2B_API int b2b_dec_sub(b2b_dec *out, b2b_dec a, b2b_dec b);
/** −a, exact (always representable). @since 0.1 */
B2B_API b2b_dec b2b_dec_neg(b2b_dec a);
/** |a|, exact. @since 0.1 */
B2B_API b2b_dec b2b_dec_abs(b2b_dec a);
/** −1, 0 or 1 as a <, =, > b. @since 0.1 */
B2B_API int b2b_dec_cmp(b2b_dec a, b2b_dec b);
/** −1, 0 or 1 as a is negative, zero, positive. @since 0.1 */
B2B_API int b2b_dec_sign(b2b_dec a);
/** Fractional digits needed to write `a` exactly (0..9). @since 0.1 */
B2B_API int b2b_dec_scale(b2b_dec a);

/**
 * a × b computed exactly, then rounded once to `scale` (0..9) with `mode`.
 * This one function covers amount × quantity, amount × factor and, with
 * b2b_dec_percent(), amount × percentage.
 * @return 0, B2B_EINVAL (scale) or B2B_EOVERFLOW (the rounded result)
 * @since 0.1
 */
B2B_API int b2b_dec_mul(b2b_dec *out, b2b_dec a, b2b_dec b, int scale, b2b_rounding mode);

/**
 * a × pct ÷ 100, exact, then rounded once to `scale` with `mode`.
 * @return 0, B2B_EINVAL or B2B_EOVERFLOW
 * @since 0.1
 */
B2B_API int b2b_dec_percent(b2b_dec *out, b2b_dec a, b2b_dec pct, int scale, b2b_rounding mode);

/**
 * a ÷ b rounded once to `scale` (0..9) with `mode` (the exact quotient is
 * rounded, never an intermediate).
 * @return 0, B2B_EINVAL (scale), B2B_EDIVZERO or B2B_EOVERFLOW
 * @since 0.1
 */
B2B_API int b2b_dec_div(b2b_dec *out, b2b_dec a, b2b_dec b, int scale, b2b_rounding mode);

/**
 * `a` rounded to `scale` (0..9) with `mode` (rescale).
 * @return 0, B2B_EINVAL or B2B_EOVERFLOW (rounding up past the limit)
 * @since 0.1
 */
B2B_API int b2b_dec_round(b2b_dec *out, b2b_dec a, int scale, b2b_rounding mode);

/**
 * round(a ÷ m) to an integer with `mode`, times m ("round to a multiple").
 * The quotient is exact before the one rounding, e.g. (12.34, 0.05,
 * half_up) = 12.35; (-12.325, 0.05, half_up) = -12.35.
 * @return 0, B2B_EINVAL (m ≤ 0) or B2B_EOVERFLOW (|result| ≥ 10^28)
 * @since 0.1
 */
B2B_API int b2b_dec_round_multiple(b2b_dec *out, b2b_dec a, b2b_dec m, b2b_rounding mode);

/**
 * Split `total` over n parts in proportion to `weights`, at `scale`
 * (0..9), by largest remainder: each part first gets its exact share
 * truncated toward zero to a multiple of 10^-scale; the units left over go
 * one each to the parts with the largest remainders, ties to the earlier
 * part. The parts always sum to `total` exactly.
 *
 * A negative total is split as −allocate(|total|), so each part has the
 * total's sign. Weights that sum to 0 with a zero total give n zeros.
 * E.g. 100.00 over weights 1, 1, 1 at scale 2 = 33.34, 33.33, 33.33.
 * Cost: O(n) for up to 16 leftover units, else O(n · 128) (a threshold
 * search over the remainders); no allocation (the remainders are parked
 * in `parts` while it runs).
 *
 * @param[out] parts  n values (may alias nothing else); NULL only if n is 0
 * @param weights     n values ≥ 0; NULL only if n is 0
 * @return 0, or B2B_EINVAL when `total` is not a multiple of 10^-scale, a
 *         weight is negative, or the weights sum to 0 (or n is 0) while
 *         total is not 0, or scale is outside 0..9; B2B_EOVERFLOW when the
 *         weights sum to 10^28 or more (the sum must be a b2b_dec too).
 *         *parts is unspecified on error.
 * @since 0.1
 */
B2B_API int b2b_dec_allocate(b2b_dec *parts, b2b_dec total, const b2b_dec *weights,
                             size_t n, int scale);

/** b2b_dec_parse(): accept JSON's number grammar (exponent, no leading zeros). */
#define B2B_DEC_PARSE_JSON 0x0001u

/**
 * Parse `len` bytes of `s` exactly. Without flags the grammar is SPEC §3's
 * decimal cell: `-?[0-9]+(\.[0-9]+)?` (no `+`, no exponent, no blanks, no
 * thousands separator). With B2B_DEC_PARSE_JSON it is RFC 8259's number
 * grammar, exponent included; fractional digits then count after the
 * exponent is applied (`1.5E3` has 0, `1E-10` has 10).
 *
 * Fractional digits are counted as written: more than 9 is
 * B2B_EPRECISION even when they are zeros (`1.0000000000`, also
 * `0.0000000000`), never a rounding. |value| ≥ 10^28 is B2B_EOVERFLOW
 * (leading zeros do not count: `000001` is 1). So the limit of
 * significant digits is 37 (28 integer + 9 fractional); SPEC §9.1 asks
 * for at least 18. The grammar is checked first (B2B_EPARSE), then the
 * magnitude (B2B_EOVERFLOW), then the fractional digits (B2B_EPRECISION).
 * In the plain grammar leading zeros are allowed (`007.50`); `-0` is 0.
 * JSON examples: `1.5E3` = 1500, `1.50000000000E3` has 8 fractional
 * digits, `1E-10` and `1E-400` are B2B_EPRECISION, `1E400` is
 * B2B_EOVERFLOW, `0E400` is 0, `01` is B2B_EPARSE at index 1.
 *
 * @param[out] out  the value; untouched on error
 * @param[out] errpos  if not NULL, receives the byte index of the first
 *                  offending character on B2B_EPARSE
 * @return 0, B2B_EPARSE, B2B_EPRECISION, B2B_EOVERFLOW or B2B_EINVAL
 * @since 0.1
 */
B2B_API int b2b_dec_parse(b2b_dec *out, size_t *errpos, const char *s, size_t len,
                          unsigned flags);

/**
 * Write `a` rounded to `scale` (0..9, with exactly that many fractional
 * digits) or B2B_DEC_SCALE_EXACT, as `-?[0-9]+(\.[0-9]+)?`, NUL-terminated,
 * without locale. A value that rounds to zero is written without sign.
 *
 * B2B_DEC_SCALE_EXACT ignores `mode` (nothing is rounded), e.g. 12.50
 * is written `12.5` and 3 is written `3`.
 *
 * @param buf     destination, or NULL with size 0 to measure (returns 0)
 * @param needed  if not NULL, receives the bytes needed including the NUL
 *                (also on B2B_EBUFS)
 * @return 0, B2B_EBUFS (buf too small; buf[0] is set to NUL when size >
 *         0, nothing else is written), B2B_EINVAL (scale, mode, or NULL buf
 *         with size > 0) or B2B_EOVERFLOW (rounding past the limit)
 * @since 0.1
 */
B2B_API int b2b_dec_format(char *buf, size_t size, size_t *needed, b2b_dec a, int scale,
                           b2b_rounding mode);

/** Bytes that always suffice for b2b_dec_format() (sign, 28 + 9 digits, point, NUL). */
#define B2B_DEC_FORMAT_MAX 48

B2B_END_DECL
#endif /* B2B_MONEY_H */
