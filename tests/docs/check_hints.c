/*
 * Tests: hints (SPEC §11) — one test per rule with the arithmetic in a
 * comment, the C accessors, documents read back, and the property that a
 * document without `explain` is the one with it minus the explanation
 * fields (`candidates`, `hints`), on random books with breaks, contracts,
 * windows, FX rows and promotions.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "b2b.h"
#include "b2b/book.h"
#include "b2b/json.h"
#include "b2b/price.h"
#include "b2b/quote.h"
#include "b2b/quote_doc.h"
#include "support/testmain.h"

#define DOC_TEST_OWN_RUN
#include "doc_test.h"

/*===========================================================================
 * MARK: - helpers
 *===========================================================================*/

typedef struct doc {
	b2b_ctx *ctx;
	const b2b_quote *q;
	const b2b_price *p;
	const char *json;
	size_t len;
	const b2b_json *root;
} doc;

#define CK(path, want) ck_assert_str_eq(js(D.root, (path)), (want))

/* Quote `req` (' for ") against `book`; the document, parsed. */
static void
quote(doc *d, const b2b_book *book, const char *req)
{
	char *text = strdup(req), *c;

	for (c = text; *c != '\0'; c++)
		if (*c == '\'')
			*c = '"';
	memset(d, 0, sizeof(*d));
	ck_assert_int_eq(b2b_ctx_new(&d->ctx, NULL), 0);
	ck_assert_int_eq(b2b_quote_from_json(&d->q, d->ctx, book, text, strlen(text), NULL), 0);
	free(text);
	ck_assert_int_eq(b2b_quote_ok(d->q), 1);
	ck_assert_int_eq(b2b_quote_to_json(&d->json, &d->len, d->ctx, d->q), 0);
	ck_assert_int_eq(b2b_json_parse(&d->root, d->ctx, d->json, d->len, 0), 0);
}

/* b2b price for (customer, sku, qty) at 2026-06-15. */
static void
price(doc *d, const b2b_book *book, const char *customer, const char *sku, const char *qty)
{
	b2b_price_request *req;

	memset(d, 0, sizeof(*d));
	ck_assert_int_eq(b2b_ctx_new(&d->ctx, NULL), 0);
	ck_assert_int_eq(b2b_price_request_new(&req, d->ctx), 0);
	b2b_price_request_set_customer(req, customer);
	b2b_price_request_set_sku(req, sku);
	b2b_price_request_set_qty(req, qty);
	b2b_price_request_set_as_of(req, "2026-06-15");
	ck_assert_int_eq(b2b_price_compute(&d->p, d->ctx, book, req, NULL), 0);
	ck_assert_int_eq(b2b_price_ok(d->p), 1);
	ck_assert_int_eq(b2b_price_to_json(&d->json, &d->len, d->ctx, d->p), 0);
	ck_assert_int_eq(b2b_json_parse(&d->root, d->ctx, d->json, d->len, 0), 0);
}

static void
done(doc *d)
{
	b2b_ctx_free(d->ctx);
}

/*
 * The book of the rule tests (EUR base, unit prices at 2 decimals, as-of
 * 2026-06-15 throughout):
 *  - L1 (default, valid until 2026-09-01, all_units): A 10.00 from 0,
 *    9.999 from 10, 9.50 from 20; T1 10.00 until 2026-08-01T00:00:00Z; T2
 *    10.00.
 *  - INC (incremental, only CI names it): B 10.00 from 0, 5.00 from 10.
 *  - K1 (CK's contract, override): A 8.00 from 0, 7.00 from 50.
 *  - FX: EUR→USD 1.1 (open), 1.2 from 2026-07-01, 1.3 from 2026-08-01;
 *    EUR→GBP 0.8 (open), 0.85 from 2026-06-20T08:30:00Z. U is in USD, G
 *    in GBP: no USD→EUR / GBP→EUR row, so the inverse rows are used.
 *  - PT1 10 % on T1 until 2026-08-01T00:00:00Z; PT2 10 % on T2 until
 *    2026-07-15.
 *  - order promotions: O0 amount 1 (priority 10), O1 5 % from 100.001
 *    (priority 5), O2 exclusive 5 % from 100 (priority 1), O3 2 % from
 *    200 (priority 0).
 */
#define HINT_BOOK                                                         \
	"# settings\nkey,value\nbase_currency,EUR\nunit_price_decimals,2\n"   \
	"# fx_rates\nfrom,to,rate,valid_from\n"                               \
	"EUR,USD,1.1,\nEUR,USD,1.2,2026-07-01\nEUR,USD,1.3,2026-08-01\n"      \
	"EUR,GBP,0.8,\nEUR,GBP,0.85,2026-06-20T08:30:00Z\n"                  \
	"# products\nsku,list_price,currency\n"                               \
	"A,10.00,\nB,10.00,\nT1,10.00,\nT2,10.00,\nU,11.00,USD\nG,8.00,GBP\n" \
	"# customers\nid,price_lists\nC,\nCK,\nCI,INC\n"                      \
	"# price_lists\nid,applies_to,tier_mode,valid_until\n"                \
	"L1,default,,2026-09-01\nINC,,incremental,\n"                          \
	"# price_list_items\nlist,scope,min_qty,compute,price,valid_until\n"  \
	"L1,sku:A,0,fixed,10.00,\nL1,sku:A,10,fixed,9.999,\n"                 \
	"L1,sku:A,20,fixed,9.50,\n"                                          \
	"INC,sku:B,0,fixed,10.00,\nINC,sku:B,10,fixed,5.00,\n"                \
	"L1,sku:T1,0,fixed,10.00,2026-08-01T00:00:00Z\n"                     \
	"L1,sku:T2,0,fixed,10.00,\n"                                         \
	"# contracts\nid,customer\nK1,CK\n"                                   \
	"# contract_items\ncontract,scope,min_qty,price\n"                    \
	"K1,sku:A,0,8.00\nK1,sku:A,50,7.00\n"                                \
	"# promotions\nid,kind,value,scope,valid_until,priority,stacking,min_subtotal\n" \
	"PT1,percent,10,sku:T1,2026-08-01T00:00:00Z,0,,\n"                    \
	"PT2,percent,10,sku:T2,2026-07-15,0,,\n"                              \
	"O0,order_amount,1,,,10,,\n"                                         \
	"O1,order_percent,5,,,5,,100.001\n"                                  \
	"O2,order_percent,5,,,1,exclusive,100\n"                             \
	"O3,order_percent,2,,,0,,200\n"

