/*
 * libb2bcore — the line pricer's state and helpers, shared by the files
 * of the pricer: price.c (the line, the candidate price lists of SPEC
 * §5.2, the contract of §5.3), price_lists.c (what one price list gives),
 * price_rules.c (§5.4), price_promos.c (§5.5) and price_explain.c (the
 * waterfall and the candidates).
 *
 * Private to those files. The helpers keep the short names they had when
 * the pricer was one file and are static inline, so every step still
 * inlines them; a function one file calls in another is b2b__pr_*. The
 * waterfall and candidate calls (push_step, push_cand, cand_key) are
 * inline checks of in->trace / in->explain around price_explain.c, so a
 * line priced without them pays a test, not a call.
 * SPDX-License-Identifier: MIT
 */
#ifndef B2B_SRC_PRICER_H
#define B2B_SRC_PRICER_H

#include <string.h>

#include "price_int.h"
#include "dec_int.h"

/* Deepest nesting of base=parent / base=list_id evaluations. */
#define B2B__PRICE_MAX_DEPTH 64
/* Memoised list-chain prices per line. */
#define B2B__PRICE_MEMO 32
/* Scope groups b2b__book_items() may return: sku, 255 category levels, all. */
#define B2B__PRICE_MAX_GROUPS 258
/* Rule / promotion indexes kept on the stack; more falls back to a scan. */
#define B2B__PRICE_MAX_MATCH 256
/* Books with at most this many rules (promotions) are scanned, not looked up. */
#define B2B__PRICE_SCAN_MAX 16
/* The category depth up to which a line keeps its product's path (pricer.chain). */
#define B2B__PR_CHAIN 15

/* A pricing problem was recorded in out->problem: stop pricing the line. */
#define B2B__STOP 1

#define TRY(expr) do { int try_rc_ = (expr); if (try_rc_ != 0) return try_rc_; } while (0)

static const char R_OUT_OF_WINDOW[] = "out_of_window";
static const char R_OTHER_CURRENCY[] = "other_currency";
static const char R_NO_ITEM[] = "no_item";
static const char R_NO_DATA[] = "no_data";
static const char R_MIN_QTY[] = "min_qty_not_reached";
static const char R_LESS_SPECIFIC[] = "less_specific";
static const char R_LOWER_PRIORITY[] = "lower_priority";
static const char R_LOWER_BREAK[] = "lower_break";
static const char R_NO_UNITS[] = "no_units";
static const char R_NOT_LOWER[] = "not_lower";
static const char R_PROTECTED[] = "protected";
static const char R_OTHER_SEGMENT[] = "other_segment";
static const char R_EXCLUSIVE[] = "exclusive_blocked";
static const char R_DID_NOT_LOWER[] = "did_not_lower";
static const char R_BELOW_FIRST_TIER[] = "below_first_tier";

/*===========================================================================
 * MARK: - The pricer's state
 *===========================================================================*/

typedef struct memo_ent {
	uint32_t list;
	b2b_dec price;
} memo_ent;

typedef struct pricer {
	b2b_ctx *ctx;
	const b2b_book *b;
	const b2b__line_in *in;
	b2b__line_out *out;
	const b2b__product *prod;
	const b2b__customer *cust;
	b2b_rounding mode;
	b2b_dec q;
	b2b_dec L;               /* list price in K, r9 */
	int has_cost;
	b2b_dec cost;            /* in K */
	b2b_dec rate;            /* product currency → K (1 when the same) */
	const b2b__product_ext *ext; /* loaded on first need (rules only): NULL before */
	b2b__opt competitor, prev; /* in K; valid once ext is loaded */
	int have_base_rate;      /* base → K rate looked up (for promotion values) */
	int base_rate_missing;
	b2b_dec base_rate;
	int trace, explain;
	size_t steps_cap, cands_cap;
	int depth;
	size_t nmemo;
	memo_ent memo[B2B__PRICE_MEMO];
	/* the product's category path, for scope_matches(): chain[d] is its
	 * ancestor at depth d (1 = top level, chain[nchain] its own node);
	 * nchain -1 until first needed, B2B__PR_CHAIN + 1 when deeper */
	int nchain;
	uint32_t chain[B2B__PR_CHAIN + 1];
} pricer;

/*
 * b2b__scope_matches() of the line's product, with its category path read
 * once per line instead of climbed for every category scope of every
 * rule and promotion (the same answer: a category scope of node s at
 * depth d matches when the product's ancestor at depth d is s).
 */
