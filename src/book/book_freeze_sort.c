/*
 * libb2bcore — freezing a book builder (book_freeze.h): sorting tables
 * and keys. Tables are sorted by key (never by hash), so the book does not
 * depend on row order; rows move in place, and large tables not already
 * in order go through a radix sort on a 64-bit prefix of the key. Keyed
 * tables report their duplicate keys here.
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <string.h>

#include "book_freeze.h"

/* "on line N", or "at SRC:N" when from another source: another row. */
void
b2b__fz_where(const fz *z, int t, size_t row, size_t other, char *buf, size_t size)
{
	const char *s1 = b2b__bb_row_source(z->b, t, row);
	const char *s2 = b2b__bb_row_source(z->b, t, other);

	if (strcmp(s1, s2) == 0)
		b2b__text_format(buf, size, "on line %lu", (unsigned long)LOC(z, t, other).line);
	else
		b2b__text_format(buf, size, "at %s:%lu", s2, (unsigned long)LOC(z, t, other).line);
}

/*===========================================================================
 * MARK: - Sorting rows in place
 *===========================================================================*/

#if defined(__GNUC__) || defined(__clang__)
#  define PREFETCH_W(p) __builtin_prefetch((p), 1, 0)
#else
#  define PREFETCH_W(p) ((void)(p))
#endif

/* permute() follows this many cycles at once; a started cycle keeps its
 * first row in one of SLOTS saved rows until the row is moved. */
#define LANES 16
#define SLOTS 32

/*
 * Put the rows (and their locations) in the order perm: row i becomes the
 * old row perm[i]. In place, cycle by cycle (no second copy of a table
 * that may hold gigabytes); perm is destroyed (B2B__NONE: visited).
 *
 * Following one cycle is a chain of cache misses (perm[j], then row
 * perm[j]) on a large table, so LANES walks go in step, each prefetching
 * its next row and perm entry while the others move theirs. A walk starts
 * at any row not yet visited, saving that row (its place is written
 * first), and ends when its next row is a start, its own or another
 * walk's in the same cycle: that row comes from the save. Every row not
 * in place is visited by exactly one walk, and a row is read (by the walk
 * before it) before it is written (by the next step of the same walk).
 */
static int
permute(fz *z, b2b__vec *rows, b2b__vec *locs, uint32_t *perm, size_t elem)
{
	size_t n = rows->n, cur = 0, j[LANES], k[LANES], o;
	char *r = rows->p, saved[SLOTS][256];
	b2b__rowloc *l = locs->p, savedl[SLOTS];
	uint32_t start[SLOTS];
	int free_slot[SLOTS], nfree = SLOTS, live[LANES], nlive = 0, c, s;

	(void)z;
	if (elem > sizeof(saved[0]))
		return B2B_EINVAL;   /* no row is that big */
	for (s = 0; s < SLOTS; s++) {
		free_slot[s] = s;
		start[s] = B2B__NONE;
	}
	for (c = 0; c < LANES; c++)
		live[c] = 0;
	for (;;) {
		for (c = 0; c < LANES; c++) {
			if (live[c])
				continue;
			while (cur < n && (perm[cur] == B2B__NONE || perm[cur] == cur))
				cur++;
			if (cur >= n || nfree == 0)
				break;
			s = free_slot[--nfree];
			memcpy(saved[s], r + cur * elem, elem);
			savedl[s] = l[cur];
			start[s] = (uint32_t)cur;
			j[c] = cur;
			k[c] = perm[cur];
			perm[cur] = B2B__NONE;
			live[c] = 1;
			nlive++;
		}
		if (nlive == 0)
			break;
		for (c = 0; c < LANES; c++) {
			size_t kc = k[c], nk;
			const char *a;

			if (!live[c])
				continue;
			if (perm[kc] == B2B__NONE) {
				/* kc is a start: its row was saved */
				for (s = 0; start[s] != kc; s++)
					;
				memcpy(r + j[c] * elem, saved[s], elem);
				l[j[c]] = savedl[s];
				start[s] = B2B__NONE;
				free_slot[nfree++] = s;
				live[c] = 0;
				nlive--;
				continue;
			}
			memcpy(r + j[c] * elem, r + kc * elem, elem);
			l[j[c]] = l[kc];
			nk = perm[kc];
			perm[kc] = B2B__NONE;
			j[c] = kc;
			k[c] = nk;
			a = r + nk * elem;
			for (o = 0; o < elem; o += 64)
				PREFETCH_W(a + o);
			PREFETCH_W(a + elem - 1);
			PREFETCH_W(&l[nk]);
			PREFETCH_W(&perm[nk]);
		}
	}
	return 0;
}

/* Sort the rows of table t with cmp (stable; rows already in order cost
 * one pass of comparisons and no copy). */
int
b2b__fz_sort_table(fz *z, int t, b2b__cmp_u32 cmp, const void *ctx)
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
 * Sort rows [0, n) of table t with keys[] built by the caller (keys[i].i
 * = i), then every run of equal k with cmp; the result is the same order
 * as sorting with cmp alone, when k orders consistently with cmp. `full`
 * says which runs need the comparison (NULL: all of length > 1).
 */
