/*
 * libb2bcore — what a change of book does to prices (SPEC §13).
 *
 * b2b_book_diff() prices every probe — every customer of either book (or
 * those given) × every product of either book × the probe quantities of
 * §13 — alone in both books (the customer's currency and channel in that
 * book, no codes, no requested price) and reports the probes whose
 * rounded unit price differs, or that are priced in one book and an error
 * in the other. Only the probes that the rows differing between the two
 * books can reach are priced; the others are proved unchanged and
 * counted (README "Diff" says how).
 *
 *	b2b_diff_options o;
 *	const b2b_diff *d;
 *	b2b_diff_options_init(&o, B2B_DIFF_OPTIONS_VERSION);
 *	b2b_time_parse(&o.as_of, NULL, "2026-06-01", 10);
 *	rc = b2b_book_diff(&d, ctx, old_book, new_book, &o);
 *	rc = b2b_diff_to_json(&json, &len, ctx, d);
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef B2B_DIFF_H
#define B2B_DIFF_H

#include <stddef.h>
#include <stdint.h>

#include "b2b/common.h"
#include "b2b/ctx.h"
#include "b2b/money.h"
#include "b2b/date.h"
#include "b2b/book.h"

B2B_BEGIN_DECL

/** The result of b2b_book_diff(): counts, categories and the kept rows. */
typedef struct b2b_diff b2b_diff;

/**
 * Receives text as it is produced (the CSV rows of b2b_book_diff()).
 * Return 0 to go on; any other value stops the diff, which returns it.
 */
typedef int (*b2b_diff_write_fn)(void *user, const char *text, size_t len);

/** Options of b2b_book_diff(). */
typedef struct b2b_diff_options {
	unsigned int version;   /**< B2B_DIFF_OPTIONS_VERSION, first field always */
	uint32_t flags;         /**< reserved: must be 0 (else B2B_EINVAL) */
	b2b_time as_of;         /**< T; must be set (the default is not a valid instant) */
	const char *const *customers; /**< ncustomers ids: only these customers; NULL = all */
	size_t ncustomers;
	size_t limit;           /**< rows kept in the result (default 1000; counts cover all) */
	/** When set, the CSV text of every changed row (header
	 *  `customer,sku,qty,old,new,change_percent` first), in row order, as
	 *  the rows are found — not only the first `limit`. */
	b2b_diff_write_fn csv;
	void *csv_user;
	/* later versions append fields below; never reorder */
} b2b_diff_options;

#define B2B_DIFF_OPTIONS_VERSION 1
#define B2B_DIFF_LIMIT_DEFAULT 1000
#define B2B_DIFF_OPTIONS_INIT \
	{ B2B_DIFF_OPTIONS_VERSION, 0, { 0, 0, 0 }, NULL, 0, B2B_DIFF_LIMIT_DEFAULT, NULL, NULL }

/**
 * Fill `*opts` with the defaults of `version` (normally
 * B2B_DIFF_OPTIONS_VERSION), as B2B_DIFF_OPTIONS_INIT does.
 * @return 0, B2B_EVERSION (version 0 or unknown; *opts untouched) or
 *         B2B_EINVAL (`opts` NULL)
 * @since 0.1
 */
B2B_API int b2b_diff_options_init(b2b_diff_options *opts, unsigned int version);

/**
 * Compare the prices of two books (SPEC §13).
 *
 * Ownership: `*out` and every string it gives are borrowed from `ctx`'s
 * arena (copied there: the books may be released after the call).
 * Lifetime: until b2b_ctx_reset(ctx). Temporary memory comes from the
 * ctx's allocator and is freed before returning.
 * Thread-safety: thread-safe when each thread uses its own ctx; the books
 * may be shared.
 *
 * @param[out] out  the result; NULL on error
 * @return 0; B2B_EINVAL (NULL argument, as_of not a valid instant, unknown
 *         flags); B2B_EVERSION; B2B_ENOTFOUND (a customer of `customers`
 *         is in neither book; detail on ctx); B2B_ENOMEM; or the non-zero
 *         value the csv callback returned
 * @since 0.1
 */
B2B_API int b2b_book_diff(const b2b_diff **out, b2b_ctx *ctx, const b2b_book *old_book,
                          const b2b_book *new_book, const b2b_diff_options *opts);

