/*
 * libb2bcore — the document figures of a quote (SPEC §5.7, §6) once its
 * lines are priced: amounts in the document currency, order promotions,
 * taxes, totals and margin, approval and its reasons, and the warnings;
 * the figures of a one-line price (SPEC §4 "Price").
 * SPDX-License-Identifier: MIT
 */
#include <string.h>

#include "dec_int.h"
#include "quote_run.h"

/* A base-currency book amount in K (SPEC §3, §9.5): 0, or 1 after a
 * document-level NO_FX_RATE problem was recorded (*rcp < 0: no memory). */
static int
to_doc_currency(run *r, b2b_dec *out, b2b_dec v, const char *what, int *rcp)
{
	const b2b_book *book = r->book;
	uint16_t base = book->settings.base_currency, sf, st;
	char tbuf[B2B_TIME_FORMAT_MAX];

	*rcp = 0;
	if (r->cur == base) {
		*out = v;
		return 0;
	}
	if (r->fx_state == 0)
		r->fx_state = b2b__book_fx(book, base, r->cur, r->q->as_of.sec, &r->fx_rate,
		                           &sf,
		                           &st) == 0 ? 1 : -1;
	if (r->fx_state < 0) {
		if (!r->fx_reported) {
			r->fx_reported = 1;
			b2b__qr_time_text(tbuf, sizeof(tbuf), r->q->as_of);
			*rcp = b2b__qr_prob(r, CODE_NO_FX_RATE, -1, "currency",
			                    "no FX rate from %s to %s valid at %s (needed for %s)",
			                    b2b__qr_currency_of(book, base)->code,
			                    b2b__qr_currency_of(book, r->cur)->code, tbuf,
			                    what);
		}
		return 1;
	}
	*rcp = b2b__r9_mul(out, book, v, r->fx_rate);
	if (*rcp == B2B_EOVERFLOW)
		*rcp = b2b__qr_overflow(r, -1, what);
	return *rcp < 0 ? 1 : 0;
}

static int
code_requested(const b2b_quote *q, const char *code)
{
	size_t i, n = strlen(code);

	for (i = 0; i < q->ncodes; i++)
		if (q->code_lens[i] == n && memcmp(q->codes[i], code, n) == 0)
			return 1;
	return 0;
}

static int
promo_eligible(run *r, const b2b__promo *p)
{
	const b2b_book *book = r->book;
	const b2b__customer *c = &book->customers[r->cust];

	if (p->code != 0 && !code_requested(r->q, b2b__s(book, p->code)))
		return 0;
	if (!b2b__window_has(&p->window, r->q->as_of.sec))
		return 0;
	if (p->segment != 0 &&
	    (c->segment == 0 || strcmp(b2b__s(book, p->segment),
	                               b2b__s(book, c->segment)) != 0))
		return 0;
	return 1;
}

