/*
 * libb2bcore — b2b_time: parse, format and shift UTC instants written as
 * YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ (SPEC §3). Civil dates are turned
 * into day numbers with plain integer arithmetic on the proleptic
 * Gregorian calendar; no libc time function is used.
 * SPDX-License-Identifier: MIT
 */
#include <string.h>

#include "b2b/date.h"
#include "b2b/error.h"

#define SEC_PER_DAY 86400

/* 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z in Unix seconds. */
#define TIME_MIN INT64_C(-62135596800)
#define TIME_MAX INT64_C(253402300799)

static int
is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
month_days(int y, int m)
{
	static const unsigned char len[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return m == 2 && is_leap(y) ? 29 : len[m - 1];
}

/*
 * Days from 1970-01-01 to y-m-d (y >= 1). The year is counted from March so
 * that the leap day is the last day of its year; a 400-year era has
 * 146097 days; the day of a March-based year is (153 * m' + 2) / 5 + d - 1
 * for m' = 0 (March) … 11 (February). 719468 is the day number of
 * 1970-01-01 counted from 0000-03-01.
 */
static int64_t
days_from_civil(int y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = y / 400;                       /* y >= 0 here */
	yoe = y - era * 400;                 /* 0..399 */
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* The inverse of days_from_civil(), for day numbers of years 1..9999. */
static void
civil_from_days(int64_t z, int *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;                         /* >= 0 for year >= 1 */
	era = z / 146097;
	doe = z - era * 146097;              /* 0..146096 */
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;            /* 0 = March … 11 = February */
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

/* Read n decimal digits at s[i]; on failure *bad is the offending index. */
static int
digits(const char *s, size_t i, size_t n, size_t len, int *val, size_t *bad)
{
	int v = 0;
	size_t k;

	for (k = 0; k < n; k++) {
		if (i + k >= len || s[i + k] < '0' || s[i + k] > '9') {
			*bad = i + k;
			return -1;
		}
		v = v * 10 + (s[i + k] - '0');
	}
	*val = v;
	return 0;
}

static int
expect(const char *s, size_t i, size_t len, char c, size_t *bad)
{
	if (i >= len || s[i] != c) {
		*bad = i;
		return -1;
	}
	return 0;
}

int
b2b_time_parse(b2b_time *out, size_t *errpos, const char *s, size_t len)
{
	int y, mo, d, hh = 0, mi = 0, ss = 0, form = B2B_TIME_DATE;
	size_t bad = 0;

	if (out == NULL || (s == NULL && len != 0))
		return B2B_EINVAL;
	/* Fields are checked left to right so that *errpos names the first
	 * offending character: the first digit of a field out of range. */
	if (digits(s, 0, 4, len, &y, &bad) < 0)
		goto fail;
	if (y < 1) {
		bad = 0;
		goto fail;
	}
	if (expect(s, 4, len, '-', &bad) < 0 || digits(s, 5, 2, len, &mo, &bad) < 0)
		goto fail;
	if (mo < 1 || mo > 12) {
		bad = 5;
		goto fail;
	}
	if (expect(s, 7, len, '-', &bad) < 0 || digits(s, 8, 2, len, &d, &bad) < 0)
		goto fail;
	if (d < 1 || d > month_days(y, mo)) {
		bad = 8;
		goto fail;
	}
	if (len > 10) {
		form = B2B_TIME_DATETIME;
		if (expect(s, 10, len, 'T', &bad) < 0 || digits(s, 11, 2, len, &hh, &bad) < 0)
			goto fail;
		if (hh > 23) {
			bad = 11;
			goto fail;
		}
		if (expect(s, 13, len, ':', &bad) < 0 || digits(s, 14, 2, len, &mi, &bad) < 0)
			goto fail;
		if (mi > 59) {
			bad = 14;
			goto fail;
		}
		if (expect(s, 16, len, ':', &bad) < 0 || digits(s, 17, 2, len, &ss, &bad) < 0)
			goto fail;
		if (ss > 59) {               /* no leap seconds */
			bad = 17;
			goto fail;
		}
		if (expect(s, 19, len, 'Z', &bad) < 0)
			goto fail;
		if (len > 20) {
			bad = 20;
			goto fail;
		}
	}
	out->sec = days_from_civil(y, mo, d) * SEC_PER_DAY + hh * 3600 + mi * 60 + ss;
	out->form = form;
	out->reserved = 0;
	return 0;
fail:
	if (errpos != NULL)
		*errpos = bad;
	return B2B_EPARSE;
}

static void
put(char *p, int v, int n)
{
	while (n-- > 0) {
		p[n] = (char)('0' + v % 10);
		v /= 10;
	}
}

int
b2b_time_format(char *buf, size_t size, size_t *needed, b2b_time t)
{
	int64_t days, rem;
	int y, m, d, datetime;
	size_t need;

	if (t.sec < TIME_MIN || t.sec > TIME_MAX ||
	    (t.form != B2B_TIME_DATE && t.form != B2B_TIME_DATETIME))
		return B2B_EINVAL;
	days = t.sec / SEC_PER_DAY;
	rem = t.sec % SEC_PER_DAY;
	if (rem < 0) {                       /* floor division before 1970 */
		rem += SEC_PER_DAY;
		days--;
	}
	datetime = t.form == B2B_TIME_DATETIME || rem != 0;
	need = datetime ? 21 : 11;
	if (needed != NULL)
		*needed = need;
	if (buf == NULL || size < need)
		return B2B_EBUFS;
	civil_from_days(days, &y, &m, &d);
	put(buf, y, 4);
	buf[4] = '-';
	put(buf + 5, m, 2);
	buf[7] = '-';
	put(buf + 8, d, 2);
	if (datetime) {
		buf[10] = 'T';
		put(buf + 11, (int)(rem / 3600), 2);
		buf[13] = ':';
		put(buf + 14, (int)(rem / 60 % 60), 2);
		buf[16] = ':';
		put(buf + 17, (int)(rem % 60), 2);
		buf[19] = 'Z';
	}
	buf[need - 1] = '\0';
	return 0;
}

int
b2b_time_add_days(b2b_time *out, b2b_time t, int64_t days)
{
	/* Any shift longer than the whole range overflows; bounding `days`
	 * first keeps days * 86400 and the sum inside int64_t. */
	const int64_t span = (TIME_MAX - TIME_MIN) / SEC_PER_DAY + 1;
	int64_t sec;

	if (out == NULL)
		return B2B_EINVAL;
	if (t.sec < TIME_MIN || t.sec > TIME_MAX)
		return B2B_EINVAL;
	if (days > span || days < -span)
		return B2B_EOVERFLOW;
	sec = t.sec + days * SEC_PER_DAY;
	if (sec < TIME_MIN || sec > TIME_MAX)
		return B2B_EOVERFLOW;
	out->sec = sec;
	out->form = t.form;
	out->reserved = 0;
	return 0;
}

int
b2b_time_cmp(b2b_time a, b2b_time b)
{
	return a.sec < b.sec ? -1 : a.sec > b.sec;
}
