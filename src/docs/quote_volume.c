/*
 * libb2bcore — volume agreements in documents (SPEC §10.2, §10.4): the
 * document volume V of each discount agreement measured over the lines
 * before they are priced, and the rebates that accrue on a priced quote.
 * Only books with agreement rows get here (quote.c, quote_figures.c).
 *
 * ---- Decisions where SPEC leaves room ----
 *
 * Passes. A first pass prices each line up to the volume step (with its
 * trace so far), which gives x and the problems found before the step;
 * V is measured over the lines without a problem, and a second pass goes
 * on from the volume step (the steps before it do not depend on V, so
 * they run once). A line with a pricing error of its own is left out of
 * V: an error before the volume step is known from the first pass; if a
 * line counted in V fails at a later step (a dynamic rule or a
 * promotion), V is measured again without it and every line is priced
 * again from the start (at most as many rounds as lines fail that way).
 *
 * Rebates. Agreements are listed in id order, each that matches at least
 * one line of the quote (window at as_of, party, scope), with `tier`
 * null and `accrual` 0 below the first threshold. `volume` is V in the
 * document currency: for `amount`, the volume to date converted to K with
 * r9 plus the lines' net_amount, written at K's minor units (rounded with
 * the book's mode); for `qty`, exact.
 * SPDX-License-Identifier: MIT
 */
#include <string.h>

#include "dec_int.h"
#include "quote_run.h"
#include "volume.h"

int
b2b__qr_price_volume(run *r, const uint8_t *ok, const b2b_dec *requested,
                     const uint8_t *has_requested, b2b__qr_price_fn price_line)
{
	const b2b_book *book = r->book;
	b2b_quote *q = r->q;
	size_t n = q->nlines, i, round;
	b2b__vol_doc d;
	b2b_dec *vtd, *x;
	uint8_t *out;     /* left out of V */
	int rc;

	if ((rc = b2b__vol_doc_init(&d, r->ctx, book, r->cust, r->cur, q->as_of.sec)) < 0)
		return rc;
	if (d.n == 0) {
		for (i = 0; i < n; i++)
			if (ok[i] && (rc = price_line(r, i, requested[i], has_requested[i], NULL,
			                              B2B__QR_FULL)) < 0)
				return rc;
		return 0;
	}
	vtd = b2b__arena_calloc(r->ctx, d.n, sizeof(*vtd));
	x = b2b__arena_calloc(r->ctx, n + 1, sizeof(*x));
	out = b2b__arena_calloc(r->ctx, n + 1, 1);
	if (vtd == NULL || x == NULL || out == NULL)
		return B2B_ENOMEM;
	memcpy(vtd, d.V, d.n * sizeof(*vtd));
	/* pass 1: every line up to the volume step (its trace so far kept) */
	for (i = 0; i < n; i++) {
		out[i] = !ok[i];
		if (!ok[i])
			continue;
		if ((rc = price_line(r, i, requested[i], has_requested[i], NULL,
		                     B2B__QR_PROBE)) < 0)
			return rc;
		if (q->lines[i].lo.problem != B2B__PROBLEM_NONE)
			out[i] = 1;   /* priced again in full below, to report it */
		else
			x[i] = q->lines[i].lo.vol_x;
	}
	for (round = 0; round <= n; round++) {
		int again = 0;

		memcpy(d.V, vtd, d.n * sizeof(*vtd));
		for (i = 0; i < n; i++)
			if (!out[i] &&
			    (rc = b2b__vol_doc_add(&d, book, r->cust, q->lines[i].product,
			                           q->as_of.sec, q->lines[i].qty, x[i])) < 0)
				return b2b__qr_overflow(r, (long)i, "the volume");
		/* pass 2: on from the volume step with the document's V (from the
		 * start for a line that failed, or in a later round) */
		for (i = 0; i < n; i++) {
			int stage = round == 0 && !out[i] ? B2B__QR_RESUME : B2B__QR_FULL;

			if (!ok[i])
				continue;
			if ((rc = price_line(r, i, requested[i], has_requested[i], &d, stage)) < 0)
				return rc;
		}
		for (i = 0; i < n; i++)
			if (!out[i] && q->lines[i].lo.problem != B2B__PROBLEM_NONE) {
				out[i] = 1;
				again = 1;
			}
		if (!again)
			break;
	}
	return 0;
}

