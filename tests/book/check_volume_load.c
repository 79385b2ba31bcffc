/*
 * Tests: loading SPEC §10's files, volume_agreements.csv and
 * customer_volumes.csv: one test per load rule (the exact diagnostic:
 * file, line, column, message; no book built), an accepting book, the
 * fingerprint (tiers normalised like points; unchanged for a book without
 * the files) and the builder API.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "b2b.h"
#include "book_int.h"
#include "support/testmain.h"

#include "book_test.h"

#define PRODUCTS { "products.csv", "sku,list_price,category\nA1,10,tools/hand\nA2,20,paint\n" }
#define CUSTOMERS { "customers.csv", "id,segment\nC1,gold\nC2,silver\nC3,\n" }
#define VA_HDR "id,party,scope,basis,kind,tiers,currency,valid_from,valid_until\n"
#define VA(rows) { "volume_agreements.csv", VA_HDR rows }
#define CV(rows) { "customer_volumes.csv", "customer,agreement,volume\n" rows }

/* A good agreement row, for the volume tests. */
#define Q1 "Q1,customer:C1,category:tools,qty,discount,0:0;100:2,,2026-01-01,2026-04-01\n"

/* ---- volume_agreements.csv cells ---- */
ERR_TEST(t_va_dup_id, "volume_agreements.csv", 3, 1,
         "id: duplicate agreement id \"Q1\" (first on line 2)",
         PRODUCTS, CUSTOMERS, VA(Q1 "Q1,segment:gold,all,qty,rebate,0:1,,,\n"))
ERR_TEST(t_va_party_syntax, "volume_agreements.csv", 2, 2,
         "party: expected customer:ID or segment:S, got \"C1\"",
         PRODUCTS, CUSTOMERS, VA("Q1,C1,all,qty,discount,0:1,,,\n"))
ERR_TEST(t_va_party_unknown_customer, "volume_agreements.csv", 2, 2,
         "party: unknown customer \"C9\"",
         PRODUCTS, CUSTOMERS, VA("Q1,customer:C9,all,qty,discount,0:1,,,\n"))
ERR_TEST(t_va_party_unknown_segment, "volume_agreements.csv", 2, 2,
         "party: no customer has segment \"bronze\"",
         PRODUCTS, CUSTOMERS, VA("Q1,segment:bronze,all,qty,discount,0:1,,,\n"))
ERR_TEST(t_va_basis_enum, "volume_agreements.csv", 2, 4,
         "basis: expected qty or amount, got \"value\"",
         PRODUCTS, CUSTOMERS, VA("Q1,customer:C1,all,value,discount,0:1,,,\n"))
ERR_TEST(t_va_kind_enum, "volume_agreements.csv", 2, 5,
         "kind: expected discount or rebate, got \"bonus\"",
         PRODUCTS, CUSTOMERS, VA("Q1,customer:C1,all,qty,bonus,0:1,,,\n"))
ERR_TEST(t_va_currency_on_qty, "volume_agreements.csv", 2, 7,
         "currency: not used by a qty agreement (only amount agreements have a currency) "
         "(leave it empty), got \"EUR\"",
         PRODUCTS, CUSTOMERS, VA("Q1,customer:C1,all,qty,discount,0:1,EUR,,\n"))
ERR_TEST(t_va_currency_unknown, "volume_agreements.csv", 2, 7,
         "currency: unknown currency \"XYZ\"",
         PRODUCTS, CUSTOMERS, VA("Q1,customer:C1,all,amount,rebate,0:1,XYZ,,\n"))
/* 100 then 100: not strictly ascending */
ERR_TEST(t_va_tiers_not_ascending, "volume_agreements.csv", 2, 6,
         "tiers: expected thresholds strictly ascending, got \"100:3\" after a tier with the "
         "same or a greater threshold",
         PRODUCTS, CUSTOMERS, VA("Q1,customer:C1,all,qty,discount,0:1;100:2;100:3,,,\n"))
ERR_TEST(t_va_tiers_descending, "volume_agreements.csv", 2, 6,
         "tiers: expected thresholds strictly ascending, got \"50:3\"",
         PRODUCTS, CUSTOMERS, VA("Q1,customer:C1,all,qty,discount,0:1;100:2;50:3,,,\n"))
