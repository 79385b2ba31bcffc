/*
 * libb2bcore — lint (SPEC §12): the findings on a loaded book. Each check
 * walks its tables once (plus a sort of customer segments and channels),
 * so a book of a million rows is linted in O(n log n); no check compares
 * customers with lists or products pairwise.
 *
 * Only the book is needed: the floor of §5.6 is r9(cost × (1 +
 * min_margin_percent ÷ 100)), the same arithmetic as the pricer's, done
 * here with the decimals of num/.
 * SPDX-License-Identifier: MIT
 */
#include <string.h>

#include "dec_int.h"
#include "lint_int.h"

/* The CSV file of each table (b2b_book_table order). */
static const char *const files[B2B_TABLE_COUNT] = {
	"settings.csv", "currencies.csv", "fx_rates.csv", "products.csv", "customers.csv",
	"price_lists.csv", "price_list_items.csv", "contracts.csv", "contract_items.csv",
	"dynamic_rules.csv", "promotions.csv", "taxes.csv", "approval_rules.csv",
	"volume_agreements.csv", "customer_volumes.csv",
};

/* The file index of a table in the report (c->file[t]). */
#define F_PRODUCTS c->file[B2B_TABLE_PRODUCTS]
#define F_CUSTOMERS c->file[B2B_TABLE_CUSTOMERS]
#define F_LISTS c->file[B2B_TABLE_PRICE_LISTS]
#define F_ITEMS c->file[B2B_TABLE_PRICE_LIST_ITEMS]
#define F_CONTRACTS c->file[B2B_TABLE_CONTRACTS]
#define F_CITEMS c->file[B2B_TABLE_CONTRACT_ITEMS]
#define F_RULES c->file[B2B_TABLE_DYNAMIC_RULES]
#define F_PROMOS c->file[B2B_TABLE_PROMOTIONS]

/* The state of one lint. */
typedef struct lc {
	b2b_lint *l;
	const b2b_book *b;
	const b2b_allocator *a;
	int rc;                     /* first B2B_ENOMEM */
	int file[B2B_TABLE_COUNT];  /* each table's file index in the report */
	uint32_t *cat_n;            /* products under each category node */
	uint32_t *cat_cost;         /* … of them with a cost */
	size_t nwith_cost;
	b2b__str *segments;         /* distinct customer segments, by bytes */
	size_t nsegments;
	b2b__str *channels;         /* distinct customer channels, by bytes */
	size_t nchannels;
} lc;

/*===========================================================================
 * MARK: - Helpers
 *===========================================================================*/

static long
product_line(const b2b_book *b, uint32_t p)
{
	return b->product_lines != NULL && p < b->nproduct_lines ? b->product_lines[p] : 0;
}

/* A decimal in its shortest exact form. */
typedef struct dtext { char s[48]; } dtext;

static dtext
dt(b2b_dec v)
{
	dtext t;

	if (b2b_dec_format(t.s, sizeof(t.s), NULL, v, B2B_DEC_SCALE_EXACT, B2B_ROUND_HALF_UP) < 0)
		strcpy(t.s, "?");
	return t;
}

/* An instant as written (date or date-time); "open" for an open bound. */
typedef struct ttext { char s[B2B_TIME_FORMAT_MAX + 8]; } ttext;

static ttext
tt(int64_t sec, int32_t form)
{
	ttext t;
	b2b_time x;

	if (sec == B2B__T_MIN || sec == B2B__T_MAX) {
		strcpy(t.s, "open");
		return t;
	}
	x.sec = sec;
	x.form = form == B2B_TIME_DATE ? B2B_TIME_DATE : B2B_TIME_DATETIME;
	x.reserved = 0;
	if (b2b_time_format(t.s, sizeof(t.s), NULL, x) < 0)
		strcpy(t.s, "?");
	return t;
}

static int
overlap(const b2b__window *x, const b2b__window *y)
{
	return x->from < y->until && y->from < x->until;
}

static b2b__finding *
add_(lc *c, b2b__finding *f)
{
	if (f == NULL && c->rc == 0)
		c->rc = B2B_ENOMEM;
	return f;
}

#define ADD(c, code, file, line, ...) add_(c, b2b__lint_add((c)->l, code, file, line, __VA_ARGS__))

static b2b__finding *
add_msg(lc *c, int code, int file, long line, const b2b__lint_msg *m)
{
	return add_(c, b2b__lint_add_msg(c->l, code, file, line, m));
}

static void
related(lc *c, b2b__finding *f, int file, long line)
{
	(void)c;
	b2b__lint_related(f, file, line);
}

static void
related_product(lc *c, b2b__finding *f, const b2b__scope *s)
{
	if (s->kind == B2B__SCOPE_SKU && s->id != B2B__NONE)
		related(c, f, F_PRODUCTS, product_line(c->b, s->id));
}

