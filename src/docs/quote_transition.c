/*
 * libb2bcore — transitions of quote documents (SPEC §6): an event applied
 * to a parsed document by the state machine of quote_state.c, and the
 * JSON-in, JSON-out b2b_quote_doc_transition().
 * SPDX-License-Identifier: MIT
 */
#include <string.h>

#include "arena.h"
#include "ctx_int.h"
#include "quote_doc_int.h"

/*===========================================================================
 * MARK: - transitions
 *===========================================================================*/

struct b2b_quote_transition {
	const b2b_quote_doc *doc;   /* NULL when refused */
	const char *message;        /* NULL when allowed */
};

int
b2b_quote_doc_apply(const b2b_quote_transition **out, b2b_ctx *ctx, const b2b_quote_doc *doc,
                    b2b_quote_event event, const b2b_time *as_of)
{
	struct b2b_quote_transition *tr;
	char why[B2B_QUOTE_WHY_MAX];
	b2b_time t;
	int to;

	if (out == NULL)
		return B2B_EINVAL;
	*out = NULL;
	if (ctx == NULL)
		return B2B_EINVAL;
	if (doc == NULL)
		return b2b__ctx_seterr(ctx, B2B_EINVAL, "b2b_quote_doc_apply: NULL document");
	if ((unsigned)event >= (unsigned)B2B__QUOTE_NEVENTS)
		return b2b__ctx_seterr(ctx, B2B_EINVAL, "b2b_quote_doc_apply: unknown event %u",
		                       (unsigned)event);
	if (as_of != NULL && b2b_time_format(NULL, 0, NULL, *as_of) == B2B_EINVAL)
		return b2b__ctx_seterr(ctx, B2B_EINVAL, "b2b_quote_doc_apply: as_of is not a valid "
		                       "instant");
	t = as_of != NULL ? *as_of : doc->as_of;
	tr = b2b__arena_calloc(ctx, 1, sizeof(*tr));
	if (tr == NULL)
		return b2b__ctx_seterr(ctx, B2B_ENOMEM, "out of memory");
	to = b2b__quote_next_state((int)doc->state, (int)event, doc->level,
	                           b2b__qdoc_expired_at(doc, t), why, sizeof(why));
	if (to < 0) {
		if ((tr->message = b2b__ctx_strndup(ctx, why, strlen(why))) == NULL)
			return b2b__ctx_seterr(ctx, B2B_ENOMEM, "out of memory");
	} else {
		b2b_quote_doc *d = b2b__arena_calloc(ctx, 1, sizeof(*d));

		if (d == NULL)
			return b2b__ctx_seterr(ctx, B2B_ENOMEM, "out of memory");
		*d = *doc;
		d->state = (b2b_quote_state)to;
		tr->doc = d;
	}
	*out = tr;
	return 0;
}

int
b2b_quote_transition_allowed(const b2b_quote_transition *t)
{
	return t != NULL && t->doc != NULL;
}

const b2b_quote_doc *
b2b_quote_transition_doc(const b2b_quote_transition *t)
{
	return t != NULL ? t->doc : NULL;
}

const char *
b2b_quote_transition_message(const b2b_quote_transition *t)
{
	return t != NULL ? t->message : NULL;
}

/* {"errors": [{"code": "ILLEGAL_TRANSITION", "message", "path"}]}, canonical. */
static int
refusal_to_json(const char **out, size_t *len, b2b_ctx *ctx, const char *message,
                const char *path)
{
	b2b__jw w;

	b2b__jw_init(&w, &ctx->alloc);
	b2b__jw_begin_object(&w);
	b2b__jw_key(&w, "errors");
	b2b__jw_begin_array(&w);
	b2b__jw_begin_object(&w);
	b2b__jw_key(&w, "code");
	b2b__jw_cstr(&w, "ILLEGAL_TRANSITION");
	b2b__jw_key(&w, "message");
	b2b__jw_cstr(&w, message);
	b2b__jw_key(&w, "path");
	b2b__jw_cstr(&w, path);
	b2b__jw_end_object(&w);
	b2b__jw_end_array(&w);
	b2b__jw_end_object(&w);
	return b2b__jw_finish(&w, ctx, out, len);
}

int
b2b_quote_doc_transition(const char **out, size_t *len, int *allowed, b2b_ctx *ctx,
                         const char *json, size_t json_len, b2b_quote_event event,
                         const b2b_time *as_of)
{
	const b2b_quote_doc *doc;
	const b2b_quote_transition *tr;
	int rc;

	if (out == NULL)
		return B2B_EINVAL;
	*out = NULL;
	if (len != NULL)
		*len = 0;
	if (allowed != NULL)
		*allowed = 0;
	if (ctx == NULL)
		return B2B_EINVAL;
	if ((unsigned)event >= (unsigned)B2B__QUOTE_NEVENTS)
		return b2b__ctx_seterr(ctx, B2B_EINVAL, "b2b_quote_doc_transition: unknown event %u",
		                       (unsigned)event);
	if (as_of != NULL && b2b_time_format(NULL, 0, NULL, *as_of) == B2B_EINVAL)
		return b2b__ctx_seterr(ctx, B2B_EINVAL, "b2b_quote_doc_transition: as_of is not a "
		                       "valid instant");
	if ((rc = b2b_quote_doc_parse(&doc, ctx, json, json_len)) < 0 ||
	    (rc = b2b_quote_doc_apply(&tr, ctx, doc, event, as_of)) < 0)
		return rc;
	if (tr->doc == NULL)
		return refusal_to_json(out, len, ctx, tr->message, "status");
	if ((rc = b2b_quote_doc_to_json(out, len, ctx, tr->doc)) < 0)
		return rc;
	if (allowed != NULL)
		*allowed = 1;
	return 0;
}
