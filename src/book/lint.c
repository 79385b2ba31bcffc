/*
 * libb2bcore — lint (SPEC §12): the report, its order and its JSON, the
 * load findings, and the public API (b2b/lint.h). The findings on a
 * loaded book are in lint_checks.c.
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <string.h>

#include "b2b/lint.h"
#include "arena.h"
#include "enum.h"
#include "json_write.h"
#include "lint_int.h"
#include "sort.h"
#include "text.h"

/*===========================================================================
 * MARK: - Names
 *===========================================================================*/

static const char *const code_names[B2B_LINT_CODE_COUNT] = {
	"LOAD_ERROR", "LOAD_WARNING", "TIER_CLIFF", "TIER_NOT_DESCENDING",
	"CONTRACT_ABOVE_LIST", "BELOW_COST", "UNREACHABLE_LIST", "SHADOWED_ITEM",
	"NO_FX_PATH", "EMPTY_PROMOTION", "EXPIRED",
};

static const char *const severity_names[3] = { "error", "warning", "info" };

const char *
b2b_lint_code_name(b2b_lint_code code)
{
	return b2b__enum_name(code_names, B2B_LINT_CODE_COUNT, (long long)code);
}

int
b2b_lint_code_parse(b2b_lint_code *out, const char *name, size_t len)
{
	int i = 0, rc = b2b__enum_parse(out != NULL ? &i : NULL, code_names, B2B_LINT_CODE_COUNT,
	                                name, len);

	if (rc == 0)
		*out = (b2b_lint_code)i;
	return rc;
}

const char *
b2b_lint_severity_name(b2b_lint_severity severity)
{
	return b2b__enum_name(severity_names, 3, (long long)severity);
}

int
b2b_lint_severity_parse(b2b_lint_severity *out, const char *name, size_t len)
{
	int i = 0, rc = b2b__enum_parse(out != NULL ? &i : NULL, severity_names, 3, name, len);

	if (rc == 0)
		*out = (b2b_lint_severity)i;
	return rc;
}

/*===========================================================================
 * MARK: - Building the report
 *===========================================================================*/

/* Findings by file, line, code name, then message and related rows. */
static int
finding_cmp(const void *ctx, uint32_t x, uint32_t y)
{
	const b2b__finding *a = (const b2b__finding *)ctx + x, *b = (const b2b__finding *)ctx + y;
	size_t j;
	int r;

	if ((r = strcmp(a->file, b->file)) != 0)
		return r;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->code != b->code && (r = strcmp(code_names[a->code], code_names[b->code])) != 0)
		return r;
	if ((r = strcmp(a->message, b->message)) != 0)
		return r;
	for (j = 0; j < a->nrelated && j < b->nrelated; j++)
		if ((r = strcmp(a->related[j], b->related[j])) != 0)
			return r;
	if (a->nrelated != b->nrelated)
		return a->nrelated < b->nrelated ? -1 : 1;
	return x < y ? -1 : x > y;
}

static int
sort_findings(b2b_lint *l)
{
	uint32_t *perm;
	b2b__finding *sorted;
	size_t i;
	int rc;

	if (l->n < 2)
		return 0;
	if (l->n > UINT32_MAX)
		return B2B_ENOMEM;
	if ((perm = b2b__ctx_alloc(l->ctx, l->n * sizeof(uint32_t))) == NULL ||
	    (sorted = b2b__ctx_alloc(l->ctx, l->n * sizeof(*sorted))) == NULL)
		return B2B_ENOMEM;
	for (i = 0; i < l->n; i++)
		perm[i] = (uint32_t)i;
	if ((rc = b2b__sort_u32(&l->ctx->alloc, perm, l->n, finding_cmp, l->f)) < 0)
		return rc;
	for (i = 0; i < l->n; i++)
		sorted[i] = l->f[perm[i]];
	l->f = sorted;
	l->cap = l->n;
	return 0;
}

