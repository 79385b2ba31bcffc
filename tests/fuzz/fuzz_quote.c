/*
 * Fuzz target: quote requests as JSON (b2b_quote_from_json) against a small
 * fixed book, and the documents written from them. Replayed over
 * tests/fuzz/corpus/quote/ by meson (test fuzz-replay-quote). To fuzz with
 * libFuzzer, from the source root (after `meson setup build`):
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -DB2B_STATIC \
 *       -Iinclude -Ibuild/include -Isrc/core -Isrc/num -Isrc/io -Isrc/book \
 *       -Isrc/pricing -Isrc/docs $(find src -name '[a-z]*.c' ! -path 'src/cli*') \
 *       tests/fuzz/fuzz_quote.c -o /tmp/fuzz_quote
 * (every library source of src/, not src/cli/)
 *   mkdir -p /tmp/fuzz_quote_corpus
 *   /tmp/fuzz_quote -max_total_time=600 -max_len=4096 \
 *       /tmp/fuzz_quote_corpus tests/fuzz/corpus/quote
 *
 * For every input: the call returns one of its documented codes; a
 * computed quote satisfies the document identities (Σ line totals =
 * total = subtotal − discount_total + tax_total, Σ amounts = subtotal,
 * Σ order discounts = discount_total = Σ discounts, Σ taxes = tax_total,
 * net ≥ 0); its JSON is read back losslessly by b2b_quote_doc_parse();
 * pricing the same text again gives the same bytes. A rejected request
 * has at least one error, each with a known code and a non-empty path,
 * and gives an error document that is valid UTF-8 and JSON. The error
 * detail of a call that cannot run is valid UTF-8 (text quoted in it is
 * shortened on code point boundaries).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "b2b.h"
#include "book_spec.h"
#include "../support/utf8_check.h"

#define CHECK(x) do { if (!(x)) abort(); } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* "# table", its header, its rows; cells separated by ',' */
static const char book_spec[] =
	"# settings\nkey,value\nbase_currency,EUR\nmin_margin_percent,10\n"
	"max_discount_percent,30\nquote_validity_days,30\n"
	"# currencies\ncode,minor_units,cash_increment\nCHF,2,0.05\n"
	"# fx_rates\nfrom,to,rate\nEUR,USD,1.1\nEUR,CHF,0.95\n"
	"# products\nsku,list_price,cost,tax_class,status,currency,category\n"
	"A,10.00,6.00,std,,,tools/hand\nB,3.33,,std,,,tools\nC,0.01,,food,,,food\n"
	"X,5.00,2.00,std,inactive,,tools\nZ,0,0,std,,,tools\nG,10.00,,std,,GBP,tools\n"
	"U,20.00,9.00,std,,USD,tools/power\n"
	"# customers\nid,segment,channel,currency\nC1,retail,web,\nC2,pro,,USD\nC3,,,CHF\n"
	"# price_lists\nid,applies_to,tier_mode\nL1,default,all_units\nL2,segment:pro,incremental\n"
	"# price_list_items\nlist,scope,min_qty,compute,price,discount_percent\n"
	"L1,category:tools,0,discount,,5\nL1,sku:A,10,fixed,8.50,\n"
	"L2,all,0,discount,,10\nL2,all,5,discount,,20\n"
	"# promotions\nid,kind,value,code,priority,stacking,min_subtotal,scope\n"
	"P1,percent,10,,0,,,category:tools/hand\nP2,order_percent,5,,0,,20,\n"
	"P3,order_amount,3,SAVE,5,,,\nP4,order_percent,50,BIG,9,exclusive,,\n"
	"# taxes\ntax_class,region,rate_percent\nstd,DE,19\nstd,*,20\nfood,*,0\n"
	"# approval_rules\nid,metric,threshold,level\nR1,line_discount_percent,15,1\n"
	"R2,quote_total_above,100,2\nR3,quote_margin_percent_below,20,3\n"
	/* SPEC §10: discount and rebate agreements, qty and amount, one in
	 * another currency and one without a rate to CHF (C3) */
	"# volume_agreements\nid,party,scope,basis,kind,tiers,currency\n"
	"V1,customer:C1,category:tools,qty,discount,0:0;5:2;20:4,\n"
	"V2,segment:pro,all,amount,discount,0:1;100:3,EUR\n"
	"V3,customer:C1,all,amount,rebate,0:1;50:2.5,\n"
	"V4,segment:retail,sku:A,qty,rebate,0:0.5,\n"
	"V5,customer:C3,all,amount,rebate,0:1,USD\n"
	"# customer_volumes\ncustomer,agreement,volume\nC1,V1,3\nC2,V2,40\n";

