/*
 * Tests: the JSON reader (b2b/json.h) and the internal canonical writer
 * (src/json_write.h), JSONTestSuite conformance, random round trips and
 * OOM loops.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "b2b.h"
#include "ctx_int.h"
#include "json_write.h"
#include "support/failalloc.h"
#include "support/testmain.h"

/*===========================================================================
 * Helpers
 *===========================================================================*/

static b2b_ctx *
new_ctx(void)
{
	b2b_ctx *ctx = NULL;

	ck_assert_int_eq(b2b_ctx_new(&ctx, NULL), 0);
	return ctx;
}

static const b2b_json *
parse_ok(b2b_ctx *ctx, const char *text, size_t len, unsigned flags)
{
	const b2b_json *v = NULL;
	int rc = b2b_json_parse(&v, ctx, text, len, flags);

	if (rc != 0)
		ck_abort_msg("parse failed (%d): %s at %ld:%ld path %s", rc, b2b_ctx_errmsg(ctx),
		             b2b_ctx_errline(ctx), b2b_ctx_errcol(ctx), b2b_ctx_errpath(ctx));
	ck_assert_ptr_nonnull(v);
	return v;
}

static const b2b_json *
parse_str(b2b_ctx *ctx, const char *text)
{
	return parse_ok(ctx, text, strlen(text), 0);
}

static char *
read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	ck_assert_msg(f != NULL, "cannot open %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	buf[n] = '\0';
	*len = (size_t)n;
	return buf;
}

/* Deep equality of two trees (types, bytes, keys and their order). */
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
			if (la != lb || memcmp(sa, sb, la) != 0)
				return 0;
			if (!tree_eq(b2b_json_value_at(a, i), b2b_json_value_at(b, i)))
				return 0;
		}
		return 1;
	default:
		return 1;
	}
}

/* Write a parsed tree with the canonical writer. */
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

static b2b_dec
dec_units(int64_t u, int scale)
{
	b2b_dec d;

	ck_assert_int_eq(b2b_dec_from_units(&d, u, scale), 0);
	return d;
}

/*===========================================================================
 * Core: values, accessors, numbers, strings, locations
 *===========================================================================*/

START_TEST(test_scalars_and_types)
{
	b2b_ctx *ctx = new_ctx();
	const b2b_json *v;
	size_t len = 99;

	ck_assert_int_eq(b2b_json_typeof(parse_str(ctx, "null")), B2B_JSON_NULL);
	ck_assert_int_eq(b2b_json_typeof(parse_str(ctx, " true ")), B2B_JSON_TRUE);
	ck_assert_int_eq(b2b_json_typeof(parse_str(ctx, "\n\tfalse\r\n")), B2B_JSON_FALSE);
	v = parse_str(ctx, "\"hi\"");
	ck_assert_int_eq(b2b_json_typeof(v), B2B_JSON_STRING);
	ck_assert_str_eq(b2b_json_string(v, &len), "hi");
	ck_assert_uint_eq(len, 2);
	ck_assert_ptr_null(b2b_json_number_text(v, &len));
	ck_assert_uint_eq(len, 0);
	ck_assert_uint_eq(b2b_json_size(v), 0);
	v = parse_str(ctx, "-12.5e+3");
	ck_assert_int_eq(b2b_json_typeof(v), B2B_JSON_NUMBER);
	ck_assert_str_eq(b2b_json_number_text(v, &len), "-12.5e+3");
	ck_assert_uint_eq(len, 8);
	ck_assert_ptr_null(b2b_json_string(v, NULL));
	ck_assert_str_eq(b2b_json_type_name(B2B_JSON_NULL), "null");
	ck_assert_str_eq(b2b_json_type_name(B2B_JSON_TRUE), "true");
	ck_assert_str_eq(b2b_json_type_name(B2B_JSON_FALSE), "false");
	ck_assert_str_eq(b2b_json_type_name(B2B_JSON_NUMBER), "number");
	ck_assert_str_eq(b2b_json_type_name(B2B_JSON_STRING), "string");
	ck_assert_str_eq(b2b_json_type_name(B2B_JSON_ARRAY), "array");
	ck_assert_str_eq(b2b_json_type_name(B2B_JSON_OBJECT), "object");
	ck_assert_ptr_null(b2b_json_type_name((b2b_json_type)42));
	ck_assert_ptr_null(b2b_json_type_name((b2b_json_type)-1));
	{
		b2b_json_type t = B2B_JSON_ARRAY;
		int i;

		for (i = B2B_JSON_NULL; i <= B2B_JSON_OBJECT; i++) {
			const char *name = b2b_json_type_name((b2b_json_type)i);

			ck_assert_int_eq(b2b_json_type_parse(&t, name, strlen(name)), 0);
			ck_assert_int_eq((int)t, i);
		}
		ck_assert_int_eq(b2b_json_type_parse(&t, "boolean", 7), B2B_EPARSE);
		ck_assert_int_eq(b2b_json_type_parse(&t, "Null", 4), B2B_EPARSE);
		ck_assert_int_eq((int)t, B2B_JSON_OBJECT);
		ck_assert_int_eq(b2b_json_type_parse(NULL, "null", 4), B2B_EINVAL);
	}
	/* NULL values give the "absent" answers */
	ck_assert_int_eq(b2b_json_typeof(NULL), B2B_JSON_NULL);
	ck_assert_ptr_null(b2b_json_string(NULL, NULL));
	ck_assert_uint_eq(b2b_json_size(NULL), 0);
	ck_assert_ptr_null(b2b_json_at(NULL, 0));
	ck_assert_ptr_null(b2b_json_get(NULL, "a"));
	ck_assert_ptr_null(b2b_json_key_at(NULL, 0, NULL));
	ck_assert_ptr_null(b2b_json_value_at(NULL, 0));
	ck_assert_int_eq(b2b_json_offset(NULL), -1);
	ck_assert_int_eq(b2b_json_line(NULL), 0);
	ck_assert_int_eq(b2b_json_col(NULL), 0);
	b2b_ctx_free(ctx);
}
END_TEST

START_TEST(test_arrays_and_objects)
{
	b2b_ctx *ctx = new_ctx();
	const b2b_json *v, *lines;
	size_t len;

	v = parse_str(ctx, "{\"quote_id\":\"Q1\",\"lines\":[{\"sku\":\"A\",\"qty\":2},"
	                   "{\"sku\":\"B\",\"qty\":\"1.5\"}],\"e\":{},\"a\":[]}");
	ck_assert_int_eq(b2b_json_typeof(v), B2B_JSON_OBJECT);
	ck_assert_uint_eq(b2b_json_size(v), 4);
	ck_assert_str_eq(b2b_json_key_at(v, 1, &len), "lines");
	ck_assert_uint_eq(len, 5);
	ck_assert_ptr_null(b2b_json_key_at(v, 4, &len));
	ck_assert_uint_eq(len, 0);
	ck_assert_ptr_null(b2b_json_value_at(v, 4));
	lines = b2b_json_get(v, "lines");
	ck_assert_ptr_eq(lines, b2b_json_value_at(v, 1));
	ck_assert_uint_eq(b2b_json_size(lines), 2);
	ck_assert_str_eq(b2b_json_string(b2b_json_get(b2b_json_at(lines, 1), "sku"), NULL), "B");
	ck_assert_str_eq(b2b_json_string(b2b_json_get(b2b_json_at(lines, 1), "qty"), NULL), "1.5");
	ck_assert_str_eq(b2b_json_number_text(b2b_json_get(b2b_json_at(lines, 0), "qty"), NULL), "2");
	ck_assert_ptr_null(b2b_json_at(lines, 2));
	ck_assert_ptr_null(b2b_json_at(v, 0));           /* not an array */
	ck_assert_ptr_null(b2b_json_get(lines, "sku"));  /* not an object */
	ck_assert_ptr_null(b2b_json_get(v, "missing"));
	ck_assert_ptr_null(b2b_json_get(v, "line"));     /* prefix of a key */
	ck_assert_ptr_null(b2b_json_get(v, NULL));
	ck_assert_int_eq(b2b_json_typeof(b2b_json_get(v, "e")), B2B_JSON_OBJECT);
	ck_assert_uint_eq(b2b_json_size(b2b_json_get(v, "e")), 0);
	ck_assert_uint_eq(b2b_json_size(b2b_json_get(v, "a")), 0);
	ck_assert_ptr_null(b2b_json_at(b2b_json_get(v, "a"), 0));
	b2b_ctx_free(ctx);
}
END_TEST

