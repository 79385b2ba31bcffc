/*
 * b2b bench — the benchmark suite. Sub-commands live in one table
 * (bench_cmds below): add a row and a function to add a benchmark.
 *
 *   b2b bench book [--products N] [--customers N] [--contract-items N]
 *                  [--profile basic|full] [--seed S] [--runs R] [--dir DIR]
 *   b2b bench --write DIR [--profile P] [--products N] [--customers N]
 *                  [--contract-items N] [--seed S]
 *                  (also writes DIR/lines.csv and DIR/expected_checksum.txt,
 *                  the workload of `bench price`)
 *   b2b bench price [--lines N] [--quote-runs Q] [--as-of T] [--runs R]
 *                  [--dir DIR] [synthetic book options]
 *   b2b bench validate [--book DIR] [--orders N] [--lines L] [--templates T]
 *                  [--as-of T] [--show I] [synthetic book options]
 *   b2b bench csv [--rows N] [--runs R] [--dir DIR]
 *
 * Times come from clock_gettime(CLOCK_MONOTONIC) (wall) and
 * CLOCK_PROCESS_CPUTIME_ID (CPU) and are reported in integer arithmetic
 * (the CLI, like the library, uses no floating point).
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "b2b.h"
#include "b2b/order.h"
#include "b2b/price.h"
#include "b2b/quote.h"
#include "checksum.h"
#include "cli.h"
#include "jsonout.h"
#include "synth.h"

/*===========================================================================
 * MARK: - shared option parsing
 *===========================================================================*/

/* Options every benchmark understands (the synthetic book's shape). */
typedef struct bench_opts {
	const char *profile;
	const char *dir;          /* NULL = a temporary directory */
	const char *write_dir;    /* `b2b bench --write DIR` */
	uint64_t seed;
	size_t products, customers, contract_items;
	int runs;
} bench_opts;

static int
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
static int
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

static int64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* Milliseconds with 3 decimals, as a JSON string ("1234.567"). */
static void
jw_ms(jout *w, const char *key, int64_t ns)
{
	b2b_dec d;

	b2b_dec_from_units(&d, ns / 1000, 3);
	jout_key(w, key);
	jout_dec(w, d, 3, B2B_ROUND_HALF_UP);
}

/* num ÷ den with 1 decimal, as a JSON string. */
static void
jw_ratio(jout *w, const char *key, uint64_t num, uint64_t den)
{
	b2b_dec d;

	b2b_dec_from_units(&d, den == 0 ? 0 : (int64_t)((num * 10 + den / 2) / den), 1);
	jout_key(w, key);
	jout_dec(w, d, 1, B2B_ROUND_HALF_UP);
}

/* The directory of a benchmark: --dir (`dir`), or a fresh temporary one. */
static int
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

static void
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

/*===========================================================================
 * MARK: - bench book: write a synthetic book, load it R times
 *===========================================================================*/

static int64_t cpu_ns(void);

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
          const char *dir)
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
	jout_key(&w, "dir");
	jout_str(&w, dir);
	jout_end_object(&w);
	return jout_print(&w);
}

static int
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
		rc = bb_report(&o, book, write_ns, &st, temp ? NULL : dir);
done:
	b2b_book_unref(book);
	free(ns);
	if (temp)
		remove_book(dir);
	return rc;
}

/*===========================================================================
 * MARK: - bench validate: validate many 20-line orders
 *===========================================================================*/

/* Orders of the benchmark: JSON texts built from the book's own products,
 * each line at the engine's unit price (so most orders are valid, as in
 * production), quantities 1..40. */
typedef struct bench_order_set {
	char **texts;
	size_t *lens;
	size_t n;
} bench_order_set;

static void
bench_orders_free(bench_order_set *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->texts[i]);
	free(s->texts);
	free(s->lens);
}

/* A small deterministic mixer (splitmix64) for picking rows. */
static uint64_t
bench_mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15u;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9u;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebu;
	return x ^ (x >> 31);
}

/*
 * The quantity of line l of order o for product handle `prod`: a multiple
 * of its pack size within its min and max, as a storefront would send it.
 */
static int64_t
bench_order_qty(const b2b_book *book, uint32_t prod, size_t o, size_t l)
{
	int64_t q, pack = 1, lo = 0, hi = INT64_MAX;
	b2b_dec v;

	if (b2b_book_product_qty_rule(&v, book, prod, B2B_QTY_PACK_SIZE) == 0)
		b2b_dec_to_units(&pack, v, 0, B2B_ROUND_CEILING);
	if (pack < 1)
		pack = 1;
	if (b2b_book_product_qty_rule(&v, book, prod, B2B_QTY_MIN) == 0)
		b2b_dec_to_units(&lo, v, 0, B2B_ROUND_CEILING);
	if (b2b_book_product_qty_rule(&v, book, prod, B2B_QTY_MAX) == 0)
		b2b_dec_to_units(&hi, v, 0, B2B_ROUND_FLOOR);
	q = pack * (int64_t)(1 + (o + l * 7) % 8);
	if (q < lo)
		q = (lo + pack - 1) / pack * pack;
	if (q > hi)
		q = hi / pack * pack > 0 ? hi / pack * pack : hi;
	return q;
}

/* The engine's unit price of (customer, sku, qty) at as_of into price
 * (left as it is when the line cannot be priced). */
static void
bench_unit_price(char *price, size_t size, b2b_ctx *ctx, const b2b_book *book,
                 const char *cust, const char *sku, const char *qty, const char *as_of)
{
	const b2b_price *pr = NULL;
	b2b_price_request *req = NULL;

	if (b2b_price_request_new(&req, ctx) == 0 &&
	    b2b_price_request_set_customer(req, cust) == 0 &&
	    b2b_price_request_set_sku(req, sku) == 0 &&
	    b2b_price_request_set_qty(req, qty) == 0 &&
	    b2b_price_request_set_as_of(req, as_of) == 0 &&
	    b2b_price_compute(&pr, ctx, book, req, NULL) == 0 && b2b_price_ok(pr))
		b2b_dec_format(price, size, NULL, b2b_price_unit_price(pr),
		               b2b_book_unit_price_decimals(book), B2B_ROUND_HALF_UP);
	b2b_ctx_reset(ctx);
}

static int
bench_make_orders(bench_order_set *s, const b2b_book *book, size_t norders, size_t nlines,
                  uint64_t seed, const char *as_of)
{
	size_t np = b2b_book_count(book, B2B_TABLE_PRODUCTS);
	size_t nc = b2b_book_count(book, B2B_TABLE_CUSTOMERS);
	b2b_ctx *ctx = NULL;
	size_t o, l, cap;
	char *buf = NULL;

	s->texts = calloc(norders, sizeof *s->texts);
	s->lens = calloc(norders, sizeof *s->lens);
	s->n = 0;
	cap = 256 + nlines * 160;
	buf = malloc(cap);
	if (s->texts == NULL || s->lens == NULL || buf == NULL || nc == 0 || np == 0 ||
	    b2b_ctx_new(&ctx, NULL) < 0) {
		free(buf);
		fputs("b2b bench validate: out of memory (or an empty book)\n", stderr);
		return -1;
	}
	for (o = 0; o < norders; o++) {
		uint32_t c = (uint32_t)(bench_mix(seed ^ (o * 2 + 1)) % nc);
		const char *cust = b2b_book_customer_id(book, c);
		size_t start = (size_t)(bench_mix(seed + o * 1000003u) % np), k = 0, n = 0;

		n += (size_t)snprintf(buf + n, cap - n,
		                      "{\"order_id\": \"B-%zu\", \"customer\": \"%s\", "
		                      "\"as_of\": \"%s\", \"lines\": [", o, cust, as_of);
		for (l = 0; l < nlines; l++) {
			char qty[32], price[B2B_DEC_FORMAT_MAX] = "1.00";
			const char *sku;
			uint32_t prod;

			/* distinct, active skus */
			do
				prod = (uint32_t)((start + k++) % np);
			while (b2b_book_product_active(book, prod) != 1 && k < np);
			sku = b2b_book_product_sku(book, prod);
			snprintf(qty, sizeof qty, "%lld", (long long)bench_order_qty(book, prod, o, l));
			bench_unit_price(price, sizeof price, ctx, book, cust, sku, qty, as_of);
			n += (size_t)snprintf(buf + n, cap - n, "%s\n  {\"sku\": \"%s\", \"qty\": "
			                      "\"%s\", \"unit_price\": \"%s\"}",
			                      l > 0 ? "," : "", sku, qty, price);
		}
		n += (size_t)snprintf(buf + n, cap - n, "]}\n");
		if (n >= cap || (s->texts[o] = malloc(n + 1)) == NULL) {
			fputs("b2b bench validate: an order does not fit its buffer\n", stderr);
			free(buf);
			b2b_ctx_free(ctx);
			return -1;
		}
		memcpy(s->texts[o], buf, n + 1);
		s->lens[o] = n;
		s->n++;
	}
	free(buf);
	b2b_ctx_free(ctx);
	return 0;
}