int
b2b__fz_radix_then_cmp(fz *z, int t, rkey *keys, size_t n, b2b__cmp_u32 cmp, const void *ctx,
                       int (*need)(const void *ctx, uint64_t k))
{
	rkey *tmp, *sorted;
	uint32_t *perm;
	size_t i, j;
	int rc = 0;

	if ((tmp = b2b__malloc(z->a, n * sizeof(rkey))) == NULL)
		return B2B_ENOMEM;
	sorted = b2b__radix_sort_u64(keys, tmp, n);
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

/*
 * The rows of the runs in the radix order of their keys are the rows in
 * the order of the stable sort by row key: every row of a run has the
 * run's key, and runs of one key keep their first rows' order. Rows of
 * one key (of any number of runs) are then sorted with cmp as above.
 */
int
b2b__fz_radix_runs_then_cmp(fz *z, int t, rkey *keys, const uint32_t *starts, size_t nruns,
                            size_t n, b2b__cmp_u32 cmp, const void *ctx,
                            int (*need)(const void *ctx, uint64_t k))
{
	rkey *tmp, *sorted;
	uint32_t *perm;
	size_t r, s, i, j, p = 0;
	int rc = 0;

	if ((tmp = b2b__malloc(z->a, nruns * sizeof(rkey))) == NULL)
		return B2B_ENOMEM;
	if ((perm = b2b__malloc(z->a, n * sizeof(uint32_t))) == NULL) {
		b2b__free(z->a, tmp, nruns * sizeof(rkey));
		return B2B_ENOMEM;
	}
	sorted = b2b__radix_sort_u64(keys, tmp, nruns);
	for (r = 0; r < nruns; r++)
		for (i = starts[sorted[r].i]; i < starts[sorted[r].i + 1]; i++)
			perm[p++] = (uint32_t)i;
	for (r = 0, i = 0; r < nruns && rc == 0; r = s, i = j) {
		j = i + (starts[sorted[r].i + 1] - starts[sorted[r].i]);
		for (s = r + 1; s < nruns && sorted[s].k == sorted[r].k; s++)
			j += starts[sorted[s].i + 1] - starts[sorted[s].i];
		if (j - i > 1 && (need == NULL || need(ctx, sorted[r].k)))
			rc = b2b__sort_u32(z->a, perm + i, j - i, cmp, ctx);
	}
	b2b__free(z->a, tmp, nruns * sizeof(rkey));
	if (rc == 0 && p != n)
		rc = B2B_EINVAL;   /* the runs do not cover the rows */
	if (rc == 0)
		rc = permute(z, &z->b->rows[t], &z->b->locs[t], perm, b2b__bb_row_size(t));
	b2b__free(z->a, perm, n * sizeof(uint32_t));
	return rc;
}

/* Is the table already in cmp order? */
int
b2b__fz_in_order(size_t n, b2b__cmp_u32 cmp, const void *ctx)
{
	size_t i;

	for (i = 1; i < n; i++)
		if (cmp(ctx, (uint32_t)i - 1, (uint32_t)i) > 0)
			return 0;
	return 1;
}

/*===========================================================================
 * MARK: - Keys and duplicates
 *===========================================================================*/

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
	rc = b2b__fz_radix_then_cmp(z, t, keys, n, key_cmp, k, prefix_open);
	b2b__free(z->a, keys, n * sizeof(rkey));
	return rc;
}

/*
 * Sort a keyed table by its key, report duplicates (at each later row,
 * naming the first), and map key → final index into *m.
 */
int
b2b__fz_keyed(fz *z, int t, size_t koff, int field, const char *what, u32map *m)
{
	keyctx k;
	size_t n, i, first = 0;
	int rc;

	k.pool = z->b->pool;
	k.rows = z->b->rows[t].p;
	k.elem = b2b__bb_row_size(t);
	k.koff = koff;
	n = NROWS(z, t);
	if (n > 64 && !b2b__fz_in_order(n, key_cmp, &k))
		rc = sort_strings(z, t, &k, n);
	else
		rc = b2b__fz_sort_table(z, t, key_cmp, &k);
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

			b2b__fz_where(z, t, i, first, w, sizeof(w));
			ERR(z, t, i, field, "%s: duplicate %s \"%s\" (first %s)",
			    t == B2B_TABLE_PRODUCTS ? "sku" : "id", what, S(z, s), w);
			continue;
		}
		first = i;
		map_put(m, s, (uint32_t)i);
	}
	return 0;
}

/* Duplicate ids of a table not sorted by id: a map in row order. */
int
b2b__fz_dup_ids(fz *z, int t, size_t koff, int field, const char *what)
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

			b2b__fz_where(z, t, i, first, w, sizeof(w));
			ERR(z, t, i, field, "id: duplicate %s \"%s\" (first %s)", what, S(z, s), w);
		}
	}
	map_free(z->a, &m);
	return 0;
}
