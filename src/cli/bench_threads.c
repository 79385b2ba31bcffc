/*
 * b2b bench price --threads N — the same batch priced by 1, 2, …, N
 * threads at once, each pricing one contiguous slice of the lines on the
 * same book with its own b2b_ctx and its own result arrays (no shared
 * writes: the book is read-only, the library's batch keeps its state on
 * the thread's stack, and each thread's results are separate allocations,
 * so no cache line is written by two threads). Times are wall time from
 * the moment every thread is ready to the last one's end, and each
 * thread's CPU time (CLOCK_THREAD_CPUTIME_ID); the results are compared
 * with the single-call batch's.
 * SPDX-License-Identifier: MIT
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "b2b.h"
#include "b2b/price.h"
#include "bench_util.h"

/* The start line: threads wait there until all of them are ready. */
typedef struct bt_start {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int ready, go, abort;
} bt_start;

typedef struct bt_thread {
	pthread_t tid;
	bt_start *start;
	const b2b_book *book;
	const uint32_t *cu, *pr;
	const b2b_dec *q;
	size_t n;
	b2b_time as_of;
	b2b_dec *up;       /* this thread's own results */
	int *pb;
	int rc;
	int64_t cpu;       /* thread CPU ns of its batch */
	char pad[64];      /* keeps the next thread's fields off this one's line */
} bt_thread;

static int64_t
thread_cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void *
bt_run(void *arg)
{
	bt_thread *t = arg;
	b2b_ctx *ctx = NULL;
	int64_t c0;

	bt_start *st = t->start;
	int abort_;

	t->rc = b2b_ctx_new(&ctx, NULL);
	pthread_mutex_lock(&st->mu);
	st->ready++;
	pthread_cond_broadcast(&st->cv);
	while (!st->go)
		pthread_cond_wait(&st->cv, &st->mu);
	abort_ = st->abort;
	pthread_mutex_unlock(&st->mu);
	if (t->rc != 0 || abort_) {
		b2b_ctx_free(ctx);
		t->rc = t->rc != 0 ? t->rc : -1;
		return NULL;
	}
	c0 = thread_cpu_ns();
	t->rc = b2b_price_batch(t->up, t->pb, ctx, t->book, t->cu, t->pr, t->q, t->n, NULL,
	                        t->as_of);
	t->cpu = thread_cpu_ns() - c0;
	b2b_ctx_free(ctx);
	return NULL;
}

/*
 * One run on k threads: wall ns into *wall, the sum of the threads' CPU
 * ns into *cpu; *same 0 when a result differs from ref_up/ref_pb.
 */
static int
bt_once(bt_thread *t, int k, const b2b_book *book, const uint32_t *cu, const uint32_t *pr,
        const b2b_dec *q, size_t n, b2b_time as_of, const b2b_dec *ref_up, const int *ref_pb,
        int64_t *wall, int64_t *cpu, int *same)
{
	bt_start start;
	size_t first = 0;
	int64_t t0;
	int i, made = 0, rc = 0;

	memset(&start, 0, sizeof start);
	if (pthread_mutex_init(&start.mu, NULL) != 0)
		return -1;
	if (pthread_cond_init(&start.cv, NULL) != 0) {
		pthread_mutex_destroy(&start.mu);
		return -1;
	}
	for (i = 0; i < k; i++) {
		/* slices of whole groups of 64 lines */
		size_t end = i == k - 1 ? n : (n / (size_t)k * (size_t)(i + 1)) & ~(size_t)63;

		if (end < first)
			end = first;
		t[i].start = &start;
		t[i].book = book;
		t[i].cu = cu + first;
		t[i].pr = pr + first;
		t[i].q = q + first;
		t[i].n = end - first;
		t[i].as_of = as_of;
		t[i].rc = 0;
		t[i].cpu = 0;
		first = end;
	}
	for (i = 0; i < k; i++) {
		if (pthread_create(&t[i].tid, NULL, bt_run, &t[i]) != 0)
			break;
		made++;
	}
	pthread_mutex_lock(&start.mu);
	while (start.ready < made)
		pthread_cond_wait(&start.cv, &start.mu);
	start.go = 1;
	start.abort = made < k;
	pthread_cond_broadcast(&start.cv);
	pthread_mutex_unlock(&start.mu);
	t0 = now_ns();
	*cpu = 0;
	for (i = 0; i < made; i++) {
		pthread_join(t[i].tid, NULL);
		if (t[i].rc != 0)
			rc = -1;
		*cpu += t[i].cpu;
	}
	*wall = now_ns() - t0;
	pthread_cond_destroy(&start.cv);
	pthread_mutex_destroy(&start.mu);
	if (made < k) {
		fputs("b2b bench price: cannot start a thread\n", stderr);
		return -1;
	}
	first = 0;
	for (i = 0; i < k; i++) {
		if (memcmp(t[i].up, ref_up + first, t[i].n * sizeof *ref_up) != 0 ||
		    memcmp(t[i].pb, ref_pb + first, t[i].n * sizeof *ref_pb) != 0)
			*same = 0;
		first += t[i].n;
	}
	return rc;
}

int
bench_threads(bench_threads_result *res, const b2b_book *book, const uint32_t *cu,
              const uint32_t *pr, const b2b_dec *q, size_t n, b2b_time as_of, int runs,
              const b2b_dec *ref_up, const int *ref_pb)
{
	bt_thread *t = calloc((size_t)res->max_threads, sizeof *t);
	int64_t *wall = calloc((size_t)runs, sizeof *wall), *cpu = calloc((size_t)runs, sizeof *cpu);
	int k, r, i, rc = -1;

	res->same = 1;
	if (t == NULL || wall == NULL || cpu == NULL)
		goto done;
	for (i = 0; i < res->max_threads; i++) {
		/* room for the whole batch in each thread's arrays: any slice fits */
		t[i].up = malloc(n * sizeof *t[i].up);
		t[i].pb = malloc(n * sizeof *t[i].pb);
		if (t[i].up == NULL || t[i].pb == NULL)
			goto done;
	}
	for (k = 1; k <= res->max_threads; k++) {
		for (r = 0; r < runs; r++) {
			if (bt_once(t, k, book, cu, pr, q, n, as_of, ref_up, ref_pb, &wall[r], &cpu[r],
			            &res->same) < 0) {
				fputs("b2b bench price: b2b_price_batch failed in a thread\n", stderr);
				goto done;
			}
			fprintf(stderr, "b2b bench price: %d thread(s), run %d: %lld ms\n", k, r + 1,
			        (long long)(wall[r] / 1000000));
		}
		qsort(wall, (size_t)runs, sizeof *wall, cmp_i64);
		qsort(cpu, (size_t)runs, sizeof *cpu, cmp_i64);
		res->wall_min[k - 1] = wall[0];
		res->wall_median[k - 1] = wall[runs / 2];
		res->cpu_min[k - 1] = cpu[0];
	}
	rc = 0;
done:
	if (t != NULL)
		for (i = 0; i < res->max_threads; i++) {
			free(t[i].up);
			free(t[i].pb);
		}
	free(t);
	free(wall);
	free(cpu);
	return rc;
}
