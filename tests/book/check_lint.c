/*
 * Tests: lint (SPEC §12). One tiny book per finding that triggers it, and
 * a twin just on the other side of its threshold that does not (a cliff
 * exactly at equality is no finding); every expected line, related row
 * and figure is worked out by hand in the comments. Then the load
 * findings, the order of the report, the JSON document, the accessors,
 * a builder book, and out-of-memory.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "b2b.h"
#include "lint_int.h"
#include "support/failalloc.h"
#include "support/testmain.h"

#define BOOK_TEST_DIR_TEMPLATE "/tmp/b2b-lint-XXXXXX"
#include "book_test.h"

/*
 * Lint the files (as_of NULL: none) and summarise the report: one line
 * per finding, "CODE file:line related…", in report order.
 */
static char summary[8192];
static char messages[8192];

static const b2b_lint *
lint_files(b2b_ctx *ctx, const bfile *files, const char *as_of)
{
	const b2b_lint *l = NULL;
	b2b_time t;
	char *dir = make_dir(files);
	size_t i, j, n = 0, m = 0;
	int rc;

	if (as_of != NULL)
		ck_assert_int_eq(b2b_time_parse(&t, NULL, as_of, strlen(as_of)), 0);
	rc = b2b_book_lint(&l, ctx, NULL, dir, as_of != NULL ? &t : NULL);
	remove_dir(dir, files);
	ck_assert_msg(rc == 0, "lint: %s", b2b_ctx_errmsg(ctx));
	summary[0] = messages[0] = '\0';
	for (i = 0; i < b2b_lint_count(l); i++) {
		n += (size_t)snprintf(summary + n, sizeof(summary) - n, "%s %s:%ld",
		                      b2b_lint_code_name(b2b_lint_code_at(l, i)), b2b_lint_file(l, i),
		                      b2b_lint_line(l, i));
		for (j = 0; j < b2b_lint_related_count(l, i); j++)
			n += (size_t)snprintf(summary + n, sizeof(summary) - n, " %s:%ld",
			                      b2b_lint_related_file(l, i, j),
			                      b2b_lint_related_line(l, i, j));
		n += (size_t)snprintf(summary + n, sizeof(summary) - n, "\n");
		m += (size_t)snprintf(messages + m, sizeof(messages) - m, "%s\n",
		                      b2b_lint_message(l, i));
		ck_assert_uint_lt(n, sizeof(summary));
		ck_assert_uint_lt(m, sizeof(messages));
	}
	return l;
}

/* Lint and compare the summary. */
static void
expect(const bfile *files, const char *as_of, const char *want)
{
	b2b_ctx *ctx;

	ck_assert_int_eq(b2b_ctx_new(&ctx, NULL), 0);
	(void)lint_files(ctx, files, as_of);
	ck_assert_msg(strcmp(summary, want) == 0, "findings:\n%s\nmessages:\n%s\nexpected:\n%s",
	              summary, messages, want);
	b2b_ctx_free(ctx);
}

#define LINT_TEST(name, as_of, want, ...) \
	START_TEST(name) \
	{ \
		static const bfile f[] = { __VA_ARGS__, END }; \
		expect(f, as_of, want); \
	} \
	END_TEST

/* One customer (reaches the default list L, segment s1, channel web). */
#define CUSTOMERS { "customers.csv", "id,segment,channel\nC1,s1,web\n" }
#define LIST(mode) { "price_lists.csv", "id,applies_to,tier_mode\nL,default," mode "\n" }
#define IH "list,scope,min_qty,compute,price,discount_percent\n"
#define ITEMS(t) { "price_list_items.csv", IH t }
/* A1 (line 2): list 10, cost 5; A2 (line 3): list 20, cost 1, pack_size 5 */
#define PRODUCTS \
	{ "products.csv", "sku,list_price,cost,pack_size,category\n" \
	                  "A1,10,5,,fasteners/screws\nA2,20,1,5,fasteners/bolts\n" }

/* B1 (line 4) has no cost; category media holds B1 only */
#define PRODUCTS_B \
	{ "products.csv", "sku,list_price,cost,category\n" \
	                  "A1,10,5,fasteners/screws\nA2,20,8,fasteners/bolts\nB1,12,,media\n" }
/*===========================================================================
 * TIER_CLIFF
 *===========================================================================*/

/* (10 − 1) × 10 = 90 > 10 × 8.9 = 89: a cliff on line 3, related the
 * break below (line 2) and the product (products.csv:2). */
LINT_TEST(t_cliff, NULL,
          "TIER_CLIFF price_list_items.csv:3 price_list_items.csv:2 products.csv:2\n",
          PRODUCTS, CUSTOMERS, LIST("all_units"),
          ITEMS("L,sku:A1,0,fixed,10,\nL,sku:A1,10,fixed,8.9,\n"))
/* 9 × 10 = 90 = 10 × 9: equality is no cliff */
LINT_TEST(t_cliff_equal, NULL, "", PRODUCTS, CUSTOMERS, LIST("all_units"),
          ITEMS("L,sku:A1,0,fixed,10,\nL,sku:A1,10,fixed,9,\n"))

/* pack_size 5: (20 − 5) × 10 = 150 > 20 × 7 = 140; the twin at 7.5 is 150 = 150 */
LINT_TEST(t_cliff_pack, NULL,
          "TIER_CLIFF price_list_items.csv:3 price_list_items.csv:2 products.csv:3\n",
          PRODUCTS, CUSTOMERS, LIST("all_units"),
          ITEMS("L,sku:A2,0,fixed,10,\nL,sku:A2,20,fixed,7,\n"))
LINT_TEST(t_cliff_pack_equal, NULL, "", PRODUCTS, CUSTOMERS, LIST("all_units"),
          ITEMS("L,sku:A2,0,fixed,10,\nL,sku:A2,20,fixed,7.5,\n"))
/* a category scope counts single units even when its products have packs:
 * (20 − 1) × 10 = 190 > 20 × 9 = 180 (with u = 5 it would be 150 < 180) */
