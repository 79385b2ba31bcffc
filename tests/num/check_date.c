/*
 * Tests: b2b_time (b2b/date.h): parse accept/reject tables with the
 * offending byte, epoch values computed by hand, format round trips,
 * add_days across months, years and leap days, cmp.
 */
#include <stdio.h>
#include <string.h>

#include "b2b.h"
#include "support/testmain.h"

#define DAY INT64_C(86400)

/*
 * Accepted texts and their Unix seconds. The values were worked out by
 * hand: 2026-01-01 is 56 years after 1970 with 14 leap days (1972 … 2024),
 * so 56 × 365 + 14 = 20454 days = 1767225600 s.
 */
static const struct {
	const char *text;
	int64_t sec;
	int form;
} good[] = {
	{ "1970-01-01", 0, B2B_TIME_DATE },
	{ "1970-01-01T00:00:00Z", 0, B2B_TIME_DATETIME },
	{ "1970-01-02", DAY, B2B_TIME_DATE },
	{ "1969-12-31", -DAY, B2B_TIME_DATE },
	{ "1969-12-31T23:59:59Z", -1, B2B_TIME_DATETIME },
	{ "2026-01-01", INT64_C(1767225600), B2B_TIME_DATE },
	/* + 31 + 28 + 31 + 30 + 31 = 151 days */
	{ "2026-06-01", INT64_C(1767225600) + 151 * DAY, B2B_TIME_DATE },
	{ "2026-06-01T12:30:15Z", INT64_C(1767225600) + 151 * DAY + 45015, B2B_TIME_DATETIME },
	{ "2026-06-01T23:59:59Z", INT64_C(1767225600) + 152 * DAY - 1, B2B_TIME_DATETIME },
	/* 2024 is a leap year: 2024-01-01 = 2026-01-01 − 731 days */
	{ "2024-01-01", INT64_C(1767225600) - 731 * DAY, B2B_TIME_DATE },
	{ "2024-02-29", INT64_C(1767225600) - 731 * DAY + 59 * DAY, B2B_TIME_DATE },
	{ "2024-03-01", INT64_C(1767225600) - 731 * DAY + 60 * DAY, B2B_TIME_DATE },
	{ "2000-02-29", INT64_C(951782400), B2B_TIME_DATE },   /* 400-year rule */
	{ "2000-01-01", INT64_C(946684800), B2B_TIME_DATE },
	{ "2038-01-19T03:14:08Z", INT64_C(2147483648), B2B_TIME_DATETIME },
	{ "0001-01-01", INT64_C(-62135596800), B2B_TIME_DATE },
	{ "9999-12-31T23:59:59Z", INT64_C(253402300799), B2B_TIME_DATETIME },
	{ "1600-02-29", INT64_C(-11670998400), B2B_TIME_DATE },  /* 370 y, 90 leap days, +59 */
};

/* Rejected texts and the byte index of the first offending character. */
static const struct {
	const char *text;
	size_t errpos;
} bad[] = {
	{ "", 0 },
	{ "2026", 4 },
	{ "2026-02-29", 8 },             /* 2026 is not a leap year */
	{ "1900-02-29", 8 },             /* century, not divisible by 400 */
	{ "2026-04-31", 8 },
	{ "2026-01-32", 8 },
	{ "2026-01-00", 8 },
	{ "2026-00-10", 5 },
	{ "2026-13-01", 5 },
	{ "0000-01-01", 0 },
	{ "2026-06-01T24:00:00Z", 11 },
	{ "2026-06-01T12:60:00Z", 14 },
	{ "2026-06-01T12:00:60Z", 17 },  /* no leap seconds */
	{ "2026-06-01t12:00:00Z", 10 },  /* lower-case t */
	{ "2026-06-01T12:00:00z", 19 },  /* lower-case z */
	{ "2026-06-01T12:00:00", 19 },   /* no zone */
	{ "2026-06-01T12:00:00+00:00", 19 },
	{ "2026-06-01T12:00:00.5Z", 19 },
	{ "2026-06-01T12:00Z", 16 },
	{ "2026-06-01T", 11 },
	{ "2026-06-01 12:00:00Z", 10 },
	{ " 2026-06-01", 0 },
	{ "2026-06-01 ", 10 },
	{ "2026-06-01\n", 10 },
	{ "2026-6-01", 6 },
	{ "2026-06-1", 9 },
	{ "26-06-01", 2 },
	{ "+2026-06-01", 0 },
	{ "20260601", 4 },
	{ "2026/06/01", 4 },
	{ "2026-06-01T12:00:00Zx", 20 },
	{ "2026-06-01Z", 10 },
	{ "1x26-06-01", 1 },
	{ "2026-06-01T1a:00:00Z", 12 },
};

