/*
 * libb2bcore — the line pricer: SPEC §5.1–§5.6 and the unit-price part of
 * §5.7 (the `rounding` step), with the waterfall of §4 and, on request,
 * the candidates that were considered.
 * SPDX-License-Identifier: MIT
 *
 * Shape of the computation (one line: customer C, product S, quantity Q,
 * document currency K, as-of T, channel H):
 *
 *   list → fx → price_list → contract → volume → dynamic* → promotion* (+ cap)
 *        → requested → rounding
 *
 * Every intermediate price is an r9 value (9 fractional digits, the
 * book's rounding mode). Products and sums of exact decimals that SPEC §5
 * keeps exact before one r9 (an incremental tier's amount, a
 * buy-x-get-y line, a points interpolation) are carried in a 256-bit
 * sign-magnitude accumulator (price_wide.c), so that nothing is rounded
 * twice.
 *
 * With in->trace == 0 (the batch path) nothing is allocated and no source
 * string is built; the price computed is the same either way (the
 * property tests in tests/check_price.c check it).
 *
 * Hot path (see `b2b bench price`): a list's or contract's most specific
 * scope group is looked up alone first (one index probe; the others only
 * when it holds no break); a group's items are sorted by min_qty (then
 * valid_from), so its break scan stops at the first item beyond Q; the
 * product's extension record (stock, demand, competitor and previous
 * prices) is read only when a dynamic rule needs it; books with few rules
 * or promotions are scanned instead of merged from the scope index; the
 * candidate-list groups of §5.2 go through an optional per-call memo
 * (b2b__price_memo, used by the batch); the unit price is rounded with a
 * 64-bit fast path. None of this changes a result.
 *
 * ---- Decisions where SPEC leaves room (kept stable; tests pin them) ----
 *
 * FX source. `fx:FROM/TO` names the fx_rates row used, as stored: a
 * product in USD priced in EUR with only the row EUR→USD gives the source
 * `fx:EUR/USD` (the rate used is then r9(1 ÷ rate), SPEC §5.1).
 *
 * Incremental sources. `price_list:ID/SCOPE/min_qty:M0,M1,…` lists the
 * breaks used, i.e. the breaks whose band holds at least one unit: the
 * lowest break (which covers from 0) and every break with min_qty < Q.
 * Each M is the break's own min_qty as stored (shortest exact form), so
 * a source always names records by their keys. When any used break has a
 * valid_from, `/from:D0,D1,…` follows, one entry per used break in the
 * same order, empty for a break without valid_from. Breaks that hold no
 * unit are not evaluated (their price is not needed, so it cannot be a
 * NEGATIVE_PRICE either).
 *
 * Base evaluation. `base=parent` and `base=list_id:ID` evaluate a list
 * chain (the list, then its parents; a list that does not count is passed
 * over and its own parent tried) for this line; the result is memoised per
 * starting list for the line, so a diamond of bases costs each list once.
 * Nesting deeper than B2B__PRICE_MAX_DEPTH is B2B_EOVERFLOW (the book
 * loader rejects cycles, so only a pathological book gets there).
 * Nested evaluations add no step and no candidate: the `price_list` step
 * names the item(s) of the list that gave the price.
 *
 * Requested price. A negative requested price sets out->requested_negative
 * whatever else happens (so that a document can report both it and a
 * NEGATIVE_PRICE of the same line); out->problem is
 * B2B__PROBLEM_NEGATIVE_REQUESTED only when the line has no other problem.
 *
 * Promotions. Only promotions that this request can use are considered:
 * automatic ones and those whose code is among the request's codes (a
 * coupon promotion whose code was not given is not a candidate, so an
 * explanation never reveals coupons). A promotion after an exclusive one
 * that applied is passed with reason `exclusive_blocked`, like an
 * exclusive one that could not apply because another applied before it.
 * The walk stops at an applied exclusive promotion, so a later
 * promotion's base-currency value is not converted (no NO_FX_RATE from
 * it).
 *
 * ---- Files ----
 *
 * This file holds the line (§5.1, §5.6, the rounding step) and the steps
 * that decide where its price comes from: the candidate price lists in
 * the order of §5.2, and the contract (§5.3). What one price list gives
 * (its breaks, tiers, items and bases) is in price_lists.c; dynamic rules
 * (§5.4) and promotions (§5.5) in price_rules.c and price_promos.c; the
 * waterfall and the candidates (with in->trace / in->explain) in
 * price_explain.c, which also says which candidates are reported and
 * why; pricer.h holds the state they share. The list walk and the
 * contract stay here, in one translation unit with the line, because the
 * library is built without LTO: in files of their own, the calls cost
 * about 90 instructions a line (2% of a full-profile line of `b2b bench
 * price`, 7% of a basic one).
 */
