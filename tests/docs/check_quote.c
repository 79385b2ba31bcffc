/*
 * Tests: quote and price documents (SPEC §4, §5.7, §6, §9): hand-computed
 * documents, every error code with its path, warnings, the JSON request
 * reader, the builder calls, and properties over random books and
 * documents (seeded; the seed is printed on failure).
 *
 * Every expected figure below was worked out by hand from the SPEC; the
 * comments show the arithmetic.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "b2b.h"
#include "b2b/book.h"
#include "b2b/date.h"
#include "b2b/json.h"
#include "b2b/price.h"
#include "b2b/quote.h"
#include "support/failalloc.h"
#include "support/testmain.h"

/*===========================================================================
 * MARK: - helpers
 *===========================================================================*/

#include "doc_test.h"

#define CK(path, want) ck_assert_str_eq(js(R.doc, (path)), (want))

#define SETTINGS_EUR "# settings\nkey,value\nbase_currency,EUR\n"

/* The base book: EUR base, CHF with a cash increment, EUR→USD 1.1,
 * EUR→CHF 0.95, taxes std 19 (DE) / 20 (*), food 7 (DE) / 0 (*). */
#define BOOK_BASE                                                   \
	"# currencies\ncode,minor_units,cash_increment\nCHF,2,0.05\n"   \
	"# fx_rates\nfrom,to,rate\nEUR,USD,1.1\nEUR,CHF,0.95\n"        \
	"# products\nsku,list_price,cost,tax_class,status,currency\n"  \
	"A,10.00,6.00,std,,\n"                                          \
	"B,3.33,,std,,\n"                                               \
	"C,0.01,,food,,\n"                                              \
	"N,7.00,,,,\n"                                                  \
	"S,0.03,,std,,\n"                                               \
	"X,5.00,2.00,std,inactive,\n"                                   \
	"Z,0,0,std,,\n"                                                 \
	"G,10.00,,std,,GBP\n"                                           \
	"# customers\nid,segment,channel,currency\n"                   \
	"C1,retail,web,\nC2,pro,,USD\nC3,,,CHF\nC4,pro,,\n"            \
	"# taxes\ntax_class,region,rate_percent\n"                     \
	"std,DE,19\nstd,*,20\nfood,DE,7\nfood,*,0\n"

#define HDR "'quote_id': 'Q1', 'customer': 'C1', 'as_of': '2026-06-15', "

/*===========================================================================
 * MARK: - Core: documents
 *===========================================================================*/

/* The whole document of a one-line quote, byte for byte: key order,
 * scales, waterfall, nulls (SPEC §4). */
START_TEST(test_document_bytes)
{
	b2b_book *book = mkbook(SETTINGS_EUR BOOK_BASE);
	qrun R;
	char want[4096];

	quote(&R, book, "{" HDR "'ship_to': 'DE', 'lines': [{'sku': 'A', 'qty': '3'}]}");
	ck_assert_int_eq(R.rc, 0);
	snprintf(want, sizeof(want),
	         "{\n"
	         "  \"quote_id\": \"Q1\",\n"
	         "  \"customer\": \"C1\",\n"
	         "  \"as_of\": \"2026-06-15\",\n"
	         "  \"currency\": \"EUR\",\n"
	         "  \"channel\": \"web\",\n"
	         "  \"ship_to\": \"DE\",\n"
	         "  \"fingerprint\": \"%s\",\n"
	         "  \"status\": \"draft\",\n"
	         "  \"revision\": 1,\n"
	         "  \"valid_until\": null,\n"
	         "  \"lines\": [\n"
	         "    {\n"
	         "      \"sku\": \"A\",\n"
	         "      \"qty\": \"3\",\n"
	         "      \"list_price\": \"10.0000\",\n"
	         "      \"unit_price\": \"10.0000\",\n"
	         "      \"amount\": \"30.00\",\n"
	         "      \"order_discount\": \"0.00\",\n"
	         "      \"net_amount\": \"30.00\",\n"
	         "      \"tax_rate\": \"19.00\",\n"
	         "      \"tax\": \"5.70\",\n"
	         "      \"total\": \"35.70\",\n"
	         "      \"cost\": \"18.00\",\n"
	         "      \"margin\": \"12.00\",\n"
	         "      \"discount_percent\": \"0.00\",\n"
	         "      \"protected\": false,\n"
	         "      \"below_floor\": false,\n"
	         "      \"waterfall\": [\n"
	         "        {\n"
	         "          \"step\": \"list\",\n"
	         "          \"source\": \"product:A\",\n"
	         "          \"before\": \"10.000000000\",\n"
	         "          \"after\": \"10.000000000\"\n"
	         "        },\n"
	         "        {\n"
	         "          \"step\": \"rounding\",\n"
	         "          \"source\": \"unit_price_decimals:4\",\n"
	         "          \"before\": \"10.000000000\",\n"
	         "          \"after\": \"10.000000000\"\n"
	         "        }\n"
	         "      ]\n"
	         "    }\n"
	         "  ],\n"
	         "  \"subtotal\": \"30.00\",\n"
	         "  \"discounts\": [],\n"
	         "  \"discount_total\": \"0.00\",\n"
	         "  \"taxes\": [\n"
	         "    {\n"
	         "      \"rate\": \"19.00\",\n"
	         "      \"base\": \"30.00\",\n"
	         "      \"amount\": \"5.70\"\n"
	         "    }\n"
	         "  ],\n"
	         "  \"tax_total\": \"5.70\",\n"
	         "  \"total\": \"35.70\",\n"
	         "  \"margin\": \"12.00\",\n"
	         "  \"margin_percent\": \"40.00\",\n"
	         "  \"approval\": {\n"
	         "    \"level\": 0,\n"
	         "    \"reasons\": []\n"
	         "  },\n"
	         "  \"warnings\": []\n"
	         "}\n",
	         b2b_book_fingerprint(book));
	if (strcmp(R.json, want) != 0)
		show(&R);
	ck_assert_str_eq(R.json, want);
	/* the accessors agree */
	ck_assert_str_eq(b2b_quote_id(R.q), "Q1");
	ck_assert_int_eq(b2b_quote_status(R.q), B2B_QUOTE_DRAFT);
	ck_assert_str_eq(b2b_quote_state_name(b2b_quote_status(R.q)), "draft");
	ck_assert_int_eq(b2b_quote_revision(R.q), 1);
	ck_assert_int_eq(b2b_quote_status(NULL), (b2b_quote_state)-1);
	ck_assert_int_eq(b2b_quote_revision(NULL), 0);
	ck_assert_int_eq(b2b_quote_minor_units(R.q), 2);
	ck_assert_int_eq(b2b_quote_unit_price_decimals(R.q), 4);
	ck_assert_uint_eq(b2b_quote_line_count(R.q), 1);
	ck_assert_uint_eq(b2b_quote_line_step_count(R.q, 0), 2);
	ck_assert_str_eq(b2b_step_name(b2b_quote_line_step(R.q, 0, 1)), "rounding");
	ck_assert_uint_eq(b2b_quote_error_count(R.q), 0);
	done(&R);
	b2b_book_unref(book);
}
END_TEST

static int
dec_eq(b2b_dec d, const char *want)
{
	b2b_dec w;

	ck_assert_int_eq(b2b_dec_parse(&w, NULL, want, strlen(want), 0), 0);
	return b2b_dec_cmp(d, w) == 0;
}

/* Allocation of an order discount by largest remainder (SPEC §5.7). */
START_TEST(test_allocation_remainders)
{
	b2b_book *book = mkbook(SETTINGS_EUR BOOK_BASE
	                        "# promotions\nid,kind,value\nO5,order_percent,5\n");
	qrun R;
	b2b_dec d;

	/* amounts 30.00, 3.33, 0.07 → subtotal 33.40; cut round(1.67) = 1.67.
	 * quotas 1.5, 0.1665, 0.0035 → 1.50, 0.16, 0.00 (1.66); the cent
	 * left goes to the largest remainder, line 1 (.0065 > .0035). */
	quote(&R, book, "{" HDR "'lines': [{'sku': 'A', 'qty': '3'}, {'sku': 'B', 'qty': 1},"
	                " {'sku': 'C', 'qty': '7'}]}");
	ck_assert_int_eq(R.rc, 0);
	CK("subtotal", "33.40");
	CK("discounts[0].promotion", "O5");
	CK("discounts[0].amount", "1.67");
	CK("discount_total", "1.67");
	CK("lines[0].order_discount", "1.50");
	CK("lines[1].order_discount", "0.17");
	CK("lines[2].order_discount", "0.00");
	CK("lines[0].net_amount", "28.50");
	CK("lines[1].net_amount", "3.16");
	CK("lines[2].net_amount", "0.07");
	/* no ship_to: the '*' rows. 28.50 × 20 % = 5.70; 3.16 × 20 % = 0.632
	 * → 0.63; food '*' is 0 */
	CK("lines[0].tax", "5.70");
	CK("lines[1].tax", "0.63");
	CK("lines[2].tax_rate", "0.00");
	CK("lines[2].tax", "0.00");
	CK("lines[0].total", "34.20");
	CK("lines[1].total", "3.79");
	CK("lines[2].total", "0.07");
	CK("tax_total", "6.33");
	CK("total", "38.06");        /* 33.40 − 1.67 + 6.33 */
	CK("taxes[0].rate", "0.00");
	CK("taxes[0].base", "0.07");
	CK("taxes[0].amount", "0.00");
	CK("taxes[1].rate", "20.00");
	CK("taxes[1].base", "31.66");
	CK("taxes[1].amount", "6.33");
	/* only line 0 has a cost: 18.00; margin 10.50 over net 28.50 = 36.84 % */
	CK("lines[0].cost", "18.00");
	CK("lines[0].margin", "10.50");
	CK("lines[1].cost", "null");
	CK("lines[1].margin", "null");
	CK("margin", "10.50");
	CK("margin_percent", "36.84");
	ck_assert(dec_eq(b2b_quote_line_order_discount(R.q, 1), "0.17"));
	ck_assert_int_eq(b2b_quote_margin_percent(&d, R.q), 0);
	ck_assert(dec_eq(d, "36.84"));
	ck_assert_int_eq(b2b_quote_line_cost(&d, R.q, 1), B2B_ENOTFOUND);
	ck_assert_uint_eq(b2b_quote_discount_count(R.q), 1);
	ck_assert_str_eq(b2b_quote_discount_promotion(R.q, 0), "O5");
	done(&R);
	b2b_book_unref(book);
}
END_TEST

/* Rates by ship_to, a product without tax class, the 0 % rate listed,
 * taxes ascending. */
START_TEST(test_taxes_by_region)
{
	b2b_book *book = mkbook(SETTINGS_EUR BOOK_BASE);
	qrun R;

	/* A 10.00 at 19 % = 1.90; C × 100 = 1.00 at 7 % = 0.07; N (no class) 0 */
	quote(&R, book, "{" HDR "'ship_to': 'DE', 'lines': [{'sku': 'A', 'qty': '1'},"
	                " {'sku': 'C', 'qty': '100'}, {'sku': 'N', 'qty': '1'}]}");
	ck_assert_int_eq(R.rc, 0);
	CK("lines[0].tax_rate", "19.00");
	CK("lines[1].tax_rate", "7.00");
	CK("lines[1].tax", "0.07");
	CK("lines[2].tax_rate", "0.00");
	CK("taxes", "[3]");
	CK("taxes[0].rate", "0.00");
	CK("taxes[0].base", "7.00");
	CK("taxes[1].rate", "7.00");
	CK("taxes[1].amount", "0.07");
	CK("taxes[2].rate", "19.00");
	CK("taxes[2].amount", "1.90");
	CK("tax_total", "1.97");
	CK("total", "19.97");
	done(&R);
	b2b_book_unref(book);
}
END_TEST

START_TEST(test_margin_null_without_costs)
{
	b2b_book *book = mkbook(SETTINGS_EUR BOOK_BASE);
	qrun R;
	b2b_dec d;

	quote(&R, book, "{" HDR "'lines': [{'sku': 'B', 'qty': '2'}, {'sku': 'N', 'qty': '1'}]}");
	ck_assert_int_eq(R.rc, 0);
	CK("margin", "null");
	CK("margin_percent", "null");
	CK("lines[0].cost", "null");
	CK("lines[1].margin", "null");
	ck_assert_int_eq(b2b_quote_margin(&d, R.q), B2B_ENOTFOUND);
	done(&R);
	b2b_book_unref(book);
}
END_TEST

/* SPEC §9.12: margin_percent 0.00 when Σ net is 0; discount_percent 0 at
 * list price 0. */
START_TEST(test_margin_zero_net)
{
	b2b_book *book = mkbook(SETTINGS_EUR BOOK_BASE);
	qrun R;

	quote(&R, book, "{" HDR "'lines': [{'sku': 'Z', 'qty': '5'}]}");
	ck_assert_int_eq(R.rc, 0);
	CK("lines[0].amount", "0.00");
	CK("lines[0].cost", "0.00");
	CK("lines[0].margin", "0.00");
	CK("lines[0].discount_percent", "0.00");
	CK("margin", "0.00");
	CK("margin_percent", "0.00");
	CK("total", "0.00");
	done(&R);
	b2b_book_unref(book);
}
END_TEST

/* A requested price replaces the engine's (step `requested`); discount
 * percent from the rounded list and unit prices; negative for a markup. */
START_TEST(test_requested_and_discount_percent)
{
	b2b_book *book = mkbook(SETTINGS_EUR BOOK_BASE);
	qrun R;
	size_t n;

	quote(&R, book, "{" HDR "'lines': [{'sku': 'A', 'qty': '2', 'requested_unit_price': '7.5'},"
	                " {'sku': 'A', 'qty': '1', 'requested_unit_price': 12.5},"
	                " {'sku': 'B', 'qty': '1', 'requested_unit_price': '2.22'}]}");
	ck_assert_int_eq(R.rc, 0);
	CK("lines[0].unit_price", "7.5000");
	CK("lines[0].list_price", "10.0000");
	CK("lines[0].amount", "15.00");
	CK("lines[0].discount_percent", "25.00");
	CK("lines[1].discount_percent", "-25.00");
	/* (3.33 − 2.22) ÷ 3.33 × 100 = 33.333… → 33.33 */
	CK("lines[2].discount_percent", "33.33");
	n = b2b_quote_line_step_count(R.q, 0);
	ck_assert_uint_eq(n, 3);
	CK("lines[0].waterfall[1].step", "requested");
	CK("lines[0].waterfall[1].source", "request");
	CK("lines[0].waterfall[1].before", "10.000000000");
	CK("lines[0].waterfall[1].after", "7.500000000");
	CK("lines[0].waterfall[2].step", "rounding");
	done(&R);
	b2b_book_unref(book);
}
END_TEST

/* SPEC §9.9: UNKNOWN_CODE once per distinct code in codes order, then
 * INACTIVE_SKU by line. */
START_TEST(test_warnings_order)
{
	b2b_book *book = mkbook(SETTINGS_EUR BOOK_BASE
	                        "# promotions\nid,kind,value,scope,code\nPL,percent,10,sku:N,SAVE\n");
	qrun R;

	quote(&R, book, "{" HDR "'codes': ['NOPE', 'SAVE', 'NOPE', 'AAA'], 'lines': ["
	                "{'sku': 'X', 'qty': '1'}, {'sku': 'A', 'qty': '1'}, {'sku': 'X', 'qty': '2'}]}");
	ck_assert_int_eq(R.rc, 0);
	CK("codes", "[4]");
	CK("codes[2]", "NOPE");
	CK("warnings", "[4]");
	CK("warnings[0].code", "UNKNOWN_CODE");
	CK("warnings[0].line", "<missing>");
	ck_assert_ptr_nonnull(strstr(js(R.doc, "warnings[0].message"), "NOPE"));
	CK("warnings[1].code", "UNKNOWN_CODE");
	ck_assert_ptr_nonnull(strstr(js(R.doc, "warnings[1].message"), "AAA"));
	CK("warnings[2].code", "INACTIVE_SKU");
	CK("warnings[2].line", "0");
	CK("warnings[3].code", "INACTIVE_SKU");
	CK("warnings[3].line", "2");
	/* the inactive sku was priced all the same */
	CK("lines[0].amount", "5.00");
	ck_assert_str_eq(b2b_quote_warning_code(R.q, 2), "INACTIVE_SKU");
	ck_assert_int_eq(b2b_quote_warning_line(R.q, 2), 0);
	ck_assert_int_eq(b2b_quote_warning_line(R.q, 0), -1);
	done(&R);
	b2b_book_unref(book);
}
END_TEST

/* SPEC §9.3: payable = round(total ÷ increment) × increment. */
START_TEST(test_cash_rounding)
{
	b2b_book *book = mkbook(SETTINGS_EUR BOOK_BASE);
	qrun R;
	b2b_dec d;

	/* CHF: A 10 × 0.95 = 9.50, tax 1.90; B r9(3.33 × 0.95) = 3.1635 → 3.16,
	 * tax 0.632 → 0.63; total 15.19 → 303.8 → 304 × 0.05 = 15.20 */
	quote(&R, book, "{'quote_id': 'Q', 'customer': 'C3', 'as_of': '2026-06-15',"
	                " 'cash_rounding': true, 'lines': [{'sku': 'A', 'qty': '1'},"
	                " {'sku': 'B', 'qty': '1'}]}");
	ck_assert_int_eq(R.rc, 0);
	CK("currency", "CHF");
	CK("channel", "null");
	CK("lines[1].list_price", "3.1635");
	CK("lines[1].amount", "3.16");
	CK("total", "15.19");
	CK("payable", "15.20");
	CK("cash_adjustment", "0.01");
	ck_assert_int_eq(b2b_quote_payable(&d, R.q), 0);
	ck_assert(dec_eq(d, "15.20"));
	done(&R);

	/* S × 2: 0.0285 × 2 = 0.057 → 0.06, tax 0.012 → 0.01, total 0.07 →
	 * 1.4 → 1 × 0.05 = 0.05: a negative adjustment */
	quote(&R, book, "{'quote_id': 'Q', 'customer': 'C3', 'as_of': '2026-06-15',"
	                " 'cash_rounding': true, 'lines': [{'sku': 'S', 'qty': '2'}]}");
	ck_assert_int_eq(R.rc, 0);
	CK("total", "0.07");
	CK("payable", "0.05");
	CK("cash_adjustment", "-0.02");
	done(&R);

	/* EUR has no cash increment: payable = total; not asked: absent */
	quote(&R, book, "{" HDR "'cash_rounding': true, 'lines': [{'sku': 'B', 'qty': '1'}]}");
	ck_assert_int_eq(R.rc, 0);
	CK("total", "4.00");  /* 3.33 + (0.666 → 0.67) */
	CK("payable", "4.00");
	CK("cash_adjustment", "0.00");
	done(&R);
	quote(&R, book, "{" HDR "'lines': [{'sku': 'B', 'qty': '1'}]}");
	CK("payable", "<missing>");
	ck_assert_int_eq(b2b_quote_payable(&d, R.q), B2B_ENOTFOUND);
	done(&R);
	b2b_book_unref(book);
}
END_TEST

