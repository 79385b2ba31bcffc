/*
 * libb2bcore — freezing a book builder (book_freeze.h): the items of
 * price lists and contracts. Their references (lists, base lists,
 * scopes), the canonical order of book_int.h (owner, scope, min_qty,
 * valid_from), the breaks whose windows overlap, and each owner's range.
 * SPDX-License-Identifier: MIT
 */
#include <string.h>

#include "book_freeze.h"

/* Does the row's source have column `field`? */
static int
has_col(const fz *z, int t, size_t row, int field)
{
	const b2b__seg *s = (const b2b__seg *)z->b->segs.p + B2B__LOC_SEG(LOC(z, t, row));

	return s->field_col[field] != 0;
}

typedef struct itemctx {
	const char *pool;
	const b2b__item *it;
	const b2b__item_ext *ext;   /* the builder's side table */
	int windows;            /* compare valid_from too */
} itemctx;

/* The window of an item of the builder (open on both ends without an extension). */
static const b2b__window *
item_window(const b2b__item_ext *ext, const b2b__item *it)
{
	return it->ext == B2B__NONE ? &b2b__item_ext_none.window : &ext[it->ext].window;
}

/*
 * Scopes in the canonical order of book_int.h: by text, i.e. all <
 * category (node order = path order) < sku (product order = sku order),
 * except that the skus that are not in the book (id B2B__NONE, a warning)
 * come after the others, by text: the index needs the items of one
 * (kind, id) contiguous.
 */
static int
scope_cmp(const char *pool, const b2b__scope *a, const b2b__scope *b)
{
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	if (a->kind == B2B__SCOPE_ALL)
		return 0;
	if (a->id != b->id)
		return a->id < b->id ? -1 : 1;
	if (a->id != B2B__NONE || a->text == b->text)
		return 0;
	return strcmp(pool + a->text, pool + b->text);
}

static int
item_cmp(const void *c, uint32_t x, uint32_t y)
{
	const itemctx *k = c;
	const b2b__item *a = &k->it[x], *b = &k->it[y];
	int r;

	if (a->list != b->list)
		return a->list < b->list ? -1 : 1;
	if ((r = scope_cmp(k->pool, &a->scope, &b->scope)) != 0)
		return r;
	if ((r = b2b_dec_cmp(a->min_qty, b->min_qty)) != 0)
		return r;
	if (k->windows && (a->ext != B2B__NONE || b->ext != B2B__NONE)) {
		int64_t fa = item_window(k->ext, a)->from, fb = item_window(k->ext, b)->from;

		if (fa != fb)
			return fa < fb ? -1 : 1;
	}
	return x < y ? -1 : x > y;
}

static const char *const compute_names[] = { "fixed", "discount", "formula" };

void
b2b__fz_items_refs(fz *z, maps *m)
{
	b2b_book_builder *b = z->b;
	b2b__item *it = ROWS(z, B2B_TABLE_PRICE_LIST_ITEMS, b2b__item);
	const b2b__list *l = ROWS(z, B2B_TABLE_PRICE_LISTS, b2b__list);
	size_t i, n = NROWS(z, B2B_TABLE_PRICE_LIST_ITEMS);
	b2b__str prev = 0;
	uint32_t prev_idx = B2B__NONE;

	for (i = 0; i < n; i++) {
		b2b__str list = it[i].list, base = it[i].base_list;

		/* consecutive items usually belong to one list */
		if (list != prev || list == 0) {
			prev = list;
			prev_idx = map_get(&m->lists, list);
		}
		it[i].list = prev_idx;
		if (list != 0 && prev_idx == B2B__NONE && !b->broken[B2B_TABLE_PRICE_LISTS])
			ERR(z, B2B_TABLE_PRICE_LIST_ITEMS, i, B2B__F_I_LIST,
			    "list: unknown price list \"%s\"", S(z, list));
		it[i].base_list = B2B__NONE;
		if (it[i].base == B2B__BASE_LIST_ID && base != 0) {
			it[i].base_list = map_get(&m->lists, base);
			if (it[i].base_list == B2B__NONE && !b->broken[B2B_TABLE_PRICE_LISTS])
				ERR(z, B2B_TABLE_PRICE_LIST_ITEMS, i, B2B__F_I_BASE,
				    "base: unknown price list \"%s\"", S(z, base));
		}
		if (prev_idx == B2B__NONE || BAD(z, B2B_TABLE_PRICE_LIST_ITEMS, i))
			continue;
		if (l[prev_idx].tier_mode == B2B__TIER_BLOCK && it[i].compute != B2B__COMPUTE_FIXED)
			ERR(z, B2B_TABLE_PRICE_LIST_ITEMS, i, B2B__F_I_COMPUTE,
			    "compute: expected fixed in block price list \"%s\" (tier_mode block), "
			    "got \"%s\"", S(z, l[prev_idx].id), compute_names[it[i].compute]);
		if (it[i].base_list != B2B__NONE &&
		    l[it[i].base_list].currency != l[prev_idx].currency &&
		    l[it[i].base_list].currency != UINT16_MAX && l[prev_idx].currency != UINT16_MAX)
			ERR(z, B2B_TABLE_PRICE_LIST_ITEMS, i, B2B__F_I_BASE,
			    "base: price list \"%s\" is in %s, not %s like price list \"%s\"",
			    S(z, l[it[i].base_list].id), z->book->currencies[l[it[i].base_list].currency].code,
			    z->book->currencies[l[prev_idx].currency].code, S(z, l[prev_idx].id));
	}
	b2b__fz_scopes_ref(z, m, B2B_TABLE_PRICE_LIST_ITEMS, sizeof(b2b__item),
	                   offsetof(b2b__item, scope), B2B__F_I_SCOPE);
}

