/*
 * libb2bcore — the line pricer (pricer.h): what one price list gives a
 * line (SPEC §5.2). The list's most specific scope group with a break; the
 * price of its tier mode (all_units, incremental, block) and of an item
 * (fixed, discount, formula); bases (cost, parent, list_id) evaluated
 * along a list's chain of parents, once per line. Which lists are tried,
 * and in which order, is in price.c.
 * SPDX-License-Identifier: MIT
 */
#include "pricer.h"
#include "price_wide.h"

/*
 * The break of a group for this line: the matching item with the highest
 * min_qty ≤ Q (the all_units / block break), or NULL when the group has
 * no break. A group's items are sorted by min_qty, then valid_from, so
 * the scan stops at the first item beyond Q.
 */
static const b2b__item *
group_top_break(pricer *p, const b2b__item *items, b2b__range grp)
{
	const b2b__item *top = NULL;
	size_t k;

	for (k = 0; k < grp.n; k++) {
		const b2b__item *it = &items[grp.off + k];

		if (!qty_reaches(p, it))
			break;
		if (item_matches(p, it))
			top = it;
	}
	return top;
}

/*
 * The chosen scope of list l for this line: the first (most specific)
 * group with a break (a matching item of min_qty ≤ Q). Returns 1 with
 * *grp and *top (its highest break), or 0.
 *
 * Hot path: the most specific group alone is looked up first (one index
 * probe); it is nearly always the answer when it exists, and only when it
 * holds no break are the less specific groups looked up (one probe per
 * category level and `all`).
 */
int
b2b__pr_find_breaks(pricer *p, uint32_t l, b2b__range *grp, const b2b__item **top)
{
	b2b__range groups[B2B__PRICE_MAX_GROUPS];
	size_t ng, g;

	if (b2b__book_items(p->b, l, p->in->product, groups, 1) == 0)
		return 0;
	if ((*top = group_top_break(p, p->b->items, groups[0])) != NULL) {
		*grp = groups[0];
		return 1;
	}
	ng = b2b__book_items(p->b, l, p->in->product, groups, B2B__PRICE_MAX_GROUPS);
	if (ng > B2B__PRICE_MAX_GROUPS)
		ng = B2B__PRICE_MAX_GROUPS;
	for (g = 1; g < ng; g++) {
		if ((*top = group_top_break(p, p->b->items, groups[g])) != NULL) {
			*grp = groups[g];
			return 1;
		}
	}
	return 0;
}

static int chain_price(pricer *p, uint32_t start, b2b_dec *out);

static int
base_value(pricer *p, const b2b__item *it, b2b_dec *out)
{
	switch (it->base) {
	case B2B__BASE_COST:
		*out = p->cost;
		return 0;
	case B2B__BASE_PARENT:
		return chain_price(p, p->b->lists[it->list].parent, out);
	case B2B__BASE_LIST_ID:
		return chain_price(p, it->base_list, out);
	default:
		*out = p->L;
		return 0;
	}
}

/*
 * An item's unit price (SPEC §5.2): fixed, discount, or formula in the
 * order Odoo computes it. A negative result is NEGATIVE_PRICE (§9.6).
 */
static int
item_price(pricer *p, const b2b__item *it, b2b_dec *out)
{
	b2b_dec x, base;

	if (it->compute == B2B__COMPUTE_FIXED) {
		x = it->price;
	} else {
		const b2b__item_ext *e = b2b__book_item_ext(p->b, it);

		TRY(base_value(p, it, &base));
		x = base;
		if (e->discount_percent.set)
			TRY(pct_adj(p, &x, base, e->discount_percent.v, -1));
		if (it->compute == B2B__COMPUTE_FORMULA) {
			b2b_dec m;

			if (e->round_to.set)
				TRY(arith(p, b2b_dec_round_multiple(&x, x, e->round_to.v, p->mode)));
			if (e->surcharge.set)
				TRY(arith(p, b2b_dec_add(&x, x, e->surcharge.v)));
			if (e->min_margin.set) {
				TRY(arith(p, b2b_dec_add(&m, base, e->min_margin.v)));
				if (dcmp(x, m) < 0)
					x = m;
			}
			if (e->max_margin.set) {
				TRY(arith(p, b2b_dec_add(&m, base, e->max_margin.v)));
				if (dcmp(x, m) > 0)
					x = m;
			}
		}
	}
	if (is_neg(x))
		return problem(p, B2B__PROBLEM_NEGATIVE_PRICE);
	*out = x;
	return 0;
}

