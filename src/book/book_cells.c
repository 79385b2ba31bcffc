/*
 * libb2bcore — the book builder's cells: diagnostics, and the parsing
 * and checking of one cell by its column's type (SPEC §3 and §9:
 * decimals, integers, dates, enums, currency codes, category paths,
 * scopes, ;-lists, points; blanks around values). Strings go to the pool
 * of book_pool.c.
 *
 * Speed matters (millions of rows): no allocation per cell, decimals
 * parsed in place, the previous key of each column remembered.
 * SPDX-License-Identifier: MIT
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "b2b/currency.h"
#include "book_builder.h"

/*===========================================================================
 * MARK: - Diagnostics
 *===========================================================================*/

/* Remember where this build's diagnostics start on ctx (for the sort). */
void
b2b__bb_note_ctx(b2b_book_builder *b, b2b_ctx *ctx)
{
	if (b->diag_ctx == NULL) {
		b->diag_ctx = ctx;
		b->diag_start = b2b_ctx_diag_count(ctx);
	}
}

/* `"text"`: at most 60 bytes of the cell, shortened as core/text.h says
 * ("..." after a cut on a code point boundary), control characters shown
 * as '?'. */
void
b2b__bb_fmt_got(char *buf, size_t size, const char *s, size_t len)
{
	size_t max = 60, n = b2b__utf8_prefix(s, len, max), i;
	b2b__tbuf t;

	b2b__tbuf_init(&t, buf, size);
	b2b__tbuf_put(&t, "\"", 1);
	for (i = 0; i < n; i++) {
		char c = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i];

		b2b__tbuf_put(&t, &c, 1);
	}
	if (n < len)
		b2b__tbuf_puts(&t, B2B__TEXT_CUT);
	b2b__tbuf_put(&t, "\"", 1);
}

const char *
b2b__bb_row_source(const b2b_book_builder *b, int table, size_t row)
{
	const b2b__rowloc *l = (const b2b__rowloc *)b->locs[table].p + row;
	const b2b__seg *s = (const b2b__seg *)b->segs.p + B2B__LOC_SEG(*l);

	return s->source != NULL ? s->source : "";
}

static int vdiag(b2b_book_builder *b, b2b_ctx *ctx, int severity, const char *file, long line,
                 long col, const char *prefix, const char *fmt, va_list ap) B2B__PRINTF(8, 0);

static int
vdiag(b2b_book_builder *b, b2b_ctx *ctx, int severity, const char *file, long line, long col,
      const char *prefix, const char *fmt, va_list ap)
{
	char msg[768];

	b2b__text_vformat(msg, sizeof(msg), fmt, ap);
	if (severity == B2B_SEV_ERROR)
		b->nerrors++;
	if (prefix != NULL)
		return b2b__ctx_diag(ctx, severity, file, line, col, "%s: %s", prefix, msg);
	return b2b__ctx_diag(ctx, severity, file, line, col, "%s", msg);
}

int
b2b__bb_diag(b2b_book_builder *b, b2b_ctx *ctx, int severity, const char *file, long line,
             long col, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vdiag(b, ctx, severity, file, line, col, NULL, fmt, ap);
	va_end(ap);
	return rc;
}

int
b2b__bb_diag_row(b2b_book_builder *b, b2b_ctx *ctx, int severity, int table, size_t row,
                 int field, const char *fmt, ...)
{
	const b2b__rowloc *l = (const b2b__rowloc *)b->locs[table].p + row;
	const b2b__seg *s = (const b2b__seg *)b->segs.p + B2B__LOC_SEG(*l);
	va_list ap;
	long col = field >= 0 && field < B2B__MAX_FIELDS ? s->field_col[field] : 0;
	int rc;

	va_start(ap, fmt);
	rc = vdiag(b, ctx, severity, s->source, (long)l->line, col, NULL, fmt, ap);
	va_end(ap);
	return rc;
}

/*===========================================================================
 * MARK: - Cells
 *===========================================================================*/

void
b2b__bb_report(b2b__rowrd *r, long col, const char *label, const char *fmt, ...)
{
	va_list ap;
	int rc;

	r->bad = 1;
	va_start(ap, fmt);
	rc = vdiag(r->b, r->ctx, B2B_SEV_ERROR, r->seg->source, r->line, col, label, fmt, ap);
	va_end(ap);
	if (rc < 0)
		r->rc = rc;
}

/* A problem with a cell: "<label>: expected <what>, got "<cell>"". */
void
b2b__bb_cell_error(b2b__rowrd *r, long col, const char *label, const char *what,
                   const char *s, size_t len)
{
	char got[96];

	b2b__bb_fmt_got(got, sizeof(got), s, len);
	b2b__bb_report(r, col, label, "expected %s, got %s", what, got);
}

