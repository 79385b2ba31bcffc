/*
 * libb2bcore — quote documents read back (SPEC §6): the schema that lists
 * every field of b2b_quote_to_json() in its canonical order, the checker
 * that reads a document field by field against it (the first problem is
 * an EPARSE with its path), and the document's accessors.
 *
 * Lossless documents: a parsed document keeps its JSON tree, which
 * quote_doc_write.c writes back through the same schema.
 * SPDX-License-Identifier: MIT
 */
#include <stdarg.h>
#include <string.h>

#include "arena.h"
#include "ctx_int.h"
#include "json_int.h"
#include "quote_doc_int.h"

/*===========================================================================
 * MARK: - the document schema
 *===========================================================================*/

#define SCHEMA(x) { x, sizeof(x) / sizeof(x[0]) }

static const field STEP_F[] = {
	{ "step", T_STEP, F_REQ, 0, NULL },
	{ "source", T_STR, F_REQ, 0, NULL },
	{ "before", T_DEC, F_REQ, 0, NULL },
	{ "after", T_DEC, F_REQ, 0, NULL },
};
static const schema STEP_S = SCHEMA(STEP_F);

static const field CAND_F[] = {
	{ "step", T_STEP, F_REQ, 0, NULL },
	{ "source", T_STR, F_REQ, 0, NULL },
	{ "outcome", T_OUTCOME, F_REQ, 0, NULL },
	{ "reason", T_STR_NULL, F_REQ, 0, NULL },
};
static const schema CAND_S = SCHEMA(CAND_F);

/* SPEC §11: every kind's fields, in the order the library writes them
 * (next_break: qty, unit_price; volume_tier: agreement, missing,
 * percent; expires: at, source; order_promotion: promotion, missing). */
static const field HINT_F[] = {
	{ "kind", T_STR, F_REQ, 0, NULL },
	{ "message", T_STR, F_REQ, 0, NULL },
	{ "qty", T_DEC, 0, 0, NULL },
	{ "unit_price", T_DEC, 0, 0, NULL },
	{ "agreement", T_STR, 0, 0, NULL },
	{ "promotion", T_STR, 0, 0, NULL },
	{ "missing", T_DEC, 0, 0, NULL },
	{ "percent", T_DEC, 0, 0, NULL },
	{ "at", T_TIME, 0, 0, NULL },
	{ "source", T_STR, 0, 0, NULL },
};
static const schema HINT_S = SCHEMA(HINT_F);

static const field LINE_F[] = {
	{ "sku", T_STR, F_REQ, 0, NULL },
	{ "qty", T_DEC, F_REQ, 0, NULL },
	{ "list_price", T_DEC, F_REQ, 0, NULL },
	{ "unit_price", T_DEC, F_REQ, 0, NULL },
	{ "amount", T_DEC, F_REQ, 0, NULL },
	{ "order_discount", T_DEC, F_REQ, 0, NULL },
	{ "net_amount", T_DEC, F_REQ, 0, NULL },
	{ "tax_rate", T_DEC, F_REQ, 0, NULL },
	{ "tax", T_DEC, F_REQ, 0, NULL },
	{ "total", T_DEC, F_REQ, 0, NULL },
	{ "cost", T_DEC_NULL, F_REQ, 0, NULL },
	{ "margin", T_DEC_NULL, F_REQ, 0, NULL },
	{ "discount_percent", T_DEC, F_REQ, 0, NULL },
	{ "protected", T_BOOL, F_REQ, 0, NULL },
	{ "below_floor", T_BOOL, F_REQ, 0, NULL },
	{ "rebate", T_DEC, 0, 0, NULL },
	{ "waterfall", T_ARR, F_REQ, T_OBJ, &STEP_S },
	{ "candidates", T_ARR, 0, T_OBJ, &CAND_S },
	{ "hints", T_ARR, 0, T_OBJ, &HINT_S },
};
static const schema LINE_S = SCHEMA(LINE_F);

static const field DISCOUNT_F[] = {
	{ "promotion", T_STR, F_REQ, 0, NULL },
	{ "amount", T_DEC, F_REQ, 0, NULL },
};
static const schema DISCOUNT_S = SCHEMA(DISCOUNT_F);

