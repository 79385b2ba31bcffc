/*
 * b2b bench — what the benchmarks share (bench_util.c), and the
 * benchmarks themselves, one file each (bench_book.c, bench_validate.c,
 * bench_price.c, bench_csv.c), run by cmd_bench.c.
 * SPDX-License-Identifier: MIT
 */
#ifndef B2B_CLI_BENCH_UTIL_H
#define B2B_CLI_BENCH_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "jsonout.h"

/* Options every benchmark understands (the synthetic book's shape). */
typedef struct bench_opts {
	const char *profile;
	const char *dir;          /* NULL = a temporary directory */
	const char *write_dir;    /* `b2b bench --write DIR` */
	uint64_t seed;
	size_t products, customers, contract_items;
	int runs;
} bench_opts;

int parse_size(const char *name, const char *v, size_t *out);
/*
 * Parse the common options from argv[first..]; unknown ones are errors.
 * Returns 0, or -1 after a message.
 */
int bench_parse(bench_opts *o, int argc, char **argv, int first);

int64_t now_ns(void);
/* CPU time of the process: the figure that holds on a busy machine. */
int64_t cpu_ns(void);
int cmp_i64(const void *a, const void *b);
/* Milliseconds with 3 decimals, as a JSON string ("1234.567"). */
void jw_ms(jout *w, const char *key, int64_t ns);
/* num ÷ den with 1 decimal, as a JSON string. */
void jw_ratio(jout *w, const char *key, uint64_t num, uint64_t den);
void jw_us_per(jout *w, const char *key, int64_t ns, size_t n);
/* The directory of a benchmark: --dir (`dir`), or a fresh temporary one. */
int bench_dir(const char *dir, char *buf, size_t size, int *temp);
void remove_book(const char *dir);

/* The benchmarks: `b2b bench NAME …` (argv[1] is NAME). */
int bench_book(int argc, char **argv);
int bench_validate(int argc, char **argv);
int bench_price(int argc, char **argv);
int bench_csv(int argc, char **argv);
int bench_diff(int argc, char **argv);
/*
 * `b2b bench --write DIR`: after the book, the workload of `b2b bench
 * price` (SYNTH_LINES lines) as DIR/lines.csv and its expected checksum,
 * so that another engine can run the same workload and compare.
 */
int bench_price_write(const bench_opts *o);

#endif
