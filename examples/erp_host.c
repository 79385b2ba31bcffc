/*
 * erp_host — how an ERP integration runs libb2bcore for weeks: a pool of
 * worker threads answering a stream of quote requests and orders while the
 * book is replaced underneath them.
 *
 *   erp_host [-w WORKERS] [-i POLL_MS] BOOK_DIR [REQUEST_DIR | -]
 *
 * Input: with `-` (or nothing) standard input, one JSON document per line;
 * with a directory, each regular file in it (name order) is one document.
 * A document with an `order_id` is an order (validated, SPEC §7), one with
 * a `quote_id` a quote request (priced, SPEC §6).
 *
 * Output: one JSON line per request on standard output, in the order the
 * requests finish:
 *
 *   {"request":1,"source":"stdin:1","id":"Q-2026-0412","kind":"quote",
 *    "book":"<fingerprint>","generation":1,"status":"quoted",
 *    "total":"3901.76","currency":"EUR"}
 *
 * status is `quoted` / `rejected` (a quote request that cannot be priced:
 * "errors" and the first error "code"), `valid` / `invalid` (an order;
 * "violations"), `unreadable` (not JSON, or neither kind: "message") or
 * `failed` (the library could not run the call, e.g. out of memory:
 * "message"). `book` is the fingerprint of the book the request was
 * computed on and `generation` the number of that publication (1 = the
 * book loaded at start). Log lines and, on exit, a summary go to standard
 * error.
 *
 * The book: the directory is polled every POLL_MS milliseconds (default
 * 1000; 0 = never). When the names, sizes, inodes or mtimes of its files
 * have changed and then stayed the same for one more poll, the book is
 * loaded again and published; SIGHUP reloads at once. A book that does not
 * load is reported and the current one kept. To replace a book without a
 * reader ever seeing half of it, rename each file into place, or point
 * BOOK_DIR at a symlink and switch the symlink.
 *
 * Exit: at the end of the input, or on SIGTERM / SIGINT (requests already
 * read are still answered). Status 0; 1 when a request failed or the
 * output could not be written; 2 when the host could not start.
 *
 * The patterns worth copying:
 *  - one b2b_ctx per worker, reset after each request: the arena keeps its
 *    capacity, so a warm worker allocates nothing per request;
 *  - the current book is published under a mutex and each request takes
 *    its own reference under that mutex (include/b2b/book.h explains why
 *    the lock is needed); the reloader swaps the pointer and drops the
 *    published reference, and the old book is freed by whichever request
 *    drops the last reference;
 *  - signals are blocked in every thread and taken synchronously by the
 *    reloader with sigtimedwait(), which doubles as its poll timer: no
 *    signal handler, nothing async-signal-unsafe, no global state.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <b2b.h>

#define MAX_WORKERS 256
#define MAX_REQUEST (16u << 20)         /* longest document read, bytes */

/* ---- the published book ------------------------------------------------ */

/*
 * The slot owns one reference to the current book. Readers take their own
 * reference under the lock; the reloader replaces the pointer under the
 * lock and drops the slot's old reference outside it.
 */
struct book_slot {
	pthread_mutex_t lock;
	b2b_book *current;
	uint64_t generation;
};

static b2b_book *
book_acquire(struct book_slot *s, uint64_t *generation)
{
	b2b_book *b;

	pthread_mutex_lock(&s->lock);
	b = b2b_book_ref(s->current);
	*generation = s->generation;
	pthread_mutex_unlock(&s->lock);
	return b;
}

/* Publish `fresh` (its reference passes to the slot); returns its generation. */
static uint64_t
book_publish(struct book_slot *s, b2b_book *fresh)
{
	b2b_book *old;
	uint64_t g;

	pthread_mutex_lock(&s->lock);
	old = s->current;
	s->current = fresh;
	g = ++s->generation;
	pthread_mutex_unlock(&s->lock);
	b2b_book_unref(old);    /* freed here, or by the last request still using it */
	return g;
}