/*===========================================================================
 * MARK: - next_break
 *===========================================================================*/

/* A at 5 for C: 10.00 from L1's break 0. Q' = 10 gives 9.999 → 10.00 at
 * 2 decimals: not lower than 10.00, passed over; Q' = 20 gives 9.50 <
 * 10.00: the hint. L1 ends 2026-09-01: expires. */
START_TEST(test_next_break_skips_not_lower)
{
	b2b_book *book = mkbook(HINT_BOOK);
	doc D;

	price(&D, book, "C", "A", "5");
	CK("unit_price", "10.00");
	CK("hints", "[2]");
	ck_assert_str_eq(keys(D.root, "hints[0]"), "kind,message,qty,unit_price");
	CK("hints[0].kind", "next_break");
	CK("hints[0].qty", "20");
	CK("hints[0].unit_price", "9.50");
	CK("hints[0].message", "from qty 20 the unit price is 9.50 instead of 10.00");
	CK("hints[1].kind", "expires");
	CK("hints[1].at", "2026-09-01");
	CK("hints[1].source", "price_list:L1");
	done(&D);
	/* at 12 (break 10: 9.999 → 10.00) the next lower break is still 20 */
	price(&D, book, "C", "A", "12");
	CK("unit_price", "10.00");
	CK("hints[0].qty", "20");
	done(&D);
	/* at 20 (9.50) and beyond no break is above Q: no next_break */
	price(&D, book, "C", "A", "20");
	CK("unit_price", "9.50");
	CK("hints", "[1]");
	CK("hints[0].kind", "expires");
	done(&D);
	b2b_book_unref(book);
}
END_TEST

/* A at 5 for CK: L1 gives 10.00, then K1 (override) 8.00: the contract
 * priced the line, so its scope's breaks are the candidates: Q' = 50
 * gives 7.00 < 8.00. (L1's break 20 is not one: at 20 the contract still
 * gives 8.00.) L1 is named by the waterfall: expires 2026-09-01. */
START_TEST(test_next_break_contract_scope)
{
	b2b_book *book = mkbook(HINT_BOOK);
	doc D;

	price(&D, book, "CK", "A", "5");
	CK("unit_price", "8.00");
	CK("protected", "true");
	CK("hints[0].kind", "next_break");
	CK("hints[0].qty", "50");
	CK("hints[0].unit_price", "7.00");
	CK("hints[1].source", "price_list:L1");
	done(&D);
	b2b_book_unref(book);
}
END_TEST

/* B for CI from the incremental INC: at 5, 10.00; at 15, (10 × 10.00 + 5
 * × 5.00) ÷ 15 = 8.333333333 → 8.33. Its own breaks never give a
 * next_break (at Q' = 10 no unit is priced at 5.00), and nothing it
 * names ends: no hint at all. */
START_TEST(test_next_break_incremental_none)
{
	b2b_book *book = mkbook(HINT_BOOK);
	doc D;

	price(&D, book, "CI", "B", "5");
	CK("unit_price", "10.00");
	CK("hints", "[0]");
	done(&D);
	price(&D, book, "CI", "B", "15");
	CK("unit_price", "8.33");
	CK("hints", "[0]");
	done(&D);
	b2b_book_unref(book);
}
END_TEST

/*===========================================================================
 * MARK: - expires
 *===========================================================================*/

/* U (USD) in EUR: no USD→EUR row; the EUR→USD row valid at 2026-06-15 is
 * the open one (1.1); the next EUR→USD row starts 2026-07-01 (not the
 * 2026-08-01 one): expires at 2026-07-01, source fx:EUR/USD. G (GBP): the
 * next EUR→GBP row starts 2026-06-20T08:30:00Z, written as a date-time. */
START_TEST(test_expires_fx_successor)
{
	b2b_book *book = mkbook(HINT_BOOK);
	doc D;

	price(&D, book, "C", "U", "1");
	CK("waterfall[1].source", "fx:EUR/USD");
	CK("hints", "[1]");
	ck_assert_str_eq(keys(D.root, "hints[0]"), "kind,message,at,source");
	CK("hints[0].kind", "expires");
	CK("hints[0].at", "2026-07-01");
	CK("hints[0].source", "fx:EUR/USD");
	CK("hints[0].message", "fx:EUR/USD has a new rate from 2026-07-01: the price may change then");
	done(&D);
	price(&D, book, "C", "G", "1");
	CK("hints[0].at", "2026-06-20T08:30:00Z");
	CK("hints[0].source", "fx:EUR/GBP");
	done(&D);
	b2b_book_unref(book);
}
END_TEST

