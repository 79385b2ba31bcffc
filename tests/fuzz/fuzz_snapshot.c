/*
 * Fuzz target: the snapshot opener (b2b/snapshot.h) on arbitrary bytes.
 * The input is opened as a snapshot from a buffer WITH
 * B2B_SNAPSHOT_NO_CHECKSUM, so that the structural checks (header,
 * section table, every record) are what stands between the bytes and the
 * pricer. A refused input must be B2B_EBOOK with a message; an accepted
 * one must be usable: a grid of lines is priced one by one (JSON result,
 * which must parse) and in a batch, and a quote is priced. Then
 * the same input is opened with the checksum, which must refuse it unless
 * it is intact. No crash, no leak, no sanitizer report, no endless loop.
 *
 * libFuzzer build: tests/fuzz/build.sh OUTDIR snapshot, then
 *   OUTDIR/fuzz_snapshot -max_total_time=1800 -max_len=65536 \
 *       OUTDIR/corpus-snapshot tests/fuzz/corpus/snapshot
 *
 * meson links the same file with tests/fuzz/replay.c and replays
 * tests/fuzz/corpus/snapshot/ as the test fuzz-replay-snapshot.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "b2b.h"

#define CHECK(x) do { if (!(x)) abort(); } while (0)

static void
use_book(b2b_ctx *ctx, const b2b_book *b)
{
	static const char *const qtys[] = { "1", "12", "1000" };
	size_t nc = b2b_book_count(b, B2B_TABLE_CUSTOMERS);
	size_t np = b2b_book_count(b, B2B_TABLE_PRODUCTS);
	uint32_t cus[24], prs[24];
	b2b_dec q[24], up[24];
	int pb[24];
	size_t i, j, k, n = 0;
	const char *fp = b2b_book_fingerprint(b);
	b2b_time t;

	CHECK(strlen(fp) == 64);
	(void)b2b_book_base_currency(b);
	(void)b2b_book_memory(b);
	if (nc > 4)
		nc = 4;
	if (np > 6)
		np = 6;
	for (i = 0; i < nc; i++)
		for (j = 0; j < np; j++)
			for (k = 0; k < 3; k++) {
				b2b_price_request *rq;
				const b2b_price *p;
				const b2b_json *v;
				const char *js;
				size_t len;

				/* handles are 0 .. count - 1 (b2b_book_count) */
				CHECK(b2b_book_customer_id(b, (uint32_t)i) != NULL);
				CHECK(b2b_book_product_sku(b, (uint32_t)j) != NULL);
				b2b_ctx_reset(ctx);
				CHECK(b2b_price_request_new(&rq, ctx) == 0);
				b2b_price_request_set_customer(rq, b2b_book_customer_id(b, (uint32_t)i));
				b2b_price_request_set_sku(rq, b2b_book_product_sku(b, (uint32_t)j));
				b2b_price_request_set_qty(rq, qtys[k]);
				b2b_price_request_set_as_of(rq, k == 1 ? "2026-06-15" : "2025-01-01");
				if (k == 2)
					b2b_price_request_add_code(rq, "SPRING");
				if (b2b_price_compute(&p, ctx, b, rq, NULL) != 0)
					continue;
				CHECK(b2b_price_to_json(&js, &len, ctx, p) == 0);
				CHECK(b2b_json_parse(&v, ctx, js, len, 0) == 0);
				if (n < 24) {
					cus[n] = (uint32_t)i;
					prs[n] = (uint32_t)j;
					CHECK(b2b_dec_parse(&q[n], NULL, qtys[k], strlen(qtys[k]), 0) == 0);
					n++;
				}
			}
	b2b_ctx_reset(ctx);
	CHECK(b2b_time_parse(&t, NULL, "2026-03-01", 10) == 0);
	(void)b2b_price_batch(up, pb, ctx, b, cus, prs, q, n, NULL, t);
	if (nc > 0 && np > 0) {
		char req[512];
		const b2b_quote *qu;

		snprintf(req, sizeof req,
		         "{\"quote_id\":\"Q1\",\"customer\":\"%s\",\"as_of\":\"2026-03-01\","
		         "\"lines\":[{\"sku\":\"%s\",\"qty\":\"3\"},{\"sku\":\"%s\",\"qty\":\"40\"}]}",
		         b2b_book_customer_id(b, 0), b2b_book_product_sku(b, 0),
		         b2b_book_product_sku(b, (uint32_t)(np - 1)));
		b2b_ctx_reset(ctx);
		if (strchr(b2b_book_customer_id(b, 0), '"') == NULL &&
		    strchr(b2b_book_product_sku(b, 0), '"') == NULL &&
		    b2b_quote_from_json(&qu, ctx, b, req, strlen(req), NULL) == 0) {
			const char *js;

			CHECK(b2b_quote_to_json(&js, NULL, ctx, qu) == 0);
		}
	}
	b2b_ctx_reset(ctx);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	b2b_snapshot_options o = B2B_SNAPSHOT_OPTIONS_INIT;
	b2b_book *b = NULL, *b2 = NULL;
	b2b_ctx *ctx;
	unsigned char *buf;
	int rc, rc2;

	buf = aligned_alloc(64, size / 64 * 64 + 64);
	CHECK(buf != NULL);
	if (size > 0)
		memcpy(buf, data, size);
	CHECK(b2b_ctx_new(&ctx, NULL) == 0);
	o.flags = B2B_SNAPSHOT_NO_CHECKSUM;
	rc = b2b_book_open_snapshot_buffer(&b, ctx, buf, size, &o);
	if (rc == 0) {
		CHECK(b != NULL);
		use_book(ctx, b);
		b2b_book_unref(b);
	} else {
		CHECK(rc == B2B_EBOOK && b == NULL && b2b_ctx_errmsg(ctx)[0] != '\0');
	}
	b2b_ctx_reset(ctx);
	rc2 = b2b_book_open_snapshot_buffer(&b2, ctx, buf, size, NULL);
	CHECK(rc2 == 0 || rc2 == B2B_EBOOK);
	CHECK(rc2 != 0 || rc == 0);   /* the checksum only ever refuses more */
	b2b_book_unref(b2);
	b2b_ctx_free(ctx);
	free(buf);
	return 0;
}
