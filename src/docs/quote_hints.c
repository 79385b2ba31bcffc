/*
 * libb2bcore — hints in documents (SPEC §11): the line hints of a priced
 * line (the pricer's b2b__price_hints(), called by quote.c for a line
 * priced with explain), the document's `order_promotion` hints (recorded
 * by the order promotion walk of quote_figures.c), and their accessors.
 * SPDX-License-Identifier: MIT
 *
 * order_promotion. A promotion gives one when the walk of §5.7 reaches
 * it (the walk has not ended at an applied exclusive promotion), it is
 * one the request can use (automatic or by a given code, valid at T,
 * segment empty or the customer's), the subtotal is below its
 * min_subtotal (converted to the document currency), and nothing else
 * would pass it over there: an exclusive promotion after one that applied
 * gives none (it is blocked whatever the subtotal). `missing` =
 * min_subtotal − subtotal rounded up (toward +infinity) to the currency's
 * minor units: the least amount that reaches it.
 */
#include <string.h>

#include "arena.h"
#include "quote_run.h"
#include "volume.h"

/* The pricer's input of line i (quote.c prices with it; the hints price
 * again from it): here, so that quote.c and quote_figures.c both call
 * into this file and nothing calls back. */
void
b2b__qr_line_in(run *r, size_t i, b2b__line_in *in)
{
	b2b_quote *q = r->q;
	const b2b__qline *ql = &q->lines[i];

	memset(in, 0, sizeof(*in));
	in->customer = r->cust;
	in->product = ql->product;
	in->qty = ql->qty;
	in->currency = r->cur;
	in->as_of = q->as_of.sec;
	in->channel = q->channel;
	in->channel_len = q->channel_len;
	in->codes = q->codes;
	in->code_lens = q->code_lens;
	in->ncodes = q->ncodes;
	in->trace = !r->notrace;
	in->explain = q->explain && !r->notrace;
	if (!r->memo_ready) {
		b2b__price_memo_init(&r->memo, r->book);
		r->memo_ready = 1;
	}
	in->memo = &r->memo;
}

/*
 * V of each rebate agreement covering the customer at T that a line of
 * the document falls in (SPEC §10.2, as b2b__qr_rebates() measures it):
 * the volume to date (converted to K for `amount`) plus, over the lines
 * in its scope, their net_amount (a price: the line's amount, SPEC §10.5)
 * or Q. have[a] says V[a] is set.
 */
static int
rebate_volumes(run *r, uint8_t *have, b2b_dec *V)
{
	const b2b_book *book = r->book;
	const b2b_quote *q = r->q;
	uint32_t a;
	size_t i;

	for (a = 0; a < book->nagreements; a++) {
		const b2b__agreement *ag = &book->agreements[a];
		b2b_dec rate, v;
		int any = 0;

		if (ag->kind != B2B__VA_REBATE ||
		    !b2b__vol_for_customer(book, ag, r->cust, q->as_of.sec) ||
		    b2b__vol_rate(book, ag, r->cur, q->as_of.sec, &rate) != 0)
			continue;
		v = b2b__vol_to_date(book, r->cust, a);
		if (ag->basis == B2B__VA_BASIS_AMOUNT)
			OVF(b2b__r9_mul(&v, book, v, rate), -1, "a hint");
		for (i = 0; i < q->nlines; i++) {
			const b2b__qline *l = &q->lines[i];
			b2b_dec c = ag->basis != B2B__VA_BASIS_AMOUNT ? l->qty
			            : q->kind == B2B__REQ_PRICE ? l->amount : l->net;

			if (!b2b__scope_matches(book, &ag->scope, l->product))
				continue;
			any = 1;
			OVF(b2b_dec_add(&v, v, c), (long)i, "a hint");
		}
		have[a] = (uint8_t)any;
		V[a] = v;
	}
	return 0;
}

