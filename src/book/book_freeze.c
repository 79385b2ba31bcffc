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
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <string.h>

#include "b2b/currency.h"
#include "book_builder.h"

/* The state of one freeze. */
typedef struct fz {
	b2b_book_builder *b;
	b2b_ctx *ctx;
	b2b_book *book;
	const b2b_allocator *a;
	int rc;                 /* first B2B_ENOMEM */
	uint16_t *ccy_map;      /* code index → final currency index (UINT16_MAX = unknown) */
	uint16_t base;          /* final index of the base currency */
	uint32_t *tc_map;       /* provisional tax class → final index */
} fz;

#define ROWS(z, t, T) ((T *)(z)->b->rows[t].p)
#define NROWS(z, t) ((z)->b->rows[t].n)
#define LOC(z, t, i) (((const b2b__rowloc *)(z)->b->locs[t].p)[i])
#define BAD(z, t, i) ((LOC(z, t, i).seg & B2B__ROW_BAD) != 0)

static const char *
S(const fz *z, b2b__str s)
{
	return z->b->pool + s;
}

/* Report at a row; remembers B2B_ENOMEM. */
#define DIAG(z, sev, t, i, f, ...) \
	do { \
		int rc_ = b2b__bb_diag_row((z)->b, (z)->ctx, sev, t, i, f, __VA_ARGS__); \
		if (rc_ < 0 && (z)->rc == 0) \
			(z)->rc = rc_; \
	} while (0)
#define ERR(z, t, i, f, ...) DIAG(z, B2B_SEV_ERROR, t, i, f, __VA_ARGS__)

/* Does the row's source have column `field`? */
static int
has_col(const fz *z, int t, size_t row, int field)
{
	const b2b__seg *s = (const b2b__seg *)z->b->segs.p + B2B__LOC_SEG(LOC(z, t, row));

	return s->field_col[field] != 0;
}

/* "on line N", or "at SRC:N" when from another source: another row. */
static void
where(const fz *z, int t, size_t row, size_t other, char *buf, size_t size)
{
	const char *s1 = b2b__bb_row_source(z->b, t, row);
	const char *s2 = b2b__bb_row_source(z->b, t, other);

	if (strcmp(s1, s2) == 0)
		snprintf(buf, size, "on line %lu", (unsigned long)LOC(z, t, other).line);
	else
		snprintf(buf, size, "at %s:%lu", s2, (unsigned long)LOC(z, t, other).line);
}

/*===========================================================================
 * MARK: - Small helpers: exact arrays, maps, permutations
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

/* Open addressing map from a non-zero uint32_t key to a uint32_t. */
typedef struct u32map {
	uint64_t *e;            /* (key << 32) | value; 0 = empty */
	size_t cap;
} u32map;

static int
map_init(const b2b_allocator *a, u32map *m, size_t n)
{
	size_t cap = 16;

	while (cap < n * 2 + 2)
		cap *= 2;
	if ((m->e = b2b__calloc(a, cap, sizeof(uint64_t))) == NULL)
		return B2B_ENOMEM;
	m->cap = cap;
	return 0;
}

static void
map_free(const b2b_allocator *a, u32map *m)
{
	b2b__free(a, m->e, m->cap * sizeof(uint64_t));
	m->e = NULL;
	m->cap = 0;
}

static size_t
map_slot(const u32map *m, uint32_t key)
{
	size_t mask = m->cap - 1, i = ((uint64_t)key * 0x9E3779B97F4A7C15u) >> 32 & mask;

	while (m->e[i] != 0 && (uint32_t)(m->e[i] >> 32) != key)
		i = (i + 1) & mask;
	return i;
}

/* Insert key → value unless present; returns the value now mapped. */
static uint32_t
map_put(u32map *m, uint32_t key, uint32_t value)
{
	size_t i = map_slot(m, key);

	if (m->e[i] == 0)
		m->e[i] = ((uint64_t)key << 32) | value;
	return (uint32_t)m->e[i];
}

static uint32_t
map_get(const u32map *m, uint32_t key)
{
	size_t i;

	if (key == 0 || m->cap == 0)
		return B2B__NONE;
	i = map_slot(m, key);
	return m->e[i] == 0 ? B2B__NONE : (uint32_t)m->e[i];
}

/*
 * Put the rows (and their locations) in the order perm: row i becomes the
 * old row perm[i]. In place, cycle by cycle (no second copy of a table
 * that may hold gigabytes); perm is destroyed.
 */
static int
permute(fz *z, b2b__vec *rows, b2b__vec *locs, uint32_t *perm, size_t elem)
{
	size_t n = rows->n, i;
	char *r = rows->p, tmp[256];
	b2b__rowloc *l = locs->p, tl;

	(void)z;
	if (elem > sizeof(tmp))
		return B2B_EINVAL;   /* no row is that big */
	for (i = 0; i < n; i++) {
		size_t j = i;

		if (perm[i] == i || perm[i] == B2B__NONE)
			continue;
		memcpy(tmp, r + i * elem, elem);
		tl = l[i];
		for (;;) {
			size_t k = perm[j];

			perm[j] = B2B__NONE;
			if (k == i) {
				memcpy(r + j * elem, tmp, elem);
				l[j] = tl;
				break;
			}
			memcpy(r + j * elem, r + k * elem, elem);
			l[j] = l[k];
			j = k;
		}
	}
	return 0;
}

