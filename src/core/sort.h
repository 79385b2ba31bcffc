/*
 * libb2bcore — the shared index sort.
 * SPDX-License-Identifier: MIT
 */
#ifndef B2B_SRC_SORT_H
#define B2B_SRC_SORT_H

#include <stddef.h>
#include <stdint.h>

#include "alloc.h"

/*
 * Sort n indexes with cmp(ctx, x, y) (< 0, 0, > 0), stable (merge sort;
 * sort.c). Allocates n uint32_t of scratch with `a` when n > 16.
 * Returns 0 or B2B_ENOMEM (v is then a permutation of its input).
 */
typedef int (*b2b__cmp_u32)(const void *ctx, uint32_t x, uint32_t y);
int b2b__sort_u32(const b2b_allocator *a, uint32_t *v, size_t n, b2b__cmp_u32 cmp,
                  const void *ctx);

#endif