ERR_TEST(t_va_tiers_blank, "volume_agreements.csv", 2, 6,
         "tiers: expected tiers like 0:2;100:3.5 (threshold:percent, thresholds strictly "
         "ascending, no blanks), got \"0:1; 100:2\"",
         PRODUCTS, CUSTOMERS, VA("Q1,customer:C1,all,qty,discount,\"0:1; 100:2\",,,\n"))
ERR_TEST(t_va_tiers_empty_piece, "volume_agreements.csv", 2, 6,
         "tiers: expected tiers like 0:2;100:3.5",
         PRODUCTS, CUSTOMERS, VA("Q1,customer:C1,all,qty,discount,0:1;;100:2,,,\n"))
ERR_TEST(t_va_tiers_percent_above_100, "volume_agreements.csv", 2, 6,
         "tiers: expected a percent from 0 to 100, got \"100:100.5\"",
         PRODUCTS, CUSTOMERS, VA("Q1,customer:C1,all,qty,discount,0:1;100:100.5,,,\n"))
ERR_TEST(t_va_tiers_percent_negative, "volume_agreements.csv", 2, 6,
         "tiers: expected a percent from 0 to 100, got \"0:-1\"",
         PRODUCTS, CUSTOMERS, VA("Q1,customer:C1,all,qty,discount,0:-1,,,\n"))
ERR_TEST(t_va_tiers_threshold_negative, "volume_agreements.csv", 2, 6,
         "tiers: expected thresholds of at least 0, got \"-5:1\"",
         PRODUCTS, CUSTOMERS, VA("Q1,customer:C1,all,qty,discount,-5:1,,,\n"))
ERR_TEST(t_va_tiers_no_colon, "volume_agreements.csv", 2, 6,
         "tiers: expected threshold:percent pairs like 100:2.5, got \"100\"",
         PRODUCTS, CUSTOMERS, VA("Q1,customer:C1,all,qty,discount,100,,,\n"))
ERR_TEST(t_va_tiers_not_decimal, "volume_agreements.csv", 2, 6,
         "tiers: expected threshold:percent pairs of decimals like 100:2.5, got \"1e2:1\"",
         PRODUCTS, CUSTOMERS, VA("Q1,customer:C1,all,qty,discount,1e2:1,,,\n"))
ERR_TEST(t_va_tiers_missing, "volume_agreements.csv", 2, 6,
         "tiers: ",
         PRODUCTS, CUSTOMERS, VA("Q1,customer:C1,all,qty,discount,,,,\n"))
ERR_TEST(t_va_window, "volume_agreements.csv", 2, 9,
         "valid_until: expected a date after valid_from \"2026-04-01\", got \"2026-01-01\"",
         PRODUCTS, CUSTOMERS, VA("Q1,customer:C1,all,qty,discount,0:1,,2026-04-01,2026-01-01\n"))
ERR_TEST(t_va_scope_syntax, "volume_agreements.csv", 2, 3, "scope: expected",
         PRODUCTS, CUSTOMERS, VA("Q1,customer:C1,tools,qty,discount,0:1,,,\n"))
ERR_TEST(t_va_unknown_column, "volume_agreements.csv", 1, 10, "unknown column \"region\"",
         PRODUCTS, CUSTOMERS,
         { "volume_agreements.csv", "id,party,scope,basis,kind,tiers,currency,valid_from,valid_until,region\n"
		  "Q1,customer:C1,all,qty,discount,0:1,,,,x\n" })

/* ---- customer_volumes.csv ---- */
ERR_TEST(t_cv_unknown_customer, "customer_volumes.csv", 2, 1,
         "customer: unknown customer \"C9\"",
         PRODUCTS, CUSTOMERS, VA(Q1), CV("C9,Q1,5\n"))
ERR_TEST(t_cv_unknown_agreement, "customer_volumes.csv", 2, 2,
         "agreement: unknown agreement \"Q9\"",
         PRODUCTS, CUSTOMERS, VA(Q1), CV("C1,Q9,5\n"))
