/*
 * Tests: volume agreements in documents (SPEC §10): the discount step and
 * its tiers, the document volume V over several lines, amount agreements
 * in another currency, protected lines, candidates, rebates and their
 * allocation, NO_FX_RATE, orders (§10.5), the batch, and properties (an
 * agreement never raises a price; Σ line rebates = rebate_total).
 *
 * Every expected figure was worked out by hand from the SPEC; the
 * comments show the arithmetic.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "b2b.h"
#include "book_int.h"
#include "price_int.h"
#include "support/testmain.h"

#include "doc_test.h"

#define CK(path, want) ck_assert_str_eq(js(R.doc, (path)), (want))

/* EUR base; EUR→USD 1.1; no rate for CHF or GBP. As of 2026-02-15 every
 * agreement is in its window (QD: the first quarter). */
#define BOOK_NO_VA                                                         \
	"# settings\nkey,value\nbase_currency,EUR\n"                          \
	"# fx_rates\nfrom,to,rate\nEUR,USD,1.1\n"                             \
	"# products\nsku,list_price,category,currency\n"                      \
	"A,10.00,tools/hand,\nB,20.00,tools/power,\nP,5.00,paint,\n"         \
	"H,10.00,tools/hand,CHF\nG,10.00,tools/hand,GBP\n"                   \
	"# customers\nid,segment,currency\n"                                  \
	"C1,gold,\nC2,gold,\nC3,silver,USD\nC5,,CHF\nC6,,CHF\nC7,,\n"         \
	"# contracts\nid,customer\nK2,C2\n"                                   \
	"# contract_items\ncontract,scope,price\nK2,sku:A,8.00\n"            \
	"# promotions\nid,kind,value,code\nSAVE10,order_percent,10,SAVE10\n"
#define VA_TABLES                                                          \
	"# volume_agreements\nid,party,scope,basis,kind,tiers,currency,valid_from,valid_until\n" \
	"QD,customer:C1,category:tools,qty,discount,0:0;100:2;500:5,,2026-01-01,2026-04-01\n" \
	"GD,segment:gold,all,qty,discount,50:1,,,\n"                          \
	"AD,customer:C3,all,amount,discount,0:0;1000:3,EUR,,\n"               \
	"AX,customer:C5,all,amount,discount,0:1,USD,,\n"                      \
	"RB1,customer:C1,all,amount,rebate,0:1;1000:2,,2026-01-01,2027-01-01\n" \
	"RB2,segment:gold,category:tools,qty,rebate,0:0.5,,,\n"               \
	"RX,customer:C6,all,amount,rebate,0:1,USD,,\n"                        \
	"# customer_volumes\ncustomer,agreement,volume\n"                     \
	"C1,QD,90\nC1,RB1,900\nC2,GD,60\nC3,AD,900\n"
#define BOOK BOOK_NO_VA VA_TABLES

#define HDR1 "'quote_id': 'Q', 'customer': 'C1', 'as_of': '2026-02-15', "

static b2b_book *the_book;

static void
setup(void)
{
	the_book = mkbook(BOOK);
}

static void
teardown(void)
{
	b2b_book_unref(the_book);
}

/* Tier boundary exactly at the threshold: V = 90 (to date) + 10 = 100 ≥ 100
 * → 2 %: 10 × 0.98 = 9.80. GD (segment gold, scope all) matches too but
 * QD's category scope is more specific: GD is passed `less_specific`.
 * Rebates: amount 98.00 = net; RB1 V = 900 + 98.00 = 998.00 < 1000 → 1 %:
 * 0.98; RB2 V = 10 units ≥ 0 → 0.5 %: 98 × 0.005 = 0.49; line 1.47. */
