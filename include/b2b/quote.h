/*
 * libb2bcore — quote requests and quote documents (SPEC §4, §5.7, §6).
 * SPDX-License-Identifier: MIT
 */
#ifndef B2B_QUOTE_H
#define B2B_QUOTE_H

#include "b2b/common.h"
#include "b2b/ctx.h"
#include "b2b/money.h"
#include "b2b/date.h"
#include "b2b/book.h"

/**
 * @file b2b/quote.h
 * @brief Price every line of a request, apply order promotions, taxes,
 * totals, margins, approval and validity, and write the quote document.
 *
 * A request is given either as JSON text (b2b_quote_from_json()) or built
 * with calls (b2b_quote_request_new(), …_set_*, …_add_line, …_add_code)
 * and priced with b2b_quote_compute(). Both paths run exactly the same
 * checks. Builder calls only copy text; every field is checked when the
 * quote is computed, and *every* problem is reported at once.
 *
 * Return codes of b2b_quote_compute() and b2b_quote_from_json():
 *  - the call could not run (`*out` is NULL): B2B_EINVAL (a NULL
 *    argument, a request built on another ctx, unknown option flags),
 *    B2B_EVERSION (options version), B2B_ENOMEM, B2B_EOVERFLOW (a figure
 *    left the decimal range, e.g. an absurd quantity; message and path on
 *    ctx), and for b2b_quote_from_json() B2B_EPARSE: the text is not JSON
 *    at all (b2b_ctx_errmsg(), b2b_ctx_erroffset(), b2b_ctx_errline(),
 *    b2b_ctx_errcol() say where).
 *  - the request cannot be priced: B2B_EREQUEST. `*out` is a result
 *    whose error list (b2b_quote_error_*) names every problem (SPEC §4
 *    "Errors", §9.7), and b2b_quote_to_json() writes it as the error
 *    document `{"errors": [{"code", "message", "path"}]}`.
 *
 * Error codes and paths:
 *  - `MALFORMED`: the root is not an object (`$`); an unknown field
 *    (its path, e.g. `lines[0].price`); a field given twice (duplicate
 *    keys are valid JSON but not a valid request); a field of the wrong
 *    type; a missing required field (`quote_id`, `customer`, `as_of`,
 *    `lines`, `lines[i].sku`, `lines[i].qty`); an unreadable decimal or
 *    date; an empty `lines` array; a `currency` the book does not know;
 *    `as_of` + quote_validity_days past year 9999.
 *  - `UNKNOWN_CUSTOMER` (`customer`), `UNKNOWN_SKU` (`lines[i].sku`),
 *    `QTY_NOT_POSITIVE` (`lines[i].qty`).
 *  - `NEGATIVE_PRICE`: a negative requested price
 *    (`lines[i].requested_unit_price`) or a pricing step that gives a
 *    negative price (`lines[i].sku`).
 *  - `NO_FX_RATE`: on a line (`lines[i].sku`) or, for base-currency
 *    amounts needed by the document (an order promotion's min_subtotal
 *    or value, a quote_total_above threshold), `currency` — the latter
 *    only when every line was priced and nothing else failed (§9.22).
 * Every field check runs on every field. Lines are priced when the header
 * resolves (known customer, readable as_of, known currency), and only
 * the lines without a problem of their own. Order: header problems
 * first, then by line; within each, by code (byte order), then by path.
 *
 * Request fields (JSON; the builder calls take the same text):
 * `quote_id` (string), `customer` (string), `as_of` (date or date-time
 * string), `currency`? (string), `channel`? (string), `ship_to`?
 * (string), `codes`? (array of strings), `valid_until`? (date or
 * date-time string), `explain`? (bool), `cash_rounding`? (bool), `lines`
 * (non-empty array of `{"sku": string, "qty": decimal,
 * "requested_unit_price"?: decimal}`). A decimal is a JSON string holding
 * `-?[0-9]+(\.[0-9]+)?` or a JSON number in any RFC 8259 form, read
 * exactly (never through binary floating point), with at most 9 fractional digits as
 * SPEC §9.19 counts them. A `null` optional field counts as not given;
 * `null` for a required field is MALFORMED.
 *
 * Decisions (SPEC leaves them open):
 *  - **qty is written as given**: the same number of fractional digits
 *    as the input had (counted after applying a JSON exponent, as §9.19
 *    counts them), with a canonical integer part: `"10.50"` → `"10.50"`,
 *    `10.5` → `"10.5"`, `1.5E1` → `"15"`, `"007"` → `"7"`.
 *  - `cash_rounding` with a currency that has no cash increment rounds
 *    to the minor unit (payable = total, cash_adjustment 0).
 *  - Base-currency amounts (§3) are converted with r9(amount × rate).
 *  - quote_discount_percent uses Σ r9(list_price × qty).
 *  - A request's `valid_until` is taken as given (not compared with
 *    as_of).
 *
 * Ownership: requests and results are borrowed from the ctx arena; never
 * freed by the caller; valid until b2b_ctx_reset() or b2b_ctx_free().
 * Thread-safety: thread-safe when each thread uses its own ctx; the book
 * may be shared. Results read by several threads while the ctx is idle
 * are safe (read-only).
 */