static const field TAX_F[] = {
	{ "rate", T_DEC, F_REQ, 0, NULL },
	{ "base", T_DEC, F_REQ, 0, NULL },
	{ "amount", T_DEC, F_REQ, 0, NULL },
};
static const schema TAX_S = SCHEMA(TAX_F);

static const field REASON_F[] = {
	{ "rule", T_STR, F_REQ, 0, NULL },
	{ "line", T_LINE, 0, 0, NULL },
	{ "value", T_DEC, F_REQ, 0, NULL },
};
static const schema REASON_S = SCHEMA(REASON_F);

static const field APPROVAL_F[] = {
	{ "level", T_LEVEL, F_REQ, 0, NULL },
	{ "reasons", T_ARR, F_REQ, T_OBJ, &REASON_S },
};
static const schema APPROVAL_S = SCHEMA(APPROVAL_F);

static const field REBATE_F[] = {
	{ "agreement", T_STR, F_REQ, 0, NULL },
	{ "tier", T_STR_NULL, F_REQ, 0, NULL },
	{ "volume", T_DEC, F_REQ, 0, NULL },
	{ "accrual", T_DEC, F_REQ, 0, NULL },
};
static const schema REBATE_S = SCHEMA(REBATE_F);

static const field WARNING_F[] = {
	{ "code", T_STR, F_REQ, 0, NULL },
	{ "line", T_LINE, 0, 0, NULL },
	{ "message", T_STR, F_REQ, 0, NULL },
};
static const schema WARNING_S = SCHEMA(WARNING_F);

/* The quote document, keys in the order of b2b_quote_to_json(). */
static const field QUOTE_F[] = {
	{ "quote_id", T_STR, F_REQ, 0, NULL },
	{ "customer", T_STR, F_REQ, 0, NULL },
	{ "as_of", T_TIME, F_REQ, 0, NULL },
	{ "currency", T_CUR, F_REQ, 0, NULL },
	{ "channel", T_STR_NULL, F_REQ, 0, NULL },
	{ "ship_to", T_STR, 0, 0, NULL },
	{ "codes", T_ARR, 0, T_STR, NULL },
	{ "fingerprint", T_HEX64, F_REQ, 0, NULL },
	{ "status", T_STATE, F_REQ, 0, NULL },
	{ "revision", T_REVISION, F_REQ, 0, NULL },
	{ "valid_until", T_TIME_NULL, F_REQ, 0, NULL },
	{ "lines", T_ARR, F_REQ | F_NONEMPTY, T_OBJ, &LINE_S },
	{ "subtotal", T_DEC, F_REQ, 0, NULL },
	{ "discounts", T_ARR, F_REQ, T_OBJ, &DISCOUNT_S },
	{ "discount_total", T_DEC, F_REQ, 0, NULL },
	{ "taxes", T_ARR, F_REQ, T_OBJ, &TAX_S },
	{ "tax_total", T_DEC, F_REQ, 0, NULL },
	{ "total", T_DEC, F_REQ, 0, NULL },
	{ "margin", T_DEC_NULL, F_REQ, 0, NULL },
	{ "margin_percent", T_DEC_NULL, F_REQ, 0, NULL },
	{ "rebates", T_ARR, 0, T_OBJ, &REBATE_S },
	{ "rebate_total", T_DEC, 0, 0, NULL },
	{ "approval", T_OBJ, F_REQ, 0, &APPROVAL_S },
	{ "warnings", T_ARR, F_REQ, T_OBJ, &WARNING_S },
	{ "payable", T_DEC, 0, 0, NULL },
	{ "cash_adjustment", T_DEC, 0, 0, NULL },
	{ "hints", T_ARR, 0, T_OBJ, &HINT_S },
};
const schema b2b__quote_doc_schema = SCHEMA(QUOTE_F);

static const char *const STEP_NAMES[] = {
	"list", "fx", "price_list", "contract", "volume", "dynamic", "promotion", "requested",
	"rounding"
};