#include "pricer.h"

/* Sources of the rounding step (SPEC §9.11), static. */
static const char *const upd_sources[10] = {
	"unit_price_decimals:0", "unit_price_decimals:1", "unit_price_decimals:2",
	"unit_price_decimals:3", "unit_price_decimals:4", "unit_price_decimals:5",
	"unit_price_decimals:6", "unit_price_decimals:7", "unit_price_decimals:8",
	"unit_price_decimals:9",
};

static const char *const step_names[] = {
	"list", "fx", "price_list", "contract", "volume", "dynamic", "promotion", "requested",
	"rounding",
};

const char *
b2b__step_name(int step)
{
	if (step < 0 || (size_t)step >= sizeof(step_names) / sizeof(step_names[0]))
		return "";
	return step_names[step];
}

const char *
b2b_step_name(const b2b_step *s)
{
	return s != NULL ? b2b__step_name(s->step) : NULL;
}

const char *
b2b_step_source(const b2b_step *s)
{
	return s != NULL ? s->source : NULL;
}

b2b_dec
b2b_step_before(const b2b_step *s)
{
	return s != NULL ? s->before : b2b__dec_from_int(0);
}

b2b_dec
b2b_step_after(const b2b_step *s)
{
	return s != NULL ? s->after : b2b__dec_from_int(0);
}

const char *
b2b_candidate_step(const b2b_candidate *c)
{
	return c != NULL ? b2b__step_name(c->step) : NULL;
}

const char *
b2b_candidate_source(const b2b_candidate *c)
{
	return c != NULL ? c->source : NULL;
}

int
b2b_candidate_applied(const b2b_candidate *c)
{
	return c != NULL ? c->applied != 0 : 0;
}

const char *
b2b_candidate_reason(const b2b_candidate *c)
{
	return c != NULL ? (c->reason != NULL ? c->reason : "") : NULL;
}

int
b2b__r9_mul(b2b_dec *out, const b2b_book *b, b2b_dec x, b2b_dec y)
{
	return b2b_dec_mul(out, x, y, B2B_DEC_SCALE, b->settings.rounding);
}

int
b2b__r9_div(b2b_dec *out, const b2b_book *b, b2b_dec x, b2b_dec y)
{
	return b2b_dec_div(out, x, y, B2B_DEC_SCALE, b->settings.rounding);
}

/*===========================================================================
 * MARK: - Candidate price lists (SPEC §5.2): which lists, in which order
 *===========================================================================*/

/* Has list l been a candidate of an earlier group (or earlier in its own)? */
static int
applies_matches(pricer *p, const b2b__applies *a)
{
	const char *v = b2b__s(p->b, a->value);

	switch (a->kind) {
	case B2B__APPLY_CUSTOMER:
		return strcmp(v, b2b__s(p->b, p->cust->id)) == 0;
	case B2B__APPLY_SEGMENT:
		return p->cust->segment != 0 && strcmp(v, b2b__s(p->b, p->cust->segment)) == 0;
	case B2B__APPLY_CHANNEL:
		return p->in->channel != NULL && strlen(v) == p->in->channel_len &&
		       memcmp(v, p->in->channel, p->in->channel_len) == 0;
	default:
		return 1;
	}
}

