/*
 * libb2bcore — the computation of quote documents (SPEC §4, §5.7, §6)
 * and one-line prices (SPEC §4 "Price") on top of the line pricer
 * b2b__price_line(): the run over the lines, each line's field checks and
 * its price. The error list (§9.7) and the checks of the header are in
 * quote_check.c; the document figures, order promotions, taxes, approval
 * and warnings in quote_figures.c. The builder calls and the accessors are
 * in quote_api.c, JSON in and out in quote_doc.c.
 * SPDX-License-Identifier: MIT
 */
#include <string.h>

#include "opts.h"
#include "dec_int.h"
#include "quote_run.h"
#include "volume.h"

/* Read a decimal field: 0, or a MALFORMED problem (returns 1). */
static int
read_dec(run *r, b2b_dec *out, const b2b__rfield *f, long line, const char *name, int *rcp)
{
	int rc = b2b_dec_parse(out, NULL, f->s, f->len, f->number ? B2B_DEC_PARSE_JSON : 0);
	const char *why;

	if (rc == 0)
		return 0;
	switch (rc) {
	case B2B_EPRECISION:
		why = "more than 9 fractional digits";
		break;
	case B2B_EOVERFLOW:
		why = "out of range (at most 28 integer digits)";
		break;
	default:
		why = f->number ? "not a number" : "expected a decimal such as 12.50";
		break;
	}
	*rcp = b2b__qr_prob(r, CODE_MALFORMED, line, b2b__qr_field_path(r, line, name),
	                    "%s '%.*s%s': %s", name,
	                    SHOW(f), why);
	return 1;
}

/* read_dec(), or the value the caller read already (have_v). */
static int
read_dec_or(run *r, b2b_dec *out, const b2b__rfield *f, int have_v, b2b_dec v, long line,
            const char *name, int *rcp)
{
	if (have_v) {
		*out = v;
		return 0;
	}
	return read_dec(r, out, f, line, name, rcp);
}

static char *
dec_text(b2b_ctx *ctx, b2b_dec v, int scale, b2b_rounding mode)
{
	char buf[B2B_DEC_FORMAT_MAX];

	if (b2b_dec_format(buf, sizeof(buf), NULL, v, scale, mode) < 0)
		buf[0] = '\0';
	return b2b__ctx_strndup(ctx, buf, strlen(buf));
}

/*
 * The common quantity text: 1 with *v when s is [1-9][0-9]{0,17} or 0,
 * then optionally '.' and 1 to 9 digits. Such a text is valid in both
 * grammars of b2b_dec_parse() (JSON numbers and strings) with this exact
 * value, its written scale is its count of fractional digits, and
 * b2b_dec_format() at that scale writes it back unchanged: the line's
 * qty_text is the text itself. Anything else: 0 (the general path).
 */
static int
plain_qty(b2b_dec *v, const char *s, size_t len)
{
	const char *p = s, *end = s + len;
	uint64_t n = 0, f = 0;
	size_t nd = 0, fd = 0;

	if (len == 0 || len > 28)
		return 0;
	if (*p == '0') {
		p++;
		nd = 1;
	} else {
		for (; p < end && *p >= '0' && *p <= '9'; p++, nd++)
			n = n * 10 + (uint64_t)(*p - '0');
	}
	if (nd == 0 || nd > 18)
		return 0;
	if (p < end) {
		if (*p++ != '.')
			return 0;
		for (; p < end && *p >= '0' && *p <= '9'; p++, fd++)
			if (fd < 9)
				f = f * 10 + (uint64_t)(*p - '0');
		if (p != end || fd == 0 || fd > 9)
			return 0;
	}
	*v = b2b__dec_from_i128((b2b__i128)n * B2B__DEC_ONE +
	                        (b2b__i128)(f * b2b__pow10_u64[9 - fd]));
	return 1;
}

