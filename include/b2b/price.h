/*
 * libb2bcore — price one line alone (SPEC §4 "Price"), and price many
 * lines at once (the batch API).
 * SPDX-License-Identifier: MIT
 */
#ifndef B2B_PRICE_H
#define B2B_PRICE_H

#include "b2b/common.h"
#include "b2b/ctx.h"
#include "b2b/money.h"
#include "b2b/date.h"
#include "b2b/book.h"

/**
 * @file b2b/price.h
 * @brief The net unit price of one (customer, sku, quantity, currency,
 * as-of, channel, codes) against a book, with the waterfall that explains
 * it and the candidates that were passed over (SPEC §4 "Price", §5).
 *
 * A request is built with builder calls on a ctx, then priced:
 *
 *	b2b_price_request *req;
 *	const b2b_price *p;
 *	const char *json;
 *	b2b_price_request_new(&req, ctx);
 *	b2b_price_request_set_customer(req, "ACME");
 *	b2b_price_request_set_sku(req, "A1");
 *	b2b_price_request_set_qty(req, "12");
 *	b2b_price_request_set_as_of(req, "2026-06-15");
 *	if (b2b_price_compute(&p, ctx, book, req, NULL) == 0)
 *		b2b_price_to_json(&json, NULL, ctx, p);   // price or error list
 *	// b2b_price_ok(p): 1 when priced, 0 when p lists the problems
 *
 * Inputs are text, exactly as a host or the command line has them: the
 * builder calls only copy them; every check runs in b2b_price_compute(),
 * which reports *every* problem at once (SPEC §4 "Errors", §9.7).
 *
 * What b2b_price_compute() gives:
 *  - the call could not run: a negative status, B2B_EINVAL (a NULL
 *    argument, a request built on another ctx, unknown option flags),
 *    B2B_EVERSION (options version), B2B_ENOMEM, B2B_EOVERFLOW (a figure
 *    left the decimal range; detail and path on ctx). `*out` is NULL.
 *  - it ran: 0 and a result. Either the line was priced
 *    (b2b_price_ok() is 1), or the request cannot be priced
 *    (b2b_price_ok() is 0) and its error list (b2b_price_error_*) holds
 *    every problem, with codes
 *    `UNKNOWN_CUSTOMER`, `UNKNOWN_SKU`, `QTY_NOT_POSITIVE`, `NO_FX_RATE`,
 *    `NEGATIVE_PRICE`, `MALFORMED` and paths named after the inputs:
 *    `customer`, `sku`, `qty`, `as_of`, `currency` (SPEC §9.7, §9.23: a
 *    pricing problem, NO_FX_RATE or NEGATIVE_PRICE, has path `sku`).
 *    b2b_price_to_json() writes it as `{"errors": [...]}`.
 *
 * Ownership: requests and results are borrowed from the ctx arena; never
 * freed by the caller; valid until b2b_ctx_reset() or b2b_ctx_free().
 * Thread-safety: thread-safe when each thread uses its own ctx; the book
 * may be shared. A request or result may be read (not built) by several
 * threads while its ctx is not used.
 */
B2B_BEGIN_DECL

/** A one-line price request, built on a ctx. */
typedef struct b2b_price_request b2b_price_request;

/** A priced line, or the list of problems that prevented pricing it. */
typedef struct b2b_price b2b_price;

/*
 * The waterfall of a priced line (SPEC §4): the steps that made its price,
 * and, when asked, the candidates considered on the way. A line's steps
 * and candidates are read through these views, whether the line is a
 * b2b_price (b2b_price_step()) or a line of a b2b_quote
 * (b2b_quote_line_step(), b2b/quote.h). A view is borrowed from its
 * result and lives as long as it; a NULL view gives NULL / 0 / a zero
 * decimal.
 */

/** One step of a waterfall; opaque. */
typedef struct b2b_step b2b_step;

/** The step's name: "list", "fx", "price_list", "contract", "volume"
 *  (SPEC §10.3, since 0.2), "dynamic", "promotion", "requested" or
 *  "rounding". @since 0.1 */
B2B_API const char *b2b_step_name(const b2b_step *s);
/** Where the step came from, e.g. "product:A1",
 *  "price_list:WHOLESALE/sku:A1/min_qty:10". @since 0.1 */
