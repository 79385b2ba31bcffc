/*
 * libb2bcore — freezing a book builder: the references between tables and
 * the cross-row rules of SPEC §3 and §9 (unknown ids and currencies,
 * duplicate keys, cycles of price lists, currencies of parents and base
 * lists, overlapping breaks, block lists), then the frozen layout of
 * book_int.h (sorted arrays of exactly their size, the category tree,
 * resolved indexes), the indexes and the fingerprint.
 *
 * Every check runs even after a problem, so that the host sees every
 * problem at once; the book is only handed out when none was an error.
 * Sorting is by key (never by hash), so the book does not depend on row
 * order.
 *
 * This file runs the steps in their order (b2b__bb_freeze), moves the
 * tables into the book and sorts the diagnostics into file order; the
 * steps themselves are in book_freeze_*.c (see book_freeze.h).
 * SPDX-License-Identifier: MIT
 */
#include <string.h>

#include "book_freeze.h"
#include "book_plan.h"

/*===========================================================================
 * MARK: - Exact arrays
 *===========================================================================*/

/* Shrink a vector to exactly n elements (NULL when empty). */
static int
vec_exact(const b2b_allocator *a, b2b__vec *v, size_t elem)
{
	void *p;

	if (v->n == 0) {
		b2b__free(a, v->p, v->cap * elem);
		v->p = NULL;
		v->cap = 0;
		return 0;
	}
	if (v->cap == v->n)
		return 0;
	if ((p = b2b__realloc(a, v->p, v->cap * elem, v->n * elem)) == NULL)
		return B2B_ENOMEM;
	v->p = p;
	v->cap = v->n;
	return 0;
}

/* Move a vector's block out (exact size): *dst, *n. */
static int
take(fz *z, b2b__vec *v, size_t elem, void **dst, size_t *n)
{
	int rc;

	if ((rc = vec_exact(z->a, v, elem)) < 0)
		return rc;
	*dst = v->p;
	*n = v->n;
	z->book->memory += v->n * elem;
	v->p = NULL;
	v->n = v->cap = 0;
	return 0;
}

/*===========================================================================
 * MARK: - Diagnostics in file order
 *===========================================================================*/

/*
 * Problems are found table by table, and the cross-row ones only at
 * finish; a host reads them best like a compiler's: by source (in the
 * order the builder first saw it), then line, then column. Stable, so
 * problems of one cell keep the order they were found in.
 */
static size_t
source_rank(const b2b_book_builder *b, const char *file)
{
	size_t j;

	for (j = 0; j < b->segs.n; j++) {
		const b2b__seg *s = (const b2b__seg *)b->segs.p + j;

		if (strcmp(s->source != NULL ? s->source : "", file) == 0)
			return j;
	}
	return b->segs.n;
}

static void
sort_diags(b2b_book_builder *b, b2b_ctx *ctx)
{
	size_t start = b->diag_start, n, i, j;
	b2b__diag *d;
	size_t *rank;

	if (ctx != b->diag_ctx || ctx->ndiags <= start + 1)
		return;
	d = ctx->diags + start;
	n = ctx->ndiags - start;
	if ((rank = b2b__ctx_alloc(ctx, n * sizeof(size_t))) == NULL)
		return;   /* left in the order found */
	for (i = 0; i < n; i++)
		rank[i] = source_rank(b, d[i].file);
	/* insertion sort: at most B2B_CTX_MAX_DIAGS, mostly in order already */
	for (i = 1; i < n; i++) {
		b2b__diag x = d[i];
		size_t rx = rank[i];

		for (j = i; j > 0; j--) {
			const b2b__diag *y = &d[j - 1];

			if (rank[j - 1] < rx || (rank[j - 1] == rx &&
			                         (y->line < x.line || (y->line == x.line && y->col <= x.col))))
				break;
			d[j] = d[j - 1];
			rank[j] = rank[j - 1];
		}
		d[j] = x;
		rank[j] = rx;
	}
}

/*===========================================================================
 * MARK: - Freeze
 *===========================================================================*/

static void
maps_free(fz *z, maps *m)
{
	map_free(z->a, &m->products);
	map_free(z->a, &m->customers);
	map_free(z->a, &m->lists);
	map_free(z->a, &m->contracts);
	map_free(z->a, &m->approvals);
	map_free(z->a, &m->cat.map);
	b2b__free(z->a, m->cat.nodes.p, m->cat.nodes.cap * sizeof(b2b__category));
}

/* A row's line as the records keep it (book_int.h "Row lines"). */
static int32_t
line_of(const b2b__rowloc *l)
{
	return l->line > INT32_MAX ? INT32_MAX : (int32_t)l->line;
}

/*
 * The rows' lines, from their locations (which followed the rows through
 * every sort): into each record that keeps one, and the products' side
 * array. Called once the tables are in the book, before the locations go.
 */
