/*
 * libb2bcore — the batch API of b2b/price.h: many lines, no trace, no
 * allocation. Each line goes through the same b2b__price_line() as a
 * quote line (with trace off), so a batch price is the quote's price.
 * SPDX-License-Identifier: MIT
 */
#include <string.h>

#include "b2b/price.h"
#include "price_int.h"
#include "dec_int.h"
#include "enum.h"
#include "book_plan.h"
#include "volume.h"

#if defined(__GNUC__) || defined(__clang__)
#  define B2B__HOT_INLINE __attribute__((always_inline)) inline
#else
#  define B2B__HOT_INLINE inline
#endif
/* (fast_lists() and fast_plan() are forced inline in the batch's loop,
 * where `rec` is 0 and what only b2b__plan_preset() needs is not
 * written: it calls them too, which would otherwise keep them out of
 * line, ≈ 60 instructions more per batch line.) */

/* Lines whose records b2b_price_batch() fetches together before pricing them. */
#define B2B__BATCH_GROUP 16

#if defined(__GNUC__) || defined(__clang__)
#  define B2B__PREFETCH(p) __builtin_prefetch((p), 0, 1)
#else
#  define B2B__PREFETCH(p) ((void)(p))
#endif

static const char *const problem_names[] = {
	"OK", "UNKNOWN_CUSTOMER", "UNKNOWN_SKU", "QTY_NOT_POSITIVE", "NO_FX_RATE",
	"NEGATIVE_PRICE", "OVERFLOW"
};
#define NPROBLEMS (sizeof(problem_names) / sizeof(problem_names[0]))

const char *
b2b_batch_problem_name(b2b_batch_problem problem)
{
	return b2b__enum_name(problem_names, NPROBLEMS, (long long)problem);
}

int
b2b_batch_problem_parse(b2b_batch_problem *out, const char *name, size_t len)
{
	int i = 0, rc = b2b__enum_parse(out != NULL ? &i : NULL, problem_names, NPROBLEMS, name,
	                                len);

	if (rc == 0)
		*out = (b2b_batch_problem)i;
	return rc;
}

/*===========================================================================
 * MARK: - The fast path: a line priced from the book's plan (book_plan.h)
 *===========================================================================*/

/*
 * The line's price from the plan, when the plan shows that the general
 * pricer would go this way: no FX, candidate lists whose `sku:` group
 * holds an all_units break with a fixed price (or no group and no other
 * scope), at most one contract naming the product with sku: scopes only,
 * no rule and no promotion reaching the product (or none that can apply
 * after a contract), and a price that rounds on the 64-bit path. When
 * only the last two fail (a rule or a promotion in scope, as the full
 * profile's `LOWSTOCK` rule of scope `all` is for every product), the
 * plan still gives SPEC §5.2–5.3 and b2b__price_line() starts from there
 * (b2b__line_preset): the lists and the contract are not searched again.
 * The figures are the same either way (tests/pricing/check_price.c
 * compares them on books built to hit each branch).
 */
typedef struct fast_ctx {
	const b2b_book *b;
	const b2b__plan *pl;
	int64_t as_of;
	b2b_rounding mode;
	int upd;
} fast_ctx;

static int
fast_counts(const fast_ctx *f, uint32_t l, uint16_t cur)
{
	const b2b__list *li = &f->b->lists[l];

	return li->currency == cur && b2b__window_has(&li->window, f->as_of);
}

/* round_upd() of price.c for 0 ≤ a < 2^64 (the plan's figures); 0 otherwise. */
static int
fast_round(const fast_ctx *f, b2b_dec *out, b2b_dec a)
{
	uint64_t m, q, r;

	if (a.hi != 0 || f->upd < 0 || f->upd >= B2B_DEC_SCALE)
		return 0;
	m = b2b__pow10_u64[B2B_DEC_SCALE - f->upd];
	q = a.lo / m;
	r = a.lo % m;
	if (r == 0) {
		*out = a;
		return 1;
	}
	q += (uint64_t)b2b__round_inc((int)(q & 1u), r, m, 0, f->mode);
	*out = b2b__dec_from_i128((b2b__i128)((b2b__u128)q * m));
	return 1;
}

