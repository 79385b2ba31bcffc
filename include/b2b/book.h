/*
 * libb2bcore — the book: an immutable, shared snapshot of everything needed
 * to price (SPEC §3), and the builder that produces it.
 * SPDX-License-Identifier: MIT
 */
#ifndef B2B_BOOK_H
#define B2B_BOOK_H

#include "b2b/common.h"
#include "b2b/alloc.h"
#include "b2b/ctx.h"
#include "b2b/money.h"

/**
 * @file b2b/book.h
 * @brief Load a book directory of CSV files, or build a book from rows,
 * then share the frozen book between any number of threads.
 *
 * A book is built in one of two ways, with exactly the same checks:
 *  - b2b_book_load_dir(): reads `DIR/<table>.csv` for each table of
 *    SPEC §3 (`products.csv` is required, the others optional);
 *  - the builder: the host feeds the same tables row by row, as text
 *    cells under named columns (what an ERP export or a database cursor
 *    gives), then freezes the builder into a book.
 *
 * Every problem found is reported (not only the first): each becomes a
 * diagnostic on the ctx (`b2b_ctx_diag_*`: file, line, column, message),
 * up to B2B_CTX_MAX_DIAGS, and a book with any error is not built
 * (B2B_EBOOK). Warnings (e.g. a scope naming an sku that is not in the
 * book) do not stop the build.
 *
 * Diagnostics. Each is `file:line:col: message`, where `file` is the
 * source given to b2b_book_builder_begin_table() (for the loader: the
 * file name relative to the directory, e.g. `products.csv`), `line` the
 * row's line (a header problem: line 1) and `col` the cell's position in
 * the row, 1-based (not a character column). The message starts with the
 * column's name and says what was expected and what was found, e.g.
 * `list_price: expected a decimal like 12.50, got "12,50"`. When the
 * build ends, the diagnostics of the build are ordered by source (in the
 * order the builder first saw it), then line, then column, whether they
 * were found row by row or at finish.
 *
 * Load rules the SPEC leaves open, decided here:
 *  - Headers: an unknown column is reported at its own position; a
 *    column named twice at its second position; a missing required
 *    column at column 1 of the header. Names are exact (case, blanks).
 *    After a bad header the rows of that table are ignored, and
 *    references into that table are not reported (they would only
 *    repeat the header problem).
 *  - Files: a file of zero bytes (no header row) is an error, not an
 *    empty table (an empty table is a header row alone). A CSV syntax or
 *    encoding error (b2b/csv.h) is reported where the reader found it,
 *    with the reader's character column, and that record is dropped; the
 *    file is read on from the next record, so every CSV error of a file
 *    is reported and the rows around them are still checked. After such
 *    an error in the header, the file is still read for CSV errors but
 *    its rows are ignored (as after a bad header). The other files are
 *    read and checked too.
 *  - Blanks (space, tab, CR, LF, VT, FF) around any cell value are an
 *    error, and so are blanks around an element of a `;`-list, a segment
 *    of a category path, or the id after `sku:`, `list_id:`,
 *    `segment:`, …. An empty element in a `;`-list (`a;;b`, `a;`) is an
 *    error. Cells given to the builder must be UTF-8 without NUL bytes.
 *  - Integers (priority, level, minor_units, unit_price_decimals,
 *    quote_validity_days, buy_qty, get_qty) are `-?[0-9]+` with at most
 *    18 digits; buy_qty / get_qty are positive (`2.0` is not an integer).
 *  - A row with a problem in a cell still defines its key (so that it is
 *    not also reported as unknown elsewhere) and is left out of the
 *    cross-row checks that would only repeat the problem.
 *  - Duplicate keys are reported at each later row, naming the first
 *    row: `(first on line N)`, or `(first at SOURCE:N)` when the first
 *    came from another source. Duplicate currency codes in
 *    currencies.csv are errors too.
 *  - A customer naming a price list twice, or a price list naming the
 *    same applies_to entry twice, is an error. A customer named by
 *    `applies_to` `customer:ID` must exist (an error otherwise).
 *  - A scope `sku:X` (in items, contract items, dynamic rules,
 *    promotions, a customer's catalog) naming an sku that is not in
 *    products is a WARNING: the scope then matches nothing.
 *  - Currencies: every code used (products, customers, price lists,
 *    contracts, FX rates, base_currency) must be three upper-case letters
 *    and built in (b2b/currency.h) or in currencies.csv; a currency
 *    without an FX rate is not an error. cash_increment must be > 0 and a
 *    multiple of the row's minor unit.
 *  - Overlapping breaks: of two items of one list with the same scope and
 *    min_qty (compared as numbers: `10` = `10.0`) whose windows overlap,
 *    the one that starts later (or comes later in its source) is
 *    reported at its valid_from column, naming the other's line. Contract
 *    items have no window: a repeated (contract, scope, min_qty) is an
 *    error at the scope column.
 *  - Cycles among price lists (through `parent` or `base=list_id:`):
 *    every list of a cycle is reported once, at its own row of
 *    price_lists, in the parent column when its parent is in the cycle,
 *    else in the id column; the message names the other lists of the
 *    cycle.
 *  - Unused columns (SPEC §9.25) are errors naming the column: on a
 *    `fixed` item everything but price (discount_percent, base,
 *    surcharge, round_to, min/max_margin); on a `discount` item price,
 *    surcharge, round_to, min/max_margin; on a `formula` item price;
 *    points on competitor / cost_plus rules, markup_percent on any signal
 *    but cost_plus, offset_percent on any signal but competitor; value on
 *    buy_x_get_y; buy_qty / get_qty on any other kind; scope on order
 *    kinds; min_subtotal on line kinds. A `formula` item may leave
 *    discount_percent empty (no such step).
 *  - Dynamic rule points are `x:factor` pairs of decimals, x strictly
 *    ascending; required for stock_days and demand_ratio.
 *  - Promotion `value` must be > 0 (percent and order_percent ≤ 100).
 *  - Settings: an unknown key is an error at the key; a value is checked
 *    against its key's type at the value column, and its message starts
 *    with the key (`unit_price_decimals: expected an integer from 0 to
 *    9, got "12"`).
 *  - The book never depends on row order: every table is sorted by its
 *    key (book_int.h), so the same rows in any order give the same book
 *    and fingerprint.
 *
 * Thread-safety: a b2b_book is immutable; any number of threads may use
 * it at once. Its reference count is atomic: a host swaps books by
 * publishing the new one and unref'ing the old; work in flight holds its
 * own reference and finishes on the old book. A b2b_book_builder belongs
 * to one thread.
 */
