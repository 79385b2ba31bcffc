/*
 * libb2bcore — the batch API of b2b/price.h: many lines, no trace, no
 * allocation. Each line goes through the same b2b__price_line() as a
 * quote line (with trace off), so a batch price is the quote's price.
 * SPDX-License-Identifier: MIT
 */
#include <string.h>

#include "b2b/price.h"
#include "price_int.h"
#include "dec_int.h"
#include "enum.h"

/* How many lines ahead b2b_price_batch() prefetches a line's records. */
#define B2B__BATCH_AHEAD 8

#if defined(__GNUC__) || defined(__clang__)
#  define B2B__PREFETCH(p) __builtin_prefetch((p), 0, 1)
#else
#  define B2B__PREFETCH(p) ((void)(p))
#endif

static const char *const problem_names[] = {
	"OK", "UNKNOWN_CUSTOMER", "UNKNOWN_SKU", "QTY_NOT_POSITIVE", "NO_FX_RATE",
	"NEGATIVE_PRICE", "OVERFLOW"
};
#define NPROBLEMS (sizeof(problem_names) / sizeof(problem_names[0]))

const char *
b2b_batch_problem_name(b2b_batch_problem problem)
{
	return b2b__enum_name(problem_names, NPROBLEMS, (long long)problem);
}

int
b2b_batch_problem_parse(b2b_batch_problem *out, const char *name, size_t len)
{
	int i = 0, rc = b2b__enum_parse(out != NULL ? &i : NULL, problem_names, NPROBLEMS, name,
	                                len);

	if (rc == 0)
		*out = (b2b_batch_problem)i;
	return rc;
}

static int
batch_problem(int problem)
{
	switch (problem) {
	case B2B__PROBLEM_NONE: return B2B_BATCH_OK;
	case B2B__PROBLEM_NO_FX_RATE: return B2B_BATCH_NO_FX_RATE;
	default: return B2B_BATCH_NEGATIVE_PRICE;
	}
}

int
b2b_price_batch(b2b_dec *unit_prices, int *problems, b2b_ctx *ctx, const b2b_book *book,
                const uint32_t *customers, const uint32_t *products, const b2b_dec *qtys,
                size_t n, const char *currency, b2b_time as_of)
{
	b2b__line_in in;
	b2b__line_out out;
	b2b__price_memo memo;
	uint16_t fixed_cur = UINT16_MAX;
	size_t i;

	if (book == NULL)
		return b2b__ctx_seterr(ctx, B2B_EINVAL, "b2b_price_batch: book is NULL");
	if (n == 0)
		return 0;
	if (unit_prices == NULL || problems == NULL || customers == NULL || products == NULL ||
	    qtys == NULL)
		return b2b__ctx_seterr(ctx, B2B_EINVAL, "b2b_price_batch: an array is NULL");
	if (b2b_time_format(NULL, 0, NULL, as_of) == B2B_EINVAL)
		return b2b__ctx_seterr(ctx, B2B_EINVAL, "b2b_price_batch: as_of is not a valid instant");
	if (currency != NULL) {
		uint32_t k = b2b__book_currency(book, currency, strlen(currency));

		if (k == B2B__NONE || k > UINT16_MAX)
			return b2b__ctx_seterr(ctx, B2B_ENOTFOUND,
			                       "b2b_price_batch: unknown currency '%.16s'", currency);
		fixed_cur = (uint16_t)k;
	}
	memset(&in, 0, sizeof in);
	in.as_of = as_of.sec;
	b2b__price_memo_init(&memo, book);
	in.memo = &memo;
	for (i = 0; i < n; i++) {
		const b2b__customer *c;
		int rc;

		/* Large books do not fit in cache: fetch the records of a line a
		 * few lines ahead, so that its misses overlap this line's work. */
		if (i + B2B__BATCH_AHEAD < n) {
			if (products[i + B2B__BATCH_AHEAD] < book->nproducts)
				B2B__PREFETCH(&book->products[products[i + B2B__BATCH_AHEAD]]);
			if (customers[i + B2B__BATCH_AHEAD] < book->ncustomers)
				B2B__PREFETCH(&book->customers[customers[i + B2B__BATCH_AHEAD]]);
		}

		unit_prices[i] = b2b__dec_from_int(0);
		if (customers[i] >= book->ncustomers) {
			problems[i] = B2B_BATCH_UNKNOWN_CUSTOMER;
			continue;
		}
		if (products[i] >= book->nproducts) {
			problems[i] = B2B_BATCH_UNKNOWN_SKU;
			continue;
		}
		if (b2b_dec_sign(qtys[i]) <= 0) {
			problems[i] = B2B_BATCH_QTY_NOT_POSITIVE;
			continue;
		}
		c = &book->customers[customers[i]];
		in.customer = customers[i];
		in.product = products[i];
		in.qty = qtys[i];
		if (fixed_cur != UINT16_MAX)
			in.currency = fixed_cur;
		else if (c->currency != UINT16_MAX)
			in.currency = c->currency;
		else
			in.currency = book->settings.base_currency;
		if (c->channel != 0) {
			in.channel = b2b__s(book, c->channel);
			in.channel_len = strlen(in.channel);
		} else {
			in.channel = NULL;
			in.channel_len = 0;
		}
		rc = b2b__price_line(&out, ctx, book, &in);
		if (rc == B2B_EOVERFLOW) {
			problems[i] = B2B_BATCH_OVERFLOW;
			continue;
		}
		if (rc < 0)
			return rc;
		problems[i] = batch_problem(out.problem);
		if (out.problem == B2B__PROBLEM_NONE)
			unit_prices[i] = out.unit_price;
	}
	return 0;
}
