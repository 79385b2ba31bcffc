/*
 * libb2bcore — b2b_ctx lifecycle, the bump arena, error detail.
 * SPDX-License-Identifier: MIT
 */
#include <string.h>

#include "ctx_int.h"
#include "enum.h"
#include "opts.h"

#define ARENA_DEFAULT (64u * 1024u)
#define ARENA_ALIGN 16u

static b2b__chunk *
chunk_new(b2b_ctx *ctx, size_t size)
{
	b2b__chunk *c;

	if (size > SIZE_MAX - sizeof(b2b__chunk) - ARENA_ALIGN)
		return NULL;
	c = b2b__malloc(&ctx->alloc, sizeof(b2b__chunk) + ARENA_ALIGN + size);
	if (c == NULL)
		return NULL;
	c->next = NULL;
	c->size = size;
	c->used = 0;
	return c;
}

static void
chunk_free(b2b_ctx *ctx, b2b__chunk *c)
{
	b2b__free(&ctx->alloc, c, sizeof(b2b__chunk) + ARENA_ALIGN + c->size);
}

static unsigned char *
chunk_base(b2b__chunk *c)
{
	uintptr_t p = (uintptr_t)(c + 1);

	p = (p + ARENA_ALIGN - 1) & ~(uintptr_t)(ARENA_ALIGN - 1);
	return (unsigned char *)p;
}

/*===========================================================================
 * MARK: - versioned options structs (opts.h)
 *===========================================================================*/

int
b2b__opts_check(b2b_ctx *ctx, const char *name, unsigned version, unsigned max_version,
                uint32_t flags, uint32_t known)
{
	if (version == 0 || version > max_version)
		return b2b__ctx_seterr(ctx, B2B_EVERSION, "%s: version %u", name, version);
	if ((flags & ~known) != 0)
		return b2b__ctx_seterr(ctx, B2B_EINVAL, "%s: unknown flags 0x%x", name,
		                       (unsigned)flags);
	return 0;
}

int
b2b__opts_init(void *opts, unsigned version, const void *defaults, const size_t *sizes,
               unsigned max_version)
{
	if (opts == NULL)
		return B2B_EINVAL;
	if (version == 0 || version > max_version)
		return B2B_EVERSION;
	memcpy(opts, defaults, sizes[version]);
	/* the first member of every options struct is `unsigned int version` */
	memcpy(opts, &version, sizeof(version));
	return 0;
}

/* Bytes of b2b_ctx_options each version knows (index 0 unused). */
static const size_t CTX_OPTS_SIZE[] = { 0, sizeof(b2b_ctx_options) };

int
b2b_ctx_options_init(b2b_ctx_options *opts, unsigned int version)
{
	static const b2b_ctx_options defaults = B2B_CTX_OPTIONS_INIT;

	return b2b__opts_init(opts, version, &defaults, CTX_OPTS_SIZE, B2B_CTX_OPTIONS_VERSION);
}

int
b2b_ctx_new(b2b_ctx **out, const b2b_ctx_options *opts)
{
	b2b_ctx_options o = B2B_CTX_OPTIONS_INIT;
	b2b_allocator a;
	b2b_ctx *ctx;

	if (out == NULL)
		return B2B_EINVAL;
	*out = NULL;
	if (opts != NULL) {
		int rc = b2b__opts_check(NULL, "b2b_ctx_options", opts->version,
		                         B2B_CTX_OPTIONS_VERSION, opts->flags, B2B_CTX_NO_GROW);

		if (rc < 0)
			return rc;
		o = *opts;
	}
	b2b__alloc_init(&a, o.allocator);
	ctx = b2b__malloc(&a, sizeof(*ctx));
	if (ctx == NULL)
		return B2B_ENOMEM;
	memset(ctx, 0, sizeof(*ctx));
	ctx->alloc = a;
	ctx->flags = o.flags;
	ctx->arena_initial = o.arena_initial != 0 ? o.arena_initial : ARENA_DEFAULT;
	ctx->erroffset = -1;
	ctx->chunks = chunk_new(ctx, ctx->arena_initial);
	if (ctx->chunks == NULL) {
		b2b__free(&a, ctx, sizeof(*ctx));
		return B2B_ENOMEM;
	}
	*out = ctx;
	return 0;
}