LINT_TEST(t_cliff_category_unit, NULL,
          "TIER_CLIFF price_list_items.csv:3 price_list_items.csv:2\n",
          PRODUCTS, CUSTOMERS, LIST("all_units"),
          ITEMS("L,category:fasteners/bolts,0,fixed,10,\nL,category:fasteners/bolts,20,fixed,9,\n"))
/* incremental and block lists have no cliff */
LINT_TEST(t_cliff_incremental, NULL, "", PRODUCTS, CUSTOMERS, LIST("incremental"),
          ITEMS("L,sku:A1,0,fixed,10,\nL,sku:A1,10,fixed,8.9,\n"))
LINT_TEST(t_cliff_block, NULL, "", PRODUCTS_B, CUSTOMERS, LIST("block"),
          ITEMS("L,sku:B1,0,fixed,10,\nL,sku:B1,10,fixed,8.9,\n"))
/* the break just below 10 is the discount item at 5: no pair of prices */
LINT_TEST(t_cliff_not_consecutive, NULL, "", PRODUCTS, CUSTOMERS, LIST("all_units"),
          ITEMS("L,sku:A1,0,fixed,10,\nL,sku:A1,5,discount,,1\nL,sku:A1,10,fixed,8.9,\n"))
/* contracts: (10 − 1) × 10 > 10 × 8.9 */
LINT_TEST(t_cliff_contract, NULL,
          "TIER_CLIFF contract_items.csv:3 contract_items.csv:2 products.csv:2\n",
          PRODUCTS, CUSTOMERS, LIST("all_units"),
          { "contracts.csv", "id,customer\nK1,C1\n" },
          { "contract_items.csv", "contract,scope,min_qty,price,discount_percent\n"
                                  "K1,sku:A1,0,10,\nK1,sku:A1,10,8.9,\n" })

START_TEST(t_cliff_message)
{
	/* 20 units at 7 = 140; 15 units at 10 = 150 > 140; the quantities 20 − k × 5 that
	 * cost more: k < 20 × (10 − 7) ÷ (5 × 10) = 1.2, so only 15 */
	static const bfile f[] = { PRODUCTS, CUSTOMERS, LIST("all_units"),
		ITEMS("L,sku:A2,0,fixed,10,\nL,sku:A2,20,fixed,7,\nL,sku:A2,40,fixed,2,\n"), END };
	b2b_ctx *ctx;

	ck_assert_int_eq(b2b_ctx_new(&ctx, NULL), 0);
	(void)lint_files(ctx, f, NULL);
	/* 40 at 2 = 80; below: 20 at 7: 35 × 7 = 245 > 80; k < 40 × 5 ÷ (5 × 7) = 5.7 → 5,
	 * bounded by (40 − 20) ÷ 5 = 4: from 20 to 35 */
	ck_assert_str_eq(messages,
	                 "sku:A2 min_qty 20 at 7: 20 units cost 140, less than 15 units at 10 (150); "
	                 "15 units cost more than 20 units (in steps of the pack size 5)\n"
	                 "sku:A2 min_qty 40 at 2: 40 units cost 80, less than 35 units at 7 (245); "
	                 "every quantity from 20 to 35 costs more than 40 units (in steps of the "
	                 "pack size 5)\n");
	b2b_ctx_free(ctx);
}
END_TEST

/* windows: the 10 break of June only pairs with the 0 break that shares an
 * instant with it (line 3, not line 2, which ends on 2026-06-01) */
LINT_TEST(t_cliff_windows, NULL,
          "TIER_CLIFF price_list_items.csv:4 price_list_items.csv:3 products.csv:2\n",
          PRODUCTS, CUSTOMERS, LIST("all_units"),
          { "price_list_items.csv", "list,scope,min_qty,valid_from,valid_until,compute,price\n"
                                    "L,sku:A1,0,,2026-06-01,fixed,10\n"
                                    "L,sku:A1,0,2026-06-01,,fixed,9.9\n"
                                    "L,sku:A1,10,2026-06-01,2026-07-01,fixed,8\n" })

/*===========================================================================
 * TIER_NOT_DESCENDING
 *===========================================================================*/

LINT_TEST(t_not_descending, NULL,
          "TIER_NOT_DESCENDING price_list_items.csv:3 price_list_items.csv:2 products.csv:2\n",
          PRODUCTS, CUSTOMERS, LIST("all_units"),
          ITEMS("L,sku:A1,0,fixed,10,\nL,sku:A1,10,fixed,10.01,\n"))
LINT_TEST(t_not_descending_equal, NULL, "", PRODUCTS, CUSTOMERS, LIST("all_units"),
          ITEMS("L,sku:A1,0,fixed,10,\nL,sku:A1,10,fixed,10,\n"))
LINT_TEST(t_not_descending_incremental, NULL,
          "TIER_NOT_DESCENDING price_list_items.csv:3 price_list_items.csv:2 products.csv:2\n",
          PRODUCTS, CUSTOMERS, LIST("incremental"),
          ITEMS("L,sku:A1,0,fixed,10,\nL,sku:A1,10,fixed,10.01,\n"))
LINT_TEST(t_not_descending_block, NULL, "", PRODUCTS, CUSTOMERS, LIST("block"),
          ITEMS("L,sku:A1,1,fixed,10,\nL,sku:A1,10,fixed,90,\n"))

/*===========================================================================
 * CONTRACT_ABOVE_LIST
 *===========================================================================*/

#define CONTRACTS(policy, ccy) \
	{ "contracts.csv", "id,customer,policy,currency\nK1,C1," policy "," ccy "\n" }
#define CITEMS(t) { "contract_items.csv", "contract,scope,min_qty,price,discount_percent\n" t }

/* A1's list price is 10 */
LINT_TEST(t_contract_above, NULL,
          "CONTRACT_ABOVE_LIST contract_items.csv:2 products.csv:2 contracts.csv:2\n",
          PRODUCTS, CUSTOMERS, CONTRACTS("override", ""), CITEMS("K1,sku:A1,0,10.01,\n"))
