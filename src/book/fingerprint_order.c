/*
 * libb2bcore — the book's fingerprint (fingerprint.h): the canonical
 * order of a table's rows: each table's key (SPEC §3), in the byte order
 * of the canonical texts; rows whose keys tie by the SHA-256 of their
 * lines (order_cmp in fingerprint.h), so that the order never depends on
 * the order the rows were given in.
 * SPDX-License-Identifier: MIT
 */
#include "fingerprint.h"

void
b2b__fp_row_digest(const order_ctx *c, uint32_t i, unsigned char d[32])
{
	b2b__sha256 sha;
	emit e;

	b2b__sha256_init(&sha);
	e.sha = &sha;
	e.b = c->b;
	e.err = 0;
	e.cols = c->cols;
	e.ncol = 0;
	e.len = 0;
	c->row(&e, i);
	flush(&e);
	b2b__sha256_final(&sha, d);
}

static int
cmp_time(int64_t x, int64_t y)
{
	return x < y ? -1 : x > y;
}

int
b2b__fp_key_fx(const b2b_book *b, uint32_t x, uint32_t y)
{
	const b2b__fx *p = &b->fx[x], *q = &b->fx[y];
	int r;

	if ((r = strcmp(ccy(b, p->from), ccy(b, q->from))) != 0 ||
	    (r = strcmp(ccy(b, p->to), ccy(b, q->to))) != 0)
		return r;
	return cmp_time(p->valid_from, q->valid_from);
}

int
b2b__fp_key_product(const b2b_book *b, uint32_t x, uint32_t y)
{
	return strcmp(b2b__s(b, b->products[x].sku), b2b__s(b, b->products[y].sku));
}

int
b2b__fp_key_currency(const b2b_book *b, uint32_t x, uint32_t y)
{
	return strcmp(b->currencies[x].code, b->currencies[y].code);
}

int
b2b__fp_key_customer(const b2b_book *b, uint32_t x, uint32_t y)
{
	return strcmp(b2b__s(b, b->customers[x].id), b2b__s(b, b->customers[y].id));
}

int
b2b__fp_key_list(const b2b_book *b, uint32_t x, uint32_t y)
{
	return strcmp(b2b__s(b, b->lists[x].id), b2b__s(b, b->lists[y].id));
}

static int
item_key(const b2b_book *b, const char *ox, const char *oy, const b2b__item *p,
         const b2b__item *q)
{
	int r;

	if ((r = strcmp(ox, oy)) != 0 || (r = scope_cmp(b, &p->scope, &q->scope)) != 0 ||
	    (r = b2b_dec_cmp(p->min_qty, q->min_qty)) != 0)
		return r;
	return cmp_time(b2b__book_item_ext(b, p)->window.from, b2b__book_item_ext(b, q)->window.from);
}

int
b2b__fp_key_item(const b2b_book *b, uint32_t x, uint32_t y)
{
	const b2b__item *p = &b->items[x], *q = &b->items[y];

	return item_key(b, list_id(b, p->list), list_id(b, q->list), p, q);
}

int
b2b__fp_key_contract(const b2b_book *b, uint32_t x, uint32_t y)
{
	return strcmp(b2b__s(b, b->contracts[x].id), b2b__s(b, b->contracts[y].id));
}

int
b2b__fp_key_citem(const b2b_book *b, uint32_t x, uint32_t y)
{
	const b2b__item *p = &b->citems[x], *q = &b->citems[y];

	return item_key(b, contract_id(b, p->list), contract_id(b, q->list), p, q);
}

int
b2b__fp_key_rule(const b2b_book *b, uint32_t x, uint32_t y)
{
	return strcmp(b2b__s(b, b->rules[x].id), b2b__s(b, b->rules[y].id));
}

int
b2b__fp_key_promo(const b2b_book *b, uint32_t x, uint32_t y)
{
	return strcmp(b2b__s(b, b->promos[x].id), b2b__s(b, b->promos[y].id));
}

int
b2b__fp_key_tax(const b2b_book *b, uint32_t x, uint32_t y)
{
	const b2b__tax *p = &b->taxes[x], *q = &b->taxes[y];
	int r;

	if ((r = strcmp(b2b__s(b, p->tax_class), b2b__s(b, q->tax_class))) != 0)
		return r;
	return strcmp(b2b__s(b, p->region), b2b__s(b, q->region));
}

int
b2b__fp_key_approval(const b2b_book *b, uint32_t x, uint32_t y)
{
	return strcmp(b2b__s(b, b->approvals[x].id), b2b__s(b, b->approvals[y].id));
}

int
b2b__fp_key_agreement(const b2b_book *b, uint32_t x, uint32_t y)
{
	return strcmp(b2b__s(b, b->agreements[x].id), b2b__s(b, b->agreements[y].id));
}

/* (customer id, agreement id): both tables are sorted by id, so by index. */
int
b2b__fp_key_cvolume(const b2b_book *b, uint32_t x, uint32_t y)
{
	const b2b__cvolume *p = &b->cvolumes[x], *q = &b->cvolumes[y];

	if (p->customer != q->customer)
		return p->customer < q->customer ? -1 : 1;
	return p->agreement < q->agreement ? -1 : p->agreement > q->agreement;
}
