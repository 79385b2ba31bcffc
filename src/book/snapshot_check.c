/*
 * libb2bcore — the checks of every record of a book opened from a
 * snapshot (snapshot_int.h), before any use: a corrupted file (with the
 * checksum skipped, or corrupted before it was summed) can never make a
 * lookup or the pricer read outside an array, loop, or meet a value its
 * code does not handle. What is checked, per array:
 *
 *   - every index into another array is in range (or the documented
 *     "none"), every (off, n) range is inside its array, and items /
 *     contract items lie inside their owner's range;
 *   - every string offset is inside the pool, whose first and last bytes
 *     are NUL (so every string ends inside it);
 *   - every enum field holds a known value; every decimal is
 *     representable (|coefficient| < 10^37); every optional's flag is 0/1;
 *   - category parents form a forest by depth (a parent is one level up),
 *     so climbing the tree ends;
 *   - every hash table's slots are "none" or an element index, with at
 *     least one empty slot so that every probe ends; scope buckets are
 *     ascending;
 *   - the plan: product offsets monotone and ending at the cell count,
 *     each product's header and runs exactly filling its cells, runs
 *     naming lists and item ranges that exist, customer ranges inside the
 *     candidate lists, the contract table a power of two with an empty
 *     slot.
 *
 * Keys are compared by every lookup (a slot pointing at the wrong element
 * finds nothing), and the pricer bounds its walks along list chains, so
 * what is left unchecked (sort orders, key uniqueness) can change which
 * result a corrupted book gives but not make it crash or loop; the
 * checksum, verified by default, refuses such files.
 * SPDX-License-Identifier: MIT
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "b2b/error.h"
#include "ctx_int.h"
#include "dec_int.h"
#include "snapshot_int.h"

/* Items checked between two feeds of the checksum (about 70 KB: in L2). */
#define SNAP_CHUNK 256
/* Bytes of the other large arrays checked between two feeds. */
#define SNAP_CHUNK_BYTES 65536

typedef struct chk {
	const b2b_book *b;
	b2b_ctx *ctx;
	const char *file;
	const unsigned char *base;
	b2b__snap_feed *feed;
} chk;

/* Feed the checksum up to `at` (a record being checked) when that is at
 * least SNAP_CHUNK_BYTES past what it has: the record checks of a large
 * array then sum the bytes they just read, while they are in cache. */
static inline void
feed_near(chk *c, const void *at)
{
	size_t to = (size_t)((const unsigned char *)at - c->base);

	if (c->feed->on && to >= c->feed->pos + SNAP_CHUNK_BYTES)
		b2b__snap_feed_to(c->feed, to);
}

static int bad(chk *c, const void *at, const char *fmt, ...) B2B__PRINTF(3, 4);

static int
bad(chk *c, const void *at, const char *fmt, ...)
{
	char msg[400];
	long off = -1;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if ((const unsigned char *)at >= c->base &&
	    (const unsigned char *)at < c->base + c->b->snap_len)
		off = (long)((const unsigned char *)at - c->base);
	if (off >= 0)
		b2b__ctx_seterr(c->ctx, B2B_EBOOK, "snapshot %s: corrupt: %s (at byte %ld)", c->file,
		                msg, off);
	else
		b2b__ctx_seterr(c->ctx, B2B_EBOOK, "snapshot %s: corrupt: %s", c->file, msg);
	b2b__ctx_setloc(c->ctx, c->file, 0, 0, off);
	return B2B_EBOOK;
}

/* An index `v` into an array of `n` (or B2B__NONE-like `none` when allowed). */
#define IDX(rec, arr, i, field, v, n, none)                                                \
	do {                                                                                \
		uint64_t v_ = (uint64_t)(v);                                                \
		if (!(v_ < (uint64_t)(n) || ((none) != 0 && v_ == (uint64_t)(none))))      \
			return bad(c, rec, "%s[%zu].%s: %llu out of range (%zu elements)", arr, \
			           (size_t)(i), field, (unsigned long long)v_, (size_t)(n));   \
	} while (0)

/* A range [off, off + n) inside an array of `total`. */
#define RANGE(rec, arr, i, field, off, n, total)                                           \
	do {                                                                                \
		if ((uint64_t)(off) + (uint64_t)(n) > (uint64_t)(total))                    \
			return bad(c, rec, "%s[%zu].%s: [%llu, +%llu) outside %zu elements",   \
			           arr, (size_t)(i), field, (unsigned long long)(off),         \
			           (unsigned long long)(n), (size_t)(total));                 \
	} while (0)

/* An enum field with values 0..max. */
#define ENUMV(rec, arr, i, field, v, max)                                                  \
	do {                                                                                \
		if ((long long)(v) < 0 || (long long)(v) > (long long)(max))                \
			return bad(c, rec, "%s[%zu].%s: %lld is not a known value", arr,      \
			           (size_t)(i), field, (long long)(v));                       \
	} while (0)

