/*
 * Tests: book snapshots (SPEC §14, b2b/snapshot.h).
 *  - round trip on the sample book and on random generated books: the
 *    same fingerprint, counts and memory, and the same JSON result for
 *    every (customer, sku, qty) of a grid, and the same batch prices;
 *  - every single-byte corruption of the header and section table and a
 *    sample of the body: refused with the checksum; without it, no crash
 *    and either a refusal or a book whose results are well-formed;
 *  - every truncation length of the header and table and a sample beyond:
 *    a clear error; another format version or byte order: refused with a
 *    message naming both;
 *  - opening errors, the probe, options, reference counting.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "b2b.h"
#include "book_int.h"
#include "snapshot_int.h"
#include "support/testmain.h"

#define SAMPLE B2B_EXAMPLES_DIR "/data/book"

static char tmpdir[256];

static void
mk_tmpdir(void)
{
	snprintf(tmpdir, sizeof tmpdir, "/tmp/b2b_snap_XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void
rm_tmpdir(void)
{
	char cmd[300];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	ck_assert_int_eq(system(cmd), 0);
}

static b2b_book *
load(b2b_ctx *ctx, const char *dir)
{
	b2b_book *b = NULL;
	int rc = b2b_book_load_dir(&b, ctx, NULL, dir);

	if (rc != 0 && b2b_ctx_diag_count(ctx) > 0)
		fprintf(stderr, "%s:%ld: %s\n", b2b_ctx_diag_file(ctx, 0), b2b_ctx_diag_line(ctx, 0),
		        b2b_ctx_diag_message(ctx, 0));
	return rc == 0 ? b : NULL;
}

/* The whole file in an 8-byte aligned heap block. */
static unsigned char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *p;
	long n;

	ck_assert_ptr_nonnull(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	p = aligned_alloc(64, ((size_t)n + 63) / 64 * 64 + 64);
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq(fread(p, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return p;
}

static void
spit(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");

	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(p, 1, n, f), n);
	fclose(f);
}

/* The JSON result of one line, in a buffer the caller frees. */
static char *
price_json(b2b_ctx *ctx, const b2b_book *b, const char *cu, const char *sku, const char *qty)
{
	b2b_price_request *rq;
	const b2b_price *p;
	const char *js;
	size_t len;
	char *out;

	b2b_ctx_reset(ctx);
	ck_assert_int_eq(b2b_price_request_new(&rq, ctx), 0);
	b2b_price_request_set_customer(rq, cu);
	b2b_price_request_set_sku(rq, sku);
	b2b_price_request_set_qty(rq, qty);
	b2b_price_request_set_as_of(rq, "2026-03-15");
	ck_assert_int_eq(b2b_price_compute(&p, ctx, b, rq, NULL), 0);
	ck_assert_int_eq(b2b_price_to_json(&js, &len, ctx, p), 0);
	out = malloc(len + 1);
	memcpy(out, js, len);
	out[len] = '\0';
	return out;
}

static const char *const qtys[] = { "1", "7", "25", "250" };

/* Every line of the grid gives the same JSON on both books; returns the line count. */
static size_t
same_prices(const b2b_book *x, const b2b_book *y, size_t maxc, size_t maxp)
{
	b2b_ctx *ctx;
	size_t nc = b2b_book_count(x, B2B_TABLE_CUSTOMERS), np = b2b_book_count(x, B2B_TABLE_PRODUCTS);
	size_t i, j, k, lines = 0;
	uint32_t *cus, *prs;
	b2b_dec *q, *ux, *uy;
	int *px, *py;
	b2b_time t;
	size_t n = 0;

	ck_assert_int_eq(b2b_ctx_new(&ctx, NULL), 0);
	if (nc > maxc)
		nc = maxc;
	if (np > maxp)
		np = maxp;
	for (i = 0; i < nc; i++)
		for (j = 0; j < np; j++)
			for (k = 0; k < sizeof qtys / sizeof qtys[0]; k++) {
				const char *cu = b2b_book_customer_id(x, (uint32_t)i);
				const char *sku = b2b_book_product_sku(x, (uint32_t)j);
				char *a = price_json(ctx, x, cu, sku, qtys[k]);
				char *bb = price_json(ctx, y, cu, sku, qtys[k]);

				ck_assert_str_eq(a, bb);
				free(a);
				free(bb);
				lines++;
			}
	/* the batch pricer (the plan's fast path) too */
	n = nc * np;
	cus = calloc(n + 1, sizeof *cus);
	prs = calloc(n + 1, sizeof *prs);
	q = calloc(n + 1, sizeof *q);
	ux = calloc(n + 1, sizeof *ux);
	uy = calloc(n + 1, sizeof *uy);
	px = calloc(n + 1, sizeof *px);
	py = calloc(n + 1, sizeof *py);
	for (i = 0; i < n; i++) {
		cus[i] = (uint32_t)(i / np);
		prs[i] = (uint32_t)(i % np);
		ck_assert_int_eq(b2b_dec_parse(&q[i], NULL, qtys[i % 4], strlen(qtys[i % 4]), 0), 0);
	}
	ck_assert_int_eq(b2b_time_parse(&t, NULL, "2026-03-15", 10), 0);
	ck_assert_int_eq(b2b_price_batch(ux, px, ctx, x, cus, prs, q, n, NULL, t), 0);
	ck_assert_int_eq(b2b_price_batch(uy, py, ctx, y, cus, prs, q, n, NULL, t), 0);
	for (i = 0; i < n; i++) {
		ck_assert_int_eq(px[i], py[i]);
		ck_assert(ux[i].lo == uy[i].lo && ux[i].hi == uy[i].hi);
	}
	free(cus); free(prs); free(q); free(ux); free(uy); free(px); free(py);
	b2b_ctx_free(ctx);
	return lines;
}

static void
same_book(const b2b_book *x, const b2b_book *y)
{
	int t;

	ck_assert_str_eq(b2b_book_fingerprint(x), b2b_book_fingerprint(y));
	ck_assert_uint_eq(b2b_book_memory(x), b2b_book_memory(y));
	ck_assert_str_eq(b2b_book_base_currency(x), b2b_book_base_currency(y));
	for (t = 0; t < B2B_TABLE_COUNT; t++)
		ck_assert_uint_eq(b2b_book_count(x, (b2b_book_table)t),
		                  b2b_book_count(y, (b2b_book_table)t));
}

/* Round trip of the sample book, through a file and through a buffer. */
START_TEST(sample_round_trip)
{
	b2b_ctx *ctx;
	b2b_book *b, *s = NULL, *s2 = NULL, *s3 = NULL;
	b2b_snapshot_options o;
	char path[300], path2[300];
	unsigned char *buf, *buf2;
	size_t len, len2;

	mk_tmpdir();
	ck_assert_int_eq(b2b_ctx_new(&ctx, NULL), 0);
	b = load(ctx, SAMPLE);
	ck_assert_ptr_nonnull(b);
	snprintf(path, sizeof path, "%s/book.b2bsnap", tmpdir);
	ck_assert_int_eq(b2b_book_write_snapshot(b, ctx, path), 0);
	ck_assert_int_eq(b2b_snapshot_probe(path), 1);
	ck_assert_int_eq(b2b_book_open_snapshot(&s, ctx, path, NULL), 0);
	ck_assert_ptr_nonnull(s);
	ck_assert_ptr_nonnull(s->plan);
	same_book(b, s);
	ck_assert_uint_gt(same_prices(b, s, 100, 100), 500);

	/* without the checksum; from a buffer */
	ck_assert_int_eq(b2b_snapshot_options_init(&o, B2B_SNAPSHOT_OPTIONS_VERSION), 0);
	o.flags = B2B_SNAPSHOT_NO_CHECKSUM;
	ck_assert_int_eq(b2b_book_open_snapshot(&s2, ctx, path, &o), 0);
	same_book(b, s2);
	buf = slurp(path, &len);
	ck_assert_uint_eq(len % 8, 0);
	ck_assert_int_eq(b2b_book_open_snapshot_buffer(&s3, ctx, buf, len, NULL), 0);
	same_book(b, s3);
	same_prices(b, s3, 5, 100);

	/* a snapshot of the opened book is the same file, byte for byte */
	snprintf(path2, sizeof path2, "%s/again.b2bsnap", tmpdir);
	ck_assert_int_eq(b2b_book_write_snapshot(s, ctx, path2), 0);
	buf2 = slurp(path2, &len2);
	ck_assert_uint_eq(len, len2);
	ck_assert(memcmp(buf, buf2, len) == 0);

	/* the file is the book's memory, give or take the header and section
	 * table (about 2 KB, which the struct records of the book offset) */
	ck_assert_uint_le(len, b2b_book_memory(b) + 2048);

	/* reference counting: the mapping outlives the first unref */
	ck_assert_ptr_eq(b2b_book_ref(s), s);
	b2b_book_unref(s);
	ck_assert_str_eq(b2b_book_fingerprint(s), b2b_book_fingerprint(b));
	b2b_book_unref(s);
	b2b_book_unref(s2);
	b2b_book_unref(s3);
	b2b_book_unref(b);
	free(buf);
	free(buf2);
	b2b_ctx_free(ctx);
	rm_tmpdir();
}
END_TEST

/* ---- random books: a seeded generator of book directories ---- */

static unsigned long long rng;

static unsigned
rnd(unsigned n)
{
	rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)((rng >> 33) % n);
}

