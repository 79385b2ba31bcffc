/*
 * Tests: pricing, quoting, order validation and batch pricing on shared
 * books, by many threads at once, while the host swaps books.
 *
 * Two books: the sample book (examples/data/book, loaded from its
 * directory) and a variant built here through the builder API from the
 * same CSV files with every list price raised by 1, so that results
 * differ between the two. Up front, on one thread, every request is run
 * on each book and its result kept, keyed by the book's fingerprint; on
 * the sample book the documents must equal the example responses of
 * examples/data/, and every document and some batch price must differ
 * on the variant.
 *
 * Then WORKERS threads, each with its own b2b_ctx, loop: take a reference
 * to the host's current book, run one operation on it, compare the result
 * with the one kept for that book's fingerprint (documents byte for byte,
 * batch prices and problems value by value), reset the ctx and drop the
 * reference. The kinds of operation:
 *  - price:    b2b_price_compute() + b2b_price_to_json() of the request
 *              in price_request.txt (the `b2b price` options);
 *  - quote:    b2b_quote_from_json() + b2b_quote_to_json() of
 *              quote_request.json;
 *  - validate: b2b_order_validate_json() + b2b_validation_to_json() of
 *              each order in orders/ (NAME.json) in turn;
 *  - batch:    b2b_price_batch() over the skus and quantities of the
 *              quote request and the price request, for each of their two
 *              customers (handles resolved on the book in hand).
 * The kind is the sequence number of the reference taken, modulo 4, so
 * that every PER_SWAP references in a row run every kind equally often.
 *
 * A swapper thread builds a fresh book SWAPS times (alternately the
 * variant and the sample), publishes it, drops the host's reference to
 * the old one, and waits until PER_SWAP references to the new book have
 * been taken before the next swap: every book published is used by every
 * kind, and old books are freed by whichever thread drops the last
 * reference, often a worker in the middle of its loop. The books use a
 * counting allocator, which must be back to zero bytes at the end.
 *
 * The publication protocol is the one documented at b2b_book_ref() in
 * b2b/book.h: readers take their reference under the host's mutex
 * ("lock; b = current; b2b_book_ref(b); unlock"); the swapper stores the
 * new pointer under the same mutex and calls b2b_book_unref() on the old
 * one after unlocking. Run under -Db_sanitize=thread.
 *
 * Calls whose signature or return convention may change are made through
 * one small wrapper each (run_price, run_quote, run_batch).
 */
#include <glob.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "b2b.h"
#include "support/testmain.h"

#define WORKERS 8
#define SWAPS 40
#define PER_SWAP 32       /* references taken on each published book */
#define MAX_ORDERS 8
#define MAX_LINES 32      /* lines of the batch */
#define MAX_COLS 64
#define NBOOKS 2          /* 0: the sample book, 1: the variant */

#define DATA_DIR B2B_EXAMPLES_DIR "/data"
#define BOOK_DIR DATA_DIR "/book"

enum { OP_PRICE, OP_QUOTE, OP_VALIDATE, OP_BATCH, NKINDS };
static const char *const kind_name[NKINDS] = { "price", "quote", "validate", "batch" };
static const char *const book_name[NBOOKS] = { "sample", "variant" };

/* ------------------------------------------------------------------ */
/* Calls of the library whose signatures may change: one line each.    */

/* 0 when the request priced without problems, else -1. */
static int
run_price(const b2b_price **out, b2b_ctx *ctx, const b2b_book *book,
          const b2b_price_request *req)
{
	return b2b_price_compute(out, ctx, book, req, NULL) == 0 &&
	       b2b_price_error_count(*out) == 0 ? 0 : -1;
}

/* 0 when the request was quoted without problems, else -1. */
static int
run_quote(const b2b_quote **out, b2b_ctx *ctx, const b2b_book *book, const char *json,
          size_t len)
{
	return b2b_quote_from_json(out, ctx, book, json, len, NULL) == 0 &&
	       b2b_quote_error_count(*out) == 0 ? 0 : -1;
}

