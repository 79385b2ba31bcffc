/*
 * libb2bcore — internals of one order validation run (SPEC §7), shared by
 * order.c (the run), order_viol.c (violations), order_price.c (the order
 * priced as a quote), order_check_doc.c (the rules of the document) and
 * order_result.c (the result).
 * SPDX-License-Identifier: MIT
 */
#ifndef B2B_SRC_ORDER_RUN_H
#define B2B_SRC_ORDER_RUN_H

#include <stdarg.h>
#include <string.h>

#include "b2b/order.h"
#include "b2b/quote.h"
#include "ctx_int.h"
#include "order_int.h"
#include "quote_int.h"

struct b2b_validation {
	int valid;
	b2b_dec total;
	const char *currency;
	int minor;
	b2b_rounding mode;
	b2b__violation *v;
	size_t n;
};

/* Codes (static strings; compared by strcmp when sorting). */
static const char *const C_MALFORMED = "MALFORMED";
static const char *const C_UNKNOWN_CUSTOMER = "UNKNOWN_CUSTOMER";
static const char *const C_CURRENCY_MISMATCH = "CURRENCY_MISMATCH";
static const char *const C_QUOTE_EXPIRED = "QUOTE_EXPIRED";
static const char *const C_QUOTE_NOT_ACCEPTED = "QUOTE_NOT_ACCEPTED";
static const char *const C_QUOTE_MISMATCH = "QUOTE_MISMATCH";
static const char *const C_CREDIT = "CREDIT_LIMIT_EXCEEDED";
static const char *const C_BUDGET = "BUDGET_EXCEEDED";
static const char *const C_MIN_ORDER = "MIN_ORDER_VALUE";
static const char *const C_TERMS = "PAYMENT_TERMS_NOT_ALLOWED";
static const char *const C_SHIP_TO = "SHIP_TO_NOT_ALLOWED";
static const char *const C_APPROVAL = "APPROVAL_REQUIRED";
static const char *const C_UNKNOWN_CODE = "UNKNOWN_CODE";
static const char *const C_UNKNOWN_SKU = "UNKNOWN_SKU";
static const char *const C_INACTIVE = "INACTIVE_SKU";
static const char *const C_NOT_ENTITLED = "NOT_ENTITLED";
static const char *const C_QTY_NOT_POSITIVE = "QTY_NOT_POSITIVE";
static const char *const C_QTY_BELOW_MIN = "QTY_BELOW_MIN";
static const char *const C_QTY_ABOVE_MAX = "QTY_ABOVE_MAX";
static const char *const C_QTY_NOT_MULTIPLE = "QTY_NOT_MULTIPLE";
static const char *const C_STOCK = "INSUFFICIENT_STOCK";
static const char *const C_PRICE_MISMATCH = "PRICE_MISMATCH";
static const char *const C_NO_FX_RATE = "NO_FX_RATE";
static const char *const C_NEGATIVE_PRICE = "NEGATIVE_PRICE";
static const char *const C_BELOW_FLOOR = "BELOW_FLOOR";
static const char *const C_DUPLICATE = "DUPLICATE_LINE";

/* A user text in a message ("%.*s%s"): at most 80 bytes, shortened as
 * core/text.h says. */
#define SHOWN(s, len) B2B__SHOWN((s), (len), 80)

typedef struct vrun {
	b2b_ctx *ctx;
	const b2b_book *book;
	const b2b_order *o;
	struct b2b_validation *res;
	size_t cap;

	uint32_t cust;            /* B2B__NONE when unknown */
	const b2b__customer *c;
	uint16_t cur;             /* K: the order's currency (else customer's, else base) */
	int cur_given_ok;         /* `currency` was given and is a currency of the book */
	int upd;
	b2b_rounding mode;

	uint32_t *product;        /* per order line: product index or B2B__NONE */
	uint8_t *priceable;       /* per order line: known sku, qty > 0, price ≥ 0 readable */
	long *qline;              /* per order line: index in the quote run, or -1 */
	const b2b_quote *q;       /* the order priced as a quote; NULL when not run */
	int lines_priced;         /* q->lines[].lo are valid for the lines in qline */
	int doc_ok;               /* q's document figures (total, approval) are valid */
	int doc_fx_failed;        /* a document-level NO_FX_RATE was found */
	int currency_mismatch;
	int locked;               /* accepted, unexpired quote */
	int oom;                  /* a string of a violation could not be allocated */
} vrun;

/* ---- violations (order_viol.c) ---- */
int b2b__ov_viol(vrun *r, const char *code, int sev, long line, const char *path,
                 const char *expected, const char *actual, const char *fmt, ...)
	B2B__PRINTF(8, 9);
/* "lines[i].name" in the arena. */
const char *b2b__ov_lpath(vrun *r, size_t i, const char *name);
const char *b2b__ov_str_dup(vrun *r, const char *s, size_t len);
/* printf into the arena, for the strings of a violation. */
const char *b2b__ov_printf(vrun *r, const char *fmt, ...) B2B__PRINTF(2, 3);
/* A decimal as text at `scale` (B2B_DEC_SCALE_EXACT: shortest form). */
const char *b2b__ov_dec_str(vrun *r, b2b_dec v, int scale);
/* A decimal of the order as given: canonical integer part, fractional
 * digits as written ("10.50" → "10.50", 1.5E1 → "15"). */
const char *b2b__ov_given_str(vrun *r, const b2b__ofield *f);
const char *b2b__ov_time_str(vrun *r, b2b_time t);
/* qsort() order of violations (SPEC §9.20): line, code, path, insertion. */
int b2b__ov_viol_cmp(const void *pa, const void *pb);

static inline int
b2b__ov_field_eq(const b2b__ofield *f, const char *s, size_t len)
{
	return f->len == len && memcmp(f->s, s, len) == 0;
}

/* ---- the order priced as a quote (order_price.c) ---- */
int b2b__ov_price_order(vrun *r);
/* Σ round(unit_price × qty) over the lines that could be priced (§9.15,
 * §9.22): the priceable lines, less those the quote run could not price. */
int b2b__ov_fallback_total(vrun *r, b2b_dec *total);

/* ---- the rules of the document (order_check_doc.c) ---- */
int b2b__ov_check_header(vrun *r);
int b2b__ov_check_quote(vrun *r);
int b2b__ov_check_document_static(vrun *r);
int b2b__ov_check_money(vrun *r, b2b_dec total);
int b2b__ov_check_approval(vrun *r);

#endif
