/*
 * libb2bcore — internals of quote and price requests and results, shared
 * by quote_api.c (the builder calls and the accessors), quote.c (the
 * computation of SPEC §4/§5.7/§6) and quote_doc.c (JSON requests in,
 * documents out).
 * SPDX-License-Identifier: MIT
 */
#ifndef B2B_SRC_QUOTE_INT_H
#define B2B_SRC_QUOTE_INT_H

#include "b2b/quote.h"
#include "b2b/quote_doc.h"
#include "b2b/price.h"
#include "price_int.h"
#include "arena.h"

/* What a request is for: it decides the required fields and the paths. */
enum { B2B__REQ_QUOTE = 0, B2B__REQ_PRICE = 1 };

/* One request field as given: text copied into the arena. */
typedef struct b2b__rfield {
	const char *s;      /* NUL-terminated; NULL = not given */
	size_t len;         /* bytes (JSON strings may hold NUL bytes) */
	uint8_t bad;        /* a problem was reported for it already (JSON stage) */
	uint8_t number;     /* given as a JSON number: RFC 8259 grammar */
} b2b__rfield;

typedef struct b2b__rline {
	b2b__rfield sku, qty, requested;
	size_t nproblems;   /* problems the JSON stage found in this line */
	/* the values of qty / requested when the caller read their text
	 * already with the same rules (order validation): not parsed again */
	uint8_t qty_read, requested_read, product_read;
	b2b_dec qty_v, requested_v;
	uint32_t product_v;   /* the sku's product, with product_read */
} b2b__rline;

/* A problem of a request (SPEC §4 "Errors"). */
typedef struct b2b__problem {
	const char *code;    /* static: "MALFORMED", "UNKNOWN_SKU", … */
	const char *path;    /* arena */
	const char *message; /* arena */
	long line;           /* line index, or -1 for the header */
	size_t seq;          /* insertion order: the last tie-break */
} b2b__problem;

struct b2b_quote_request {
	b2b_ctx *ctx;
	int kind;                   /* B2B__REQ_* */
	b2b__rfield quote_id, customer, as_of, currency, channel, ship_to, valid_until;
	int explain, cash_rounding;
	b2b__rfield *codes;
	size_t ncodes, codes_cap;
	int codes_given;            /* a `codes` array was given (maybe empty) */
	b2b__rline *lines;
	size_t nlines, lines_cap;
	int lines_given;            /* a `lines` array was given (maybe empty) */
	int lines_bad;              /* `lines` was given with the wrong type */
	int root_bad;               /* the JSON root was not an object */
	b2b__problem *problems;     /* found by the JSON stage */
	size_t nproblems, problems_cap;
};

struct b2b_price_request {
	struct b2b_quote_request q;  /* kind B2B__REQ_PRICE, always one line */
};

/* ---- results ---- */
typedef struct b2b__qline {
	const char *sku;
	size_t sku_len;
	b2b_dec qty;
	const char *qty_text;      /* as written in the document */
	uint32_t product;
	b2b__line_out lo;          /* the engine's figures and trace */
	b2b_dec amount, od, net, rate, tax, total, cost, margin, dpct;
	int has_cost;
	b2b_dec rebate;            /* SPEC §10.4: Σ of its rebate shares (with q->has_rebates) */
	const struct b2b__vol_doc *vol; /* the volumes it was priced with (explain; NULL: none) */
} b2b__qline;

/* One rebate agreement accruing on the quote (SPEC §10.4). */
typedef struct b2b__rebate {
	uint32_t index;            /* book->agreements index */
	int tier_index;            /* −1 below the first tier */
	const char *agreement;     /* the book's id */
	const char *tier;          /* the threshold reached, as written; NULL below the first */
	b2b_dec volume;            /* V in K */
	int volume_scale;          /* K's minor units (amount), the exact scale (qty) */
	b2b_dec accrual;
} b2b__rebate;

typedef struct b2b__discount {
	const char *promotion;
	b2b_dec amount;
} b2b__discount;

typedef struct b2b__taxrow {
	b2b_dec rate, base, amount;
} b2b__taxrow;

