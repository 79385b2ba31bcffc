/*
 * Tests: the book loader and builder (SPEC §3, §9): one test per load
 * rule, each writing a tiny book directory and asserting the exact
 * diagnostic (file, line, column, message) and that no book is built;
 * accepting cases (a full book, defaults, BOM + CRLF, quoting, optional
 * files, the sample book); the builder API; OOM loops.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "b2b.h"
#include "book_int.h"
#include "dec_int.h"
#include "support/failalloc.h"
#include "support/testmain.h"

#include "book_test.h"

#define PRODUCTS { "products.csv", "sku,list_price,cost\nA1,10,5\nA2,20,8\n" }
#define LISTS(t) { "price_lists.csv", t }
#define ITEMS(t) { "price_list_items.csv", t }

/*===========================================================================
 * Headers, files and CSV syntax
 *===========================================================================*/

ERR_TEST(t_unknown_column, "products.csv", 1, 3, "unknown column \"colour\"",
         { "products.csv", "sku,list_price,colour\nA1,10,red\n" })
ERR_TEST(t_duplicate_column, "products.csv", 1, 3,
         "column \"sku\" appears twice (first at column 1)",
         { "products.csv", "sku,list_price,sku\nA1,10,A1\n" })
ERR_TEST(t_missing_required_column, "products.csv", 1, 1,
         "missing required column \"list_price\"",
         { "products.csv", "sku,name\nA1,Hammer\n" })
ERR_TEST(t_empty_file, "customers.csv", 1, 1, "expected a header row",
         PRODUCTS, { "customers.csv", "" })
ERR_TEST(t_csv_unterminated_quote, "products.csv", 3, 4, "unterminated quoted field",
         { "products.csv", "sku,list_price\nA1,10\nA2,\"10\nA3,5\n" })
ERR_TEST(t_csv_field_count, "products.csv", 3, 1, "expected 2 fields",
         { "products.csv", "sku,list_price\nA1,10\nA2,10,x\n" })

START_TEST(t_products_missing)
{
	static const bfile f[] = { { "customers.csv", "id\nC1\n" }, END };
	b2b_ctx *ctx;
	b2b_book *book;

	ck_assert_int_eq(load(f, &ctx, &book), B2B_EIO);
	ck_assert_ptr_null(book);
	ck_assert_str_eq(b2b_ctx_errmsg(ctx), "products.csv: required file missing");
	b2b_ctx_free(ctx);
}
END_TEST

START_TEST(t_not_a_directory)
{
	b2b_ctx *ctx;
	b2b_book *book = (b2b_book *)&ctx;

	ck_assert_int_eq(b2b_ctx_new(&ctx, NULL), 0);
	ck_assert_int_eq(b2b_book_load_dir(&book, ctx, NULL, "/nonexistent/b2b/book"), B2B_EIO);
	ck_assert_ptr_null(book);
	ck_assert_int_eq(b2b_book_load_dir(&book, ctx, NULL, NULL), B2B_EINVAL);
	ck_assert_int_eq(b2b_book_load_dir(NULL, ctx, NULL, "/tmp"), B2B_EINVAL);
	b2b_ctx_free(ctx);
}
END_TEST

/* A CSV error in a record: the file is read on from the next record, and
 * the other files too. */
START_TEST(t_csv_error_other_files_go_on)
{
	static const bfile f[] = {
		{ "products.csv", "sku,list_price\nA1,10\nA2,\"1\"0\nA3,-1\n" },
		{ "customers.csv", "id,credit_limit\nC1,-5\n" },
		END
	};
	b2b_ctx *ctx;
	b2b_book *book;

	ck_assert_int_eq(load(f, &ctx, &book), B2B_EBOOK);
	if (b2b_ctx_diag_count(ctx) != 3)
		dump(ctx);
	ck_assert_uint_eq(b2b_ctx_diag_count(ctx), 3);
	diag_is(ctx, 0, "products.csv", 3, 7, "unexpected '0' after the closing quote");
	diag_is(ctx, 1, "products.csv", 4, 2, "list_price: expected a decimal >= 0");
	diag_is(ctx, 2, "customers.csv", 2, 2, "credit_limit: expected a decimal >= 0");
	b2b_ctx_free(ctx);
}
END_TEST

/* Write `len` bytes (NUL bytes too) as dir/name. */
static void
write_bytes(const char *dir, const char *name, const char *bytes, size_t len)
{
	char path[256];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fp = fopen(path, "wb");
	ck_assert_ptr_nonnull(fp);
	ck_assert_uint_eq(fwrite(bytes, 1, len, fp), len);
	fclose(fp);
}

/* One encoding error does not hide the next: invalid UTF-8 on line 2 and
 * a NUL byte on line 3 are both reported, each with its line, column and
 * what was expected (CSV errors point at the character; cell errors give
 * the column's number), and the good rows around them are still checked
 * (A4's price). */
START_TEST(t_csv_encoding_errors_all_reported)
{
	static const char products[] = "sku,name,list_price\n"
	                               "A1,Schraube M\xFC,10\n"      /* Latin-1 ü */
	                               "A2,Mutter\0,5\n"
	                               "A3,Scheibe,1\n"
	                               "A4,\"D\xC3\xBC" "bel\",-2\n";
	static const bfile none[] = { END };
	char *dir = make_dir(none);
	b2b_ctx *ctx;
	b2b_book *book = NULL;

	write_bytes(dir, "products.csv", products, sizeof(products) - 1);
	ck_assert_int_eq(b2b_ctx_new(&ctx, NULL), 0);
	ck_assert_int_eq(b2b_book_load_dir(&book, ctx, NULL, dir), B2B_EBOOK);
	ck_assert_ptr_null(book);
	if (b2b_ctx_diag_count(ctx) != 3)
		dump(ctx);
	ck_assert_uint_eq(b2b_ctx_diag_count(ctx), 3);
	diag_is(ctx, 0, "products.csv", 2, 14, "");
	ck_assert_str_eq(b2b_ctx_diag_message(ctx, 0),
	                 "invalid UTF-8: byte 0xFC never appears in UTF-8");
	diag_is(ctx, 1, "products.csv", 3, 10, "");
	ck_assert_str_eq(b2b_ctx_diag_message(ctx, 1), "NUL byte");
	diag_is(ctx, 2, "products.csv", 5, 3,
	        "list_price: expected a decimal >= 0 like 12.50, got \"-2\"");
	b2b_ctx_free(ctx);
	{
		char path[256];

		snprintf(path, sizeof(path), "%s/products.csv", dir);
		unlink(path);
		rmdir(dir);
	}
}
END_TEST

/* A header with an encoding error: its rows cannot be read as the table,
 * but the file is read on and its other CSV errors are reported. */
START_TEST(t_csv_bad_header_read_on)
{
	static const char products[] = "sku,list\xFF_price\nA1,-10\nA2,\0\n";
	static const bfile none[] = { END };
	char *dir = make_dir(none), path[256];
	b2b_ctx *ctx;
	b2b_book *book = NULL;

	write_bytes(dir, "products.csv", products, sizeof(products) - 1);
	ck_assert_int_eq(b2b_ctx_new(&ctx, NULL), 0);
	ck_assert_int_eq(b2b_book_load_dir(&book, ctx, NULL, dir), B2B_EBOOK);
	ck_assert_ptr_null(book);
	if (b2b_ctx_diag_count(ctx) != 2)
		dump(ctx);
	ck_assert_uint_eq(b2b_ctx_diag_count(ctx), 2);
	diag_is(ctx, 0, "products.csv", 1, 9, "invalid UTF-8: byte 0xFF never appears in UTF-8");
	diag_is(ctx, 1, "products.csv", 3, 4, "NUL byte");
	b2b_ctx_free(ctx);
	snprintf(path, sizeof(path), "%s/products.csv", dir);
	unlink(path);
	rmdir(dir);
}
END_TEST

/* A bad header: its rows are ignored, and references into that table are
 * not reported again. */
START_TEST(t_bad_header_no_cascade)
{
	static const bfile f[] = {
		PRODUCTS,
		LISTS("id,currency,colour\nL1,USD,red\n"),
		ITEMS("list,scope,compute,price\nL1,sku:A1,fixed,9\n"),
		{ "customers.csv", "id,price_lists\nC1,L1\n" },
		END
	};

	expect1(f, "price_lists.csv", 1, 3, "unknown column \"colour\"");
}
END_TEST

/* A bad header does not end the load: the files after it are read and
 * their problems reported too (a truncated price_lists.csv header once
 * made the loader stop at that file). */
START_TEST(t_bad_header_later_files_read)
{
	static const bfile f[] = {
		PRODUCTS,
		LISTS("id,currency,p"),
		{ "customers.csv", "id,credit_limit\nC1,lots\n" },
		END
	};
	b2b_ctx *ctx;
	b2b_book *book;
	int rc = load(f, &ctx, &book);

	if (rc != B2B_EBOOK || b2b_ctx_diag_count(ctx) != 2)
		dump(ctx);
	ck_assert_int_eq(rc, B2B_EBOOK);
	ck_assert_ptr_null(book);
	ck_assert_uint_eq(b2b_ctx_diag_count(ctx), 2);
	diag_is(ctx, 0, "customers.csv", 2, 2, "credit_limit: expected a decimal");
	diag_is(ctx, 1, "price_lists.csv", 1, 3, "unknown column \"p\"");
	b2b_ctx_free(ctx);
}
END_TEST

/*===========================================================================
 * Cells: decimals, blanks, required, enums, codes, paths, dates, integers
 *===========================================================================*/

ERR_TEST(t_decimal_syntax, "products.csv", 2, 2,
         "list_price: expected a decimal like 12.50, got \"12,50\"",
         { "products.csv", "sku,list_price\nA1,\"12,50\"\n" })
ERR_TEST(t_decimal_plus_sign, "products.csv", 2, 2, "expected a decimal",
         { "products.csv", "sku,list_price\nA1,+12\n" })
ERR_TEST(t_decimal_precision, "products.csv", 2, 2,
         "list_price: expected at most 9 fractional digits, got \"1.0000000000\"",
         { "products.csv", "sku,list_price\nA1,1.0000000000\n" })
ERR_TEST(t_decimal_overflow, "products.csv", 2, 2,
         "list_price: expected at most 28 integer digits",
         { "products.csv", "sku,list_price\nA1,12345678901234567890123456789\n" })
ERR_TEST(t_list_price_negative, "products.csv", 2, 2,
         "list_price: expected a decimal >= 0 like 12.50, got \"-1\"",
         { "products.csv", "sku,list_price\nA1,-1\n" })
ERR_TEST(t_blanks_around, "products.csv", 2, 2,
         "list_price: expected no blanks around the value, got \" 12.50\"",
         { "products.csv", "sku,list_price\nA1, 12.50\n" })
ERR_TEST(t_blanks_around_text, "products.csv", 2, 3, "name: expected no blanks",
         { "products.csv", "sku,list_price,name\nA1,10,\"Hammer \"\n" })
ERR_TEST(t_required_empty, "products.csv", 3, 1,
         "sku: expected a value (required column), got an empty cell",
         { "products.csv", "sku,list_price\nA1,10\n,20\n" })
ERR_TEST(t_currency_code_form, "products.csv", 2, 3,
         "currency: expected a currency code of three upper-case letters like EUR, got \"eur\"",
         { "products.csv", "sku,list_price,currency\nA1,10,eur\n" })
ERR_TEST(t_status_enum, "products.csv", 2, 3,
         "status: expected active or inactive, got \"Active\"",
         { "products.csv", "sku,list_price,status\nA1,10,Active\n" })
ERR_TEST(t_category_path, "products.csv", 2, 3,
         "category: expected a category path like tools/hand, got \"tools//hand\"",
         { "products.csv", "sku,list_price,category\nA1,10,tools//hand\n" })
ERR_TEST(t_pack_size_positive, "products.csv", 2, 3, "pack_size: expected a decimal > 0",
         { "products.csv", "sku,list_price,pack_size\nA1,10,0\n" })
ERR_TEST(t_on_hand_negative, "products.csv", 2, 3, "on_hand: expected a decimal >= 0",
         { "products.csv", "sku,list_price,on_hand\nA1,10,-3\n" })
ERR_TEST(t_max_below_min, "products.csv", 2, 4,
         "max_qty: expected a quantity >= min_qty \"10\", got \"5\"",
         { "products.csv", "sku,list_price,min_qty,max_qty\nA1,10,10,5\n" })
ERR_TEST(t_date_syntax, "price_lists.csv", 2, 2,
         "valid_from: expected a date like 2026-06-01 or 2026-06-01T08:00:00Z, got \"2026-13-01\"",
         PRODUCTS, LISTS("id,valid_from\nL1,2026-13-01\n"))
ERR_TEST(t_window_empty, "price_lists.csv", 2, 3,
         "valid_until: expected a date after valid_from \"2026-06-01\", got \"2026-06-01\"",
         PRODUCTS, LISTS("id,valid_from,valid_until\nL1,2026-06-01,2026-06-01\n"))
ERR_TEST(t_priority_integer, "price_lists.csv", 2, 2,
         "priority: expected an integer like 10, got \"1.5\"",
         PRODUCTS, LISTS("id,priority\nL1,1.5\n"))
ERR_TEST(t_tier_mode_enum, "price_lists.csv", 2, 2,
         "tier_mode: expected one of all_units, incremental, or block, got \"tiered\"",
         PRODUCTS, LISTS("id,tier_mode\nL1,tiered\n"))
ERR_TEST(t_applies_to_syntax, "price_lists.csv", 2, 2,
         "applies_to: expected a ;-list of default, segment:S, channel:C or customer:ID",
         PRODUCTS, LISTS("id,applies_to\nL1,default;group:x\n"))
