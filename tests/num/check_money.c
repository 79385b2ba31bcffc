/*
 * Tests: b2b_dec — rounding in every mode, checked arithmetic at the
 * limits, parse (SPEC §3 cells and JSON numbers), format, allocation.
 * Expected values are worked out by hand (or, for long products, with
 * Python's decimal and copied here); tests/dec_diff.py covers the rest.
 */
#include <stdio.h>
#include <string.h>

#include "b2b.h"
#include "dec_int.h"
#include "support/testmain.h"

#define MAXS "9999999999999999999999999999.999999999"

/*
 * For loops of many thousands of checks: ck_assert records every passing
 * assertion (a write(2) each), QUIET only reports failures.
 */
#define QUIET(cond, ...) do { if (!(cond)) ck_abort_msg(__VA_ARGS__); } while (0)

static b2b_dec
D(const char *s)
{
	b2b_dec v;
	int rc = b2b_dec_parse(&v, NULL, s, strlen(s), 0);

	ck_assert_msg(rc == 0, "bad test literal %s (%d)", s, rc);
	return v;
}

/* Canonical text of v (B2B_DEC_SCALE_EXACT), in a rotating static buffer. */
static const char *
S(b2b_dec v)
{
	static char bufs[4][B2B_DEC_FORMAT_MAX];
	static int k;
	char *b = bufs[k++ & 3];

	ck_assert_int_eq(b2b_dec_format(b, B2B_DEC_FORMAT_MAX, NULL, v, B2B_DEC_SCALE_EXACT,
	                                B2B_ROUND_HALF_UP), 0);
	return b;
}

/* A small deterministic generator (xorshift64*). */
static uint64_t
rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717u;
}

/*===========================================================================
 * Rounding: every mode at and around .5, negatives, scales 0–9
 *===========================================================================*/

static const struct {
	const char *in;
	int scale;
	/* half_up, half_even, half_down, up, down, ceiling, floor */
	const char *out[7];
} round_cases[] = {
	{"2.5", 0, {"3", "2", "2", "3", "2", "3", "2"}},
	{"3.5", 0, {"4", "4", "3", "4", "3", "4", "3"}},
	{"-2.5", 0, {"-3", "-2", "-2", "-3", "-2", "-2", "-3"}},
	{"-3.5", 0, {"-4", "-4", "-3", "-4", "-3", "-3", "-4"}},
	{"2.499999999", 0, {"2", "2", "2", "3", "2", "3", "2"}},
	{"2.500000001", 0, {"3", "3", "3", "3", "2", "3", "2"}},
	{"-2.499999999", 0, {"-2", "-2", "-2", "-3", "-2", "-2", "-3"}},
	{"-2.500000001", 0, {"-3", "-3", "-3", "-3", "-2", "-2", "-3"}},
	{"0.5", 0, {"1", "0", "0", "1", "0", "1", "0"}},
	{"-0.5", 0, {"-1", "0", "0", "-1", "0", "0", "-1"}},
	{"0.4", 0, {"0", "0", "0", "1", "0", "1", "0"}},
	{"-0.4", 0, {"0", "0", "0", "-1", "0", "0", "-1"}},
	{"5.5", 0, {"6", "6", "5", "6", "5", "6", "5"}},
	{"0", 0, {"0", "0", "0", "0", "0", "0", "0"}},
	{"7", 0, {"7", "7", "7", "7", "7", "7", "7"}},
	{"-7", 3, {"-7", "-7", "-7", "-7", "-7", "-7", "-7"}},
	{"0.05", 1, {"0.1", "0", "0", "0.1", "0", "0.1", "0"}},
	{"-0.15", 1, {"-0.2", "-0.2", "-0.1", "-0.2", "-0.1", "-0.1", "-0.2"}},
	{"0.125", 2, {"0.13", "0.12", "0.12", "0.13", "0.12", "0.13", "0.12"}},
	{"0.135", 2, {"0.14", "0.14", "0.13", "0.14", "0.13", "0.14", "0.13"}},
	{"-0.125", 2, {"-0.13", "-0.12", "-0.12", "-0.13", "-0.12", "-0.12", "-0.13"}},
	{"8.165", 2, {"8.17", "8.16", "8.16", "8.17", "8.16", "8.17", "8.16"}},
	{"8.1650001", 2, {"8.17", "8.17", "8.17", "8.17", "8.16", "8.17", "8.16"}},
	{"8.1649999", 2, {"8.16", "8.16", "8.16", "8.17", "8.16", "8.17", "8.16"}},
	{"1.0005", 3, {"1.001", "1", "1", "1.001", "1", "1.001", "1"}},
	{"999.9995", 3, {"1000", "1000", "999.999", "1000", "999.999", "1000", "999.999"}},
	{"-999.9995", 3, {"-1000", "-1000", "-999.999", "-1000", "-999.999", "-999.999", "-1000"}},
	{"2.00015", 4, {"2.0002", "2.0002", "2.0001", "2.0002", "2.0001", "2.0002", "2.0001"}},
	{"12.3456789", 4, {"12.3457", "12.3457", "12.3457", "12.3457", "12.3456", "12.3457", "12.3456"}},
	{"-7.000005", 5, {"-7.00001", "-7", "-7", "-7.00001", "-7", "-7", "-7.00001"}},
	{"0.0000025", 6, {"0.000003", "0.000002", "0.000002", "0.000003", "0.000002", "0.000003", "0.000002"}},
	{"0.00000035", 7, {"0.0000004", "0.0000004", "0.0000003", "0.0000004", "0.0000003", "0.0000004", "0.0000003"}},
	{"0.000000005", 8, {"0.00000001", "0", "0", "0.00000001", "0", "0.00000001", "0"}},
	{"0.000000015", 8, {"0.00000002", "0.00000002", "0.00000001", "0.00000002", "0.00000001", "0.00000002", "0.00000001"}},
	{"-0.000000005", 8, {"-0.00000001", "0", "0", "-0.00000001", "0", "0", "-0.00000001"}},
	{"0.000000001", 8, {"0", "0", "0", "0.00000001", "0", "0.00000001", "0"}},
	{"-0.000000001", 8, {"0", "0", "0", "-0.00000001", "0", "0", "-0.00000001"}},
	{"1.234567891", 9, {"1.234567891", "1.234567891", "1.234567891", "1.234567891", "1.234567891", "1.234567891", "1.234567891"}},
	{"-0.000000001", 9, {"-0.000000001", "-0.000000001", "-0.000000001", "-0.000000001", "-0.000000001", "-0.000000001", "-0.000000001"}},
};

START_TEST(test_round_table)
{
	int row = _i / 7, mode = _i % 7;
	b2b_dec r;

	ck_assert_int_eq(b2b_dec_round(&r, D(round_cases[row].in), round_cases[row].scale,
	                               (b2b_rounding)mode), 0);
	ck_assert_msg(strcmp(S(r), round_cases[row].out[mode]) == 0,
	              "round(%s, %d, %s) = %s, expected %s", round_cases[row].in,
	              round_cases[row].scale, b2b_rounding_name((b2b_rounding)mode), S(r),
	              round_cases[row].out[mode]);
}
END_TEST

/* The same table through to_units and format: all three must agree. */
START_TEST(test_round_table_units_format)
{
	int row = _i / 7, mode = _i % 7, scale = round_cases[row].scale;
	b2b_dec r, back;
	int64_t units;
	char buf[B2B_DEC_FORMAT_MAX];

	ck_assert_int_eq(b2b_dec_round(&r, D(round_cases[row].in), scale, (b2b_rounding)mode), 0);
	ck_assert_int_eq(b2b_dec_to_units(&units, D(round_cases[row].in), scale,
	                                  (b2b_rounding)mode), 0);
	ck_assert_int_eq(b2b_dec_from_units(&back, units, scale), 0);
	ck_assert_str_eq(S(back), S(r));
	ck_assert_int_eq(b2b_dec_format(buf, sizeof(buf), NULL, D(round_cases[row].in), scale,
	                                (b2b_rounding)mode), 0);
	ck_assert_int_eq(b2b_dec_cmp(D(buf), r), 0);
	/* exactly `scale` fractional digits */
	if (scale == 0)
		ck_assert_ptr_null(strchr(buf, '.'));
	else
		ck_assert_int_eq((int)strlen(strchr(buf, '.') + 1), scale);
}
END_TEST

/*===========================================================================
 * Arithmetic
 *===========================================================================*/

