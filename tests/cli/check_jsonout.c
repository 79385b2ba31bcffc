/*
 * Tests: the b2b program's own JSON output (src/cli/jsonout.c) writes
 * exactly the bytes of the library's writer (src/io/json_write.c) for the
 * same calls: every byte value in strings and keys, nesting, empty
 * containers, integers at their limits, decimals at every scale, null
 * strings; plus a hand-written expected document and the misuse errors.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "b2b.h"
#include "json_write.h"
#include "jsonout.h"
#include "support/testmain.h"

/* One writer call, replayed on both writers. */
enum { OP_BOBJ, OP_EOBJ, OP_BARR, OP_EARR, OP_KEY, OP_STR, OP_INT, OP_DEC, OP_TRUE,
       OP_FALSE, OP_NULL };

typedef struct op {
	int kind;
	const char *s;     /* key or string (NULL: the null string) */
	int64_t i;         /* integer, or the decimal's units */
	int scale;         /* decimal: units' scale, then the written scale */
	int wscale;
} op;

/* Both documents of `ops`; asserts they are the same bytes, returns ours. */
static char *
both(const op *ops, size_t n, size_t *outlen)
{
	b2b__jw a;
	jout b;
	b2b_ctx *ctx;
	const char *da, *db;
	size_t la, lb, i;
	char *copy;

	ck_assert_int_eq(b2b_ctx_new(&ctx, NULL), 0);
	b2b__jw_init(&a, NULL);
	jout_init(&b);
	for (i = 0; i < n; i++) {
		const op *o = &ops[i];
		b2b_dec d;

		switch (o->kind) {
		case OP_BOBJ: b2b__jw_begin_object(&a); jout_begin_object(&b); break;
		case OP_EOBJ: b2b__jw_end_object(&a); jout_end_object(&b); break;
		case OP_BARR: b2b__jw_begin_array(&a); jout_begin_array(&b); break;
		case OP_EARR: b2b__jw_end_array(&a); jout_end_array(&b); break;
		case OP_KEY: b2b__jw_key(&a, o->s); jout_key(&b, o->s); break;
		case OP_STR: b2b__jw_cstr(&a, o->s); jout_str(&b, o->s); break;
		case OP_INT: b2b__jw_int(&a, o->i); jout_int(&b, o->i); break;
		case OP_DEC:
			ck_assert_int_eq(b2b_dec_from_units(&d, o->i, o->scale), 0);
			b2b__jw_dec(&a, d, o->wscale, B2B_ROUND_HALF_UP);
			jout_dec(&b, d, o->wscale, B2B_ROUND_HALF_UP);
			break;
		case OP_TRUE: b2b__jw_bool(&a, 1); jout_bool(&b, 1); break;
		case OP_FALSE: b2b__jw_bool(&a, 0); jout_bool(&b, 0); break;
		default: b2b__jw_null(&a); jout_null(&b); break;
		}
	}
	ck_assert_int_eq(b2b__jw_finish(&a, ctx, &da, &la), 0);
	ck_assert_int_eq(jout_finish(&b, &db, &lb), 0);
	ck_assert_uint_eq(la, lb);
	ck_assert_int_eq(memcmp(da, db, la), 0);
	copy = malloc(lb + 1);
	ck_assert_ptr_nonnull(copy);
	memcpy(copy, db, lb);
	copy[lb] = '\0';
	*outlen = lb;
	jout_free(&b);
	b2b_ctx_free(ctx);
	return copy;
}

#define BOTH(ops, len) both(ops, sizeof(ops) / sizeof *(ops), len)

