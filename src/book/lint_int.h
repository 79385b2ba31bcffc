/*
 * libb2bcore — internals of lint (SPEC §12), shared by lint.c (the
 * report's order and JSON, the load findings, the public API),
 * lint_report.c (adding findings) and lint_checks.c (the findings on a
 * loaded book).
 *
 * A report may hold millions of findings (a synthetic book with a cliff
 * at most breaks), so a finding is small: its file is an index into the
 * report's table of file names, its related rows are (file, line) pairs
 * written as "file:line" only when asked, and the report's order is an
 * index array over the findings, which never move.
 * SPDX-License-Identifier: MIT
 */
#ifndef B2B_SRC_LINT_INT_H
#define B2B_SRC_LINT_INT_H

#include "b2b/lint.h"
#include "book_int.h"
#include "ctx_int.h"

/* Related rows a finding keeps at most. */
#define B2B__LINT_MAX_RELATED 3

typedef struct b2b__lint_row {
	int32_t line;
	uint16_t file;            /* index into b2b_lint.files */
} b2b__lint_row;

typedef struct b2b__finding {
	uint64_t key;             /* file rank, line, code rank (set by the sort) */
	const char *message;      /* arena */
	uint32_t message_len;
	int32_t line;
	uint16_t file;            /* index into b2b_lint.files */
	uint8_t code;             /* b2b_lint_code */
	uint8_t nrelated;
	uint8_t plain;            /* the message has nothing to escape in JSON */
	b2b__lint_row related[B2B__LINT_MAX_RELATED];
} b2b__finding;

/* Findings live in arena chunks of this many (they never move). */
#define B2B__LINT_CHUNK_BITS 14
#define B2B__LINT_CHUNK ((size_t)1 << B2B__LINT_CHUNK_BITS)

/* Distinct file names a report can name (13 tables, 1000 load diagnostics). */
#define B2B__LINT_MAX_FILES 4096

struct b2b_lint {
	b2b_ctx *ctx;             /* whose arena holds the report while it is built */
	const char *fingerprint;  /* arena copy; NULL when the book did not load */
	int has_as_of;
	b2b_time as_of;
	b2b__finding **chunks;    /* in the order they were found: finding i is
	                             chunks[i >> CHUNK_BITS][i & (CHUNK − 1)] */
	size_t n, nchunks, chunks_cap;
	uint32_t *order;          /* the report's order: indexes into f */
	size_t errors;
	const char **files;       /* distinct file names, arena (or static) */
	size_t nfiles, files_cap;
};

/* Finding i (in the order found). */
static inline b2b__finding *
b2b__lint_at(const b2b_lint *l, size_t i)
{
	return &l->chunks[i >> B2B__LINT_CHUNK_BITS][i & (B2B__LINT_CHUNK - 1)];
}

/* The index of file name `name` in l->files (added when new; `name` is
 * copied unless `is_static`); -1 when out of memory or past the limit. */
int b2b__lint_file(b2b_lint *l, const char *name, int is_static);

/*
 * A new finding at (file index, line) with a printf message formatted
 * into the arena; NULL when out of memory.
 */
b2b__finding *b2b__lint_add(b2b_lint *l, int code, int file, long line, const char *fmt, ...)
	B2B__PRINTF(5, 6);
/*
 * A message put together piece by piece (the checks that may report
 * millions of findings use it: no printf); longer texts are cut.
 */
typedef struct b2b__lint_msg {
	char buf[512];
	size_t len;
	int escapes;              /* a piece has a character JSON escapes */
} b2b__lint_msg;

/* Start an empty message. */
void b2b__lint_msg_init(b2b__lint_msg *m);
/* A literal piece of the message (nothing to escape). */
void b2b__lint_msg_s(b2b__lint_msg *m, const char *s);
/* A piece from the book (an id, a scope): checked for JSON escapes. */
void b2b__lint_msg_v(b2b__lint_msg *m, const char *s);
/* A decimal in its shortest exact form. */
void b2b__lint_msg_d(b2b__lint_msg *m, b2b_dec v);
b2b__finding *b2b__lint_add_msg(b2b_lint *l, int code, int file, long line,
                                const b2b__lint_msg *m);

/* Does the text of n bytes hold a character a JSON string escapes? */
int b2b__lint_escapes(const char *s, size_t n);

/* Append a related row (beyond B2B__LINT_MAX_RELATED: ignored). */
void b2b__lint_related(b2b__finding *f, int file, long line);

/* The severity of a code (SPEC §12). */
int b2b__lint_severity(int code);

/* Every finding of SPEC §12 on a loaded book but the load ones (lint_checks.c). */
int b2b__lint_checks(b2b_lint *l, const b2b_book *b);

#endif