LINT_TEST(t_contract_at_list, NULL, "", PRODUCTS, CUSTOMERS, CONTRACTS("override", ""),
          CITEMS("K1,sku:A1,0,10,\n"))
LINT_TEST(t_contract_above_best, NULL, "", PRODUCTS, CUSTOMERS, CONTRACTS("best", ""),
          CITEMS("K1,sku:A1,0,12,\n"))
/* a USD contract is not compared with a EUR... here USD base: the product is in
 * the base currency, the contract in EUR */
LINT_TEST(t_contract_above_other_currency, NULL, "", PRODUCTS, CUSTOMERS,
          CONTRACTS("override", "EUR"), CITEMS("K1,sku:A1,0,12,\n"),
          { "fx_rates.csv", "from,to,rate\nEUR,USD,1.1\n" })
LINT_TEST(t_contract_markup, NULL,
          "CONTRACT_ABOVE_LIST contract_items.csv:2 products.csv:2 contracts.csv:2\n",
          PRODUCTS, CUSTOMERS, CONTRACTS("override", ""), CITEMS("K1,sku:A1,0,,-0.01\n"))
LINT_TEST(t_contract_no_markup, NULL, "", PRODUCTS, CUSTOMERS, CONTRACTS("override", ""),
          CITEMS("K1,sku:A1,0,,0\n"))

/*===========================================================================
 * BELOW_COST
 *===========================================================================*/

/* A1's cost is 5 */
LINT_TEST(t_below_cost, NULL, "BELOW_COST price_list_items.csv:2 products.csv:2\n",
          PRODUCTS, CUSTOMERS, LIST("all_units"), ITEMS("L,sku:A1,0,fixed,4.99,\n"))
LINT_TEST(t_at_cost, NULL, "", PRODUCTS, CUSTOMERS, LIST("all_units"),
          ITEMS("L,sku:A1,0,fixed,5,\n"))
/* floor r9(5 × 1.1) = 5.5 */
#define MARGIN10 { "settings.csv", "key,value\nmin_margin_percent,10\n" }
LINT_TEST(t_below_floor, NULL, "BELOW_COST price_list_items.csv:2 products.csv:2\n",
          PRODUCTS, CUSTOMERS, LIST("all_units"), MARGIN10, ITEMS("L,sku:A1,0,fixed,5.49,\n"))
LINT_TEST(t_at_floor, NULL, "", PRODUCTS, CUSTOMERS, LIST("all_units"), MARGIN10,
          ITEMS("L,sku:A1,0,fixed,5.5,\n"))
LINT_TEST(t_below_cost_contract, NULL, "BELOW_COST contract_items.csv:2 products.csv:2\n",
          PRODUCTS, CUSTOMERS, CONTRACTS("best", ""), CITEMS("K1,sku:A1,0,4.99,\n"))
/* block: 49.99 for 10 is 4.999 a unit; 50 for 10 is 5 */
LINT_TEST(t_below_cost_block, NULL, "BELOW_COST price_list_items.csv:2 products.csv:2\n",
          PRODUCTS, CUSTOMERS, LIST("block"), ITEMS("L,sku:A1,10,fixed,49.99,\n"))
LINT_TEST(t_at_cost_block, NULL, "", PRODUCTS, CUSTOMERS, LIST("block"),
          ITEMS("L,sku:A1,10,fixed,50,\n"))

START_TEST(t_below_cost_messages)
{
	static const bfile f[] = { PRODUCTS, CUSTOMERS, LIST("all_units"), MARGIN10,
		ITEMS("L,sku:A1,0,fixed,4.99,\nL,sku:A2,0,fixed,1.09,\n"), END };
	b2b_ctx *ctx;

	ck_assert_int_eq(b2b_ctx_new(&ctx, NULL), 0);
	(void)lint_files(ctx, f, NULL);
	/* A2: floor r9(1 × 1.1) = 1.1 */
	ck_assert_str_eq(messages,
	                 "sku:A1: price 4.99 is below the cost 5 of A1\n"
	                 "sku:A2: price 1.09 is below the floor 1.1 of A2 (cost 1, "
	                 "min_margin_percent 10)\n");
	b2b_ctx_free(ctx);
}
END_TEST

/*===========================================================================
 * UNREACHABLE_LIST
 *===========================================================================*/

/* C1: segment s1, channel web, names L9. Reachable: L1 (segment:s1), L2
 * (L1's parent), L3 (base of an L1 item), L4 (channel:web), L5
 * (customer:C1), L9 (named). Not: L6 (segment:s2), L7 (channel:shop), L8
 * (applies to nobody, named by nobody). */
LINT_TEST(t_unreachable, NULL,
          "UNREACHABLE_LIST price_lists.csv:7\n"
          "UNREACHABLE_LIST price_lists.csv:8\n"
          "UNREACHABLE_LIST price_lists.csv:9\n",
          PRODUCTS,
          { "customers.csv", "id,segment,channel,price_lists\nC1,s1,web,L9\n" },
          { "price_lists.csv", "id,applies_to,parent\n"
                               "L1,segment:s1,L2\nL2,,\nL3,,\nL4,channel:web,\n"
                               "L5,customer:C1,\nL6,segment:s2,\nL7,channel:shop,\nL8,,\nL9,,\n" },
          { "price_list_items.csv", "list,scope,compute,discount_percent,base\n"
                                    "L1,all,discount,1,list_id:L3\n" })
/* the twin: a second customer of segment s2 and channel shop names L8 */
LINT_TEST(t_reachable, NULL, "", PRODUCTS,
          { "customers.csv", "id,segment,channel,price_lists\nC1,s1,web,L9\nC2,s2,shop,L8\n" },
          { "price_lists.csv", "id,applies_to,parent\n"
                               "L1,segment:s1,L2\nL2,,\nL3,,\nL4,channel:web,\n"
                               "L5,customer:C1,\nL6,segment:s2,\nL7,channel:shop,\nL8,,\nL9,,\n" },
          { "price_list_items.csv", "list,scope,compute,discount_percent,base\n"
                                    "L1,all,discount,1,list_id:L3\n" })
