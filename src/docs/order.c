/*
 * libb2bcore — order validation (SPEC §7): the order, read from JSON by
 * order_read.c (every field problem kept as a MALFORMED violation), is priced as a
 * quote through b2b__quote_run() over the lines that can be priced, and
 * checked rule by rule; every violation is reported at once, in the order
 * of SPEC §9.20. See b2b/order.h for the rules and the decisions.
 *
 * Hot path: a parsed order (struct b2b_order) holds everything that does
 * not depend on the book (strings, decimals, times, the embedded quote's
 * fields), so validating it again costs no JSON work. b2b_order_validate()
 * allocates only from the ctx arena: a few blocks per order (line maps,
 * the quote request) plus what b2b__quote_run() needs; message and path
 * strings are built only for violations.
 * SPDX-License-Identifier: MIT
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "b2b/order.h"
#include "b2b/quote.h"
#include "ctx_int.h"
#include "enum.h"
#include "opts.h"
#include "dec_int.h"
#include "json_write.h"
#include "order_int.h"
#include "quote_int.h"

struct b2b_validation {
	int valid;
	b2b_dec total;
	const char *currency;
	int minor;
	b2b_rounding mode;
	b2b__violation *v;
	size_t n;
};

/* Codes (static strings; compared by strcmp when sorting). */
static const char *const C_MALFORMED = "MALFORMED";
static const char *const C_UNKNOWN_CUSTOMER = "UNKNOWN_CUSTOMER";
static const char *const C_CURRENCY_MISMATCH = "CURRENCY_MISMATCH";
static const char *const C_QUOTE_EXPIRED = "QUOTE_EXPIRED";
static const char *const C_QUOTE_NOT_ACCEPTED = "QUOTE_NOT_ACCEPTED";
static const char *const C_QUOTE_MISMATCH = "QUOTE_MISMATCH";
static const char *const C_CREDIT = "CREDIT_LIMIT_EXCEEDED";
static const char *const C_BUDGET = "BUDGET_EXCEEDED";
static const char *const C_MIN_ORDER = "MIN_ORDER_VALUE";
static const char *const C_TERMS = "PAYMENT_TERMS_NOT_ALLOWED";
static const char *const C_SHIP_TO = "SHIP_TO_NOT_ALLOWED";
static const char *const C_APPROVAL = "APPROVAL_REQUIRED";
static const char *const C_UNKNOWN_CODE = "UNKNOWN_CODE";
static const char *const C_UNKNOWN_SKU = "UNKNOWN_SKU";
static const char *const C_INACTIVE = "INACTIVE_SKU";
static const char *const C_NOT_ENTITLED = "NOT_ENTITLED";
static const char *const C_QTY_NOT_POSITIVE = "QTY_NOT_POSITIVE";
static const char *const C_QTY_BELOW_MIN = "QTY_BELOW_MIN";
static const char *const C_QTY_ABOVE_MAX = "QTY_ABOVE_MAX";
static const char *const C_QTY_NOT_MULTIPLE = "QTY_NOT_MULTIPLE";
static const char *const C_STOCK = "INSUFFICIENT_STOCK";
static const char *const C_PRICE_MISMATCH = "PRICE_MISMATCH";
static const char *const C_NO_FX_RATE = "NO_FX_RATE";
static const char *const C_NEGATIVE_PRICE = "NEGATIVE_PRICE";
static const char *const C_BELOW_FLOOR = "BELOW_FLOOR";
static const char *const C_DUPLICATE = "DUPLICATE_LINE";

/* A user text in a message ("%.*s%s"): at most 80 bytes, shortened as
 * core/text.h says. */
#define SHOWN(s, len) B2B__SHOWN((s), (len), 80)

static const char *const SEVERITY_NAMES[] = { "error", "hold", "warning" };
#define NSEVERITIES (sizeof(SEVERITY_NAMES) / sizeof(SEVERITY_NAMES[0]))

const char *
b2b_order_severity_name(b2b_order_severity severity)
{
	return b2b__enum_name(SEVERITY_NAMES, NSEVERITIES, (long long)severity);
}

int
b2b_order_severity_parse(b2b_order_severity *out, const char *name, size_t len)
{
	int i = 0, rc = b2b__enum_parse(out != NULL ? &i : NULL, SEVERITY_NAMES, NSEVERITIES,
	                                name, len);

	if (rc == 0)
		*out = (b2b_order_severity)i;
	return rc;
}

/*===========================================================================
 * MARK: - validation
 *===========================================================================*/

typedef struct vrun {
	b2b_ctx *ctx;
	const b2b_book *book;
	const b2b_order *o;
	struct b2b_validation *res;
	size_t cap;

	uint32_t cust;            /* B2B__NONE when unknown */
	const b2b__customer *c;
	uint16_t cur;             /* K: the order's currency (else customer's, else base) */
	int cur_given_ok;         /* `currency` was given and is a currency of the book */
	int upd;
	b2b_rounding mode;

	uint32_t *product;        /* per order line: product index or B2B__NONE */
	uint8_t *priceable;       /* per order line: known sku, qty > 0, price ≥ 0 readable */
	long *qline;              /* per order line: index in the quote run, or -1 */
	const b2b_quote *q;       /* the order priced as a quote; NULL when not run */
	int lines_priced;         /* q->lines[].lo are valid for the lines in qline */
	int doc_ok;               /* q's document figures (total, approval) are valid */
	int doc_fx_failed;        /* a document-level NO_FX_RATE was found */
	int currency_mismatch;
	int locked;               /* accepted, unexpired quote */
	int oom;                  /* a string of a violation could not be allocated */
} vrun;

static int
viol(vrun *r, const char *code, int sev, long line, const char *path, const char *expected,
     const char *actual, const char *fmt, ...) B2B__PRINTF(8, 9);