/* Position of the candidate groups of SPEC §5.2: 0 = the customer's cell. */
static int
group_of(int apply_kind)
{
	switch (apply_kind) {
	case B2B__APPLY_CUSTOMER: return 1;
	case B2B__APPLY_SEGMENT: return 2;
	case B2B__APPLY_CHANNEL: return 3;
	default: return 4;
	}
}

static int
seen_before(pricer *p, uint32_t l, int group)
{
	const b2b__list *li = &p->b->lists[l];
	uint32_t i;

	if (group == 0)
		return 0;
	for (i = 0; i < p->cust->lists_n; i++) {
		if (p->b->u32[p->cust->lists_off + i] == l)
			return 1;
	}
	for (i = 0; i < li->applies_n; i++) {
		const b2b__applies *a = &p->b->applies[li->applies_off + i];

		if (group_of(a->kind) < group && applies_matches(p, a))
			return 1;
	}
	return 0;
}

/* Try one candidate list and its chain. *found is set when it gave P. */
static int
try_candidate(pricer *p, uint32_t cand, b2b_dec *P, int *found)
{
	const b2b__item *chosen, *top;
	const char *why, *src = NULL;
	b2b__range grp;
	uint32_t l;
	size_t hops = 0;

	if (!list_counts(p, cand, &why))
		return cand_key(p, B2B__STEP_PRICE_LIST, "price_list", p->b->lists[cand].id, why);
	for (l = cand; l != B2B__NONE && hops <= p->b->nlists; l = p->b->lists[l].parent, hops++) {
		if (l != cand && !list_counts(p, l, &why)) {
			TRY(cand_key(p, B2B__STEP_PRICE_LIST, "price_list", p->b->lists[l].id, why));
			continue;
		}
		if (!b2b__pr_find_breaks(p, l, &grp, &top)) {
			if (p->explain)
				TRY(b2b__pr_explain_list(p, l, NULL, NULL, NULL));
			continue;
		}
		TRY(b2b__pr_tier_price(p, l, grp, top, P, &chosen));
		if (p->trace) {
			src = b2b__pr_list_source(p, l, grp, chosen);
			TRY(push_step(p, B2B__STEP_PRICE_LIST, src, p->L, *P));
			step_rec(p, l);
			if (p->explain) {
				p->out->by_list = 1;
				p->out->list = l;
				p->out->list_grp = grp;
				TRY(b2b__pr_explain_list(p, l, &grp, chosen, src));
			}
		}
		*found = 1;
		return 0;
	}
	return 0;
}

void
b2b__price_memo_init(b2b__price_memo *m, const b2b_book *b)
{
	size_t i;

	memset(m, 0, sizeof *m);
	m->book = b;
	for (i = 0; i < b->napplies; i++)
		if (b->applies[i].kind < 4)
			m->any[b->applies[i].kind] = 1;
	if (m->any[B2B__APPLY_DEFAULT])
		m->def = b2b__book_lists_applying(b, B2B__APPLY_DEFAULT, "", 0);
}

/* b2b__book_lists_applying(), through the memo when the line has one. */
static b2b__range
lists_applying(pricer *p, int kind, const char *v, size_t len)
{
	b2b__price_memo *m = p->in->memo;
	b2b__range r;
	size_t h;

	if (m == NULL || m->book != p->b)
		return b2b__book_lists_applying(p->b, kind, v, len == SIZE_MAX ? strlen(v) : len);
	if (!m->any[kind]) {
		r.off = r.n = 0;
		return r;
	}
	if (kind == B2B__APPLY_DEFAULT)
		return m->def;
	h = (((uintptr_t)v >> 3) ^ ((uintptr_t)v >> 11) ^ (size_t)kind) % B2B__PRICE_MEMO_SLOTS;
	/* pool strings are interned: the same pointer is the same text */
	if (m->slot[h].key == v && m->slot[h].kind == kind &&
	    (len == SIZE_MAX || m->slot[h].len == len))
		return m->slot[h].r;
	if (len == SIZE_MAX)
		len = strlen(v);
	r = b2b__book_lists_applying(p->b, kind, v, len);
	m->slot[h].key = v;
	m->slot[h].len = len;
	m->slot[h].kind = kind;
	m->slot[h].r = r;
	return r;
}

