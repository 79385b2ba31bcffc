/*
 * libb2bcore — the document rules of order validation (SPEC §7): the
 * customer and currency, the quote the order refers to, payment terms,
 * ship_to and codes, the money checks (credit limit, budget, minimum order
 * value, amounts converted to the order's currency) and approval.
 * SPDX-License-Identifier: MIT
 */
#include <string.h>

#include "arena.h"
#include "dec_int.h"
#include "order_run.h"

int
b2b__ov_check_header(vrun *r)
{
	const b2b_order *o = r->o;
	const b2b_book *book = r->book;
	uint32_t c;
	int rc;

	r->cust = B2B__NONE;
	if (o->customer.s != NULL) {
		r->cust = b2b__book_customer(book, o->customer.s, o->customer.len);
		if (r->cust == B2B__NONE &&
		    (rc = b2b__ov_viol(r, C_UNKNOWN_CUSTOMER, B2B_ORDER_ERROR, -1, "customer",
		                       NULL,
		                       b2b__ov_str_dup(r, o->customer.s, o->customer.len),
		                       "unknown customer '%.*s%s'",
		                       SHOWN(o->customer.s, o->customer.len))) < 0)
			return rc;
	}
	r->c = r->cust != B2B__NONE ? &book->customers[r->cust] : NULL;
	r->cur = book->settings.base_currency;
	if (r->c != NULL && r->c->currency != UINT16_MAX)
		r->cur = r->c->currency;
	if (o->currency.s != NULL) {
		c = b2b__book_currency(book, o->currency.s, o->currency.len);
		if (c == B2B__NONE) {
			rc = b2b__ov_viol(r, C_MALFORMED, B2B_ORDER_ERROR, -1, "currency", NULL,
			                  b2b__ov_str_dup(r, o->currency.s, o->currency.len),
			                  "currency '%.*s%s': not a currency of the book; the order is priced in %s",
			                  SHOWN(o->currency.s, o->currency.len),
			                  book->currencies[r->cur].code);
			if (rc < 0)
				return rc;
		} else {
			r->cur = (uint16_t)c;
			r->cur_given_ok = 1;
		}
	}
	return 0;
}

