/*
 * libb2bcore — the book's fingerprint (SPEC §5.8): the SHA-256 of a
 * canonical text of the book's effective content, streamed line by line
 * into the hash (the text is never built whole). The canonical form is
 * specified in README.md, section "Fingerprint"; keep the two in step,
 * and bump the version line on any change.
 *
 * This file writes the text (the emitter, scopes and sets, every table's
 * rows) and computes the fingerprint; the order of each table's rows is
 * in fingerprint_order.c.
 * SPDX-License-Identifier: MIT
 */
#include <stdint.h>
#include <string.h>
#ifdef __SSE2__
#  include <emmintrin.h>
#endif

#include "b2b/error.h"
#include "fingerprint.h"
#include "fingerprint_rows.h"

#define FP_VERSION_LINE "b2b-book-fingerprint v1\n"

/*===========================================================================
 * MARK: - emitter: buffered bytes into a SHA-256 state
 *===========================================================================*/

static void
put(emit *e, const char *s, size_t n)
{
	if (e->len + n > sizeof e->buf) {
		flush(e);
		if (n > sizeof e->buf) {
			b2b__sha256_update(e->sha, s, n);
			return;
		}
	}
	if (n <= 16) {
		/* short pieces (separators, codes, numbers): no call */
		char *d = e->buf + e->len;

		e->len += n;
		while (n-- > 0)
			*d++ = *s++;
		return;
	}
	memcpy(e->buf + e->len, s, n);
	e->len += n;
}

static void
puts_(emit *e, const char *s)
{
	put(e, s, strlen(s));
}

/* What put_esc() does with each byte: 0 copy, 1 `\c` (`\` `|` `;`),
 * 2 `\xHH` (control bytes), 3 end of the string. */
static const unsigned char esc_kind[256] = {
	3, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0,   /* ';' */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,   /* '\\' */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 2,   /* '|', DEL */
};

#ifdef __SSE2__
/* 0xff in each byte of v that is not copied as it is (esc_kind[] != 0):
 * bytes <= 0x1f (NUL included), ';', '\\', '|', DEL. */
static inline __m128i
esc_flags(__m128i v)
{
	__m128i m = _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x1f)), v);

	m = _mm_or_si128(m, _mm_cmpeq_epi8(v, _mm_set1_epi8(';')));
	m = _mm_or_si128(m, _mm_cmpeq_epi8(v, _mm_set1_epi8('\\')));
	m = _mm_or_si128(m, _mm_cmpeq_epi8(v, _mm_set1_epi8('|')));
	return _mm_or_si128(m, _mm_cmpeq_epi8(v, _mm_set1_epi8(0x7f)));
}
#endif

/*
 * The escaped text of the NUL-terminated s into d (room for cap >= 4
 * bytes), README "Fingerprint". `readable` bytes from s may be read
 * (the string and whatever follows it in the same block; 0 when
 * unknown). With SSE2, clean runs within them are copied 16 bytes at a
 * time; the rest, and every byte to escape, go one at a time through
 * esc_kind[] (the reference). Returns the bytes written; *used is the
 * bytes of s consumed and *done is 1 once its NUL was reached (else d is
 * full: flush and call again from s + *used).
 */
static inline size_t
esc_into(char *d, size_t cap, const char *s, size_t readable, size_t *used, int *done)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	char *d0 = d, *dend = d + cap;

	*done = 0;
	for (;;) {
		unsigned char c;
		unsigned k;

#ifdef __SSE2__
		while (readable >= 16 && dend - d >= 16) {
			__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
			unsigned n;

			_mm_storeu_si128((__m128i *)(void *)d, v);
			n = (unsigned)_mm_movemask_epi8(esc_flags(v));
			if (n == 0) {
				d += 16;
				p += 16;
				readable -= 16;
				continue;
			}
			/* the clean bytes before the first flagged one are kept */
			n = (unsigned)__builtin_ctz(n);
			d += n;
			p += n;
			readable -= n;
			if (*p == '\0') {
				*done = 1;
				*used = (size_t)(p - (const unsigned char *)s);
				return (size_t)(d - d0);
			}
			break;
		}
#endif
		if (dend - d < 4)
			break;
		c = *p++;
		if (readable > 0)
			readable--;
		k = esc_kind[c];
		if (k == 0) {
			*d++ = (char)c;
		} else if (k == 1) {
			*d++ = '\\';
			*d++ = (char)c;
		} else if (k == 2) {
			*d++ = '\\';
			*d++ = 'x';
			*d++ = hex[c >> 4];
			*d++ = hex[c & 15];
		} else {
			*done = 1;
			p--;
			break;
		}
	}
	*used = (size_t)(p - (const unsigned char *)s);
	return (size_t)(d - d0);
}

size_t
b2b__fp_esc(char *d, size_t cap, const char *s, size_t readable, size_t *used, int *done)
{
	return esc_into(d, cap, s, readable, used, done);
}

/* A value, escaped, straight into the buffer: a string of the book's pool
 * is scanned 16 bytes at a time up to the pool's end, others (literals,
 * currency codes) a byte at a time. */
static void __attribute__((noinline))
put_esc_long(emit *e, const char *s, size_t readable)
{
	size_t used;
	int done;

	for (;;) {
		if (sizeof e->buf - e->len < 4)
			flush(e);
		e->len += esc_into(e->buf + e->len, sizeof e->buf - e->len, s, readable, &used,
		                   &done);
		if (done)
			return;
		s += used;
		readable = readable > used ? readable - used : 0;
		flush(e);
	}
}

