/*
 * b2b lint --book DIR: findings on the book itself (SPEC §8). Every
 * problem the loader finds is a finding: errors (the book would not be
 * built) and warnings (it would, e.g. a scope naming an sku that is not
 * in the book). Output: {"book", "errors", "warnings", "findings":
 * [{"severity", "file", "line", "col", "message"}]} in load order; exit
 * 1 when any finding is an error, 0 otherwise, 2 when the directory
 * cannot be read at all.
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <string.h>

#include "b2b.h"
#include "cli.h"
#include "jsonout.h"

static void
lint_usage(FILE *f)
{
	fputs("usage: b2b lint --book DIR\n"
	      "Every finding on the book in DIR as JSON: {book, errors, warnings,\n"
	      "truncated, findings: [{severity, file, line, col, message}]}.\n"
	      "  --book DIR   the book directory\n"
	      "exit 0: no finding is an error; 1: some are; 2: DIR cannot be read\n",
	      f);
}

int
cmd_lint(int argc, char **argv)
{
	const char *dir = NULL, *v;
	b2b_book *book = NULL;
	b2b_ctx *ctx = NULL;
	cli_progress *progress;
	size_t i, n, errors = 0;
	jout w;
	int a, bad = 0, rc;

	for (a = 1; a < argc; a++) {
		if ((v = cli_opt(argc, argv, &a, "book", &bad)) != NULL) {
			dir = v;
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
	if (b2b_ctx_new(&ctx, NULL) < 0) {
		fputs("b2b: out of memory\n", stderr);
		return CLI_UNREADABLE;
	}
	progress = cli_book_progress(dir);
	rc = cli_book_load_dir(&book, ctx, dir);
	cli_progress_end(progress);
	if (rc < 0 && rc != B2B_EBOOK) {
		fprintf(stderr, "%s: %s\n", dir, b2b_ctx_errmsg(ctx)[0] ? b2b_ctx_errmsg(ctx)
		                                                       : b2b_strerror(rc));
		b2b_ctx_free(ctx);
		return CLI_UNREADABLE;
	}
	n = b2b_ctx_diag_count(ctx);
	for (i = 0; i < n; i++)
		if (b2b_ctx_diag_severity(ctx, i) == B2B_SEV_ERROR)
			errors++;
	jout_init(&w);
	jout_begin_object(&w);
	jout_key(&w, "book");
	jout_str(&w, dir);
	jout_key(&w, "errors");
	jout_int(&w, (int64_t)errors);
	jout_key(&w, "warnings");
	jout_int(&w, (int64_t)(n - errors));
	jout_key(&w, "truncated");
	jout_bool(&w, b2b_ctx_diag_truncated(ctx));
	jout_key(&w, "findings");
	jout_begin_array(&w);
	for (i = 0; i < n; i++) {
		jout_begin_object(&w);
		jout_key(&w, "severity");
		jout_str(&w, b2b_ctx_diag_severity(ctx, i) == B2B_SEV_ERROR ? "error" : "warning");
		jout_key(&w, "file");
		jout_str(&w, b2b_ctx_diag_file(ctx, i));
		jout_key(&w, "line");
		jout_int(&w, b2b_ctx_diag_line(ctx, i));
		jout_key(&w, "col");
		jout_int(&w, b2b_ctx_diag_col(ctx, i));
		jout_key(&w, "message");
		jout_str(&w, b2b_ctx_diag_message(ctx, i));
		jout_end_object(&w);
	}
	jout_end_array(&w);
	jout_end_object(&w);
	b2b_book_unref(book);
	b2b_ctx_free(ctx);
	if (jout_print(&w) != CLI_OK)
		return CLI_UNREADABLE;
	return errors > 0 ? CLI_REJECTED : CLI_OK;
}