ERR_TEST(t_cv_not_covered_customer, "customer_volumes.csv", 2, 1,
         "customer: \"C2\" is not a party of agreement \"Q1\" (party customer:C1)",
         PRODUCTS, CUSTOMERS, VA(Q1), CV("C2,Q1,5\n"))
ERR_TEST(t_cv_not_covered_segment, "customer_volumes.csv", 2, 1,
         "customer: \"C3\" is not a party of agreement \"G1\" (party segment:gold)",
         PRODUCTS, CUSTOMERS, VA("G1,segment:gold,all,qty,rebate,0:1,,,\n"), CV("C3,G1,5\n"))
ERR_TEST(t_cv_duplicate, "customer_volumes.csv", 3, 2,
         "agreement: duplicate volume for customer \"C1\" and agreement \"Q1\" (first on line 2)",
         PRODUCTS, CUSTOMERS, VA(Q1), CV("C1,Q1,5\nC1,Q1,7\n"))
ERR_TEST(t_cv_negative, "customer_volumes.csv", 2, 3,
         "volume: expected a decimal >= 0",
         PRODUCTS, CUSTOMERS, VA(Q1), CV("C1,Q1,-1\n"))
ERR_TEST(t_cv_missing_volume, "customer_volumes.csv", 2, 3, "volume: ",
         PRODUCTS, CUSTOMERS, VA(Q1), CV("C1,Q1,\n"))
ERR_TEST(t_cv_digits, "customer_volumes.csv", 2, 3, "9 fractional digits",
         PRODUCTS, CUSTOMERS, VA(Q1), CV("C1,Q1,1.0000000001\n"))

/* An accepting book: counts, resolved records, tiers with their texts. */
START_TEST(t_va_ok)
{
	static const bfile f[] = {
		PRODUCTS, CUSTOMERS,
		VA("R1,segment:gold,all,amount,rebate,0:1;10000.50:2.50,EUR,2026-01-01,2027-01-01\n" Q1
		   "R2,segment:gold,sku:A2,amount,rebate,0:1,,,\n"),
		CV("C1,R1,9500\nC1,Q1,90\n"),
		END
	};
	b2b_book *book = expect_ok(f, NULL);
	const b2b__agreement *a;

	ck_assert_uint_eq(b2b_book_count(book, B2B_TABLE_VOLUME_AGREEMENTS), 3);
	ck_assert_uint_eq(b2b_book_count(book, B2B_TABLE_CUSTOMER_VOLUMES), 2);
	ck_assert_uint_eq(book->nagreements, 3);
	a = &book->agreements[0];   /* sorted by id: Q1, R1, R2 */
	ck_assert_str_eq(b2b__s(book, a->id), "Q1");
	ck_assert_uint_eq(a->customer, 0);
	ck_assert_int_eq(a->kind, B2B__VA_DISCOUNT);
	ck_assert_uint_eq(a->tiers_n, 2);
	a = &book->agreements[1];
	ck_assert_str_eq(b2b__s(book, a->id), "R1");
	ck_assert_str_eq(book->currencies[a->currency].code, "EUR");
	ck_assert_str_eq(b2b__s(book, book->tiers[a->tiers_off + 1].threshold_text), "10000.50");
	ck_assert_str_eq(b2b__s(book, book->tiers[a->tiers_off + 1].percent_text), "2.50");
	/* R2: amount without currency → base (USD) */
	ck_assert_str_eq(book->currencies[book->agreements[2].currency].code, "USD");
	/* volumes sorted by (customer, agreement): C1/Q1 then C1/R1 */
	ck_assert_uint_eq(book->cvolumes[0].agreement, 0);
	ck_assert_uint_eq(book->cvolumes[1].agreement, 1);
	b2b_book_unref(book);
}
END_TEST

/* Fingerprint: tiers normalised (2.50 = 2.5, 100.0 = 100), row order and
 * column order do not matter; a book without the files keeps the
 * fingerprint it had (the tables are not written), and one with them
 * differs. */