B2B_API const char *b2b_step_source(const b2b_step *s);
/** The price before the step, at 9 decimals. @since 0.1 */
B2B_API b2b_dec b2b_step_before(const b2b_step *s);
/** The price after the step, at 9 decimals. @since 0.1 */
B2B_API b2b_dec b2b_step_after(const b2b_step *s);

/** One candidate considered for a line, applied or passed over; opaque. */
typedef struct b2b_candidate b2b_candidate;

/** The kind of step the candidate would make (a b2b_step_name()). @since 0.1 */
B2B_API const char *b2b_candidate_step(const b2b_candidate *c);
/** The candidate, named like a step source. @since 0.1 */
B2B_API const char *b2b_candidate_source(const b2b_candidate *c);
/** 1 when the candidate was applied, 0 when it was passed over. @since 0.1 */
B2B_API int b2b_candidate_applied(const b2b_candidate *c);
/** Why it was passed over, e.g. "out_of_window", "other_currency"; "" when
 *  applied. @since 0.1 */
B2B_API const char *b2b_candidate_reason(const b2b_candidate *c);

/*
 * Hints (SPEC §11): what would change a line's price. A priced line with
 * `explain` carries a list of them (b2b_price_hint(), always computed for
 * a price; b2b_quote_line_hint() in b2b/quote.h), in this order: at most
 * one `next_break`, the `volume_tier` ones in agreement id order, at most
 * one `expires`. A quote with `explain` also carries document hints
 * (b2b_quote_hint()): one `order_promotion` per order promotion that the
 * walk of SPEC §5.7 passes over only because the subtotal is below its
 * min_subtotal, in walk order. Hints never change a figure.
 *
 * A hint's fields, as the document writes them (every value a string):
 *  - next_break: `qty` (the smallest min_qty Q' > Q of a break of the
 *    scope that priced the line, at which the line priced again — no
 *    requested price — gets a rounded unit price lower than its rounded
 *    price before any requested price; shortest exact form), `unit_price`
 *    (that price, at unit_price_decimals). None from an `incremental`
 *    list.
 *  - volume_tier: `agreement`, `missing` (what V lacks for the next tier),
 *    `percent` (the next tier's, as written in the book).
 *  - expires: `at` (the earliest end after T of a record the waterfall
 *    names, or the start of the FX row after the one used; as written in
 *    the book), `source` (`price_list:ID`, an item's waterfall source,
 *    `contract:ID`, a rule's, promotion's or agreement's step source, or
 *    the `fx` step's source).
 *  - order_promotion: `promotion`, `missing` (min_subtotal − subtotal,
 *    rounded up to the currency's minor units).
 * src/pricing/price_hints.c and README.md ("Hints") give the decisions.
 */

/** The kind of a hint. Values never change. */
typedef enum b2b_hint_kind {
	B2B_HINT_NEXT_BREAK = 0,      /**< "next_break": a larger qty lowers the unit price */
	B2B_HINT_VOLUME_TIER = 1,     /**< "volume_tier": what an agreement lacks for its next tier */
	B2B_HINT_EXPIRES = 2,         /**< "expires": when a record behind the price ends */
	B2B_HINT_ORDER_PROMOTION = 3  /**< "order_promotion" (document): what the subtotal lacks */
} b2b_hint_kind;

/**
 * The name of a kind: "next_break", "volume_tier", "expires",
 * "order_promotion"; NULL for a value outside the enum. Static.
 * @since 0.2
 */
B2B_API const char *b2b_hint_kind_name(b2b_hint_kind kind);
/**
 * The kind named `name` (`len` bytes, no NUL needed; exact) into *out.
 * @return 0, B2B_EPARSE (not a name; *out untouched) or B2B_EINVAL (`out`
 *         NULL, or `name` NULL with `len` > 0)
 * @since 0.2
 */
B2B_API int b2b_hint_kind_parse(b2b_hint_kind *out, const char *name, size_t len);

/** One hint; opaque. Borrowed from its result, a NULL view gives NULL / 0 / -1. */
typedef struct b2b_hint b2b_hint;