B2B_BEGIN_DECL

typedef struct b2b_book b2b_book;
typedef struct b2b_book_builder b2b_book_builder;

/** The tables of a book (SPEC §3), in the order they are loaded. */
typedef enum b2b_book_table {
	B2B_TABLE_SETTINGS = 0,
	B2B_TABLE_CURRENCIES,
	B2B_TABLE_FX_RATES,
	B2B_TABLE_PRODUCTS,
	B2B_TABLE_CUSTOMERS,
	B2B_TABLE_PRICE_LISTS,
	B2B_TABLE_PRICE_LIST_ITEMS,
	B2B_TABLE_CONTRACTS,
	B2B_TABLE_CONTRACT_ITEMS,
	B2B_TABLE_DYNAMIC_RULES,
	B2B_TABLE_PROMOTIONS,
	B2B_TABLE_TAXES,
	B2B_TABLE_APPROVAL_RULES,
	B2B_TABLE_VOLUME_AGREEMENTS,   /**< SPEC §10 @since 0.2 */
	B2B_TABLE_CUSTOMER_VOLUMES,    /**< SPEC §10 @since 0.2 */
	B2B_TABLE_COUNT
} b2b_book_table;

/** The SPEC name of a table, e.g. "price_list_items"; NULL for a value that
 *  is not a table (B2B_TABLE_COUNT included). Static. @since 0.1 */
B2B_API const char *b2b_book_table_name(b2b_book_table t);
/**
 * The table named `name` (`len` bytes, no NUL needed; exact,
 * case-sensitive) into *out.
 * @return 0, B2B_EPARSE (not a name; *out untouched) or B2B_EINVAL (`out`
 *         NULL, or `name` NULL with `len` > 0)
 * @since 0.1
 */
B2B_API int b2b_book_table_parse(b2b_book_table *out, const char *name, size_t len);

/**
 * Load the book in directory `dir`.
 *
 * Ownership: the caller owns `*out` (one reference); release it with
 * b2b_book_unref(). Thread-safety: thread-safe when each thread uses its
 * own ctx.
 *
 * A missing optional file is an empty table; a missing products.csv is
 * B2B_EIO ("products.csv: required file missing"), and so is any file
 * that exists but cannot be opened or read. Diagnostics name files
 * relative to `dir`. The CSV reader and the book share `a`.
 *
 * @param[out] out  the book; NULL on failure
 * @param ctx       receives the diagnostics (every problem) and the error;
 *                  must not be NULL
 * @param a         allocator for the book's lifetime, or NULL for libc
 * @param dir       the directory
 * @return 0, B2B_EBOOK (see the ctx diagnostics), B2B_EIO (`dir` or
 *         products.csv cannot be read), B2B_ENOMEM, B2B_EINVAL (NULL
 *         `out`, `ctx` or `dir`)
 * @since 0.1
 */