B2B_BEGIN_DECL

/** A quote request, built on a ctx. */
typedef struct b2b_quote_request b2b_quote_request;

/** A computed quote, or the list of problems that prevented it. */
typedef struct b2b_quote b2b_quote;

/** Options of b2b_quote_compute() and b2b_quote_from_json(). */
typedef struct b2b_quote_options {
	unsigned int version;   /**< B2B_QUOTE_OPTIONS_VERSION, first field always */
	uint32_t flags;         /**< B2B_QUOTE_* bits; unknown bits → B2B_EINVAL */
	/* later versions append fields below; never reorder */
} b2b_quote_options;

#define B2B_QUOTE_OPTIONS_VERSION 1
#define B2B_QUOTE_OPTIONS_INIT { B2B_QUOTE_OPTIONS_VERSION, 0 }

/** Collect candidates on every line, as if the request said `"explain": true`. */
#define B2B_QUOTE_EXPLAIN 0x0001u

/**
 * Create an empty quote request in `ctx`'s arena.
 *
 * Ownership: borrowed from `ctx`; valid until b2b_ctx_reset(ctx).
 * Thread-safety: the request belongs to the thread using `ctx`.
 * @param[out] out  the request; NULL on failure
 * @return 0, B2B_ENOMEM or B2B_EINVAL (NULL argument)
 * @since 0.1
 */
B2B_API int b2b_quote_request_new(b2b_quote_request **out, b2b_ctx *ctx);

/**
 * Set a text field of the request: NUL-terminated, copied into the
 * request's ctx; NULL clears it ("not given"). Checked by
 * b2b_quote_compute(), not here (see the file comment for each field).
 * @return 0, B2B_ENOMEM or B2B_EINVAL (`req` NULL)
 * @since 0.1
 */
B2B_API int b2b_quote_request_set_quote_id(b2b_quote_request *req, const char *value);
/** See b2b_quote_request_set_quote_id(). @since 0.1 */
B2B_API int b2b_quote_request_set_customer(b2b_quote_request *req, const char *value);
/** `YYYY-MM-DD` or `YYYY-MM-DDThh:mm:ssZ`. See b2b_quote_request_set_quote_id(). @since 0.1 */
B2B_API int b2b_quote_request_set_as_of(b2b_quote_request *req, const char *value);
/** See b2b_quote_request_set_quote_id(). @since 0.1 */
B2B_API int b2b_quote_request_set_currency(b2b_quote_request *req, const char *value);
/** See b2b_quote_request_set_quote_id(). @since 0.1 */
B2B_API int b2b_quote_request_set_channel(b2b_quote_request *req, const char *value);
/** See b2b_quote_request_set_quote_id(). @since 0.1 */
B2B_API int b2b_quote_request_set_ship_to(b2b_quote_request *req, const char *value);
/** See b2b_quote_request_set_quote_id(). @since 0.1 */
B2B_API int b2b_quote_request_set_valid_until(b2b_quote_request *req, const char *value);

/**
 * `explain` (candidates on every line) and `cash_rounding` (payable and
 * cash_adjustment): 0 = false (the default), anything else = true.
 * @return 0 or B2B_EINVAL (`req` NULL)
 * @since 0.1
 */
B2B_API int b2b_quote_request_set_explain(b2b_quote_request *req, int on);
/** See b2b_quote_request_set_explain(). @since 0.1 */
B2B_API int b2b_quote_request_set_cash_rounding(b2b_quote_request *req, int on);

/**
 * Append a coupon code (copied).
 * @return 0, B2B_ENOMEM or B2B_EINVAL (`req` or `code` NULL)
 * @since 0.1
 */
B2B_API int b2b_quote_request_add_code(b2b_quote_request *req, const char *code);

/**
 * Append a line. `sku` and `qty` are required (NULL is reported by
 * b2b_quote_compute() as MALFORMED at `lines[i].sku` / `lines[i].qty`);
 * `requested_unit_price` may be NULL (none). `qty` and
 * `requested_unit_price` are decimal text (`-?[0-9]+(\.[0-9]+)?`).
 * All three are copied.
 * @return 0, B2B_ENOMEM or B2B_EINVAL (`req` NULL)
 * @since 0.1
 */
B2B_API int b2b_quote_request_add_line(b2b_quote_request *req, const char *sku,
                                       const char *qty, const char *requested_unit_price);

/**
 * Compute the quote for `req` against the frozen `book` (SPEC §4, §5, §6).
 *
 * Ownership: `*out` is borrowed from `ctx`'s arena — do not free it.
 * Lifetime: valid until b2b_ctx_reset(ctx) or b2b_ctx_free(ctx); `book`
 * must outlive it (the fingerprint is borrowed from the book).
 * Thread-safety: thread-safe when each thread uses its own `ctx`;
 * `book` may be shared. Allocates only from the ctx arena.
 *
 * @param[out] out  the quote: set on 0 and on B2B_EREQUEST, else NULL
 * @param ctx       the ctx `req` was built on
 * @param book      immutable book
 * @param req       the request
 * @param opts      options, or NULL for B2B_QUOTE_OPTIONS_INIT
 * @return 0; B2B_EREQUEST (the result lists every problem); or B2B_EINVAL,
 *         B2B_EVERSION, B2B_ENOMEM, B2B_EOVERFLOW (could not run)
 * @since 0.1
 */
