/*
 * libb2bcore — the canonical JSON writer (see json_write.h).
 * SPDX-License-Identifier: MIT
 */
#include <string.h>

#include "ctx_int.h"
#include "json_write.h"

#define LV_OBJECT 1u
#define LV_NONEMPTY 2u

void
b2b__jw_init(b2b__jw *w, const b2b_allocator *a)
{
	memset(w, 0, sizeof(*w));
	b2b__alloc_init(&w->alloc, a);
}

static int
fail(b2b__jw *w, int code, const char *why)
{
	if (w->err == 0) {
		w->err = code;
		w->why = why;
	}
	return w->err;
}

/* Grow the buffer so that n more bytes fit (the slow path of room()). */
static int
reserve(b2b__jw *w, size_t n)
{
	size_t ncap;
	char *p;

	if (w->cap - w->len >= n)
		return 0;
	if (n > SIZE_MAX / 2 - w->len)
		return fail(w, B2B_ENOMEM, "document too large");
	ncap = w->cap < 256 ? 256 : w->cap;
	while (ncap - w->len < n)
		ncap *= 2;
	p = b2b__realloc(&w->alloc, w->buf, w->cap, ncap);
	if (p == NULL)
		return fail(w, B2B_ENOMEM, "out of memory");
	w->buf = p;
	w->cap = ncap;
	return 0;
}

/* 0 when n more bytes fit (growing the buffer if needed), else the error. */
static inline int
room(b2b__jw *w, size_t n)
{
	if (w->cap - w->len >= n)
		return 0;
	return reserve(w, n) < 0 ? w->err : 0;
}

static inline int
put(b2b__jw *w, const char *s, size_t n)
{
	if (room(w, n) < 0)
		return w->err;
	memcpy(w->buf + w->len, s, n);
	w->len += n;
	return 0;
}

static inline int
put1(b2b__jw *w, char c)
{
	if (room(w, 1) < 0)
		return w->err;
	w->buf[w->len++] = c;
	return 0;
}

/* A newline, then two spaces per open container. Up to 32 levels the
 * indentation is one fixed-size copy (the bytes past it are overwritten
 * by what follows or lie beyond len). */
static int
newline(b2b__jw *w, int depth)
{
	static const char spaces[65] =
		"                                                                ";
	size_t n = 1 + 2 * (size_t)depth, i;
	char *d;

	if (n <= 1 + 64) {
		if (room(w, 1 + 64) < 0)
			return w->err;
		d = w->buf + w->len;
		d[0] = '\n';
		memcpy(d + 1, spaces, 64);
		w->len += n;
		return 0;
	}
	if (room(w, n) < 0)
		return w->err;
	d = w->buf + w->len;
	d[0] = '\n';
	for (i = 1; i < n; i++)
		d[i] = ' ';
	w->len += n;
	return 0;
}

/* Everything before a value: the separator and indentation in an array,
 * the check for a key in an object, the check for a single root. */
static int
begin_value(b2b__jw *w)
{
	unsigned char *lv;

	if (w->err != 0)
		return w->err;
	if (w->finished)
		return fail(w, B2B_EMISUSE, "call after finish");
	if (w->depth == 0) {
		if (w->done)
			return fail(w, B2B_EMISUSE, "a second root value");
		return 0;
	}
	lv = &w->level[w->depth - 1];
	if (*lv & LV_OBJECT) {
		if (!w->key_pending)
			return fail(w, B2B_EMISUSE, "a value without a key in an object");
		w->key_pending = 0;
		return 0;
	}
	if ((*lv & LV_NONEMPTY) && put1(w, ',') < 0)
		return w->err;
	*lv |= LV_NONEMPTY;
	return newline(w, w->depth);
}

static void
end_value(b2b__jw *w)
{
	if (w->depth == 0)
		w->done = 1;
}

/*
 * A quoted string. Runs of bytes that need no escape are copied in bulk
 * straight into the buffer (one reservation covers a string without
 * escapes, the common case).
 */
