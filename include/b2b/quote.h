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
#include "b2b/price.h"

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
 * What b2b_quote_compute() and b2b_quote_from_json() give:
 *  - the call could not run: a negative status (`*out` is NULL),
 *    B2B_EINVAL (a NULL argument, a request built on another ctx,
 *    unknown option flags), B2B_EVERSION (options version), B2B_ENOMEM,
 *    B2B_EOVERFLOW (a figure left the decimal range, e.g. an absurd
 *    quantity; message and path on ctx), and for b2b_quote_from_json()
 *    B2B_EPARSE: the text is not JSON at all (b2b_ctx_errmsg(),
 *    b2b_ctx_erroffset(), b2b_ctx_errline(), b2b_ctx_errcol() say where).
 *  - it ran: 0 and a result. Either the quote was computed
 *    (b2b_quote_ok() is 1), or the request cannot be priced
 *    (b2b_quote_ok() is 0): its error list (b2b_quote_error_*) names
 *    every problem (SPEC §4 "Errors", §9.7), and b2b_quote_to_json()
 *    writes it as the error document `{"errors": [{"code", "message",
 *    "path"}]}`.
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

/**
 * Fill `*opts` with the defaults of `version` (normally B2B_QUOTE_OPTIONS_VERSION), as
 * B2B_QUOTE_OPTIONS_INIT does: for FFI callers that cannot use the macro. Only the
 * fields that `version` knows are written, so a caller built against an
 * older, shorter struct is safe with a newer library.
 * Thread-safety: thread-safe; no allocation.
 * @return 0, B2B_EVERSION (version 0 or unknown to this build; *opts
 *         untouched) or B2B_EINVAL (`opts` NULL)
 * @since 0.1
 */
B2B_API int b2b_quote_options_init(b2b_quote_options *opts, unsigned int version);

/** Collect candidates and hints (SPEC §11) on every line, and the document's
 *  hints, as if the request said `"explain": true`. */
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
 * `explain` (candidates and hints on every line, document hints) and
 * `cash_rounding` (payable and
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
 * @param[out] out  the quote, computed or listing every problem (see
 *                  b2b_quote_ok()); NULL when the call could not run
 * @param ctx       the ctx `req` was built on
 * @param book      immutable book
 * @param req       the request
 * @param opts      options, or NULL for B2B_QUOTE_OPTIONS_INIT
 * @return 0 (computed or not); or B2B_EINVAL, B2B_EVERSION, B2B_ENOMEM,
 *         B2B_EOVERFLOW (could not run)
 * @since 0.1
 */
B2B_API int b2b_quote_compute(const b2b_quote **out, b2b_ctx *ctx, const b2b_book *book,
                              const b2b_quote_request *req, const b2b_quote_options *opts);

/**
 * Parse a quote request from `len` bytes of JSON text and compute it.
 * Unknown fields and wrong types are MALFORMED problems of the result
 * (a result that cannot be priced, returned with 0), each with its JSON
 * path; text that is not JSON at all is B2B_EPARSE with the offset, line
 * and column on ctx.
 *
 * Ownership, lifetime, thread-safety: as b2b_quote_compute(). The text is
 * not kept.
 * @return 0 (see b2b_quote_ok()), B2B_EPARSE, B2B_EINVAL, B2B_EVERSION,
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
 * cash_adjustment` when cash rounding was asked, then, with explain,
 * `hints` (SPEC §11: `order_promotion`). Each line: `sku, qty,
 * list_price, unit_price, amount, order_discount, net_amount, tax_rate,
 * tax, total, cost, margin, discount_percent, protected, below_floor,
 * waterfall` and, with explain, `candidates, hints` (b2b_hint in
 * b2b/price.h). Money and quantities are JSON strings. Scales: list and unit prices at unit_price_decimals;
 * amounts (amount, order_discount, net_amount, tax, total, cost, margin,
 * subtotal, discounts, taxes' base and amount, payable, cash_adjustment)
 * at the currency's minor units; percentages at 2 decimals; tax rates as
 * the book gives them with at least 2 decimals; waterfall figures at 9
 * decimals; qty as given.
 *
 * A request that cannot be priced (b2b_quote_ok() is 0) gives the error
 * document
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
 * On a result with errors only b2b_quote_ok() and the error accessors
 * give data.
 */

/** 1 when the quote was computed, 0 when the result holds the error list (or q is NULL). @since 0.1 */
B2B_API int b2b_quote_ok(const b2b_quote *q);
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

/**
 * Rebates (SPEC §10.4): only when the book has volume agreement rows.
 * b2b_quote_has_rebates() is 1 then (the document carries `rebate` per
 * line, `rebates` and `rebate_total`), else 0 and the other accessors
 * give 0 / NULL.
 * @since 0.2
 */
B2B_API int b2b_quote_has_rebates(const b2b_quote *q);
/** Σ of the lines' rebate = Σ accrual (minor units). @since 0.2 */
B2B_API b2b_dec b2b_quote_rebate_total(const b2b_quote *q);
/** Rebate agreements accruing on at least one line, in id order. @since 0.2 */
B2B_API size_t b2b_quote_rebate_count(const b2b_quote *q);
/** The agreement id of rebate i. @since 0.2 */
B2B_API const char *b2b_quote_rebate_agreement(const b2b_quote *q, size_t i);
/** The threshold reached, as written in the book; NULL below the first tier. @since 0.2 */
B2B_API const char *b2b_quote_rebate_tier(const b2b_quote *q, size_t i);
/** V in the document currency (units for a qty agreement). @since 0.2 */
B2B_API b2b_dec b2b_quote_rebate_volume(const b2b_quote *q, size_t i);
/** Σ of its shares over the lines (minor units). @since 0.2 */
B2B_API b2b_dec b2b_quote_rebate_accrual(const b2b_quote *q, size_t i);
/** Line i's rebate: Σ of its shares (0 with none). @since 0.2 */
B2B_API b2b_dec b2b_quote_line_rebate(const b2b_quote *q, size_t i);

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

/** Steps of the waterfall of line i (SPEC §4). @since 0.1 */
B2B_API size_t b2b_quote_line_step_count(const b2b_quote *q, size_t i);
/** Step j of line i (see b2b_step in b2b/price.h); NULL when out of range. @since 0.1 */
B2B_API const b2b_step *b2b_quote_line_step(const b2b_quote *q, size_t i, size_t j);
/** Candidates of line i (0 without explain). @since 0.1 */
B2B_API size_t b2b_quote_line_candidate_count(const b2b_quote *q, size_t i);
/** Candidate j of line i (see b2b_candidate in b2b/price.h); NULL when out of range. @since 0.1 */
B2B_API const b2b_candidate *b2b_quote_line_candidate(const b2b_quote *q, size_t i, size_t j);
/** Hints of line i (SPEC §11; 0 without explain). @since 0.2 */
B2B_API size_t b2b_quote_line_hint_count(const b2b_quote *q, size_t i);
/** Hint j of line i (see b2b_hint in b2b/price.h); NULL when out of range. @since 0.2 */
B2B_API const b2b_hint *b2b_quote_line_hint(const b2b_quote *q, size_t i, size_t j);
/** Document hints (SPEC §11: `order_promotion`; 0 without explain). @since 0.2 */
B2B_API size_t b2b_quote_hint_count(const b2b_quote *q);
/** Document hint j (see b2b_hint in b2b/price.h); NULL when out of range. @since 0.2 */
B2B_API const b2b_hint *b2b_quote_hint(const b2b_quote *q, size_t j);

B2B_END_DECL
#endif /* B2B_QUOTE_H */
