/*
 * libb2bcore — the fingerprint's canonical text one row at a time, for
 * comparing two books row by row (the diff of SPEC §13): a 64-bit hash
 * of each row's canonical line (README "Fingerprint"), which does not
 * depend on file order, row order, column order, quoting or number
 * spelling, so two rows with equal hashes say the same thing.
 * SPDX-License-Identifier: MIT
 */
#ifndef B2B_SRC_FINGERPRINT_ROWS_H
#define B2B_SRC_FINGERPRINT_ROWS_H

#include <stddef.h>
#include <stdint.h>

#include "book_int.h"

/* The tables of the canonical form; settings hash as one row. AGREEMENTS
 * and CVOLUMES are volume_agreements.csv and customer_volumes.csv (SPEC §10). */
enum {
	B2B__FPT_SETTINGS = 0, B2B__FPT_CURRENCIES, B2B__FPT_FX, B2B__FPT_PRODUCTS,
	B2B__FPT_CUSTOMERS, B2B__FPT_LISTS, B2B__FPT_ITEMS, B2B__FPT_CONTRACTS,
	B2B__FPT_CITEMS, B2B__FPT_RULES, B2B__FPT_PROMOS, B2B__FPT_TAXES,
	B2B__FPT_APPROVALS, B2B__FPT_AGREEMENTS, B2B__FPT_CVOLUMES, B2B__FPT_COUNT
};

/* Rows of a table: its book array's length (1 for settings). */
size_t b2b__fp_rows(const b2b_book *b, int table);

/*
 * The hashes of rows [from, from + n) of `table`, in the book's array
 * order, into out[0..n). Returns 0, B2B_EINVAL (a range outside the
 * table, an unknown table) or a formatting error (a builder bug).
 */
int b2b__fp_row_hashes(const b2b_book *b, int table, size_t from, size_t n, uint64_t *out);

#endif
