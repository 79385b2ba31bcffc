/*
 * libb2bcore — quote requests built inside the library, beside the
 * request builder of quote_api.c: the request that prices an order as a
 * quote (SPEC §7; order.c runs it and reads its problems as violations).
 * SPDX-License-Identifier: MIT
 */
#include <stdint.h>
#include <string.h>

#include "order_int.h"
#include "quote_int.h"

int
b2b__qreq_from_order(b2b_quote_request **out, b2b_ctx *ctx, const b2b_order *o,
                     int currency_ok)
{
	struct b2b_quote_request *req;
	size_t i, n = o->nlines;

	req = b2b__arena_calloc(ctx, 1, sizeof(*req));
	if (req == NULL)
		return B2B_ENOMEM;
	req->ctx = ctx;
	req->kind = B2B__REQ_QUOTE;
	/* the quote needs an id; the order's (or none) is as good as any */
	req->quote_id.s = o->order_id.s != NULL ? o->order_id.s : "";
	req->quote_id.len = o->order_id.s != NULL ? o->order_id.len : 0;
	req->customer.s = o->customer.s;
	req->customer.len = o->customer.len;
	req->as_of.s = o->as_of.s;
	req->as_of.len = o->as_of.len;
	/* valid_until is taken as given: no as_of + validity days to overflow */
	req->valid_until = req->as_of;
	if (currency_ok) {
		req->currency.s = o->currency.s;
		req->currency.len = o->currency.len;
	}
	if (o->channel.s != NULL) {
		req->channel.s = o->channel.s;
		req->channel.len = o->channel.len;
	}
	if (o->ship_to.s != NULL) {
		req->ship_to.s = o->ship_to.s;
		req->ship_to.len = o->ship_to.len;
	}
	if (o->ncodes > 0) {
		req->codes = b2b__arena_calloc(ctx, o->ncodes, sizeof(*req->codes));
		if (req->codes == NULL)
			return B2B_ENOMEM;
		for (i = 0; i < o->ncodes; i++) {
			req->codes[i].s = o->codes[i].s;
			req->codes[i].len = o->codes[i].len;
		}
		req->ncodes = req->codes_cap = o->ncodes;
		req->codes_given = 1;
	}
	/* not zeroed: b2b__qreq_order_lines() clears each line it fills, and
	 * no line past nlines is read */
	if (n + 1 > SIZE_MAX / sizeof(*req->lines))
		return B2B_ENOMEM;
	req->lines = b2b__ctx_alloc(ctx, (n + 1) * sizeof(*req->lines));
	if (req->lines == NULL)
		return B2B_ENOMEM;
	req->lines_given = 1;
	*out = req;
	return 0;
}

void
b2b__qreq_order_lines(b2b_quote_request *req, const b2b_order *o, const uint8_t *active,
                      const uint32_t *product, size_t *map)
{
	size_t i, n = o->nlines;

	req->nlines = 0;
	for (i = 0; i < n; i++) {
		b2b__rline *l;
		const b2b__oline *ol = &o->lines[i];

		if (!active[i])
			continue;
		l = &req->lines[req->nlines];
		memset(l, 0, sizeof(*l));
		l->sku.s = ol->sku.s;
		l->sku.len = ol->sku.len;
		l->qty.s = ol->qty.s;
		l->qty.len = ol->qty.len;
		l->qty.number = ol->qty.number;
		l->requested.s = ol->price.s;
		l->requested.len = ol->price.len;
		l->requested.number = ol->price.number;
		l->qty_read = ol->qty.ok;
		l->qty_v = ol->qty.v;
		l->requested_read = ol->price.ok;
		l->requested_v = ol->price.v;
		l->product_read = product[i] != B2B__NONE;
		l->product_v = product[i];
		map[req->nlines++] = i;
	}
	req->lines_cap = req->nlines;
}
