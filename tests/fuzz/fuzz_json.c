/*
 * Fuzz target: the JSON reader (b2b/json.h) and the canonical writer
 * (src/json_write.h). Replayed over tests/fuzz/corpus/json/ by meson
 * (test fuzz-replay-json). To fuzz with libFuzzer, from the source root:
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -DB2B_STATIC \
 *       -Iinclude -Isrc src/alloc.c src/ctx.c src/error.c src/money.c \
 *       src/rounding.c src/json.c src/json_write.c tests/fuzz/fuzz_json.c \
 *       -o /tmp/fuzz_json
 *   mkdir -p /tmp/fuzz_json_corpus
 *   /tmp/fuzz_json -max_total_time=600 -max_len=4096 \
 *       /tmp/fuzz_json_corpus tests/fuzz/corpus/json
 *
 * For every input: parse with and without B2B_JSON_ALLOW_DUPLICATES (the
 * flag may only turn a duplicate-key error into success); on an error
 * check its detail; on success walk the tree (accessors, lookups,
 * locations, exact numbers), write it canonically, re-parse, compare the
 * trees, and check that writing again gives the same bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "b2b/error.h"
#include "b2b/json.h"
#include "json_write.h"

#define CHECK(x) do { if (!(x)) abort(); } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
tree_eq(const b2b_json *a, const b2b_json *b)
{
	size_t i, la, lb;
	const char *sa, *sb;

	if (b2b_json_typeof(a) != b2b_json_typeof(b))
		return 0;
	switch (b2b_json_typeof(a)) {
	case B2B_JSON_STRING:
		sa = b2b_json_string(a, &la);
		sb = b2b_json_string(b, &lb);
		return la == lb && memcmp(sa, sb, la) == 0;
	case B2B_JSON_NUMBER:
		sa = b2b_json_number_text(a, &la);
		sb = b2b_json_number_text(b, &lb);
		return la == lb && memcmp(sa, sb, la) == 0;
	case B2B_JSON_ARRAY:
		if (b2b_json_size(a) != b2b_json_size(b))
			return 0;
		for (i = 0; i < b2b_json_size(a); i++)
			if (!tree_eq(b2b_json_at(a, i), b2b_json_at(b, i)))
				return 0;
		return 1;
	case B2B_JSON_OBJECT:
		if (b2b_json_size(a) != b2b_json_size(b))
			return 0;
		for (i = 0; i < b2b_json_size(a); i++) {
			sa = b2b_json_key_at(a, i, &la);
			sb = b2b_json_key_at(b, i, &lb);
			if (la != lb || memcmp(sa, sb, la) != 0 ||
			    !tree_eq(b2b_json_value_at(a, i), b2b_json_value_at(b, i)))
				return 0;
		}
		return 1;
	default:
		return 1;
	}
}

static void
write_tree(b2b__jw *w, const b2b_json *v)
{
	size_t i, n;
	const char *s;

	switch (b2b_json_typeof(v)) {
	case B2B_JSON_NULL: b2b__jw_null(w); break;
	case B2B_JSON_TRUE: b2b__jw_bool(w, 1); break;
	case B2B_JSON_FALSE: b2b__jw_bool(w, 0); break;
	case B2B_JSON_NUMBER:
		s = b2b_json_number_text(v, &n);
		b2b__jw_raw(w, s, n);
		break;
	case B2B_JSON_STRING:
		s = b2b_json_string(v, &n);
		b2b__jw_string(w, s, n);
		break;
	case B2B_JSON_ARRAY:
		b2b__jw_begin_array(w);
		for (i = 0; i < b2b_json_size(v); i++)
			write_tree(w, b2b_json_at(v, i));
		b2b__jw_end_array(w);
		break;
	case B2B_JSON_OBJECT:
		b2b__jw_begin_object(w);
		for (i = 0; i < b2b_json_size(v); i++) {
			s = b2b_json_key_at(v, i, &n);
			b2b__jw_keyn(w, s, n);
			write_tree(w, b2b_json_value_at(v, i));
		}
		b2b__jw_end_object(w);
		break;
	}
}

static void
walk(const b2b_json *v, size_t size, long min_offset)
{
	size_t i, n, k;
	const char *s;
	b2b_dec d, d2;
	int rc;

	CHECK(b2b_json_offset(v) >= min_offset && (size_t)b2b_json_offset(v) < size);
	CHECK(b2b_json_line(v) >= 1 && b2b_json_col(v) >= 1);
	CHECK(b2b_json_col(v) <= b2b_json_offset(v) + 1);
	switch (b2b_json_typeof(v)) {
	case B2B_JSON_NUMBER:
		s = b2b_json_number_text(v, &n);
		CHECK(s != NULL && n > 0 && s[n] == '\0' && strlen(s) == n);
		rc = b2b_json_number(&d, v);
		CHECK(rc == 0 || rc == B2B_EPRECISION || rc == B2B_EOVERFLOW);
		if (rc == 0) {
			char buf[B2B_DEC_FORMAT_MAX];

			CHECK(b2b_dec_format(buf, sizeof(buf), NULL, d, B2B_DEC_SCALE_EXACT,
			                     B2B_ROUND_HALF_UP) == 0);
			CHECK(b2b_dec_parse(&d2, NULL, buf, strlen(buf), B2B_DEC_PARSE_JSON) == 0);
			CHECK(b2b_dec_cmp(d, d2) == 0);
		}
		break;
	case B2B_JSON_STRING:
		s = b2b_json_string(v, &n);
		CHECK(s != NULL && s[n] == '\0');
		CHECK(b2b_json_size(v) == 0 && b2b_json_number_text(v, NULL) == NULL);
		break;
	case B2B_JSON_ARRAY:
		n = b2b_json_size(v);
		CHECK(b2b_json_at(v, n) == NULL);
		for (i = 0; i < n; i++)
			walk(b2b_json_at(v, i), size, b2b_json_offset(v) + 1);
		break;
	case B2B_JSON_OBJECT:
		n = b2b_json_size(v);
		CHECK(b2b_json_value_at(v, n) == NULL && b2b_json_key_at(v, n, NULL) == NULL);
		for (i = 0; i < n; i++) {
			size_t kl;
			const char *key = b2b_json_key_at(v, i, &kl);
			const b2b_json *g;

			CHECK(key != NULL && key[kl] == '\0');
			walk(b2b_json_value_at(v, i), size, b2b_json_offset(v) + 1);
			if (strlen(key) != kl)
				continue;
			g = b2b_json_get(v, key);
			CHECK(g != NULL);
			/* the first member with that key wins */
			for (k = 0; k < n; k++) {
				size_t l2;
				const char *k2 = b2b_json_key_at(v, k, &l2);

				if (l2 == kl && memcmp(k2, key, kl) == 0)
					break;
			}
			CHECK(g == b2b_json_value_at(v, k));
			if (n > 64)
				break;   /* keep large objects linear */
		}
		break;
	default:
		CHECK(b2b_json_size(v) == 0 && b2b_json_string(v, NULL) == NULL);
		break;
	}
}

