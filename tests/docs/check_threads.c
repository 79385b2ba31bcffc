/*
 * Tests: one book shared by many threads while the host swaps books.
 *
 * 8 reader threads each take a reference to the current book, look
 * things up, check that every answer belongs to the same book (its
 * fingerprint names which of the two contents it has), and drop the
 * reference; a ninth thread loads a fresh book and swaps it in 1,000
 * times, dropping the host's reference to the old one, which is freed by
 * whichever thread lets it go last.
 *
 * The publication protocol (README and b2b/book.h "Thread-safety"): a
 * reader must take its reference while the book cannot be released under
 * it. The simplest correct host pattern, used here, is a mutex around
 * "load the pointer + b2b_book_ref()"; the swapper stores the new pointer
 * under the same mutex and calls b2b_book_unref() on the old one after
 * unlocking. (Reading the pointer and then calling b2b_book_ref() without
 * the lock is a use-after-free race: the swapper may drop the last
 * reference in between. Hosts that want lock-free readers need hazard
 * pointers or an epoch scheme.) Run under -Db_sanitize=thread.
 */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "b2b.h"
#include "book_int.h"
#include "support/testmain.h"

#define READERS 8
#define SWAPS 1000
#define NSKU 60

/* Two contents: the book in dir[k] has list price PRICE[k] for every sku. */
static char dirs[2][32];
static const char *const price_text[2] = { "10.5", "11.25" };
static char fps[2][65];

typedef struct host {
	pthread_mutex_t mu;
	b2b_book *cur;              /* protected by mu */
	atomic_int done;
} host;

static b2b_book *
host_acquire(host *h)
{
	b2b_book *b;

	pthread_mutex_lock(&h->mu);
	b = b2b_book_ref(h->cur);
	pthread_mutex_unlock(&h->mu);
	return b;
}

static void
host_publish(host *h, b2b_book *b)
{
	b2b_book *old;

	pthread_mutex_lock(&h->mu);
	old = h->cur;
	h->cur = b;
	pthread_mutex_unlock(&h->mu);
	b2b_book_unref(old);
}

static void
write_book(const char *dir, const char *price)
{
	char path[128];
	FILE *f;
	int i;

	snprintf(path, sizeof path, "%s/products.csv", dir);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs("sku,list_price,category,tax_class\n", f);
	for (i = 0; i < NSKU; i++)
		fprintf(f, "S%03d,%s,%s,std\n", i, price, i % 2 ? "tools/hand" : "toolsets");
	ck_assert_int_eq(fclose(f), 0);
	snprintf(path, sizeof path, "%s/fx_rates.csv", dir);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs("from,to,rate\nEUR,USD,1.1\n", f);
	ck_assert_int_eq(fclose(f), 0);
	snprintf(path, sizeof path, "%s/taxes.csv", dir);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs("tax_class,region,rate_percent\nstd,*,20\nstd,DE,19\n", f);
	ck_assert_int_eq(fclose(f), 0);
}

static b2b_book *
load(int k)
{
	b2b_ctx *ctx;
	b2b_book *b = NULL;

	if (b2b_ctx_new(&ctx, NULL) < 0)
		return NULL;
	if (b2b_book_load_dir(&b, ctx, NULL, dirs[k]) < 0)
		b = NULL;
	b2b_ctx_free(ctx);
	return b;
}

static void
setup(void)
{
	int k;

	for (k = 0; k < 2; k++) {
		b2b_book *b;

		snprintf(dirs[k], sizeof dirs[k], "/tmp/b2b-thr-XXXXXX");
		ck_assert_ptr_nonnull(mkdtemp(dirs[k]));
		write_book(dirs[k], price_text[k]);
		b = load(k);
		ck_assert_ptr_nonnull(b);
		memcpy(fps[k], b2b_book_fingerprint(b), 65);
		b2b_book_unref(b);
	}
	ck_assert_str_ne(fps[0], fps[1]);
}

static void
teardown(void)
{
	static const char *const files[] = { "products.csv", "fx_rates.csv", "taxes.csv" };
	char path[128];
	int k, i;

	for (k = 0; k < 2; k++) {
		for (i = 0; i < 3; i++) {
			snprintf(path, sizeof path, "%s/%s", dirs[k], files[i]);
			unlink(path);
		}
		rmdir(dirs[k]);
	}
}

typedef struct reader {
	host *h;
	long reads, errors;
} reader;

