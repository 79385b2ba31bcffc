/*
 * libb2bcore — internals of the book builder, shared by book_builder.c
 * (the API), book_tables.c (the tables' columns, row checks),
 * book_pool.c (vectors, the string pool), book_cells.c (diagnostics,
 * cell parsing), book_freeze*.c
 * (references between tables, cross-row checks, sorting and freezing;
 * see book_freeze.h) and book_load.c (the CSV directory loader).
 *
 * While rows arrive, references are kept in "provisional" form and only
 * resolved at finish:
 *  - a currency is its code index (0..17575, see b2b__ccy_code_index), or
 *    B2B__CCY_UNSET when the cell was empty;
 *  - a reference to a row of another table (item → list, customer →
 *    lists, contract → customer, list → parent, base=list_id:…) is the
 *    interned b2b__str of the key (0 = not set);
 *  - a scope's `id` is the interned sku (SKU) or category path
 *    (CATEGORY); a product's `category` is its interned path; a product's
 *    `tax_class` is an index into b->tax_classes (strings in first-seen
 *    order).
 * Every string of the book is in one pool (b->pool); keys are interned
 * (deduplicated through a hash set) so that two equal keys have the same
 * b2b__str; free text (names) is appended without deduplication.
 * SPDX-License-Identifier: MIT
 */
#ifndef B2B_SRC_BOOK_BUILDER_H
#define B2B_SRC_BOOK_BUILDER_H

#include "book_int.h"
#include "ctx_int.h"

/* A growable array of elements of a size known to the caller. */
typedef struct b2b__vec {
	void *p;
	size_t n, cap;
} b2b__vec;

/* Where a row came from: its segment (one begin_table call) and line.
 * The high bit of `seg` marks a row that had a problem of its own: the
 * cross-row checks that would only repeat it are skipped for that row. */
typedef struct b2b__rowloc {
	uint32_t seg;
	uint32_t line;
} b2b__rowloc;

#define B2B__ROW_BAD 0x80000000u
#define B2B__LOC_SEG(l) ((l).seg & ~B2B__ROW_BAD)

/* Most columns of a table: products has 17. */
#define B2B__MAX_FIELDS 20

/* One begin_table call: the table, the source name and the header. */
typedef struct b2b__seg {
	int table;
	int ok;                 /* header without problems */
	char *source;           /* allocator copy, or NULL */
	size_t source_len;
	size_t ncols;
	int8_t *col_field;      /* field of each column (ncols entries) */
	int field_col[B2B__MAX_FIELDS]; /* 1-based column of each field; 0 = absent */
} b2b__seg;

/* One row's record in each table (settings rows keep only their key). */
typedef struct b2b__setting_row {
	int key;
} b2b__setting_row;

#define B2B__CCY_UNSET UINT16_MAX
#define B2B__CCY_CODES 17576    /* 26^3 three-letter codes */

/* Memo of the previous scope cell (rows of one table often repeat it). */
typedef struct b2b__scope_memo {
	char text[64];
	size_t len;             /* 0 = empty memo */
	b2b__scope scope;
} b2b__scope_memo;

/* Settings keys (SPEC §3). */
enum {
	B2B__SET_BASE_CURRENCY = 0, B2B__SET_ROUNDING_MODE, B2B__SET_UNIT_PRICE_DECIMALS,
	B2B__SET_TAX_ROUNDING, B2B__SET_MAX_DISCOUNT_PERCENT, B2B__SET_MIN_MARGIN_PERCENT,
	B2B__SET_PRICE_TOLERANCE, B2B__SET_QUOTE_VALIDITY_DAYS, B2B__SET_COUNT
};

struct b2b_book_builder {
	b2b_allocator alloc;
	int finished;
	int trusted_utf8;       /* cells come from the CSV reader: UTF-8 checked */

	/* string pool and its hash set of interned strings */
	char *pool;
	size_t pool_len, pool_cap;
	uint64_t *ht;           /* (hash << 32) | offset; 0 = empty slot */
	size_t ht_cap, ht_n;

	/* segments; `cur` is the current one (SIZE_MAX = none) */
	b2b__vec segs;          /* b2b__seg */
	size_t cur;

	/* rows of each table and where they came from */
	b2b__vec rows[B2B_TABLE_COUNT];
	b2b__vec locs[B2B_TABLE_COUNT];     /* b2b__rowloc */
	int broken[B2B_TABLE_COUNT];        /* a header of this table had a problem */