static b2b_lint *
lint_new(b2b_ctx *ctx, const b2b_time *as_of)
{
	b2b_lint *l = b2b__arena_calloc(ctx, 1, sizeof(*l));

	if (l == NULL)
		return NULL;
	l->ctx = ctx;
	if (as_of != NULL) {
		l->has_as_of = 1;
		l->as_of = *as_of;
	}
	return l;
}

/* The checks on a loaded book, then the order of the report. */
static int
lint_book(b2b_lint *l, const b2b_book *book)
{
	int rc;

	if ((l->fingerprint = b2b__ctx_strndup(l->ctx, book->fingerprint,
	                                       strlen(book->fingerprint))) == NULL)
		return B2B_ENOMEM;
	if ((rc = b2b__lint_checks(l, book)) < 0)
		return rc;
	return 0;
}

static int
finish(const b2b_lint **out, b2b_lint *l, b2b_ctx *ctx, int rc)
{
	if (rc == 0)
		rc = sort_findings(l);
	if (rc < 0) {
		if (rc == B2B_ENOMEM)
			return b2b__ctx_seterr(ctx, rc, "lint: out of memory");
		if (b2b_ctx_errcode(ctx) != rc)
			return b2b__ctx_seterr(ctx, rc, "lint: %s", b2b_strerror(rc));
		return rc;
	}
	*out = l;
	return 0;
}

/*===========================================================================
 * MARK: - Public API
 *===========================================================================*/

int
b2b_book_lint(const b2b_lint **out, b2b_ctx *ctx, const b2b_allocator *a, const char *dir,
              const b2b_time *as_of)
{
	b2b_book *book = NULL;
	b2b_lint *l;
	size_t first, i, n;
	int rc;

	if (out != NULL)
		*out = NULL;
	if (out == NULL || ctx == NULL || dir == NULL)
		return b2b__ctx_seterr(ctx, B2B_EINVAL, "b2b_book_lint: NULL argument");
	if ((l = lint_new(ctx, as_of)) == NULL)
		return b2b__ctx_seterr(ctx, B2B_ENOMEM, "lint: out of memory");
	first = b2b_ctx_diag_count(ctx);
	rc = b2b_book_load_dir(&book, ctx, a, dir);
	if (rc < 0 && rc != B2B_EBOOK)
		return rc;   /* detail on ctx */
	n = b2b_ctx_diag_count(ctx);
	for (i = first; i < n; i++) {
		int err = b2b_ctx_diag_severity(ctx, i) == B2B_SEV_ERROR;
		const char *file = b2b_ctx_diag_file(ctx, i);

		if (b2b__lint_add(l, err ? B2B_LINT_LOAD_ERROR : B2B_LINT_LOAD_WARNING, file,
		                  b2b_ctx_diag_line(ctx, i), "%s", b2b_ctx_diag_message(ctx, i)) == NULL) {
			b2b_book_unref(book);
			return finish(out, l, ctx, B2B_ENOMEM);
		}
	}
	rc = 0;
	if (book != NULL && l->errors == 0)
		rc = lint_book(l, book);
	b2b_book_unref(book);
	return finish(out, l, ctx, rc);
}

int
b2b_book_lint_loaded(const b2b_lint **out, b2b_ctx *ctx, const b2b_book *book,
                     const b2b_time *as_of)
{
	b2b_lint *l;

	if (out != NULL)
		*out = NULL;
	if (out == NULL || ctx == NULL || book == NULL)
		return b2b__ctx_seterr(ctx, B2B_EINVAL, "b2b_book_lint_loaded: NULL argument");
	if ((l = lint_new(ctx, as_of)) == NULL)
		return b2b__ctx_seterr(ctx, B2B_ENOMEM, "lint: out of memory");
	return finish(out, l, ctx, lint_book(l, book));
}