B2B_API int b2b_quote_compute(const b2b_quote **out, b2b_ctx *ctx, const b2b_book *book,
                              const b2b_quote_request *req, const b2b_quote_options *opts);

/**
 * Parse a quote request from `len` bytes of JSON text and compute it.
 * Unknown fields and wrong types are MALFORMED problems of the result
 * (B2B_EREQUEST), each with its JSON path; text that is not JSON at all
 * is B2B_EPARSE with the offset, line and column on ctx.
 *
 * Ownership, lifetime, thread-safety: as b2b_quote_compute(). The text is
 * not kept.
 * @return 0, B2B_EREQUEST, B2B_EPARSE, B2B_EINVAL, B2B_EVERSION,
 *         B2B_ENOMEM or B2B_EOVERFLOW
 * @since 0.1
 */
B2B_API int b2b_quote_from_json(const b2b_quote **out, b2b_ctx *ctx, const b2b_book *book,
                                const char *json, size_t len, const b2b_quote_options *opts);

/**
 * Write `q` as JSON (2-space pretty, one member per line, final newline).
 *
 * A computed quote gives the quote document, keys in this order:
 * `quote_id, customer, as_of, currency, channel, ship_to` (when given),
 * `codes` (when given), `fingerprint, status, revision, valid_until,
 * lines, subtotal, discounts, discount_total, taxes, tax_total, total,
 * margin, margin_percent, approval, warnings`, then `payable,
 * cash_adjustment` when cash rounding was asked. Each line: `sku, qty,
 * list_price, unit_price, amount, order_discount, net_amount, tax_rate,
 * tax, total, cost, margin, discount_percent, protected, below_floor,
 * waterfall` and, with explain, `candidates`. Money and quantities are
 * JSON strings. Scales: list and unit prices at unit_price_decimals;
 * amounts (amount, order_discount, net_amount, tax, total, cost, margin,
 * subtotal, discounts, taxes' base and amount, payable, cash_adjustment)
 * at the currency's minor units; percentages at 2 decimals; tax rates as
 * the book gives them with at least 2 decimals; waterfall figures at 9
 * decimals; qty as given.
 *
 * A result of B2B_EREQUEST gives the error document
 * `{"errors": [{"code", "message", "path"}, …]}`.
 *
 * Ownership: `*out` (NUL-terminated) is borrowed from `ctx`'s arena.
 * @param len  receives the length without the NUL; may be NULL
 * @return 0, B2B_ENOMEM or B2B_EINVAL (NULL argument)
 * @since 0.1
 */
B2B_API int b2b_quote_to_json(const char **out, size_t *len, b2b_ctx *ctx,
                              const b2b_quote *q);

/*
 * Accessors. Strings are borrowed from the quote and live as long as it;
 * a NULL quote or an index out of range gives NULL / 0 / a zero decimal
 * (lines, discounts, taxes, reasons and warnings are 0-based). Figures
 * are exact decimals already rounded to the scales of b2b_quote_to_json().
 * On a result with errors only the error accessors give data.
 */

/** Number of problems (0 when the quote was computed). @since 0.1 */
B2B_API size_t b2b_quote_error_count(const b2b_quote *q);
/** Code of problem i, e.g. "UNKNOWN_SKU". @since 0.1 */
B2B_API const char *b2b_quote_error_code(const b2b_quote *q, size_t i);
/** JSON path of problem i, e.g. "lines[3].sku", "currency", "$". @since 0.1 */
B2B_API const char *b2b_quote_error_path(const b2b_quote *q, size_t i);
/** English message of problem i. @since 0.1 */
B2B_API const char *b2b_quote_error_message(const b2b_quote *q, size_t i);

/** The request's quote_id. @since 0.1 */
B2B_API const char *b2b_quote_id(const b2b_quote *q);
/** The customer id. @since 0.1 */
B2B_API const char *b2b_quote_customer(const b2b_quote *q);
/** The as-of instant. @since 0.1 */
B2B_API b2b_time b2b_quote_as_of(const b2b_quote *q);
/** The resolved document currency. @since 0.1 */
B2B_API const char *b2b_quote_currency(const b2b_quote *q);
/** The resolved channel; NULL when neither the request nor the customer has one. @since 0.1 */
B2B_API const char *b2b_quote_channel(const b2b_quote *q);
/** ship_to as given; NULL when not given. @since 0.1 */
B2B_API const char *b2b_quote_ship_to(const b2b_quote *q);
/** Coupon codes as given. @since 0.1 */
B2B_API size_t b2b_quote_code_count(const b2b_quote *q);
/** @since 0.1 */
B2B_API const char *b2b_quote_code(const b2b_quote *q, size_t i);
/** The book's fingerprint (borrowed from the book). @since 0.1 */
B2B_API const char *b2b_quote_fingerprint(const b2b_quote *q);
/** "draft" for a computed quote. @since 0.1 */
B2B_API const char *b2b_quote_status(const b2b_quote *q);
/** 1 for a computed quote. @since 0.1 */
B2B_API int b2b_quote_revision(const b2b_quote *q);
/**
 * valid_until into *out: the request's, else as_of + quote_validity_days.
 * @return 0, B2B_ENOTFOUND (null: none; *out untouched) or B2B_EINVAL
 * @since 0.1
 */