/* An item's radix key: (owner, scope rank), a rank that orders scopes
 * like scope_cmp. */
static uint64_t
item_key(const fz *z, const b2b__item *it, uint64_t ncat)
{
	const b2b__scope *sc = &it->scope;
	/* unknown skus (B2B__NONE) share the last rank: item_cmp orders them */
	uint64_t rank = sc->kind == B2B__SCOPE_ALL ? 0
	              : sc->kind == B2B__SCOPE_CATEGORY ? 1 + (uint64_t)sc->id
	              : sc->id == B2B__NONE ? 1 + ncat + NROWS(z, B2B_TABLE_PRODUCTS)
	              : 1 + ncat + sc->id;

	return (uint64_t)it->list << 32 | rank;
}

/*
 * Sort items by owner and scope with a radix sort on (owner, scope rank),
 * a rank that orders scopes like scope_cmp, then by the full item_cmp
 * inside runs (min_qty, valid_from; unknown skus by text).
 */
static int
sort_items(fz *z, int t, const itemctx *k, size_t n)
{
	const b2b__item *it = k->it;
	uint64_t ncat = z->book->ncategories;
	rkey *keys;
	uint32_t *starts;
	uint64_t prev = 0;
	size_t i, r, nruns;
	int rc;

	if (n <= 64 || b2b__fz_in_order(n, item_cmp, k))
		return b2b__fz_sort_table(z, t, item_cmp, k);
	if (ncat + NROWS(z, B2B_TABLE_PRODUCTS) + 2 > UINT32_MAX)
		return b2b__fz_sort_table(z, t, item_cmp, k);
	/* rows come in runs of one list and scope (a scope's breaks): one
	 * key per run then, unless runs are short */
	for (i = 0, nruns = 0; i < n; i++) {
		uint64_t key = item_key(z, &it[i], ncat);

		if (i == 0 || key != prev)
			nruns++;
		prev = key;
	}
	if (nruns <= n / 2) {
		if ((keys = b2b__malloc(z->a, nruns * sizeof(rkey))) == NULL)
			return B2B_ENOMEM;
		if ((starts = b2b__malloc(z->a, (nruns + 1) * sizeof(uint32_t))) == NULL) {
			b2b__free(z->a, keys, nruns * sizeof(rkey));
			return B2B_ENOMEM;
		}
		for (i = 0, r = 0; i < n; i++) {
			uint64_t key = item_key(z, &it[i], ncat);

			if (i == 0 || key != prev) {
				keys[r].k = key;
				keys[r].i = (uint32_t)r;
				starts[r++] = (uint32_t)i;
			}
			prev = key;
		}
		starts[nruns] = (uint32_t)n;
		rc = b2b__fz_radix_runs_then_cmp(z, t, keys, starts, nruns, n, item_cmp, k, NULL);
		b2b__free(z->a, starts, (nruns + 1) * sizeof(uint32_t));
		b2b__free(z->a, keys, nruns * sizeof(rkey));
		return rc;
	}
	if ((keys = b2b__malloc(z->a, n * sizeof(rkey))) == NULL)
		return B2B_ENOMEM;
	for (i = 0; i < n; i++) {
		keys[i].k = item_key(z, &it[i], ncat);
		keys[i].i = (uint32_t)i;
	}
	rc = b2b__fz_radix_then_cmp(z, t, keys, n, item_cmp, k, NULL);
	b2b__free(z->a, keys, n * sizeof(rkey));
	return rc;
}