static const char *
write_doc(b2b_ctx *ctx, const b2b_json *v, size_t *len)
{
	b2b__jw w;
	const char *doc = NULL;

	b2b__jw_init(&w, NULL);
	write_tree(&w, v);
	CHECK(b2b__jw_finish(&w, ctx, &doc, len) == 0);
	CHECK(doc[*len - 1] == '\n' && doc[*len] == '\0');
	return doc;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	const b2b_json *strict = NULL, *lax = NULL, *again = NULL;
	const char *doc, *doc2;
	size_t len, len2;
	b2b_ctx *ctx;
	int rs, rl;

	if (b2b_ctx_new(&ctx, NULL) < 0)
		return 0;
	rs = b2b_json_parse(&strict, ctx, text, size, 0);
	if (rs != 0) {
		CHECK(rs == B2B_EPARSE && strict == NULL);
		CHECK(b2b_ctx_errcode(ctx) == rs && b2b_ctx_errmsg(ctx)[0] != '\0');
		CHECK(b2b_ctx_erroffset(ctx) >= 0 && (size_t)b2b_ctx_erroffset(ctx) <= size);
		CHECK(b2b_ctx_errline(ctx) >= 1 && b2b_ctx_errcol(ctx) >= 1);
		CHECK(b2b_ctx_errpath(ctx)[0] != '\0');
	}
	rl = b2b_json_parse(&lax, ctx, text, size, B2B_JSON_ALLOW_DUPLICATES);
	if (rs == 0) {
		CHECK(rl == 0 && tree_eq(strict, lax));
	} else if (rl == 0) {
		/* only a duplicate key may separate the two */
		rs = b2b_json_parse(&strict, ctx, text, size, 0);
		CHECK(strncmp(b2b_ctx_errmsg(ctx), "duplicate key \"", 15) == 0);
	} else {
		CHECK(rl == B2B_EPARSE);
	}
	if (rl == 0) {
		walk(lax, size, 0);
		doc = write_doc(ctx, lax, &len);
		CHECK(b2b_json_parse(&again, ctx, doc, len, B2B_JSON_ALLOW_DUPLICATES) == 0);
		CHECK(tree_eq(lax, again));
		doc2 = write_doc(ctx, again, &len2);
		CHECK(len == len2 && memcmp(doc, doc2, len) == 0);
	}
	b2b_ctx_free(ctx);
	return 0;
}
