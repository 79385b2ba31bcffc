/*
 * libb2bcore — a stable sort of uint32_t indexes with a caller's
 * comparison (insertion-sorted runs of 16, then bottom-up merges), and a
 * radix sort of rows by a 64-bit key.
 * SPDX-License-Identifier: MIT
 */
#include <string.h>

#include "b2b/error.h"
#include "sort.h"

static void
insertion_sort(uint32_t *v, size_t n, b2b__cmp_u32 cmp, const void *ctx)
{
	size_t i, j;

	for (i = 1; i < n; i++) {
		uint32_t x = v[i];

		for (j = i; j > 0 && cmp(ctx, v[j - 1], x) > 0; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

int
b2b__sort_u32(const b2b_allocator *a, uint32_t *v, size_t n, b2b__cmp_u32 cmp,
              const void *ctx)
{
	enum { RUN = 16 };
	uint32_t *tmp, *src, *dst;
	size_t i, width;

	for (i = 0; i < n; i += RUN)
		insertion_sort(v + i, n - i < RUN ? n - i : RUN, cmp, ctx);
	if (n <= RUN)
		return 0;
	tmp = b2b__malloc(a, n * sizeof *tmp);
	if (tmp == NULL)
		return B2B_ENOMEM;
	src = v;
	dst = tmp;
	for (width = RUN; width < n; width *= 2) {
		for (i = 0; i < n; i += 2 * width) {
			size_t lo = i, mid = i + width < n ? i + width : n;
			size_t hi = i + 2 * width < n ? i + 2 * width : n;
			size_t l = lo, r = mid, k = lo;

			while (l < mid && r < hi)
				dst[k++] = cmp(ctx, src[r], src[l]) < 0 ? src[r++] : src[l++];
			while (l < mid)
				dst[k++] = src[l++];
			while (r < hi)
				dst[k++] = src[r++];
		}
		uint32_t *t = src;
		src = dst;
		dst = t;
	}
	if (src != v)
		memcpy(v, src, n * sizeof *v);
	b2b__free(a, tmp, n * sizeof *tmp);
	return 0;
}

b2b__rkey *
b2b__radix_sort_u64(b2b__rkey *a, b2b__rkey *tmp, size_t n)
{
	size_t hist[8][256];
	size_t i;
	int byte;

	memset(hist, 0, sizeof(hist));
	for (i = 0; i < n; i++) {
		uint64_t k = a[i].k;

		for (byte = 0; byte < 8; byte++)
			hist[byte][(k >> (8 * byte)) & 255]++;
	}
	for (byte = 0; byte < 8; byte++) {
		size_t sum = 0, b;
		b2b__rkey *t;

		if (hist[byte][(a[0].k >> (8 * byte)) & 255] == n)
			continue;
		for (b = 0; b < 256; b++) {
			size_t c = hist[byte][b];

			hist[byte][b] = sum;
			sum += c;
		}
		for (i = 0; i < n; i++)
			tmp[hist[byte][(a[i].k >> (8 * byte)) & 255]++] = a[i];
		t = a;
		a = tmp;
		tmp = t;
	}
	return a;
}
