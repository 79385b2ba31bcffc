/*
 * b2b — a seeded synthetic book generator for benchmarks and tests.
 * SPDX-License-Identifier: MIT
 */
#ifndef B2B_CLI_SYNTH_H
#define B2B_CLI_SYNTH_H

#include <stddef.h>
#include <stdint.h>

/* Defaults of `b2b bench`. */
#define SYNTH_PRODUCTS 1000000
#define SYNTH_CUSTOMERS 10000
#define SYNTH_CONTRACT_ITEMS 100000

/*
 * Write a valid book directory `dir` (created if missing; existing book
 * files are overwritten). The same (profile, seed, sizes) always writes
 * the same bytes. Profiles:
 *  - "basic": products with list prices in 3-level categories; customers
 *    in segments and channels; one `default` all_units list DEFAULT with
 *    5 breaks per sku (min_qty 0, 10, 50, 100, 500); contracts of 100
 *    items each (fewer when ncontract_items is small) with fixed
 *    override prices; settings: base currency EUR.
 *  - "full": everything: the basic rows plus costs, stock and demand,
 *    pack sizes, tax classes, inactive skus, foreign-currency skus and
 *    customers, FX rates, currencies, segment/channel/customer lists
 *    (discount, formula and incremental items, a windowed list, a USD
 *    list), `best` and windowed contracts with discount items, dynamic
 *    rules of the four signals, line and order promotions (codes,
 *    exclusive, buy_x_get_y), taxes and approval rules.
 * Products are written in a scrambled sku order, like an unsorted export.
 * Returns 0, or -1 after a message on stderr.
 */
int synth_write_book(const char *dir, const char *profile, uint64_t seed, size_t nproducts,
                     size_t ncustomers, size_t ncontract_items);

/* The book's file names, NULL-terminated (for cleaning a temporary book). */
extern const char *const synth_files[];

/* ---- The pricing workload of `b2b bench price` ---- */

/* Lines of the pricing workload written by `b2b bench --write`. */
#define SYNTH_LINES 1000000

/* The shape of the book the workload prices (same arguments as the book). */
typedef struct synth_workload {
	uint64_t seed;
	size_t np, nc, nk, per, nki;
	uint64_t stride;
} synth_workload;

/*
 * Set up the workload of the book synth_write_book() writes with the same
 * (seed, sizes). Returns 0, or -1 after a message on stderr.
 */
int synth_workload_init(synth_workload *w, uint64_t seed, size_t nproducts, size_t ncustomers,
                        size_t ncontract_items);

/*
 * Line i of the workload, a pure function of (w, i): `cust` ("C000123",
 * 8 bytes with the NUL), `sku` ("SKU00012345", 12 bytes) and a whole
 * quantity. About 4 lines in 10 are a customer's own contract item; the
 * others a random (customer, product). Quantities: 1–12 (6 in 10), 10–99
 * (1 in 4), 100–999 (the rest), so every price break is reached.
 */
void synth_workload_line(const synth_workload *w, uint64_t i, char cust[8], char sku[12],
                         unsigned *qty);

#endif
