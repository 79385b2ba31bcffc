/*
 * Tests: every document the library writes parses back, whatever user
 * text it quotes. Quote, price, error, validation and lint documents (and
 * the error detail on a ctx) are built from inputs holding long text of
 * 1-, 2-, 3- and 4-byte UTF-8 characters, at every length around the
 * limits where the library shortens text (80 bytes of a quoted value,
 * 40 and 60 in quote-document errors, 299 of a quoted JSON key, 255 of a
 * ctx path, 511 of a ctx message, 767 of a book diagnostic): each output
 * must be valid UTF-8 and parse with b2b_json_parse; a quote document
 * must also be read by b2b_quote_doc_parse and written back to the same
 * bytes. Where the shortened text is known, it is checked exactly: the
 * longest prefix that ends on a character boundary, then "...".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "b2b.h"
#include "json_write.h"
#include "support/orders_fixture.h"
#include "support/testmain.h"
#include "support/utf8_check.h"

/* Check's ck_assert records every passing check; in loops of thousands
 * of documents this one costs nothing until it fails. */
#define REQUIRE(expr, ...)                                   \
	do {                                                 \
		if (!(expr))                                 \
			ck_abort_msg(__VA_ARGS__);           \
	} while (0)

/* One character of each UTF-8 length. */
static const char *const CH[4] = { "a", "\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80" };

/* The user text of one case: `pad` × 'x', 6 characters of `w` bytes,
 * then 'z'. As `pad` runs over a range, the multi-byte characters cross
 * each limit at every alignment. */
static size_t
user_text(char *buf, size_t pad, int w)
{
	size_t n = pad;
	int i;

	memset(buf, 'x', pad);
	for (i = 0; i < 6; i++) {
		memcpy(buf + n, CH[w - 1], (size_t)w);
		n += (size_t)w;
	}
	buf[n++] = 'z';
	buf[n] = '\0';
	return n;
}

/* The text as the library shows it in at most `max` bytes: its longest
 * prefix ending on a character boundary, then "..." when it was cut
 * (worked out here without the library). */
static const char *
shown(char *out, const char *s, size_t max)
{
	size_t len = strlen(s), k;

	if (len <= max)
		return strcpy(out, s);
	for (k = max; k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80; k--)
		;
	memcpy(out, s, k);
	strcpy(out + k, "...");
	return out;
}

/* The text as the library leaves it in a buffer of `size` bytes: whole
 * when it fits (size - 1 bytes), else its longest boundary-ending prefix
 * of at most size - 4 bytes, then "...". */
static const char *
shown_in(char *out, const char *s, size_t size)
{
	if (strlen(s) <= size - 1)
		return strcpy(out, s);
	shown(out, s, size - 4);
	return out;
}

/* A JSON key the library writes as a plain name in paths (`a.b`, not
 * `a["b"]`): letters, digits, '_' (and '-' in orders), 1 to 64 bytes. */
static int
plain_key(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && n <= 64 && strspn(s, "axz") == n;
}

/* The document is valid UTF-8 and JSON; returns the parsed tree. */
static const b2b_json *
parses(b2b_ctx *ctx, const char *doc, size_t len, const char *what, size_t pad, int w)
{
	const b2b_json *root = NULL;
	int rc;

	REQUIRE(b2b_test_utf8_ok(doc, len), "%s (pad %zu, width %d): not UTF-8:\n%s", what, pad,
	        w, doc);
	rc = b2b_json_parse(&root, ctx, doc, len, 0);
	REQUIRE(rc == 0, "%s (pad %zu, width %d): not JSON (%s at %s):\n%s", what, pad, w,
	        b2b_ctx_errmsg(ctx), b2b_ctx_errpath(ctx), doc);
	return root;
}

/* A ctx's error detail is valid UTF-8. */
static void
ctx_text_ok(b2b_ctx *ctx, const char *what, size_t pad, int w)
{
	const char *m = b2b_ctx_errmsg(ctx), *p = b2b_ctx_errpath(ctx), *f = b2b_ctx_errfile(ctx);

	REQUIRE(m[0] != '\0', "%s (pad %zu, width %d): no message", what, pad, w);
	REQUIRE(b2b_test_utf8_ok(m, strlen(m)) && b2b_test_utf8_ok(p, strlen(p)) &&
	        b2b_test_utf8_ok(f, strlen(f)),
	        "%s (pad %zu, width %d): error detail not UTF-8: %s | %s | %s", what, pad, w, m, p, f);
}

