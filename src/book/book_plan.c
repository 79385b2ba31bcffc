/*
 * libb2bcore — the batch plan of book_plan.h, built at the end of the
 * freeze from the frozen arrays and the indexes. Every summary here
 * mirrors a decision of the line pricer (src/pricing/price.c), so the
 * comments name the function each one stands for.
 * SPDX-License-Identifier: MIT
 */
#include <string.h>

#include "book_plan.h"
#include "dec_int.h"

/* Scans of rules / promotions per product up to this many; more use the index. */
#define PLAN_SCAN_MAX 16
/* Rules / promotions of one product read from the index at most. */
#define PLAN_MATCH_MAX 256

static int
same_group(const b2b__item *x, const b2b__item *y)
{
	return x->list == y->list && x->scope.kind == y->scope.kind && x->scope.id == y->scope.id;
}

/* A non-negative coefficient that fits int64 (the plan's figures). */
static int
fits_i64(b2b_dec d, int64_t *out)
{
	if (d.hi != 0 || d.lo > (uint64_t)INT64_MAX)
		return 0;
	*out = (int64_t)d.lo;
	return 1;
}

/* The item cell of book_plan.h: what group_top_break() and item_price() need. */
static b2b__pcell
item_cell(const b2b_book *b, const b2b__item *it)
{
	const b2b__window *w = &b2b__book_item_ext(b, it)->window;
	b2b__pcell c;
	int64_t v;

	if (!fits_i64(it->min_qty, &c.a))
		/* beyond any quantity the fast path prices; a negative min_qty
		 * (reached by every quantity) sends the line the general way */
		c.a = b2b__dec_is_neg(it->min_qty) ? INT64_MIN : INT64_MAX;
	c.b = B2B__PLAN_SLOW;
	if (c.a != INT64_MAX && it->compute == B2B__COMPUTE_FIXED && it->price_set &&
	    it->base != B2B__BASE_COST && w->from == B2B__T_MIN &&
	    w->until == B2B__T_MAX && fits_i64(it->price, &v) && v != INT64_MIN)
		c.b = v;
	return c;
}

/* Does any automatic line promotion / any rule reach product p? (apply_promos, apply_rules) */
static int
promo_reaches(const b2b_book *b, uint32_t p, uint32_t *buf)
{
	size_t n, k;

	if (b->npromos <= PLAN_SCAN_MAX) {
		for (k = 0; k < b->npromos; k++)
			if (b->promos[k].kind <= B2B__PROMO_BUY_X_GET_Y && b->promos[k].code == 0 &&
			    b2b__scope_matches(b, &b->promos[k].scope, p))
				return 1;
		return 0;
	}
	n = b2b__book_promos_for(b, p, buf, PLAN_MATCH_MAX);
	if (n > PLAN_MATCH_MAX)
		return 1;
	for (k = 0; k < n; k++)
		if (b->promos[buf[k]].code == 0)
			return 1;
	return 0;
}

static int
rule_reaches(const b2b_book *b, uint32_t p, uint32_t *buf)
{
	size_t k;

	if (b->nrules <= PLAN_SCAN_MAX) {
		for (k = 0; k < b->nrules; k++)
			if (b2b__scope_matches(b, &b->rules[k].scope, p))
				return 1;
		return 0;
	}
	return b2b__book_rules_for(b, p, buf, PLAN_MATCH_MAX) != 0;
}

/* The product header: list price, currency, flags (price_line()'s §5.1 and floor). */
static b2b__pcell
product_cell(const b2b_book *b, uint32_t p, uint32_t *buf)
{
	const b2b__product *pr = &b->products[p];
	b2b__pcell c;
	int64_t flags = 0;

	c.a = 0;
	if (fits_i64(pr->list_price, &c.a)) {
		flags = B2B__PF_FAST;
		/* the floor of price_line(): computed there on every line, so a
		 * product whose floor overflows must go the general way */
		if ((pr->flags & B2B__P_HAS_COST) && b->settings.min_margin_percent.set) {
			b2b_dec f, fl;

			if (b2b_dec_add(&f, b2b__dec_from_int(100), b->settings.min_margin_percent.v) != 0 ||
			    b2b_dec_percent(&fl, pr->cost, f, B2B_DEC_SCALE, b->settings.rounding) != 0)
				flags = 0;
		}
	}
	if (b->nrules == 0 || !rule_reaches(b, p, buf))
		flags |= B2B__PF_NO_RULE;
	if (b->npromos == 0 || !promo_reaches(b, p, buf))
		flags |= B2B__PF_NO_PROMO;
	c.b = flags | (int64_t)pr->currency << 16;
	return c;
}

