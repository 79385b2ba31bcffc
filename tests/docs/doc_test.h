/*
 * Test helpers shared by the document tests (check_quote.c, check_volume.c,
 * check_hints.c): books from a compact text, requests with ' for ", paths
 * into parsed documents, a seeded random generator, and a quote run that
 * parses its output.
 * Static inline so that each test uses what it needs without warnings.
 */
#ifndef B2B_TESTS_DOC_TEST_H
#define B2B_TESTS_DOC_TEST_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "b2b.h"
#include "b2b/book.h"
#include "b2b/json.h"
#include "b2b/quote.h"
#include "support/testmain.h"

/* An assertion for hot loops: Check's ck_assert records the location of
 * every *passing* check (a write per call), which dominates loops of
 * 100,000 documents; this one costs nothing until it fails. */
#define REQUIRE(expr, ...)                                   \
	do {                                                 \
		if (!(expr))                                 \
			ck_abort_msg(__VA_ARGS__);           \
	} while (0)

/*
 * Build a book from a compact text: "# table" starts a table, the next
 * line is its header, the following lines are rows; cells are separated
 * by ',' (no quoting). A table may appear again later (it continues).
 */
static inline b2b_book *
mkbook_ex(const char *spec, int expect_ok)
{
	b2b_book_builder *bb = NULL;
	b2b_book *book = NULL;
	b2b_ctx *ctx = NULL;
	const char *p = spec;
	char line[1024];
	char *cells[64];
	size_t ncells, lineno = 0;
	int header = 0, rc;

	REQUIRE(b2b_ctx_new(&ctx, NULL) == 0, "ctx");
	REQUIRE(b2b_book_builder_new(&bb, NULL, NULL) == 0, "builder");
	while (*p != '\0') {
		size_t n = strcspn(p, "\n");
		char *c;

		REQUIRE(n < sizeof(line), "line too long");
		memcpy(line, p, n);
		line[n] = '\0';
		p += n + (p[n] == '\n');
		lineno++;
		if (n == 0)
			continue;
		if (line[0] == '#') {
			int t;
			for (t = 0; t < B2B_TABLE_COUNT; t++)
				if (strcmp(b2b_book_table_name((b2b_book_table)t), line + 2) == 0)
					break;
			REQUIRE(t < B2B_TABLE_COUNT, "unknown table %s", line + 2);
			header = t + 1;
			continue;
		}
		ncells = 0;
		c = line;
		for (;;) {
			char *comma = strchr(c, ',');
			cells[ncells++] = c;
			if (comma == NULL)
				break;
			*comma = '\0';
			c = comma + 1;
		}
		if (header > 0) {
			rc = b2b_book_builder_begin_table(bb, ctx, (b2b_book_table)(header - 1),
			                                  (const char *const *)cells, ncells, "test");
			header = -header;
			REQUIRE(rc == 0, "begin_table: %d", rc);
		} else {
			rc = b2b_book_builder_add_row(bb, ctx, (const char *const *)cells, NULL, ncells,
			                              (long)lineno);
			REQUIRE(rc == 0, "add_row line %zu: %d", lineno, rc);
		}
	}
	rc = b2b_book_builder_finish(&book, ctx, bb);
	if (rc != 0 && expect_ok) {
		size_t i;
		for (i = 0; i < b2b_ctx_diag_count(ctx); i++)
			fprintf(stderr, "book: line %ld col %ld: %s\n", b2b_ctx_diag_line(ctx, i),
			        b2b_ctx_diag_col(ctx, i), b2b_ctx_diag_message(ctx, i));
		fprintf(stderr, "book: %s\n", b2b_ctx_errmsg(ctx));
	}
	if (expect_ok)
		REQUIRE(rc == 0, "book: %d", rc);
	b2b_book_builder_free(bb);
	b2b_ctx_free(ctx);
	return book;
}

static inline b2b_book *
mkbook(const char *spec)
{
	return mkbook_ex(spec, 1);
}

/* A request written with ' for " (readable C literals). */
static inline char *
dq(const char *s)
{
	char *r = strdup(s), *p;

	for (p = r; *p != '\0'; p++)
		if (*p == '\'')
			*p = '"';
	return r;
}

