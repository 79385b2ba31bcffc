/*
 * libb2bcore — quote documents written again (SPEC §6): a parsed document
 * is re-emitted from its JSON tree by walking the schema of
 * quote_doc_read.c through the canonical writer (json_write.h), with only
 * `status` and `revision` taken from the document struct. Strings
 * (decimals included) are written back as the bytes they held, so a
 * document the library wrote comes out identical.
 * SPDX-License-Identifier: MIT
 */
#include "ctx_int.h"
#include "dec_int.h"
#include "quote_doc_int.h"

/*===========================================================================
 * MARK: - writing documents
 *===========================================================================*/

static void emit_object(b2b__jw *w, const b2b_json *v, const schema *sc,
                        const b2b_quote_doc *top);

void
b2b__qdoc_emit_value(b2b__jw *w, const b2b_json *v, int type, int elem, const schema *sub)
{
	const char *s;
	size_t len, i;
	int64_t n;
	b2b_dec d;
	char buf[B2B_DEC_FORMAT_MAX];

	switch (b2b_json_typeof(v)) {
	case B2B_JSON_NULL:
		b2b__jw_null(w);
		return;
	case B2B_JSON_TRUE:
	case B2B_JSON_FALSE:
		b2b__jw_bool(w, b2b_json_typeof(v) == B2B_JSON_TRUE);
		return;
	case B2B_JSON_STRING:
		s = b2b_json_string(v, &len);
		b2b__jw_string(w, s, len);
		return;
	case B2B_JSON_NUMBER:
		if (type == T_DEC || type == T_DEC_NULL) {
			/* a decimal given as a number is written as a string, with the
			 * fractional digits it was written with */
			s = b2b_json_number_text(v, &len);
			if (b2b_json_number(&d, v) < 0 ||
			    b2b_dec_format(buf, sizeof(buf), NULL, d, b2b__written_scale(s, len, 1),
			                   B2B_ROUND_HALF_UP) < 0)
				buf[0] = '\0';
			b2b__jw_cstr(w, buf);
		} else {
			b2b__qdoc_json_int(&n, v);
			b2b__jw_int(w, n);
		}
		return;
	case B2B_JSON_ARRAY:
		b2b__jw_begin_array(w);
		for (i = 0; i < b2b_json_size(v); i++)
			b2b__qdoc_emit_value(w, b2b_json_at(v, i), elem, 0, sub);
		b2b__jw_end_array(w);
		return;
	default:
		emit_object(w, v, sub, NULL);
		return;
	}
}

/* `top`: the document whose status and revision replace the tree's. */
static void
emit_object(b2b__jw *w, const b2b_json *v, const schema *sc, const b2b_quote_doc *top)
{
	size_t j;

	b2b__jw_begin_object(w);
	for (j = 0; j < sc->n; j++) {
		const field *f = &sc->f[j];
		const b2b_json *m = b2b_json_get(v, f->name);

		if (m == NULL)
			continue;
		b2b__jw_key(w, f->name);
		if (top != NULL && f->type == T_STATE)
			b2b__jw_cstr(w, b2b__quote_state_names[top->state]);
		else if (top != NULL && f->type == T_REVISION)
			b2b__jw_int(w, top->revision);
		else
			b2b__qdoc_emit_value(w, m, f->type, f->elem, f->sub);
	}
	b2b__jw_end_object(w);
}

int
b2b_quote_doc_to_json(const char **out, size_t *len, b2b_ctx *ctx, const b2b_quote_doc *doc)
{
	b2b__jw w;

	if (out == NULL)
		return B2B_EINVAL;
	*out = NULL;
	if (len != NULL)
		*len = 0;
	if (ctx == NULL)
		return B2B_EINVAL;
	if (doc == NULL)
		return b2b__ctx_seterr(ctx, B2B_EINVAL, "b2b_quote_doc_to_json: NULL document");
	b2b__jw_init(&w, &ctx->alloc);
	emit_object(&w, doc->root, &b2b__quote_doc_schema, doc);
	return b2b__jw_finish(&w, ctx, out, len);
}