static int
run_batch(b2b_dec *unit_prices, int *problems, b2b_ctx *ctx, const b2b_book *book,
          const uint32_t *customers, const uint32_t *products, const b2b_dec *qtys,
          size_t n, b2b_time as_of)
{
	return b2b_price_batch(unit_prices, problems, ctx, book, customers, products, qtys, n,
	                       NULL, as_of);
}

/* ------------------------------------------------------------------ */
/* Counting allocator of every book: live bytes must end at zero.     */

static atomic_llong live_bytes;
static atomic_long book_allocs, book_frees, book_frees_by_workers;
static _Thread_local int in_worker;

static void *
count_malloc(void *ud, size_t size)
{
	void *p = malloc(size);

	(void)ud;
	if (p != NULL) {
		atomic_fetch_add(&live_bytes, (long long)size);
		atomic_fetch_add(&book_allocs, 1);
	}
	return p;
}

static void *
count_realloc(void *ud, void *ptr, size_t old_size, size_t new_size)
{
	void *p = realloc(ptr, new_size);

	(void)ud;
	if (p != NULL)
		atomic_fetch_add(&live_bytes, (long long)new_size - (long long)old_size);
	return p;
}

static void
count_free(void *ud, void *ptr, size_t size)
{
	(void)ud;
	atomic_fetch_sub(&live_bytes, (long long)size);
	atomic_fetch_add(&book_frees, 1);
	if (in_worker)
		atomic_fetch_add(&book_frees_by_workers, 1);
	free(ptr);
}

static const b2b_allocator counting = { count_malloc, count_realloc, count_free, NULL };

/* ------------------------------------------------------------------ */
/* The two books.                                                      */

static b2b_book *
load_sample(b2b_ctx *ctx)
{
	b2b_book *book = NULL;

	if (b2b_book_load_dir(&book, ctx, &counting, BOOK_DIR) != 0)
		return NULL;
	return book;
}

/* `text` + 1 into buf; 0 or a B2B_E* code. */
static int
raise_price(char *buf, size_t size, const char *text, size_t len)
{
	b2b_dec d, one;
	int rc;

	if ((rc = b2b_dec_parse(&d, NULL, text, len, 0)) != 0 ||
	    (rc = b2b_dec_from_units(&one, 1, 0)) != 0 ||
	    (rc = b2b_dec_add(&d, d, one)) != 0)
		return rc;
	return b2b_dec_format(buf, size, NULL, d, B2B_DEC_SCALE_EXACT, B2B_ROUND_HALF_UP);
}

/* One table of the sample book fed row by row; list prices raised by 1. */
static int
feed_table(b2b_book_builder *bb, b2b_ctx *ctx, b2b_book_table t, const char *path,
           const char *name)
{
	const char *cells[MAX_COLS];
	size_t lens[MAX_COLS], n, i, price_col = MAX_COLS;
	char raised[B2B_DEC_FORMAT_MAX];
	b2b_csv *r;
	int rc;

	if ((rc = b2b_csv_open(&r, ctx, NULL, path, name)) != 0)
		return rc;
	if ((rc = b2b_csv_next(r, ctx)) != 1 || (n = b2b_csv_field_count(r)) > MAX_COLS) {
		b2b_csv_free(r);
		return rc < 0 ? rc : B2B_EINVAL;
	}
	for (i = 0; i < n; i++) {
		cells[i] = b2b_csv_field(r, i, NULL);
		if (t == B2B_TABLE_PRODUCTS && strcmp(cells[i], "list_price") == 0)
			price_col = i;
	}
	rc = b2b_book_builder_begin_table(bb, ctx, t, cells, n, name);
	while (rc == 0 && (rc = b2b_csv_next(r, ctx)) == 1) {
		for (i = 0; i < n; i++)
			cells[i] = b2b_csv_field(r, i, &lens[i]);
		if (price_col < n && lens[price_col] > 0) {
			rc = raise_price(raised, sizeof raised, cells[price_col], lens[price_col]);
			if (rc != 0)
				break;
			cells[price_col] = raised;
			lens[price_col] = strlen(raised);
		}
		rc = b2b_book_builder_add_row(bb, ctx, cells, lens, n, b2b_csv_field_line(r, 0));
	}
	b2b_csv_free(r);
	return rc;
}