/* Every answer of one book must be consistent with its fingerprint. */
static int
check_book(const b2b_book *b)
{
	char sku[8], buf[B2B_DEC_FORMAT_MAX];
	b2b_dec rate, price, tax;
	int k, i, bad = 0;
	uint32_t p, eur, usd, rules[4];
	b2b__range g[4];

	k = strcmp(b2b_book_fingerprint(b), fps[0]) == 0 ? 0
	  : strcmp(b2b_book_fingerprint(b), fps[1]) == 0 ? 1 : -1;
	if (k < 0)
		return 1;
	eur = b2b__book_currency(b, "EUR", 3);
	usd = b2b__book_currency(b, "USD", 3);
	bad |= eur == B2B__NONE || usd == B2B__NONE;
	if (bad)
		return 1;
	bad |= b2b__book_fx(b, (uint16_t)usd, (uint16_t)eur, 0, &rate, NULL, NULL) != 0;
	bad |= b2b_dec_format(buf, sizeof buf, NULL, rate, B2B_DEC_SCALE_EXACT,
	                      B2B_ROUND_HALF_UP) != 0 || strcmp(buf, "0.909090909") != 0;
	for (i = 0; i < NSKU; i += 7) {
		snprintf(sku, sizeof sku, "S%03d", i);
		p = b2b__book_product(b, sku, 4);
		if (p == B2B__NONE)
			return 1;
		price = b->products[p].list_price;
		bad |= b2b_dec_format(buf, sizeof buf, NULL, price, B2B_DEC_SCALE_EXACT,
		                      B2B_ROUND_HALF_UP) != 0 || strcmp(buf, price_text[k]) != 0;
		tax = b2b__book_tax_rate(b, b->products[p].tax_class, "DE", 2);
		bad |= b2b_dec_format(buf, sizeof buf, NULL, tax, B2B_DEC_SCALE_EXACT,
		                      B2B_ROUND_HALF_UP) != 0 || strcmp(buf, "19") != 0;
		bad |= b2b__book_rules_for(b, p, rules, 4) != 0;
		bad |= b2b__book_items(b, 0, p, g, 4) != 0;
	}
	bad |= b2b__book_product(b, "S999", 4) != B2B__NONE;
	bad |= b2b_book_count(b, B2B_TABLE_PRODUCTS) != NSKU;
	return bad;
}

static void *
reader_main(void *arg)
{
	reader *r = arg;

	while (!atomic_load(&r->h->done)) {
		b2b_book *b = host_acquire(r->h);

		if (b == NULL || check_book(b))
			r->errors++;
		r->reads++;
		b2b_book_unref(b);
		sched_yield();      /* let the swapper run on small machines */
	}
	return NULL;
}

static long swap_failures;

static void *
swapper_main(void *arg)
{
	host *h = arg;
	int i;

	for (i = 0; i < SWAPS; i++) {
		b2b_book *b = load((i + 1) % 2);

		if (b == NULL) {
			swap_failures++;
			continue;
		}
		host_publish(h, b);
	}
	atomic_store(&h->done, 1);
	return NULL;
}

START_TEST(test_readers_and_swapper)
{
	host h;
	pthread_t rt[READERS], st;
	reader rd[READERS];
	long reads = 0;
	int i;

	pthread_mutex_init(&h.mu, NULL);
	h.cur = load(0);
	ck_assert_ptr_nonnull(h.cur);
	atomic_init(&h.done, 0);
	swap_failures = 0;
	for (i = 0; i < READERS; i++) {
		rd[i].h = &h;
		rd[i].reads = rd[i].errors = 0;
		ck_assert_int_eq(pthread_create(&rt[i], NULL, reader_main, &rd[i]), 0);
	}
	ck_assert_int_eq(pthread_create(&st, NULL, swapper_main, &h), 0);
	ck_assert_int_eq(pthread_join(st, NULL), 0);
	for (i = 0; i < READERS; i++) {
		ck_assert_int_eq(pthread_join(rt[i], NULL), 0);
		ck_assert_int_eq(rd[i].errors, 0);
		reads += rd[i].reads;
	}
	ck_assert_int_eq(swap_failures, 0);
	ck_assert_int_gt(reads, READERS);
	/* the last book published: content 0 (SWAPS is even), one reference */
	ck_assert_str_eq(b2b_book_fingerprint(h.cur), fps[SWAPS % 2]);
	ck_assert_uint_eq(atomic_load(&h.cur->refs), 1);
	b2b_book_unref(h.cur);
	pthread_mutex_destroy(&h.mu);
	fprintf(stderr, "threads: %d readers, %d swaps, %ld book reads\n", READERS, SWAPS, reads);
}
END_TEST

static Suite *
threads_suite(void)
{
	Suite *s = suite_create("threads");
	TCase *tc = tcase_create("Core");

	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, test_readers_and_swapper);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return b2b_test_run(threads_suite());
}
