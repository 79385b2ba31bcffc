/*
 * libb2bcore — reading an order from JSON (SPEC §4 "Order", §9.17): every
 * field is checked here, without the book, and each problem is kept as a
 * MALFORMED violation that b2b_order_validate() (order.c) reports. The
 * parsed order borrows the JSON tree's strings, so it costs no copies;
 * decimals and times are read once, here.
 * SPDX-License-Identifier: MIT
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "b2b/json.h"
#include "b2b/quote.h"
#include "ctx_int.h"
#include "json_int.h"
#include "order_int.h"
#include "quote_int.h"

static const char *const C_MALFORMED = "MALFORMED";

/* A user text in a message ("%.*s%s"): at most 80 bytes, shortened as
 * core/text.h says. */
#define SHOWN(s, len) B2B__SHOWN((s), (len), 80)

int
b2b__violation_push(b2b_ctx *ctx, b2b__violation **arr, size_t *n, size_t *cap,
                    const b2b__violation *v)
{
	if (b2b__arena_grow(ctx, (void **)arr, cap, *n + 1, sizeof(**arr)) < 0)
		return B2B_ENOMEM;
	(*arr)[*n] = *v;
	(*arr)[*n].seq = *n;
	(*n)++;
	return 0;
}

/*---------------------------------------------------------------------------
 * reading the JSON
 *---------------------------------------------------------------------------*/

typedef struct reader {
	b2b_ctx *ctx;
	struct b2b_order *o;
	size_t cap;
} reader;

static int
malformed(reader *rd, long line, const char *path, const char *fmt, ...) B2B__PRINTF(4, 5);

static int
malformed(reader *rd, long line, const char *path, const char *fmt, ...)
{
	b2b__violation v;
	char buf[512];
	va_list ap;

	if (path == NULL)
		return B2B_ENOMEM;
	va_start(ap, fmt);
	b2b__text_vformat(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	memset(&v, 0, sizeof(v));
	v.code = C_MALFORMED;
	v.severity = B2B_ORDER_ERROR;
	v.line = line;
	v.path = b2b__ctx_strndup(rd->ctx, path, strlen(path));
	v.message = b2b__ctx_strndup(rd->ctx, buf, strlen(buf));
	if (v.path == NULL || v.message == NULL)
		return B2B_ENOMEM;
	return b2b__violation_push(rd->ctx, &rd->o->malformed, &rd->o->nmalformed, &rd->cap,
	                           &v);
}

/* `prefix.key`, or `prefix["k e y"]` for a key that is not a plain name. */
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
		        c == '_' || c == '-';
	}
	if (plain)
		return b2b__arena_printf(ctx, "%s%s%.*s", prefix, prefix[0] != '\0' ? "." : "",
		                         (int)klen, key);
	/* a JSON string literal, shortened as core/text.h says */
	b2b__tbuf_init(&t, buf, sizeof(buf));
	b2b__tbuf_put_escaped(&t, key, klen);
	return b2b__arena_printf(ctx, "%s[\"%s\"]", prefix, buf);
}

static const char *
type_name(const b2b_json *v)
{
	return b2b__json_type_text(b2b_json_typeof(v));
}

/* The path `base[idx].name` (idx < 0: `base.name`; base "": `name`). */
static const char *
build_path(char *buf, size_t size, const char *base, long idx, const char *name)
{
	if (base[0] == '\0')
		b2b__text_format(buf, size, "%s", name);
	else if (idx >= 0)
		b2b__text_format(buf, size, "%s[%ld].%s", base, idx, name);
	else
		b2b__text_format(buf, size, "%s.%s", base, name);
	return buf;
}

/* Where a field sits: built into a path only when there is a problem. */
typedef struct where {
	const char *base;    /* "", "quote", "lines", "quote.lines" */
	long idx;            /* array index under base, or -1 */
	long line;           /* order line of the violation, or -1 */
} where;

#define PATH(buf, w, name) build_path((buf), sizeof(buf), (w)->base, (w)->idx, (name))