/* ---- the request queue (bounded: the reader waits for the workers) ------ */

struct job {
	uint64_t seq;           /* 1, 2, … in input order */
	char *source;           /* "stdin:LINE" or the file name */
	char *text;             /* the document, or NULL when it could not be read */
	size_t len;
	char *error;            /* why text is NULL */
};

struct queue {
	pthread_mutex_t lock;
	pthread_cond_t not_empty, not_full;
	struct job *jobs;
	size_t cap, head, count;
	int closed;
};

static void
job_free(struct job *j)
{
	free(j->source);
	free(j->text);
	free(j->error);
}

/* Returns 1, or 0 when the host is stopping (the job is not taken). */
static int
queue_push(struct queue *q, struct job *j, atomic_int *stop)
{
	pthread_mutex_lock(&q->lock);
	while (q->count == q->cap && !atomic_load(stop))
		pthread_cond_wait(&q->not_full, &q->lock);
	if (atomic_load(stop)) {
		pthread_mutex_unlock(&q->lock);
		return 0;
	}
	q->jobs[(q->head + q->count) % q->cap] = *j;
	q->count++;
	pthread_cond_signal(&q->not_empty);
	pthread_mutex_unlock(&q->lock);
	return 1;
}

/* Returns 1 with a job, or 0 when the queue is closed and empty. */
static int
queue_pop(struct queue *q, struct job *out)
{
	pthread_mutex_lock(&q->lock);
	while (q->count == 0 && !q->closed)
		pthread_cond_wait(&q->not_empty, &q->lock);
	if (q->count == 0) {
		pthread_mutex_unlock(&q->lock);
		return 0;
	}
	*out = q->jobs[q->head];
	q->head = (q->head + 1) % q->cap;
	q->count--;
	pthread_cond_signal(&q->not_full);
	pthread_mutex_unlock(&q->lock);
	return 1;
}

static void
queue_close(struct queue *q)
{
	pthread_mutex_lock(&q->lock);
	q->closed = 1;
	pthread_cond_broadcast(&q->not_empty);
	pthread_mutex_unlock(&q->lock);
}

/* ---- the host ---------------------------------------------------------- */

enum { ST_QUOTED, ST_REJECTED, ST_VALID, ST_INVALID, ST_UNREADABLE, ST_FAILED, ST_COUNT };
static const char *const status_names[ST_COUNT] = {
	"quoted", "rejected", "valid", "invalid", "unreadable", "failed"
};

struct host {
	const char *book_dir;
	long poll_ms;
	struct book_slot slot;
	struct queue queue;
	pthread_mutex_t out_lock;       /* one result line at a time */
	atomic_int stop;                /* SIGTERM/SIGINT or output error: read no more */
	atomic_int quit;                /* workers are done: the reloader ends */
	atomic_int output_error;
	/* the reloader's own */
	b2b_ctx *reload_ctx;
	uint64_t reloads_failed;
};

/* A growable line buffer, one per worker and reused. */
struct sbuf {
	char *p;
	size_t len, cap;
	int oom;
};

struct worker {
	struct host *host;
	pthread_t thread;
	b2b_ctx *ctx;
	struct sbuf line;
	uint64_t counts[ST_COUNT];
};

static void
sb_reserve(struct sbuf *b, size_t more)
{
	size_t cap;
	char *p;

	if (b->oom || b->len + more + 1 <= b->cap)
		return;
	cap = b->cap ? b->cap : 256;
	while (cap < b->len + more + 1)
		cap *= 2;
	if ((p = realloc(b->p, cap)) == NULL) {
		b->oom = 1;
		return;
	}
	b->p = p;
	b->cap = cap;
}