static int
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

/* Well-formed UTF-8 (no overlong forms, surrogates or code points past
 * U+10FFFF). */
static int
utf8_valid(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned c = s[i];

		if (c < 0x80) {
			i++;
		} else if (c >= 0xC2 && c <= 0xDF) {
			if (i + 1 >= n || (s[i + 1] & 0xC0) != 0x80)
				return 0;
			i += 2;
		} else if (c >= 0xE0 && c <= 0xEF) {
			if (i + 2 >= n || (s[i + 1] & 0xC0) != 0x80 || (s[i + 2] & 0xC0) != 0x80)
				return 0;
			if ((c == 0xE0 && s[i + 1] < 0xA0) || (c == 0xED && s[i + 1] > 0x9F))
				return 0;
			i += 3;
		} else if (c >= 0xF0 && c <= 0xF4) {
			if (i + 3 >= n || (s[i + 1] & 0xC0) != 0x80 || (s[i + 2] & 0xC0) != 0x80 ||
			    (s[i + 3] & 0xC0) != 0x80)
				return 0;
			if ((c == 0xF0 && s[i + 1] < 0x90) || (c == 0xF4 && s[i + 1] > 0x8F))
				return 0;
			i += 4;
		} else {
			return 0;
		}
	}
	return 1;
}

static const char *const dec_what[] = {
	[B2B__R_ANY] = "a decimal like 12.50",
	[B2B__R_GE0] = "a decimal >= 0 like 12.50",
	[B2B__R_GT0] = "a decimal > 0 like 12.50",
	[B2B__R_LE100] = "a decimal <= 100 like 12.5",
	[B2B__R_0_100] = "a decimal from 0 to 100 like 12.5",
};

/*
 * The common decimal, [-]D{1,9}[.D{1,9}], straight into its scaled
 * coefficient (below 10^18: no overflow); 0 when s is of another shape,
 * for b2b_dec_parse(), which gives the same value for these.
 */
static int
dec_fast(const char *s, size_t len, b2b_dec *out)
{
	static const uint64_t scale[10] = {
		1000000000, 100000000, 10000000, 1000000, 100000, 10000, 1000, 100, 10, 1
	};
	size_t i = len > 0 && s[0] == '-', start = i, fstart;
	uint64_t ip = 0, fp = 0, v;

	for (; i < len && s[i] >= '0' && s[i] <= '9'; i++)
		ip = ip * 10 + (uint64_t)(s[i] - '0');   /* wraps only when rejected below */
	if (i == start || i - start > 9)
		return 0;
	if (i < len) {
		if (s[i] != '.')
			return 0;
		fstart = ++i;
		for (; i < len && s[i] >= '0' && s[i] <= '9'; i++)
			fp = fp * 10 + (uint64_t)(s[i] - '0');
		if (i != len || i == fstart || i - fstart > 9)
			return 0;
		fp *= scale[i - fstart];
	}
	v = ip * 1000000000u + fp;
	if (start == 1 && v != 0) {
		out->lo = (uint64_t)0 - v;
		out->hi = -1;
	} else {
		out->lo = v;
		out->hi = 0;
	}
	return 1;
}

/* Parse a decimal; on a problem report it and return -1. */
static int
parse_dec(b2b__rowrd *r, long col, const char *label, int range, const char *s, size_t len,
          b2b_dec *out)
{
	int rc = dec_fast(s, len, out) ? 0 : b2b_dec_parse(out, NULL, s, len, 0);
	int sign;

	if (rc == B2B_EPRECISION) {
		b2b__bb_cell_error(r, col, label, "at most 9 fractional digits", s, len);
		return -1;
	}
	if (rc == B2B_EOVERFLOW) {
		b2b__bb_cell_error(r, col, label, "at most 28 integer digits", s, len);
		return -1;
	}
	if (rc < 0) {
		b2b__bb_cell_error(r, col, label, dec_what[B2B__R_ANY], s, len);
		return -1;
	}
	sign = b2b_dec_sign(*out);
	if ((range == B2B__R_GE0 && sign < 0) || (range == B2B__R_GT0 && sign <= 0) ||
	    (range == B2B__R_0_100 && sign < 0)) {
		b2b__bb_cell_error(r, col, label, dec_what[range], s, len);
		return -1;
	}
	if (range == B2B__R_LE100 || range == B2B__R_0_100) {
		b2b_dec hundred;

		b2b_dec_from_units(&hundred, 100, 0);
		if (b2b_dec_cmp(*out, hundred) > 0) {
			b2b__bb_cell_error(r, col, label, dec_what[range], s, len);
			return -1;
		}
	}
	return 0;
}

