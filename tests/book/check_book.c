/*
 * Tests: the frozen book's indexes (book_index.c) and lookups
 * (book_lookup.c), reference counting and release (book.c), and the
 * fingerprint's canonical form (fingerprint.c), on books laid out by
 * hand exactly as the builder lays them out (src/book_int.h). Invariance of the fingerprint under the
 * ways a book directory can be written is tested through the loader in
 * check_fingerprint.c.
 */
#include <stdio.h>
#include <string.h>

#include "b2b.h"
#include "book_int.h"
#include "book_index.h"
#include "sha256.h"
#include "support/failalloc.h"
#include "support/testmain.h"

/*===========================================================================
 * A hand-built book: arrays allocated with exactly n elements (the
 * convention of book_int.h), freed by b2b_book_unref().
 *===========================================================================*/

typedef struct pool {
	char buf[4096];
	size_t len;
} pool;

static b2b__str
S(pool *p, const char *s)
{
	size_t n = strlen(s);
	b2b__str off;

	if (n == 0)
		return 0;
	ck_assert_uint_lt(p->len + n + 1, sizeof p->buf);
	off = (b2b__str)p->len;
	memcpy(p->buf + p->len, s, n + 1);
	p->len += n + 1;
	return off;
}

static b2b_dec
D(const char *s)
{
	b2b_dec d;

	ck_assert_int_eq(b2b_dec_parse(&d, NULL, s, strlen(s), 0), 0);
	return d;
}

static b2b__opt
O(const char *s)
{
	b2b__opt o;

	memset(&o, 0, sizeof o);
	if (s != NULL) {
		o.v = D(s);
		o.set = 1;
	}
	return o;
}

static int64_t
T(const char *s)
{
	b2b_time t;

	ck_assert_int_eq(b2b_time_parse(&t, NULL, s, strlen(s)), 0);
	return t.sec;
}

static b2b__window
W_open(void)
{
	b2b__window w = { B2B__T_MIN, B2B__T_MAX, 0, 0 };
	return w;
}

/* Copy n elements into a block of exactly n elements of the book's allocator. */
static int
dup_into(const b2b_allocator *a, void **dst, const void *src, size_t n, size_t elem)
{
	*dst = NULL;
	if (n == 0)
		return 0;
	*dst = b2b__malloc(a, n * elem);
	if (*dst == NULL)
		return B2B_ENOMEM;
	memcpy(*dst, src, n * elem);
	return 0;
}

#define DUP(b, field, nfield, src, n)                                                    \
	do {                                                                             \
		void *p_;                                                                \
		if (dup_into(&(b)->alloc, &p_, (src), (n), sizeof *(src)) < 0)           \
			goto nomem;                                                      \
		(b)->field = p_;                                                         \
		(b)->nfield = (n);                                                       \
	} while (0)

/* Category nodes. */
enum { CAT_TOOLS = 0, CAT_TOOLS_HAND, CAT_TOOLSETS, CAT_TOOLS_HAND_SMALL, NCAT };
/* Products, sorted by sku. */
enum { P_A1 = 0, P_A2, P_B1, P_C1, NPROD };
/* Lists, sorted by id. */
enum { L_BASE = 0, L_CUST, L_SEG, L_SEG2, L_SEG3, L_WEB, NLIST };
/* Currencies, sorted by code. */
enum { EUR = 0, GBP, USD, NCCY };

static b2b__scope
sc_all(void)
{
	b2b__scope s = { B2B__SCOPE_ALL, 0, 0, 0 };
	return s;
}

static b2b__scope
sc_sku(pool *p, uint32_t product, const char *text)
{
	b2b__scope s = { B2B__SCOPE_SKU, 255, product, 0 };
	s.text = S(p, text);
	return s;
}

static b2b__scope
sc_cat(pool *p, uint32_t node, uint8_t depth, const char *text)
{
	b2b__scope s = { B2B__SCOPE_CATEGORY, depth, node, 0 };
	s.text = S(p, text);
	return s;
}

static b2b__item
item(uint32_t owner, b2b__scope s, const char *min_qty, const char *price)
{
	b2b__item it;

	memset(&it, 0, sizeof it);
	it.list = owner;
	it.scope = s;
	it.min_qty = D(min_qty);
	it.ext = B2B__NONE;
	it.compute = B2B__COMPUTE_FIXED;
	it.base = B2B__BASE_LIST;
	it.base_list = B2B__NONE;
	if (price != NULL) {
		it.price = D(price);
		it.price_set = 1;
	}
	return it;
}

/* Options of the fixture, to build variants of the same book. */
typedef struct fixopt {
	int swap_item_groups;    /* lay BASE's groups out in another order */
	int unsorted_products;   /* break the layout: products not sorted */
	int split_group;         /* break the layout: one group in two runs */
	int change_price;        /* a different price for one break */
} fixopt;

/*
 * The fixture book. Returns 0 or B2B_ENOMEM (everything freed); index
 * and fingerprint are built unless `raw`.
 */