static void
sb_put(struct sbuf *b, const char *s, size_t n)
{
	sb_reserve(b, n);
	if (b->oom)
		return;
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void
sb_puts(struct sbuf *b, const char *s)
{
	sb_put(b, s, strlen(s));
}

static void
sb_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	sb_reserve(b, (size_t)n);
	if (b->oom)
		return;
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

/* `"key":"value"` with the value escaped as a JSON string; NULL writes null. */
static void
sb_json_field(struct sbuf *b, const char *key, const char *s, size_t n)
{
	size_t i;

	sb_printf(b, ",\"%s\":", key);
	if (s == NULL) {
		sb_puts(b, "null");
		return;
	}
	sb_put(b, "\"", 1);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\')
			sb_printf(b, "\\%c", c);
		else if (c < 0x20)
			sb_printf(b, "\\u%04x", c);
		else
			sb_put(b, (const char *)&c, 1);
	}
	sb_put(b, "\"", 1);
}

static void
sb_json_cstr(struct sbuf *b, const char *key, const char *s)
{
	sb_json_field(b, key, s, s ? strlen(s) : 0);
}

static void
sb_money(struct sbuf *b, const char *key, b2b_dec v, int minor_units)
{
	char text[B2B_DEC_FORMAT_MAX];

	if (b2b_dec_format(text, sizeof(text), NULL, v, minor_units, B2B_ROUND_HALF_UP) < 0)
		text[0] = '\0';
	sb_json_cstr(b, key, text);
}

/* Write one finished line (under the output lock, so lines never mix). */
static void
emit(struct host *h, struct sbuf *line)
{
	int bad;

	pthread_mutex_lock(&h->out_lock);
	bad = fputs(line->p, stdout) == EOF || fflush(stdout) == EOF;
	pthread_mutex_unlock(&h->out_lock);
	if (bad && !atomic_exchange(&h->output_error, 1)) {
		fprintf(stderr, "erp_host: cannot write the results: %s; stopping\n", strerror(errno));
		atomic_store(&h->stop, 1);
	}
}

/*
 * Answer one request. Everything borrowed from the ctx (the parsed tree,
 * the quote or validation) and from the book (the fingerprint) is written
 * into the line before the ctx is reset and the book reference dropped.
 */
