/*
 * libb2bcore — the book's indexes and lookups (book_int.h).
 *
 * Every key index is a frozen open-addressing hash table of uint32_t
 * slots, each holding an element index (or B2B__NONE): 2n slots for n
 * keys (load factor 0.5 exactly; the table size is not a power of two,
 * a slot is chosen by multiply-shift range reduction of the hash's high
 * 32 bits), linear probing, built once at freeze and never changed. The
 * key itself lives in the element (products[i].sku…), so a table costs
 * 8 bytes per key: a product is 56 bytes of record + 8 of index.
 *
 * Items of price lists and contracts are indexed by (owner, scope): one
 * slot pair per group of items that share their owner and scope (the
 * builder lays those out contiguously), so a line finds its sku group,
 * each category ancestor's group and the `all` group in O(depth).
 * Dynamic rules and line promotions are bucketed by scope the same way
 * and merged back into application order (their array order).
 * SPDX-License-Identifier: MIT
 */
#include <string.h>

#include "book_int.h"
#include "dec_int.h"

typedef struct b2b__hash {
	uint32_t *slots;
	uint32_t n;
} b2b__hash;

/* Lists that apply to (kind, value): off/n into book->u32. */
typedef struct b2b__agroup {
	uint32_t kind;
	b2b__str value;
	uint32_t off, n;
} b2b__agroup;

/* Elements (rules or promotions) whose scope is (kind, id): off/n into elems. */
typedef struct b2b__sgroup {
	uint32_t kind;
	uint32_t id;
	uint32_t off, n;
} b2b__sgroup;

typedef struct b2b__scopeidx {
	b2b__sgroup *groups;
	size_t ngroups;
	b2b__hash hash;
	uint32_t *elems;    /* ascending element indexes, grouped */
	size_t nelems;
	unsigned kinds;     /* bit k: some element has a scope of kind k */
} b2b__scopeidx;

struct b2b__index {
	b2b__hash products, customers, lists, contracts, currencies, taxes;
	b2b__hash items, citems;
	/* per list / contract: bit k set when it has a group of scope kind k,
	 * so that lookups skip the probes that cannot find anything */
	uint8_t *list_kinds, *contract_kinds;
	b2b__agroup *agroups;
	size_t nagroups;
	b2b__hash ahash;
	b2b__scopeidx rules, promos;
	b2b__range order_promos;
	size_t u32_base;        /* book->nu32 before the index appended to it */
	size_t bytes;
};

/*===========================================================================
 * MARK: - hashing
 *===========================================================================*/

/* splitmix64's finaliser: a full-avalanche 64-bit mix. */
static inline uint64_t
mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= UINT64_C(0xbf58476d1ce4e5b9);
	x ^= x >> 27;
	x *= UINT64_C(0x94d049bb133111eb);
	x ^= x >> 31;
	return x;
}

/* Hash `len` bytes, 8 at a time; the length is mixed in, so "a" and "a\0" differ. */
static uint64_t
hash_bytes(const char *s, size_t len, uint64_t seed)
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

static inline uint64_t
hash_key3(uint32_t owner, uint32_t kind, uint32_t id)
{
	return mix64(mix64(((uint64_t)kind << 32 | owner) + UINT64_C(0xe7037ed1a0b428db)) ^ id);
}

/* The home slot of hash h in a table of n slots (multiply-shift range reduction). */
static inline uint32_t
home(uint64_t h, uint32_t n)
{
	return (uint32_t)(((h >> 32) * (uint64_t)n) >> 32);
}

/* Does the pool string s equal the `len` bytes of key? (stops at s's NUL) */
static inline int
pool_eq(const char *s, const char *key, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] != key[i] || s[i] == '\0')
			return 0;
	return s[len] == '\0';
}

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
 * MARK: - sorting (shared with fingerprint.c)
 *===========================================================================*/

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
		hash_put(&ix->products, hash_bytes(k, strlen(k), 0), (uint32_t)i);
	}
	for (i = 0; i < b->ncustomers; i++) {
		const char *k = b2b__s(b, b->customers[i].id);
		hash_put(&ix->customers, hash_bytes(k, strlen(k), 0), (uint32_t)i);
	}
	for (i = 0; i < b->nlists; i++) {
		const char *k = b2b__s(b, b->lists[i].id);
		hash_put(&ix->lists, hash_bytes(k, strlen(k), 0), (uint32_t)i);
	}
	for (i = 0; i < b->ncontracts; i++) {
		const char *k = b2b__s(b, b->contracts[i].id);
		hash_put(&ix->contracts, hash_bytes(k, strlen(k), 0), (uint32_t)i);
	}
	for (i = 0; i < b->ncurrencies; i++) {
		const char *k = b->currencies[i].code;
		hash_put(&ix->currencies, hash_bytes(k, strnlen(k, 4), 0), (uint32_t)i);
	}
	return 0;
}

