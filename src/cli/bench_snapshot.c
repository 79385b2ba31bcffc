/*
 * b2b bench book — snapshots (SPEC §14): write the loaded book as a
 * snapshot, open it R times with the whole-file checksum and R times
 * without (wall and CPU time of b2b_book_open_snapshot(), which maps the
 * file and checks every record), compare with the CSV load of the same
 * run, check that the opened book has the same fingerprint and batch
 * prices, and measure what a second process adds.
 *
 * Private memory of a second process: this process keeps the snapshot
 * open (its pages are in the page cache and mapped here), then forks a
 * child that reads its own Private_Clean + Private_Dirty from
 * /proc/self/smaps_rollup, opens the snapshot (checksum included: every
 * page is read), prices a batch of lines spread over the whole book
 * (touching the pages pricing uses), and reads the figures again; the
 * difference is what opening and pricing cost it privately. The file's
 * pages, mapped by both processes, are shared and not counted. Linux
 * only; elsewhere the figures are null.
 * SPDX-License-Identifier: MIT
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "b2b.h"
#include "bench_snapshot.h"
#include "bench_util.h"

#define NLINES 200000

/* Private_Clean + Private_Dirty and Rss of this process (bytes); -1 when unknown. */
static void
smaps_private(long long *priv, long long *rss)
{
	FILE *f = fopen("/proc/self/smaps_rollup", "r");
	char line[256];
	long long kb, pc = -1, pd = -1, r = -1;

	*priv = *rss = -1;
	if (f == NULL)
		return;
	while (fgets(line, sizeof line, f) != NULL) {
		if (sscanf(line, "Private_Clean: %lld kB", &kb) == 1)
			pc = kb;
		else if (sscanf(line, "Private_Dirty: %lld kB", &kb) == 1)
			pd = kb;
		else if (sscanf(line, "Rss: %lld kB", &kb) == 1)
			r = kb;
	}
	fclose(f);
	if (pc >= 0 && pd >= 0)
		*priv = (pc + pd) * 1024;
	if (r >= 0)
		*rss = r * 1024;
}

/* NLINES lines spread over every customer and product, deterministic. */
static void
make_lines(const b2b_book *b, uint32_t *cu, uint32_t *pr, b2b_dec *q)
{
	size_t nc = b2b_book_count(b, B2B_TABLE_CUSTOMERS);
	size_t np = b2b_book_count(b, B2B_TABLE_PRODUCTS);
	uint64_t x = 0x9e3779b97f4a7c15u;
	size_t i;

	for (i = 0; i < NLINES; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		cu[i] = nc > 0 ? (uint32_t)(x % nc) : 0;
		pr[i] = np > 0 ? (uint32_t)((x >> 20) % np) : 0;
		b2b_dec_from_units(&q[i], (int64_t)(1 + (x >> 50) % 200), 0);
	}
}

typedef struct lines {
	uint32_t *cu, *pr;
	b2b_dec *q;
} lines;

static int
lines_new(lines *l, const b2b_book *b)
{
	l->cu = calloc(NLINES, sizeof *l->cu);
	l->pr = calloc(NLINES, sizeof *l->pr);
	l->q = calloc(NLINES, sizeof *l->q);
	if (!l->cu || !l->pr || !l->q)
		return -1;
	make_lines(b, l->cu, l->pr, l->q);
	return 0;
}

static void
lines_free(lines *l)
{
	free(l->cu);
	free(l->pr);
	free(l->q);
}

/*
 * A checksum of the batch prices of the lines on book b (0 when it
 * fails), priced CHUNK lines at a time into small buffers, so that the
 * second process's private memory is the library's, not the results'.
 */
#define CHUNK 1024