/* The variant: the sample book's files through the builder, every list price + 1. */
static b2b_book *
build_variant(b2b_ctx *ctx)
{
	b2b_book_builder *bb;
	b2b_book *book = NULL;
	int t, rc = 0;

	if (b2b_book_builder_new(&bb, NULL, &counting) != 0)
		return NULL;
	for (t = 0; t < B2B_TABLE_COUNT && rc == 0; t++) {
		char path[512], name[64];

		snprintf(name, sizeof name, "%s.csv", b2b_book_table_name((b2b_book_table)t));
		snprintf(path, sizeof path, "%s/%s", BOOK_DIR, name);
		if (access(path, R_OK) == 0)       /* a missing table is empty */
			rc = feed_table(bb, ctx, (b2b_book_table)t, path, name);
	}
	if (rc == 0 && b2b_book_builder_finish(&book, ctx, bb) != 0)
		book = NULL;
	b2b_book_builder_free(bb);
	return book;
}

/* A fresh book with content k, built on its own ctx; NULL on failure. */
static b2b_book *
make_book(int k)
{
	b2b_ctx *ctx;
	b2b_book *book;

	if (b2b_ctx_new(&ctx, NULL) != 0)
		return NULL;
	book = k == 0 ? load_sample(ctx) : build_variant(ctx);
	if (book == NULL)
		fprintf(stderr, "threads: building the %s book: %s (%zu diagnostics)\n",
		        book_name[k], b2b_ctx_errmsg(ctx), b2b_ctx_diag_count(ctx));
	b2b_ctx_free(ctx);
	return book;
}

/* ------------------------------------------------------------------ */
/* The requests (read once) and the reference results per book.       */

typedef int (*price_setter)(b2b_price_request *req, const char *value);

static struct {
	price_setter set;
	char *value;
} price_fields[16];
static size_t n_price_fields;

static char *quote_json;
static size_t quote_len;
static char *order_json[MAX_ORDERS], *order_file[MAX_ORDERS];
static size_t order_len[MAX_ORDERS], n_orders;

/* Batch lines: customer id, sku and quantity. */
static char *batch_customer[MAX_LINES], *batch_sku[MAX_LINES];
static b2b_dec batch_qty[MAX_LINES];
static size_t n_batch;
static b2b_time batch_as_of;

typedef struct result {
	char fp[65];
	char *price;
	size_t price_len;
	char *quote;
	size_t quote_len;
	char *validation[MAX_ORDERS];
	size_t validation_len[MAX_ORDERS];
	b2b_dec unit_prices[MAX_LINES];
	int problems[MAX_LINES];
} result;

static result refs[NBOOKS];

static char *
read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	ck_assert_msg(f != NULL, "cannot open %s", path);
	ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	ck_assert_int_ge(n, 0);
	rewind(f);
	buf = malloc((size_t)n + 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	if (len != NULL)
		*len = (size_t)n;
	return buf;
}

static char *
dup_str(const char *s)
{
	char *d = malloc(strlen(s) + 1);

	ck_assert_ptr_nonnull(d);
	return strcpy(d, s);
}

