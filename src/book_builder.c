/*
 * libb2bcore — the book builder: headers and cells, checked one row at a
 * time against SPEC §3 and §9 (types, ranges, enums, blanks, unused and
 * required columns). References between tables and cross-row rules are
 * checked at finish (book_freeze.c).
 *
 * Speed matters (millions of rows): no allocation per cell, keys interned
 * in one pool through a hash set, decimals parsed in place.
 * SPDX-License-Identifier: MIT
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "b2b/currency.h"
#include "book_builder.h"

/*===========================================================================
 * MARK: - Column specifications
 *===========================================================================*/

enum {
	FT_KEY,      /* a key or short text, interned */
	FT_TEXT,     /* free text, pooled without deduplication */
	FT_DEC,      /* decimal, with a range */
	FT_INT,      /* integer in [min, max] */
	FT_DATE,
	FT_ENUM,     /* one of names[] */
	FT_CCY,      /* three upper-case letters */
	FT_CATEGORY, /* a/b/c */
	FT_SCOPE,    /* sku:X | category:a/b | all */
	FT_SCOPES,   /* ;-list of scopes */
	FT_LISTREFS, /* ;-list of price list ids, no repeats */
	FT_KEYLIST,  /* ;-list of keys */
	FT_APPLIES,  /* ;-list of default | segment:S | channel:C | customer:ID */
	FT_BASE,     /* list | cost | parent | list_id:ID */
	FT_POINTS    /* x:f;x:f;… */
};

enum { R_ANY, R_GE0, R_GT0, R_LE100, R_0_100 };

typedef struct colspec {
	const char *name;
	uint8_t type;
	uint8_t req;
	uint8_t range;
	const char *const *names;   /* FT_ENUM, NULL-terminated */
	int64_t min, max;           /* FT_INT */
} colspec;

#define IMIN INT64_MIN
#define IMAX INT64_MAX
#define KEY(n, r) { n, FT_KEY, r, 0, NULL, 0, 0 }
#define TEXT(n) { n, FT_TEXT, 0, 0, NULL, 0, 0 }
#define DEC(n, r, rg) { n, FT_DEC, r, rg, NULL, 0, 0 }
#define INT(n, r, lo, hi) { n, FT_INT, r, 0, NULL, lo, hi }
#define DATE(n) { n, FT_DATE, 0, 0, NULL, 0, 0 }
#define ENUM(n, r, v) { n, FT_ENUM, r, 0, v, 0, 0 }
#define TYPED(n, t, r) { n, t, r, 0, NULL, 0, 0 }

static const char *const e_status[] = { "active", "inactive", NULL };
static const char *const e_tier[] = { "all_units", "incremental", "block", NULL };
static const char *const e_compute[] = { "fixed", "discount", "formula", NULL };
static const char *const e_policy[] = { "override", "best", NULL };
static const char *const e_bool[] = { "0", "1", NULL };
static const char *const e_signal[] = { "stock_days", "demand_ratio", "competitor",
	                                "cost_plus", NULL };
static const char *const e_kind[] = { "percent", "amount", "fixed_price", "buy_x_get_y",
	                              "order_percent", "order_amount", NULL };
static const char *const e_stacking[] = { "stackable", "exclusive", NULL };
static const char *const e_metric[] = { "line_discount_percent", "quote_discount_percent",
	                                "quote_margin_percent_below", "quote_total_above",
	                                NULL };
static const char *const e_tax_rounding[] = { "line", "document", NULL };
static const char *const e_rounding[] = { "half_up", "half_even", "half_down", "up", "down",
	                                  "ceiling", "floor", NULL };

static const colspec c_settings[] = {
	KEY("key", 1), { "value", FT_TEXT, 1, 0, NULL, 0, 0 },
};
static const colspec c_currencies[] = {
	TYPED("code", FT_CCY, 1), INT("minor_units", 1, 0, 9), DEC("cash_increment", 0, R_GT0),
};
static const colspec c_fx[] = {
	TYPED("from", FT_CCY, 1), TYPED("to", FT_CCY, 1), DEC("rate", 1, R_GT0), DATE("valid_from"),
};
static const colspec c_products[] = {
	KEY("sku", 1), DEC("list_price", 1, R_GE0), TEXT("name"),
	TYPED("category", FT_CATEGORY, 0), KEY("uom", 0), TYPED("currency", FT_CCY, 0),
	DEC("cost", 0, R_GE0), DEC("pack_size", 0, R_GT0), DEC("min_qty", 0, R_GE0),
	DEC("max_qty", 0, R_GT0), ENUM("status", 0, e_status), KEY("tax_class", 0),
	DEC("on_hand", 0, R_GE0), DEC("daily_demand", 0, R_GE0),
	DEC("baseline_demand", 0, R_GE0), DEC("competitor_price", 0, R_GE0),
	DEC("prev_price", 0, R_GE0),
};
static const colspec c_customers[] = {
	KEY("id", 1), TEXT("name"), KEY("segment", 0), KEY("channel", 0),
	TYPED("currency", FT_CCY, 0), TYPED("price_lists", FT_LISTREFS, 0),
	TYPED("catalog", FT_SCOPES, 0), DEC("credit_limit", 0, R_GE0),
	DEC("open_balance", 0, R_ANY), TYPED("payment_terms", FT_KEYLIST, 0),
	TYPED("regions", FT_KEYLIST, 0), DEC("min_order_value", 0, R_GE0),
	DEC("budget", 0, R_GE0),
};
static const colspec c_lists[] = {
	KEY("id", 1), TYPED("currency", FT_CCY, 0), INT("priority", 0, IMIN, IMAX),
	DATE("valid_from"), DATE("valid_until"), KEY("parent", 0),
	TYPED("applies_to", FT_APPLIES, 0), ENUM("tier_mode", 0, e_tier),
};
static const colspec c_items[] = {
	KEY("list", 1), TYPED("scope", FT_SCOPE, 1), DEC("min_qty", 0, R_GE0),
	DATE("valid_from"), DATE("valid_until"), ENUM("compute", 1, e_compute),
	DEC("price", 0, R_GE0), DEC("discount_percent", 0, R_LE100),
	TYPED("base", FT_BASE, 0), DEC("surcharge", 0, R_ANY), DEC("round_to", 0, R_GT0),
	DEC("min_margin", 0, R_ANY), DEC("max_margin", 0, R_ANY),
};
static const colspec c_contracts[] = {
	KEY("id", 1), KEY("customer", 1), TYPED("currency", FT_CCY, 0), DATE("valid_from"),
	DATE("valid_until"), ENUM("policy", 0, e_policy), ENUM("allow_promotions", 0, e_bool),
};
static const colspec c_citems[] = {
	KEY("contract", 1), TYPED("scope", FT_SCOPE, 1), DEC("min_qty", 0, R_GE0),
	DEC("price", 0, R_GE0), DEC("discount_percent", 0, R_LE100),
};
static const colspec c_rules[] = {
	KEY("id", 1), TYPED("scope", FT_SCOPE, 1), ENUM("signal", 1, e_signal),
	INT("priority", 0, IMIN, IMAX), DATE("valid_from"), DATE("valid_until"),
	TYPED("points", FT_POINTS, 0), DEC("markup_percent", 0, R_ANY),
	DEC("offset_percent", 0, R_ANY), DEC("min_factor", 0, R_GE0),
	DEC("max_factor", 0, R_GE0), DEC("max_change_percent", 0, R_GE0),
	DEC("price_step", 0, R_GT0),
};
static const colspec c_promos[] = {
	KEY("id", 1), ENUM("kind", 1, e_kind), DEC("value", 0, R_ANY),
	TYPED("scope", FT_SCOPE, 0), KEY("segment", 0), KEY("code", 0), DATE("valid_from"),
	DATE("valid_until"), INT("priority", 0, IMIN, IMAX), ENUM("stacking", 0, e_stacking),
	INT("buy_qty", 0, 1, IMAX), INT("get_qty", 0, 1, IMAX), DEC("min_subtotal", 0, R_GE0),
};
static const colspec c_taxes[] = {
	KEY("tax_class", 1), KEY("region", 1), DEC("rate_percent", 1, R_GE0),
};
static const colspec c_approvals[] = {
	KEY("id", 1), ENUM("metric", 1, e_metric), DEC("threshold", 1, R_ANY),
	INT("level", 1, 1, 9),
};

typedef struct tabspec {
	const colspec *cols;
	size_t ncols;
} tabspec;

#define TAB(c) { c, sizeof(c) / sizeof((c)[0]) }
static const tabspec tables[B2B_TABLE_COUNT] = {
	TAB(c_settings), TAB(c_currencies), TAB(c_fx), TAB(c_products), TAB(c_customers),
	TAB(c_lists), TAB(c_items), TAB(c_contracts), TAB(c_citems), TAB(c_rules),
	TAB(c_promos), TAB(c_taxes), TAB(c_approvals),
};

/* Record size of each table's rows. */
static const size_t row_size[B2B_TABLE_COUNT] = {
	sizeof(b2b__setting_row), sizeof(b2b__currency), sizeof(b2b__fx),
	sizeof(b2b__product), sizeof(b2b__customer), sizeof(b2b__list), sizeof(b2b__item),
	sizeof(b2b__contract), sizeof(b2b__item), sizeof(b2b__rule), sizeof(b2b__promo),
	sizeof(b2b__tax), sizeof(b2b__approval),
};