int
b2b__qr_hints(run *r)
{
	const b2b_book *book = r->book;
	b2b_quote *q = r->q;
	b2b__hint_vol hv, *hvp = NULL;
	uint8_t *have = NULL, *set = NULL;
	b2b_dec *V = NULL;
	size_t i;
	uint32_t a;
	int rc;

	if (book->nagreements != 0) {
		have = b2b__arena_calloc(r->ctx, book->nagreements, 1);
		set = b2b__arena_calloc(r->ctx, book->nagreements, 1);
		V = b2b__arena_calloc(r->ctx, book->nagreements, sizeof(*V));
		if (have == NULL || set == NULL || V == NULL)
			return B2B_ENOMEM;
		if ((rc = rebate_volumes(r, have, V)) < 0)
			return rc;
		hv.set = set;
		hv.V = V;
		hvp = &hv;
	}
	for (i = 0; i < q->nlines; i++) {
		b2b__qline *ql = &q->lines[i];
		b2b__line_in in;

		if (ql->lo.problem != B2B__PROBLEM_NONE)
			continue;
		b2b__qr_line_in(r, i, &in);
		in.vol = ql->vol;
		/* the rebate agreements accruing on this line */
		for (a = 0; hvp != NULL && a < book->nagreements; a++)
			set[a] = have[a] &&
			         b2b__scope_matches(book, &book->agreements[a].scope, ql->product);
		rc = b2b__price_hints(&ql->lo, r->ctx, book, &in, hvp);
		if (rc == B2B_EOVERFLOW)
			return b2b__qr_overflow(r, (long)i, "a hint");
		if (rc < 0)
			return rc;
	}
	return 0;
}

int
b2b__qr_hint_order_promotion(run *r, const char *promotion, b2b_dec min_subtotal)
{
	b2b_quote *q = r->q;
	b2b__hint *h;
	b2b_dec diff, missing;
	char buf[B2B_DEC_FORMAT_MAX];

	OVF(b2b_dec_sub(&diff, min_subtotal, q->subtotal), -1, "a hint");
	OVF(b2b_dec_round(&missing, diff, q->minor, B2B_ROUND_CEILING), -1, "a hint");
	if ((h = b2b__hint_push(r->ctx, &q->hints, &q->nhints)) == NULL)
		return B2B_ENOMEM;
	h->kind = B2B_HINT_ORDER_PROMOTION;
	h->name = promotion;
	h->missing = missing;
	if (b2b_dec_format(buf, sizeof buf, NULL, missing, q->minor, q->mode) < 0)
		buf[0] = '\0';
	h->fname[0] = "promotion";
	h->ftext[0] = promotion;
	h->fname[1] = "missing";
	h->ftext[1] = b2b__ctx_strndup(r->ctx, buf, strlen(buf));
	h->nfields = 2;
	h->message = b2b__arena_printf(r->ctx, "a subtotal %s %s higher reaches order "
	                               "promotion %s", buf, q->currency, promotion);
	if (h->ftext[1] == NULL || h->message == NULL)
		return B2B_ENOMEM;
	return 0;
}

/*===========================================================================
 * MARK: - accessors
 *===========================================================================*/

static const b2b__qline *
hline(const b2b_quote *q, size_t i)
{
	return q != NULL && q->nerrors == 0 && i < q->nlines ? &q->lines[i] : NULL;
}

size_t
b2b_quote_line_hint_count(const b2b_quote *q, size_t i)
{
	const b2b__qline *l = hline(q, i);

	return l != NULL ? l->lo.nhints : 0;
}

const b2b_hint *
b2b_quote_line_hint(const b2b_quote *q, size_t i, size_t j)
{
	const b2b__qline *l = hline(q, i);

	return l != NULL && j < l->lo.nhints ? &l->lo.hints[j] : NULL;
}

size_t
b2b_quote_hint_count(const b2b_quote *q)
{
	return q != NULL && q->nerrors == 0 ? q->nhints : 0;
}

const b2b_hint *
b2b_quote_hint(const b2b_quote *q, size_t j)
{
	return q != NULL && q->nerrors == 0 && j < q->nhints ? &q->hints[j] : NULL;
}

size_t
b2b_price_hint_count(const b2b_price *p)
{
	return b2b_quote_line_hint_count(p != NULL ? &p->q : NULL, 0);
}

const b2b_hint *
b2b_price_hint(const b2b_price *p, size_t j)
{
	return b2b_quote_line_hint(p != NULL ? &p->q : NULL, 0, j);
}