static int
walk_lists(pricer *p, b2b_dec *P)
{
	const b2b_book *b = p->b;
	const b2b__customer *c = p->cust;
	int found = 0, g;

	*P = p->L;
	for (g = 0; g < 5; g++) {
		const uint32_t *ids;
		size_t n, i;

		if (g == 0) {
			ids = c->lists_n != 0 ? b->u32 + c->lists_off : NULL;
			n = c->lists_n;
		} else {
			b2b__range r = { 0, 0 };
			const char *v;

			switch (g) {
			case 1:
				v = b2b__s(b, c->id);
				r = lists_applying(p, B2B__APPLY_CUSTOMER, v, SIZE_MAX);
				break;
			case 2:
				if (c->segment != 0) {
					v = b2b__s(b, c->segment);
					r = lists_applying(p, B2B__APPLY_SEGMENT, v, SIZE_MAX);
				}
				break;
			case 3:
				if (p->in->channel != NULL)
					r = lists_applying(p, B2B__APPLY_CHANNEL, p->in->channel,
					                   p->in->channel_len);
				break;
			default:
				r = lists_applying(p, B2B__APPLY_DEFAULT, "", 0);
				break;
			}
			ids = r.n != 0 ? b->u32 + r.off : NULL;
			n = r.n;
		}
		for (i = 0; i < n; i++) {
			uint32_t l = ids[i];

			if (l >= b->nlists)
				continue;
			/* lists_applying() is sorted: a repeated list would be adjacent */
			if (g > 0 && i > 0 && ids[i - 1] == l)
				continue;
			if (seen_before(p, l, g))
				continue;
			if (found) {
				if (!p->explain)
					return 0;
				TRY(cand_key(p, B2B__STEP_PRICE_LIST, "price_list", b->lists[l].id,
				             R_LOWER_PRIORITY));
				continue;
			}
			TRY(try_candidate(p, l, P, &found));
		}
	}
	return 0;
}

/*===========================================================================
 * MARK: - Contracts (SPEC §5.3, §9.13)
 *===========================================================================*/

/* Is pick a better than pick b (SPEC §5.3 ties)? */
static int
cpick_better(pricer *p, const cpick *a, const cpick *b)
{
	const b2b__contract *ca, *cb;

	if (b->contract == B2B__NONE)
		return 1;
	if (a->rank != b->rank)
		return a->rank > b->rank;
	ca = &p->b->contracts[a->contract];
	cb = &p->b->contracts[b->contract];
	if (ca->window.from != cb->window.from)
		return ca->window.from > cb->window.from;
	return strcmp(b2b__s(p->b, ca->id), b2b__s(p->b, cb->id)) < 0;
}

static int
contract_item_ok(pricer *p, const b2b__item *it)
{
	return b2b__item_window_has(p->b, it, p->in->as_of) && qty_reaches(p, it);
}

static int
group_has_contract_item(pricer *p, b2b__range grp)
{
	size_t k;

	/* sorted by min_qty: the first item beyond Q ends the scan */
	for (k = 0; k < grp.n && qty_reaches(p, &p->b->citems[grp.off + k]); k++)
		if (b2b__item_window_has(p->b, &p->b->citems[grp.off + k], p->in->as_of))
			return 1;
	return 0;
}

