/*
 * Fuzz target: orders (b2b_order_validate_json) and quote documents
 * (b2b_quote_doc_parse, transitions) against a small fixed book.
 * Replayed over tests/fuzz/corpus/order/ by meson (test
 * fuzz-replay-order). To fuzz with libFuzzer, from the source root (after
 * `meson setup build`):
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -DB2B_STATIC \
 *       -Iinclude -Ibuild/include -Isrc/core -Isrc/num -Isrc/io -Isrc/book \
 *       -Isrc/pricing -Isrc/docs $(find src -name '[a-z]*.c' ! -path 'src/cli*') \
 *       tests/fuzz/fuzz_order.c -o /tmp/fuzz_order
 *   mkdir -p /tmp/fuzz_order_corpus
 *   /tmp/fuzz_order -max_total_time=600 -max_len=8192 \
 *       /tmp/fuzz_order_corpus tests/fuzz/corpus/order
 *
 * For every input, as an order: the call returns 0 or B2B_EPARSE; a
 * result has known codes with their SPEC severities, `valid` exactly when
 * no violation is an error, violations in the order of SPEC §9.20
 * (document first, then by line, then by code), a JSON document that is
 * valid UTF-8 and JSON, and validating the same text again gives the
 * same bytes. As a quote document: parse → write → parse → write gives
 * the same bytes, every event is either applied or refused (a result,
 * with a message), never a failure, and every document written (the new
 * states, the repricing changes) is valid UTF-8 and JSON. Error detail on
 * the ctx is valid UTF-8 throughout.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "b2b.h"
#include "book_spec.h"
#include "../support/utf8_check.h"

#define CHECK(x) do { if (!(x)) abort(); } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A document the library wrote: valid UTF-8, and JSON. */
static void
check_doc(b2b_ctx *ctx, const char *doc, size_t len)
{
	const b2b_json *root;

	CHECK(b2b_test_utf8_ok(doc, len));
	CHECK(b2b_json_parse(&root, ctx, doc, len, 0) == 0);
}

/* The error detail on ctx is valid UTF-8. */
static void
check_errdetail(const b2b_ctx *ctx)
{
	CHECK(b2b_test_utf8_ok(b2b_ctx_errmsg(ctx), strlen(b2b_ctx_errmsg(ctx))));
	CHECK(b2b_test_utf8_ok(b2b_ctx_errpath(ctx), strlen(b2b_ctx_errpath(ctx))));
}

/* "# table", its header, its rows; cells separated by ',' */
static const char book_spec[] =
	"# settings\nkey,value\nbase_currency,EUR\nmin_margin_percent,10\n"
	"price_tolerance,0.01\nquote_validity_days,30\n"
	"# fx_rates\nfrom,to,rate\nEUR,USD,1.1\n"
	"# products\nsku,list_price,cost,status,currency,category,pack_size,min_qty,max_qty,"
	"on_hand\n"
	"A,10.00,6.00,,,tools/hand,,2,100,50\nB,3.33,,,,tools,12,,,\n"
	"X,5.00,2.00,inactive,,tools,,,,\nU,20.00,9.00,,USD,tools/power,,,,\n"
	"G,10.00,,,GBP,tools,,,,\nL,10.00,9.50,,,safety,,,,\n"
	"# customers\nid,currency,credit_limit,open_balance,budget,min_order_value,"
	"payment_terms,regions,catalog\n"
	"C1,,1000,900,500,50,net30;prepay,DE;AT,\nC2,USD,100,,,,,,category:tools\n"
	"C3,,,,,,,,\n"
	"# promotions\nid,kind,value,code,min_subtotal\nP1,percent,5,SAVE,\n"
	"P2,order_percent,2,,100\n"
	"# approval_rules\nid,metric,threshold,level\nR1,line_discount_percent,20,2\n"
	"R2,quote_total_above,400,1\n"
	/* SPEC §10: orders are priced with discount agreements */
	"# volume_agreements\nid,party,scope,basis,kind,tiers,currency\n"
	"V1,customer:C1,category:tools,qty,discount,0:0;5:2;20:4,\n"
	"V2,customer:C2,all,amount,discount,0:1;100:3,EUR\n"
	"V3,customer:C1,all,amount,rebate,0:1;50:2.5,\n"
	"# customer_volumes\ncustomer,agreement,volume\nC1,V1,3\nC2,V2,40\n";

