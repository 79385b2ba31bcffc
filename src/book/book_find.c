/*
 * libb2bcore — b2b_book_find_customer() / b2b_book_find_product(): the
 * handles the batch API of b2b/price.h takes; and back, from a handle to
 * the customer's id, the product's sku, status and quantity rules.
 * SPDX-License-Identifier: MIT
 */
#include <stddef.h>
#include <string.h>

#include "b2b/book.h"
#include "b2b/error.h"
#include "b2b/price.h"
#include "book_index.h"

#if defined(__GNUC__) || defined(__clang__)
#  define PREFETCH(p) __builtin_prefetch((p), 0, 3)
#else
#  define PREFETCH(p) ((void)(p))
#endif

_Static_assert(offsetof(b2b__product, sku) == 0, "find_many() reads the key first");
_Static_assert(offsetof(b2b__customer, id) == 0, "find_many() reads the key first");

/* Keys looked up together by find_many(). */
#define FIND_GROUP 16

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

/*
 * The keys of `base` (records of `stride` bytes whose first field is the
 * key, a b2b__str: products' sku, customers' id) through hash table h,
 * FIND_GROUP keys at a time in waves: hash every key and prefetch its home
 * slot; read the run of occupied slots from the home slot on (up to
 * FIND_CAND of them: the key, if present, is one of them unless the run
 * is longer) and prefetch each one's record; prefetch their keys'
 * strings; then compare. At the tables' load factor of 0.5 about a third
 * of the keys do not sit in their home slot, and a key found only by
 * probing on would wait for a record and then a string from memory, one
 * after the other: fetching every candidate of the run at once costs ≈
 * 1.5 records and strings per key instead of 1, all in flight together.
 * A run longer than FIND_CAND goes on slot by slot, as
 * b2b__book_product() probes.
 */
#define FIND_CAND 4

static int
find_many(uint32_t *out, size_t *found, const b2b_book *book, const b2b__hash *h,
          const void *base, size_t stride, const char *const *keys, const size_t *lens,
          size_t n)
{
	size_t g0, nf = 0, i;

	if (n > 0 && (out == NULL || keys == NULL))
		return B2B_EINVAL;
	for (i = 0; i < n; i++)
		if (keys[i] == NULL && lens != NULL && lens[i] > 0)
			return B2B_EINVAL;
	for (g0 = 0; g0 < n; g0 += FIND_GROUP) {
		size_t gn = n - g0 < FIND_GROUP ? n - g0 : FIND_GROUP, j;
		uint32_t home_[FIND_GROUP], cand[FIND_GROUP][FIND_CAND];
		unsigned ncand[FIND_GROUP];
		size_t len[FIND_GROUP];

		if (h->n == 0) {
			for (j = 0; j < gn; j++)
				out[g0 + j] = B2B__NONE;
			continue;
		}
		for (j = 0; j < gn; j++) {
			const char *k = keys[g0 + j] != NULL ? keys[g0 + j] : "";

			len[j] = lens != NULL ? lens[g0 + j] : strlen(k);
			home_[j] = home(b2b__ix_hash_bytes(k, len[j], 0), h->n);
			PREFETCH(&h->slots[home_[j]]);
		}
		for (j = 0; j < gn; j++) {
			uint32_t s = home_[j], v;
			unsigned c = 0;

			while (c < FIND_CAND && (v = h->slots[s]) != B2B__NONE) {
				cand[j][c++] = v;
				PREFETCH((const char *)base + (size_t)v * stride);
				if (++s == h->n)
					s = 0;
			}
			ncand[j] = c;
		}
		for (j = 0; j < gn; j++) {
			unsigned c;

			for (c = 0; c < ncand[j]; c++)
				PREFETCH(b2b__s(book, *(const b2b__str *)(const void *)
				                ((const char *)base + (size_t)cand[j][c] * stride)));
		}
		for (j = 0; j < gn; j++) {
			const char *k = keys[g0 + j] != NULL ? keys[g0 + j] : "";
			uint32_t s, v;
			unsigned c;

			out[g0 + j] = B2B__NONE;
			for (c = 0; c < ncand[j]; c++) {
				b2b__str key = *(const b2b__str *)(const void *)
				               ((const char *)base + (size_t)cand[j][c] * stride);

				if (pool_key_eq(book, key, k, len[j])) {
					out[g0 + j] = cand[j][c];
					nf++;
					break;
				}
			}
			if (c < FIND_CAND)
				continue;     /* found, or the run ended before FIND_CAND */
			/* a longer run: go on from the slot after the candidates */
			s = (uint32_t)(((size_t)home_[j] + FIND_CAND) % h->n);
			while ((v = h->slots[s]) != B2B__NONE) {
				b2b__str key = *(const b2b__str *)(const void *)
				               ((const char *)base + (size_t)v * stride);

				if (pool_key_eq(book, key, k, len[j])) {
					out[g0 + j] = v;
					nf++;
					break;
				}
				if (++s == h->n)
					s = 0;
			}
		}
	}
	if (found != NULL)
		*found = nf;
	return 0;
}

int
b2b_book_find_products(uint32_t *out, size_t *found, const b2b_book *book,
                       const char *const *skus, const size_t *lens, size_t n)
{
	if (book == NULL || book->index == NULL)
		return B2B_EINVAL;
	return find_many(out, found, book, &book->index->products, book->products,
	                 sizeof *book->products, skus, lens, n);
}

int
b2b_book_find_customers(uint32_t *out, size_t *found, const b2b_book *book,
                        const char *const *ids, const size_t *lens, size_t n)
{
	if (book == NULL || book->index == NULL)
		return B2B_EINVAL;
	return find_many(out, found, book, &book->index->customers, book->customers,
	                 sizeof *book->customers, ids, lens, n);
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