/* round(net × percent ÷ 100) at K's minor units. */
static int
share_of(run *r, b2b_dec *out, b2b_dec net, b2b_dec percent)
{
	return b2b_dec_percent(out, net, percent, r->q->minor, r->q->mode);
}

int
b2b__qr_rebates(run *r)
{
	const b2b_book *book = r->book;
	b2b_quote *q = r->q;
	size_t n = q->nlines, i, cap = 0, na, k;
	const uint32_t *ix = b2b__vol_of_customer(book, r->cust, &na);
	uint32_t a;
	uint8_t *in;   /* the lines in the agreement's scope */
	int rc;

	if (q->kind != B2B__REQ_QUOTE)
		return 0;
	q->has_rebates = 1;
	if (na == 0)
		return 0;
	if ((in = b2b__arena_calloc(r->ctx, n + 1, 1)) == NULL)
		return B2B_ENOMEM;
	for (k = 0; k < na; k++) {
		const b2b__agreement *ag = &book->agreements[a = ix[k]];
		b2b__rebate *rb;
		b2b_dec rate, V, acc = { 0, 0 };
		int tier, any = 0;

		if (ag->kind != B2B__VA_REBATE || !b2b__vol_for_customer(book, ag, r->cust,
		                                                         q->as_of.sec))
			continue;
		for (i = 0; i < n; i++)
			any |= in[i] = (uint8_t)b2b__scope_matches(book, &ag->scope, q->lines[i].product);
		if (!any)
			continue;
		rc = b2b__vol_rate(book, ag, r->cur, q->as_of.sec, &rate);
		if (rc == B2B_ECURRENCY) {
			char tbuf[B2B_TIME_FORMAT_MAX];

			/* §10.2, §9.5: a document NO_FX_RATE (path currency) */
			b2b__qr_time_text(tbuf, sizeof(tbuf), q->as_of);
			return b2b__qr_prob(r, CODE_NO_FX_RATE, -1, "currency",
			                    "no FX rate from %s to %s valid at %s (needed for volume "
			                    "agreement %s)", b2b__qr_currency_of(book, ag->currency)->code,
			                    b2b__qr_currency_of(book, r->cur)->code, tbuf,
			                    b2b__s(book, ag->id));
		}
		OVF(rc, -1, "a rebate");
		V = b2b__vol_to_date(book, r->cust, a);
		if (ag->basis == B2B__VA_BASIS_AMOUNT)
			OVF(b2b__r9_mul(&V, book, V, rate), -1, "a rebate volume");
		for (i = 0; i < n; i++) {
			const b2b__qline *l = &q->lines[i];

			if (in[i])
				OVF(b2b_dec_add(&V, V, ag->basis == B2B__VA_BASIS_AMOUNT ? l->net : l->qty),
				    (long)i, "a rebate volume");
		}
		OVF(b2b__vol_tier(book, ag, V, rate, &tier), -1, "a rebate tier");
		if (tier >= 0) {
			b2b_dec pct = b2b__vol_tier_at(book, ag, (uint32_t)tier)->percent;

			for (i = 0; i < n; i++) {
				b2b__qline *l = &q->lines[i];
				b2b_dec s;

				if (!in[i])
					continue;
				OVF(share_of(r, &s, l->net, pct), (long)i, "a rebate share");
				OVF(b2b_dec_add(&l->rebate, l->rebate, s), (long)i, "the line rebate");
				OVF(b2b_dec_add(&acc, acc, s), -1, "a rebate accrual");
			}
		}
		if (b2b__arena_grow(r->ctx, (void **)&q->rebates, &cap, q->nrebates + 1,
		                    sizeof(*q->rebates)) < 0)
			return B2B_ENOMEM;
		rb = &q->rebates[q->nrebates++];
		rb->agreement = b2b__s(book, ag->id);
		rb->tier = tier >= 0 ? b2b__s(book, b2b__vol_tier_at(book, ag, (uint32_t)tier)
		                                         ->threshold_text)
		                     : NULL;
		rb->volume = V;
		rb->volume_scale = ag->basis == B2B__VA_BASIS_AMOUNT ? q->minor : b2b_dec_scale(V);
		rb->accrual = acc;
		OVF(b2b_dec_add(&q->rebate_total, q->rebate_total, acc), -1, "the rebate total");
	}
	return 0;
}
