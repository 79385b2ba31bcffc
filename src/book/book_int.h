/*
 * libb2bcore — the frozen book's internal layout, shared by the builder
 * (book_builder.c, book_load.c), the indexes (book_index.c,
 * book_lookup.c), the fingerprint and the pricing engine (price.c,
 * quote.c, order.c).
 *
 * Everything here is immutable once b2b_book_builder_finish() returned.
 * Indexes are arrays of uint32_t; "none" is B2B__NONE. Strings live in
 * one pool; a b2b__str is a byte offset into it (0 is the empty string,
 * which also means "not set"). Windows are [from, until) in seconds since
 * the epoch; open bounds are B2B__T_MIN / B2B__T_MAX.
 *
 * ---- Contract between the builder and book.c / book_index.c /
 *      fingerprint.c; read this before finish() ----
 *
 * Allocation. Every block of a book comes from b->alloc (a copy of the
 * builder's allocator) and is freed by the last b2b_book_unref() as:
 *   - the struct itself: b2b__free(&alloc, b, sizeof *b);
 *   - the string pool: b2b__free(&b->alloc, b->strings, b->strings_len),
 *     so strings_len is the exact size of the block (every byte of the
 *     pool, NULs included);
 *   - every array `T *x; size_t nx;` of struct b2b_book (currencies, fx,
 *     categories, products, product_ext, customers, lists, items,
 *     contracts, citems, item_ext, rules, points, promos, taxes, tax_classes,
 *     approvals, agreements, tiers, cvolumes, va_cust, va_idx, u32, strs,
 *     scopes, applies):
 *     b2b__free(&b->alloc, x, nx * sizeof *x). So each array must be ONE
 *     block of EXACTLY nx elements: shrink it with b2b__realloc() before
 *     finish (or copy it) if it was grown with b2b__grow(). NULL is fine
 *     when nx == 0 (b2b__free ignores NULL);
 *   - b->index: freed by book_index.c.
 * b2b_book_unref() frees NULL pointers safely, so a builder that fails
 * half-way may fill what it has (refs = 1) and call b2b_book_unref().
 *
 * Freezing. The builder fills every field above `index` (refs = 1,
 * alloc, counts[], sorted arrays as documented per struct below), then
 * calls, in this order:
 *   1. b2b__book_index_build(b)  — builds b->index, may APPEND to b->u32
 *      (lists-applying groups, order promotions; nu32 grows, and the
 *      block is re-allocated to the new exact size), sets b->memory;
 *   2. b2b__book_fingerprint(b)  — fills b->fingerprint.
 * On a negative return, b2b_book_unref(b) frees everything.
 *
 * Layout requirements the indexes rely on (those marked [checked] make
 * index_build return B2B_EINVAL when they do not hold — a builder bug):
 *   - [checked] products, customers, lists, contracts, currencies sorted
 *     by key, byte order (strcmp), keys unique; approvals sorted by id;
 *   - [checked] taxes: (tax_class, region) unique;
 *   - [checked] items: the items of one list are contiguous ([items_off,
 *     +items_n) of that list), and within them the items of one scope
 *     (same kind and id) are contiguous; the same for citems. Faster
 *     fingerprints (no sort) when, inside an owner, items are ordered by
 *     scope text (canonical: "all" < "category:PATH" < "sku:SKU", bytes),
 *     then min_qty, then valid_from; owners in index order.
 *   - fx sorted by (from, to, valid_from descending); rules and promos
 *     sorted by (priority desc, id).
 *   - categories: every ancestor of a node is a node (parent), with its
 *     depth (1 = top level).
 * Lookups never allocate and never fail; they are safe from any thread.
 *
 * Changes made by "index" to this pinned file: b2b__product's `ext` sits
 * before the decimals (the record was 64 bytes with padding, now 56 as
 * documented; field names and meanings unchanged); b2b__book_contract(),
 * B2B__ITEM_GROUPS_MAX, b2b__sort_u32() and the freezing functions
 * added; b2b__book_promos_by_code() returns a count (its comment named a
 * `*first` parameter that the declaration never had).
 * The item record was split (224 bytes → 64): the window and the
 * decimals few items set moved to b2b__item_ext (book->item_ext, reached
 * through `ext`); `price` is a b2b_dec with `price_set`; compute and base
 * are uint8_t.
 *
 * What the builder (book_builder.c, book_freeze.c) produces, beyond the
 * requirements above (no field added or changed):
 *   - items and citems, inside an owner, are in the canonical scope order
 *     above, then min_qty, then valid_from — EXCEPT that scopes naming an
 *     sku that is not in the book (scope.id == B2B__NONE; a load warning)
 *     come after all other sku scopes, by text: sorting them by text among
 *     the known skus would split the (kind, id) group [checked] above.
 *     Owners B2B__NONE never reach a built book.
 *   - the pool holds every product sku (and every sku named by a scope)
 *     right after the 4 bytes "sku:", and a scope `sku:X`'s text is that
 *     copy (text == the sku's offset − 4) whenever the sku was first
 *     interned that way; otherwise the text is a string of its own. Either
 *     way b2b__s(b, scope.text) is "sku:X". Keys are interned: two equal
 *     keys have the same b2b__str.
 *   - contract items: compute is FIXED (price set) or DISCOUNT
 *     (discount_percent set), base LIST, base_list B2B__NONE, window open.
 *   - item_ext (the items' side table): an item has an extension (ext
 *     != B2B__NONE) exactly when its window is not open on both ends
 *     (or names a form) or it sets discount_percent, surcharge,
 *     round_to, min_margin or max_margin; each extension belongs to one
 *     item; the items' extensions come first, in item order, then the
 *     contract items', in contract item order. An item without one reads
 *     b2b__item_ext_none (window open, nothing set) through
 *     b2b__book_item_ext(). A record's padding bytes (b2b__opt's, the
 *     item's `pad`) are zero.
 *   - promotions of a line kind without a scope have scope ALL with text
 *     "all"; order kinds have scope ALL with text 0.
 *   - every array is one block of exactly n elements (NULL when n == 0),
 *     the pool exactly strings_len bytes; b->memory is left to
 *     index_build.
 *
 * Row lines. Customers, lists, items, contracts, contract items, rules,
 * promotions and FX rates carry `line`, and book->product_lines holds
 * each product's (a side array, so that the product record stays at 56
 * bytes): the row's `line` as b2b_book_builder_add_row() received it —
 * for the loader, the physical line in its CSV file where the record
 * starts (the header is line 1); 0 when unknown; clamped to INT32_MAX.
 * They name rows in lint findings (lint.c), never in prices.
 * SPDX-License-Identifier: MIT
 */