#define STR(rec, arr, i, field, s) IDX(rec, arr, i, field, s, c->b->strings_len, 0)
#define TRY(x)                      \
	do {                        \
		int rc_ = (x);      \
		if (rc_ < 0)        \
			return rc_; \
	} while (0)

static inline int
dec_ok(b2b_dec d)
{
	b2b__i128 v;

	/* |hi| < 2^57: |coefficient| < 2^121 < 10^37, the common case */
	if ((uint64_t)d.hi + (UINT64_C(1) << 57) < (UINT64_C(1) << 58))
		return 1;
	v = b2b__dec_to_i128(d);
	return v < B2B__DEC_LIMIT && v > -B2B__DEC_LIMIT;
}

static int
dec(chk *c, const void *rec, const char *arr, size_t i, const char *field, b2b_dec d)
{
	if (!dec_ok(d))
		return bad(c, rec, "%s[%zu].%s: decimal out of range", arr, i, field);
	return 0;
}

static int
opt(chk *c, const void *rec, const char *arr, size_t i, const char *field, const b2b__opt *o)
{
	if (o->set != 0 && o->set != 1)
		return bad(c, rec, "%s[%zu].%s: flag %d is not 0 or 1", arr, i, field, o->set);
	return dec(c, rec, arr, i, field, o->v);
}

static int
window(chk *c, const void *rec, const char *arr, size_t i, const b2b__window *w)
{
	ENUMV(rec, arr, i, "valid_from form", w->from_form, B2B_TIME_DATETIME);
	ENUMV(rec, arr, i, "valid_until form", w->until_form, B2B_TIME_DATETIME);
	return 0;
}

static int
scope(chk *c, const void *rec, const char *arr, size_t i, const b2b__scope *s)
{
	const b2b_book *b = c->b;

	STR(rec, arr, i, "scope text", s->text);
	switch (s->kind) {
	case B2B__SCOPE_ALL:
		if (s->id != 0 || s->depth != 0)
			return bad(c, rec, "%s[%zu].scope: `all` with id %u, depth %u", arr, i,
			           (unsigned)s->id, (unsigned)s->depth);
		return 0;
	case B2B__SCOPE_SKU:
		IDX(rec, arr, i, "scope sku", s->id, b->nproducts, B2B__NONE);
		if (s->depth != 255)
			return bad(c, rec, "%s[%zu].scope: sku scope with depth %u", arr, i,
			           (unsigned)s->depth);
		return 0;
	case B2B__SCOPE_CATEGORY:
		IDX(rec, arr, i, "scope category", s->id, b->ncategories, 0);
		if (s->depth != b->categories[s->id].depth)
			return bad(c, rec, "%s[%zu].scope: depth %u, its category's is %u", arr, i,
			           (unsigned)s->depth, (unsigned)b->categories[s->id].depth);
		return 0;
	default:
		return bad(c, rec, "%s[%zu].scope: kind %u is not a known value", arr, i,
		           (unsigned)s->kind);
	}
}

/* The u32 values [off, off + n) are indexes into an array of `total`. */
static int
u32_refs(chk *c, const void *rec, const char *arr, size_t i, const char *field, uint32_t off,
         uint32_t n, size_t total)
{
	const b2b_book *b = c->b;
	uint32_t k;

	RANGE(rec, arr, i, field, off, n, b->nu32);
	for (k = 0; k < n; k++)
		if (b->u32[off + k] >= total)
			return bad(c, &b->u32[off + k], "%s[%zu].%s: element %u is %u, out of range "
			           "(%zu elements)", arr, i, field, (unsigned)k,
			           (unsigned)b->u32[off + k], total);
	return 0;
}

static int
strs_range(chk *c, const void *rec, const char *arr, size_t i, const char *field,
           uint32_t off, uint32_t n)
{
	RANGE(rec, arr, i, field, off, n, c->b->nstrs);
	return 0;
}

/* The detailed checks of one item, for the message (items() found a problem). */
static int
item_report(chk *c, const b2b__item *it, const char *arr, size_t i, size_t nowners)
{
	const b2b_book *b = c->b;

	IDX(it, arr, i, "owner", it->list, nowners, 0);
	TRY(scope(c, it, arr, i, &it->scope));
	TRY(dec(c, it, arr, i, "min_qty", it->min_qty));
	IDX(it, arr, i, "ext", it->ext, b->nitem_ext, B2B__NONE);
	ENUMV(it, arr, i, "compute", it->compute, B2B__COMPUTE_FORMULA);
	ENUMV(it, arr, i, "base", it->base, B2B__BASE_LIST_ID);
	if (it->base == B2B__BASE_LIST_ID)
		IDX(it, arr, i, "base_list", it->base_list, b->nlists, 0);
	if (it->price_set > 1)
		return bad(c, it, "%s[%zu].price: flag %u is not 0 or 1", arr, i,
		           (unsigned)it->price_set);
	TRY(dec(c, it, arr, i, "price", it->price));
	if (it->pad != 0)
		return bad(c, it, "%s[%zu]: padding byte %u is not 0", arr, i, (unsigned)it->pad);
	return bad(c, it, "%s[%zu]: not inside its owner's items", arr, i);
}

