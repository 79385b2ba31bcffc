/*
 * libb2bcore — volume agreements (SPEC §10): see volume.h.
 *
 * A customer's agreements come from book->va_cust / va_idx (built at
 * freeze), so a line looks only at the few that cover its customer; a
 * book without agreements never gets here (the callers test
 * b->nagreements first).
 * SPDX-License-Identifier: MIT
 */
#include "volume.h"

int
b2b__vol_for_customer(const b2b_book *b, const b2b__agreement *a, uint32_t customer, int64_t t)
{
	if (!b2b__window_has(&a->window, t))
		return 0;
	if (a->party_kind == B2B__VA_PARTY_CUSTOMER)
		return a->customer == customer;
	return b->customers[customer].segment != 0 && b->customers[customer].segment == a->party;
}

int
b2b__vol_applies(const b2b_book *b, const b2b__agreement *a, uint32_t customer,
                 uint32_t product, int64_t t)
{
	return b2b__vol_for_customer(b, a, customer, t) &&
	       b2b__scope_matches(b, &a->scope, product);
}

int
b2b__vol_touches(const b2b_book *b, uint32_t customer, uint32_t product)
{
	size_t n, k;
	const uint32_t *ix = b2b__vol_of_customer(b, customer, &n);

	for (k = 0; k < n; k++) {
		const b2b__agreement *a = &b->agreements[ix[k]];

		if (a->kind == B2B__VA_DISCOUNT && b2b__scope_matches(b, &a->scope, product))
			return 1;
	}
	return 0;
}

int
b2b__vol_better(const b2b_book *b, uint32_t x, uint32_t y)
{
	const b2b__agreement *p = &b->agreements[x], *q = &b->agreements[y];
	int rp = b2b__scope_rank(&p->scope), rq = b2b__scope_rank(&q->scope);

	if (rp != rq)
		return rp > rq;
	if (p->window.from != q->window.from)
		return p->window.from > q->window.from;
	return x < y;   /* sorted by id */
}

uint32_t
b2b__vol_choose(const b2b_book *b, uint32_t customer, uint32_t product, int64_t t)
{
	uint32_t best = B2B__NONE, i;
	size_t n, k;
	const uint32_t *ix = b2b__vol_of_customer(b, customer, &n);

	for (k = 0; k < n; k++) {
		const b2b__agreement *a = &b->agreements[i = ix[k]];

		if (a->kind != B2B__VA_DISCOUNT || !b2b__vol_applies(b, a, customer, product, t))
			continue;
		if (best == B2B__NONE || b2b__vol_better(b, i, best))
			best = i;
	}
	return best;
}

b2b_dec
b2b__vol_to_date(const b2b_book *b, uint32_t customer, uint32_t agreement)
{
	size_t lo = 0, hi = b->ncvolumes;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const b2b__cvolume *v = &b->cvolumes[mid];

		if (v->customer < customer || (v->customer == customer && v->agreement < agreement))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < b->ncvolumes && b->cvolumes[lo].customer == customer &&
	    b->cvolumes[lo].agreement == agreement)
		return b->cvolumes[lo].volume;
	return b2b__dec_from_int(0);
}

int
b2b__vol_rate(const b2b_book *b, const b2b__agreement *a, uint16_t K, int64_t t, b2b_dec *rate)
{
	uint16_t sf, st;

	*rate = b2b__dec_from_int(1);
	if (a->basis != B2B__VA_BASIS_AMOUNT || a->currency == K)
		return 0;
	return b2b__book_fx(b, a->currency, K, t, rate, &sf, &st);
}

/* r9(x × rate) for an amount agreement in another currency, else x. */
static int
to_K(const b2b_book *b, const b2b__agreement *a, b2b_dec x, b2b_dec rate, b2b_dec *out)
{
	if (a->basis != B2B__VA_BASIS_AMOUNT || b2b__dec_eq(rate, b2b__dec_from_int(1))) {
		*out = x;
		return 0;
	}
	return b2b_dec_mul(out, x, rate, B2B_DEC_SCALE, b->settings.rounding);
}