	/* shared arrays, referenced by offset from the rows */
	b2b__vec ext;           /* b2b__product_ext */
	b2b__vec iext;          /* b2b__item_ext: items' and contract items' */
	b2b__vec points;        /* b2b__point */
	b2b__vec tiers;         /* b2b__tier */
	b2b__vec va_cust, va_idx; /* uint32_t: agreements by customer (book_freeze_volume.c) */
	b2b__vec u32;           /* uint32_t (customers' price lists, provisional) */
	b2b__vec strs;          /* b2b__str */
	b2b__vec scopes;        /* b2b__scope */
	b2b__vec applies;       /* b2b__applies */

	/* provisional tax classes: strings in first-seen order, and a small
	 * open-addressing map string → index */
	b2b__vec tax_classes;   /* b2b__str */
	uint32_t *tc_map;       /* (index + 1) per slot, keyed through tax_classes */
	size_t tc_cap;

	/* settings given so far */
	b2b__settings settings;
	uint16_t base_ccy;      /* code index, or B2B__CCY_UNSET (USD) */
	int set_given[B2B__SET_COUNT];
	b2b__rowloc set_loc[B2B__SET_COUNT];

	b2b__scope_memo memo[B2B_TABLE_COUNT];
	/* the previous key of each column (consecutive rows often repeat a
	 * list id, a category, a currency…): interned string and length */
	b2b__str key_memo[B2B_TABLE_COUNT][B2B__MAX_FIELDS];
	uint32_t key_memo_len[B2B_TABLE_COUNT][B2B__MAX_FIELDS];

	size_t nerrors;         /* error diagnostics reported by this builder */

	/* diagnostics reported through this ctx since the first call, to
	 * sort them into file order at finish */
	const b2b_ctx *diag_ctx;
	size_t diag_start;
};

/* ---- columns, rows and cells (book_tables.c, book_cells.c) ---- */

/* Column types and decimal ranges of the tables' specifications. */
enum {
	B2B__FT_KEY,      /* a key or short text, interned */
	B2B__FT_TEXT,     /* free text, pooled without deduplication */
	B2B__FT_DEC,      /* decimal, with a range */
	B2B__FT_INT,      /* integer in [min, max] */
	B2B__FT_DATE,
	B2B__FT_ENUM,     /* one of names[] */
	B2B__FT_CCY,      /* three upper-case letters */
	B2B__FT_CATEGORY, /* a/b/c */
	B2B__FT_SCOPE,    /* sku:X | category:a/b | all */
	B2B__FT_SCOPES,   /* ;-list of scopes */
	B2B__FT_LISTREFS, /* ;-list of price list ids, no repeats */
	B2B__FT_KEYLIST,  /* ;-list of keys */
	B2B__FT_APPLIES,  /* ;-list of default | segment:S | channel:C | customer:ID */
	B2B__FT_BASE,     /* list | cost | parent | list_id:ID */
	B2B__FT_POINTS,   /* x:f;x:f;… */
	B2B__FT_TIERS,    /* threshold:percent;… (SPEC §10) */
	B2B__FT_PARTY     /* customer:ID | segment:S */
};

enum { B2B__R_ANY, B2B__R_GE0, B2B__R_GT0, B2B__R_LE100, B2B__R_0_100 };

/* A column. */
typedef struct b2b__colspec {
	const char *name;
	uint8_t type;
	uint8_t req;
	uint8_t range;
	const char *const *names;   /* B2B__FT_ENUM, NULL-terminated */
	int64_t min, max;           /* B2B__FT_INT */
} b2b__colspec;

/* A table: its columns, in SPEC order (field index = position). */
typedef struct b2b__tabspec {
	const b2b__colspec *cols;
	size_t ncols;
} b2b__tabspec;

/* The state of one add_row call. */
typedef struct b2b__rowrd {
	b2b_book_builder *b;
	b2b_ctx *ctx;
	const b2b__seg *seg;
	const b2b__tabspec *ts;
	long line;
	int bad;                /* the row had a problem */
	int pushed;             /* the row was stored */
	int rc;                 /* B2B_ENOMEM once the diagnostics or a pool failed */
} b2b__rowrd;