static const char *const table_files[B2B_TABLE_COUNT] = {
	"settings", "currencies", "fx_rates", "products", "customers", "price_lists",
	"price_list_items", "contracts", "contract_items", "dynamic_rules",
	"promotions", "taxes", "approval_rules",
};

static const char *const setting_keys[B2B__SET_COUNT + 1] = {
	"base_currency", "rounding_mode", "unit_price_decimals", "tax_rounding",
	"max_discount_percent", "min_margin_percent", "price_tolerance", "quote_validity_days",
	NULL
};

/* The value column of each setting, as a column of its own. */
static const colspec setting_specs[B2B__SET_COUNT] = {
	TYPED("base_currency", FT_CCY, 1), ENUM("rounding_mode", 1, e_rounding),
	INT("unit_price_decimals", 1, 0, 9), ENUM("tax_rounding", 1, e_tax_rounding),
	DEC("max_discount_percent", 1, R_0_100), DEC("min_margin_percent", 1, R_GE0),
	DEC("price_tolerance", 1, R_GE0), INT("quote_validity_days", 1, 1, IMAX),
};

size_t
b2b__bb_row_size(int t)
{
	return row_size[t];
}

const char *
b2b__table_name(int t)
{
	return t >= 0 && t < B2B_TABLE_COUNT ? table_files[t] : "";
}

/*===========================================================================
 * MARK: - Vectors, pool and interning
 *===========================================================================*/

static void *
vec_push(const b2b_allocator *a, b2b__vec *v, size_t elem)
{
	char *p;

	if (v->n == v->cap &&
	    b2b__grow(a, &v->p, &v->cap, v->n + 1, elem) < 0)
		return NULL;
	p = (char *)v->p + v->n * elem;
	memset(p, 0, elem);
	v->n++;
	return p;
}

static void
vec_free(const b2b_allocator *a, b2b__vec *v, size_t elem)
{
	b2b__free(a, v->p, v->cap * elem);
	v->p = NULL;
	v->n = v->cap = 0;
}

static uint32_t
hash_bytes(const char *s, size_t n)
{
	uint64_t h = 0x9E3779B97F4A7C15u ^ ((uint64_t)n * 0xff51afd7ed558ccdu);
	uint64_t w;

	while (n >= 8) {
		memcpy(&w, s, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdu;
		h ^= h >> 32;
		s += 8;
		n -= 8;
	}
	w = 0;
	if (n != 0)
		memcpy(&w, s, n);
	h = (h ^ w) * 0xc4ceb9fe1a85ec53u;
	h ^= h >> 29;
	h *= 0x94d049bb133111ebu;
	h ^= h >> 32;
	return (uint32_t)h;
}

/* Append `pre` (plen bytes), then len bytes and a NUL; *off receives the
 * offset of s's copy. s may point into the pool itself. */
static int
pool_append_pre(b2b_book_builder *b, const char *pre, size_t plen, const char *s, size_t len,
                b2b__str *off)
{
	size_t need = b->pool_len + plen + len + 1;

	if (need > UINT32_MAX)
		return B2B_ENOMEM;   /* a b2b__str is 32 bits: 4 GiB of strings at most */
	if (need > b->pool_cap) {
		size_t from = (size_t)-1;
		void *p = b->pool;

		if (s >= b->pool && s < b->pool + b->pool_cap)
			from = (size_t)(s - b->pool);
		if (b2b__grow(&b->alloc, &p, &b->pool_cap, need, 1) < 0)
			return B2B_ENOMEM;
		b->pool = p;
		if (from != (size_t)-1)
			s = b->pool + from;
	}
	if (plen != 0) {
		memcpy(b->pool + b->pool_len, pre, plen);
		b->pool_len += plen;
	}
	if (len != 0)
		memcpy(b->pool + b->pool_len, s, len);
	b->pool[b->pool_len + len] = '\0';
	*off = (b2b__str)b->pool_len;
	b->pool_len += len + 1;
	return 0;
}

static int
pool_append(b2b_book_builder *b, const char *s, size_t len, b2b__str *off)
{
	return pool_append_pre(b, NULL, 0, s, len, off);
}

static int
ht_grow(b2b_book_builder *b)
{
	size_t ncap = b->ht_cap == 0 ? 1024 : b->ht_cap * 2, i;
	uint64_t *nt = b2b__calloc(&b->alloc, ncap, sizeof(uint64_t));

	if (nt == NULL)
		return B2B_ENOMEM;
	for (i = 0; i < b->ht_cap; i++) {
		uint64_t e = b->ht[i];
		size_t j;

		if (e == 0)
			continue;
		j = (size_t)(e >> 32) & (ncap - 1);
		while (nt[j] != 0)
			j = (j + 1) & (ncap - 1);
		nt[j] = e;
	}
	b2b__free(&b->alloc, b->ht, b->ht_cap * sizeof(uint64_t));
	b->ht = nt;
	b->ht_cap = ncap;
	return 0;
}

static int
ht_find(const b2b_book_builder *b, const char *s, size_t len, uint32_t h, size_t *slot)
{
	size_t mask = b->ht_cap - 1, i = h & mask;

	for (;;) {
		uint64_t e = b->ht[i];
		uint32_t off;

		if (e == 0) {
			*slot = i;
			return 0;
		}
		off = (uint32_t)e;
		if ((uint32_t)(e >> 32) == h && off + len < b->pool_len &&
		    b->pool[off + len] == '\0' && memcmp(b->pool + off, s, len) == 0) {
			*slot = i;
			return 1;
		}
		i = (i + 1) & mask;
	}
}

static int
intern_pre(b2b_book_builder *b, const char *pre, size_t plen, const char *s, size_t len,
           b2b__str *out)
{
	uint32_t h;
	size_t slot;
	b2b__str off;
	int rc;

	if (len == 0) {
		*out = 0;
		return 0;
	}
	if ((b->ht_n + 1) * 2 > b->ht_cap && (rc = ht_grow(b)) < 0)
		return rc;
	h = hash_bytes(s, len);
	if (ht_find(b, s, len, h, &slot)) {
		*out = (b2b__str)b->ht[slot];
		return 0;
	}
	if ((rc = pool_append_pre(b, pre, plen, s, len, &off)) < 0)
		return rc;
	b->ht[slot] = ((uint64_t)h << 32) | off;
	b->ht_n++;
	*out = off;
	return 0;
}

int
b2b__bb_intern(b2b_book_builder *b, const char *s, size_t len, b2b__str *out)
{
	return intern_pre(b, NULL, 0, s, len, out);
}

int
b2b__bb_intern_sku(b2b_book_builder *b, const char *s, size_t len, b2b__str *out)
{
	return intern_pre(b, "sku:", 4, s, len, out);
}

b2b__str
b2b__bb_find(const b2b_book_builder *b, const char *s, size_t len)
{
	size_t slot;

	if (len == 0 || b->ht_cap == 0)
		return 0;
	if (ht_find(b, s, len, hash_bytes(s, len), &slot))
		return (b2b__str)b->ht[slot];
	return 0;
}

/* Provisional tax class index of an interned string. */
static int
tax_class_index(b2b_book_builder *b, b2b__str s, uint16_t *out)
{
	size_t mask, i;
	uint32_t *ids = b->tax_classes.p;

	if (b->tax_classes.n * 2 + 2 > b->tc_cap) {
		size_t ncap = b->tc_cap == 0 ? 64 : b->tc_cap * 2, k;
		uint32_t *nm = b2b__calloc(&b->alloc, ncap, sizeof(uint32_t));

		if (nm == NULL)
			return B2B_ENOMEM;
		for (k = 0; k < b->tax_classes.n; k++) {
			size_t j = (ids[k] * 2654435761u) & (ncap - 1);

			while (nm[j] != 0)
				j = (j + 1) & (ncap - 1);
			nm[j] = (uint32_t)k + 1;
		}
		b2b__free(&b->alloc, b->tc_map, b->tc_cap * sizeof(uint32_t));
		b->tc_map = nm;
		b->tc_cap = ncap;
	}
	mask = b->tc_cap - 1;
	for (i = (s * 2654435761u) & mask; b->tc_map[i] != 0; i = (i + 1) & mask) {
		if (ids[b->tc_map[i] - 1] == s) {
			*out = (uint16_t)(b->tc_map[i] - 1);
			return 0;
		}
	}
	if (b->tax_classes.n >= UINT16_MAX - 1)
		return B2B_EOVERFLOW;   /* reported by the caller */
	if (vec_push(&b->alloc, &b->tax_classes, sizeof(b2b__str)) == NULL)
		return B2B_ENOMEM;
	ids = b->tax_classes.p;
	ids[b->tax_classes.n - 1] = s;
	b->tc_map[i] = (uint32_t)b->tax_classes.n;
	*out = (uint16_t)(b->tax_classes.n - 1);
	return 0;
}

/*===========================================================================
 * MARK: - Diagnostics
 *===========================================================================*/

/* Remember where this build's diagnostics start on ctx (for the sort). */
static void
note_ctx(b2b_book_builder *b, b2b_ctx *ctx)
{
	if (b->diag_ctx == NULL) {
		b->diag_ctx = ctx;
		b->diag_start = b2b_ctx_diag_count(ctx);
	}
}

/* `"text"`, cut to a readable length at a UTF-8 boundary, control
 * characters shown as '?'. */
static void
fmt_got(char *buf, size_t size, const char *s, size_t len)
{
	size_t max = 60, i, o = 0;

	if (len > max) {
		len = max;
		while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
			len--;
	}
	buf[o++] = '"';
	for (i = 0; i < len && o + 5 < size; i++)
		buf[o++] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i];
	if (i < len || len == max) {
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	buf[o++] = '"';
	buf[o] = '\0';
}

const char *
b2b__bb_row_source(const b2b_book_builder *b, int table, size_t row)
{
	const b2b__rowloc *l = (const b2b__rowloc *)b->locs[table].p + row;
	const b2b__seg *s = (const b2b__seg *)b->segs.p + B2B__LOC_SEG(*l);

	return s->source != NULL ? s->source : "";
}

static int vdiag(b2b_book_builder *b, b2b_ctx *ctx, int severity, const char *file, long line,
                 long col, const char *prefix, const char *fmt, va_list ap) B2B__PRINTF(8, 0);

static int
vdiag(b2b_book_builder *b, b2b_ctx *ctx, int severity, const char *file, long line, long col,
      const char *prefix, const char *fmt, va_list ap)
{
	char msg[768];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (severity == B2B_SEV_ERROR)
		b->nerrors++;
	if (prefix != NULL)
		return b2b__ctx_diag(ctx, severity, file, line, col, "%s: %s", prefix, msg);
	return b2b__ctx_diag(ctx, severity, file, line, col, "%s", msg);
}

int
b2b__bb_diag(b2b_book_builder *b, b2b_ctx *ctx, int severity, const char *file, long line,
             long col, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vdiag(b, ctx, severity, file, line, col, NULL, fmt, ap);
	va_end(ap);
	return rc;
}

int
b2b__bb_diag_row(b2b_book_builder *b, b2b_ctx *ctx, int severity, int table, size_t row,
                 int field, const char *fmt, ...)
{
	const b2b__rowloc *l = (const b2b__rowloc *)b->locs[table].p + row;
	const b2b__seg *s = (const b2b__seg *)b->segs.p + B2B__LOC_SEG(*l);
	va_list ap;
	long col = field >= 0 && field < B2B__MAX_FIELDS ? s->field_col[field] : 0;
	int rc;

	va_start(ap, fmt);
	rc = vdiag(b, ctx, severity, s->source, (long)l->line, col, NULL, fmt, ap);
	va_end(ap);
	return rc;
}

/*===========================================================================
 * MARK: - Cells
 *===========================================================================*/

/* The state of one add_row call. */
typedef struct rowrd {
	b2b_book_builder *b;
	b2b_ctx *ctx;
	const b2b__seg *seg;
	const tabspec *ts;
	long line;
	int bad;                /* the row had a problem */
	int pushed;             /* the row was stored */
	int rc;                 /* B2B_ENOMEM once the diagnostics or a pool failed */
} rowrd;

/* A parsed cell. */
typedef struct cellv {
	const char *raw;        /* the cell as given */
	size_t len;
	int present;            /* non-empty */
	int set;                /* present and valid */
	union {                 /* by the column's type; all zero when not set */
		b2b_dec d;          /* FT_DEC */
		int64_t i;          /* FT_INT */
		b2b_time t;         /* FT_DATE */
		struct {
			b2b__str s;     /* FT_KEY, FT_TEXT, FT_CATEGORY, FT_BASE list_id */
			int e;          /* FT_ENUM, FT_CCY */
			int base;       /* FT_BASE */
		};
		struct {
			uint32_t off, n; /* FT_*LIST, FT_SCOPES, FT_APPLIES, FT_POINTS */
		};
		b2b__scope sc;      /* FT_SCOPE */
	};
} cellv;

static void rd_report(rowrd *r, long col, const char *label, const char *fmt, ...)
	B2B__PRINTF(4, 5);

static void
rd_report(rowrd *r, long col, const char *label, const char *fmt, ...)
{
	va_list ap;
	int rc;

	r->bad = 1;
	va_start(ap, fmt);
	rc = vdiag(r->b, r->ctx, B2B_SEV_ERROR, r->seg->source, r->line, col, label, fmt, ap);
	va_end(ap);
	if (rc < 0)
		r->rc = rc;
}

/* A problem with a cell: "<label>: expected <what>, got "<cell>"". */
static void
cell_error(rowrd *r, long col, const char *label, const char *what, const char *s, size_t len)
{
	char got[96];

	fmt_got(got, sizeof(got), s, len);
	rd_report(r, col, label, "expected %s, got %s", what, got);
}

static int
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

/* Well-formed UTF-8 (no overlong forms, surrogates or code points past
 * U+10FFFF). */
static int
utf8_valid(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned c = s[i];

		if (c < 0x80) {
			i++;
		} else if (c >= 0xC2 && c <= 0xDF) {
			if (i + 1 >= n || (s[i + 1] & 0xC0) != 0x80)
				return 0;
			i += 2;
		} else if (c >= 0xE0 && c <= 0xEF) {
			if (i + 2 >= n || (s[i + 1] & 0xC0) != 0x80 || (s[i + 2] & 0xC0) != 0x80)
				return 0;
			if ((c == 0xE0 && s[i + 1] < 0xA0) || (c == 0xED && s[i + 1] > 0x9F))
				return 0;
			i += 3;
		} else if (c >= 0xF0 && c <= 0xF4) {
			if (i + 3 >= n || (s[i + 1] & 0xC0) != 0x80 || (s[i + 2] & 0xC0) != 0x80 ||
			    (s[i + 3] & 0xC0) != 0x80)
				return 0;
			if ((c == 0xF0 && s[i + 1] < 0x90) || (c == 0xF4 && s[i + 1] > 0x8F))
				return 0;
			i += 4;
		} else {
			return 0;
		}
	}
	return 1;
}