static const struct {
	const char *a, *b;
	int scale;
	b2b_rounding mode;
	const char *out;
} mul_cases[] = {
	/* SPEC regression vectors that break binary floating point */
	{"19.9", "100", 2, B2B_ROUND_HALF_UP, "1990"},
	{"1.13", "100", 2, B2B_ROUND_HALF_UP, "113"},
	{"37.8", "100", 0, B2B_ROUND_HALF_EVEN, "3780"},
	{"0.1", "3", 2, B2B_ROUND_HALF_UP, "0.3"},
	{"12.5", "-3.333", 4, B2B_ROUND_HALF_EVEN, "-41.6625"},
	{"12.5", "-3.333", 2, B2B_ROUND_HALF_EVEN, "-41.66"},
	{"12.5", "-3.333", 2, B2B_ROUND_HALF_UP, "-41.66"},
	{"12.5", "-3.333", 3, B2B_ROUND_HALF_UP, "-41.663"},
	{"12.5", "-3.333", 3, B2B_ROUND_HALF_EVEN, "-41.662"},
	{"12.5", "-3.333", 3, B2B_ROUND_FLOOR, "-41.663"},
	{"12.5", "-3.333", 3, B2B_ROUND_CEILING, "-41.662"},
	{"0.000000001", "0.000000001", 9, B2B_ROUND_HALF_UP, "0"},
	{"0.000000001", "0.000000001", 9, B2B_ROUND_UP, "0.000000001"},
	{"-0.000000001", "0.000000001", 9, B2B_ROUND_FLOOR, "-0.000000001"},
	{"-0.000000001", "0.000000001", 9, B2B_ROUND_CEILING, "0"},
	{"0.000000001", "0.5", 9, B2B_ROUND_HALF_EVEN, "0"},
	{"0.000000003", "0.5", 9, B2B_ROUND_HALF_EVEN, "0.000000002"},
	{"123456789012345.6789", "98765432.123456789", 2, B2B_ROUND_HALF_EVEN,
	 "12193263115378753061606.46"},
	{"-123456789012345.6789", "98765432.123456789", 2, B2B_ROUND_FLOOR,
	 "-12193263115378753061606.47"},
	{"-98765432109876543210.987654321", "1234567.000000001", 9, B2B_ROUND_HALF_UP,
	 "-121932543223594053087791505.308657218"},
	{"-98765432109876543210.987654321", "1234567.000000001", 9, B2B_ROUND_DOWN,
	 "-121932543223594053087791505.308657217"},
	{MAXS, "1", 9, B2B_ROUND_HALF_UP, MAXS},
	{MAXS, "-1", 9, B2B_ROUND_HALF_UP, "-" MAXS},
	{MAXS, "0.1", 9, B2B_ROUND_HALF_UP, "1000000000000000000000000000"},
	{MAXS, "0.1", 9, B2B_ROUND_DOWN, "999999999999999999999999999.999999999"},
	{MAXS, "0.000000001", 9, B2B_ROUND_HALF_UP, "10000000000000000000"},
	{MAXS, "0", 0, B2B_ROUND_UP, "0"},
};

START_TEST(test_mul_table)
{
	b2b_dec r;

	ck_assert_int_eq(b2b_dec_mul(&r, D(mul_cases[_i].a), D(mul_cases[_i].b),
	                             mul_cases[_i].scale, mul_cases[_i].mode), 0);
	ck_assert_msg(strcmp(S(r), mul_cases[_i].out) == 0, "%s × %s = %s, expected %s",
	              mul_cases[_i].a, mul_cases[_i].b, S(r), mul_cases[_i].out);
	/* commutative */
	ck_assert_int_eq(b2b_dec_mul(&r, D(mul_cases[_i].b), D(mul_cases[_i].a),
	                             mul_cases[_i].scale, mul_cases[_i].mode), 0);
	ck_assert_str_eq(S(r), mul_cases[_i].out);
}
END_TEST

static const struct {
	const char *a, *b;
	int scale;
	b2b_rounding mode;
	const char *out;   /* or NULL for B2B_EDIVZERO */
} div_cases[] = {
	{"1", "3", 9, B2B_ROUND_HALF_UP, "0.333333333"},
	{"2", "3", 9, B2B_ROUND_HALF_UP, "0.666666667"},
	{"2", "3", 9, B2B_ROUND_DOWN, "0.666666666"},
	{"-2", "3", 2, B2B_ROUND_FLOOR, "-0.67"},
	{"-2", "3", 2, B2B_ROUND_CEILING, "-0.66"},
	{"10", "4", 0, B2B_ROUND_HALF_EVEN, "2"},
	{"10", "4", 0, B2B_ROUND_HALF_UP, "3"},
	{"7", "2", 0, B2B_ROUND_HALF_EVEN, "4"},
	{"7", "-2", 0, B2B_ROUND_HALF_DOWN, "-3"},
	{"1", "8", 2, B2B_ROUND_HALF_EVEN, "0.12"},
	{"1", "8", 2, B2B_ROUND_HALF_UP, "0.13"},
	{"0", "-5", 3, B2B_ROUND_UP, "0"},
	{"1", MAXS, 9, B2B_ROUND_UP, "0.000000001"},
	{"1", MAXS, 9, B2B_ROUND_HALF_UP, "0"},
	{MAXS, MAXS, 0, B2B_ROUND_HALF_UP, "1"},
	{MAXS, "3", 9, B2B_ROUND_HALF_UP, "3333333333333333333333333333.333333333"},
	{MAXS, "1234567890123.456789", 9, B2B_ROUND_HALF_UP, "8100000072900000.663471006"},
	{MAXS, "1234567890123.456789", 9, B2B_ROUND_CEILING, "8100000072900000.663471007"},
	{"-7654321098765432109876.54321", "0.000012345", 3, B2B_ROUND_FLOOR,
	 "-620034110876098186300246513.569"},
	{"-7654321098765432109876.54321", "12345678901234567890.123456789", 9,
	 B2B_ROUND_HALF_EVEN, "-620.00001458"},
	{"1", "0", 2, B2B_ROUND_HALF_UP, NULL},
};

START_TEST(test_div_table)
{
	b2b_dec r;
	int rc = b2b_dec_div(&r, D(div_cases[_i].a), D(div_cases[_i].b), div_cases[_i].scale,
	                     div_cases[_i].mode);

	if (div_cases[_i].out == NULL) {
		ck_assert_int_eq(rc, B2B_EDIVZERO);
		return;
	}
	ck_assert_int_eq(rc, 0);
	ck_assert_msg(strcmp(S(r), div_cases[_i].out) == 0, "%s ÷ %s = %s, expected %s",
	              div_cases[_i].a, div_cases[_i].b, S(r), div_cases[_i].out);
}
END_TEST

START_TEST(test_percent)
{
	b2b_dec r;

	ck_assert_int_eq(b2b_dec_percent(&r, D("200"), D("12.5"), 2, B2B_ROUND_HALF_UP), 0);
	ck_assert_str_eq(S(r), "25");
	/* 19.99 × 7.5% = 1.49925 */
	ck_assert_int_eq(b2b_dec_percent(&r, D("19.99"), D("7.5"), 2, B2B_ROUND_HALF_UP), 0);
	ck_assert_str_eq(S(r), "1.5");
	ck_assert_int_eq(b2b_dec_percent(&r, D("19.99"), D("7.5"), 2, B2B_ROUND_DOWN), 0);
	ck_assert_str_eq(S(r), "1.49");
	ck_assert_int_eq(b2b_dec_percent(&r, D("19.99"), D("7.5"), 9, B2B_ROUND_DOWN), 0);
	ck_assert_str_eq(S(r), "1.49925");
	/* 0.5% of 0.01 = 0.00005: a tie at scale 4 */
	ck_assert_int_eq(b2b_dec_percent(&r, D("0.01"), D("0.5"), 4, B2B_ROUND_HALF_EVEN), 0);
	ck_assert_str_eq(S(r), "0");
	ck_assert_int_eq(b2b_dec_percent(&r, D("0.01"), D("0.5"), 4, B2B_ROUND_HALF_UP), 0);
	ck_assert_str_eq(S(r), "0.0001");
	ck_assert_int_eq(b2b_dec_percent(&r, D("-0.01"), D("0.5"), 4, B2B_ROUND_HALF_UP), 0);
	ck_assert_str_eq(S(r), "-0.0001");
	/* 10^-9 % of 10^-9 at scale 0 needs the 10^20 divisor */
	ck_assert_int_eq(b2b_dec_percent(&r, D("0.000000001"), D("0.000000001"), 0,
	                                 B2B_ROUND_UP), 0);
	ck_assert_str_eq(S(r), "1");
	ck_assert_int_eq(b2b_dec_percent(&r, D(MAXS), D("100"), 9, B2B_ROUND_HALF_UP), 0);
	ck_assert_str_eq(S(r), MAXS);
	ck_assert_int_eq(b2b_dec_percent(&r, D(MAXS), D("-50"), 0, B2B_ROUND_HALF_UP), 0);
	ck_assert_str_eq(S(r), "-5000000000000000000000000000");
}
END_TEST

START_TEST(test_round_multiple)
{
	static const struct {
		const char *a, *m;
		b2b_rounding mode;
		const char *out;
	} c[] = {
		{"12.34", "0.05", B2B_ROUND_HALF_UP, "12.35"},
		{"12.325", "0.05", B2B_ROUND_HALF_UP, "12.35"},     /* 246.5 → 247 */
		{"12.325", "0.05", B2B_ROUND_HALF_EVEN, "12.3"},    /* 246.5 → 246 */
		{"12.325", "0.05", B2B_ROUND_HALF_DOWN, "12.3"},
		{"-12.325", "0.05", B2B_ROUND_HALF_UP, "-12.35"},
		{"-12.325", "0.05", B2B_ROUND_CEILING, "-12.3"},
		{"-12.301", "0.05", B2B_ROUND_FLOOR, "-12.35"},
		{"7", "5", B2B_ROUND_HALF_UP, "5"},
		{"7.5", "5", B2B_ROUND_HALF_UP, "10"},
		{"-7.5", "5", B2B_ROUND_HALF_UP, "-10"},
		{"7.5", "5", B2B_ROUND_HALF_EVEN, "10"},
		{"12.5", "5", B2B_ROUND_HALF_EVEN, "10"},
		{"0.01", "0.99", B2B_ROUND_UP, "0.99"},
		{"0.01", "0.99", B2B_ROUND_DOWN, "0"},
		{"3.33", "0.000000001", B2B_ROUND_UP, "3.33"},
		{MAXS, MAXS, B2B_ROUND_HALF_UP, MAXS},
		{MAXS, "0.000000001", B2B_ROUND_UP, MAXS},
		{MAXS, "1", B2B_ROUND_DOWN, "9999999999999999999999999999"},
	};
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		b2b_dec r;

		ck_assert_int_eq(b2b_dec_round_multiple(&r, D(c[i].a), D(c[i].m), c[i].mode), 0);
		ck_assert_msg(strcmp(S(r), c[i].out) == 0, "round(%s to %s) = %s, expected %s",
		              c[i].a, c[i].m, S(r), c[i].out);
	}
}
END_TEST

