/*
 * libb2bcore — what a change of book does to prices (SPEC §13).
 *
 * The probes are every customer of either book (or those given) × every
 * product of either book × the probe quantities of the product (below),
 * walked in row order: customers by id, products by sku (byte order),
 * quantities ascending. Both books keep those tables sorted by key, so
 * the union of each is a merge and the rows come out sorted by
 * construction (the CSV callback sees them as they are found).
 *
 * Fast where the change is small. The rows that differ between the two
 * books are found from the fingerprint's canonical form, one 64-bit hash
 * per row (fingerprint_rows.h): equal hashes in both books are equal rows.
 * Each differing row (in the book that has it) touches:
 *   - a product → that product, every customer;
 *   - a customer → that customer, every product;
 *   - a price-list item, a dynamic rule, a line promotion → the products
 *     of its scope, every customer (a list's items only ever price the
 *     products their scope matches, whichever list reaches them);
 *   - a contract → its customer, every product;
 *   - a contract item → its contract's customer × the products of its scope;
 *   - a volume agreement (SPEC §10) → the customers of its party × the
 *     products of its scope; a customer volume → its customer × the
 *     products of its agreement's scope;
 *   - settings, currencies, FX rates, price lists → everything;
 *   - order promotions, taxes, approval rules → nothing (no unit price
 *     depends on them).
 * Only touched (customer, product) probes are priced, in both books, with
 * b2b_price_batch(); the others are counted as unchanged.
 *
 * Probe quantities of a product, over both books: 1; every min_qty > 0 of
 * a list or contract item whose scope matches it (any list or contract,
 * in window or not), and min_qty + 1 in incremental lists; buy_qty +
 * get_qty of the buy_x_get_y promotions whose scope matches. A product
 * that one book lacks is matched there by its category path in the other
 * book (items naming an sku that the book does not have are no probes).
 * Per customer as well (pair_qtys()): every threshold and threshold −
 * volume_to_date above 0 of the qty volume agreements whose party covers
 * the customer and whose scope matches, each book's with its own volumes.
 * SPDX-License-Identifier: MIT
 */
#include <string.h>

#include "b2b/diff.h"
#include "b2b/price.h"
#include "alloc.h"
#include "arena.h"
#include "ctx_int.h"
#include "dec_int.h"
#include "diff_int.h"
#include "fingerprint_rows.h"
#include "json_write.h"
#include "opts.h"
#include "sort.h"
#include "volume.h"

/* Probes priced per b2b_price_batch() call. */
#define DIFF_CHUNK 4096

/*===========================================================================
 * MARK: - the result
 *===========================================================================*/

typedef struct drow {
	const char *customer, *sku;
	b2b_dec qty;
	const char *err[2];        /* NULL when priced */
	b2b_dec price[2];
	int has_pct;
	b2b_dec pct;
} drow;

typedef struct dcat {
	const char *name;          /* arena */
	uint64_t changed, raised, lowered;
} dcat;

struct b2b_diff {
	const char *fp[2];
	b2b_time as_of;
	int upd[2];                /* unit_price_decimals of each book */
	b2b_rounding mode[2];
	uint64_t count[7];
	int has_max[2];
	b2b_dec max[2];            /* [0] increase, [1] decrease */
	dcat *cats;
	size_t ncats, cats_cap;
	drow *rows;
	size_t nrows, rows_cap, limit;
};

/*===========================================================================
 * MARK: - the state of one diff
 *===========================================================================*/

typedef struct upair {
	uint32_t i[2];             /* index in the old / new book, B2B__NONE when absent */
} upair;

/* Probe quantities of one book, by what an item's scope names. */
typedef struct qidx {
	uint32_t *sku_off;         /* nproducts + 1 */
	b2b_dec *sku_q;
	uint32_t *cat_off;         /* ncategories + 1 */
	b2b_dec *cat_q;
	b2b_dec *all_q;
	size_t nall;
	size_t nsku_q, ncat_q, all_cap;
	uint32_t *cat_by_path;     /* category nodes sorted by path */
} qidx;

/* A contract item's or a volume agreement's scope touching one customer. */
typedef struct ctouch {
	uint32_t u;                /* probed customer */
	int side;
	const b2b__scope *scope;
} ctouch;

/* Old book indexes → the new book's (row_same()). */
typedef struct xmap {
	uint32_t *list;            /* old list → new list (same id), B2B__NONE */
	uint32_t *cat;             /* old category node → new (same path) */
	uint32_t *cur;             /* old currency → new (same code) */
	uint32_t *tax;             /* old tax class → new (same text) */
	int ready;
} xmap;

typedef struct dstate {
	b2b_ctx *ctx;
	const b2b_allocator *a;
	const b2b_book *bk[2];
	const b2b_diff_options *o;
	b2b_diff *d;
	upair *prod;
	size_t nprod;
	upair *cust;
	size_t ncust;
	uint32_t *p2u[2], *c2u[2]; /* book index → union index (B2B__NONE: not probed) */
	qidx q[2];
	/* touches */
	int all;
	uint8_t *ptouch;           /* per union product: every customer */
	uint8_t *cfull;            /* per probed customer: every product */
	const char **catpaths;     /* category paths touched for every customer */
	size_t ncatpaths, catpaths_cap;
	ctouch *ct;
	size_t nct, ct_cap;
	/* a chunk of probes */
	uint32_t *pc[2], *pp[2], *pv;
	b2b_dec *pq, *price[2];
	int *prob[2];
	size_t n;
	uint32_t cur_u;
	/* the current customer's qty volume agreements (either book) and the
	 * quantities each gives: uq[ua[k].off .. ua[k].off + ua[k].n) */
	struct uagr {
		int side;
		uint32_t a;
		size_t off, n;
	} *ua;
	size_t nua, ua_cap;
	b2b_dec *uq;
	size_t nuq, uq_cap;
	/* the last customer whose probes were counted product by product: its
	 * agreements and quantities, and the count (customers of one segment
	 * with no volume rows share them) */
	struct uagr *sig_ua;
	size_t sig_nua, sig_ua_cap;
	b2b_dec *sig_uq;
	size_t sig_nuq, sig_uq_cap;
	uint64_t sig_count;
	int sig_ok;
	/* every product's probe quantities, computed once: qv[qoff[v] .. qoff[v + 1]) */
	size_t *qoff;
	b2b_dec *qv;
	size_t nqv, qv_cap;
	/* scratch */
	b2b_dec *qs;
	size_t qs_cap;
	uint32_t *catslot;         /* per union product: its slot of d->cats, or B2B__NONE */
	uint32_t *cat_order;
	size_t cat_order_cap;
	char *line;
	size_t line_cap;
	int cb_rc;
	xmap x;                    /* old → new indexes, for row_same() */
} dstate;

static void *
tmp_alloc(dstate *s, size_t n, size_t elem)
{
	if (n == 0)
		n = 1;
	if (elem != 0 && n > SIZE_MAX / elem)
		return NULL;
	return b2b__calloc(s->a, n, elem);
}

static void
tmp_free(dstate *s, void *p, size_t n, size_t elem)
{
	if (p != NULL)
		b2b__free(s->a, p, (n == 0 ? 1 : n) * elem);
}

static int
nomem(dstate *s)
{
	return b2b__ctx_seterr(s->ctx, B2B_ENOMEM, "b2b_book_diff: out of memory");
}

/*===========================================================================
 * MARK: - the union of products and customers
 *===========================================================================*/

static const char *
prod_sku(const b2b_book *b, uint32_t i)
{
	return b2b__s(b, b->products[i].sku);
}

static const char *
cust_id(const b2b_book *b, uint32_t i)
{
	return b2b__s(b, b->customers[i].id);
}

/* Merge two key-sorted tables into pairs; n0 + n1 entries at most. */
static size_t
merge_keys(upair *out, const b2b_book *const bk[2], size_t n0, size_t n1,
           const char *(*key)(const b2b_book *, uint32_t))
{
	size_t i = 0, j = 0, k = 0;

	while (i < n0 || j < n1) {
		int c = i >= n0 ? 1 : j >= n1 ? -1 : strcmp(key(bk[0], (uint32_t)i),
		                                             key(bk[1], (uint32_t)j));

		out[k].i[0] = c <= 0 ? (uint32_t)i++ : B2B__NONE;
		out[k].i[1] = c >= 0 ? (uint32_t)j++ : B2B__NONE;
		k++;
	}
	return k;
}

static int
cmp_cstr(const void *ctx, uint32_t x, uint32_t y)
{
	const char *const *v = ctx;
	return strcmp(v[x], v[y]);
}

