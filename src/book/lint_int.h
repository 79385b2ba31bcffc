/*
 * libb2bcore — internals of lint (SPEC §12), shared by lint.c (the
 * report, its JSON, the load findings, the public API) and lint_checks.c
 * (the findings on a loaded book).
 * SPDX-License-Identifier: MIT
 */
#ifndef B2B_SRC_LINT_INT_H
#define B2B_SRC_LINT_INT_H

#include "b2b/lint.h"
#include "book_int.h"
#include "ctx_int.h"

/* Related rows a finding keeps at most. */
#define B2B__LINT_MAX_RELATED 3

typedef struct b2b__finding {
	int code;                 /* b2b_lint_code */
	int severity;             /* b2b_lint_severity */
	const char *file;         /* static or arena */
	long line;
	const char *message;      /* arena */
	const char *related[B2B__LINT_MAX_RELATED]; /* "file:line", arena */
	size_t nrelated;
} b2b__finding;

struct b2b_lint {
	b2b_ctx *ctx;             /* whose arena holds the report while it is built */
	const char *fingerprint;  /* arena copy; NULL when the book did not load */
	int has_as_of;
	b2b_time as_of;
	b2b__finding *f;
	size_t n, cap;
	size_t errors;
};

/*
 * A new finding at (file, line) with a printf message; NULL when out of
 * memory. The message is formatted into the arena.
 */
b2b__finding *b2b__lint_add(b2b_lint *l, int code, const char *file, long line,
                            const char *fmt, ...) B2B__PRINTF(5, 6);
/* Append a related row "file:line"; 0 or B2B_ENOMEM (full: ignored). */
int b2b__lint_related(b2b_lint *l, b2b__finding *f, const char *file, long line);

/* Every finding of SPEC §12 on a loaded book but the load ones (lint_checks.c). */
int b2b__lint_checks(b2b_lint *l, const b2b_book *b);

#endif