/* T1: L1 ends 2026-09-01; its item and PT1 both end at
 * 2026-08-01T00:00:00Z: a tie, to the record named first (the item, by
 * its waterfall source), `at` as written (a date-time). T2: the item is
 * open, PT2 ends 2026-07-15, before L1: the promotion. */
START_TEST(test_expires_ties_and_order)
{
	b2b_book *book = mkbook(HINT_BOOK);
	doc D;

	price(&D, book, "C", "T1", "1");
	CK("unit_price", "9.00");
	CK("hints", "[1]");
	CK("hints[0].at", "2026-08-01T00:00:00Z");
	CK("hints[0].source", "price_list:L1/sku:T1/min_qty:0");
	CK("hints[0].message", "price_list:L1/sku:T1/min_qty:0 ends at 2026-08-01T00:00:00Z: "
	                       "the price may change then");
	done(&D);
	price(&D, book, "C", "T2", "1");
	CK("hints[0].at", "2026-07-15");
	CK("hints[0].source", "promotion:PT2");
	done(&D);
	b2b_book_unref(book);
}
END_TEST

/* The list and a promotion ending at one instant: the list wins. */
START_TEST(test_expires_tie_list_first)
{
	b2b_book *book = mkbook(
		"# settings\nkey,value\nbase_currency,EUR\n"
		"# products\nsku,list_price\nA,10.00\n# customers\nid\nC\n"
		"# price_lists\nid,applies_to,valid_until\nL,default,2026-07-01\n"
		"# price_list_items\nlist,scope,compute,price\nL,all,fixed,9.00\n"
		"# promotions\nid,kind,value,valid_until\nP,percent,10,2026-07-01\n");
	doc D;

	/* 9.00 × 0.9 = 8.1000 */
	price(&D, book, "C", "A", "1");
	CK("unit_price", "8.1000");
	CK("hints", "[1]");
	CK("hints[0].source", "price_list:L");
	CK("hints[0].at", "2026-07-01");
	done(&D);
	b2b_book_unref(book);
}
END_TEST

/*===========================================================================
 * MARK: - order_promotion, and quotes
 *===========================================================================*/

/* A × 4 for C: subtotal 4 × 10.00 = 40.00. Walk: O0 applies (cut 1.00);
 * O1 needs 100.001: missing 60.001, rounded up to 60.01 (half_up would
 * give 60.00); O2 is exclusive after O0 applied: blocked whatever the
 * subtotal, no hint; O3 needs 200: missing 160.00. */
START_TEST(test_order_promotion_missing_rounded_up)
{
	b2b_book *book = mkbook(HINT_BOOK);
	doc D;

	quote(&D, book, "{'quote_id': 'Q', 'customer': 'C', 'as_of': '2026-06-15', "
	                "'explain': true, 'lines': [{'sku': 'A', 'qty': '4'}]}");
	CK("subtotal", "40.00");
	CK("discount_total", "1.00");
	ck_assert_str_eq(keys(D.root, ""), "quote_id,customer,as_of,currency,channel,fingerprint,"
	                 "status,revision,valid_until,lines,subtotal,discounts,discount_total,"
	                 "taxes,tax_total,total,margin,margin_percent,approval,warnings,hints");
	CK("hints", "[2]");
	ck_assert_str_eq(keys(D.root, "hints[0]"), "kind,message,promotion,missing");
	CK("hints[0].kind", "order_promotion");
	CK("hints[0].promotion", "O1");
	CK("hints[0].missing", "60.01");
	CK("hints[0].message", "a subtotal 60.01 EUR higher reaches order promotion O1");
	CK("hints[1].promotion", "O3");
	CK("hints[1].missing", "160.00");
	/* the line's own hints */
	CK("lines[0].hints[0].qty", "20");
	CK("lines[0].hints[1].source", "price_list:L1");
	/* C accessors */
	ck_assert_uint_eq(b2b_quote_hint_count(D.q), 2);
	ck_assert_str_eq(b2b_hint_promotion(b2b_quote_hint(D.q, 1)), "O3");
	ck_assert_uint_eq(b2b_quote_line_hint_count(D.q, 0), 2);
	ck_assert_ptr_null(b2b_quote_line_hint(D.q, 0, 2));
	ck_assert_ptr_null(b2b_quote_line_hint(D.q, 1, 0));
	done(&D);

	/* a subtotal that reaches them: no hint; 110 × 10.00 = 1100 */
	quote(&D, book, "{'quote_id': 'Q', 'customer': 'C', 'as_of': '2026-06-15', "
	                "'explain': true, 'lines': [{'sku': 'A', 'qty': '110'}]}");
	CK("hints", "[0]");
	done(&D);

	/* without explain: no hints anywhere, and the same figures */
	quote(&D, book, "{'quote_id': 'Q', 'customer': 'C', 'as_of': '2026-06-15', "
	                "'lines': [{'sku': 'A', 'qty': '4'}]}");
	ck_assert_str_eq(keys(D.root, ""), "quote_id,customer,as_of,currency,channel,fingerprint,"
	                 "status,revision,valid_until,lines,subtotal,discounts,discount_total,"
	                 "taxes,tax_total,total,margin,margin_percent,approval,warnings");
	CK("lines[0].hints", "<missing>");
	ck_assert_uint_eq(b2b_quote_hint_count(D.q), 0);
	ck_assert_uint_eq(b2b_quote_line_hint_count(D.q, 0), 0);
	CK("discount_total", "1.00");
	done(&D);
	b2b_book_unref(book);
}
END_TEST

