/*
 * libb2bcore — revisions of quote documents (SPEC §6): the request a
 * document was priced from, priced again against a (new) book; the new
 * document, and the lines whose price changed with the first waterfall
 * step that differs.
 * SPDX-License-Identifier: MIT
 */
#include <string.h>

#include "ctx_int.h"
#include "opts.h"
#include "dec_int.h"
#include "quote_int.h"
#include "quote_doc_int.h"

/*===========================================================================
 * MARK: - revisions
 *===========================================================================*/

typedef struct b2b__change {
	long line;
	const char *sku;
	b2b_dec old_price, new_price;
	const char *old_text, *new_text;
	const char *reason;
} b2b__change;

struct b2b_quote_repricing {
	const b2b_quote *q;         /* NULL when refused */
	const b2b_quote_doc *old_doc, *doc;   /* doc: NULL unless repriced */
	b2b__change *changes;
	size_t nchanges;
	const char *as_of_text;
	const char *message;        /* why not repriced; NULL when repriced */
	const char *path;           /* the field a refusal concerns, else NULL */
};

static const char *
time_text(b2b_ctx *ctx, b2b_time t)
{
	char buf[B2B_TIME_FORMAT_MAX];

	if (b2b_time_format(buf, sizeof(buf), NULL, t) < 0)
		buf[0] = '\0';
	return b2b__ctx_strndup(ctx, buf, strlen(buf));
}

/* Copy a JSON string or number value into a request field. */
static int
set_field(b2b_quote_request *req, b2b__rfield *f, const b2b_json *v)
{
	const char *s;
	size_t len;

	if (b2b_json_typeof(v) == B2B_JSON_NUMBER) {
		s = b2b_json_number_text(v, &len);
		return b2b__qreq_set(req, f, s, len, 1);
	}
	if ((s = b2b_json_string(v, &len)) == NULL)
		return 0;
	return b2b__qreq_set(req, f, s, len, 0);
}

/* The request a document was priced from, as far as the document tells. */
static int
rebuild_request(b2b_quote_request **out, b2b_ctx *ctx, const b2b_book *book,
                const b2b_quote_doc *doc, const b2b_time *as_of)
{
	const b2b_json *root = doc->root, *lines, *codes, *v;
	b2b_quote_request *req;
	size_t i, j;
	int rc;

	if ((rc = b2b__qreq_new(&req, ctx, B2B__REQ_QUOTE)) < 0)
		return rc;
	if ((rc = set_field(req, &req->quote_id, b2b_json_get(root, "quote_id"))) < 0 ||
	    (rc = set_field(req, &req->customer, b2b_json_get(root, "customer"))) < 0 ||
	    (rc = set_field(req, &req->currency, b2b_json_get(root, "currency"))) < 0 ||
	    (rc = set_field(req, &req->channel, b2b_json_get(root, "channel"))) < 0)
		return rc;
	if ((v = b2b_json_get(root, "ship_to")) != NULL &&
	    (rc = set_field(req, &req->ship_to, v)) < 0)
		return rc;
	if (as_of != NULL) {
		const char *t = time_text(ctx, *as_of);

		if (t == NULL || (rc = b2b__qreq_set(req, &req->as_of, t, strlen(t), 0)) < 0)
			return B2B_ENOMEM;
		/* a new as_of restarts the validity when the book sets one */
		if (book->settings.quote_validity_days <= 0 &&
		    (rc = set_field(req, &req->valid_until, b2b_json_get(root, "valid_until"))) < 0)
			return rc;
	} else if ((rc = set_field(req, &req->as_of, b2b_json_get(root, "as_of"))) < 0 ||
	           (rc = set_field(req, &req->valid_until, b2b_json_get(root, "valid_until"))) < 0) {
		return rc;
	}
	if ((codes = b2b_json_get(root, "codes")) != NULL) {
		req->codes_given = 1;
		for (i = 0; i < b2b_json_size(codes); i++) {
			b2b__rfield *f = b2b__qreq_code_slot(req);

			if (f == NULL || (rc = set_field(req, f, b2b_json_at(codes, i))) < 0)
				return B2B_ENOMEM;
		}
	}
	lines = b2b_json_get(root, "lines");
	req->cash_rounding = b2b_json_get(root, "payable") != NULL;
	req->explain = b2b_json_get(b2b_json_at(lines, 0), "candidates") != NULL;
	for (i = 0; i < b2b_json_size(lines); i++) {
		const b2b_json *l = b2b_json_at(lines, i), *wf = b2b_json_get(l, "waterfall");
		b2b__rline *rl = b2b__qreq_line_slot(req);

		if (rl == NULL)
			return B2B_ENOMEM;
		if ((rc = set_field(req, &rl->sku, b2b_json_get(l, "sku"))) < 0 ||
		    (rc = set_field(req, &rl->qty, b2b_json_get(l, "qty"))) < 0)
			return rc;
		/* the requested price is what the `requested` step set */
		for (j = 0; j < b2b_json_size(wf); j++) {
			const b2b_json *st = b2b_json_at(wf, j);
			const char *name = b2b__qdoc_get_str(st, "step");

			if (name != NULL && strcmp(name, "requested") == 0 &&
			    (rc = set_field(req, &rl->requested, b2b_json_get(st, "after"))) < 0)
				return rc;
		}
	}
	*out = req;
	return 0;
}

