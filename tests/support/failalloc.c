/*
 * Tests: the failing allocator. Every block carries a small header with
 * its size so that the sizes the library passes to free/realloc are
 * checked too (they must match what was allocated).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "b2b/error.h"
#include "failalloc.h"

#define HDR 16u

void
failalloc_init(failalloc *fa, long fail_at)
{
	memset(fa, 0, sizeof(*fa));
	fa->fail_at = fail_at;
}

static int
should_fail(failalloc *fa)
{
	long n = fa->calls++;

	if (fa->fail_at >= 0 && n == fa->fail_at) {
		fa->failed = 1;
		return 1;
	}
	return 0;
}

static void *
fa_malloc(void *ud, size_t size)
{
	failalloc *fa = ud;
	unsigned char *p;

	if (should_fail(fa))
		return NULL;
	p = malloc(size + HDR);
	if (p == NULL)
		return NULL;
	memcpy(p, &size, sizeof(size));
	fa->live++;
	fa->live_bytes += size;
	return p + HDR;
}

static void
fa_free(void *ud, void *ptr, size_t size)
{
	failalloc *fa = ud;
	unsigned char *p = (unsigned char *)ptr - HDR;
	size_t had;

	memcpy(&had, p, sizeof(had));
	if (had != size)
		fa->bad_size = 1;
	fa->live--;
	fa->live_bytes -= had;
	free(p);
}

static void *
fa_realloc(void *ud, void *ptr, size_t old_size, size_t new_size)
{
	failalloc *fa = ud;
	unsigned char *p = (unsigned char *)ptr - HDR, *q;
	size_t had;

	memcpy(&had, p, sizeof(had));
	if (had != old_size)
		fa->bad_size = 1;
	if (should_fail(fa))
		return NULL;
	q = realloc(p, new_size + HDR);
	if (q == NULL)
		return NULL;
	memcpy(q, &new_size, sizeof(new_size));
	fa->live_bytes = fa->live_bytes - had + new_size;
	return q + HDR;
}

b2b_allocator
failalloc_allocator(failalloc *fa)
{
	b2b_allocator a;

	a.malloc_fn = fa_malloc;
	a.realloc_fn = fa_realloc;
	a.free_fn = fa_free;
	a.ud = fa;
	return a;
}

long
failalloc_loop(failalloc_body body, void *ud, long max_iterations)
{
	long n;

	for (n = 0; n < max_iterations; n++) {
		failalloc fa;
		b2b_allocator a;
		int rc;

		failalloc_init(&fa, n);
		a = failalloc_allocator(&fa);
		rc = body(&a, ud);
		if (fa.live != 0 || fa.bad_size) {
			fprintf(stderr, "failalloc: fail_at=%ld rc=%d live=%ld bad_size=%d\n",
			        n, rc, fa.live, fa.bad_size);
			return -1;
		}
		if (!fa.failed) {
			if (rc != 0) {
				fprintf(stderr, "failalloc: no failure injected but rc=%d\n", rc);
				return -1;
			}
			return n + 1;
		}
		if (rc != B2B_ENOMEM) {
			fprintf(stderr, "failalloc: fail_at=%ld expected B2B_ENOMEM, got %d\n", n, rc);
			return -1;
		}
	}
	fprintf(stderr, "failalloc: still failing after %ld iterations\n", max_iterations);
	return -1;
}
