/*
 * libb2bcore — lint: findings on a book itself (SPEC §12), the pricing
 * mistakes a team makes by accident.
 * SPDX-License-Identifier: MIT
 */
#ifndef B2B_LINT_H
#define B2B_LINT_H

#include "b2b/common.h"
#include "b2b/alloc.h"
#include "b2b/ctx.h"
#include "b2b/date.h"
#include "b2b/book.h"

/**
 * @file b2b/lint.h
 * @brief Check a book directory (or a loaded book) for mistakes that load
 * fine but price badly: quantity breaks where buying more costs less,
 * contract prices above the list, prices below cost, lists no customer can
 * reach, items that never apply, currencies without a rate, promotions
 * that match nothing, records past their end.
 *
 *	const b2b_lint *l;
 *	const char *json;
 *	if (b2b_book_lint(&l, ctx, NULL, "book", NULL) == 0) {
 *		b2b_lint_to_json(&json, NULL, ctx, l);      // SPEC §12 document
 *		exit_code = b2b_lint_errors(l) > 0;          // a LOAD_ERROR
 *	}
 *
 * Findings. Each has a code (b2b_lint_code), a severity, the file and the
 * physical CSV line of the row it is about (the header is line 1) and
 * the related rows (file and line each; "file:line" in the JSON). They are sorted by file (byte
 * order), line, code name, then message and related rows, so that the
 * same book gives the same list whatever the order of its rows. Files are
 * the table's CSV name (`price_list_items.csv`); for a book made with the
 * builder the line is the `line` given to b2b_book_builder_add_row()
 * (0 when it was 0).
 *
 * What each code finds, where SPEC §12 leaves a choice (decided here):
 *  - LOAD_ERROR / LOAD_WARNING: each diagnostic of the loader (at most
 *    B2B_CTX_MAX_DIAGS), its message as the loader wrote it (it starts
 *    with the column's name). With any LOAD_ERROR nothing else is
 *    checked and the fingerprint is NULL.
 *  - TIER_CLIFF / TIER_NOT_DESCENDING: within one scope of one list (or
 *    one contract), the break just below a fixed item is the item (or
 *    items, when windows split it) with the highest min_qty below it
 *    whose window shares an instant with it; a pair is compared only when
 *    both are fixed (contract items: with `price`). TIER_CLIFF is checked
 *    in all_units lists and contracts, TIER_NOT_DESCENDING also in
 *    incremental lists; block lists are flat prices and have neither.
 *    Related: the lower break, then the product (sku scopes). The cliff's
 *    message names the quantities from the lowest that costs more than
 *    m_j (not below m_i) to m_j − u.
 *  - CONTRACT_ABOVE_LIST: `override` contracts, sku scopes, for both the
 *    price and the negative discount_percent (as SPEC §12 words it).
 *    Related: the product, the contract.
 *  - BELOW_COST: the price of a fixed item or contract item with a price,
 *    sku scope, in the product's currency, against the product's cost,
 *    or its floor r9(cost × (1 + min_margin_percent ÷ 100)) when the book
 *    sets min_margin_percent; in a block list the item's unit price at
 *    its own min_qty, r9(price ÷ min_qty) (the price itself when min_qty
 *    is 0). Related: the product.
 *  - UNREACHABLE_LIST: reachable lists are those a customer names or
 *    whose applies_to matches a customer of customers.csv (segment and
 *    channel as the customer row gives them), and every list reachable
 *    from one through `parent` or an item's base=list_id:.
 *  - SHADOWED_ITEM: price list items whose window shares no instant with
 *    their list's; list and contract items whose scope matches no
 *    product (a scope naming an unknown sku is also a LOAD_WARNING);
 *    base=cost items whose scope matches no product with a cost (for an
 *    sku scope: its sku has no cost).
 *  - NO_FX_PATH: "first product" is the one with the lowest line.
 *  - EXPIRED: price lists, price list items, contracts, dynamic rules and
 *    promotions whose valid_until ≤ as_of.
 *
 * Ownership: results are borrowed from the ctx arena, valid until
 * b2b_ctx_reset() or b2b_ctx_free(); never freed by the caller.
 * Thread-safety: thread-safe when each thread uses its own ctx; a book
 * may be shared. Time: O(n log n) in the rows of the book.
 */
B2B_BEGIN_DECL

/** A lint report: the findings on one book; opaque, borrowed from a ctx. */
typedef struct b2b_lint b2b_lint;