/* default matches every customer, and no customer at all reaches nothing */
LINT_TEST(t_default_no_customer, NULL, "UNREACHABLE_LIST price_lists.csv:2\n", PRODUCTS,
          LIST("all_units"))

/*===========================================================================
 * SHADOWED_ITEM
 *===========================================================================*/

#define WLIST { "price_lists.csv", \
	"id,applies_to,valid_from,valid_until\nL,default,2026-01-01,2026-02-01\n" }
#define WITEMS(t) { "price_list_items.csv", \
	"list,scope,valid_from,valid_until,compute,price\n" t }

/* the list ends at 2026-02-01 (exclusive): an item from then on never applies */
LINT_TEST(t_shadowed_window, NULL, "SHADOWED_ITEM price_list_items.csv:2\n",
          PRODUCTS, CUSTOMERS, WLIST, WITEMS("L,sku:A1,2026-02-01,,fixed,9\n"))
LINT_TEST(t_shadowed_window_last_second, NULL, "", PRODUCTS, CUSTOMERS, WLIST,
          WITEMS("L,sku:A1,2026-01-31T23:59:59Z,,fixed,9\n"))
/* an item that ended when the list began */
LINT_TEST(t_shadowed_window_before, NULL, "SHADOWED_ITEM price_list_items.csv:2\n",
          PRODUCTS, CUSTOMERS, WLIST, WITEMS("L,sku:A1,,2026-01-01,fixed,9\n"))
/* a category no product is in (tools); fasteners/screws has A1 */
LINT_TEST(t_shadowed_scope, NULL, "SHADOWED_ITEM price_list_items.csv:2\n",
          PRODUCTS, CUSTOMERS, LIST("all_units"), ITEMS("L,category:tools,0,discount,,5\n"))
LINT_TEST(t_shadowed_scope_matches, NULL, "", PRODUCTS, CUSTOMERS, LIST("all_units"),
          ITEMS("L,category:fasteners,0,discount,,5\n"))
LINT_TEST(t_shadowed_contract_scope, NULL, "SHADOWED_ITEM contract_items.csv:2\n",
          PRODUCTS, CUSTOMERS, CONTRACTS("override", ""), CITEMS("K1,category:tools,0,,5\n"))
/* an sku not in the book: the loader's warning, and the item matches nothing */
LINT_TEST(t_shadowed_unknown_sku, NULL,
          "LOAD_WARNING price_list_items.csv:2\nSHADOWED_ITEM price_list_items.csv:2\n",
          PRODUCTS, CUSTOMERS, LIST("all_units"), ITEMS("L,sku:NOPE,0,fixed,5,\n"))
#define CITEMS_COST(t) { "price_list_items.csv", "list,scope,compute,discount_percent,base\n" t }
LINT_TEST(t_shadowed_cost, NULL,
          "SHADOWED_ITEM price_list_items.csv:2\nSHADOWED_ITEM price_list_items.csv:3\n",
          PRODUCTS_B, CUSTOMERS, LIST("all_units"),
          CITEMS_COST("L,sku:B1,discount,-10,cost\nL,category:media,discount,-10,cost\n"))
LINT_TEST(t_shadowed_cost_has_cost, NULL, "", PRODUCTS_B, CUSTOMERS, LIST("all_units"),
          CITEMS_COST("L,sku:A1,discount,-10,cost\nL,all,discount,-10,cost\n"))

/*===========================================================================
 * NO_FX_PATH
 *===========================================================================*/

/* base USD; U1 (line 4) is the first EUR product by line (E2 on line 5
 * sorts first by sku but comes later) */
#define PRODUCTS_FX \
	{ "products.csv", "sku,list_price,currency\nA1,10,\nA2,20,\nU1,5,EUR\nE2,6,EUR\n" }
#define LISTS_FX { "price_lists.csv", "id,currency\nLU,USD\nLC,CHF\n" }
#define CUSTOMERS_FX { "customers.csv", "id,currency,price_lists\nC1,,LU\nC2,CHF,LC\n" }
/* no rate at all: C1 (USD) and LU miss EUR; C2 and LC (CHF) miss EUR and USD (in
 * that order: the messages name the currency, "EUR" < "USD") */
LINT_TEST(t_no_fx, NULL,
          "NO_FX_PATH customers.csv:2 products.csv:4\n"
          "NO_FX_PATH customers.csv:3 products.csv:4\n"
          "NO_FX_PATH customers.csv:3 products.csv:2\n"
          "NO_FX_PATH price_lists.csv:2 products.csv:4\n"
          "NO_FX_PATH price_lists.csv:3 products.csv:4\n"
          "NO_FX_PATH price_lists.csv:3 products.csv:2\n",
          PRODUCTS_FX, LISTS_FX, CUSTOMERS_FX)
/* a rate in either direction, at any time, is a path */
LINT_TEST(t_fx_paths, NULL, "", PRODUCTS_FX, LISTS_FX, CUSTOMERS_FX,
          { "fx_rates.csv", "from,to,rate,valid_from\nEUR,USD,1.1,2030-01-01\n"
                            "USD,CHF,0.9,\nCHF,EUR,1.05,\n" })

/*===========================================================================
 * EMPTY_PROMOTION
 *===========================================================================*/

#define PROMOS(t) { "promotions.csv", "id,kind,value,scope,segment\n" t }
LINT_TEST(t_empty_promotion, NULL,
          "EMPTY_PROMOTION promotions.csv:2\nEMPTY_PROMOTION promotions.csv:3\n",
          PRODUCTS, CUSTOMERS, PROMOS("P1,percent,5,category:tools,\nP2,percent,5,,retail\n"))
