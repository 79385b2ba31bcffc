/*
 * libb2bcore — internal allocation wrappers. Every allocation in src/ goes
 * through these (or through the ctx arena); plain malloc() is not used.
 * SPDX-License-Identifier: MIT
 */
#ifndef B2B_SRC_ALLOC_H
#define B2B_SRC_ALLOC_H

#include "b2b/alloc.h"

/** Fill *dst from `src` (NULL = libc). */
void  b2b__alloc_init(b2b_allocator *dst, const b2b_allocator *src);
void *b2b__malloc(const b2b_allocator *a, size_t n);
void *b2b__calloc(const b2b_allocator *a, size_t count, size_t size);
void *b2b__realloc(const b2b_allocator *a, void *p, size_t old_n, size_t new_n);
void  b2b__free(const b2b_allocator *a, void *p, size_t n);
/** Copy `len` bytes of `s` plus a NUL; NULL on failure. */
char *b2b__strndup(const b2b_allocator *a, const char *s, size_t len);

/**
 * Grow a dynamic array of `elem` bytes per item so that it holds at least
 * `need` items. *cap is updated. Returns 0 or B2B_ENOMEM (the array is
 * then untouched).
 */
int b2b__grow(const b2b_allocator *a, void **items, size_t *cap, size_t need, size_t elem);

#endif