B2B_API int b2b_quote_valid_until(b2b_time *out, const b2b_quote *q);
/** Minor units of the document currency (the scale of amounts). @since 0.1 */
B2B_API int b2b_quote_minor_units(const b2b_quote *q);
/** The book's unit_price_decimals (the scale of unit and list prices). @since 0.1 */
B2B_API int b2b_quote_unit_price_decimals(const b2b_quote *q);

/** Σ line amount. @since 0.1 */
B2B_API b2b_dec b2b_quote_subtotal(const b2b_quote *q);
/** Σ line order_discount (= Σ discounts' amounts). @since 0.1 */
B2B_API b2b_dec b2b_quote_discount_total(const b2b_quote *q);
/** Σ line tax. @since 0.1 */
B2B_API b2b_dec b2b_quote_tax_total(const b2b_quote *q);
/** Σ line total = subtotal − discount_total + tax_total. @since 0.1 */
B2B_API b2b_dec b2b_quote_total(const b2b_quote *q);
/**
 * Σ margin over the lines that have a cost, and margin_percent (2
 * decimals; 0 when their Σ net_amount is 0).
 * @return 0, B2B_ENOTFOUND (null: no line has a cost) or B2B_EINVAL
 * @since 0.1
 */
B2B_API int b2b_quote_margin(b2b_dec *out, const b2b_quote *q);
/** See b2b_quote_margin(). @since 0.1 */
B2B_API int b2b_quote_margin_percent(b2b_dec *out, const b2b_quote *q);
/**
 * payable (total rounded to the cash increment) and cash_adjustment
 * (payable − total).
 * @return 0, B2B_ENOTFOUND (cash rounding was not asked) or B2B_EINVAL
 * @since 0.1
 */
B2B_API int b2b_quote_payable(b2b_dec *out, const b2b_quote *q);
/** See b2b_quote_payable(). @since 0.1 */
B2B_API int b2b_quote_cash_adjustment(b2b_dec *out, const b2b_quote *q);

/** Order promotions applied, in the order applied (after the cap). @since 0.1 */
B2B_API size_t b2b_quote_discount_count(const b2b_quote *q);
/** Promotion id of discount i. @since 0.1 */
B2B_API const char *b2b_quote_discount_promotion(const b2b_quote *q, size_t i);
/** Amount of discount i (minor units). @since 0.1 */
B2B_API b2b_dec b2b_quote_discount_amount(const b2b_quote *q, size_t i);

/** One entry per distinct tax rate of the lines (0 included), ascending. @since 0.1 */
B2B_API size_t b2b_quote_tax_count(const b2b_quote *q);
/** @since 0.1 */
B2B_API b2b_dec b2b_quote_tax_rate(const b2b_quote *q, size_t i);
/** Σ net_amount of the lines at that rate. @since 0.1 */
B2B_API b2b_dec b2b_quote_tax_base(const b2b_quote *q, size_t i);
/** Σ tax of the lines at that rate. @since 0.1 */
B2B_API b2b_dec b2b_quote_tax_amount(const b2b_quote *q, size_t i);

/** Approval level (0: none needed) (SPEC §6). @since 0.1 */
B2B_API int b2b_quote_approval_level(const b2b_quote *q);
/** Reasons: by rule id, then line; `below_floor` reasons last. @since 0.1 */
B2B_API size_t b2b_quote_reason_count(const b2b_quote *q);
/** Rule id of reason i ("below_floor" for the implicit rule). @since 0.1 */
B2B_API const char *b2b_quote_reason_rule(const b2b_quote *q, size_t i);
/** Line of reason i, or -1 for a document-level reason. @since 0.1 */
B2B_API long b2b_quote_reason_line(const b2b_quote *q, size_t i);
/** The figure that tripped (SPEC §9.18). @since 0.1 */
B2B_API b2b_dec b2b_quote_reason_value(const b2b_quote *q, size_t i);

/**
 * Warnings: UNKNOWN_CODE (once per distinct code, in codes order), then
 * INACTIVE_SKU by line.
 * @since 0.1
 */
B2B_API size_t b2b_quote_warning_count(const b2b_quote *q);
/** @since 0.1 */
B2B_API const char *b2b_quote_warning_code(const b2b_quote *q, size_t i);
/** Line of warning i, or -1 when it has none. @since 0.1 */
B2B_API long b2b_quote_warning_line(const b2b_quote *q, size_t i);
/** @since 0.1 */
B2B_API const char *b2b_quote_warning_message(const b2b_quote *q, size_t i);