/* JSON text of a request: `'` stands for `"` (the user text holds none)
 * and every `%s` for the user text `t`. */
static char *
jsonf(char *buf, size_t size, const char *fmt, const char *t)
{
	size_t n = 0, tl = strlen(t);

	for (; *fmt != '\0'; fmt++) {
		if (fmt[0] == '%' && fmt[1] == 's') {
			REQUIRE(n + tl < size, "buffer");
			memcpy(buf + n, t, tl);
			n += tl;
			fmt++;
			continue;
		}
		REQUIRE(n + 1 < size, "buffer");
		buf[n++] = *fmt == '\'' ? '"' : *fmt;
	}
	buf[n] = '\0';
	return buf;
}

static const char *const SETTINGS[] = { "base_currency,EUR", NULL };
static const char *const PRODUCTS[] = { "A,10.00", NULL };
static const char *const CUSTOMERS[] = { "C1,net30", NULL };
static const char *const PROMOS[] = { "P1,percent,5,SAVE", NULL };

static b2b_book *book;
static b2b_ctx *ctx;

static void
setup(void)
{
	const fx_table t[] = {
		{ B2B_TABLE_SETTINGS, "key,value", SETTINGS },
		{ B2B_TABLE_PRODUCTS, "sku,list_price", PRODUCTS },
		{ B2B_TABLE_CUSTOMERS, "id,payment_terms", CUSTOMERS },
		{ B2B_TABLE_PROMOTIONS, "id,kind,value,code", PROMOS },
	};

	book = fx_book(t, sizeof(t) / sizeof(t[0]));
	ck_assert_int_eq(b2b_ctx_new(&ctx, NULL), 0);
}

static void
teardown(void)
{
	b2b_ctx_free(ctx);
	b2b_book_unref(book);
}

/* Lengths swept: every alignment across 40, 60, 80 (quoted values), 255
 * (ctx paths) and 299 (quoted keys). */
#define PAD_MAX 320

/*===========================================================================
 * MARK: - quote, price and error documents
 *===========================================================================*/

/* A quote whose coupon code matches no promotion: the UNKNOWN_CODE
 * warning quotes it; the document reads back and writes the same bytes. */
START_TEST(test_quote_unknown_code)
{
	static char text[512], req[8192], want[1024], cut[600];
	int w = _i + 1;
	size_t pad;

	for (pad = 0; pad <= PAD_MAX; pad++) {
		const b2b_quote *q = NULL;
		const b2b_quote_doc *d = NULL;
		const char *doc, *doc2;
		size_t len, len2, i, nw;

		user_text(text, pad, w);
		jsonf(req, sizeof(req), "{'quote_id': 'Q1', 'customer': 'C1', 'as_of': '2026-06-15', "
		      "'codes': ['%s'], 'lines': [{'sku': 'A', 'qty': '1'}]}", text);
		REQUIRE(b2b_quote_from_json(&q, ctx, book, req, strlen(req), NULL) == 0,
		        "quote (pad %zu): %s", pad, b2b_ctx_errmsg(ctx));
		snprintf(want, sizeof(want), "no promotion has the code '%s'", shown(cut, text, 80));
		nw = b2b_quote_warning_count(q);
		for (i = 0; i < nw; i++)
			if (strcmp(b2b_quote_warning_code(q, i), "UNKNOWN_CODE") == 0)
				break;
		REQUIRE(i < nw, "no UNKNOWN_CODE warning (pad %zu)", pad);
		REQUIRE(strcmp(b2b_quote_warning_message(q, i), want) == 0,
		        "pad %zu, width %d: message\n  %s\nexpected\n  %s", pad, w,
		        b2b_quote_warning_message(q, i), want);
		REQUIRE(b2b_quote_to_json(&doc, &len, ctx, q) == 0, "to_json");
		parses(ctx, doc, len, "quote document", pad, w);
		REQUIRE(b2b_quote_doc_parse(&d, ctx, doc, len) == 0,
		        "pad %zu, width %d: b2b_quote_doc_parse refuses the quote: %s at %s", pad, w,
		        b2b_ctx_errmsg(ctx), b2b_ctx_errpath(ctx));
		REQUIRE(b2b_quote_doc_to_json(&doc2, &len2, ctx, d) == 0, "doc_to_json");
		REQUIRE(len2 == len && memcmp(doc, doc2, len) == 0,
		        "pad %zu, width %d: the quote document does not write back the same", pad, w);
		b2b_ctx_reset(ctx);
	}
}
END_TEST

