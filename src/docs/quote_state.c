/*
 * libb2bcore — the quote lifecycle (SPEC §6): the state machine, quote
 * documents read back losslessly and checked field by field, transitions
 * and revisions (repricing against a new book). See b2b/quote_doc.h for
 * the contract.
 *
 * Lossless documents: a parsed document keeps its JSON tree; writing it
 * walks a schema that lists every field of b2b_quote_to_json() in its
 * canonical order and re-emits the tree through the canonical writer
 * (json_write.h), with only `status` and `revision` taken from the
 * document struct. Strings (decimals included) are written back as the
 * bytes they held, so a document the library wrote comes out identical.
 * SPDX-License-Identifier: MIT
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "b2b/json.h"
#include "ctx_int.h"
#include "enum.h"
#include "json_int.h"
#include "opts.h"
#include "dec_int.h"
#include "json_write.h"
#include "order_int.h"
#include "quote_int.h"

/*===========================================================================
 * MARK: - names and the state machine
 *===========================================================================*/

static const char *const STATE_NAMES[] = {
	"draft", "submitted", "approved", "rejected", "sent",
	"accepted", "declined", "ordered", "expired", "cancelled"
};
#define NSTATES ((int)(sizeof(STATE_NAMES) / sizeof(STATE_NAMES[0])))

static const char *const EVENT_NAMES[] = {
	"submit", "approve", "reject", "send", "accept", "decline", "order", "expire", "cancel"
};
#define NEVENTS ((int)(sizeof(EVENT_NAMES) / sizeof(EVENT_NAMES[0])))

const char *
b2b_quote_state_name(b2b_quote_state state)
{
	return b2b__enum_name(STATE_NAMES, NSTATES, (long long)state);
}

const char *
b2b_quote_event_name(b2b_quote_event event)
{
	return b2b__enum_name(EVENT_NAMES, NEVENTS, (long long)event);
}

/* The index of the name `s` (len bytes) in names[0..n), or -1. */
static int
name_index(const char *const *names, int n, const char *s, size_t len)
{
	int i;

	return b2b__enum_parse(&i, names, (size_t)n, s != NULL ? s : "", len) == 0 ? i : -1;
}

int
b2b_quote_state_parse(b2b_quote_state *out, const char *name, size_t len)
{
	int i = 0, rc = b2b__enum_parse(out != NULL ? &i : NULL, STATE_NAMES, NSTATES, name, len);

	if (rc == 0)
		*out = (b2b_quote_state)i;
	return rc;
}

int
b2b_quote_event_parse(b2b_quote_event *out, const char *name, size_t len)
{
	int i = 0, rc = b2b__enum_parse(out != NULL ? &i : NULL, EVENT_NAMES, NEVENTS, name, len);

	if (rc == 0)
		*out = (b2b_quote_event)i;
	return rc;
}

/* States before `ordered` (expire and cancel apply to them). */
static int
open_state(int s)
{
	return s <= B2B_QUOTE_DECLINED;
}

/*
 * The state after event e in state s, or -1 with the refusal in why
 * (n bytes; why may be NULL with n 0). s and e are in range.
 */
