/*
 * libb2bcore — building the book's indexes at freeze (book_int.h): the
 * hash tables of keys, the (owner, scope) groups of items, the lists that
 * apply to a customer, segment or channel, and the rules and promotions
 * bucketed by scope. Their layout, and why, is in book_index.h; the
 * lookups that read them are in book_lookup.c.
 * SPDX-License-Identifier: MIT
 */
#include <string.h>

#include "b2b/error.h"
#include "book_index.h"

/*===========================================================================
 * MARK: - hash tables
 *===========================================================================*/

static int
hash_alloc(const b2b_allocator *a, b2b__hash *h, size_t count, size_t *bytes)
{
	h->slots = NULL;
	h->n = 0;
	if (count == 0)
		return 0;
	if (count > (size_t)(UINT32_MAX / 2 - 1))
		return B2B_ENOMEM;
	h->n = (uint32_t)(2 * count);
	h->slots = b2b__malloc(a, (size_t)h->n * sizeof *h->slots);
	if (h->slots == NULL) {
		h->n = 0;
		return B2B_ENOMEM;
	}
	memset(h->slots, 0xff, (size_t)h->n * sizeof *h->slots);
	*bytes += (size_t)h->n * sizeof *h->slots;
	return 0;
}

static void
hash_free(const b2b_allocator *a, b2b__hash *h)
{
	b2b__free(a, h->slots, (size_t)h->n * sizeof *h->slots);
	h->slots = NULL;
	h->n = 0;
}

/* Insert v at the first free slot from h's home (the table is never full). */
static void
hash_put(b2b__hash *h, uint64_t hv, uint32_t v)
{
	uint32_t i = home(hv, h->n);

	while (h->slots[i] != B2B__NONE)
		if (++i == h->n)
			i = 0;
	h->slots[i] = v;
}

/*===========================================================================
 * MARK: - build
 *===========================================================================*/

static int
key_tables(b2b_book *b, struct b2b__index *ix)
{
	const b2b_allocator *a = &b->alloc;
	size_t i;
	int rc;

	for (i = 1; i < b->nproducts; i++)
		if (strcmp(b2b__s(b, b->products[i - 1].sku), b2b__s(b, b->products[i].sku)) >= 0)
			return B2B_EINVAL;
	for (i = 1; i < b->ncustomers; i++)
		if (strcmp(b2b__s(b, b->customers[i - 1].id), b2b__s(b, b->customers[i].id)) >= 0)
			return B2B_EINVAL;
	for (i = 1; i < b->nlists; i++)
		if (strcmp(b2b__s(b, b->lists[i - 1].id), b2b__s(b, b->lists[i].id)) >= 0)
			return B2B_EINVAL;
	for (i = 1; i < b->ncontracts; i++)
		if (strcmp(b2b__s(b, b->contracts[i - 1].id), b2b__s(b, b->contracts[i].id)) >= 0)
			return B2B_EINVAL;
	for (i = 1; i < b->ncurrencies; i++)
		if (strcmp(b->currencies[i - 1].code, b->currencies[i].code) >= 0)
			return B2B_EINVAL;

	if ((rc = hash_alloc(a, &ix->products, b->nproducts, &ix->bytes)) < 0 ||
	    (rc = hash_alloc(a, &ix->customers, b->ncustomers, &ix->bytes)) < 0 ||
	    (rc = hash_alloc(a, &ix->lists, b->nlists, &ix->bytes)) < 0 ||
	    (rc = hash_alloc(a, &ix->contracts, b->ncontracts, &ix->bytes)) < 0 ||
	    (rc = hash_alloc(a, &ix->currencies, b->ncurrencies, &ix->bytes)) < 0)
		return rc;
	for (i = 0; i < b->nproducts; i++) {
		const char *k = b2b__s(b, b->products[i].sku);
		hash_put(&ix->products, b2b__ix_hash_bytes(k, strlen(k), 0), (uint32_t)i);
	}
	for (i = 0; i < b->ncustomers; i++) {
		const char *k = b2b__s(b, b->customers[i].id);
		hash_put(&ix->customers, b2b__ix_hash_bytes(k, strlen(k), 0), (uint32_t)i);
	}
	for (i = 0; i < b->nlists; i++) {
		const char *k = b2b__s(b, b->lists[i].id);
		hash_put(&ix->lists, b2b__ix_hash_bytes(k, strlen(k), 0), (uint32_t)i);
	}
	for (i = 0; i < b->ncontracts; i++) {
		const char *k = b2b__s(b, b->contracts[i].id);
		hash_put(&ix->contracts, b2b__ix_hash_bytes(k, strlen(k), 0), (uint32_t)i);
	}
	for (i = 0; i < b->ncurrencies; i++) {
		const char *k = b->currencies[i].code;
		hash_put(&ix->currencies, b2b__ix_hash_bytes(k, strnlen(k, 4), 0), (uint32_t)i);
	}
	return 0;
}

