/*
 * Tests: shortening text on UTF-8 code point boundaries (src/core/text.h)
 * and the ctx's bounded strings that use it.
 */
#include <string.h>

#include "b2b.h"
#include "ctx_int.h"
#include "support/testmain.h"
#include "support/utf8_check.h"

/* One character of each UTF-8 length. */
static const char *const CH[4] = { "a", "\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80" };

/* The answer b2b__utf8_prefix() must give, found the slow way: the
 * largest k <= max where s[0..k) ends between two characters. */
static size_t
ref_prefix(const char *s, size_t len, size_t max)
{
	size_t k;

	if (len <= max)
		return len;
	for (k = max; k > 0; k--)
		if (((unsigned char)s[k] & 0xC0) != 0x80)
			return k;
	return 0;
}

/* "xx" + 5 characters of width w + "yy". */
static size_t
sample(char *buf, int w)
{
	size_t n = 0;
	int i;

	memcpy(buf, "xx", 2);
	n = 2;
	for (i = 0; i < 5; i++) {
		memcpy(buf + n, CH[w - 1], (size_t)w);
		n += (size_t)w;
	}
	memcpy(buf + n, "yy", 3);
	return n + 2;
}

/* Hand-computed cuts of "a" + one character of each length. */
static const struct {
	const char *s;
	size_t max, want;
} prefix_cases[] = {
	{ "a\xC3\xA9", 0, 0 },
	{ "a\xC3\xA9", 1, 1 },
	{ "a\xC3\xA9", 2, 1 },             /* inside é */
	{ "a\xC3\xA9", 3, 3 },
	{ "a\xE2\x82\xAC", 2, 1 },         /* inside € */
	{ "a\xE2\x82\xAC", 3, 1 },
	{ "a\xE2\x82\xAC", 4, 4 },
	{ "a\xF0\x9F\x98\x80", 2, 1 },     /* inside U+1F600 */
	{ "a\xF0\x9F\x98\x80", 3, 1 },
	{ "a\xF0\x9F\x98\x80", 4, 1 },
	{ "a\xF0\x9F\x98\x80", 5, 5 },
	{ "a\xF0\x9F\x98\x80", 9, 5 },     /* max past the end */
	{ "ab", 1, 1 },
	{ "", 0, 0 },
	/* not UTF-8: no lead byte within 3 bytes, the cut stays at max */
	{ "\x80\x80\x80\x80\x80\x80", 4, 4 },
};

START_TEST(test_prefix_cases)
{
	const char *s = prefix_cases[_i].s;

	ck_assert_uint_eq(b2b__utf8_prefix(s, strlen(s), prefix_cases[_i].max),
	                  prefix_cases[_i].want);
}
END_TEST

/* Every cut of texts made of 1-, 2-, 3- and 4-byte characters. */
START_TEST(test_prefix_every_cut)
{
	char buf[64];
	size_t len = sample(buf, _i + 1), max, got;

	for (max = 0; max <= len + 2; max++) {
		got = b2b__utf8_prefix(buf, len, max);
		ck_assert_uint_eq(got, ref_prefix(buf, len, max));
		ck_assert(b2b_test_utf8_ok(buf, got));
		ck_assert_uint_le(got, max);
		ck_assert_uint_ge(got + 3, max < len ? max : len);
	}
}
END_TEST

/* b2b__text_format() into every buffer size: the text when it fits,
 * else its longest boundary-ending prefix that leaves room for "...". */
START_TEST(test_format_every_size)
{
	char text[64], buf[80];
	size_t len = sample(text, _i + 1), size, n;

	for (size = 1; size <= len + 2; size++) {
		memset(buf, '#', sizeof(buf));
		n = b2b__text_format(buf, size, "%s", text);
		ck_assert_uint_eq(n, strlen(buf));
		ck_assert_uint_lt(n, size);
		ck_assert(b2b_test_utf8_ok(buf, n));
		ck_assert_int_eq(buf[size], '#');   /* nothing written past the buffer */
		if (len < size) {
			ck_assert_str_eq(buf, text);
		} else if (size < 4) {
			ck_assert_str_eq(buf, "");
		} else {
			size_t keep = ref_prefix(text, len, size - 4);

			ck_assert_uint_eq(n, keep + 3);
			ck_assert_int_eq(memcmp(buf, text, keep), 0);
			ck_assert_str_eq(buf + keep, "...");
		}
	}
}
END_TEST

