/*
 * b2b bench book — write a synthetic book, load it R times: min and median
 * load time (wall and CPU), products/s, bytes per product and per item,
 * peak RSS of a load, fingerprint.
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "b2b.h"
#include "bench_snapshot.h"
#include "bench_util.h"
#include "cli.h"
#include "synth.h"

/*===========================================================================
 * MARK: - bench book: write a synthetic book, load it R times
 *===========================================================================*/

/*
 * The peak resident set size of the process (VmHWM of /proc/self/status,
 * bytes), or 0 where there is none. peak_rss_reset() starts a new peak
 * (Linux: "5" to /proc/self/clear_refs), so that a load's peak leaves out
 * the book writer's memory; it returns -1 where it cannot.
 */
static int
peak_rss_reset(void)
{
	FILE *f = fopen("/proc/self/clear_refs", "w");
	int ok;

	if (f == NULL)
		return -1;
	ok = fputs("5", f) >= 0;
	return fclose(f) == 0 && ok ? 0 : -1;
}

static size_t
peak_rss(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	unsigned long kb = 0;

	if (f == NULL)
		return 0;
	while (fgets(line, sizeof line, f) != NULL)
		if (sscanf(line, "VmHWM: %lu kB", &kb) == 1)
			break;
	fclose(f);
	return (size_t)kb * 1024;
}

/* What bb_time_loads() measures: wall and CPU ns of each load (sorted),
 * and the highest peak RSS of a load (0: not known). */
typedef struct bb_stats {
	int64_t *ns, *cpu;
	size_t peak;
} bb_stats;

/*
 * Load the book in dir `runs` times, each load timed into st (sorted
 * afterwards); *book is the last one loaded (the previous one is freed
 * before each load, so a load's peak holds one book). Returns CLI_OK, or
 * the exit status after the load problems were printed.
 */
static int
bb_time_loads(b2b_book **book, bb_stats *st, int runs, const char *dir)
{
	int64_t t0, c0;
	int r, rc;

	for (r = 0; r < runs; r++) {
		b2b_book *b = NULL;
		b2b_ctx *ctx = NULL;
		int reset;

		b2b_book_unref(*book);
		*book = NULL;
		if (b2b_ctx_new(&ctx, NULL) < 0)
			return CLI_UNREADABLE;
		reset = peak_rss_reset();
		t0 = now_ns();
		c0 = cpu_ns();
		rc = cli_book_load_dir(&b, ctx, dir);
		st->cpu[r] = cpu_ns() - c0;
		st->ns[r] = now_ns() - t0;
		if (reset == 0 && peak_rss() > st->peak)
			st->peak = peak_rss();
		b2b_ctx_free(ctx);
		if (rc < 0) {
			/* print the problems the normal way */
			b2b_book_unref(b);
			rc = cli_load_book(&b, dir);
			b2b_book_unref(b);
			return rc == CLI_OK ? CLI_UNREADABLE : rc;
		}
		fprintf(stderr, "b2b bench book: run %d: %lld ms (CPU %lld ms)\n", r + 1,
		        (long long)(st->ns[r] / 1000000), (long long)(st->cpu[r] / 1000000));
		*book = b;
	}
	qsort(st->ns, (size_t)runs, sizeof *st->ns, cmp_i64);
	qsort(st->cpu, (size_t)runs, sizeof *st->cpu, cmp_i64);
	return CLI_OK;
}

/* num ÷ den with 2 decimals, as a JSON string. */
static void
jw_ratio2(jout *w, const char *key, uint64_t num, uint64_t den)
{
	b2b_dec d;

	b2b_dec_from_units(&d, den == 0 ? 0 : (int64_t)((num * 100 + den / 2) / den), 2);
	jout_key(w, key);
	jout_dec(w, d, 2, B2B_ROUND_HALF_UP);
}

/* The report on stdout (`dir` NULL for a temporary one); the exit status. */
static int
bb_report(const bench_opts *o, const b2b_book *book, int64_t write_ns, const bb_stats *st,
          const char *dir, const char *book_dir)
{
	size_t np = b2b_book_count(book, B2B_TABLE_PRODUCTS);
	size_t memory = b2b_book_memory(book);
	size_t strings = b2b_book_memory_of(book, B2B_BOOK_MEMORY_STRINGS);
	size_t record = b2b_book_memory_of(book, B2B_BOOK_MEMORY_PRODUCT_RECORD);
	size_t nitems = b2b_book_count(book, B2B_TABLE_PRICE_LIST_ITEMS) +
	                b2b_book_count(book, B2B_TABLE_CONTRACT_ITEMS);
	const int64_t *ns = st->ns;
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
	jw_ms(&w, "load_cpu_ms_min", st->cpu[0]);
	jw_ms(&w, "load_cpu_ms_median", st->cpu[o->runs / 2]);
	jout_key(&w, "products_per_second");
	jout_int(&w, median > 0 ? (int64_t)((uint64_t)np * 1000000000u / (uint64_t)median) : 0);
	jout_key(&w, "memory_bytes");
	jout_int(&w, (int64_t)memory);
	jout_key(&w, "string_bytes");
	jout_int(&w, (int64_t)strings);
	jw_ratio(&w, "bytes_per_product", memory, np);
	jw_ratio(&w, "bytes_per_product_beyond_strings", memory - strings, np);
	jout_key(&w, "product_record_bytes");
	jout_int(&w, (int64_t)record);
	/* everything but strings and product records, over the items: an
	 * upper bound of an item's cost (indexes and other tables are in) */
	jw_ratio(&w, "bytes_per_item_beyond_products_and_strings",
	         memory - strings - record * np, nitems);
	jout_key(&w, "load_peak_rss_bytes");
	if (st->peak != 0)
		jout_int(&w, (int64_t)st->peak);
	else
		jout_null(&w);
	if (st->peak != 0) {
		jw_ratio2(&w, "load_peak_rss_per_book_memory", st->peak, memory);
	} else {
		jout_key(&w, "load_peak_rss_per_book_memory");
		jout_null(&w);
	}
	jout_key(&w, "fingerprint");
	jout_str(&w, b2b_book_fingerprint(book));
	if (bench_snapshot(&w, book, book_dir, o->runs, median, st->cpu[o->runs / 2]) < 0)
		return CLI_UNREADABLE;
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
	bb_stats st;
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
	if ((ns = calloc((size_t)o.runs * 2, sizeof *ns)) == NULL) {
		fputs("b2b: out of memory\n", stderr);
		rc = CLI_UNREADABLE;
		goto done;
	}
	st.ns = ns;
	st.cpu = ns + o.runs;
	st.peak = 0;
	rc = bb_time_loads(&book, &st, o.runs, dir);
	if (rc == CLI_OK)
		rc = bb_report(&o, book, write_ns, &st, temp ? NULL : dir, dir);
done:
	b2b_book_unref(book);
	free(ns);
	if (temp)
		remove_book(dir);
	return rc;
}
