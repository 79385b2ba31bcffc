/*
 * libb2bcore — arena helpers on top of b2b__ctx_alloc(): printf, growing
 * arrays and zeroed blocks whose lifetime is the ctx's until reset.
 * SPDX-License-Identifier: MIT
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>

#include "arena.h"

char *
b2b__arena_printf(b2b_ctx *ctx, const char *fmt, ...)
{
	va_list ap;
	char small[256], *p;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	p = b2b__ctx_alloc(ctx, (size_t)n + 1);
	if (p == NULL)
		return NULL;
	if ((size_t)n < sizeof(small)) {
		memcpy(p, small, (size_t)n + 1);
	} else {
		va_start(ap, fmt);
		vsnprintf(p, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	return p;
}

/* Grow an arena array (the old block stays in the arena until reset). */
int
b2b__arena_grow(b2b_ctx *ctx, void **items, size_t *cap, size_t need, size_t elem)
{
	size_t ncap;
	void *p;

	if (need <= *cap)
		return 0;
	ncap = *cap != 0 ? *cap : 4;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2 / elem)
			return B2B_ENOMEM;
		ncap *= 2;
	}
	p = b2b__ctx_alloc(ctx, ncap * elem);
	if (p == NULL)
		return B2B_ENOMEM;
	if (*cap != 0)
		memcpy(p, *items, *cap * elem);
	*items = p;
	*cap = ncap;
	return 0;
}

void *
b2b__arena_calloc(b2b_ctx *ctx, size_t n, size_t elem)
{
	void *p;

	if (n != 0 && elem > SIZE_MAX / n)
		return NULL;
	p = b2b__ctx_alloc(ctx, n * elem);
	if (p != NULL)
		memset(p, 0, n * elem);
	return p;
}