START_TEST(test_parse_good)
{
	b2b_time t;
	size_t errpos = 77;

	memset(&t, 0xAB, sizeof(t));
	ck_assert_int_eq(b2b_time_parse(&t, &errpos, good[_i].text, strlen(good[_i].text)), 0);
	ck_assert_msg(t.sec == good[_i].sec, "%s: %lld, expected %lld", good[_i].text,
	              (long long)t.sec, (long long)good[_i].sec);
	ck_assert_int_eq(t.form, good[_i].form);
	ck_assert_int_eq(t.reserved, 0);
	ck_assert_uint_eq(errpos, 77);   /* untouched on success */
}
END_TEST

START_TEST(test_parse_bad)
{
	b2b_time t = { 42, B2B_TIME_DATE, 0 };
	size_t errpos = 999;

	ck_assert_int_eq(b2b_time_parse(&t, &errpos, bad[_i].text, strlen(bad[_i].text)),
	                 B2B_EPARSE);
	ck_assert_msg(errpos == bad[_i].errpos, "'%s': errpos %zu, expected %zu", bad[_i].text,
	              errpos, bad[_i].errpos);
	ck_assert_int_eq(t.sec, 42);     /* *out untouched */
	ck_assert_int_eq(t.form, B2B_TIME_DATE);
	/* errpos is optional */
	ck_assert_int_eq(b2b_time_parse(&t, NULL, bad[_i].text, strlen(bad[_i].text)),
	                 B2B_EPARSE);
}
END_TEST

START_TEST(test_parse_uses_len_not_nul)
{
	b2b_time t;
	size_t errpos;

	/* a prefix of a longer buffer */
	ck_assert_int_eq(b2b_time_parse(&t, NULL, "2026-06-01T12:00:00Z", 10), 0);
	ck_assert_int_eq(t.form, B2B_TIME_DATE);
	ck_assert_int_eq(t.sec, INT64_C(1767225600) + 151 * DAY);
	/* an embedded NUL is an offending byte */
	ck_assert_int_eq(b2b_time_parse(&t, &errpos, "2026-06-01\0", 11), B2B_EPARSE);
	ck_assert_uint_eq(errpos, 10);
	ck_assert_int_eq(b2b_time_parse(&t, &errpos, NULL, 0), B2B_EPARSE);
	ck_assert_uint_eq(errpos, 0);
	ck_assert_int_eq(b2b_time_parse(NULL, NULL, "2026-06-01", 10), B2B_EINVAL);
	ck_assert_int_eq(b2b_time_parse(&t, NULL, NULL, 10), B2B_EINVAL);
}
END_TEST

START_TEST(test_format_round_trip)
{
	char buf[B2B_TIME_FORMAT_MAX];
	size_t needed = 0;
	b2b_time t, u;

	ck_assert_int_eq(b2b_time_parse(&t, NULL, good[_i].text, strlen(good[_i].text)), 0);
	ck_assert_int_eq(b2b_time_format(buf, sizeof(buf), &needed, t), 0);
	ck_assert_str_eq(buf, good[_i].text);
	ck_assert_uint_eq(needed, strlen(good[_i].text) + 1);
	ck_assert_int_eq(b2b_time_parse(&u, NULL, buf, strlen(buf)), 0);
	ck_assert_int_eq(u.sec, t.sec);
	ck_assert_int_eq(u.form, t.form);
}
END_TEST

START_TEST(test_format_buffers)
{
	b2b_time d = { INT64_C(1767225600), B2B_TIME_DATE, 0 };
	b2b_time dt = { INT64_C(1767225600), B2B_TIME_DATETIME, 0 };
	b2b_time odd = { INT64_C(1767225600) + 61, B2B_TIME_DATE, 0 };
	char buf[32];
	size_t needed = 0;

	/* measure */
	ck_assert_int_eq(b2b_time_format(NULL, 0, &needed, d), B2B_EBUFS);
	ck_assert_uint_eq(needed, 11);
	ck_assert_int_eq(b2b_time_format(NULL, 0, &needed, dt), B2B_EBUFS);
	ck_assert_uint_eq(needed, 21);
	/* too small by one: nothing written */
	memset(buf, 'z', sizeof(buf));
	ck_assert_int_eq(b2b_time_format(buf, 10, &needed, d), B2B_EBUFS);
	ck_assert_int_eq(buf[0], 'z');
	ck_assert_int_eq(b2b_time_format(buf, 20, NULL, dt), B2B_EBUFS);
	/* exact */
	ck_assert_int_eq(b2b_time_format(buf, 11, NULL, d), 0);
	ck_assert_str_eq(buf, "2026-01-01");
	ck_assert_int_eq(b2b_time_format(buf, 21, NULL, dt), 0);
	ck_assert_str_eq(buf, "2026-01-01T00:00:00Z");
	/* a date whose seconds are not midnight is written as a date-time */
	ck_assert_int_eq(b2b_time_format(buf, sizeof(buf), &needed, odd), 0);
	ck_assert_str_eq(buf, "2026-01-01T00:01:01Z");
	ck_assert_uint_eq(needed, 21);
}
END_TEST

