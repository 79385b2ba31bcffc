/*
 * b2b — the program's own JSON output (see jsonout.h).
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "b2b/error.h"
#include "cli.h"
#include "jsonout.h"

#define LV_OBJECT 1u
#define LV_NONEMPTY 2u

void
jout_init(jout *w)
{
	memset(w, 0, sizeof *w);
}

static void
fail(jout *w, int code, const char *why)
{
	if (w->err == 0) {
		w->err = code;
		w->why = why;
	}
}

/* Room for n more bytes; 0, or -1 with the sticky error set. */
static int
room(jout *w, size_t n)
{
	size_t cap;
	char *p;

	if (w->err != 0)
		return -1;
	if (w->cap - w->len >= n)
		return 0;
	if (n > SIZE_MAX / 2 - w->len) {
		fail(w, B2B_ENOMEM, "document too large");
		return -1;
	}
	cap = w->cap < 256 ? 256 : w->cap;
	while (cap - w->len < n)
		cap *= 2;
	if ((p = realloc(w->buf, cap)) == NULL) {
		fail(w, B2B_ENOMEM, "out of memory");
		return -1;
	}
	w->buf = p;
	w->cap = cap;
	return 0;
}

static void
put(jout *w, const char *s, size_t n)
{
	if (room(w, n) == 0) {
		memcpy(w->buf + w->len, s, n);
		w->len += n;
	}
}

/* A newline, then two spaces per open container. */
static void
newline(jout *w, int depth)
{
	size_t n = 1 + 2 * (size_t)depth;

	if (room(w, n) == 0) {
		w->buf[w->len] = '\n';
		memset(w->buf + w->len + 1, ' ', n - 1);
		w->len += n;
	}
}

/* Before a value: the key check in an object, the separator and the
 * indentation in an array, the single root. 0 when the value may come. */
static int
begin_value(jout *w)
{
	unsigned char *lv;

	if (w->err != 0)
		return -1;
	if (w->finished) {
		fail(w, B2B_EMISUSE, "call after finish");
		return -1;
	}
	if (w->depth == 0) {
		if (w->done) {
			fail(w, B2B_EMISUSE, "a second root value");
			return -1;
		}
		return 0;
	}
	lv = &w->level[w->depth - 1];
	if (*lv & LV_OBJECT) {
		if (!w->key_pending) {
			fail(w, B2B_EMISUSE, "a value without a key in an object");
			return -1;
		}
		w->key_pending = 0;
		return 0;
	}
	if (*lv & LV_NONEMPTY)
		put(w, ",", 1);
	*lv |= LV_NONEMPTY;
	newline(w, w->depth);
	return w->err != 0 ? -1 : 0;
}

static void
end_value(jout *w)
{
	if (w->depth == 0)
		w->done = 1;
}

/* A quoted string: `"`, `\` and control characters escaped. */
static void
put_string(jout *w, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;

	put(w, "\"", 1);
	for (i = 0; i < n && w->err == 0; i++) {
		unsigned char c = (unsigned char)s[i];
		char e[6] = { '\\', 'u', '0', '0', 0, 0 };

		switch (c) {
		case '"':
			put(w, "\\\"", 2);
			break;
		case '\\':
			put(w, "\\\\", 2);
			break;
		case '\n':
			put(w, "\\n", 2);
			break;
		case '\r':
			put(w, "\\r", 2);
			break;
		case '\t':
			put(w, "\\t", 2);
			break;
		case '\b':
			put(w, "\\b", 2);
			break;
		case '\f':
			put(w, "\\f", 2);
			break;
		default:
			if (c >= 0x20) {
				put(w, s + i, 1);
			} else {
				e[4] = hex[c >> 4];
				e[5] = hex[c & 15];
				put(w, e, 6);
			}
		}
	}
	put(w, "\"", 1);
}

static void
begin_container(jout *w, unsigned char kind, const char *open)
{
	if (begin_value(w) < 0)
		return;
	if (w->depth == JOUT_MAX_DEPTH) {
		fail(w, B2B_EMISUSE, "nesting too deep");
		return;
	}
	put(w, open, 1);
	w->level[w->depth++] = kind;
}

static void
end_container(jout *w, unsigned char kind, const char *close)
{
	unsigned char lv;

	if (w->err != 0)
		return;
	if (w->finished) {
		fail(w, B2B_EMISUSE, "call after finish");
		return;
	}
	if (w->depth == 0 || (w->level[w->depth - 1] & LV_OBJECT) != kind) {
		fail(w, B2B_EMISUSE, kind == LV_OBJECT
		                     ? "end_object without a matching begin_object"
		                     : "end_array without a matching begin_array");
		return;
	}
	if (w->key_pending) {
		fail(w, B2B_EMISUSE, "a key without a value");
		return;
	}
	lv = w->level[--w->depth];
	if (lv & LV_NONEMPTY)
		newline(w, w->depth);
	put(w, close, 1);
	end_value(w);
}