static const char *
dec_text(b2b_ctx *ctx, b2b_dec v)
{
	char buf[B2B_DEC_FORMAT_MAX];

	if (b2b_dec_format(buf, sizeof(buf), NULL, v, B2B_DEC_SCALE_EXACT, B2B_ROUND_HALF_UP) < 0)
		buf[0] = '\0';
	return b2b__ctx_strndup(ctx, buf, strlen(buf));
}

/* Why line i's price changed: the first waterfall step that differs. */
static const char *
change_reason(b2b_ctx *ctx, const b2b_json *oldl, const b2b__line_out *lo,
              const b2b_quote_doc *old_doc, const b2b_quote *q)
{
	const b2b_json *wf = b2b_json_get(oldl, "waterfall");
	size_t j, n = b2b_json_size(wf), m = lo->nsteps;

	for (j = 0; j < n || j < m; j++) {
		const b2b_json *os = j < n ? b2b_json_at(wf, j) : NULL;
		const b2b__step *ns = j < m ? &lo->steps[j] : NULL;
		const char *oname = os != NULL ? b2b__qdoc_get_str(os, "step") : NULL;
		const char *osrc = os != NULL ? b2b__qdoc_get_str(os, "source") : NULL;
		b2b_dec ob = { 0, 0 }, oa = { 0, 0 };

		if (os != NULL) {
			b2b__qdoc_json_dec(&ob, b2b_json_get(os, "before"));
			b2b__qdoc_json_dec(&oa, b2b_json_get(os, "after"));
		}
		if (os != NULL && ns != NULL && strcmp(oname, b2b__step_name(ns->step)) == 0 &&
		    strcmp(osrc, ns->source != NULL ? ns->source : "") == 0 &&
		    b2b__dec_eq(ob, ns->before) && b2b__dec_eq(oa, ns->after))
			continue;
		if (os != NULL && ns != NULL && strcmp(oname, b2b__step_name(ns->step)) == 0)
			return b2b__arena_printf(ctx, "step %zu '%s': was %s %s → %s, now %s %s → %s", j,
			                         oname, osrc, dec_text(ctx, ob), dec_text(ctx, oa),
			                         ns->source != NULL ? ns->source : "",
			                         dec_text(ctx, ns->before), dec_text(ctx, ns->after));
		if (os != NULL && ns != NULL)
			return b2b__arena_printf(ctx, "step %zu: was '%s' %s %s → %s, now '%s' %s %s → %s",
			                         j, oname, osrc, dec_text(ctx, ob), dec_text(ctx, oa),
			                         b2b__step_name(ns->step),
			                         ns->source != NULL ? ns->source : "",
			                         dec_text(ctx, ns->before), dec_text(ctx, ns->after));
		if (os != NULL)
			return b2b__arena_printf(ctx, "step %zu '%s' no longer applies: was %s %s → %s",
			                         j, oname, osrc, dec_text(ctx, ob), dec_text(ctx, oa));
		return b2b__arena_printf(ctx, "step %zu '%s' now applies: %s %s → %s", j,
		                         b2b__step_name(ns->step), ns->source != NULL ? ns->source : "",
		                         dec_text(ctx, ns->before), dec_text(ctx, ns->after));
	}
	return b2b__arena_printf(ctx, "book changed: fingerprint %s → %s", old_doc->fingerprint,
	                         q->fingerprint);
}

