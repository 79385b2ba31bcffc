/*
 * b2b quote --book DIR REQUEST.json — price a quote request (SPEC §8).
 *
 * Exit 0 with the quote JSON on stdout; 1 with the error document
 * {"errors": [...]} on stdout when the request cannot be priced; 2 with
 * `file:line:col: message` lines on stderr when the book or the JSON
 * cannot be read at all (and on usage errors). With --transition EVENT or
 * --reprice the quote lifecycle takes over (cmd_transition.c).
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "b2b.h"
#include "b2b/book.h"
#include "b2b/quote.h"
#include "cli.h"

static int
usage_quote(const char *why)
{
	if (why != NULL)
		fprintf(stderr, "b2b quote: %s\n", why);
	fputs("usage: b2b quote --book DIR REQUEST.json   ('-' reads standard input)\n", stderr);
	return CLI_UNREADABLE;
}

int
cmd_quote(int argc, char **argv)
{
	const char *dir = NULL, *path = NULL, *name, *doc, *v;
	b2b_ctx *ctx = NULL;
	b2b_book *book = NULL;
	const b2b_quote *q = NULL;
	char *text = NULL;
	size_t len = 0, doclen = 0;
	int i, rc, bad = 0, status = CLI_UNREADABLE;

	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "--reprice") == 0 || strcmp(argv[i], "--transition") == 0 ||
		    strncmp(argv[i], "--transition=", 13) == 0)
			return cmd_quote_transition(argc, argv);
	for (i = 1; i < argc; i++) {
		if ((v = cli_opt(argc, argv, &i, "book", &bad)) != NULL)
			dir = v;
		else if (bad)
			return usage_quote(NULL);
		else if ((argv[i][0] != '-' || strcmp(argv[i], "-") == 0) && path == NULL)
			path = argv[i];
		else
			return usage_quote(path == NULL ? "unknown option" : "one request at a time");
	}
	if (dir == NULL || path == NULL)
		return usage_quote(dir == NULL ? "--book DIR is required" : "REQUEST.json is required");
	name = strcmp(path, "-") == 0 ? "<stdin>" : path;

	if (cli_load_book(&book, dir) != CLI_OK)
		return CLI_UNREADABLE;
	if ((text = cli_read_file(path, &len)) == NULL)
		goto done;
	if (b2b_ctx_new(&ctx, NULL) < 0) {
		fputs("b2b quote: out of memory\n", stderr);
		goto done;
	}
	rc = b2b_quote_from_json(&q, ctx, book, text, len, NULL);
	if (rc == B2B_EPARSE) {
		fprintf(stderr, "%s:%ld:%ld: %s\n", name, b2b_ctx_errline(ctx), b2b_ctx_errcol(ctx),
		        b2b_ctx_errmsg(ctx));
		goto done;
	}
	if (rc < 0) {
		fprintf(stderr, "%s: %s%s%s\n", name,
		        b2b_ctx_errmsg(ctx)[0] != '\0' ? b2b_ctx_errmsg(ctx) : b2b_strerror(rc),
		        b2b_ctx_errpath(ctx)[0] != '\0' ? " at " : "", b2b_ctx_errpath(ctx));
		goto done;
	}
	if (b2b_quote_to_json(&doc, &doclen, ctx, q) < 0) {
		fprintf(stderr, "b2b quote: %s\n", b2b_ctx_errmsg(ctx));
		goto done;
	}
	if (fwrite(doc, 1, doclen, stdout) != doclen || fflush(stdout) != 0) {
		perror("b2b quote: stdout");
		goto done;
	}
	status = b2b_quote_ok(q) ? CLI_OK : CLI_REJECTED;
done:
	free(text);
	b2b_book_unref(book);
	b2b_ctx_free(ctx);
	return status;
}
