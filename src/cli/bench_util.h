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

#include "b2b.h"
#include "jsonout.h"

/* Options every benchmark understands (the synthetic book's shape). */
typedef struct bench_opts {
	const char *profile;
	const char *dir;          /* NULL = a temporary directory */
	const char *write_dir;    /* `b2b bench --write DIR` */
	uint64_t seed;
	size_t products, customers, contract_items;
	int runs;
	size_t lines;             /* `--write DIR --lines N`: lines of lines.csv (0: SYNTH_LINES) */
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
 * price` (o->lines, default SYNTH_LINES) as DIR/lines.csv and its expected checksum,
 * so that another engine can run the same workload and compare.
 */
int bench_price_write(const bench_opts *o);

/*
 * The dense floor of `b2b bench price` (bench_floor.c): the basic
 * profile's pricing written for speed on the book's handles. new: 0, 1
 * when the book in dir is not of the basic shape (why says what), -1 out
 * of memory. price: out[i] the scale-9 coefficient of line i's unit price
 * (INT64_MIN: unknown customer or sku); q[i] the quantity in whole units
 * (rounded down).
 */
typedef struct bench_floor bench_floor;
int bench_floor_new(bench_floor **out, const char *dir, const b2b_book *book, char *why,
                    size_t whysize);
void bench_floor_price(const bench_floor *f, int64_t *out, const uint32_t *cu,
                       const uint32_t *pr, const uint32_t *q, size_t n);
void bench_floor_free(bench_floor *f);

/* `b2b bench price --threads N` (bench_threads.c). */
#define BENCH_MAX_THREADS 64
typedef struct bench_threads_result {
	int max_threads;                      /* in: threads 1 .. max_threads are run */
	int64_t wall_min[BENCH_MAX_THREADS];  /* per thread count: wall ns of the batch */
	int64_t wall_median[BENCH_MAX_THREADS];
	int64_t cpu_min[BENCH_MAX_THREADS];   /* the threads' CPU ns, summed */
	int same;                             /* every thread's results = the reference */
} bench_threads_result;
/*
 * The n lines priced by k = 1 .. res->max_threads threads at once (each a
 * contiguous slice, its own ctx and result arrays), `runs` runs per k;
 * results compared with ref_up / ref_pb (a single call's). 0, or -1 after
 * a message.
 */
int bench_threads(bench_threads_result *res, const b2b_book *book, const uint32_t *cu,
                  const uint32_t *pr, const b2b_dec *q, size_t n, b2b_time as_of, int runs,
                  const b2b_dec *ref_up, const int *ref_pb);

#endif