int
b2b__ov_check_quote(vrun *r)
{
	const b2b_order *o = r->o;
	const b2b__oquote *q = &o->quote;
	const char *cur = r->book->currencies[r->cur].code;
	int rc, expired = -1;  /* -1 unknown */
	size_t i, n;

	if (!q->given)
		return 0;
	if (q->status != B2B__QS_UNREADABLE && q->status != B2B_QUOTE_ACCEPTED &&
	    (rc = b2b__ov_viol(r, C_QUOTE_NOT_ACCEPTED, B2B_ORDER_ERROR, -1, "quote.status",
	                       "accepted",
	                       b2b_quote_state_name((b2b_quote_state)q->status),
	                       "the quote is '%s', not 'accepted'",
	                       b2b_quote_state_name((b2b_quote_state)q->status))) < 0)
		return rc;
	if (q->valid_until.ok && o->as_of.ok) {
		expired = !q->valid_until_null && b2b_time_cmp(o->as_of.t,
		                                               q->valid_until.t) >= 0;
		if (expired &&
		    (rc = b2b__ov_viol(r, C_QUOTE_EXPIRED, B2B_ORDER_ERROR, -1,
		                       "quote.valid_until",
		                       b2b__ov_time_str(r, q->valid_until.t),
		                       b2b__ov_time_str(r, o->as_of.t),
		                       "the quote expired at %.*s%s (the order is as of %.*s%s)",
		                       SHOWN(q->valid_until.s, q->valid_until.len),
		                       SHOWN(o->as_of.s, o->as_of.len))) < 0)
			return rc;
	}
	r->locked = q->status == B2B_QUOTE_ACCEPTED && expired == 0;
	if (q->customer.s != NULL && o->customer.s != NULL &&
	    !b2b__ov_field_eq(&q->customer, o->customer.s, o->customer.len) &&
	    (rc = b2b__ov_viol(r, C_QUOTE_MISMATCH, B2B_ORDER_ERROR, -1, "quote.customer",
	                       b2b__ov_str_dup(r, q->customer.s, q->customer.len),
	                       b2b__ov_str_dup(r, o->customer.s, o->customer.len),
	                       "the quote is for customer '%.*s%s', the order for '%.*s%s'",
	                       SHOWN(q->customer.s, q->customer.len),
	                       SHOWN(o->customer.s, o->customer.len))) < 0)
		return rc;
	if (q->currency.s != NULL && (o->currency.s == NULL || r->cur_given_ok) &&
	    !b2b__ov_field_eq(&q->currency, cur, strlen(cur))) {
		r->currency_mismatch = 1;
		rc = b2b__ov_viol(r, C_CURRENCY_MISMATCH, B2B_ORDER_ERROR, -1, "currency",
		                  b2b__ov_str_dup(r, q->currency.s, q->currency.len), cur,
		                  "the order is in %s, the quote in %.*s%s", cur,
		                  SHOWN(q->currency.s, q->currency.len));
		if (rc < 0)
			return rc;
	}
	if (!q->lines_ok)
		return 0;
	if (q->nlines != o->nlines &&
	    (rc = b2b__ov_viol(r, C_QUOTE_MISMATCH, B2B_ORDER_ERROR, -1, "quote.lines",
	                       b2b__ov_printf(r, "%zu", q->nlines),
	                       b2b__ov_printf(r, "%zu", o->nlines),
	                       "the quote has %zu line%s, the order %zu", q->nlines,
	                       q->nlines == 1 ? "" : "s", o->nlines)) < 0)
		return rc;
	n = q->nlines < o->nlines ? q->nlines : o->nlines;
	for (i = 0; i < n; i++) {
		const b2b__oline *ql = &q->lines[i], *ol = &o->lines[i];

		if (ql->sku.s != NULL && ol->sku.s != NULL &&
		    !b2b__ov_field_eq(&ql->sku, ol->sku.s, ol->sku.len) &&
		    (rc = b2b__ov_viol(r, C_QUOTE_MISMATCH, B2B_ORDER_ERROR, (long)i,
		                       b2b__ov_lpath(r, i, "sku"),
		                       b2b__ov_str_dup(r, ql->sku.s, ql->sku.len),
		                       b2b__ov_str_dup(r, ol->sku.s, ol->sku.len),
		                       "the quote's line %zu is for sku '%.*s%s', the order's for '%.*s%s'",
		                       i, SHOWN(ql->sku.s, ql->sku.len),
		                       SHOWN(ol->sku.s, ol->sku.len))) < 0)
			return rc;
		if (ql->qty.ok && ol->qty.ok && !b2b__dec_eq(ql->qty.v, ol->qty.v) &&
		    (rc = b2b__ov_viol(r, C_QUOTE_MISMATCH, B2B_ORDER_ERROR, (long)i,
		                       b2b__ov_lpath(r, i, "qty"),
		                       b2b__ov_given_str(r, &ql->qty),
		                       b2b__ov_given_str(r, &ol->qty),
		                       "the quote's line %zu has qty %.*s%s, the order's %.*s%s", i,
		                       SHOWN(ql->qty.s, ql->qty.len),
		                       SHOWN(ol->qty.s, ol->qty.len))) < 0)
			return rc;
	}
	return 0;
}

/* Convert a customer amount (in the customer's currency, else base) to K
 * (SPEC §9.15), like a list price: r9(v × rate). Returns 0, 1 (no rate),
 * or a negative code. */
static int
to_k(vrun *r, b2b_dec *out, b2b_dec v, uint16_t from)
{
	b2b_dec rate;
	uint16_t sf, st;
	int rc;

	if (from == r->cur) {
		*out = v;
		return 0;
	}
	if (!r->o->as_of.ok)
		return 2;   /* no instant to choose a rate: skipped */
	if (b2b__book_fx(r->book, from, r->cur, r->o->as_of.t.sec, &rate, &sf, &st) != 0)
		return 1;
	rc = b2b__r9_mul(out, r->book, v, rate);
	return rc < 0 ? rc : 0;
}

static int
list_has(const b2b_book *book, uint32_t off, uint32_t n, const char *s, size_t len)
{
	uint32_t j;

	for (j = 0; j < n; j++) {
		const char *x = b2b__s(book, book->strs[off + j]);
		if (strlen(x) == len && memcmp(x, s, len) == 0)
			return 1;
	}
	return 0;
}

static const char *
list_text(vrun *r, uint32_t off, uint32_t n)
{
	char buf[512];
	b2b__tbuf t;
	uint32_t j;

	b2b__tbuf_init(&t, buf, sizeof(buf));
	for (j = 0; j < n && !t.cut; j++)
		b2b__tbuf_printf(&t, "%s%s", j > 0 ? ";" : "",
		                 b2b__s(r->book, r->book->strs[off + j]));
	return b2b__ov_str_dup(r, buf, t.len);
}

