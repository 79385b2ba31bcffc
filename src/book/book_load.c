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
#include "csv_int.h"

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

/*
 * Records read ahead of the one given to add_row. The rows of a file are
 * independent until freeze, and interning their keys waits on memory: a
 * random slot of a hash table far larger than the cache, then the pooled
 * string a match is compared with. So each record is taken over from the
 * reader into a ring of AHEAD records when it is read (its text, not a
 * copy) and its keys are hashed and their slots fetched; AHEAD / 2
 * records later the pooled strings they match are fetched, and AHEAD
 * records later the record is added, in file order as before. A key equal
 * to the record before's is not hashed nor fetched again: the column's
 * memo or the cache has it.
 */
#define AHEAD 16
#define AHEAD_KEYS 4            /* key columns fetched ahead, at most */

typedef struct ahead {
	char *text[AHEAD];      /* each record's text, from the reader */
	size_t text_cap[AHEAD];
	long line[AHEAD];
	const char **cells;     /* AHEAD * n pointers into text[] */
	size_t *lens;           /* AHEAD * n */
	uint32_t hash[AHEAD][AHEAD_KEYS];
	uint8_t fetch[AHEAD][AHEAD_KEYS];   /* 1: the key's slot was fetched */
	size_t key_col[AHEAD_KEYS];
	uint8_t key_sku[AHEAD_KEYS];        /* a scope: only sku:X names a key (X) */
	size_t nkeys, n, head, count;
} ahead;

static void
ahead_free(const b2b_allocator *a, const b2b_csv *r, ahead *q)
{
	size_t k;

	for (k = 0; k < AHEAD; k++)
		b2b__csv_text_free(r, q->text[k], q->text_cap[k]);
	b2b__free(a, (void *)q->cells, AHEAD * q->n * sizeof(*q->cells));
	b2b__free(a, q->lens, AHEAD * q->n * sizeof(*q->lens));
}

/* Set up the ring for the records of a table of n columns under the
 * current segment's header. */
static int
ahead_init(const b2b_book_builder *b, ahead *q, size_t n)
{
	const b2b_allocator *a = &b->alloc;
	const b2b__seg *seg = (const b2b__seg *)b->segs.p + b->cur;
	const b2b__tabspec *ts = &b2b__bb_tables[seg->table];
	size_t i;

	memset(q, 0, sizeof(*q));
	if (n == 0)
		return 0;
	q->cells = b2b__malloc(a, AHEAD * n * sizeof(*q->cells));
	q->lens = b2b__malloc(a, AHEAD * n * sizeof(*q->lens));
	if (q->cells == NULL || q->lens == NULL) {
		b2b__free(a, (void *)q->cells, AHEAD * n * sizeof(*q->cells));
		b2b__free(a, q->lens, AHEAD * n * sizeof(*q->lens));
		q->cells = NULL;
		q->lens = NULL;
		return B2B_ENOMEM;
	}
	q->n = n;
	for (i = 0; i < n && i < seg->ncols && q->nkeys < AHEAD_KEYS; i++) {
		int f = seg->col_field[i], type = f >= 0 ? ts->cols[f].type : -1;

		if (type == B2B__FT_KEY || type == B2B__FT_SCOPE) {
			q->key_col[q->nkeys] = i;
			q->key_sku[q->nkeys] = type == B2B__FT_SCOPE;
			q->nkeys++;
		}
	}
	return 0;
}

/* Take the current record of r over to the end of the ring; hash its keys
 * and fetch their slots. */
static void
ahead_push(const b2b_book_builder *b, ahead *q, b2b_csv *r)
{
	size_t k = (q->head + q->count) % AHEAD, kp = (k + AHEAD - 1) % AHEAD, i, j;
	const char **cells = q->cells + k * q->n, *const *pcells = q->cells + kp * q->n;
	size_t *lens = q->lens + k * q->n;
	const size_t *plens = q->lens + kp * q->n;

	for (i = 0; i < q->n; i++)
		cells[i] = b2b_csv_field(r, i, &lens[i]);
	q->line[k] = b2b_csv_field_line(r, 0);
	b2b__csv_swap_text(r, &q->text[k], &q->text_cap[k]);
	for (j = 0; j < q->nkeys; j++) {
		const char *s = cells[q->key_col[j]];
		size_t len = lens[q->key_col[j]];
		uint32_t h;

		if (q->key_sku[j]) {
			if (len > 4 && memcmp(s, "sku:", 4) == 0) {
				s += 4;
				len -= 4;
			} else {
				len = 0;
			}
		}
		q->fetch[k][j] = 0;
		if (len == 0) {
			q->hash[k][j] = 0;
		} else if (q->count > 0 && plens[q->key_col[j]] == lens[q->key_col[j]] &&
		           memcmp(pcells[q->key_col[j]], cells[q->key_col[j]],
		                  lens[q->key_col[j]]) == 0) {
			q->hash[k][j] = q->hash[kp][j];   /* a repeat */
		} else {
			h = b2b__bb_hash(s, len);
			q->hash[k][j] = h;
			q->fetch[k][j] = 1;
			b2b__bb_prefetch_slot(b, h);
		}
	}
	q->count++;
}

/* Fetch the pooled strings that the keys of the record at ring position
 * pos (0 = the oldest) match. */
static void
ahead_match(const b2b_book_builder *b, const ahead *q, size_t pos)
{
	size_t k = (q->head + pos) % AHEAD, j;

	for (j = 0; j < q->nkeys; j++)
		if (q->fetch[k][j])
			b2b__bb_prefetch_match(b, q->hash[k][j]);
}

/* Add the oldest record of the ring. */
static int
ahead_pop(b2b_book_builder *b, b2b_ctx *ctx, ahead *q)
{
	size_t k = q->head;

	q->head = (q->head + 1) % AHEAD;
	q->count--;
	return b2b_book_builder_add_row(b, ctx, q->cells + k * q->n, q->lens + k * q->n, q->n,
	                                q->line[k]);
}

/* Add every record of the ring, oldest first. */
static int
ahead_flush(b2b_book_builder *b, b2b_ctx *ctx, ahead *q)
{
	int rc;

	while (q->count > 0)
		if ((rc = ahead_pop(b, ctx, q)) < 0)
			return rc;
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
	ahead q;
	size_t n = 0;
	int rc, trusted = b->trusted_utf8, table = 0;

	memset(&q, 0, sizeof(q));
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
		if (table && (rc = ahead_init(b, &q, n)) < 0)
			goto done;
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
		rc = b2b_csv_next(r, ctx);
		if (rc != 1 || !table) {
			/* the records read ahead come first (the CSV error, if
			 * any, stays on ctx: adding rows does not touch it) */
			int frc = ahead_flush(b, ctx, &q);

			if (frc < 0) {
				rc = frc;
				goto done;
			}
			if (rc == 0)
				break;
			continue;
		}
		ahead_push(b, &q, r);
		if (q.count > AHEAD / 2)
			ahead_match(b, &q, q.count - 1 - AHEAD / 2);
		if (q.count == AHEAD && (rc = ahead_pop(b, ctx, &q)) < 0)
			goto done;
	}
done:
	b->trusted_utf8 = trusted;
	ahead_free(a, r, &q);
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