#ifndef B2B_SRC_BOOK_INT_H
#define B2B_SRC_BOOK_INT_H

#include <stdatomic.h>

#include "b2b/book.h"
#include "b2b/date.h"
#include "b2b/money.h"
#include "alloc.h"
#include "sort.h"

#define B2B__NONE UINT32_MAX
#define B2B__T_MIN INT64_MIN
#define B2B__T_MAX INT64_MAX

typedef uint32_t b2b__str;

typedef struct b2b__window {
	int64_t from;   /* B2B__T_MIN when open */
	int64_t until;  /* B2B__T_MAX when open; exclusive */
	int32_t from_form; /* B2B_TIME_DATE / _DATETIME of valid_from as written (for sources) */
	int32_t until_form;
} b2b__window;

static inline int
b2b__window_has(const b2b__window *w, int64_t t)
{
	return w->from <= t && t < w->until;
}

/* An optional decimal. */
typedef struct b2b__opt {
	b2b_dec v;
	int set;
} b2b__opt;

/* ---- scopes (SPEC §3: sku:X, category:a/b, all) ---- */
enum { B2B__SCOPE_ALL = 0, B2B__SCOPE_CATEGORY = 1, B2B__SCOPE_SKU = 2 };

typedef struct b2b__scope {
	uint8_t kind;     /* B2B__SCOPE_* */
	uint8_t depth;    /* category: path segments (1 for "tools"); sku: 255; all: 0 */
	uint32_t id;      /* SKU: product index, or B2B__NONE for an sku not in the book;
	                     CATEGORY: category node index; ALL: 0 */
	b2b__str text;    /* as written, e.g. "category:tools/hand" (for sources) */
} b2b__scope;