ERR_TEST(t_applies_to_twice, "price_lists.csv", 2, 2,
         "applies_to: \"customer:C1\" named twice",
         PRODUCTS, LISTS("id,applies_to\nL1,customer:C1;segment:S;customer:C1\n"))
ERR_TEST(t_applies_to_blank_value, "price_lists.csv", 2, 2,
         "applies_to: expected a ;-list of default, segment:S, channel:C or customer:ID, "
         "got \"channel: web\"",
         PRODUCTS, LISTS("id,applies_to\nL1,default;channel: web\n"))
ERR_TEST(t_list_element_empty, "customers.csv", 2, 2,
         "payment_terms: expected a ;-list of ids like A;B, got \"net30;;prepay\"",
         PRODUCTS, { "customers.csv", "id,payment_terms\nC1,net30;;prepay\n" })
ERR_TEST(t_customer_list_twice, "customers.csv", 2, 2,
         "price_lists: price list \"L1\" named twice",
         PRODUCTS, LISTS("id\nL1\n"), { "customers.csv", "id,price_lists\nC1,L1;L1\n" })
ERR_TEST(t_catalog_scope_syntax, "customers.csv", 2, 2,
         "catalog: expected a scope: sku:SKU, category:PATH (like category:tools/hand) or all, "
         "got \"sku:\"",
         PRODUCTS, { "customers.csv", "id,catalog\nC1,sku:A1;sku:\n" })
ERR_TEST(t_credit_limit_negative, "customers.csv", 2, 2,
         "credit_limit: expected a decimal >= 0",
         PRODUCTS, { "customers.csv", "id,credit_limit\nC1,-1\n" })

/*===========================================================================
 * Price list items
 *===========================================================================*/

#define IH "list,scope,min_qty,compute,price,discount_percent,base,surcharge,round_to\n"

ERR_TEST(t_item_scope_syntax, "price_list_items.csv", 2, 2,
         "scope: expected a scope: sku:SKU, category:PATH (like category:tools/hand) or all, "
         "got \"product:A1\"",
         PRODUCTS, LISTS("id\nL1\n"), ITEMS(IH "L1,product:A1,0,fixed,9,,,,\n"))
ERR_TEST(t_item_fixed_without_price, "price_list_items.csv", 2, 5,
         "price: expected a value for compute fixed",
         PRODUCTS, LISTS("id\nL1\n"), ITEMS(IH "L1,sku:A1,0,fixed,,,,,\n"))
ERR_TEST(t_item_discount_without_percent, "price_list_items.csv", 2, 6,
         "discount_percent: expected a value for compute discount",
         PRODUCTS, LISTS("id\nL1\n"), ITEMS(IH "L1,sku:A1,0,discount,,,,,\n"))
ERR_TEST(t_item_discount_above_100, "price_list_items.csv", 2, 6,
         "discount_percent: expected a decimal <= 100",
         PRODUCTS, LISTS("id\nL1\n"), ITEMS(IH "L1,sku:A1,0,discount,,100.5,,,\n"))
ERR_TEST(t_item_price_on_discount, "price_list_items.csv", 2, 5,
         "price: not used by a discount item (leave it empty), got \"9\"",
         PRODUCTS, LISTS("id\nL1\n"), ITEMS(IH "L1,sku:A1,0,discount,9,5,,,\n"))
ERR_TEST(t_item_surcharge_on_discount, "price_list_items.csv", 2, 8,
         "surcharge: not used by a discount item",
         PRODUCTS, LISTS("id\nL1\n"), ITEMS(IH "L1,sku:A1,0,discount,,5,,1,\n"))
ERR_TEST(t_item_base_on_fixed, "price_list_items.csv", 2, 7,
         "base: not used by a fixed item (leave it empty), got \"cost\"",
         PRODUCTS, LISTS("id\nL1\n"), ITEMS(IH "L1,sku:A1,0,fixed,9,,cost,,\n"))
ERR_TEST(t_item_price_on_formula, "price_list_items.csv", 2, 5,
         "price: not used by a formula item",
         PRODUCTS, LISTS("id\nL1\n"), ITEMS(IH "L1,sku:A1,0,formula,9,5,,,\n"))
ERR_TEST(t_item_round_to_positive, "price_list_items.csv", 2, 9,
         "round_to: expected a decimal > 0",
         PRODUCTS, LISTS("id\nL1\n"), ITEMS(IH "L1,sku:A1,0,formula,,5,,,0\n"))
ERR_TEST(t_item_min_qty_negative, "price_list_items.csv", 2, 3,
         "min_qty: expected a decimal >= 0",
         PRODUCTS, LISTS("id\nL1\n"), ITEMS(IH "L1,sku:A1,-1,fixed,9,,,,\n"))
ERR_TEST(t_item_base_syntax, "price_list_items.csv", 2, 7,
         "base: expected list, cost, parent or list_id:ID, got \"list_id:\"",
         PRODUCTS, LISTS("id\nL1\n"), ITEMS(IH "L1,sku:A1,0,discount,,5,list_id:,,\n"))
ERR_TEST(t_item_compute_enum, "price_list_items.csv", 2, 4,
         "compute: expected one of fixed, discount, or formula, got \"Fixed\"",
         PRODUCTS, LISTS("id\nL1\n"), ITEMS(IH "L1,sku:A1,0,Fixed,9,,,,\n"))
ERR_TEST(t_block_list_non_fixed, "price_list_items.csv", 3, 4,
         "compute: expected fixed in block price list \"L1\" (tier_mode block), got \"discount\"",
         PRODUCTS, LISTS("id,tier_mode\nL1,block\n"),
         ITEMS(IH "L1,sku:A1,0,fixed,9,,,,\nL1,sku:A1,10,discount,,5,,,\n"))
ERR_TEST(t_item_unknown_list, "price_list_items.csv", 2, 1,
         "list: unknown price list \"L9\"",
         PRODUCTS, LISTS("id\nL1\n"), ITEMS(IH "L9,sku:A1,0,fixed,9,,,,\n"))
ERR_TEST(t_item_unknown_base_list, "price_list_items.csv", 2, 7,
         "base: unknown price list \"L9\"",
         PRODUCTS, LISTS("id\nL1\n"), ITEMS(IH "L1,sku:A1,0,discount,,5,list_id:L9,,\n"))
ERR_TEST(t_item_base_list_currency, "price_list_items.csv", 2, 7,
         "base: price list \"L2\" is in EUR, not USD like price list \"L1\"",
         PRODUCTS, LISTS("id,currency\nL1,USD\nL2,EUR\n"),
         ITEMS(IH "L1,sku:A1,0,discount,,5,list_id:L2,,\n"))
ERR_TEST(t_item_overlap, "price_list_items.csv", 3, 4,
         "valid_from: the item's window overlaps the item on line 2 with the same list \"L1\", "
         "scope sku:A1 and min_qty",
         PRODUCTS, LISTS("id\nL1\n"),
         ITEMS("list,scope,min_qty,valid_from,valid_until,compute,price\n"
               "L1,sku:A1,10,2026-01-01,2026-07-01,fixed,9\n"
               "L1,sku:A1,10.0,2026-06-01,2026-07-01,fixed,8\n"
               "L1,sku:A1,10,2026-07-01,,fixed,7\n"
               "L1,sku:A1,5,2026-06-01,,fixed,7\n"))

/*===========================================================================
 * Price lists: references, currencies, cycles
 *===========================================================================*/

ERR_TEST(t_parent_unknown, "price_lists.csv", 2, 2, "parent: unknown price list \"P\"",
         PRODUCTS, LISTS("id,parent\nL1,P\n"))
ERR_TEST(t_parent_currency, "price_lists.csv", 3, 3,
         "parent: price list \"L1\" is in USD, not EUR like price list \"L2\"",
         PRODUCTS, LISTS("id,currency,parent\nL1,USD,\nL2,EUR,L1\n"))
ERR_TEST(t_parent_self, "price_lists.csv", 2, 2,
         "parent: price list \"L1\" refers to itself through parent",
         PRODUCTS, LISTS("id,parent\nL1,L1\n"))
ERR_TEST(t_applies_unknown_customer, "price_lists.csv", 2, 2,
         "applies_to: unknown customer \"C9\"",
         PRODUCTS, LISTS("id,applies_to\nL1,customer:C9\n"), { "customers.csv", "id\nC1\n" })
ERR_TEST(t_customer_unknown_list, "customers.csv", 2, 2,
         "price_lists: unknown price list \"L9\"",
         PRODUCTS, LISTS("id\nL1\n"), { "customers.csv", "id,price_lists\nC1,L1;L9\n" })

/* Each list of a cycle is reported once, at its own row. */
START_TEST(t_cycle_parent)
{
	static const bfile f[] = {
		PRODUCTS, LISTS("id,parent\nA,C\nB,A\nC,B\nD,A\n"), END
	};
	b2b_ctx *ctx;
	b2b_book *book;

	ck_assert_int_eq(load(f, &ctx, &book), B2B_EBOOK);
	ck_assert_ptr_null(book);
	ck_assert_uint_eq(b2b_ctx_diag_count(ctx), 3);
	diag_is(ctx, 0, "price_lists.csv", 2, 2,
	        "parent: price list \"A\" is in a cycle of price lists (through parent or "
	        "base=list_id:) with \"B\", \"C\"");
	diag_is(ctx, 1, "price_lists.csv", 3, 2, "price list \"B\" is in a cycle");
	diag_is(ctx, 2, "price_lists.csv", 4, 2, "price list \"C\" is in a cycle");
	b2b_ctx_free(ctx);
}
END_TEST

START_TEST(t_cycle_base_list)
{
	static const bfile f[] = {
		PRODUCTS, LISTS("id,parent\nL1,\nL2,L1\n"),
		ITEMS(IH "L1,sku:A1,0,discount,,5,list_id:L2,,\n"), END
	};
	b2b_ctx *ctx;
	b2b_book *book;

	ck_assert_int_eq(load(f, &ctx, &book), B2B_EBOOK);
	ck_assert_uint_eq(b2b_ctx_diag_count(ctx), 2);
	diag_is(ctx, 0, "price_lists.csv", 2, 1,
	        "id: price list \"L1\" is in a cycle of price lists (through parent or "
	        "base=list_id:) with \"L2\"");
	diag_is(ctx, 1, "price_lists.csv", 3, 2, "parent: price list \"L2\" is in a cycle");
	b2b_ctx_free(ctx);
}
END_TEST

/*===========================================================================
 * Contracts
 *===========================================================================*/

ERR_TEST(t_contract_unknown_customer, "contracts.csv", 2, 2,
         "customer: unknown customer \"C9\"",
         PRODUCTS, { "customers.csv", "id\nC1\n" }, { "contracts.csv", "id,customer\nK1,C9\n" })
ERR_TEST(t_citem_unknown_contract, "contract_items.csv", 2, 1,
         "contract: unknown contract \"K9\"",
         PRODUCTS, { "customers.csv", "id\nC1\n" }, { "contracts.csv", "id,customer\nK1,C1\n" },
         { "contract_items.csv", "contract,scope,price\nK9,sku:A1,5\n" })
ERR_TEST(t_citem_both, "contract_items.csv", 2, 5,
         "discount_percent: expected exactly one of price and discount_percent, got both",
         PRODUCTS, { "customers.csv", "id\nC1\n" }, { "contracts.csv", "id,customer\nK1,C1\n" },
         { "contract_items.csv",
           "contract,scope,min_qty,price,discount_percent\nK1,sku:A1,,5,10\n" })
ERR_TEST(t_citem_neither, "contract_items.csv", 2, 4,
         "price: expected exactly one of price and discount_percent, got neither",
         PRODUCTS, { "customers.csv", "id\nC1\n" }, { "contracts.csv", "id,customer\nK1,C1\n" },
         { "contract_items.csv", "contract,scope,min_qty,price,discount_percent\nK1,sku:A1,,,\n" })
ERR_TEST(t_citem_discount_above_100, "contract_items.csv", 2, 3,
         "discount_percent: expected a decimal <= 100",
         PRODUCTS, { "customers.csv", "id\nC1\n" }, { "contracts.csv", "id,customer\nK1,C1\n" },
         { "contract_items.csv", "contract,scope,discount_percent\nK1,sku:A1,101\n" })
ERR_TEST(t_citem_duplicate_break, "contract_items.csv", 3, 2,
         "scope: the item repeats the item on line 2 with the same contract \"K1\", "
         "scope category:tools and min_qty",
         PRODUCTS, { "customers.csv", "id\nC1\n" }, { "contracts.csv", "id,customer\nK1,C1\n" },
         { "contract_items.csv", "contract,scope,min_qty,price\nK1,category:tools,0,5\n"
                                 "K1,category:tools,0,4\nK1,category:tools,1,4\n" })
ERR_TEST(t_contract_policy_enum, "contracts.csv", 2, 3,
         "policy: expected override or best, got \"lowest\"",
         PRODUCTS, { "customers.csv", "id\nC1\n" },
         { "contracts.csv", "id,customer,policy\nK1,C1,lowest\n" })

/*===========================================================================
 * Duplicate keys (each at its own row, naming the first row's line)
 *===========================================================================*/

ERR_TEST(t_dup_sku, "products.csv", 4, 1, "sku: duplicate sku \"A1\" (first on line 2)",
         { "products.csv", "sku,list_price\nA1,10\nB1,10\nA1,11\n" })
ERR_TEST(t_dup_customer, "customers.csv", 3, 1,
         "id: duplicate customer id \"C1\" (first on line 2)",
         PRODUCTS, { "customers.csv", "id\nC1\nC1\n" })
ERR_TEST(t_dup_list, "price_lists.csv", 3, 1,
         "id: duplicate price list id \"L1\" (first on line 2)",
         PRODUCTS, LISTS("id\nL1\nL1\n"))