static void
handle(struct worker *w, const struct job *j)
{
	struct host *h = w->host;
	struct sbuf *out = &w->line;
	const b2b_json *root = NULL, *id = NULL;
	const char *kind = NULL, *message = NULL;
	b2b_book *book = NULL;
	uint64_t generation = 0;
	int status = ST_UNREADABLE, rc = 0;
	char where[256];

	out->len = 0;
	out->oom = 0;
	sb_printf(out, "{\"request\":%" PRIu64, j->seq);
	sb_json_cstr(out, "source", j->source);

	if (j->text == NULL) {
		message = j->error;
	} else if ((rc = b2b_json_parse(&root, w->ctx, j->text, j->len, 0)) < 0) {
		snprintf(where, sizeof(where), "line %ld, column %ld: %s", b2b_ctx_errline(w->ctx),
		         b2b_ctx_errcol(w->ctx), b2b_ctx_errmsg(w->ctx));
		message = where;
		status = rc == B2B_EPARSE ? ST_UNREADABLE : ST_FAILED;
	} else if (b2b_json_typeof(root) != B2B_JSON_OBJECT) {
		message = "the document is not a JSON object";
	} else if ((id = b2b_json_get(root, "order_id")) != NULL) {
		kind = "order";
	} else if ((id = b2b_json_get(root, "quote_id")) != NULL) {
		kind = "quote";
	} else {
		message = "the document has neither an order_id nor a quote_id";
	}
	if (id != NULL) {
		size_t n = 0;
		const char *s = b2b_json_string(id, &n);

		sb_json_field(out, "id", s, n);     /* the library reports a non-string id */
	}
	if (kind != NULL)
		sb_json_cstr(out, "kind", kind);

	if (kind != NULL) {
		/* The reference is held until the line is written: the book can be
		 * replaced meanwhile, never freed under this request. */
		book = book_acquire(&h->slot, &generation);
		sb_json_cstr(out, "book", b2b_book_fingerprint(book));
		sb_printf(out, ",\"generation\":%" PRIu64, generation);
	}

	if (kind != NULL && kind[0] == 'q') {
		const b2b_quote *q = NULL;

		rc = b2b_quote_from_json(&q, w->ctx, book, j->text, j->len, NULL);
		if (rc < 0) {
			status = ST_FAILED;
			message = b2b_ctx_errmsg(w->ctx);
		} else if (b2b_quote_ok(q)) {
			status = ST_QUOTED;
			sb_json_cstr(out, "status", status_names[status]);
			sb_money(out, "total", b2b_quote_total(q), b2b_quote_minor_units(q));
			sb_json_cstr(out, "currency", b2b_quote_currency(q));
		} else {
			status = ST_REJECTED;
			sb_json_cstr(out, "status", status_names[status]);
			sb_printf(out, ",\"errors\":%zu", b2b_quote_error_count(q));
			sb_json_cstr(out, "code", b2b_quote_error_code(q, 0));
		}
	} else if (kind != NULL) {
		const b2b_validation *v = NULL;

		rc = b2b_order_validate_json(&v, w->ctx, book, j->text, j->len, NULL);
		if (rc < 0) {
			status = ST_FAILED;
			message = b2b_ctx_errmsg(w->ctx);
		} else {
			status = b2b_validation_valid(v) ? ST_VALID : ST_INVALID;
			sb_json_cstr(out, "status", status_names[status]);
			sb_money(out, "total", b2b_validation_total(v), b2b_validation_minor_units(v));
			sb_json_cstr(out, "currency", b2b_validation_currency(v));
			sb_printf(out, ",\"violations\":%zu", b2b_validation_count(v));
		}
	}
	if (message != NULL) {
		sb_json_cstr(out, "status", status_names[status]);
		sb_json_cstr(out, "message", message[0] ? message : b2b_strerror(rc));
	}
	sb_puts(out, "}\n");

	b2b_ctx_reset(w->ctx);          /* drops everything borrowed; keeps the arena */
	b2b_book_unref(book);           /* may free a book replaced meanwhile */

	if (out->oom) {                 /* the line itself could not be built */
		status = ST_FAILED;
		fprintf(stderr, "erp_host: request %" PRIu64 ": out of memory\n", j->seq);
	} else {
		emit(h, out);
	}
	w->counts[status]++;
}

static void *
worker_main(void *arg)
{
	struct worker *w = arg;
	struct job j;

	while (queue_pop(&w->host->queue, &j)) {
		handle(w, &j);
		job_free(&j);
	}
	return NULL;
}

/* ---- the reloader -------------------------------------------------------- */

/*
 * A signature of the directory's files: names, inodes, sizes and mtimes
 * mixed into 64 bits (FNV-1a). 0 when the directory cannot be read.
 */
static uint64_t
dir_signature(const char *dir)
{
	uint64_t sig = 1469598103934665603u;
	struct dirent *e;
	char path[4096];
	DIR *d;

	if ((d = opendir(dir)) == NULL)
		return 0;
	while ((e = readdir(d)) != NULL) {
		struct stat st;
		uint64_t v[5];
		const unsigned char *p;
		size_t i;

		if (e->d_name[0] == '.')
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) >= sizeof(path) ||
		    stat(path, &st) != 0 || !S_ISREG(st.st_mode))
			continue;
		/* readdir order is arbitrary: mix each file separately, then add */
		v[0] = 1469598103934665603u;
		for (p = (const unsigned char *)e->d_name; *p; p++)
			v[0] = (v[0] ^ *p) * 1099511628211u;
		v[1] = (uint64_t)st.st_ino;
		v[2] = (uint64_t)st.st_size;
		v[3] = (uint64_t)st.st_mtim.tv_sec;
		v[4] = (uint64_t)st.st_mtim.tv_nsec;
		{
			uint64_t f = 1469598103934665603u;

			for (p = (const unsigned char *)v, i = 0; i < sizeof(v); i++)
				f = (f ^ p[i]) * 1099511628211u;
			sig += f;
		}
	}
	closedir(d);
	return sig ? sig : 1;
}