/* A requested price changes neither the reference of next_break (the
 * rounded price before it) nor the hints. */
START_TEST(test_requested_price_ignored)
{
	b2b_book *book = mkbook(HINT_BOOK);
	doc D;

	quote(&D, book, "{'quote_id': 'Q', 'customer': 'C', 'as_of': '2026-06-15', "
	                "'explain': true, 'lines': [{'sku': 'A', 'qty': '5', "
	                "'requested_unit_price': '9.00'}]}");
	CK("lines[0].unit_price", "9.00");
	CK("lines[0].hints[0].qty", "20");
	CK("lines[0].hints[0].unit_price", "9.50");
	done(&D);
	b2b_book_unref(book);
}
END_TEST

/*===========================================================================
 * MARK: - volume agreements (SPEC §10): next_break at a tier, volume_tier
 *===========================================================================*/

/* C1 (gold) at 2026-02-15: QD qty discount on category:tools, tiers 0 %,
 * 2 % from 100, 5 % from 500, valid until 2026-04-01, 90 units to date;
 * RB1 amount rebate on all, 1 % from 0, 2 % from 1000, 700.009 to date. */
#define VA_BOOK                                                            \
	"# settings\nkey,value\nbase_currency,EUR\n"                         \
	"# products\nsku,list_price,category\nA,10.00,tools/hand\nB,20.00,tools/power\n" \
	"# customers\nid,segment\nC1,gold\n"                                  \
	"# volume_agreements\nid,party,scope,basis,kind,tiers,valid_from,valid_until\n" \
	"QD,customer:C1,category:tools,qty,discount,0:0;100:2;500:5,2026-01-01,2026-04-01\n" \
	"RB1,customer:C1,all,amount,rebate,0:1;1000:2,2026-01-01,2027-01-01\n" \
	"# customer_volumes\ncustomer,agreement,volume\nC1,QD,90\nC1,RB1,700.009\n"

/* A × 10 and B × 5: V(QD) = 90 + 10 + 5 = 105 ≥ 100 → 2 %: A 9.80, B
 * 19.60; amounts 98.00 + 98.00. RB1: V = 700.009 + 196.00 = 896.009 → 1 %.
 * Line A: the break of QD at 500 is Q' = 500 − (105 − 10) = 405 (the
 * other line's 5 kept): V' = 500 → 5 %: 9.50 < 9.80. Line B: Q' = 500 −
 * (105 − 5) = 400 → 20 × 0.95 = 19.00. volume_tier, in id order: QD
 * missing 500 − 105 = 395 (units, exact), 5 %; RB1 missing 1000 −
 * 896.009 = 103.991, rounded up to 104.00, 2 %. expires: the volume step
 * names QD, valid until 2026-04-01. */
START_TEST(test_volume_next_break_and_tiers)
{
	b2b_book *book = mkbook(VA_BOOK);
	doc D;

	quote(&D, book, "{'quote_id': 'Q', 'customer': 'C1', 'as_of': '2026-02-15', "
	                "'explain': true, 'lines': [{'sku': 'A', 'qty': '10'}, "
	                "{'sku': 'B', 'qty': '5'}]}");
	CK("lines[0].unit_price", "9.8000");
	CK("lines[1].unit_price", "19.6000");
	CK("lines[0].hints", "[4]");
	CK("lines[0].hints[0].kind", "next_break");
	CK("lines[0].hints[0].qty", "405");
	CK("lines[0].hints[0].unit_price", "9.5000");
	CK("lines[1].hints[0].qty", "400");
	CK("lines[1].hints[0].unit_price", "19.0000");
	ck_assert_str_eq(keys(D.root, "lines[0].hints[1]"), "kind,message,agreement,missing,percent");
	CK("lines[0].hints[1].kind", "volume_tier");
	CK("lines[0].hints[1].agreement", "QD");
	CK("lines[0].hints[1].missing", "395");
	CK("lines[0].hints[1].percent", "5");
	CK("lines[0].hints[1].message", "395 more units reach the 5 % tier of agreement QD");
	CK("lines[0].hints[2].agreement", "RB1");
	CK("lines[0].hints[2].missing", "104.00");
	CK("lines[0].hints[2].percent", "2");
	CK("lines[0].hints[2].message", "104.00 EUR more reaches the 2 % tier of agreement RB1");
	CK("lines[0].hints[3].kind", "expires");
	CK("lines[0].hints[3].source", "volume:QD");
	CK("lines[0].hints[3].at", "2026-04-01");
	done(&D);

	/* b2b price: the line alone, V(QD) = 90 + 10 = 100 → 2 %: 9.80; Q' =
	 * 500 − 90 = 410; QD missing 400; RB1 V = 700.009 + the line's
	 * amount 98.00 = 798.009: missing 201.991 → 202.00 */
	{
		b2b_price_request *req;

		memset(&D, 0, sizeof D);
		ck_assert_int_eq(b2b_ctx_new(&D.ctx, NULL), 0);
		ck_assert_int_eq(b2b_price_request_new(&req, D.ctx), 0);
		b2b_price_request_set_customer(req, "C1");
		b2b_price_request_set_sku(req, "A");
		b2b_price_request_set_qty(req, "10");
		b2b_price_request_set_as_of(req, "2026-02-15");
		ck_assert_int_eq(b2b_price_compute(&D.p, D.ctx, book, req, NULL), 0);
		ck_assert_int_eq(b2b_price_to_json(&D.json, &D.len, D.ctx, D.p), 0);
		ck_assert_int_eq(b2b_json_parse(&D.root, D.ctx, D.json, D.len, 0), 0);
	}
	CK("unit_price", "9.8000");
	CK("hints[0].qty", "410");
	CK("hints[0].unit_price", "9.5000");
	CK("hints[1].missing", "400");
	CK("hints[2].missing", "202.00");
	CK("hints[3].source", "volume:QD");
	ck_assert_int_eq(b2b_hint_get_kind(b2b_price_hint(D.p, 1)), B2B_HINT_VOLUME_TIER);
	ck_assert_str_eq(b2b_hint_agreement(b2b_price_hint(D.p, 2)), "RB1");
	done(&D);
	b2b_book_unref(book);
}
END_TEST