/*
 * The common case inline: a pool string shorter than 16 bytes with
 * nothing to escape is one load, one store and one test; any other goes
 * through put_esc_long().
 */
static void __attribute__((noinline))
put_esc(emit *e, const char *s)
{
	size_t off = (size_t)((uintptr_t)s - (uintptr_t)e->b->strings);
	size_t readable = off < e->b->strings_len ? e->b->strings_len - off : 0;

#ifdef __SSE2__
	if (readable >= 16 && sizeof e->buf - e->len >= 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)s);
		unsigned n;

		_mm_storeu_si128((__m128i *)(void *)(e->buf + e->len), v);
		n = (unsigned)_mm_movemask_epi8(esc_flags(v));
		if (n != 0) {
			n = (unsigned)__builtin_ctz(n);
			if (s[n] == '\0') {
				e->len += n;
				return;
			}
		}
	}
#endif
	put_esc_long(e, s, readable);
}

static void
fail(emit *e, int rc)
{
	if (e->err == 0)
		e->err = rc;
}

/*
 * The next column of the row: a `|` before every column but the first.
 * `name` documents the call and, outside release builds, is checked
 * against the table's column list (a row function out of step with it
 * would silently change the format).
 */
static void
col(emit *e, const char *name)
{
#ifndef NDEBUG
	/* literals are usually merged, so the pointers are equal and strcmp is rare */
	if (e->cols == NULL || e->cols[e->ncol] == NULL ||
	    (e->cols[e->ncol] != name && strcmp(e->cols[e->ncol], name) != 0))
		fail(e, B2B_ERROR);
#else
	(void)name;
#endif
	if (e->ncol++ > 0) {
		if (e->len == sizeof e->buf)
			flush(e);
		e->buf[e->len++] = '|';
	}
}

static void
col_str(emit *e, const char *name, const char *v)
{
	col(e, name);
	put_esc(e, v);
}

/* A column whose value is one of the format's words (a-z and '_', in
 * tables of this file): nothing to escape, copied as it is. */
static void
col_word(emit *e, const char *name, const char *w)
{
	col(e, name);
	puts_(e, w);
}

/* A string column; empty when not set. */
static void
col_str_opt(emit *e, const char *name, b2b__str s)
{
	col(e, name);
	if (s != 0)
		put_esc(e, b2b__s(e->b, s));
}

static const char digit_pairs[] =
	"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

/*
 * A decimal in its shortest exact form. Coefficients that fit in 64 bits
 * (|v| < 9.2e9, every price and quantity in practice) are written here,
 * straight into the buffer once their length is known; the others
 * through b2b_dec_format(), which gives the same text (checked by
 * check_book.c).
 */
static void
put_dec(emit *e, b2b_dec v)
{
	static const uint64_t pow10[] = {
		1u, 10u, 100u, 1000u, 10000u, 100000u, 1000000u, 10000000u, 100000000u,
		1000000000u, UINT64_C(10000000000),
	};
	char buf[B2B_DEC_FORMAT_MAX], *p;
	uint64_t u, ip, fp;
	int rc, neg, digits = 0, ipd = 1;
	size_t n;

	if ((v.hi == 0 && v.lo <= (uint64_t)INT64_MAX) ||
	    (v.hi == -1 && v.lo > (uint64_t)INT64_MAX)) {
		neg = v.hi < 0;
		u = neg ? (uint64_t)0 - v.lo : v.lo;
		ip = u / 1000000000u;
		fp = u % 1000000000u;
		if (fp != 0) {
			/* at most 8 trailing zeros: strip 4, 4, 2, 1 */
			digits = 9;
			if (fp % 10000 == 0) {
				fp /= 10000;
				digits -= 4;
			}
			if (fp % 10000 == 0) {
				fp /= 10000;
				digits -= 4;
			}
			if (fp % 100 == 0) {
				fp /= 100;
				digits -= 2;
			}
			if (fp % 10 == 0) {
				fp /= 10;
				digits -= 1;
			}
		}
		/* ip < 9.3e9: at most 10 digits */
		while (ipd < 10 && ip >= pow10[ipd])
			ipd++;
		n = (size_t)neg + (size_t)ipd + (digits > 0 ? (size_t)digits + 1 : 0);
		if (sizeof e->buf - e->len < n)
			flush(e);
		p = e->buf + e->len + n;
		e->len += n;
		if (digits > 0) {
			for (; digits >= 2; digits -= 2) {
				p -= 2;
				memcpy(p, digit_pairs + 2 * (fp % 100), 2);
				fp /= 100;
			}
			if (digits > 0)
				*--p = (char)('0' + fp);
			*--p = '.';
		}
		while (ip >= 100) {
			p -= 2;
			memcpy(p, digit_pairs + 2 * (ip % 100), 2);
			ip /= 100;
		}
		if (ip >= 10) {
			p -= 2;
			memcpy(p, digit_pairs + 2 * ip, 2);
		} else {
			*--p = (char)('0' + ip);
		}
		if (neg)
			*--p = '-';
		return;
	}
	rc = b2b_dec_format(buf, sizeof buf, NULL, v, B2B_DEC_SCALE_EXACT, B2B_ROUND_HALF_UP);
	if (rc < 0) {
		fail(e, rc);
		return;
	}
	puts_(e, buf);
}

static void
col_dec(emit *e, const char *name, b2b_dec v)
{
	col(e, name);
	put_dec(e, v);
}