/* price_request.txt is a `b2b price` command line; --book is ours to give. */
static void
read_price_request(void)
{
	static const struct {
		const char *opt;
		price_setter set;
	} opts[] = {
		{ "--customer", b2b_price_request_set_customer },
		{ "--sku", b2b_price_request_set_sku },
		{ "--qty", b2b_price_request_set_qty },
		{ "--as-of", b2b_price_request_set_as_of },
		{ "--currency", b2b_price_request_set_currency },
		{ "--channel", b2b_price_request_set_channel },
		{ "--code", b2b_price_request_add_code },
	};
	char *text = read_file(DATA_DIR "/price_request.txt", NULL), *save = NULL, *opt, *val;
	size_t i;

	opt = strtok_r(text, " \t\r\n", &save);
	ck_assert_str_eq(opt, "price");
	n_price_fields = 0;
	while ((opt = strtok_r(NULL, " \t\r\n", &save)) != NULL) {
		val = strtok_r(NULL, " \t\r\n", &save);
		ck_assert_msg(val != NULL, "price_request.txt: %s without a value", opt);
		if (strcmp(opt, "--book") == 0)
			continue;
		for (i = 0; i < sizeof opts / sizeof opts[0]; i++)
			if (strcmp(opt, opts[i].opt) == 0)
				break;
		ck_assert_msg(i < sizeof opts / sizeof opts[0], "price_request.txt: unknown %s", opt);
		ck_assert_uint_lt(n_price_fields, sizeof price_fields / sizeof price_fields[0]);
		price_fields[n_price_fields].set = opts[i].set;
		price_fields[n_price_fields].value = dup_str(val);
		n_price_fields++;
	}
	free(text);
}

static void
read_orders(void)
{
	glob_t g;
	size_t i, n;

	ck_assert_int_eq(glob(DATA_DIR "/orders/*.json", 0, NULL, &g), 0);
	n_orders = 0;
	for (i = 0; i < g.gl_pathc; i++) {
		const char *p = g.gl_pathv[i];

		n = strlen(p);
		if (n > 14 && strcmp(p + n - 14, ".expected.json") == 0)
			continue;
		ck_assert_uint_lt(n_orders, MAX_ORDERS);
		order_file[n_orders] = dup_str(p);
		order_json[n_orders] = read_file(p, &order_len[n_orders]);
		n_orders++;
	}
	globfree(&g);
	ck_assert_uint_ge(n_orders, 3);
}

/* ------------------------------------------------------------------ */
/* The operations: each writes its output on ctx; 0 or -1.            */

static int
price_doc(const char **doc, size_t *len, b2b_ctx *ctx, const b2b_book *book)
{
	b2b_price_request *req;
	const b2b_price *p;
	size_t i;

	if (b2b_price_request_new(&req, ctx) != 0)
		return -1;
	for (i = 0; i < n_price_fields; i++)
		if (price_fields[i].set(req, price_fields[i].value) != 0)
			return -1;
	if (run_price(&p, ctx, book, req) != 0)
		return -1;
	return b2b_price_to_json(doc, len, ctx, p) == 0 ? 0 : -1;
}

static int
quote_doc(const char **doc, size_t *len, b2b_ctx *ctx, const b2b_book *book)
{
	const b2b_quote *q;

	if (run_quote(&q, ctx, book, quote_json, quote_len) != 0)
		return -1;
	return b2b_quote_to_json(doc, len, ctx, q) == 0 ? 0 : -1;
}

static int
validation_doc(const char **doc, size_t *len, b2b_ctx *ctx, const b2b_book *book, size_t o)
{
	const b2b_validation *v;

	if (b2b_order_validate_json(&v, ctx, book, order_json[o], order_len[o], NULL) != 0)
		return -1;
	return b2b_validation_to_json(doc, len, ctx, v) == 0 ? 0 : -1;
}

static int
batch_prices(b2b_dec *unit_prices, int *problems, b2b_ctx *ctx, const b2b_book *book)
{
	uint32_t customers[MAX_LINES], products[MAX_LINES];
	size_t i;

	for (i = 0; i < n_batch; i++)
		if (b2b_book_find_customer(&customers[i], book, batch_customer[i],
		                           strlen(batch_customer[i])) != 0 ||
		    b2b_book_find_product(&products[i], book, batch_sku[i],
		                          strlen(batch_sku[i])) != 0)
			return -1;
	return run_batch(unit_prices, problems, ctx, book, customers, products, batch_qty,
	                 n_batch, batch_as_of) == 0 ? 0 : -1;
}

