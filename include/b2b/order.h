/*
 * libb2bcore — order validation (SPEC §7, §9.6, §9.7, §9.9, §9.15,
 * §9.17, §9.20, §9.22).
 * SPDX-License-Identifier: MIT
 */
#ifndef B2B_ORDER_H
#define B2B_ORDER_H

#include "b2b/common.h"
#include "b2b/ctx.h"
#include "b2b/money.h"
#include "b2b/book.h"

/**
 * @file b2b/order.h
 * @brief Check an order against a book (or against the accepted quote it
 * embeds) and report *every* violation at once, each with a code, a
 * severity, the line and the JSON path it concerns.
 *
 * An order is JSON (SPEC §4 "Order"):
 * `{"order_id", "customer", "as_of", "currency"?, "channel"?,
 * "po_number"?, "codes"?, "quote"?, "payment_terms"?, "ship_to"?,
 * "buyer"?, "lines": [{"sku", "qty", "unit_price"}]}`. Required:
 * `order_id`, `customer`, `as_of`, `lines` (non-empty) and, in each line,
 * all three fields. `qty` and `unit_price` are decimals: a JSON string
 * holding `-?[0-9]+(\.[0-9]+)?` or a JSON number in any RFC 8259 form,
 * read exactly, at most 9 fractional digits (SPEC §9.19). `null` for an
 * optional field counts as not given. `po_number` and `buyer` are read
 * (they must be strings) but not interpreted.
 *
 * **How an order is checked.** The order is priced as a quote (same
 * customer, as_of, currency, channel, codes, ship_to) whose lines carry
 * `requested_unit_price` = the submitted `unit_price`, over the lines
 * that can be priced (known sku, qty > 0, readable non-negative numbers,
 * no pricing problem of their own); `total` is that quote's total. With
 * an unknown customer or an unreadable `as_of`, or after a document-level
 * NO_FX_RATE, `total` = Σ round(unit_price × qty) over those lines, at
 * the minor units of the order's currency (else the base currency), with
 * the book's rounding mode.
 *
 * **Violations** (severity `error` unless marked):
 *
 * Document level (no line):
 *  - `MALFORMED` — the root is not an object (path `$`); an unknown,
 *    duplicate or wrongly typed field; a missing required field; an
 *    unreadable decimal or date; an empty `lines`; a `currency` the book
 *    does not know (the order is then priced in the customer's currency,
 *    else base); a `quote` field among those read (§9.17: `status`,
 *    `customer`, `currency`, `valid_until`, `lines[].sku/qty/unit_price`)
 *    that is missing or unreadable (path under `quote.`). MALFORMED is
 *    document-level even for a field of a line: its path (`lines[2].qty`)
 *    says which; a line with an unreadable sku, qty or unit_price is not
 *    priced and is left out of `total`.
 *  - `UNKNOWN_CUSTOMER` (path `customer`).
 *  - `CURRENCY_MISMATCH` — the order currency differs from the quote's
 *    (with a quote), or, without a quote, the order states a currency
 *    and the customer has one and they differ. The customer money
 *    checks are then skipped.
 *  - `NO_FX_RATE` (path `currency`) — the customer's amounts, or a
 *    base-currency amount the document needs (an order promotion's
 *    min_subtotal or value, a quote_total_above threshold), have no rate
 *    to the order currency at as_of. The customer money checks and
 *    APPROVAL_REQUIRED are then skipped (§9.15, §9.22).
 *  - `QUOTE_EXPIRED` — as_of ≥ the quote's `valid_until`.
 *  - `QUOTE_NOT_ACCEPTED` — the quote's `status` is not `accepted`.
 *  - `QUOTE_MISMATCH` — the quote is for another customer (path
 *    `quote.customer`), or its line count differs (path `quote.lines`).
 *  - `CREDIT_LIMIT_EXCEEDED` — open_balance + total > credit_limit.
 *  - `BUDGET_EXCEEDED` (hold) — total > budget.
 *  - `MIN_ORDER_VALUE` — total < min_order_value.
 *  - `PAYMENT_TERMS_NOT_ALLOWED` — `payment_terms` is given and the
 *    customer lists payment terms that do not include it (a customer
 *    without payment terms accepts any).
 *  - `SHIP_TO_NOT_ALLOWED` — `ship_to` is given and the customer lists
 *    regions that do not include it (no regions: any).
 *  - `APPROVAL_REQUIRED` (hold, once) — the priced order trips the
 *    approval rules of SPEC §6; `actual` is the level.
 *  - `UNKNOWN_CODE` (warning) — a coupon code no promotion of the book
 *    has, once per distinct code (path `codes[i]` of its first use).
 *
 * Line level (`line` = the 0-based index):
 *  - `UNKNOWN_SKU` — the checks that need the product (all but
 *    QTY_NOT_POSITIVE, QUOTE_MISMATCH and DUPLICATE_LINE) are skipped.
 *  - `INACTIVE_SKU` — the product's status is inactive.
 *  - `NOT_ENTITLED` — the customer has a catalog and no scope of it
 *    matches the product.
 *  - `QTY_NOT_POSITIVE` — the other quantity checks are skipped.
 *  - `QTY_BELOW_MIN`, `QTY_ABOVE_MAX` — against the product's min_qty /
 *    max_qty.
 *  - `QTY_NOT_MULTIPLE` — qty is not an integer multiple of pack_size.
 *  - `INSUFFICIENT_STOCK` (warning) — qty > on_hand (when set).
 *  - `PRICE_MISMATCH` — |unit_price − reference| > price_tolerance. The
 *    reference is the quote line's unit_price when the quote is accepted,
 *    not expired and has the same sku at that index; else the engine's
 *    price rounded to unit_price_decimals *before* the `requested` step.
 *  - `NO_FX_RATE`, `NEGATIVE_PRICE` — the line cannot be priced (path
 *    `lines[i].sku`), or `unit_price` is negative (path
 *    `lines[i].unit_price`); the line is left out of `total`.
 *  - `BELOW_FLOOR` (hold) — the submitted price is below the floor.
 *  - `QUOTE_MISMATCH` — sku (path `lines[i].sku`) or qty (path
 *    `lines[i].qty`) differ from the quote's line at that index.
 *  - `DUPLICATE_LINE` (warning) — on each later line whose sku was seen
 *    on an earlier line.
 * Under an accepted, unexpired quote BELOW_FLOOR and APPROVAL_REQUIRED
 * are not raised (the quote was approved already).
 *
 * An order is **valid** when it has no violation of severity `error`;
 * holds and warnings are reported with it.
 *
 * **Order of violations** (SPEC §4, §9.20): document-level first, then by
 * line; within each, by code (byte order), then by path, then in the
 * order found (which is the order of `codes` for UNKNOWN_CODE). Paths
 * compare byte by byte except that array indexes compare as numbers
 * (`codes[2]` before `codes[10]`).
 *
 * **expected / actual** are strings (or absent): money at the currency's
 * minor units, unit prices at unit_price_decimals, floors at 9 decimals,
 * quantities and unit prices of the order as given (canonical integer
 * part, fractional digits as written), book quantities in their shortest
 * exact form, codes and ids as given. Messages are English sentences and
 * may change between versions; codes, severities, lines and paths do not.
 *
 * Decisions (SPEC leaves them open): JSON duplicate keys are MALFORMED
 * violations (not B2B_EPARSE); a customer money check that needs an FX
 * conversion is skipped when `as_of` is unreadable (the order is invalid
 * anyway); a quote whose `status` is unreadable counts as not accepted.
 *
 * Ownership: results are borrowed from the ctx arena; never freed by the
 * caller; valid until b2b_ctx_reset() or b2b_ctx_free(). The book must
 * outlive them. Thread-safety: thread-safe when each thread uses its own
 * ctx; the book may be shared. A parsed order (b2b_order_parse()) is
 * read-only and may be validated any number of times, from any thread,
 * with other ctxs, while the ctx it lives in is not reset.
 */