static inline int
scope_matches(pricer *p, const b2b__scope *s)
{
	const b2b_book *b = p->b;
	uint32_t d;

	switch (s->kind) {
	case B2B__SCOPE_ALL:
		return 1;
	case B2B__SCOPE_SKU:
		return s->id == p->in->product;
	case B2B__SCOPE_CATEGORY:
		if (p->nchain < 0) {
			uint32_t node = p->prod->category;

			p->nchain = 0;
			if (node != B2B__NONE && node < b->ncategories) {
				d = b->categories[node].depth;
				if (d == 0 || d > B2B__PR_CHAIN) {
					p->nchain = B2B__PR_CHAIN + 1;
				} else {
					p->nchain = (int)d;
					while (node != B2B__NONE && d > 0 &&
					       b->categories[node].depth == d) {
						p->chain[d--] = node;
						node = b->categories[node].parent;
					}
					if (d != 0 || node != B2B__NONE)
						p->nchain = B2B__PR_CHAIN + 1;   /* not a plain path */
				}
			}
		}
		if (p->nchain > B2B__PR_CHAIN || s->id >= b->ncategories)
			return b2b__scope_matches(b, s, p->in->product);
		d = b->categories[s->id].depth;
		return d >= 1 && d <= (uint32_t)p->nchain && p->chain[d] == s->id;
	default:
		return 0;
	}
}

static inline int
problem(pricer *p, int code)
{
	p->out->problem = code;
	return B2B__STOP;
}

static inline int
arith(pricer *p, int rc)
{
	if (rc >= 0)
		return rc;
	return b2b__ctx_seterr(p->ctx, rc, "pricing sku %s: arithmetic out of range (%s)",
	                       b2b__s(p->b, p->prod->sku), b2b_strerror(rc));
}

static inline int
nomem(pricer *p)
{
	return b2b__ctx_seterr(p->ctx, B2B_ENOMEM, "pricing sku %s: out of memory",
	                       b2b__s(p->b, p->prod->sku));
}

/*
 * The r9 steps below take the 64-bit fast paths of dec_int.h when the
 * operands fit (the usual prices, factors and percentages) and the exact
 * b2b_dec_* routines otherwise: same values, same statuses.
 */

/* r9(a × (100 + sign·delta) ÷ 100), i.e. r9(a × (1 ± delta ÷ 100)). */
static inline int
pct_adj(pricer *p, b2b_dec *out, b2b_dec a, b2b_dec delta, int sign)
{
	b2b_dec f, hundred = b2b__dec_from_int(100);
	int rc;

	rc = sign < 0 ? b2b__dec_sub(&f, hundred, delta) : b2b__dec_add(&f, hundred, delta);
	if (rc == 0)
		rc = b2b__dec_percent9_fast(out, a, f, p->mode);
	return arith(p, rc);
}

static inline int
mul9(pricer *p, b2b_dec *out, b2b_dec a, b2b_dec x)
{
	return arith(p, b2b__dec_mul9_fast(out, a, x, p->mode));
}

static inline int
div9(pricer *p, b2b_dec *out, b2b_dec a, b2b_dec x)
{
	return arith(p, b2b__dec_div9_fast(out, a, x, p->mode));
}

/* b2b_dec_cmp(), inline: −1, 0 or 1 as a <, =, > b. */
static inline int
dcmp(b2b_dec a, b2b_dec b)
{
	b2b__i128 x = b2b__dec_to_i128(a), y = b2b__dec_to_i128(b);

	return (x > y) - (x < y);
}

static inline int
is_neg(b2b_dec a)
{
	return b2b__dec_is_neg(a) && !b2b__dec_is_zero(a);
}

static inline int
convert(pricer *p, b2b_dec rate, const b2b__opt *src, b2b__opt *dst)
{
	dst->set = src->set;
	dst->v = src->v;
	if (src->set && p->prod->currency != p->in->currency)
		return mul9(p, &dst->v, src->v, rate);
	return 0;
}

/*===========================================================================
 * MARK: - Steps (SPEC §5.2 – §5.5), file by file
 *===========================================================================*/

/* ---- price lists: which (price.c), and what one gives (price_lists.c) ---- */

/* An item "matches" (SPEC §5.2): valid at T, and base=cost needs a cost. */
static inline int
item_matches(pricer *p, const b2b__item *it)
{
	if (!b2b__item_window_has(p->b, it, p->in->as_of))
		return 0;
	if (it->base == B2B__BASE_COST && !p->has_cost)
		return 0;
	return 1;
}

static inline int
qty_reaches(pricer *p, const b2b__item *it)
{
	return !b2b__dec_lt(p->q, it->min_qty);
}

/* An incremental break holds units when it is the lowest or min_qty < Q. */
static inline int
incr_used(pricer *p, const b2b__item *it, int first)
{
	return first || dcmp(it->min_qty, p->q) < 0;
}

