/*
 * libb2bcore — strict RFC 8259 JSON reader: iterative (no recursion),
 * tree allocated from the ctx arena, numbers kept as their text.
 * SPDX-License-Identifier: MIT
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "b2b/json.h"
#include "ctx_int.h"
#include "enum.h"
#include "json_int.h"

/*===========================================================================
 * MARK: - Tree layout
 *===========================================================================*/

typedef struct b2b__jmember b2b__jmember;

/*
 * One value. Scalars point at a NUL-terminated copy in the arena (string:
 * decoded bytes; number: its text); arrays at `len` contiguous b2b_json;
 * objects at `len` contiguous members in document order, followed, when
 * len > SMALL_OBJECT, by `len` member pointers sorted by key (then by
 * document order) for binary-search lookups.
 */
struct b2b_json {
	const void *ptr;
	size_t len;
	size_t offset;
	uint32_t line, col;     /* saturate at UINT32_MAX */
	uint8_t type;
};

struct b2b__jmember {
	const char *key;
	size_t klen;
	b2b_json val;
};

/* Objects with more members get a sorted index; fewer are scanned. */
#define SMALL_OBJECT 16

/*===========================================================================
 * MARK: - Parser state
 *===========================================================================*/

/*
 * The work stack holds the values already read of every open container
 * (one slot per array element or object member). It is a list of
 * segments: the first lives on the C stack, later ones (each twice as big
 * as the one before) in the arena, so that nothing is ever copied on
 * growth and the parser never calls the allocator except through the
 * arena. A container's children are copied into one arena array when it
 * closes, then popped.
 */
typedef struct jslot {
	b2b__jmember m;
	size_t koff;            /* where the key starts (duplicate errors) */
	uint32_t kline, kcol;
} jslot;

#define SEG0 32u
#define MAX_SEGS 48

typedef struct jloc {
	size_t off;
	uint32_t line, col;
} jloc;

typedef struct jparser {
	b2b_ctx *ctx;
	const unsigned char *text, *cur, *end;
	unsigned flags;

	size_t line;                    /* line of p->cur, 1-based */
	const unsigned char *lstart;    /* first byte of that line */
	size_t ncont;                   /* UTF-8 continuation bytes read on that line */

	jslot *seg[MAX_SEGS];
	size_t top;                     /* slots in use */
	size_t tk, ti;                  /* segment and index of the next push */
	jslot *slot;                    /* the slot pushed last */

	int depth;
	size_t base[B2B_JSON_MAX_DEPTH];        /* index of a container's first child */
	uint8_t ftype[B2B_JSON_MAX_DEPTH];
} jparser;

#define NO_SLOT ((size_t)-1)

static size_t
seg_cap(size_t k)
{
	return (size_t)SEG0 << k;
}

/* Segment and index within it of slot number i. */
static void
locate(size_t i, size_t *k, size_t *j)
{
	size_t s = 0;

	while (i >= seg_cap(s)) {
		i -= seg_cap(s);
		s++;
	}
	*k = s;
	*j = i;
}

static jslot *
slot_at(jparser *p, size_t i)
{
	size_t k, j;

	locate(i, &k, &j);
	return &p->seg[k][j];
}

/*===========================================================================
 * MARK: - Locations and errors
 *===========================================================================*/

static uint32_t
sat32(size_t v)
{
	return v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

/*
 * Columns count code points: bytes that are not UTF-8 continuation bytes.
 * Outside strings valid text is ASCII, so the column of a value or key
 * start is its distance from the line start less the continuation bytes
 * of the strings read on that line (p->ncont): O(1) per value.
 */
static jloc
loc_fast(const jparser *p, const unsigned char *pos)
{
	jloc l;

	l.off = (size_t)(pos - p->text);
	l.line = sat32(p->line);
	l.col = sat32(1 + (size_t)(pos - p->lstart) - p->ncont);
	return l;
}

/* Location of any `pos` on the current line (errors: may be inside a
 * string or at an invalid byte): counts from the line start. */
static jloc
loc_scan(const jparser *p, const unsigned char *pos)
{
	jloc l;
	const unsigned char *c;
	size_t col = 1;

	if (pos < p->lstart)
		pos = p->lstart;
	for (c = p->lstart; c < pos; c++)
		col += (*c & 0xC0) != 0x80;
	l.off = (size_t)(pos - p->text);
	l.line = sat32(p->line);
	l.col = sat32(col);
	return l;
}

/* Bounded string building for paths and messages: a text that does not
 * fit is cut on a code point boundary and marked (core/text.h). */
typedef b2b__tbuf sbuf;

static void
sb_putc(sbuf *b, char c)
{
	b2b__tbuf_put(b, &c, 1);
}

static void
sb_puts(sbuf *b, const char *s)
{
	b2b__tbuf_puts(b, s);
}

static void
sb_putn(sbuf *b, size_t n)
{
	b2b__tbuf_printf(b, "%zu", n);
}

static int
is_ident_key(const char *k, size_t n)
{
	size_t i;

	if (n == 0)
		return 0;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)k[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '-'))
			return 0;
	}
	return 1;
}

