/*
 * b2b bench price — batch pricing (b2b_price_batch), on 1..N threads, the
 * same keys through a raw hash-lookup floor, the same handles through the
 * dense floor (bench_floor.c, basic profile), the ratios, a checksum of the
 * prices, and the latency of quotes; `b2b bench --write DIR` writes its
 * workload.
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "b2b.h"
#include "b2b/price.h"
#include "b2b/quote.h"
#include "bench_util.h"
#include "checksum.h"
#include "cli.h"
#include "jsonout.h"
#include "synth.h"

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

/* A slot: one cache line with the key in it (customer bytes, then sku
 * bytes), so a probe reads one line. Keys longer than BP_KEYMAX bytes
 * are compared on their first BP_KEYMAX bytes, lengths and 64-bit hash. */
#define BP_KEYMAX 37
typedef struct bp_ent {
	uint64_t h;
	b2b_dec price;
	uint8_t used, cl, sl;
	char key[BP_KEYMAX];
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

/* The key's bytes as a slot keeps them (at most BP_KEYMAX). */
static size_t
bp_keybytes(char *out, const char *c, size_t cl, const char *s, size_t sl)
{
	size_t n = 0;

	if (cl > BP_KEYMAX)
		cl = BP_KEYMAX;
	memcpy(out, c, cl);
	n = cl;
	if (sl > BP_KEYMAX - n)
		sl = BP_KEYMAX - n;
	memcpy(out + n, s, sl);
	return n + sl;
}

/* The slot of the key, or of the empty slot where it goes. */
static size_t
bp_slot(const bp_ent *t, size_t mask, uint64_t h, const char *key, size_t kn, size_t cl,
        size_t sl)
{
	size_t i = (size_t)h & mask;

	while (t[i].used && !(t[i].h == h && t[i].cl == (uint8_t)cl && t[i].sl == (uint8_t)sl &&
	                      memcmp(t[i].key, key, kn) == 0))
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
 * price` (--lines N, default SYNTH_LINES) as DIR/lines.csv and its expected checksum,
 * so that another engine can run the same workload and compare.
 */
int
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
	if (bp_generate(&l, o, o->lines ? o->lines : SYNTH_LINES) < 0)
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
	int threads;             /* batch timed on 1 .. threads threads */
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
	p->threads = 2;
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
		} else if ((v = cli_opt(argc, argv, &k, "threads", &bad)) != NULL) {
			if (parse_size("threads", v, &n) < 0 || n < 1 || n > BENCH_MAX_THREADS) {
				fprintf(stderr, "b2b bench price: --threads: 1 to %d\n",
				        BENCH_MAX_THREADS);
				goto done;
			}
			p->threads = (int)n;
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
	bench_threads_result mt;          /* the batch on 1 .. N threads */
	bp_runs dense;                    /* the dense floor (bench_floor.c), R runs */
	int dense_state;                  /* 0 run, 1 not this book's shape, -1 not run */
	char dense_why[128];
	size_t dense_mismatch;            /* lines where it differs from the batch */
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
 * price table holding the batch's prices, one run per slot of r. The
 * lines go in groups of BP_GROUP: hash every key of the group and
 * prefetch its slot, then probe them (the slot holds key and price), so
 * the group's cache misses overlap.
 */
#define BP_GROUP 16
#if defined(__GNUC__) || defined(__clang__)
#  define BP_PREFETCH(p) __builtin_prefetch((p), 0, 1)
#else
#  define BP_PREFETCH(p) ((void)(p))
#endif
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
		char key[BP_KEYMAX];
		size_t kn = bp_keybytes(key, c, l->cust_len[i], s, l->sku_len[i]);
		uint64_t h = bp_key(c, l->cust_len[i], s, l->sku_len[i]);
		size_t j = bp_slot(table, mask, h, key, kn, l->cust_len[i], l->sku_len[i]);

		table[j].h = h;
		table[j].used = 1;
		table[j].cl = l->cust_len[i];
		table[j].sl = l->sku_len[i];
		memcpy(table[j].key, key, kn);
		table[j].price = up[i];
	}
	*sum = 0;
	for (k = 0; k < r->n; k++) {
		size_t g0;

		c0 = cpu_ns();
		t0 = now_ns();
		for (g0 = 0; g0 < l->n; g0 += BP_GROUP) {
			size_t gn = l->n - g0 < BP_GROUP ? l->n - g0 : BP_GROUP, j;
			uint64_t h[BP_GROUP];

			for (j = 0; j < gn; j++) {
				i = g0 + j;
				h[j] = bp_key(l->pool + l->cust[i], l->cust_len[i], l->pool + l->sku[i],
				              l->sku_len[i]);
				BP_PREFETCH(&table[h[j] & mask]);
			}
			for (j = 0; j < gn; j++) {
				char key[BP_KEYMAX];
				size_t kn, e;

				i = g0 + j;
				kn = bp_keybytes(key, l->pool + l->cust[i], l->cust_len[i],
				                 l->pool + l->sku[i], l->sku_len[i]);
				e = bp_slot(table, mask, h[j], key, kn, l->cust_len[i], l->sku_len[i]);
				if (table[e].used) {
					*sum += ((bp_u128)(uint64_t)table[e].price.hi << 64) |
					        table[e].price.lo;
					found++;
				}
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

/*
 * 5. The dense floor: the basic profile priced by the fastest code we
 * have for it (bench_floor.c) on the same handles and quantities, R runs;
 * its prices are checked against the batch's (up, pb).
 */
static int
bp_time_dense(bp_figures *f, const bp_workload *wl, const bp_arrays *a)
{
	size_t n = wl->l.n, i;
	bench_floor *fl = NULL;
	uint32_t *q = NULL;
	int64_t *out = NULL, t0, c0;
	int k, rc;

	rc = bench_floor_new(&fl, wl->dir, wl->book, f->dense_why, sizeof f->dense_why);
	if (rc != 0) {
		f->dense_state = rc;
		if (rc < 0)
			fputs("b2b bench price: out of memory\n", stderr);
		return rc < 0 ? -1 : 0;
	}
	q = malloc(n * sizeof *q);
	out = malloc(n * sizeof *out);
	if (q == NULL || out == NULL) {
		fputs("b2b bench price: out of memory\n", stderr);
		rc = -1;
		goto done;
	}
	for (i = 0; i < n; i++) {
		/* whole units, rounded down (a break's min_qty is whole) */
		uint64_t u = a->q[i].hi != 0 ? 0 : a->q[i].lo / 1000000000u;

		q[i] = u >= UINT32_MAX ? UINT32_MAX - 1 : (uint32_t)u;
	}
	for (k = 0; k < f->dense.n; k++) {
		c0 = cpu_ns();
		t0 = now_ns();
		bench_floor_price(fl, out, a->cu, a->pr, q, n);
		f->dense.wall[k] = now_ns() - t0;
		f->dense.cpu[k] = cpu_ns() - c0;
	}
	bp_runs_sort(&f->dense);
	f->dense_mismatch = 0;
	for (i = 0; i < n; i++)
		if (a->pb[i] == B2B_BATCH_OK ? a->up[i].hi != 0 || a->up[i].lo != (uint64_t)out[i]
		                             : out[i] != INT64_MIN)
			f->dense_mismatch++;
	f->dense_state = 0;
	rc = 0;
done:
	bench_floor_free(fl);
	free(q);
	free(out);
	return rc;
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
	/* the dense floor, and R = the batch ÷ it (CPU, min ÷ min) */
	if (f->dense_state == 0) {
		jw_ratio(w, "floor_dense_ns_per_line", (uint64_t)f->dense.cpu[0], n);
		jw_ratio(w, "floor_dense_ns_per_line_median", (uint64_t)f->dense.cpu[runs / 2], n);
		jw_ratio(w, "floor_dense_wall_ns_per_line", (uint64_t)f->dense.wall[0], n);
		jw_ratio(w, "ratio_batch_to_floor_dense", (uint64_t)f->batch.cpu[0],
		         (uint64_t)f->dense.cpu[0]);
		jw_ratio(w, "ratio_batch_to_floor_dense_median", (uint64_t)f->batch.cpu[runs / 2],
		         (uint64_t)f->dense.cpu[runs / 2]);
		jout_key(w, "floor_dense_mismatches");
		jout_int(w, (int64_t)f->dense_mismatch);
	} else {
		jout_key(w, "floor_dense_ns_per_line");
		jout_null(w);
		jout_key(w, "floor_dense_not_run");
		jout_str(w, f->dense_why);
	}
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

/*
 * The batch on 1 .. N threads: per thread count, wall ns per line (min
 * and median over the runs) and the threads' CPU ns per line; the
 * speed-up of each count over one thread (min wall ÷ min wall).
 */
static void
bp_report_threads(jout *w, const bp_workload *wl, const bp_figures *f)
{
	size_t n = wl->l.n;
	int k;

	jout_key(w, "threads");
	jout_begin_array(w);
	for (k = 1; k <= f->mt.max_threads; k++) {
		jout_begin_object(w);
		jout_key(w, "threads");
		jout_int(w, k);
		jw_ratio(w, "wall_ns_per_line", (uint64_t)f->mt.wall_min[k - 1], n);
		jw_ratio(w, "wall_ns_per_line_median", (uint64_t)f->mt.wall_median[k - 1], n);
		jw_ratio(w, "cpu_ns_per_line", (uint64_t)f->mt.cpu_min[k - 1], n);
		jw_ratio(w, "speedup", (uint64_t)f->mt.wall_min[0], (uint64_t)f->mt.wall_min[k - 1]);
		jout_end_object(w);
	}
	jout_end_array(w);
	jout_key(w, "threads_results_match");
	jout_bool(w, f->mt.same);
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
	bp_report_threads(&w, wl, f);
	bp_report_quotes(&w, "quote20", &f->q20);
	bp_report_quotes(&w, "quote5000", &f->q5000);
	jout_key(&w, "fingerprint");
	jout_str(&w, b2b_book_fingerprint(wl->book));
	jout_end_object(&w);
	return jout_print(&w);
}

int
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
	f.mt.max_threads = p.threads;
	if (bp_workload_load(&wl, &p) < 0)
		goto done;
	if (bp_arrays_alloc(&a, wl.l.n) < 0 || bp_runs_alloc(&f.batch, p.o.runs) < 0 ||
	    bp_runs_alloc(&f.floor, p.o.runs) < 0 || bp_runs_alloc(&f.dense, p.o.runs) < 0) {
		fputs("b2b bench price: out of memory\n", stderr);
		goto done;
	}
	if (bp_time_resolve(&f, &wl.l, wl.book, &a) < 0 ||
	    bp_time_batch(&f.batch, &a, wl.book, wl.l.n, p.t) < 0 ||
	    bp_checksum(&f.sum, wl.book, a.up, a.pb, wl.l.n) < 0 ||
	    bench_threads(&f.mt, wl.book, a.cu, a.pr, a.q, wl.l.n, p.t, p.o.runs, a.up, a.pb) < 0 ||
	    bp_time_floor(&f.floor, &f.floor_sum, &wl.l, a.up) < 0 ||
	    bp_time_dense(&f, &wl, &a) < 0)
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
	bp_runs_free(&f.dense);
	bp_workload_free(&wl);
	return rc;
}