/** Number of lines. @since 0.1 */
B2B_API size_t b2b_quote_line_count(const b2b_quote *q);
/** @since 0.1 */
B2B_API const char *b2b_quote_line_sku(const b2b_quote *q, size_t i);
/** @since 0.1 */
B2B_API b2b_dec b2b_quote_line_qty(const b2b_quote *q, size_t i);
/** The quantity as written in the document (see "qty is written as given"). @since 0.1 */
B2B_API const char *b2b_quote_line_qty_text(const b2b_quote *q, size_t i);
/** @since 0.1 */
B2B_API b2b_dec b2b_quote_line_list_price(const b2b_quote *q, size_t i);
/** @since 0.1 */
B2B_API b2b_dec b2b_quote_line_unit_price(const b2b_quote *q, size_t i);
/** round(unit_price × qty) at minor units. @since 0.1 */
B2B_API b2b_dec b2b_quote_line_amount(const b2b_quote *q, size_t i);
/** The line's share of discount_total (largest remainder on amount). @since 0.1 */
B2B_API b2b_dec b2b_quote_line_order_discount(const b2b_quote *q, size_t i);
/** amount − order_discount. @since 0.1 */
B2B_API b2b_dec b2b_quote_line_net_amount(const b2b_quote *q, size_t i);
/** @since 0.1 */
B2B_API b2b_dec b2b_quote_line_tax_rate(const b2b_quote *q, size_t i);
/** @since 0.1 */
B2B_API b2b_dec b2b_quote_line_tax(const b2b_quote *q, size_t i);
/** net_amount + tax. @since 0.1 */
B2B_API b2b_dec b2b_quote_line_total(const b2b_quote *q, size_t i);
/**
 * round(cost × qty) and net_amount − cost.
 * @return 0, B2B_ENOTFOUND (the product has no cost) or B2B_EINVAL
 * @since 0.1
 */
B2B_API int b2b_quote_line_cost(b2b_dec *out, const b2b_quote *q, size_t i);
/** See b2b_quote_line_cost(). @since 0.1 */
B2B_API int b2b_quote_line_margin(b2b_dec *out, const b2b_quote *q, size_t i);
/** (list_price − unit_price) ÷ list_price × 100 at 2 decimals. @since 0.1 */
B2B_API b2b_dec b2b_quote_line_discount_percent(const b2b_quote *q, size_t i);
/** @since 0.1 */
B2B_API int b2b_quote_line_protected(const b2b_quote *q, size_t i);
/** @since 0.1 */
B2B_API int b2b_quote_line_below_floor(const b2b_quote *q, size_t i);

/** Waterfall of line i (SPEC §4). @since 0.1 */
B2B_API size_t b2b_quote_line_step_count(const b2b_quote *q, size_t i);
/** @since 0.1 */
B2B_API const char *b2b_quote_line_step_name(const b2b_quote *q, size_t i, size_t j);
/** @since 0.1 */
B2B_API const char *b2b_quote_line_step_source(const b2b_quote *q, size_t i, size_t j);
/** @since 0.1 */
B2B_API b2b_dec b2b_quote_line_step_before(const b2b_quote *q, size_t i, size_t j);
/** @since 0.1 */
B2B_API b2b_dec b2b_quote_line_step_after(const b2b_quote *q, size_t i, size_t j);
/** Candidates of line i (0 without explain). @since 0.1 */
B2B_API size_t b2b_quote_line_candidate_count(const b2b_quote *q, size_t i);
/** @since 0.1 */
B2B_API const char *b2b_quote_line_candidate_step(const b2b_quote *q, size_t i, size_t j);
/** @since 0.1 */
B2B_API const char *b2b_quote_line_candidate_source(const b2b_quote *q, size_t i, size_t j);
/** @since 0.1 */
B2B_API int b2b_quote_line_candidate_applied(const b2b_quote *q, size_t i, size_t j);
/** @since 0.1 */
B2B_API const char *b2b_quote_line_candidate_reason(const b2b_quote *q, size_t i, size_t j);

/* ====================================================================
 * Quote lifecycle (developer "orders"; src/quote_state.c): the state
 * machine of SPEC §6, quote documents read back losslessly, transitions
 * and revisions. Everything above this marker belongs to the quote API.
 * ==================================================================== */

