/*
 * libb2bcore — b2b_book_find_customer() / b2b_book_find_product(): the
 * handles the batch API of b2b/price.h takes; and back, from a handle to
 * the customer's id, the product's sku, status and quantity rules.
 * SPDX-License-Identifier: MIT
 */
#include "b2b/book.h"
#include "b2b/error.h"
#include "b2b/price.h"
#include "book_int.h"

int
b2b_book_find_customer(uint32_t *out, const b2b_book *book, const char *id, size_t len)
{
	uint32_t k;

	if (out == NULL || book == NULL || (id == NULL && len > 0))
		return B2B_EINVAL;
	k = b2b__book_customer(book, id != NULL ? id : "", len);
	if (k == B2B__NONE)
		return B2B_ENOTFOUND;
	*out = k;
	return 0;
}

int
b2b_book_find_product(uint32_t *out, const b2b_book *book, const char *sku, size_t len)
{
	uint32_t k;

	if (out == NULL || book == NULL || (sku == NULL && len > 0))
		return B2B_EINVAL;
	k = b2b__book_product(book, sku != NULL ? sku : "", len);
	if (k == B2B__NONE)
		return B2B_ENOTFOUND;
	*out = k;
	return 0;
}

/* ---- from a handle back to the book (b2b/book.h) ---- */

const char *
b2b_book_customer_id(const b2b_book *book, uint32_t customer)
{
	if (book == NULL || customer >= book->ncustomers)
		return NULL;
	return b2b__s(book, book->customers[customer].id);
}

const char *
b2b_book_product_sku(const b2b_book *book, uint32_t product)
{
	if (book == NULL || product >= book->nproducts)
		return NULL;
	return b2b__s(book, book->products[product].sku);
}

int
b2b_book_product_active(const b2b_book *book, uint32_t product)
{
	if (book == NULL || product >= book->nproducts)
		return B2B_EINVAL;
	return (book->products[product].flags & B2B__P_INACTIVE) ? 0 : 1;
}

int
b2b_book_product_qty_rule(b2b_dec *out, const b2b_book *book, uint32_t product,
                          b2b_qty_rule rule)
{
	const b2b__product_ext *x;
	const b2b__opt *v;

	if (out == NULL || book == NULL || product >= book->nproducts)
		return B2B_EINVAL;
	x = b2b__book_product_ext(book, &book->products[product]);
	switch (rule) {
	case B2B_QTY_PACK_SIZE:
		v = &x->pack_size;
		break;
	case B2B_QTY_MIN:
		v = &x->min_qty;
		break;
	case B2B_QTY_MAX:
		v = &x->max_qty;
		break;
	default:
		return B2B_EINVAL;
	}
	if (!v->set)
		return B2B_ENOTFOUND;
	*out = v->v;
	return 0;
}