/*
 * walk_lists() + find_breaks() + tier_price() on the product's cells:
 * 1 with *x (the list price when no list gives one), 0 to go the general way.
 */
static B2B__HOT_INLINE int
fast_lists(const fast_ctx *f, const b2b__pcell *ph, const b2b__pcust *pc, int64_t q,
           uint16_t cur, int64_t *x, int rec, uint32_t *list, uint32_t *item)
{
	const b2b_book *b = f->b;
	uint32_t ncells = (uint32_t)((uint64_t)ph->b >> 32), i;

	*x = ph->a;
	if (rec)
		*list = B2B__NONE;
	for (i = 0; i < pc->n; i++) {
		uint32_t cand = f->pl->clists[pc->off + i], l;
		size_t hops = 0;

		if (!fast_counts(f, cand, cur))
			continue;
		for (l = cand; l != B2B__NONE && hops <= b->nlists; l = b->lists[l].parent, hops++) {
			const b2b__pcell *c = ph + 1, *end = ph + 1 + ncells;
			int64_t top = B2B__PLAN_SLOW;
			uint32_t at = 0;
			int found = 0;

			if (l != cand && !fast_counts(f, l, cur))
				continue;
			while (c < end && (uint32_t)c->a != l)
				c += 1 + (uint32_t)((uint64_t)c->a >> 32);
			if (c < end) {
				uint32_t n = (uint32_t)((uint64_t)c->a >> 32), k;

				for (k = 1; k <= n && c[k].a <= q; k++) {
					if (c[k].b == B2B__PLAN_SLOW)
						return 0;
					top = c[k].b;
					found = 1;
				}
				/* the chosen break: the last one reached, k − 1 */
				if (rec)
					at = (uint32_t)c->b + (k - 2);
			}
			if (found) {
				if (b->lists[l].tier_mode != B2B__TIER_ALL_UNITS)
					return 0;
				*x = top;
				if (rec) {
					*list = l;
					*item = at;
				}
				return 1;
			}
			/* no break in the sku: group: a category: or all group may have one */
			if (f->pl->list_flags[l] & B2B__LF_OTHER_SCOPES)
				return 0;
		}
	}
	return 1;
}

/*
 * SPEC §5.2–5.3 from the plan: the price after the candidate lists and the
 * contract into *pre (x, protected_, allow_promos, exactly as walk_lists()
 * and apply_contract() leave them). s: b2b__plan_contract() of the line
 * (looked up when the customer has contracts). Returns 1, or 0 when the
 * line must go the general way from the start.
 */