static int
fixture(b2b_book **out, const b2b_allocator *a, const fixopt *fo, int raw)
{
	static const fixopt none;
	pool sp;
	b2b_book *b;
	b2b__currency ccy[NCCY];
	b2b__category cat[NCAT];
	b2b__product prod[NPROD];
	b2b__product_ext ext[1];
	b2b__customer cust[2];
	b2b__list lists[NLIST];
	b2b__applies app[7];
	b2b__item items[8], citems[2];
	b2b__item_ext iext[2];
	b2b__contract kon[1];
	b2b__rule rules[5];
	b2b__promo promos[5];
	b2b__fx fx[3];
	b2b__tax tax[3];
	b2b__str tcls[3];
	uint32_t u32[2];
	size_t i, nitems;
	int rc;

	if (fo == NULL)
		fo = &none;
	*out = NULL;
	memset(&sp, 0, sizeof sp);
	sp.len = 1;                          /* strings[0] == '\0' */

	memset(ccy, 0, sizeof ccy);
	memcpy(ccy[EUR].code, "EUR", 4);
	memcpy(ccy[GBP].code, "GBP", 4);
	memcpy(ccy[USD].code, "USD", 4);
	for (i = 0; i < NCCY; i++)
		ccy[i].minor_units = 2;
	ccy[EUR].cash_increment = O("0.05");

	cat[CAT_TOOLS] = (b2b__category){ S(&sp, "tools"), B2B__NONE, 1 };
	cat[CAT_TOOLS_HAND] = (b2b__category){ S(&sp, "tools/hand"), CAT_TOOLS, 2 };
	cat[CAT_TOOLSETS] = (b2b__category){ S(&sp, "toolsets"), B2B__NONE, 1 };
	cat[CAT_TOOLS_HAND_SMALL] =
		(b2b__category){ S(&sp, "tools/hand/small"), CAT_TOOLS_HAND, 3 };

	memset(prod, 0, sizeof prod);
	prod[P_A1].sku = S(&sp, "A1");
	prod[P_A1].category = CAT_TOOLS_HAND_SMALL;
	prod[P_A2].sku = S(&sp, "A2");
	prod[P_A2].category = CAT_TOOLSETS;
	prod[P_B1].sku = S(&sp, "B1");
	prod[P_B1].category = CAT_TOOLS;
	prod[P_C1].sku = S(&sp, "C1");
	prod[P_C1].category = B2B__NONE;
	for (i = 0; i < NPROD; i++) {
		prod[i].list_price = D("10.5");
		prod[i].currency = EUR;
		prod[i].tax_class = UINT16_MAX;
		prod[i].ext = B2B__NONE;
	}
	prod[P_A1].name = S(&sp, "Hammer | small");
	prod[P_A1].cost = D("4");
	prod[P_A1].flags = B2B__P_HAS_COST;
	prod[P_A1].tax_class = 0;
	prod[P_A1].ext = 0;
	prod[P_A2].tax_class = 1;
	prod[P_B1].tax_class = 2;
	memset(ext, 0, sizeof ext);
	ext[0].uom = S(&sp, "pc");
	ext[0].on_hand = O("12");
	if (fo->unsorted_products) {
		b2b__product t = prod[P_A1];
		prod[P_A1] = prod[P_B1];
		prod[P_B1] = t;
	}

	memset(cust, 0, sizeof cust);
	cust[0].id = S(&sp, "C1");
	cust[0].segment = S(&sp, "wholesale");
	cust[0].channel = S(&sp, "web");
	cust[0].currency = UINT16_MAX;
	cust[0].lists_off = 0;
	cust[0].lists_n = 2;
	cust[0].contracts_off = 0;
	cust[0].contracts_n = 0;
	cust[1] = cust[0];
	cust[1].id = S(&sp, "C2");
	cust[1].segment = S(&sp, "retail");
	cust[1].channel = 0;
	cust[1].lists_n = 0;
	u32[0] = L_WEB;
	u32[1] = L_BASE;

	/* applies: BASE default; CUST customer:C1; SEG, SEG2 segment:wholesale;
	 * SEG3 segment:wholesale + default; WEB channel:web */
	app[0] = (b2b__applies){ B2B__APPLY_DEFAULT, 0 };
	app[1] = (b2b__applies){ B2B__APPLY_CUSTOMER, S(&sp, "C1") };
	app[2] = (b2b__applies){ B2B__APPLY_SEGMENT, S(&sp, "wholesale") };
	app[3] = (b2b__applies){ B2B__APPLY_SEGMENT, S(&sp, "wholesale") };
	app[4] = (b2b__applies){ B2B__APPLY_SEGMENT, S(&sp, "wholesale") };
	app[5] = (b2b__applies){ B2B__APPLY_DEFAULT, 0 };
	app[6] = (b2b__applies){ B2B__APPLY_CHANNEL, S(&sp, "web") };
	memset(lists, 0, sizeof lists);
	{
		static const char *const ids[NLIST] = { "BASE", "CUST", "SEG", "SEG2", "SEG3",
		                                        "WEB" };
		static const int64_t prio[NLIST] = { 0, 0, 5, 5, 9, 0 };
		static const uint32_t aoff[NLIST] = { 0, 1, 2, 3, 4, 6 };
		static const uint32_t an[NLIST] = { 1, 1, 1, 1, 2, 1 };

		for (i = 0; i < NLIST; i++) {
			lists[i].id = S(&sp, ids[i]);
			lists[i].currency = EUR;
			lists[i].priority = prio[i];
			lists[i].window = W_open();
			lists[i].parent = B2B__NONE;
			lists[i].applies_off = aoff[i];
			lists[i].applies_n = an[i];
		}
	}
	lists[L_SEG].parent = L_BASE;

	/* BASE: sku:A1 (2 breaks), category:tools/hand, category:tools, all, sku:A2 */
	nitems = 0;
	if (fo->swap_item_groups) {
		items[nitems++] = item(L_BASE, sc_sku(&sp, P_A2, "sku:A2"), "0", "9");
		items[nitems++] = item(L_BASE, sc_all(), "0", "10");
		items[nitems++] = item(L_BASE, sc_cat(&sp, CAT_TOOLS, 1, "category:tools"), "0", "8");
		items[nitems++] = item(L_BASE, sc_cat(&sp, CAT_TOOLS_HAND, 2, "category:tools/hand"), "0", "7");
		items[nitems++] = item(L_BASE, sc_sku(&sp, P_A1, "sku:A1"), "0", "6");
		items[nitems++] = item(L_BASE, sc_sku(&sp, P_A1, "sku:A1"), "10", fo->change_price ? "5.01" : "5");
	} else {
		items[nitems++] = item(L_BASE, sc_sku(&sp, P_A1, "sku:A1"), "0", "6");
		items[nitems++] = item(L_BASE, sc_sku(&sp, P_A1, "sku:A1"), "10", fo->change_price ? "5.01" : "5");
		items[nitems++] = item(L_BASE, sc_cat(&sp, CAT_TOOLS_HAND, 2, "category:tools/hand"), "0", "7");
		items[nitems++] = item(L_BASE, sc_cat(&sp, CAT_TOOLS, 1, "category:tools"), "0", "8");
		items[nitems++] = item(L_BASE, sc_all(), "0", "10");
		items[nitems++] = item(L_BASE, sc_sku(&sp, P_A2, "sku:A2"), "0", "9");
	}
	if (fo->split_group)
		items[nitems++] = item(L_BASE, sc_sku(&sp, P_A1, "sku:A1"), "50", "4");
	/* SEG: one discount item on all */
	items[nitems] = item(L_SEG, sc_all(), "0", NULL);
	items[nitems].compute = B2B__COMPUTE_DISCOUNT;
	memset(iext, 0, sizeof iext);
	iext[0].window = W_open();
	iext[0].discount_percent = O("10");
	items[nitems].ext = 0;
	nitems++;
	lists[L_BASE].items_off = 0;
	lists[L_BASE].items_n = (uint32_t)(nitems - 1);
	lists[L_SEG].items_off = (uint32_t)(nitems - 1);
	lists[L_SEG].items_n = 1;

	memset(kon, 0, sizeof kon);
	kon[0].id = S(&sp, "K1");
	kon[0].customer = 0;
	kon[0].currency = EUR;
	kon[0].window = W_open();
	kon[0].items_off = 0;
	kon[0].items_n = 2;
	citems[0] = item(0, sc_sku(&sp, P_A1, "sku:A1"), "0", "3");
	citems[1] = item(0, sc_cat(&sp, CAT_TOOLS, 1, "category:tools"), "0", NULL);
	citems[1].compute = B2B__COMPUTE_DISCOUNT;
	iext[1].window = W_open();
	iext[1].discount_percent = O("15");
	citems[1].ext = 1;

	/* rules in application order: (priority desc, id) */
	memset(rules, 0, sizeof rules);
	{
		static const char *const ids[5] = { "R_A", "R_B", "R_C", "R_D", "R_E" };
		static const int64_t prio[5] = { 10, 5, 5, 1, 0 };

		for (i = 0; i < 5; i++) {
			rules[i].id = S(&sp, ids[i]);
			rules[i].priority = prio[i];
			rules[i].window = W_open();
			rules[i].signal = B2B__SIG_COST_PLUS;
			rules[i].markup_percent = O("25");
		}
	}
	rules[0].scope = sc_cat(&sp, CAT_TOOLS, 1, "category:tools");
	rules[1].scope = sc_sku(&sp, P_A1, "sku:A1");
	rules[2].scope = sc_all();
	rules[3].scope = sc_cat(&sp, CAT_TOOLSETS, 1, "category:toolsets");
	rules[4].scope = sc_sku(&sp, B2B__NONE, "sku:ZZ");

	memset(promos, 0, sizeof promos);
	{
		static const char *const ids[5] = { "P1", "P2", "P3", "P4", "P5" };
		static const int64_t prio[5] = { 9, 8, 7, 6, 1 };
		static const int kinds[5] = { B2B__PROMO_PERCENT, B2B__PROMO_ORDER_PERCENT,
		                              B2B__PROMO_AMOUNT, B2B__PROMO_FIXED_PRICE,
		                              B2B__PROMO_ORDER_AMOUNT };

		for (i = 0; i < 5; i++) {
			promos[i].id = S(&sp, ids[i]);
			promos[i].priority = prio[i];
			promos[i].kind = kinds[i];
			promos[i].value = O("1");
			promos[i].window = W_open();
			promos[i].scope = sc_all();
		}
	}
	promos[2].scope = sc_cat(&sp, CAT_TOOLS_HAND, 2, "category:tools/hand");
	promos[2].code = S(&sp, "SAVE");
	promos[3].scope = sc_sku(&sp, P_A2, "sku:A2");

	/* fx sorted by (from, to, valid_from desc) */
	memset(fx, 0, sizeof fx);
	fx[0] = (b2b__fx){ EUR, USD, T("2026-06-01"), D("1.2"), 2 };
	fx[1] = (b2b__fx){ EUR, USD, T("2026-01-01"), D("1.1"), 3 };
	fx[2] = (b2b__fx){ GBP, EUR, B2B__T_MIN, D("1.17"), 4 };

	tcls[0] = S(&sp, "std");
	tcls[1] = S(&sp, "red");
	tcls[2] = S(&sp, "none");
	tax[0] = (b2b__tax){ S(&sp, "std"), S(&sp, "DE"), D("19") };
	tax[1] = (b2b__tax){ S(&sp, "std"), S(&sp, "*"), D("20") };
	tax[2] = (b2b__tax){ S(&sp, "red"), S(&sp, "*"), D("7") };

	b = b2b__calloc(a, 1, sizeof *b);
	if (b == NULL)
		return B2B_ENOMEM;
	atomic_init(&b->refs, 1);
	b->alloc = *a;
	b->settings.base_currency = EUR;
	b->settings.rounding = B2B_ROUND_HALF_UP;
	b->settings.unit_price_decimals = 4;
	b->settings.max_discount_percent = D("100");
	{
		char *s = b2b__malloc(a, sp.len);

		if (s == NULL)
			goto nomem;
		memcpy(s, sp.buf, sp.len);
		b->strings = s;
		b->strings_len = sp.len;
	}
	DUP(b, currencies, ncurrencies, ccy, NCCY);
	DUP(b, fx, nfx, fx, 3);
	DUP(b, categories, ncategories, cat, NCAT);
	DUP(b, products, nproducts, prod, NPROD);
	DUP(b, product_ext, nproduct_ext, ext, 1);
	DUP(b, customers, ncustomers, cust, 2);
	DUP(b, lists, nlists, lists, NLIST);
	DUP(b, items, nitems, items, nitems);
	DUP(b, contracts, ncontracts, kon, 1);
	DUP(b, citems, ncitems, citems, 2);
	DUP(b, item_ext, nitem_ext, iext, 2);
	DUP(b, rules, nrules, rules, 5);
	DUP(b, promos, npromos, promos, 5);
	DUP(b, taxes, ntaxes, tax, 3);
	DUP(b, tax_classes, ntax_classes, tcls, 3);
	DUP(b, u32, nu32, u32, 2);
	DUP(b, applies, napplies, app, 7);
	b->counts[B2B_TABLE_PRODUCTS] = NPROD;
	b->counts[B2B_TABLE_CUSTOMERS] = 2;
	if (!raw) {
		if ((rc = b2b__book_index_build(b)) < 0 ||
		    (rc = b2b__book_fingerprint(b)) < 0) {
			b2b_book_unref(b);
			return rc;
		}
	}
	*out = b;
	return 0;
nomem:
	b2b_book_unref(b);
	return B2B_ENOMEM;
}

static b2b_book *
fixture_ok(const fixopt *fo)
{
	b2b_allocator a;
	b2b_book *b;

	b2b__alloc_init(&a, NULL);
	ck_assert_int_eq(fixture(&b, &a, fo, 0), 0);
	return b;
}

/*===========================================================================
 * MARK: - Core: key lookups
 *===========================================================================*/