START_TEST(test_numbers_exact)
{
	b2b_ctx *ctx = new_ctx();
	b2b_dec d, z;
	char buf[B2B_DEC_FORMAT_MAX];
	const b2b_json *v;

	ck_assert_int_eq(b2b_json_number(&d, parse_str(ctx, "0.1")), 0);
	ck_assert_int_eq(b2b_dec_cmp(d, dec_units(1, 1)), 0);
	ck_assert_int_eq(b2b_json_number(&d, parse_str(ctx, "1E2")), 0);
	ck_assert_int_eq(b2b_dec_cmp(d, dec_units(100, 0)), 0);
	ck_assert_int_eq(b2b_json_number(&d, parse_str(ctx, "1.5E3")), 0);
	ck_assert_int_eq(b2b_dec_cmp(d, dec_units(1500, 0)), 0);
	ck_assert_int_eq(b2b_json_number(&d, parse_str(ctx, "-12.345e-2")), 0);
	ck_assert_int_eq(b2b_dec_cmp(d, dec_units(-12345, 5)), 0);
	v = parse_str(ctx, "-0");
	ck_assert_str_eq(b2b_json_number_text(v, NULL), "-0");
	ck_assert_int_eq(b2b_json_number(&d, v), 0);
	ck_assert_int_eq(b2b_dec_sign(d), 0);
	/* 28 integer digits, and 28 + 9 */
	ck_assert_int_eq(b2b_json_number(&d, parse_str(ctx, "9999999999999999999999999999")), 0);
	ck_assert_int_eq(b2b_dec_format(buf, sizeof(buf), NULL, d, B2B_DEC_SCALE_EXACT,
	                                B2B_ROUND_HALF_UP), 0);
	ck_assert_str_eq(buf, "9999999999999999999999999999");
	ck_assert_int_eq(b2b_json_number(&d, parse_str(ctx, "-1234567890123456789012345678.123456789")), 0);
	ck_assert_int_eq(b2b_dec_format(buf, sizeof(buf), NULL, d, B2B_DEC_SCALE_EXACT,
	                                B2B_ROUND_HALF_UP), 0);
	ck_assert_str_eq(buf, "-1234567890123456789012345678.123456789");
	/* limits: |x| ≥ 10^28 overflows; a 10th fractional digit is precision */
	z = dec_units(7, 0);
	d = z;
	ck_assert_int_eq(b2b_json_number(&d, parse_str(ctx, "10000000000000000000000000000")),
	                 B2B_EOVERFLOW);
	ck_assert_int_eq(b2b_json_number(&d, parse_str(ctx, "1E28")), B2B_EOVERFLOW);
	ck_assert_int_eq(b2b_json_number(&d, parse_str(ctx, "1E-10")), B2B_EPRECISION);
	ck_assert_int_eq(b2b_json_number(&d, parse_str(ctx, "1.0000000000")), B2B_EPRECISION);
	ck_assert_int_eq(b2b_dec_cmp(d, z), 0);   /* untouched on error */
	ck_assert_int_eq(b2b_json_number(&d, parse_str(ctx, "1E-9")), 0);
	ck_assert_int_eq(b2b_dec_cmp(d, dec_units(1, 9)), 0);
	/* not a number */
	ck_assert_int_eq(b2b_json_number(&d, parse_str(ctx, "\"1\"")), B2B_EINVAL);
	ck_assert_int_eq(b2b_json_number(&d, NULL), B2B_EINVAL);
	ck_assert_int_eq(b2b_json_number(NULL, parse_str(ctx, "1")), B2B_EINVAL);
	b2b_ctx_free(ctx);
}
END_TEST

START_TEST(test_string_escapes)
{
	static const char expect[] = "\"\\/\b\f\n\r\tA\xC3\xA9\xE2\x82\xAC\xF0\x9D\x84\x9E"
	                             "\xF4\x8F\xBF\xBF";
	b2b_ctx *ctx = new_ctx();
	const b2b_json *v;
	const char *s;
	size_t len;

	v = parse_str(ctx, "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u0041\\u00e9\\u20AC\\uD834\\uDD1E\\udbff\\udfff\"");
	s = b2b_json_string(v, &len);
	ck_assert_uint_eq(len, sizeof(expect) - 1);
	ck_assert_mem_eq(s, expect, len);
	ck_assert_int_eq(s[len], '\0');
	/* raw UTF-8 passes through unchanged, DEL too */
	v = parse_str(ctx, "\"\xC3\xA9\xE2\x82\xAC\xF0\x9D\x84\x9E\x7F\"");
	ck_assert_str_eq(b2b_json_string(v, NULL), "\xC3\xA9\xE2\x82\xAC\xF0\x9D\x84\x9E\x7F");
	b2b_ctx_free(ctx);
}
END_TEST

START_TEST(test_string_nul)
{
	b2b_ctx *ctx = new_ctx();
	const b2b_json *v;
	const char *s;
	size_t len;

	v = parse_str(ctx, "\"a\\u0000b\"");
	s = b2b_json_string(v, &len);
	ck_assert_uint_eq(len, 3);
	ck_assert_mem_eq(s, "a\0b", 4);
	/* in a key: reachable by index, not by a C-string lookup */
	v = parse_str(ctx, "{\"k\\u0000x\":1,\"k\":2}");
	s = b2b_json_key_at(v, 0, &len);
	ck_assert_uint_eq(len, 3);
	ck_assert_mem_eq(s, "k\0x", 4);
	ck_assert_str_eq(b2b_json_number_text(b2b_json_get(v, "k"), NULL), "2");
	b2b_ctx_free(ctx);
}
END_TEST

START_TEST(test_value_locations)
{
	static const char text[] = "{\n  \"a\": [1, \"\xC3\xA9\", true],\n  \"b\": null\n}";
	b2b_ctx *ctx = new_ctx();
	const b2b_json *v, *a, *b;

	v = parse_ok(ctx, text, sizeof(text) - 1, 0);
	ck_assert_int_eq(b2b_json_offset(v), 0);
	ck_assert_int_eq(b2b_json_line(v), 1);
	ck_assert_int_eq(b2b_json_col(v), 1);
	a = b2b_json_get(v, "a");
	ck_assert_int_eq(b2b_json_offset(a), 9);
	ck_assert_int_eq(b2b_json_line(a), 2);
	ck_assert_int_eq(b2b_json_col(a), 8);
	ck_assert_int_eq(b2b_json_offset(b2b_json_at(a, 0)), 10);
	ck_assert_int_eq(b2b_json_col(b2b_json_at(a, 0)), 9);
	ck_assert_int_eq(b2b_json_offset(b2b_json_at(a, 1)), 13);
	ck_assert_int_eq(b2b_json_col(b2b_json_at(a, 1)), 12);
	/* after "é" (2 bytes, 1 code point): byte 19, column 17 */
	ck_assert_int_eq(b2b_json_offset(b2b_json_at(a, 2)), 19);
	ck_assert_int_eq(b2b_json_col(b2b_json_at(a, 2)), 17);
	b = b2b_json_get(v, "b");
	ck_assert_int_eq(b2b_json_offset(b), 33);
	ck_assert_int_eq(b2b_json_line(b), 3);
	ck_assert_int_eq(b2b_json_col(b), 8);
	/* a value after a key with multi-byte characters */
	v = parse_str(ctx, "{\"\xC3\xA9\xE2\x82\xAC\": 1}");
	ck_assert_int_eq(b2b_json_offset(b2b_json_value_at(v, 0)), 10);
	ck_assert_int_eq(b2b_json_col(b2b_json_value_at(v, 0)), 8);
	b2b_ctx_free(ctx);
}
END_TEST

START_TEST(test_text_not_referenced)
{
	/* the tree owns copies: the caller's buffer may go away */
	b2b_ctx *ctx = new_ctx();
	char *text = strdup("{\"k\":\"v\",\"n\":12}");
	const b2b_json *v = parse_ok(ctx, text, strlen(text), 0);

	memset(text, 'x', strlen(text));
	free(text);
	ck_assert_str_eq(b2b_json_key_at(v, 0, NULL), "k");
	ck_assert_str_eq(b2b_json_string(b2b_json_get(v, "k"), NULL), "v");
	ck_assert_str_eq(b2b_json_number_text(b2b_json_get(v, "n"), NULL), "12");
	b2b_ctx_free(ctx);
}
END_TEST

/*===========================================================================
 * Limits: depth, size, large objects, duplicates
 *===========================================================================*/

static char *
nested(const char *open, const char *mid, const char *close, int depth)
{
	size_t lo = strlen(open), lm = strlen(mid), lc = strlen(close);
	char *s = malloc((lo + lc) * (size_t)depth + lm + 1), *p = s;
	int i;

	ck_assert_ptr_nonnull(s);
	for (i = 0; i < depth; i++, p += lo)
		memcpy(p, open, lo);
	memcpy(p, mid, lm);
	p += lm;
	for (i = 0; i < depth; i++, p += lc)
		memcpy(p, close, lc);
	*p = '\0';
	return s;
}

