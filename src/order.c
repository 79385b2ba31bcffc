/*
 * libb2bcore — order validation (SPEC §7): the order is read from JSON
 * (every field problem is kept as a MALFORMED violation), priced as a
 * quote through b2b__quote_run() over the lines that can be priced, and
 * checked rule by rule; every violation is reported at once, in the order
 * of SPEC §9.20. See b2b/order.h for the rules and the decisions.
 *
 * Hot path: a parsed order (struct b2b_order) holds everything that does
 * not depend on the book (strings, decimals, times, the embedded quote's
 * fields), so validating it again costs no JSON work. b2b_order_validate()
 * allocates only from the ctx arena: a few blocks per order (line maps,
 * the quote request) plus what b2b__quote_run() needs; message and path
 * strings are built only for violations.
 * SPDX-License-Identifier: MIT
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "b2b/json.h"
#include "b2b/order.h"
#include "ctx_int.h"
#include "dec_int.h"
#include "json_write.h"
#include "order_int.h"
#include "quote_int.h"

/*===========================================================================
 * MARK: - parsed orders
 *===========================================================================*/

/* One field as given. */
typedef struct ofield {
	const char *s;       /* NUL-terminated (borrowed from the JSON tree); NULL: not given */
	size_t len;
	uint8_t number;      /* given as a JSON number */
	uint8_t bad;         /* a MALFORMED violation was recorded for it */
	uint8_t ok;          /* decimals / times: read successfully into v / t */
	b2b_dec v;
	b2b_time t;
} ofield;

typedef struct oline {
	ofield sku, qty, price;
} oline;

typedef struct b2b__violation {
	const char *code;      /* static */
	const char *path;      /* NULL: none */
	const char *message;
	const char *expected;  /* NULL: none */
	const char *actual;    /* NULL: none */
	long line;             /* -1: document level */
	size_t seq;            /* the order found: the last tie-break */
	int severity;          /* B2B_ORDER_* */
} b2b__violation;

/* The quote embedded in an order: only the fields of SPEC §9.17. */
enum { QS_UNREADABLE = -1 };

typedef struct oquote {
	int given;
	int status;            /* b2b_quote_state, or QS_UNREADABLE */
	ofield customer, currency, valid_until;  /* valid_until: ok && !s → null */
	int valid_until_null;
	int lines_ok;          /* `lines` was an array */
	oline *lines;
	size_t nlines;
} oquote;

struct b2b_order {
	ofield order_id, customer, as_of, currency, channel, po_number, payment_terms,
	       ship_to, buyer;
	ofield *codes;         /* the readable codes; .v unused */
	size_t *code_index;    /* their index in `codes` (for paths) */
	size_t ncodes;
	int codes_given;
	oquote quote;
	oline *lines;
	size_t nlines;
	int lines_given;       /* an array was given (maybe empty) */
	b2b__violation *malformed;   /* found while reading */
	size_t nmalformed;
};

struct b2b_validation {
	int valid;
	b2b_dec total;
	const char *currency;
	int minor;
	b2b_rounding mode;
	b2b__violation *v;
	size_t n;
};

static const char *const STATES[] = {
	"draft", "submitted", "approved", "rejected", "sent",
	"accepted", "declined", "ordered", "expired", "cancelled"
};
#define STATE_ACCEPTED 5
#define NSTATES (sizeof(STATES) / sizeof(STATES[0]))

/* Codes (static strings; compared by strcmp when sorting). */
static const char *const C_MALFORMED = "MALFORMED";
static const char *const C_UNKNOWN_CUSTOMER = "UNKNOWN_CUSTOMER";
static const char *const C_CURRENCY_MISMATCH = "CURRENCY_MISMATCH";
static const char *const C_QUOTE_EXPIRED = "QUOTE_EXPIRED";
static const char *const C_QUOTE_NOT_ACCEPTED = "QUOTE_NOT_ACCEPTED";
static const char *const C_QUOTE_MISMATCH = "QUOTE_MISMATCH";
static const char *const C_CREDIT = "CREDIT_LIMIT_EXCEEDED";
static const char *const C_BUDGET = "BUDGET_EXCEEDED";
static const char *const C_MIN_ORDER = "MIN_ORDER_VALUE";
static const char *const C_TERMS = "PAYMENT_TERMS_NOT_ALLOWED";
static const char *const C_SHIP_TO = "SHIP_TO_NOT_ALLOWED";
static const char *const C_APPROVAL = "APPROVAL_REQUIRED";
static const char *const C_UNKNOWN_CODE = "UNKNOWN_CODE";
static const char *const C_UNKNOWN_SKU = "UNKNOWN_SKU";
static const char *const C_INACTIVE = "INACTIVE_SKU";
static const char *const C_NOT_ENTITLED = "NOT_ENTITLED";
static const char *const C_QTY_NOT_POSITIVE = "QTY_NOT_POSITIVE";
static const char *const C_QTY_BELOW_MIN = "QTY_BELOW_MIN";
static const char *const C_QTY_ABOVE_MAX = "QTY_ABOVE_MAX";
static const char *const C_QTY_NOT_MULTIPLE = "QTY_NOT_MULTIPLE";
static const char *const C_STOCK = "INSUFFICIENT_STOCK";
static const char *const C_PRICE_MISMATCH = "PRICE_MISMATCH";
static const char *const C_NO_FX_RATE = "NO_FX_RATE";
static const char *const C_NEGATIVE_PRICE = "NEGATIVE_PRICE";
static const char *const C_BELOW_FLOOR = "BELOW_FLOOR";
static const char *const C_DUPLICATE = "DUPLICATE_LINE";

const char *
b2b_order_severity_name(int severity)
{
	switch (severity) {
	case B2B_ORDER_ERROR:
		return "error";
	case B2B_ORDER_HOLD:
		return "hold";
	case B2B_ORDER_WARNING:
		return "warning";
	default:
		return "";
	}
}

/* A user text shortened for messages. */
#define SHOWN(len) ((int)((len) > 80 ? 80 : (len)))

/* Append a violation to an arena array. */
static int
push_violation(b2b_ctx *ctx, b2b__violation **arr, size_t *n, size_t *cap,
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
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	memset(&v, 0, sizeof(v));
	v.code = C_MALFORMED;
	v.severity = B2B_ORDER_ERROR;
	v.line = line;
	v.path = b2b__ctx_strndup(rd->ctx, path, strlen(path));
	v.message = b2b__ctx_strndup(rd->ctx, buf, strlen(buf));
	if (v.path == NULL || v.message == NULL)
		return B2B_ENOMEM;
	return push_violation(rd->ctx, &rd->o->malformed, &rd->o->nmalformed, &rd->cap, &v);
}