static void
overlap_report(fz *z, int t, size_t i, size_t other, const char *owner_kind, const char *owner)
{
	char w[300];
	const b2b__item *it = ROWS(z, t, b2b__item);

	b2b__fz_where(z, t, i, other, w, sizeof(w));
	if (t == B2B_TABLE_PRICE_LIST_ITEMS)
		ERR(z, t, i, has_col(z, t, i, B2B__F_I_VALID_FROM) ? B2B__F_I_VALID_FROM : B2B__F_I_SCOPE,
		    "%s: the item's window overlaps the item %s with the same %s "
		    "\"%s\", scope %s and min_qty (one break cannot have two prices at one "
		    "instant)", has_col(z, t, i, B2B__F_I_VALID_FROM) ? "valid_from" : "scope", w,
		    owner_kind, owner, S(z, it[i].scope.text));
	else
		ERR(z, t, i, B2B__F_KI_SCOPE,
		    "scope: the item repeats the item %s with the same %s \"%s\", scope %s "
		    "and min_qty (one break cannot have two prices)", w, owner_kind, owner,
		    S(z, it[i].scope.text));
}

/*
 * Sort items by owner, scope, min_qty, valid_from; report overlapping
 * windows of one break; fill each owner's items_off / items_n.
 */
int
b2b__fz_items(fz *z, int t, size_t nowners)
{
	b2b__item *it;
	itemctx k;
	size_t n = NROWS(z, t), i, start;
	int rc;

	k.pool = z->b->pool;
	k.it = z->b->rows[t].p;
	k.ext = z->b->iext.p;
	k.windows = t == B2B_TABLE_PRICE_LIST_ITEMS;
	if ((rc = sort_items(z, t, &k, n)) < 0)
		return rc;
	it = ROWS(z, t, b2b__item);
	for (start = 0; start < n; ) {
		size_t end = start + 1, maxi = SIZE_MAX;

		while (end < n && it[end].list == it[start].list &&
		       scope_cmp(z->b->pool, &it[end].scope, &it[start].scope) == 0 &&
		       b2b_dec_cmp(it[end].min_qty, it[start].min_qty) == 0)
			end++;
		/* sorted by valid_from: an item overlaps when it starts before the
		 * latest end so far (rows with problems of their own are left out) */
		for (i = start; i < end && it[start].list != B2B__NONE; i++) {
			const b2b__window *w = item_window(k.ext, &it[i]);

			if (BAD(z, t, i))
				continue;
			if (maxi != SIZE_MAX && w->from < item_window(k.ext, &it[maxi])->until) {
				const b2b__str *owner = t == B2B_TABLE_PRICE_LIST_ITEMS
				    ? &ROWS(z, B2B_TABLE_PRICE_LISTS, b2b__list)[it[i].list].id
				    : &ROWS(z, B2B_TABLE_CONTRACTS, b2b__contract)[it[i].list].id;

				overlap_report(z, t, i, maxi,
				               t == B2B_TABLE_PRICE_LIST_ITEMS ? "list" : "contract",
				               S(z, *owner));
			}
			if (maxi == SIZE_MAX || w->until > item_window(k.ext, &it[maxi])->until)
				maxi = i;
		}
		start = end;
	}
	/* owners' ranges */
	for (i = 0; i < n; ) {
		size_t j = i;
		uint32_t o = it[i].list;

		while (j < n && it[j].list == o)
			j++;
		if (o != B2B__NONE && o < nowners) {
			if (t == B2B_TABLE_PRICE_LIST_ITEMS) {
				b2b__list *l = &ROWS(z, B2B_TABLE_PRICE_LISTS, b2b__list)[o];

				l->items_off = (uint32_t)i;
				l->items_n = (uint32_t)(j - i);
			} else {
				b2b__contract *c = &ROWS(z, B2B_TABLE_CONTRACTS, b2b__contract)[o];

				c->items_off = (uint32_t)i;
				c->items_n = (uint32_t)(j - i);
			}
		}
		i = j;
	}
	return 0;
}

/*
 * The side table of the items' extensions in item order, then the
 * contract items' (book_int.h), once both tables are sorted: a book's
 * item_ext does not depend on the order of the rows it was loaded from.
 */
int
b2b__fz_items_ext(fz *z)
{
	b2b_book_builder *b = z->b;
	const b2b__item_ext *ext = b->iext.p;
	b2b__item_ext *next;
	size_t i, k = 0;
	int t;

	if (b->iext.n == 0)
		return 0;
	if ((next = b2b__malloc(z->a, b->iext.n * sizeof(b2b__item_ext))) == NULL)
		return B2B_ENOMEM;
	for (t = B2B_TABLE_PRICE_LIST_ITEMS; ; t = B2B_TABLE_CONTRACT_ITEMS) {
		b2b__item *it = ROWS(z, t, b2b__item);

		for (i = 0; i < NROWS(z, t); i++) {
			if (it[i].ext != B2B__NONE) {
				memcpy(&next[k], &ext[it[i].ext], sizeof next[k]);
				it[i].ext = (uint32_t)k++;
			}
		}
		if (t == B2B_TABLE_CONTRACT_ITEMS)
			break;
	}
	b2b__free(z->a, b->iext.p, b->iext.cap * sizeof(b2b__item_ext));
	b->iext.p = next;
	b->iext.cap = b->iext.n;   /* every extension belongs to one item: k == n */
	b->iext.n = k;
	return 0;
}