START_TEST(t_tier_at_threshold)
{
	qrun R;

	quote(&R, the_book, "{" HDR1 "'explain': true, 'lines': [{'sku': 'A', 'qty': '10'}]}");
	if (R.rc != 0)
		show(&R);
	ck_assert_int_eq(R.rc, 0);
	CK("lines[0].unit_price", "9.8000");
	CK("lines[0].waterfall[1].step", "volume");
	CK("lines[0].waterfall[1].source", "volume:QD/tier:100");
	CK("lines[0].waterfall[1].before", "10.000000000");
	CK("lines[0].waterfall[1].after", "9.800000000");
	/* candidates in id order: GD, then QD */
	CK("lines[0].candidates[0].source", "volume:GD");
	CK("lines[0].candidates[0].reason", "less_specific");
	CK("lines[0].candidates[1].source", "volume:QD/tier:100");
	CK("lines[0].candidates[1].outcome", "applied");
	CK("lines[0].rebate", "1.47");
	CK("rebates", "[2]");
	CK("rebates[0].agreement", "RB1");
	CK("rebates[0].tier", "0");
	CK("rebates[0].volume", "998.00");
	CK("rebates[0].accrual", "0.98");
	CK("rebates[1].agreement", "RB2");
	CK("rebates[1].volume", "10");
	CK("rebates[1].accrual", "0.49");
	CK("rebate_total", "1.47");
	ck_assert_str_eq(keys(R.doc, "lines[0]"), "sku,qty,list_price,unit_price,amount,"
	                 "order_discount,net_amount,tax_rate,tax,total,cost,margin,"
	                 "discount_percent,protected,below_floor,rebate,waterfall,candidates,hints");
	done(&R);
}
END_TEST

/* One unit below: V = 90 + 9 = 99 < 100 → the tier of threshold 0 (0 %):
 * the step still shows, 10 → 10. RB1: 900 + 90 = 990 → 1 %: 0.90; RB2:
 * 90 × 0.005 = 0.45. */
START_TEST(t_tier_one_below)
{
	qrun R;

	quote(&R, the_book, "{" HDR1 "'lines': [{'sku': 'A', 'qty': '9'}]}");
	ck_assert_int_eq(R.rc, 0);
	CK("lines[0].unit_price", "10.0000");
	CK("lines[0].waterfall[1].source", "volume:QD/tier:0");
	CK("lines[0].waterfall[1].after", "10.000000000");
	CK("lines[0].rebate", "1.35");
	CK("rebate_total", "1.35");
	done(&R);
}
END_TEST

/* Several lines add up to a tier: QD's V = 90 + 4 + 3 + 3 = 100 → 2 % on
 * every tools line (each alone would stay below: 94, 93, 93). P (paint) is
 * outside QD's scope: GD is chosen for it, V = 0 + 4+3+3+1 = 11 < 50 →
 * passed `below_first_tier`, no step.
 * Amounts: 4 × 9.80 = 39.20, 3 × 19.60 = 58.80, 3 × 9.80 = 29.40, 5.00;
 * subtotal 132.40. RB1 V = 900 + 132.40 = 1032.40 ≥ 1000 → 2 %: 0.784 →
 * 0.78, 1.176 → 1.18, 0.588 → 0.59, 0.10; accrual 2.65. RB2 (tools, qty):
 * V = 10 → 0.5 %: 0.196 → 0.20, 0.294 → 0.29, 0.147 → 0.15; accrual 0.64.
 * Lines: 0.98, 1.47, 0.74, 0.10; total 3.29 = 2.65 + 0.64. */
START_TEST(t_lines_add_up)
{
	qrun R;

	quote(&R, the_book, "{" HDR1 "'explain': true, 'lines': [{'sku': 'A', 'qty': '4'}, "
	      "{'sku': 'B', 'qty': '3'}, {'sku': 'A', 'qty': '3'}, {'sku': 'P', 'qty': '1'}]}");
	ck_assert_int_eq(R.rc, 0);
	CK("lines[0].unit_price", "9.8000");
	CK("lines[1].unit_price", "19.6000");
	CK("lines[2].unit_price", "9.8000");
	CK("lines[3].unit_price", "5.0000");
	CK("lines[3].waterfall", "[2]");
	CK("lines[3].candidates[0].source", "volume:GD");
	CK("lines[3].candidates[0].reason", "below_first_tier");
	CK("subtotal", "132.40");
	CK("lines[0].rebate", "0.98");
	CK("lines[1].rebate", "1.47");
	CK("lines[2].rebate", "0.74");
	CK("lines[3].rebate", "0.10");
	CK("rebates[0].tier", "1000");
	CK("rebates[0].volume", "1032.40");
	CK("rebates[0].accrual", "2.65");
	CK("rebates[1].accrual", "0.64");
	CK("rebate_total", "3.29");
	done(&R);
}
END_TEST

/* The volume to date alone reaches a tier: C2 has 60 on GD (threshold
 * 50); P × 1: V = 61 → 1 %: 5 × 0.99 = 4.95. */