START_TEST(test_depth_limit)
{
	b2b_ctx *ctx = new_ctx();
	const b2b_json *v = (const b2b_json *)&v;
	char *s;
	int i;

	s = nested("[", "", "]", 256);
	v = parse_str(ctx, s);
	for (i = 1; i < 256; i++) {
		ck_assert_uint_eq(b2b_json_size(v), 1);
		v = b2b_json_at(v, 0);
	}
	ck_assert_int_eq(b2b_json_typeof(v), B2B_JSON_ARRAY);
	ck_assert_uint_eq(b2b_json_size(v), 0);
	free(s);

	s = nested("[", "", "]", 257);
	ck_assert_int_eq(b2b_json_parse(&v, ctx, s, strlen(s), 0), B2B_EPARSE);
	ck_assert_ptr_null(v);
	ck_assert_str_eq(b2b_ctx_errmsg(ctx), "nesting deeper than 256");
	ck_assert_int_eq(b2b_ctx_erroffset(ctx), 256);
	ck_assert_int_eq(b2b_ctx_errcol(ctx), 257);
	free(s);

	s = nested("{\"a\":", "1", "}", 256);
	v = parse_str(ctx, s);
	for (i = 0; i < 256; i++)
		v = b2b_json_get(v, "a");
	ck_assert_str_eq(b2b_json_number_text(v, NULL), "1");
	free(s);
	s = nested("{\"a\":", "1", "}", 257);
	ck_assert_int_eq(b2b_json_parse(&v, ctx, s, strlen(s), 0), B2B_EPARSE);
	ck_assert_str_eq(b2b_ctx_errmsg(ctx), "nesting deeper than 256");
	ck_assert_int_eq(b2b_ctx_erroffset(ctx), 256 * 5);
	ck_assert_uint_eq(strlen(b2b_ctx_errpath(ctx)), 255);   /* a.a.a… cut */
	free(s);

	/* 100,000 deep: an error, never a stack overflow */
	s = nested("[", "", "]", 100000);
	ck_assert_int_eq(b2b_json_parse(&v, ctx, s, strlen(s), 0), B2B_EPARSE);
	free(s);
	s = nested("{\"a\":[", "", "]}", 100000);
	ck_assert_int_eq(b2b_json_parse(&v, ctx, s, strlen(s), 0), B2B_EPARSE);
	free(s);
	b2b_ctx_free(ctx);
}
END_TEST

START_TEST(test_large_array)
{
	/* spills the work stack over many segments */
	enum { N = 100000 };
	b2b_ctx *ctx = new_ctx();
	char *s = malloc(N * 8 + 16), *p = s;
	const b2b_json *v;
	char want[16];
	int i;

	ck_assert_ptr_nonnull(s);
	*p++ = '[';
	for (i = 0; i < N; i++)
		p += sprintf(p, i ? ",%d" : "%d", i);
	*p++ = ']';
	v = parse_ok(ctx, s, (size_t)(p - s), 0);
	ck_assert_uint_eq(b2b_json_size(v), N);
	for (i = 0; i < N; i += 997) {
		snprintf(want, sizeof(want), "%d", i);
		ck_assert_str_eq(b2b_json_number_text(b2b_json_at(v, (size_t)i), NULL), want);
	}
	ck_assert_str_eq(b2b_json_number_text(b2b_json_at(v, N - 1), NULL), "99999");
	free(s);
	b2b_ctx_free(ctx);
}
END_TEST

START_TEST(test_large_object_lookup)
{
	enum { N = 1000 };
	b2b_ctx *ctx = new_ctx();
	char *s = malloc(N * 32 + 16), *p = s, key[32];
	const b2b_json *v;
	int i;

	ck_assert_ptr_nonnull(s);
	*p++ = '{';
	/* keys in a scrambled order so that the index really sorts */
	for (i = 0; i < N; i++)
		p += sprintf(p, "%s\"k%d\":%d", i ? "," : "", (i * 7919) % N, i);
	*p++ = '}';
	v = parse_ok(ctx, s, (size_t)(p - s), 0);
	ck_assert_uint_eq(b2b_json_size(v), N);
	for (i = 0; i < N; i++) {
		char want[16];

		snprintf(key, sizeof(key), "k%d", (i * 7919) % N);
		snprintf(want, sizeof(want), "%d", i);
		ck_assert_str_eq(b2b_json_number_text(b2b_json_get(v, key), NULL), want);
		ck_assert_str_eq(b2b_json_key_at(v, (size_t)i, NULL), key);
	}
	ck_assert_ptr_null(b2b_json_get(v, "k1000"));
	ck_assert_ptr_null(b2b_json_get(v, ""));
	ck_assert_ptr_null(b2b_json_get(v, "k"));
	ck_assert_ptr_null(b2b_json_get(v, "zzz"));
	free(s);
	b2b_ctx_free(ctx);
}
END_TEST

START_TEST(test_duplicate_keys)
{
	static const char text[] = "{\"a\":1,\"b\":{\"x\":1,\n \"x\":2}}";
	b2b_ctx *ctx = new_ctx();
	const b2b_json *v = NULL;
	char big[1024], *p;
	int i;

	ck_assert_int_eq(b2b_json_parse(&v, ctx, text, sizeof(text) - 1, 0), B2B_EPARSE);
	ck_assert_str_eq(b2b_ctx_errmsg(ctx), "duplicate key \"x\"");
	ck_assert_str_eq(b2b_ctx_errpath(ctx), "b.x");
	ck_assert_int_eq(b2b_ctx_erroffset(ctx), 20);
	ck_assert_int_eq(b2b_ctx_errline(ctx), 2);
	ck_assert_int_eq(b2b_ctx_errcol(ctx), 2);
	/* allowed: both kept, the first wins */
	v = parse_ok(ctx, text, sizeof(text) - 1, B2B_JSON_ALLOW_DUPLICATES);
	v = b2b_json_get(v, "b");
	ck_assert_uint_eq(b2b_json_size(v), 2);
	ck_assert_str_eq(b2b_json_number_text(b2b_json_get(v, "x"), NULL), "1");
	ck_assert_str_eq(b2b_json_number_text(b2b_json_value_at(v, 1), NULL), "2");

	/* a large object (sorted index): the first duplicate in document
	 * order is reported, here the second "k7" rather than the later "k3" */
	p = big;
	p += sprintf(p, "[{");
	for (i = 0; i < 30; i++)
		p += sprintf(p, "\"k%d\":%d,", i, i);
	p += sprintf(p, "\"k7\":\"again\",\"k3\":0,\"z\":1}]");
	ck_assert_int_eq(b2b_json_parse(&v, ctx, big, strlen(big), 0), B2B_EPARSE);
	ck_assert_str_eq(b2b_ctx_errmsg(ctx), "duplicate key \"k7\"");
	ck_assert_str_eq(b2b_ctx_errpath(ctx), "[0].k7");
	ck_assert_int_eq(b2b_ctx_erroffset(ctx), strstr(big, "\"k7\":\"again\"") - big);
	v = parse_ok(ctx, big, strlen(big), B2B_JSON_ALLOW_DUPLICATES);
	v = b2b_json_at(v, 0);
	ck_assert_uint_eq(b2b_json_size(v), 33);
	ck_assert_str_eq(b2b_json_number_text(b2b_json_get(v, "k7"), NULL), "7");
	ck_assert_str_eq(b2b_json_number_text(b2b_json_get(v, "k3"), NULL), "3");
	ck_assert_str_eq(b2b_json_number_text(b2b_json_get(v, "z"), NULL), "1");

	/* detected at the close: a later syntax error wins */
	ck_assert_int_eq(b2b_json_parse(&v, ctx, "{\"a\":1,\"a\":2,}", 14, 0), B2B_EPARSE);
	ck_assert_str_eq(b2b_ctx_errmsg(ctx), "expected a string key after ',', found '}'");
	/* a key with odd bytes is escaped in the message and path */
	ck_assert_int_eq(b2b_json_parse(&v, ctx, "{\"a\\\"b\":1,\"a\\\"b\":2}", 19, 0), B2B_EPARSE);
	ck_assert_str_eq(b2b_ctx_errmsg(ctx), "duplicate key \"a\\\"b\"");
	ck_assert_str_eq(b2b_ctx_errpath(ctx), "[\"a\\\"b\"]");
	b2b_ctx_free(ctx);
}
END_TEST

/*===========================================================================
 * Errors: table of malformed texts with message, path and location
 *===========================================================================*/