/* Has list l been a candidate before group g? (seen_before() of price.c) */
static int
applies_matches(const b2b_book *b, const b2b__customer *c, const b2b__applies *a)
{
	const char *v = b2b__s(b, a->value);

	switch (a->kind) {
	case B2B__APPLY_CUSTOMER:
		return strcmp(v, b2b__s(b, c->id)) == 0;
	case B2B__APPLY_SEGMENT:
		return c->segment != 0 && strcmp(v, b2b__s(b, c->segment)) == 0;
	case B2B__APPLY_CHANNEL:
		return c->channel != 0 && strcmp(v, b2b__s(b, c->channel)) == 0;
	default:
		return 1;
	}
}

static int
group_of(int kind)
{
	switch (kind) {
	case B2B__APPLY_CUSTOMER: return 1;
	case B2B__APPLY_SEGMENT: return 2;
	case B2B__APPLY_CHANNEL: return 3;
	default: return 4;
	}
}

static int
seen_before(const b2b_book *b, const b2b__customer *c, uint32_t l, int g)
{
	const b2b__list *li = &b->lists[l];
	uint32_t i;

	if (g == 0)
		return 0;
	for (i = 0; i < c->lists_n; i++)
		if (b->u32[c->lists_off + i] == l)
			return 1;
	for (i = 0; i < li->applies_n; i++) {
		const b2b__applies *a = &b->applies[li->applies_off + i];

		if (group_of(a->kind) < g && applies_matches(b, c, a))
			return 1;
	}
	return 0;
}

/*
 * The candidate lists of customer c in walk_lists() order (the customer's
 * own channel), into out (NULL: count only). Returns how many.
 */
static size_t
customer_lists(const b2b_book *b, const b2b__customer *c, uint32_t *out)
{
	size_t n = 0;
	int g;

	for (g = 0; g < 5; g++) {
		const uint32_t *ids = NULL;
		b2b__range r = { 0, 0 };
		size_t i, cnt = 0;
		const char *v;

		switch (g) {
		case 0:
			ids = c->lists_n != 0 ? b->u32 + c->lists_off : NULL;
			cnt = c->lists_n;
			break;
		case 1:
			v = b2b__s(b, c->id);
			r = b2b__book_lists_applying(b, B2B__APPLY_CUSTOMER, v, strlen(v));
			break;
		case 2:
			if (c->segment != 0) {
				v = b2b__s(b, c->segment);
				r = b2b__book_lists_applying(b, B2B__APPLY_SEGMENT, v, strlen(v));
			}
			break;
		case 3:
			if (c->channel != 0) {
				v = b2b__s(b, c->channel);
				r = b2b__book_lists_applying(b, B2B__APPLY_CHANNEL, v, strlen(v));
			}
			break;
		default:
			r = b2b__book_lists_applying(b, B2B__APPLY_DEFAULT, "", 0);
			break;
		}
		if (g > 0) {
			ids = r.n != 0 ? b->u32 + r.off : NULL;
			cnt = r.n;
		}
		for (i = 0; i < cnt; i++) {
			uint32_t l = ids[i];

			if (l >= b->nlists || (g > 0 && i > 0 && ids[i - 1] == l) ||
			    seen_before(b, c, l, g))
				continue;
			if (out != NULL)
				out[n] = l;
			n++;
		}
	}
	return n;
}

/* ---- the parts ---- */

static int
build_lists(b2b_book *b, b2b__plan *pl)
{
	size_t i;

	if (b->nlists == 0)
		return 0;
	pl->list_flags = b2b__calloc(&b->alloc, b->nlists, 1);
	if (pl->list_flags == NULL)
		return B2B_ENOMEM;
	for (i = 0; i < b->nitems; i++)
		if (b->items[i].scope.kind != B2B__SCOPE_SKU && b->items[i].list < b->nlists)
			pl->list_flags[b->items[i].list] |= B2B__LF_OTHER_SCOPES;
	return 0;
}