/*===========================================================================
 * MARK: - the C API
 *===========================================================================*/

START_TEST(test_hint_accessors)
{
	b2b_book *book = mkbook(HINT_BOOK);
	const b2b_hint *h;
	b2b_hint_kind k;
	b2b_dec v;
	b2b_time t;
	char buf[64];
	doc D;

	ck_assert_str_eq(b2b_hint_kind_name(B2B_HINT_NEXT_BREAK), "next_break");
	ck_assert_str_eq(b2b_hint_kind_name(B2B_HINT_VOLUME_TIER), "volume_tier");
	ck_assert_str_eq(b2b_hint_kind_name(B2B_HINT_EXPIRES), "expires");
	ck_assert_str_eq(b2b_hint_kind_name(B2B_HINT_ORDER_PROMOTION), "order_promotion");
	ck_assert_ptr_null(b2b_hint_kind_name((b2b_hint_kind)4));
	ck_assert_int_eq(b2b_hint_kind_parse(&k, "expires", 7), 0);
	ck_assert_int_eq(k, B2B_HINT_EXPIRES);
	ck_assert_int_eq(b2b_hint_kind_parse(&k, "expire", 6), B2B_EPARSE);
	ck_assert_int_eq(b2b_hint_kind_parse(NULL, "expires", 7), B2B_EINVAL);

	price(&D, book, "C", "A", "5");
	ck_assert_uint_eq(b2b_price_hint_count(D.p), 2);
	h = b2b_price_hint(D.p, 0);
	ck_assert_int_eq(b2b_hint_get_kind(h), B2B_HINT_NEXT_BREAK);
	ck_assert_uint_eq(b2b_hint_field_count(h), 2);
	ck_assert_str_eq(b2b_hint_field_name(h, 0), "qty");
	ck_assert_str_eq(b2b_hint_field_text(h, 0), "20");
	ck_assert_str_eq(b2b_hint_field_name(h, 1), "unit_price");
	ck_assert_str_eq(b2b_hint_field_text(h, 1), "9.50");
	ck_assert_ptr_null(b2b_hint_field_name(h, 2));
	ck_assert_int_eq(b2b_hint_qty(&v, h), 0);
	b2b_dec_format(buf, sizeof buf, NULL, v, B2B_DEC_SCALE_EXACT, B2B_ROUND_HALF_UP);
	ck_assert_str_eq(buf, "20");
	ck_assert_int_eq(b2b_hint_unit_price(&v, h), 0);
	b2b_dec_format(buf, sizeof buf, NULL, v, 2, B2B_ROUND_HALF_UP);
	ck_assert_str_eq(buf, "9.50");
	ck_assert_int_eq(b2b_hint_missing(&v, h), B2B_ENOTFOUND);
	ck_assert_int_eq(b2b_hint_at(&t, h), B2B_ENOTFOUND);
	ck_assert_ptr_null(b2b_hint_source(h));
	ck_assert_str_eq(b2b_hint_message(h), "from qty 20 the unit price is 9.50 instead of 10.00");
	h = b2b_price_hint(D.p, 1);
	ck_assert_int_eq(b2b_hint_get_kind(h), B2B_HINT_EXPIRES);
	ck_assert_int_eq(b2b_hint_at(&t, h), 0);
	b2b_time_format(buf, sizeof buf, NULL, t);
	ck_assert_str_eq(buf, "2026-09-01");
	ck_assert_str_eq(b2b_hint_source(h), "price_list:L1");
	ck_assert_ptr_null(b2b_hint_agreement(h));
	ck_assert_ptr_null(b2b_hint_promotion(h));
	ck_assert_int_eq(b2b_hint_qty(&v, h), B2B_ENOTFOUND);
	ck_assert_int_eq(b2b_hint_at(NULL, h), B2B_EINVAL);
	ck_assert_ptr_null(b2b_price_hint(D.p, 2));
	/* NULL views */
	ck_assert_int_eq(b2b_hint_get_kind(NULL), -1);
	ck_assert_ptr_null(b2b_hint_message(NULL));
	ck_assert_uint_eq(b2b_hint_field_count(NULL), 0);
	ck_assert_uint_eq(b2b_price_hint_count(NULL), 0);
	ck_assert_uint_eq(b2b_quote_hint_count(NULL), 0);
	done(&D);
	b2b_book_unref(book);
}
END_TEST

/* SPEC §6: a quote document with hints reads back and writes the same
 * bytes. */