static uint64_t
price_sum(const b2b_book *b, const lines *l)
{
	b2b_dec up[CHUNK];
	int pb[CHUNK];
	b2b_time t;
	uint64_t h = 1469598103934665603u;
	size_t i, k, m;

	if (b2b_book_count(b, B2B_TABLE_CUSTOMERS) == 0 ||
	    b2b_book_count(b, B2B_TABLE_PRODUCTS) == 0 ||
	    b2b_time_parse(&t, NULL, "2026-03-01", 10) != 0)
		return 0;
	for (i = 0; i < NLINES; i += m) {
		m = NLINES - i < CHUNK ? NLINES - i : CHUNK;
		if (b2b_price_batch(up, pb, NULL, b, l->cu + i, l->pr + i, l->q + i, m, NULL, t) != 0)
			return 0;
		for (k = 0; k < m; k++)
			h = (h ^ up[k].lo ^ (uint64_t)up[k].hi * 31 ^ (uint64_t)pb[k]) *
			    1099511628211u;
	}
	return h;
}

/* Open `path` `runs` times; sorted wall and CPU ns into ns[0..runs), cpu[0..runs). */
static int
time_opens(const char *path, unsigned flags, int runs, int64_t *ns, int64_t *cpu)
{
	b2b_snapshot_options o = B2B_SNAPSHOT_OPTIONS_INIT;
	int r;

	o.flags = flags;
	for (r = 0; r < runs; r++) {
		b2b_ctx *ctx = NULL;
		b2b_book *b = NULL;
		int64_t t0, c0;
		int rc;

		if (b2b_ctx_new(&ctx, NULL) < 0)
			return -1;
		t0 = now_ns();
		c0 = cpu_ns();
		rc = b2b_book_open_snapshot(&b, ctx, path, &o);
		cpu[r] = cpu_ns() - c0;
		ns[r] = now_ns() - t0;
		if (rc < 0) {
			fprintf(stderr, "b2b bench book: %s\n", b2b_ctx_errmsg(ctx));
			b2b_ctx_free(ctx);
			return -1;
		}
		b2b_book_unref(b);
		b2b_ctx_free(ctx);
	}
	qsort(ns, (size_t)runs, sizeof *ns, cmp_i64);
	qsort(cpu, (size_t)runs, sizeof *cpu, cmp_i64);
	return 0;
}

/* The child's figures, through a pipe. */
typedef struct child_report {
	long long priv_before, priv_after, rss_before, rss_after;
	int64_t open_ns, price_ns;
	int ok;
} child_report;

static void
child(int fd, const char *path, const lines *l)
{
	child_report r;
	b2b_ctx *ctx = NULL;
	b2b_book *b = NULL;
	int64_t t0;
	ssize_t put;

	memset(&r, 0, sizeof r);
	smaps_private(&r.priv_before, &r.rss_before);
	t0 = now_ns();
	if (b2b_ctx_new(&ctx, NULL) == 0 && b2b_book_open_snapshot(&b, ctx, path, NULL) == 0) {
		r.open_ns = now_ns() - t0;
		t0 = now_ns();
		r.ok = price_sum(b, l) != 0;
		r.price_ns = now_ns() - t0;
	}
	smaps_private(&r.priv_after, &r.rss_after);
	put = write(fd, &r, sizeof r);
	(void)put;
	_exit(0);
}

/* Fork the second process; 0 with *r filled, or -1. */
static int
second_process(const char *path, const lines *l, child_report *r)
{
	int fds[2], status;
	pid_t pid;
	ssize_t got;

	if (pipe(fds) != 0)
		return -1;
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		close(fds[0]);
		child(fds[1], path, l);
	}
	close(fds[1]);
	got = read(fds[0], r, sizeof *r);
	close(fds[0]);
	waitpid(pid, &status, 0);
	return got == (ssize_t)sizeof *r && r->ok ? 0 : -1;
}

static void
jw_bytes_or_null(jout *w, const char *key, long long v)
{
	jout_key(w, key);
	if (v >= 0)
		jout_int(w, v);
	else
		jout_null(w);
}