START_TEST(t_va_fingerprint)
{
	static const bfile a[] = {
		PRODUCTS, CUSTOMERS,
		VA(Q1 "R1,segment:gold,all,amount,rebate,0:1;100.0:2.50,EUR,,\n"),
		CV("C1,Q1,90\nC1,R1,5\n"), END
	};
	static const bfile b[] = {
		PRODUCTS, CUSTOMERS,
		{ "volume_agreements.csv", "kind,id,party,scope,basis,tiers,currency,valid_from,"
		  "valid_until\nrebate,R1,segment:gold,all,amount,0:1;100:2.5,EUR,,\n"
		  "discount,Q1,customer:C1,category:tools,qty,0.0:0;100:2.0,,2026-01-01,2026-04-01\n" },
		CV("C1,R1,5.00\nC1,Q1,90\n"), END
	};
	static const bfile c[] = {
		PRODUCTS, CUSTOMERS,
		VA(Q1 "R1,segment:gold,all,amount,rebate,0:1;100:2.6,EUR,,\n"),
		CV("C1,Q1,90\nC1,R1,5\n"), END
	};
	static const bfile none[] = { PRODUCTS, CUSTOMERS, END };
	static const bfile empty[] = { PRODUCTS, CUSTOMERS, VA(""), CV(""), END };
	b2b_book *ba = expect_ok(a, NULL), *bb = expect_ok(b, NULL), *bc = expect_ok(c, NULL);
	b2b_book *bn = expect_ok(none, NULL), *be = expect_ok(empty, NULL);

	ck_assert_str_eq(b2b_book_fingerprint(ba), b2b_book_fingerprint(bb));
	ck_assert_str_ne(b2b_book_fingerprint(ba), b2b_book_fingerprint(bc));
	ck_assert_str_ne(b2b_book_fingerprint(ba), b2b_book_fingerprint(bn));
	ck_assert_str_eq(b2b_book_fingerprint(bn), b2b_book_fingerprint(be));
	b2b_book_unref(ba);
	b2b_book_unref(bb);
	b2b_book_unref(bc);
	b2b_book_unref(bn);
	b2b_book_unref(be);
}
END_TEST

/* The builder API takes the same tables with the same checks. */
START_TEST(t_va_builder)
{
	static const char *const pcols[] = { "sku", "list_price" };
	static const char *const ccols[] = { "id", "segment" };
	static const char *const vcols[] = { "id", "party", "scope", "basis", "kind", "tiers" };
	static const char *const wcols[] = { "customer", "agreement", "volume" };
	const char *prow[] = { "A1", "10" };
	const char *crow[] = { "C1", "gold" };
	const char *vrow[] = { "Q1", "customer:C1", "all", "qty", "discount", "0:1;10:2" };
	const char *vbad[] = { "Q2", "customer:C1", "all", "qty", "discount", "10:1;5:2" };
	const char *wrow[] = { "C1", "Q1", "3" };
	b2b_ctx *ctx;
	b2b_book_builder *bld;
	b2b_book *book = NULL;

	ck_assert_int_eq(b2b_ctx_new(&ctx, NULL), 0);
	ck_assert_int_eq(b2b_book_builder_new(&bld, ctx, NULL), 0);
	ck_assert_int_eq(b2b_book_builder_begin_table(bld, ctx, B2B_TABLE_PRODUCTS, pcols, 2, "p"), 0);
	ck_assert_int_eq(b2b_book_builder_add_row(bld, ctx, prow, NULL, 2, 2), 0);
	ck_assert_int_eq(b2b_book_builder_begin_table(bld, ctx, B2B_TABLE_CUSTOMERS, ccols, 2, "c"), 0);
	ck_assert_int_eq(b2b_book_builder_add_row(bld, ctx, crow, NULL, 2, 2), 0);
	ck_assert_int_eq(b2b_book_builder_begin_table(bld, ctx, B2B_TABLE_VOLUME_AGREEMENTS, vcols,
	                                              6, "va"), 0);
	ck_assert_int_eq(b2b_book_builder_add_row(bld, ctx, vrow, NULL, 6, 2), 0);
	ck_assert_int_eq(b2b_book_builder_begin_table(bld, ctx, B2B_TABLE_CUSTOMER_VOLUMES, wcols,
	                                              3, "cv"), 0);
	ck_assert_int_eq(b2b_book_builder_add_row(bld, ctx, wrow, NULL, 3, 2), 0);
	ck_assert_int_eq(b2b_book_builder_finish(&book, ctx, bld), 0);
	ck_assert_uint_eq(book->nagreements, 1);
	ck_assert_uint_eq(book->ncvolumes, 1);
	b2b_book_unref(book);
	b2b_book_builder_free(bld);

	/* a bad tier through the builder: the same message, at the source's line */
	b2b_ctx_reset(ctx);
	ck_assert_int_eq(b2b_book_builder_new(&bld, ctx, NULL), 0);
	ck_assert_int_eq(b2b_book_builder_begin_table(bld, ctx, B2B_TABLE_PRODUCTS, pcols, 2, "p"), 0);
	ck_assert_int_eq(b2b_book_builder_add_row(bld, ctx, prow, NULL, 2, 2), 0);
	ck_assert_int_eq(b2b_book_builder_begin_table(bld, ctx, B2B_TABLE_CUSTOMERS, ccols, 2, "c"), 0);
	ck_assert_int_eq(b2b_book_builder_add_row(bld, ctx, crow, NULL, 2, 2), 0);
	ck_assert_int_eq(b2b_book_builder_begin_table(bld, ctx, B2B_TABLE_VOLUME_AGREEMENTS, vcols,
	                                              6, "va"), 0);
	b2b_book_builder_add_row(bld, ctx, vbad, NULL, 6, 2);
	ck_assert_int_eq(b2b_book_builder_finish(&book, ctx, bld), B2B_EBOOK);
	ck_assert_ptr_null(book);
	diag_is(ctx, 0, "va", 2, 6, "tiers: expected thresholds strictly ascending, got \"5:2\"");
	b2b_book_builder_free(bld);
	b2b_ctx_free(ctx);
}
END_TEST