/* A string field; null counts as not given. */
static int
read_str(reader *rd, b2b__ofield *f, const b2b_json *v, const where *w, const char *name)
{
	char pb[128];

	if (b2b_json_typeof(v) == B2B_JSON_NULL)
		return 0;
	f->s = b2b_json_string(v, &f->len);
	if (f->s != NULL)
		return 0;
	f->bad = 1;
	PATH(pb, w, name);
	return malformed(rd, w->line, pb, "%s: expected a string, got %s", pb, type_name(v));
}

/* A decimal: a JSON string holding a decimal, or a JSON number, read exactly. */
static int
read_dec(reader *rd, b2b__ofield *f, const b2b_json *v, const where *w, const char *name)
{
	const char *why;
	char pb[128];
	int rc;

	switch (b2b_json_typeof(v)) {
	case B2B_JSON_NULL:
		return 0;
	case B2B_JSON_STRING:
		f->s = b2b_json_string(v, &f->len);
		rc = b2b_dec_parse(&f->v, NULL, f->s, f->len, 0);
		break;
	case B2B_JSON_NUMBER:
		f->s = b2b_json_number_text(v, &f->len);
		f->number = 1;
		rc = b2b_json_number(&f->v, v);
		break;
	default:
		f->bad = 1;
		PATH(pb, w, name);
		return malformed(rd, w->line, pb,
		                 "%s: expected a decimal (a string or a number), got %s",
		                 pb, type_name(v));
	}
	if (rc == 0) {
		f->ok = 1;
		return 0;
	}
	f->bad = 1;
	switch (rc) {
	case B2B_EPRECISION:
		why = "more than 9 fractional digits";
		break;
	case B2B_EOVERFLOW:
		why = "out of range (at most 28 integer digits)";
		break;
	default:
		why = "expected a decimal such as 12.50";
		break;
	}
	PATH(pb, w, name);
	return malformed(rd, w->line, pb, "%s '%.*s%s': %s", pb, SHOWN(f->s, f->len), why);
}

/* A date or date-time string; `nullable`: null is a value (f->ok, s NULL). */
static int
read_time(reader *rd, b2b__ofield *f, const b2b_json *v, const where *w, const char *name,
          int nullable)
{
	size_t errpos = 0;
	char pb[128];
	int rc;

	if (b2b_json_typeof(v) == B2B_JSON_NULL) {
		if (nullable)
			f->ok = 1;
		return 0;
	}
	if ((rc = read_str(rd, f, v, w, name)) < 0 || f->s == NULL)
		return rc;
	if (b2b_time_parse(&f->t, &errpos, f->s, f->len) == 0) {
		f->ok = 1;
		return 0;
	}
	f->bad = 1;
	PATH(pb, w, name);
	return malformed(rd, w->line, pb,
	                 "%s '%.*s%s': expected a date YYYY-MM-DD or a date-time "
	                 "YYYY-MM-DDThh:mm:ssZ (at character %zu)",
	                 pb, SHOWN(f->s, f->len), errpos + 1);
}

static int
missing(reader *rd, const b2b__ofield *f, const where *w, const char *name)
{
	char pb[128];

	if (f->s != NULL || f->bad || f->ok)
		return 0;
	PATH(pb, w, name);
	return malformed(rd, w->line, pb, "%s: required field is missing", pb);
}

/* Find `key` among `names`; -1 when unknown. */
static int
key_index(const char *const *names, size_t n, const char *key, size_t klen)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strlen(names[i]) == klen && memcmp(names[i], key, klen) == 0)
			return (int)i;
	return -1;
}

static const char *const LINE_KEYS[] = { "sku", "qty", "unit_price" };

/* One line object: of the order (`strict`), or of the embedded quote
 * (then other fields are not interpreted, and problems are document-level). */