LINT_TEST(t_promotion_matches, NULL, "", PRODUCTS, CUSTOMERS,
          PROMOS("P1,percent,5,category:fasteners,\nP2,percent,5,,s1\n"
                 "P3,order_percent,2,,\n"))

/*===========================================================================
 * EXPIRED
 *===========================================================================*/

#define EXPIRING \
	PRODUCTS, CUSTOMERS, \
	{ "price_lists.csv", "id,applies_to,valid_until\nL,default,2026-06-01\n" }, \
	{ "price_list_items.csv", "list,scope,compute,price,valid_until\n" \
	                          "L,sku:A1,fixed,9,2026-06-01\nL,sku:A2,fixed,19,2026-06-02\n" }, \
	{ "contracts.csv", "id,customer,valid_until\nK1,C1,2026-06-01T00:00:00Z\n" }, \
	{ "contract_items.csv", "contract,scope,price\nK1,sku:A1,8\n" }, \
	{ "dynamic_rules.csv", "id,scope,signal,markup_percent,valid_until\n" \
	                       "R1,all,cost_plus,50,2026-06-01\n" }, \
	{ "promotions.csv", "id,kind,value,valid_until\nP1,percent,5,2026-06-01\n" }, \
	{ "volume_agreements.csv", "id,party,scope,basis,kind,tiers,valid_until\n" \
	                           "VA1,customer:C1,all,qty,discount,0:1,2026-06-01\n" }
/* valid_until ≤ as_of: at 2026-06-01 everything with that end has expired */
LINT_TEST(t_expired, "2026-06-01",
          "EXPIRED contracts.csv:2\nEXPIRED dynamic_rules.csv:2\nEXPIRED price_list_items.csv:2\n"
          "EXPIRED price_lists.csv:2\nEXPIRED promotions.csv:2\n"
          "EXPIRED volume_agreements.csv:2\n", EXPIRING)
/* one second earlier nothing has */
LINT_TEST(t_not_expired, "2026-05-31T23:59:59Z", "", EXPIRING)
LINT_TEST(t_expired_no_as_of, NULL, "", EXPIRING)

START_TEST(t_expired_messages)
{
	static const bfile f[] = { EXPIRING, END };
	b2b_ctx *ctx;
	const b2b_lint *l;
	b2b_time t;

	ck_assert_int_eq(b2b_ctx_new(&ctx, NULL), 0);
	l = lint_files(ctx, f, "2026-06-01");
	ck_assert_int_eq(b2b_lint_as_of(&t, l), 0);
	ck_assert_int_eq(t.form, B2B_TIME_DATE);
	ck_assert_uint_eq(b2b_lint_severity_at(l, 0), B2B_LINT_INFO);
	ck_assert_str_eq(messages,
	                 "contract K1: valid_until 2026-06-01T00:00:00Z is not after as_of 2026-06-01\n"
	                 "dynamic rule R1: valid_until 2026-06-01 is not after as_of 2026-06-01\n"
	                 "price list L, sku:A1 min_qty 0: valid_until 2026-06-01 is not after as_of "
	                 "2026-06-01\n"
	                 "price list L: valid_until 2026-06-01 is not after as_of 2026-06-01\n"
	                 "promotion P1: valid_until 2026-06-01 is not after as_of 2026-06-01\n"
	                 "volume agreement VA1: valid_until 2026-06-01 is not after as_of "
	                 "2026-06-01\n");
	b2b_ctx_free(ctx);
}
END_TEST

/*===========================================================================
 * Load findings, order, JSON, accessors
 *===========================================================================*/

START_TEST(t_load_errors)
{
	/* a book that does not load: only LOAD_ERRORs (and the loader's warnings),
	 * no fingerprint, nothing else checked (the cliff of lines 2–3 is not reported) */
	static const bfile f[] = {
		{ "products.csv", "sku,list_price\nA1,10\nA2,-1\n" }, CUSTOMERS, LIST("all_units"),
		ITEMS("L,sku:A1,0,fixed,10,\nL,sku:A1,10,fixed,8,\nL,sku:NOPE,0,fixed,1,\n"), END };
	b2b_ctx *ctx;
	const b2b_lint *l;

	ck_assert_int_eq(b2b_ctx_new(&ctx, NULL), 0);
	l = lint_files(ctx, f, NULL);
	ck_assert_str_eq(summary, "LOAD_WARNING price_list_items.csv:4\nLOAD_ERROR products.csv:3\n");
	ck_assert_ptr_null(b2b_lint_fingerprint(l));
	ck_assert_uint_eq(b2b_lint_errors(l), 1);
	ck_assert_uint_eq(b2b_lint_severity_at(l, 0), B2B_LINT_WARNING);
	ck_assert_uint_eq(b2b_lint_severity_at(l, 1), B2B_LINT_ERROR);
	ck_assert_str_eq(b2b_lint_message(l, 1),
	                 "list_price: expected a decimal >= 0 like 12.50, got \"-1\"");
	b2b_ctx_free(ctx);
}
END_TEST

START_TEST(t_missing_products)
{
	static const bfile f[] = { CUSTOMERS, END };
	const b2b_lint *l = (const b2b_lint *)&l;
	b2b_ctx *ctx;
	char *dir;

	ck_assert_int_eq(b2b_ctx_new(&ctx, NULL), 0);
	dir = make_dir(f);
	ck_assert_int_eq(b2b_book_lint(&l, ctx, NULL, dir, NULL), B2B_EIO);
	ck_assert_ptr_null(l);
	remove_dir(dir, f);
	ck_assert_int_eq(b2b_book_lint(NULL, ctx, NULL, "x", NULL), B2B_EINVAL);
	ck_assert_int_eq(b2b_book_lint(&l, NULL, NULL, "x", NULL), B2B_EINVAL);
	ck_assert_int_eq(b2b_book_lint(&l, ctx, NULL, NULL, NULL), B2B_EINVAL);
	ck_assert_int_eq(b2b_book_lint_loaded(&l, ctx, NULL, NULL), B2B_EINVAL);
	b2b_ctx_free(ctx);
}
END_TEST