int
b2b_quote_doc_reprice(const b2b_quote_repricing **out, b2b_ctx *ctx, const b2b_book *book,
                      const b2b_quote_doc *doc, const b2b_time *as_of,
                      const b2b_quote_options *opts)
{
	struct b2b_quote_repricing *rev;
	b2b_quote_request *req = NULL;
	b2b_quote *q = NULL;
	b2b_quote_doc *nd = NULL;
	const b2b_json *root, *oldlines;
	const char *text;
	size_t tlen, i;
	uint32_t flags = 0;
	b2b_time t;
	int rc;

	if (out == NULL)
		return B2B_EINVAL;
	*out = NULL;
	if (ctx == NULL)
		return B2B_EINVAL;
	if (book == NULL || doc == NULL)
		return b2b__ctx_seterr(ctx, B2B_EINVAL, "b2b_quote_doc_reprice: NULL argument");
	if (opts != NULL) {
		if ((rc = b2b__opts_check(ctx, "b2b_quote_options", opts->version,
		                          B2B_QUOTE_OPTIONS_VERSION, opts->flags,
		                          B2B_QUOTE_EXPLAIN)) < 0)
			return rc;
		flags = opts->flags;
	}
	if (as_of != NULL && b2b_time_format(NULL, 0, NULL, *as_of) == B2B_EINVAL)
		return b2b__ctx_seterr(ctx, B2B_EINVAL, "b2b_quote_doc_reprice: as_of is not a valid "
		                       "instant");
	rev = b2b__arena_calloc(ctx, 1, sizeof(*rev));
	if (rev == NULL)
		return b2b__ctx_seterr(ctx, B2B_ENOMEM, "out of memory");
	rev->old_doc = doc;
	t = as_of != NULL ? *as_of : doc->as_of;
	/* refusals: results, not failures */
	if (doc->state > B2B_QUOTE_SENT) {
		rev->message = b2b__arena_printf(ctx, "cannot reprice a quote in state '%s'%s",
		                                 b2b__quote_state_names[doc->state],
		                                 doc->state == B2B_QUOTE_ACCEPTED ?
		                                     ": its prices are locked until valid_until" :
		                                     " (only draft, submitted, approved, rejected "
		                                     "and sent quotes are open)");
		rev->path = "status";
	} else if (b2b__qdoc_expired_at(doc, t)) {
		rev->message = b2b__arena_printf(ctx, "cannot reprice a quote in state '%s' that has "
		                                 "expired (as_of is not before valid_until): "
		                                 "expire it", b2b__quote_state_names[doc->state]);
		rev->path = "valid_until";
	}
	if (rev->path != NULL) {
		if (rev->message == NULL)
			return b2b__ctx_seterr(ctx, B2B_ENOMEM, "out of memory");
		*out = rev;
		return 0;
	}
	if (doc->revision == INT64_MAX)
		return b2b__ctx_seterr(ctx, B2B_EOVERFLOW, "revision %lld cannot be incremented",
		                       (long long)doc->revision);
	if ((rc = rebuild_request(&req, ctx, book, doc, as_of)) < 0)
		return b2b__ctx_seterr(ctx, rc, "out of memory");
	if ((rc = b2b__quote_run(&q, ctx, book, req, flags)) < 0)
		return rc;
	if (q->nerrors > 0) {
		rev->q = q;
		rev->message = b2b__arena_printf(ctx, "the quote cannot be priced against this book: "
		                                 "%zu problem%s", q->nerrors,
		                                 q->nerrors == 1 ? "" : "s");
		if (rev->message == NULL)
			return b2b__ctx_seterr(ctx, B2B_ENOMEM, "out of memory");
		*out = rev;
		return 0;
	}
	/* the new document: the library's own, read back, status and revision set */
	if ((rc = b2b__quote_write(&text, &tlen, ctx, q)) < 0)
		return rc;
	if ((rc = b2b_json_parse(&root, ctx, text, tlen, 0)) < 0 ||
	    (rc = b2b__qdoc_from_tree(&nd, ctx, root)) < 0)
		return b2b__ctx_seterr(ctx, rc == B2B_ENOMEM ? rc : B2B_ERROR,
		                       "the repriced quote could not be read back: %s",
		                       b2b_ctx_errmsg(ctx));
	nd->state = B2B_QUOTE_DRAFT;
	nd->revision = doc->revision + 1;
	rev->q = q;
	rev->doc = nd;
	rev->as_of_text = time_text(ctx, q->as_of);
	rev->changes = b2b__arena_calloc(ctx, q->nlines + 1, sizeof(*rev->changes));
	if (rev->changes == NULL || rev->as_of_text == NULL)
		return b2b__ctx_seterr(ctx, B2B_ENOMEM, "out of memory");
	oldlines = b2b_json_get(doc->root, "lines");
	for (i = 0; i < q->nlines && i < b2b_json_size(oldlines); i++) {
		const b2b_json *ol = b2b_json_at(oldlines, i);
		const b2b__qline *nl = &q->lines[i];
		b2b__change *c = &rev->changes[rev->nchanges];
		b2b_dec old = { 0, 0 };
		char buf[B2B_DEC_FORMAT_MAX];

		b2b__qdoc_json_dec(&old, b2b_json_get(ol, "unit_price"));
		if (b2b__dec_eq(old, nl->lo.unit_price))
			continue;
		c->line = (long)i;
		c->sku = nl->sku;
		c->old_price = old;
		c->new_price = nl->lo.unit_price;
		if (b2b_json_typeof(b2b_json_get(ol, "unit_price")) == B2B_JSON_STRING)
			c->old_text = b2b__qdoc_get_str(ol, "unit_price");
		else
			c->old_text = dec_text(ctx, old);
		if (b2b_dec_format(buf, sizeof(buf), NULL, nl->lo.unit_price, q->upd, q->mode) < 0)
			buf[0] = '\0';
		c->new_text = b2b__ctx_strndup(ctx, buf, strlen(buf));
		c->reason = change_reason(ctx, ol, &nl->lo, doc, q);
		if (c->old_text == NULL || c->new_text == NULL || c->reason == NULL)
			return b2b__ctx_seterr(ctx, B2B_ENOMEM, "out of memory");
		rev->nchanges++;
	}
	*out = rev;
	return 0;
}

