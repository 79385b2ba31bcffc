/*
 * libb2bcore — the public surface of quotes and prices around the
 * computation in quote.c: the request builder calls and the accessors of
 * results (b2b/quote.h, b2b/price.h).
 * SPDX-License-Identifier: MIT
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ctx_int.h"
#include "opts.h"
#include "quote_int.h"

/*===========================================================================
 * MARK: - requests
 *===========================================================================*/

int
b2b__qreq_new(b2b_quote_request **out, b2b_ctx *ctx, int kind)
{
	b2b_quote_request *req;

	if (out == NULL)
		return B2B_EINVAL;
	*out = NULL;
	if (ctx == NULL)
		return B2B_EINVAL;
	/* a price request is a quote request of kind PRICE (same layout) */
	req = b2b__arena_calloc(ctx, 1, sizeof(struct b2b_price_request));
	if (req == NULL)
		return b2b__ctx_seterr(ctx, B2B_ENOMEM, "out of memory");
	req->ctx = ctx;
	req->kind = kind;
	if (kind == B2B__REQ_PRICE && b2b__qreq_line_slot(req) == NULL)
		return b2b__ctx_seterr(ctx, B2B_ENOMEM, "out of memory");
	*out = req;
	return 0;
}

int
b2b__qreq_set(b2b_quote_request *req, b2b__rfield *f, const char *s, size_t len, int number)
{
	char *p;

	if (s == NULL) {
		memset(f, 0, sizeof(*f));
		return 0;
	}
	p = b2b__ctx_strndup(req->ctx, s, len);
	if (p == NULL)
		return b2b__ctx_seterr(req->ctx, B2B_ENOMEM, "out of memory");
	f->s = p;
	f->len = len;
	f->bad = 0;
	f->number = number != 0;
	return 0;
}

b2b__rfield *
b2b__qreq_code_slot(b2b_quote_request *req)
{
	b2b__rfield *f;

	if (b2b__arena_grow(req->ctx, (void **)&req->codes, &req->codes_cap, req->ncodes + 1,
	               sizeof(*req->codes)) < 0)
		return NULL;
	f = &req->codes[req->ncodes++];
	memset(f, 0, sizeof(*f));
	req->codes_given = 1;
	return f;
}

b2b__rline *
b2b__qreq_line_slot(b2b_quote_request *req)
{
	b2b__rline *l;

	if (b2b__arena_grow(req->ctx, (void **)&req->lines, &req->lines_cap, req->nlines + 1,
	               sizeof(*req->lines)) < 0)
		return NULL;
	l = &req->lines[req->nlines++];
	memset(l, 0, sizeof(*l));
	req->lines_given = 1;
	return l;
}

