/*
 * libb2bcore — internals of freezing a book builder, shared by the files
 * of the freeze step: book_freeze.c (the steps in order, the frozen book,
 * diagnostics in file order), book_freeze_sort.c (sorting tables, keys and
 * duplicates), book_freeze_refs.c (currencies, settings, categories,
 * scopes and the references between tables), book_freeze_items.c (price
 * list and contract items), book_freeze_cycles.c (cycles of price lists)
 * and book_freeze_rules.c (rules, promotions, FX rates, taxes).
 *
 * Private to those files: the short names below (the state `fz`, the row
 * macros, the u32map) are the ones the step had as one file.
 * SPDX-License-Identifier: MIT
 */
#ifndef B2B_SRC_BOOK_FREEZE_H
#define B2B_SRC_BOOK_FREEZE_H

#include "book_builder.h"
#include "sort.h"

/* The state of one freeze. */
typedef struct fz {
	b2b_book_builder *b;
	b2b_ctx *ctx;
	b2b_book *book;
	const b2b_allocator *a;
	int rc;                 /* first B2B_ENOMEM */
	uint16_t *ccy_map;      /* code index → final currency index (UINT16_MAX = unknown) */
	uint16_t base;          /* final index of the base currency */
	uint32_t *tc_map;       /* provisional tax class → final index */
} fz;

#define ROWS(z, t, T) ((T *)(z)->b->rows[t].p)
#define NROWS(z, t) ((z)->b->rows[t].n)
#define LOC(z, t, i) (((const b2b__rowloc *)(z)->b->locs[t].p)[i])
#define BAD(z, t, i) ((LOC(z, t, i).seg & B2B__ROW_BAD) != 0)

static inline const char *
S(const fz *z, b2b__str s)
{
	return z->b->pool + s;
}

/* Report at a row; remembers B2B_ENOMEM. */
#define DIAG(z, sev, t, i, f, ...) \
	do { \
		int rc_ = b2b__bb_diag_row((z)->b, (z)->ctx, sev, t, i, f, __VA_ARGS__); \
		if (rc_ < 0 && (z)->rc == 0) \
			(z)->rc = rc_; \
	} while (0)
#define ERR(z, t, i, f, ...) DIAG(z, B2B_SEV_ERROR, t, i, f, __VA_ARGS__)

/*===========================================================================
 * MARK: - Maps from a key to an index
 *===========================================================================*/

/* Open addressing map from a non-zero uint32_t key to a uint32_t. */
typedef struct u32map {
	uint64_t *e;            /* (key << 32) | value; 0 = empty */
	size_t cap;
} u32map;

static inline int
map_init(const b2b_allocator *a, u32map *m, size_t n)
{
	size_t cap = 16;

	while (cap < n * 2 + 2)
		cap *= 2;
	if ((m->e = b2b__calloc(a, cap, sizeof(uint64_t))) == NULL)
		return B2B_ENOMEM;
	m->cap = cap;
	return 0;
}

static inline void
map_free(const b2b_allocator *a, u32map *m)
{
	b2b__free(a, m->e, m->cap * sizeof(uint64_t));
	m->e = NULL;
	m->cap = 0;
}

static inline size_t
map_slot(const u32map *m, uint32_t key)
{
	size_t mask = m->cap - 1, i = ((uint64_t)key * 0x9E3779B97F4A7C15u) >> 32 & mask;

	while (m->e[i] != 0 && (uint32_t)(m->e[i] >> 32) != key)
		i = (i + 1) & mask;
	return i;
}

/* Insert key → value unless present; returns the value now mapped. */
static inline uint32_t
map_put(u32map *m, uint32_t key, uint32_t value)
{
	size_t i = map_slot(m, key);

	if (m->e[i] == 0)
		m->e[i] = ((uint64_t)key << 32) | value;
	return (uint32_t)m->e[i];
}

static inline uint32_t
map_get(const u32map *m, uint32_t key)
{
	size_t i;

	if (key == 0 || m->cap == 0)
		return B2B__NONE;
	i = map_slot(m, key);
	return m->e[i] == 0 ? B2B__NONE : (uint32_t)m->e[i];
}

/*===========================================================================
 * MARK: - Shared types
 *===========================================================================*/

/*
 * Large tables that are not already in key order are sorted by a radix
 * sort on a 64-bit key that orders them almost completely (the first
 * bytes of a string key after the prefix all keys share; owner and scope
 * for items), then each run of equal 64-bit keys by the full comparison.
 * A comparison sort through a function pointer is several times slower on
 * millions of rows.
 */
typedef b2b__rkey rkey;    /* sort.h */

typedef struct catb {
	b2b__vec nodes;         /* b2b__category, unsorted */
	u32map map;             /* path → node (unsorted, then final) index */
	size_t nmap;
} catb;

typedef struct maps {
	u32map products, customers, lists, contracts, approvals;
	catb cat;
} maps;

/*===========================================================================
 * MARK: - The steps, file by file
 *===========================================================================*/

/* ---- book_freeze_sort.c ---- */

