/*
 * libb2bcore — freezing a book builder (book_freeze.h): the references
 * between tables. Currencies (the built-in table merged with the book's)
 * and the settings; the category tree of every path the book names;
 * scopes; products, customers, price lists and contracts, each reference
 * resolved to a final index and every unknown one reported (SPEC §3, §9).
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <string.h>

#include "b2b/currency.h"
#include "book_freeze.h"

/*===========================================================================
 * MARK: - Currencies and settings
 *===========================================================================*/

static const char *
code_text(uint16_t idx, char buf[4])
{
	b2b__ccy_code_text(idx, buf);
	return buf;
}

typedef struct ccyctx {
	const b2b__currency *rows;
} ccyctx;

static int
ccy_cmp(const void *c, uint32_t x, uint32_t y)
{
	const ccyctx *k = c;
	int r = memcmp(k->rows[x].code, k->rows[y].code, 4);

	return r != 0 ? r : x < y ? -1 : x > y;
}

int
b2b__fz_currencies(fz *z)
{
	b2b_book *book = z->book;
	b2b__currency *rows;
	ccyctx k;
	size_t n, nb = b2b_currency_builtin_count(), i, j, total;
	b2b__currency *out;
	int rc;

	k.rows = z->b->rows[B2B_TABLE_CURRENCIES].p;
	if ((rc = b2b__fz_sort_table(z, B2B_TABLE_CURRENCIES, ccy_cmp, &k)) < 0)
		return rc;
	rows = ROWS(z, B2B_TABLE_CURRENCIES, b2b__currency);
	n = NROWS(z, B2B_TABLE_CURRENCIES);
	for (i = 1; i < n; i++) {
		size_t f = i - 1;

		if (rows[i].code[0] == '\0' || memcmp(rows[i].code, rows[i - 1].code, 4) != 0)
			continue;
		while (f > 0 && memcmp(rows[f - 1].code, rows[i].code, 4) == 0)
			f--;
		{
			char w[300];

			b2b__fz_where(z, B2B_TABLE_CURRENCIES, i, f, w, sizeof(w));
			ERR(z, B2B_TABLE_CURRENCIES, i, B2B__F_CCY_CODE,
			    "code: duplicate currency \"%s\" (first %s)", rows[i].code, w);
		}
	}
	/* the union of the built-in table and the book's rows, by code */
	if ((out = b2b__calloc(z->a, nb + n, sizeof(b2b__currency))) == NULL)
		return B2B_ENOMEM;
	total = 0;
	i = j = 0;
	while (i < nb || j < n) {
		const char *bc = i < nb ? b2b_currency_builtin_code(i) : NULL;
		int c;

		if (j < n && rows[j].code[0] == '\0') {
			j++;
			continue;
		}
		if (j > 0 && j < n && memcmp(rows[j].code, rows[j - 1].code, 4) == 0) {
			j++;    /* a duplicate: reported above */
			continue;
		}
		c = bc == NULL ? 1 : j >= n ? -1 : memcmp(bc, rows[j].code, 4);
		if (c <= 0) {
			memcpy(out[total].code, bc, 4);
			out[total].minor_units = b2b_currency_minor_units(bc, 3);
			i++;
		}
		if (c >= 0) {
			memcpy(out[total].code, rows[j].code, 4);
			/* a bad minor_units cell keeps the built-in value, else 2 */
			if (rows[j].minor_units >= 0)
				out[total].minor_units = rows[j].minor_units;
			else if (c != 0)
				out[total].minor_units = 2;
			out[total].cash_increment = rows[j].cash_increment;
			j++;
		}
		total++;
	}
	if (total > UINT16_MAX - 1) {
		b2b__free(z->a, out, (nb + n) * sizeof(b2b__currency));
		return B2B_ENOMEM;   /* cannot happen: 26^3 codes at most */
	}
	if (total < nb + n) {
		b2b__currency *p = b2b__realloc(z->a, out, (nb + n) * sizeof(b2b__currency),
		                                 total * sizeof(b2b__currency));

		if (p == NULL) {
			b2b__free(z->a, out, (nb + n) * sizeof(b2b__currency));
			return B2B_ENOMEM;
		}
		out = p;
	}
	book->currencies = out;
	book->ncurrencies = total;
	if ((z->ccy_map = b2b__malloc(z->a, B2B__CCY_CODES * sizeof(uint16_t))) == NULL)
		return B2B_ENOMEM;
	for (i = 0; i < B2B__CCY_CODES; i++)
		z->ccy_map[i] = UINT16_MAX;
	for (i = 0; i < total; i++)
		z->ccy_map[b2b__ccy_code_index(out[i].code)] = (uint16_t)i;
	return 0;
}

