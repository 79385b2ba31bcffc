/*
 * b2b bench diff --old DIR --new DIR [--as-of T] [--customer ID]...
 * [--runs R]: the time of b2b_book_diff() on two books (SPEC §13), apart
 * from their loads: both books are loaded once (timed), then diffed R
 * times (default 3); the best run's wall and CPU time, the probes, how
 * many were priced (in both books) and the priced probes per CPU second.
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "b2b.h"
#include "bench_util.h"
#include "cli.h"

int
bench_diff(int argc, char **argv)
{
	const char *dir[2] = { NULL, NULL }, *as_of = "2026-06-15", *v;
	const char **customers;
	b2b_book *book[2] = { NULL, NULL };
	b2b_diff_options o;
	const b2b_diff *d = NULL;
	b2b_ctx *ctx = NULL;
	int64_t load_ns[2], best_wall = -1, best_cpu = -1;
	size_t ncust = 0, runs = 3, r;
	int a, bad = 0, k, rc, ret = CLI_UNREADABLE;
	jout w;

	customers = calloc((size_t)argc + 1, sizeof *customers);
	if (customers == NULL)
		return CLI_UNREADABLE;
	for (a = 2; a < argc; a++) {
		if ((v = cli_opt(argc, argv, &a, "old", &bad)) != NULL)
			dir[0] = v;
		else if (!bad && (v = cli_opt(argc, argv, &a, "new", &bad)) != NULL)
			dir[1] = v;
		else if (!bad && (v = cli_opt(argc, argv, &a, "as-of", &bad)) != NULL)
			as_of = v;
		else if (!bad && (v = cli_opt(argc, argv, &a, "customer", &bad)) != NULL)
			customers[ncust++] = v;
		else if (!bad && (v = cli_opt(argc, argv, &a, "runs", &bad)) != NULL) {
			if (parse_size("runs", v, &runs) < 0 || runs == 0)
				goto out;
		} else {
			if (!bad)
				fprintf(stderr, "b2b bench diff: unknown option '%s'\n", argv[a]);
			goto out;
		}
	}
	if (dir[0] == NULL || dir[1] == NULL) {
		fputs("b2b bench diff: needs --old DIR and --new DIR\n", stderr);
		goto out;
	}
	b2b_diff_options_init(&o, B2B_DIFF_OPTIONS_VERSION);
	if (b2b_time_parse(&o.as_of, NULL, as_of, strlen(as_of)) < 0) {
		fprintf(stderr, "b2b bench diff: --as-of: not a date: '%s'\n", as_of);
		goto out;
	}
	if (ncust > 0) {
		o.customers = customers;
		o.ncustomers = ncust;
	}
	for (k = 0; k < 2; k++) {
		int64_t t0 = now_ns();

		if (cli_load_book(&book[k], dir[k]) != CLI_OK)
			goto out;
		load_ns[k] = now_ns() - t0;
	}
	if (b2b_ctx_new(&ctx, NULL) < 0)
		goto out;
	for (r = 0; r < runs; r++) {
		int64_t t0 = now_ns(), c0 = cpu_ns(), wall, cpu;

		b2b_ctx_reset(ctx);
		rc = b2b_book_diff(&d, ctx, book[0], book[1], &o);
		wall = now_ns() - t0;
		cpu = cpu_ns() - c0;
		if (rc != 0) {
			fprintf(stderr, "b2b bench diff: %s\n", b2b_ctx_errmsg(ctx));
			goto out;
		}
		if (best_wall < 0 || wall < best_wall)
			best_wall = wall;
		if (best_cpu < 0 || cpu < best_cpu)
			best_cpu = cpu;
	}
	jout_init(&w);
	jout_begin_object(&w);
	jout_key(&w, "benchmark");
	jout_str(&w, "diff");
	jout_key(&w, "old");
	jout_str(&w, dir[0]);
	jout_key(&w, "new");
	jout_str(&w, dir[1]);
	jout_key(&w, "customers");
	jout_int(&w, (int64_t)ncust);
	jw_ms(&w, "load_old_ms", load_ns[0]);
	jw_ms(&w, "load_new_ms", load_ns[1]);
	jout_key(&w, "runs");
	jout_int(&w, (int64_t)runs);
	jw_ms(&w, "diff_wall_ms", best_wall);
	jw_ms(&w, "diff_cpu_ms", best_cpu);
	jout_key(&w, "probes");
	jout_int(&w, (int64_t)b2b_diff_count_of(d, B2B_DIFF_PROBES));
	jout_key(&w, "priced");
	jout_int(&w, (int64_t)b2b_diff_count_of(d, B2B_DIFF_PRICED));
	jout_key(&w, "changed");
	jout_int(&w, (int64_t)b2b_diff_count_of(d, B2B_DIFF_CHANGED));
	/* probes priced (each in both books) per CPU second of the diff */
	jw_ratio(&w, "priced_per_cpu_s",
	         b2b_diff_count_of(d, B2B_DIFF_PRICED) * UINT64_C(1000000000),
	         best_cpu > 0 ? (uint64_t)best_cpu : 1);
	jout_end_object(&w);
	ret = jout_print(&w);
out:
	for (k = 0; k < 2; k++)
		b2b_book_unref(book[k]);
	b2b_ctx_free(ctx);
	free(customers);
	return ret;
}