static void
reload(struct host *h, const char *why)
{
	b2b_book *fresh = NULL;
	const char *fp;
	uint64_t g;
	size_t i;
	int rc;

	rc = b2b_book_load_dir(&fresh, h->reload_ctx, NULL, h->book_dir);
	if (rc < 0) {
		h->reloads_failed++;
		fprintf(stderr, "erp_host: reload (%s) failed: %s; keeping book %s\n", why,
		        b2b_strerror(rc), b2b_book_fingerprint(h->slot.current));
		for (i = 0; i < b2b_ctx_diag_count(h->reload_ctx) && i < 5; i++)
			fprintf(stderr, "erp_host:   %s:%ld:%ld: %s\n",
			        b2b_ctx_diag_file(h->reload_ctx, i),
			        b2b_ctx_diag_line(h->reload_ctx, i),
			        b2b_ctx_diag_col(h->reload_ctx, i),
			        b2b_ctx_diag_message(h->reload_ctx, i));
		b2b_ctx_reset(h->reload_ctx);
		return;
	}
	b2b_ctx_reset(h->reload_ctx);
	/* Only this thread writes the slot, so it may read it without the lock. */
	if (strcmp(b2b_book_fingerprint(fresh), b2b_book_fingerprint(h->slot.current)) == 0) {
		fprintf(stderr, "erp_host: reload (%s): book unchanged\n", why);
		b2b_book_unref(fresh);
		return;
	}
	/* `fresh` now belongs to the slot; only this thread can replace (and
	 * so free) it, so its fingerprint stays valid for the log line. */
	fp = b2b_book_fingerprint(fresh);
	g = book_publish(&h->slot, fresh);
	fprintf(stderr, "erp_host: published book %s generation %" PRIu64 " (%s)\n", fp, g, why);
}

static void *
reloader_main(void *arg)
{
	struct host *h = arg;
	uint64_t loaded, seen, now;
	struct timespec tick;
	sigset_t set;
	int sig;

	sigemptyset(&set);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGUSR1);
	tick.tv_sec = h->poll_ms / 1000;
	tick.tv_nsec = (h->poll_ms % 1000) * 1000000L;
	loaded = seen = dir_signature(h->book_dir);

	while (!atomic_load(&h->quit)) {
		/* The wait is the poll timer; a signal ends it early. */
		sig = h->poll_ms > 0 ? sigtimedwait(&set, NULL, &tick) : sigwaitinfo(&set, NULL);
		if (sig == SIGTERM || sig == SIGINT) {
			if (!atomic_exchange(&h->stop, 1))
				fprintf(stderr, "erp_host: %s: finishing the requests read so far\n",
				        sig == SIGTERM ? "SIGTERM" : "SIGINT");
			/* wake a reader waiting for room in the queue */
			pthread_mutex_lock(&h->queue.lock);
			pthread_cond_broadcast(&h->queue.not_full);
			pthread_mutex_unlock(&h->queue.lock);
			continue;
		}
		if (sig == SIGUSR1 || atomic_load(&h->quit))
			continue;       /* woken up to check `quit` */
		if (sig == SIGHUP) {
			/* Take the signature first: a change during the load is
			 * seen by the next poll. */
			loaded = seen = dir_signature(h->book_dir);
			reload(h, "SIGHUP");
			continue;
		}
		if (sig < 0 && errno != EAGAIN && errno != EINTR) {
			fprintf(stderr, "erp_host: sigtimedwait: %s\n", strerror(errno));
			continue;
		}
		if (h->poll_ms <= 0)
			continue;
		/* Reload once a change has stayed the same for a whole poll, so
		 * that a copy in progress is not loaded half done. */
		now = dir_signature(h->book_dir);
		if (now != loaded && now == seen) {
			loaded = now;
			reload(h, "files changed");
		}
		seen = now;
	}
	return NULL;
}