static int
tax_table(b2b_book *b, struct b2b__index *ix)
{
	size_t i;
	int rc;

	if ((rc = hash_alloc(&b->alloc, &ix->taxes, b->ntaxes, &ix->bytes)) < 0)
		return rc;
	for (i = 0; i < b->ntaxes; i++) {
		const char *c = b2b__s(b, b->taxes[i].tax_class);
		const char *r = b2b__s(b, b->taxes[i].region);

		if (b2b__ix_tax_find(b, &ix->taxes, c, r, strlen(r)) != B2B__NONE)
			return B2B_EINVAL;
		hash_put(&ix->taxes, b2b__ix_tax_hash(c, strlen(c), r, strlen(r)), (uint32_t)i);
	}
	return 0;
}

/*
 * Index the (owner, scope) groups of items[0, n): one hash slot pair per
 * group, and the scope kinds each of the `nowners` owners has.
 */
static int
group_table(b2b_book *b, struct b2b__index *ix, const b2b__item *items, size_t n,
            b2b__hash *h, uint8_t **kinds, size_t nowners)
{
	size_t i, ngroups = 0;
	int rc;

	for (i = 0; i < n; i++)
		if (i == 0 || !item_same_group(&items[i - 1], &items[i]))
			ngroups++;
	if ((rc = hash_alloc(&b->alloc, h, ngroups, &ix->bytes)) < 0)
		return rc;
	if (nowners > 0) {
		*kinds = b2b__calloc(&b->alloc, nowners, 1);
		if (*kinds == NULL)
			return B2B_ENOMEM;
		ix->bytes += nowners;
	}
	for (i = 0; i < n; i++) {
		const b2b__item *it = &items[i];

		uint32_t k, v;

		if (i > 0 && item_same_group(&items[i - 1], it))
			continue;
		if (it->list >= nowners || it->scope.kind > B2B__SCOPE_SKU)
			return B2B_EINVAL;
		(*kinds)[it->list] |= (uint8_t)(1u << it->scope.kind);
		/* one probe sequence finds the free slot, or the same group
		 * met twice, not contiguous: then the layout is broken */
		for (k = home(hash_key3(it->list, it->scope.kind, it->scope.id), h->n);; ) {
			v = h->slots[k];
			if (v == B2B__NONE)
				break;
			if (item_same_group(&items[v], it))
				return B2B_EINVAL;
			if (++k == h->n)
				k = 0;
		}
		h->slots[k] = (uint32_t)i;
	}
	return 0;
}

/* ---- lists applying to customer / segment / channel / default ---- */

typedef struct aent {
	uint32_t kind;
	b2b__str value;
	uint32_t list;
} aent;

typedef struct actx {
	const b2b_book *b;
	const aent *e;
} actx;

static int
aent_cmp(const void *vctx, uint32_t x, uint32_t y)
{
	const actx *c = vctx;
	const aent *p = &c->e[x], *q = &c->e[y];
	int r;

	if (p->kind != q->kind)
		return p->kind < q->kind ? -1 : 1;
	if ((r = strcmp(b2b__s(c->b, p->value), b2b__s(c->b, q->value))) != 0)
		return r;
	/* priority desc, then id (lists are sorted by id: index order) */
	if (c->b->lists[p->list].priority != c->b->lists[q->list].priority)
		return c->b->lists[p->list].priority > c->b->lists[q->list].priority ? -1 : 1;
	if (p->list != q->list)
		return p->list < q->list ? -1 : 1;
	return 0;
}

/* Grow book->u32 by `extra` elements (exact size); returns the old count or -1. */
static int
u32_append(b2b_book *b, size_t extra, size_t *off)
{
	uint32_t *p;

	*off = b->nu32;
	if (extra == 0)
		return 0;
	if (b->nu32 + extra > UINT32_MAX)
		return B2B_ENOMEM;
	p = b2b__realloc(&b->alloc, b->u32, b->nu32 * sizeof *p, (b->nu32 + extra) * sizeof *p);
	if (p == NULL)
		return B2B_ENOMEM;
	b->u32 = p;
	b->nu32 += extra;
	return 0;
}

