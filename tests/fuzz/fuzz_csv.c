/*
 * Fuzz target: the CSV reader. Every input is read three times through
 * the callback reader (all at once, one byte per read, and in chunks of
 * 2..14 bytes chosen by the first byte), going on after each bad record
 * (B2B_EPARSE) to the end; the records, the field positions and the
 * errors (code, line, column, message) must be the same each time. Each
 * call makes progress (no more records and errors than line breaks + 1),
 * errors come in line order, and each message is UTF-8.
 * No crash, no leak, no sanitizer report.
 *
 * libFuzzer build (outside meson), from the repository root:
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -DB2B_STATIC \
 *     -Iinclude -Isrc/core -Isrc/io -I<builddir>/include tests/fuzz/fuzz_csv.c \
 *     src/io/csv.c src/core/alloc.c src/core/ctx.c src/core/error.c \
 *     src/core/text.c -o /tmp/fuzz_csv
 *   /tmp/fuzz_csv -max_total_time=600 -max_len=4096 -dict=tests/fuzz/csv.dict \
 *     /tmp/csv-corpus tests/fuzz/corpus/csv
 *
 * meson links the same file with tests/fuzz/replay.c and replays
 * tests/fuzz/corpus/csv/ as the test fuzz-replay-csv.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "b2b.h"
#include "../support/utf8_check.h"

typedef struct src {
	const uint8_t *data;
	size_t len, pos, chunk;
} src;

static long
src_read(void *ud, char *buf, size_t size)
{
	src *s = ud;
	size_t n = s->len - s->pos;

	if (n > size)
		n = size;
	if (s->chunk != 0 && n > s->chunk)
		n = s->chunk;
	memcpy(buf, s->data + s->pos, n);
	s->pos += n;
	return (long)n;
}

typedef struct out {
	char *p;
	size_t len, cap;
} out;

static void
put(out *o, const void *s, size_t n)
{
	if (o->len + n > o->cap) {
		o->cap = (o->len + n) * 2 + 64;
		o->p = realloc(o->p, o->cap);
		if (o->p == NULL)
			abort();
	}
	memcpy(o->p + o->len, s, n);
	o->len += n;
}

/* Everything observable about one read of the input, serialised. */
static out
read_all(const uint8_t *data, size_t size, size_t chunk)
{
	src s = { data, size, 0, chunk };
	out o = { NULL, 0, 0 };
	b2b_ctx *ctx;
	b2b_csv *r;
	size_t calls = 0, breaks = 0, i;
	long last_line = 0;
	int rc;

	for (i = 0; i < size; i++)
		breaks += data[i] == '\n';
	if (b2b_ctx_new(&ctx, NULL) < 0 || b2b_csv_new(&r, NULL, NULL, src_read, &s, "fuzz.csv") < 0)
		abort();
	while ((rc = b2b_csv_next(r, ctx)) != 0) {
		size_t n = b2b_csv_field_count(r);

		if (++calls > breaks + 1)
			abort();                 /* a call that read nothing */
		if (rc < 0) {
			long info[3] = { rc, b2b_ctx_errline(ctx), b2b_ctx_errcol(ctx) };
			const char *m = b2b_ctx_errmsg(ctx);

			if (rc != B2B_EPARSE || m[0] == '\0' || info[1] < 1 || info[2] < 1 ||
			    info[1] < last_line || n != 0 || !b2b_test_utf8_ok(m, strlen(m)))
				abort();
			last_line = info[1];
			put(&o, info, sizeof(info));
			put(&o, m, strlen(m));
			put(&o, "!", 1);
			continue;
		}
		if (n == 0)
			abort();
		for (i = 0; i < n; i++) {
			size_t len;
			const char *f = b2b_csv_field(r, i, &len);
			long pos[2] = { b2b_csv_field_line(r, i), b2b_csv_field_col(r, i) };

			if (f[len] != '\0' || memchr(f, '\0', len) != NULL)
				abort();
			if (pos[0] < 1 || pos[1] < 1 || pos[0] < last_line)
				abort();
			put(&o, &len, sizeof(len));
			put(&o, f, len);
			put(&o, pos, sizeof(pos));
		}
		put(&o, "\n", 1);
	}
	/* after the end, the end again */
	if (b2b_csv_next(r, ctx) != 0 || b2b_csv_field_count(r) != 0)
		abort();
	put(&o, "$", 1);                 /* the end (and never an empty output) */
	b2b_csv_free(r);
	b2b_ctx_free(ctx);
	return o;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	out whole = read_all(data, size, 0);
	out bytes = read_all(data, size, 1);
	out chunks = read_all(data, size, size > 0 ? (size_t)(data[0] % 13) + 2 : 2);

	if (whole.len != bytes.len || memcmp(whole.p, bytes.p, whole.len) != 0)
		abort();
	if (whole.len != chunks.len || memcmp(whole.p, chunks.p, whole.len) != 0)
		abort();
	free(whole.p);
	free(bytes.p);
	free(chunks.p);
	return 0;
}