/*
 * Compare a × b with x × y exactly (coefficients at 10^-9: the products at
 * 10^-18 in 128 bits); −1, 0, 1. On a product too large for 128 bits the
 * products rounded to 9 digits are compared (no book price is that large).
 */
static int
cmp_products(b2b_dec a, b2b_dec b, b2b_dec x, b2b_dec y)
{
	b2b__i128 p, q;
	b2b_dec r, s;

	if (!__builtin_mul_overflow(b2b__dec_to_i128(a), b2b__dec_to_i128(b), &p) &&
	    !__builtin_mul_overflow(b2b__dec_to_i128(x), b2b__dec_to_i128(y), &q))
		return p < q ? -1 : p > q;
	if (b2b_dec_mul(&r, a, b, B2B_DEC_SCALE, B2B_ROUND_HALF_EVEN) < 0 ||
	    b2b_dec_mul(&s, x, y, B2B_DEC_SCALE, B2B_ROUND_HALF_EVEN) < 0)
		return 0;
	return b2b_dec_cmp(r, s);
}

/* a × b at 9 digits (for messages); 0 when out of range. */
static b2b_dec
mul9(b2b_dec a, b2b_dec b)
{
	b2b_dec r;

	if (b2b_dec_mul(&r, a, b, B2B_DEC_SCALE, B2B_ROUND_HALF_UP) < 0)
		memset(&r, 0, sizeof(r));
	return r;
}

/*===========================================================================
 * MARK: - What the book holds: products per scope, segments, channels
 *===========================================================================*/

typedef struct strs_ctx {
	const b2b_book *b;
	const b2b__str *v;
} strs_ctx;

static int
str_cmp(const void *ctx, uint32_t x, uint32_t y)
{
	const strs_ctx *k = ctx;

	return strcmp(b2b__s(k->b, k->v[x]), b2b__s(k->b, k->v[y]));
}

/*
 * The distinct non-empty values of a customer field (a b2b__str at byte
 * offset field_off), sorted by bytes, in a block of *nout entries whose
 * unused tail is 0.
 */
static int
distinct(lc *c, size_t field_off, b2b__str **out, size_t *nout)
{
	const b2b_book *b = c->b;
	size_t i, n = 0, k;
	b2b__str *v, *sorted = NULL;
	uint32_t *perm = NULL;
	strs_ctx sc;
	int rc = B2B_ENOMEM;

	*out = NULL;
	*nout = 0;
	if (b->ncustomers == 0)
		return 0;
	if ((v = b2b__malloc(c->a, b->ncustomers * sizeof(*v))) == NULL)
		return B2B_ENOMEM;
	for (i = 0; i < b->ncustomers; i++) {
		b2b__str s;

		memcpy(&s, (const char *)&b->customers[i] + field_off, sizeof(s));
		if (s != 0)
			v[n++] = s;
	}
	if (n > 0 && (perm = b2b__malloc(c->a, n * sizeof(uint32_t))) != NULL &&
	    (sorted = b2b__calloc(c->a, n, sizeof(*sorted))) != NULL) {
		for (i = 0; i < n; i++)
			perm[i] = (uint32_t)i;
		sc.b = b;
		sc.v = v;
		rc = b2b__sort_u32(c->a, perm, n, str_cmp, &sc);
		for (i = k = 0; rc == 0 && i < n; i++)
			if (k == 0 || strcmp(b2b__s(b, sorted[k - 1]), b2b__s(b, v[perm[i]])) != 0)
				sorted[k++] = v[perm[i]];
	} else if (n == 0) {
		rc = 0;
	}
	if (perm != NULL)
		b2b__free(c->a, perm, n * sizeof(uint32_t));
	b2b__free(c->a, v, b->ncustomers * sizeof(*v));
	if (rc < 0) {
		if (sorted != NULL)
			b2b__free(c->a, sorted, n * sizeof(*sorted));
		return rc;
	}
	*out = sorted;
	*nout = sorted != NULL ? n : 0;
	return 0;
}