/* Field checks of line i; fills sku/qty of the result line. */
static int
check_line(run *r, size_t i, b2b_dec *requested, int *has_requested)
{
	const b2b__rline *l = &r->req->lines[i];
	b2b__qline *ql = &r->q->lines[i];
	long li = (long)i;
	int rc = 0;

	/* the line array is not zeroed as a whole (run_all): each line is
	 * cleared here, just before it is filled, while it is in cache */
	memset(ql, 0, sizeof(*ql));
	ql->product = B2B__NONE;
	if (b2b__qr_given(&l->sku)) {
		ql->sku = l->sku.s;
		ql->sku_len = l->sku.len;
		ql->product = l->product_read ? l->product_v
		              : r->prod != NULL && i < r->pf_next ? r->prod[i]
		                                : b2b__book_product(r->book, l->sku.s, l->sku.len);
		if (ql->product == B2B__NONE)
			rc = b2b__qr_prob(r, CODE_UNKNOWN_SKU, li,
			                  b2b__qr_field_path(r, li, "sku"),
			                  "unknown sku '%.*s%s'",
			                  SHOW(&l->sku));
	} else if (!l->sku.bad) {
		rc = b2b__qr_prob(r, CODE_MALFORMED, li, b2b__qr_field_path(r, li, "sku"),
		                  "sku: required field is missing");
	}
	if (rc < 0)
		return rc;

	if (b2b__qr_given(&l->qty)) {
		int plain = !l->qty_read && plain_qty(&ql->qty, l->qty.s, l->qty.len);

		if (plain ||
		    read_dec_or(r, &ql->qty, &l->qty, l->qty_read, l->qty_v, li, "qty", &rc) == 0) {
			if (b2b_dec_sign(ql->qty) <= 0)
				rc = b2b__qr_prob(r, CODE_QTY_NOT_POSITIVE, li,
				                  b2b__qr_field_path(r, li, "qty"),
				                  "qty '%.*s%s' is not positive",
				                  SHOW(&l->qty));
			else if (plain)
				ql->qty_text = r->notrace ? NULL : l->qty.s;
			else if (!r->notrace &&
			         (ql->qty_text = dec_text(r->ctx, ql->qty,
			                                  b2b__written_scale(l->qty.s,
			                                                     l->qty.len,
			                                                     l->qty.number),
			                                  B2B_ROUND_HALF_UP)) == NULL)
				rc = B2B_ENOMEM;
			/* without a trace (order validation) the run is never written
			 * as a document: qty_text stays NULL */
		}
	} else if (!l->qty.bad) {
		rc = b2b__qr_prob(r, CODE_MALFORMED, li, b2b__qr_field_path(r, li, "qty"),
		                  "qty: required field is missing");
	}
	if (rc < 0)
		return rc;

	*has_requested = 0;
	if (b2b__qr_given(&l->requested)) {
		if (read_dec_or(r, requested, &l->requested, l->requested_read, l->requested_v, li,
		                "requested_unit_price", &rc) == 0) {
			if (b2b_dec_sign(*requested) < 0)
				rc = b2b__qr_prob(r, CODE_NEGATIVE_PRICE, li,
				                  b2b__qr_field_path(r, li,
				                                     "requested_unit_price"),
				                  "requested_unit_price '%.*s%s' is negative",
				                  SHOW(&l->requested));
			else
				*has_requested = 1;
		}
	}
	return rc;
}

/* Price line i (with the document's volumes `vol`, NULL: none). Stage
 * B2B__QR_PROBE prices up to the volume step only and records no
 * problem (SPEC §10.2's first pass); B2B__QR_RESUME goes on from there. */
static int
keep_vol(run *r, b2b__qline *ql, const b2b__vol_doc *vol)
{
	b2b__vol_doc *c = b2b__arena_calloc(r->ctx, 1, sizeof(*c));

	if (c == NULL)
		return B2B_ENOMEM;
	*c = *vol;
	if ((c->V = b2b__arena_calloc(r->ctx, vol->n + 1, sizeof(*c->V))) == NULL)
		return B2B_ENOMEM;
	memcpy(c->V, vol->V, vol->n * sizeof(*c->V));
	ql->vol = c;
	return 0;
}

