/*
 * b2b bench price — the dense floor: the fastest pricing code we know how
 * to write for exactly the basic profile's semantics (one default
 * all_units price list of fixed-price `sku:` breaks, fixed-price override
 * contracts on `sku:` scopes, one currency, no windows), on the book's own
 * dense handles. It is built from the book's CSV files (never from the
 * library's internals) and used only when the book has that shape; its
 * prices are compared line by line with b2b_price_batch()'s, so the floor
 * cannot be fast by being wrong.
 *
 * Layout: one 64-byte record per product (up to five breaks: min_qty in
 * whole units, price already rounded to unit_price_decimals), a byte per
 * customer saying whether it has contracts, and an open-addressed table
 * of (customer, product) → contract price with the price in the slot.
 * A line reads its product's record (one cache line) and, for a customer
 * with contracts, one slot; lines are priced in order with the records of
 * the line 16 ahead prefetched, so ~16 misses are in flight.
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "b2b.h"
#include "bench_util.h"
#include "cli.h"

#define BF_BREAKS 5
#define BF_AHEAD 16

#if defined(__GNUC__) || defined(__clang__)
#  define BF_PREFETCH(p) __builtin_prefetch((p), 0, 1)
#else
#  define BF_PREFETCH(p) ((void)(p))
#endif

typedef struct bf_prod {
	int64_t price[BF_BREAKS];   /* scale-9 coefficients, rounded */
	uint32_t minq[BF_BREAKS];   /* whole units, ascending; unused: UINT32_MAX */
	uint32_t n;
} bf_prod;

typedef struct bf_slot {
	uint32_t cust, prod;        /* cust UINT32_MAX: empty */
	int64_t price;
} bf_slot;

struct bench_floor {
	bf_prod *prod;
	size_t nprod;
	uint8_t *has_ct;
	size_t ncust;
	bf_slot *slots;
	size_t mask;
};

static uint64_t
bf_hash(uint32_t c, uint32_t p)
{
	uint64_t x = ((uint64_t)c << 32 | p) * UINT64_C(0x9e3779b97f4a7c15);

	return x ^ (x >> 29);
}

/* ---- reading the CSV files (unquoted cells only) ---- */

typedef struct bf_csv {
	char *text, *p, *end;
	char *cell[16];
	size_t len[16];
	int n;
} bf_csv;

static int
bf_open(bf_csv *c, const char *dir, const char *name, const char *header, char *why,
        size_t whysize)
{
	char path[4096 + 64];
	size_t len;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	memset(c, 0, sizeof *c);
	if ((c->text = cli_read_file(path, &len)) == NULL) {
		snprintf(why, whysize, "%s unreadable", name);
		return -1;
	}
	c->p = c->text;
	c->end = c->text + len;
	if (memchr(c->text, '"', len) != NULL || (size_t)(c->end - c->p) < strlen(header) ||
	    strncmp(c->p, header, strlen(header)) != 0 || c->p[strlen(header)] != '\n') {
		snprintf(why, whysize, "%s is not the basic profile's", name);
		free(c->text);
		c->text = NULL;
		return -1;
	}
	c->p += strlen(header) + 1;
	return 0;
}

/* The next record into c->cell; 0 at the end. */
static int
bf_next(bf_csv *c)
{
	char *nl, *s;

	if (c->p >= c->end)
		return 0;
	nl = memchr(c->p, '\n', (size_t)(c->end - c->p));
	if (nl == NULL)
		nl = c->end;
	c->n = 0;
	for (s = c->p; c->n < 16;) {
		char *comma = memchr(s, ',', (size_t)(nl - s)), *e = comma ? comma : nl;

		c->cell[c->n] = s;
		c->len[c->n] = (size_t)(e - s);
		if (e > s && e[-1] == '\r' && comma == NULL)
			c->len[c->n]--;
		c->n++;
		if (comma == NULL)
			break;
		s = comma + 1;
	}
	c->p = nl + 1;
	return 1;
}

