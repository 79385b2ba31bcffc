/*
 * libb2bcore — an order priced as a quote (SPEC §7): through
 * b2b__quote_run() over the lines that can be priced, lines the run cannot
 * price becoming line violations and left out of the next run; and the
 * total of the priced lines when the document figures are not valid.
 * SPDX-License-Identifier: MIT
 */
#include <string.h>

#include "arena.h"
#include "quote_int.h"
#include "order_run.h"

/* The line index k of a path "lines[k]..." of the quote run, or -1. */
static long
path_line(const char *path)
{
	long k = 0;

	if (path == NULL || strncmp(path, "lines[", 6) != 0)
		return -1;
	path += 6;
	if (*path < '0' || *path > '9')
		return -1;
	while (*path >= '0' && *path <= '9') {
		if (k > 100000000L)
			return -1;
		k = k * 10 + (*path++ - '0');
	}
	return *path == ']' ? k : -1;
}

/* "lines[i]<rest>" for a quote-run path "lines[k]<rest>". */
static const char *
remap_path(vrun *r, const char *path, size_t i)
{
	const char *rest = path != NULL ? strchr(path, ']') : NULL;

	if (rest == NULL)
		return path;
	return b2b__ov_printf(r, "lines[%zu]%s", i, rest + 1);
}

int
b2b__ov_price_order(vrun *r)
{
	const b2b_order *o = r->o;
	const b2b_book *book = r->book;
	struct b2b_quote_request *req;
	b2b_quote *q = NULL;
	size_t i, k, n = o->nlines;
	size_t *map;
	uint8_t *active;
	int rc;

	map = b2b__arena_calloc(r->ctx, n + 1, sizeof(*map));
	active = b2b__arena_calloc(r->ctx, n + 1, 1);
	if (map == NULL || active == NULL)
		return B2B_ENOMEM;
	if ((rc = b2b__qreq_from_order(&req, r->ctx, o, r->cur_given_ok)) < 0)
		return rc;
	for (i = 0; i < n; i++)
		active[i] = r->priceable[i];

	for (;;) {
		int dropped = 0;

		b2b__qreq_order_lines(req, o, active, r->product, map);
		if (req->nlines == 0) {
			b2b__ctx_clearerr(r->ctx);
			return 0;     /* nothing left to price: the total is 0 */
		}

		rc = b2b__quote_run(&q, r->ctx, book, req, B2B__QUOTE_NO_TRACE);
		if (rc == 0 && q->nerrors == 0) {
			r->q = q;
			r->lines_priced = r->doc_ok = 1;
			break;
		}
		if (rc == B2B_EOVERFLOW) {
			/* a line whose own figures leave the decimal range: MALFORMED,
			 * left out; a document figure: the call cannot run */
			long kl = path_line(b2b_ctx_errpath(r->ctx));

			if (kl < 0 || (size_t)kl >= req->nlines)
				return rc;
			i = map[kl];
			active[i] = r->priceable[i] = 0;
			if ((rc = b2b__ov_viol(r, C_MALFORMED, B2B_ORDER_ERROR, -1,
			                       b2b__ov_lpath(r, i, "qty"), NULL,
			                       NULL, "lines[%zu]: %s", i,
			                       b2b_ctx_errmsg(r->ctx))) < 0)
				return rc;
			continue;
		}
		if (rc < 0)
			return rc;
		/* the lines that cannot be priced (NO_FX_RATE, NEGATIVE_PRICE) are
		 * line violations, left out of the next run and of the total */
		for (k = 0; k < q->nerrors; k++) {
			const b2b__problem *p = &q->errors[k];

			if (p->line < 0 || (size_t)p->line >= req->nlines)
				continue;
			i = map[p->line];
			if (active[i]) {
				active[i] = r->priceable[i] = 0;
				dropped = 1;
			}
			/* MALFORMED stays a document-level code (the path says which line) */
			rc = b2b__ov_viol(r, p->code, B2B_ORDER_ERROR,
			                  strcmp(p->code, C_MALFORMED) == 0 ? -1 : (long)i,
			                  remap_path(r, p->path, i), NULL, NULL,
			                  "lines[%zu]: %s", i, p->message);
			if (rc < 0)
				return rc;
		}
		if (dropped)
			continue;
		/* document problems are final only once every line was priced */
		for (k = 0; k < q->nerrors; k++) {
			const b2b__problem *p = &q->errors[k];

			if (p->line >= 0 && (size_t)p->line < req->nlines)
				continue;
			if (strcmp(p->code, C_NO_FX_RATE) == 0)
				r->doc_fx_failed = 1;
			if ((rc = b2b__ov_viol(r, p->code, B2B_ORDER_ERROR, -1, p->path, NULL,
			                       NULL, "%s",
			                       p->message)) < 0)
				return rc;
		}
		/* a document-level problem only (§9.22): the lines are priced, the
		 * document figures are not */
		r->q = q;
		r->lines_priced = 1;
		break;
	}
	b2b__ctx_clearerr(r->ctx);
	for (k = 0; k < r->q->nlines; k++)
		r->qline[map[k]] = (long)k;
	return 0;
}

/* Σ round(unit_price × qty) over the lines that could be priced (§9.15,
 * §9.22): the priceable lines, less those the quote run could not price. */
int
b2b__ov_fallback_total(vrun *r, b2b_dec *total)
{
	const b2b_order *o = r->o;
	int minor = r->book->currencies[r->cur].minor_units;
	b2b_dec x, sum = { 0, 0 };
	size_t i;
	int rc;

	for (i = 0; i < o->nlines; i++) {
		if (!r->priceable[i])
			continue;
		if ((rc = b2b_dec_mul(&x, o->lines[i].price.v, o->lines[i].qty.v, minor,
		                      r->mode)) < 0 ||
		    (rc = b2b_dec_add(&sum, sum, x)) < 0)
			return b2b__ctx_seterr(r->ctx, rc,
			                       "the order total leaves the decimal range");
	}
	*total = sum;
	return 0;
}