B2B_BEGIN_DECL

/** A parsed order (read-only). */
typedef struct b2b_order b2b_order;

/** The result of a validation: validity, total and violations. */
typedef struct b2b_validation b2b_validation;

/** Severity of a violation. Values never change. */
typedef enum b2b_order_severity {
	B2B_ORDER_ERROR = 0,    /**< the order is not valid */
	B2B_ORDER_HOLD = 1,     /**< valid, but someone must release it */
	B2B_ORDER_WARNING = 2   /**< valid; for information */
} b2b_order_severity;

/** Options of b2b_order_validate() and b2b_order_validate_json(). */
typedef struct b2b_order_options {
	unsigned int version;   /**< B2B_ORDER_OPTIONS_VERSION, first field always */
	uint32_t flags;         /**< reserved: must be 0 (else B2B_EINVAL) */
	/* later versions append fields below; never reorder */
} b2b_order_options;

#define B2B_ORDER_OPTIONS_VERSION 1
#define B2B_ORDER_OPTIONS_INIT { B2B_ORDER_OPTIONS_VERSION, 0 }

/**
 * Fill `*opts` with the defaults of `version` (normally B2B_ORDER_OPTIONS_VERSION), as
 * B2B_ORDER_OPTIONS_INIT does: for FFI callers that cannot use the macro. Only the
 * fields that `version` knows are written, so a caller built against an
 * older, shorter struct is safe with a newer library.
 * Thread-safety: thread-safe; no allocation.
 * @return 0, B2B_EVERSION (version 0 or unknown to this build; *opts
 *         untouched) or B2B_EINVAL (`opts` NULL)
 * @since 0.1
 */