START_TEST(t_volume_to_date_alone)
{
	qrun R;

	quote(&R, the_book, "{'quote_id': 'Q', 'customer': 'C2', 'as_of': '2026-02-15', "
	      "'lines': [{'sku': 'P', 'qty': '1'}]}");
	ck_assert_int_eq(R.rc, 0);
	CK("lines[0].unit_price", "4.9500");
	CK("lines[0].waterfall[1].source", "volume:GD/tier:50");
	/* RB2 (gold, tools) does not match P: no rebate accrues, the fields stay */
	CK("rebates", "[0]");
	CK("rebate_total", "0.00");
	CK("lines[0].rebate", "0.00");
	done(&R);
}
END_TEST

/* A protected line takes the step too: contract K2 gives A at 8.00, then
 * GD (V = 60 + 1 = 61 ≥ 50) 1 %: 8 × 0.99 = 7.92. RB2: V = 1 unit → 0.5 %
 * of 7.92 = 0.0396 → 0.04. */
START_TEST(t_protected_line)
{
	qrun R;

	quote(&R, the_book, "{'quote_id': 'Q', 'customer': 'C2', 'as_of': '2026-02-15', "
	      "'lines': [{'sku': 'A', 'qty': '1'}]}");
	ck_assert_int_eq(R.rc, 0);
	CK("lines[0].protected", "true");
	CK("lines[0].waterfall[1].step", "contract");
	CK("lines[0].waterfall[2].step", "volume");
	CK("lines[0].waterfall[2].before", "8.000000000");
	CK("lines[0].unit_price", "7.9200");
	CK("rebates[0].agreement", "RB2");
	CK("rebates[0].accrual", "0.04");
	done(&R);
}
END_TEST

/* An amount agreement in another currency: C3 pays USD, AD is in EUR.
 * L = 10 × 1.1 = 11 USD; to date 900 EUR → 990 USD; threshold 1000 EUR →
 * 1100 USD. Two lines of 5: V = 990 + 55 + 55 = 1100 → 3 %: 11 × 0.97 =
 * 10.67 (each line alone: 1045 → 0 %). One line of 9: 990 + 99 = 1089 →
 * 0 %. */
START_TEST(t_amount_other_currency)
{
	qrun R;

	quote(&R, the_book, "{'quote_id': 'Q', 'customer': 'C3', 'as_of': '2026-02-15', "
	      "'lines': [{'sku': 'A', 'qty': '5'}, {'sku': 'A', 'qty': '5'}]}");
	ck_assert_int_eq(R.rc, 0);
	CK("currency", "USD");
	CK("lines[0].unit_price", "10.6700");
	CK("lines[1].unit_price", "10.6700");
	CK("lines[0].waterfall[2].source", "volume:AD/tier:1000");
	done(&R);
	quote(&R, the_book, "{'quote_id': 'Q', 'customer': 'C3', 'as_of': '2026-02-15', "
	      "'lines': [{'sku': 'A', 'qty': '9'}]}");
	ck_assert_int_eq(R.rc, 0);
	CK("lines[0].unit_price", "11.0000");
	CK("lines[0].waterfall[2].source", "volume:AD/tier:0");
	done(&R);
	/* requested prices do not change a discount's V: 9 + a line of 1 at a
	 * requested 1.00 still measures 11 × 1: V = 990 + 99 + 11 = 1100 → 3 % */
	quote(&R, the_book, "{'quote_id': 'Q', 'customer': 'C3', 'as_of': '2026-02-15', "
	      "'lines': [{'sku': 'A', 'qty': '9'}, {'sku': 'A', 'qty': '1', "
	      "'requested_unit_price': '1.00'}]}");
	ck_assert_int_eq(R.rc, 0);
	CK("lines[0].unit_price", "10.6700");
	CK("lines[1].unit_price", "1.0000");
	done(&R);
}
END_TEST

/* No rate from a discount agreement's currency (USD) to the document's
 * (CHF): a line NO_FX_RATE naming the agreement. */
START_TEST(t_no_rate_discount)
{
	qrun R;

	quote(&R, the_book, "{'quote_id': 'Q', 'customer': 'C5', 'as_of': '2026-02-15', "
	      "'lines': [{'sku': 'H', 'qty': '1'}]}");
	ck_assert_int_eq(R.rc, NOT_PRICED);
	CK("errors[0].code", "NO_FX_RATE");
	CK("errors[0].path", "lines[0].sku");
	ck_assert_ptr_nonnull(strstr(js(R.doc, "errors[0].message"), "volume agreement 'AX'"));
	done(&R);
}
END_TEST