START_TEST(test_key_lookups)
{
	b2b_book *b = fixture_ok(NULL);

	ck_assert_uint_eq(b2b__book_product(b, "A1", 2), P_A1);
	ck_assert_uint_eq(b2b__book_product(b, "A2", 2), P_A2);
	ck_assert_uint_eq(b2b__book_product(b, "C1", 2), P_C1);
	ck_assert_uint_eq(b2b__book_product(b, "A1x", 2), P_A1);   /* len counts */
	ck_assert_uint_eq(b2b__book_product(b, "A", 1), B2B__NONE);
	ck_assert_uint_eq(b2b__book_product(b, "A1x", 3), B2B__NONE);
	ck_assert_uint_eq(b2b__book_product(b, "", 0), B2B__NONE);
	ck_assert_uint_eq(b2b__book_product(b, "A\0001", 3), B2B__NONE);
	ck_assert_uint_eq(b2b__book_product(b, NULL, 2), B2B__NONE);
	ck_assert_uint_eq(b2b__book_customer(b, "C1", 2), 0);
	ck_assert_uint_eq(b2b__book_customer(b, "C2", 2), 1);
	ck_assert_uint_eq(b2b__book_customer(b, "C3", 2), B2B__NONE);
	ck_assert_uint_eq(b2b__book_customer(b, "A1", 2), B2B__NONE);
	ck_assert_uint_eq(b2b__book_list(b, "SEG2", 4), L_SEG2);
	ck_assert_uint_eq(b2b__book_list(b, "SEG", 3), L_SEG);
	ck_assert_uint_eq(b2b__book_list(b, "SE", 2), B2B__NONE);
	ck_assert_uint_eq(b2b__book_contract(b, "K1", 2), 0);
	ck_assert_uint_eq(b2b__book_contract(b, "K2", 2), B2B__NONE);
	ck_assert_uint_eq(b2b__book_currency(b, "USD", 3), USD);
	ck_assert_uint_eq(b2b__book_currency(b, "EUR", 3), EUR);
	ck_assert_uint_eq(b2b__book_currency(b, "EU", 2), B2B__NONE);
	ck_assert_uint_eq(b2b__book_currency(b, "EURO", 4), B2B__NONE);
	ck_assert_uint_eq(b2b__book_currency(b, "CHF", 3), B2B__NONE);
	ck_assert_str_eq(b2b_book_base_currency(b), "EUR");
	ck_assert_uint_eq(b2b_book_count(b, B2B_TABLE_PRODUCTS), NPROD);
	ck_assert_uint_eq(b2b_book_count(b, B2B_TABLE_CUSTOMERS), 2);
	ck_assert_uint_eq(b2b_book_count(b, B2B_TABLE_COUNT), 0);
	ck_assert_uint_eq(b2b_book_count(NULL, B2B_TABLE_PRODUCTS), 0);
	b2b_book_unref(b);
}
END_TEST

START_TEST(test_table_names)
{
	ck_assert_str_eq(b2b_book_table_name(B2B_TABLE_SETTINGS), "settings");
	ck_assert_str_eq(b2b_book_table_name(B2B_TABLE_PRICE_LIST_ITEMS), "price_list_items");
	ck_assert_str_eq(b2b_book_table_name(B2B_TABLE_APPROVAL_RULES), "approval_rules");
	ck_assert_ptr_null(b2b_book_table_name(B2B_TABLE_COUNT));
	ck_assert_ptr_null(b2b_book_table_name((b2b_book_table)-1));
}
END_TEST

/* Every table name reads back as its table; anything else is B2B_EPARSE. */
START_TEST(test_table_parse)
{
	b2b_book_table t;
	int i;

	for (i = 0; i < B2B_TABLE_COUNT; i++) {
		const char *name = b2b_book_table_name((b2b_book_table)i);

		ck_assert_int_eq(b2b_book_table_parse(&t, name, strlen(name)), 0);
		ck_assert_int_eq((int)t, i);
	}
	t = B2B_TABLE_TAXES;
	ck_assert_int_eq(b2b_book_table_parse(&t, "products.csv", 12), B2B_EPARSE);
	ck_assert_int_eq(b2b_book_table_parse(&t, "product", 7), B2B_EPARSE);
	ck_assert_int_eq(b2b_book_table_parse(&t, "Products", 8), B2B_EPARSE);
	ck_assert_int_eq(b2b_book_table_parse(&t, "", 0), B2B_EPARSE);
	ck_assert_int_eq((int)t, B2B_TABLE_TAXES);
	/* a name need not be NUL-terminated */
	ck_assert_int_eq(b2b_book_table_parse(&t, "taxes_and_more", 5), 0);
	ck_assert_int_eq((int)t, B2B_TABLE_TAXES);
	ck_assert_int_eq(b2b_book_table_parse(NULL, "taxes", 5), B2B_EINVAL);
	ck_assert_int_eq(b2b_book_table_parse(&t, NULL, 1), B2B_EINVAL);
}
END_TEST

START_TEST(test_product_ext)
{
	b2b_book *b = fixture_ok(NULL);
	const b2b__product_ext *x;

	x = b2b__book_product_ext(b, &b->products[P_A1]);
	ck_assert_str_eq(b2b__s(b, x->uom), "pc");
	ck_assert_int_eq(x->on_hand.set, 1);
	x = b2b__book_product_ext(b, &b->products[P_B1]);
	ck_assert_uint_eq(x->uom, 0);
	ck_assert_int_eq(x->on_hand.set, 0);
	ck_assert_int_eq(x->pack_size.set, 0);
	b2b_book_unref(b);
}
END_TEST

/*===========================================================================
 * MARK: - Core: scopes and item groups
 *===========================================================================*/

START_TEST(test_scope_ancestry)
{
	b2b_book *b = fixture_ok(NULL);
	b2b__scope tools = { B2B__SCOPE_CATEGORY, 1, CAT_TOOLS, 0 };
	b2b__scope hand = { B2B__SCOPE_CATEGORY, 2, CAT_TOOLS_HAND, 0 };
	b2b__scope small = { B2B__SCOPE_CATEGORY, 3, CAT_TOOLS_HAND_SMALL, 0 };
	b2b__scope sets = { B2B__SCOPE_CATEGORY, 1, CAT_TOOLSETS, 0 };
	b2b__scope a1 = { B2B__SCOPE_SKU, 255, P_A1, 0 };
	b2b__scope unknown = { B2B__SCOPE_SKU, 255, B2B__NONE, 0 };
	b2b__scope all = { B2B__SCOPE_ALL, 0, 0, 0 };

	/* category:tools matches tools/hand/small and tools, not toolsets */
	ck_assert(b2b__scope_matches(b, &tools, P_A1));
	ck_assert(b2b__scope_matches(b, &tools, P_B1));
	ck_assert(!b2b__scope_matches(b, &tools, P_A2));
	ck_assert(!b2b__scope_matches(b, &tools, P_C1));
	ck_assert(b2b__scope_matches(b, &hand, P_A1));
	ck_assert(!b2b__scope_matches(b, &hand, P_B1));     /* deeper than the product */
	ck_assert(b2b__scope_matches(b, &small, P_A1));
	ck_assert(b2b__scope_matches(b, &sets, P_A2));
	ck_assert(!b2b__scope_matches(b, &sets, P_A1));
	ck_assert(b2b__scope_matches(b, &a1, P_A1));
	ck_assert(!b2b__scope_matches(b, &a1, P_A2));
	ck_assert(!b2b__scope_matches(b, &unknown, P_A1));
	ck_assert(b2b__scope_matches(b, &all, P_C1));
	ck_assert(!b2b__scope_matches(b, &all, NPROD));     /* no such product */
	b2b_book_unref(b);
}
END_TEST

START_TEST(test_items_grouped_most_specific_first)
{
	b2b_book *b = fixture_ok(NULL);
	b2b__range g[B2B__ITEM_GROUPS_MAX];
	size_t n;

	/* A1 in tools/hand/small: sku (2 breaks), tools/hand, tools, all */
	n = b2b__book_items(b, L_BASE, P_A1, g, B2B__ITEM_GROUPS_MAX);
	ck_assert_uint_eq(n, 4);
	ck_assert_uint_eq(g[0].off, 0);
	ck_assert_uint_eq(g[0].n, 2);
	ck_assert_str_eq(b2b__s(b, b->items[g[1].off].scope.text), "category:tools/hand");
	ck_assert_uint_eq(g[1].n, 1);
	ck_assert_str_eq(b2b__s(b, b->items[g[2].off].scope.text), "category:tools");
	ck_assert_uint_eq(b->items[g[3].off].scope.kind, B2B__SCOPE_ALL);
	/* A2 in toolsets: no toolsets group; category:tools does not match */
	n = b2b__book_items(b, L_BASE, P_A2, g, B2B__ITEM_GROUPS_MAX);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(b2b__s(b, b->items[g[0].off].scope.text), "sku:A2");
	ck_assert_uint_eq(b->items[g[1].off].scope.kind, B2B__SCOPE_ALL);
	/* B1 in tools */
	n = b2b__book_items(b, L_BASE, P_B1, g, B2B__ITEM_GROUPS_MAX);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(b2b__s(b, b->items[g[0].off].scope.text), "category:tools");
	/* C1 without category */
	n = b2b__book_items(b, L_BASE, P_C1, g, B2B__ITEM_GROUPS_MAX);
	ck_assert_uint_eq(n, 1);
	ck_assert_uint_eq(b->items[g[0].off].scope.kind, B2B__SCOPE_ALL);
	/* a short buffer keeps the most specific */
	n = b2b__book_items(b, L_BASE, P_A1, g, 2);
	ck_assert_uint_eq(n, 2);
	ck_assert_uint_eq(g[0].off, 0);
	ck_assert_str_eq(b2b__s(b, b->items[g[1].off].scope.text), "category:tools/hand");
	/* other lists, no items, unknown product */
	n = b2b__book_items(b, L_SEG, P_C1, g, B2B__ITEM_GROUPS_MAX);
	ck_assert_uint_eq(n, 1);
	ck_assert_uint_eq(b->items[g[0].off].list, L_SEG);
	ck_assert_uint_eq(b2b__book_items(b, L_WEB, P_A1, g, B2B__ITEM_GROUPS_MAX), 0);
	ck_assert_uint_eq(b2b__book_items(b, L_BASE, NPROD, g, B2B__ITEM_GROUPS_MAX), 0);
	/* contract items */
	n = b2b__book_citems(b, 0, P_A1, g, B2B__ITEM_GROUPS_MAX);
	ck_assert_uint_eq(n, 2);
	ck_assert_uint_eq(g[0].off, 0);
	ck_assert_uint_eq(g[1].off, 1);
	n = b2b__book_citems(b, 0, P_A2, g, B2B__ITEM_GROUPS_MAX);
	ck_assert_uint_eq(n, 0);
	b2b_book_unref(b);
}
END_TEST