static void
pick_contract(pricer *p, cpick *best)
{
	const b2b_book *b = p->b;
	b2b__range groups[B2B__PRICE_MAX_GROUPS];
	uint32_t i;

	best->contract = B2B__NONE;
	best->item = NULL;
	best->rank = -1;
	for (i = 0; i < p->cust->contracts_n; i++) {
		uint32_t k = b->u32[p->cust->contracts_off + i];
		const char *why;
		size_t ng, g, j;

		if (k >= b->ncontracts || !contract_counts(p, &b->contracts[k], &why))
			continue;
		/* the most specific group alone first (one index probe), as in find_breaks() */
		ng = b2b__book_citems(b, k, p->in->product, groups, 1);
		if (ng == 0)
			continue;
		if (!group_has_contract_item(p, groups[0]))
			ng = b2b__book_citems(b, k, p->in->product, groups, B2B__PRICE_MAX_GROUPS);
		if (ng > B2B__PRICE_MAX_GROUPS)
			ng = B2B__PRICE_MAX_GROUPS;
		for (g = 0; g < ng; g++) {
			cpick c;

			c.contract = k;
			c.item = NULL;
			c.grp = groups[g];
			for (j = 0; j < groups[g].n; j++) {
				const b2b__item *it = &b->citems[groups[g].off + j];

				if (contract_item_ok(p, it) &&
				    (c.item == NULL || dcmp(it->min_qty, c.item->min_qty) >= 0))
					c.item = it;
			}
			if (c.item == NULL)
				continue;
			c.rank = b2b__scope_rank(&c.item->scope);
			if (cpick_better(p, &c, best))
				*best = c;
			break;
		}
	}
}

/* Returns through *allow_promos whether promotions may still apply. */
static int
apply_contract(pricer *p, b2b_dec *x, int *allow_promos)
{
	const b2b__contract *ct;
	const b2b__opt *disc;
	const char *src = NULL;
	cpick win;
	b2b_dec pc;
	int taken;

	*allow_promos = 1;
	if (p->cust->contracts_n == 0)
		return 0;
	pick_contract(p, &win);
	if (win.contract == B2B__NONE)
		return p->explain ? b2b__pr_explain_contracts(p, &win, NULL, 0) : 0;
	ct = &p->b->contracts[win.contract];
	disc = &b2b__book_item_ext(p->b, win.item)->discount_percent;
	if (disc->set && (win.item->compute == B2B__COMPUTE_DISCOUNT || !win.item->price_set))
		TRY(pct_adj(p, &pc, p->L, disc->v, -1));
	else
		pc = win.item->price;
	if (is_neg(pc))
		return problem(p, B2B__PROBLEM_NEGATIVE_PRICE);
	taken = ct->policy == B2B__POLICY_OVERRIDE || dcmp(pc, *x) < 0;
	/* the source names the step, or the candidate with explain */
	if (p->trace && (taken || p->explain))
		src = b2b__pr_src_item(p, "contract", ct->id, win.item);
	if (taken) {
		TRY(push_step(p, B2B__STEP_CONTRACT, src, *x, pc));
		step_rec(p, win.contract);
		if (p->explain) {
			p->out->by_contract = 1;
			p->out->contract = win.contract;
			p->out->contract_grp = win.grp;
		}
		*x = pc;
		p->out->protected_ = 1;
		*allow_promos = ct->allow_promotions;
	}
	if (p->explain)
		TRY(b2b__pr_explain_contracts(p, &win, src, taken));
	return 0;
}

/*===========================================================================
 * MARK: - The line
 *===========================================================================*/

/*
 * a rounded to the book's unit_price_decimals with its mode. Fast path for
 * the usual case, 0 ≤ a < 2^64 × 10^-9 (about 1.8 × 10^10): one 64-bit
 * division instead of the general 128-bit routine (same rounding decision:
 * b2b__round_inc()).
 */
static int
round_upd(pricer *p, b2b_dec *out, b2b_dec a)
{
	int upd = p->b->settings.unit_price_decimals;

	if (a.hi == 0 && upd >= 0 && upd < B2B_DEC_SCALE) {
		uint64_t m = b2b__pow10_u64[B2B_DEC_SCALE - upd], q = a.lo / m, r = a.lo % m;

		if (r == 0) {
			*out = a;
			return 0;
		}
		q += (uint64_t)b2b__round_inc((int)(q & 1u), r, m, 0, p->mode);
		*out = b2b__dec_from_i128((b2b__i128)((b2b__u128)q * m));
		return 0;
	}
	return arith(p, b2b_dec_round(out, a, upd, p->mode));
}

/*
 * The price_list and contract steps of a line whose §5.2–5.3 the caller
 * read from the plan, as try_candidate() and apply_contract() write them
 * (the plan's lists are all_units: the chosen break names the step).
 */