static const char *const dec_what[] = {
	[R_ANY] = "a decimal like 12.50",
	[R_GE0] = "a decimal >= 0 like 12.50",
	[R_GT0] = "a decimal > 0 like 12.50",
	[R_LE100] = "a decimal <= 100 like 12.5",
	[R_0_100] = "a decimal from 0 to 100 like 12.5",
};

/* Parse a decimal; on a problem report it and return -1. */
static int
parse_dec(rowrd *r, long col, const char *label, int range, const char *s, size_t len,
          b2b_dec *out)
{
	int rc = b2b_dec_parse(out, s, len, 0, NULL);
	int sign;

	if (rc == B2B_EPRECISION) {
		cell_error(r, col, label, "at most 9 fractional digits", s, len);
		return -1;
	}
	if (rc == B2B_EOVERFLOW) {
		cell_error(r, col, label, "at most 28 integer digits", s, len);
		return -1;
	}
	if (rc < 0) {
		cell_error(r, col, label, dec_what[R_ANY], s, len);
		return -1;
	}
	sign = b2b_dec_sign(*out);
	if ((range == R_GE0 && sign < 0) || (range == R_GT0 && sign <= 0) ||
	    (range == R_0_100 && sign < 0)) {
		cell_error(r, col, label, dec_what[range], s, len);
		return -1;
	}
	if (range == R_LE100 || range == R_0_100) {
		b2b_dec hundred;

		b2b_dec_from_units(&hundred, 100, 0);
		if (b2b_dec_cmp(*out, hundred) > 0) {
			cell_error(r, col, label, dec_what[range], s, len);
			return -1;
		}
	}
	return 0;
}