ERR_TEST(t_dup_contract, "contracts.csv", 3, 1,
         "id: duplicate contract id \"K1\" (first on line 2)",
         PRODUCTS, { "customers.csv", "id\nC1\n" },
         { "contracts.csv", "id,customer\nK1,C1\nK1,C1\n" })
ERR_TEST(t_dup_rule, "dynamic_rules.csv", 3, 1,
         "id: duplicate dynamic rule id \"R1\" (first on line 2)",
         PRODUCTS, { "dynamic_rules.csv", "id,scope,signal,priority,markup_percent\n"
                     "R1,all,cost_plus,1,10\nR1,all,cost_plus,2,20\n" })
ERR_TEST(t_dup_promotion, "promotions.csv", 3, 1,
         "id: duplicate promotion id \"P1\" (first on line 2)",
         PRODUCTS, { "promotions.csv", "id,kind,value\nP1,percent,5\nP1,amount,1\n" })
ERR_TEST(t_dup_approval, "approval_rules.csv", 3, 1,
         "id: duplicate approval rule id \"A1\" (first on line 2)",
         PRODUCTS, { "approval_rules.csv", "id,metric,threshold,level\n"
                     "A1,quote_total_above,1000,1\nA1,quote_total_above,2000,2\n" })
ERR_TEST(t_dup_fx, "fx_rates.csv", 4, 1,
         "from: duplicate rate from EUR to USD with the same valid_from (first on line 2)",
         PRODUCTS, { "fx_rates.csv", "from,to,rate,valid_from\nEUR,USD,1.1,2026-01-01\n"
                     "EUR,USD,1.2,2026-02-01\nEUR,USD,1.3,2026-01-01T00:00:00Z\n" })
ERR_TEST(t_dup_tax, "taxes.csv", 3, 2,
         "region: duplicate tax rate for tax_class \"std\" and region \"DE\" (first on line 2)",
         PRODUCTS, { "taxes.csv", "tax_class,region,rate_percent\nstd,DE,19\nstd,DE,7\n" })
ERR_TEST(t_dup_setting, "settings.csv", 3, 1,
         "key: duplicate setting \"base_currency\" (first on line 2)",
         PRODUCTS, { "settings.csv", "key,value\nbase_currency,EUR\nbase_currency,USD\n" })
ERR_TEST(t_dup_currency, "currencies.csv", 3, 1,
         "code: duplicate currency \"XBT\" (first on line 2)",
         PRODUCTS, { "currencies.csv", "code,minor_units\nXBT,8\nXBT,6\n" })

/*===========================================================================
 * Settings, currencies, FX, taxes, approval rules
 *===========================================================================*/

ERR_TEST(t_setting_unknown_key, "settings.csv", 2, 1,
         "key: expected one of base_currency, rounding_mode",
         PRODUCTS, { "settings.csv", "key,value\nbase_ccy,EUR\n" })
ERR_TEST(t_setting_decimals_range, "settings.csv", 2, 2,
         "unit_price_decimals: expected an integer from 0 to 9, got \"12\"",
         PRODUCTS, { "settings.csv", "key,value\nunit_price_decimals,12\n" })
ERR_TEST(t_setting_max_discount_range, "settings.csv", 2, 2,
         "max_discount_percent: expected a decimal from 0 to 100",
         PRODUCTS, { "settings.csv", "key,value\nmax_discount_percent,150\n" })
ERR_TEST(t_setting_validity_days, "settings.csv", 2, 2,
         "quote_validity_days: expected a positive integer like 2, got \"0\"",
         PRODUCTS, { "settings.csv", "key,value\nquote_validity_days,0\n" })
ERR_TEST(t_setting_rounding_mode, "settings.csv", 2, 2,
         "rounding_mode: expected one of half_up, half_even",
         PRODUCTS, { "settings.csv", "key,value\nrounding_mode,bankers\n" })
ERR_TEST(t_setting_value_empty, "settings.csv", 2, 2,
         "value: expected a value for tax_rounding, got an empty cell",
         PRODUCTS, { "settings.csv", "key,value\ntax_rounding,\n" })
ERR_TEST(t_setting_base_unknown, "settings.csv", 2, 2,
         "value: unknown currency \"XYZ\" (neither built in nor in currencies.csv)",
         PRODUCTS, { "settings.csv", "key,value\nbase_currency,XYZ\n" })
ERR_TEST(t_product_currency_unknown, "products.csv", 2, 3,
         "currency: unknown currency \"XBT\"",
         { "products.csv", "sku,list_price,currency\nA1,10,XBT\n" })
ERR_TEST(t_minor_units_range, "currencies.csv", 2, 2,
         "minor_units: expected an integer from 0 to 9, got \"10\"",
         PRODUCTS, { "currencies.csv", "code,minor_units\nXBT,10\n" })
ERR_TEST(t_cash_increment_multiple, "currencies.csv", 2, 3,
         "cash_increment: expected a multiple of the minor unit (2 decimals), got \"0.005\"",
         PRODUCTS, { "currencies.csv", "code,minor_units,cash_increment\nCHF,2,0.005\n" })
ERR_TEST(t_fx_same_currency, "fx_rates.csv", 2, 2,
         "to: expected a currency other than from, got \"EUR\"",
         PRODUCTS, { "fx_rates.csv", "from,to,rate\nEUR,EUR,1\n" })
ERR_TEST(t_fx_rate_positive, "fx_rates.csv", 2, 3, "rate: expected a decimal > 0",
         PRODUCTS, { "fx_rates.csv", "from,to,rate\nEUR,USD,0\n" })
ERR_TEST(t_fx_unknown_currency, "fx_rates.csv", 2, 2, "to: unknown currency \"XBT\"",
         PRODUCTS, { "fx_rates.csv", "from,to,rate\nEUR,XBT,3\n" })
ERR_TEST(t_tax_rate_negative, "taxes.csv", 2, 3, "rate_percent: expected a decimal >= 0",
         PRODUCTS, { "taxes.csv", "tax_class,region,rate_percent\nstd,*,-1\n" })
ERR_TEST(t_approval_below_floor, "approval_rules.csv", 2, 1,
         "id: expected an id other than \"below_floor\"",
         PRODUCTS, { "approval_rules.csv", "id,metric,threshold,level\n"
                     "below_floor,quote_total_above,10,1\n" })
ERR_TEST(t_approval_level_range, "approval_rules.csv", 2, 4,
         "level: expected an integer from 1 to 9, got \"10\"",
         PRODUCTS, { "approval_rules.csv", "id,metric,threshold,level\n"
                     "A1,quote_total_above,10,10\n" })
ERR_TEST(t_approval_metric_enum, "approval_rules.csv", 2, 2, "metric: expected one of",
         PRODUCTS, { "approval_rules.csv", "id,metric,threshold,level\nA1,margin,10,1\n" })

/*===========================================================================
 * Dynamic rules
 *===========================================================================*/

#define RH "id,scope,signal,points,markup_percent,offset_percent,min_factor,max_factor\n"

ERR_TEST(t_rule_points_missing, "dynamic_rules.csv", 2, 4,
         "points: expected a value for signal stock_days",
         PRODUCTS, { "dynamic_rules.csv", RH "R1,all,stock_days,,,,,\n" })
ERR_TEST(t_rule_points_not_ascending, "dynamic_rules.csv", 2, 4,
         "points: expected x values strictly ascending, got \"10:1\"",
         PRODUCTS, { "dynamic_rules.csv", RH "R1,all,demand_ratio,0:1.2;10:1;10:1,,,,\n" })
ERR_TEST(t_rule_points_malformed, "dynamic_rules.csv", 2, 4,
         "points: expected x:factor pairs like 30:1.1, got \"10-1\"",
         PRODUCTS, { "dynamic_rules.csv", RH "R1,all,stock_days,0:1;10-1,,,,\n" })
ERR_TEST(t_rule_points_precision, "dynamic_rules.csv", 2, 4,
         "points: expected decimals of at most 9 fractional digits, got \"10:0.1234567891\"",
         PRODUCTS, { "dynamic_rules.csv", RH "R1,all,stock_days,0:1;10:0.1234567891,,,,\n" })
ERR_TEST(t_rule_points_overflow, "dynamic_rules.csv", 2, 4,
         "points: expected decimals of at most 28 integer digits, "
         "got \"12345678901234567890123456789:1\"",
         PRODUCTS, { "dynamic_rules.csv",
                     RH "R1,all,stock_days,0:1;12345678901234567890123456789:1,,,,\n" })
ERR_TEST(t_rule_points_not_decimals, "dynamic_rules.csv", 2, 4,
         "points: expected x:factor pairs of decimals like 30:1.1, got \"ten:1\"",
         PRODUCTS, { "dynamic_rules.csv", RH "R1,all,stock_days,0:1;ten:1,,,,\n" })
ERR_TEST(t_rule_min_above_max, "dynamic_rules.csv", 2, 7,
         "min_factor: expected at most max_factor \"0.9\", got \"1.1\"",
         PRODUCTS, { "dynamic_rules.csv", RH "R1,all,stock_days,0:1,,,1.1,0.9\n" })
ERR_TEST(t_rule_cost_plus_markup, "dynamic_rules.csv", 2, 5,
         "markup_percent: expected a value for signal cost_plus",
         PRODUCTS, { "dynamic_rules.csv", RH "R1,all,cost_plus,,,,,\n" })
ERR_TEST(t_rule_markup_unused, "dynamic_rules.csv", 2, 5,
         "markup_percent: not used by a stock_days rule",
         PRODUCTS, { "dynamic_rules.csv", RH "R1,all,stock_days,0:1,10,,,\n" })
ERR_TEST(t_rule_points_unused, "dynamic_rules.csv", 2, 4,
         "points: not used by a competitor rule",
         PRODUCTS, { "dynamic_rules.csv", RH "R1,all,competitor,0:1,,,,\n" })
ERR_TEST(t_rule_offset_unused, "dynamic_rules.csv", 2, 6,
         "offset_percent: not used by a cost_plus rule",
         PRODUCTS, { "dynamic_rules.csv", RH "R1,all,cost_plus,,10,5,,\n" })
ERR_TEST(t_rule_signal_enum, "dynamic_rules.csv", 2, 3,
         "signal: expected one of stock_days, demand_ratio, competitor, or cost_plus",
         PRODUCTS, { "dynamic_rules.csv", RH "R1,all,stock,0:1,,,,\n" })

/*===========================================================================
 * Promotions
 *===========================================================================*/

#define PH "id,kind,value,scope,buy_qty,get_qty,min_subtotal,stacking\n"

ERR_TEST(t_promo_value_missing, "promotions.csv", 2, 3,
         "value: expected a value for kind percent, got an empty cell",
         PRODUCTS, { "promotions.csv", PH "P1,percent,,,,,,\n" })
ERR_TEST(t_promo_value_zero, "promotions.csv", 2, 3,
         "value: expected a decimal > 0, got \"0\"",
         PRODUCTS, { "promotions.csv", PH "P1,amount,0,,,,,\n" })
ERR_TEST(t_promo_percent_above_100, "promotions.csv", 2, 3,
         "value: expected a percentage from 0 to 100",
         PRODUCTS, { "promotions.csv", PH "P1,order_percent,101,,,,,\n" })
ERR_TEST(t_promo_bxgy_value, "promotions.csv", 2, 3,
         "value: not used by a buy_x_get_y promotion",
         PRODUCTS, { "promotions.csv", PH "P1,buy_x_get_y,5,,2,1,,\n" })
ERR_TEST(t_promo_bxgy_buy_missing, "promotions.csv", 2, 5,
         "buy_qty: expected a value for kind buy_x_get_y",
         PRODUCTS, { "promotions.csv", PH "P1,buy_x_get_y,,,,1,,\n" })
ERR_TEST(t_promo_get_qty_integer, "promotions.csv", 2, 6,
         "get_qty: expected a positive integer like 2, got \"1.5\"",
         PRODUCTS, { "promotions.csv", PH "P1,buy_x_get_y,,,2,1.5,,\n" })
ERR_TEST(t_promo_buy_qty_on_percent, "promotions.csv", 2, 5,
         "buy_qty: not used by this kind of promotion (only buy_x_get_y)",
         PRODUCTS, { "promotions.csv", PH "P1,percent,5,,2,,,\n" })
ERR_TEST(t_promo_scope_on_order, "promotions.csv", 2, 4,
         "scope: not used by an order promotion",
         PRODUCTS, { "promotions.csv", PH "P1,order_amount,5,all,,,,\n" })
ERR_TEST(t_promo_min_subtotal_on_line, "promotions.csv", 2, 7,
         "min_subtotal: not used by a line promotion",
         PRODUCTS, { "promotions.csv", PH "P1,percent,5,,,,100,\n" })
ERR_TEST(t_promo_stacking_enum, "promotions.csv", 2, 8,
         "stacking: expected stackable or exclusive, got \"solo\"",
         PRODUCTS, { "promotions.csv", PH "P1,percent,5,,,,,solo\n" })

/*===========================================================================
 * Warnings, many problems, order
 *===========================================================================*/

/* An sku scope naming an sku that is not in the book is a warning. */
START_TEST(t_scope_unknown_sku_warning)
{
	static const bfile f[] = {
		PRODUCTS, LISTS("id\nL1\n"), ITEMS(IH "L1,sku:ZZ,0,fixed,9,,,,\n"), END
	};
	b2b_ctx *ctx;
	b2b_book *book;

	ck_assert_int_eq(load(f, &ctx, &book), 0);
	ck_assert_ptr_nonnull(book);
	ck_assert_uint_eq(b2b_ctx_diag_count(ctx), 1);
	ck_assert_int_eq(b2b_ctx_diag_severity(ctx, 0), B2B_SEV_WARNING);
	diag_is(ctx, 0, "price_list_items.csv", 2, 2, "scope: sku \"ZZ\" is not in the book");
	ck_assert_uint_eq(book->items[0].scope.id, B2B__NONE);
	ck_assert_str_eq(b2b__s(book, book->items[0].scope.text), "sku:ZZ");
	b2b_book_unref(book);
	b2b_ctx_free(ctx);
}
END_TEST