/* Specificity of a scope for "most specific wins": sku > deeper category > … > all. */
static inline int
b2b__scope_rank(const b2b__scope *s)
{
	return s->kind == B2B__SCOPE_SKU ? 1000 : s->kind == B2B__SCOPE_CATEGORY ? s->depth : 0;
}

/* Category tree: every path prefix that a product or a scope names is a node. */
typedef struct b2b__category {
	b2b__str path;     /* "tools/hand" */
	uint32_t parent;   /* B2B__NONE for a top-level node */
	uint32_t depth;    /* 1 for a top-level node */
} b2b__category;

/* ---- currencies and FX ---- */
typedef struct b2b__currency {
	char code[4];
	int32_t minor_units;
	b2b__opt cash_increment;
} b2b__currency;

typedef struct b2b__fx {
	uint16_t from, to;   /* currency indexes */
	int64_t valid_from;  /* B2B__T_MIN when empty */
	b2b_dec rate;
	int32_t line;
} b2b__fx;               /* sorted by (from, to, valid_from descending) */

/* ---- products ---- */
enum { B2B__P_INACTIVE = 1, B2B__P_HAS_COST = 2 };

/* Fields few products set live in a side table, so that the product
 * record stays at 56 bytes (goal: ≤ 64 bytes per product with its index
 * slot, strings aside). */
typedef struct b2b__product_ext {
	b2b__str uom;
	b2b__opt pack_size, min_qty, max_qty, on_hand, daily_demand, baseline_demand,
	         competitor_price, prev_price;
} b2b__product_ext;

typedef struct b2b__product {
	b2b__str sku, name;
	uint32_t category;   /* node index or B2B__NONE */
	uint32_t ext;        /* index into book->product_ext, or B2B__NONE */
	b2b_dec list_price;
	b2b_dec cost;        /* valid when flags & B2B__P_HAS_COST */
	uint16_t currency;   /* currency index */
	uint16_t tax_class;  /* index into book->tax_classes, or UINT16_MAX for none */
	uint32_t flags;      /* B2B__P_* */
} b2b__product;          /* sorted by sku (byte order); 56 bytes: `ext` sits before
                            the decimals so that no padding is needed */

/* ---- customers ---- */
typedef struct b2b__customer {
	b2b__str id, name, segment, channel;
	uint16_t currency;             /* currency index, or UINT16_MAX (→ base) */
	uint32_t lists_off, lists_n;   /* into book->u32: price list indexes, in cell order */
	uint32_t catalog_off, catalog_n; /* into book->scopes; 0 = may buy all */
	uint32_t terms_off, terms_n;   /* into book->strs: payment terms */
	uint32_t regions_off, regions_n; /* into book->strs: ship-to regions; 0 = all */
	b2b__opt credit_limit, open_balance, min_order_value, budget;
	uint32_t contracts_off, contracts_n; /* into book->u32: this customer's contracts */
	int32_t line;        /* the row's line (see "Row lines" above) */
} b2b__customer;         /* sorted by id */

/* ---- price lists and items ---- */
enum { B2B__TIER_ALL_UNITS = 0, B2B__TIER_INCREMENTAL = 1, B2B__TIER_BLOCK = 2 };
enum { B2B__APPLY_DEFAULT = 0, B2B__APPLY_SEGMENT, B2B__APPLY_CHANNEL, B2B__APPLY_CUSTOMER };

typedef struct b2b__applies {
	uint8_t kind;        /* B2B__APPLY_* */
	b2b__str value;      /* segment, channel or customer id; 0 for default */
} b2b__applies;

