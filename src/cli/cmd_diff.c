/*
 * b2b diff --old DIR --new DIR --as-of T [--customer ID]… [--limit N]
 * [--csv]: what a change of book does to prices (SPEC §13), through
 * b2b_book_diff(). The JSON document of §13 on stdout, or with --csv its
 * rows alone, written as they are found. Exit 0 when both books load, 2
 * when one cannot be read (or on a usage error).
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "b2b.h"
#include "cli.h"

static void
diff_usage(FILE *f)
{
	fputs("usage: b2b diff --old DIR --new DIR --as-of T [--customer ID]...\n"
	      "                [--limit N] [--csv]\n"
	      "What the book in --new does to prices against --old (SPEC 13): every\n"
	      "customer x product x probe quantity priced alone in both books; JSON\n"
	      "{old, new, as_of, probes, changed, raised, lowered, now_unpriced,\n"
	      "now_priced, max_increase_percent, max_decrease_percent, by_category, rows}.\n"
	      "  --old DIR       the book before the change\n"
	      "  --new DIR       the book after it\n"
	      "  --as-of T       the instant the probes are priced at\n"
	      "  --customer ID   only this customer (repeat for more)\n"
	      "  --limit N       rows kept in the document (default 1000; counts cover all)\n"
	      "  --csv           the rows alone, as CSV, every one, as they are found\n"
	      "exit 0: both books load; 2: one cannot be read, or a usage error\n",
	      f);
}

static int
write_out(void *user, const char *text, size_t len)
{
	(void)user;
	return fwrite(text, 1, len, stdout) == len ? 0 : B2B_EIO;
}

int
cmd_diff(int argc, char **argv)
{
	const char *dir[2] = { NULL, NULL }, *as_of = NULL, *v;
	const char **customers = NULL;
	b2b_book *book[2] = { NULL, NULL };
	b2b_ctx *ctx = NULL;
	b2b_diff_options o;
	const b2b_diff *d = NULL;
	const char *json;
	size_t njson, ncust = 0;
	int a, bad = 0, csv = 0, rc, ret = CLI_UNREADABLE, k;

	b2b_diff_options_init(&o, B2B_DIFF_OPTIONS_VERSION);
	customers = calloc((size_t)argc + 1, sizeof *customers);
	if (customers == NULL) {
		fputs("b2b: out of memory\n", stderr);
		return CLI_UNREADABLE;
	}
	for (a = 1; a < argc; a++) {
		if ((v = cli_opt(argc, argv, &a, "old", &bad)) != NULL) {
			dir[0] = v;
		} else if (!bad && (v = cli_opt(argc, argv, &a, "new", &bad)) != NULL) {
			dir[1] = v;
		} else if (!bad && (v = cli_opt(argc, argv, &a, "as-of", &bad)) != NULL) {
			as_of = v;
		} else if (!bad && (v = cli_opt(argc, argv, &a, "customer", &bad)) != NULL) {
			customers[ncust++] = v;
		} else if (!bad && (v = cli_opt(argc, argv, &a, "limit", &bad)) != NULL) {
			char *end;
			unsigned long long n = strtoull(v, &end, 10);

			if (v[0] < '0' || v[0] > '9' || *end != '\0' || n > (unsigned long long)SIZE_MAX) {
				free(customers);
				return cli_usage_error("diff", "--limit must be a whole number, not '%s'", v);
			}
			o.limit = (size_t)n;
		} else if (bad) {
			free(customers);
			return CLI_UNREADABLE;
		} else if (strcmp(argv[a], "--csv") == 0) {
			csv = 1;
		} else if (cli_is_help(argv[a])) {
			diff_usage(stdout);
			free(customers);
			return CLI_OK;
		} else {
			free(customers);
			return cli_bad_arg("diff", argv[a], NULL);
		}
	}
	if (dir[0] == NULL || dir[1] == NULL || as_of == NULL) {
		free(customers);
		return cli_usage_error("diff", "missing %s", dir[0] == NULL ? "--old DIR"
		                                             : dir[1] == NULL ? "--new DIR"
		                                                              : "--as-of T");
	}
	if (b2b_time_parse(&o.as_of, NULL, as_of, strlen(as_of)) < 0) {
		free(customers);
		return cli_usage_error("diff", "--as-of: not a date or date-time: '%s'", as_of);
	}
	if (ncust > 0) {
		o.customers = customers;
		o.ncustomers = ncust;
	}
	if (csv) {
		o.csv = write_out;
		o.limit = 0;
	}
	/* both books load, or exit 2 with every problem on stderr */
	for (k = 0; k < 2; k++)
		if (cli_load_book(&book[k], dir[k]) != CLI_OK)
			goto out;
	if (b2b_ctx_new(&ctx, NULL) < 0) {
		fputs("b2b: out of memory\n", stderr);
		goto out;
	}
	rc = b2b_book_diff(&d, ctx, book[0], book[1], &o);
	if (rc != 0) {
		fprintf(stderr, "b2b diff: %s\n", b2b_ctx_errmsg(ctx)[0] ? b2b_ctx_errmsg(ctx)
		                                                         : b2b_strerror(rc));
		goto out;
	}
	if (!csv) {
		if (b2b_diff_to_json(&json, &njson, ctx, d) != 0) {
			fprintf(stderr, "b2b diff: %s\n", b2b_ctx_errmsg(ctx));
			goto out;
		}
		if (fwrite(json, 1, njson, stdout) != njson)
			goto out;
	}
	if (fflush(stdout) != 0)
		goto out;
	ret = CLI_OK;
out:
	for (k = 0; k < 2; k++)
		b2b_book_unref(book[k]);
	b2b_ctx_free(ctx);
	free(customers);
	return ret;
}