static int
build_union(dstate *s)
{
	size_t k, t;
	int side, rc;

	s->prod = tmp_alloc(s, s->bk[0]->nproducts + s->bk[1]->nproducts, sizeof *s->prod);
	if (s->prod == NULL)
		return nomem(s);
	s->nprod = merge_keys(s->prod, s->bk, s->bk[0]->nproducts, s->bk[1]->nproducts,
	                      prod_sku);
	if (s->o->customers == NULL) {
		s->cust = tmp_alloc(s, s->bk[0]->ncustomers + s->bk[1]->ncustomers,
		                    sizeof *s->cust);
		if (s->cust == NULL)
			return nomem(s);
		s->ncust = merge_keys(s->cust, s->bk, s->bk[0]->ncustomers, s->bk[1]->ncustomers,
		                      cust_id);
	} else {
		/* the given customers, sorted by id, each once */
		uint32_t *perm = tmp_alloc(s, s->o->ncustomers, sizeof *perm);

		s->cust = tmp_alloc(s, s->o->ncustomers, sizeof *s->cust);
		if (perm == NULL || s->cust == NULL) {
			tmp_free(s, perm, s->o->ncustomers, sizeof *perm);
			return nomem(s);
		}
		for (k = 0; k < s->o->ncustomers; k++) {
			if (s->o->customers[k] == NULL) {
				tmp_free(s, perm, s->o->ncustomers, sizeof *perm);
				return b2b__ctx_seterr(s->ctx, B2B_EINVAL,
				                       "b2b_book_diff: customers[%zu] is NULL", k);
			}
			perm[k] = (uint32_t)k;
		}
		rc = b2b__sort_u32(s->a, perm, s->o->ncustomers, cmp_cstr, s->o->customers);
		for (k = 0; rc == 0 && k < s->o->ncustomers; k++) {
			const char *id = s->o->customers[perm[k]];

			if (s->ncust > 0 &&
			    strcmp(id, s->o->customers[perm[k - 1]]) == 0)
				continue;
			for (side = 0; side < 2; side++)
				s->cust[s->ncust].i[side] = b2b__book_customer(s->bk[side], id, strlen(id));
			if (s->cust[s->ncust].i[0] == B2B__NONE && s->cust[s->ncust].i[1] == B2B__NONE)
				rc = b2b__ctx_seterr(s->ctx, B2B_ENOTFOUND,
				                     "b2b_book_diff: customer '%s' is in neither book", id);
			s->ncust++;
		}
		tmp_free(s, perm, s->o->ncustomers, sizeof *perm);
		if (rc != 0)
			return rc == B2B_ENOMEM ? nomem(s) : rc;
	}
	for (side = 0; side < 2; side++) {
		const b2b_book *b = s->bk[side];

		s->p2u[side] = tmp_alloc(s, b->nproducts, sizeof(uint32_t));
		s->c2u[side] = tmp_alloc(s, b->ncustomers, sizeof(uint32_t));
		if (s->p2u[side] == NULL || s->c2u[side] == NULL)
			return nomem(s);
		for (t = 0; t < b->ncustomers; t++)
			s->c2u[side][t] = B2B__NONE;
		for (k = 0; k < s->nprod; k++)
			if (s->prod[k].i[side] != B2B__NONE)
				s->p2u[side][s->prod[k].i[side]] = (uint32_t)k;
		for (k = 0; k < s->ncust; k++)
			if (s->cust[k].i[side] != B2B__NONE)
				s->c2u[side][s->cust[k].i[side]] = (uint32_t)k;
	}
	return 0;
}

/*===========================================================================
 * MARK: - probe quantities (SPEC §13)
 *===========================================================================*/

static int
dec_lt_ctx(b2b_dec a, b2b_dec b)
{
	return b2b__dec_lt(a, b);
}

/* A quantity source: a scope and up to two quantities (0 = none). */
typedef struct qsrc {
	const b2b__scope *scope;
	b2b_dec q[2];
	int nq;
} qsrc;

/* The quantities item / promotion i of a book contributes. */
static int
qsrc_of(const b2b_book *b, int kind, size_t i, qsrc *out)
{
	const b2b_dec zero = b2b__dec_from_int(0), one = b2b__dec_from_int(1);

	out->nq = 0;
	if (kind == 0 || kind == 1) {
		const b2b__item *it = kind == 0 ? &b->items[i] : &b->citems[i];

		out->scope = &it->scope;
		if (!b2b__dec_lt(zero, it->min_qty))
			return 0;
		out->q[out->nq++] = it->min_qty;
		if (kind == 0 && it->list < b->nlists &&
		    b->lists[it->list].tier_mode == B2B__TIER_INCREMENTAL &&
		    b2b_dec_add(&out->q[out->nq], it->min_qty, one) == 0)
			out->nq++;
		return out->nq;
	}
	{
		const b2b__promo *p = &b->promos[i];

		out->scope = &p->scope;
		if (p->kind != B2B__PROMO_BUY_X_GET_Y || !p->buy_qty.set || !p->get_qty.set)
			return 0;
		if (b2b_dec_add(&out->q[0], p->buy_qty.v, p->get_qty.v) != 0)
			return 0;
		out->nq = 1;
		return 1;
	}
}

static int
cmp_cat_path(const void *ctx, uint32_t x, uint32_t y)
{
	const b2b_book *b = ctx;
	return strcmp(b2b__s(b, b->categories[x].path), b2b__s(b, b->categories[y].path));
}

static int
build_qidx(dstate *s, int side)
{
	const b2b_book *b = s->bk[side];
	qidx *q = &s->q[side];
	size_t nsrc[3] = { b->nitems, b->ncitems, b->npromos };
	size_t pass, kind, i, k;
	uint32_t *fill_s = NULL, *fill_c = NULL;

	q->sku_off = tmp_alloc(s, b->nproducts + 1, sizeof(uint32_t));
	q->cat_off = tmp_alloc(s, b->ncategories + 1, sizeof(uint32_t));
	q->cat_by_path = tmp_alloc(s, b->ncategories, sizeof(uint32_t));
	if (q->sku_off == NULL || q->cat_off == NULL || q->cat_by_path == NULL)
		return nomem(s);
	for (pass = 0; pass < 2; pass++) {
		for (kind = 0; kind < 3; kind++) {
			for (i = 0; i < nsrc[kind]; i++) {
				qsrc src;
				int j;

				if (qsrc_of(b, (int)kind, i, &src) == 0)
					continue;
				for (j = 0; j < src.nq; j++) {
					const b2b__scope *sc = src.scope;

					if (sc->kind == B2B__SCOPE_SKU) {
						if (sc->id >= b->nproducts)
							continue;
						if (pass == 0)
							q->sku_off[sc->id + 1]++;
						else
							q->sku_q[fill_s[sc->id]++] = src.q[j];
					} else if (sc->kind == B2B__SCOPE_CATEGORY) {
						if (sc->id >= b->ncategories)
							continue;
						if (pass == 0)
							q->cat_off[sc->id + 1]++;
						else
							q->cat_q[fill_c[sc->id]++] = src.q[j];
					} else if (pass == 0) {
						q->all_cap++;
					} else {
						q->all_q[q->nall++] = src.q[j];
					}
				}
			}
		}
		if (pass == 0) {
			for (k = 0; k < b->nproducts; k++)
				q->sku_off[k + 1] += q->sku_off[k];
			for (k = 0; k < b->ncategories; k++)
				q->cat_off[k + 1] += q->cat_off[k];
			q->nsku_q = q->sku_off[b->nproducts];
			q->ncat_q = q->cat_off[b->ncategories];
			q->sku_q = tmp_alloc(s, q->nsku_q, sizeof(b2b_dec));
			q->cat_q = tmp_alloc(s, q->ncat_q, sizeof(b2b_dec));
			q->all_q = tmp_alloc(s, q->all_cap, sizeof(b2b_dec));
			fill_s = tmp_alloc(s, b->nproducts, sizeof(uint32_t));
			fill_c = tmp_alloc(s, b->ncategories, sizeof(uint32_t));
			if (q->sku_q == NULL || q->cat_q == NULL || q->all_q == NULL ||
			    fill_s == NULL || fill_c == NULL) {
				tmp_free(s, fill_s, b->nproducts, sizeof(uint32_t));
				tmp_free(s, fill_c, b->ncategories, sizeof(uint32_t));
				return nomem(s);
			}
			memcpy(fill_s, q->sku_off, b->nproducts * sizeof(uint32_t));
			memcpy(fill_c, q->cat_off, b->ncategories * sizeof(uint32_t));
		}
	}
	tmp_free(s, fill_s, b->nproducts, sizeof(uint32_t));
	tmp_free(s, fill_c, b->ncategories, sizeof(uint32_t));
	for (k = 0; k < b->ncategories; k++)
		q->cat_by_path[k] = (uint32_t)k;
	if (b2b__sort_u32(s->a, q->cat_by_path, b->ncategories, cmp_cat_path, b) != 0)
		return nomem(s);
	return 0;
}