/* Several unknown skus in one list: warnings, and the book is built
 * (their items sort after the known skus, so that each scope's items stay
 * together). */
START_TEST(t_scope_unknown_skus_sorted_last)
{
	static const bfile f[] = {
		PRODUCTS, LISTS("id\nL1\n"),
		ITEMS(IH "L1,sku:ZZ,0,fixed,9,,,,\nL1,sku:A1,0,fixed,9,,,,\nL1,sku:A10,0,fixed,8,,,,\n"
		      "L1,sku:ZZ,5,fixed,7,,,,\nL1,sku:A2,0,fixed,9,,,,\n"),
		END
	};
	b2b_ctx *ctx;
	b2b_book *book;

	ck_assert_int_eq(load(f, &ctx, &book), 0);
	ck_assert_uint_eq(b2b_ctx_diag_count(ctx), 3);
	diag_is(ctx, 0, "price_list_items.csv", 2, 2, "sku \"ZZ\" is not in the book");
	diag_is(ctx, 1, "price_list_items.csv", 4, 2, "sku \"A10\" is not in the book");
	diag_is(ctx, 2, "price_list_items.csv", 5, 2, "sku \"ZZ\" is not in the book");
	ck_assert_uint_eq(book->nitems, 5);
	ck_assert_str_eq(b2b__s(book, book->items[0].scope.text), "sku:A1");
	ck_assert_str_eq(b2b__s(book, book->items[1].scope.text), "sku:A2");
	ck_assert_str_eq(b2b__s(book, book->items[2].scope.text), "sku:A10");
	ck_assert_str_eq(b2b__s(book, book->items[3].scope.text), "sku:ZZ");
	ck_assert_str_eq(b2b__s(book, book->items[4].scope.text), "sku:ZZ");
	b2b_book_unref(book);
	b2b_ctx_free(ctx);
}
END_TEST

/* Every problem is reported, in file order (cell problems and the ones
 * found at finish interleaved by file, line and column). */
START_TEST(t_many_problems_in_file_order)
{
	static const bfile f[] = {
		{ "settings.csv", "key,value\nbase_currency,eur\nfoo,1\n" },
		{ "products.csv", "sku,list_price,currency\nA1,x,USD\nA1,10,XBT\nA2,-1,USD\n" },
		{ "customers.csv", "id,price_lists\nC1,L9\n" },
		LISTS("id,parent\nL1,L2\nL2,L1\n"),
		ITEMS(IH "L1,sku:A1,0,fixed,,,,,\nL7,sku:A1,0,fixed,1,,,,\n"),
		END
	};
	static const struct { const char *file; long line, col; const char *sub; } want[] = {
		{ "settings.csv", 2, 2, "base_currency: expected a currency code" },
		{ "settings.csv", 3, 1, "key: expected one of" },
		{ "products.csv", 2, 2, "list_price: expected a decimal" },
		{ "products.csv", 3, 1, "duplicate sku \"A1\" (first on line 2)" },
		{ "products.csv", 3, 3, "unknown currency \"XBT\"" },
		{ "products.csv", 4, 2, "list_price: expected a decimal >= 0" },
		{ "customers.csv", 2, 2, "unknown price list \"L9\"" },
		{ "price_lists.csv", 2, 2, "is in a cycle" },
		{ "price_lists.csv", 3, 2, "is in a cycle" },
		{ "price_list_items.csv", 2, 5, "price: expected a value for compute fixed" },
		{ "price_list_items.csv", 3, 1, "unknown price list \"L7\"" },
	};
	b2b_ctx *ctx;
	b2b_book *book;
	size_t i;

	ck_assert_int_eq(load(f, &ctx, &book), B2B_EBOOK);
	ck_assert_ptr_null(book);
	if (b2b_ctx_diag_count(ctx) != sizeof(want) / sizeof(want[0]))
		dump(ctx);
	ck_assert_uint_eq(b2b_ctx_diag_count(ctx), sizeof(want) / sizeof(want[0]));
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		diag_is(ctx, i, want[i].file, want[i].line, want[i].col, want[i].sub);
	ck_assert_str_eq(b2b_ctx_errmsg(ctx), "the book has 11 errors (see the diagnostics)");
	b2b_ctx_free(ctx);
}
END_TEST

/*===========================================================================
 * Accepting cases
 *===========================================================================*/

static const bfile full_book[] = {
	{ "settings.csv", "key,value\nbase_currency,EUR\nrounding_mode,half_even\n"
	  "unit_price_decimals,2\ntax_rounding,document\nmax_discount_percent,30\n"
	  "min_margin_percent,5\nprice_tolerance,0.01\nquote_validity_days,30\n" },
	{ "currencies.csv", "code,minor_units,cash_increment\nCHF,2,0.05\nXBT,8,\n" },
	{ "fx_rates.csv", "from,to,rate,valid_from\nEUR,USD,1.10,\nEUR,USD,1.12,2026-03-01\n"
	  "EUR,CHF,0.95,\n" },
	{ "products.csv", "sku,list_price,name,category,uom,currency,cost,pack_size,min_qty,"
	  "max_qty,status,tax_class,on_hand,daily_demand,baseline_demand,competitor_price,"
	  "prev_price\n"
	  "B-2,5.5,Bolt,hardware/bolts,pc,,2,10,10,1000,active,std,500,20,25,5.4,5.6\n"
	  "A-1,12.50,Hammer,tools/hand,,,6.10,,,,,std,,,,,\n"
	  "C-3,99,Drill,tools/power,,USD,,,,,inactive,reduced,,,,,\n" },
	{ "customers.csv", "id,name,segment,channel,currency,price_lists,catalog,credit_limit,"
	  "open_balance,payment_terms,regions,min_order_value,budget\n"
	  "ACME,Acme Corp,wholesale,web,,VIP;WH,category:tools;sku:B-2,10000,-50,net30;prepay,"
	  "DE;FR,100,5000\n"
	  "BETA,Beta,retail,,USD,,,,,,,,\n" },
	{ "price_lists.csv", "id,currency,priority,valid_from,valid_until,parent,applies_to,"
	  "tier_mode\n"
	  "WH,,10,,,,segment:wholesale;customer:ACME,all_units\n"
	  "VIP,,20,2026-01-01,2027-01-01,WH,,incremental\n"
	  "BLK,,0,,,,default,block\n"
	  "USL,USD,0,,,,channel:web,\n" },
	{ "price_list_items.csv", "list,scope,min_qty,valid_from,valid_until,compute,price,"
	  "discount_percent,base,surcharge,round_to,min_margin,max_margin\n"
	  "WH,category:tools,0,,,discount,,10,,,,,\n"
	  "WH,sku:A-1,10,2026-01-01,2026-07-01,fixed,11,,,,,,\n"
	  "WH,sku:A-1,10,2026-07-01,,fixed,10.5,,,,,,\n"
	  "VIP,sku:A-1,0,,,formula,,5,parent,0.10,0.05,1,3\n"
	  "VIP,all,0,,,discount,,-2,list_id:WH,,,,\n"
	  "BLK,sku:B-2,100,,,fixed,450,,,,,,\n"
	  "USL,category:tools/power,0,,,fixed,120,,,,,,\n" },
	{ "contracts.csv", "id,customer,currency,valid_from,valid_until,policy,allow_promotions\n"
	  "K2,ACME,,2026-01-01,,best,1\nK1,BETA,,,,,\n" },
	{ "contract_items.csv", "contract,scope,min_qty,price,discount_percent\n"
	  "K2,sku:A-1,0,9.99,\nK2,category:hardware,50,,12\nK1,all,0,,3\n" },
	{ "dynamic_rules.csv", "id,scope,signal,priority,valid_from,valid_until,points,"
	  "markup_percent,offset_percent,min_factor,max_factor,max_change_percent,price_step\n"
	  "LOW,category:hardware,stock_days,5,,,0:1.2;30:1;90:0.9,,,0.8,1.3,10,0.05\n"
	  "CP,sku:C-3,cost_plus,1,,,,25,,,,,\n"
	  "COMP,all,competitor,5,,,,,-1,,,,\n" },
	{ "promotions.csv", "id,kind,value,scope,segment,code,valid_from,valid_until,priority,"
	  "stacking,buy_qty,get_qty,min_subtotal\n"
	  "SPRING,percent,10,category:tools,,,2026-03-01,2026-06-01,5,stackable,,,\n"
	  "B3G1,buy_x_get_y,,sku:B-2,,,,,1,,3,1,\n"
	  "BIG,order_amount,50,,wholesale,BIG50,,,0,exclusive,,,500\n" },
	{ "taxes.csv", "tax_class,region,rate_percent\nstd,*,19\nstd,FR,20\nreduced,*,7\n" },
	{ "approval_rules.csv", "id,metric,threshold,level\n"
	  "MGR,line_discount_percent,15,1\nDIR,quote_total_above,10000,2\n" },
	END
};