/**
 * The status of a quote document (SPEC §6). Values never change.
 *
 *	draft --submit--> submitted --approve--> approved --send--> sent
 *	                  submitted --reject---> rejected
 *	                  submitted --send (approval level 0)-----> sent
 *	sent --accept--> accepted --order--> ordered
 *	sent --decline--> declined
 *	draft .. declined --expire (as_of >= valid_until)--> expired
 *	draft .. declined --cancel--> cancelled
 *
 * Rules (b2b_quote_next_state()):
 *  - `submit`: draft → submitted.
 *  - `approve`, `reject`: submitted → approved / rejected, only when the
 *    quote needs approval (approval level > 0).
 *  - `send`: approved → sent; submitted → sent only when the approval
 *    level is 0 (a quote that needs approval cannot be sent until it is
 *    approved; a rejected quote is never sent: revise it with
 *    b2b_quote_doc_reprice(), which makes it a draft again, or cancel it).
 *  - `accept`, `decline`: sent → accepted / declined.
 *  - `order`: accepted → ordered (the quote was used by an order).
 *  - `expire`: from any state before `ordered` (draft, submitted,
 *    approved, rejected, sent, accepted, declined), only when as_of ≥
 *    valid_until (a quote without valid_until never expires).
 *  - `cancel`: from any state before `ordered`.
 *  - ordered, expired and cancelled are final.
 *  - Once as_of ≥ valid_until, only `expire` and `cancel` are legal: an
 *    expired quote cannot be sent, accepted or ordered against.
 * An accepted quote *locks* its prices until valid_until: an order that
 * embeds it is checked against the quote's lines (b2b/order.h), and it
 * cannot be repriced.
 */
typedef enum b2b_quote_state {
	B2B_QUOTE_DRAFT = 0,
	B2B_QUOTE_SUBMITTED = 1,
	B2B_QUOTE_APPROVED = 2,
	B2B_QUOTE_REJECTED = 3,
	B2B_QUOTE_SENT = 4,
	B2B_QUOTE_ACCEPTED = 5,
	B2B_QUOTE_DECLINED = 6,
	B2B_QUOTE_ORDERED = 7,
	B2B_QUOTE_EXPIRED = 8,
	B2B_QUOTE_CANCELLED = 9
} b2b_quote_state;

/** The events of the state machine; their names are the lower-case words. */
typedef enum b2b_quote_event {
	B2B_QUOTE_SUBMIT = 0,   /**< "submit" */
	B2B_QUOTE_APPROVE = 1,  /**< "approve" */
	B2B_QUOTE_REJECT = 2,   /**< "reject" */
	B2B_QUOTE_SEND = 3,     /**< "send" */
	B2B_QUOTE_ACCEPT = 4,   /**< "accept" */
	B2B_QUOTE_DECLINE = 5,  /**< "decline" */
	B2B_QUOTE_ORDER = 6,    /**< "order" */
	B2B_QUOTE_EXPIRE = 7,   /**< "expire" */
	B2B_QUOTE_CANCEL = 8    /**< "cancel" */
} b2b_quote_event;

/** "draft", "submitted", …, "cancelled"; "" for an unknown value. Static. @since 0.1 */
B2B_API const char *b2b_quote_state_name(int state);
/** "submit", "approve", …, "cancel"; "" for an unknown value. Static. @since 0.1 */
B2B_API const char *b2b_quote_event_name(int event);

/**
 * The state / event named `name` (`len` bytes; exact, lower-case).
 * @return 0, B2B_ENOTFOUND (not a name; *out untouched) or B2B_EINVAL
 *         (`out` NULL, or `name` NULL with `len` > 0)
 * @since 0.1
 */
B2B_API int b2b_quote_state_parse(b2b_quote_state *out, const char *name, size_t len);
/** See b2b_quote_state_parse(). @since 0.1 */
B2B_API int b2b_quote_event_parse(b2b_quote_event *out, const char *name, size_t len);

/**
 * The pure state machine: the state after `event` in state `from` for a
 * quote of approval level `level` (0–9) that is `expired` (1 when as_of ≥
 * valid_until, else 0). Thread-safe, no allocation.
 *
 * @param[out] out  the new state; untouched unless 0 is returned
 * @param ctx       if not NULL, receives the error message of an illegal
 *                  transition, naming the state and the event, e.g.
 *                  "cannot 'send' a quote in state 'submitted' that needs
 *                  approval level 2"
 * @return 0, B2B_EMISUSE (illegal transition) or B2B_EINVAL (an unknown
 *         state or event, `out` NULL)
 * @since 0.1
 */
B2B_API int b2b_quote_next_state(b2b_quote_state *out, b2b_ctx *ctx, b2b_quote_state from,
                                 b2b_quote_event event, int level, int expired);

/**
 * A quote document read back: the JSON tree of a document that
 * b2b_quote_to_json() (or this API) wrote, checked field by field.
 *
 * Documents are **lossless**: for any document the library wrote,
 * b2b_quote_doc_parse() then b2b_quote_doc_to_json() gives the same
 * bytes. The writer is the library's canonical one (keys in the order of
 * b2b_quote_to_json(), 2-space pretty, final newline), so a document
 * from elsewhere with the same content comes out in canonical form.
 *
 * Checks (every field of b2b_quote_to_json(), recursively): unknown and
 * duplicate keys, missing required keys, wrong types; `as_of` and a
 * non-null `valid_until` are dates or date-times; `currency` three
 * upper-case letters; `fingerprint` 64 lower-case hex digits; `status`
 * a state name; `revision` an integer ≥ 1; `lines` non-empty; decimals
 * (a JSON string holding `-?[0-9]+(\.[0-9]+)?`, or a JSON number, ≤ 9
 * fractional digits — a number is written back as a string); `step` and
 * `outcome` names; `approval.level` 0–9; `line` indexes ≥ 0 and below
 * the line count; `payable` and `cash_adjustment` both or neither.
 * Nothing is defaulted: the first problem is the error, with its JSON
 * path (b2b_ctx_errpath(), e.g. `lines[2].qty`), what was expected
 * (b2b_ctx_errmsg()) and where the value is (b2b_ctx_errline(),
 * b2b_ctx_errcol(), b2b_ctx_erroffset()).
 */