#define PROMOS_O12                                                         \
	"# promotions\nid,kind,value,priority,stacking,min_subtotal\n"     \
	"O1,order_percent,10,10,,100\n"                                     \
	"O2,order_amount,5,0,,95\n"

/* min_subtotal is checked on the *original* subtotal (SPEC §5.7). */
START_TEST(test_order_promotions_original_subtotal)
{
	b2b_book *book = mkbook(SETTINGS_EUR BOOK_BASE PROMOS_O12);
	qrun R;

	/* 100.00: O1 cuts 10.00 (remaining 90); O2's 95 is checked on 100 */
	quote(&R, book, "{" HDR "'lines': [{'sku': 'A', 'qty': '10'}]}");
	ck_assert_int_eq(R.rc, 0);
	CK("discounts", "[2]");
	CK("discounts[0].promotion", "O1");
	CK("discounts[0].amount", "10.00");
	CK("discounts[1].promotion", "O2");
	CK("discounts[1].amount", "5.00");
	CK("discount_total", "15.00");
	CK("lines[0].order_discount", "15.00");
	CK("lines[0].net_amount", "85.00");
	CK("lines[0].tax", "17.00");
	CK("total", "102.00");
	done(&R);
	/* 90.00: neither minimum is reached */
	quote(&R, book, "{" HDR "'lines': [{'sku': 'A', 'qty': '9'}]}");
	ck_assert_int_eq(R.rc, 0);
	CK("discounts", "[0]");
	CK("discount_total", "0.00");
	done(&R);
	b2b_book_unref(book);
}
END_TEST

/* The cap trims the last cuts first; a cut trimmed to 0 is left out. */
START_TEST(test_order_cap_trims_last)
{
	b2b_book *book = mkbook("# settings\nkey,value\nbase_currency,EUR\nmax_discount_percent,12\n"
	                        BOOK_BASE PROMOS_O12);
	b2b_book *book10 = mkbook("# settings\nkey,value\nbase_currency,EUR\n"
	                          "max_discount_percent,10\n" BOOK_BASE PROMOS_O12);
	qrun R;

	/* cap 100 × 12 % = 12.00: O2's 5.00 is trimmed to 2.00 */
	quote(&R, book, "{" HDR "'lines': [{'sku': 'A', 'qty': '10'}]}");
	ck_assert_int_eq(R.rc, 0);
	CK("discounts[0].amount", "10.00");
	CK("discounts[1].promotion", "O2");
	CK("discounts[1].amount", "2.00");
	CK("discount_total", "12.00");
	CK("lines[0].order_discount", "12.00");
	done(&R);
	/* cap 10.00: O2 is trimmed to 0 and left out */
	quote(&R, book10, "{" HDR "'lines': [{'sku': 'A', 'qty': '10'}]}");
	ck_assert_int_eq(R.rc, 0);
	CK("discounts", "[1]");
	CK("discounts[0].promotion", "O1");
	CK("discount_total", "10.00");
	done(&R);
	b2b_book_unref(book);
	b2b_book_unref(book10);
}
END_TEST

/* The cap is rounded *down* to minor units; allocation of the capped total. */
START_TEST(test_order_cap_rounded_down)
{
	b2b_book *book = mkbook("# settings\nkey,value\nbase_currency,EUR\nmax_discount_percent,15\n"
	                        BOOK_BASE
	                        "# promotions\nid,kind,value,priority\n"
	                        "O3,order_percent,10,10\nO4,order_amount,5,0\n");
	qrun R;

	/* subtotal 33.33: O3 round(3.333) = 3.33, remaining 30.00; O4 5.00;
	 * sum 8.33 > cap 33.33 × 15 % = 4.9995 → 4.99 (down, not 5.00);
	 * O4 trimmed by 3.34 to 1.66. Allocation of 4.99 over 30.00 / 3.33:
	 * quotas 4.491449…, 0.498550… → 4.49 + 0.49, the cent to line 1. */
	quote(&R, book, "{" HDR "'lines': [{'sku': 'A', 'qty': '3'}, {'sku': 'B', 'qty': '1'}]}");
	ck_assert_int_eq(R.rc, 0);
	CK("subtotal", "33.33");
	CK("discounts[0].promotion", "O3");
	CK("discounts[0].amount", "3.33");
	CK("discounts[1].promotion", "O4");
	CK("discounts[1].amount", "1.66");
	CK("discount_total", "4.99");
	CK("lines[0].order_discount", "4.49");
	CK("lines[1].order_discount", "0.50");
	done(&R);
	b2b_book_unref(book);
}
END_TEST

/* exclusive: passed over once something applied; when first, it ends the walk. */
START_TEST(test_order_exclusive)
{
	b2b_book *b1 = mkbook(SETTINGS_EUR BOOK_BASE PROMOS_O12 "E1,order_percent,20,5,exclusive,\n");
	b2b_book *b2 = mkbook(SETTINGS_EUR BOOK_BASE PROMOS_O12 "E1,order_percent,20,20,exclusive,\n");
	qrun R;

	quote(&R, b1, "{" HDR "'lines': [{'sku': 'A', 'qty': '10'}]}");
	ck_assert_int_eq(R.rc, 0);
	CK("discounts", "[2]");
	CK("discounts[0].promotion", "O1");
	CK("discounts[1].promotion", "O2");
	CK("discount_total", "15.00");
	done(&R);
	quote(&R, b2, "{" HDR "'lines': [{'sku': 'A', 'qty': '10'}]}");
	ck_assert_int_eq(R.rc, 0);
	CK("discounts", "[1]");
	CK("discounts[0].promotion", "E1");
	CK("discounts[0].amount", "20.00");
	done(&R);
	b2b_book_unref(b1);
	b2b_book_unref(b2);
}
END_TEST

/* Coupon codes and segments gate order promotions. */
START_TEST(test_order_code_and_segment)
{
	b2b_book *book = mkbook(SETTINGS_EUR BOOK_BASE
	                        "# promotions\nid,kind,value,code,segment\n"
	                        "O5,order_percent,50,BIG,\nO6,order_percent,10,,pro\n");
	qrun R;

	quote(&R, book, "{" HDR "'lines': [{'sku': 'A', 'qty': '1'}]}");
	ck_assert_int_eq(R.rc, 0);
	CK("discounts", "[0]");
	done(&R);
	quote(&R, book, "{" HDR "'codes': ['BIG'], 'lines': [{'sku': 'A', 'qty': '1'}]}");
	ck_assert_int_eq(R.rc, 0);
	CK("discounts", "[1]");
	CK("discounts[0].promotion", "O5");
	CK("discounts[0].amount", "5.00");
	CK("warnings", "[0]");
	done(&R);
	/* C4 is in segment pro: O6 applies (O5 and O6 have priority 0: by id) */
	quote(&R, book, "{'quote_id': 'Q', 'customer': 'C4', 'as_of': '2026-06-15',"
	                " 'codes': ['BIG'], 'lines': [{'sku': 'A', 'qty': '1'}]}");
	ck_assert_int_eq(R.rc, 0);
	CK("discounts", "[2]");
	CK("discounts[0].promotion", "O5");
	CK("discounts[0].amount", "5.00");
	CK("discounts[1].promotion", "O6");
	CK("discounts[1].amount", "0.50");  /* 10 % of the remaining 5.00 */
	done(&R);
	b2b_book_unref(book);
}
END_TEST

/* Base-currency amounts are converted to the document currency (§3, §9.14). */
START_TEST(test_order_promotions_converted)
{
	b2b_book *book = mkbook(SETTINGS_EUR BOOK_BASE PROMOS_O12);
	qrun R;

	/* USD: A = 10 × 1.1 = 11; × 10 = 110.00. O1 needs 100 EUR = 110 USD:
	 * reached exactly; cut 11.00. O2 needs 95 × 1.1 = 104.5 ≤ 110; its
	 * value 5 EUR = 5.50 USD. */
	quote(&R, book, "{'quote_id': 'Q', 'customer': 'C2', 'as_of': '2026-06-15',"
	                " 'lines': [{'sku': 'A', 'qty': '10'}]}");
	ck_assert_int_eq(R.rc, 0);
	CK("currency", "USD");
	CK("lines[0].list_price", "11.0000");
	CK("subtotal", "110.00");
	CK("discounts[0].amount", "11.00");
	CK("discounts[1].amount", "5.50");
	CK("discount_total", "16.50");
	done(&R);
	b2b_book_unref(book);
}
END_TEST

/* A document-level NO_FX_RATE (path `currency`), reported only when every
 * line was priced and nothing else failed (SPEC §9.22). */
START_TEST(test_document_no_fx_rate)
{
	b2b_book *book = mkbook(SETTINGS_EUR
	                        "# products\nsku,list_price,currency\nP,10,USD\n"
	                        "# customers\nid,currency\nCU,USD\n"
	                        "# promotions\nid,kind,value,min_subtotal\nOP,order_percent,5,100\n");
	qrun R;

	quote(&R, book, "{'quote_id': 'Q', 'customer': 'CU', 'as_of': '2026-06-15',"
	                " 'lines': [{'sku': 'P', 'qty': '1'}]}");
	ck_assert_int_eq(R.rc, NOT_PRICED);
	CK("errors", "[1]");
	CK("errors[0].code", "NO_FX_RATE");
	CK("errors[0].path", "currency");
	done(&R);
	quote(&R, book, "{'quote_id': 'Q', 'customer': 'CU', 'as_of': '2026-06-15',"
	                " 'lines': [{'sku': 'P', 'qty': '1'}, {'sku': 'NOPE', 'qty': '1'}]}");
	ck_assert_int_eq(R.rc, NOT_PRICED);
	CK("errors", "[1]");
	CK("errors[0].code", "UNKNOWN_SKU");
	CK("errors[0].path", "lines[1].sku");
	done(&R);
	b2b_book_unref(book);
}
END_TEST

#define SETTINGS_DOC "# settings\nkey,value\nbase_currency,EUR\ntax_rounding,document\n"

/* tax_rounding document: per rate round(Σ net × rate), allocated by
 * largest remainder over that rate's lines, ties to the earlier line. */
START_TEST(test_document_tax)
{
	b2b_book *doc = mkbook(SETTINGS_DOC BOOK_BASE);
	b2b_book *line = mkbook(SETTINGS_EUR BOOK_BASE);
	const char *req = "{" HDR "'ship_to': 'DE', 'lines': [{'sku': 'S', 'qty': '1'},"
	                  " {'sku': 'S', 'qty': '1'}, {'sku': 'S', 'qty': '1'},"
	                  " {'sku': 'S', 'qty': '1'}]}";
	qrun R;

	/* line: 0.03 × 19 % = 0.0057 → 0.01 each */
	quote(&R, line, req);
	ck_assert_int_eq(R.rc, 0);
	CK("lines[3].tax", "0.01");
	CK("tax_total", "0.04");
	done(&R);
	/* document: round(0.12 × 19 % = 0.0228) = 0.02, quotas 0.005 each → 0;
	 * the 2 cents go to the earliest lines */
	quote(&R, doc, req);
	ck_assert_int_eq(R.rc, 0);
	CK("lines[0].tax", "0.01");
	CK("lines[1].tax", "0.01");
	CK("lines[2].tax", "0.00");
	CK("lines[3].tax", "0.00");
	CK("tax_total", "0.02");
	CK("taxes[0].amount", "0.02");
	CK("total", "0.14");
	done(&R);
	/* two rates: 19 % on 10.00 + 0.03 = 10.03 → 1.9057 → 1.91, quotas
	 * 1.904287 / 0.005712 → 1.90, 0.01; 7 % on 1.50 + 0.50 → 0.14, quotas
	 * 0.105 / 0.035 → 0.10, 0.03, the tie (.005, .005) to the earlier */
	quote(&R, doc, "{" HDR "'ship_to': 'DE', 'lines': [{'sku': 'A', 'qty': '1'},"
	               " {'sku': 'C', 'qty': '150'}, {'sku': 'S', 'qty': '1'},"
	               " {'sku': 'C', 'qty': '50'}]}");
	ck_assert_int_eq(R.rc, 0);
	CK("lines[0].tax", "1.90");
	CK("lines[1].tax", "0.11");
	CK("lines[2].tax", "0.01");
	CK("lines[3].tax", "0.03");
	CK("taxes[0].rate", "7.00");
	CK("taxes[0].base", "2.00");
	CK("taxes[0].amount", "0.14");
	CK("taxes[1].rate", "19.00");
	CK("taxes[1].base", "10.03");
	CK("taxes[1].amount", "1.91");
	CK("tax_total", "2.05");
	done(&R);
	b2b_book_unref(doc);
	b2b_book_unref(line);
}
END_TEST

/* Tax rates as the book gives them, at least 2 decimals. */
START_TEST(test_tax_rate_scale)
{
	b2b_book *book = mkbook(SETTINGS_EUR
	                        "# products\nsku,list_price,tax_class\nA,100,t\n"
	                        "# customers\nid\nC1\n"
	                        "# taxes\ntax_class,region,rate_percent\nt,*,8.125\n");
	qrun R;

	quote(&R, book, "{" HDR "'lines': [{'sku': 'A', 'qty': '1'}]}");
	ck_assert_int_eq(R.rc, 0);
	CK("lines[0].tax_rate", "8.125");
	CK("lines[0].tax", "8.13");   /* 8.125 → half_up */
	CK("taxes[0].rate", "8.125");
	done(&R);
	b2b_book_unref(book);
}
END_TEST

#define APPROVALS                                                     \
	"# approval_rules\nid,metric,threshold,level\n"               \
	"AP-D,quote_margin_percent_below,50,3\n"                      \
	"AP-A,quote_total_above,50,2\n"                               \
	"AP-B,line_discount_percent,10,1\n"                           \
	"AP-C,quote_discount_percent,5,1\n"

/* SPEC §6: reasons by rule id then line, below_floor last at the highest
 * level the book defines; §9.18 values. */
START_TEST(test_approval_reasons_order)
{
	b2b_book *book = mkbook("# settings\nkey,value\nbase_currency,EUR\nmin_margin_percent,10\n"
	                        BOOK_BASE APPROVALS);
	qrun R;

	/* amounts 40.00 (A×5 at 8), 6.50 (A at 6.5, floor 6.6: below), 3.33;
	 * subtotal 49.83, tax 8.00 + 1.30 + 0.67, total 59.80 > 50;
	 * margin (10.00 + 0.50) ÷ 46.50 = 22.58 % < 50;
	 * quote discount (63.33 − 49.83) ÷ 63.33 = 21.32 % > 5;
	 * line discounts 20.00 and 35.00 > 10 */
	quote(&R, book, "{" HDR "'lines': [{'sku': 'A', 'qty': '5', 'requested_unit_price': '8'},"
	                " {'sku': 'A', 'qty': '1', 'requested_unit_price': '6.5'},"
	                " {'sku': 'B', 'qty': '1'}]}");
	ck_assert_int_eq(R.rc, 0);
	CK("total", "59.80");
	CK("margin_percent", "22.58");
	CK("lines[1].below_floor", "true");
	CK("lines[0].below_floor", "false");
	CK("approval.level", "3");
	CK("approval.reasons", "[6]");
	CK("approval.reasons[0].rule", "AP-A");
	CK("approval.reasons[0].line", "<missing>");
	CK("approval.reasons[0].value", "59.80");
	CK("approval.reasons[1].rule", "AP-B");
	CK("approval.reasons[1].line", "0");
	CK("approval.reasons[1].value", "20.00");
	CK("approval.reasons[2].rule", "AP-B");
	CK("approval.reasons[2].line", "1");
	CK("approval.reasons[2].value", "35.00");
	CK("approval.reasons[3].rule", "AP-C");
	CK("approval.reasons[3].value", "21.32");
	CK("approval.reasons[4].rule", "AP-D");
	CK("approval.reasons[4].value", "22.58");
	CK("approval.reasons[5].rule", "below_floor");
	CK("approval.reasons[5].line", "1");
	CK("approval.reasons[5].value", "6.5000");
	ck_assert_int_eq(b2b_quote_approval_level(R.q), 3);
	ck_assert_str_eq(b2b_quote_reason_rule(R.q, 5), "below_floor");
	ck_assert_int_eq(b2b_quote_reason_line(R.q, 0), -1);
	done(&R);
	b2b_book_unref(book);
}
END_TEST

/* No rule defined: a line below its floor needs level 1; nothing trips: 0. */
START_TEST(test_approval_default_level)
{
	b2b_book *book = mkbook("# settings\nkey,value\nbase_currency,EUR\nmin_margin_percent,10\n"
	                        BOOK_BASE);
	qrun R;

	quote(&R, book, "{" HDR "'lines': [{'sku': 'A', 'qty': '1', 'requested_unit_price': '6.59'}]}");
	ck_assert_int_eq(R.rc, 0);
	CK("approval.level", "1");
	CK("approval.reasons", "[1]");
	CK("approval.reasons[0].rule", "below_floor");
	CK("approval.reasons[0].value", "6.5900");
	done(&R);
	quote(&R, book, "{" HDR "'lines': [{'sku': 'A', 'qty': '1', 'requested_unit_price': '6.60'}]}");
	ck_assert_int_eq(R.rc, 0);
	CK("approval.level", "0");
	CK("approval.reasons", "[0]");
	done(&R);
	b2b_book_unref(book);
}
END_TEST

/* valid_until: as_of + quote_validity_days in as_of's form; the request's wins. */
START_TEST(test_valid_until)
{
	b2b_book *book = mkbook("# settings\nkey,value\nbase_currency,EUR\nquote_validity_days,30\n"
	                        BOOK_BASE);
	qrun R;
	b2b_time t;

	quote(&R, book, "{" HDR "'lines': [{'sku': 'A', 'qty': '1'}]}");
	ck_assert_int_eq(R.rc, 0);
	CK("valid_until", "2026-07-15");
	ck_assert_int_eq(b2b_quote_valid_until(&t, R.q), 0);
	ck_assert_int_eq(t.form, B2B_TIME_DATE);
	done(&R);
	quote(&R, book, "{'quote_id': 'Q', 'customer': 'C1', 'as_of': '2026-06-15T10:30:00Z',"
	                " 'lines': [{'sku': 'A', 'qty': '1'}]}");
	ck_assert_int_eq(R.rc, 0);
	CK("as_of", "2026-06-15T10:30:00Z");
	CK("valid_until", "2026-07-15T10:30:00Z");
	done(&R);
	quote(&R, book, "{" HDR "'valid_until': '2026-08-01', 'lines': [{'sku': 'A', 'qty': '1'}]}");
	ck_assert_int_eq(R.rc, 0);
	CK("valid_until", "2026-08-01");
	done(&R);
	/* past year 9999 */
	quote(&R, book, "{'quote_id': 'Q', 'customer': 'C1', 'as_of': '9999-12-15',"
	                " 'lines': [{'sku': 'A', 'qty': '1'}]}");
	ck_assert_int_eq(R.rc, NOT_PRICED);
	CK("errors[0].code", "MALFORMED");
	CK("errors[0].path", "as_of");
	done(&R);
	b2b_book_unref(book);
}
END_TEST