/* An optional decimal; empty when not set. */
static void
col_opt(emit *e, const char *name, const b2b__opt *o)
{
	col(e, name);
	if (o->set)
		put_dec(e, o->v);
}

static void
col_int(emit *e, const char *name, int64_t v)
{
	char buf[24], *p = buf + sizeof buf;
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	if (v < 0)
		*--p = '-';
	col(e, name);
	put(e, p, (size_t)(buf + sizeof buf - p));
}

/*
 * An instant in its written form (a form the book does not keep: a
 * date-time); empty when the bound is open (`open`).
 */
static void
col_time(emit *e, const char *name, int64_t sec, int32_t form, int64_t open)
{
	char buf[B2B_TIME_FORMAT_MAX];
	b2b_time t;
	int rc;

	col(e, name);
	if (sec == open)
		return;
	t.sec = sec;
	t.form = form == B2B_TIME_DATE ? B2B_TIME_DATE : B2B_TIME_DATETIME;
	t.reserved = 0;
	rc = b2b_time_format(buf, sizeof buf, NULL, t);
	if (rc < 0) {
		fail(e, rc);
		return;
	}
	puts_(e, buf);
}

static void
col_window(emit *e, const b2b__window *w)
{
	col_time(e, "valid_from", w->from, w->from_form, B2B__T_MIN);
	col_time(e, "valid_until", w->until, w->until_form, B2B__T_MAX);
}

static void
end_row(emit *e)
{
	/* every column of the table, none more */
	if (e->cols != NULL && e->cols[e->ncol] != NULL)
		fail(e, B2B_ERROR);
	put(e, "\n", 1);
	e->ncol = 0;
}

/*===========================================================================
 * MARK: - scopes, applies and sets
 *===========================================================================*/

static const char *
scope_prefix(const b2b__scope *s)
{
	if (s->kind == B2B__SCOPE_SKU)
		return "sku:";
	return s->kind == B2B__SCOPE_CATEGORY ? "category:" : "all";
}

static void
put_scope(emit *e, const b2b__scope *s)
{
	puts_(e, scope_prefix(s));
	put_esc(e, scope_body(e->b, s));
}

/* applies_to texts: "channel:C" < "customer:ID" < "default" < "segment:S". */
static int
apply_rank(int kind)
{
	switch (kind) {
	case B2B__APPLY_CHANNEL: return 0;
	case B2B__APPLY_CUSTOMER: return 1;
	case B2B__APPLY_DEFAULT: return 2;
	default: return 3;
	}
}

static int
applies_cmp(const b2b_book *b, const b2b__applies *x, const b2b__applies *y)
{
	if (x->kind != y->kind)
		return apply_rank(x->kind) < apply_rank(y->kind) ? -1 : 1;
	if (x->kind == B2B__APPLY_DEFAULT)
		return 0;
	return strcmp(b2b__s(b, x->value), b2b__s(b, y->value));
}

static void
put_applies(emit *e, const b2b__applies *a)
{
	switch (a->kind) {
	case B2B__APPLY_DEFAULT:
		puts_(e, "default");
		return;
	case B2B__APPLY_SEGMENT:
		puts_(e, "segment:");
		break;
	case B2B__APPLY_CHANNEL:
		puts_(e, "channel:");
		break;
	default:
		puts_(e, "customer:");
		break;
	}
	put_esc(e, b2b__s(e->b, a->value));
}

/*
 * A set-valued cell: its n elements in ascending order, duplicates once,
 * joined with ';'. Cells are short, so each step selects the least
 * element above the last one written (no allocation).
 */
typedef int (*elem_cmp)(const b2b_book *b, const void *arr, size_t i, size_t j);
typedef void (*elem_put)(emit *e, const void *arr, size_t i);

static void
col_set(emit *e, const char *name, const void *arr, size_t n, elem_cmp cmp, elem_put out)
{
	size_t k, i, last = 0, best;
	int first = 1;

	col(e, name);
	for (k = 0; k < n; k++) {
		best = n;
		for (i = 0; i < n; i++) {
			if (!first && cmp(e->b, arr, i, last) <= 0)
				continue;
			if (best == n || cmp(e->b, arr, i, best) < 0)
				best = i;
		}
		if (best == n)
			break;
		if (!first)
			put(e, ";", 1);
		out(e, arr, best);
		last = best;
		first = 0;
	}
}

static int
scope_elem_cmp(const b2b_book *b, const void *arr, size_t i, size_t j)
{
	const b2b__scope *s = arr;
	return scope_cmp(b, &s[i], &s[j]);
}

static void
scope_elem_put(emit *e, const void *arr, size_t i)
{
	put_scope(e, &((const b2b__scope *)arr)[i]);
}

static int
str_elem_cmp(const b2b_book *b, const void *arr, size_t i, size_t j)
{
	const b2b__str *s = arr;
	return strcmp(b2b__s(b, s[i]), b2b__s(b, s[j]));
}

static void
str_elem_put(emit *e, const void *arr, size_t i)
{
	put_esc(e, b2b__s(e->b, ((const b2b__str *)arr)[i]));
}

static int
applies_elem_cmp(const b2b_book *b, const void *arr, size_t i, size_t j)
{
	const b2b__applies *a = arr;
	return applies_cmp(b, &a[i], &a[j]);
}

static void
applies_elem_put(emit *e, const void *arr, size_t i)
{
	put_applies(e, &((const b2b__applies *)arr)[i]);
}