static int
preset_steps(pricer *p, const b2b__line_preset *pre)
{
	const b2b_book *b = p->b;

	if (pre->list != B2B__NONE) {
		TRY(push_step(p, B2B__STEP_PRICE_LIST,
		              b2b__pr_src_item(p, "price_list", b->lists[pre->list].id,
		                               &b->items[pre->list_item]),
		              p->L, pre->x_list));
		step_rec(p, pre->list);
	}
	if (pre->contract != B2B__NONE) {
		TRY(push_step(p, B2B__STEP_CONTRACT,
		              b2b__pr_src_item(p, "contract", b->contracts[pre->contract].id,
		                               &b->citems[pre->contract_item]),
		              pre->x_list, pre->x));
		step_rec(p, pre->contract);
	}
	return 0;
}

static int
price_line(pricer *p)
{
	const b2b_book *b = p->b;
	const b2b__line_in *in = p->in;
	b2b__line_out *out = p->out;
	b2b_dec rate = b2b__dec_from_int(1), x;
	b2b__opt c;
	int allow_promos = 1, upd = b->settings.unit_price_decimals;

	if (in->vol_resume) {
		/* SPEC §10.2 second pass: the steps up to the contract ran already */
		x = out->vol_res.x;
		allow_promos = out->vol_res.allow_promos;
		p->L = out->vol_res.L;
		p->has_cost = out->vol_res.has_cost;
		p->cost = out->vol_res.cost;
		p->rate = out->vol_res.rate;
		p->steps_cap = out->vol_res.steps_cap;
		p->cands_cap = out->vol_res.cands_cap;
		TRY(b2b__pr_apply_volume(p, &x));
	} else {
		if (in->has_requested && is_neg(in->requested))
			out->requested_negative = 1;

		TRY(push_step(p, B2B__STEP_LIST,
		              p->trace ? b2b__pr_src_key(p, "product", p->prod->sku) : "",
		              p->prod->list_price, p->prod->list_price));

		/* 5.1: L and the FX conversion of the product's figures. */
		p->L = p->prod->list_price;
		if (p->prod->currency != in->currency) {
			uint16_t sf = 0, st = 0;
			int rc = b2b__book_fx(b, p->prod->currency, in->currency, in->as_of, &rate, &sf,
			                      &st);

			if (rc == B2B_ECURRENCY)
				return problem(p, B2B__PROBLEM_NO_FX_RATE);
			TRY(arith(p, rc));
			TRY(mul9(p, &p->L, p->prod->list_price, rate));
			if (p->trace)
				TRY(push_step(p, B2B__STEP_FX, b2b__pr_fx_source(p, sf, st),
				              p->prod->list_price, p->L));
		}
		c.set = (p->prod->flags & B2B__P_HAS_COST) != 0;
		c.v = p->prod->cost;
		TRY(convert(p, rate, &c, &c));
		p->has_cost = c.set;
		p->cost = c.v;
		p->rate = rate;

		/* 5.2 – 5.5 */
		if (in->preset != NULL && !p->explain && p->prod->currency == in->currency) {
			/* 5.2 – 5.3 known to the caller (b2b__line_preset) */
			if (p->trace)
				TRY(preset_steps(p, in->preset));
			x = in->preset->x;
			out->protected_ = in->preset->protected_;
			allow_promos = in->preset->allow_promos;
		} else {
			TRY(walk_lists(p, &x));
			TRY(apply_contract(p, &x, &allow_promos));
		}
		/* SPEC §10.3, a call made only when the book has agreements */
		if (b->nagreements != 0) {
			if (in->vol_probe) {
				out->vol_x = x;
				out->vol_res.x = x;
				out->vol_res.allow_promos = allow_promos;
				out->vol_res.L = p->L;
				out->vol_res.has_cost = p->has_cost;
				out->vol_res.cost = p->cost;
				out->vol_res.rate = p->rate;
				out->vol_res.steps_cap = p->steps_cap;
				out->vol_res.cands_cap = p->cands_cap;
				return 0;
			}
			TRY(b2b__pr_apply_volume(p, &x));
		}
	}
	/* calls to other files, made only when the book has rules / promotions */
	if (b->nrules != 0)
		TRY(b2b__pr_apply_rules(p, &x, out->protected_));
	if (b->npromos != 0)
		TRY(b2b__pr_apply_promos(p, &x, allow_promos));

	out->list_price = p->L;
	out->engine_price = x;
	TRY(round_upd(p, &out->list_price_rounded, p->L));
	TRY(round_upd(p, &out->engine_rounded, x));

	/* 5.6 */
	if (in->has_requested) {
		if (out->requested_negative)
			return problem(p, B2B__PROBLEM_NEGATIVE_REQUESTED);
		TRY(push_step(p, B2B__STEP_REQUESTED, "request", x, in->requested));
		x = in->requested;
	}
	if (in->has_requested)
		TRY(round_upd(p, &out->unit_price, x));
	else
		out->unit_price = out->engine_rounded;
	if (p->trace)
		TRY(push_step(p, B2B__STEP_ROUNDING,
		              upd >= 0 && upd <= 9 ? upd_sources[upd] : "unit_price_decimals", x,
		              out->unit_price));
	out->cost.set = p->has_cost;
	out->cost.v = p->cost;
	if (p->has_cost && b->settings.min_margin_percent.set) {
		out->floor.set = 1;
		TRY(pct_adj(p, &out->floor.v, p->cost, b->settings.min_margin_percent.v, 1));
		out->below_floor = dcmp(out->unit_price, out->floor.v) < 0;
	}
	return 0;
}