typedef struct b2b_quote_doc b2b_quote_doc;

/**
 * Parse and check a quote document.
 *
 * Ownership: `*out` is borrowed from `ctx`'s arena (the text is not
 * kept). Lifetime: until b2b_ctx_reset(ctx) or b2b_ctx_free(ctx).
 * Thread-safety: thread-safe when each thread uses its own ctx; a
 * document is read-only and may be read by any thread.
 *
 * @param[out] out  the document; NULL on failure
 * @return 0; B2B_EPARSE (not JSON, or a missing or bad field: path,
 *         message and position on ctx); B2B_ENOMEM; B2B_EINVAL (NULL
 *         `out` or `ctx`, NULL `json` with `len` > 0)
 * @since 0.1
 */
B2B_API int b2b_quote_doc_parse(const b2b_quote_doc **out, b2b_ctx *ctx, const char *json,
                                size_t len);

/**
 * Write a document in the canonical form (see b2b_quote_doc).
 * Ownership: `*out` (NUL-terminated) is borrowed from `ctx`'s arena.
 * @param len  receives the length without the NUL; may be NULL
 * @return 0, B2B_ENOMEM or B2B_EINVAL (NULL argument)
 * @since 0.1
 */
B2B_API int b2b_quote_doc_to_json(const char **out, size_t *len, b2b_ctx *ctx,
                                  const b2b_quote_doc *doc);

/* Accessors of a document; a NULL document gives NULL / 0 / -1. */
/** @since 0.1 */
B2B_API b2b_quote_state b2b_quote_doc_state(const b2b_quote_doc *doc);
/** `revision`: 1 for a new quote, +1 per b2b_quote_doc_reprice(). @since 0.1 */
B2B_API int64_t b2b_quote_doc_revision(const b2b_quote_doc *doc);
/** `approval.level`. @since 0.1 */
B2B_API int b2b_quote_doc_approval_level(const b2b_quote_doc *doc);
/** `quote_id`, `customer`, `currency`, `fingerprint`. @since 0.1 */
B2B_API const char *b2b_quote_doc_id(const b2b_quote_doc *doc);
/** @since 0.1 */
B2B_API const char *b2b_quote_doc_customer(const b2b_quote_doc *doc);
/** @since 0.1 */
B2B_API const char *b2b_quote_doc_currency(const b2b_quote_doc *doc);
/** @since 0.1 */
B2B_API const char *b2b_quote_doc_fingerprint(const b2b_quote_doc *doc);
/** `as_of`. @since 0.1 */
B2B_API b2b_time b2b_quote_doc_as_of(const b2b_quote_doc *doc);
/**
 * `valid_until` into *out.
 * @return 0, B2B_ENOTFOUND (null: the quote never expires) or B2B_EINVAL
 * @since 0.1
 */
B2B_API int b2b_quote_doc_valid_until(b2b_time *out, const b2b_quote_doc *doc);
/** Number of lines. @since 0.1 */
B2B_API size_t b2b_quote_doc_line_count(const b2b_quote_doc *doc);
/**
 * 1 when the document's prices are locked at `as_of`: the quote is
 * accepted and as_of < valid_until (or it has none); else 0.
 * @since 0.1
 */
B2B_API int b2b_quote_doc_locked(const b2b_quote_doc *doc, b2b_time as_of);

/**
 * Apply `event` to a document: the same document with its new `status`
 * (nothing else changes; `revision` neither).
 *
 * Ownership: `*out` is borrowed from `ctx`'s arena and shares `doc`'s
 * tree (`doc` must live as long). Thread-safety: as b2b_quote_doc_parse().
 *
 * @param[out] out  the new document; NULL on failure
 * @param as_of     the instant of the event; NULL means the quote's own
 *                  `as_of`. It decides expiry: as_of ≥ valid_until.
 * @return 0; B2B_EMISUSE (illegal transition: the message on ctx names
 *         the state and the event); B2B_ENOMEM; B2B_EINVAL
 * @since 0.1
 */
B2B_API int b2b_quote_doc_apply(const b2b_quote_doc **out, b2b_ctx *ctx,
                                const b2b_quote_doc *doc, b2b_quote_event event,
                                const b2b_time *as_of);

/**
 * JSON in, JSON out: parse `json` (b2b_quote_doc_parse()), apply the
 * event named `event` at `as_of` (text `YYYY-MM-DD` or
 * `YYYY-MM-DDThh:mm:ssZ`; NULL = the quote's as_of) and write the new
 * document (b2b_quote_doc_to_json()).
 *
 * @param[out] out  the new document (NUL-terminated, ctx arena); NULL on failure
 * @param len       receives its length; may be NULL
 * @return 0; B2B_EPARSE (the document); B2B_EMISUSE (illegal
 *         transition); B2B_EINVAL (unknown event name — the message lists
 *         the events —, unreadable `as_of`, NULL argument); B2B_ENOMEM
 * @since 0.1
 */
