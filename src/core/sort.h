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

/*
 * A 64-bit key and a row index, for sorting rows whose order a 64-bit key
 * decides completely or almost (the caller then sorts each run of equal
 * keys with b2b__sort_u32()).
 */
typedef struct b2b__rkey {
	uint64_t k;
	uint32_t i;
	uint32_t pad;
} b2b__rkey;

/*
 * Stable LSD radix sort of a[0..n) by k; tmp holds n more. Bytes that are
 * the same in every key cost no pass. Returns the sorted array (a or tmp;
 * the other one holds no useful order). n >= 1.
 */
b2b__rkey *b2b__radix_sort_u64(b2b__rkey *a, b2b__rkey *tmp, size_t n);

#endif
