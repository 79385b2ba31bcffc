/*
 * Fuzz targets: build a small book from a text spec through the builder
 * API. The spec is "# table" lines, each followed by its header and rows,
 * cells separated by ','. Shared by fuzz_quote.c and fuzz_order.c.
 */
#ifndef B2B_FUZZ_BOOK_SPEC_H
#define B2B_FUZZ_BOOK_SPEC_H

#include <stdlib.h>
#include <string.h>

#include "b2b.h"

#ifndef CHECK
#define CHECK(x) do { if (!(x)) abort(); } while (0)
#endif

static b2b_book *
build_book(const char *spec)
{
	b2b_book_builder *bb;
	b2b_book *book = NULL;
	b2b_ctx *ctx;
	const char *p = spec;
	char line[256], *cells[16];
	int header = 0;

	CHECK(b2b_ctx_new(&ctx, NULL) == 0);
	CHECK(b2b_book_builder_new(&bb, NULL, NULL) == 0);
	while (*p != '\0') {
		size_t n = strcspn(p, "\n"), ncells = 0;
		char *c = line;

		CHECK(n < sizeof(line));
		memcpy(line, p, n);
		line[n] = '\0';
		p += n + (p[n] == '\n');
		if (line[0] == '#') {
			int t;
			for (t = 0; t < B2B_TABLE_COUNT; t++)
				if (strcmp(b2b_book_table_name((b2b_book_table)t), line + 2) == 0)
					break;
			CHECK(t < B2B_TABLE_COUNT);
			header = t + 1;
			continue;
		}
		for (;;) {
			char *comma = strchr(c, ',');
			CHECK(ncells < 16);
			cells[ncells++] = c;
			if (comma == NULL)
				break;
			*comma = '\0';
			c = comma + 1;
		}
		if (header > 0) {
			CHECK(b2b_book_builder_begin_table(bb, ctx, (b2b_book_table)(header - 1),
			                                   (const char *const *)cells, ncells, "fuzz") == 0);
			header = 0;
		} else {
			CHECK(b2b_book_builder_add_row(bb, ctx, (const char *const *)cells, NULL, ncells,
			                               0) == 0);
		}
	}
	CHECK(b2b_book_builder_finish(&book, ctx, bb) == 0);
	b2b_book_builder_free(bb);
	b2b_ctx_free(ctx);
	return book;
}

#endif
