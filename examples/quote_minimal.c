/*
 * quote_minimal — load a book, price a quote request, print the document.
 *
 *   build/examples/quote_minimal examples/data/book examples/data/quote_request.json
 *
 * The shape every host follows: one immutable book, shared; one ctx per
 * thread or request; results borrowed from the ctx until it is reset.
 */
#include <stdio.h>
#include <stdlib.h>

#include <b2b.h>

static char *
read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0 || (buf = malloc((size_t)n + 1)) == NULL ||
	    fread(buf, 1, (size_t)n, f) != (size_t)n) {
		perror(path);
		free(buf);
		if (f != NULL)
			fclose(f);
		return NULL;
	}
	fclose(f);
	*len = (size_t)n;
	return buf;
}

int
main(int argc, char **argv)
{
	b2b_ctx *ctx = NULL;
	b2b_book *book = NULL;
	const b2b_quote *q = NULL;
	const char *json = NULL;
	char *request;
	size_t len = 0, i;
	int rc, status = 2;

	if (argc != 3) {
		fprintf(stderr, "usage: %s BOOK_DIR REQUEST.json\n", argv[0]);
		return 2;
	}
	if ((request = read_all(argv[2], &len)) == NULL)
		return 2;
	if (b2b_ctx_new(&ctx, NULL) < 0)
		return 2;
	if ((rc = b2b_book_load_dir(&book, ctx, NULL, argv[1])) < 0) {
		for (i = 0; i < b2b_ctx_diag_count(ctx); i++)
			fprintf(stderr, "%s:%ld:%ld: %s\n", b2b_ctx_diag_file(ctx, i),
			        b2b_ctx_diag_line(ctx, i), b2b_ctx_diag_col(ctx, i),
			        b2b_ctx_diag_message(ctx, i));
		if (b2b_ctx_diag_count(ctx) == 0)
			fprintf(stderr, "%s: %s\n", argv[1], b2b_strerror(rc));
		b2b_ctx_free(ctx);
		free(request);
		return 2;
	}
	b2b_ctx_reset(ctx);
	rc = b2b_quote_from_json(&q, ctx, book, request, len, NULL);
	if (rc == 0) {                           /* priced, or q lists every problem */
		if (b2b_quote_to_json(&json, NULL, ctx, q) == 0)
			fputs(json, stdout);
		status = b2b_quote_ok(q) ? 0 : 1;
		if (b2b_quote_ok(q)) {
			char total[B2B_DEC_FORMAT_MAX];

			b2b_dec_format(total, sizeof(total), NULL, b2b_quote_total(q),
			               b2b_quote_minor_units(q), B2B_ROUND_HALF_UP);
			fprintf(stderr, "total %s %s, approval level %d\n", total,
			        b2b_quote_currency(q), b2b_quote_approval_level(q));
		}
	} else {
		fprintf(stderr, "%s: %s (line %ld, column %ld)\n", argv[2], b2b_ctx_errmsg(ctx),
		        b2b_ctx_errline(ctx), b2b_ctx_errcol(ctx));
	}
	b2b_ctx_reset(ctx);                      /* drops q; keeps the arena */
	b2b_book_unref(book);
	b2b_ctx_free(ctx);
	free(request);
	return status;
}