START_TEST(test_exact_ops)
{
	b2b_dec r;

	ck_assert_int_eq(b2b_dec_add(&r, D("0.1"), D("0.2")), 0);
	ck_assert_str_eq(S(r), "0.3");
	ck_assert_int_eq(b2b_dec_sub(&r, D("0.1"), D("0.3")), 0);
	ck_assert_str_eq(S(r), "-0.2");
	ck_assert_int_eq(b2b_dec_add(&r, D(MAXS), D("-" MAXS)), 0);
	ck_assert_str_eq(S(r), "0");
	ck_assert_str_eq(S(b2b_dec_neg(D("12.5"))), "-12.5");
	ck_assert_str_eq(S(b2b_dec_neg(D("-12.5"))), "12.5");
	ck_assert_str_eq(S(b2b_dec_neg(D("0"))), "0");
	ck_assert_str_eq(S(b2b_dec_neg(D(MAXS))), "-" MAXS);
	ck_assert_str_eq(S(b2b_dec_abs(D("-0.000000001"))), "0.000000001");
	ck_assert_str_eq(S(b2b_dec_abs(D("3"))), "3");
	ck_assert_int_eq(b2b_dec_cmp(D("1.5"), D("1.50")), 0);
	ck_assert_int_eq(b2b_dec_cmp(D("-1"), D("0.000000001")), -1);
	ck_assert_int_eq(b2b_dec_cmp(D("2"), D("-" MAXS)), 1);
	/* across the 64-bit word boundary */
	ck_assert_int_eq(b2b_dec_cmp(D("18446744073.709551616"), D("18446744073.709551615")), 1);
	ck_assert_int_eq(b2b_dec_cmp(D("-18446744073.709551616"), D("-18446744073.709551615")), -1);
	ck_assert_int_eq(b2b_dec_sign(D("-0.000000001")), -1);
	ck_assert_int_eq(b2b_dec_sign(D("-0")), 0);
	ck_assert_int_eq(b2b_dec_sign(D("5")), 1);
	ck_assert_int_eq(b2b_dec_scale(D("12.50")), 1);
	ck_assert_int_eq(b2b_dec_scale(D("12")), 0);
	ck_assert_int_eq(b2b_dec_scale(D("-0.000000001")), 9);
	ck_assert_int_eq(b2b_dec_scale(D("100.0100")), 2);
	ck_assert_int_eq(b2b_dec_scale(D(MAXS)), 9);
}
END_TEST

START_TEST(test_units)
{
	b2b_dec r;
	int64_t u;

	ck_assert_int_eq(b2b_dec_from_units(&r, 1250, 2), 0);
	ck_assert_str_eq(S(r), "12.5");
	ck_assert_int_eq(b2b_dec_from_units(&r, -5, 9), 0);
	ck_assert_str_eq(S(r), "-0.000000005");
	ck_assert_int_eq(b2b_dec_from_units(&r, INT64_MAX, 0), 0);
	ck_assert_str_eq(S(r), "9223372036854775807");
	ck_assert_int_eq(b2b_dec_from_units(&r, INT64_MIN, 0), 0);
	ck_assert_str_eq(S(r), "-9223372036854775808");
	ck_assert_int_eq(b2b_dec_from_units(&r, INT64_MIN, 9), 0);
	ck_assert_str_eq(S(r), "-9223372036.854775808");
	ck_assert_int_eq(b2b_dec_to_units(&u, D("12.345"), 2, B2B_ROUND_HALF_UP), 0);
	ck_assert_int_eq(u, 1235);
	ck_assert_int_eq(b2b_dec_to_units(&u, D("12.345"), 2, B2B_ROUND_HALF_EVEN), 0);
	ck_assert_int_eq(u, 1234);
	ck_assert_int_eq(b2b_dec_to_units(&u, D("-12.345"), 0, B2B_ROUND_FLOOR), 0);
	ck_assert_int_eq(u, -13);
	ck_assert_int_eq(b2b_dec_to_units(&u, D("9223372036854775807"), 0, B2B_ROUND_UP), 0);
	ck_assert_int_eq(u, INT64_MAX);
	ck_assert_int_eq(b2b_dec_to_units(&u, D("-9223372036854775808"), 0, B2B_ROUND_UP), 0);
	ck_assert_int_eq(u, INT64_MIN);
	u = 42;
	ck_assert_int_eq(b2b_dec_to_units(&u, D("9223372036854775807.1"), 0, B2B_ROUND_UP),
	                 B2B_EOVERFLOW);
	ck_assert_int_eq(b2b_dec_to_units(&u, D("9223372036854775808"), 0, B2B_ROUND_DOWN),
	                 B2B_EOVERFLOW);
	ck_assert_int_eq(b2b_dec_to_units(&u, D("-9223372036854775808.5"), 0, B2B_ROUND_HALF_UP),
	                 B2B_EOVERFLOW);
	ck_assert_int_eq(b2b_dec_to_units(&u, D("9223372036.854775808"), 9, B2B_ROUND_DOWN),
	                 B2B_EOVERFLOW);
	ck_assert_int_eq(b2b_dec_to_units(&u, D(MAXS), 9, B2B_ROUND_DOWN), B2B_EOVERFLOW);
	ck_assert_int_eq(u, 42);
}
END_TEST

/*===========================================================================
 * Limits: ±(10^28 − 10^-9) and one step past them
 *===========================================================================*/

START_TEST(test_limits)
{
	b2b_dec max = D(MAXS), min = D("-" MAXS), tiny = D("0.000000001"), r;
	char buf[B2B_DEC_FORMAT_MAX];
	size_t need;

	r = tiny;
	ck_assert_int_eq(b2b_dec_add(&r, max, tiny), B2B_EOVERFLOW);
	ck_assert_int_eq(b2b_dec_cmp(r, tiny), 0);   /* untouched */
	ck_assert_int_eq(b2b_dec_sub(&r, min, tiny), B2B_EOVERFLOW);
	ck_assert_int_eq(b2b_dec_add(&r, min, b2b_dec_neg(tiny)), B2B_EOVERFLOW);
	ck_assert_int_eq(b2b_dec_sub(&r, max, b2b_dec_neg(tiny)), B2B_EOVERFLOW);
	ck_assert_int_eq(b2b_dec_add(&r, max, max), B2B_EOVERFLOW);
	ck_assert_int_eq(b2b_dec_sub(&r, max, tiny), 0);
	ck_assert_str_eq(S(r), "9999999999999999999999999999.999999998");

	ck_assert_int_eq(b2b_dec_mul(&r, max, D("1.000000001"), 9, B2B_ROUND_DOWN), B2B_EOVERFLOW);
	ck_assert_int_eq(b2b_dec_mul(&r, max, max, 9, B2B_ROUND_DOWN), B2B_EOVERFLOW);
	ck_assert_int_eq(b2b_dec_mul(&r, min, max, 0, B2B_ROUND_DOWN), B2B_EOVERFLOW);
	ck_assert_int_eq(b2b_dec_mul(&r, D("100000000000000"), D("100000000000000"), 0,
	                             B2B_ROUND_DOWN), B2B_EOVERFLOW);
	/* (10^14 − 10^-9)(10^14 + 10^-9) = 10^28 − 10^-18 */
	ck_assert_int_eq(b2b_dec_mul(&r, D("99999999999999.999999999"),
	                             D("100000000000000.000000001"), 0, B2B_ROUND_DOWN), 0);
	ck_assert_str_eq(S(r), "9999999999999999999999999999");
	ck_assert_int_eq(b2b_dec_mul(&r, D("99999999999999.999999999"),
	                             D("100000000000000.000000001"), 9, B2B_ROUND_DOWN), 0);
	ck_assert_str_eq(S(r), MAXS);
	ck_assert_int_eq(b2b_dec_mul(&r, D("99999999999999.999999999"),
	                             D("100000000000000.000000001"), 9, B2B_ROUND_UP), B2B_EOVERFLOW);
	/* 1.1 × 9090…090.909090909 = 10^28 − 10^-10: down fits, up overflows */
	ck_assert_int_eq(b2b_dec_mul(&r, D("1.1"), D("9090909090909090909090909090.909090909"), 9,
	                             B2B_ROUND_DOWN), 0);
	ck_assert_str_eq(S(r), MAXS);
	ck_assert_int_eq(b2b_dec_mul(&r, D("1.1"), D("9090909090909090909090909090.909090909"), 9,
	                             B2B_ROUND_HALF_UP), B2B_EOVERFLOW);
	ck_assert_int_eq(b2b_dec_mul(&r, D("-1.1"), D("9090909090909090909090909090.909090909"), 9,
	                             B2B_ROUND_FLOOR), B2B_EOVERFLOW);
	ck_assert_int_eq(b2b_dec_mul(&r, D("-1.1"), D("9090909090909090909090909090.909090909"), 9,
	                             B2B_ROUND_CEILING), 0);
	ck_assert_str_eq(S(r), "-" MAXS);
	/* (2×10^19 − 10^-9) × 5×10^8 = 10^28 − 0.5 */
	ck_assert_int_eq(b2b_dec_mul(&r, D("19999999999999999999.999999999"), D("500000000"), 9,
	                             B2B_ROUND_HALF_UP), 0);
	ck_assert_str_eq(S(r), "9999999999999999999999999999.5");
	ck_assert_int_eq(b2b_dec_mul(&r, D("19999999999999999999.999999999"), D("500000000"), 0,
	                             B2B_ROUND_HALF_UP), B2B_EOVERFLOW);
	ck_assert_int_eq(b2b_dec_mul(&r, D("19999999999999999999.999999999"), D("500000000"), 0,
	                             B2B_ROUND_HALF_EVEN), B2B_EOVERFLOW);
	ck_assert_int_eq(b2b_dec_mul(&r, D("19999999999999999999.999999999"), D("500000000"), 0,
	                             B2B_ROUND_HALF_DOWN), 0);
	ck_assert_str_eq(S(r), "9999999999999999999999999999");
	ck_assert_int_eq(b2b_dec_mul(&r, D("9999999999999999999.999999999"), D("1.000000001"), 9,
	                             B2B_ROUND_DOWN), 0);
	ck_assert_str_eq(S(r), "10000000009999999999.999999998");

	ck_assert_int_eq(b2b_dec_round(&r, max, 0, B2B_ROUND_HALF_UP), B2B_EOVERFLOW);
	ck_assert_int_eq(b2b_dec_round(&r, max, 8, B2B_ROUND_UP), B2B_EOVERFLOW);
	ck_assert_int_eq(b2b_dec_round(&r, max, 8, B2B_ROUND_CEILING), B2B_EOVERFLOW);
	ck_assert_int_eq(b2b_dec_round(&r, max, 8, B2B_ROUND_FLOOR), 0);
	ck_assert_str_eq(S(r), "9999999999999999999999999999.99999999");
	ck_assert_int_eq(b2b_dec_round(&r, min, 8, B2B_ROUND_FLOOR), B2B_EOVERFLOW);
	ck_assert_int_eq(b2b_dec_round(&r, min, 8, B2B_ROUND_CEILING), 0);
	ck_assert_str_eq(S(r), "-9999999999999999999999999999.99999999");
	ck_assert_int_eq(b2b_dec_round(&r, max, 9, B2B_ROUND_UP), 0);
	ck_assert_str_eq(S(r), MAXS);

	ck_assert_int_eq(b2b_dec_div(&r, max, tiny, 9, B2B_ROUND_DOWN), B2B_EOVERFLOW);
	ck_assert_int_eq(b2b_dec_div(&r, max, D("0.1"), 0, B2B_ROUND_DOWN), B2B_EOVERFLOW);
	ck_assert_int_eq(b2b_dec_div(&r, max, D("-1"), 0, B2B_ROUND_UP), B2B_EOVERFLOW);
	ck_assert_int_eq(b2b_dec_div(&r, max, D("-1"), 0, B2B_ROUND_DOWN), 0);
	ck_assert_str_eq(S(r), "-9999999999999999999999999999");
	ck_assert_int_eq(b2b_dec_percent(&r, max, D("100.000000001"), 9, B2B_ROUND_DOWN),
	                 B2B_EOVERFLOW);
	ck_assert_int_eq(b2b_dec_round_multiple(&r, max, D("1"), B2B_ROUND_HALF_UP), B2B_EOVERFLOW);
	ck_assert_int_eq(b2b_dec_round_multiple(&r, min, D("3"), B2B_ROUND_UP), B2B_EOVERFLOW);
	ck_assert_int_eq(b2b_dec_round_multiple(&r, min, D("3"), B2B_ROUND_DOWN), 0);
	ck_assert_str_eq(S(r), "-9999999999999999999999999999");

	ck_assert_int_eq(b2b_dec_format(buf, sizeof(buf), NULL, max, 0, B2B_ROUND_HALF_UP),
	                 B2B_EOVERFLOW);
	ck_assert_int_eq(b2b_dec_format(buf, sizeof(buf), &need, min, 2, B2B_ROUND_DOWN), 0);
	ck_assert_str_eq(buf, "-9999999999999999999999999999.99");
	ck_assert_int_eq(b2b_dec_format(buf, sizeof(buf), &need, min, B2B_DEC_SCALE_EXACT,
	                                B2B_ROUND_DOWN), 0);
	ck_assert_str_eq(buf, "-" MAXS);
	ck_assert_uint_eq(need, 40);
	ck_assert_uint_le(need, B2B_DEC_FORMAT_MAX);
}
END_TEST

