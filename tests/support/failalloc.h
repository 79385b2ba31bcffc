/*
 * Tests: a counting allocator that fails at allocation N (SQLite-style OOM
 * loops), and checks that everything allocated was freed.
 */
#ifndef B2B_TEST_FAILALLOC_H
#define B2B_TEST_FAILALLOC_H

#include <stddef.h>
#include "b2b/alloc.h"

typedef struct failalloc {
	long fail_at;        /* allocation index (0-based) that fails; -1 = never */
	long calls;          /* malloc + growing realloc calls so far */
	long live;           /* blocks currently allocated */
	size_t live_bytes;   /* bytes currently allocated */
	int failed;          /* 1 once an allocation was refused */
	int bad_size;        /* 1 if a free/realloc passed a size that was never allocated */
} failalloc;

/** Reset counters and set the failing call (-1 = never fail). */
void failalloc_init(failalloc *fa, long fail_at);
/** An allocator that uses `fa`. */
b2b_allocator failalloc_allocator(failalloc *fa);

/*
 * Run `body` with allocation N failing for N = 0, 1, 2, … until it
 * succeeds (returns 0). For each failing N, body must return B2B_ENOMEM
 * and leave no live block. Returns the number of iterations, or -1 (and
 * prints why) when a check fails.
 */
typedef int (*failalloc_body)(const b2b_allocator *a, void *ud);
long failalloc_loop(failalloc_body body, void *ud, long max_iterations);

#endif
