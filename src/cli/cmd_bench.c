/*
 * b2b bench — the benchmark suite. Sub-commands live in one table
 * (bench_cmds below): add a row and a function to add a benchmark.
 *
 *   b2b bench book [--products N] [--customers N] [--contract-items N]
 *                  [--profile basic|full] [--seed S] [--runs R] [--dir DIR]
 *   b2b bench --write DIR [--profile P] [--products N] [--customers N]
 *                  [--contract-items N] [--seed S]
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
#include "book_int.h"
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
		lrc = b2b_book_load_dir(&b, ctx, dir, NULL);
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
		for (l = 0; l < nlines; l++) {
			const b2b__product *p = &book->products[bench_mix(seed + o * 1000003u + l) %
			                                         book->nproducts];
			const b2b_price *pr = NULL;
			b2b_price_request *req = NULL;
			char qty[16], price[B2B_DEC_FORMAT_MAX] = "1.00";

			snprintf(qty, sizeof qty, "%u", (unsigned)(1 + (o + l * 7) % 40));
			if (b2b_price_request_new(&req, ctx) == 0 &&
			    b2b_price_request_set_customer(req, b2b__s(book, c->id)) == 0 &&
			    b2b_price_request_set_sku(req, b2b__s(book, p->sku)) == 0 &&
			    b2b_price_request_set_qty(req, qty) == 0 &&
			    b2b_price_request_set_as_of(req, as_of) == 0 &&
			    b2b_price_compute(&pr, ctx, book, req, NULL) == 0)
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
	/* more benchmarks: { "price", bench_price, "price …" }, */
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
		return CLI_OK;
	}
	for (i = 0; i < sizeof bench_cmds / sizeof *bench_cmds; i++)
		if (strcmp(argv[1], bench_cmds[i].name) == 0)
			return bench_cmds[i].fn(argc, argv);
	fprintf(stderr, "b2b bench: unknown benchmark '%s'\n", argv[1]);
	bench_usage(stderr);
	return CLI_UNREADABLE;
}