B2B_API int b2b_book_load_dir(b2b_book **out, b2b_ctx *ctx, const b2b_allocator *a,
                              const char *dir);

/**
 * Create an empty builder.
 *
 * Ownership: the caller owns `*out`; release it with
 * b2b_book_builder_free() (also after finish). `a` is copied; NULL = libc.
 * Every builder call below takes a non-NULL ctx (B2B_EINVAL otherwise),
 * which receives the diagnostics.
 *
 * @param[out] out  the builder; NULL on failure
 * @param ctx       receives the error detail; may be NULL here
 * @param a         allocator for the builder and the book it makes, or
 *                  NULL for libc
 * @return 0, B2B_ENOMEM or B2B_EINVAL (`out` NULL)
 * @since 0.1
 */
B2B_API int b2b_book_builder_new(b2b_book_builder **out, b2b_ctx *ctx, const b2b_allocator *a);

/**
 * Start (or continue) table `t`: `columns` names the cells of the rows
 * that follow, in order, exactly as the CSV header would. Unknown or
 * duplicate columns and missing required columns are problems reported
 * on ctx. `source` (copied; may be NULL) names the rows' origin in
 * diagnostics, e.g. "products.csv" or "erp:products". Header problems
 * are reported at line 1 and the column's position (a missing required
 * column: column 1). Columns may come in any order; `columns` is not
 * kept after the call.
 * @return 0, B2B_EBOOK (bad header; rows of this table are then
 *         ignored until the next begin), B2B_ENOMEM, B2B_EMISUSE
 *         (builder finished), B2B_EINVAL (unknown table, NULL argument)
 * @since 0.1
 */
B2B_API int b2b_book_builder_begin_table(b2b_book_builder *b, b2b_ctx *ctx,
                                         b2b_book_table t, const char *const *columns,
                                         size_t ncolumns, const char *source);

/**
 * Add one row to the current table: `cells[i]` (with byte length
 * `lens[i]`, or NUL-terminated when `lens` is NULL) is the text of column
 * i; an empty cell means "not set". `line` is reported in diagnostics
 * (1-based; 0 = unknown) and kept as the row's line that lint findings
 * name (b2b/lint.h); the column of a problem is the cell's index + 1.
 * Every cell is checked now; references between tables are checked at
 * finish. The cells are copied (interned): nothing of `cells` is kept.
 * @return 0 (the row may still have had problems: see
 *         b2b_ctx_diag_count()), B2B_ENOMEM, B2B_EMISUSE (finished, or no
 *         table begun), B2B_EINVAL (ncells differs from the header)
 * @since 0.1
 */
B2B_API int b2b_book_builder_add_row(b2b_book_builder *b, b2b_ctx *ctx,
                                     const char *const *cells, const size_t *lens,
                                     size_t ncells, long line);

/**
 * Check the references between tables, then freeze the builder into an
 * immutable book. Afterwards the builder only accepts
 * b2b_book_builder_free() (whatever finish returned).
 *
 * Ownership: the caller owns `*out` (one reference; b2b_book_unref()).
 * The book uses the builder's allocator. Time and memory are linear in
 * the rows (plus sorting rows that are not already in key order).
 *
 * @param[out] out  the book; NULL on failure
 * @return 0, B2B_EBOOK (any error reported during the build: see the
 *         diagnostics; warnings alone do not fail), B2B_ENOMEM,
 *         B2B_EMISUSE
 * @since 0.1
 */
B2B_API int b2b_book_builder_finish(b2b_book **out, b2b_ctx *ctx, b2b_book_builder *b);

/** Release a builder. NULL is a no-op. @since 0.1 */
B2B_API void b2b_book_builder_free(b2b_book_builder *b);