/* CPU time of the process: the figure that holds on a busy machine. */
static int64_t
cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void
jw_us_per(jout *w, const char *key, int64_t ns, size_t n)
{
	b2b_dec d;

	b2b_dec_from_units(&d, (int64_t)((uint64_t)ns / (n > 0 ? n : 1)), 3);
	jout_key(w, key);
	jout_dec(w, d, 3, B2B_ROUND_HALF_UP);
}

/* The options of `b2b bench validate`. */
typedef struct bv_opts {
	bench_opts o;            /* the synthetic book's (common options) */
	const char *book_dir;    /* --book DIR; NULL = a synthetic book */
	const char *as_of;
	size_t norders, ntemplates, nlines, show;
	int show_set;
} bv_opts;

/* What the three timed phases measured. */
typedef struct bv_figures {
	int64_t parse_ns, parse_cpu;        /* parse each distinct order once */
	int64_t validate_ns, validate_cpu;  /* validate N parsed orders */
	int64_t json_ns, json_cpu;          /* N orders from JSON text to the result document */
	size_t nvalid, nviol;               /* outcome of the distinct orders */
} bv_figures;

/*
 * validate's own options, then the common ones (the rest of argv).
 * Returns 0, or -1 after a message (none for a bad number: parse_size()
 * printed it; none when an option is out of range).
 */
static int
bv_parse(bv_opts *v, int argc, char **argv)
{
	const char *val;
	char **rest;
	int k, nrest = 1, bad = 0, rc = -1;

	v->book_dir = NULL;
	v->as_of = "2026-06-15";
	v->norders = 100000;
	v->ntemplates = 1000;
	v->nlines = 20;
	v->show = 0;
	v->show_set = 0;
	rest = calloc((size_t)argc + 1, sizeof *rest);
	if (rest == NULL)
		return -1;
	rest[0] = argv[0];
	rest[nrest++] = argv[1];
	for (k = 2; k < argc; k++) {
		if ((val = cli_opt(argc, argv, &k, "book", &bad)) != NULL) {
			v->book_dir = val;
		} else if ((val = cli_opt(argc, argv, &k, "orders", &bad)) != NULL) {
			if (parse_size("orders", val, &v->norders) < 0 || v->norders == 0)
				goto done;
		} else if ((val = cli_opt(argc, argv, &k, "templates", &bad)) != NULL) {
			if (parse_size("templates", val, &v->ntemplates) < 0 || v->ntemplates == 0)
				goto done;
		} else if ((val = cli_opt(argc, argv, &k, "lines", &bad)) != NULL) {
			if (parse_size("lines", val, &v->nlines) < 0 || v->nlines == 0 ||
			    v->nlines > 10000)
				goto done;
		} else if ((val = cli_opt(argc, argv, &k, "as-of", &bad)) != NULL) {
			v->as_of = val;
		} else if ((val = cli_opt(argc, argv, &k, "show", &bad)) != NULL) {
			if (parse_size("show", val, &v->show) < 0)
				goto done;
			v->show_set = 1;
		} else if (bad) {
			goto done;
		} else {
			rest[nrest++] = argv[k];
		}
	}
	if (bench_parse(&v->o, nrest, rest, 2) < 0)
		goto done;
	if (v->ntemplates > v->norders)
		v->ntemplates = v->norders;
	rc = 0;
done:
	if (rc < 0 && bad)
		fputs("b2b bench validate: bad option\n", stderr);
	free(rest);
	return rc;
}

/*
 * Load the benchmark's book: --book DIR, or a synthetic full-profile book
 * written to dir (a temporary directory unless --dir; *temp says so).
 * Returns 0, or -1 after a message.
 */
static int
bv_load_book(b2b_book **book, bv_opts *v, char *dir, size_t size, int *temp)
{
	*temp = 0;
	if (v->book_dir == NULL) {
		/* a synthetic book with every feature, small enough to write fast */
		if (v->o.products == SYNTH_PRODUCTS)
			v->o.products = 20000;
		if (v->o.customers == SYNTH_CUSTOMERS)
			v->o.customers = 1000;
		if (v->o.contract_items == SYNTH_CONTRACT_ITEMS)
			v->o.contract_items = 5000;
		if (strcmp(v->o.profile, "basic") == 0 && v->o.dir == NULL)
			v->o.profile = "full";
		if (bench_dir(v->o.dir, dir, size, temp) < 0)
			return -1;
		if (synth_write_book(dir, v->o.profile, v->o.seed, v->o.products, v->o.customers,
		                     v->o.contract_items) < 0)
			return -1;
		v->book_dir = dir;
	}
	return cli_load_book(book, v->book_dir) == CLI_OK ? 0 : -1;
}

/* --show I: distinct order I and its validation, to see what is checked. */
static int
bv_show(const bench_order_set *set, const b2b_book *book, size_t i)
{
	const b2b_validation *res;
	const char *doc;
	b2b_ctx *ctx = NULL;
	int rc = CLI_UNREADABLE;

	if (b2b_ctx_new(&ctx, NULL) < 0 || i >= set->n)
		goto done;
	fwrite(set->texts[i], 1, set->lens[i], stdout);
	if (b2b_order_validate_json(&res, ctx, book, set->texts[i], set->lens[i], NULL) < 0 ||
	    b2b_validation_to_json(&doc, NULL, ctx, res) < 0)
		goto done;
	fputs(doc, stdout);
	rc = CLI_OK;
done:
	b2b_ctx_free(ctx);
	return rc;
}

/* 1. Parse every distinct order once (kept in pctx). */
static int
bv_time_parse(bv_figures *f, const b2b_order **parsed, b2b_ctx *pctx,
              const bench_order_set *set)
{
	int64_t t0 = now_ns(), c0 = cpu_ns();
	size_t i;

	for (i = 0; i < set->n; i++)
		if (b2b_order_parse(&parsed[i], pctx, set->texts[i], set->lens[i]) < 0) {
			fprintf(stderr, "b2b bench validate: order %zu: %s\n", i, b2b_ctx_errmsg(pctx));
			return -1;
		}
	f->parse_ns = now_ns() - t0;
	f->parse_cpu = cpu_ns() - c0;
	return 0;
}

/* 2. Validate norders parsed orders, cycling the distinct ones: the hot
 * path (ctx reset between orders). Counts the outcome of each distinct
 * order once. */