/* Ranges into the shared arrays, guarded against a broken layout. */
static const void *
slice(const void *base, size_t elem, size_t total, uint32_t off, uint32_t *n)
{
	if ((size_t)off + *n > total) {
		*n = 0;
		return base;
	}
	if (base == NULL)   /* an empty shared array may be NULL: no offset on it */
		return base;
	return (const char *)base + (size_t)off * elem;
}

/*===========================================================================
 * MARK: - rows: every column of SPEC §3, in its order; empty = not set
 *===========================================================================*/

static const char *const settings_cols[] = { "key", "value", NULL };
static const char *const currencies_cols[] = { "code", "minor_units", "cash_increment", NULL };
static const char *const fx_cols[] = { "from", "to", "rate", "valid_from", NULL };
static const char *const products_cols[] = {
	"sku", "list_price", "name", "category", "uom", "currency", "cost", "pack_size",
	"min_qty", "max_qty", "status", "tax_class", "on_hand", "daily_demand",
	"baseline_demand", "competitor_price", "prev_price", NULL,
};
static const char *const customers_cols[] = {
	"id", "name", "segment", "channel", "currency", "price_lists", "catalog",
	"credit_limit", "open_balance", "payment_terms", "regions", "min_order_value",
	"budget", NULL,
};
static const char *const lists_cols[] = {
	"id", "currency", "priority", "valid_from", "valid_until", "parent", "applies_to",
	"tier_mode", NULL,
};
static const char *const items_cols[] = {
	"list", "scope", "min_qty", "valid_from", "valid_until", "compute", "price",
	"discount_percent", "base", "surcharge", "round_to", "min_margin", "max_margin", NULL,
};
static const char *const contracts_cols[] = {
	"id", "customer", "currency", "valid_from", "valid_until", "policy",
	"allow_promotions", NULL,
};
static const char *const citems_cols[] = {
	"contract", "scope", "min_qty", "price", "discount_percent", NULL,
};
static const char *const rules_cols[] = {
	"id", "scope", "signal", "priority", "valid_from", "valid_until", "points",
	"markup_percent", "offset_percent", "min_factor", "max_factor", "max_change_percent",
	"price_step", NULL,
};
static const char *const promos_cols[] = {
	"id", "kind", "value", "scope", "segment", "code", "valid_from", "valid_until",
	"priority", "stacking", "buy_qty", "get_qty", "min_subtotal", NULL,
};
static const char *const taxes_cols[] = { "tax_class", "region", "rate_percent", NULL };
static const char *const approvals_cols[] = { "id", "metric", "threshold", "level", NULL };
static const char *const agreements_cols[] = {
	"id", "party", "scope", "basis", "kind", "tiers", "currency", "valid_from", "valid_until",
	NULL,
};
static const char *const cvolumes_cols[] = { "customer", "agreement", "volume", NULL };

/* The header line of a table: `@table|col|col…`; its columns are then current. */
static void
table_header(emit *e, const char *table, const char *const *cols)
{
	size_t i;

	put(e, "@", 1);
	puts_(e, table);
	for (i = 0; cols[i] != NULL; i++) {
		put(e, "|", 1);
		puts_(e, cols[i]);
	}
	put(e, "\n", 1);
	e->cols = cols;
	e->ncol = 0;
}

static void
setting_row(emit *e, const char *key)
{
	col_str(e, "key", key);
	col(e, "value");
}

static void
settings_rows(emit *e)
{
	const b2b__settings *s = &e->b->settings;

	table_header(e, "settings", settings_cols);
	setting_row(e, "base_currency");
	put_esc(e, ccy(e->b, s->base_currency));
	end_row(e);
	setting_row(e, "rounding_mode");
	puts_(e, b2b_rounding_name(s->rounding));
	end_row(e);
	col_str(e, "key", "unit_price_decimals");
	col_int(e, "value", s->unit_price_decimals);
	end_row(e);
	setting_row(e, "tax_rounding");
	puts_(e, s->tax_document ? "document" : "line");
	end_row(e);
	col_str(e, "key", "max_discount_percent");
	col_dec(e, "value", s->max_discount_percent);
	end_row(e);
	if (s->min_margin_percent.set) {
		col_str(e, "key", "min_margin_percent");
		col_dec(e, "value", s->min_margin_percent.v);
		end_row(e);
	}
	col_str(e, "key", "price_tolerance");
	col_dec(e, "value", s->price_tolerance);
	end_row(e);
	if (s->quote_validity_days != 0) {
		col_str(e, "key", "quote_validity_days");
		col_int(e, "value", s->quote_validity_days);
		end_row(e);
	}
}

static void
row_currency(emit *e, size_t i)
{
	const b2b__currency *c = &e->b->currencies[i];

	col_str(e, "code", c->code);
	col_int(e, "minor_units", c->minor_units);
	col_opt(e, "cash_increment", &c->cash_increment);
	end_row(e);
}

static void
row_fx(emit *e, size_t i)
{
	const b2b__fx *f = &e->b->fx[i];

	col_str(e, "from", ccy(e->b, f->from));
	col_str(e, "to", ccy(e->b, f->to));
	col_dec(e, "rate", f->rate);
	col_time(e, "valid_from", f->valid_from, B2B_TIME_DATETIME, B2B__T_MIN);
	end_row(e);
}