/* The SPEC §7 severity of a code (0 error, 1 hold, 2 warning); -1 unknown. */
static int
severity_of(const char *code)
{
	static const char *const errors[] = {
		"UNKNOWN_CUSTOMER", "MALFORMED", "CURRENCY_MISMATCH", "QUOTE_EXPIRED",
		"QUOTE_NOT_ACCEPTED", "QUOTE_MISMATCH", "CREDIT_LIMIT_EXCEEDED", "MIN_ORDER_VALUE",
		"PAYMENT_TERMS_NOT_ALLOWED", "SHIP_TO_NOT_ALLOWED", "UNKNOWN_SKU", "INACTIVE_SKU",
		"NOT_ENTITLED", "QTY_NOT_POSITIVE", "QTY_BELOW_MIN", "QTY_ABOVE_MAX",
		"QTY_NOT_MULTIPLE", "PRICE_MISMATCH", "NO_FX_RATE", "NEGATIVE_PRICE"
	};
	size_t i;

	for (i = 0; i < sizeof(errors) / sizeof(errors[0]); i++)
		if (strcmp(code, errors[i]) == 0)
			return 0;
	if (strcmp(code, "BUDGET_EXCEEDED") == 0 || strcmp(code, "APPROVAL_REQUIRED") == 0 ||
	    strcmp(code, "BELOW_FLOOR") == 0)
		return 1;
	if (strcmp(code, "INSUFFICIENT_STOCK") == 0 || strcmp(code, "DUPLICATE_LINE") == 0 ||
	    strcmp(code, "UNKNOWN_CODE") == 0)
		return 2;
	return -1;
}

static void
check_order(b2b_ctx *ctx, const b2b_book *book, const uint8_t *data, size_t size)
{
	const b2b_validation *v;
	const char *doc, *doc2;
	size_t i, len, len2, errors = 0;
	char *copy;
	int rc;

	rc = b2b_order_validate_json(&v, ctx, book, (const char *)data, size, NULL);
	CHECK(rc == 0 || rc == B2B_EPARSE);
	if (rc != 0) {
		CHECK(v == NULL);
		check_errdetail(ctx);
		return;
	}
	for (i = 0; i < b2b_validation_count(v); i++) {
		const char *code = b2b_validation_code(v, i);
		int sev = severity_of(code);

		CHECK(sev >= 0);
		CHECK((int)b2b_validation_severity(v, i) == sev);
		CHECK(b2b_validation_message(v, i) != NULL && b2b_validation_message(v, i)[0] != '\0');
		CHECK(b2b_test_utf8_ok(b2b_validation_message(v, i),
		                       strlen(b2b_validation_message(v, i))));
		CHECK(b2b_validation_line(v, i) >= -1);
		if (strcmp(code, "MALFORMED") == 0)
			CHECK(b2b_validation_line(v, i) == -1 && b2b_validation_path(v, i) != NULL);
		errors += sev == 0;
		if (i > 0) {
			long a = b2b_validation_line(v, i - 1), b = b2b_validation_line(v, i);

			CHECK(a <= b);
			if (a == b)
				CHECK(strcmp(b2b_validation_code(v, i - 1), code) <= 0);
		}
	}
	CHECK(b2b_validation_valid(v) == (errors == 0));
	CHECK(b2b_dec_sign(b2b_validation_total(v)) >= 0 || errors > 0);
	CHECK(b2b_validation_to_json(&doc, &len, ctx, v) == 0);
	check_doc(ctx, doc, len);
	/* deterministic: the same text (copied) gives the same bytes */
	copy = malloc(size + 1);
	CHECK(copy != NULL);
	memcpy(copy, data, size);
	CHECK(b2b_order_validate_json(&v, ctx, book, copy, size, NULL) == 0);
	CHECK(b2b_validation_to_json(&doc2, &len2, ctx, v) == 0);
	CHECK(len == len2 && memcmp(doc, doc2, len) == 0);
	free(copy);
}