/** Fingerprints of the two books. @since 0.1 */
B2B_API const char *b2b_diff_old_fingerprint(const b2b_diff *d);
B2B_API const char *b2b_diff_new_fingerprint(const b2b_diff *d);
/** T, as given. @since 0.1 */
B2B_API b2b_time b2b_diff_as_of(const b2b_diff *d);

/** The counts of §13, over every probe (priced or proved unchanged). */
typedef enum b2b_diff_count {
	B2B_DIFF_PROBES = 0,      /**< every probe */
	B2B_DIFF_CHANGED = 1,     /**< rounded unit price differs, or priced in one book only */
	B2B_DIFF_RAISED = 2,      /**< priced in both, higher in the new book */
	B2B_DIFF_LOWERED = 3,     /**< priced in both, lower in the new book */
	B2B_DIFF_NOW_UNPRICED = 4,/**< priced in the old book, an error in the new */
	B2B_DIFF_NOW_PRICED = 5,  /**< an error in the old book, priced in the new */
	B2B_DIFF_PRICED = 6       /**< probes actually priced (in both books): the rest were
	                               proved unchanged without pricing */
} b2b_diff_count;

/** A count; 0 for a NULL diff or an unknown count. @since 0.1 */
B2B_API uint64_t b2b_diff_count_of(const b2b_diff *d, b2b_diff_count which);

/**
 * max_increase_percent (`decrease` 0) or max_decrease_percent (1): 1 with
 * *out, or 0 when there is none (null in the JSON). @since 0.1
 */
B2B_API int b2b_diff_max_percent(b2b_dec *out, const b2b_diff *d, int decrease);

/** by_category: categories with a changed probe, in byte order. @since 0.1 */
B2B_API size_t b2b_diff_category_count(const b2b_diff *d);
/** Category i's name ("" for products without one); NULL out of range. @since 0.1 */
B2B_API const char *b2b_diff_category(const b2b_diff *d, size_t i);
/** Category i's count (B2B_DIFF_CHANGED, _RAISED or _LOWERED; else 0). @since 0.1 */
B2B_API uint64_t b2b_diff_category_count_of(const b2b_diff *d, size_t i,
                                            b2b_diff_count which);

/** Rows kept (the first `limit` changed probes in row order). @since 0.1 */
B2B_API size_t b2b_diff_row_count(const b2b_diff *d);
/** Row i's customer id and sku; NULL out of range. @since 0.1 */
B2B_API const char *b2b_diff_row_customer(const b2b_diff *d, size_t i);
B2B_API const char *b2b_diff_row_sku(const b2b_diff *d, size_t i);
/** Row i's quantity; 0 out of range. @since 0.1 */
B2B_API b2b_dec b2b_diff_row_qty(const b2b_diff *d, size_t i);
/**
 * Row i's side in the old book (`side` 0) or the new (1): NULL with *price
 * set (rounded to that book's unit_price_decimals) when priced, else the
 * error code ("UNKNOWN_CUSTOMER", "UNKNOWN_SKU", "NO_FX_RATE",
 * "NEGATIVE_PRICE", "OVERFLOW"). `price` may be NULL. Out of range: "".
 * @since 0.1
 */
B2B_API const char *b2b_diff_row_side(b2b_dec *price, const b2b_diff *d, size_t i, int side);
/** Row i's change_percent: 1 with *out, 0 when it is null. @since 0.1 */
B2B_API int b2b_diff_row_change_percent(b2b_dec *out, const b2b_diff *d, size_t i);

/**
 * The §13 document: {"old", "new", "as_of", "probes", "changed", "raised",
 * "lowered", "now_unpriced", "now_priced", "max_increase_percent",
 * "max_decrease_percent", "by_category", "rows"}; counts are JSON
 * numbers, prices and percentages strings.
 * Ownership: `*out` is borrowed from `ctx`'s arena (NUL-terminated).
 * @return 0, B2B_EINVAL (NULL argument) or B2B_ENOMEM
 * @since 0.1
 */
B2B_API int b2b_diff_to_json(const char **out, size_t *len, b2b_ctx *ctx, const b2b_diff *d);

B2B_END_DECL
#endif /* B2B_DIFF_H */
