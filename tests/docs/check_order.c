/*
 * Tests: order validation (SPEC §7, §9.6, §9.7, §9.9, §9.15, §9.17,
 * §9.20, §9.22). Every code has a test that triggers it and one just
 * below its threshold. Expected figures are worked out by hand in the
 * comments from the fixture book below.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "b2b.h"
#include "b2b/order.h"
#include "b2b/quote.h"
#include "order_run.h"
#include "support/failalloc.h"
#include "support/orders_fixture.h"
#include "support/testmain.h"

/*
 * The fixture book (EUR, half_up, unit prices at 4 decimals, tolerance
 * 0.01, floor = cost × 1.10, no taxes, no order promotions):
 *   A1   10.00, cost 5 (floor 5.50), min 2, max 100, on hand 50
 *   P12  2.00 in packs of 12          OLD  inactive
 *   USDP 20.00 USD (USD→EUR = r9(1 ÷ 1.10) → 18.1818)
 *   CHFP 30.00 CHF (no CHF rate: NO_FX_RATE in EUR)
 *   LOW  10.00, cost 9.50 (floor 10.45: always below floor)
 *   NEG  10.00, list DEF formula surcharge −100 → −90: NEGATIVE_PRICE
 * Approval: AP1 line discount > 20 % → level 2 (so below_floor is level 2).
 */
static const char *const SETTINGS[] = {
	"base_currency,EUR", "unit_price_decimals,4", "price_tolerance,0.01",
	"min_margin_percent,10", NULL
};
static const char *const SETTINGS_TOL0[] = {
	"base_currency,EUR", "unit_price_decimals,4", "price_tolerance,0",
	"min_margin_percent,10", NULL
};
static const char *const FX[] = { "EUR,USD,1.10,2026-01-01", NULL };
static const char *const PRODUCTS[] = {
	"A1,10.00,5.00,tools/hand,,,2,100,,50",
	"P12,2.00,1.00,safety/gloves,,12,,,,",
	"OLD,5.00,2.00,tools/hand,,,,,inactive,",
	"USDP,20.00,,tools/hand,USD,,,,,",
	"CHFP,30.00,,tools/hand,CHF,,,,,",
	"LOW,10.00,9.50,tools/hand,,,,,,",
	"NEG,10.00,,tools/hand,,,,,,",
	NULL
};
static const char *const CUSTOMERS[] = {
	"PLAIN,,,,,,,,",
	"CREDIT,,1000.00,900.00,,,,,",
	"BUDGET,,,,100.00,,,,",
	"MINV,,,,,100.00,,,",
	"TERMS,,,,,,net30;prepay,DE;AT,",
	"CAT,,,,,,,,category:tools",
	"USDC,USD,1.00,,,,,,",
	"FXC,,100.00,,,,,,",
	NULL
};
static const char *const LISTS[] = { "DEF,default", NULL };
static const char *const ITEMS[] = { "DEF,sku:NEG,formula,-100,0", NULL };
static const char *const APPROVALS[] = { "AP1,line_discount_percent,20,2", NULL };
static const char *const PROMOS[] = { "PC,percent,5,SAVE5", NULL };

static b2b_book *
test_book(int tol0)
{
	const fx_table t[] = {
		{ B2B_TABLE_SETTINGS, "key,value", tol0 ? SETTINGS_TOL0 : SETTINGS },
		{ B2B_TABLE_FX_RATES, "from,to,rate,valid_from", FX },
		{ B2B_TABLE_PRODUCTS,
		  "sku,list_price,cost,category,currency,pack_size,min_qty,max_qty,status,on_hand",
		  PRODUCTS },
		{ B2B_TABLE_CUSTOMERS,
		  "id,currency,credit_limit,open_balance,budget,min_order_value,payment_terms,"
		  "regions,catalog", CUSTOMERS },
		{ B2B_TABLE_PRICE_LISTS, "id,applies_to", LISTS },
		{ B2B_TABLE_PRICE_LIST_ITEMS, "list,scope,compute,surcharge,discount_percent", ITEMS },
		{ B2B_TABLE_APPROVAL_RULES, "id,metric,threshold,level", APPROVALS },
		{ B2B_TABLE_PROMOTIONS, "id,kind,value,code", PROMOS },
	};
	return fx_book(t, sizeof(t) / sizeof(t[0]));
}

/* JSON written with ' for " (no value here holds an apostrophe). */
static char jbuf[65536];

static const char *
J(const char *s)
{
	size_t i;

	for (i = 0; s[i] != '\0' && i < sizeof(jbuf) - 1; i++)
		jbuf[i] = s[i] == '\'' ? '"' : s[i];
	jbuf[i] = '\0';
	return jbuf;
}

static b2b_book *book;
static b2b_ctx *ctx;

static void
setup(void)
{
	book = test_book(0);
	ck_assert_int_eq(b2b_ctx_new(&ctx, NULL), 0);
}

static void
teardown(void)
{
	b2b_ctx_free(ctx);
	b2b_book_unref(book);
}

static const b2b_validation *
validate_on(const b2b_book *bk, const char *json)
{
	const b2b_validation *v = NULL;
	int rc = b2b_order_validate_json(&v, ctx, bk, json, strlen(json), NULL);

	ck_assert_msg(rc == 0, "validate: %d %s", rc, b2b_ctx_errmsg(ctx));
	ck_assert_ptr_nonnull(v);
	return v;
}

static const b2b_validation *
validate(const char *json)
{
	return validate_on(book, json);
}

/* "CODE@line" for each violation, comma-separated (line -1: "CODE"). */
static const char *
summary(const b2b_validation *v)
{
	static char buf[4096];
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < b2b_validation_count(v); i++) {
		long line = b2b_validation_line(v, i);

		if (line >= 0)
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s@%ld", i > 0 ? "," : "",
			                      b2b_validation_code(v, i), line);
		else
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s", i > 0 ? "," : "",
			                      b2b_validation_code(v, i));
	}
	return buf;
}

static const char *
total(const b2b_validation *v)
{
	static char buf[B2B_DEC_FORMAT_MAX];

	ck_assert_int_eq(b2b_dec_format(buf, sizeof(buf), NULL, b2b_validation_total(v),
	                                b2b_validation_minor_units(v), B2B_ROUND_HALF_UP), 0);
	return buf;
}

/* The index of the first violation with that code (and line), or -1. */
static long
find(const b2b_validation *v, const char *code, long line)
{
	size_t i;

	for (i = 0; i < b2b_validation_count(v); i++)
		if (strcmp(b2b_validation_code(v, i), code) == 0 && b2b_validation_line(v, i) == line)
			return (long)i;
	return -1;
}

/* An order of PLAIN-like shape: customer, extra header text, lines. */
static const char *
order(const char *customer, const char *extra, const char *lines)
{
	static char buf[32768];

	snprintf(buf, sizeof(buf),
	         "{'order_id': 'O-1', 'customer': '%s', 'as_of': '2026-06-15'%s%s, "
	         "'lines': [%s]}", customer, extra[0] != '\0' ? ", " : "", extra, lines);
	return J(buf);
}

/*===========================================================================
 * Core
 *===========================================================================*/

START_TEST(test_valid_order_document)
{
	const b2b_validation *v = validate(order("PLAIN", "",
	                                         "{'sku': 'A1', 'qty': '10', 'unit_price': '10.00'}"));
	const char *doc;
	size_t len;

	ck_assert_int_eq(b2b_validation_valid(v), 1);
	ck_assert_str_eq(total(v), "100.00");
	ck_assert_str_eq(b2b_validation_currency(v), "EUR");
	ck_assert_uint_eq(b2b_validation_count(v), 0);
	ck_assert_int_eq(b2b_validation_to_json(&doc, &len, ctx, v), 0);
	ck_assert_str_eq(doc, "{\n  \"valid\": true,\n  \"total\": \"100.00\",\n"
	                      "  \"violations\": []\n}\n");
	ck_assert_uint_eq(len, strlen(doc));
}
END_TEST

