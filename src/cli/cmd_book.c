/*
 * b2b book --book DIR [--snapshot FILE]: load a book, print its counts and
 * fingerprint as JSON (SPEC §8); every load problem goes to stderr
 * (cli_load_book()). With --snapshot, also write the book as a snapshot
 * file (SPEC §14, b2b/snapshot.h); the output is the same.
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <string.h>

#include "b2b.h"
#include "cli.h"
#include "jsonout.h"

static void
book_usage(FILE *f)
{
	fputs("usage: b2b book --book DIR [--snapshot FILE]\n"
	      "Load the book in DIR (products.csv and the other tables of SPEC 3) and\n"
	      "print its table counts, fingerprint, base currency and memory as JSON.\n"
	      "  --book DIR         the book directory (or a snapshot file)\n"
	      "  --snapshot FILE    also write the book to FILE as a snapshot (SPEC 14),\n"
	      "                     which --book of every command opens in milliseconds\n"
	      "exit 0: loaded (warnings on stderr); 2: the book cannot be read, or the\n"
	      "snapshot cannot be written (every problem on stderr as file:line:col: message)\n",
	      f);
}

int
cmd_book(int argc, char **argv)
{
	const char *dir = NULL, *snap = NULL, *v;
	b2b_book *book = NULL;
	jout w;
	int i, t, bad = 0, rc;

	for (i = 1; i < argc; i++) {
		if ((v = cli_opt(argc, argv, &i, "book", &bad)) != NULL) {
			dir = v;
		} else if (!bad && (v = cli_opt(argc, argv, &i, "snapshot", &bad)) != NULL) {
			snap = v;
		} else if (bad) {
			return CLI_UNREADABLE;
		} else if (cli_is_help(argv[i])) {
			book_usage(stdout);
			return CLI_OK;
		} else {
			return cli_bad_arg("book", argv[i], NULL);
		}
	}
	if (dir == NULL)
		return cli_usage_error("book", "missing --book DIR");
	if ((rc = cli_load_book(&book, dir)) != CLI_OK)
		return rc;
	if (snap != NULL && (rc = cli_write_snapshot(book, snap)) != CLI_OK) {
		b2b_book_unref(book);
		return rc;
	}
	jout_init(&w);
	jout_begin_object(&w);
	jout_key(&w, "book");
	jout_str(&w, dir);
	jout_key(&w, "fingerprint");
	jout_str(&w, b2b_book_fingerprint(book));
	jout_key(&w, "base_currency");
	jout_str(&w, b2b_book_base_currency(book));
	jout_key(&w, "counts");
	jout_begin_object(&w);
	for (t = 0; t < B2B_TABLE_COUNT; t++) {
		jout_key(&w, b2b_book_table_name((b2b_book_table)t));
		jout_int(&w, (int64_t)b2b_book_count(book, (b2b_book_table)t));
	}
	jout_end_object(&w);
	jout_key(&w, "memory_bytes");
	jout_int(&w, (int64_t)b2b_book_memory(book));
	jout_end_object(&w);
	b2b_book_unref(book);
	return jout_print(&w);
}