/* channel: the request's, else the customer's, else null (§9.8). */
START_TEST(test_channel_and_optional_keys)
{
	b2b_book *book = mkbook(SETTINGS_EUR BOOK_BASE);
	qrun R;

	quote(&R, book, "{" HDR "'channel': 'sales', 'lines': [{'sku': 'A', 'qty': '1'}]}");
	ck_assert_int_eq(R.rc, 0);
	CK("channel", "sales");
	/* ship_to and codes only when given; no candidates without explain */
	ck_assert_str_eq(keys(R.doc, ""), "quote_id,customer,as_of,currency,channel,fingerprint,"
	                 "status,revision,valid_until,lines,subtotal,discounts,discount_total,"
	                 "taxes,tax_total,total,margin,margin_percent,approval,warnings");
	ck_assert_str_eq(keys(R.doc, "lines[0]"), "sku,qty,list_price,unit_price,amount,"
	                 "order_discount,net_amount,tax_rate,tax,total,cost,margin,"
	                 "discount_percent,protected,below_floor,waterfall");
	done(&R);
	quote(&R, book, "{'quote_id': 'Q', 'customer': 'C3', 'as_of': '2026-06-15', 'channel': null,"
	                " 'codes': [], 'explain': true, 'lines': [{'sku': 'A', 'qty': '1'}]}");
	ck_assert_int_eq(R.rc, 0);
	CK("channel", "null");
	CK("codes", "[0]");
	ck_assert_str_eq(keys(R.doc, "lines[0]"), "sku,qty,list_price,unit_price,amount,"
	                 "order_discount,net_amount,tax_rate,tax,total,cost,margin,"
	                 "discount_percent,protected,below_floor,waterfall,candidates,hints");
	ck_assert_ptr_null(b2b_quote_channel(R.q));
	done(&R);
	b2b_book_unref(book);
}
END_TEST

/* JSON numbers are read exactly; qty is written with the scale it was given. */
START_TEST(test_json_numbers_exact)
{
	b2b_book *book = mkbook(SETTINGS_EUR BOOK_BASE);
	qrun R;

	quote(&R, book, "{" HDR "'lines': [{'sku': 'A', 'qty': 1.5E1},"
	                " {'sku': 'A', 'qty': 2.50}, {'sku': 'B', 'qty': '007.10'},"
	                " {'sku': 'A', 'qty': 0.000000001},"
	                " {'sku': 'A', 'qty': 1, 'requested_unit_price': 7.125},"
	                " {'sku': 'A', 'qty': 12.5e-1, 'requested_unit_price': 1e1}]}");
	ck_assert_int_eq(R.rc, 0);
	CK("lines[0].qty", "15");
	CK("lines[0].amount", "150.00");
	CK("lines[1].qty", "2.50");
	CK("lines[1].amount", "25.00");
	CK("lines[2].qty", "7.10");
	CK("lines[2].amount", "23.64");    /* 3.33 × 7.1 = 23.643 */
	CK("lines[3].qty", "0.000000001");
	CK("lines[3].amount", "0.00");
	CK("lines[4].unit_price", "7.1250");
	CK("lines[5].qty", "1.25");
	CK("lines[5].unit_price", "10.0000");
	CK("lines[5].amount", "12.50");
	ck_assert_str_eq(b2b_quote_line_qty_text(R.q, 0), "15");
	ck_assert(dec_eq(b2b_quote_line_qty(R.q, 5), "1.25"));
	done(&R);
	b2b_book_unref(book);
}
END_TEST

/*
 * qty_text: a quantity in the common form (digits, no leading zero, at
 * most 9 decimals) is kept as given, any other form is written at the
 * scale it was given with; values are exact either way (A is 10.00, so
 * the amount is 10 × qty rounded to cents).
 */
START_TEST(test_qty_text_forms)
{
	static const struct {
		const char *given, *text, *amount;
	} cases[] = {
		{ "12", "12", "120.00" },
		{ "0.5", "0.5", "5.00" },
		{ "12.50", "12.50", "125.00" },
		{ "1.000000000", "1.000000000", "10.00" },
		{ "0.000000001", "0.000000001", "0.00" },
		{ "123456789012345678", "123456789012345678", "1234567890123456780.00" },
		{ "1234567890123456789", "1234567890123456789", "12345678901234567890.00" },
		{ "0012", "12", "120.00" },
		{ "00.50", "0.50", "5.00" },
	};
	b2b_book *book = mkbook(SETTINGS_EUR BOOK_BASE);
	b2b_quote_request *req;
	const b2b_quote *q;
	b2b_ctx *ctx;
	size_t i, n = sizeof(cases) / sizeof(cases[0]);
	char buf[B2B_DEC_FORMAT_MAX];

	ck_assert_int_eq(b2b_ctx_new(&ctx, NULL), 0);
	ck_assert_int_eq(b2b_quote_request_new(&req, ctx), 0);
	ck_assert_int_eq(b2b_quote_request_set_quote_id(req, "Q1"), 0);
	ck_assert_int_eq(b2b_quote_request_set_customer(req, "C1"), 0);
	ck_assert_int_eq(b2b_quote_request_set_as_of(req, "2026-06-15"), 0);
	for (i = 0; i < n; i++)
		ck_assert_int_eq(b2b_quote_request_add_line(req, "A", cases[i].given, NULL), 0);
	ck_assert_int_eq(b2b_quote_compute(&q, ctx, book, req, NULL), 0);
	ck_assert_int_eq(b2b_quote_ok(q), 1);
	for (i = 0; i < n; i++) {
		ck_assert_str_eq(b2b_quote_line_qty_text(q, i), cases[i].text);
		ck_assert(dec_eq(b2b_quote_line_qty(q, i), cases[i].text));
		ck_assert_int_eq(b2b_dec_format(buf, sizeof buf, NULL, b2b_quote_line_amount(q, i),
		                                2, B2B_ROUND_HALF_UP), 0);
		ck_assert_str_eq(buf, cases[i].amount);
	}

	/* a zero in the common form is still not positive, 10 decimals malformed */
	ck_assert_int_eq(b2b_quote_request_new(&req, ctx), 0);
	ck_assert_int_eq(b2b_quote_request_set_quote_id(req, "Q2"), 0);
	ck_assert_int_eq(b2b_quote_request_set_customer(req, "C1"), 0);
	ck_assert_int_eq(b2b_quote_request_set_as_of(req, "2026-06-15"), 0);
	ck_assert_int_eq(b2b_quote_request_add_line(req, "A", "0.0", NULL), 0);
	ck_assert_int_eq(b2b_quote_request_add_line(req, "A", "1.1234567891", NULL), 0);
	ck_assert_int_eq(b2b_quote_compute(&q, ctx, book, req, NULL), 0);
	ck_assert_uint_eq(b2b_quote_error_count(q), 2);
	ck_assert_str_eq(b2b_quote_error_code(q, 0), "QTY_NOT_POSITIVE");
	ck_assert_str_eq(b2b_quote_error_code(q, 1), "MALFORMED");
	b2b_ctx_free(ctx);
	b2b_book_unref(book);
}
END_TEST

/*
 * A line's amount and discount percent are the exact operations of
 * SPEC §5.7 whatever path computes them: amount = round(unit_price × Q)
 * to the minor units, discount_percent = round((list − unit) × 100 ÷
 * list, 2), tax = round(net × rate ÷ 100) (line rounding); checked
 * against b2b_dec_mul()/b2b_dec_div()/b2b_dec_percent() in every
 * rounding mode, on prices and quantities that take the 64-bit path
 * (whole Q, small figures) and ones that do not (fractional Q, a product
 * beyond 64 bits, a requested price above the list price).
 */
START_TEST(test_figures_equal_exact_ops)
{
	static const char *const modes[] = {
		"half_up", "half_even", "half_down", "up", "down", "ceiling", "floor",
	};
	static const char *const lines[][3] = {
		{ "P1", "3", NULL }, { "P1", "7", "3.3349" }, { "P2", "13", NULL },
		{ "P2", "2.5", NULL }, { "P3", "1000000000000", NULL }, { "P3", "3", "1200000.5" },
		{ "P4", "11", NULL }, { "P1", "17", "0.0001" }, { "P5", "3", "0.0115" },
	};
	size_t m, i, nl = sizeof(lines) / sizeof(lines[0]);
	char spec[1024];

	for (m = 0; m < sizeof(modes) / sizeof(modes[0]); m++) {
		b2b_rounding mode;
		b2b_quote_request *req;
		const b2b_quote *q;
		b2b_book *book;
		b2b_ctx *ctx;

		snprintf(spec, sizeof spec,
		         "# settings\nkey,value\nbase_currency,EUR\nrounding_mode,%s\n"
		         "# products\nsku,list_price,cost,tax_class\n"
		         "P1,3.3333,1.2345,std\nP2,0.0007,0.0001,red\nP3,999999.9999,,std\n"
		         "P4,0.0049,,red\nP5,0.0115,0.0110,std\n# customers\nid\nC1\n"
		         "# taxes\ntax_class,region,rate_percent\nstd,*,19\nred,*,7.7\n",
		         modes[m]);
		book = mkbook(spec);
		ck_assert_int_eq(b2b_rounding_parse(&mode, modes[m], strlen(modes[m])), 0);
		ck_assert_int_eq(b2b_ctx_new(&ctx, NULL), 0);
		ck_assert_int_eq(b2b_quote_request_new(&req, ctx), 0);
		ck_assert_int_eq(b2b_quote_request_set_quote_id(req, "Q1"), 0);
		ck_assert_int_eq(b2b_quote_request_set_customer(req, "C1"), 0);
		ck_assert_int_eq(b2b_quote_request_set_as_of(req, "2026-06-15"), 0);
		for (i = 0; i < nl; i++)
			ck_assert_int_eq(b2b_quote_request_add_line(req, lines[i][0], lines[i][1],
			                                            lines[i][2]), 0);
		ck_assert_int_eq(b2b_quote_compute(&q, ctx, book, req, NULL), 0);
		ck_assert_msg(b2b_quote_ok(q), "%s: %s", modes[m], b2b_quote_error_message(q, 0));
		for (i = 0; i < nl; i++) {
			b2b_dec u = b2b_quote_line_unit_price(q, i), l = b2b_quote_line_list_price(q, i);
			b2b_dec qty = b2b_quote_line_qty(q, i), want, x, hundred;

			ck_assert_int_eq(b2b_dec_mul(&want, u, qty, 2, mode), 0);
			ck_assert_msg(b2b_dec_cmp(b2b_quote_line_amount(q, i), want) == 0,
			              "%s line %zu amount", modes[m], i);
			ck_assert_int_eq(b2b_dec_from_units(&hundred, 100, 0), 0);
			if (b2b_dec_sign(l) == 0) {
				ck_assert_int_eq(b2b_dec_from_units(&want, 0, 0), 0);
			} else {
				ck_assert_int_eq(b2b_dec_sub(&x, l, u), 0);
				ck_assert_int_eq(b2b_dec_mul(&x, x, hundred, 9, mode), 0);
				ck_assert_int_eq(b2b_dec_div(&want, x, l, 2, mode), 0);
			}
			ck_assert_msg(b2b_dec_cmp(b2b_quote_line_discount_percent(q, i), want) == 0,
			              "%s line %zu discount_percent", modes[m], i);
			ck_assert_int_eq(b2b_dec_percent(&want, b2b_quote_line_net_amount(q, i),
			                                 b2b_quote_line_tax_rate(q, i), 2, mode), 0);
			ck_assert_msg(b2b_dec_cmp(b2b_quote_line_tax(q, i), want) == 0,
			              "%s line %zu tax", modes[m], i);
		}
		b2b_ctx_free(ctx);
		b2b_book_unref(book);
	}
}
END_TEST

/*
 * A long quote (its lines are looked up in chunks ahead of the pricing):
 * every line gets the product of its own sku — the same unit price and
 * amount as the sku alone in a one-line quote — and an unknown sku is
 * reported on its own line, whichever chunk it falls in.
 */
START_TEST(test_long_quote_lines_keep_their_skus)
{
	static const char *const skus[] = { "A", "B", "C", "N", "S", "Z" };
	const size_t nskus = sizeof(skus) / sizeof(skus[0]), n = 203;
	b2b_book *book = mkbook(SETTINGS_EUR BOOK_BASE);
	b2b_dec unit[6];
	b2b_quote_request *req;
	const b2b_quote *q;
	b2b_ctx *ctx;
	char qty[16];
	size_t i, k;

	ck_assert_int_eq(b2b_ctx_new(&ctx, NULL), 0);
	for (k = 0; k < nskus; k++) {
		ck_assert_int_eq(b2b_quote_request_new(&req, ctx), 0);
		ck_assert_int_eq(b2b_quote_request_set_quote_id(req, "Q1"), 0);
		ck_assert_int_eq(b2b_quote_request_set_customer(req, "C1"), 0);
		ck_assert_int_eq(b2b_quote_request_set_as_of(req, "2026-06-15"), 0);
		ck_assert_int_eq(b2b_quote_request_add_line(req, skus[k], "3", NULL), 0);
		ck_assert_int_eq(b2b_quote_compute(&q, ctx, book, req, NULL), 0);
		ck_assert_int_eq(b2b_quote_ok(q), 1);
		unit[k] = b2b_quote_line_unit_price(q, 0);
	}

	/* all known: lines 0 .. 202 cycle through the skus */
	ck_assert_int_eq(b2b_quote_request_new(&req, ctx), 0);
	ck_assert_int_eq(b2b_quote_request_set_quote_id(req, "Q2"), 0);
	ck_assert_int_eq(b2b_quote_request_set_customer(req, "C1"), 0);
	ck_assert_int_eq(b2b_quote_request_set_as_of(req, "2026-06-15"), 0);
	for (i = 0; i < n; i++) {
		snprintf(qty, sizeof qty, "%zu", 1 + i % 7);
		ck_assert_int_eq(b2b_quote_request_add_line(req, skus[(i * 5) % nskus], qty, NULL),
		                 0);
	}
	ck_assert_int_eq(b2b_quote_compute(&q, ctx, book, req, NULL), 0);
	ck_assert_int_eq(b2b_quote_ok(q), 1);
	ck_assert_uint_eq(b2b_quote_line_count(q), n);
	for (i = 0; i < n; i++) {
		b2b_dec want, qd;

		ck_assert_str_eq(b2b_quote_line_sku(q, i), skus[(i * 5) % nskus]);
		ck_assert(b2b_dec_cmp(b2b_quote_line_unit_price(q, i), unit[(i * 5) % nskus]) == 0);
		ck_assert_int_eq(b2b_dec_from_units(&qd, (int64_t)(1 + i % 7), 0), 0);
		ck_assert_int_eq(b2b_dec_mul(&want, unit[(i * 5) % nskus], qd, 2,
		                             B2B_ROUND_HALF_UP), 0);
		ck_assert(b2b_dec_cmp(b2b_quote_line_amount(q, i), want) == 0);
	}

	/* unknown skus on lines 5, 64, 65, 130 and 202: one problem each, on its line */
	ck_assert_int_eq(b2b_quote_request_new(&req, ctx), 0);
	ck_assert_int_eq(b2b_quote_request_set_quote_id(req, "Q3"), 0);
	ck_assert_int_eq(b2b_quote_request_set_customer(req, "C1"), 0);
	ck_assert_int_eq(b2b_quote_request_set_as_of(req, "2026-06-15"), 0);
	for (i = 0; i < n; i++) {
		int bad = i == 5 || i == 64 || i == 65 || i == 130 || i == 202;

		ck_assert_int_eq(b2b_quote_request_add_line(req, bad ? "NOPE" : skus[i % nskus], "1",
		                                            NULL), 0);
	}
	ck_assert_int_eq(b2b_quote_compute(&q, ctx, book, req, NULL), 0);
	ck_assert_uint_eq(b2b_quote_error_count(q), 5);
	ck_assert_str_eq(b2b_quote_error_code(q, 0), "UNKNOWN_SKU");
	ck_assert_str_eq(b2b_quote_error_path(q, 0), "lines[5].sku");
	ck_assert_str_eq(b2b_quote_error_path(q, 1), "lines[64].sku");
	ck_assert_str_eq(b2b_quote_error_path(q, 2), "lines[65].sku");
	ck_assert_str_eq(b2b_quote_error_path(q, 3), "lines[130].sku");
	ck_assert_str_eq(b2b_quote_error_path(q, 4), "lines[202].sku");
	b2b_ctx_free(ctx);
	b2b_book_unref(book);
}
END_TEST

/* The same request through builder calls gives the same bytes. */
START_TEST(test_builder_equals_json)
{
	b2b_book *book = mkbook(SETTINGS_EUR BOOK_BASE PROMOS_O12);
	b2b_quote_request *req;
	const b2b_quote *q;
	const char *doc;
	size_t len;
	qrun R;

	quote(&R, book, "{'quote_id': 'Q9', 'customer': 'C1', 'as_of': '2026-06-15',"
	                " 'ship_to': 'DE', 'codes': ['X'], 'explain': true, 'cash_rounding': true,"
	                " 'lines': [{'sku': 'A', 'qty': '10.0'}, {'sku': 'B', 'qty': '3',"
	                " 'requested_unit_price': '3.00'}]}");
	ck_assert_int_eq(R.rc, 0);
	ck_assert_int_eq(b2b_quote_request_new(&req, R.ctx), 0);
	ck_assert_int_eq(b2b_quote_request_set_quote_id(req, "Q9"), 0);
	ck_assert_int_eq(b2b_quote_request_set_customer(req, "C1"), 0);
	ck_assert_int_eq(b2b_quote_request_set_as_of(req, "2026-06-15"), 0);
	ck_assert_int_eq(b2b_quote_request_set_ship_to(req, "DE"), 0);
	ck_assert_int_eq(b2b_quote_request_add_code(req, "X"), 0);
	ck_assert_int_eq(b2b_quote_request_set_explain(req, 1), 0);
	ck_assert_int_eq(b2b_quote_request_set_cash_rounding(req, 1), 0);
	ck_assert_int_eq(b2b_quote_request_add_line(req, "A", "10.0", NULL), 0);
	ck_assert_int_eq(b2b_quote_request_add_line(req, "B", "3", "3.00"), 0);
	ck_assert_int_eq(b2b_quote_compute(&q, R.ctx, book, req, NULL), 0);
	ck_assert_int_eq(b2b_quote_to_json(&doc, &len, R.ctx, q), 0);
	ck_assert_str_eq(doc, R.json);
	ck_assert_uint_eq(len, R.len);
	done(&R);
	b2b_book_unref(book);
}
END_TEST