/* Findings by file, then line, then code name; the same rows in another
 * order give the same findings (at their new lines). */
START_TEST(t_order)
{
	static const bfile f[] = {
		PRODUCTS, CUSTOMERS,
		{ "price_lists.csv", "id,applies_to\nL,default\nX,\n" },
		ITEMS("L,sku:A1,10,fixed,8.9,\nL,sku:A1,0,fixed,10,\nL,category:tools,0,fixed,1,\n"
		      "L,sku:A1,20,fixed,9,\n"), END };
	b2b_ctx *ctx;

	ck_assert_int_eq(b2b_ctx_new(&ctx, NULL), 0);
	(void)lint_files(ctx, f, NULL);
	/* 20 at 9 follows 10 at 8.9: not descending; 10 at 8.9 after 0 at 10: a cliff */
	ck_assert_str_eq(summary,
	                 "TIER_CLIFF price_list_items.csv:2 price_list_items.csv:3 products.csv:2\n"
	                 "SHADOWED_ITEM price_list_items.csv:4\n"
	                 "TIER_NOT_DESCENDING price_list_items.csv:5 price_list_items.csv:2 "
	                 "products.csv:2\n"
	                 "UNREACHABLE_LIST price_lists.csv:3\n");
	b2b_ctx_free(ctx);
}
END_TEST

START_TEST(t_json)
{
	static const bfile f[] = { PRODUCTS, CUSTOMERS, LIST("all_units"),
		ITEMS("L,sku:A1,0,fixed,4.99,\n"), END };
	b2b_ctx *ctx;
	const b2b_lint *l;
	const char *doc, *fp;
	char want[1024];
	size_t len;

	ck_assert_int_eq(b2b_ctx_new(&ctx, NULL), 0);
	l = lint_files(ctx, f, "2026-06-15T08:30:00Z");
	fp = b2b_lint_fingerprint(l);
	ck_assert_ptr_nonnull(fp);
	ck_assert_uint_eq(strlen(fp), 64);
	ck_assert_int_eq(b2b_lint_to_json(&doc, &len, ctx, l), 0);
	snprintf(want, sizeof(want),
	         "{\n  \"fingerprint\": \"%s\",\n  \"as_of\": \"2026-06-15T08:30:00Z\",\n"
	         "  \"findings\": [\n    {\n      \"code\": \"BELOW_COST\",\n"
	         "      \"severity\": \"warning\",\n      \"file\": \"price_list_items.csv\",\n"
	         "      \"line\": 2,\n      \"message\": \"sku:A1: price 4.99 is below the cost 5 "
	         "of A1\",\n      \"related\": [\n        \"products.csv:2\"\n      ]\n    }\n"
	         "  ]\n}\n", fp);
	ck_assert_str_eq(doc, want);
	ck_assert_uint_eq(len, strlen(want));
	ck_assert_int_eq(b2b_lint_to_json(NULL, NULL, ctx, l), B2B_EINVAL);
	b2b_ctx_free(ctx);
}
END_TEST

/* Ids with characters JSON escapes: the message is escaped, in both the
 * printf and the piecewise messages; plain findings around it unchanged. */
START_TEST(t_json_escapes)
{
	static const bfile f[] = {
		{ "products.csv", "sku,list_price\n\"A\"\"1\",10\n" }, CUSTOMERS,
		{ "price_lists.csv", "id,applies_to\nL,default\n\"Q\"\"\\\",\n" },
		ITEMS("L,\"sku:A\"\"1\",0,fixed,10,\nL,\"sku:A\"\"1\",10,fixed,8.9,\n"
		      "L,category:none,0,discount,,1\n"), END };
	b2b_ctx *ctx;
	const b2b_lint *l;
	const char *doc;

	ck_assert_int_eq(b2b_ctx_new(&ctx, NULL), 0);
	l = lint_files(ctx, f, NULL);
	ck_assert_str_eq(summary,
	                 "TIER_CLIFF price_list_items.csv:3 price_list_items.csv:2 products.csv:2\n"
	                 "SHADOWED_ITEM price_list_items.csv:4\n"
	                 "UNREACHABLE_LIST price_lists.csv:3\n");
	ck_assert_str_eq(b2b_lint_message(l, 2), "price list Q\"\\: no customer names it, its "
	                 "applies_to matches no customer, and no reachable list has it as parent "
	                 "or base");
	ck_assert_int_eq(b2b_lint_to_json(&doc, NULL, ctx, l), 0);
	ck_assert_ptr_nonnull(strstr(doc, "\"message\": \"sku:A\\\"1 min_qty 10 at 8.9: 10 units "
	                                  "cost 89, less than 9 units at 10 (90); 9 units cost "
	                                  "more than 10 units\",\n"));
	ck_assert_ptr_nonnull(strstr(doc, "\"message\": \"category:none min_qty 0: the scope "
	                                  "matches no product\"\n    }"));
	ck_assert_ptr_nonnull(strstr(doc, "\"message\": \"price list Q\\\"\\\\: no customer"));
	b2b_ctx_free(ctx);
}
END_TEST

/* Messages write decimals in 64-bit arithmetic when they fit: the same
 * text as b2b_dec_format() (shortest exact form), on both sides of the
 * limit. */