START_TEST(test_hints_lossless)
{
	b2b_book *book = mkbook(HINT_BOOK);
	const b2b_quote_doc *qd;
	const char *out;
	size_t len;
	doc D;

	quote(&D, book, "{'quote_id': 'Q', 'customer': 'C', 'as_of': '2026-06-15', "
	                "'explain': true, 'lines': [{'sku': 'A', 'qty': '4'}, "
	                "{'sku': 'U', 'qty': '1'}, {'sku': 'T1', 'qty': '2'}]}");
	ck_assert_int_eq(b2b_quote_doc_parse(&qd, D.ctx, D.json, D.len), 0);
	ck_assert_int_eq(b2b_quote_doc_to_json(&out, &len, D.ctx, qd), 0);
	ck_assert_uint_eq(len, D.len);
	ck_assert_int_eq(memcmp(out, D.json, len), 0);
	done(&D);
	b2b_book_unref(book);
}
END_TEST

/*===========================================================================
 * MARK: - Properties over random books
 *===========================================================================*/

/* One of a few instants around the as-of date 2026-06-15, or empty. */
static const char *
rdate(uint64_t *s, int until)
{
	static const char *const from[] = { "", "", "2026-01-01", "2026-06-01",
	                                    "2026-06-15T06:00:00Z" };
	static const char *const to[] = { "", "", "2026-07-01", "2026-06-30T18:00:00Z",
	                                  "2026-09-01", "2027-01-01" };

	return until ? to[rn(s, 6)] : from[rn(s, 5)];
}

/* A random book with lists (all three tier modes), breaks, windows, a
 * contract, rules, line and order promotions, FX rows. */
static void
random_book(char *buf, size_t size, uint64_t *s, unsigned *np)
{
	static const char *const modes[] = { "half_up", "half_even", "down", "up" };
	static const char *const tiers[] = { "", "incremental", "block" };
	size_t n = 0;
	unsigned i, j, nl = 1 + rn(s, 3), tier[3], m;

	*np = 2 + rn(s, 4);
#define PUT(...) (n += (size_t)snprintf(buf + n, size - n, __VA_ARGS__))
	PUT("# settings\nkey,value\nbase_currency,EUR\nrounding_mode,%s\nunit_price_decimals,%u\n",
	    modes[rn(s, 4)], rn(s, 5));
	PUT("# fx_rates\nfrom,to,rate,valid_from\nEUR,USD,1.1,\nEUR,USD,1.%u,2026-06-%02u\n"
	    "EUR,USD,1.2,2026-08-01\n", 1 + rn(s, 8), 10 + rn(s, 15));
	PUT("# products\nsku,list_price,cost,currency,category\n");
	for (i = 0; i < *np; i++)
		PUT("P%u,%u.%02u,%s,%s,%s\n", i, 5 + rn(s, 200), rn(s, 100),
		    rn(s, 2) ? "3.10" : "", rn(s, 4) == 0 ? "USD" : "", rn(s, 2) ? "tools" : "");
	PUT("# customers\nid,segment\nC,pro\n");
	PUT("# price_lists\nid,applies_to,priority,tier_mode,valid_from,valid_until\n");
	for (i = 0; i < nl; i++) {
		tier[i] = rn(s, 3);
		PUT("L%u,default,%u,%s,%s,%s\n", i, rn(s, 3), tiers[tier[i]], rdate(s, 0),
		    rdate(s, 1));
	}
	PUT("# price_list_items\nlist,scope,min_qty,compute,price,discount_percent,valid_from,"
	    "valid_until\n");
	for (i = 0; i < nl; i++) {
		for (j = 0, m = 0; j < 2 + rn(s, 6); j++, m += 1 + rn(s, 20)) {
			/* block lists take fixed items only */
			unsigned fixed = tier[i] == 2 || rn(s, 2);
			char scope[16];

			snprintf(scope, sizeof scope, "%s", rn(s, 3) == 0 ? "all" :
			         rn(s, 2) ? "category:tools" : "");
			if (scope[0] == '\0')
				snprintf(scope, sizeof scope, "sku:P%u", rn(s, *np));
			PUT("L%u,%s,%u,%s,%s,%s,%s,%s\n", i, scope, m,
			    fixed ? "fixed" : "discount",
			    fixed ? (rn(s, 2) ? "9.99" : "4.5") : "",
			    fixed ? "" : (rn(s, 2) ? "10" : "2.5"), rdate(s, 0), rdate(s, 1));
		}
	}
	PUT("# contracts\nid,customer,policy,allow_promotions,valid_until\nK,C,%s,%u,%s\n",
	    rn(s, 2) ? "best" : "override", rn(s, 2), rdate(s, 1));
	PUT("# contract_items\ncontract,scope,min_qty,price\n");
	for (j = 0; j < rn(s, 4); j++)
		PUT("K,sku:P%u,%u,%u.%02u\n", rn(s, *np), j * 25, 3 + rn(s, 10), rn(s, 100));
	PUT("# dynamic_rules\nid,scope,signal,markup_percent,valid_until\n");
	for (j = 0; j < rn(s, 3); j++)
		PUT("R%u,sku:P%u,cost_plus,%u,%s\n", j, rn(s, *np), 50 + rn(s, 300), rdate(s, 1));
	PUT("# promotions\nid,kind,value,scope,priority,stacking,valid_until,min_subtotal\n");
	for (j = 0; j < rn(s, 4); j++)
		PUT("PL%u,percent,%u,%s,%u,%s,%s,\n", j, 1 + rn(s, 30), rn(s, 2) ? "all" :
		    "category:tools", rn(s, 3), rn(s, 4) == 0 ? "exclusive" : "", rdate(s, 1));
	for (j = 0; j < rn(s, 4); j++)
		PUT("PO%u,order_percent,%u,,%u,%s,%s,%u\n", j, 1 + rn(s, 10), rn(s, 3),
		    rn(s, 4) == 0 ? "exclusive" : "", rdate(s, 1), rn(s, 3) * 300);
	/* volume agreements (SPEC §10) in half of the books */
	if (rn(s, 2)) {
		unsigned na = 1 + rn(s, 4);

		PUT("# volume_agreements\nid,party,scope,basis,kind,tiers,currency,valid_until\n");
		for (j = 0; j < na; j++) {
			unsigned amount = rn(s, 2);

			PUT("V%u,%s,%s,%s,%s,%s,%s,%s\n", j, rn(s, 2) ? "customer:C" : "segment:pro",
			    rn(s, 2) ? "all" : rn(s, 2) ? "category:tools" : "sku:P0",
			    amount ? "amount" : "qty", rn(s, 2) ? "discount" : "rebate",
			    amount ? (rn(s, 2) ? "100:1;1000:2.5;5000:4" : "0:0;250.5:3")
			           : (rn(s, 2) ? "10:1;60:2;200:5" : "0:0.5;45:3"),
			    amount && rn(s, 3) == 0 ? "USD" : "", rdate(s, 1));
		}
		PUT("# customer_volumes\ncustomer,agreement,volume\n");
		for (j = 0; j < na; j++)
			if (rn(s, 2))
				PUT("C,V%u,%u.%u\n", j, rn(s, 300), rn(s, 10));
	}
#undef PUT
}