START_TEST(test_format_errors)
{
	char buf[32];
	b2b_time t = { INT64_C(-62135596801), B2B_TIME_DATETIME, 0 };

	ck_assert_int_eq(b2b_time_format(buf, sizeof(buf), NULL, t), B2B_EINVAL);
	t.sec = INT64_C(253402300800);
	ck_assert_int_eq(b2b_time_format(buf, sizeof(buf), NULL, t), B2B_EINVAL);
	t.sec = INT64_MIN;
	ck_assert_int_eq(b2b_time_format(buf, sizeof(buf), NULL, t), B2B_EINVAL);
	t.sec = 0;
	t.form = 0;
	ck_assert_int_eq(b2b_time_format(buf, sizeof(buf), NULL, t), B2B_EINVAL);
	t.form = 3;
	ck_assert_int_eq(b2b_time_format(buf, sizeof(buf), NULL, t), B2B_EINVAL);
	/* the extremes themselves are fine */
	t.form = B2B_TIME_DATETIME;
	t.sec = INT64_C(-62135596800);
	ck_assert_int_eq(b2b_time_format(buf, sizeof(buf), NULL, t), 0);
	ck_assert_str_eq(buf, "0001-01-01T00:00:00Z");
}
END_TEST

/* Every day from 1899-12-25 to 2101-01-05 formats to the next day's text
 * and back: a walk that crosses every month end and every leap rule. */