/* SPEC §5.7: order promotions, the cap, and discounts in applied order. */
static int
order_promotions(run *r)
{
	const b2b_book *book = r->book;
	b2b_quote *q = r->q;
	b2b__range range = b2b__book_order_promos(book);
	b2b_dec remaining = q->subtotal, sum = { 0, 0 }, cap, excess, cut, v;
	b2b__discount *d;
	size_t k, n = 0;
	int rc;

	if (range.n == 0)
		return 0;
	d = b2b__arena_calloc(r->ctx, range.n, sizeof(*d));
	if (d == NULL)
		return B2B_ENOMEM;
	for (k = 0; k < range.n; k++) {
		const b2b__promo *p = &book->promos[book->u32[range.off + k]];
		const char *id = b2b__s(book, p->id);

		if (!promo_eligible(r, p))
			continue;
		if (p->min_subtotal.set) {
			if (to_doc_currency(r, &v, p->min_subtotal.v,
			                    "an order promotion's min_subtotal",
			                    &rc) != 0) {
				if (rc < 0)
					return rc;
				continue;
			}
			if (b2b_dec_cmp(q->subtotal, v) < 0) {
				/* SPEC §11: passed over only for min_subtotal */
				if (q->explain && !r->notrace && q->kind == B2B__REQ_QUOTE &&
				    !(p->exclusive && n > 0) &&
				    (rc = b2b__qr_hint_order_promotion(r, id, v)) < 0)
					return rc;
				continue;     /* on the *original* subtotal */
			}
		}
		if (p->exclusive && n > 0)
			continue;         /* exclusive_blocked */
		if (p->kind == B2B__PROMO_ORDER_PERCENT) {
			OVF(b2b_dec_percent(&cut, remaining, p->value.v, q->minor, q->mode),
			    -1,
			    "an order discount");
		} else {
			if (to_doc_currency(r, &v, p->value.v,
			                    "an order_amount promotion's value",
			                    &rc) != 0) {
				if (rc < 0)
					return rc;
				continue;
			}
			OVF(b2b_dec_round(&cut, v, q->minor, q->mode), -1,
			    "an order discount");
			if (b2b_dec_cmp(cut, remaining) > 0)
				cut = remaining;
		}
		if (b2b_dec_sign(cut) <= 0)
			continue;         /* a promotion applies only if it lowers */
		OVF(b2b__dec_sub(&remaining, remaining, cut), -1, "an order discount");
		OVF(b2b__dec_add(&sum, sum, cut), -1, "an order discount");
		d[n].promotion = id;
		d[n].amount = cut;
		n++;
		if (p->exclusive)
			break;
	}
	/* the cap: subtotal × max_discount_percent ÷ 100, rounded down; the
	 * last cuts are trimmed first, a cut trimmed to 0 is left out */
	OVF(b2b_dec_percent(&cap, q->subtotal, book->settings.max_discount_percent, q->minor,
	                    B2B_ROUND_DOWN), -1, "the discount cap");
	if (b2b_dec_cmp(sum, cap) > 0) {
		OVF(b2b__dec_sub(&excess, sum, cap), -1, "the discount cap");
		while (n > 0 && b2b_dec_sign(excess) > 0) {
			b2b__discount *last = &d[n - 1];
			if (b2b_dec_cmp(last->amount, excess) <= 0) {
				OVF(b2b__dec_sub(&excess, excess, last->amount), -1,
				    "the discount cap");
				n--;
			} else {
				OVF(b2b__dec_sub(&last->amount, last->amount, excess), -1,
				    "the discount cap");
				excess.lo = 0;
				excess.hi = 0;
			}
		}
		sum = cap;
	}
	q->discounts = d;
	q->ndiscounts = n;
	q->discount_total = sum;
	return 0;
}

static int
dec_percent_of(b2b_dec *out, b2b_dec part, b2b_dec whole, b2b_rounding mode)
{
	b2b_dec num;
	b2b__i128 cp = b2b__dec_to_i128(part);
	int rc;

	if (b2b_dec_sign(whole) == 0) {
		out->lo = 0;
		out->hi = 0;
		return 0;
	}
	/*
	 * Inline when |part| < 1.8 × 10^6 and 0 < whole < 2^64 × 10^-9: then
	 * part × 100 is exact in 64 bits and b2b_dec_div()'s quotient
	 * |part| × 100 × 10^2 ÷ whole is one 64-bit division, rounded by
	 * b2b__round_inc() with the same sign, to 2 decimals.
	 */
	if (whole.hi == 0 && b2b__rounding_valid(mode) && cp > -(b2b__i128)1800000000000000 &&
	    cp < (b2b__i128)1800000000000000) {
		int neg = cp < 0;
		uint64_t x = (uint64_t)(neg ? -cp : cp) * 10000u, q = x / whole.lo;

		q += (uint64_t)b2b__round_inc((int)(q & 1), x - q * whole.lo, whole.lo, neg, mode);
		*out = b2b__dec_from_i128((b2b__i128)q * 10000000 * (neg ? -1 : 1));
		return 0;
	}
	if ((rc = b2b_dec_mul(&num, part, b2b__dec_from_int(100), B2B_DEC_SCALE, mode)) < 0)
		return rc;
	return b2b_dec_div(out, num, whole, 2, mode);
}