int
bench_snapshot(jout *w, const b2b_book *book, const char *dir, int runs, int64_t load_ns,
               int64_t load_cpu_ns)
{
	char path[4200];
	b2b_ctx *ctx = NULL;
	b2b_book *snap = NULL;
	int64_t *t = NULL, t0, write_ns;
	struct stat st;
	lines l;
	child_report cr;
	int rc = -1, have_child, same_prices;
	uint64_t sum_csv, sum_snap;

	memset(&l, 0, sizeof l);
	if (runs < 5)
		runs = 5;
	snprintf(path, sizeof path, "%s/book.b2bsnap", dir);
	if (b2b_ctx_new(&ctx, NULL) < 0 || (t = calloc((size_t)runs * 4, sizeof *t)) == NULL ||
	    lines_new(&l, book) < 0) {
		fputs("b2b: out of memory\n", stderr);
		goto done;
	}
	fprintf(stderr, "b2b bench book: writing the snapshot %s\n", path);
	t0 = now_ns();
	if (b2b_book_write_snapshot(book, ctx, path) < 0) {
		fprintf(stderr, "b2b bench book: %s\n", b2b_ctx_errmsg(ctx));
		goto done;
	}
	write_ns = now_ns() - t0;
	if (stat(path, &st) != 0)
		goto done;
	fprintf(stderr, "b2b bench book: opening it %d times with the checksum, %d without\n",
	        runs, runs);
	if (time_opens(path, 0, runs, t, t + runs) < 0 ||
	    time_opens(path, B2B_SNAPSHOT_NO_CHECKSUM, runs, t + 2 * runs, t + 3 * runs) < 0)
		goto done;
	/* the same book: fingerprint and prices; kept open for the second process */
	if (b2b_book_open_snapshot(&snap, ctx, path, NULL) < 0) {
		fprintf(stderr, "b2b bench book: %s\n", b2b_ctx_errmsg(ctx));
		goto done;
	}
	sum_csv = price_sum(book, &l);
	sum_snap = price_sum(snap, &l);
	same_prices = sum_csv != 0 && sum_csv == sum_snap;
	fprintf(stderr, "b2b bench book: a second process opens it and prices %d lines\n", NLINES);
	have_child = second_process(path, &l, &cr) == 0;

	jout_key(w, "snapshot");
	jout_begin_object(w);
	jout_key(w, "bytes");
	jout_int(w, (int64_t)st.st_size);
	jout_key(w, "book_memory_bytes");
	jout_int(w, (int64_t)b2b_book_memory(book));
	jout_key(w, "bytes_within_book_memory");
	jout_bool(w, (uint64_t)st.st_size <= (uint64_t)b2b_book_memory(book));
	jw_ms(w, "write_ms", write_ns);
	jout_key(w, "runs");
	jout_int(w, runs);
	jw_ms(w, "open_ms_min", t[0]);
	jw_ms(w, "open_ms_median", t[runs / 2]);
	jw_ms(w, "open_cpu_ms_min", t[runs]);
	jw_ms(w, "open_cpu_ms_median", t[runs + runs / 2]);
	jw_ms(w, "open_no_checksum_ms_median", t[2 * runs + runs / 2]);
	jw_ms(w, "open_no_checksum_cpu_ms_median", t[3 * runs + runs / 2]);
	jw_ratio(w, "csv_load_per_open", (uint64_t)load_ns, (uint64_t)t[runs / 2]);
	jw_ratio(w, "csv_load_per_open_cpu", (uint64_t)load_cpu_ns, (uint64_t)t[runs + runs / 2]);
	jout_key(w, "same_fingerprint");
	jout_bool(w, strcmp(b2b_book_fingerprint(snap), b2b_book_fingerprint(book)) == 0);
	jout_key(w, "same_batch_prices");
	jout_bool(w, same_prices);
	jout_key(w, "lines_priced_by_second_process");
	jout_int(w, NLINES);
	jw_bytes_or_null(w, "second_process_private_bytes",
	                 have_child && cr.priv_before >= 0 ? cr.priv_after - cr.priv_before : -1);
	jw_bytes_or_null(w, "second_process_rss_bytes",
	                 have_child && cr.rss_before >= 0 ? cr.rss_after - cr.rss_before : -1);
	if (have_child) {
		jw_ms(w, "second_process_open_ms", cr.open_ns);
		jw_ms(w, "second_process_price_ms", cr.price_ns);
	}
	jout_end_object(w);
	rc = 0;
done:
	b2b_book_unref(snap);
	b2b_ctx_free(ctx);
	lines_free(&l);
	free(t);
	remove(path);
	return rc;
}
