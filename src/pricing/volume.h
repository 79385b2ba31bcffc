/*
 * libb2bcore — volume agreements (SPEC §10) for the line pricer, the
 * documents and the hints (§11): which agreements apply to a line, the
 * volume to date, the tier a volume reaches, and the document's volumes.
 *
 * The book side (book_int.h): b2b__agreement (sorted by id; tiers in
 * book->tiers[tiers_off, +tiers_n), threshold ascending; thresholds and
 * percents also as written, for sources and hints), b2b__cvolume (sorted
 * by (customer, agreement)).
 *
 * Money of an `amount` agreement (volume to date, thresholds) is in the
 * agreement's currency and converted to the document currency K like a
 * list price (SPEC §5.1): r9(x × rate). A `qty` agreement is never
 * converted (rate 1).
 *
 * What a line records (b2b__line_out, price_int.h): vol_agreement (the
 * discount agreement chosen by §10.1, or B2B__NONE), vol_tier (the tier
 * index it reached, −1 below the first), vol_V (its V in K), vol_x (the
 * price entering the `volume` step).
 * SPDX-License-Identifier: MIT
 */
#ifndef B2B_SRC_VOLUME_H
#define B2B_SRC_VOLUME_H

#include "price_int.h"
#include "dec_int.h"

/* The agreements whose party covers customer c (any window), in id
 * order: *n indexes into book->agreements from the returned pointer. */
static inline const uint32_t *
b2b__vol_of_customer(const b2b_book *b, uint32_t customer, size_t *n)
{
	if (b->va_cust == NULL || customer + 1 >= b->nva_cust) {
		*n = 0;
		return NULL;
	}
	*n = b->va_cust[customer + 1] - b->va_cust[customer];
	return b->va_idx + b->va_cust[customer];
}

/* Does agreement a apply to a line of customer c, product p at t (window,
 * party customer:C or segment:<C.segment>, scope)? Kind not checked. */
int b2b__vol_applies(const b2b_book *b, const b2b__agreement *a, uint32_t customer,
                     uint32_t product, int64_t t);

/* Does agreement a cover customer c at t (window and party only)? */
int b2b__vol_for_customer(const b2b_book *b, const b2b__agreement *a, uint32_t customer,
                          int64_t t);

/* Could a discount agreement change the price of (customer, product) at
 * some instant (party and scope; any window)? For the batch fast path. */
int b2b__vol_touches(const b2b_book *b, uint32_t customer, uint32_t product);

/* Is agreement x preferred to y for the discount of one line (§10.1: more
 * specific scope, then later valid_from, then smaller id)? */
int b2b__vol_better(const b2b_book *b, uint32_t x, uint32_t y);

/* The discount agreement §10.1 chooses for (customer, product, t), or
 * B2B__NONE when none applies. */
uint32_t b2b__vol_choose(const b2b_book *b, uint32_t customer, uint32_t product, int64_t t);

/* Volume to date of (customer, agreement) as the book gives it (0 without
 * a row), in the agreement's currency (or units). */
b2b_dec b2b__vol_to_date(const b2b_book *b, uint32_t customer, uint32_t agreement);

/* The rate from agreement a's currency to K at t: 1 for a qty agreement or
 * the same currency. Returns 0, or B2B_ECURRENCY when there is no rate. */
int b2b__vol_rate(const b2b_book *b, const b2b__agreement *a, uint16_t K, int64_t t,
                  b2b_dec *rate);

/* Threshold i of a in K: r9(threshold × rate) (exact for qty). */
int b2b__vol_threshold(const b2b_book *b, const b2b__agreement *a, uint32_t i, b2b_dec rate,
                       b2b_dec *out);

/* The tier V (in K) reaches: the index of the highest threshold ≤ V, or −1
 * below the first, in *tier. Returns 0 or an arithmetic status. */
int b2b__vol_tier(const b2b_book *b, const b2b__agreement *a, b2b_dec V, b2b_dec rate,
                  int *tier);

/* Tier i of agreement a (i < a->tiers_n). */
static inline const b2b__tier *
b2b__vol_tier_at(const b2b_book *b, const b2b__agreement *a, uint32_t i)
{
	return &b->tiers[a->tiers_off + i];
}

/*
 * The volumes of one document (quote, order): for each discount
 * agreement that covers the customer at T, V in K measured over the
 * document's lines (SPEC §10.2). A line priced with in->vol set to one of
 * these takes V from it; without (b2b price, the batch) a line is alone:
 * V = volume to date + the line's own contribution.
 */
typedef struct b2b__vol_doc {
	size_t n;
	uint32_t *agr;       /* agreement indexes, in id order (ctx arena) */
	b2b_dec *V;          /* V in K of each */
	uint8_t *no_rate;    /* no rate from its currency to K: the lines it chooses get NO_FX_RATE */
} b2b__vol_doc;

/* V of agreement `agreement` in d; 0 with *found = 0 when it is not there. */
static inline b2b_dec
b2b__vol_doc_V(const b2b__vol_doc *d, uint32_t agreement, int *found, int *no_rate)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (d->agr[i] == agreement) {
			*found = 1;
			*no_rate = d->no_rate[i];
			return d->V[i];
		}
	*found = 0;
	*no_rate = 0;
	return b2b__dec_from_int(0);
}

/*
 * Build d for customer c at t in currency K: the discount agreements
 * covering c, their volume to date converted to K (in d->V). Allocates
 * from the ctx arena. Returns 0, B2B_ENOMEM or an arithmetic status.
 */
int b2b__vol_doc_init(b2b__vol_doc *d, b2b_ctx *ctx, const b2b_book *b, uint32_t customer,
                      uint16_t K, int64_t t);

/* Add one priced line's contribution to every agreement of d that
 * applies to it (qty: Q; amount: r9(x × Q), x = the line's vol_x). */
int b2b__vol_doc_add(b2b__vol_doc *d, const b2b_book *b, uint32_t customer, uint32_t product,
                     int64_t t, b2b_dec qty, b2b_dec x);

#endif