static B2B__HOT_INLINE int
fast_plan(const fast_ctx *f, b2b__line_preset *pre, uint32_t cu, uint32_t pr, b2b_dec qty,
          uint16_t cur, const b2b__pslot *s, int rec)
{
	const b2b_book *b = f->b;
	const b2b__plan *pl = f->pl;
	const b2b__pcell *ph = pl->cells + pl->prod_off[pr];
	const b2b__pcust *pc = &pl->cust[cu];
	int64_t pflags = ph->b & 0xffff, lx;
	b2b_dec L, x;

	if (!(pflags & B2B__PF_FAST) || (uint16_t)(ph->b >> 16) != cur ||
	    !(pc->flags & B2B__CF_LISTS) || qty.hi != 0 || qty.lo >= (uint64_t)INT64_MAX)
		return 0;
	/* a discount agreement (SPEC §10) that can reach the line: the general way */
	if (b->nagreements != 0 && b2b__vol_touches(b, cu, pr))
		return 0;
	if (!fast_lists(f, ph, pc, (int64_t)qty.lo, cur, &lx, rec, &pre->list, &pre->list_item))
		return 0;
	L = b2b__dec_from_i128(ph->a);
	x = b2b__dec_from_i128(lx);
	pre->protected_ = 0;
	pre->allow_promos = 1;
	if (rec) {
		pre->x_list = x;
		pre->contract = B2B__NONE;
	}
	if (pc->flags & B2B__CF_CONTRACTS) {
		if (!(pc->flags & B2B__CF_CT_SKU_ONLY))
			return 0;
		if (s != NULL) {
			const b2b__contract *ct;
			const b2b__item *it = NULL;
			uint32_t j;

			if (s->n == B2B__PLAN_MULTI)
				return 0;
			ct = &b->contracts[b->citems[s->off].list];
			if (ct->currency == cur && b2b__window_has(&ct->window, f->as_of)) {
				for (j = 0; j < s->n; j++) {
					const b2b__item *c = &b->citems[s->off + j];

					if (b2b__item_window_has(b, c, f->as_of) &&
					    !b2b__dec_lt(qty, c->min_qty) &&
					    (it == NULL || !b2b__dec_lt(c->min_qty, it->min_qty)))
						it = c;
				}
			}
			if (it != NULL) {
				const b2b__opt *disc = &b2b__book_item_ext(b, it)->discount_percent;
				b2b_dec pcv, fct;

				if (disc->set &&
				    (it->compute == B2B__COMPUTE_DISCOUNT || !it->price_set)) {
					if (b2b_dec_sub(&fct, b2b__dec_from_int(100), disc->v) != 0 ||
					    b2b_dec_percent(&pcv, L, fct, B2B_DEC_SCALE, f->mode) != 0)
						return 0;
				} else {
					pcv = it->price;
				}
				if (b2b__dec_is_neg(pcv) && !b2b__dec_is_zero(pcv))
					return 0;
				if (ct->policy == B2B__POLICY_OVERRIDE || b2b__dec_lt(pcv, x)) {
					x = pcv;
					pre->protected_ = 1;
					pre->allow_promos = ct->allow_promotions;
					if (rec) {
						pre->contract = b->citems[s->off].list;
						pre->contract_item = (uint32_t)(it - b->citems);
					}
				}
			}
		}
	}
	pre->x = x;
	return 1;
}

/* FAST_* results of fast_line(). */
enum {
	FAST_GENERAL = 0,   /* price the line the general way */
	FAST_DONE = 1,      /* *out is the line's price */
	FAST_PRESET = 2     /* *pre holds §5.2–5.3: the general pricer does the rest */
};

/*
 * The line from the plan: FAST_DONE with *out when no rule and no
 * promotion can touch it and the price rounds on the 64-bit path;
 * FAST_PRESET when a rule or a promotion is in scope (the general pricer
 * then starts from *pre); FAST_GENERAL otherwise.
 */
static int
fast_line(const fast_ctx *f, b2b_dec *out, b2b__line_preset *pre, uint32_t cu, uint32_t pr,
          b2b_dec qty, uint16_t cur, const b2b__pslot *s)
{
	const b2b_book *b = f->b;
	const b2b__pcell *ph = f->pl->cells + f->pl->prod_off[pr];
	int64_t pflags = ph->b & 0xffff;

	if (!fast_plan(f, pre, cu, pr, qty, cur, s, 0))
		return FAST_GENERAL;
	if (!pre->protected_ && b->nrules != 0 && !(pflags & B2B__PF_NO_RULE))
		return FAST_PRESET;
	if (pre->allow_promos && b->npromos != 0 && !(pflags & B2B__PF_NO_PROMO))
		return FAST_PRESET;
	/* The general pricer rounds the list price too (list_price_rounded):
	 * with B2B__PF_FAST it is an int64 ≥ 0, which round_upd() rounds on
	 * its 64-bit path whenever fast_round() can round at all, so that
	 * rounding cannot fail where this one succeeds. The engine price may
	 * not fit. */
	if (!fast_round(f, out, pre->x))
		return FAST_PRESET;
	return FAST_DONE;
}

/*
 * One line outside a batch (b2b__batch_fast(), b2b__plan_preset()): the
 * fast path's context and the line's contract slot; 0 when the book has
 * no plan or the line is not one the plan can price.
 */
