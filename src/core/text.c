/*
 * libb2bcore — shortening text on code point boundaries (see text.h).
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <string.h>

#include "text.h"

size_t
b2b__utf8_prefix(const char *s, size_t len, size_t max)
{
	size_t p = max, back;

	if (len <= max)
		return len;
	/* s[p] is the first byte left out: while it continues a sequence,
	 * that sequence started before p and must go too */
	for (back = 0; back < 3 && p > 0 && ((unsigned char)s[p] & 0xC0) == 0x80; back++)
		p--;
	if (((unsigned char)s[p] & 0xC0) == 0x80)
		return max;   /* not UTF-8 here: no sequence to keep whole */
	return p;
}

void
b2b__tbuf_init(b2b__tbuf *t, char *buf, size_t size)
{
	t->s = buf;
	t->size = size;
	t->len = 0;
	t->cut = 0;
	if (size > 0)
		buf[0] = '\0';
}

/* The buffer holds size - 1 bytes of a longer text: keep its longest
 * boundary-ending prefix that leaves room for the marker, then the marker. */
static void
cut(b2b__tbuf *t)
{
	size_t keep;

	t->cut = 1;
	if (t->size < B2B__TEXT_CUT_LEN + 1) {
		t->len = 0;                /* no room for the marker: nothing */
		t->s[0] = '\0';
		return;
	}
	keep = b2b__utf8_prefix(t->s, t->size - 1, t->size - 1 - B2B__TEXT_CUT_LEN);
	memcpy(t->s + keep, B2B__TEXT_CUT, B2B__TEXT_CUT_LEN);
	t->len = keep + B2B__TEXT_CUT_LEN;
	t->s[t->len] = '\0';
}

void
b2b__tbuf_put(b2b__tbuf *t, const char *s, size_t len)
{
	size_t room;

	if (t->cut || t->size == 0)
		return;
	room = t->size - 1 - t->len;
	if (len <= room) {
		memcpy(t->s + t->len, s, len);
		t->len += len;
		t->s[t->len] = '\0';
		return;
	}
	memcpy(t->s + t->len, s, room);
	cut(t);
}

void
b2b__tbuf_puts(b2b__tbuf *t, const char *s)
{
	b2b__tbuf_put(t, s, strlen(s));
}

void
b2b__tbuf_put_escaped(b2b__tbuf *t, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, run = 0;

	for (i = 0; i < len && !t->cut; i++) {
		unsigned char c = (unsigned char)s[i];
		char e[6];

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		b2b__tbuf_put(t, s + run, i - run);
		e[0] = '\\';
		if (c >= 0x20) {
			e[1] = (char)c;
			b2b__tbuf_put(t, e, 2);
		} else {
			e[1] = 'u';
			e[2] = '0';
			e[3] = '0';
			e[4] = hex[c >> 4];
			e[5] = hex[c & 15];
			b2b__tbuf_put(t, e, 6);
		}
		run = i + 1;
	}
	b2b__tbuf_put(t, s + run, i - run);
}

void
b2b__tbuf_vprintf_libc(b2b__tbuf *t, const char *fmt, va_list ap)
{
	size_t room;
	int n;

	if (t->cut || t->size == 0)
		return;
	room = t->size - t->len;
	n = vsnprintf(t->s + t->len, room, fmt, ap);
	if (n < 0) {
		t->s[t->len] = '\0';   /* an encoding error: nothing appended */
		return;
	}
	if ((size_t)n < room) {
		t->len += (size_t)n;
		return;
	}
	cut(t);                        /* vsnprintf filled the buffer */
}

/*
 * The formats of the library's messages use only %s, %.*s, %d, %ld, %zu
 * and %%: those are appended piece by piece, which gives the text
 * vsnprintf() gives and shortens it the same way (b2b__tbuf_put() keeps
 * what fits, then cuts), in a fraction of the instructions; any other
 * conversion goes through vsnprintf().
 */

