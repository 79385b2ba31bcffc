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

void
cmd_quote_usage(FILE *f)
{
	fputs("usage: b2b quote --book DIR REQUEST.json\n"
	      "       b2b quote [--book DIR] --transition EVENT [--as-of T] QUOTE.json\n"
	      "       b2b quote --book DIR --reprice [--as-of T] [--report] QUOTE.json\n"
	      "Price a quote request and print the quote JSON; or apply a lifecycle\n"
	      "event to a stored quote document; or reprice it against the book.\n"
	      "  --book DIR          the book directory (not read by --transition)\n"
	      "  --transition EVENT  submit approve reject send accept decline order\n"
	      "                      expire cancel: print the quote with its new status\n"
	      "  --reprice           print the next revision, priced on DIR\n"
	      "  --report            with --reprice: the change report instead\n"
	      "  --as-of T           the time of the event or repricing (default: the\n"
	      "                      quote's as_of), YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ\n"
	      "'-' reads standard input; '--' ends the options.\n"
	      "exit 0: done; 1: cannot be priced, or an illegal transition (the error\n"
	      "document on stdout); 2: the book or the document cannot be read, or a\n"
	      "usage error\n",
	      f);
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
	int i, rc, bad = 0, status = CLI_UNREADABLE, options = 1;

	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strcmp(argv[i], "--reprice") == 0 || strcmp(argv[i], "--transition") == 0 ||
		    strncmp(argv[i], "--transition=", 13) == 0)
			return cmd_quote_transition(argc, argv);
	for (i = 1; i < argc; i++) {
		if (options && strcmp(argv[i], "--") == 0) {
			options = 0;
		} else if (options && (v = cli_opt(argc, argv, &i, "book", &bad)) != NULL) {
			dir = v;
		} else if (bad) {
			return CLI_UNREADABLE;
		} else if (options && cli_is_help(argv[i])) {
			cmd_quote_usage(stdout);
			return CLI_OK;
		} else if (options && argv[i][0] == '-' && argv[i][1] != '\0') {
			return cli_bad_arg("quote", argv[i], NULL);
		} else if (path != NULL) {
			return cli_usage_error("quote", "unexpected argument '%s': one "
			                       "REQUEST.json at a time", argv[i]);
		} else {
			path = argv[i];
		}
	}
	if (dir == NULL)
		return cli_usage_error("quote", "missing --book DIR");
	if (path == NULL)
		return cli_usage_error("quote", "missing REQUEST.json");
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