static int
bv_time_validate(bv_figures *f, b2b_ctx *ctx, const b2b_book *book,
                 const b2b_order *const *parsed, size_t ntemplates, size_t norders)
{
	int64_t t0 = now_ns(), c0 = cpu_ns();
	size_t i;

	f->nvalid = 0;
	f->nviol = 0;
	for (i = 0; i < norders; i++) {
		const b2b_validation *res;

		if (b2b_order_validate(&res, ctx, book, parsed[i % ntemplates], NULL) < 0) {
			fprintf(stderr, "b2b bench validate: order %zu: %s\n", i % ntemplates,
			        b2b_ctx_errmsg(ctx));
			return -1;
		}
		if (i < ntemplates) {
			f->nvalid += (size_t)b2b_validation_valid(res);
			f->nviol += b2b_validation_count(res);
		}
		b2b_ctx_reset(ctx);
	}
	f->validate_ns = now_ns() - t0;
	f->validate_cpu = cpu_ns() - c0;
	return 0;
}

/* 3. From JSON text: parse + validate + write the result, norders times. */
static int
bv_time_json(bv_figures *f, b2b_ctx *ctx, const b2b_book *book, const bench_order_set *set,
             size_t norders)
{
	int64_t t0 = now_ns(), c0 = cpu_ns();
	size_t i;

	for (i = 0; i < norders; i++) {
		const b2b_validation *res;
		const char *doc;

		if (b2b_order_validate_json(&res, ctx, book, set->texts[i % set->n],
		                            set->lens[i % set->n], NULL) < 0 ||
		    b2b_validation_to_json(&doc, NULL, ctx, res) < 0) {
			fprintf(stderr, "b2b bench validate: %s\n", b2b_ctx_errmsg(ctx));
			return -1;
		}
		b2b_ctx_reset(ctx);
	}
	f->json_ns = now_ns() - t0;
	f->json_cpu = cpu_ns() - c0;
	return 0;
}

/* The report on stdout; returns the exit status. */
static int
bv_report(const bv_opts *v, const b2b_book *book, int temp, const bv_figures *f)
{
	jout w;

	jout_init(&w);
	jout_begin_object(&w);
	jout_key(&w, "bench");
	jout_str(&w, "validate");
	jout_key(&w, "book");
	jout_str(&w, temp ? "synthetic" : v->book_dir);
	jout_key(&w, "products");
	jout_int(&w, (int64_t)b2b_book_count(book, B2B_TABLE_PRODUCTS));
	jout_key(&w, "orders");
	jout_int(&w, (int64_t)v->norders);
	jout_key(&w, "lines_per_order");
	jout_int(&w, (int64_t)v->nlines);
	jout_key(&w, "distinct_orders");
	jout_int(&w, (int64_t)v->ntemplates);
	jout_key(&w, "distinct_valid");
	jout_int(&w, (int64_t)f->nvalid);
	jout_key(&w, "distinct_violations");
	jout_int(&w, (int64_t)f->nviol);
	jw_ms(&w, "parse_ms", f->parse_ns);
	jw_ms(&w, "validate_ms", f->validate_ns);
	jw_ms(&w, "json_ms", f->json_ns);
	/* µs per order (3 decimals): wall clock, and CPU time of the process */
	jw_us_per(&w, "us_per_order_validate", f->validate_ns, v->norders);
	jw_us_per(&w, "us_per_order_validate_cpu", f->validate_cpu, v->norders);
	jw_us_per(&w, "us_per_order_json", f->json_ns, v->norders);
	jw_us_per(&w, "us_per_order_json_cpu", f->json_cpu, v->norders);
	jw_us_per(&w, "us_per_order_parse", f->parse_ns, v->ntemplates);
	jw_us_per(&w, "us_per_order_parse_cpu", f->parse_cpu, v->ntemplates);
	jout_end_object(&w);
	return jout_print(&w);
}

static int
bench_validate(int argc, char **argv)
{
	bv_opts v;
	bv_figures f;
	bench_order_set set = { NULL, NULL, 0 };
	const b2b_order **parsed = NULL;
	b2b_book *book = NULL;
	b2b_ctx *pctx = NULL, *ctx = NULL;
	char dir[4096];
	int temp = 0, rc = CLI_UNREADABLE;

	if (bv_parse(&v, argc, argv) < 0)
		return CLI_UNREADABLE;
	if (bv_load_book(&book, &v, dir, sizeof dir, &temp) < 0)
		goto done;
	fprintf(stderr, "b2b bench validate: %zu orders of %zu lines (%zu distinct) on %s\n",
	        v.norders, v.nlines, v.ntemplates, v.book_dir);
	if (bench_make_orders(&set, book, v.ntemplates, v.nlines, v.o.seed, v.as_of) < 0)
		goto done;
	if (v.show_set) {
		rc = bv_show(&set, book, v.show);
		goto done;
	}
	parsed = calloc(v.ntemplates, sizeof *parsed);
	if (parsed == NULL || b2b_ctx_new(&pctx, NULL) < 0 || b2b_ctx_new(&ctx, NULL) < 0) {
		fputs("b2b bench validate: out of memory\n", stderr);
		goto done;
	}
	if (bv_time_parse(&f, parsed, pctx, &set) < 0 ||
	    bv_time_validate(&f, ctx, book, parsed, v.ntemplates, v.norders) < 0 ||
	    bv_time_json(&f, ctx, book, &set, v.norders) < 0)
		goto done;
	rc = bv_report(&v, book, temp, &f);
done:
	free(parsed);
	bench_orders_free(&set);
	b2b_ctx_free(pctx);
	b2b_ctx_free(ctx);
	b2b_book_unref(book);
	if (temp)
		remove_book(dir);
	return rc;
}

/*===========================================================================
 * MARK: - bench price: batch pricing, a raw hash-lookup floor, quotes
 *===========================================================================*/

/*
 * The workload: (customer, sku, qty) lines as text, in one pool. Generated
 * by synth_workload_line(), or read from DIR/lines.csv (header
 * `customer,sku,qty`, unquoted cells) when the book directory has one.
 */
typedef struct bp_lines {
	char *pool;
	size_t pool_len, pool_cap;
	uint32_t *cust, *sku, *qty;   /* offsets of NUL-terminated texts in pool */
	uint8_t *cust_len, *sku_len;
	size_t n, cap;
} bp_lines;

static void
bp_lines_free(bp_lines *l)
{
	free(l->pool);
	free(l->cust);
	free(l->sku);
	free(l->qty);
	free(l->cust_len);
	free(l->sku_len);
	memset(l, 0, sizeof *l);
}

static uint32_t
bp_put(bp_lines *l, const char *s, size_t n)
{
	uint32_t off;

	if (l->pool_len + n + 1 > l->pool_cap) {
		size_t cap = l->pool_cap ? l->pool_cap * 2 : (size_t)1 << 20;
		char *p;

		while (cap < l->pool_len + n + 1)
			cap *= 2;
		if (cap > UINT32_MAX || (p = realloc(l->pool, cap)) == NULL)
			return UINT32_MAX;
		l->pool = p;
		l->pool_cap = cap;
	}
	off = (uint32_t)l->pool_len;
	memcpy(l->pool + off, s, n);
	l->pool[off + n] = '\0';
	l->pool_len += n + 1;
	return off;
}