int
b2b_lint_to_json(const char **out, size_t *len, b2b_ctx *ctx, const b2b_lint *l)
{
	b2b__jw w;
	size_t i, j;

	if (out != NULL)
		*out = NULL;
	if (len != NULL)
		*len = 0;
	if (out == NULL || ctx == NULL || l == NULL)
		return b2b__ctx_seterr(ctx, B2B_EINVAL, "b2b_lint_to_json: NULL argument");
	b2b__jw_init(&w, &ctx->alloc);
	b2b__jw_begin_object(&w);
	b2b__jw_key(&w, "fingerprint");
	b2b__jw_cstr(&w, l->fingerprint);
	b2b__jw_key(&w, "as_of");
	if (l->has_as_of) {
		char t[B2B_TIME_FORMAT_MAX];

		if (b2b_time_format(t, sizeof(t), NULL, l->as_of) == 0)
			b2b__jw_cstr(&w, t);
		else
			b2b__jw_null(&w);
	} else {
		b2b__jw_null(&w);
	}
	b2b__jw_key(&w, "findings");
	b2b__jw_begin_array(&w);
	for (i = 0; i < l->n; i++) {
		const b2b__finding *f = &l->f[i];

		b2b__jw_begin_object(&w);
		b2b__jw_key(&w, "code");
		b2b__jw_cstr(&w, code_names[f->code]);
		b2b__jw_key(&w, "severity");
		b2b__jw_cstr(&w, severity_names[f->severity]);
		b2b__jw_key(&w, "file");
		b2b__jw_cstr(&w, f->file);
		b2b__jw_key(&w, "line");
		b2b__jw_int(&w, f->line);
		b2b__jw_key(&w, "message");
		b2b__jw_cstr(&w, f->message);
		if (f->nrelated > 0) {
			b2b__jw_key(&w, "related");
			b2b__jw_begin_array(&w);
			for (j = 0; j < f->nrelated; j++)
				b2b__jw_cstr(&w, f->related[j]);
			b2b__jw_end_array(&w);
		}
		b2b__jw_end_object(&w);
	}
	b2b__jw_end_array(&w);
	b2b__jw_end_object(&w);
	return b2b__jw_finish(&w, ctx, out, len);
}

/*===========================================================================
 * MARK: - Accessors
 *===========================================================================*/

static const b2b__finding *
at(const b2b_lint *l, size_t i)
{
	return l != NULL && i < l->n ? &l->f[i] : NULL;
}

size_t b2b_lint_count(const b2b_lint *l) { return l != NULL ? l->n : 0; }
size_t b2b_lint_errors(const b2b_lint *l) { return l != NULL ? l->errors : 0; }
const char *b2b_lint_fingerprint(const b2b_lint *l) { return l != NULL ? l->fingerprint : NULL; }

int
b2b_lint_as_of(b2b_time *out, const b2b_lint *l)
{
	if (out == NULL || l == NULL)
		return B2B_EINVAL;
	if (!l->has_as_of)
		return B2B_ENOTFOUND;
	*out = l->as_of;
	return 0;
}

b2b_lint_code
b2b_lint_code_at(const b2b_lint *l, size_t i)
{
	const b2b__finding *f = at(l, i);

	return f != NULL ? (b2b_lint_code)f->code : (b2b_lint_code)-1;
}

b2b_lint_severity
b2b_lint_severity_at(const b2b_lint *l, size_t i)
{
	const b2b__finding *f = at(l, i);

	return f != NULL ? (b2b_lint_severity)f->severity : (b2b_lint_severity)-1;
}

const char *
b2b_lint_file(const b2b_lint *l, size_t i)
{
	const b2b__finding *f = at(l, i);

	return f != NULL ? f->file : NULL;
}

long
b2b_lint_line(const b2b_lint *l, size_t i)
{
	const b2b__finding *f = at(l, i);

	return f != NULL ? f->line : 0;
}

const char *
b2b_lint_message(const b2b_lint *l, size_t i)
{
	const b2b__finding *f = at(l, i);

	return f != NULL ? f->message : NULL;
}

size_t
b2b_lint_related_count(const b2b_lint *l, size_t i)
{
	const b2b__finding *f = at(l, i);

	return f != NULL ? f->nrelated : 0;
}

const char *
b2b_lint_related(const b2b_lint *l, size_t i, size_t j)
{
	const b2b__finding *f = at(l, i);

	return f != NULL && j < f->nrelated ? f->related[j] : NULL;
}
