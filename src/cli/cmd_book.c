/*
 * b2b book --book DIR: load a book, print its counts and fingerprint as
 * JSON (SPEC §8); every load problem goes to stderr (cli_load_book()).
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <string.h>

#include "b2b.h"
#include "cli.h"
#include "ctx_int.h"
#include "json_write.h"

static void
book_usage(FILE *f)
{
	fputs("usage: b2b book --book DIR\n", f);
}

int
cmd_book(int argc, char **argv)
{
	const char *dir = NULL, *v, *doc = NULL;
	b2b_book *book = NULL;
	b2b_ctx *ctx = NULL;
	b2b__jw w;
	size_t len = 0;
	int i, t, bad = 0, rc;

	for (i = 1; i < argc; i++) {
		if ((v = cli_opt(argc, argv, &i, "book", &bad)) != NULL) {
			dir = v;
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			book_usage(stdout);
			return CLI_OK;
		} else {
			if (!bad)
				fprintf(stderr, "b2b book: unexpected argument '%s'\n", argv[i]);
			book_usage(stderr);
			return CLI_UNREADABLE;
		}
	}
	if (dir == NULL) {
		fputs("b2b book: --book DIR is required\n", stderr);
		book_usage(stderr);
		return CLI_UNREADABLE;
	}
	if ((rc = cli_load_book(&book, dir)) != CLI_OK)
		return rc;
	if (b2b_ctx_new(&ctx, NULL) < 0) {
		fputs("b2b: out of memory\n", stderr);
		b2b_book_unref(book);
		return CLI_UNREADABLE;
	}
	b2b__jw_init(&w, NULL);
	b2b__jw_begin_object(&w);
	b2b__jw_key(&w, "book");
	b2b__jw_cstr(&w, dir);
	b2b__jw_key(&w, "fingerprint");
	b2b__jw_cstr(&w, b2b_book_fingerprint(book));
	b2b__jw_key(&w, "base_currency");
	b2b__jw_cstr(&w, b2b_book_base_currency(book));
	b2b__jw_key(&w, "counts");
	b2b__jw_begin_object(&w);
	for (t = 0; t < B2B_TABLE_COUNT; t++) {
		b2b__jw_key(&w, b2b_book_table_name((b2b_book_table)t));
		b2b__jw_int(&w, (int64_t)b2b_book_count(book, (b2b_book_table)t));
	}
	b2b__jw_end_object(&w);
	b2b__jw_key(&w, "memory_bytes");
	b2b__jw_int(&w, (int64_t)b2b_book_memory(book));
	b2b__jw_end_object(&w);
	rc = b2b__jw_finish(&w, ctx, &doc, &len);
	if (rc == 0)
		fwrite(doc, 1, len, stdout);
	else
		fprintf(stderr, "b2b: %s\n", b2b_ctx_errmsg(ctx));
	b2b_ctx_free(ctx);
	b2b_book_unref(book);
	return rc == 0 ? CLI_OK : CLI_UNREADABLE;
}