static int
parse_int(const char *s, size_t len, int64_t *out)
{
	size_t i = 0;
	int neg = 0;
	int64_t v = 0;

	if (len > 0 && s[0] == '-') {
		neg = 1;
		i = 1;
	}
	if (i == len || len - i > 18)
		return -1;
	for (; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = neg ? -v : v;
	return 0;
}

static void
int_what(char *buf, size_t size, int64_t lo, int64_t hi)
{
	if (lo == IMIN && hi == IMAX)
		snprintf(buf, size, "an integer like 10");
	else if (hi == IMAX && lo == 1)
		snprintf(buf, size, "a positive integer like 2");
	else if (hi == IMAX)
		snprintf(buf, size, "an integer >= %lld", (long long)lo);
	else
		snprintf(buf, size, "an integer from %lld to %lld", (long long)lo, (long long)hi);
}

static void
enum_what(char *buf, size_t size, const char *const *names)
{
	size_t n = 0, o, k;

	while (names[n] != NULL)
		n++;
	o = (size_t)snprintf(buf, size, "%s", n > 2 ? "one of " : "");
	for (k = 0; k < n && o < size; k++)
		o += (size_t)snprintf(buf + o, size - o, "%s%s",
		                      k == 0 ? "" : k + 1 == n ? (n > 2 ? ", or " : " or ") : ", ",
		                      names[k]);
}

static int
enum_find(const char *const *names, const char *s, size_t len)
{
	int k;

	for (k = 0; names[k] != NULL; k++)
		if (strlen(names[k]) == len && memcmp(names[k], s, len) == 0)
			return k;
	return -1;
}

/* A non-empty piece without blanks around it. */
static int
piece_ok(const char *s, size_t len)
{
	return len > 0 && !is_blank(s[0]) && !is_blank(s[len - 1]);
}

/* A category path: non-empty segments without blanks, separated by '/'. */
static int
category_ok(const char *s, size_t len, int *depth)
{
	size_t i, start = 0;
	int d = 0;

	for (i = 0; i <= len; i++) {
		if (i == len || s[i] == '/') {
			if (!piece_ok(s + start, i - start))
				return 0;
			d++;
			start = i + 1;
		}
	}
	if (d > 254)
		return 0;
	*depth = d;
	return 1;
}

#define SCOPE_WHAT "a scope: sku:SKU, category:PATH (like category:tools/hand) or all"

/* Parse one scope into *sc (provisional ids). Returns 0 or -1 (reported). */
static int
parse_scope(rowrd *r, long col, const char *label, const char *s, size_t len, b2b__scope *sc)
{
	b2b_book_builder *b = r->b;
	int rc, depth;

	memset(sc, 0, sizeof(*sc));
	if (len == 3 && memcmp(s, "all", 3) == 0) {
		sc->kind = B2B__SCOPE_ALL;
	} else if (len > 4 && memcmp(s, "sku:", 4) == 0 && piece_ok(s + 4, len - 4)) {
		sc->kind = B2B__SCOPE_SKU;
		sc->depth = 255;
		if ((rc = b2b__bb_intern_sku(b, s + 4, len - 4, &sc->id)) < 0)
			goto nomem;
		/* the sku's own "sku:" prefix is the scope's text */
		if (b2b__bb_has_sku_prefix(b, sc->id)) {
			sc->text = sc->id - 4;
			return 0;
		}
	} else if (len > 9 && memcmp(s, "category:", 9) == 0 &&
	           category_ok(s + 9, len - 9, &depth)) {
		sc->kind = B2B__SCOPE_CATEGORY;
		sc->depth = (uint8_t)depth;
		if ((rc = b2b__bb_intern(b, s + 9, len - 9, &sc->id)) < 0)
			goto nomem;
	} else {
		cell_error(r, col, label, SCOPE_WHAT, s, len);
		return -1;
	}
	if ((rc = b2b__bb_intern(b, s, len, &sc->text)) < 0)
		goto nomem;
	return 0;
nomem:
	r->rc = rc;
	return -1;
}

/* Split a ;-list; calls fn for each element; reports an empty element. */
typedef int (*elem_fn)(rowrd *r, long col, const char *label, const char *s, size_t len,
                       void *ud);

static int
each_elem(rowrd *r, long col, const char *label, const char *s, size_t len, const char *what,
          elem_fn fn, void *ud)
{
	size_t i, start = 0;
	int ok = 0;

	for (i = 0; i <= len; i++) {
		if (i == len || s[i] == ';') {
			if (!piece_ok(s + start, i - start)) {
				cell_error(r, col, label, what, s, len);
				return -1;
			}
			start = i + 1;
		}
	}
	start = 0;
	for (i = 0; i <= len; i++) {
		if (i == len || s[i] == ';') {
			if (fn(r, col, label, s + start, i - start, ud) < 0)
				ok = -1;
			start = i + 1;
		}
	}
	return ok;
}

static int
scope_elem(rowrd *r, long col, const char *label, const char *s, size_t len, void *ud)
{
	b2b__scope sc, *p;

	(void)ud;
	if (parse_scope(r, col, label, s, len, &sc) < 0)
		return -1;
	if ((p = vec_push(&r->b->alloc, &r->b->scopes, sizeof(b2b__scope))) == NULL) {
		r->rc = B2B_ENOMEM;
		return -1;
	}
	*p = sc;
	return 0;
}

/* A key of a ;-list into b->strs (or b->u32 for price lists); `uniq`
 * rejects repeats. */
typedef struct keylist {
	b2b__vec *v;
	size_t first;           /* index of this cell's first element */
	int uniq;
	const char *what;
} keylist;

static int
key_elem(rowrd *r, long col, const char *label, const char *s, size_t len, void *ud)
{
	keylist *kl = ud;
	b2b__str k;
	uint32_t *p;
	size_t j;
	int rc;

	if ((rc = b2b__bb_intern(r->b, s, len, &k)) < 0) {
		r->rc = rc;
		return -1;
	}
	if (kl->uniq) {
		for (j = kl->first; j < kl->v->n; j++) {
			if (((uint32_t *)kl->v->p)[j] == k) {
				char got[96];

				fmt_got(got, sizeof(got), s, len);
				rd_report(r, col, label, "%s %s named twice", kl->what, got);
				return -1;
			}
		}
	}
	if ((p = vec_push(&r->b->alloc, kl->v, sizeof(uint32_t))) == NULL) {
		r->rc = B2B_ENOMEM;
		return -1;
	}
	*p = k;
	return 0;
}

#define APPLIES_WHAT "a ;-list of default, segment:S, channel:C or customer:ID"

static int
applies_elem(rowrd *r, long col, const char *label, const char *s, size_t len, void *ud)
{
	size_t *first = ud, j;
	b2b__applies a, *p;
	size_t pre;
	int rc;

	memset(&a, 0, sizeof(a));
	if (len == 7 && memcmp(s, "default", 7) == 0) {
		a.kind = B2B__APPLY_DEFAULT;
		pre = len;
	} else if (len > 8 && memcmp(s, "segment:", 8) == 0) {
		a.kind = B2B__APPLY_SEGMENT;
		pre = 8;
	} else if (len > 8 && memcmp(s, "channel:", 8) == 0) {
		a.kind = B2B__APPLY_CHANNEL;
		pre = 8;
	} else if (len > 9 && memcmp(s, "customer:", 9) == 0) {
		a.kind = B2B__APPLY_CUSTOMER;
		pre = 9;
	} else {
		cell_error(r, col, label, APPLIES_WHAT, s, len);
		return -1;
	}
	if (pre < len) {
		if (!piece_ok(s + pre, len - pre)) {
			cell_error(r, col, label, APPLIES_WHAT, s, len);
			return -1;
		}
		if ((rc = b2b__bb_intern(r->b, s + pre, len - pre, &a.value)) < 0) {
			r->rc = rc;
			return -1;
		}
	}
	for (j = *first; j < r->b->applies.n; j++) {
		const b2b__applies *o = (const b2b__applies *)r->b->applies.p + j;

		if (o->kind == a.kind && o->value == a.value) {
			char got[96];

			fmt_got(got, sizeof(got), s, len);
			rd_report(r, col, label, "%s named twice", got);
			return -1;
		}
	}
	if ((p = vec_push(&r->b->alloc, &r->b->applies, sizeof(b2b__applies))) == NULL) {
		r->rc = B2B_ENOMEM;
		return -1;
	}
	*p = a;
	return 0;
}

#define POINTS_WHAT "points like 0:1.2;30:1;90:0.8 (x:factor, x strictly ascending)"

static int
point_elem(rowrd *r, long col, const char *label, const char *s, size_t len, void *ud)
{
	b2b__vec *pts = &r->b->points;
	size_t *first = ud;
	const char *colon = memchr(s, ':', len);
	b2b__point pt, *p;
	int rc;

	if (colon == NULL) {
		char got[96];

		fmt_got(got, sizeof(got), s, len);
		rd_report(r, col, label, "expected x:factor pairs like 30:1.1, got %s", got);
		return -1;
	}
	rc = b2b_dec_parse(&pt.x, s, (size_t)(colon - s), 0, NULL);
	if (rc == 0)
		rc = b2b_dec_parse(&pt.f, colon + 1, len - (size_t)(colon - s) - 1, 0, NULL);
	if (rc == B2B_EPRECISION || rc == B2B_EOVERFLOW) {
		char got[96];

		fmt_got(got, sizeof(got), s, len);
		rd_report(r, col, label, "expected decimals of at most %s, got %s",
		          rc == B2B_EPRECISION ? "9 fractional digits" : "28 integer digits", got);
		return -1;
	}
	if (rc < 0) {
		char got[96];

		fmt_got(got, sizeof(got), s, len);
		rd_report(r, col, label, "expected x:factor pairs of decimals like 30:1.1, got %s",
		          got);
		return -1;
	}
	if (pts->n > *first &&
	    b2b_dec_cmp(pt.x, ((b2b__point *)pts->p)[pts->n - 1].x) <= 0) {
		char got[96];

		fmt_got(got, sizeof(got), s, len);
		rd_report(r, col, label, "expected x values strictly ascending, got %s after a "
		          "point with the same or a greater x", got);
		return -1;
	}
	if ((p = vec_push(&r->b->alloc, pts, sizeof(b2b__point))) == NULL) {
		r->rc = B2B_ENOMEM;
		return -1;
	}
	*p = pt;
	return 0;
}

/* Parse a non-empty cell of type spec->type into *v. */
static void
parse_cell(rowrd *r, long col, const char *label, const colspec *spec, cellv *v)
{
	b2b_book_builder *b = r->b;
	const char *s = v->raw;
	size_t len = v->len;
	char what[256];
	int rc, depth;

	if (!b->trusted_utf8 && memchr(s, '\0', len) != NULL) {
		rd_report(r, col, label, "expected text without NUL bytes");
		return;
	}
	if (!b->trusted_utf8 && !utf8_valid((const unsigned char *)s, len)) {
		rd_report(r, col, label, "expected UTF-8 text, got invalid bytes");
		return;
	}
	if (is_blank(s[0]) || is_blank(s[len - 1])) {
		cell_error(r, col, label, "no blanks around the value", s, len);
		return;
	}
	switch (spec->type) {
	case FT_KEY: {
		int t = r->seg->table, f = (int)(spec - r->ts->cols);
		b2b__str *m = &b->key_memo[t][f];

		if (f >= 0 && f < B2B__MAX_FIELDS && *m != 0 && b->key_memo_len[t][f] == len &&
		    memcmp(b->pool + *m, s, len) == 0) {
			v->s = *m;
			break;
		}
		rc = t == B2B_TABLE_PRODUCTS && f == B2B__F_P_SKU
		     ? b2b__bb_intern_sku(b, s, len, &v->s) : b2b__bb_intern(b, s, len, &v->s);
		if (rc < 0) {
			r->rc = rc;
			return;
		}
		if (f >= 0 && f < B2B__MAX_FIELDS) {
			*m = v->s;
			b->key_memo_len[t][f] = (uint32_t)len;
		}
		break;
	}
	case FT_TEXT:
		if ((rc = pool_append(b, s, len, &v->s)) < 0) {
			r->rc = rc;
			return;
		}
		break;
	case FT_DEC:
		if (parse_dec(r, col, label, spec->range, s, len, &v->d) < 0)
			return;
		break;
	case FT_INT:
		if (parse_int(s, len, &v->i) < 0 || v->i < spec->min || v->i > spec->max) {
			int_what(what, sizeof(what), spec->min, spec->max);
			cell_error(r, col, label, what, s, len);
			return;
		}
		break;
	case FT_DATE:
		if (b2b_time_parse(&v->t, s, len, NULL) < 0) {
			cell_error(r, col, label, "a date like 2026-06-01 or 2026-06-01T08:00:00Z",
			           s, len);
			return;
		}
		break;
	case FT_ENUM:
		if ((v->e = enum_find(spec->names, s, len)) < 0) {
			enum_what(what, sizeof(what), spec->names);
			cell_error(r, col, label, what, s, len);
			return;
		}
		break;
	case FT_CCY:
		if (!b2b_currency_code_valid(s, len)) {
			cell_error(r, col, label, "a currency code of three upper-case letters like EUR",
			           s, len);
			return;
		}
		v->e = b2b__ccy_code_index(s);
		break;
	case FT_CATEGORY: {
		int t = r->seg->table, f = (int)(spec - r->ts->cols);
		b2b__str *m = &b->key_memo[t][f];

		if (*m != 0 && b->key_memo_len[t][f] == len && memcmp(b->pool + *m, s, len) == 0) {
			v->s = *m;
			break;
		}
		if (!category_ok(s, len, &depth)) {
			cell_error(r, col, label, "a category path like tools/hand", s, len);
			return;
		}
		if ((rc = b2b__bb_intern(b, s, len, &v->s)) < 0) {
			r->rc = rc;
			return;
		}
		*m = v->s;
		b->key_memo_len[t][f] = (uint32_t)len;
		break;
	}
	case FT_SCOPE: {
		b2b__scope_memo *m = &b->memo[r->seg->table];

		/* consecutive rows often name the same scope */
		if (m->len == len && memcmp(m->text, s, len) == 0) {
			v->sc = m->scope;
			break;
		}
		if (parse_scope(r, col, label, s, len, &v->sc) < 0)
			return;
		if (len <= sizeof(m->text)) {
			memcpy(m->text, s, len);
			m->len = len;
			m->scope = v->sc;
		}
		break;
	}
	case FT_SCOPES:
		v->off = (uint32_t)b->scopes.n;
		if (each_elem(r, col, label, s, len, "a ;-list of scopes (sku:SKU, category:PATH, "
		              "all)", scope_elem, NULL) < 0)
			return;
		v->n = (uint32_t)(b->scopes.n - v->off);
		break;
	case FT_LISTREFS:
	case FT_KEYLIST: {
		keylist kl;

		kl.v = spec->type == FT_LISTREFS ? &b->u32 : &b->strs;
		kl.first = kl.v->n;
		kl.uniq = spec->type == FT_LISTREFS;
		kl.what = "price list";
		v->off = (uint32_t)kl.first;
		if (each_elem(r, col, label, s, len, "a ;-list of ids like A;B", key_elem, &kl) < 0)
			return;
		v->n = (uint32_t)(kl.v->n - kl.first);
		break;
	}
	case FT_APPLIES: {
		size_t first = b->applies.n;

		v->off = (uint32_t)first;
		if (each_elem(r, col, label, s, len, APPLIES_WHAT, applies_elem, &first) < 0)
			return;
		v->n = (uint32_t)(b->applies.n - first);
		break;
	}
	case FT_BASE:
		if (len == 4 && memcmp(s, "list", 4) == 0) {
			v->base = B2B__BASE_LIST;
		} else if (len == 4 && memcmp(s, "cost", 4) == 0) {
			v->base = B2B__BASE_COST;
		} else if (len == 6 && memcmp(s, "parent", 6) == 0) {
			v->base = B2B__BASE_PARENT;
		} else if (len > 8 && memcmp(s, "list_id:", 8) == 0 && piece_ok(s + 8, len - 8)) {
			v->base = B2B__BASE_LIST_ID;
			if ((rc = b2b__bb_intern(b, s + 8, len - 8, &v->s)) < 0) {
				r->rc = rc;
				return;
			}
		} else {
			cell_error(r, col, label, "list, cost, parent or list_id:ID", s, len);
			return;
		}
		break;
	case FT_POINTS: {
		size_t first = b->points.n;

		v->off = (uint32_t)first;
		if (each_elem(r, col, label, s, len, POINTS_WHAT, point_elem, &first) < 0)
			return;
		v->n = (uint32_t)(b->points.n - first);
		break;
	}
	default:
		break;
	}
	v->set = 1;
}

/*===========================================================================
 * MARK: - Rows of each table
 *===========================================================================*/

/* The column (1-based) of field f in the current segment; 0 = absent. */
static long
fcol(const rowrd *r, int f)
{
	return r->seg->field_col[f];
}

static const char *
fname(const rowrd *r, int f)
{
	return r->ts->cols[f].name;
}

/* A present cell that `why` does not use: an error naming the column. */
static void
unused(rowrd *r, const cellv *v, int f, const char *why)
{
	char got[96];

	if (!v[f].present)
		return;
	fmt_got(got, sizeof(got), v[f].raw, v[f].len);
	rd_report(r, fcol(r, f), fname(r, f), "not used %s (leave it empty), got %s", why, got);
}

/* A cell that `why` needs but is empty. */
static void
needed(rowrd *r, const cellv *v, int f, int fallback, const char *why)
{
	if (v[f].present)
		return;
	rd_report(r, fcol(r, f) != 0 ? fcol(r, f) : fcol(r, fallback), fname(r, f),
	          "expected a value %s, got an empty cell", why);
}

static b2b__opt
opt(const cellv *v)
{
	b2b__opt o;

	memset(&o, 0, sizeof(o));
	if (v->set) {
		o.v = v->d;
		o.set = 1;
	}
	return o;
}

/* The window of [from, until) fields; an error when until ≤ from. */
static b2b__window
window(rowrd *r, const cellv *v, int ffrom, int funtil)
{
	b2b__window w;

	w.from = B2B__T_MIN;
	w.until = B2B__T_MAX;
	w.from_form = w.until_form = 0;
	if (v[ffrom].set) {
		w.from = v[ffrom].t.sec;
		w.from_form = v[ffrom].t.form;
	}
	if (v[funtil].set) {
		w.until = v[funtil].t.sec;
		w.until_form = v[funtil].t.form;
	}
	if (v[ffrom].set && v[funtil].set && w.until <= w.from) {
		char got[96], from[96];

		fmt_got(got, sizeof(got), v[funtil].raw, v[funtil].len);
		fmt_got(from, sizeof(from), v[ffrom].raw, v[ffrom].len);
		rd_report(r, fcol(r, funtil), fname(r, funtil),
		          "expected a date after valid_from %s, got %s", from, got);
	}
	return w;
}

static uint16_t
ccy(const cellv *v)
{
	return v->set ? (uint16_t)v->e : B2B__CCY_UNSET;
}

static void *
push_row(rowrd *r, int t)
{
	b2b_book_builder *b = r->b;
	void *row;
	b2b__rowloc *l;

	if (b->rows[t].n >= UINT32_MAX - 1) {
		r->rc = B2B_ENOMEM;   /* indexes are 32 bits */
		return NULL;
	}
	if ((row = vec_push(&b->alloc, &b->rows[t], row_size[t])) == NULL) {
		r->rc = B2B_ENOMEM;
		return NULL;
	}
	if ((l = vec_push(&b->alloc, &b->locs[t], sizeof(b2b__rowloc))) == NULL) {
		b->rows[t].n--;
		r->rc = B2B_ENOMEM;
		return NULL;
	}
	r->pushed = 1;
	l->seg = (uint32_t)b->cur;
	l->line = r->line < 0 ? 0 : r->line > (long)UINT32_MAX ? UINT32_MAX : (uint32_t)r->line;
	return row;
}

static void
mark_bad(rowrd *r, int t)
{
	b2b__vec *v = &r->b->locs[t];

	if (r->bad && r->pushed)
		((b2b__rowloc *)v->p)[v->n - 1].seg |= B2B__ROW_BAD;
}

static void
row_settings(rowrd *r, cellv *v)
{
	b2b_book_builder *b = r->b;
	b2b__setting_row *row;
	const colspec *spec;
	long vcol = fcol(r, B2B__F_S_VALUE);
	int key;

	if (!v[0].set)
		return;
	key = enum_find(setting_keys, v[0].raw, v[0].len);
	if (key < 0) {
		char what[512];

		enum_what(what, sizeof(what), setting_keys);
		cell_error(r, fcol(r, 0), "key", what, v[0].raw, v[0].len);
		return;
	}
	if (b->set_given[key]) {
		const b2b__seg *first = (const b2b__seg *)b->segs.p + B2B__LOC_SEG(b->set_loc[key]);

		if (first == r->seg || (first->source != NULL && r->seg->source != NULL &&
		                        strcmp(first->source, r->seg->source) == 0))
			rd_report(r, fcol(r, 0), "key", "duplicate setting \"%s\" (first on line %lu)",
			          setting_keys[key], (unsigned long)b->set_loc[key].line);
		else
			rd_report(r, fcol(r, 0), "key", "duplicate setting \"%s\" (first at %s:%lu)",
			          setting_keys[key], first->source != NULL ? first->source : "",
			          (unsigned long)b->set_loc[key].line);
		return;
	}
	if ((row = push_row(r, B2B_TABLE_SETTINGS)) == NULL)
		return;
	row->key = key;
	b->set_given[key] = 1;
	b->set_loc[key] = ((b2b__rowloc *)b->locs[B2B_TABLE_SETTINGS].p)[
		b->locs[B2B_TABLE_SETTINGS].n - 1];
	if (!v[1].present) {
		rd_report(r, vcol, "value", "expected a value for %s, got an empty cell",
		          setting_keys[key]);
		return;
	}
	spec = &setting_specs[key];
	v[1].set = 0;
	parse_cell(r, vcol, spec->name, spec, &v[1]);
	if (!v[1].set)
		return;
	switch (key) {
	case B2B__SET_BASE_CURRENCY:
		b->base_ccy = (uint16_t)v[1].e;
		break;
	case B2B__SET_ROUNDING_MODE:
		b->settings.rounding = (b2b_rounding)v[1].e;
		break;
	case B2B__SET_UNIT_PRICE_DECIMALS:
		b->settings.unit_price_decimals = (int)v[1].i;
		break;
	case B2B__SET_TAX_ROUNDING:
		b->settings.tax_document = v[1].e;
		break;
	case B2B__SET_MAX_DISCOUNT_PERCENT:
		b->settings.max_discount_percent = v[1].d;
		break;
	case B2B__SET_MIN_MARGIN_PERCENT:
		b->settings.min_margin_percent = opt(&v[1]);
		break;
	case B2B__SET_PRICE_TOLERANCE:
		b->settings.price_tolerance = v[1].d;
		break;
	case B2B__SET_QUOTE_VALIDITY_DAYS:
		b->settings.quote_validity_days = v[1].i;
		break;
	default:
		break;
	}
}

static void
row_currencies(rowrd *r, cellv *v)
{
	b2b__currency *c;

	if ((c = push_row(r, B2B_TABLE_CURRENCIES)) == NULL)
		return;
	if (v[0].set)
		memcpy(c->code, v[0].raw, 3);
	c->minor_units = v[1].set ? (int32_t)v[1].i : -1;
	c->cash_increment = opt(&v[2]);
	if (v[2].set && v[1].set) {
		/* §9.3: a multiple of the minor unit */
		b2b_dec q;

		if (b2b_dec_round(&q, v[2].d, (int)v[1].i, B2B_ROUND_DOWN) < 0 ||
		    b2b_dec_cmp(q, v[2].d) != 0) {
			char got[96];

			fmt_got(got, sizeof(got), v[2].raw, v[2].len);
			rd_report(r, fcol(r, 2), "cash_increment", "expected a multiple of the minor "
			          "unit (%lld decimals), got %s", (long long)v[1].i, got);
		}
	}
}

static void
row_fx(rowrd *r, cellv *v)
{
	b2b__fx *f;

	if ((f = push_row(r, B2B_TABLE_FX_RATES)) == NULL)
		return;
	f->from = ccy(&v[0]);
	f->to = ccy(&v[1]);
	f->rate = v[2].d;
	f->valid_from = v[3].set ? v[3].t.sec : B2B__T_MIN;
	f->line = r->line > INT32_MAX ? INT32_MAX : (int32_t)r->line;
	if (v[0].set && v[1].set && v[0].e == v[1].e) {
		char got[96];

		fmt_got(got, sizeof(got), v[1].raw, v[1].len);
		rd_report(r, fcol(r, 1), "to", "expected a currency other than from, got %s", got);
	}
}

static void
row_products(rowrd *r, cellv *v)
{
	b2b_book_builder *b = r->b;
	b2b__product *p;
	int f, has_ext = 0;

	if ((p = push_row(r, B2B_TABLE_PRODUCTS)) == NULL)
		return;
	p->sku = v[0].s;
	p->name = v[2].set ? v[2].s : 0;
	p->category = v[3].set ? v[3].s : 0;
	p->list_price = v[1].d;
	if (v[6].set) {
		p->cost = v[6].d;
		p->flags |= B2B__P_HAS_COST;
	}
	p->currency = ccy(&v[5]);
	p->tax_class = UINT16_MAX;
	if (v[11].set) {
		int rc = tax_class_index(b, v[11].s, &p->tax_class);

		if (rc == B2B_EOVERFLOW)
			rd_report(r, fcol(r, 11), "tax_class", "expected at most 65534 tax classes "
			          "in a book");
		else if (rc < 0)
			r->rc = rc;
	}
	if (v[10].set && v[10].e == 1)
		p->flags |= B2B__P_INACTIVE;
	p->ext = B2B__NONE;
	if (v[9].set && v[8].set && b2b_dec_cmp(v[9].d, v[8].d) < 0) {
		char got[96], mn[96];

		fmt_got(got, sizeof(got), v[9].raw, v[9].len);
		fmt_got(mn, sizeof(mn), v[8].raw, v[8].len);
		rd_report(r, fcol(r, 9), "max_qty", "expected a quantity >= min_qty %s, got %s",
		          mn, got);
	}
	for (f = 4; f <= 16; f++)
		if (v[f].set && (f == 4 || (f >= 7 && f <= 9) || f >= 12))
			has_ext = 1;
	if (has_ext) {
		b2b__product_ext *e;

		if (b->ext.n >= UINT32_MAX - 1 ||
		    (e = vec_push(&b->alloc, &b->ext, sizeof(b2b__product_ext))) == NULL) {
			r->rc = B2B_ENOMEM;
			return;
		}
		p->ext = (uint32_t)(b->ext.n - 1);
		e->uom = v[4].set ? v[4].s : 0;
		e->pack_size = opt(&v[7]);
		e->min_qty = opt(&v[8]);
		e->max_qty = opt(&v[9]);
		e->on_hand = opt(&v[12]);
		e->daily_demand = opt(&v[13]);
		e->baseline_demand = opt(&v[14]);
		e->competitor_price = opt(&v[15]);
		e->prev_price = opt(&v[16]);
	}
}

static void
row_customers(rowrd *r, cellv *v)
{
	b2b__customer *c;

	if ((c = push_row(r, B2B_TABLE_CUSTOMERS)) == NULL)
		return;
	c->id = v[0].s;
	c->name = v[1].set ? v[1].s : 0;
	c->segment = v[2].set ? v[2].s : 0;
	c->channel = v[3].set ? v[3].s : 0;
	c->currency = ccy(&v[4]);
	if (v[5].set) {
		c->lists_off = v[5].off;
		c->lists_n = v[5].n;
	}
	if (v[6].set) {
		c->catalog_off = v[6].off;
		c->catalog_n = v[6].n;
	}
	c->credit_limit = opt(&v[7]);
	c->open_balance = opt(&v[8]);
	if (v[9].set) {
		c->terms_off = v[9].off;
		c->terms_n = v[9].n;
	}
	if (v[10].set) {
		c->regions_off = v[10].off;
		c->regions_n = v[10].n;
	}
	c->min_order_value = opt(&v[11]);
	c->budget = opt(&v[12]);
}

static void
row_lists(rowrd *r, cellv *v)
{
	b2b__list *l;

	if ((l = push_row(r, B2B_TABLE_PRICE_LISTS)) == NULL)
		return;
	l->id = v[0].s;
	l->currency = ccy(&v[1]);
	l->priority = v[2].set ? v[2].i : 0;
	l->window = window(r, v, 3, 4);
	l->parent = v[5].set ? v[5].s : 0;
	if (v[6].set) {
		l->applies_off = v[6].off;
		l->applies_n = v[6].n;
	}
	l->tier_mode = v[7].set ? v[7].e : B2B__TIER_ALL_UNITS;
}

static void
row_items(rowrd *r, cellv *v)
{
	b2b__item *it;
	int compute = v[5].set ? v[5].e : -1;

	if ((it = push_row(r, B2B_TABLE_PRICE_LIST_ITEMS)) == NULL)
		return;
	it->list = v[0].s;
	it->scope = v[1].sc;
	it->min_qty = v[2].d;    /* zero when empty */
	it->window = window(r, v, 3, 4);
	it->compute = compute < 0 ? B2B__COMPUTE_FIXED : compute;
	it->base = v[8].set ? v[8].base : B2B__BASE_LIST;
	it->base_list = v[8].set && v[8].base == B2B__BASE_LIST_ID ? v[8].s : 0;
	it->price = opt(&v[6]);
	it->discount_percent = opt(&v[7]);
	it->surcharge = opt(&v[9]);
	it->round_to = opt(&v[10]);
	it->min_margin = opt(&v[11]);
	it->max_margin = opt(&v[12]);
	it->line = r->line > INT32_MAX ? INT32_MAX : (int32_t)r->line;
	switch (compute) {
	case B2B__COMPUTE_FIXED:
		needed(r, v, 6, 5, "for compute fixed");
		unused(r, v, 7, "by a fixed item");
		unused(r, v, 8, "by a fixed item");
		unused(r, v, 9, "by a fixed item");
		unused(r, v, 10, "by a fixed item");
		unused(r, v, 11, "by a fixed item");
		unused(r, v, 12, "by a fixed item");
		break;
	case B2B__COMPUTE_DISCOUNT:
		unused(r, v, 6, "by a discount item");
		needed(r, v, 7, 5, "for compute discount");
		unused(r, v, 9, "by a discount item");
		unused(r, v, 10, "by a discount item");
		unused(r, v, 11, "by a discount item");
		unused(r, v, 12, "by a discount item");
		break;
	case B2B__COMPUTE_FORMULA:
		unused(r, v, 6, "by a formula item");
		break;
	default:
		break;
	}
}

static void
row_contracts(rowrd *r, cellv *v)
{
	b2b__contract *k;

	if ((k = push_row(r, B2B_TABLE_CONTRACTS)) == NULL)
		return;
	k->id = v[0].s;
	k->customer = v[1].s;
	k->currency = ccy(&v[2]);
	k->window = window(r, v, 3, 4);
	k->policy = v[5].set ? v[5].e : B2B__POLICY_OVERRIDE;
	k->allow_promotions = v[6].set ? v[6].e : 0;
}

static void
row_citems(rowrd *r, cellv *v)
{
	b2b__item *it;

	if ((it = push_row(r, B2B_TABLE_CONTRACT_ITEMS)) == NULL)
		return;
	it->list = v[0].s;
	it->scope = v[1].sc;
	it->min_qty = v[2].d;
	it->window.from = B2B__T_MIN;
	it->window.until = B2B__T_MAX;
	it->price = opt(&v[3]);
	it->discount_percent = opt(&v[4]);
	it->compute = v[4].present ? B2B__COMPUTE_DISCOUNT : B2B__COMPUTE_FIXED;
	it->base = B2B__BASE_LIST;
	it->line = r->line > INT32_MAX ? INT32_MAX : (int32_t)r->line;
	if (v[3].present && v[4].present) {
		char got[96];

		fmt_got(got, sizeof(got), v[4].raw, v[4].len);
		rd_report(r, fcol(r, 4), "discount_percent", "expected exactly one of price and "
		          "discount_percent, got both (discount_percent %s)", got);
	} else if (!v[3].present && !v[4].present) {
		rd_report(r, fcol(r, 3) ? fcol(r, 3) : fcol(r, 4) ? fcol(r, 4) : fcol(r, 0),
		          fcol(r, 3) || !fcol(r, 4) ? "price" : "discount_percent",
		          "expected exactly one of price and discount_percent, got neither");
	}
}

static void
row_rules(rowrd *r, cellv *v)
{
	b2b__rule *u;
	int sig = v[2].set ? v[2].e : -1;

	if ((u = push_row(r, B2B_TABLE_DYNAMIC_RULES)) == NULL)
		return;
	u->id = v[0].s;
	u->scope = v[1].sc;
	u->signal = sig < 0 ? 0 : sig;
	u->priority = v[3].set ? v[3].i : 0;
	u->window = window(r, v, 4, 5);
	if (v[6].set) {
		u->points_off = v[6].off;
		u->points_n = v[6].n;
	}
	u->markup_percent = opt(&v[7]);
	u->offset_percent = opt(&v[8]);
	u->min_factor = opt(&v[9]);
	u->max_factor = opt(&v[10]);
	u->max_change_percent = opt(&v[11]);
	u->price_step = opt(&v[12]);
	switch (sig) {
	case B2B__SIG_STOCK_DAYS:
	case B2B__SIG_DEMAND_RATIO:
		needed(r, v, 6, 2, sig == B2B__SIG_STOCK_DAYS ? "for signal stock_days"
		                                              : "for signal demand_ratio");
		unused(r, v, 7, sig == B2B__SIG_STOCK_DAYS ? "by a stock_days rule"
		                                           : "by a demand_ratio rule");
		unused(r, v, 8, sig == B2B__SIG_STOCK_DAYS ? "by a stock_days rule"
		                                           : "by a demand_ratio rule");
		break;
	case B2B__SIG_COMPETITOR:
		unused(r, v, 6, "by a competitor rule");
		unused(r, v, 7, "by a competitor rule");
		break;
	case B2B__SIG_COST_PLUS:
		unused(r, v, 6, "by a cost_plus rule");
		needed(r, v, 7, 2, "for signal cost_plus");
		unused(r, v, 8, "by a cost_plus rule");
		break;
	default:
		break;
	}
	if (v[9].set && v[10].set && b2b_dec_cmp(v[9].d, v[10].d) > 0) {
		char got[96], mx[96];

		fmt_got(got, sizeof(got), v[9].raw, v[9].len);
		fmt_got(mx, sizeof(mx), v[10].raw, v[10].len);
		rd_report(r, fcol(r, 9), "min_factor", "expected at most max_factor %s, got %s",
		          mx, got);
	}
}

static void
row_promos(rowrd *r, cellv *v)
{
	b2b__promo *p;
	int kind = v[1].set ? v[1].e : -1;
	int order = kind == B2B__PROMO_ORDER_PERCENT || kind == B2B__PROMO_ORDER_AMOUNT;

	if ((p = push_row(r, B2B_TABLE_PROMOTIONS)) == NULL)
		return;
	p->id = v[0].s;
	p->kind = kind < 0 ? 0 : kind;
	p->value = opt(&v[2]);
	if (v[3].set) {
		p->scope = v[3].sc;
	} else {
		p->scope.kind = B2B__SCOPE_ALL;
		if (!order) {
			int rc = b2b__bb_intern(r->b, "all", 3, &p->scope.text);

			if (rc < 0)
				r->rc = rc;
		}
	}
	p->segment = v[4].set ? v[4].s : 0;
	p->code = v[5].set ? v[5].s : 0;
	p->window = window(r, v, 6, 7);
	p->priority = v[8].set ? v[8].i : 0;
	p->exclusive = v[9].set ? v[9].e : 0;
	if (v[10].set) {
		b2b_dec_from_units(&p->buy_qty.v, v[10].i, 0);
		p->buy_qty.set = 1;
	}
	if (v[11].set) {
		b2b_dec_from_units(&p->get_qty.v, v[11].i, 0);
		p->get_qty.set = 1;
	}
	p->min_subtotal = opt(&v[12]);
	if (kind < 0)
		return;
	if (kind == B2B__PROMO_BUY_X_GET_Y) {
		unused(r, v, 2, "by a buy_x_get_y promotion");
		needed(r, v, 10, 1, "for kind buy_x_get_y");
		needed(r, v, 11, 1, "for kind buy_x_get_y");
	} else {
		needed(r, v, 2, 1, kind == B2B__PROMO_PERCENT ? "for kind percent"
		                 : kind == B2B__PROMO_AMOUNT ? "for kind amount"
		                 : kind == B2B__PROMO_FIXED_PRICE ? "for kind fixed_price"
		                 : kind == B2B__PROMO_ORDER_PERCENT ? "for kind order_percent"
		                 : "for kind order_amount");
		if (v[2].set) {
			b2b_dec hundred;

			b2b_dec_from_units(&hundred, 100, 0);
			if (b2b_dec_sign(v[2].d) <= 0)
				cell_error(r, fcol(r, 2), "value", "a decimal > 0", v[2].raw, v[2].len);
			else if ((kind == B2B__PROMO_PERCENT || kind == B2B__PROMO_ORDER_PERCENT) &&
			         b2b_dec_cmp(v[2].d, hundred) > 0)
				cell_error(r, fcol(r, 2), "value", "a percentage from 0 to 100 (exclusive "
				           "of 0)", v[2].raw, v[2].len);
		}
		unused(r, v, 10, "by this kind of promotion (only buy_x_get_y)");
		unused(r, v, 11, "by this kind of promotion (only buy_x_get_y)");
	}
	if (order)
		unused(r, v, 3, "by an order promotion");
	else
		unused(r, v, 12, "by a line promotion");
}

static void
row_taxes(rowrd *r, cellv *v)
{
	b2b__tax *t;

	if ((t = push_row(r, B2B_TABLE_TAXES)) == NULL)
		return;
	t->tax_class = v[0].s;
	t->region = v[1].s;
	t->rate_percent = v[2].d;
}

static void
row_approvals(rowrd *r, cellv *v)
{
	b2b__approval *a;

	if ((a = push_row(r, B2B_TABLE_APPROVAL_RULES)) == NULL)
		return;
	a->id = v[0].s;
	a->metric = v[1].set ? v[1].e : 0;
	a->threshold = v[2].d;
	a->level = v[3].set ? (int)v[3].i : 1;
	if (v[0].set && v[0].len == 11 && memcmp(v[0].raw, "below_floor", 11) == 0)
		rd_report(r, fcol(r, 0), "id", "expected an id other than \"below_floor\" (the "
		          "implicit rule of lines below their floor)");
}

typedef void (*row_fn)(rowrd *r, cellv *v);
static const row_fn row_fns[B2B_TABLE_COUNT] = {
	row_settings, row_currencies, row_fx, row_products, row_customers, row_lists,
	row_items, row_contracts, row_citems, row_rules, row_promos, row_taxes, row_approvals,
};

/*===========================================================================
 * MARK: - Public API
 *===========================================================================*/

int
b2b_book_builder_new(b2b_book_builder **out, const b2b_allocator *a)
{
	b2b_allocator al;
	b2b_book_builder *b;

	if (out == NULL)
		return B2B_EINVAL;
	*out = NULL;
	b2b__alloc_init(&al, a);
	if ((b = b2b__calloc(&al, 1, sizeof(*b))) == NULL)
		return B2B_ENOMEM;
	b->alloc = al;
	b->cur = SIZE_MAX;
	b->base_ccy = B2B__CCY_UNSET;
	b->settings.rounding = B2B_ROUND_HALF_UP;
	b->settings.unit_price_decimals = 4;
	b2b_dec_from_units(&b->settings.max_discount_percent, 100, 0);
	/* the pool starts with the empty string at offset 0 */
	if ((b->pool = b2b__malloc(&al, 4096)) == NULL) {
		b2b__free(&al, b, sizeof(*b));
		return B2B_ENOMEM;
	}
	b->pool_cap = 4096;
	b->pool[0] = '\0';
	b->pool_len = 1;
	*out = b;
	return 0;
}

void
b2b_book_builder_free(b2b_book_builder *b)
{
	b2b_allocator a;
	size_t i;

	if (b == NULL)
		return;
	a = b->alloc;
	for (i = 0; i < b->segs.n; i++) {
		b2b__seg *s = (b2b__seg *)b->segs.p + i;

		if (s->source != NULL)
			b2b__free(&a, s->source, s->source_len + 1);
		b2b__free(&a, s->col_field, s->ncols);
	}
	vec_free(&a, &b->segs, sizeof(b2b__seg));
	for (i = 0; i < B2B_TABLE_COUNT; i++) {
		vec_free(&a, &b->rows[i], row_size[i]);
		vec_free(&a, &b->locs[i], sizeof(b2b__rowloc));
	}
	vec_free(&a, &b->ext, sizeof(b2b__product_ext));
	vec_free(&a, &b->points, sizeof(b2b__point));
	vec_free(&a, &b->u32, sizeof(uint32_t));
	vec_free(&a, &b->strs, sizeof(b2b__str));
	vec_free(&a, &b->scopes, sizeof(b2b__scope));
	vec_free(&a, &b->applies, sizeof(b2b__applies));
	vec_free(&a, &b->tax_classes, sizeof(b2b__str));
	b2b__free(&a, b->tc_map, b->tc_cap * sizeof(uint32_t));
	b2b__free(&a, b->ht, b->ht_cap * sizeof(uint64_t));
	b2b__free(&a, b->pool, b->pool_cap);
	b2b__free(&a, b, sizeof(*b));
}

int
b2b_book_builder_begin_table(b2b_book_builder *b, b2b_ctx *ctx, b2b_book_table t,
                             const char *const *columns, size_t ncolumns, const char *source)
{
	const tabspec *ts;
	b2b__seg *seg;
	size_t i;
	int f, rc = 0, ok = 1;
	const char *src;

	if (b == NULL || ctx == NULL || (columns == NULL && ncolumns != 0))
		return b2b__ctx_seterr(ctx, B2B_EINVAL, "book builder: NULL argument");
	if (b->finished)
		return b2b__ctx_seterr(ctx, B2B_EMISUSE, "book builder: already finished");
	if ((unsigned)t >= (unsigned)B2B_TABLE_COUNT)
		return b2b__ctx_seterr(ctx, B2B_EINVAL, "book builder: unknown table %d", (int)t);
	if (b->segs.n >= (B2B__ROW_BAD - 1))
		return b2b__ctx_seterr(ctx, B2B_EINVAL, "book builder: too many columns or tables");
	note_ctx(b, ctx);
	b->cur = SIZE_MAX;
	ts = &tables[t];
	if ((seg = vec_push(&b->alloc, &b->segs, sizeof(b2b__seg))) == NULL)
		return b2b__ctx_seterr(ctx, B2B_ENOMEM, "out of memory");
	seg->table = (int)t;
	if (source != NULL) {
		seg->source_len = strlen(source);
		if ((seg->source = b2b__strndup(&b->alloc, source, seg->source_len)) == NULL)
			goto nomem;
	}
	seg->ncols = ncolumns;
	if (ncolumns != 0 &&
	    (seg->col_field = b2b__malloc(&b->alloc, ncolumns)) == NULL) {
		if (seg->source != NULL)
			b2b__free(&b->alloc, seg->source, seg->source_len + 1);
		seg->source = NULL;
		goto nomem;
	}
	src = seg->source;
	for (i = 0; i < ncolumns; i++) {
		const char *name = columns[i] != NULL ? columns[i] : "";
		char got[96];

		seg->col_field[i] = -1;
		for (f = 0; f < (int)ts->ncols; f++)
			if (strcmp(ts->cols[f].name, name) == 0)
				break;
		fmt_got(got, sizeof(got), name, strlen(name));
		if (f == (int)ts->ncols) {
			char what[512];
			size_t o = 0, k;

			for (k = 0; k < ts->ncols && o < sizeof(what); k++)
				o += (size_t)snprintf(what + o, sizeof(what) - o, "%s%s", k ? ", " : "",
				                      ts->cols[k].name);
			rc = b2b__bb_diag(b, ctx, B2B_SEV_ERROR, src, 1, (long)i + 1,
			                   "unknown column %s in %s; expected one of %s", got,
			                   table_files[t], what);
			ok = 0;
		} else if (seg->field_col[f] != 0) {
			rc = b2b__bb_diag(b, ctx, B2B_SEV_ERROR, src, 1, (long)i + 1,
			                   "column %s appears twice (first at column %d)", got,
			                   seg->field_col[f]);
			ok = 0;
		} else {
			seg->col_field[i] = (int8_t)f;
			seg->field_col[f] = (int)i + 1;
		}
		if (rc < 0)
			return b2b__ctx_seterr(ctx, rc, "out of memory");
	}
	for (f = 0; f < (int)ts->ncols; f++) {
		if (ts->cols[f].req && seg->field_col[f] == 0) {
			rc = b2b__bb_diag(b, ctx, B2B_SEV_ERROR, src, 1, 1,
			                   "missing required column \"%s\" in %s", ts->cols[f].name,
			                   table_files[t]);
			ok = 0;
			if (rc < 0)
				return b2b__ctx_seterr(ctx, rc, "out of memory");
		}
	}
	seg->ok = ok;
	b->cur = b->segs.n - 1;
	if (!ok) {
		b->broken[t] = 1;
		return b2b__ctx_seterr(ctx, B2B_EBOOK, "%s: bad header", table_files[t]);
	}
	return 0;
nomem:
	b->segs.n--;
	return b2b__ctx_seterr(ctx, B2B_ENOMEM, "out of memory");
}

int
b2b_book_builder_add_row(b2b_book_builder *b, b2b_ctx *ctx, const char *const *cells,
                         const size_t *lens, size_t ncells, long line)
{
	cellv v[B2B__MAX_FIELDS];
	rowrd r;
	const b2b__seg *seg;
	const tabspec *ts;
	size_t i;

	if (b == NULL || ctx == NULL || (cells == NULL && ncells != 0))
		return b2b__ctx_seterr(ctx, B2B_EINVAL, "book builder: NULL argument");
	if (b->finished)
		return b2b__ctx_seterr(ctx, B2B_EMISUSE, "book builder: already finished");
	if (b->cur == SIZE_MAX)
		return b2b__ctx_seterr(ctx, B2B_EMISUSE, "book builder: add_row before begin_table");
	seg = (const b2b__seg *)b->segs.p + b->cur;
	if (ncells != seg->ncols)
		return b2b__ctx_seterr(ctx, B2B_EINVAL, "book builder: %zu cells for %zu columns",
		                       ncells, seg->ncols);
	if (!seg->ok)
		return 0;
	note_ctx(b, ctx);
	ts = &tables[seg->table];
	r.b = b;
	r.ctx = ctx;
	r.seg = seg;
	r.ts = ts;
	r.line = line;
	r.bad = 0;
	r.pushed = 0;
	r.rc = 0;
	memset(v, 0, sizeof(cellv) * ts->ncols);
	for (i = 0; i < ncells; i++) {
		int f = seg->col_field[i];
		cellv *c = &v[f];

		c->raw = cells[i] != NULL ? cells[i] : "";
		c->len = lens != NULL ? lens[i] : strlen(c->raw);
		/* settings values are typed by their key (row_settings) */
		if (seg->table == B2B_TABLE_SETTINGS && f == B2B__F_S_VALUE) {
			c->present = c->len != 0;
			continue;
		}
		if (c->len == 0) {
			if (ts->cols[f].req)
				rd_report(&r, (long)i + 1, ts->cols[f].name,
				          "expected a value (required column), got an empty cell");
			continue;
		}
		c->present = 1;
		parse_cell(&r, (long)i + 1, ts->cols[f].name, &ts->cols[f], c);
		if (r.rc < 0)
			break;
	}
	if (r.rc == 0)
		row_fns[seg->table](&r, v);
	if (r.rc < 0)
		return b2b__ctx_seterr(ctx, r.rc, "out of memory");
	mark_bad(&r, seg->table);
	return 0;
}

int
b2b_book_builder_finish(b2b_book **out, b2b_ctx *ctx, b2b_book_builder *b)
{
	if (out == NULL || ctx == NULL || b == NULL)
		return b2b__ctx_seterr(ctx, B2B_EINVAL, "book builder: NULL argument");
	*out = NULL;
	if (b->finished)
		return b2b__ctx_seterr(ctx, B2B_EMISUSE, "book builder: already finished");
	b->finished = 1;
	note_ctx(b, ctx);
	return b2b__bb_freeze(out, ctx, b);
}