static int
fast_one(fast_ctx *f, const b2b__pslot **s, const b2b_book *b, uint32_t customer,
         uint32_t product, b2b_dec qty, int64_t as_of)
{
	if (b == NULL || b->plan == NULL || customer >= b->ncustomers ||
	    product >= b->nproducts || b2b_dec_sign(qty) <= 0)
		return 0;
	f->b = b;
	f->pl = b->plan;
	f->as_of = as_of;
	f->mode = b->settings.rounding;
	f->upd = b->settings.unit_price_decimals;
	*s = NULL;
	if (f->pl->cust[customer].flags & B2B__CF_CONTRACTS)
		*s = b2b__plan_contract(f->pl, customer, product);
	return 1;
}

int
b2b__batch_fast(b2b_dec *out, const b2b_book *b, uint32_t customer, uint32_t product,
                b2b_dec qty, uint16_t currency, int64_t as_of)
{
	fast_ctx f;
	b2b__line_preset pre;
	const b2b__pslot *s;

	if (!fast_one(&f, &s, b, customer, product, qty, as_of))
		return 0;
	return fast_line(&f, out, &pre, customer, product, qty, currency, s) == FAST_DONE;
}

int
b2b__plan_preset(b2b__line_preset *pre, const b2b_book *b, uint32_t customer, uint32_t product,
                 b2b_dec qty, uint16_t currency, int64_t as_of)
{
	fast_ctx f;
	const b2b__pslot *s;

	if (!fast_one(&f, &s, b, customer, product, qty, as_of))
		return 0;
	return fast_plan(&f, pre, customer, product, qty, currency, s, 1);
}

static int
batch_problem(int problem)
{
	switch (problem) {
	case B2B__PROBLEM_NONE: return B2B_BATCH_OK;
	case B2B__PROBLEM_NO_FX_RATE: return B2B_BATCH_NO_FX_RATE;
	default: return B2B_BATCH_NEGATIVE_PRICE;
	}
}

/* A line of a group that the general pricer prices (its preset, if any,
 * in the group's pres[] at the same index). */
typedef struct gen_line {
	uint32_t j;          /* index in the group */
	uint16_t cur;
	uint8_t preset;
} gen_line;

/* Contracts per line whose sku: group is fetched by gen_prefetch(). */
#define B2B__GEN_OWNERS 4

/*
 * The index probes of the group's lines that go the general way, fetched
 * together before any of them is priced: for each line without a preset,
 * the items of its product's sku: groups (the plan's runs name them), its
 * extension record (read by dynamic rules) and the slot of the (contract, sku:, product) group of its customer's first
 * contracts, then the item each slot names. These are probes that miss
 * on a large book (one per product and contract; a list's sku: group is
 * read from the plan's cells, which the group's second wave fetched,
 * and the category: and all groups are few and stay in cache). A guess,
 * as quote_prefetch.c's: nothing is decided here.
 */
static void
gen_prefetch(const b2b_book *b, const uint32_t *customers, const uint32_t *products,
             const gen_line *gen, size_t ngen)
{
	const struct b2b__index *ix = b->index;
	uint32_t slot[B2B__BATCH_GROUP][B2B__GEN_OWNERS];
	uint8_t nslot[B2B__BATCH_GROUP];
	size_t k, m;

	if (ix == NULL)
		return;
	for (k = 0; k < ngen; k++) {
		const b2b__customer *c = &b->customers[customers[gen[k].j]];
		uint32_t pr = products[gen[k].j];
		unsigned ns = 0;

		nslot[k] = 0;
		if (gen[k].preset)
			continue;
		if (b->plan != NULL) {
			/* the items of the product's sku: groups (the plan's runs,
			 * fetched by the group's second wave) */
			const b2b__pcell *ph = b->plan->cells + b->plan->prod_off[pr];
			const b2b__pcell *rc = ph + 1, *end = ph + 1 + (uint32_t)((uint64_t)ph->b >> 32);

			while (rc < end) {
				uint32_t n = (uint32_t)((uint64_t)rc->a >> 32), q;

				for (q = 0; q < n && q < 8; q++)
					B2B__PREFETCH(&b->items[(uint32_t)rc->b + q]);
				rc += 1 + n;
			}
		}
		/* the stock and demand figures a dynamic rule reads */
		if (b->nrules != 0 && b->products[pr].ext < b->nproduct_ext)
			B2B__PREFETCH(&b->product_ext[b->products[pr].ext]);
		if (ix->citems.n == 0)
			continue;
		for (m = 0; m < c->contracts_n && ns < B2B__GEN_OWNERS; m++) {
			uint32_t ct = b->u32[c->contracts_off + m];

			if (ct < b->ncontracts && (ix->contract_kinds[ct] & (1u << B2B__SCOPE_SKU))) {
				slot[k][ns] = home(hash_key3(ct, B2B__SCOPE_SKU, pr), ix->citems.n);
				B2B__PREFETCH(&ix->citems.slots[slot[k][ns]]);
				ns++;
			}
		}
		nslot[k] = (uint8_t)ns;
	}
	for (k = 0; k < ngen; k++) {
		for (m = 0; m < nslot[k]; m++) {
			uint32_t v = ix->citems.slots[slot[k][m]];

			if (v < b->ncitems)
				B2B__PREFETCH(&b->citems[v]);
		}
	}
}