/*
 * Items (or contract items): every field as item_report() checks it, and
 * the item inside its owner's range, in one pass of plain comparisons
 * (this is most of a large book); a problem is then reported in detail.
 */
static int
items(chk *c, const b2b__item *v, size_t n, const char *arr, size_t nowners,
      const b2b__list *lists, const b2b__contract *contracts)
{
	const b2b_book *b = c->b;
	size_t i, fed = 0;

	if (n > 0)   /* the checksum up to the array: then chunk by chunk, while in cache */
		b2b__snap_feed_to(c->feed, (size_t)((const unsigned char *)v - c->base));
	for (i = 0; i < n; i++) {
		const b2b__item *it = &v[i];
		const b2b__scope *sc = &it->scope;
		int ok;
		uint32_t off, cnt;

		if (i - fed == SNAP_CHUNK) {
			b2b__snap_feed_to(c->feed, (size_t)((const unsigned char *)it - c->base));
			fed = i;
		}

		if (it->list >= nowners)
			return item_report(c, it, arr, i, nowners);
		off = lists != NULL ? lists[it->list].items_off : contracts[it->list].items_off;
		cnt = lists != NULL ? lists[it->list].items_n : contracts[it->list].items_n;
		ok = i >= off && i - off < cnt &&
		     sc->text < b->strings_len &&
		     (sc->kind == B2B__SCOPE_ALL ? sc->id == 0 && sc->depth == 0
		      : sc->kind == B2B__SCOPE_SKU
		              ? (sc->id < b->nproducts || sc->id == B2B__NONE) && sc->depth == 255
		      : sc->kind == B2B__SCOPE_CATEGORY
		              ? sc->id < b->ncategories && sc->depth == b->categories[sc->id].depth
		              : 0) &&
		     dec_ok(it->min_qty) &&
		     (it->ext < b->nitem_ext || it->ext == B2B__NONE) &&
		     it->compute <= B2B__COMPUTE_FORMULA && it->base <= B2B__BASE_LIST_ID &&
		     (it->base != B2B__BASE_LIST_ID || it->base_list < b->nlists) &&
		     it->price_set <= 1 && dec_ok(it->price) && it->pad == 0;
		if (!ok)
			return item_report(c, it, arr, i, nowners);
	}
	return 0;
}

static int
hash(chk *c, const b2b__hash *h, const char *name, size_t nelem)
{
	uint32_t i, out = 0, empty = 0;

	/* branch-free: NONE + 1 wraps to 0, so "slot + 1 <= nelem" is both tests */
	for (i = 0; i < h->n; i++) {
		out |= (size_t)(uint32_t)(h->slots[i] + 1u) > nelem;
		empty |= h->slots[i] == B2B__NONE;
	}
	if (out)
		for (i = 0; i < h->n; i++)
			if (h->slots[i] != B2B__NONE && h->slots[i] >= nelem)
				return bad(c, &h->slots[i], "%s slot %u: %u out of range (%zu "
				           "elements)", name, (unsigned)i, (unsigned)h->slots[i], nelem);
	if (h->n > 0 && !empty)
		return bad(c, h->slots, "%s: no empty slot (probes would not end)", name);
	return 0;
}

static int
scopeidx(chk *c, const b2b__scopeidx *s, const char *name, size_t nelem)
{
	size_t i;
	uint32_t k;
	char what[32];

	snprintf(what, sizeof what, "index.%s.hash", name);
	TRY(hash(c, &s->hash, what, s->ngroups));
	for (i = 0; i < s->nelems; i++)
		if (s->elems[i] >= nelem)
			return bad(c, &s->elems[i], "index.%s.elems[%zu]: %u out of range (%zu)", name,
			           i, (unsigned)s->elems[i], nelem);
	for (i = 0; i < s->ngroups; i++) {
		const b2b__sgroup *g = &s->groups[i];

		ENUMV(g, name, i, "kind", g->kind, B2B__SCOPE_SKU);
		RANGE(g, name, i, "elems", g->off, g->n, s->nelems);
		for (k = 1; k < g->n; k++)
			if (s->elems[g->off + k] <= s->elems[g->off + k - 1])
				return bad(c, &s->elems[g->off + k],
				           "index.%s.groups[%zu]: elements not ascending", name, i);
	}
	return 0;
}