static int
applies_table(b2b_book *b, struct b2b__index *ix)
{
	const b2b_allocator *a = &b->alloc;
	aent *e = NULL;
	uint32_t *perm = NULL;
	size_t n = 0, m, i, j, off, ng;
	actx c;
	int rc = 0;

	for (i = 0; i < b->nlists; i++)
		n += b->lists[i].applies_n;
	if (n == 0)
		return 0;
	e = b2b__malloc(a, n * sizeof *e);
	perm = b2b__malloc(a, n * sizeof *perm);
	if (e == NULL || perm == NULL) {
		rc = B2B_ENOMEM;
		goto done;
	}
	for (i = 0, m = 0; i < b->nlists; i++) {
		const b2b__list *l = &b->lists[i];

		if ((size_t)l->applies_off + l->applies_n > b->napplies) {
			rc = B2B_EINVAL;
			goto done;
		}
		for (j = 0; j < l->applies_n; j++, m++) {
			const b2b__applies *ap = &b->applies[l->applies_off + j];

			e[m].kind = ap->kind;
			e[m].value = ap->kind == B2B__APPLY_DEFAULT ? 0 : ap->value;
			e[m].list = (uint32_t)i;
			perm[m] = (uint32_t)m;
		}
	}
	c.b = b;
	c.e = e;
	if ((rc = b2b__sort_u32(a, perm, n, aent_cmp, &c)) < 0)
		goto done;
	/* drop a list named twice in one group, count the groups */
	for (i = 0, m = 0, ng = 0; i < n; i++) {
		const aent *p = &e[perm[i]];

		if (m > 0) {
			const aent *q = &e[perm[m - 1]];

			if (q->kind == p->kind && q->list == p->list &&
			    strcmp(b2b__s(b, q->value), b2b__s(b, p->value)) == 0)
				continue;
		}
		if (m == 0 || e[perm[m - 1]].kind != p->kind ||
		    strcmp(b2b__s(b, e[perm[m - 1]].value), b2b__s(b, p->value)) != 0)
			ng++;
		perm[m++] = perm[i];
	}
	ix->agroups = b2b__malloc(a, ng * sizeof *ix->agroups);
	if (ix->agroups == NULL) {
		rc = B2B_ENOMEM;
		goto done;
	}
	ix->nagroups = ng;
	ix->bytes += ng * sizeof *ix->agroups;
	if ((rc = hash_alloc(a, &ix->ahash, ng, &ix->bytes)) < 0 ||
	    (rc = u32_append(b, m, &off)) < 0)
		goto done;
	for (i = 0, ng = 0; i < m; i++) {
		const aent *p = &e[perm[i]];

		if (i == 0 || e[perm[i - 1]].kind != p->kind ||
		    strcmp(b2b__s(b, e[perm[i - 1]].value), b2b__s(b, p->value)) != 0) {
			const char *v = b2b__s(b, p->value);

			ix->agroups[ng].kind = p->kind;
			ix->agroups[ng].value = p->value;
			ix->agroups[ng].off = (uint32_t)(off + i);
			ix->agroups[ng].n = 0;
			hash_put(&ix->ahash, b2b__ix_agroup_hash(p->kind, v, strlen(v)),
			         (uint32_t)ng);
			ng++;
		}
		ix->agroups[ng - 1].n++;
		b->u32[off + i] = p->list;
	}
done:
	b2b__free(a, e, n * sizeof *e);
	b2b__free(a, perm, n * sizeof *perm);
	return rc;
}

/* ---- rules and line promotions bucketed by scope ---- */

typedef struct sent {
	uint32_t kind, id;
} sent;

static int
sent_cmp(const void *vctx, uint32_t x, uint32_t y)
{
	const sent *e = vctx;

	if (e[x].kind != e[y].kind)
		return e[x].kind < e[y].kind ? -1 : 1;
	if (e[x].id != e[y].id)
		return e[x].id < e[y].id ? -1 : 1;
	return x < y ? -1 : x > y;
}

/*
 * Bucket `n` elements by scope. scope_of(i) gives element i's scope, or
 * NULL when it matches no product (an order promotion, an unknown sku).
 */