/* A parsed cell. */
typedef struct b2b__cellv {
	const char *raw;        /* the cell as given */
	size_t len;
	int present;            /* non-empty */
	int set;                /* present and valid */
	union {                 /* by the column's type; all zero when not set */
		b2b_dec d;          /* B2B__FT_DEC */
		int64_t i;          /* B2B__FT_INT */
		b2b_time t;         /* B2B__FT_DATE */
		struct {
			b2b__str s;     /* B2B__FT_KEY, B2B__FT_TEXT, B2B__FT_CATEGORY, B2B__FT_BASE list_id */
			int e;          /* B2B__FT_ENUM, B2B__FT_CCY */
			int base;       /* B2B__FT_BASE */
		};
		struct {
			uint32_t off, n; /* B2B__FT_*LIST, B2B__FT_SCOPES, B2B__FT_APPLIES, B2B__FT_POINTS,
			                    B2B__FT_TIERS */
		};
		struct {
			int party_kind;  /* B2B__FT_PARTY: B2B__VA_PARTY_* */
			b2b__str party;  /* the interned id or segment */
		};
		b2b__scope sc;      /* B2B__FT_SCOPE */
	};
} b2b__cellv;

/* ---- book_pool.c ---- */

void *b2b__bb_vec_push(const b2b_allocator *a, b2b__vec *v, size_t elem);
void b2b__bb_vec_free(const b2b_allocator *a, b2b__vec *v, size_t elem);
/* Intern `len` bytes (no NUL inside): the offset of the pooled copy. 0 for
 * the empty string. Returns 0 on success, B2B_ENOMEM. */
int b2b__bb_intern(b2b_book_builder *b, const char *s, size_t len, b2b__str *out);
/*
 * Intern an sku so that the pool holds "sku:" right before it: the scope
 * text "sku:X" of a scope naming it is then the sku's offset − 4, with no
 * string of its own. If the sku was interned before without the prefix,
 * that string is returned (check with b2b__bb_has_sku_prefix()).
 */
int b2b__bb_intern_sku(b2b_book_builder *b, const char *s, size_t len, b2b__str *out);
/* 1 when the pooled string at `s` is preceded by "sku:" (every other
 * pooled string is preceded by the previous string's NUL). */
static inline int
b2b__bb_has_sku_prefix(const b2b_book_builder *b, b2b__str s)
{
	return s >= 5 && b->pool[s - 1] == ':';
}
/* The offset of an interned string equal to s, or 0 when there is none. */
b2b__str b2b__bb_find(const b2b_book_builder *b, const char *s, size_t len);
/*
 * Hints, no effect on the builder: fetch into the cache what interning or
 * finding a key of hash h (b2b__bb_hash of its bytes) will read. First its
 * hash-table slot; later, once that slot is cached, the pooled string that
 * a match would be compared with.
 */
uint32_t b2b__bb_hash(const char *s, size_t len);
void b2b__bb_prefetch_slot(const b2b_book_builder *b, uint32_t h);
void b2b__bb_prefetch_match(const b2b_book_builder *b, uint32_t h);
/* Append `len` bytes and a NUL to the pool, not interned (free text);
 * *off receives the copy's offset. Returns 0 or B2B_ENOMEM. */
int b2b__bb_pool_append(b2b_book_builder *b, const char *s, size_t len, b2b__str *off);
/* Provisional index of a tax class (an interned string). Returns 0,
 * B2B_ENOMEM or B2B_EOVERFLOW (more than 65534 classes). */
int b2b__bb_tax_class(b2b_book_builder *b, b2b__str s, uint16_t *out);

/* ---- book_cells.c ---- */

/* Remember where this build's diagnostics start on ctx (for the sort). */
void b2b__bb_note_ctx(b2b_book_builder *b, b2b_ctx *ctx);
/* Report a diagnostic (counted in b->nerrors when an error). */
int b2b__bb_diag(b2b_book_builder *b, b2b_ctx *ctx, int severity, const char *file, long line,
                 long col, const char *fmt, ...) B2B__PRINTF(7, 8);
/* Report a problem at a row of table t (col = the field's column in the
 * row's segment; 0 when the segment has no such column). */
int b2b__bb_diag_row(b2b_book_builder *b, b2b_ctx *ctx, int severity, int table, size_t row,
                     int field, const char *fmt, ...) B2B__PRINTF(7, 8);
/* The source name of a row ("" when none). */
const char *b2b__bb_row_source(const b2b_book_builder *b, int table, size_t row);
/* `"text"` for a message: at most 60 bytes of it, shortened as core/text.h
 * says, control characters as '?'. */
void b2b__bb_fmt_got(char *buf, size_t size, const char *s, size_t len);
/* A problem of the current row at column col: "<label>: <message>". */
void b2b__bb_report(b2b__rowrd *r, long col, const char *label, const char *fmt, ...)
	B2B__PRINTF(4, 5);