/* SPEC §5.7 taxes: the rate per line, per-line or per-document rounding. */
static int
taxes(run *r)
{
	const b2b_book *book = r->book;
	b2b_quote *q = r->q;
	const char *region = q->ship_to != NULL ? q->ship_to : "";
	size_t region_len = q->ship_to != NULL ? q->ship_to_len : 0;
	size_t i, j, k, nrates = 0, nseen = 0;
	/* the rate of the tax classes met so far (one lookup per class) */
	uint16_t seen_class[8];
	b2b_dec seen_rate[8];
	b2b__taxrow *rows;
	b2b_dec *w, *parts;
	size_t *members;

	/* not zeroed: a row is cleared when its rate is inserted, the others
	 * are written before they are read */
	rows = b2b__qr_array(r->ctx, q->nlines, sizeof(*rows));
	w = b2b__qr_array(r->ctx, q->nlines, sizeof(*w));
	parts = b2b__qr_array(r->ctx, q->nlines, sizeof(*parts));
	members = b2b__qr_array(r->ctx, q->nlines, sizeof(*members));
	if (rows == NULL || w == NULL || parts == NULL || members == NULL)
		return B2B_ENOMEM;
	for (i = 0; i < q->nlines; i++) {
		b2b__qline *l = &q->lines[i];
		const b2b__product *p = &book->products[l->product];

		for (j = 0; j < nseen && seen_class[j] != p->tax_class; j++)
			;
		if (j < nseen) {
			l->rate = seen_rate[j];
		} else {
			l->rate = b2b__book_tax_rate(book, p->tax_class, region, region_len);
			if (nseen < sizeof(seen_class) / sizeof(seen_class[0])) {
				seen_class[nseen] = p->tax_class;
				seen_rate[nseen++] = l->rate;
			}
		}
		/* distinct rates, ascending (insertion) */
		for (j = 0; j < nrates && b2b_dec_cmp(rows[j].rate, l->rate) < 0; j++)
			;
		if (j == nrates || b2b_dec_cmp(rows[j].rate, l->rate) != 0) {
			memmove(&rows[j + 1], &rows[j], (nrates - j) * sizeof(*rows));
			memset(&rows[j], 0, sizeof(*rows));
			rows[j].rate = l->rate;
			nrates++;
		}
		if (!book->settings.tax_document)
			OVF(b2b__dec_percent_fast(&l->tax, l->net, l->rate, q->minor, q->mode),
			    (long)i,
			    "the tax");
	}
	for (k = 0; k < nrates; k++) {
		size_t m = 0;
		for (i = 0; i < q->nlines; i++) {
			if (b2b_dec_cmp(q->lines[i].rate, rows[k].rate) != 0)
				continue;
			members[m] = i;
			w[m] = q->lines[i].net;
			m++;
			OVF(b2b__dec_add(&rows[k].base, rows[k].base, q->lines[i].net), -1,
			    "a tax base");
		}
		if (book->settings.tax_document) {
			b2b_dec t;
			OVF(b2b_dec_percent(&t, rows[k].base, rows[k].rate, q->minor, q->mode),
			    -1,
			    "the tax");
			OVF(b2b_dec_allocate(parts, t, w, m, q->minor), -1, "the tax");
			for (j = 0; j < m; j++)
				q->lines[members[j]].tax = parts[j];
		}
		for (j = 0; j < m; j++)
			OVF(b2b__dec_add(&rows[k].amount, rows[k].amount,
			                q->lines[members[j]].tax), -1,
			    "a tax amount");
	}
	q->taxes = rows;
	q->ntaxes = nrates;
	return 0;
}

static int
add_reason(run *r, size_t *cap, const char *rule, long line, b2b_dec value, int scale,
           int level)
{
	b2b_quote *q = r->q;
	b2b__reason *x;

	if (b2b__arena_grow(r->ctx, (void **)&q->reasons, cap, q->nreasons + 1,
	                    sizeof(*q->reasons)) < 0)
		return B2B_ENOMEM;
	x = &q->reasons[q->nreasons++];
	x->rule = rule;
	x->line = line;
	x->value = value;
	x->scale = scale;
	if (level > q->level)
		q->level = level;
	return 0;
}

/* SPEC §6 approval, §9.18 values. */
static int
approval(run *r, b2b_dec quote_discount)
{
	const b2b_book *book = r->book;
	b2b_quote *q = r->q;
	size_t k, i, cap = 0;
	b2b_dec v;
	int rc, level;

	for (k = 0; k < book->napprovals; k++) {
		const b2b__approval *a = &book->approvals[k];
		const char *id = b2b__s(book, a->id);

		switch (a->metric) {
		case B2B__METRIC_LINE_DISCOUNT:
			for (i = 0; i < q->nlines; i++)
				if (b2b_dec_cmp(q->lines[i].dpct, a->threshold) > 0 &&
				    (rc = add_reason(r, &cap, id, (long)i, q->lines[i].dpct, 2,
				                     a->level)) < 0)
					return rc;
			break;
		case B2B__METRIC_QUOTE_DISCOUNT:
			if (b2b_dec_cmp(quote_discount, a->threshold) > 0 &&
			    (rc = add_reason(r, &cap, id, -1, quote_discount, 2,
			                     a->level)) < 0)
				return rc;
			break;
		case B2B__METRIC_MARGIN_BELOW:
			if (q->has_margin && b2b_dec_cmp(q->margin_percent,
			                                 a->threshold) < 0 &&
			    (rc = add_reason(r, &cap, id, -1, q->margin_percent, 2,
			                     a->level)) < 0)
				return rc;
			break;
		case B2B__METRIC_TOTAL_ABOVE:
			if (to_doc_currency(r, &v, a->threshold,
			                    "a quote_total_above threshold", &rc) != 0) {
				if (rc < 0)
					return rc;
				break;
			}
			if (b2b_dec_cmp(q->total, v) > 0 &&
			    (rc = add_reason(r, &cap, id, -1, q->total, q->minor,
			                     a->level)) < 0)
				return rc;
			break;
		default:
			break;
		}
	}
	level = book->max_approval_level > 0 ? book->max_approval_level : 1;
	for (i = 0; i < q->nlines; i++)
		if (q->lines[i].lo.below_floor &&
		    (rc = add_reason(r, &cap, "below_floor", (long)i,
		                     q->lines[i].lo.unit_price,
		                     q->upd, level)) < 0)
			return rc;
	return 0;
}

