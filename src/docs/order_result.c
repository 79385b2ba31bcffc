/*
 * libb2bcore — the result of an order validation (SPEC §7): its accessors
 * and its JSON document.
 * SPDX-License-Identifier: MIT
 */
#include "json_write.h"
#include "order_run.h"

/*===========================================================================
 * MARK: - results
 *===========================================================================*/

int
b2b_validation_to_json(const char **out, size_t *len, b2b_ctx *ctx, const b2b_validation *v)
{
	b2b__jw w;
	size_t i;

	if (out == NULL)
		return B2B_EINVAL;
	*out = NULL;
	if (len != NULL)
		*len = 0;
	if (ctx == NULL)
		return B2B_EINVAL;
	if (v == NULL)
		return b2b__ctx_seterr(ctx, B2B_EINVAL, "b2b_validation_to_json: NULL result");
	b2b__jw_init(&w, &ctx->alloc);
	b2b__jw_begin_object(&w);
	b2b__jw_key(&w, "valid");
	b2b__jw_bool(&w, v->valid);
	b2b__jw_key(&w, "total");
	b2b__jw_dec(&w, v->total, v->minor, v->mode);
	b2b__jw_key(&w, "violations");
	b2b__jw_begin_array(&w);
	for (i = 0; i < v->n; i++) {
		const b2b__violation *x = &v->v[i];

		b2b__jw_begin_object(&w);
		b2b__jw_key(&w, "code");
		b2b__jw_cstr(&w, x->code);
		b2b__jw_key(&w, "severity");
		b2b__jw_cstr(&w, b2b_order_severity_name((b2b_order_severity)x->severity));
		if (x->line >= 0) {
			b2b__jw_key(&w, "line");
			b2b__jw_int(&w, x->line);
		}
		if (x->path != NULL) {
			b2b__jw_key(&w, "path");
			b2b__jw_cstr(&w, x->path);
		}
		b2b__jw_key(&w, "message");
		b2b__jw_cstr(&w, x->message);
		if (x->expected != NULL) {
			b2b__jw_key(&w, "expected");
			b2b__jw_cstr(&w, x->expected);
		}
		if (x->actual != NULL) {
			b2b__jw_key(&w, "actual");
			b2b__jw_cstr(&w, x->actual);
		}
		b2b__jw_end_object(&w);
	}
	b2b__jw_end_array(&w);
	b2b__jw_end_object(&w);
	return b2b__jw_finish(&w, ctx, out, len);
}

int
b2b_validation_valid(const b2b_validation *v)
{
	return v != NULL ? v->valid : 0;
}

b2b_dec
b2b_validation_total(const b2b_validation *v)
{
	b2b_dec zero = { 0, 0 };

	return v != NULL ? v->total : zero;
}

const char *
b2b_validation_currency(const b2b_validation *v)
{
	return v != NULL ? v->currency : NULL;
}

int
b2b_validation_minor_units(const b2b_validation *v)
{
	return v != NULL ? v->minor : 0;
}

size_t
b2b_validation_count(const b2b_validation *v)
{
	return v != NULL ? v->n : 0;
}

static const b2b__violation *
at(const b2b_validation *v, size_t i)
{
	return v != NULL && i < v->n ? &v->v[i] : NULL;
}

const char *
b2b_validation_code(const b2b_validation *v, size_t i)
{
	const b2b__violation *x = at(v, i);
	return x != NULL ? x->code : NULL;
}

b2b_order_severity
b2b_validation_severity(const b2b_validation *v, size_t i)
{
	const b2b__violation *x = at(v, i);
	return x != NULL ? (b2b_order_severity)x->severity : (b2b_order_severity)-1;
}

long
b2b_validation_line(const b2b_validation *v, size_t i)
{
	const b2b__violation *x = at(v, i);
	return x != NULL ? x->line : -1;
}

const char *
b2b_validation_path(const b2b_validation *v, size_t i)
{
	const b2b__violation *x = at(v, i);
	return x != NULL ? x->path : NULL;
}

const char *
b2b_validation_message(const b2b_validation *v, size_t i)
{
	const b2b__violation *x = at(v, i);
	return x != NULL ? x->message : NULL;
}

const char *
b2b_validation_expected(const b2b_validation *v, size_t i)
{
	const b2b__violation *x = at(v, i);
	return x != NULL ? x->expected : NULL;
}

const char *
b2b_validation_actual(const b2b_validation *v, size_t i)
{
	const b2b__violation *x = at(v, i);
	return x != NULL ? x->actual : NULL;
}