static int
bp_add(bp_lines *l, const char *c, size_t cl, const char *s, size_t sl, const char *q, size_t ql)
{
	if (cl > 255 || sl > 255)
		return -1;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 1024;
		uint32_t *a = realloc(l->cust, cap * sizeof *a), *b, *d;
		uint8_t *e, *f;

		if (a == NULL)
			return -1;
		l->cust = a;
		if ((b = realloc(l->sku, cap * sizeof *b)) == NULL)
			return -1;
		l->sku = b;
		if ((d = realloc(l->qty, cap * sizeof *d)) == NULL)
			return -1;
		l->qty = d;
		if ((e = realloc(l->cust_len, cap)) == NULL)
			return -1;
		l->cust_len = e;
		if ((f = realloc(l->sku_len, cap)) == NULL)
			return -1;
		l->sku_len = f;
		l->cap = cap;
	}
	l->cust[l->n] = bp_put(l, c, cl);
	l->sku[l->n] = bp_put(l, s, sl);
	l->qty[l->n] = bp_put(l, q, ql);
	if (l->cust[l->n] == UINT32_MAX || l->sku[l->n] == UINT32_MAX || l->qty[l->n] == UINT32_MAX)
		return -1;
	l->cust_len[l->n] = (uint8_t)cl;
	l->sku_len[l->n] = (uint8_t)sl;
	l->n++;
	return 0;
}

static int
bp_generate(bp_lines *l, const bench_opts *o, size_t n)
{
	synth_workload w;
	size_t i;

	if (synth_workload_init(&w, o->seed, o->products, o->customers, o->contract_items) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		char c[8], s[12], q[16];
		unsigned qty;

		synth_workload_line(&w, i, c, s, &qty);
		snprintf(q, sizeof q, "%u", qty);
		if (bp_add(l, c, strlen(c), s, strlen(s), q, strlen(q)) < 0) {
			fputs("b2b bench price: out of memory\n", stderr);
			return -1;
		}
	}
	return 0;
}

/* Read DIR/lines.csv; 1 when read, 0 when there is none, -1 on error. */
static int
bp_read(bp_lines *l, const char *dir)
{
	char path[4096 + 16], *text, *p, *end;
	size_t len, lineno = 1;

	snprintf(path, sizeof path, "%s/lines.csv", dir);
	if (access(path, R_OK) != 0)
		return 0;
	if ((text = cli_read_file(path, &len)) == NULL)
		return -1;
	p = text;
	end = text + len;
	if (len < 17 || strncmp(p, "customer,sku,qty\n", 17) != 0) {
		fprintf(stderr, "%s:1:1: expected the header customer,sku,qty\n", path);
		free(text);
		return -1;
	}
	for (p += 17; p < end; lineno++) {
		char *nl = memchr(p, '\n', (size_t)(end - p)), *c1, *c2;

		if (nl == NULL)
			nl = end;
		c1 = memchr(p, ',', (size_t)(nl - p));
		c2 = c1 ? memchr(c1 + 1, ',', (size_t)(nl - c1 - 1)) : NULL;
		if (c2 == NULL || bp_add(l, p, (size_t)(c1 - p), c1 + 1, (size_t)(c2 - c1 - 1), c2 + 1,
		                         (size_t)(nl - c2 - 1)) < 0) {
			fprintf(stderr, "%s:%zu:1: expected customer,sku,qty\n", path, lineno + 1);
			free(text);
			return -1;
		}
		p = nl + 1;
	}
	free(text);
	return 1;
}

/* Handles and quantities of the lines (unknown keys: handle UINT32_MAX),
 * the keys through b2b_book_find_customers() / _products(), 1024 at a time. */
static int
bp_resolve(const bp_lines *l, const b2b_book *book, uint32_t *cust, uint32_t *prod, b2b_dec *qty,
           int parse_qty)
{
	enum { CHUNK = 1024 };
	const char *ck[CHUNK], *sk[CHUNK];
	size_t cl[CHUNK], sl[CHUNK], i, j, m;

	for (i = 0; i < l->n; i += m) {
		m = l->n - i < CHUNK ? l->n - i : CHUNK;
		for (j = 0; j < m; j++) {
			ck[j] = l->pool + l->cust[i + j];
			cl[j] = l->cust_len[i + j];
			sk[j] = l->pool + l->sku[i + j];
			sl[j] = l->sku_len[i + j];
		}
		if (b2b_book_find_customers(cust + i, NULL, book, ck, cl, m) != 0 ||
		    b2b_book_find_products(prod + i, NULL, book, sk, sl, m) != 0)
			return -1;
	}
	for (i = 0; i < l->n; i++) {
		const char *q = l->pool + l->qty[i];

		if (parse_qty && b2b_dec_parse(&qty[i], NULL, q, strlen(q), 0) != 0) {
			fprintf(stderr, "b2b bench price: line %zu: bad quantity '%s'\n", i + 1, q);
			return -1;
		}
	}
	return 0;
}

/*
 * The checksum of a batch result: SHA-256 over one text line per input
 * line, in order: the unit price with exactly unit_price_decimals
 * fractional digits, or "!" and the b2b_batch_problem number when the line
 * was not priced; plus the exact sum of the unit prices.
 */
typedef struct bp_sum {
	char sha[65];
	b2b_dec sum;
	size_t problems;
} bp_sum;

static int
bp_checksum(bp_sum *out, const b2b_book *book, const b2b_dec *up, const int *pb, size_t n)
{
	cli_sha256 st;
	size_t i;
	int decimals = b2b_book_unit_price_decimals(book);

	cli_sha256_init(&st);
	b2b_dec_from_units(&out->sum, 0, 0);
	out->problems = 0;
	for (i = 0; i < n; i++) {
		char buf[B2B_DEC_FORMAT_MAX + 2];
		size_t len;

		if (pb[i] != B2B_BATCH_OK) {
			len = (size_t)snprintf(buf, sizeof buf, "!%d\n", pb[i]);
			out->problems++;
		} else {
			/* the batch already rounded the price to `decimals`:
			 * formatting at that scale rounds nothing */
			if (b2b_dec_format(buf, sizeof buf - 1, NULL, up[i], decimals,
			                   B2B_ROUND_HALF_UP) != 0 ||
			    b2b_dec_add(&out->sum, out->sum, up[i]) != 0)
				return -1;
			len = strlen(buf);
			buf[len++] = '\n';
		}
		cli_sha256_update(&st, buf, len);
	}
	cli_sha256_hex(&st, out->sha);
	return 0;
}

/* ---- the floor: (customer, sku) → price in a minimal open-addressing table ---- */

/* The floor's sum of the prices' coefficients (it only keeps the loop from
 * being optimised away): the 128-bit integer of GCC and Clang, which the
 * library needs too. */
__extension__ typedef unsigned __int128 bp_u128;

typedef struct bp_ent {
	uint64_t h;
	const char *c, *s;
	uint32_t cl, sl;
	b2b_dec price;
} bp_ent;

static uint64_t
bp_hash(const char *s, size_t n, uint64_t h)
{
	uint64_t v;

	while (n >= 8) {
		memcpy(&v, s, 8);
		h = (h ^ v) * UINT64_C(0x9e3779b97f4a7c15);
		h ^= h >> 32;
		s += 8;
		n -= 8;
	}
	v = (uint64_t)n << 56;
	if (n > 0) {
		uint64_t t = 0;

		memcpy(&t, s, n);
		v ^= t;
	}
	h = (h ^ v) * UINT64_C(0xbf58476d1ce4e5b9);
	return h ^ (h >> 31);
}

static uint64_t
bp_key(const char *c, size_t cl, const char *s, size_t sl)
{
	return bp_hash(s, sl, bp_hash(c, cl, UINT64_C(0x243f6a8885a308d3)));
}

/* The slot of the key, or of the empty slot where it goes. */
static size_t
bp_slot(const bp_ent *t, size_t mask, uint64_t h, const char *c, size_t cl, const char *s,
        size_t sl)
{
	size_t i = (size_t)h & mask;

	while (t[i].c != NULL && !(t[i].h == h && t[i].cl == cl && t[i].sl == sl &&
	                           memcmp(t[i].c, c, cl) == 0 && memcmp(t[i].s, s, sl) == 0))
		i = (i + 1) & mask;
	return i;
}

/* ---- quotes through the public API ---- */

