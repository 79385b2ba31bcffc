/*
 * libb2bcore — internals shared by order_read.c (orders read from JSON)
 * and the order validation files (order.c, order_run.h).
 * SPDX-License-Identifier: MIT
 */
#ifndef B2B_SRC_ORDER_INT_H
#define B2B_SRC_ORDER_INT_H

#include <stddef.h>

#include "b2b/order.h"
#include "b2b/date.h"
#include "ctx_int.h"

/* ---- a parsed order (order_read.c), validated by order.c ---- */

/* One field as given. */
typedef struct b2b__ofield {
	const char *s;       /* NUL-terminated (borrowed from the JSON tree); NULL: not given */
	size_t len;
	uint8_t number;      /* given as a JSON number */
	uint8_t bad;         /* a MALFORMED violation was recorded for it */
	uint8_t ok;          /* decimals / times: read successfully into v / t */
	b2b_dec v;
	b2b_time t;
} b2b__ofield;

typedef struct b2b__oline {
	b2b__ofield sku, qty, price;
} b2b__oline;

typedef struct b2b__violation {
	const char *code;      /* static */
	const char *path;      /* NULL: none */
	const char *message;
	const char *expected;  /* NULL: none */
	const char *actual;    /* NULL: none */
	long line;             /* -1: document level */
	size_t seq;            /* the order found: the last tie-break */
	int severity;          /* B2B_ORDER_* */
} b2b__violation;

/* The quote embedded in an order: only the fields of SPEC §9.17. */
#define B2B__QS_UNREADABLE (-1)

typedef struct b2b__oquote {
	int given;
	int status;            /* b2b_quote_state, or B2B__QS_UNREADABLE */
	b2b__ofield customer, currency, valid_until;  /* valid_until: ok && !s → null */
	int valid_until_null;
	int lines_ok;          /* `lines` was an array */
	b2b__oline *lines;
	size_t nlines;
} b2b__oquote;

struct b2b_order {
	b2b__ofield order_id, customer, as_of, currency, channel, po_number, payment_terms,
	       ship_to, buyer;
	b2b__ofield *codes;         /* the readable codes; .v unused */
	size_t *code_index;    /* their index in `codes` (for paths) */
	size_t ncodes;
	int codes_given;
	b2b__oquote quote;
	b2b__oline *lines;
	size_t nlines;
	int lines_given;       /* an array was given (maybe empty) */
	b2b__violation *malformed;   /* found while reading */
	size_t nmalformed;
};

/* Append a copy of *v to an arena array (its seq = its index): 0 or
 * B2B_ENOMEM. */
int b2b__violation_push(b2b_ctx *ctx, b2b__violation **arr, size_t *n, size_t *cap,
                        const b2b__violation *v);



#endif
