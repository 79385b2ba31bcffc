/*
 * libb2bcore — internal JSON writer: the one place that produces the
 * canonical JSON of every document the library emits.
 * SPDX-License-Identifier: MIT
 */
#ifndef B2B_SRC_JSON_WRITE_H
#define B2B_SRC_JSON_WRITE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "b2b/alloc.h"
#include "b2b/ctx.h"
#include "b2b/json.h"
#include "b2b/money.h"

/*
 * Canonical form: 2-space indentation, one member or element per line,
 * `"key": value`, `[]` and `{}` for empty containers, a final newline.
 * Strings are written as UTF-8 as given (not validated); only `"`, `\`
 * and control characters are escaped: \n \r \t \b \f by name, the others
 * as \u00xx (lower-case hex). Keys come out in the order they are written.
 *
 *	b2b__jw w;
 *	b2b__jw_init(&w, &ctx->alloc);
 *	b2b__jw_begin_object(&w);
 *	b2b__jw_key(&w, "total");
 *	b2b__jw_dec(&w, total, 2, B2B_ROUND_HALF_UP);
 *	b2b__jw_end_object(&w);
 *	rc = b2b__jw_finish(&w, ctx, &doc, &len);   // "{\n  \"total\": \"12.50\"\n}\n"
 *
 * Errors are sticky: the first one is kept, every later call is a no-op
 * that returns it, and b2b__jw_finish() returns it (and frees the buffer).
 * Codes: B2B_ENOMEM; B2B_EMISUSE for unbalanced calls, a value without a
 * key inside an object, a key outside an object, two keys in a row, a
 * second root value, nesting deeper than B2B__JW_MAX_DEPTH or any call
 * after finish; B2B_EINVAL for a NULL string with a non-zero length;
 * b2b__jw_dec() passes on b2b_dec_format()'s B2B_EINVAL / B2B_EOVERFLOW.
 *
 * The writer's buffer comes from the allocator given to b2b__jw_init()
 * (copied by value); b2b__jw_finish() copies the text into the ctx arena.
 * Thread-safety: a writer belongs to one thread.
 */

/** Deepest nesting the writer accepts (as deep as the reader). */
#define B2B__JW_MAX_DEPTH B2B_JSON_MAX_DEPTH

typedef struct b2b__jw {
	b2b_allocator alloc;
	char *buf;
	size_t len, cap;
	int err;                /* sticky: 0 or the first error */
	const char *why;        /* what went wrong, for the ctx message */
	int depth;              /* open containers */
	int key_pending;        /* a key was written, its value not yet */
	int done;               /* the root value is complete */
	int finished;
	/* per open container: bit 0 = object, bit 1 = has a member/element */
	unsigned char level[B2B__JW_MAX_DEPTH];
} b2b__jw;

/** Start an empty writer; never allocates. `a` NULL = libc. */
void b2b__jw_init(b2b__jw *w, const b2b_allocator *a);

int b2b__jw_begin_object(b2b__jw *w);
int b2b__jw_end_object(b2b__jw *w);
int b2b__jw_begin_array(b2b__jw *w);
int b2b__jw_end_array(b2b__jw *w);

/** The key of the next member; only inside an object (NUL-terminated). */
int b2b__jw_key(b2b__jw *w, const char *key);
/** The key of the next member, `len` bytes (may contain NUL bytes). */
int b2b__jw_keyn(b2b__jw *w, const char *key, size_t len);

/** A string of `len` bytes (may contain NUL bytes, written as \u0000). */
int b2b__jw_string(b2b__jw *w, const char *s, size_t len);
/** A NUL-terminated string; NULL writes `null` (for optional fields). */
int b2b__jw_cstr(b2b__jw *w, const char *s);
/**
 * A decimal as a JSON *string* (`"12.50"`), rounded to `scale` (0..9)
 * with `mode`, or written exactly with B2B_DEC_SCALE_EXACT.
 */
int b2b__jw_dec(b2b__jw *w, b2b_dec v, int scale, b2b_rounding mode);
/** An integer as a JSON number. */
int b2b__jw_int(b2b__jw *w, int64_t v);
int b2b__jw_bool(b2b__jw *w, int v);
int b2b__jw_null(b2b__jw *w);
/**
 * A pre-formatted value written as is (e.g. a number's text); the caller
 * guarantees it is one valid JSON value on one line.
 */
int b2b__jw_raw(b2b__jw *w, const char *s, size_t len);

/**
 * End the document: checks that it is complete, appends the final
 * newline and copies it into `ctx`'s arena (NUL-terminated; borrowed until
 * b2b_ctx_reset()). Frees the writer's buffer in every case; the writer
 * accepts only b2b__jw_dispose() afterwards.
 * @param[out] out  the document; NULL on error
 * @param len       if not NULL, its length without the NUL (0 on error)
 * @return 0 or the sticky error (also set on ctx with a message)
 */
int b2b__jw_finish(b2b__jw *w, b2b_ctx *ctx, const char **out, size_t *len);

/** Free the buffer of a writer that will not be finished. Idempotent. */
void b2b__jw_dispose(b2b__jw *w);

/*
 * String escaping, for code that writes JSON text without a b2b__jw (the
 * lint report streams its own). Inline: both run once per string byte.
 */

/** 1 for a byte written as it is inside a JSON string, 0 for one escaped
 *  (`"`, `\\` and bytes below 0x20). */
static inline int
b2b__json_str_safe(unsigned char c)
{
	return c >= 0x20 && c != '"' && c != '\\';
}

/**
 * The length of the longest prefix of s[0..n) that needs no escape. Goes
 * 8 bytes at a time while no byte of the word needs one (the word-at-a-time
 * "has a byte less than n" and "has a zero byte" tests are exact as
 * existence tests), then byte by byte.
 */
static inline size_t
b2b__json_safe_prefix(const char *s, size_t n)
{
	const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
	size_t i = 0;

	for (; n - i >= 8; i += 8) {
		uint64_t x, q, b;

		memcpy(&x, s + i, 8);
		q = x ^ (ones * (uint64_t)'"');
		b = x ^ (ones * (uint64_t)'\\');
		if ((((q - ones) & ~q) | ((b - ones) & ~b) | ((x - ones * 0x20u) & ~x)) & highs)
			break;
	}
	while (i < n && b2b__json_str_safe((unsigned char)s[i]))
		i++;
	return i;
}

/**
 * The escape of a byte c that is not b2b__json_str_safe() into e: \n \r
 * \t \b \f \" \\ by name, others as \u00xx (lower-case hex).
 * @return its length, 2 or 6
 */
static inline size_t
b2b__json_escape(unsigned char c, char e[6])
{
	static const char hex[] = "0123456789abcdef";

	e[0] = '\\';
	switch (c) {
	case '"': e[1] = '"'; return 2;
	case '\\': e[1] = '\\'; return 2;
	case '\n': e[1] = 'n'; return 2;
	case '\r': e[1] = 'r'; return 2;
	case '\t': e[1] = 't'; return 2;
	case '\b': e[1] = 'b'; return 2;
	case '\f': e[1] = 'f'; return 2;
	default:
		e[1] = 'u';
		e[2] = '0';
		e[3] = '0';
		e[4] = hex[c >> 4];
		e[5] = hex[c & 15];
		return 6;
	}
}

#endif