/* ---- reading the input ------------------------------------------------- */

static char *
xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = malloc(n);

	if (p != NULL)
		memcpy(p, s, n);
	return p;
}

/* Queue one document; `text` (malloc'd or NULL) passes to the job. 0: stop. */
static int
submit(struct host *h, uint64_t seq, const char *source, char *text, size_t len,
       const char *error)
{
	struct job j;

	j.seq = seq;
	j.source = xstrdup(source);
	j.text = text;
	j.len = len;
	j.error = error ? xstrdup(error) : NULL;
	if (j.source == NULL || (error != NULL && j.error == NULL)) {
		fprintf(stderr, "erp_host: out of memory reading the input\n");
		job_free(&j);
		atomic_store(&h->stop, 1);
		return 0;
	}
	if (!queue_push(&h->queue, &j, &h->stop)) {
		job_free(&j);
		return 0;
	}
	return 1;
}

static int
blank(const char *s, size_t n)
{
	while (n > 0 && (*s == ' ' || *s == '\t' || *s == '\r'))
		s++, n--;
	return n == 0;
}

/*
 * Standard input, one document per line. poll() with a timeout instead of a
 * blocking read, so that a SIGTERM is noticed while no input arrives.
 * Returns the number of requests read, or -1 on a read error.
 */
static long
read_lines(struct host *h, int fd)
{
	char *buf = NULL, *nl;
	size_t len = 0, cap = 0, start;
	uint64_t seq = 0, lineno = 0;
	int eof = 0, skipping = 0;
	char source[48];

	while (!eof && !atomic_load(&h->stop)) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (poll(&pfd, 1, 100) == 0)
			continue;
		if (len + 1 >= cap) {
			size_t ncap = cap ? cap * 2 : 65536;
			char *p = realloc(buf, ncap);

			if (p == NULL) {
				fprintf(stderr, "erp_host: out of memory reading the input\n");
				free(buf);
				return -1;
			}
			buf = p;
			cap = ncap;
		}
		/* one byte is kept free for the newline of an unterminated last line */
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			fprintf(stderr, "erp_host: reading standard input: %s\n", strerror(errno));
			free(buf);
			return -1;
		}
		if (n == 0) {           /* a last line without a newline still counts */
			eof = 1;
			if (len > 0)
				buf[len++] = '\n';
		}
		len += (size_t)n;
		start = 0;
		while ((nl = memchr(buf + start, '\n', len - start)) != NULL) {
			size_t llen = (size_t)(nl - (buf + start));
			char *text;

			lineno++;
			if (skipping) {         /* the rest of an over-long line */
				skipping = 0;
			} else if (!blank(buf + start, llen)) {
				snprintf(source, sizeof(source), "stdin:%" PRIu64, lineno);
				if ((text = malloc(llen + 1)) == NULL) {
					submit(h, ++seq, source, NULL, 0, "out of memory");
				} else {
					memcpy(text, buf + start, llen);
					text[llen] = '\0';
					if (!submit(h, ++seq, source, text, llen, NULL))
						break;
				}
			}
			start += llen + 1;
		}
		memmove(buf, buf + start, len - start);
		len -= start;
		if (len >= MAX_REQUEST) {       /* drop it, answer it, skip to its end */
			snprintf(source, sizeof(source), "stdin:%" PRIu64, lineno + 1);
			submit(h, ++seq, source, NULL, 0, "the document is longer than 16 MiB");
			len = 0;
			skipping = 1;
		}
	}
	free(buf);
	return (long)seq;
}

static int
regular_file(const struct dirent *e)
{
	return e->d_name[0] != '.';
}