static FILE *
csv(const char *dir, const char *name, const char *header)
{
	char p[400];
	FILE *f;

	snprintf(p, sizeof p, "%s/%s", dir, name);
	f = fopen(p, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "%s\n", header);
	return f;
}

static const char *const cats[] = { "a", "a/b", "a/b/c", "a/d", "e", "e/f" };

static void
gen_book(const char *dir, unsigned seed)
{
	unsigned np, nc, nl, nk, i, j;
	FILE *f;

	rng = seed * 7919ULL + 17;
	np = 5 + rnd(40);
	nc = 2 + rnd(10);
	nl = 1 + rnd(5);
	nk = rnd(4);
	f = csv(dir, "settings.csv", "key,value");
	fprintf(f, "base_currency,EUR\nrounding_mode,%s\nunit_price_decimals,%u\n",
	        rnd(2) ? "half_up" : "half_even", 2 + rnd(3));
	fclose(f);
	f = csv(dir, "fx_rates.csv", "from,to,rate,valid_from");
	fprintf(f, "EUR,USD,1.0%u,2026-01-01\n", 10 + rnd(80));
	fclose(f);
	f = csv(dir, "products.csv", "sku,name,category,list_price,cost,currency,min_qty,pack_size");
	for (i = 0; i < np; i++)
		fprintf(f, "P%u,Product %u,%s,%u.%02u,%s,%s,%s,%s\n", i, i, rnd(5) ? cats[rnd(6)] : "",
		        1 + rnd(500), rnd(100), rnd(3) ? "0.5" : "", rnd(9) ? "" : "USD",
		        rnd(7) ? "" : "2", rnd(8) ? "" : "5");
	fclose(f);
	f = csv(dir, "price_lists.csv", "id,currency,priority,parent,applies_to,tier_mode");
	for (i = 0; i < nl; i++) {
		const char *ap[] = { "", "default", "segment:s1", "channel:web" };

		fprintf(f, "L%u,EUR,%u,%s,%s,%s\n", i, rnd(3), i > 0 && rnd(2) ? "L0" : "",
		        ap[rnd(4)], rnd(4) ? "all_units" : "incremental");
	}
	fclose(f);
	/* at most one item per (list, scope, min_qty): keys kept distinct by construction */
	f = csv(dir, "price_list_items.csv", "list,scope,min_qty,compute,price,discount_percent");
	for (i = 0; i < nl; i++) {
		for (j = 0; j < np; j++) {
			if (rnd(3) != 0)
				continue;
			fprintf(f, "L%u,sku:P%u,0,fixed,%u.%02u,\n", i, j, 1 + rnd(400), rnd(100));
			if (rnd(2))
				fprintf(f, "L%u,sku:P%u,10,fixed,%u.50,\n", i, j, 1 + rnd(300));
		}
		if (rnd(2))
			fprintf(f, "L%u,category:%s,0,discount,,%u\n", i, cats[rnd(6)], 1 + rnd(30));
		if (rnd(2))
			fprintf(f, "L%u,all,5,discount,,%u\n", i, 1 + rnd(10));
	}
	fclose(f);
	f = csv(dir, "customers.csv", "id,name,segment,channel,price_lists,catalog");
	for (i = 0; i < nc; i++) {
		fprintf(f, "C%u,Customer %u,%s,%s,", i, i, rnd(2) ? "s1" : "s2", rnd(2) ? "web" : "");
		if (rnd(2)) {
			unsigned l = rnd(nl);

			fprintf(f, "L%u", l);
			if (l != nl - 1 && rnd(2))
				fprintf(f, ";L%u", nl - 1);
		}
		fprintf(f, ",%s\n", rnd(6) ? "" : "category:a");
	}
	fclose(f);
	f = csv(dir, "contracts.csv", "id,customer,policy,allow_promotions");
	for (i = 0; i < nk; i++)
		fprintf(f, "K%u,C%u,%s,%u\n", i, rnd(nc), rnd(2) ? "override" : "best", rnd(2));
	fclose(f);
	f = csv(dir, "contract_items.csv", "contract,scope,min_qty,price,discount_percent");
	for (i = 0; i < nk; i++) {
		for (j = 0; j < np; j++)
			if (rnd(4) == 0)
				fprintf(f, "K%u,sku:P%u,0,%u.10,\n", i, j, 1 + rnd(300));
		if (rnd(2))
			fprintf(f, "K%u,category:e,0,,%u\n", i, 1 + rnd(20));
	}
	fclose(f);
	f = csv(dir, "promotions.csv", "id,kind,value,scope,code,priority,stacking");
	for (i = 0; i < rnd(4); i++)
		fprintf(f, "PR%u,percent,%u,%s,%s,%u,stackable\n", i, 1 + rnd(20),
		        rnd(2) ? "category:a" : "sku:P1", rnd(3) ? "" : "CODE", rnd(3));
	fclose(f);
	f = csv(dir, "dynamic_rules.csv", "id,scope,signal,priority,markup_percent");
	if (rnd(3) == 0)
		fprintf(f, "R1,category:e,cost_plus,1,%u\n", 10 + rnd(50));
	fclose(f);
}