int
b2b_quote_repricing_ok(const b2b_quote_repricing *rev)
{
	return rev != NULL && rev->doc != NULL;
}

const char *
b2b_quote_repricing_message(const b2b_quote_repricing *rev)
{
	return rev != NULL ? rev->message : NULL;
}

const char *
b2b_quote_repricing_path(const b2b_quote_repricing *rev)
{
	return rev != NULL ? rev->path : NULL;
}

const b2b_quote *
b2b_quote_repricing_quote(const b2b_quote_repricing *rev)
{
	return rev != NULL ? rev->q : NULL;
}

const b2b_quote_doc *
b2b_quote_repricing_doc(const b2b_quote_repricing *rev)
{
	return rev != NULL ? rev->doc : NULL;
}

size_t
b2b_quote_repricing_change_count(const b2b_quote_repricing *rev)
{
	return rev != NULL ? rev->nchanges : 0;
}

static const b2b__change *
change_at(const b2b_quote_repricing *rev, size_t i)
{
	return rev != NULL && i < rev->nchanges ? &rev->changes[i] : NULL;
}

long
b2b_quote_repricing_change_line(const b2b_quote_repricing *rev, size_t i)
{
	const b2b__change *c = change_at(rev, i);
	return c != NULL ? c->line : -1;
}