/* Write `s` as the body of a JSON string (quotes excluded). */
static void
sb_put_escaped(sbuf *b, const char *s, size_t n)
{
	b2b__tbuf_put_escaped(b, s, n);
}

/* Append the path component of slot `i`, a child of the container `f`. */
static void
path_component(jparser *p, sbuf *b, int f, size_t i)
{
	if (p->ftype[f] == B2B_JSON_ARRAY) {
		sb_putc(b, '[');
		sb_putn(b, i - p->base[f]);
		sb_putc(b, ']');
	} else {
		const jslot *s = slot_at(p, i);

		if (is_ident_key(s->m.key, s->m.klen)) {
			if (b->len > 0)
				sb_putc(b, '.');
			sb_puts(b, s->m.key);
		} else {
			sb_puts(b, "[\"");
			sb_put_escaped(b, s->m.key, s->m.klen);
			sb_puts(b, "\"]");
		}
	}
}

/*
 * The path of the innermost open container, plus the child in slot `last`
 * when it is not NO_SLOT: `$` for the root, else `lines[3].sku`.
 */
static void
build_path(jparser *p, size_t last, char *buf, size_t size)
{
	sbuf b;
	int d;

	b2b__tbuf_init(&b, buf, size);
	for (d = 1; d < p->depth; d++)
		path_component(p, &b, d - 1, p->base[d] - 1);
	if (last != NO_SLOT && p->depth > 0)
		path_component(p, &b, p->depth - 1, last);
	if (b.len == 0)
		sb_putc(&b, '$');
}

static int
verr_at(jparser *p, jloc l, size_t last, const char *fmt, va_list ap)
{
	char path[256];

	b2b__ctx_vseterr(p->ctx, B2B_EPARSE, fmt, ap);
	b2b__ctx_setloc(p->ctx, NULL, (long)l.line, (long)l.col, (long)l.off);
	build_path(p, last, path, sizeof(path));
	b2b__ctx_setpath(p->ctx, path);
	return B2B_EPARSE;
}

static int err_at(jparser *p, jloc l, size_t last, const char *fmt, ...) B2B__PRINTF(4, 5);

static int
err_at(jparser *p, jloc l, size_t last, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = verr_at(p, l, last, fmt, ap);
	va_end(ap);
	return rc;
}

static int err(jparser *p, const unsigned char *pos, size_t last, const char *fmt, ...)
	B2B__PRINTF(4, 5);

/* A parse error at `pos`, with the path of the container (+ slot `last`). */
static int
err(jparser *p, const unsigned char *pos, size_t last, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = verr_at(p, loc_scan(p, pos), last, fmt, ap);
	va_end(ap);
	return rc;
}

static int
nomem(jparser *p)
{
	return b2b__ctx_seterr(p->ctx, B2B_ENOMEM, "out of memory while parsing JSON");
}

/* "end of input", "'x'" or "byte 0xC3", for messages. */
static const char *
describe(const jparser *p, const unsigned char *pos, char *buf, size_t size)
{
	if (pos >= p->end)
		return "end of input";
	if (*pos >= 0x21 && *pos < 0x7F)
		snprintf(buf, size, "'%c'", *pos);
	else
		snprintf(buf, size, "byte 0x%02X", *pos);
	return buf;
}

/*===========================================================================
 * MARK: - Lexing
 *===========================================================================*/

static void
skip_ws_run(jparser *p)
{
	const unsigned char *c = p->cur, *end = p->end;

	while (c < end) {
		if (*c == ' ' || *c == '\t') {
			c++;
		} else if (*c == '\n') {
			c++;
			p->line++;
			p->lstart = c;
			p->ncont = 0;
		} else if (*c == '\r') {
			c++;
			if (c < end && *c == '\n')
				continue;
			p->line++;
			p->lstart = c;
			p->ncont = 0;
		} else {
			break;
		}
	}
	p->cur = c;
}

/* Most tokens are not preceded by whitespace: test that inline. */
static void
skip_ws(jparser *p)
{
	if (p->cur < p->end && *p->cur > ' ')
		return;
	skip_ws_run(p);
}

