/*
 * b2b — progress on stderr for long work (loading a large book, writing a
 * synthetic one), only when stderr is a terminal: pipes, files and tests
 * see nothing. A thread redraws one line twice a second, starting after a
 * second (quick work shows nothing), with the time spent and the bytes
 * the process read or wrote meanwhile (/proc/self/io, where there is one;
 * the loader streams the CSV files, so bytes read out of the tables' total
 * size is how far it got; after that it is building the indexes).
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

#define FIRST_DRAW_NS 1000000000LL
#define REDRAW_NS 500000000LL

struct cli_progress {
	char what[256];
	cli_progress_kind kind;
	unsigned long long total, base; /* base: the byte counter at the start */
	long long start_ns;
	cli_progress *outer;            /* the line this one took over */
};

/* The one line on the terminal and its thread (the program is otherwise
 * single-threaded: the thread exists while some progress is shown). */
static struct {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	pthread_t thread;
	int running, stop, drawn;
	cli_progress *cur;
} line = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, 0, 0, NULL };

static long long
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* rchar or wchar of /proc/self/io; 0 when unknown. */
static unsigned long long
io_bytes(cli_progress_kind kind)
{
	const char *key = kind == CLI_PROGRESS_READ ? "rchar: " : "wchar: ";
	char buf[128];
	unsigned long long n = 0;
	FILE *f = fopen("/proc/self/io", "r");

	if (f == NULL)
		return 0;
	while (fgets(buf, sizeof buf, f) != NULL)
		if (strncmp(buf, key, 7) == 0) {
			n = strtoull(buf + 7, NULL, 10);
			break;
		}
	fclose(f);
	return n;
}

static void
draw(const cli_progress *p)
{
	unsigned long long done = io_bytes(p->kind), mb;
	long long secs = (now_ns() - p->start_ns) / 1000000000LL;

	done = done > p->base ? done - p->base : 0;
	mb = done >> 20;
	fprintf(stderr, "\r\033[Kb2b: %s: ", p->what);
	if (p->kind == CLI_PROGRESS_READ && p->total > 0) {
		if (done >= p->total)
			fprintf(stderr, "%llu MB read, building, ", p->total >> 20);
		else
			fprintf(stderr, "%llu of %llu MB read (%llu%%), ", mb, p->total >> 20,
			        done / (p->total / 100 + 1));
	} else if (done > 0) {
		fprintf(stderr, "%llu MB %s, ", mb, p->kind == CLI_PROGRESS_READ ? "read" : "written");
	}
	/* the cursor goes back to the start of the line: a message the
	 * program prints meanwhile overwrites the progress, not follows it */
	fprintf(stderr, "%lld s\r", secs);
	fflush(stderr);
}

static void *
ticker(void *arg)
{
	struct timespec until;
	long long next;

	(void)arg;
	pthread_mutex_lock(&line.mu);
	next = now_ns() + FIRST_DRAW_NS;
	while (!line.stop) {
		until.tv_sec = (time_t)(next / 1000000000LL);
		until.tv_nsec = (long)(next % 1000000000LL);
		if (pthread_cond_timedwait(&line.cv, &line.mu, &until) == ETIMEDOUT && !line.stop &&
		    line.cur != NULL) {
			if (now_ns() - line.cur->start_ns >= FIRST_DRAW_NS) {
				draw(line.cur);
				line.drawn = 1;
			}
			next = now_ns() + REDRAW_NS;
		}
	}
	pthread_mutex_unlock(&line.mu);
	return NULL;
}

cli_progress *
cli_progress_start(const char *what, cli_progress_kind kind, unsigned long long total)
{
	cli_progress *p;

	if (!isatty(STDERR_FILENO) || (p = calloc(1, sizeof *p)) == NULL)
		return NULL;
	snprintf(p->what, sizeof p->what, "%s", what);
	p->kind = kind;
	p->total = total;
	p->base = io_bytes(kind);
	p->start_ns = now_ns();
	pthread_mutex_lock(&line.mu);
	p->outer = line.cur;
	line.cur = p;
	if (!line.running) {
		line.stop = 0;
		if (pthread_create(&line.thread, NULL, ticker, NULL) != 0) {
			line.cur = p->outer;
			pthread_mutex_unlock(&line.mu);
			free(p);
			return NULL;
		}
		line.running = 1;
	}
	pthread_mutex_unlock(&line.mu);
	return p;
}

void
cli_progress_end(cli_progress *p)
{
	int join = 0;

	if (p == NULL)
		return;
	pthread_mutex_lock(&line.mu);
	line.cur = p->outer;
	if (line.drawn)
		fputs("\r\033[K", stderr); /* the outer one redraws at its next tick */
	line.drawn = 0;
	if (line.cur == NULL) {
		line.stop = 1;
		join = line.running;
		line.running = 0;
		pthread_cond_signal(&line.cv);
	}
	pthread_mutex_unlock(&line.mu);
	if (join)
		pthread_join(line.thread, NULL);
	free(p);
}