static int
check_plan(chk *c)
{
	const b2b_book *b = c->b;
	const b2b__plan *pl = b->plan;
	size_t p, i;

	if (pl->prod_off[0] != 0 || pl->prod_off[b->nproducts] != pl->ncells)
		return bad(c, pl->prod_off, "plan.prod_off: does not run from 0 to %zu cells",
		           pl->ncells);
	for (p = 0; p < b->nproducts; p++) {
		uint32_t lo = pl->prod_off[p], hi = pl->prod_off[p + 1], k;
		const b2b__pcell *ph;

		if (hi <= lo || hi > pl->ncells)
			return bad(c, &pl->prod_off[p + 1], "plan.prod_off[%zu]: %u after %u "
			           "(%zu cells)", p + 1, (unsigned)hi, (unsigned)lo, pl->ncells);
		ph = &pl->cells[lo];
		feed_near(c, ph);
		if ((uint64_t)ph->b >> 32 != (uint64_t)(hi - lo - 1))
			return bad(c, ph, "plan.cells[%u]: product %zu's header counts %llu cells, "
			           "it has %u", (unsigned)lo, p,
			           (unsigned long long)((uint64_t)ph->b >> 32), (unsigned)(hi - lo - 1));
		for (k = lo + 1; k < hi; ) {
			const b2b__pcell *r = &pl->cells[k];
			uint32_t list = (uint32_t)r->a, n = (uint32_t)((uint64_t)r->a >> 32);

			IDX(r, "plan.cells", k, "list", list, b->nlists, 0);
			if (n > hi - k - 1)
				return bad(c, r, "plan.cells[%u]: a run of %u items past product %zu's "
				           "cells", (unsigned)k, (unsigned)n, p);
			if (r->b < 0 || (uint64_t)r->b + n > b->nitems)
				return bad(c, r, "plan.cells[%u]: items [%lld, +%u) outside %zu items",
				           (unsigned)k, (long long)r->b, (unsigned)n, b->nitems);
			k += 1 + n;
		}
	}
	for (i = 0; i < b->ncustomers; i++)
		RANGE(&pl->cust[i], "plan.cust", i, "lists", pl->cust[i].off, pl->cust[i].n,
		      pl->nclists);
	for (i = 0; i < pl->nclists; i++)
		IDX(&pl->clists[i], "plan.clists", i, "list", pl->clists[i], b->nlists, 0);
	if (pl->nslots & (pl->nslots - 1))
		return bad(c, pl->slots, "plan.slots: %zu slots is not a power of two", pl->nslots);
	{
		int empty = pl->nslots == 0;

		for (i = 0; i < pl->nslots; i++) {
			const b2b__pslot *s = &pl->slots[i];

			if (s->customer == UINT32_MAX) {
				empty = 1;
				continue;
			}
			IDX(s, "plan.slots", i, "customer", s->customer, b->ncustomers, 0);
			IDX(s, "plan.slots", i, "product", s->product, b->nproducts, 0);
			if (s->n != B2B__PLAN_MULTI && (s->n == 0 || (uint64_t)s->off + s->n > b->ncitems))
				return bad(c, s, "plan.slots[%zu]: contract items [%u, +%u) outside %zu",
				           i, (unsigned)s->off, (unsigned)s->n, b->ncitems);
		}
		if (!empty)
			return bad(c, pl->slots, "plan.slots: no empty slot (probes would not end)");
	}
	return 0;
}

/*
 * Offset of the first byte of s[0, n) that is not valid UTF-8 (overlong
 * forms, surrogates and code points above U+10FFFF refused), or n. The
 * pool's strings end up in JSON documents, which must stay valid UTF-8;
 * ASCII goes 8 bytes at a time.
 */
static size_t
utf8_bad(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		uint64_t w;
		unsigned char c = s[i];
		unsigned need, lo = 0x80, hi = 0xBF;

		if (i + 8 <= n) {
			memcpy(&w, s + i, 8);
			if ((w & UINT64_C(0x8080808080808080)) == 0) {
				i += 8;
				continue;
			}
		}
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF) {
			need = 1;
		} else if (c >= 0xE0 && c <= 0xEF) {
			need = 2;
			if (c == 0xE0)
				lo = 0xA0;
			else if (c == 0xED)
				hi = 0x9F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			need = 3;
			if (c == 0xF0)
				lo = 0x90;
			else if (c == 0xF4)
				hi = 0x8F;
		} else {
			return i;
		}
		if (n - i <= need || s[i + 1] < lo || s[i + 1] > hi)
			return i;
		for (unsigned k = 2; k <= need; k++)
			if ((s[i + k] & 0xC0) != 0x80)
				return i;
		i += 1 + need;
	}
	return n;
}