static const struct err_case {
	const char *text;
	size_t len;         /* 0 = strlen */
	const char *msg;
	const char *path;
	long line, col, offset;
} err_cases[] = {
	{ "{\"lines\":[{\"sku\":1,}]}", 0, "expected a string key after ',', found '}'",
	  "lines[0]", 1, 20, 19 },
	{ "", 0, "expected a value, found end of input", "$", 1, 1, 0 },
	{ "   ", 0, "expected a value, found end of input", "$", 1, 4, 3 },
	{ "[1,2,]", 0, "expected a value, found ']'", "[2]", 1, 6, 5 },
	{ "{\"a\": tru}", 0, "invalid literal: expected 'true'", "a", 1, 7, 6 },
	{ "{\"a\" 1}", 0, "expected ':' after an object key, found '1'", "a", 1, 6, 5 },
	{ "[1 2]", 0, "expected ',' or ']' after an array element, found '2'", "$", 1, 4, 3 },
	{ "{\"a\":1 \"b\":2}", 0, "expected ',' or '}' after an object member, found '\"'",
	  "$", 1, 8, 7 },
	{ "{\"a\":1", 0, "expected ',' or '}' after an object member, found end of input",
	  "$", 1, 7, 6 },
	{ "[1,2", 0, "expected ',' or ']' after an array element, found end of input",
	  "$", 1, 5, 4 },
	{ "{", 0, "expected a string key or '}', found end of input", "$", 1, 2, 1 },
	{ "{1:2}", 0, "expected a string key or '}', found '1'", "$", 1, 2, 1 },
	{ "\"abc", 0, "unterminated string", "$", 1, 1, 0 },
	{ "{\"ab", 0, "unterminated string", "$", 1, 2, 1 },
	{ "[\"\xC0\x80\"]", 0, "invalid UTF-8 byte 0xC0", "[0]", 1, 3, 2 },
	{ "[\"\x80\"]", 0, "invalid UTF-8 byte 0x80", "[0]", 1, 3, 2 },
	{ "{\"a\":\"\xED\xA0\x80\"}", 0, "invalid UTF-8 sequence: byte 0xA0 after 0xED",
	  "a", 1, 8, 7 },
	{ "[\"\xE0\x80\xAF\"]", 0, "invalid UTF-8 sequence: byte 0x80 after 0xE0",
	  "[0]", 1, 4, 3 },
	{ "[\"\xF0\x80\x80\xAF\"]", 0, "invalid UTF-8 sequence: byte 0x80 after 0xF0",
	  "[0]", 1, 4, 3 },
	{ "[\"\xF5\x80\x80\x80\"]", 0, "invalid UTF-8 byte 0xF5", "[0]", 1, 3, 2 },
	{ "[\"\xF4\x90\x80\x80\"]", 0, "invalid UTF-8 sequence: byte 0x90 after 0xF4",
	  "[0]", 1, 4, 3 },
	{ "[\"\xE2\x82\"]", 0, "invalid UTF-8 sequence: byte 0x22 after 0x82", "[0]", 1, 4, 4 },
	{ "\"\xE2\x82", 0, "invalid UTF-8: sequence starting with byte 0xE2 is truncated",
	  "$", 1, 2, 1 },
	{ "[\"\\uD800\"]", 0,
	  "lone high surrogate \\uD800: expected a \\uDC00-\\uDFFF escape to follow", "[0]", 1, 3, 2 },
	{ "[\"\\uD800\\u0041\"]", 0,
	  "lone high surrogate \\uD800: expected a \\uDC00-\\uDFFF escape to follow", "[0]", 1, 3, 2 },
	{ "[\"\\uDC00x\"]", 0, "lone low surrogate \\uDC00", "[0]", 1, 3, 2 },
	{ "{\"\\uDFAA\":0}", 0, "lone low surrogate \\uDFAA", "$", 1, 3, 2 },
	{ "[\"\\u12G4\"]", 0, "invalid \\u escape: expected 4 hex digits, found 'G'", "[0]", 1, 7, 6 },
	{ "[\"\\u12", 0, "invalid \\u escape: expected 4 hex digits, found end of input",
	  "[0]", 1, 7, 6 },
	{ "[\"a\\qb\"]", 0, "invalid escape '\\' followed by 'q'", "[0]", 1, 4, 3 },
	{ "[\"a\tb\"]", 0, "control character 0x09 must be escaped in a string", "[0]", 1, 4, 3 },
	{ "01", 0, "leading zeros are not allowed in a number", "$", 1, 2, 1 },
	{ "-", 0, "expected a digit after '-', found end of input", "$", 1, 2, 1 },
	{ "[-x]", 0, "expected a digit after '-', found 'x'", "[0]", 1, 3, 2 },
	{ "1.", 0, "expected a digit after the decimal point, found end of input", "$", 1, 3, 2 },
	{ "1e+", 0, "expected a digit in the exponent, found end of input", "$", 1, 4, 3 },
	{ "[.5]", 0, "expected a value, found '.'", "[0]", 1, 2, 1 },
	{ "{\"a\":1} x", 0, "expected the end of input after the JSON value, found 'x'",
	  "$", 1, 9, 8 },
	{ "nul", 0, "invalid literal: expected 'null'", "$", 1, 1, 0 },
	{ "\xEF\xBB\xBF{}", 0, "a UTF-8 byte order mark is not allowed", "$", 1, 1, 0 },
	{ "\xFF\xFE[\0", 4, "UTF-16 byte order mark: only UTF-8 text is accepted", "$", 1, 1, 0 },
	{ "[\0\"\0", 4, "NUL byte: UTF-16 or UTF-32 text? only UTF-8 text is accepted",
	  "$", 1, 2, 1 },
	{ "{\n  \"a\": [1,\n    2,,\n  ]\n}", 0, "expected a value, found ','", "a[2]", 3, 7, 19 },
	{ "[\r\n1,\r\nx]", 0, "expected a value, found 'x'", "[1]", 3, 1, 7 },
	{ "[\r1,\rx]", 0, "expected a value, found 'x'", "[1]", 3, 1, 5 },
	{ "{\"\xC3\xA9\xE2\x82\xAC\": [tru]}", 0, "invalid literal: expected 'true'",
	  "[\"\xC3\xA9\xE2\x82\xAC\"][0]", 1, 9, 11 },
	{ "{\"a b\":{\"c\\\"d\":[}]}}", 0, "expected a value, found '}'",
	  "[\"a b\"][\"c\\\"d\"][0]", 1, 17, 16 },
	{ "{\"x\":{\"lines\":[{},{\"qty\":-}]}}", 0, "expected a digit after '-', found '}'",
	  "x.lines[1].qty", 1, 27, 26 },
	{ "[1,,2]", 0, "expected a value, found ','", "[1]", 1, 4, 3 },
	{ "[1]]", 0, "expected the end of input after the JSON value, found ']'", "$", 1, 4, 3 },
	{ "'a'", 0, "expected a value, found '''", "$", 1, 1, 0 },
	{ "[\"\xC3\xA9\" \x01]", 0, "expected ',' or ']' after an array element, found byte 0x01",
	  "$", 1, 6, 6 },
};

START_TEST(test_error_table)
{
	const struct err_case *c = &err_cases[_i];
	size_t len = c->len ? c->len : strlen(c->text);
	b2b_ctx *ctx = new_ctx();
	const b2b_json *v = (const b2b_json *)ctx;
	int rc = b2b_json_parse(&v, ctx, c->text, len, 0);

	ck_assert_msg(rc == B2B_EPARSE, "case %d: rc %d", _i, rc);
	ck_assert_ptr_null(v);
	ck_assert_int_eq(b2b_ctx_errcode(ctx), B2B_EPARSE);
	ck_assert_str_eq(b2b_ctx_errmsg(ctx), c->msg);
	ck_assert_str_eq(b2b_ctx_errpath(ctx), c->path);
	ck_assert_msg(b2b_ctx_errline(ctx) == c->line && b2b_ctx_errcol(ctx) == c->col &&
	              b2b_ctx_erroffset(ctx) == c->offset,
	              "case %d: at %ld:%ld offset %ld, expected %ld:%ld offset %ld", _i,
	              b2b_ctx_errline(ctx), b2b_ctx_errcol(ctx), b2b_ctx_erroffset(ctx),
	              c->line, c->col, c->offset);
	ck_assert_str_eq(b2b_ctx_errfile(ctx), "");
	b2b_ctx_free(ctx);
}
END_TEST

START_TEST(test_invalid_arguments)
{
	b2b_ctx *ctx = new_ctx();
	const b2b_json *v = (const b2b_json *)ctx;

	ck_assert_int_eq(b2b_json_parse(&v, ctx, "1", 1, 0x2), B2B_EINVAL);
	ck_assert_ptr_null(v);
	ck_assert_int_eq(b2b_ctx_errcode(ctx), B2B_EINVAL);
	ck_assert_int_eq(b2b_json_parse(NULL, ctx, "1", 1, 0), B2B_EINVAL);
	ck_assert_int_eq(b2b_json_parse(&v, NULL, "1", 1, 0), B2B_EINVAL);
	ck_assert_int_eq(b2b_json_parse(&v, ctx, NULL, 1, 0), B2B_EINVAL);
	/* NULL with length 0 is an empty text: no value */
	ck_assert_int_eq(b2b_json_parse(&v, ctx, NULL, 0, 0), B2B_EPARSE);
	/* the length is honoured: no NUL terminator needed, bytes after ignored */
	ck_assert_str_eq(b2b_json_number_text(parse_ok(ctx, "123]garbage", 3, 0), NULL), "123");
	b2b_ctx_free(ctx);
}
END_TEST