/* Sort the rows of table t with cmp (stable; rows already in order cost
 * one pass of comparisons and no copy). */
static int
sort_table(fz *z, int t, b2b__cmp_u32 cmp, const void *ctx)
{
	b2b__vec *rows = &z->b->rows[t];
	size_t n = rows->n, i;
	uint32_t *perm;
	int rc;

	for (i = 1; i < n; i++)
		if (cmp(ctx, (uint32_t)i - 1, (uint32_t)i) > 0)
			break;
	if (i >= n)
		return 0;
	if ((perm = b2b__malloc(z->a, n * sizeof(uint32_t))) == NULL)
		return B2B_ENOMEM;
	for (i = 0; i < n; i++)
		perm[i] = (uint32_t)i;
	rc = b2b__sort_u32(z->a, perm, n, cmp, ctx);
	if (rc == 0)
		rc = permute(z, rows, &z->b->locs[t], perm, b2b__bb_row_size(t));
	b2b__free(z->a, perm, n * sizeof(uint32_t));
	return rc;
}

/*
 * Large tables that are not already in key order are sorted by a radix
 * sort on a 64-bit key that orders them almost completely (the first
 * bytes of a string key after the prefix all keys share; owner and scope
 * for items), then each run of equal 64-bit keys by the full comparison.
 * A comparison sort through a function pointer is several times slower on
 * millions of rows.
 */
typedef struct rkey {
	uint64_t k;
	uint32_t i;
	uint32_t pad;
} rkey;

/* Stable LSD radix sort of a[0..n) by k; tmp holds n more. Bytes that are
 * the same in every key cost no pass. Returns the sorted array. */
static rkey *
radix_sort(rkey *a, rkey *tmp, size_t n)
{
	size_t hist[8][256];
	size_t i;
	int byte;

	memset(hist, 0, sizeof(hist));
	for (i = 0; i < n; i++) {
		uint64_t k = a[i].k;

		for (byte = 0; byte < 8; byte++)
			hist[byte][(k >> (8 * byte)) & 255]++;
	}
	for (byte = 0; byte < 8; byte++) {
		size_t sum = 0, b;
		rkey *t;

		if (hist[byte][(a[0].k >> (8 * byte)) & 255] == n)
			continue;
		for (b = 0; b < 256; b++) {
			size_t c = hist[byte][b];

			hist[byte][b] = sum;
			sum += c;
		}
		for (i = 0; i < n; i++)
			tmp[hist[byte][(a[i].k >> (8 * byte)) & 255]++] = a[i];
		t = a;
		a = tmp;
		tmp = t;
	}
	return a;
}

/*
 * Sort rows [0, n) of table t with keys[] built by the caller (keys[i].i
 * = i), then every run of equal k with cmp; the result is the same order
 * as sorting with cmp alone, when k orders consistently with cmp. `full`
 * says which runs need the comparison (NULL: all of length > 1).
 */
static int
radix_then_cmp(fz *z, int t, rkey *keys, size_t n, b2b__cmp_u32 cmp, const void *ctx,
               int (*need)(const void *ctx, uint64_t k))
{
	rkey *tmp, *sorted;
	uint32_t *perm;
	size_t i, j;
	int rc = 0;

	if ((tmp = b2b__malloc(z->a, n * sizeof(rkey))) == NULL)
		return B2B_ENOMEM;
	sorted = radix_sort(keys, tmp, n);
	/* the permutation goes into the array not holding the result */
	perm = (uint32_t *)(sorted == keys ? tmp : keys);
	for (i = 0; i < n; i++)
		perm[i] = sorted[i].i;
	for (i = 0; i < n && rc == 0; i = j) {
		for (j = i + 1; j < n && sorted[j].k == sorted[i].k; j++)
			;
		if (j - i > 1 && (need == NULL || need(ctx, sorted[i].k)))
			rc = b2b__sort_u32(z->a, perm + i, j - i, cmp, ctx);
	}
	if (rc == 0)
		rc = permute(z, &z->b->rows[t], &z->b->locs[t], perm, b2b__bb_row_size(t));
	b2b__free(z->a, tmp, n * sizeof(rkey));
	return rc;
}

/* Is the table already in cmp order? */
static int
in_order(size_t n, b2b__cmp_u32 cmp, const void *ctx)
{
	size_t i;

	for (i = 1; i < n; i++)
		if (cmp(ctx, (uint32_t)i - 1, (uint32_t)i) > 0)
			return 0;
	return 1;
}

/* Rows compared by a b2b__str key at byte offset koff, then row order. */
typedef struct keyctx {
	const char *pool;
	const char *rows;
	size_t elem, koff;
} keyctx;

static b2b__str
key_at(const keyctx *k, uint32_t i)
{
	b2b__str s;

	memcpy(&s, k->rows + (size_t)i * k->elem + k->koff, sizeof(s));
	return s;
}

static int
key_cmp(const void *c, uint32_t x, uint32_t y)
{
	const keyctx *k = c;
	b2b__str a = key_at(k, x), b = key_at(k, y);

	if (a != b) {
		int r = strcmp(k->pool + a, k->pool + b);

		if (r != 0)
			return r;
	}
	return x < y ? -1 : x > y;
}

/* A run of equal 64-bit prefixes needs strcmp unless the prefix held the
 * string's end (a 0 byte: then the strings are equal). */
