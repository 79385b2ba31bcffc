/*
 * libb2bcore — the computation of quote documents (SPEC §4, §5.7, §6)
 * and one-line prices (SPEC §4 "Price") on top of the line pricer
 * b2b__price_line(): field checks and the error list (§9.7), document
 * figures, order promotions, taxes, approval, warnings. The builder calls
 * and the accessors are in quote_api.c, JSON in and out in quote_doc.c.
 * SPDX-License-Identifier: MIT
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctx_int.h"
#include "opts.h"
#include "dec_int.h"
#include "quote_int.h"

/*===========================================================================
 * MARK: - the computation
 *===========================================================================*/

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
	int notrace;              /* B2B__QUOTE_NO_TRACE: no waterfall (order validation) */
	b2b__price_memo memo;     /* the line pricer's lookups shared by the lines */
} run;

static const char *const CODE_MALFORMED = "MALFORMED";
static const char *const CODE_UNKNOWN_CUSTOMER = "UNKNOWN_CUSTOMER";
static const char *const CODE_UNKNOWN_SKU = "UNKNOWN_SKU";
static const char *const CODE_QTY_NOT_POSITIVE = "QTY_NOT_POSITIVE";
static const char *const CODE_NO_FX_RATE = "NO_FX_RATE";
static const char *const CODE_NEGATIVE_PRICE = "NEGATIVE_PRICE";

/* The path of a field: the field's JSON path in a quote, the option's
 * name in a price (SPEC §9.7, §9.23). */
static const char *
field_path(run *r, long line, const char *name)
{
	if (line < 0 || r->kind == B2B__REQ_PRICE)
		return name;
	return b2b__arena_printf(r->ctx, "lines[%ld].%s", line, name);
}

static int
prob(run *r, const char *code, long line, const char *path, const char *fmt, ...)
	B2B__PRINTF(5, 6);