START_TEST(test_items_any_group_order)
{
	fixopt fo = { 0 };
	b2b_book *b;
	b2b__range g[8];
	size_t n;

	fo.swap_item_groups = 1;
	b = fixture_ok(&fo);
	n = b2b__book_items(b, L_BASE, P_A1, g, 8);
	ck_assert_uint_eq(n, 4);
	ck_assert_uint_eq(g[0].off, 4);
	ck_assert_uint_eq(g[0].n, 2);
	ck_assert_str_eq(b2b__s(b, b->items[g[1].off].scope.text), "category:tools/hand");
	ck_assert_str_eq(b2b__s(b, b->items[g[2].off].scope.text), "category:tools");
	ck_assert_uint_eq(b->items[g[3].off].scope.kind, B2B__SCOPE_ALL);
	b2b_book_unref(b);
}
END_TEST

/*===========================================================================
 * MARK: - Core: candidate lists, rules, promotions
 *===========================================================================*/

static void
assert_range(const b2b_book *b, b2b__range r, const uint32_t *want, size_t n)
{
	size_t i;

	ck_assert_uint_eq(r.n, n);
	for (i = 0; i < n; i++)
		ck_assert_uint_eq(b->u32[r.off + i], want[i]);
}

START_TEST(test_lists_applying)
{
	b2b_book *b = fixture_ok(NULL);
	static const uint32_t seg[] = { L_SEG3, L_SEG, L_SEG2 };  /* 9, then 5 by id */
	static const uint32_t def[] = { L_SEG3, L_BASE };
	static const uint32_t web[] = { L_WEB };
	static const uint32_t c1[] = { L_CUST };

	assert_range(b, b2b__book_lists_applying(b, B2B__APPLY_SEGMENT, "wholesale", 9), seg, 3);
	assert_range(b, b2b__book_lists_applying(b, B2B__APPLY_DEFAULT, NULL, 0), def, 2);
	assert_range(b, b2b__book_lists_applying(b, B2B__APPLY_DEFAULT, "x", 1), def, 2);
	assert_range(b, b2b__book_lists_applying(b, B2B__APPLY_CHANNEL, "web", 3), web, 1);
	assert_range(b, b2b__book_lists_applying(b, B2B__APPLY_CUSTOMER, "C1", 2), c1, 1);
	ck_assert_uint_eq(b2b__book_lists_applying(b, B2B__APPLY_CUSTOMER, "C2", 2).n, 0);
	ck_assert_uint_eq(b2b__book_lists_applying(b, B2B__APPLY_SEGMENT, "retail", 6).n, 0);
	ck_assert_uint_eq(b2b__book_lists_applying(b, B2B__APPLY_SEGMENT, "web", 3).n, 0);
	ck_assert_uint_eq(b2b__book_lists_applying(b, B2B__APPLY_SEGMENT, NULL, 0).n, 0);
	/* the customer's own cell is untouched */
	ck_assert_uint_eq(b->u32[b->customers[0].lists_off], L_WEB);
	b2b_book_unref(b);
}
END_TEST

START_TEST(test_rules_and_promos_order)
{
	b2b_book *b = fixture_ok(NULL);
	uint32_t out[8];
	b2b__range r;

	/* A1: R_A (category:tools, prio 10), R_B (sku:A1, 5), R_C (all, 5) */
	ck_assert_uint_eq(b2b__book_rules_for(b, P_A1, out, 8), 3);
	ck_assert_uint_eq(out[0], 0);
	ck_assert_uint_eq(out[1], 1);
	ck_assert_uint_eq(out[2], 2);
	/* a short buffer: the count, and the first in order */
	ck_assert_uint_eq(b2b__book_rules_for(b, P_A1, out, 1), 3);
	ck_assert_uint_eq(out[0], 0);
	ck_assert_uint_eq(b2b__book_rules_for(b, P_A1, out, 0), 3);
	/* A2 in toolsets: R_C (all), R_D (category:toolsets) */
	ck_assert_uint_eq(b2b__book_rules_for(b, P_A2, out, 8), 2);
	ck_assert_uint_eq(out[0], 2);
	ck_assert_uint_eq(out[1], 3);
	/* C1: only R_C; the unknown-sku rule R_E matches nothing */
	ck_assert_uint_eq(b2b__book_rules_for(b, P_C1, out, 8), 1);
	ck_assert_uint_eq(out[0], 2);
	ck_assert_uint_eq(b2b__book_rules_for(b, NPROD, out, 8), 0);

	/* line promotions: P1 all, P3 category:tools/hand, P4 sku:A2 */
	ck_assert_uint_eq(b2b__book_promos_for(b, P_A1, out, 8), 2);
	ck_assert_uint_eq(out[0], 0);
	ck_assert_uint_eq(out[1], 2);
	ck_assert_uint_eq(b2b__book_promos_for(b, P_A2, out, 8), 2);
	ck_assert_uint_eq(out[0], 0);
	ck_assert_uint_eq(out[1], 3);
	ck_assert_uint_eq(b2b__book_promos_for(b, P_B1, out, 8), 1);
	/* order promotions in walk order */
	r = b2b__book_order_promos(b);
	ck_assert_uint_eq(r.n, 2);
	ck_assert_uint_eq(b->u32[r.off], 1);
	ck_assert_uint_eq(b->u32[r.off + 1], 4);
	/* codes */
	ck_assert_uint_eq(b2b__book_promos_by_code(b, "SAVE", 4), 1);
	ck_assert_uint_eq(b2b__book_promos_by_code(b, "SAV", 3), 0);
	ck_assert_uint_eq(b2b__book_promos_by_code(b, "", 0), 0);
	b2b_book_unref(b);
}
END_TEST

/*===========================================================================
 * MARK: - Core: FX and taxes
 *===========================================================================*/

static void
assert_dec(b2b_dec got, const char *want)
{
	char buf[B2B_DEC_FORMAT_MAX];

	ck_assert_int_eq(b2b_dec_format(buf, sizeof buf, NULL, got, B2B_DEC_SCALE_EXACT,
	                                B2B_ROUND_HALF_UP), 0);
	ck_assert_str_eq(buf, want);
}

START_TEST(test_fx)
{
	b2b_book *b = fixture_ok(NULL);
	b2b_dec r;
	uint16_t sf = 99, st = 99;

	/* direct: the latest row with valid_from <= t */
	ck_assert_int_eq(b2b__book_fx(b, EUR, USD, T("2026-03-01"), &r, &sf, &st), 0);
	assert_dec(r, "1.1");
	ck_assert_uint_eq(sf, EUR);
	ck_assert_uint_eq(st, USD);
	ck_assert_int_eq(b2b__book_fx(b, EUR, USD, T("2026-06-01"), &r, NULL, NULL), 0);
	assert_dec(r, "1.2");                       /* valid_from is inclusive */
	ck_assert_int_eq(b2b__book_fx(b, EUR, USD, T("2026-05-31T23:59:59Z"), &r, NULL, NULL), 0);
	assert_dec(r, "1.1");
	/* before the first row: no direct rate, no inverse → none */
	ck_assert_int_eq(b2b__book_fx(b, EUR, USD, T("2025-12-31"), &r, NULL, NULL), B2B_ECURRENCY);
	/* inverse: r9(1 ÷ 1.1) = 0.909090909 (…0909 rounds down), source names the row */
	ck_assert_int_eq(b2b__book_fx(b, USD, EUR, T("2026-03-01"), &r, &sf, &st), 0);
	assert_dec(r, "0.909090909");
	ck_assert_uint_eq(sf, EUR);
	ck_assert_uint_eq(st, USD);
	ck_assert_int_eq(b2b__book_fx(b, USD, EUR, T("2026-07-01"), &r, NULL, NULL), 0);
	assert_dec(r, "0.833333333");
	/* r9(1 ÷ 1.17) = 0.854700854|70… → half_up 0.854700855 */
	ck_assert_int_eq(b2b__book_fx(b, EUR, GBP, T("2000-01-01"), &r, &sf, &st), 0);
	assert_dec(r, "0.854700855");
	ck_assert_uint_eq(sf, GBP);
	ck_assert_uint_eq(st, EUR);
	/* an open valid_from is the earliest */
	ck_assert_int_eq(b2b__book_fx(b, GBP, EUR, T("0001-01-01"), &r, NULL, NULL), 0);
	assert_dec(r, "1.17");
	/* no triangulation */
	ck_assert_int_eq(b2b__book_fx(b, USD, GBP, T("2026-07-01"), &r, NULL, NULL), B2B_ECURRENCY);
	ck_assert_int_eq(b2b__book_fx(b, GBP, USD, T("2026-07-01"), &r, NULL, NULL), B2B_ECURRENCY);
	/* same currency: 1 */
	ck_assert_int_eq(b2b__book_fx(b, USD, USD, T("2026-07-01"), &r, &sf, &st), 0);
	assert_dec(r, "1");
	ck_assert_uint_eq(sf, USD);
	b2b_book_unref(b);
}
END_TEST