static int
book_index(const b2b_book *book)
{
	const char *fp = b2b_book_fingerprint(book);
	int k;

	for (k = 0; k < NBOOKS; k++)
		if (strcmp(fp, refs[k].fp) == 0)
			return k;
	return -1;
}

static char *
dup_mem(const char *s, size_t len)
{
	char *d = malloc(len + 1);

	ck_assert_ptr_nonnull(d);
	memcpy(d, s, len);
	d[len] = '\0';
	return d;
}

/* The batch lines: the quote request's and the price request's skus and
 * quantities, for the customer of each (quote computed on `book`). */
static void
collect_batch_lines(b2b_ctx *ctx, const b2b_book *book)
{
	const char *customers[2], *price_customer = NULL, *price_sku = NULL;
	const char *price_qty = NULL, *price_as_of = NULL;
	const b2b_quote *q;
	b2b_dec qty;
	size_t i, c, nq;

	for (i = 0; i < n_price_fields; i++) {
		if (price_fields[i].set == b2b_price_request_set_customer)
			price_customer = price_fields[i].value;
		else if (price_fields[i].set == b2b_price_request_set_sku)
			price_sku = price_fields[i].value;
		else if (price_fields[i].set == b2b_price_request_set_qty)
			price_qty = price_fields[i].value;
		else if (price_fields[i].set == b2b_price_request_set_as_of)
			price_as_of = price_fields[i].value;
	}
	ck_assert_ptr_nonnull(price_customer);
	ck_assert_ptr_nonnull(price_sku);
	ck_assert_ptr_nonnull(price_qty);
	ck_assert_ptr_nonnull(price_as_of);
	ck_assert_int_eq(b2b_time_parse(&batch_as_of, NULL, price_as_of, strlen(price_as_of)), 0);
	ck_assert_int_eq(run_quote(&q, ctx, book, quote_json, quote_len), 0);
	customers[0] = b2b_quote_customer(q);
	customers[1] = price_customer;
	ck_assert_str_ne(customers[0], customers[1]);
	nq = b2b_quote_line_count(q);
	ck_assert_uint_le(2 * (nq + 1), MAX_LINES);
	n_batch = 0;
	for (c = 0; c < 2; c++) {
		for (i = 0; i <= nq; i++) {
			batch_customer[n_batch] = dup_str(customers[c]);
			if (i < nq) {
				batch_sku[n_batch] = dup_str(b2b_quote_line_sku(q, i));
				batch_qty[n_batch] = b2b_quote_line_qty(q, i);
			} else {
				batch_sku[n_batch] = dup_str(price_sku);
				ck_assert_int_eq(b2b_dec_parse(&qty, NULL, price_qty, strlen(price_qty),
				                               0), 0);
				batch_qty[n_batch] = qty;
			}
			n_batch++;
		}
	}
	b2b_ctx_reset(ctx);
}

static void
compute_refs(result *r, b2b_ctx *ctx, const b2b_book *book)
{
	const char *doc;
	size_t len, o, i;

	memcpy(r->fp, b2b_book_fingerprint(book), sizeof r->fp);
	ck_assert_int_eq(price_doc(&doc, &len, ctx, book), 0);
	r->price = dup_mem(doc, len);
	r->price_len = len;
	ck_assert_int_eq(quote_doc(&doc, &len, ctx, book), 0);
	r->quote = dup_mem(doc, len);
	r->quote_len = len;
	for (o = 0; o < n_orders; o++) {
		ck_assert_int_eq(validation_doc(&doc, &len, ctx, book, o), 0);
		r->validation[o] = dup_mem(doc, len);
		r->validation_len[o] = len;
	}
	ck_assert_int_eq(batch_prices(r->unit_prices, r->problems, ctx, book), 0);
	for (i = 0; i < n_batch; i++)
		ck_assert_msg(r->problems[i] == B2B_BATCH_OK, "batch line %zu (%s, %s): problem %d",
		              i, batch_customer[i], batch_sku[i], r->problems[i]);
	b2b_ctx_reset(ctx);
}