/*
 * The document text minus its members named "candidates" and "hints":
 * the library writes 2-space pretty JSON, one member per line, so a
 * member is its key line and, for an array that is not empty, the lines
 * up to its closing bracket at the same indent; the comma of the member
 * before a removed last member is dropped.
 */
static char *
strip_explanation(const char *json)
{
	size_t n = strlen(json), o = 0;
	char *out = malloc(n + 1);
	const char *p = json;

	REQUIRE(out != NULL, "malloc");
	while (*p != '\0') {
		const char *eol = strchr(p, '\n'), *k = p;
		size_t len = eol != NULL ? (size_t)(eol - p) + 1 : strlen(p), ind;

		while (*k == ' ')
			k++;
		ind = (size_t)(k - p);
		if (strncmp(k, "\"candidates\": ", 14) == 0 || strncmp(k, "\"hints\": ", 9) == 0) {
			const char *end = p + len;
			int last;

			if (end[-2] == '[') {           /* "[\n": skip to the "]" at this indent */
				for (;;) {
					const char *q = end, *e2 = strchr(q, '\n');
					size_t l2 = e2 != NULL ? (size_t)(e2 - q) + 1 : strlen(q), i;

					for (i = 0; i < ind && q[i] == ' '; i++)
						;
					end = q + l2;
					if (i == ind && q[ind] == ']')
						break;
				}
			}
			last = end[-2] != ',';
			if (last && o >= 2 && out[o - 2] == ',') {
				out[o - 2] = '\n';
				o--;
			}
			p = end;
			continue;
		}
		memcpy(out + o, p, len);
		o += len;
		p += len;
	}
	out[o] = '\0';
	return out;
}

/* SPEC §11: hints never change a figure — the document without explain
 * is the one with it minus `candidates` and `hints`. And every hint is
 * what it says: a next_break re-priced alone gives its unit price, lower
 * than the line's; an `at` is after T. */