/* The category node of `path` in a book, or B2B__NONE. */
static uint32_t
cat_find(const dstate *s, int side, const char *path)
{
	const b2b_book *b = s->bk[side];
	size_t lo = 0, hi = b->ncategories;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		uint32_t c = s->q[side].cat_by_path[mid];
		int r = strcmp(b2b__s(b, b->categories[c].path), path);

		if (r == 0)
			return c;
		if (r < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return B2B__NONE;
}

/* The category path of union product v ("" when none): in the new book, else the old. */
static const char *
prod_cat_path(const dstate *s, uint32_t v, int side)
{
	uint32_t p = s->prod[v].i[side], c;
	const b2b_book *b = s->bk[side];

	if (p == B2B__NONE)
		return NULL;
	c = b->products[p].category;
	if (c == B2B__NONE || c >= b->ncategories)
		return "";
	return b2b__s(b, b->categories[c].path);
}

static int
qs_push(dstate *s, size_t *n, b2b_dec v)
{
	if (*n >= s->qs_cap &&
	    b2b__grow(s->a, (void **)&s->qs, &s->qs_cap, *n + 1, sizeof *s->qs) != 0)
		return nomem(s);
	s->qs[(*n)++] = v;
	return 0;
}

static int
qs_push_range(dstate *s, size_t *n, const b2b_dec *v, size_t off, size_t end)
{
	for (; off < end; off++)
		if (qs_push(s, n, v[off]) != 0)
			return B2B_ENOMEM;
	return 0;
}

/* What book `side` contributes to the quantities of a product in category node c. */
static int
qs_cat_chain(dstate *s, size_t *n, int side, uint32_t c)
{
	const b2b_book *b = s->bk[side];
	const qidx *q = &s->q[side];
	size_t hops = 0;

	for (; c != B2B__NONE && c < b->ncategories && hops <= b->ncategories;
	     c = b->categories[c].parent, hops++)
		if (qs_push_range(s, n, q->cat_q, q->cat_off[c], q->cat_off[c + 1]) != 0)
			return B2B_ENOMEM;
	return 0;
}

/* s->qs[0..*n) ascending, each once (insertion sort: a handful of breaks). */
static void
qs_sort_unique(dstate *s, size_t *n)
{
	size_t i, j, k;

	for (i = 1; i < *n; i++) {
		b2b_dec x = s->qs[i];

		for (j = i; j > 0 && dec_lt_ctx(x, s->qs[j - 1]); j--)
			s->qs[j] = s->qs[j - 1];
		s->qs[j] = x;
	}
	for (i = 0, k = 0; i < *n; i++)
		if (k == 0 || !b2b__dec_eq(s->qs[i], s->qs[k - 1]))
			s->qs[k++] = s->qs[i];
	*n = k;
}

/*
 * The probe quantities of union product v that do not depend on the
 * customer into s->qs[0..*n), ascending, each once. Those of the qty
 * volume agreements (SPEC §10) depend on it: pair_qtys() below.
 */
static int
probe_qtys(dstate *s, uint32_t v, size_t *n)
{
	int side;

	*n = 0;
	if (qs_push(s, n, b2b__dec_from_int(1)) != 0)
		return B2B_ENOMEM;
	for (side = 0; side < 2; side++) {
		const b2b_book *b = s->bk[side];
		const qidx *q = &s->q[side];
		uint32_t p = s->prod[v].i[side];

		if (p != B2B__NONE) {
			if (qs_push_range(s, n, q->sku_q, q->sku_off[p], q->sku_off[p + 1]) != 0 ||
			    qs_cat_chain(s, n, side, b->products[p].category) != 0)
				return B2B_ENOMEM;
		} else {
			const char *path = prod_cat_path(s, v, !side);

			if (path != NULL && path[0] != '\0' &&
			    qs_cat_chain(s, n, side, cat_find(s, side, path)) != 0)
				return B2B_ENOMEM;
		}
		if (qs_push_range(s, n, q->all_q, 0, q->nall) != 0)
			return B2B_ENOMEM;
	}
	qs_sort_unique(s, n);
	return 0;
}

/*
 * Quantities that depend on the customer as well (SPEC §13): for each
 * `qty` volume agreement whose party covers the customer (in its book,
 * any window) and whose scope matches the product, every threshold and
 * threshold − volume_to_date, those above 0 (no quantity ≤ 0 is a probe,
 * as no min_qty of 0 is; 1 always is). cust_agreements() gathers the
 * customer's agreements of both books with their quantities, once per
 * customer; pair_qtys() adds those whose scope matches each product.
 */
static int
uq_push(dstate *s, b2b_dec v)
{
	if (s->nuq >= s->uq_cap &&
	    b2b__grow(s->a, (void **)&s->uq, &s->uq_cap, s->nuq + 1, sizeof *s->uq) != 0)
		return nomem(s);
	s->uq[s->nuq++] = v;
	return 0;
}

static int
cust_agreements(dstate *s, uint32_t u)
{
	const b2b_dec zero = b2b__dec_from_int(0);
	int side, rc;

	s->nua = 0;
	s->nuq = 0;
	for (side = 0; side < 2; side++) {
		const b2b_book *b = s->bk[side];
		uint32_t c = s->cust[u].i[side], t;
		const uint32_t *ix;
		size_t n, k;

		if (c == B2B__NONE || b->nagreements == 0)
			continue;
		ix = b2b__vol_of_customer(b, c, &n);
		for (k = 0; k < n; k++) {
			const b2b__agreement *a = &b->agreements[ix[k]];
			b2b_dec vtd, d;
			struct uagr *g;

			if (a->basis != B2B__VA_BASIS_QTY || a->tiers_n == 0)
				continue;
			if (s->nua >= s->ua_cap &&
			    b2b__grow(s->a, (void **)&s->ua, &s->ua_cap, s->nua + 1, sizeof *s->ua) != 0)
				return nomem(s);
			g = &s->ua[s->nua++];
			g->side = side;
			g->a = ix[k];
			g->off = s->nuq;
			vtd = b2b__vol_to_date(b, c, ix[k]);
			for (t = 0; t < a->tiers_n; t++) {
				b2b_dec thr = b2b__vol_tier_at(b, a, t)->threshold;

				if (b2b__dec_lt(zero, thr) && (rc = uq_push(s, thr)) != 0)
					return rc;
				if (b2b_dec_sub(&d, thr, vtd) == 0 && b2b__dec_lt(zero, d) &&
				    (rc = uq_push(s, d)) != 0)
					return rc;
			}
			g->n = s->nuq - g->off;
		}
	}
	return 0;
}

/* Is `path` `under` or below it? */
static int
path_under(const char *path, const char *under)
{
	size_t len = strlen(under);

	return strncmp(path, under, len) == 0 && (path[len] == '\0' || path[len] == '/');
}

/*
 * Does the scope of agreement ai of book `side` match union product v? A
 * product that book lacks is matched by its category path in the other
 * book (so only a category or an `all` scope can match it).
 */
static int
agr_matches(const dstate *s, int side, uint32_t ai, uint32_t v)
{
	const b2b_book *b = s->bk[side];
	const b2b__scope *sc = &b->agreements[ai].scope;
	uint32_t p = s->prod[v].i[side];
	const char *path;

	if (p != B2B__NONE)
		return b2b__scope_matches(b, sc, p);
	switch (sc->kind) {
	case B2B__SCOPE_ALL:
		return 1;
	case B2B__SCOPE_CATEGORY:
		path = prod_cat_path(s, v, !side);
		return sc->id < b->ncategories && path != NULL &&
		       path_under(path, b2b__s(b, b->categories[sc->id].path));
	default:
		return 0;
	}
}

/*
 * The probe quantities of (the current customer, union product v): the
 * product's own (s->qv) when no agreement of the customer adds any, else
 * merged with them in s->qs. *q stays valid until the next call.
 */
static int
pair_qtys(dstate *s, uint32_t v, const b2b_dec **q, size_t *nq)
{
	size_t n = 0, base = s->qoff[v + 1] - s->qoff[v], k;
	int rc;

	*q = s->qv + s->qoff[v];
	*nq = base;
	for (k = 0; k < s->nua; k++) {
		const struct uagr *g = &s->ua[k];

		if (g->n == 0 || !agr_matches(s, g->side, g->a, v))
			continue;
		if (n == 0 && (rc = qs_push_range(s, &n, s->qv, s->qoff[v], s->qoff[v + 1])) != 0)
			return rc;
		if ((rc = qs_push_range(s, &n, s->uq, g->off, g->off + g->n)) != 0)
			return rc;
	}
	if (n == 0)
		return 0;
	qs_sort_unique(s, &n);
	*q = s->qs;
	*nq = n;
	return 0;
}

/*===========================================================================
 * MARK: - rows that differ, and what they touch
 *===========================================================================*/

static int
add_catpath(dstate *s, const char *path)
{
	if (s->ncatpaths >= s->catpaths_cap &&
	    b2b__grow(s->a, (void **)&s->catpaths, &s->catpaths_cap, s->ncatpaths + 1,
	              sizeof *s->catpaths) != 0)
		return nomem(s);
	s->catpaths[s->ncatpaths++] = path;
	return 0;
}

/* A scope of book `side` that touches every customer. */
static int
touch_scope(dstate *s, int side, const b2b__scope *sc)
{
	const b2b_book *b = s->bk[side];

	switch (sc->kind) {
	case B2B__SCOPE_SKU:
		/* an sku the book does not have prices nothing there */
		if (sc->id < b->nproducts)
			s->ptouch[s->p2u[side][sc->id]] = 1;
		return 0;
	case B2B__SCOPE_CATEGORY:
		if (sc->id < b->ncategories)
			return add_catpath(s, b2b__s(b, b->categories[sc->id].path));
		return 0;
	default:
		s->all = 1;
		return 0;
	}
}

static void
touch_customer(dstate *s, int side, uint32_t c)
{
	if (c < s->bk[side]->ncustomers && s->c2u[side][c] != B2B__NONE)
		s->cfull[s->c2u[side][c]] = 1;
}

/* Customer c (of book `side`) × the products of `scope` (of that book). */
static int
touch_customer_scope(dstate *s, int side, uint32_t c, const b2b__scope *scope)
{
	uint32_t u;

	if (c >= s->bk[side]->ncustomers || (u = s->c2u[side][c]) == B2B__NONE || s->cfull[u])
		return 0;
	if (scope->kind == B2B__SCOPE_ALL) {
		s->cfull[u] = 1;
		return 0;
	}
	if (s->nct >= s->ct_cap &&
	    b2b__grow(s->a, (void **)&s->ct, &s->ct_cap, s->nct + 1, sizeof *s->ct) != 0)
		return nomem(s);
	s->ct[s->nct].u = u;
	s->ct[s->nct].side = side;
	s->ct[s->nct].scope = scope;
	s->nct++;
	return 0;
}

/*
 * A volume agreement of book `side` (SPEC §10): the customers of its
 * party × the products of its scope, or, for a customer volume row, that
 * customer alone (B2B__NONE: every customer of the party). Its window is
 * not looked at: the row differs, whatever the date.
 */
static int
touch_agreement(dstate *s, int side, uint32_t ai, uint32_t customer)
{
	const b2b_book *b = s->bk[side];
	const b2b__agreement *a;
	uint32_t c;
	int rc;

	if (ai >= b->nagreements)
		return 0;
	a = &b->agreements[ai];
	if (customer != B2B__NONE)
		return touch_customer_scope(s, side, customer, &a->scope);
	if (a->party_kind == B2B__VA_PARTY_CUSTOMER)
		return touch_customer_scope(s, side, a->customer, &a->scope);
	for (c = 0; c < b->ncustomers; c++)
		if (a->party != 0 && b->customers[c].segment == a->party &&
		    (rc = touch_customer_scope(s, side, c, &a->scope)) != 0)
			return rc;
	return 0;
}

/* What row i of `table` in book `side`, which the other book lacks, touches. */
static int
touch_row(dstate *s, int side, int table, size_t i)
{
	const b2b_book *b = s->bk[side];

	switch (table) {
	case B2B__FPT_PRODUCTS:
		s->ptouch[s->p2u[side][i]] = 1;
		return 0;
	case B2B__FPT_CUSTOMERS:
		touch_customer(s, side, (uint32_t)i);
		return 0;
	case B2B__FPT_ITEMS:
		return touch_scope(s, side, &b->items[i].scope);
	case B2B__FPT_RULES:
		return touch_scope(s, side, &b->rules[i].scope);
	case B2B__FPT_PROMOS:
		if (b->promos[i].kind == B2B__PROMO_ORDER_PERCENT ||
		    b->promos[i].kind == B2B__PROMO_ORDER_AMOUNT)
			return 0;
		return touch_scope(s, side, &b->promos[i].scope);
	case B2B__FPT_CONTRACTS:
		touch_customer(s, side, b->contracts[i].customer);
		return 0;
	case B2B__FPT_CITEMS: {
		const b2b__item *it = &b->citems[i];

		if (it->list >= b->ncontracts)
			return 0;
		return touch_customer_scope(s, side, b->contracts[it->list].customer, &it->scope);
	}
	case B2B__FPT_AGREEMENTS:
		return touch_agreement(s, side, (uint32_t)i, B2B__NONE);
	case B2B__FPT_CVOLUMES:
		return touch_agreement(s, side, b->cvolumes[i].agreement, b->cvolumes[i].customer);
	case B2B__FPT_TAXES:
	case B2B__FPT_APPROVALS:
		return 0;
	default:
		/* settings, currencies, FX rates, price lists */
		s->all = 1;
		return 0;
	}
}

/*
 * Equal rows without their canonical text, for the two big tables
 * (products, list items): field by field, keys through the maps from the
 * old book's indexes to the new one's. 1 means the rows' canonical lines
 * are equal; 0 that they may differ (the hashes then decide), so a field
 * compared too strictly only costs time.
 */
static int
opt_same(const b2b__opt *a, const b2b__opt *b)
{
	return a->set == b->set && (!a->set || b2b__dec_eq(a->v, b->v));
}

static int
str_same_(const b2b_book *b0, b2b__str x, const b2b_book *b1, b2b__str y)
{
	if (x == 0 || y == 0)
		return x == y;
	return strcmp(b2b__s(b0, x), b2b__s(b1, y)) == 0;
}

static int
window_same(const b2b__window *a, const b2b__window *b)
{
	return a->from == b->from && a->until == b->until && a->from_form == b->from_form &&
	       a->until_form == b->until_form;
}

static int
xmap_build(dstate *s, xmap *x)
{
	const b2b_book *b0 = s->bk[0], *b1 = s->bk[1];
	size_t i;

	x->list = tmp_alloc(s, b0->nlists, sizeof *x->list);
	x->cat = tmp_alloc(s, b0->ncategories, sizeof *x->cat);
	x->cur = tmp_alloc(s, b0->ncurrencies, sizeof *x->cur);
	x->tax = tmp_alloc(s, b0->ntax_classes, sizeof *x->tax);
	if (x->list == NULL || x->cat == NULL || x->cur == NULL || x->tax == NULL)
		return nomem(s);
	for (i = 0; i < b0->nlists; i++) {
		const char *id = b2b__s(b0, b0->lists[i].id);

		x->list[i] = b2b__book_list(b1, id, strlen(id));
	}
	for (i = 0; i < b0->ncategories; i++)
		x->cat[i] = cat_find(s, 1, b2b__s(b0, b0->categories[i].path));
	for (i = 0; i < b0->ncurrencies; i++)
		x->cur[i] = b2b__book_currency(b1, b0->currencies[i].code,
		                               strlen(b0->currencies[i].code));
	for (i = 0; i < b0->ntax_classes; i++) {
		size_t k;

		x->tax[i] = B2B__NONE;
		for (k = 0; k < b1->ntax_classes; k++)
			if (strcmp(b2b__s(b0, b0->tax_classes[i]), b2b__s(b1, b1->tax_classes[k])) == 0)
				x->tax[i] = (uint32_t)k;
	}
	x->ready = 1;
	return 0;
}

static void
xmap_free(dstate *s, xmap *x)
{
	tmp_free(s, x->list, s->bk[0]->nlists, sizeof *x->list);
	tmp_free(s, x->cat, s->bk[0]->ncategories, sizeof *x->cat);
	tmp_free(s, x->cur, s->bk[0]->ncurrencies, sizeof *x->cur);
	tmp_free(s, x->tax, s->bk[0]->ntax_classes, sizeof *x->tax);
}

static int
cat_same(const xmap *x, const b2b_book *b0, uint32_t c0, const b2b_book *b1, uint32_t c1)
{
	if (c0 == B2B__NONE || c0 >= b0->ncategories || c1 == B2B__NONE || c1 >= b1->ncategories)
		return c0 == B2B__NONE && c1 == B2B__NONE;
	return x->cat[c0] == c1;
}

static int
product_same(const dstate *s, const xmap *x, size_t i0, size_t i1)
{
	const b2b_book *b0 = s->bk[0], *b1 = s->bk[1];
	const b2b__product *p = &b0->products[i0], *q = &b1->products[i1];
	const b2b__product_ext *e, *f;

	if (s->p2u[0][i0] != s->p2u[1][i1] ||      /* the same sku */
	    !b2b__dec_eq(p->list_price, q->list_price) || p->flags != q->flags ||
	    ((p->flags & B2B__P_HAS_COST) && !b2b__dec_eq(p->cost, q->cost)) ||
	    p->currency >= b0->ncurrencies || x->cur[p->currency] != q->currency ||
	    !cat_same(x, b0, p->category, b1, q->category))
		return 0;
	if (p->tax_class == UINT16_MAX || q->tax_class == UINT16_MAX) {
		if (p->tax_class != q->tax_class)
			return 0;
	} else if (p->tax_class >= b0->ntax_classes || x->tax[p->tax_class] != q->tax_class) {
		return 0;
	}
	if (!str_same_(b0, p->name, b1, q->name))
		return 0;
	if (p->ext == B2B__NONE && q->ext == B2B__NONE)
		return 1;
	e = b2b__book_product_ext(b0, p);
	f = b2b__book_product_ext(b1, q);
	return str_same_(b0, e->uom, b1, f->uom) && opt_same(&e->pack_size, &f->pack_size) &&
	       opt_same(&e->min_qty, &f->min_qty) && opt_same(&e->max_qty, &f->max_qty) &&
	       opt_same(&e->on_hand, &f->on_hand) && opt_same(&e->daily_demand, &f->daily_demand) &&
	       opt_same(&e->baseline_demand, &f->baseline_demand) &&
	       opt_same(&e->competitor_price, &f->competitor_price) &&
	       opt_same(&e->prev_price, &f->prev_price);
}

static int
item_same(const dstate *s, const xmap *x, size_t i0, size_t i1)
{
	const b2b_book *b0 = s->bk[0], *b1 = s->bk[1];
	const b2b__item *a = &b0->items[i0], *b = &b1->items[i1];
	const b2b__item_ext *e, *f;

	if (a->list >= b0->nlists || x->list[a->list] != b->list ||
	    a->scope.kind != b->scope.kind || !b2b__dec_eq(a->min_qty, b->min_qty) ||
	    a->compute != b->compute || a->base != b->base || a->price_set != b->price_set ||
	    (a->price_set && !b2b__dec_eq(a->price, b->price)))
		return 0;
	if (a->ext != B2B__NONE || b->ext != B2B__NONE) {
		e = b2b__book_item_ext(b0, a);
		f = b2b__book_item_ext(b1, b);
		if (!window_same(&e->window, &f->window) ||
		    !opt_same(&e->discount_percent, &f->discount_percent) ||
		    !opt_same(&e->surcharge, &f->surcharge) || !opt_same(&e->round_to, &f->round_to) ||
		    !opt_same(&e->min_margin, &f->min_margin) ||
		    !opt_same(&e->max_margin, &f->max_margin))
			return 0;
	}
	if (a->base == B2B__BASE_LIST_ID &&
	    (a->base_list >= b0->nlists || x->list[a->base_list] != b->base_list))
		return 0;
	switch (a->scope.kind) {
	case B2B__SCOPE_SKU:
		if (a->scope.id < b0->nproducts && b->scope.id < b1->nproducts)
			return s->p2u[0][a->scope.id] == s->p2u[1][b->scope.id];
		return 0;
	case B2B__SCOPE_CATEGORY:
		return cat_same(x, b0, a->scope.id, b1, b->scope.id);
	default:
		return 1;
	}
}

/* Rows i0 of the old book and i1 of the new are equal (1), or may differ (0). */
static int
row_same(const dstate *s, const xmap *x, int table, size_t i0, size_t i1)
{
	if (table == B2B__FPT_PRODUCTS)
		return product_same(s, x, i0, i1);
	return item_same(s, x, i0, i1);
}

/*
 * The rows of `table` that one book has and the other lacks (a changed
 * row is both), by their hashes: the common head and tail in array
 * order are equal rows; what is left is compared as two multisets
 * (sorted by hash and merged).
 */
static int
diff_table(dstate *s, int table)
{
	size_t n[2] = { 0, 0 }, lo, hi[2], m[2] = { 0, 0 }, i, j, mx = 0, base = 0, nh[2];
	uint64_t *h[2] = { NULL, NULL };
	b2b__rkey *srt[2] = { NULL, NULL }, *tmp = NULL;
	int side, rc = 0;

	n[0] = b2b__fp_rows(s->bk[0], table);
	n[1] = b2b__fp_rows(s->bk[1], table);
	lo = 0;
	hi[0] = n[0];
	hi[1] = n[1];
	if (table == B2B__FPT_PRODUCTS || table == B2B__FPT_ITEMS) {
		/* the equal head and tail, field by field: no text for them */
		if (!s->x.ready && (rc = xmap_build(s, &s->x)) != 0)
			return rc;
		while (lo < n[0] && lo < n[1] && row_same(s, &s->x, table, lo, lo))
			lo++;
		while (hi[0] > lo && hi[1] > lo && row_same(s, &s->x, table, hi[0] - 1, hi[1] - 1)) {
			hi[0]--;
			hi[1]--;
		}
	}
	for (side = 0; side < 2; side++) {
		size_t k = nh[side] = hi[side] - lo;

		/* filled whole below: no need to zero (pages of a large block stay
		 * untouched until written); h[side][j] is row lo + j */
		h[side] = b2b__malloc(s->a, (k == 0 ? 1 : k) * sizeof(uint64_t));
		if (h[side] == NULL) {
			rc = nomem(s);
			goto out;
		}
		if ((rc = b2b__fp_row_hashes(s->bk[side], table, lo, k, h[side])) != 0) {
			rc = b2b__ctx_seterr(s->ctx, rc, "b2b_book_diff: a row cannot be compared (%s)",
			                     b2b_strerror(rc));
			goto out;
		}
	}
	{
		size_t h0 = 0, t0 = hi[0] - lo, t1 = hi[1] - lo;

		while (h0 < t0 && h0 < t1 && h[0][h0] == h[1][h0])
			h0++;
		while (t0 > h0 && t1 > h0 && h[0][t0 - 1] == h[1][t1 - 1]) {
			t0--;
			t1--;
		}
		/* from here, row r of the book is h[side][r - base] */
		base = lo;
		lo += h0;
		hi[0] = base + t0;
		hi[1] = base + t1;
	}
	m[0] = hi[0] - lo;
	m[1] = hi[1] - lo;
	mx = m[0] > m[1] ? m[0] : m[1];
	if ((m[0] == 0 && m[1] == 0) || s->all)
		goto out;   /* nothing differs, or everything is priced anyway */
	tmp = b2b__malloc(s->a, (mx == 0 ? 1 : mx) * sizeof *tmp);
	for (side = 0; side < 2; side++) {
		srt[side] = b2b__malloc(s->a, (m[side] == 0 ? 1 : m[side]) * sizeof *srt[side]);
		if (srt[side] == NULL || tmp == NULL) {
			rc = nomem(s);
			goto out;
		}
		for (i = 0; i < m[side]; i++) {
			srt[side][i].k = h[side][lo + i - base];
			srt[side][i].i = (uint32_t)(lo + i);   /* a row index of the book: < 2^32 */
			srt[side][i].pad = 0;
		}
		if (m[side] != 0) {
			/* rows by hash; the sort may leave its result in tmp */
			b2b__rkey *r = b2b__radix_sort_u64(srt[side], tmp, m[side]);

			if (r != srt[side])
				memcpy(srt[side], r, m[side] * sizeof *r);
		}
	}
	/* the multiset difference of the sorted middles: what is left over */
	i = j = 0;
	while (rc == 0 && !s->all && (i < m[0] || j < m[1])) {
		if (j >= m[1] || (i < m[0] && srt[0][i].k < srt[1][j].k))
			rc = touch_row(s, 0, table, (size_t)srt[0][i++].i);
		else if (i >= m[0] || srt[1][j].k < srt[0][i].k)
			rc = touch_row(s, 1, table, (size_t)srt[1][j++].i);
		else {
			i++;
			j++;
		}
	}
out:
	for (side = 0; side < 2; side++) {
		if (h[side] != NULL)
			b2b__free(s->a, h[side], (nh[side] == 0 ? 1 : nh[side]) * sizeof(uint64_t));
		if (srt[side] != NULL)
			b2b__free(s->a, srt[side], (m[side] == 0 ? 1 : m[side]) * sizeof *srt[side]);
	}
	if (tmp != NULL)
		b2b__free(s->a, tmp, (mx == 0 ? 1 : mx) * sizeof *tmp);
	return rc;
}

/* Is union product v under category `path` (in either book)? */
static int
prod_under(const dstate *s, uint32_t v, const char *path)
{
	size_t len = strlen(path);
	int side;

	for (side = 0; side < 2; side++) {
		const char *p = prod_cat_path(s, v, side);

		if (p != NULL && strncmp(p, path, len) == 0 && (p[len] == '\0' || p[len] == '/'))
			return 1;
	}
	return 0;
}

/* Does a touching scope (of book `side`) match union product v? */
static int
ct_matches(const dstate *s, const ctouch *t, uint32_t v)
{
	const b2b_book *b = s->bk[t->side];

	if (t->scope->kind == B2B__SCOPE_SKU)
		return t->scope->id < b->nproducts && s->p2u[t->side][t->scope->id] == v;
	if (t->scope->kind == B2B__SCOPE_CATEGORY)
		return t->scope->id < b->ncategories &&
		       prod_under(s, v, b2b__s(b, b->categories[t->scope->id].path));
	return 1;
}

/*===========================================================================
 * MARK: - rows out
 *===========================================================================*/

static int
line_put(dstate *s, size_t *len, const char *t, size_t n)
{
	if (*len + n + 1 > s->line_cap &&
	    b2b__grow(s->a, (void **)&s->line, &s->line_cap, *len + n + 1, 1) != 0)
		return nomem(s);
	memcpy(s->line + *len, t, n);
	*len += n;
	return 0;
}

/* A CSV field: quoted when it holds a comma, a quote or a line break. */
static int
line_field(dstate *s, size_t *len, const char *t, int last)
{
	int rc = 0;

	if (strpbrk(t, ",\"\r\n") != NULL) {
		rc = line_put(s, len, "\"", 1);
		for (; rc == 0 && *t != '\0'; t++)
			rc = line_put(s, len, t, 1) || (*t == '"' ? line_put(s, len, "\"", 1) : 0);
		if (rc == 0)
			rc = line_put(s, len, "\"", 1);
	} else {
		rc = line_put(s, len, t, strlen(t));
	}
	if (rc == 0)
		rc = line_put(s, len, last ? "\n" : ",", 1);
	return rc != 0 ? B2B_ENOMEM : 0;
}

static int
csv_row(dstate *s, const drow *r)
{
	char buf[3][B2B_DEC_FORMAT_MAX];
	const char *side[2];
	size_t len = 0;
	int k, rc;

	for (k = 0; k < 2; k++) {
		side[k] = r->err[k];
		if (side[k] == NULL) {
			if (b2b_dec_format(buf[k], sizeof buf[k], NULL, r->price[k], s->d->upd[k],
			                   s->d->mode[k]) < 0)
				return b2b__ctx_seterr(s->ctx, B2B_EOVERFLOW, "b2b_book_diff: a price");
			side[k] = buf[k];
		}
	}
	if (r->has_pct &&
	    b2b_dec_format(buf[2], sizeof buf[2], NULL, r->pct, 2, s->d->mode[1]) < 0)
		return b2b__ctx_seterr(s->ctx, B2B_EOVERFLOW, "b2b_book_diff: a percentage");
	{
		char qb[B2B_DEC_FORMAT_MAX];

		if (b2b_dec_format(qb, sizeof qb, NULL, r->qty, B2B_DEC_SCALE_EXACT,
		                   B2B_ROUND_HALF_UP) < 0)
			return b2b__ctx_seterr(s->ctx, B2B_EOVERFLOW, "b2b_book_diff: a quantity");
		if ((rc = line_field(s, &len, r->customer, 0)) != 0 ||
		    (rc = line_field(s, &len, r->sku, 0)) != 0 ||
		    (rc = line_field(s, &len, qb, 0)) != 0 ||
		    (rc = line_field(s, &len, side[0], 0)) != 0 ||
		    (rc = line_field(s, &len, side[1], 0)) != 0 ||
		    (rc = line_field(s, &len, r->has_pct ? buf[2] : "", 1)) != 0)
			return rc;
	}
	rc = s->o->csv(s->o->csv_user, s->line, len);
	if (rc != 0)
		s->cb_rc = rc;
	return rc;
}

/*
 * The category of union product v for by_category: a slot of d->cats,
 * which grows in the order categories are met (slots stay put, so each
 * product's is kept in s->catslot); s->cat_order holds the slots sorted by
 * name, for the look-up, and sort_cats() puts d->cats in that order at
 * the end.
 */
static int
cat_slot(dstate *s, uint32_t v, size_t *slot)
{
	b2b_diff *d = s->d;
	const char *path, *e;
	size_t len, lo = 0, hi = d->ncats, k;

	if (s->catslot[v] != B2B__NONE) {
		*slot = s->catslot[v];
		return 0;
	}
	path = prod_cat_path(s, v, 1);
	if (path == NULL)
		path = prod_cat_path(s, v, 0);
	if (path == NULL)
		path = "";
	e = strchr(path, '/');
	len = e != NULL ? (size_t)(e - path) : strlen(path);
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *name = d->cats[s->cat_order[mid]].name;
		int r = strncmp(name, path, len);

		if (r == 0 && name[len] != '\0')
			r = 1;
		if (r == 0) {
			*slot = s->catslot[v] = s->cat_order[mid];
			return 0;
		}
		if (r < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (d->ncats >= d->cats_cap &&
	    b2b__arena_grow(s->ctx, (void **)&d->cats, &d->cats_cap, d->ncats + 1,
	                    sizeof *d->cats) != 0)
		return nomem(s);
	if (d->ncats >= s->cat_order_cap &&
	    b2b__grow(s->a, (void **)&s->cat_order, &s->cat_order_cap, d->ncats + 1,
	              sizeof *s->cat_order) != 0)
		return nomem(s);
	memset(&d->cats[d->ncats], 0, sizeof d->cats[d->ncats]);
	if ((d->cats[d->ncats].name = b2b__ctx_strndup(s->ctx, path, len)) == NULL)
		return nomem(s);
	for (k = d->ncats; k > lo; k--)
		s->cat_order[k] = s->cat_order[k - 1];
	s->cat_order[lo] = (uint32_t)d->ncats;
	*slot = s->catslot[v] = (uint32_t)d->ncats;
	d->ncats++;
	return 0;
}

/* d->cats in name order (cat_slot's slots are no longer used). */
static int
sort_cats(dstate *s)
{
	b2b_diff *d = s->d;
	dcat *sorted;
	size_t k;

	if (d->ncats == 0)
		return 0;
	sorted = b2b__arena_calloc(s->ctx, d->ncats, sizeof *sorted);
	if (sorted == NULL)
		return nomem(s);
	for (k = 0; k < d->ncats; k++)
		sorted[k] = d->cats[s->cat_order[k]];
	d->cats = sorted;
	d->cats_cap = d->ncats;
	return 0;
}

/*
 * (new − old) ÷ old × 100 at 2 decimals with `mode`, one rounding: on
 * 128-bit coefficients when they are small (every price in practice),
 * else through b2b_dec_*. old ≠ 0.
 */
static int
change_percent(b2b_dec *out, b2b_dec old, b2b_dec new_, b2b_rounding mode)
{
	b2b__i128 o = b2b__dec_to_i128(old), n = b2b__dec_to_i128(new_), dl = n - o;
	b2b_dec delta, x;

	if (o > 0 && n >= 0 && o < ((b2b__i128)1 << 62) && n < ((b2b__i128)1 << 62)) {
		int neg = dl < 0;
		b2b__u128 a = (b2b__u128)(neg ? -dl : dl) * 10000u, q = a / (b2b__u128)o;
		b2b__u128 r = a % (b2b__u128)o;

		q += (b2b__u128)b2b__round_inc((int)(q & 1u), r, (b2b__u128)o, neg, mode);
		*out = b2b__dec_from_i128(neg ? -(b2b__i128)(q * 10000000u)
		                              : (b2b__i128)(q * 10000000u));
		return 0;
	}
	if (b2b_dec_sub(&delta, new_, old) != 0 ||
	    b2b_dec_mul(&x, delta, b2b__dec_from_int(100), B2B_DEC_SCALE, mode) != 0)
		return B2B_EOVERFLOW;
	return b2b_dec_div(out, x, old, 2, mode);
}

/* Compare the priced chunk and emit its changed probes. */
static int
flush_chunk(dstate *s)
{
	b2b_diff *d = s->d;
	size_t i;
	int side, rc;

	if (s->n == 0)
		return 0;
	for (side = 0; side < 2; side++) {
		rc = b2b_price_batch(s->price[side], s->prob[side], s->ctx, s->bk[side], s->pc[side],
		                     s->pp[side], s->pq, s->n, NULL, s->o->as_of);
		if (rc != 0)
			return rc;
	}
	d->count[B2B_DIFF_PRICED] += s->n;
	for (i = 0; i < s->n; i++) {
		int ok0 = s->prob[0][i] == B2B_BATCH_OK, ok1 = s->prob[1][i] == B2B_BATCH_OK, c = 0;
		drow r;
		size_t slot = 0;

		if (!ok0 && !ok1)
			continue;
		if (ok0 && ok1 && (c = b2b_dec_cmp(s->price[1][i], s->price[0][i])) == 0)
			continue;
		d->count[B2B_DIFF_CHANGED]++;
		if ((rc = cat_slot(s, s->pv[i], &slot)) != 0)
			return rc;
		d->cats[slot].changed++;
		memset(&r, 0, sizeof r);
		if (!ok1) {
			d->count[B2B_DIFF_NOW_UNPRICED]++;
		} else if (!ok0) {
			d->count[B2B_DIFF_NOW_PRICED]++;
		} else if (c > 0) {
			d->count[B2B_DIFF_RAISED]++;
			d->cats[slot].raised++;
		} else {
			d->count[B2B_DIFF_LOWERED]++;
			d->cats[slot].lowered++;
		}
		for (side = 0; side < 2; side++) {
			r.err[side] = s->prob[side][i] == B2B_BATCH_OK
			            ? NULL : b2b_batch_problem_name((b2b_batch_problem)s->prob[side][i]);
			r.price[side] = s->price[side][i];
		}
		if (ok0 && ok1 && !b2b__dec_is_zero(r.price[0])) {
			if (change_percent(&r.pct, r.price[0], r.price[1], d->mode[1]) == 0) {
				int dir = b2b_dec_sign(r.pct);

				r.has_pct = 1;
				if (dir > 0 && (!d->has_max[0] || b2b_dec_cmp(r.pct, d->max[0]) > 0)) {
					d->has_max[0] = 1;
					d->max[0] = r.pct;
				} else if (dir < 0 &&
				           (!d->has_max[1] || b2b_dec_cmp(r.pct, d->max[1]) < 0)) {
					d->has_max[1] = 1;
					d->max[1] = r.pct;
				}
			}
		}
		{
			upair cu = s->cust[s->cur_u], pu = s->prod[s->pv[i]];

			r.customer = cu.i[1] != B2B__NONE ? cust_id(s->bk[1], cu.i[1])
			                                  : cust_id(s->bk[0], cu.i[0]);
			r.sku = pu.i[1] != B2B__NONE ? prod_sku(s->bk[1], pu.i[1])
			                             : prod_sku(s->bk[0], pu.i[0]);
		}
		r.qty = s->pq[i];
		if (s->o->csv != NULL && (rc = csv_row(s, &r)) != 0)
			return rc;
		if (d->nrows < d->limit) {
			drow *k;

			/* the kept rows grow in the arena as they come */
			if (d->nrows >= d->rows_cap &&
			    b2b__arena_grow(s->ctx, (void **)&d->rows, &d->rows_cap, d->nrows + 1,
			                    sizeof *d->rows) != 0)
				return nomem(s);
			k = &d->rows[d->nrows];

			*k = r;
			k->customer = b2b__ctx_strndup(s->ctx, r.customer, strlen(r.customer));
			k->sku = b2b__ctx_strndup(s->ctx, r.sku, strlen(r.sku));
			if (k->customer == NULL || k->sku == NULL)
				return nomem(s);
			d->nrows++;
		}
	}
	s->n = 0;
	return 0;
}

/* Queue the probes q[0..nq) of (customer u, product v). */
static int
queue_qtys(dstate *s, uint32_t u, uint32_t v, const b2b_dec *q, size_t nq)
{
	size_t k;
	int side, rc;

	for (k = 0; k < nq; k++) {
		if (s->n == DIFF_CHUNK && (rc = flush_chunk(s)) != 0)
			return rc;
		for (side = 0; side < 2; side++) {
			s->pc[side][s->n] = s->cust[u].i[side];
			s->pp[side][s->n] = s->prod[v].i[side];
		}
		s->pv[s->n] = v;
		s->pq[s->n] = q[k];
		s->n++;
	}
	return 0;
}

/* Queue the probes of (customer u, product v); cust_agreements(s, u) was called. */
static int
queue_pair(dstate *s, uint32_t u, uint32_t v)
{
	const b2b_dec *q;
	size_t nq;
	int rc;

	if (s->nua == 0)
		return queue_qtys(s, u, v, s->qv + s->qoff[v], s->qoff[v + 1] - s->qoff[v]);
	if ((rc = pair_qtys(s, v, &q, &nq)) != 0)
		return rc;
	return queue_qtys(s, u, v, q, nq);
}

/* Are the current customer's agreements and quantities those of the last one counted? */
static int
sig_same(const dstate *s)
{
	size_t k;

	if (!s->sig_ok || s->sig_nua != s->nua || s->sig_nuq != s->nuq)
		return 0;
	for (k = 0; k < s->nua; k++)
		if (s->sig_ua[k].side != s->ua[k].side || s->sig_ua[k].a != s->ua[k].a ||
		    s->sig_ua[k].off != s->ua[k].off || s->sig_ua[k].n != s->ua[k].n)
			return 0;
	for (k = 0; k < s->nuq; k++)
		if (!b2b__dec_eq(s->sig_uq[k], s->uq[k]))
			return 0;
	return 1;
}

/* The probes of the current customer, which has qty agreements (s->nua > 0). */
static int
cust_probes(dstate *s, uint64_t *count)
{
	size_t v, nq;
	const b2b_dec *q;
	int rc;

	if (sig_same(s)) {
		*count = s->sig_count;
		return 0;
	}
	*count = 0;
	for (v = 0; v < s->nprod; v++) {
		if ((rc = pair_qtys(s, (uint32_t)v, &q, &nq)) != 0)
			return rc;
		*count += nq;
	}
	s->sig_ok = 0;
	if ((s->nua > s->sig_ua_cap &&
	     b2b__grow(s->a, (void **)&s->sig_ua, &s->sig_ua_cap, s->nua, sizeof *s->sig_ua) != 0) ||
	    (s->nuq > s->sig_uq_cap &&
	     b2b__grow(s->a, (void **)&s->sig_uq, &s->sig_uq_cap, s->nuq, sizeof *s->sig_uq) != 0))
		return nomem(s);
	memcpy(s->sig_ua, s->ua, s->nua * sizeof *s->ua);
	if (s->nuq > 0)
		memcpy(s->sig_uq, s->uq, s->nuq * sizeof *s->uq);
	s->sig_nua = s->nua;
	s->sig_nuq = s->nuq;
	s->sig_count = *count;
	s->sig_ok = 1;
	return 0;
}

/*===========================================================================
 * MARK: - the diff
 *===========================================================================*/

static int
cmp_ct(const void *ctx, uint32_t x, uint32_t y)
{
	const ctouch *t = ctx;
	return t[x].u < t[y].u ? -1 : t[x].u > t[y].u ? 1 : (x > y) - (x < y);
}

static int
run(dstate *s, int price_all)
{
	static const int tables[] = {
		B2B__FPT_SETTINGS, B2B__FPT_CURRENCIES, B2B__FPT_FX, B2B__FPT_LISTS,
		B2B__FPT_PRODUCTS, B2B__FPT_CUSTOMERS, B2B__FPT_ITEMS, B2B__FPT_CONTRACTS,
		B2B__FPT_CITEMS, B2B__FPT_RULES, B2B__FPT_PROMOS, B2B__FPT_AGREEMENTS,
		B2B__FPT_CVOLUMES,
	};
	uint32_t *touched = NULL, *ctord = NULL;
	size_t ntouched = 0, k, v, ci = 0;
	uint64_t per_customer = 0;
	int side, rc;
	uint32_t u;

	if ((rc = build_union(s)) != 0)
		return rc;
	for (side = 0; side < 2; side++)
		if ((rc = build_qidx(s, side)) != 0)
			return rc;
	s->catslot = tmp_alloc(s, s->nprod, sizeof *s->catslot);
	if (s->catslot == NULL)
		return nomem(s);
	memset(s->catslot, 0xff, s->nprod * sizeof *s->catslot);
	s->ptouch = tmp_alloc(s, s->nprod, 1);
	s->cfull = tmp_alloc(s, s->ncust, 1);
	if (s->ptouch == NULL || s->cfull == NULL)
		return nomem(s);
	s->all = price_all;
	for (k = 0; k < sizeof tables / sizeof *tables && !s->all; k++)
		if ((rc = diff_table(s, tables[k])) != 0)
			return rc;
	/* the probes of every product that do not depend on the customer */
	s->qoff = tmp_alloc(s, s->nprod + 1, sizeof *s->qoff);
	if (s->qoff == NULL)
		return nomem(s);
	for (v = 0; v < s->nprod; v++) {
		size_t nq;

		if ((rc = probe_qtys(s, (uint32_t)v, &nq)) != 0)
			return rc;
		if (s->nqv + nq > s->qv_cap &&
		    b2b__grow(s->a, (void **)&s->qv, &s->qv_cap, s->nqv + nq, sizeof *s->qv) != 0)
			return nomem(s);
		memcpy(s->qv + s->nqv, s->qs, nq * sizeof *s->qv);
		s->nqv += nq;
		s->qoff[v + 1] = s->nqv;
		per_customer += nq;
		if (!s->ptouch[v] && s->ncatpaths != 0)
			for (k = 0; k < s->ncatpaths; k++)
				if (prod_under(s, (uint32_t)v, s->catpaths[k])) {
					s->ptouch[v] = 1;
					break;
				}
	}
	touched = tmp_alloc(s, s->nprod, sizeof *touched);
	ctord = tmp_alloc(s, s->nct, sizeof *ctord);
	for (side = 0; side < 2; side++) {
		s->pc[side] = tmp_alloc(s, DIFF_CHUNK, sizeof(uint32_t));
		s->pp[side] = tmp_alloc(s, DIFF_CHUNK, sizeof(uint32_t));
		s->price[side] = tmp_alloc(s, DIFF_CHUNK, sizeof(b2b_dec));
		s->prob[side] = tmp_alloc(s, DIFF_CHUNK, sizeof(int));
		if (s->pc[side] == NULL || s->pp[side] == NULL || s->price[side] == NULL ||
		    s->prob[side] == NULL)
			rc = nomem(s);
	}
	s->pv = tmp_alloc(s, DIFF_CHUNK, sizeof(uint32_t));
	s->pq = tmp_alloc(s, DIFF_CHUNK, sizeof(b2b_dec));
	if (rc != 0 || touched == NULL || ctord == NULL || s->pv == NULL || s->pq == NULL) {
		rc = nomem(s);
		goto out;
	}
	for (v = 0; v < s->nprod; v++)
		if (s->ptouch[v])
			touched[ntouched++] = (uint32_t)v;
	for (k = 0; k < s->nct; k++)
		ctord[k] = (uint32_t)k;
	if ((rc = b2b__sort_u32(s->a, ctord, s->nct, cmp_ct, s->ct)) != 0) {
		rc = nomem(s);
		goto out;
	}
	for (u = 0; u < s->ncust && rc == 0; u++) {
		size_t c0 = ci, c1, t = 0;

		/* a chunk holds one customer's probes (flush_chunk names it) */
		if ((rc = flush_chunk(s)) != 0)
			break;
		s->cur_u = u;
		while (ci < s->nct && s->ct[ctord[ci]].u == u)
			ci++;
		c1 = ci;
		if ((rc = cust_agreements(s, u)) != 0)
			break;
		if (s->nua > 0) {
			/* qty agreements: the probes counted product by product */
			uint64_t cnt;

			if ((rc = cust_probes(s, &cnt)) != 0)
				break;
			s->d->count[B2B_DIFF_PROBES] += cnt;
		} else {
			s->d->count[B2B_DIFF_PROBES] += per_customer;
		}
		if (s->all || s->cfull[u]) {
			for (v = 0; v < s->nprod && rc == 0; v++)
				rc = queue_pair(s, u, (uint32_t)v);
		} else if (c1 > c0) {
			for (v = 0; v < s->nprod && rc == 0; v++) {
				int hit = s->ptouch[v];

				for (k = c0; !hit && k < c1; k++)
					hit = ct_matches(s, &s->ct[ctord[k]], (uint32_t)v);
				if (hit)
					rc = queue_pair(s, u, (uint32_t)v);
			}
		} else {
			for (t = 0; t < ntouched && rc == 0; t++)
				rc = queue_pair(s, u, touched[t]);
		}
	}
	if (rc == 0)
		rc = flush_chunk(s);
	if (rc != 0 && s->cb_rc != 0)
		rc = s->cb_rc;
	if (rc == 0)
		rc = sort_cats(s);
out:
	tmp_free(s, touched, s->nprod, sizeof *touched);
	tmp_free(s, ctord, s->nct, sizeof *ctord);
	return rc;
}

static void
state_free(dstate *s)
{
	int side;

	if (s->x.ready)
		xmap_free(s, &s->x);
	for (side = 0; side < 2; side++) {
		const b2b_book *b = s->bk[side];
		qidx *q = &s->q[side];

		tmp_free(s, s->p2u[side], b->nproducts, sizeof(uint32_t));
		tmp_free(s, s->c2u[side], b->ncustomers, sizeof(uint32_t));
		tmp_free(s, q->sku_off, b->nproducts + 1, sizeof(uint32_t));
		tmp_free(s, q->cat_off, b->ncategories + 1, sizeof(uint32_t));
		tmp_free(s, q->cat_by_path, b->ncategories, sizeof(uint32_t));
		tmp_free(s, q->sku_q, q->nsku_q, sizeof(b2b_dec));
		tmp_free(s, q->cat_q, q->ncat_q, sizeof(b2b_dec));
		tmp_free(s, q->all_q, q->all_cap, sizeof(b2b_dec));
		tmp_free(s, s->pc[side], DIFF_CHUNK, sizeof(uint32_t));
		tmp_free(s, s->pp[side], DIFF_CHUNK, sizeof(uint32_t));
		tmp_free(s, s->price[side], DIFF_CHUNK, sizeof(b2b_dec));
		tmp_free(s, s->prob[side], DIFF_CHUNK, sizeof(int));
	}
	tmp_free(s, s->pv, DIFF_CHUNK, sizeof(uint32_t));
	tmp_free(s, s->pq, DIFF_CHUNK, sizeof(b2b_dec));
	tmp_free(s, s->prod, s->bk[0]->nproducts + s->bk[1]->nproducts, sizeof *s->prod);
	if (s->o->customers == NULL)
		tmp_free(s, s->cust, s->bk[0]->ncustomers + s->bk[1]->ncustomers, sizeof *s->cust);
	else
		tmp_free(s, s->cust, s->o->ncustomers, sizeof *s->cust);
	tmp_free(s, s->ptouch, s->nprod, 1);
	tmp_free(s, s->cfull, s->ncust, 1);
	if (s->catpaths != NULL)
		b2b__free(s->a, s->catpaths, s->catpaths_cap * sizeof *s->catpaths);
	if (s->ct != NULL)
		b2b__free(s->a, s->ct, s->ct_cap * sizeof *s->ct);
	if (s->qs != NULL)
		b2b__free(s->a, s->qs, s->qs_cap * sizeof *s->qs);
	if (s->ua != NULL)
		b2b__free(s->a, s->ua, s->ua_cap * sizeof *s->ua);
	if (s->uq != NULL)
		b2b__free(s->a, s->uq, s->uq_cap * sizeof *s->uq);
	if (s->sig_ua != NULL)
		b2b__free(s->a, s->sig_ua, s->sig_ua_cap * sizeof *s->sig_ua);
	if (s->sig_uq != NULL)
		b2b__free(s->a, s->sig_uq, s->sig_uq_cap * sizeof *s->sig_uq);
	tmp_free(s, s->qoff, s->nprod + 1, sizeof *s->qoff);
	tmp_free(s, s->catslot, s->nprod, sizeof *s->catslot);
	if (s->cat_order != NULL)
		b2b__free(s->a, s->cat_order, s->cat_order_cap * sizeof *s->cat_order);
	if (s->qv != NULL)
		b2b__free(s->a, s->qv, s->qv_cap * sizeof *s->qv);
	if (s->line != NULL)
		b2b__free(s->a, s->line, s->line_cap);
}

static const size_t DIFF_OPTS_SIZE[] = { 0, sizeof(b2b_diff_options) };

int
b2b_diff_options_init(b2b_diff_options *opts, unsigned int version)
{
	static const b2b_diff_options defaults = B2B_DIFF_OPTIONS_INIT;

	return b2b__opts_init(opts, version, &defaults, DIFF_OPTS_SIZE, B2B_DIFF_OPTIONS_VERSION);
}

int
b2b__book_diff(const b2b_diff **out, b2b_ctx *ctx, const b2b_book *old_book,
               const b2b_book *new_book, const b2b_diff_options *opts, int price_all)
{
	static const char header[] = "customer,sku,qty,old,new,change_percent\n";
	dstate s;
	b2b_diff *d;
	int rc, side;

	if (out != NULL)
		*out = NULL;
	if (out == NULL || ctx == NULL || old_book == NULL || new_book == NULL || opts == NULL)
		return b2b__ctx_seterr(ctx, B2B_EINVAL, "b2b_book_diff: NULL argument");
	if ((rc = b2b__opts_check(ctx, "b2b_diff_options", opts->version, B2B_DIFF_OPTIONS_VERSION,
	                          opts->flags, 0)) != 0)
		return rc;
	if (b2b_time_format(NULL, 0, NULL, opts->as_of) == B2B_EINVAL)
		return b2b__ctx_seterr(ctx, B2B_EINVAL, "b2b_book_diff: as_of is not a valid instant");
	if (opts->customers == NULL && opts->ncustomers != 0)
		return b2b__ctx_seterr(ctx, B2B_EINVAL, "b2b_book_diff: customers is NULL");
	d = b2b__arena_calloc(ctx, 1, sizeof *d);
	if (d == NULL)
		return b2b__ctx_seterr(ctx, B2B_ENOMEM, "b2b_book_diff: out of memory");
	d->limit = opts->limit;
	d->as_of = opts->as_of;
	for (side = 0; side < 2; side++) {
		const b2b_book *b = side == 0 ? old_book : new_book;

		d->fp[side] = b2b_book_fingerprint(b);
		d->upd[side] = b->settings.unit_price_decimals;
		d->mode[side] = b->settings.rounding;
	}
	memset(&s, 0, sizeof s);
	s.ctx = ctx;
	s.a = &ctx->alloc;
	s.bk[0] = old_book;
	s.bk[1] = new_book;
	s.o = opts;
	s.d = d;
	if (opts->csv != NULL && (rc = opts->csv(opts->csv_user, header, sizeof header - 1)) != 0)
		return rc;
	rc = run(&s, price_all);
	state_free(&s);
	if (rc != 0)
		return rc;
	*out = d;
	return 0;
}

int
b2b_book_diff(const b2b_diff **out, b2b_ctx *ctx, const b2b_book *old_book,
              const b2b_book *new_book, const b2b_diff_options *opts)
{
	return b2b__book_diff(out, ctx, old_book, new_book, opts, 0);
}

/*===========================================================================
 * MARK: - accessors
 *===========================================================================*/

const char *
b2b_diff_old_fingerprint(const b2b_diff *d)
{
	return d != NULL ? d->fp[0] : NULL;
}

const char *
b2b_diff_new_fingerprint(const b2b_diff *d)
{
	return d != NULL ? d->fp[1] : NULL;
}

b2b_time
b2b_diff_as_of(const b2b_diff *d)
{
	b2b_time t = { 0, 0, 0 };
	return d != NULL ? d->as_of : t;
}

uint64_t
b2b_diff_count_of(const b2b_diff *d, b2b_diff_count which)
{
	if (d == NULL || (unsigned)which > B2B_DIFF_PRICED)
		return 0;
	return d->count[which];
}

int
b2b_diff_max_percent(b2b_dec *out, const b2b_diff *d, int decrease)
{
	int k = decrease ? 1 : 0;

	if (d == NULL || !d->has_max[k])
		return 0;
	if (out != NULL)
		*out = d->max[k];
	return 1;
}

size_t
b2b_diff_category_count(const b2b_diff *d)
{
	return d != NULL ? d->ncats : 0;
}

const char *
b2b_diff_category(const b2b_diff *d, size_t i)
{
	return d != NULL && i < d->ncats ? d->cats[i].name : NULL;
}

uint64_t
b2b_diff_category_count_of(const b2b_diff *d, size_t i, b2b_diff_count which)
{
	if (d == NULL || i >= d->ncats)
		return 0;
	switch (which) {
	case B2B_DIFF_CHANGED: return d->cats[i].changed;
	case B2B_DIFF_RAISED: return d->cats[i].raised;
	case B2B_DIFF_LOWERED: return d->cats[i].lowered;
	default: return 0;
	}
}

size_t
b2b_diff_row_count(const b2b_diff *d)
{
	return d != NULL ? d->nrows : 0;
}

const char *
b2b_diff_row_customer(const b2b_diff *d, size_t i)
{
	return d != NULL && i < d->nrows ? d->rows[i].customer : NULL;
}

const char *
b2b_diff_row_sku(const b2b_diff *d, size_t i)
{
	return d != NULL && i < d->nrows ? d->rows[i].sku : NULL;
}

b2b_dec
b2b_diff_row_qty(const b2b_diff *d, size_t i)
{
	return d != NULL && i < d->nrows ? d->rows[i].qty : b2b__dec_from_int(0);
}

const char *
b2b_diff_row_side(b2b_dec *price, const b2b_diff *d, size_t i, int side)
{
	int k = side ? 1 : 0;

	if (d == NULL || i >= d->nrows)
		return "";
	if (price != NULL)
		*price = d->rows[i].price[k];
	return d->rows[i].err[k];
}

int
b2b_diff_row_change_percent(b2b_dec *out, const b2b_diff *d, size_t i)
{
	if (d == NULL || i >= d->nrows || !d->rows[i].has_pct)
		return 0;
	if (out != NULL)
		*out = d->rows[i].pct;
	return 1;
}

/*===========================================================================
 * MARK: - the JSON document
 *===========================================================================*/

static void
jw_count(b2b__jw *w, const char *key, uint64_t v)
{
	b2b__jw_key(w, key);
	b2b__jw_int(w, (int64_t)v);
}

static void
jw_side(b2b__jw *w, const b2b_diff *d, const drow *r, int k)
{
	if (r->err[k] != NULL)
		b2b__jw_cstr(w, r->err[k]);
	else
		b2b__jw_dec(w, r->price[k], d->upd[k], d->mode[k]);
}

int
b2b_diff_to_json(const char **out, size_t *len, b2b_ctx *ctx, const b2b_diff *d)
{
	char tb[B2B_TIME_FORMAT_MAX];
	b2b__jw w;
	size_t i;
	int k;

	if (out != NULL)
		*out = NULL;
	if (len != NULL)
		*len = 0;
	if (out == NULL || ctx == NULL || d == NULL)
		return b2b__ctx_seterr(ctx, B2B_EINVAL, "b2b_diff_to_json: NULL argument");
	if (b2b_time_format(tb, sizeof tb, NULL, d->as_of) < 0)
		tb[0] = '\0';
	b2b__jw_init(&w, &ctx->alloc);
	b2b__jw_begin_object(&w);
	b2b__jw_key(&w, "old");
	b2b__jw_cstr(&w, d->fp[0]);
	b2b__jw_key(&w, "new");
	b2b__jw_cstr(&w, d->fp[1]);
	b2b__jw_key(&w, "as_of");
	b2b__jw_cstr(&w, tb);
	jw_count(&w, "probes", d->count[B2B_DIFF_PROBES]);
	jw_count(&w, "changed", d->count[B2B_DIFF_CHANGED]);
	jw_count(&w, "raised", d->count[B2B_DIFF_RAISED]);
	jw_count(&w, "lowered", d->count[B2B_DIFF_LOWERED]);
	jw_count(&w, "now_unpriced", d->count[B2B_DIFF_NOW_UNPRICED]);
	jw_count(&w, "now_priced", d->count[B2B_DIFF_NOW_PRICED]);
	for (k = 0; k < 2; k++) {
		b2b__jw_key(&w, k == 0 ? "max_increase_percent" : "max_decrease_percent");
		if (d->has_max[k])
			b2b__jw_dec(&w, d->max[k], 2, d->mode[1]);
		else
			b2b__jw_null(&w);
	}
	b2b__jw_key(&w, "by_category");
	b2b__jw_begin_array(&w);
	for (i = 0; i < d->ncats; i++) {
		b2b__jw_begin_object(&w);
		b2b__jw_key(&w, "category");
		b2b__jw_cstr(&w, d->cats[i].name);
		jw_count(&w, "changed", d->cats[i].changed);
		jw_count(&w, "raised", d->cats[i].raised);
		jw_count(&w, "lowered", d->cats[i].lowered);
		b2b__jw_end_object(&w);
	}
	b2b__jw_end_array(&w);
	b2b__jw_key(&w, "rows");
	b2b__jw_begin_array(&w);
	for (i = 0; i < d->nrows; i++) {
		const drow *r = &d->rows[i];

		b2b__jw_begin_object(&w);
		b2b__jw_key(&w, "customer");
		b2b__jw_cstr(&w, r->customer);
		b2b__jw_key(&w, "sku");
		b2b__jw_cstr(&w, r->sku);
		b2b__jw_key(&w, "qty");
		b2b__jw_dec(&w, r->qty, B2B_DEC_SCALE_EXACT, B2B_ROUND_HALF_UP);
		b2b__jw_key(&w, "old");
		jw_side(&w, d, r, 0);
		b2b__jw_key(&w, "new");
		jw_side(&w, d, r, 1);
		b2b__jw_key(&w, "change_percent");
		if (r->has_pct)
			b2b__jw_dec(&w, r->pct, 2, d->mode[1]);
		else
			b2b__jw_null(&w);
		b2b__jw_end_object(&w);
	}
	b2b__jw_end_array(&w);
	b2b__jw_end_object(&w);
	return b2b__jw_finish(&w, ctx, out, len);
}