static const char *
type_expect(int type)
{
	switch (type) {
	case T_STR:
		return "a string";
	case T_STR_NULL:
		return "a string or null";
	case T_TIME:
		return "a date YYYY-MM-DD or a date-time YYYY-MM-DDThh:mm:ssZ";
	case T_TIME_NULL:
		return "a date YYYY-MM-DD, a date-time YYYY-MM-DDThh:mm:ssZ or null";
	case T_CUR:
		return "a currency code of three upper-case letters";
	case T_HEX64:
		return "64 lower-case hexadecimal digits";
	case T_STATE:
		return "one of draft, submitted, approved, rejected, sent, accepted, declined, "
		       "ordered, expired, cancelled";
	case T_STEP:
		return "one of list, fx, price_list, contract, volume, dynamic, promotion, "
		       "requested, rounding";
	case T_OUTCOME:
		return "applied or passed";
	case T_DEC:
		return "a decimal (a string such as \"12.50\", or a number; at most 9 fractional "
		       "digits)";
	case T_DEC_NULL:
		return "a decimal (a string such as \"12.50\", or a number) or null";
	case T_BOOL:
		return "true or false";
	case T_REVISION:
		return "an integer ≥ 1";
	case T_LEVEL:
		return "an integer from 0 to 9";
	case T_LINE:
		return "a line index (an integer ≥ 0 below the number of lines)";
	case T_ARR:
		return "an array";
	default:
		return "an object";
	}
}

/*===========================================================================
 * MARK: - reading documents
 *===========================================================================*/

typedef struct checker {
	b2b_ctx *ctx;
	size_t nlines;
	char path[256];
	size_t plen;
	int pcut;               /* the path was shortened */
} checker;

#define PATH_NOT_PUSHED SIZE_MAX

/* Report the first problem: EPARSE with the path and where the value is. */
static int
bad(checker *c, const b2b_json *at, const char *fmt, ...) B2B__PRINTF(3, 4);