START_TEST(test_fx_inverse_rounding_mode)
{
	b2b_book *b = fixture_ok(NULL);
	b2b_dec r;

	/* 1 ÷ 1.17 = 0.8547008547…: down → 0.854700854 */
	b->settings.rounding = B2B_ROUND_DOWN;
	ck_assert_int_eq(b2b__book_fx(b, EUR, GBP, T("2026-01-01"), &r, NULL, NULL), 0);
	assert_dec(r, "0.854700854");
	b2b_book_unref(b);
}
END_TEST

START_TEST(test_tax_rate)
{
	b2b_book *b = fixture_ok(NULL);

	assert_dec(b2b__book_tax_rate(b, 0, "DE", 2), "19");      /* (std, DE) */
	assert_dec(b2b__book_tax_rate(b, 0, "FR", 2), "20");      /* (std, *) */
	assert_dec(b2b__book_tax_rate(b, 0, "DEU", 2), "19");     /* len counts */
	assert_dec(b2b__book_tax_rate(b, 0, NULL, 0), "20");      /* no ship_to */
	assert_dec(b2b__book_tax_rate(b, 1, "DE", 2), "7");       /* (red, *) */
	assert_dec(b2b__book_tax_rate(b, 2, "DE", 2), "0");       /* a class without rows */
	assert_dec(b2b__book_tax_rate(b, UINT16_MAX, "DE", 2), "0"); /* no tax_class */
	assert_dec(b2b__book_tax_rate(b, 7, "DE", 2), "0");
	b2b_book_unref(b);
}
END_TEST

/*===========================================================================
 * MARK: - Core: reference counting, memory
 *===========================================================================*/

START_TEST(test_ref_unref_frees_everything)
{
	failalloc fa;
	b2b_allocator a;
	b2b_book *b;

	failalloc_init(&fa, -1);
	a = failalloc_allocator(&fa);
	ck_assert_int_eq(fixture(&b, &a, NULL, 0), 0);
	ck_assert_uint_eq(atomic_load(&b->refs), 1);
	ck_assert_ptr_eq(b2b_book_ref(b), b);
	ck_assert_ptr_eq(b2b_book_ref(b), b);
	ck_assert_uint_eq(atomic_load(&b->refs), 3);
	b2b_book_unref(b);
	b2b_book_unref(b);
	ck_assert_uint_eq(atomic_load(&b->refs), 1);
	ck_assert_int_gt(fa.live, 0);
	b2b_book_unref(b);
	ck_assert_int_eq(fa.live, 0);
	ck_assert_int_eq(fa.bad_size, 0);
	b2b_book_unref(NULL);
	ck_assert_ptr_null(b2b_book_ref(NULL));
}
END_TEST

static int
build_body(const b2b_allocator *a, void *ud)
{
	b2b_book *b;
	int rc;

	(void)ud;
	rc = fixture(&b, a, NULL, 0);
	if (rc == 0)
		b2b_book_unref(b);
	return rc;
}

START_TEST(test_index_build_oom)
{
	long n = failalloc_loop(build_body, NULL, 500);

	ck_assert_int_gt(n, 20);
}
END_TEST

/* An empty book with one currency (EUR) and `n` products "K000000"… (no index yet). */
static b2b_book *
bare_book(const b2b_allocator *a, size_t n)
{
	b2b_book *b = b2b__calloc(a, 1, sizeof *b);
	char *s;
	size_t i;

	ck_assert_ptr_nonnull(b);
	atomic_init(&b->refs, 1);
	b->alloc = *a;
	b->settings.rounding = B2B_ROUND_HALF_UP;
	b->settings.unit_price_decimals = 4;
	b->settings.max_discount_percent = D("100");
	b->currencies = b2b__calloc(a, 1, sizeof *b->currencies);
	ck_assert_ptr_nonnull(b->currencies);
	memcpy(b->currencies[0].code, "EUR", 4);
	b->currencies[0].minor_units = 2;
	b->ncurrencies = 1;
	s = b2b__calloc(a, 1, 1 + n * 8 + 32);   /* room for a test's own strings */
	ck_assert_ptr_nonnull(s);
	b->strings = s;
	b->strings_len = 1 + n * 8 + 32;
	if (n > 0) {
		b->products = b2b__calloc(a, n, sizeof *b->products);
		ck_assert_ptr_nonnull(b->products);
		b->nproducts = n;
	}
	for (i = 0; i < n; i++) {
		snprintf(s + 1 + i * 8, 8, "K%06zu", i);
		b->products[i].sku = (b2b__str)(1 + i * 8);
		b->products[i].category = B2B__NONE;
		b->products[i].ext = B2B__NONE;
		b->products[i].tax_class = UINT16_MAX;
	}
	return b;
}

START_TEST(test_memory_per_product)
{
	/* 56 bytes of record + 8 of index slots per product (load factor 0.5) */
	b2b_allocator a;
	b2b_book *b0, *b1;
	size_t n = 1000;

	ck_assert_uint_eq(sizeof(b2b__product), 56);
	b2b__alloc_init(&a, NULL);
	b0 = bare_book(&a, 0);
	b1 = bare_book(&a, n);
	ck_assert_int_eq(b2b__book_index_build(b0), 0);
	ck_assert_int_eq(b2b__book_index_build(b1), 0);
	ck_assert_uint_gt(b2b_book_memory(b0), sizeof *b0);
	ck_assert_uint_eq(b2b_book_memory(b1) - b2b_book_memory(b0), n * (56 + 8) + n * 8);
	ck_assert_uint_eq(b2b_book_memory(b1) - b1->strings_len - b2b_book_memory(b0) +
	                  b0->strings_len, n * 64);
	/* the public breakdown of the same figures */
	ck_assert_uint_eq(b2b_book_memory_of(b1, B2B_BOOK_MEMORY_TOTAL), b2b_book_memory(b1));
	ck_assert_uint_eq(b2b_book_memory_of(b1, B2B_BOOK_MEMORY_STRINGS), b1->strings_len);
	ck_assert_uint_eq(b2b_book_memory_of(b1, B2B_BOOK_MEMORY_PRODUCT_RECORD), 56);
	ck_assert_uint_eq(b2b_book_memory_of(b1, B2B_BOOK_MEMORY_ITEM_RECORD), 64);
	ck_assert_uint_eq(sizeof(b2b__item), 64);
	/* no plan on a bare book (the load builds it) */
	ck_assert_uint_eq(b2b_book_memory_of(b1, B2B_BOOK_MEMORY_PLAN), 0);
	ck_assert_uint_eq(b2b_book_memory_of(b1, (b2b_book_memory_part)5), 0);
	ck_assert_uint_eq(b2b_book_memory_of(NULL, B2B_BOOK_MEMORY_TOTAL), 0);
	b2b_book_unref(b0);
	b2b_book_unref(b1);
}
END_TEST

START_TEST(test_many_keys_all_found)
{
	/* 50,000 products through the hash: every key found at its index */
	b2b_allocator a;
	b2b_book *b;
	size_t n = 50000, i;
	char key[16];

	b2b__alloc_init(&a, NULL);
	b = bare_book(&a, n);
	ck_assert_int_eq(b2b__book_index_build(b), 0);
	for (i = 0; i < n; i++) {
		snprintf(key, sizeof key, "K%06zu", i);
		ck_assert_uint_eq(b2b__book_product(b, key, 7), i);
	}
	ck_assert_uint_eq(b2b__book_product(b, "K050000", 7), B2B__NONE);
	ck_assert_uint_eq(b2b__book_product(b, "K00000", 6), B2B__NONE);
	ck_assert_int_eq(b2b__book_fingerprint(b), 0);
	ck_assert_uint_eq(strlen(b2b_book_fingerprint(b)), 64);
	/* building the index again gives the same book */
	ck_assert_int_eq(b2b__book_index_build(b), 0);
	ck_assert_uint_eq(b2b__book_product(b, "K049999", 7), n - 1);
	b2b_book_unref(b);
}
END_TEST

/* pool_key_eq() (the word-at-a-time compare of key lookups) gives
 * pool_eq()'s answer for every offset of a pool and every key: the pool's
 * strings themselves, each with a byte changed, a NUL put in, a byte cut
 * or added, at every length from 0 to 20, and strings ending at the very
 * end of the pool (where a word load past the string would leave it). */
