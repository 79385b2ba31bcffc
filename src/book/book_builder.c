/*
 * libb2bcore — the book builder API (b2b/book.h): a builder, its tables
 * (each header matched against the table's columns) and rows (each cell
 * parsed, then the row checked and stored). The tables' columns and row
 * checks are in book_tables.c, cells are parsed in book_cells.c;
 * references between tables and cross-row rules are checked at finish
 * (book_freeze.c).
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <string.h>

#include "book_builder.h"

/*===========================================================================
 * MARK: - Public API
 *===========================================================================*/

/* A stored row that had a problem of its own: the cross-row checks at
 * finish that would only repeat it skip it. */
static void
mark_bad(b2b__rowrd *r, int t)
{
	b2b__vec *v = &r->b->locs[t];

	if (r->bad && r->pushed)
		((b2b__rowloc *)v->p)[v->n - 1].seg |= B2B__ROW_BAD;
}

int
b2b_book_builder_new(b2b_book_builder **out, b2b_ctx *ctx, const b2b_allocator *a)
{
	b2b_allocator al;
	b2b_book_builder *b;

	if (out == NULL)
		return b2b__ctx_seterr(ctx, B2B_EINVAL, "b2b_book_builder_new: out is NULL");
	*out = NULL;
	b2b__alloc_init(&al, a);
	if ((b = b2b__calloc(&al, 1, sizeof(*b))) == NULL)
		return b2b__ctx_seterr(ctx, B2B_ENOMEM, "out of memory");
	b->alloc = al;
	b->cur = SIZE_MAX;
	b->base_ccy = B2B__CCY_UNSET;
	b->settings.rounding = B2B_ROUND_HALF_UP;
	b->settings.unit_price_decimals = 4;
	b2b_dec_from_units(&b->settings.max_discount_percent, 100, 0);
	/* the pool starts with the empty string at offset 0 */
	if ((b->pool = b2b__malloc(&al, 4096)) == NULL) {
		b2b__free(&al, b, sizeof(*b));
		return b2b__ctx_seterr(ctx, B2B_ENOMEM, "out of memory");
	}
	b->pool_cap = 4096;
	b->pool[0] = '\0';
	b->pool_len = 1;
	*out = b;
	return 0;
}

void
b2b_book_builder_free(b2b_book_builder *b)
{
	b2b_allocator a;
	size_t i;

	if (b == NULL)
		return;
	a = b->alloc;
	for (i = 0; i < b->segs.n; i++) {
		b2b__seg *s = (b2b__seg *)b->segs.p + i;

		if (s->source != NULL)
			b2b__free(&a, s->source, s->source_len + 1);
		b2b__free(&a, s->col_field, s->ncols);
	}
	b2b__bb_vec_free(&a, &b->segs, sizeof(b2b__seg));
	for (i = 0; i < B2B_TABLE_COUNT; i++) {
		b2b__bb_vec_free(&a, &b->rows[i], b2b__bb_row_size((int)i));
		b2b__bb_vec_free(&a, &b->locs[i], sizeof(b2b__rowloc));
	}
	b2b__bb_vec_free(&a, &b->ext, sizeof(b2b__product_ext));
	b2b__bb_vec_free(&a, &b->iext, sizeof(b2b__item_ext));
	b2b__bb_vec_free(&a, &b->points, sizeof(b2b__point));
	b2b__bb_vec_free(&a, &b->tiers, sizeof(b2b__tier));
	b2b__bb_vec_free(&a, &b->va_cust, sizeof(uint32_t));
	b2b__bb_vec_free(&a, &b->va_idx, sizeof(uint32_t));
	b2b__bb_vec_free(&a, &b->u32, sizeof(uint32_t));
	b2b__bb_vec_free(&a, &b->strs, sizeof(b2b__str));
	b2b__bb_vec_free(&a, &b->scopes, sizeof(b2b__scope));
	b2b__bb_vec_free(&a, &b->applies, sizeof(b2b__applies));
	b2b__bb_vec_free(&a, &b->tax_classes, sizeof(b2b__str));
	b2b__free(&a, b->tc_map, b->tc_cap * sizeof(uint32_t));
	b2b__free(&a, b->ht, b->ht_cap * sizeof(uint64_t));
	b2b__free(&a, b->pool, b->pool_cap);
	b2b__free(&a, b, sizeof(*b));
}