/* … and from a rebate's: a document NO_FX_RATE, path `currency`. */
START_TEST(t_no_rate_rebate)
{
	qrun R;

	quote(&R, the_book, "{'quote_id': 'Q', 'customer': 'C6', 'as_of': '2026-02-15', "
	      "'lines': [{'sku': 'H', 'qty': '1'}]}");
	ck_assert_int_eq(R.rc, NOT_PRICED);
	CK("errors", "[1]");
	CK("errors[0].code", "NO_FX_RATE");
	CK("errors[0].path", "currency");
	ck_assert_ptr_nonnull(strstr(js(R.doc, "errors[0].message"), "volume agreement RX"));
	done(&R);
}
END_TEST

/* An order promotion is allocated before the rebate: amount 98.00, SAVE10
 * cuts 9.80, net 88.20. RB1 V = 900 + 88.20 = 988.20 → 1 %: 0.882 → 0.88;
 * RB2: 88.20 × 0.005 = 0.441 → 0.44. Line 1.32. */
START_TEST(t_rebate_after_order_promotion)
{
	qrun R;

	quote(&R, the_book, "{" HDR1 "'codes': ['SAVE10'], 'lines': [{'sku': 'A', 'qty': '10'}]}");
	ck_assert_int_eq(R.rc, 0);
	CK("lines[0].net_amount", "88.20");
	CK("rebates[0].volume", "988.20");
	CK("rebates[0].accrual", "0.88");
	CK("rebates[1].accrual", "0.44");
	CK("lines[0].rebate", "1.32");
	CK("rebate_total", "1.32");
	done(&R);
}
END_TEST

/* A rebate's volume crosses its tier with the document: A × 20 at 9.80
 * (QD: 110 ≥ 100) = 196.00; RB1 V = 1096.00 → 2 %: 3.92; RB2 0.5 %: 0.98. */
START_TEST(t_rebate_tier_reached)
{
	qrun R;

	quote(&R, the_book, "{" HDR1 "'lines': [{'sku': 'A', 'qty': '20'}]}");
	ck_assert_int_eq(R.rc, 0);
	CK("rebates[0].tier", "1000");
	CK("rebates[0].accrual", "3.92");
	CK("rebates[1].accrual", "0.98");
	CK("rebate_total", "4.90");
	done(&R);
}
END_TEST

/* Below a rebate's first threshold: tier null, accrual 0 (C7 has no
 * agreement; a book-local agreement with a first threshold above V). */
START_TEST(t_rebate_below_first_tier)
{
	b2b_book *b = mkbook(BOOK_NO_VA
	                     "# volume_agreements\nid,party,scope,basis,kind,tiers\n"
	                     "R7,customer:C7,all,qty,rebate,10:3\n");
	qrun R;

	quote(&R, b, "{'quote_id': 'Q', 'customer': 'C7', 'as_of': '2026-02-15', "
	      "'lines': [{'sku': 'P', 'qty': '9'}]}");
	ck_assert_int_eq(R.rc, 0);
	CK("rebates[0].agreement", "R7");
	CK("rebates[0].tier", "null");
	CK("rebates[0].volume", "9");
	CK("rebates[0].accrual", "0.00");
	CK("lines[0].rebate", "0.00");
	done(&R);
	/* 10 units: 45.00 (5 × 0.99? no: no discount agreement) = 50.00 × 3 % = 1.50 */
	quote(&R, b, "{'quote_id': 'Q', 'customer': 'C7', 'as_of': '2026-02-15', "
	      "'lines': [{'sku': 'P', 'qty': '10'}]}");
	CK("rebates[0].tier", "10");
	CK("rebates[0].accrual", "1.50");
	done(&R);
	b2b_book_unref(b);
}
END_TEST

/* Without agreement rows the document has none of the fields. */
START_TEST(t_no_fields_without_agreements)
{
	b2b_book *b = mkbook(BOOK_NO_VA);
	qrun R;

	quote(&R, b, "{" HDR1 "'lines': [{'sku': 'A', 'qty': '10'}]}");
	ck_assert_int_eq(R.rc, 0);
	CK("rebates", "<missing>");
	CK("rebate_total", "<missing>");
	CK("lines[0].rebate", "<missing>");
	ck_assert_int_eq(b2b_quote_has_rebates(R.q), 0);
	done(&R);
	b2b_book_unref(b);
}
END_TEST