static int
next_state(int s, int e, int level, int expired, char *why, size_t n)
{
	const char *en = EVENT_NAMES[e], *sn = STATE_NAMES[s], *reason = NULL;
	int to = -1;

	if (n > 0)
		why[0] = '\0';
	if (!open_state(s)) {
		if (n > 0)
			snprintf(why, n, "cannot '%s' a quote in state '%s' (a final state)", en, sn);
		return -1;
	}
	if (expired && e != B2B_QUOTE_EXPIRE && e != B2B_QUOTE_CANCEL) {
		if (n > 0)
			snprintf(why, n, "cannot '%s' a quote in state '%s' that has expired: only "
			         "'expire' or 'cancel'", en, sn);
		return -1;
	}
	switch (e) {
	case B2B_QUOTE_SUBMIT:
		if (s == B2B_QUOTE_DRAFT)
			to = B2B_QUOTE_SUBMITTED;
		else
			reason = "only a draft is submitted";
		break;
	case B2B_QUOTE_APPROVE:
	case B2B_QUOTE_REJECT:
		if (s != B2B_QUOTE_SUBMITTED) {
			reason = "only a submitted quote is approved or rejected";
		} else if (level <= 0) {
			if (n > 0)
				snprintf(why, n, "cannot '%s' a quote in state '%s' that needs no approval "
				         "(level 0): send it", en, sn);
			return -1;
		} else {
			to = e == B2B_QUOTE_APPROVE ? B2B_QUOTE_APPROVED : B2B_QUOTE_REJECTED;
		}
		break;
	case B2B_QUOTE_SEND:
		if (s == B2B_QUOTE_APPROVED || (s == B2B_QUOTE_SUBMITTED && level <= 0)) {
			to = B2B_QUOTE_SENT;
		} else if (s == B2B_QUOTE_SUBMITTED || s == B2B_QUOTE_REJECTED) {
			if (n > 0)
				snprintf(why, n, "cannot '%s' a quote in state '%s' that needs approval "
				         "level %d%s", en, sn, level,
				         s == B2B_QUOTE_REJECTED ? " and was rejected: reprice or cancel it"
				                                 : "");
			return -1;
		} else {
			reason = "only an approved quote, or a submitted one of approval level 0, is sent";
		}
		break;
	case B2B_QUOTE_ACCEPT:
	case B2B_QUOTE_DECLINE:
		if (s == B2B_QUOTE_SENT)
			to = e == B2B_QUOTE_ACCEPT ? B2B_QUOTE_ACCEPTED : B2B_QUOTE_DECLINED;
		else
			reason = "only a sent quote is accepted or declined";
		break;
	case B2B_QUOTE_ORDER:
		if (s == B2B_QUOTE_ACCEPTED)
			to = B2B_QUOTE_ORDERED;
		else
			reason = "only an accepted quote is ordered";
		break;
	case B2B_QUOTE_EXPIRE:
		if (expired) {
			to = B2B_QUOTE_EXPIRED;
		} else {
			if (n > 0)
				snprintf(why, n, "cannot '%s' a quote in state '%s' that has not expired "
				         "(as_of is before valid_until, or it has none)", en, sn);
			return -1;
		}
		break;
	default:
		to = B2B_QUOTE_CANCELLED;
		break;
	}
	if (to < 0 && n > 0)
		snprintf(why, n, "cannot '%s' a quote in state '%s' (%s)", en, sn, reason);
	return to;
}

int
b2b_quote_next_state(b2b_quote_state *out, int *allowed, char *why, size_t why_size,
                     b2b_quote_state from, b2b_quote_event event, int level, int expired)
{
	int to;

	if (out == NULL || allowed == NULL || (why == NULL && why_size > 0) ||
	    (unsigned)from >= (unsigned)NSTATES || (unsigned)event >= (unsigned)NEVENTS)
		return B2B_EINVAL;
	to = next_state((int)from, (int)event, level, expired, why, why_size);
	*allowed = to >= 0;
	if (to >= 0)
		*out = (b2b_quote_state)to;
	return 0;
}

/*===========================================================================
 * MARK: - the document schema
 *===========================================================================*/

enum {
	T_STR, T_STR_NULL, T_TIME, T_TIME_NULL, T_CUR, T_HEX64, T_STATE, T_STEP, T_OUTCOME,
	T_DEC, T_DEC_NULL, T_BOOL, T_REVISION, T_LEVEL, T_LINE, T_ARR, T_OBJ
};
enum { F_REQ = 1, F_NONEMPTY = 2 };

struct schema;

typedef struct field {
	const char *name;
	uint8_t type;           /* T_* */
	uint8_t flags;          /* F_* */
	uint8_t elem;           /* T_ARR: the elements' type */
	const struct schema *sub;  /* T_OBJ, or T_ARR of T_OBJ */
} field;

typedef struct schema {
	const field *f;
	size_t n;
} schema;

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
	{ "waterfall", T_ARR, F_REQ, T_OBJ, &STEP_S },
	{ "candidates", T_ARR, 0, T_OBJ, &CAND_S },
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
	{ "approval", T_OBJ, F_REQ, 0, &APPROVAL_S },
	{ "warnings", T_ARR, F_REQ, T_OBJ, &WARNING_S },
	{ "payable", T_DEC, 0, 0, NULL },
	{ "cash_adjustment", T_DEC, 0, 0, NULL },
};
static const schema QUOTE_S = SCHEMA(QUOTE_F);