/* The final index of a provisional currency; reports an unknown code. */
uint16_t
b2b__fz_ccy_ref(fz *z, uint16_t code, int t, size_t row, int field, const char *label)
{
	char c[4];
	uint16_t r;

	if (code == B2B__CCY_UNSET)
		return B2B__CCY_UNSET;
	r = z->ccy_map[code];
	if (r == UINT16_MAX)
		ERR(z, t, row, field, "%s: unknown currency \"%s\" (neither built in nor in "
		    "currencies.csv)", label, code_text(code, c));
	return r;
}

void
b2b__fz_settings(fz *z)
{
	b2b_book_builder *b = z->b;
	uint16_t code = b->base_ccy;

	z->book->settings = b->settings;
	if (code == B2B__CCY_UNSET) {
		code = b2b__ccy_code_index("USD");
		z->base = z->ccy_map[code];
	} else {
		const b2b__setting_row *rows = ROWS(z, B2B_TABLE_SETTINGS, b2b__setting_row);
		size_t i;

		for (i = 0; i < NROWS(z, B2B_TABLE_SETTINGS); i++)
			if (rows[i].key == B2B__SET_BASE_CURRENCY)
				z->base = b2b__fz_ccy_ref(z, code, B2B_TABLE_SETTINGS, i,
				                          B2B__F_S_VALUE, "value");
	}
	if (z->base == UINT16_MAX)
		z->base = 0;    /* reported; the book is not built */
	z->book->settings.base_currency = z->base;
}

/*===========================================================================
 * MARK: - Categories
 *===========================================================================*/

static int
cat_map_grow(fz *z, catb *c)
{
	u32map nm;
	size_t i;
	int rc;

	if ((c->nmap + 1) * 2 <= c->map.cap)
		return 0;
	if ((rc = map_init(z->a, &nm, c->map.cap)) < 0)
		return rc;
	for (i = 0; i < c->map.cap; i++)
		if (c->map.e[i] != 0)
			map_put(&nm, (uint32_t)(c->map.e[i] >> 32), (uint32_t)c->map.e[i]);
	map_free(z->a, &c->map);
	c->map = nm;
	return 0;
}

/* Add a path and all its prefixes. */
static int
cat_add(fz *z, catb *c, b2b__str path)
{
	size_t len, j;
	int rc;

	if (path == 0 || map_get(&c->map, path) != B2B__NONE)
		return 0;
	len = strlen(S(z, path));
	for (j = 1; j <= len; j++) {
		b2b__str p;

		if (j < len && S(z, path)[j] != '/')
			continue;
		/* interning may move the pool: index it again each time */
		if ((rc = b2b__bb_intern(z->b, S(z, path), j, &p)) < 0)
			return rc;
		if (map_get(&c->map, p) == B2B__NONE) {
			b2b__category *node;

			if ((rc = cat_map_grow(z, c)) < 0)
				return rc;
			if (c->nodes.n == c->nodes.cap &&
			    (rc = b2b__grow(z->a, &c->nodes.p, &c->nodes.cap, c->nodes.n + 1,
			                    sizeof(b2b__category))) < 0)
				return rc;
			node = (b2b__category *)c->nodes.p + c->nodes.n;
			node->path = p;
			node->parent = B2B__NONE;
			node->depth = 0;
			map_put(&c->map, p, (uint32_t)c->nodes.n);
			c->nodes.n++;
			c->nmap++;
		}
	}
	return 0;
}

