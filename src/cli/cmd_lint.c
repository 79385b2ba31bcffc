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
#include "json_write.h"

static void
lint_usage(FILE *f)
{
	fputs("usage: b2b lint --book DIR\n", f);
}

int
cmd_lint(int argc, char **argv)
{
	const char *dir = NULL, *v, *doc = NULL;
	b2b_book *book = NULL;
	b2b_ctx *ctx = NULL, *out = NULL;
	size_t i, n, errors = 0, len = 0;
	b2b__jw w;
	int a, bad = 0, rc;

	for (a = 1; a < argc; a++) {
		if ((v = cli_opt(argc, argv, &a, "book", &bad)) != NULL) {
			dir = v;
		} else if (strcmp(argv[a], "--help") == 0 || strcmp(argv[a], "-h") == 0) {
			lint_usage(stdout);
			return CLI_OK;
		} else {
			if (!bad)
				fprintf(stderr, "b2b lint: unexpected argument '%s'\n", argv[a]);
			lint_usage(stderr);
			return CLI_UNREADABLE;
		}
	}
	if (dir == NULL) {
		fputs("b2b lint: --book DIR is required\n", stderr);
		lint_usage(stderr);
		return CLI_UNREADABLE;
	}
	if (b2b_ctx_new(&ctx, NULL) < 0 || b2b_ctx_new(&out, NULL) < 0) {
		fputs("b2b: out of memory\n", stderr);
		b2b_ctx_free(ctx);
		return CLI_UNREADABLE;
	}
	rc = b2b_book_load_dir(&book, ctx, NULL, dir);
	if (rc < 0 && rc != B2B_EBOOK) {
		fprintf(stderr, "%s: %s\n", dir, b2b_ctx_errmsg(ctx)[0] ? b2b_ctx_errmsg(ctx)
		                                                       : b2b_strerror(rc));
		b2b_ctx_free(ctx);
		b2b_ctx_free(out);
		return CLI_UNREADABLE;
	}
	n = b2b_ctx_diag_count(ctx);
	for (i = 0; i < n; i++)
		if (b2b_ctx_diag_severity(ctx, i) == B2B_SEV_ERROR)
			errors++;
	b2b__jw_init(&w, NULL);
	b2b__jw_begin_object(&w);
	b2b__jw_key(&w, "book");
	b2b__jw_cstr(&w, dir);
	b2b__jw_key(&w, "errors");
	b2b__jw_int(&w, (int64_t)errors);
	b2b__jw_key(&w, "warnings");
	b2b__jw_int(&w, (int64_t)(n - errors));
	b2b__jw_key(&w, "truncated");
	b2b__jw_bool(&w, b2b_ctx_diag_truncated(ctx));
	b2b__jw_key(&w, "findings");
	b2b__jw_begin_array(&w);
	for (i = 0; i < n; i++) {
		b2b__jw_begin_object(&w);
		b2b__jw_key(&w, "severity");
		b2b__jw_cstr(&w, b2b_ctx_diag_severity(ctx, i) == B2B_SEV_ERROR ? "error" : "warning");
		b2b__jw_key(&w, "file");
		b2b__jw_cstr(&w, b2b_ctx_diag_file(ctx, i));
		b2b__jw_key(&w, "line");
		b2b__jw_int(&w, b2b_ctx_diag_line(ctx, i));
		b2b__jw_key(&w, "col");
		b2b__jw_int(&w, b2b_ctx_diag_col(ctx, i));
		b2b__jw_key(&w, "message");
		b2b__jw_cstr(&w, b2b_ctx_diag_message(ctx, i));
		b2b__jw_end_object(&w);
	}
	b2b__jw_end_array(&w);
	b2b__jw_end_object(&w);
	rc = b2b__jw_finish(&w, out, &doc, &len);
	if (rc == 0)
		fwrite(doc, 1, len, stdout);
	else
		fprintf(stderr, "b2b: %s\n", b2b_ctx_errmsg(out));
	b2b_book_unref(book);
	b2b_ctx_free(ctx);
	b2b_ctx_free(out);
	if (rc != 0)
		return CLI_UNREADABLE;
	return errors > 0 ? CLI_REJECTED : CLI_OK;
}