/** What a finding is about (SPEC §12). Values never change. */
typedef enum b2b_lint_code {
	B2B_LINT_LOAD_ERROR = 0,        /**< the loader's error: the book is not built */
	B2B_LINT_LOAD_WARNING = 1,      /**< the loader's warning */
	B2B_LINT_TIER_CLIFF = 2,        /**< buying the higher break costs less than fewer units */
	B2B_LINT_TIER_NOT_DESCENDING = 3, /**< a higher break has a higher price */
	B2B_LINT_CONTRACT_ABOVE_LIST = 4, /**< an override contract price above the list price */
	B2B_LINT_BELOW_COST = 5,        /**< a fixed price below cost (or the floor) */
	B2B_LINT_UNREACHABLE_LIST = 6,  /**< no customer can reach the list */
	B2B_LINT_SHADOWED_ITEM = 7,     /**< an item that can never price anything */
	B2B_LINT_NO_FX_PATH = 8,        /**< a currency with no rate to a product currency */
	B2B_LINT_EMPTY_PROMOTION = 9,   /**< a promotion that matches no product or customer */
	B2B_LINT_EXPIRED = 10           /**< valid_until <= as_of (only with an as_of) */
} b2b_lint_code;

/** Number of b2b_lint_code values. */
#define B2B_LINT_CODE_COUNT 11

/** Severity of a finding. Values never change. */
typedef enum b2b_lint_severity {
	B2B_LINT_ERROR = 0,    /**< "error" (LOAD_ERROR only) */
	B2B_LINT_WARNING = 1,  /**< "warning" */
	B2B_LINT_INFO = 2      /**< "info" (EXPIRED) */
} b2b_lint_severity;

/** The SPEC name of a code, e.g. "TIER_CLIFF"; NULL for a value outside the enum. Static. @since 0.3 */
B2B_API const char *b2b_lint_code_name(b2b_lint_code code);
/**
 * The code named `name` (`len` bytes, no NUL needed; exact,
 * case-sensitive) into *out.
 * @return 0, B2B_EPARSE (not a name; *out untouched) or B2B_EINVAL (`out`
 *         NULL, or `name` NULL with `len` > 0)
 * @since 0.3
 */
B2B_API int b2b_lint_code_parse(b2b_lint_code *out, const char *name, size_t len);
/** "error", "warning" or "info"; NULL for a value outside the enum. Static. @since 0.3 */
B2B_API const char *b2b_lint_severity_name(b2b_lint_severity severity);
/** The severity named `name` into *out; as b2b_lint_code_parse(). @since 0.3 */
B2B_API int b2b_lint_severity_parse(b2b_lint_severity *out, const char *name, size_t len);

/**
 * Lint the book directory `dir`: load it (b2b_book_load_dir(), allocator
 * `a`, NULL for libc), turn every load diagnostic into a LOAD_ERROR or
 * LOAD_WARNING finding, and, when the book loads, add the findings of
 * b2b_book_lint_loaded(). A book that does not load is a result, not a
 * failure: 0 and a report whose fingerprint is NULL.
 *
 * The load's diagnostics are also left on ctx (as b2b_book_load_dir()
 * leaves them). The loaded book is released before returning.
 *
 * `dir` may also name a snapshot file (b2b_snapshot_probe()): it is opened
 * with b2b_book_open_snapshot() and checked like the book it was written
 * from, without LOAD_WARNING findings (a snapshot does not keep the
 * loader's warnings); a snapshot that cannot be opened is a failure
 * (B2B_EIO / B2B_EBOOK with the reason on ctx), not a report.
 *
 * @param[out] out  the report; NULL when the call fails
 * @param ctx       receives the report (arena) and the error detail
 * @param a         allocator for the book while it is checked, or NULL
 * @param dir       the book directory
 * @param as_of     with EXPIRED findings at this instant; NULL: none
 * @return 0; B2B_EIO (`dir` or products.csv cannot be read at all: no
 *         report), B2B_ENOMEM, B2B_EINVAL (`out`, `ctx` or `dir` NULL)
 * @since 0.3
 */
B2B_API int b2b_book_lint(const b2b_lint **out, b2b_ctx *ctx, const b2b_allocator *a,
                          const char *dir, const b2b_time *as_of);

