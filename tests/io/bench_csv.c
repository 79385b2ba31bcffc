/*
 * Manual benchmark of the CSV reader (not a test; not built by meson).
 * Build and run from the repository root, against an optimised build:
 *
 *   meson setup /tmp/build-rel -Dbuildtype=release && ninja -C /tmp/build-rel
 *   cc -O2 -Iinclude -Isrc -I/tmp/build-rel/include tests/bench_csv.c \
 *      /tmp/build-rel/src/static/libb2bcore.a -o /tmp/bench_csv
 *   /tmp/bench_csv [rows]        # default 1000000
 *
 * It writes a products.csv-like file of `rows` rows to /tmp, then reads it
 * back with b2b_csv_open (best of 5 runs, CPU time of the process, which
 * includes the kernel's copy from the page cache) and prints MB/s and records/s,
 * for plain ASCII rows, rows with quoted fields, and rows with UTF-8.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "b2b.h"

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static long
write_file(const char *path, long rows, int kind)
{
	FILE *f = fopen(path, "wb");
	long i, bytes = 0;

	if (f == NULL) {
		perror(path);
		exit(1);
	}
	bytes += fprintf(f, "sku,name,category,list_price,currency,cost,pack_size,min_qty,"
	                    "max_qty,status,tax_class,on_hand,daily_demand,baseline_demand,"
	                    "competitor_price,prev_price\n");
	for (i = 0; i < rows; i++) {
		const char *name = kind == 0 ? "Widget %ld" : kind == 1 ? "\"Widget, \"\"large\"\" %ld\""
		                                                       : "Schraube M\xC3\xBC\xC3\x9F %ld";
		char nm[64];

		snprintf(nm, sizeof(nm), name, i);
		bytes += fprintf(f, "SKU-%07ld,%s,tools/hand/screws,%ld.%04ld,EUR,%ld.%02ld,10,1,"
		                    "1000,active,standard,%ld,3.5,3.1,%ld.99,%ld.50\n",
		                 i, nm, i % 1000, i % 10000, i % 700, i % 100, i % 5000,
		                 i % 1000, i % 1000);
	}
	fclose(f);
	return bytes;
}

static void
run(const char *label, int kind, long rows)
{
	const char *path = "/tmp/b2b_bench_csv.csv";
	long bytes = write_file(path, rows, kind);
	double best = 1e9;
	long recs = 0, fields = 0;
	int k;

	for (k = 0; k < 5; k++) {
		b2b_ctx *ctx;
		b2b_csv *r;
		double t0 = now(), dt;
		int rc;

		b2b_ctx_new(&ctx, NULL);
		if (b2b_csv_open(&r, ctx, NULL, path, "bench.csv") < 0) {
			fprintf(stderr, "open: %s\n", b2b_ctx_errmsg(ctx));
			exit(1);
		}
		recs = fields = 0;
		while ((rc = b2b_csv_next(r, ctx)) == 1) {
			recs++;
			fields += (long)b2b_csv_field_count(r);
		}
		if (rc < 0) {
			fprintf(stderr, "%s:%ld:%ld: %s\n", b2b_ctx_errfile(ctx), b2b_ctx_errline(ctx),
			        b2b_ctx_errcol(ctx), b2b_ctx_errmsg(ctx));
			exit(1);
		}
		b2b_csv_free(r);
		b2b_ctx_free(ctx);
		dt = now() - t0;
		if (dt < best)
			best = dt;
	}
	printf("%-12s %8ld rows %7.1f MB  %6.1f ms  %7.1f MB/s  %6.2f M records/s (%ld fields)\n",
	       label, recs, bytes / 1e6, best * 1e3, bytes / 1e6 / best, recs / 1e6 / best,
	       fields);
	remove(path);
}

int
main(int argc, char **argv)
{
	long rows = argc > 1 ? atol(argv[1]) : 1000000;

	run("ascii", 0, rows);
	run("quoted", 1, rows);
	run("utf8", 2, rows);
	return 0;
}
