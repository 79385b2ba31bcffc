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

struct b2b_book;
struct b2b_ctx;

/*
 * b2b_book_load_dir() with the libc allocator: the program's one call of
 * it. Returns what it returns; the diagnostics stay on ctx.
 */
int cli_book_load_dir(struct b2b_book **out, struct b2b_ctx *ctx, const char *dir);

/*
 * Load the book in `dir` (io.c). On success returns CLI_OK with *out set
 * and prints the load warnings on stderr as `file:line:col: warning:
 * message`. On failure returns CLI_UNREADABLE, *out NULL, after printing
 * every problem on stderr as `file:line:col: message` and a last line
 * `b2b: N problems; the book was not built` (or the I/O error).
 */
int cli_load_book(struct b2b_book **out, const char *dir);

/*
 * The value of option `name` at argv[*i]: `--name VALUE` (advances *i) or
 * `--name=VALUE`. NULL when argv[*i] is not that option; prints a usage
 * error and sets *bad when the value is missing.
 */
const char *cli_opt(int argc, char **argv, int *i, const char *name, int *bad);

/*
 * `b2b quote … --transition EVENT | --reprice` (cmd_transition.c):
 * cmd_quote() hands its whole argv over when either option is
 * given. Returns the exit status (see cmd_transition.c).
 */
int cmd_quote_transition(int argc, char **argv);

#endif