/* A request with user text in every field that is checked against the
 * book, and as an unknown key: the error document lists each problem. */
START_TEST(test_quote_error_document)
{
	static char text[512], req[8192], want[1024], cut[600];
	int w = _i + 1;
	size_t pad;

	for (pad = 0; pad <= PAD_MAX; pad++) {
		const b2b_quote *q = NULL;
		const char *doc;
		size_t len, i, n;
		int found = 0;

		user_text(text, pad, w);
		jsonf(req, sizeof(req), "{'quote_id': 'Q1', 'customer': '%s', 'as_of': '%s', "
		      "'currency': '%s', 'lines': [{'sku': '%s', 'qty': '%s', '%s': 1}], '%s': 2}",
		      text);
		REQUIRE(b2b_quote_from_json(&q, ctx, book, req, strlen(req), NULL) == 0 &&
		        !b2b_quote_ok(q),
		        "pad %zu: %s", pad, b2b_ctx_errmsg(ctx));
		n = b2b_quote_error_count(q);
		REQUIRE(n >= 5, "pad %zu: %zu errors", pad, n);
		snprintf(want, sizeof(want), "unknown customer '%s'", shown(cut, text, 80));
		for (i = 0; i < n; i++) {
			const char *m = b2b_quote_error_message(q, i), *p = b2b_quote_error_path(q, i);

			REQUIRE(b2b_test_utf8_ok(m, strlen(m)) && b2b_test_utf8_ok(p, strlen(p)),
			        "pad %zu, width %d: error %zu not UTF-8: %s | %s", pad, w, i, p, m);
			found += strcmp(m, want) == 0;
		}
		REQUIRE(found == 1, "pad %zu, width %d: no error '%s'", pad, w, want);
		REQUIRE(b2b_quote_to_json(&doc, &len, ctx, q) == 0, "to_json");
		parses(ctx, doc, len, "error document", pad, w);
		b2b_ctx_reset(ctx);
	}
}
END_TEST

/* The unknown key of a request: its path `["…"]` holds at most 299 bytes
 * of the escaped key. */
START_TEST(test_quote_unknown_key_path)
{
	static char text[512], req[8192], want[1024], cut[600];
	int w = _i + 1;
	size_t pad;

	for (pad = 0; pad <= PAD_MAX; pad++) {
		const b2b_quote *q = NULL;
		const char *doc;
		size_t len;

		user_text(text, pad, w);
		jsonf(req, sizeof(req), "{'quote_id': 'Q1', 'customer': 'C1', 'as_of': '2026-06-15', "
		      "'lines': [{'sku': 'A', 'qty': '1'}], '%s': 2}", text);
		REQUIRE(b2b_quote_from_json(&q, ctx, book, req, strlen(req), NULL) == 0 &&
		        !b2b_quote_ok(q),
		        "pad %zu: %s", pad, b2b_ctx_errmsg(ctx));
		REQUIRE(b2b_quote_error_count(q) == 1, "pad %zu", pad);
		if (plain_key(text))
			snprintf(want, sizeof(want), "%s", text);
		else
			snprintf(want, sizeof(want), "$[\"%s\"]", shown_in(cut, text, 300));
		REQUIRE(strcmp(b2b_quote_error_path(q, 0), want) == 0,
		        "pad %zu, width %d: path\n  %s\nexpected\n  %s", pad, w,
		        b2b_quote_error_path(q, 0), want);
		REQUIRE(b2b_quote_to_json(&doc, &len, ctx, q) == 0, "to_json");
		parses(ctx, doc, len, "error document", pad, w);
		b2b_ctx_reset(ctx);
	}
}
END_TEST

/* b2b_price: an unknown code (warning of a price document) and an
 * unknown sku (error document). */