static void
setup(void)
{
	b2b_ctx *ctx;
	b2b_book *books[NBOOKS];
	int k;

	atomic_init(&live_bytes, 0);
	atomic_init(&book_allocs, 0);
	atomic_init(&book_frees, 0);
	atomic_init(&book_frees_by_workers, 0);
	read_price_request();
	quote_json = read_file(DATA_DIR "/quote_request.json", &quote_len);
	read_orders();
	ck_assert_int_eq(b2b_ctx_new(&ctx, NULL), 0);
	for (k = 0; k < NBOOKS; k++) {
		books[k] = make_book(k);
		ck_assert_ptr_nonnull(books[k]);
	}
	collect_batch_lines(ctx, books[0]);
	for (k = 0; k < NBOOKS; k++) {
		compute_refs(&refs[k], ctx, books[k]);
		b2b_book_unref(books[k]);
	}
	b2b_ctx_free(ctx);
	ck_assert_str_ne(refs[0].fp, refs[1].fp);
}

static void
teardown(void)
{
	size_t i;
	int k;

	for (k = 0; k < NBOOKS; k++) {
		free(refs[k].price);
		free(refs[k].quote);
		for (i = 0; i < n_orders; i++)
			free(refs[k].validation[i]);
	}
	memset(refs, 0, sizeof refs);
	for (i = 0; i < n_price_fields; i++)
		free(price_fields[i].value);
	for (i = 0; i < n_orders; i++) {
		free(order_json[i]);
		free(order_file[i]);
	}
	for (i = 0; i < n_batch; i++) {
		free(batch_customer[i]);
		free(batch_sku[i]);
	}
	free(quote_json);
	n_price_fields = n_orders = n_batch = 0;
}

static void
assert_file_eq(const char *doc, size_t len, const char *path)
{
	size_t want_len;
	char *want = read_file(path, &want_len);

	ck_assert_msg(len == want_len && memcmp(doc, want, len) == 0,
	              "result differs from %s:\n%s", path, doc);
	free(want);
}

/* The references are right: the sample book's documents are the example
 * responses, the variant's all differ, and so do some batch prices. */