typedef struct b2b__list {
	b2b__str id;
	uint16_t currency;
	int64_t priority;
	b2b__window window;
	uint32_t parent;         /* list index or B2B__NONE */
	uint32_t applies_off, applies_n; /* into book->applies */
	int tier_mode;
	uint32_t items_off, items_n;     /* into book->items: this list's items */
	int32_t line;        /* the row's line */
} b2b__list;             /* sorted by id */

enum { B2B__COMPUTE_FIXED = 0, B2B__COMPUTE_DISCOUNT, B2B__COMPUTE_FORMULA };
enum { B2B__BASE_LIST = 0, B2B__BASE_COST, B2B__BASE_PARENT, B2B__BASE_LIST_ID };

/* What few items set: the validity window when it is not open on both
 * ends, and the optional decimals of discount, base and formula items.
 * A side table (book->item_ext, shared by items and contract items), so
 * that the record pricing walks stays at 64 bytes, the size of a cache
 * line. */
typedef struct b2b__item_ext {
	b2b__window window;
	b2b__opt discount_percent, surcharge, round_to, min_margin, max_margin;
} b2b__item_ext;         /* 144 bytes */

typedef struct b2b__item {
	uint32_t list;           /* owning list (or contract, for contract items) */
	uint32_t ext;            /* index into book->item_ext, or B2B__NONE */
	b2b__scope scope;
	uint32_t base_list;      /* for B2B__BASE_LIST_ID */
	b2b_dec min_qty;         /* 0 when empty */
	b2b_dec price;           /* valid when price_set */
	int32_t line;
	uint8_t compute;         /* B2B__COMPUTE_* (contract items: FIXED or DISCOUNT) */
	uint8_t base;            /* B2B__BASE_* */
	uint8_t price_set;       /* 0 or 1 */
	uint8_t pad;             /* 0 */
} b2b__item;             /* grouped by list, then by scope, then min_qty, valid_from;
                            64 bytes */

/* The record of an item without an extension: window open, nothing set. */
extern const b2b__item_ext b2b__item_ext_none;

/* The extension record of an item (b2b__item_ext_none when it has none). */
static inline const b2b__item_ext *
b2b__book_item_ext(const b2b_book *b, const b2b__item *it);

/* Is t inside the item's validity window? */
static inline int
b2b__item_window_has(const b2b_book *b, const b2b__item *it, int64_t t);

/* ---- contracts ---- */
enum { B2B__POLICY_OVERRIDE = 0, B2B__POLICY_BEST = 1 };

typedef struct b2b__contract {
	b2b__str id;
	uint32_t customer;
	uint16_t currency;       /* explicit, else the customer's, else base — resolved at freeze */
	b2b__window window;
	int policy;
	int allow_promotions;
	uint32_t items_off, items_n;   /* into book->citems */
	int32_t line;            /* the row's line */
} b2b__contract;         /* sorted by id */

/* ---- dynamic rules ---- */
enum { B2B__SIG_STOCK_DAYS = 0, B2B__SIG_DEMAND_RATIO, B2B__SIG_COMPETITOR, B2B__SIG_COST_PLUS };

typedef struct b2b__point { b2b_dec x, f; } b2b__point;

typedef struct b2b__rule {
	b2b__str id;
	b2b__scope scope;
	int signal;
	int64_t priority;
	b2b__window window;
	uint32_t points_off, points_n;  /* into book->points */
	b2b__opt markup_percent, offset_percent, min_factor, max_factor,
	         max_change_percent, price_step;
	int32_t line;            /* the row's line */
} b2b__rule;             /* sorted by (priority desc, id) — the order rules apply */

/* ---- promotions ---- */
enum { B2B__PROMO_PERCENT = 0, B2B__PROMO_AMOUNT, B2B__PROMO_FIXED_PRICE,
       B2B__PROMO_BUY_X_GET_Y, B2B__PROMO_ORDER_PERCENT, B2B__PROMO_ORDER_AMOUNT };