/* `prefix.key`, or `prefix["k e y"]` for a key that is not a plain name. */
static const char *
member_path(b2b_ctx *ctx, const char *prefix, const char *key, size_t klen)
{
	static const char hex[] = "0123456789abcdef";
	char buf[300];
	size_t i, n = 0;
	int plain = klen > 0 && klen <= 64;

	for (i = 0; plain && i < klen; i++) {
		unsigned char c = (unsigned char)key[i];
		plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		        c == '_' || c == '-';
	}
	if (plain)
		return b2b__arena_printf(ctx, "%s%s%.*s", prefix, prefix[0] != '\0' ? "." : "",
		                         (int)klen, key);
	buf[n++] = '"';
	for (i = 0; i < klen && n < sizeof(buf) - 8; i++) {
		unsigned char c = (unsigned char)key[i];
		if (c == '"' || c == '\\') {
			buf[n++] = '\\';
			buf[n++] = (char)c;
		} else if (c < 0x20) {
			buf[n++] = '\\';
			buf[n++] = 'u';
			buf[n++] = '0';
			buf[n++] = '0';
			buf[n++] = hex[c >> 4];
			buf[n++] = hex[c & 15];
		} else {
			buf[n++] = (char)c;
		}
	}
	buf[n++] = '"';
	buf[n] = '\0';
	return b2b__arena_printf(ctx, "%s[%s]", prefix[0] != '\0' ? prefix : "$", buf);
}

static const char *
type_name(const b2b_json *v)
{
	return b2b_json_type_name(b2b_json_typeof(v));
}