/* Is every conversion of fmt one that tbuf_vformat() writes? */
static int
fmt_simple(const char *f)
{
	while ((f = strchr(f, '%')) != NULL) {
		f++;
		if (*f == '%' || *f == 's' || *f == 'd')
			f++;
		else if ((f[0] == 'l' && f[1] == 'd') || (f[0] == 'z' && f[1] == 'u'))
			f += 2;
		else if (f[0] == '.' && f[1] == '*' && f[2] == 's')
			f += 3;
		else
			return 0;
	}
	return 1;
}

/* b2b__tbuf_put() without the call and the NUL when the text fits;
 * tbuf_vformat() writes the NUL when it is done. */
static inline void
put(b2b__tbuf *t, const char *s, size_t len)
{
	if (!t->cut && t->size > t->len + len) {
		memcpy(t->s + t->len, s, len);
		t->len += len;
		return;
	}
	b2b__tbuf_put(t, s, len);
}

static void
put_unsigned(b2b__tbuf *t, unsigned long long v, int neg)
{
	char buf[24], *end = buf + sizeof(buf), *p = end;

	do {
		*--p = (char)('0' + (int)(v % 10));
		v /= 10;
	} while (v != 0);
	if (neg)
		*--p = '-';
	put(t, p, (size_t)(end - p));
}

void
b2b__tbuf_put_uint(b2b__tbuf *t, unsigned long long v)
{
	put_unsigned(t, v, 0);
	if (t->size > 0)
		t->s[t->len] = '\0';
}

static void
put_signed(b2b__tbuf *t, long long v)
{
	put_unsigned(t, v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v, v < 0);
}

/* A string argument; NULL (which printf does not define) as glibc writes it. */
static void
put_str(b2b__tbuf *t, const char *s, int prec)
{
	const char *nul;
	size_t len;

	if (s == NULL) {
		if (prec < 0 || prec >= 6)
			put(t, "(null)", 6);
		return;
	}
	if (prec < 0) {
		len = strlen(s);
	} else {
		nul = memchr(s, '\0', (size_t)prec);
		len = nul != NULL ? (size_t)(nul - s) : (size_t)prec;
	}
	put(t, s, len);
}

/* The text of fmt, whose conversions fmt_simple() accepts. */
static void
tbuf_vformat(b2b__tbuf *t, const char *fmt, va_list ap)
{
	const char *run = fmt, *f = fmt;
	int prec;

	while ((f = strchr(f, '%')) != NULL) {
		put(t, run, (size_t)(f - run));
		f++;
		switch (*f) {
		case '%':
			put(t, "%", 1);
			f++;
			break;
		case 's':
			put_str(t, va_arg(ap, const char *), -1);
			f++;
			break;
		case 'd':
			put_signed(t, va_arg(ap, int));
			f++;
			break;
		case 'l':
			put_signed(t, va_arg(ap, long));
			f += 2;
			break;
		case 'z':
			put_unsigned(t, va_arg(ap, size_t), 0);
			f += 2;
			break;
		default:   /* ".*s" */
			prec = va_arg(ap, int);
			put_str(t, va_arg(ap, const char *), prec);
			f += 3;
			break;
		}
		run = f;
	}
	put(t, run, strlen(run));
	if (t->size > 0)
		t->s[t->len] = '\0';
}

void
b2b__tbuf_vprintf(b2b__tbuf *t, const char *fmt, va_list ap)
{
	if (fmt_simple(fmt))
		tbuf_vformat(t, fmt, ap);
	else
		b2b__tbuf_vprintf_libc(t, fmt, ap);
}

void
b2b__tbuf_printf(b2b__tbuf *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	b2b__tbuf_vprintf(t, fmt, ap);
	va_end(ap);
}

size_t
b2b__text_vformat(char *buf, size_t size, const char *fmt, va_list ap)
{
	b2b__tbuf t;

	b2b__tbuf_init(&t, buf, size);
	b2b__tbuf_vprintf(&t, fmt, ap);
	return t.len;
}

size_t
b2b__text_format(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	n = b2b__text_vformat(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