B2B_API int b2b_order_options_init(b2b_order_options *opts, unsigned int version);

/**
 * Parse an order from `len` bytes of JSON text, without checking it
 * against a book. Field problems (unknown fields, wrong types, …) are not
 * errors here: they are kept and reported as MALFORMED violations by
 * b2b_order_validate().
 *
 * Ownership: `*out` is borrowed from `ctx`'s arena. Lifetime: until
 * b2b_ctx_reset(ctx) or b2b_ctx_free(ctx). The text is not kept.
 * Thread-safety: thread-safe when each thread uses its own ctx; the
 * parsed order is read-only afterwards.
 *
 * @param[out] out  the order; NULL on failure
 * @return 0; B2B_EPARSE when the text is not JSON at all
 *         (b2b_ctx_erroffset(), b2b_ctx_errline(), b2b_ctx_errcol() and
 *         b2b_ctx_errmsg() say where and why); B2B_ENOMEM; B2B_EINVAL (NULL
 *         `out` or `ctx`, or NULL `json` with `len` > 0)
 * @since 0.1
 */
B2B_API int b2b_order_parse(const b2b_order **out, b2b_ctx *ctx, const char *json,
                            size_t len);

/**
 * Validate a parsed order against `book` (see the file comment).
 *
 * Ownership: `*out` is borrowed from `ctx`'s arena. Lifetime: until
 * b2b_ctx_reset(ctx) or b2b_ctx_free(ctx); `book` must outlive it, and
 * so must `order` (the result borrows its strings). `ctx` may be the
 * ctx `order` lives in or another one. Allocates only from `ctx`'s arena.
 * Thread-safety: thread-safe when each thread uses its own `ctx`; `book`
 * and `order` may be shared.
 *
 * @param[out] out  the result; NULL on failure
 * @param opts      options, or NULL for B2B_ORDER_OPTIONS_INIT
 * @return 0 (valid or not: see b2b_validation_valid()); B2B_EINVAL (NULL
 *         argument, unknown option flags); B2B_EVERSION; B2B_ENOMEM;
 *         B2B_EOVERFLOW (a document figure left the decimal range; a
 *         line whose own figures overflow is a MALFORMED violation)
 * @since 0.1
 */
B2B_API int b2b_order_validate(const b2b_validation **out, b2b_ctx *ctx,
                               const b2b_book *book, const b2b_order *order,
                               const b2b_order_options *opts);

