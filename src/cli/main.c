/*
 * b2b — the command-line program: dispatch to subcommands, help and
 * version. Asked-for help goes to stdout with exit 0; a wrong invocation
 * gets one line on stderr and exit 2 (CLI_UNREADABLE). The manual page is
 * b2b.1 next to this file: keep it in step with the usage texts
 * (tests/cli/manpage.py compares them).
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <string.h>

#include "b2b.h"
#include "cli.h"

static const struct {
	const char *name;
	cli_cmd_fn fn;
} commands[] = {
	{ "book", cmd_book },
	{ "price", cmd_price },
	{ "quote", cmd_quote },
	{ "validate", cmd_validate },
	{ "lint", cmd_lint },
	{ "diff", cmd_diff },
	{ "bench", cmd_bench },
};

#define NCOMMANDS (sizeof commands / sizeof commands[0])

static char help_option[] = "--help";

static void
usage(FILE *f)
{
	fputs("usage: b2b <command> [options]\n"
	      "       b2b help [COMMAND], b2b [COMMAND] -h|--help, b2b --version\n"
	      "\n"
	      "commands:\n"
	      "  book      --book DIR                   load a book; counts and fingerprint\n"
	      "  price     --book DIR --customer ID --sku SKU --qty Q --as-of T\n"
	      "            [--currency K] [--channel H] [--code C]...\n"
	      "  quote     --book DIR REQUEST.json      price a quote request\n"
	      "  quote     --book DIR --transition EVENT [--as-of T] QUOTE.json\n"
	      "  quote     --book DIR --reprice [--as-of T] [--report] QUOTE.json\n"
	      "  validate  --book DIR ORDER.json        validate an order\n"
	      "  lint      --book DIR [--as-of T]       findings on a book (JSON, SPEC 12)\n"
	      "  diff      --old DIR --new DIR --as-of T [--customer ID]... [--limit N]\n"
	      "            [--csv]                      what a new book does to prices\n"
	      "  bench     book|price|validate|csv ...  benchmarks (b2b bench --help)\n"
	      "  help      [COMMAND]                    this list, or a command's usage\n"
	      "  version                                print the library version\n"
	      "\n"
	      "'-' reads standard input. Exit 0 ok, 1 rejected or invalid, 2 unreadable\n"
	      "or a usage error. See b2b(1).\n",
	      f);
}

static int
find_command(const char *name)
{
	size_t i;

	for (i = 0; i < NCOMMANDS; i++)
		if (strcmp(name, commands[i].name) == 0)
			return (int)i;
	return -1;
}

/* A usage error of the program itself, help or version: one line. */
static int
top_error(const char *what, const char *arg)
{
	fprintf(stderr, "%s '%s' (see 'b2b --help')\n", what, arg);
	return CLI_UNREADABLE;
}

/* b2b help [COMMAND]: the command's own --help. */
static int
help(int argc, char **argv)
{
	char *args[3];
	int c;

	if (argc < 2) {
		usage(stdout);
		return CLI_OK;
	}
	if (argc > 2)
		return top_error("b2b help: unexpected argument", argv[2]);
	if (strcmp(argv[1], "help") == 0 || strcmp(argv[1], "version") == 0 ||
	    cli_is_help(argv[1])) {
		usage(stdout);
		return CLI_OK;
	}
	if ((c = find_command(argv[1])) < 0)
		return top_error("b2b help: unknown command", argv[1]);
	args[0] = argv[1];
	args[1] = help_option;
	args[2] = NULL;
	return commands[c].fn(2, args);
}

/* The version of the library the program runs with (b2b_version()). */
static int
version(int argc, char **argv)
{
	unsigned v = b2b_version();

	if (argc > 1) {
		if (cli_is_help(argv[1])) {
			fputs("usage: b2b version   (or b2b --version)\n", stdout);
			return CLI_OK;
		}
		return top_error("b2b version: unexpected argument", argv[1]);
	}
	printf("b2b %u.%u.%u\n", v >> 16, (v >> 8) & 0xffu, v & 0xffu);
	return CLI_OK;
}

/*
 * `b2b bench BENCHMARK … --help`: bench's own parser reads --help only
 * right after `bench`; the help of every benchmark is in that text.
 */
static int
bench_wants_help(int argc, char **argv)
{
	int i;

	for (i = 2; i < argc; i++)
		if (cli_is_help(argv[i]))
			return 1;
	return 0;
}

/* `b2b bench --write DIR …` with progress (bytes written) on a terminal. */
static int
bench(int argc, char **argv)
{
	char what[300];
	const char *dir = NULL;
	cli_progress *p;
	int i, rc;

	if (argc > 2 && bench_wants_help(argc, argv)) {
		char *args[3];

		args[0] = argv[0];
		args[1] = help_option;
		args[2] = NULL;

		return cmd_bench(2, args);
	}
	for (i = 1; i + 1 < argc && dir == NULL; i++)
		if (strcmp(argv[i], "--write") == 0)
			dir = argv[i + 1];
		else if (strncmp(argv[i], "--write=", 8) == 0)
			dir = argv[i] + 8;
	if (dir == NULL)
		return cmd_bench(argc, argv);
	snprintf(what, sizeof what, "writing book %s", dir);
	p = cli_progress_start(what, CLI_PROGRESS_WRITE, 0);
	rc = cmd_bench(argc, argv);
	cli_progress_end(p);
	return rc;
}

int
main(int argc, char **argv)
{
	int c;

	if (argc < 2) {
		usage(stderr);
		return CLI_UNREADABLE;
	}
	if (cli_is_help(argv[1])) {
		if (argc > 2)
			return top_error("b2b --help: unexpected argument", argv[2]);
		usage(stdout);
		return CLI_OK;
	}
	/* a command gets argv + 1: its argv[0] is the command's name */
	if (strcmp(argv[1], "help") == 0)
		return help(argc - 1, argv + 1);
	if (strcmp(argv[1], "version") == 0)
		return version(argc - 1, argv + 1);
	if (strcmp(argv[1], "--version") == 0) {
		if (argc > 2)
			return top_error("b2b --version: unexpected argument", argv[2]);
		return version(1, argv + 1);
	}
	if (strcmp(argv[1], "bench") == 0)
		return bench(argc - 1, argv + 1);
	if ((c = find_command(argv[1])) >= 0)
		return commands[c].fn(argc - 1, argv + 1);
	return top_error(argv[1][0] == '-' ? "b2b: unknown option" : "b2b: unknown command",
	                 argv[1]);
}
