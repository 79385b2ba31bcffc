/*
 * libb2bcore — allocator hooks, set per object (never globally).
 * SPDX-License-Identifier: MIT
 */
#ifndef B2B_ALLOC_H
#define B2B_ALLOC_H

#include "b2b/common.h"

/**
 * @file b2b/alloc.h
 * @brief The allocator an object uses for its whole life.
 *
 * Every object that allocates (b2b_ctx, book builders, books) takes a
 * `const b2b_allocator *` at creation and copies it by value; NULL means
 * libc malloc/realloc/free. `ud` is passed back verbatim and must outlive
 * every object created with it. Sizes are passed to realloc and free so
 * that hosts can plug in pools. Every block goes back to the allocator that
 * gave it. The member names end in `_fn` so that a host that #defines
 * `malloc` cannot break this header.
 */
B2B_BEGIN_DECL

typedef struct b2b_allocator {
	/** Return `size` bytes aligned for any type, or NULL. */
	void *(*malloc_fn)(void *ud, size_t size);
	/** Resize a block from old_size to new_size; NULL leaves it untouched. */
	void *(*realloc_fn)(void *ud, void *ptr, size_t old_size, size_t new_size);
	/** Release a block of `size` bytes; ptr is never NULL. */
	void  (*free_fn)(void *ud, void *ptr, size_t size);
	/** Passed back verbatim to the three functions. */
	void  *ud;
} b2b_allocator;

B2B_END_DECL
#endif /* B2B_ALLOC_H */
