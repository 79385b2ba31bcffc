/*
 * libb2bcore — the book's lookups (book_int.h), on the indexes that
 * book_index.c builds at freeze (layout in book_index.h): keys, (owner,
 * scope) groups of items, the lists that apply to a customer, segment or
 * channel, the rules and promotions of a product, FX rates and taxes.
 * None allocates; all are O(1) or O(log n). The hashing and probing here
 * are also what the build uses, so both see one layout.
 * SPDX-License-Identifier: MIT
 */
#include <string.h>

#include "book_index.h"
#include "book_plan.h"
#include "dec_int.h"

/*===========================================================================
 * MARK: - probes (shared with the build)
 *===========================================================================*/

uint64_t
b2b__ix_hash_bytes(const char *s, size_t len, uint64_t seed)
{
	const unsigned char *p = (const unsigned char *)s;
	uint64_t h = mix64(seed ^ ((uint64_t)len * UINT64_C(0x9e3779b97f4a7c15)));
	uint64_t w;
	size_t i;

	while (len >= 8) {
		w = (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 |
		    (uint64_t)p[3] << 24 | (uint64_t)p[4] << 32 | (uint64_t)p[5] << 40 |
		    (uint64_t)p[6] << 48 | (uint64_t)p[7] << 56;
		h = mix64(h ^ w) + UINT64_C(0x9e3779b97f4a7c15);
		p += 8;
		len -= 8;
	}
	if (len > 0) {
		w = 0;
		for (i = 0; i < len; i++)
			w |= (uint64_t)p[i] << (8 * i);
		h = mix64(h ^ w ^ UINT64_C(0xa0761d6478bd642f));
	}
	return h;
}

uint64_t
b2b__ix_tax_hash(const char *cls, size_t clen, const char *region, size_t rlen)
{
	return b2b__ix_hash_bytes(region, rlen, b2b__ix_hash_bytes(cls, clen, 0x7a78));
}

uint32_t
b2b__ix_tax_find(const b2b_book *b, const b2b__hash *h, const char *cls, const char *region,
                 size_t rlen)
{
	size_t clen = strlen(cls);
	uint32_t i, v;

	if (h->n == 0)
		return B2B__NONE;
	for (i = home(b2b__ix_tax_hash(cls, clen, region, rlen), h->n);; ) {
		v = h->slots[i];
		if (v == B2B__NONE)
			return B2B__NONE;
		if (strcmp(b2b__s(b, b->taxes[v].tax_class), cls) == 0 &&
		    pool_eq(b2b__s(b, b->taxes[v].region), region, rlen))
			return v;
		if (++i == h->n)
			i = 0;
	}
}

static uint32_t
group_find(const b2b__item *items, const b2b__hash *h, uint32_t owner, uint32_t kind,
           uint32_t id)
{
	uint32_t i, v;

	if (h->n == 0)
		return B2B__NONE;
	for (i = home(hash_key3(owner, kind, id), h->n);; ) {
		v = h->slots[i];
		if (v == B2B__NONE)
			return B2B__NONE;
		if (items[v].list == owner && items[v].scope.kind == kind &&
		    items[v].scope.id == id)
			return v;
		if (++i == h->n)
			i = 0;
	}
}

uint64_t
b2b__ix_agroup_hash(uint32_t kind, const char *value, size_t len)
{
	return b2b__ix_hash_bytes(value, len, 0x61700000u + kind);
}

uint32_t
b2b__ix_agroup_find(const b2b_book *b, const struct b2b__index *ix, uint32_t kind,
                    const char *value, size_t len)
{
	const b2b__hash *h = &ix->ahash;
	uint32_t i, v;

	if (h->n == 0)
		return B2B__NONE;
	for (i = home(b2b__ix_agroup_hash(kind, value, len), h->n);; ) {
		v = h->slots[i];
		if (v == B2B__NONE)
			return B2B__NONE;
		if (ix->agroups[v].kind == kind &&
		    pool_eq(b2b__s(b, ix->agroups[v].value), value, len))
			return v;
		if (++i == h->n)
			i = 0;
	}
}

uint32_t
b2b__ix_sgroup_find(const b2b__scopeidx *s, uint32_t kind, uint32_t id)
{
	uint32_t i, v;

	if (s->hash.n == 0)
		return B2B__NONE;
	for (i = home(hash_key3(0, kind, id), s->hash.n);; ) {
		v = s->hash.slots[i];
		if (v == B2B__NONE)
			return B2B__NONE;
		if (s->groups[v].kind == kind && s->groups[v].id == id)
			return v;
		if (++i == s->hash.n)
			i = 0;
	}
}

/*===========================================================================
 * MARK: - lookups
 *===========================================================================*/

#define KEY_LOOKUP(fn, table, arr, field)                                             \
	uint32_t                                                                      \
	fn(const b2b_book *b, const char *key, size_t len)                            \
	{                                                                             \
		const b2b__hash *h;                                                   \
		uint32_t i, v;                                                        \
                                                                                      \
		if (b == NULL || b->index == NULL || (key == NULL && len > 0))        \
			return B2B__NONE;                                             \
		h = &b->index->table;                                                 \
		if (h->n == 0)                                                        \
			return B2B__NONE;                                             \
		for (i = home(b2b__ix_hash_bytes(key, len, 0), h->n);; ) {                    \
			v = h->slots[i];                                              \
			if (v == B2B__NONE)                                           \
				return B2B__NONE;                                     \
			if (pool_key_eq(b, b->arr[v].field, key, len))                \
				return v;                                             \
			if (++i == h->n)                                              \
				i = 0;                                                \
		}                                                                     \
	}

KEY_LOOKUP(b2b__book_product, products, products, sku)
KEY_LOOKUP(b2b__book_customer, customers, customers, id)
KEY_LOOKUP(b2b__book_list, lists, lists, id)
KEY_LOOKUP(b2b__book_contract, contracts, contracts, id)

uint32_t
b2b__book_currency(const b2b_book *b, const char *code, size_t len)
{
	const b2b__hash *h;
	uint32_t i, v;

	if (b == NULL || b->index == NULL || (code == NULL && len > 0) || len > 3)
		return B2B__NONE;
	h = &b->index->currencies;
	if (h->n == 0)
		return B2B__NONE;
	for (i = home(b2b__ix_hash_bytes(code, len, 0), h->n);; ) {
		v = h->slots[i];
		if (v == B2B__NONE)
			return B2B__NONE;
		if (pool_eq(b->currencies[v].code, code, len))
			return v;
		if (++i == h->n)
			i = 0;
	}
}

size_t
b2b__book_promos_by_code(const b2b_book *b, const char *code, size_t len)
{
	size_t i, n = 0;

	if (b == NULL || code == NULL || len == 0)
		return 0;
	for (i = 0; i < b->npromos; i++)
		if (b->promos[i].code != 0 && pool_eq(b2b__s(b, b->promos[i].code), code, len))
			n++;
	return n;
}

const b2b__item_ext b2b__item_ext_none = {
	{ B2B__T_MIN, B2B__T_MAX, 0, 0 }, { { 0, 0 }, 0 }, { { 0, 0 }, 0 }, { { 0, 0 }, 0 },
	{ { 0, 0 }, 0 }, { { 0, 0 }, 0 }
};

const b2b__product_ext *
b2b__book_product_ext(const b2b_book *b, const b2b__product *p)
{
	static const b2b__product_ext none;

	if (p->ext == B2B__NONE || p->ext >= b->nproduct_ext)
		return &none;
	return &b->product_ext[p->ext];
}

int
b2b__scope_matches(const b2b_book *b, const b2b__scope *s, uint32_t product)
{
	uint32_t node, depth;

	if (product >= b->nproducts)
		return 0;
	switch (s->kind) {
	case B2B__SCOPE_ALL:
		return 1;
	case B2B__SCOPE_SKU:
		return s->id == product;
	case B2B__SCOPE_CATEGORY:
		/* climb to the scope node's depth: whole path segments, never a
		 * text prefix (category:tools does not match toolsets) */
		if (s->id >= b->ncategories)
			return 0;
		depth = b->categories[s->id].depth;
		node = b->products[product].category;
		while (node != B2B__NONE && b->categories[node].depth > depth)
			node = b->categories[node].parent;
		return node == s->id;
	default:
		return 0;
	}
}

/* The run of items starting at `first` that share its owner and scope. */
static b2b__range
run_at(const b2b__item *items, size_t nitems, uint32_t first)
{
	b2b__range r;
	size_t i = first + 1;

	while (i < nitems && item_same_group(&items[first], &items[i]))
		i++;
	r.off = first;
	r.n = (uint32_t)(i - first);
	return r;
}

/*
 * The (list, sku:, product) group from the book's plan (book_plan.h: the
 * product's cells hold one run per sku: group, naming its first item and
 * count): 1 with *out, 0 when the list has none for the product.
 */
static int
plan_sku_group(const b2b__plan *pl, uint32_t list, uint32_t product, b2b__range *out)
{
	const b2b__pcell *ph = pl->cells + pl->prod_off[product];
	const b2b__pcell *c = ph + 1, *end = ph + 1 + (uint32_t)((uint64_t)ph->b >> 32);

	while (c < end) {
		uint32_t n = (uint32_t)((uint64_t)c->a >> 32);

		if ((uint32_t)c->a == list) {
			out->off = (uint32_t)c->b;
			out->n = n;
			return 1;
		}
		c += 1 + n;
	}
	return 0;
}

static size_t
groups_for(const b2b_book *b, const b2b__item *items, size_t nitems, const b2b__hash *h,
           const uint8_t *kinds, size_t nowners, uint32_t owner, uint32_t product,
           b2b__range *groups, size_t max)
{
	size_t k = 0;
	uint32_t f, node;
	unsigned has;

	if (product >= b->nproducts || h->n == 0 || owner >= nowners)
		return 0;
	has = kinds[owner];
	if ((has & (1u << B2B__SCOPE_SKU)) && items == b->items && b->plan != NULL) {
		/* a list's sku: group is one of the runs of the product's plan
		 * cells: no probe of the item index, whose misses (the slot,
		 * then an item per occupied slot of the run, also when the
		 * list has no group for the product) a large book pays */
		if (plan_sku_group(b->plan, owner, product, &groups[k]) && k < max)
			k++;
	} else if (has & (1u << B2B__SCOPE_SKU)) {
		f = group_find(items, h, owner, B2B__SCOPE_SKU, product);
		if (f != B2B__NONE && k < max)
			groups[k++] = run_at(items, nitems, f);
	}
	if (has & (1u << B2B__SCOPE_CATEGORY)) {
		for (node = b->products[product].category; node != B2B__NONE && k < max;
		     node = b->categories[node].parent) {
			f = group_find(items, h, owner, B2B__SCOPE_CATEGORY, node);
			if (f != B2B__NONE)
				groups[k++] = run_at(items, nitems, f);
		}
	}
	if (has & (1u << B2B__SCOPE_ALL)) {
		f = group_find(items, h, owner, B2B__SCOPE_ALL, 0);
		if (f != B2B__NONE && k < max)
			groups[k++] = run_at(items, nitems, f);
	}
	return k;
}

size_t
b2b__book_items(const b2b_book *b, uint32_t list, uint32_t product, b2b__range *groups,
                size_t max)
{
	if (b->index == NULL)
		return 0;
	return groups_for(b, b->items, b->nitems, &b->index->items, b->index->list_kinds,
	                  b->nlists, list, product, groups, max);
}

size_t
b2b__book_citems(const b2b_book *b, uint32_t contract, uint32_t product, b2b__range *groups,
                 size_t max)
{
	if (b->index == NULL)
		return 0;
	return groups_for(b, b->citems, b->ncitems, &b->index->citems, b->index->contract_kinds,
	                  b->ncontracts, contract, product, groups, max);
}

b2b__range
b2b__book_lists_applying(const b2b_book *b, int apply_kind, const char *value, size_t len)
{
	b2b__range r = { 0, 0 };
	uint32_t g;

	if (b->index == NULL || apply_kind < 0)
		return r;
	if (apply_kind == B2B__APPLY_DEFAULT) {
		value = "";
		len = 0;
	} else if (value == NULL) {
		return r;
	}
	g = b2b__ix_agroup_find(b, b->index, (uint32_t)apply_kind, value, len);
	if (g != B2B__NONE) {
		r.off = b->index->agroups[g].off;
		r.n = b->index->agroups[g].n;
	}
	return r;
}

/* First position in v[0, n) whose value is ≥ x. */
static size_t
lower_bound(const uint32_t *v, size_t n, uint32_t x)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (v[mid] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * The elements of s whose scope matches product p, merged back into
 * ascending element order (= application order).
 */
static size_t
scoped_for(const b2b_book *b, const b2b__scopeidx *s, uint32_t product, uint32_t *out,
           size_t max)
{
	b2b__range bk[B2B__ITEM_GROUPS_MAX];
	size_t nb = 0, total = 0, k, i;
	uint32_t g, node, last = 0;

	if (product >= b->nproducts || s->ngroups == 0)
		return 0;
	if ((s->kinds & (1u << B2B__SCOPE_SKU)) &&
	    (g = b2b__ix_sgroup_find(s, B2B__SCOPE_SKU, product)) != B2B__NONE)
		bk[nb++] = (b2b__range){ s->groups[g].off, s->groups[g].n };
	if (s->kinds & (1u << B2B__SCOPE_CATEGORY))
		for (node = b->products[product].category;
		     node != B2B__NONE && nb + 1 < B2B__ITEM_GROUPS_MAX;
		     node = b->categories[node].parent)
			if ((g = b2b__ix_sgroup_find(s, B2B__SCOPE_CATEGORY, node)) != B2B__NONE)
				bk[nb++] = (b2b__range){ s->groups[g].off, s->groups[g].n };
	if ((s->kinds & (1u << B2B__SCOPE_ALL)) &&
	    (g = b2b__ix_sgroup_find(s, B2B__SCOPE_ALL, 0)) != B2B__NONE)
		bk[nb++] = (b2b__range){ s->groups[g].off, s->groups[g].n };
	for (i = 0; i < nb; i++)
		total += bk[i].n;
	if (nb == 1) {
		for (k = 0; k < total && k < max; k++)
			out[k] = s->elems[bk[0].off + k];
		return total;
	}
	/* k-way merge without state: each round takes the smallest element > last */
	for (k = 0; k < total && k < max; k++) {
		uint32_t best = B2B__NONE;

		for (i = 0; i < nb; i++) {
			const uint32_t *v = s->elems + bk[i].off;
			size_t pos = k == 0 ? 0 : lower_bound(v, bk[i].n, last + 1);

			if (pos < bk[i].n && v[pos] < best)
				best = v[pos];
		}
		out[k] = last = best;
	}
	return total;
}

size_t
b2b__book_rules_for(const b2b_book *b, uint32_t product, uint32_t *out, size_t max)
{
	if (b->index == NULL)
		return 0;
	return scoped_for(b, &b->index->rules, product, out, max);
}

size_t
b2b__book_promos_for(const b2b_book *b, uint32_t product, uint32_t *out, size_t max)
{
	if (b->index == NULL)
		return 0;
	return scoped_for(b, &b->index->promos, product, out, max);
}

b2b__range
b2b__book_order_promos(const b2b_book *b)
{
	b2b__range r = { 0, 0 };

	if (b->index != NULL)
		r = b->index->order_promos;
	return r;
}

/* First row of the (from, to) block in fx (sorted by from, to, valid_from desc). */
static size_t
fx_block(const b2b_book *b, uint16_t from, uint16_t to)
{
	size_t lo = 0, hi = b->nfx;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const b2b__fx *f = &b->fx[mid];

		if (f->from < from || (f->from == from && f->to < to))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The latest from→to row with valid_from ≤ t, or B2B__NONE. */
static uint32_t
fx_row(const b2b_book *b, uint16_t from, uint16_t to, int64_t t)
{
	size_t i;

	for (i = fx_block(b, from, to); i < b->nfx && b->fx[i].from == from && b->fx[i].to == to;
	     i++)
		if (b->fx[i].valid_from <= t)
			return (uint32_t)i;
	return B2B__NONE;
}

int
b2b__book_fx(const b2b_book *b, uint16_t from, uint16_t to, int64_t t, b2b_dec *rate,
             uint16_t *src_from, uint16_t *src_to)
{
	uint32_t r;
	int rc;

	if (from == to) {
		*rate = b2b__dec_from_int(1);
		if (src_from != NULL)
			*src_from = from;
		if (src_to != NULL)
			*src_to = to;
		return 0;
	}
	if ((r = fx_row(b, from, to, t)) != B2B__NONE) {
		*rate = b->fx[r].rate;
		if (src_from != NULL)
			*src_from = from;
		if (src_to != NULL)
			*src_to = to;
		return 0;
	}
	if ((r = fx_row(b, to, from, t)) != B2B__NONE) {
		/* r9(1 ÷ rate) with the book's rounding mode (SPEC §5.1) */
		rc = b2b_dec_div(rate, b2b__dec_from_int(1), b->fx[r].rate, B2B_DEC_SCALE,
		                 b->settings.rounding);
		if (rc < 0)
			return rc;
		if (src_from != NULL)
			*src_from = to;
		if (src_to != NULL)
			*src_to = from;
		return 0;
	}
	return B2B_ECURRENCY;
}

b2b_dec
b2b__book_tax_rate(const b2b_book *b, uint16_t tax_class, const char *region, size_t len)
{
	b2b_dec zero = { 0, 0 };
	const char *cls;
	uint32_t t = B2B__NONE;

	if (b->index == NULL || tax_class == UINT16_MAX || tax_class >= b->ntax_classes)
		return zero;
	cls = b2b__s(b, b->tax_classes[tax_class]);
	if (region != NULL)
		t = b2b__ix_tax_find(b, &b->index->taxes, cls, region, len);
	if (t == B2B__NONE)
		t = b2b__ix_tax_find(b, &b->index->taxes, cls, "*", 1);
	return t == B2B__NONE ? zero : b->taxes[t].rate_percent;
}
