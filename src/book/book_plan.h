/*
 * libb2bcore — the batch plan: what the book precomputes at freeze
 * (book_plan.c) so that b2b_price_batch() prices the common line from a
 * few compact records, and knows when it must not (then the line goes
 * through the general pricer, b2b__price_line(), unchanged).
 *
 * The plan only summarises the book; it decides nothing on its own. Its
 * three parts:
 *
 *   - per product, one contiguous run of 16-byte cells (cells[prod_off[p]]):
 *     a header (list price as an int64 coefficient, currency, flags), then
 *     for each price list with a `sku:` group for the product, a run header
 *     (the list, how many items, the first item's index) followed by one
 *     cell per item of the group, in the group's order: min_qty and a
 *     fixed price as int64 coefficients (scale 9). An item the plan cannot
 *     summarise exactly (not `fixed`, a window, base=cost, a negative or
 *     too large figure) has price B2B__PLAN_SLOW: a line that reaches it
 *     goes the general way;
 *   - per customer, the candidate price lists of SPEC §5.2 in the order
 *     the pricer tries them, resolved for the customer's own channel (what
 *     a batch line uses), duplicates already dropped; and whether every
 *     contract of the customer has only `sku:` scopes;
 *   - one open-addressed table keyed by (customer, product) holding the
 *     `sku:` group of contract items that names the product (off/n into
 *     book->citems), or B2B__PLAN_MULTI when two contracts of the customer
 *     name it.
 *
 * Immutable once built; read from any thread.
 * SPDX-License-Identifier: MIT
 */
#ifndef B2B_SRC_BOOK_PLAN_H
#define B2B_SRC_BOOK_PLAN_H

#include "book_index.h"
#include "book_int.h"

/* A cell's price when the item cannot be priced from the cell. */
#define B2B__PLAN_SLOW INT64_MIN
/* A contract slot's n when more than one contract names the product. */
#define B2B__PLAN_MULTI UINT32_MAX

/* Product header flags (cell.b bits 0..15). */
enum {
	B2B__PF_FAST = 1,      /* list price and floor fit the fast path */
	B2B__PF_NO_RULE = 2,   /* no dynamic rule's scope matches the product */
	B2B__PF_NO_PROMO = 4   /* no automatic line promotion's scope matches it */
};
/* Customer flags. */
enum {
	B2B__CF_LISTS = 1,        /* the candidate lists were resolved */
	B2B__CF_CONTRACTS = 2,    /* the customer has contracts */
	B2B__CF_CT_SKU_ONLY = 4   /* ... and they only have sku: scopes */
};
/* List flags. */
enum { B2B__LF_OTHER_SCOPES = 1 };  /* has category: or all groups */

typedef struct b2b__pcell {
	int64_t a, b;
} b2b__pcell;

/* header: a = list price; b = flags | currency << 16 | (cells after the header) << 32
 * run:    a = list | n << 32;  b = index of the group's first item in book->items
 * item:   a = min_qty;         b = price or B2B__PLAN_SLOW */

typedef struct b2b__pcust {
	uint32_t off;      /* into plan->clists */
	uint16_t n;
	uint16_t flags;    /* B2B__CF_* */
} b2b__pcust;

typedef struct b2b__pslot {
	uint32_t customer;  /* UINT32_MAX: empty */
	uint32_t product;
	uint32_t off, n;    /* into book->citems; n B2B__PLAN_MULTI: several contracts */
} b2b__pslot;

typedef struct b2b__plan {
	uint32_t *prod_off;     /* nproducts + 1 */
	b2b__pcell *cells;
	size_t ncells;
	b2b__pcust *cust;       /* ncustomers */
	uint32_t *clists;
	size_t nclists;
	uint8_t *list_flags;    /* nlists */
	b2b__pslot *slots;
	size_t nslots;          /* a power of two, or 0 */
	size_t bytes;
} b2b__plan;

/* The home of (customer, product) in the contract table: splitmix64's
 * finaliser (book_index.h) of the pair. */
static inline uint64_t
b2b__plan_hash(uint32_t customer, uint32_t product)
{
	return mix64(((uint64_t)customer << 32 | product) + UINT64_C(0x9e3779b97f4a7c15));
}

/* The contract slot of (customer, product), or NULL. */
static inline const b2b__pslot *
b2b__plan_contract(const b2b__plan *pl, uint32_t customer, uint32_t product)
{
	size_t mask, i;

	if (pl->nslots == 0)
		return NULL;
	mask = pl->nslots - 1;
	for (i = (size_t)b2b__plan_hash(customer, product) & mask;; i = (i + 1) & mask) {
		const b2b__pslot *s = &pl->slots[i];

		if (s->customer == UINT32_MAX)
			return NULL;
		if (s->customer == customer && s->product == product)
			return s;
	}
}

/*
 * Build b->plan (after b2b__book_index_build) and add its size to
 * b->memory. Returns 0 or B2B_ENOMEM. A book too large for the plan's
 * 32-bit offsets gets no plan (b->plan NULL: every line goes the
 * general way), which is not an error.
 */
int b2b__book_plan_build(b2b_book *b);
/* Free b->plan (NULL-safe). */
void b2b__book_plan_free(b2b_book *b);

#endif