/* The path `base[idx].name` (idx < 0: `base.name`; base "": `name`). */
static const char *
build_path(char *buf, size_t size, const char *base, long idx, const char *name)
{
	if (base[0] == '\0')
		snprintf(buf, size, "%s", name);
	else if (idx >= 0)
		snprintf(buf, size, "%s[%ld].%s", base, idx, name);
	else
		snprintf(buf, size, "%s.%s", base, name);
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
read_str(reader *rd, ofield *f, const b2b_json *v, const where *w, const char *name)
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
read_dec(reader *rd, ofield *f, const b2b_json *v, const where *w, const char *name)
{
	const char *why;
	char pb[128];
	int rc;

	switch (b2b_json_typeof(v)) {
	case B2B_JSON_NULL:
		return 0;
	case B2B_JSON_STRING:
		f->s = b2b_json_string(v, &f->len);
		rc = b2b_dec_parse(&f->v, f->s, f->len, 0, NULL);
		break;
	case B2B_JSON_NUMBER:
		f->s = b2b_json_number_text(v, &f->len);
		f->number = 1;
		rc = b2b_json_number(&f->v, v);
		break;
	default:
		f->bad = 1;
		PATH(pb, w, name);
		return malformed(rd, w->line, pb, "%s: expected a decimal (a string or a number), got %s",
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
	return malformed(rd, w->line, pb, "%s '%.*s': %s", pb, SHOWN(f->len), f->s, why);
}

/* A date or date-time string; `nullable`: null is a value (f->ok, s NULL). */
static int
read_time(reader *rd, ofield *f, const b2b_json *v, const where *w, const char *name,
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
	if (b2b_time_parse(&f->t, f->s, f->len, &errpos) == 0) {
		f->ok = 1;
		return 0;
	}
	f->bad = 1;
	PATH(pb, w, name);
	return malformed(rd, w->line, pb,
	                 "%s '%.*s': expected a date YYYY-MM-DD or a date-time "
	                 "YYYY-MM-DDThh:mm:ssZ (at character %zu)",
	                 pb, SHOWN(f->len), f->s, errpos + 1);
}

static int
missing(reader *rd, const ofield *f, const where *w, const char *name)
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
read_line(reader *rd, oline *l, const b2b_json *v, const where *w, int strict)
{
	unsigned seen = 0;
	size_t k, klen, n = b2b_json_size(v);
	char pb[128];
	int rc = 0, idx;

	if (b2b_json_typeof(v) != B2B_JSON_OBJECT) {
		l->sku.bad = l->qty.bad = l->price.bad = 1;
		snprintf(pb, sizeof(pb), "%s[%ld]", w->base, w->idx);
		return malformed(rd, w->line, pb, "%s: expected an object, got %s", pb, type_name(v));
	}
	for (k = 0; k < n && rc == 0; k++) {
		const char *key = b2b_json_key_at(v, k, &klen);
		const b2b_json *m = b2b_json_value_at(v, k);

		idx = key_index(LINE_KEYS, 3, key, klen);
		if (idx < 0 && !strict)
			continue;
		if (idx < 0 || (seen & (1u << idx))) {
			const char *path;

			snprintf(pb, sizeof(pb), "%s[%ld]", w->base, w->idx);
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
read_lines(reader *rd, oline **out, size_t *nout, const b2b_json *v, const char *base,
           int strict)
{
	size_t i, n = b2b_json_size(v);
	oline *lines;
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
		/* quote lines are document-level problems (not lines of the order) */
		w.line = strict ? (long)i : -1;
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
	oquote *q = &rd->o->quote;
	const where w = { "quote", -1, -1 };
	size_t k, klen, n;
	unsigned seen = 0;
	const char *path;
	int rc = 0, idx, s;

	q->given = 1;
	q->status = QS_UNREADABLE;
	if (b2b_json_typeof(v) != B2B_JSON_OBJECT) {
		q->customer.bad = q->currency.bad = q->valid_until.bad = 1;
		return malformed(rd, -1, "quote", "quote: expected an object (a quote document), got %s",
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
				rc = malformed(rd, -1, path, "%s: expected a string, got %s", path,
				               type_name(m));
				break;
			}
			for (s = 0; s < (int)NSTATES; s++)
				if (strlen(STATES[s]) == slen && memcmp(STATES[s], sv, slen) == 0)
					break;
			if (s < (int)NSTATES)
				q->status = s;
			else
				rc = malformed(rd, -1, path,
				               "%s '%.*s': expected one of draft, submitted, approved, "
				               "rejected, sent, accepted, declined, ordered, expired, "
				               "cancelled", path, SHOWN(slen), sv);
			break;
		case 1:
		case 2:
			if (b2b_json_typeof(m) == B2B_JSON_NULL) {
				(idx == 1 ? &q->customer : &q->currency)->bad = 1;
				rc = malformed(rd, -1, path, "%s: expected a string, got null", path);
				break;
			}
			rc = read_str(rd, idx == 1 ? &q->customer : &q->currency, m, &w, QUOTE_KEYS[idx]);
			break;
		case 3:
			rc = read_time(rd, &q->valid_until, m, &w, "valid_until", 1);
			q->valid_until_null = q->valid_until.ok && q->valid_until.s == NULL;
			break;
		default:
			if (b2b_json_typeof(m) != B2B_JSON_ARRAY) {
				rc = malformed(rd, -1, path, "%s: expected an array, got %s", path,
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
		return malformed(rd, -1, "codes", "codes: expected an array of strings, got %s",
		                 type_name(v));
	o->codes_given = 1;
	n = b2b_json_size(v);
	o->codes = b2b__arena_calloc(rd->ctx, n + 1, sizeof(*o->codes));
	o->code_index = b2b__arena_calloc(rd->ctx, n + 1, sizeof(*o->code_index));
	if (o->codes == NULL || o->code_index == NULL)
		return B2B_ENOMEM;
	for (i = 0; i < n; i++) {
		const b2b_json *e = b2b_json_at(v, i);
		ofield *f = &o->codes[o->ncodes];

		f->s = b2b_json_string(e, &f->len);
		if (f->s == NULL) {
			rc = malformed(rd, -1, b2b__arena_printf(rd->ctx, "codes[%zu]", i),
			               "codes[%zu]: expected a string, got %s", i, type_name(e));
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
			rc = malformed(rd, -1, path, "%s: unknown field", path != NULL ? path : "?");
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
				rc = malformed(rd, -1, path, "lines: expected an array, got %s",
				               type_name(v));
				o->lines_given = -1;
				break;
			}
			o->lines_given = 1;
			rc = read_lines(rd, &o->lines, &o->nlines, v, "lines", 1);
			if (rc == 0 && o->nlines == 0)
				rc = malformed(rd, -1, "lines", "lines: at least one line is required");
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

/*===========================================================================
 * MARK: - validation
 *===========================================================================*/

typedef struct vrun {
	b2b_ctx *ctx;
	const b2b_book *book;
	const b2b_order *o;
	struct b2b_validation *res;
	size_t cap;

	uint32_t cust;            /* B2B__NONE when unknown */
	const b2b__customer *c;
	uint16_t cur;             /* K: the order's currency (else customer's, else base) */
	int cur_given_ok;         /* `currency` was given and is a currency of the book */
	int upd;
	b2b_rounding mode;

	uint32_t *product;        /* per order line: product index or B2B__NONE */
	uint8_t *priceable;       /* per order line: known sku, qty > 0, price ≥ 0 readable */
	long *qline;              /* per order line: index in the quote run, or -1 */
	const b2b_quote *q;       /* the order priced as a quote; NULL when not run */
	int lines_priced;         /* q->lines[].lo are valid for the lines in qline */
	int doc_ok;               /* q's document figures (total, approval) are valid */
	int doc_fx_failed;        /* a document-level NO_FX_RATE was found */
	int currency_mismatch;
	int locked;               /* accepted, unexpired quote */
} vrun;

static int
viol(vrun *r, const char *code, int sev, long line, const char *path, const char *expected,
     const char *actual, const char *fmt, ...) B2B__PRINTF(8, 9);

static int
viol(vrun *r, const char *code, int sev, long line, const char *path, const char *expected,
     const char *actual, const char *fmt, ...)
{
	b2b__violation v;
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	memset(&v, 0, sizeof(v));
	v.code = code;
	v.severity = sev;
	v.line = line;
	v.path = path;
	v.expected = expected;
	v.actual = actual;
	v.message = b2b__ctx_strndup(r->ctx, buf, strlen(buf));
	if (v.message == NULL)
		return B2B_ENOMEM;
	return push_violation(r->ctx, &r->res->v, &r->res->n, &r->cap, &v);
}

/* "lines[i].name" in the arena (NULL when out of memory: viol() then
 * records a violation without a path, and the caller's next allocation
 * fails; check_nomem() catches it). */
static const char *
lpath(vrun *r, size_t i, const char *name)
{
	return b2b__arena_printf(r->ctx, "lines[%zu].%s", i, name);
}

static const char *
str_dup(vrun *r, const char *s, size_t len)
{
	return b2b__ctx_strndup(r->ctx, s, len);
}

/* A decimal as text at `scale` (B2B_DEC_SCALE_EXACT: shortest form). */
static const char *
dec_str(vrun *r, b2b_dec v, int scale)
{
	char buf[B2B_DEC_FORMAT_MAX];

	if (b2b_dec_format(buf, sizeof(buf), NULL, v, scale, r->mode) < 0)
		buf[0] = '\0';
	return b2b__ctx_strndup(r->ctx, buf, strlen(buf));
}

/* The fractional digits a decimal was written with (SPEC §9.19's count). */
int
b2b__written_scale(const char *s, size_t len, int number)
{
	const char *end = s + len, *dot;
	long frac = 0, exp = 0;
	int eneg = 0;

	dot = memchr(s, '.', len);
	if (dot != NULL) {
		const char *p = dot + 1;
		while (p < end && *p >= '0' && *p <= '9') {
			frac++;
			p++;
		}
		s = p;
	}
	if (number) {
		const char *e = s;
		while (e < end && *e != 'e' && *e != 'E')
			e++;
		if (e < end) {
			e++;
			if (e < end && (*e == '+' || *e == '-'))
				eneg = *e++ == '-';
			while (e < end && *e >= '0' && *e <= '9') {
				if (exp < 1000)
					exp = exp * 10 + (*e - '0');
				e++;
			}
			frac = eneg ? frac + exp : frac - exp;
		}
	}
	if (frac < 0)
		frac = 0;
	if (frac > B2B_DEC_SCALE)
		frac = B2B_DEC_SCALE;
	return (int)frac;
}

/* A decimal of the order as given: canonical integer part, fractional
 * digits as written ("10.50" → "10.50", 1.5E1 → "15"). */
static const char *
given_str(vrun *r, const ofield *f)
{
	return dec_str(r, f->v, b2b__written_scale(f->s, f->len, f->number));
}

static const char *
time_str(vrun *r, b2b_time t)
{
	char buf[B2B_TIME_FORMAT_MAX];

	if (b2b_time_format(buf, sizeof(buf), NULL, t) < 0)
		buf[0] = '\0';
	return b2b__ctx_strndup(r->ctx, buf, strlen(buf));
}

static int
field_eq(const ofield *f, const char *s, size_t len)
{
	return f->len == len && memcmp(f->s, s, len) == 0;
}

/* Natural path order: bytes, but array indexes as numbers. NULL first. */
static int
path_cmp(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b ? 0 : a == NULL ? -1 : 1;
	while (*a != '\0' && *b != '\0') {
		if (*a == '[' && *b == '[' && a[1] >= '0' && a[1] <= '9' && b[1] >= '0' &&
		    b[1] <= '9') {
			const char *pa = a + 1, *pb = b + 1;
			size_t na, nb;

			while (*pa == '0' && pa[1] >= '0' && pa[1] <= '9')
				pa++;
			while (*pb == '0' && pb[1] >= '0' && pb[1] <= '9')
				pb++;
			for (na = 0; pa[na] >= '0' && pa[na] <= '9'; na++)
				;
			for (nb = 0; pb[nb] >= '0' && pb[nb] <= '9'; nb++)
				;
			if (na != nb)
				return na < nb ? -1 : 1;
			{
				int c = memcmp(pa, pb, na);
				if (c != 0)
					return c < 0 ? -1 : 1;
			}
			a = pa + na;
			b = pb + nb;
			continue;
		}
		if (*a != *b)
			return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
		a++;
		b++;
	}
	return *a == *b ? 0 : (unsigned char)*a < (unsigned char)*b ? -1 : 1;
}

static int
viol_cmp(const void *pa, const void *pb)
{
	const b2b__violation *a = pa, *b = pb;
	int c;

	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if ((c = strcmp(a->code, b->code)) != 0)
		return c;
	if ((c = path_cmp(a->path, b->path)) != 0)
		return c;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* Convert a customer amount (in the customer's currency, else base) to K
 * (SPEC §9.15), like a list price: r9(v × rate). Returns 0, 1 (no rate),
 * or a negative code. */
static int
to_k(vrun *r, b2b_dec *out, b2b_dec v, uint16_t from)
{
	b2b_dec rate;
	uint16_t sf, st;
	int rc;

	if (from == r->cur) {
		*out = v;
		return 0;
	}
	if (!r->o->as_of.ok)
		return 2;   /* no instant to choose a rate: skipped */
	if (b2b__book_fx(r->book, from, r->cur, r->o->as_of.t.sec, &rate, &sf, &st) != 0)
		return 1;
	rc = b2b__r9_mul(out, r->book, v, rate);
	return rc < 0 ? rc : 0;
}

/*---------------------------------------------------------------------------
 * pricing the order as a quote
 *---------------------------------------------------------------------------*/

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
	return b2b__arena_printf(r->ctx, "lines[%zu]%s", i, rest + 1);
}

static int
price_order(vrun *r)
{
	const b2b_order *o = r->o;
	const b2b_book *book = r->book;
	struct b2b_quote_request *req;
	b2b_quote *q = NULL;
	size_t i, k, n = o->nlines;
	size_t *map;
	uint8_t *active;
	int rc;

	req = b2b__arena_calloc(r->ctx, 1, sizeof(*req));
	map = b2b__arena_calloc(r->ctx, n + 1, sizeof(*map));
	active = b2b__arena_calloc(r->ctx, n + 1, 1);
	if (req == NULL || map == NULL || active == NULL)
		return B2B_ENOMEM;
	req->ctx = r->ctx;
	req->kind = B2B__REQ_QUOTE;
	/* the quote needs an id; the order's (or none) is as good as any */
	req->quote_id.s = o->order_id.s != NULL ? o->order_id.s : "";
	req->quote_id.len = o->order_id.s != NULL ? o->order_id.len : 0;
	req->customer.s = o->customer.s;
	req->customer.len = o->customer.len;
	req->as_of.s = o->as_of.s;
	req->as_of.len = o->as_of.len;
	/* valid_until is taken as given: no as_of + validity days to overflow */
	req->valid_until = req->as_of;
	if (r->cur_given_ok) {
		req->currency.s = o->currency.s;
		req->currency.len = o->currency.len;
	}
	if (o->channel.s != NULL) {
		req->channel.s = o->channel.s;
		req->channel.len = o->channel.len;
	}
	if (o->ship_to.s != NULL) {
		req->ship_to.s = o->ship_to.s;
		req->ship_to.len = o->ship_to.len;
	}
	if (o->ncodes > 0) {
		req->codes = b2b__arena_calloc(r->ctx, o->ncodes, sizeof(*req->codes));
		if (req->codes == NULL)
			return B2B_ENOMEM;
		for (i = 0; i < o->ncodes; i++) {
			req->codes[i].s = o->codes[i].s;
			req->codes[i].len = o->codes[i].len;
		}
		req->ncodes = req->codes_cap = o->ncodes;
		req->codes_given = 1;
	}
	req->lines = b2b__arena_calloc(r->ctx, n + 1, sizeof(*req->lines));
	if (req->lines == NULL)
		return B2B_ENOMEM;
	req->lines_given = 1;
	for (i = 0; i < n; i++)
		active[i] = r->priceable[i];

	for (;;) {
		int dropped = 0;

		req->nlines = 0;
		for (i = 0; i < n; i++) {
			b2b__rline *l;
			const oline *ol = &o->lines[i];

			if (!active[i])
				continue;
			l = &req->lines[req->nlines];
			memset(l, 0, sizeof(*l));
			l->sku.s = ol->sku.s;
			l->sku.len = ol->sku.len;
			l->qty.s = ol->qty.s;
			l->qty.len = ol->qty.len;
			l->qty.number = ol->qty.number;
			l->requested.s = ol->price.s;
			l->requested.len = ol->price.len;
			l->requested.number = ol->price.number;
			map[req->nlines++] = i;
		}
		req->lines_cap = req->nlines;
		if (req->nlines == 0)
			return 0;     /* nothing to price: total 0 */

		rc = b2b__quote_run(&q, r->ctx, book, req, 0);
		if (rc == 0) {
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
			active[i] = 0;
			if ((rc = viol(r, C_MALFORMED, B2B_ORDER_ERROR, (long)i, lpath(r, i, "qty"), NULL,
			               NULL, "lines[%zu]: %s", i, b2b_ctx_errmsg(r->ctx))) < 0)
				return rc;
			continue;
		}
		if (rc != B2B_EREQUEST)
			return rc;
		for (k = 0; k < q->nerrors; k++) {
			const b2b__problem *p = &q->errors[k];

			if (p->line >= 0 && (size_t)p->line < req->nlines) {
				i = map[p->line];
				if (active[i]) {
					active[i] = 0;
					dropped = 1;
				}
				rc = viol(r, p->code, B2B_ORDER_ERROR, (long)i, remap_path(r, p->path, i),
				          NULL, NULL, "lines[%zu]: %s", i, p->message);
			} else {
				if (strcmp(p->code, C_NO_FX_RATE) == 0)
					r->doc_fx_failed = 1;
				rc = viol(r, p->code, B2B_ORDER_ERROR, -1, p->path, NULL, NULL, "%s",
				          p->message);
			}
			if (rc < 0)
				return rc;
		}
		if (dropped)
			continue;
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
 * §9.22): those of the quote run when there was one, else every
 * priceable line. */
static int
fallback_total(vrun *r, b2b_dec *total)
{
	const b2b_order *o = r->o;
	int minor = r->book->currencies[r->cur].minor_units;
	b2b_dec x, sum = { 0, 0 };
	size_t i;
	int rc;

	for (i = 0; i < o->nlines; i++) {
		if (r->q != NULL ? r->qline[i] < 0 : !r->priceable[i])
			continue;
		if ((rc = b2b_dec_mul(&x, o->lines[i].price.v, o->lines[i].qty.v, minor, r->mode)) < 0 ||
		    (rc = b2b_dec_add(&sum, sum, x)) < 0)
			return b2b__ctx_seterr(r->ctx, rc, "the order total leaves the decimal range");
	}
	*total = sum;
	return 0;
}

/*---------------------------------------------------------------------------
 * the checks
 *---------------------------------------------------------------------------*/

static int
check_header(vrun *r)
{
	const b2b_order *o = r->o;
	const b2b_book *book = r->book;
	uint32_t c;
	int rc;

	r->cust = B2B__NONE;
	if (o->customer.s != NULL) {
		r->cust = b2b__book_customer(book, o->customer.s, o->customer.len);
		if (r->cust == B2B__NONE &&
		    (rc = viol(r, C_UNKNOWN_CUSTOMER, B2B_ORDER_ERROR, -1, "customer", NULL,
		               str_dup(r, o->customer.s, o->customer.len), "unknown customer '%.*s'",
		               SHOWN(o->customer.len), o->customer.s)) < 0)
			return rc;
	}
	r->c = r->cust != B2B__NONE ? &book->customers[r->cust] : NULL;
	r->cur = book->settings.base_currency;
	if (r->c != NULL && r->c->currency != UINT16_MAX)
		r->cur = r->c->currency;
	if (o->currency.s != NULL) {
		c = b2b__book_currency(book, o->currency.s, o->currency.len);
		if (c == B2B__NONE) {
			rc = viol(r, C_MALFORMED, B2B_ORDER_ERROR, -1, "currency", NULL,
			          str_dup(r, o->currency.s, o->currency.len),
			          "currency '%.*s': not a currency of the book; the order is priced in %s",
			          SHOWN(o->currency.len), o->currency.s, book->currencies[r->cur].code);
			if (rc < 0)
				return rc;
		} else {
			r->cur = (uint16_t)c;
			r->cur_given_ok = 1;
		}
	}
	return 0;
}

static int
check_quote(vrun *r)
{
	const b2b_order *o = r->o;
	const oquote *q = &o->quote;
	const char *cur = r->book->currencies[r->cur].code;
	int rc, expired = -1;  /* -1 unknown */
	size_t i, n;

	if (!q->given)
		return 0;
	if (q->status != QS_UNREADABLE && q->status != STATE_ACCEPTED &&
	    (rc = viol(r, C_QUOTE_NOT_ACCEPTED, B2B_ORDER_ERROR, -1, "quote.status", "accepted",
	               STATES[q->status], "the quote is '%s', not 'accepted'", STATES[q->status])) < 0)
		return rc;
	if (q->valid_until.ok && o->as_of.ok) {
		expired = !q->valid_until_null && b2b_time_cmp(o->as_of.t, q->valid_until.t) >= 0;
		if (expired &&
		    (rc = viol(r, C_QUOTE_EXPIRED, B2B_ORDER_ERROR, -1, "quote.valid_until",
		               time_str(r, q->valid_until.t), time_str(r, o->as_of.t),
		               "the quote expired at %.*s (the order is as of %.*s)",
		               SHOWN(q->valid_until.len), q->valid_until.s, SHOWN(o->as_of.len),
		               o->as_of.s)) < 0)
			return rc;
	}
	r->locked = q->status == STATE_ACCEPTED && expired == 0;
	if (q->customer.s != NULL && o->customer.s != NULL &&
	    !field_eq(&q->customer, o->customer.s, o->customer.len) &&
	    (rc = viol(r, C_QUOTE_MISMATCH, B2B_ORDER_ERROR, -1, "quote.customer",
	               str_dup(r, q->customer.s, q->customer.len),
	               str_dup(r, o->customer.s, o->customer.len),
	               "the quote is for customer '%.*s', the order for '%.*s'",
	               SHOWN(q->customer.len), q->customer.s, SHOWN(o->customer.len),
	               o->customer.s)) < 0)
		return rc;
	if (q->currency.s != NULL && (o->currency.s == NULL || r->cur_given_ok) &&
	    !field_eq(&q->currency, cur, strlen(cur))) {
		r->currency_mismatch = 1;
		rc = viol(r, C_CURRENCY_MISMATCH, B2B_ORDER_ERROR, -1, "currency",
		          str_dup(r, q->currency.s, q->currency.len), cur,
		          "the order is in %s, the quote in %.*s", cur, SHOWN(q->currency.len),
		          q->currency.s);
		if (rc < 0)
			return rc;
	}
	if (!q->lines_ok)
		return 0;
	if (q->nlines != o->nlines &&
	    (rc = viol(r, C_QUOTE_MISMATCH, B2B_ORDER_ERROR, -1, "quote.lines",
	               b2b__arena_printf(r->ctx, "%zu", q->nlines),
	               b2b__arena_printf(r->ctx, "%zu", o->nlines),
	               "the quote has %zu line%s, the order %zu", q->nlines,
	               q->nlines == 1 ? "" : "s", o->nlines)) < 0)
		return rc;
	n = q->nlines < o->nlines ? q->nlines : o->nlines;
	for (i = 0; i < n; i++) {
		const oline *ql = &q->lines[i], *ol = &o->lines[i];

		if (ql->sku.s != NULL && ol->sku.s != NULL &&
		    !field_eq(&ql->sku, ol->sku.s, ol->sku.len) &&
		    (rc = viol(r, C_QUOTE_MISMATCH, B2B_ORDER_ERROR, (long)i, lpath(r, i, "sku"),
		               str_dup(r, ql->sku.s, ql->sku.len), str_dup(r, ol->sku.s, ol->sku.len),
		               "the quote's line %zu is for sku '%.*s', the order's for '%.*s'", i,
		               SHOWN(ql->sku.len), ql->sku.s, SHOWN(ol->sku.len), ol->sku.s)) < 0)
			return rc;
		if (ql->qty.ok && ol->qty.ok && !b2b__dec_eq(ql->qty.v, ol->qty.v) &&
		    (rc = viol(r, C_QUOTE_MISMATCH, B2B_ORDER_ERROR, (long)i, lpath(r, i, "qty"),
		               given_str(r, &ql->qty), given_str(r, &ol->qty),
		               "the quote's line %zu has qty %.*s, the order's %.*s", i,
		               SHOWN(ql->qty.len), ql->qty.s, SHOWN(ol->qty.len), ol->qty.s)) < 0)
			return rc;
	}
	return 0;
}

/* The checks of one line that do not need its price. */
static int
check_line_static(vrun *r, size_t i)
{
	const b2b_order *o = r->o;
	const b2b_book *book = r->book;
	const oline *l = &o->lines[i];
	const b2b__product *p;
	const b2b__product_ext *x;
	const char *sku;
	size_t j;
	int rc, qty_pos;

	r->product[i] = B2B__NONE;
	if (l->sku.s == NULL)
		return 0;
	r->product[i] = b2b__book_product(book, l->sku.s, l->sku.len);
	if (r->product[i] == B2B__NONE)
		return viol(r, C_UNKNOWN_SKU, B2B_ORDER_ERROR, (long)i, lpath(r, i, "sku"), NULL,
		            str_dup(r, l->sku.s, l->sku.len), "unknown sku '%.*s'", SHOWN(l->sku.len),
		            l->sku.s);
	p = &book->products[r->product[i]];
	sku = b2b__s(book, p->sku);
	if ((p->flags & B2B__P_INACTIVE) &&
	    (rc = viol(r, C_INACTIVE, B2B_ORDER_ERROR, (long)i, lpath(r, i, "sku"), "active",
	               "inactive", "sku '%s' is inactive", sku)) < 0)
		return rc;
	if (r->c != NULL && r->c->catalog_n > 0) {
		for (j = 0; j < r->c->catalog_n; j++)
			if (b2b__scope_matches(book, &book->scopes[r->c->catalog_off + j], r->product[i]))
				break;
		if (j == r->c->catalog_n) {
			char cat[512];
			size_t m = 0;

			cat[0] = '\0';
			for (j = 0; j < r->c->catalog_n && m < sizeof(cat); j++)
				m += (size_t)snprintf(cat + m, sizeof(cat) - m, "%s%s", j > 0 ? ";" : "",
				                      b2b__s(book, book->scopes[r->c->catalog_off + j].text));
			rc = viol(r, C_NOT_ENTITLED, B2B_ORDER_ERROR, (long)i, lpath(r, i, "sku"),
			          str_dup(r, cat, strlen(cat)),
			          p->category != B2B__NONE ?
			              b2b__s(book, book->categories[p->category].path) : sku,
			          "sku '%s' is outside the customer's catalog (%s)", sku, cat);
			if (rc < 0)
				return rc;
		}
	}
	if (!l->qty.ok)
		return 0;
	qty_pos = b2b_dec_sign(l->qty.v) > 0;
	if (!qty_pos)
		return viol(r, C_QTY_NOT_POSITIVE, B2B_ORDER_ERROR, (long)i, lpath(r, i, "qty"), NULL,
		            given_str(r, &l->qty), "qty %.*s is not positive", SHOWN(l->qty.len),
		            l->qty.s);
	x = b2b__book_product_ext(book, p);
	if (x->min_qty.set && b2b_dec_cmp(l->qty.v, x->min_qty.v) < 0 &&
	    (rc = viol(r, C_QTY_BELOW_MIN, B2B_ORDER_ERROR, (long)i, lpath(r, i, "qty"),
	               dec_str(r, x->min_qty.v, B2B_DEC_SCALE_EXACT), given_str(r, &l->qty),
	               "qty %.*s is below the minimum of %s for sku '%s'", SHOWN(l->qty.len),
	               l->qty.s, dec_str(r, x->min_qty.v, B2B_DEC_SCALE_EXACT), sku)) < 0)
		return rc;
	if (x->max_qty.set && b2b_dec_cmp(l->qty.v, x->max_qty.v) > 0 &&
	    (rc = viol(r, C_QTY_ABOVE_MAX, B2B_ORDER_ERROR, (long)i, lpath(r, i, "qty"),
	               dec_str(r, x->max_qty.v, B2B_DEC_SCALE_EXACT), given_str(r, &l->qty),
	               "qty %.*s is above the maximum of %s for sku '%s'", SHOWN(l->qty.len),
	               l->qty.s, dec_str(r, x->max_qty.v, B2B_DEC_SCALE_EXACT), sku)) < 0)
		return rc;
	if (x->pack_size.set && b2b_dec_sign(x->pack_size.v) > 0) {
		/* q is a whole multiple of m exactly when their coefficients are */
		b2b__i128 qc = b2b__dec_to_i128(l->qty.v), mc = b2b__dec_to_i128(x->pack_size.v);

		if (qc % mc != 0 &&
		    (rc = viol(r, C_QTY_NOT_MULTIPLE, B2B_ORDER_ERROR, (long)i, lpath(r, i, "qty"),
		               dec_str(r, x->pack_size.v, B2B_DEC_SCALE_EXACT), given_str(r, &l->qty),
		               "qty %.*s is not a multiple of the pack size %s of sku '%s'",
		               SHOWN(l->qty.len), l->qty.s,
		               dec_str(r, x->pack_size.v, B2B_DEC_SCALE_EXACT), sku)) < 0)
			return rc;
	}
	if (x->on_hand.set && b2b_dec_cmp(l->qty.v, x->on_hand.v) > 0 &&
	    (rc = viol(r, C_STOCK, B2B_ORDER_WARNING, (long)i, lpath(r, i, "qty"),
	               dec_str(r, x->on_hand.v, B2B_DEC_SCALE_EXACT), given_str(r, &l->qty),
	               "qty %.*s exceeds the %s on hand of sku '%s'", SHOWN(l->qty.len), l->qty.s,
	               dec_str(r, x->on_hand.v, B2B_DEC_SCALE_EXACT), sku)) < 0)
		return rc;
	return 0;
}

/* NEGATIVE_PRICE of a submitted price, and whether the line can be priced. */
static int
check_priceable(vrun *r, size_t i)
{
	const oline *l = &r->o->lines[i];
	int rc;

	r->priceable[i] = 0;
	if (l->price.ok && b2b_dec_sign(l->price.v) < 0) {
		rc = viol(r, C_NEGATIVE_PRICE, B2B_ORDER_ERROR, (long)i, lpath(r, i, "unit_price"),
		          NULL, given_str(r, &l->price), "unit_price %.*s is negative",
		          SHOWN(l->price.len), l->price.s);
		return rc;
	}
	r->priceable[i] = r->product[i] != B2B__NONE && l->qty.ok && b2b_dec_sign(l->qty.v) > 0 &&
	                  l->price.ok;
	return 0;
}

/* PRICE_MISMATCH and BELOW_FLOOR of line i (SPEC §7). */
static int
check_price(vrun *r, size_t i)
{
	const b2b_order *o = r->o;
	const oline *l = &o->lines[i];
	const b2b__line_out *lo = NULL;
	const b2b_dec tol = r->book->settings.price_tolerance;
	b2b_dec ref, diff;
	int have_ref = 0, rc;
	const char *what = "the engine's price";

	if (!l->price.ok)
		return 0;
	if (r->lines_priced && r->qline[i] >= 0)
		lo = &r->q->lines[r->qline[i]].lo;
	if (r->locked && i < o->quote.nlines && o->quote.lines[i].sku.s != NULL &&
	    l->sku.s != NULL && field_eq(&o->quote.lines[i].sku, l->sku.s, l->sku.len)) {
		if (o->quote.lines[i].price.ok) {
			ref = o->quote.lines[i].price.v;
			have_ref = 1;
			what = "the accepted quote's price";
		}
	} else if (lo != NULL) {
		ref = lo->engine_rounded;
		have_ref = 1;
	}
	if (have_ref) {
		if ((rc = b2b_dec_sub(&diff, l->price.v, ref)) < 0)
			return b2b__ctx_seterr(r->ctx, rc, "a price difference leaves the decimal range");
		if (b2b_dec_cmp(b2b_dec_abs(diff), tol) > 0 &&
		    (rc = viol(r, C_PRICE_MISMATCH, B2B_ORDER_ERROR, (long)i, lpath(r, i, "unit_price"),
		               dec_str(r, ref, r->upd), given_str(r, &l->price),
		               "unit_price %.*s differs from %s %s by more than the tolerance %s",
		               SHOWN(l->price.len), l->price.s, what, dec_str(r, ref, r->upd),
		               dec_str(r, tol, B2B_DEC_SCALE_EXACT))) < 0)
			return rc;
	}
	if (lo != NULL && !r->locked && lo->below_floor &&
	    (rc = viol(r, C_BELOW_FLOOR, B2B_ORDER_HOLD, (long)i, lpath(r, i, "unit_price"),
	               dec_str(r, lo->floor.v, B2B_DEC_SCALE), dec_str(r, lo->unit_price, r->upd),
	               "unit_price %s is below the floor %s of sku '%.*s'",
	               dec_str(r, lo->unit_price, r->upd), dec_str(r, lo->floor.v, B2B_DEC_SCALE),
	               SHOWN(l->sku.len), l->sku.s)) < 0)
		return rc;
	return 0;
}

static int
check_duplicates(vrun *r)
{
	const b2b_order *o = r->o;
	size_t i, j;
	int rc;

	for (i = 1; i < o->nlines; i++) {
		const oline *l = &o->lines[i];

		if (l->sku.s == NULL)
			continue;
		for (j = 0; j < i; j++)
			if (o->lines[j].sku.s != NULL && field_eq(&o->lines[j].sku, l->sku.s, l->sku.len))
				break;
		if (j < i &&
		    (rc = viol(r, C_DUPLICATE, B2B_ORDER_WARNING, (long)i, lpath(r, i, "sku"), NULL,
		               str_dup(r, l->sku.s, l->sku.len),
		               "sku '%.*s' was already ordered on line %zu", SHOWN(l->sku.len), l->sku.s,
		               j)) < 0)
			return rc;
	}
	return 0;
}

static int
list_has(const b2b_book *book, uint32_t off, uint32_t n, const char *s, size_t len)
{
	uint32_t j;

	for (j = 0; j < n; j++) {
		const char *x = b2b__s(book, book->strs[off + j]);
		if (strlen(x) == len && memcmp(x, s, len) == 0)
			return 1;
	}
	return 0;
}

static const char *
list_text(vrun *r, uint32_t off, uint32_t n)
{
	char buf[512];
	size_t m = 0;
	uint32_t j;

	buf[0] = '\0';
	for (j = 0; j < n && m < sizeof(buf); j++)
		m += (size_t)snprintf(buf + m, sizeof(buf) - m, "%s%s", j > 0 ? ";" : "",
		                      b2b__s(r->book, r->book->strs[off + j]));
	return b2b__ctx_strndup(r->ctx, buf, strlen(buf));
}

/* Terms, regions, codes: the checks that need no price. */
static int
check_document_static(vrun *r)
{
	const b2b_order *o = r->o;
	const b2b_book *book = r->book;
	const b2b__customer *c = r->c;
	size_t i, j;
	int rc;

	if (c != NULL && o->payment_terms.s != NULL && c->terms_n > 0 &&
	    !list_has(book, c->terms_off, c->terms_n, o->payment_terms.s, o->payment_terms.len)) {
		const char *allowed = list_text(r, c->terms_off, c->terms_n);

		rc = viol(r, C_TERMS, B2B_ORDER_ERROR, -1, "payment_terms", allowed,
		          str_dup(r, o->payment_terms.s, o->payment_terms.len),
		          "payment terms '%.*s' are not allowed for this customer (allowed: %s)",
		          SHOWN(o->payment_terms.len), o->payment_terms.s, allowed != NULL ? allowed : "");
		if (rc < 0)
			return rc;
	}
	if (c != NULL && o->ship_to.s != NULL && c->regions_n > 0 &&
	    !list_has(book, c->regions_off, c->regions_n, o->ship_to.s, o->ship_to.len)) {
		const char *allowed = list_text(r, c->regions_off, c->regions_n);

		rc = viol(r, C_SHIP_TO, B2B_ORDER_ERROR, -1, "ship_to", allowed,
		          str_dup(r, o->ship_to.s, o->ship_to.len),
		          "ship-to region '%.*s' is not allowed for this customer (allowed: %s)",
		          SHOWN(o->ship_to.len), o->ship_to.s, allowed != NULL ? allowed : "");
		if (rc < 0)
			return rc;
	}
	/* without a quote: the stated currency against the customer's */
	if (!o->quote.given && c != NULL && r->cur_given_ok && c->currency != UINT16_MAX &&
	    c->currency != r->cur) {
		r->currency_mismatch = 1;
		rc = viol(r, C_CURRENCY_MISMATCH, B2B_ORDER_ERROR, -1, "currency",
		          book->currencies[c->currency].code, book->currencies[r->cur].code,
		          "the order is in %s, the customer buys in %s", book->currencies[r->cur].code,
		          book->currencies[c->currency].code);
		if (rc < 0)
			return rc;
	}
	for (i = 0; i < o->ncodes; i++) {
		const ofield *f = &o->codes[i];

		for (j = 0; j < i; j++)
			if (field_eq(&o->codes[j], f->s, f->len))
				break;
		if (j < i || b2b__book_promos_by_code(book, f->s, f->len) > 0)
			continue;
		rc = viol(r, C_UNKNOWN_CODE, B2B_ORDER_WARNING, -1,
		          b2b__arena_printf(r->ctx, "codes[%zu]", o->code_index[i]), NULL,
		          str_dup(r, f->s, f->len), "no promotion has the code '%.*s'", SHOWN(f->len),
		          f->s);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int
doc_fx_violation(vrun *r, uint16_t from, const char *what)
{
	size_t i;

	for (i = 0; i < r->res->n; i++)
		if (r->res->v[i].line < 0 && strcmp(r->res->v[i].code, C_NO_FX_RATE) == 0)
			return 0;   /* once */
	return viol(r, C_NO_FX_RATE, B2B_ORDER_ERROR, -1, "currency", NULL, NULL,
	            "no FX rate from %s to %s valid at %.*s (needed for %s)",
	            r->book->currencies[from].code, r->book->currencies[r->cur].code,
	            SHOWN(r->o->as_of.len), r->o->as_of.s, what);
}

/* Credit, budget and minimum order value, in K (SPEC §7, §9.15). */
static int
check_money(vrun *r, b2b_dec total)
{
	const b2b__customer *c = r->c;
	const b2b_book *book = r->book;
	uint16_t from;
	b2b_dec limit, bal, x;
	int minor = book->currencies[r->cur].minor_units, rc;
	const char *cur = book->currencies[r->cur].code;

	if (c == NULL || r->currency_mismatch || r->doc_fx_failed)
		return 0;
	if (!c->credit_limit.set && !c->budget.set && !c->min_order_value.set)
		return 0;
	from = c->currency != UINT16_MAX ? c->currency : book->settings.base_currency;
	if (c->credit_limit.set) {
		bal.lo = 0;
		bal.hi = 0;
		rc = to_k(r, &limit, c->credit_limit.v, from);
		if (rc == 0 && c->open_balance.set)
			rc = to_k(r, &bal, c->open_balance.v, from);
		if (rc == 1)
			return doc_fx_violation(r, from, "the customer's credit limit");
		if (rc < 0)
			return b2b__ctx_seterr(r->ctx, rc, "the credit check leaves the decimal range");
		if (rc == 0) {
			if ((rc = b2b_dec_add(&x, bal, total)) < 0)
				return b2b__ctx_seterr(r->ctx, rc, "the credit check leaves the decimal range");
			if (b2b_dec_cmp(x, limit) > 0 &&
			    (rc = viol(r, C_CREDIT, B2B_ORDER_ERROR, -1, NULL, dec_str(r, limit, minor),
			               dec_str(r, x, minor),
			               "open balance %s + order total %s = %s %s exceeds the credit limit "
			               "of %s %s", dec_str(r, bal, minor), dec_str(r, total, minor), cur,
			               dec_str(r, x, minor), cur, dec_str(r, limit, minor))) < 0)
				return rc;
		}
	}
	if (c->budget.set) {
		rc = to_k(r, &limit, c->budget.v, from);
		if (rc == 1)
			return doc_fx_violation(r, from, "the customer's budget");
		if (rc < 0)
			return b2b__ctx_seterr(r->ctx, rc, "the budget check leaves the decimal range");
		if (rc == 0 && b2b_dec_cmp(total, limit) > 0 &&
		    (rc = viol(r, C_BUDGET, B2B_ORDER_HOLD, -1, NULL, dec_str(r, limit, minor),
		               dec_str(r, total, minor),
		               "order total %s %s exceeds the per-order budget of %s %s", cur,
		               dec_str(r, total, minor), cur, dec_str(r, limit, minor))) < 0)
			return rc;
	}
	if (c->min_order_value.set) {
		rc = to_k(r, &limit, c->min_order_value.v, from);
		if (rc == 1)
			return doc_fx_violation(r, from, "the customer's minimum order value");
		if (rc < 0)
			return b2b__ctx_seterr(r->ctx, rc, "the minimum order check leaves the decimal range");
		if (rc == 0 && b2b_dec_cmp(total, limit) < 0 &&
		    (rc = viol(r, C_MIN_ORDER, B2B_ORDER_ERROR, -1, NULL, dec_str(r, limit, minor),
		               dec_str(r, total, minor),
		               "order total %s %s is below the minimum order value of %s %s", cur,
		               dec_str(r, total, minor), cur, dec_str(r, limit, minor))) < 0)
			return rc;
	}
	return 0;
}

static int
check_approval(vrun *r)
{
	const b2b_quote *q = r->q;
	char why[400];
	size_t k, m = 0;

	if (!r->doc_ok || r->locked || q->level <= 0)
		return 0;
	why[0] = '\0';
	for (k = 0; k < q->nreasons && m < sizeof(why) - 1; k++) {
		const b2b__reason *x = &q->reasons[k];
		size_t line = 0;

		if (x->line >= 0) {
			/* the reason's line is a line of the quote run */
			size_t i;
			for (i = 0; i < r->o->nlines; i++)
				if (r->qline[i] == x->line)
					break;
			line = i;
		}
		if (x->line >= 0)
			m += (size_t)snprintf(why + m, sizeof(why) - m, "%s%s on line %zu",
			                      k > 0 ? ", " : "", x->rule, line);
		else
			m += (size_t)snprintf(why + m, sizeof(why) - m, "%s%s", k > 0 ? ", " : "",
			                      x->rule);
	}
	return viol(r, C_APPROVAL, B2B_ORDER_HOLD, -1, NULL, "0",
	            b2b__arena_printf(r->ctx, "%d", q->level),
	            "the order needs approval level %d (%s)", q->level, why);
}

static int
validate(vrun *r)
{
	const b2b_order *o = r->o;
	const b2b_book *book = r->book;
	struct b2b_validation *res = r->res;
	size_t i, n = o->nlines;
	b2b_dec total;
	int rc;

	r->upd = book->settings.unit_price_decimals;
	r->mode = book->settings.rounding;
	res->mode = r->mode;
	if (o->nmalformed > 0) {
		if (b2b__arena_grow(r->ctx, (void **)&res->v, &r->cap, o->nmalformed + 8,
		                    sizeof(*res->v)) < 0)
			return B2B_ENOMEM;
		memcpy(res->v, o->malformed, o->nmalformed * sizeof(*res->v));
		res->n = o->nmalformed;
	}
	r->product = b2b__arena_calloc(r->ctx, n + 1, sizeof(*r->product));
	r->priceable = b2b__arena_calloc(r->ctx, n + 1, 1);
	r->qline = b2b__arena_calloc(r->ctx, n + 1, sizeof(*r->qline));
	if (r->product == NULL || r->priceable == NULL || r->qline == NULL)
		return B2B_ENOMEM;

	if ((rc = check_header(r)) < 0)
		return rc;
	for (i = 0; i < n; i++) {
		r->qline[i] = -1;
		if ((rc = check_line_static(r, i)) < 0 || (rc = check_priceable(r, i)) < 0)
			return rc;
	}
	if ((rc = check_quote(r)) < 0 || (rc = check_document_static(r)) < 0)
		return rc;

	/* price the order as a quote when the header resolves (§9.7) */
	if (r->c != NULL && o->as_of.ok && (rc = price_order(r)) < 0)
		return rc;
	for (i = 0; i < n; i++)
		if ((rc = check_price(r, i)) < 0)
			return rc;
	if ((rc = check_duplicates(r)) < 0)
		return rc;

	if (r->doc_ok) {
		total = r->q->total;
	} else if ((rc = fallback_total(r, &total)) < 0) {
		return rc;
	}
	res->total = total;
	res->currency = book->currencies[r->cur].code;
	res->minor = book->currencies[r->cur].minor_units;
	if ((rc = check_money(r, total)) < 0 || (rc = check_approval(r)) < 0)
		return rc;

	qsort(res->v, res->n, sizeof(*res->v), viol_cmp);
	res->valid = 1;
	for (i = 0; i < res->n; i++)
		if (res->v[i].severity == B2B_ORDER_ERROR)
			res->valid = 0;
	/* a violation recorded while memory ran out lacks its strings */
	for (i = 0; i < res->n; i++)
		if (res->v[i].message == NULL)
			return B2B_ENOMEM;
	return 0;
}

static int
opts_check(b2b_ctx *ctx, const b2b_order_options *opts)
{
	if (opts == NULL)
		return 0;
	if (opts->version == 0 || opts->version > B2B_ORDER_OPTIONS_VERSION)
		return b2b__ctx_seterr(ctx, B2B_EVERSION, "b2b_order_options: version %u",
		                       opts->version);
	if (opts->flags != 0)
		return b2b__ctx_seterr(ctx, B2B_EINVAL, "b2b_order_options: unknown flags 0x%x",
		                       (unsigned)opts->flags);
	return 0;
}

int
b2b_order_validate(const b2b_validation **out, b2b_ctx *ctx, const b2b_book *book,
                   const b2b_order *order, const b2b_order_options *opts)
{
	vrun r;
	int rc;

	if (out == NULL)
		return B2B_EINVAL;
	*out = NULL;
	if (ctx == NULL)
		return B2B_EINVAL;
	if (book == NULL || order == NULL)
		return b2b__ctx_seterr(ctx, B2B_EINVAL, "b2b_order_validate: NULL argument");
	if ((rc = opts_check(ctx, opts)) < 0)
		return rc;
	memset(&r, 0, sizeof(r));
	r.ctx = ctx;
	r.book = book;
	r.o = order;
	r.res = b2b__arena_calloc(ctx, 1, sizeof(*r.res));
	if (r.res == NULL)
		return b2b__ctx_seterr(ctx, B2B_ENOMEM, "out of memory");
	rc = validate(&r);
	if (rc == B2B_ENOMEM)
		return b2b__ctx_seterr(ctx, B2B_ENOMEM, "out of memory");
	if (rc < 0)
		return b2b_ctx_errcode(ctx) == rc ? rc :
		       b2b__ctx_seterr(ctx, rc, "order validation failed: %s", b2b_strerror(rc));
	*out = r.res;
	return 0;
}

int
b2b_order_validate_json(const b2b_validation **out, b2b_ctx *ctx, const b2b_book *book,
                        const char *json, size_t len, const b2b_order_options *opts)
{
	const b2b_order *o;
	int rc;

	if (out == NULL)
		return B2B_EINVAL;
	*out = NULL;
	if (ctx == NULL)
		return B2B_EINVAL;
	if (book == NULL)
		return b2b__ctx_seterr(ctx, B2B_EINVAL, "b2b_order_validate_json: NULL book");
	if ((rc = opts_check(ctx, opts)) < 0)
		return rc;
	if ((rc = b2b_order_parse(&o, ctx, json, len)) < 0)
		return rc;
	return b2b_order_validate(out, ctx, book, o, opts);
}

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
		b2b__jw_cstr(&w, b2b_order_severity_name(x->severity));
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

int
b2b_validation_severity(const b2b_validation *v, size_t i)
{
	const b2b__violation *x = at(v, i);
	return x != NULL ? x->severity : -1;
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