static uint64_t
tax_hash(const char *cls, size_t clen, const char *region, size_t rlen)
{
	return hash_bytes(region, rlen, hash_bytes(cls, clen, 0x7a78));
}

static uint32_t
tax_find(const b2b_book *b, const b2b__hash *h, const char *cls, const char *region,
         size_t rlen)
{
	size_t clen = strlen(cls);
	uint32_t i, v;

	if (h->n == 0)
		return B2B__NONE;
	for (i = home(tax_hash(cls, clen, region, rlen), h->n);; ) {
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

		if (tax_find(b, &ix->taxes, c, r, strlen(r)) != B2B__NONE)
			return B2B_EINVAL;
		hash_put(&ix->taxes, tax_hash(c, strlen(c), r, strlen(r)), (uint32_t)i);
	}
	return 0;
}

static inline int
item_same_group(const b2b__item *x, const b2b__item *y)
{
	return x->list == y->list && x->scope.kind == y->scope.kind && x->scope.id == y->scope.id;
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

static uint64_t
agroup_hash(uint32_t kind, const char *value, size_t len)
{
	return hash_bytes(value, len, 0x61700000u + kind);
}

static uint32_t
agroup_find(const b2b_book *b, const struct b2b__index *ix, uint32_t kind, const char *value,
            size_t len)
{
	const b2b__hash *h = &ix->ahash;
	uint32_t i, v;

	if (h->n == 0)
		return B2B__NONE;
	for (i = home(agroup_hash(kind, value, len), h->n);; ) {
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
			hash_put(&ix->ahash, agroup_hash(p->kind, v, strlen(v)), (uint32_t)ng);
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

static uint32_t
sgroup_find(const b2b__scopeidx *s, uint32_t kind, uint32_t id)
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
	       b->nrules * sizeof *b->rules + b->npoints * sizeof *b->points +
	       b->npromos * sizeof *b->promos + b->ntaxes * sizeof *b->taxes +
	       b->ntax_classes * sizeof *b->tax_classes + b->napprovals * sizeof *b->approvals +
	       b->nu32 * sizeof *b->u32 + b->nstrs * sizeof *b->strs +
	       b->nscopes * sizeof *b->scopes + b->napplies * sizeof *b->applies;
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
		for (i = home(hash_bytes(key, len, 0), h->n);; ) {                    \
			v = h->slots[i];                                              \
			if (v == B2B__NONE)                                           \
				return B2B__NONE;                                     \
			if (pool_eq(b2b__s(b, b->arr[v].field), key, len))            \
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
	for (i = home(hash_bytes(code, len, 0), h->n);; ) {
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
	if (has & (1u << B2B__SCOPE_SKU)) {
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
	g = agroup_find(b, b->index, (uint32_t)apply_kind, value, len);
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
	    (g = sgroup_find(s, B2B__SCOPE_SKU, product)) != B2B__NONE)
		bk[nb++] = (b2b__range){ s->groups[g].off, s->groups[g].n };
	if (s->kinds & (1u << B2B__SCOPE_CATEGORY))
		for (node = b->products[product].category;
		     node != B2B__NONE && nb + 1 < B2B__ITEM_GROUPS_MAX;
		     node = b->categories[node].parent)
			if ((g = sgroup_find(s, B2B__SCOPE_CATEGORY, node)) != B2B__NONE)
				bk[nb++] = (b2b__range){ s->groups[g].off, s->groups[g].n };
	if ((s->kinds & (1u << B2B__SCOPE_ALL)) &&
	    (g = sgroup_find(s, B2B__SCOPE_ALL, 0)) != B2B__NONE)
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
		t = tax_find(b, &b->index->taxes, cls, region, len);
	if (t == B2B__NONE)
		t = tax_find(b, &b->index->taxes, cls, "*", 1);
	return t == B2B__NONE ? zero : b->taxes[t].rate_percent;
}