static int
price_line(run *r, size_t i, b2b_dec requested, int has_requested, const b2b__vol_doc *vol,
           int stage)
{
	const b2b_book *book = r->book;
	b2b_quote *q = r->q;
	b2b__qline *ql = &q->lines[i];
	const b2b__product *p = &book->products[ql->product];
	b2b__line_in in;
	b2b__line_preset pre;
	long li = (long)i;
	char tbuf[B2B_TIME_FORMAT_MAX];
	int rc;

	b2b__qr_line_in(r, i, &in);
	if (stage != B2B__QR_RESUME && !in.explain && b2b__qr_plan_usable(r) &&
	    b2b__plan_preset(&pre, book, in.customer, in.product, in.qty, in.currency, in.as_of))
		in.preset = &pre;
	in.has_requested = has_requested;
	in.requested = requested;
	in.vol = vol;
	in.vol_probe = stage == B2B__QR_PROBE;
	in.vol_resume = stage == B2B__QR_RESUME;
	if (r->step_room != NULL) {
		in.step_room = r->step_room + i * B2B__QR_STEP_ROOM;
		in.step_room_n = B2B__QR_STEP_ROOM;
	}
	rc = b2b__price_line(&ql->lo, r->ctx, book, &in);
	if (stage == B2B__QR_PROBE)
		return rc == B2B_EOVERFLOW ? b2b__qr_overflow(r, li, "the price") : rc;
	if (rc == B2B_EOVERFLOW)
		return b2b__qr_overflow(r, li, "the price");
	if (rc < 0)
		return rc;
	/* the volumes this line was priced with, for its hints (SPEC §11) once
	 * the document is done: a copy, the caller's change between passes */
	ql->vol = NULL;
	if (in.explain && vol != NULL && (rc = keep_vol(r, ql, vol)) < 0)
		return rc;
	switch (ql->lo.problem) {
	case B2B__PROBLEM_NONE:
		return 0;
	case B2B__PROBLEM_NO_FX_RATE:
		b2b__qr_time_text(tbuf, sizeof(tbuf), q->as_of);
		if (ql->lo.vol_no_rate && ql->lo.vol_agreement < book->nagreements) {
			const b2b__agreement *a = &book->agreements[ql->lo.vol_agreement];

			return b2b__qr_prob(r, CODE_NO_FX_RATE, li, b2b__qr_field_path(r, li, "sku"),
			                    "no FX rate from %s to %s valid at %s for volume agreement "
			                    "'%s' (sku '%.*s%s')",
			                    b2b__qr_currency_of(book, a->currency)->code,
			                    b2b__qr_currency_of(book, r->cur)->code, tbuf,
			                    b2b__s(book, a->id), B2B__SHOWN(ql->sku, ql->sku_len, 80));
		}
		return b2b__qr_prob(r, CODE_NO_FX_RATE, li, b2b__qr_field_path(r, li, "sku"),
		                    "no FX rate from %s to %s valid at %s for sku '%.*s%s'",
		                    b2b__qr_currency_of(book, p->currency)->code,
		                    b2b__qr_currency_of(book, r->cur)->code,
		                    tbuf, B2B__SHOWN(ql->sku, ql->sku_len, 80));
	case B2B__PROBLEM_NEGATIVE_REQUESTED:
		return b2b__qr_prob(r, CODE_NEGATIVE_PRICE, li,
		                    b2b__qr_field_path(r, li, "requested_unit_price"),
		                    "requested_unit_price is negative");
	default:
		return b2b__qr_prob(r, CODE_NEGATIVE_PRICE, li,
		                    b2b__qr_field_path(r, li, "sku"),
		                    "a pricing step gives a negative price for sku '%.*s%s'",
		                    B2B__SHOWN(ql->sku, ql->sku_len, 80));
	}
}