START_TEST(test_no_grow_arena)
{
	b2b_ctx_options o = B2B_CTX_OPTIONS_INIT;
	b2b_ctx *ctx;
	const b2b_json *v;
	char text[4096], *p = text;
	int i;

	o.arena_initial = 1024;
	o.flags = B2B_CTX_NO_GROW;
	ck_assert_int_eq(b2b_ctx_new(&ctx, &o), 0);
	ck_assert_int_eq(b2b_json_parse(&v, ctx, "{\"a\":[1,2,3]}", 13, 0), 0);
	p += sprintf(p, "[");
	for (i = 0; i < 200; i++)
		p += sprintf(p, "%s\"s%d\"", i ? "," : "", i);
	p += sprintf(p, "]");
	ck_assert_int_eq(b2b_json_parse(&v, ctx, text, (size_t)(p - text), 0), B2B_ENOMEM);
	ck_assert_ptr_null(v);
	ck_assert_int_eq(b2b_ctx_errcode(ctx), B2B_ENOMEM);
	b2b_ctx_free(ctx);
}
END_TEST

/*===========================================================================
 * Writer
 *===========================================================================*/

START_TEST(test_writer_exact)
{
	static const char expect[] =
		"{\n"
		"  \"quote_id\": \"Q-1\",\n"
		"  \"lines\": [\n"
		"    {\n"
		"      \"sku\": \"A1\",\n"
		"      \"qty\": 3,\n"
		"      \"price\": \"12.50\",\n"
		"      \"exact\": \"12.5\"\n"
		"    },\n"
		"    {}\n"
		"  ],\n"
		"  \"empty\": [],\n"
		"  \"ok\": true,\n"
		"  \"no\": false,\n"
		"  \"none\": null,\n"
		"  \"channel\": null,\n"
		"  \"min\": -9223372036854775808,\n"
		"  \"tiny\": \"0.00\",\n"
		"  \"raw\": 1E2\n"
		"}\n";
	b2b_ctx *ctx = new_ctx();
	b2b__jw w;
	const char *doc;
	size_t len;

	b2b__jw_init(&w, NULL);
	ck_assert_int_eq(b2b__jw_begin_object(&w), 0);
	ck_assert_int_eq(b2b__jw_key(&w, "quote_id"), 0);
	ck_assert_int_eq(b2b__jw_cstr(&w, "Q-1"), 0);
	ck_assert_int_eq(b2b__jw_key(&w, "lines"), 0);
	ck_assert_int_eq(b2b__jw_begin_array(&w), 0);
	ck_assert_int_eq(b2b__jw_begin_object(&w), 0);
	ck_assert_int_eq(b2b__jw_key(&w, "sku"), 0);
	ck_assert_int_eq(b2b__jw_string(&w, "A1xx", 2), 0);
	ck_assert_int_eq(b2b__jw_key(&w, "qty"), 0);
	ck_assert_int_eq(b2b__jw_int(&w, 3), 0);
	ck_assert_int_eq(b2b__jw_key(&w, "price"), 0);
	ck_assert_int_eq(b2b__jw_dec(&w, dec_units(125, 1), 2, B2B_ROUND_HALF_UP), 0);
	ck_assert_int_eq(b2b__jw_key(&w, "exact"), 0);
	ck_assert_int_eq(b2b__jw_dec(&w, dec_units(12500, 3), B2B_DEC_SCALE_EXACT,
	                             B2B_ROUND_HALF_UP), 0);
	ck_assert_int_eq(b2b__jw_end_object(&w), 0);
	ck_assert_int_eq(b2b__jw_begin_object(&w), 0);
	ck_assert_int_eq(b2b__jw_end_object(&w), 0);
	ck_assert_int_eq(b2b__jw_end_array(&w), 0);
	ck_assert_int_eq(b2b__jw_key(&w, "empty"), 0);
	ck_assert_int_eq(b2b__jw_begin_array(&w), 0);
	ck_assert_int_eq(b2b__jw_end_array(&w), 0);
	ck_assert_int_eq(b2b__jw_key(&w, "ok"), 0);
	ck_assert_int_eq(b2b__jw_bool(&w, 7), 0);
	ck_assert_int_eq(b2b__jw_key(&w, "no"), 0);
	ck_assert_int_eq(b2b__jw_bool(&w, 0), 0);
	ck_assert_int_eq(b2b__jw_key(&w, "none"), 0);
	ck_assert_int_eq(b2b__jw_null(&w), 0);
	ck_assert_int_eq(b2b__jw_key(&w, "channel"), 0);
	ck_assert_int_eq(b2b__jw_cstr(&w, NULL), 0);
	ck_assert_int_eq(b2b__jw_key(&w, "min"), 0);
	ck_assert_int_eq(b2b__jw_int(&w, INT64_MIN), 0);
	ck_assert_int_eq(b2b__jw_key(&w, "tiny"), 0);
	ck_assert_int_eq(b2b__jw_dec(&w, dec_units(-4, 3), 2, B2B_ROUND_HALF_UP), 0);
	ck_assert_int_eq(b2b__jw_key(&w, "raw"), 0);
	ck_assert_int_eq(b2b__jw_raw(&w, "1E2", 3), 0);
	ck_assert_int_eq(b2b__jw_end_object(&w), 0);
	ck_assert_int_eq(b2b__jw_finish(&w, ctx, &doc, &len), 0);
	ck_assert_str_eq(doc, expect);
	ck_assert_uint_eq(len, sizeof(expect) - 1);
	b2b__jw_dispose(&w);   /* harmless after finish */

	/* a scalar root, and an empty root container */
	b2b__jw_init(&w, NULL);
	b2b__jw_cstr(&w, "x");
	ck_assert_int_eq(b2b__jw_finish(&w, ctx, &doc, NULL), 0);
	ck_assert_str_eq(doc, "\"x\"\n");
	b2b__jw_init(&w, NULL);
	b2b__jw_begin_array(&w);
	b2b__jw_end_array(&w);
	ck_assert_int_eq(b2b__jw_finish(&w, ctx, &doc, &len), 0);
	ck_assert_str_eq(doc, "[]\n");
	ck_assert_uint_eq(len, 3);
	b2b_ctx_free(ctx);
}
END_TEST

START_TEST(test_writer_escaping)
{
	static const char in[] = "a\"b\\c/\n\r\t\b\f\x01\x1f\x7f \xC3\xA9\xF0\x9D\x84\x9E";
	static const char expect[] = "[\n  \"a\\\"b\\\\c/\\n\\r\\t\\b\\f\\u0001\\u001f\x7f "
	                             "\xC3\xA9\xF0\x9D\x84\x9E\\u0000\",\n  \"\"\n]\n";
	b2b_ctx *ctx = new_ctx();
	b2b__jw w;
	const char *doc;
	char buf[64];
	const b2b_json *v;
	size_t len;

	memcpy(buf, in, sizeof(in));   /* includes the NUL, written as \u0000 */
	b2b__jw_init(&w, NULL);
	b2b__jw_begin_array(&w);
	ck_assert_int_eq(b2b__jw_string(&w, buf, sizeof(in)), 0);
	ck_assert_int_eq(b2b__jw_string(&w, NULL, 0), 0);
	b2b__jw_end_array(&w);
	ck_assert_int_eq(b2b__jw_finish(&w, ctx, &doc, &len), 0);
	ck_assert_str_eq(doc, expect);
	/* and it reads back to the same bytes */
	v = parse_ok(ctx, doc, len, 0);
	ck_assert_mem_eq(b2b_json_string(b2b_json_at(v, 0), &len), in, sizeof(in));
	ck_assert_uint_eq(len, sizeof(in));
	/* keys are escaped the same way */
	b2b__jw_init(&w, NULL);
	b2b__jw_begin_object(&w);
	b2b__jw_keyn(&w, "k\"\0", 3);
	b2b__jw_int(&w, -1);
	b2b__jw_end_object(&w);
	ck_assert_int_eq(b2b__jw_finish(&w, ctx, &doc, &len), 0);
	ck_assert_str_eq(doc, "{\n  \"k\\\"\\u0000\": -1\n}\n");
	b2b_ctx_free(ctx);
}
END_TEST