static int
hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Length of the valid UTF-8 sequence at c (2..4 bytes, RFC 3629: no
 * overlong forms, no surrogates, nothing above U+10FFFF), or 0 with *bad
 * at the offending byte.
 */
static size_t
utf8_seq(const unsigned char *c, const unsigned char *end, const unsigned char **bad)
{
	unsigned char b = c[0], lo = 0x80, hi = 0xBF;
	size_t n, i;

	if (b >= 0xC2 && b <= 0xDF) {
		n = 2;
	} else if (b >= 0xE0 && b <= 0xEF) {
		n = 3;
		if (b == 0xE0)
			lo = 0xA0;
		else if (b == 0xED)
			hi = 0x9F;
	} else if (b >= 0xF0 && b <= 0xF4) {
		n = 4;
		if (b == 0xF0)
			lo = 0x90;
		else if (b == 0xF4)
			hi = 0x8F;
	} else {
		*bad = c;
		return 0;
	}
	for (i = 1; i < n; i++) {
		if (c + i >= end) {
			*bad = c + i;
			return 0;
		}
		if (c[i] < lo || c[i] > hi) {
			*bad = c + i;
			return 0;
		}
		lo = 0x80;
		hi = 0xBF;
	}
	return n;
}

/* Four hex digits at c (must be within the text), or -1 with *bad set. */
static long
hex4(const jparser *p, const unsigned char *c, const unsigned char **bad)
{
	long v = 0;
	int i;

	for (i = 0; i < 4; i++) {
		int h;

		if (c + i >= p->end) {
			*bad = c + i;
			return -1;
		}
		h = hexval(c[i]);
		if (h < 0) {
			*bad = c + i;
			return -1;
		}
		v = v * 16 + h;
	}
	return v;
}