/** The hint's b2b_hint_kind; -1 for a NULL hint. @since 0.2 */
B2B_API int b2b_hint_get_kind(const b2b_hint *h);
/** An English sentence saying what would change the price. @since 0.2 */
B2B_API const char *b2b_hint_message(const b2b_hint *h);
/** Number of fields after `kind` and `message`, as the document writes them. @since 0.2 */
B2B_API size_t b2b_hint_field_count(const b2b_hint *h);
/** Name of field i, e.g. "qty"; NULL when out of range. @since 0.2 */
B2B_API const char *b2b_hint_field_name(const b2b_hint *h, size_t i);
/** Value of field i as the document writes it, e.g. "50"; NULL when out of range. @since 0.2 */
B2B_API const char *b2b_hint_field_text(const b2b_hint *h, size_t i);
/**
 * Typed fields: 0 with *out, B2B_ENOTFOUND (the hint's kind has no such
 * field; *out untouched) or B2B_EINVAL (NULL argument). `qty` and
 * `unit_price`: next_break; `missing`: volume_tier, order_promotion;
 * `percent`: volume_tier; `at`: expires.
 * @since 0.2
 */
B2B_API int b2b_hint_qty(b2b_dec *out, const b2b_hint *h);
/** See b2b_hint_qty(). @since 0.2 */
B2B_API int b2b_hint_unit_price(b2b_dec *out, const b2b_hint *h);
/** See b2b_hint_qty(). @since 0.2 */
B2B_API int b2b_hint_missing(b2b_dec *out, const b2b_hint *h);
/** See b2b_hint_qty(). @since 0.2 */
B2B_API int b2b_hint_percent(b2b_dec *out, const b2b_hint *h);
/** See b2b_hint_qty(). @since 0.2 */
B2B_API int b2b_hint_at(b2b_time *out, const b2b_hint *h);
/** expires: the record's source; NULL for other kinds. @since 0.2 */
B2B_API const char *b2b_hint_source(const b2b_hint *h);
/** volume_tier: the agreement id; NULL for other kinds. @since 0.2 */
B2B_API const char *b2b_hint_agreement(const b2b_hint *h);
/** order_promotion: the promotion id; NULL for other kinds. @since 0.2 */
B2B_API const char *b2b_hint_promotion(const b2b_hint *h);

/** Options of b2b_price_compute(). */
typedef struct b2b_price_options {
	unsigned int version;   /**< B2B_PRICE_OPTIONS_VERSION, first field always */
	uint32_t flags;         /**< reserved: must be 0 (else B2B_EINVAL) */
	/* later versions append fields below; never reorder */
} b2b_price_options;

#define B2B_PRICE_OPTIONS_VERSION 1
#define B2B_PRICE_OPTIONS_INIT { B2B_PRICE_OPTIONS_VERSION, 0 }

/**
 * Fill `*opts` with the defaults of `version` (normally B2B_PRICE_OPTIONS_VERSION), as
 * B2B_PRICE_OPTIONS_INIT does: for FFI callers that cannot use the macro. Only the
 * fields that `version` knows are written, so a caller built against an
 * older, shorter struct is safe with a newer library.
 * Thread-safety: thread-safe; no allocation.
 * @return 0, B2B_EVERSION (version 0 or unknown to this build; *opts
 *         untouched) or B2B_EINVAL (`opts` NULL)
 * @since 0.1
 */
B2B_API int b2b_price_options_init(b2b_price_options *opts, unsigned int version);

/**
 * Create an empty price request in `ctx`'s arena.
 *
 * Ownership: borrowed from `ctx`; valid until b2b_ctx_reset(ctx).
 * Thread-safety: the request belongs to the thread using `ctx`.
 *
 * @param[out] out  the request; NULL on failure
 * @return 0, B2B_ENOMEM or B2B_EINVAL (NULL argument)
 * @since 0.1
 */
B2B_API int b2b_price_request_new(b2b_price_request **out, b2b_ctx *ctx);

/**
 * Set a field of the request (SPEC §8 `b2b price` options). `value` is
 * NUL-terminated text, copied into the request's ctx; NULL clears the
 * field ("not given"). Nothing is checked here: b2b_price_compute()
 * checks every field and reports each problem with the field's name as
 * its path.
 *  - customer (required): a customer id of the book;
 *  - sku (required): a product of the book;
 *  - qty (required): a decimal (`-?[0-9]+(\.[0-9]+)?`, ≤ 9 fractional
 *    digits) > 0;
 *  - as_of (required): `YYYY-MM-DD` or `YYYY-MM-DDThh:mm:ssZ`;
 *  - currency (optional): a currency code the book knows; default the
 *    customer's currency, then the base currency;
 *  - channel (optional): default the customer's; none when neither has one.
 * @return 0, B2B_ENOMEM or B2B_EINVAL (`req` NULL)
 * @since 0.1
 */