int
b2b_price_batch(b2b_dec *unit_prices, int *problems, b2b_ctx *ctx, const b2b_book *book,
                const uint32_t *customers, const uint32_t *products, const b2b_dec *qtys,
                size_t n, const char *currency, b2b_time as_of)
{
	b2b__line_in in;
	b2b__line_out out;
	b2b__price_memo memo;
	uint16_t fixed_cur = UINT16_MAX;
	const b2b__pslot *slot[B2B__BATCH_GROUP];
	fast_ctx fc;
	size_t i, g0;

	if (book == NULL)
		return b2b__ctx_seterr(ctx, B2B_EINVAL, "b2b_price_batch: book is NULL");
	if (n == 0)
		return 0;
	if (unit_prices == NULL || problems == NULL || customers == NULL || products == NULL ||
	    qtys == NULL)
		return b2b__ctx_seterr(ctx, B2B_EINVAL, "b2b_price_batch: an array is NULL");
	if (b2b_time_format(NULL, 0, NULL, as_of) == B2B_EINVAL)
		return b2b__ctx_seterr(ctx, B2B_EINVAL, "b2b_price_batch: as_of is not a valid instant");
	if (currency != NULL) {
		uint32_t k = b2b__book_currency(book, currency, strlen(currency));

		if (k == B2B__NONE || k > UINT16_MAX)
			return b2b__ctx_seterr(ctx, B2B_ENOTFOUND,
			                       "b2b_price_batch: unknown currency '%.16s'", currency);
		fixed_cur = (uint16_t)k;
	}
	memset(&in, 0, sizeof in);
	in.as_of = as_of.sec;
	b2b__price_memo_init(&memo, book);
	in.memo = &memo;
	fc.b = book;
	fc.pl = book->plan;
	fc.as_of = as_of.sec;
	fc.mode = book->settings.rounding;
	fc.upd = book->settings.unit_price_decimals;
	for (g0 = 0; g0 < n; g0 += B2B__BATCH_GROUP) {
		size_t gn = n - g0 < B2B__BATCH_GROUP ? n - g0 : B2B__BATCH_GROUP, j, k, ngen;
		gen_line gen[B2B__BATCH_GROUP];
		b2b__line_preset pres[B2B__BATCH_GROUP];

		/* Group prefetching: the records of a group of lines are fetched
		 * in waves (each wave's loads overlap), before any line is priced. */
		for (j = 0; j < gn; j++) {
			uint32_t cu = customers[g0 + j], pr = products[g0 + j];

			if (cu < book->ncustomers)
				B2B__PREFETCH(&book->customers[cu]);
			if (pr >= book->nproducts)
				continue;
			/* the general pricer's record: for every line without a plan,
			 * and with one when rules or promotions send many lines there */
			if (fc.pl == NULL || book->nrules != 0 || book->npromos != 0)
				B2B__PREFETCH(&book->products[pr]);
			if (fc.pl == NULL)
				continue;
			B2B__PREFETCH(&fc.pl->prod_off[pr]);
			if (cu < book->ncustomers)
				B2B__PREFETCH(&fc.pl->cust[cu]);
			if (fc.pl->nslots != 0)
				B2B__PREFETCH(&fc.pl->slots[b2b__plan_hash(cu, pr) & (fc.pl->nslots - 1)]);
		}
		if (fc.pl != NULL) {
			for (j = 0; j < gn; j++) {
				uint32_t cu = customers[g0 + j], pr = products[g0 + j];
				const b2b__pcell *c;

				slot[j] = NULL;
				if (pr >= book->nproducts || cu >= book->ncustomers)
					continue;
				c = fc.pl->cells + fc.pl->prod_off[pr];
				B2B__PREFETCH(c);
				B2B__PREFETCH((const char *)c + 64);
				B2B__PREFETCH((const char *)c + 128);
				if ((fc.pl->cust[cu].flags & B2B__CF_CONTRACTS) &&
				    (slot[j] = b2b__plan_contract(fc.pl, cu, pr)) != NULL &&
				    slot[j]->n != B2B__PLAN_MULTI) {
					B2B__PREFETCH(&book->citems[slot[j]->off]);
					B2B__PREFETCH((const char *)&book->citems[slot[j]->off] + 64);
				}
			}
		}
		/* The lines the plan prices; the others are kept for the general
		 * pricer (gen[], with their preset when they have one). */
		ngen = 0;
		for (j = 0; j < gn; j++) {
			const b2b__customer *c;
			uint16_t cur;

			i = g0 + j;
			unit_prices[i] = b2b__dec_from_int(0);
			if (customers[i] >= book->ncustomers) {
				problems[i] = B2B_BATCH_UNKNOWN_CUSTOMER;
				continue;
			}
			if (products[i] >= book->nproducts) {
				problems[i] = B2B_BATCH_UNKNOWN_SKU;
				continue;
			}
			if (b2b_dec_sign(qtys[i]) <= 0) {
				problems[i] = B2B_BATCH_QTY_NOT_POSITIVE;
				continue;
			}
			c = &book->customers[customers[i]];
			if (fixed_cur != UINT16_MAX)
				cur = fixed_cur;
			else if (c->currency != UINT16_MAX)
				cur = c->currency;
			else
				cur = book->settings.base_currency;
			gen[ngen].j = (uint32_t)j;
			gen[ngen].cur = cur;
			gen[ngen].preset = 0;
			if (fc.pl != NULL) {
				int fr = fast_line(&fc, &unit_prices[i], &pres[ngen], customers[i],
				                   products[i], qtys[i], cur, slot[j]);

				if (fr == FAST_DONE) {
					problems[i] = B2B_BATCH_OK;
					continue;
				}
				gen[ngen].preset = fr == FAST_PRESET;
			}
			ngen++;
		}
		if (ngen > 1)
			gen_prefetch(book, customers + g0, products + g0, gen, ngen);
		for (k = 0; k < ngen; k++) {
			const b2b__customer *c;
			int rc;

			i = g0 + gen[k].j;
			c = &book->customers[customers[i]];
			in.preset = gen[k].preset ? &pres[k] : NULL;
			in.customer = customers[i];
			in.product = products[i];
			in.qty = qtys[i];
			in.currency = gen[k].cur;
			if (c->channel != 0) {
				in.channel = b2b__s(book, c->channel);
				in.channel_len = strlen(in.channel);
			} else {
				in.channel = NULL;
				in.channel_len = 0;
			}
			rc = b2b__price_line(&out, ctx, book, &in);
			if (rc == B2B_EOVERFLOW) {
				problems[i] = B2B_BATCH_OVERFLOW;
				continue;
			}
			if (rc < 0)
				return rc;
			problems[i] = batch_problem(out.problem);
			if (out.problem == B2B__PROBLEM_NONE)
				unit_prices[i] = out.unit_price;
		}
	}
	return 0;
}