/* "on line N", or "at SRC:N" when from another source: another row. */
void b2b__fz_where(const fz *z, int t, size_t row, size_t other, char *buf, size_t size);
/* Sort the rows of table t with cmp (stable; rows already in order cost
 * one pass of comparisons and no copy). */
int b2b__fz_sort_table(fz *z, int t, b2b__cmp_u32 cmp, const void *ctx);
/*
 * Sort rows [0, n) of table t with keys[] built by the caller (keys[i].i
 * = i), then every run of equal k with cmp; the result is the same order
 * as sorting with cmp alone, when k orders consistently with cmp. `need`
 * says which runs need the comparison (NULL: all of length > 1).
 */
int b2b__fz_radix_then_cmp(fz *z, int t, rkey *keys, size_t n, b2b__cmp_u32 cmp,
                           const void *ctx, int (*need)(const void *ctx, uint64_t k));
/*
 * The same for a table whose rows come in runs of consecutive rows with
 * equal keys (a price list's breaks of one sku): one key per run, keys[r]
 * = (the run's k, r), the rows of run r being [starts[r], starts[r + 1])
 * (starts has nruns + 1 entries, the last n). The order is exactly the
 * one b2b__fz_radix_then_cmp gives with one key per row, for a radix sort
 * of nruns keys instead of n.
 */
int b2b__fz_radix_runs_then_cmp(fz *z, int t, rkey *keys, const uint32_t *starts, size_t nruns,
                                size_t n, b2b__cmp_u32 cmp, const void *ctx,
                                int (*need)(const void *ctx, uint64_t k));
/* Is the table already in cmp order? */
int b2b__fz_in_order(size_t n, b2b__cmp_u32 cmp, const void *ctx);
/* Sort a keyed table by its b2b__str key at byte offset koff, report
 * duplicates (at each later row, naming the first), and map key → final
 * index into *m. */
int b2b__fz_keyed(fz *z, int t, size_t koff, int field, const char *what, u32map *m);
/* Duplicate ids of a table not sorted by id: a map in row order. */
int b2b__fz_dup_ids(fz *z, int t, size_t koff, int field, const char *what);

/* ---- book_freeze_refs.c ---- */

/* The currencies (built in, and the book's), and z->ccy_map. */
int b2b__fz_currencies(fz *z);
/* The final index of a provisional currency; reports an unknown code. */
uint16_t b2b__fz_ccy_ref(fz *z, uint16_t code, int t, size_t row, int field,
                         const char *label);
/* The settings, and z->base (the base currency's final index). */
void b2b__fz_settings(fz *z);
/* Build the category tree; c->map then maps a path to its final index. */
int b2b__fz_categories(fz *z, catb *c);
/* Resolve a provisional scope; an sku that is not in the book is a
 * warning (the scope then matches nothing). */
void b2b__fz_scope_ref(fz *z, maps *m, b2b__scope *sc, int t, size_t row, int field,
                       const char *label);
/* Scopes of a table's rows (with a memo of the previous row's). */
void b2b__fz_scopes_ref(fz *z, maps *m, int t, size_t elem, size_t off, int field);
/* Final tax classes: every class named by a product or a tax row, sorted. */
int b2b__fz_tax_classes(fz *z);
/* Products by sku (m->products), their currencies and side table. */
int b2b__fz_products(fz *z, maps *m);
/* References of products (category, tax class), customers, price lists
 * and contracts (with their items' contracts and scopes). */
void b2b__fz_products_refs(fz *z, maps *m);
void b2b__fz_customers_refs(fz *z, maps *m);
void b2b__fz_lists_refs(fz *z, maps *m);
void b2b__fz_contracts_refs(fz *z, maps *m);
/* Each customer's contracts (in contract order), appended to u32. */
int b2b__fz_customers_contracts(fz *z);

/* ---- book_freeze_volume.c ---- */

/* Volume agreements and customer volumes (SPEC §10): ids, references,
 * coverage by the party, duplicate pairs; both tables sorted. */
int b2b__fz_volumes(fz *z, maps *m);

/* ---- book_freeze_items.c ---- */

/* References of the price list items (lists, base lists, scopes). */
void b2b__fz_items_refs(fz *z, maps *m);
/* Sort the items of table t (price list or contract items), report
 * overlapping breaks, fill each owner's items_off / items_n. */
int b2b__fz_items(fz *z, int t, size_t nowners);
/* The items' side table in item order, then contract item order (after both sorts). */
int b2b__fz_items_ext(fz *z);

/* ---- book_freeze_cycles.c ---- */

/* SPEC §9: no list may reach itself through parent or base=list_id:. */
int b2b__fz_cycles(fz *z);

/* ---- book_freeze_rules.c ---- */

/* Dynamic rules and promotions: duplicate ids, scopes, priority order. */
int b2b__fz_rules_promos(fz *z, maps *m);
/* FX rates: currencies, order, duplicates. */
int b2b__fz_fx(fz *z);
/* Taxes: order, duplicates. */
int b2b__fz_taxes(fz *z);

#endif