typedef struct b2b__promo {
	b2b__str id;
	int kind;
	b2b__opt value;
	b2b__scope scope;        /* ALL when empty */
	b2b__str segment;        /* 0 = any */
	b2b__str code;           /* 0 = automatic */
	b2b__window window;
	int64_t priority;
	int exclusive;
	b2b__opt buy_qty, get_qty, min_subtotal;
	int32_t line;            /* the row's line */
} b2b__promo;            /* sorted by (priority desc, id) — the order of the walk */

/* ---- taxes, approval rules, settings ---- */
typedef struct b2b__tax {
	b2b__str tax_class, region;   /* region "*" matches any */
	b2b_dec rate_percent;
} b2b__tax;

enum { B2B__METRIC_LINE_DISCOUNT = 0, B2B__METRIC_QUOTE_DISCOUNT,
       B2B__METRIC_MARGIN_BELOW, B2B__METRIC_TOTAL_ABOVE };

typedef struct b2b__approval {
	b2b__str id;
	int metric;
	b2b_dec threshold;
	int level;
} b2b__approval;          /* sorted by id */

typedef struct b2b__settings {
	uint16_t base_currency;      /* currency index */
	b2b_rounding rounding;
	int unit_price_decimals;
	int tax_document;            /* 0 = line, 1 = document */
	b2b_dec max_discount_percent;
	b2b__opt min_margin_percent;
	b2b_dec price_tolerance;
	int64_t quote_validity_days; /* 0 = unset */
} b2b__settings;

/* ---- volume agreements (SPEC §10) ---- */
enum { B2B__VA_PARTY_CUSTOMER = 0, B2B__VA_PARTY_SEGMENT = 1 };
enum { B2B__VA_BASIS_QTY = 0, B2B__VA_BASIS_AMOUNT = 1 };
enum { B2B__VA_DISCOUNT = 0, B2B__VA_REBATE = 1 };

/* One tier of an agreement: from `threshold` on, `percent`. The texts are
 * the cell's pieces as written (sources and hints name them so). */
typedef struct b2b__tier {
	b2b_dec threshold;
	b2b_dec percent;
	b2b__str threshold_text, percent_text;
} b2b__tier;

typedef struct b2b__agreement {
	b2b__str id;
	int party_kind;          /* B2B__VA_PARTY_* */
	b2b__str party;          /* the customer id or the segment (interned) */
	uint32_t customer;       /* customer index for a customer party, else B2B__NONE */
	b2b__scope scope;
	int basis;               /* B2B__VA_BASIS_* */
	int kind;                /* B2B__VA_DISCOUNT / B2B__VA_REBATE */
	uint16_t currency;       /* amount basis: explicit, else base; qty basis: base (unused) */
	b2b__window window;
	uint32_t tiers_off, tiers_n;   /* into book->tiers, threshold ascending */
	int32_t line;
} b2b__agreement;        /* sorted by id */

typedef struct b2b__cvolume {
	uint32_t customer;       /* customer index */
	uint32_t agreement;      /* agreement index */
	b2b_dec volume;          /* ≥ 0; units (qty) or money in the agreement's currency */
	int32_t line;
} b2b__cvolume;          /* sorted by (customer, agreement); pairs unique */

/* ---- the book ---- */
struct b2b_book {
	atomic_size_t refs;
	b2b_allocator alloc;
	char fingerprint[65];

	const char *strings;          /* the pool; strings[0] == '\0' */
	size_t strings_len;

