/*
 * b2b validate --book DIR ORDER.json — validate an order (SPEC §7, §8).
 *
 * Exit 0 with the validation JSON on stdout when the order is valid
 * (holds and warnings may be listed), 1 with the same document when it is
 * not; 2 with `file:line:col: message` lines on stderr when the book or
 * the order cannot be read at all (a bad book, text that is not JSON),
 * and on usage errors.
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "b2b.h"
#include "b2b/order.h"
#include "cli.h"

static void
validate_usage(FILE *f)
{
	fputs("usage: b2b validate --book DIR ORDER.json\n"
	      "Validate an order against the book and print the validation JSON.\n"
	      "  --book DIR   the book directory\n"
	      "'-' reads standard input; '--' ends the options.\n"
	      "exit 0: valid (holds and warnings may be listed); 1: invalid;\n"
	      "2: the book or the order cannot be read, or a usage error\n",
	      f);
}

int
cmd_validate(int argc, char **argv)
{
	const char *dir = NULL, *path = NULL, *v, *doc = NULL, *name;
	const b2b_validation *res = NULL;
	b2b_book *book = NULL;
	b2b_ctx *ctx = NULL;
	char *text = NULL;
	size_t len = 0, doclen = 0;
	int i, rc, bad = 0, status = CLI_UNREADABLE, options = 1;

	for (i = 1; i < argc; i++) {
		if (options && strcmp(argv[i], "--") == 0) {
			options = 0;
		} else if (options && (v = cli_opt(argc, argv, &i, "book", &bad)) != NULL) {
			dir = v;
		} else if (bad) {
			return CLI_UNREADABLE;
		} else if (options && cli_is_help(argv[i])) {
			validate_usage(stdout);
			return CLI_OK;
		} else if (options && argv[i][0] == '-' && argv[i][1] != '\0') {
			return cli_bad_arg("validate", argv[i], NULL);
		} else if (path != NULL) {
			return cli_usage_error("validate", "unexpected argument '%s': one "
			                       "ORDER.json at a time", argv[i]);
		} else {
			path = argv[i];
		}
	}
	if (dir == NULL)
		return cli_usage_error("validate", "missing --book DIR");
	if (path == NULL)
		return cli_usage_error("validate", "missing ORDER.json");
	name = strcmp(path, "-") == 0 ? "<stdin>" : path;
	if ((rc = cli_load_book(&book, dir)) != CLI_OK)
		return rc;
	if ((text = cli_read_file(path, &len)) == NULL)
		goto done;
	if (b2b_ctx_new(&ctx, NULL) < 0) {
		fputs("b2b validate: out of memory\n", stderr);
		goto done;
	}
	rc = b2b_order_validate_json(&res, ctx, book, text, len, NULL);
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
	if (b2b_validation_to_json(&doc, &doclen, ctx, res) < 0) {
		fprintf(stderr, "b2b validate: %s\n", b2b_ctx_errmsg(ctx));
		goto done;
	}
	if (fwrite(doc, 1, doclen, stdout) != doclen || fflush(stdout) != 0) {
		perror("b2b validate: stdout");
		goto done;
	}
	status = b2b_validation_valid(res) ? CLI_OK : CLI_REJECTED;
done:
	free(text);
	b2b_ctx_free(ctx);
	b2b_book_unref(book);
	return status;
}