static uint32_t
bf_find(const b2b_book *book, int customers, const char *s, size_t len)
{
	uint32_t h = UINT32_MAX;
	const char *k[1] = { s };
	size_t l[1] = { len };

	if (customers)
		b2b_book_find_customers(&h, NULL, book, k, l, 1);
	else
		b2b_book_find_products(&h, NULL, book, k, l, 1);
	return h;
}

/* A price cell as a scale-9 coefficient that unit_price_decimals (upd)
 * leaves as it is; -1 when it is not one. */
static int64_t
bf_price(const char *s, size_t len, int upd)
{
	static const int64_t p10[10] = { 1, 10, 100, 1000, 10000, 100000, 1000000, 10000000,
	                                 100000000, 1000000000 };
	b2b_dec d;

	if (b2b_dec_parse(&d, NULL, s, len, 0) != 0 || d.hi != 0 || d.lo > (uint64_t)INT64_MAX ||
	    upd < 0 || upd > 9 || d.lo % (uint64_t)p10[9 - upd] != 0)
		return -1;
	return (int64_t)d.lo;
}

/* A min_qty cell in whole units; -1 when it is not one below 2^32 - 1. */
static int64_t
bf_units(const char *s, size_t len)
{
	b2b_dec d;

	if (b2b_dec_parse(&d, NULL, s, len, 0) != 0 || d.hi != 0 || d.lo % 1000000000u != 0 ||
	    d.lo / 1000000000u >= UINT32_MAX)
		return -1;
	return (int64_t)(d.lo / 1000000000u);
}

/* A contract: its id, its customer. */
typedef struct bf_ct {
	char id[32];
	uint32_t cust;
} bf_ct;

static int
bf_ct_cmp(const void *a, const void *b)
{
	return strcmp(((const bf_ct *)a)->id, ((const bf_ct *)b)->id);
}

static int
bf_skip(char *why, size_t whysize, const char *what)
{
	snprintf(why, whysize, "%s", what);
	return 1;
}

void
bench_floor_free(bench_floor *f)
{
	if (f == NULL)
		return;
	free(f->prod);
	free(f->has_ct);
	free(f->slots);
	free(f);
}