int
b2b__price_line(b2b__line_out *out, b2b_ctx *ctx, const b2b_book *b, const b2b__line_in *in)
{
	pricer p;
	int rc;

	if (in != NULL && in->vol_resume) {
		out->vol_agreement = B2B__NONE;
		out->vol_tier = -1;
	} else {
		memset(out, 0, sizeof *out);
		out->vol_agreement = B2B__NONE;
		out->vol_tier = -1;
	}
	if (b == NULL || in == NULL || in->product >= b->nproducts || in->customer >= b->ncustomers)
		return b2b__ctx_seterr(ctx, B2B_EINVAL, "b2b__price_line: bad arguments");
	if (b2b__dec_is_neg(in->qty) || b2b__dec_is_zero(in->qty))
		return b2b__ctx_seterr(ctx, B2B_EINVAL, "b2b__price_line: quantity not positive");
	p.ctx = ctx;
	p.b = b;
	p.in = in;
	p.out = out;
	p.prod = &b->products[in->product];
	p.cust = &b->customers[in->customer];
	p.mode = b->settings.rounding;
	p.q = in->qty;
	p.have_base_rate = 0;
	p.base_rate_missing = 0;
	p.trace = in->trace || in->explain;
	p.explain = in->explain;
	p.steps_cap = p.cands_cap = 0;
	if (p.trace && in->step_room != NULL && in->step_room_n > 0 && !in->vol_resume) {
		out->steps = in->step_room;
		p.steps_cap = in->step_room_n;
	}
	p.depth = 0;
	p.nmemo = 0;
	p.nchain = -1;
	p.has_cost = 0;
	p.ext = NULL;
	rc = price_line(&p);
	if (rc == B2B__STOP) {
		int problem_ = out->problem, rn = out->requested_negative, vnr = out->vol_no_rate;
		uint32_t va = out->vol_agreement;
		b2b__step *steps = out->steps;
		b2b__cand *cands = out->cands;
		size_t nsteps = out->nsteps, ncands = out->ncands;

		/* The figures are unset on a problem; the partial trace stays readable. */
		memset(out, 0, sizeof *out);
		out->problem = problem_;
		out->requested_negative = rn;
		out->vol_agreement = va;
		out->vol_tier = -1;
		out->vol_no_rate = vnr;
		out->steps = steps;
		out->nsteps = nsteps;
		out->cands = cands;
		out->ncands = ncands;
		return 0;
	}
	return rc;
}
