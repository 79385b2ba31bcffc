/*
 * libb2bcore — b2b_book_find_customer() / b2b_book_find_product(): the
 * handles the batch API of b2b/price.h takes.
 * SPDX-License-Identifier: MIT
 */
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