static int
viol(vrun *r, const char *code, int sev, long line, const char *path, const char *expected,
     const char *actual, const char *fmt, ...)
{
	b2b__violation v;
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	b2b__text_vformat(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	memset(&v, 0, sizeof(v));
	v.code = code;
	v.severity = sev;
	v.line = line;
	v.path = path;
	v.expected = expected;
	v.actual = actual;
	v.message = b2b__ctx_strndup(r->ctx, buf, strlen(buf));
	if (v.message == NULL)
		return B2B_ENOMEM;
	return b2b__violation_push(r->ctx, &r->res->v, &r->res->n, &r->cap, &v);
}

/* The strings of a violation (paths, expected, actual) are built before
 * viol() records it; one that could not be allocated marks the run, and
 * b2b_order_validate() then fails with B2B_ENOMEM instead of reporting a
 * violation with a missing part. */
static const char *
oom_check(vrun *r, const char *s)
{
	if (s == NULL)
		r->oom = 1;
	return s;
}

/* "lines[i].name" in the arena. */
static const char *
lpath(vrun *r, size_t i, const char *name)
{
	return oom_check(r, b2b__arena_printf(r->ctx, "lines[%zu].%s", i, name));
}

static const char *
str_dup(vrun *r, const char *s, size_t len)
{
	return oom_check(r, b2b__ctx_strndup(r->ctx, s, len));
}

/* printf into the arena, for the strings of a violation. */
static const char *
rprintf(vrun *r, const char *fmt, ...) B2B__PRINTF(2, 3);

static const char *
rprintf(vrun *r, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	b2b__text_vformat(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return str_dup(r, buf, strlen(buf));
}

/* A decimal as text at `scale` (B2B_DEC_SCALE_EXACT: shortest form). */
static const char *
dec_str(vrun *r, b2b_dec v, int scale)
{
	char buf[B2B_DEC_FORMAT_MAX];

	if (b2b_dec_format(buf, sizeof(buf), NULL, v, scale, r->mode) < 0)
		buf[0] = '\0';
	return str_dup(r, buf, strlen(buf));
}

/* A decimal of the order as given: canonical integer part, fractional
 * digits as written ("10.50" → "10.50", 1.5E1 → "15"). */
static const char *
given_str(vrun *r, const b2b__ofield *f)
{
	return dec_str(r, f->v, b2b__written_scale(f->s, f->len, f->number));
}

static const char *
time_str(vrun *r, b2b_time t)
{
	char buf[B2B_TIME_FORMAT_MAX];

	if (b2b_time_format(buf, sizeof(buf), NULL, t) < 0)
		buf[0] = '\0';
	return str_dup(r, buf, strlen(buf));
}

static int
field_eq(const b2b__ofield *f, const char *s, size_t len)
{
	return f->len == len && memcmp(f->s, s, len) == 0;
}

/* Natural path order: bytes, but array indexes as numbers. NULL first. */
static int
path_cmp(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b ? 0 : a == NULL ? -1 : 1;
	while (*a != '\0' && *b != '\0') {
		if (*a == '[' && *b == '[' && a[1] >= '0' && a[1] <= '9' && b[1] >= '0' &&
		    b[1] <= '9') {
			const char *pa = a + 1, *pb = b + 1;
			size_t na, nb;

			while (*pa == '0' && pa[1] >= '0' && pa[1] <= '9')
				pa++;
			while (*pb == '0' && pb[1] >= '0' && pb[1] <= '9')
				pb++;
			for (na = 0; pa[na] >= '0' && pa[na] <= '9'; na++)
				;
			for (nb = 0; pb[nb] >= '0' && pb[nb] <= '9'; nb++)
				;
			if (na != nb)
				return na < nb ? -1 : 1;
			{
				int c = memcmp(pa, pb, na);
				if (c != 0)
					return c < 0 ? -1 : 1;
			}
			a = pa + na;
			b = pb + nb;
			continue;
		}
		if (*a != *b)
			return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
		a++;
		b++;
	}
	return *a == *b ? 0 : (unsigned char)*a < (unsigned char)*b ? -1 : 1;
}

static int
viol_cmp(const void *pa, const void *pb)
{
	const b2b__violation *a = pa, *b = pb;
	int c;

	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if ((c = strcmp(a->code, b->code)) != 0)
		return c;
	if ((c = path_cmp(a->path, b->path)) != 0)
		return c;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* Convert a customer amount (in the customer's currency, else base) to K
 * (SPEC §9.15), like a list price: r9(v × rate). Returns 0, 1 (no rate),
 * or a negative code. */
static int
to_k(vrun *r, b2b_dec *out, b2b_dec v, uint16_t from)
{
	b2b_dec rate;
	uint16_t sf, st;
	int rc;

	if (from == r->cur) {
		*out = v;
		return 0;
	}
	if (!r->o->as_of.ok)
		return 2;   /* no instant to choose a rate: skipped */
	if (b2b__book_fx(r->book, from, r->cur, r->o->as_of.t.sec, &rate, &sf, &st) != 0)
		return 1;
	rc = b2b__r9_mul(out, r->book, v, rate);
	return rc < 0 ? rc : 0;
}

/*---------------------------------------------------------------------------
 * pricing the order as a quote
 *---------------------------------------------------------------------------*/

/* The line index k of a path "lines[k]..." of the quote run, or -1. */
static long
path_line(const char *path)
{
	long k = 0;

	if (path == NULL || strncmp(path, "lines[", 6) != 0)
		return -1;
	path += 6;
	if (*path < '0' || *path > '9')
		return -1;
	while (*path >= '0' && *path <= '9') {
		if (k > 100000000L)
			return -1;
		k = k * 10 + (*path++ - '0');
	}
	return *path == ']' ? k : -1;
}

/* "lines[i]<rest>" for a quote-run path "lines[k]<rest>". */
static const char *
remap_path(vrun *r, const char *path, size_t i)
{
	const char *rest = path != NULL ? strchr(path, ']') : NULL;

	if (rest == NULL)
		return path;
	return rprintf(r, "lines[%zu]%s", i, rest + 1);
}

static int
price_order(vrun *r)
{
	const b2b_order *o = r->o;
	const b2b_book *book = r->book;
	struct b2b_quote_request *req;
	b2b_quote *q = NULL;
	size_t i, k, n = o->nlines;
	size_t *map;
	uint8_t *active;
	int rc;

	map = b2b__arena_calloc(r->ctx, n + 1, sizeof(*map));
	active = b2b__arena_calloc(r->ctx, n + 1, 1);
	if (map == NULL || active == NULL)
		return B2B_ENOMEM;
	if ((rc = b2b__qreq_from_order(&req, r->ctx, o, r->cur_given_ok)) < 0)
		return rc;
	for (i = 0; i < n; i++)
		active[i] = r->priceable[i];

	for (;;) {
		int dropped = 0;

		b2b__qreq_order_lines(req, o, active, map);
		if (req->nlines == 0) {
			b2b__ctx_clearerr(r->ctx);
			return 0;     /* nothing left to price: the total is 0 */
		}

		rc = b2b__quote_run(&q, r->ctx, book, req, B2B__QUOTE_NO_TRACE);
		if (rc == 0 && q->nerrors == 0) {
			r->q = q;
			r->lines_priced = r->doc_ok = 1;
			break;
		}
		if (rc == B2B_EOVERFLOW) {
			/* a line whose own figures leave the decimal range: MALFORMED,
			 * left out; a document figure: the call cannot run */
			long kl = path_line(b2b_ctx_errpath(r->ctx));

			if (kl < 0 || (size_t)kl >= req->nlines)
				return rc;
			i = map[kl];
			active[i] = r->priceable[i] = 0;
			if ((rc = viol(r, C_MALFORMED, B2B_ORDER_ERROR, -1, lpath(r, i, "qty"), NULL,
			               NULL, "lines[%zu]: %s", i, b2b_ctx_errmsg(r->ctx))) < 0)
				return rc;
			continue;
		}
		if (rc < 0)
			return rc;
		/* the lines that cannot be priced (NO_FX_RATE, NEGATIVE_PRICE) are
		 * line violations, left out of the next run and of the total */
		for (k = 0; k < q->nerrors; k++) {
			const b2b__problem *p = &q->errors[k];

			if (p->line < 0 || (size_t)p->line >= req->nlines)
				continue;
			i = map[p->line];
			if (active[i]) {
				active[i] = r->priceable[i] = 0;
				dropped = 1;
			}
			/* MALFORMED stays a document-level code (the path says which line) */
			rc = viol(r, p->code, B2B_ORDER_ERROR,
			          strcmp(p->code, C_MALFORMED) == 0 ? -1 : (long)i,
			          remap_path(r, p->path, i), NULL, NULL, "lines[%zu]: %s", i, p->message);
			if (rc < 0)
				return rc;
		}
		if (dropped)
			continue;
		/* document problems are final only once every line was priced */
		for (k = 0; k < q->nerrors; k++) {
			const b2b__problem *p = &q->errors[k];

			if (p->line >= 0 && (size_t)p->line < req->nlines)
				continue;
			if (strcmp(p->code, C_NO_FX_RATE) == 0)
				r->doc_fx_failed = 1;
			if ((rc = viol(r, p->code, B2B_ORDER_ERROR, -1, p->path, NULL, NULL, "%s",
			               p->message)) < 0)
				return rc;
		}
		/* a document-level problem only (§9.22): the lines are priced, the
		 * document figures are not */
		r->q = q;
		r->lines_priced = 1;
		break;
	}
	b2b__ctx_clearerr(r->ctx);
	for (k = 0; k < r->q->nlines; k++)
		r->qline[map[k]] = (long)k;
	return 0;
}

/* Σ round(unit_price × qty) over the lines that could be priced (§9.15,
 * §9.22): the priceable lines, less those the quote run could not price. */
static int
fallback_total(vrun *r, b2b_dec *total)
{
	const b2b_order *o = r->o;
	int minor = r->book->currencies[r->cur].minor_units;
	b2b_dec x, sum = { 0, 0 };
	size_t i;
	int rc;

	for (i = 0; i < o->nlines; i++) {
		if (!r->priceable[i])
			continue;
		if ((rc = b2b_dec_mul(&x, o->lines[i].price.v, o->lines[i].qty.v, minor, r->mode)) < 0 ||
		    (rc = b2b_dec_add(&sum, sum, x)) < 0)
			return b2b__ctx_seterr(r->ctx, rc, "the order total leaves the decimal range");
	}
	*total = sum;
	return 0;
}

/*---------------------------------------------------------------------------
 * the checks
 *---------------------------------------------------------------------------*/

static int
check_header(vrun *r)
{
	const b2b_order *o = r->o;
	const b2b_book *book = r->book;
	uint32_t c;
	int rc;

	r->cust = B2B__NONE;
	if (o->customer.s != NULL) {
		r->cust = b2b__book_customer(book, o->customer.s, o->customer.len);
		if (r->cust == B2B__NONE &&
		    (rc = viol(r, C_UNKNOWN_CUSTOMER, B2B_ORDER_ERROR, -1, "customer", NULL,
		               str_dup(r, o->customer.s, o->customer.len),
		               "unknown customer '%.*s%s'", SHOWN(o->customer.s, o->customer.len))) < 0)
			return rc;
	}
	r->c = r->cust != B2B__NONE ? &book->customers[r->cust] : NULL;
	r->cur = book->settings.base_currency;
	if (r->c != NULL && r->c->currency != UINT16_MAX)
		r->cur = r->c->currency;
	if (o->currency.s != NULL) {
		c = b2b__book_currency(book, o->currency.s, o->currency.len);
		if (c == B2B__NONE) {
			rc = viol(r, C_MALFORMED, B2B_ORDER_ERROR, -1, "currency", NULL,
			          str_dup(r, o->currency.s, o->currency.len),
			          "currency '%.*s%s': not a currency of the book; the order is priced in %s",
			          SHOWN(o->currency.s, o->currency.len),
			          book->currencies[r->cur].code);
			if (rc < 0)
				return rc;
		} else {
			r->cur = (uint16_t)c;
			r->cur_given_ok = 1;
		}
	}
	return 0;
}

static int
check_quote(vrun *r)
{
	const b2b_order *o = r->o;
	const b2b__oquote *q = &o->quote;
	const char *cur = r->book->currencies[r->cur].code;
	int rc, expired = -1;  /* -1 unknown */
	size_t i, n;

	if (!q->given)
		return 0;
	if (q->status != B2B__QS_UNREADABLE && q->status != B2B_QUOTE_ACCEPTED &&
	    (rc = viol(r, C_QUOTE_NOT_ACCEPTED, B2B_ORDER_ERROR, -1, "quote.status", "accepted",
	               b2b_quote_state_name((b2b_quote_state)q->status),
	               "the quote is '%s', not 'accepted'",
	               b2b_quote_state_name((b2b_quote_state)q->status))) < 0)
		return rc;
	if (q->valid_until.ok && o->as_of.ok) {
		expired = !q->valid_until_null && b2b_time_cmp(o->as_of.t, q->valid_until.t) >= 0;
		if (expired &&
		    (rc = viol(r, C_QUOTE_EXPIRED, B2B_ORDER_ERROR, -1, "quote.valid_until",
		               time_str(r, q->valid_until.t), time_str(r, o->as_of.t),
		               "the quote expired at %.*s%s (the order is as of %.*s%s)",
		               SHOWN(q->valid_until.s, q->valid_until.len),
		               SHOWN(o->as_of.s, o->as_of.len))) < 0)
			return rc;
	}
	r->locked = q->status == B2B_QUOTE_ACCEPTED && expired == 0;
	if (q->customer.s != NULL && o->customer.s != NULL &&
	    !field_eq(&q->customer, o->customer.s, o->customer.len) &&
	    (rc = viol(r, C_QUOTE_MISMATCH, B2B_ORDER_ERROR, -1, "quote.customer",
	               str_dup(r, q->customer.s, q->customer.len),
	               str_dup(r, o->customer.s, o->customer.len),
	               "the quote is for customer '%.*s%s', the order for '%.*s%s'",
	               SHOWN(q->customer.s, q->customer.len),
	               SHOWN(o->customer.s, o->customer.len))) < 0)
		return rc;
	if (q->currency.s != NULL && (o->currency.s == NULL || r->cur_given_ok) &&
	    !field_eq(&q->currency, cur, strlen(cur))) {
		r->currency_mismatch = 1;
		rc = viol(r, C_CURRENCY_MISMATCH, B2B_ORDER_ERROR, -1, "currency",
		          str_dup(r, q->currency.s, q->currency.len), cur,
		          "the order is in %s, the quote in %.*s%s", cur,
		          SHOWN(q->currency.s, q->currency.len));
		if (rc < 0)
			return rc;
	}
	if (!q->lines_ok)
		return 0;
	if (q->nlines != o->nlines &&
	    (rc = viol(r, C_QUOTE_MISMATCH, B2B_ORDER_ERROR, -1, "quote.lines",
	               rprintf(r, "%zu", q->nlines),
	               rprintf(r, "%zu", o->nlines),
	               "the quote has %zu line%s, the order %zu", q->nlines,
	               q->nlines == 1 ? "" : "s", o->nlines)) < 0)
		return rc;
	n = q->nlines < o->nlines ? q->nlines : o->nlines;
	for (i = 0; i < n; i++) {
		const b2b__oline *ql = &q->lines[i], *ol = &o->lines[i];

		if (ql->sku.s != NULL && ol->sku.s != NULL &&
		    !field_eq(&ql->sku, ol->sku.s, ol->sku.len) &&
		    (rc = viol(r, C_QUOTE_MISMATCH, B2B_ORDER_ERROR, (long)i, lpath(r, i, "sku"),
		               str_dup(r, ql->sku.s, ql->sku.len), str_dup(r, ol->sku.s, ol->sku.len),
		               "the quote's line %zu is for sku '%.*s%s', the order's for '%.*s%s'",
		               i, SHOWN(ql->sku.s, ql->sku.len), SHOWN(ol->sku.s, ol->sku.len))) < 0)
			return rc;
		if (ql->qty.ok && ol->qty.ok && !b2b__dec_eq(ql->qty.v, ol->qty.v) &&
		    (rc = viol(r, C_QUOTE_MISMATCH, B2B_ORDER_ERROR, (long)i, lpath(r, i, "qty"),
		               given_str(r, &ql->qty), given_str(r, &ol->qty),
		               "the quote's line %zu has qty %.*s%s, the order's %.*s%s", i,
		               SHOWN(ql->qty.s, ql->qty.len), SHOWN(ol->qty.s, ol->qty.len))) < 0)
			return rc;
	}
	return 0;
}

/* The checks of one line that do not need its price. */
static int
check_line_static(vrun *r, size_t i)
{
	const b2b_order *o = r->o;
	const b2b_book *book = r->book;
	const b2b__oline *l = &o->lines[i];
	const b2b__product *p;
	const b2b__product_ext *x;
	const char *sku;
	size_t j;
	int rc, qty_pos;

	r->product[i] = B2B__NONE;
	if (l->sku.s == NULL)
		return 0;
	r->product[i] = b2b__book_product(book, l->sku.s, l->sku.len);
	if (r->product[i] == B2B__NONE) {
		/* the checks that need the product are skipped; not this one */
		if (l->qty.ok && b2b_dec_sign(l->qty.v) <= 0 &&
		    (rc = viol(r, C_QTY_NOT_POSITIVE, B2B_ORDER_ERROR, (long)i, lpath(r, i, "qty"),
		               NULL, given_str(r, &l->qty), "qty %.*s%s is not positive",
		               SHOWN(l->qty.s, l->qty.len))) < 0)
			return rc;
		return viol(r, C_UNKNOWN_SKU, B2B_ORDER_ERROR, (long)i, lpath(r, i, "sku"), NULL,
		            str_dup(r, l->sku.s, l->sku.len), "unknown sku '%.*s%s'",
		            SHOWN(l->sku.s, l->sku.len));
	}
	p = &book->products[r->product[i]];
	sku = b2b__s(book, p->sku);
	if ((p->flags & B2B__P_INACTIVE) &&
	    (rc = viol(r, C_INACTIVE, B2B_ORDER_ERROR, (long)i, lpath(r, i, "sku"), "active",
	               "inactive", "sku '%s' is inactive", sku)) < 0)
		return rc;
	if (r->c != NULL && r->c->catalog_n > 0) {
		for (j = 0; j < r->c->catalog_n; j++)
			if (b2b__scope_matches(book, &book->scopes[r->c->catalog_off + j], r->product[i]))
				break;
		if (j == r->c->catalog_n) {
			char cat[512];
			b2b__tbuf t;

			b2b__tbuf_init(&t, cat, sizeof(cat));
			for (j = 0; j < r->c->catalog_n && !t.cut; j++)
				b2b__tbuf_printf(&t, "%s%s", j > 0 ? ";" : "",
				                 b2b__s(book, book->scopes[r->c->catalog_off + j].text));
			rc = viol(r, C_NOT_ENTITLED, B2B_ORDER_ERROR, (long)i, lpath(r, i, "sku"),
			          str_dup(r, cat, strlen(cat)),
			          p->category != B2B__NONE ?
			              b2b__s(book, book->categories[p->category].path) : sku,
			          "sku '%s' is outside the customer's catalog (%s)", sku, cat);
			if (rc < 0)
				return rc;
		}
	}
	if (!l->qty.ok)
		return 0;
	qty_pos = b2b_dec_sign(l->qty.v) > 0;
	if (!qty_pos)
		return viol(r, C_QTY_NOT_POSITIVE, B2B_ORDER_ERROR, (long)i, lpath(r, i, "qty"), NULL,
		            given_str(r, &l->qty), "qty %.*s%s is not positive",
		            SHOWN(l->qty.s, l->qty.len));
	x = b2b__book_product_ext(book, p);
	if (x->min_qty.set && b2b_dec_cmp(l->qty.v, x->min_qty.v) < 0 &&
	    (rc = viol(r, C_QTY_BELOW_MIN, B2B_ORDER_ERROR, (long)i, lpath(r, i, "qty"),
	               dec_str(r, x->min_qty.v, B2B_DEC_SCALE_EXACT), given_str(r, &l->qty),
	               "qty %.*s%s is below the minimum of %s for sku '%s'",
	               SHOWN(l->qty.s, l->qty.len), dec_str(r, x->min_qty.v, B2B_DEC_SCALE_EXACT),
	               sku)) < 0)
		return rc;
	if (x->max_qty.set && b2b_dec_cmp(l->qty.v, x->max_qty.v) > 0 &&
	    (rc = viol(r, C_QTY_ABOVE_MAX, B2B_ORDER_ERROR, (long)i, lpath(r, i, "qty"),
	               dec_str(r, x->max_qty.v, B2B_DEC_SCALE_EXACT), given_str(r, &l->qty),
	               "qty %.*s%s is above the maximum of %s for sku '%s'",
	               SHOWN(l->qty.s, l->qty.len), dec_str(r, x->max_qty.v, B2B_DEC_SCALE_EXACT),
	               sku)) < 0)
		return rc;
	if (x->pack_size.set && b2b_dec_sign(x->pack_size.v) > 0) {
		/* q is a whole multiple of m exactly when their coefficients are */
		b2b__i128 qc = b2b__dec_to_i128(l->qty.v), mc = b2b__dec_to_i128(x->pack_size.v);

		if (qc % mc != 0 &&
		    (rc = viol(r, C_QTY_NOT_MULTIPLE, B2B_ORDER_ERROR, (long)i, lpath(r, i, "qty"),
		               dec_str(r, x->pack_size.v, B2B_DEC_SCALE_EXACT), given_str(r, &l->qty),
		               "qty %.*s%s is not a multiple of the pack size %s of sku '%s'",
		               SHOWN(l->qty.s, l->qty.len),
		               dec_str(r, x->pack_size.v, B2B_DEC_SCALE_EXACT), sku)) < 0)
			return rc;
	}
	if (x->on_hand.set && b2b_dec_cmp(l->qty.v, x->on_hand.v) > 0 &&
	    (rc = viol(r, C_STOCK, B2B_ORDER_WARNING, (long)i, lpath(r, i, "qty"),
	               dec_str(r, x->on_hand.v, B2B_DEC_SCALE_EXACT), given_str(r, &l->qty),
	               "qty %.*s%s exceeds the %s on hand of sku '%s'", SHOWN(l->qty.s, l->qty.len),
	               dec_str(r, x->on_hand.v, B2B_DEC_SCALE_EXACT), sku)) < 0)
		return rc;
	return 0;
}

/* NEGATIVE_PRICE of a submitted price, and whether the line can be priced. */
static int
check_priceable(vrun *r, size_t i)
{
	const b2b__oline *l = &r->o->lines[i];
	int rc;

	r->priceable[i] = 0;
	if (l->price.ok && b2b_dec_sign(l->price.v) < 0) {
		rc = viol(r, C_NEGATIVE_PRICE, B2B_ORDER_ERROR, (long)i, lpath(r, i, "unit_price"),
		          NULL, given_str(r, &l->price), "unit_price %.*s%s is negative",
		          SHOWN(l->price.s, l->price.len));
		return rc;
	}
	r->priceable[i] = r->product[i] != B2B__NONE && l->qty.ok && b2b_dec_sign(l->qty.v) > 0 &&
	                  l->price.ok;
	return 0;
}

/* PRICE_MISMATCH and BELOW_FLOOR of line i (SPEC §7). */
static int
check_price(vrun *r, size_t i)
{
	const b2b_order *o = r->o;
	const b2b__oline *l = &o->lines[i];
	const b2b__line_out *lo = NULL;
	const b2b_dec tol = r->book->settings.price_tolerance;
	b2b_dec ref, diff;
	int have_ref = 0, rc;
	const char *what = "the engine's price";

	if (!l->price.ok)
		return 0;
	if (r->lines_priced && r->qline[i] >= 0)
		lo = &r->q->lines[r->qline[i]].lo;
	if (r->locked && i < o->quote.nlines && o->quote.lines[i].sku.s != NULL &&
	    l->sku.s != NULL && field_eq(&o->quote.lines[i].sku, l->sku.s, l->sku.len)) {
		if (o->quote.lines[i].price.ok) {
			ref = o->quote.lines[i].price.v;
			have_ref = 1;
			what = "the accepted quote's price";
		}
	} else if (lo != NULL) {
		ref = lo->engine_rounded;
		have_ref = 1;
	}
	if (have_ref) {
		if ((rc = b2b_dec_sub(&diff, l->price.v, ref)) < 0)
			return b2b__ctx_seterr(r->ctx, rc, "a price difference leaves the decimal range");
		if (b2b_dec_cmp(b2b_dec_abs(diff), tol) > 0 &&
		    (rc = viol(r, C_PRICE_MISMATCH, B2B_ORDER_ERROR, (long)i, lpath(r, i, "unit_price"),
		               dec_str(r, ref, r->upd), given_str(r, &l->price),
		               "unit_price %.*s%s differs from %s %s by more than the tolerance %s",
		               SHOWN(l->price.s, l->price.len), what, dec_str(r, ref, r->upd),
		               dec_str(r, tol, B2B_DEC_SCALE_EXACT))) < 0)
			return rc;
	}
	if (lo != NULL && !r->locked && lo->below_floor &&
	    (rc = viol(r, C_BELOW_FLOOR, B2B_ORDER_HOLD, (long)i, lpath(r, i, "unit_price"),
	               dec_str(r, lo->floor.v, B2B_DEC_SCALE), dec_str(r, lo->unit_price, r->upd),
	               "unit_price %s is below the floor %s of sku '%.*s%s'",
	               dec_str(r, lo->unit_price, r->upd), dec_str(r, lo->floor.v, B2B_DEC_SCALE),
	               SHOWN(l->sku.s, l->sku.len))) < 0)
		return rc;
	return 0;
}

static int
check_duplicates(vrun *r)
{
	const b2b_order *o = r->o;
	size_t i, j;
	int rc;

	for (i = 1; i < o->nlines; i++) {
		const b2b__oline *l = &o->lines[i];

		if (l->sku.s == NULL)
			continue;
		for (j = 0; j < i; j++)
			if (o->lines[j].sku.s != NULL && field_eq(&o->lines[j].sku, l->sku.s, l->sku.len))
				break;
		if (j < i &&
		    (rc = viol(r, C_DUPLICATE, B2B_ORDER_WARNING, (long)i, lpath(r, i, "sku"), NULL,
		               str_dup(r, l->sku.s, l->sku.len),
		               "sku '%.*s%s' was already ordered on line %zu",
		               SHOWN(l->sku.s, l->sku.len),
		               j)) < 0)
			return rc;
	}
	return 0;
}

static int
list_has(const b2b_book *book, uint32_t off, uint32_t n, const char *s, size_t len)
{
	uint32_t j;

	for (j = 0; j < n; j++) {
		const char *x = b2b__s(book, book->strs[off + j]);
		if (strlen(x) == len && memcmp(x, s, len) == 0)
			return 1;
	}
	return 0;
}

static const char *
list_text(vrun *r, uint32_t off, uint32_t n)
{
	char buf[512];
	b2b__tbuf t;
	uint32_t j;

	b2b__tbuf_init(&t, buf, sizeof(buf));
	for (j = 0; j < n && !t.cut; j++)
		b2b__tbuf_printf(&t, "%s%s", j > 0 ? ";" : "", b2b__s(r->book, r->book->strs[off + j]));
	return str_dup(r, buf, t.len);
}

/* Terms, regions, codes: the checks that need no price. */
static int
check_document_static(vrun *r)
{
	const b2b_order *o = r->o;
	const b2b_book *book = r->book;
	const b2b__customer *c = r->c;
	size_t i, j;
	int rc;

	if (c != NULL && o->payment_terms.s != NULL && c->terms_n > 0 &&
	    !list_has(book, c->terms_off, c->terms_n, o->payment_terms.s, o->payment_terms.len)) {
		const char *allowed = list_text(r, c->terms_off, c->terms_n);

		rc = viol(r, C_TERMS, B2B_ORDER_ERROR, -1, "payment_terms", allowed,
		          str_dup(r, o->payment_terms.s, o->payment_terms.len),
		          "payment terms '%.*s%s' are not allowed for this customer (allowed: %s)",
		          SHOWN(o->payment_terms.s, o->payment_terms.len),
		          allowed != NULL ? allowed : "");
		if (rc < 0)
			return rc;
	}
	if (c != NULL && o->ship_to.s != NULL && c->regions_n > 0 &&
	    !list_has(book, c->regions_off, c->regions_n, o->ship_to.s, o->ship_to.len)) {
		const char *allowed = list_text(r, c->regions_off, c->regions_n);

		rc = viol(r, C_SHIP_TO, B2B_ORDER_ERROR, -1, "ship_to", allowed,
		          str_dup(r, o->ship_to.s, o->ship_to.len),
		          "ship-to region '%.*s%s' is not allowed for this customer (allowed: %s)",
		          SHOWN(o->ship_to.s, o->ship_to.len), allowed != NULL ? allowed : "");
		if (rc < 0)
			return rc;
	}
	/* without a quote: the stated currency against the customer's */
	if (!o->quote.given && c != NULL && r->cur_given_ok && c->currency != UINT16_MAX &&
	    c->currency != r->cur) {
		r->currency_mismatch = 1;
		rc = viol(r, C_CURRENCY_MISMATCH, B2B_ORDER_ERROR, -1, "currency",
		          book->currencies[c->currency].code, book->currencies[r->cur].code,
		          "the order is in %s, the customer buys in %s", book->currencies[r->cur].code,
		          book->currencies[c->currency].code);
		if (rc < 0)
			return rc;
	}
	for (i = 0; i < o->ncodes; i++) {
		const b2b__ofield *f = &o->codes[i];

		for (j = 0; j < i; j++)
			if (field_eq(&o->codes[j], f->s, f->len))
				break;
		if (j < i || b2b__book_promos_by_code(book, f->s, f->len) > 0)
			continue;
		rc = viol(r, C_UNKNOWN_CODE, B2B_ORDER_WARNING, -1,
		          rprintf(r, "codes[%zu]", o->code_index[i]), NULL,
		          str_dup(r, f->s, f->len), "no promotion has the code '%.*s%s'",
		          SHOWN(f->s, f->len));
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int
doc_fx_violation(vrun *r, uint16_t from, const char *what)
{
	size_t i;

	for (i = 0; i < r->res->n; i++)
		if (r->res->v[i].line < 0 && strcmp(r->res->v[i].code, C_NO_FX_RATE) == 0)
			return 0;   /* once */
	return viol(r, C_NO_FX_RATE, B2B_ORDER_ERROR, -1, "currency", NULL, NULL,
	            "no FX rate from %s to %s valid at %.*s%s (needed for %s)",
	            r->book->currencies[from].code, r->book->currencies[r->cur].code,
	            SHOWN(r->o->as_of.s, r->o->as_of.len), what);
}

/* Credit, budget and minimum order value, in K (SPEC §7, §9.15). */
static int
check_money(vrun *r, b2b_dec total)
{
	const b2b__customer *c = r->c;
	const b2b_book *book = r->book;
	uint16_t from;
	b2b_dec limit, bal, x;
	int minor = book->currencies[r->cur].minor_units, rc;
	const char *cur = book->currencies[r->cur].code;

	if (c == NULL || r->currency_mismatch || r->doc_fx_failed)
		return 0;
	if (!c->credit_limit.set && !c->budget.set && !c->min_order_value.set)
		return 0;
	from = c->currency != UINT16_MAX ? c->currency : book->settings.base_currency;
	if (c->credit_limit.set) {
		bal.lo = 0;
		bal.hi = 0;
		rc = to_k(r, &limit, c->credit_limit.v, from);
		if (rc == 0 && c->open_balance.set)
			rc = to_k(r, &bal, c->open_balance.v, from);
		if (rc == 1)
			return doc_fx_violation(r, from, "the customer's credit limit");
		if (rc < 0)
			return b2b__ctx_seterr(r->ctx, rc, "the credit check leaves the decimal range");
		if (rc == 0) {
			if ((rc = b2b_dec_add(&x, bal, total)) < 0)
				return b2b__ctx_seterr(r->ctx, rc, "the credit check leaves the decimal range");
			if (b2b_dec_cmp(x, limit) > 0 &&
			    (rc = viol(r, C_CREDIT, B2B_ORDER_ERROR, -1, NULL, dec_str(r, limit, minor),
			               dec_str(r, x, minor),
			               "open balance %s + order total %s = %s %s exceeds the credit limit "
			               "of %s %s", dec_str(r, bal, minor), dec_str(r, total, minor), cur,
			               dec_str(r, x, minor), cur, dec_str(r, limit, minor))) < 0)
				return rc;
		}
	}
	if (c->budget.set) {
		rc = to_k(r, &limit, c->budget.v, from);
		if (rc == 1)
			return doc_fx_violation(r, from, "the customer's budget");
		if (rc < 0)
			return b2b__ctx_seterr(r->ctx, rc, "the budget check leaves the decimal range");
		if (rc == 0 && b2b_dec_cmp(total, limit) > 0 &&
		    (rc = viol(r, C_BUDGET, B2B_ORDER_HOLD, -1, NULL, dec_str(r, limit, minor),
		               dec_str(r, total, minor),
		               "order total %s %s exceeds the per-order budget of %s %s", cur,
		               dec_str(r, total, minor), cur, dec_str(r, limit, minor))) < 0)
			return rc;
	}
	if (c->min_order_value.set) {
		rc = to_k(r, &limit, c->min_order_value.v, from);
		if (rc == 1)
			return doc_fx_violation(r, from, "the customer's minimum order value");
		if (rc < 0)
			return b2b__ctx_seterr(r->ctx, rc, "the minimum order check leaves the decimal range");
		if (rc == 0 && b2b_dec_cmp(total, limit) < 0 &&
		    (rc = viol(r, C_MIN_ORDER, B2B_ORDER_ERROR, -1, NULL, dec_str(r, limit, minor),
		               dec_str(r, total, minor),
		               "order total %s %s is below the minimum order value of %s %s", cur,
		               dec_str(r, total, minor), cur, dec_str(r, limit, minor))) < 0)
			return rc;
	}
	return 0;
}

static int
check_approval(vrun *r)
{
	const b2b_quote *q = r->q;
	char why[400];
	b2b__tbuf t;
	size_t k;

	if (!r->doc_ok || r->locked || q->level <= 0)
		return 0;
	b2b__tbuf_init(&t, why, sizeof(why));
	for (k = 0; k < q->nreasons && !t.cut; k++) {
		const b2b__reason *x = &q->reasons[k];
		size_t line = 0;

		if (x->line >= 0) {
			/* the reason's line is a line of the quote run */
			size_t i;
			for (i = 0; i < r->o->nlines; i++)
				if (r->qline[i] == x->line)
					break;
			line = i;
		}
		if (x->line >= 0)
			b2b__tbuf_printf(&t, "%s%s on line %zu", k > 0 ? ", " : "", x->rule, line);
		else
			b2b__tbuf_printf(&t, "%s%s", k > 0 ? ", " : "", x->rule);
	}
	return viol(r, C_APPROVAL, B2B_ORDER_HOLD, -1, NULL, NULL,
	            rprintf(r, "%d", q->level),
	            "the order needs approval level %d (%s)", q->level, why);
}

static int
validate(vrun *r)
{
	const b2b_order *o = r->o;
	const b2b_book *book = r->book;
	struct b2b_validation *res = r->res;
	size_t i, n = o->nlines;
	b2b_dec total;
	int rc;

	r->upd = book->settings.unit_price_decimals;
	r->mode = book->settings.rounding;
	res->mode = r->mode;
	if (o->nmalformed > 0) {
		if (b2b__arena_grow(r->ctx, (void **)&res->v, &r->cap, o->nmalformed + 8,
		                    sizeof(*res->v)) < 0)
			return B2B_ENOMEM;
		memcpy(res->v, o->malformed, o->nmalformed * sizeof(*res->v));
		res->n = o->nmalformed;
	}
	r->product = b2b__arena_calloc(r->ctx, n + 1, sizeof(*r->product));
	r->priceable = b2b__arena_calloc(r->ctx, n + 1, 1);
	r->qline = b2b__arena_calloc(r->ctx, n + 1, sizeof(*r->qline));
	if (r->product == NULL || r->priceable == NULL || r->qline == NULL)
		return B2B_ENOMEM;

	if ((rc = check_header(r)) < 0)
		return rc;
	for (i = 0; i < n; i++) {
		r->qline[i] = -1;
		if ((rc = check_line_static(r, i)) < 0 || (rc = check_priceable(r, i)) < 0)
			return rc;
	}
	if ((rc = check_quote(r)) < 0 || (rc = check_document_static(r)) < 0)
		return rc;

	/* price the order as a quote when the header resolves (§9.7) */
	if (r->c != NULL && o->as_of.ok && (rc = price_order(r)) < 0)
		return rc;
	for (i = 0; i < n; i++)
		if ((rc = check_price(r, i)) < 0)
			return rc;
	if ((rc = check_duplicates(r)) < 0)
		return rc;

	if (r->doc_ok) {
		total = r->q->total;
	} else if ((rc = fallback_total(r, &total)) < 0) {
		return rc;
	}
	res->total = total;
	res->currency = book->currencies[r->cur].code;
	res->minor = book->currencies[r->cur].minor_units;
	if ((rc = check_money(r, total)) < 0 || (rc = check_approval(r)) < 0)
		return rc;

	if (res->n > 1)
		qsort(res->v, res->n, sizeof(*res->v), viol_cmp);
	res->valid = 1;
	for (i = 0; i < res->n; i++)
		if (res->v[i].severity == B2B_ORDER_ERROR)
			res->valid = 0;
	/* a violation whose strings could not all be allocated */
	return r->oom ? B2B_ENOMEM : 0;
}

/* Bytes of b2b_order_options each version knows (index 0 unused). */
static const size_t ORDER_OPTS_SIZE[] = { 0, sizeof(b2b_order_options) };

int
b2b_order_options_init(b2b_order_options *opts, unsigned int version)
{
	static const b2b_order_options defaults = B2B_ORDER_OPTIONS_INIT;

	return b2b__opts_init(opts, version, &defaults, ORDER_OPTS_SIZE, B2B_ORDER_OPTIONS_VERSION);
}

static int
opts_check(b2b_ctx *ctx, const b2b_order_options *opts)
{
	if (opts == NULL)
		return 0;
	return b2b__opts_check(ctx, "b2b_order_options", opts->version, B2B_ORDER_OPTIONS_VERSION,
	                       opts->flags, 0);
}

int
b2b_order_validate(const b2b_validation **out, b2b_ctx *ctx, const b2b_book *book,
                   const b2b_order *order, const b2b_order_options *opts)
{
	vrun r;
	int rc;

	if (out == NULL)
		return B2B_EINVAL;
	*out = NULL;
	if (ctx == NULL)
		return B2B_EINVAL;
	if (book == NULL || order == NULL)
		return b2b__ctx_seterr(ctx, B2B_EINVAL, "b2b_order_validate: NULL argument");
	if ((rc = opts_check(ctx, opts)) < 0)
		return rc;
	memset(&r, 0, sizeof(r));
	r.ctx = ctx;
	r.book = book;
	r.o = order;
	r.res = b2b__arena_calloc(ctx, 1, sizeof(*r.res));
	if (r.res == NULL)
		return b2b__ctx_seterr(ctx, B2B_ENOMEM, "out of memory");
	rc = validate(&r);
	if (rc == B2B_ENOMEM)
		return b2b__ctx_seterr(ctx, B2B_ENOMEM, "out of memory");
	if (rc < 0)
		return b2b_ctx_errcode(ctx) == rc ? rc :
		       b2b__ctx_seterr(ctx, rc, "order validation failed: %s", b2b_strerror(rc));
	*out = r.res;
	return 0;
}

int
b2b_order_validate_json(const b2b_validation **out, b2b_ctx *ctx, const b2b_book *book,
                        const char *json, size_t len, const b2b_order_options *opts)
{
	const b2b_order *o;
	int rc;

	if (out == NULL)
		return B2B_EINVAL;
	*out = NULL;
	if (ctx == NULL)
		return B2B_EINVAL;
	if (book == NULL)
		return b2b__ctx_seterr(ctx, B2B_EINVAL, "b2b_order_validate_json: NULL book");
	if ((rc = opts_check(ctx, opts)) < 0)
		return rc;
	if ((rc = b2b_order_parse(&o, ctx, json, len)) < 0)
		return rc;
	return b2b_order_validate(out, ctx, book, o, opts);
}

/*===========================================================================
 * MARK: - results
 *===========================================================================*/

int
b2b_validation_to_json(const char **out, size_t *len, b2b_ctx *ctx, const b2b_validation *v)
{
	b2b__jw w;
	size_t i;

	if (out == NULL)
		return B2B_EINVAL;
	*out = NULL;
	if (len != NULL)
		*len = 0;
	if (ctx == NULL)
		return B2B_EINVAL;
	if (v == NULL)
		return b2b__ctx_seterr(ctx, B2B_EINVAL, "b2b_validation_to_json: NULL result");
	b2b__jw_init(&w, &ctx->alloc);
	b2b__jw_begin_object(&w);
	b2b__jw_key(&w, "valid");
	b2b__jw_bool(&w, v->valid);
	b2b__jw_key(&w, "total");
	b2b__jw_dec(&w, v->total, v->minor, v->mode);
	b2b__jw_key(&w, "violations");
	b2b__jw_begin_array(&w);
	for (i = 0; i < v->n; i++) {
		const b2b__violation *x = &v->v[i];

		b2b__jw_begin_object(&w);
		b2b__jw_key(&w, "code");
		b2b__jw_cstr(&w, x->code);
		b2b__jw_key(&w, "severity");
		b2b__jw_cstr(&w, b2b_order_severity_name((b2b_order_severity)x->severity));
		if (x->line >= 0) {
			b2b__jw_key(&w, "line");
			b2b__jw_int(&w, x->line);
		}
		if (x->path != NULL) {
			b2b__jw_key(&w, "path");
			b2b__jw_cstr(&w, x->path);
		}
		b2b__jw_key(&w, "message");
		b2b__jw_cstr(&w, x->message);
		if (x->expected != NULL) {
			b2b__jw_key(&w, "expected");
			b2b__jw_cstr(&w, x->expected);
		}
		if (x->actual != NULL) {
			b2b__jw_key(&w, "actual");
			b2b__jw_cstr(&w, x->actual);
		}
		b2b__jw_end_object(&w);
	}
	b2b__jw_end_array(&w);
	b2b__jw_end_object(&w);
	return b2b__jw_finish(&w, ctx, out, len);
}

int
b2b_validation_valid(const b2b_validation *v)
{
	return v != NULL ? v->valid : 0;
}

b2b_dec
b2b_validation_total(const b2b_validation *v)
{
	b2b_dec zero = { 0, 0 };

	return v != NULL ? v->total : zero;
}

const char *
b2b_validation_currency(const b2b_validation *v)
{
	return v != NULL ? v->currency : NULL;
}

int
b2b_validation_minor_units(const b2b_validation *v)
{
	return v != NULL ? v->minor : 0;
}

size_t
b2b_validation_count(const b2b_validation *v)
{
	return v != NULL ? v->n : 0;
}

static const b2b__violation *
at(const b2b_validation *v, size_t i)
{
	return v != NULL && i < v->n ? &v->v[i] : NULL;
}

const char *
b2b_validation_code(const b2b_validation *v, size_t i)
{
	const b2b__violation *x = at(v, i);
	return x != NULL ? x->code : NULL;
}

b2b_order_severity
b2b_validation_severity(const b2b_validation *v, size_t i)
{
	const b2b__violation *x = at(v, i);
	return x != NULL ? (b2b_order_severity)x->severity : (b2b_order_severity)-1;
}

long
b2b_validation_line(const b2b_validation *v, size_t i)
{
	const b2b__violation *x = at(v, i);
	return x != NULL ? x->line : -1;
}

const char *
b2b_validation_path(const b2b_validation *v, size_t i)
{
	const b2b__violation *x = at(v, i);
	return x != NULL ? x->path : NULL;
}

const char *
b2b_validation_message(const b2b_validation *v, size_t i)
{
	const b2b__violation *x = at(v, i);
	return x != NULL ? x->message : NULL;
}

const char *
b2b_validation_expected(const b2b_validation *v, size_t i)
{
	const b2b__violation *x = at(v, i);
	return x != NULL ? x->expected : NULL;
}

const char *
b2b_validation_actual(const b2b_validation *v, size_t i)
{
	const b2b__violation *x = at(v, i);
	return x != NULL ? x->actual : NULL;
}