START_TEST(test_pool_key_eq_matches_byte_loop)
{
	static const char *const words[] = {
		"SKU00007919", "C000123", "SKU0000791", "SKU000079190", "abcdefghijklmnopqrst",
		"abcdefgh", "abcdefg", "abcd", "abc", "a", "Z", "héllo wörld", "K000001", "efgh", "Q",
		"ijklmnopqrst", "RS", "xyzw",
	};
	char pl[512], key[32];
	size_t n = 1, w, off, k, len, pos, checked = 0;
	b2b_book bk;

	memset(&bk, 0, sizeof bk);
	pl[0] = '\0';
	for (w = 0; w < sizeof words / sizeof words[0]; w++) {
		memcpy(pl + n, words[w], strlen(words[w]) + 1);
		n += strlen(words[w]) + 1;
	}
	bk.strings = pl;
	bk.strings_len = n;        /* "xyzw" ends the pl */
	for (off = 0; off < n; off++) {
		for (w = 0; w < sizeof words / sizeof words[0] + 1; w++) {
			const char *base = w < sizeof words / sizeof words[0] ? words[w] : pl + off;
			size_t blen = strlen(base);

			for (len = 0; len <= 20; len++) {
				/* the raw bytes of the pool from off, NULs and the next
				 * strings included (the key a word compare could take
				 * for a match), else the word cut or padded to len bytes */
				for (k = 0; k < len; k++)
					key[k] = w == sizeof words / sizeof words[0] && off + k < n
					         ? pl[off + k] : k < blen ? base[k] : 'q';
				ck_assert_int_eq(pool_key_eq(&bk, (b2b__str)off, key, len),
				                 pool_eq(pl + off, key, len));
				for (pos = 0; pos < len; pos++) {
					char keep = key[pos];

					key[pos] = (char)(keep ^ 0x20);
					ck_assert_int_eq(pool_key_eq(&bk, (b2b__str)off, key, len),
					                 pool_eq(pl + off, key, len));
					key[pos] = '\0';
					ck_assert_int_eq(pool_key_eq(&bk, (b2b__str)off, key, len),
					                 pool_eq(pl + off, key, len));
					key[pos] = keep;
					checked += 2;
				}
				checked++;
			}
		}
	}
	/* and the answers are the expected ones where it matters */
	ck_assert(pool_key_eq(&bk, 1, "SKU00007919", 11));
	ck_assert(!pool_key_eq(&bk, 1, "SKU0000791", 10));
	ck_assert(!pool_key_eq(&bk, 1, "SKU00007919\0", 12));
	ck_assert(pool_key_eq(&bk, (b2b__str)(n - 5), "xyzw", 4));
	ck_assert(!pool_key_eq(&bk, (b2b__str)(n - 5), "xyzwv", 5));
	ck_assert_uint_gt(checked, 100000);
}
END_TEST

/*
 * b2b_book_find_products() / _customers(): the same handles as one call
 * per key, across several groups of 16, with unknown, empty, repeated and
 * NUL-terminated keys.
 */
START_TEST(test_find_many)
{
	b2b_allocator a;
	b2b_book *b;
	size_t n = 5000, m = 0, found = 99, i;
	static char buf[100][16];
	const char *keys[100];
	size_t lens[100];
	uint32_t out[100], one;

	b2b__alloc_init(&a, NULL);
	b = bare_book(&a, n);
	ck_assert_int_eq(b2b__book_index_build(b), 0);
	for (i = 0; i < 100; i++) {
		/* every 7th key unknown, every 11th empty, the rest in and out of order */
		if (i % 7 == 3)
			snprintf(buf[i], sizeof buf[i], "X%06zu", i);
		else if (i % 11 == 5)
			buf[i][0] = '\0';
		else
			snprintf(buf[i], sizeof buf[i], "K%06zu", (i * 977) % n);
		keys[i] = buf[i];
		lens[i] = strlen(buf[i]);
	}
	keys[40] = keys[41];   /* a repeated key */
	lens[40] = lens[41];
	ck_assert_int_eq(b2b_book_find_products(out, &found, b, keys, lens, 100), 0);
	for (i = 0; i < 100; i++) {
		int rc = b2b_book_find_product(&one, b, keys[i], lens[i]);

		if (rc == 0) {
			ck_assert_uint_eq(out[i], one);
			m++;
		} else {
			ck_assert_int_eq(rc, B2B_ENOTFOUND);
			ck_assert_uint_eq(out[i], UINT32_MAX);
		}
	}
	ck_assert_uint_eq(found, m);
	ck_assert_uint_eq(m, 78);
	ck_assert_uint_eq(out[0], 0);
	ck_assert_uint_eq(out[1], 977);
	ck_assert_uint_eq(out[40], out[41]);
	/* lens NULL: NUL-terminated keys, and a length cutting a key short */
	ck_assert_int_eq(b2b_book_find_products(out, NULL, b, keys, NULL, 100), 0);
	ck_assert_uint_eq(out[1], 977);
	lens[1] = 6;
	ck_assert_int_eq(b2b_book_find_products(out, &found, b, keys, lens, 2), 0);
	ck_assert_uint_eq(out[1], UINT32_MAX);
	ck_assert_uint_eq(found, 1);
	/* customers: the bare book has none */
	ck_assert_int_eq(b2b_book_find_customers(out, &found, b, keys, NULL, 3), 0);
	ck_assert_uint_eq(found, 0);
	ck_assert_uint_eq(out[0], UINT32_MAX);
	/* bad arguments write nothing */
	out[0] = 7;
	keys[1] = NULL;
	ck_assert_int_eq(b2b_book_find_products(out, &found, b, keys, lens, 2), B2B_EINVAL);
	ck_assert_uint_eq(out[0], 7);
	ck_assert_int_eq(b2b_book_find_products(out, &found, NULL, keys, lens, 1), B2B_EINVAL);
	ck_assert_int_eq(b2b_book_find_products(NULL, &found, b, keys, lens, 1), B2B_EINVAL);
	ck_assert_int_eq(b2b_book_find_products(NULL, &found, b, NULL, NULL, 0), 0);
	ck_assert_uint_eq(found, 0);
	b2b_book_unref(b);
}
END_TEST

/*
 * find_many() fetches the first 4 occupied slots of a key's run at once
 * and goes on slot by slot after them: every key of a 20,000-key table,
 * and as many unknown ones, gets the handle of one call per key, and the
 * table has keys 4 and more slots from home (the path after the
 * candidates) and unknown keys whose run is longer than 4.
 */
START_TEST(test_find_many_long_runs)
{
	enum { N = 20000, G = 1000 };
	b2b_allocator a;
	b2b_book *b;
	const b2b__hash *h;
	static char buf[2 * G][16];
	const char *keys[2 * G];
	size_t lens[2 * G], g, i, far_found = 0, far_unknown = 0;
	uint32_t out[2 * G], one;

	b2b__alloc_init(&a, NULL);
	b = bare_book(&a, N);
	ck_assert_int_eq(b2b__book_index_build(b), 0);
	h = &b->index->products;
	for (g = 0; g < N / G; g++) {
		for (i = 0; i < 2 * G; i++) {
			if (i < G)
				snprintf(buf[i], sizeof buf[i], "K%06zu", g * G + i);
			else
				snprintf(buf[i], sizeof buf[i], "U%06zu", g * G + i);
			keys[i] = buf[i];
			lens[i] = strlen(buf[i]);
		}
		ck_assert_int_eq(b2b_book_find_products(out, NULL, b, keys, lens, 2 * G), 0);
		for (i = 0; i < 2 * G; i++) {
			uint32_t s = home(b2b__ix_hash_bytes(keys[i], lens[i], 0), h->n), d = 0;
			int rc = b2b_book_find_product(&one, b, keys[i], lens[i]);

			if (i < G) {
				ck_assert_int_eq(rc, 0);
				ck_assert_uint_eq(out[i], one);
				ck_assert_uint_eq(out[i], g * G + i);
				while (h->slots[(s + d) % h->n] != one)
					d++;
				far_found += d >= 4;
			} else {
				ck_assert_int_eq(rc, B2B_ENOTFOUND);
				ck_assert_uint_eq(out[i], UINT32_MAX);
				while (h->slots[(s + d) % h->n] != UINT32_MAX)
					d++;
				far_unknown += d > 4;
			}
		}
	}
	ck_assert_uint_gt(far_found, 50);
	ck_assert_uint_gt(far_unknown, 50);
	b2b_book_unref(b);
}
END_TEST

/*===========================================================================
 * MARK: - Core: fingerprint canonical form
 *===========================================================================*/

static void
sha_hex(const char *text, char out[65])
{
	b2b__sha256 s;
	unsigned char d[32];

	b2b__sha256_init(&s);
	b2b__sha256_update(&s, text, strlen(text));
	b2b__sha256_final(&s, d);
	b2b__sha256_hex(d, out);
}

#define EMPTY_TABLES_AFTER_PRODUCTS \
	"@customers|id|name|segment|channel|currency|price_lists|catalog|credit_limit" \
	"|open_balance|payment_terms|regions|min_order_value|budget\n" \
	"@price_lists|id|currency|priority|valid_from|valid_until|parent|applies_to|tier_mode\n" \
	"@price_list_items|list|scope|min_qty|valid_from|valid_until|compute|price" \
	"|discount_percent|base|surcharge|round_to|min_margin|max_margin\n" \
	"@contracts|id|customer|currency|valid_from|valid_until|policy|allow_promotions\n" \
	"@contract_items|contract|scope|min_qty|price|discount_percent\n" \
	"@dynamic_rules|id|scope|signal|priority|valid_from|valid_until|points|markup_percent" \
	"|offset_percent|min_factor|max_factor|max_change_percent|price_step\n" \
	"@promotions|id|kind|value|scope|segment|code|valid_from|valid_until|priority" \
	"|stacking|buy_qty|get_qty|min_subtotal\n" \
	"@taxes|tax_class|region|rate_percent\n" \
	"@approval_rules|id|metric|threshold|level\n"