START_TEST(test_document_by_hand)
{
	static const op ops[] = {
		{ OP_BOBJ, 0, 0, 0, 0 },
		{ OP_KEY, "bench", 0, 0, 0 }, { OP_STR, "price", 0, 0, 0 },
		{ OP_KEY, "runs", 0, 0, 0 }, { OP_INT, 0, 5, 0, 0 },
		{ OP_KEY, "ms", 0, 0, 0 }, { OP_DEC, 0, 1234567, 3, 3 },
		{ OP_KEY, "dir", 0, 0, 0 }, { OP_STR, NULL, 0, 0, 0 },
		{ OP_KEY, "empty", 0, 0, 0 }, { OP_BARR, 0, 0, 0, 0 }, { OP_EARR, 0, 0, 0, 0 },
		{ OP_KEY, "none", 0, 0, 0 }, { OP_BOBJ, 0, 0, 0, 0 }, { OP_EOBJ, 0, 0, 0, 0 },
		{ OP_KEY, "list", 0, 0, 0 }, { OP_BARR, 0, 0, 0, 0 },
		{ OP_TRUE, 0, 0, 0, 0 },
		{ OP_BOBJ, 0, 0, 0, 0 }, { OP_KEY, "a", 0, 0, 0 }, { OP_FALSE, 0, 0, 0, 0 },
		{ OP_EOBJ, 0, 0, 0, 0 },
		{ OP_EARR, 0, 0, 0, 0 },
		{ OP_EOBJ, 0, 0, 0, 0 },
	};
	size_t len;
	char *doc = BOTH(ops, &len);

	ck_assert_str_eq(doc, "{\n"
	                      "  \"bench\": \"price\",\n"
	                      "  \"runs\": 5,\n"
	                      "  \"ms\": \"1234.567\",\n"
	                      "  \"dir\": null,\n"
	                      "  \"empty\": [],\n"
	                      "  \"none\": {},\n"
	                      "  \"list\": [\n"
	                      "    true,\n"
	                      "    {\n"
	                      "      \"a\": false\n"
	                      "    }\n"
	                      "  ]\n"
	                      "}\n");
	free(doc);
}
END_TEST

/* Every byte from 1 to 255 in a string and in a key. */
START_TEST(test_every_byte_escaped_alike)
{
	char s[256];
	op ops[5] = {
		{ OP_BOBJ, 0, 0, 0, 0 }, { OP_KEY, s, 0, 0, 0 }, { OP_STR, s, 0, 0, 0 },
		{ OP_EOBJ, 0, 0, 0, 0 },
	};
	size_t len, i;
	char *doc;

	for (i = 1; i < 256; i++)
		s[i - 1] = (char)i;
	s[255] = '\0';
	doc = both(ops, 4, &len);
	/* by hand: the named escapes, \u00xx in lower case, DEL and UTF-8 as is */
	ck_assert_ptr_nonnull(strstr(doc, "\\u0001\\u0002"));
	ck_assert_ptr_nonnull(strstr(doc, "\\b\\t\\n\\u000b\\f\\r\\u000e"));
	ck_assert_ptr_nonnull(strstr(doc, "\\u001f !\\\"#"));
	ck_assert_ptr_nonnull(strstr(doc, "[\\\\]"));
	ck_assert_ptr_nonnull(strstr(doc, "~\x7f\x80"));
	free(doc);
}
END_TEST

START_TEST(test_numbers_alike)
{
	static const op ops[] = {
		{ OP_BARR, 0, 0, 0, 0 },
		{ OP_INT, 0, 0, 0, 0 }, { OP_INT, 0, -1, 0, 0 }, { OP_INT, 0, INT64_MAX, 0, 0 },
		{ OP_INT, 0, INT64_MIN, 0, 0 },
		{ OP_DEC, 0, 0, 0, 0 }, { OP_DEC, 0, -5, 1, 0 }, { OP_DEC, 0, 15, 1, 0 },
		{ OP_DEC, 0, 12345, 4, 2 }, { OP_DEC, 0, 12345, 4, 9 },
		{ OP_DEC, 0, -125, 2, B2B_DEC_SCALE_EXACT },
		{ OP_DEC, 0, 1200, 3, B2B_DEC_SCALE_EXACT },
		{ OP_EARR, 0, 0, 0, 0 },
	};
	size_t len;
	char *doc = BOTH(ops, &len);

	ck_assert_str_eq(doc, "[\n  0,\n  -1,\n  9223372036854775807,\n  -9223372036854775808,\n"
	                      "  \"0\",\n  \"-1\",\n  \"2\",\n  \"1.23\",\n  \"1.234500000\",\n"
	                      "  \"-1.25\",\n  \"1.2\"\n]\n");
	free(doc);
}
END_TEST

