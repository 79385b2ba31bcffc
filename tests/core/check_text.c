/*
 * Tests: shortening text on UTF-8 code point boundaries (src/core/text.h)
 * and the ctx's bounded strings that use it.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
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

#define SHOWN(s, len) B2B__SHOWN((s), (len), 80)

/* The library's messages are formatted without vsnprintf when their
 * conversions allow (b2b__tbuf_vprintf()): the same text as vsnprintf
 * (b2b__tbuf_vprintf_libc()) gives, cut the same way, for every
 * conversion it writes and every buffer size. */
static void B2B__PRINTF(2, 3)
tbuf_printf_libc(b2b__tbuf *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	b2b__tbuf_vprintf_libc(t, fmt, ap);
	va_end(ap);
}

static size_t B2B__PRINTF(3, 4)
fmt_old(char *buf, size_t size, const char *fmt, ...)
{
	b2b__tbuf t;
	va_list ap;

	b2b__tbuf_init(&t, buf, size);
	va_start(ap, fmt);
	b2b__tbuf_vprintf_libc(&t, fmt, ap);
	va_end(ap);
	return t.len;
}

static size_t B2B__PRINTF(3, 4)
fmt_new(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	memset(buf, 'x', size);
	va_start(ap, fmt);
	n = b2b__text_vformat(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

#define SAME_TEXT(...)                                                                    \
	do {                                                                              \
		size_t size_, n1_, n2_;                                                   \
		for (size_ = 1; size_ <= 600; size_ += size_ < 90 ? 1 : 37) {            \
			char a_[600], b_[600];                                            \
			n1_ = fmt_old(a_, size_, __VA_ARGS__);                            \
			n2_ = fmt_new(b_, size_, __VA_ARGS__);                            \
			ck_assert_uint_eq(n1_, n2_);                                      \
			ck_assert_uint_eq(strlen(b_), n2_);                               \
			ck_assert_str_eq(a_, b_);                                         \
		}                                                                         \
	} while (0)

START_TEST(test_message_format)
{
	static const char *const strs[] = { "", "A1", "sku-\xc3\xa9t\xc3\xa9", "x y z" };
	static const int ints[] = { INT_MIN, -1000, -1, 0, 7, 42, 99999, INT_MAX };
	static const long longs[] = { LONG_MIN, -1, 0, 10, LONG_MAX };
	static const size_t sizes[] = { 0, 1, 9, 10, 19, 123456789, SIZE_MAX };
	char longs_[400], utf8[400], mixed[200];
	size_t i, j, k;

	/* long user texts, ASCII and UTF-8 (2-, 3- and 4-byte sequences) */
	memset(longs_, 'q', sizeof(longs_) - 1);
	longs_[sizeof(longs_) - 1] = '\0';
	for (i = 0; i + 9 < sizeof(utf8); i += 9)
		memcpy(utf8 + i, "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", 9);
	utf8[i] = '\0';
	for (i = 0; i + 4 < sizeof(mixed); i += 4)
		memcpy(mixed + i, "a\xe2\x82\xac", 4);
	mixed[i] = '\0';
	{
		const char *users[] = { "", "A1", longs_, utf8, mixed, utf8 + 1, longs_ + 300 };

		for (i = 0; i < sizeof(users) / sizeof(users[0]); i++) {
			size_t len = strlen(users[i]);

			for (j = 0; j < sizeof(strs) / sizeof(strs[0]); j++) {
				SAME_TEXT("qty %.*s%s is below the minimum of %s for sku '%s'",
				          SHOWN(users[i], len), strs[j], users[i]);
				SAME_TEXT("unit_price %.*s%s differs from %s %s by more than the "
				          "tolerance %s", SHOWN(users[i], len), strs[j], users[i],
				          strs[(j + 1) % 4]);
				SAME_TEXT("the quote is for customer '%.*s%s', the order for '%.*s%s'",
				          B2B__SHOWN(users[i], len, 3), SHOWN(strs[j], strlen(strs[j])));
			}
			for (k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++)
				SAME_TEXT("sku '%.*s%s' was already ordered on line %zu",
				          SHOWN(users[i], len), sizes[k]);
			/* precisions beyond the text, and a negative one */
			SAME_TEXT("[%.*s|%.*s|%.*s]", (int)len + 5, users[i], -1, users[i], 0,
			          users[i]);
		}
	}
	for (i = 0; i < sizeof(ints) / sizeof(ints[0]); i++)
		SAME_TEXT("the order needs approval level %d (%s)", ints[i], utf8);
	for (i = 0; i < sizeof(longs) / sizeof(longs[0]); i++)
		SAME_TEXT("%s[%ld].%s", "quote.lines", longs[i], "sku");
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		SAME_TEXT("the quote has %zu line%s, the order %zu", sizes[i], "s", sizes[i]);
	SAME_TEXT("100%% of %d%%", 5);
	SAME_TEXT("%s", "");
	SAME_TEXT("no conversion");
	SAME_TEXT("%.*s", 5, "ab\0cd");
	/* a conversion it does not write: vsnprintf's text */
	{
		char a[64], b[64];
		b2b__tbuf ta, tb;

		b2b__tbuf_init(&ta, a, sizeof(a));
		b2b__tbuf_init(&tb, b, sizeof(b));
		b2b__tbuf_puts(&ta, "x=");
		b2b__tbuf_puts(&tb, "x=");
		tbuf_printf_libc(&ta, "%04x %s", 255u, "y");
		b2b__tbuf_printf(&tb, "%04x %s", 255u, "y");
		ck_assert_str_eq(a, b);
		ck_assert_uint_eq(ta.len, tb.len);
	}
	/* appends to a text being built (the approval reasons, the catalog) */
	for (k = 1; k <= 80; k++) {
		char a[80], b[80];
		b2b__tbuf ta, tb;

		b2b__tbuf_init(&ta, a, k);
		b2b__tbuf_init(&tb, b, k);
		for (i = 0; i < 6; i++) {
			tbuf_printf_libc(&ta, "%s%s on line %zu", i > 0 ? ", " : "", "AP\xc3\xa9", i * 7);
			b2b__tbuf_printf(&tb, "%s%s on line %zu", i > 0 ? ", " : "", "AP\xc3\xa9", i * 7);
			if (k > 0 && tb.cut == 0) {
				b2b__tbuf_puts(&ta, "#");
				b2b__tbuf_puts(&tb, "#");
				tbuf_printf_libc(&ta, "%zu", i * 1000);
				b2b__tbuf_printf(&tb, "%zu", i * 1000);
			}
			ck_assert_int_eq(ta.cut, tb.cut);
			ck_assert_uint_eq(ta.len, tb.len);
			ck_assert_str_eq(a, b);
		}
	}
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
	tcase_add_test(core, test_message_format);
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