static int
put_string(b2b__jw *w, const char *s, size_t n)
{
	size_t i = 0, k;

	if (n > SIZE_MAX / 2)
		return fail(w, B2B_ENOMEM, "document too large");
	if (room(w, n + 2) < 0)
		return w->err;
	w->buf[w->len++] = '"';
	for (;;) {
		if ((k = b2b__json_safe_prefix(s + i, n - i)) > 0) {
			if (room(w, k + 1) < 0)
				return w->err;
			memcpy(w->buf + w->len, s + i, k);
			w->len += k;
			i += k;
		}
		if (i == n)
			break;
		if (room(w, 6 + 1) < 0)
			return w->err;
		w->len += b2b__json_escape((unsigned char)s[i++], w->buf + w->len);
	}
	return put1(w, '"');
}

static int
begin_container(b2b__jw *w, unsigned char kind, char open)
{
	if (begin_value(w) < 0)
		return w->err;
	if (w->depth == B2B__JW_MAX_DEPTH)
		return fail(w, B2B_EMISUSE, "nesting too deep");
	if (put1(w, open) < 0)
		return w->err;
	w->level[w->depth++] = kind;
	return 0;
}

static int
end_container(b2b__jw *w, unsigned char kind, char close)
{
	unsigned char lv;

	if (w->err != 0)
		return w->err;
	if (w->finished)
		return fail(w, B2B_EMISUSE, "call after finish");
	if (w->depth == 0 || (w->level[w->depth - 1] & LV_OBJECT) != kind)
		return fail(w, B2B_EMISUSE, kind == LV_OBJECT ? "end_object without a matching begin_object"
		                                              : "end_array without a matching begin_array");
	if (w->key_pending)
		return fail(w, B2B_EMISUSE, "a key without a value");
	lv = w->level[--w->depth];
	if ((lv & LV_NONEMPTY) && newline(w, w->depth) < 0)
		return w->err;
	if (put1(w, close) < 0)
		return w->err;
	end_value(w);
	return 0;
}

int
b2b__jw_begin_object(b2b__jw *w)
{
	return begin_container(w, LV_OBJECT, '{');
}

int
b2b__jw_end_object(b2b__jw *w)
{
	return end_container(w, LV_OBJECT, '}');
}

int
b2b__jw_begin_array(b2b__jw *w)
{
	return begin_container(w, 0, '[');
}

int
b2b__jw_end_array(b2b__jw *w)
{
	return end_container(w, 0, ']');
}

int
b2b__jw_keyn(b2b__jw *w, const char *key, size_t len)
{
	unsigned char *lv;

	if (w->err != 0)
		return w->err;
	if (w->finished)
		return fail(w, B2B_EMISUSE, "call after finish");
	if (key == NULL && len != 0)
		return fail(w, B2B_EINVAL, "NULL key");
	if (w->depth == 0 || !(w->level[w->depth - 1] & LV_OBJECT))
		return fail(w, B2B_EMISUSE, "a key outside an object");
	if (w->key_pending)
		return fail(w, B2B_EMISUSE, "two keys in a row");
	lv = &w->level[w->depth - 1];
	if ((*lv & LV_NONEMPTY) && put1(w, ',') < 0)
		return w->err;
	*lv |= LV_NONEMPTY;
	if (newline(w, w->depth) < 0)
		return w->err;
	if (key != NULL && len <= 64) {
		/* A short key without bytes to escape (the keys of the library's
		 * documents): written in one go. */
		size_t i;

		for (i = 0; i < len && b2b__json_str_safe((unsigned char)key[i]); i++)
			;
		if (i == len) {
			char *d;

			if (room(w, len + 4) < 0)
				return w->err;
			d = w->buf + w->len;
			d[0] = '"';
			memcpy(d + 1, key, len);
			memcpy(d + 1 + len, "\": ", 3);
			w->len += len + 4;
			w->key_pending = 1;
			return 0;
		}
	}
	if (put_string(w, key != NULL ? key : "", len) < 0 || put(w, ": ", 2) < 0)
		return w->err;
	w->key_pending = 1;
	return 0;
}

