/*
 * libb2bcore — internals of the book's fingerprint, shared by
 * fingerprint.c (the canonical text: the emitter, every table's rows, the
 * fingerprint itself) and fingerprint_order.c (the canonical order of a
 * table's rows). The canonical form is specified in README.md, section
 * "Fingerprint".
 *
 * Private to those files: the short names (emit, flush…) are the ones
 * the fingerprint had as one file; the small helpers both use are static
 * inline, as inlined as before.
 * SPDX-License-Identifier: MIT
 */
#ifndef B2B_SRC_FINGERPRINT_H
#define B2B_SRC_FINGERPRINT_H

#include <string.h>

#include "book_int.h"
#include "sha256.h"

/* The canonical text being written: buffered bytes into a SHA-256 state. */
typedef struct emit {
	b2b__sha256 *sha;
	const b2b_book *b;
	int err;                  /* first formatting or internal error */
	const char *const *cols;  /* the current table's columns */
	size_t ncol;              /* columns written in the current row */
	size_t len;
	char buf[8192];
} emit;

static inline void
flush(emit *e)
{
	if (e->len > 0)
		b2b__sha256_update(e->sha, e->buf, e->len);
	e->len = 0;
}

static inline const char *
ccy(const b2b_book *b, uint16_t i)
{
	return i < b->ncurrencies ? b->currencies[i].code : "";
}

/* A scope's canonical text is prefix + body: "all", "category:PATH", "sku:SKU". */
static inline const char *
scope_body(const b2b_book *b, const b2b__scope *s)
{
	const char *t;

	switch (s->kind) {
	case B2B__SCOPE_CATEGORY:
		return s->id < b->ncategories ? b2b__s(b, b->categories[s->id].path) : "";
	case B2B__SCOPE_SKU:
		if (s->id < b->nproducts)
			return b2b__s(b, b->products[s->id].sku);
		/* an sku not in the book: the text as written, past "sku:" */
		t = b2b__s(b, s->text);
		return strncmp(t, "sku:", 4) == 0 ? t + 4 : t;
	default:
		return "";
	}
}

/* Byte order of the canonical texts ("all" < "category:…" < "sku:…"). */
static inline int
scope_cmp(const b2b_book *b, const b2b__scope *x, const b2b__scope *y)
{
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	return strcmp(scope_body(b, x), scope_body(b, y));
}

static inline const char *
list_id(const b2b_book *b, uint32_t l)
{
	return l < b->nlists ? b2b__s(b, b->lists[l].id) : "";
}

static inline const char *
contract_id(const b2b_book *b, uint32_t k)
{
	return k < b->ncontracts ? b2b__s(b, b->contracts[k].id) : "";
}

/* A value's escaped text (fingerprint.c; exported for its test). */
size_t b2b__fp_esc(char *d, size_t cap, const char *s, size_t readable, size_t *used,
                   int *done);

/*===========================================================================
 * MARK: - row order (fingerprint_order.c)
 *===========================================================================*/

typedef void (*row_fn)(emit *e, size_t i);

typedef struct order_ctx {
	const b2b_book *b;
	const char *const *cols;
	row_fn row;
	int (*key)(const b2b_book *b, uint32_t x, uint32_t y);
} order_ctx;

/* The SHA-256 of row i's line (only for rows whose keys tie). */
void b2b__fp_row_digest(const order_ctx *c, uint32_t i, unsigned char d[32]);

/* The order of rows x and y of the table of c (a b2b__cmp_u32): its key,
 * ties by the SHA-256 of the rows' lines. */
static inline int
order_cmp(const void *vctx, uint32_t x, uint32_t y)
{
	const order_ctx *c = vctx;
	unsigned char dx[32], dy[32];
	int r;

	if (x == y)
		return 0;
	if ((r = c->key(c->b, x, y)) != 0)
		return r < 0 ? -1 : 1;
	b2b__fp_row_digest(c, x, dx);
	b2b__fp_row_digest(c, y, dy);
	return memcmp(dx, dy, sizeof dx);
}

/* Each table's key (SPEC §3), in the byte order of the canonical texts. */
int b2b__fp_key_fx(const b2b_book *b, uint32_t x, uint32_t y);
int b2b__fp_key_product(const b2b_book *b, uint32_t x, uint32_t y);
int b2b__fp_key_currency(const b2b_book *b, uint32_t x, uint32_t y);
int b2b__fp_key_customer(const b2b_book *b, uint32_t x, uint32_t y);
int b2b__fp_key_list(const b2b_book *b, uint32_t x, uint32_t y);
int b2b__fp_key_item(const b2b_book *b, uint32_t x, uint32_t y);
int b2b__fp_key_contract(const b2b_book *b, uint32_t x, uint32_t y);
int b2b__fp_key_citem(const b2b_book *b, uint32_t x, uint32_t y);
int b2b__fp_key_rule(const b2b_book *b, uint32_t x, uint32_t y);
int b2b__fp_key_promo(const b2b_book *b, uint32_t x, uint32_t y);
int b2b__fp_key_tax(const b2b_book *b, uint32_t x, uint32_t y);
int b2b__fp_key_approval(const b2b_book *b, uint32_t x, uint32_t y);
int b2b__fp_key_agreement(const b2b_book *b, uint32_t x, uint32_t y);
int b2b__fp_key_cvolume(const b2b_book *b, uint32_t x, uint32_t y);

#endif
