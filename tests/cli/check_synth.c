/*
 * Tests: the synthetic book generator of `b2b bench` (src/cli/synth.c):
 * both profiles write books that load without a single diagnostic, with
 * the documented row counts; the same seed writes the same book, another
 * seed another one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "b2b.h"
#include "synth.h"
#include "support/testmain.h"

static void
remove_dir(const char *dir)
{
	char path[512];
	size_t i;

	for (i = 0; synth_files[i] != NULL; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, synth_files[i]);
		unlink(path);
	}
	rmdir(dir);
}

/* Write, load (no diagnostic allowed), return the book. */
static b2b_book *
write_and_load(const char *profile, uint64_t seed, size_t np, size_t nc, size_t nki)
{
	char dir[] = "/tmp/b2b-synth-XXXXXX";
	b2b_ctx *ctx;
	b2b_book *book = NULL;
	size_t i, n;
	int rc;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(synth_write_book(dir, profile, seed, np, nc, nki), 0);
	ck_assert_int_eq(b2b_ctx_new(&ctx, NULL), 0);
	rc = b2b_book_load_dir(&book, ctx, NULL, dir);
	n = b2b_ctx_diag_count(ctx);
	for (i = 0; i < n; i++)
		fprintf(stderr, "%s:%ld:%ld: %s\n", b2b_ctx_diag_file(ctx, i),
		        b2b_ctx_diag_line(ctx, i), b2b_ctx_diag_col(ctx, i),
		        b2b_ctx_diag_message(ctx, i));
	ck_assert_int_eq(rc, 0);
	ck_assert_uint_eq(n, 0);
	b2b_ctx_free(ctx);
	remove_dir(dir);
	return book;
}

START_TEST(test_basic_profile)
{
	b2b_book *b = write_and_load("basic", 7, 1000, 50, 250);

	ck_assert_uint_eq(b2b_book_count(b, B2B_TABLE_PRODUCTS), 1000);
	ck_assert_uint_eq(b2b_book_count(b, B2B_TABLE_CUSTOMERS), 50);
	ck_assert_uint_eq(b2b_book_count(b, B2B_TABLE_PRICE_LISTS), 1);
	ck_assert_uint_eq(b2b_book_count(b, B2B_TABLE_PRICE_LIST_ITEMS), 5000);
	ck_assert_uint_eq(b2b_book_count(b, B2B_TABLE_CONTRACTS), 3);   /* 100 + 100 + 50 */
	ck_assert_uint_eq(b2b_book_count(b, B2B_TABLE_CONTRACT_ITEMS), 250);
	ck_assert_uint_eq(b2b_book_count(b, B2B_TABLE_DYNAMIC_RULES), 0);
	ck_assert_str_eq(b2b_book_base_currency(b), "EUR");
	b2b_book_unref(b);
}
END_TEST

START_TEST(test_full_profile)
{
	b2b_book *b = write_and_load("full", 7, 1000, 50, 250);

	ck_assert_uint_eq(b2b_book_count(b, B2B_TABLE_SETTINGS), 8);
	ck_assert_uint_eq(b2b_book_count(b, B2B_TABLE_PRODUCTS), 1000);
	ck_assert_uint_eq(b2b_book_count(b, B2B_TABLE_PRICE_LISTS), 6);
	/* 5 per sku, 30 category items, 100 KEY skus, 7 more */
	ck_assert_uint_eq(b2b_book_count(b, B2B_TABLE_PRICE_LIST_ITEMS), 5000 + 30 + 100 + 7);
	ck_assert_uint_eq(b2b_book_count(b, B2B_TABLE_CONTRACT_ITEMS), 250 + 3);
	ck_assert_uint_eq(b2b_book_count(b, B2B_TABLE_DYNAMIC_RULES), 4);
	ck_assert_uint_eq(b2b_book_count(b, B2B_TABLE_PROMOTIONS), 7);
	ck_assert_uint_eq(b2b_book_count(b, B2B_TABLE_TAXES), 4);
	ck_assert_uint_eq(b2b_book_count(b, B2B_TABLE_APPROVAL_RULES), 4);
	ck_assert_uint_eq(b2b_book_count(b, B2B_TABLE_FX_RATES), 4);
	b2b_book_unref(b);
}
END_TEST

START_TEST(test_tiny_sizes)
{
	/* one product: every contract item still names a distinct sku */
	b2b_book *b = write_and_load("full", 1, 1, 1, 3);

	ck_assert_uint_eq(b2b_book_count(b, B2B_TABLE_PRODUCTS), 1);
	ck_assert_uint_eq(b2b_book_count(b, B2B_TABLE_CONTRACTS), 3);
	b2b_book_unref(b);
	b = write_and_load("basic", 1, 3, 1, 0);
	ck_assert_uint_eq(b2b_book_count(b, B2B_TABLE_CONTRACTS), 0);
	b2b_book_unref(b);
}
END_TEST

START_TEST(test_deterministic)
{
	b2b_book *a = write_and_load("full", 42, 300, 20, 120);
	b2b_book *b = write_and_load("full", 42, 300, 20, 120);
	b2b_book *c = write_and_load("full", 43, 300, 20, 120);

	ck_assert_str_eq(b2b_book_fingerprint(a), b2b_book_fingerprint(b));
	ck_assert_str_ne(b2b_book_fingerprint(a), b2b_book_fingerprint(c));
	b2b_book_unref(a);
	b2b_book_unref(b);
	b2b_book_unref(c);
}
END_TEST

START_TEST(test_bad_arguments)
{
	char dir[] = "/tmp/b2b-synth-XXXXXX";

	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(synth_write_book(dir, "huge", 1, 10, 10, 10), -1);
	ck_assert_int_eq(synth_write_book(dir, "basic", 1, 0, 10, 10), -1);
	ck_assert_int_eq(synth_write_book(dir, "basic", 1, 10, 0, 10), -1);
	ck_assert_int_eq(synth_write_book("/proc/no/such/dir", "basic", 1, 10, 10, 10), -1);
	remove_dir(dir);
}
END_TEST

static Suite *
synth_suite(void)
{
	Suite *s = suite_create("synth");
	TCase *tc = tcase_create("Core");

	tcase_add_test(tc, test_basic_profile);
	tcase_add_test(tc, test_full_profile);
	tcase_add_test(tc, test_deterministic);
	suite_add_tcase(s, tc);
	tc = tcase_create("Limits");
	tcase_add_test(tc, test_tiny_sizes);
	suite_add_tcase(s, tc);
	tc = tcase_create("Errors");
	tcase_add_test(tc, test_bad_arguments);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return b2b_test_run(synth_suite());
}