/* One misuse per row; every later call must return the same code. */
enum { M_VALUE_NO_KEY, M_KEY_IN_ARRAY, M_KEY_AT_ROOT, M_TWO_KEYS, M_END_WRONG,
       M_END_EXTRA, M_KEY_NO_VALUE, M_UNCLOSED, M_EMPTY, M_TWO_ROOTS, M_BAD_SCALE,
       M_OVERFLOW_ROUND, M_NULL_STRING, M_TOO_DEEP, M_NULL_KEY, M_NULL_KEYN, M_NULL_RAW,
       M_COUNT };

START_TEST(test_writer_sticky_errors)
{
	b2b_ctx *ctx = new_ctx();
	b2b__jw w;
	const char *doc = "x";
	size_t len = 9;
	int rc = 0, want = B2B_EMISUSE, i;
	b2b_dec big;

	ck_assert_int_eq(b2b_dec_parse(&big, NULL, "9999999999999999999999999999.999", 32, 0), 0);
	b2b__jw_init(&w, NULL);
	switch (_i) {
	case M_VALUE_NO_KEY:
		b2b__jw_begin_object(&w);
		rc = b2b__jw_int(&w, 1);
		break;
	case M_KEY_IN_ARRAY:
		b2b__jw_begin_array(&w);
		rc = b2b__jw_key(&w, "a");
		break;
	case M_KEY_AT_ROOT:
		rc = b2b__jw_key(&w, "a");
		break;
	case M_TWO_KEYS:
		b2b__jw_begin_object(&w);
		b2b__jw_key(&w, "a");
		rc = b2b__jw_key(&w, "b");
		break;
	case M_END_WRONG:
		b2b__jw_begin_object(&w);
		rc = b2b__jw_end_array(&w);
		break;
	case M_END_EXTRA:
		b2b__jw_begin_array(&w);
		b2b__jw_end_array(&w);
		rc = b2b__jw_end_array(&w);
		break;
	case M_KEY_NO_VALUE:
		b2b__jw_begin_object(&w);
		b2b__jw_key(&w, "a");
		rc = b2b__jw_end_object(&w);
		break;
	case M_UNCLOSED:
		b2b__jw_begin_array(&w);
		rc = b2b__jw_begin_object(&w);
		ck_assert_int_eq(rc, 0);
		rc = B2B_EMISUSE;   /* found by finish */
		break;
	case M_EMPTY:
		rc = B2B_EMISUSE;
		break;
	case M_TWO_ROOTS:
		b2b__jw_null(&w);
		rc = b2b__jw_null(&w);
		break;
	case M_BAD_SCALE:
		b2b__jw_begin_array(&w);
		rc = b2b__jw_dec(&w, dec_units(1, 0), 10, B2B_ROUND_HALF_UP);
		want = B2B_EINVAL;
		break;
	case M_OVERFLOW_ROUND:
		b2b__jw_begin_array(&w);
		rc = b2b__jw_dec(&w, big, 2, B2B_ROUND_HALF_UP);
		want = B2B_EOVERFLOW;
		break;
	case M_NULL_STRING:
		b2b__jw_begin_array(&w);
		rc = b2b__jw_string(&w, NULL, 3);
		want = B2B_EINVAL;
		break;
	case M_TOO_DEEP:
		for (i = 0; i < B2B__JW_MAX_DEPTH; i++)
			ck_assert_int_eq(b2b__jw_begin_array(&w), 0);
		rc = b2b__jw_begin_array(&w);
		break;
	case M_NULL_KEY:
		b2b__jw_begin_object(&w);
		rc = b2b__jw_key(&w, NULL);
		want = B2B_EINVAL;
		break;
	case M_NULL_KEYN:
		b2b__jw_begin_object(&w);
		rc = b2b__jw_keyn(&w, NULL, 3);
		want = B2B_EINVAL;
		break;
	case M_NULL_RAW:
		b2b__jw_begin_array(&w);
		rc = b2b__jw_raw(&w, NULL, 3);
		want = B2B_EINVAL;
		break;
	}
	ck_assert_int_eq(rc, want);
	if (_i != M_UNCLOSED && _i != M_EMPTY) {
		/* sticky: later calls are no-ops returning the first error */
		ck_assert_int_eq(b2b__jw_begin_array(&w), want);
		ck_assert_int_eq(b2b__jw_cstr(&w, "x"), want);
		ck_assert_int_eq(b2b__jw_end_array(&w), want);
		ck_assert_int_eq(b2b__jw_key(&w, "k"), want);
		ck_assert_int_eq(b2b__jw_dec(&w, dec_units(1, 0), 2, B2B_ROUND_HALF_UP), want);
	}
	ck_assert_int_eq(b2b__jw_finish(&w, ctx, &doc, &len), want);
	ck_assert_ptr_null(doc);
	ck_assert_uint_eq(len, 0);
	ck_assert_int_eq(b2b_ctx_errcode(ctx), want);
	ck_assert_ptr_nonnull(strstr(b2b_ctx_errmsg(ctx), "JSON writer: "));
	ck_assert_ptr_null(w.buf);
	b2b__jw_dispose(&w);
	b2b_ctx_free(ctx);
}
END_TEST

START_TEST(test_writer_finish_twice)
{
	b2b_ctx *ctx = new_ctx();
	b2b__jw w;
	const char *doc;

	b2b__jw_init(&w, NULL);
	b2b__jw_int(&w, 5);
	ck_assert_int_eq(b2b__jw_finish(&w, ctx, &doc, NULL), 0);
	ck_assert_str_eq(doc, "5\n");
	ck_assert_int_eq(b2b__jw_int(&w, 5), B2B_EMISUSE);
	ck_assert_int_eq(b2b__jw_finish(&w, ctx, &doc, NULL), B2B_EMISUSE);
	ck_assert_ptr_null(doc);
	/* every call after finish is refused, the first with its reason */
	b2b__jw_init(&w, NULL);
	b2b__jw_int(&w, 5);
	ck_assert_int_eq(b2b__jw_finish(&w, ctx, &doc, NULL), 0);
	ck_assert_int_eq(b2b__jw_end_array(&w), B2B_EMISUSE);
	ck_assert_int_eq(b2b__jw_key(&w, "k"), B2B_EMISUSE);
	ck_assert_int_eq(b2b__jw_finish(&w, ctx, &doc, NULL), B2B_EMISUSE);
	ck_assert_str_eq(b2b_ctx_errmsg(ctx), "JSON writer: call after finish");
	b2b__jw_init(&w, NULL);
	b2b__jw_begin_object(&w);
	b2b__jw_end_object(&w);
	ck_assert_int_eq(b2b__jw_finish(&w, ctx, &doc, NULL), 0);
	ck_assert_int_eq(b2b__jw_keyn(&w, "k", 1), B2B_EMISUSE);
	b2b__jw_dispose(&w);
	/* finish without somewhere to put the text */
	b2b__jw_init(&w, NULL);
	b2b__jw_int(&w, 5);
	ck_assert_int_eq(b2b__jw_finish(&w, ctx, NULL, NULL), B2B_EINVAL);
	ck_assert_str_eq(b2b_ctx_errmsg(ctx), "JSON writer: NULL argument to finish");
	b2b__jw_dispose(&w);
	b2b_ctx_free(ctx);
}
END_TEST

static int
writer_body(const b2b_allocator *a, void *ud)
{
	b2b_ctx_options o = B2B_CTX_OPTIONS_INIT;
	b2b_ctx *ctx = NULL;
	b2b__jw w;
	const char *doc;
	size_t len;
	int rc, i;

	(void)ud;
	o.allocator = a;
	o.arena_initial = 512;
	if ((rc = b2b_ctx_new(&ctx, &o)) < 0)
		return rc;
	b2b__jw_init(&w, a);
	b2b__jw_begin_object(&w);
	b2b__jw_key(&w, "lines");
	b2b__jw_begin_array(&w);
	for (i = 0; i < 100; i++) {
		b2b__jw_begin_object(&w);
		b2b__jw_key(&w, "sku");
		b2b__jw_cstr(&w, "SKU-with-a-long-name");
		b2b__jw_key(&w, "qty");
		b2b__jw_int(&w, i);
		b2b__jw_end_object(&w);
	}
	b2b__jw_end_array(&w);
	b2b__jw_end_object(&w);
	rc = b2b__jw_finish(&w, ctx, &doc, &len);
	if (rc == 0 && (len < 4000 || doc[len - 1] != '\n'))
		rc = B2B_ERROR;
	b2b_ctx_free(ctx);
	return rc;
}

START_TEST(test_writer_oom_loop)
{
	long n = failalloc_loop(writer_body, NULL, 1000);

	printf("writer OOM loop: %ld iterations\n", n);
	ck_assert_int_gt(n, 5);
}
END_TEST

/*===========================================================================
 * Round trips: random trees, parse → write → parse
 *===========================================================================*/

static uint64_t
rnd(uint64_t *s)
{
	/* xorshift64*: deterministic, seeded per tree */
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ull;
}