/* A value of a parsed document by path: "lines[0].amount", "taxes[1].rate". */
static inline const b2b_json *
jpath(const b2b_json *v, const char *path)
{
	const char *p = path;
	char key[128];

	while (*p != '\0' && v != NULL) {
		if (*p == '.') {
			p++;
		} else if (*p == '[') {
			char *end;
			unsigned long i = strtoul(p + 1, &end, 10);
			v = b2b_json_at(v, i);
			p = end + 1;
		} else {
			size_t n = strcspn(p, ".[");
			memcpy(key, p, n);
			key[n] = '\0';
			v = b2b_json_get(v, key);
			p += n;
		}
	}
	return v;
}

/* The value at `path` as text: a string's content, a number's text,
 * "null", "true", "false", "[n]" / "{n}" for containers, "<missing>". */
static inline const char *
js(const b2b_json *root, const char *path)
{
	static char buf[64];
	const b2b_json *v = jpath(root, path);

	if (v == NULL)
		return "<missing>";
	switch (b2b_json_typeof(v)) {
	case B2B_JSON_NULL:
		return "null";
	case B2B_JSON_TRUE:
		return "true";
	case B2B_JSON_FALSE:
		return "false";
	case B2B_JSON_STRING:
		return b2b_json_string(v, NULL);
	case B2B_JSON_NUMBER:
		return b2b_json_number_text(v, NULL);
	case B2B_JSON_ARRAY:
		snprintf(buf, sizeof(buf), "[%zu]", b2b_json_size(v));
		return buf;
	default:
		snprintf(buf, sizeof(buf), "{%zu}", b2b_json_size(v));
		return buf;
	}
}

/* Keys of the object at `path`, comma-separated. */
static inline const char *
keys(const b2b_json *root, const char *path)
{
	static char buf[1024];
	const b2b_json *v = jpath(root, path);
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; v != NULL && i < b2b_json_size(v); i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s", i ? "," : "",
		                      b2b_json_key_at(v, i, NULL));
	return buf;
}

/* xorshift64*: deterministic, seeded (the property tests print the seed). */
static inline uint64_t
rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ull;
}

/* A number in [0, n). */
static inline unsigned
rn(uint64_t *s, unsigned n)
{
	return (unsigned)(rnd(s) % n);
}

#ifndef DOC_TEST_OWN_RUN   /* check_hints.c has its own quote() and done() */

/*
 * qrun.rc / prun.rc: the status of the call, or NOT_PRICED when it
 * returned 0 with a result that lists the problems (b2b_quote_ok() /
 * b2b_price_ok() is 0).
 */
#define NOT_PRICED 1

typedef struct qrun {
	b2b_ctx *ctx;
	const b2b_quote *q;
	int rc;
	const char *json;
	size_t len;
	const b2b_json *doc;
} qrun;

/* Quote `req` (with ' for ") against `book`; parse the output document. */
static inline void
quote(qrun *r, const b2b_book *book, const char *req)
{
	char *text = dq(req);

	memset(r, 0, sizeof(*r));
	ck_assert_int_eq(b2b_ctx_new(&r->ctx, NULL), 0);
	r->rc = b2b_quote_from_json(&r->q, r->ctx, book, text, strlen(text), NULL);
	free(text);
	if (r->rc != 0)
		return;
	ck_assert_ptr_nonnull(r->q);
	/* a request that cannot be priced is a result: no error detail on ctx */
	ck_assert_int_eq(b2b_quote_ok(r->q), b2b_quote_error_count(r->q) == 0);
	if (!b2b_quote_ok(r->q)) {
		r->rc = NOT_PRICED;
		ck_assert_int_eq(b2b_ctx_errcode(r->ctx), 0);
		ck_assert_str_eq(b2b_ctx_errmsg(r->ctx), "");
	}
	ck_assert_int_eq(b2b_quote_to_json(&r->json, &r->len, r->ctx, r->q), 0);
	ck_assert_int_eq(b2b_json_parse(&r->doc, r->ctx, r->json, r->len, 0), 0);
}

static inline void
done(qrun *r)
{
	b2b_ctx_free(r->ctx);
}

/* On failure, show the whole document. */
static inline void
show(const qrun *r)
{
	if (r->json != NULL)
		fprintf(stderr, "%s", r->json);
}

#endif /* DOC_TEST_OWN_RUN */

#endif