/* Remove the member at p (up to and including its line's end). */
static void
cut_line(char *p)
{
	char *e = strchr(p, '\n');

	memmove(p, e + 1, strlen(e + 1) + 1);
}

/* Quote documents with rebates read back losslessly (an order can carry
 * one); the rebate fields come all together or not at all. */
START_TEST(t_document_round_trip)
{
	qrun R;
	const b2b_quote_doc *d;
	const char *out;
	size_t len;
	char *bad, *p;

	quote(&R, the_book, "{" HDR1 "'explain': true, 'lines': [{'sku': 'A', 'qty': '10'}, "
	      "{'sku': 'P', 'qty': '2'}]}");
	ck_assert_int_eq(R.rc, 0);
	ck_assert_int_eq(b2b_quote_doc_parse(&d, R.ctx, R.json, R.len), 0);
	ck_assert_int_eq(b2b_quote_doc_to_json(&out, &len, R.ctx, d), 0);
	ck_assert_uint_eq(len, R.len);
	ck_assert_int_eq(memcmp(out, R.json, len), 0);
	/* drop the first line's "rebate": that line misses it */
	bad = strdup(R.json);
	p = strstr(bad, "\"rebate\": ");
	ck_assert_ptr_nonnull(p);
	cut_line(p);
	ck_assert_int_eq(b2b_quote_doc_parse(&d, R.ctx, bad, strlen(bad)), B2B_EPARSE);
	free(bad);
	/* no rebate_total with rebates */
	bad = strdup(R.json);
	p = strstr(bad, "\"rebate_total\"");
	ck_assert_ptr_nonnull(p);
	cut_line(p);
	ck_assert_int_eq(b2b_quote_doc_parse(&d, R.ctx, bad, strlen(bad)), B2B_EPARSE);
	free(bad);
	done(&R);
}
END_TEST

/* The C accessors give the document's figures. */
START_TEST(t_accessors)
{
	qrun R;
	char buf[64];

	quote(&R, the_book, "{" HDR1 "'lines': [{'sku': 'A', 'qty': '10'}]}");
	ck_assert_int_eq(b2b_quote_has_rebates(R.q), 1);
	ck_assert_uint_eq(b2b_quote_rebate_count(R.q), 2);
	ck_assert_str_eq(b2b_quote_rebate_agreement(R.q, 1), "RB2");
	ck_assert_str_eq(b2b_quote_rebate_tier(R.q, 0), "0");
	b2b_dec_format(buf, sizeof buf, NULL, b2b_quote_rebate_volume(R.q, 0), 2, B2B_ROUND_HALF_UP);
	ck_assert_str_eq(buf, "998.00");
	b2b_dec_format(buf, sizeof buf, NULL, b2b_quote_rebate_accrual(R.q, 1), 2, B2B_ROUND_HALF_UP);
	ck_assert_str_eq(buf, "0.49");
	b2b_dec_format(buf, sizeof buf, NULL, b2b_quote_line_rebate(R.q, 0), 2, B2B_ROUND_HALF_UP);
	ck_assert_str_eq(buf, "1.47");
	b2b_dec_format(buf, sizeof buf, NULL, b2b_quote_rebate_total(R.q), 2, B2B_ROUND_HALF_UP);
	ck_assert_str_eq(buf, "1.47");
	ck_assert_ptr_null(b2b_quote_rebate_agreement(R.q, 2));
	done(&R);
}
END_TEST

/* The batch prices a line alone (V = to date + the line) and agrees with
 * a one-line quote; lines no agreement can reach stay on the fast path. */