START_TEST(test_price_documents)
{
	static char text[512], want[1024], cut[600];
	int w = _i + 1;
	size_t pad;

	for (pad = 0; pad <= PAD_MAX; pad++) {
		b2b_price_request *req = NULL;
		const b2b_price *p = NULL;
		const char *doc;
		size_t len;
		int bad;

		user_text(text, pad, w);
		for (bad = 0; bad < 2; bad++) {
			REQUIRE(b2b_price_request_new(&req, ctx) == 0, "new");
			REQUIRE(b2b_price_request_set_customer(req, "C1") == 0 &&
			        b2b_price_request_set_sku(req, bad ? text : "A") == 0 &&
			        b2b_price_request_set_qty(req, "2") == 0 &&
			        b2b_price_request_set_as_of(req, "2026-06-15") == 0 &&
			        b2b_price_request_add_code(req, text) == 0, "set");
			REQUIRE(b2b_price_compute(&p, ctx, book, req, NULL) == 0 &&
			        b2b_price_ok(p) == !bad,
			        "pad %zu: %s", pad, b2b_ctx_errmsg(ctx));
			if (bad) {
				snprintf(want, sizeof(want), "unknown sku '%s'", shown(cut, text, 80));
				REQUIRE(strcmp(b2b_price_error_message(p, 0), want) == 0,
				        "pad %zu, width %d: %s", pad, w, b2b_price_error_message(p, 0));
			}
			REQUIRE(b2b_price_to_json(&doc, &len, ctx, p) == 0, "to_json");
			parses(ctx, doc, len, bad ? "price error document" : "price document", pad, w);
			if (!bad) {
				snprintf(want, sizeof(want), "no promotion has the code '%s'",
				         shown(cut, text, 80));
				REQUIRE(strstr(doc, want) != NULL, "pad %zu, width %d: no '%s' in\n%s", pad,
				        w, want, doc);
			}
			b2b_ctx_reset(ctx);
		}
	}
}
END_TEST

/*===========================================================================
 * MARK: - validation documents
 *===========================================================================*/

START_TEST(test_validation_document)
{
	static char text[512], order[8192], want[1024], cut[600];
	int w = _i + 1;
	size_t pad;

	for (pad = 0; pad <= PAD_MAX; pad++) {
		const b2b_validation *v = NULL;
		const char *doc;
		size_t len, i, n;
		int found = 0;

		user_text(text, pad, w);
		jsonf(order, sizeof(order), "{'order_id': 'O1', 'customer': 'C1', "
		      "'as_of': '2026-06-15', 'codes': ['%s'], 'payment_terms': '%s', "
		      "'lines': [{'sku': '%s', 'qty': '1'}, {'sku': 'A', 'qty': '%s', '%s': 1}], "
		      "'%s': 2}", text);
		REQUIRE(b2b_order_validate_json(&v, ctx, book, order, strlen(order), NULL) == 0,
		        "pad %zu: %s", pad, b2b_ctx_errmsg(ctx));
		n = b2b_validation_count(v);
		REQUIRE(n >= 5, "pad %zu: %zu violations", pad, n);
		snprintf(want, sizeof(want), "unknown sku '%s'", shown(cut, text, 80));
		for (i = 0; i < n; i++) {
			const char *m = b2b_validation_message(v, i), *p = b2b_validation_path(v, i);

			REQUIRE(b2b_test_utf8_ok(m, strlen(m)), "pad %zu, width %d: %s", pad, w, m);
			REQUIRE(p == NULL || b2b_test_utf8_ok(p, strlen(p)), "pad %zu, width %d: %s",
			        pad, w, p);
			found += strcmp(m, want) == 0;
		}
		REQUIRE(found == 1, "pad %zu, width %d: no violation '%s'", pad, w, want);
		/* the unknown top-level key: path and message hold the same cut */
		if (plain_key(text))
			snprintf(want, sizeof(want), "%s: unknown field", text);
		else
			snprintf(want, sizeof(want), "[\"%s\"]: unknown field", shown_in(cut, text, 300));
		for (i = 0, found = 0; i < n; i++)
			found += strcmp(b2b_validation_message(v, i), want) == 0;
		REQUIRE(found == 1, "pad %zu, width %d: no violation '%s'", pad, w, want);
		REQUIRE(b2b_validation_to_json(&doc, &len, ctx, v) == 0, "to_json");
		parses(ctx, doc, len, "validation document", pad, w);
		b2b_ctx_reset(ctx);
	}
}
END_TEST