void
b2b_ctx_free(b2b_ctx *ctx)
{
	b2b__chunk *c, *next;

	if (ctx == NULL)
		return;
	for (c = ctx->chunks; c != NULL; c = next) {
		next = c->next;
		chunk_free(ctx, c);
	}
	b2b__free(&ctx->alloc, ctx->diags, ctx->diags_cap * sizeof(b2b__diag));
	b2b__free(&ctx->alloc, ctx, sizeof(*ctx));
}

void
b2b_ctx_reset(b2b_ctx *ctx)
{
	b2b__chunk *c, *next;
	size_t total = 0;

	if (ctx == NULL)
		return;
	if (ctx->chunks != NULL && ctx->chunks->next != NULL) {
		/* Several chunks: merge them into one of the total size, so that
		 * the next call of the same shape runs without allocating. If
		 * that allocation fails, keep the largest chunk instead: a reset
		 * never fails. */
		b2b__chunk *keep = ctx->chunks, *merged;

		for (c = ctx->chunks; c != NULL; c = c->next) {
			total += c->size;
			if (c->size > keep->size)
				keep = c;
		}
		merged = chunk_new(ctx, total);
		for (c = ctx->chunks; c != NULL; c = next) {
			next = c->next;
			if (merged != NULL || c != keep)
				chunk_free(ctx, c);
		}
		ctx->chunks = merged != NULL ? merged : keep;
		ctx->chunks->next = NULL;
		ctx->chunks->used = 0;
	} else if (ctx->chunks != NULL) {
		ctx->chunks->used = 0;
	}
	ctx->arena_used = 0;
	ctx->ndiags = 0;
	ctx->diags_seen = 0;
	ctx->diags_errors = 0;
	b2b__ctx_clearerr(ctx);
}

size_t
b2b_ctx_arena_used(const b2b_ctx *ctx)
{
	return ctx == NULL ? 0 : ctx->arena_used;
}

void *
b2b__ctx_alloc(b2b_ctx *ctx, size_t n)
{
	b2b__chunk *c = ctx->chunks;
	size_t size;
	void *p;

	n = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	if (n == 0)
		n = ARENA_ALIGN;
	if (c == NULL || c->size - c->used < n) {
		if (ctx->flags & B2B_CTX_NO_GROW)
			return NULL;
		size = c != NULL ? c->size * 2 : ctx->arena_initial;
		if (size < n)
			size = n;
		c = chunk_new(ctx, size);
		if (c == NULL)
			return NULL;
		c->next = ctx->chunks;
		ctx->chunks = c;
	}
	p = chunk_base(c) + c->used;
	c->used += n;
	ctx->arena_used += n;
	return p;
}