/* B2B_QUOTE_EXPLAIN asks for candidates without the request saying so. */
START_TEST(test_explain_option)
{
	b2b_book *book = mkbook(SETTINGS_EUR BOOK_BASE);
	b2b_quote_options o = B2B_QUOTE_OPTIONS_INIT;
	const char *text = "{\"quote_id\": \"Q\", \"customer\": \"C1\", \"as_of\": \"2026-06-15\","
	                   " \"lines\": [{\"sku\": \"A\", \"qty\": \"1\"}]}";
	const b2b_quote *q;
	const char *doc;
	b2b_ctx *ctx;

	ck_assert_int_eq(b2b_ctx_new(&ctx, NULL), 0);
	o.flags = B2B_QUOTE_EXPLAIN;
	ck_assert_int_eq(b2b_quote_from_json(&q, ctx, book, text, strlen(text), &o), 0);
	ck_assert_int_eq(b2b_quote_to_json(&doc, NULL, ctx, q), 0);
	ck_assert_ptr_nonnull(strstr(doc, "\"candidates\": ["));
	b2b_ctx_free(ctx);
	b2b_book_unref(book);
}
END_TEST

/*===========================================================================
 * MARK: - Errors
 *===========================================================================*/

#define BOOK_ERRORS                                                         \
	SETTINGS_EUR BOOK_BASE                                             \
	"# products\nsku,list_price\nNEG,10.00\n"                          \
	"# price_lists\nid,applies_to\nL1,default\n"                       \
	"# price_list_items\nlist,scope,compute,surcharge\nL1,sku:NEG,formula,-20\n"

/* Every line-level code with its path, in line order. */
START_TEST(test_errors_every_code)
{
	b2b_book *book = mkbook(BOOK_ERRORS);
	qrun R;

	quote(&R, book, "{" HDR "'lines': ["
	                "{'sku': 'A', 'qty': '0'},"
	                "{'sku': 'NOPE', 'qty': '1'},"
	                "{'sku': 'A', 'qty': '1', 'requested_unit_price': '-1'},"
	                "{'sku': 'G', 'qty': 1},"
	                "{'sku': 'NEG', 'qty': 1},"
	                "{'sku': 'A', 'qty': '1.5x'},"
	                "{'sku': 'A', 'qty': 1, 'price': 3},"
	                "{'sku': 5, 'qty': true},"
	                "{'sku': 'A', 'qty': '-2'},"
	                "{'sku': 'A'},"
	                "{'sku': 'A', 'qty': 1E-10},"
	                "{'sku': 'A', 'qty': '1', 'requested_unit_price': 'abc'}]}");
	ck_assert_int_eq(R.rc, NOT_PRICED);
	if (strcmp(js(R.doc, "errors"), "[13]") != 0)
		show(&R);
	CK("errors", "[13]");
	CK("errors[0].code", "QTY_NOT_POSITIVE");
	CK("errors[0].path", "lines[0].qty");
	CK("errors[1].code", "UNKNOWN_SKU");
	CK("errors[1].path", "lines[1].sku");
	CK("errors[2].code", "NEGATIVE_PRICE");
	CK("errors[2].path", "lines[2].requested_unit_price");
	CK("errors[3].code", "NO_FX_RATE");
	CK("errors[3].path", "lines[3].sku");
	CK("errors[4].code", "NEGATIVE_PRICE");
	CK("errors[4].path", "lines[4].sku");
	CK("errors[5].code", "MALFORMED");
	CK("errors[5].path", "lines[5].qty");
	CK("errors[6].code", "MALFORMED");
	CK("errors[6].path", "lines[6].price");
	CK("errors[7].code", "MALFORMED");
	CK("errors[7].path", "lines[7].qty");
	CK("errors[8].code", "MALFORMED");
	CK("errors[8].path", "lines[7].sku");
	CK("errors[9].code", "QTY_NOT_POSITIVE");
	CK("errors[9].path", "lines[8].qty");
	CK("errors[10].code", "MALFORMED");
	CK("errors[10].path", "lines[9].qty");
	CK("errors[11].code", "MALFORMED");
	CK("errors[11].path", "lines[10].qty");
	ck_assert_ptr_nonnull(strstr(js(R.doc, "errors[11].message"), "9 fractional digits"));
	CK("errors[12].code", "MALFORMED");
	CK("errors[12].path", "lines[11].requested_unit_price");
	ck_assert_str_eq(keys(R.doc, ""), "errors");
	ck_assert_str_eq(keys(R.doc, "errors[0]"), "code,message,path");
	/* the accessors: only errors */
	ck_assert_uint_eq(b2b_quote_error_count(R.q), 13);
	ck_assert_str_eq(b2b_quote_error_path(R.q, 1), "lines[1].sku");
	ck_assert_uint_eq(b2b_quote_line_count(R.q), 0);
	ck_assert_ptr_null(b2b_quote_id(R.q));
	done(&R);
	b2b_book_unref(book);
}
END_TEST

/* Header problems first (by code, then path); the lines are not priced
 * when the header does not resolve, but their field checks still run. */
START_TEST(test_errors_header_then_lines)
{
	b2b_book *book = mkbook(BOOK_ERRORS);
	qrun R;

	quote(&R, book, "{'quote_id': 'Q', 'customer': 'NOBODY', 'as_of': '2026-13-01',"
	                " 'currency': 'XYZ', 'lines': [{'sku': 'G', 'qty': '1'},"
	                " {'sku': 'NOPE', 'qty': '0', 'foo': 1}]}");
	ck_assert_int_eq(R.rc, NOT_PRICED);
	CK("errors", "[6]");
	CK("errors[0].code", "MALFORMED");
	CK("errors[0].path", "as_of");
	CK("errors[1].code", "MALFORMED");
	CK("errors[1].path", "currency");
	CK("errors[2].code", "UNKNOWN_CUSTOMER");
	CK("errors[2].path", "customer");
	CK("errors[3].code", "MALFORMED");
	CK("errors[3].path", "lines[1].foo");
	CK("errors[4].code", "QTY_NOT_POSITIVE");
	CK("errors[4].path", "lines[1].qty");
	CK("errors[5].code", "UNKNOWN_SKU");
	CK("errors[5].path", "lines[1].sku");
	done(&R);
	/* a known customer with an unknown currency: no line is priced either */
	quote(&R, book, "{" HDR "'currency': 'ABC', 'lines': [{'sku': 'G', 'qty': '1'}]}");
	ck_assert_int_eq(R.rc, NOT_PRICED);
	CK("errors", "[1]");
	CK("errors[0].path", "currency");
	done(&R);
	/* a bad valid_until does not stop the lines from being priced */
	quote(&R, book, "{" HDR "'valid_until': 'soon', 'lines': [{'sku': 'G', 'qty': '1'}]}");
	ck_assert_int_eq(R.rc, NOT_PRICED);
	CK("errors", "[2]");
	CK("errors[0].path", "valid_until");
	CK("errors[1].code", "NO_FX_RATE");
	CK("errors[1].path", "lines[0].sku");
	done(&R);
	b2b_book_unref(book);
}
END_TEST

/* Wrong types and unknown fields at the root, each with its path. */
START_TEST(test_errors_wrong_types)
{
	b2b_book *book = mkbook(SETTINGS_EUR BOOK_BASE);
	qrun R;

	quote(&R, book, "{'quote_id': 5, 'customer': null, 'as_of': [], 'currency': 1,"
	                " 'channel': {}, 'ship_to': true, 'codes': 'X', 'explain': 'yes',"
	                " 'cash_rounding': 1, 'lines': {}, 'foo': 1, 'a b': 2}");
	ck_assert_int_eq(R.rc, NOT_PRICED);
	if (strcmp(js(R.doc, "errors"), "[12]") != 0)
		show(&R);
	CK("errors", "[12]");
	CK("errors[0].path", "$[\"a b\"]");
	CK("errors[1].path", "as_of");
	CK("errors[2].path", "cash_rounding");
	CK("errors[3].path", "channel");
	CK("errors[4].path", "codes");
	CK("errors[5].path", "currency");
	CK("errors[6].path", "customer");
	CK("errors[7].path", "explain");
	CK("errors[8].path", "foo");
	CK("errors[9].path", "lines");
	CK("errors[10].path", "quote_id");
	CK("errors[11].path", "ship_to");
	CK("errors[11].code", "MALFORMED");
	ck_assert_ptr_nonnull(strstr(js(R.doc, "errors[10].message"), "expected a string, got number"));
	ck_assert_ptr_nonnull(strstr(js(R.doc, "errors[8].message"), "unknown field"));
	done(&R);
	quote(&R, book, "{" HDR "'codes': [1, 'A'], 'lines': [7, {'sku': 'A', 'qty': '1'}]}");
	ck_assert_int_eq(R.rc, NOT_PRICED);
	CK("errors", "[2]");
	CK("errors[0].path", "codes[0]");
	CK("errors[1].path", "lines[0]");
	done(&R);
	b2b_book_unref(book);
}
END_TEST

START_TEST(test_errors_missing_and_root)
{
	b2b_book *book = mkbook(SETTINGS_EUR BOOK_BASE);
	qrun R;

	quote(&R, book, "{}");
	ck_assert_int_eq(R.rc, NOT_PRICED);
	CK("errors", "[4]");
	CK("errors[0].path", "as_of");
	CK("errors[1].path", "customer");
	CK("errors[2].path", "lines");
	CK("errors[3].path", "quote_id");
	CK("errors[3].code", "MALFORMED");
	done(&R);
	quote(&R, book, "[1, 2]");
	ck_assert_int_eq(R.rc, NOT_PRICED);
	CK("errors", "[1]");
	CK("errors[0].code", "MALFORMED");
	CK("errors[0].path", "$");
	done(&R);
	quote(&R, book, "{" HDR "'lines': []}");
	ck_assert_int_eq(R.rc, NOT_PRICED);
	CK("errors", "[1]");
	CK("errors[0].path", "lines");
	done(&R);
	b2b_book_unref(book);
}
END_TEST

/* Duplicate keys are valid JSON but not a valid request: MALFORMED at the
 * key's path (an unknown key given twice is reported once). */
START_TEST(test_errors_duplicate_fields)
{
	b2b_book *book = mkbook(SETTINGS_EUR BOOK_BASE);
	qrun R;

	quote(&R, book, "{" HDR "'customer': 'C2', 'zz': 1, 'zz': 2,"
	                " 'lines': [{'sku': 'A', 'qty': '1', 'sku': 'B'}]}");
	ck_assert_int_eq(R.rc, NOT_PRICED);
	CK("errors", "[3]");
	CK("errors[0].path", "customer");
	ck_assert_ptr_nonnull(strstr(js(R.doc, "errors[0].message"), "duplicate"));
	CK("errors[1].path", "zz");
	CK("errors[2].path", "lines[0].sku");
	CK("errors[2].code", "MALFORMED");
	done(&R);
	b2b_book_unref(book);
}
END_TEST

/* Text that is not JSON at all: B2B_EPARSE with where on ctx, no result. */
START_TEST(test_errors_not_json)
{
	b2b_book *book = mkbook(SETTINGS_EUR BOOK_BASE);
	const char *text = "{\n  \"quote_id\": \"Q\",\n  \"lines\": [1,]\n}";
	const b2b_quote *q = (const b2b_quote *)&text;
	b2b_ctx *ctx;

	ck_assert_int_eq(b2b_ctx_new(&ctx, NULL), 0);
	ck_assert_int_eq(b2b_quote_from_json(&q, ctx, book, text, strlen(text), NULL), B2B_EPARSE);
	ck_assert_ptr_null(q);
	ck_assert_int_eq(b2b_ctx_errline(ctx), 3);
	ck_assert_int_gt(b2b_ctx_errcol(ctx), 0);
	ck_assert_int_gt(b2b_ctx_erroffset(ctx), 0);
	ck_assert_int_eq(b2b_quote_from_json(&q, ctx, book, "", 0, NULL), B2B_EPARSE);
	b2b_ctx_free(ctx);
	b2b_book_unref(book);
}
END_TEST

/*
 * A request that cannot be priced is a result returned with 0, not a
 * status: the builder path and the one-line price path, with the ok flags.
 */
START_TEST(test_cannot_price_is_a_result)
{
	b2b_book *book = mkbook(SETTINGS_EUR BOOK_BASE);
	b2b_quote_request *req;
	b2b_price_request *preq;
	const b2b_quote *q = NULL;
	const b2b_price *p = NULL;
	const char *doc;
	b2b_ctx *ctx;

	ck_assert_int_eq(b2b_ctx_new(&ctx, NULL), 0);
	ck_assert_int_eq(b2b_quote_request_new(&req, ctx), 0);
	b2b_quote_request_set_quote_id(req, "Q1");
	b2b_quote_request_set_customer(req, "C1");
	b2b_quote_request_set_as_of(req, "2026-06-15");
	b2b_quote_request_add_line(req, "A", "2", NULL);
	b2b_quote_request_add_line(req, "NOPE", "1", NULL);
	ck_assert_int_eq(b2b_quote_compute(&q, ctx, book, req, NULL), 0);
	ck_assert_ptr_nonnull(q);
	ck_assert_int_eq(b2b_quote_ok(q), 0);
	ck_assert_int_eq(b2b_ctx_errcode(ctx), 0);
	ck_assert_uint_eq(b2b_quote_error_count(q), 1);
	ck_assert_str_eq(b2b_quote_error_code(q, 0), "UNKNOWN_SKU");
	ck_assert_str_eq(b2b_quote_error_path(q, 0), "lines[1].sku");
	/* only the error accessors give data */
	ck_assert_uint_eq(b2b_quote_line_count(q), 0);
	ck_assert_int_eq(b2b_quote_status(q), (b2b_quote_state)-1);
	ck_assert_int_eq(b2b_quote_to_json(&doc, NULL, ctx, q), 0);
	ck_assert_ptr_nonnull(strstr(doc, "\"errors\": ["));
	ck_assert_ptr_nonnull(strstr(doc, "\"code\": \"UNKNOWN_SKU\""));
	/* the same request without the bad line is priced */
	ck_assert_int_eq(b2b_quote_request_new(&req, ctx), 0);
	b2b_quote_request_set_quote_id(req, "Q1");
	b2b_quote_request_set_customer(req, "C1");
	b2b_quote_request_set_as_of(req, "2026-06-15");
	b2b_quote_request_add_line(req, "A", "2", NULL);
	ck_assert_int_eq(b2b_quote_compute(&q, ctx, book, req, NULL), 0);
	ck_assert_int_eq(b2b_quote_ok(q), 1);
	ck_assert_uint_eq(b2b_quote_error_count(q), 0);
	ck_assert_int_eq(b2b_quote_status(q), B2B_QUOTE_DRAFT);

	/* one line: an unknown customer and a zero quantity, both reported */
	ck_assert_int_eq(b2b_price_request_new(&preq, ctx), 0);
	b2b_price_request_set_customer(preq, "NOBODY");
	b2b_price_request_set_sku(preq, "A");
	b2b_price_request_set_qty(preq, "0");
	b2b_price_request_set_as_of(preq, "2026-06-15");
	ck_assert_int_eq(b2b_price_compute(&p, ctx, book, preq, NULL), 0);
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(b2b_price_ok(p), 0);
	ck_assert_uint_eq(b2b_price_error_count(p), 2);
	ck_assert_str_eq(b2b_price_error_code(p, 0), "UNKNOWN_CUSTOMER");
	ck_assert_str_eq(b2b_price_error_path(p, 0), "customer");
	ck_assert_str_eq(b2b_price_error_code(p, 1), "QTY_NOT_POSITIVE");
	ck_assert_str_eq(b2b_price_error_path(p, 1), "qty");
	ck_assert_int_eq(b2b_price_to_json(&doc, NULL, ctx, p), 0);
	ck_assert_ptr_nonnull(strstr(doc, "\"errors\": ["));
	ck_assert_int_eq(b2b_price_request_set_customer(preq, "C1"), 0);
	ck_assert_int_eq(b2b_price_request_set_qty(preq, "1"), 0);
	ck_assert_int_eq(b2b_price_compute(&p, ctx, book, preq, NULL), 0);
	ck_assert_int_eq(b2b_price_ok(p), 1);
	/* NULL is not a priced result */
	ck_assert_int_eq(b2b_quote_ok(NULL), 0);
	ck_assert_int_eq(b2b_price_ok(NULL), 0);
	b2b_ctx_free(ctx);
	b2b_book_unref(book);
}
END_TEST

/* The options init functions give what the macros give; unknown versions fail. */
START_TEST(test_options_init)
{
	b2b_quote_options o;
	b2b_price_options po;

	memset(&o, 0xA5, sizeof(o));
	memset(&po, 0xA5, sizeof(po));
	ck_assert_int_eq(b2b_quote_options_init(&o, B2B_QUOTE_OPTIONS_VERSION), 0);
	ck_assert_uint_eq(o.version, 1);
	ck_assert_uint_eq(o.flags, 0);
	ck_assert_int_eq(b2b_price_options_init(&po, B2B_PRICE_OPTIONS_VERSION), 0);
	ck_assert_uint_eq(po.version, 1);
	ck_assert_uint_eq(po.flags, 0);
	memset(&o, 0xA5, sizeof(o));
	memset(&po, 0xA5, sizeof(po));
	ck_assert_int_eq(b2b_quote_options_init(&o, 0), B2B_EVERSION);
	ck_assert_int_eq(b2b_quote_options_init(&o, 2), B2B_EVERSION);
	ck_assert_int_eq(b2b_price_options_init(&po, 0), B2B_EVERSION);
	ck_assert_int_eq(b2b_price_options_init(&po, 2), B2B_EVERSION);
	ck_assert_uint_eq(o.version, 0xA5A5A5A5u);
	ck_assert_uint_eq(po.flags, 0xA5A5A5A5u);
	ck_assert_int_eq(b2b_quote_options_init(NULL, 1), B2B_EINVAL);
	ck_assert_int_eq(b2b_price_options_init(NULL, 1), B2B_EINVAL);
}
END_TEST

