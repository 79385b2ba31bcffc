/*
 * b2b bench — the benchmark suite. Sub-commands live in one table
 * (bench_cmds below): add a row and a function to add a benchmark, in a
 * file bench_<name>.c (bench_util.c holds what they share).
 *
 *   b2b bench book [--products N] [--customers N] [--contract-items N]
 *                  [--profile basic|full] [--seed S] [--runs R] [--dir DIR]
 *   b2b bench --write DIR [--profile P] [--products N] [--customers N]
 *                  [--contract-items N] [--seed S] [--lines N]
 *                  (also writes DIR/lines.csv, N lines, default 1000000, and
 *                  DIR/expected_checksum.txt: the workload of `bench price`)
 *   b2b bench price [--lines N] [--quote-runs Q] [--as-of T] [--runs R]
 *                  [--threads N] [--dir DIR] [synthetic book options]
 *   b2b bench validate [--book DIR] [--orders N] [--lines L] [--templates T]
 *                  [--as-of T] [--show I] [synthetic book options]
 *   b2b bench csv [--rows N] [--runs R] [--dir DIR]
 *   b2b bench diff --old DIR --new DIR [--as-of T] [--customer ID]… [--runs R]
 *
 * Times come from clock_gettime(CLOCK_MONOTONIC) (wall) and
 * CLOCK_PROCESS_CPUTIME_ID (CPU) and are reported in integer arithmetic
 * (the CLI, like the library, uses no floating point).
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "b2b.h"
#include "bench_util.h"
#include "cli.h"
#include "synth.h"

/*===========================================================================
 * MARK: - dispatch
 *===========================================================================*/

typedef struct bench_cmd {
	const char *name;
	cli_cmd_fn fn;            /* gets the whole argv: argv[1] is the name */
	const char *usage;
} bench_cmd;

static const bench_cmd bench_cmds[] = {
	{ "book", bench_book,
	  "book [--products N] [--customers N] [--contract-items N]\n"
	  "              [--profile basic|full] [--seed S] [--runs R] [--dir DIR]\n"
	  "        write a synthetic book (to a temporary directory unless --dir),\n"
	  "        load it R times (default 5): min and median load time (wall and\n"
	  "        CPU), products/s, bytes per product and per item, peak RSS of a\n"
	  "        load and its ratio to the book's memory, fingerprint; then its\n"
	  "        snapshot: size, write and open time (with and without checksum,\n"
	  "        and per CSV load), same prices, a second process's private memory" },
	{ "validate", bench_validate,
	  "validate [--book DIR] [--orders N] [--lines L] [--templates T] [--as-of T]\n"
	  "              [--show I] [synthetic book options]\n"
	  "        validate N orders (default 100000) of L lines (default 20), cycling\n"
	  "        T distinct orders (default 1000) priced at the engine's prices, on\n"
	  "        DIR or a synthetic full-profile book: µs per order for a parsed\n"
	  "        order, and from JSON text to the result document (wall and CPU);\n"
	  "        --show I prints distinct order I and its validation instead" },
	{ "price", bench_price,
	  "price [--lines N] [--quote-runs Q] [--as-of T] [--runs R] [--threads N]\n"
	  "              [--dir DIR] [synthetic book options]\n"
	  "        price N (customer, sku, qty) lines (default 1000000) with\n"
	  "        b2b_price_batch (R runs, default 5), then split between 1, 2, ..., N\n"
	  "        threads (default 2: wall time, speed-up), the same keys through a raw\n"
	  "        (customer, sku) → price hash table (the floor), their ratio, on a\n"
	  "        basic-profile book the same handles through the dense floor (the\n"
	  "        basic profile's pricing written for speed, checked line by line\n"
	  "        against the batch) and the batch's ratio to it, a\n"
	  "        checksum of the prices, and p50/p99 of Q quotes of 20 lines\n"
	  "        (default 2000) and Q/10 of 5000 lines; --dir DIR reuses the book\n"
	  "        there (and DIR/lines.csv, DIR/expected_checksum.txt when present)" },
	{ "csv", bench_csv,
	  "csv [--rows N] [--runs R] [--dir DIR]\n"
	  "        write three products.csv-like files of N rows (default 1000000):\n"
	  "        plain names, quoted names (a comma, doubled quotes), UTF-8 names;\n"
	  "        read each back R times (default 5) with b2b_csv_next: records,\n"
	  "        fields, bytes, and ms, MB/s and records/s of the best run (CPU\n"
	  "        time of the process); in a temporary directory unless --dir" },
	{ "diff", bench_diff,
	  "diff --old DIR --new DIR [--as-of T] [--customer ID]... [--runs R]\n"
	  "        load both books (timed), then b2b_book_diff R times (default 3):\n"
	  "        best wall and CPU ms, probes, probes priced (in both books),\n"
	  "        changed, and priced probes per CPU second" },
	/* more benchmarks: { "name", bench_name, "name …" }, */
};