static int
row_lines(fz *z)
{
	b2b_book *k = z->book;
	const b2b__rowloc *l;
	size_t i;

#define LINES(t, x, n) \
	for (l = z->b->locs[t].p, i = 0; i < k->n; i++) \
		k->x[i].line = line_of(&l[i])
	LINES(B2B_TABLE_CUSTOMERS, customers, ncustomers);
	LINES(B2B_TABLE_PRICE_LISTS, lists, nlists);
	LINES(B2B_TABLE_CONTRACTS, contracts, ncontracts);
	LINES(B2B_TABLE_DYNAMIC_RULES, rules, nrules);
	LINES(B2B_TABLE_PROMOTIONS, promos, npromos);
#undef LINES
	if (k->nproducts == 0)
		return 0;
	if ((k->product_lines = b2b__malloc(z->a, k->nproducts * sizeof(int32_t))) == NULL)
		return B2B_ENOMEM;
	k->nproduct_lines = k->nproducts;
	k->memory += k->nproducts * sizeof(int32_t);
	for (l = z->b->locs[B2B_TABLE_PRODUCTS].p, i = 0; i < k->nproducts; i++)
		k->product_lines[i] = line_of(&l[i]);
	return 0;
}

/* Move every table into the book (exact sizes). */
static int
move_into_book(fz *z)
{
	b2b_book_builder *b = z->b;
	b2b_book *k = z->book;
	int rc = 0, t;
	char *pool;

#define TAKE(v, T, dst, n) \
	if (rc == 0) \
		rc = take(z, v, sizeof(T), (void **)&k->dst, &k->n)
	TAKE(&b->rows[B2B_TABLE_FX_RATES], b2b__fx, fx, nfx);
	TAKE(&b->rows[B2B_TABLE_PRODUCTS], b2b__product, products, nproducts);
	TAKE(&b->ext, b2b__product_ext, product_ext, nproduct_ext);
	TAKE(&b->rows[B2B_TABLE_CUSTOMERS], b2b__customer, customers, ncustomers);
	TAKE(&b->rows[B2B_TABLE_PRICE_LISTS], b2b__list, lists, nlists);
	TAKE(&b->rows[B2B_TABLE_PRICE_LIST_ITEMS], b2b__item, items, nitems);
	TAKE(&b->rows[B2B_TABLE_CONTRACTS], b2b__contract, contracts, ncontracts);
	TAKE(&b->rows[B2B_TABLE_CONTRACT_ITEMS], b2b__item, citems, ncitems);
	TAKE(&b->iext, b2b__item_ext, item_ext, nitem_ext);
	TAKE(&b->rows[B2B_TABLE_DYNAMIC_RULES], b2b__rule, rules, nrules);
	TAKE(&b->points, b2b__point, points, npoints);
	TAKE(&b->rows[B2B_TABLE_PROMOTIONS], b2b__promo, promos, npromos);
	TAKE(&b->rows[B2B_TABLE_TAXES], b2b__tax, taxes, ntaxes);
	TAKE(&b->rows[B2B_TABLE_APPROVAL_RULES], b2b__approval, approvals, napprovals);
	TAKE(&b->rows[B2B_TABLE_VOLUME_AGREEMENTS], b2b__agreement, agreements, nagreements);
	TAKE(&b->tiers, b2b__tier, tiers, ntiers);
	TAKE(&b->rows[B2B_TABLE_CUSTOMER_VOLUMES], b2b__cvolume, cvolumes, ncvolumes);
	TAKE(&b->va_cust, uint32_t, va_cust, nva_cust);
	TAKE(&b->va_idx, uint32_t, va_idx, nva_idx);
	TAKE(&b->u32, uint32_t, u32, nu32);
	TAKE(&b->strs, b2b__str, strs, nstrs);
	TAKE(&b->scopes, b2b__scope, scopes, nscopes);
	TAKE(&b->applies, b2b__applies, applies, napplies);
#undef TAKE
	if (rc < 0)
		return rc;
	if (b->pool_cap != b->pool_len) {
		if ((pool = b2b__realloc(z->a, b->pool, b->pool_cap, b->pool_len)) == NULL)
			return B2B_ENOMEM;
		b->pool = pool;
		b->pool_cap = b->pool_len;
	}
	k->strings = b->pool;
	k->strings_len = b->pool_len;
	b->pool = NULL;
	b->pool_len = b->pool_cap = 0;
	for (t = 0; t < B2B_TABLE_COUNT; t++)
		k->counts[t] = b->locs[t].n;
	return row_lines(z);
}