/* Build a quote request of lines [first, first + n) for customer `cust`, compute it. */
static int
bp_quote(const bp_lines *l, b2b_ctx *ctx, const b2b_book *book, const char *cust, size_t first,
         size_t n, const char *as_of, int64_t *compute_ns, int64_t *compute_cpu, size_t *errors)
{
	b2b_quote_request *req;
	const b2b_quote *q;
	int64_t t0, c0;
	size_t i;
	int rc;

	if (b2b_quote_request_new(&req, ctx) < 0 || b2b_quote_request_set_quote_id(req, "B") < 0 ||
	    b2b_quote_request_set_customer(req, cust) < 0 ||
	    b2b_quote_request_set_as_of(req, as_of) < 0)
		return -1;
	for (i = first; i < first + n; i++)
		if (b2b_quote_request_add_line(req, l->pool + l->sku[i % l->n],
		                               l->pool + l->qty[i % l->n], NULL) < 0)
			return -1;
	c0 = cpu_ns();
	t0 = now_ns();
	rc = b2b_quote_compute(&q, ctx, book, req, NULL);
	*compute_ns = now_ns() - t0;
	*compute_cpu = cpu_ns() - c0;
	if (rc != 0) {
		fprintf(stderr, "b2b bench price: quote: %s\n", b2b_ctx_errmsg(ctx));
		return -1;
	}
	*errors = b2b_quote_error_count(q);
	return 0;
}

/* p50 and p99 of a series of quotes of the same size. */
typedef struct bp_quote_figures {
	size_t lines;
	int runs;
	int64_t cpu_p50, cpu_p99, wall_p50, wall_p99;
	size_t errors;           /* error entries over the runs */
} bp_quote_figures;

/*
 * `runs` quotes of n lines after runs/10 + 1 warm-up quotes: p50 and p99
 * of CPU time of the process (the figure that holds on a shared machine)
 * and of wall time. Returns 0, or -1 (after a message when a quote fails).
 */
static int
bp_time_quotes(bp_quote_figures *out, const bp_lines *l, const b2b_book *book,
               const char *as_of, size_t n, int runs)
{
	int64_t *ns = calloc((size_t)runs, sizeof *ns), *cpu = calloc((size_t)runs, sizeof *cpu);
	int64_t t, c;
	b2b_ctx *ctx = NULL;
	const char *cust = l->pool + l->cust[0];
	size_t e;
	int r, rc = -1;

	out->lines = n;
	out->runs = runs;
	out->errors = 0;
	if (ns == NULL || cpu == NULL || b2b_ctx_new(&ctx, NULL) < 0)
		goto done;
	for (r = -runs / 10 - 1; r < runs; r++) {   /* warm-up runs first */
		b2b_ctx_reset(ctx);
		if (bp_quote(l, ctx, book, cust, (size_t)(r < 0 ? 0 : r) * 7, n, as_of, &t, &c,
		             &e) < 0)
			goto done;
		if (r >= 0) {
			ns[r] = t;
			cpu[r] = c;
			out->errors += e;
		}
	}
	qsort(ns, (size_t)runs, sizeof *ns, cmp_i64);
	qsort(cpu, (size_t)runs, sizeof *cpu, cmp_i64);
	out->cpu_p50 = cpu[runs / 2];
	out->cpu_p99 = cpu[(size_t)runs * 99 / 100];
	out->wall_p50 = ns[runs / 2];
	out->wall_p99 = ns[(size_t)runs * 99 / 100];
	rc = 0;
done:
	free(ns);
	free(cpu);
	b2b_ctx_free(ctx);
	return rc;
}

/* NAME_lines, NAME_runs, NAME_us_p50/p99 (CPU), NAME_wall_us_p50/p99,
 * NAME_errors; µs with 3 decimals. */
static void
bp_report_quotes(jout *w, const char *name, const bp_quote_figures *q)
{
	char key[64];

	snprintf(key, sizeof key, "%s_lines", name);
	jout_key(w, key);
	jout_int(w, (int64_t)q->lines);
	snprintf(key, sizeof key, "%s_runs", name);
	jout_key(w, key);
	jout_int(w, q->runs);
	snprintf(key, sizeof key, "%s_us_p50", name);
	jw_us_per(w, key, q->cpu_p50, 1);
	snprintf(key, sizeof key, "%s_us_p99", name);
	jw_us_per(w, key, q->cpu_p99, 1);
	snprintf(key, sizeof key, "%s_wall_us_p50", name);
	jw_us_per(w, key, q->wall_p50, 1);
	snprintf(key, sizeof key, "%s_wall_us_p99", name);
	jw_us_per(w, key, q->wall_p99, 1);
	snprintf(key, sizeof key, "%s_errors", name);
	jout_key(w, key);
	jout_int(w, (int64_t)q->errors);
}

/* The expected_checksum.txt of a workload. */
static int
bp_write_expected(const char *dir, const bp_sum *sum, size_t n, const char *as_of)
{
	char path[4096 + 32], s[B2B_DEC_FORMAT_MAX];
	FILE *f;

	snprintf(path, sizeof path, "%s/expected_checksum.txt", dir);
	if ((f = fopen(path, "wb")) == NULL) {
		fprintf(stderr, "b2b: %s: %s\n", path, strerror(errno));
		return -1;
	}
	b2b_dec_format(s, sizeof s, NULL, sum->sum, B2B_DEC_SCALE_EXACT, B2B_ROUND_HALF_UP);
	fprintf(f, "# b2b bench price: lines.csv priced as one batch at as_of, each customer's\n"
	           "# currency and channel, no codes. sha256 is over one text line per input line:\n"
	           "# the unit price with exactly unit_price_decimals fractional digits and \"\\n\",\n"
	           "# or \"!\" + the b2b_batch_problem number + \"\\n\" for a line not priced.\n"
	           "lines %zu\nas_of %s\nsha256 %s\nsum_unit_prices %s\nproblems %zu\n",
	           n, as_of, sum->sha, s, sum->problems);
	if (fclose(f) != 0) {
		fprintf(stderr, "b2b: %s: write error\n", path);
		return -1;
	}
	return 0;
}

/* The sha256 of DIR/expected_checksum.txt into out (""/0 when none). */
static void
bp_read_expected(const char *dir, char out[65])
{
	char path[4096 + 32], line[256];
	FILE *f;

	out[0] = '\0';
	snprintf(path, sizeof path, "%s/expected_checksum.txt", dir);
	if ((f = fopen(path, "rb")) == NULL)
		return;
	while (fgets(line, sizeof line, f) != NULL)
		if (strncmp(line, "sha256 ", 7) == 0 && strlen(line) >= 7 + 64) {
			memcpy(out, line + 7, 64);
			out[64] = '\0';
		}
	fclose(f);
}

/* The arrays of a batch: handles and quantities in, prices and problems out. */
typedef struct bp_arrays {
	uint32_t *cu, *pr;
	b2b_dec *q, *up;
	int *pb;
} bp_arrays;

static void
bp_arrays_free(bp_arrays *a)
{
	free(a->cu);
	free(a->pr);
	free(a->q);
	free(a->up);
	free(a->pb);
	memset(a, 0, sizeof *a);
}

/* n lines' worth of each array; -1 (nothing allocated) when out of memory. */
static int
bp_arrays_alloc(bp_arrays *a, size_t n)
{
	a->cu = malloc(n * sizeof *a->cu);
	a->pr = malloc(n * sizeof *a->pr);
	a->q = malloc(n * sizeof *a->q);
	a->up = malloc(n * sizeof *a->up);
	a->pb = malloc(n * sizeof *a->pb);
	if (a->cu == NULL || a->pr == NULL || a->q == NULL || a->up == NULL || a->pb == NULL) {
		bp_arrays_free(a);
		return -1;
	}
	return 0;
}

