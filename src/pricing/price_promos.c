/*
 * libb2bcore — the line pricer (pricer.h): line promotions, SPEC §5.5.
 * The promotions this request can use (automatic ones, and coupons whose
 * code was given), in order, stackable or exclusive; amounts in the base
 * currency converted to the document's (§9.5); then the cap of the
 * walk's total cut (max_discount_percent).
 * SPDX-License-Identifier: MIT
 */
#include "pricer.h"
#include "price_wide.h"

/* A base-currency amount in K (SPEC §9.5); B2B__STOP with NO_FX_RATE. */
static int
base_to_k(pricer *p, b2b_dec v, b2b_dec *out)
{
	uint16_t base = p->b->settings.base_currency, sf, st;
	int rc;

	if (base == p->in->currency) {
		*out = v;
		return 0;
	}
	if (!p->have_base_rate) {
		rc = b2b__book_fx(p->b, base, p->in->currency, p->in->as_of, &p->base_rate, &sf, &st);
		if (rc == B2B_ECURRENCY)
			p->base_rate_missing = 1;
		else if (rc < 0)
			return arith(p, rc);
		p->have_base_rate = 1;
	}
	if (p->base_rate_missing)
		return problem(p, B2B__PROBLEM_NO_FX_RATE);
	return mul9(p, out, v, p->base_rate);
}

static int
code_given(pricer *p, b2b__str code)
{
	const char *c = b2b__s(p->b, code);
	size_t len = strlen(c), i;

	for (i = 0; i < p->in->ncodes; i++) {
		const char *g = p->in->codes[i];
		size_t gl;

		if (g == NULL)
			continue;
		gl = p->in->code_lens != NULL ? p->in->code_lens[i] : strlen(g);
		if (gl == len && memcmp(g, c, len) == 0)
			return 1;
	}
	return 0;
}

static int
promo_value(pricer *p, const b2b__promo *pr, b2b_dec x, b2b_dec *y)
{
	b2b_dec v, n, ng, m, sum = { 0, 0 };  /* sum zeroed for the compiler's flow analysis */
	b2b__wide acc;

	switch (pr->kind) {
	case B2B__PROMO_PERCENT:
		return pct_adj(p, y, x, pr->value.v, -1);
	case B2B__PROMO_AMOUNT:
		TRY(base_to_k(p, pr->value.v, &v));
		TRY(arith(p, b2b__dec_sub(y, x, v)));
		if (b2b_dec_sign(*y) < 0)
			*y = b2b__dec_from_int(0);
		return 0;
	case B2B__PROMO_FIXED_PRICE:
		TRY(base_to_k(p, pr->value.v, &v));
		*y = dcmp(v, x) < 0 ? v : x;
		return 0;
	case B2B__PROMO_BUY_X_GET_Y:
		/* x' = r9(x × (Q − floor(Q ÷ (buy + get)) × get) ÷ Q), exact before the r9 */
		if (!pr->buy_qty.set || !pr->get_qty.set) {
			*y = x;
			return 0;
		}
		TRY(arith(p, b2b__dec_add(&sum, pr->buy_qty.v, pr->get_qty.v)));
		TRY(arith(p, b2b__dec_div0_fast(&n, p->q, sum, B2B_ROUND_FLOOR)));
		TRY(arith(p, b2b__dec_mul9_fast(&ng, n, pr->get_qty.v, p->mode)));
		TRY(arith(p, b2b__dec_sub(&m, p->q, ng)));
		if (b2b__wide_muldiv9_fast(y, x, m, p->q, p->mode) == 0)
			return 0;
		memset(&acc, 0, sizeof acc);
		TRY(arith(p, b2b__wide_add_prod(&acc, x, m)));
		return arith(p, b2b__wide_div(y, &acc, p->q, p->mode));
	default:
		*y = x;
		return 0;
	}
}

int
b2b__pr_apply_promos(pricer *p, b2b_dec *x, int allowed)
{
	const b2b_book *b = p->b;
	uint32_t buf[B2B__PRICE_MAX_MATCH];
	size_t n, total, k;
	int linear, napplied = 0, ended = 0;
	b2b_dec x0 = *x, cut = { 0, 0 }, maxcut;  /* cut zeroed for the compiler's flow analysis */

	if (b->npromos == 0)
		return 0;
	n = b->npromos <= B2B__PRICE_SCAN_MAX ? B2B__PRICE_MAX_MATCH + 1
	    : b2b__book_promos_for(b, p->in->product, buf, B2B__PRICE_MAX_MATCH);
	linear = n > B2B__PRICE_MAX_MATCH;
	total = linear ? b->npromos : n;
	for (k = 0; k < total; k++) {
		uint32_t pi = linear ? (uint32_t)k : buf[k];
		const b2b__promo *pr = &b->promos[pi];
		const char *why = NULL;
		b2b_dec y;

		if (ended && !p->explain)
			break;
		if (linear && pr->kind > B2B__PROMO_BUY_X_GET_Y)
			continue;
		if (pr->code != 0 && (p->in->ncodes == 0 || !code_given(p, pr->code)))
			continue;
		if (linear && !scope_matches(p, &pr->scope))
			continue;
		if (!b2b__window_has(&pr->window, p->in->as_of))
			why = R_OUT_OF_WINDOW;
		else if (pr->segment != 0 &&
		         (p->cust->segment == 0 ||
		          strcmp(b2b__s(b, pr->segment), b2b__s(b, p->cust->segment)) != 0))
			why = R_OTHER_SEGMENT;
		else if (!allowed)
			why = R_PROTECTED;
		else if (ended || (pr->exclusive && napplied > 0))
			why = R_EXCLUSIVE;
		if (why == NULL) {
			TRY(promo_value(p, pr, *x, &y));
			if (dcmp(y, *x) >= 0)
				why = R_DID_NOT_LOWER;
		}
		if (why != NULL) {
			TRY(cand_key(p, B2B__STEP_PROMOTION, "promotion", pr->id, why));
			continue;
		}
		if (p->trace) {
			const char *src = b2b__pr_src_key(p, "promotion", pr->id);

			TRY(push_step(p, B2B__STEP_PROMOTION, src, *x, y));
			step_rec(p, pi);
			TRY(push_cand(p, B2B__STEP_PROMOTION, src, 1, ""));
		}
		*x = y;
		napplied++;
		if (pr->exclusive)
			ended = 1;
	}
	if (napplied == 0)
		return 0;
	/* The cap: the walk's total cut is at most r9(x0 × max_discount_percent ÷ 100). */
	TRY(arith(p, b2b__dec_sub(&cut, x0, *x)));
	TRY(arith(p, b2b__dec_percent9_fast(&maxcut, x0, b->settings.max_discount_percent,
	                                    p->mode)));
	if (dcmp(cut, maxcut) > 0) {
		b2b_dec y;

		TRY(arith(p, b2b__dec_sub(&y, x0, maxcut)));
		TRY(push_step(p, B2B__STEP_PROMOTION, "cap", *x, y));
		*x = y;
	}
	return 0;
}