static const char *const STEP_NAMES[] = {
	"list", "fx", "price_list", "contract", "dynamic", "promotion", "requested", "rounding"
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
		return "one of list, fx, price_list, contract, dynamic, promotion, requested, "
		       "rounding";
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

struct b2b_quote_doc {
	const b2b_json *root;
	b2b_quote_state state;
	int64_t revision;
	int level;
	b2b_time as_of;
	int has_valid_until;
	b2b_time valid_until;
	const char *quote_id, *customer, *currency, *fingerprint;
	size_t nlines;
};

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

/* A JSON number that is an integer (no fraction, no exponent) into *out. */
static int
json_int(int64_t *out, const b2b_json *v)
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

/* A decimal field: a string holding a decimal, or a number. */
static int
json_dec(b2b_dec *out, const b2b_json *v)
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
		if ((s = b2b_json_string(v, &len)) == NULL || name_index(STATE_NAMES, NSTATES, s, len) < 0)
			break;
		return 0;
	case T_STEP:
		if ((s = b2b_json_string(v, &len)) == NULL ||
		    name_index(STEP_NAMES, (int)(sizeof(STEP_NAMES) / sizeof(STEP_NAMES[0])), s,
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
		if (json_dec(&d, v) < 0)
			break;
		return 0;
	case T_BOOL:
		if (jt != B2B_JSON_TRUE && jt != B2B_JSON_FALSE)
			break;
		return 0;
	case T_REVISION:
		if (json_int(&n, v) < 0 || n < 1)
			break;
		return 0;
	case T_LEVEL:
		if (json_int(&n, v) < 0 || n < 0 || n > 9)
			break;
		return 0;
	case T_LINE:
		if (json_int(&n, v) < 0 || n < 0 || (uint64_t)n >= c->nlines)
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

static const char *
get_str(const b2b_json *obj, const char *key)
{
	return b2b_json_string(b2b_json_get(obj, key), NULL);
}

/* Check `root` and fill a document from it. */
static int
doc_from_tree(b2b_quote_doc **out, b2b_ctx *ctx, const b2b_json *root)
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
	if ((rc = check_object(&c, root, &QUOTE_S)) < 0)
		return rc;
	if ((b2b_json_get(root, "payable") == NULL) != (b2b_json_get(root, "cash_adjustment") == NULL)) {
		path_push_key(&c, b2b_json_get(root, "payable") == NULL ? "payable" : "cash_adjustment");
		return bad(&c, root, "required field is missing (payable and cash_adjustment come "
		           "together)");
	}
	d = b2b__arena_calloc(ctx, 1, sizeof(*d));
	if (d == NULL)
		return b2b__ctx_seterr(ctx, B2B_ENOMEM, "out of memory");
	d->root = root;
	s = b2b_json_string(b2b_json_get(root, "status"), &len);
	st = name_index(STATE_NAMES, NSTATES, s, len);
	d->state = (b2b_quote_state)st;
	json_int(&d->revision, b2b_json_get(root, "revision"));
	json_int(&n, b2b_json_get(b2b_json_get(root, "approval"), "level"));
	d->level = (int)n;
	s = b2b_json_string(b2b_json_get(root, "as_of"), &len);
	b2b_time_parse(&d->as_of, NULL, s, len);
	v = b2b_json_get(root, "valid_until");
	if ((s = b2b_json_string(v, &len)) != NULL) {
		b2b_time_parse(&d->valid_until, NULL, s, len);
		d->has_valid_until = 1;
	}
	d->quote_id = get_str(root, "quote_id");
	d->customer = get_str(root, "customer");
	d->currency = get_str(root, "currency");
	d->fingerprint = get_str(root, "fingerprint");
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
	if ((rc = doc_from_tree(&d, ctx, root)) < 0)
		return rc;
	*out = d;
	return 0;
}

/*===========================================================================
 * MARK: - writing documents
 *===========================================================================*/

static void emit_object(b2b__jw *w, const b2b_json *v, const schema *sc,
                        const b2b_quote_doc *top);

static void
emit_value(b2b__jw *w, const b2b_json *v, int type, int elem, const schema *sub)
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
			json_int(&n, v);
			b2b__jw_int(w, n);
		}
		return;
	case B2B_JSON_ARRAY:
		b2b__jw_begin_array(w);
		for (i = 0; i < b2b_json_size(v); i++)
			emit_value(w, b2b_json_at(v, i), elem, 0, sub);
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
			b2b__jw_cstr(w, STATE_NAMES[top->state]);
		else if (top != NULL && f->type == T_REVISION)
			b2b__jw_int(w, top->revision);
		else
			emit_value(w, m, f->type, f->elem, f->sub);
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
	emit_object(&w, doc->root, &QUOTE_S, doc);
	return b2b__jw_finish(&w, ctx, out, len);
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

static int
expired_at(const b2b_quote_doc *doc, b2b_time as_of)
{
	return doc->has_valid_until && b2b_time_cmp(as_of, doc->valid_until) >= 0;
}

int
b2b_quote_doc_locked(const b2b_quote_doc *doc, b2b_time as_of)
{
	return doc != NULL && doc->state == B2B_QUOTE_ACCEPTED && !expired_at(doc, as_of);
}

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
	if ((unsigned)event >= (unsigned)NEVENTS)
		return b2b__ctx_seterr(ctx, B2B_EINVAL, "b2b_quote_doc_apply: unknown event %u",
		                       (unsigned)event);
	if (as_of != NULL && b2b_time_format(NULL, 0, NULL, *as_of) == B2B_EINVAL)
		return b2b__ctx_seterr(ctx, B2B_EINVAL, "b2b_quote_doc_apply: as_of is not a valid "
		                       "instant");
	t = as_of != NULL ? *as_of : doc->as_of;
	tr = b2b__arena_calloc(ctx, 1, sizeof(*tr));
	if (tr == NULL)
		return b2b__ctx_seterr(ctx, B2B_ENOMEM, "out of memory");
	to = next_state((int)doc->state, (int)event, doc->level, expired_at(doc, t), why,
	                sizeof(why));
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
	if ((unsigned)event >= (unsigned)NEVENTS)
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
			const char *name = get_str(st, "step");

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
		const char *oname = os != NULL ? get_str(os, "step") : NULL;
		const char *osrc = os != NULL ? get_str(os, "source") : NULL;
		b2b_dec ob = { 0, 0 }, oa = { 0, 0 };

		if (os != NULL) {
			json_dec(&ob, b2b_json_get(os, "before"));
			json_dec(&oa, b2b_json_get(os, "after"));
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
		                                 STATE_NAMES[doc->state],
		                                 doc->state == B2B_QUOTE_ACCEPTED ?
		                                     ": its prices are locked until valid_until" :
		                                     " (only draft, submitted, approved, rejected "
		                                     "and sent quotes are open)");
		rev->path = "status";
	} else if (expired_at(doc, t)) {
		rev->message = b2b__arena_printf(ctx, "cannot reprice a quote in state '%s' that has "
		                                 "expired (as_of is not before valid_until): "
		                                 "expire it", STATE_NAMES[doc->state]);
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
	    (rc = doc_from_tree(&nd, ctx, root)) < 0)
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

		json_dec(&old, b2b_json_get(ol, "unit_price"));
		if (b2b__dec_eq(old, nl->lo.unit_price))
			continue;
		c->line = (long)i;
		c->sku = nl->sku;
		c->old_price = old;
		c->new_price = nl->lo.unit_price;
		if (b2b_json_typeof(b2b_json_get(ol, "unit_price")) == B2B_JSON_STRING)
			c->old_text = get_str(ol, "unit_price");
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
	emit_value(&w, b2b_json_get(old_root, "quote_id"), T_STR, 0, NULL);
	b2b__jw_key(&w, "revision");
	b2b__jw_int(&w, rev->doc->revision);
	b2b__jw_key(&w, "from_fingerprint");
	b2b__jw_cstr(&w, rev->old_doc->fingerprint);
	b2b__jw_key(&w, "to_fingerprint");
	b2b__jw_cstr(&w, q->fingerprint);
	b2b__jw_key(&w, "from_as_of");
	emit_value(&w, b2b_json_get(old_root, "as_of"), T_TIME, 0, NULL);
	b2b__jw_key(&w, "as_of");
	b2b__jw_cstr(&w, rev->as_of_text);
	b2b__jw_key(&w, "old_total");
	emit_value(&w, b2b_json_get(old_root, "total"), T_DEC, 0, NULL);
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