START_TEST(test_tbuf_appends)
{
	char buf[11];   /* text of up to 10 bytes */
	b2b__tbuf t;

	b2b__tbuf_init(&t, buf, sizeof(buf));
	b2b__tbuf_puts(&t, "ab");
	b2b__tbuf_printf(&t, "[%d]", 7);
	ck_assert_str_eq(buf, "ab[7]");
	ck_assert_int_eq(t.cut, 0);
	/* 5 bytes of room, "é€" is 5: fits exactly */
	b2b__tbuf_puts(&t, "\xC3\xA9\xE2\x82\xAC");
	ck_assert_str_eq(buf, "ab[7]\xC3\xA9\xE2\x82\xAC");
	ck_assert_uint_eq(t.len, 10);
	/* one byte more does not fit: 7 bytes of text + "...", and the 7th
	 * byte ends é, so € goes */
	b2b__tbuf_puts(&t, "z");
	ck_assert_str_eq(buf, "ab[7]\xC3\xA9...");
	ck_assert_int_eq(t.cut, 1);
	ck_assert_uint_eq(t.len, 10);
	b2b__tbuf_puts(&t, "more");
	b2b__tbuf_printf(&t, "%d", 1);
	ck_assert_str_eq(buf, "ab[7]\xC3\xA9...");

	/* a text that fills the buffer exactly is not cut */
	b2b__tbuf_init(&t, buf, 4);
	b2b__tbuf_puts(&t, "abc");
	ck_assert_str_eq(buf, "abc");
	ck_assert_int_eq(t.cut, 0);
	b2b__tbuf_puts(&t, "d");
	ck_assert_str_eq(buf, "...");
}
END_TEST

START_TEST(test_tbuf_put_escaped)
{
	char buf[40];
	b2b__tbuf t;

	b2b__tbuf_init(&t, buf, sizeof(buf));
	b2b__tbuf_put_escaped(&t, "a\"b\\c\nd\x01\xC3\xA9", 10);
	ck_assert_str_eq(buf, "a\\\"b\\\\c\\u000ad\\u0001\xC3\xA9");
	/* NUL bytes inside are data */
	b2b__tbuf_init(&t, buf, sizeof(buf));
	b2b__tbuf_put_escaped(&t, "x\0y", 3);
	ck_assert_str_eq(buf, "x\\u0000y");
	/* cut: 17 bytes of room for "é" × 10 (20 bytes, not escaped): 14
	 * bytes of text + "...", 7 whole é */
	b2b__tbuf_init(&t, buf, 18);
	b2b__tbuf_put_escaped(&t, "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9"
	                          "\xC3\xA9\xC3\xA9\xC3\xA9", 20);
	ck_assert_str_eq(buf, "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9...");
	ck_assert(b2b_test_utf8_ok(buf, strlen(buf)));
}
END_TEST

/* The ctx's message (511 bytes), file and path (255 each) and a
 * diagnostic's message (1023) with a character of each length across
 * every limit. */
START_TEST(test_ctx_strings_cut_on_boundaries)
{
	static char text[2000];
	b2b_ctx *ctx;
	size_t pad, n = 0, k;
	int w = _i + 1;

	ck_assert_int_eq(b2b_ctx_new(&ctx, NULL), 0);
	for (pad = 0; pad < 4; pad++) {
		memset(text, 'x', pad);
		n = pad;
		while (n + 4 < sizeof(text) - 1) {
			memcpy(text + n, CH[w - 1], (size_t)w);
			n += (size_t)w;
		}
		text[n] = '\0';
		b2b__ctx_seterr(ctx, B2B_EPARSE, "%s", text);
		b2b__ctx_setloc(ctx, text, 1, 1, 0);
		b2b__ctx_setpath(ctx, text);
		ck_assert_int_eq(b2b__ctx_diag(ctx, B2B_SEV_ERROR, text, 1, 1, "%s", text), 0);
		/* the file of a diagnostic is copied whole */
		ck_assert_str_eq(b2b_ctx_diag_file(ctx, b2b_ctx_diag_count(ctx) - 1), text);
		{
			const char *got[4] = { b2b_ctx_errmsg(ctx), b2b_ctx_errfile(ctx),
			                       b2b_ctx_errpath(ctx),
			                       b2b_ctx_diag_message(ctx, b2b_ctx_diag_count(ctx) - 1) };
			const size_t cap[4] = { 511, 255, 255, 1023 };

			for (k = 0; k < 4; k++) {
				size_t len = strlen(got[k]), keep = ref_prefix(text, n, cap[k] - 3);

				ck_assert(b2b_test_utf8_ok(got[k], len));
				ck_assert_uint_eq(len, keep + 3);
				ck_assert_int_eq(memcmp(got[k], text, keep), 0);
				ck_assert_str_eq(got[k] + keep, "...");
			}
		}
	}
	b2b_ctx_free(ctx);
}
END_TEST

static Suite *
text_suite(void)
{
	Suite *s = suite_create("text");
	TCase *core = tcase_create("Core");
	TCase *limits = tcase_create("Limits");

	tcase_add_loop_test(core, test_prefix_cases, 0,
	                    (int)(sizeof(prefix_cases) / sizeof(prefix_cases[0])));
	tcase_add_test(core, test_tbuf_appends);
	tcase_add_test(core, test_tbuf_put_escaped);
	tcase_add_loop_test(limits, test_prefix_every_cut, 0, 4);
	tcase_add_loop_test(limits, test_format_every_size, 0, 4);
	tcase_add_loop_test(limits, test_ctx_strings_cut_on_boundaries, 0, 4);
	suite_add_tcase(s, core);
	suite_add_tcase(s, limits);
	return s;
}

int
main(void)
{
	return b2b_test_run(text_suite());
}
