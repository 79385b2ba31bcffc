/*
 * b2b bench csv — the CSV reader alone: three products.csv-like files
 * (plain, quoted, UTF-8 names) read back with b2b_csv_next.
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "b2b.h"
#include "bench_util.h"
#include "cli.h"
#include "jsonout.h"

/*===========================================================================
 * MARK: - bench csv: the CSV reader alone
 *===========================================================================*/

/* The three files of `bench csv`: the same columns, the name plain,
 * quoted with a comma and doubled quotes, or with 2-byte UTF-8. */
enum { BC_ASCII, BC_QUOTED, BC_UTF8, BC_KINDS };
static const char *const bc_kind_names[BC_KINDS] = { "ascii", "quoted", "utf8" };

/* What one file measured: the best of the runs, CPU time of the process
 * (which includes the kernel's copy from the page cache). */
typedef struct bc_figures {
	uint64_t bytes;
	size_t records, fields;     /* header included, as the reader sees them */
	int64_t best_cpu;
} bc_figures;

/* Write a products.csv-like file of `rows` rows; its size in bytes, or
 * -1 after a message. */
static int64_t
bc_write(const char *path, size_t rows, int kind)
{
	FILE *f = fopen(path, "wb");
	int64_t bytes = 0;
	size_t i;

	if (f == NULL) {
		fprintf(stderr, "b2b bench csv: %s: %s\n", path, strerror(errno));
		return -1;
	}
	bytes += fprintf(f, "sku,name,category,list_price,currency,cost,pack_size,min_qty,"
	                    "max_qty,status,tax_class,on_hand,daily_demand,baseline_demand,"
	                    "competitor_price,prev_price\n");
	for (i = 0; i < rows; i++) {
		char nm[64];

		if (kind == BC_ASCII)
			snprintf(nm, sizeof nm, "Widget %zu", i);
		else if (kind == BC_QUOTED)
			snprintf(nm, sizeof nm, "\"Widget, \"\"large\"\" %zu\"", i);
		else
			snprintf(nm, sizeof nm, "Schraube M\xC3\xBC\xC3\x9F %zu", i);
		bytes += fprintf(f, "SKU-%07zu,%s,tools/hand/screws,%zu.%04zu,EUR,%zu.%02zu,10,1,"
		                    "1000,active,standard,%zu,3.5,3.1,%zu.99,%zu.50\n",
		                 i, nm, i % 1000, i % 10000, i % 700, i % 100, i % 5000,
		                 i % 1000, i % 1000);
	}
	if (fclose(f) != 0) {
		fprintf(stderr, "b2b bench csv: %s: write error\n", path);
		return -1;
	}
	return bytes;
}

/* Read the file with b2b_csv_open() / b2b_csv_next(), counting records
 * and fields. Returns 0, or -1 after a message. */
static int
bc_read(const char *path, size_t *records, size_t *fields)
{
	b2b_ctx *ctx = NULL;
	b2b_csv *r = NULL;
	int rc;

	*records = 0;
	*fields = 0;
	if (b2b_ctx_new(&ctx, NULL) < 0) {
		fputs("b2b: out of memory\n", stderr);
		return -1;
	}
	if (b2b_csv_open(&r, ctx, NULL, path, "bench.csv") < 0) {
		fprintf(stderr, "b2b bench csv: %s: %s\n", path, b2b_ctx_errmsg(ctx));
		b2b_ctx_free(ctx);
		return -1;
	}
	while ((rc = b2b_csv_next(r, ctx)) == 1) {
		(*records)++;
		*fields += b2b_csv_field_count(r);
	}
	if (rc < 0)
		fprintf(stderr, "%s:%ld:%ld: %s\n", b2b_ctx_errfile(ctx), b2b_ctx_errline(ctx),
		        b2b_ctx_errcol(ctx), b2b_ctx_errmsg(ctx));
	b2b_csv_free(r);
	b2b_ctx_free(ctx);
	return rc < 0 ? -1 : 0;
}

/* Write the file of `kind`, read it `runs` times (each read timed, the
 * reader's set-up and release included), remove it. */
