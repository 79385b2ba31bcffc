/*
 * b2b bench validate — validate many orders of the book's own products at
 * the engine's prices: µs per order for a parsed order, and from JSON text
 * to the result document (wall and CPU).
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "b2b.h"
#include "b2b/order.h"
#include "b2b/price.h"
#include "bench_util.h"
#include "cli.h"
#include "jsonout.h"
#include "synth.h"

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

int
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