START_TEST(random_round_trip)
{
	b2b_ctx *ctx;
	unsigned seed, ok = 0;
	size_t lines = 0;

	mk_tmpdir();
	ck_assert_int_eq(b2b_ctx_new(&ctx, NULL), 0);
	for (seed = 1; seed <= 40; seed++) {
		char dir[300], path[300];
		b2b_book *b, *s = NULL;

		snprintf(dir, sizeof dir, "%s/book%u", tmpdir, seed);
		ck_assert_int_eq(mkdir(dir, 0755), 0);
		gen_book(dir, seed);
		b2b_ctx_reset(ctx);
		b = load(ctx, dir);
		if (b == NULL)
			continue;
		ok++;
		snprintf(path, sizeof path, "%s/book%u.snap", tmpdir, seed);
		ck_assert_int_eq(b2b_book_write_snapshot(b, ctx, path), 0);
		ck_assert_msg(b2b_book_open_snapshot(&s, ctx, path, NULL) == 0, "%s",
		              b2b_ctx_errmsg(ctx));
		same_book(b, s);
		lines += same_prices(b, s, 20, 50);
		b2b_book_unref(s);
		b2b_book_unref(b);
	}
	ck_assert_uint_ge(ok, 30);   /* the generator makes valid books */
	ck_assert_uint_gt(lines, 5000);
	b2b_ctx_free(ctx);
	rm_tmpdir();
}
END_TEST