/* Calls that cannot run: options, NULL arguments, a request from another ctx. */
START_TEST(test_errors_could_not_run)
{
	b2b_book *book = mkbook(SETTINGS_EUR BOOK_BASE);
	b2b_quote_options o = B2B_QUOTE_OPTIONS_INIT;
	b2b_price_options po = B2B_PRICE_OPTIONS_INIT;
	b2b_quote_request *req;
	b2b_price_request *preq;
	const b2b_quote *q;
	const b2b_price *p;
	const char *doc;
	b2b_ctx *ctx, *other;

	ck_assert_int_eq(b2b_ctx_new(&ctx, NULL), 0);
	ck_assert_int_eq(b2b_ctx_new(&other, NULL), 0);
	ck_assert_int_eq(b2b_quote_request_new(&req, ctx), 0);
	ck_assert_int_eq(b2b_price_request_new(&preq, ctx), 0);
	o.version = 2;
	ck_assert_int_eq(b2b_quote_compute(&q, ctx, book, req, &o), B2B_EVERSION);
	ck_assert_ptr_null(q);
	ck_assert_int_eq(b2b_quote_from_json(&q, ctx, book, "{}", 2, &o), B2B_EVERSION);
	o.version = 0;
	ck_assert_int_eq(b2b_quote_compute(&q, ctx, book, req, &o), B2B_EVERSION);
	o.version = B2B_QUOTE_OPTIONS_VERSION;
	o.flags = 0x100;
	ck_assert_int_eq(b2b_quote_compute(&q, ctx, book, req, &o), B2B_EINVAL);
	po.version = 9;
	ck_assert_int_eq(b2b_price_compute(&p, ctx, book, preq, &po), B2B_EVERSION);
	po.version = B2B_PRICE_OPTIONS_VERSION;
	po.flags = 1;
	ck_assert_int_eq(b2b_price_compute(&p, ctx, book, preq, &po), B2B_EINVAL);
	ck_assert_int_eq(b2b_quote_compute(&q, other, book, req, NULL), B2B_EINVAL);
	ck_assert_int_eq(b2b_quote_compute(NULL, ctx, book, req, NULL), B2B_EINVAL);
	ck_assert_int_eq(b2b_quote_compute(&q, ctx, NULL, req, NULL), B2B_EINVAL);
	ck_assert_int_eq(b2b_quote_compute(&q, ctx, book, NULL, NULL), B2B_EINVAL);
	ck_assert_int_eq(b2b_quote_request_new(&req, NULL), B2B_EINVAL);
	ck_assert_int_eq(b2b_quote_request_add_line(NULL, "A", "1", NULL), B2B_EINVAL);
	ck_assert_int_eq(b2b_quote_request_add_code(req, NULL), B2B_EINVAL);
	ck_assert_int_eq(b2b_quote_to_json(&doc, NULL, ctx, NULL), B2B_EINVAL);
	ck_assert_int_eq(b2b_quote_from_json(&q, ctx, book, NULL, 3, NULL), B2B_EINVAL);
	/* accessors on NULL */
	ck_assert_uint_eq(b2b_quote_line_count(NULL), 0);
	ck_assert_ptr_null(b2b_quote_line_sku(NULL, 0));
	ck_assert_uint_eq(b2b_price_error_count(NULL), 0);
	b2b_ctx_free(other);
	b2b_ctx_free(ctx);
	b2b_book_unref(book);
}
END_TEST

/* An absurd quantity overflows the amount: the call cannot run. */
START_TEST(test_errors_overflow)
{
	b2b_book *book = mkbook(SETTINGS_EUR BOOK_BASE);
	qrun R;

	quote(&R, book, "{" HDR "'lines': [{'sku': 'A', 'qty': '9999999999999999999999999999'}]}");
	ck_assert_int_eq(R.rc, B2B_EOVERFLOW);
	ck_assert_ptr_null(R.q);
	ck_assert_str_eq(b2b_ctx_errpath(R.ctx), "lines[0].qty");
	done(&R);
	b2b_book_unref(book);
}
END_TEST

/*===========================================================================
 * MARK: - Price (SPEC §4 "Price")
 *===========================================================================*/

typedef struct prun {
	b2b_ctx *ctx;
	const b2b_price *p;
	int rc;
	const char *json;
	const b2b_json *doc;
} prun;

static void
price(prun *r, const b2b_book *book, const char *customer, const char *sku, const char *qty,
      const char *as_of, const char *currency, const char *code)
{
	b2b_price_request *req;
	size_t len;

	memset(r, 0, sizeof(*r));
	ck_assert_int_eq(b2b_ctx_new(&r->ctx, NULL), 0);
	ck_assert_int_eq(b2b_price_request_new(&req, r->ctx), 0);
	ck_assert_int_eq(b2b_price_request_set_customer(req, customer), 0);
	ck_assert_int_eq(b2b_price_request_set_sku(req, sku), 0);
	ck_assert_int_eq(b2b_price_request_set_qty(req, qty), 0);
	ck_assert_int_eq(b2b_price_request_set_as_of(req, as_of), 0);
	ck_assert_int_eq(b2b_price_request_set_currency(req, currency), 0);
	if (code != NULL)
		ck_assert_int_eq(b2b_price_request_add_code(req, code), 0);
	r->rc = b2b_price_compute(&r->p, r->ctx, book, req, NULL);
	ck_assert_int_eq(r->rc, 0);
	ck_assert_int_eq(b2b_price_ok(r->p), b2b_price_error_count(r->p) == 0);
	if (!b2b_price_ok(r->p))
		r->rc = NOT_PRICED;
	ck_assert_int_eq(b2b_price_to_json(&r->json, &len, r->ctx, r->p), 0);
	ck_assert_int_eq(b2b_json_parse(&r->doc, r->ctx, r->json, len, 0), 0);
}

START_TEST(test_price_document)
{
	b2b_book *book = mkbook("# settings\nkey,value\nbase_currency,EUR\nmin_margin_percent,10\n"
	                        BOOK_BASE);
	prun R;
	b2b_dec d;

	/* X (inactive) in USD: 5 × 1.1 = 5.5; × 3 = 16.50; floor r9(2 × 1.1) × 1.1 = 2.42 */
	price(&R, book, "C1", "X", "3", "2026-06-15", "USD", "NOPE");
	ck_assert_int_eq(R.rc, 0);
	ck_assert_str_eq(keys(R.doc, ""), "customer,sku,qty,currency,as_of,channel,list_price,"
	                 "unit_price,amount,discount_percent,protected,below_floor,floor,waterfall,"
	                 "candidates,hints,fingerprint,warnings");
	CK("currency", "USD");
	CK("channel", "web");
	CK("list_price", "5.5000");
	CK("amount", "16.50");
	CK("floor", "2.420000000");      /* r9(2 × 1.1) × 1.1 */
	CK("waterfall[1].step", "fx");
	CK("waterfall[1].source", "fx:EUR/USD");
	CK("warnings", "[2]");
	CK("warnings[0].code", "UNKNOWN_CODE");
	CK("warnings[1].code", "INACTIVE_SKU");
	CK("warnings[1].line", "<missing>");
	ck_assert_int_eq(b2b_price_floor(&d, R.p), 0);
	ck_assert(dec_eq(d, "2.42"));
	ck_assert(dec_eq(b2b_price_amount(R.p), "16.50"));
	ck_assert_str_eq(b2b_step_name(b2b_price_step(R.p, 0)), "list");
	b2b_ctx_free(R.ctx);
	/* no cost: floor null */
	price(&R, book, "C1", "B", "1", "2026-06-15", NULL, NULL);
	ck_assert_int_eq(R.rc, 0);
	CK("floor", "null");
	CK("warnings", "[0]");
	ck_assert_int_eq(b2b_price_floor(&d, R.p), B2B_ENOTFOUND);
	b2b_ctx_free(R.ctx);
	b2b_book_unref(book);
}
END_TEST

/* `b2b price` paths are the inputs' names (SPEC §9.7, §9.23). */
START_TEST(test_price_errors)
{
	b2b_book *book = mkbook(SETTINGS_EUR BOOK_BASE);
	prun R;

	price(&R, book, "NOBODY", "NOPE", "0", "June", NULL, NULL);
	ck_assert_int_eq(R.rc, NOT_PRICED);
	CK("errors", "[4]");
	CK("errors[0].code", "MALFORMED");
	CK("errors[0].path", "as_of");
	CK("errors[1].code", "UNKNOWN_CUSTOMER");
	CK("errors[1].path", "customer");
	CK("errors[2].code", "QTY_NOT_POSITIVE");
	CK("errors[2].path", "qty");
	CK("errors[3].code", "UNKNOWN_SKU");
	CK("errors[3].path", "sku");
	b2b_ctx_free(R.ctx);
	price(&R, book, "C1", "G", "1", "2026-06-15", NULL, NULL);
	ck_assert_int_eq(R.rc, NOT_PRICED);
	CK("errors[0].code", "NO_FX_RATE");
	CK("errors[0].path", "sku");
	b2b_ctx_free(R.ctx);
	price(&R, book, "C1", "A", "x", "2026-06-15", "EURO", NULL);
	ck_assert_int_eq(R.rc, NOT_PRICED);
	CK("errors[0].path", "currency");
	CK("errors[1].path", "qty");
	ck_assert_str_eq(b2b_price_error_path(R.p, 1), "qty");
	b2b_ctx_free(R.ctx);
	price(&R, book, NULL, NULL, NULL, NULL, NULL, NULL);
	ck_assert_int_eq(R.rc, NOT_PRICED);
	CK("errors", "[4]");
	CK("errors[0].path", "as_of");
	CK("errors[1].path", "customer");
	CK("errors[2].path", "qty");
	CK("errors[3].path", "sku");
	b2b_ctx_free(R.ctx);
	b2b_book_unref(book);
}
END_TEST

/*
 * Every accessor of a computed quote, hand-computed, on the quote of
 * test_approval_reasons_order built with the builder calls, with the
 * optional header fields given: currency EUR (the customer's anyway),
 * channel "sales" (no price list uses channels), valid_until, one unknown
 * coupon code. Then every indexed accessor one past its end.
 */
START_TEST(test_accessors_every_figure)
{
	b2b_book *book = mkbook("# settings\nkey,value\nbase_currency,EUR\nmin_margin_percent,10\n"
	                        BOOK_BASE APPROVALS);
	b2b_quote_request *req;
	const b2b_quote *q;
	const b2b_step *s;
	b2b_time t;
	b2b_dec d;
	b2b_ctx *ctx;

	ck_assert_int_eq(b2b_ctx_new(&ctx, NULL), 0);
	ck_assert_int_eq(b2b_quote_request_new(&req, ctx), 0);
	ck_assert_int_eq(b2b_quote_request_set_quote_id(req, "Q1"), 0);
	ck_assert_int_eq(b2b_quote_request_set_customer(req, "C1"), 0);
	ck_assert_int_eq(b2b_quote_request_set_as_of(req, "2026-06-15"), 0);
	ck_assert_int_eq(b2b_quote_request_set_currency(req, "EUR"), 0);
	ck_assert_int_eq(b2b_quote_request_set_channel(req, "sales"), 0);
	ck_assert_int_eq(b2b_quote_request_set_valid_until(req, "2026-07-01"), 0);
	ck_assert_int_eq(b2b_quote_request_add_code(req, "NOPE"), 0);
	ck_assert_int_eq(b2b_quote_request_add_line(req, "A", "5", "8"), 0);
	ck_assert_int_eq(b2b_quote_request_add_line(req, "A", "1", "6.5"), 0);
	ck_assert_int_eq(b2b_quote_request_add_line(req, "B", "1", NULL), 0);
	ck_assert_int_eq(b2b_quote_compute(&q, ctx, book, req, NULL), 0);
	ck_assert_int_eq(b2b_quote_ok(q), 1);

	/* header */
	ck_assert_str_eq(b2b_quote_id(q), "Q1");
	ck_assert_str_eq(b2b_quote_customer(q), "C1");
	ck_assert_str_eq(b2b_quote_currency(q), "EUR");
	ck_assert_str_eq(b2b_quote_channel(q), "sales");
	ck_assert_ptr_null(b2b_quote_ship_to(q));
	ck_assert_str_eq(b2b_quote_fingerprint(q), b2b_book_fingerprint(book));
	t = b2b_quote_as_of(q);
	ck_assert_int_eq(t.sec, 1781481600);     /* 20,619 days × 86,400 */
	ck_assert_int_eq(t.form, B2B_TIME_DATE);
	ck_assert_int_eq(b2b_quote_valid_until(&t, q), 0);
	ck_assert_int_eq(t.sec, 1782864000);     /* + 16 days */
	ck_assert_int_eq(t.form, B2B_TIME_DATE);
	ck_assert_uint_eq(b2b_quote_code_count(q), 1);
	ck_assert_str_eq(b2b_quote_code(q, 0), "NOPE");
	ck_assert_ptr_null(b2b_quote_code(q, 1));

	/* lines: 5 × 8 = 40.00 (list 10, 20 % off), 1 × 6.5 = 6.50 (35 % off,
	 * below its floor 6 × 1.10 = 6.60), 1 × 3.33; no ship_to: 20 %:
	 * 8.00, 1.30, 0.666 → 0.67; costs 6 × 5 = 30.00 and 6.00 */
	ck_assert_uint_eq(b2b_quote_line_count(q), 3);
	ck_assert_str_eq(b2b_quote_line_sku(q, 0), "A");
	ck_assert_str_eq(b2b_quote_line_qty_text(q, 0), "5");
	ck_assert(dec_eq(b2b_quote_line_qty(q, 0), "5"));
	ck_assert(dec_eq(b2b_quote_line_list_price(q, 0), "10"));
	ck_assert(dec_eq(b2b_quote_line_unit_price(q, 0), "8"));
	ck_assert(dec_eq(b2b_quote_line_amount(q, 0), "40.00"));
	ck_assert(dec_eq(b2b_quote_line_order_discount(q, 0), "0"));
	ck_assert(dec_eq(b2b_quote_line_net_amount(q, 0), "40.00"));
	ck_assert(dec_eq(b2b_quote_line_tax_rate(q, 0), "20"));
	ck_assert(dec_eq(b2b_quote_line_tax(q, 0), "8.00"));
	ck_assert(dec_eq(b2b_quote_line_total(q, 0), "48.00"));
	ck_assert_int_eq(b2b_quote_line_cost(&d, q, 0), 0);
	ck_assert(dec_eq(d, "30.00"));
	ck_assert_int_eq(b2b_quote_line_margin(&d, q, 0), 0);
	ck_assert(dec_eq(d, "10.00"));
	ck_assert(dec_eq(b2b_quote_line_discount_percent(q, 0), "20.00"));
	ck_assert_int_eq(b2b_quote_line_protected(q, 0), 0);
	ck_assert_int_eq(b2b_quote_line_below_floor(q, 0), 0);
	ck_assert_int_eq(b2b_quote_line_below_floor(q, 1), 1);
	ck_assert(dec_eq(b2b_quote_line_discount_percent(q, 1), "35.00"));
	ck_assert_int_eq(b2b_quote_line_margin(&d, q, 1), 0);
	ck_assert(dec_eq(d, "0.50"));          /* 6.50 − 6.00 */
	ck_assert(dec_eq(b2b_quote_line_tax(q, 2), "0.67"));
	ck_assert(dec_eq(b2b_quote_line_total(q, 2), "4.00"));
	ck_assert_int_eq(b2b_quote_line_cost(&d, q, 2), B2B_ENOTFOUND);
	ck_assert_int_eq(b2b_quote_line_margin(&d, q, 2), B2B_ENOTFOUND);
	ck_assert(dec_eq(d, "0.50"));          /* untouched */
	/* waterfall of line 0: list 10 → requested 8 → rounding at 4 decimals */
	ck_assert_uint_eq(b2b_quote_line_step_count(q, 0), 3);
	s = b2b_quote_line_step(q, 0, 1);
	ck_assert_str_eq(b2b_step_name(s), "requested");
	ck_assert(dec_eq(b2b_step_before(s), "10"));
	ck_assert(dec_eq(b2b_step_after(s), "8"));
	ck_assert_ptr_null(b2b_quote_line_step(q, 0, 3));
	ck_assert_uint_eq(b2b_quote_line_candidate_count(q, 0), 0);   /* no explain */
	ck_assert_ptr_null(b2b_quote_line_candidate(q, 0, 0));

	/* document: 49.83 + 9.97 = 59.80; one tax row at 20 %; margin 10.50
	 * over the net 46.50 of the lines with a cost = 22.58 % */
	ck_assert(dec_eq(b2b_quote_subtotal(q), "49.83"));
	ck_assert(dec_eq(b2b_quote_discount_total(q), "0"));
	ck_assert(dec_eq(b2b_quote_tax_total(q), "9.97"));
	ck_assert(dec_eq(b2b_quote_total(q), "59.80"));
	ck_assert_uint_eq(b2b_quote_discount_count(q), 0);
	ck_assert_ptr_null(b2b_quote_discount_promotion(q, 0));
	ck_assert(dec_eq(b2b_quote_discount_amount(q, 0), "0"));
	ck_assert_uint_eq(b2b_quote_tax_count(q), 1);
	ck_assert(dec_eq(b2b_quote_tax_rate(q, 0), "20"));
	ck_assert(dec_eq(b2b_quote_tax_base(q, 0), "49.83"));
	ck_assert(dec_eq(b2b_quote_tax_amount(q, 0), "9.97"));
	ck_assert(dec_eq(b2b_quote_tax_rate(q, 1), "0"));
	ck_assert(dec_eq(b2b_quote_tax_base(q, 1), "0"));
	ck_assert(dec_eq(b2b_quote_tax_amount(q, 1), "0"));
	ck_assert_int_eq(b2b_quote_margin(&d, q), 0);
	ck_assert(dec_eq(d, "10.50"));
	ck_assert_int_eq(b2b_quote_margin_percent(&d, q), 0);
	ck_assert(dec_eq(d, "22.58"));
	ck_assert_int_eq(b2b_quote_payable(&d, q), B2B_ENOTFOUND);
	ck_assert_int_eq(b2b_quote_cash_adjustment(&d, q), B2B_ENOTFOUND);
	ck_assert(dec_eq(d, "22.58"));         /* untouched */

	/* approval: as in test_approval_reasons_order */
	ck_assert_int_eq(b2b_quote_approval_level(q), 3);
	ck_assert_uint_eq(b2b_quote_reason_count(q), 6);
	ck_assert_str_eq(b2b_quote_reason_rule(q, 0), "AP-A");
	ck_assert_int_eq(b2b_quote_reason_line(q, 0), -1);
	ck_assert(dec_eq(b2b_quote_reason_value(q, 0), "59.80"));
	ck_assert_str_eq(b2b_quote_reason_rule(q, 2), "AP-B");
	ck_assert_int_eq(b2b_quote_reason_line(q, 2), 1);
	ck_assert(dec_eq(b2b_quote_reason_value(q, 2), "35.00"));
	ck_assert_str_eq(b2b_quote_reason_rule(q, 5), "below_floor");
	ck_assert_int_eq(b2b_quote_reason_line(q, 5), 1);
	ck_assert(dec_eq(b2b_quote_reason_value(q, 5), "6.5"));
	ck_assert_ptr_null(b2b_quote_reason_rule(q, 6));
	ck_assert_int_eq(b2b_quote_reason_line(q, 6), -1);
	ck_assert(dec_eq(b2b_quote_reason_value(q, 6), "0"));

	/* warnings: the unknown code, document-level */
	ck_assert_uint_eq(b2b_quote_warning_count(q), 1);
	ck_assert_str_eq(b2b_quote_warning_code(q, 0), "UNKNOWN_CODE");
	ck_assert_int_eq(b2b_quote_warning_line(q, 0), -1);
	ck_assert_str_eq(b2b_quote_warning_message(q, 0), "no promotion has the code 'NOPE'");
	ck_assert_ptr_null(b2b_quote_warning_code(q, 1));
	ck_assert_int_eq(b2b_quote_warning_line(q, 1), -1);
	ck_assert_ptr_null(b2b_quote_warning_message(q, 1));

	/* line 3 does not exist: NULL, zero, EINVAL */
	ck_assert_ptr_null(b2b_quote_line_sku(q, 3));
	ck_assert_ptr_null(b2b_quote_line_qty_text(q, 3));
	ck_assert(dec_eq(b2b_quote_line_qty(q, 3), "0"));
	ck_assert(dec_eq(b2b_quote_line_total(q, 3), "0"));
	ck_assert_int_eq(b2b_quote_line_cost(&d, q, 3), B2B_EINVAL);
	ck_assert_int_eq(b2b_quote_line_margin(&d, q, 3), B2B_EINVAL);
	ck_assert_int_eq(b2b_quote_line_protected(q, 3), 0);
	ck_assert_int_eq(b2b_quote_line_below_floor(q, 3), 0);
	ck_assert_uint_eq(b2b_quote_line_step_count(q, 3), 0);
	ck_assert_ptr_null(b2b_quote_line_step(q, 3, 0));
	ck_assert_uint_eq(b2b_quote_line_candidate_count(q, 3), 0);
	ck_assert_ptr_null(b2b_quote_line_candidate(q, 3, 0));
	/* no out argument */
	ck_assert_int_eq(b2b_quote_valid_until(NULL, q), B2B_EINVAL);
	ck_assert_int_eq(b2b_quote_margin(NULL, q), B2B_EINVAL);
	ck_assert_int_eq(b2b_quote_line_cost(NULL, q, 0), B2B_EINVAL);
	ck_assert_int_eq(b2b_quote_line_margin(NULL, q, 0), B2B_EINVAL);
	/* a computed quote has no error */
	ck_assert_ptr_null(b2b_quote_error_code(q, 0));
	ck_assert_ptr_null(b2b_quote_error_path(q, 0));
	ck_assert_ptr_null(b2b_quote_error_message(q, 0));
	b2b_ctx_free(ctx);
	b2b_book_unref(book);
}
END_TEST

