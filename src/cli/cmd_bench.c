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
 *
 * Times come from clock_gettime(CLOCK_MONOTONIC) and are reported in
 * integer arithmetic (the CLI, like the library, uses no floating point).
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
#include "book_int.h"
#include "dec_int.h"
#include "sha256.h"
#include "cli.h"
#include "json_write.h"
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
jw_ms(b2b__jw *w, const char *key, int64_t ns)
{
	b2b_dec d;

	b2b_dec_from_units(&d, ns / 1000, 3);
	b2b__jw_key(w, key);
	b2b__jw_dec(w, d, 3, B2B_ROUND_HALF_UP);
}

/* num ÷ den with 1 decimal, as a JSON string. */
static void
jw_ratio(b2b__jw *w, const char *key, uint64_t num, uint64_t den)
{
	b2b_dec d;

	b2b_dec_from_units(&d, den == 0 ? 0 : (int64_t)((num * 10 + den / 2) / den), 1);
	b2b__jw_key(w, key);
	b2b__jw_dec(w, d, 1, B2B_ROUND_HALF_UP);
}

static int
jw_print(b2b__jw *w)
{
	b2b_ctx *ctx = NULL;
	const char *doc = NULL;
	size_t len = 0;
	int rc;

	if (b2b_ctx_new(&ctx, NULL) < 0) {
		b2b__jw_dispose(w);
		fputs("b2b: out of memory\n", stderr);
		return CLI_UNREADABLE;
	}
	rc = b2b__jw_finish(w, ctx, &doc, &len);
	if (rc == 0)
		fwrite(doc, 1, len, stdout);
	else
		fprintf(stderr, "b2b: %s\n", b2b_ctx_errmsg(ctx));
	b2b_ctx_free(ctx);
	return rc == 0 ? CLI_OK : CLI_UNREADABLE;
}