/* A hand-made value outside the range is refused, never misused. */
START_TEST(test_out_of_domain)
{
	b2b_dec bad = {UINT64_MAX, INT64_MAX}, worst = {0, INT64_MIN}, r;
	char buf[B2B_DEC_FORMAT_MAX];
	int64_t u;

	ck_assert_int_eq(b2b_dec_format(buf, sizeof(buf), NULL, bad, B2B_DEC_SCALE_EXACT,
	                                B2B_ROUND_DOWN), B2B_EOVERFLOW);
	ck_assert_int_eq(b2b_dec_format(buf, sizeof(buf), NULL, worst, 2, B2B_ROUND_DOWN),
	                 B2B_EOVERFLOW);
	ck_assert_int_eq(b2b_dec_add(&r, bad, bad), B2B_EOVERFLOW);
	ck_assert_int_eq(b2b_dec_add(&r, bad, D("-1")), B2B_EOVERFLOW);
	ck_assert_int_eq(b2b_dec_sub(&r, worst, D("1")), B2B_EOVERFLOW);
	ck_assert_int_eq(b2b_dec_mul(&r, worst, worst, 0, B2B_ROUND_DOWN), B2B_EOVERFLOW);
	ck_assert_int_eq(b2b_dec_div(&r, worst, D("0.5"), 0, B2B_ROUND_DOWN), B2B_EOVERFLOW);
	ck_assert_int_eq(b2b_dec_div(&r, D("1"), worst, 9, B2B_ROUND_DOWN), 0);
	ck_assert_int_eq(b2b_dec_round(&r, bad, 9, B2B_ROUND_DOWN), B2B_EOVERFLOW);
	ck_assert_int_eq(b2b_dec_round_multiple(&r, worst, D("1"), B2B_ROUND_DOWN), B2B_EOVERFLOW);
	ck_assert_int_eq(b2b_dec_to_units(&u, worst, 0, B2B_ROUND_DOWN), B2B_EOVERFLOW);
	ck_assert_int_eq(b2b_dec_allocate(&r, worst, &r, 1, 0), B2B_EOVERFLOW);
	ck_assert_int_eq(b2b_dec_cmp(worst, bad), -1);
	(void)b2b_dec_neg(worst);
	(void)b2b_dec_abs(worst);
	(void)b2b_dec_scale(worst);
}
END_TEST

/*===========================================================================
 * Parse
 *===========================================================================*/

static const struct {
	const char *in;
	unsigned flags;
	int rc;
	const char *out;   /* EXACT form when rc == 0 */
	size_t errpos;     /* when rc == B2B_EPARSE */
} parse_cases[] = {
	/* SPEC §3 decimal cells */
	{"0", 0, 0, "0", 0},
	{"12.50", 0, 0, "12.5", 0},
	{"-12.345", 0, 0, "-12.345", 0},
	{"-0", 0, 0, "0", 0},
	{"-0.000", 0, 0, "0", 0},
	{"007.50", 0, 0, "7.5", 0},
	{"123456789.123456789", 0, 0, "123456789.123456789", 0},
	{"0.000000001", 0, 0, "0.000000001", 0},
	{"1.000000000", 0, 0, "1", 0},
	{MAXS, 0, 0, MAXS, 0},
	{"-" MAXS, 0, 0, "-" MAXS, 0},
	{"00000000000000000000000000000001", 0, 0, "1", 0},
	{"9999999999999999999999999999", 0, 0, "9999999999999999999999999999", 0},
	{"+1", 0, B2B_EPARSE, NULL, 0},
	{"1.", 0, B2B_EPARSE, NULL, 2},
	{".5", 0, B2B_EPARSE, NULL, 0},
	{"-.5", 0, B2B_EPARSE, NULL, 1},
	{" 1", 0, B2B_EPARSE, NULL, 0},
	{"1 ", 0, B2B_EPARSE, NULL, 1},
	{"1e3", 0, B2B_EPARSE, NULL, 1},
	{"1.5E3", 0, B2B_EPARSE, NULL, 3},
	{"1,000", 0, B2B_EPARSE, NULL, 1},
	{"1,5", 0, B2B_EPARSE, NULL, 1},
	{"", 0, B2B_EPARSE, NULL, 0},
	{"-", 0, B2B_EPARSE, NULL, 1},
	{"--1", 0, B2B_EPARSE, NULL, 1},
	{"1.2.3", 0, B2B_EPARSE, NULL, 3},
	{"0x10", 0, B2B_EPARSE, NULL, 1},
	{"NaN", 0, B2B_EPARSE, NULL, 0},
	{"inf", 0, B2B_EPARSE, NULL, 0},
	{"1.0000000000x", 0, B2B_EPARSE, NULL, 12},
	{"1.0000000000", 0, B2B_EPRECISION, NULL, 0},
	{"0.0000000000", 0, B2B_EPRECISION, NULL, 0},
	{"1.1234567891", 0, B2B_EPRECISION, NULL, 0},
	{"-0.0000000001", 0, B2B_EPRECISION, NULL, 0},
	{"10000000000000000000000000000", 0, B2B_EOVERFLOW, NULL, 0},
	{"-10000000000000000000000000000", 0, B2B_EOVERFLOW, NULL, 0},
	{"99999999999999999999999999999", 0, B2B_EOVERFLOW, NULL, 0},
	{"10000000000000000000000000000.0000000001", 0, B2B_EOVERFLOW, NULL, 0},
	/* RFC 8259 numbers with B2B_DEC_PARSE_JSON */
	{"1.5E3", B2B_DEC_PARSE_JSON, 0, "1500", 0},
	{"1.5e+2", B2B_DEC_PARSE_JSON, 0, "150", 0},
	{"12.5e-1", B2B_DEC_PARSE_JSON, 0, "1.25", 0},
	{"123E-2", B2B_DEC_PARSE_JSON, 0, "1.23", 0},
	{"-0", B2B_DEC_PARSE_JSON, 0, "0", 0},
	{"0e1", B2B_DEC_PARSE_JSON, 0, "0", 0},
	{"0E400", B2B_DEC_PARSE_JSON, 0, "0", 0},
	{"0.5", B2B_DEC_PARSE_JSON, 0, "0.5", 0},
	{"1E-9", B2B_DEC_PARSE_JSON, 0, "0.000000001", 0},
	{"0.000000001E9", B2B_DEC_PARSE_JSON, 0, "1", 0},
	{"1E27", B2B_DEC_PARSE_JSON, 0, "1000000000000000000000000000", 0},
	{"9.999999999999999999999999999999999999E27", B2B_DEC_PARSE_JSON, 0, MAXS, 0},
	{"1.50000000000E3", B2B_DEC_PARSE_JSON, 0, "1500", 0},      /* 8 digits */
	{"1.500000000000E3", B2B_DEC_PARSE_JSON, 0, "1500", 0},     /* 9 digits */
	{"12.5", B2B_DEC_PARSE_JSON, 0, "12.5", 0},
	{"1.5000000000000E3", B2B_DEC_PARSE_JSON, B2B_EPRECISION, NULL, 0}, /* 10 */
	{"1E-10", B2B_DEC_PARSE_JSON, B2B_EPRECISION, NULL, 0},
	{"1E-400", B2B_DEC_PARSE_JSON, B2B_EPRECISION, NULL, 0},
	{"0E-10", B2B_DEC_PARSE_JSON, B2B_EPRECISION, NULL, 0},
	{"1E-99999999999999999999", B2B_DEC_PARSE_JSON, B2B_EPRECISION, NULL, 0},
	{"1E28", B2B_DEC_PARSE_JSON, B2B_EOVERFLOW, NULL, 0},
	{"1E400", B2B_DEC_PARSE_JSON, B2B_EOVERFLOW, NULL, 0},
	{"-1E400", B2B_DEC_PARSE_JSON, B2B_EOVERFLOW, NULL, 0},
	{"1E99999999999999999999", B2B_DEC_PARSE_JSON, B2B_EOVERFLOW, NULL, 0},
	{"01", B2B_DEC_PARSE_JSON, B2B_EPARSE, NULL, 1},
	{"-01", B2B_DEC_PARSE_JSON, B2B_EPARSE, NULL, 2},
	{"00.5", B2B_DEC_PARSE_JSON, B2B_EPARSE, NULL, 1},
	{"+1", B2B_DEC_PARSE_JSON, B2B_EPARSE, NULL, 0},
	{".5", B2B_DEC_PARSE_JSON, B2B_EPARSE, NULL, 0},
	{"1.", B2B_DEC_PARSE_JSON, B2B_EPARSE, NULL, 2},
	{"1.e3", B2B_DEC_PARSE_JSON, B2B_EPARSE, NULL, 2},
	{"1e", B2B_DEC_PARSE_JSON, B2B_EPARSE, NULL, 2},
	{"1e+", B2B_DEC_PARSE_JSON, B2B_EPARSE, NULL, 3},
	{"1e3.5", B2B_DEC_PARSE_JSON, B2B_EPARSE, NULL, 3},
	{"-", B2B_DEC_PARSE_JSON, B2B_EPARSE, NULL, 1},
	{"", B2B_DEC_PARSE_JSON, B2B_EPARSE, NULL, 0},
	{"\"1\"", B2B_DEC_PARSE_JSON, B2B_EPARSE, NULL, 0},
};