/* Clearing a field with NULL makes it "not given" again: the customer's
 * currency and channel, the default validity, the checks of a missing
 * required field. */
START_TEST(test_builder_null_clears)
{
	b2b_book *book = mkbook("# settings\nkey,value\nbase_currency,EUR\nquote_validity_days,30\n"
	                        BOOK_BASE);
	b2b_quote_request *req;
	const b2b_quote *q;
	b2b_time t;
	b2b_ctx *ctx;

	ck_assert_int_eq(b2b_ctx_new(&ctx, NULL), 0);
	ck_assert_int_eq(b2b_quote_request_new(&req, ctx), 0);
	ck_assert_int_eq(b2b_quote_request_set_quote_id(req, "Q1"), 0);
	ck_assert_int_eq(b2b_quote_request_set_customer(req, "C1"), 0);
	ck_assert_int_eq(b2b_quote_request_set_as_of(req, "2026-06-15"), 0);
	ck_assert_int_eq(b2b_quote_request_set_currency(req, "USD"), 0);
	ck_assert_int_eq(b2b_quote_request_set_channel(req, "sales"), 0);
	ck_assert_int_eq(b2b_quote_request_set_ship_to(req, "DE"), 0);
	ck_assert_int_eq(b2b_quote_request_set_valid_until(req, "2026-08-01"), 0);
	ck_assert_int_eq(b2b_quote_request_add_line(req, "A", "1", NULL), 0);
	ck_assert_int_eq(b2b_quote_compute(&q, ctx, book, req, NULL), 0);
	ck_assert_str_eq(b2b_quote_currency(q), "USD");
	ck_assert(dec_eq(b2b_quote_total(q), "13.09"));   /* 11.00 + 19 % (DE) */
	ck_assert_str_eq(b2b_quote_ship_to(q), "DE");
	/* cleared: C1's currency and channel, no region (20 %), as_of + 30 days */
	ck_assert_int_eq(b2b_quote_request_set_currency(req, NULL), 0);
	ck_assert_int_eq(b2b_quote_request_set_channel(req, NULL), 0);
	ck_assert_int_eq(b2b_quote_request_set_ship_to(req, NULL), 0);
	ck_assert_int_eq(b2b_quote_request_set_valid_until(req, NULL), 0);
	ck_assert_int_eq(b2b_quote_compute(&q, ctx, book, req, NULL), 0);
	ck_assert_str_eq(b2b_quote_currency(q), "EUR");
	ck_assert_str_eq(b2b_quote_channel(q), "web");
	ck_assert_ptr_null(b2b_quote_ship_to(q));
	ck_assert(dec_eq(b2b_quote_total(q), "12.00"));
	ck_assert_int_eq(b2b_quote_valid_until(&t, q), 0);
	ck_assert_int_eq(t.sec, 1781481600 + 30 * 86400);
	/* a required field cleared is missing */
	ck_assert_int_eq(b2b_quote_request_set_quote_id(req, NULL), 0);
	ck_assert_int_eq(b2b_quote_compute(&q, ctx, book, req, NULL), 0);
	ck_assert_int_eq(b2b_quote_ok(q), 0);
	ck_assert_uint_eq(b2b_quote_error_count(q), 1);
	ck_assert_str_eq(b2b_quote_error_code(q, 0), "MALFORMED");
	ck_assert_str_eq(b2b_quote_error_path(q, 0), "quote_id");
	ck_assert_str_eq(b2b_quote_error_message(q, 0), "quote_id: required field is missing");
	b2b_ctx_free(ctx);
	b2b_book_unref(book);
}
END_TEST

/* On a result that lists problems, and on NULL, only b2b_quote_ok() and
 * the error accessors give data: every other accessor gives NULL, 0, a
 * zero decimal, -1 for a line, or B2B_EINVAL (quote.h, "Accessors"). */
static void
check_no_data(const b2b_quote *q)
{
	b2b_dec d = { 7, 0 };
	b2b_time t = { 5, 0, 0 };

	ck_assert_int_eq(b2b_quote_ok(q), 0);
	ck_assert_ptr_null(b2b_quote_id(q));
	ck_assert_ptr_null(b2b_quote_customer(q));
	ck_assert_ptr_null(b2b_quote_currency(q));
	ck_assert_ptr_null(b2b_quote_channel(q));
	ck_assert_ptr_null(b2b_quote_ship_to(q));
	ck_assert_ptr_null(b2b_quote_fingerprint(q));
	ck_assert_uint_eq(b2b_quote_code_count(q), 0);
	ck_assert_ptr_null(b2b_quote_code(q, 0));
	t = b2b_quote_as_of(q);
	ck_assert_int_eq(t.sec, 0);
	ck_assert_int_eq(t.form, 0);
	ck_assert_int_eq(b2b_quote_valid_until(&t, q), B2B_EINVAL);
	ck_assert_int_eq(b2b_quote_minor_units(q), 0);
	ck_assert_int_eq(b2b_quote_unit_price_decimals(q), 0);
	ck_assert(dec_eq(b2b_quote_subtotal(q), "0"));
	ck_assert(dec_eq(b2b_quote_discount_total(q), "0"));
	ck_assert(dec_eq(b2b_quote_tax_total(q), "0"));
	ck_assert(dec_eq(b2b_quote_total(q), "0"));
	ck_assert_int_eq(b2b_quote_margin(&d, q), B2B_EINVAL);
	ck_assert_int_eq(b2b_quote_margin_percent(&d, q), B2B_EINVAL);
	ck_assert_int_eq(b2b_quote_payable(&d, q), B2B_EINVAL);
	ck_assert_int_eq(b2b_quote_cash_adjustment(&d, q), B2B_EINVAL);
	ck_assert_uint_eq(d.lo, 7);           /* untouched */
	ck_assert_uint_eq(b2b_quote_discount_count(q), 0);
	ck_assert_ptr_null(b2b_quote_discount_promotion(q, 0));
	ck_assert(dec_eq(b2b_quote_discount_amount(q, 0), "0"));
	ck_assert_uint_eq(b2b_quote_tax_count(q), 0);
	ck_assert(dec_eq(b2b_quote_tax_rate(q, 0), "0"));
	ck_assert(dec_eq(b2b_quote_tax_base(q, 0), "0"));
	ck_assert(dec_eq(b2b_quote_tax_amount(q, 0), "0"));
	ck_assert_int_eq(b2b_quote_approval_level(q), 0);
	ck_assert_uint_eq(b2b_quote_reason_count(q), 0);
	ck_assert_ptr_null(b2b_quote_reason_rule(q, 0));
	ck_assert_int_eq(b2b_quote_reason_line(q, 0), -1);
	ck_assert(dec_eq(b2b_quote_reason_value(q, 0), "0"));
	ck_assert_uint_eq(b2b_quote_warning_count(q), 0);
	ck_assert_ptr_null(b2b_quote_warning_code(q, 0));
	ck_assert_int_eq(b2b_quote_warning_line(q, 0), -1);
	ck_assert_ptr_null(b2b_quote_warning_message(q, 0));
	ck_assert_uint_eq(b2b_quote_line_count(q), 0);
	ck_assert_ptr_null(b2b_quote_line_sku(q, 0));
	ck_assert_ptr_null(b2b_quote_line_qty_text(q, 0));
	ck_assert(dec_eq(b2b_quote_line_qty(q, 0), "0"));
	ck_assert(dec_eq(b2b_quote_line_list_price(q, 0), "0"));
	ck_assert(dec_eq(b2b_quote_line_unit_price(q, 0), "0"));
	ck_assert(dec_eq(b2b_quote_line_amount(q, 0), "0"));
	ck_assert(dec_eq(b2b_quote_line_order_discount(q, 0), "0"));
	ck_assert(dec_eq(b2b_quote_line_net_amount(q, 0), "0"));
	ck_assert(dec_eq(b2b_quote_line_tax_rate(q, 0), "0"));
	ck_assert(dec_eq(b2b_quote_line_tax(q, 0), "0"));
	ck_assert(dec_eq(b2b_quote_line_total(q, 0), "0"));
	ck_assert(dec_eq(b2b_quote_line_discount_percent(q, 0), "0"));
	ck_assert_int_eq(b2b_quote_line_cost(&d, q, 0), B2B_EINVAL);
	ck_assert_int_eq(b2b_quote_line_margin(&d, q, 0), B2B_EINVAL);
	ck_assert_int_eq(b2b_quote_line_protected(q, 0), 0);
	ck_assert_int_eq(b2b_quote_line_below_floor(q, 0), 0);
	ck_assert_uint_eq(b2b_quote_line_step_count(q, 0), 0);
	ck_assert_ptr_null(b2b_quote_line_step(q, 0, 0));
	ck_assert_uint_eq(b2b_quote_line_candidate_count(q, 0), 0);
	ck_assert_ptr_null(b2b_quote_line_candidate(q, 0, 0));
}

static void
check_price_no_data(const b2b_price *p)
{
	b2b_dec d = { 7, 0 };
	b2b_time t;

	ck_assert_int_eq(b2b_price_ok(p), 0);
	ck_assert_ptr_null(b2b_price_customer(p));
	ck_assert_ptr_null(b2b_price_sku(p));
	ck_assert_ptr_null(b2b_price_currency(p));
	ck_assert_ptr_null(b2b_price_channel(p));
	t = b2b_price_as_of(p);
	ck_assert_int_eq(t.sec, 0);
	ck_assert(dec_eq(b2b_price_qty(p), "0"));
	ck_assert_ptr_null(b2b_price_qty_text(p));
	ck_assert_int_eq(b2b_price_minor_units(p), 0);
	ck_assert(dec_eq(b2b_price_list_price(p), "0"));
	ck_assert(dec_eq(b2b_price_unit_price(p), "0"));
	ck_assert(dec_eq(b2b_price_amount(p), "0"));
	ck_assert(dec_eq(b2b_price_discount_percent(p), "0"));
	ck_assert_int_eq(b2b_price_protected(p), 0);
	ck_assert_int_eq(b2b_price_below_floor(p), 0);
	ck_assert_int_eq(b2b_price_floor(&d, p), B2B_EINVAL);
	ck_assert_uint_eq(d.lo, 7);
	ck_assert_ptr_null(b2b_price_fingerprint(p));
	ck_assert_uint_eq(b2b_price_step_count(p), 0);
	ck_assert_ptr_null(b2b_price_step(p, 0));
	ck_assert_uint_eq(b2b_price_candidate_count(p), 0);
	ck_assert_ptr_null(b2b_price_candidate(p, 0));
	ck_assert_uint_eq(b2b_price_warning_count(p), 0);
	ck_assert_ptr_null(b2b_price_warning_code(p, 0));
	ck_assert_ptr_null(b2b_price_warning_message(p, 0));
}

START_TEST(test_accessors_without_data)
{
	b2b_book *book = mkbook(SETTINGS_EUR BOOK_BASE);
	b2b_price_request *preq;
	const b2b_price *p;
	qrun R;

	quote(&R, book, "{" HDR "'lines': [{'sku': 'NOPE', 'qty': '1'}]}");
	ck_assert_int_eq(R.rc, NOT_PRICED);
	check_no_data(R.q);
	ck_assert_uint_eq(b2b_quote_error_count(R.q), 1);
	ck_assert_str_eq(b2b_quote_error_code(R.q, 0), "UNKNOWN_SKU");
	ck_assert_str_eq(b2b_quote_error_message(R.q, 0), "unknown sku 'NOPE'");
	ck_assert_ptr_null(b2b_quote_error_code(R.q, 1));
	ck_assert_ptr_null(b2b_quote_error_path(R.q, 1));
	ck_assert_ptr_null(b2b_quote_error_message(R.q, 1));

	ck_assert_int_eq(b2b_price_request_new(&preq, R.ctx), 0);
	ck_assert_int_eq(b2b_price_request_set_customer(preq, "C1"), 0);
	ck_assert_int_eq(b2b_price_request_set_sku(preq, "NOPE"), 0);
	ck_assert_int_eq(b2b_price_request_set_qty(preq, "1"), 0);
	ck_assert_int_eq(b2b_price_request_set_as_of(preq, "2026-06-15"), 0);
	ck_assert_int_eq(b2b_price_compute(&p, R.ctx, book, preq, NULL), 0);
	check_price_no_data(p);
	ck_assert_uint_eq(b2b_price_error_count(p), 1);
	ck_assert_str_eq(b2b_price_error_code(p, 0), "UNKNOWN_SKU");
	ck_assert_str_eq(b2b_price_error_path(p, 0), "sku");
	ck_assert_str_eq(b2b_price_error_message(p, 0), "unknown sku 'NOPE'");
	ck_assert_ptr_null(b2b_price_error_message(p, 1));
	done(&R);

	check_no_data(NULL);
	ck_assert_uint_eq(b2b_quote_error_count(NULL), 0);
	ck_assert_ptr_null(b2b_quote_error_code(NULL, 0));
	ck_assert_ptr_null(b2b_quote_error_path(NULL, 0));
	ck_assert_ptr_null(b2b_quote_error_message(NULL, 0));
	check_price_no_data(NULL);
	ck_assert_ptr_null(b2b_price_error_code(NULL, 0));
	b2b_book_unref(book);
}
END_TEST

/* Every builder call with a NULL request is B2B_EINVAL; a price request
 * handed to a quote call (a cast in C, a wrong handle in a binding) too,
 * and b2b_quote_compute() and b2b_quote_to_json() refuse a price. */
