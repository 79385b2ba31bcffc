/*
 * libb2bcore — internals of one quote or price computation, shared by
 * quote.c (the run over the lines), quote_check.c (the error list and the
 * header's checks) and quote_figures.c (the document figures).
 * SPDX-License-Identifier: MIT
 */
#ifndef B2B_SRC_QUOTE_RUN_H
#define B2B_SRC_QUOTE_RUN_H

#include "ctx_int.h"
#include "quote_int.h"

/* quote_prefetch.c: lists and contracts per line whose groups are
 * fetched; lines fetched first, then a chunk ahead of the pricing. */
#define B2B__QR_PF_OWNERS 8
#define B2B__QR_PF_FIRST 64
#define B2B__QR_PF_CHUNK 32

typedef struct run {
	b2b_ctx *ctx;
	const b2b_book *book;
	const b2b_quote_request *req;
	b2b_quote *q;
	int kind;
	b2b__problem *probs;
	size_t nprobs, probs_cap, seq;
	size_t *lprobs;           /* problems of each line */

	uint32_t cust;            /* B2B__NONE when unknown */
	int as_of_ok, cur_ok;
	uint16_t cur;             /* K */
	int fx_state;             /* base → K: 0 not tried, 1 found, -1 none */
	b2b_dec fx_rate;
	int fx_reported;
	int memo_ready;
	int notrace;              /* B2B__QUOTE_NO_TRACE: no waterfall, no qty_text (order validation) */
	b2b__price_memo memo;     /* the line pricer's lookups shared by the lines */
	b2b__step *step_room;     /* with a trace: B2B__QR_STEP_ROOM steps a line, one block */
	int plan_state;           /* lines may start from the book's plan: 0 not known yet, 1 yes, -1 no */
	/* quote_prefetch.c: the product of each line's sku (B2B__NONE:
	 * unknown) for lines below pf_next; NULL: look up one by one */
	uint32_t *prod;
	size_t pf_next;
	int pf_plan;              /* fetch the plan's records (the lines start from it) */
	size_t pf_nowners;        /* the lists and contracts whose groups are fetched */
	uint32_t pf_owner[B2B__QR_PF_OWNERS];
	uint8_t pf_list[B2B__QR_PF_OWNERS];
} run;

/* quote.c: may the lines start from the book's plan (b2b__plan_preset())?
 * Known once the header is checked. */
int b2b__qr_plan_usable(run *r);

/* Steps a line's waterfall has room for in the quote's block (list,
 * price_list, contract, rounding); a longer one grows in the arena. */
#define B2B__QR_STEP_ROOM 4

static const char *const CODE_MALFORMED = "MALFORMED";
static const char *const CODE_UNKNOWN_CUSTOMER = "UNKNOWN_CUSTOMER";
static const char *const CODE_UNKNOWN_SKU = "UNKNOWN_SKU";
static const char *const CODE_QTY_NOT_POSITIVE = "QTY_NOT_POSITIVE";
static const char *const CODE_NO_FX_RATE = "NO_FX_RATE";
static const char *const CODE_NEGATIVE_PRICE = "NEGATIVE_PRICE";

/* A user text in a message ("%.*s%s"): at most 80 bytes, shortened as
 * core/text.h says. */
#define SHOW(f) B2B__SHOWN((f)->s, (f)->len, 80)

/* An arena array of n elements, not zeroed (the caller writes each one
 * before it is read); NULL when out of memory or n × elem overflows. */
static inline void *
b2b__qr_array(b2b_ctx *ctx, size_t n, size_t elem)
{
	if (n != 0 && elem > SIZE_MAX / n)
		return NULL;
	return b2b__ctx_alloc(ctx, n * elem);
}

static inline int
b2b__qr_given(const b2b__rfield *f)
{
	return f->s != NULL;
}

static inline const b2b__currency *
b2b__qr_currency_of(const b2b_book *b, uint16_t i)
{
	return &b->currencies[i];
}

/* ---- the lines looked up together (quote_prefetch.c) ---- */
/* Start resolving the lines' skus into r->prod and prefetching the
 * records their pricing will read (the first chunk of lines). Returns 0
 * or B2B_ENOMEM. */
int b2b__qr_prefetch(run *r);
/* Before line i is checked: the next chunk when it is due, so that lines
 * up to i + B2B__QR_PF_CHUNK are resolved and on their way. */
void b2b__qr_prefetch_ahead(run *r, size_t i);

/* ---- the error list and the header's checks (quote_check.c) ---- */
/* The path of a field: the field's JSON path in a quote, the option's
 * name in a price (SPEC §9.7, §9.23). */
const char *b2b__qr_field_path(run *r, long line, const char *name);
int b2b__qr_prob(run *r, const char *code, long line, const char *path, const char *fmt, ...)
	B2B__PRINTF(5, 6);
void b2b__qr_time_text(char *buf, size_t size, b2b_time t);
/* An arithmetic result that left the decimal range: the call cannot run
 * (B2B_EOVERFLOW, with the message and the path on ctx). */
int b2b__qr_overflow(run *r, long line, const char *what);

#define OVF(expr, line, what)                                       \
	do {                                                        \
		int rc_ = (expr);                                   \
		if (rc_ == B2B_EOVERFLOW)                           \
			return b2b__qr_overflow(r, (line), (what)); \
		if (rc_ < 0)                                        \
			return b2b__ctx_seterr(r->ctx, rc_, "%s: %s", (what), \
			                       b2b_strerror(rc_)); \
	} while (0)

int b2b__qr_check_header(run *r);
/* Sort the problems and drop repeats: the quote's error list. */
int b2b__qr_finish_errors(run *r);

/* ---- the document figures (quote_figures.c) ---- */
/* SPEC §5.7: the document figures of a quote whose lines are all priced. */
int b2b__qr_document(run *r);
int b2b__qr_price_figures(run *r);
int b2b__qr_warnings(run *r);

/* ---- volume agreements (quote_volume.c, SPEC §10) ---- */
/* Price every line that can be priced, in two passes when a discount
 * agreement's volume needs the document's lines (§10.2); price_line is
 * quote.c's pricing of one line (with in->vol). */
enum { B2B__QR_FULL = 0, B2B__QR_PROBE, B2B__QR_RESUME };
typedef int (*b2b__qr_price_fn)(run *r, size_t i, b2b_dec requested, int has_requested,
                                const struct b2b__vol_doc *vol, int stage);
int b2b__qr_price_volume(run *r, const uint8_t *ok, const b2b_dec *requested,
                         const uint8_t *has_requested, b2b__qr_price_fn price_line);
/* §10.4: the lines' rebates, the quote's rebates and rebate_total. */
int b2b__qr_rebates(run *r);

/* ---- hints (quote_hints.c, SPEC §11) ---- */
/* The pricer's input for line i as the run prices it: no requested
 * price, no document volumes (quote.c adds them). */
void b2b__qr_line_in(run *r, size_t i, b2b__line_in *in);
/* The hints of every priced line, once the document's figures are done. */
int b2b__qr_hints(run *r);
/* An order_promotion hint: the walk passed `promotion` over only because
 * the subtotal is below its min_subtotal (in K). */
int b2b__qr_hint_order_promotion(run *r, const char *promotion, b2b_dec min_subtotal);

#endif