typedef struct b2b__reason {
	const char *rule;
	long line;                 /* -1: document-level */
	b2b_dec value;
	int scale;                 /* how the value is written */
} b2b__reason;

typedef struct b2b__warning {
	const char *code;
	long line;                 /* -1: none */
	const char *message;
} b2b__warning;

struct b2b_quote {
	int kind;                  /* B2B__REQ_* */
	const b2b_book *book;
	b2b__problem *errors;
	size_t nerrors;

	const char *quote_id, *customer, *currency, *channel, *ship_to;
	size_t quote_id_len, customer_len, ship_to_len, channel_len;
	b2b_time as_of;
	const char **codes;
	size_t *code_lens;
	size_t ncodes;
	int codes_given;
	const char *fingerprint;
	int has_valid_until;
	b2b_time valid_until;
	int minor, upd;
	b2b_rounding mode;
	int explain, cash;

	b2b__qline *lines;
	size_t nlines;
	b2b_dec subtotal, discount_total, tax_total, total;
	int has_margin;
	b2b_dec margin, margin_percent;
	b2b_dec payable, cash_adjustment;
	b2b__discount *discounts;
	size_t ndiscounts;
	b2b__taxrow *taxes;
	size_t ntaxes;
	int level;
	b2b__reason *reasons;
	size_t nreasons;
	b2b__warning *warnings;
	size_t nwarnings;
	/* SPEC §10.4: set when the book has agreement rows (quotes only) */
	int has_rebates;
	b2b__rebate *rebates;
	size_t nrebates;
	b2b_dec rebate_total;
	b2b__hint *hints;          /* document hints (SPEC §11), with explain */
	size_t nhints;
};

struct b2b_price {
	struct b2b_quote q;        /* kind B2B__REQ_PRICE, one line */
};

/* quote_api.c: requests */
int b2b__qreq_new(b2b_quote_request **out, b2b_ctx *ctx, int kind);
/* Copy `len` bytes of `s` into field `f` (s NULL: clear it). */
int b2b__qreq_set(b2b_quote_request *req, b2b__rfield *f, const char *s, size_t len,
                  int number);
/* Append an empty code / line slot; returns it or NULL (out of memory). */
b2b__rfield *b2b__qreq_code_slot(b2b_quote_request *req);
b2b__rline *b2b__qreq_line_slot(b2b_quote_request *req);
/* Record a JSON-stage problem (line -1 for the header). */
int b2b__qreq_problem(b2b_quote_request *req, const char *code, const char *path, long line,
                      const char *fmt, ...) B2B__PRINTF(5, 6);
/* request.c: the quote request that prices an order (order.c). */
struct b2b_order;
/* A request with the order's header fields (its currency only when
 * `currency_ok`), its codes and room for all its lines; fields are
 * borrowed from o. Returns 0 or B2B_ENOMEM (arena). */
int b2b__qreq_from_order(b2b_quote_request **out, b2b_ctx *ctx, const struct b2b_order *o,
                         int currency_ok);
/* Set req's lines to the order lines i with active[i], in order; map[k]
 * receives the order line of request line k. product[i] is the product
 * of order line i's sku, found already (B2B__NONE: looked up again). */
void b2b__qreq_order_lines(b2b_quote_request *req, const struct b2b_order *o,
                           const uint8_t *active, const uint32_t *product, size_t *map);
/* b2b__quote_run() flag (internal, above the public B2B_QUOTE_* bits):
 * price the lines without building waterfalls or candidates, for callers
 * that read only the figures (order validation); the lines' qty_text is
 * left NULL. The figures are the same. */
#define B2B__QUOTE_NO_TRACE 0x80000000u

/* quote.c: the computation shared by b2b_quote_compute() and b2b_price_compute().
 * Returns 0 with *out set, priced or not (then (*out)->nerrors > 0), or
 * the status of a call that could not run. */
int b2b__quote_run(b2b_quote **out, b2b_ctx *ctx, const b2b_book *book,
                   const b2b_quote_request *req, uint32_t flags);
/* quote_doc.c */
int b2b__quote_write(const char **out, size_t *len, b2b_ctx *ctx, const b2b_quote *q);

#endif