/* 1 when the products' cells fit 32-bit offsets, 0 when not; < 0 on error. */
static int
build_products(b2b_book *b, b2b__plan *pl)
{
	uint32_t buf[PLAN_MATCH_MAX];
	size_t np = b->nproducts, i, p, total = 0;
	uint32_t *at;

	pl->prod_off = b2b__calloc(&b->alloc, np + 1, sizeof *pl->prod_off);
	if (pl->prod_off == NULL)
		return B2B_ENOMEM;
	/* count: one header per product, a run header and n cells per sku group */
	for (i = 0; i < b->nitems; i++) {
		const b2b__item *it = &b->items[i];

		if (it->scope.kind == B2B__SCOPE_SKU && it->scope.id < np)
			pl->prod_off[it->scope.id] +=
				1u + (i == 0 || !same_group(&b->items[i - 1], it) ? 1u : 0u);
	}
	for (p = 0; p < np; p++) {
		size_t c = pl->prod_off[p] + 1u;

		pl->prod_off[p] = (uint32_t)total;
		total += c;
		if (total > UINT32_MAX)
			return 0;
	}
	pl->prod_off[np] = (uint32_t)total;
	pl->ncells = total;
	pl->cells = b2b__malloc(&b->alloc, total * sizeof *pl->cells);
	at = b2b__malloc(&b->alloc, (np ? np : 1) * sizeof *at);
	if (pl->cells == NULL || at == NULL) {
		b2b__free(&b->alloc, at, (np ? np : 1) * sizeof *at);
		return B2B_ENOMEM;
	}
	for (p = 0; p < np; p++) {
		b2b__pcell *h = &pl->cells[pl->prod_off[p]];

		*h = product_cell(b, (uint32_t)p, buf);
		h->b = (int64_t)((uint64_t)h->b |
		                 (uint64_t)(pl->prod_off[p + 1] - pl->prod_off[p] - 1u) << 32);
		at[p] = pl->prod_off[p] + 1u;
	}
	for (i = 0; i < b->nitems; ) {
		const b2b__item *it = &b->items[i];
		size_t j = i + 1, k;

		while (j < b->nitems && same_group(it, &b->items[j]))
			j++;
		if (it->scope.kind == B2B__SCOPE_SKU && it->scope.id < np) {
			b2b__pcell *c = &pl->cells[at[it->scope.id]];

			c->a = (int64_t)((uint64_t)it->list | (uint64_t)(j - i) << 32);
			c->b = (int64_t)i;
			for (k = i; k < j; k++)
				c[1 + k - i] = item_cell(b, &b->items[k]);
			at[it->scope.id] += (uint32_t)(1 + j - i);
		}
		i = j;
	}
	b2b__free(&b->alloc, at, (np ? np : 1) * sizeof *at);
	pl->bytes += (np + 1) * sizeof *pl->prod_off + total * sizeof *pl->cells;
	return 1;
}

static int
build_customers(b2b_book *b, b2b__plan *pl)
{
	size_t nc = b->ncustomers, c, total = 0;

	if (nc == 0)
		return 0;
	pl->cust = b2b__calloc(&b->alloc, nc, sizeof *pl->cust);
	if (pl->cust == NULL)
		return B2B_ENOMEM;
	for (c = 0; c < nc; c++) {
		size_t n = customer_lists(b, &b->customers[c], NULL);

		if (n <= UINT16_MAX && total + n <= UINT32_MAX) {
			pl->cust[c].off = (uint32_t)total;
			pl->cust[c].n = (uint16_t)n;
			pl->cust[c].flags = B2B__CF_LISTS;
			total += n;
		}
	}
	pl->nclists = total;
	if (total != 0) {
		pl->clists = b2b__malloc(&b->alloc, total * sizeof *pl->clists);
		if (pl->clists == NULL)
			return B2B_ENOMEM;
	}
	for (c = 0; c < nc; c++)
		if (pl->cust[c].flags & B2B__CF_LISTS)
			customer_lists(b, &b->customers[c],
			               pl->clists != NULL ? pl->clists + pl->cust[c].off : NULL);
	pl->bytes += nc * sizeof *pl->cust + total * sizeof *pl->clists;
	return 0;
}

/* The slot of (customer, product): found or the empty one where it goes. */
static b2b__pslot *
slot_at(b2b__plan *pl, uint32_t customer, uint32_t product)
{
	size_t mask = pl->nslots - 1, i;

	for (i = (size_t)b2b__plan_hash(customer, product) & mask;; i = (i + 1) & mask) {
		b2b__pslot *s = &pl->slots[i];

		if (s->customer == UINT32_MAX || (s->customer == customer && s->product == product))
			return s;
	}
}