START_TEST(t_full_book)
{
	b2b_book *book = expect_ok(full_book, NULL);
	const b2b__product *p;
	const b2b__list *l;
	const b2b__customer *c;
	size_t i;

	ck_assert_uint_eq(b2b_book_count(book, B2B_TABLE_SETTINGS), 8);
	ck_assert_uint_eq(b2b_book_count(book, B2B_TABLE_CURRENCIES), 2);
	ck_assert_uint_eq(b2b_book_count(book, B2B_TABLE_FX_RATES), 3);
	ck_assert_uint_eq(b2b_book_count(book, B2B_TABLE_PRODUCTS), 3);
	ck_assert_uint_eq(b2b_book_count(book, B2B_TABLE_CUSTOMERS), 2);
	ck_assert_uint_eq(b2b_book_count(book, B2B_TABLE_PRICE_LISTS), 4);
	ck_assert_uint_eq(b2b_book_count(book, B2B_TABLE_PRICE_LIST_ITEMS), 7);
	ck_assert_uint_eq(b2b_book_count(book, B2B_TABLE_CONTRACTS), 2);
	ck_assert_uint_eq(b2b_book_count(book, B2B_TABLE_CONTRACT_ITEMS), 3);
	ck_assert_uint_eq(b2b_book_count(book, B2B_TABLE_DYNAMIC_RULES), 3);
	ck_assert_uint_eq(b2b_book_count(book, B2B_TABLE_PROMOTIONS), 3);
	ck_assert_uint_eq(b2b_book_count(book, B2B_TABLE_TAXES), 3);
	ck_assert_uint_eq(b2b_book_count(book, B2B_TABLE_APPROVAL_RULES), 2);
	ck_assert_str_eq(b2b_book_base_currency(book), "EUR");
	ck_assert_uint_eq(strlen(b2b_book_fingerprint(book)), 64);
	ck_assert_uint_gt(b2b_book_memory(book), 0);
	/* settings */
	ck_assert_int_eq(book->settings.rounding, B2B_ROUND_HALF_EVEN);
	ck_assert_int_eq(book->settings.unit_price_decimals, 2);
	ck_assert_int_eq(book->settings.tax_document, 1);
	ck_assert_int_eq(book->settings.quote_validity_days, 30);
	ck_assert(book->settings.min_margin_percent.set);
	/* products sorted by sku; currency default base; side table */
	ck_assert_str_eq(b2b__s(book, book->products[0].sku), "A-1");
	ck_assert_str_eq(b2b__s(book, book->products[1].sku), "B-2");
	ck_assert_str_eq(b2b__s(book, book->products[2].sku), "C-3");
	p = &book->products[0];
	ck_assert_str_eq(book->currencies[p->currency].code, "EUR");
	ck_assert_uint_eq(p->ext, B2B__NONE);
	ck_assert(p->flags & B2B__P_HAS_COST);
	ck_assert_str_eq(b2b__s(book, book->categories[p->category].path), "tools/hand");
	ck_assert_uint_eq(book->categories[p->category].depth, 2);
	ck_assert_str_eq(b2b__s(book, book->categories[book->categories[p->category].parent].path),
	                 "tools");
	ck_assert_uint_ne(book->products[1].ext, B2B__NONE);
	ck_assert(book->product_ext[book->products[1].ext].pack_size.set);
	ck_assert_str_eq(b2b__s(book, book->product_ext[book->products[1].ext].uom), "pc");
	ck_assert(book->products[2].flags & B2B__P_INACTIVE);
	ck_assert_str_eq(book->currencies[book->products[2].currency].code, "USD");
	ck_assert_str_eq(b2b__s(book, book->tax_classes[book->products[2].tax_class]), "reduced");
	/* categories: every prefix, sorted by path */
	ck_assert_uint_eq(book->ncategories, 5);
	for (i = 1; i < book->ncategories; i++)
		ck_assert_int_lt(strcmp(b2b__s(book, book->categories[i - 1].path),
		                        b2b__s(book, book->categories[i].path)), 0);
	/* currencies: built-in plus the book's, CHF overridden with a cash increment */
	ck_assert_uint_gt(book->ncurrencies, 100);
	ck_assert(book->currencies[b2b__book_currency(book, "CHF", 3)].cash_increment.set);
	ck_assert_int_eq(book->currencies[b2b__book_currency(book, "XBT", 3)].minor_units, 8);
	/* lists sorted by id, parents resolved, items grouped by list */
	ck_assert_str_eq(b2b__s(book, book->lists[0].id), "BLK");
	l = &book->lists[b2b__book_list(book, "VIP", 3)];
	ck_assert_uint_eq(l->parent, b2b__book_list(book, "WH", 2));
	ck_assert_int_eq(l->tier_mode, B2B__TIER_INCREMENTAL);
	ck_assert_uint_eq(l->items_n, 2);
	for (i = l->items_off; i < l->items_off + l->items_n; i++)
		ck_assert_uint_eq(book->items[i].list, (uint32_t)(l - book->lists));
	/* "all" sorts before "sku:A-1" */
	ck_assert_int_eq(book->items[l->items_off].scope.kind, B2B__SCOPE_ALL);
	ck_assert_uint_eq(book->items[l->items_off].base_list, b2b__book_list(book, "WH", 2));
	l = &book->lists[b2b__book_list(book, "WH", 2)];
	ck_assert_uint_eq(l->items_n, 3);
	ck_assert_int_eq(b2b__book_item_ext(book, &book->items[l->items_off + 1])->window.until,
	                 b2b__book_item_ext(book, &book->items[l->items_off + 2])->window.from);
	/* the side table: in item order, then contract item order; only the
	 * items with a window or a rare decimal have one (BLK's and USL's
	 * fixed items, K2's fixed sku item do not) */
	ck_assert_uint_eq(book->nitems, 7);
	ck_assert_uint_eq(book->nitem_ext, 7);
	ck_assert_uint_eq(book->items[0].ext, B2B__NONE);
	ck_assert_uint_eq(book->items[1].ext, B2B__NONE);
	for (i = 2; i < 7; i++)
		ck_assert_uint_eq(book->items[i].ext, i - 2);
	ck_assert(b2b__book_item_ext(book, &book->items[0])->window.from == B2B__T_MIN);
	ck_assert(!b2b__book_item_ext(book, &book->items[0])->discount_percent.set);
	ck_assert(b2b__item_window_has(book, &book->items[0], INT64_MIN));
	/* VIP all: discount -2, window open */
	ck_assert(b2b__book_item_ext(book, &book->items[2])->discount_percent.set);
	ck_assert(b2b__dec_eq(b2b__book_item_ext(book, &book->items[2])->discount_percent.v,
	                      b2b__dec_from_int(-2)));
	ck_assert(b2b__book_item_ext(book, &book->items[2])->window.until == B2B__T_MAX);
	/* WH sku:A-1 from 2026-07-01 (1782864000) */
	ck_assert(!b2b__item_window_has(book, &book->items[6], INT64_C(1782863999)));
	ck_assert(b2b__item_window_has(book, &book->items[6], INT64_C(1782864000)));
	ck_assert(book->items[5].price_set);
	ck_assert(b2b__dec_eq(book->items[5].price, b2b__dec_from_int(11)));
	ck_assert_uint_eq(book->ncitems, 3);
	ck_assert_uint_eq(book->citems[0].ext, 5);   /* K1 all, 3 % */
	ck_assert_uint_eq(book->citems[1].ext, 6);   /* K2 category:hardware, 12 % */
	ck_assert_uint_eq(book->citems[2].ext, B2B__NONE);   /* K2 sku:A-1 at 9.99 */
	ck_assert(!book->citems[1].price_set);
	ck_assert(b2b__dec_eq(book->item_ext[6].discount_percent.v, b2b__dec_from_int(12)));
	/* customers: lists in cell order, contracts resolved */
	c = &book->customers[b2b__book_customer(book, "ACME", 4)];
	ck_assert_uint_eq(c->lists_n, 2);
	ck_assert_uint_eq(book->u32[c->lists_off], b2b__book_list(book, "VIP", 3));
	ck_assert_uint_eq(c->catalog_n, 2);
	ck_assert_uint_eq(c->terms_n, 2);
	ck_assert_uint_eq(c->contracts_n, 1);
	ck_assert_str_eq(b2b__s(book, book->contracts[book->u32[c->contracts_off]].id), "K2");
	ck_assert_str_eq(book->currencies[book->contracts[1].currency].code, "EUR");
	/* contract K1's currency is its customer's */
	ck_assert_str_eq(book->currencies[book->contracts[0].currency].code, "USD");
	/* rules and promotions in application order */
	ck_assert_str_eq(b2b__s(book, book->rules[0].id), "COMP");
	ck_assert_str_eq(b2b__s(book, book->rules[1].id), "LOW");
	ck_assert_str_eq(b2b__s(book, book->rules[2].id), "CP");
	ck_assert_uint_eq(book->rules[1].points_n, 3);
	ck_assert_str_eq(b2b__s(book, book->promos[0].id), "SPRING");
	ck_assert_int_eq(book->max_approval_level, 2);
	/* fx sorted by (from, to, valid_from desc) */
	ck_assert_int_gt(book->fx[book->nfx - 2].valid_from, book->fx[book->nfx - 1].valid_from);
	b2b_book_unref(book);
}
END_TEST

/* Handles both ways: find_* gives 0 .. n-1 in key byte order, and the
 * accessors give back the key, the status and the quantity rules as the
 * rows of full_book wrote them. */
START_TEST(t_handles_both_ways)
{
	static const char *const skus[] = { "A-1", "B-2", "C-3" };
	b2b_book *book = expect_ok(full_book, NULL);
	b2b_dec v, ten, thousand, untouched;
	uint32_t h, i;

	b2b_dec_from_units(&ten, 10, 0);
	b2b_dec_from_units(&thousand, 1000, 0);
	b2b_dec_from_units(&untouched, 7, 0);
	for (i = 0; i < 3; i++) {
		ck_assert_str_eq(b2b_book_product_sku(book, i), skus[i]);
		ck_assert_int_eq(b2b_book_find_product(&h, book, skus[i], 3), 0);
		ck_assert_uint_eq(h, i);
	}
	ck_assert_ptr_null(b2b_book_product_sku(book, 3));
	ck_assert_ptr_null(b2b_book_product_sku(book, UINT32_MAX));
	ck_assert_ptr_null(b2b_book_product_sku(NULL, 0));
	ck_assert_str_eq(b2b_book_customer_id(book, 0), "ACME");
	ck_assert_str_eq(b2b_book_customer_id(book, 1), "BETA");
	ck_assert_int_eq(b2b_book_find_customer(&h, book, "BETA", 4), 0);
	ck_assert_uint_eq(h, 1);
	ck_assert_ptr_null(b2b_book_customer_id(book, 2));
	ck_assert_ptr_null(b2b_book_customer_id(NULL, 0));
	/* status: A-1 empty (active by default), B-2 active, C-3 inactive */
	ck_assert_int_eq(b2b_book_product_active(book, 0), 1);
	ck_assert_int_eq(b2b_book_product_active(book, 1), 1);
	ck_assert_int_eq(b2b_book_product_active(book, 2), 0);
	ck_assert_int_eq(b2b_book_product_active(book, 3), B2B_EINVAL);
	ck_assert_int_eq(b2b_book_product_active(NULL, 0), B2B_EINVAL);
	/* B-2: pack_size 10, min_qty 10, max_qty 1000 */
	ck_assert_int_eq(b2b_book_product_qty_rule(&v, book, 1, B2B_QTY_PACK_SIZE), 0);
	ck_assert_int_eq(b2b_dec_cmp(v, ten), 0);
	ck_assert_int_eq(b2b_book_product_qty_rule(&v, book, 1, B2B_QTY_MIN), 0);
	ck_assert_int_eq(b2b_dec_cmp(v, ten), 0);
	ck_assert_int_eq(b2b_book_product_qty_rule(&v, book, 1, B2B_QTY_MAX), 0);
	ck_assert_int_eq(b2b_dec_cmp(v, thousand), 0);
	/* A-1 sets none (no extension record), C-3 neither: out untouched */
	v = untouched;
	ck_assert_int_eq(b2b_book_product_qty_rule(&v, book, 0, B2B_QTY_PACK_SIZE),
	                 B2B_ENOTFOUND);
	ck_assert_int_eq(b2b_book_product_qty_rule(&v, book, 2, B2B_QTY_MAX), B2B_ENOTFOUND);
	ck_assert_int_eq(b2b_dec_cmp(v, untouched), 0);
	ck_assert_int_eq(b2b_book_product_qty_rule(&v, book, 3, B2B_QTY_MIN), B2B_EINVAL);
	ck_assert_int_eq(b2b_book_product_qty_rule(&v, book, 1, (b2b_qty_rule)3), B2B_EINVAL);
	ck_assert_int_eq(b2b_book_product_qty_rule(NULL, book, 1, B2B_QTY_MIN), B2B_EINVAL);
	ck_assert_int_eq(b2b_book_product_qty_rule(&v, NULL, 1, B2B_QTY_MIN), B2B_EINVAL);
	ck_assert_int_eq(b2b_dec_cmp(v, untouched), 0);
	b2b_book_unref(book);
}
END_TEST

START_TEST(t_settings_defaults)
{
	static const bfile f[] = { { "products.csv", "sku,list_price\nA1,10\n" }, END };
	b2b_book *book = expect_ok(f, NULL);
	b2b_dec hundred, zero;

	b2b_dec_from_units(&hundred, 100, 0);
	b2b_dec_from_units(&zero, 0, 0);
	ck_assert_str_eq(b2b_book_base_currency(book), "USD");
	ck_assert_int_eq(book->settings.rounding, B2B_ROUND_HALF_UP);
	ck_assert_int_eq(book->settings.unit_price_decimals, 4);
	ck_assert_int_eq(book->settings.tax_document, 0);
	ck_assert_int_eq(b2b_dec_cmp(book->settings.max_discount_percent, hundred), 0);
	ck_assert(!book->settings.min_margin_percent.set);
	ck_assert_int_eq(b2b_dec_cmp(book->settings.price_tolerance, zero), 0);
	ck_assert_int_eq(book->settings.quote_validity_days, 0);
	ck_assert_uint_eq(b2b_book_count(book, B2B_TABLE_SETTINGS), 0);
	b2b_book_unref(book);
}
END_TEST

START_TEST(t_bom_crlf)
{
	static const bfile f[] = {
		{ "products.csv", "\xEF\xBB\xBFsku,list_price,name\r\nA1,10,Hammer\r\nA2,5,Nail\r\n" },
		{ "customers.csv", "\xEF\xBB\xBFid,price_lists\r\nC1,L1\r\n" },
		LISTS("\xEF\xBB\xBFid\r\nL1\r\n"),
		END
	};
	b2b_book *book = expect_ok(f, NULL);

	ck_assert_uint_eq(book->nproducts, 2);
	ck_assert_str_eq(b2b__s(book, book->products[1].name), "Nail");
	ck_assert_uint_eq(book->ncustomers, 1);
	b2b_book_unref(book);
}
END_TEST

START_TEST(t_quoted_cells)
{
	static const bfile f[] = {
		{ "products.csv", "sku,\"list_price\",name\n\"A,1\",\"10.50\",\"Hammer, \"\"big\"\"\"\n"
		  "A2,5,\"two\nlines\"\n" },
		END
	};
	b2b_book *book = expect_ok(f, NULL);

	ck_assert_str_eq(b2b__s(book, book->products[0].sku), "A,1");
	ck_assert_str_eq(b2b__s(book, book->products[0].name), "Hammer, \"big\"");
	ck_assert_str_eq(b2b__s(book, book->products[1].name), "two\nlines");
	b2b_book_unref(book);
}
END_TEST

START_TEST(t_optional_files_absent)
{
	static const bfile f[] = { { "products.csv", "sku,list_price\nA1,10\n" }, END };
	b2b_book *book = expect_ok(f, NULL);
	int t;

	for (t = 0; t < B2B_TABLE_COUNT; t++)
		ck_assert_uint_eq(b2b_book_count(book, (b2b_book_table)t),
		                  t == B2B_TABLE_PRODUCTS ? 1 : 0);
	b2b_book_unref(book);
}
END_TEST

/* Only a header: an empty table. Columns in any order. */
START_TEST(t_header_only_any_order)
{
	static const bfile f[] = {
		{ "products.csv", "name,list_price,sku\nHammer,10,A1\n" },
		{ "customers.csv", "id,name\n" },
		END
	};
	b2b_book *book = expect_ok(f, NULL);

	ck_assert_str_eq(b2b__s(book, book->products[0].sku), "A1");
	ck_assert_uint_eq(b2b_book_count(book, B2B_TABLE_CUSTOMERS), 0);
	b2b_book_unref(book);
}
END_TEST

START_TEST(t_sample_book)
{
	b2b_ctx *ctx;
	b2b_book *book = NULL;
	int rc;

	ck_assert_int_eq(b2b_ctx_new(&ctx, NULL), 0);
	rc = b2b_book_load_dir(&book, ctx, NULL, B2B_EXAMPLES_DIR "/data/book");
	if (rc != 0 || b2b_ctx_diag_count(ctx) != 0)
		dump(ctx);
	ck_assert_int_eq(rc, 0);
	ck_assert_uint_eq(b2b_ctx_diag_count(ctx), 0);
	ck_assert_uint_gt(b2b_book_count(book, B2B_TABLE_PRODUCTS), 0);
	b2b_book_unref(book);
	b2b_ctx_free(ctx);
}
END_TEST

/*===========================================================================
 * The builder API
 *===========================================================================*/

static const char *const prod_cols[] = { "sku", "list_price", "category" };
static const char *const item_cols[] = { "list", "scope", "compute", "price" };
static const char *const list_cols[] = { "id" };

static int
add(b2b_book_builder *b, b2b_ctx *ctx, const char *a0, const char *a1, const char *a2,
    const char *a3, size_t n, long line)
{
	const char *cells[4];

	cells[0] = a0;
	cells[1] = a1;
	cells[2] = a2;
	cells[3] = a3;
	return b2b_book_builder_add_row(b, ctx, cells, NULL, n, line);
}

