/*
 * libb2bcore — lint (SPEC §12): the report, its order and its JSON, the
 * load findings, and the public API (b2b/lint.h). The findings on a
 * loaded book are in lint_checks.c.
 * SPDX-License-Identifier: MIT
 */
#include <string.h>

#include "b2b/lint.h"
#include "b2b/snapshot.h"
#include "arena.h"
#include "enum.h"
#include "json_write.h"
#include "lint_int.h"
#include "sort.h"

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

/*
 * The report's order: by file name, line, code name (a 64-bit key sorted
 * by radix), then, among equal keys, by message and related rows. The
 * findings stay where they are; l->order lists them.
 */
static int
tie_cmp(const void *ctx, uint32_t x, uint32_t y)
{
	const b2b_lint *l = ctx;
	const b2b__finding *a = b2b__lint_at(l, x), *b = b2b__lint_at(l, y);
	size_t j;
	int r;

	if ((r = strcmp(a->message, b->message)) != 0)
		return r;
	for (j = 0; j < a->nrelated && j < b->nrelated; j++) {
		const b2b__lint_row *p = &a->related[j], *q = &b->related[j];

		if (p->file != q->file && (r = strcmp(l->files[p->file], l->files[q->file])) != 0)
			return r;
		if (p->line != q->line)
			return p->line < q->line ? -1 : 1;
	}
	if (a->nrelated != b->nrelated)
		return a->nrelated < b->nrelated ? -1 : 1;
	return x < y ? -1 : x > y;
}

static int
name_cmp(const void *ctx, uint32_t x, uint32_t y)
{
	const char *const *names = ctx;
	int r = strcmp(names[x], names[y]);

	return r != 0 ? r : x < y ? -1 : x > y;
}