static int
run_all(run *r, uint32_t flags)
{
	const b2b_quote_request *req = r->req;
	const b2b_book *book = r->book;
	b2b_quote *q = r->q;
	size_t i, n;
	int rc, header_ok;

	q->kind = req->kind;
	q->book = book;
	q->fingerprint = b2b_book_fingerprint(book);
	q->upd = book->settings.unit_price_decimals;
	q->mode = book->settings.rounding;
	q->explain = req->explain || (flags & B2B_QUOTE_EXPLAIN) || req->kind == B2B__REQ_PRICE;
	q->cash = req->cash_rounding;
	q->codes_given = req->codes_given;

	/* codes as b2b__qr_given (the ones the JSON stage could read) */
	q->codes = b2b__arena_calloc(r->ctx, req->ncodes + 1, sizeof(*q->codes));
	q->code_lens = b2b__arena_calloc(r->ctx, req->ncodes + 1, sizeof(*q->code_lens));
	if (q->codes == NULL || q->code_lens == NULL)
		return B2B_ENOMEM;
	for (i = 0, n = 0; i < req->ncodes; i++) {
		if (!b2b__qr_given(&req->codes[i]))
			continue;
		q->codes[n] = req->codes[i].s;
		q->code_lens[n] = req->codes[i].len;
		n++;
	}
	q->ncodes = n;

	/* every line is cleared by check_line() before anything reads it, and
	 * every lprobs[i] is set below: no zeroing of the whole arrays (for a
	 * long quote, one pass over megabytes that are then written again) */
	q->nlines = req->nlines;
	q->lines = b2b__qr_array(r->ctx, req->nlines + 1, sizeof(*q->lines));
	r->lprobs = b2b__qr_array(r->ctx, req->nlines + 1, sizeof(*r->lprobs));
	if (q->lines == NULL || r->lprobs == NULL)
		return B2B_ENOMEM;
	/* the waterfalls' steps: one block for the quote, not one a line */
	if (!r->notrace && req->nlines > 0 &&
	    (r->step_room = b2b__qr_array(r->ctx, req->nlines,
	                                  B2B__QR_STEP_ROOM * sizeof(*r->step_room))) == NULL)
		return B2B_ENOMEM;
	for (i = 0; i < req->nlines; i++)
		r->lprobs[i] = req->lines[i].nproblems;
	if (req->nproblems > 0) {
		if (b2b__arena_grow(r->ctx, (void **)&r->probs, &r->probs_cap, req->nproblems,
		               sizeof(*r->probs)) < 0)
			return B2B_ENOMEM;
		memcpy(r->probs, req->problems, req->nproblems * sizeof(*r->probs));
		r->nprobs = r->seq = req->nproblems;
	}

	if ((rc = b2b__qr_check_header(r)) < 0)
		return rc;
	header_ok = r->cust != B2B__NONE && r->as_of_ok && r->cur_ok;
	if (header_ok && (rc = b2b__qr_prefetch(r)) < 0)
		return rc;
	if (r->cur_ok) {
		q->currency = b2b__qr_currency_of(book, r->cur)->code;
		q->minor = b2b__qr_currency_of(book, r->cur)->minor_units;
	}
	if (header_ok && book->nagreements != 0) {
		/* SPEC §10.2: a discount agreement's volume sums the document's
		 * lines, so every line is checked before any is priced */
		b2b_dec *rq = b2b__arena_calloc(r->ctx, req->nlines + 1, sizeof(*rq));
		uint8_t *hr = b2b__arena_calloc(r->ctx, req->nlines + 1, 1);
		uint8_t *ok = b2b__arena_calloc(r->ctx, req->nlines + 1, 1);

		if (rq == NULL || hr == NULL || ok == NULL)
			return B2B_ENOMEM;
		for (i = 0; i < req->nlines; i++) {
			int has_requested = 0;

			b2b__qr_prefetch_ahead(r, i);
			if ((rc = check_line(r, i, &rq[i], &has_requested)) < 0)
				return rc;
			hr[i] = (uint8_t)has_requested;
			ok[i] = r->lprobs[i] == 0;
		}
		if ((rc = b2b__qr_price_volume(r, ok, rq, hr, price_line)) < 0)
			return rc;
	} else {
		for (i = 0; i < req->nlines; i++) {
			b2b_dec requested = { 0, 0 };
			int has_requested = 0;

			b2b__qr_prefetch_ahead(r, i);
			if ((rc = check_line(r, i, &requested, &has_requested)) < 0)
				return rc;
			if (header_ok && r->lprobs[i] == 0 &&
			    (rc = price_line(r, i, requested, has_requested, NULL, B2B__QR_FULL)) < 0)
				return rc;
		}
	}
	if (r->nprobs == 0) {
		rc = req->kind == B2B__REQ_QUOTE ? b2b__qr_document(r) : b2b__qr_price_figures(r);
		if (rc < 0)
			return rc;
		/* SPEC §11: hints read the finished figures (rebate volumes) */
		if (r->nprobs == 0 && q->explain && !r->notrace && (rc = b2b__qr_hints(r)) < 0)
			return rc;
	}
	if (r->nprobs > 0)
		return b2b__qr_finish_errors(r);
	return b2b__qr_warnings(r);
}