/* "<label>: expected <what>, got "<cell>"". */
void b2b__bb_cell_error(b2b__rowrd *r, long col, const char *label, const char *what,
                        const char *s, size_t len);
/* "a, b, or c" / "a or b" of a NULL-terminated list of names. */
void b2b__bb_enum_what(char *buf, size_t size, const char *const *names);
/* Index of s in a NULL-terminated list of names, or -1. */
int b2b__bb_enum_find(const char *const *names, const char *s, size_t len);
/* Parse and check a non-empty cell by spec->type into *v (v->set = 1 when
 * valid); problems are reported at column col under `label`. */
void b2b__bb_parse_cell(b2b__rowrd *r, long col, const char *label, const b2b__colspec *spec,
                        b2b__cellv *v);

/* ---- book_tables.c ---- */

/* Each table's columns, in SPEC order. */
extern const b2b__tabspec b2b__bb_tables[B2B_TABLE_COUNT];
/* Bytes of one row of table t. */
size_t b2b__bb_row_size(int t);
/* Check a row's parsed cells against the rules of its table (r->seg) and
 * store its record; problems are reported on the row. */
void b2b__bb_row(b2b__rowrd *r, b2b__cellv *v);

/* Field indexes of the columns the freeze step points at. */
enum {
	B2B__F_CCY_CODE = 0,
	B2B__F_FX_FROM = 0, B2B__F_FX_TO = 1, B2B__F_FX_VALID_FROM = 3,
	B2B__F_P_SKU = 0, B2B__F_P_CURRENCY = 5,
	B2B__F_C_ID = 0, B2B__F_C_CURRENCY = 4, B2B__F_C_PRICE_LISTS = 5, B2B__F_C_CATALOG = 6,
	B2B__F_L_ID = 0, B2B__F_L_CURRENCY = 1, B2B__F_L_PARENT = 5, B2B__F_L_APPLIES = 6,
	B2B__F_I_LIST = 0, B2B__F_I_SCOPE = 1, B2B__F_I_MIN_QTY = 2, B2B__F_I_VALID_FROM = 3,
	B2B__F_I_COMPUTE = 5, B2B__F_I_BASE = 8,
	B2B__F_K_ID = 0, B2B__F_K_CUSTOMER = 1, B2B__F_K_CURRENCY = 2,
	B2B__F_KI_CONTRACT = 0, B2B__F_KI_SCOPE = 1, B2B__F_KI_MIN_QTY = 2,
	B2B__F_R_ID = 0, B2B__F_R_SCOPE = 1,
	B2B__F_PR_ID = 0, B2B__F_PR_SCOPE = 3,
	B2B__F_T_CLASS = 0, B2B__F_T_REGION = 1,
	B2B__F_A_ID = 0,
	B2B__F_S_KEY = 0, B2B__F_S_VALUE = 1,
	B2B__F_VA_ID = 0, B2B__F_VA_PARTY = 1, B2B__F_VA_SCOPE = 2, B2B__F_VA_CURRENCY = 6,
	B2B__F_CV_CUSTOMER = 0, B2B__F_CV_AGREEMENT = 1
};

/* Code index of a three-letter upper-case code (0..17575). */
static inline uint16_t
b2b__ccy_code_index(const char *c)
{
	return (uint16_t)((c[0] - 'A') * 676 + (c[1] - 'A') * 26 + (c[2] - 'A'));
}

static inline void
b2b__ccy_code_text(uint16_t idx, char out[4])
{
	out[0] = (char)('A' + idx / 676);
	out[1] = (char)('A' + idx / 26 % 26);
	out[2] = (char)('A' + idx % 26);
	out[3] = '\0';
}

/* ---- book_load.c ---- */

/*
 * Feed every record of an open CSV reader to the builder as table t: the
 * first record is the header; CSV errors become diagnostics at their
 * file:line:col (`name`) and end the reading. Returns 0 (problems are
 * diagnostics), B2B_ENOMEM or B2B_EIO.
 */
struct b2b_csv;
int b2b__book_load_csv(b2b_book_builder *b, b2b_ctx *ctx, b2b_book_table t,
                       struct b2b_csv *r, const char *name);

/* ---- book_freeze.c ---- */

/* Check the references and cross-row rules, then freeze. */
int b2b__bb_freeze(b2b_book **out, b2b_ctx *ctx, b2b_book_builder *b);

/* Release every array of a book that the builder allocated (the book
 * itself too). Used on failure before the book is published. */
void b2b__bb_book_discard(b2b_book *book);

#endif