static int
prob(run *r, const char *code, long line, const char *path, const char *fmt, ...)
{
	b2b__problem *p;
	char buf[512];
	va_list ap;

	if (path == NULL)
		return B2B_ENOMEM;
	if (b2b__arena_grow(r->ctx, (void **)&r->probs, &r->probs_cap, r->nprobs + 1,
	               sizeof(*r->probs)) < 0)
		return B2B_ENOMEM;
	va_start(ap, fmt);
	b2b__text_vformat(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	p = &r->probs[r->nprobs];
	p->code = code;
	p->path = path;
	p->line = line;
	p->seq = r->seq++;
	p->message = b2b__ctx_strndup(r->ctx, buf, strlen(buf));
	if (p->message == NULL)
		return B2B_ENOMEM;
	r->nprobs++;
	if (line >= 0 && r->lprobs != NULL)
		r->lprobs[line]++;
	return 0;
}

static int
prob_cmp(const void *pa, const void *pb)
{
	const b2b__problem *a = pa, *b = pb;
	int c;

	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if ((c = strcmp(a->code, b->code)) != 0)
		return c;
	if ((c = strcmp(a->path, b->path)) != 0)
		return c;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static int
given(const b2b__rfield *f)
{
	return f->s != NULL;
}

/* A user text in a message ("%.*s%s"): at most 80 bytes, shortened as
 * core/text.h says. */
#define SHOW(f) B2B__SHOWN((f)->s, (f)->len, 80)

/* Read a decimal field: 0, or a MALFORMED problem (returns 1). */
static int
read_dec(run *r, b2b_dec *out, const b2b__rfield *f, long line, const char *name, int *rcp)
{
	int rc = b2b_dec_parse(out, NULL, f->s, f->len, f->number ? B2B_DEC_PARSE_JSON : 0);
	const char *why;

	if (rc == 0)
		return 0;
	switch (rc) {
	case B2B_EPRECISION:
		why = "more than 9 fractional digits";
		break;
	case B2B_EOVERFLOW:
		why = "out of range (at most 28 integer digits)";
		break;
	default:
		why = f->number ? "not a number" : "expected a decimal such as 12.50";
		break;
	}
	*rcp = prob(r, CODE_MALFORMED, line, field_path(r, line, name), "%s '%.*s%s': %s", name,
	            SHOW(f), why);
	return 1;
}

static char *
dec_text(b2b_ctx *ctx, b2b_dec v, int scale, b2b_rounding mode)
{
	char buf[B2B_DEC_FORMAT_MAX];

	if (b2b_dec_format(buf, sizeof(buf), NULL, v, scale, mode) < 0)
		buf[0] = '\0';
	return b2b__ctx_strndup(ctx, buf, strlen(buf));
}

static void
time_text(char *buf, size_t size, b2b_time t)
{
	if (b2b_time_format(buf, size, NULL, t) < 0 && size > 0)
		snprintf(buf, size, "?");
}

/* An arithmetic result that left the decimal range: the call cannot run
 * (B2B_EOVERFLOW, with the message and the path on ctx). */
static int
overflow(run *r, long line, const char *what)
{
	char path[64];

	if (line >= 0 && r->kind == B2B__REQ_QUOTE) {
		snprintf(path, sizeof(path), "lines[%ld].qty", line);
		b2b__ctx_seterr(r->ctx, B2B_EOVERFLOW, "lines[%ld]: %s leaves the decimal range",
		                line, what);
	} else {
		snprintf(path, sizeof(path), "%s", line >= 0 ? "qty" : "$");
		b2b__ctx_seterr(r->ctx, B2B_EOVERFLOW, "%s leaves the decimal range", what);
	}
	b2b__ctx_setpath(r->ctx, path);
	return B2B_EOVERFLOW;
}

#define OVF(expr, line, what)                                       \
	do {                                                        \
		int rc_ = (expr);                                   \
		if (rc_ == B2B_EOVERFLOW)                           \
			return overflow(r, (line), (what));         \
		if (rc_ < 0)                                        \
			return b2b__ctx_seterr(r->ctx, rc_, "%s: %s", (what), \
			                       b2b_strerror(rc_)); \
	} while (0)

static const b2b__currency *
currency_of(const b2b_book *b, uint16_t i)
{
	return &b->currencies[i];
}

static int
check_header(run *r)
{
	const b2b_quote_request *req = r->req;
	const b2b_book *book = r->book;
	b2b_quote *q = r->q;
	int rc = 0;
	size_t errpos;

	if (r->kind == B2B__REQ_QUOTE) {
		if (!given(&req->quote_id) && !req->quote_id.bad)
			rc = prob(r, CODE_MALFORMED, -1, "quote_id", "quote_id: required field is missing");
		if (rc < 0)
			return rc;
		if (given(&req->quote_id)) {
			q->quote_id = req->quote_id.s;
			q->quote_id_len = req->quote_id.len;
		}
	}

	r->cust = B2B__NONE;
	if (given(&req->customer)) {
		r->cust = b2b__book_customer(book, req->customer.s, req->customer.len);
		if (r->cust == B2B__NONE)
			rc = prob(r, CODE_UNKNOWN_CUSTOMER, -1, "customer",
			          "unknown customer '%.*s%s'", SHOW(&req->customer));
		q->customer = req->customer.s;
		q->customer_len = req->customer.len;
	} else if (!req->customer.bad) {
		rc = prob(r, CODE_MALFORMED, -1, "customer", "customer: required field is missing");
	}
	if (rc < 0)
		return rc;

	if (given(&req->as_of)) {
		if (b2b_time_parse(&q->as_of, &errpos, req->as_of.s, req->as_of.len) == 0)
			r->as_of_ok = 1;
		else
			rc = prob(r, CODE_MALFORMED, -1, "as_of",
			          "as_of '%.*s%s': expected a date YYYY-MM-DD or a date-time "
			          "YYYY-MM-DDThh:mm:ssZ (at character %zu)",
			          SHOW(&req->as_of), errpos + 1);
	} else if (!req->as_of.bad) {
		rc = prob(r, CODE_MALFORMED, -1, "as_of", "as_of: required field is missing");
	}
	if (rc < 0)
		return rc;

	if (given(&req->currency)) {
		uint32_t c = b2b__book_currency(book, req->currency.s, req->currency.len);
		if (c == B2B__NONE) {
			rc = prob(r, CODE_MALFORMED, -1, "currency",
			          "currency '%.*s%s': not a currency of the book", SHOW(&req->currency));
		} else {
			r->cur = (uint16_t)c;
			r->cur_ok = 1;
		}
	} else if (!req->currency.bad && r->cust != B2B__NONE) {
		const b2b__customer *c = &book->customers[r->cust];
		r->cur = c->currency != UINT16_MAX ? c->currency : book->settings.base_currency;
		r->cur_ok = 1;
	}
	if (rc < 0)
		return rc;

	/* channel: the request's, else the customer's, else none (§9.8) */
	if (given(&req->channel)) {
		q->channel = req->channel.s;
		q->channel_len = req->channel.len;
	} else if (r->cust != B2B__NONE && book->customers[r->cust].channel != 0) {
		q->channel = b2b__s(book, book->customers[r->cust].channel);
		q->channel_len = strlen(q->channel);
	}

	if (r->kind != B2B__REQ_QUOTE)
		return 0;

	if (given(&req->ship_to)) {
		q->ship_to = req->ship_to.s;
		q->ship_to_len = req->ship_to.len;
	}

	/* valid_until: the request's, else as_of + quote_validity_days (§9.2) */
	if (given(&req->valid_until)) {
		if (b2b_time_parse(&q->valid_until, &errpos, req->valid_until.s,
		                   req->valid_until.len) == 0)
			q->has_valid_until = 1;
		else
			rc = prob(r, CODE_MALFORMED, -1, "valid_until",
			          "valid_until '%.*s%s': expected a date YYYY-MM-DD or a date-time "
			          "YYYY-MM-DDThh:mm:ssZ (at character %zu)",
			          SHOW(&req->valid_until), errpos + 1);
	} else if (r->as_of_ok && book->settings.quote_validity_days > 0) {
		if (b2b_time_add_days(&q->valid_until, q->as_of,
		                      book->settings.quote_validity_days) == 0)
			q->has_valid_until = 1;
		else
			rc = prob(r, CODE_MALFORMED, -1, "as_of",
			          "as_of + quote_validity_days (%lld) is past 9999-12-31",
			          (long long)book->settings.quote_validity_days);
	}
	if (rc < 0)
		return rc;

	if (!req->lines_given && !req->lines_bad)
		rc = prob(r, CODE_MALFORMED, -1, "lines", "lines: required field is missing");
	else if (req->lines_given && req->nlines == 0)
		rc = prob(r, CODE_MALFORMED, -1, "lines", "lines: at least one line is required");
	return rc;
}

/* Field checks of line i; fills sku/qty of the result line. */
static int
check_line(run *r, size_t i, b2b_dec *requested, int *has_requested)
{
	const b2b__rline *l = &r->req->lines[i];
	b2b__qline *ql = &r->q->lines[i];
	long li = (long)i;
	int rc = 0;

	ql->product = B2B__NONE;
	if (given(&l->sku)) {
		ql->sku = l->sku.s;
		ql->sku_len = l->sku.len;
		ql->product = b2b__book_product(r->book, l->sku.s, l->sku.len);
		if (ql->product == B2B__NONE)
			rc = prob(r, CODE_UNKNOWN_SKU, li, field_path(r, li, "sku"), "unknown sku '%.*s%s'",
			          SHOW(&l->sku));
	} else if (!l->sku.bad) {
		rc = prob(r, CODE_MALFORMED, li, field_path(r, li, "sku"),
		          "sku: required field is missing");
	}
	if (rc < 0)
		return rc;

	if (given(&l->qty)) {
		if (read_dec(r, &ql->qty, &l->qty, li, "qty", &rc) == 0) {
			if (b2b_dec_sign(ql->qty) <= 0)
				rc = prob(r, CODE_QTY_NOT_POSITIVE, li, field_path(r, li, "qty"),
				          "qty '%.*s%s' is not positive", SHOW(&l->qty));
			else if ((ql->qty_text = dec_text(r->ctx, ql->qty, b2b__written_scale(l->qty.s, l->qty.len, l->qty.number),
			                                  B2B_ROUND_HALF_UP)) == NULL)
				rc = B2B_ENOMEM;
		}
	} else if (!l->qty.bad) {
		rc = prob(r, CODE_MALFORMED, li, field_path(r, li, "qty"),
		          "qty: required field is missing");
	}
	if (rc < 0)
		return rc;

	*has_requested = 0;
	if (given(&l->requested)) {
		if (read_dec(r, requested, &l->requested, li, "requested_unit_price", &rc) == 0) {
			if (b2b_dec_sign(*requested) < 0)
				rc = prob(r, CODE_NEGATIVE_PRICE, li,
				          field_path(r, li, "requested_unit_price"),
				          "requested_unit_price '%.*s%s' is negative", SHOW(&l->requested));
			else
				*has_requested = 1;
		}
	}
	return rc;
}

static int
price_line(run *r, size_t i, b2b_dec requested, int has_requested)
{
	const b2b_book *book = r->book;
	b2b_quote *q = r->q;
	b2b__qline *ql = &q->lines[i];
	const b2b__product *p = &book->products[ql->product];
	b2b__line_in in;
	long li = (long)i;
	char tbuf[B2B_TIME_FORMAT_MAX];
	int rc;

	memset(&in, 0, sizeof(in));
	in.customer = r->cust;
	in.product = ql->product;
	in.qty = ql->qty;
	in.currency = r->cur;
	in.as_of = q->as_of.sec;
	in.channel = q->channel;
	in.channel_len = q->channel_len;
	in.codes = q->codes;
	in.code_lens = q->code_lens;
	in.ncodes = q->ncodes;
	in.has_requested = has_requested;
	in.requested = requested;
	in.trace = !r->notrace;
	in.explain = q->explain && !r->notrace;
	if (!r->memo_ready) {
		b2b__price_memo_init(&r->memo, book);
		r->memo_ready = 1;
	}
	in.memo = &r->memo;
	rc = b2b__price_line(&ql->lo, r->ctx, book, &in);
	if (rc == B2B_EOVERFLOW)
		return overflow(r, li, "the price");
	if (rc < 0)
		return rc;
	switch (ql->lo.problem) {
	case B2B__PROBLEM_NONE:
		return 0;
	case B2B__PROBLEM_NO_FX_RATE:
		time_text(tbuf, sizeof(tbuf), q->as_of);
		return prob(r, CODE_NO_FX_RATE, li, field_path(r, li, "sku"),
		            "no FX rate from %s to %s valid at %s for sku '%.*s%s'",
		            currency_of(book, p->currency)->code, currency_of(book, r->cur)->code,
		            tbuf, B2B__SHOWN(ql->sku, ql->sku_len, 80));
	case B2B__PROBLEM_NEGATIVE_REQUESTED:
		return prob(r, CODE_NEGATIVE_PRICE, li, field_path(r, li, "requested_unit_price"),
		            "requested_unit_price is negative");
	default:
		return prob(r, CODE_NEGATIVE_PRICE, li, field_path(r, li, "sku"),
		            "a pricing step gives a negative price for sku '%.*s%s'",
		            B2B__SHOWN(ql->sku, ql->sku_len, 80));
	}
}

/* A base-currency book amount in K (SPEC §3, §9.5): 0, or 1 after a
 * document-level NO_FX_RATE problem was recorded (*rcp < 0: no memory). */
static int
to_doc_currency(run *r, b2b_dec *out, b2b_dec v, const char *what, int *rcp)
{
	const b2b_book *book = r->book;
	uint16_t base = book->settings.base_currency, sf, st;
	char tbuf[B2B_TIME_FORMAT_MAX];

	*rcp = 0;
	if (r->cur == base) {
		*out = v;
		return 0;
	}
	if (r->fx_state == 0)
		r->fx_state = b2b__book_fx(book, base, r->cur, r->q->as_of.sec, &r->fx_rate, &sf,
		                           &st) == 0 ? 1 : -1;
	if (r->fx_state < 0) {
		if (!r->fx_reported) {
			r->fx_reported = 1;
			time_text(tbuf, sizeof(tbuf), r->q->as_of);
			*rcp = prob(r, CODE_NO_FX_RATE, -1, "currency",
			            "no FX rate from %s to %s valid at %s (needed for %s)",
			            currency_of(book, base)->code, currency_of(book, r->cur)->code, tbuf,
			            what);
		}
		return 1;
	}
	*rcp = b2b__r9_mul(out, book, v, r->fx_rate);
	if (*rcp == B2B_EOVERFLOW)
		*rcp = overflow(r, -1, what);
	return *rcp < 0 ? 1 : 0;
}

static int
code_requested(const b2b_quote *q, const char *code)
{
	size_t i, n = strlen(code);

	for (i = 0; i < q->ncodes; i++)
		if (q->code_lens[i] == n && memcmp(q->codes[i], code, n) == 0)
			return 1;
	return 0;
}

static int
promo_eligible(run *r, const b2b__promo *p)
{
	const b2b_book *book = r->book;
	const b2b__customer *c = &book->customers[r->cust];

	if (p->code != 0 && !code_requested(r->q, b2b__s(book, p->code)))
		return 0;
	if (!b2b__window_has(&p->window, r->q->as_of.sec))
		return 0;
	if (p->segment != 0 &&
	    (c->segment == 0 || strcmp(b2b__s(book, p->segment), b2b__s(book, c->segment)) != 0))
		return 0;
	return 1;
}

/* SPEC §5.7: order promotions, the cap, and discounts in applied order. */
static int
order_promotions(run *r)
{
	const b2b_book *book = r->book;
	b2b_quote *q = r->q;
	b2b__range range = b2b__book_order_promos(book);
	b2b_dec remaining = q->subtotal, sum = { 0, 0 }, cap, excess, cut, v;
	b2b__discount *d;
	size_t k, n = 0;
	int rc;

	if (range.n == 0)
		return 0;
	d = b2b__arena_calloc(r->ctx, range.n, sizeof(*d));
	if (d == NULL)
		return B2B_ENOMEM;
	for (k = 0; k < range.n; k++) {
		const b2b__promo *p = &book->promos[book->u32[range.off + k]];
		const char *id = b2b__s(book, p->id);

		if (!promo_eligible(r, p))
			continue;
		if (p->min_subtotal.set) {
			if (to_doc_currency(r, &v, p->min_subtotal.v, "an order promotion's min_subtotal",
			                    &rc) != 0) {
				if (rc < 0)
					return rc;
				continue;
			}
			if (b2b_dec_cmp(q->subtotal, v) < 0)
				continue;     /* on the *original* subtotal */
		}
		if (p->exclusive && n > 0)
			continue;         /* exclusive_blocked */
		if (p->kind == B2B__PROMO_ORDER_PERCENT) {
			OVF(b2b_dec_percent(&cut, remaining, p->value.v, q->minor, q->mode), -1,
			    "an order discount");
		} else {
			if (to_doc_currency(r, &v, p->value.v, "an order_amount promotion's value",
			                    &rc) != 0) {
				if (rc < 0)
					return rc;
				continue;
			}
			OVF(b2b_dec_round(&cut, v, q->minor, q->mode), -1, "an order discount");
			if (b2b_dec_cmp(cut, remaining) > 0)
				cut = remaining;
		}
		if (b2b_dec_sign(cut) <= 0)
			continue;         /* a promotion applies only if it lowers */
		OVF(b2b_dec_sub(&remaining, remaining, cut), -1, "an order discount");
		OVF(b2b_dec_add(&sum, sum, cut), -1, "an order discount");
		d[n].promotion = id;
		d[n].amount = cut;
		n++;
		if (p->exclusive)
			break;
	}
	/* the cap: subtotal × max_discount_percent ÷ 100, rounded down; the
	 * last cuts are trimmed first, a cut trimmed to 0 is left out */
	OVF(b2b_dec_percent(&cap, q->subtotal, book->settings.max_discount_percent, q->minor,
	                    B2B_ROUND_DOWN), -1, "the discount cap");
	if (b2b_dec_cmp(sum, cap) > 0) {
		OVF(b2b_dec_sub(&excess, sum, cap), -1, "the discount cap");
		while (n > 0 && b2b_dec_sign(excess) > 0) {
			b2b__discount *last = &d[n - 1];
			if (b2b_dec_cmp(last->amount, excess) <= 0) {
				OVF(b2b_dec_sub(&excess, excess, last->amount), -1, "the discount cap");
				n--;
			} else {
				OVF(b2b_dec_sub(&last->amount, last->amount, excess), -1,
				    "the discount cap");
				excess.lo = 0;
				excess.hi = 0;
			}
		}
		sum = cap;
	}
	q->discounts = d;
	q->ndiscounts = n;
	q->discount_total = sum;
	return 0;
}

static int
dec_percent_of(b2b_dec *out, b2b_dec part, b2b_dec whole, b2b_rounding mode)
{
	b2b_dec num;
	int rc;

	if (b2b_dec_sign(whole) == 0) {
		out->lo = 0;
		out->hi = 0;
		return 0;
	}
	if ((rc = b2b_dec_mul(&num, part, b2b__dec_from_int(100), B2B_DEC_SCALE, mode)) < 0)
		return rc;
	return b2b_dec_div(out, num, whole, 2, mode);
}

/* SPEC §5.7 taxes: the rate per line, per-line or per-document rounding. */
static int
taxes(run *r)
{
	const b2b_book *book = r->book;
	b2b_quote *q = r->q;
	const char *region = q->ship_to != NULL ? q->ship_to : "";
	size_t region_len = q->ship_to != NULL ? q->ship_to_len : 0;
	size_t i, j, k, nrates = 0;
	b2b__taxrow *rows;
	b2b_dec *w, *parts;
	size_t *members;

	rows = b2b__arena_calloc(r->ctx, q->nlines, sizeof(*rows));
	w = b2b__arena_calloc(r->ctx, q->nlines, sizeof(*w));
	parts = b2b__arena_calloc(r->ctx, q->nlines, sizeof(*parts));
	members = b2b__arena_calloc(r->ctx, q->nlines, sizeof(*members));
	if (rows == NULL || w == NULL || parts == NULL || members == NULL)
		return B2B_ENOMEM;
	for (i = 0; i < q->nlines; i++) {
		b2b__qline *l = &q->lines[i];
		const b2b__product *p = &book->products[l->product];

		l->rate = b2b__book_tax_rate(book, p->tax_class, region, region_len);
		/* distinct rates, ascending (insertion) */
		for (j = 0; j < nrates && b2b_dec_cmp(rows[j].rate, l->rate) < 0; j++)
			;
		if (j == nrates || b2b_dec_cmp(rows[j].rate, l->rate) != 0) {
			memmove(&rows[j + 1], &rows[j], (nrates - j) * sizeof(*rows));
			memset(&rows[j], 0, sizeof(*rows));
			rows[j].rate = l->rate;
			nrates++;
		}
		if (!book->settings.tax_document)
			OVF(b2b_dec_percent(&l->tax, l->net, l->rate, q->minor, q->mode), (long)i,
			    "the tax");
	}
	for (k = 0; k < nrates; k++) {
		size_t m = 0;
		for (i = 0; i < q->nlines; i++) {
			if (b2b_dec_cmp(q->lines[i].rate, rows[k].rate) != 0)
				continue;
			members[m] = i;
			w[m] = q->lines[i].net;
			m++;
			OVF(b2b_dec_add(&rows[k].base, rows[k].base, q->lines[i].net), -1, "a tax base");
		}
		if (book->settings.tax_document) {
			b2b_dec t;
			OVF(b2b_dec_percent(&t, rows[k].base, rows[k].rate, q->minor, q->mode), -1,
			    "the tax");
			OVF(b2b_dec_allocate(parts, t, w, m, q->minor), -1, "the tax");
			for (j = 0; j < m; j++)
				q->lines[members[j]].tax = parts[j];
		}
		for (j = 0; j < m; j++)
			OVF(b2b_dec_add(&rows[k].amount, rows[k].amount, q->lines[members[j]].tax), -1,
			    "a tax amount");
	}
	q->taxes = rows;
	q->ntaxes = nrates;
	return 0;
}

static int
add_reason(run *r, size_t *cap, const char *rule, long line, b2b_dec value, int scale,
           int level)
{
	b2b_quote *q = r->q;
	b2b__reason *x;

	if (b2b__arena_grow(r->ctx, (void **)&q->reasons, cap, q->nreasons + 1, sizeof(*q->reasons)) < 0)
		return B2B_ENOMEM;
	x = &q->reasons[q->nreasons++];
	x->rule = rule;
	x->line = line;
	x->value = value;
	x->scale = scale;
	if (level > q->level)
		q->level = level;
	return 0;
}

/* SPEC §6 approval, §9.18 values. */
static int
approval(run *r, b2b_dec quote_discount)
{
	const b2b_book *book = r->book;
	b2b_quote *q = r->q;
	size_t k, i, cap = 0;
	b2b_dec v;
	int rc, level;

	for (k = 0; k < book->napprovals; k++) {
		const b2b__approval *a = &book->approvals[k];
		const char *id = b2b__s(book, a->id);

		switch (a->metric) {
		case B2B__METRIC_LINE_DISCOUNT:
			for (i = 0; i < q->nlines; i++)
				if (b2b_dec_cmp(q->lines[i].dpct, a->threshold) > 0 &&
				    (rc = add_reason(r, &cap, id, (long)i, q->lines[i].dpct, 2, a->level)) < 0)
					return rc;
			break;
		case B2B__METRIC_QUOTE_DISCOUNT:
			if (b2b_dec_cmp(quote_discount, a->threshold) > 0 &&
			    (rc = add_reason(r, &cap, id, -1, quote_discount, 2, a->level)) < 0)
				return rc;
			break;
		case B2B__METRIC_MARGIN_BELOW:
			if (q->has_margin && b2b_dec_cmp(q->margin_percent, a->threshold) < 0 &&
			    (rc = add_reason(r, &cap, id, -1, q->margin_percent, 2, a->level)) < 0)
				return rc;
			break;
		case B2B__METRIC_TOTAL_ABOVE:
			if (to_doc_currency(r, &v, a->threshold, "a quote_total_above threshold", &rc) != 0) {
				if (rc < 0)
					return rc;
				break;
			}
			if (b2b_dec_cmp(q->total, v) > 0 &&
			    (rc = add_reason(r, &cap, id, -1, q->total, q->minor, a->level)) < 0)
				return rc;
			break;
		default:
			break;
		}
	}
	level = book->max_approval_level > 0 ? book->max_approval_level : 1;
	for (i = 0; i < q->nlines; i++)
		if (q->lines[i].lo.below_floor &&
		    (rc = add_reason(r, &cap, "below_floor", (long)i, q->lines[i].lo.unit_price,
		                     q->upd, level)) < 0)
			return rc;
	return 0;
}

/* SPEC §5.7: the document figures of a quote whose lines are all priced. */
static int
document(run *r)
{
	const b2b_book *book = r->book;
	b2b_quote *q = r->q;
	size_t i, n = q->nlines;
	b2b_dec *w, *parts, zero = { 0, 0 };
	b2b_dec lq = zero, cnet = zero, cmargin = zero, net_total, x;
	int rc;

	w = b2b__arena_calloc(r->ctx, n, sizeof(*w));
	parts = b2b__arena_calloc(r->ctx, n, sizeof(*parts));
	if (w == NULL || parts == NULL)
		return B2B_ENOMEM;
	for (i = 0; i < n; i++) {
		b2b__qline *l = &q->lines[i];
		OVF(b2b_dec_mul(&l->amount, l->lo.unit_price, l->qty, q->minor, q->mode), (long)i,
		    "the amount");
		OVF(b2b_dec_add(&q->subtotal, q->subtotal, l->amount), (long)i, "the subtotal");
		w[i] = l->amount;
	}
	if ((rc = order_promotions(r)) < 0 || r->nprobs > 0)
		return rc;
	OVF(b2b_dec_allocate(parts, q->discount_total, w, n, q->minor), -1, "the order discount");
	for (i = 0; i < n; i++) {
		q->lines[i].od = parts[i];
		OVF(b2b_dec_sub(&q->lines[i].net, q->lines[i].amount, parts[i]), (long)i,
		    "the net amount");
	}
	if ((rc = taxes(r)) < 0)
		return rc;
	q->discount_total = zero;
	for (i = 0; i < n; i++) {
		b2b__qline *l = &q->lines[i];

		OVF(b2b_dec_add(&l->total, l->net, l->tax), (long)i, "the line total");
		OVF(b2b_dec_add(&q->discount_total, q->discount_total, l->od), -1, "a total");
		OVF(b2b_dec_add(&q->tax_total, q->tax_total, l->tax), -1, "a total");
		OVF(b2b_dec_add(&q->total, q->total, l->total), -1, "a total");
		if (l->lo.cost.set) {
			l->has_cost = 1;
			OVF(b2b_dec_mul(&l->cost, l->lo.cost.v, l->qty, q->minor, q->mode), (long)i,
			    "the cost");
			OVF(b2b_dec_sub(&l->margin, l->net, l->cost), (long)i, "the margin");
			OVF(b2b_dec_add(&cnet, cnet, l->net), -1, "a total");
			OVF(b2b_dec_add(&cmargin, cmargin, l->margin), -1, "a total");
			q->has_margin = 1;
		}
		if (b2b_dec_sign(l->lo.list_price_rounded) != 0) {
			OVF(b2b_dec_sub(&x, l->lo.list_price_rounded, l->lo.unit_price), (long)i,
			    "the discount");
			OVF(dec_percent_of(&l->dpct, x, l->lo.list_price_rounded, q->mode), (long)i,
			    "the discount percent");
		}
		OVF(b2b_dec_mul(&x, l->lo.list_price_rounded, l->qty, B2B_DEC_SCALE, q->mode),
		    (long)i, "the list amount");
		OVF(b2b_dec_add(&lq, lq, x), -1, "the list amount");
	}
	if (q->has_margin) {
		q->margin = cmargin;
		OVF(dec_percent_of(&q->margin_percent, cmargin, cnet, q->mode), -1,
		    "the margin percent");
	}
	/* quote_discount_percent (§6, §9.12): 0 when Σ list_price × Q is 0 */
	OVF(b2b_dec_sub(&net_total, q->subtotal, q->discount_total), -1, "a total");
	OVF(b2b_dec_sub(&x, lq, net_total), -1, "the quote discount");
	OVF(dec_percent_of(&x, x, lq, q->mode), -1, "the quote discount");
	if ((rc = approval(r, x)) < 0 || r->nprobs > 0)
		return rc;
	if (q->cash) {
		const b2b__currency *c = currency_of(book, r->cur);

		if (c->cash_increment.set && b2b_dec_sign(c->cash_increment.v) > 0)
			OVF(b2b_dec_round_multiple(&q->payable, q->total, c->cash_increment.v, q->mode),
			    -1, "the payable amount");
		else
			q->payable = q->total;
		OVF(b2b_dec_sub(&q->cash_adjustment, q->payable, q->total), -1,
		    "the cash adjustment");
	}
	return 0;
}

/* SPEC §4 "Price": amount and discount percent of the one line. */
static int
price_figures(run *r)
{
	b2b_quote *q = r->q;
	b2b__qline *l = &q->lines[0];
	b2b_dec x;

	OVF(b2b_dec_mul(&l->amount, l->lo.unit_price, l->qty, q->minor, q->mode), 0, "the amount");
	if (b2b_dec_sign(l->lo.list_price_rounded) != 0) {
		OVF(b2b_dec_sub(&x, l->lo.list_price_rounded, l->lo.unit_price), 0, "the discount");
		OVF(dec_percent_of(&l->dpct, x, l->lo.list_price_rounded, q->mode), 0,
		    "the discount percent");
	}
	return 0;
}

static int
add_warning(run *r, size_t *cap, const char *code, long line, const char *message)
{
	b2b_quote *q = r->q;
	b2b__warning *w;

	if (message == NULL ||
	    b2b__arena_grow(r->ctx, (void **)&q->warnings, cap, q->nwarnings + 1, sizeof(*w)) < 0)
		return B2B_ENOMEM;
	w = &q->warnings[q->nwarnings++];
	w->code = code;
	w->line = line;
	w->message = message;
	return 0;
}

/* SPEC §9.9, §9.21: UNKNOWN_CODE per distinct code in codes order, then
 * INACTIVE_SKU by line. */
static int
warnings(run *r)
{
	const b2b_book *book = r->book;
	b2b_quote *q = r->q;
	size_t i, j, cap = 0;
	int rc;

	for (i = 0; i < q->ncodes; i++) {
		for (j = 0; j < i; j++)
			if (q->code_lens[j] == q->code_lens[i] &&
			    memcmp(q->codes[j], q->codes[i], q->code_lens[i]) == 0)
				break;
		if (j < i || b2b__book_promos_by_code(book, q->codes[i], q->code_lens[i]) > 0)
			continue;
		rc = add_warning(r, &cap, "UNKNOWN_CODE", -1,
		                 b2b__arena_printf(r->ctx, "no promotion has the code '%.*s%s'",
		                                   B2B__SHOWN(q->codes[i], q->code_lens[i], 80)));
		if (rc < 0)
			return rc;
	}
	for (i = 0; i < q->nlines; i++) {
		const b2b__qline *l = &q->lines[i];

		if (!(book->products[l->product].flags & B2B__P_INACTIVE))
			continue;
		rc = add_warning(r, &cap, "INACTIVE_SKU", q->kind == B2B__REQ_QUOTE ? (long)i : -1,
		                 b2b__arena_printf(r->ctx, "sku '%.*s%s' is inactive; priced all the same",
		                                   B2B__SHOWN(l->sku, l->sku_len, 80)));
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int
finish_errors(run *r)
{
	b2b_quote *q = r->q;
	size_t i, n = 0;

	qsort(r->probs, r->nprobs, sizeof(*r->probs), prob_cmp);
	for (i = 0; i < r->nprobs; i++) {
		if (n > 0 && r->probs[n - 1].line == r->probs[i].line &&
		    strcmp(r->probs[n - 1].code, r->probs[i].code) == 0 &&
		    strcmp(r->probs[n - 1].path, r->probs[i].path) == 0)
			continue;
		r->probs[n++] = r->probs[i];
	}
	q->errors = r->probs;
	q->nerrors = n;
	return 0;
}

static int
run_all(run *r, uint32_t flags)
{
	const b2b_quote_request *req = r->req;
	const b2b_book *book = r->book;
	b2b_quote *q = r->q;
	size_t i, n;
	int rc, header_ok;

	q->kind = req->kind;
	q->book = book;
	q->fingerprint = b2b_book_fingerprint(book);
	q->upd = book->settings.unit_price_decimals;
	q->mode = book->settings.rounding;
	q->explain = req->explain || (flags & B2B_QUOTE_EXPLAIN) || req->kind == B2B__REQ_PRICE;
	q->cash = req->cash_rounding;
	q->codes_given = req->codes_given;

	/* codes as given (the ones the JSON stage could read) */
	q->codes = b2b__arena_calloc(r->ctx, req->ncodes + 1, sizeof(*q->codes));
	q->code_lens = b2b__arena_calloc(r->ctx, req->ncodes + 1, sizeof(*q->code_lens));
	if (q->codes == NULL || q->code_lens == NULL)
		return B2B_ENOMEM;
	for (i = 0, n = 0; i < req->ncodes; i++) {
		if (!given(&req->codes[i]))
			continue;
		q->codes[n] = req->codes[i].s;
		q->code_lens[n] = req->codes[i].len;
		n++;
	}
	q->ncodes = n;

	q->nlines = req->nlines;
	q->lines = b2b__arena_calloc(r->ctx, req->nlines + 1, sizeof(*q->lines));
	r->lprobs = b2b__arena_calloc(r->ctx, req->nlines + 1, sizeof(*r->lprobs));
	if (q->lines == NULL || r->lprobs == NULL)
		return B2B_ENOMEM;
	for (i = 0; i < req->nlines; i++)
		r->lprobs[i] = req->lines[i].nproblems;
	if (req->nproblems > 0) {
		if (b2b__arena_grow(r->ctx, (void **)&r->probs, &r->probs_cap, req->nproblems,
		               sizeof(*r->probs)) < 0)
			return B2B_ENOMEM;
		memcpy(r->probs, req->problems, req->nproblems * sizeof(*r->probs));
		r->nprobs = r->seq = req->nproblems;
	}

	if ((rc = check_header(r)) < 0)
		return rc;
	header_ok = r->cust != B2B__NONE && r->as_of_ok && r->cur_ok;
	if (r->cur_ok) {
		q->currency = currency_of(book, r->cur)->code;
		q->minor = currency_of(book, r->cur)->minor_units;
	}
	for (i = 0; i < req->nlines; i++) {
		b2b_dec requested = { 0, 0 };
		int has_requested = 0;

		if ((rc = check_line(r, i, &requested, &has_requested)) < 0)
			return rc;
		if (header_ok && r->lprobs[i] == 0 &&
		    (rc = price_line(r, i, requested, has_requested)) < 0)
			return rc;
	}
	if (r->nprobs == 0) {
		rc = req->kind == B2B__REQ_QUOTE ? document(r) : price_figures(r);
		if (rc < 0)
			return rc;
	}
	if (r->nprobs > 0)
		return finish_errors(r);
	return warnings(r);
}

int
b2b__quote_run(b2b_quote **out, b2b_ctx *ctx, const b2b_book *book,
               const b2b_quote_request *req, uint32_t flags)
{
	run r;
	int rc;

	memset(&r, 0, sizeof(r));
	r.ctx = ctx;
	r.book = book;
	r.notrace = (flags & B2B__QUOTE_NO_TRACE) != 0;
	r.req = req;
	r.kind = req->kind;
	r.cust = B2B__NONE;
	r.q = b2b__arena_calloc(ctx, 1, sizeof(struct b2b_price));
	if (r.q == NULL)
		return b2b__ctx_seterr(ctx, B2B_ENOMEM, "out of memory");
	rc = run_all(&r, flags);
	if (rc == B2B_ENOMEM)
		return b2b__ctx_seterr(ctx, B2B_ENOMEM, "out of memory");
	if (rc < 0)
		return rc;
	*out = r.q;
	return 0;
}

int
b2b_quote_compute(const b2b_quote **out, b2b_ctx *ctx, const b2b_book *book,
                  const b2b_quote_request *req, const b2b_quote_options *opts)
{
	b2b_quote *q = NULL;
	uint32_t flags = 0;
	int rc;

	if (out == NULL)
		return B2B_EINVAL;
	*out = NULL;
	if (ctx == NULL)
		return B2B_EINVAL;
	if (book == NULL || req == NULL)
		return b2b__ctx_seterr(ctx, B2B_EINVAL, "b2b_quote_compute: NULL argument");
	if (req->ctx != ctx || req->kind != B2B__REQ_QUOTE)
		return b2b__ctx_seterr(ctx, B2B_EINVAL,
		                       "b2b_quote_compute: the request was built on another ctx");
	if (opts != NULL) {
		if ((rc = b2b__opts_check(ctx, "b2b_quote_options", opts->version,
		                          B2B_QUOTE_OPTIONS_VERSION, opts->flags,
		                          B2B_QUOTE_EXPLAIN)) < 0)
			return rc;
		flags = opts->flags;
	}
	if ((rc = b2b__quote_run(&q, ctx, book, req, flags)) < 0)
		return rc;
	*out = q;
	return 0;
}

int
b2b_price_compute(const b2b_price **out, b2b_ctx *ctx, const b2b_book *book,
                  const b2b_price_request *req, const b2b_price_options *opts)
{
	b2b_quote *q = NULL;
	int rc;

	if (out == NULL)
		return B2B_EINVAL;
	*out = NULL;
	if (ctx == NULL)
		return B2B_EINVAL;
	if (book == NULL || req == NULL)
		return b2b__ctx_seterr(ctx, B2B_EINVAL, "b2b_price_compute: NULL argument");
	if (req->q.ctx != ctx || req->q.kind != B2B__REQ_PRICE)
		return b2b__ctx_seterr(ctx, B2B_EINVAL,
		                       "b2b_price_compute: the request was built on another ctx");
	if (opts != NULL &&
	    (rc = b2b__opts_check(ctx, "b2b_price_options", opts->version,
	                          B2B_PRICE_OPTIONS_VERSION, opts->flags, 0)) < 0)
		return rc;
	if ((rc = b2b__quote_run(&q, ctx, book, &req->q, 0)) < 0)
		return rc;
	*out = (const b2b_price *)(const void *)q;
	return 0;
}