int
b2b__quote_run(b2b_quote **out, b2b_ctx *ctx, const b2b_book *book,
               const b2b_quote_request *req, uint32_t flags)
{
	run r;
	int rc;

	memset(&r, 0, sizeof(r));
	r.ctx = ctx;
	r.book = book;
	r.notrace = (flags & B2B__QUOTE_NO_TRACE) != 0;
	r.req = req;
	r.kind = req->kind;
	r.cust = B2B__NONE;
	r.q = b2b__arena_calloc(ctx, 1, sizeof(struct b2b_price));
	if (r.q == NULL)
		return b2b__ctx_seterr(ctx, B2B_ENOMEM, "out of memory");
	rc = run_all(&r, flags);
	if (rc == B2B_ENOMEM)
		return b2b__ctx_seterr(ctx, B2B_ENOMEM, "out of memory");
	if (rc < 0)
		return rc;
	*out = r.q;
	return 0;
}

int
b2b_quote_compute(const b2b_quote **out, b2b_ctx *ctx, const b2b_book *book,
                  const b2b_quote_request *req, const b2b_quote_options *opts)
{
	b2b_quote *q = NULL;
	uint32_t flags = 0;
	int rc;

	if (out == NULL)
		return B2B_EINVAL;
	*out = NULL;
	if (ctx == NULL)
		return B2B_EINVAL;
	if (book == NULL || req == NULL)
		return b2b__ctx_seterr(ctx, B2B_EINVAL, "b2b_quote_compute: NULL argument");
	if (req->ctx != ctx || req->kind != B2B__REQ_QUOTE)
		return b2b__ctx_seterr(ctx, B2B_EINVAL,
		                       "b2b_quote_compute: the request was built on another ctx");
	if (opts != NULL) {
		if ((rc = b2b__opts_check(ctx, "b2b_quote_options", opts->version,
		                          B2B_QUOTE_OPTIONS_VERSION, opts->flags,
		                          B2B_QUOTE_EXPLAIN)) < 0)
			return rc;
		flags = opts->flags;
	}
	if ((rc = b2b__quote_run(&q, ctx, book, req, flags)) < 0)
		return rc;
	*out = q;
	return 0;
}

int
b2b_price_compute(const b2b_price **out, b2b_ctx *ctx, const b2b_book *book,
                  const b2b_price_request *req, const b2b_price_options *opts)
{
	b2b_quote *q = NULL;
	int rc;

	if (out == NULL)
		return B2B_EINVAL;
	*out = NULL;
	if (ctx == NULL)
		return B2B_EINVAL;
	if (book == NULL || req == NULL)
		return b2b__ctx_seterr(ctx, B2B_EINVAL, "b2b_price_compute: NULL argument");
	if (req->q.ctx != ctx || req->q.kind != B2B__REQ_PRICE)
		return b2b__ctx_seterr(ctx, B2B_EINVAL,
		                       "b2b_price_compute: the request was built on another ctx");
	if (opts != NULL &&
	    (rc = b2b__opts_check(ctx, "b2b_price_options", opts->version,
	                          B2B_PRICE_OPTIONS_VERSION, opts->flags, 0)) < 0)
		return rc;
	if ((rc = b2b__quote_run(&q, ctx, book, &req->q, 0)) < 0)
		return rc;
	*out = (const b2b_price *)(const void *)q;
	return 0;
}