static int
cat_add_scopes(fz *z, catb *c, const b2b__vec *v, size_t elem, size_t off)
{
	size_t i;
	int rc;

	for (i = 0; i < v->n; i++) {
		const b2b__scope *sc = (const b2b__scope *)((const char *)v->p + i * elem + off);

		if (sc->kind == B2B__SCOPE_CATEGORY && (rc = cat_add(z, c, sc->id)) < 0)
			return rc;
	}
	return 0;
}

typedef struct catctx {
	const char *pool;
	const b2b__category *nodes;
} catctx;

static int
cat_cmp(const void *c, uint32_t x, uint32_t y)
{
	const catctx *k = c;
	int r = strcmp(k->pool + k->nodes[x].path, k->pool + k->nodes[y].path);

	return r != 0 ? r : x < y ? -1 : x > y;
}

/* Build the category tree; c->map then maps a path to its final index. */
int
b2b__fz_categories(fz *z, catb *c)
{
	b2b_book_builder *b = z->b;
	const b2b__product *p;
	uint32_t *perm = NULL, *rank = NULL;
	b2b__category *out = NULL, *nodes;
	catctx k;
	size_t i, n;
	int rc;

	if ((rc = map_init(z->a, &c->map, 64)) < 0)
		return rc;
	p = ROWS(z, B2B_TABLE_PRODUCTS, b2b__product);
	for (i = 0; i < NROWS(z, B2B_TABLE_PRODUCTS); i++)
		if (p[i].category != 0 && (i == 0 || p[i].category != p[i - 1].category) &&
		    (rc = cat_add(z, c, p[i].category)) < 0)
			return rc;
	if ((rc = cat_add_scopes(z, c, &b->rows[B2B_TABLE_PRICE_LIST_ITEMS], sizeof(b2b__item),
	                         offsetof(b2b__item, scope))) < 0 ||
	    (rc = cat_add_scopes(z, c, &b->rows[B2B_TABLE_CONTRACT_ITEMS], sizeof(b2b__item),
	                         offsetof(b2b__item, scope))) < 0 ||
	    (rc = cat_add_scopes(z, c, &b->rows[B2B_TABLE_DYNAMIC_RULES], sizeof(b2b__rule),
	                         offsetof(b2b__rule, scope))) < 0 ||
	    (rc = cat_add_scopes(z, c, &b->rows[B2B_TABLE_PROMOTIONS], sizeof(b2b__promo),
	                         offsetof(b2b__promo, scope))) < 0 ||
	    (rc = cat_add_scopes(z, c, &b->scopes, sizeof(b2b__scope), 0)) < 0)
		return rc;
	n = c->nodes.n;
	if (n == 0)
		return 0;
	nodes = c->nodes.p;
	if ((perm = b2b__malloc(z->a, n * sizeof(uint32_t))) == NULL ||
	    (rank = b2b__malloc(z->a, n * sizeof(uint32_t))) == NULL ||
	    (out = b2b__malloc(z->a, n * sizeof(b2b__category))) == NULL) {
		rc = B2B_ENOMEM;
		goto done;
	}
	for (i = 0; i < n; i++)
		perm[i] = (uint32_t)i;
	k.pool = b->pool;
	k.nodes = nodes;
	if ((rc = b2b__sort_u32(z->a, perm, n, cat_cmp, &k)) < 0)
		goto done;
	for (i = 0; i < n; i++) {
		out[i] = nodes[perm[i]];
		rank[perm[i]] = (uint32_t)i;
	}
	for (i = 0; i < c->map.cap; i++)
		if (c->map.e[i] != 0)
			c->map.e[i] = (c->map.e[i] & ~(uint64_t)UINT32_MAX) | rank[(uint32_t)c->map.e[i]];
	/* a parent sorts before its children (a prefix is smaller) */
	for (i = 0; i < n; i++) {
		const char *path = S(z, out[i].path), *slash = strrchr(path, '/');

		if (slash == NULL) {
			out[i].parent = B2B__NONE;
			out[i].depth = 1;
		} else {
			uint32_t par = map_get(&c->map, b2b__bb_find(b, path, (size_t)(slash - path)));

			out[i].parent = par;
			out[i].depth = par == B2B__NONE ? 1 : out[par].depth + 1;
		}
	}
	z->book->categories = out;
	z->book->ncategories = n;
	out = NULL;
done:
	b2b__free(z->a, out, n * sizeof(b2b__category));
	b2b__free(z->a, rank, n * sizeof(uint32_t));
	b2b__free(z->a, perm, n * sizeof(uint32_t));
	return rc;
}