/*===========================================================================
 * MARK: - error detail on the ctx
 *===========================================================================*/

/* JSON syntax errors under a long key: the path (255 bytes) and the
 * message quoting a duplicate key. */
START_TEST(test_json_error_detail)
{
	static char text[512], json[8192];
	int w = _i + 1;
	size_t pad;

	for (pad = 0; pad <= PAD_MAX; pad++) {
		const b2b_json *root = NULL;

		user_text(text, pad, w);
		jsonf(json, sizeof(json), "{'%s': {'%s': [1, }}", text);
		REQUIRE(b2b_json_parse(&root, ctx, json, strlen(json), 0) == B2B_EPARSE, "parse");
		ctx_text_ok(ctx, "JSON syntax error", pad, w);
		jsonf(json, sizeof(json), "{'%s': 1, '%s': 2}", text);
		REQUIRE(b2b_json_parse(&root, ctx, json, strlen(json), 0) == B2B_EPARSE, "parse");
		ctx_text_ok(ctx, "duplicate key", pad, w);
		REQUIRE(strncmp(b2b_ctx_errmsg(ctx), "duplicate key \"", 15) == 0, "%s",
		        b2b_ctx_errmsg(ctx));
		b2b_ctx_reset(ctx);
	}
}
END_TEST

/* A stored quote document with an unknown field or a bad value: the
 * error names the path (cut key, 60 bytes) and quotes the value (40). */
START_TEST(test_quote_doc_error_detail)
{
	static char text[512], req[8192], bad[16384], want[1024], cut[600];
	const b2b_quote *q = NULL;
	const b2b_quote_doc *d = NULL;
	const char *doc, *st;
	int w = _i + 1;
	size_t pad, len;

	jsonf(req, sizeof(req), "{'quote_id': 'Q1', 'customer': 'C1', 'as_of': '2026-06-15', "
	      "'lines': [{'sku': 'A', 'qty': '1'}]}", "");
	ck_assert_int_eq(b2b_quote_from_json(&q, ctx, book, req, strlen(req), NULL), 0);
	ck_assert_int_eq(b2b_quote_to_json(&doc, &len, ctx, q), 0);
	st = strstr(doc, "\"status\": \"draft\"");
	ck_assert_ptr_nonnull(st);
	for (pad = 0; pad <= PAD_MAX; pad++) {
		user_text(text, pad, w);
		/* an unknown field first in the document */
		snprintf(bad, sizeof(bad), "{\n  \"%s\": 1,%s", text, doc + 1);
		REQUIRE(b2b_quote_doc_parse(&d, ctx, bad, strlen(bad)) == B2B_EPARSE, "unknown");
		ctx_text_ok(ctx, "quote document, unknown field", pad, w);
		snprintf(want, sizeof(want), "quote document: %s: unknown field", shown(cut, text, 60));
		REQUIRE(strcmp(b2b_ctx_errmsg(ctx), want) == 0, "pad %zu, width %d:\n  %s\n  %s", pad,
		        w, b2b_ctx_errmsg(ctx), want);
		/* a status that is no state */
		snprintf(bad, sizeof(bad), "%.*s\"status\": \"%s\"%s", (int)(st - doc), doc, text,
		         st + strlen("\"status\": \"draft\""));
		REQUIRE(b2b_quote_doc_parse(&d, ctx, bad, strlen(bad)) == B2B_EPARSE, "status");
		ctx_text_ok(ctx, "quote document, status", pad, w);
		REQUIRE(strstr(b2b_ctx_errmsg(ctx), shown(cut, text, 40)) != NULL,
		        "pad %zu, width %d: %s", pad, w, b2b_ctx_errmsg(ctx));
	}
}
END_TEST

/*===========================================================================
 * MARK: - lint documents (book diagnostics)
 *===========================================================================*/

/* A book whose cells hold long text: a duplicate sku (quoted whole in a
 * diagnostic cut at 767 bytes), an unknown currency and a bad price
 * (cells shown in 60 bytes). The lint document, written as `b2b lint`
 * writes it, parses. */