int
b2b__bb_freeze(b2b_book **out, b2b_ctx *ctx, b2b_book_builder *b)
{
	fz z;
	maps m;
	b2b_book *book;
	const b2b__approval *ap;
	size_t i;
	int rc;

	memset(&z, 0, sizeof(z));
	memset(&m, 0, sizeof(m));
	z.b = b;
	z.ctx = ctx;
	z.a = &b->alloc;
	if ((book = b2b__calloc(z.a, 1, sizeof(*book))) == NULL) {
		rc = B2B_ENOMEM;
		goto fail;
	}
	atomic_init(&book->refs, 1);
	book->alloc = b->alloc;
	z.book = book;

	if ((rc = b2b__fz_currencies(&z)) < 0)
		goto fail;
	b2b__fz_settings(&z);
	if ((rc = b2b__fz_products(&z, &m)) < 0 ||
	    (rc = b2b__fz_keyed(&z, B2B_TABLE_CUSTOMERS, offsetof(b2b__customer, id), B2B__F_C_ID,
	                        "customer id", &m.customers)) < 0 ||
	    (rc = b2b__fz_keyed(&z, B2B_TABLE_PRICE_LISTS, offsetof(b2b__list, id), B2B__F_L_ID,
	                        "price list id", &m.lists)) < 0 ||
	    (rc = b2b__fz_keyed(&z, B2B_TABLE_CONTRACTS, offsetof(b2b__contract, id), B2B__F_K_ID,
	                        "contract id", &m.contracts)) < 0 ||
	    (rc = b2b__fz_keyed(&z, B2B_TABLE_APPROVAL_RULES, offsetof(b2b__approval, id),
	                        B2B__F_A_ID, "approval rule id", &m.approvals)) < 0)
		goto fail;
	if ((rc = b2b__fz_categories(&z, &m.cat)) < 0 || (rc = b2b__fz_tax_classes(&z)) < 0)
		goto fail;
	b2b__fz_products_refs(&z, &m);
	b2b__fz_customers_refs(&z, &m);
	b2b__fz_lists_refs(&z, &m);
	b2b__fz_items_refs(&z, &m);
	if ((rc = b2b__fz_items(&z, B2B_TABLE_PRICE_LIST_ITEMS,
	                        NROWS(&z, B2B_TABLE_PRICE_LISTS))) < 0 ||
	    (rc = b2b__fz_cycles(&z)) < 0)
		goto fail;
	b2b__fz_contracts_refs(&z, &m);
	if ((rc = b2b__fz_items(&z, B2B_TABLE_CONTRACT_ITEMS,
	                        NROWS(&z, B2B_TABLE_CONTRACTS))) < 0 ||
	    (rc = b2b__fz_items_ext(&z)) < 0 ||
	    (rc = b2b__fz_customers_contracts(&z)) < 0 || (rc = b2b__fz_rules_promos(&z, &m)) < 0 ||
	    (rc = b2b__fz_fx(&z)) < 0 || (rc = b2b__fz_taxes(&z)) < 0 ||
	    (rc = b2b__fz_volumes(&z, &m)) < 0)
		goto fail;
	if (z.rc < 0) {
		rc = z.rc;
		goto fail;
	}
	ap = ROWS(&z, B2B_TABLE_APPROVAL_RULES, b2b__approval);
	for (i = 0; i < NROWS(&z, B2B_TABLE_APPROVAL_RULES); i++)
		if (ap[i].level > book->max_approval_level)
			book->max_approval_level = ap[i].level;
	if (b->nerrors > 0) {
		rc = b2b__ctx_seterr(ctx, B2B_EBOOK, "the book has %zu error%s (see the diagnostics)",
		                     b->nerrors, b->nerrors == 1 ? "" : "s");
		goto fail;
	}
	if ((rc = move_into_book(&z)) < 0 || (rc = b2b__book_index_build(book)) < 0 ||
	    (rc = b2b__book_plan_build(book)) < 0 ||
	    (rc = b2b__book_fingerprint(book)) < 0)
		goto fail;
	maps_free(&z, &m);
	b2b__free(z.a, z.ccy_map, B2B__CCY_CODES * sizeof(uint16_t));
	b2b__free(z.a, z.tc_map, (b->tax_classes.n ? b->tax_classes.n : 1) * sizeof(uint32_t));
	sort_diags(b, ctx);
	*out = book;
	return 0;
fail:
	maps_free(&z, &m);
	if (z.ccy_map != NULL)
		b2b__free(z.a, z.ccy_map, B2B__CCY_CODES * sizeof(uint16_t));
	if (z.tc_map != NULL)
		b2b__free(z.a, z.tc_map, (b->tax_classes.n ? b->tax_classes.n : 1) * sizeof(uint32_t));
	b2b_book_unref(book);
	sort_diags(b, ctx);
	if (rc == B2B_ENOMEM)
		return b2b__ctx_seterr(ctx, B2B_ENOMEM, "out of memory");
	if (rc == B2B_EBOOK)
		return rc;
	return b2b__ctx_seterr(ctx, rc, "book builder: %s", b2b_strerror(rc));
}

int
b2b_book_builder_finish(b2b_book **out, b2b_ctx *ctx, b2b_book_builder *b)
{
	if (out == NULL || ctx == NULL || b == NULL)
		return b2b__ctx_seterr(ctx, B2B_EINVAL, "book builder: NULL argument");
	*out = NULL;
	if (b->finished)
		return b2b__ctx_seterr(ctx, B2B_EMISUSE, "book builder: already finished");
	b->finished = 1;
	b2b__bb_note_ctx(b, ctx);
	return b2b__bb_freeze(out, ctx, b);
}
