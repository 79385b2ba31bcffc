/*
 * libb2bcore — the line pricer's `volume` step (SPEC §10.1–§10.3), right
 * after the contract step, on protected lines too: the discount agreement
 * chosen for the line, its V (the document's, or the line alone), the
 * tier V reaches and x' = r9(x × (1 − percent ÷ 100)).
 *
 * Called only when the book has agreements (price.c tests
 * b->nagreements), so a book without them pays nothing.
 * SPDX-License-Identifier: MIT
 */
#include "pricer.h"
#include "volume.h"

/* Candidates of the step, in id order (with in->explain). */
static int
explain_volume(pricer *p, uint32_t chosen, int tier, const char *src)
{
	const b2b_book *b = p->b;
	const b2b__line_in *in = p->in;
	size_t n, k;
	const uint32_t *ix = b2b__vol_of_customer(b, in->customer, &n);
	uint32_t i;

	for (k = 0; k < n; k++) {
		const b2b__agreement *a = &b->agreements[i = ix[k]];

		if (a->kind != B2B__VA_DISCOUNT ||
		    !b2b__vol_applies(b, a, in->customer, in->product, in->as_of))
			continue;
		if (i == chosen && tier >= 0)
			TRY(push_cand(p, B2B__STEP_VOLUME, src, 1, ""));
		else
			TRY(cand_key(p, B2B__STEP_VOLUME, "volume", a->id,
			             i == chosen ? R_BELOW_FIRST_TIER : R_LESS_SPECIFIC));
	}
	return 0;
}

int
b2b__pr_apply_volume(pricer *p, b2b_dec *x)
{
	const b2b_book *b = p->b;
	const b2b__line_in *in = p->in;
	b2b__line_out *out = p->out;
	const b2b__agreement *a;
	const char *src = NULL;
	uint32_t best;
	b2b_dec rate, V;
	int tier, found = 0, no_rate = 0, rc;

	out->vol_x = *x;
	best = b2b__vol_choose(b, in->customer, in->product, in->as_of);
	if (best == B2B__NONE)
		return 0;
	a = &b->agreements[best];
	out->vol_agreement = best;
	rc = b2b__vol_rate(b, a, in->currency, in->as_of, &rate);
	if (rc == B2B_ECURRENCY) {
		out->vol_no_rate = 1;
		return problem(p, B2B__PROBLEM_NO_FX_RATE);
	}
	TRY(arith(p, rc));
	if (in->vol != NULL)
		V = b2b__vol_doc_V(in->vol, best, &found, &no_rate);
	if (!found) {
		/* the line alone: volume to date + this line */
		b2b_dec own = p->q;

		if (a->basis == B2B__VA_BASIS_AMOUNT) {
			TRY(mul9(p, &V, b2b__vol_to_date(b, in->customer, best), rate));
			TRY(mul9(p, &own, *x, p->q));
		} else {
			V = b2b__vol_to_date(b, in->customer, best);
		}
		TRY(arith(p, b2b_dec_add(&V, V, own)));
	}
	TRY(arith(p, b2b__vol_tier(b, a, V, rate, &tier)));
	out->vol_V = V;
	out->vol_tier = tier;
	if (tier >= 0) {
		const b2b__tier *t = b2b__vol_tier_at(b, a, (uint32_t)tier);
		b2b_dec nx;

		TRY(pct_adj(p, &nx, *x, t->percent, -1));
		if (p->trace)
			src = b2b__pr_src_volume(p, a->id, t->threshold_text);
		TRY(push_step(p, B2B__STEP_VOLUME, src, *x, nx));
		*x = nx;
	}
	if (p->explain)
		TRY(explain_volume(p, best, tier, src));
	return 0;
}
