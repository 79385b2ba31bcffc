/*
 * libb2bcore — a quote's lines looked up together before any is priced.
 *
 * On a large book a quote line is mostly waiting for memory: the sku's
 * slot in the product index, the product record, then for each price list
 * and contract the slot of its (owner, sku:, product) group and the item
 * the slot names — a chain of dependent misses per line, line after line.
 * Here the first B2B__QR_PF_FIRST lines (a whole ordinary quote) are
 * taken at once, then B2B__QR_PF_CHUNK at a time, a chunk ahead of the
 * line being checked and priced: their skus are resolved with
 * b2b_book_find_products() (keys hashed and fetched 16 at a time), then
 * their group slots are prefetched in one wave and the items those name
 * in a second, so that the misses of the lines overlap; when a line is
 * priced, its records are in cache, and a long quote does not fetch
 * more than it can keep.
 *
 * When the lines start from the book's plan (b2b__qr_plan_usable()), the
 * plan's records are fetched instead: the product's cells and the
 * (customer, product) contract slot, then the contract items.
 *
 * Nothing here decides anything: the lists and contracts prefetched are
 * a guess (the customer's candidate lists as the book's plan resolved
 * them for its own channel, its contracts), the products found are the
 * answers b2b__book_product() gives (check_line() uses them), and a quote
 * priced without this pass is the same quote.
 * SPDX-License-Identifier: MIT
 */
#include <string.h>

#include "quote_run.h"
#include "book_plan.h"

#if defined(__GNUC__) || defined(__clang__)
#  define QP_PREFETCH(p) __builtin_prefetch((p), 0, 1)
#else
#  define QP_PREFETCH(p) ((void)(p))
#endif


/*
 * May the lines start from the book's plan (b2b__plan_preset())? The plan
 * resolved the customer's lists with the customer's own channel, so the
 * document's channel must be that one (an empty one only when no list
 * applies to the channel ""), and a line with explain records every
 * candidate, which only the general way can.
 */
int
b2b__qr_plan_usable(run *r)
{
	const b2b_book *b = r->book;
	const b2b_quote *q = r->q;

	if (r->plan_state == 0 && r->cust >= b->ncustomers)
		r->plan_state = -1;
	if (r->plan_state == 0) {
		const char *cc = b2b__s(b, b->customers[r->cust].channel);
		size_t n = q->channel != NULL ? q->channel_len : 0;

		r->plan_state = -1;
		if (b->plan != NULL && !q->explain && strlen(cc) == n &&
		    (n == 0 || memcmp(cc, q->channel, n) == 0) &&
		    (n != 0 || q->channel == NULL ||
		     b2b__book_lists_applying(b, B2B__APPLY_CHANNEL, "", 0).n == 0))
			r->plan_state = 1;
	}
	return r->plan_state > 0;
}

/* The slot index of (owner, sku:, product) in table h, or B2B__NONE. */
static uint32_t
qp_slot(const b2b__hash *h, const uint8_t *kinds, uint32_t owner, uint32_t product)
{
	if (h->n == 0 || !(kinds[owner] & (1u << B2B__SCOPE_SKU)))
		return B2B__NONE;
	return home(hash_key3(owner, B2B__SCOPE_SKU, product), h->n);
}

_Static_assert(B2B__QR_PF_CHUNK <= B2B__QR_PF_FIRST, "a chunk fits qp_chunk()'s arrays");

/* Lines [from, to) when they may start from the book's plan: what
 * b2b__plan_preset() reads, the product's cells and the (customer,
 * product) contract slot (wave 1), then the cells' lines and the
 * contract items the slot names (wave 2), then the items the cells name
 * (wave 3). */
static void
qp_plan(run *r, size_t from, size_t to)
{
	const b2b_book *b = r->book;
	const b2b__plan *pl = b->plan;
	const uint32_t *prod = r->prod;
	int contracts = (pl->cust[r->cust].flags & B2B__CF_CONTRACTS) != 0;
	size_t i;

	for (i = from; i < to; i++) {
		if (prod[i] >= b->nproducts)
			continue;
		QP_PREFETCH(&pl->prod_off[prod[i]]);
		if (contracts && pl->nslots != 0)
			QP_PREFETCH(&pl->slots[b2b__plan_hash(r->cust, prod[i]) & (pl->nslots - 1)]);
	}
	for (i = from; i < to; i++) {
		const b2b__pcell *c;
		const b2b__pslot *s;

		if (prod[i] >= b->nproducts)
			continue;
		c = pl->cells + pl->prod_off[prod[i]];
		QP_PREFETCH(c);
		QP_PREFETCH((const char *)c + 64);
		QP_PREFETCH((const char *)c + 128);
		if (contracts && (s = b2b__plan_contract(pl, r->cust, prod[i])) != NULL &&
		    s->n != B2B__PLAN_MULTI && s->off < b->ncitems)
			QP_PREFETCH(&b->citems[s->off]);
	}
	/* wave 3: the items of the product's sku: groups (a step's source
	 * names the chosen one; a line priced the general way reads them
	 * all) and, for dynamic rules, the product's extension record */
	for (i = from; i < to; i++) {
		const b2b__pcell *ph, *c, *end;

		if (prod[i] >= b->nproducts)
			continue;
		ph = pl->cells + pl->prod_off[prod[i]];
		end = ph + 1 + (uint32_t)((uint64_t)ph->b >> 32);
		for (c = ph + 1; c < end; c += 1 + (uint32_t)((uint64_t)c->a >> 32)) {
			uint32_t n = (uint32_t)((uint64_t)c->a >> 32), k;

			for (k = 0; k < n && k < 8; k++)
				QP_PREFETCH(&b->items[(uint32_t)c->b + k]);
		}
		if (b->nrules != 0 && b->products[prod[i]].ext < b->nproduct_ext)
			QP_PREFETCH(&b->product_ext[b->products[prod[i]].ext]);
	}
}