B2B_API int b2b_quote_doc_transition(const char **out, size_t *len, b2b_ctx *ctx,
                                     const char *json, size_t json_len, const char *event,
                                     const char *as_of);

/** The result of b2b_quote_doc_reprice(): a new revision and what changed. */
typedef struct b2b_quote_repricing b2b_quote_repricing;

/**
 * Reprice an open quote (draft, submitted, approved, rejected or sent)
 * against `book`, e.g. a new version of the book: the quote's request
 * is rebuilt from the document (quote_id, customer, currency, channel,
 * ship_to, codes, valid_until, explain when lines carry candidates,
 * cash_rounding when `payable` is present, and per line sku, qty and the
 * requested price that the `requested` waterfall step records) and priced
 * again. The new document has `revision` + 1 and status `draft` (a
 * revised quote must be submitted, approved and sent again).
 *
 * `as_of` NULL keeps the quote's `as_of` and `valid_until` (a quote with
 * a null valid_until gets the book's quote_validity_days, if set). A
 * given `as_of` replaces the quote's; valid_until is then as_of +
 * quote_validity_days when the book sets it, else the quote's.
 *
 * Changes: one per line whose unit price changed, with the old and new
 * unit prices and the reason: the first waterfall step that differs
 * ("step 1 'price_list': was price_list:A/all/min_qty:0 10 → 9, now …"),
 * or, when the waterfalls agree, "book changed: fingerprint A → B".
 *
 * Ownership: `*out` is borrowed from `ctx`'s arena; `book` must outlive
 * it. Thread-safety: thread-safe when each thread uses its own ctx.
 *
 * @param[out] out  the result; set on 0 and on B2B_EREQUEST (then only
 *                  b2b_quote_repricing_quote() gives data: the error list)
 * @param as_of     NULL, or the instant of the new revision
 * @param opts      options of the quote computation, or NULL
 * @return 0; B2B_EREQUEST (the quote cannot be priced against `book`,
 *         e.g. an sku was removed); B2B_EMISUSE (the state does not
 *         allow repricing: accepted — locked —, declined, ordered,
 *         expired, cancelled; or as_of ≥ valid_until); B2B_ENOMEM;
 *         B2B_EINVAL; B2B_EVERSION; B2B_EOVERFLOW
 * @since 0.1
 */
B2B_API int b2b_quote_doc_reprice(const b2b_quote_repricing **out, b2b_ctx *ctx,
                                  const b2b_book *book, const b2b_quote_doc *doc,
                                  const b2b_time *as_of, const b2b_quote_options *opts);

/** The new quote (figures, or the error list after B2B_EREQUEST). @since 0.1 */
B2B_API const b2b_quote *b2b_quote_repricing_quote(const b2b_quote_repricing *rev);
/** The new document (status draft, revision + 1); NULL after B2B_EREQUEST. @since 0.1 */
B2B_API const b2b_quote_doc *b2b_quote_repricing_doc(const b2b_quote_repricing *rev);
/** Lines whose unit price changed. @since 0.1 */
B2B_API size_t b2b_quote_repricing_change_count(const b2b_quote_repricing *rev);
/** The 0-based line of change i (-1 when out of range). @since 0.1 */
B2B_API long b2b_quote_repricing_change_line(const b2b_quote_repricing *rev, size_t i);
/** The old and new unit prices of change i (unit_price_decimals of each document). @since 0.1 */
B2B_API b2b_dec b2b_quote_repricing_change_old_price(const b2b_quote_repricing *rev, size_t i);
/** @since 0.1 */
B2B_API b2b_dec b2b_quote_repricing_change_new_price(const b2b_quote_repricing *rev, size_t i);
/** Why change i happened (see b2b_quote_doc_reprice()). @since 0.1 */
B2B_API const char *b2b_quote_repricing_change_reason(const b2b_quote_repricing *rev, size_t i);

/**
 * The change report as JSON (canonical form): `{"quote_id", "revision",
 * "from_fingerprint", "to_fingerprint", "from_as_of", "as_of",
 * "old_total", "new_total", "changes": [{"line", "sku", "old_unit_price",
 * "new_unit_price", "reason"}]}` (prices as written in each document,
 * totals at the currency's minor units).
 * Ownership: `*out` is borrowed from `ctx`'s arena.
 * @return 0, B2B_ENOMEM or B2B_EINVAL (NULL argument, or a revision
 *         whose repricing failed)
 * @since 0.1
 */
B2B_API int b2b_quote_repricing_changes_to_json(const char **out, size_t *len, b2b_ctx *ctx,
                                               const b2b_quote_repricing *rev);

/* ==== end of the quote lifecycle block ==== */

B2B_END_DECL
#endif /* B2B_QUOTE_H */