START_TEST(test_violation_document)
{
	/* one line violation with every key: code, severity, line, path,
	 * message, expected, actual (money at unit_price_decimals) */
	const b2b_validation *v = validate(order("PLAIN", "",
	                                         "{'sku': 'A1', 'qty': '10', 'unit_price': '10.50'}"));
	const char *doc;

	ck_assert_int_eq(b2b_validation_valid(v), 0);
	ck_assert_str_eq(total(v), "105.00");
	ck_assert_int_eq(b2b_validation_to_json(&doc, NULL, ctx, v), 0);
	ck_assert_str_eq(doc,
	                 "{\n  \"valid\": false,\n  \"total\": \"105.00\",\n  \"violations\": [\n"
	                 "    {\n      \"code\": \"PRICE_MISMATCH\",\n      \"severity\": \"error\",\n"
	                 "      \"line\": 0,\n      \"path\": \"lines[0].unit_price\",\n"
	                 "      \"message\": \"unit_price 10.50 differs from the engine's price "
	                 "10.0000 by more than the tolerance 0.01\",\n"
	                 "      \"expected\": \"10.0000\",\n      \"actual\": \"10.50\"\n    }\n"
	                 "  ]\n}\n");
	ck_assert_int_eq(b2b_validation_severity(v, 0), B2B_ORDER_ERROR);
	ck_assert_str_eq(b2b_order_severity_name(B2B_ORDER_HOLD), "hold");
	ck_assert_str_eq(b2b_order_severity_name(B2B_ORDER_WARNING), "warning");
	ck_assert_ptr_null(b2b_order_severity_name((b2b_order_severity)7));
	ck_assert_ptr_null(b2b_order_severity_name((b2b_order_severity)-1));
	{
		static const char *const names[] = { "error", "hold", "warning" };
		b2b_order_severity s = B2B_ORDER_HOLD;
		int i;

		for (i = 0; i < 3; i++) {
			ck_assert_str_eq(b2b_order_severity_name((b2b_order_severity)i), names[i]);
			ck_assert_int_eq(b2b_order_severity_parse(&s, names[i], strlen(names[i])), 0);
			ck_assert_int_eq((int)s, i);
		}
		ck_assert_int_eq(b2b_order_severity_parse(&s, "Error", 5), B2B_EPARSE);
		ck_assert_int_eq(b2b_order_severity_parse(&s, "holds", 5), B2B_EPARSE);
		ck_assert_int_eq((int)s, B2B_ORDER_WARNING);
		ck_assert_int_eq(b2b_order_severity_parse(NULL, "hold", 4), B2B_EINVAL);
	}
}
END_TEST

/* The three sample orders against the sample book (examples/README.md). */
START_TEST(test_sample_orders)
{
	static const struct {
		const char *file;
		int valid;
		const char *total;
		const char *summary;
	} cases[] = {
		{ "order_valid.json", 1, "4043.42", "" },
		{ "order_holds.json", 1, "3056.31",
		  "APPROVAL_REQUIRED,BUDGET_EXCEEDED,INSUFFICIENT_STOCK@2,BELOW_FLOOR@3" },
		{ "order_invalid.json", 0, "2431.85",
		  "CREDIT_LIMIT_EXCEEDED,PAYMENT_TERMS_NOT_ALLOWED,UNKNOWN_CODE,QTY_NOT_MULTIPLE@1,"
		  "PRICE_MISMATCH@3,NOT_ENTITLED@4,UNKNOWN_SKU@5,DUPLICATE_LINE@6" },
	};
	b2b_book *sample = NULL;
	b2b_ctx *lctx;
	size_t i;

	ck_assert_int_eq(b2b_ctx_new(&lctx, NULL), 0);
	ck_assert_int_eq(b2b_book_load_dir(&sample, lctx, NULL, B2B_EXAMPLES_DIR "/data/book"), 0);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char path[1024];
		char *text;
		size_t len;
		const b2b_validation *v;
		long k;

		snprintf(path, sizeof(path), "%s/data/orders/%s", B2B_EXAMPLES_DIR, cases[i].file);
		text = fx_read(path, &len);
		ck_assert_int_eq(b2b_order_validate_json(&v, ctx, sample, text, len, NULL), 0);
		ck_assert_msg(b2b_validation_valid(v) == cases[i].valid, "%s", cases[i].file);
		ck_assert_str_eq(total(v), cases[i].total);
		ck_assert_str_eq(summary(v), cases[i].summary);
		free(text);
		if (i == 1) {
			/* APPROVAL_REQUIRED (hold) says the level in `actual` */
			k = find(v, "APPROVAL_REQUIRED", -1);
			ck_assert_int_eq(b2b_validation_severity(v, (size_t)k), B2B_ORDER_HOLD);
			ck_assert_str_eq(b2b_validation_actual(v, (size_t)k), "3");
			k = find(v, "BELOW_FLOOR", 3);
			ck_assert_str_eq(b2b_validation_expected(v, (size_t)k), "4.070000000");
			ck_assert_str_eq(b2b_validation_actual(v, (size_t)k), "3.9984");
			ck_assert_int_eq(b2b_validation_severity(v, find(v, "INSUFFICIENT_STOCK", 2)),
			                 B2B_ORDER_WARNING);
		}
		if (i == 2) {
			k = find(v, "PRICE_MISMATCH", 3);
			ck_assert_str_eq(b2b_validation_expected(v, (size_t)k), "38.8167");
			ck_assert_str_eq(b2b_validation_actual(v, (size_t)k), "38.80");
			k = find(v, "CREDIT_LIMIT_EXCEEDED", -1);
			ck_assert_str_eq(b2b_validation_expected(v, (size_t)k), "40000.00");
			ck_assert_str_eq(b2b_validation_actual(v, (size_t)k), "41781.85");
			ck_assert_str_eq(b2b_validation_path(v, find(v, "UNKNOWN_CODE", -1)), "codes[0]");
		}
		b2b_ctx_reset(ctx);
	}
	b2b_book_unref(sample);
	b2b_ctx_free(lctx);
}
END_TEST

/* Parse once, validate many times on other ctxs: same result. */
START_TEST(test_parse_once_validate_many)
{
	const char *text = order("TERMS", "'payment_terms': 'net60'",
	                         "{'sku': 'A1', 'qty': '1', 'unit_price': '10'}");
	const b2b_order *o;
	b2b_ctx *pctx, *vctx;
	int k;

	ck_assert_int_eq(b2b_ctx_new(&pctx, NULL), 0);
	ck_assert_int_eq(b2b_ctx_new(&vctx, NULL), 0);
	ck_assert_int_eq(b2b_order_parse(&o, pctx, text, strlen(text)), 0);
	for (k = 0; k < 3; k++) {
		const b2b_validation *v;

		ck_assert_int_eq(b2b_order_validate(&v, vctx, book, o, NULL), 0);
		ck_assert_str_eq(summary(v), "PAYMENT_TERMS_NOT_ALLOWED,QTY_BELOW_MIN@0");
		ck_assert_str_eq(total(v), "10.00");
		b2b_ctx_reset(vctx);
	}
	b2b_ctx_free(vctx);
	b2b_ctx_free(pctx);
}
END_TEST

/* An order that trips many rules reports all of them, in order (§9.20). */
START_TEST(test_many_rules_in_order)
{
	const b2b_validation *v = validate(order("TERMS",
		"'payment_terms': 'net60', 'ship_to': 'FR', 'codes': ['NOPE'], 'bogus': 1",
		"{'sku': 'A1', 'qty': '1', 'unit_price': '10.00'},"
		"{'sku': 'ZZZ', 'qty': '1', 'unit_price': '1'},"
		"{'sku': 'OLD', 'qty': '1', 'unit_price': '5.00'},"
		"{'sku': 'P12', 'qty': '13', 'unit_price': '2.00'},"
		"{'sku': 'A1', 'qty': '101', 'unit_price': '10.50'},"
		"{'sku': 'CHFP', 'qty': '1', 'unit_price': '30'},"
		"{'sku': 'NEG', 'qty': '1', 'unit_price': '1.00'},"
		"{'sku': 'A1', 'qty': '0', 'unit_price': '10'},"
		"{'sku': 'LOW', 'qty': '1', 'unit_price': '10.00'},"
		"{'sku': 'USDP', 'qty': '1', 'unit_price': '-1'}"));

	ck_assert_str_eq(summary(v),
	                 "APPROVAL_REQUIRED,MALFORMED,PAYMENT_TERMS_NOT_ALLOWED,SHIP_TO_NOT_ALLOWED,"
	                 "UNKNOWN_CODE,QTY_BELOW_MIN@0,UNKNOWN_SKU@1,INACTIVE_SKU@2,"
	                 "QTY_NOT_MULTIPLE@3,DUPLICATE_LINE@4,INSUFFICIENT_STOCK@4,PRICE_MISMATCH@4,"
	                 "QTY_ABOVE_MAX@4,NO_FX_RATE@5,NEGATIVE_PRICE@6,DUPLICATE_LINE@7,"
	                 "QTY_NOT_POSITIVE@7,BELOW_FLOOR@8,NEGATIVE_PRICE@9");
	ck_assert_int_eq(b2b_validation_valid(v), 0);
	/* priced: 10.00 + 5.00 + 26.00 + 1060.50 + 10.00; left out: unknown sku,
	 * no FX rate, negative price (both kinds), qty 0 */
	ck_assert_str_eq(total(v), "1111.50");
	ck_assert_str_eq(b2b_validation_path(v, find(v, "NO_FX_RATE", 5)), "lines[5].sku");
	ck_assert_str_eq(b2b_validation_path(v, find(v, "NEGATIVE_PRICE", 6)), "lines[6].sku");
	ck_assert_str_eq(b2b_validation_path(v, find(v, "NEGATIVE_PRICE", 9)),
	                 "lines[9].unit_price");
	ck_assert_str_eq(b2b_validation_path(v, find(v, "MALFORMED", -1)), "bogus");
	ck_assert_str_eq(b2b_validation_actual(v, find(v, "APPROVAL_REQUIRED", -1)), "2");
	ck_assert_ptr_null(b2b_validation_path(v, find(v, "APPROVAL_REQUIRED", -1)));
	ck_assert_str_eq(b2b_validation_expected(v, find(v, "SHIP_TO_NOT_ALLOWED", -1)), "DE;AT");
	ck_assert_str_eq(b2b_validation_expected(v, find(v, "PAYMENT_TERMS_NOT_ALLOWED", -1)),
	                 "net30;prepay");
}
END_TEST