START_TEST(t_batch)
{
	const b2b_book *b = the_book;
	uint32_t cu[5], pr[5];
	b2b_dec qty[5], up[5];
	int probs[5];
	b2b_time t;
	b2b_ctx *ctx;
	char buf[64];
	size_t i;
	static const char *const want[5] = { "9.8000", "10.0000", "10.6700", "5.0000", "" };

	ck_assert_int_eq(b2b_ctx_new(&ctx, NULL), 0);
	ck_assert_int_eq(b2b_time_parse(&t, NULL, "2026-02-15", 10), 0);
	cu[0] = cu[1] = b2b__book_customer(b, "C1", 2);
	cu[2] = b2b__book_customer(b, "C3", 2);
	cu[3] = b2b__book_customer(b, "C7", 2);
	cu[4] = b2b__book_customer(b, "C5", 2);
	pr[0] = pr[1] = pr[2] = b2b__book_product(b, "A", 1);
	pr[3] = b2b__book_product(b, "P", 1);
	pr[4] = b2b__book_product(b, "H", 1);
	/* C1 A 10: 90 + 10 = 100 → 2 %; C1 A 9: 99 → 0 %; C3 A 10 (USD):
	 * 990 + 110 = 1100 → 3 % of 11 = 10.67; C7 P: no agreement; C5 H: the
	 * agreement's USD has no rate to CHF */
	b2b_dec_from_units(&qty[0], 10, 0);
	b2b_dec_from_units(&qty[1], 9, 0);
	b2b_dec_from_units(&qty[2], 10, 0);
	b2b_dec_from_units(&qty[3], 1, 0);
	b2b_dec_from_units(&qty[4], 1, 0);
	ck_assert_int_eq(b2b_price_batch(up, probs, ctx, b, cu, pr, qty, 5, NULL, t), 0);
	for (i = 0; i < 4; i++) {
		ck_assert_int_eq(probs[i], B2B_BATCH_OK);
		b2b_dec_format(buf, sizeof buf, NULL, up[i], 4, B2B_ROUND_HALF_UP);
		ck_assert_str_eq(buf, want[i]);
	}
	ck_assert_int_eq(probs[4], B2B_BATCH_NO_FX_RATE);
	b2b_ctx_free(ctx);
}
END_TEST

/* The batch's fast path: a line a discount agreement can reach goes the
 * general way; a line of a customer without one (or of a product outside
 * the agreement's scope) stays on it. A default list prices A at 9.00:
 * C1's QD (tools, qty) takes A × 100 to 90 + 100 = 190 → 2 %: 8.82. */
START_TEST(t_batch_fast_path)
{
	b2b_book *b = mkbook("# products\nsku,list_price,category\nA,10.00,tools/hand\n"
	                     "P,5.00,paint\n"
	                     "# customers\nid\nC1\nC7\n"
	                     "# price_lists\nid,applies_to\nL,default\n"
	                     "# price_list_items\nlist,scope,compute,price\nL,sku:A,fixed,9.00\n"
	                     "L,sku:P,fixed,4.00\n"
	                     "# volume_agreements\nid,party,scope,basis,kind,tiers\n"
	                     "QD,customer:C1,category:tools,qty,discount,0:0;100:2\n"
	                     "# customer_volumes\ncustomer,agreement,volume\nC1,QD,90\n");
	uint32_t c1 = b2b__book_customer(b, "C1", 2), c7 = b2b__book_customer(b, "C7", 2);
	uint32_t a = b2b__book_product(b, "A", 1), p = b2b__book_product(b, "P", 1);
	b2b_dec q, out, up[1];
	int probs[1];
	b2b_time t;
	char buf[64];

	ck_assert_int_eq(b2b_time_parse(&t, NULL, "2026-02-15", 10), 0);
	b2b_dec_from_units(&q, 100, 0);
	ck_assert_int_eq(b2b__batch_fast(&out, b, c7, a, q, b->settings.base_currency, t.sec), 1);
	ck_assert_int_eq(b2b__batch_fast(&out, b, c1, p, q, b->settings.base_currency, t.sec), 1);
	ck_assert_int_eq(b2b__batch_fast(&out, b, c1, a, q, b->settings.base_currency, t.sec), 0);
	ck_assert_int_eq(b2b_price_batch(up, probs, NULL, b, &c1, &a, &q, 1, NULL, t), 0);
	ck_assert_int_eq(probs[0], B2B_BATCH_OK);
	b2b_dec_format(buf, sizeof buf, NULL, up[0], 4, B2B_ROUND_HALF_UP);
	ck_assert_str_eq(buf, "8.8200");
	b2b_book_unref(b);
}
END_TEST

static const b2b_validation *
validate(b2b_ctx **ctx, const b2b_book *b, const char *order)
{
	const b2b_validation *v = NULL;
	char *text = dq(order);

	ck_assert_int_eq(b2b_ctx_new(ctx, NULL), 0);
	ck_assert_int_eq(b2b_order_validate_json(&v, *ctx, b, text, strlen(text), NULL), 0);
	free(text);
	return v;
}

/* Orders are priced as quotes (§10.5): the document volume reaches QD's
 * tier 100 (90 + 4 + 3 + 3), so 9.80 / 19.60 are the engine's prices. */