static int
prefix_open(const void *ctx, uint64_t k)
{
	(void)ctx;
	return (k & 255) != 0;
}

/* Sort a keyed table by its string key: radix on 8 bytes after the
 * common prefix, then strcmp inside runs. */
static int
sort_strings(fz *z, int t, const keyctx *k, size_t n)
{
	const char *pool = z->b->pool, *s0 = pool + key_at(k, 0);
	size_t i, lcp = strlen(s0);
	rkey *keys;
	int rc;

	if ((keys = b2b__malloc(z->a, n * sizeof(rkey))) == NULL)
		return B2B_ENOMEM;
	for (i = 1; i < n && lcp > 0; i++) {
		const char *s = pool + key_at(k, (uint32_t)i);
		size_t j = 0;

		while (j < lcp && s[j] == s0[j])
			j++;
		lcp = j;
	}
	for (i = 0; i < n; i++) {
		const unsigned char *s = (const unsigned char *)pool + key_at(k, (uint32_t)i) + lcp;
		uint64_t v = 0;
		int j, end = 0;

		/* every key is at least lcp long: s is inside its string */
		for (j = 0; j < 8; j++) {
			unsigned c = end ? 0 : s[j];

			if (c == 0)
				end = 1;
			v = v << 8 | c;
		}
		keys[i].k = v;
		keys[i].i = (uint32_t)i;
	}
	rc = radix_then_cmp(z, t, keys, n, key_cmp, k, prefix_open);
	b2b__free(z->a, keys, n * sizeof(rkey));
	return rc;
}

/*
 * Sort a keyed table by its key, report duplicates (at each later row,
 * naming the first), and map key → final index into *m.
 */
static int
keyed(fz *z, int t, size_t koff, int field, const char *what, u32map *m)
{
	keyctx k;
	size_t n, i, first = 0;
	int rc;

	k.pool = z->b->pool;
	k.rows = z->b->rows[t].p;
	k.elem = b2b__bb_row_size(t);
	k.koff = koff;
	n = NROWS(z, t);
	if (n > 64 && !in_order(n, key_cmp, &k))
		rc = sort_strings(z, t, &k, n);
	else
		rc = sort_table(z, t, key_cmp, &k);
	if (rc < 0)
		return rc;
	k.rows = z->b->rows[t].p;
	if ((rc = map_init(z->a, m, n)) < 0)
		return rc;
	for (i = 0; i < n; i++) {
		b2b__str s = key_at(&k, (uint32_t)i);

		if (s == 0)
			continue;
		if (i > 0 && key_at(&k, (uint32_t)i - 1) == s) {
			char w[300];

			where(z, t, i, first, w, sizeof(w));
			ERR(z, t, i, field, "%s: duplicate %s \"%s\" (first %s)",
			    t == B2B_TABLE_PRODUCTS ? "sku" : "id", what, S(z, s), w);
			continue;
		}
		first = i;
		map_put(m, s, (uint32_t)i);
	}
	return 0;
}

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

static int
freeze_currencies(fz *z)
{
	b2b_book *book = z->book;
	b2b__currency *rows;
	ccyctx k;
	size_t n, nb = b2b_currency_builtin_count(), i, j, total;
	b2b__currency *out;
	int rc;

	k.rows = z->b->rows[B2B_TABLE_CURRENCIES].p;
	if ((rc = sort_table(z, B2B_TABLE_CURRENCIES, ccy_cmp, &k)) < 0)
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

			where(z, B2B_TABLE_CURRENCIES, i, f, w, sizeof(w));
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
static uint16_t
ccy_ref(fz *z, uint16_t code, int t, size_t row, int field, const char *label)
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

static void
freeze_settings(fz *z)
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
				z->base = ccy_ref(z, code, B2B_TABLE_SETTINGS, i, B2B__F_S_VALUE, "value");
	}
	if (z->base == UINT16_MAX)
		z->base = 0;    /* reported; the book is not built */
	z->book->settings.base_currency = z->base;
}

/*===========================================================================
 * MARK: - Categories
 *===========================================================================*/

typedef struct catb {
	b2b__vec nodes;         /* b2b__category, unsorted */
	u32map map;             /* path → node (unsorted, then final) index */
	size_t nmap;
} catb;

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
static int
freeze_categories(fz *z, catb *c)
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

typedef struct maps {
	u32map products, customers, lists, contracts, approvals;
	catb cat;
} maps;

/* Resolve a provisional scope; an sku that is not in the book is a
 * warning (the scope then matches nothing). */
static void
scope_ref(fz *z, maps *m, b2b__scope *sc, int t, size_t row, int field, const char *label)
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
static void
scopes_ref(fz *z, maps *m, int t, size_t elem, size_t off, int field)
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
		scope_ref(z, m, sc, t, i, field, "scope");
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
static int
freeze_tax_classes(fz *z)
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