b2b_dec
b2b_quote_repricing_change_old_price(const b2b_quote_repricing *rev, size_t i)
{
	const b2b__change *c = change_at(rev, i);
	b2b_dec zero = { 0, 0 };

	return c != NULL ? c->old_price : zero;
}

b2b_dec
b2b_quote_repricing_change_new_price(const b2b_quote_repricing *rev, size_t i)
{
	const b2b__change *c = change_at(rev, i);
	b2b_dec zero = { 0, 0 };

	return c != NULL ? c->new_price : zero;
}

const char *
b2b_quote_repricing_change_reason(const b2b_quote_repricing *rev, size_t i)
{
	const b2b__change *c = change_at(rev, i);
	return c != NULL ? c->reason : NULL;
}

int
b2b_quote_repricing_changes_to_json(const char **out, size_t *len, b2b_ctx *ctx,
                                    const b2b_quote_repricing *rev)
{
	const b2b_json *old_root;
	const b2b_quote *q;
	b2b__jw w;
	size_t i;

	if (out == NULL)
		return B2B_EINVAL;
	*out = NULL;
	if (len != NULL)
		*len = 0;
	if (ctx == NULL)
		return B2B_EINVAL;
	if (rev == NULL || rev->doc == NULL)
		return b2b__ctx_seterr(ctx, B2B_EINVAL, "b2b_quote_repricing_changes_to_json: %s",
		                       rev == NULL ? "NULL argument" : "no new revision was made");
	q = rev->q;
	old_root = rev->old_doc->root;
	b2b__jw_init(&w, &ctx->alloc);
	b2b__jw_begin_object(&w);
	b2b__jw_key(&w, "quote_id");
	b2b__qdoc_emit_value(&w, b2b_json_get(old_root, "quote_id"), T_STR, 0, NULL);
	b2b__jw_key(&w, "revision");
	b2b__jw_int(&w, rev->doc->revision);
	b2b__jw_key(&w, "from_fingerprint");
	b2b__jw_cstr(&w, rev->old_doc->fingerprint);
	b2b__jw_key(&w, "to_fingerprint");
	b2b__jw_cstr(&w, q->fingerprint);
	b2b__jw_key(&w, "from_as_of");
	b2b__qdoc_emit_value(&w, b2b_json_get(old_root, "as_of"), T_TIME, 0, NULL);
	b2b__jw_key(&w, "as_of");
	b2b__jw_cstr(&w, rev->as_of_text);
	b2b__jw_key(&w, "old_total");
	b2b__qdoc_emit_value(&w, b2b_json_get(old_root, "total"), T_DEC, 0, NULL);
	b2b__jw_key(&w, "new_total");
	b2b__jw_dec(&w, q->total, q->minor, q->mode);
	b2b__jw_key(&w, "changes");
	b2b__jw_begin_array(&w);
	for (i = 0; i < rev->nchanges; i++) {
		const b2b__change *c = &rev->changes[i];

		b2b__jw_begin_object(&w);
		b2b__jw_key(&w, "line");
		b2b__jw_int(&w, c->line);
		b2b__jw_key(&w, "sku");
		b2b__jw_cstr(&w, c->sku);
		b2b__jw_key(&w, "old_unit_price");
		b2b__jw_cstr(&w, c->old_text);
		b2b__jw_key(&w, "new_unit_price");
		b2b__jw_cstr(&w, c->new_text);
		b2b__jw_key(&w, "reason");
		b2b__jw_cstr(&w, c->reason);
		b2b__jw_end_object(&w);
	}
	b2b__jw_end_array(&w);
	b2b__jw_end_object(&w);
	return b2b__jw_finish(&w, ctx, out, len);
}