static void
row_product(emit *e, size_t i)
{
	const b2b_book *b = e->b;
	const b2b__product *p = &b->products[i];
	const b2b__product_ext *x = b2b__book_product_ext(b, p);

	col_str(e, "sku", b2b__s(b, p->sku));
	col_dec(e, "list_price", p->list_price);
	col_str_opt(e, "name", p->name);
	col(e, "category");
	if (p->category != B2B__NONE && p->category < b->ncategories)
		put_esc(e, b2b__s(b, b->categories[p->category].path));
	col_str_opt(e, "uom", x->uom);
	col_str(e, "currency", ccy(b, p->currency));
	col(e, "cost");
	if (p->flags & B2B__P_HAS_COST)
		put_dec(e, p->cost);
	col_opt(e, "pack_size", &x->pack_size);
	col_opt(e, "min_qty", &x->min_qty);
	col_opt(e, "max_qty", &x->max_qty);
	col_word(e, "status", (p->flags & B2B__P_INACTIVE) ? "inactive" : "active");
	col(e, "tax_class");
	if (p->tax_class != UINT16_MAX && p->tax_class < b->ntax_classes)
		put_esc(e, b2b__s(b, b->tax_classes[p->tax_class]));
	col_opt(e, "on_hand", &x->on_hand);
	col_opt(e, "daily_demand", &x->daily_demand);
	col_opt(e, "baseline_demand", &x->baseline_demand);
	col_opt(e, "competitor_price", &x->competitor_price);
	col_opt(e, "prev_price", &x->prev_price);
	end_row(e);
}

static void
row_customer(emit *e, size_t i)
{
	const b2b_book *b = e->b;
	const b2b__customer *c = &b->customers[i];
	const void *arr;
	uint32_t n, k;

	col_str(e, "id", b2b__s(b, c->id));
	col_str_opt(e, "name", c->name);
	col_str_opt(e, "segment", c->segment);
	col_str_opt(e, "channel", c->channel);
	col(e, "currency");
	if (c->currency != UINT16_MAX)
		put_esc(e, ccy(b, c->currency));
	/* price_lists: an ordered list (order matters, SPEC §5.2) */
	n = c->lists_n;
	arr = slice(b->u32, sizeof *b->u32, b->nu32, c->lists_off, &n);
	col(e, "price_lists");
	for (k = 0; k < n; k++) {
		uint32_t l = ((const uint32_t *)arr)[k];

		if (k > 0)
			put(e, ";", 1);
		put_esc(e, l < b->nlists ? b2b__s(b, b->lists[l].id) : "");
	}
	n = c->catalog_n;
	arr = slice(b->scopes, sizeof *b->scopes, b->nscopes, c->catalog_off, &n);
	col_set(e, "catalog", arr, n, scope_elem_cmp, scope_elem_put);
	col_opt(e, "credit_limit", &c->credit_limit);
	col_opt(e, "open_balance", &c->open_balance);
	n = c->terms_n;
	arr = slice(b->strs, sizeof *b->strs, b->nstrs, c->terms_off, &n);
	col_set(e, "payment_terms", arr, n, str_elem_cmp, str_elem_put);
	n = c->regions_n;
	arr = slice(b->strs, sizeof *b->strs, b->nstrs, c->regions_off, &n);
	col_set(e, "regions", arr, n, str_elem_cmp, str_elem_put);
	col_opt(e, "min_order_value", &c->min_order_value);
	col_opt(e, "budget", &c->budget);
	end_row(e);
}

static void
row_list(emit *e, size_t i)
{
	static const char *const tiers[] = { "all_units", "incremental", "block" };
	const b2b_book *b = e->b;
	const b2b__list *l = &b->lists[i];
	const void *arr;
	uint32_t n;

	col_str(e, "id", b2b__s(b, l->id));
	col_str(e, "currency", ccy(b, l->currency));
	col_int(e, "priority", l->priority);
	col_window(e, &l->window);
	col(e, "parent");
	if (l->parent != B2B__NONE)
		put_esc(e, list_id(b, l->parent));
	n = l->applies_n;
	arr = slice(b->applies, sizeof *b->applies, b->napplies, l->applies_off, &n);
	col_set(e, "applies_to", arr, n, applies_elem_cmp, applies_elem_put);
	col_word(e, "tier_mode", (unsigned)l->tier_mode < 3 ? tiers[l->tier_mode] : "");
	end_row(e);
}

static const char *const compute_names[] = { "fixed", "discount", "formula" };

static void
row_item(emit *e, size_t i)
{
	static const char *const bases[] = { "list", "cost", "parent" };
	const b2b_book *b = e->b;
	const b2b__item *it = &b->items[i];
	const b2b__item_ext *x = b2b__book_item_ext(b, it);

	col_str(e, "list", list_id(b, it->list));
	col(e, "scope");
	put_scope(e, &it->scope);
	col_dec(e, "min_qty", it->min_qty);
	col_window(e, &x->window);
	col_word(e, "compute", (unsigned)it->compute < 3 ? compute_names[it->compute] : "");
	col(e, "price");
	if (it->price_set)
		put_dec(e, it->price);
	col_opt(e, "discount_percent", &x->discount_percent);
	/* a fixed item has no base; the others default to list */
	col(e, "base");
	if (it->compute != B2B__COMPUTE_FIXED) {
		if (it->base == B2B__BASE_LIST_ID) {
			puts_(e, "list_id:");
			put_esc(e, list_id(b, it->base_list));
		} else {
			puts_(e, (unsigned)it->base < 3 ? bases[it->base] : "");
		}
	}
	col_opt(e, "surcharge", &x->surcharge);
	col_opt(e, "round_to", &x->round_to);
	col_opt(e, "min_margin", &x->min_margin);
	col_opt(e, "max_margin", &x->max_margin);
	end_row(e);
}