START_TEST(t_order_priced_with_agreements)
{
	b2b_ctx *ctx;
	const b2b_validation *v;
	char buf[64];

	v = validate(&ctx, the_book, "{'order_id': 'O', 'customer': 'C1', 'as_of': '2026-02-15', "
	             "'lines': [{'sku': 'A', 'qty': '4', 'unit_price': '9.80'}, "
	             "{'sku': 'B', 'qty': '3', 'unit_price': '19.60'}, "
	             "{'sku': 'A', 'qty': '3', 'unit_price': '9.80'}]}");
	ck_assert_int_eq(b2b_validation_valid(v), 1);
	ck_assert_uint_eq(b2b_validation_count(v), 1);   /* DUPLICATE_LINE warning */
	b2b_dec_format(buf, sizeof buf, NULL, b2b_validation_total(v), 2, B2B_ROUND_HALF_UP);
	ck_assert_str_eq(buf, "127.40");   /* 39.20 + 58.80 + 29.40 */
	b2b_ctx_free(ctx);

	/* 10.00 submitted where the engine gives 9.80: PRICE_MISMATCH */
	v = validate(&ctx, the_book, "{'order_id': 'O', 'customer': 'C1', 'as_of': '2026-02-15', "
	             "'lines': [{'sku': 'A', 'qty': '4', 'unit_price': '10.00'}, "
	             "{'sku': 'B', 'qty': '6', 'unit_price': '19.60'}]}");
	ck_assert_int_eq(b2b_validation_valid(v), 0);
	ck_assert_str_eq(b2b_validation_code(v, 0), "PRICE_MISMATCH");
	ck_assert_str_eq(b2b_validation_expected(v, 0), "9.8000");
	b2b_ctx_free(ctx);
}
END_TEST

/* A line with a pricing error of its own is left out of V: G has no rate
 * (GBP → EUR), so QD's V = 90 + 4 + 3 = 97 < 100 and A, B stay at 10.00 /
 * 20.00 (with G's 3 units V would reach 100). */
START_TEST(t_order_error_line_left_out)
{
	b2b_ctx *ctx;
	const b2b_validation *v;
	size_t i;

	v = validate(&ctx, the_book, "{'order_id': 'O', 'customer': 'C1', 'as_of': '2026-02-15', "
	             "'lines': [{'sku': 'A', 'qty': '4', 'unit_price': '10.00'}, "
	             "{'sku': 'B', 'qty': '3', 'unit_price': '20.00'}, "
	             "{'sku': 'G', 'qty': '3', 'unit_price': '10.00'}]}");
	ck_assert_int_eq(b2b_validation_valid(v), 0);
	for (i = 0; i < b2b_validation_count(v); i++)
		ck_assert_str_ne(b2b_validation_code(v, i), "PRICE_MISMATCH");
	ck_assert_str_eq(b2b_validation_code(v, 0), "NO_FX_RATE");
	ck_assert_int_eq(b2b_validation_line(v, 0), 2);
	b2b_ctx_free(ctx);
}
END_TEST

/* Properties over random tiers, volumes and documents: an agreement never
 * raises a price (each line's unit price with the agreements ≤ without);
 * Σ line rebates = rebate_total = Σ accrual; explain changes no figure. */