static int
read_line(reader *rd, b2b__oline *l, const b2b_json *v, const where *w, int strict)
{
	unsigned seen = 0;
	size_t k, klen, n = b2b_json_size(v);
	char pb[128];
	int rc = 0, idx;

	if (b2b_json_typeof(v) != B2B_JSON_OBJECT) {
		l->sku.bad = l->qty.bad = l->price.bad = 1;
		b2b__text_format(pb, sizeof(pb), "%s[%ld]", w->base, w->idx);
		return malformed(rd, w->line, pb, "%s: expected an object, got %s", pb,
		                 type_name(v));
	}
	for (k = 0; k < n && rc == 0; k++) {
		const char *key = b2b_json_key_at(v, k, &klen);
		const b2b_json *m = b2b_json_value_at(v, k);

		idx = key_index(LINE_KEYS, 3, key, klen);
		if (idx < 0 && !strict)
			continue;
		if (idx < 0 || (seen & (1u << idx))) {
			const char *path;

			b2b__text_format(pb, sizeof(pb), "%s[%ld]", w->base, w->idx);
			path = member_path(rd->ctx, pb, key, klen);
			rc = malformed(rd, w->line, path, idx < 0 ? "%s: unknown field" :
			               "%s: duplicate field", path != NULL ? path : "");
			continue;
		}
		seen |= 1u << idx;
		switch (idx) {
		case 0:
			if (b2b_json_typeof(m) != B2B_JSON_NULL)
				rc = read_str(rd, &l->sku, m, w, "sku");
			break;
		case 1:
			rc = read_dec(rd, &l->qty, m, w, "qty");
			break;
		default:
			rc = read_dec(rd, &l->price, m, w, "unit_price");
			break;
		}
	}
	if (rc == 0)
		rc = missing(rd, &l->sku, w, "sku");
	if (rc == 0)
		rc = missing(rd, &l->qty, w, "qty");
	if (rc == 0)
		rc = missing(rd, &l->price, w, "unit_price");
	return rc;
}

static int
read_lines(reader *rd, b2b__oline **out, size_t *nout, const b2b_json *v, const char *base,
           int strict)
{
	size_t i, n = b2b_json_size(v);
	b2b__oline *lines;
	where w;
	int rc;

	lines = b2b__arena_calloc(rd->ctx, n + 1, sizeof(*lines));
	if (lines == NULL)
		return B2B_ENOMEM;
	*out = lines;
	*nout = n;
	w.base = base;
	for (i = 0; i < n; i++) {
		w.idx = (long)i;
		/* MALFORMED is a document-level code (SPEC §7): the path says which
		 * line; `strict` only decides whether other fields are reported */
		w.line = -1;
		if ((rc = read_line(rd, &lines[i], b2b_json_at(v, i), &w, strict)) < 0)
			return rc;
	}
	return 0;
}

static const char *const QUOTE_KEYS[] = { "status", "customer", "currency", "valid_until",
                                          "lines" };

/* SPEC §9.17: the quote inside an order is read for status, customer,
 * currency, valid_until and lines[].sku/qty/unit_price only. */