START_TEST(test_builder_einval)
{
	b2b_book *book = mkbook(SETTINGS_EUR BOOK_BASE);
	b2b_quote_request *qp;
	b2b_price_request *preq;
	const b2b_quote *q = NULL;
	const b2b_price *p = NULL;
	const char *doc;
	b2b_ctx *ctx;

	ck_assert_int_eq(b2b_ctx_new(&ctx, NULL), 0);
	ck_assert_int_eq(b2b_quote_request_new(NULL, ctx), B2B_EINVAL);
	ck_assert_int_eq(b2b_price_request_new(NULL, ctx), B2B_EINVAL);
	ck_assert_int_eq(b2b_price_request_new(&preq, NULL), B2B_EINVAL);
	ck_assert_ptr_null(preq);
	ck_assert_int_eq(b2b_quote_request_set_quote_id(NULL, "Q"), B2B_EINVAL);
	ck_assert_int_eq(b2b_quote_request_set_customer(NULL, "C1"), B2B_EINVAL);
	ck_assert_int_eq(b2b_quote_request_set_as_of(NULL, "2026-06-15"), B2B_EINVAL);
	ck_assert_int_eq(b2b_quote_request_set_currency(NULL, "EUR"), B2B_EINVAL);
	ck_assert_int_eq(b2b_quote_request_set_channel(NULL, "web"), B2B_EINVAL);
	ck_assert_int_eq(b2b_quote_request_set_ship_to(NULL, "DE"), B2B_EINVAL);
	ck_assert_int_eq(b2b_quote_request_set_valid_until(NULL, "2026-07-01"), B2B_EINVAL);
	ck_assert_int_eq(b2b_quote_request_set_explain(NULL, 1), B2B_EINVAL);
	ck_assert_int_eq(b2b_quote_request_set_cash_rounding(NULL, 1), B2B_EINVAL);
	ck_assert_int_eq(b2b_quote_request_add_code(NULL, "X"), B2B_EINVAL);
	ck_assert_int_eq(b2b_price_request_set_customer(NULL, "C1"), B2B_EINVAL);
	ck_assert_int_eq(b2b_price_request_set_sku(NULL, "A"), B2B_EINVAL);
	ck_assert_int_eq(b2b_price_request_set_qty(NULL, "1"), B2B_EINVAL);
	ck_assert_int_eq(b2b_price_request_set_as_of(NULL, "2026-06-15"), B2B_EINVAL);
	ck_assert_int_eq(b2b_price_request_set_currency(NULL, "EUR"), B2B_EINVAL);
	ck_assert_int_eq(b2b_price_request_set_channel(NULL, "web"), B2B_EINVAL);
	ck_assert_int_eq(b2b_price_request_add_code(NULL, "X"), B2B_EINVAL);

	ck_assert_int_eq(b2b_price_request_new(&preq, ctx), 0);
	ck_assert_int_eq(b2b_price_request_add_code(preq, NULL), B2B_EINVAL);
	ck_assert_int_eq(b2b_price_request_set_channel(preq, "sales"), 0);
	qp = (b2b_quote_request *)(void *)preq;
	ck_assert_int_eq(b2b_quote_request_set_quote_id(qp, "Q"), B2B_EINVAL);
	ck_assert_int_eq(b2b_quote_request_set_explain(qp, 1), B2B_EINVAL);
	ck_assert_int_eq(b2b_quote_request_set_cash_rounding(qp, 1), B2B_EINVAL);
	ck_assert_int_eq(b2b_quote_request_add_code(qp, "X"), B2B_EINVAL);
	ck_assert_int_eq(b2b_quote_request_add_line(qp, "A", "1", NULL), B2B_EINVAL);
	ck_assert_int_eq(b2b_quote_compute(&q, ctx, book, qp, NULL), B2B_EINVAL);
	ck_assert_ptr_null(q);

	/* a priced price is not a quote, and the other way round */
	ck_assert_int_eq(b2b_price_request_set_customer(preq, "C1"), 0);
	ck_assert_int_eq(b2b_price_request_set_sku(preq, "A"), 0);
	ck_assert_int_eq(b2b_price_request_set_qty(preq, "1"), 0);
	ck_assert_int_eq(b2b_price_request_set_as_of(preq, "2026-06-15"), 0);
	ck_assert_int_eq(b2b_price_compute(&p, ctx, book, preq, NULL), 0);
	ck_assert_int_eq(b2b_price_ok(p), 1);
	ck_assert_str_eq(b2b_price_channel(p), "sales");
	ck_assert_int_eq(b2b_quote_to_json(&doc, NULL, ctx, (const b2b_quote *)(const void *)p),
	                 B2B_EINVAL);
	ck_assert_int_eq(b2b_price_to_json(&doc, NULL, NULL, p), B2B_EINVAL);
	ck_assert_int_eq(b2b_price_to_json(NULL, NULL, ctx, p), B2B_EINVAL);
	ck_assert_int_eq(b2b_price_to_json(&doc, NULL, ctx, NULL), B2B_EINVAL);
	ck_assert_str_eq(b2b_ctx_errmsg(ctx), "b2b_price_to_json: not a price");
	ck_assert_int_eq(b2b_price_compute(NULL, ctx, book, preq, NULL), B2B_EINVAL);
	ck_assert_int_eq(b2b_price_compute(&p, NULL, book, preq, NULL), B2B_EINVAL);
	ck_assert_int_eq(b2b_price_compute(&p, ctx, NULL, preq, NULL), B2B_EINVAL);
	ck_assert_str_eq(b2b_ctx_errmsg(ctx), "b2b_price_compute: NULL argument");
	ck_assert_int_eq(b2b_price_compute(&p, ctx, book, NULL, NULL), B2B_EINVAL);
	b2b_ctx_free(ctx);
	b2b_book_unref(book);
}
END_TEST

/* Every accessor of a price result (b2b/price.h), hand-computed: X
 * (inactive, cost 2) for C1 in USD: 5 × 1.1 = 5.50, × 3 = 16.50; floor
 * r9(2 × 1.1) × 1.1 = 2.42 (min_margin_percent 10). */
START_TEST(test_price_accessors)
{
	b2b_book *book = mkbook("# settings\nkey,value\nbase_currency,EUR\nmin_margin_percent,10\n"
	                        BOOK_BASE);
	prun R;
	b2b_time t;

	price(&R, book, "C1", "X", "3.0", "2026-06-15", "USD", "NOPE");
	ck_assert_int_eq(R.rc, 0);
	ck_assert_str_eq(b2b_price_customer(R.p), "C1");
	ck_assert_str_eq(b2b_price_sku(R.p), "X");
	ck_assert_str_eq(b2b_price_currency(R.p), "USD");
	ck_assert_str_eq(b2b_price_channel(R.p), "web");
	t = b2b_price_as_of(R.p);
	ck_assert_int_eq(t.sec, 1781481600);
	ck_assert(dec_eq(b2b_price_qty(R.p), "3"));
	ck_assert_str_eq(b2b_price_qty_text(R.p), "3.0");
	ck_assert_int_eq(b2b_price_minor_units(R.p), 2);
	ck_assert(dec_eq(b2b_price_list_price(R.p), "5.5"));
	ck_assert(dec_eq(b2b_price_unit_price(R.p), "5.5"));
	ck_assert(dec_eq(b2b_price_amount(R.p), "16.50"));
	ck_assert(dec_eq(b2b_price_discount_percent(R.p), "0"));
	ck_assert_int_eq(b2b_price_protected(R.p), 0);
	ck_assert_int_eq(b2b_price_below_floor(R.p), 0);
	ck_assert_str_eq(b2b_price_fingerprint(R.p), b2b_book_fingerprint(book));
	/* list 5 → fx 5.5 → rounding 5.5 */
	ck_assert_uint_eq(b2b_price_step_count(R.p), 3);
	ck_assert_str_eq(b2b_step_name(b2b_price_step(R.p, 1)), "fx");
	ck_assert(dec_eq(b2b_step_after(b2b_price_step(R.p, 1)), "5.5"));
	ck_assert_ptr_null(b2b_price_step(R.p, 3));
	ck_assert_uint_eq(b2b_price_candidate_count(R.p), 0);
	ck_assert_ptr_null(b2b_price_candidate(R.p, 0));
	ck_assert_uint_eq(b2b_price_warning_count(R.p), 2);
	ck_assert_str_eq(b2b_price_warning_code(R.p, 0), "UNKNOWN_CODE");
	ck_assert_str_eq(b2b_price_warning_message(R.p, 0), "no promotion has the code 'NOPE'");
	ck_assert_str_eq(b2b_price_warning_code(R.p, 1), "INACTIVE_SKU");
	ck_assert_str_eq(b2b_price_warning_message(R.p, 1), "sku 'X' is inactive; priced all the same");
	ck_assert_ptr_null(b2b_price_warning_code(R.p, 2));
	ck_assert_ptr_null(b2b_price_warning_message(R.p, 2));
	ck_assert_uint_eq(b2b_price_error_count(R.p), 0);
	ck_assert_ptr_null(b2b_price_error_code(R.p, 0));
	ck_assert_int_eq(b2b_price_floor(NULL, R.p), B2B_EINVAL);
	b2b_ctx_free(R.ctx);
	b2b_book_unref(book);
}
END_TEST

/*===========================================================================
 * MARK: - Limits: allocation failures
 *===========================================================================*/

typedef struct oom_case {
	const b2b_book *book;
	const char *text;
} oom_case;

static int
oom_body(const b2b_allocator *a, void *ud)
{
	const oom_case *c = ud;
	b2b_ctx_options o = B2B_CTX_OPTIONS_INIT;
	const b2b_quote *q = (const b2b_quote *)ud;
	const char *doc;
	b2b_ctx *ctx;
	int rc;

	o.allocator = a;
	o.arena_initial = 512;
	if ((rc = b2b_ctx_new(&ctx, &o)) < 0)
		return rc;
	rc = b2b_quote_from_json(&q, ctx, c->book, c->text, strlen(c->text), NULL);
	if (rc == B2B_ENOMEM && q != NULL)
		rc = B2B_ERROR;   /* *out must be NULL */
	if (rc == 0)
		rc = b2b_quote_to_json(&doc, NULL, ctx, q);
	b2b_ctx_free(ctx);
	return rc;
}

START_TEST(test_oom_loop)
{
	b2b_book *book = mkbook(SETTINGS_EUR BOOK_BASE PROMOS_O12);
	char *text = dq("{" HDR "'codes': ['A', 'B'], 'explain': true, 'lines': ["
	                "{'sku': 'A', 'qty': '10'}, {'sku': 'B', 'qty': '3'}, {'sku': 'C', 'qty': '5'}]}");
	oom_case c = { book, text };
	long n = failalloc_loop(oom_body, &c, 10000);

	ck_assert_int_gt(n, 3);
	free(text);
	b2b_book_unref(book);
}
END_TEST

/*===========================================================================
 * MARK: - Properties over random books and documents
 *===========================================================================*/

/* A random small book as text. */
static void
random_book_spec(char *buf, size_t size, uint64_t *s)
{
	static const char *const modes[] = { "half_up", "half_even", "down", "up", "floor" };
	size_t n = 0;
	unsigned i, np = 2 + rn(s, 6), npromo = rn(s, 4);

	n += (size_t)snprintf(buf + n, size - n,
	                      "# settings\nkey,value\nbase_currency,EUR\nrounding_mode,%s\n"
	                      "unit_price_decimals,%u\ntax_rounding,%s\nmax_discount_percent,%u\n",
	                      modes[rn(s, 5)], rn(s, 5), rn(s, 2) ? "line" : "document",
	                      rn(s, 2) ? 100 : 1 + rn(s, 30));
	n += (size_t)snprintf(buf + n, size - n,
	                      "# products\nsku,list_price,cost,tax_class\n");
	for (i = 0; i < np; i++) {
		unsigned lp = rn(s, 100000);
		n += (size_t)snprintf(buf + n, size - n, "P%u,%u.%03u,", i, lp / 1000, lp % 1000);
		if (rn(s, 3))
			n += (size_t)snprintf(buf + n, size - n, "%u.%02u", lp / 2000, rn(s, 100));
		n += (size_t)snprintf(buf + n, size - n, ",%s\n",
		                      rn(s, 4) == 0 ? "" : rn(s, 2) ? "t1" : "t2");
	}
	n += (size_t)snprintf(buf + n, size - n,
	                      "# customers\nid\nC\n"
	                      "# taxes\ntax_class,region,rate_percent\nt1,*,%u.%u\nt2,*,%u\n",
	                      rn(s, 25), rn(s, 10), rn(s, 3) * 5);
	if (npromo > 0) {
		n += (size_t)snprintf(buf + n, size - n,
		                      "# promotions\nid,kind,value,priority,stacking,min_subtotal\n");
		for (i = 0; i < npromo; i++) {
			int pct = (int)rn(s, 2);
			n += (size_t)snprintf(buf + n, size - n, "O%u,%s,%u.%02u,%u,%s,%s\n", i,
			                      pct ? "order_percent" : "order_amount",
			                      pct ? 1 + rn(s, 30) : 1 + rn(s, 50), rn(s, 100), rn(s, 3),
			                      rn(s, 4) == 0 ? "exclusive" : "",
			                      rn(s, 3) == 0 ? "50" : "");
		}
	}
}

/* A random request for that book; lines are written in `order`. `flags`
 * (random bits, fixed per document) choose explain, cash rounding, JSON
 * numbers and requested prices, so that a permuted copy asks the same. */
static void
random_request(char *buf, size_t size, unsigned flags, unsigned np, unsigned nlines,
               const unsigned *sku, const unsigned *qty, const unsigned *order)
{
	size_t n = 0;
	unsigned i;

	n += (size_t)snprintf(buf + n, size - n,
	                      "{\"quote_id\": \"R\", \"customer\": \"C\", \"as_of\": \"2026-06-15\","
	                      "%s%s \"lines\": [",
	                      flags & 1 ? " \"explain\": true," : "",
	                      flags & 2 ? " \"cash_rounding\": true," : "");
	for (i = 0; i < nlines; i++) {
		unsigned k = order[i];
		int number = (flags >> (4 + k)) & 1;

		n += (size_t)snprintf(buf + n, size - n, "%s{\"sku\": \"P%u\", \"qty\": %s%u.%u%s",
		                      i ? ", " : "", sku[k] % np, number ? "" : "\"", qty[k] / 10,
		                      qty[k] % 10, number ? "" : "\"");
		if ((flags >> (12 + k)) & 1)
			n += (size_t)snprintf(buf + n, size - n, ", \"requested_unit_price\": \"%u.%02u\"",
			                      qty[k] % 97, sku[k]);
		n += (size_t)snprintf(buf + n, size - n, "}");
	}
	snprintf(buf + n, size - n, "]}");
}

static int
sum_check(const b2b_quote *q)
{
	size_t i, n = b2b_quote_line_count(q);
	b2b_dec tot = { 0, 0 }, amt = { 0, 0 }, od = { 0, 0 }, tax = { 0, 0 }, x, disc = { 0, 0 };

	for (i = 0; i < n; i++) {
		b2b_dec_add(&tot, tot, b2b_quote_line_total(q, i));
		b2b_dec_add(&amt, amt, b2b_quote_line_amount(q, i));
		b2b_dec_add(&od, od, b2b_quote_line_order_discount(q, i));
		b2b_dec_add(&tax, tax, b2b_quote_line_tax(q, i));
		b2b_dec_sub(&x, b2b_quote_line_amount(q, i), b2b_quote_line_order_discount(q, i));
		if (b2b_dec_cmp(x, b2b_quote_line_net_amount(q, i)) != 0 ||
		    b2b_dec_sign(b2b_quote_line_net_amount(q, i)) < 0)
			return 1;
	}
	for (i = 0; i < b2b_quote_discount_count(q); i++)
		b2b_dec_add(&disc, disc, b2b_quote_discount_amount(q, i));
	if (b2b_dec_cmp(tot, b2b_quote_total(q)) != 0)
		return 2;
	if (b2b_dec_cmp(amt, b2b_quote_subtotal(q)) != 0)
		return 3;
	if (b2b_dec_cmp(od, b2b_quote_discount_total(q)) != 0 ||
	    b2b_dec_cmp(disc, od) != 0)
		return 4;
	if (b2b_dec_cmp(tax, b2b_quote_tax_total(q)) != 0)
		return 5;
	b2b_dec_sub(&x, b2b_quote_subtotal(q), b2b_quote_discount_total(q));
	b2b_dec_add(&x, x, b2b_quote_tax_total(q));
	if (b2b_dec_cmp(x, b2b_quote_total(q)) != 0)
		return 6;
	return 0;
}

START_TEST(test_properties_random_documents)
{
	const unsigned books = 2000, docs_per_book = 50;
	uint64_t seed = 0x5eed2026u, s;
	static char spec[8192], text[4096], text2[4096];
	unsigned b, d, i, checked = 0;
	b2b_ctx *ctx;

	if (getenv("B2B_SEED") != NULL)
		seed = strtoull(getenv("B2B_SEED"), NULL, 0);
	s = seed;
	ck_assert_int_eq(b2b_ctx_new(&ctx, NULL), 0);
	for (b = 0; b < books; b++) {
		uint64_t book_seed = s;
		unsigned np;
		b2b_book *book;

		random_book_spec(spec, sizeof(spec), &s);
		book = mkbook(spec);
		np = (unsigned)b2b_book_count(book, B2B_TABLE_PRODUCTS);
		for (d = 0; d < docs_per_book; d++) {
			unsigned nl = 1 + rn(&s, 8), sku[8], qty[8], ord[8], perm[8], flags;
			const b2b_quote *q1, *q2;
			const char *j1, *j2;
			int rc, why;

			for (i = 0; i < nl; i++) {
				sku[i] = rn(&s, 100);
				qty[i] = 1 + rn(&s, rn(&s, 2) ? 50 : 5000);
				ord[i] = i;
				perm[i] = i;
			}
			for (i = nl; i > 1; i--) {     /* a random permutation */
				unsigned k = rn(&s, i), t = perm[i - 1];
				perm[i - 1] = perm[k];
				perm[k] = t;
			}
			flags = (unsigned)rnd(&s);
			random_request(text, sizeof(text), flags, np, nl, sku, qty, ord);
			rc = b2b_quote_from_json(&q1, ctx, book, text, strlen(text), NULL);
			REQUIRE(rc == 0, "seed 0x%llx book %u doc %u: rc %d %s",
			              (unsigned long long)seed, b, d, rc, b2b_ctx_errmsg(ctx));
			why = sum_check(q1);
			REQUIRE(why == 0, "seed 0x%llx (book seed 0x%llx) doc %u: sum check %d\n%s\n%s",
			              (unsigned long long)seed, (unsigned long long)book_seed, d, why, spec,
			              text);
			/* idempotent: the same text twice gives the same bytes */
			REQUIRE(b2b_quote_to_json(&j1, NULL, ctx, q1) == 0 &&
			        b2b_quote_from_json(&q2, ctx, book, text, strlen(text), NULL) == 0 &&
			        b2b_quote_to_json(&j2, NULL, ctx, q2) == 0,
			        "seed 0x%llx: repricing failed", (unsigned long long)seed);
			REQUIRE(strcmp(j1, j2) == 0, "seed 0x%llx: repricing differs",
			              (unsigned long long)seed);
			/* permuting lines: each line keeps its figures, except the
			 * allocation ties (at most one minor unit apart) */
			random_request(text2, sizeof(text2), flags, np, nl, sku, qty, perm);
			REQUIRE(b2b_quote_from_json(&q2, ctx, book, text2, strlen(text2), NULL) == 0 &&
			        sum_check(q2) == 0,
			        "seed 0x%llx: permuted document\n%s", (unsigned long long)seed, text2);
			REQUIRE(b2b_dec_cmp(b2b_quote_subtotal(q1), b2b_quote_subtotal(q2)) == 0 &&
			        b2b_dec_cmp(b2b_quote_discount_total(q1), b2b_quote_discount_total(q2)) == 0,
			        "seed 0x%llx: permuting changed the subtotal or discount",
			        (unsigned long long)seed);
			for (i = 0; i < nl; i++) {
				size_t a = perm[i], bb = i;   /* line perm[i] of q1 is line i of q2 */
				b2b_dec x, unit;
				int minor = b2b_quote_minor_units(q1);

				REQUIRE(b2b_dec_cmp(b2b_quote_line_unit_price(q1, a),
				                    b2b_quote_line_unit_price(q2, bb)) == 0 &&
				        b2b_dec_cmp(b2b_quote_line_amount(q1, a),
				                    b2b_quote_line_amount(q2, bb)) == 0 &&
				        b2b_dec_cmp(b2b_quote_line_tax_rate(q1, a),
				                    b2b_quote_line_tax_rate(q2, bb)) == 0,
				        "seed 0x%llx: permuting changed line figures", (unsigned long long)seed);
				b2b_dec_from_units(&unit, 1, minor);
				b2b_dec_sub(&x, b2b_quote_line_order_discount(q1, a),
				            b2b_quote_line_order_discount(q2, bb));
				REQUIRE(b2b_dec_cmp(b2b_dec_abs(x), unit) <= 0,
				              "seed 0x%llx: allocation moved more than a tie", (unsigned long long)seed);
			}
			checked++;
			b2b_ctx_reset(ctx);
		}
		b2b_book_unref(book);
	}
	ck_assert_uint_eq(checked, books * docs_per_book);
	b2b_ctx_free(ctx);
}
END_TEST