#define PRODUCTS_HEADER \
	"@products|sku|list_price|name|category|uom|currency|cost|pack_size|min_qty|max_qty" \
	"|status|tax_class|on_hand|daily_demand|baseline_demand|competitor_price|prev_price\n"

START_TEST(test_fingerprint_canonical_text)
{
	/* A tiny book whose canonical form is written out here by hand
	 * (README "Fingerprint"): any change to the format shows. */
	static const char strings[] = "\0X|1\0a;b\n";   /* "", "X|1", "a;b\n" */
	const char *text =
		"b2b-book-fingerprint v1\n"
		"@settings|key|value\n"
		"base_currency|EUR\n"
		"rounding_mode|half_up\n"
		"unit_price_decimals|4\n"
		"tax_rounding|line\n"
		"max_discount_percent|100\n"
		"price_tolerance|0\n"
		"@currencies|code|minor_units|cash_increment\n"
		"EUR|2|0.05\n"
		"@fx_rates|from|to|rate|valid_from\n"
		PRODUCTS_HEADER
		"X\\|1|10.5|a\\;b\\x0a|||EUR|0.001||||inactive||||||\n"
		EMPTY_TABLES_AFTER_PRODUCTS;
	b2b_allocator a;
	b2b_book *b;
	char want[65];
	char *s;

	b2b__alloc_init(&a, NULL);
	b = bare_book(&a, 1);
	s = (char *)b->strings;
	ck_assert_uint_ge(b->strings_len, sizeof strings);
	memcpy(s, strings, sizeof strings);
	b->currencies[0].cash_increment = O("0.050");
	b->products[0].sku = 1;
	b->products[0].name = 5;
	b->products[0].list_price = D("10.50");
	b->products[0].cost = D("0.0010");
	b->products[0].flags = B2B__P_HAS_COST | B2B__P_INACTIVE;
	ck_assert_int_eq(b2b__book_index_build(b), 0);
	ck_assert_int_eq(b2b__book_fingerprint(b), 0);
	sha_hex(text, want);
	ck_assert_str_eq(b2b_book_fingerprint(b), want);
	/* optional settings appear when set */
	b->settings.min_margin_percent = O("5.0");
	b->settings.quote_validity_days = 30;
	b->settings.tax_document = 1;
	b->settings.rounding = B2B_ROUND_HALF_EVEN;
	ck_assert_int_eq(b2b__book_fingerprint(b), 0);
	sha_hex("b2b-book-fingerprint v1\n"
		"@settings|key|value\n"
		"base_currency|EUR\n"
		"rounding_mode|half_even\n"
		"unit_price_decimals|4\n"
		"tax_rounding|document\n"
		"max_discount_percent|100\n"
		"min_margin_percent|5\n"
		"price_tolerance|0\n"
		"quote_validity_days|30\n"
		"@currencies|code|minor_units|cash_increment\n"
		"EUR|2|0.05\n"
		"@fx_rates|from|to|rate|valid_from\n"
		PRODUCTS_HEADER
		"X\\|1|10.5|a\\;b\\x0a|||EUR|0.001||||inactive||||||\n"
		EMPTY_TABLES_AFTER_PRODUCTS, want);
	ck_assert_str_eq(b2b_book_fingerprint(b), want);
	b2b_book_unref(b);
}
END_TEST

START_TEST(test_fingerprint_decimal_spelling)
{
	/* the fingerprint writes decimals itself (a 64-bit fast path): its text
	 * must be b2b_dec_format()'s shortest exact form for every value */
	b2b_allocator a;
	b2b_book *b;
	char want[65], num[B2B_DEC_FORMAT_MAX], text[2048];
	uint64_t x = 88172645463325252u;
	int i;

	b2b__alloc_init(&a, NULL);
	b = bare_book(&a, 1);
	ck_assert_int_eq(b2b__book_index_build(b), 0);
	for (i = 0; i < 3000; i++) {
		b2b_dec v;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		switch (i % 6) {
		case 0: v.lo = x % 1000; v.hi = 0; break;                  /* tiny */
		case 1: v.lo = x % 100000000000u * 1000000; v.hi = 0; break; /* trailing zeros */
		case 2: v.lo = x >> 1; v.hi = 0; break;                     /* up to 2^63 */
		case 3: v.lo = (uint64_t)0 - (x >> 1); v.hi = -1; break;    /* negative */
		case 4: v.lo = x; v.hi = (int64_t)(x % 1000); break;        /* beyond 64 bits */
		default: v.lo = i == 5 ? 0 : (uint64_t)INT64_MAX + (uint64_t)(i % 3); v.hi = 0; break;
		}
		if (i == 11)
			v.lo = (uint64_t)INT64_MAX + 1, v.hi = -1;              /* -2^63 */
		b->products[0].list_price = v;
		ck_assert_int_eq(b2b_dec_format(num, sizeof num, NULL, v, B2B_DEC_SCALE_EXACT,
		                                B2B_ROUND_HALF_UP), 0);
		snprintf(text, sizeof text,
		         "b2b-book-fingerprint v1\n@settings|key|value\nbase_currency|EUR\n"
		         "rounding_mode|half_up\nunit_price_decimals|4\ntax_rounding|line\n"
		         "max_discount_percent|100\nprice_tolerance|0\n"
		         "@currencies|code|minor_units|cash_increment\nEUR|2|\n"
		         "@fx_rates|from|to|rate|valid_from\n" PRODUCTS_HEADER
		         "K000000|%s||||EUR|||||active||||||\n" EMPTY_TABLES_AFTER_PRODUCTS, num);
		ck_assert_int_eq(b2b__book_fingerprint(b), 0);
		sha_hex(text, want);
		if (strcmp(b2b_book_fingerprint(b), want) != 0)
			ck_abort_msg("value %s (case %d) is written otherwise", num, i % 6);
	}
	b2b_book_unref(b);
}
END_TEST

START_TEST(test_fingerprint_canonical_text_every_table)
{
	/* The fixture's canonical form, checked line by line against SPEC §3
	 * and README "Fingerprint": rows sorted by key, sets sorted, every
	 * column present, effective defaults written. */
	const char *text =
		"b2b-book-fingerprint v1\n"
		"@settings|key|value\n"
		"base_currency|EUR\n"
		"rounding_mode|half_up\n"
		"unit_price_decimals|4\n"
		"tax_rounding|line\n"
		"max_discount_percent|100\n"
		"price_tolerance|0\n"
		"@currencies|code|minor_units|cash_increment\n"
		"EUR|2|0.05\n"
		"GBP|2|\n"
		"USD|2|\n"
		"@fx_rates|from|to|rate|valid_from\n"
		"EUR|USD|1.1|2026-01-01T00:00:00Z\n"
		"EUR|USD|1.2|2026-06-01T00:00:00Z\n"
		"GBP|EUR|1.17|\n"
		"@products|sku|list_price|name|category|uom|currency|cost|pack_size|min_qty|max_qty|status|tax_class|on_hand|daily_demand|baseline_demand|competitor_price|prev_price\n"
		"A1|10.5|Hammer \\| small|tools/hand/small|pc|EUR|4||||active|std|12||||\n"
		"A2|10.5||toolsets||EUR|||||active|red|||||\n"
		"B1|10.5||tools||EUR|||||active|none|||||\n"
		"C1|10.5||||EUR|||||active||||||\n"
		"@customers|id|name|segment|channel|currency|price_lists|catalog|credit_limit|open_balance|payment_terms|regions|min_order_value|budget\n"
		"C1||wholesale|web||WEB;BASE|||||||\n"
		"C2||retail||||||||||\n"
		"@price_lists|id|currency|priority|valid_from|valid_until|parent|applies_to|tier_mode\n"
		"BASE|EUR|0||||default|all_units\n"
		"CUST|EUR|0||||customer:C1|all_units\n"
		"SEG|EUR|5|||BASE|segment:wholesale|all_units\n"
		"SEG2|EUR|5||||segment:wholesale|all_units\n"
		"SEG3|EUR|9||||default;segment:wholesale|all_units\n"
		"WEB|EUR|0||||channel:web|all_units\n"
		"@price_list_items|list|scope|min_qty|valid_from|valid_until|compute|price|discount_percent|base|surcharge|round_to|min_margin|max_margin\n"
		"BASE|all|0|||fixed|10||||||\n"
		"BASE|category:tools|0|||fixed|8||||||\n"
		"BASE|category:tools/hand|0|||fixed|7||||||\n"
		"BASE|sku:A1|0|||fixed|6||||||\n"
		"BASE|sku:A1|10|||fixed|5||||||\n"
		"BASE|sku:A2|0|||fixed|9||||||\n"
		"SEG|all|0|||discount||10|list||||\n"
		"@contracts|id|customer|currency|valid_from|valid_until|policy|allow_promotions\n"
		"K1|C1|EUR|||override|0\n"
		"@contract_items|contract|scope|min_qty|price|discount_percent\n"
		"K1|category:tools|0||15\n"
		"K1|sku:A1|0|3|\n"
		"@dynamic_rules|id|scope|signal|priority|valid_from|valid_until|points|markup_percent|offset_percent|min_factor|max_factor|max_change_percent|price_step\n"
		"R_A|category:tools|cost_plus|10||||25|||||\n"
		"R_B|sku:A1|cost_plus|5||||25|||||\n"
		"R_C|all|cost_plus|5||||25|||||\n"
		"R_D|category:toolsets|cost_plus|1||||25|||||\n"
		"R_E|sku:ZZ|cost_plus|0||||25|||||\n"
		"@promotions|id|kind|value|scope|segment|code|valid_from|valid_until|priority|stacking|buy_qty|get_qty|min_subtotal\n"
		"P1|percent|1|all|||||9|stackable|||\n"
		"P2|order_percent|1||||||8|stackable|||\n"
		"P3|amount|1|category:tools/hand||SAVE|||7|stackable|||\n"
		"P4|fixed_price|1|sku:A2|||||6|stackable|||\n"
		"P5|order_amount|1||||||1|stackable|||\n"
		"@taxes|tax_class|region|rate_percent\n"
		"red|*|7\n"
		"std|*|20\n"
		"std|DE|19\n"
		"@approval_rules|id|metric|threshold|level\n";
	b2b_book *b = fixture_ok(NULL);
	char want[65];

	sha_hex(text, want);
	ck_assert_str_eq(b2b_book_fingerprint(b), want);
	b2b_book_unref(b);
}
END_TEST