START_TEST(t_message_decimals)
{
	static const char *const texts[] = {
		"0", "1", "-1", "0.5", "-0.5", "10", "100.25", "0.000000001", "-0.000000001",
		"123456789.123456789", "9223372036.854775806", "9223372036.854775807",
		"9223372036.854775808", "-9223372036.854775807", "-9223372036.854775808",
		"1000000000000000000000000000", "-99999999999999999999.999999999", "7.10",
	};
	uint64_t x = 0x9E3779B97F4A7C15u;
	size_t i;

	for (i = 0; i < sizeof(texts) / sizeof(texts[0]) + 2000; i++) {
		b2b__lint_msg m;
		b2b_dec v;
		char want[64];

		if (i < sizeof(texts) / sizeof(texts[0])) {
			ck_assert_int_eq(b2b_dec_parse(&v, NULL, texts[i], strlen(texts[i]), 0), 0);
		} else {
			/* xorshift: coefficients of every size up to 2^63 */
			int64_t units;

			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			units = (int64_t)(x >> (x % 63));
			ck_assert_int_eq(b2b_dec_from_units(&v, (x & 1) ? -units : units, 9), 0);
		}
		ck_assert_int_eq(b2b_dec_format(want, sizeof(want), NULL, v, B2B_DEC_SCALE_EXACT,
		                                B2B_ROUND_HALF_UP), 0);
		b2b__lint_msg_init(&m);
		b2b__lint_msg_s(&m, "x=");
		b2b__lint_msg_d(&m, v);
		ck_assert_str_eq(m.buf + 2, want);
		ck_assert_uint_eq(m.len, 2 + strlen(want));
	}
}
END_TEST

START_TEST(t_accessors)
{
	b2b_lint_code c;
	b2b_lint_severity s;
	int i;

	for (i = 0; i < B2B_LINT_CODE_COUNT; i++) {
		const char *n = b2b_lint_code_name((b2b_lint_code)i);

		ck_assert_ptr_nonnull(n);
		ck_assert_int_eq(b2b_lint_code_parse(&c, n, strlen(n)), 0);
		ck_assert_int_eq(c, i);
	}
	ck_assert_str_eq(b2b_lint_code_name(B2B_LINT_TIER_CLIFF), "TIER_CLIFF");
	ck_assert_str_eq(b2b_lint_code_name(B2B_LINT_EXPIRED), "EXPIRED");
	ck_assert_ptr_null(b2b_lint_code_name((b2b_lint_code)B2B_LINT_CODE_COUNT));
	ck_assert_int_eq(b2b_lint_code_parse(&c, "tier_cliff", 10), B2B_EPARSE);
	ck_assert_int_eq(b2b_lint_code_parse(NULL, "EXPIRED", 7), B2B_EINVAL);
	ck_assert_str_eq(b2b_lint_severity_name(B2B_LINT_INFO), "info");
	ck_assert_int_eq(b2b_lint_severity_parse(&s, "warning", 7), 0);
	ck_assert_int_eq(s, B2B_LINT_WARNING);
	ck_assert_ptr_null(b2b_lint_severity_name((b2b_lint_severity)3));
	/* a NULL report */
	ck_assert_uint_eq(b2b_lint_count(NULL), 0);
	ck_assert_uint_eq(b2b_lint_errors(NULL), 0);
	ck_assert_ptr_null(b2b_lint_fingerprint(NULL));
	ck_assert_int_eq((int)b2b_lint_code_at(NULL, 0), -1);
	ck_assert_int_eq((int)b2b_lint_severity_at(NULL, 0), -1);
	ck_assert_ptr_null(b2b_lint_file(NULL, 0));
	ck_assert_int_eq(b2b_lint_line(NULL, 0), 0);
	ck_assert_ptr_null(b2b_lint_message(NULL, 0));
	ck_assert_uint_eq(b2b_lint_related_count(NULL, 0), 0);
	ck_assert_ptr_null(b2b_lint_related_file(NULL, 0, 0));
	ck_assert_int_eq(b2b_lint_related_line(NULL, 0, 0), 0);
}
END_TEST

/* A builder book: lines are the builder's row numbers; no as_of. */
START_TEST(t_builder_lines)
{
	static const char *const pcols[] = { "sku", "list_price", "cost" };
	static const char *const ccols[] = { "id" };
	static const char *const lcols[] = { "id", "applies_to" };
	static const char *const icols[] = { "list", "scope", "min_qty", "compute", "price" };
	static const char *const p1[] = { "A1", "10", "5" };
	static const char *const c1[] = { "C1" };
	static const char *const l1[] = { "L", "default" };
	static const char *const i1[] = { "L", "sku:A1", "0", "fixed", "10" };
	static const char *const i2[] = { "L", "sku:A1", "10", "fixed", "4" };
	b2b_book_builder *bb;
	b2b_book *book;
	b2b_ctx *ctx;
	const b2b_lint *l;
	b2b_time t;

	ck_assert_int_eq(b2b_ctx_new(&ctx, NULL), 0);
	ck_assert_int_eq(b2b_book_builder_new(&bb, ctx, NULL), 0);
	ck_assert_int_eq(b2b_book_builder_begin_table(bb, ctx, B2B_TABLE_PRODUCTS, pcols, 3, "erp"), 0);
	ck_assert_int_eq(b2b_book_builder_add_row(bb, ctx, p1, NULL, 3, 41), 0);
	ck_assert_int_eq(b2b_book_builder_begin_table(bb, ctx, B2B_TABLE_CUSTOMERS, ccols, 1, NULL), 0);
	ck_assert_int_eq(b2b_book_builder_add_row(bb, ctx, c1, NULL, 1, 7), 0);
	ck_assert_int_eq(b2b_book_builder_begin_table(bb, ctx, B2B_TABLE_PRICE_LISTS, lcols, 2, NULL), 0);
	ck_assert_int_eq(b2b_book_builder_add_row(bb, ctx, l1, NULL, 2, 3), 0);
	ck_assert_int_eq(b2b_book_builder_begin_table(bb, ctx, B2B_TABLE_PRICE_LIST_ITEMS, icols, 5,
	                                              NULL), 0);
	ck_assert_int_eq(b2b_book_builder_add_row(bb, ctx, i1, NULL, 5, 100), 0);
	ck_assert_int_eq(b2b_book_builder_add_row(bb, ctx, i2, NULL, 5, 101), 0);
	ck_assert_int_eq(b2b_book_builder_finish(&book, ctx, bb), 0);
	b2b_book_builder_free(bb);
	ck_assert_int_eq(b2b_book_lint_loaded(&l, ctx, book, NULL), 0);
	/* 10 at 4 below cost 5 (BELOW_COST) and a cliff (9 × 10 > 10 × 4), both on row 101 */
	ck_assert_uint_eq(b2b_lint_count(l), 2);
	ck_assert_str_eq(b2b_lint_code_name(b2b_lint_code_at(l, 0)), "BELOW_COST");
	ck_assert_int_eq(b2b_lint_line(l, 0), 101);
	ck_assert_str_eq(b2b_lint_related_file(l, 0, 0), "products.csv");
	ck_assert_int_eq(b2b_lint_related_line(l, 0, 0), 41);
	ck_assert_str_eq(b2b_lint_code_name(b2b_lint_code_at(l, 1)), "TIER_CLIFF");
	ck_assert_str_eq(b2b_lint_related_file(l, 1, 0), "price_list_items.csv");
	ck_assert_int_eq(b2b_lint_related_line(l, 1, 0), 100);
	ck_assert_ptr_null(b2b_lint_related_file(l, 1, 2));
	ck_assert_int_eq(b2b_lint_as_of(&t, l), B2B_ENOTFOUND);
	ck_assert_str_eq(b2b_lint_fingerprint(l), b2b_book_fingerprint(book));
	b2b_book_unref(book);
	b2b_ctx_free(ctx);
}
END_TEST