/* Each file of `dir` is one document, in name order. */
static long
read_dir(struct host *h, const char *dir)
{
	struct dirent **names = NULL;
	uint64_t seq = 0;
	char path[4096];
	int n, i;

	if ((n = scandir(dir, &names, regular_file, alphasort)) < 0) {
		fprintf(stderr, "erp_host: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	for (i = 0; i < n; i++) {
		struct stat st;
		char *text = NULL;
		const char *error = NULL;
		size_t len = 0;
		FILE *f = NULL;

		if (atomic_load(&h->stop))
			break;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name) >=
		    sizeof(path))
			error = "path too long";
		else if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
			continue;       /* sub-directories and the like are not requests */
		else if ((uint64_t)st.st_size >= MAX_REQUEST)
			error = "the document is longer than 16 MiB";
		else if ((f = fopen(path, "rb")) == NULL ||
		         (text = malloc((size_t)st.st_size + 1)) == NULL ||
		         (len = fread(text, 1, (size_t)st.st_size, f)) != (size_t)st.st_size)
			error = f == NULL ? strerror(errno) : text == NULL ? "out of memory"
			                                                   : "short read";
		if (f != NULL)
			fclose(f);
		if (error != NULL) {
			free(text);
			text = NULL;
			len = 0;
		}
		if (!submit(h, ++seq, names[i]->d_name, text, len, error))
			break;
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return (long)seq;
}

/* ---- main --------------------------------------------------------------- */

static void
usage(FILE *f)
{
	fputs("usage: erp_host [-w WORKERS] [-i POLL_MS] BOOK_DIR [REQUEST_DIR | -]\n", f);
}

static long
number_arg(const char *s, long min, long max, const char *what)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < min || v > max) {
		fprintf(stderr, "erp_host: %s must be a number from %ld to %ld, got '%s'\n", what,
		        min, max, s);
		return -1;
	}
	return v;
}