static int
scope_table(b2b_book *b, struct b2b__index *ix, b2b__scopeidx *s, size_t n,
            const b2b__scope *(*scope_of)(const b2b_book *, size_t))
{
	const b2b_allocator *a = &b->alloc;
	sent *e = NULL;
	uint32_t *perm = NULL;
	size_t i, m = 0, ng = 0;
	int rc = 0;

	if (n == 0)
		return 0;
	e = b2b__malloc(a, n * sizeof *e);
	perm = b2b__malloc(a, n * sizeof *perm);
	if (e == NULL || perm == NULL) {
		rc = B2B_ENOMEM;
		goto done;
	}
	for (i = 0; i < n; i++) {
		const b2b__scope *sc = scope_of(b, i);

		if (sc == NULL)
			continue;
		e[i].kind = sc->kind;
		e[i].id = sc->kind == B2B__SCOPE_ALL ? 0 : sc->id;
		s->kinds |= 1u << sc->kind;
		perm[m++] = (uint32_t)i;
	}
	if ((rc = b2b__sort_u32(a, perm, m, sent_cmp, e)) < 0)
		goto done;
	for (i = 0; i < m; i++)
		if (i == 0 || e[perm[i - 1]].kind != e[perm[i]].kind ||
		    e[perm[i - 1]].id != e[perm[i]].id)
			ng++;
	if (m == 0)
		goto done;
	s->groups = b2b__malloc(a, ng * sizeof *s->groups);
	if (s->groups == NULL) {
		rc = B2B_ENOMEM;
		goto done;
	}
	s->ngroups = ng;
	ix->bytes += ng * sizeof *s->groups;
	s->elems = b2b__malloc(a, m * sizeof *s->elems);
	if (s->elems == NULL) {
		rc = B2B_ENOMEM;
		goto done;
	}
	s->nelems = m;
	ix->bytes += m * sizeof *s->elems;
	if ((rc = hash_alloc(a, &s->hash, ng, &ix->bytes)) < 0)
		goto done;
	for (i = 0, ng = 0; i < m; i++) {
		const sent *p = &e[perm[i]];

		if (i == 0 || e[perm[i - 1]].kind != p->kind || e[perm[i - 1]].id != p->id) {
			s->groups[ng].kind = p->kind;
			s->groups[ng].id = p->id;
			s->groups[ng].off = (uint32_t)i;
			s->groups[ng].n = 0;
			hash_put(&s->hash, hash_key3(0, p->kind, p->id), (uint32_t)ng);
			ng++;
		}
		s->groups[ng - 1].n++;
		s->elems[i] = perm[i];
	}
done:
	b2b__free(a, e, n * sizeof *e);
	b2b__free(a, perm, n * sizeof *perm);
	return rc;
}

static const b2b__scope *
usable(const b2b__scope *s)
{
	if (s->kind == B2B__SCOPE_SKU && s->id == B2B__NONE)
		return NULL;
	if (s->kind != B2B__SCOPE_SKU && s->kind != B2B__SCOPE_CATEGORY &&
	    s->kind != B2B__SCOPE_ALL)
		return NULL;
	return s;
}

static const b2b__scope *
rule_scope(const b2b_book *b, size_t i)
{
	return usable(&b->rules[i].scope);
}

static int
promo_is_order(int kind)
{
	return kind == B2B__PROMO_ORDER_PERCENT || kind == B2B__PROMO_ORDER_AMOUNT;
}

static const b2b__scope *
promo_scope(const b2b_book *b, size_t i)
{
	if (promo_is_order(b->promos[i].kind))
		return NULL;
	return usable(&b->promos[i].scope);
}

static int
order_promos(b2b_book *b, struct b2b__index *ix)
{
	size_t i, n = 0, off;
	int rc;

	for (i = 0; i < b->npromos; i++)
		n += promo_is_order(b->promos[i].kind);
	if ((rc = u32_append(b, n, &off)) < 0)
		return rc;
	ix->order_promos.off = (uint32_t)off;
	ix->order_promos.n = (uint32_t)n;
	for (i = 0; i < b->npromos; i++)
		if (promo_is_order(b->promos[i].kind))
			b->u32[off++] = (uint32_t)i;
	return 0;
}