/* A small book through the builder; `rev` feeds the rows in reverse. */
static int
build_small(const b2b_allocator *a, b2b_ctx *ctx, int rev, b2b_book **out)
{
	static const char *const skus[] = { "A1", "B2", "C3", "D4" };
	b2b_book_builder *b;
	int rc, i;

	if ((rc = b2b_book_builder_new(&b, NULL, a)) < 0)
		return rc;
	if ((rc = b2b_book_builder_begin_table(b, ctx, B2B_TABLE_PRODUCTS, prod_cols, 3,
	                                       "erp:products")) < 0)
		goto done;
	for (i = 0; i < 4; i++) {
		int k = rev ? 3 - i : i;

		if ((rc = add(b, ctx, skus[k], "10.5", k % 2 ? "tools/hand" : "garden", NULL, 3,
		              i + 1)) < 0)
			goto done;
	}
	if ((rc = b2b_book_builder_begin_table(b, ctx, B2B_TABLE_PRICE_LISTS, list_cols, 1,
	                                       "erp:lists")) < 0 ||
	    (rc = add(b, ctx, rev ? "L2" : "L1", NULL, NULL, NULL, 1, 1)) < 0 ||
	    (rc = add(b, ctx, rev ? "L1" : "L2", NULL, NULL, NULL, 1, 2)) < 0)
		goto done;
	if ((rc = b2b_book_builder_begin_table(b, ctx, B2B_TABLE_PRICE_LIST_ITEMS, item_cols, 4,
	                                       "erp:items")) < 0)
		goto done;
	for (i = 0; i < 4; i++) {
		int k = rev ? 3 - i : i;

		static const char *const scopes[] = { "sku:A1", "sku:B2", "all", "category:tools" };

		if ((rc = add(b, ctx, k < 2 ? "L1" : "L2", scopes[k], "fixed", "9", 4, i + 1)) < 0)
			goto done;
	}
	rc = b2b_book_builder_finish(out, ctx, b);
done:
	b2b_book_builder_free(b);
	return rc;
}

START_TEST(t_builder_row_order_independent)
{
	b2b_ctx *ctx;
	b2b_book *b1 = NULL, *b2 = NULL;

	ck_assert_int_eq(b2b_ctx_new(&ctx, NULL), 0);
	ck_assert_int_eq(build_small(NULL, ctx, 0, &b1), 0);
	ck_assert_int_eq(build_small(NULL, ctx, 1, &b2), 0);
	ck_assert_uint_eq(b2b_ctx_diag_count(ctx), 0);
	ck_assert_str_eq(b2b_book_fingerprint(b1), b2b_book_fingerprint(b2));
	ck_assert_uint_eq(b1->nitems, 4);
	ck_assert_uint_eq(b1->ncategories, 3);
	b2b_book_unref(b1);
	b2b_book_unref(b2);
	b2b_ctx_free(ctx);
}
END_TEST

/* A bigger book (sorted by radix, not only by comparisons), fed in
 * scrambled orders: the same book; every table in key order. */
static int
build_big(b2b_ctx *ctx, unsigned seed, int dup, b2b_book **out)
{
	static const char *const pc[] = { "sku", "list_price", "category" };
	static const char *const ic[] = { "list", "scope", "min_qty", "compute", "price" };
	static const char *const lc[] = { "id" };
	enum { N = 600 };
	b2b_book_builder *b;
	char sku[32], scope[48], cat[32], qty[8], *cells[5];
	int rc, i;

	ck_assert_int_eq(b2b_book_builder_new(&b, NULL, NULL), 0);
	ck_assert_int_eq(b2b_book_builder_begin_table(b, ctx, B2B_TABLE_PRODUCTS, pc, 3, "p"), 0);
	for (i = 0; i < N; i++) {
		int j = (int)((i * 7919u + seed * 31u) % N);

		snprintf(sku, sizeof(sku), "SKU-%d", dup && i == N - 1 ? (int)((7919u + seed * 31u) % N) : j);
		snprintf(cat, sizeof(cat), "c%d/s%d", j % 7, j % 3);
		cells[0] = sku;
		cells[1] = (char *)"1.5";
		cells[2] = cat;
		ck_assert_int_eq(b2b_book_builder_add_row(b, ctx, (const char *const *)cells, NULL, 3,
		                                          i + 2), 0);
	}
	ck_assert_int_eq(b2b_book_builder_begin_table(b, ctx, B2B_TABLE_PRICE_LISTS, lc, 1, "l"), 0);
	cells[0] = (char *)(seed % 2 ? "LB" : "LA");
	ck_assert_int_eq(b2b_book_builder_add_row(b, ctx, (const char *const *)cells, NULL, 1, 2), 0);
	cells[0] = (char *)(seed % 2 ? "LA" : "LB");
	ck_assert_int_eq(b2b_book_builder_add_row(b, ctx, (const char *const *)cells, NULL, 1, 3), 0);
	ck_assert_int_eq(b2b_book_builder_begin_table(b, ctx, B2B_TABLE_PRICE_LIST_ITEMS, ic, 5,
	                                              "i"), 0);
	for (i = 0; i < N * 4; i++) {
		int j = (int)((i * 104729u + seed * 17u) % (N * 4)), p = j / 4;

		if (p == 0)
			snprintf(scope, sizeof(scope), "all");
		else if (p % 50 == 0)
			snprintf(scope, sizeof(scope), "category:c%d", p / 50);
		else
			snprintf(scope, sizeof(scope), "sku:SKU-%d", p);
		snprintf(qty, sizeof(qty), "%d", (j % 4) * 10);
		cells[0] = (char *)(p % 2 ? "LA" : "LB");
		cells[1] = scope;
		cells[2] = qty;
		cells[3] = (char *)"fixed";
		cells[4] = (char *)"1";
		ck_assert_int_eq(b2b_book_builder_add_row(b, ctx, (const char *const *)cells, NULL, 5,
		                                          i + 2), 0);
	}
	rc = b2b_book_builder_finish(out, ctx, b);
	b2b_book_builder_free(b);
	return rc;
}

START_TEST(t_builder_big_scrambled)
{
	b2b_ctx *ctx;
	b2b_book *b1 = NULL, *b2 = NULL;
	size_t i;

	ck_assert_int_eq(b2b_ctx_new(&ctx, NULL), 0);
	if (build_big(ctx, 1, 0, &b1) != 0)
		dump(ctx);
	ck_assert_ptr_nonnull(b1);
	ck_assert_int_eq(build_big(ctx, 2, 0, &b2), 0);
	ck_assert_uint_eq(b2b_ctx_diag_count(ctx), 0);
	ck_assert_str_eq(b2b_book_fingerprint(b1), b2b_book_fingerprint(b2));
	ck_assert_uint_eq(b1->nproducts, 600);
	ck_assert_uint_eq(b1->nitems, 2400);
	for (i = 1; i < b1->nproducts; i++)
		ck_assert_int_lt(strcmp(b2b__s(b1, b1->products[i - 1].sku),
		                        b2b__s(b1, b1->products[i].sku)), 0);
	for (i = 1; i < b1->nitems; i++) {
		const b2b__item *x = &b1->items[i - 1], *y = &b1->items[i];
		int c = strcmp(b2b__s(b1, x->scope.text), b2b__s(b1, y->scope.text));

		ck_assert_uint_le(x->list, y->list);
		if (x->list == y->list) {
			ck_assert_int_le(c, 0);
			if (c == 0)
				ck_assert_int_lt(b2b_dec_cmp(x->min_qty, y->min_qty), 0);
		}
		ck_assert_int_eq(memcmp(x, y, sizeof(*x)) != 0, 1);
	}
	for (i = 0; i < b1->nitems; i++) {
		const b2b__scope *x = &b1->items[i].scope, *y = &b2->items[i].scope;

		ck_assert_int_eq(x->kind, y->kind);
		ck_assert_uint_eq(x->id, y->id);
		ck_assert_str_eq(b2b__s(b1, x->text), b2b__s(b2, y->text));
	}
	b2b_book_unref(b1);
	b2b_book_unref(b2);
	/* a duplicate sku among many scrambled rows is still found */
	b2b_ctx_reset(ctx);
	ck_assert_int_eq(build_big(ctx, 3, 1, &b1), B2B_EBOOK);
	/* the duplicate, then 4 warnings: items naming the sku it replaced */
	ck_assert_uint_eq(b2b_ctx_diag_count(ctx), 5);
	ck_assert_int_eq(b2b_ctx_diag_severity(ctx, 0), B2B_SEV_ERROR);
	for (i = 1; i < 5; i++)
		ck_assert_int_eq(b2b_ctx_diag_severity(ctx, i), B2B_SEV_WARNING);
	diag_is(ctx, 0, "p", 601, 1, "duplicate sku \"SKU-");
	diag_is(ctx, 0, "p", 601, 1, "(first on line 3)");
	b2b_ctx_free(ctx);
}
END_TEST

/* build_big's book with its items in runs of one scope's breaks, every
 * 7th scope's in two runs far apart: the radix sort takes one key per
 * run, and the order must be the same. */
static int
build_big_runs(b2b_ctx *ctx, b2b_book **out)
{
	static const char *const pc[] = { "sku", "list_price", "category" };
	static const char *const ic[] = { "list", "scope", "min_qty", "compute", "price" };
	static const char *const lc[] = { "id" };
	enum { N = 600 };
	b2b_book_builder *b;
	char sku[32], scope[48], cat[32], qty[8], *cells[5];
	int rc, i, pass, line = 2;

	ck_assert_int_eq(b2b_book_builder_new(&b, NULL, NULL), 0);
	ck_assert_int_eq(b2b_book_builder_begin_table(b, ctx, B2B_TABLE_PRODUCTS, pc, 3, "p"), 0);
	for (i = 0; i < N; i++) {
		snprintf(sku, sizeof(sku), "SKU-%d", (int)((i * 7919u) % N));
		snprintf(cat, sizeof(cat), "c%d/s%d", (int)((i * 7919u) % N) % 7,
		         (int)((i * 7919u) % N) % 3);
		cells[0] = sku;
		cells[1] = (char *)"1.5";
		cells[2] = cat;
		ck_assert_int_eq(b2b_book_builder_add_row(b, ctx, (const char *const *)cells, NULL, 3,
		                                          i + 2), 0);
	}
	ck_assert_int_eq(b2b_book_builder_begin_table(b, ctx, B2B_TABLE_PRICE_LISTS, lc, 1, "l"), 0);
	cells[0] = (char *)"LB";
	ck_assert_int_eq(b2b_book_builder_add_row(b, ctx, (const char *const *)cells, NULL, 1, 2), 0);
	cells[0] = (char *)"LA";
	ck_assert_int_eq(b2b_book_builder_add_row(b, ctx, (const char *const *)cells, NULL, 1, 3), 0);
	ck_assert_int_eq(b2b_book_builder_begin_table(b, ctx, B2B_TABLE_PRICE_LIST_ITEMS, ic, 5,
	                                              "i"), 0);
	/* pass 0: every scope's breaks 3, 2 (and 1, 0 but for every 7th);
	 * pass 1: the 7th scopes' breaks 1, 0 */
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < N; i++) {
			int p = (int)((i * 104729u) % N), q;

			if (pass == 1 && p % 7 != 0)
				continue;
			if (p == 0)
				snprintf(scope, sizeof(scope), "all");
			else if (p % 50 == 0)
				snprintf(scope, sizeof(scope), "category:c%d", p / 50);
			else
				snprintf(scope, sizeof(scope), "sku:SKU-%d", p);
			for (q = 3; q >= 0; q--) {
				if ((pass == 0 && q < 2 && p % 7 == 0) || (pass == 1 && q >= 2))
					continue;
				snprintf(qty, sizeof(qty), "%d", q * 10);
				cells[0] = (char *)(p % 2 ? "LA" : "LB");
				cells[1] = scope;
				cells[2] = qty;
				cells[3] = (char *)"fixed";
				cells[4] = (char *)"1";
				ck_assert_int_eq(b2b_book_builder_add_row(b, ctx,
				                                          (const char *const *)cells,
				                                          NULL, 5, line++), 0);
			}
		}
	}
	rc = b2b_book_builder_finish(out, ctx, b);
	b2b_book_builder_free(b);
	return rc;
}

START_TEST(t_builder_item_runs)
{
	b2b_ctx *ctx;
	b2b_book *b1 = NULL, *b2 = NULL;
	size_t i;

	ck_assert_int_eq(b2b_ctx_new(&ctx, NULL), 0);
	ck_assert_int_eq(build_big(ctx, 1, 0, &b1), 0);
	if (build_big_runs(ctx, &b2) != 0)
		dump(ctx);
	ck_assert_ptr_nonnull(b2);
	ck_assert_uint_eq(b2b_ctx_diag_count(ctx), 0);
	ck_assert_str_eq(b2b_book_fingerprint(b1), b2b_book_fingerprint(b2));
	ck_assert_uint_eq(b2->nitems, 2400);
	for (i = 1; i < b2->nitems; i++) {
		const b2b__item *x = &b2->items[i - 1], *y = &b2->items[i];
		const b2b__item *u = &b1->items[i - 1], *v = &b1->items[i];

		/* the same list, scope and break at each place as the scrambled
		 * rows' book */
		ck_assert_uint_eq(x->list, u->list);
		ck_assert_str_eq(b2b__s(b2, x->scope.text), b2b__s(b1, u->scope.text));
		ck_assert_int_eq(b2b_dec_cmp(x->min_qty, u->min_qty), 0);
		ck_assert_uint_eq(y->list, v->list);
		ck_assert_str_eq(b2b__s(b2, y->scope.text), b2b__s(b1, v->scope.text));
		ck_assert_int_eq(b2b_dec_cmp(y->min_qty, v->min_qty), 0);
	}
	b2b_book_unref(b1);
	b2b_book_unref(b2);
	b2b_ctx_free(ctx);
}
END_TEST

