/*
 * libb2bcore — the error list of a quote or price request (SPEC §4
 * "Errors", §9.7) and the field checks of its header: every problem is
 * recorded with its code and path, and the list is sorted and made unique
 * before it is returned instead of a document. The checks of each line
 * are in quote.c, next to the loop over the lines.
 * SPDX-License-Identifier: MIT
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dec_int.h"
#include "quote_run.h"

const char *
b2b__qr_field_path(run *r, long line, const char *name)
{
	if (line < 0 || r->kind == B2B__REQ_PRICE)
		return name;
	return b2b__arena_printf(r->ctx, "lines[%ld].%s", line, name);
}

int
b2b__qr_prob(run *r, const char *code, long line, const char *path, const char *fmt, ...)
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

void
b2b__qr_time_text(char *buf, size_t size, b2b_time t)
{
	if (b2b_time_format(buf, size, NULL, t) < 0 && size > 0)
		snprintf(buf, size, "?");
}

int
b2b__qr_overflow(run *r, long line, const char *what)
{
	char path[64];

	if (line >= 0 && r->kind == B2B__REQ_QUOTE) {
		snprintf(path, sizeof(path), "lines[%ld].qty", line);
		b2b__ctx_seterr(r->ctx, B2B_EOVERFLOW,
		                "lines[%ld]: %s leaves the decimal range",
		                line, what);
	} else {
		snprintf(path, sizeof(path), "%s", line >= 0 ? "qty" : "$");
		b2b__ctx_seterr(r->ctx, B2B_EOVERFLOW, "%s leaves the decimal range", what);
	}
	b2b__ctx_setpath(r->ctx, path);
	return B2B_EOVERFLOW;
}

int
b2b__qr_check_header(run *r)
{
	const b2b_quote_request *req = r->req;
	const b2b_book *book = r->book;
	b2b_quote *q = r->q;
	int rc = 0;
	size_t errpos;

	if (r->kind == B2B__REQ_QUOTE) {
		if (!b2b__qr_given(&req->quote_id) && !req->quote_id.bad)
			rc = b2b__qr_prob(r, CODE_MALFORMED, -1, "quote_id",
			                  "quote_id: required field is missing");
		if (rc < 0)
			return rc;
		if (b2b__qr_given(&req->quote_id)) {
			q->quote_id = req->quote_id.s;
			q->quote_id_len = req->quote_id.len;
		}
	}

	r->cust = B2B__NONE;
	if (b2b__qr_given(&req->customer)) {
		r->cust = b2b__book_customer(book, req->customer.s, req->customer.len);
		if (r->cust == B2B__NONE)
			rc = b2b__qr_prob(r, CODE_UNKNOWN_CUSTOMER, -1, "customer",
			                  "unknown customer '%.*s%s'", SHOW(&req->customer));
		q->customer = req->customer.s;
		q->customer_len = req->customer.len;
	} else if (!req->customer.bad) {
		rc = b2b__qr_prob(r, CODE_MALFORMED, -1, "customer",
		                  "customer: required field is missing");
	}
	if (rc < 0)
		return rc;

	if (b2b__qr_given(&req->as_of)) {
		if (b2b_time_parse(&q->as_of, &errpos, req->as_of.s, req->as_of.len) == 0)
			r->as_of_ok = 1;
		else
			rc = b2b__qr_prob(r, CODE_MALFORMED, -1, "as_of",
			                  "as_of '%.*s%s': expected a date YYYY-MM-DD or a date-time "
			                  "YYYY-MM-DDThh:mm:ssZ (at character %zu)",
			                  SHOW(&req->as_of), errpos + 1);
	} else if (!req->as_of.bad) {
		rc = b2b__qr_prob(r, CODE_MALFORMED, -1, "as_of",
		                  "as_of: required field is missing");
	}
	if (rc < 0)
		return rc;

	if (b2b__qr_given(&req->currency)) {
		uint32_t c = b2b__book_currency(book, req->currency.s, req->currency.len);
		if (c == B2B__NONE) {
			rc = b2b__qr_prob(r, CODE_MALFORMED, -1, "currency",
			                  "currency '%.*s%s': not a currency of the book",
			                  SHOW(&req->currency));
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
	if (b2b__qr_given(&req->channel)) {
		q->channel = req->channel.s;
		q->channel_len = req->channel.len;
	} else if (r->cust != B2B__NONE && book->customers[r->cust].channel != 0) {
		q->channel = b2b__s(book, book->customers[r->cust].channel);
		q->channel_len = strlen(q->channel);
	}

	if (r->kind != B2B__REQ_QUOTE)
		return 0;

	if (b2b__qr_given(&req->ship_to)) {
		q->ship_to = req->ship_to.s;
		q->ship_to_len = req->ship_to.len;
	}

	/* valid_until: the request's, else as_of + quote_validity_days (§9.2) */
	if (b2b__qr_given(&req->valid_until)) {
		if (b2b_time_parse(&q->valid_until, &errpos, req->valid_until.s,
		                   req->valid_until.len) == 0)
			q->has_valid_until = 1;
		else
			rc = b2b__qr_prob(r, CODE_MALFORMED, -1, "valid_until",
			                  "valid_until '%.*s%s': expected a date YYYY-MM-DD or a date-time "
			                  "YYYY-MM-DDThh:mm:ssZ (at character %zu)",
			                  SHOW(&req->valid_until), errpos + 1);
	} else if (r->as_of_ok && book->settings.quote_validity_days > 0) {
		if (b2b_time_add_days(&q->valid_until, q->as_of,
		                      book->settings.quote_validity_days) == 0)
			q->has_valid_until = 1;
		else
			rc = b2b__qr_prob(r, CODE_MALFORMED, -1, "as_of",
			                  "as_of + quote_validity_days (%lld) is past 9999-12-31",
			                  (long long)book->settings.quote_validity_days);
	}
	if (rc < 0)
		return rc;

	if (!req->lines_given && !req->lines_bad)
		rc = b2b__qr_prob(r, CODE_MALFORMED, -1, "lines",
		                  "lines: required field is missing");
	else if (req->lines_given && req->nlines == 0)
		rc = b2b__qr_prob(r, CODE_MALFORMED, -1, "lines",
		                  "lines: at least one line is required");
	return rc;
}

int
b2b__qr_finish_errors(run *r)
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