/*===========================================================================
 * MARK: - Scopes
 *===========================================================================*/

/* Resolve a provisional scope; an sku that is not in the book is a
 * warning (the scope then matches nothing). */
void
b2b__fz_scope_ref(fz *z, maps *m, b2b__scope *sc, int t, size_t row, int field, const char *label)
{
	if (sc->kind == B2B__SCOPE_SKU) {
		b2b__str sku = sc->id;

		sc->id = map_get(&m->products, sku);
		if (sc->id == B2B__NONE && !z->b->broken[B2B_TABLE_PRODUCTS])
			DIAG(z, B2B_SEV_WARNING, t, row, field, "%s: sku \"%s\" is not in the book's "
			     "products; the scope matches nothing", label, S(z, sku));
	} else if (sc->kind == B2B__SCOPE_CATEGORY) {
		sc->id = map_get(&m->cat.map, sc->id);
	} else {
		sc->id = 0;
	}
}

/* Scopes of a table's rows (with a memo of the previous row's). */
void
b2b__fz_scopes_ref(fz *z, maps *m, int t, size_t elem, size_t off, int field)
{
	b2b__vec *v = &z->b->rows[t];
	b2b__scope prev_in, prev_out;
	size_t i;
	int have = 0;

	memset(&prev_in, 0, sizeof(prev_in));
	memset(&prev_out, 0, sizeof(prev_out));
	for (i = 0; i < v->n; i++) {
		b2b__scope *sc = (b2b__scope *)((char *)v->p + i * elem + off);

		if (sc->text == 0 && sc->kind != B2B__SCOPE_ALL)
			continue;   /* the cell had a problem */
		if (have && sc->text == prev_in.text && sc->kind == prev_in.kind &&
		    (prev_out.kind != B2B__SCOPE_SKU || prev_out.id != B2B__NONE)) {
			*sc = prev_out;
			continue;
		}
		prev_in = *sc;
		b2b__fz_scope_ref(z, m, sc, t, i, field, "scope");
		prev_out = *sc;
		have = 1;
	}
}

/*===========================================================================
 * MARK: - Products
 *===========================================================================*/

typedef struct strctx {
	const char *pool;
	const b2b__str *s;
} strctx;

static int
str_cmp(const void *c, uint32_t x, uint32_t y)
{
	const strctx *k = c;
	int r = k->s[x] == k->s[y] ? 0 : strcmp(k->pool + k->s[x], k->pool + k->s[y]);

	return r != 0 ? r : x < y ? -1 : x > y;
}