/* The n lines of `a` priced as one batch at `as_of` (b2b_price_batch()). */
static int
bp_batch(bp_arrays *a, const b2b_book *book, size_t n, b2b_time as_of)
{
	return b2b_price_batch(a->up, a->pb, NULL, book, a->cu, a->pr, a->q, n, NULL, as_of);
}

/*
 * `b2b bench --write DIR`: after the book, the workload of `b2b bench
 * price` (SYNTH_LINES lines) as DIR/lines.csv and its expected checksum,
 * so that another engine can run the same workload and compare.
 */
static int
bench_price_write(const bench_opts *o)
{
	const char *as_of = "2026-06-15";
	bp_lines l;
	bp_arrays a;
	b2b_book *book = NULL;
	int rc = CLI_UNREADABLE;
	char path[4096 + 16];
	b2b_time t;
	bp_sum sum;
	FILE *f = NULL;
	size_t i;

	memset(&l, 0, sizeof l);
	memset(&a, 0, sizeof a);
	if (bp_generate(&l, o, SYNTH_LINES) < 0)
		goto done;
	snprintf(path, sizeof path, "%s/lines.csv", o->write_dir);
	if ((f = fopen(path, "wb")) == NULL) {
		fprintf(stderr, "b2b: %s: %s\n", path, strerror(errno));
		goto done;
	}
	fputs("customer,sku,qty\n", f);
	for (i = 0; i < l.n; i++)
		fprintf(f, "%s,%s,%s\n", l.pool + l.cust[i], l.pool + l.sku[i], l.pool + l.qty[i]);
	if (fclose(f) != 0) {
		f = NULL;
		fprintf(stderr, "b2b: %s: write error\n", path);
		goto done;
	}
	f = NULL;
	if (cli_load_book(&book, o->write_dir) != CLI_OK)
		goto done;
	if (bp_arrays_alloc(&a, l.n) < 0 || bp_resolve(&l, book, a.cu, a.pr, a.q, 1) < 0 ||
	    b2b_time_parse(&t, NULL, as_of, strlen(as_of)) != 0 ||
	    bp_batch(&a, book, l.n, t) != 0 ||
	    bp_checksum(&sum, book, a.up, a.pb, l.n) < 0 ||
	    bp_write_expected(o->write_dir, &sum, l.n, as_of) < 0)
		goto done;
	fprintf(stderr, "b2b bench: wrote %s/lines.csv (%zu lines) and expected_checksum.txt\n",
	        o->write_dir, l.n);
	rc = CLI_OK;
done:
	if (f != NULL)
		fclose(f);
	b2b_book_unref(book);
	bp_lines_free(&l);
	bp_arrays_free(&a);
	return rc;
}

/* The options of `b2b bench price`. */
typedef struct bp_opts {
	bench_opts o;            /* the synthetic book's (common options) */
	const char *as_of;
	b2b_time t;              /* as_of, parsed */
	size_t nlines;
	int quote_runs;
} bp_opts;

/*
 * price's own options, then the common ones (the rest of argv). Returns
 * 0, or -1 after a message (none when a number is out of range).
 */
static int
bp_parse(bp_opts *p, int argc, char **argv)
{
	const char *v;
	char **rest;
	size_t n;
	int k, nrest = 1, bad = 0, rc = -1;

	p->as_of = "2026-06-15";
	p->nlines = 1000000;
	p->quote_runs = 2000;
	rest = calloc((size_t)argc + 1, sizeof *rest);
	if (rest == NULL)
		return -1;
	rest[0] = argv[0];
	rest[nrest++] = argv[1];
	for (k = 2; k < argc; k++) {
		if ((v = cli_opt(argc, argv, &k, "lines", &bad)) != NULL) {
			if (parse_size("lines", v, &p->nlines) < 0 || p->nlines == 0 ||
			    p->nlines > 100000000)
				goto done;
		} else if ((v = cli_opt(argc, argv, &k, "quote-runs", &bad)) != NULL) {
			if (parse_size("quote-runs", v, &n) < 0 || n < 1 || n > 1000000)
				goto done;
			p->quote_runs = (int)n;
		} else if ((v = cli_opt(argc, argv, &k, "as-of", &bad)) != NULL) {
			p->as_of = v;
		} else if (bad) {
			goto done;
		} else {
			rest[nrest++] = argv[k];
		}
	}
	if (bench_parse(&p->o, nrest, rest, 2) < 0)
		goto done;
	if (b2b_time_parse(&p->t, NULL, p->as_of, strlen(p->as_of)) != 0) {
		fprintf(stderr, "b2b bench price: --as-of: not a date: '%s'\n", p->as_of);
		goto done;
	}
	rc = 0;
done:
	if (rc < 0 && bad)
		fputs("b2b bench price: bad option\n", stderr);
	free(rest);
	return rc;
}

/* The workload of a run: the book and the lines to price. */
typedef struct bp_workload {
	char dir[4096];
	int temp;                /* dir is a temporary directory */
	int reuse;               /* the book of --dir DIR was there already */
	int from_file;           /* the lines come from DIR/lines.csv */
	char expected[65];       /* sha256 of DIR/expected_checksum.txt, or "" */
	b2b_book *book;
	int64_t load_ns;
	bp_lines l;
} bp_workload;

static void
bp_workload_free(bp_workload *wl)
{
	b2b_book_unref(wl->book);
	bp_lines_free(&wl->l);
	if (wl->temp)
		remove_book(wl->dir);
	wl->book = NULL;
	wl->temp = 0;
}

/*
 * The book (written, or reused from --dir) loaded and timed, and the
 * lines: DIR/lines.csv when a reused directory has one, else generated.
 * Returns 0, or -1 after a message; bp_workload_free() in both cases.
 */
static int
bp_workload_load(bp_workload *wl, const bp_opts *p)
{
	char path[4096 + 16];
	int64_t t0;

	memset(wl, 0, sizeof *wl);
	if (bench_dir(p->o.dir, wl->dir, sizeof wl->dir, &wl->temp) < 0)
		return -1;
	snprintf(path, sizeof path, "%s/products.csv", wl->dir);
	wl->reuse = !wl->temp && access(path, R_OK) == 0;
	if (!wl->reuse) {
		fprintf(stderr, "b2b bench price: writing a %s book of %zu products to %s\n",
		        p->o.profile, p->o.products, wl->dir);
		if (synth_write_book(wl->dir, p->o.profile, p->o.seed, p->o.products, p->o.customers,
		                     p->o.contract_items) < 0)
			return -1;
	} else {
		fprintf(stderr, "b2b bench price: reusing the book in %s\n", wl->dir);
	}
	t0 = now_ns();
	if (cli_load_book(&wl->book, wl->dir) != CLI_OK)
		return -1;
	wl->load_ns = now_ns() - t0;
	if (wl->reuse && (wl->from_file = bp_read(&wl->l, wl->dir)) < 0)
		return -1;
	if (!wl->from_file && bp_generate(&wl->l, &p->o, p->nlines) < 0)
		return -1;
	if (wl->l.n == 0) {
		fputs("b2b bench price: no lines\n", stderr);
		return -1;
	}
	if (wl->from_file)
		bp_read_expected(wl->dir, wl->expected);
	fprintf(stderr, "b2b bench price: %zu lines%s\n", wl->l.n,
	        wl->from_file ? " from lines.csv" : "");
	return 0;
}

/* Wall and CPU time of each of n runs (sorted once the runs are done). */
typedef struct bp_runs {
	int64_t *wall, *cpu;
	int n;
} bp_runs;

static int
bp_runs_alloc(bp_runs *r, int n)
{
	r->wall = calloc((size_t)n, sizeof *r->wall);
	r->cpu = calloc((size_t)n, sizeof *r->cpu);
	r->n = n;
	return r->wall != NULL && r->cpu != NULL ? 0 : -1;
}