/* SPEC §6: documents are lossless — a quote document the library wrote,
 * read back with b2b_quote_doc_parse() and written again, is the same
 * bytes (explain, cash rounding, JSON-number quantities included). */
START_TEST(test_documents_lossless)
{
	static char spec[8192], text[4096];
	uint64_t s = 0x1055;
	unsigned b, d, i;
	b2b_ctx *ctx;

	ck_assert_int_eq(b2b_ctx_new(&ctx, NULL), 0);
	for (b = 0; b < 60; b++) {
		b2b_book *book;
		unsigned np;

		random_book_spec(spec, sizeof(spec), &s);
		book = mkbook(spec);
		np = (unsigned)b2b_book_count(book, B2B_TABLE_PRODUCTS);
		for (d = 0; d < 50; d++) {
			unsigned nl = 1 + rn(&s, 8), sku[8], qty[8], ord[8];
			const b2b_quote_doc *doc;
			const b2b_quote *q;
			const char *j1, *j2;
			size_t l1, l2;

			for (i = 0; i < nl; i++) {
				sku[i] = rn(&s, 100);
				qty[i] = 1 + rn(&s, 5000);
				ord[i] = i;
			}
			random_request(text, sizeof(text), (unsigned)rnd(&s), np, nl, sku, qty, ord);
			REQUIRE(b2b_quote_from_json(&q, ctx, book, text, strlen(text), NULL) == 0 &&
			        b2b_quote_to_json(&j1, &l1, ctx, q) == 0, "quote %u/%u", b, d);
			REQUIRE(b2b_quote_doc_parse(&doc, ctx, j1, l1) == 0,
			        "book %u doc %u: %s at %s\n%s", b, d, b2b_ctx_errmsg(ctx),
			        b2b_ctx_errpath(ctx), j1);
			REQUIRE(b2b_quote_doc_to_json(&j2, &l2, ctx, doc) == 0 && l1 == l2 &&
			        memcmp(j1, j2, l1) == 0, "book %u doc %u: not lossless\n%s", b, d, j1);
			b2b_ctx_reset(ctx);
		}
		b2b_book_unref(book);
	}
	b2b_ctx_free(ctx);
}
END_TEST

/* With B2B_CTX_NO_GROW and an arena that is large enough, computing a
 * quote (JSON request included) never calls the allocator; with an arena
 * that is too small it is B2B_ENOMEM and no result. */
START_TEST(test_no_grow_no_allocation)
{
	b2b_book *book = mkbook(SETTINGS_EUR BOOK_BASE PROMOS_O12);
	char *text = dq("{" HDR "'codes': ['A'], 'explain': true, 'lines': ["
	                "{'sku': 'A', 'qty': '10'}, {'sku': 'B', 'qty': '3'}, {'sku': 'C', 'qty': '5'}]}");
	b2b_ctx_options o = B2B_CTX_OPTIONS_INIT;
	b2b_quote_request *req;
	const b2b_quote *q;
	b2b_allocator a;
	failalloc fa;
	b2b_ctx *ctx;
	long calls;

	failalloc_init(&fa, -1);
	a = failalloc_allocator(&fa);
	o.allocator = &a;
	o.arena_initial = 1u << 20;
	o.flags = B2B_CTX_NO_GROW;
	ck_assert_int_eq(b2b_ctx_new(&ctx, &o), 0);
	calls = fa.calls;
	ck_assert_int_eq(b2b_quote_from_json(&q, ctx, book, text, strlen(text), NULL), 0);
	ck_assert_int_eq(b2b_quote_request_new(&req, ctx), 0);
	ck_assert_int_eq(b2b_quote_request_set_quote_id(req, "Q"), 0);
	ck_assert_int_eq(b2b_quote_request_set_customer(req, "C1"), 0);
	ck_assert_int_eq(b2b_quote_request_set_as_of(req, "2026-06-15"), 0);
	ck_assert_int_eq(b2b_quote_request_add_line(req, "A", "2", NULL), 0);
	ck_assert_int_eq(b2b_quote_compute(&q, ctx, book, req, NULL), 0);
	ck_assert_int_eq(fa.calls, calls);
	b2b_ctx_free(ctx);

	o.arena_initial = 256;
	ck_assert_int_eq(b2b_ctx_new(&ctx, &o), 0);
	q = (const b2b_quote *)&o;
	ck_assert_int_eq(b2b_quote_from_json(&q, ctx, book, text, strlen(text), NULL), B2B_ENOMEM);
	ck_assert_ptr_null(q);
	b2b_ctx_free(ctx);
	ck_assert_int_eq(fa.live, 0);
	free(text);
	b2b_book_unref(book);
}
END_TEST

/*
 * The arena limited to N bytes (B2B_CTX_NO_GROW), N from 256 up in
 * 8-byte steps: every N too small to build, compute and write a document
 * fails with B2B_ENOMEM (no result, the message on ctx says "out of
 * memory"), wherever the reader, the builder calls, the engine or the
 * writer ran out; the first N that suffices writes the same document as
 * an unlimited ctx.
 */
typedef int (*doc_fn)(const char **doc, b2b_ctx *ctx, const void *ud);

static size_t
arena_sweep(doc_fn fn, const void *ud)
{
	b2b_ctx_options o = B2B_CTX_OPTIONS_INIT;
	const char *doc;
	char *want;
	size_t n, failures = 0;
	b2b_ctx *c;
	int rc;

	ck_assert_int_eq(b2b_ctx_new(&c, NULL), 0);
	ck_assert_int_eq(fn(&doc, c, ud), 0);
	want = strdup(doc);
	b2b_ctx_free(c);
	o.flags = B2B_CTX_NO_GROW;
	for (n = 256; n < (1u << 20); n += 8) {
		o.arena_initial = n;
		ck_assert_int_eq(b2b_ctx_new(&c, &o), 0);
		doc = NULL;
		rc = fn(&doc, c, ud);
		if (rc == 0) {
			ck_assert_str_eq(doc, want);
			b2b_ctx_free(c);
			break;
		}
		if (rc != B2B_ENOMEM || doc != NULL || strstr(b2b_ctx_errmsg(c), "out of memory") == NULL)
			ck_abort_msg("arena %zu: status %d, \"%s\"", n, rc, b2b_ctx_errmsg(c));
		failures++;
		b2b_ctx_free(c);
	}
	free(want);
	ck_assert_uint_gt(failures, 10);
	return n;
}

typedef struct sweep_case {
	const b2b_book *book;
	const char *text;
} sweep_case;

static int
sweep_json(const char **doc, b2b_ctx *ctx, const void *ud)
{
	const sweep_case *c = ud;
	const b2b_quote *q = (const b2b_quote *)c;
	int rc = b2b_quote_from_json(&q, ctx, c->book, c->text, strlen(c->text), NULL);

	if (rc < 0)
		return q == NULL ? rc : B2B_ERROR;
	return b2b_quote_to_json(doc, NULL, ctx, q);
}

/* the request of sweep_json built with the builder calls */
static int
sweep_builder(const char **doc, b2b_ctx *ctx, const void *ud)
{
	const sweep_case *c = ud;
	b2b_quote_request *req;
	const b2b_quote *q = (const b2b_quote *)c;
	int rc;

	if ((rc = b2b_quote_request_new(&req, ctx)) < 0 ||
	    (rc = b2b_quote_request_set_quote_id(req, "Q1")) < 0 ||
	    (rc = b2b_quote_request_set_customer(req, "C1")) < 0 ||
	    (rc = b2b_quote_request_set_as_of(req, "2026-06-15")) < 0 ||
	    (rc = b2b_quote_request_set_currency(req, "CHF")) < 0 ||
	    (rc = b2b_quote_request_set_channel(req, "sales")) < 0 ||
	    (rc = b2b_quote_request_set_ship_to(req, "DE")) < 0 ||
	    (rc = b2b_quote_request_set_valid_until(req, "2026-07-01")) < 0 ||
	    (rc = b2b_quote_request_set_explain(req, 1)) < 0 ||
	    (rc = b2b_quote_request_set_cash_rounding(req, 1)) < 0 ||
	    (rc = b2b_quote_request_add_code(req, "NOPE")) < 0 ||
	    (rc = b2b_quote_request_add_line(req, "A", "5", "8")) < 0 ||
	    (rc = b2b_quote_request_add_line(req, "A", "1", "6.5")) < 0 ||
	    (rc = b2b_quote_request_add_line(req, "B", "1", NULL)) < 0 ||
	    (rc = b2b_quote_request_add_line(req, "X", "2", NULL)) < 0)
		return rc;
	rc = b2b_quote_compute(&q, ctx, c->book, req, NULL);
	if (rc < 0)
		return q == NULL ? rc : B2B_ERROR;
	return b2b_quote_to_json(doc, NULL, ctx, q);
}

static int
sweep_price(const char **doc, b2b_ctx *ctx, const void *ud)
{
	const sweep_case *c = ud;
	b2b_price_request *req;
	const b2b_price *p = (const b2b_price *)c;
	int rc;

	if ((rc = b2b_price_request_new(&req, ctx)) < 0 ||
	    (rc = b2b_price_request_set_customer(req, "C1")) < 0 ||
	    (rc = b2b_price_request_set_sku(req, "X")) < 0 ||
	    (rc = b2b_price_request_set_qty(req, "3")) < 0 ||
	    (rc = b2b_price_request_set_as_of(req, "2026-06-15")) < 0 ||
	    (rc = b2b_price_request_set_currency(req, "USD")) < 0 ||
	    (rc = b2b_price_request_set_channel(req, "web")) < 0 ||
	    (rc = b2b_price_request_add_code(req, "NOPE")) < 0)
		return rc;
	rc = b2b_price_compute(&p, ctx, c->book, req, NULL);
	if (rc < 0)
		return p == NULL ? rc : B2B_ERROR;
	return b2b_price_to_json(doc, NULL, ctx, p);
}

START_TEST(test_arena_exhausted_anywhere)
{
	b2b_book *book = mkbook("# settings\nkey,value\nbase_currency,EUR\nmin_margin_percent,10\n"
	                        BOOK_BASE APPROVALS PROMOS_O12);
	sweep_case c = { book, NULL };
	char *text;

	/* order promotions, taxes by region, cash rounding, candidates,
	 * approval reasons, both warnings */
	text = dq("{" HDR "'ship_to': 'DE', 'codes': ['NOPE', 'NOPE'], 'explain': true,"
	          " 'cash_rounding': true, 'lines': [{'sku': 'A', 'qty': '10'},"
	          " {'sku': 'A', 'qty': '1', 'requested_unit_price': '6.5'},"
	          " {'sku': 'B', 'qty': '3.50'}, {'sku': 'X', 'qty': 2}, {'sku': 'C', 'qty': '7'}]}");
	c.text = text;
	arena_sweep(sweep_json, &c);
	free(text);
	/* a request that cannot be priced: the error document */
	text = dq("{" HDR "'currency': 'EURO', 'bogus': 1, 'lines': [{'sku': 'NOPE', 'qty': '0'},"
	          " {'sku': 'A', 'qty': 'x', 'requested_unit_price': '-1'}, {'qty': 1}]}");
	c.text = text;
	arena_sweep(sweep_json, &c);
	free(text);
	arena_sweep(sweep_builder, &c);
	arena_sweep(sweep_price, &c);
	b2b_book_unref(book);
}
END_TEST

/* 8 threads, one book, own ctx each: byte-identical to a serial run. */
typedef struct thread_job {
	const b2b_book *book;
	char **texts;
	char **want;          /* NULL: record into got */
	char **got;
	size_t n;
	int failures;
} thread_job;

static void *
thread_run(void *arg)
{
	thread_job *job = arg;
	b2b_ctx *ctx;
	size_t i;

	if (b2b_ctx_new(&ctx, NULL) < 0) {
		job->failures++;
		return NULL;
	}
	for (i = 0; i < job->n; i++) {
		const b2b_quote *q;
		const char *doc;
		int rc = b2b_quote_from_json(&q, ctx, job->book, job->texts[i], strlen(job->texts[i]),
		                             NULL);

		if (rc != 0 || b2b_quote_to_json(&doc, NULL, ctx, q) < 0) {
			job->failures++;
		} else if (job->want == NULL) {
			job->got[i] = strdup(doc);
		} else if (strcmp(job->want[i], doc) != 0) {
			job->failures++;
		}
		b2b_ctx_reset(ctx);
	}
	b2b_ctx_free(ctx);
	return NULL;
}

START_TEST(test_threads_identical)
{
	enum { NDOCS = 400, NTHREADS = 8 };
	b2b_book *book;
	static char spec[8192];
	char *texts[NDOCS], *want[NDOCS];
	thread_job serial, jobs[NTHREADS];
	pthread_t th[NTHREADS];
	uint64_t s = 0x7123;
	unsigned i, k;

	random_book_spec(spec, sizeof(spec), &s);
	strcat(spec, "# promotions\nid,kind,value\nOX,order_percent,3\n");
	book = mkbook(spec);
	for (i = 0; i < NDOCS; i++) {
		unsigned nl = 1 + rn(&s, 8), sku[8], qty[8], ord[8];
		char buf[4096];
		for (k = 0; k < nl; k++) {
			sku[k] = rn(&s, 100);
			qty[k] = 1 + rn(&s, 500);
			ord[k] = k;
		}
		random_request(buf, sizeof(buf), (unsigned)rnd(&s),
		               (unsigned)b2b_book_count(book, B2B_TABLE_PRODUCTS), nl, sku, qty, ord);
		texts[i] = strdup(buf);
		want[i] = NULL;
	}
	memset(&serial, 0, sizeof(serial));
	serial.book = book;
	serial.texts = texts;
	serial.got = want;
	serial.n = NDOCS;
	thread_run(&serial);
	ck_assert_int_eq(serial.failures, 0);
	for (k = 0; k < NTHREADS; k++) {
		memset(&jobs[k], 0, sizeof(jobs[k]));
		jobs[k].book = book;
		jobs[k].texts = texts;
		jobs[k].want = want;
		jobs[k].n = NDOCS;
		ck_assert_int_eq(pthread_create(&th[k], NULL, thread_run, &jobs[k]), 0);
	}
	for (k = 0; k < NTHREADS; k++) {
		pthread_join(th[k], NULL);
		ck_assert_int_eq(jobs[k].failures, 0);
	}
	for (i = 0; i < NDOCS; i++) {
		free(texts[i]);
		free(want[i]);
	}
	b2b_book_unref(book);
}
END_TEST

static Suite *
quote_suite(void)
{
	Suite *s = suite_create("quote");
	TCase *core = tcase_create("Core");
	TCase *errors = tcase_create("Errors");
	TCase *limits = tcase_create("Limits");

	tcase_add_test(core, test_document_bytes);
	tcase_add_test(core, test_allocation_remainders);
	tcase_add_test(core, test_taxes_by_region);
	tcase_add_test(core, test_margin_null_without_costs);
	tcase_add_test(core, test_margin_zero_net);
	tcase_add_test(core, test_requested_and_discount_percent);
	tcase_add_test(core, test_warnings_order);
	tcase_add_test(core, test_cash_rounding);
	tcase_add_test(core, test_order_promotions_original_subtotal);
	tcase_add_test(core, test_order_cap_trims_last);
	tcase_add_test(core, test_order_cap_rounded_down);
	tcase_add_test(core, test_order_exclusive);
	tcase_add_test(core, test_order_code_and_segment);
	tcase_add_test(core, test_order_promotions_converted);
	tcase_add_test(core, test_document_tax);
	tcase_add_test(core, test_tax_rate_scale);
	tcase_add_test(core, test_approval_reasons_order);
	tcase_add_test(core, test_approval_default_level);
	tcase_add_test(core, test_valid_until);
	tcase_add_test(core, test_channel_and_optional_keys);
	tcase_add_test(core, test_json_numbers_exact);
	tcase_add_test(core, test_qty_text_forms);
	tcase_add_test(core, test_figures_equal_exact_ops);
	tcase_add_test(core, test_long_quote_lines_keep_their_skus);
	tcase_add_test(core, test_builder_equals_json);
	tcase_add_test(core, test_explain_option);
	tcase_add_test(core, test_price_document);
	tcase_add_test(core, test_accessors_every_figure);
	tcase_add_test(core, test_builder_null_clears);
	tcase_add_test(core, test_price_accessors);
	suite_add_tcase(s, core);

	tcase_add_test(errors, test_document_no_fx_rate);
	tcase_add_test(errors, test_errors_every_code);
	tcase_add_test(errors, test_errors_header_then_lines);
	tcase_add_test(errors, test_errors_wrong_types);
	tcase_add_test(errors, test_errors_missing_and_root);
	tcase_add_test(errors, test_errors_duplicate_fields);
	tcase_add_test(errors, test_errors_not_json);
	tcase_add_test(errors, test_options_init);
	tcase_add_test(errors, test_cannot_price_is_a_result);
	tcase_add_test(errors, test_errors_could_not_run);
	tcase_add_test(errors, test_errors_overflow);
	tcase_add_test(errors, test_price_errors);
	tcase_add_test(errors, test_accessors_without_data);
	tcase_add_test(errors, test_builder_einval);
	suite_add_tcase(s, errors);

	tcase_add_test(limits, test_oom_loop);
	tcase_add_test(limits, test_no_grow_no_allocation);
	tcase_add_test(limits, test_arena_exhausted_anywhere);
	tcase_add_test(limits, test_documents_lossless);
	tcase_add_test(limits, test_properties_random_documents);
	tcase_add_test(limits, test_threads_identical);
	tcase_set_timeout(limits, 120);
	suite_add_tcase(s, limits);
	return s;
}

int
main(void)
{
	return b2b_test_run(quote_suite());
}
