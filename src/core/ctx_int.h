/*
 * libb2bcore — internals of b2b_ctx: arena, error detail, diagnostics.
 * SPDX-License-Identifier: MIT
 */
#ifndef B2B_SRC_CTX_INT_H
#define B2B_SRC_CTX_INT_H

#include <stdarg.h>

#include "b2b/ctx.h"
#include "b2b/error.h"
#include "alloc.h"
#include "text.h"

typedef struct b2b__chunk {
	struct b2b__chunk *next;
	size_t size;            /* usable bytes after the header */
	size_t used;
} b2b__chunk;

typedef struct b2b__diag {
	int severity;
	long line, col;
	char *file;             /* arena */
	char *message;          /* arena */
} b2b__diag;

struct b2b_ctx {
	b2b_allocator alloc;
	uint32_t flags;
	size_t arena_initial;
	b2b__chunk *chunks;     /* newest first */
	size_t arena_used;

	int errcode;
	long errline, errcol, erroffset;
	char errmsg[512];
	char errfile[256];
	char errpath[256];

	b2b__diag *diags;       /* allocator-owned array, strings in the arena */
	size_t ndiags, diags_cap, diags_seen, diags_errors;
};

/** Allocate n bytes (16-byte aligned) from the arena; NULL = out of memory. */
void *b2b__ctx_alloc(b2b_ctx *ctx, size_t n);
/** Copy a string into the arena. */
char *b2b__ctx_strndup(b2b_ctx *ctx, const char *s, size_t len);

/**
 * Set the error detail and return `code` (so `return b2b__ctx_seterr(…)`
 * works). Clears location fields; set them afterwards if known.
 * NULL ctx: returns code only.
 */
int b2b__ctx_seterr(b2b_ctx *ctx, int code, const char *fmt, ...) B2B__PRINTF(3, 4);
int b2b__ctx_vseterr(b2b_ctx *ctx, int code, const char *fmt, va_list ap);
void b2b__ctx_setloc(b2b_ctx *ctx, const char *file, long line, long col, long offset);
void b2b__ctx_setpath(b2b_ctx *ctx, const char *path);
void b2b__ctx_clearerr(b2b_ctx *ctx);

/**
 * Record a diagnostic (file may be NULL). Beyond B2B_CTX_MAX_DIAGS it is
 * only counted. Returns 0 or B2B_ENOMEM.
 */
int b2b__ctx_diag(b2b_ctx *ctx, int severity, const char *file, long line, long col,
                  const char *fmt, ...) B2B__PRINTF(6, 7);

#endif