/* ---- corruption, truncation, other versions ---- */

static unsigned char *snap;   /* the sample's snapshot */
static size_t snap_len;
static b2b_book *sample;

static void
corrupt_setup(void)
{
	b2b_ctx *ctx;
	char path[300];

	mk_tmpdir();
	ck_assert_int_eq(b2b_ctx_new(&ctx, NULL), 0);
	sample = load(ctx, SAMPLE);
	ck_assert_ptr_nonnull(sample);
	snprintf(path, sizeof path, "%s/s.snap", tmpdir);
	ck_assert_int_eq(b2b_book_write_snapshot(sample, ctx, path), 0);
	snap = slurp(path, &snap_len);
	b2b_ctx_free(ctx);
}

static void
corrupt_teardown(void)
{
	free(snap);
	b2b_book_unref(sample);
	rm_tmpdir();
}

/* A book that opened from a corrupted file still gives well-formed results. */
static void
well_formed(b2b_ctx *ctx, const b2b_book *b)
{
	static const char *const cus[] = { "C-BAUMANN", "C-ALPENBAU", "C-KRONE", "nobody" };
	static const char *const skus[] = { "SCR-W-4x40", "SCR-W-5x60", "ANC-WEDGE-M10", "x" };
	size_t i, j;

	for (i = 0; i < 4; i++)
		for (j = 0; j < 4; j++) {
			char *js = price_json(ctx, b, cus[i], skus[j], "12");
			const b2b_json *v;

			b2b_ctx_reset(ctx);
			ck_assert_int_eq(b2b_json_parse(&v, ctx, js, strlen(js), 0), 0);
			free(js);
		}
	b2b_ctx_reset(ctx);
}

/* Open a copy of the snapshot with byte `at` changed. */
static int
open_changed(b2b_ctx *ctx, size_t at, unsigned char x, unsigned flags, int check_results)
{
	b2b_snapshot_options o = B2B_SNAPSHOT_OPTIONS_INIT;
	b2b_book *b = NULL;
	int rc;

	o.flags = flags;
	snap[at] ^= x;
	b2b_ctx_reset(ctx);
	rc = b2b_book_open_snapshot_buffer(&b, ctx, snap, snap_len, &o);
	snap[at] ^= x;
	if (rc == 0) {
		ck_assert_ptr_nonnull(b);
		if (check_results)
			well_formed(ctx, b);
		b2b_book_unref(b);
	} else {
		ck_assert_int_eq(rc, B2B_EBOOK);
		ck_assert_ptr_null(b);
		ck_assert_msg(strncmp(b2b_ctx_errmsg(ctx), "snapshot (buffer): ", 19) == 0, "%s",
		              b2b_ctx_errmsg(ctx));
	}
	return rc;
}