/**
 * Lint a book already loaded (or built): every finding of SPEC §12 but
 * the load ones (its load warnings were the loader's to report).
 * @param[out] out  the report; NULL when the call fails
 * @param as_of     with EXPIRED findings at this instant; NULL: none
 * @return 0, B2B_ENOMEM, B2B_EINVAL (`out`, `ctx` or `book` NULL)
 * @since 0.3
 */
B2B_API int b2b_book_lint_loaded(const b2b_lint **out, b2b_ctx *ctx, const b2b_book *book,
                                 const b2b_time *as_of);

/**
 * Receives the JSON document of b2b_lint_write_json() piece by piece:
 * `len` bytes at `data` (not NUL-terminated), in order. Returns 0 to go
 * on, a negative value to stop (b2b_lint_write_json() then returns it).
 */
typedef int (*b2b_lint_write_fn)(void *ud, const char *data, size_t len);

/**
 * Write `l` as the document of SPEC §12 (2-space pretty JSON, final
 * newline, the canonical form of every document of the library):
 * `{"fingerprint", "as_of", "findings": [{"code", "severity", "file",
 * "line", "message", "related"?}]}`; `fingerprint` null when the book did
 * not load, `as_of` null without one (else as it was written: a date
 * stays a date); `related` (["file:line", …]) only on findings that have
 * related rows. The document is handed to `put` in pieces of at most 64
 * KiB as it is written, so that a report of millions of findings never
 * needs the whole text in memory (`b2b lint` streams it to standard
 * output this way).
 * @return 0, the negative value `put` returned, B2B_ENOMEM or B2B_EINVAL
 *         (NULL argument)
 * @since 0.3
 */
B2B_API int b2b_lint_write_json(const b2b_lint *l, b2b_ctx *ctx, b2b_lint_write_fn put,
                                void *ud);

/**
 * The same document as one NUL-terminated string, borrowed from `ctx`'s
 * arena (measured first, then written into one block).
 * @param len  receives the length without the NUL; may be NULL
 * @return 0, B2B_ENOMEM or B2B_EINVAL (NULL argument)
 * @since 0.3
 */
B2B_API int b2b_lint_to_json(const char **out, size_t *len, b2b_ctx *ctx, const b2b_lint *l);

/*
 * Accessors. Strings are borrowed from the report and live as long as it;
 * a NULL report or an index out of range gives NULL / 0 / (enum)-1.
 * Thread-safety: a report may be read by several threads while its ctx
 * is not used.
 */

/** Number of findings. @since 0.3 */
B2B_API size_t b2b_lint_count(const b2b_lint *l);
/** Number of findings of severity error (exit status 1 of `b2b lint`). @since 0.3 */
B2B_API size_t b2b_lint_errors(const b2b_lint *l);
/** The book's fingerprint; NULL when the book did not load (or l is NULL). @since 0.3 */
B2B_API const char *b2b_lint_fingerprint(const b2b_lint *l);
/** The as-of instant into *out: 0, or B2B_ENOTFOUND (none given) / B2B_EINVAL. @since 0.3 */
B2B_API int b2b_lint_as_of(b2b_time *out, const b2b_lint *l);
/** Finding i's code; (b2b_lint_code)-1 out of range. @since 0.3 */
B2B_API b2b_lint_code b2b_lint_code_at(const b2b_lint *l, size_t i);
/** Finding i's severity; (b2b_lint_severity)-1 out of range. @since 0.3 */
B2B_API b2b_lint_severity b2b_lint_severity_at(const b2b_lint *l, size_t i);
/** Finding i's file, e.g. "price_list_items.csv". @since 0.3 */
B2B_API const char *b2b_lint_file(const b2b_lint *l, size_t i);
/** Finding i's physical CSV line (header = 1; 0 when unknown). @since 0.3 */
B2B_API long b2b_lint_line(const b2b_lint *l, size_t i);
/** Finding i's message. @since 0.3 */
B2B_API const char *b2b_lint_message(const b2b_lint *l, size_t i);
/** Number of related rows of finding i (at most 3). @since 0.3 */
B2B_API size_t b2b_lint_related_count(const b2b_lint *l, size_t i);
/** The file of related row j of finding i. @since 0.3 */
B2B_API const char *b2b_lint_related_file(const b2b_lint *l, size_t i, size_t j);
/** The line of related row j of finding i (the JSON writes "file:line"). @since 0.3 */
B2B_API long b2b_lint_related_line(const b2b_lint *l, size_t i, size_t j);

B2B_END_DECL
#endif /* B2B_LINT_H */