static void
row_contract(emit *e, size_t i)
{
	const b2b_book *b = e->b;
	const b2b__contract *k = &b->contracts[i];

	col_str(e, "id", b2b__s(b, k->id));
	col_str(e, "customer",
	        k->customer < b->ncustomers ? b2b__s(b, b->customers[k->customer].id) : "");
	col_str(e, "currency", ccy(b, k->currency));
	col_window(e, &k->window);
	col_word(e, "policy", k->policy == B2B__POLICY_BEST ? "best" : "override");
	col_int(e, "allow_promotions", k->allow_promotions ? 1 : 0);
	end_row(e);
}

static void
row_citem(emit *e, size_t i)
{
	const b2b_book *b = e->b;
	const b2b__item *it = &b->citems[i];

	col_str(e, "contract", contract_id(b, it->list));
	col(e, "scope");
	put_scope(e, &it->scope);
	col_dec(e, "min_qty", it->min_qty);
	col(e, "price");
	if (it->price_set)
		put_dec(e, it->price);
	col_opt(e, "discount_percent", &b2b__book_item_ext(b, it)->discount_percent);
	end_row(e);
}

static void
row_rule(emit *e, size_t i)
{
	static const char *const signals[] = { "stock_days", "demand_ratio", "competitor",
	                                       "cost_plus" };
	const b2b_book *b = e->b;
	const b2b__rule *r = &b->rules[i];
	uint32_t n = r->points_n, k;
	const b2b__point *pt = slice(b->points, sizeof *b->points, b->npoints, r->points_off, &n);

	col_str(e, "id", b2b__s(b, r->id));
	col(e, "scope");
	put_scope(e, &r->scope);
	col_word(e, "signal", (unsigned)r->signal < 4 ? signals[r->signal] : "");
	col_int(e, "priority", r->priority);
	col_window(e, &r->window);
	col(e, "points");
	for (k = 0; k < n; k++) {
		if (k > 0)
			put(e, ";", 1);
		put_dec(e, pt[k].x);
		put(e, ":", 1);
		put_dec(e, pt[k].f);
	}
	col_opt(e, "markup_percent", &r->markup_percent);
	if (r->signal == B2B__SIG_COMPETITOR && !r->offset_percent.set) {
		/* a competitor rule without offset_percent uses 0 (SPEC §9.4) */
		col_str(e, "offset_percent", "0");
	} else {
		col_opt(e, "offset_percent", &r->offset_percent);
	}
	col_opt(e, "min_factor", &r->min_factor);
	col_opt(e, "max_factor", &r->max_factor);
	col_opt(e, "max_change_percent", &r->max_change_percent);
	col_opt(e, "price_step", &r->price_step);
	end_row(e);
}

static void
row_promo(emit *e, size_t i)
{
	static const char *const kinds[] = { "percent", "amount", "fixed_price", "buy_x_get_y",
	                                     "order_percent", "order_amount" };
	const b2b_book *b = e->b;
	const b2b__promo *p = &b->promos[i];
	int order = p->kind == B2B__PROMO_ORDER_PERCENT || p->kind == B2B__PROMO_ORDER_AMOUNT;

	col_str(e, "id", b2b__s(b, p->id));
	col_word(e, "kind", (unsigned)p->kind < 6 ? kinds[p->kind] : "");
	col_opt(e, "value", &p->value);
	/* line kinds: all when empty; order kinds have no scope */
	col(e, "scope");
	if (!order)
		put_scope(e, &p->scope);
	col_str_opt(e, "segment", p->segment);
	col_str_opt(e, "code", p->code);
	col_window(e, &p->window);
	col_int(e, "priority", p->priority);
	col_word(e, "stacking", p->exclusive ? "exclusive" : "stackable");
	col_opt(e, "buy_qty", &p->buy_qty);
	col_opt(e, "get_qty", &p->get_qty);
	col_opt(e, "min_subtotal", &p->min_subtotal);
	end_row(e);
}

static void
row_tax(emit *e, size_t i)
{
	const b2b__tax *t = &e->b->taxes[i];

	col_str(e, "tax_class", b2b__s(e->b, t->tax_class));
	col_str(e, "region", b2b__s(e->b, t->region));
	col_dec(e, "rate_percent", t->rate_percent);
	end_row(e);
}

static void
row_approval(emit *e, size_t i)
{
	static const char *const metrics[] = { "line_discount_percent", "quote_discount_percent",
	                                       "quote_margin_percent_below", "quote_total_above" };
	const b2b__approval *a = &e->b->approvals[i];

	col_str(e, "id", b2b__s(e->b, a->id));
	col_word(e, "metric", (unsigned)a->metric < 4 ? metrics[a->metric] : "");
	col_dec(e, "threshold", a->threshold);
	col_int(e, "level", a->level);
	end_row(e);
}

/* SPEC §10: tiers normalised like points; currency (resolved) only on
 * an amount agreement. */
static void
row_agreement(emit *e, size_t i)
{
	const b2b_book *b = e->b;
	const b2b__agreement *a = &b->agreements[i];
	uint32_t n = a->tiers_n, k;
	const b2b__tier *t = slice(b->tiers, sizeof *b->tiers, b->ntiers, a->tiers_off, &n);

	col_str(e, "id", b2b__s(b, a->id));
	col(e, "party");
	puts_(e, a->party_kind == B2B__VA_PARTY_SEGMENT ? "segment:" : "customer:");
	put_esc(e, b2b__s(b, a->party));
	col(e, "scope");
	put_scope(e, &a->scope);
	col_word(e, "basis", a->basis == B2B__VA_BASIS_AMOUNT ? "amount" : "qty");
	col_word(e, "kind", a->kind == B2B__VA_REBATE ? "rebate" : "discount");
	col(e, "tiers");
	for (k = 0; k < n; k++) {
		if (k > 0)
			put(e, ";", 1);
		put_dec(e, t[k].threshold);
		put(e, ":", 1);
		put_dec(e, t[k].percent);
	}
	col_str(e, "currency", a->basis == B2B__VA_BASIS_AMOUNT ? ccy(b, a->currency) : "");
	col_window(e, &a->window);
	end_row(e);
}