static size_t
utf8_put(unsigned char *o, unsigned long cp)
{
	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (unsigned char)(0xC0 | (cp >> 6));
		o[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (unsigned char)(0xE0 | (cp >> 12));
		o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (unsigned char)(0xF0 | (cp >> 18));
	o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
	o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
	o[3] = (unsigned char)(0x80 | (cp & 0x3F));
	return 4;
}

/*
 * True when one of the 8 bytes of w needs a look: below 0x20, '"', '\\'
 * or 0x80 and above (bit tricks from "Bit Twiddling Hacks": exact as a
 * yes/no answer for the whole word).
 */
static int
special8(uint64_t w)
{
	const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
	uint64_t q = w ^ (ones * '"'), b = w ^ (ones * '\\');

	return (((w - ones * 0x20) & ~w) | ((q - ones) & ~q) | ((b - ones) & ~b) | w) & high
	       ? 1 : 0;
}

/*
 * Read the string whose opening quote is at p->cur into the arena.
 * Pass 1 validates everything (so the first error in the text is the one
 * reported) and measures the decoded length; pass 2 decodes, or copies
 * when there is no escape. `last` is the path slot for errors.
 */
static int
read_string(jparser *p, size_t last, const char **out, size_t *outlen)
{
	const unsigned char *start = p->cur, *c = p->cur + 1, *end = p->end, *bad;
	unsigned char *dst, *o;
	size_t n, shrink = 0;   /* decoded length = raw length − shrink */
	int esc = 0;
	char d[16];

	for (;;) {
		while (end - c >= 8) {
			uint64_t w;

			memcpy(&w, c, 8);
			if (special8(w))
				break;
			c += 8;
		}
		while (c < end && *c >= 0x20 && *c < 0x80 && *c != '"' && *c != '\\')
			c++;
		if (c >= end)
			return err(p, start, last, "unterminated string");
		if (*c == '"')
			break;
		if (*c == '\\') {
			long cp, lo;

			esc = 1;
			if (c + 1 >= end)
				return err(p, start, last, "unterminated string");
			switch (c[1]) {
			case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
				c += 2;
				shrink++;
				continue;
			case 'u':
				break;
			default:
				return err(p, c, last, "invalid escape '\\' followed by %s",
				           describe(p, c + 1, d, sizeof(d)));
			}
			cp = hex4(p, c + 2, &bad);
			if (cp < 0)
				return err(p, bad, last, "invalid \\u escape: expected 4 hex digits, found %s",
				           describe(p, bad, d, sizeof(d)));
			if (cp >= 0xDC00 && cp <= 0xDFFF)
				return err(p, c, last, "lone low surrogate \\u%04lX", cp);
			if (cp >= 0xD800 && cp <= 0xDBFF) {
				if (!(c + 7 < end && c[6] == '\\' && c[7] == 'u'))
					return err(p, c, last,
					           "lone high surrogate \\u%04lX: expected a \\uDC00-\\uDFFF escape to follow",
					           cp);
				lo = hex4(p, c + 8, &bad);
				if (lo < 0)
					return err(p, bad, last,
					           "invalid \\u escape: expected 4 hex digits, found %s",
					           describe(p, bad, d, sizeof(d)));
				if (lo < 0xDC00 || lo > 0xDFFF)
					return err(p, c, last,
					           "lone high surrogate \\u%04lX: expected a \\uDC00-\\uDFFF escape to follow",
					           cp);
				c += 12;
				shrink += 12 - 4;
				continue;
			}
			c += 6;
			shrink += cp < 0x80 ? 5 : cp < 0x800 ? 4 : 3;
			continue;
		}
		if (*c < 0x20)
			return err(p, c, last, "control character 0x%02X must be escaped in a string", *c);
		{
			size_t k = utf8_seq(c, end, &bad);

			if (k == 0) {
				if (bad >= end)
					return err(p, c, last, "invalid UTF-8: sequence starting with byte 0x%02X is truncated",
					           *c);
				if (bad == c)
					return err(p, bad, last, "invalid UTF-8 byte 0x%02X", *bad);
				return err(p, bad, last, "invalid UTF-8 sequence: byte 0x%02X after 0x%02X",
				           bad[0], bad[-1]);
			}
			c += k;
			p->ncont += k - 1;
		}
	}
	n = (size_t)(c - start - 1) - shrink;
	/* c is at the closing quote; n is the decoded length */
	dst = b2b__ctx_alloc(p->ctx, n + 1);
	if (dst == NULL)
		return nomem(p);
	if (!esc) {
		memcpy(dst, start + 1, n);
	} else {
		const unsigned char *s = start + 1;

		o = dst;
		while (s < c) {
			unsigned long cp;

			if (*s != '\\') {
				*o++ = *s++;
				continue;
			}
			switch (s[1]) {
			case 'b': *o++ = '\b'; s += 2; continue;
			case 'f': *o++ = '\f'; s += 2; continue;
			case 'n': *o++ = '\n'; s += 2; continue;
			case 'r': *o++ = '\r'; s += 2; continue;
			case 't': *o++ = '\t'; s += 2; continue;
			case 'u': break;
			default: *o++ = s[1]; s += 2; continue;
			}
			cp = (unsigned long)hex4(p, s + 2, &bad);
			s += 6;
			if (cp >= 0xD800 && cp <= 0xDBFF) {
				unsigned long lo = (unsigned long)hex4(p, s + 2, &bad);

				cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
				s += 6;
			}
			o += utf8_put(o, cp);
		}
	}
	dst[n] = '\0';
	p->cur = c + 1;
	*out = (const char *)dst;
	*outlen = n;
	return 0;
}

static int
is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/* Validate the number at p->cur (RFC 8259 §6) and copy its text. */
static int
read_number(jparser *p, size_t last, b2b_json *v)
{
	const unsigned char *start = p->cur, *c = p->cur, *end = p->end;
	char *t;
	char d[16];

	if (*c == '-')
		c++;
	if (c >= end || !is_digit(*c))
		return err(p, c, last, "expected a digit after '-', found %s",
		           describe(p, c, d, sizeof(d)));
	if (*c == '0') {
		c++;
		if (c < end && is_digit(*c))
			return err(p, c, last, "leading zeros are not allowed in a number");
	} else {
		while (c < end && is_digit(*c))
			c++;
	}
	if (c < end && *c == '.') {
		c++;
		if (c >= end || !is_digit(*c))
			return err(p, c, last, "expected a digit after the decimal point, found %s",
			           describe(p, c, d, sizeof(d)));
		while (c < end && is_digit(*c))
			c++;
	}
	if (c < end && (*c == 'e' || *c == 'E')) {
		c++;
		if (c < end && (*c == '+' || *c == '-'))
			c++;
		if (c >= end || !is_digit(*c))
			return err(p, c, last, "expected a digit in the exponent, found %s",
			           describe(p, c, d, sizeof(d)));
		while (c < end && is_digit(*c))
			c++;
	}
	t = b2b__ctx_strndup(p->ctx, (const char *)start, (size_t)(c - start));
	if (t == NULL)
		return nomem(p);
	v->type = B2B_JSON_NUMBER;
	v->ptr = t;
	v->len = (size_t)(c - start);
	p->cur = c;
	return 0;
}

static int
read_literal(jparser *p, size_t last, b2b_json *v)
{
	static const struct {
		const char *word;
		size_t len;
		uint8_t type;
	} lits[] = {
		{ "true", 4, B2B_JSON_TRUE },
		{ "false", 5, B2B_JSON_FALSE },
		{ "null", 4, B2B_JSON_NULL },
	};
	size_t i, j;

	for (i = 0; i < sizeof(lits) / sizeof(lits[0]); i++) {
		if (*p->cur != (unsigned char)lits[i].word[0])
			continue;
		for (j = 1; j < lits[i].len; j++) {
			if (p->cur + j >= p->end || p->cur[j] != (unsigned char)lits[i].word[j])
				return err(p, p->cur, last, "invalid literal: expected '%s'", lits[i].word);
		}
		v->type = lits[i].type;
		p->cur += lits[i].len;
		return 0;
	}
	return B2B_ERROR;   /* not reached: the caller checked the first byte */
}

/*===========================================================================
 * MARK: - Work stack
 *===========================================================================*/

static int
push(jparser *p)
{
	if (p->ti == seg_cap(p->tk)) {
		p->tk++;
		p->ti = 0;
	}
	if (p->tk >= MAX_SEGS)
		return nomem(p);
	if (p->seg[p->tk] == NULL) {
		size_t cap = seg_cap(p->tk);

		if (cap > SIZE_MAX / sizeof(jslot))
			return nomem(p);
		p->seg[p->tk] = b2b__ctx_alloc(p->ctx, cap * sizeof(jslot));
		if (p->seg[p->tk] == NULL)
			return nomem(p);
	}
	p->slot = &p->seg[p->tk][p->ti++];
	p->top++;
	memset(p->slot, 0, sizeof(*p->slot));
	return 0;
}

static int
key_cmp(const b2b__jmember *a, const b2b__jmember *b)
{
	size_t n = a->klen < b->klen ? a->klen : b->klen;
	int c = n ? memcmp(a->key, b->key, n) : 0;

	if (c != 0)
		return c;
	if (a->klen != b->klen)
		return a->klen < b->klen ? -1 : 1;
	return 0;
}

/* Order of the index: by key, then by position (document order). */
static int
index_less(const b2b__jmember *a, const b2b__jmember *b)
{
	int c = key_cmp(a, b);

	return c < 0 || (c == 0 && a < b);
}

static void
sift_down(const b2b__jmember **h, size_t i, size_t n)
{
	for (;;) {
		size_t l = 2 * i + 1, big = i;
		const b2b__jmember *t;

		if (l < n && index_less(h[big], h[l]))
			big = l;
		if (l + 1 < n && index_less(h[big], h[l + 1]))
			big = l + 1;
		if (big == i)
			return;
		t = h[i];
		h[i] = h[big];
		h[big] = t;
		i = big;
	}
}

/* Heapsort: in place, O(n log n), no allocation (qsort may malloc). */
static void
sort_index(const b2b__jmember **h, size_t n)
{
	size_t i;

	if (n < 2)
		return;
	for (i = n / 2; i-- > 0;)
		sift_down(h, i, n);
	for (i = n - 1; i > 0; i--) {
		const b2b__jmember *t = h[0];

		h[0] = h[i];
		h[i] = t;
		sift_down(h, 0, i);
	}
}

/*
 * Index (document order) of the first member whose key appeared before,
 * or n when the keys are distinct.
 */
static size_t
first_duplicate(const b2b__jmember *m, const b2b__jmember *const *idx, size_t n)
{
	size_t i, j, best = n;

	if (idx == NULL) {
		for (i = 1; i < n; i++)
			for (j = 0; j < i; j++)
				if (m[i].klen == m[j].klen &&
				    (m[i].klen == 0 || (m[i].key[0] == m[j].key[0] &&
				                        memcmp(m[i].key, m[j].key, m[i].klen) == 0)))
					return i;
		return n;
	}
	for (i = 1; i < n; i++) {
		/* the second member of each run of equal keys */
		if (key_cmp(idx[i], idx[i - 1]) == 0 && (i < 2 || key_cmp(idx[i - 1], idx[i - 2]) != 0)) {
			size_t at = (size_t)(idx[i] - m);

			if (at < best)
				best = at;
		}
	}
	return best;
}

/* Close the innermost container: move its children into the arena. */
static int
close_container(jparser *p)
{
	int d = p->depth - 1;
	size_t base = p->base[d], n = p->top - base, k, j, i;
	jslot *own = slot_at(p, base - 1);
	size_t elem = p->ftype[d] == B2B_JSON_ARRAY ? sizeof(b2b_json) : sizeof(b2b__jmember);
	size_t extra = p->ftype[d] == B2B_JSON_OBJECT && n > SMALL_OBJECT ?
	               sizeof(b2b__jmember *) : 0;
	unsigned char *arr = NULL;

	if (n != 0) {
		if (n > SIZE_MAX / (elem + extra))
			return nomem(p);
		arr = b2b__ctx_alloc(p->ctx, n * (elem + extra));
		if (arr == NULL)
			return nomem(p);
	}
	locate(base, &k, &j);
	for (i = 0; i < n;) {
		/* the run of children held by segment k */
		const jslot *s = &p->seg[k][j];
		size_t run = seg_cap(k) - j, r;

		if (run > n - i)
			run = n - i;
		if (p->ftype[d] == B2B_JSON_OBJECT) {
			b2b__jmember *m = (b2b__jmember *)(void *)arr + i;

			for (r = 0; r < run; r++)
				m[r] = s[r].m;
		} else {
			b2b_json *a = (b2b_json *)(void *)arr + i;

			for (r = 0; r < run; r++)
				a[r] = s[r].m.val;
		}
		i += run;
		k++;
		j = 0;
	}
	if (p->ftype[d] == B2B_JSON_OBJECT && n > 1) {
		const b2b__jmember *m = (const b2b__jmember *)(void *)arr;
		const b2b__jmember **idx = NULL;
		size_t dup;

		if (extra != 0) {
			idx = (const b2b__jmember **)(void *)(arr + n * elem);
			for (i = 0; i < n; i++)
				idx[i] = &m[i];
			sort_index(idx, n);
		}
		if (!(p->flags & B2B_JSON_ALLOW_DUPLICATES)) {
			dup = first_duplicate(m, (const b2b__jmember *const *)idx, n);
			if (dup < n) {
				const jslot *s = slot_at(p, base + dup);
				char kb[64];
				sbuf b;
				jloc l;

				b2b__tbuf_init(&b, kb, sizeof(kb));
				sb_put_escaped(&b, s->m.key, s->m.klen);
				l.off = s->koff;
				l.line = s->kline;
				l.col = s->kcol;
				return err_at(p, l, base + dup, "duplicate key \"%s\"", kb);
			}
		}
	}
	own->m.val.ptr = arr;
	own->m.val.len = n;
	/* pop */
	p->depth--;
	p->top = base;
	locate(base, &p->tk, &p->ti);
	return 0;
}

/*===========================================================================
 * MARK: - The parser
 *===========================================================================*/

enum { ST_VALUE, ST_AFTER, ST_KEY, ST_KEY_NEXT };

static int
parse(jparser *p)
{
	int state = ST_VALUE, rc;
	char d[16];

	for (;;) {
		switch (state) {
		case ST_VALUE: {
			b2b_json *v = &p->slot->m.val;
			size_t last = p->top - 1;
			jloc l;
			unsigned char c;

			skip_ws(p);
			if (p->cur >= p->end)
				return err(p, p->cur, last, "expected a value, found end of input");
			c = *p->cur;
			l = loc_fast(p, p->cur);
			v->offset = l.off;
			v->line = l.line;
			v->col = l.col;
			if (c == '{' || c == '[') {
				if (p->depth == B2B_JSON_MAX_DEPTH)
					return err(p, p->cur, last, "nesting deeper than %d",
					           B2B_JSON_MAX_DEPTH);
				v->type = c == '{' ? B2B_JSON_OBJECT : B2B_JSON_ARRAY;
				p->ftype[p->depth] = v->type;
				p->base[p->depth] = p->top;
				p->depth++;
				p->cur++;
				skip_ws(p);
				if (p->cur < p->end && *p->cur == (c == '{' ? '}' : ']')) {
					p->cur++;
					if ((rc = close_container(p)) < 0)
						return rc;
					state = ST_AFTER;
				} else if (c == '{') {
					state = ST_KEY;
				} else {
					if ((rc = push(p)) < 0)
						return rc;
				}
				break;
			}
			if (c == '"') {
				const char *s;
				size_t n;

				if ((rc = read_string(p, last, &s, &n)) < 0)
					return rc;
				v->type = B2B_JSON_STRING;
				v->ptr = s;
				v->len = n;
			} else if (c == '-' || is_digit(c)) {
				if ((rc = read_number(p, last, v)) < 0)
					return rc;
			} else if (c == 't' || c == 'f' || c == 'n') {
				if ((rc = read_literal(p, last, v)) < 0)
					return rc;
			} else {
				return err(p, p->cur, last, "expected a value, found %s",
				           describe(p, p->cur, d, sizeof(d)));
			}
			state = ST_AFTER;
			break;
		}
		case ST_AFTER: {
			int f;

			skip_ws(p);
			if (p->depth == 0) {
				if (p->cur < p->end)
					return err(p, p->cur, NO_SLOT,
					           "expected the end of input after the JSON value, found %s",
					           describe(p, p->cur, d, sizeof(d)));
				return 0;
			}
			f = p->depth - 1;
			if (p->cur < p->end && *p->cur == ',') {
				p->cur++;
				if (p->ftype[f] == B2B_JSON_ARRAY) {
					if ((rc = push(p)) < 0)
						return rc;
					state = ST_VALUE;
				} else {
					state = ST_KEY_NEXT;
				}
			} else if (p->cur < p->end &&
			           *p->cur == (p->ftype[f] == B2B_JSON_ARRAY ? ']' : '}')) {
				p->cur++;
				if ((rc = close_container(p)) < 0)
					return rc;
			} else if (p->ftype[f] == B2B_JSON_ARRAY) {
				return err(p, p->cur, NO_SLOT,
				           "expected ',' or ']' after an array element, found %s",
				           describe(p, p->cur, d, sizeof(d)));
			} else {
				return err(p, p->cur, NO_SLOT,
				           "expected ',' or '}' after an object member, found %s",
				           describe(p, p->cur, d, sizeof(d)));
			}
			break;
		}
		case ST_KEY:
		case ST_KEY_NEXT: {
			const char *key;
			size_t klen;
			jloc l;

			skip_ws(p);
			if (p->cur >= p->end || *p->cur != '"')
				return err(p, p->cur, NO_SLOT, state == ST_KEY ?
				           "expected a string key or '}', found %s" :
				           "expected a string key after ',', found %s",
				           describe(p, p->cur, d, sizeof(d)));
			l = loc_fast(p, p->cur);
			if ((rc = read_string(p, NO_SLOT, &key, &klen)) < 0)
				return rc;
			if ((rc = push(p)) < 0)
				return rc;
			p->slot->m.key = key;
			p->slot->m.klen = klen;
			p->slot->koff = l.off;
			p->slot->kline = l.line;
			p->slot->kcol = l.col;
			skip_ws(p);
			if (p->cur >= p->end || *p->cur != ':')
				return err(p, p->cur, p->top - 1,
				           "expected ':' after an object key, found %s",
				           describe(p, p->cur, d, sizeof(d)));
			p->cur++;
			state = ST_VALUE;
			break;
		}
		default:
			return B2B_ERROR;
		}
	}
}

/*===========================================================================
 * MARK: - Public API
 *===========================================================================*/

int
b2b_json_parse(const b2b_json **out, b2b_ctx *ctx, const char *text, size_t len,
               unsigned flags)
{
	jslot seg0[SEG0];
	jparser p;
	b2b_json *root;
	int rc;

	if (out != NULL)
		*out = NULL;
	if (out == NULL || ctx == NULL || (text == NULL && len != 0))
		return b2b__ctx_seterr(ctx, B2B_EINVAL, "b2b_json_parse: NULL argument");
	if ((flags & ~(unsigned)B2B_JSON_ALLOW_DUPLICATES) != 0)
		return b2b__ctx_seterr(ctx, B2B_EINVAL, "b2b_json_parse: unknown flag 0x%x", flags);
	/* the depth arrays are written before they are read */
	memset(p.seg, 0, sizeof(p.seg));
	p.top = p.tk = p.ti = 0;
	p.depth = 0;
	p.ncont = 0;
	p.ctx = ctx;
	p.flags = flags;
	p.text = (const unsigned char *)(text != NULL ? text : "");
	p.cur = p.lstart = p.text;
	p.end = p.text + len;
	p.line = 1;
	p.seg[0] = seg0;
	if (len >= 3 && p.text[0] == 0xEF && p.text[1] == 0xBB && p.text[2] == 0xBF)
		return err(&p, p.text, NO_SLOT, "a UTF-8 byte order mark is not allowed");
	if (len >= 2 && ((p.text[0] == 0xFF && p.text[1] == 0xFE) ||
	                 (p.text[0] == 0xFE && p.text[1] == 0xFF)))
		return err(&p, p.text, NO_SLOT,
		           "UTF-16 byte order mark: only UTF-8 text is accepted");
	if ((len >= 1 && p.text[0] == 0) || (len >= 2 && p.text[1] == 0))
		return err(&p, p.text[0] == 0 ? p.text : p.text + 1, NO_SLOT,
		           "NUL byte: UTF-16 or UTF-32 text? only UTF-8 text is accepted");
	if ((rc = push(&p)) < 0)
		return rc;
	if ((rc = parse(&p)) < 0)
		return rc;
	root = b2b__ctx_alloc(ctx, sizeof(*root));
	if (root == NULL)
		return nomem(&p);
	*root = seg0[0].m.val;
	*out = root;
	return 0;
}

b2b_json_type
b2b_json_typeof(const b2b_json *v)
{
	return v != NULL ? (b2b_json_type)v->type : B2B_JSON_NULL;
}

const char *
b2b__json_type_text(b2b_json_type t)
{
	switch (t) {
	case B2B_JSON_NULL: return "null";
	case B2B_JSON_FALSE:
	case B2B_JSON_TRUE: return "boolean";
	case B2B_JSON_NUMBER: return "number";
	case B2B_JSON_STRING: return "string";
	case B2B_JSON_ARRAY: return "array";
	case B2B_JSON_OBJECT: return "object";
	}
	return "unknown";
}

static const char *const type_names[] = {
	"null", "false", "true", "number", "string", "array", "object"
};
#define NTYPES (sizeof(type_names) / sizeof(type_names[0]))

const char *
b2b_json_type_name(b2b_json_type t)
{
	return b2b__enum_name(type_names, NTYPES, (long long)t);
}

int
b2b_json_type_parse(b2b_json_type *out, const char *name, size_t len)
{
	int i = 0, rc = b2b__enum_parse(out != NULL ? &i : NULL, type_names, NTYPES, name, len);

	if (rc == 0)
		*out = (b2b_json_type)i;
	return rc;
}

const char *
b2b_json_string(const b2b_json *v, size_t *len)
{
	if (v == NULL || v->type != B2B_JSON_STRING) {
		if (len != NULL)
			*len = 0;
		return NULL;
	}
	if (len != NULL)
		*len = v->len;
	return v->ptr;
}

const char *
b2b_json_number_text(const b2b_json *v, size_t *len)
{
	if (v == NULL || v->type != B2B_JSON_NUMBER) {
		if (len != NULL)
			*len = 0;
		return NULL;
	}
	if (len != NULL)
		*len = v->len;
	return v->ptr;
}

int
b2b_json_number(b2b_dec *out, const b2b_json *v)
{
	if (out == NULL || v == NULL || v->type != B2B_JSON_NUMBER)
		return B2B_EINVAL;
	return b2b_dec_parse(out, NULL, v->ptr, v->len, B2B_DEC_PARSE_JSON);
}

size_t
b2b_json_size(const b2b_json *v)
{
	if (v == NULL || (v->type != B2B_JSON_ARRAY && v->type != B2B_JSON_OBJECT))
		return 0;
	return v->len;
}

const b2b_json *
b2b_json_at(const b2b_json *v, size_t i)
{
	if (v == NULL || v->type != B2B_JSON_ARRAY || i >= v->len)
		return NULL;
	return &((const b2b_json *)v->ptr)[i];
}

const char *
b2b_json_key_at(const b2b_json *v, size_t i, size_t *len)
{
	const b2b__jmember *m;

	if (v == NULL || v->type != B2B_JSON_OBJECT || i >= v->len) {
		if (len != NULL)
			*len = 0;
		return NULL;
	}
	m = &((const b2b__jmember *)v->ptr)[i];
	if (len != NULL)
		*len = m->klen;
	return m->key;
}

const b2b_json *
b2b_json_value_at(const b2b_json *v, size_t i)
{
	if (v == NULL || v->type != B2B_JSON_OBJECT || i >= v->len)
		return NULL;
	return &((const b2b__jmember *)v->ptr)[i].val;
}

const b2b_json *
b2b_json_get(const b2b_json *v, const char *key)
{
	const b2b__jmember *m;
	b2b__jmember probe;
	size_t n, i;

	if (v == NULL || key == NULL || v->type != B2B_JSON_OBJECT)
		return NULL;
	m = v->ptr;
	n = v->len;
	probe.key = key;
	probe.klen = strlen(key);
	if (n <= SMALL_OBJECT) {
		for (i = 0; i < n; i++)
			if (m[i].klen == probe.klen && memcmp(m[i].key, key, probe.klen) == 0)
				return &m[i].val;
		return NULL;
	} else {
		/* lower bound in the sorted index: the first of equal keys */
		const b2b__jmember *const *idx = (const b2b__jmember *const *)(const void *)(m + n);
		size_t lo = 0, hi = n;

		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;

			if (key_cmp(idx[mid], &probe) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo < n && key_cmp(idx[lo], &probe) == 0)
			return &idx[lo]->val;
		return NULL;
	}
}

long
b2b_json_offset(const b2b_json *v)
{
	return v != NULL ? (long)v->offset : -1;
}

long
b2b_json_line(const b2b_json *v)
{
	return v != NULL ? (long)v->line : 0;
}

long
b2b_json_col(const b2b_json *v)
{
	return v != NULL ? (long)v->col : 0;
}