/* Final tax classes: every class named by a product or a tax row, sorted. */
int
b2b__fz_tax_classes(fz *z)
{
	b2b_book_builder *b = z->b;
	const b2b__tax *tx = ROWS(z, B2B_TABLE_TAXES, b2b__tax);
	size_t np = b->tax_classes.n, nt = NROWS(z, B2B_TABLE_TAXES), n = np + nt, i, m = 0;
	b2b__str *all = NULL, *out = NULL;
	uint32_t *perm = NULL;
	strctx k;
	int rc = 0;

	if (n == 0)
		return 0;
	if ((all = b2b__malloc(z->a, n * sizeof(b2b__str))) == NULL ||
	    (perm = b2b__malloc(z->a, n * sizeof(uint32_t))) == NULL ||
	    (z->tc_map = b2b__malloc(z->a, (np ? np : 1) * sizeof(uint32_t))) == NULL) {
		rc = B2B_ENOMEM;
		goto done;
	}
	for (i = 0; i < np; i++)
		all[i] = ((b2b__str *)b->tax_classes.p)[i];
	for (i = 0; i < nt; i++)
		all[np + i] = tx[i].tax_class;
	for (i = 0; i < n; i++)
		perm[i] = (uint32_t)i;
	k.pool = b->pool;
	k.s = all;
	if ((rc = b2b__sort_u32(z->a, perm, n, str_cmp, &k)) < 0)
		goto done;
	for (i = 0; i < n; i++) {
		b2b__str s = all[perm[i]];

		if (s == 0)
			continue;
		if (m == 0 || all[perm[m - 1]] != s)
			perm[m++] = perm[i];
		if (perm[i] < np)
			z->tc_map[perm[i]] = (uint32_t)m - 1;
	}
	if (m > UINT16_MAX - 1) {
		rc = b2b__bb_diag(b, z->ctx, B2B_SEV_ERROR, b2b__bb_row_source(b, B2B_TABLE_TAXES, 0),
		                  0, 0, "expected at most 65534 tax classes in a book, got %zu", m);
		goto done;
	}
	if (m > 0 && (out = b2b__malloc(z->a, m * sizeof(b2b__str))) == NULL) {
		rc = B2B_ENOMEM;
		goto done;
	}
	for (i = 0; i < m; i++)
		out[i] = all[perm[i]];
	z->book->tax_classes = out;
	z->book->ntax_classes = m;
done:
	b2b__free(z->a, all, n * sizeof(b2b__str));
	b2b__free(z->a, perm, n * sizeof(uint32_t));
	return rc;
}

int
b2b__fz_products(fz *z, maps *m)
{
	b2b_book_builder *b = z->b;
	b2b__product *p;
	b2b__product_ext *ext = b->ext.p, *next = NULL;
	size_t n, i, k = 0;
	int rc;

	if ((rc = b2b__fz_keyed(z, B2B_TABLE_PRODUCTS, offsetof(b2b__product, sku), B2B__F_P_SKU,
	                        "sku", &m->products)) < 0)
		return rc;
	p = ROWS(z, B2B_TABLE_PRODUCTS, b2b__product);
	n = NROWS(z, B2B_TABLE_PRODUCTS);
	/* the side table in product order */
	if (b->ext.n > 0 &&
	    (next = b2b__malloc(z->a, b->ext.n * sizeof(b2b__product_ext))) == NULL)
		return B2B_ENOMEM;
	for (i = 0; i < n; i++) {
		p[i].currency = p[i].currency == B2B__CCY_UNSET
		                ? z->base
		                : b2b__fz_ccy_ref(z, p[i].currency, B2B_TABLE_PRODUCTS, i,
		                                  B2B__F_P_CURRENCY, "currency");
		if (p[i].ext != B2B__NONE) {
			next[k] = ext[p[i].ext];
			p[i].ext = (uint32_t)k++;
		}
	}
	if (next != NULL) {
		b2b__free(z->a, b->ext.p, b->ext.cap * sizeof(b2b__product_ext));
		b->ext.p = next;
		b->ext.cap = b->ext.n;
	}
	return 0;
}

void
b2b__fz_products_refs(fz *z, maps *m)
{
	b2b__product *p = ROWS(z, B2B_TABLE_PRODUCTS, b2b__product);
	size_t i;

	for (i = 0; i < NROWS(z, B2B_TABLE_PRODUCTS); i++) {
		p[i].category = p[i].category == 0 ? B2B__NONE : map_get(&m->cat.map, p[i].category);
		if (p[i].tax_class != UINT16_MAX)
			p[i].tax_class = z->tc_map != NULL ? (uint16_t)z->tc_map[p[i].tax_class]
			                                   : UINT16_MAX;
	}
}