static size_t
rnd_string(uint64_t *s, char *buf, size_t max)
{
	static const char *const pieces[] = {
		"a", "Z", "9", " ", "\"", "\\", "/", "\n", "\t", "\x01", "\x1f", "\x7f",
		"\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9D\x84\x9E", "\xEF\xBF\xBE", "sku", "-",
	};
	size_t n = (size_t)(rnd(s) % 12), len = 0, i;

	for (i = 0; i < n; i++) {
		const char *p;
		size_t k;

		if (rnd(s) % 20 == 0) {
			p = "\0";
			k = 1;
		} else {
			p = pieces[rnd(s) % (sizeof(pieces) / sizeof(pieces[0]))];
			k = strlen(p);
		}
		if (len + k > max)
			break;
		memcpy(buf + len, p, k);
		len += k;
	}
	return len;
}

static size_t
rnd_number(uint64_t *s, char *buf)
{
	char *p = buf;
	int i, n;

	if (rnd(s) % 2)
		*p++ = '-';
	if (rnd(s) % 4 == 0) {
		*p++ = '0';
	} else {
		*p++ = (char)('1' + rnd(s) % 9);
		for (i = 0, n = (int)(rnd(s) % 30); i < n; i++)
			*p++ = (char)('0' + rnd(s) % 10);
	}
	if (rnd(s) % 2) {
		*p++ = '.';
		for (i = 0, n = 1 + (int)(rnd(s) % 12); i < n; i++)
			*p++ = (char)('0' + rnd(s) % 10);
	}
	if (rnd(s) % 3 == 0) {
		*p++ = rnd(s) % 2 ? 'e' : 'E';
		if (rnd(s) % 2)
			*p++ = rnd(s) % 2 ? '+' : '-';
		for (i = 0, n = 1 + (int)(rnd(s) % 4); i < n; i++)
			*p++ = (char)('0' + rnd(s) % 10);
	}
	return (size_t)(p - buf);
}

static void
gen(b2b__jw *w, uint64_t *s, int depth)
{
	char buf[128];
	unsigned kind = (unsigned)(rnd(s) % (depth < 6 ? 8 : 5));
	size_t i, n;

	switch (kind) {
	case 0: b2b__jw_null(w); break;
	case 1: b2b__jw_bool(w, (int)(rnd(s) % 2)); break;
	case 2: b2b__jw_raw(w, buf, rnd_number(s, buf)); break;
	case 3: case 4: b2b__jw_string(w, buf, rnd_string(s, buf, 100)); break;
	case 5:
		b2b__jw_begin_array(w);
		for (i = 0, n = (size_t)(rnd(s) % 6); i < n; i++)
			gen(w, s, depth + 1);
		b2b__jw_end_array(w);
		break;
	default:
		/* sometimes more than 16 members, for the sorted index */
		n = (size_t)(rnd(s) % (rnd(s) % 4 == 0 ? 40 : 6));
		b2b__jw_begin_object(w);
		for (i = 0; i < n; i++) {
			size_t k = rnd_string(s, buf, 60);

			k += (size_t)sprintf(buf + k, "#%zu", i);   /* unique keys */
			b2b__jw_keyn(w, buf, k);
			gen(w, s, depth + 1);
		}
		b2b__jw_end_object(w);
		break;
	}
}

START_TEST(test_random_round_trips)
{
	b2b_ctx *ctx = new_ctx();
	int t;

	for (t = 0; t < 300; t++) {
		uint64_t seed = 0x9E3779B97F4A7C15ull * (uint64_t)(t + 1);
		const char *doc1, *doc2;
		size_t len1, len2, i, n;
		const b2b_json *v1, *v2;
		b2b__jw w;

		b2b__jw_init(&w, NULL);
		gen(&w, &seed, 0);
		ck_assert_int_eq(b2b__jw_finish(&w, ctx, &doc1, &len1), 0);
		v1 = parse_ok(ctx, doc1, len1, 0);
		b2b__jw_init(&w, NULL);
		write_tree(&w, v1);
		ck_assert_int_eq(b2b__jw_finish(&w, ctx, &doc2, &len2), 0);
		/* canonical: writing the parsed tree gives the same bytes */
		ck_assert_uint_eq(len1, len2);
		ck_assert_mem_eq(doc1, doc2, len1);
		v2 = parse_ok(ctx, doc2, len2, 0);
		ck_assert(tree_eq(v1, v2));
		/* lookups find every member of every top-level object */
		if (b2b_json_typeof(v1) == B2B_JSON_OBJECT) {
			for (i = 0, n = b2b_json_size(v1); i < n; i++) {
				size_t kl;
				const char *k = b2b_json_key_at(v1, i, &kl);

				if (strlen(k) == kl)
					ck_assert_ptr_eq(b2b_json_get(v1, k), b2b_json_value_at(v1, i));
			}
		}
		b2b_ctx_reset(ctx);
	}
	b2b_ctx_free(ctx);
}
END_TEST

/*===========================================================================
 * OOM: a medium document with a small arena that must grow
 *===========================================================================*/

static char *
medium_doc(size_t *len)
{
	char *s = malloc(64 * 1024), *p = s;
	int i, j;

	ck_assert_ptr_nonnull(s);
	p += sprintf(p, "{\"quote_id\":\"Q-2024-0001\",\"customer\":\"C-17\",\"as_of\":\"2024-03-01\","
	                "\"codes\":[\"SPRING\",\"VIP\"],\"explain\":true,\"lines\":[");
	for (i = 0; i < 80; i++)
		p += sprintf(p, "%s{\"sku\":\"SKU-%04d\",\"qty\":\"%d.5\",\"note\":\"caf\\u00e9 "
		                "\\uD834\\uDD1E long text long text long text\"}", i ? "," : "",
		             i, i);
	p += sprintf(p, "],\"wide\":{");
	for (j = 0; j < 40; j++)
		p += sprintf(p, "%s\"f%d\":[%d,null,false]", j ? "," : "", j, j);
	p += sprintf(p, "}}");
	*len = (size_t)(p - s);
	return s;
}

struct oom_doc {
	const char *text;
	size_t len;
};

static int
parse_body(const b2b_allocator *a, void *ud)
{
	const struct oom_doc *d = ud;
	b2b_ctx_options o = B2B_CTX_OPTIONS_INIT;
	b2b_ctx *ctx = NULL;
	const b2b_json *v = (const b2b_json *)d;
	int rc;

	o.allocator = a;
	o.arena_initial = 256;
	if ((rc = b2b_ctx_new(&ctx, &o)) < 0)
		return rc;
	rc = b2b_json_parse(&v, ctx, d->text, d->len, 0);
	if (rc < 0 && (v != NULL || b2b_ctx_errcode(ctx) != rc))
		rc = B2B_ERROR;
	if (rc == 0 && (b2b_json_size(b2b_json_get(v, "lines")) != 80 ||
	                b2b_json_size(b2b_json_get(v, "wide")) != 40))
		rc = B2B_ERROR;
	b2b_ctx_free(ctx);
	return rc;
}

START_TEST(test_parse_oom_loop)
{
	struct oom_doc d;
	char *s = medium_doc(&d.len);
	long n;

	d.text = s;
	/* ctx_new, then every arena chunk the parse needs */
	n = failalloc_loop(parse_body, &d, 1000);
	printf("parse OOM loop: %ld iterations (%zu-byte document)\n", n, d.len);
	ck_assert_int_gt(n, 5);
	free(s);
}
END_TEST

/*===========================================================================
 * Conformance: JSONTestSuite test_parsing (y_ / n_ / i_)
 *===========================================================================*/