/* For each (customer, product) the contract items' sku: group (pick_contract()). */
static int
build_contracts(b2b_book *b, b2b__plan *pl)
{
	size_t c, i, pass, entries = 0;

	for (pass = 0; pass < 2; pass++) {
		if (pass == 1) {
			if (entries == 0)
				return 0;
			for (pl->nslots = 16; pl->nslots < 2 * entries; pl->nslots *= 2)
				;
			pl->slots = b2b__malloc(&b->alloc, pl->nslots * sizeof *pl->slots);
			if (pl->slots == NULL)
				return B2B_ENOMEM;
			memset(pl->slots, 0xff, pl->nslots * sizeof *pl->slots);
			pl->bytes += pl->nslots * sizeof *pl->slots;
		}
		for (c = 0; c < b->ncustomers; c++) {
			const b2b__customer *cu = &b->customers[c];
			int sku_only = 1;

			if (cu->contracts_n == 0)
				continue;
			for (i = 0; i < cu->contracts_n; i++) {
				uint32_t k = b->u32[cu->contracts_off + i], j, end;

				if (k >= b->ncontracts)
					continue;
				end = b->contracts[k].items_off + b->contracts[k].items_n;
				for (j = b->contracts[k].items_off; j < end && j < b->ncitems; j++) {
					const b2b__item *it = &b->citems[j];
					b2b__pslot *s;
					uint32_t e = j + 1;

					if (it->scope.kind != B2B__SCOPE_SKU) {
						sku_only = 0;
						continue;
					}
					if (it->scope.id >= b->nproducts ||
					    (j > b->contracts[k].items_off && same_group(&b->citems[j - 1], it)))
						continue;
					while (e < end && e < b->ncitems && same_group(it, &b->citems[e]))
						e++;
					if (pass == 0) {
						entries++;
						continue;
					}
					s = slot_at(pl, (uint32_t)c, it->scope.id);
					if (s->customer == UINT32_MAX) {
						s->customer = (uint32_t)c;
						s->product = it->scope.id;
						s->off = j;
						s->n = e - j;
					} else {
						s->n = B2B__PLAN_MULTI;
					}
				}
			}
			if (pass == 0 && pl->cust != NULL)
				pl->cust[c].flags |= (uint16_t)(B2B__CF_CONTRACTS |
				                                (sku_only ? B2B__CF_CT_SKU_ONLY : 0));
		}
	}
	return 0;
}

void
b2b__book_plan_free(b2b_book *b)
{
	b2b__plan *pl = b->plan;
	const b2b_allocator *a = &b->alloc;

	if (pl == NULL)
		return;
	b2b__free(a, pl->prod_off, (b->nproducts + 1) * sizeof *pl->prod_off);
	b2b__free(a, pl->cells, pl->ncells * sizeof *pl->cells);
	b2b__free(a, pl->cust, b->ncustomers * sizeof *pl->cust);
	b2b__free(a, pl->clists, pl->nclists * sizeof *pl->clists);
	b2b__free(a, pl->list_flags, b->nlists);
	b2b__free(a, pl->slots, pl->nslots * sizeof *pl->slots);
	b2b__free(a, pl, sizeof *pl);
	b->plan = NULL;
}

int
b2b__book_plan_build(b2b_book *b)
{
	b2b__plan *pl;
	int rc;

	b2b__book_plan_free(b);
	pl = b2b__calloc(&b->alloc, 1, sizeof *pl);
	if (pl == NULL)
		return B2B_ENOMEM;
	/* built aside: the book's lookups read b->plan (a list's sku: group,
	 * book_lookup.c) only once it is complete */
	pl->bytes = sizeof *pl + b->nlists;
	if ((rc = build_lists(b, pl)) < 0 || (rc = build_products(b, pl)) < 0)
		goto fail;
	if (rc == 0) {
		/* too large for 32-bit offsets: no plan, the general pricer for every line */
		b->plan = pl;
		b2b__book_plan_free(b);
		return 0;
	}
	if ((rc = build_customers(b, pl)) < 0 || (rc = build_contracts(b, pl)) < 0)
		goto fail;
	b->plan = pl;
	b->memory += pl->bytes;
	return 0;
fail:
	b->plan = pl;
	b2b__book_plan_free(b);
	return rc;
}