static void
check_quote_doc(b2b_ctx *ctx, const b2b_book *book, const uint8_t *data, size_t size)
{
	const b2b_quote_doc *d, *d2;
	const b2b_quote_transition *t;
	const b2b_quote_repricing *r;
	const char *w1, *w2;
	size_t l1, l2;
	int e, rc;

	rc = b2b_quote_doc_parse(&d, ctx, (const char *)data, size);
	CHECK(rc == 0 || rc == B2B_EPARSE);
	if (rc != 0) {
		CHECK(d == NULL && b2b_ctx_errpath(ctx) != NULL);
		check_errdetail(ctx);
		return;
	}
	CHECK(b2b_quote_doc_to_json(&w1, &l1, ctx, d) == 0);
	check_doc(ctx, w1, l1);
	CHECK(b2b_quote_doc_parse(&d2, ctx, w1, l1) == 0);
	CHECK(b2b_quote_doc_to_json(&w2, &l2, ctx, d2) == 0);
	CHECK(l1 == l2 && memcmp(w1, w2, l1) == 0);
	for (e = 0; e <= B2B_QUOTE_CANCEL; e++) {
		rc = b2b_quote_doc_apply(&t, ctx, d, (b2b_quote_event)e, NULL);
		CHECK(rc == 0);
		if (b2b_quote_transition_allowed(t)) {
			CHECK(b2b_quote_doc_to_json(&w2, &l2, ctx, b2b_quote_transition_doc(t)) == 0);
			check_doc(ctx, w2, l2);
		} else {
			const char *m = b2b_quote_transition_message(t);

			CHECK(m != NULL && strstr(m, b2b_quote_event_name((b2b_quote_event)e)) != NULL);
			CHECK(b2b_test_utf8_ok(m, strlen(m)));
		}
	}
	rc = b2b_quote_doc_reprice(&r, ctx, book, d, NULL, NULL);
	CHECK(rc == 0 || rc == B2B_EOVERFLOW);
	if (rc == 0 && !b2b_quote_repricing_ok(r))
		CHECK(b2b_quote_repricing_message(r) != NULL &&
		      (b2b_quote_repricing_path(r) != NULL) == (b2b_quote_repricing_quote(r) == NULL));
	if (rc == 0 && b2b_quote_repricing_ok(r)) {
		CHECK(b2b_quote_doc_revision(b2b_quote_repricing_doc(r)) ==
		      b2b_quote_doc_revision(d) + 1);
		CHECK(b2b_quote_repricing_changes_to_json(&w2, &l2, ctx, r) == 0);
		check_doc(ctx, w2, l2);
		CHECK(b2b_quote_doc_to_json(&w2, &l2, ctx, b2b_quote_repricing_doc(r)) == 0);
		check_doc(ctx, w2, l2);
	} else if (rc == B2B_EOVERFLOW) {
		check_errdetail(ctx);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static b2b_book *book;   /* built once per process (fuzz harness only) */
	b2b_ctx *ctx;

	if (book == NULL)
		book = build_book(book_spec);
	CHECK(b2b_ctx_new(&ctx, NULL) == 0);
	check_order(ctx, book, data, size);
	b2b_ctx_reset(ctx);
	check_quote_doc(ctx, book, data, size);
	b2b_ctx_free(ctx);
	return 0;
}