/*===========================================================================
 * MARK: - Customers, price lists, contracts
 *===========================================================================*/

void
b2b__fz_customers_refs(fz *z, maps *m)
{
	b2b_book_builder *b = z->b;
	b2b__customer *c = ROWS(z, B2B_TABLE_CUSTOMERS, b2b__customer);
	uint32_t *u = b->u32.p;
	b2b__scope *sc = b->scopes.p;
	size_t i, j;

	for (i = 0; i < NROWS(z, B2B_TABLE_CUSTOMERS); i++) {
		c[i].currency = b2b__fz_ccy_ref(z, c[i].currency, B2B_TABLE_CUSTOMERS, i,
		                                B2B__F_C_CURRENCY, "currency");
		for (j = c[i].lists_off; j < c[i].lists_off + c[i].lists_n; j++) {
			b2b__str id = u[j];

			u[j] = map_get(&m->lists, id);
			if (u[j] == B2B__NONE && !b->broken[B2B_TABLE_PRICE_LISTS])
				ERR(z, B2B_TABLE_CUSTOMERS, i, B2B__F_C_PRICE_LISTS,
				    "price_lists: unknown price list \"%s\"", S(z, id));
		}
		for (j = c[i].catalog_off; j < c[i].catalog_off + c[i].catalog_n; j++)
			b2b__fz_scope_ref(z, m, &sc[j], B2B_TABLE_CUSTOMERS, i, B2B__F_C_CATALOG,
			                  "catalog");
	}
}

void
b2b__fz_lists_refs(fz *z, maps *m)
{
	b2b_book_builder *b = z->b;
	b2b__list *l = ROWS(z, B2B_TABLE_PRICE_LISTS, b2b__list);
	b2b__applies *ap = b->applies.p;
	size_t n = NROWS(z, B2B_TABLE_PRICE_LISTS), i, j;

	for (i = 0; i < n; i++) {
		b2b__str parent = l[i].parent;

		l[i].currency = l[i].currency == B2B__CCY_UNSET
		                ? z->base
		                : b2b__fz_ccy_ref(z, l[i].currency, B2B_TABLE_PRICE_LISTS, i,
		                                  B2B__F_L_CURRENCY, "currency");
		l[i].parent = map_get(&m->lists, parent);
		if (parent != 0 && l[i].parent == B2B__NONE)
			ERR(z, B2B_TABLE_PRICE_LISTS, i, B2B__F_L_PARENT,
			    "parent: unknown price list \"%s\"", S(z, parent));
		for (j = l[i].applies_off; j < l[i].applies_off + l[i].applies_n; j++)
			if (ap[j].kind == B2B__APPLY_CUSTOMER &&
			    map_get(&m->customers, ap[j].value) == B2B__NONE &&
			    !b->broken[B2B_TABLE_CUSTOMERS])
				ERR(z, B2B_TABLE_PRICE_LISTS, i, B2B__F_L_APPLIES,
				    "applies_to: unknown customer \"%s\"", S(z, ap[j].value));
	}
	/* a parent in another currency never counts: an error (SPEC §3) */
	for (i = 0; i < n; i++) {
		const b2b__list *p;

		if (l[i].parent == B2B__NONE || BAD(z, B2B_TABLE_PRICE_LISTS, i) ||
		    l[i].currency == UINT16_MAX)
			continue;
		p = &l[l[i].parent];
		if (p->currency != l[i].currency && p->currency != UINT16_MAX)
			ERR(z, B2B_TABLE_PRICE_LISTS, i, B2B__F_L_PARENT,
			    "parent: price list \"%s\" is in %s, not %s like price list \"%s\"",
			    S(z, p->id), z->book->currencies[p->currency].code,
			    z->book->currencies[l[i].currency].code, S(z, l[i].id));
	}
}