START_TEST(corrupt_header_and_table)
{
	b2b_ctx *ctx;
	const b2b__snap_header *h = (const b2b__snap_header *)(const void *)snap;
	size_t end = B2B__SNAP_HEADER + h->nsections * sizeof(b2b__snap_section), i;
	static const unsigned char xs[] = { 0x01, 0x80, 0xff };
	unsigned k, refused = 0, tries = 0;

	ck_assert_int_eq(b2b_ctx_new(&ctx, NULL), 0);
	for (i = 0; i < end; i++)
		for (k = 0; k < 3; k++) {
			/* the checksum (or the explicit checks of bytes 0..23) catches every change */
			ck_assert_msg(open_changed(ctx, i, xs[k], 0, 0) == B2B_EBOOK,
			              "byte %zu ^ 0x%02x was accepted", i, xs[k]);
			/* without it: no crash; a refusal or a working book */
			refused += open_changed(ctx, i, xs[k], B2B_SNAPSHOT_NO_CHECKSUM, 1) < 0;
			tries++;
		}
	/* the header fields and the table are checked, not just summed */
	ck_assert_uint_gt(refused, tries / 3);
	b2b_ctx_free(ctx);
}
END_TEST

START_TEST(corrupt_body_sample)
{
	b2b_ctx *ctx;
	const b2b__snap_header *h = (const b2b__snap_header *)(const void *)snap;
	size_t start = B2B__SNAP_HEADER + h->nsections * sizeof(b2b__snap_section), i, n = 0;
	unsigned refused = 0;

	ck_assert_int_eq(b2b_ctx_new(&ctx, NULL), 0);
	rng = 12345;
	for (i = start; i < snap_len; i += 1 + rnd(37), n++) {
		unsigned char x = (unsigned char)(1u << rnd(8));

		ck_assert_msg(open_changed(ctx, i, x, 0, 0) == B2B_EBOOK, "byte %zu accepted", i);
		ck_assert_ptr_nonnull(strstr(b2b_ctx_errmsg(ctx), "checksum mismatch"));
		refused += open_changed(ctx, i, x, B2B_SNAPSHOT_NO_CHECKSUM, (n % 8) == 0) < 0;
		/* and a byte set to all ones: indexes far out of range */
		if (n % 4 == 0) {
			unsigned char old = snap[i];

			open_changed(ctx, i, (unsigned char)(old ^ 0xff), B2B_SNAPSHOT_NO_CHECKSUM,
			             (n % 16) == 0);
		}
	}
	ck_assert_uint_gt(n, 1000);
	ck_assert_uint_gt(refused, 0);
	b2b_ctx_free(ctx);
}
END_TEST

START_TEST(truncated)
{
	b2b_ctx *ctx;
	const b2b__snap_header *h = (const b2b__snap_header *)(const void *)snap;
	size_t end = B2B__SNAP_HEADER + h->nsections * sizeof(b2b__snap_section), n;
	b2b_book *b;
	char path[300];

	ck_assert_int_eq(b2b_ctx_new(&ctx, NULL), 0);
	for (n = 0; n < snap_len; n += n < end ? 1 : 61) {
		unsigned f;

		for (f = 0; f < 2; f++) {
			b2b_snapshot_options o = { B2B_SNAPSHOT_OPTIONS_VERSION, f };
			int rc;

			b = NULL;
			rc = b2b_book_open_snapshot_buffer(&b, ctx, snap, n, &o);
			ck_assert_int_eq(rc, B2B_EBOOK);
			ck_assert_ptr_null(b);
			if (n >= 8 || n == 0)
				ck_assert_msg(strstr(b2b_ctx_errmsg(ctx), n == 0 ? "empty" : "truncated") !=
				              NULL, "%zu: %s", n, b2b_ctx_errmsg(ctx));
		}
	}
	/* through a file: the message names the file and says truncated */
	for (n = 0; n < snap_len; n += n < 300 ? 37 : 100003) {
		snprintf(path, sizeof path, "%s/t.snap", tmpdir);
		spit(path, snap, n);
		b = NULL;
		ck_assert_int_eq(b2b_book_open_snapshot(&b, ctx, path, NULL), B2B_EBOOK);
		ck_assert_msg(n == 0 || strstr(b2b_ctx_errmsg(ctx), "truncated") != NULL, "%zu: %s", n,
		              b2b_ctx_errmsg(ctx));
		ck_assert_ptr_nonnull(strstr(b2b_ctx_errmsg(ctx), path));
		ck_assert_str_eq(b2b_ctx_errfile(ctx), path);
	}
	b2b_ctx_free(ctx);
}
END_TEST

