/*
 * libb2bcore — arena helpers: results and documents built in a ctx's
 * arena (freed together by b2b_ctx_reset()).
 * SPDX-License-Identifier: MIT
 */
#ifndef B2B_SRC_ARENA_H
#define B2B_SRC_ARENA_H

#include <stddef.h>

#include "ctx_int.h"

/* printf into the arena; NULL when out of memory. */
char *b2b__arena_printf(b2b_ctx *ctx, const char *fmt, ...) B2B__PRINTF(2, 3);
/* Grow an arena array to hold `need` items (the old block is left in the
 * arena); 0 or B2B_ENOMEM. */
int b2b__arena_grow(b2b_ctx *ctx, void **items, size_t *cap, size_t need, size_t elem);
/* n zeroed items from the arena, or NULL. */
void *b2b__arena_calloc(b2b_ctx *ctx, size_t n, size_t elem);

#endif