static void
row_cvolume(emit *e, size_t i)
{
	const b2b_book *b = e->b;
	const b2b__cvolume *v = &b->cvolumes[i];

	col_str(e, "customer",
	        v->customer < b->ncustomers ? b2b__s(b, b->customers[v->customer].id) : "");
	col_str(e, "agreement",
	        v->agreement < b->nagreements ? b2b__s(b, b->agreements[v->agreement].id) : "");
	col_dec(e, "volume", v->volume);
	end_row(e);
}

/*===========================================================================
 * MARK: - the fingerprint
 *===========================================================================*/

/*
 * Emit the n rows of a table in canonical order. Tables already in that
 * order (products, customers… sorted by key at freeze) are streamed as
 * they are; the others are sorted through a temporary permutation.
 */
static int
emit_table(emit *e, const char *table, const char *const *cols, size_t n, row_fn row,
           int (*key)(const b2b_book *, uint32_t, uint32_t))
{
	order_ctx c;
	uint32_t *perm;
	size_t i;
	int rc;

	table_header(e, table, cols);
	c.b = e->b;
	c.cols = cols;
	c.row = row;
	c.key = key;
	for (i = 1; i < n; i++)
		if (order_cmp(&c, (uint32_t)(i - 1), (uint32_t)i) > 0)
			break;
	if (i >= n) {
		for (i = 0; i < n; i++)
			row(e, i);
		return 0;
	}
	perm = b2b__malloc(&e->b->alloc, n * sizeof *perm);
	if (perm == NULL)
		return B2B_ENOMEM;
	for (i = 0; i < n; i++)
		perm[i] = (uint32_t)i;
	rc = b2b__sort_u32(&e->b->alloc, perm, n, order_cmp, &c);
	if (rc == 0)
		for (i = 0; i < n; i++)
			row(e, perm[i]);
	b2b__free(&e->b->alloc, perm, n * sizeof *perm);
	return rc;
}

int
b2b__book_fingerprint(b2b_book *b)
{
	b2b__sha256 sha;
	unsigned char d[32];
	emit e;
	int rc;

	b2b__sha256_init(&sha);
	e.sha = &sha;
	e.b = b;
	e.err = 0;
	e.cols = NULL;
	e.ncol = 0;
	e.len = 0;
	puts_(&e, FP_VERSION_LINE);
	settings_rows(&e);
	if ((rc = emit_table(&e, "currencies", currencies_cols, b->ncurrencies, row_currency,
	                     b2b__fp_key_currency)) < 0 ||
	    (rc = emit_table(&e, "fx_rates", fx_cols, b->nfx, row_fx, b2b__fp_key_fx)) < 0 ||
	    (rc = emit_table(&e, "products", products_cols, b->nproducts, row_product,
	                     b2b__fp_key_product)) < 0 ||
	    (rc = emit_table(&e, "customers", customers_cols, b->ncustomers, row_customer,
	                     b2b__fp_key_customer)) < 0 ||
	    (rc = emit_table(&e, "price_lists", lists_cols, b->nlists, row_list,
	                     b2b__fp_key_list)) < 0 ||
	    (rc = emit_table(&e, "price_list_items", items_cols, b->nitems, row_item,
	                     b2b__fp_key_item)) < 0 ||
	    (rc = emit_table(&e, "contracts", contracts_cols, b->ncontracts, row_contract,
	                     b2b__fp_key_contract)) < 0 ||
	    (rc = emit_table(&e, "contract_items", citems_cols, b->ncitems, row_citem,
	                     b2b__fp_key_citem)) < 0 ||
	    (rc = emit_table(&e, "dynamic_rules", rules_cols, b->nrules, row_rule,
	                     b2b__fp_key_rule)) < 0 ||
	    (rc = emit_table(&e, "promotions", promos_cols, b->npromos, row_promo,
	                     b2b__fp_key_promo)) < 0 ||
	    (rc = emit_table(&e, "taxes", taxes_cols, b->ntaxes, row_tax, b2b__fp_key_tax)) < 0 ||
	    (rc = emit_table(&e, "approval_rules", approvals_cols, b->napprovals, row_approval,
	                     b2b__fp_key_approval)) < 0)
		return rc;
	/* SPEC §10 tables: written only when they have rows, so that the
	 * fingerprint of a book without them is unchanged */
	if ((b->nagreements > 0 &&
	     (rc = emit_table(&e, "volume_agreements", agreements_cols, b->nagreements,
	                      row_agreement, b2b__fp_key_agreement)) < 0) ||
	    (b->ncvolumes > 0 &&
	     (rc = emit_table(&e, "customer_volumes", cvolumes_cols, b->ncvolumes, row_cvolume,
	                      b2b__fp_key_cvolume)) < 0))
		return rc;
	if (e.err != 0)
		return e.err;
	flush(&e);
	b2b__sha256_final(&sha, d);
	b2b__sha256_hex(d, b->fingerprint);
	return 0;
}

