/*
 * libb2bcore — the JSON side of quotes and prices: quote requests read
 * from JSON (SPEC §4: unknown fields and wrong types are MALFORMED with
 * their JSON path), and the quote, price and error documents written in
 * the canonical form of json_write.h.
 * SPDX-License-Identifier: MIT
 */
#include <string.h>

#include "b2b/json.h"
#include "ctx_int.h"
#include "json_int.h"
#include "opts.h"
#include "json_write.h"
#include "quote_int.h"

/*===========================================================================
 * MARK: - requests from JSON
 *===========================================================================*/

static const char *const MALFORMED = "MALFORMED";

/* prefix, sep and the klen bytes of key, NUL-terminated, in the arena
 * (what "%s%s%.*s" prints, without the formatter: one per member). */
static char *
path_join(b2b_ctx *ctx, const char *prefix, const char *sep, const char *key, size_t klen)
{
	size_t pl = strlen(prefix), sl = strlen(sep);
	char *p = b2b__ctx_alloc(ctx, pl + sl + klen + 1);

	if (p == NULL)
		return NULL;
	memcpy(p, prefix, pl);
	memcpy(p + pl, sep, sl);
	memcpy(p + pl + sl, key, klen);
	p[pl + sl + klen] = '\0';
	return p;
}

/* "name[i]" in the arena. */
static char *
index_path(b2b_ctx *ctx, const char *name, size_t i)
{
	char buf[32], *e = buf + sizeof(buf), *q = e;

	*--q = ']';
	do {
		*--q = (char)('0' + i % 10);
		i /= 10;
	} while (i != 0);
	return path_join(ctx, name, "[", q, (size_t)(e - q));
}

/* The path of member `key` under `prefix` ("" for the root): `prefix.key`,
 * or `prefix["k e y"]` for a key that is not a plain identifier. */
static const char *
member_path(b2b_ctx *ctx, const char *prefix, const char *key, size_t klen)
{
	char buf[300];
	b2b__tbuf t;
	size_t i;
	int plain = klen > 0 && klen <= 64;

	for (i = 0; plain && i < klen; i++) {
		unsigned char c = (unsigned char)key[i];
		plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		        c == '_';
	}
	if (plain)
		return path_join(ctx, prefix, prefix[0] != '\0' ? "." : "", key, klen);
	/* a JSON string literal, shortened as core/text.h says */
	b2b__tbuf_init(&t, buf, sizeof(buf));
	b2b__tbuf_put_escaped(&t, key, klen);
	return b2b__arena_printf(ctx, "%s[\"%s\"]", prefix[0] != '\0' ? prefix : "$", buf);
}

static int
problem_type(b2b_quote_request *req, const char *path, long line, const char *expected,
             const b2b_json *v)
{
	if (path == NULL)
		return B2B_ENOMEM;
	return b2b__qreq_problem(req, MALFORMED, path, line, "%s: expected %s, got %s", path,
	                         expected, b2b__json_type_text(b2b_json_typeof(v)));
}

/* A string field; `null` counts as not given when the field is optional. */
static int
read_string(b2b_quote_request *req, b2b__rfield *f, const b2b_json *v, const char *path,
            long line, int optional)
{
	const char *s;
	size_t len;

	if (optional && b2b_json_typeof(v) == B2B_JSON_NULL)
		return 0;
	s = b2b_json_string(v, &len);
	if (s == NULL) {
		f->bad = 1;
		return problem_type(req, path, line, "a string", v);
	}
	return b2b__qreq_set(req, f, s, len, 0);
}

/* A decimal: a JSON string holding a decimal, or a JSON number. */
static int
read_decimal(b2b_quote_request *req, b2b__rfield *f, const b2b_json *v, const char *path,
             long line, int optional)
{
	const char *s;
	size_t len;

	switch (b2b_json_typeof(v)) {
	case B2B_JSON_STRING:
		s = b2b_json_string(v, &len);
		return b2b__qreq_set(req, f, s, len, 0);
	case B2B_JSON_NUMBER:
		s = b2b_json_number_text(v, &len);
		return b2b__qreq_set(req, f, s, len, 1);
	case B2B_JSON_NULL:
		if (optional)
			return 0;
		/* fall through */
	default:
		f->bad = 1;
		return problem_type(req, path, line, "a decimal (a string or a number)", v);
	}
}