/* Nesting to 20 levels, alternating arrays and objects. */
START_TEST(test_deep_nesting_alike)
{
	op ops[64];
	size_t n = 0, len, i;
	char *doc, want[50];

	for (i = 0; i < 20; i++) {
		if (i % 2 == 0) {
			ops[n++] = (op){ OP_BARR, 0, 0, 0, 0 };
		} else {
			ops[n++] = (op){ OP_BOBJ, 0, 0, 0, 0 };
			ops[n++] = (op){ OP_KEY, "k", 0, 0, 0 };
		}
	}
	ops[n++] = (op){ OP_INT, 0, 7, 0, 0 };
	for (i = 20; i-- > 0;)
		ops[n++] = (op){ i % 2 == 0 ? OP_EARR : OP_EOBJ, 0, 0, 0, 0 };
	doc = both(ops, n, &len);
	/* the key of the innermost object (depth 20): 40 spaces */
	memset(want, ' ', sizeof want);
	want[0] = '\n';
	memcpy(want + 41, "\"k\": 7\n", 8);
	want[49] = '\0';
	ck_assert_ptr_nonnull(strstr(doc, want));
	free(doc);
}
END_TEST

START_TEST(test_misuse_is_sticky)
{
	jout w;
	const char *doc;
	size_t len;

	/* a value without a key in an object */
	jout_init(&w);
	jout_begin_object(&w);
	jout_int(&w, 1);
	jout_key(&w, "a");
	jout_int(&w, 2);
	jout_end_object(&w);
	ck_assert_int_eq(jout_finish(&w, &doc, &len), B2B_EMISUSE);
	ck_assert_ptr_null(doc);
	ck_assert_uint_eq(len, 0);
	ck_assert_str_eq(jout_why(&w), "a value without a key in an object");
	jout_free(&w);
	/* a key outside an object, unclosed, empty, two roots, after finish */
	jout_init(&w);
	jout_begin_array(&w);
	jout_key(&w, "a");
	ck_assert_int_eq(jout_finish(&w, &doc, &len), B2B_EMISUSE);
	ck_assert_str_eq(jout_why(&w), "a key outside an object");
	jout_free(&w);
	jout_begin_array(&w);
	ck_assert_int_eq(jout_finish(&w, &doc, &len), B2B_EMISUSE);
	ck_assert_str_eq(jout_why(&w), "unclosed array or object");
	jout_free(&w);
	ck_assert_int_eq(jout_finish(&w, &doc, &len), B2B_EMISUSE);
	ck_assert_str_eq(jout_why(&w), "empty document");
	jout_free(&w);
	jout_null(&w);
	jout_null(&w);
	ck_assert_int_eq(jout_finish(&w, &doc, &len), B2B_EMISUSE);
	ck_assert_str_eq(jout_why(&w), "a second root value");
	jout_free(&w);
	jout_null(&w);
	ck_assert_int_eq(jout_finish(&w, &doc, &len), 0);
	ck_assert_uint_eq(len, 5);
	ck_assert_int_eq(memcmp(doc, "null\n", 5), 0);
	ck_assert_int_eq(jout_finish(&w, &doc, &len), B2B_EMISUSE);
	ck_assert_str_eq(jout_why(&w), "call after finish");
	jout_free(&w);
	jout_free(&w);
	ck_assert_str_eq(jout_why(&w), "");
}
END_TEST

static Suite *
jsonout_suite(void)
{
	Suite *s = suite_create("jsonout");
	TCase *tc = tcase_create("Core");

	tcase_add_test(tc, test_document_by_hand);
	tcase_add_test(tc, test_every_byte_escaped_alike);
	tcase_add_test(tc, test_numbers_alike);
	tcase_add_test(tc, test_deep_nesting_alike);
	tcase_add_test(tc, test_misuse_is_sticky);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return b2b_test_run(jsonout_suite());
}