static int
bc_time_kind(bc_figures *f, const char *path, size_t rows, int kind, int runs)
{
	int64_t bytes = bc_write(path, rows, kind), c0, dt;
	int r;

	if (bytes < 0) {
		remove(path);
		return -1;
	}
	f->bytes = (uint64_t)bytes;
	f->best_cpu = INT64_MAX;
	for (r = 0; r < runs; r++) {
		c0 = cpu_ns();
		if (bc_read(path, &f->records, &f->fields) < 0) {
			remove(path);
			return -1;
		}
		dt = cpu_ns() - c0;
		if (dt < f->best_cpu)
			f->best_cpu = dt;
	}
	remove(path);
	fprintf(stderr, "b2b bench csv: %s: %zu records, best of %d: %lld ms (cpu)\n",
	        bc_kind_names[kind], f->records, runs, (long long)(f->best_cpu / 1000000));
	return 0;
}

/* One file's figures: sizes, the best CPU time (ms, 3 decimals), MB/s
 * (MB = 10^6 bytes, 1 decimal) and records/s. */
static void
bc_report_kind(jout *w, const char *name, const bc_figures *f)
{
	uint64_t best = f->best_cpu > 0 ? (uint64_t)f->best_cpu : 0;

	jout_key(w, name);
	jout_begin_object(w);
	jout_key(w, "records");
	jout_int(w, (int64_t)f->records);
	jout_key(w, "fields");
	jout_int(w, (int64_t)f->fields);
	jout_key(w, "bytes");
	jout_int(w, (int64_t)f->bytes);
	jw_ratio(w, "mb", f->bytes, 1000000);
	jw_ms(w, "cpu_ms", f->best_cpu);
	jw_ratio(w, "mb_per_second", f->bytes * 1000, best);
	jout_key(w, "records_per_second");
	jout_int(w, best > 0 ? (int64_t)((uint64_t)f->records * 1000000000u / best) : 0);
	jout_end_object(w);
}

/* --rows N (1..10^8), --runs R (1..1000), --dir DIR; 0 or -1 after a message. */
static int
bc_parse(size_t *rows, int *runs, const char **dir, int argc, char **argv)
{
	const char *v;
	size_t n;
	int i, bad = 0;

	*rows = 1000000;
	*runs = 5;
	*dir = NULL;
	for (i = 2; i < argc; i++) {
		if ((v = cli_opt(argc, argv, &i, "rows", &bad)) != NULL) {
			if (parse_size("rows", v, rows) < 0)
				return -1;
			if (*rows < 1 || *rows > 100000000) {
				fputs("b2b bench csv: --rows must be 1..100000000\n", stderr);
				return -1;
			}
		} else if ((v = cli_opt(argc, argv, &i, "runs", &bad)) != NULL) {
			if (parse_size("runs", v, &n) < 0)
				return -1;
			if (n < 1 || n > 1000) {
				fputs("b2b bench: --runs must be 1..1000\n", stderr);
				return -1;
			}
			*runs = (int)n;
		} else if ((v = cli_opt(argc, argv, &i, "dir", &bad)) != NULL) {
			*dir = v;
		} else {
			if (!bad)
				fprintf(stderr, "b2b bench: unexpected argument '%s'\n", argv[i]);
			return -1;
		}
	}
	return 0;
}

int
bench_csv(int argc, char **argv)
{
	const char *dir_opt;
	char dir[4096], path[4096 + 16];
	bc_figures f[BC_KINDS];
	size_t rows;
	int runs, temp, k, rc = CLI_UNREADABLE;
	jout w;

	if (bc_parse(&rows, &runs, &dir_opt, argc, argv) < 0)
		return CLI_UNREADABLE;
	if (bench_dir(dir_opt, dir, sizeof dir, &temp) < 0)
		return CLI_UNREADABLE;
	snprintf(path, sizeof path, "%s/bench.csv", dir);
	fprintf(stderr, "b2b bench csv: %zu rows per file, in %s\n", rows, path);
	for (k = 0; k < BC_KINDS; k++)
		if (bc_time_kind(&f[k], path, rows, k, runs) < 0)
			goto done;
	jout_init(&w);
	jout_begin_object(&w);
	jout_key(&w, "bench");
	jout_str(&w, "csv");
	jout_key(&w, "rows");
	jout_int(&w, (int64_t)rows);
	jout_key(&w, "runs");
	jout_int(&w, runs);
	for (k = 0; k < BC_KINDS; k++)
		bc_report_kind(&w, bc_kind_names[k], &f[k]);
	jout_end_object(&w);
	rc = jout_print(&w);
done:
	if (temp)
		rmdir(dir);
	return rc;
}
