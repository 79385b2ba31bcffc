/*
 * Tests of orders and quote lifecycles: small books built through the
 * public builder API from CSV-like text (header-only; used by
 * check_order.c and check_quote_state.c).
 *
 * A table is given as a header line and rows, comma-separated, no
 * quoting (cells of these fixtures hold no comma): an empty cell is
 * "not set".
 */
#ifndef B2B_TEST_ORDERS_FIXTURE_H
#define B2B_TEST_ORDERS_FIXTURE_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "b2b.h"

typedef struct fx_table {
	b2b_book_table table;
	const char *header;
	const char *const *rows;   /* NULL-terminated */
} fx_table;

/* Split `line` at commas into cells (pointers into buf). */
static inline size_t
fx_split(char *buf, const char **cells, size_t max)
{
	size_t n = 0;
	char *p = buf;

	cells[n++] = p;
	for (; *p != '\0'; p++) {
		if (*p == ',' && n < max) {
			*p = '\0';
			cells[n++] = p + 1;
		}
	}
	return n;
}

/* Build a book from tables; fails the test (with the diagnostics) on error. */
static inline b2b_book *
fx_book(const fx_table *tables, size_t ntables)
{
	b2b_book_builder *b = NULL;
	b2b_book *book = NULL;
	b2b_ctx *ctx = NULL;
	size_t t, r, i;
	int rc;

	ck_assert_int_eq(b2b_ctx_new(&ctx, NULL), 0);
	ck_assert_int_eq(b2b_book_builder_new(&b, NULL, NULL), 0);
	for (t = 0; t < ntables; t++) {
		char hbuf[1024], rbuf[1024];
		const char *cols[64], *cells[64];
		size_t ncols;

		snprintf(hbuf, sizeof(hbuf), "%s", tables[t].header);
		ncols = fx_split(hbuf, cols, 64);
		rc = b2b_book_builder_begin_table(b, ctx, tables[t].table, cols, ncols,
		                                  b2b_book_table_name(tables[t].table));
		ck_assert_msg(rc == 0, "begin_table %s: %d", tables[t].header, rc);
		for (r = 0; tables[t].rows[r] != NULL; r++) {
			size_t n;

			snprintf(rbuf, sizeof(rbuf), "%s", tables[t].rows[r]);
			n = fx_split(rbuf, cells, 64);
			ck_assert_msg(n == ncols, "row '%s': %zu cells for %zu columns",
			              tables[t].rows[r], n, ncols);
			ck_assert_int_eq(b2b_book_builder_add_row(b, ctx, cells, NULL, n, (long)r + 2), 0);
		}
	}
	rc = b2b_book_builder_finish(&book, ctx, b);
	if (rc != 0) {
		for (i = 0; i < b2b_ctx_diag_count(ctx); i++)
			fprintf(stderr, "%s:%ld:%ld: %s\n", b2b_ctx_diag_file(ctx, i),
			        b2b_ctx_diag_line(ctx, i), b2b_ctx_diag_col(ctx, i),
			        b2b_ctx_diag_message(ctx, i));
	}
	ck_assert_int_eq(rc, 0);
	b2b_book_builder_free(b);
	b2b_ctx_free(ctx);
	return book;
}

/* Read a whole file (tests only; fails the test when it cannot). */
static inline char *
fx_read(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	ck_assert_msg(f != NULL, "cannot open %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_int_eq((long)fread(buf, 1, (size_t)n, f), n);
	buf[n] = '\0';
	fclose(f);
	if (len != NULL)
		*len = (size_t)n;
	return buf;
}

#endif
