/*
 * b2b — helpers shared by the subcommands: reading files, loading a book
 * with its diagnostics, option values.
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "b2b.h"
#include "cli.h"

char *
cli_read_file(const char *path, size_t *len)
{
	FILE *f;
	char *buf = NULL, *p;
	size_t n = 0, cap = 0, got;
	int is_stdin = strcmp(path, "-") == 0;

	f = is_stdin ? stdin : fopen(path, "rb");
	if (f == NULL) {
		fprintf(stderr, "b2b: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	for (;;) {
		if (cap - n < 65536) {
			cap = cap == 0 ? 65536 : cap * 2;
			p = realloc(buf, cap + 1);
			if (p == NULL) {
				fprintf(stderr, "b2b: %s: out of memory\n", path);
				goto fail;
			}
			buf = p;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		fprintf(stderr, "b2b: %s: read error\n", is_stdin ? "<stdin>" : path);
		goto fail;
	}
	if (!is_stdin)
		fclose(f);
	buf[n] = '\0';
	if (len != NULL)
		*len = n;
	return buf;
fail:
	if (!is_stdin)
		fclose(f);
	free(buf);
	return NULL;
}

/* `file:line:col: ` (the parts that are known). */
static void
print_where(const char *file, long line, long col)
{
	fputs(file != NULL && file[0] != '\0' ? file : "b2b", stderr);
	if (line > 0) {
		fprintf(stderr, ":%ld", line);
		if (col > 0)
			fprintf(stderr, ":%ld", col);
	}
	fputs(": ", stderr);
}

int
cli_book_load_dir(struct b2b_book **out, struct b2b_ctx *ctx, const char *dir)
{
	int rc;

	if (b2b_snapshot_probe(dir) == 1) {
		rc = b2b_book_open_snapshot(out, ctx, dir, NULL);
		return rc == B2B_EBOOK ? B2B_EIO : rc;
	}
	return b2b_book_load_dir(out, ctx, NULL, dir);
}

int
cli_write_snapshot(const struct b2b_book *book, const char *path)
{
	b2b_ctx *ctx = NULL;
	int rc;

	if (b2b_ctx_new(&ctx, NULL) < 0) {
		fputs("b2b: out of memory\n", stderr);
		return CLI_UNREADABLE;
	}
	rc = b2b_book_write_snapshot(book, ctx, path);
	if (rc < 0)
		fprintf(stderr, "b2b: %s\n", b2b_ctx_errmsg(ctx)[0] != '\0' ? b2b_ctx_errmsg(ctx)
		                                                             : b2b_strerror(rc));
	b2b_ctx_free(ctx);
	return rc < 0 ? CLI_UNREADABLE : CLI_OK;
}

unsigned long long
cli_csv_bytes(const char *dir)
{
	char path[4096];
	struct stat st;
	unsigned long long total = 0;
	int t;

	for (t = 0; t < B2B_TABLE_COUNT; t++) {
		int n = snprintf(path, sizeof path, "%s/%s.csv", dir,
		                 b2b_book_table_name((b2b_book_table)t));

		if (n > 0 && (size_t)n < sizeof path && stat(path, &st) == 0 && S_ISREG(st.st_mode))
			total += (unsigned long long)st.st_size;
	}
	return total;
}

cli_progress *
cli_book_progress(const char *dir)
{
	char what[300];

	if (!isatty(STDERR_FILENO))
		return NULL;
	snprintf(what, sizeof what, "loading book %s", dir);
	return cli_progress_start(what, CLI_PROGRESS_READ, cli_csv_bytes(dir));
}

int
cli_load_book(struct b2b_book **out, const char *dir)
{
	b2b_ctx *ctx = NULL;
	cli_progress *progress;
	size_t i, n;
	int rc;

	*out = NULL;
	if (b2b_ctx_new(&ctx, NULL) < 0) {
		fputs("b2b: out of memory\n", stderr);
		return CLI_UNREADABLE;
	}
	progress = cli_book_progress(dir);
	rc = cli_book_load_dir(out, ctx, dir);
	cli_progress_end(progress);
	n = b2b_ctx_diag_count(ctx);
	for (i = 0; i < n; i++) {
		int warning = b2b_ctx_diag_severity(ctx, i) == B2B_SEV_WARNING;

		print_where(b2b_ctx_diag_file(ctx, i), b2b_ctx_diag_line(ctx, i),
		            b2b_ctx_diag_col(ctx, i));
		fprintf(stderr, "%s%s\n", warning ? "warning: " : "", b2b_ctx_diag_message(ctx, i));
	}
	if (rc == B2B_EBOOK) {
		size_t errors = b2b_ctx_diag_errors(ctx);

		fprintf(stderr, "b2b: %zu problem%s; the book was not built%s\n", errors,
		        errors == 1 ? "" : "s",
		        b2b_ctx_diag_truncated(ctx) ? " (only the first problems are listed)" : "");
	} else if (rc < 0) {
		/* no diagnostics: the error detail (an I/O error, out of memory) */
		if (b2b_ctx_errline(ctx) > 0)
			print_where(b2b_ctx_errfile(ctx), b2b_ctx_errline(ctx),
			            b2b_ctx_errcol(ctx));
		else
			fputs("b2b: ", stderr);
		fprintf(stderr, "%s\n", b2b_ctx_errmsg(ctx)[0] != '\0' ? b2b_ctx_errmsg(ctx)
		                                                       : b2b_strerror(rc));
		fprintf(stderr, "b2b: the book was not built (%s)\n", b2b_strerror(rc));
	}
	b2b_ctx_free(ctx);
	return rc < 0 ? CLI_UNREADABLE : CLI_OK;
}

const char *
cli_opt(int argc, char **argv, int *i, const char *name, int *bad)
{
	const char *a = argv[*i];
	size_t n = strlen(name);

	if (strncmp(a, "--", 2) != 0 || strncmp(a + 2, name, n) != 0)
		return NULL;
	if (a[2 + n] == '=')
		return a + 3 + n;
	if (a[2 + n] != '\0')
		return NULL;
	if (*i + 1 >= argc) {
		cli_usage_error(argv[0], "option --%s needs a value", name);
		*bad = 1;
		return NULL;
	}
	return argv[++*i];
}

int
cli_is_help(const char *arg)
{
	return strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0;
}

int
cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "b2b %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see 'b2b %s --help')\n", cmd);
	return CLI_UNREADABLE;
}

int
cli_bad_arg(const char *cmd, const char *arg, const char *why)
{
	if (arg[0] == '-' && arg[1] != '\0')
		return cli_usage_error(cmd, "unknown option '%s'", arg);
	if (why != NULL)
		return cli_usage_error(cmd, "unexpected argument '%s': %s", arg, why);
	return cli_usage_error(cmd, "unexpected argument '%s'", arg);
}