/*
 * The loader reads records ahead of the row it adds: a file of many rows,
 * with keys repeated on consecutive rows and scattered, loads to the same
 * book as the same rows given to the builder one by one; and with a CSV
 * error or a bad cell on every other line, well past the diagnostics a
 * ctx keeps, the ones kept are the first lines' in file order.
 */
enum { AHEAD_ROWS = 300 };

static void
ahead_row(int i, char *sku, size_t n, char *scope, size_t m)
{
	int p = (int)((i / 3 * 7919u) % AHEAD_ROWS);

	snprintf(sku, n, "S%d", (int)((i * 7919u) % AHEAD_ROWS));
	if (i % 3 == 0 || p % 40 != 0)
		snprintf(scope, m, "sku:S%d", p);
	else
		snprintf(scope, m, "category:c%d", p % 5);
}

START_TEST(t_read_ahead_same_book)
{
	static const char *const pc[] = { "sku", "list_price", "category" };
	static const char *const ic[] = { "list", "scope", "min_qty", "compute", "price" };
	static const char *const lc[] = { "id" };
	size_t cap = 64 * AHEAD_ROWS * 4, lp = 0, li = 0;
	char *prod = malloc(cap), *items = malloc(cap), sku[32], scope[48], cat[32], qty[16];
	const char *cells[5];
	b2b_book_builder *b;
	b2b_book *b1, *b2;
	b2b_ctx *ctx;
	int i;

	ck_assert_ptr_nonnull(prod);
	ck_assert_ptr_nonnull(items);
	ck_assert_int_eq(b2b_ctx_new(&ctx, NULL), 0);
	ck_assert_int_eq(b2b_book_builder_new(&b, ctx, NULL), 0);
	lp += (size_t)snprintf(prod + lp, cap - lp, "sku,list_price,category\n");
	ck_assert_int_eq(b2b_book_builder_begin_table(b, ctx, B2B_TABLE_PRODUCTS, pc, 3,
	                                              "products.csv"), 0);
	for (i = 0; i < AHEAD_ROWS; i++) {
		ahead_row(i, sku, sizeof sku, scope, sizeof scope);
		snprintf(cat, sizeof cat, "c%d/s%d", i % 5, i / 60);
		lp += (size_t)snprintf(prod + lp, cap - lp, "%s,1.%d,%s\n", sku, i % 10, cat);
		snprintf(qty, sizeof qty, "1.%d", i % 10);
		cells[0] = sku;
		cells[1] = qty;
		cells[2] = cat;
		ck_assert_int_eq(b2b_book_builder_add_row(b, ctx, cells, NULL, 3, i + 2), 0);
	}
	ck_assert_int_eq(b2b_book_builder_begin_table(b, ctx, B2B_TABLE_PRICE_LISTS, lc, 1,
	                                              "price_lists.csv"), 0);
	cells[0] = "L1";
	ck_assert_int_eq(b2b_book_builder_add_row(b, ctx, cells, NULL, 1, 2), 0);
	li += (size_t)snprintf(items + li, cap - li, "list,scope,min_qty,compute,price\n");
	ck_assert_int_eq(b2b_book_builder_begin_table(b, ctx, B2B_TABLE_PRICE_LIST_ITEMS, ic, 5,
	                                              "price_list_items.csv"), 0);
	for (i = 0; i < AHEAD_ROWS * 3; i++) {
		ahead_row(i, sku, sizeof sku, scope, sizeof scope);
		snprintf(qty, sizeof qty, "%d", i);   /* breaks of one scope differ */
		li += (size_t)snprintf(items + li, cap - li, "L1,%s,%s,fixed,2\n", scope, qty);
		cells[0] = "L1";
		cells[1] = scope;
		cells[2] = qty;
		cells[3] = "fixed";
		cells[4] = "2";
		ck_assert_int_eq(b2b_book_builder_add_row(b, ctx, cells, NULL, 5, i + 2), 0);
	}
	ck_assert_uint_lt(lp, cap);
	ck_assert_uint_lt(li, cap);
	if (b2b_book_builder_finish(&b1, ctx, b) != 0)
		dump(ctx);
	ck_assert_ptr_nonnull(b1);
	b2b_book_builder_free(b);
	b2b_ctx_free(ctx);
	{
		const bfile f[] = {
			{ "products.csv", prod }, { "price_lists.csv", "id\nL1\n" },
			{ "price_list_items.csv", items }, END
		};

		b2 = expect_ok(f, NULL);
	}
	ck_assert_str_eq(b2b_book_fingerprint(b1), b2b_book_fingerprint(b2));
	ck_assert_uint_eq(b2->nproducts, AHEAD_ROWS);
	ck_assert_uint_eq(b2->nitems, AHEAD_ROWS * 3);
	b2b_book_unref(b1);
	b2b_book_unref(b2);
	free(prod);
	free(items);
}
END_TEST

START_TEST(t_read_ahead_diagnostics_kept_in_order)
{
	enum { N = B2B_CTX_MAX_DIAGS * 3 / 2 };
	size_t cap = 32 * N + 64, len = 0, i;
	char *prod = malloc(cap);
	b2b_ctx *ctx;
	b2b_book *book;

	ck_assert_ptr_nonnull(prod);
	len += (size_t)snprintf(prod + len, cap - len, "sku,list_price\n");
	/* every row has one problem: a CSV error (too many fields) or a bad
	 * price, in turn */
	for (i = 0; i < N; i++) {
		if (i % 2 == 0)
			len += (size_t)snprintf(prod + len, cap - len, "A%zu,1,x\n", i);
		else
			len += (size_t)snprintf(prod + len, cap - len, "A%zu,-1\n", i);
	}
	ck_assert_uint_lt(len, cap);
	{
		const bfile f[] = { { "products.csv", prod }, END };

		ck_assert_int_eq(load(f, &ctx, &book), B2B_EBOOK);
	}
	ck_assert_ptr_null(book);
	ck_assert_uint_eq(b2b_ctx_diag_count(ctx), B2B_CTX_MAX_DIAGS);
	for (i = 0; i < B2B_CTX_MAX_DIAGS; i++) {
		if (i % 2 == 0)
			diag_is(ctx, i, "products.csv", (long)i + 2, 1, "expected 2 fields");
		else
			diag_is(ctx, i, "products.csv", (long)i + 2, 2, "list_price: expected a decimal");
	}
	b2b_ctx_free(ctx);
	free(prod);
}
END_TEST

START_TEST(t_builder_misuse)
{
	b2b_ctx *ctx;
	b2b_book_builder *b;
	b2b_book *book = NULL;
	static const char *const bad_cols[] = { "sku", "colour" };

	ck_assert_int_eq(b2b_ctx_new(&ctx, NULL), 0);
	ck_assert_int_eq(b2b_book_builder_new(NULL, NULL, NULL), B2B_EINVAL);
	ck_assert_int_eq(b2b_book_builder_new(NULL, ctx, NULL), B2B_EINVAL);
	ck_assert_str_eq(b2b_ctx_errmsg(ctx), "b2b_book_builder_new: out is NULL");
	ck_assert_int_eq(b2b_book_builder_new(&b, ctx, NULL), 0);
	/* a row before any table */
	ck_assert_int_eq(add(b, ctx, "A1", "1", NULL, NULL, 2, 1), B2B_EMISUSE);
	ck_assert_int_eq(b2b_book_builder_begin_table(b, ctx, B2B_TABLE_COUNT, prod_cols, 3, NULL),
	                 B2B_EINVAL);
	/* a bad header: B2B_EBOOK and its rows are ignored */
	ck_assert_int_eq(b2b_book_builder_begin_table(b, ctx, B2B_TABLE_PRODUCTS, bad_cols, 2,
	                                              "erp"), B2B_EBOOK);
	ck_assert_uint_eq(b2b_ctx_diag_count(ctx), 2);
	diag_is(ctx, 0, "erp", 1, 2, "unknown column \"colour\"");
	diag_is(ctx, 1, "erp", 1, 1, "missing required column \"list_price\"");
	ck_assert_int_eq(add(b, ctx, "A1", "red", NULL, NULL, 2, 2), 0);
	ck_assert_uint_eq(b2b_ctx_diag_count(ctx), 2);
	ck_assert_int_eq(b2b_book_builder_begin_table(b, ctx, B2B_TABLE_PRODUCTS, prod_cols, 3,
	                                              NULL), 0);
	/* the cell count must match the header */
	ck_assert_int_eq(add(b, ctx, "A1", "1", NULL, NULL, 2, 1), B2B_EINVAL);
	ck_assert_int_eq(add(b, ctx, "A1", "1", "", NULL, 3, 1), 0);
	ck_assert_int_eq(b2b_book_builder_finish(&book, ctx, b), B2B_EBOOK);
	ck_assert_ptr_null(book);
	/* finished: only free */
	ck_assert_int_eq(add(b, ctx, "A2", "1", "", NULL, 3, 2), B2B_EMISUSE);
	ck_assert_int_eq(b2b_book_builder_begin_table(b, ctx, B2B_TABLE_PRODUCTS, prod_cols, 3,
	                                              NULL), B2B_EMISUSE);
	ck_assert_int_eq(b2b_book_builder_finish(&book, ctx, b), B2B_EMISUSE);
	b2b_book_builder_free(b);
	b2b_book_builder_free(NULL);
	b2b_ctx_free(ctx);
}
END_TEST

/* One table from two sources: a duplicate names the other source, and
 * the diagnostics come in source order. */
START_TEST(t_builder_two_sources)
{
	b2b_ctx *ctx;
	b2b_book_builder *b;
	b2b_book *book = NULL;

	ck_assert_int_eq(b2b_ctx_new(&ctx, NULL), 0);
	ck_assert_int_eq(b2b_book_builder_new(&b, NULL, NULL), 0);
	ck_assert_int_eq(b2b_book_builder_begin_table(b, ctx, B2B_TABLE_PRODUCTS, prod_cols, 3,
	                                              "erp:a"), 0);
	ck_assert_int_eq(add(b, ctx, "A1", "1", "", NULL, 3, 10), 0);
	ck_assert_int_eq(add(b, ctx, "A2", "x", "", NULL, 3, 11), 0);
	ck_assert_int_eq(b2b_book_builder_begin_table(b, ctx, B2B_TABLE_PRICE_LISTS, list_cols, 1,
	                                              "erp:l"), 0);
	ck_assert_int_eq(add(b, ctx, "L1", NULL, NULL, NULL, 1, 4), 0);
	ck_assert_int_eq(b2b_book_builder_begin_table(b, ctx, B2B_TABLE_PRODUCTS, prod_cols, 3,
	                                              "erp:b"), 0);
	ck_assert_int_eq(add(b, ctx, "A1", "2", "", NULL, 3, 3), 0);
	ck_assert_int_eq(b2b_book_builder_finish(&book, ctx, b), B2B_EBOOK);
	ck_assert_ptr_null(book);
	ck_assert_uint_eq(b2b_ctx_diag_count(ctx), 2);
	diag_is(ctx, 0, "erp:a", 11, 2, "list_price: expected a decimal like 12.50, got \"x\"");
	diag_is(ctx, 1, "erp:b", 3, 1, "sku: duplicate sku \"A1\" (first at erp:a:10)");
	b2b_book_builder_free(b);
	b2b_ctx_free(ctx);
}
END_TEST

/* Cells with explicit lengths; a NUL or invalid UTF-8 inside a cell. */
START_TEST(t_builder_lengths_and_bytes)
{
	b2b_ctx *ctx;
	b2b_book_builder *b;
	b2b_book *book = NULL;
	const char *cells[3] = { "A1xx", "12.5yy", "" };
	size_t lens[3] = { 2, 4, 0 };
	const char *bad[3] = { "B\0", "1", "\xC3\x28" };
	size_t blens[3] = { 2, 1, 2 };

	ck_assert_int_eq(b2b_ctx_new(&ctx, NULL), 0);
	ck_assert_int_eq(b2b_book_builder_new(&b, NULL, NULL), 0);
	ck_assert_int_eq(b2b_book_builder_begin_table(b, ctx, B2B_TABLE_PRODUCTS, prod_cols, 3,
	                                              "host"), 0);
	ck_assert_int_eq(b2b_book_builder_add_row(b, ctx, cells, lens, 3, 7), 0);
	ck_assert_uint_eq(b2b_ctx_diag_count(ctx), 0);
	ck_assert_int_eq(b2b_book_builder_add_row(b, ctx, bad, blens, 3, 8), 0);
	ck_assert_uint_eq(b2b_ctx_diag_count(ctx), 2);
	diag_is(ctx, 0, "host", 8, 1, "sku: expected text without NUL bytes");
	diag_is(ctx, 1, "host", 8, 3, "category: expected UTF-8 text");
	ck_assert_int_eq(b2b_book_builder_finish(&book, ctx, b), B2B_EBOOK);
	b2b_book_builder_free(b);
	b2b_ctx_free(ctx);
}
END_TEST

/* UTF-8 at its edges, in cells from the builder (a CSV file is checked
 * as it is read): the smallest and largest code points of each length
 * are accepted; overlong forms, surrogates, code points past U+10FFFF,
 * bytes that never start a sequence, cut sequences and bad continuation
 * bytes are each reported at their cell. */