static Suite *
volume_load_suite(void)
{
	Suite *s = suite_create("volume_load");
	TCase *tc = tcase_create("rules");

	tcase_add_test(tc, t_va_dup_id);
	tcase_add_test(tc, t_va_party_syntax);
	tcase_add_test(tc, t_va_party_unknown_customer);
	tcase_add_test(tc, t_va_party_unknown_segment);
	tcase_add_test(tc, t_va_basis_enum);
	tcase_add_test(tc, t_va_kind_enum);
	tcase_add_test(tc, t_va_currency_on_qty);
	tcase_add_test(tc, t_va_currency_unknown);
	tcase_add_test(tc, t_va_tiers_not_ascending);
	tcase_add_test(tc, t_va_tiers_descending);
	tcase_add_test(tc, t_va_tiers_blank);
	tcase_add_test(tc, t_va_tiers_empty_piece);
	tcase_add_test(tc, t_va_tiers_percent_above_100);
	tcase_add_test(tc, t_va_tiers_percent_negative);
	tcase_add_test(tc, t_va_tiers_threshold_negative);
	tcase_add_test(tc, t_va_tiers_no_colon);
	tcase_add_test(tc, t_va_tiers_not_decimal);
	tcase_add_test(tc, t_va_tiers_missing);
	tcase_add_test(tc, t_va_window);
	tcase_add_test(tc, t_va_scope_syntax);
	tcase_add_test(tc, t_va_unknown_column);
	tcase_add_test(tc, t_cv_unknown_customer);
	tcase_add_test(tc, t_cv_unknown_agreement);
	tcase_add_test(tc, t_cv_not_covered_customer);
	tcase_add_test(tc, t_cv_not_covered_segment);
	tcase_add_test(tc, t_cv_duplicate);
	tcase_add_test(tc, t_cv_negative);
	tcase_add_test(tc, t_cv_missing_volume);
	tcase_add_test(tc, t_cv_digits);
	tcase_add_test(tc, t_va_ok);
	tcase_add_test(tc, t_va_fingerprint);
	tcase_add_test(tc, t_va_builder);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return b2b_test_run(volume_load_suite());
}