/*
 * The unit price list l gives from its chosen group (SPEC §5.2 tier
 * modes). *chosen receives the break of all_units / block (NULL for
 * incremental).
 */
int
b2b__pr_tier_price(pricer *p, uint32_t l, b2b__range grp, const b2b__item *top, b2b_dec *out,
           const b2b__item **chosen)
{
	const b2b__list *li = &p->b->lists[l];
	b2b_dec price;

	*chosen = NULL;
	if (li->tier_mode == B2B__TIER_INCREMENTAL) {
		b2b__wide acc;
		const b2b__item *prev = NULL;
		b2b_dec lo = b2b__dec_from_int(0);
		size_t k;

		memset(&acc, 0, sizeof acc);
		/* Streamed: break i is settled when break i+1 (its upper bound) is met. */
		for (k = 0; k <= grp.n; k++) {
			const b2b__item *it = NULL;
			b2b_dec hi, units;

			if (k < grp.n) {
				it = &p->b->items[grp.off + k];
				if (!item_matches(p, it))
					continue;
			}
			if (prev != NULL) {
				hi = p->q;
				if (it != NULL && dcmp(it->min_qty, p->q) < 0)
					hi = it->min_qty;
				TRY(arith(p, b2b_dec_sub(&units, hi, lo)));
				if (b2b_dec_sign(units) > 0) {
					TRY(item_price(p, prev, &price));
					TRY(arith(p, b2b__wide_add_prod(&acc, price, units)));
				}
				if (it == NULL || !incr_used(p, it, 0))
					break;
				lo = it->min_qty;
			}
			prev = it;
		}
		return arith(p, b2b__wide_div(out, &acc, p->q, p->mode));
	}
	*chosen = top;
	if (top == NULL)
		return arith(p, B2B_ERROR);
	TRY(item_price(p, *chosen, &price));
	if (li->tier_mode == B2B__TIER_BLOCK)
		return div9(p, out, price, p->q);
	*out = price;
	return 0;
}

/*
 * The price the chain starting at list `start` gives this line (the list,
 * then its parents; lists that do not count are passed over), or L.
 */
static int
chain_price(pricer *p, uint32_t start, b2b_dec *out)
{
	const b2b__item *chosen, *top;
	uint32_t l;
	size_t i, hops = 0;
	b2b__range grp;
	const char *why;
	int rc = 0, found = 0;

	if (start == B2B__NONE) {
		*out = p->L;
		return 0;
	}
	for (i = 0; i < p->nmemo; i++) {
		if (p->memo[i].list == start) {
			*out = p->memo[i].price;
			return 0;
		}
	}
	if (p->depth >= B2B__PRICE_MAX_DEPTH)
		return b2b__ctx_seterr(p->ctx, B2B_EOVERFLOW,
		                       "pricing sku %s: price list bases nest deeper than %d",
		                       b2b__s(p->b, p->prod->sku), B2B__PRICE_MAX_DEPTH);
	p->depth++;
	for (l = start; l != B2B__NONE && hops <= p->b->nlists; l = p->b->lists[l].parent, hops++) {
		if (!list_counts(p, l, &why))
			continue;
		if (b2b__pr_find_breaks(p, l, &grp, &top)) {
			rc = b2b__pr_tier_price(p, l, grp, top, out, &chosen);
			found = 1;
			break;
		}
	}
	p->depth--;
	if (rc != 0)
		return rc;
	if (!found)
		*out = p->L;
	if (p->nmemo < B2B__PRICE_MEMO) {
		p->memo[p->nmemo].list = start;
		p->memo[p->nmemo].price = *out;
		p->nmemo++;
	}
	return 0;
}
