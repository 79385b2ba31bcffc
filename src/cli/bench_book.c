/*
 * b2b bench book — write a synthetic book, load it R times: min and median
 * load time, products/s, bytes per product, fingerprint.
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "b2b.h"
#include "bench_util.h"
#include "cli.h"
#include "synth.h"

/*===========================================================================
 * MARK: - bench book: write a synthetic book, load it R times
 *===========================================================================*/

/*
 * Load the book in dir `runs` times, each load timed into ns[] (sorted
 * afterwards); *book is the last one loaded. Returns CLI_OK, or the exit
 * status after the load problems were printed.
 */
static int
bb_time_loads(b2b_book **book, int64_t *ns, int runs, const char *dir)
{
	int64_t t0;
	int r, rc;

	for (r = 0; r < runs; r++) {
		b2b_book *b = NULL;
		b2b_ctx *ctx = NULL;

		if (b2b_ctx_new(&ctx, NULL) < 0)
			return CLI_UNREADABLE;
		t0 = now_ns();
		rc = cli_book_load_dir(&b, ctx, dir);
		ns[r] = now_ns() - t0;
		b2b_ctx_free(ctx);
		if (rc < 0) {
			/* print the problems the normal way */
			b2b_book_unref(b);
			rc = cli_load_book(&b, dir);
			b2b_book_unref(b);
			return rc == CLI_OK ? CLI_UNREADABLE : rc;
		}
		fprintf(stderr, "b2b bench book: run %d: %lld ms\n", r + 1,
		        (long long)(ns[r] / 1000000));
		b2b_book_unref(*book);
		*book = b;
	}
	qsort(ns, (size_t)runs, sizeof *ns, cmp_i64);
	return CLI_OK;
}

/* The report on stdout (`dir` NULL for a temporary one); the exit status. */
static int
bb_report(const bench_opts *o, const b2b_book *book, int64_t write_ns, const int64_t *ns,
          const char *dir)
{
	size_t np = b2b_book_count(book, B2B_TABLE_PRODUCTS);
	size_t memory = b2b_book_memory(book);
	size_t strings = b2b_book_memory_of(book, B2B_BOOK_MEMORY_STRINGS);
	int64_t median = ns[o->runs / 2];
	jout w;
	int t;

	jout_init(&w);
	jout_begin_object(&w);
	jout_key(&w, "bench");
	jout_str(&w, "book");
	jout_key(&w, "profile");
	jout_str(&w, o->profile);
	jout_key(&w, "seed");
	jout_int(&w, (int64_t)o->seed);
	jout_key(&w, "counts");
	jout_begin_object(&w);
	for (t = 0; t < B2B_TABLE_COUNT; t++) {
		jout_key(&w, b2b_book_table_name((b2b_book_table)t));
		jout_int(&w, (int64_t)b2b_book_count(book, (b2b_book_table)t));
	}
	jout_end_object(&w);
	jw_ms(&w, "write_ms", write_ns);
	jout_key(&w, "runs");
	jout_int(&w, o->runs);
	jw_ms(&w, "load_ms_min", ns[0]);
	jw_ms(&w, "load_ms_median", median);
	jout_key(&w, "products_per_second");
	jout_int(&w, median > 0 ? (int64_t)((uint64_t)np * 1000000000u / (uint64_t)median) : 0);
	jout_key(&w, "memory_bytes");
	jout_int(&w, (int64_t)memory);
	jout_key(&w, "string_bytes");
	jout_int(&w, (int64_t)strings);
	jw_ratio(&w, "bytes_per_product", memory, np);
	jw_ratio(&w, "bytes_per_product_beyond_strings", memory - strings, np);
	jout_key(&w, "product_record_bytes");
	jout_int(&w, (int64_t)b2b_book_memory_of(book, B2B_BOOK_MEMORY_PRODUCT_RECORD));
	jout_key(&w, "fingerprint");
	jout_str(&w, b2b_book_fingerprint(book));
	jout_key(&w, "dir");
	jout_str(&w, dir);
	jout_end_object(&w);
	return jout_print(&w);
}

int
bench_book(int argc, char **argv)
{
	bench_opts o;
	char dir[4096];
	int64_t t0, write_ns, *ns = NULL;
	b2b_book *book = NULL;
	int temp, rc;

	if (bench_parse(&o, argc, argv, 2) < 0)
		return CLI_UNREADABLE;
	if (bench_dir(o.dir, dir, sizeof dir, &temp) < 0)
		return CLI_UNREADABLE;
	fprintf(stderr, "b2b bench book: writing a %s book of %zu products to %s\n", o.profile,
	        o.products, dir);
	t0 = now_ns();
	if (synth_write_book(dir, o.profile, o.seed, o.products, o.customers,
	                     o.contract_items) < 0) {
		rc = CLI_UNREADABLE;
		goto done;
	}
	write_ns = now_ns() - t0;
	if ((ns = calloc((size_t)o.runs, sizeof *ns)) == NULL) {
		fputs("b2b: out of memory\n", stderr);
		rc = CLI_UNREADABLE;
		goto done;
	}
	rc = bb_time_loads(&book, ns, o.runs, dir);
	if (rc == CLI_OK)
		rc = bb_report(&o, book, write_ns, ns, temp ? NULL : dir);
done:
	b2b_book_unref(book);
	free(ns);
	if (temp)
		remove_book(dir);
	return rc;
}