static long
elapsed_ms(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long)(t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

int
main(int argc, char **argv)
{
	struct host h;
	struct worker *workers = NULL;
	uint64_t totals[ST_COUNT] = { 0 };
	struct timespec t0;
	struct sigaction ign;
	pthread_t reloader;
	sigset_t set;
	const char *input = "-";
	long nworkers = 4, started = 0, read_count, i;
	int opt, rc, status = 0, reloader_started = 0;
	size_t d;

	memset(&h, 0, sizeof(h));
	h.poll_ms = 1000;
	while ((opt = getopt(argc, argv, "w:i:h")) != -1) {
		switch (opt) {
		case 'w':
			if ((nworkers = number_arg(optarg, 1, MAX_WORKERS, "-w")) < 0)
				return 2;
			break;
		case 'i':
			if ((h.poll_ms = number_arg(optarg, 0, 3600000, "-i")) < 0)
				return 2;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (argc - optind < 1 || argc - optind > 2) {
		usage(stderr);
		return 2;
	}
	h.book_dir = argv[optind];
	if (argc - optind == 2)
		input = argv[optind + 1];
	clock_gettime(CLOCK_MONOTONIC, &t0);

	/* Block the signals in this thread before any other thread exists, so
	 * that every thread inherits the mask and only the reloader's
	 * sigtimedwait() takes them. A vanished reader of stdout is an EPIPE
	 * write error, not a signal. */
	sigemptyset(&set);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &ign, NULL);

	pthread_mutex_init(&h.slot.lock, NULL);
	pthread_mutex_init(&h.out_lock, NULL);
	pthread_mutex_init(&h.queue.lock, NULL);
	pthread_cond_init(&h.queue.not_empty, NULL);
	pthread_cond_init(&h.queue.not_full, NULL);
	h.queue.cap = (size_t)nworkers * 2;
	h.queue.jobs = calloc(h.queue.cap, sizeof(*h.queue.jobs));
	workers = calloc((size_t)nworkers, sizeof(*workers));
	if (h.queue.jobs == NULL || workers == NULL ||
	    b2b_ctx_new(&h.reload_ctx, NULL) < 0) {
		fprintf(stderr, "erp_host: out of memory\n");
		status = 2;
		goto done;
	}

	/* The first book: without it there is nothing to serve. */
	if ((rc = b2b_book_load_dir(&h.slot.current, h.reload_ctx, NULL, h.book_dir)) < 0) {
		fprintf(stderr, "erp_host: %s: %s\n", h.book_dir, b2b_strerror(rc));
		for (d = 0; d < b2b_ctx_diag_count(h.reload_ctx); d++)
			fprintf(stderr, "erp_host:   %s:%ld:%ld: %s\n",
			        b2b_ctx_diag_file(h.reload_ctx, d), b2b_ctx_diag_line(h.reload_ctx, d),
			        b2b_ctx_diag_col(h.reload_ctx, d), b2b_ctx_diag_message(h.reload_ctx, d));
		status = 2;
		goto done;
	}
	b2b_ctx_reset(h.reload_ctx);
	h.slot.generation = 1;
	fprintf(stderr, "erp_host: published book %s generation 1 (start)\n",
	        b2b_book_fingerprint(h.slot.current));

	for (i = 0; i < nworkers; i++) {
		workers[i].host = &h;
		if (b2b_ctx_new(&workers[i].ctx, NULL) < 0) {
			fprintf(stderr, "erp_host: out of memory\n");
			status = 2;
			goto stop_workers;
		}
	}
	for (started = 0; started < nworkers; started++) {
		if ((rc = pthread_create(&workers[started].thread, NULL, worker_main,
		                         &workers[started])) != 0) {
			fprintf(stderr, "erp_host: cannot start a worker: %s\n", strerror(rc));
			status = 2;
			goto stop_workers;
		}
	}
	if ((rc = pthread_create(&reloader, NULL, reloader_main, &h)) != 0) {
		fprintf(stderr, "erp_host: cannot start the reloader: %s\n", strerror(rc));
		status = 2;
		goto stop_workers;
	}
	reloader_started = 1;

	read_count = strcmp(input, "-") == 0 ? read_lines(&h, STDIN_FILENO) : read_dir(&h, input);
	if (read_count < 0)
		status = 1;

stop_workers:
	/* End of input (or a stop): the workers answer what is queued, then end. */
	queue_close(&h.queue);
	for (i = 0; i < started; i++)
		pthread_join(workers[i].thread, NULL);
	if (reloader_started) {
		atomic_store(&h.quit, 1);
		pthread_kill(reloader, SIGUSR1);
		pthread_join(reloader, NULL);
	}
	for (i = 0; i < nworkers; i++) {
		for (d = 0; d < ST_COUNT; d++)
			totals[d] += workers[i].counts[d];
		b2b_ctx_free(workers[i].ctx);
		free(workers[i].line.p);
	}
	if (h.slot.current != NULL) {
		uint64_t all = 0;

		for (d = 0; d < ST_COUNT; d++)
			all += totals[d];
		fprintf(stderr, "erp_host: summary {\"requests\":%" PRIu64, all);
		for (d = 0; d < ST_COUNT; d++)
			fprintf(stderr, ",\"%s\":%" PRIu64, status_names[d], totals[d]);
		fprintf(stderr, ",\"generation\":%" PRIu64 ",\"reloads_failed\":%" PRIu64
		        ",\"book\":\"%s\",\"ms\":%ld}\n", h.slot.generation, h.reloads_failed,
		        b2b_book_fingerprint(h.slot.current), elapsed_ms(&t0));
	}
	if (status == 0 && (totals[ST_FAILED] > 0 || atomic_load(&h.output_error)))
		status = 1;
done:
	b2b_book_unref(h.slot.current);
	b2b_ctx_free(h.reload_ctx);
	free(workers);
	free(h.queue.jobs);
	pthread_cond_destroy(&h.queue.not_full);
	pthread_cond_destroy(&h.queue.not_empty);
	pthread_mutex_destroy(&h.queue.lock);
	pthread_mutex_destroy(&h.out_lock);
	pthread_mutex_destroy(&h.slot.lock);
	return status;
}