static void
check_sums(const b2b_quote *q)
{
	size_t i, n = b2b_quote_line_count(q);
	b2b_dec tot = { 0, 0 }, amt = { 0, 0 }, od = { 0, 0 }, tax = { 0, 0 }, disc = { 0, 0 }, x;

	CHECK(n > 0);
	for (i = 0; i < n; i++) {
		CHECK(b2b_dec_add(&tot, tot, b2b_quote_line_total(q, i)) == 0);
		CHECK(b2b_dec_add(&amt, amt, b2b_quote_line_amount(q, i)) == 0);
		CHECK(b2b_dec_add(&od, od, b2b_quote_line_order_discount(q, i)) == 0);
		CHECK(b2b_dec_add(&tax, tax, b2b_quote_line_tax(q, i)) == 0);
		CHECK(b2b_dec_sign(b2b_quote_line_net_amount(q, i)) >= 0);
	}
	for (i = 0; i < b2b_quote_discount_count(q); i++)
		CHECK(b2b_dec_add(&disc, disc, b2b_quote_discount_amount(q, i)) == 0);
	CHECK(b2b_dec_cmp(tot, b2b_quote_total(q)) == 0);
	CHECK(b2b_dec_cmp(amt, b2b_quote_subtotal(q)) == 0);
	CHECK(b2b_dec_cmp(od, b2b_quote_discount_total(q)) == 0);
	CHECK(b2b_dec_cmp(disc, od) == 0);
	CHECK(b2b_dec_cmp(tax, b2b_quote_tax_total(q)) == 0);
	CHECK(b2b_dec_sub(&x, b2b_quote_subtotal(q), od) == 0);
	CHECK(b2b_dec_add(&x, x, tax) == 0);
	CHECK(b2b_dec_cmp(x, b2b_quote_total(q)) == 0);
	/* SPEC §10.4: Σ line rebates = rebate_total = Σ accruals */
	CHECK(b2b_quote_has_rebates(q));
	tot = amt = (b2b_dec){ 0, 0 };
	for (i = 0; i < n; i++)
		CHECK(b2b_dec_add(&tot, tot, b2b_quote_line_rebate(q, i)) == 0);
	for (i = 0; i < b2b_quote_rebate_count(q); i++)
		CHECK(b2b_dec_add(&amt, amt, b2b_quote_rebate_accrual(q, i)) == 0);
	CHECK(b2b_dec_cmp(tot, b2b_quote_rebate_total(q)) == 0);
	CHECK(b2b_dec_cmp(amt, tot) == 0);
}

static int
known_code(const char *c)
{
	static const char *const codes[] = { "MALFORMED", "UNKNOWN_CUSTOMER", "UNKNOWN_SKU",
	                                     "QTY_NOT_POSITIVE", "NO_FX_RATE", "NEGATIVE_PRICE" };
	size_t i;

	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		if (strcmp(c, codes[i]) == 0)
			return 1;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static b2b_book *book;   /* built once per process: the fuzzer's fixture */
	const char *text = (const char *)data;
	const b2b_quote *q, *q2;
	const b2b_quote_doc *doc;
	const char *j1, *j2;
	size_t l1, l2, i;
	b2b_ctx *ctx;
	int rc;

	if (book == NULL)
		book = build_book(book_spec);
	CHECK(b2b_ctx_new(&ctx, NULL) == 0);
	rc = b2b_quote_from_json(&q, ctx, book, text, size, NULL);
	CHECK(rc == 0 || rc == B2B_EPARSE || rc == B2B_EOVERFLOW);
	if (rc == B2B_EPARSE || rc == B2B_EOVERFLOW) {
		CHECK(q == NULL);
		CHECK(b2b_ctx_errmsg(ctx)[0] != '\0');
		CHECK(b2b_test_utf8_ok(b2b_ctx_errmsg(ctx), strlen(b2b_ctx_errmsg(ctx))));
		CHECK(b2b_test_utf8_ok(b2b_ctx_errpath(ctx), strlen(b2b_ctx_errpath(ctx))));
		goto out;
	}
	CHECK(q != NULL);
	CHECK(b2b_quote_to_json(&j1, &l1, ctx, q) == 0);
	CHECK(b2b_test_utf8_ok(j1, l1));
	CHECK(b2b_quote_ok(q) == (b2b_quote_error_count(q) == 0));
	if (!b2b_quote_ok(q)) {
		const b2b_json *root;

		CHECK(b2b_quote_error_count(q) > 0);
		for (i = 0; i < b2b_quote_error_count(q); i++) {
			CHECK(known_code(b2b_quote_error_code(q, i)));
			CHECK(b2b_quote_error_path(q, i)[0] != '\0');
		}
		CHECK(strncmp(j1, "{\n  \"errors\": [", 15) == 0);
		CHECK(b2b_json_parse(&root, ctx, j1, l1, 0) == 0);
		goto out;
	}
	check_sums(q);
	CHECK(b2b_quote_doc_parse(&doc, ctx, j1, l1) == 0);
	CHECK(b2b_quote_doc_to_json(&j2, &l2, ctx, doc) == 0);
	CHECK(l1 == l2 && memcmp(j1, j2, l1) == 0);
	CHECK(b2b_quote_from_json(&q2, ctx, book, text, size, NULL) == 0);
	CHECK(b2b_quote_to_json(&j2, &l2, ctx, q2) == 0);
	CHECK(l1 == l2 && memcmp(j1, j2, l1) == 0);
out:
	b2b_ctx_free(ctx);
	return 0;
}