/* Fill f from the book's files; 0, 1 (not the basic shape: *why), -1. */
static int
bf_build(bench_floor *f, const char *dir, const b2b_book *book, char *why, size_t whysize)
{
	static const char *const extra[] = { "currencies.csv", "fx_rates.csv",
	                                     "dynamic_rules.csv", "promotions.csv", NULL };
	int upd = b2b_book_unit_price_decimals(book);
	bf_ct *ct = NULL;
	uint8_t *took0;
	size_t nct = 0, capct = 0, i, nslots;
	bf_csv c;
	char path[4096 + 64];
	int rc = 1;

	for (i = 0; extra[i] != NULL; i++) {
		FILE *x;

		snprintf(path, sizeof path, "%s/%s", dir, extra[i]);
		if ((x = fopen(path, "rb")) != NULL) {
			fclose(x);
			snprintf(why, whysize, "the book has %s", extra[i]);
			return 1;
		}
	}
	f->nprod = b2b_book_count(book, B2B_TABLE_PRODUCTS);
	f->ncust = b2b_book_count(book, B2B_TABLE_CUSTOMERS);
	f->prod = aligned_alloc(64, (f->nprod * sizeof *f->prod + 63) / 64 * 64 + 64);
	f->has_ct = calloc(f->ncust + 1, 1);
	if (f->prod == NULL || f->has_ct == NULL)
		return -1;

	/* the one list: DEFAULT, default, all_units */
	if (bf_open(&c, dir, "price_lists.csv", "id,priority,applies_to,tier_mode", why,
	            whysize) < 0)
		return 1;
	if (!bf_next(&c) || c.n != 4 || c.len[2] != 7 || memcmp(c.cell[2], "default", 7) != 0 ||
	    c.len[3] != 9 || memcmp(c.cell[3], "all_units", 9) != 0 || bf_next(&c)) {
		free(c.text);
		return bf_skip(why, whysize, "price_lists.csv: not one default all_units list");
	}
	free(c.text);

	/* products: the list price is the price below the first break */
	if (bf_open(&c, dir, "products.csv", "sku,name,category,list_price", why, whysize) < 0)
		return 1;
	for (i = 0; i < f->nprod; i++) {
		f->prod[i].n = 0;
		memset(f->prod[i].minq, 0xff, sizeof f->prod[i].minq);
	}
	while (bf_next(&c)) {
		uint32_t p;
		int64_t v;

		if (c.n != 4 || (p = bf_find(book, 0, c.cell[0], c.len[0])) == UINT32_MAX ||
		    (v = bf_price(c.cell[3], c.len[3], upd)) < 0 || f->prod[p].n != 0) {
			free(c.text);
			return bf_skip(why, whysize, "products.csv: a row the floor cannot take");
		}
		f->prod[p].minq[0] = 0;
		f->prod[p].price[0] = v;
		f->prod[p].n = 1;
	}
	free(c.text);

	/* the list's items: fixed-price sku: breaks, each product's in ascending min_qty */
	if ((took0 = calloc(f->nprod + 1, 1)) == NULL)
		return -1;
	if (bf_open(&c, dir, "price_list_items.csv", "list,scope,min_qty,compute,price", why,
	            whysize) < 0) {
		free(took0);
		return 1;
	}
	while (bf_next(&c)) {
		bf_prod *pp;
		uint32_t p;
		int64_t m, v;

		if (c.n != 5 || c.len[1] < 4 || memcmp(c.cell[1], "sku:", 4) != 0 ||
		    c.len[3] != 5 || memcmp(c.cell[3], "fixed", 5) != 0 ||
		    (p = bf_find(book, 0, c.cell[1] + 4, c.len[1] - 4)) == UINT32_MAX ||
		    (m = bf_units(c.cell[2], c.len[2])) < 0 ||
		    (v = bf_price(c.cell[4], c.len[4], upd)) < 0) {
			free(c.text);
			free(took0);
			return bf_skip(why, whysize, "price_list_items.csv: an item the floor cannot take");
		}
		pp = &f->prod[p];
		if (m == 0 && !took0[p]) {
			pp->price[0] = v;       /* the break at 0: the list price no longer counts */
			took0[p] = 1;
			continue;
		}
		if (pp->n == BF_BREAKS || (uint32_t)m <= pp->minq[pp->n - 1]) {
			free(c.text);
			free(took0);
			return bf_skip(why, whysize, "price_list_items.csv: breaks the floor cannot take");
		}
		pp->minq[pp->n] = (uint32_t)m;
		pp->price[pp->n] = v;
		pp->n++;
	}
	free(c.text);
	free(took0);

	/* contracts: override, their customers */
	if (bf_open(&c, dir, "contracts.csv", "id,customer,policy", why, whysize) < 0)
		return 1;
	while (bf_next(&c)) {
		uint32_t cu;

		if (c.n != 3 || c.len[2] != 8 || memcmp(c.cell[2], "override", 8) != 0 ||
		    (cu = bf_find(book, 1, c.cell[1], c.len[1])) == UINT32_MAX ||
		    c.len[0] >= sizeof ct->id) {
			free(c.text);
			free(ct);
			return bf_skip(why, whysize, "contracts.csv: a contract the floor cannot take");
		}
		if (nct == capct) {
			bf_ct *nw = realloc(ct, (capct = capct ? capct * 2 : 64) * sizeof *nw);

			if (nw == NULL) {
				free(c.text);
				free(ct);
				return -1;
			}
			ct = nw;
		}
		memset(ct[nct].id, 0, sizeof ct[nct].id);
		memcpy(ct[nct].id, c.cell[0], c.len[0]);
		ct[nct++].cust = cu;
		f->has_ct[cu] = 1;
	}
	free(c.text);
	if (nct > 0)
		qsort(ct, nct, sizeof *ct, bf_ct_cmp);

	/* contract items: sku:, min_qty 0; the contract's row order is its index */
	if (bf_open(&c, dir, "contract_items.csv", "contract,scope,min_qty,price", why,
	            whysize) < 0) {
		free(ct);
		return 1;
	}
	for (nslots = 16; nslots < 2 * (b2b_book_count(book, B2B_TABLE_CONTRACT_ITEMS) + 1);)
		nslots *= 2;
	f->mask = nslots - 1;
	if ((f->slots = malloc(nslots * sizeof *f->slots)) == NULL) {
		free(c.text);
		free(ct);
		return -1;
	}
	for (i = 0; i < nslots; i++)
		f->slots[i].cust = UINT32_MAX;
	rc = 0;
	while (bf_next(&c)) {
		bf_ct key, *hit = NULL;
		uint32_t p, cu;
		int64_t v;

		if (c.n == 4 && c.len[0] < sizeof key.id) {
			memset(key.id, 0, sizeof key.id);
			memcpy(key.id, c.cell[0], c.len[0]);
			hit = nct > 0 ? bsearch(&key, ct, nct, sizeof *ct, bf_ct_cmp) : NULL;
		}
		if (hit == NULL || c.len[1] < 4 || memcmp(c.cell[1], "sku:", 4) != 0 ||
		    (p = bf_find(book, 0, c.cell[1] + 4, c.len[1] - 4)) == UINT32_MAX ||
		    bf_units(c.cell[2], c.len[2]) != 0 || (v = bf_price(c.cell[3], c.len[3], upd)) < 0) {
			rc = bf_skip(why, whysize, "contract_items.csv: an item the floor cannot take");
			break;
		}
		cu = hit->cust;
		for (i = (size_t)bf_hash(cu, p) & f->mask; f->slots[i].cust != UINT32_MAX;
		     i = (i + 1) & f->mask)
			if (f->slots[i].cust == cu && f->slots[i].prod == p)
				break;
		if (f->slots[i].cust != UINT32_MAX) {
			rc = bf_skip(why, whysize, "contract_items.csv: two items for one product");
			break;
		}
		f->slots[i].cust = cu;
		f->slots[i].prod = p;
		f->slots[i].price = v;
	}
	free(c.text);
	free(ct);
	return rc;
}

