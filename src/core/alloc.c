/*
 * libb2bcore — allocation through the per-object b2b_allocator.
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "b2b/error.h"

static void *
libc_malloc(void *ud, size_t n)
{
	(void)ud;
	return malloc(n);
}

static void *
libc_realloc(void *ud, void *p, size_t old_n, size_t new_n)
{
	(void)ud;
	(void)old_n;
	return realloc(p, new_n);
}

static void
libc_free(void *ud, void *p, size_t n)
{
	(void)ud;
	(void)n;
	free(p);
}

void
b2b__alloc_init(b2b_allocator *dst, const b2b_allocator *src)
{
	if (src != NULL && src->malloc_fn != NULL && src->realloc_fn != NULL &&
	    src->free_fn != NULL) {
		*dst = *src;
		return;
	}
	dst->malloc_fn = libc_malloc;
	dst->realloc_fn = libc_realloc;
	dst->free_fn = libc_free;
	dst->ud = NULL;
}

void *
b2b__malloc(const b2b_allocator *a, size_t n)
{
	return a->malloc_fn(a->ud, n == 0 ? 1 : n);
}

void *
b2b__calloc(const b2b_allocator *a, size_t count, size_t size)
{
	void *p;

	if (size != 0 && count > SIZE_MAX / size)
		return NULL;
	p = b2b__malloc(a, count * size);
	if (p != NULL)
		memset(p, 0, count * size == 0 ? 1 : count * size);
	return p;
}

void *
b2b__realloc(const b2b_allocator *a, void *p, size_t old_n, size_t new_n)
{
	if (p == NULL)
		return b2b__malloc(a, new_n);
	return a->realloc_fn(a->ud, p, old_n, new_n == 0 ? 1 : new_n);
}

void
b2b__free(const b2b_allocator *a, void *p, size_t n)
{
	if (p != NULL)
		a->free_fn(a->ud, p, n == 0 ? 1 : n);
}

char *
b2b__strndup(const b2b_allocator *a, const char *s, size_t len)
{
	char *p;

	if (len == SIZE_MAX)
		return NULL;
	p = b2b__malloc(a, len + 1);
	if (p == NULL)
		return NULL;
	if (len != 0)
		memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

int
b2b__grow(const b2b_allocator *a, void **items, size_t *cap, size_t need, size_t elem)
{
	size_t ncap;
	void *p;

	if (need <= *cap)
		return 0;
	ncap = *cap < 8 ? 8 : *cap;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2)
			return B2B_ENOMEM;
		ncap *= 2;
	}
	if (elem != 0 && ncap > SIZE_MAX / elem)
		return B2B_ENOMEM;
	p = *items == NULL ? b2b__malloc(a, ncap * elem)
	                   : b2b__realloc(a, *items, *cap * elem, ncap * elem);
	if (p == NULL)
		return B2B_ENOMEM;
	*items = p;
	*cap = ncap;
	return 0;
}