static int
sort_findings(b2b_lint *l)
{
	const b2b_allocator *a = &l->ctx->alloc;
	uint32_t code_rank[B2B_LINT_CODE_COUNT], perm[B2B_LINT_CODE_COUNT], *file_rank, *fp;
	size_t i, j, n = l->n;
	b2b__rkey *keys = NULL, *tmp = NULL, *sorted;
	int rc = B2B_ENOMEM;

	if (n > UINT32_MAX)
		return B2B_ENOMEM;
	if ((l->order = b2b__ctx_alloc(l->ctx, (n ? n : 1) * sizeof(uint32_t))) == NULL ||
	    (file_rank = b2b__ctx_alloc(l->ctx, (l->nfiles + 1) * sizeof(uint32_t))) == NULL ||
	    (fp = b2b__ctx_alloc(l->ctx, (l->nfiles + 1) * sizeof(uint32_t))) == NULL)
		return B2B_ENOMEM;
	for (i = 0; i < n; i++)
		l->order[i] = (uint32_t)i;
	if (n < 2)
		return 0;
	/* ranks of the code names and of the file names, by bytes */
	for (i = 0; i < B2B_LINT_CODE_COUNT; i++)
		perm[i] = (uint32_t)i;
	if ((rc = b2b__sort_u32(a, perm, B2B_LINT_CODE_COUNT, name_cmp, code_names)) < 0)
		return rc;
	for (i = 0; i < B2B_LINT_CODE_COUNT; i++)
		code_rank[perm[i]] = (uint32_t)i;
	for (i = 0; i < l->nfiles; i++)
		fp[i] = (uint32_t)i;
	if ((rc = b2b__sort_u32(a, fp, l->nfiles, name_cmp, l->files)) < 0)
		return rc;
	for (i = 0; i < l->nfiles; i++)
		file_rank[fp[i]] = (uint32_t)i;
	rc = B2B_ENOMEM;
	if ((keys = b2b__malloc(a, n * sizeof(b2b__rkey))) == NULL ||
	    (tmp = b2b__malloc(a, n * sizeof(b2b__rkey))) == NULL)
		goto done;
	for (i = 0; i < n; i++) {
		b2b__finding *f = b2b__lint_at(l, i);

		f->key = (uint64_t)file_rank[f->file] << 36 | (uint64_t)(uint32_t)f->line << 4 |
		         code_rank[f->code];
		keys[i].k = f->key;
		keys[i].i = (uint32_t)i;
		keys[i].pad = 0;
	}
	sorted = b2b__radix_sort_u64(keys, tmp, n);
	for (i = 0; i < n; i++)
		l->order[i] = sorted[i].i;
	rc = 0;
	for (i = 0; i < n && rc == 0; i = j) {
		for (j = i + 1; j < n && sorted[j].k == sorted[i].k; j++)
			;
		if (j - i > 1)
			rc = b2b__sort_u32(a, l->order + i, j - i, tie_cmp, l);
	}
done:
	b2b__free(a, tmp, n * sizeof(b2b__rkey));
	b2b__free(a, keys, n * sizeof(b2b__rkey));
	return rc;
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
	/* A snapshot file lints like the book it was written from, minus the
	 * loader's warnings (a snapshot does not keep them); a snapshot that
	 * cannot be opened is a failure, like a directory that cannot be read. */
	if (b2b_snapshot_probe(dir) == 1) {
		b2b_snapshot_options so;

		b2b_snapshot_options_init(&so, B2B_SNAPSHOT_OPTIONS_VERSION);
		rc = b2b_book_open_snapshot(&book, ctx, dir, &so);
		if (rc < 0)
			return rc;   /* detail on ctx */
	} else {
		rc = b2b_book_load_dir(&book, ctx, a, dir);
	}
	if (rc < 0 && rc != B2B_EBOOK)
		return rc;   /* detail on ctx */
	n = b2b_ctx_diag_count(ctx);
	for (i = first; i < n; i++) {
		int err = b2b_ctx_diag_severity(ctx, i) == B2B_SEV_ERROR;
		int file = b2b__lint_file(l, b2b_ctx_diag_file(ctx, i), 0);

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

/*
 * The JSON document, streamed: the canonical form of json_write.h (2-space
 * indentation, one member per line), written in chunks of a buffer to
 * `put`, so that a report of millions of findings never exists whole.
 */
typedef struct jout {
	b2b_lint_write_fn put;
	void *ud;
	char *buf;
	size_t len, cap;
	int rc;
} jout;

static void
jflush(jout *o)
{
	if (o->rc == 0 && o->len > 0 && (o->rc = o->put(o->ud, o->buf, o->len)) > 0)
		o->rc = 0;
	o->len = 0;
}

static void
jraw(jout *o, const char *s, size_t n)
{
	while (n > 0 && o->rc == 0) {
		size_t k = o->cap - o->len < n ? o->cap - o->len : n;

		memcpy(o->buf + o->len, s, k);
		o->len += k;
		s += k;
		n -= k;
		if (o->len == o->cap)
			jflush(o);
	}
}

#define JLIT(o, s) jraw(o, s, sizeof(s) - 1)

/* The inside of a JSON string of `n` bytes, escaped as json_write.c
 * does; runs of plain bytes copied. */
static void
jesc(jout *o, const char *s, size_t n)
{
	size_t i = 0, k;

	for (;;) {
		char e[6];

		k = b2b__json_safe_prefix(s + i, n - i);
		jraw(o, s + i, k);
		if ((i += k) == n)
			break;
		jraw(o, e, b2b__json_escape((unsigned char)s[i++], e));
	}
}

static void
jstrn(jout *o, const char *s, size_t n)
{
	JLIT(o, "\"");
	jesc(o, s, n);
	JLIT(o, "\"");
}

static void
jstr(jout *o, const char *s)
{
	jstrn(o, s, strlen(s));
}

/* The digits of a line (0 .. INT32_MAX) at p; returns the end. */
static char *
put_uint(char *p, int32_t v)
{
	char t[12];
	size_t i = sizeof(t);
	uint32_t u = v < 0 ? 0 : (uint32_t)v;

	do {
		t[--i] = (char)('0' + u % 10);
		u /= 10;
	} while (u > 0);
	memcpy(p, t + i, sizeof(t) - i);
	return p + (sizeof(t) - i);
}

/* A non-negative integer's digits (lines are 0 .. INT32_MAX). */
static void
jint(jout *o, int32_t v)
{
	char t[12];

	jraw(o, t, (size_t)(put_uint(t, v) - t));
}

/*
 * Finding f written straight into the buffer, the usual case: nothing to
 * escape and room for it (after a flush). Returns 0 when the general path
 * must write it. The bytes are exactly those of the general path.
 */
static int
finding_fast(jout *o, const b2b_lint *l, const b2b__finding *f, int first)
{
	const char *code = code_names[f->code], *sev = severity_names[b2b__lint_severity(f->code)];
	const char *file = l->files[f->file], *rf[B2B__LINT_MAX_RELATED];
	size_t lc = strlen(code), ls = strlen(sev), lf = strlen(file), lr[B2B__LINT_MAX_RELATED];
	size_t need, j;
	char *p;

	if (!f->plain || b2b__lint_escapes(file, lf))
		return 0;
	need = 160 + lc + ls + lf + f->message_len;
	for (j = 0; j < f->nrelated; j++) {
		rf[j] = l->files[f->related[j].file];
		lr[j] = strlen(rf[j]);
		if (b2b__lint_escapes(rf[j], lr[j]))
			return 0;
		need += 24 + lr[j];
	}
	if (need > o->cap)
		return 0;
	if (o->cap - o->len < need) {
		jflush(o);
		if (o->rc != 0)
			return 1;
	}
	p = o->buf + o->len;
#define PUT(s, n) (memcpy(p, s, n), p += (n))
#define PUTL(s) PUT(s, sizeof(s) - 1)
	if (!first)
		*p++ = ',';
	PUTL("\n    {\n      \"code\": \"");
	PUT(code, lc);
	PUTL("\",\n      \"severity\": \"");
	PUT(sev, ls);
	PUTL("\",\n      \"file\": \"");
	PUT(file, lf);
	PUTL("\",\n      \"line\": ");
	p = put_uint(p, f->line);
	PUTL(",\n      \"message\": \"");
	PUT(f->message, f->message_len);
	*p++ = '"';
	if (f->nrelated > 0) {
		PUTL(",\n      \"related\": [");
		for (j = 0; j < f->nrelated; j++) {
			if (j > 0)
				*p++ = ',';
			PUTL("\n        \"");
			PUT(rf[j], lr[j]);
			*p++ = ':';
			p = put_uint(p, f->related[j].line);
			*p++ = '"';
		}
		PUTL("\n      ]");
	}
	PUTL("\n    }");
#undef PUT
#undef PUTL
	o->len = (size_t)(p - o->buf);
	return 1;
}

static int
write_json(const b2b_lint *l, b2b_lint_write_fn put, void *ud, char *buf, size_t cap)
{
	jout o;
	size_t i, j;

	o.put = put;
	o.ud = ud;
	o.buf = buf;
	o.len = 0;
	o.cap = cap;
	o.rc = 0;
	JLIT(&o, "{\n  \"fingerprint\": ");
	if (l->fingerprint != NULL)
		jstr(&o, l->fingerprint);
	else
		JLIT(&o, "null");
	JLIT(&o, ",\n  \"as_of\": ");
	if (l->has_as_of) {
		char t[B2B_TIME_FORMAT_MAX];

		if (b2b_time_format(t, sizeof(t), NULL, l->as_of) == 0)
			jstr(&o, t);
		else
			JLIT(&o, "null");
	} else {
		JLIT(&o, "null");
	}
	JLIT(&o, ",\n  \"findings\": [");
	for (i = 0; i < l->n && o.rc == 0; i++) {
		const b2b__finding *f = b2b__lint_at(l, l->order[i]);

		if (finding_fast(&o, l, f, i == 0))
			continue;
		if (i > 0)
			JLIT(&o, ",");
		JLIT(&o, "\n    {\n      \"code\": ");
		jstr(&o, code_names[f->code]);
		JLIT(&o, ",\n      \"severity\": ");
		jstr(&o, severity_names[b2b__lint_severity(f->code)]);
		JLIT(&o, ",\n      \"file\": ");
		jstr(&o, l->files[f->file]);
		JLIT(&o, ",\n      \"line\": ");
		jint(&o, f->line);
		JLIT(&o, ",\n      \"message\": ");
		if (f->plain) {
			JLIT(&o, "\"");
			jraw(&o, f->message, f->message_len);
			JLIT(&o, "\"");
		} else {
			jstrn(&o, f->message, f->message_len);
		}
		if (f->nrelated > 0) {
			JLIT(&o, ",\n      \"related\": [");
			for (j = 0; j < f->nrelated; j++) {
				const char *file = l->files[f->related[j].file];

				if (j > 0)
					JLIT(&o, ",");
				JLIT(&o, "\n        \"");
				jesc(&o, file, strlen(file));
				JLIT(&o, ":");
				jint(&o, f->related[j].line);
				JLIT(&o, "\"");
			}
			JLIT(&o, "\n      ]");
		}
		JLIT(&o, "\n    }");
	}
	if (l->n > 0)
		JLIT(&o, "\n  ");
	JLIT(&o, "]\n}\n");
	jflush(&o);
	return o.rc;
}

int
b2b_lint_write_json(const b2b_lint *l, b2b_ctx *ctx, b2b_lint_write_fn put, void *ud)
{
	char *buf;
	size_t cap = 1 << 16;
	int rc;

	if (l == NULL || ctx == NULL || put == NULL)
		return b2b__ctx_seterr(ctx, B2B_EINVAL, "b2b_lint_write_json: NULL argument");
	if ((buf = b2b__malloc(&ctx->alloc, cap)) == NULL)
		return b2b__ctx_seterr(ctx, B2B_ENOMEM, "lint: out of memory");
	rc = write_json(l, put, ud, buf, cap);
	b2b__free(&ctx->alloc, buf, cap);
	if (rc < 0)
		return b2b__ctx_seterr(ctx, rc, "lint: the JSON writer's output failed (%s)",
		                       b2b_strerror(rc));
	return 0;
}

/* b2b_lint_to_json(): a first pass measures, the second fills one arena block. */
typedef struct sink {
	char *p;
	size_t len;
} sink;

static int
measure(void *ud, const char *data, size_t len)
{
	(void)data;
	((sink *)ud)->len += len;
	return 0;
}

static int
fill(void *ud, const char *data, size_t len)
{
	sink *k = ud;

	memcpy(k->p + k->len, data, len);
	k->len += len;
	return 0;
}

int
b2b_lint_to_json(const char **out, size_t *len, b2b_ctx *ctx, const b2b_lint *l)
{
	sink k = { NULL, 0 };
	int rc;

	if (out != NULL)
		*out = NULL;
	if (len != NULL)
		*len = 0;
	if (out == NULL || ctx == NULL || l == NULL)
		return b2b__ctx_seterr(ctx, B2B_EINVAL, "b2b_lint_to_json: NULL argument");
	if ((rc = b2b_lint_write_json(l, ctx, measure, &k)) < 0)
		return rc;
	if ((k.p = b2b__ctx_alloc(ctx, k.len + 1)) == NULL)
		return b2b__ctx_seterr(ctx, B2B_ENOMEM, "lint: out of memory");
	k.len = 0;
	if ((rc = b2b_lint_write_json(l, ctx, fill, &k)) < 0)
		return rc;
	k.p[k.len] = '\0';
	*out = k.p;
	if (len != NULL)
		*len = k.len;
	return 0;
}

/*===========================================================================
 * MARK: - Accessors
 *===========================================================================*/

static const b2b__finding *
at(const b2b_lint *l, size_t i)
{
	return l != NULL && i < l->n && l->order != NULL ? b2b__lint_at(l, l->order[i]) : NULL;
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

	return f != NULL ? (b2b_lint_severity)b2b__lint_severity(f->code) : (b2b_lint_severity)-1;
}

const char *
b2b_lint_file(const b2b_lint *l, size_t i)
{
	const b2b__finding *f = at(l, i);

	return f != NULL ? l->files[f->file] : NULL;
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
b2b_lint_related_file(const b2b_lint *l, size_t i, size_t j)
{
	const b2b__finding *f = at(l, i);

	return f != NULL && j < f->nrelated ? l->files[f->related[j].file] : NULL;
}

long
b2b_lint_related_line(const b2b_lint *l, size_t i, size_t j)
{
	const b2b__finding *f = at(l, i);

	return f != NULL && j < f->nrelated ? f->related[j].line : 0;
}