static int
bad(checker *c, const b2b_json *at, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	b2b__text_vformat(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	b2b__ctx_seterr(c->ctx, B2B_EPARSE, "quote document: %s: %s", c->plen > 0 ? c->path : "$",
	                msg);
	b2b__ctx_setloc(c->ctx, NULL, b2b_json_line(at), b2b_json_col(at), b2b_json_offset(at));
	b2b__ctx_setpath(c->ctx, c->plen > 0 ? c->path : "$");
	return B2B_EPARSE;
}

/* Appending to the path shortens it as core/text.h says: path_push_*()
 * return what path_pop() needs; once the path is cut nothing more is
 * appended. */
static void
path_open(checker *c, b2b__tbuf *t)
{
	t->s = c->path;
	t->size = sizeof(c->path);
	t->len = c->plen;
	t->cut = 0;
}

static void
path_close(checker *c, const b2b__tbuf *t)
{
	c->plen = t->len;
	c->pcut = t->cut;
}

static size_t
path_push_key(checker *c, const char *key)
{
	size_t old = c->plen;
	b2b__tbuf t;

	if (c->pcut)
		return PATH_NOT_PUSHED;
	path_open(c, &t);
	b2b__tbuf_printf(&t, "%s%s", c->plen > 0 ? "." : "", key);
	path_close(c, &t);
	return old;
}

static size_t
path_push_index(checker *c, size_t i)
{
	size_t old = c->plen;
	b2b__tbuf t;

	if (c->pcut)
		return PATH_NOT_PUSHED;
	path_open(c, &t);
	b2b__tbuf_printf(&t, "[%zu]", i);
	path_close(c, &t);
	return old;
}

static void
path_pop(checker *c, size_t old)
{
	if (old == PATH_NOT_PUSHED)
		return;
	c->pcut = 0;
	c->plen = old;
	c->path[old] = '\0';
}

int
b2b__qdoc_json_int(int64_t *out, const b2b_json *v)
{
	const char *s;
	size_t len, i;
	b2b_dec d;

	if (b2b_json_typeof(v) != B2B_JSON_NUMBER)
		return -1;
	s = b2b_json_number_text(v, &len);
	for (i = s[0] == '-' ? 1 : 0; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return -1;
	if (b2b_json_number(&d, v) < 0 || b2b_dec_to_units(out, d, 0, B2B_ROUND_DOWN) < 0)
		return -1;
	return 0;
}

int
b2b__qdoc_json_dec(b2b_dec *out, const b2b_json *v)
{
	const char *s;
	size_t len;

	if (b2b_json_typeof(v) == B2B_JSON_NUMBER)
		return b2b_json_number(out, v) == 0 ? 0 : -1;
	if ((s = b2b_json_string(v, &len)) == NULL)
		return -1;
	return b2b_dec_parse(out, NULL, s, len, 0) == 0 ? 0 : -1;
}

static int check_object(checker *c, const b2b_json *v, const schema *sc);

static int
check_value(checker *c, const b2b_json *v, int type, int elem, int flags, const schema *sub)
{
	b2b_json_type jt = b2b_json_typeof(v);
	const char *s;
	size_t len, i;
	int64_t n;
	b2b_dec d;
	b2b_time t;
	int rc;

	if (jt == B2B_JSON_NULL && (type == T_STR_NULL || type == T_TIME_NULL ||
	                            type == T_DEC_NULL))
		return 0;
	switch (type) {
	case T_STR:
	case T_STR_NULL:
		if (jt != B2B_JSON_STRING)
			break;
		return 0;
	case T_TIME:
	case T_TIME_NULL:
		if ((s = b2b_json_string(v, &len)) == NULL || b2b_time_parse(&t, NULL, s, len) < 0)
			break;
		return 0;
	case T_CUR:
		if ((s = b2b_json_string(v, &len)) == NULL || len != 3)
			break;
		for (i = 0; i < 3 && s[i] >= 'A' && s[i] <= 'Z'; i++)
			;
		if (i < 3)
			break;
		return 0;
	case T_HEX64:
		if ((s = b2b_json_string(v, &len)) == NULL || len != 64)
			break;
		for (i = 0; i < 64 && ((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f'));
		     i++)
			;
		if (i < 64)
			break;
		return 0;
	case T_STATE:
		if ((s = b2b_json_string(v, &len)) == NULL ||
		    b2b__quote_name_index(b2b__quote_state_names, B2B__QUOTE_NSTATES, s, len) < 0)
			break;
		return 0;
	case T_STEP:
		if ((s = b2b_json_string(v, &len)) == NULL ||
		    b2b__quote_name_index(STEP_NAMES,
		                          (int)(sizeof(STEP_NAMES) / sizeof(STEP_NAMES[0])), s,
		                          len) < 0)
			break;
		return 0;
	case T_OUTCOME:
		if ((s = b2b_json_string(v, &len)) == NULL ||
		    !((len == 7 && memcmp(s, "applied", 7) == 0) ||
		      (len == 6 && memcmp(s, "passed", 6) == 0)))
			break;
		return 0;
	case T_DEC:
	case T_DEC_NULL:
		if (b2b__qdoc_json_dec(&d, v) < 0)
			break;
		return 0;
	case T_BOOL:
		if (jt != B2B_JSON_TRUE && jt != B2B_JSON_FALSE)
			break;
		return 0;
	case T_REVISION:
		if (b2b__qdoc_json_int(&n, v) < 0 || n < 1)
			break;
		return 0;
	case T_LEVEL:
		if (b2b__qdoc_json_int(&n, v) < 0 || n < 0 || n > 9)
			break;
		return 0;
	case T_LINE:
		if (b2b__qdoc_json_int(&n, v) < 0 || n < 0 || (uint64_t)n >= c->nlines)
			break;
		return 0;
	case T_ARR:
		if (jt != B2B_JSON_ARRAY)
			break;
		if ((flags & F_NONEMPTY) && b2b_json_size(v) == 0)
			return bad(c, v, "expected a non-empty array");
		for (i = 0; i < b2b_json_size(v); i++) {
			size_t old = path_push_index(c, i);

			rc = check_value(c, b2b_json_at(v, i), elem, 0, 0, sub);
			if (rc < 0)
				return rc;
			path_pop(c, old);
		}
		return 0;
	default:
		if (jt != B2B_JSON_OBJECT)
			break;
		return check_object(c, v, sub);
	}
	if (jt == B2B_JSON_STRING) {
		s = b2b_json_string(v, &len);
		return bad(c, v, "expected %s, got \"%.*s%s\"", type_expect(type),
		           B2B__SHOWN(s, len, 40));
	}
	return bad(c, v, "expected %s, got %s", type_expect(type),
	           b2b__json_type_text(jt));
}

static int
check_object(checker *c, const b2b_json *v, const schema *sc)
{
	size_t k, j, klen, n = b2b_json_size(v);
	int rc;

	/* unknown keys (duplicates were refused by the JSON reader) */
	for (k = 0; k < n; k++) {
		const char *key = b2b_json_key_at(v, k, &klen);

		for (j = 0; j < sc->n; j++)
			if (strlen(sc->f[j].name) == klen && memcmp(sc->f[j].name, key, klen) == 0)
				break;
		if (j == sc->n) {
			char kb[80];
			size_t old;

			b2b__text_format(kb, sizeof(kb), "%.*s%s", B2B__SHOWN(key, klen, 60));
			old = path_push_key(c, kb);
			rc = bad(c, b2b_json_value_at(v, k), "unknown field");
			path_pop(c, old);
			return rc;
		}
	}
	for (j = 0; j < sc->n; j++) {
		const field *f = &sc->f[j];
		const b2b_json *m = b2b_json_get(v, f->name);
		size_t old;

		if (m == NULL) {
			if (!(f->flags & F_REQ))
				continue;
			old = path_push_key(c, f->name);
			rc = bad(c, v, "required field is missing (expected %s)", type_expect(f->type));
			path_pop(c, old);
			return rc;
		}
		old = path_push_key(c, f->name);
		rc = check_value(c, m, f->type, f->elem, f->flags, f->sub);
		if (rc < 0)
			return rc;
		path_pop(c, old);
	}
	return 0;
}

/* SPEC §10.4: `rebates`, `rebate_total` and every line's `rebate` come
 * together (a book with agreements) or not at all. */
static int
rebates_together(checker *c, const b2b_json *root)
{
	const b2b_json *lines = b2b_json_get(root, "lines");
	int has = b2b_json_get(root, "rebates") != NULL;
	size_t i;

	if (has != (b2b_json_get(root, "rebate_total") != NULL)) {
		path_push_key(c, has ? "rebate_total" : "rebates");
		return bad(c, root, "required field is missing (rebates and rebate_total come "
		           "together)");
	}
	for (i = 0; i < b2b_json_size(lines); i++) {
		const b2b_json *l = b2b_json_at(lines, i);

		if ((b2b_json_get(l, "rebate") != NULL) != has) {
			path_push_key(c, "lines");
			path_push_index(c, i);
			if (has) {
				path_push_key(c, "rebate");
				return bad(c, l, "required field is missing (every line has a rebate when "
				           "the quote has rebates)");
			}
			path_push_key(c, "rebate");
			return bad(c, l, "unexpected field (a line has a rebate only when the quote "
			           "has rebates)");
		}
	}
	return 0;
}

int
b2b__qdoc_from_tree(b2b_quote_doc **out, b2b_ctx *ctx, const b2b_json *root)
{
	b2b_quote_doc *d;
	checker c;
	const b2b_json *v;
	const char *s;
	size_t len;
	int64_t n;
	int rc, st;

	memset(&c, 0, sizeof(c));
	c.ctx = ctx;
	if (b2b_json_typeof(root) != B2B_JSON_OBJECT)
		return bad(&c, root, "expected %s, got %s", "an object (a quote document)",
		           b2b__json_type_text(b2b_json_typeof(root)));
	c.nlines = b2b_json_size(b2b_json_get(root, "lines"));
	if ((rc = check_object(&c, root, &b2b__quote_doc_schema)) < 0)
		return rc;
	if ((b2b_json_get(root, "payable") == NULL) != (b2b_json_get(root, "cash_adjustment") == NULL)) {
		path_push_key(&c, b2b_json_get(root, "payable") == NULL ? "payable" : "cash_adjustment");
		return bad(&c, root, "required field is missing (payable and cash_adjustment come "
		           "together)");
	}
	if ((rc = rebates_together(&c, root)) < 0)
		return rc;
	d = b2b__arena_calloc(ctx, 1, sizeof(*d));
	if (d == NULL)
		return b2b__ctx_seterr(ctx, B2B_ENOMEM, "out of memory");
	d->root = root;
	s = b2b_json_string(b2b_json_get(root, "status"), &len);
	st = b2b__quote_name_index(b2b__quote_state_names, B2B__QUOTE_NSTATES, s, len);
	d->state = (b2b_quote_state)st;
	b2b__qdoc_json_int(&d->revision, b2b_json_get(root, "revision"));
	b2b__qdoc_json_int(&n, b2b_json_get(b2b_json_get(root, "approval"), "level"));
	d->level = (int)n;
	s = b2b_json_string(b2b_json_get(root, "as_of"), &len);
	b2b_time_parse(&d->as_of, NULL, s, len);
	v = b2b_json_get(root, "valid_until");
	if ((s = b2b_json_string(v, &len)) != NULL) {
		b2b_time_parse(&d->valid_until, NULL, s, len);
		d->has_valid_until = 1;
	}
	d->quote_id = b2b__qdoc_get_str(root, "quote_id");
	d->customer = b2b__qdoc_get_str(root, "customer");
	d->currency = b2b__qdoc_get_str(root, "currency");
	d->fingerprint = b2b__qdoc_get_str(root, "fingerprint");
	d->nlines = c.nlines;
	*out = d;
	return 0;
}

int
b2b_quote_doc_parse(const b2b_quote_doc **out, b2b_ctx *ctx, const char *json, size_t len)
{
	const b2b_json *root;
	b2b_quote_doc *d = NULL;
	int rc;

	if (out == NULL)
		return B2B_EINVAL;
	*out = NULL;
	if (ctx == NULL)
		return B2B_EINVAL;
	if (json == NULL && len > 0)
		return b2b__ctx_seterr(ctx, B2B_EINVAL, "b2b_quote_doc_parse: NULL text");
	if ((rc = b2b_json_parse(&root, ctx, json != NULL ? json : "", len, 0)) < 0)
		return rc;
	if ((rc = b2b__qdoc_from_tree(&d, ctx, root)) < 0)
		return rc;
	*out = d;
	return 0;
}

/*===========================================================================
 * MARK: - accessors
 *===========================================================================*/

b2b_quote_state
b2b_quote_doc_status(const b2b_quote_doc *doc)
{
	return doc != NULL ? doc->state : (b2b_quote_state)-1;
}

int64_t
b2b_quote_doc_revision(const b2b_quote_doc *doc)
{
	return doc != NULL ? doc->revision : 0;
}

int
b2b_quote_doc_approval_level(const b2b_quote_doc *doc)
{
	return doc != NULL ? doc->level : -1;
}

const char *
b2b_quote_doc_id(const b2b_quote_doc *doc)
{
	return doc != NULL ? doc->quote_id : NULL;
}

const char *
b2b_quote_doc_customer(const b2b_quote_doc *doc)
{
	return doc != NULL ? doc->customer : NULL;
}

const char *
b2b_quote_doc_currency(const b2b_quote_doc *doc)
{
	return doc != NULL ? doc->currency : NULL;
}

const char *
b2b_quote_doc_fingerprint(const b2b_quote_doc *doc)
{
	return doc != NULL ? doc->fingerprint : NULL;
}

b2b_time
b2b_quote_doc_as_of(const b2b_quote_doc *doc)
{
	b2b_time none = { 0, 0, 0 };

	return doc != NULL ? doc->as_of : none;
}

int
b2b_quote_doc_valid_until(b2b_time *out, const b2b_quote_doc *doc)
{
	if (out == NULL || doc == NULL)
		return B2B_EINVAL;
	if (!doc->has_valid_until)
		return B2B_ENOTFOUND;
	*out = doc->valid_until;
	return 0;
}

size_t
b2b_quote_doc_line_count(const b2b_quote_doc *doc)
{
	return doc != NULL ? doc->nlines : 0;
}

int
b2b_quote_doc_locked(const b2b_quote_doc *doc, b2b_time as_of)
{
	return doc != NULL && doc->state == B2B_QUOTE_ACCEPTED && !b2b__qdoc_expired_at(doc, as_of);
}