int
b2b_book_builder_begin_table(b2b_book_builder *b, b2b_ctx *ctx, b2b_book_table t,
                             const char *const *columns, size_t ncolumns, const char *source)
{
	const b2b__tabspec *ts;
	b2b__seg *seg;
	size_t i;
	int f, rc = 0, ok = 1;
	const char *src;

	if (b == NULL || ctx == NULL || (columns == NULL && ncolumns != 0))
		return b2b__ctx_seterr(ctx, B2B_EINVAL, "book builder: NULL argument");
	if (b->finished)
		return b2b__ctx_seterr(ctx, B2B_EMISUSE, "book builder: already finished");
	if ((unsigned)t >= (unsigned)B2B_TABLE_COUNT)
		return b2b__ctx_seterr(ctx, B2B_EINVAL, "book builder: unknown table %d", (int)t);
	if (b->segs.n >= (B2B__ROW_BAD - 1))
		return b2b__ctx_seterr(ctx, B2B_EINVAL, "book builder: too many columns or tables");
	b2b__bb_note_ctx(b, ctx);
	b->cur = SIZE_MAX;
	ts = &b2b__bb_tables[t];
	if ((seg = b2b__bb_vec_push(&b->alloc, &b->segs, sizeof(b2b__seg))) == NULL)
		return b2b__ctx_seterr(ctx, B2B_ENOMEM, "out of memory");
	seg->table = (int)t;
	if (source != NULL) {
		seg->source_len = strlen(source);
		if ((seg->source = b2b__strndup(&b->alloc, source, seg->source_len)) == NULL)
			goto nomem;
	}
	seg->ncols = ncolumns;
	if (ncolumns != 0 &&
	    (seg->col_field = b2b__malloc(&b->alloc, ncolumns)) == NULL) {
		if (seg->source != NULL)
			b2b__free(&b->alloc, seg->source, seg->source_len + 1);
		seg->source = NULL;
		goto nomem;
	}
	src = seg->source;
	for (i = 0; i < ncolumns; i++) {
		const char *name = columns[i] != NULL ? columns[i] : "";
		char got[96];

		seg->col_field[i] = -1;
		for (f = 0; f < (int)ts->ncols; f++)
			if (strcmp(ts->cols[f].name, name) == 0)
				break;
		b2b__bb_fmt_got(got, sizeof(got), name, strlen(name));
		if (f == (int)ts->ncols) {
			char what[512];
			b2b__tbuf o;
			size_t k;

			b2b__tbuf_init(&o, what, sizeof(what));
			for (k = 0; k < ts->ncols; k++)
				b2b__tbuf_printf(&o, "%s%s", k ? ", " : "", ts->cols[k].name);
			rc = b2b__bb_diag(b, ctx, B2B_SEV_ERROR, src, 1, (long)i + 1,
			                   "unknown column %s in %s; expected one of %s", got,
			                   b2b_book_table_name((b2b_book_table)t), what);
			ok = 0;
		} else if (seg->field_col[f] != 0) {
			rc = b2b__bb_diag(b, ctx, B2B_SEV_ERROR, src, 1, (long)i + 1,
			                   "column %s appears twice (first at column %d)", got,
			                   seg->field_col[f]);
			ok = 0;
		} else {
			seg->col_field[i] = (int8_t)f;
			seg->field_col[f] = (int)i + 1;
		}
		if (rc < 0)
			return b2b__ctx_seterr(ctx, rc, "out of memory");
	}
	for (f = 0; f < (int)ts->ncols; f++) {
		if (ts->cols[f].req && seg->field_col[f] == 0) {
			rc = b2b__bb_diag(b, ctx, B2B_SEV_ERROR, src, 1, 1,
			                   "missing required column \"%s\" in %s", ts->cols[f].name,
			                   b2b_book_table_name((b2b_book_table)t));
			ok = 0;
			if (rc < 0)
				return b2b__ctx_seterr(ctx, rc, "out of memory");
		}
	}
	seg->ok = ok;
	b->cur = b->segs.n - 1;
	if (!ok) {
		b->broken[t] = 1;
		return b2b__ctx_seterr(ctx, B2B_EBOOK, "%s: bad header", b2b_book_table_name((b2b_book_table)t));
	}
	return 0;
nomem:
	b->segs.n--;
	return b2b__ctx_seterr(ctx, B2B_ENOMEM, "out of memory");
}

int
b2b_book_builder_add_row(b2b_book_builder *b, b2b_ctx *ctx, const char *const *cells,
                         const size_t *lens, size_t ncells, long line)
{
	b2b__cellv v[B2B__MAX_FIELDS];
	b2b__rowrd r;
	const b2b__seg *seg;
	const b2b__tabspec *ts;
	size_t i;

	if (b == NULL || ctx == NULL || (cells == NULL && ncells != 0))
		return b2b__ctx_seterr(ctx, B2B_EINVAL, "book builder: NULL argument");
	if (b->finished)
		return b2b__ctx_seterr(ctx, B2B_EMISUSE, "book builder: already finished");
	if (b->cur == SIZE_MAX)
		return b2b__ctx_seterr(ctx, B2B_EMISUSE, "book builder: add_row before begin_table");
	seg = (const b2b__seg *)b->segs.p + b->cur;
	if (ncells != seg->ncols)
		return b2b__ctx_seterr(ctx, B2B_EINVAL, "book builder: %zu cells for %zu columns",
		                       ncells, seg->ncols);
	if (!seg->ok)
		return 0;
	b2b__bb_note_ctx(b, ctx);
	ts = &b2b__bb_tables[seg->table];
	r.b = b;
	r.ctx = ctx;
	r.seg = seg;
	r.ts = ts;
	r.line = line;
	r.bad = 0;
	r.pushed = 0;
	r.rc = 0;
	memset(v, 0, sizeof(b2b__cellv) * ts->ncols);
	for (i = 0; i < ncells; i++) {
		int f = seg->col_field[i];
		b2b__cellv *c = &v[f];

		c->raw = cells[i] != NULL ? cells[i] : "";
		c->len = lens != NULL ? lens[i] : strlen(c->raw);
		/* settings values are typed by their key (row_settings) */
		if (seg->table == B2B_TABLE_SETTINGS && f == B2B__F_S_VALUE) {
			c->present = c->len != 0;
			continue;
		}
		if (c->len == 0) {
			if (ts->cols[f].req)
				b2b__bb_report(&r, (long)i + 1, ts->cols[f].name,
				          "expected a value (required column), got an empty cell");
			continue;
		}
		c->present = 1;
		b2b__bb_parse_cell(&r, (long)i + 1, ts->cols[f].name, &ts->cols[f], c);
		if (r.rc < 0)
			break;
	}
	if (r.rc == 0)
		b2b__bb_row(&r, v);
	if (r.rc < 0)
		return b2b__ctx_seterr(ctx, r.rc, "out of memory");
	mark_bad(&r, seg->table);
	return 0;
}