int
b2b__qr_document(run *r)
{
	const b2b_book *book = r->book;
	b2b_quote *q = r->q;
	size_t i, n = q->nlines;
	b2b_dec *w, *parts, zero = { 0, 0 };
	b2b_dec lq = zero, cnet = zero, cmargin = zero, net_total, x;
	int rc, nonneg = 1;

	/* not zeroed: both are written before they are read */
	w = b2b__qr_array(r->ctx, n, sizeof(*w));
	parts = b2b__qr_array(r->ctx, n, sizeof(*parts));
	if (w == NULL || parts == NULL)
		return B2B_ENOMEM;
	for (i = 0; i < n; i++) {
		b2b__qline *l = &q->lines[i];
		OVF(b2b__dec_mul_fast(&l->amount, l->lo.unit_price, l->qty, q->minor, q->mode),
		    (long)i,
		    "the amount");
		OVF(b2b__dec_add(&q->subtotal, q->subtotal, l->amount), (long)i,
		    "the subtotal");
		w[i] = l->amount;
		nonneg &= !b2b__dec_is_neg(l->amount);
	}
	if ((rc = order_promotions(r)) < 0 || r->nprobs > 0)
		return rc;
	if (b2b__dec_is_zero(q->discount_total) && nonneg && q->minor >= 0 &&
	    q->minor <= B2B_DEC_SCALE) {
		/* what b2b_dec_allocate() gives for a total of 0 over weights
		 * ≥ 0 whose sum (the subtotal) is in range: every part 0 */
		memset(parts, 0, n * sizeof(*parts));
	} else {
		OVF(b2b_dec_allocate(parts, q->discount_total, w, n, q->minor), -1,
		    "the order discount");
	}
	for (i = 0; i < n; i++) {
		q->lines[i].od = parts[i];
		OVF(b2b__dec_sub(&q->lines[i].net, q->lines[i].amount, parts[i]), (long)i,
		    "the net amount");
	}
	if ((rc = taxes(r)) < 0)
		return rc;
	q->discount_total = zero;
	for (i = 0; i < n; i++) {
		b2b__qline *l = &q->lines[i];

		OVF(b2b__dec_add(&l->total, l->net, l->tax), (long)i, "the line total");
		OVF(b2b__dec_add(&q->discount_total, q->discount_total, l->od), -1, "a total");
		OVF(b2b__dec_add(&q->tax_total, q->tax_total, l->tax), -1, "a total");
		OVF(b2b__dec_add(&q->total, q->total, l->total), -1, "a total");
		if (l->lo.cost.set) {
			l->has_cost = 1;
			OVF(b2b__dec_mul_fast(&l->cost, l->lo.cost.v, l->qty, q->minor, q->mode),
			    (long)i,
			    "the cost");
			OVF(b2b__dec_sub(&l->margin, l->net, l->cost), (long)i, "the margin");
			OVF(b2b__dec_add(&cnet, cnet, l->net), -1, "a total");
			OVF(b2b__dec_add(&cmargin, cmargin, l->margin), -1, "a total");
			q->has_margin = 1;
		}
		if (b2b_dec_sign(l->lo.list_price_rounded) != 0) {
			OVF(b2b__dec_sub(&x, l->lo.list_price_rounded, l->lo.unit_price),
			    (long)i,
			    "the discount");
			OVF(dec_percent_of(&l->dpct, x, l->lo.list_price_rounded, q->mode),
			    (long)i,
			    "the discount percent");
		}
		OVF(b2b__dec_mul_fast(&x, l->lo.list_price_rounded, l->qty, B2B_DEC_SCALE, q->mode),
		    (long)i, "the list amount");
		OVF(b2b__dec_add(&lq, lq, x), -1, "the list amount");
	}
	if (q->has_margin) {
		q->margin = cmargin;
		OVF(dec_percent_of(&q->margin_percent, cmargin, cnet, q->mode), -1,
		    "the margin percent");
	}
	/* quote_discount_percent (§6, §9.12): 0 when Σ list_price × Q is 0 */
	OVF(b2b__dec_sub(&net_total, q->subtotal, q->discount_total), -1, "a total");
	OVF(b2b__dec_sub(&x, lq, net_total), -1, "the quote discount");
	OVF(dec_percent_of(&x, x, lq, q->mode), -1, "the quote discount");
	if ((rc = approval(r, x)) < 0 || r->nprobs > 0)
		return rc;
	if (q->cash) {
		const b2b__currency *c = b2b__qr_currency_of(book, r->cur);

		if (c->cash_increment.set && b2b_dec_sign(c->cash_increment.v) > 0)
			OVF(b2b_dec_round_multiple(&q->payable, q->total, c->cash_increment.v,
			                           q->mode),
			    -1, "the payable amount");
		else
			q->payable = q->total;
		OVF(b2b__dec_sub(&q->cash_adjustment, q->payable, q->total), -1,
		    "the cash adjustment");
	}
	if (book->nagreements != 0)
		return b2b__qr_rebates(r);
	return 0;
}