START_TEST(test_fingerprint_layout_independent)
{
	fixopt fo = { 0 };
	b2b_book *b1, *b2, *b3;

	b1 = fixture_ok(NULL);
	fo.swap_item_groups = 1;
	b2 = fixture_ok(&fo);
	fo.change_price = 1;
	b3 = fixture_ok(&fo);
	ck_assert_uint_eq(strlen(b2b_book_fingerprint(b1)), 64);
	ck_assert_str_eq(b2b_book_fingerprint(b1), b2b_book_fingerprint(b2));
	ck_assert_str_ne(b2b_book_fingerprint(b1), b2b_book_fingerprint(b3));
	b2b_book_unref(b1);
	b2b_book_unref(b2);
	b2b_book_unref(b3);
}
END_TEST

START_TEST(test_fingerprint_effective_defaults)
{
	b2b_book *b1 = fixture_ok(NULL), *b2 = fixture_ok(NULL);
	char f1[65];

	/* a competitor rule: no offset_percent = offset_percent 0 (SPEC §9.4) */
	b1->rules[0].signal = B2B__SIG_COMPETITOR;
	b1->rules[0].markup_percent.set = 0;
	b2->rules[0] = b1->rules[0];
	b2->rules[0].offset_percent = O("0.000");
	ck_assert_int_eq(b2b__book_fingerprint(b1), 0);
	ck_assert_int_eq(b2b__book_fingerprint(b2), 0);
	ck_assert_str_eq(b2b_book_fingerprint(b1), b2b_book_fingerprint(b2));
	b2->rules[0].offset_percent = O("1");
	ck_assert_int_eq(b2b__book_fingerprint(b2), 0);
	ck_assert_str_ne(b2b_book_fingerprint(b1), b2b_book_fingerprint(b2));
	b2->rules[0].offset_percent.set = 0;

	/* applies_to is a set: SEG3 "segment:wholesale;default" = "default;segment:wholesale" */
	memcpy(f1, b1->fingerprint, sizeof f1);
	b1->applies[4] = b2->applies[5];
	b1->applies[5] = b2->applies[4];
	ck_assert_int_eq(b2b__book_fingerprint(b1), 0);
	ck_assert_str_eq(b2b_book_fingerprint(b1), f1);
	/* and a repeat counts once: "segment:wholesale;segment:wholesale" = "segment:wholesale" */
	b1->applies[4] = b1->applies[5];
	ck_assert_int_eq(b2b__book_fingerprint(b1), 0);
	memcpy(f1, b1->fingerprint, sizeof f1);
	b1->lists[L_SEG3].applies_off = 5;
	b1->lists[L_SEG3].applies_n = 1;
	ck_assert_int_eq(b2b__book_fingerprint(b1), 0);
	ck_assert_str_eq(b2b_book_fingerprint(b1), f1);
	/* but a different set differs: "default" */
	b1->lists[L_SEG3].applies_off = 0;
	ck_assert_int_eq(b2b__book_fingerprint(b1), 0);
	ck_assert_str_ne(b2b_book_fingerprint(b1), f1);
	b2b_book_unref(b1);
	b2b_book_unref(b2);
}
END_TEST

START_TEST(test_fingerprint_customer_lists_ordered)
{
	b2b_book *b = fixture_ok(NULL);
	char f1[65];

	memcpy(f1, b->fingerprint, sizeof f1);
	/* swapping the customer's price_lists changes the content */
	b->u32[0] = L_BASE;
	b->u32[1] = L_WEB;
	ck_assert_int_eq(b2b__book_fingerprint(b), 0);
	ck_assert_str_ne(b2b_book_fingerprint(b), f1);
	b->u32[0] = L_WEB;
	b->u32[1] = L_BASE;
	ck_assert_int_eq(b2b__book_fingerprint(b), 0);
	ck_assert_str_eq(b2b_book_fingerprint(b), f1);
	b2b_book_unref(b);
}
END_TEST

START_TEST(test_fingerprint_ties_by_digest)
{
	/* two rules with the same id (a broken book): the order of the
	 * array does not change the fingerprint either */
	b2b_book *b = fixture_ok(NULL);
	char f1[65];
	b2b__rule t;

	b->rules[2].id = b->rules[1].id;
	ck_assert_int_eq(b2b__book_fingerprint(b), 0);
	memcpy(f1, b->fingerprint, sizeof f1);
	t = b->rules[1];
	b->rules[1] = b->rules[2];
	b->rules[2] = t;
	ck_assert_int_eq(b2b__book_fingerprint(b), 0);
	ck_assert_str_eq(b2b_book_fingerprint(b), f1);
	b2b_book_unref(b);
}
END_TEST

/*===========================================================================
 * MARK: - Errors: broken layouts
 *===========================================================================*/

START_TEST(test_index_build_rejects_broken_layout)
{
	b2b_allocator a;
	b2b_book *b;
	fixopt fo = { 0 };

	b2b__alloc_init(&a, NULL);
	fo.unsorted_products = 1;
	ck_assert_int_eq(fixture(&b, &a, &fo, 1), 0);
	ck_assert_int_eq(b2b__book_index_build(b), B2B_EINVAL);
	ck_assert_ptr_null(b->index);
	b2b_book_unref(b);

	memset(&fo, 0, sizeof fo);
	fo.split_group = 1;
	ck_assert_int_eq(fixture(&b, &a, &fo, 1), 0);
	ck_assert_int_eq(b2b__book_index_build(b), B2B_EINVAL);
	b2b_book_unref(b);

	/* a duplicate (tax_class, region) */
	ck_assert_int_eq(fixture(&b, &a, NULL, 1), 0);
	b->taxes[1].region = b->taxes[0].region;
	ck_assert_int_eq(b2b__book_index_build(b), B2B_EINVAL);
	b2b_book_unref(b);
}
END_TEST

START_TEST(test_lookups_without_index)
{
	b2b_allocator a;
	b2b_book *b;
	b2b__range g[4];
	uint32_t out[4];

	b2b__alloc_init(&a, NULL);
	ck_assert_int_eq(fixture(&b, &a, NULL, 1), 0);
	ck_assert_uint_eq(b2b__book_product(b, "A1", 2), B2B__NONE);
	ck_assert_uint_eq(b2b__book_items(b, 0, 0, g, 4), 0);
	ck_assert_uint_eq(b2b__book_rules_for(b, 0, out, 4), 0);
	ck_assert_uint_eq(b2b__book_lists_applying(b, B2B__APPLY_DEFAULT, NULL, 0).n, 0);
	ck_assert_uint_eq(b2b__book_order_promos(b).n, 0);
	b2b_book_unref(b);
}
END_TEST

static Suite *
book_suite(void)
{
	Suite *s = suite_create("book");
	TCase *tc = tcase_create("Core");

	tcase_add_test(tc, test_key_lookups);
	tcase_add_test(tc, test_table_names);
	tcase_add_test(tc, test_table_parse);
	tcase_add_test(tc, test_product_ext);
	tcase_add_test(tc, test_scope_ancestry);
	tcase_add_test(tc, test_items_grouped_most_specific_first);
	tcase_add_test(tc, test_items_any_group_order);
	tcase_add_test(tc, test_lists_applying);
	tcase_add_test(tc, test_rules_and_promos_order);
	tcase_add_test(tc, test_fx);
	tcase_add_test(tc, test_fx_inverse_rounding_mode);
	tcase_add_test(tc, test_tax_rate);
	tcase_add_test(tc, test_ref_unref_frees_everything);
	tcase_add_test(tc, test_fingerprint_canonical_text);
	tcase_add_test(tc, test_fingerprint_canonical_text_every_table);
	tcase_add_test(tc, test_fingerprint_decimal_spelling);
	tcase_add_test(tc, test_fingerprint_layout_independent);
	tcase_add_test(tc, test_fingerprint_effective_defaults);
	tcase_add_test(tc, test_fingerprint_customer_lists_ordered);
	tcase_add_test(tc, test_fingerprint_ties_by_digest);
	suite_add_tcase(s, tc);

	tc = tcase_create("Limits");
	tcase_add_test(tc, test_memory_per_product);
	tcase_add_test(tc, test_many_keys_all_found);
	tcase_add_test(tc, test_find_many);
	tcase_add_test(tc, test_find_many_long_runs);
	tcase_add_test(tc, test_pool_key_eq_matches_byte_loop);
	tcase_add_test(tc, test_index_build_oom);
	suite_add_tcase(s, tc);

	tc = tcase_create("Errors");
	tcase_add_test(tc, test_index_build_rejects_broken_layout);
	tcase_add_test(tc, test_lookups_without_index);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return b2b_test_run(book_suite());
}
