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

int
b2b__qr_line_hints(run *r, b2b__qline *ql, const b2b__line_in *in)
{
	int rc = b2b__price_hints(&ql->lo, r->ctx, r->book, in);

	if (rc == B2B_EOVERFLOW)
		return b2b__qr_overflow(r, (long)(ql - r->q->lines), "a hint");
	return rc;
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