START_TEST(other_version_and_byte_order)
{
	b2b_ctx *ctx;
	b2b__snap_header *h = (b2b__snap_header *)(void *)snap;
	b2b_book *b = NULL;
	uint32_t keep;

	ck_assert_int_eq(b2b_ctx_new(&ctx, NULL), 0);
	keep = h->format;
	h->format = 7;
	ck_assert_int_eq(b2b_book_open_snapshot_buffer(&b, ctx, snap, snap_len, NULL), B2B_EBOOK);
	ck_assert_msg(strstr(b2b_ctx_errmsg(ctx), "format version 7") != NULL &&
	              strstr(b2b_ctx_errmsg(ctx), "reads format version 2") != NULL, "%s",
	              b2b_ctx_errmsg(ctx));
	ck_assert_int_eq(b2b_ctx_erroffset(ctx), 8);
	h->format = keep;
	h->bom = 0x04030201u;
	ck_assert_int_eq(b2b_book_open_snapshot_buffer(&b, ctx, snap, snap_len, NULL), B2B_EBOOK);
	ck_assert_msg(strstr(b2b_ctx_errmsg(ctx), "big-endian") != NULL &&
	              strstr(b2b_ctx_errmsg(ctx), "little-endian") != NULL, "%s",
	              b2b_ctx_errmsg(ctx));
	h->bom = B2B__SNAP_BOM;
	ck_assert_int_eq(b2b_book_open_snapshot_buffer(&b, ctx, snap, snap_len, NULL), 0);
	b2b_book_unref(b);
	b2b_ctx_free(ctx);
}
END_TEST

/* The sum of `len` bytes through the portable stripe loop, in one piece. */
static uint64_t
sum_portable(const unsigned char *p, size_t len)
{
	b2b__snap_sum s;

	b2b__snap_sum_init(&s);
	b2b__snap_sum_stripes_portable(&s, p, len / 64);
	memcpy(s.buf, p + len / 64 * 64, len % 64);
	s.nbuf = len % 64;
	s.total = len;
	return b2b__snap_sum_final(&s);
}

static uint64_t
sum_pieces(const unsigned char *p, size_t len, unsigned seed)
{
	b2b__snap_sum s;
	size_t at = 0;

	b2b__snap_sum_init(&s);
	while (at < len) {
		size_t k;

		seed = seed * 1103515245u + 12345u;
		k = (seed >> 8) % 300;
		k = k > len - at ? len - at : k;
		b2b__snap_sum_update(&s, p + at, k);
		at += k;
	}
	return b2b__snap_sum_final(&s);
}

/* The checksum: the SIMD loop equals the portable one whatever the pieces,
 * its value is pinned (a change is a format change), and it sees every
 * flipped bit and every swap of two stripes. */
START_TEST(checksum_stream)
{
	static unsigned char buf[4096 + 64];
	unsigned seed = 7;
	size_t len, i;

	for (i = 0; i < sizeof buf; i++) {
		seed = seed * 1103515245u + 12345u;
		buf[i] = (unsigned char)(seed >> 16);
	}
	for (len = 0; len <= 700; len++) {
		uint64_t want = sum_portable(buf + len % 8, len);

		ck_assert_uint_eq(sum_pieces(buf + len % 8, len, (unsigned)len), want);
		ck_assert_uint_eq(sum_pieces(buf + len % 8, len, (unsigned)len * 31u + 1u), want);
	}
	ck_assert_uint_eq(sum_pieces(buf, 4096, 3), sum_portable(buf, 4096));
	for (len = 1024; len <= 4096 + 64; len += 37) {   /* long updates: the widest loop */
		b2b__snap_sum one;

		b2b__snap_sum_init(&one);
		b2b__snap_sum_update(&one, buf + 1, 5);
		b2b__snap_sum_update(&one, buf + 6, len - 6);
		ck_assert_uint_eq(b2b__snap_sum_final(&one), sum_portable(buf + 1, len - 1));
	}

	/* pinned: "" and the bytes 0, 1, …, 255 (the same values come out of a
	 * Python transcription of the description in snapshot_sum.c) */
	for (i = 0; i < 256; i++)
		buf[i] = (unsigned char)i;
	ck_assert_uint_eq(sum_portable(buf, 0), UINT64_C(0xabdfaafe1844c863));
	ck_assert_uint_eq(sum_portable(buf, 256), UINT64_C(0x657b56c2c88f35e4));

	for (i = 0; i < 300 * 8; i++) {
		uint64_t before = sum_portable(buf, 300), after;

		buf[i / 8] ^= (unsigned char)(1u << (i % 8));
		after = sum_pieces(buf, 300, (unsigned)i);
		buf[i / 8] ^= (unsigned char)(1u << (i % 8));
		ck_assert_uint_ne(before, after);
	}
	{
		unsigned char sw[256];
		uint64_t before = sum_portable(buf, 256);

		memcpy(sw, buf + 64, 64);
		memcpy(sw + 64, buf, 64);
		memcpy(sw + 128, buf + 128, 128);
		ck_assert_uint_ne(sum_portable(sw, 256), before);
		memcpy(sw, buf, 8);      /* two words of one stripe swapped */
		memcpy(sw + 8, buf + 8, 56);
		memcpy(sw + 64, buf + 64, 64);
		memcpy(sw + 8, buf + 16, 8);
		memcpy(sw + 16, buf + 8, 8);
		ck_assert_uint_ne(sum_portable(sw, 256), before);
	}
}
END_TEST