START_TEST(test_parse_table)
{
	b2b_dec v = {7, 0};
	size_t errpos = 999;
	const char *in = parse_cases[_i].in;
	int rc = b2b_dec_parse(&v, &errpos, in, strlen(in), parse_cases[_i].flags);

	ck_assert_msg(rc == parse_cases[_i].rc, "parse(\"%s\", %u) = %d, expected %d", in,
	              parse_cases[_i].flags, rc, parse_cases[_i].rc);
	if (rc == 0) {
		ck_assert_str_eq(S(v), parse_cases[_i].out);
		return;
	}
	/* *out untouched on error */
	ck_assert_uint_eq(v.lo, 7);
	ck_assert_int_eq(v.hi, 0);
	if (rc == B2B_EPARSE)
		ck_assert_msg(errpos == parse_cases[_i].errpos, "parse(\"%s\"): errpos %zu, expected %zu",
		              in, errpos, parse_cases[_i].errpos);
}
END_TEST

START_TEST(test_parse_not_nul_terminated)
{
	const char cell[] = "12.50,7";
	b2b_dec v;
	size_t errpos;

	ck_assert_int_eq(b2b_dec_parse(&v, NULL, cell, 5, 0), 0);
	ck_assert_str_eq(S(v), "12.5");
	ck_assert_int_eq(b2b_dec_parse(&v, &errpos, cell, 6, 0), B2B_EPARSE);
	ck_assert_uint_eq(errpos, 5);
	ck_assert_int_eq(b2b_dec_parse(&v, &errpos, "1\0" "2", 3, 0), B2B_EPARSE);
	ck_assert_uint_eq(errpos, 1);
}
END_TEST

/*===========================================================================
 * Format
 *===========================================================================*/

START_TEST(test_format)
{
	char buf[B2B_DEC_FORMAT_MAX];
	size_t need = 0;

	ck_assert_int_eq(b2b_dec_format(buf, sizeof(buf), NULL, D("12.5"), 2, B2B_ROUND_HALF_UP), 0);
	ck_assert_str_eq(buf, "12.50");
	ck_assert_int_eq(b2b_dec_format(buf, sizeof(buf), NULL, D("12.5"), 0, B2B_ROUND_HALF_UP), 0);
	ck_assert_str_eq(buf, "13");
	ck_assert_int_eq(b2b_dec_format(buf, sizeof(buf), NULL, D("12.5"), 0, B2B_ROUND_HALF_EVEN), 0);
	ck_assert_str_eq(buf, "12");
	ck_assert_int_eq(b2b_dec_format(buf, sizeof(buf), NULL, D("0.5"), 9, B2B_ROUND_UP), 0);
	ck_assert_str_eq(buf, "0.500000000");
	ck_assert_int_eq(b2b_dec_format(buf, sizeof(buf), NULL, D("123"), 3, B2B_ROUND_UP), 0);
	ck_assert_str_eq(buf, "123.000");
	ck_assert_int_eq(b2b_dec_format(buf, sizeof(buf), NULL, D("-0.07"), 1, B2B_ROUND_HALF_UP), 0);
	ck_assert_str_eq(buf, "-0.1");
	ck_assert_int_eq(b2b_dec_format(buf, sizeof(buf), NULL, D("-3"), B2B_DEC_SCALE_EXACT, 99), 0);
	ck_assert_str_eq(buf, "-3");
	ck_assert_int_eq(b2b_dec_format(buf, sizeof(buf), NULL, D("0.000000001"),
	                                B2B_DEC_SCALE_EXACT, B2B_ROUND_HALF_UP), 0);
	ck_assert_str_eq(buf, "0.000000001");
	ck_assert_int_eq(b2b_dec_format(buf, sizeof(buf), NULL, D("1000.10"),
	                                B2B_DEC_SCALE_EXACT, B2B_ROUND_HALF_UP), 0);
	ck_assert_str_eq(buf, "1000.1");
	/* the 64-bit word boundary of the coefficient */
	ck_assert_int_eq(b2b_dec_format(buf, sizeof(buf), NULL, D("18446744073.709551616"),
	                                B2B_DEC_SCALE_EXACT, B2B_ROUND_HALF_UP), 0);
	ck_assert_str_eq(buf, "18446744073.709551616");
	ck_assert_int_eq(b2b_dec_format(buf, sizeof(buf), NULL, D("10000000000000000000.0000001"),
	                                B2B_DEC_SCALE_EXACT, B2B_ROUND_HALF_UP), 0);
	ck_assert_str_eq(buf, "10000000000000000000.0000001");

	/* "-0" is never written */
	ck_assert_int_eq(b2b_dec_format(buf, sizeof(buf), NULL, D("-0.001"), 2, B2B_ROUND_HALF_UP), 0);
	ck_assert_str_eq(buf, "0.00");
	ck_assert_int_eq(b2b_dec_format(buf, sizeof(buf), NULL, D("-0.4"), 0, B2B_ROUND_CEILING), 0);
	ck_assert_str_eq(buf, "0");
	ck_assert_int_eq(b2b_dec_format(buf, sizeof(buf), NULL, D("-0.001"), 2, B2B_ROUND_FLOOR), 0);
	ck_assert_str_eq(buf, "-0.01");

	/* measure, then too small, then exact fit */
	ck_assert_int_eq(b2b_dec_format(NULL, 0, &need, D("-12.5"), 2, B2B_ROUND_HALF_UP), 0);
	ck_assert_uint_eq(need, 7);
	strcpy(buf, "xxxx");
	need = 0;
	ck_assert_int_eq(b2b_dec_format(buf, 6, &need, D("-12.5"), 2, B2B_ROUND_HALF_UP), B2B_EBUFS);
	ck_assert_uint_eq(need, 7);
	ck_assert_str_eq(buf, "");
	ck_assert_int_eq(b2b_dec_format(buf, 7, &need, D("-12.5"), 2, B2B_ROUND_HALF_UP), 0);
	ck_assert_str_eq(buf, "-12.50");
	ck_assert_int_eq(b2b_dec_format(buf, 0, &need, D("1"), 0, B2B_ROUND_HALF_UP), B2B_EBUFS);
	ck_assert_uint_eq(need, 2);
}
END_TEST

START_TEST(test_format_never_minus_zero)
{
	static const char *const tiny[] = {"-0.000000001", "-0.4", "-0.49", "-0.000000005", "-0.005"};
	size_t i;
	int scale, mode;

	for (i = 0; i < sizeof(tiny) / sizeof(tiny[0]); i++) {
		for (scale = 0; scale <= 9; scale++) {
			for (mode = 0; mode < 7; mode++) {
				char buf[B2B_DEC_FORMAT_MAX];
				b2b_dec r;

				ck_assert_int_eq(b2b_dec_format(buf, sizeof(buf), NULL, D(tiny[i]), scale,
				                                (b2b_rounding)mode), 0);
				ck_assert_int_eq(b2b_dec_round(&r, D(tiny[i]), scale, (b2b_rounding)mode), 0);
				if (b2b_dec_sign(r) == 0)
					ck_assert_msg(buf[0] != '-', "%s at %d %d gave %s", tiny[i], scale,
					              mode, buf);
				else
					ck_assert_int_eq(buf[0], '-');
			}
		}
	}
}
END_TEST