/**
 * Take one more reference; returns `book` (NULL gives NULL).
 *
 * Thread-safety: thread-safe, but the caller must already own a
 * reference, or otherwise know that the book cannot be released while the
 * call runs. A host that publishes its current book through a shared
 * pointer and swaps it must therefore let readers take their reference
 * under the same protection as the swap. The simplest correct pattern:
 *
 *     reader:  lock(m); b = current; b2b_book_ref(b); unlock(m);
 *              ... use b ...; b2b_book_unref(b);
 *     swapper: lock(m); old = current; current = fresh; unlock(m);
 *              b2b_book_unref(old);
 *
 * Loading the pointer and calling b2b_book_ref() without the lock races
 * with the swapper's last b2b_book_unref() (a use after free); readers
 * that must not lock need hazard pointers or an epoch scheme (RCU).
 * Work in flight keeps its own reference and finishes on the old book.
 * @since 0.1
 */
B2B_API b2b_book *b2b_book_ref(b2b_book *book);

/**
 * Drop a reference; the last one frees the book and everything borrowed
 * from it (strings returned by the accessors). NULL is a no-op.
 * Thread-safety: thread-safe (an atomic decrement, acquire-release).
 * @since 0.1
 */
B2B_API void b2b_book_unref(b2b_book *book);

/**
 * The book's fingerprint (SPEC §5.8): 64 lower-case hex digits of the
 * SHA-256 of the canonical form documented in README ("Fingerprint").
 * Borrowed; lives as long as the book.
 * @since 0.1
 */
B2B_API const char *b2b_book_fingerprint(const b2b_book *book);

/** Rows in table `t` (settings: keys given); 0 for NULL or an unknown table. @since 0.1 */
B2B_API size_t b2b_book_count(const b2b_book *book, b2b_book_table t);

/** The base currency, e.g. "EUR". Borrowed; lives as long as the book ("" for NULL). @since 0.1 */
B2B_API const char *b2b_book_base_currency(const b2b_book *book);

/**
 * Bytes the book holds (its struct, string pool, tables and indexes), for
 * capacity planning. A product costs 56 bytes of record plus 8 of index;
 * strings, price list items and other rows come on top. 0 for NULL.
 * @since 0.1
 */
B2B_API size_t b2b_book_memory(const b2b_book *book);

/**
 * The book's `unit_price_decimals` setting (0–9, default 4): the scale of
 * every unit and list price it gives (e.g. b2b_price_batch() results).
 * NULL book: 4. @since 0.1
 */
B2B_API int b2b_book_unit_price_decimals(const b2b_book *book);

/** What b2b_book_memory_of() measures. Values never change. */
typedef enum b2b_book_memory_part {
	B2B_BOOK_MEMORY_TOTAL = 0,          /**< everything: b2b_book_memory() */
	B2B_BOOK_MEMORY_STRINGS = 1,        /**< the string pool: every distinct text of
	                                         the book (ids, names, paths, codes) once */
	B2B_BOOK_MEMORY_PRODUCT_RECORD = 2, /**< the fixed record of ONE product in this
	                                         build of the library (not a total) */
	B2B_BOOK_MEMORY_ITEM_RECORD = 3,    /**< the record of ONE price list or contract
	                                         item in this build (not a total; 64 bytes);
	                                         the few items with a validity window or a
	                                         discount or formula decimal have a 144-byte
	                                         extension on top, counted in TOTAL @since 0.2 */
	B2B_BOOK_MEMORY_PLAN = 4            /**< the batch pricing plan built at load
	                                         (per-product breaks, per-customer lists,
	                                         contract table): a total, part of TOTAL
	                                         @since 0.2 */
} b2b_book_memory_part;

/**
 * A part of b2b_book_memory(), for capacity planning: the strings depend
 * on the host's data (length of skus, names, …), the rest on the number
 * of rows; e.g. (total − strings) ÷ products is the per-product cost of
 * the structure. 0 for NULL or an unknown part.
 * Thread-safety: thread-safe; O(1).
 * @since 0.1
 */
B2B_API size_t b2b_book_memory_of(const b2b_book *book, b2b_book_memory_part part);

/*
 * Walking a book by handle. The handles of b2b_book_find_customer() and
 * b2b_book_find_product() (below) are exactly 0 .. n − 1, where n is
 * b2b_book_count(book, B2B_TABLE_CUSTOMERS) or (…, B2B_TABLE_PRODUCTS),
 * in byte order of the id / sku. The functions below go from a handle to
 * what the book holds for it, so that a host can walk every customer or
 * product (e.g. price a whole catalogue for one customer with
 * b2b_price_batch(), or show the order rules of each product).
 *
 * Thread-safety: thread-safe (the book is immutable); no allocation; O(1).
 * A handle is valid for its book only.
 */

/**
 * The id of customer handle `customer`. Borrowed; lives as long as the
 * book. NULL when `book` is NULL or the handle is not one of the book's.
 * @since 0.1
 */