/* The i_ decisions of json.h: accept, and what reading the number gives. */
static const struct i_case {
	const char *name;
	int accept;
	int number_rc;
} i_cases[] = {
	{ "i_number_double_huge_neg_exp.json", 1, B2B_EPRECISION },
	{ "i_number_huge_exp.json", 1, B2B_EOVERFLOW },
	{ "i_number_neg_int_huge_exp.json", 1, B2B_EOVERFLOW },
	{ "i_number_pos_double_huge_exp.json", 1, B2B_EOVERFLOW },
	{ "i_number_real_neg_overflow.json", 1, B2B_EOVERFLOW },
	{ "i_number_real_pos_overflow.json", 1, B2B_EOVERFLOW },
	{ "i_number_real_underflow.json", 1, B2B_EPRECISION },
	{ "i_number_too_big_neg_int.json", 1, B2B_EOVERFLOW },
	{ "i_number_too_big_pos_int.json", 1, 0 },   /* 10^20 fits */
	{ "i_number_very_big_negative_int.json", 1, B2B_EOVERFLOW },
	{ "i_object_key_lone_2nd_surrogate.json", 0, 0 },
	{ "i_string_1st_surrogate_but_2nd_missing.json", 0, 0 },
	{ "i_string_1st_valid_surrogate_2nd_invalid.json", 0, 0 },
	{ "i_string_UTF-16LE_with_BOM.json", 0, 0 },
	{ "i_string_UTF-8_invalid_sequence.json", 0, 0 },
	{ "i_string_UTF8_surrogate_U+D800.json", 0, 0 },
	{ "i_string_incomplete_surrogate_and_escape_valid.json", 0, 0 },
	{ "i_string_incomplete_surrogate_pair.json", 0, 0 },
	{ "i_string_incomplete_surrogates_escape_valid.json", 0, 0 },
	{ "i_string_invalid_lonely_surrogate.json", 0, 0 },
	{ "i_string_invalid_surrogate.json", 0, 0 },
	{ "i_string_invalid_utf-8.json", 0, 0 },
	{ "i_string_inverted_surrogates_U+1D11E.json", 0, 0 },
	{ "i_string_iso_latin_1.json", 0, 0 },
	{ "i_string_lone_second_surrogate.json", 0, 0 },
	{ "i_string_lone_utf8_continuation_byte.json", 0, 0 },
	{ "i_string_not_in_unicode_range.json", 0, 0 },
	{ "i_string_overlong_sequence_2_bytes.json", 0, 0 },
	{ "i_string_overlong_sequence_6_bytes.json", 0, 0 },
	{ "i_string_overlong_sequence_6_bytes_null.json", 0, 0 },
	{ "i_string_truncated-utf-8.json", 0, 0 },
	{ "i_string_utf16BE_no_BOM.json", 0, 0 },
	{ "i_string_utf16LE_no_BOM.json", 0, 0 },
	{ "i_structure_500_nested_arrays.json", 0, 0 },
	{ "i_structure_UTF-8_BOM_empty_object.json", 0, 0 },
};

#define SUITE_DIR B2B_TESTS_DIR "/data/JSONTestSuite/test_parsing"

/* Accepted: write it canonically, read that back, compare. */
static void
check_round_trip(b2b_ctx *ctx, const b2b_json *v, const char *name)
{
	b2b__jw w;
	const char *doc;
	size_t len;
	const b2b_json *v2;

	b2b__jw_init(&w, NULL);
	write_tree(&w, v);
	ck_assert_msg(b2b__jw_finish(&w, ctx, &doc, &len) == 0, "%s: writer failed", name);
	ck_assert_msg(b2b_json_parse(&v2, ctx, doc, len, B2B_JSON_ALLOW_DUPLICATES) == 0,
	              "%s: re-parse failed: %s", name, b2b_ctx_errmsg(ctx));
	ck_assert_msg(tree_eq(v, v2), "%s: round trip differs", name);
}

START_TEST(test_json_test_suite)
{
	b2b_ctx *ctx = new_ctx();
	DIR *dir = opendir(SUITE_DIR);
	struct dirent *e;
	long ny = 0, nn = 0, ni = 0, ni_accepted = 0;
	int seen_i[sizeof(i_cases) / sizeof(i_cases[0])] = { 0 };
	size_t k;

	ck_assert_msg(dir != NULL, "cannot open %s", SUITE_DIR);
	while ((e = readdir(dir)) != NULL) {
		char path[1024];
		const b2b_json *v = NULL;
		size_t len;
		char *text;
		int rc;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", SUITE_DIR, e->d_name);
		text = read_file(path, &len);
		b2b_ctx_reset(ctx);
		switch (e->d_name[0]) {
		case 'y':
			ny++;
			rc = b2b_json_parse(&v, ctx, text, len, B2B_JSON_ALLOW_DUPLICATES);
			ck_assert_msg(rc == 0, "%s rejected: %s (offset %ld)", e->d_name,
			              b2b_ctx_errmsg(ctx), b2b_ctx_erroffset(ctx));
			check_round_trip(ctx, v, e->d_name);
			rc = b2b_json_parse(&v, ctx, text, len, 0);
			if (strncmp(e->d_name, "y_object_duplicated_key", 23) == 0) {
				ck_assert_msg(rc == B2B_EPARSE, "%s: duplicate accepted", e->d_name);
				ck_assert_ptr_nonnull(strstr(b2b_ctx_errmsg(ctx), "duplicate key"));
			} else {
				ck_assert_msg(rc == 0, "%s rejected without flag", e->d_name);
			}
			break;
		case 'n':
			nn++;
			rc = b2b_json_parse(&v, ctx, text, len, B2B_JSON_ALLOW_DUPLICATES);
			ck_assert_msg(rc == B2B_EPARSE, "%s accepted (rc %d)", e->d_name, rc);
			ck_assert_ptr_null(v);
			ck_assert(b2b_ctx_erroffset(ctx) >= 0 && (size_t)b2b_ctx_erroffset(ctx) <= len);
			ck_assert(b2b_ctx_errline(ctx) >= 1 && b2b_ctx_errcol(ctx) >= 1);
			ck_assert(b2b_ctx_errpath(ctx)[0] != '\0');
			break;
		case 'i':
			ni++;
			for (k = 0; k < sizeof(i_cases) / sizeof(i_cases[0]); k++)
				if (strcmp(i_cases[k].name, e->d_name) == 0)
					break;
			ck_assert_msg(k < sizeof(i_cases) / sizeof(i_cases[0]),
			              "%s: no decision in the table", e->d_name);
			seen_i[k] = 1;
			rc = b2b_json_parse(&v, ctx, text, len, 0);
			if (i_cases[k].accept) {
				b2b_dec d;

				ni_accepted++;
				ck_assert_msg(rc == 0, "%s rejected: %s", e->d_name, b2b_ctx_errmsg(ctx));
				ck_assert_int_eq(b2b_json_typeof(b2b_json_at(v, 0)), B2B_JSON_NUMBER);
				ck_assert_msg(b2b_json_number(&d, b2b_json_at(v, 0)) == i_cases[k].number_rc,
				              "%s: number read gives %d", e->d_name,
				              b2b_json_number(&d, b2b_json_at(v, 0)));
				check_round_trip(ctx, v, e->d_name);
			} else {
				ck_assert_msg(rc == B2B_EPARSE, "%s accepted", e->d_name);
			}
			break;
		default:
			ck_abort_msg("unexpected file %s", e->d_name);
		}
		free(text);
	}
	closedir(dir);
	printf("JSONTestSuite: %ld y_ accepted, %ld n_ rejected, %ld i_ decided "
	       "(%ld accepted, %ld rejected)\n", ny, nn, ni, ni_accepted, ni - ni_accepted);
	ck_assert_int_eq(ny, 95);
	ck_assert_int_eq(nn, 188);
	ck_assert_int_eq(ni, 35);
	for (k = 0; k < sizeof(i_cases) / sizeof(i_cases[0]); k++)
		ck_assert_msg(seen_i[k], "%s is in the table but not on disk", i_cases[k].name);
	b2b_ctx_free(ctx);
}
END_TEST

/*===========================================================================
 * Suite
 *===========================================================================*/

static Suite *
json_suite(void)
{
	Suite *s = suite_create("json");
	TCase *core = tcase_create("Core");
	TCase *limits = tcase_create("Limits");
	TCase *errors = tcase_create("Errors");
	TCase *writer = tcase_create("Writer");
	TCase *conf = tcase_create("Conformance");

	tcase_add_test(core, test_scalars_and_types);
	tcase_add_test(core, test_arrays_and_objects);
	tcase_add_test(core, test_numbers_exact);
	tcase_add_test(core, test_string_escapes);
	tcase_add_test(core, test_string_nul);
	tcase_add_test(core, test_value_locations);
	tcase_add_test(core, test_text_not_referenced);
	tcase_add_test(limits, test_depth_limit);
	tcase_add_test(limits, test_large_array);
	tcase_add_test(limits, test_large_object_lookup);
	tcase_add_test(limits, test_duplicate_keys);
	tcase_add_test(limits, test_random_round_trips);
	tcase_add_loop_test(errors, test_error_table, 0,
	                    (int)(sizeof(err_cases) / sizeof(err_cases[0])));
	tcase_add_test(errors, test_invalid_arguments);
	tcase_add_test(errors, test_no_grow_arena);
	tcase_add_test(errors, test_parse_oom_loop);
	tcase_add_test(writer, test_writer_exact);
	tcase_add_test(writer, test_writer_escaping);
	tcase_add_loop_test(writer, test_writer_sticky_errors, 0, M_COUNT);
	tcase_add_test(writer, test_writer_finish_twice);
	tcase_add_test(writer, test_writer_oom_loop);
	tcase_add_test(conf, test_json_test_suite);
	suite_add_tcase(s, core);
	suite_add_tcase(s, limits);
	suite_add_tcase(s, errors);
	suite_add_tcase(s, writer);
	suite_add_tcase(s, conf);
	return s;
}

int
main(void)
{
	return b2b_test_run(json_suite());
}
