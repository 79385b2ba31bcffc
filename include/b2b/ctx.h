/*
 * libb2bcore — the per-call context: scratch arena, error detail, allocator.
 * SPDX-License-Identifier: MIT
 */
#ifndef B2B_CTX_H
#define B2B_CTX_H

#include "b2b/common.h"
#include "b2b/alloc.h"

/**
 * @file b2b/ctx.h
 * @brief b2b_ctx: what every call that can fail in detail, or that returns
 * borrowed results, takes as its context.
 *
 * A context holds (1) a bump arena from which results are allocated,
 * (2) the detail of the last error (code, message, and where: file,
 * line, column, byte offset, JSON path), and (3) a list of diagnostics for
 * operations that report many problems at once (loading a book).
 *
 * Thread-safety: a b2b_ctx belongs to one thread at a time; use one per
 * thread or per request. Nothing in it is shared with other contexts.
 */
B2B_BEGIN_DECL

typedef struct b2b_ctx b2b_ctx;

/** With this flag the arena never grows: calls return B2B_ENOMEM instead. */
#define B2B_CTX_NO_GROW 0x0001u

typedef struct b2b_ctx_options {
	unsigned int version;            /**< B2B_CTX_OPTIONS_VERSION, first field always */
	const b2b_allocator *allocator;  /**< copied; NULL = libc */
	size_t arena_initial;            /**< bytes reserved at creation; 0 = 64 KiB */
	uint32_t flags;                  /**< B2B_CTX_* bits; unknown bits → B2B_EINVAL */
	/* later versions append fields below; never reorder */
} b2b_ctx_options;

#define B2B_CTX_OPTIONS_VERSION 1
#define B2B_CTX_OPTIONS_INIT { B2B_CTX_OPTIONS_VERSION, NULL, 0, 0 }

/**
 * Fill `*opts` with the defaults of `version` (normally B2B_CTX_OPTIONS_VERSION), as
 * B2B_CTX_OPTIONS_INIT does: for FFI callers that cannot use the macro. Only the
 * fields that `version` knows are written, so a caller built against an
 * older, shorter struct is safe with a newer library.
 * Thread-safety: thread-safe; no allocation.
 * @return 0, B2B_EVERSION (version 0 or unknown to this build; *opts
 *         untouched) or B2B_EINVAL (`opts` NULL)
 * @since 0.1
 */
B2B_API int b2b_ctx_options_init(b2b_ctx_options *opts, unsigned int version);

/**
 * Create a context.
 *
 * Ownership: the caller owns `*out`; release it with b2b_ctx_free().
 * Thread-safety: thread-safe (touches no shared state).
 *
 * @param[out] out  receives the context; set to NULL on failure
 * @param opts      options, or NULL for B2B_CTX_OPTIONS_INIT
 * @return 0, B2B_ENOMEM, B2B_EVERSION or B2B_EINVAL (unknown flag)
 * @since 0.1
 */
B2B_API int b2b_ctx_new(b2b_ctx **out, const b2b_ctx_options *opts);

/** Release a context and everything borrowed from it. NULL is a no-op. @since 0.1 */
B2B_API void b2b_ctx_free(b2b_ctx *ctx);

/**
 * Drop every result borrowed from the arena, the error detail and the
 * diagnostics, keeping the arena's capacity for the next call.
 * NULL is a no-op. @since 0.1
 */
B2B_API void b2b_ctx_reset(b2b_ctx *ctx);

/** Bytes the arena currently holds (used), for tests and tuning. @since 0.1 */
B2B_API size_t b2b_ctx_arena_used(const b2b_ctx *ctx);

/**
 * Detail of the last failing call made on `ctx`. Strings are borrowed
 * from the ctx and valid until the next call on it; "" when not set.
 * Numbers are 0 (line, col) or -1 (offset) when not known.
 *
 * The strings have bounded sizes (message 511 bytes, file and path 255
 * each). A longer one is shortened on a UTF-8 code point boundary and
 * ends with "..." (three full stops); every message, path or violation
 * text of the library that quotes user text is shortened the same way,
 * so it is valid UTF-8 whenever its input was.
 * @since 0.1
 */
B2B_API int         b2b_ctx_errcode(const b2b_ctx *ctx);
B2B_API const char *b2b_ctx_errmsg(const b2b_ctx *ctx);
B2B_API const char *b2b_ctx_errfile(const b2b_ctx *ctx);
B2B_API long        b2b_ctx_errline(const b2b_ctx *ctx);
B2B_API long        b2b_ctx_errcol(const b2b_ctx *ctx);
B2B_API long        b2b_ctx_erroffset(const b2b_ctx *ctx);
B2B_API const char *b2b_ctx_errpath(const b2b_ctx *ctx);

/** Severity of a diagnostic. Values never change. */
typedef enum b2b_severity {
	B2B_SEV_ERROR = 0,   /**< "error": the operation fails (e.g. the book is not built) */
	B2B_SEV_WARNING = 1  /**< "warning": reported; the operation goes on */
} b2b_severity;

/** "error" or "warning"; NULL for a value outside the enum. Static. @since 0.1 */
B2B_API const char *b2b_severity_name(b2b_severity severity);
/**
 * The severity named `name` (`len` bytes, no NUL needed; exact,
 * case-sensitive) into *out.
 * @return 0, B2B_EPARSE (not a name; *out untouched) or B2B_EINVAL (`out`
 *         NULL, or `name` NULL with `len` > 0)
 * @since 0.1
 */
B2B_API int b2b_severity_parse(b2b_severity *out, const char *name, size_t len);

/**
 * Diagnostics collected by calls that report every problem at once
 * (b2b_book_load_dir() and the book builder). Indexes run from 0 to
 * b2b_ctx_diag_count() − 1; out-of-range indexes give "" / 0, and
 * (b2b_severity)-1 for the severity.
 * Strings are borrowed from the ctx until its next reset; a message
 * holds at most 1023 bytes (shortened as above).
 * @since 0.1
 */
B2B_API size_t      b2b_ctx_diag_count(const b2b_ctx *ctx);
B2B_API b2b_severity b2b_ctx_diag_severity(const b2b_ctx *ctx, size_t i);
B2B_API const char *b2b_ctx_diag_file(const b2b_ctx *ctx, size_t i);
B2B_API long        b2b_ctx_diag_line(const b2b_ctx *ctx, size_t i);
B2B_API long        b2b_ctx_diag_col(const b2b_ctx *ctx, size_t i);
B2B_API const char *b2b_ctx_diag_message(const b2b_ctx *ctx, size_t i);
/** True when more diagnostics were found than the ctx kept (B2B_CTX_MAX_DIAGS). */
B2B_API int         b2b_ctx_diag_truncated(const b2b_ctx *ctx);
/**
 * Diagnostics of severity B2B_SEV_ERROR found since the ctx was created or
 * last reset, kept or not: beyond B2B_CTX_MAX_DIAGS they are counted here
 * but not kept, so this may exceed b2b_ctx_diag_count() (the number to
 * print in "N problems; the book was not built"). 0 for NULL.
 * Thread-safety: as any read of the ctx (one thread at a time).
 * @since 0.1
 */
B2B_API size_t      b2b_ctx_diag_errors(const b2b_ctx *ctx);

/** How many diagnostics one ctx keeps; later ones are counted, not kept. */
#define B2B_CTX_MAX_DIAGS 1000

B2B_END_DECL
#endif /* B2B_CTX_H */