B2B_API int b2b_price_request_set_customer(b2b_price_request *req, const char *value);
/** See b2b_price_request_set_customer(). @since 0.1 */
B2B_API int b2b_price_request_set_sku(b2b_price_request *req, const char *value);
/** See b2b_price_request_set_customer(). @since 0.1 */
B2B_API int b2b_price_request_set_qty(b2b_price_request *req, const char *value);
/** See b2b_price_request_set_customer(). @since 0.1 */
B2B_API int b2b_price_request_set_as_of(b2b_price_request *req, const char *value);
/** See b2b_price_request_set_customer(). @since 0.1 */
B2B_API int b2b_price_request_set_currency(b2b_price_request *req, const char *value);
/** See b2b_price_request_set_customer(). @since 0.1 */
B2B_API int b2b_price_request_set_channel(b2b_price_request *req, const char *value);

/**
 * Add a coupon code (copied). Codes take part in the promotion walk
 * (SPEC §5.5); a code that no promotion of the book has gives an
 * `UNKNOWN_CODE` warning, once per distinct code, in the order added.
 * @return 0, B2B_ENOMEM or B2B_EINVAL (`req` or `code` NULL)
 * @since 0.1
 */
B2B_API int b2b_price_request_add_code(b2b_price_request *req, const char *code);

/**
 * Price the request's line against `book` (SPEC §5.1–5.7 for one line:
 * `amount` = round(unit_price × qty) to the currency's minor units; no
 * order promotions, no tax). Candidates and hints are always collected.
 *
 * Ownership: `*out` is borrowed from `ctx`'s arena — do not free it.
 * Lifetime: valid until b2b_ctx_reset(ctx) or b2b_ctx_free(ctx); the
 * book must outlive the result (the fingerprint is borrowed from it).
 * Thread-safety: thread-safe when each thread uses its own `ctx`;
 * `book` may be shared.
 *
 * @param[out] out  the result, priced or listing every problem (see
 *                  b2b_price_ok()); NULL when the call could not run
 * @param ctx       the ctx `req` was built on
 * @param book      immutable book
 * @param req       the request
 * @param opts      options, or NULL for B2B_PRICE_OPTIONS_INIT
 * @return 0 (priced or not); or, when the call could not run,
 *         B2B_EINVAL, B2B_EVERSION, B2B_ENOMEM or B2B_EOVERFLOW (detail
 *         on ctx)
 * @since 0.1
 */
B2B_API int b2b_price_compute(const b2b_price **out, b2b_ctx *ctx, const b2b_book *book,
                              const b2b_price_request *req, const b2b_price_options *opts);

/**
 * Write `p` as JSON (2-space pretty, final newline): the price document
 * of SPEC §4 with keys in this order: `customer, sku, qty, currency,
 * as_of, channel, list_price, unit_price, amount, discount_percent,
 * protected, below_floor, floor, waterfall, candidates, hints,
 * fingerprint, warnings`; or, for a request that cannot be priced, the error document
 * `{"errors": [{"code", "message", "path"}]}`. Scales: list and unit
 * price at the book's unit_price_decimals; amount at the currency's minor
 * units; discount_percent at 2 decimals; floor and waterfall figures at 9
 * decimals; qty as given (see b2b_quote_line_qty_text() in b2b/quote.h).
 *
 * Ownership: `*out` (NUL-terminated) is borrowed from `ctx`'s arena.
 * @param len  receives the length without the NUL; may be NULL
 * @return 0, B2B_ENOMEM or B2B_EINVAL (NULL argument)
 * @since 0.1
 */
B2B_API int b2b_price_to_json(const char **out, size_t *len, b2b_ctx *ctx,
                              const b2b_price *p);

/*
 * Accessors. Strings are borrowed from the result and live as long as it;
 * a NULL result or an index out of range gives NULL / 0 / a zero decimal.
 * On a result with errors only b2b_price_ok() and the error accessors
 * give data.
 */

