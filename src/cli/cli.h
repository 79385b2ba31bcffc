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
int cmd_diff(int argc, char **argv);
int cmd_bench(int argc, char **argv);

/* Read a whole file ("-" = stdin) into a malloc'ed buffer; NULL on error
 * with a message on stderr. */
char *cli_read_file(const char *path, size_t *len);

struct b2b_book;
struct b2b_ctx;

/*
 * b2b_book_load_dir() with the libc allocator: the program's one call of
 * it. Returns what it returns; the diagnostics stay on ctx. When `dir` is
 * a snapshot file (b2b_snapshot_probe()), b2b_book_open_snapshot()
 * instead; a snapshot it refuses is B2B_EIO (not B2B_EBOOK: it has no
 * diagnostics), its message on the ctx.
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
 * Write `book` to the snapshot file `path` (io.c): CLI_OK, or
 * CLI_UNREADABLE after printing the error on stderr.
 */
int cli_write_snapshot(const struct b2b_book *book, const char *path);

/*
 * The value of option `name` at argv[*i]: `--name VALUE` (advances *i) or
 * `--name=VALUE`. NULL when argv[*i] is not that option; prints a usage
 * error (cli_usage_error(), argv[0] being the command's name) and sets
 * *bad when the value is missing.
 */
const char *cli_opt(int argc, char **argv, int *i, const char *name, int *bad);

/* argv[i] asks for help: `--help` or `-h`. */
int cli_is_help(const char *arg);

#if defined(__GNUC__)
#define CLI_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define CLI_PRINTF(f, a)
#endif

/*
 * A usage error of command `cmd`: one line on stderr,
 * `b2b CMD: MESSAGE (see 'b2b CMD --help')`. Returns CLI_UNREADABLE.
 */
int cli_usage_error(const char *cmd, const char *fmt, ...) CLI_PRINTF(2, 3);

/*
 * An argument that no option of `cmd` matched: `unknown option '--x'`
 * when it starts with '-' (and is not "-"), `unexpected argument 'x'`
 * otherwise (with `why` in parentheses when not NULL). Returns
 * CLI_UNREADABLE.
 */
int cli_bad_arg(const char *cmd, const char *arg, const char *why);

/*
 * Progress on stderr for long work, only when stderr is a terminal
 * (progress.c). cli_progress_start() returns NULL when it shows nothing
 * (not a terminal, no memory): every other call accepts NULL. After a
 * second, a line `b2b: WHAT: … s` is redrawn twice a second, with the
 * bytes the process has read (CLI_PROGRESS_READ, out of `total` when not
 * 0) or written (CLI_PROGRESS_WRITE) since the start; cli_progress_end()
 * erases it. Calls nest: an inner one takes the line over until it ends.
 * Output on stdout is never touched.
 */
typedef enum cli_progress_kind { CLI_PROGRESS_READ, CLI_PROGRESS_WRITE } cli_progress_kind;
typedef struct cli_progress cli_progress;
cli_progress *cli_progress_start(const char *what, cli_progress_kind kind,
                                 unsigned long long total);
void cli_progress_end(cli_progress *p);

/* The total size of the book's table files DIR/TABLE.csv (io.c). */
unsigned long long cli_csv_bytes(const char *dir);

/* cli_progress_start() for loading the book in `dir` (io.c). */
cli_progress *cli_book_progress(const char *dir);

/*
 * `b2b quote … --transition EVENT | --reprice` (cmd_transition.c):
 * cmd_quote() hands its whole argv over when either option is
 * given. Returns the exit status (see cmd_transition.c).
 */
int cmd_quote_transition(int argc, char **argv);

/* The help of `b2b quote`, all three forms (cmd_quote.c). */
void cmd_quote_usage(FILE *f);

#endif