/**
 * Parse and validate an order in one call: b2b_order_parse() then
 * b2b_order_validate() on the same ctx. B2B_EPARSE only when the text is
 * not JSON at all (offset, line, column and message on ctx); every other
 * problem of the order is a violation in the result.
 *
 * Ownership, lifetime, thread-safety: as b2b_order_validate().
 * @param[out] out  the result; NULL on failure
 * @return 0, B2B_EPARSE, B2B_EINVAL, B2B_EVERSION, B2B_ENOMEM or
 *         B2B_EOVERFLOW
 * @since 0.1
 */
B2B_API int b2b_order_validate_json(const b2b_validation **out, b2b_ctx *ctx,
                                    const b2b_book *book, const char *json, size_t len,
                                    const b2b_order_options *opts);

/**
 * Write `v` as JSON in the canonical form (2-space pretty, one member per
 * line, final newline): `{"valid", "total", "violations": [{"code",
 * "severity", "line"?, "path"?, "message", "expected"?, "actual"?}]}`,
 * keys in that order; `total` is a string at the currency's minor units.
 *
 * Ownership: `*out` (NUL-terminated) is borrowed from `ctx`'s arena.
 * @param len  receives the length without the NUL; may be NULL
 * @return 0, B2B_ENOMEM or B2B_EINVAL (NULL argument)
 * @since 0.1
 */
B2B_API int b2b_validation_to_json(const char **out, size_t *len, b2b_ctx *ctx,
                                   const b2b_validation *v);

/*
 * Accessors. Strings are borrowed from the result and live as long as
 * it; a NULL result or an index out of range gives 0 / NULL / -1 / a zero
 * decimal as stated. Thread-safe (read-only).
 */

/** 1 when the order has no violation of severity error, else 0 (0 for NULL). @since 0.1 */
B2B_API int b2b_validation_valid(const b2b_validation *v);
/** The order total (see the file comment), at the currency's minor units. @since 0.1 */
B2B_API b2b_dec b2b_validation_total(const b2b_validation *v);
/** The currency of `total`, e.g. "EUR". @since 0.1 */
B2B_API const char *b2b_validation_currency(const b2b_validation *v);
/** Minor units of that currency (the scale of `total` and of money in expected and
 *  actual). @since 0.1 */
B2B_API int b2b_validation_minor_units(const b2b_validation *v);
/** Number of violations. @since 0.1 */
B2B_API size_t b2b_validation_count(const b2b_validation *v);
/** Code of violation i, e.g. "PRICE_MISMATCH"; NULL when out of range. @since 0.1 */
B2B_API const char *b2b_validation_code(const b2b_validation *v, size_t i);
/** Severity of violation i; (b2b_order_severity)-1 when out of range. @since 0.1 */
B2B_API b2b_order_severity b2b_validation_severity(const b2b_validation *v, size_t i);
/** 0-based line of violation i; -1 for a document-level one (or out of range). @since 0.1 */
B2B_API long b2b_validation_line(const b2b_validation *v, size_t i);
/** JSON path of violation i, e.g. "lines[3].qty"; NULL when it has none. @since 0.1 */
B2B_API const char *b2b_validation_path(const b2b_validation *v, size_t i);
/** English message of violation i; NULL when out of range. @since 0.1 */
B2B_API const char *b2b_validation_message(const b2b_validation *v, size_t i);
/** Expected value of violation i, as text; NULL when it has none. @since 0.1 */
B2B_API const char *b2b_validation_expected(const b2b_validation *v, size_t i);
/** Actual value of violation i, as text; NULL when it has none. @since 0.1 */
B2B_API const char *b2b_validation_actual(const b2b_validation *v, size_t i);

/** "error", "hold" or "warning"; NULL for a value outside the enum. Static. @since 0.1 */
B2B_API const char *b2b_order_severity_name(b2b_order_severity severity);
/**
 * The severity named `name` (`len` bytes, no NUL needed; exact,
 * case-sensitive) into *out.
 * @return 0, B2B_EPARSE (not a name; *out untouched) or B2B_EINVAL (`out`
 *         NULL, or `name` NULL with `len` > 0)
 * @since 0.1
 */
B2B_API int b2b_order_severity_parse(b2b_order_severity *out, const char *name, size_t len);

B2B_END_DECL
#endif /* B2B_ORDER_H */