/* parse → format(EXACT) → parse is the identity, on random values. */
START_TEST(test_roundtrip_random)
{
	uint64_t seed = 0x9e3779b97f4a7c15u;
	int i;

	for (i = 0; i < 100000; i++) {
		b2b_dec v, w, k;
		char buf[B2B_DEC_FORMAT_MAX], buf2[B2B_DEC_FORMAT_MAX];
		size_t need;
		int64_t units;
		int scale = (int)(rnd(&seed) % 10);

		/* build from the units of a random scale, then widen to 128 bits */
		units = (int64_t)rnd(&seed) >> (rnd(&seed) % 63);
		QUIET(b2b_dec_from_units(&v, units, scale) == 0, "from_units");
		if (i % 2 == 0) {
			k.lo = rnd(&seed) >> (rnd(&seed) % 64);
			k.hi = 0;
			int rc = b2b_dec_mul(&w, v, k, 9, B2B_ROUND_HALF_EVEN);

			QUIET(rc == 0 || rc == B2B_EOVERFLOW, "mul %d", i);
			if (rc == 0)
				v = w;
		}
		QUIET(b2b_dec_format(buf, sizeof(buf), &need, v, B2B_DEC_SCALE_EXACT,
		                     B2B_ROUND_HALF_UP) == 0, "format %d", i);
		QUIET(need == strlen(buf) + 1, "need %s", buf);
		QUIET(b2b_dec_parse(&w, NULL, buf, strlen(buf), 0) == 0, "parse %s", buf);
		QUIET(v.lo == w.lo && v.hi == w.hi, "roundtrip %s", buf);
		QUIET(b2b_dec_parse(&w, NULL, buf, strlen(buf), B2B_DEC_PARSE_JSON) == 0 &&
		      b2b_dec_cmp(v, w) == 0, "json roundtrip %s", buf);
		/* and at the value's own scale, the same text */
		QUIET(b2b_dec_format(buf2, sizeof(buf2), NULL, v, b2b_dec_scale(v),
		                     B2B_ROUND_DOWN) == 0 && strcmp(buf, buf2) == 0,
		      "%s vs %s", buf, buf2);
	}
}
END_TEST

/*===========================================================================
 * Rounding mode names
 *===========================================================================*/

START_TEST(test_rounding_names)
{
	static const char *const names[] = {"half_up", "half_even", "half_down", "up", "down",
	                                    "ceiling", "floor"};
	b2b_rounding m;
	int i;

	for (i = 0; i < 7; i++) {
		ck_assert_str_eq(b2b_rounding_name((b2b_rounding)i), names[i]);
		ck_assert_int_eq(b2b_rounding_parse(&m, names[i], strlen(names[i])), 0);
		ck_assert_int_eq(m, i);
	}
	ck_assert_int_eq(B2B_ROUND_HALF_UP, 0);
	ck_assert_int_eq(B2B_ROUND_FLOOR, 6);
	ck_assert_ptr_null(b2b_rounding_name((b2b_rounding)7));
	ck_assert_ptr_null(b2b_rounding_name((b2b_rounding)-1));
	m = B2B_ROUND_FLOOR;
	ck_assert_int_eq(b2b_rounding_parse(&m, "HALF_UP", 7), B2B_EPARSE);
	ck_assert_int_eq(b2b_rounding_parse(&m, "half_up ", 8), B2B_EPARSE);
	ck_assert_int_eq(b2b_rounding_parse(&m, "half_u", 6), B2B_EPARSE);
	ck_assert_int_eq(b2b_rounding_parse(&m, "", 0), B2B_EPARSE);
	ck_assert_int_eq(b2b_rounding_parse(&m, "half_evenx", 9), 0);   /* len bounds it */
	ck_assert_int_eq(m, B2B_ROUND_HALF_EVEN);
	ck_assert_int_eq(b2b_rounding_parse(&m, NULL, 0), B2B_EPARSE);
	ck_assert_int_eq(b2b_rounding_parse(NULL, "up", 2), B2B_EINVAL);
	ck_assert_int_eq(b2b_rounding_parse(&m, NULL, 3), B2B_EINVAL);
}
END_TEST

/*===========================================================================
 * Allocation
 *===========================================================================*/

static void
check_alloc(const char *total, int scale, const char *const *w, size_t n,
            const char *const *expect)
{
	b2b_dec weights[16], parts[16];
	size_t i;

	for (i = 0; i < n; i++)
		weights[i] = D(w[i]);
	ck_assert_int_eq(b2b_dec_allocate(parts, D(total), weights, n, scale), 0);
	for (i = 0; i < n; i++)
		ck_assert_msg(strcmp(S(parts[i]), expect[i]) == 0, "%s part %zu: %s, expected %s",
		              total, i, S(parts[i]), expect[i]);
}

START_TEST(test_allocate_examples)
{
	static const char *const ones[] = {"1", "1", "1", "1", "1", "1"};
	static const char *const e1[] = {"33.34", "33.33", "33.33"};
	static const char *const e2[] = {"0.01", "0.01", "0.01", "0.01", "0.01", "0"};
	static const char *const e3[] = {"-33.34", "-33.33", "-33.33"};
	static const char *const e4[] = {"-0.01", "-0.01", "-0.01", "-0.01", "-0.01", "0"};
	static const char *const w5[] = {"1", "2"};
	static const char *const e5[] = {"0.03", "0.07"};
	static const char *const e6[] = {"0.01", "0.01", "0"};
	static const char *const w7[] = {"0", "1", "1"};
	static const char *const e7[] = {"0", "5", "5"};
	static const char *const w8[] = {"3", "1"};
	static const char *const e8[] = {"0.75", "0.25"};
	static const char *const w9[] = {"10.5", "20.25", "0.000000001", "69.249999999"};
	static const char *const e9[] = {"10.5", "20.25", "0", "69.25"};
	static const char *const e10[] = {"0", "0", "0"};
	static const char *const w11[] = {"1", "2", "2"};
	static const char *const e11[] = {"0.2", "0.4", "0.4"};
	static const char *const e12[] = {"0", "0.01", "0.01"};

	check_alloc("100.00", 2, ones, 3, e1);
	check_alloc("0.05", 2, ones, 6, e2);
	check_alloc("-100.00", 2, ones, 3, e3);
	check_alloc("-0.05", 2, ones, 6, e4);
	check_alloc("0.10", 2, w5, 2, e5);             /* remainders 1/3, 2/3 */
	check_alloc("0.02", 2, ones, 3, e6);           /* three-way tie: earliest first */
	check_alloc("10", 0, w7, 3, e7);
	check_alloc("1", 2, w8, 2, e8);
	check_alloc("100", 2, w9, 4, e9);
	check_alloc("0", 2, ones, 3, e10);
	check_alloc("1", 1, w11, 3, e11);
	check_alloc("0.02", 2, w11, 3, e12);           /* 0.004, 0.008, 0.008 → tie of .8 */
}
END_TEST

/* More than 16 units left over takes the threshold search path. */
START_TEST(test_allocate_many_left)
{
	b2b_dec w[100], parts[100], total;
	int i;

	for (i = 0; i < 100; i++)
		w[i] = D("1");
	ck_assert_int_eq(b2b_dec_allocate(parts, D("0.99"), w, 100, 2), 0);
	for (i = 0; i < 100; i++)
		ck_assert_str_eq(S(parts[i]), i < 99 ? "0.01" : "0");
	/* weights 1..100 over 50.50 (Σw = 5050): exact shares i/100 */
	for (i = 0; i < 100; i++)
		ck_assert_int_eq(b2b_dec_from_units(&w[i], i + 1, 0), 0);
	ck_assert_int_eq(b2b_dec_allocate(parts, D("50.5"), w, 100, 2), 0);
	for (i = 0; i < 100; i++) {
		ck_assert_int_eq(b2b_dec_from_units(&total, i + 1, 2), 0);
		ck_assert_int_eq(b2b_dec_cmp(parts[i], total), 0);
	}
	/* weights 1..100 over 50.00: share i × 50/5050; the remainders decide */
	ck_assert_int_eq(b2b_dec_allocate(parts, D("-50"), w, 100, 2), 0);
	total = D("0");
	for (i = 0; i < 100; i++)
		ck_assert_int_eq(b2b_dec_add(&total, total, parts[i]), 0);
	ck_assert_str_eq(S(total), "-50");
	/* 1 × 5000/5050 = 0.990… → -0.99 or -1.00: remainder 0.0099 of a cent ranks low */
	ck_assert_str_eq(S(parts[0]), "-0.01");
	ck_assert_str_eq(S(parts[99]), "-0.99");
}
END_TEST

/* Reference: the rule stated in money.h, with plain 128-bit arithmetic. */
__extension__ typedef unsigned __int128 u128;

static void
reference_allocate(int64_t *out, u128 t, const uint64_t *w, size_t n)
{
	u128 wsum = 0, given = 0, r[64];
	int chosen[64];
	size_t i, k;

	for (i = 0; i < n; i++)
		wsum += w[i];
	for (i = 0; i < n; i++) {
		out[i] = (int64_t)(t * w[i] / wsum);
		r[i] = t * w[i] % wsum;
		given += (u128)out[i];
		chosen[i] = 0;
	}
	for (k = 0; k < (size_t)(t - given); k++) {
		size_t best = n;

		for (i = 0; i < n; i++)
			if (!chosen[i] && (best == n || r[i] > r[best]))
				best = i;
		chosen[best] = 1;
		out[best]++;
	}
}