int
b2b__qreq_problem(b2b_quote_request *req, const char *code, const char *path, long line,
                  const char *fmt, ...)
{
	b2b__problem *p;
	char buf[512];
	va_list ap;

	if (b2b__arena_grow(req->ctx, (void **)&req->problems, &req->problems_cap,
	               req->nproblems + 1, sizeof(*req->problems)) < 0)
		return B2B_ENOMEM;
	p = &req->problems[req->nproblems];
	va_start(ap, fmt);
	b2b__text_vformat(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	p->code = code;
	p->path = b2b__ctx_strndup(req->ctx, path, strlen(path));
	p->message = b2b__ctx_strndup(req->ctx, buf, strlen(buf));
	if (p->path == NULL || p->message == NULL)
		return B2B_ENOMEM;
	p->line = line;
	p->seq = req->nproblems++;
	if (line >= 0 && (size_t)line < req->nlines)
		req->lines[line].nproblems++;
	return 0;
}

static int
set_text(b2b_quote_request *req, b2b__rfield *f, const char *value)
{
	return b2b__qreq_set(req, f, value, value != NULL ? strlen(value) : 0, 0);
}

/* Bytes of each options struct each version knows (index 0 unused). */
static const size_t QUOTE_OPTS_SIZE[] = { 0, sizeof(b2b_quote_options) };
static const size_t PRICE_OPTS_SIZE[] = { 0, sizeof(b2b_price_options) };

int
b2b_quote_options_init(b2b_quote_options *opts, unsigned int version)
{
	static const b2b_quote_options defaults = B2B_QUOTE_OPTIONS_INIT;

	return b2b__opts_init(opts, version, &defaults, QUOTE_OPTS_SIZE, B2B_QUOTE_OPTIONS_VERSION);
}

int
b2b_price_options_init(b2b_price_options *opts, unsigned int version)
{
	static const b2b_price_options defaults = B2B_PRICE_OPTIONS_INIT;

	return b2b__opts_init(opts, version, &defaults, PRICE_OPTS_SIZE, B2B_PRICE_OPTIONS_VERSION);
}

int
b2b_quote_request_new(b2b_quote_request **out, b2b_ctx *ctx)
{
	return b2b__qreq_new(out, ctx, B2B__REQ_QUOTE);
}

#define QREQ_SETTER(field)                                                          \
	int b2b_quote_request_set_##field(b2b_quote_request *req, const char *value)   \
	{                                                                               \
		if (req == NULL || req->kind != B2B__REQ_QUOTE)                         \
			return B2B_EINVAL;                                              \
		return set_text(req, &req->field, value);                               \
	}

QREQ_SETTER(quote_id)
QREQ_SETTER(customer)
QREQ_SETTER(as_of)
QREQ_SETTER(currency)
QREQ_SETTER(channel)
QREQ_SETTER(ship_to)
QREQ_SETTER(valid_until)

int
b2b_quote_request_set_explain(b2b_quote_request *req, int on)
{
	if (req == NULL || req->kind != B2B__REQ_QUOTE)
		return B2B_EINVAL;
	req->explain = on != 0;
	return 0;
}

int
b2b_quote_request_set_cash_rounding(b2b_quote_request *req, int on)
{
	if (req == NULL || req->kind != B2B__REQ_QUOTE)
		return B2B_EINVAL;
	req->cash_rounding = on != 0;
	return 0;
}

static int
add_code(b2b_quote_request *req, const char *code)
{
	b2b__rfield *f;

	f = b2b__qreq_code_slot(req);
	if (f == NULL)
		return b2b__ctx_seterr(req->ctx, B2B_ENOMEM, "out of memory");
	return set_text(req, f, code);
}

int
b2b_quote_request_add_code(b2b_quote_request *req, const char *code)
{
	if (req == NULL || code == NULL || req->kind != B2B__REQ_QUOTE)
		return B2B_EINVAL;
	return add_code(req, code);
}

int
b2b_quote_request_add_line(b2b_quote_request *req, const char *sku, const char *qty,
                           const char *requested_unit_price)
{
	b2b__rline *l;
	int rc;

	if (req == NULL || req->kind != B2B__REQ_QUOTE)
		return B2B_EINVAL;
	l = b2b__qreq_line_slot(req);
	if (l == NULL)
		return b2b__ctx_seterr(req->ctx, B2B_ENOMEM, "out of memory");
	if ((rc = set_text(req, &l->sku, sku)) < 0 || (rc = set_text(req, &l->qty, qty)) < 0 ||
	    (rc = set_text(req, &l->requested, requested_unit_price)) < 0)
		return rc;
	return 0;
}

int
b2b_price_request_new(b2b_price_request **out, b2b_ctx *ctx)
{
	return b2b__qreq_new((b2b_quote_request **)(void *)out, ctx, B2B__REQ_PRICE);
}

#define PREQ_SETTER(name, field)                                                    \
	int b2b_price_request_set_##name(b2b_price_request *req, const char *value)    \
	{                                                                               \
		if (req == NULL)                                                        \
			return B2B_EINVAL;                                              \
		return set_text(&req->q, &req->q.field, value);                         \
	}

PREQ_SETTER(customer, customer)
PREQ_SETTER(as_of, as_of)
PREQ_SETTER(currency, currency)
PREQ_SETTER(channel, channel)
PREQ_SETTER(sku, lines[0].sku)
PREQ_SETTER(qty, lines[0].qty)

int
b2b_price_request_add_code(b2b_price_request *req, const char *code)
{
	if (req == NULL || code == NULL)
		return B2B_EINVAL;
	return add_code(&req->q, code);
}

/*===========================================================================
 * MARK: - accessors
 *===========================================================================*/

static const b2b_dec DEC_ZERO = { 0, 0 };

static int
ok(const b2b_quote *q)
{
	return q != NULL && q->nerrors == 0;
}

static const b2b__qline *
qline(const b2b_quote *q, size_t i)
{
	return ok(q) && i < q->nlines ? &q->lines[i] : NULL;
}

int
b2b_quote_ok(const b2b_quote *q)
{
	return ok(q);
}

size_t
b2b_quote_error_count(const b2b_quote *q)
{
	return q != NULL ? q->nerrors : 0;
}

const char *
b2b_quote_error_code(const b2b_quote *q, size_t i)
{
	return q != NULL && i < q->nerrors ? q->errors[i].code : NULL;
}

const char *
b2b_quote_error_path(const b2b_quote *q, size_t i)
{
	return q != NULL && i < q->nerrors ? q->errors[i].path : NULL;
}

const char *
b2b_quote_error_message(const b2b_quote *q, size_t i)
{
	return q != NULL && i < q->nerrors ? q->errors[i].message : NULL;
}

const char *
b2b_quote_id(const b2b_quote *q)
{
	return ok(q) ? q->quote_id : NULL;
}

const char *
b2b_quote_customer(const b2b_quote *q)
{
	return ok(q) ? q->customer : NULL;
}

const char *
b2b_quote_currency(const b2b_quote *q)
{
	return ok(q) ? q->currency : NULL;
}

const char *
b2b_quote_channel(const b2b_quote *q)
{
	return ok(q) ? q->channel : NULL;
}

const char *
b2b_quote_ship_to(const b2b_quote *q)
{
	return ok(q) ? q->ship_to : NULL;
}

size_t
b2b_quote_code_count(const b2b_quote *q)
{
	return ok(q) ? q->ncodes : 0;
}

const char *
b2b_quote_fingerprint(const b2b_quote *q)
{
	return ok(q) ? q->fingerprint : NULL;
}

b2b_quote_state
b2b_quote_status(const b2b_quote *q)
{
	return ok(q) ? B2B_QUOTE_DRAFT : (b2b_quote_state)-1;
}

int64_t
b2b_quote_revision(const b2b_quote *q)
{
	return ok(q) ? 1 : 0;
}

int
b2b_quote_minor_units(const b2b_quote *q)
{
	return ok(q) ? q->minor : 0;
}

int
b2b_quote_unit_price_decimals(const b2b_quote *q)
{
	return ok(q) ? q->upd : 0;
}

b2b_dec
b2b_quote_subtotal(const b2b_quote *q)
{
	return ok(q) ? q->subtotal : DEC_ZERO;
}

b2b_dec
b2b_quote_discount_total(const b2b_quote *q)
{
	return ok(q) ? q->discount_total : DEC_ZERO;
}

b2b_dec
b2b_quote_tax_total(const b2b_quote *q)
{
	return ok(q) ? q->tax_total : DEC_ZERO;
}

b2b_dec
b2b_quote_total(const b2b_quote *q)
{
	return ok(q) ? q->total : DEC_ZERO;
}

int
b2b_quote_approval_level(const b2b_quote *q)
{
	return ok(q) ? q->level : 0;
}

b2b_time
b2b_quote_as_of(const b2b_quote *q)
{
	b2b_time t = { 0, 0, 0 };

	return ok(q) ? q->as_of : t;
}

const char *
b2b_quote_code(const b2b_quote *q, size_t i)
{
	return ok(q) && i < q->ncodes ? q->codes[i] : NULL;
}

int
b2b_quote_valid_until(b2b_time *out, const b2b_quote *q)
{
	if (out == NULL || !ok(q))
		return B2B_EINVAL;
	if (!q->has_valid_until)
		return B2B_ENOTFOUND;
	*out = q->valid_until;
	return 0;
}

static int
opt_get(b2b_dec *out, const b2b_quote *q, int set, b2b_dec v)
{
	if (out == NULL || !ok(q))
		return B2B_EINVAL;
	if (!set)
		return B2B_ENOTFOUND;
	*out = v;
	return 0;
}

int
b2b_quote_margin(b2b_dec *out, const b2b_quote *q)
{
	return opt_get(out, q, q != NULL && q->has_margin, q != NULL ? q->margin : DEC_ZERO);
}

int
b2b_quote_margin_percent(b2b_dec *out, const b2b_quote *q)
{
	return opt_get(out, q, q != NULL && q->has_margin,
	               q != NULL ? q->margin_percent : DEC_ZERO);
}

int
b2b_quote_payable(b2b_dec *out, const b2b_quote *q)
{
	return opt_get(out, q, q != NULL && q->cash, q != NULL ? q->payable : DEC_ZERO);
}

int
b2b_quote_cash_adjustment(b2b_dec *out, const b2b_quote *q)
{
	return opt_get(out, q, q != NULL && q->cash, q != NULL ? q->cash_adjustment : DEC_ZERO);
}

size_t
b2b_quote_discount_count(const b2b_quote *q)
{
	return ok(q) ? q->ndiscounts : 0;
}

const char *
b2b_quote_discount_promotion(const b2b_quote *q, size_t i)
{
	return ok(q) && i < q->ndiscounts ? q->discounts[i].promotion : NULL;
}

b2b_dec
b2b_quote_discount_amount(const b2b_quote *q, size_t i)
{
	return ok(q) && i < q->ndiscounts ? q->discounts[i].amount : DEC_ZERO;
}

size_t
b2b_quote_tax_count(const b2b_quote *q)
{
	return ok(q) ? q->ntaxes : 0;
}

b2b_dec
b2b_quote_tax_rate(const b2b_quote *q, size_t i)
{
	return ok(q) && i < q->ntaxes ? q->taxes[i].rate : DEC_ZERO;
}

b2b_dec
b2b_quote_tax_base(const b2b_quote *q, size_t i)
{
	return ok(q) && i < q->ntaxes ? q->taxes[i].base : DEC_ZERO;
}

b2b_dec
b2b_quote_tax_amount(const b2b_quote *q, size_t i)
{
	return ok(q) && i < q->ntaxes ? q->taxes[i].amount : DEC_ZERO;
}

size_t
b2b_quote_reason_count(const b2b_quote *q)
{
	return ok(q) ? q->nreasons : 0;
}

const char *
b2b_quote_reason_rule(const b2b_quote *q, size_t i)
{
	return ok(q) && i < q->nreasons ? q->reasons[i].rule : NULL;
}

long
b2b_quote_reason_line(const b2b_quote *q, size_t i)
{
	return ok(q) && i < q->nreasons ? q->reasons[i].line : -1;
}

b2b_dec
b2b_quote_reason_value(const b2b_quote *q, size_t i)
{
	return ok(q) && i < q->nreasons ? q->reasons[i].value : DEC_ZERO;
}

size_t
b2b_quote_warning_count(const b2b_quote *q)
{
	return ok(q) ? q->nwarnings : 0;
}

const char *
b2b_quote_warning_code(const b2b_quote *q, size_t i)
{
	return ok(q) && i < q->nwarnings ? q->warnings[i].code : NULL;
}

long
b2b_quote_warning_line(const b2b_quote *q, size_t i)
{
	return ok(q) && i < q->nwarnings ? q->warnings[i].line : -1;
}

const char *
b2b_quote_warning_message(const b2b_quote *q, size_t i)
{
	return ok(q) && i < q->nwarnings ? q->warnings[i].message : NULL;
}

size_t
b2b_quote_line_count(const b2b_quote *q)
{
	return ok(q) ? q->nlines : 0;
}

#define LINE_GET(name, expr)                                          \
	b2b_dec b2b_quote_line_##name(const b2b_quote *q, size_t i)   \
	{                                                             \
		const b2b__qline *l = qline(q, i);                    \
		return l != NULL ? (expr) : DEC_ZERO;                 \
	}

LINE_GET(qty, l->qty)
LINE_GET(list_price, l->lo.list_price_rounded)
LINE_GET(unit_price, l->lo.unit_price)
LINE_GET(amount, l->amount)
LINE_GET(order_discount, l->od)
LINE_GET(net_amount, l->net)
LINE_GET(tax_rate, l->rate)
LINE_GET(tax, l->tax)
LINE_GET(total, l->total)
LINE_GET(discount_percent, l->dpct)
LINE_GET(rebate, l->rebate)

int
b2b_quote_has_rebates(const b2b_quote *q)
{
	return ok(q) && q->has_rebates;
}

b2b_dec
b2b_quote_rebate_total(const b2b_quote *q)
{
	return ok(q) ? q->rebate_total : DEC_ZERO;
}

size_t
b2b_quote_rebate_count(const b2b_quote *q)
{
	return ok(q) ? q->nrebates : 0;
}

const char *
b2b_quote_rebate_agreement(const b2b_quote *q, size_t i)
{
	return ok(q) && i < q->nrebates ? q->rebates[i].agreement : NULL;
}

const char *
b2b_quote_rebate_tier(const b2b_quote *q, size_t i)
{
	return ok(q) && i < q->nrebates ? q->rebates[i].tier : NULL;
}

b2b_dec
b2b_quote_rebate_volume(const b2b_quote *q, size_t i)
{
	return ok(q) && i < q->nrebates ? q->rebates[i].volume : DEC_ZERO;
}

b2b_dec
b2b_quote_rebate_accrual(const b2b_quote *q, size_t i)
{
	return ok(q) && i < q->nrebates ? q->rebates[i].accrual : DEC_ZERO;
}

const char *
b2b_quote_line_sku(const b2b_quote *q, size_t i)
{
	const b2b__qline *l = qline(q, i);

	return l != NULL ? l->sku : NULL;
}

const char *
b2b_quote_line_qty_text(const b2b_quote *q, size_t i)
{
	const b2b__qline *l = qline(q, i);

	return l != NULL ? l->qty_text : NULL;
}

int
b2b_quote_line_cost(b2b_dec *out, const b2b_quote *q, size_t i)
{
	const b2b__qline *l = qline(q, i);

	if (out == NULL || l == NULL)
		return B2B_EINVAL;
	if (!l->has_cost)
		return B2B_ENOTFOUND;
	*out = l->cost;
	return 0;
}

int
b2b_quote_line_margin(b2b_dec *out, const b2b_quote *q, size_t i)
{
	const b2b__qline *l = qline(q, i);

	if (out == NULL || l == NULL)
		return B2B_EINVAL;
	if (!l->has_cost)
		return B2B_ENOTFOUND;
	*out = l->margin;
	return 0;
}

int
b2b_quote_line_protected(const b2b_quote *q, size_t i)
{
	const b2b__qline *l = qline(q, i);

	return l != NULL ? l->lo.protected_ != 0 : 0;
}

int
b2b_quote_line_below_floor(const b2b_quote *q, size_t i)
{
	const b2b__qline *l = qline(q, i);

	return l != NULL ? l->lo.below_floor != 0 : 0;
}

static const b2b__step *
qstep(const b2b_quote *q, size_t i, size_t j)
{
	const b2b__qline *l = qline(q, i);

	return l != NULL && j < l->lo.nsteps ? &l->lo.steps[j] : NULL;
}

static const b2b__cand *
qcand(const b2b_quote *q, size_t i, size_t j)
{
	const b2b__qline *l = qline(q, i);

	return l != NULL && j < l->lo.ncands ? &l->lo.cands[j] : NULL;
}

size_t
b2b_quote_line_step_count(const b2b_quote *q, size_t i)
{
	const b2b__qline *l = qline(q, i);

	return l != NULL ? l->lo.nsteps : 0;
}

const b2b_step *
b2b_quote_line_step(const b2b_quote *q, size_t i, size_t j)
{
	return qstep(q, i, j);
}

size_t
b2b_quote_line_candidate_count(const b2b_quote *q, size_t i)
{
	const b2b__qline *l = qline(q, i);

	return l != NULL ? l->lo.ncands : 0;
}

const b2b_candidate *
b2b_quote_line_candidate(const b2b_quote *q, size_t i, size_t j)
{
	return qcand(q, i, j);
}

/* ---- the one-line price result: a quote of kind PRICE with one line ---- */

static const b2b_quote *
pq(const b2b_price *p)
{
	return p != NULL ? &p->q : NULL;
}

int
b2b_price_ok(const b2b_price *p)
{
	return ok(pq(p));
}

size_t
b2b_price_error_count(const b2b_price *p)
{
	return b2b_quote_error_count(pq(p));
}

const char *
b2b_price_error_code(const b2b_price *p, size_t i)
{
	return b2b_quote_error_code(pq(p), i);
}

const char *
b2b_price_error_path(const b2b_price *p, size_t i)
{
	return b2b_quote_error_path(pq(p), i);
}

const char *
b2b_price_error_message(const b2b_price *p, size_t i)
{
	return b2b_quote_error_message(pq(p), i);
}

const char *
b2b_price_customer(const b2b_price *p)
{
	return b2b_quote_customer(pq(p));
}

const char *
b2b_price_sku(const b2b_price *p)
{
	return b2b_quote_line_sku(pq(p), 0);
}

const char *
b2b_price_currency(const b2b_price *p)
{
	return b2b_quote_currency(pq(p));
}

const char *
b2b_price_channel(const b2b_price *p)
{
	return b2b_quote_channel(pq(p));
}

b2b_time
b2b_price_as_of(const b2b_price *p)
{
	return b2b_quote_as_of(pq(p));
}

b2b_dec
b2b_price_qty(const b2b_price *p)
{
	return b2b_quote_line_qty(pq(p), 0);
}

const char *
b2b_price_qty_text(const b2b_price *p)
{
	return b2b_quote_line_qty_text(pq(p), 0);
}

int
b2b_price_minor_units(const b2b_price *p)
{
	return b2b_quote_minor_units(pq(p));
}

b2b_dec
b2b_price_list_price(const b2b_price *p)
{
	return b2b_quote_line_list_price(pq(p), 0);
}

b2b_dec
b2b_price_unit_price(const b2b_price *p)
{
	return b2b_quote_line_unit_price(pq(p), 0);
}

b2b_dec
b2b_price_amount(const b2b_price *p)
{
	return b2b_quote_line_amount(pq(p), 0);
}

b2b_dec
b2b_price_discount_percent(const b2b_price *p)
{
	return b2b_quote_line_discount_percent(pq(p), 0);
}

int
b2b_price_protected(const b2b_price *p)
{
	return b2b_quote_line_protected(pq(p), 0);
}

int
b2b_price_below_floor(const b2b_price *p)
{
	return b2b_quote_line_below_floor(pq(p), 0);
}

const char *
b2b_price_fingerprint(const b2b_price *p)
{
	return b2b_quote_fingerprint(pq(p));
}

size_t
b2b_price_step_count(const b2b_price *p)
{
	return b2b_quote_line_step_count(pq(p), 0);
}

const b2b_step *
b2b_price_step(const b2b_price *p, size_t j)
{
	return b2b_quote_line_step(pq(p), 0, j);
}

size_t
b2b_price_candidate_count(const b2b_price *p)
{
	return b2b_quote_line_candidate_count(pq(p), 0);
}

const b2b_candidate *
b2b_price_candidate(const b2b_price *p, size_t j)
{
	return b2b_quote_line_candidate(pq(p), 0, j);
}

size_t
b2b_price_warning_count(const b2b_price *p)
{
	return b2b_quote_warning_count(pq(p));
}

const char *
b2b_price_warning_code(const b2b_price *p, size_t i)
{
	return b2b_quote_warning_code(pq(p), i);
}

const char *
b2b_price_warning_message(const b2b_price *p, size_t i)
{
	return b2b_quote_warning_message(pq(p), i);
}

int
b2b_price_floor(b2b_dec *out, const b2b_price *p)
{
	const b2b__qline *l = qline(pq(p), 0);

	if (out == NULL || l == NULL)
		return B2B_EINVAL;
	if (!l->lo.floor.set)
		return B2B_ENOTFOUND;
	*out = l->lo.floor.v;
	return 0;
}
