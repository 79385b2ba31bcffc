/*
 * b2b — the command-line program: dispatch to subcommands.
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <string.h>

#include "b2b.h"
#include "cli.h"

static void
usage(FILE *f)
{
	fputs("usage: b2b <command> [options]\n"
	      "\n"
	      "commands:\n"
	      "  book      --book DIR                   load a book; counts and fingerprint\n"
	      "  price     --book DIR --customer ID --sku SKU --qty Q --as-of T\n"
	      "            [--currency K] [--channel H] [--code C]...\n"
	      "  quote     --book DIR REQUEST.json      price a quote request\n"
	      "  quote     --book DIR --transition EVENT [--as-of T] QUOTE.json\n"
	      "  quote     --book DIR --reprice [--as-of T] [--report] QUOTE.json\n"
	      "  validate  --book DIR ORDER.json        validate an order\n"
	      "  lint      --book DIR                   every finding on a book (JSON)\n"
	      "  bench     book|price|validate|csv ...  benchmarks (b2b bench --help)\n"
	      "  version                                print the library version\n"
	      "\n"
	      "'-' reads standard input. Exit 0 ok, 1 rejected or invalid, 2 unreadable.\n",
	      f);
}

int
main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return CLI_UNREADABLE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return CLI_OK;
	}
	if (strcmp(argv[1], "version") == 0 || strcmp(argv[1], "--version") == 0) {
		printf("b2b %s\n", b2b_version_string());
		return CLI_OK;
	}
	/* a command gets argv + 1: its argv[0] is the command's name */
	if (strcmp(argv[1], "book") == 0)
		return cmd_book(argc - 1, argv + 1);
	if (strcmp(argv[1], "bench") == 0)
		return cmd_bench(argc - 1, argv + 1);
	if (strcmp(argv[1], "validate") == 0)
		return cmd_validate(argc - 1, argv + 1);
	if (strcmp(argv[1], "price") == 0)
		return cmd_price(argc - 1, argv + 1);
	if (strcmp(argv[1], "quote") == 0)
		return cmd_quote(argc - 1, argv + 1);
	if (strcmp(argv[1], "lint") == 0)
		return cmd_lint(argc - 1, argv + 1);
	fprintf(stderr, "b2b: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return CLI_UNREADABLE;
}