START_TEST(test_format_every_day)
{
	b2b_time t, u;
	char buf[B2B_TIME_FORMAT_MAX], prev[B2B_TIME_FORMAT_MAX];
	int y, m, d, days;

	ck_assert_int_eq(b2b_time_parse(&t, NULL, "1899-12-25", 10), 0);
	y = 1899;
	m = 12;
	d = 25;
	prev[0] = '\0';
	for (days = 0; days < 73425; days++) {
		static const int mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
		char want[48];
		int ml;

		snprintf(want, sizeof(want), "%04d-%02d-%02d", y, m, d);
		ck_assert_int_eq(b2b_time_format(buf, sizeof(buf), NULL, t), 0);
		ck_assert_str_eq(buf, want);
		ck_assert_int_eq(b2b_time_parse(&u, NULL, buf, 10), 0);
		ck_assert_int_eq(u.sec, t.sec);
		ck_assert(strcmp(prev, buf) < 0);
		strcpy(prev, buf);
		ck_assert_int_eq(b2b_time_add_days(&t, t, 1), 0);
		ml = mdays[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
		if (++d > ml) {
			d = 1;
			if (++m > 12) {
				m = 1;
				y++;
			}
		}
	}
	ck_assert_int_eq(b2b_time_format(buf, sizeof(buf), NULL, t), 0);
	ck_assert_str_eq(buf, "2101-01-05");
}
END_TEST

static const struct {
	const char *from;
	int64_t days;
	const char *to;
} shifts[] = {
	{ "2026-01-31", 1, "2026-02-01" },
	{ "2026-02-28", 1, "2026-03-01" },
	{ "2024-02-28", 1, "2024-02-29" },
	{ "2024-02-29", 1, "2024-03-01" },
	{ "2024-02-29", 365, "2025-02-28" },
	{ "2024-02-29", 366, "2025-03-01" },
	{ "2025-12-31", 1, "2026-01-01" },
	{ "2026-01-01", -1, "2025-12-31" },
	{ "2026-03-01", -1, "2026-02-28" },
	{ "2024-03-01", -1, "2024-02-29" },
	{ "2026-06-01", 30, "2026-07-01" },
	{ "2026-06-01T12:30:00Z", 30, "2026-07-01T12:30:00Z" },
	{ "2026-06-01T23:59:59Z", 1, "2026-06-02T23:59:59Z" },
	{ "2000-01-01", 36525, "2100-01-01" },
	{ "1970-01-01", -1, "1969-12-31" },
	{ "9999-12-30", 1, "9999-12-31" },
	{ "0001-01-02", -1, "0001-01-01" },
	{ "2026-06-01", 0, "2026-06-01" },
	{ "0001-01-01", 3652058, "9999-12-31" },
};

START_TEST(test_add_days)
{
	b2b_time t, u;
	char buf[B2B_TIME_FORMAT_MAX];

	ck_assert_int_eq(b2b_time_parse(&t, NULL, shifts[_i].from, strlen(shifts[_i].from)), 0);
	ck_assert_int_eq(b2b_time_add_days(&u, t, shifts[_i].days), 0);
	ck_assert_int_eq(u.form, t.form);
	ck_assert_int_eq(u.reserved, 0);
	ck_assert_int_eq(u.sec - t.sec, shifts[_i].days * DAY);
	ck_assert_int_eq(b2b_time_format(buf, sizeof(buf), NULL, u), 0);
	ck_assert_str_eq(buf, shifts[_i].to);
}
END_TEST

START_TEST(test_add_days_errors)
{
	b2b_time t, u = { 7, B2B_TIME_DATE, 0 };

	ck_assert_int_eq(b2b_time_parse(&t, NULL, "9999-12-31T23:59:59Z", 20), 0);
	ck_assert_int_eq(b2b_time_add_days(&u, t, 1), B2B_EOVERFLOW);
	ck_assert_int_eq(u.sec, 7);      /* untouched */
	ck_assert_int_eq(b2b_time_parse(&t, NULL, "0001-01-01", 10), 0);
	ck_assert_int_eq(b2b_time_add_days(&u, t, -1), B2B_EOVERFLOW);
	ck_assert_int_eq(b2b_time_add_days(&u, t, 3652059), B2B_EOVERFLOW);
	ck_assert_int_eq(b2b_time_add_days(&u, t, INT64_MAX), B2B_EOVERFLOW);
	ck_assert_int_eq(b2b_time_add_days(&u, t, INT64_MIN), B2B_EOVERFLOW);
	ck_assert_int_eq(b2b_time_add_days(&u, t, INT64_MAX / DAY + 1), B2B_EOVERFLOW);
	ck_assert_int_eq(u.sec, 7);
	ck_assert_int_eq(b2b_time_add_days(NULL, t, 1), B2B_EINVAL);
	t.sec = INT64_MAX;
	ck_assert_int_eq(b2b_time_add_days(&u, t, -1), B2B_EINVAL);
}
END_TEST

START_TEST(test_cmp)
{
	b2b_time a, b, c;

	ck_assert_int_eq(b2b_time_parse(&a, NULL, "2026-06-01", 10), 0);
	ck_assert_int_eq(b2b_time_parse(&b, NULL, "2026-06-01T00:00:00Z", 20), 0);
	ck_assert_int_eq(b2b_time_parse(&c, NULL, "2026-06-01T00:00:01Z", 20), 0);
	ck_assert_int_eq(b2b_time_cmp(a, b), 0);          /* the form is ignored */
	ck_assert_int_eq(b2b_time_cmp(a, c), -1);
	ck_assert_int_eq(b2b_time_cmp(c, a), 1);
	ck_assert_int_eq(b2b_time_cmp(c, c), 0);
	a.sec = INT64_MIN;
	b.sec = INT64_MAX;
	ck_assert_int_eq(b2b_time_cmp(a, b), -1);          /* no subtraction overflow */
	ck_assert_int_eq(b2b_time_cmp(b, a), 1);
}
END_TEST

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static Suite *
date_suite(void)
{
	Suite *s = suite_create("date");
	TCase *core = tcase_create("Core"), *limits = tcase_create("Limits"),
	      *errors = tcase_create("Errors");

	tcase_add_loop_test(core, test_parse_good, 0, N(good));
	tcase_add_loop_test(core, test_format_round_trip, 0, N(good));
	tcase_add_loop_test(core, test_add_days, 0, N(shifts));
	tcase_add_test(core, test_cmp);
	tcase_add_test(core, test_format_buffers);
	tcase_add_test(limits, test_format_every_day);
	tcase_add_test(limits, test_parse_uses_len_not_nul);
	tcase_add_loop_test(errors, test_parse_bad, 0, N(bad));
	tcase_add_test(errors, test_format_errors);
	tcase_add_test(errors, test_add_days_errors);
	suite_add_tcase(s, core);
	suite_add_tcase(s, limits);
	suite_add_tcase(s, errors);
	return s;
}

int
main(void)
{
	return b2b_test_run(date_suite());
}