/* Terms, regions, codes: the checks that need no price. */
int
b2b__ov_check_document_static(vrun *r)
{
	const b2b_order *o = r->o;
	const b2b_book *book = r->book;
	const b2b__customer *c = r->c;
	size_t i, j;
	int rc;

	if (c != NULL && o->payment_terms.s != NULL && c->terms_n > 0 &&
	    !list_has(book, c->terms_off, c->terms_n, o->payment_terms.s,
	              o->payment_terms.len)) {
		const char *allowed = list_text(r, c->terms_off, c->terms_n);

		rc = b2b__ov_viol(r, C_TERMS, B2B_ORDER_ERROR, -1, "payment_terms", allowed,
		                  b2b__ov_str_dup(r, o->payment_terms.s, o->payment_terms.len),
		                  "payment terms '%.*s%s' are not allowed for this customer (allowed: %s)",
		                  SHOWN(o->payment_terms.s, o->payment_terms.len),
		                  allowed != NULL ? allowed : "");
		if (rc < 0)
			return rc;
	}
	if (c != NULL && o->ship_to.s != NULL && c->regions_n > 0 &&
	    !list_has(book, c->regions_off, c->regions_n, o->ship_to.s, o->ship_to.len)) {
		const char *allowed = list_text(r, c->regions_off, c->regions_n);

		rc = b2b__ov_viol(r, C_SHIP_TO, B2B_ORDER_ERROR, -1, "ship_to", allowed,
		                  b2b__ov_str_dup(r, o->ship_to.s, o->ship_to.len),
		                  "ship-to region '%.*s%s' is not allowed for this customer (allowed: %s)",
		                  SHOWN(o->ship_to.s, o->ship_to.len),
		                  allowed != NULL ? allowed : "");
		if (rc < 0)
			return rc;
	}
	/* without a quote: the stated currency against the customer's */
	if (!o->quote.given && c != NULL && r->cur_given_ok && c->currency != UINT16_MAX &&
	    c->currency != r->cur) {
		r->currency_mismatch = 1;
		rc = b2b__ov_viol(r, C_CURRENCY_MISMATCH, B2B_ORDER_ERROR, -1, "currency",
		                  book->currencies[c->currency].code,
		                  book->currencies[r->cur].code,
		                  "the order is in %s, the customer buys in %s",
		                  book->currencies[r->cur].code,
		                  book->currencies[c->currency].code);
		if (rc < 0)
			return rc;
	}
	for (i = 0; i < o->ncodes; i++) {
		const b2b__ofield *f = &o->codes[i];

		for (j = 0; j < i; j++)
			if (b2b__ov_field_eq(&o->codes[j], f->s, f->len))
				break;
		if (j < i || b2b__book_promos_by_code(book, f->s, f->len) > 0)
			continue;
		rc = b2b__ov_viol(r, C_UNKNOWN_CODE, B2B_ORDER_WARNING, -1,
		                  b2b__ov_printf(r, "codes[%zu]", o->code_index[i]), NULL,
		                  b2b__ov_str_dup(r, f->s, f->len),
		                  "no promotion has the code '%.*s%s'",
		                  SHOWN(f->s, f->len));
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int
doc_fx_violation(vrun *r, uint16_t from, const char *what)
{
	size_t i;

	for (i = 0; i < r->res->n; i++)
		if (r->res->v[i].line < 0 && strcmp(r->res->v[i].code, C_NO_FX_RATE) == 0)
			return 0;   /* once */
	return b2b__ov_viol(r, C_NO_FX_RATE, B2B_ORDER_ERROR, -1, "currency", NULL, NULL,
	                    "no FX rate from %s to %s valid at %.*s%s (needed for %s)",
	                    r->book->currencies[from].code, r->book->currencies[r->cur].code,
	                    SHOWN(r->o->as_of.s, r->o->as_of.len), what);
}

/* Credit, budget and minimum order value, in K (SPEC §7, §9.15). */
int
b2b__ov_check_money(vrun *r, b2b_dec total)
{
	const b2b__customer *c = r->c;
	const b2b_book *book = r->book;
	uint16_t from;
	b2b_dec limit, bal, x;
	int minor = book->currencies[r->cur].minor_units, rc;
	const char *cur = book->currencies[r->cur].code;

	if (c == NULL || r->currency_mismatch || r->doc_fx_failed)
		return 0;
	if (!c->credit_limit.set && !c->budget.set && !c->min_order_value.set)
		return 0;
	from = c->currency != UINT16_MAX ? c->currency : book->settings.base_currency;
	if (c->credit_limit.set) {
		bal.lo = 0;
		bal.hi = 0;
		rc = to_k(r, &limit, c->credit_limit.v, from);
		if (rc == 0 && c->open_balance.set)
			rc = to_k(r, &bal, c->open_balance.v, from);
		if (rc == 1)
			return doc_fx_violation(r, from, "the customer's credit limit");
		if (rc < 0)
			return b2b__ctx_seterr(r->ctx, rc,
			                       "the credit check leaves the decimal range");
		if (rc == 0) {
			if ((rc = b2b_dec_add(&x, bal, total)) < 0)
				return b2b__ctx_seterr(r->ctx, rc,
				                       "the credit check leaves the decimal range");
			if (b2b_dec_cmp(x, limit) > 0) {
				/* each figure formatted once, for both its uses */
				const char *ls = b2b__ov_dec_str(r, limit, minor),
				           *xs = b2b__ov_dec_str(r, x, minor);

				if ((rc = b2b__ov_viol(r, C_CREDIT, B2B_ORDER_ERROR, -1, NULL, ls, xs,
				                       "open balance %s + order total %s = %s %s exceeds "
				                       "the credit limit of %s %s",
				                       b2b__ov_dec_str(r, bal, minor),
				                       b2b__ov_dec_str(r, total, minor), cur, xs, cur,
				                       ls)) < 0)
					return rc;
			}
		}
	}
	if (c->budget.set) {
		rc = to_k(r, &limit, c->budget.v, from);
		if (rc == 1)
			return doc_fx_violation(r, from, "the customer's budget");
		if (rc < 0)
			return b2b__ctx_seterr(r->ctx, rc,
			                       "the budget check leaves the decimal range");
		if (rc == 0 && b2b_dec_cmp(total, limit) > 0) {
			const char *ls = b2b__ov_dec_str(r, limit, minor),
			           *ts = b2b__ov_dec_str(r, total, minor);

			if ((rc = b2b__ov_viol(r, C_BUDGET, B2B_ORDER_HOLD, -1, NULL, ls, ts,
			                       "order total %s %s exceeds the per-order budget of %s %s",
			                       cur, ts, cur, ls)) < 0)
				return rc;
		}
	}
	if (c->min_order_value.set) {
		rc = to_k(r, &limit, c->min_order_value.v, from);
		if (rc == 1)
			return doc_fx_violation(r, from, "the customer's minimum order value");
		if (rc < 0)
			return b2b__ctx_seterr(r->ctx, rc,
			                       "the minimum order check leaves the decimal range");
		if (rc == 0 && b2b_dec_cmp(total, limit) < 0) {
			const char *ls = b2b__ov_dec_str(r, limit, minor),
			           *ts = b2b__ov_dec_str(r, total, minor);

			if ((rc = b2b__ov_viol(r, C_MIN_ORDER, B2B_ORDER_ERROR, -1, NULL, ls, ts,
			                       "order total %s %s is below the minimum order value "
			                       "of %s %s", cur, ts, cur, ls)) < 0)
				return rc;
		}
	}
	return 0;
}

int
b2b__ov_check_approval(vrun *r)
{
	const b2b_quote *q = r->q;
	char why[400];
	b2b__tbuf t;
	size_t k;

	if (!r->doc_ok || r->locked || q->level <= 0)
		return 0;
	b2b__tbuf_init(&t, why, sizeof(why));
	for (k = 0; k < q->nreasons && !t.cut; k++) {
		const b2b__reason *x = &q->reasons[k];
		size_t line = 0;

		if (x->line >= 0) {
			/* the reason's line is a line of the quote run */
			size_t i;
			for (i = 0; i < r->o->nlines; i++)
				if (r->qline[i] == x->line)
					break;
			line = i;
		}
		/* "%s%s on line %zu" / "%s%s", appended part by part */
		if (k > 0)
			b2b__tbuf_put(&t, ", ", 2);
		b2b__tbuf_puts(&t, x->rule != NULL ? x->rule : "(null)");
		if (x->line >= 0) {
			b2b__tbuf_put(&t, " on line ", 9);
			b2b__tbuf_put_uint(&t, line);
		}
	}
	return b2b__ov_viol(r, C_APPROVAL, B2B_ORDER_HOLD, -1, NULL, NULL,
	                    b2b__ov_printf(r, "%d", q->level),
	                    "the order needs approval level %d (%s)", q->level, why);
}
