/*
 * libb2bcore — the line pricer (pricer.h): dynamic rules, SPEC §5.4. Each
 * rule whose scope matches the product, in order: its signal (stock days
 * or demand ratio through a points curve, cost plus, competitor price),
 * then the guardrails (min / max factor, max change, price step). The
 * product's extension record is read only when a rule needs it.
 * SPDX-License-Identifier: MIT
 */
#include "pricer.h"
#include "price_wide.h"

/* The factor of a points curve at signal s. */
static int
points_factor(pricer *p, const b2b__rule *r, b2b_dec s, b2b_dec *f)
{
	const b2b__point *pt = p->b->points + r->points_off;
	uint32_t n = r->points_n, i;

	if (n == 0)
		return arith(p, B2B_ERROR);
	if (dcmp(s, pt[0].x) <= 0) {
		*f = pt[0].f;
		return 0;
	}
	if (dcmp(s, pt[n - 1].x) >= 0) {
		*f = pt[n - 1].f;
		return 0;
	}
	for (i = 0; i + 1 < n; i++) {
		if (dcmp(s, pt[i + 1].x) <= 0) {
			/* zeroed: the compiler cannot see that arith() keeps an error */
			b2b_dec num = { 0, 0 }, den = { 0, 0 }, t, df;
			b2b__wide acc;

			/* t = r9((s − xi) ÷ (xi+1 − xi)); f = r9(fi + (fi+1 − fi) × t) */
			TRY(arith(p, b2b__dec_sub(&num, s, pt[i].x)));
			TRY(arith(p, b2b__dec_sub(&den, pt[i + 1].x, pt[i].x)));
			TRY(div9(p, &t, num, den));
			TRY(arith(p, b2b__dec_sub(&df, pt[i + 1].f, pt[i].f)));
			if (b2b__wide_lerp9_fast(f, pt[i].f, df, t, p->mode) == 0)
				return 0;
			memset(&acc, 0, sizeof acc);
			TRY(arith(p, b2b__wide_add_prod(&acc, pt[i].f, b2b__dec_from_int(1))));
			TRY(arith(p, b2b__wide_add_prod(&acc, df, t)));
			return arith(p, b2b__wide_div(f, &acc, b2b__dec_from_int(1), p->mode));
		}
	}
	*f = pt[n - 1].f;
	return 0;
}

/*
 * The product's extension record (stock, demand, competitor and previous
 * prices), and competitor_price / prev_price in K. Only dynamic rules
 * need them, so a line without a matching rule never touches the record
 * (one cache miss less on large books).
 */
static int
need_ext(pricer *p)
{
	const b2b__product_ext *e;

	if (p->ext != NULL)
		return 0;
	e = b2b__book_product_ext(p->b, p->prod);
	TRY(convert(p, p->rate, &e->competitor_price, &p->competitor));
	TRY(convert(p, p->rate, &e->prev_price, &p->prev));
	p->ext = e;
	return 0;
}

/*
 * One rule applied to x. Returns 0 with *applied = 0 when the rule is
 * passed over for lack of data.
 */
static int
rule_value(pricer *p, const b2b__rule *r, b2b_dec x, b2b_dec *out, int *applied)
{
	const b2b__product_ext *e;
	b2b_dec y, s, f, lo, hi;

	*applied = 0;
	TRY(need_ext(p));
	e = p->ext;
	switch (r->signal) {
	case B2B__SIG_STOCK_DAYS:
	case B2B__SIG_DEMAND_RATIO: {
		const b2b__opt *num = r->signal == B2B__SIG_STOCK_DAYS ? &e->on_hand : &e->daily_demand;
		const b2b__opt *den = r->signal == B2B__SIG_STOCK_DAYS ? &e->daily_demand
		                                                      : &e->baseline_demand;

		if (!num->set || !den->set || b2b__dec_is_zero(den->v))
			return 0;
		TRY(div9(p, &s, num->v, den->v));
		TRY(points_factor(p, r, s, &f));
		TRY(mul9(p, &y, x, f));
		break;
	}
	case B2B__SIG_COST_PLUS:
		if (!p->has_cost || !r->markup_percent.set)
			return 0;
		TRY(pct_adj(p, &y, p->cost, r->markup_percent.v, 1));
		break;
	case B2B__SIG_COMPETITOR:
		if (!p->competitor.set)
			return 0;
		if (r->offset_percent.set)
			TRY(pct_adj(p, &y, p->competitor.v, r->offset_percent.v, 1));
		else
			y = p->competitor.v;
		break;
	default:
		return 0;
	}
	/* Guardrails, in order (SPEC §5.4). */
	if (r->min_factor.set) {
		TRY(mul9(p, &lo, x, r->min_factor.v));
		if (dcmp(y, lo) < 0)
			y = lo;
	}
	if (r->max_factor.set) {
		TRY(mul9(p, &hi, x, r->max_factor.v));
		if (dcmp(y, hi) > 0)
			y = hi;
	}
	if (r->max_change_percent.set && p->prev.set) {
		TRY(pct_adj(p, &lo, p->prev.v, r->max_change_percent.v, -1));
		TRY(pct_adj(p, &hi, p->prev.v, r->max_change_percent.v, 1));
		if (dcmp(y, lo) < 0)
			y = lo;
		if (dcmp(y, hi) > 0)
			y = hi;
	}
	if (r->price_step.set)
		TRY(arith(p, b2b__dec_round_multiple_fast(&y, y, r->price_step.v, p->mode)));
	if (is_neg(y))
		return problem(p, B2B__PROBLEM_NEGATIVE_PRICE);
	*out = y;
	*applied = 1;
	return 0;
}

int
b2b__pr_apply_rules(pricer *p, b2b_dec *x, int protected_)
{
	const b2b_book *b = p->b;
	uint32_t buf[B2B__PRICE_MAX_MATCH];
	size_t n, total, k;
	int linear;

	if (b->nrules == 0)
		return 0;
	/* a few rules: a scan is cheaper than the index's merge of scope buckets */
	n = b->nrules <= B2B__PRICE_SCAN_MAX ? B2B__PRICE_MAX_MATCH + 1
	    : b2b__book_rules_for(b, p->in->product, buf, B2B__PRICE_MAX_MATCH);
	linear = n > B2B__PRICE_MAX_MATCH;
	total = linear ? b->nrules : n;
	for (k = 0; k < total; k++) {
		uint32_t ri = linear ? (uint32_t)k : buf[k];
		const b2b__rule *r = &b->rules[ri];
		b2b_dec y;
		int applied;

		if (linear && !scope_matches(p, &r->scope))
			continue;
		if (protected_) {
			TRY(cand_key(p, B2B__STEP_DYNAMIC, "rule", r->id, R_PROTECTED));
			continue;
		}
		if (!b2b__window_has(&r->window, p->in->as_of)) {
			TRY(cand_key(p, B2B__STEP_DYNAMIC, "rule", r->id, R_OUT_OF_WINDOW));
			continue;
		}
		TRY(rule_value(p, r, *x, &y, &applied));
		if (!applied) {
			TRY(cand_key(p, B2B__STEP_DYNAMIC, "rule", r->id, R_NO_DATA));
			continue;
		}
		if (p->trace) {
			const char *src = b2b__pr_src_key(p, "rule", r->id);

			TRY(push_step(p, B2B__STEP_DYNAMIC, src, *x, y));
			step_rec(p, (uint32_t)(r - b->rules));
			TRY(push_cand(p, B2B__STEP_DYNAMIC, src, 1, ""));
		}
		*x = y;
	}
	return 0;
}