static size_t
book_bytes(const b2b_book *b)
{
	return sizeof *b + b->strings_len +
	       b->ncurrencies * sizeof *b->currencies + b->nfx * sizeof *b->fx +
	       b->ncategories * sizeof *b->categories + b->nproducts * sizeof *b->products +
	       b->nproduct_ext * sizeof *b->product_ext + b->ncustomers * sizeof *b->customers +
	       b->nlists * sizeof *b->lists + b->nitems * sizeof *b->items +
	       b->ncontracts * sizeof *b->contracts + b->ncitems * sizeof *b->citems +
	       b->nitem_ext * sizeof *b->item_ext +
	       b->nrules * sizeof *b->rules + b->npoints * sizeof *b->points +
	       b->npromos * sizeof *b->promos + b->ntaxes * sizeof *b->taxes +
	       b->ntax_classes * sizeof *b->tax_classes + b->napprovals * sizeof *b->approvals +
	       b->nu32 * sizeof *b->u32 + b->nstrs * sizeof *b->strs +
	       b->nscopes * sizeof *b->scopes + b->napplies * sizeof *b->applies +
	       b->nproduct_lines * sizeof *b->product_lines +
	       b->nagreements * sizeof *b->agreements + b->ntiers * sizeof *b->tiers +
	       b->ncvolumes * sizeof *b->cvolumes + b->nva_cust * sizeof *b->va_cust +
	       b->nva_idx * sizeof *b->va_idx;
}

/* Shrink book->u32 back to `base` elements (keeps it as is if that fails). */
static void
u32_truncate(b2b_book *b, size_t base)
{
	uint32_t *p;

	if (base >= b->nu32)
		return;
	if (base == 0) {
		b2b__free(&b->alloc, b->u32, b->nu32 * sizeof *b->u32);
		b->u32 = NULL;
		b->nu32 = 0;
		return;
	}
	p = b2b__realloc(&b->alloc, b->u32, b->nu32 * sizeof *p, base * sizeof *p);
	if (p != NULL) {
		b->u32 = p;
		b->nu32 = base;
	}
}

int
b2b__book_index_build(b2b_book *b)
{
	struct b2b__index *ix;
	int rc;

	if (b->index != NULL) {
		/* a rebuild: drop what the previous index appended to book->u32 */
		u32_truncate(b, b->index->u32_base);
		b2b__book_index_free(b);
	}
	ix = b2b__calloc(&b->alloc, 1, sizeof *ix);
	if (ix == NULL)
		return B2B_ENOMEM;
	ix->bytes = sizeof *ix;
	ix->u32_base = b->nu32;
	b->index = ix;
	if ((rc = key_tables(b, ix)) < 0 ||
	    (rc = tax_table(b, ix)) < 0 ||
	    (rc = group_table(b, ix, b->items, b->nitems, &ix->items, &ix->list_kinds,
	                      b->nlists)) < 0 ||
	    (rc = group_table(b, ix, b->citems, b->ncitems, &ix->citems, &ix->contract_kinds,
	                      b->ncontracts)) < 0 ||
	    (rc = applies_table(b, ix)) < 0 ||
	    (rc = scope_table(b, ix, &ix->rules, b->nrules, rule_scope)) < 0 ||
	    (rc = scope_table(b, ix, &ix->promos, b->npromos, promo_scope)) < 0 ||
	    (rc = order_promos(b, ix)) < 0) {
		u32_truncate(b, ix->u32_base);
		b2b__book_index_free(b);
		return rc;
	}
	b->memory = book_bytes(b) + ix->bytes;
	return 0;
}

static void
scopeidx_free(const b2b_allocator *a, b2b__scopeidx *s)
{
	b2b__free(a, s->groups, s->ngroups * sizeof *s->groups);
	b2b__free(a, s->elems, s->nelems * sizeof *s->elems);
	hash_free(a, &s->hash);
}

void
b2b__book_index_free(b2b_book *b)
{
	struct b2b__index *ix = b->index;
	const b2b_allocator *a = &b->alloc;

	if (ix == NULL)
		return;
	hash_free(a, &ix->products);
	hash_free(a, &ix->customers);
	hash_free(a, &ix->lists);
	hash_free(a, &ix->contracts);
	hash_free(a, &ix->currencies);
	hash_free(a, &ix->taxes);
	hash_free(a, &ix->items);
	hash_free(a, &ix->citems);
	b2b__free(a, ix->list_kinds, b->nlists);
	b2b__free(a, ix->contract_kinds, b->ncontracts);
	b2b__free(a, ix->agroups, ix->nagroups * sizeof *ix->agroups);
	hash_free(a, &ix->ahash);
	scopeidx_free(a, &ix->rules);
	scopeidx_free(a, &ix->promos);
	b2b__free(a, ix, sizeof *ix);
	b->index = NULL;
}