START_TEST(test_lint_document)
{
	static char text[1200], row[2600], cut[2600];
	int w = _i + 1;
	size_t pad;

	for (pad = 640; pad <= 800; pad++) {
		b2b_book_builder *b = NULL;
		b2b_book *bk = NULL;
		const char *cols[] = { "sku", "list_price", "currency" };
		const char *cells[3];
		const char *doc = NULL;
		b2b__jw jw;
		size_t i, n, len = 0;

		user_text(text, pad, w);
		REQUIRE(b2b_book_builder_new(&b, NULL, NULL) == 0, "builder");
		REQUIRE(b2b_book_builder_begin_table(b, ctx, B2B_TABLE_PRODUCTS, cols, 3,
		                                     "products.csv") == 0, "table");
		cells[0] = text;
		cells[1] = "1";
		cells[2] = "";
		REQUIRE(b2b_book_builder_add_row(b, ctx, cells, NULL, 3, 2) == 0, "row");
		REQUIRE(b2b_book_builder_add_row(b, ctx, cells, NULL, 3, 3) == 0, "row");
		cells[0] = "B";
		cells[1] = text;
		cells[2] = text;
		REQUIRE(b2b_book_builder_add_row(b, ctx, cells, NULL, 3, 4) == 0, "row");
		REQUIRE(b2b_book_builder_finish(&bk, ctx, b) == B2B_EBOOK, "finish");
		b2b_book_builder_free(b);
		n = b2b_ctx_diag_count(ctx);
		REQUIRE(n >= 2, "pad %zu: %zu diagnostics", pad, n);
		b2b__jw_init(&jw, NULL);
		b2b__jw_begin_object(&jw);
		b2b__jw_key(&jw, "findings");
		b2b__jw_begin_array(&jw);
		for (i = 0; i < n; i++) {
			const char *m = b2b_ctx_diag_message(ctx, i);

			REQUIRE(b2b_test_utf8_ok(m, strlen(m)), "pad %zu, width %d: %s", pad, w, m);
			b2b__jw_begin_object(&jw);
			b2b__jw_key(&jw, "file");
			b2b__jw_cstr(&jw, b2b_ctx_diag_file(ctx, i));
			b2b__jw_key(&jw, "line");
			b2b__jw_int(&jw, b2b_ctx_diag_line(ctx, i));
			b2b__jw_key(&jw, "message");
			b2b__jw_cstr(&jw, m);
			b2b__jw_end_object(&jw);
		}
		b2b__jw_end_array(&jw);
		b2b__jw_end_object(&jw);
		REQUIRE(b2b__jw_finish(&jw, ctx, &doc, &len) == 0, "finish");
		parses(ctx, doc, len, "lint document", pad, w);
		/* the duplicate: the message is cut at 767 bytes, on a boundary */
		snprintf(row, sizeof(row), "sku: duplicate sku \"%s\" (first on line 2)", text);
		shown_in(cut, row, 768);
		for (i = 0; i < n; i++)
			if (strcmp(b2b_ctx_diag_message(ctx, i), cut) == 0)
				break;
		REQUIRE(i < n, "pad %zu, width %d: no diagnostic\n  %s", pad, w, cut);
		b2b_ctx_reset(ctx);
	}
}
END_TEST

static Suite *
documents_suite(void)
{
	Suite *s = suite_create("documents");
	TCase *limits = tcase_create("Limits");

	tcase_add_checked_fixture(limits, setup, teardown);
	tcase_set_timeout(limits, 120);
	tcase_add_loop_test(limits, test_quote_unknown_code, 0, 4);
	tcase_add_loop_test(limits, test_quote_error_document, 0, 4);
	tcase_add_loop_test(limits, test_quote_unknown_key_path, 0, 4);
	tcase_add_loop_test(limits, test_price_documents, 0, 4);
	tcase_add_loop_test(limits, test_validation_document, 0, 4);
	tcase_add_loop_test(limits, test_json_error_detail, 0, 4);
	tcase_add_loop_test(limits, test_quote_doc_error_detail, 0, 4);
	tcase_add_loop_test(limits, test_lint_document, 0, 4);
	suite_add_tcase(s, limits);
	return s;
}

int
main(void)
{
	return b2b_test_run(documents_suite());
}