static int
read_bool(b2b_quote_request *req, int *out, const b2b_json *v, const char *path)
{
	switch (b2b_json_typeof(v)) {
	case B2B_JSON_TRUE:
		*out = 1;
		return 0;
	case B2B_JSON_FALSE:
	case B2B_JSON_NULL:
		*out = 0;
		return 0;
	default:
		return problem_type(req, path, -1, "a boolean", v);
	}
}

/* The fields of a request and of a line, in the order of the switches below. */
static const char *const root_keys[] = {
	"quote_id", "customer", "as_of", "currency", "channel", "ship_to", "valid_until",
	"codes", "explain", "cash_rounding", "lines",
};
static const char *const line_keys[] = { "sku", "qty", "requested_unit_price" };

/* Index of `key` in `names`, or -1. */
static int
key_index(const char *const *names, size_t n, const char *key, size_t klen)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strlen(names[i]) == klen && memcmp(names[i], key, klen) == 0)
			return (int)i;
	return -1;
}

static int
read_line(b2b_quote_request *req, size_t i, const b2b_json *v)
{
	b2b_ctx *ctx = req->ctx;
	const char *prefix, *path;
	b2b__rline *l;
	long li = (long)i;
	size_t k, klen;
	unsigned seen = 0;
	int rc;

	l = b2b__qreq_line_slot(req);
	if (l == NULL)
		return B2B_ENOMEM;
	prefix = index_path(ctx, "lines", i);
	if (prefix == NULL)
		return B2B_ENOMEM;
	if (b2b_json_typeof(v) != B2B_JSON_OBJECT) {
		l->sku.bad = l->qty.bad = 1;
		return problem_type(req, prefix, li, "an object", v);
	}
	for (k = 0; k < b2b_json_size(v); k++) {
		const char *key = b2b_json_key_at(v, k, &klen);
		const b2b_json *m = b2b_json_value_at(v, k);
		int f = key_index(line_keys, sizeof(line_keys) / sizeof(line_keys[0]), key, klen);

		path = member_path(ctx, prefix, key, klen);
		if (path == NULL)
			return B2B_ENOMEM;
		l = &req->lines[i];
		if (f >= 0 && (seen & (1u << f)) != 0) {
			rc = b2b__qreq_problem(req, MALFORMED, path, li, "%s: duplicate field", path);
		} else {
			if (f >= 0)
				seen |= 1u << f;
			switch (f) {
			case 0:
				rc = read_string(req, &l->sku, m, path, li, 0);
				break;
			case 1:
				rc = read_decimal(req, &l->qty, m, path, li, 0);
				break;
			case 2:
				rc = read_decimal(req, &l->requested, m, path, li, 1);
				break;
			default:
				rc = b2b__qreq_problem(req, MALFORMED, path, li, "%s: unknown field", path);
				break;
			}
		}
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int
read_lines(b2b_quote_request *req, const b2b_json *v)
{
	size_t i;
	int rc;

	if (b2b_json_typeof(v) != B2B_JSON_ARRAY) {
		req->lines_bad = 1;
		return problem_type(req, "lines", -1, "an array", v);
	}
	req->lines_given = 1;
	for (i = 0; i < b2b_json_size(v); i++)
		if ((rc = read_line(req, i, b2b_json_at(v, i))) < 0)
			return rc;
	return 0;
}

static int
read_codes(b2b_quote_request *req, const b2b_json *v)
{
	b2b_ctx *ctx = req->ctx;
	size_t i, len;
	int rc;

	if (b2b_json_typeof(v) == B2B_JSON_NULL)
		return 0;
	if (b2b_json_typeof(v) != B2B_JSON_ARRAY)
		return problem_type(req, "codes", -1, "an array of strings", v);
	req->codes_given = 1;
	for (i = 0; i < b2b_json_size(v); i++) {
		const b2b_json *e = b2b_json_at(v, i);
		const char *s = b2b_json_string(e, &len);
		b2b__rfield *f;

		if (s == NULL) {
			rc = problem_type(req, b2b__arena_printf(ctx, "codes[%zu]", i), -1, "a string", e);
		} else if ((f = b2b__qreq_code_slot(req)) == NULL) {
			rc = B2B_ENOMEM;
		} else {
			rc = b2b__qreq_set(req, f, s, len, 0);
		}
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int
read_request(b2b_quote_request *req, const b2b_json *root)
{
	b2b_ctx *ctx = req->ctx;
	size_t k, klen;
	unsigned seen = 0;
	int rc, f;

	if (b2b_json_typeof(root) != B2B_JSON_OBJECT) {
		/* one problem says it all: no "missing field" noise */
		req->quote_id.bad = req->customer.bad = req->as_of.bad = 1;
		req->lines_bad = 1;
		req->root_bad = 1;
		return problem_type(req, "$", -1, "an object", root);
	}
	for (k = 0; k < b2b_json_size(root); k++) {
		const char *key = b2b_json_key_at(root, k, &klen);
		const b2b_json *v = b2b_json_value_at(root, k);
		const char *path = member_path(ctx, "", key, klen);

		if (path == NULL)
			return B2B_ENOMEM;
		f = key_index(root_keys, sizeof(root_keys) / sizeof(root_keys[0]), key, klen);
		if (f >= 0 && (seen & (1u << f)) != 0) {
			/* JSON allows it; a request may not: which one would count? */
			rc = b2b__qreq_problem(req, MALFORMED, path, -1, "%s: duplicate field", path);
		} else {
			if (f >= 0)
				seen |= 1u << f;
			switch (f) {
			case 0:
				rc = read_string(req, &req->quote_id, v, path, -1, 0);
				break;
			case 1:
				rc = read_string(req, &req->customer, v, path, -1, 0);
				break;
			case 2:
				rc = read_string(req, &req->as_of, v, path, -1, 0);
				break;
			case 3:
				rc = read_string(req, &req->currency, v, path, -1, 1);
				break;
			case 4:
				rc = read_string(req, &req->channel, v, path, -1, 1);
				break;
			case 5:
				rc = read_string(req, &req->ship_to, v, path, -1, 1);
				break;
			case 6:
				rc = read_string(req, &req->valid_until, v, path, -1, 1);
				break;
			case 7:
				rc = read_codes(req, v);
				break;
			case 8:
				rc = read_bool(req, &req->explain, v, path);
				break;
			case 9:
				rc = read_bool(req, &req->cash_rounding, v, path);
				break;
			case 10:
				rc = read_lines(req, v);
				break;
			default:
				rc = b2b__qreq_problem(req, MALFORMED, path, -1, "%s: unknown field", path);
				break;
			}
		}
		if (rc < 0)
			return rc;
	}
	return 0;
}

int
b2b_quote_from_json(const b2b_quote **out, b2b_ctx *ctx, const b2b_book *book,
                    const char *json, size_t len, const b2b_quote_options *opts)
{
	const b2b_json *root;
	b2b_quote_request *req;
	b2b_quote *q = NULL;
	uint32_t flags = 0;
	int rc;

	if (out == NULL)
		return B2B_EINVAL;
	*out = NULL;
	if (ctx == NULL)
		return B2B_EINVAL;
	if (book == NULL || (json == NULL && len > 0))
		return b2b__ctx_seterr(ctx, B2B_EINVAL, "b2b_quote_from_json: NULL argument");
	if (opts != NULL) {
		if ((rc = b2b__opts_check(ctx, "b2b_quote_options", opts->version,
		                          B2B_QUOTE_OPTIONS_VERSION, opts->flags,
		                          B2B_QUOTE_EXPLAIN)) < 0)
			return rc;
		flags = opts->flags;
	}
	/* duplicate keys are read, then reported as MALFORMED with their path */
	if ((rc = b2b_json_parse(&root, ctx, json != NULL ? json : "", len,
	                         B2B_JSON_ALLOW_DUPLICATES)) < 0)
		return rc;
	if ((rc = b2b__qreq_new(&req, ctx, B2B__REQ_QUOTE)) < 0)
		return rc;
	if ((rc = read_request(req, root)) < 0)
		return b2b__ctx_seterr(ctx, rc, "out of memory");
	if ((rc = b2b__quote_run(&q, ctx, book, req, flags)) < 0)
		return rc;
	*out = q;
	return 0;
}

/*===========================================================================
 * MARK: - documents out
 *===========================================================================*/

static void
put_time(b2b__jw *w, b2b_time t)
{
	char buf[B2B_TIME_FORMAT_MAX];

	if (b2b_time_format(buf, sizeof(buf), NULL, t) < 0)
		buf[0] = '\0';
	b2b__jw_cstr(w, buf);
}

/* A tax rate exactly as the book gives it, with at least 2 decimals. */
static void
put_rate(b2b__jw *w, b2b_dec rate)
{
	int s = b2b_dec_scale(rate);

	b2b__jw_dec(w, rate, s < 2 ? 2 : s, B2B_ROUND_HALF_UP);
}

static void
put_opt_dec(b2b__jw *w, int set, b2b_dec v, int scale, b2b_rounding mode)
{
	if (set)
		b2b__jw_dec(w, v, scale, mode);
	else
		b2b__jw_null(w);
}

/* SPEC §11: `hints`, each {"kind", "message", fields…}. */
static void
put_hints(b2b__jw *w, const b2b__hint *h, size_t n)
{
	size_t j, k;

	b2b__jw_key(w, "hints");
	b2b__jw_begin_array(w);
	for (j = 0; j < n; j++) {
		b2b__jw_begin_object(w);
		b2b__jw_key(w, "kind");
		b2b__jw_cstr(w, b2b_hint_kind_name((b2b_hint_kind)h[j].kind));
		b2b__jw_key(w, "message");
		b2b__jw_cstr(w, h[j].message);
		for (k = 0; k < h[j].nfields; k++) {
			b2b__jw_key(w, h[j].fname[k]);
			b2b__jw_cstr(w, h[j].ftext[k]);
		}
		b2b__jw_end_object(w);
	}
	b2b__jw_end_array(w);
}

static void
put_trace(b2b__jw *w, const b2b__line_out *lo, int candidates)
{
	size_t j;

	b2b__jw_key(w, "waterfall");
	b2b__jw_begin_array(w);
	for (j = 0; j < lo->nsteps; j++) {
		const b2b__step *s = &lo->steps[j];

		b2b__jw_begin_object(w);
		b2b__jw_key(w, "step");
		b2b__jw_cstr(w, b2b__step_name(s->step));
		b2b__jw_key(w, "source");
		b2b__jw_cstr(w, s->source != NULL ? s->source : "");
		b2b__jw_key(w, "before");
		b2b__jw_dec(w, s->before, B2B_DEC_SCALE, B2B_ROUND_HALF_UP);
		b2b__jw_key(w, "after");
		b2b__jw_dec(w, s->after, B2B_DEC_SCALE, B2B_ROUND_HALF_UP);
		b2b__jw_end_object(w);
	}
	b2b__jw_end_array(w);
	if (!candidates)
		return;
	b2b__jw_key(w, "candidates");
	b2b__jw_begin_array(w);
	for (j = 0; j < lo->ncands; j++) {
		const b2b__cand *c = &lo->cands[j];

		b2b__jw_begin_object(w);
		b2b__jw_key(w, "step");
		b2b__jw_cstr(w, b2b__step_name(c->step));
		b2b__jw_key(w, "source");
		b2b__jw_cstr(w, c->source != NULL ? c->source : "");
		b2b__jw_key(w, "outcome");
		b2b__jw_cstr(w, c->applied ? "applied" : "passed");
		b2b__jw_key(w, "reason");
		/* an applied candidate has no reason: null */
		b2b__jw_cstr(w, c->reason != NULL && c->reason[0] != '\0' ? c->reason : NULL);
		b2b__jw_end_object(w);
	}
	b2b__jw_end_array(w);
	put_hints(w, lo->hints, lo->nhints);
}

static void
put_warnings(b2b__jw *w, const b2b_quote *q)
{
	size_t i;

	b2b__jw_key(w, "warnings");
	b2b__jw_begin_array(w);
	for (i = 0; i < q->nwarnings; i++) {
		b2b__jw_begin_object(w);
		b2b__jw_key(w, "code");
		b2b__jw_cstr(w, q->warnings[i].code);
		if (q->warnings[i].line >= 0) {
			b2b__jw_key(w, "line");
			b2b__jw_int(w, q->warnings[i].line);
		}
		b2b__jw_key(w, "message");
		b2b__jw_cstr(w, q->warnings[i].message);
		b2b__jw_end_object(w);
	}
	b2b__jw_end_array(w);
}

/* SPEC §10.4: `rebates` and `rebate_total` (books with agreement rows). */
static void
put_rebates(b2b__jw *w, const b2b_quote *q)
{
	size_t i;

	b2b__jw_key(w, "rebates");
	b2b__jw_begin_array(w);
	for (i = 0; i < q->nrebates; i++) {
		const b2b__rebate *rb = &q->rebates[i];

		b2b__jw_begin_object(w);
		b2b__jw_key(w, "agreement");
		b2b__jw_cstr(w, rb->agreement);
		b2b__jw_key(w, "tier");
		b2b__jw_cstr(w, rb->tier);
		b2b__jw_key(w, "volume");
		b2b__jw_dec(w, rb->volume, rb->volume_scale, q->mode);
		b2b__jw_key(w, "accrual");
		b2b__jw_dec(w, rb->accrual, q->minor, q->mode);
		b2b__jw_end_object(w);
	}
	b2b__jw_end_array(w);
	b2b__jw_key(w, "rebate_total");
	b2b__jw_dec(w, q->rebate_total, q->minor, q->mode);
}

static void
put_line(b2b__jw *w, const b2b_quote *q, const b2b__qline *l)
{
	b2b__jw_begin_object(w);
	b2b__jw_key(w, "sku");
	b2b__jw_string(w, l->sku, l->sku_len);
	b2b__jw_key(w, "qty");
	b2b__jw_cstr(w, l->qty_text);
	b2b__jw_key(w, "list_price");
	b2b__jw_dec(w, l->lo.list_price_rounded, q->upd, q->mode);
	b2b__jw_key(w, "unit_price");
	b2b__jw_dec(w, l->lo.unit_price, q->upd, q->mode);
	b2b__jw_key(w, "amount");
	b2b__jw_dec(w, l->amount, q->minor, q->mode);
	b2b__jw_key(w, "order_discount");
	b2b__jw_dec(w, l->od, q->minor, q->mode);
	b2b__jw_key(w, "net_amount");
	b2b__jw_dec(w, l->net, q->minor, q->mode);
	b2b__jw_key(w, "tax_rate");
	put_rate(w, l->rate);
	b2b__jw_key(w, "tax");
	b2b__jw_dec(w, l->tax, q->minor, q->mode);
	b2b__jw_key(w, "total");
	b2b__jw_dec(w, l->total, q->minor, q->mode);
	b2b__jw_key(w, "cost");
	put_opt_dec(w, l->has_cost, l->cost, q->minor, q->mode);
	b2b__jw_key(w, "margin");
	put_opt_dec(w, l->has_cost, l->margin, q->minor, q->mode);
	b2b__jw_key(w, "discount_percent");
	b2b__jw_dec(w, l->dpct, 2, q->mode);
	b2b__jw_key(w, "protected");
	b2b__jw_bool(w, l->lo.protected_);
	b2b__jw_key(w, "below_floor");
	b2b__jw_bool(w, l->lo.below_floor);
	if (q->has_rebates) {
		b2b__jw_key(w, "rebate");
		b2b__jw_dec(w, l->rebate, q->minor, q->mode);
	}
	put_trace(w, &l->lo, q->explain);
	b2b__jw_end_object(w);
}

static void
put_quote(b2b__jw *w, const b2b_quote *q)
{
	size_t i;

	b2b__jw_begin_object(w);
	b2b__jw_key(w, "quote_id");
	b2b__jw_string(w, q->quote_id, q->quote_id_len);
	b2b__jw_key(w, "customer");
	b2b__jw_string(w, q->customer, q->customer_len);
	b2b__jw_key(w, "as_of");
	put_time(w, q->as_of);
	b2b__jw_key(w, "currency");
	b2b__jw_cstr(w, q->currency);
	b2b__jw_key(w, "channel");
	if (q->channel != NULL)
		b2b__jw_string(w, q->channel, q->channel_len);
	else
		b2b__jw_null(w);
	if (q->ship_to != NULL) {
		b2b__jw_key(w, "ship_to");
		b2b__jw_string(w, q->ship_to, q->ship_to_len);
	}
	if (q->codes_given) {
		b2b__jw_key(w, "codes");
		b2b__jw_begin_array(w);
		for (i = 0; i < q->ncodes; i++)
			b2b__jw_string(w, q->codes[i], q->code_lens[i]);
		b2b__jw_end_array(w);
	}
	b2b__jw_key(w, "fingerprint");
	b2b__jw_cstr(w, q->fingerprint);
	b2b__jw_key(w, "status");
	b2b__jw_cstr(w, "draft");
	b2b__jw_key(w, "revision");
	b2b__jw_int(w, 1);
	b2b__jw_key(w, "valid_until");
	if (q->has_valid_until)
		put_time(w, q->valid_until);
	else
		b2b__jw_null(w);

	b2b__jw_key(w, "lines");
	b2b__jw_begin_array(w);
	for (i = 0; i < q->nlines; i++)
		put_line(w, q, &q->lines[i]);
	b2b__jw_end_array(w);

	b2b__jw_key(w, "subtotal");
	b2b__jw_dec(w, q->subtotal, q->minor, q->mode);
	b2b__jw_key(w, "discounts");
	b2b__jw_begin_array(w);
	for (i = 0; i < q->ndiscounts; i++) {
		b2b__jw_begin_object(w);
		b2b__jw_key(w, "promotion");
		b2b__jw_cstr(w, q->discounts[i].promotion);
		b2b__jw_key(w, "amount");
		b2b__jw_dec(w, q->discounts[i].amount, q->minor, q->mode);
		b2b__jw_end_object(w);
	}
	b2b__jw_end_array(w);
	b2b__jw_key(w, "discount_total");
	b2b__jw_dec(w, q->discount_total, q->minor, q->mode);
	b2b__jw_key(w, "taxes");
	b2b__jw_begin_array(w);
	for (i = 0; i < q->ntaxes; i++) {
		b2b__jw_begin_object(w);
		b2b__jw_key(w, "rate");
		put_rate(w, q->taxes[i].rate);
		b2b__jw_key(w, "base");
		b2b__jw_dec(w, q->taxes[i].base, q->minor, q->mode);
		b2b__jw_key(w, "amount");
		b2b__jw_dec(w, q->taxes[i].amount, q->minor, q->mode);
		b2b__jw_end_object(w);
	}
	b2b__jw_end_array(w);
	b2b__jw_key(w, "tax_total");
	b2b__jw_dec(w, q->tax_total, q->minor, q->mode);
	b2b__jw_key(w, "total");
	b2b__jw_dec(w, q->total, q->minor, q->mode);
	b2b__jw_key(w, "margin");
	put_opt_dec(w, q->has_margin, q->margin, q->minor, q->mode);
	b2b__jw_key(w, "margin_percent");
	put_opt_dec(w, q->has_margin, q->margin_percent, 2, q->mode);
	if (q->has_rebates)
		put_rebates(w, q);

	b2b__jw_key(w, "approval");
	b2b__jw_begin_object(w);
	b2b__jw_key(w, "level");
	b2b__jw_int(w, q->level);
	b2b__jw_key(w, "reasons");
	b2b__jw_begin_array(w);
	for (i = 0; i < q->nreasons; i++) {
		const b2b__reason *r = &q->reasons[i];

		b2b__jw_begin_object(w);
		b2b__jw_key(w, "rule");
		b2b__jw_cstr(w, r->rule);
		if (r->line >= 0) {
			b2b__jw_key(w, "line");
			b2b__jw_int(w, r->line);
		}
		b2b__jw_key(w, "value");
		b2b__jw_dec(w, r->value, r->scale, q->mode);
		b2b__jw_end_object(w);
	}
	b2b__jw_end_array(w);
	b2b__jw_end_object(w);

	put_warnings(w, q);
	if (q->cash) {
		b2b__jw_key(w, "payable");
		b2b__jw_dec(w, q->payable, q->minor, q->mode);
		b2b__jw_key(w, "cash_adjustment");
		b2b__jw_dec(w, q->cash_adjustment, q->minor, q->mode);
	}
	if (q->explain)
		put_hints(w, q->hints, q->nhints);
	b2b__jw_end_object(w);
}

static void
put_price(b2b__jw *w, const b2b_quote *q)
{
	const b2b__qline *l = &q->lines[0];

	b2b__jw_begin_object(w);
	b2b__jw_key(w, "customer");
	b2b__jw_string(w, q->customer, q->customer_len);
	b2b__jw_key(w, "sku");
	b2b__jw_string(w, l->sku, l->sku_len);
	b2b__jw_key(w, "qty");
	b2b__jw_cstr(w, l->qty_text);
	b2b__jw_key(w, "currency");
	b2b__jw_cstr(w, q->currency);
	b2b__jw_key(w, "as_of");
	put_time(w, q->as_of);
	b2b__jw_key(w, "channel");
	if (q->channel != NULL)
		b2b__jw_string(w, q->channel, q->channel_len);
	else
		b2b__jw_null(w);
	b2b__jw_key(w, "list_price");
	b2b__jw_dec(w, l->lo.list_price_rounded, q->upd, q->mode);
	b2b__jw_key(w, "unit_price");
	b2b__jw_dec(w, l->lo.unit_price, q->upd, q->mode);
	b2b__jw_key(w, "amount");
	b2b__jw_dec(w, l->amount, q->minor, q->mode);
	b2b__jw_key(w, "discount_percent");
	b2b__jw_dec(w, l->dpct, 2, q->mode);
	b2b__jw_key(w, "protected");
	b2b__jw_bool(w, l->lo.protected_);
	b2b__jw_key(w, "below_floor");
	b2b__jw_bool(w, l->lo.below_floor);
	b2b__jw_key(w, "floor");
	put_opt_dec(w, l->lo.floor.set, l->lo.floor.v, B2B_DEC_SCALE, q->mode);
	put_trace(w, &l->lo, 1);
	b2b__jw_key(w, "fingerprint");
	b2b__jw_cstr(w, q->fingerprint);
	put_warnings(w, q);
	b2b__jw_end_object(w);
}

static void
put_errors(b2b__jw *w, const b2b_quote *q)
{
	size_t i;

	b2b__jw_begin_object(w);
	b2b__jw_key(w, "errors");
	b2b__jw_begin_array(w);
	for (i = 0; i < q->nerrors; i++) {
		b2b__jw_begin_object(w);
		b2b__jw_key(w, "code");
		b2b__jw_cstr(w, q->errors[i].code);
		b2b__jw_key(w, "message");
		b2b__jw_cstr(w, q->errors[i].message);
		b2b__jw_key(w, "path");
		b2b__jw_cstr(w, q->errors[i].path);
		b2b__jw_end_object(w);
	}
	b2b__jw_end_array(w);
	b2b__jw_end_object(w);
}

int
b2b__quote_write(const char **out, size_t *len, b2b_ctx *ctx, const b2b_quote *q)
{
	b2b__jw w;

	b2b__jw_init(&w, &ctx->alloc);
	if (q->nerrors > 0)
		put_errors(&w, q);
	else if (q->kind == B2B__REQ_PRICE)
		put_price(&w, q);
	else
		put_quote(&w, q);
	return b2b__jw_finish(&w, ctx, out, len);
}

int
b2b_quote_to_json(const char **out, size_t *len, b2b_ctx *ctx, const b2b_quote *q)
{
	if (out == NULL)
		return B2B_EINVAL;
	*out = NULL;
	if (len != NULL)
		*len = 0;
	if (ctx == NULL)
		return B2B_EINVAL;
	if (q == NULL || q->kind != B2B__REQ_QUOTE)
		return b2b__ctx_seterr(ctx, B2B_EINVAL, "b2b_quote_to_json: not a quote");
	return b2b__quote_write(out, len, ctx, q);
}

int
b2b_price_to_json(const char **out, size_t *len, b2b_ctx *ctx, const b2b_price *p)
{
	if (out == NULL)
		return B2B_EINVAL;
	*out = NULL;
	if (len != NULL)
		*len = 0;
	if (ctx == NULL)
		return B2B_EINVAL;
	if (p == NULL || p->q.kind != B2B__REQ_PRICE)
		return b2b__ctx_seterr(ctx, B2B_EINVAL, "b2b_price_to_json: not a price");
	return b2b__quote_write(out, len, ctx, &p->q);
}