void
b2b__fz_contracts_refs(fz *z, maps *m)
{
	b2b_book_builder *b = z->b;
	b2b__contract *k = ROWS(z, B2B_TABLE_CONTRACTS, b2b__contract);
	const b2b__customer *c = ROWS(z, B2B_TABLE_CUSTOMERS, b2b__customer);
	b2b__item *it = ROWS(z, B2B_TABLE_CONTRACT_ITEMS, b2b__item);
	size_t i;

	for (i = 0; i < NROWS(z, B2B_TABLE_CONTRACTS); i++) {
		b2b__str cust = k[i].customer;

		k[i].customer = map_get(&m->customers, cust);
		if (cust != 0 && k[i].customer == B2B__NONE && !b->broken[B2B_TABLE_CUSTOMERS])
			ERR(z, B2B_TABLE_CONTRACTS, i, B2B__F_K_CUSTOMER,
			    "customer: unknown customer \"%s\"", S(z, cust));
		/* explicit, else the customer's, else base */
		if (k[i].currency != B2B__CCY_UNSET)
			k[i].currency = b2b__fz_ccy_ref(z, k[i].currency, B2B_TABLE_CONTRACTS, i,
			                                B2B__F_K_CURRENCY, "currency");
		else if (k[i].customer != B2B__NONE && c[k[i].customer].currency != UINT16_MAX)
			k[i].currency = c[k[i].customer].currency;
		else
			k[i].currency = z->base;
		if (k[i].currency == UINT16_MAX)
			k[i].currency = z->base;   /* reported */
	}
	for (i = 0; i < NROWS(z, B2B_TABLE_CONTRACT_ITEMS); i++) {
		b2b__str id = it[i].list;

		it[i].list = map_get(&m->contracts, id);
		if (id != 0 && it[i].list == B2B__NONE && !b->broken[B2B_TABLE_CONTRACTS])
			ERR(z, B2B_TABLE_CONTRACT_ITEMS, i, B2B__F_KI_CONTRACT,
			    "contract: unknown contract \"%s\"", S(z, id));
		it[i].base_list = B2B__NONE;
	}
	b2b__fz_scopes_ref(z, m, B2B_TABLE_CONTRACT_ITEMS, sizeof(b2b__item),
	                   offsetof(b2b__item, scope), B2B__F_KI_SCOPE);
}

/* Each customer's contracts (in contract order), appended to u32. */
int
b2b__fz_customers_contracts(fz *z)
{
	b2b_book_builder *b = z->b;
	b2b__customer *c = ROWS(z, B2B_TABLE_CUSTOMERS, b2b__customer);
	const b2b__contract *k = ROWS(z, B2B_TABLE_CONTRACTS, b2b__contract);
	size_t nc = NROWS(z, B2B_TABLE_CUSTOMERS), nk = NROWS(z, B2B_TABLE_CONTRACTS), i, base;
	uint32_t *u;
	int rc;

	for (i = 0; i < nc; i++)
		c[i].contracts_n = 0;
	for (i = 0; i < nk; i++)
		if (k[i].customer != B2B__NONE)
			c[k[i].customer].contracts_n++;
	base = b->u32.n;
	if (nk > 0 && (rc = b2b__grow(z->a, &b->u32.p, &b->u32.cap, base + nk,
	                              sizeof(uint32_t))) < 0)
		return rc;
	for (i = 0; i < nc; i++) {
		c[i].contracts_off = (uint32_t)base;
		base += c[i].contracts_n;
		c[i].contracts_n = 0;
	}
	u = b->u32.p;
	for (i = 0; i < nk; i++) {
		if (k[i].customer != B2B__NONE) {
			b2b__customer *cu = &c[k[i].customer];

			u[cu->contracts_off + cu->contracts_n++] = (uint32_t)i;
		}
	}
	b->u32.n = base;
	return 0;
}