/** 1 when the line was priced, 0 when the result holds the error list (or p is NULL). @since 0.1 */
B2B_API int b2b_price_ok(const b2b_price *p);
/** Number of problems (0 when the line was priced). @since 0.1 */
B2B_API size_t b2b_price_error_count(const b2b_price *p);
/** Code of problem i, e.g. "UNKNOWN_SKU". @since 0.1 */
B2B_API const char *b2b_price_error_code(const b2b_price *p, size_t i);
/** Path of problem i: an input's name, e.g. "qty". @since 0.1 */
B2B_API const char *b2b_price_error_path(const b2b_price *p, size_t i);
/** English message of problem i. @since 0.1 */
B2B_API const char *b2b_price_error_message(const b2b_price *p, size_t i);

/** Customer id, sku, document currency and channel (NULL: none). @since 0.1 */
B2B_API const char *b2b_price_customer(const b2b_price *p);
/** @since 0.1 */
B2B_API const char *b2b_price_sku(const b2b_price *p);
/** @since 0.1 */
B2B_API const char *b2b_price_currency(const b2b_price *p);
/** @since 0.1 */
B2B_API const char *b2b_price_channel(const b2b_price *p);
/** The as-of instant. @since 0.1 */
B2B_API b2b_time b2b_price_as_of(const b2b_price *p);
/** The quantity. @since 0.1 */
B2B_API b2b_dec b2b_price_qty(const b2b_price *p);
/**
 * The quantity as the price document writes it: at the scale it was
 * written in the request (`007.50` gives `7.50`), as
 * b2b_quote_line_qty_text(). @since 0.1
 */
B2B_API const char *b2b_price_qty_text(const b2b_price *p);
/** Minor units of the document currency: the scale of `amount`. @since 0.1 */
B2B_API int b2b_price_minor_units(const b2b_price *p);
/** List price in the document currency, rounded to unit_price_decimals. @since 0.1 */
B2B_API b2b_dec b2b_price_list_price(const b2b_price *p);
/** Final unit price, rounded to unit_price_decimals. @since 0.1 */
B2B_API b2b_dec b2b_price_unit_price(const b2b_price *p);
/** round(unit_price × qty) at the currency's minor units. @since 0.1 */
B2B_API b2b_dec b2b_price_amount(const b2b_price *p);
/**
 * (list_price − unit_price) ÷ list_price × 100 at 2 decimals (0 when
 * list_price is 0).
 * @since 0.1
 */
B2B_API b2b_dec b2b_price_discount_percent(const b2b_price *p);
/** 1 when the price came from a contract. @since 0.1 */
B2B_API int b2b_price_protected(const b2b_price *p);
/** 1 when the rounded unit price is below the floor (SPEC §5.6). @since 0.1 */
B2B_API int b2b_price_below_floor(const b2b_price *p);
/**
 * The floor at 9 decimals into *out.
 * @return 0, B2B_ENOTFOUND (no floor: no min_margin_percent or no cost;
 *         *out untouched) or B2B_EINVAL
 * @since 0.1
 */
B2B_API int b2b_price_floor(b2b_dec *out, const b2b_price *p);
/** The book's fingerprint (borrowed from the book). @since 0.1 */
B2B_API const char *b2b_price_fingerprint(const b2b_price *p);

/** Waterfall steps (SPEC §4), in order. @since 0.1 */
B2B_API size_t b2b_price_step_count(const b2b_price *p);
/** Step j of the waterfall (see b2b_step); NULL when out of range. @since 0.1 */
B2B_API const b2b_step *b2b_price_step(const b2b_price *p, size_t j);

/** Candidates considered (SPEC §4), in order. @since 0.1 */
B2B_API size_t b2b_price_candidate_count(const b2b_price *p);
/** Candidate j (see b2b_candidate); NULL when out of range. @since 0.1 */
B2B_API const b2b_candidate *b2b_price_candidate(const b2b_price *p, size_t j);

/** Hints (SPEC §11), in order; always computed for a price. @since 0.2 */
B2B_API size_t b2b_price_hint_count(const b2b_price *p);
/** Hint j (see b2b_hint); NULL when out of range. @since 0.2 */
B2B_API const b2b_hint *b2b_price_hint(const b2b_price *p, size_t j);

/**
 * Warnings (SPEC §9.9, §9.21): `UNKNOWN_CODE` once per distinct unknown
 * code, in the order the codes were added, then `INACTIVE_SKU`.
 * @since 0.1
 */
B2B_API size_t b2b_price_warning_count(const b2b_price *p);
/** @since 0.1 */
B2B_API const char *b2b_price_warning_code(const b2b_price *p, size_t i);
/** @since 0.1 */
B2B_API const char *b2b_price_warning_message(const b2b_price *p, size_t i);