START_TEST(test_allocate_random)
{
	uint64_t seed = 12345;
	int iter;

	for (iter = 0; iter < 20000; iter++) {
		size_t n = 1 + rnd(&seed) % 40, i;
		int scale = (int)(rnd(&seed) % 10);
		int64_t units = (int64_t)(rnd(&seed) >> (1 + rnd(&seed) % 63));
		uint64_t wv[64];
		int64_t expect[64];
		b2b_dec w[64], parts[64], total, sum = {0, 0};
		int neg = (int)(rnd(&seed) & 1);

		for (i = 0; i < n; i++) {
			wv[i] = rnd(&seed) >> (rnd(&seed) % 64);
			if (rnd(&seed) % 8 == 0)
				wv[i] = 0;
			/* a weight is a b2b_dec: coefficient wv, i.e. wv × 10^-9 */
			w[i].lo = wv[i] >> 1;
			w[i].hi = 0;
			wv[i] >>= 1;
		}
		units %= 1000000000000000; /* t × w stays below 2^128 */
		QUIET(b2b_dec_from_units(&total, neg ? -units : units, scale) == 0, "total");
		{
			u128 ws = 0;

			for (i = 0; i < n; i++)
				ws += wv[i];
			if (ws == 0) {
				QUIET(b2b_dec_allocate(parts, total, w, n, scale) ==
				      (units == 0 ? 0 : B2B_EINVAL), "zero weights, iter %d", iter);
				continue;
			}
		}
		QUIET(b2b_dec_allocate(parts, total, w, n, scale) == 0, "iter %d", iter);
		reference_allocate(expect, (u128)units, wv, n);
		for (i = 0; i < n; i++) {
			b2b_dec e;

			QUIET(b2b_dec_from_units(&e, neg ? -expect[i] : expect[i], scale) == 0, "e");
			QUIET(b2b_dec_cmp(parts[i], e) == 0, "iter %d part %zu: %s vs %s", iter, i,
			      S(parts[i]), S(e));
			QUIET(b2b_dec_add(&sum, sum, parts[i]) == 0, "sum");
		}
		QUIET(b2b_dec_cmp(sum, total) == 0, "iter %d: sum %s, total %s", iter, S(sum), S(total));
	}
}
END_TEST

START_TEST(test_allocate_errors)
{
	b2b_dec w[3] = {{0, 0}, {0, 0}, {0, 0}}, parts[3];

	w[0] = D("1");
	w[1] = D("2");
	w[2] = D("3");
	ck_assert_int_eq(b2b_dec_allocate(parts, D("1.005"), w, 3, 2), B2B_EINVAL);
	ck_assert_int_eq(b2b_dec_allocate(parts, D("0.5"), w, 3, 0), B2B_EINVAL);
	ck_assert_int_eq(b2b_dec_allocate(parts, D("1"), w, 3, 10), B2B_EINVAL);
	ck_assert_int_eq(b2b_dec_allocate(parts, D("1"), w, 3, -1), B2B_EINVAL);
	w[1] = D("-2");
	ck_assert_int_eq(b2b_dec_allocate(parts, D("1"), w, 3, 2), B2B_EINVAL);
	ck_assert_int_eq(b2b_dec_allocate(parts, D("0"), w, 3, 2), B2B_EINVAL);
	w[0] = w[1] = w[2] = D("0");
	ck_assert_int_eq(b2b_dec_allocate(parts, D("0.01"), w, 3, 2), B2B_EINVAL);
	ck_assert_int_eq(b2b_dec_allocate(parts, D("0"), w, 3, 2), 0);
	ck_assert_int_eq(b2b_dec_allocate(parts, D("1"), w, 0, 2), B2B_EINVAL);
	ck_assert_int_eq(b2b_dec_allocate(NULL, D("0"), NULL, 0, 2), 0);
	ck_assert_int_eq(b2b_dec_allocate(NULL, D("1"), w, 3, 2), B2B_EINVAL);
	ck_assert_int_eq(b2b_dec_allocate(parts, D("1"), NULL, 3, 2), B2B_EINVAL);
	/* the weights must sum below 10^28 */
	w[0] = w[1] = D("5000000000000000000000000000");
	w[2] = D("1");
	ck_assert_int_eq(b2b_dec_allocate(parts, D("1"), w, 3, 2), B2B_EOVERFLOW);
	w[1] = D("4999999999999999999999999998.999999999");
	ck_assert_int_eq(b2b_dec_allocate(parts, D(MAXS), w, 3, 9), 0);
	ck_assert_str_eq(S(parts[0]), "5000000000000000000000000000");
	ck_assert_str_eq(S(parts[1]), "4999999999999999999999999998.999999999");
	ck_assert_str_eq(S(parts[2]), "1");
}
END_TEST

/*===========================================================================
 * Errors: scales, modes, NULL
 *===========================================================================*/

START_TEST(test_argument_errors)
{
	b2b_dec r = {5, 0}, a = D("1.5");
	int64_t u = 5;
	char buf[8];
	static const int bad_scales[] = {-1, 10, 100, -2};
	size_t i;

	for (i = 0; i < sizeof(bad_scales) / sizeof(bad_scales[0]); i++) {
		int s = bad_scales[i];

		ck_assert_int_eq(b2b_dec_from_units(&r, 1, s), B2B_EINVAL);
		ck_assert_int_eq(b2b_dec_to_units(&u, a, s, B2B_ROUND_HALF_UP), B2B_EINVAL);
		ck_assert_int_eq(b2b_dec_mul(&r, a, a, s, B2B_ROUND_HALF_UP), B2B_EINVAL);
		ck_assert_int_eq(b2b_dec_percent(&r, a, a, s, B2B_ROUND_HALF_UP), B2B_EINVAL);
		ck_assert_int_eq(b2b_dec_div(&r, a, a, s, B2B_ROUND_HALF_UP), B2B_EINVAL);
		ck_assert_int_eq(b2b_dec_round(&r, a, s, B2B_ROUND_HALF_UP), B2B_EINVAL);
		if (s != B2B_DEC_SCALE_EXACT)
			ck_assert_int_eq(b2b_dec_format(buf, sizeof(buf), NULL, a, s, B2B_ROUND_HALF_UP),
			                 B2B_EINVAL);
	}
	ck_assert_int_eq(b2b_dec_mul(&r, a, a, 2, (b2b_rounding)7), B2B_EINVAL);
	ck_assert_int_eq(b2b_dec_div(&r, a, a, 2, (b2b_rounding)-1), B2B_EINVAL);
	ck_assert_int_eq(b2b_dec_percent(&r, a, a, 2, (b2b_rounding)7), B2B_EINVAL);
	ck_assert_int_eq(b2b_dec_round(&r, a, 2, (b2b_rounding)7), B2B_EINVAL);
	ck_assert_int_eq(b2b_dec_to_units(&u, a, 2, (b2b_rounding)7), B2B_EINVAL);
	ck_assert_int_eq(b2b_dec_round_multiple(&r, a, a, (b2b_rounding)7), B2B_EINVAL);
	ck_assert_int_eq(b2b_dec_format(buf, sizeof(buf), NULL, a, 2, (b2b_rounding)7), B2B_EINVAL);
	ck_assert_int_eq(b2b_dec_round_multiple(&r, a, D("0"), B2B_ROUND_HALF_UP), B2B_EINVAL);
	ck_assert_int_eq(b2b_dec_round_multiple(&r, a, D("-0.05"), B2B_ROUND_HALF_UP), B2B_EINVAL);
	ck_assert_int_eq(b2b_dec_div(&r, a, D("0"), 2, B2B_ROUND_HALF_UP), B2B_EDIVZERO);
	ck_assert_int_eq(b2b_dec_div(&r, a, D("-0"), 9, B2B_ROUND_DOWN), B2B_EDIVZERO);
	/* untouched by every failure above */
	ck_assert_uint_eq(r.lo, 5);
	ck_assert_int_eq(r.hi, 0);
	ck_assert_int_eq(u, 5);

	ck_assert_int_eq(b2b_dec_add(NULL, a, a), B2B_EINVAL);
	ck_assert_int_eq(b2b_dec_sub(NULL, a, a), B2B_EINVAL);
	ck_assert_int_eq(b2b_dec_mul(NULL, a, a, 2, B2B_ROUND_HALF_UP), B2B_EINVAL);
	ck_assert_int_eq(b2b_dec_div(NULL, a, a, 2, B2B_ROUND_HALF_UP), B2B_EINVAL);
	ck_assert_int_eq(b2b_dec_percent(NULL, a, a, 2, B2B_ROUND_HALF_UP), B2B_EINVAL);
	ck_assert_int_eq(b2b_dec_round(NULL, a, 2, B2B_ROUND_HALF_UP), B2B_EINVAL);
	ck_assert_int_eq(b2b_dec_round_multiple(NULL, a, a, B2B_ROUND_HALF_UP), B2B_EINVAL);
	ck_assert_int_eq(b2b_dec_to_units(NULL, a, 2, B2B_ROUND_HALF_UP), B2B_EINVAL);
	ck_assert_int_eq(b2b_dec_from_units(NULL, 1, 2), B2B_EINVAL);
	ck_assert_int_eq(b2b_dec_format(NULL, 5, NULL, a, 2, B2B_ROUND_HALF_UP), B2B_EINVAL);
	ck_assert_int_eq(b2b_dec_parse(NULL, NULL, "1", 1, 0), B2B_EINVAL);
	ck_assert_int_eq(b2b_dec_parse(&r, NULL, NULL, 1, 0), B2B_EINVAL);
	ck_assert_int_eq(b2b_dec_parse(&r, NULL, "1", 1, 0x0100u), B2B_EINVAL);
	ck_assert_int_eq(b2b_dec_parse(&r, NULL, NULL, 0, 0), B2B_EPARSE);
}
END_TEST

/*===========================================================================
 * The 64-bit fast paths of dec_int.h against the exact routines
 *===========================================================================*/

