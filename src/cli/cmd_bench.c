/*
 * b2b bench — the benchmark suite. Sub-commands live in one table
 * (bench_cmds below): add a row and a function to add a benchmark, in a
 * file bench_<name>.c (bench_util.c holds what they share).
 *
 *   b2b bench book [--products N] [--customers N] [--contract-items N]
 *                  [--profile basic|full] [--seed S] [--runs R] [--dir DIR]
 *   b2b bench --write DIR [--profile P] [--products N] [--customers N]
 *                  [--contract-items N] [--seed S]
 *                  (also writes DIR/lines.csv and DIR/expected_checksum.txt,
 *                  the workload of `bench price`)
 *   b2b bench price [--lines N] [--quote-runs Q] [--as-of T] [--runs R]
 *                  [--dir DIR] [synthetic book options]
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
	  "        load and its ratio to the book's memory, fingerprint" },
	{ "validate", bench_validate,
	  "validate [--book DIR] [--orders N] [--lines L] [--templates T] [--as-of T]\n"
	  "              [--show I] [synthetic book options]\n"
	  "        validate N orders (default 100000) of L lines (default 20), cycling\n"
	  "        T distinct orders (default 1000) priced at the engine's prices, on\n"
	  "        DIR or a synthetic full-profile book: µs per order for a parsed\n"
	  "        order, and from JSON text to the result document (wall and CPU);\n"
	  "        --show I prints distinct order I and its validation instead" },
	{ "price", bench_price,
	  "price [--lines N] [--quote-runs Q] [--as-of T] [--runs R] [--dir DIR]\n"
	  "              [synthetic book options]\n"
	  "        price N (customer, sku, qty) lines (default 1000000) with\n"
	  "        b2b_price_batch (R runs, default 5), the same keys through a raw\n"
	  "        (customer, sku) → price hash table (the floor), their ratio, a\n"
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
	      "                 [--customers N] [--contract-items N] [--seed S]\n"
	      "benchmarks:\n", f);
	for (i = 0; i < sizeof bench_cmds / sizeof *bench_cmds; i++)
		fprintf(f, "  %s\n", bench_cmds[i].usage);
	fprintf(f, "defaults: --products %d --customers %d --contract-items %d --profile basic"
	           " --seed 42\n", SYNTH_PRODUCTS, SYNTH_CUSTOMERS, SYNTH_CONTRACT_ITEMS);
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
		/* b2b bench --write DIR … */
		if (bench_parse(&o, argc, argv, 1) < 0 || o.write_dir == NULL) {
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
