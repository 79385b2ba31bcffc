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
b2b__tbuf_vprintf(b2b__tbuf *t, const char *fmt, va_list ap)
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