static void
bp_runs_sort(bp_runs *r)
{
	qsort(r->wall, (size_t)r->n, sizeof *r->wall, cmp_i64);
	qsort(r->cpu, (size_t)r->n, sizeof *r->cpu, cmp_i64);
}

static void
bp_runs_free(bp_runs *r)
{
	free(r->wall);
	free(r->cpu);
	memset(r, 0, sizeof *r);
}

/* Everything `b2b bench price` measures. */
typedef struct bp_figures {
	int64_t resolve_ns, resolve_cpu;  /* keys → handles, once */
	bp_runs batch;                    /* b2b_price_batch, R runs */
	bp_runs floor;                    /* the hash-table floor, R runs */
	bp_u128 floor_sum;                /* keeps the floor's loop from being dropped */
	bp_sum sum;                       /* checksum of the batch's prices */
	bp_quote_figures q20, q5000;      /* single quotes with their waterfall */
} bp_figures;

/* 1. Keys → handles, timed (the quantities are parsed outside the timing). */
static int
bp_time_resolve(bp_figures *f, const bp_lines *l, const b2b_book *book, bp_arrays *a)
{
	int64_t t0, c0;

	if (bp_resolve(l, book, a->cu, a->pr, a->q, 1) < 0)
		return -1;
	c0 = cpu_ns();
	t0 = now_ns();
	if (bp_resolve(l, book, a->cu, a->pr, a->q, 0) < 0)
		return -1;
	f->resolve_ns = now_ns() - t0;
	f->resolve_cpu = cpu_ns() - c0;
	return 0;
}

/* 2. Batch pricing, no trace, one run per slot of r. */
static int
bp_time_batch(bp_runs *r, bp_arrays *a, const b2b_book *book, size_t n, b2b_time as_of)
{
	int64_t t0, c0;
	int i;

	for (i = 0; i < r->n; i++) {
		c0 = cpu_ns();
		t0 = now_ns();
		if (bp_batch(a, book, n, as_of) != 0) {
			fputs("b2b bench price: b2b_price_batch failed\n", stderr);
			return -1;
		}
		r->wall[i] = now_ns() - t0;
		r->cpu[i] = cpu_ns() - c0;
		fprintf(stderr, "b2b bench price: batch run %d: %lld ms (cpu %lld ms)\n", i + 1,
		        (long long)(r->wall[i] / 1000000), (long long)(r->cpu[i] / 1000000));
	}
	bp_runs_sort(r);
	return 0;
}

/*
 * 3. The floor: the same string keys through a minimal (customer, sku) →
 * price table holding the batch's prices, one run per slot of r.
 */
static int
bp_time_floor(bp_runs *r, bp_u128 *sum, const bp_lines *l, const b2b_dec *up)
{
	size_t i, mask, tsize, found = 0;
	bp_ent *table;
	int64_t t0, c0;
	int k;

	for (tsize = 16; tsize < l->n * 2; tsize *= 2)
		;
	mask = tsize - 1;
	if ((table = calloc(tsize, sizeof *table)) == NULL) {
		fputs("b2b bench price: out of memory\n", stderr);
		return -1;
	}
	for (i = 0; i < l->n; i++) {
		const char *c = l->pool + l->cust[i], *s = l->pool + l->sku[i];
		uint64_t h = bp_key(c, l->cust_len[i], s, l->sku_len[i]);
		size_t j = bp_slot(table, mask, h, c, l->cust_len[i], s, l->sku_len[i]);

		table[j].h = h;
		table[j].c = c;
		table[j].s = s;
		table[j].cl = l->cust_len[i];
		table[j].sl = l->sku_len[i];
		table[j].price = up[i];
	}
	*sum = 0;
	for (k = 0; k < r->n; k++) {
		c0 = cpu_ns();
		t0 = now_ns();
		for (i = 0; i < l->n; i++) {
			const char *c = l->pool + l->cust[i], *s = l->pool + l->sku[i];
			uint64_t h = bp_key(c, l->cust_len[i], s, l->sku_len[i]);
			size_t j = bp_slot(table, mask, h, c, l->cust_len[i], s, l->sku_len[i]);

			if (table[j].c != NULL) {
				*sum += ((bp_u128)(uint64_t)table[j].price.hi << 64) | table[j].price.lo;
				found++;
			}
		}
		r->wall[k] = now_ns() - t0;
		r->cpu[k] = cpu_ns() - c0;
	}
	free(table);
	if (found != l->n * (size_t)r->n) {
		fputs("b2b bench price: the floor table lost keys\n", stderr);
		return -1;
	}
	bp_runs_sort(r);
	return 0;
}

/* The book and the workload of the report. */
static void
bp_report_workload(jout *w, const bp_opts *p, const bp_workload *wl)
{
	const b2b_book *book = wl->book;

	jout_key(w, "bench");
	jout_str(w, "price");
	jout_key(w, "book");
	jout_str(w, wl->temp ? "synthetic" : wl->dir);
	jout_key(w, "profile");
	jout_str(w, wl->reuse ? NULL : p->o.profile);
	jout_key(w, "seed");
	jout_int(w, (int64_t)p->o.seed);
	jout_key(w, "products");
	jout_int(w, (int64_t)b2b_book_count(book, B2B_TABLE_PRODUCTS));
	jout_key(w, "customers");
	jout_int(w, (int64_t)b2b_book_count(book, B2B_TABLE_CUSTOMERS));
	jout_key(w, "contract_items");
	jout_int(w, (int64_t)b2b_book_count(book, B2B_TABLE_CONTRACT_ITEMS));
	jout_key(w, "price_list_items");
	jout_int(w, (int64_t)b2b_book_count(book, B2B_TABLE_PRICE_LIST_ITEMS));
	jout_key(w, "lines");
	jout_int(w, (int64_t)wl->l.n);
	jout_key(w, "lines_from");
	jout_str(w, wl->from_file ? "lines.csv" : "generated");
	jout_key(w, "as_of");
	jout_str(w, p->as_of);
	jw_ms(w, "load_ms", wl->load_ns);
}

/* Batch, resolve and floor times per line, their ratios, the checksum. */
static void
bp_report_batch(jout *w, const bp_workload *wl, const bp_figures *f)
{
	size_t n = wl->l.n;
	int runs = f->batch.n;

	jout_key(w, "runs");
	jout_int(w, runs);
	/* ns per line, 1 decimal: CPU time of the process (min over the runs,
	 * median alongside), and wall time (min) */
	jw_ratio(w, "batch_ns_per_line", (uint64_t)f->batch.cpu[0], n);
	jw_ratio(w, "batch_ns_per_line_median", (uint64_t)f->batch.cpu[runs / 2], n);
	jw_ratio(w, "batch_wall_ns_per_line", (uint64_t)f->batch.wall[0], n);
	jw_ratio(w, "resolve_ns_per_line", (uint64_t)f->resolve_cpu, n);
	jw_ratio(w, "resolve_wall_ns_per_line", (uint64_t)f->resolve_ns, n);
	jw_ratio(w, "floor_ns_per_line", (uint64_t)f->floor.cpu[0], n);
	jw_ratio(w, "floor_ns_per_line_median", (uint64_t)f->floor.cpu[runs / 2], n);
	jw_ratio(w, "floor_wall_ns_per_line", (uint64_t)f->floor.wall[0], n);
	/* R = pricing ÷ floor (CPU): the batch alone (handles resolved), and
	 * from the same string keys as the floor (resolve + batch) */
	jw_ratio(w, "ratio_batch_to_floor", (uint64_t)f->batch.cpu[0], (uint64_t)f->floor.cpu[0]);
	jw_ratio(w, "ratio_resolve_and_batch_to_floor",
	         (uint64_t)(f->batch.cpu[0] + f->resolve_cpu), (uint64_t)f->floor.cpu[0]);
	jout_key(w, "problems");
	jout_int(w, (int64_t)f->sum.problems);
	jout_key(w, "checksum_sha256");
	jout_str(w, f->sum.sha);
	jout_key(w, "sum_unit_prices");
	jout_dec(w, f->sum.sum, b2b_book_unit_price_decimals(wl->book), B2B_ROUND_HALF_UP);
	jout_key(w, "checksum_matches_expected");
	if (wl->expected[0] == '\0')
		jout_null(w);
	else
		jout_bool(w, strcmp(wl->expected, f->sum.sha) == 0);
}