static int
parse_int(const char *s, size_t len, int64_t *out)
{
	size_t i = 0;
	int neg = 0;
	int64_t v = 0;

	if (len > 0 && s[0] == '-') {
		neg = 1;
		i = 1;
	}
	if (i == len || len - i > 18)
		return -1;
	for (; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = neg ? -v : v;
	return 0;
}

static void
int_what(char *buf, size_t size, int64_t lo, int64_t hi)
{
	if (lo == INT64_MIN && hi == INT64_MAX)
		snprintf(buf, size, "an integer like 10");
	else if (hi == INT64_MAX && lo == 1)
		snprintf(buf, size, "a positive integer like 2");
	else if (hi == INT64_MAX)
		snprintf(buf, size, "an integer >= %lld", (long long)lo);
	else
		snprintf(buf, size, "an integer from %lld to %lld", (long long)lo, (long long)hi);
}

void
b2b__bb_enum_what(char *buf, size_t size, const char *const *names)
{
	size_t n = 0, k;
	b2b__tbuf t;

	while (names[n] != NULL)
		n++;
	b2b__tbuf_init(&t, buf, size);
	b2b__tbuf_puts(&t, n > 2 ? "one of " : "");
	for (k = 0; k < n; k++)
		b2b__tbuf_printf(&t, "%s%s",
		                 k == 0 ? "" : k + 1 == n ? (n > 2 ? ", or " : " or ") : ", ",
		                 names[k]);
}

int
b2b__bb_enum_find(const char *const *names, const char *s, size_t len)
{
	int k;

	for (k = 0; names[k] != NULL; k++)
		if (strlen(names[k]) == len && memcmp(names[k], s, len) == 0)
			return k;
	return -1;
}

/* A non-empty piece without blanks around it. */
static int
piece_ok(const char *s, size_t len)
{
	return len > 0 && !is_blank(s[0]) && !is_blank(s[len - 1]);
}

/* A category path: non-empty segments without blanks, separated by '/'. */
static int
category_ok(const char *s, size_t len, int *depth)
{
	size_t i, start = 0;
	int d = 0;

	for (i = 0; i <= len; i++) {
		if (i == len || s[i] == '/') {
			if (!piece_ok(s + start, i - start))
				return 0;
			d++;
			start = i + 1;
		}
	}
	if (d > 254)
		return 0;
	*depth = d;
	return 1;
}

#define SCOPE_WHAT "a scope: sku:SKU, category:PATH (like category:tools/hand) or all"

/* Parse one scope into *sc (provisional ids). Returns 0 or -1 (reported). */
static int
parse_scope(b2b__rowrd *r, long col, const char *label, const char *s, size_t len, b2b__scope *sc)
{
	b2b_book_builder *b = r->b;
	int rc, depth;

	memset(sc, 0, sizeof(*sc));
	if (len == 3 && memcmp(s, "all", 3) == 0) {
		sc->kind = B2B__SCOPE_ALL;
	} else if (len > 4 && memcmp(s, "sku:", 4) == 0 && piece_ok(s + 4, len - 4)) {
		sc->kind = B2B__SCOPE_SKU;
		sc->depth = 255;
		if ((rc = b2b__bb_intern_sku(b, s + 4, len - 4, &sc->id)) < 0)
			goto nomem;
		/* the sku's own "sku:" prefix is the scope's text */
		if (b2b__bb_has_sku_prefix(b, sc->id)) {
			sc->text = sc->id - 4;
			return 0;
		}
	} else if (len > 9 && memcmp(s, "category:", 9) == 0 &&
	           category_ok(s + 9, len - 9, &depth)) {
		sc->kind = B2B__SCOPE_CATEGORY;
		sc->depth = (uint8_t)depth;
		if ((rc = b2b__bb_intern(b, s + 9, len - 9, &sc->id)) < 0)
			goto nomem;
	} else {
		b2b__bb_cell_error(r, col, label, SCOPE_WHAT, s, len);
		return -1;
	}
	if ((rc = b2b__bb_intern(b, s, len, &sc->text)) < 0)
		goto nomem;
	return 0;
nomem:
	r->rc = rc;
	return -1;
}

/* Split a ;-list; calls fn for each element; reports an empty element. */
typedef int (*elem_fn)(b2b__rowrd *r, long col, const char *label, const char *s, size_t len,
                       void *ud);

static int
each_elem(b2b__rowrd *r, long col, const char *label, const char *s, size_t len, const char *what,
          elem_fn fn, void *ud)
{
	size_t i, start = 0;
	int ok = 0;

	for (i = 0; i <= len; i++) {
		if (i == len || s[i] == ';') {
			if (!piece_ok(s + start, i - start)) {
				b2b__bb_cell_error(r, col, label, what, s, len);
				return -1;
			}
			start = i + 1;
		}
	}
	start = 0;
	for (i = 0; i <= len; i++) {
		if (i == len || s[i] == ';') {
			if (fn(r, col, label, s + start, i - start, ud) < 0)
				ok = -1;
			start = i + 1;
		}
	}
	return ok;
}

static int
scope_elem(b2b__rowrd *r, long col, const char *label, const char *s, size_t len, void *ud)
{
	b2b__scope sc, *p;

	(void)ud;
	if (parse_scope(r, col, label, s, len, &sc) < 0)
		return -1;
	if ((p = b2b__bb_vec_push(&r->b->alloc, &r->b->scopes, sizeof(b2b__scope))) == NULL) {
		r->rc = B2B_ENOMEM;
		return -1;
	}
	*p = sc;
	return 0;
}

/* A key of a ;-list into b->strs (or b->u32 for price lists); `uniq`
 * rejects repeats. */
typedef struct keylist {
	b2b__vec *v;
	size_t first;           /* index of this cell's first element */
	int uniq;
	const char *what;
} keylist;

static int
key_elem(b2b__rowrd *r, long col, const char *label, const char *s, size_t len, void *ud)
{
	keylist *kl = ud;
	b2b__str k;
	uint32_t *p;
	size_t j;
	int rc;

	if ((rc = b2b__bb_intern(r->b, s, len, &k)) < 0) {
		r->rc = rc;
		return -1;
	}
	if (kl->uniq) {
		for (j = kl->first; j < kl->v->n; j++) {
			if (((uint32_t *)kl->v->p)[j] == k) {
				char got[96];

				b2b__bb_fmt_got(got, sizeof(got), s, len);
				b2b__bb_report(r, col, label, "%s %s named twice", kl->what, got);
				return -1;
			}
		}
	}
	if ((p = b2b__bb_vec_push(&r->b->alloc, kl->v, sizeof(uint32_t))) == NULL) {
		r->rc = B2B_ENOMEM;
		return -1;
	}
	*p = k;
	return 0;
}

#define APPLIES_WHAT "a ;-list of default, segment:S, channel:C or customer:ID"

static int
applies_elem(b2b__rowrd *r, long col, const char *label, const char *s, size_t len, void *ud)
{
	size_t *first = ud, j;
	b2b__applies a, *p;
	size_t pre;
	int rc;

	memset(&a, 0, sizeof(a));
	if (len == 7 && memcmp(s, "default", 7) == 0) {
		a.kind = B2B__APPLY_DEFAULT;
		pre = len;
	} else if (len > 8 && memcmp(s, "segment:", 8) == 0) {
		a.kind = B2B__APPLY_SEGMENT;
		pre = 8;
	} else if (len > 8 && memcmp(s, "channel:", 8) == 0) {
		a.kind = B2B__APPLY_CHANNEL;
		pre = 8;
	} else if (len > 9 && memcmp(s, "customer:", 9) == 0) {
		a.kind = B2B__APPLY_CUSTOMER;
		pre = 9;
	} else {
		b2b__bb_cell_error(r, col, label, APPLIES_WHAT, s, len);
		return -1;
	}
	if (pre < len) {
		if (!piece_ok(s + pre, len - pre)) {
			b2b__bb_cell_error(r, col, label, APPLIES_WHAT, s, len);
			return -1;
		}
		if ((rc = b2b__bb_intern(r->b, s + pre, len - pre, &a.value)) < 0) {
			r->rc = rc;
			return -1;
		}
	}
	for (j = *first; j < r->b->applies.n; j++) {
		const b2b__applies *o = (const b2b__applies *)r->b->applies.p + j;

		if (o->kind == a.kind && o->value == a.value) {
			char got[96];

			b2b__bb_fmt_got(got, sizeof(got), s, len);
			b2b__bb_report(r, col, label, "%s named twice", got);
			return -1;
		}
	}
	if ((p = b2b__bb_vec_push(&r->b->alloc, &r->b->applies, sizeof(b2b__applies))) == NULL) {
		r->rc = B2B_ENOMEM;
		return -1;
	}
	*p = a;
	return 0;
}

#define POINTS_WHAT "points like 0:1.2;30:1;90:0.8 (x:factor, x strictly ascending)"

static int
point_elem(b2b__rowrd *r, long col, const char *label, const char *s, size_t len, void *ud)
{
	b2b__vec *pts = &r->b->points;
	size_t *first = ud;
	const char *colon = memchr(s, ':', len);
	b2b__point pt, *p;
	int rc;

	if (colon == NULL) {
		char got[96];

		b2b__bb_fmt_got(got, sizeof(got), s, len);
		b2b__bb_report(r, col, label, "expected x:factor pairs like 30:1.1, got %s", got);
		return -1;
	}
	rc = b2b_dec_parse(&pt.x, NULL, s, (size_t)(colon - s), 0);
	if (rc == 0)
		rc = b2b_dec_parse(&pt.f, NULL, colon + 1, len - (size_t)(colon - s) - 1, 0);
	if (rc == B2B_EPRECISION || rc == B2B_EOVERFLOW) {
		char got[96];

		b2b__bb_fmt_got(got, sizeof(got), s, len);
		b2b__bb_report(r, col, label, "expected decimals of at most %s, got %s",
		          rc == B2B_EPRECISION ? "9 fractional digits" : "28 integer digits", got);
		return -1;
	}
	if (rc < 0) {
		char got[96];

		b2b__bb_fmt_got(got, sizeof(got), s, len);
		b2b__bb_report(r, col, label, "expected x:factor pairs of decimals like 30:1.1, got %s",
		          got);
		return -1;
	}
	if (pts->n > *first &&
	    b2b_dec_cmp(pt.x, ((b2b__point *)pts->p)[pts->n - 1].x) <= 0) {
		char got[96];

		b2b__bb_fmt_got(got, sizeof(got), s, len);
		b2b__bb_report(r, col, label, "expected x values strictly ascending, got %s after a "
		          "point with the same or a greater x", got);
		return -1;
	}
	if ((p = b2b__bb_vec_push(&r->b->alloc, pts, sizeof(b2b__point))) == NULL) {
		r->rc = B2B_ENOMEM;
		return -1;
	}
	*p = pt;
	return 0;
}

#define TIERS_WHAT "tiers like 0:2;100:3.5 (threshold:percent, thresholds strictly ascending, " \
	"no blanks)"

/* One threshold:percent piece of a `tiers` cell (SPEC §10). */
static int
tier_elem(b2b__rowrd *r, long col, const char *label, const char *s, size_t len, void *ud)
{
	b2b__vec *tv = &r->b->tiers;
	size_t *first = ud;
	const char *colon = memchr(s, ':', len);
	size_t tl;
	b2b__tier t, *p;
	b2b_dec hundred;
	char got[96];
	int rc;

	b2b__bb_fmt_got(got, sizeof(got), s, len);
	if (colon == NULL) {
		b2b__bb_report(r, col, label, "expected threshold:percent pairs like 100:2.5, got %s",
		               got);
		return -1;
	}
	tl = (size_t)(colon - s);
	memset(&t, 0, sizeof t);
	rc = b2b_dec_parse(&t.threshold, NULL, s, tl, 0);
	if (rc == 0)
		rc = b2b_dec_parse(&t.percent, NULL, colon + 1, len - tl - 1, 0);
	if (rc == B2B_EPRECISION || rc == B2B_EOVERFLOW) {
		b2b__bb_report(r, col, label, "expected decimals of at most %s, got %s",
		               rc == B2B_EPRECISION ? "9 fractional digits" : "28 integer digits", got);
		return -1;
	}
	if (rc < 0) {
		b2b__bb_report(r, col, label, "expected threshold:percent pairs of decimals like "
		               "100:2.5, got %s", got);
		return -1;
	}
	b2b_dec_from_units(&hundred, 100, 0);
	if (b2b_dec_sign(t.threshold) < 0) {
		b2b__bb_report(r, col, label, "expected thresholds of at least 0, got %s", got);
		return -1;
	}
	if (b2b_dec_sign(t.percent) < 0 || b2b_dec_cmp(t.percent, hundred) > 0) {
		b2b__bb_report(r, col, label, "expected a percent from 0 to 100, got %s", got);
		return -1;
	}
	if (tv->n > *first && b2b_dec_cmp(t.threshold, ((b2b__tier *)tv->p)[tv->n - 1].threshold) <= 0) {
		b2b__bb_report(r, col, label, "expected thresholds strictly ascending, got %s after a "
		               "tier with the same or a greater threshold", got);
		return -1;
	}
	if ((rc = b2b__bb_intern(r->b, s, tl, &t.threshold_text)) < 0 ||
	    (rc = b2b__bb_intern(r->b, colon + 1, len - tl - 1, &t.percent_text)) < 0) {
		r->rc = rc;
		return -1;
	}
	if ((p = b2b__bb_vec_push(&r->b->alloc, tv, sizeof(b2b__tier))) == NULL) {
		r->rc = B2B_ENOMEM;
		return -1;
	}
	*p = t;
	return 0;
}

/*===========================================================================
 * MARK: - One cell, by its column's type
 *===========================================================================*/

/*
 * The previous key of a column (consecutive rows often repeat a list id,
 * a category, a currency…): 1 with *out when the cell is that key.
 */
static int
key_memo_get(const b2b__rowrd *r, const b2b__colspec *spec, const char *s, size_t len,
             b2b__str *out)
{
	const b2b_book_builder *b = r->b;
	int t = r->seg->table, f = (int)(spec - r->ts->cols);
	b2b__str m;

	if (f < 0 || f >= B2B__MAX_FIELDS)
		return 0;
	m = b->key_memo[t][f];
	if (m == 0 || b->key_memo_len[t][f] != len || memcmp(b->pool + m, s, len) != 0)
		return 0;
	*out = m;
	return 1;
}

/* Remember the interned key `s` (`len` bytes) as its column's previous key. */
static void
key_memo_put(b2b__rowrd *r, const b2b__colspec *spec, b2b__str s, size_t len)
{
	int t = r->seg->table, f = (int)(spec - r->ts->cols);

	if (f < 0 || f >= B2B__MAX_FIELDS)
		return;
	r->b->key_memo[t][f] = s;
	r->b->key_memo_len[t][f] = (uint32_t)len;
}

/*
 * The parsers of one cell, one per column type: each reads v->raw and
 * v->len (non-empty, blanks and encoding already checked), fills its part
 * of *v and returns 0, or reports the problem (or sets r->rc when out of
 * memory) and returns -1.
 */

static int
cell_key(b2b__rowrd *r, long col, const char *label, const b2b__colspec *spec, b2b__cellv *v)
{
	b2b_book_builder *b = r->b;
	int rc;

	if (key_memo_get(r, spec, v->raw, v->len, &v->s))
		return 0;
	rc = r->seg->table == B2B_TABLE_PRODUCTS && spec - r->ts->cols == B2B__F_P_SKU
	     ? b2b__bb_intern_sku(b, v->raw, v->len, &v->s)
	     : b2b__bb_intern(b, v->raw, v->len, &v->s);
	if (rc < 0) {
		r->rc = rc;
		return -1;
	}
	key_memo_put(r, spec, v->s, v->len);
	return 0;
}

static int
cell_text(b2b__rowrd *r, long col, const char *label, const b2b__colspec *spec, b2b__cellv *v)
{
	int rc;

	if ((rc = b2b__bb_pool_append(r->b, v->raw, v->len, &v->s)) < 0) {
		r->rc = rc;
		return -1;
	}
	return 0;
}

static int
cell_dec(b2b__rowrd *r, long col, const char *label, const b2b__colspec *spec, b2b__cellv *v)
{
	return parse_dec(r, col, label, spec->range, v->raw, v->len, &v->d);
}

static int
cell_int(b2b__rowrd *r, long col, const char *label, const b2b__colspec *spec, b2b__cellv *v)
{
	char what[256];

	if (parse_int(v->raw, v->len, &v->i) < 0 || v->i < spec->min || v->i > spec->max) {
		int_what(what, sizeof(what), spec->min, spec->max);
		b2b__bb_cell_error(r, col, label, what, v->raw, v->len);
		return -1;
	}
	return 0;
}

static int
cell_date(b2b__rowrd *r, long col, const char *label, const b2b__colspec *spec, b2b__cellv *v)
{
	if (b2b_time_parse(&v->t, NULL, v->raw, v->len) < 0) {
		b2b__bb_cell_error(r, col, label, "a date like 2026-06-01 or 2026-06-01T08:00:00Z",
		           v->raw, v->len);
		return -1;
	}
	return 0;
}

static int
cell_enum(b2b__rowrd *r, long col, const char *label, const b2b__colspec *spec, b2b__cellv *v)
{
	char what[256];

	if ((v->e = b2b__bb_enum_find(spec->names, v->raw, v->len)) < 0) {
		b2b__bb_enum_what(what, sizeof(what), spec->names);
		b2b__bb_cell_error(r, col, label, what, v->raw, v->len);
		return -1;
	}
	return 0;
}

static int
cell_ccy(b2b__rowrd *r, long col, const char *label, const b2b__colspec *spec, b2b__cellv *v)
{
	if (!b2b_currency_code_valid(v->raw, v->len)) {
		b2b__bb_cell_error(r, col, label, "a currency code of three upper-case letters like EUR",
		           v->raw, v->len);
		return -1;
	}
	v->e = b2b__ccy_code_index(v->raw);
	return 0;
}

static int
cell_category(b2b__rowrd *r, long col, const char *label, const b2b__colspec *spec,
              b2b__cellv *v)
{
	int rc, depth;

	if (key_memo_get(r, spec, v->raw, v->len, &v->s))
		return 0;
	if (!category_ok(v->raw, v->len, &depth)) {
		b2b__bb_cell_error(r, col, label, "a category path like tools/hand", v->raw, v->len);
		return -1;
	}
	if ((rc = b2b__bb_intern(r->b, v->raw, v->len, &v->s)) < 0) {
		r->rc = rc;
		return -1;
	}
	key_memo_put(r, spec, v->s, v->len);
	return 0;
}

static int
cell_scope(b2b__rowrd *r, long col, const char *label, const b2b__colspec *spec, b2b__cellv *v)
{
	b2b__scope_memo *m = &r->b->memo[r->seg->table];
	const char *s = v->raw;
	size_t len = v->len;

	/* consecutive rows often name the same scope */
	if (m->len == len && memcmp(m->text, s, len) == 0) {
		v->sc = m->scope;
		return 0;
	}
	if (parse_scope(r, col, label, s, len, &v->sc) < 0)
		return -1;
	if (len <= sizeof(m->text)) {
		memcpy(m->text, s, len);
		m->len = len;
		m->scope = v->sc;
	}
	return 0;
}

static int
cell_scopes(b2b__rowrd *r, long col, const char *label, const b2b__colspec *spec,
            b2b__cellv *v)
{
	b2b_book_builder *b = r->b;

	v->off = (uint32_t)b->scopes.n;
	if (each_elem(r, col, label, v->raw, v->len, "a ;-list of scopes (sku:SKU, category:PATH, "
	              "all)", scope_elem, NULL) < 0)
		return -1;
	v->n = (uint32_t)(b->scopes.n - v->off);
	return 0;
}

/* B2B__FT_LISTREFS (no repeats, into b->u32) and B2B__FT_KEYLIST (b->strs). */
static int
cell_keylist(b2b__rowrd *r, long col, const char *label, const b2b__colspec *spec,
             b2b__cellv *v)
{
	b2b_book_builder *b = r->b;
	keylist kl;

	kl.v = spec->type == B2B__FT_LISTREFS ? &b->u32 : &b->strs;
	kl.first = kl.v->n;
	kl.uniq = spec->type == B2B__FT_LISTREFS;
	kl.what = "price list";
	v->off = (uint32_t)kl.first;
	if (each_elem(r, col, label, v->raw, v->len, "a ;-list of ids like A;B", key_elem, &kl) < 0)
		return -1;
	v->n = (uint32_t)(kl.v->n - kl.first);
	return 0;
}

static int
cell_applies(b2b__rowrd *r, long col, const char *label, const b2b__colspec *spec,
             b2b__cellv *v)
{
	size_t first = r->b->applies.n;

	v->off = (uint32_t)first;
	if (each_elem(r, col, label, v->raw, v->len, APPLIES_WHAT, applies_elem, &first) < 0)
		return -1;
	v->n = (uint32_t)(r->b->applies.n - first);
	return 0;
}

static int
cell_base(b2b__rowrd *r, long col, const char *label, const b2b__colspec *spec, b2b__cellv *v)
{
	const char *s = v->raw;
	size_t len = v->len;
	int rc;

	if (len == 4 && memcmp(s, "list", 4) == 0) {
		v->base = B2B__BASE_LIST;
	} else if (len == 4 && memcmp(s, "cost", 4) == 0) {
		v->base = B2B__BASE_COST;
	} else if (len == 6 && memcmp(s, "parent", 6) == 0) {
		v->base = B2B__BASE_PARENT;
	} else if (len > 8 && memcmp(s, "list_id:", 8) == 0 && piece_ok(s + 8, len - 8)) {
		v->base = B2B__BASE_LIST_ID;
		if ((rc = b2b__bb_intern(r->b, s + 8, len - 8, &v->s)) < 0) {
			r->rc = rc;
			return -1;
		}
	} else {
		b2b__bb_cell_error(r, col, label, "list, cost, parent or list_id:ID", s, len);
		return -1;
	}
	return 0;
}

static int
cell_points(b2b__rowrd *r, long col, const char *label, const b2b__colspec *spec,
            b2b__cellv *v)
{
	size_t first = r->b->points.n;

	v->off = (uint32_t)first;
	if (each_elem(r, col, label, v->raw, v->len, POINTS_WHAT, point_elem, &first) < 0)
		return -1;
	v->n = (uint32_t)(r->b->points.n - first);
	return 0;
}

static int
cell_tiers(b2b__rowrd *r, long col, const char *label, const b2b__colspec *spec, b2b__cellv *v)
{
	size_t first = r->b->tiers.n;

	(void)spec;
	v->off = (uint32_t)first;
	if (each_elem(r, col, label, v->raw, v->len, TIERS_WHAT, tier_elem, &first) < 0)
		return -1;
	v->n = (uint32_t)(r->b->tiers.n - first);
	return 0;
}

/* customer:ID or segment:S (SPEC §10 `party`). */
static int
cell_party(b2b__rowrd *r, long col, const char *label, const b2b__colspec *spec, b2b__cellv *v)
{
	const char *s = v->raw;
	size_t len = v->len, pre;
	int rc;

	(void)spec;
	if (len > 9 && memcmp(s, "customer:", 9) == 0) {
		v->party_kind = B2B__VA_PARTY_CUSTOMER;
		pre = 9;
	} else if (len > 8 && memcmp(s, "segment:", 8) == 0) {
		v->party_kind = B2B__VA_PARTY_SEGMENT;
		pre = 8;
	} else {
		b2b__bb_cell_error(r, col, label, "customer:ID or segment:S", s, len);
		return -1;
	}
	if (!piece_ok(s + pre, len - pre)) {
		b2b__bb_cell_error(r, col, label, "customer:ID or segment:S", s, len);
		return -1;
	}
	if ((rc = b2b__bb_intern(r->b, s + pre, len - pre, &v->party)) < 0) {
		r->rc = rc;
		return -1;
	}
	return 0;
}

/* Parse a non-empty cell of type spec->type into *v. */
void
b2b__bb_parse_cell(b2b__rowrd *r, long col, const char *label, const b2b__colspec *spec,
                   b2b__cellv *v)
{
	const b2b_book_builder *b = r->b;
	const char *s = v->raw;
	size_t len = v->len;
	int rc;

	if (!b->trusted_utf8 && memchr(s, '\0', len) != NULL) {
		b2b__bb_report(r, col, label, "expected text without NUL bytes");
		return;
	}
	if (!b->trusted_utf8 && !utf8_valid((const unsigned char *)s, len)) {
		b2b__bb_report(r, col, label, "expected UTF-8 text, got invalid bytes");
		return;
	}
	if (is_blank(s[0]) || is_blank(s[len - 1])) {
		b2b__bb_cell_error(r, col, label, "no blanks around the value", s, len);
		return;
	}
	switch (spec->type) {
	case B2B__FT_KEY: rc = cell_key(r, col, label, spec, v); break;
	case B2B__FT_TEXT: rc = cell_text(r, col, label, spec, v); break;
	case B2B__FT_DEC: rc = cell_dec(r, col, label, spec, v); break;
	case B2B__FT_INT: rc = cell_int(r, col, label, spec, v); break;
	case B2B__FT_DATE: rc = cell_date(r, col, label, spec, v); break;
	case B2B__FT_ENUM: rc = cell_enum(r, col, label, spec, v); break;
	case B2B__FT_CCY: rc = cell_ccy(r, col, label, spec, v); break;
	case B2B__FT_CATEGORY: rc = cell_category(r, col, label, spec, v); break;
	case B2B__FT_SCOPE: rc = cell_scope(r, col, label, spec, v); break;
	case B2B__FT_SCOPES: rc = cell_scopes(r, col, label, spec, v); break;
	case B2B__FT_LISTREFS:
	case B2B__FT_KEYLIST: rc = cell_keylist(r, col, label, spec, v); break;
	case B2B__FT_APPLIES: rc = cell_applies(r, col, label, spec, v); break;
	case B2B__FT_BASE: rc = cell_base(r, col, label, spec, v); break;
	case B2B__FT_POINTS: rc = cell_points(r, col, label, spec, v); break;
	case B2B__FT_TIERS: rc = cell_tiers(r, col, label, spec, v); break;
	case B2B__FT_PARTY: rc = cell_party(r, col, label, spec, v); break;
	default: rc = 0; break;
	}
	if (rc == 0)
		v->set = 1;
}