int
b2b__vol_threshold(const b2b_book *b, const b2b__agreement *a, uint32_t i, b2b_dec rate,
                   b2b_dec *out)
{
	return to_K(b, a, b2b__vol_tier_at(b, a, i)->threshold, rate, out);
}

int
b2b__vol_tier(const b2b_book *b, const b2b__agreement *a, b2b_dec V, b2b_dec rate, int *tier)
{
	uint32_t i;
	int rc;

	*tier = -1;
	for (i = 0; i < a->tiers_n; i++) {
		b2b_dec th;

		if ((rc = b2b__vol_threshold(b, a, i, rate, &th)) < 0)
			return rc;
		if (b2b__dec_lt(V, th))
			break;
		*tier = (int)i;
	}
	return 0;
}

int
b2b__vol_doc_init(b2b__vol_doc *d, b2b_ctx *ctx, const b2b_book *b, uint32_t customer,
                  uint16_t K, int64_t t)
{
	size_t n = 0, k = 0, nc, j;
	const uint32_t *ix = b2b__vol_of_customer(b, customer, &nc);
	uint32_t i;
	int rc;

	d->n = 0;
	d->agr = NULL;
	d->V = NULL;
	d->no_rate = NULL;
	for (j = 0; j < nc; j++)
		if (b->agreements[ix[j]].kind == B2B__VA_DISCOUNT &&
		    b2b__vol_for_customer(b, &b->agreements[ix[j]], customer, t))
			n++;
	if (n == 0)
		return 0;
	d->agr = b2b__ctx_alloc(ctx, n * sizeof *d->agr);
	d->V = b2b__ctx_alloc(ctx, n * sizeof *d->V);
	d->no_rate = b2b__ctx_alloc(ctx, n);
	if (d->agr == NULL || d->V == NULL || d->no_rate == NULL)
		return b2b__ctx_seterr(ctx, B2B_ENOMEM, "volume agreements: out of memory");
	for (j = 0; j < nc; j++) {
		const b2b__agreement *a = &b->agreements[i = ix[j]];
		b2b_dec rate;

		if (a->kind != B2B__VA_DISCOUNT || !b2b__vol_for_customer(b, a, customer, t))
			continue;
		d->agr[k] = i;
		d->no_rate[k] = 0;
		d->V[k] = b2b__dec_from_int(0);
		rc = b2b__vol_rate(b, a, K, t, &rate);
		if (rc == B2B_ECURRENCY)
			d->no_rate[k] = 1;
		else if (rc < 0 || (rc = to_K(b, a, b2b__vol_to_date(b, customer, i), rate,
		                              &d->V[k])) < 0)
			return b2b__ctx_seterr(ctx, rc, "volume agreement %s: arithmetic out of range",
			                       b2b__s(b, a->id));
		k++;
	}
	d->n = n;
	return 0;
}

int
b2b__vol_doc_add(b2b__vol_doc *d, const b2b_book *b, uint32_t customer, uint32_t product,
                 int64_t t, b2b_dec qty, b2b_dec x)
{
	size_t k;
	int rc;

	(void)customer;
	(void)t;   /* d holds only agreements covering the customer at t */
	for (k = 0; k < d->n; k++) {
		const b2b__agreement *a = &b->agreements[d->agr[k]];
		b2b_dec c = qty;

		if (!b2b__scope_matches(b, &a->scope, product))
			continue;
		if (a->basis == B2B__VA_BASIS_AMOUNT &&
		    (rc = b2b_dec_mul(&c, x, qty, B2B_DEC_SCALE, b->settings.rounding)) < 0)
			return rc;
		if ((rc = b2b_dec_add(&d->V[k], d->V[k], c)) < 0)
			return rc;
	}
	return 0;
}