	b2b__settings settings;
	b2b__currency *currencies;  size_t ncurrencies;  /* builtin + book, sorted by code */
	b2b__fx *fx;                size_t nfx;
	b2b__category *categories;  size_t ncategories;
	b2b__product *products;     size_t nproducts;
	int32_t *product_lines;     size_t nproduct_lines; /* each product's row line, in
	                                                     product order; NULL, 0: unknown */
	b2b__product_ext *product_ext; size_t nproduct_ext;
	b2b__customer *customers;   size_t ncustomers;
	b2b__list *lists;           size_t nlists;
	b2b__item *items;           size_t nitems;
	b2b__contract *contracts;   size_t ncontracts;
	b2b__item *citems;          size_t ncitems;      /* contract items; .list = contract */
	b2b__item_ext *item_ext;    size_t nitem_ext;    /* items' and contract items' side
	                                                   table: the items' in item order,
	                                                   then the contract items' */
	b2b__rule *rules;           size_t nrules;
	b2b__point *points;         size_t npoints;
	b2b__promo *promos;         size_t npromos;
	b2b__tax *taxes;            size_t ntaxes;
	b2b__str *tax_classes;      size_t ntax_classes;
	b2b__approval *approvals;   size_t napprovals;
	int max_approval_level;     /* highest level the book defines; 0 when none */
	b2b__agreement *agreements; size_t nagreements;  /* SPEC §10, sorted by id */
	b2b__tier *tiers;           size_t ntiers;
	b2b__cvolume *cvolumes;     size_t ncvolumes;
	/* The agreements whose party covers each customer (any window), in id
	 * order: customer c's are va_idx[va_cust[c] .. va_cust[c + 1]).
	 * va_cust has ncustomers + 1 entries when the book has agreements,
	 * else none (NULL). */
	uint32_t *va_cust;          size_t nva_cust;
	uint32_t *va_idx;           size_t nva_idx;

	uint32_t *u32;              size_t nu32;         /* shared index arrays */
	b2b__str *strs;             size_t nstrs;
	b2b__scope *scopes;         size_t nscopes;
	b2b__applies *applies;      size_t napplies;

	size_t counts[B2B_TABLE_COUNT];
	size_t memory;

	/* Indexes (book_index.c): opaque to the engine, used through the
	 * lookup functions below. */
	struct b2b__index *index;
	/* What the batch pricer precomputes (book_plan.h); NULL: none. */
	struct b2b__plan *plan;
	/* A book opened from a snapshot (snapshot.c): the arrays above point
	 * into this file mapping or host buffer; the last unref releases it
	 * (b2b__snapshot_free). NULL for a built book. */
	const void *snap_base;
	size_t snap_len;
	int snap_mapped;            /* 1: munmap(snap_base, snap_len) on release */
};

static inline const char *
b2b__s(const b2b_book *b, b2b__str s)
{
	return b->strings + s;
}

static inline const b2b__item_ext *
b2b__book_item_ext(const b2b_book *b, const b2b__item *it)
{
	return it->ext == B2B__NONE ? &b2b__item_ext_none : &b->item_ext[it->ext];
}

static inline int
b2b__item_window_has(const b2b_book *b, const b2b__item *it, int64_t t)
{
	return it->ext == B2B__NONE || b2b__window_has(&b->item_ext[it->ext].window, t);
}

/* ---- lookups (book_lookup.c); none allocates; all are O(1) or O(log n) ---- */

/* Product / customer / list / contract / currency index by key, or B2B__NONE. */
uint32_t b2b__book_product(const b2b_book *b, const char *sku, size_t len);
uint32_t b2b__book_customer(const b2b_book *b, const char *id, size_t len);
uint32_t b2b__book_list(const b2b_book *b, const char *id, size_t len);
uint32_t b2b__book_currency(const b2b_book *b, const char *code, size_t len);
uint32_t b2b__book_contract(const b2b_book *b, const char *id, size_t len);
/* How many promotions have the code `code` (any window or segment); 0 for
 * an empty code. Linear in the number of promotions (code lookups are rare). */
size_t b2b__book_promos_by_code(const b2b_book *b, const char *code, size_t len);

/* The extension record of a product (all fields unset when it has none). */
const b2b__product_ext *b2b__book_product_ext(const b2b_book *b, const b2b__product *p);

/* Does scope `s` match product `p`? (sku equality / category ancestry / all) */
int b2b__scope_matches(const b2b_book *b, const b2b__scope *s, uint32_t product);