static int
read_quote(reader *rd, const b2b_json *v)
{
	b2b__oquote *q = &rd->o->quote;
	const where w = { "quote", -1, -1 };
	size_t k, klen, n;
	unsigned seen = 0;
	const char *path;
	b2b_quote_state st;
	int rc = 0, idx;

	q->given = 1;
	q->status = B2B__QS_UNREADABLE;
	if (b2b_json_typeof(v) != B2B_JSON_OBJECT) {
		q->customer.bad = q->currency.bad = q->valid_until.bad = 1;
		return malformed(rd, -1, "quote",
		                 "quote: expected an object (a quote document), got %s",
		                 type_name(v));
	}
	n = b2b_json_size(v);
	for (k = 0; k < n && rc == 0; k++) {
		const char *key = b2b_json_key_at(v, k, &klen);
		const b2b_json *m = b2b_json_value_at(v, k);
		const char *sv;
		size_t slen;

		idx = key_index(QUOTE_KEYS, 5, key, klen);
		if (idx < 0)
			continue;   /* not interpreted */
		path = member_path(rd->ctx, "quote", key, klen);
		if (path == NULL)
			return B2B_ENOMEM;
		if (seen & (1u << idx)) {
			rc = malformed(rd, -1, path, "%s: duplicate field", path);
			continue;
		}
		seen |= 1u << idx;
		switch (idx) {
		case 0:
			sv = b2b_json_string(m, &slen);
			if (sv == NULL) {
				rc = malformed(rd, -1, path, "%s: expected a string, got %s",
				               path,
				               type_name(m));
				break;
			}
			if (b2b_quote_state_parse(&st, sv, slen) == 0)
				q->status = (int)st;
			else
				rc = malformed(rd, -1, path,
				               "%s '%.*s%s': expected one of draft, submitted, approved, "
				               "rejected, sent, accepted, declined, ordered, expired, "
				               "cancelled", path, SHOWN(sv, slen));
			break;
		case 1:
		case 2:
			if (b2b_json_typeof(m) == B2B_JSON_NULL) {
				(idx == 1 ? &q->customer : &q->currency)->bad = 1;
				rc = malformed(rd, -1, path, "%s: expected a string, got null",
				               path);
				break;
			}
			rc = read_str(rd, idx == 1 ? &q->customer : &q->currency, m, &w,
			              QUOTE_KEYS[idx]);
			break;
		case 3:
			rc = read_time(rd, &q->valid_until, m, &w, "valid_until", 1);
			q->valid_until_null = q->valid_until.ok && q->valid_until.s == NULL;
			break;
		default:
			if (b2b_json_typeof(m) != B2B_JSON_ARRAY) {
				rc = malformed(rd, -1, path, "%s: expected an array, got %s",
				               path,
				               type_name(m));
				break;
			}
			q->lines_ok = 1;
			rc = read_lines(rd, &q->lines, &q->nlines, m, "quote.lines", 0);
			break;
		}
	}
	if (rc < 0)
		return rc;
	for (idx = 0; idx < 5; idx++) {
		if (seen & (1u << idx))
			continue;
		path = b2b__arena_printf(rd->ctx, "quote.%s", QUOTE_KEYS[idx]);
		if ((rc = malformed(rd, -1, path, "%s: required field is missing", path)) < 0)
			return rc;
	}
	return 0;
}

static int
read_codes(reader *rd, const b2b_json *v)
{
	struct b2b_order *o = rd->o;
	size_t i, n;
	int rc;

	if (b2b_json_typeof(v) == B2B_JSON_NULL)
		return 0;
	if (b2b_json_typeof(v) != B2B_JSON_ARRAY)
		return malformed(rd, -1, "codes",
		                 "codes: expected an array of strings, got %s",
		                 type_name(v));
	o->codes_given = 1;
	n = b2b_json_size(v);
	o->codes = b2b__arena_calloc(rd->ctx, n + 1, sizeof(*o->codes));
	o->code_index = b2b__arena_calloc(rd->ctx, n + 1, sizeof(*o->code_index));
	if (o->codes == NULL || o->code_index == NULL)
		return B2B_ENOMEM;
	for (i = 0; i < n; i++) {
		const b2b_json *e = b2b_json_at(v, i);
		b2b__ofield *f = &o->codes[o->ncodes];

		f->s = b2b_json_string(e, &f->len);
		if (f->s == NULL) {
			rc = malformed(rd, -1, b2b__arena_printf(rd->ctx, "codes[%zu]", i),
			               "codes[%zu]: expected a string, got %s", i,
			               type_name(e));
			if (rc < 0)
				return rc;
			continue;
		}
		o->code_index[o->ncodes++] = i;
	}
	return 0;
}

enum {
	K_ORDER_ID, K_CUSTOMER, K_AS_OF, K_CURRENCY, K_CHANNEL, K_PO_NUMBER, K_CODES, K_QUOTE,
	K_PAYMENT_TERMS, K_SHIP_TO, K_BUYER, K_LINES, K_COUNT
};
static const char *const ORDER_KEYS[K_COUNT] = {
	"order_id", "customer", "as_of", "currency", "channel", "po_number", "codes", "quote",
	"payment_terms", "ship_to", "buyer", "lines"
};

