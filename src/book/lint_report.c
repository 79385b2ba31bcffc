/*
 * libb2bcore — lint (SPEC §12): adding findings to a report, shared by
 * lint.c (the load findings) and lint_checks.c (the checks on a book).
 * SPDX-License-Identifier: MIT
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "lint_int.h"
#include "text.h"

/* The severity of each code (SPEC §12). */
static int
code_severity(int code)
{
	return code == B2B_LINT_LOAD_ERROR ? B2B_LINT_ERROR
	     : code == B2B_LINT_EXPIRED ? B2B_LINT_INFO : B2B_LINT_WARNING;
}

b2b__finding *
b2b__lint_add(b2b_lint *l, int code, const char *file, long line, const char *fmt, ...)
{
	b2b__finding *f;
	char buf[1024];
	va_list ap;

	if (l->n == l->cap &&
	    b2b__arena_grow(l->ctx, (void **)&l->f, &l->cap, l->n + 1, sizeof(*l->f)) < 0)
		return NULL;
	va_start(ap, fmt);
	b2b__text_vformat(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	f = &l->f[l->n];
	memset(f, 0, sizeof(*f));
	if ((f->message = b2b__ctx_strndup(l->ctx, buf, strlen(buf))) == NULL)
		return NULL;
	f->code = code;
	f->severity = code_severity(code);
	f->file = file;
	f->line = line;
	l->n++;
	if (f->severity == B2B_LINT_ERROR)
		l->errors++;
	return f;
}

int
b2b__lint_related(b2b_lint *l, b2b__finding *f, const char *file, long line)
{
	char *s;

	if (f->nrelated >= B2B__LINT_MAX_RELATED)
		return 0;
	if ((s = b2b__arena_printf(l->ctx, "%s:%ld", file, line)) == NULL)
		return B2B_ENOMEM;
	f->related[f->nrelated++] = s;
	return 0;
}
