/*
 * Tests: the built-in ISO 4217 table (b2b/currency.h).
 */
#include <string.h>

#include "b2b.h"
#include "support/testmain.h"

static const struct {
	const char *code;
	int minor_units;
} known[] = {
	{"USD", 2}, {"EUR", 2}, {"GBP", 2}, {"CHF", 2}, {"CNY", 2}, {"INR", 2},
	{"JPY", 0}, {"ISK", 0}, {"KRW", 0}, {"VND", 0}, {"XOF", 0}, {"XAF", 0},
	{"XPF", 0}, {"UGX", 0}, {"PYG", 0}, {"CLP", 0}, {"BIF", 0}, {"DJF", 0},
	{"GNF", 0}, {"KMF", 0}, {"RWF", 0}, {"VUV", 0}, {"UYI", 0},
	{"BHD", 3}, {"KWD", 3}, {"JOD", 3}, {"OMR", 3}, {"TND", 3}, {"LYD", 3},
	{"IQD", 3},
	{"CLF", 4}, {"UYW", 4},
	{"AED", 2}, {"ZWG", 2}, {"XCG", 2}, {"SLE", 2}, {"VES", 2}, {"VED", 2},
	{"MRU", 2}, {"STN", 2}, {"XCD", 2}, {"USN", 2}, {"BOV", 2}, {"CHE", 2},
	{"CHW", 2}, {"COU", 2}, {"MXV", 2}, {"ZMW", 2}, {"ZAR", 2},
};

START_TEST(test_known)
{
	ck_assert_int_eq(b2b_currency_minor_units(known[_i].code, 3), known[_i].minor_units);
	ck_assert_int_eq(b2b_currency_code_valid(known[_i].code, 3), 1);
}
END_TEST

/* Well-formed codes that are not built in: N.A. minor units, withdrawn, unassigned. */
static const char *const absent[] = {
	"XAU", "XAG", "XPD", "XPT", "XDR", "XSU", "XUA", "XBA", "XBB", "XBC", "XBD",
	"XTS", "XXX", "HRK", "SLL", "ZWL", "VEF", "MRO", "STD", "BYR", "LTL", "EEK",
	"AAA", "ABC", "ZZZ",
};

START_TEST(test_absent)
{
	ck_assert_int_eq(b2b_currency_minor_units(absent[_i], 3), B2B_ENOTFOUND);
	ck_assert_int_eq(b2b_currency_code_valid(absent[_i], 3), 1);
}
END_TEST

START_TEST(test_invalid)
{
	static const struct {
		const char *s;
		size_t len;
	} bad[] = {
		{"usd", 3}, {"Usd", 3}, {"US", 2}, {"USDX", 4}, {"US1", 3}, {"", 0},
		{"U D", 3}, {"US\0", 3}, {"\xc3\x9cSD", 4}, {"US@", 3}, {"US[", 3},
		{"USD", 2}, {"USD ", 4},
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_int_eq(b2b_currency_code_valid(bad[i].s, bad[i].len), 0);
		ck_assert_int_eq(b2b_currency_minor_units(bad[i].s, bad[i].len), B2B_EINVAL);
	}
	ck_assert_int_eq(b2b_currency_code_valid(NULL, 3), 0);
	ck_assert_int_eq(b2b_currency_minor_units(NULL, 3), B2B_EINVAL);
	/* only `len` bytes are read */
	ck_assert_int_eq(b2b_currency_minor_units("USDollar", 3), 2);
	ck_assert_int_eq(b2b_currency_code_valid("AZ", 2), 0);
	ck_assert_int_eq(b2b_currency_code_valid("AZA", 3), 1);
}
END_TEST

START_TEST(test_builtin_table)
{
	size_t n = b2b_currency_builtin_count(), i;

	/* ISO 4217 List One 2024-06-25 (166 codes with numeric minor units) + XAD, XCG */
	ck_assert_uint_eq(n, 168);
	for (i = 0; i < n; i++) {
		const char *c = b2b_currency_builtin_code(i);
		int mu;

		ck_assert_ptr_nonnull(c);
		ck_assert_uint_eq(strlen(c), 3);
		ck_assert_int_eq(b2b_currency_code_valid(c, 3), 1);
		mu = b2b_currency_minor_units(c, 3);
		ck_assert_int_ge(mu, 0);
		ck_assert_int_le(mu, 4);
		if (i > 0)
			ck_assert_int_lt(strcmp(b2b_currency_builtin_code(i - 1), c), 0);
	}
	ck_assert_str_eq(b2b_currency_builtin_code(0), "AED");
	ck_assert_str_eq(b2b_currency_builtin_code(n - 1), "ZWG");
	ck_assert_ptr_null(b2b_currency_builtin_code(n));
	ck_assert_ptr_null(b2b_currency_builtin_code((size_t)-1));
}
END_TEST

/* Every code between two neighbours of the table is absent (bisection edges). */
START_TEST(test_search_edges)
{
	char c[3];
	size_t found = 0;

	for (c[0] = 'A'; c[0] <= 'Z'; c[0]++)
		for (c[1] = 'A'; c[1] <= 'Z'; c[1]++)
			for (c[2] = 'A'; c[2] <= 'Z'; c[2]++) {
				int mu = b2b_currency_minor_units(c, 3);

				ck_assert(mu >= 0 || mu == B2B_ENOTFOUND);
				found += mu >= 0;
			}
	ck_assert_uint_eq(found, b2b_currency_builtin_count());
}
END_TEST

static Suite *
currency_suite(void)
{
	Suite *s = suite_create("currency");
	TCase *core = tcase_create("Core"), *errors = tcase_create("Errors");

	tcase_add_loop_test(core, test_known, 0, (int)(sizeof(known) / sizeof(known[0])));
	tcase_add_test(core, test_builtin_table);
	tcase_add_test(core, test_search_edges);
	tcase_add_loop_test(errors, test_absent, 0, (int)(sizeof(absent) / sizeof(absent[0])));
	tcase_add_test(errors, test_invalid);
	suite_add_tcase(s, core);
	suite_add_tcase(s, errors);
	return s;
}

int
main(void)
{
	return b2b_test_run(currency_suite());
}