/* SPEC §4 "Price": amount and discount percent of the one line. */
int
b2b__qr_price_figures(run *r)
{
	b2b_quote *q = r->q;
	b2b__qline *l = &q->lines[0];
	b2b_dec x;

	OVF(b2b_dec_mul(&l->amount, l->lo.unit_price, l->qty, q->minor, q->mode), 0,
	    "the amount");
	if (b2b_dec_sign(l->lo.list_price_rounded) != 0) {
		OVF(b2b__dec_sub(&x, l->lo.list_price_rounded, l->lo.unit_price), 0,
		    "the discount");
		OVF(dec_percent_of(&l->dpct, x, l->lo.list_price_rounded, q->mode), 0,
		    "the discount percent");
	}
	return 0;
}

static int
add_warning(run *r, size_t *cap, const char *code, long line, const char *message)
{
	b2b_quote *q = r->q;
	b2b__warning *w;

	if (message == NULL ||
	    b2b__arena_grow(r->ctx, (void **)&q->warnings, cap, q->nwarnings + 1,
	                    sizeof(*w)) < 0)
		return B2B_ENOMEM;
	w = &q->warnings[q->nwarnings++];
	w->code = code;
	w->line = line;
	w->message = message;
	return 0;
}

/* SPEC §9.9, §9.21: UNKNOWN_CODE per distinct code in codes order, then
 * INACTIVE_SKU by line. */
int
b2b__qr_warnings(run *r)
{
	const b2b_book *book = r->book;
	b2b_quote *q = r->q;
	size_t i, j, cap = 0;
	int rc;

	for (i = 0; i < q->ncodes; i++) {
		for (j = 0; j < i; j++)
			if (q->code_lens[j] == q->code_lens[i] &&
			    memcmp(q->codes[j], q->codes[i], q->code_lens[i]) == 0)
				break;
		if (j < i || b2b__book_promos_by_code(book, q->codes[i], q->code_lens[i]) > 0)
			continue;
		rc = add_warning(r, &cap, "UNKNOWN_CODE", -1,
		                 b2b__arena_printf(r->ctx,
		                                   "no promotion has the code '%.*s%s'",
		                                   B2B__SHOWN(q->codes[i], q->code_lens[i],
		                                              80)));
		if (rc < 0)
			return rc;
	}
	for (i = 0; i < q->nlines; i++) {
		const b2b__qline *l = &q->lines[i];

		if (!(book->products[l->product].flags & B2B__P_INACTIVE))
			continue;
		rc = add_warning(r, &cap, "INACTIVE_SKU",
		                 q->kind == B2B__REQ_QUOTE ? (long)i : -1,
		                 b2b__arena_printf(r->ctx,
		                                   "sku '%.*s%s' is inactive; priced all the same",
		                                   B2B__SHOWN(l->sku, l->sku_len, 80)));
		if (rc < 0)
			return rc;
	}
	return 0;
}