/*===========================================================================
 * MARK: - one row at a time, fingerprint_rows.h
 *===========================================================================*/

static uint64_t
rot64(uint64_t x, int r)
{
	return (x << r) | (x >> (64 - r));
}

static uint64_t
fmix64(uint64_t k)
{
	k ^= k >> 33;
	k *= UINT64_C(0xff51afd7ed558ccd);
	k ^= k >> 33;
	k *= UINT64_C(0xc4ceb9fe1a85ec53);
	k ^= k >> 33;
	return k;
}

/* A 64-bit hash of n bytes (MurmurHash3's x64 mixing, one lane). */
static uint64_t
text_hash(const char *s, size_t n)
{
	const uint64_t c1 = UINT64_C(0x87c37b91114253d5), c2 = UINT64_C(0x4cf5ad432745937f);
	uint64_t h = UINT64_C(0x9e3779b97f4a7c15) ^ n, k;
	size_t i;

	for (i = 0; i + 8 <= n; i += 8) {
		memcpy(&k, s + i, 8);
		k *= c1;
		k = rot64(k, 31);
		k *= c2;
		h ^= k;
		h = rot64(h, 27) * 5 + 0x52dce729;
	}
	k = 0;
	for (; i < n; i++)
		k = (k << 8) | (unsigned char)s[i];
	k *= c1;
	k = rot64(k, 31);
	k *= c2;
	h ^= k;
	return fmix64(h);
}

typedef struct fp_table {
	const char *const *cols;
	row_fn row;
} fp_table;

static const fp_table *
fp_table_of(int t)
{
	static const fp_table tabs[] = {
		[B2B__FPT_CURRENCIES] = { currencies_cols, row_currency },
		[B2B__FPT_FX] = { fx_cols, row_fx },
		[B2B__FPT_PRODUCTS] = { products_cols, row_product },
		[B2B__FPT_CUSTOMERS] = { customers_cols, row_customer },
		[B2B__FPT_LISTS] = { lists_cols, row_list },
		[B2B__FPT_ITEMS] = { items_cols, row_item },
		[B2B__FPT_CONTRACTS] = { contracts_cols, row_contract },
		[B2B__FPT_CITEMS] = { citems_cols, row_citem },
		[B2B__FPT_RULES] = { rules_cols, row_rule },
		[B2B__FPT_PROMOS] = { promos_cols, row_promo },
		[B2B__FPT_TAXES] = { taxes_cols, row_tax },
		[B2B__FPT_APPROVALS] = { approvals_cols, row_approval },
		[B2B__FPT_AGREEMENTS] = { agreements_cols, row_agreement },
		[B2B__FPT_CVOLUMES] = { cvolumes_cols, row_cvolume },
	};

	if (t <= B2B__FPT_SETTINGS || t >= B2B__FPT_COUNT)
		return NULL;
	return &tabs[t];
}

size_t
b2b__fp_rows(const b2b_book *b, int table)
{
	switch (table) {
	case B2B__FPT_SETTINGS: return 1;
	case B2B__FPT_CURRENCIES: return b->ncurrencies;
	case B2B__FPT_FX: return b->nfx;
	case B2B__FPT_PRODUCTS: return b->nproducts;
	case B2B__FPT_CUSTOMERS: return b->ncustomers;
	case B2B__FPT_LISTS: return b->nlists;
	case B2B__FPT_ITEMS: return b->nitems;
	case B2B__FPT_CONTRACTS: return b->ncontracts;
	case B2B__FPT_CITEMS: return b->ncitems;
	case B2B__FPT_RULES: return b->nrules;
	case B2B__FPT_PROMOS: return b->npromos;
	case B2B__FPT_TAXES: return b->ntaxes;
	case B2B__FPT_APPROVALS: return b->napprovals;
	case B2B__FPT_AGREEMENTS: return b->nagreements;
	case B2B__FPT_CVOLUMES: return b->ncvolumes;
	default: return 0;
	}
}

/*
 * The hash of what the emitter holds: its buffer alone when nothing was
 * flushed (every row shorter than the buffer), else the SHA-256 of the
 * whole text, folded.
 */
static uint64_t
emitted_hash(emit *e)
{
	unsigned char d[32];
	uint64_t h;

	if (e->sha->nbytes == 0 && e->sha->blen == 0)
		return text_hash(e->buf, e->len);
	flush(e);
	b2b__sha256_final(e->sha, d);
	memcpy(&h, d, sizeof h);
	b2b__sha256_init(e->sha);
	return h;
}

int
b2b__fp_row_hashes(const b2b_book *b, int table, size_t from, size_t n, uint64_t *out)
{
	const fp_table *t = fp_table_of(table);
	b2b__sha256 sha;
	emit e;
	size_t i;

	if (from > b2b__fp_rows(b, table) || n > b2b__fp_rows(b, table) - from)
		return B2B_EINVAL;
	b2b__sha256_init(&sha);
	e.sha = &sha;
	e.b = b;
	e.err = 0;
	e.ncol = 0;
	e.len = 0;
	if (table == B2B__FPT_SETTINGS) {
		if (n == 0)
			return 0;
		settings_rows(&e);
		out[0] = emitted_hash(&e);
		return e.err;
	}
	if (t == NULL)
		return B2B_EINVAL;
	for (i = 0; i < n; i++) {
		e.cols = t->cols;
		e.ncol = 0;
		e.len = 0;
		t->row(&e, from + i);
		out[i] = emitted_hash(&e);
	}
	return e.err;
}