/* The report on stdout; returns the exit status. */
static int
bp_report(const bp_opts *p, const bp_workload *wl, const bp_figures *f)
{
	jout w;

	jout_init(&w);
	jout_begin_object(&w);
	bp_report_workload(&w, p, wl);
	bp_report_batch(&w, wl, f);
	bp_report_quotes(&w, "quote20", &f->q20);
	bp_report_quotes(&w, "quote5000", &f->q5000);
	jout_key(&w, "fingerprint");
	jout_str(&w, b2b_book_fingerprint(wl->book));
	jout_end_object(&w);
	return jout_print(&w);
}

static int
bench_price(int argc, char **argv)
{
	bp_opts p;
	bp_workload wl;
	bp_arrays a;
	bp_figures f;
	int rc = CLI_UNREADABLE;

	if (bp_parse(&p, argc, argv) < 0)
		return CLI_UNREADABLE;
	memset(&a, 0, sizeof a);
	memset(&f, 0, sizeof f);
	if (bp_workload_load(&wl, &p) < 0)
		goto done;
	if (bp_arrays_alloc(&a, wl.l.n) < 0 || bp_runs_alloc(&f.batch, p.o.runs) < 0 ||
	    bp_runs_alloc(&f.floor, p.o.runs) < 0) {
		fputs("b2b bench price: out of memory\n", stderr);
		goto done;
	}
	if (bp_time_resolve(&f, &wl.l, wl.book, &a) < 0 ||
	    bp_time_batch(&f.batch, &a, wl.book, wl.l.n, p.t) < 0 ||
	    bp_checksum(&f.sum, wl.book, a.up, a.pb, wl.l.n) < 0 ||
	    bp_time_floor(&f.floor, &f.floor_sum, &wl.l, a.up) < 0)
		goto done;
	/* 4. single quotes with their full waterfall, through the public API */
	if (bp_time_quotes(&f.q20, &wl.l, wl.book, p.as_of, 20, p.quote_runs) < 0 ||
	    bp_time_quotes(&f.q5000, &wl.l, wl.book, p.as_of, 5000,
	                   p.quote_runs / 10 > 20 ? p.quote_runs / 10 : 20) < 0)
		goto done;
	rc = bp_report(&p, &wl, &f);
	if (f.floor_sum == 0 && f.sum.problems < wl.l.n)
		fputs("b2b bench price: (floor sum 0)\n", stderr);
done:
	bp_arrays_free(&a);
	bp_runs_free(&f.batch);
	bp_runs_free(&f.floor);
	bp_workload_free(&wl);
	return rc;
}

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

static int
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

/*===========================================================================
 * MARK: - dispatch
 *===========================================================================*/

typedef struct bench_cmd {
	const char *name;
	cli_cmd_fn fn;            /* gets the whole argv: argv[1] is the name */
	const char *usage;
} bench_cmd;

static const bench_cmd bench_cmds[] = {
	{ "book", bench_book,
	  "book [--products N] [--customers N] [--contract-items N]\n"
	  "              [--profile basic|full] [--seed S] [--runs R] [--dir DIR]\n"
	  "        write a synthetic book (to a temporary directory unless --dir),\n"
	  "        load it R times (default 5): min and median load time (wall and\n"
	  "        CPU), products/s, bytes per product and per item, peak RSS of a\n"
	  "        load and its ratio to the book's memory, fingerprint" },
	{ "validate", bench_validate,
	  "validate [--book DIR] [--orders N] [--lines L] [--templates T] [--as-of T]\n"
	  "              [--show I] [synthetic book options]\n"
	  "        validate N orders (default 100000) of L lines (default 20), cycling\n"
	  "        T distinct orders (default 1000) priced at the engine's prices, on\n"
	  "        DIR or a synthetic full-profile book: µs per order for a parsed\n"
	  "        order, and from JSON text to the result document (wall and CPU);\n"
	  "        --show I prints distinct order I and its validation instead" },
	{ "price", bench_price,
	  "price [--lines N] [--quote-runs Q] [--as-of T] [--runs R] [--dir DIR]\n"
	  "              [synthetic book options]\n"
	  "        price N (customer, sku, qty) lines (default 1000000) with\n"
	  "        b2b_price_batch (R runs, default 5), the same keys through a raw\n"
	  "        (customer, sku) → price hash table (the floor), their ratio, a\n"
	  "        checksum of the prices, and p50/p99 of Q quotes of 20 lines\n"
	  "        (default 2000) and Q/10 of 5000 lines; --dir DIR reuses the book\n"
	  "        there (and DIR/lines.csv, DIR/expected_checksum.txt when present)" },
	{ "csv", bench_csv,
	  "csv [--rows N] [--runs R] [--dir DIR]\n"
	  "        write three products.csv-like files of N rows (default 1000000):\n"
	  "        plain names, quoted names (a comma, doubled quotes), UTF-8 names;\n"
	  "        read each back R times (default 5) with b2b_csv_next: records,\n"
	  "        fields, bytes, and ms, MB/s and records/s of the best run (CPU\n"
	  "        time of the process); in a temporary directory unless --dir" },
	/* more benchmarks: { "name", bench_name, "name …" }, */
};

static void
bench_usage(FILE *f)
{
	size_t i;

	fputs("usage: b2b bench <benchmark> [options]\n"
	      "       b2b bench --write DIR [--profile basic|full] [--products N]\n"
	      "                 [--customers N] [--contract-items N] [--seed S]\n"
	      "benchmarks:\n", f);
	for (i = 0; i < sizeof bench_cmds / sizeof *bench_cmds; i++)
		fprintf(f, "  %s\n", bench_cmds[i].usage);
	fprintf(f, "defaults: --products %d --customers %d --contract-items %d --profile basic"
	           " --seed 42\n", SYNTH_PRODUCTS, SYNTH_CUSTOMERS, SYNTH_CONTRACT_ITEMS);
}

int
cmd_bench(int argc, char **argv)
{
	bench_opts o;
	size_t i;

	if (argc < 2) {
		bench_usage(stderr);
		return CLI_UNREADABLE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		bench_usage(stdout);
		return CLI_OK;
	}
	if (strncmp(argv[1], "--", 2) == 0) {
		/* b2b bench --write DIR … */
		if (bench_parse(&o, argc, argv, 1) < 0 || o.write_dir == NULL) {
			if (o.write_dir == NULL)
				fputs("b2b bench: options without a benchmark need --write DIR\n",
				      stderr);
			bench_usage(stderr);
			return CLI_UNREADABLE;
		}
		if (synth_write_book(o.write_dir, o.profile, o.seed, o.products, o.customers,
		                     o.contract_items) < 0)
			return CLI_UNREADABLE;
		/* the pricing workload next to the book (lines.csv, expected_checksum.txt) */
		return bench_price_write(&o);
	}
	for (i = 0; i < sizeof bench_cmds / sizeof *bench_cmds; i++)
		if (strcmp(argv[1], bench_cmds[i].name) == 0)
			return bench_cmds[i].fn(argc, argv);
	fprintf(stderr, "b2b bench: unknown benchmark '%s'\n", argv[1]);
	bench_usage(stderr);
	return CLI_UNREADABLE;
}