B2B_API const char *b2b_book_customer_id(const b2b_book *book, uint32_t customer);

/**
 * The sku of product handle `product`. Borrowed; lives as long as the
 * book. NULL when `book` is NULL or the handle is not one of the book's.
 * @since 0.1
 */
B2B_API const char *b2b_book_product_sku(const b2b_book *book, uint32_t product);

/**
 * 1 when the product's status is `active` (the default), 0 when it is
 * `inactive` (SPEC §3; an order line for it is a violation, though it is
 * priced all the same), B2B_EINVAL when `book` is NULL or the handle is
 * not one of the book's.
 * @since 0.1
 */
B2B_API int b2b_book_product_active(const b2b_book *book, uint32_t product);

/** The order-quantity rules of a product (products.csv, SPEC §3). Values never change. */
typedef enum b2b_qty_rule {
	B2B_QTY_PACK_SIZE = 0,  /**< `pack_size`: an order quantity is a multiple of it */
	B2B_QTY_MIN = 1,        /**< `min_qty`: the smallest order quantity */
	B2B_QTY_MAX = 2         /**< `max_qty`: the largest order quantity */
} b2b_qty_rule;

/**
 * The value of rule `rule` of product handle `product`, as order
 * validation checks it (QTY_NOT_MULTIPLE, QTY_BELOW_MIN, QTY_ABOVE_MAX).
 *
 * @param[out] out  the value as the book holds it; untouched unless 0 is
 *                  returned
 * @return 0; B2B_ENOTFOUND when the product does not set that rule (its
 *         cell was empty: no constraint); B2B_EINVAL when `out` or `book`
 *         is NULL, the handle is not one of the book's, or `rule` is
 *         unknown
 * @since 0.1
 */
B2B_API int b2b_book_product_qty_rule(b2b_dec *out, const b2b_book *book, uint32_t product,
                                      b2b_qty_rule rule);

/**
 * The handle of customer `id` (`len` bytes) in `book`, for
 * b2b_price_batch(). A handle is an index into the frozen book: it is
 * valid for that book only (not for another book, even a reload of the
 * same files).
 *
 * Thread-safety: thread-safe; no allocation; O(log n).
 *
 * @param[out] out  the handle; untouched unless 0 is returned
 * @return 0, B2B_ENOTFOUND (no such customer) or B2B_EINVAL (`out` or
 *         `book` NULL, or `id` NULL with `len` > 0)
 * @since 0.1
 */
B2B_API int b2b_book_find_customer(uint32_t *out, const b2b_book *book, const char *id,
                                   size_t len);

/**
 * The handle of product `sku` (`len` bytes) in `book`; as
 * b2b_book_find_customer(). Inactive products have handles too (they are
 * priced all the same, SPEC §4).
 * @return 0, B2B_ENOTFOUND or B2B_EINVAL
 * @since 0.1
 */
B2B_API int b2b_book_find_product(uint32_t *out, const b2b_book *book, const char *sku,
                                  size_t len);

/**
 * The handles of `n` skus at once: out[i] receives the handle of skus[i]
 * (`lens[i]` bytes; `lens` NULL: each sku is NUL-terminated), or
 * UINT32_MAX when the book has no such product. The same answers as n
 * calls of b2b_book_find_product(), faster on large books: keys are
 * hashed and their slots, records and strings fetched 16 at a time (for
 * each key every candidate of its probe run up to 4, so that a key not in
 * its home slot costs no extra round trip), so that the memory accesses
 * of 16 keys overlap instead of following one another (the way to turn
 * host strings into the handles of b2b_price_batch()).
 * @param[out] out    n handles
 * @param[out] found  how many were found (may be NULL)
 * @return 0, or B2B_EINVAL (`book` NULL; `out` or `skus` NULL with n > 0;
 *         skus[i] NULL with a length > 0); nothing is written then
 * Thread-safety: thread-safe; no allocation; O(n).
 * @since 0.2
 */
B2B_API int b2b_book_find_products(uint32_t *out, size_t *found, const b2b_book *book,
                                   const char *const *skus, const size_t *lens, size_t n);

/**
 * The handles of `n` customer ids at once; as b2b_book_find_products().
 * @return 0 or B2B_EINVAL
 * @since 0.2
 */
B2B_API int b2b_book_find_customers(uint32_t *out, size_t *found, const b2b_book *book,
                                    const char *const *ids, const size_t *lens, size_t n);

B2B_END_DECL
#endif /* B2B_BOOK_H */
