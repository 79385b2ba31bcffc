/*
 * libb2bcore — a quote's lines looked up together before any is priced.
 *
 * On a large book a quote line is mostly waiting for memory: the sku's
 * slot in the product index, the product record, then for each price list
 * and contract the slot of its (owner, sku:, product) group and the item
 * the slot names — a chain of dependent misses per line, line after line.
 * Here the skus of all the lines are resolved first with
 * b2b_book_find_products() (keys hashed and fetched 16 at a time), then
 * the group slots of every line are prefetched in one wave and the items
 * they name in a second, so that the misses of the lines overlap. When
 * the lines are then priced one by one, their records are in cache.
 *
 * Nothing here decides anything: the lists and contracts prefetched are
 * a guess (the customer's candidate lists as the book's plan resolved
 * them for its own channel, its contracts), the products found are the
 * answers b2b__book_product() gives (check_line() uses them), and a quote
 * priced without this pass is the same quote.
 * SPDX-License-Identifier: MIT
 */
#include "quote_run.h"
#include "book_plan.h"

#if defined(__GNUC__) || defined(__clang__)
#  define QP_PREFETCH(p) __builtin_prefetch((p), 0, 1)
#else
#  define QP_PREFETCH(p) ((void)(p))
#endif

/* Owners (lists, contracts) per line whose groups are prefetched. */
#define QP_MAX_OWNERS 8

/* The slot index of (owner, sku:, product) in table h, or B2B__NONE. */
static uint32_t
qp_slot(const b2b__hash *h, const uint8_t *kinds, uint32_t owner, uint32_t product)
{
	if (h->n == 0 || !(kinds[owner] & (1u << B2B__SCOPE_SKU)))
		return B2B__NONE;
	return home(hash_key3(owner, B2B__SCOPE_SKU, product), h->n);
}

int
b2b__qr_prefetch(run *r)
{
	const b2b_book *b = r->book;
	const b2b_quote_request *req = r->req;
	const struct b2b__index *ix = b->index;
	const b2b__customer *c;
	uint32_t owner[QP_MAX_OWNERS];
	int is_list[QP_MAX_OWNERS];
	const char **keys;
	size_t *lens, *at, i, k, m = 0, n = req->nlines, nowners = 0;
	uint32_t *prod, *found, *slot;

	if (n == 0 || r->cust == B2B__NONE)
		return 0;
	prod = b2b__qr_array(r->ctx, n, sizeof(*prod));
	found = b2b__qr_array(r->ctx, n, sizeof(*found));
	keys = b2b__qr_array(r->ctx, n, sizeof(*keys));
	lens = b2b__qr_array(r->ctx, n, sizeof(*lens));
	at = b2b__qr_array(r->ctx, n, sizeof(*at));
	if (prod == NULL || found == NULL || keys == NULL || lens == NULL || at == NULL)
		return B2B_ENOMEM;
	/* the skus still to look up (an order's lines come with theirs) */
	for (i = 0; i < n; i++) {
		const b2b__rline *l = &req->lines[i];

		prod[i] = l->product_read ? l->product_v : B2B__NONE;
		if (l->product_read || !b2b__qr_given(&l->sku))
			continue;
		keys[m] = l->sku.s;
		lens[m] = l->sku.len;
		at[m++] = i;
	}
	if (m > 0) {
		if (b2b_book_find_products(found, NULL, b, keys, lens, m) != 0)
			return 0;   /* cannot happen with these arguments: line by line */
		for (k = 0; k < m; k++)
			prod[at[k]] = found[k];
		r->prod = prod;
	}
	if (ix == NULL)
		return 0;

	/* the owners whose sku: groups a line will probably probe */
	c = &b->customers[r->cust];
	if (b->plan != NULL && (b->plan->cust[r->cust].flags & B2B__CF_LISTS)) {
		const b2b__pcust *pc = &b->plan->cust[r->cust];

		for (k = 0; k < pc->n && nowners < QP_MAX_OWNERS / 2; k++) {
			uint32_t l = b->plan->clists[pc->off + k];

			if (l < b->nlists) {
				owner[nowners] = l;
				is_list[nowners++] = 1;
			}
		}
	}
	for (k = 0; k < c->contracts_n && nowners < QP_MAX_OWNERS; k++) {
		uint32_t ct = b->u32[c->contracts_off + k];

		if (ct < b->ncontracts) {
			owner[nowners] = ct;
			is_list[nowners++] = 0;
		}
	}
	if (nowners == 0)
		return 0;

	/* wave 1: the slots (kept: wave 2 does not hash again); wave 2: the
	 * items they name, read from cache by now for all but the first lines */
	slot = b2b__qr_array(r->ctx, n * nowners, sizeof(*slot));
	if (slot == NULL)
		return B2B_ENOMEM;
	for (i = 0; i < n; i++) {
		for (k = 0; k < nowners; k++) {
			const b2b__hash *h = is_list[k] ? &ix->items : &ix->citems;
			uint32_t s = prod[i] == B2B__NONE
			                     ? B2B__NONE
			                     : qp_slot(h, is_list[k] ? ix->list_kinds
			                                             : ix->contract_kinds,
			                               owner[k], prod[i]);

			slot[i * nowners + k] = s;
			if (s != B2B__NONE)
				QP_PREFETCH(&h->slots[s]);
		}
	}
	for (i = 0; i < n; i++) {
		for (k = 0; k < nowners; k++) {
			const b2b__hash *h = is_list[k] ? &ix->items : &ix->citems;
			uint32_t s = slot[i * nowners + k], v;

			if (s == B2B__NONE || (v = h->slots[s]) == B2B__NONE)
				continue;
			if (is_list[k] && v < b->nitems)
				QP_PREFETCH(&b->items[v]);
			else if (!is_list[k] && v < b->ncitems)
				QP_PREFETCH(&b->citems[v]);
		}
	}
	return 0;
}