static int
read_order(reader *rd, const b2b_json *root)
{
	struct b2b_order *o = rd->o;
	const where w = { "", -1, -1 };
	size_t k, klen, n;
	unsigned seen = 0;
	const char *path;
	int rc = 0, idx;

	if (b2b_json_typeof(root) != B2B_JSON_OBJECT)
		return malformed(rd, -1, "$", "$: expected an object (an order), got %s",
		                 type_name(root));
	n = b2b_json_size(root);
	for (k = 0; k < n && rc == 0; k++) {
		const char *key = b2b_json_key_at(root, k, &klen);
		const b2b_json *v = b2b_json_value_at(root, k);

		idx = key_index(ORDER_KEYS, K_COUNT, key, klen);
		path = idx >= 0 ? ORDER_KEYS[idx] : member_path(rd->ctx, "", key, klen);
		if (idx < 0) {
			rc = malformed(rd, -1, path, "%s: unknown field",
			               path != NULL ? path : "?");
			continue;
		}
		if (seen & (1u << idx)) {
			rc = malformed(rd, -1, path, "%s: duplicate field", path);
			continue;
		}
		seen |= 1u << idx;
		switch (idx) {
		case K_ORDER_ID:
			rc = read_str(rd, &o->order_id, v, &w, path);
			break;
		case K_CUSTOMER:
			rc = read_str(rd, &o->customer, v, &w, path);
			break;
		case K_AS_OF:
			rc = read_time(rd, &o->as_of, v, &w, path, 0);
			break;
		case K_CURRENCY:
			rc = read_str(rd, &o->currency, v, &w, path);
			break;
		case K_CHANNEL:
			rc = read_str(rd, &o->channel, v, &w, path);
			break;
		case K_PO_NUMBER:
			rc = read_str(rd, &o->po_number, v, &w, path);
			break;
		case K_CODES:
			rc = read_codes(rd, v);
			break;
		case K_QUOTE:
			if (b2b_json_typeof(v) != B2B_JSON_NULL)
				rc = read_quote(rd, v);
			break;
		case K_PAYMENT_TERMS:
			rc = read_str(rd, &o->payment_terms, v, &w, path);
			break;
		case K_SHIP_TO:
			rc = read_str(rd, &o->ship_to, v, &w, path);
			break;
		case K_BUYER:
			rc = read_str(rd, &o->buyer, v, &w, path);
			break;
		default:
			if (b2b_json_typeof(v) != B2B_JSON_ARRAY) {
				rc = malformed(rd, -1, path,
				               "lines: expected an array, got %s",
				               type_name(v));
				o->lines_given = -1;
				break;
			}
			o->lines_given = 1;
			rc = read_lines(rd, &o->lines, &o->nlines, v, "lines", 1);
			if (rc == 0 && o->nlines == 0)
				rc = malformed(rd, -1, "lines",
				               "lines: at least one line is required");
			break;
		}
	}
	if (rc < 0)
		return rc;
	if ((rc = missing(rd, &o->order_id, &w, "order_id")) < 0 ||
	    (rc = missing(rd, &o->customer, &w, "customer")) < 0 ||
	    (rc = missing(rd, &o->as_of, &w, "as_of")) < 0)
		return rc;
	if (o->lines_given == 0)
		return malformed(rd, -1, "lines", "lines: required field is missing");
	return 0;
}

int
b2b_order_parse(const b2b_order **out, b2b_ctx *ctx, const char *json, size_t len)
{
	const b2b_json *root;
	struct b2b_order *o;
	reader rd;
	int rc;

	if (out == NULL)
		return B2B_EINVAL;
	*out = NULL;
	if (ctx == NULL)
		return B2B_EINVAL;
	if (json == NULL && len > 0)
		return b2b__ctx_seterr(ctx, B2B_EINVAL, "b2b_order_parse: NULL text");
	if ((rc = b2b_json_parse(&root, ctx, json != NULL ? json : "", len,
	                         B2B_JSON_ALLOW_DUPLICATES)) < 0)
		return rc;
	o = b2b__arena_calloc(ctx, 1, sizeof(*o));
	if (o == NULL)
		return b2b__ctx_seterr(ctx, B2B_ENOMEM, "out of memory");
	rd.ctx = ctx;
	rd.o = o;
	rd.cap = 0;
	if ((rc = read_order(&rd, root)) < 0)
		return b2b__ctx_seterr(ctx, rc, "out of memory");
	*out = o;
	return 0;
}