int
b2b__snap_check(const b2b_book *b, b2b_ctx *ctx, const char *file, const unsigned char *base,
                b2b__snap_feed *feed)
{
	chk cc = { b, ctx, file, base, feed }, *c = &cc;
	const struct b2b__index *ix = b->index;
	size_t i;

	/* the pool: every offset below it names a string that ends in it */
	if (b->strings_len == 0 || b->strings[0] != '\0' || b->strings[b->strings_len - 1] != '\0')
		return bad(c, b->strings, "strings: the pool must start and end with a NUL byte");
	{
		size_t at = utf8_bad((const unsigned char *)b->strings, b->strings_len);

		if (at < b->strings_len)
			return bad(c, b->strings + at, "strings: byte %zu of the pool is not UTF-8", at);
	}

	/* the table counts that name arrays (handles are 0 .. count - 1) */
	{
		static const struct { int t; size_t off; const char *name; } tc[] = {
			{ B2B_TABLE_FX_RATES, offsetof(struct b2b_book, nfx), "fx_rates" },
			{ B2B_TABLE_PRODUCTS, offsetof(struct b2b_book, nproducts), "products" },
			{ B2B_TABLE_CUSTOMERS, offsetof(struct b2b_book, ncustomers), "customers" },
			{ B2B_TABLE_PRICE_LISTS, offsetof(struct b2b_book, nlists), "price_lists" },
			{ B2B_TABLE_PRICE_LIST_ITEMS, offsetof(struct b2b_book, nitems), "price_list_items" },
			{ B2B_TABLE_CONTRACTS, offsetof(struct b2b_book, ncontracts), "contracts" },
			{ B2B_TABLE_CONTRACT_ITEMS, offsetof(struct b2b_book, ncitems), "contract_items" },
			{ B2B_TABLE_DYNAMIC_RULES, offsetof(struct b2b_book, nrules), "dynamic_rules" },
			{ B2B_TABLE_PROMOTIONS, offsetof(struct b2b_book, npromos), "promotions" },
			{ B2B_TABLE_TAXES, offsetof(struct b2b_book, ntaxes), "taxes" },
			{ B2B_TABLE_APPROVAL_RULES, offsetof(struct b2b_book, napprovals), "approval_rules" },
		};
		size_t k, n;

		for (k = 0; k < sizeof tc / sizeof tc[0]; k++) {
			memcpy(&n, (const char *)b + tc[k].off, sizeof n);
			if (b->counts[tc[k].t] != n)
				return bad(c, NULL, "meta: %zu %s rows, the array holds %zu",
				           b->counts[tc[k].t], tc[k].name, n);
		}
	}
	{
		const b2b__settings *s = &b->settings;

		IDX(s, "settings", 0, "base_currency", s->base_currency, b->ncurrencies, 0);
		if (!b2b__rounding_valid(s->rounding))
			return bad(c, NULL, "settings: rounding %d is not a known mode", (int)s->rounding);
		ENUMV(s, "settings", 0, "unit_price_decimals", s->unit_price_decimals, 9);
		ENUMV(s, "settings", 0, "tax_document", s->tax_document, 1);
		if (s->quote_validity_days < 0)
			return bad(c, NULL, "settings: quote_validity_days %lld is negative",
			           (long long)s->quote_validity_days);
		TRY(dec(c, s, "settings", 0, "max_discount_percent", s->max_discount_percent));
		TRY(opt(c, s, "settings", 0, "min_margin_percent", &s->min_margin_percent));
		TRY(dec(c, s, "settings", 0, "price_tolerance", s->price_tolerance));
	}
	for (i = 0; i < b->ncurrencies; i++) {
		const b2b__currency *x = &b->currencies[i];
		int k;

		for (k = 0; k < 3; k++)
			if (x->code[k] < 'A' || x->code[k] > 'Z')
				return bad(c, x, "currencies[%zu].code: not three upper-case letters", i);
		if (x->code[3] != '\0')
			return bad(c, x, "currencies[%zu].code: not NUL-terminated", i);
		if (x->minor_units < -1 || x->minor_units > 9)
			return bad(c, x, "currencies[%zu].minor_units: %d", i, (int)x->minor_units);
		TRY(opt(c, x, "currencies", i, "cash_increment", &x->cash_increment));
	}
	for (i = 0; i < b->nfx; i++) {
		const b2b__fx *x = &b->fx[i];

		IDX(x, "fx", i, "from", x->from, b->ncurrencies, 0);
		IDX(x, "fx", i, "to", x->to, b->ncurrencies, 0);
		TRY(dec(c, x, "fx", i, "rate", x->rate));
	}
	for (i = 0; i < b->ncategories; i++) {
		const b2b__category *x = &b->categories[i];

		STR(x, "categories", i, "path", x->path);
		if (x->depth < 1 || x->depth >= 255)
			return bad(c, x, "categories[%zu].depth: %u", i, (unsigned)x->depth);
		if (x->parent == B2B__NONE ? x->depth != 1
		                           : (x->parent >= b->ncategories ||
		                              b->categories[x->parent].depth + 1 != x->depth))
			return bad(c, x, "categories[%zu].parent: %u is not a node one level up", i,
			           (unsigned)x->parent);
	}
	for (i = 0; i < b->nproducts; i++) {
		const b2b__product *x = &b->products[i];

		feed_near(c, x);
		STR(x, "products", i, "sku", x->sku);
		STR(x, "products", i, "name", x->name);
		IDX(x, "products", i, "category", x->category, b->ncategories, B2B__NONE);
		IDX(x, "products", i, "ext", x->ext, b->nproduct_ext, B2B__NONE);
		IDX(x, "products", i, "currency", x->currency, b->ncurrencies, 0);
		IDX(x, "products", i, "tax_class", x->tax_class, b->ntax_classes, UINT16_MAX);
		if (x->flags & ~(uint32_t)(B2B__P_INACTIVE | B2B__P_HAS_COST))
			return bad(c, x, "products[%zu].flags: unknown bits 0x%x", i,
			           (unsigned)x->flags);
		TRY(dec(c, x, "products", i, "list_price", x->list_price));
		TRY(dec(c, x, "products", i, "cost", x->cost));
	}
	if (b->nproduct_lines != 0 && b->nproduct_lines != b->nproducts)
		return bad(c, b->product_lines, "product_lines: %zu lines for %zu products",
		           b->nproduct_lines, b->nproducts);
	for (i = 0; i < b->nproduct_ext; i++) {
		const b2b__product_ext *x = &b->product_ext[i];
		const char *a = "product_ext";

		STR(x, a, i, "uom", x->uom);
		TRY(opt(c, x, a, i, "pack_size", &x->pack_size));
		TRY(opt(c, x, a, i, "min_qty", &x->min_qty));
		TRY(opt(c, x, a, i, "max_qty", &x->max_qty));
		TRY(opt(c, x, a, i, "on_hand", &x->on_hand));
		TRY(opt(c, x, a, i, "daily_demand", &x->daily_demand));
		TRY(opt(c, x, a, i, "baseline_demand", &x->baseline_demand));
		TRY(opt(c, x, a, i, "competitor_price", &x->competitor_price));
		TRY(opt(c, x, a, i, "prev_price", &x->prev_price));
	}
	for (i = 0; i < b->ncustomers; i++) {
		const b2b__customer *x = &b->customers[i];
		const char *a = "customers";

		STR(x, a, i, "id", x->id);
		STR(x, a, i, "name", x->name);
		STR(x, a, i, "segment", x->segment);
		STR(x, a, i, "channel", x->channel);
		IDX(x, a, i, "currency", x->currency, b->ncurrencies, UINT16_MAX);
		TRY(u32_refs(c, x, a, i, "price_lists", x->lists_off, x->lists_n, b->nlists));
		RANGE(x, a, i, "catalog", x->catalog_off, x->catalog_n, b->nscopes);
		TRY(strs_range(c, x, a, i, "payment_terms", x->terms_off, x->terms_n));
		TRY(strs_range(c, x, a, i, "regions", x->regions_off, x->regions_n));
		TRY(u32_refs(c, x, a, i, "contracts", x->contracts_off, x->contracts_n,
		             b->ncontracts));
		TRY(opt(c, x, a, i, "credit_limit", &x->credit_limit));
		TRY(opt(c, x, a, i, "open_balance", &x->open_balance));
		TRY(opt(c, x, a, i, "min_order_value", &x->min_order_value));
		TRY(opt(c, x, a, i, "budget", &x->budget));
	}
	for (i = 0; i < b->nlists; i++) {
		const b2b__list *x = &b->lists[i];
		const char *a = "price_lists";

		STR(x, a, i, "id", x->id);
		IDX(x, a, i, "currency", x->currency, b->ncurrencies, 0);
		TRY(window(c, x, a, i, &x->window));
		IDX(x, a, i, "parent", x->parent, b->nlists, B2B__NONE);
		RANGE(x, a, i, "applies_to", x->applies_off, x->applies_n, b->napplies);
		ENUMV(x, a, i, "tier_mode", x->tier_mode, B2B__TIER_BLOCK);
		RANGE(x, a, i, "items", x->items_off, x->items_n, b->nitems);
	}
	for (i = 0; i < b->napplies; i++) {
		ENUMV(&b->applies[i], "applies", i, "kind", b->applies[i].kind, B2B__APPLY_CUSTOMER);
		STR(&b->applies[i], "applies", i, "value", b->applies[i].value);
	}
	for (i = 0; i < b->ncontracts; i++) {
		const b2b__contract *x = &b->contracts[i];
		const char *a = "contracts";

		STR(x, a, i, "id", x->id);
		IDX(x, a, i, "customer", x->customer, b->ncustomers, 0);
		IDX(x, a, i, "currency", x->currency, b->ncurrencies, 0);
		TRY(window(c, x, a, i, &x->window));
		ENUMV(x, a, i, "policy", x->policy, B2B__POLICY_BEST);
		RANGE(x, a, i, "items", x->items_off, x->items_n, b->ncitems);
	}
	for (i = 0; i < b->nitem_ext; i++) {
		const b2b__item_ext *x = &b->item_ext[i];
		const char *a = "item_ext";

		TRY(window(c, x, a, i, &x->window));
		TRY(opt(c, x, a, i, "discount_percent", &x->discount_percent));
		TRY(opt(c, x, a, i, "surcharge", &x->surcharge));
		TRY(opt(c, x, a, i, "round_to", &x->round_to));
		TRY(opt(c, x, a, i, "min_margin", &x->min_margin));
		TRY(opt(c, x, a, i, "max_margin", &x->max_margin));
	}
	/* after the owners' ranges were checked */
	TRY(items(c, b->items, b->nitems, "items", b->nlists, b->lists, NULL));
	TRY(items(c, b->citems, b->ncitems, "contract_items", b->ncontracts, NULL, b->contracts));
	for (i = 0; i < b->nrules; i++) {
		const b2b__rule *x = &b->rules[i];
		const char *a = "dynamic_rules";

		STR(x, a, i, "id", x->id);
		TRY(scope(c, x, a, i, &x->scope));
		ENUMV(x, a, i, "signal", x->signal, B2B__SIG_COST_PLUS);
		TRY(window(c, x, a, i, &x->window));
		RANGE(x, a, i, "points", x->points_off, x->points_n, b->npoints);
		TRY(opt(c, x, a, i, "markup_percent", &x->markup_percent));
		TRY(opt(c, x, a, i, "offset_percent", &x->offset_percent));
		TRY(opt(c, x, a, i, "min_factor", &x->min_factor));
		TRY(opt(c, x, a, i, "max_factor", &x->max_factor));
		TRY(opt(c, x, a, i, "max_change_percent", &x->max_change_percent));
		TRY(opt(c, x, a, i, "price_step", &x->price_step));
	}
	/* SPEC §10 volume agreements */
	for (i = 0; i < b->nagreements; i++) {
		const b2b__agreement *x = &b->agreements[i];
		const char *a = "volume_agreements";

		STR(x, a, i, "id", x->id);
		STR(x, a, i, "party", x->party);
		ENUMV(x, a, i, "party_kind", x->party_kind, B2B__VA_PARTY_SEGMENT);
		IDX(x, a, i, "customer", x->customer, b->ncustomers, B2B__NONE);
		TRY(scope(c, x, a, i, &x->scope));
		ENUMV(x, a, i, "basis", x->basis, B2B__VA_BASIS_AMOUNT);
		ENUMV(x, a, i, "kind", x->kind, B2B__VA_REBATE);
		IDX(x, a, i, "currency", x->currency, b->ncurrencies, 0);
		TRY(window(c, x, a, i, &x->window));
		RANGE(x, a, i, "tiers", x->tiers_off, x->tiers_n, b->ntiers);
		if (x->tiers_n == 0)
			return bad(c, x, "%s[%zu].tiers: none", a, i);
	}
	for (i = 0; i < b->ntiers; i++) {
		const b2b__tier *x = &b->tiers[i];

		TRY(dec(c, x, "tiers", i, "threshold", x->threshold));
		TRY(dec(c, x, "tiers", i, "percent", x->percent));
		STR(x, "tiers", i, "threshold_text", x->threshold_text);
		STR(x, "tiers", i, "percent_text", x->percent_text);
	}
	for (i = 0; i < b->ncvolumes; i++) {
		const b2b__cvolume *x = &b->cvolumes[i];

		IDX(x, "customer_volumes", i, "customer", x->customer, b->ncustomers, 0);
		IDX(x, "customer_volumes", i, "agreement", x->agreement, b->nagreements, 0);
		TRY(dec(c, x, "customer_volumes", i, "volume", x->volume));
	}
	if (b->nva_cust != 0) {
		if (b->nva_cust != b->ncustomers + 1 || b->va_cust[0] != 0 ||
		    b->va_cust[b->ncustomers] != b->nva_idx)
			return bad(c, b->va_cust, "va_cust: %zu offsets for %zu customers and %zu entries",
			           b->nva_cust, b->ncustomers, b->nva_idx);
		for (i = 0; i < b->ncustomers; i++)
			if (b->va_cust[i] > b->va_cust[i + 1])
				return bad(c, &b->va_cust[i], "va_cust[%zu]: offsets not ascending", i);
	} else if (b->nva_idx != 0) {
		return bad(c, b->va_idx, "va_idx: %zu entries without va_cust", b->nva_idx);
	}
	for (i = 0; i < b->nva_idx; i++)
		IDX(&b->va_idx[i], "va_idx", i, "agreement", b->va_idx[i], b->nagreements, 0);
	for (i = 0; i < b->npoints; i++) {
		TRY(dec(c, &b->points[i], "points", i, "x", b->points[i].x));
		TRY(dec(c, &b->points[i], "points", i, "factor", b->points[i].f));
	}
	for (i = 0; i < b->npromos; i++) {
		const b2b__promo *x = &b->promos[i];
		const char *a = "promotions";

		STR(x, a, i, "id", x->id);
		ENUMV(x, a, i, "kind", x->kind, B2B__PROMO_ORDER_AMOUNT);
		TRY(opt(c, x, a, i, "value", &x->value));
		TRY(scope(c, x, a, i, &x->scope));
		STR(x, a, i, "segment", x->segment);
		STR(x, a, i, "code", x->code);
		TRY(window(c, x, a, i, &x->window));
		TRY(opt(c, x, a, i, "buy_qty", &x->buy_qty));
		TRY(opt(c, x, a, i, "get_qty", &x->get_qty));
		TRY(opt(c, x, a, i, "min_subtotal", &x->min_subtotal));
	}
	for (i = 0; i < b->ntaxes; i++) {
		STR(&b->taxes[i], "taxes", i, "tax_class", b->taxes[i].tax_class);
		STR(&b->taxes[i], "taxes", i, "region", b->taxes[i].region);
		TRY(dec(c, &b->taxes[i], "taxes", i, "rate_percent", b->taxes[i].rate_percent));
	}
	for (i = 0; i < b->ntax_classes; i++)
		STR(&b->tax_classes[i], "tax_classes", i, "name", b->tax_classes[i]);
	for (i = 0; i < b->napprovals; i++) {
		ENUMV(&b->approvals[i], "approval_rules", i, "metric", b->approvals[i].metric,
		      B2B__METRIC_TOTAL_ABOVE);
		STR(&b->approvals[i], "approval_rules", i, "id", b->approvals[i].id);
		TRY(dec(c, &b->approvals[i], "approval_rules", i, "threshold",
		        b->approvals[i].threshold));
	}
	for (i = 0; i < b->nstrs; i++)
		STR(&b->strs[i], "strs", i, "string", b->strs[i]);
	for (i = 0; i < b->nscopes; i++)
		TRY(scope(c, &b->scopes[i], "scopes", i, &b->scopes[i]));

	/* the indexes */
	if (ix->u32_base > b->nu32)
		return bad(c, NULL, "index: u32 base %zu beyond %zu elements", ix->u32_base, b->nu32);
	TRY(hash(c, &ix->products, "index.products", b->nproducts));
	TRY(hash(c, &ix->customers, "index.customers", b->ncustomers));
	TRY(hash(c, &ix->lists, "index.lists", b->nlists));
	TRY(hash(c, &ix->contracts, "index.contracts", b->ncontracts));
	TRY(hash(c, &ix->currencies, "index.currencies", b->ncurrencies));
	TRY(hash(c, &ix->taxes, "index.taxes", b->ntaxes));
	TRY(hash(c, &ix->items, "index.items", b->nitems));
	TRY(hash(c, &ix->citems, "index.citems", b->ncitems));
	TRY(hash(c, &ix->ahash, "index.ahash", ix->nagroups));
	for (i = 0; i < ix->nagroups; i++) {
		const b2b__agroup *g = &ix->agroups[i];

		ENUMV(g, "index.agroups", i, "kind", g->kind, B2B__APPLY_CUSTOMER);
		STR(g, "index.agroups", i, "value", g->value);
		TRY(u32_refs(c, g, "index.agroups", i, "lists", g->off, g->n, b->nlists));
	}
	TRY(scopeidx(c, &ix->rules, "rules", b->nrules));
	TRY(scopeidx(c, &ix->promos, "promos", b->npromos));
	TRY(u32_refs(c, NULL, "index", 0, "order_promos", ix->order_promos.off, ix->order_promos.n,
	             b->npromos));
	if (b->plan != NULL)
		TRY(check_plan(c));
	return 0;
}