/*
 * The items of list `list` (or contract `contract`, for b2b__book_citems)
 * that could match product `p`, grouped by scope from the most specific
 * scope to the least: *groups receives up to `max` ranges [off, off+n)
 * into book->items (citems), in decreasing specificity. Returns the number
 * of groups. Window, min_qty and base=cost checks are the caller's.
 */
typedef struct b2b__range { uint32_t off, n; } b2b__range;
/* A `groups` buffer of this size always receives every group (sku, each
 * category ancestor — a category path has fewer than 255 segments — all). */
#define B2B__ITEM_GROUPS_MAX 256
/* Returns the number of groups written (≤ max; the least specific are
 * the ones left out when max is too small). */
size_t b2b__book_items(const b2b_book *b, uint32_t list, uint32_t product,
                       b2b__range *groups, size_t max);
size_t b2b__book_citems(const b2b_book *b, uint32_t contract, uint32_t product,
                        b2b__range *groups, size_t max);

/*
 * Candidate lists of the groups of SPEC §5.2 that are not the customer's
 * own cell: lists that apply to customer:ID, segment:S, channel:H and
 * default, each already sorted by priority desc then id. `value` is the
 * customer id / segment / channel (ignored for default). Returns a range
 * into book->u32 (n = 0 when none).
 */
b2b__range b2b__book_lists_applying(const b2b_book *b, int apply_kind, const char *value,
                                    size_t len);

/*
 * Dynamic rules / line promotions whose scope matches product p, as
 * indexes into book->rules / book->promos in application order (priority
 * desc, id), written to out (up to max); returns how many matched (which
 * may exceed max: call again with a bigger buffer). Window, code and
 * segment checks are the caller's. Order promotions are not included.
 */
size_t b2b__book_rules_for(const b2b_book *b, uint32_t product, uint32_t *out, size_t max);
size_t b2b__book_promos_for(const b2b_book *b, uint32_t product, uint32_t *out, size_t max);
/* Order promotions (order_percent / order_amount) in walk order: a range into book->u32. */
b2b__range b2b__book_order_promos(const b2b_book *b);

/*
 * FX rate from→to valid at t, per SPEC §5.1: the latest from→to row with
 * valid_from ≤ t; else r9(1 ÷ rate) of the latest to→from row valid at t;
 * *src_from / *src_to name the row used (for the `fx:FROM/TO` source).
 * Returns 0, or B2B_ECURRENCY when there is none. from == to: rate 1.
 */
int b2b__book_fx(const b2b_book *b, uint16_t from, uint16_t to, int64_t t, b2b_dec *rate,
                 uint16_t *src_from, uint16_t *src_to);

/* Tax rate of SPEC §5.7 for a tax class (UINT16_MAX = none) and a ship-to region. */
b2b_dec b2b__book_tax_rate(const b2b_book *b, uint16_t tax_class, const char *region,
                           size_t len);

/* ---- freezing (see the contract at the top of this file) ---- */


/*
 * Build the indexes of a filled book (book_index.c): b->index, the
 * lists-applying groups and order promotions appended to b->u32, and
 * b->memory. Allocates with b->alloc; on failure b->index stays NULL and
 * b->u32/nu32 stay consistent, so b2b_book_unref() frees everything.
 * Returns 0, B2B_ENOMEM, or B2B_EINVAL (a layout requirement above does
 * not hold: a builder bug).
 */
int b2b__book_index_build(b2b_book *b);
/* Free b->index (NULL-safe); called by the last b2b_book_unref(). */
void b2b__book_index_free(b2b_book *b);

/*
 * Compute b->fingerprint (fingerprint.c): 64 lower-case hex digits of the
 * SHA-256 of the canonical form documented in README.md ("Fingerprint").
 * Needs the index (call after b2b__book_index_build). Allocates only
 * temporary permutations with b->alloc (freed before returning).
 * Returns 0, B2B_ENOMEM, or B2B_EOVERFLOW / B2B_EINVAL (a value that
 * cannot be formatted) / B2B_ERROR (a row out of step with its table's
 * columns): builder or library bugs.
 */
int b2b__book_fingerprint(b2b_book *b);

#endif