/* Out of memory at every allocation of a lint: B2B_ENOMEM, nothing leaked. */
static const bfile oom_files[] = {
	PRODUCTS, CUSTOMERS, LIST("all_units"),
	ITEMS("L,sku:A1,0,fixed,10,\nL,sku:A1,10,fixed,4,\nL,category:tools,0,fixed,1,\n"),
	PROMOS("P1,percent,5,,retail\n"), END };

static int
oom_body(const b2b_allocator *a, void *ud)
{
	const char *dir = ud;
	b2b_ctx_options o = B2B_CTX_OPTIONS_INIT;
	b2b_ctx *ctx;
	const b2b_lint *l;
	const char *doc;
	b2b_time t = { 1780000000, B2B_TIME_DATETIME, 0 };
	int rc;

	o.allocator = a;
	o.arena_initial = 256;
	if ((rc = b2b_ctx_new(&ctx, &o)) < 0)
		return rc;
	rc = b2b_book_lint(&l, ctx, a, dir, &t);
	if (rc == 0) {
		ck_assert_uint_eq(b2b_lint_count(l), 4);
		rc = b2b_lint_to_json(&doc, NULL, ctx, l);
	}
	b2b_ctx_free(ctx);
	return rc;
}

START_TEST(t_oom)
{
	char *dir = make_dir(oom_files);
	long n = failalloc_loop(oom_body, dir, 20000);

	remove_dir(dir, oom_files);
	ck_assert_int_gt(n, 0);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("lint");
	TCase *tc = tcase_create("lint");

	tcase_add_test(tc, t_cliff);
	tcase_add_test(tc, t_cliff_equal);
	tcase_add_test(tc, t_cliff_pack);
	tcase_add_test(tc, t_cliff_pack_equal);
	tcase_add_test(tc, t_cliff_category_unit);
	tcase_add_test(tc, t_cliff_incremental);
	tcase_add_test(tc, t_cliff_block);
	tcase_add_test(tc, t_cliff_not_consecutive);
	tcase_add_test(tc, t_cliff_contract);
	tcase_add_test(tc, t_cliff_message);
	tcase_add_test(tc, t_cliff_windows);
	tcase_add_test(tc, t_not_descending);
	tcase_add_test(tc, t_not_descending_equal);
	tcase_add_test(tc, t_not_descending_incremental);
	tcase_add_test(tc, t_not_descending_block);
	tcase_add_test(tc, t_contract_above);
	tcase_add_test(tc, t_contract_at_list);
	tcase_add_test(tc, t_contract_above_best);
	tcase_add_test(tc, t_contract_above_other_currency);
	tcase_add_test(tc, t_contract_markup);
	tcase_add_test(tc, t_contract_no_markup);
	tcase_add_test(tc, t_below_cost);
	tcase_add_test(tc, t_at_cost);
	tcase_add_test(tc, t_below_floor);
	tcase_add_test(tc, t_at_floor);
	tcase_add_test(tc, t_below_cost_contract);
	tcase_add_test(tc, t_below_cost_block);
	tcase_add_test(tc, t_at_cost_block);
	tcase_add_test(tc, t_below_cost_messages);
	tcase_add_test(tc, t_unreachable);
	tcase_add_test(tc, t_reachable);
	tcase_add_test(tc, t_default_no_customer);
	tcase_add_test(tc, t_shadowed_window);
	tcase_add_test(tc, t_shadowed_window_last_second);
	tcase_add_test(tc, t_shadowed_window_before);
	tcase_add_test(tc, t_shadowed_scope);
	tcase_add_test(tc, t_shadowed_scope_matches);
	tcase_add_test(tc, t_shadowed_contract_scope);
	tcase_add_test(tc, t_shadowed_unknown_sku);
	tcase_add_test(tc, t_shadowed_cost);
	tcase_add_test(tc, t_shadowed_cost_has_cost);
	tcase_add_test(tc, t_no_fx);
	tcase_add_test(tc, t_fx_paths);
	tcase_add_test(tc, t_empty_promotion);
	tcase_add_test(tc, t_promotion_matches);
	tcase_add_test(tc, t_expired);
	tcase_add_test(tc, t_not_expired);
	tcase_add_test(tc, t_expired_no_as_of);
	tcase_add_test(tc, t_expired_messages);
	tcase_add_test(tc, t_load_errors);
	tcase_add_test(tc, t_missing_products);
	tcase_add_test(tc, t_order);
	tcase_add_test(tc, t_json);
	tcase_add_test(tc, t_json_escapes);
	tcase_add_test(tc, t_message_decimals);
	tcase_add_test(tc, t_accessors);
	tcase_add_test(tc, t_builder_lines);
	tcase_add_test(tc, t_oom);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return b2b_test_run(suite());
}
