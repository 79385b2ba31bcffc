/*
 * libb2bcore — the frozen book: reference counting, release, accessors.
 *
 * The allocation convention every block of a book follows (one block of
 * exactly n elements per array, freed with its size) is written at the
 * top of book_int.h; the builder allocates accordingly.
 * SPDX-License-Identifier: MIT
 */
#include <string.h>

#include "book_int.h"
#include "book_plan.h"
#include "snapshot_int.h"
#include "enum.h"

static const char *const table_names[B2B_TABLE_COUNT] = {
	"settings", "currencies", "fx_rates", "products", "customers", "price_lists",
	"price_list_items", "contracts", "contract_items", "dynamic_rules",
	"promotions", "taxes", "approval_rules", "volume_agreements", "customer_volumes",
};

const char *
b2b_book_table_name(b2b_book_table t)
{
	return b2b__enum_name(table_names, B2B_TABLE_COUNT, (long long)t);
}

int
b2b_book_table_parse(b2b_book_table *out, const char *name, size_t len)
{
	int i = 0, rc = b2b__enum_parse(out != NULL ? &i : NULL, table_names, B2B_TABLE_COUNT,
	                                name, len);

	if (rc == 0)
		*out = (b2b_book_table)i;
	return rc;
}

b2b_book *
b2b_book_ref(b2b_book *book)
{
	/*
	 * Taking a reference needs no ordering of its own: the caller
	 * already holds one (or the host's lock that protects its pointer),
	 * which is what makes the book's contents visible to it.
	 */
	if (book != NULL)
		atomic_fetch_add_explicit(&book->refs, 1, memory_order_relaxed);
	return book;
}

#define FREE_ARRAY(b, x, n) b2b__free(&(b)->alloc, (void *)(b)->x, (b)->n * sizeof *(b)->x)

static void
book_free(b2b_book *b)
{
	b2b_allocator a = b->alloc;

	if (b->snap_base != NULL) {
		b2b__snapshot_free(b);
		return;
	}
	b2b__book_index_free(b);
	b2b__book_plan_free(b);
	b2b__free(&a, (void *)b->strings, b->strings_len);
	FREE_ARRAY(b, currencies, ncurrencies);
	FREE_ARRAY(b, fx, nfx);
	FREE_ARRAY(b, categories, ncategories);
	FREE_ARRAY(b, products, nproducts);
	FREE_ARRAY(b, product_lines, nproduct_lines);
	FREE_ARRAY(b, product_ext, nproduct_ext);
	FREE_ARRAY(b, customers, ncustomers);
	FREE_ARRAY(b, lists, nlists);
	FREE_ARRAY(b, items, nitems);
	FREE_ARRAY(b, contracts, ncontracts);
	FREE_ARRAY(b, citems, ncitems);
	FREE_ARRAY(b, item_ext, nitem_ext);
	FREE_ARRAY(b, rules, nrules);
	FREE_ARRAY(b, points, npoints);
	FREE_ARRAY(b, promos, npromos);
	FREE_ARRAY(b, taxes, ntaxes);
	FREE_ARRAY(b, tax_classes, ntax_classes);
	FREE_ARRAY(b, approvals, napprovals);
	FREE_ARRAY(b, agreements, nagreements);
	FREE_ARRAY(b, tiers, ntiers);
	FREE_ARRAY(b, cvolumes, ncvolumes);
	FREE_ARRAY(b, va_cust, nva_cust);
	FREE_ARRAY(b, va_idx, nva_idx);
	FREE_ARRAY(b, u32, nu32);
	FREE_ARRAY(b, strs, nstrs);
	FREE_ARRAY(b, scopes, nscopes);
	FREE_ARRAY(b, applies, napplies);
	b2b__free(&a, b, sizeof *b);
}

void
b2b_book_unref(b2b_book *book)
{
	if (book == NULL)
		return;
	/*
	 * acq_rel: the release half orders this thread's reads of the book
	 * before the decrement; the acquire half, on the last reference,
	 * makes every other thread's reads happen before the free.
	 */
	if (atomic_fetch_sub_explicit(&book->refs, 1, memory_order_acq_rel) == 1)
		book_free(book);
}

const char *
b2b_book_fingerprint(const b2b_book *book)
{
	return book != NULL ? book->fingerprint : "";
}

size_t
b2b_book_count(const b2b_book *book, b2b_book_table t)
{
	if (book == NULL || (unsigned)t >= (unsigned)B2B_TABLE_COUNT)
		return 0;
	return book->counts[t];
}

const char *
b2b_book_base_currency(const b2b_book *book)
{
	if (book == NULL || book->settings.base_currency >= book->ncurrencies)
		return "";
	return book->currencies[book->settings.base_currency].code;
}

size_t
b2b_book_memory(const b2b_book *book)
{
	return book != NULL ? book->memory : 0;
}

size_t
b2b_book_memory_of(const b2b_book *book, b2b_book_memory_part part)
{
	if (book == NULL)
		return 0;
	switch (part) {
	case B2B_BOOK_MEMORY_TOTAL:
		return book->memory;
	case B2B_BOOK_MEMORY_STRINGS:
		return book->strings_len;
	case B2B_BOOK_MEMORY_PRODUCT_RECORD:
		return sizeof(b2b__product);
	case B2B_BOOK_MEMORY_ITEM_RECORD:
		return sizeof(b2b__item);
	case B2B_BOOK_MEMORY_PLAN:
		return book->plan != NULL ? book->plan->bytes : 0;
	default:
		return 0;
	}
}

int
b2b_book_unit_price_decimals(const b2b_book *book)
{
	return book == NULL ? 4 : book->settings.unit_price_decimals;
}