/*
 * A random coefficient: any 64-bit value, round numbers (ties), prices,
 * the edges of ±2^63 on both sides, and 128-bit values (the exact path).
 */
static b2b_dec
rnd_dec(uint64_t *s)
{
	uint64_t u = rnd(s), k = rnd(s) % 9, sh = rnd(s);
	b2b__i128 c;

	switch (k) {
	case 0:
		c = (int64_t)u >> (sh % 64);
		break;
	case 1:   /* n × 10^j: exact quotients and ties */
		c = (b2b__i128)(u % 100000) * (b2b__i128)b2b__pow10_u64[sh % 13];
		break;
	case 2:   /* n × 10^j + 5 × 10^(j − 1) */
		c = (b2b__i128)(u % 1000) * (b2b__i128)b2b__pow10_u64[1 + sh % 12] +
		    5 * (b2b__i128)b2b__pow10_u64[sh % 12];
		break;
	case 3:   /* just inside ±2^63 */
		c = (b2b__i128)INT64_MAX - (b2b__i128)(u % 4);
		break;
	case 4:   /* 2^63 and just above: the exact path */
		c = ((b2b__i128)1 << 63) + (b2b__i128)(u % 3);
		break;
	case 5:   /* 128-bit */
		c = (b2b__i128)(int64_t)u * ((b2b__i128)1 << (sh % 58));
		break;
	case 6:   /* prices up to 1,000 */
		c = (b2b__i128)(u % 1000000000000u);
		break;
	case 7:   /* factors and percentages up to 10 */
		c = (b2b__i128)(u % 10000000001u);
		break;
	default:
		c = (b2b__i128)(u % 4);
		break;
	}
	if ((sh >> 32) & 1)
		c = -c;
	return b2b__dec_from_i128(c);
}

static int
dec_same(int rc1, b2b_dec v1, int rc2, b2b_dec v2)
{
	return rc1 == rc2 && v1.lo == v2.lo && v1.hi == v2.hi;
}

#define DIFF_PAIRS 60000

START_TEST(test_fast_udiv_128_64)
{
	uint64_t seed = 0x5eed0001u;
	int i;

	for (i = 0; i < 200000; i++) {
		uint64_t d = rnd(&seed) >> (rnd(&seed) % 64), hi, lo = rnd(&seed), q, r;
		b2b__u128 n;

		if (d == 0)
			d = 1;
		hi = i % 3 == 0 ? 0 : i % 3 == 1 ? d - 1 : rnd(&seed) % d;
		if (i % 7 == 0)
			lo = UINT64_MAX;
		q = b2b__udiv_128_64(hi, lo, d, &r);
		n = ((b2b__u128)hi << 64) | lo;
		QUIET(q == (uint64_t)(n / d) && r == (uint64_t)(n % d),
		      "udiv (%llx:%llx) / %llx", (unsigned long long)hi, (unsigned long long)lo,
		      (unsigned long long)d);
	}
}
END_TEST

/* b2b__dec_mul9_fast / _percent9_fast / _div9_fast = b2b_dec_mul / _percent / _div at scale 9,
 * b2b__dec_div0_fast = b2b_dec_div at scale 0. */
START_TEST(test_fast_mul_percent_div)
{
	uint64_t seed = 0x5eed0002u;
	long fast = 0, ties = 0;
	int i, mode;

	for (i = 0; i < DIFF_PAIRS; i++) {
		b2b_dec a = rnd_dec(&seed), b = rnd_dec(&seed);
		int fit = b2b__dec_fits64(a) && b2b__dec_fits64(b);

		if (fit) {
			b2b__u128 m = (b2b__u128)b2b__dec_mag64(a) * b2b__dec_mag64(b);

			fast++;
			ties += m % 1000000000u == 500000000u || m % 100000000000u == 50000000000u;
		}
		for (mode = 0; mode <= 7; mode++) {   /* 7: not a mode, B2B_EINVAL */
			b2b_dec v1 = { 0x1234, 0x5678 }, v2 = v1;
			int rc1, rc2;

			rc1 = b2b__dec_mul9_fast(&v1, a, b, (b2b_rounding)mode);
			rc2 = b2b_dec_mul(&v2, a, b, B2B_DEC_SCALE, (b2b_rounding)mode);
			QUIET(dec_same(rc1, v1, rc2, v2), "mul9 %s × %s mode %d: %d %s, exact %d %s",
			      S(a), S(b), mode, rc1, rc1 ? "-" : S(v1), rc2, rc2 ? "-" : S(v2));
			v1 = v2 = (b2b_dec){ 0x1234, 0x5678 };
			rc1 = b2b__dec_percent9_fast(&v1, a, b, (b2b_rounding)mode);
			rc2 = b2b_dec_percent(&v2, a, b, B2B_DEC_SCALE, (b2b_rounding)mode);
			QUIET(dec_same(rc1, v1, rc2, v2), "percent9 %s × %s %% mode %d: %d %s, exact %d %s",
			      S(a), S(b), mode, rc1, rc1 ? "-" : S(v1), rc2, rc2 ? "-" : S(v2));
			v1 = v2 = (b2b_dec){ 0x1234, 0x5678 };
			rc1 = b2b__dec_div9_fast(&v1, a, b, (b2b_rounding)mode);
			rc2 = b2b_dec_div(&v2, a, b, B2B_DEC_SCALE, (b2b_rounding)mode);
			QUIET(dec_same(rc1, v1, rc2, v2), "div9 %s ÷ %s mode %d: %d %s, exact %d %s",
			      S(a), S(b), mode, rc1, rc1 ? "-" : S(v1), rc2, rc2 ? "-" : S(v2));
			v1 = v2 = (b2b_dec){ 0x1234, 0x5678 };
			rc1 = b2b__dec_div0_fast(&v1, a, b, (b2b_rounding)mode);
			rc2 = b2b_dec_div(&v2, a, b, 0, (b2b_rounding)mode);
			QUIET(dec_same(rc1, v1, rc2, v2), "div0 %s ÷ %s mode %d: %d %s, exact %d %s",
			      S(a), S(b), mode, rc1, rc1 ? "-" : S(v1), rc2, rc2 ? "-" : S(v2));
		}
	}
	/* the fast paths and their ties were exercised */
	ck_assert_int_gt(fast, DIFF_PAIRS / 2);
	ck_assert_int_gt(ties, 1000);
}
END_TEST

/* b2b__dec_round_multiple_fast = b2b_dec_round_multiple. */
START_TEST(test_fast_round_multiple)
{
	uint64_t seed = 0x5eed0003u;
	long fast = 0;
	int i, mode;

	for (i = 0; i < DIFF_PAIRS; i++) {
		b2b_dec a = rnd_dec(&seed), m = rnd_dec(&seed);

		if (i % 4 == 0)   /* price steps: 10^-k × 1, 2, 5, 10, 25 */
			m = b2b__dec_from_i128((b2b__i128)(1 + rnd(&seed) % 25) *
			                       (b2b__i128)b2b__pow10_u64[rnd(&seed) % 10]);
		fast += b2b__dec_fits64(a) && m.hi == 0 && m.lo != 0;
		for (mode = 0; mode <= 7; mode++) {
			b2b_dec v1 = { 0x1234, 0x5678 }, v2 = v1;
			int rc1 = b2b__dec_round_multiple_fast(&v1, a, m, (b2b_rounding)mode);
			int rc2 = b2b_dec_round_multiple(&v2, a, m, (b2b_rounding)mode);

			QUIET(dec_same(rc1, v1, rc2, v2), "round_multiple %s, %s mode %d: %d %s, exact %d %s",
			      S(a), S(m), mode, rc1, rc1 ? "-" : S(v1), rc2, rc2 ? "-" : S(v2));
		}
	}
	ck_assert_int_gt(fast, DIFF_PAIRS / 4);
}
END_TEST

static Suite *
money_suite(void)
{
	Suite *s = suite_create("money");
	TCase *core = tcase_create("Core"), *limits = tcase_create("Limits"),
	      *errors = tcase_create("Errors");
	int nround = (int)(sizeof(round_cases) / sizeof(round_cases[0])) * 7;

	tcase_add_loop_test(core, test_round_table, 0, nround);
	tcase_add_loop_test(core, test_round_table_units_format, 0, nround);
	tcase_add_loop_test(core, test_mul_table, 0, (int)(sizeof(mul_cases) / sizeof(mul_cases[0])));
	tcase_add_loop_test(core, test_div_table, 0, (int)(sizeof(div_cases) / sizeof(div_cases[0])));
	tcase_add_test(core, test_percent);
	tcase_add_test(core, test_round_multiple);
	tcase_add_test(core, test_exact_ops);
	tcase_add_test(core, test_units);
	tcase_add_loop_test(core, test_parse_table, 0,
	                    (int)(sizeof(parse_cases) / sizeof(parse_cases[0])));
	tcase_add_test(core, test_parse_not_nul_terminated);
	tcase_add_test(core, test_format);
	tcase_add_test(core, test_format_never_minus_zero);
	tcase_add_test(core, test_roundtrip_random);
	tcase_add_test(core, test_rounding_names);
	tcase_add_test(core, test_allocate_examples);
	tcase_add_test(core, test_allocate_many_left);
	tcase_add_test(core, test_allocate_random);
	tcase_add_test(core, test_fast_udiv_128_64);
	tcase_add_test(core, test_fast_mul_percent_div);
	tcase_add_test(core, test_fast_round_multiple);
	tcase_add_test(limits, test_limits);
	tcase_add_test(limits, test_out_of_domain);
	tcase_add_test(errors, test_allocate_errors);
	tcase_add_test(errors, test_argument_errors);
	suite_add_tcase(s, core);
	suite_add_tcase(s, limits);
	suite_add_tcase(s, errors);
	return s;
}

int
main(void)
{
	return b2b_test_run(money_suite());
}