/* Lines [from, to) (at most B2B__QR_PF_FIRST): their skus resolved into
 * r->prod, their group slots prefetched (wave 1), then the items those
 * slots name (wave 2). */
static void
qp_chunk(run *r, size_t from, size_t to)
{
	const b2b_book *b = r->book;
	const b2b_quote_request *req = r->req;
	const struct b2b__index *ix = b->index;
	const char *keys[B2B__QR_PF_FIRST];
	size_t lens[B2B__QR_PF_FIRST], at[B2B__QR_PF_FIRST], i, k, m = 0;
	size_t nowners = r->pf_nowners;
	uint32_t found[B2B__QR_PF_FIRST], slot[B2B__QR_PF_FIRST * B2B__QR_PF_OWNERS];
	uint32_t *prod = r->prod;

	/* the skus still to look up (an order's lines come with theirs) */
	for (i = from; i < to; i++) {
		const b2b__rline *l = &req->lines[i];

		prod[i] = l->product_read ? l->product_v : B2B__NONE;
		if (l->product_read || !b2b__qr_given(&l->sku))
			continue;
		keys[m] = l->sku.s;
		lens[m] = l->sku.len;
		at[m++] = i;
	}
	if (m > 0 && b2b_book_find_products(found, NULL, b, keys, lens, m) == 0) {
		for (k = 0; k < m; k++)
			prod[at[k]] = found[k];
	} else {
		/* cannot fail with these arguments; if it did: one by one */
		for (k = 0; k < m; k++)
			prod[at[k]] = b2b__book_product(b, keys[k], lens[k]);
	}
	r->pf_next = to;
	if (r->pf_plan) {
		qp_plan(r, from, to);
		return;
	}
	if (ix == NULL || nowners == 0)
		return;
	for (i = from; i < to; i++) {
		for (k = 0; k < nowners; k++) {
			const b2b__hash *h = r->pf_list[k] ? &ix->items : &ix->citems;
			uint32_t s = prod[i] == B2B__NONE
			                     ? B2B__NONE
			                     : qp_slot(h, r->pf_list[k] ? ix->list_kinds
			                                                : ix->contract_kinds,
			                               r->pf_owner[k], prod[i]);

			slot[(i - from) * nowners + k] = s;
			if (s != B2B__NONE)
				QP_PREFETCH(&h->slots[s]);
		}
	}
	for (i = from; i < to; i++) {
		for (k = 0; k < nowners; k++) {
			const b2b__hash *h = r->pf_list[k] ? &ix->items : &ix->citems;
			uint32_t s = slot[(i - from) * nowners + k], v;

			if (s == B2B__NONE || (v = h->slots[s]) == B2B__NONE)
				continue;
			if (r->pf_list[k] && v < b->nitems)
				QP_PREFETCH(&b->items[v]);
			else if (!r->pf_list[k] && v < b->ncitems)
				QP_PREFETCH(&b->citems[v]);
		}
	}
}

int
b2b__qr_prefetch(run *r)
{
	const b2b_book *b = r->book;
	const b2b__customer *c;
	size_t k, n = r->req->nlines, nowners = 0;

	if (n == 0 || r->cust == B2B__NONE)
		return 0;
	if ((r->prod = b2b__qr_array(r->ctx, n, sizeof(*r->prod))) == NULL)
		return B2B_ENOMEM;
	r->pf_next = 0;
	r->pf_plan = b2b__qr_plan_usable(r);

	/* the owners whose sku: groups a line will probably probe */
	c = &b->customers[r->cust];
	if (b->plan != NULL && (b->plan->cust[r->cust].flags & B2B__CF_LISTS)) {
		const b2b__pcust *pc = &b->plan->cust[r->cust];

		for (k = 0; k < pc->n && nowners < B2B__QR_PF_OWNERS / 2; k++) {
			uint32_t l = b->plan->clists[pc->off + k];

			if (l < b->nlists) {
				r->pf_owner[nowners] = l;
				r->pf_list[nowners++] = 1;
			}
		}
	}
	for (k = 0; k < c->contracts_n && nowners < B2B__QR_PF_OWNERS; k++) {
		uint32_t ct = b->u32[c->contracts_off + k];

		if (ct < b->ncontracts) {
			r->pf_owner[nowners] = ct;
			r->pf_list[nowners++] = 0;
		}
	}
	r->pf_nowners = nowners;
	qp_chunk(r, 0, n < B2B__QR_PF_FIRST ? n : B2B__QR_PF_FIRST);
	return 0;
}

void
b2b__qr_prefetch_ahead(run *r, size_t i)
{
	size_t n = r->req->nlines, to;

	if (r->prod == NULL || r->pf_next >= n || i + B2B__QR_PF_CHUNK < r->pf_next)
		return;
	to = r->pf_next + B2B__QR_PF_CHUNK;
	qp_chunk(r, r->pf_next, to < n ? to : n);
}