void
jout_begin_object(jout *w)
{
	begin_container(w, LV_OBJECT, "{");
}

void
jout_end_object(jout *w)
{
	end_container(w, LV_OBJECT, "}");
}

void
jout_begin_array(jout *w)
{
	begin_container(w, 0, "[");
}

void
jout_end_array(jout *w)
{
	end_container(w, 0, "]");
}

void
jout_key(jout *w, const char *key)
{
	unsigned char *lv;

	if (w->err != 0)
		return;
	if (key == NULL) {
		fail(w, B2B_EINVAL, "NULL key");
		return;
	}
	if (w->finished) {
		fail(w, B2B_EMISUSE, "call after finish");
		return;
	}
	if (w->depth == 0 || !(w->level[w->depth - 1] & LV_OBJECT)) {
		fail(w, B2B_EMISUSE, "a key outside an object");
		return;
	}
	if (w->key_pending) {
		fail(w, B2B_EMISUSE, "two keys in a row");
		return;
	}
	lv = &w->level[w->depth - 1];
	if (*lv & LV_NONEMPTY)
		put(w, ",", 1);
	*lv |= LV_NONEMPTY;
	newline(w, w->depth);
	put_string(w, key, strlen(key));
	put(w, ": ", 2);
	w->key_pending = 1;
}

/* A value written as it is (a number, true, false, null). */
static void
put_raw(jout *w, const char *s, size_t n)
{
	if (begin_value(w) < 0)
		return;
	put(w, s, n);
	end_value(w);
}

void
jout_str(jout *w, const char *s)
{
	if (s == NULL) {
		jout_null(w);
		return;
	}
	if (begin_value(w) < 0)
		return;
	put_string(w, s, strlen(s));
	end_value(w);
}

void
jout_dec(jout *w, b2b_dec v, int scale, b2b_rounding mode)
{
	char buf[B2B_DEC_FORMAT_MAX];
	int rc;

	if (w->err != 0)
		return;
	rc = b2b_dec_format(buf, sizeof buf, NULL, v, scale, mode);
	if (rc < 0) {
		fail(w, rc, rc == B2B_EOVERFLOW ? "decimal overflows when rounded"
		                                : "invalid decimal scale or rounding mode");
		return;
	}
	/* `-?[0-9]+(\.[0-9]+)?`: nothing to escape */
	if (begin_value(w) < 0)
		return;
	put(w, "\"", 1);
	put(w, buf, strlen(buf));
	put(w, "\"", 1);
	end_value(w);
}

void
jout_int(jout *w, int64_t v)
{
	char buf[24], *e = buf + sizeof buf, *q = e;
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

	do {
		*--q = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	if (v < 0)
		*--q = '-';
	put_raw(w, q, (size_t)(e - q));
}

void
jout_bool(jout *w, int v)
{
	if (v)
		put_raw(w, "true", 4);
	else
		put_raw(w, "false", 5);
}

void
jout_null(jout *w)
{
	put_raw(w, "null", 4);
}

int
jout_finish(jout *w, const char **doc, size_t *len)
{
	*doc = NULL;
	*len = 0;
	if (w->err == 0 && w->finished)
		fail(w, B2B_EMISUSE, "call after finish");
	if (w->err == 0 && (w->depth != 0 || !w->done))
		fail(w, B2B_EMISUSE, w->depth != 0 ? "unclosed array or object" : "empty document");
	put(w, "\n", 1);
	w->finished = 1;
	if (w->err != 0)
		return w->err;
	*doc = w->buf;
	*len = w->len;
	return 0;
}

const char *
jout_why(const jout *w)
{
	return w->err != 0 && w->why != NULL ? w->why : "";
}

void
jout_free(jout *w)
{
	free(w->buf);
	jout_init(w);
}

int
jout_print(jout *w)
{
	const char *doc;
	size_t len;
	int rc = jout_finish(w, &doc, &len);

	if (rc == 0)
		fwrite(doc, 1, len, stdout);
	else
		fprintf(stderr, "b2b: JSON writer: %s\n", jout_why(w));
	jout_free(w);
	return rc == 0 ? CLI_OK : CLI_UNREADABLE;
}
