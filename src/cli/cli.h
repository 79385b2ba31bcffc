/*
 * b2b — the command-line program (SPEC §8): shared declarations.
 * SPDX-License-Identifier: MIT
 */
#ifndef B2B_CLI_H
#define B2B_CLI_H

#include <stdio.h>
#include <stddef.h>

/* Exit codes of SPEC §8. */
#define CLI_OK 0
#define CLI_REJECTED 1   /* request cannot be priced / order invalid */
#define CLI_UNREADABLE 2 /* input cannot be read at all; usage errors */

typedef int (*cli_cmd_fn)(int argc, char **argv);

int cmd_book(int argc, char **argv);
int cmd_price(int argc, char **argv);
int cmd_quote(int argc, char **argv);
int cmd_validate(int argc, char **argv);
int cmd_lint(int argc, char **argv);
int cmd_bench(int argc, char **argv);

/* Read a whole file ("-" = stdin) into a malloc'ed buffer; NULL on error
 * with a message on stderr. */
char *cli_read_file(const char *path, size_t *len);

#endif