int
bench_floor_new(bench_floor **out, const char *dir, const b2b_book *book, char *why,
                size_t whysize)
{
	bench_floor *f = calloc(1, sizeof *f);
	int rc;

	*out = NULL;
	if (f == NULL)
		return -1;
	rc = bf_build(f, dir, book, why, whysize);
	if (rc != 0) {
		bench_floor_free(f);
		return rc;
	}
	*out = f;
	return 0;
}

/* The price of one line (INT64_MIN: unknown customer or sku). */
static inline int64_t
bf_line(const bench_floor *f, uint32_t cu, uint32_t pr, uint32_t q)
{
	const bf_prod *p;
	int64_t x;
	uint32_t k;

	if (pr >= f->nprod || cu >= f->ncust)
		return INT64_MIN;
	if (f->has_ct[cu]) {
		size_t i;

		for (i = (size_t)bf_hash(cu, pr) & f->mask; f->slots[i].cust != UINT32_MAX;
		     i = (i + 1) & f->mask)
			if (f->slots[i].cust == cu && f->slots[i].prod == pr)
				return f->slots[i].price;
	}
	p = &f->prod[pr];
	x = p->price[0];
	for (k = 1; k < BF_BREAKS && p->minq[k] <= q; k++)
		x = p->price[k];
	return x;
}

void
bench_floor_price(const bench_floor *f, int64_t *out, const uint32_t *cu, const uint32_t *pr,
                  const uint32_t *q, size_t n)
{
	size_t i;

	for (i = 0; i < n && i < BF_AHEAD; i++)
		if (pr[i] < f->nprod)
			BF_PREFETCH(&f->prod[pr[i]]);
	for (i = 0; i < n; i++) {
		size_t j = i + BF_AHEAD;

		if (j < n && pr[j] < f->nprod) {
			BF_PREFETCH(&f->prod[pr[j]]);
			if (cu[j] < f->ncust && f->has_ct[cu[j]])
				BF_PREFETCH(&f->slots[(size_t)bf_hash(cu[j], pr[j]) & f->mask]);
		}
		out[i] = bf_line(f, cu[i], pr[i], q[i]);
	}
}
