/*
 * Fuzz target: the book builder through the CSV loader's code path.
 * The input holds tables, each introduced by a line `%<table>` (e.g.
 * `%products`, `%price_list_items`) and followed by that table's CSV
 * text; an input without such a line is all products. The book is built
 * twice, from the same input: the result (status, diagnostics,
 * fingerprint) must be the same. A book is built exactly when no error
 * was reported; a failed build reports at least one error. No crash, no
 * leak, no sanitizer report.
 *
 * libFuzzer build (outside meson), from the repository root:
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -DB2B_STATIC \
 *     -Iinclude -Isrc -I<builddir>/include tests/fuzz/fuzz_book.c \
 *     <builddir>/src/static/libb2bcore.a -o /tmp/fuzz_book
 *   /tmp/fuzz_book -max_total_time=600 -max_len=4096 /tmp/book-corpus \
 *     tests/fuzz/corpus/book
 *
 * meson links the same file with tests/fuzz/replay.c and replays
 * tests/fuzz/corpus/book/ as the test fuzz-replay-book.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "b2b.h"
#include "book_builder.h"

typedef struct src {
	const uint8_t *data;
	size_t len, pos;
} src;

static long
src_read(void *ud, char *buf, size_t size)
{
	src *s = ud;
	size_t n = s->len - s->pos;

	if (n > size)
		n = size;
	memcpy(buf, s->data + s->pos, n);
	s->pos += n;
	return (long)n;
}

/* The table named by a `%name` line, or -1. */
static int
table_of(const uint8_t *p, size_t n)
{
	int t;

	for (t = 0; t < B2B_TABLE_COUNT; t++) {
		const char *name = b2b_book_table_name((b2b_book_table)t);

		if (strlen(name) == n && memcmp(name, p, n) == 0)
			return t;
	}
	return -1;
}

typedef struct result {
	int rc;
	size_t ndiags, errors;
	char fingerprint[65];
	unsigned long diag_hash;
} result;

static void
build(const uint8_t *data, size_t size, result *res)
{
	b2b_book_builder *b = NULL;
	b2b_book *book = NULL;
	b2b_ctx *ctx = NULL;
	size_t pos = 0, i;
	int t = B2B_TABLE_PRODUCTS;

	if (b2b_ctx_new(&ctx, NULL) < 0 || b2b_book_builder_new(&b, NULL, NULL) < 0)
		abort();
	if (size > 0 && data[0] != '%')
		t = B2B_TABLE_PRODUCTS;
	while (pos <= size) {
		size_t start = pos, end;
		char name[40];
		b2b_csv *r = NULL;
		src s;

		/* a `%table` line starts a section */
		if (pos < size && data[pos] == '%') {
			const uint8_t *nl = memchr(data + pos, '\n', size - pos);
			size_t ln = nl != NULL ? (size_t)(nl - data) - pos - 1 : size - pos - 1;

			t = table_of(data + pos + 1, ln);
			start = pos = nl != NULL ? (size_t)(nl - data) + 1 : size;
		}
		/* the section runs to the next line that starts with '%' */
		for (end = pos; end < size; end++)
			if (data[end] == '%' && (end == 0 || data[end - 1] == '\n'))
				break;
		pos = end;
		if (t >= 0 && end > start) {
			snprintf(name, sizeof(name), "%s.csv", b2b_book_table_name((b2b_book_table)t));
			s.data = data + start;
			s.len = end - start;
			s.pos = 0;
			if (b2b_csv_new(&r, NULL, NULL, src_read, &s, name) < 0)
				abort();
			if (b2b__book_load_csv(b, ctx, (b2b_book_table)t, r, name) < 0)
				abort();
			b2b_csv_free(r);
		}
		if (pos >= size)
			break;
	}
	res->rc = b2b_book_builder_finish(&book, ctx, b);
	res->ndiags = b2b_ctx_diag_count(ctx);
	res->errors = 0;
	res->diag_hash = 5381;
	for (i = 0; i < res->ndiags; i++) {
		const char *m = b2b_ctx_diag_message(ctx, i);

		if (b2b_ctx_diag_severity(ctx, i) == B2B_SEV_ERROR)
			res->errors++;
		res->diag_hash = res->diag_hash * 33 + (unsigned long)b2b_ctx_diag_line(ctx, i) * 7 +
		                 (unsigned long)b2b_ctx_diag_col(ctx, i);
		while (*m != '\0')
			res->diag_hash = res->diag_hash * 33 + (unsigned char)*m++;
	}
	res->fingerprint[0] = '\0';
	if (res->rc == 0) {
		const b2b_book *k = book;

		if (book == NULL)
			abort();
		snprintf(res->fingerprint, sizeof(res->fingerprint), "%s", b2b_book_fingerprint(book));
		/* the frozen book answers lookups of its own keys */
		for (i = 0; i < k->nproducts; i++) {
			const char *sku = b2b__s(k, k->products[i].sku);

			if (b2b__book_product(k, sku, strlen(sku)) != i)
				abort();
		}
		for (i = 0; i < k->nlists; i++) {
			const char *id = b2b__s(k, k->lists[i].id);

			if (b2b__book_list(k, id, strlen(id)) != i)
				abort();
		}
	} else if (book != NULL || res->rc != B2B_EBOOK ||
	           (res->errors == 0 && !b2b_ctx_diag_truncated(ctx))) {
		fprintf(stderr, "fuzz_book: rc=%d book=%p errors=%zu\n", res->rc, (void *)book,
		        res->errors);
		abort();
	}
	if (res->rc == 0 && res->errors != 0)
		abort();
	b2b_book_unref(book);
	b2b_book_builder_free(b);
	b2b_ctx_free(ctx);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	result r1, r2;

	build(data, size, &r1);
	build(data, size, &r2);
	if (r1.rc != r2.rc || r1.ndiags != r2.ndiags || r1.diag_hash != r2.diag_hash ||
	    strcmp(r1.fingerprint, r2.fingerprint) != 0)
		abort();
	return 0;
}