char *
b2b__ctx_strndup(b2b_ctx *ctx, const char *s, size_t len)
{
	char *p;

	if (len == SIZE_MAX)
		return NULL;
	p = b2b__ctx_alloc(ctx, len + 1);
	if (p == NULL)
		return NULL;
	if (len != 0)
		memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

void
b2b__ctx_clearerr(b2b_ctx *ctx)
{
	ctx->errcode = 0;
	ctx->errmsg[0] = '\0';
	ctx->errfile[0] = '\0';
	ctx->errpath[0] = '\0';
	ctx->errline = 0;
	ctx->errcol = 0;
	ctx->erroffset = -1;
}

int
b2b__ctx_vseterr(b2b_ctx *ctx, int code, const char *fmt, va_list ap)
{
	if (ctx == NULL)
		return code;
	b2b__ctx_clearerr(ctx);
	ctx->errcode = code;
	b2b__text_vformat(ctx->errmsg, sizeof(ctx->errmsg), fmt, ap);
	return code;
}

int
b2b__ctx_seterr(b2b_ctx *ctx, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	code = b2b__ctx_vseterr(ctx, code, fmt, ap);
	va_end(ap);
	return code;
}

void
b2b__ctx_setloc(b2b_ctx *ctx, const char *file, long line, long col, long offset)
{
	if (ctx == NULL)
		return;
	b2b__text_format(ctx->errfile, sizeof(ctx->errfile), "%s", file != NULL ? file : "");
	ctx->errline = line;
	ctx->errcol = col;
	ctx->erroffset = offset;
}

void
b2b__ctx_setpath(b2b_ctx *ctx, const char *path)
{
	if (ctx == NULL)
		return;
	b2b__text_format(ctx->errpath, sizeof(ctx->errpath), "%s", path != NULL ? path : "");
}

int b2b_ctx_errcode(const b2b_ctx *ctx) { return ctx ? ctx->errcode : 0; }
const char *b2b_ctx_errmsg(const b2b_ctx *ctx) { return ctx ? ctx->errmsg : ""; }
const char *b2b_ctx_errfile(const b2b_ctx *ctx) { return ctx ? ctx->errfile : ""; }
long b2b_ctx_errline(const b2b_ctx *ctx) { return ctx ? ctx->errline : 0; }
long b2b_ctx_errcol(const b2b_ctx *ctx) { return ctx ? ctx->errcol : 0; }
long b2b_ctx_erroffset(const b2b_ctx *ctx) { return ctx ? ctx->erroffset : -1; }
const char *b2b_ctx_errpath(const b2b_ctx *ctx) { return ctx ? ctx->errpath : ""; }

int
b2b__ctx_diag(b2b_ctx *ctx, int severity, const char *file, long line, long col,
              const char *fmt, ...)
{
	char buf[1024];
	b2b__diag *d;
	va_list ap;
	int rc;

	if (severity == B2B_SEV_ERROR)
		ctx->diags_errors++;
	ctx->diags_seen++;
	if (ctx->ndiags >= B2B_CTX_MAX_DIAGS)
		return 0;
	rc = b2b__grow(&ctx->alloc, (void **)&ctx->diags, &ctx->diags_cap,
	               ctx->ndiags + 1, sizeof(b2b__diag));
	if (rc < 0)
		return rc;
	va_start(ap, fmt);
	b2b__text_vformat(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	d = &ctx->diags[ctx->ndiags];
	d->severity = severity;
	d->line = line;
	d->col = col;
	d->file = b2b__ctx_strndup(ctx, file != NULL ? file : "", file != NULL ? strlen(file) : 0);
	d->message = b2b__ctx_strndup(ctx, buf, strlen(buf));
	if (d->file == NULL || d->message == NULL)
		return B2B_ENOMEM;
	ctx->ndiags++;
	return 0;
}

size_t
b2b_ctx_diag_errors(const b2b_ctx *ctx)
{
	return ctx != NULL ? ctx->diags_errors : 0;
}

size_t b2b_ctx_diag_count(const b2b_ctx *ctx) { return ctx ? ctx->ndiags : 0; }

#define DIAG_GET(ctx, i) ((ctx) != NULL && (i) < (ctx)->ndiags ? &(ctx)->diags[i] : NULL)

b2b_severity
b2b_ctx_diag_severity(const b2b_ctx *ctx, size_t i)
{
	const b2b__diag *d = DIAG_GET(ctx, i);
	return d ? (b2b_severity)d->severity : (b2b_severity)-1;
}

static const char *const severity_names[] = { "error", "warning" };
#define NSEVERITIES (sizeof(severity_names) / sizeof(severity_names[0]))

const char *
b2b_severity_name(b2b_severity severity)
{
	return b2b__enum_name(severity_names, NSEVERITIES, (long long)severity);
}

int
b2b_severity_parse(b2b_severity *out, const char *name, size_t len)
{
	int i = 0, rc = b2b__enum_parse(out != NULL ? &i : NULL, severity_names, NSEVERITIES,
	                                name, len);

	if (rc == 0)
		*out = (b2b_severity)i;
	return rc;
}

const char *
b2b_ctx_diag_file(const b2b_ctx *ctx, size_t i)
{
	const b2b__diag *d = DIAG_GET(ctx, i);
	return d ? d->file : "";
}

long
b2b_ctx_diag_line(const b2b_ctx *ctx, size_t i)
{
	const b2b__diag *d = DIAG_GET(ctx, i);
	return d ? d->line : 0;
}

long
b2b_ctx_diag_col(const b2b_ctx *ctx, size_t i)
{
	const b2b__diag *d = DIAG_GET(ctx, i);
	return d ? d->col : 0;
}

const char *
b2b_ctx_diag_message(const b2b_ctx *ctx, size_t i)
{
	const b2b__diag *d = DIAG_GET(ctx, i);
	return d ? d->message : "";
}

int
b2b_ctx_diag_truncated(const b2b_ctx *ctx)
{
	return ctx != NULL && ctx->diags_seen > ctx->ndiags;
}