/* The section of `kind` in the snapshot (NULL when it has none). */
static b2b__snap_section *
section_of(uint16_t kind)
{
	const b2b__snap_header *h = (const b2b__snap_header *)(const void *)snap;
	b2b__snap_section *tab = (b2b__snap_section *)(void *)(snap + B2B__SNAP_HEADER);
	uint32_t i;

	for (i = 0; i < h->nsections; i++)
		if (tab[i].kind == kind)
			return &tab[i];
	return NULL;
}

/* Open the snapshot without its checksum: B2B_EBOOK with `what` in the message. */
static void
refused_with(b2b_ctx *ctx, const char *what)
{
	b2b_snapshot_options o = B2B_SNAPSHOT_OPTIONS_INIT;
	b2b_book *b = NULL;

	o.flags = B2B_SNAPSHOT_NO_CHECKSUM;
	b2b_ctx_reset(ctx);
	ck_assert_int_eq(b2b_book_open_snapshot_buffer(&b, ctx, snap, snap_len, &o), B2B_EBOOK);
	ck_assert_ptr_null(b);
	ck_assert_msg(strstr(b2b_ctx_errmsg(ctx), what) != NULL, "%s", b2b_ctx_errmsg(ctx));
}

/*
 * The items' side table (section 29): the sample book has discount items
 * (8 %, 22 %, …), which have one; its records and the items' indexes into
 * it are checked like every other field.
 */
START_TEST(item_ext_checked)
{
	b2b_ctx *ctx;
	b2b__snap_section *si = section_of(10), *sx = section_of(29);
	b2b__item *items;
	b2b__item_ext *ext;
	size_t i, with = 0;
	uint32_t keep;

	ck_assert_int_eq(b2b_ctx_new(&ctx, NULL), 0);
	ck_assert_ptr_nonnull(si);
	ck_assert_ptr_nonnull(sx);
	ck_assert_uint_eq(si->elem, 64);
	ck_assert_uint_eq(sx->elem, sizeof(b2b__item_ext));
	ck_assert_uint_eq(sx->count, sample->nitem_ext);
	items = (b2b__item *)(void *)(snap + si->offset);
	ext = (b2b__item_ext *)(void *)(snap + sx->offset);
	for (i = 0; i < si->count; i++)
		with += items[i].ext != B2B__NONE;
	ck_assert_uint_gt(with, 0);
	ck_assert_uint_lt(with, si->count);
	/* the first item that has an extension: its index one past the table */
	for (i = 0; items[i].ext == B2B__NONE; i++)
		;
	keep = items[i].ext;
	items[i].ext = sx->count;
	refused_with(ctx, ".ext: ");
	items[i].ext = keep;
	/* a flag that is neither 0 nor 1, a window form that is not known */
	ck_assert_int_eq(ext[0].discount_percent.set, 1);   /* BASE category:…, 8 % */
	ext[0].discount_percent.set = 2;
	refused_with(ctx, "item_ext[0].discount_percent: flag 2 is not 0 or 1");
	ext[0].discount_percent.set = 1;
	ext[sx->count - 1].window.until_form = 7;
	refused_with(ctx, "valid_until form: 7 is not a known value");
	ext[sx->count - 1].window.until_form = 0;
	/* the item's own flag and padding */
	keep = items[0].price_set;
	items[0].price_set = 2;
	refused_with(ctx, "items[0].price: flag 2 is not 0 or 1");
	items[0].price_set = (uint8_t)keep;
	items[0].pad = 1;
	refused_with(ctx, "padding byte 1 is not 0");
	items[0].pad = 0;
	b2b_ctx_free(ctx);
}
END_TEST