/*===========================================================================
 * Limits: each threshold, on and just past it
 *===========================================================================*/

START_TEST(test_credit_limit_threshold)
{
	/* 900.00 open + 100.00 = 1000.00: exactly the limit, valid */
	const b2b_validation *v = validate(order("CREDIT", "",
	                                         "{'sku': 'A1', 'qty': '10', 'unit_price': '10'}"));
	ck_assert_str_eq(summary(v), "");
	ck_assert_int_eq(b2b_validation_valid(v), 1);
	/* 10.001 × 10 = 100.01 (within the price tolerance): 1000.01 > 1000 */
	v = validate(order("CREDIT", "", "{'sku': 'A1', 'qty': '10', 'unit_price': '10.001'}"));
	ck_assert_str_eq(summary(v), "CREDIT_LIMIT_EXCEEDED");
	ck_assert_int_eq(b2b_validation_valid(v), 0);
	ck_assert_str_eq(b2b_validation_expected(v, 0), "1000.00");
	ck_assert_str_eq(b2b_validation_actual(v, 0), "1000.01");
}
END_TEST

START_TEST(test_budget_threshold)
{
	const b2b_validation *v = validate(order("BUDGET", "",
	                                         "{'sku': 'A1', 'qty': '10', 'unit_price': '10'}"));
	ck_assert_str_eq(summary(v), "");
	v = validate(order("BUDGET", "", "{'sku': 'A1', 'qty': '10', 'unit_price': '10.001'}"));
	ck_assert_str_eq(summary(v), "BUDGET_EXCEEDED");
	ck_assert_int_eq(b2b_validation_severity(v, 0), B2B_ORDER_HOLD);
	ck_assert_int_eq(b2b_validation_valid(v), 1);   /* a hold is not an error */
	ck_assert_str_eq(b2b_validation_expected(v, 0), "100.00");
	ck_assert_str_eq(b2b_validation_actual(v, 0), "100.01");
}
END_TEST

START_TEST(test_min_order_value_threshold)
{
	const b2b_validation *v = validate(order("MINV", "",
	                                         "{'sku': 'A1', 'qty': '10', 'unit_price': '10'}"));
	ck_assert_str_eq(summary(v), "");
	/* 9.999 × 10 = 99.99 < 100.00 */
	v = validate(order("MINV", "", "{'sku': 'A1', 'qty': '10', 'unit_price': '9.999'}"));
	ck_assert_str_eq(summary(v), "MIN_ORDER_VALUE");
	ck_assert_str_eq(b2b_validation_actual(v, 0), "99.99");
}
END_TEST