int
b2b__jw_key(b2b__jw *w, const char *key)
{
	if (key == NULL)
		return w->err != 0 ? w->err : fail(w, B2B_EINVAL, "NULL key");
	return b2b__jw_keyn(w, key, strlen(key));
}

int
b2b__jw_string(b2b__jw *w, const char *s, size_t len)
{
	if (w->err == 0 && s == NULL && len != 0)
		return fail(w, B2B_EINVAL, "NULL string");
	if (begin_value(w) < 0 || put_string(w, s != NULL ? s : "", len) < 0)
		return w->err;
	end_value(w);
	return 0;
}

int
b2b__jw_cstr(b2b__jw *w, const char *s)
{
	if (s == NULL)
		return b2b__jw_null(w);
	return b2b__jw_string(w, s, strlen(s));
}

int
b2b__jw_raw(b2b__jw *w, const char *s, size_t len)
{
	if (w->err == 0 && s == NULL && len != 0)
		return fail(w, B2B_EINVAL, "NULL raw value");
	if (begin_value(w) < 0 || put(w, s != NULL ? s : "", len) < 0)
		return w->err;
	end_value(w);
	return 0;
}

int
b2b__jw_dec(b2b__jw *w, b2b_dec v, int scale, b2b_rounding mode)
{
	char buf[B2B_DEC_FORMAT_MAX];
	size_t need = 0, n;
	int rc;

	if (w->err != 0)
		return w->err;
	rc = b2b_dec_format(buf, sizeof(buf), &need, v, scale, mode);
	if (rc < 0)
		return fail(w, rc, rc == B2B_EOVERFLOW ? "decimal overflows when rounded"
		                                       : "invalid decimal scale or rounding mode");
	/* `-?[0-9]+(\.[0-9]+)?`: nothing to escape, copied as it is. */
	n = need - 1;
	if (begin_value(w) < 0 || room(w, n + 2) < 0)
		return w->err;
	w->buf[w->len] = '"';
	memcpy(w->buf + w->len + 1, buf, n);
	w->buf[w->len + 1 + n] = '"';
	w->len += n + 2;
	end_value(w);
	return 0;
}

int
b2b__jw_int(b2b__jw *w, int64_t v)
{
	char buf[24], *e = buf + sizeof(buf), *q = e;
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

	do {
		*--q = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	if (v < 0)
		*--q = '-';
	return b2b__jw_raw(w, q, (size_t)(e - q));
}

int
b2b__jw_bool(b2b__jw *w, int v)
{
	return v ? b2b__jw_raw(w, "true", 4) : b2b__jw_raw(w, "false", 5);
}

int
b2b__jw_null(b2b__jw *w)
{
	return b2b__jw_raw(w, "null", 4);
}

void
b2b__jw_dispose(b2b__jw *w)
{
	b2b__free(&w->alloc, w->buf, w->cap);
	w->buf = NULL;
	w->cap = 0;
	w->len = 0;
}

int
b2b__jw_finish(b2b__jw *w, b2b_ctx *ctx, const char **out, size_t *len)
{
	char *doc = NULL;

	if (out != NULL)
		*out = NULL;
	if (len != NULL)
		*len = 0;
	if (w->err == 0 && w->finished)
		fail(w, B2B_EMISUSE, "call after finish");
	if (w->err == 0 && (out == NULL || ctx == NULL))
		fail(w, B2B_EINVAL, "NULL argument to finish");
	if (w->err == 0 && (w->depth != 0 || !w->done))
		fail(w, B2B_EMISUSE, w->depth != 0 ? "unclosed array or object" : "empty document");
	if (w->err == 0 && put1(w, '\n') == 0) {
		doc = b2b__ctx_strndup(ctx, w->buf, w->len);
		if (doc == NULL)
			fail(w, B2B_ENOMEM, "out of memory");
	}
	if (w->err == 0) {
		*out = doc;
		if (len != NULL)
			*len = w->len;
	}
	b2b__jw_dispose(w);
	w->finished = 1;
	if (w->err != 0)
		return b2b__ctx_seterr(ctx, w->err, "JSON writer: %s", w->why);
	return 0;
}