START_TEST(errors_and_probe)
{
	b2b_ctx *ctx;
	b2b_book *b = (b2b_book *)1;
	b2b_snapshot_options o;
	char path[300];

	ck_assert_int_eq(b2b_ctx_new(&ctx, NULL), 0);
	ck_assert_int_eq(b2b_book_open_snapshot(&b, ctx, "/nonexistent/x.snap", NULL), B2B_EIO);
	ck_assert_ptr_null(b);
	ck_assert_ptr_nonnull(strstr(b2b_ctx_errmsg(ctx), "/nonexistent/x.snap"));
	ck_assert_ptr_nonnull(strstr(b2b_ctx_errmsg(ctx), "no such file"));
	ck_assert_int_eq(b2b_book_open_snapshot(&b, ctx, SAMPLE, NULL), B2B_EIO);
	ck_assert_int_eq(b2b_book_open_snapshot(&b, ctx, SAMPLE "/products.csv", NULL), B2B_EBOOK);
	ck_assert_ptr_nonnull(strstr(b2b_ctx_errmsg(ctx), "not a snapshot"));
	ck_assert_int_eq(b2b_book_open_snapshot(NULL, ctx, SAMPLE, NULL), B2B_EINVAL);
	ck_assert_int_eq(b2b_book_open_snapshot(&b, NULL, SAMPLE, NULL), B2B_EINVAL);
	ck_assert_int_eq(b2b_book_open_snapshot(&b, ctx, NULL, NULL), B2B_EINVAL);
	ck_assert_int_eq(b2b_book_open_snapshot_buffer(&b, ctx, snap + 4, 64, NULL), B2B_EINVAL);
	ck_assert_int_eq(b2b_book_write_snapshot(NULL, ctx, "x"), B2B_EINVAL);
	ck_assert_int_eq(b2b_book_write_snapshot(sample, ctx, "/nonexistent/dir/x.snap"), B2B_EIO);
	ck_assert_ptr_nonnull(strstr(b2b_ctx_errmsg(ctx), "/nonexistent/dir/x.snap"));

	ck_assert_int_eq(b2b_snapshot_options_init(NULL, 1), B2B_EINVAL);
	ck_assert_int_eq(b2b_snapshot_options_init(&o, 0), B2B_EVERSION);
	ck_assert_int_eq(b2b_snapshot_options_init(&o, 2), B2B_EVERSION);
	ck_assert_int_eq(b2b_snapshot_options_init(&o, 1), 0);
	ck_assert_uint_eq(o.flags, 0);
	o.flags = 2;
	ck_assert_int_eq(b2b_book_open_snapshot_buffer(&b, ctx, snap, snap_len, &o), B2B_EINVAL);
	o.flags = 0;
	o.version = 9;
	ck_assert_int_eq(b2b_book_open_snapshot_buffer(&b, ctx, snap, snap_len, &o), B2B_EVERSION);

	snprintf(path, sizeof path, "%s/p.snap", tmpdir);
	spit(path, snap, snap_len);
	ck_assert_int_eq(b2b_snapshot_probe(path), 1);
	ck_assert_int_eq(b2b_snapshot_probe(SAMPLE), 0);
	ck_assert_int_eq(b2b_snapshot_probe(SAMPLE "/products.csv"), 0);
	ck_assert_int_eq(b2b_snapshot_probe("/nonexistent/x"), B2B_EIO);
	ck_assert_int_eq(b2b_snapshot_probe(NULL), B2B_EINVAL);
	b2b_ctx_free(ctx);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("snapshot");
	TCase *t = tcase_create("round_trip");
	TCase *c = tcase_create("corrupt");

	tcase_set_timeout(t, 240);
	tcase_add_test(t, sample_round_trip);
	tcase_add_test(t, random_round_trip);
	tcase_add_test(t, checksum_stream);
	suite_add_tcase(s, t);
	tcase_set_timeout(c, 240);
	tcase_add_checked_fixture(c, corrupt_setup, corrupt_teardown);
	tcase_add_test(c, corrupt_header_and_table);
	tcase_add_test(c, corrupt_body_sample);
	tcase_add_test(c, truncated);
	tcase_add_test(c, other_version_and_byte_order);
	tcase_add_test(c, errors_and_probe);
	tcase_add_test(c, item_ext_checked);
	suite_add_tcase(s, c);
	return s;
}

int
main(void)
{
	return b2b_test_run(suite());
}