static int
freeze_products(fz *z, maps *m)
{
	b2b_book_builder *b = z->b;
	b2b__product *p;
	b2b__product_ext *ext = b->ext.p, *next = NULL;
	size_t n, i, k = 0;
	int rc;

	if ((rc = keyed(z, B2B_TABLE_PRODUCTS, offsetof(b2b__product, sku), B2B__F_P_SKU, "sku",
	                &m->products)) < 0)
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
		                : ccy_ref(z, p[i].currency, B2B_TABLE_PRODUCTS, i, B2B__F_P_CURRENCY,
		                          "currency");
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

static void
products_refs(fz *z, maps *m)
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

static void
customers_refs(fz *z, maps *m)
{
	b2b_book_builder *b = z->b;
	b2b__customer *c = ROWS(z, B2B_TABLE_CUSTOMERS, b2b__customer);
	uint32_t *u = b->u32.p;
	b2b__scope *sc = b->scopes.p;
	size_t i, j;

	for (i = 0; i < NROWS(z, B2B_TABLE_CUSTOMERS); i++) {
		c[i].currency = ccy_ref(z, c[i].currency, B2B_TABLE_CUSTOMERS, i, B2B__F_C_CURRENCY,
		                        "currency");
		for (j = c[i].lists_off; j < c[i].lists_off + c[i].lists_n; j++) {
			b2b__str id = u[j];

			u[j] = map_get(&m->lists, id);
			if (u[j] == B2B__NONE && !b->broken[B2B_TABLE_PRICE_LISTS])
				ERR(z, B2B_TABLE_CUSTOMERS, i, B2B__F_C_PRICE_LISTS,
				    "price_lists: unknown price list \"%s\"", S(z, id));
		}
		for (j = c[i].catalog_off; j < c[i].catalog_off + c[i].catalog_n; j++)
			scope_ref(z, m, &sc[j], B2B_TABLE_CUSTOMERS, i, B2B__F_C_CATALOG, "catalog");
	}
}

static void
lists_refs(fz *z, maps *m)
{
	b2b_book_builder *b = z->b;
	b2b__list *l = ROWS(z, B2B_TABLE_PRICE_LISTS, b2b__list);
	b2b__applies *ap = b->applies.p;
	size_t n = NROWS(z, B2B_TABLE_PRICE_LISTS), i, j;

	for (i = 0; i < n; i++) {
		b2b__str parent = l[i].parent;

		l[i].currency = l[i].currency == B2B__CCY_UNSET
		                ? z->base
		                : ccy_ref(z, l[i].currency, B2B_TABLE_PRICE_LISTS, i,
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

/*===========================================================================
 * MARK: - Items
 *===========================================================================*/

typedef struct itemctx {
	const char *pool;
	const b2b__item *it;
	int windows;            /* compare valid_from too */
} itemctx;

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
	if (k->windows && a->window.from != b->window.from)
		return a->window.from < b->window.from ? -1 : 1;
	return x < y ? -1 : x > y;
}

static const char *const compute_names[] = { "fixed", "discount", "formula" };

static void
items_refs(fz *z, maps *m)
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
	scopes_ref(z, m, B2B_TABLE_PRICE_LIST_ITEMS, sizeof(b2b__item), offsetof(b2b__item, scope),
	           B2B__F_I_SCOPE);
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
	size_t i;
	int rc;

	if (n <= 64 || in_order(n, item_cmp, k))
		return sort_table(z, t, item_cmp, k);
	if (ncat + NROWS(z, B2B_TABLE_PRODUCTS) + 2 > UINT32_MAX)
		return sort_table(z, t, item_cmp, k);
	if ((keys = b2b__malloc(z->a, n * sizeof(rkey))) == NULL)
		return B2B_ENOMEM;
	for (i = 0; i < n; i++) {
		const b2b__scope *sc = &it[i].scope;
		/* unknown skus (B2B__NONE) share the last rank: item_cmp orders them */
		uint64_t rank = sc->kind == B2B__SCOPE_ALL ? 0
		              : sc->kind == B2B__SCOPE_CATEGORY ? 1 + (uint64_t)sc->id
		              : sc->id == B2B__NONE ? 1 + ncat + NROWS(z, B2B_TABLE_PRODUCTS)
		              : 1 + ncat + sc->id;

		keys[i].k = (uint64_t)it[i].list << 32 | rank;
		keys[i].i = (uint32_t)i;
	}
	rc = radix_then_cmp(z, t, keys, n, item_cmp, k, NULL);
	b2b__free(z->a, keys, n * sizeof(rkey));
	return rc;
}

static void
overlap_report(fz *z, int t, size_t i, size_t other, const char *owner_kind, const char *owner)
{
	char w[300];
	const b2b__item *it = ROWS(z, t, b2b__item);

	where(z, t, i, other, w, sizeof(w));
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
static int
freeze_items(fz *z, int t, size_t nowners)
{
	b2b__item *it;
	itemctx k;
	size_t n = NROWS(z, t), i, start;
	int rc;

	k.pool = z->b->pool;
	k.it = z->b->rows[t].p;
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
			if (BAD(z, t, i))
				continue;
			if (maxi != SIZE_MAX && it[i].window.from < it[maxi].window.until) {
				const b2b__str *owner = t == B2B_TABLE_PRICE_LIST_ITEMS
				    ? &ROWS(z, B2B_TABLE_PRICE_LISTS, b2b__list)[it[i].list].id
				    : &ROWS(z, B2B_TABLE_CONTRACTS, b2b__contract)[it[i].list].id;

				overlap_report(z, t, i, maxi,
				               t == B2B_TABLE_PRICE_LIST_ITEMS ? "list" : "contract",
				               S(z, *owner));
			}
			if (maxi == SIZE_MAX || it[i].window.until > it[maxi].window.until)
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

/*===========================================================================
 * MARK: - Cycles among price lists (Tarjan's strongly connected components)
 *===========================================================================*/

/* The price lists as a graph: list i refers to to[off[i] .. off[i + 1]). */
typedef struct lgraph {
	size_t n;
	uint32_t *off;          /* n + 1 entries */
	uint32_t *to;
	size_t to_cap;
} lgraph;

static void
lgraph_free(fz *z, lgraph *g)
{
	b2b__free(z->a, g->to, g->to_cap * sizeof(uint32_t));
	b2b__free(z->a, g->off, (g->n + 1) * sizeof(uint32_t));
	g->to = g->off = NULL;
	g->to_cap = 0;
}

/* The edges of each list: its parent, then the distinct base lists of its
 * items (base=list_id:). Returns 0 or B2B_ENOMEM (g freed). */
static int
lgraph_build(fz *z, lgraph *g)
{
	const b2b__list *l = ROWS(z, B2B_TABLE_PRICE_LISTS, b2b__list);
	const b2b__item *it = ROWS(z, B2B_TABLE_PRICE_LIST_ITEMS, b2b__item);
	size_t n = NROWS(z, B2B_TABLE_PRICE_LISTS), ni = NROWS(z, B2B_TABLE_PRICE_LIST_ITEMS);
	size_t i, j, ne = 0, cap = 0;
	uint32_t *stamp = NULL;   /* the last list that named each list */
	void *to = NULL;
	int rc = 0;

	g->n = n;
	if ((g->off = b2b__calloc(z->a, n + 1, sizeof(uint32_t))) == NULL ||
	    (stamp = b2b__malloc(z->a, n * sizeof(uint32_t))) == NULL) {
		rc = B2B_ENOMEM;
		goto done;
	}
	for (i = 0; i < n; i++)
		stamp[i] = B2B__NONE;
	for (i = 0, j = 0; i < n; i++) {
		g->off[i] = (uint32_t)ne;
		if (l[i].parent != B2B__NONE) {
			if ((rc = b2b__grow(z->a, &to, &cap, ne + 1, sizeof(uint32_t))) < 0)
				goto done;
			((uint32_t *)to)[ne++] = l[i].parent;
			stamp[l[i].parent] = (uint32_t)i;
		}
		while (j < ni && it[j].list < i)
			j++;
		for (; j < ni && it[j].list == i; j++) {
			uint32_t bl = it[j].base_list;

			if (it[j].base != B2B__BASE_LIST_ID || bl == B2B__NONE || stamp[bl] == i)
				continue;
			stamp[bl] = (uint32_t)i;
			if ((rc = b2b__grow(z->a, &to, &cap, ne + 1, sizeof(uint32_t))) < 0)
				goto done;
			((uint32_t *)to)[ne++] = bl;
		}
	}
	g->off[n] = (uint32_t)ne;
done:
	g->to = to;
	g->to_cap = cap;
	b2b__free(z->a, stamp, n * sizeof(uint32_t));
	if (rc < 0)
		lgraph_free(z, g);
	return rc;
}

/*
 * Tarjan's algorithm, iterative (no recursion on deep chains): comp[v]
 * receives the strongly connected component of each list, numbered in the
 * order the components are completed; *ncomp their number. Returns 0 or
 * B2B_ENOMEM.
 */
static int
tarjan_sccs(fz *z, const lgraph *g, uint32_t *comp, uint32_t *ncomp)
{
	size_t n = g->n, i, sp = 0, cp = 0;
	uint32_t *idx = NULL, *low = NULL, *stack = NULL, *cstack = NULL, *cpos = NULL,
	         *on = NULL;
	uint32_t counter = 0;
	int rc = 0;

	*ncomp = 0;
	if ((idx = b2b__malloc(z->a, n * sizeof(uint32_t))) == NULL ||
	    (low = b2b__malloc(z->a, n * sizeof(uint32_t))) == NULL ||
	    (stack = b2b__malloc(z->a, n * sizeof(uint32_t))) == NULL ||
	    (cstack = b2b__malloc(z->a, n * sizeof(uint32_t))) == NULL ||
	    (cpos = b2b__malloc(z->a, n * sizeof(uint32_t))) == NULL ||
	    (on = b2b__calloc(z->a, n, sizeof(uint32_t))) == NULL) {
		rc = B2B_ENOMEM;
		goto done;
	}
	for (i = 0; i < n; i++) {
		idx[i] = B2B__NONE;
		comp[i] = B2B__NONE;
	}
	for (i = 0; i < n; i++) {
		if (idx[i] != B2B__NONE)
			continue;
		/* strongconnect(i), with its own stack of (list, next edge) */
		cstack[cp] = (uint32_t)i;
		cpos[cp++] = g->off[i];
		idx[i] = low[i] = counter++;
		stack[sp++] = (uint32_t)i;
		on[i] = 1;
		while (cp > 0) {
			uint32_t v = cstack[cp - 1], w;

			if (cpos[cp - 1] < g->off[v + 1]) {
				w = g->to[cpos[cp - 1]++];
				if (idx[w] == B2B__NONE) {
					idx[w] = low[w] = counter++;
					stack[sp++] = w;
					on[w] = 1;
					cstack[cp] = w;
					cpos[cp++] = g->off[w];
				} else if (on[w] && idx[w] < low[v]) {
					low[v] = idx[w];
				}
				continue;
			}
			cp--;
			if (cp > 0 && low[v] < low[cstack[cp - 1]])
				low[cstack[cp - 1]] = low[v];
			if (low[v] != idx[v])
				continue;
			do {
				w = stack[--sp];
				on[w] = 0;
				comp[w] = *ncomp;
			} while (w != v);
			(*ncomp)++;
		}
	}
done:
	b2b__free(z->a, idx, n * sizeof(uint32_t));
	b2b__free(z->a, low, n * sizeof(uint32_t));
	b2b__free(z->a, stack, n * sizeof(uint32_t));
	b2b__free(z->a, cstack, n * sizeof(uint32_t));
	b2b__free(z->a, cpos, n * sizeof(uint32_t));
	b2b__free(z->a, on, n * sizeof(uint32_t));
	return rc;
}

/* One error per list of a cycle (`members`, nm lists in id order). */
static void
report_cycle(fz *z, const uint32_t *members, size_t nm, const uint32_t *comp)
{
	const b2b__list *l = ROWS(z, B2B_TABLE_PRICE_LISTS, b2b__list);
	size_t k;

	for (k = 0; k < nm; k++) {
		uint32_t x = members[k];
		char others[400];
		size_t o = 0, q, shown = 0;

		others[0] = '\0';
		for (q = 0; q < nm && o < sizeof(others); q++) {
			if (members[q] == x)
				continue;
			if (shown == 8) {
				o += (size_t)snprintf(others + o, sizeof(others) - o, ", ...");
				break;
			}
			o += (size_t)snprintf(others + o, sizeof(others) - o, "%s\"%s\"",
			                      shown ? ", " : "", S(z, l[members[q]].id));
			shown++;
		}
		if (nm == 1)
			ERR(z, B2B_TABLE_PRICE_LISTS, x,
			    l[x].parent == x ? B2B__F_L_PARENT : B2B__F_L_ID,
			    "%s: price list \"%s\" refers to itself through %s",
			    l[x].parent == x ? "parent" : "id", S(z, l[x].id),
			    l[x].parent == x ? "parent" : "base=list_id: of its items");
		else
			ERR(z, B2B_TABLE_PRICE_LISTS, x,
			    l[x].parent != B2B__NONE && comp[l[x].parent] == comp[x]
			    ? B2B__F_L_PARENT : B2B__F_L_ID,
			    "%s: price list \"%s\" is in a cycle of price lists (through "
			    "parent or base=list_id:) with %s",
			    l[x].parent != B2B__NONE && comp[l[x].parent] == comp[x]
			    ? "parent" : "id", S(z, l[x].id), others);
	}
}

/*
 * Report every component that is a cycle (more than one list, or one list
 * that refers to itself), in the order Tarjan's algorithm completed them,
 * each one's lists in id order. Returns 0 or B2B_ENOMEM.
 */
static int
report_cycles(fz *z, const lgraph *g, const uint32_t *comp, uint32_t ncomp)
{
	size_t n = g->n, i, k;
	uint32_t *start = NULL, *members = NULL, c;

	if ((start = b2b__calloc(z->a, (size_t)ncomp + 1, sizeof(uint32_t))) == NULL ||
	    (members = b2b__malloc(z->a, n * sizeof(uint32_t))) == NULL) {
		b2b__free(z->a, start, ((size_t)ncomp + 1) * sizeof(uint32_t));
		return B2B_ENOMEM;
	}
	/* the lists of each component, in id order (a counting sort) */
	for (i = 0; i < n; i++)
		start[comp[i] + 1]++;
	for (c = 0; c < ncomp; c++)
		start[c + 1] += start[c];
	for (i = 0; i < n; i++)
		members[start[comp[i]]++] = (uint32_t)i;
	for (c = ncomp; c > 0; c--)
		start[c] = start[c - 1];
	start[0] = 0;
	for (c = 0; c < ncomp; c++) {
		const uint32_t *m = members + start[c];
		size_t nm = start[c + 1] - start[c];
		int self = 0;

		if (nm == 1) {
			for (k = g->off[m[0]]; k < g->off[m[0] + 1]; k++)
				if (g->to[k] == m[0])
					self = 1;
			if (!self)
				continue;
		}
		report_cycle(z, m, nm, comp);
	}
	b2b__free(z->a, start, ((size_t)ncomp + 1) * sizeof(uint32_t));
	b2b__free(z->a, members, n * sizeof(uint32_t));
	return 0;
}

/* SPEC §9: no list may reach itself through parent or base=list_id:. */
static int
freeze_cycles(fz *z)
{
	size_t n = NROWS(z, B2B_TABLE_PRICE_LISTS);
	uint32_t *comp, ncomp;
	lgraph g;
	int rc;

	if (n == 0)
		return 0;
	if ((rc = lgraph_build(z, &g)) < 0)
		return rc;
	if ((comp = b2b__malloc(z->a, n * sizeof(uint32_t))) == NULL)
		rc = B2B_ENOMEM;
	if (rc == 0)
		rc = tarjan_sccs(z, &g, comp, &ncomp);
	if (rc == 0)
		rc = report_cycles(z, &g, comp, ncomp);
	b2b__free(z->a, comp, n * sizeof(uint32_t));
	lgraph_free(z, &g);
	return rc;
}

/*===========================================================================
 * MARK: - Contracts
 *===========================================================================*/

static void
contracts_refs(fz *z, maps *m)
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
			k[i].currency = ccy_ref(z, k[i].currency, B2B_TABLE_CONTRACTS, i,
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
	scopes_ref(z, m, B2B_TABLE_CONTRACT_ITEMS, sizeof(b2b__item), offsetof(b2b__item, scope),
	           B2B__F_KI_SCOPE);
}

/* Each customer's contracts (in contract order), appended to u32. */
static int
customers_contracts(fz *z)
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

/*===========================================================================
 * MARK: - Rules, promotions, FX, taxes, approval rules
 *===========================================================================*/

/* Duplicate ids of a table not sorted by id: a map in row order. */
static int
dup_ids(fz *z, int t, size_t koff, int field, const char *what)
{
	keyctx k;
	u32map m;
	size_t i, n = NROWS(z, t);
	int rc;

	k.pool = z->b->pool;
	k.rows = z->b->rows[t].p;
	k.elem = b2b__bb_row_size(t);
	k.koff = koff;
	if ((rc = map_init(z->a, &m, n)) < 0)
		return rc;
	for (i = 0; i < n; i++) {
		b2b__str s = key_at(&k, (uint32_t)i);
		uint32_t first;

		if (s == 0)
			continue;
		first = map_put(&m, s, (uint32_t)i);
		if (first != i) {
			char w[300];

			where(z, t, i, first, w, sizeof(w));
			ERR(z, t, i, field, "id: duplicate %s \"%s\" (first %s)", what, S(z, s), w);
		}
	}
	map_free(z->a, &m);
	return 0;
}

typedef struct prioctx {
	const char *pool;
	const char *rows;
	size_t elem, prio_off, id_off;
} prioctx;

static int
prio_cmp(const void *c, uint32_t x, uint32_t y)
{
	const prioctx *k = c;
	int64_t px, py;
	b2b__str ix, iy;

	memcpy(&px, k->rows + (size_t)x * k->elem + k->prio_off, sizeof(px));
	memcpy(&py, k->rows + (size_t)y * k->elem + k->prio_off, sizeof(py));
	if (px != py)
		return px > py ? -1 : 1;
	memcpy(&ix, k->rows + (size_t)x * k->elem + k->id_off, sizeof(ix));
	memcpy(&iy, k->rows + (size_t)y * k->elem + k->id_off, sizeof(iy));
	if (ix != iy) {
		int r = strcmp(k->pool + ix, k->pool + iy);

		if (r != 0)
			return r;
	}
	return x < y ? -1 : x > y;
}

static int
freeze_by_priority(fz *z, int t, size_t prio_off, size_t id_off)
{
	prioctx k;

	k.pool = z->b->pool;
	k.rows = z->b->rows[t].p;
	k.elem = b2b__bb_row_size(t);
	k.prio_off = prio_off;
	k.id_off = id_off;
	return sort_table(z, t, prio_cmp, &k);
}

static int
freeze_rules_promos(fz *z, maps *m)
{
	b2b__promo *p;
	size_t i;
	int rc;

	if ((rc = dup_ids(z, B2B_TABLE_DYNAMIC_RULES, offsetof(b2b__rule, id), B2B__F_R_ID,
	                  "dynamic rule id")) < 0 ||
	    (rc = dup_ids(z, B2B_TABLE_PROMOTIONS, offsetof(b2b__promo, id), B2B__F_PR_ID,
	                  "promotion id")) < 0)
		return rc;
	scopes_ref(z, m, B2B_TABLE_DYNAMIC_RULES, sizeof(b2b__rule), offsetof(b2b__rule, scope),
	           B2B__F_R_SCOPE);
	p = ROWS(z, B2B_TABLE_PROMOTIONS, b2b__promo);
	for (i = 0; i < NROWS(z, B2B_TABLE_PROMOTIONS); i++)
		if (p[i].scope.text != 0)
			scope_ref(z, m, &p[i].scope, B2B_TABLE_PROMOTIONS, i, B2B__F_PR_SCOPE, "scope");
	if ((rc = freeze_by_priority(z, B2B_TABLE_DYNAMIC_RULES, offsetof(b2b__rule, priority),
	                             offsetof(b2b__rule, id))) < 0)
		return rc;
	return freeze_by_priority(z, B2B_TABLE_PROMOTIONS, offsetof(b2b__promo, priority),
	                          offsetof(b2b__promo, id));
}

typedef struct fxctx {
	const b2b__fx *fx;
} fxctx;

static int
fx_cmp(const void *c, uint32_t x, uint32_t y)
{
	const b2b__fx *a = &((const fxctx *)c)->fx[x], *b = &((const fxctx *)c)->fx[y];

	if (a->from != b->from)
		return a->from < b->from ? -1 : 1;
	if (a->to != b->to)
		return a->to < b->to ? -1 : 1;
	if (a->valid_from != b->valid_from)
		return a->valid_from > b->valid_from ? -1 : 1;
	return x < y ? -1 : x > y;
}

static int
freeze_fx(fz *z)
{
	b2b__fx *fx = ROWS(z, B2B_TABLE_FX_RATES, b2b__fx);
	size_t n = NROWS(z, B2B_TABLE_FX_RATES), i, first = 0;
	fxctx k;
	int rc;

	for (i = 0; i < n; i++) {
		fx[i].from = ccy_ref(z, fx[i].from, B2B_TABLE_FX_RATES, i, B2B__F_FX_FROM, "from");
		fx[i].to = ccy_ref(z, fx[i].to, B2B_TABLE_FX_RATES, i, B2B__F_FX_TO, "to");
	}
	k.fx = fx;
	if ((rc = sort_table(z, B2B_TABLE_FX_RATES, fx_cmp, &k)) < 0)
		return rc;
	fx = ROWS(z, B2B_TABLE_FX_RATES, b2b__fx);
	for (i = 0; i < n; i++) {
		if (i > 0 && fx[i].from == fx[i - 1].from && fx[i].to == fx[i - 1].to &&
		    fx[i].valid_from == fx[i - 1].valid_from && fx[i].from != UINT16_MAX &&
		    fx[i].to != UINT16_MAX && !BAD(z, B2B_TABLE_FX_RATES, i)) {
			char w[300];

			where(z, B2B_TABLE_FX_RATES, i, first, w, sizeof(w));
			ERR(z, B2B_TABLE_FX_RATES, i, B2B__F_FX_FROM,
			    "from: duplicate rate from %s to %s with the same valid_from (first %s)",
			    z->book->currencies[fx[i].from].code, z->book->currencies[fx[i].to].code, w);
			continue;
		}
		first = i;
	}
	return 0;
}

typedef struct taxctx {
	const char *pool;
	const b2b__tax *t;
} taxctx;

static int
tax_cmp(const void *c, uint32_t x, uint32_t y)
{
	const taxctx *k = c;
	const b2b__tax *a = &k->t[x], *b = &k->t[y];
	int r;

	if (a->tax_class != b->tax_class &&
	    (r = strcmp(k->pool + a->tax_class, k->pool + b->tax_class)) != 0)
		return r;
	if (a->region != b->region && (r = strcmp(k->pool + a->region, k->pool + b->region)) != 0)
		return r;
	return x < y ? -1 : x > y;
}

static int
freeze_taxes(fz *z)
{
	b2b__tax *t;
	size_t n = NROWS(z, B2B_TABLE_TAXES), i, first = 0;
	taxctx k;
	int rc;

	k.pool = z->b->pool;
	k.t = z->b->rows[B2B_TABLE_TAXES].p;
	if ((rc = sort_table(z, B2B_TABLE_TAXES, tax_cmp, &k)) < 0)
		return rc;
	t = ROWS(z, B2B_TABLE_TAXES, b2b__tax);
	for (i = 0; i < n; i++) {
		if (i > 0 && t[i].tax_class == t[i - 1].tax_class && t[i].region == t[i - 1].region &&
		    t[i].tax_class != 0 && t[i].region != 0) {
			char w[300];

			where(z, B2B_TABLE_TAXES, i, first, w, sizeof(w));
			ERR(z, B2B_TABLE_TAXES, i, B2B__F_T_REGION,
			    "region: duplicate tax rate for tax_class \"%s\" and region \"%s\" "
			    "(first %s)", S(z, t[i].tax_class), S(z, t[i].region), w);
			continue;
		}
		first = i;
	}
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
	TAKE(&b->rows[B2B_TABLE_DYNAMIC_RULES], b2b__rule, rules, nrules);
	TAKE(&b->points, b2b__point, points, npoints);
	TAKE(&b->rows[B2B_TABLE_PROMOTIONS], b2b__promo, promos, npromos);
	TAKE(&b->rows[B2B_TABLE_TAXES], b2b__tax, taxes, ntaxes);
	TAKE(&b->rows[B2B_TABLE_APPROVAL_RULES], b2b__approval, approvals, napprovals);
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
	return 0;
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

	if ((rc = freeze_currencies(&z)) < 0)
		goto fail;
	freeze_settings(&z);
	if ((rc = freeze_products(&z, &m)) < 0 ||
	    (rc = keyed(&z, B2B_TABLE_CUSTOMERS, offsetof(b2b__customer, id), B2B__F_C_ID,
	                "customer id", &m.customers)) < 0 ||
	    (rc = keyed(&z, B2B_TABLE_PRICE_LISTS, offsetof(b2b__list, id), B2B__F_L_ID,
	                "price list id", &m.lists)) < 0 ||
	    (rc = keyed(&z, B2B_TABLE_CONTRACTS, offsetof(b2b__contract, id), B2B__F_K_ID,
	                "contract id", &m.contracts)) < 0 ||
	    (rc = keyed(&z, B2B_TABLE_APPROVAL_RULES, offsetof(b2b__approval, id), B2B__F_A_ID,
	                "approval rule id", &m.approvals)) < 0)
		goto fail;
	if ((rc = freeze_categories(&z, &m.cat)) < 0 || (rc = freeze_tax_classes(&z)) < 0)
		goto fail;
	products_refs(&z, &m);
	customers_refs(&z, &m);
	lists_refs(&z, &m);
	items_refs(&z, &m);
	if ((rc = freeze_items(&z, B2B_TABLE_PRICE_LIST_ITEMS, NROWS(&z, B2B_TABLE_PRICE_LISTS))) < 0 ||
	    (rc = freeze_cycles(&z)) < 0)
		goto fail;
	contracts_refs(&z, &m);
	if ((rc = freeze_items(&z, B2B_TABLE_CONTRACT_ITEMS, NROWS(&z, B2B_TABLE_CONTRACTS))) < 0 ||
	    (rc = customers_contracts(&z)) < 0 || (rc = freeze_rules_promos(&z, &m)) < 0 ||
	    (rc = freeze_fx(&z)) < 0 || (rc = freeze_taxes(&z)) < 0)
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