START_TEST(test_references)
{
	size_t o, i, ndiff = 0;
	char path[1024];

	assert_file_eq(refs[0].price, refs[0].price_len, DATA_DIR "/price_response.json");
	assert_file_eq(refs[0].quote, refs[0].quote_len, DATA_DIR "/quote_response.json");
	for (o = 0; o < n_orders; o++) {
		size_t n = strlen(order_file[o]);

		snprintf(path, sizeof path, "%.*s.expected.json", (int)(n - 5), order_file[o]);
		assert_file_eq(refs[0].validation[o], refs[0].validation_len[o], path);
	}
	ck_assert_str_ne(refs[0].price, refs[1].price);
	ck_assert_str_ne(refs[0].quote, refs[1].quote);
	for (o = 0; o < n_orders; o++)
		ck_assert_str_ne(refs[0].validation[o], refs[1].validation[o]);
	for (i = 0; i < n_batch; i++)
		ndiff += b2b_dec_cmp(refs[0].unit_prices[i], refs[1].unit_prices[i]) != 0;
	ck_assert_uint_gt(ndiff, n_batch / 2);
	ck_assert_uint_eq(n_batch, 22);   /* 2 customers x (10 quote lines + 1) */
	ck_assert_int_gt(atomic_load(&book_allocs), 0);
	ck_assert_int_eq(atomic_load(&live_bytes), 0);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Host, workers, swapper.                                             */

typedef struct host {
	pthread_mutex_t mu;
	b2b_book *cur;              /* protected by mu */
	unsigned long seq;          /* protected by mu: references taken so far */
	atomic_int done;
} host;

/* A reference to the current book, and its sequence number. */
static b2b_book *
host_acquire(host *h, unsigned long *seq)
{
	b2b_book *b;

	pthread_mutex_lock(&h->mu);
	b = b2b_book_ref(h->cur);
	*seq = h->seq++;
	pthread_mutex_unlock(&h->mu);
	return b;
}

/* Publish b; returns the sequence number of the first reference to it. */
static unsigned long
host_publish(host *h, b2b_book *b)
{
	b2b_book *old;
	unsigned long seq;

	pthread_mutex_lock(&h->mu);
	old = h->cur;
	h->cur = b;
	seq = h->seq;
	pthread_mutex_unlock(&h->mu);
	b2b_book_unref(old);
	return seq;
}

static unsigned long
host_seq(host *h)
{
	unsigned long seq;

	pthread_mutex_lock(&h->mu);
	seq = h->seq;
	pthread_mutex_unlock(&h->mu);
	return seq;
}

typedef struct worker {
	host *h;
	int id;
	long ops[NKINDS][NBOOKS];
	long failures, mismatches, unknown_books;
} worker;

/* Run operation `kind` on book k; 0 equal to the reference, 1 different, -1 failed. */
static int
run_op(b2b_ctx *ctx, const b2b_book *book, int k, int kind, unsigned long seq)
{
	const result *r = &refs[k];
	const char *doc;
	size_t len, o, i;
	b2b_dec up[MAX_LINES];
	int pb[MAX_LINES];

	switch (kind) {
	case OP_PRICE:
		if (price_doc(&doc, &len, ctx, book) != 0)
			return -1;
		return len != r->price_len || memcmp(doc, r->price, len) != 0;
	case OP_QUOTE:
		if (quote_doc(&doc, &len, ctx, book) != 0)
			return -1;
		return len != r->quote_len || memcmp(doc, r->quote, len) != 0;
	case OP_VALIDATE:
		o = (seq / NKINDS) % n_orders;
		if (validation_doc(&doc, &len, ctx, book, o) != 0)
			return -1;
		return len != r->validation_len[o] || memcmp(doc, r->validation[o], len) != 0;
	default:
		if (batch_prices(up, pb, ctx, book) != 0)
			return -1;
		for (i = 0; i < n_batch; i++)
			if (pb[i] != r->problems[i] || b2b_dec_cmp(up[i], r->unit_prices[i]) != 0)
				return 1;
		return 0;
	}
}

static void *
worker_main(void *arg)
{
	worker *w = arg;
	b2b_ctx *ctx;

	in_worker = 1;
	if (b2b_ctx_new(&ctx, NULL) != 0) {
		w->failures++;
		return NULL;
	}
	while (!atomic_load(&w->h->done)) {
		unsigned long seq;
		b2b_book *b = host_acquire(w->h, &seq);
		int k = book_index(b), kind = (int)(seq % NKINDS), rc;

		if (k < 0) {
			w->unknown_books++;
		} else {
			rc = run_op(ctx, b, k, kind, seq);
			if (rc != 0) {
				if (rc < 0)
					w->failures++;
				else
					w->mismatches++;
				if (w->failures + w->mismatches == 1)
					fprintf(stderr, "threads: worker %d: %s on the %s book %s (%s)\n",
					        w->id, kind_name[kind], book_name[k],
					        rc < 0 ? "failed" : "differs from the single-threaded result",
					        b2b_ctx_errmsg(ctx));
			}
			w->ops[kind][k]++;
		}
		b2b_ctx_reset(ctx);
		b2b_book_unref(b);
	}
	b2b_ctx_free(ctx);
	return NULL;
}

typedef struct swapper {
	host *h;
	int swaps;
	long failures;
} swapper;

static void
wait_for_references(host *h, unsigned long until)
{
	while (host_seq(h) < until)
		sched_yield();
}

static void *
swapper_main(void *arg)
{
	swapper *s = arg;
	unsigned long first = 0;
	int i;

	for (i = 0; i < SWAPS; i++) {
		b2b_book *b = make_book((i + 1) % NBOOKS);

		wait_for_references(s->h, first + PER_SWAP);
		if (b == NULL) {
			s->failures++;
			continue;
		}
		first = host_publish(s->h, b);
		s->swaps++;
	}
	wait_for_references(s->h, first + PER_SWAP);
	atomic_store(&s->h->done, 1);
	return NULL;
}

START_TEST(test_workers_and_swapper)
{
	host h;
	swapper sw = { &h, 0, 0 };
	pthread_t wt[WORKERS], st;
	worker w[WORKERS];
	long ops[NKINDS][NBOOKS] = { { 0 } }, total = 0;
	struct timespec t0, t1;
	int i, kind, k;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	pthread_mutex_init(&h.mu, NULL);
	h.cur = make_book(0);
	ck_assert_ptr_nonnull(h.cur);
	h.seq = 0;
	atomic_init(&h.done, 0);
	memset(w, 0, sizeof w);
	for (i = 0; i < WORKERS; i++) {
		w[i].h = &h;
		w[i].id = i;
		ck_assert_int_eq(pthread_create(&wt[i], NULL, worker_main, &w[i]), 0);
	}
	ck_assert_int_eq(pthread_create(&st, NULL, swapper_main, &sw), 0);
	ck_assert_int_eq(pthread_join(st, NULL), 0);
	for (i = 0; i < WORKERS; i++)
		ck_assert_int_eq(pthread_join(wt[i], NULL), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);

	for (i = 0; i < WORKERS; i++) {
		ck_assert_int_eq(w[i].failures, 0);
		ck_assert_int_eq(w[i].mismatches, 0);
		ck_assert_int_eq(w[i].unknown_books, 0);
		for (kind = 0; kind < NKINDS; kind++)
			for (k = 0; k < NBOOKS; k++) {
				ops[kind][k] += w[i].ops[kind][k];
				total += w[i].ops[kind][k];
			}
	}
	ck_assert_int_eq(sw.failures, 0);
	ck_assert_int_eq(sw.swaps, SWAPS);
	/* every published book (SWAPS + the first) got PER_SWAP references,
	 * which run every kind PER_SWAP / NKINDS times */
	for (kind = 0; kind < NKINDS; kind++)
		for (k = 0; k < NBOOKS; k++)
			ck_assert_int_ge(ops[kind][k], (SWAPS / 2) * (PER_SWAP / NKINDS));
	ck_assert_int_ge(total, (SWAPS + 1) * PER_SWAP);
	/* the last book published: content SWAPS % 2, the host's reference only */
	ck_assert_str_eq(b2b_book_fingerprint(h.cur), refs[SWAPS % NBOOKS].fp);
	b2b_book_unref(h.cur);
	pthread_mutex_destroy(&h.mu);
	/* every book dropped on the way was freed, by whichever thread let go last */
	ck_assert_int_eq(atomic_load(&live_bytes), 0);

	fprintf(stderr, "threads: %d workers, %d swaps, %ld operations in %.2f s\n", WORKERS,
	        sw.swaps, total,
	        (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	for (kind = 0; kind < NKINDS; kind++)
		fprintf(stderr, "threads:   %-8s %6ld (sample book %ld, variant %ld)\n",
		        kind_name[kind], ops[kind][0] + ops[kind][1], ops[kind][0], ops[kind][1]);
	fprintf(stderr, "threads: blocks of books and builders freed: %ld, %ld of them by "
	        "workers dropping a book's last reference\n", atomic_load(&book_frees),
	        atomic_load(&book_frees_by_workers));
}
END_TEST

static Suite *
threads_suite(void)
{
	Suite *s = suite_create("threads");
	TCase *tc = tcase_create("Core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, test_references);
	tcase_add_test(tc, test_workers_and_swapper);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return b2b_test_run(threads_suite());
}