START_TEST(test_property_explain_changes_nothing)
{
	static char spec[16384], req[2048];
	uint64_t s = 0x4d1e75u;
	unsigned b, d, i, with_hints = 0, with_break = 0, with_doc_hint = 0, with_tier = 0;
	b2b_ctx *ctx;

	if (getenv("B2B_SEED") != NULL)
		s = strtoull(getenv("B2B_SEED"), NULL, 0);
	ck_assert_int_eq(b2b_ctx_new(&ctx, NULL), 0);
	for (b = 0; b < 300; b++) {
		unsigned np;
		b2b_book *book;

		random_book(spec, sizeof spec, &s, &np);
		book = mkbook(spec);
		for (d = 0; d < 20; d++) {
			unsigned nl = 1 + rn(&s, 5);
			size_t n = 0;
			const b2b_quote *q1, *q2;
			const char *j1, *j2;
			char *stripped;

			unsigned lsku[8], lqty[8], lreq[8], k;

			for (k = 0; k < nl; k++) {
				lsku[k] = rn(&s, np);
				lqty[k] = 1 + rn(&s, 120);
				lreq[k] = rn(&s, 5) == 0;
			}
			for (i = 0; i < 2; i++) {
				n = (size_t)snprintf(req, sizeof req,
				                     "{\"quote_id\": \"R\", \"customer\": \"C\", "
				                     "\"as_of\": \"2026-06-15\",%s \"lines\": [",
				                     i == 0 ? " \"explain\": true," : "");
				for (k = 0; k < nl; k++)
					n += (size_t)snprintf(req + n, sizeof req - n,
					                      "%s{\"sku\": \"P%u\", \"qty\": \"%u\"%s}",
					                      k ? ", " : "", lsku[k], lqty[k], lreq[k] ?
					                      ", \"requested_unit_price\": \"4.20\"" : "");
				snprintf(req + n, sizeof req - n, "]}");
				REQUIRE(b2b_quote_from_json(i == 0 ? &q1 : &q2, ctx, book, req,
				                            strlen(req), NULL) == 0,
				        "book %u doc %u: %s", b, d, b2b_ctx_errmsg(ctx));
			}
			if (!b2b_quote_ok(q1)) {
				REQUIRE(!b2b_quote_ok(q2), "book %u doc %u: explain changed ok", b, d);
				b2b_ctx_reset(ctx);
				continue;
			}
			REQUIRE(b2b_quote_to_json(&j1, NULL, ctx, q1) == 0 &&
			        b2b_quote_to_json(&j2, NULL, ctx, q2) == 0, "json");
			stripped = strip_explanation(j1);
			REQUIRE(strcmp(stripped, j2) == 0,
			        "book %u doc %u: explain changed the document\n%s\n%s\n--- with "
			        "explain minus candidates/hints:\n%s\n--- without:\n%s",
			        b, d, spec, req, stripped, j2);
			free(stripped);
			if (b2b_quote_hint_count(q1) > 0)
				with_doc_hint++;
			for (i = 0; i < b2b_quote_line_count(q1); i++) {
				size_t h, nh = b2b_quote_line_hint_count(q1, i);

				with_hints += nh > 0;
				for (h = 0; h < nh; h++) {
					const b2b_hint *hh = b2b_quote_line_hint(q1, i, h);
					b2b_dec qty, up;
					b2b_time at;

					if (b2b_hint_get_kind(hh) == B2B_HINT_EXPIRES) {
						REQUIRE(b2b_hint_at(&at, hh) == 0 &&
						        at.sec > b2b_quote_as_of(q1).sec, "at after T");
						REQUIRE(h == nh - 1, "expires comes last");
					}
					with_tier += b2b_hint_get_kind(hh) == B2B_HINT_VOLUME_TIER;
					if (b2b_hint_get_kind(hh) != B2B_HINT_NEXT_BREAK)
						continue;
					REQUIRE(h == 0, "next_break comes first");
					with_break++;
					REQUIRE(b2b_hint_qty(&qty, hh) == 0 &&
					        b2b_hint_unit_price(&up, hh) == 0 &&
					        b2b_dec_cmp(qty, b2b_quote_line_qty(q1, i)) > 0,
					        "next_break qty above Q");
					/* the document with this line at Q' and no requested
					 * price on it, the rest unchanged: that unit price */
					{
						b2b_quote_request *r1;
						const b2b_quote *q3;
						char qt[64], sk[16], qk[16];
						int ok;

						b2b_dec_format(qt, sizeof qt, NULL, qty, B2B_DEC_SCALE_EXACT,
						               B2B_ROUND_HALF_UP);
						ok = b2b_quote_request_new(&r1, ctx) == 0 &&
						     b2b_quote_request_set_customer(r1, "C") == 0 &&
						     b2b_quote_request_set_quote_id(r1, "R") == 0 &&
						     b2b_quote_request_set_as_of(r1, "2026-06-15") == 0;
						for (k = 0; ok && k < nl; k++) {
							snprintf(sk, sizeof sk, "P%u", lsku[k]);
							snprintf(qk, sizeof qk, "%u", lqty[k]);
							ok = b2b_quote_request_add_line(r1, sk, k == i ? qt : qk,
							                                k != i && lreq[k] ? "4.20"
							                                : NULL) == 0;
						}
						REQUIRE(ok && b2b_quote_compute(&q3, ctx, book, r1, NULL) == 0 &&
						        b2b_quote_ok(q3), "reprice at Q'");
						REQUIRE(b2b_dec_cmp(b2b_quote_line_unit_price(q3, i), up) == 0,
						        "book %u doc %u: next_break unit price\n%s\n%s", b, d,
						        spec, req);
					}
				}
			}
			b2b_ctx_reset(ctx);
		}
		b2b_book_unref(book);
	}
	/* the generator reaches every kind of line hint and document hints */
	ck_assert_uint_gt(with_hints, 100);
	ck_assert_uint_gt(with_break, 20);
	ck_assert_uint_gt(with_tier, 20);
	ck_assert_uint_gt(with_doc_hint, 20);
	b2b_ctx_free(ctx);
}
END_TEST

static Suite *
hints_suite(void)
{
	Suite *s = suite_create("hints");
	TCase *rules = tcase_create("Rules"), *api = tcase_create("API");
	TCase *props = tcase_create("Properties");

	tcase_add_test(rules, test_next_break_skips_not_lower);
	tcase_add_test(rules, test_next_break_contract_scope);
	tcase_add_test(rules, test_next_break_incremental_none);
	tcase_add_test(rules, test_expires_fx_successor);
	tcase_add_test(rules, test_expires_ties_and_order);
	tcase_add_test(rules, test_expires_tie_list_first);
	tcase_add_test(rules, test_order_promotion_missing_rounded_up);
	tcase_add_test(rules, test_requested_price_ignored);
	tcase_add_test(rules, test_volume_next_break_and_tiers);
	suite_add_tcase(s, rules);
	tcase_add_test(api, test_hint_accessors);
	tcase_add_test(api, test_hints_lossless);
	suite_add_tcase(s, api);
	tcase_set_timeout(props, 300);
	tcase_add_test(props, test_property_explain_changes_nothing);
	suite_add_tcase(s, props);
	return s;
}

int
main(void)
{
	return b2b_test_run(hints_suite());
}