static void
bench_usage(FILE *f)
{
	size_t i;

	fputs("usage: b2b bench <benchmark> [options]\n"
	      "       b2b bench --write DIR [--profile basic|full] [--products N]\n"
	      "                 [--customers N] [--contract-items N] [--seed S] [--lines N]\n"
	      "benchmarks:\n", f);
	for (i = 0; i < sizeof bench_cmds / sizeof *bench_cmds; i++)
		fprintf(f, "  %s\n", bench_cmds[i].usage);
	fprintf(f, "defaults: --products %d --customers %d --contract-items %d --profile basic"
	           " --seed 42\n", SYNTH_PRODUCTS, SYNTH_CUSTOMERS, SYNTH_CONTRACT_ITEMS);
}

/* The options of `b2b bench --write DIR`: the common ones and --lines N
 * (1..100000000, as `bench price --lines`). */
static int
bench_write_parse(bench_opts *o, int argc, char **argv)
{
	char **rest = calloc((size_t)argc + 1, sizeof *rest);
	const char *v;
	size_t lines = 0;
	int k, nrest = 1, bad = 0, rc = -1;

	if (rest == NULL)
		return -1;
	rest[0] = argv[0];
	for (k = 1; k < argc; k++) {
		if ((v = cli_opt(argc, argv, &k, "lines", &bad)) != NULL) {
			if (parse_size("lines", v, &lines) < 0)
				goto done;
			if (lines == 0 || lines > 100000000) {
				fputs("b2b bench: --lines must be 1..100000000\n", stderr);
				goto done;
			}
		} else if (bad) {
			goto done;
		} else {
			rest[nrest++] = argv[k];
		}
	}
	if (bench_parse(o, nrest, rest, 1) == 0) {
		o->lines = lines;
		rc = 0;
	}
done:
	free(rest);
	return rc;
}

int
cmd_bench(int argc, char **argv)
{
	bench_opts o;
	size_t i;

	if (argc < 2) {
		bench_usage(stderr);
		return CLI_UNREADABLE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		bench_usage(stdout);
		return CLI_OK;
	}
	if (strncmp(argv[1], "--", 2) == 0) {
		/* b2b bench --write DIR … [--lines N]: the lines of lines.csv */
		if (bench_write_parse(&o, argc, argv) < 0 || o.write_dir == NULL) {
			if (o.write_dir == NULL)
				fputs("b2b bench: options without a benchmark need --write DIR\n",
				      stderr);
			bench_usage(stderr);
			return CLI_UNREADABLE;
		}
		if (synth_write_book(o.write_dir, o.profile, o.seed, o.products, o.customers,
		                     o.contract_items) < 0)
			return CLI_UNREADABLE;
		/* the pricing workload next to the book (lines.csv, expected_checksum.txt) */
		return bench_price_write(&o);
	}
	for (i = 0; i < sizeof bench_cmds / sizeof *bench_cmds; i++)
		if (strcmp(argv[1], bench_cmds[i].name) == 0)
			return bench_cmds[i].fn(argc, argv);
	fprintf(stderr, "b2b bench: unknown benchmark '%s'\n", argv[1]);
	bench_usage(stderr);
	return CLI_UNREADABLE;
}