START_TEST(t_builder_utf8_edges)
{
	static const char *const good[] = {
		"\xC2\x80", "\xDF\xBF", "\xE0\xA0\x80", "\xED\x9F\xBF", "\xEE\x80\x80",
		"\xEF\xBF\xBF", "\xF0\x90\x80\x80", "\xF4\x8F\xBF\xBF",
	};
	static const char *const bad[] = {
		"\xC1\xBF",              /* overlong U+007F */
		"\xE0\x9F\xBF",          /* overlong U+07FF */
		"\xED\xA0\x80",          /* surrogate U+D800 */
		"\xF0\x8F\xBF\xBF",      /* overlong U+FFFF */
		"\xF4\x90\x80\x80",      /* U+110000 */
		"\xF5\x80\x80\x80",      /* never a lead byte */
		"\xE2\x82",              /* cut */
		"\xF0\x90\x80",          /* cut */
		"\xE2\x28\xA1",          /* bad second byte */
		"\xF0\x90\x28\x80",      /* bad third byte */
		"x\xDF",                 /* cut at the end */
	};
	const char *cells[3];
	char sku[8];
	b2b_ctx *ctx;
	b2b_book_builder *b;
	b2b_book *book = NULL;
	size_t i;

	ck_assert_int_eq(b2b_ctx_new(&ctx, NULL), 0);
	ck_assert_int_eq(b2b_book_builder_new(&b, NULL, NULL), 0);
	ck_assert_int_eq(b2b_book_builder_begin_table(b, ctx, B2B_TABLE_PRODUCTS, prod_cols, 3,
	                                              "host"), 0);
	cells[0] = sku;
	cells[1] = "1";
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		snprintf(sku, sizeof(sku), "G%zu", i);
		cells[2] = good[i];
		ck_assert_int_eq(b2b_book_builder_add_row(b, ctx, cells, NULL, 3, (long)i + 1), 0);
	}
	ck_assert_uint_eq(b2b_ctx_diag_count(ctx), 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(sku, sizeof(sku), "B%zu", i);
		cells[2] = bad[i];
		ck_assert_int_eq(b2b_book_builder_add_row(b, ctx, cells, NULL, 3, (long)i + 100), 0);
		ck_assert_uint_eq(b2b_ctx_diag_count(ctx), i + 1);
		diag_is(ctx, i, "host", (long)i + 100, 3, "category: expected UTF-8 text");
	}
	ck_assert_int_eq(b2b_book_builder_finish(&book, ctx, b), B2B_EBOOK);
	ck_assert_ptr_null(book);
	b2b_book_builder_free(b);
	b2b_ctx_free(ctx);
}
END_TEST

/*===========================================================================
 * Out of memory
 *===========================================================================*/

static int
oom_builder(const b2b_allocator *a, void *ud)
{
	b2b_ctx *ctx;
	b2b_book *book = NULL;
	int rc;

	(void)ud;
	ck_assert_int_eq(b2b_ctx_new(&ctx, NULL), 0);
	rc = build_small(a, ctx, 0, &book);
	if (rc == 0) {
		ck_assert_ptr_nonnull(book);
		b2b_book_unref(book);
	} else {
		ck_assert_ptr_null(book);
	}
	b2b_ctx_free(ctx);
	return rc;
}

START_TEST(t_oom_builder)
{
	int dummy;

	long n = failalloc_loop(oom_builder, &dummy, 10000);

	/* every allocation of the build failed once, then it succeeded */
	ck_assert_int_gt(n, 30);
}
END_TEST

static int
oom_load(const b2b_allocator *a, void *ud)
{
	b2b_ctx *ctx;
	b2b_book *book = (b2b_book *)&ctx;
	int rc;

	ck_assert_int_eq(b2b_ctx_new(&ctx, NULL), 0);
	rc = b2b_book_load_dir(&book, ctx, a, (const char *)ud);
	if (rc == 0) {
		ck_assert_uint_eq(b2b_ctx_diag_count(ctx), 0);
		b2b_book_unref(book);
	} else {
		ck_assert_ptr_null(book);
	}
	b2b_ctx_free(ctx);
	return rc;
}

START_TEST(t_oom_load_dir)
{
	static const bfile f[] = {
		{ "settings.csv", "key,value\nbase_currency,EUR\n" },
		{ "currencies.csv", "code,minor_units\nXBT,8\n" },
		{ "fx_rates.csv", "from,to,rate\nEUR,USD,1.1\n" },
		{ "products.csv", "sku,list_price,category,pack_size,tax_class\n"
		  "A1,10,tools/hand,2,std\nA2,5,garden,,\n" },
		{ "customers.csv", "id,price_lists,catalog,payment_terms\nC1,L1,category:tools,net30\n" },
		LISTS("id,applies_to\nL1,default\nL2,segment:x\n"),
		ITEMS(IH "L1,sku:A1,0,fixed,9,,,,\nL2,all,0,discount,,5,list_id:L1,,\n"),
		{ "contracts.csv", "id,customer\nK1,C1\n" },
		{ "contract_items.csv", "contract,scope,price\nK1,sku:A2,4\n" },
		{ "dynamic_rules.csv", "id,scope,signal,points\nR1,all,stock_days,0:1;10:0.9\n" },
		{ "promotions.csv", "id,kind,value\nP1,percent,5\n" },
		{ "taxes.csv", "tax_class,region,rate_percent\nstd,*,19\n" },
		{ "approval_rules.csv", "id,metric,threshold,level\nA,quote_total_above,100,1\n" },
		END
	};
	char *dir = make_dir(f);

	long n = failalloc_loop(oom_load, dir, 100000);

	ck_assert_int_gt(n, 100);
	remove_dir(dir, f);
}
END_TEST

static Suite *
book_load_suite(void)
{
	Suite *s = suite_create("book_load");
	TCase *files = tcase_create("Files");
	TCase *cells = tcase_create("Cells");
	TCase *refs = tcase_create("References");
	TCase *core = tcase_create("Core");
	TCase *limits = tcase_create("Limits");

	tcase_add_test(files, t_unknown_column);
	tcase_add_test(files, t_duplicate_column);
	tcase_add_test(files, t_missing_required_column);
	tcase_add_test(files, t_empty_file);
	tcase_add_test(files, t_csv_unterminated_quote);
	tcase_add_test(files, t_csv_field_count);
	tcase_add_test(files, t_products_missing);
	tcase_add_test(files, t_not_a_directory);
	tcase_add_test(files, t_csv_error_other_files_go_on);
	tcase_add_test(files, t_read_ahead_same_book);
	tcase_add_test(files, t_read_ahead_diagnostics_kept_in_order);
	tcase_add_test(files, t_csv_encoding_errors_all_reported);
	tcase_add_test(files, t_csv_bad_header_read_on);
	tcase_add_test(files, t_bad_header_no_cascade);
	tcase_add_test(files, t_bad_header_later_files_read);
	suite_add_tcase(s, files);

	tcase_add_test(cells, t_decimal_syntax);
	tcase_add_test(cells, t_decimal_plus_sign);
	tcase_add_test(cells, t_decimal_precision);
	tcase_add_test(cells, t_decimal_overflow);
	tcase_add_test(cells, t_list_price_negative);
	tcase_add_test(cells, t_blanks_around);
	tcase_add_test(cells, t_blanks_around_text);
	tcase_add_test(cells, t_required_empty);
	tcase_add_test(cells, t_currency_code_form);
	tcase_add_test(cells, t_status_enum);
	tcase_add_test(cells, t_category_path);
	tcase_add_test(cells, t_pack_size_positive);
	tcase_add_test(cells, t_on_hand_negative);
	tcase_add_test(cells, t_max_below_min);
	tcase_add_test(cells, t_date_syntax);
	tcase_add_test(cells, t_window_empty);
	tcase_add_test(cells, t_priority_integer);
	tcase_add_test(cells, t_tier_mode_enum);
	tcase_add_test(cells, t_applies_to_syntax);
	tcase_add_test(cells, t_list_element_empty);
	tcase_add_test(cells, t_customer_list_twice);
	tcase_add_test(cells, t_applies_to_twice);
	tcase_add_test(cells, t_applies_to_blank_value);
	tcase_add_test(cells, t_catalog_scope_syntax);
	tcase_add_test(cells, t_credit_limit_negative);
	tcase_add_test(cells, t_item_scope_syntax);
	tcase_add_test(cells, t_item_fixed_without_price);
	tcase_add_test(cells, t_item_discount_without_percent);
	tcase_add_test(cells, t_item_discount_above_100);
	tcase_add_test(cells, t_item_price_on_discount);
	tcase_add_test(cells, t_item_surcharge_on_discount);
	tcase_add_test(cells, t_item_base_on_fixed);
	tcase_add_test(cells, t_item_price_on_formula);
	tcase_add_test(cells, t_item_round_to_positive);
	tcase_add_test(cells, t_item_min_qty_negative);
	tcase_add_test(cells, t_item_base_syntax);
	tcase_add_test(cells, t_item_compute_enum);
	tcase_add_test(cells, t_citem_both);
	tcase_add_test(cells, t_citem_neither);
	tcase_add_test(cells, t_citem_discount_above_100);
	tcase_add_test(cells, t_contract_policy_enum);
	tcase_add_test(cells, t_setting_unknown_key);
	tcase_add_test(cells, t_setting_decimals_range);
	tcase_add_test(cells, t_setting_max_discount_range);
	tcase_add_test(cells, t_setting_validity_days);
	tcase_add_test(cells, t_setting_rounding_mode);
	tcase_add_test(cells, t_setting_value_empty);
	tcase_add_test(cells, t_minor_units_range);
	tcase_add_test(cells, t_cash_increment_multiple);
	tcase_add_test(cells, t_fx_same_currency);
	tcase_add_test(cells, t_fx_rate_positive);
	tcase_add_test(cells, t_tax_rate_negative);
	tcase_add_test(cells, t_approval_below_floor);
	tcase_add_test(cells, t_approval_level_range);
	tcase_add_test(cells, t_approval_metric_enum);
	tcase_add_test(cells, t_rule_points_missing);
	tcase_add_test(cells, t_rule_points_not_ascending);
	tcase_add_test(cells, t_rule_points_malformed);
	tcase_add_test(cells, t_rule_points_precision);
	tcase_add_test(cells, t_rule_points_overflow);
	tcase_add_test(cells, t_rule_points_not_decimals);
	tcase_add_test(cells, t_rule_min_above_max);
	tcase_add_test(cells, t_rule_cost_plus_markup);
	tcase_add_test(cells, t_rule_markup_unused);
	tcase_add_test(cells, t_rule_points_unused);
	tcase_add_test(cells, t_rule_offset_unused);
	tcase_add_test(cells, t_rule_signal_enum);
	tcase_add_test(cells, t_promo_value_missing);
	tcase_add_test(cells, t_promo_value_zero);
	tcase_add_test(cells, t_promo_percent_above_100);
	tcase_add_test(cells, t_promo_bxgy_value);
	tcase_add_test(cells, t_promo_bxgy_buy_missing);
	tcase_add_test(cells, t_promo_get_qty_integer);
	tcase_add_test(cells, t_promo_buy_qty_on_percent);
	tcase_add_test(cells, t_promo_scope_on_order);
	tcase_add_test(cells, t_promo_min_subtotal_on_line);
	tcase_add_test(cells, t_promo_stacking_enum);
	suite_add_tcase(s, cells);

	tcase_add_test(refs, t_block_list_non_fixed);
	tcase_add_test(refs, t_item_unknown_list);
	tcase_add_test(refs, t_item_unknown_base_list);
	tcase_add_test(refs, t_item_base_list_currency);
	tcase_add_test(refs, t_item_overlap);
	tcase_add_test(refs, t_parent_unknown);
	tcase_add_test(refs, t_parent_currency);
	tcase_add_test(refs, t_parent_self);
	tcase_add_test(refs, t_applies_unknown_customer);
	tcase_add_test(refs, t_customer_unknown_list);
	tcase_add_test(refs, t_cycle_parent);
	tcase_add_test(refs, t_cycle_base_list);
	tcase_add_test(refs, t_contract_unknown_customer);
	tcase_add_test(refs, t_citem_unknown_contract);
	tcase_add_test(refs, t_citem_duplicate_break);
	tcase_add_test(refs, t_dup_sku);
	tcase_add_test(refs, t_dup_customer);
	tcase_add_test(refs, t_dup_list);
	tcase_add_test(refs, t_dup_contract);
	tcase_add_test(refs, t_dup_rule);
	tcase_add_test(refs, t_dup_promotion);
	tcase_add_test(refs, t_dup_approval);
	tcase_add_test(refs, t_dup_fx);
	tcase_add_test(refs, t_dup_tax);
	tcase_add_test(refs, t_dup_setting);
	tcase_add_test(refs, t_dup_currency);
	tcase_add_test(refs, t_setting_base_unknown);
	tcase_add_test(refs, t_product_currency_unknown);
	tcase_add_test(refs, t_fx_unknown_currency);
	tcase_add_test(refs, t_scope_unknown_sku_warning);
	tcase_add_test(refs, t_scope_unknown_skus_sorted_last);
	tcase_add_test(refs, t_many_problems_in_file_order);
	suite_add_tcase(s, refs);

	tcase_add_test(core, t_full_book);
	tcase_add_test(core, t_handles_both_ways);
	tcase_add_test(core, t_settings_defaults);
	tcase_add_test(core, t_bom_crlf);
	tcase_add_test(core, t_quoted_cells);
	tcase_add_test(core, t_optional_files_absent);
	tcase_add_test(core, t_header_only_any_order);
	tcase_add_test(core, t_sample_book);
	tcase_add_test(core, t_builder_row_order_independent);
	tcase_add_test(core, t_builder_big_scrambled);
	tcase_add_test(core, t_builder_item_runs);
	tcase_add_test(core, t_builder_misuse);
	tcase_add_test(core, t_builder_two_sources);
	tcase_add_test(core, t_builder_lengths_and_bytes);
	tcase_add_test(core, t_builder_utf8_edges);
	suite_add_tcase(s, core);

	tcase_add_test(limits, t_oom_builder);
	tcase_add_test(limits, t_oom_load_dir);
	tcase_set_timeout(limits, 300);
	suite_add_tcase(s, limits);
	return s;
}

int
main(void)
{
	return b2b_test_run(book_load_suite());
}