START_TEST(test_price_tolerance_threshold)
{
	/* reference 10.0000, tolerance 0.01 */
	static const struct { const char *price; const char *summary; } cases[] = {
		{ "10.01", "" }, { "9.99", "" }, { "10.0100", "" },
		{ "10.02", "PRICE_MISMATCH@0" }, { "9.98", "PRICE_MISMATCH@0" },
		{ "10.0101", "PRICE_MISMATCH@0" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char lines[128];
		const b2b_validation *v;

		snprintf(lines, sizeof(lines), "{'sku': 'A1', 'qty': '10', 'unit_price': '%s'}",
		         cases[i].price);
		v = validate(order("PLAIN", "", lines));
		ck_assert_msg(strcmp(summary(v), cases[i].summary) == 0, "%s: %s", cases[i].price,
		              summary(v));
		b2b_ctx_reset(ctx);
	}
}
END_TEST

START_TEST(test_tampered_price_caught)
{
	/* tolerance 0: the list price less one minor unit is caught */
	b2b_book *strict = test_book(1);
	const b2b_validation *v = validate_on(strict, order("PLAIN", "",
	                                      "{'sku': 'A1', 'qty': '3', 'unit_price': '9.99'}"));

	ck_assert_str_eq(summary(v), "PRICE_MISMATCH@0");
	ck_assert_str_eq(b2b_validation_expected(v, 0), "10.0000");
	ck_assert_str_eq(b2b_validation_actual(v, 0), "9.99");
	v = validate_on(strict, order("PLAIN", "", "{'sku': 'A1', 'qty': '3', 'unit_price': 10}"));
	ck_assert_str_eq(summary(v), "");
	b2b_book_unref(strict);
}
END_TEST

START_TEST(test_quantity_thresholds)
{
	static const struct { const char *sku, *qty, *summary; } cases[] = {
		{ "A1", "2", "" },                         /* min_qty 2 */
		{ "A1", "1.999", "QTY_BELOW_MIN@0" },
		{ "A1", "50", "" },                        /* on hand 50 */
		{ "A1", "51", "INSUFFICIENT_STOCK@0" },
		{ "A1", "100", "INSUFFICIENT_STOCK@0" },   /* max_qty 100 */
		{ "A1", "101", "INSUFFICIENT_STOCK@0,QTY_ABOVE_MAX@0" },
		{ "P12", "24", "" },                       /* pack_size 12 */
		{ "P12", "12.0", "" },
		{ "P12", "25", "QTY_NOT_MULTIPLE@0" },
		{ "P12", "0.000000001", "QTY_NOT_MULTIPLE@0" },
		{ "P12", "0", "QTY_NOT_POSITIVE@0" },      /* the other qty checks skipped */
		{ "P12", "-12", "QTY_NOT_POSITIVE@0" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char lines[128];
		const b2b_validation *v;

		snprintf(lines, sizeof(lines), "{'sku': '%s', 'qty': '%s', 'unit_price': '%s'}",
		         cases[i].sku, cases[i].qty, strcmp(cases[i].sku, "A1") == 0 ? "10" : "2");
		v = validate(order("PLAIN", "", lines));
		ck_assert_msg(strcmp(summary(v), cases[i].summary) == 0, "%s × %s: %s", cases[i].sku,
		              cases[i].qty, summary(v));
		b2b_ctx_reset(ctx);
	}
	/* expected / actual: book figures shortest, the order's as written */
	{
		const b2b_validation *v = validate(order("PLAIN", "",
		                                         "{'sku': 'P12', 'qty': '25.0', 'unit_price': '2'}"));
		ck_assert_str_eq(b2b_validation_expected(v, 0), "12");
		ck_assert_str_eq(b2b_validation_actual(v, 0), "25.0");
		ck_assert_str_eq(b2b_validation_path(v, 0), "lines[0].qty");
	}
}
END_TEST

START_TEST(test_approval_threshold)
{
	/* line discount (10 − 8) ÷ 10 = 20.00 %: not > 20 */
	const b2b_validation *v = validate(order("PLAIN", "",
	                                         "{'sku': 'A1', 'qty': '10', 'unit_price': '8.00'}"));
	ck_assert_str_eq(summary(v), "PRICE_MISMATCH@0");
	/* 7.999: 20.01 % > 20 → level 2 */
	v = validate(order("PLAIN", "", "{'sku': 'A1', 'qty': '10', 'unit_price': '7.999'}"));
	ck_assert_str_eq(summary(v), "APPROVAL_REQUIRED,PRICE_MISMATCH@0");
	ck_assert_str_eq(b2b_validation_actual(v, 0), "2");
	ck_assert_int_eq(b2b_validation_severity(v, 0), B2B_ORDER_HOLD);
}
END_TEST

START_TEST(test_below_floor_threshold)
{
	/* A1 floor 5.50: 5.50 is not below, 5.4999 is (and trips approval) */
	const b2b_validation *v = validate(order("PLAIN", "",
	                                         "{'sku': 'A1', 'qty': '10', 'unit_price': '5.50'}"));
	ck_assert_int_eq(find(v, "BELOW_FLOOR", 0), -1);
	v = validate(order("PLAIN", "", "{'sku': 'A1', 'qty': '10', 'unit_price': '5.4999'}"));
	ck_assert_int_ge(find(v, "BELOW_FLOOR", 0), 0);
	ck_assert_str_eq(b2b_validation_expected(v, find(v, "BELOW_FLOOR", 0)), "5.500000000");
	v = validate(order("PLAIN", "", "{'sku': 'LOW', 'qty': '1', 'unit_price': '10'}"));
	ck_assert_str_eq(summary(v), "APPROVAL_REQUIRED,BELOW_FLOOR@0");
	ck_assert_int_eq(b2b_validation_valid(v), 1);
}
END_TEST

/* §9.15: customer money converted to the order currency (EUR → USD 1.10). */
START_TEST(test_customer_money_converted)
{
	/* FXC: credit 100 EUR = 110 USD; A1 in USD is 11.0000 */
	const b2b_validation *v = validate(order("FXC", "'currency': 'USD'",
	                                         "{'sku': 'A1', 'qty': '10', 'unit_price': '11'}"));
	ck_assert_str_eq(summary(v), "");
	ck_assert_str_eq(total(v), "110.00");
	ck_assert_str_eq(b2b_validation_currency(v), "USD");
	v = validate(order("FXC", "'currency': 'USD'",
	                   "{'sku': 'A1', 'qty': '10', 'unit_price': '11.001'}"));
	ck_assert_str_eq(summary(v), "CREDIT_LIMIT_EXCEEDED");
	ck_assert_str_eq(b2b_validation_expected(v, 0), "110.00");
	ck_assert_str_eq(b2b_validation_actual(v, 0), "110.01");
	/* no EUR → CHF rate: a document NO_FX_RATE, the check skipped */
	v = validate(order("FXC", "'currency': 'CHF'",
	                   "{'sku': 'CHFP', 'qty': '10', 'unit_price': '30'}"));
	ck_assert_str_eq(summary(v), "NO_FX_RATE");
	ck_assert_str_eq(b2b_validation_path(v, 0), "currency");
	ck_assert_str_eq(total(v), "300.00");
}
END_TEST

/*===========================================================================
 * Errors: every code of §7
 *===========================================================================*/

START_TEST(test_unknown_customer)
{
	/* total = Σ round(unit_price × qty) over lines with a known sku, qty > 0
	 * and a readable non-negative price: 10 × 1.005 → 10.05 (half_up), +
	 * 2 × 3; the unknown sku and the negative price are left out */
	const b2b_validation *v = validate(order("NOBODY", "",
		"{'sku': 'A1', 'qty': '10', 'unit_price': '1.005'},"
		"{'sku': 'P12', 'qty': '2', 'unit_price': '3'},"
		"{'sku': 'ZZZ', 'qty': '2', 'unit_price': '3'},"
		"{'sku': 'A1', 'qty': '2', 'unit_price': '-3'}"));

	ck_assert_str_eq(summary(v), "UNKNOWN_CUSTOMER,QTY_NOT_MULTIPLE@1,UNKNOWN_SKU@2,"
	                             "DUPLICATE_LINE@3,NEGATIVE_PRICE@3");
	ck_assert_str_eq(total(v), "16.05");
	ck_assert_str_eq(b2b_validation_path(v, 0), "customer");
	ck_assert_str_eq(b2b_validation_actual(v, 0), "NOBODY");
}
END_TEST

START_TEST(test_line_codes)
{
	static const struct { const char *customer, *line, *summary, *path; } cases[] = {
		{ "PLAIN", "{'sku': 'ZZZ', 'qty': '0', 'unit_price': '1'}",
		  "QTY_NOT_POSITIVE@0,UNKNOWN_SKU@0", "lines[0].qty" },
		{ "PLAIN", "{'sku': 'ZZZ', 'qty': '5', 'unit_price': '1'}", "UNKNOWN_SKU@0",
		  "lines[0].sku" },
		{ "PLAIN", "{'sku': 'OLD', 'qty': '1', 'unit_price': '5'}", "INACTIVE_SKU@0",
		  "lines[0].sku" },
		{ "CAT", "{'sku': 'P12', 'qty': '12', 'unit_price': '2'}", "NOT_ENTITLED@0",
		  "lines[0].sku" },
		{ "CAT", "{'sku': 'A1', 'qty': '12', 'unit_price': '10'}", "", NULL },
		{ "PLAIN", "{'sku': 'CHFP', 'qty': '1', 'unit_price': '30'}", "NO_FX_RATE@0",
		  "lines[0].sku" },
		{ "PLAIN", "{'sku': 'USDP', 'qty': '1', 'unit_price': '18.1818'}", "", NULL },
		{ "PLAIN", "{'sku': 'NEG', 'qty': '1', 'unit_price': '0'}", "NEGATIVE_PRICE@0",
		  "lines[0].sku" },
		{ "PLAIN", "{'sku': 'A1', 'qty': '3', 'unit_price': '-0.01'}",
		  "NEGATIVE_PRICE@0", "lines[0].unit_price" },
		{ "PLAIN", "{'sku': 'A1', 'qty': '3', 'unit_price': '10'},"
		           "{'sku': 'P12', 'qty': '12', 'unit_price': '2'}", "", NULL },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const b2b_validation *v = validate(order(cases[i].customer, "", cases[i].line));

		ck_assert_msg(strcmp(summary(v), cases[i].summary) == 0, "case %zu: %s", i, summary(v));
		if (cases[i].path != NULL)
			ck_assert_str_eq(b2b_validation_path(v, 0), cases[i].path);
		b2b_ctx_reset(ctx);
	}
}
END_TEST

START_TEST(test_duplicate_lines)
{
	const b2b_validation *v = validate(order("PLAIN", "",
		"{'sku': 'A1', 'qty': '3', 'unit_price': '10'},"
		"{'sku': 'P12', 'qty': '12', 'unit_price': '2'},"
		"{'sku': 'A1', 'qty': '4', 'unit_price': '10'},"
		"{'sku': 'A1', 'qty': '5', 'unit_price': '10'}"));

	ck_assert_str_eq(summary(v), "DUPLICATE_LINE@2,DUPLICATE_LINE@3");
	ck_assert_int_eq(b2b_validation_severity(v, 0), B2B_ORDER_WARNING);
	ck_assert_int_eq(b2b_validation_valid(v), 1);
	ck_assert_str_eq(total(v), "144.00");
}
END_TEST

START_TEST(test_currency_mismatch)
{
	/* USDC buys in USD: an order stated in EUR is a mismatch, and the
	 * customer's credit check (1.00 USD) is skipped */
	const b2b_validation *v = validate(order("USDC", "'currency': 'EUR'",
	                                         "{'sku': 'A1', 'qty': '10', 'unit_price': '10'}"));
	ck_assert_str_eq(summary(v), "CURRENCY_MISMATCH");
	ck_assert_str_eq(b2b_validation_expected(v, 0), "USD");
	ck_assert_str_eq(b2b_validation_actual(v, 0), "EUR");
	/* in USD (stated or by default), no mismatch: the credit check runs */
	v = validate(order("USDC", "'currency': 'USD'",
	                   "{'sku': 'A1', 'qty': '10', 'unit_price': '11'}"));
	ck_assert_str_eq(summary(v), "CREDIT_LIMIT_EXCEEDED");
	v = validate(order("USDC", "", "{'sku': 'A1', 'qty': '10', 'unit_price': '11'}"));
	ck_assert_str_eq(summary(v), "CREDIT_LIMIT_EXCEEDED");
	/* a customer without a currency accepts any stated one */
	v = validate(order("PLAIN", "'currency': 'USD'",
	                   "{'sku': 'A1', 'qty': '10', 'unit_price': '11'}"));
	ck_assert_str_eq(summary(v), "");
}
END_TEST

START_TEST(test_terms_and_regions)
{
	const b2b_validation *v = validate(order("TERMS", "'payment_terms': 'prepay', "
	                                         "'ship_to': 'AT'",
	                                         "{'sku': 'A1', 'qty': '3', 'unit_price': '10'}"));
	ck_assert_str_eq(summary(v), "");
	v = validate(order("TERMS", "'payment_terms': 'net60', 'ship_to': 'at'",
	                   "{'sku': 'A1', 'qty': '3', 'unit_price': '10'}"));
	ck_assert_str_eq(summary(v), "PAYMENT_TERMS_NOT_ALLOWED,SHIP_TO_NOT_ALLOWED");
	ck_assert_str_eq(b2b_validation_path(v, 0), "payment_terms");
	ck_assert_str_eq(b2b_validation_path(v, 1), "ship_to");
	/* a customer without terms or regions accepts any */
	v = validate(order("PLAIN", "'payment_terms': 'net60', 'ship_to': 'FR'",
	                   "{'sku': 'A1', 'qty': '3', 'unit_price': '10'}"));
	ck_assert_str_eq(summary(v), "");
}
END_TEST

START_TEST(test_unknown_codes)
{
	/* once per distinct code; paths in codes order (indexes as numbers);
	 * a known code applies (A1 at 9.50 then matches) */
	const b2b_validation *v = validate(order("PLAIN",
		"'codes': ['X0', 'X1', 'X2', 'SAVE5', 'X4', 'X5', 'X6', 'X7', 'X8', 'X9', 'X10', 'X2']",
		"{'sku': 'A1', 'qty': '3', 'unit_price': '9.50'}"));
	size_t i;

	ck_assert_uint_eq(b2b_validation_count(v), 10);
	for (i = 0; i < 10; i++) {
		char path[32], code[8];

		snprintf(path, sizeof(path), "codes[%zu]", i < 3 ? i : i + 1);
		snprintf(code, sizeof(code), "X%zu", i < 3 ? i : i + 1);
		ck_assert_str_eq(b2b_validation_code(v, i), "UNKNOWN_CODE");
		ck_assert_str_eq(b2b_validation_path(v, i), path);
		ck_assert_str_eq(b2b_validation_actual(v, i), code);
		ck_assert_int_eq(b2b_validation_severity(v, i), B2B_ORDER_WARNING);
	}
	ck_assert_int_eq(b2b_validation_valid(v), 1);
	ck_assert_str_eq(total(v), "28.50");
}
END_TEST

/*---------------------------------------------------------------------------
 * orders against an embedded quote
 *---------------------------------------------------------------------------*/

/* A quote for PLAIN valid until 2026-07-15: A1 × 10 requested at 7.00
 * (30 % off → level 2) and LOW × 1 at 10.00 (below its floor), moved
 * along the state machine to `status`. Returns the JSON in ctx. */
static const char *
make_quote(const char *status)
{
	const char *req = J("{'quote_id': 'Q-1', 'customer': 'PLAIN', 'as_of': '2026-06-01', "
	                    "'valid_until': '2026-07-15', 'lines': ["
	                    "{'sku': 'A1', 'qty': '10', 'requested_unit_price': '7.00'},"
	                    "{'sku': 'LOW', 'qty': '1'}]}");
	static const b2b_quote_event path[] = { B2B_QUOTE_SUBMIT, B2B_QUOTE_APPROVE, B2B_QUOTE_SEND,
	                                        B2B_QUOTE_ACCEPT, B2B_QUOTE_ORDER };
	static const char *const reached[] = { "submitted", "approved", "sent", "accepted",
	                                       "ordered" };
	const b2b_quote *q;
	const char *doc;
	size_t len, i;

	ck_assert_int_eq(b2b_quote_from_json(&q, ctx, book, req, strlen(req), NULL), 0);
	ck_assert_int_eq(b2b_quote_approval_level(q), 2);
	ck_assert_int_eq(b2b_quote_to_json(&doc, &len, ctx, q), 0);
	for (i = 0; i < 5 && strcmp(status, "draft") != 0; i++) {
		int allowed = -1;

		ck_assert_int_eq(b2b_quote_doc_transition(&doc, &len, &allowed, ctx, doc, len, path[i],
		                                          NULL), 0);
		ck_assert_int_eq(allowed, 1);
		if (strcmp(status, reached[i]) == 0)
			break;
	}
	return doc;
}

static const char *
order_with_quote(const char *customer, const char *as_of, const char *quote, const char *lines)
{
	static char buf[65536];

	snprintf(buf, sizeof(buf),
	         "{\"order_id\": \"O-2\", \"customer\": \"%s\", \"as_of\": \"%s\", \"quote\": %s, "
	         "\"lines\": [%s]}", customer, as_of, quote, lines);
	return buf;
}

#define QLINES "{\"sku\": \"A1\", \"qty\": \"10\", \"unit_price\": \"7.00\"}, " \
               "{\"sku\": \"LOW\", \"qty\": \"1\", \"unit_price\": \"10.00\"}"

START_TEST(test_accepted_quote_locks_prices)
{
	const char *q = make_quote("accepted");
	/* checked against the quote: 7.00 is the quote's price, and neither
	 * BELOW_FLOOR nor APPROVAL_REQUIRED is raised (approved already) */
	const b2b_validation *v = validate(order_with_quote("PLAIN", "2026-06-20", q, QLINES));

	ck_assert_str_eq(summary(v), "");
	ck_assert_str_eq(total(v), "80.00");
	/* a tampered price is measured against the quote's 7.0000 */
	v = validate(order_with_quote("PLAIN", "2026-06-20", q,
	             "{\"sku\": \"A1\", \"qty\": \"10\", \"unit_price\": \"6.98\"}, "
	             "{\"sku\": \"LOW\", \"qty\": \"1\", \"unit_price\": \"10.00\"}"));
	ck_assert_str_eq(summary(v), "PRICE_MISMATCH@0");
	ck_assert_str_eq(b2b_validation_expected(v, 0), "7.0000");
	/* the same order without the quote: today's book */
	v = validate(J("{'order_id': 'O-3', 'customer': 'PLAIN', 'as_of': '2026-06-20', "
	               "'lines': [{'sku': 'A1', 'qty': '10', 'unit_price': '7.00'}, "
	               "{'sku': 'LOW', 'qty': '1', 'unit_price': '10.00'}]}"));
	ck_assert_str_eq(summary(v), "APPROVAL_REQUIRED,PRICE_MISMATCH@0,BELOW_FLOOR@1");
}
END_TEST

START_TEST(test_quote_expiry_threshold)
{
	const char *q = make_quote("accepted");
	/* valid_until − 1 s: still locked */
	const b2b_validation *v = validate(order_with_quote("PLAIN", "2026-07-14T23:59:59Z", q,
	                                                    QLINES));
	ck_assert_str_eq(summary(v), "");
	/* at valid_until: expired, so today's book is the reference again */
	v = validate(order_with_quote("PLAIN", "2026-07-15", q, QLINES));
	ck_assert_str_eq(summary(v), "APPROVAL_REQUIRED,QUOTE_EXPIRED,PRICE_MISMATCH@0,"
	                             "BELOW_FLOOR@1");
	ck_assert_str_eq(b2b_validation_path(v, 1), "quote.valid_until");
	ck_assert_str_eq(b2b_validation_expected(v, 1), "2026-07-15");
}
END_TEST

START_TEST(test_quote_not_accepted)
{
	const char *q = make_quote("sent");
	const b2b_validation *v = validate(order_with_quote("PLAIN", "2026-06-20", q, QLINES));

	ck_assert_str_eq(summary(v), "APPROVAL_REQUIRED,QUOTE_NOT_ACCEPTED,PRICE_MISMATCH@0,"
	                             "BELOW_FLOOR@1");
	ck_assert_str_eq(b2b_validation_actual(v, 1), "sent");
	q = make_quote("ordered");
	v = validate(order_with_quote("PLAIN", "2026-06-20", q, QLINES));
	ck_assert_int_ge(find(v, "QUOTE_NOT_ACCEPTED", -1), 0);
}
END_TEST

START_TEST(test_quote_mismatch)
{
	const char *q = make_quote("accepted");
	const b2b_validation *v;

	/* another customer (CREDIT buys at 7.00 too: the lock still holds) */
	v = validate(order_with_quote("CREDIT", "2026-06-20", q, QLINES));
	ck_assert_str_eq(summary(v), "QUOTE_MISMATCH");
	ck_assert_str_eq(b2b_validation_path(v, 0), "quote.customer");
	/* line counts differ */
	v = validate(order_with_quote("PLAIN", "2026-06-20", q,
	             "{\"sku\": \"A1\", \"qty\": \"10\", \"unit_price\": \"7.00\"}"));
	ck_assert_str_eq(summary(v), "QUOTE_MISMATCH");
	ck_assert_str_eq(b2b_validation_path(v, 0), "quote.lines");
	ck_assert_str_eq(b2b_validation_expected(v, 0), "2");
	ck_assert_str_eq(b2b_validation_actual(v, 0), "1");
	/* qty differs on line 0; sku differs on line 1 (whose reference is then
	 * the engine: A1 at 10.0000) */
	v = validate(order_with_quote("PLAIN", "2026-06-20", q,
	             "{\"sku\": \"A1\", \"qty\": \"10.5\", \"unit_price\": \"7.00\"}, "
	             "{\"sku\": \"A1\", \"qty\": \"3\", \"unit_price\": \"10.00\"}"));
	ck_assert_str_eq(summary(v), "QUOTE_MISMATCH@0,DUPLICATE_LINE@1,QUOTE_MISMATCH@1,"
	                             "QUOTE_MISMATCH@1");
	ck_assert_str_eq(b2b_validation_path(v, 0), "lines[0].qty");
	ck_assert_str_eq(b2b_validation_expected(v, 0), "10");
	ck_assert_str_eq(b2b_validation_actual(v, 0), "10.5");
	ck_assert_str_eq(b2b_validation_path(v, 2), "lines[1].qty");
	ck_assert_str_eq(b2b_validation_path(v, 3), "lines[1].sku");
	ck_assert_str_eq(b2b_validation_expected(v, 3), "LOW");
	/* equal quantities written differently are the same */
	v = validate(order_with_quote("PLAIN", "2026-06-20", q,
	             "{\"sku\": \"A1\", \"qty\": 10.000, \"unit_price\": 7}, "
	             "{\"sku\": \"LOW\", \"qty\": \"1.0\", \"unit_price\": \"10.00\"}"));
	ck_assert_str_eq(summary(v), "");
	/* the quote's currency against the order's */
	v = validate(order_with_quote("PLAIN\", \"currency\": \"USD", "2026-06-20", q,
	             "{\"sku\": \"A1\", \"qty\": \"10\", \"unit_price\": \"7.00\"}, "
	             "{\"sku\": \"LOW\", \"qty\": \"1\", \"unit_price\": \"10.00\"}"));
	ck_assert_str_eq(summary(v), "CURRENCY_MISMATCH");
}
END_TEST

/* The embedded quote's fields of the wrong shape, each MALFORMED at its
 * path with its message: a status that is not a string, a null customer
 * or currency, a field given twice, lines that are not an array. */
START_TEST(test_quote_fields_wrong_shape)
{
	const b2b_validation *v;
	long k;

	v = validate(order_with_quote("PLAIN", "2026-06-20",
	             "{\"status\": 5, \"customer\": null, \"currency\": null, "
	             "\"valid_until\": null, \"lines\": \"none\", \"status\": \"sent\"}", QLINES));
	ck_assert_int_eq(b2b_validation_valid(v), 0);
	k = find(v, "MALFORMED", -1);
	ck_assert_int_ge(k, 0);
	ck_assert_str_eq(b2b_validation_path(v, (size_t)k), "quote.currency");
	ck_assert_str_eq(b2b_validation_message(v, (size_t)k),
	                 "quote.currency: expected a string, got null");
	ck_assert_str_eq(b2b_validation_path(v, (size_t)k + 1), "quote.customer");
	ck_assert_str_eq(b2b_validation_message(v, (size_t)k + 1),
	                 "quote.customer: expected a string, got null");
	ck_assert_str_eq(b2b_validation_path(v, (size_t)k + 2), "quote.lines");
	ck_assert_str_eq(b2b_validation_message(v, (size_t)k + 2),
	                 "quote.lines: expected an array, got string");
	ck_assert_str_eq(b2b_validation_path(v, (size_t)k + 3), "quote.status");
	ck_assert_str_eq(b2b_validation_message(v, (size_t)k + 3),
	                 "quote.status: expected a string, got number");
	ck_assert_str_eq(b2b_validation_path(v, (size_t)k + 4), "quote.status");
	ck_assert_str_eq(b2b_validation_message(v, (size_t)k + 4), "quote.status: duplicate field");
}
END_TEST

START_TEST(test_quote_malformed)
{
	const b2b_validation *v;

	v = validate(order_with_quote("PLAIN", "2026-06-20", "5", QLINES));
	ck_assert_int_ge(find(v, "MALFORMED", -1), 0);
	ck_assert_str_eq(b2b_validation_path(v, find(v, "MALFORMED", -1)), "quote");
	/* only the fields of §9.17 are read; others are not interpreted */
	v = validate(order_with_quote("PLAIN", "2026-06-20",
	             "{\"status\": \"accepted\", \"customer\": \"PLAIN\", \"currency\": \"EUR\", "
	             "\"valid_until\": null, \"anything\": [1, 2], \"lines\": ["
	             "{\"sku\": \"A1\", \"qty\": \"10\", \"unit_price\": \"7.00\", \"x\": 1}, "
	             "{\"sku\": \"LOW\", \"qty\": \"1\", \"unit_price\": 10}]}", QLINES));
	ck_assert_str_eq(summary(v), "");
	v = validate(order_with_quote("PLAIN", "2026-06-20",
	             "{\"status\": \"agreed\", \"currency\": 5, \"valid_until\": \"soon\", "
	             "\"lines\": [{\"sku\": \"A1\", \"qty\": \"ten\", \"unit_price\": \"7\"}, 3]}",
	             QLINES));
	ck_assert_str_eq(summary(v), "APPROVAL_REQUIRED,MALFORMED,MALFORMED,MALFORMED,MALFORMED,"
	                             "MALFORMED,MALFORMED,PRICE_MISMATCH@0,BELOW_FLOOR@1");
	ck_assert_str_eq(b2b_validation_path(v, 1), "quote.currency");
	ck_assert_str_eq(b2b_validation_path(v, 2), "quote.customer");
	ck_assert_str_eq(b2b_validation_path(v, 3), "quote.lines[0].qty");
	ck_assert_str_eq(b2b_validation_path(v, 4), "quote.lines[1]");
	ck_assert_str_eq(b2b_validation_path(v, 5), "quote.status");
	ck_assert_str_eq(b2b_validation_path(v, 6), "quote.valid_until");
}
END_TEST

/*---------------------------------------------------------------------------
 * MALFORMED and B2B_EPARSE
 *---------------------------------------------------------------------------*/

START_TEST(test_malformed_fields)
{
	static const struct { const char *json, *summary, *first_path; } cases[] = {
		{ "[]", "MALFORMED", "$" },
		{ "{}", "MALFORMED,MALFORMED,MALFORMED,MALFORMED", "as_of" },
		{ "{'order_id': 'O', 'customer': 5, 'as_of': '2026-06-15', "
		  "'lines': [{'sku': 'A1', 'qty': '3', 'unit_price': '10'}]}", "MALFORMED", "customer" },
		{ "{'order_id': 'O', 'customer': 'PLAIN', 'as_of': '2026-06-15', 'lines': []}",
		  "MALFORMED", "lines" },
		{ "{'order_id': 'O', 'customer': 'PLAIN', 'as_of': '2026-06-15', 'lines': {}}",
		  "MALFORMED", "lines" },
		{ "{'order_id': 'O', 'customer': 'PLAIN', 'as_of': '2026-06-15', 'lines': [5]}",
		  "MALFORMED", "lines[0]" },
		{ "{'order_id': 'O', 'customer': 'PLAIN', 'as_of': '2026-13-15', "
		  "'lines': [{'sku': 'A1', 'qty': '3', 'unit_price': '10'}]}", "MALFORMED", "as_of" },
		{ "{'order_id': 'O', 'customer': 'PLAIN', 'as_of': '2026-06-15', 'currency': 'ZZZ', "
		  "'lines': [{'sku': 'A1', 'qty': '3', 'unit_price': '10'}]}", "MALFORMED", "currency" },
		{ "{'order_id': 'O', 'customer': 'PLAIN', 'as_of': '2026-06-15', 'codes': 'X', "
		  "'lines': [{'sku': 'A1', 'qty': '3', 'unit_price': '10'}]}", "MALFORMED", "codes" },
		{ "{'order_id': 'O', 'customer': 'PLAIN', 'as_of': '2026-06-15', 'codes': ['A', 2], "
		  "'lines': [{'sku': 'A1', 'qty': '3', 'unit_price': '10'}]}",
		  "MALFORMED,UNKNOWN_CODE", "codes[1]" },
		{ "{'order_id': 'O', 'customer': 'PLAIN', 'customer': 'PLAIN', 'as_of': '2026-06-15', "
		  "'lines': [{'sku': 'A1', 'qty': '3', 'unit_price': '10'}]}", "MALFORMED", "customer" },
		{ "{'order_id': 'O', 'customer': 'PLAIN', 'as_of': '2026-06-15', "
		  "'lines': [{'sku': 'A1', 'qty': 'abc', 'unit_price': true, 'price': 1}]}",
		  "MALFORMED,MALFORMED,MALFORMED", "lines[0].price" },
		{ "{'order_id': 'O', 'customer': 'PLAIN', 'as_of': '2026-06-15', "
		  "'lines': [{'sku': 'A1', 'qty': 1E-10, 'unit_price': '1.0000000000'}]}",
		  "MALFORMED,MALFORMED", "lines[0].qty" },
		{ "{'order_id': 'O', 'customer': 'PLAIN', 'as_of': '2026-06-15', "
		  "'lines': [{'sku': null, 'qty': '3'}]}", "MALFORMED,MALFORMED", "lines[0].sku" },
		{ "{'order_id': 'O', 'customer': 'PLAIN', 'as_of': '2026-06-15', 'a b': 1, "
		  "'lines': [{'sku': 'A1', 'qty': '3', 'unit_price': '10'}]}", "MALFORMED",
		  "[\"a b\"]" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const b2b_validation *v = validate(J(cases[i].json));

		ck_assert_msg(strcmp(summary(v), cases[i].summary) == 0, "case %zu: %s", i, summary(v));
		ck_assert_msg(strcmp(b2b_validation_path(v, 0), cases[i].first_path) == 0,
		              "case %zu: path %s", i, b2b_validation_path(v, 0));
		ck_assert_int_eq(b2b_validation_valid(v), 0);
		b2b_ctx_reset(ctx);
	}
}
END_TEST

START_TEST(test_malformed_keeps_checking)
{
	/* an unknown currency: MALFORMED, priced in the customer's (EUR); an
	 * unreadable as_of: no pricing, the total is Σ round(price × qty) */
	const b2b_validation *v = validate(J("{'order_id': 'O', 'customer': 'PLAIN', "
		"'as_of': '2026-06-15', 'currency': 'ZZZ', "
		"'lines': [{'sku': 'A1', 'qty': '3', 'unit_price': '10.50'}]}"));
	ck_assert_str_eq(summary(v), "MALFORMED,PRICE_MISMATCH@0");
	ck_assert_str_eq(b2b_validation_currency(v), "EUR");
	v = validate(J("{'order_id': 'O', 'customer': 'PLAIN', 'as_of': 'today', "
	               "'lines': [{'sku': 'A1', 'qty': '3', 'unit_price': '10.505'}]}"));
	ck_assert_str_eq(summary(v), "MALFORMED");
	ck_assert_str_eq(total(v), "31.52");
}
END_TEST

START_TEST(test_not_json)
{
	const b2b_validation *v = (const b2b_validation *)&v;
	const char *bad = "{\n  \"order_id\": \"O\",\n  \"lines\": [1,]\n}";

	ck_assert_int_eq(b2b_order_validate_json(&v, ctx, book, bad, strlen(bad), NULL),
	                 B2B_EPARSE);
	ck_assert_ptr_null(v);
	ck_assert_int_eq(b2b_ctx_errline(ctx), 3);
	ck_assert_int_gt(b2b_ctx_errcol(ctx), 0);
	ck_assert_int_gt(b2b_ctx_erroffset(ctx), 0);
	ck_assert_int_eq(b2b_order_validate_json(&v, ctx, book, "", 0, NULL), B2B_EPARSE);
	ck_assert_int_eq(b2b_order_validate_json(&v, ctx, book, "{} x", 4, NULL), B2B_EPARSE);
}
END_TEST

/* b2b_order_options_init() gives the macro's defaults, which validate like NULL. */
START_TEST(test_options_init)
{
	const b2b_validation *v = NULL;
	b2b_order_options opts;

	memset(&opts, 0xA5, sizeof(opts));
	ck_assert_int_eq(b2b_order_options_init(&opts, 0), B2B_EVERSION);
	ck_assert_int_eq(b2b_order_options_init(&opts, B2B_ORDER_OPTIONS_VERSION + 1), B2B_EVERSION);
	ck_assert_uint_eq(opts.version, 0xA5A5A5A5u);
	ck_assert_int_eq(b2b_order_options_init(NULL, B2B_ORDER_OPTIONS_VERSION), B2B_EINVAL);
	ck_assert_int_eq(b2b_order_options_init(&opts, B2B_ORDER_OPTIONS_VERSION), 0);
	ck_assert_uint_eq(opts.version, 1);
	ck_assert_uint_eq(opts.flags, 0);
	ck_assert_int_eq(b2b_order_validate_json(&v, ctx, book, "{}", 2, &opts), 0);
	ck_assert_int_eq(b2b_validation_valid(v), 0);
}
END_TEST

START_TEST(test_bad_arguments)
{
	const b2b_validation *v = NULL;
	const b2b_order *o = NULL;
	b2b_order_options opts = B2B_ORDER_OPTIONS_INIT;
	const char *text = "{}", *doc;

	ck_assert_int_eq(b2b_order_validate_json(NULL, ctx, book, text, 2, NULL), B2B_EINVAL);
	ck_assert_int_eq(b2b_order_validate_json(&v, NULL, book, text, 2, NULL), B2B_EINVAL);
	ck_assert_int_eq(b2b_order_validate_json(&v, ctx, NULL, text, 2, NULL), B2B_EINVAL);
	ck_assert_int_eq(b2b_order_validate_json(&v, ctx, book, NULL, 2, NULL), B2B_EINVAL);
	opts.version = 2;
	ck_assert_int_eq(b2b_order_validate_json(&v, ctx, book, text, 2, &opts), B2B_EVERSION);
	opts.version = 0;
	ck_assert_int_eq(b2b_order_validate_json(&v, ctx, book, text, 2, &opts), B2B_EVERSION);
	opts.version = B2B_ORDER_OPTIONS_VERSION;
	opts.flags = 1;
	ck_assert_int_eq(b2b_order_validate_json(&v, ctx, book, text, 2, &opts), B2B_EINVAL);
	ck_assert_int_eq(b2b_order_parse(&o, ctx, text, 2), 0);
	ck_assert_int_eq(b2b_order_validate(&v, ctx, book, NULL, NULL), B2B_EINVAL);
	ck_assert_int_eq(b2b_order_validate(&v, ctx, NULL, o, NULL), B2B_EINVAL);
	ck_assert_int_eq(b2b_order_parse(NULL, ctx, text, 2), B2B_EINVAL);
	ck_assert_int_eq(b2b_validation_to_json(&doc, NULL, ctx, NULL), B2B_EINVAL);
	ck_assert_int_eq(b2b_validation_to_json(NULL, NULL, ctx, NULL), B2B_EINVAL);
	/* accessors on NULL and out of range */
	ck_assert_int_eq(b2b_validation_valid(NULL), 0);
	ck_assert_uint_eq(b2b_validation_count(NULL), 0);
	ck_assert_ptr_null(b2b_validation_code(NULL, 0));
	ck_assert_int_eq(b2b_validation_line(NULL, 0), -1);
	ck_assert_int_eq(b2b_validation_severity(NULL, 0), (b2b_order_severity)-1);
	ck_assert_ptr_null(b2b_order_severity_name(b2b_validation_severity(NULL, 0)));
	ck_assert_int_eq(b2b_order_validate(&v, ctx, book, o, NULL), 0);
	ck_assert_ptr_null(b2b_validation_message(v, 99));
	ck_assert_ptr_null(b2b_validation_expected(v, 99));
	ck_assert_ptr_null(b2b_validation_actual(v, 99));
	ck_assert_ptr_null(b2b_validation_path(v, 99));
}
END_TEST

/* §9.22: a document-level NO_FX_RATE skips approval and the money checks;
 * the total is Σ round(price × qty) over the priced lines. */
START_TEST(test_document_fx_failure)
{
	static const char *const settings[] = { "base_currency,EUR", "min_margin_percent,10",
	                                        NULL };
	static const char *const products[] = { "C1,30.00,29.00,CHF", "E1,30.00,29.00,EUR", NULL };
	static const char *const customers[] = { "CH,CHF,1.00", NULL };
	static const char *const promos[] = { "ORD,order_percent,1,10", NULL };
	const fx_table t[] = {
		{ B2B_TABLE_SETTINGS, "key,value", settings },
		{ B2B_TABLE_PRODUCTS, "sku,list_price,cost,currency", products },
		{ B2B_TABLE_CUSTOMERS, "id,currency,credit_limit", customers },
		{ B2B_TABLE_PROMOTIONS, "id,kind,value,min_subtotal", promos },
	};
	b2b_book *b = fx_book(t, 4);
	/* C1 is priced in CHF, but the order promotion's min_subtotal (EUR)
	 * has no rate: a document NO_FX_RATE. The line checks still run
	 * (BELOW_FLOOR: 30 < 29 × 1.1); approval (below_floor, level 1) and
	 * the credit check (60.00 > 1.00 CHF) are skipped. */
	const b2b_validation *v = validate_on(b, J("{'order_id': 'O', 'customer': 'CH', "
		"'as_of': '2026-06-15', 'lines': [{'sku': 'C1', 'qty': '2', 'unit_price': '30'}]}"));

	ck_assert_str_eq(summary(v), "NO_FX_RATE,BELOW_FLOOR@0");
	ck_assert_str_eq(b2b_validation_path(v, 0), "currency");
	ck_assert_str_eq(total(v), "60.00");
	/* E1 (EUR) cannot be priced in CHF at all: a line NO_FX_RATE, left out
	 * of the total; the credit check then runs on 0.00 */
	v = validate_on(b, J("{'order_id': 'O', 'customer': 'CH', 'as_of': '2026-06-15', "
	                     "'lines': [{'sku': 'E1', 'qty': '2', 'unit_price': '30'}]}"));
	ck_assert_str_eq(summary(v), "NO_FX_RATE@0");
	ck_assert_str_eq(total(v), "0.00");
	b2b_book_unref(b);
}
END_TEST

/*---------------------------------------------------------------------------
 * out of memory
 *---------------------------------------------------------------------------*/

static int
oom_body(const b2b_allocator *a, void *ud)
{
	b2b_ctx_options o = B2B_CTX_OPTIONS_INIT;
	const b2b_validation *v;
	const char *text = ud, *doc;
	b2b_ctx *c = NULL;
	int rc;

	o.allocator = a;
	o.arena_initial = 256;
	if ((rc = b2b_ctx_new(&c, &o)) < 0)
		return rc;
	rc = b2b_order_validate_json(&v, c, book, text, strlen(text), NULL);
	if (rc == 0)
		rc = b2b_validation_to_json(&doc, NULL, c, v);
	b2b_ctx_free(c);
	return rc;
}

START_TEST(test_out_of_memory)
{
	char *text = strdup(order("TERMS", "'payment_terms': 'net60', 'codes': ['NOPE']",
	                          "{'sku': 'A1', 'qty': '1', 'unit_price': '10.00'},"
	                          "{'sku': 'ZZZ', 'qty': '1', 'unit_price': '1'},"
	                          "{'sku': 'CHFP', 'qty': '1', 'unit_price': '30'},"
	                          "{'sku': 'LOW', 'qty': '1', 'unit_price': '10.00'}"));

	ck_assert_int_gt(failalloc_loop(oom_body, text, 100000), 5);
	free(text);
}
END_TEST

/*
 * The arena limited to N bytes (B2B_CTX_NO_GROW), N from 256 up in
 * 8-byte steps: every N too small to validate `text` and write its
 * document fails with B2B_ENOMEM (`*out` NULL, the message on ctx says
 * "out of memory"), wherever in the parser, the validator or the writer
 * the arena runs out; the first N that suffices gives the same document
 * as an unlimited ctx. `want_summary` is the violations of that document
 * (see summary()). Returns that N.
 */
static size_t
arena_sweep(const b2b_book *bk, const char *text, const char *want_summary)
{
	b2b_ctx_options o = B2B_CTX_OPTIONS_INIT;
	const b2b_validation *v;
	const char *doc, *want;
	size_t n, failures = 0;
	char *copy;
	int rc;

	ck_assert_int_eq(b2b_order_validate_json(&v, ctx, bk, text, strlen(text), NULL), 0);
	ck_assert_str_eq(summary(v), want_summary);
	ck_assert_int_eq(b2b_validation_to_json(&want, NULL, ctx, v), 0);
	copy = strdup(want);
	o.flags = B2B_CTX_NO_GROW;
	for (n = 256; n < (1u << 20); n += 8) {
		b2b_ctx *c;

		o.arena_initial = n;
		ck_assert_int_eq(b2b_ctx_new(&c, &o), 0);
		v = (const b2b_validation *)&o;
		rc = b2b_order_validate_json(&v, c, bk, text, strlen(text), NULL);
		if (rc == 0)
			rc = b2b_validation_to_json(&doc, NULL, c, v);
		else if (v != NULL)
			ck_abort_msg("arena %zu: status %d with a result", n, rc);
		if (rc == 0) {
			ck_assert_str_eq(doc, copy);
			b2b_ctx_free(c);
			break;
		}
		if (rc != B2B_ENOMEM || strstr(b2b_ctx_errmsg(c), "out of memory") == NULL)
			ck_abort_msg("arena %zu: status %d, \"%s\"", n, rc, b2b_ctx_errmsg(c));
		failures++;
		b2b_ctx_free(c);
	}
	free(copy);
	ck_assert_uint_gt(failures, 10);
	return n;
}

START_TEST(test_arena_exhausted_anywhere)
{
	const char *q;

	/* nearly every rule fires (test_many_rules_in_order) */
	arena_sweep(book, order("TERMS",
		"'payment_terms': 'net60', 'ship_to': 'FR', 'codes': ['NOPE'], 'bogus': 1",
		"{'sku': 'A1', 'qty': '1', 'unit_price': '10.00'},"
		"{'sku': 'ZZZ', 'qty': '1', 'unit_price': '1'},"
		"{'sku': 'OLD', 'qty': '1', 'unit_price': '5.00'},"
		"{'sku': 'P12', 'qty': '13', 'unit_price': '2.00'},"
		"{'sku': 'A1', 'qty': '101', 'unit_price': '10.50'},"
		"{'sku': 'CHFP', 'qty': '1', 'unit_price': '30'},"
		"{'sku': 'NEG', 'qty': '1', 'unit_price': '1.00'},"
		"{'sku': 'A1', 'qty': '0', 'unit_price': '10'},"
		"{'sku': 'LOW', 'qty': '1', 'unit_price': '10.00'},"
		"{'sku': 'USDP', 'qty': '1', 'unit_price': '-1'}"),
		"APPROVAL_REQUIRED,MALFORMED,PAYMENT_TERMS_NOT_ALLOWED,SHIP_TO_NOT_ALLOWED,"
		"UNKNOWN_CODE,QTY_BELOW_MIN@0,UNKNOWN_SKU@1,INACTIVE_SKU@2,"
		"QTY_NOT_MULTIPLE@3,DUPLICATE_LINE@4,INSUFFICIENT_STOCK@4,PRICE_MISMATCH@4,"
		"QTY_ABOVE_MAX@4,NO_FX_RATE@5,NEGATIVE_PRICE@6,DUPLICATE_LINE@7,"
		"QTY_NOT_POSITIVE@7,BELOW_FLOOR@8,NEGATIVE_PRICE@9");
	/* money rules: credit, budget, minimum order, catalog */
	arena_sweep(book, order("CREDIT", "", "{'sku': 'A1', 'qty': '11', 'unit_price': '10'}"),
	            "CREDIT_LIMIT_EXCEEDED");
	arena_sweep(book, order("BUDGET", "", "{'sku': 'A1', 'qty': '11', 'unit_price': '10'}"),
	            "BUDGET_EXCEEDED");
	arena_sweep(book, order("MINV", "", "{'sku': 'A1', 'qty': '2', 'unit_price': '10'}"),
	            "MIN_ORDER_VALUE");
	arena_sweep(book, order("CAT", "", "{'sku': 'P12', 'qty': '12', 'unit_price': '2'}"),
	            "NOT_ENTITLED@0");
	/* against an embedded quote that is only sent, expired on as_of, for
	 * PLAIN: its lines differ (qty 10.5 ≠ 10; A1 × 3 ≠ LOW × 1), so the
	 * book is the reference (A1 at 10.0000; 30 % off needs level 2); the
	 * total 10.5 × 7 + 3 × 10 = 103.50 takes CREDIT's 900.00 past 1000.00 */
	q = make_quote("sent");
	arena_sweep(book, order_with_quote("CREDIT", "2026-07-20", q,
	            "{\"sku\": \"A1\", \"qty\": \"10.5\", \"unit_price\": \"7.00\"}, "
	            "{\"sku\": \"A1\", \"qty\": \"3\", \"unit_price\": \"10.00\"}"),
	            "APPROVAL_REQUIRED,CREDIT_LIMIT_EXCEEDED,QUOTE_EXPIRED,QUOTE_MISMATCH,"
	            "QUOTE_NOT_ACCEPTED,PRICE_MISMATCH@0,QUOTE_MISMATCH@0,DUPLICATE_LINE@1,"
	            "QUOTE_MISMATCH@1,QUOTE_MISMATCH@1");
}
END_TEST

static Suite *
order_suite(void)
{
	Suite *s = suite_create("order");
	TCase *core = tcase_create("Core");
	TCase *limits = tcase_create("Limits");
	TCase *errors = tcase_create("Errors");

	tcase_add_checked_fixture(core, setup, teardown);
	tcase_add_checked_fixture(limits, setup, teardown);
	tcase_add_checked_fixture(errors, setup, teardown);
	tcase_add_test(core, test_valid_order_document);
	tcase_add_test(core, test_violation_document);
	tcase_add_test(core, test_sample_orders);
	tcase_add_test(core, test_parse_once_validate_many);
	tcase_add_test(core, test_many_rules_in_order);
	tcase_add_test(limits, test_credit_limit_threshold);
	tcase_add_test(limits, test_budget_threshold);
	tcase_add_test(limits, test_min_order_value_threshold);
	tcase_add_test(limits, test_price_tolerance_threshold);
	tcase_add_test(limits, test_tampered_price_caught);
	tcase_add_test(limits, test_quantity_thresholds);
	tcase_add_test(limits, test_approval_threshold);
	tcase_add_test(limits, test_below_floor_threshold);
	tcase_add_test(limits, test_customer_money_converted);
	tcase_add_test(limits, test_quote_expiry_threshold);
	tcase_add_test(errors, test_unknown_customer);
	tcase_add_test(errors, test_line_codes);
	tcase_add_test(errors, test_duplicate_lines);
	tcase_add_test(errors, test_currency_mismatch);
	tcase_add_test(errors, test_terms_and_regions);
	tcase_add_test(errors, test_unknown_codes);
	tcase_add_test(errors, test_accepted_quote_locks_prices);
	tcase_add_test(errors, test_quote_not_accepted);
	tcase_add_test(errors, test_quote_mismatch);
	tcase_add_test(errors, test_quote_malformed);
	tcase_add_test(errors, test_quote_fields_wrong_shape);
	tcase_add_test(errors, test_malformed_fields);
	tcase_add_test(errors, test_malformed_keeps_checking);
	tcase_add_test(errors, test_not_json);
	tcase_add_test(errors, test_options_init);
	tcase_add_test(errors, test_bad_arguments);
	tcase_add_test(errors, test_document_fx_failure);
	tcase_add_test(errors, test_out_of_memory);
	tcase_add_test(errors, test_arena_exhausted_anywhere);
	tcase_set_timeout(errors, 120);
	suite_add_tcase(s, core);
	suite_add_tcase(s, limits);
	suite_add_tcase(s, errors);
	return s;
}

int
main(void)
{
	return b2b_test_run(order_suite());
}