/* The book directory of a benchmark: --dir, or a fresh temporary one. */
static int
bench_dir(const bench_opts *o, char *buf, size_t size, int *temp)
{
	const char *tmp = getenv("TMPDIR");

	*temp = 0;
	if (o->dir != NULL) {
		snprintf(buf, size, "%s", o->dir);
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

static int
bench_book(int argc, char **argv)
{
	bench_opts o;
	char dir[4096];
	int64_t t0, write_ns, *ns;
	b2b_book *book = NULL;
	b2b__jw w;
	int temp, r, rc = CLI_OK;
	size_t np;

	if (bench_parse(&o, argc, argv, 2) < 0)
		return CLI_UNREADABLE;
	if (bench_dir(&o, dir, sizeof dir, &temp) < 0)
		return CLI_UNREADABLE;
	fprintf(stderr, "b2b bench book: writing a %s book of %zu products to %s\n", o.profile,
	        o.products, dir);
	t0 = now_ns();
	if (synth_write_book(dir, o.profile, o.seed, o.products, o.customers,
	                     o.contract_items) < 0) {
		if (temp)
			remove_book(dir);
		return CLI_UNREADABLE;
	}
	write_ns = now_ns() - t0;
	ns = calloc((size_t)o.runs, sizeof *ns);
	if (ns == NULL) {
		fputs("b2b: out of memory\n", stderr);
		rc = CLI_UNREADABLE;
		goto done;
	}
	for (r = 0; r < o.runs; r++) {
		b2b_book *b = NULL;
		b2b_ctx *ctx = NULL;
		int lrc;

		if (b2b_ctx_new(&ctx, NULL) < 0) {
			rc = CLI_UNREADABLE;
			goto done;
		}
		t0 = now_ns();
		lrc = b2b_book_load_dir(&b, ctx, NULL, dir);
		ns[r] = now_ns() - t0;
		b2b_ctx_free(ctx);
		if (lrc < 0) {
			/* print the problems the normal way */
			b2b_book_unref(b);
			rc = cli_load_book(&b, dir);
			b2b_book_unref(b);
			if (rc == CLI_OK)
				rc = CLI_UNREADABLE;
			goto done;
		}
		fprintf(stderr, "b2b bench book: run %d: %lld ms\n", r + 1,
		        (long long)(ns[r] / 1000000));
		b2b_book_unref(book);
		book = b;
	}
	qsort(ns, (size_t)o.runs, sizeof *ns, cmp_i64);
	np = b2b_book_count(book, B2B_TABLE_PRODUCTS);
	b2b__jw_init(&w, NULL);
	b2b__jw_begin_object(&w);
	b2b__jw_key(&w, "bench");
	b2b__jw_cstr(&w, "book");
	b2b__jw_key(&w, "profile");
	b2b__jw_cstr(&w, o.profile);
	b2b__jw_key(&w, "seed");
	b2b__jw_int(&w, (int64_t)o.seed);
	b2b__jw_key(&w, "counts");
	b2b__jw_begin_object(&w);
	for (r = 0; r < B2B_TABLE_COUNT; r++) {
		b2b__jw_key(&w, b2b_book_table_name((b2b_book_table)r));
		b2b__jw_int(&w, (int64_t)b2b_book_count(book, (b2b_book_table)r));
	}
	b2b__jw_end_object(&w);
	jw_ms(&w, "write_ms", write_ns);
	b2b__jw_key(&w, "runs");
	b2b__jw_int(&w, o.runs);
	jw_ms(&w, "load_ms_min", ns[0]);
	jw_ms(&w, "load_ms_median", ns[o.runs / 2]);
	b2b__jw_key(&w, "products_per_second");
	b2b__jw_int(&w, ns[o.runs / 2] > 0
	                ? (int64_t)((uint64_t)np * 1000000000u / (uint64_t)ns[o.runs / 2]) : 0);
	b2b__jw_key(&w, "memory_bytes");
	b2b__jw_int(&w, (int64_t)b2b_book_memory(book));
	b2b__jw_key(&w, "string_bytes");
	b2b__jw_int(&w, (int64_t)book->strings_len);
	jw_ratio(&w, "bytes_per_product", b2b_book_memory(book), np);
	jw_ratio(&w, "bytes_per_product_beyond_strings",
	         b2b_book_memory(book) - book->strings_len, np);
	b2b__jw_key(&w, "product_record_bytes");
	b2b__jw_int(&w, (int64_t)sizeof(b2b__product));
	b2b__jw_key(&w, "fingerprint");
	b2b__jw_cstr(&w, b2b_book_fingerprint(book));
	b2b__jw_key(&w, "dir");
	b2b__jw_cstr(&w, temp ? NULL : dir);
	b2b__jw_end_object(&w);
	rc = jw_print(&w);
done:
	b2b_book_unref(book);
	free(ns);
	if (temp)
		remove_book(dir);
	return rc;
}

/*===========================================================================
 * MARK: - bench validate: validate many 20-line orders (developer "orders")
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

static int
bench_make_orders(bench_order_set *s, const b2b_book *book, size_t norders, size_t nlines,
                  uint64_t seed, const char *as_of)
{
	b2b_ctx *ctx = NULL;
	size_t o, l, cap;
	char *buf = NULL;

	s->texts = calloc(norders, sizeof *s->texts);
	s->lens = calloc(norders, sizeof *s->lens);
	s->n = 0;
	cap = 256 + nlines * 160;
	buf = malloc(cap);
	if (s->texts == NULL || s->lens == NULL || buf == NULL || book->ncustomers == 0 ||
	    book->nproducts == 0 || b2b_ctx_new(&ctx, NULL) < 0) {
		free(buf);
		fputs("b2b bench validate: out of memory (or an empty book)\n", stderr);
		return -1;
	}
	for (o = 0; o < norders; o++) {
		const b2b__customer *c = &book->customers[bench_mix(seed ^ (o * 2 + 1)) %
		                                           book->ncustomers];
		size_t n = 0;

		n += (size_t)snprintf(buf + n, cap - n,
		                      "{\"order_id\": \"B-%zu\", \"customer\": \"%s\", "
		                      "\"as_of\": \"%s\", \"lines\": [", o,
		                      b2b__s(book, c->id), as_of);
		size_t start = (size_t)(bench_mix(seed + o * 1000003u) % book->nproducts), k = 0;

		for (l = 0; l < nlines; l++) {
			const b2b__product *p;
			const b2b__product_ext *x;
			const b2b_price *pr = NULL;
			b2b_price_request *req = NULL;
			char qty[32], price[B2B_DEC_FORMAT_MAX] = "1.00";
			int64_t q, pack = 1, lo = 0, hi = INT64_MAX;

			/* distinct, active skus; quantities that respect the product's
			 * pack size and bounds, as a storefront would send them */
			do
				p = &book->products[(start + k++) % book->nproducts];
			while ((p->flags & B2B__P_INACTIVE) && k < book->nproducts);
			x = b2b__book_product_ext(book, p);
			if (x->pack_size.set)
				b2b_dec_to_units(&pack, x->pack_size.v, 0, B2B_ROUND_CEILING);
			if (pack < 1)
				pack = 1;
			if (x->min_qty.set)
				b2b_dec_to_units(&lo, x->min_qty.v, 0, B2B_ROUND_CEILING);
			if (x->max_qty.set)
				b2b_dec_to_units(&hi, x->max_qty.v, 0, B2B_ROUND_FLOOR);
			q = pack * (int64_t)(1 + (o + l * 7) % 8);
			if (q < lo)
				q = (lo + pack - 1) / pack * pack;
			if (q > hi)
				q = hi / pack * pack > 0 ? hi / pack * pack : hi;
			snprintf(qty, sizeof qty, "%lld", (long long)q);
			if (b2b_price_request_new(&req, ctx) == 0 &&
			    b2b_price_request_set_customer(req, b2b__s(book, c->id)) == 0 &&
			    b2b_price_request_set_sku(req, b2b__s(book, p->sku)) == 0 &&
			    b2b_price_request_set_qty(req, qty) == 0 &&
			    b2b_price_request_set_as_of(req, as_of) == 0 &&
			    b2b_price_compute(&pr, ctx, book, req, NULL) == 0 && b2b_price_ok(pr))
				b2b_dec_format(price, sizeof price, NULL, b2b_price_unit_price(pr),
				               book->settings.unit_price_decimals, B2B_ROUND_HALF_UP);
			b2b_ctx_reset(ctx);
			n += (size_t)snprintf(buf + n, cap - n,
			                      "%s\n  {\"sku\": \"%s\", \"qty\": \"%s\", \"unit_price\": \"%s\"}",
			                      l > 0 ? "," : "", b2b__s(book, p->sku), qty, price);
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
jw_us_per(b2b__jw *w, const char *key, int64_t ns, size_t n)
{
	b2b_dec d;

	b2b_dec_from_units(&d, (int64_t)((uint64_t)ns / (n > 0 ? n : 1)), 3);
	b2b__jw_key(w, key);
	b2b__jw_dec(w, d, 3, B2B_ROUND_HALF_UP);
}

static int
bench_validate(int argc, char **argv)
{
	const char *book_dir = NULL, *v, *as_of = "2026-06-15";
	size_t norders = 100000, ntemplates = 1000, nlines = 20, i, nvalid = 0, nviol = 0, show = 0;
	int show_set = 0;
	char dir[4096];
	bench_opts o;
	bench_order_set set = { NULL, NULL, 0 };
	const b2b_order **parsed = NULL;
	b2b_book *book = NULL;
	b2b_ctx *pctx = NULL, *ctx = NULL;
	int64_t t0, c0, parse_ns, validate_ns, full_ns, parse_cpu, validate_cpu, full_cpu;
	int k, bad = 0, temp = 0, rc = CLI_UNREADABLE;
	char **rest;
	int nrest = 1;
	b2b__jw w;

	/* our own options first; the rest are the common (synthetic book) ones */
	rest = calloc((size_t)argc + 1, sizeof *rest);
	if (rest == NULL)
		return CLI_UNREADABLE;
	rest[0] = argv[0];
	rest[nrest++] = argv[1];
	for (k = 2; k < argc; k++) {
		if ((v = cli_opt(argc, argv, &k, "book", &bad)) != NULL) {
			book_dir = v;
		} else if ((v = cli_opt(argc, argv, &k, "orders", &bad)) != NULL) {
			if (parse_size("orders", v, &norders) < 0 || norders == 0)
				goto done;
		} else if ((v = cli_opt(argc, argv, &k, "templates", &bad)) != NULL) {
			if (parse_size("templates", v, &ntemplates) < 0 || ntemplates == 0)
				goto done;
		} else if ((v = cli_opt(argc, argv, &k, "lines", &bad)) != NULL) {
			if (parse_size("lines", v, &nlines) < 0 || nlines == 0 || nlines > 10000)
				goto done;
		} else if ((v = cli_opt(argc, argv, &k, "as-of", &bad)) != NULL) {
			as_of = v;
		} else if ((v = cli_opt(argc, argv, &k, "show", &bad)) != NULL) {
			if (parse_size("show", v, &show) < 0)
				goto done;
			show_set = 1;
		} else if (bad) {
			goto done;
		} else {
			rest[nrest++] = argv[k];
		}
	}
	if (bench_parse(&o, nrest, rest, 2) < 0)
		goto done;
	if (ntemplates > norders)
		ntemplates = norders;
	if (book_dir == NULL) {
		/* a synthetic book with every feature, small enough to write fast */
		if (o.products == SYNTH_PRODUCTS)
			o.products = 20000;
		if (o.customers == SYNTH_CUSTOMERS)
			o.customers = 1000;
		if (o.contract_items == SYNTH_CONTRACT_ITEMS)
			o.contract_items = 5000;
		if (strcmp(o.profile, "basic") == 0 && o.dir == NULL)
			o.profile = "full";
		if (bench_dir(&o, dir, sizeof dir, &temp) < 0)
			goto done;
		if (synth_write_book(dir, o.profile, o.seed, o.products, o.customers,
		                     o.contract_items) < 0)
			goto done;
		book_dir = dir;
	}
	if (cli_load_book(&book, book_dir) != CLI_OK)
		goto done;
	fprintf(stderr, "b2b bench validate: %zu orders of %zu lines (%zu distinct) on %s\n",
	        norders, nlines, ntemplates, book_dir);
	if (bench_make_orders(&set, book, ntemplates, nlines, o.seed, as_of) < 0)
		goto done;
	if (show_set) {
		/* --show I: the order I and its validation, to see what is checked */
		const b2b_validation *res;
		const char *doc;

		if (b2b_ctx_new(&ctx, NULL) < 0 || show >= set.n)
			goto done;
		fwrite(set.texts[show], 1, set.lens[show], stdout);
		if (b2b_order_validate_json(&res, ctx, book, set.texts[show], set.lens[show],
		                            NULL) < 0 || b2b_validation_to_json(&doc, NULL, ctx, res) < 0)
			goto done;
		fputs(doc, stdout);
		rc = CLI_OK;
		goto done;
	}
	parsed = calloc(ntemplates, sizeof *parsed);
	if (parsed == NULL || b2b_ctx_new(&pctx, NULL) < 0 || b2b_ctx_new(&ctx, NULL) < 0) {
		fputs("b2b bench validate: out of memory\n", stderr);
		goto done;
	}
	/* 1. parse every distinct order once (kept in pctx) */
	t0 = now_ns();
	c0 = cpu_ns();
	for (i = 0; i < ntemplates; i++)
		if (b2b_order_parse(&parsed[i], pctx, set.texts[i], set.lens[i]) < 0) {
			fprintf(stderr, "b2b bench validate: order %zu: %s\n", i, b2b_ctx_errmsg(pctx));
			goto done;
		}
	parse_ns = now_ns() - t0;
	parse_cpu = cpu_ns() - c0;
	/* 2. validate parsed orders: the hot path (ctx reset between orders) */
	t0 = now_ns();
	c0 = cpu_ns();
	for (i = 0; i < norders; i++) {
		const b2b_validation *res;

		if (b2b_order_validate(&res, ctx, book, parsed[i % ntemplates], NULL) < 0) {
			fprintf(stderr, "b2b bench validate: order %zu: %s\n", i % ntemplates,
			        b2b_ctx_errmsg(ctx));
			goto done;
		}
		if (i < ntemplates) {
			nvalid += (size_t)b2b_validation_valid(res);
			nviol += b2b_validation_count(res);
		}
		b2b_ctx_reset(ctx);
	}
	validate_ns = now_ns() - t0;
	validate_cpu = cpu_ns() - c0;
	/* 3. from JSON text: parse + validate + write the result */
	t0 = now_ns();
	c0 = cpu_ns();
	for (i = 0; i < norders; i++) {
		const b2b_validation *res;
		const char *doc;

		if (b2b_order_validate_json(&res, ctx, book, set.texts[i % ntemplates],
		                            set.lens[i % ntemplates], NULL) < 0 ||
		    b2b_validation_to_json(&doc, NULL, ctx, res) < 0) {
			fprintf(stderr, "b2b bench validate: %s\n", b2b_ctx_errmsg(ctx));
			goto done;
		}
		b2b_ctx_reset(ctx);
	}
	full_ns = now_ns() - t0;
	full_cpu = cpu_ns() - c0;

	b2b__jw_init(&w, NULL);
	b2b__jw_begin_object(&w);
	b2b__jw_key(&w, "bench");
	b2b__jw_cstr(&w, "validate");
	b2b__jw_key(&w, "book");
	b2b__jw_cstr(&w, temp ? "synthetic" : book_dir);
	b2b__jw_key(&w, "products");
	b2b__jw_int(&w, (int64_t)book->nproducts);
	b2b__jw_key(&w, "orders");
	b2b__jw_int(&w, (int64_t)norders);
	b2b__jw_key(&w, "lines_per_order");
	b2b__jw_int(&w, (int64_t)nlines);
	b2b__jw_key(&w, "distinct_orders");
	b2b__jw_int(&w, (int64_t)ntemplates);
	b2b__jw_key(&w, "distinct_valid");
	b2b__jw_int(&w, (int64_t)nvalid);
	b2b__jw_key(&w, "distinct_violations");
	b2b__jw_int(&w, (int64_t)nviol);
	jw_ms(&w, "parse_ms", parse_ns);
	jw_ms(&w, "validate_ms", validate_ns);
	jw_ms(&w, "json_ms", full_ns);
	/* µs per order (3 decimals): wall clock, and CPU time of the process */
	jw_us_per(&w, "us_per_order_validate", validate_ns, norders);
	jw_us_per(&w, "us_per_order_validate_cpu", validate_cpu, norders);
	jw_us_per(&w, "us_per_order_json", full_ns, norders);
	jw_us_per(&w, "us_per_order_json_cpu", full_cpu, norders);
	jw_us_per(&w, "us_per_order_parse", parse_ns, ntemplates);
	jw_us_per(&w, "us_per_order_parse_cpu", parse_cpu, ntemplates);
	b2b__jw_end_object(&w);
	rc = jw_print(&w);
done:
	if (rc != CLI_OK && bad)
		fputs("b2b bench validate: bad option\n", stderr);
	free(rest);
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
 *         (developer "engine2")
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

/* Handles and quantities of the lines (unknown keys: handle UINT32_MAX). */
static int
bp_resolve(const bp_lines *l, const b2b_book *book, uint32_t *cust, uint32_t *prod, b2b_dec *qty,
           int parse_qty)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		const char *q = l->pool + l->qty[i];

		if (b2b_book_find_customer(&cust[i], book, l->pool + l->cust[i], l->cust_len[i]) != 0)
			cust[i] = UINT32_MAX;
		if (b2b_book_find_product(&prod[i], book, l->pool + l->sku[i], l->sku_len[i]) != 0)
			prod[i] = UINT32_MAX;
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
	b2b__sha256 st;
	unsigned char d[32];
	size_t i;
	int decimals = book->settings.unit_price_decimals;

	b2b__sha256_init(&st);
	b2b_dec_from_units(&out->sum, 0, 0);
	out->problems = 0;
	for (i = 0; i < n; i++) {
		char buf[B2B_DEC_FORMAT_MAX + 2];
		size_t len;

		if (pb[i] != B2B_BATCH_OK) {
			len = (size_t)snprintf(buf, sizeof buf, "!%d\n", pb[i]);
			out->problems++;
		} else {
			if (b2b_dec_format(buf, sizeof buf - 1, NULL, up[i], decimals,
			                   book->settings.rounding) != 0 ||
			    b2b_dec_add(&out->sum, out->sum, up[i]) != 0)
				return -1;
			len = strlen(buf);
			buf[len++] = '\n';
		}
		b2b__sha256_update(&st, buf, len);
	}
	b2b__sha256_final(&st, d);
	b2b__sha256_hex(d, out->sha);
	return 0;
}

/* ---- the floor: (customer, sku) → price in a minimal open-addressing table ---- */

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

/*
 * p50 and p99 (µs, 3 decimals) of `runs` quotes of n lines: CPU time of
 * the process (the figure that holds on a shared machine) and wall time.
 */
static int
bp_quotes(b2b__jw *w, const char *name, const bp_lines *l, const b2b_book *book,
          const char *as_of, size_t n, int runs)
{
	int64_t *ns = calloc((size_t)runs, sizeof *ns), *cpu = calloc((size_t)runs, sizeof *cpu);
	int64_t t, c;
	b2b_ctx *ctx = NULL;
	const char *cust = l->pool + l->cust[0];
	size_t errors = 0, e;
	char key[64];
	int r, rc = -1;

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
			errors += e;
		}
	}
	qsort(ns, (size_t)runs, sizeof *ns, cmp_i64);
	qsort(cpu, (size_t)runs, sizeof *cpu, cmp_i64);
	snprintf(key, sizeof key, "%s_lines", name);
	b2b__jw_key(w, key);
	b2b__jw_int(w, (int64_t)n);
	snprintf(key, sizeof key, "%s_runs", name);
	b2b__jw_key(w, key);
	b2b__jw_int(w, runs);
	snprintf(key, sizeof key, "%s_us_p50", name);
	jw_us_per(w, key, cpu[runs / 2], 1);
	snprintf(key, sizeof key, "%s_us_p99", name);
	jw_us_per(w, key, cpu[(size_t)runs * 99 / 100], 1);
	snprintf(key, sizeof key, "%s_wall_us_p50", name);
	jw_us_per(w, key, ns[runs / 2], 1);
	snprintf(key, sizeof key, "%s_wall_us_p99", name);
	jw_us_per(w, key, ns[(size_t)runs * 99 / 100], 1);
	snprintf(key, sizeof key, "%s_errors", name);
	b2b__jw_key(w, key);
	b2b__jw_int(w, (int64_t)errors);
	rc = 0;
done:
	free(ns);
	free(cpu);
	b2b_ctx_free(ctx);
	return rc;
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
	b2b_book *book = NULL;
	uint32_t *cu = NULL, *pr = NULL;
	b2b_dec *q = NULL, *up = NULL;
	int *pb = NULL, rc = CLI_UNREADABLE;
	char path[4096 + 16];
	b2b_time t;
	bp_sum sum;
	FILE *f = NULL;
	size_t i;

	memset(&l, 0, sizeof l);
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
	cu = malloc(l.n * sizeof *cu);
	pr = malloc(l.n * sizeof *pr);
	q = malloc(l.n * sizeof *q);
	up = malloc(l.n * sizeof *up);
	pb = malloc(l.n * sizeof *pb);
	if (cu == NULL || pr == NULL || q == NULL || up == NULL || pb == NULL ||
	    bp_resolve(&l, book, cu, pr, q, 1) < 0 ||
	    b2b_time_parse(&t, NULL, as_of, strlen(as_of)) != 0 ||
	    b2b_price_batch(up, pb, NULL, book, cu, pr, q, l.n, NULL, t) != 0 ||
	    bp_checksum(&sum, book, up, pb, l.n) < 0 ||
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
	free(cu);
	free(pr);
	free(q);
	free(up);
	free(pb);
	return rc;
}

static int
bench_price(int argc, char **argv)
{
	const char *v, *as_of = "2026-06-15";
	size_t nlines = 1000000, i, mask, tsize, found;
	char dir[4096], path[4096 + 16], expected[65];
	bench_opts o;
	bp_lines l;
	bp_sum sum;
	b2b_book *book = NULL;
	uint32_t *cu = NULL, *pr = NULL;
	b2b_dec *q = NULL, *up = NULL;
	int *pb = NULL;
	bp_ent *table = NULL;
	int64_t t0, c0, load_ns, resolve_ns, resolve_cpu, *bns = NULL, *fns = NULL;
	int64_t *bcpu = NULL, *fcpu = NULL;
	b2b__i128 fsum;
	int k, bad = 0, temp = 0, reuse = 0, from_file = 0, r, rc = CLI_UNREADABLE;
	int quote_runs = 2000;
	char **rest;
	int nrest = 1;
	b2b_time t;
	b2b__jw w;

	memset(&l, 0, sizeof l);
	rest = calloc((size_t)argc + 1, sizeof *rest);
	if (rest == NULL)
		return CLI_UNREADABLE;
	rest[0] = argv[0];
	rest[nrest++] = argv[1];
	for (k = 2; k < argc; k++) {
		if ((v = cli_opt(argc, argv, &k, "lines", &bad)) != NULL) {
			if (parse_size("lines", v, &nlines) < 0 || nlines == 0 || nlines > 100000000)
				goto done;
		} else if ((v = cli_opt(argc, argv, &k, "quote-runs", &bad)) != NULL) {
			if (parse_size("quote-runs", v, &i) < 0 || i < 1 || i > 1000000)
				goto done;
			quote_runs = (int)i;
		} else if ((v = cli_opt(argc, argv, &k, "as-of", &bad)) != NULL) {
			as_of = v;
		} else if (bad) {
			goto done;
		} else {
			rest[nrest++] = argv[k];
		}
	}
	if (bench_parse(&o, nrest, rest, 2) < 0)
		goto done;
	if (b2b_time_parse(&t, NULL, as_of, strlen(as_of)) != 0) {
		fprintf(stderr, "b2b bench price: --as-of: not a date: '%s'\n", as_of);
		goto done;
	}
	if (bench_dir(&o, dir, sizeof dir, &temp) < 0)
		goto done;
	snprintf(path, sizeof path, "%s/products.csv", dir);
	reuse = !temp && access(path, R_OK) == 0;
	if (!reuse) {
		fprintf(stderr, "b2b bench price: writing a %s book of %zu products to %s\n",
		        o.profile, o.products, dir);
		if (synth_write_book(dir, o.profile, o.seed, o.products, o.customers,
		                     o.contract_items) < 0)
			goto done;
	} else {
		fprintf(stderr, "b2b bench price: reusing the book in %s\n", dir);
	}
	t0 = now_ns();
	if (cli_load_book(&book, dir) != CLI_OK)
		goto done;
	load_ns = now_ns() - t0;
	/* the lines: DIR/lines.csv when the directory has one, else generated */
	if (reuse && (from_file = bp_read(&l, dir)) < 0)
		goto done;
	if (!from_file && bp_generate(&l, &o, nlines) < 0)
		goto done;
	if (l.n == 0) {
		fputs("b2b bench price: no lines\n", stderr);
		goto done;
	}
	expected[0] = '\0';
	if (from_file)
		bp_read_expected(dir, expected);
	fprintf(stderr, "b2b bench price: %zu lines%s\n", l.n, from_file ? " from lines.csv" : "");

	cu = malloc(l.n * sizeof *cu);
	pr = malloc(l.n * sizeof *pr);
	q = malloc(l.n * sizeof *q);
	up = malloc(l.n * sizeof *up);
	pb = malloc(l.n * sizeof *pb);
	bns = calloc((size_t)o.runs, sizeof *bns);
	fns = calloc((size_t)o.runs, sizeof *fns);
	bcpu = calloc((size_t)o.runs, sizeof *bcpu);
	fcpu = calloc((size_t)o.runs, sizeof *fcpu);
	for (tsize = 16; tsize < l.n * 2; tsize *= 2)
		;
	mask = tsize - 1;
	table = calloc(tsize, sizeof *table);
	if (cu == NULL || pr == NULL || q == NULL || up == NULL || pb == NULL || bns == NULL ||
	    fns == NULL || bcpu == NULL || fcpu == NULL || table == NULL) {
		fputs("b2b bench price: out of memory\n", stderr);
		goto done;
	}
	/* 1. keys → handles (the quantities are parsed outside the timing) */
	if (bp_resolve(&l, book, cu, pr, q, 1) < 0)
		goto done;
	c0 = cpu_ns();
	t0 = now_ns();
	if (bp_resolve(&l, book, cu, pr, q, 0) < 0)
		goto done;
	resolve_ns = now_ns() - t0;
	resolve_cpu = cpu_ns() - c0;
	/* 2. batch pricing, no trace, R runs */
	for (r = 0; r < o.runs; r++) {
		c0 = cpu_ns();
		t0 = now_ns();
		if (b2b_price_batch(up, pb, NULL, book, cu, pr, q, l.n, NULL, t) != 0) {
			fputs("b2b bench price: b2b_price_batch failed\n", stderr);
			goto done;
		}
		bns[r] = now_ns() - t0;
		bcpu[r] = cpu_ns() - c0;
		fprintf(stderr, "b2b bench price: batch run %d: %lld ms (cpu %lld ms)\n", r + 1,
		        (long long)(bns[r] / 1000000), (long long)(bcpu[r] / 1000000));
	}
	if (bp_checksum(&sum, book, up, pb, l.n) < 0)
		goto done;
	/* 3. the floor: the same keys through a (customer, sku) → price table */
	for (i = 0; i < l.n; i++) {
		const char *c = l.pool + l.cust[i], *s = l.pool + l.sku[i];
		uint64_t h = bp_key(c, l.cust_len[i], s, l.sku_len[i]);
		size_t j = bp_slot(table, mask, h, c, l.cust_len[i], s, l.sku_len[i]);

		table[j].h = h;
		table[j].c = c;
		table[j].s = s;
		table[j].cl = l.cust_len[i];
		table[j].sl = l.sku_len[i];
		table[j].price = up[i];
	}
	fsum = 0;
	found = 0;
	for (r = 0; r < o.runs; r++) {
		c0 = cpu_ns();
		t0 = now_ns();
		for (i = 0; i < l.n; i++) {
			const char *c = l.pool + l.cust[i], *s = l.pool + l.sku[i];
			uint64_t h = bp_key(c, l.cust_len[i], s, l.sku_len[i]);
			size_t j = bp_slot(table, mask, h, c, l.cust_len[i], s, l.sku_len[i]);

			if (table[j].c != NULL) {
				fsum += ((b2b__i128)table[j].price.hi << 64) | table[j].price.lo;
				found++;
			}
		}
		fns[r] = now_ns() - t0;
		fcpu[r] = cpu_ns() - c0;
	}
	if (found != l.n * (size_t)o.runs) {
		fputs("b2b bench price: the floor table lost keys\n", stderr);
		goto done;
	}
	qsort(bns, (size_t)o.runs, sizeof *bns, cmp_i64);
	qsort(fns, (size_t)o.runs, sizeof *fns, cmp_i64);
	qsort(bcpu, (size_t)o.runs, sizeof *bcpu, cmp_i64);
	qsort(fcpu, (size_t)o.runs, sizeof *fcpu, cmp_i64);

	b2b__jw_init(&w, NULL);
	b2b__jw_begin_object(&w);
	b2b__jw_key(&w, "bench");
	b2b__jw_cstr(&w, "price");
	b2b__jw_key(&w, "book");
	b2b__jw_cstr(&w, temp ? "synthetic" : dir);
	b2b__jw_key(&w, "profile");
	b2b__jw_cstr(&w, reuse ? NULL : o.profile);
	b2b__jw_key(&w, "seed");
	b2b__jw_int(&w, (int64_t)o.seed);
	b2b__jw_key(&w, "products");
	b2b__jw_int(&w, (int64_t)book->nproducts);
	b2b__jw_key(&w, "customers");
	b2b__jw_int(&w, (int64_t)book->ncustomers);
	b2b__jw_key(&w, "contract_items");
	b2b__jw_int(&w, (int64_t)book->ncitems);
	b2b__jw_key(&w, "price_list_items");
	b2b__jw_int(&w, (int64_t)book->nitems);
	b2b__jw_key(&w, "lines");
	b2b__jw_int(&w, (int64_t)l.n);
	b2b__jw_key(&w, "lines_from");
	b2b__jw_cstr(&w, from_file ? "lines.csv" : "generated");
	b2b__jw_key(&w, "as_of");
	b2b__jw_cstr(&w, as_of);
	jw_ms(&w, "load_ms", load_ns);
	b2b__jw_key(&w, "runs");
	b2b__jw_int(&w, o.runs);
	/* ns per line, 1 decimal: CPU time of the process (min over the runs,
	 * median alongside), and wall time (min) */
	jw_ratio(&w, "batch_ns_per_line", (uint64_t)bcpu[0], l.n);
	jw_ratio(&w, "batch_ns_per_line_median", (uint64_t)bcpu[o.runs / 2], l.n);
	jw_ratio(&w, "batch_wall_ns_per_line", (uint64_t)bns[0], l.n);
	jw_ratio(&w, "resolve_ns_per_line", (uint64_t)resolve_cpu, l.n);
	jw_ratio(&w, "resolve_wall_ns_per_line", (uint64_t)resolve_ns, l.n);
	jw_ratio(&w, "floor_ns_per_line", (uint64_t)fcpu[0], l.n);
	jw_ratio(&w, "floor_ns_per_line_median", (uint64_t)fcpu[o.runs / 2], l.n);
	jw_ratio(&w, "floor_wall_ns_per_line", (uint64_t)fns[0], l.n);
	/* R = pricing ÷ floor (CPU): the batch alone (handles resolved), and
	 * from the same string keys as the floor (resolve + batch) */
	jw_ratio(&w, "ratio_batch_to_floor", (uint64_t)bcpu[0], (uint64_t)fcpu[0]);
	jw_ratio(&w, "ratio_resolve_and_batch_to_floor", (uint64_t)(bcpu[0] + resolve_cpu),
	         (uint64_t)fcpu[0]);
	b2b__jw_key(&w, "problems");
	b2b__jw_int(&w, (int64_t)sum.problems);
	b2b__jw_key(&w, "checksum_sha256");
	b2b__jw_cstr(&w, sum.sha);
	b2b__jw_key(&w, "sum_unit_prices");
	b2b__jw_dec(&w, sum.sum, book->settings.unit_price_decimals, B2B_ROUND_HALF_UP);
	b2b__jw_key(&w, "checksum_matches_expected");
	if (expected[0] == '\0')
		b2b__jw_null(&w);
	else
		b2b__jw_bool(&w, strcmp(expected, sum.sha) == 0);
	/* 4. single quotes with their full waterfall, through the public API */
	if (bp_quotes(&w, "quote20", &l, book, as_of, 20, quote_runs) < 0 ||
	    bp_quotes(&w, "quote5000", &l, book, as_of, 5000,
	              quote_runs / 10 > 20 ? quote_runs / 10 : 20) < 0) {
		b2b__jw_dispose(&w);
		goto done;
	}
	b2b__jw_key(&w, "fingerprint");
	b2b__jw_cstr(&w, b2b_book_fingerprint(book));
	b2b__jw_end_object(&w);
	rc = jw_print(&w);
	if (fsum == 0 && sum.problems < l.n)
		fputs("b2b bench price: (floor sum 0)\n", stderr);
done:
	if (rc != CLI_OK && bad)
		fputs("b2b bench price: bad option\n", stderr);
	free(rest);
	bp_lines_free(&l);
	free(cu);
	free(pr);
	free(q);
	free(up);
	free(pb);
	free(bns);
	free(fns);
	free(bcpu);
	free(fcpu);
	free(table);
	b2b_book_unref(book);
	if (temp)
		remove_book(dir);
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
	  "        load it R times (default 5): min and median load time, products/s,\n"
	  "        bytes per product, fingerprint" },
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
