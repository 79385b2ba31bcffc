/*
 * b2b lint --book DIR [--as-of T]: findings on the book itself (SPEC §8,
 * §12), through b2b_book_lint(): {"fingerprint", "as_of", "findings":
 * [{"code", "severity", "file", "line", "message", "related"?}]}, sorted
 * by file, line, code. A book that does not load is reported too (its
 * load problems are LOAD_ERROR findings, the fingerprint null). Exit 1
 * when any finding is an error, 0 otherwise, 2 when DIR cannot be read
 * at all (no products.csv) or on a usage error.
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <string.h>

#include "b2b.h"
#include "cli.h"

/* The report's JSON, streamed to standard output as it is written. */
static int
put_stdout(void *ud, const char *data, size_t len)
{
	(void)ud;
	return fwrite(data, 1, len, stdout) == len ? 0 : -1;
}

static void
lint_usage(FILE *f)
{
	fputs("usage: b2b lint --book DIR [--as-of T]\n"
	      "Findings on the book in DIR as JSON: {fingerprint, as_of, findings:\n"
	      "[{code, severity, file, line, message, related}]}, sorted by file, line, code.\n"
	      "  --book DIR   the book directory\n"
	      "  --as-of T    also report what has expired at T (EXPIRED, info)\n"
	      "exit 0: no finding is an error; 1: some are (the book does not load);\n"
	      "2: DIR cannot be read\n",
	      f);
}

int
cmd_lint(int argc, char **argv)
{
	const char *dir = NULL, *as_of_text = NULL, *v;
	const b2b_lint *l = NULL;
	b2b_ctx *ctx = NULL;
	b2b_time as_of;
	cli_progress *progress;
	size_t errpos = 0;
	int a, bad = 0, rc;

	for (a = 1; a < argc; a++) {
		if ((v = cli_opt(argc, argv, &a, "book", &bad)) != NULL) {
			dir = v;
		} else if (bad) {
			return CLI_UNREADABLE;
		} else if ((v = cli_opt(argc, argv, &a, "as-of", &bad)) != NULL) {
			as_of_text = v;
		} else if (bad) {
			return CLI_UNREADABLE;
		} else if (cli_is_help(argv[a])) {
			lint_usage(stdout);
			return CLI_OK;
		} else {
			return cli_bad_arg("lint", argv[a], NULL);
		}
	}
	if (dir == NULL)
		return cli_usage_error("lint", "missing --book DIR");
	if (as_of_text != NULL &&
	    b2b_time_parse(&as_of, &errpos, as_of_text, strlen(as_of_text)) < 0)
		return cli_usage_error("lint", "--as-of: expected a date like 2026-06-15 or a "
		                       "date-time like 2026-06-15T10:00:00Z, got \"%s\"", as_of_text);
	if (b2b_ctx_new(&ctx, NULL) < 0) {
		fputs("b2b: out of memory\n", stderr);
		return CLI_UNREADABLE;
	}
	progress = cli_book_progress(dir);
	rc = b2b_book_lint(&l, ctx, NULL, dir, as_of_text != NULL ? &as_of : NULL);
	cli_progress_end(progress);
	if (rc < 0) {
		fprintf(stderr, "%s: %s\n", dir, b2b_ctx_errmsg(ctx)[0] ? b2b_ctx_errmsg(ctx)
		                                                       : b2b_strerror(rc));
		b2b_ctx_free(ctx);
		return CLI_UNREADABLE;
	}
	rc = b2b_lint_write_json(l, ctx, put_stdout, NULL);
	if (rc == -1 || fflush(stdout) != 0) {
		perror("b2b lint: stdout");
		b2b_ctx_free(ctx);
		return CLI_UNREADABLE;
	}
	if (rc < 0) {
		fprintf(stderr, "b2b lint: %s\n", b2b_ctx_errmsg(ctx));
		b2b_ctx_free(ctx);
		return CLI_UNREADABLE;
	}
	rc = b2b_lint_errors(l) > 0 ? CLI_REJECTED : CLI_OK;
	b2b_ctx_free(ctx);
	return rc;
}