/* Is `s` one of the values of a distinct() array? */
static int
has_value(const lc *c, const b2b__str *v, size_t n, const char *s)
{
	size_t lo = 0, hi = n;

	while (hi > 0 && v[hi - 1] == 0)
		hi--;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int r = strcmp(b2b__s(c->b, v[mid]), s);

		if (r == 0)
			return 1;
		if (r < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

static int
prepare(lc *c)
{
	const b2b_book *b = c->b;
	size_t i;
	int rc;

	if (b->ncategories > 0) {
		if ((c->cat_n = b2b__calloc(c->a, b->ncategories, sizeof(uint32_t))) == NULL ||
		    (c->cat_cost = b2b__calloc(c->a, b->ncategories, sizeof(uint32_t))) == NULL)
			return B2B_ENOMEM;
	}
	for (i = 0; i < b->nproducts; i++) {
		const b2b__product *p = &b->products[i];
		int cost = (p->flags & B2B__P_HAS_COST) != 0;
		uint32_t k;

		c->nwith_cost += (size_t)cost;
		for (k = p->category; k != B2B__NONE && k < b->ncategories;
		     k = b->categories[k].parent) {
			c->cat_n[k]++;
			c->cat_cost[k] += (uint32_t)cost;
		}
	}
	if ((rc = distinct(c, offsetof(b2b__customer, segment), &c->segments, &c->nsegments)) < 0)
		return rc;
	return distinct(c, offsetof(b2b__customer, channel), &c->channels, &c->nchannels);
}

static void
release(lc *c)
{
	size_t nc = c->b->ncategories;

	b2b__free(c->a, c->cat_n, nc * sizeof(uint32_t));
	b2b__free(c->a, c->cat_cost, nc * sizeof(uint32_t));
	b2b__free(c->a, c->segments, c->nsegments * sizeof(b2b__str));
	b2b__free(c->a, c->channels, c->nchannels * sizeof(b2b__str));
}

/* How many products scope s matches; *with_cost: how many of them have a cost. */
static size_t
scope_products(const lc *c, const b2b__scope *s, size_t *with_cost)
{
	const b2b_book *b = c->b;

	switch (s->kind) {
	case B2B__SCOPE_SKU:
		if (s->id == B2B__NONE || s->id >= b->nproducts) {
			*with_cost = 0;
			return 0;
		}
		*with_cost = (b->products[s->id].flags & B2B__P_HAS_COST) != 0;
		return 1;
	case B2B__SCOPE_CATEGORY:
		if (s->id >= b->ncategories) {
			*with_cost = 0;
			return 0;
		}
		*with_cost = c->cat_cost[s->id];
		return c->cat_n[s->id];
	default:
		*with_cost = c->nwith_cost;
		return b->nproducts;
	}
}

/*===========================================================================
 * MARK: - Quantity breaks: TIER_CLIFF, TIER_NOT_DESCENDING
 *===========================================================================*/

static int
same_scope(const b2b_book *b, const b2b__scope *x, const b2b__scope *y)
{
	if (x->kind != y->kind || x->id != y->id)
		return 0;
	return x->id != B2B__NONE || strcmp(b2b__s(b, x->text), b2b__s(b, y->text)) == 0;
}

/* The product's pack_size for an sku scope, else 1. */
static b2b_dec
pack_unit(const b2b_book *b, const b2b__scope *s)
{
	if (s->kind == B2B__SCOPE_SKU && s->id != B2B__NONE && s->id < b->nproducts) {
		const b2b__product_ext *e = b2b__book_product_ext(b, &b->products[s->id]);

		if (e->pack_size.set && b2b_dec_sign(e->pack_size.v) > 0)
			return e->pack_size.v;
	}
	return b2b__dec_from_int(1);
}

/*
 * The cliff of SPEC §12 between break i (m_i, p_i) below break j (m_j,
 * p_j): (m_j − u) × p_i > m_j × p_j. When there is one, *lo receives the
 * lowest quantity m_j − k·u (k ≥ 1, not below m_i, above 0) that still
 * costs more than m_j units: k < m_j (p_i − p_j) ÷ (u p_i).
 */
static int
cliff(b2b_dec mi, b2b_dec pi, b2b_dec mj, b2b_dec pj, b2b_dec u, b2b_dec *lo)
{
	b2b_dec q;
	b2b__i128 M = b2b__dec_to_i128(mj), U = b2b__dec_to_i128(u), P = b2b__dec_to_i128(pi);
	b2b__i128 num, den, k, lim;

	if (b2b_dec_sub(&q, mj, u) < 0 || cmp_products(q, pi, mj, pj) <= 0)
		return 0;
	*lo = q;
	if (__builtin_mul_overflow(M, P - b2b__dec_to_i128(pj), &num) ||
	    __builtin_mul_overflow(U, P, &den) || den <= 0 || num <= den)
		return 1;
	k = (num - 1) / den;
	lim = (M - b2b__dec_to_i128(mi)) / U;
	if (lim < k)
		k = lim;
	lim = (M - 1) / U;
	if (lim < k)
		k = lim;
	if (k > 1)
		*lo = b2b__dec_from_i128(M - k * U);
	return 1;
}

#define MS(m, s) b2b__lint_msg_s(m, s)
#define MV(m, s) b2b__lint_msg_v(m, s)
#define MD(m, d) b2b__lint_msg_d(m, d)

/* "<scope> min_qty <m> at <p>" */
static void
msg_break(const b2b_book *b, b2b__lint_msg *m, const b2b__item *it)
{
	b2b__lint_msg_init(m);
	MV(m, b2b__s(b, it->scope.text));
	MS(m, " min_qty ");
	MD(m, it->min_qty);
	MS(m, " at ");
	MD(m, it->price);
}

static void
tier_pair(lc *c, int table, const b2b__item *lo, const b2b__item *hi, int check_cliff)
{
	const b2b_book *b = c->b;
	int file = c->file[table];
	b2b__finding *f;
	b2b__lint_msg m;
	b2b_dec u, qlo, qhi, one = b2b__dec_from_int(1);

	if (lo->compute != B2B__COMPUTE_FIXED || !lo->price_set)
		return;
	if (b2b_dec_cmp(hi->price, lo->price) > 0) {
		/* "<hi> is above the lower break min_qty <m_i> at <p_i>" */
		msg_break(b, &m, hi);
		MS(&m, " is above the lower break min_qty ");
		MD(&m, lo->min_qty);
		MS(&m, " at ");
		MD(&m, lo->price);
		f = add_msg(c, B2B_LINT_TIER_NOT_DESCENDING, file, hi->line, &m);
		related(c, f, file, lo->line);
		related_product(c, f, &hi->scope);
	}
	u = pack_unit(b, &hi->scope);
	if (!check_cliff || !cliff(lo->min_qty, lo->price, hi->min_qty, hi->price, u, &qlo))
		return;
	(void)b2b_dec_sub(&qhi, hi->min_qty, u);
	/* "<hi>: <m_j> units cost <m_j × p_j>, less than <m_j − u> units at <p_i>
	 * (<(m_j − u) × p_i>); every quantity from <lo> to <m_j − u> costs more than
	 * <m_j> units[ (in steps of the pack size <u>)]" */
	msg_break(b, &m, hi);
	MS(&m, ": ");
	MD(&m, hi->min_qty);
	MS(&m, " units cost ");
	MD(&m, mul9(hi->min_qty, hi->price));
	MS(&m, ", less than ");
	MD(&m, qhi);
	MS(&m, " units at ");
	MD(&m, lo->price);
	MS(&m, " (");
	MD(&m, mul9(qhi, lo->price));
	MS(&m, "); ");
	if (b2b_dec_cmp(qlo, qhi) == 0) {
		MD(&m, qhi);
		MS(&m, " units cost");
	} else {
		MS(&m, "every quantity from ");
		MD(&m, qlo);
		MS(&m, " to ");
		MD(&m, qhi);
		MS(&m, " costs");
	}
	MS(&m, " more than ");
	MD(&m, hi->min_qty);
	MS(&m, " units");
	if (b2b_dec_cmp(u, one) != 0) {
		MS(&m, " (in steps of the pack size ");
		MD(&m, u);
		MS(&m, ")");
	}
	f = add_msg(c, B2B_LINT_TIER_CLIFF, file, hi->line, &m);
	related(c, f, file, lo->line);
	related_product(c, f, &hi->scope);
}

/*
 * The breaks of one owner (a list's items or a contract's): in each scope
 * (items sorted by min_qty, then valid_from), every fixed item against
 * the break just below it: the items of the highest lower min_qty whose
 * windows share an instant with it.
 */
static void
tiers(lc *c, int table, const b2b__item *items, size_t off, size_t n, int check_cliff)
{
	const b2b_book *b = c->b;
	size_t g0 = off, g1, end = off + n, j, k;

	while (g0 < end) {
		for (g1 = g0 + 1; g1 < end && same_scope(b, &items[g0].scope, &items[g1].scope); g1++)
			;
		for (j = g0 + 1; j < g1; j++) {
			const b2b__item *hi = &items[j];
			const b2b_dec *level = NULL;

			if (hi->compute != B2B__COMPUTE_FIXED || !hi->price_set)
				continue;
			for (k = j; k-- > g0;) {
				const b2b__item *lo = &items[k];

				if (b2b_dec_cmp(lo->min_qty, hi->min_qty) >= 0)
					continue;
				if (level != NULL && b2b_dec_cmp(lo->min_qty, *level) < 0)
					break;
				if (!overlap(&b2b__book_item_ext(b, lo)->window,
				             &b2b__book_item_ext(b, hi)->window))
					continue;
				level = &lo->min_qty;
				tier_pair(c, table, lo, hi, check_cliff);
			}
		}
		g0 = g1;
	}
}

static void
check_tiers(lc *c)
{
	const b2b_book *b = c->b;
	size_t i;

	for (i = 0; i < b->nlists; i++) {
		const b2b__list *l = &b->lists[i];

		if (l->tier_mode == B2B__TIER_BLOCK)
			continue;
		tiers(c, B2B_TABLE_PRICE_LIST_ITEMS, b->items, l->items_off, l->items_n,
		      l->tier_mode == B2B__TIER_ALL_UNITS);
	}
	for (i = 0; i < b->ncontracts; i++)
		tiers(c, B2B_TABLE_CONTRACT_ITEMS, b->citems, b->contracts[i].items_off,
		      b->contracts[i].items_n, 1);
}

/*===========================================================================
 * MARK: - Prices against the product: CONTRACT_ABOVE_LIST, BELOW_COST
 *===========================================================================*/

/* A price below the product's cost, or its floor (§5.6, unrounded). */
static void
below_cost(lc *c, int table, const b2b__item *it, uint16_t currency, int block)
{
	const b2b_book *b = c->b;
	const b2b__product *p;
	b2b_dec price = it->price, floor, hundred = b2b__dec_from_int(100), f;
	b2b__lint_msg m;
	int below_floor = 0;

	if (it->scope.kind != B2B__SCOPE_SKU || it->scope.id == B2B__NONE ||
	    it->scope.id >= b->nproducts || !it->price_set)
		return;
	p = &b->products[it->scope.id];
	if (!(p->flags & B2B__P_HAS_COST) || p->currency != currency)
		return;
	block = block && b2b_dec_sign(it->min_qty) > 0;
	if (block && b2b_dec_div(&price, it->price, it->min_qty, B2B_DEC_SCALE,
	                         b->settings.rounding) < 0)
		return;
	if (b2b_dec_cmp(price, p->cost) >= 0) {
		if (!b->settings.min_margin_percent.set ||
		    b2b_dec_add(&f, hundred, b->settings.min_margin_percent.v) < 0 ||
		    b2b_dec_percent(&floor, p->cost, f, B2B_DEC_SCALE, b->settings.rounding) < 0 ||
		    b2b_dec_cmp(price, floor) >= 0)
			return;
		below_floor = 1;
	}
	/* "<scope>: price <p> is below the cost <c> of <sku>", or "… the floor <f>
	 * of <sku> (cost <c>, min_margin_percent <m>)"; a block item's "unit price
	 * <p ÷ m> (block price <p> for <m>)" */
	b2b__lint_msg_init(&m);
	MV(&m, b2b__s(b, it->scope.text));
	if (block) {
		MS(&m, ": unit price ");
		MD(&m, price);
		MS(&m, " (block price ");
		MD(&m, it->price);
		MS(&m, " for ");
		MD(&m, it->min_qty);
		MS(&m, ")");
	} else {
		MS(&m, ": price ");
		MD(&m, price);
	}
	if (below_floor) {
		MS(&m, " is below the floor ");
		MD(&m, floor);
		MS(&m, " of ");
		MV(&m, b2b__s(b, p->sku));
		MS(&m, " (cost ");
		MD(&m, p->cost);
		MS(&m, ", min_margin_percent ");
		MD(&m, b->settings.min_margin_percent.v);
		MS(&m, ")");
	} else {
		MS(&m, " is below the cost ");
		MD(&m, p->cost);
		MS(&m, " of ");
		MV(&m, b2b__s(b, p->sku));
	}
	related_product(c, add_msg(c, B2B_LINT_BELOW_COST, c->file[table], it->line, &m),
	                &it->scope);
}

static void
check_prices(lc *c)
{
	const b2b_book *b = c->b;
	size_t i, j;

	for (i = 0; i < b->nlists; i++) {
		const b2b__list *l = &b->lists[i];

		for (j = l->items_off; j < l->items_off + l->items_n; j++)
			if (b->items[j].compute == B2B__COMPUTE_FIXED)
				below_cost(c, B2B_TABLE_PRICE_LIST_ITEMS, &b->items[j], l->currency,
				           l->tier_mode == B2B__TIER_BLOCK);
	}
	for (i = 0; i < b->ncontracts; i++) {
		const b2b__contract *k = &b->contracts[i];

		for (j = k->items_off; j < k->items_off + k->items_n; j++) {
			const b2b__item *it = &b->citems[j];
			const b2b__product *p;
			b2b__finding *f = NULL;

			below_cost(c, B2B_TABLE_CONTRACT_ITEMS, it, k->currency, 0);
			if (k->policy != B2B__POLICY_OVERRIDE || it->scope.kind != B2B__SCOPE_SKU ||
			    it->scope.id == B2B__NONE || it->scope.id >= b->nproducts)
				continue;
			p = &b->products[it->scope.id];
			if (it->price_set && k->currency == p->currency &&
			    b2b_dec_cmp(it->price, p->list_price) > 0)
				f = ADD(c, B2B_LINT_CONTRACT_ABOVE_LIST, F_CITEMS, it->line,
				        "contract %s prices %s at %s, above its list price %s",
				        b2b__s(b, k->id), b2b__s(b, p->sku), dt(it->price).s,
				        dt(p->list_price).s);
			else if (b2b__book_item_ext(b, it)->discount_percent.set &&
			         b2b_dec_sign(b2b__book_item_ext(b, it)->discount_percent.v) < 0)
				f = ADD(c, B2B_LINT_CONTRACT_ABOVE_LIST, F_CITEMS, it->line,
				        "contract %s marks %s up on its list price: discount_percent %s",
				        b2b__s(b, k->id), b2b__s(b, p->sku),
				        dt(b2b__book_item_ext(b, it)->discount_percent.v).s);
			if (f != NULL) {
				related_product(c, f, &it->scope);
				related(c, f, F_CONTRACTS, k->line);
			}
		}
	}
}

/*===========================================================================
 * MARK: - UNREACHABLE_LIST
 *===========================================================================*/

static int
applies_matches(const lc *c, const b2b__applies *ap)
{
	const b2b_book *b = c->b;
	const char *v = b2b__s(b, ap->value);

	switch (ap->kind) {
	case B2B__APPLY_DEFAULT:
		return b->ncustomers > 0;
	case B2B__APPLY_SEGMENT:
		return has_value(c, c->segments, c->nsegments, v);
	case B2B__APPLY_CHANNEL:
		return has_value(c, c->channels, c->nchannels, v);
	default:
		return b2b__book_customer(b, v, strlen(v)) != B2B__NONE;
	}
}

static int
check_reach(lc *c)
{
	const b2b_book *b = c->b;
	size_t i, j, n = b->nlists, top = 0;
	uint8_t *seen;
	uint32_t *stack;

	if (n == 0)
		return 0;
	if ((seen = b2b__calloc(c->a, n, 1)) == NULL)
		return B2B_ENOMEM;
	if ((stack = b2b__malloc(c->a, n * sizeof(uint32_t))) == NULL) {
		b2b__free(c->a, seen, n);
		return B2B_ENOMEM;
	}
#define REACH(x) \
	do { \
		uint32_t x_ = (x); \
		if (x_ < n && !seen[x_]) { \
			seen[x_] = 1; \
			stack[top++] = x_; \
		} \
	} while (0)
	for (i = 0; i < b->ncustomers; i++) {
		const b2b__customer *cu = &b->customers[i];

		for (j = 0; j < cu->lists_n; j++)
			REACH(b->u32[cu->lists_off + j]);
	}
	for (i = 0; i < n; i++) {
		const b2b__list *l = &b->lists[i];

		for (j = 0; j < l->applies_n && !seen[i]; j++)
			if (applies_matches(c, &b->applies[l->applies_off + j]))
				REACH((uint32_t)i);
	}
	while (top > 0) {
		const b2b__list *l = &b->lists[stack[--top]];

		if (l->parent != B2B__NONE)
			REACH(l->parent);
		for (j = l->items_off; j < l->items_off + l->items_n; j++)
			if (b->items[j].base == B2B__BASE_LIST_ID)
				REACH(b->items[j].base_list);
	}
#undef REACH
	for (i = 0; i < n; i++)
		if (!seen[i])
			(void)ADD(c, B2B_LINT_UNREACHABLE_LIST, F_LISTS, b->lists[i].line,
			          "price list %s: no customer names it, its applies_to matches no "
			          "customer, and no reachable list has it as parent or base",
			          b2b__s(b, b->lists[i].id));
	b2b__free(c->a, stack, n * sizeof(uint32_t));
	b2b__free(c->a, seen, n);
	return 0;
}

/*===========================================================================
 * MARK: - SHADOWED_ITEM, EMPTY_PROMOTION
 *===========================================================================*/

static void
shadowed(lc *c, int table, const b2b__item *it, const b2b__list *l)
{
	const b2b_book *b = c->b;
	const char *scope = b2b__s(b, it->scope.text);
	const b2b__window *w = &b2b__book_item_ext(b, it)->window;
	size_t cost, n = scope_products(c, &it->scope, &cost);

	if (l != NULL && !overlap(w, &l->window))
		(void)ADD(c, B2B_LINT_SHADOWED_ITEM, c->file[table], it->line,
		          "%s min_qty %s: its window (from %s until %s) shares no instant with "
		          "price list %s's (from %s until %s)", scope, dt(it->min_qty).s,
		          tt(w->from, w->from_form).s,
		          tt(w->until, w->until_form).s, b2b__s(b, l->id),
		          tt(l->window.from, l->window.from_form).s,
		          tt(l->window.until, l->window.until_form).s);
	if (n == 0)
		(void)ADD(c, B2B_LINT_SHADOWED_ITEM, c->file[table], it->line,
		          "%s min_qty %s: the scope matches no product", scope, dt(it->min_qty).s);
	else if (it->base == B2B__BASE_COST && it->compute != B2B__COMPUTE_FIXED && cost == 0)
		(void)ADD(c, B2B_LINT_SHADOWED_ITEM, c->file[table], it->line,
		          it->scope.kind == B2B__SCOPE_SKU
		              ? "%s min_qty %s: base cost, but the product has no cost"
		              : "%s min_qty %s: base cost, but no product of the scope has a cost",
		          scope, dt(it->min_qty).s);
}

static void
check_items(lc *c)
{
	const b2b_book *b = c->b;
	size_t i, j;

	for (i = 0; i < b->nlists; i++) {
		const b2b__list *l = &b->lists[i];

		for (j = l->items_off; j < l->items_off + l->items_n; j++)
			shadowed(c, B2B_TABLE_PRICE_LIST_ITEMS, &b->items[j], l);
	}
	for (i = 0; i < b->ncitems; i++)
		shadowed(c, B2B_TABLE_CONTRACT_ITEMS, &b->citems[i], NULL);
}

static void
check_promos(lc *c)
{
	const b2b_book *b = c->b;
	size_t i, cost;

	for (i = 0; i < b->npromos; i++) {
		const b2b__promo *p = &b->promos[i];
		const char *seg = b2b__s(b, p->segment);

		if (scope_products(c, &p->scope, &cost) == 0)
			(void)ADD(c, B2B_LINT_EMPTY_PROMOTION, F_PROMOS, p->line,
			          "promotion %s: scope %s matches no product", b2b__s(b, p->id),
			          p->scope.text != 0 ? b2b__s(b, p->scope.text) : "all");
		if (p->segment != 0 && !has_value(c, c->segments, c->nsegments, seg))
			(void)ADD(c, B2B_LINT_EMPTY_PROMOTION, F_PROMOS, p->line,
			          "promotion %s: no customer has segment %s", b2b__s(b, p->id), seg);
	}
}

/*===========================================================================
 * MARK: - NO_FX_PATH
 *===========================================================================*/

static int
check_fx(lc *c)
{
	const b2b_book *b = c->b;
	size_t nc = b->ncurrencies, i, j, npc = 0;
	uint8_t *rate;
	uint32_t *first;
	uint16_t *pcs;

	if (nc == 0 || b->nproducts == 0)
		return 0;
	if ((rate = b2b__calloc(c->a, nc * nc, 1)) == NULL)
		return B2B_ENOMEM;
	if ((first = b2b__malloc(c->a, nc * sizeof(uint32_t))) == NULL ||
	    (pcs = b2b__malloc(c->a, nc * sizeof(uint16_t))) == NULL) {
		b2b__free(c->a, first, nc * sizeof(uint32_t));
		b2b__free(c->a, rate, nc * nc);
		return B2B_ENOMEM;
	}
	for (i = 0; i < b->nfx; i++)
		if (b->fx[i].from < nc && b->fx[i].to < nc)
			rate[(size_t)b->fx[i].from * nc + b->fx[i].to] =
				rate[(size_t)b->fx[i].to * nc + b->fx[i].from] = 1;
	for (i = 0; i < nc; i++)
		first[i] = B2B__NONE;
	/* the first product of each currency: the lowest line (then sku) */
	for (i = 0; i < b->nproducts; i++) {
		uint16_t k = b->products[i].currency;

		if (k >= nc)
			continue;
		if (first[k] == B2B__NONE)
			pcs[npc++] = k;
		if (first[k] == B2B__NONE || product_line(b, (uint32_t)i) < product_line(b, first[k]))
			first[k] = (uint32_t)i;
	}
#define NO_PATH(cur, pc) ((cur) != (pc) && !rate[(size_t)(cur) * nc + (pc)])
	for (i = 0; i < b->ncustomers; i++) {
		const b2b__customer *cu = &b->customers[i];
		uint16_t cur = cu->currency != UINT16_MAX ? cu->currency : b->settings.base_currency;

		for (j = 0; j < npc && cur < nc; j++) {
			b2b__finding *f;

			if (!NO_PATH(cur, pcs[j]))
				continue;
			f = ADD(c, B2B_LINT_NO_FX_PATH, F_CUSTOMERS, cu->line,
			        "customer %s buys in %s, but no FX rate links %s and %s (the currency "
			        "of products such as %s)", b2b__s(b, cu->id), b->currencies[cur].code,
			        b->currencies[cur].code, b->currencies[pcs[j]].code,
			        b2b__s(b, b->products[first[pcs[j]]].sku));
			related(c, f, F_PRODUCTS, product_line(b, first[pcs[j]]));
		}
	}
	for (i = 0; i < b->nlists; i++) {
		const b2b__list *l = &b->lists[i];

		for (j = 0; j < npc && l->currency < nc; j++) {
			b2b__finding *f;

			if (!NO_PATH(l->currency, pcs[j]))
				continue;
			f = ADD(c, B2B_LINT_NO_FX_PATH, F_LISTS, l->line,
			        "price list %s is in %s, but no FX rate links %s and %s (the currency "
			        "of products such as %s)", b2b__s(b, l->id),
			        b->currencies[l->currency].code, b->currencies[l->currency].code,
			        b->currencies[pcs[j]].code, b2b__s(b, b->products[first[pcs[j]]].sku));
			related(c, f, F_PRODUCTS, product_line(b, first[pcs[j]]));
		}
	}
#undef NO_PATH
	b2b__free(c->a, pcs, nc * sizeof(uint16_t));
	b2b__free(c->a, first, nc * sizeof(uint32_t));
	b2b__free(c->a, rate, nc * nc);
	return 0;
}

/*===========================================================================
 * MARK: - EXPIRED
 *===========================================================================*/

static int
ended(const b2b__window *w, int64_t t)
{
	return w->until != B2B__T_MAX && w->until <= t;
}

#define EXPIRED_AT(w) tt((w)->until, (w)->until_form).s

/*
 * Every record with a validity window whose valid_until ≤ as_of. This is
 * the one place that lists the kinds of records that expire: a new kind
 * with a window adds its loop here (volume agreements, SPEC §10, have one).
 */
static void
check_expired(lc *c, b2b_time as_of)
{
	const b2b_book *b = c->b;
	int64_t t = as_of.sec;
	char at[B2B_TIME_FORMAT_MAX];
	size_t i;

	if (b2b_time_format(at, sizeof(at), NULL, as_of) < 0)
		strcpy(at, "?");
	for (i = 0; i < b->nlists; i++)
		if (ended(&b->lists[i].window, t))
			(void)ADD(c, B2B_LINT_EXPIRED, F_LISTS, b->lists[i].line,
			          "price list %s: valid_until %s is not after as_of %s",
			          b2b__s(b, b->lists[i].id), EXPIRED_AT(&b->lists[i].window), at);
	for (i = 0; i < b->nitems; i++) {
		const b2b__item *it = &b->items[i];
		const b2b__window *w = &b2b__book_item_ext(b, it)->window;

		if (ended(w, t))
			(void)ADD(c, B2B_LINT_EXPIRED, F_ITEMS, it->line,
			          "price list %s, %s min_qty %s: valid_until %s is not after as_of %s",
			          it->list < b->nlists ? b2b__s(b, b->lists[it->list].id) : "?",
			          b2b__s(b, it->scope.text), dt(it->min_qty).s, EXPIRED_AT(w),
			          at);
	}
	for (i = 0; i < b->ncontracts; i++)
		if (ended(&b->contracts[i].window, t))
			(void)ADD(c, B2B_LINT_EXPIRED, F_CONTRACTS, b->contracts[i].line,
			          "contract %s: valid_until %s is not after as_of %s",
			          b2b__s(b, b->contracts[i].id), EXPIRED_AT(&b->contracts[i].window), at);
	for (i = 0; i < b->nrules; i++)
		if (ended(&b->rules[i].window, t))
			(void)ADD(c, B2B_LINT_EXPIRED, F_RULES, b->rules[i].line,
			          "dynamic rule %s: valid_until %s is not after as_of %s",
			          b2b__s(b, b->rules[i].id), EXPIRED_AT(&b->rules[i].window), at);
	for (i = 0; i < b->npromos; i++)
		if (ended(&b->promos[i].window, t))
			(void)ADD(c, B2B_LINT_EXPIRED, F_PROMOS, b->promos[i].line,
			          "promotion %s: valid_until %s is not after as_of %s",
			          b2b__s(b, b->promos[i].id), EXPIRED_AT(&b->promos[i].window), at);
	for (i = 0; i < b->nagreements; i++)
		if (ended(&b->agreements[i].window, t))
			(void)ADD(c, B2B_LINT_EXPIRED, c->file[B2B_TABLE_VOLUME_AGREEMENTS],
			          b->agreements[i].line,
			          "volume agreement %s: valid_until %s is not after as_of %s",
			          b2b__s(b, b->agreements[i].id), EXPIRED_AT(&b->agreements[i].window),
			          at);
}

/*===========================================================================
 * MARK: - All checks
 *===========================================================================*/

int
b2b__lint_checks(b2b_lint *l, const b2b_book *b)
{
	lc c;
	int rc, t;

	memset(&c, 0, sizeof(c));
	c.l = l;
	c.b = b;
	c.a = &l->ctx->alloc;
	for (t = 0; t < B2B_TABLE_COUNT; t++)
		if ((c.file[t] = b2b__lint_file(l, files[t], 1)) < 0)
			return B2B_ENOMEM;
	if ((rc = prepare(&c)) == 0) {
		check_tiers(&c);
		check_prices(&c);
		rc = check_reach(&c);
		check_items(&c);
		if (rc == 0)
			rc = check_fx(&c);
		check_promos(&c);
		if (l->has_as_of)
			check_expired(&c, l->as_of);
	}
	release(&c);
	return rc < 0 ? rc : c.rc;
}
