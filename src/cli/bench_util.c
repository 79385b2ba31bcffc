/*
 * b2b bench — what every benchmark shares: the common options (the
 * synthetic book's shape), clocks, the JSON figures (ms, ratios, µs per
 * item) and the benchmark's directory.
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "b2b.h"
#include "bench_util.h"
#include "cli.h"
#include "synth.h"

/*===========================================================================
 * MARK: - shared option parsing
 *===========================================================================*/

int
parse_size(const char *name, const char *v, size_t *out)
{
	char *end;
	unsigned long long n;

	errno = 0;
	n = strtoull(v, &end, 10);
	if (errno != 0 || end == v || *end != '\0' || v[0] == '-') {
		fprintf(stderr, "b2b bench: --%s: not a number: '%s'\n", name, v);
		return -1;
	}
	*out = (size_t)n;
	return 0;
}

/*
 * Parse the common options from argv[first..]; unknown ones are errors.
 * Returns 0, or -1 after a message.
 */
int
bench_parse(bench_opts *o, int argc, char **argv, int first)
{
	int i, bad = 0;
	const char *v;
	size_t n;

	o->profile = "basic";
	o->dir = NULL;
	o->write_dir = NULL;
	o->seed = 42;
	o->products = SYNTH_PRODUCTS;
	o->customers = SYNTH_CUSTOMERS;
	o->contract_items = SYNTH_CONTRACT_ITEMS;
	o->runs = 5;
	o->lines = 0;
	for (i = first; i < argc; i++) {
		if ((v = cli_opt(argc, argv, &i, "products", &bad)) != NULL) {
			if (parse_size("products", v, &o->products) < 0)
				return -1;
		} else if ((v = cli_opt(argc, argv, &i, "customers", &bad)) != NULL) {
			if (parse_size("customers", v, &o->customers) < 0)
				return -1;
		} else if ((v = cli_opt(argc, argv, &i, "contract-items", &bad)) != NULL) {
			if (parse_size("contract-items", v, &o->contract_items) < 0)
				return -1;
		} else if ((v = cli_opt(argc, argv, &i, "seed", &bad)) != NULL) {
			if (parse_size("seed", v, &n) < 0)
				return -1;
			o->seed = n;
		} else if ((v = cli_opt(argc, argv, &i, "runs", &bad)) != NULL) {
			if (parse_size("runs", v, &n) < 0)
				return -1;
			if (n < 1 || n > 1000) {
				fputs("b2b bench: --runs must be 1..1000\n", stderr);
				return -1;
			}
			o->runs = (int)n;
		} else if ((v = cli_opt(argc, argv, &i, "profile", &bad)) != NULL) {
			o->profile = v;
		} else if ((v = cli_opt(argc, argv, &i, "dir", &bad)) != NULL) {
			o->dir = v;
		} else if ((v = cli_opt(argc, argv, &i, "write", &bad)) != NULL) {
			o->write_dir = v;
		} else {
			if (!bad)
				fprintf(stderr, "b2b bench: unexpected argument '%s'\n", argv[i]);
			return -1;
		}
	}
	if (strcmp(o->profile, "basic") != 0 && strcmp(o->profile, "full") != 0) {
		fprintf(stderr, "b2b bench: --profile must be basic or full, not '%s'\n", o->profile);
		return -1;
	}
	return 0;
}

/*===========================================================================
 * MARK: - timing and reporting helpers (for every benchmark)
 *===========================================================================*/

int64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* Milliseconds with 3 decimals, as a JSON string ("1234.567"). */
void
jw_ms(jout *w, const char *key, int64_t ns)
{
	b2b_dec d;

	b2b_dec_from_units(&d, ns / 1000, 3);
	jout_key(w, key);
	jout_dec(w, d, 3, B2B_ROUND_HALF_UP);
}

/* num ÷ den with 1 decimal, as a JSON string. */
void
jw_ratio(jout *w, const char *key, uint64_t num, uint64_t den)
{
	b2b_dec d;

	b2b_dec_from_units(&d, den == 0 ? 0 : (int64_t)((num * 10 + den / 2) / den), 1);
	jout_key(w, key);
	jout_dec(w, d, 1, B2B_ROUND_HALF_UP);
}

/* The directory of a benchmark: --dir (`dir`), or a fresh temporary one. */
int
bench_dir(const char *dir, char *buf, size_t size, int *temp)
{
	const char *tmp = getenv("TMPDIR");

	*temp = 0;
	if (dir != NULL) {
		snprintf(buf, size, "%s", dir);
		return 0;
	}
	snprintf(buf, size, "%s/b2b-bench-XXXXXX", tmp != NULL && tmp[0] != '\0' ? tmp : "/tmp");
	if (mkdtemp(buf) == NULL) {
		fprintf(stderr, "b2b bench: %s: %s\n", buf, strerror(errno));
		return -1;
	}
	*temp = 1;
	return 0;
}

void
remove_book(const char *dir)
{
	char path[4096 + 64];
	size_t i;

	for (i = 0; synth_files[i] != NULL; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, synth_files[i]);
		remove(path);
	}
	rmdir(dir);
}

/* CPU time of the process: the figure that holds on a busy machine. */
int64_t
cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void
jw_us_per(jout *w, const char *key, int64_t ns, size_t n)
{
	b2b_dec d;

	b2b_dec_from_units(&d, (int64_t)((uint64_t)ns / (n > 0 ? n : 1)), 3);
	jout_key(w, key);
	jout_dec(w, d, 3, B2B_ROUND_HALF_UP);
}
