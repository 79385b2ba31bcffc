/*
 * libb2bcore — b2b_book_load_dir(): the book directory of SPEC §3, read
 * table by table with the CSV reader and fed to the builder, so that a
 * directory and a host's rows go through exactly the same checks.
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "b2b/csv.h"
#include "book_builder.h"

/* Cells of the current record, for add_row. */
typedef struct rec {
	const char **cells;
	size_t *lens;
	size_t cap;
} rec;

static int
rec_fill(const b2b_allocator *a, rec *c, const b2b_csv *r, size_t n)
{
	size_t i;

	if (n > c->cap) {
		const char **cells = b2b__malloc(a, n * sizeof(*cells));
		size_t *lens = b2b__malloc(a, n * sizeof(*lens));

		if (cells == NULL || lens == NULL) {
			b2b__free(a, (void *)cells, n * sizeof(*cells));
			b2b__free(a, lens, n * sizeof(*lens));
			return B2B_ENOMEM;
		}
		b2b__free(a, (void *)c->cells, c->cap * sizeof(*c->cells));
		b2b__free(a, c->lens, c->cap * sizeof(*c->lens));
		c->cells = cells;
		c->lens = lens;
		c->cap = n;
	}
	for (i = 0; i < n; i++)
		c->cells[i] = b2b_csv_field(r, i, &c->lens[i]);
	return 0;
}

/* A CSV error (detail on ctx) as a diagnostic at its file:line:col. */
static int
csv_diag(b2b_book_builder *b, b2b_ctx *ctx, const char *name)
{
	char msg[512];
	long line = b2b_ctx_errline(ctx), col = b2b_ctx_errcol(ctx);

	b2b__text_format(msg, sizeof(msg), "%s", b2b_ctx_errmsg(ctx));
	return b2b__bb_diag(b, ctx, B2B_SEV_ERROR, name, line, col, "%s", msg);
}

int
b2b__book_load_csv(b2b_book_builder *b, b2b_ctx *ctx, b2b_book_table t, b2b_csv *r,
                   const char *name)
{
	const b2b_allocator *a = &b->alloc;
	rec c = { NULL, NULL, 0 };
	size_t n = 0;
	int rc, trusted = b->trusted_utf8, table = 0;

	/* the CSV reader rejects NUL bytes and invalid UTF-8 */
	b->trusted_utf8 = 1;
	rc = b2b_csv_next(r, ctx);
	if (rc == 0) {
		/* An empty file is more likely a failed export than an empty
		 * table: the header row is required (see book.h). */
		rc = b2b__bb_diag(b, ctx, B2B_SEV_ERROR, name, 1, 1,
		                  "expected a header row (%s is empty)", name);
		goto done;
	}
	if (rc == 1) {
		n = b2b_csv_field_count(r);
		if ((rc = rec_fill(a, &c, r, n)) < 0)
			goto done;
		/* the header names are NUL-terminated fields */
		rc = b2b_book_builder_begin_table(b, ctx, t, c.cells, n, name);
		if (rc < 0 && rc != B2B_EBOOK)
			goto done;
		/* a bad header is reported; its file's CSV errors still are */
		table = rc == 0;
		rc = 0;
	}
	/* Read on after a bad header or a bad record: the CSV reader goes on
	 * at the next record after B2B_EPARSE, so every CSV error of the file
	 * is reported. Rows are added only under a header that was read. */
	for (;;) {
		if (rc == B2B_EPARSE) {
			if ((rc = csv_diag(b, ctx, name)) < 0)
				goto done;
		} else if (rc < 0) {
			goto done;
		}
		if ((rc = b2b_csv_next(r, ctx)) == 0)
			break;
		if (rc != 1 || !table)
			continue;
		if ((rc = rec_fill(a, &c, r, n)) < 0)
			goto done;
		rc = b2b_book_builder_add_row(b, ctx, c.cells, c.lens, n, b2b_csv_field_line(r, 0));
		if (rc < 0)
			goto done;
	}
done:
	b->trusted_utf8 = trusted;
	b2b__free(a, (void *)c.cells, c.cap * sizeof(*c.cells));
	b2b__free(a, c.lens, c.cap * sizeof(*c.lens));
	return rc;
}

/* Read one table's file into the builder (see b2b__book_load_csv). */
static int
load_table(b2b_book_builder *b, b2b_ctx *ctx, b2b_book_table t, const char *path,
           const char *name)
{
	b2b_csv *r = NULL;
	int rc;

	if ((rc = b2b_csv_open(&r, ctx, &b->alloc, path, name)) < 0) {
		if (rc != B2B_EPARSE)
			return rc;
		/* the first bytes are already malformed (e.g. invalid UTF-8) */
		return csv_diag(b, ctx, name);
	}
	rc = b2b__book_load_csv(b, ctx, t, r, name);
	b2b_csv_free(r);
	return rc;
}

int
b2b_book_load_dir(b2b_book **out, b2b_ctx *ctx, const b2b_allocator *a, const char *dir)
{
	b2b_book_builder *b = NULL;
	char *path = NULL;
	size_t dlen, plen = 0;
	struct stat st;
	int t, rc;

	if (out == NULL || ctx == NULL || dir == NULL) {
		if (out != NULL)
			*out = NULL;
		return b2b__ctx_seterr(ctx, B2B_EINVAL, "b2b_book_load_dir: NULL argument");
	}
	*out = NULL;
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		rc = b2b__ctx_seterr(ctx, B2B_EIO, "%s: not a readable directory", dir);
		b2b__ctx_setloc(ctx, dir, 0, 0, -1);
		return rc;
	}
	if ((rc = b2b_book_builder_new(&b, ctx, a)) < 0)
		return rc;
	dlen = strlen(dir);
	plen = dlen + 32;
	if ((path = b2b__malloc(&b->alloc, plen)) == NULL) {
		rc = b2b__ctx_seterr(ctx, B2B_ENOMEM, "out of memory");
		goto done;
	}
	for (t = 0; t < B2B_TABLE_COUNT; t++) {
		const char *tname = b2b_book_table_name((b2b_book_table)t);
		char name[32];

		snprintf(name, sizeof(name), "%s.csv", tname);
		snprintf(path, plen, "%s%s%s", dir, dlen > 0 && dir[dlen - 1] == '/' ? "" : "/",
		         name);
		if (stat(path, &st) != 0 && errno == ENOENT) {
			if (t != B2B_TABLE_PRODUCTS)
				continue;   /* optional: an empty table */
			rc = b2b__ctx_seterr(ctx, B2B_EIO, "products.csv: required file missing");
			b2b__ctx_setloc(ctx, "products.csv", 0, 0, -1);
			goto done;
		}
		rc = load_table(b, ctx, (b2b_book_table)t, path, name);
		if (rc < 0) {
			if (rc == B2B_ENOMEM)
				b2b__ctx_seterr(ctx, rc, "out of memory");
			goto done;
		}
	}
	rc = b2b_book_builder_finish(out, ctx, b);
done:
	b2b__free(&b->alloc, path, plen);
	b2b_book_builder_free(b);
	return rc;
}