START_TEST(t_properties)
{
	unsigned seed = 20261207u;
	int iter;
	static const char *const skus[] = { "A", "B", "P" };
	static const char *const custs[] = { "C1", "C2", "C3" };

	for (iter = 0; iter < 150; iter++) {
		char spec[4096], req[1024];
		b2b_book *with, *without;
		qrun R, S, E;
		size_t n, i, pos;
		const char *cust;
		b2b_dec sum = { 0, 0 }, acc = { 0, 0 }, x;
		int t1, t2, p1, p2, v1;

		t1 = 1 + rand_r(&seed) % 60;
		t2 = t1 + 1 + rand_r(&seed) % 200;
		p1 = rand_r(&seed) % 30;
		p2 = rand_r(&seed) % 101;
		v1 = rand_r(&seed) % 300;
		snprintf(spec, sizeof spec, "%s"
		         "# volume_agreements\nid,party,scope,basis,kind,tiers,currency\n"
		         "QD,customer:C1,category:tools,qty,discount,0:%d;%d:%d.5,\n"
		         "GD,segment:gold,all,amount,discount,%d:%d;%d:%d,\n"
		         "AD,customer:C3,all,amount,discount,0:%d,EUR\n"
		         "RB,segment:gold,all,amount,rebate,0:%d.25;%d:%d,\n"
		         "RQ,customer:C1,sku:B,qty,rebate,%d:%d,\n"
		         "# customer_volumes\ncustomer,agreement,volume\nC1,QD,%d\nC3,AD,%d.5\n",
		         BOOK_NO_VA, p1, t1, p2 > 99 ? 99 : p2, t1, p1, t2 * 10, p2, p2, p1, t2 * 5,
		         p2, t1, p1, v1, v1 * 3);
		with = mkbook(spec);
		without = mkbook(BOOK_NO_VA);
		cust = custs[rand_r(&seed) % 3];
		n = 1 + (size_t)(rand_r(&seed) % 5);
		pos = (size_t)snprintf(req, sizeof req, "{'quote_id': 'Q', 'customer': '%s', "
		                       "'as_of': '2026-02-15', 'lines': [", cust);
		for (i = 0; i < n; i++)
			pos += (size_t)snprintf(req + pos, sizeof req - pos, "%s{'sku': '%s', 'qty': '%d'}",
			                        i ? ", " : "", skus[rand_r(&seed) % 3],
			                        1 + rand_r(&seed) % 150);
		snprintf(req + pos, sizeof req - pos, "]}");
		quote(&R, with, req);
		quote(&S, without, req);
		ck_assert_int_eq(R.rc, 0);
		ck_assert_int_eq(S.rc, 0);
		for (i = 0; i < n; i++) {
			ck_assert_msg(b2b_dec_cmp(b2b_quote_line_unit_price(R.q, i),
			                          b2b_quote_line_unit_price(S.q, i)) <= 0,
			              "iteration %d line %zu: an agreement raised the price", iter, i);
			ck_assert_int_eq(b2b_dec_add(&sum, sum, b2b_quote_line_rebate(R.q, i)), 0);
		}
		for (i = 0; i < b2b_quote_rebate_count(R.q); i++)
			ck_assert_int_eq(b2b_dec_add(&acc, acc, b2b_quote_rebate_accrual(R.q, i)), 0);
		x = b2b_quote_rebate_total(R.q);
		ck_assert_int_eq(b2b_dec_cmp(sum, x), 0);
		ck_assert_int_eq(b2b_dec_cmp(acc, x), 0);
		/* explain adds candidates only */
		{
			char ereq[1100];

			snprintf(ereq, sizeof ereq, "{'explain': true, %s", req + 1);
			quote(&E, with, ereq);
			ck_assert_int_eq(E.rc, 0);
			for (i = 0; i < n; i++)
				ck_assert_int_eq(b2b_dec_cmp(b2b_quote_line_unit_price(E.q, i),
				                             b2b_quote_line_unit_price(R.q, i)), 0);
			ck_assert_int_eq(b2b_dec_cmp(b2b_quote_total(E.q), b2b_quote_total(R.q)), 0);
			ck_assert_int_eq(b2b_dec_cmp(b2b_quote_rebate_total(E.q), x), 0);
			done(&E);
		}
		done(&R);
		done(&S);
		b2b_book_unref(with);
		b2b_book_unref(without);
	}
}
END_TEST

static Suite *
volume_suite(void)
{
	Suite *s = suite_create("volume");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, t_tier_at_threshold);
	tcase_add_test(tc, t_tier_one_below);
	tcase_add_test(tc, t_lines_add_up);
	tcase_add_test(tc, t_volume_to_date_alone);
	tcase_add_test(tc, t_protected_line);
	tcase_add_test(tc, t_amount_other_currency);
	tcase_add_test(tc, t_no_rate_discount);
	tcase_add_test(tc, t_no_rate_rebate);
	tcase_add_test(tc, t_rebate_after_order_promotion);
	tcase_add_test(tc, t_rebate_tier_reached);
	tcase_add_test(tc, t_rebate_below_first_tier);
	tcase_add_test(tc, t_no_fields_without_agreements);
	tcase_add_test(tc, t_document_round_trip);
	tcase_add_test(tc, t_accessors);
	tcase_add_test(tc, t_batch);
	tcase_add_test(tc, t_batch_fast_path);
	tcase_add_test(tc, t_order_priced_with_agreements);
	tcase_add_test(tc, t_order_error_line_left_out);
	tcase_add_test(tc, t_properties);
	tcase_set_timeout(tc, 120);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return b2b_test_run(volume_suite());
}