/* Does list l count for this line (currency, window)? Else *why says why not. */
static inline int
list_counts(pricer *p, uint32_t l, const char **why)
{
	const b2b__list *li = &p->b->lists[l];

	if (li->currency != p->in->currency) {
		*why = R_OTHER_CURRENCY;
		return 0;
	}
	if (!b2b__window_has(&li->window, p->in->as_of)) {
		*why = R_OUT_OF_WINDOW;
		return 0;
	}
	*why = "";
	return 1;
}

/* The chosen scope of list l for this line: 1 with *grp and *top (its
 * highest break), or 0 when no group of the list has a break. */
int b2b__pr_find_breaks(pricer *p, uint32_t l, b2b__range *grp, const b2b__item **top);
/* The unit price list l gives from its chosen group (its tier mode);
 * *chosen receives the break of all_units / block (NULL for incremental). */
int b2b__pr_tier_price(pricer *p, uint32_t l, b2b__range grp, const b2b__item *top,
                       b2b_dec *out, const b2b__item **chosen);

/* ---- contracts (price.c) ---- */

typedef struct cpick {
	uint32_t contract;   /* B2B__NONE when none */
	const b2b__item *item;
	int rank;
	b2b__range grp;
} cpick;

static inline int
contract_counts(pricer *p, const b2b__contract *ct, const char **why)
{
	if (ct->currency != p->in->currency) {
		*why = R_OTHER_CURRENCY;
		return 0;
	}
	if (!b2b__window_has(&ct->window, p->in->as_of)) {
		*why = R_OUT_OF_WINDOW;
		return 0;
	}
	return 1;
}

/* ---- price_rules.c ---- */

/* SPEC §5.4: every dynamic rule whose scope matches S, in order. */
int b2b__pr_apply_rules(pricer *p, b2b_dec *x, int protected_);

/* ---- price_promos.c ---- */

/* SPEC §5.5: the line promotions this request can use, then the cap. */
int b2b__pr_apply_promos(pricer *p, b2b_dec *x, int allowed);

/* ---- price_volume.c ---- */

/* SPEC §10.3: the discount agreement of the line and its `volume` step. */
int b2b__pr_apply_volume(pricer *p, b2b_dec *x);

/* ---- price_explain.c: only with in->trace / in->explain ---- */

/* Append a step / a candidate (the source NULL: out of memory). */
int b2b__pr_push_step(pricer *p, int step, const char *source, b2b_dec before, b2b_dec after);
int b2b__pr_push_cand(pricer *p, int step, const char *source, int applied, const char *reason);
/* A passed candidate named "<prefix>:<id>". */
int b2b__pr_cand_key(pricer *p, int step, const char *prefix, b2b__str id, const char *why);
/* Sources, in the arena (NULL when out of memory): "<prefix>:<id>",
 * "<prefix>:<owner>/<scope>/min_qty:<n>[/from:<date>]", "fx:<from>/<to>",
 * and the `price_list` step's source for the chosen group of list l. */
const char *b2b__pr_src_key(pricer *p, const char *prefix, b2b__str id);
const char *b2b__pr_src_item(pricer *p, const char *prefix, b2b__str owner,
                             const b2b__item *it);
const char *b2b__pr_fx_source(pricer *p, uint16_t from, uint16_t to);
/* "volume:<id>/tier:<threshold as written>" */
const char *b2b__pr_src_volume(pricer *p, b2b__str id, b2b__str threshold_text);
const char *b2b__pr_list_source(pricer *p, uint32_t l, b2b__range grp,
                                const b2b__item *chosen);
/* The candidates of list l's items, and of C's contracts. */
int b2b__pr_explain_list(pricer *p, uint32_t l, const b2b__range *grp,
                         const b2b__item *chosen, const char *applied_src);
int b2b__pr_explain_contracts(pricer *p, const cpick *win, const char *win_src, int taken);

static inline int
push_step(pricer *p, int step, const char *source, b2b_dec before, b2b_dec after)
{
	return p->trace ? b2b__pr_push_step(p, step, source, before, after) : 0;
}

/* The record (book table index) of the step just pushed, for the hints. */
static inline void
step_rec(pricer *p, uint32_t rec)
{
	if (p->trace && p->out->nsteps > 0)
		p->out->steps[p->out->nsteps - 1].rec = rec;
}

static inline int
push_cand(pricer *p, int step, const char *source, int applied, const char *reason)
{
	return p->explain ? b2b__pr_push_cand(p, step, source, applied, reason) : 0;
}

/* A passed candidate named "<prefix>:<id>" (nothing is built without explain). */
static inline int
cand_key(pricer *p, int step, const char *prefix, b2b__str id, const char *why)
{
	return p->explain ? b2b__pr_cand_key(p, step, prefix, id, why) : 0;
}

#endif