/*
 * Pricing many lines without explanation: the storefront / ERP sync path.
 * Customers and products are first resolved to handles (indexes into the
 * frozen book, valid for that book only), then whole arrays are priced.
 * Nothing is allocated: the ctx is only used for error detail.
 */

/** Per-line outcome of b2b_price_batch(), in `problems[i]`. Values never change. */
typedef enum b2b_batch_problem {
	B2B_BATCH_OK = 0,                /**< priced: unit_prices[i] is set */
	B2B_BATCH_UNKNOWN_CUSTOMER = 1,  /**< customers[i] is not a handle of this book */
	B2B_BATCH_UNKNOWN_SKU = 2,       /**< products[i] is not a handle of this book */
	B2B_BATCH_QTY_NOT_POSITIVE = 3,  /**< qtys[i] ≤ 0 */
	B2B_BATCH_NO_FX_RATE = 4,        /**< SPEC §5.1, §9.5: a conversion has no rate */
	B2B_BATCH_NEGATIVE_PRICE = 5,    /**< SPEC §9.6: a step gave a negative price */
	B2B_BATCH_OVERFLOW = 6           /**< a figure left the decimal range (or price
	                                      list bases nest deeper than 64 lists) */
} b2b_batch_problem;

/**
 * The name of a problem: "OK", "UNKNOWN_CUSTOMER", "UNKNOWN_SKU",
 * "QTY_NOT_POSITIVE", "NO_FX_RATE", "NEGATIVE_PRICE" (the SPEC's error
 * codes) or "OVERFLOW"; NULL for a value outside the enum. Static.
 * @since 0.1
 */
B2B_API const char *b2b_batch_problem_name(b2b_batch_problem problem);
/**
 * The problem named `name` (`len` bytes, no NUL needed; exact,
 * case-sensitive) into *out.
 * @return 0, B2B_EPARSE (not a name; *out untouched) or B2B_EINVAL (`out`
 *         NULL, or `name` NULL with `len` > 0)
 * @since 0.1
 */
B2B_API int b2b_batch_problem_parse(b2b_batch_problem *out, const char *name, size_t len);

/**
 * Price n lines: line i is (customers[i], products[i], qtys[i]) at
 * `as_of`, in `currency`, with the customer's own channel and no coupon
 * codes, exactly as a quote line without a requested price would be
 * priced (SPEC §5.1–5.6, and the unit price rounded to the book's
 * unit_price_decimals as in §5.7). No waterfall is built. A volume
 * discount agreement (SPEC §10) sees the line alone: V = the customer's
 * volume to date + this line, as in `b2b price`.
 *
 * Per-line problems are results, not failures: problems[i] receives
 * B2B_BATCH_OK or a b2b_batch_problem, and unit_prices[i] the unit price
 * (zero when problems[i] is not B2B_BATCH_OK); the other lines are priced
 * all the same.
 *
 * Ownership: the caller owns every array. Nothing is allocated.
 * Thread-safety: thread-safe when each thread uses its own ctx (or NULL);
 * `book` may be shared.
 *
 * @param[out] unit_prices  n values
 * @param[out] problems     n values
 * @param ctx         receives the error detail of a failing call; may be NULL
 * @param book        immutable book the handles come from
 * @param customers   n customer handles (b2b_book_find_customer())
 * @param products    n product handles (b2b_book_find_product())
 * @param qtys        n quantities (> 0)
 * @param n           number of lines (0 is fine: nothing is done)
 * @param currency    document currency code (NUL-terminated), or NULL for
 *                    each customer's currency, else the base currency
 * @param as_of       the instant T (b2b_time_parse() reads it from text)
 * @return 0; B2B_EINVAL (`book` NULL, an array NULL while n > 0, or
 *         `as_of` not a valid instant: see b2b_time_format());
 *         B2B_ENOTFOUND (`currency` is not a currency of the book; no line
 *         is priced)
 * @since 0.1
 */
B2B_API int b2b_price_batch(b2b_dec *unit_prices, int *problems, b2b_ctx *ctx,
                            const b2b_book *book, const uint32_t *customers,
                            const uint32_t *products, const b2b_dec *qtys, size_t n,
                            const char *currency, b2b_time as_of);

B2B_END_DECL
#endif /* B2B_PRICE_H */
