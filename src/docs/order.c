/*
 * libb2bcore — order validation (SPEC §7): the order, read from JSON by
 * order_read.c (every field problem kept as a MALFORMED violation), is priced as a
 * quote through b2b__quote_run() over the lines that can be priced, and
 * checked rule by rule; every violation is reported at once, in the order
 * of SPEC §9.20. See b2b/order.h for the rules and the decisions.
 *
 * This file holds the run and the rules of each line (sku, catalog,
 * quantities, stock, price, duplicates), called once per line next to the
 * loop; the rules of the document are in order_check_doc.c, the pricing
 * in order_price.c, the violations in order_viol.c and the result in
 * order_result.c.
 *
 * Hot path: a parsed order (struct b2b_order) holds everything that does
 * not depend on the book (strings, decimals, times, the embedded quote's
 * fields), so validating it again costs no JSON work. b2b_order_validate()
 * allocates only from the ctx arena: a few blocks per order (line maps,
 * the quote request) plus what b2b__quote_run() needs; message and path
 * strings are built only for violations.
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "enum.h"
#include "dec_int.h"
#include "opts.h"
#include "order_run.h"

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
		    (rc = b2b__ov_viol(r, C_QTY_NOT_POSITIVE, B2B_ORDER_ERROR, (long)i,
		                       b2b__ov_lpath(r, i, "qty"),
		                       NULL, b2b__ov_given_str(r, &l->qty),
		                       "qty %.*s%s is not positive",
		                       SHOWN(l->qty.s, l->qty.len))) < 0)
			return rc;
		return b2b__ov_viol(r, C_UNKNOWN_SKU, B2B_ORDER_ERROR, (long)i,
		                    b2b__ov_lpath(r, i, "sku"), NULL,
		                    b2b__ov_str_dup(r, l->sku.s, l->sku.len),
		                    "unknown sku '%.*s%s'",
		                    SHOWN(l->sku.s, l->sku.len));
	}
	p = &book->products[r->product[i]];
	sku = b2b__s(book, p->sku);
	if ((p->flags & B2B__P_INACTIVE) &&
	    (rc = b2b__ov_viol(r, C_INACTIVE, B2B_ORDER_ERROR, (long)i,
	                       b2b__ov_lpath(r, i, "sku"), "active",
	                       "inactive", "sku '%s' is inactive", sku)) < 0)
		return rc;
	if (r->c != NULL && r->c->catalog_n > 0) {
		for (j = 0; j < r->c->catalog_n; j++)
			if (b2b__scope_matches(book, &book->scopes[r->c->catalog_off + j],
			                       r->product[i]))
				break;
		if (j == r->c->catalog_n) {
			char cat[512];
			b2b__tbuf t;

			b2b__tbuf_init(&t, cat, sizeof(cat));
			for (j = 0; j < r->c->catalog_n && !t.cut; j++)
				b2b__tbuf_printf(&t, "%s%s", j > 0 ? ";" : "",
				                 b2b__s(book,
				                        book->scopes[r->c->catalog_off + j].text));
			rc = b2b__ov_viol(r, C_NOT_ENTITLED, B2B_ORDER_ERROR, (long)i,
			                  b2b__ov_lpath(r, i, "sku"),
			                  b2b__ov_str_dup(r, cat, strlen(cat)),
			                  p->category != B2B__NONE ?
			                      b2b__s(book,
			                             book->categories[p->category].path) : sku,
			                  "sku '%s' is outside the customer's catalog (%s)",
			                  sku, cat);
			if (rc < 0)
				return rc;
		}
	}
	if (!l->qty.ok)
		return 0;
	qty_pos = b2b_dec_sign(l->qty.v) > 0;
	if (!qty_pos)
		return b2b__ov_viol(r, C_QTY_NOT_POSITIVE, B2B_ORDER_ERROR, (long)i,
		                    b2b__ov_lpath(r, i, "qty"), NULL,
		                    b2b__ov_given_str(r, &l->qty),
		                    "qty %.*s%s is not positive",
		                    SHOWN(l->qty.s, l->qty.len));
	x = b2b__book_product_ext(book, p);
	if (x->min_qty.set && b2b_dec_cmp(l->qty.v, x->min_qty.v) < 0 &&
	    (rc = b2b__ov_viol(r, C_QTY_BELOW_MIN, B2B_ORDER_ERROR, (long)i,
	                       b2b__ov_lpath(r, i, "qty"),
	                       b2b__ov_dec_str(r, x->min_qty.v, B2B_DEC_SCALE_EXACT),
	                       b2b__ov_given_str(r, &l->qty),
	                       "qty %.*s%s is below the minimum of %s for sku '%s'",
	                       SHOWN(l->qty.s, l->qty.len),
	                       b2b__ov_dec_str(r, x->min_qty.v, B2B_DEC_SCALE_EXACT),
	                       sku)) < 0)
		return rc;
	if (x->max_qty.set && b2b_dec_cmp(l->qty.v, x->max_qty.v) > 0 &&
	    (rc = b2b__ov_viol(r, C_QTY_ABOVE_MAX, B2B_ORDER_ERROR, (long)i,
	                       b2b__ov_lpath(r, i, "qty"),
	                       b2b__ov_dec_str(r, x->max_qty.v, B2B_DEC_SCALE_EXACT),
	                       b2b__ov_given_str(r, &l->qty),
	                       "qty %.*s%s is above the maximum of %s for sku '%s'",
	                       SHOWN(l->qty.s, l->qty.len),
	                       b2b__ov_dec_str(r, x->max_qty.v, B2B_DEC_SCALE_EXACT),
	                       sku)) < 0)
		return rc;
	if (x->pack_size.set && b2b_dec_sign(x->pack_size.v) > 0) {
		/* q is a whole multiple of m exactly when their coefficients are */
		b2b__i128 qc = b2b__dec_to_i128(l->qty.v),
		mc = b2b__dec_to_i128(x->pack_size.v);

		if (qc % mc != 0 &&
		    (rc = b2b__ov_viol(r, C_QTY_NOT_MULTIPLE, B2B_ORDER_ERROR, (long)i,
		                       b2b__ov_lpath(r, i, "qty"),
		                       b2b__ov_dec_str(r, x->pack_size.v, B2B_DEC_SCALE_EXACT),
		                       b2b__ov_given_str(r, &l->qty),
		                       "qty %.*s%s is not a multiple of the pack size %s of sku '%s'",
		                       SHOWN(l->qty.s, l->qty.len),
		                       b2b__ov_dec_str(r, x->pack_size.v, B2B_DEC_SCALE_EXACT),
		                       sku)) < 0)
			return rc;
	}
	if (x->on_hand.set && b2b_dec_cmp(l->qty.v, x->on_hand.v) > 0 &&
	    (rc = b2b__ov_viol(r, C_STOCK, B2B_ORDER_WARNING, (long)i,
	                       b2b__ov_lpath(r, i, "qty"),
	                       b2b__ov_dec_str(r, x->on_hand.v, B2B_DEC_SCALE_EXACT),
	                       b2b__ov_given_str(r, &l->qty),
	                       "qty %.*s%s exceeds the %s on hand of sku '%s'",
	                       SHOWN(l->qty.s, l->qty.len),
	                       b2b__ov_dec_str(r, x->on_hand.v, B2B_DEC_SCALE_EXACT),
	                       sku)) < 0)
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
		rc = b2b__ov_viol(r, C_NEGATIVE_PRICE, B2B_ORDER_ERROR, (long)i,
		                  b2b__ov_lpath(r, i, "unit_price"),
		                  NULL, b2b__ov_given_str(r, &l->price),
		                  "unit_price %.*s%s is negative",
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
	    l->sku.s != NULL && b2b__ov_field_eq(&o->quote.lines[i].sku, l->sku.s,
	                                         l->sku.len)) {
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
			return b2b__ctx_seterr(r->ctx, rc,
			                       "a price difference leaves the decimal range");
		if (b2b_dec_cmp(b2b_dec_abs(diff), tol) > 0) {
			/* each figure formatted once, for both its uses */
			const char *rs = b2b__ov_dec_str(r, ref, r->upd);

			if ((rc = b2b__ov_viol(r, C_PRICE_MISMATCH, B2B_ORDER_ERROR, (long)i,
			                       b2b__ov_lpath(r, i, "unit_price"), rs,
			                       b2b__ov_given_str(r, &l->price),
			                       "unit_price %.*s%s differs from %s %s by more than "
			                       "the tolerance %s",
			                       SHOWN(l->price.s, l->price.len), what, rs,
			                       b2b__ov_dec_str(r, tol, B2B_DEC_SCALE_EXACT))) < 0)
				return rc;
		}
	}
	if (lo != NULL && !r->locked && lo->below_floor) {
		const char *fs = b2b__ov_dec_str(r, lo->floor.v, B2B_DEC_SCALE),
		           *us = b2b__ov_dec_str(r, lo->unit_price, r->upd);

		if ((rc = b2b__ov_viol(r, C_BELOW_FLOOR, B2B_ORDER_HOLD, (long)i,
		                       b2b__ov_lpath(r, i, "unit_price"), fs, us,
		                       "unit_price %s is below the floor %s of sku '%.*s%s'",
		                       us, fs, SHOWN(l->sku.s, l->sku.len))) < 0)
			return rc;
	}
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
		/* equal skus have the same book lookup result (r->product, set
		 * for every line by check_line_static()): only lines whose
		 * results are equal need their bytes compared */
		for (j = 0; j < i; j++)
			if (r->product[j] == r->product[i] && o->lines[j].sku.s != NULL &&
			    b2b__ov_field_eq(&o->lines[j].sku, l->sku.s, l->sku.len))
				break;
		if (j < i &&
		    (rc = b2b__ov_viol(r, C_DUPLICATE, B2B_ORDER_WARNING, (long)i,
		                       b2b__ov_lpath(r, i, "sku"), NULL,
		                       b2b__ov_str_dup(r, l->sku.s, l->sku.len),
		                       "sku '%.*s%s' was already ordered on line %zu",
		                       SHOWN(l->sku.s, l->sku.len),
		                       j)) < 0)
			return rc;
	}
	return 0;
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

	if ((rc = b2b__ov_check_header(r)) < 0)
		return rc;
	for (i = 0; i < n; i++) {
		r->qline[i] = -1;
		if ((rc = check_line_static(r, i)) < 0 || (rc = check_priceable(r, i)) < 0)
			return rc;
	}
	if ((rc = b2b__ov_check_quote(r)) < 0 || (rc = b2b__ov_check_document_static(r)) < 0)
		return rc;

	/* price the order as a quote when the header resolves (§9.7) */
	if (r->c != NULL && o->as_of.ok && (rc = b2b__ov_price_order(r)) < 0)
		return rc;
	for (i = 0; i < n; i++)
		if ((rc = check_price(r, i)) < 0)
			return rc;
	if ((rc = check_duplicates(r)) < 0)
		return rc;

	if (r->doc_ok) {
		total = r->q->total;
	} else if ((rc = b2b__ov_fallback_total(r, &total)) < 0) {
		return rc;
	}
	res->total = total;
	res->currency = book->currencies[r->cur].code;
	res->minor = book->currencies[r->cur].minor_units;
	if ((rc = b2b__ov_check_money(r, total)) < 0 || (rc = b2b__ov_check_approval(r)) < 0)
		return rc;

	if (res->n > 1)
		qsort(res->v, res->n, sizeof(*res->v), b2b__ov_viol_cmp);
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

	return b2b__opts_init(opts, version, &defaults, ORDER_OPTS_SIZE,
	                      B2B_ORDER_OPTIONS_VERSION);
}

static int
opts_check(b2b_ctx *ctx, const b2b_order_options *opts)
{
	if (opts == NULL)
		return 0;
	return b2b__opts_check(ctx, "b2b_order_options", opts->version,
	                       B2B_ORDER_OPTIONS_VERSION,
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
		       b2b__ctx_seterr(ctx, rc, "order validation failed: %s",
		                       b2b_strerror(rc));
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
