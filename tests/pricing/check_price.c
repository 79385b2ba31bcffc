/*
 * Tests: the line pricer (SPEC §5.1–§5.6, the rounding step of §5.7, the
 * waterfall and candidates of §4, §9.5, §9.6, §9.10, §9.11, §9.13) and
 * the batch API of b2b/price.h.
 *
 * White-box: most tests call b2b__price_line() directly on a tiny book
 * written as CSV files into a temporary directory and loaded with
 * b2b_book_load_dir(); a few go through the public b2b_price_compute().
 * Every expected figure is worked out by hand in the comment above its
 * test (r9 = rounded to 9 fractional digits with the book's mode).
 *
 * Waterfalls are compared as one string, "step source before>after"
 * joined by " | ", figures in their shortest exact form; candidates as
 * "source outcome" where outcome is "applied" or the reason.
 *
 * The property tests at the end build random small books through the
 * builder API (seeded; the seed is printed on failure) and check, over
 * more than 10,000 random lines: no promotion step raises a price, trace
 * on/off give the same result, the same input twice gives identical
 * results, and b2b_price_batch() equals b2b__price_line().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "b2b.h"
#include "b2b/price.h"   /* not yet in the umbrella header */
#include "b2b/quote.h"
#include "price_int.h"
#include "dec_int.h"
#include "price_wide.h"
#include "pricer.h"
#include "book_plan.h"
#include "support/testmain.h"

/*===========================================================================
 * MARK: - Harness
 *===========================================================================*/

static b2b_ctx *ctx;
static b2b_book *book;
static b2b__line_out lo;
static char sbuf[16384];

static void
setup(void)
{
	ck_assert_int_eq(b2b_ctx_new(&ctx, NULL), 0);
	book = NULL;
}

static void
teardown(void)
{
	b2b_book_unref(book);
	book = NULL;
	b2b_ctx_free(ctx);
	ctx = NULL;
}

static void
print_diags(b2b_ctx *c)
{
	size_t i, n = b2b_ctx_diag_count(c);

	for (i = 0; i < n; i++)
		fprintf(stderr, "%s:%ld:%ld: %s\n", b2b_ctx_diag_file(c, i), b2b_ctx_diag_line(c, i),
		        b2b_ctx_diag_col(c, i), b2b_ctx_diag_message(c, i));
}

/*
 * Write files[0] = name, files[1] = content, … (NULL-terminated) into a
 * fresh temporary directory, load it, remove the directory. Returns the
 * load's return code; *out is the book (NULL on failure).
 */
static int
load_files(b2b_book **out, const char *const *files)
{
	char dir[] = "/tmp/b2b-price-XXXXXX", path[256];
	b2b_ctx *c;
	size_t i;
	int rc;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	for (i = 0; files[i] != NULL; i += 2) {
		FILE *f;

		snprintf(path, sizeof path, "%s/%s", dir, files[i]);
		f = fopen(path, "wb");
		ck_assert_ptr_nonnull(f);
		fputs(files[i + 1], f);
		ck_assert_int_eq(fclose(f), 0);
	}
	ck_assert_int_eq(b2b_ctx_new(&c, NULL), 0);
	rc = b2b_book_load_dir(out, c, NULL, dir);
	if (rc != 0)
		print_diags(c);
	b2b_ctx_free(c);
	for (i = 0; files[i] != NULL; i += 2) {
		snprintf(path, sizeof path, "%s/%s", dir, files[i]);
		unlink(path);
	}
	ck_assert_int_eq(rmdir(dir), 0);
	return rc;
}

/* Load the book given as (name, content) pairs into `book`; must succeed. */
#define BOOK(...) do { \
	const char *const files_[] = { __VA_ARGS__, NULL }; \
	b2b_book_unref(book); \
	book = NULL; \
	ck_assert_int_eq(load_files(&book, files_), 0); \
} while (0)

/* Common tables. */
#define CUST1 "customers.csv", "id\nC1\n"

static b2b_dec
D(const char *s)
{
	b2b_dec d;

	ck_assert_int_eq(b2b_dec_parse(&d, NULL, s, strlen(s), 0), 0);
	return d;
}

/* Shortest exact text of d, in one of 8 rotating buffers. */
static const char *
F(b2b_dec d)
{
	static char bufs[8][B2B_DEC_FORMAT_MAX];
	static int k;
	char *b = bufs[k++ & 7];

	ck_assert_int_eq(b2b_dec_format(b, B2B_DEC_FORMAT_MAX, NULL, d, B2B_DEC_SCALE_EXACT,
	                                B2B_ROUND_HALF_UP), 0);
	return b;
}

static int64_t
T(const char *s)
{
	b2b_time t;

	ck_assert_int_eq(b2b_time_parse(&t, NULL, s, strlen(s)), 0);
	return t.sec;
}

/* The instant `sec` seconds after the epoch, as a date-time. */
static b2b_time
TS(int64_t sec)
{
	b2b_time t = { sec, B2B_TIME_DATETIME, 0 };

	return t;
}

/* A line request; unset fields take the defaults noted. */
typedef struct rq {
	const char *cust;      /* "C1" */
	const char *sku;       /* "A" */
	const char *qty;       /* "1" */
	const char *as_of;     /* "2026-06-15" */
	const char *currency;  /* the customer's, else the base currency */
	const char *channel;   /* the customer's */
	const char *codes;     /* ';'-separated coupon codes */
	const char *requested; /* requested_unit_price */
	int no_explain;        /* trace only (explain is on by default) */
	int no_trace;          /* neither trace nor explain */
} rq;

static void
fill_in(b2b__line_in *in, const b2b_book *b, const rq *r, const char **codes, size_t *lens,
        size_t maxcodes, char *codebuf, size_t codebuf_size)
{
	const char *cust = r->cust ? r->cust : "C1", *sku = r->sku ? r->sku : "A";
	const b2b__customer *c;
	uint32_t k;

	memset(in, 0, sizeof *in);
	in->customer = b2b__book_customer(b, cust, strlen(cust));
	ck_assert_msg(in->customer != B2B__NONE, "unknown customer %s", cust);
	in->product = b2b__book_product(b, sku, strlen(sku));
	ck_assert_msg(in->product != B2B__NONE, "unknown sku %s", sku);
	in->qty = D(r->qty ? r->qty : "1");
	in->as_of = T(r->as_of ? r->as_of : "2026-06-15");
	c = &b->customers[in->customer];
	if (r->currency != NULL) {
		k = b2b__book_currency(b, r->currency, strlen(r->currency));
		ck_assert_uint_ne(k, B2B__NONE);
		in->currency = (uint16_t)k;
	} else {
		in->currency = c->currency != UINT16_MAX ? c->currency : b->settings.base_currency;
	}
	if (r->channel != NULL) {
		in->channel = r->channel;
		in->channel_len = strlen(r->channel);
	} else if (c->channel != 0) {
		in->channel = b2b__s(b, c->channel);
		in->channel_len = strlen(in->channel);
	}
	if (r->codes != NULL) {
		char *s;

		snprintf(codebuf, codebuf_size, "%s", r->codes);
		for (s = codebuf; *s != '\0' && in->ncodes < maxcodes; ) {
			char *e = strchr(s, ';');

			codes[in->ncodes] = s;
			lens[in->ncodes] = e ? (size_t)(e - s) : strlen(s);
			in->ncodes++;
			if (e == NULL)
				break;
			s = e + 1;
		}
		in->codes = codes;
		in->code_lens = lens;
	}
	if (r->requested != NULL) {
		in->has_requested = 1;
		in->requested = D(r->requested);
	}
	in->trace = !r->no_trace;
	in->explain = !r->no_trace && !r->no_explain;
}

/* Price one line against `book`; the result is in `lo`. */
static const b2b__line_out *
price(rq r)
{
	b2b__line_in in;
	const char *codes[8];
	size_t lens[8];
	char codebuf[256];

	ck_assert_ptr_nonnull(book);
	fill_in(&in, book, &r, codes, lens, 8, codebuf, sizeof codebuf);
	ck_assert_int_eq(b2b__price_line(&lo, ctx, book, &in), 0);
	return &lo;
}

/* "step source before>after | …" */
static const char *
wf(const b2b__line_out *o)
{
	size_t i, n = 0;

	sbuf[0] = '\0';
	for (i = 0; i < o->nsteps; i++) {
		const b2b__step *s = &o->steps[i];

		n += (size_t)snprintf(sbuf + n, sizeof sbuf - n, "%s%s %s %s>%s", i ? " | " : "",
		                      b2b__step_name(s->step), s->source, F(s->before), F(s->after));
		ck_assert_uint_lt(n, sizeof sbuf);
	}
	return sbuf;
}

/* "source outcome | …" (outcome: "applied" or the reason) */
static const char *
cands(const b2b__line_out *o)
{
	size_t i, n = 0;

	sbuf[0] = '\0';
	for (i = 0; i < o->ncands; i++) {
		const b2b__cand *c = &o->cands[i];

		n += (size_t)snprintf(sbuf + n, sizeof sbuf - n, "%s%s %s", i ? " | " : "", c->source,
		                      c->applied ? "applied" : c->reason);
		ck_assert_uint_lt(n, sizeof sbuf);
	}
	return sbuf;
}

#define ck_unit(o, want) do { \
	const b2b__line_out *o_ = (o); \
	ck_assert_msg(o_->problem == B2B__PROBLEM_NONE, "problem %d", o_->problem); \
	ck_assert_msg(strcmp(F(o_->unit_price), (want)) == 0, "unit price %s, want %s; %s", \
	              F(o_->unit_price), (want), wf(o_)); \
} while (0)
#define ck_engine(o, want) ck_assert_str_eq(F((o)->engine_price), (want))
#define ck_wf(o, want) ck_assert_str_eq(wf(o), (want))
#define ck_cands(o, want) ck_assert_str_eq(cands(o), (want))
#define ck_problem(o, want) ck_assert_int_eq((o)->problem, (want))

/*===========================================================================
 * MARK: - §5.1 List price and FX
 *===========================================================================*/

/*
 * No conversion: L = list_price 12.5; no fx step; P = L; rounded to the
 * default unit_price_decimals 4 → 12.5.
 */
START_TEST(test_list_only)
{
	const b2b__line_out *o;

	BOOK("products.csv", "sku,list_price\nA,12.5\n", CUST1);
	o = price((rq){ 0 });
	ck_unit(o, "12.5");
	ck_assert_str_eq(F(o->list_price), "12.5");
	ck_assert_str_eq(F(o->list_price_rounded), "12.5");
	ck_assert_int_eq(o->protected_, 0);
	ck_assert_int_eq(o->below_floor, 0);
	ck_assert_int_eq(o->floor.set, 0);
	ck_assert_int_eq(o->cost.set, 0);
	ck_wf(o, "list product:A 12.5>12.5 | rounding unit_price_decimals:4 12.5>12.5");
	ck_cands(o, "");
}
END_TEST

/*
 * Direct rate: product in USD at 10, document EUR (base), row USD→EUR
 * 0.9: L = r9(10 × 0.9) = 9; step fx:USD/EUR 10>9.
 */
START_TEST(test_fx_direct)
{
	const b2b__line_out *o;

	BOOK("settings.csv", "key,value\nbase_currency,EUR\n",
	     "products.csv", "sku,list_price,currency\nA,10,USD\n",
	     "fx_rates.csv", "from,to,rate\nUSD,EUR,0.9\n", CUST1);
	o = price((rq){ 0 });
	ck_unit(o, "9");
	ck_wf(o, "list product:A 10>10 | fx fx:USD/EUR 10>9 | "
	         "rounding unit_price_decimals:4 9>9");
}
END_TEST

/*
 * Inverse rate: only EUR→USD 1.1. rate = r9(1 ÷ 1.1) = r9(0.90909090909…)
 * = 0.909090909 (half_up: the 10th digit is 0); L = r9(10 × 0.909090909)
 * = 9.09090909 (exact); the source names the row used: fx:EUR/USD;
 * unit price 9.0909 at 4 decimals. With half_up the 4-decimal rounding
 * of 9.09090909 is 9.0909.
 */
START_TEST(test_fx_inverse)
{
	const b2b__line_out *o;

	BOOK("settings.csv", "key,value\nbase_currency,EUR\n",
	     "products.csv", "sku,list_price,currency\nA,10,USD\n",
	     "fx_rates.csv", "from,to,rate\nEUR,USD,1.1\n", CUST1);
	o = price((rq){ 0 });
	ck_unit(o, "9.0909");
	ck_assert_str_eq(F(o->list_price), "9.09090909");
	ck_wf(o, "list product:A 10>10 | fx fx:EUR/USD 10>9.09090909 | "
	         "rounding unit_price_decimals:4 9.09090909>9.0909");
}
END_TEST

/*
 * The inverse rate r9(1 ÷ rate) rounds with the book's mode: 1 ÷ 3 =
 * 0.3333333333… → 0.333333333 (down) or, with `up`, 0.333333334.
 * L = r9(3 × rate): 0.999999999 (half_up) and 1.000000002 (up).
 */
START_TEST(test_fx_inverse_rounding_mode)
{
	const b2b__line_out *o;

	BOOK("settings.csv", "key,value\nbase_currency,EUR\n",
	     "products.csv", "sku,list_price,currency\nA,3,USD\n",
	     "fx_rates.csv", "from,to,rate\nEUR,USD,3\n", CUST1);
	o = price((rq){ 0 });
	ck_assert_str_eq(F(o->list_price), "0.999999999");
	BOOK("settings.csv", "key,value\nbase_currency,EUR\nrounding_mode,up\n",
	     "products.csv", "sku,list_price,currency\nA,3,USD\n",
	     "fx_rates.csv", "from,to,rate\nEUR,USD,3\n", CUST1);
	o = price((rq){ 0 });
	ck_assert_str_eq(F(o->list_price), "1.000000002");
	/* unit price at 4 decimals with `up`: 1.0001 */
	ck_unit(o, "1.0001");
}
END_TEST

/*
 * The latest from→to row with valid_from ≤ T: rows 0.8 (open), 0.9 from
 * 2026-03-01, 0.95 from 2026-07-01. T = 2026-02-01 → 0.8 → L 8;
 * T = 2026-06-15 → 0.9 → 9; T = 2026-07-01 (from is inclusive) → 9.5.
 */
START_TEST(test_fx_latest_valid_from)
{
	BOOK("settings.csv", "key,value\nbase_currency,EUR\n",
	     "products.csv", "sku,list_price,currency\nA,10,USD\n",
	     "fx_rates.csv", "from,to,rate,valid_from\nUSD,EUR,0.95,2026-07-01\n"
	                     "USD,EUR,0.8,\nUSD,EUR,0.9,2026-03-01\n", CUST1);
	ck_unit(price((rq){ .as_of = "2026-02-01" }), "8");
	ck_unit(price((rq){ .as_of = "2026-06-15" }), "9");
	ck_unit(price((rq){ .as_of = "2026-07-01" }), "9.5");
	ck_unit(price((rq){ .as_of = "2026-06-30T23:59:59Z" }), "9");
}
END_TEST

/*
 * A direct row wins over an inverse one; a direct row not yet valid at T
 * leaves the inverse: USD→EUR 0.9 from 2026-07-01 and EUR→USD 1.25 (open).
 * T = 2026-06-15: no direct row valid → r9(1 ÷ 1.25) = 0.8 → L 8, source
 * fx:EUR/USD. T = 2026-07-02: direct 0.9 → 9, source fx:USD/EUR.
 */
START_TEST(test_fx_direct_before_inverse)
{
	const b2b__line_out *o;

	BOOK("settings.csv", "key,value\nbase_currency,EUR\n",
	     "products.csv", "sku,list_price,currency\nA,10,USD\n",
	     "fx_rates.csv", "from,to,rate,valid_from\nUSD,EUR,0.9,2026-07-01\nEUR,USD,1.25,\n",
	     CUST1);
	o = price((rq){ 0 });
	ck_unit(o, "8");
	ck_wf(o, "list product:A 10>10 | fx fx:EUR/USD 10>8 | rounding unit_price_decimals:4 8>8");
	o = price((rq){ .as_of = "2026-07-02" });
	ck_unit(o, "9");
	ck_wf(o, "list product:A 10>10 | fx fx:USD/EUR 10>9 | rounding unit_price_decimals:4 9>9");
}
END_TEST

/*
 * No rate at all → NO_FX_RATE, and no triangulation: GBP→USD and USD→EUR
 * exist but GBP→EUR does not. An inverse row not yet valid does not count
 * either (EUR→GBP from 2027). The partial trace holds the list step.
 */
START_TEST(test_no_fx_rate)
{
	const b2b__line_out *o;

	BOOK("settings.csv", "key,value\nbase_currency,EUR\n",
	     "products.csv", "sku,list_price,currency\nA,10,GBP\n",
	     "fx_rates.csv", "from,to,rate,valid_from\nGBP,USD,1.3,\nUSD,EUR,0.9,\n"
	                     "EUR,GBP,0.85,2027-01-01\n", CUST1);
	o = price((rq){ 0 });
	ck_problem(o, B2B__PROBLEM_NO_FX_RATE);
	ck_assert_int_eq(o->requested_negative, 0);
	ck_wf(o, "list product:A 10>10");
	/* the same product priced in USD converts directly */
	o = price((rq){ .currency = "USD" });
	ck_unit(o, "13");
}
END_TEST

/*
 * cost, competitor_price and prev_price are converted with the same rate
 * (USD→EUR 0.9): cost 5 → 4.5; floor with min_margin_percent 10 =
 * r9(4.5 × 1.1) = 4.95; competitor 20 → 18 (rule COMP, offset 0 → x' =
 * 18); prev_price 20 → 18 with max_change 10 → band [16.2, 19.8], 18 in
 * it. Unit price 18; out->cost = 4.5.
 */
START_TEST(test_fx_converts_cost_competitor_prev)
{
	const b2b__line_out *o;

	BOOK("settings.csv", "key,value\nbase_currency,EUR\nmin_margin_percent,10\n",
	     "products.csv", "sku,list_price,currency,cost,competitor_price,prev_price\n"
	                     "A,10,USD,5,20,20\n",
	     "fx_rates.csv", "from,to,rate\nUSD,EUR,0.9\n",
	     "dynamic_rules.csv", "id,scope,signal,max_change_percent\nCOMP,all,competitor,10\n",
	     CUST1);
	o = price((rq){ 0 });
	ck_unit(o, "18");
	ck_assert_int_eq(o->cost.set, 1);
	ck_assert_str_eq(F(o->cost.v), "4.5");
	ck_assert_int_eq(o->floor.set, 1);
	ck_assert_str_eq(F(o->floor.v), "4.95");
	ck_wf(o, "list product:A 10>10 | fx fx:USD/EUR 10>9 | dynamic rule:COMP 9>18 | "
	         "rounding unit_price_decimals:4 18>18");
}
END_TEST

/*
 * Base-currency amounts of promotions are converted to K (§3, §9.5):
 * base EUR, K = USD (the customer's), EUR→USD 1.1; product in USD at 10;
 * promotion OFF amount 1 (EUR) → 1.1 USD → x' = 10 − 1.1 = 8.9.
 * fixed_price 5 EUR → 5.5 USD.
 */
START_TEST(test_fx_promotion_amount_converted)
{
	const b2b__line_out *o;

	BOOK("settings.csv", "key,value\nbase_currency,EUR\n",
	     "products.csv", "sku,list_price,currency\nA,10,USD\nB,10,USD\n",
	     "fx_rates.csv", "from,to,rate\nEUR,USD,1.1\n",
	     "customers.csv", "id,currency\nC1,USD\n",
	     "promotions.csv", "id,kind,value,scope\nOFF,amount,1,sku:A\nFIX,fixed_price,5,sku:B\n");
	o = price((rq){ 0 });
	ck_unit(o, "8.9");
	ck_wf(o, "list product:A 10>10 | promotion promotion:OFF 10>8.9 | "
	         "rounding unit_price_decimals:4 8.9>8.9");
	o = price((rq){ .sku = "B" });
	ck_unit(o, "5.5");
}
END_TEST

/*
 * §9.5: a promotion amount needed in K without a rate base→K is
 * NO_FX_RATE on the line, when the walk reaches it. Base EUR, K = GBP
 * (product in GBP, no conversion of L). A percent promotion needs no
 * rate (sku B: 10 × 0.9 = 9); the amount promotion on A does → NO_FX_RATE.
 * An out-of-window amount promotion is not reached (sku C: priced 10), nor
 * one after an exclusive promotion that applied (sku E: EX 10% → 9, the
 * walk ends; AMT is never converted).
 */
START_TEST(test_fx_promotion_no_rate)
{
	const b2b__line_out *o;

	BOOK("settings.csv", "key,value\nbase_currency,EUR\n",
	     "products.csv", "sku,list_price,currency\nA,10,GBP\nB,10,GBP\nC,10,GBP\nE,10,GBP\n",
	     "customers.csv", "id,currency\nC1,GBP\n",
	     "promotions.csv", "id,kind,value,scope,valid_until,priority,stacking\n"
	                       "OFF,amount,1,sku:A,,0,\n"
	                       "PCT,percent,10,sku:B,,0,\nOLD,amount,1,sku:C,2026-01-01,0,\n"
	                       "EX,percent,10,sku:E,,5,exclusive\nAMT,amount,1,sku:E,,1,\n");
	o = price((rq){ 0 });
	ck_problem(o, B2B__PROBLEM_NO_FX_RATE);
	ck_unit(price((rq){ .sku = "B" }), "9");
	o = price((rq){ .sku = "C" });
	ck_unit(o, "10");
	ck_cands(o, "promotion:OLD out_of_window");
	o = price((rq){ .sku = "E" });
	ck_unit(o, "9");
	ck_cands(o, "promotion:EX applied | promotion:AMT exclusive_blocked");
	ck_unit(price((rq){ .sku = "E", .no_trace = 1 }), "9");
}
END_TEST

/*===========================================================================
 * MARK: - §5.2 Price lists: candidates
 *===========================================================================*/

/*
 * The five candidate groups, in order: the customer's own cell, then
 * customer:C, segment:S, channel:H, default; a group's priority does not
 * cross groups (DEF has priority 100). Items for A: OWN 90, CUS 80,
 * SEG 70, CHA 60, DEF 50.
 * C1 (own OWN, seg1, web) → 90; C2 (customer:C2) → 80; C3 (seg1) → 70;
 * C4 (seg2, web) → 60; C5 (seg2, edi) → 50; C5 with channel web given in
 * the request → 60 (the request's channel wins over the customer's).
 */
START_TEST(test_list_candidate_groups)
{
	const b2b__line_out *o;

	BOOK("products.csv", "sku,list_price\nA,100\n",
	     "customers.csv", "id,segment,channel,price_lists\nC1,seg1,web,OWN\nC2,seg1,web,\n"
	                      "C3,seg1,edi,\nC4,seg2,web,\nC5,seg2,edi,\n",
	     "price_lists.csv", "id,priority,applies_to\nOWN,-5,\nCUS,0,customer:C2\n"
	                        "SEG,0,segment:seg1\nCHA,0,channel:web\nDEF,100,default\n",
	     "price_list_items.csv", "list,scope,compute,price\nOWN,sku:A,fixed,90\n"
	                             "CUS,sku:A,fixed,80\nSEG,sku:A,fixed,70\nCHA,sku:A,fixed,60\n"
	                             "DEF,sku:A,fixed,50\n");
	o = price((rq){ .cust = "C1" });
	ck_unit(o, "90");
	ck_cands(o, "price_list:OWN/sku:A/min_qty:0 applied | price_list:SEG lower_priority | "
	            "price_list:CHA lower_priority | price_list:DEF lower_priority");
	ck_wf(o, "list product:A 100>100 | price_list price_list:OWN/sku:A/min_qty:0 100>90 | "
	         "rounding unit_price_decimals:4 90>90");
	o = price((rq){ .cust = "C2" });
	ck_unit(o, "80");
	ck_cands(o, "price_list:CUS/sku:A/min_qty:0 applied | price_list:SEG lower_priority | "
	            "price_list:CHA lower_priority | price_list:DEF lower_priority");
	ck_unit(price((rq){ .cust = "C3" }), "70");
	ck_unit(price((rq){ .cust = "C4" }), "60");
	o = price((rq){ .cust = "C5" });
	ck_unit(o, "50");
	ck_cands(o, "price_list:DEF/sku:A/min_qty:0 applied");
	ck_unit(price((rq){ .cust = "C5", .channel = "web" }), "60");
}
END_TEST

/*
 * Within a group: priority (higher first), then id in byte order ("B" <
 * "a"). Default lists Z (priority 5), B and a (0). Items: Z sku:A 30;
 * B sku:A 20, sku:B 21; a sku:A 10, sku:B 11.
 * A → Z's 30; B → Z has no item for B, then B's 21 (not a's 11).
 */
START_TEST(test_list_priority_then_id)
{
	const b2b__line_out *o;

	BOOK("products.csv", "sku,list_price\nA,100\nB,100\n", CUST1,
	     "price_lists.csv", "id,priority,applies_to\na,0,default\nB,0,default\nZ,5,default\n",
	     "price_list_items.csv", "list,scope,compute,price\nZ,sku:A,fixed,30\n"
	                             "B,sku:A,fixed,20\nB,sku:B,fixed,21\n"
	                             "a,sku:A,fixed,10\na,sku:B,fixed,11\n");
	o = price((rq){ 0 });
	ck_unit(o, "30");
	ck_cands(o, "price_list:Z/sku:A/min_qty:0 applied | price_list:B lower_priority | "
	            "price_list:a lower_priority");
	o = price((rq){ .sku = "B" });
	ck_unit(o, "21");
	ck_cands(o, "price_list:Z no_item | price_list:B/sku:B/min_qty:0 applied | "
	            "price_list:a lower_priority");
}
END_TEST

/*
 * Each list is a candidate at most once: L is in C1's cell and applies to
 * default and segment:S; M applies to segment:S and default. Only D
 * (default, priority -1) has an item for A (7). Candidates: L (cell),
 * M (segment group), D (default group; L and M not again).
 */
START_TEST(test_list_each_candidate_once)
{
	const b2b__line_out *o;

	BOOK("products.csv", "sku,list_price\nA,10\nB,10\n",
	     "customers.csv", "id,segment,price_lists\nC1,S,L\n",
	     "price_lists.csv", "id,priority,applies_to\nL,0,default;segment:S\n"
	                        "M,0,segment:S;default\nD,-1,default\n",
	     "price_list_items.csv", "list,scope,compute,price\nD,sku:A,fixed,7\n"
	                             "L,sku:B,fixed,1\nM,sku:B,fixed,2\n");
	o = price((rq){ 0 });
	ck_unit(o, "7");
	ck_cands(o, "price_list:L no_item | price_list:M no_item | "
	            "price_list:D/sku:A/min_qty:0 applied");
}
END_TEST

/*
 * Each list is a candidate at most once, across the customer and channel
 * groups too: K applies to customer:C1 and segment:S; W to channel:web
 * and default; only D (default, priority -1) has an item for A (7).
 * C1 (S, web): K in the customer group, not again in the segment group;
 * W in the channel group, not again in the default group; then D.
 * C2 (S, edi): K's customer entry is not C2's, so K counts in the
 * segment group; W's channel is not edi, so W counts in the default
 * group (priority 0, before D). Same candidates, reached the other way.
 * B: C1 gets K's 1 (customer group first), C2 K's 1 too (segment), C3
 * (no segment, web) W's 2.
 */
START_TEST(test_list_each_candidate_once_customer_channel)
{
	const b2b__line_out *o;

	BOOK("products.csv", "sku,list_price\nA,10\nB,10\n",
	     "customers.csv", "id,segment,channel\nC1,S,web\nC2,S,edi\nC3,,web\n",
	     "price_lists.csv", "id,priority,applies_to\nK,0,customer:C1;segment:S\n"
	                        "W,0,channel:web;default\nD,-1,default\n",
	     "price_list_items.csv", "list,scope,compute,price\nD,sku:A,fixed,7\n"
	                             "K,sku:B,fixed,1\nW,sku:B,fixed,2\n");
	o = price((rq){ 0 });
	ck_unit(o, "7");
	ck_cands(o, "price_list:K no_item | price_list:W no_item | "
	            "price_list:D/sku:A/min_qty:0 applied");
	o = price((rq){ .cust = "C2" });
	ck_unit(o, "7");
	ck_cands(o, "price_list:K no_item | price_list:W no_item | "
	            "price_list:D/sku:A/min_qty:0 applied");
	o = price((rq){ .sku = "B" });
	ck_unit(o, "1");
	ck_cands(o, "price_list:K/sku:B/min_qty:0 applied | price_list:W lower_priority | "
	            "price_list:D lower_priority");
	ck_unit(price((rq){ .cust = "C2", .sku = "B" }), "1");
	o = price((rq){ .cust = "C3", .sku = "B" });
	ck_unit(o, "2");
	ck_cands(o, "price_list:W/sku:B/min_qty:0 applied | price_list:D lower_priority");
}
END_TEST

/*
 * A candidate that does not count is skipped with its chain: Z is in USD
 * (document EUR): other_currency; X ended on 2026-01-01: out_of_window,
 * and its parent P (which has A at 5) is not tried through it; Y gives 8.
 * Priced in USD (EUR→USD 1.2, L = 12), Z counts and gives 11.
 */
START_TEST(test_list_not_counting_skipped_with_chain)
{
	const b2b__line_out *o;

	BOOK("settings.csv", "key,value\nbase_currency,EUR\n",
	     "products.csv", "sku,list_price\nA,10\n", CUST1,
	     "fx_rates.csv", "from,to,rate\nEUR,USD,1.2\n",
	     "price_lists.csv", "id,currency,priority,valid_until,parent,applies_to\n"
	                        "Z,USD,20,,,default\nX,,10,2026-01-01,P,default\nP,,0,,,\n"
	                        "Y,,0,,,default\n",
	     "price_list_items.csv", "list,scope,compute,price\nZ,sku:A,fixed,11\n"
	                             "P,sku:A,fixed,5\nY,sku:A,fixed,8\n");
	o = price((rq){ 0 });
	ck_unit(o, "8");
	ck_cands(o, "price_list:Z other_currency | price_list:X out_of_window | "
	            "price_list:Y/sku:A/min_qty:0 applied");
	o = price((rq){ .currency = "USD" });
	ck_unit(o, "11");
	ck_wf(o, "list product:A 10>10 | fx fx:EUR/USD 10>12 | "
	         "price_list price_list:Z/sku:A/min_qty:0 12>11 | rounding unit_price_decimals:4 11>11");
}
END_TEST

/*
 * Parent fallback: X (default, parent P) has no item for A; P has A at 6
 * → 6, the step names P's item. A parent that does not count is passed
 * over and its own parent tried: Y (C2's list, parent Q1) → Q1 starts
 * 2027 (its item for A at 4 is not used) → Q2 gives A at 3.
 */
START_TEST(test_list_parent_fallback)
{
	const b2b__line_out *o;

	BOOK("customers.csv", "id,price_lists\nC1,\nC2,Y\n",
	     "price_lists.csv", "id,valid_from,parent,applies_to\nX,,P,default\nP,,,\n"
	                        "Y,,Q1,\nQ1,2027-01-01,Q2,\nQ2,,,\n",
	     "price_list_items.csv", "list,scope,compute,price\nX,sku:B,fixed,1\n"
	                             "P,sku:A,fixed,6\nQ1,sku:A,fixed,4\nQ2,sku:A,fixed,3\n",
	     "products.csv", "sku,list_price\nA,10\nB,10\n");
	o = price((rq){ 0 });
	ck_unit(o, "6");
	ck_wf(o, "list product:A 10>10 | price_list price_list:P/sku:A/min_qty:0 10>6 | "
	         "rounding unit_price_decimals:4 6>6");
	ck_cands(o, "price_list:X no_item | price_list:P/sku:A/min_qty:0 applied");
	o = price((rq){ .cust = "C2" });
	ck_unit(o, "3");
	ck_cands(o, "price_list:Y no_item | price_list:Q1 out_of_window | "
	            "price_list:Q2/sku:A/min_qty:0 applied | price_list:X lower_priority");
}
END_TEST

/* No list yields a price → P = L, no price_list step. */
START_TEST(test_list_none_gives_L)
{
	const b2b__line_out *o;

	BOOK("products.csv", "sku,list_price\nA,10\nB,10\n", CUST1,
	     "price_lists.csv", "id,applies_to\nD,default\n",
	     "price_list_items.csv", "list,scope,min_qty,compute,price\nD,sku:B,0,fixed,1\n"
	                             "D,sku:A,5,fixed,2\n");
	o = price((rq){ 0 });
	ck_unit(o, "10");
	ck_wf(o, "list product:A 10>10 | rounding unit_price_decimals:4 10>10");
	ck_cands(o, "price_list:D/sku:A/min_qty:5 min_qty_not_reached");
}
END_TEST

/*===========================================================================
 * MARK: - §5.2 Price lists: scopes and items
 *===========================================================================*/

/*
 * Most specific scope: sku (5) > category:tools/hand (6) > category:tools
 * (7) > all (8). A (tools/hand) → 5; B (tools/hand) → 6; C (tools/power)
 * → 7; E (garden) → 8; G (no category) → 8.
 */
START_TEST(test_scope_most_specific)
{
	const b2b__line_out *o;

	BOOK("products.csv", "sku,list_price,category\nA,10,tools/hand\nB,10,tools/hand\n"
	                     "C,10,tools/power\nE,10,garden\nG,10,\n", CUST1,
	     "price_lists.csv", "id,applies_to\nD,default\n",
	     "price_list_items.csv", "list,scope,compute,price\nD,all,fixed,8\n"
	                             "D,category:tools,fixed,7\nD,category:tools/hand,fixed,6\n"
	                             "D,sku:A,fixed,5\n");
	o = price((rq){ 0 });
	ck_unit(o, "5");
	ck_cands(o, "price_list:D/sku:A/min_qty:0 applied | "
	            "price_list:D/category:tools/hand/min_qty:0 less_specific | "
	            "price_list:D/category:tools/min_qty:0 less_specific | "
	            "price_list:D/all/min_qty:0 less_specific");
	ck_unit(price((rq){ .sku = "B" }), "6");
	o = price((rq){ .sku = "C" });
	ck_unit(o, "7");
	ck_wf(o, "list product:C 10>10 | price_list price_list:D/category:tools/min_qty:0 10>7 | "
	         "rounding unit_price_decimals:4 7>7");
	ck_unit(price((rq){ .sku = "E" }), "8");
	ck_unit(price((rq){ .sku = "G" }), "8");
}
END_TEST

/*
 * The chosen scope is the most specific one with an item of min_qty ≤ Q:
 * sku:A only from 10 (5), category:tools from 0 (7), all (9).
 * Q = 5 → 7; Q = 10 → 5; Q = 9.999999999 → 7.
 */
START_TEST(test_scope_needs_min_qty)
{
	const b2b__line_out *o;

	BOOK("products.csv", "sku,list_price,category\nA,10,tools\n", CUST1,
	     "price_lists.csv", "id,applies_to\nD,default\n",
	     "price_list_items.csv", "list,scope,min_qty,compute,price\nD,sku:A,10,fixed,5\n"
	                             "D,category:tools,0,fixed,7\nD,all,0,fixed,9\n");
	o = price((rq){ .qty = "5" });
	ck_unit(o, "7");
	ck_cands(o, "price_list:D/sku:A/min_qty:10 min_qty_not_reached | "
	            "price_list:D/category:tools/min_qty:0 applied | "
	            "price_list:D/all/min_qty:0 less_specific");
	ck_unit(price((rq){ .qty = "10" }), "5");
	ck_unit(price((rq){ .qty = "9.999999999" }), "7");
}
END_TEST

/*
 * category:tools matches by whole path segments: tools (7), tools/x/y (7),
 * not toolsets (→ L 10) nor tool (→ 10).
 */
START_TEST(test_scope_category_segments)
{
	const b2b__line_out *o;

	BOOK("products.csv", "sku,list_price,category\nA,10,toolsets\nB,10,tools\n"
	                     "C,10,tools/x/y\nE,10,tool\n", CUST1,
	     "price_lists.csv", "id,applies_to\nD,default\n",
	     "price_list_items.csv", "list,scope,compute,price\nD,category:tools,fixed,7\n");
	o = price((rq){ 0 });
	ck_unit(o, "10");
	ck_cands(o, "price_list:D no_item");
	ck_unit(price((rq){ .sku = "B" }), "7");
	ck_unit(price((rq){ .sku = "C" }), "7");
	ck_unit(price((rq){ .sku = "E" }), "10");
}
END_TEST

/*
 * A base=cost item does not match a product without cost: A (no cost):
 * its sku item (cost + 20%) is passed (no_data) and `all` (9) is used.
 * B (cost 5): r9(5 × (1 − (−20) ÷ 100)) = 6.
 */
START_TEST(test_base_cost_needs_cost)
{
	const b2b__line_out *o;

	BOOK("products.csv", "sku,list_price,cost\nA,10,\nB,10,5\n", CUST1,
	     "price_lists.csv", "id,applies_to\nD,default\n",
	     "price_list_items.csv", "list,scope,compute,price,discount_percent,base\n"
	                             "D,sku:A,discount,,-20,cost\nD,sku:B,discount,,-20,cost\n"
	                             "D,all,fixed,9,,\n");
	o = price((rq){ 0 });
	ck_unit(o, "9");
	ck_cands(o, "price_list:D/sku:A/min_qty:0 no_data | price_list:D/all/min_qty:0 applied");
	o = price((rq){ .sku = "B" });
	ck_unit(o, "6");
}
END_TEST

/*
 * Items match only inside their window; a valid_from shows in the source
 * as written (a date, or a date-time). sku:A 5 from 2026-07-01; sku:B 4
 * from 2026-07-01T12:00:00Z; all 9.
 * T = 2026-06-15: A → 9 (candidate sku:A out_of_window).
 * T = 2026-07-01: A → 5, source …/min_qty:0/from:2026-07-01.
 * T = 2026-07-01T12:00:00Z: B → 4, source …/from:2026-07-01T12:00:00Z.
 */
START_TEST(test_item_window)
{
	const b2b__line_out *o;

	BOOK("products.csv", "sku,list_price\nA,10\nB,10\n", CUST1,
	     "price_lists.csv", "id,applies_to\nD,default\n",
	     "price_list_items.csv", "list,scope,valid_from,valid_until,compute,price\n"
	                             "D,sku:A,2026-07-01,,fixed,5\n"
	                             "D,sku:B,2026-07-01T12:00:00Z,2026-08-01,fixed,4\n"
	                             "D,all,,,fixed,9\n");
	o = price((rq){ 0 });
	ck_unit(o, "9");
	ck_cands(o, "price_list:D/sku:A/min_qty:0/from:2026-07-01 out_of_window | "
	            "price_list:D/all/min_qty:0 applied");
	o = price((rq){ .as_of = "2026-07-01" });
	ck_unit(o, "5");
	ck_wf(o, "list product:A 10>10 | price_list price_list:D/sku:A/min_qty:0/from:2026-07-01 "
	         "10>5 | rounding unit_price_decimals:4 5>5");
	o = price((rq){ .sku = "B", .as_of = "2026-07-01T12:00:00Z" });
	ck_unit(o, "4");
	ck_wf(o, "list product:B 10>10 | price_list "
	         "price_list:D/sku:B/min_qty:0/from:2026-07-01T12:00:00Z 10>4 | "
	         "rounding unit_price_decimals:4 4>4");
	/* valid_until is exclusive */
	ck_unit(price((rq){ .sku = "B", .as_of = "2026-08-01" }), "9");
}
END_TEST

/*
 * fixed → price; discount → r9(B × (1 − d ÷ 100)):
 * A: L 9.99, 12.5% → 9.99 × 0.875 = 8.74125 (exact); 4 decimals half_up
 *    → 8.7413.
 * B: L 10, 33.333333333% → 10 × 0.66666666667 = 6.6666666667 → r9
 *    6.666666667 → 6.6667.
 * C: fixed 0 is a price (not "unset") → 0.
 * E: discount −10 (a markup) on 10 → 11.
 */
START_TEST(test_compute_fixed_discount)
{
	const b2b__line_out *o;

	BOOK("products.csv", "sku,list_price\nA,9.99\nB,10\nC,10\nE,10\n", CUST1,
	     "price_lists.csv", "id,applies_to\nD,default\n",
	     "price_list_items.csv", "list,scope,compute,price,discount_percent\n"
	                             "D,sku:A,discount,,12.5\nD,sku:B,discount,,33.333333333\n"
	                             "D,sku:C,fixed,0,\nD,sku:E,discount,,-10\n");
	o = price((rq){ 0 });
	ck_engine(o, "8.74125");
	ck_unit(o, "8.7413");
	o = price((rq){ .sku = "B" });
	ck_engine(o, "6.666666667");
	ck_unit(o, "6.6667");
	ck_unit(price((rq){ .sku = "C" }), "0");
	ck_unit(price((rq){ .sku = "E" }), "11");
}
END_TEST

/*
 * Formula steps, one at a time (base list L = 100 unless noted):
 * A: discount 15 → 85.
 * B: discount 15, round_to 10: 85 ÷ 10 = 8.5 → half_up 9 → 90.
 * C: discount 15, round_to 1, surcharge −0.01 → 85 → 84.99.
 * E: base cost 50, discount −20 → 60; min_margin 15 → max(60, 65) = 65.
 * G: base cost 50, discount −50 → 75; max_margin 20 → min(75, 70) = 70.
 * H: only surcharge 2.5 → x = B = 100 → 102.5.
 * I: L 37.37, discount 10 → 33.633; round_to 0.05: 672.66 → 673 → 33.65;
 *    surcharge 0.01 → 33.66; min_margin −5: max(33.66, 32.37) = 33.66;
 *    max_margin −4: min(33.66, 33.37) = 33.37.
 * J: only min_margin 5 (no discount): x = 100 → max(100, 105) = 105.
 */
START_TEST(test_formula_steps)
{
	BOOK("products.csv", "sku,list_price,cost\nA,100,\nB,100,\nC,100,\nE,100,50\nG,100,50\n"
	                     "H,100,\nI,37.37,\nJ,100,\n", CUST1,
	     "price_lists.csv", "id,applies_to\nF,default\n",
	     "price_list_items.csv",
	     "list,scope,compute,discount_percent,base,surcharge,round_to,min_margin,max_margin\n"
	     "F,sku:A,formula,15,,,,,\n"
	     "F,sku:B,formula,15,,,10,,\n"
	     "F,sku:C,formula,15,list,-0.01,1,,\n"
	     "F,sku:E,formula,-20,cost,,,15,\n"
	     "F,sku:G,formula,-50,cost,,,,20\n"
	     "F,sku:H,formula,,,2.5,,,\n"
	     "F,sku:I,formula,10,,0.01,0.05,-5,-4\n"
	     "F,sku:J,formula,,,,,5,\n");
	ck_unit(price((rq){ .sku = "A" }), "85");
	ck_unit(price((rq){ .sku = "B" }), "90");
	ck_unit(price((rq){ .sku = "C" }), "84.99");
	ck_unit(price((rq){ .sku = "E" }), "65");
	ck_unit(price((rq){ .sku = "G" }), "70");
	ck_unit(price((rq){ .sku = "H" }), "102.5");
	ck_unit(price((rq){ .sku = "I" }), "33.37");
	ck_unit(price((rq){ .sku = "J" }), "105");
}
END_TEST

/* round_to uses the book's mode: half_even rounds 85 ÷ 10 = 8.5 to 8 → 80. */
START_TEST(test_formula_round_to_mode)
{
	BOOK("settings.csv", "key,value\nrounding_mode,half_even\n",
	     "products.csv", "sku,list_price\nA,100\n", CUST1,
	     "price_lists.csv", "id,applies_to\nF,default\n",
	     "price_list_items.csv", "list,scope,compute,discount_percent,round_to\n"
	                             "F,sku:A,formula,15,10\n");
	ck_unit(price((rq){ 0 }), "80");
}
END_TEST

/*
 * base=list_id:W: W gives A 80 → r9(80 × 0.9) = 72; W gives nothing for
 * B but its parent W2 gives B 50 → 45; C: neither → B = L = 100 → 90.
 * The nested evaluation adds no step: the price_list step names D's item.
 */
START_TEST(test_base_list_id)
{
	const b2b__line_out *o;

	BOOK("products.csv", "sku,list_price\nA,100\nB,100\nC,100\n", CUST1,
	     "price_lists.csv", "id,parent,applies_to\nW,W2,\nW2,,\nD,,default\n",
	     "price_list_items.csv", "list,scope,compute,price,discount_percent,base\n"
	                             "W,sku:A,fixed,80,,\nW2,sku:B,fixed,50,,\n"
	                             "D,all,discount,,10,list_id:W\n");
	o = price((rq){ 0 });
	ck_unit(o, "72");
	ck_wf(o, "list product:A 100>100 | price_list price_list:D/all/min_qty:0 100>72 | "
	         "rounding unit_price_decimals:4 72>72");
	ck_cands(o, "price_list:D/all/min_qty:0 applied");
	ck_unit(price((rq){ .sku = "B" }), "45");
	ck_unit(price((rq){ .sku = "C" }), "90");
}
END_TEST

/*
 * base=parent: D (parent P) discounts 10% from what P gives: A → P's 50
 * → 45; B → P has nothing → L 100 → 90. E (parent P1, which ended in
 * 2025; P1's parent P) → the chain passes P1 over: A → 45. N (no parent)
 * → L → 90.
 */
START_TEST(test_base_parent)
{
	BOOK("products.csv", "sku,list_price\nA,100\nB,100\n",
	     "customers.csv", "id,price_lists\nC1,D\nC2,E\nC3,N\n",
	     "price_lists.csv", "id,valid_until,parent\nD,,P\nP,,\nE,,P1\nP1,2026-01-01,P\nN,,\n",
	     "price_list_items.csv", "list,scope,compute,price,discount_percent,base\n"
	                             "P,sku:A,fixed,50,,\nP1,sku:A,fixed,1,,\n"
	                             "D,all,discount,,10,parent\nE,all,discount,,10,parent\n"
	                             "N,all,discount,,10,parent\n");
	ck_unit(price((rq){ 0 }), "45");
	ck_unit(price((rq){ .sku = "B" }), "90");
	ck_unit(price((rq){ .cust = "C2" }), "45");
	ck_unit(price((rq){ .cust = "C3" }), "90");
}
END_TEST

/*===========================================================================
 * MARK: - §5.2 Tier modes
 *===========================================================================*/

/*
 * all_units: breaks 0:10, 10:9, 50:8 (L 12): the highest min_qty ≤ Q
 * prices every unit. Q 9 → 10; 10 → 9; 49.5 → 9; 50 → 8; 1000 → 8.
 */
START_TEST(test_all_units)
{
	const b2b__line_out *o;

	BOOK("products.csv", "sku,list_price\nA,12\n", CUST1,
	     "price_lists.csv", "id,applies_to\nD,default\n",
	     "price_list_items.csv", "list,scope,min_qty,compute,price\nD,sku:A,0,fixed,10\n"
	                             "D,sku:A,10,fixed,9\nD,sku:A,50,fixed,8\n");
	ck_unit(price((rq){ .qty = "9" }), "10");
	o = price((rq){ .qty = "10" });
	ck_unit(o, "9");
	ck_wf(o, "list product:A 12>12 | price_list price_list:D/sku:A/min_qty:10 12>9 | "
	         "rounding unit_price_decimals:4 9>9");
	ck_cands(o, "price_list:D/sku:A/min_qty:10 applied | "
	            "price_list:D/sku:A/min_qty:0 lower_break | "
	            "price_list:D/sku:A/min_qty:50 min_qty_not_reached");
	ck_unit(price((rq){ .qty = "49.5" }), "9");
	ck_unit(price((rq){ .qty = "50" }), "8");
	ck_unit(price((rq){ .qty = "1000" }), "8");
}
END_TEST

/*
 * incremental: breaks 0:10, 10:9, 50:8.
 * Q 60: 10×10 + 40×9 + 10×8 = 540 → 540 ÷ 60 = 9; source names every
 *       break used: min_qty:0,10,50 (§9.11).
 * Q 25: 100 + 15×9 = 235 → 9.4; breaks 0,10.
 * Q 10: 10×10 = 100 → 10; break 10 holds no unit (no_units).
 * Q 10.5: 100 + 0.5×9 = 104.5 → 104.5 ÷ 10.5 = 9.95238095238… → r9
 *       9.952380952 → 9.9524.
 * Q 0.5: 5 ÷ 0.5 = 10.
 */
START_TEST(test_incremental)
{
	const b2b__line_out *o;

	BOOK("products.csv", "sku,list_price\nA,12\n", CUST1,
	     "price_lists.csv", "id,applies_to,tier_mode\nT,default,incremental\n",
	     "price_list_items.csv", "list,scope,min_qty,compute,price\nT,sku:A,0,fixed,10\n"
	                             "T,sku:A,10,fixed,9\nT,sku:A,50,fixed,8\n");
	o = price((rq){ .qty = "60" });
	ck_unit(o, "9");
	ck_wf(o, "list product:A 12>12 | price_list price_list:T/sku:A/min_qty:0,10,50 12>9 | "
	         "rounding unit_price_decimals:4 9>9");
	o = price((rq){ .qty = "25" });
	ck_unit(o, "9.4");
	ck_wf(o, "list product:A 12>12 | price_list price_list:T/sku:A/min_qty:0,10 12>9.4 | "
	         "rounding unit_price_decimals:4 9.4>9.4");
	ck_cands(o, "price_list:T/sku:A/min_qty:0,10 applied | "
	            "price_list:T/sku:A/min_qty:50 min_qty_not_reached");
	o = price((rq){ .qty = "10" });
	ck_unit(o, "10");
	ck_cands(o, "price_list:T/sku:A/min_qty:0 applied | "
	            "price_list:T/sku:A/min_qty:10 no_units | "
	            "price_list:T/sku:A/min_qty:50 min_qty_not_reached");
	o = price((rq){ .qty = "10.5" });
	ck_engine(o, "9.952380952");
	ck_unit(o, "9.9524");
	ck_unit(price((rq){ .qty = "0.5" }), "10");
}
END_TEST

/*
 * The lowest break covers from 0 whatever its min_qty: breaks 5:10, 20:8.
 * Q 30: 20×10 + 10×8 = 280 → 280 ÷ 30 = 9.3333333333… → 9.333333333;
 * source min_qty:5,20. Q 3: no break ≤ 3 → no scope → P = L = 12.
 * With valid_from on a used break, /from: lists one entry per used
 * break, empty for none (decision in price.c): break 20 from 2026-01-01
 * → "/from:,2026-01-01".
 */
START_TEST(test_incremental_lowest_break_from_zero)
{
	const b2b__line_out *o;

	BOOK("products.csv", "sku,list_price\nA,12\n", CUST1,
	     "price_lists.csv", "id,applies_to,tier_mode\nT,default,incremental\n",
	     "price_list_items.csv", "list,scope,min_qty,valid_from,compute,price\n"
	                             "T,sku:A,5,,fixed,10\nT,sku:A,20,2026-01-01,fixed,8\n");
	o = price((rq){ .qty = "30" });
	ck_engine(o, "9.333333333");
	ck_wf(o, "list product:A 12>12 | price_list "
	         "price_list:T/sku:A/min_qty:5,20/from:,2026-01-01 12>9.333333333 | "
	         "rounding unit_price_decimals:4 9.333333333>9.3333");
	ck_unit(price((rq){ .qty = "3" }), "12");
}
END_TEST

/*
 * Incremental tiers at quantities where Σ price × units needs more than
 * 128 bits at 18 fractional digits (the exact sum before the division):
 * breaks 0: 1,000,000 and 10^15: 500,000.
 * Q 2×10^15: 10^15 × 10^6 + 10^15 × 5×10^5 = 1.5×10^21 → ÷ 2×10^15 =
 *   750,000.
 * Q 3×10^15: 10^21 + 2×10^15 × 5×10^5 = 2×10^21 → ÷ 3×10^15 =
 *   666,666.666666666… → r9 666666.666666667 → 666666.6667.
 */
START_TEST(test_incremental_wide_sum)
{
	const b2b__line_out *o;

	BOOK("products.csv", "sku,list_price\nA,2000000\n", CUST1,
	     "price_lists.csv", "id,applies_to,tier_mode\nT,default,incremental\n",
	     "price_list_items.csv", "list,scope,min_qty,compute,price\n"
	                             "T,sku:A,0,fixed,1000000\n"
	                             "T,sku:A,1000000000000000,fixed,500000\n");
	o = price((rq){ .qty = "2000000000000000" });
	ck_unit(o, "750000");
	ck_wf(o, "list product:A 2000000>2000000 | price_list "
	         "price_list:T/sku:A/min_qty:0,1000000000000000 2000000>750000 | "
	         "rounding unit_price_decimals:4 750000>750000");
	o = price((rq){ .qty = "3000000000000000" });
	ck_engine(o, "666666.666666667");
	ck_unit(o, "666666.6667");
}
END_TEST

/*
 * A step source longer than the pricer's local text buffer (192 bytes)
 * is built in the arena: a price list id of 200 characters gives the
 * source "price_list:<id>/sku:A/min_qty:0" in full.
 */
START_TEST(test_long_source)
{
	const b2b__line_out *o;
	char id[201], lists[512], items[512], want[1024];

	memset(id, 'L', 200);
	id[200] = '\0';
	snprintf(lists, sizeof lists, "id,applies_to\n%s,default\n", id);
	snprintf(items, sizeof items, "list,scope,compute,price\n%s,sku:A,fixed,9\n", id);
	BOOK("products.csv", "sku,list_price\nA,10\n", CUST1, "price_lists.csv", lists,
	     "price_list_items.csv", items);
	o = price((rq){ 0 });
	ck_unit(o, "9");
	snprintf(want, sizeof want, "list product:A 10>10 | price_list price_list:%s/sku:A/min_qty:0"
	         " 10>9 | rounding unit_price_decimals:4 9>9", id);
	ck_wf(o, want);
	snprintf(want, sizeof want, "price_list:%s/sku:A/min_qty:0 applied", id);
	ck_cands(o, want);
}
END_TEST

/*
 * block: the break is a flat price for the whole line: 0:100, 10:150.
 * Q 3 → r9(100 ÷ 3) = 33.333333333 → 33.3333; Q 12 → 150 ÷ 12 = 12.5;
 * Q 10 → 15.
 */
START_TEST(test_block)
{
	const b2b__line_out *o;

	BOOK("products.csv", "sku,list_price\nA,50\n", CUST1,
	     "price_lists.csv", "id,applies_to,tier_mode\nK,default,block\n",
	     "price_list_items.csv", "list,scope,min_qty,compute,price\nK,sku:A,0,fixed,100\n"
	                             "K,sku:A,10,fixed,150\n");
	o = price((rq){ .qty = "3" });
	ck_engine(o, "33.333333333");
	ck_unit(o, "33.3333");
	ck_wf(o, "list product:A 50>50 | price_list price_list:K/sku:A/min_qty:0 50>33.333333333 | "
	         "rounding unit_price_decimals:4 33.333333333>33.3333");
	ck_unit(price((rq){ .qty = "12" }), "12.5");
	ck_unit(price((rq){ .qty = "10" }), "15");
}
END_TEST

/*===========================================================================
 * MARK: - §9.6 NEGATIVE_PRICE
 *===========================================================================*/

/*
 * A formula whose final value is below 0: L 10, surcharge −15 → −5 →
 * NEGATIVE_PRICE. The final value counts, not an intermediate one: B,
 * surcharge −15 then min_margin −8 → max(−5, 2) = 2.
 */
START_TEST(test_negative_surcharge)
{
	const b2b__line_out *o;

	BOOK("products.csv", "sku,list_price\nA,10\nB,10\n", CUST1,
	     "price_lists.csv", "id,applies_to\nD,default\n",
	     "price_list_items.csv", "list,scope,compute,surcharge,min_margin\n"
	                             "D,sku:A,formula,-15,\nD,sku:B,formula,-15,-8\n");
	o = price((rq){ 0 });
	ck_problem(o, B2B__PROBLEM_NEGATIVE_PRICE);
	ck_assert_str_eq(F(o->unit_price), "0");
	ck_unit(price((rq){ .sku = "B" }), "2");
}
END_TEST

/*
 * An incremental break evaluated with a negative price: break 10 =
 * L − 20 = −10. Q 5 and Q 10: the break holds no unit, it is not
 * evaluated → 10. Q 11 → NEGATIVE_PRICE.
 */
START_TEST(test_negative_incremental_break)
{
	BOOK("products.csv", "sku,list_price\nA,10\n", CUST1,
	     "price_lists.csv", "id,applies_to,tier_mode\nT,default,incremental\n",
	     "price_list_items.csv", "list,scope,min_qty,compute,price,surcharge\n"
	                             "T,sku:A,0,fixed,10,\nT,sku:A,10,formula,,-20\n");
	ck_unit(price((rq){ .qty = "5" }), "10");
	ck_unit(price((rq){ .qty = "10" }), "10");
	ck_problem(price((rq){ .qty = "11" }), B2B__PROBLEM_NEGATIVE_PRICE);
}
END_TEST

/*
 * An item price evaluated as a base: W's formula gives 10 − 20 = −10; D
 * discounts from list_id:W → NEGATIVE_PRICE. And through base=parent.
 */
START_TEST(test_negative_base)
{
	BOOK("products.csv", "sku,list_price\nA,10\n",
	     "customers.csv", "id,price_lists\nC1,D\nC2,E\n",
	     "price_lists.csv", "id,parent\nW,\nD,\nE,W\n",
	     "price_list_items.csv", "list,scope,compute,discount_percent,base,surcharge\n"
	                             "W,sku:A,formula,,,-20\nD,sku:A,discount,10,list_id:W,\n"
	                             "E,sku:A,discount,10,parent,\n");
	ck_problem(price((rq){ 0 }), B2B__PROBLEM_NEGATIVE_PRICE);
	ck_problem(price((rq){ .cust = "C2" }), B2B__PROBLEM_NEGATIVE_PRICE);
}
END_TEST

/*===========================================================================
 * MARK: - §5.3 Contracts
 *===========================================================================*/

/* List D gives A 8 (L 10); every contract below is C1's. */
#define CONTRACT_BASE \
	"products.csv", "sku,list_price,category,cost\nA,10,tools,\nB,10,tools,\n", CUST1, \
	"price_lists.csv", "id,applies_to\nD,default\n", \
	"price_list_items.csv", "list,scope,compute,price\nD,sku:A,fixed,8\nD,sku:B,fixed,8\n"

/*
 * override: P = Pc even when higher: 8 → 9; the line is protected.
 */
START_TEST(test_contract_override)
{
	const b2b__line_out *o;

	BOOK(CONTRACT_BASE, "contracts.csv", "id,customer\nK1,C1\n",
	     "contract_items.csv", "contract,scope,price\nK1,sku:A,9\n");
	o = price((rq){ 0 });
	ck_unit(o, "9");
	ck_assert_int_eq(o->protected_, 1);
	ck_wf(o, "list product:A 10>10 | price_list price_list:D/sku:A/min_qty:0 10>8 | "
	         "contract contract:K1/sku:A/min_qty:0 8>9 | rounding unit_price_decimals:4 9>9");
	ck_cands(o, "price_list:D/sku:A/min_qty:0 applied | contract:K1/sku:A/min_qty:0 applied");
	/* B has no contract item: not protected */
	o = price((rq){ .sku = "B" });
	ck_unit(o, "8");
	ck_assert_int_eq(o->protected_, 0);
	ck_cands(o, "price_list:D/sku:B/min_qty:0 applied | contract:K1 no_item");
}
END_TEST

/*
 * best: P = Pc only when Pc < P. A: Pc 9 > 8 → 8, not protected, no
 * contract step, candidate not_lower. B: Pc 8 = 8 → not lower either.
 * With Pc 7 (book 2) → 7, protected.
 */
START_TEST(test_contract_best)
{
	const b2b__line_out *o;

	BOOK(CONTRACT_BASE, "contracts.csv", "id,customer,policy\nK1,C1,best\n",
	     "contract_items.csv", "contract,scope,price\nK1,sku:A,9\nK1,sku:B,8\n");
	o = price((rq){ 0 });
	ck_unit(o, "8");
	ck_assert_int_eq(o->protected_, 0);
	ck_wf(o, "list product:A 10>10 | price_list price_list:D/sku:A/min_qty:0 10>8 | "
	         "rounding unit_price_decimals:4 8>8");
	ck_cands(o, "price_list:D/sku:A/min_qty:0 applied | contract:K1/sku:A/min_qty:0 not_lower");
	o = price((rq){ .sku = "B" });
	ck_unit(o, "8");
	ck_assert_int_eq(o->protected_, 0);
	BOOK(CONTRACT_BASE, "contracts.csv", "id,customer,policy\nK1,C1,best\n",
	     "contract_items.csv", "contract,scope,price\nK1,sku:A,7\n");
	o = price((rq){ 0 });
	ck_unit(o, "7");
	ck_assert_int_eq(o->protected_, 1);
}
END_TEST

/*
 * Pc = r9(L × (1 − d ÷ 100)) on L, not on P: L 10, P 8, d 15 → 8.5.
 * A negative discount is a markup: −10 → 11. 100 → 0 (not negative).
 * d 33.333333333 → 10 × 0.66666666667 → r9 6.666666667.
 */
START_TEST(test_contract_discount_on_L)
{
	BOOK("products.csv", "sku,list_price\nA,10\nB,10\nC,10\nE,10\n", CUST1,
	     "price_lists.csv", "id,applies_to\nD,default\n",
	     "price_list_items.csv", "list,scope,compute,price\nD,all,fixed,8\n",
	     "contracts.csv", "id,customer\nK1,C1\n",
	     "contract_items.csv", "contract,scope,discount_percent\nK1,sku:A,15\nK1,sku:B,-10\n"
	                           "K1,sku:C,100\nK1,sku:E,33.333333333\n");
	ck_unit(price((rq){ 0 }), "8.5");
	ck_unit(price((rq){ .sku = "B" }), "11");
	ck_unit(price((rq){ .sku = "C" }), "0");
	ck_engine(price((rq){ .sku = "E" }), "6.666666667");
}
END_TEST

/*
 * The most specific scope across all of C's contracts wins: K1
 * category:tools 7, K2 sku:A 9 → K2's 9 (even though higher).
 */
START_TEST(test_contract_most_specific)
{
	const b2b__line_out *o;

	BOOK(CONTRACT_BASE, "contracts.csv", "id,customer\nK1,C1\nK2,C1\n",
	     "contract_items.csv", "contract,scope,price\nK1,category:tools,7\nK2,sku:A,9\n");
	o = price((rq){ 0 });
	ck_unit(o, "9");
	ck_cands(o, "price_list:D/sku:A/min_qty:0 applied | "
	            "contract:K1/category:tools/min_qty:0 less_specific | "
	            "contract:K2/sku:A/min_qty:0 applied");
	ck_unit(price((rq){ .sku = "B" }), "7");
}
END_TEST

/*
 * Ties on scope: the later valid_from wins (empty = earliest), then the
 * smaller id. K1 from 2026-01-01 (5), K2 from 2026-03-01 (6), K3 open (4)
 * → K2: 6. Book 2: KB and KA both from 2026-03-01 → KA (3).
 */
START_TEST(test_contract_tie)
{
	const b2b__line_out *o;

	BOOK(CONTRACT_BASE, "contracts.csv", "id,customer,valid_from\nK1,C1,2026-01-01\n"
	                                     "K2,C1,2026-03-01\nK3,C1,\n",
	     "contract_items.csv", "contract,scope,price\nK1,sku:A,5\nK2,sku:A,6\nK3,sku:A,4\n");
	o = price((rq){ 0 });
	ck_unit(o, "6");
	ck_cands(o, "price_list:D/sku:A/min_qty:0 applied | contract:K1/sku:A/min_qty:0 "
	            "lower_priority | contract:K2/sku:A/min_qty:0 applied | "
	            "contract:K3/sku:A/min_qty:0 lower_priority");
	BOOK(CONTRACT_BASE, "contracts.csv", "id,customer,valid_from\nKB,C1,2026-03-01\n"
	                                     "KA,C1,2026-03-01\n",
	     "contract_items.csv", "contract,scope,price\nKB,sku:A,2\nKA,sku:A,3\n");
	ck_unit(price((rq){ 0 }), "3");
}
END_TEST

/*
 * §9.13: only items with min_qty ≤ Q compete, across all contracts.
 * K1: sku:A from 10 at 5, from 20 at 4; K2: category:tools from 0 at 7.
 * Q 5 → K2's 7; Q 10 → K1's 5; Q 25 → K1's highest break 4.
 */
START_TEST(test_contract_min_qty)
{
	const b2b__line_out *o;

	BOOK(CONTRACT_BASE, "contracts.csv", "id,customer\nK1,C1\nK2,C1\n",
	     "contract_items.csv", "contract,scope,min_qty,price\nK1,sku:A,10,5\nK1,sku:A,20,4\n"
	                           "K2,category:tools,0,7\n");
	o = price((rq){ .qty = "5" });
	ck_unit(o, "7");
	ck_cands(o, "price_list:D/sku:A/min_qty:0 applied | "
	            "contract:K1/sku:A/min_qty:10 min_qty_not_reached | "
	            "contract:K1/sku:A/min_qty:20 min_qty_not_reached | "
	            "contract:K2/category:tools/min_qty:0 applied");
	o = price((rq){ .qty = "10" });
	ck_unit(o, "5");
	ck_wf(o, "list product:A 10>10 | price_list price_list:D/sku:A/min_qty:0 10>8 | "
	         "contract contract:K1/sku:A/min_qty:10 8>5 | rounding unit_price_decimals:4 5>5");
	o = price((rq){ .qty = "25" });
	ck_unit(o, "4");
	ck_cands(o, "price_list:D/sku:A/min_qty:0 applied | "
	            "contract:K1/sku:A/min_qty:10 lower_break | "
	            "contract:K1/sku:A/min_qty:20 applied | "
	            "contract:K2/category:tools/min_qty:0 less_specific");
}
END_TEST

/*
 * Contracts count only valid at T and in K: K1 in GBP (K is the base
 * currency USD), K2 ended
 * 2026-01-01 → neither applies: 8.
 */
START_TEST(test_contract_not_counting)
{
	const b2b__line_out *o;

	BOOK(CONTRACT_BASE, "contracts.csv", "id,customer,currency,valid_until\nK1,C1,GBP,\n"
	                                     "K2,C1,,2026-01-01\n",
	     "contract_items.csv", "contract,scope,price\nK1,sku:A,1\nK2,sku:A,2\n");
	o = price((rq){ 0 });
	ck_unit(o, "8");
	ck_assert_int_eq(o->protected_, 0);
	ck_cands(o, "price_list:D/sku:A/min_qty:0 applied | contract:K1 other_currency | "
	            "contract:K2 out_of_window");
}
END_TEST

/*
 * Protection: a contract-priced line gets no dynamic rule, and no
 * promotion unless allow_promotions. K1 (C1, allow 0) 9; K2 (C2,
 * allow 1) 9; rule R (competitor 12), promotion P 10%.
 * C1 → 9 (rule and promotion passed, protected). C2 → 9 × 0.9 = 8.1
 * (rule still passed). C3 (no contract) → 8 → rule 12 → promo 10.8.
 */
START_TEST(test_contract_protection)
{
	const b2b__line_out *o;

	BOOK("products.csv", "sku,list_price,competitor_price\nA,10,12\n",
	     "customers.csv", "id\nC1\nC2\nC3\n",
	     "price_lists.csv", "id,applies_to\nD,default\n",
	     "price_list_items.csv", "list,scope,compute,price\nD,sku:A,fixed,8\n",
	     "contracts.csv", "id,customer,allow_promotions\nK1,C1,0\nK2,C2,1\n",
	     "contract_items.csv", "contract,scope,price\nK1,sku:A,9\nK2,sku:A,9\n",
	     "dynamic_rules.csv", "id,scope,signal\nR,all,competitor\n",
	     "promotions.csv", "id,kind,value\nP,percent,10\n");
	o = price((rq){ 0 });
	ck_unit(o, "9");
	ck_cands(o, "price_list:D/sku:A/min_qty:0 applied | contract:K1/sku:A/min_qty:0 applied | "
	            "rule:R protected | promotion:P protected");
	o = price((rq){ .cust = "C2" });
	ck_unit(o, "8.1");
	ck_wf(o, "list product:A 10>10 | price_list price_list:D/sku:A/min_qty:0 10>8 | "
	         "contract contract:K2/sku:A/min_qty:0 8>9 | promotion promotion:P 9>8.1 | "
	         "rounding unit_price_decimals:4 8.1>8.1");
	ck_cands(o, "price_list:D/sku:A/min_qty:0 applied | contract:K2/sku:A/min_qty:0 applied | "
	            "rule:R protected | promotion:P applied");
	o = price((rq){ .cust = "C3" });
	ck_unit(o, "10.8");
	ck_assert_int_eq(o->protected_, 0);
}
END_TEST

/*===========================================================================
 * MARK: - §5.4 Dynamic rules
 *===========================================================================*/

/*
 * stock_days s = r9(on_hand ÷ daily_demand), points 2:1.2;10:1 (L 10):
 * A: 10 ÷ 10 = 1 < 2 → f1 1.2 → 12.
 * B: 200 ÷ 10 = 20 > 10 → fn 1 → 10 (the step still appears).
 * C: 50 ÷ 10 = 5 → t = r9(3 ÷ 8) = 0.375; f = r9(1.2 − 0.2 × 0.375) =
 *    1.125 → 11.25.
 * E: s = 2 exactly → f1 1.2 → 12; G: s = 10 exactly → 1 → 10.
 */
START_TEST(test_dyn_stock_days)
{
	const b2b__line_out *o;

	BOOK("products.csv", "sku,list_price,on_hand,daily_demand\nA,10,10,10\nB,10,200,10\n"
	                     "C,10,50,10\nE,10,20,10\nG,10,100,10\n", CUST1,
	     "dynamic_rules.csv", "id,scope,signal,points\nR,all,stock_days,2:1.2;10:1\n");
	o = price((rq){ 0 });
	ck_unit(o, "12");
	ck_wf(o, "list product:A 10>10 | dynamic rule:R 10>12 | rounding unit_price_decimals:4 12>12");
	ck_cands(o, "rule:R applied");
	o = price((rq){ .sku = "B" });
	ck_unit(o, "10");
	ck_wf(o, "list product:B 10>10 | dynamic rule:R 10>10 | rounding unit_price_decimals:4 10>10");
	ck_unit(price((rq){ .sku = "C" }), "11.25");
	ck_unit(price((rq){ .sku = "E" }), "12");
	ck_unit(price((rq){ .sku = "G" }), "10");
}
END_TEST

/*
 * t and f are each r9 (not exact): on_hand 4, daily_demand 3 → s =
 * r9(1.3333…) = 1.333333333; points 0:1;3:100 → t = r9(1.333333333 ÷ 3)
 * = r9(0.444444444333…) = 0.444444444; f = r9(1 + 99 × 0.444444444) =
 * 44.999999956 (an exact t would give 44.999999989); x' = r9(1 × f).
 * B: demand_ratio s = 15 ÷ 10 = 1.5 on 1:1;2:1.2 → t 0.5, f 1.1 → 11.
 */
START_TEST(test_dyn_r9_each_step)
{
	BOOK("products.csv", "sku,list_price,on_hand,daily_demand,baseline_demand\n"
	                     "A,1,4,3,\nB,10,,15,10\n", CUST1,
	     "dynamic_rules.csv", "id,scope,signal,points\nR,sku:A,stock_days,0:1;3:100\n"
	                          "S,sku:B,demand_ratio,1:1;2:1.2\n");
	ck_engine(price((rq){ 0 }), "44.999999956");
	ck_unit(price((rq){ .sku = "B" }), "11");
}
END_TEST

/*
 * Passed over (no_data) when an input is unset or a divisor is 0:
 * A stock_days without on_hand; B daily_demand 0; C demand_ratio with
 * baseline 0; E cost_plus without cost; G competitor without a price.
 * Each line stays at L 10.
 */
START_TEST(test_dyn_passed_over)
{
	const char *skus[] = { "A", "B", "C", "E", "G" };
	const char *ids[] = { "S1", "S2", "S3", "S4", "S5" };
	size_t i;

	BOOK("products.csv", "sku,list_price,on_hand,daily_demand,baseline_demand\n"
	                     "A,10,,5,\nB,10,5,0,\nC,10,,5,0\nE,10,,,\nG,10,,,\n", CUST1,
	     "dynamic_rules.csv", "id,scope,signal,points,markup_percent\n"
	                          "S1,sku:A,stock_days,1:2,\nS2,sku:B,stock_days,1:2,\n"
	                          "S3,sku:C,demand_ratio,1:2,\nS4,sku:E,cost_plus,,10\n"
	                          "S5,sku:G,competitor,,\n");
	for (i = 0; i < 5; i++) {
		const b2b__line_out *o = price((rq){ .sku = skus[i] });
		char want[64];

		ck_unit(o, "10");
		snprintf(want, sizeof want, "rule:%s no_data", ids[i]);
		ck_cands(o, want);
		ck_assert_uint_eq(o->nsteps, 2);
	}
}
END_TEST

/*
 * cost_plus: r9(cost × (1 + markup ÷ 100)): 6 × 1.25 = 7.5.
 * competitor: r9(competitor × (1 + offset ÷ 100)): 12 × 0.95 = 11.4;
 * without offset → 12.
 */
START_TEST(test_dyn_cost_plus_competitor)
{
	const b2b__line_out *o;

	BOOK("products.csv", "sku,list_price,cost,competitor_price\nA,10,6,\nB,10,,12\nC,10,,12\n",
	     CUST1,
	     "dynamic_rules.csv", "id,scope,signal,markup_percent,offset_percent\n"
	                          "CP,sku:A,cost_plus,25,\nCO,sku:B,competitor,,-5\n"
	                          "CN,sku:C,competitor,,\n");
	o = price((rq){ 0 });
	ck_unit(o, "7.5");
	ck_wf(o, "list product:A 10>10 | dynamic rule:CP 10>7.5 | "
	         "rounding unit_price_decimals:4 7.5>7.5");
	ck_unit(price((rq){ .sku = "B" }), "11.4");
	ck_unit(price((rq){ .sku = "C" }), "12");
}
END_TEST

/*
 * Guardrails, in order (x = 10):
 * A: cost_plus 16 × 1.25 = 20; max_factor 1.5 → 15.
 * B: competitor 5; min_factor 0.9 → 9.
 * C: cost 9.6 × 1.25 = 12; min_factor 1.5 → 15; then max_change 10
 *    around prev 10 → [9, 11] → 11 (the other order would give 15).
 * E: as C without prev_price → the change band needs both → 15.
 * G: competitor 11.37, price_step 0.25: 45.48 → 45 → 11.25.
 * H: competitor 11.37, prev 10, max_change 10 → 11, then price_step 0.3:
 *    36.67 → 37 → 11.1 (step before band would give 11).
 */
START_TEST(test_dyn_guardrails)
{
	BOOK("products.csv", "sku,list_price,cost,competitor_price,prev_price\n"
	                     "A,10,16,,\nB,10,,5,\nC,10,9.6,,10\nE,10,9.6,,\nG,10,,11.37,\n"
	                     "H,10,,11.37,10\n", CUST1,
	     "dynamic_rules.csv", "id,scope,signal,markup_percent,min_factor,max_factor,"
	                          "max_change_percent,price_step\n"
	                          "RA,sku:A,cost_plus,25,,1.5,,\n"
	                          "RB,sku:B,competitor,,0.9,,,\n"
	                          "RC,sku:C,cost_plus,25,1.5,,10,\n"
	                          "RE,sku:E,cost_plus,25,1.5,,10,\n"
	                          "RG,sku:G,competitor,,,,,0.25\n"
	                          "RH,sku:H,competitor,,,,10,0.3\n");
	ck_unit(price((rq){ .sku = "A" }), "15");
	ck_unit(price((rq){ .sku = "B" }), "9");
	ck_unit(price((rq){ .sku = "C" }), "11");
	ck_unit(price((rq){ .sku = "E" }), "15");
	ck_unit(price((rq){ .sku = "G" }), "11.25");
	ck_unit(price((rq){ .sku = "H" }), "11.1");
}
END_TEST

/*
 * Rules apply by priority (higher first), then id, each to the current
 * price. A: P5 (priority 5) competitor 12, then P1 stock ×1.1 → 13.2
 * (the other order: 11 then 12). B: same priority 0: "A0" (stock ×1.1)
 * before "B0" (competitor 12) → 11 then 12 → 12.
 * An out-of-window rule is passed: C.
 */
START_TEST(test_dyn_order_and_window)
{
	const b2b__line_out *o;

	BOOK("products.csv", "sku,list_price,on_hand,daily_demand,competitor_price\n"
	                     "A,10,1,1,12\nB,10,1,1,12\nC,10,1,1,12\n", CUST1,
	     "dynamic_rules.csv", "id,scope,signal,priority,valid_from,points\n"
	                          "P5,sku:A,competitor,5,,\nP1,sku:A,stock_days,1,,5:1.1\n"
	                          "B0,sku:B,competitor,0,,\nA0,sku:B,stock_days,0,,5:1.1\n"
	                          "LATE,sku:C,competitor,0,2026-07-01,\n");
	o = price((rq){ 0 });
	ck_unit(o, "13.2");
	ck_wf(o, "list product:A 10>10 | dynamic rule:P5 10>12 | dynamic rule:P1 12>13.2 | "
	         "rounding unit_price_decimals:4 13.2>13.2");
	o = price((rq){ .sku = "B" });
	ck_unit(o, "12");
	ck_wf(o, "list product:B 10>10 | dynamic rule:A0 10>11 | dynamic rule:B0 11>12 | "
	         "rounding unit_price_decimals:4 12>12");
	o = price((rq){ .sku = "C" });
	ck_unit(o, "10");
	ck_cands(o, "rule:LATE out_of_window");
	ck_unit(price((rq){ .sku = "C", .as_of = "2026-07-01" }), "12");
}
END_TEST

/*
 * A dynamic result below 0 after its guardrails is NEGATIVE_PRICE:
 * competitor 10 with offset −150 → 10 × (1 − 1.5) = −5. With min_factor
 * 0 the guardrail lifts it to 0 → fine (B).
 * A points curve that crosses 0: 0:1;10:-1 (L 10). C: s = 50 ÷ 10 = 5 →
 * t 0.5, f = 1 − 2 × 0.5 = 0 → 0. E: s = 80 ÷ 10 = 8 → t 0.8,
 * f = 1 − 2 × 0.8 = −0.6 → −6: NEGATIVE_PRICE. G: s = 7.5 → f = −0.5,
 * with min_factor 0 → 0.
 */
START_TEST(test_dyn_negative)
{
	BOOK("products.csv", "sku,list_price,competitor_price,on_hand,daily_demand\n"
	                     "A,10,10,,\nB,10,10,,\nC,10,,50,10\nE,10,,80,10\nG,10,,75,10\n", CUST1,
	     "dynamic_rules.csv", "id,scope,signal,offset_percent,min_factor,points\n"
	                          "N,sku:A,competitor,-150,,\nM,sku:B,competitor,-150,0,\n"
	                          "P,sku:C,stock_days,,,0:1;10:-1\nQ,sku:E,stock_days,,,0:1;10:-1\n"
	                          "R,sku:G,stock_days,,0,0:1;10:-1\n");
	ck_problem(price((rq){ 0 }), B2B__PROBLEM_NEGATIVE_PRICE);
	ck_unit(price((rq){ .sku = "B" }), "0");
	ck_unit(price((rq){ .sku = "C" }), "0");
	ck_problem(price((rq){ .sku = "E" }), B2B__PROBLEM_NEGATIVE_PRICE);
	ck_unit(price((rq){ .sku = "G" }), "0");
}
END_TEST

/*===========================================================================
 * MARK: - §5.5 Line promotions
 *===========================================================================*/

/*
 * percent: r9(x × (1 − v ÷ 100)): A 9.99 × 0.9 = 8.991 → 8.991;
 * B 10 at 33.333333333% → 6.6666666667 → 6.666666667.
 * amount: max(0, x − v): C 10 − 3 = 7; E 10 − 12 → 0.
 * fixed_price: G value 8 → 8; H value 12 ≥ 10 → did_not_lower; I value
 * 10 = x → did_not_lower.
 */
START_TEST(test_promo_kinds)
{
	const b2b__line_out *o;

	BOOK("products.csv", "sku,list_price\nA,9.99\nB,10\nC,10\nE,10\nG,10\nH,10\nI,10\n", CUST1,
	     "promotions.csv", "id,kind,value,scope\nPA,percent,10,sku:A\n"
	                       "PB,percent,33.333333333,sku:B\nPC,amount,3,sku:C\nPE,amount,12,sku:E\n"
	                       "PG,fixed_price,8,sku:G\nPH,fixed_price,12,sku:H\n"
	                       "PI,fixed_price,10,sku:I\n");
	ck_unit(price((rq){ .sku = "A" }), "8.991");
	ck_engine(price((rq){ .sku = "B" }), "6.666666667");
	ck_unit(price((rq){ .sku = "C" }), "7");
	o = price((rq){ .sku = "E" });
	ck_unit(o, "0");
	ck_wf(o, "list product:E 10>10 | promotion promotion:PE 10>0 | "
	         "rounding unit_price_decimals:4 0>0");
	ck_unit(price((rq){ .sku = "G" }), "8");
	o = price((rq){ .sku = "H" });
	ck_unit(o, "10");
	ck_cands(o, "promotion:PH did_not_lower");
	ck_wf(o, "list product:H 10>10 | rounding unit_price_decimals:4 10>10");
	o = price((rq){ .sku = "I" });
	ck_cands(o, "promotion:PI did_not_lower");
}
END_TEST

/*
 * buy_x_get_y, buy 2 get 1, x = 10: x' = r9(x × (Q − floor(Q ÷ 3) × 1) ÷ Q)
 * Q 7: floor(7/3) = 2 free → r9(10 × 5 ÷ 7) = r9(7.142857142857…) =
 *      7.142857143.
 * Q 2: 0 free → did_not_lower.
 * Q 3: 1 free → r9(20 ÷ 3) = 6.666666667.
 * Q 6: 2 free → 40 ÷ 6 → 6.666666667.
 * Q 7.5: floor(2.5) = 2 → r9(10 × 5.5 ÷ 7.5) = 7.333333333.
 */
START_TEST(test_promo_buy_x_get_y)
{
	const b2b__line_out *o;

	BOOK("products.csv", "sku,list_price\nA,10\n", CUST1,
	     "promotions.csv", "id,kind,buy_qty,get_qty\nB2G1,buy_x_get_y,2,1\n");
	o = price((rq){ .qty = "7" });
	ck_engine(o, "7.142857143");
	ck_unit(o, "7.1429");
	ck_wf(o, "list product:A 10>10 | promotion promotion:B2G1 10>7.142857143 | "
	         "rounding unit_price_decimals:4 7.142857143>7.1429");
	o = price((rq){ .qty = "2" });
	ck_unit(o, "10");
	ck_cands(o, "promotion:B2G1 did_not_lower");
	ck_engine(price((rq){ .qty = "3" }), "6.666666667");
	ck_engine(price((rq){ .qty = "6" }), "6.666666667");
	ck_engine(price((rq){ .qty = "7.5" }), "7.333333333");
}
END_TEST

/*
 * Coupon promotions apply only when their code is given (exact bytes);
 * without it they are not candidates at all. SAVE: 10% → 9.
 */
START_TEST(test_promo_codes)
{
	const b2b__line_out *o;

	BOOK("products.csv", "sku,list_price\nA,10\n", CUST1,
	     "promotions.csv", "id,kind,value,code\nCP,percent,10,SAVE\n");
	o = price((rq){ 0 });
	ck_unit(o, "10");
	ck_cands(o, "");
	ck_unit(price((rq){ .codes = "SAVE" }), "9");
	ck_unit(price((rq){ .codes = "save" }), "10");
	ck_unit(price((rq){ .codes = "OTHER;SAVE" }), "9");
	ck_unit(price((rq){ .codes = "SAVE1" }), "10");
}
END_TEST

/*
 * segment empty or C's: R (segment retail) 10%. C1 wholesale →
 * other_segment; C2 retail → 9; C3 without segment → other_segment.
 * Window [2026-06-01, 2026-06-15): W 20% applies on 06-14, not on 06-15.
 */
START_TEST(test_promo_segment_window)
{
	const b2b__line_out *o;

	BOOK("products.csv", "sku,list_price\nA,10\nB,10\n",
	     "customers.csv", "id,segment\nC1,wholesale\nC2,retail\nC3,\n",
	     "promotions.csv", "id,kind,value,scope,segment,valid_from,valid_until\n"
	                       "R,percent,10,sku:A,retail,,\n"
	                       "W,percent,20,sku:B,,2026-06-01,2026-06-15\n");
	o = price((rq){ 0 });
	ck_unit(o, "10");
	ck_cands(o, "promotion:R other_segment");
	ck_unit(price((rq){ .cust = "C2" }), "9");
	ck_unit(price((rq){ .cust = "C3" }), "10");
	o = price((rq){ .sku = "B" });
	ck_unit(o, "10");
	ck_cands(o, "promotion:W out_of_window");
	ck_unit(price((rq){ .sku = "B", .as_of = "2026-06-14T23:59:59Z" }), "8");
}
END_TEST

/*
 * The walk: by priority then id; stackable ones apply and go on.
 * A: P1 (prio 10) 10% → 9, P2 (prio 5) amount 1 → 8 (other order 8.1).
 * B: same priority: "A" (10%) before "B" (amount 1): 10 → 9 → 8.
 */
START_TEST(test_promo_stackable_walk)
{
	const b2b__line_out *o;

	BOOK("products.csv", "sku,list_price\nA,10\nB,10\n", CUST1,
	     "promotions.csv", "id,kind,value,scope,priority\nP2,amount,1,sku:A,5\n"
	                       "P1,percent,10,sku:A,10\nB,amount,1,sku:B,0\nA,percent,10,sku:B,0\n");
	o = price((rq){ 0 });
	ck_unit(o, "8");
	ck_wf(o, "list product:A 10>10 | promotion promotion:P1 10>9 | promotion promotion:P2 9>8 | "
	         "rounding unit_price_decimals:4 8>8");
	o = price((rq){ .sku = "B" });
	ck_unit(o, "8");
	ck_cands(o, "promotion:A applied | promotion:B applied");
}
END_TEST

/*
 * exclusive: blocks the later ones when it applies (A: E1 10% → 9, S1
 * blocked); is blocked when one applied before (B: S1 amount 1 → 9, E2
 * 50% blocked, S2 10% → 8.1); an exclusive one that does not lower does
 * not end the walk (C: E3 fixed 12 did_not_lower, S3 10% → 9).
 */
START_TEST(test_promo_exclusive)
{
	const b2b__line_out *o;

	BOOK("products.csv", "sku,list_price\nA,10\nB,10\nC,10\n", CUST1,
	     "promotions.csv", "id,kind,value,scope,priority,stacking\n"
	                       "E1,percent,10,sku:A,10,exclusive\nS1,amount,1,sku:A,5,stackable\n"
	                       "T1,amount,1,sku:B,10,stackable\nE2,percent,50,sku:B,5,exclusive\n"
	                       "T2,percent,10,sku:B,1,\n"
	                       "E3,fixed_price,12,sku:C,10,exclusive\nS3,percent,10,sku:C,5,\n");
	o = price((rq){ 0 });
	ck_unit(o, "9");
	ck_cands(o, "promotion:E1 applied | promotion:S1 exclusive_blocked");
	o = price((rq){ .sku = "B" });
	ck_unit(o, "8.1");
	ck_cands(o, "promotion:T1 applied | promotion:E2 exclusive_blocked | promotion:T2 applied");
	o = price((rq){ .sku = "C" });
	ck_unit(o, "9");
	ck_cands(o, "promotion:E3 did_not_lower | promotion:S3 applied");
}
END_TEST

/*
 * "applies only if it strictly lowers": on a price of 0 (list 0) an
 * amount promotion gives max(0, −1) = 0 → did_not_lower, no step.
 */
START_TEST(test_promo_strictly_lowers)
{
	const b2b__line_out *o;

	BOOK("products.csv", "sku,list_price\nA,0\n", CUST1,
	     "promotions.csv", "id,kind,value\nP,amount,1\nQ,percent,10\n");
	o = price((rq){ 0 });
	ck_unit(o, "0");
	ck_cands(o, "promotion:P did_not_lower | promotion:Q did_not_lower");
	ck_assert_uint_eq(o->nsteps, 2);
}
END_TEST

/*
 * The cap: max_discount_percent 15 of x0 = 10 → r9(1.5): two 10%
 * promotions cut 10 → 9 → 8.1 (1.9 > 1.5) → a last step `cap` 8.1 → 8.5.
 * B: one 15% promotion cuts exactly 1.5 → no cap step. The cap applies
 * to the pre-promotion price x0 (C: list D gives 8 → cap 1.2 → 6.8).
 */
START_TEST(test_promo_cap)
{
	const b2b__line_out *o;

	BOOK("settings.csv", "key,value\nmax_discount_percent,15\n",
	     "products.csv", "sku,list_price\nA,10\nB,10\nC,10\n", CUST1,
	     "price_lists.csv", "id,applies_to\nD,default\n",
	     "price_list_items.csv", "list,scope,compute,price\nD,sku:C,fixed,8\n",
	     "promotions.csv", "id,kind,value,scope,priority\nP1,percent,10,sku:A,2\n"
	                       "P2,percent,10,sku:A,1\nQ,percent,15,sku:B,0\n"
	                       "R1,percent,10,sku:C,2\nR2,percent,10,sku:C,1\n");
	o = price((rq){ 0 });
	ck_unit(o, "8.5");
	ck_wf(o, "list product:A 10>10 | promotion promotion:P1 10>9 | "
	         "promotion promotion:P2 9>8.1 | promotion cap 8.1>8.5 | "
	         "rounding unit_price_decimals:4 8.5>8.5");
	o = price((rq){ .sku = "B" });
	ck_unit(o, "8.5");
	ck_wf(o, "list product:B 10>10 | promotion promotion:Q 10>8.5 | "
	         "rounding unit_price_decimals:4 8.5>8.5");
	o = price((rq){ .sku = "C" });
	ck_unit(o, "6.8");
	ck_wf(o, "list product:C 10>10 | price_list price_list:D/sku:C/min_qty:0 10>8 | "
	         "promotion promotion:R1 8>7.2 | promotion promotion:R2 7.2>6.48 | "
	         "promotion cap 6.48>6.8 | rounding unit_price_decimals:4 6.8>6.8");
}
END_TEST

/*===========================================================================
 * MARK: - §5.6 Requested price and floor
 *===========================================================================*/

/*
 * The requested price replaces the price after every step: 10 → P 10%
 * → 9 → requested 8.5; engine price 9 (rounded 9) is kept for §7.
 * Requested 8.12345 → rounding half_up → 8.1235. Requested 0 is a price.
 */
START_TEST(test_requested)
{
	const b2b__line_out *o;

	BOOK("products.csv", "sku,list_price\nA,10\n", CUST1,
	     "promotions.csv", "id,kind,value\nP,percent,10\n");
	o = price((rq){ .requested = "8.5" });
	ck_unit(o, "8.5");
	ck_engine(o, "9");
	ck_assert_str_eq(F(o->engine_rounded), "9");
	ck_assert_int_eq(o->requested_negative, 0);
	ck_wf(o, "list product:A 10>10 | promotion promotion:P 10>9 | requested request 9>8.5 | "
	         "rounding unit_price_decimals:4 8.5>8.5");
	o = price((rq){ .requested = "8.12345" });
	ck_unit(o, "8.1235");
	ck_unit(price((rq){ .requested = "0" }), "0");
	ck_unit(price((rq){ .requested = "-0" }), "0");
	/* above the engine's price: kept too (never clamped) */
	ck_unit(price((rq){ .requested = "12" }), "12");
}
END_TEST

/*
 * A negative requested price is NEGATIVE_PRICE (on requested_unit_price):
 * problem NEGATIVE_REQUESTED. With another problem on the line (NO_FX_RATE
 * for B, NEGATIVE_PRICE for C) that one is the problem and
 * requested_negative is still set (so a document can report both).
 */
START_TEST(test_requested_negative)
{
	const b2b__line_out *o;

	BOOK("products.csv", "sku,list_price,currency\nA,10,\nB,10,GBP\nC,10,\n", CUST1,
	     "price_lists.csv", "id,applies_to\nD,default\n",
	     "price_list_items.csv", "list,scope,compute,surcharge\nD,sku:C,formula,-11\n");
	o = price((rq){ .requested = "-0.01" });
	ck_problem(o, B2B__PROBLEM_NEGATIVE_REQUESTED);
	ck_assert_int_eq(o->requested_negative, 1);
	ck_assert_str_eq(F(o->unit_price), "0");
	o = price((rq){ .sku = "B", .requested = "-1" });
	ck_problem(o, B2B__PROBLEM_NO_FX_RATE);
	ck_assert_int_eq(o->requested_negative, 1);
	o = price((rq){ .sku = "C", .requested = "-1" });
	ck_problem(o, B2B__PROBLEM_NEGATIVE_PRICE);
	ck_assert_int_eq(o->requested_negative, 1);
	o = price((rq){ .sku = "C", .requested = "1" });
	ck_problem(o, B2B__PROBLEM_NEGATIVE_PRICE);
	ck_assert_int_eq(o->requested_negative, 0);
}
END_TEST

/*
 * Floor = r9(cost × (1 + min_margin_percent ÷ 100)) = 10 × 1.05 = 10.5,
 * compared with the ROUNDED unit price:
 * A: 10.49996 → 10.5 (half_up, 4 decimals): not below.
 * B: 10.49994 → 10.4999 < 10.5: below_floor, price kept.
 * C: requested 10 (list 20) → below_floor, price 10.
 * E: no cost → no floor. G: cost 3.333333333 → r9(3.49999999965) = 3.5;
 * list 1 → below.
 */
START_TEST(test_floor)
{
	const b2b__line_out *o;

	BOOK("settings.csv", "key,value\nmin_margin_percent,5\n",
	     "products.csv", "sku,list_price,cost\nA,10.49996,10\nB,10.49994,10\nC,20,10\nE,20,\n"
	                     "G,1,3.333333333\n", CUST1);
	o = price((rq){ 0 });
	ck_unit(o, "10.5");
	ck_engine(o, "10.49996");
	ck_assert_int_eq(o->floor.set, 1);
	ck_assert_str_eq(F(o->floor.v), "10.5");
	ck_assert_int_eq(o->below_floor, 0);
	o = price((rq){ .sku = "B" });
	ck_unit(o, "10.4999");
	ck_assert_int_eq(o->below_floor, 1);
	o = price((rq){ .sku = "C", .requested = "10" });
	ck_unit(o, "10");
	ck_assert_int_eq(o->below_floor, 1);
	o = price((rq){ .sku = "C" });
	ck_assert_int_eq(o->below_floor, 0);
	o = price((rq){ .sku = "E" });
	ck_assert_int_eq(o->floor.set, 0);
	ck_assert_int_eq(o->below_floor, 0);
	o = price((rq){ .sku = "G" });
	ck_assert_str_eq(F(o->floor.v), "3.5");
	ck_assert_int_eq(o->below_floor, 1);
	/* without min_margin_percent there is no floor */
	BOOK("products.csv", "sku,list_price,cost\nA,1,10\n", CUST1);
	o = price((rq){ 0 });
	ck_assert_int_eq(o->floor.set, 0);
	ck_assert_int_eq(o->below_floor, 0);
}
END_TEST

/*===========================================================================
 * MARK: - §5.7 Rounding step
 *===========================================================================*/

/*
 * .5 boundaries at unit_price_decimals 4:
 *            A 1.23445  B 1.23455  C 1.234450001  E 1.23435
 * half_up    1.2345     1.2346     1.2345         1.2344
 * half_even  1.2344     1.2346     1.2345         1.2344
 * half_down  1.2344     1.2345     1.2345         1.2343
 * up         1.2345     1.2346     1.2345         1.2344
 * down       1.2344     1.2345     1.2344         1.2343
 */
START_TEST(test_rounding_modes)
{
	static const struct { const char *mode, *want[4]; } cases[] = {
		{ "half_up", { "1.2345", "1.2346", "1.2345", "1.2344" } },
		{ "half_even", { "1.2344", "1.2346", "1.2345", "1.2344" } },
		{ "half_down", { "1.2344", "1.2345", "1.2345", "1.2343" } },
		{ "up", { "1.2345", "1.2346", "1.2345", "1.2344" } },
		{ "down", { "1.2344", "1.2345", "1.2344", "1.2343" } },
		{ "ceiling", { "1.2345", "1.2346", "1.2345", "1.2344" } },
		{ "floor", { "1.2344", "1.2345", "1.2344", "1.2343" } },
	};
	static const char *const skus[4] = { "A", "B", "C", "E" };
	char settings[128];
	size_t i, k;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		snprintf(settings, sizeof settings, "key,value\nrounding_mode,%s\n"
		         "unit_price_decimals,4\n", cases[i].mode);
		BOOK("settings.csv", settings,
		     "products.csv", "sku,list_price\nA,1.23445\nB,1.23455\nC,1.234450001\n"
		                     "E,1.23435\n", CUST1);
		for (k = 0; k < 4; k++) {
			const b2b__line_out *o = price((rq){ .sku = skus[k] });

			ck_assert_msg(strcmp(F(o->unit_price), cases[i].want[k]) == 0,
			              "%s %s: got %s want %s", cases[i].mode, skus[k],
			              F(o->unit_price), cases[i].want[k]);
			ck_assert_str_eq(F(o->list_price_rounded), cases[i].want[k]);
		}
	}
}
END_TEST

/*
 * unit_price_decimals 2: 1.005 → 1.01 (half_up), source
 * unit_price_decimals:2; 0: 2.5 → 3 (half_up); 9: nothing to round.
 */
START_TEST(test_rounding_decimals)
{
	const b2b__line_out *o;

	BOOK("settings.csv", "key,value\nunit_price_decimals,2\n",
	     "products.csv", "sku,list_price\nA,1.005\n", CUST1);
	o = price((rq){ 0 });
	ck_unit(o, "1.01");
	ck_wf(o, "list product:A 1.005>1.005 | rounding unit_price_decimals:2 1.005>1.01");
	BOOK("settings.csv", "key,value\nunit_price_decimals,0\n",
	     "products.csv", "sku,list_price\nA,2.5\n", CUST1);
	o = price((rq){ 0 });
	ck_unit(o, "3");
	ck_wf(o, "list product:A 2.5>2.5 | rounding unit_price_decimals:0 2.5>3");
	BOOK("settings.csv", "key,value\nunit_price_decimals,9\n",
	     "products.csv", "sku,list_price\nA,1.123456789\n", CUST1);
	ck_unit(price((rq){ 0 }), "1.123456789");
}
END_TEST

/*===========================================================================
 * MARK: - Waterfalls
 *===========================================================================*/

/*
 * Every kind of step on one line, with exact names, sources, before and
 * after (base EUR, max_discount_percent 20):
 * list 12.5 USD; fx USD→EUR 0.8 → 10; list D discount 10 → 9; contract
 * K1 (best) 9.5 is not lower → no step, not protected; rule R
 * competitor 12 USD → 9.6 EUR, max_factor 1.05 → r9(9 × 1.05) = 9.45;
 * P1 15%: r9(9.45 × 0.85) = 8.0325; P2 amount 1 → 7.0325; cut 2.4175 >
 * cap r9(9.45 × 0.2) = 1.89 → 7.56; requested 7.4; rounding 7.4.
 */
START_TEST(test_waterfall_every_step)
{
	const b2b__line_out *o;

	BOOK("settings.csv", "key,value\nbase_currency,EUR\nmax_discount_percent,20\n",
	     "products.csv", "sku,list_price,currency,cost,competitor_price\nA,12.5,USD,5,12\n",
	     CUST1, "fx_rates.csv", "from,to,rate\nUSD,EUR,0.8\n",
	     "price_lists.csv", "id,applies_to\nD,default\n",
	     "price_list_items.csv", "list,scope,compute,discount_percent\nD,sku:A,discount,10\n",
	     "contracts.csv", "id,customer,policy\nK1,C1,best\n",
	     "contract_items.csv", "contract,scope,price\nK1,sku:A,9.5\n",
	     "dynamic_rules.csv", "id,scope,signal,max_factor\nR,all,competitor,1.05\n",
	     "promotions.csv", "id,kind,value,priority\nP1,percent,15,2\nP2,amount,1,1\n");
	o = price((rq){ .requested = "7.4" });
	ck_unit(o, "7.4");
	ck_engine(o, "7.56");
	ck_assert_int_eq(o->protected_, 0);
	ck_wf(o, "list product:A 12.5>12.5 | fx fx:USD/EUR 12.5>10 | "
	         "price_list price_list:D/sku:A/min_qty:0 10>9 | dynamic rule:R 9>9.45 | "
	         "promotion promotion:P1 9.45>8.0325 | promotion promotion:P2 8.0325>7.0325 | "
	         "promotion cap 7.0325>7.56 | requested request 7.56>7.4 | "
	         "rounding unit_price_decimals:4 7.4>7.4");
	ck_cands(o, "price_list:D/sku:A/min_qty:0 applied | contract:K1/sku:A/min_qty:0 not_lower | "
	            "rule:R applied | promotion:P1 applied | promotion:P2 applied");
	ck_assert_str_eq(F(o->cost.v), "4");
}
END_TEST

/*
 * trace without explain: steps but no candidates; neither: nothing is
 * built (and nothing allocated), the same figures.
 */
START_TEST(test_trace_levels)
{
	const b2b__line_out *o;
	size_t used;

	BOOK("products.csv", "sku,list_price\nA,10\n", CUST1,
	     "promotions.csv", "id,kind,value\nP,percent,10\n");
	o = price((rq){ .no_explain = 1 });
	ck_unit(o, "9");
	ck_assert_uint_eq(o->nsteps, 3);
	ck_assert_uint_eq(o->ncands, 0);
	ck_assert_ptr_null(o->cands);
	b2b_ctx_reset(ctx);
	used = b2b_ctx_arena_used(ctx);
	o = price((rq){ .no_trace = 1 });
	ck_unit(o, "9");
	ck_assert_uint_eq(o->nsteps, 0);
	ck_assert_ptr_null(o->steps);
	ck_assert_uint_eq(b2b_ctx_arena_used(ctx), used);
}
END_TEST

/*===========================================================================
 * MARK: - Public API: b2b_price_compute, currencies' minor units
 *===========================================================================*/

/*
 * Through the public API (quote engine, §5.7 amount): JPY (0 minor
 * units) and BHD (3). unit_price_decimals 4 whatever the currency:
 * A 123.4567 JPY × 3 = 370.3701 → amount 370 (JPY), unit 123.4567.
 * B 123.4567 BHD × 3 → amount 370.370.
 * C 2.5 JPY × 1 → 3 with half_up.
 */
START_TEST(test_public_jpy_bhd)
{
	const b2b_price *pr;
	b2b_price_request *req;
	const char *json;
	b2b_dec d;
	int rc;

	BOOK("settings.csv", "key,value\nbase_currency,JPY\n",
	     "products.csv", "sku,list_price,currency\nA,123.4567,\nB,123.4567,BHD\nC,2.5,\n",
	     "customers.csv", "id,currency\nC1,\nC2,BHD\n");
	ck_assert_int_eq(b2b_price_request_new(&req, ctx), 0);
	ck_assert_int_eq(b2b_price_request_set_customer(req, "C1"), 0);
	ck_assert_int_eq(b2b_price_request_set_sku(req, "A"), 0);
	ck_assert_int_eq(b2b_price_request_set_qty(req, "3"), 0);
	ck_assert_int_eq(b2b_price_request_set_as_of(req, "2026-06-15"), 0);
	ck_assert_int_eq(b2b_price_compute(&pr, ctx, book, req, NULL), 0);
	ck_assert_str_eq(F(b2b_price_unit_price(pr)), "123.4567");
	ck_assert_str_eq(F(b2b_price_amount(pr)), "370");
	ck_assert_str_eq(b2b_price_currency(pr), "JPY");
	ck_assert_int_eq(b2b_price_minor_units(pr), 0);
	ck_assert_str_eq(b2b_price_qty_text(pr), "3");
	ck_assert_uint_eq(b2b_price_step_count(pr), 2);
	ck_assert_str_eq(b2b_step_name(b2b_price_step(pr, 0)), "list");
	ck_assert_str_eq(b2b_step_source(b2b_price_step(pr, 0)), "product:A");
	ck_assert_str_eq(b2b_step_name(b2b_price_step(pr, 1)), "rounding");
	ck_assert_str_eq(b2b_step_source(b2b_price_step(pr, 1)), "unit_price_decimals:4");
	ck_assert_int_eq(b2b_price_floor(&d, pr), B2B_ENOTFOUND);
	ck_assert_int_eq(b2b_price_to_json(&json, NULL, ctx, pr), 0);
	ck_assert_ptr_nonnull(strstr(json, "\"amount\": \"370\""));
	ck_assert_ptr_nonnull(strstr(json, "\"unit_price\": \"123.4567\""));

	ck_assert_int_eq(b2b_price_request_new(&req, ctx), 0);
	ck_assert_int_eq(b2b_price_request_set_customer(req, "C2"), 0);
	ck_assert_int_eq(b2b_price_request_set_sku(req, "B"), 0);
	ck_assert_int_eq(b2b_price_request_set_qty(req, "3"), 0);
	ck_assert_int_eq(b2b_price_request_set_as_of(req, "2026-06-15"), 0);
	ck_assert_int_eq(b2b_price_compute(&pr, ctx, book, req, NULL), 0);
	ck_assert_str_eq(b2b_price_currency(pr), "BHD");
	ck_assert_int_eq(b2b_price_minor_units(pr), 3);
	ck_assert_int_eq(b2b_price_to_json(&json, NULL, ctx, pr), 0);
	ck_assert_ptr_nonnull(strstr(json, "\"amount\": \"370.370\""));

	ck_assert_int_eq(b2b_price_request_new(&req, ctx), 0);
	ck_assert_int_eq(b2b_price_request_set_customer(req, "C1"), 0);
	ck_assert_int_eq(b2b_price_request_set_sku(req, "C"), 0);
	ck_assert_int_eq(b2b_price_request_set_qty(req, "1"), 0);
	ck_assert_int_eq(b2b_price_request_set_as_of(req, "2026-06-15"), 0);
	ck_assert_int_eq(b2b_price_compute(&pr, ctx, book, req, NULL), 0);
	ck_assert_str_eq(F(b2b_price_amount(pr)), "3");

	/* the quantity's text keeps the scale it was written with */
	ck_assert_int_eq(b2b_price_request_new(&req, ctx), 0);
	ck_assert_int_eq(b2b_price_request_set_customer(req, "C1"), 0);
	ck_assert_int_eq(b2b_price_request_set_sku(req, "C"), 0);
	ck_assert_int_eq(b2b_price_request_set_qty(req, "007.50"), 0);
	ck_assert_int_eq(b2b_price_request_set_as_of(req, "2026-06-15"), 0);
	ck_assert_int_eq(b2b_price_compute(&pr, ctx, book, req, NULL), 0);
	ck_assert_str_eq(b2b_price_qty_text(pr), "7.50");
	ck_assert_int_eq(b2b_price_to_json(&json, NULL, ctx, pr), 0);
	ck_assert_ptr_nonnull(strstr(json, "\"qty\": \"7.50\""));
	/* a result with errors has neither */
	ck_assert_int_eq(b2b_price_request_set_sku(req, "NONE"), 0);
	rc = b2b_price_compute(&pr, ctx, book, req, NULL);
	ck_assert_int_eq(rc, 0);   /* the errors are in the result */
	ck_assert_int_eq(b2b_price_ok(pr), 0);
	ck_assert_uint_eq(b2b_price_error_count(pr), 1);
	ck_assert_ptr_null(b2b_price_qty_text(pr));
	ck_assert_int_eq(b2b_price_minor_units(pr), 0);
	ck_assert_ptr_null(b2b_price_qty_text(NULL));
}
END_TEST

/*
 * The public result carries the engine's waterfall and candidates:
 * list D 10% on 10 → 9; promotion OLD out of window.
 */
START_TEST(test_public_waterfall_candidates)
{
	const b2b_price *pr;
	const b2b_quote *q;
	const b2b_step *st;
	const b2b_candidate *c;
	b2b_price_request *req;
	b2b_quote_request *qreq;
	size_t j;

	BOOK("products.csv", "sku,list_price\nA,10\n", CUST1,
	     "price_lists.csv", "id,applies_to\nD,default\n",
	     "price_list_items.csv", "list,scope,compute,discount_percent\nD,sku:A,discount,10\n",
	     "promotions.csv", "id,kind,value,valid_until\nOLD,percent,50,2026-01-01\n");
	ck_assert_int_eq(b2b_price_request_new(&req, ctx), 0);
	b2b_price_request_set_customer(req, "C1");
	b2b_price_request_set_sku(req, "A");
	b2b_price_request_set_qty(req, "2");
	b2b_price_request_set_as_of(req, "2026-06-15");
	ck_assert_int_eq(b2b_price_compute(&pr, ctx, book, req, NULL), 0);
	ck_assert_str_eq(F(b2b_price_unit_price(pr)), "9");
	ck_assert_str_eq(F(b2b_price_list_price(pr)), "10");
	ck_assert_str_eq(F(b2b_price_discount_percent(pr)), "10");
	ck_assert_uint_eq(b2b_price_step_count(pr), 3);
	st = b2b_price_step(pr, 1);
	ck_assert_str_eq(b2b_step_name(st), "price_list");
	ck_assert_str_eq(b2b_step_source(st), "price_list:D/sku:A/min_qty:0");
	ck_assert_str_eq(F(b2b_step_before(st)), "10");
	ck_assert_str_eq(F(b2b_step_after(st)), "9");
	ck_assert_str_eq(b2b_step_name(b2b_price_step(pr, 2)), "rounding");
	ck_assert_uint_eq(b2b_price_candidate_count(pr), 2);
	c = b2b_price_candidate(pr, 0);
	ck_assert_str_eq(b2b_candidate_step(c), "price_list");
	ck_assert_str_eq(b2b_candidate_source(c), "price_list:D/sku:A/min_qty:0");
	ck_assert_int_eq(b2b_candidate_applied(c), 1);
	ck_assert_str_eq(b2b_candidate_reason(c), "");
	c = b2b_price_candidate(pr, 1);
	ck_assert_str_eq(b2b_candidate_step(c), "promotion");
	ck_assert_str_eq(b2b_candidate_source(c), "promotion:OLD");
	ck_assert_int_eq(b2b_candidate_applied(c), 0);
	ck_assert_str_eq(b2b_candidate_reason(c), "out_of_window");
	/* out of range: NULL views, which read as NULL / 0 / zero */
	ck_assert_ptr_null(b2b_price_step(pr, 3));
	ck_assert_ptr_null(b2b_price_candidate(pr, 2));
	ck_assert_ptr_null(b2b_price_step(NULL, 0));
	ck_assert_ptr_null(b2b_step_name(NULL));
	ck_assert_ptr_null(b2b_step_source(NULL));
	ck_assert_str_eq(F(b2b_step_before(NULL)), "0");
	ck_assert_str_eq(F(b2b_step_after(NULL)), "0");
	ck_assert_ptr_null(b2b_candidate_step(NULL));
	ck_assert_ptr_null(b2b_candidate_source(NULL));
	ck_assert_int_eq(b2b_candidate_applied(NULL), 0);
	ck_assert_ptr_null(b2b_candidate_reason(NULL));

	/* the same line in a quote with explain gives the same views */
	ck_assert_int_eq(b2b_quote_request_new(&qreq, ctx), 0);
	b2b_quote_request_set_quote_id(qreq, "Q");
	b2b_quote_request_set_customer(qreq, "C1");
	b2b_quote_request_set_as_of(qreq, "2026-06-15");
	b2b_quote_request_set_explain(qreq, 1);
	b2b_quote_request_add_line(qreq, "A", "2", NULL);
	ck_assert_int_eq(b2b_quote_compute(&q, ctx, book, qreq, NULL), 0);
	ck_assert_uint_eq(b2b_quote_line_step_count(q, 0), 3);
	for (j = 0; j < 3; j++) {
		const b2b_step *a = b2b_price_step(pr, j), *b = b2b_quote_line_step(q, 0, j);

		ck_assert_str_eq(b2b_step_name(a), b2b_step_name(b));
		ck_assert_str_eq(b2b_step_source(a), b2b_step_source(b));
		ck_assert_str_eq(F(b2b_step_before(a)), F(b2b_step_before(b)));
		ck_assert_str_eq(F(b2b_step_after(a)), F(b2b_step_after(b)));
	}
	ck_assert_uint_eq(b2b_quote_line_candidate_count(q, 0), 2);
	c = b2b_quote_line_candidate(q, 0, 1);
	ck_assert_str_eq(b2b_candidate_source(c), "promotion:OLD");
	ck_assert_str_eq(b2b_candidate_reason(c), "out_of_window");
	ck_assert_ptr_null(b2b_quote_line_step(q, 1, 0));
	ck_assert_ptr_null(b2b_quote_line_candidate(q, 0, 2));
}
END_TEST

/*===========================================================================
 * MARK: - Batch API
 *===========================================================================*/

/*
 * b2b_price_batch: per-line problems are results. Lines: (C1, A, 3) →
 * 9 (list D); (C2 in USD, A, 1) → NO_FX_RATE (no rate EUR→USD... book
 * base EUR); bad customer handle; bad sku handle; qty 0; qty −1;
 * (C1, N, 1) → NEGATIVE_PRICE; a fixed currency overrides the customer's.
 */
START_TEST(test_batch)
{
	uint32_t c1, c2, a, n, cust[8], prod[8];
	b2b_dec qty[8], up[8];
	int pb[8];

	BOOK("settings.csv", "key,value\nbase_currency,EUR\n",
	     "products.csv", "sku,list_price\nA,10\nN,10\n",
	     "customers.csv", "id,currency\nC1,\nC2,USD\n",
	     "price_lists.csv", "id,applies_to\nD,default\n",
	     "price_list_items.csv", "list,scope,compute,price,surcharge\nD,sku:A,fixed,9,\n"
	                             "D,sku:N,formula,,-20\n");
	ck_assert_int_eq(b2b_book_find_customer(&c1, book, "C1", 2), 0);
	ck_assert_int_eq(b2b_book_find_customer(&c2, book, "C2", 2), 0);
	ck_assert_int_eq(b2b_book_find_product(&a, book, "A", 1), 0);
	ck_assert_int_eq(b2b_book_find_product(&n, book, "N", 1), 0);
	ck_assert_int_eq(b2b_book_find_product(&n, book, "Z", 1), B2B_ENOTFOUND);
	ck_assert_int_eq(b2b_book_find_customer(&c1, book, "C", 1), B2B_ENOTFOUND);
	ck_assert_int_eq(b2b_book_find_customer(NULL, book, "C1", 2), B2B_EINVAL);
	ck_assert_int_eq(b2b_book_find_product(&n, NULL, "N", 1), B2B_EINVAL);
	ck_assert_int_eq(b2b_book_find_product(&n, book, NULL, 1), B2B_EINVAL);
	ck_assert_int_eq(b2b_book_find_product(&n, book, "N", 1), 0);

	cust[0] = c1; prod[0] = a; qty[0] = D("3");
	cust[1] = c2; prod[1] = a; qty[1] = D("1");
	cust[2] = 99; prod[2] = a; qty[2] = D("1");
	cust[3] = c1; prod[3] = 99; qty[3] = D("1");
	cust[4] = c1; prod[4] = a; qty[4] = D("0");
	cust[5] = c1; prod[5] = a; qty[5] = D("-1");
	cust[6] = c1; prod[6] = n; qty[6] = D("1");
	cust[7] = c1; prod[7] = a; qty[7] = D("0.5");
	ck_assert_int_eq(b2b_price_batch(up, pb, ctx, book, cust, prod, qty, 8, NULL, TS(T("2026-06-15"))),
	                 0);
	ck_assert_int_eq(pb[0], B2B_BATCH_OK);
	ck_assert_str_eq(F(up[0]), "9");
	ck_assert_int_eq(pb[1], B2B_BATCH_NO_FX_RATE);
	ck_assert_str_eq(F(up[1]), "0");
	ck_assert_int_eq(pb[2], B2B_BATCH_UNKNOWN_CUSTOMER);
	ck_assert_int_eq(pb[3], B2B_BATCH_UNKNOWN_SKU);
	ck_assert_int_eq(pb[4], B2B_BATCH_QTY_NOT_POSITIVE);
	ck_assert_int_eq(pb[5], B2B_BATCH_QTY_NOT_POSITIVE);
	ck_assert_int_eq(pb[6], B2B_BATCH_NEGATIVE_PRICE);
	ck_assert_int_eq(pb[7], B2B_BATCH_OK);
	ck_assert_str_eq(F(up[7]), "9");
	/* a fixed currency: C2's line in EUR is priced */
	ck_assert_int_eq(b2b_price_batch(up, pb, NULL, book, cust, prod, qty, 2, "EUR",
	                                 TS(T("2026-06-15"))), 0);
	ck_assert_int_eq(pb[1], B2B_BATCH_OK);
	ck_assert_str_eq(F(up[1]), "9");
	/* and every line in USD has no rate */
	ck_assert_int_eq(b2b_price_batch(up, pb, NULL, book, cust, prod, qty, 1, "USD",
	                                 TS(T("2026-06-15"))), 0);
	ck_assert_int_eq(pb[0], B2B_BATCH_NO_FX_RATE);
	/* call errors */
	ck_assert_int_eq(b2b_price_batch(up, pb, ctx, book, cust, prod, qty, 1, "XXX", TS(0)),
	                 B2B_ENOTFOUND);
	ck_assert_ptr_nonnull(strstr(b2b_ctx_errmsg(ctx), "XXX"));
	ck_assert_int_eq(b2b_price_batch(up, pb, ctx, NULL, cust, prod, qty, 1, NULL, TS(0)),
	                 B2B_EINVAL);
	ck_assert_int_eq(b2b_price_batch(up, NULL, ctx, book, cust, prod, qty, 1, NULL, TS(0)),
	                 B2B_EINVAL);
	ck_assert_int_eq(b2b_price_batch(NULL, NULL, ctx, book, NULL, NULL, NULL, 0, NULL, TS(0)), 0);
	/* an as_of that is not an instant (no form; past year 9999) */
	{
		b2b_time bad = TS(0);

		bad.form = 0;
		ck_assert_int_eq(b2b_price_batch(up, pb, ctx, book, cust, prod, qty, 1, NULL, bad),
		                 B2B_EINVAL);
		ck_assert_ptr_nonnull(strstr(b2b_ctx_errmsg(ctx), "as_of"));
		bad = TS(253402300800);   /* 10000-01-01T00:00:00Z */
		ck_assert_int_eq(b2b_price_batch(up, pb, ctx, book, cust, prod, qty, 1, NULL, bad),
		                 B2B_EINVAL);
	}
}
END_TEST

/* Problem names are the SPEC's codes; they read back; others are B2B_EPARSE. */
START_TEST(test_batch_problem_names)
{
	static const char *const names[] = { "OK", "UNKNOWN_CUSTOMER", "UNKNOWN_SKU",
	                                      "QTY_NOT_POSITIVE", "NO_FX_RATE", "NEGATIVE_PRICE",
	                                      "OVERFLOW" };
	b2b_batch_problem p;
	int i;

	for (i = 0; i < 7; i++) {
		ck_assert_str_eq(b2b_batch_problem_name((b2b_batch_problem)i), names[i]);
		ck_assert_int_eq(b2b_batch_problem_parse(&p, names[i], strlen(names[i])), 0);
		ck_assert_int_eq((int)p, i);
	}
	ck_assert_int_eq(B2B_BATCH_OVERFLOW, 6);
	ck_assert_ptr_null(b2b_batch_problem_name((b2b_batch_problem)7));
	ck_assert_ptr_null(b2b_batch_problem_name((b2b_batch_problem)-1));
	p = B2B_BATCH_NO_FX_RATE;
	ck_assert_int_eq(b2b_batch_problem_parse(&p, "ok", 2), B2B_EPARSE);
	ck_assert_int_eq(b2b_batch_problem_parse(&p, "UNKNOWN_CODE", 12), B2B_EPARSE);
	ck_assert_int_eq((int)p, B2B_BATCH_NO_FX_RATE);
	ck_assert_int_eq(b2b_batch_problem_parse(NULL, "OK", 2), B2B_EINVAL);
}
END_TEST

/*===========================================================================
 * MARK: - Errors: arguments, overflow, nesting, out of memory
 *===========================================================================*/

START_TEST(test_price_line_einval)
{
	b2b__line_in in;
	const char *codes[1];
	size_t lens[1];
	char cb[8];
	rq r = { 0 };

	BOOK("products.csv", "sku,list_price\nA,10\n", CUST1);
	fill_in(&in, book, &r, codes, lens, 1, cb, sizeof cb);
	ck_assert_int_eq(b2b__price_line(&lo, ctx, NULL, &in), B2B_EINVAL);
	ck_assert_int_eq(b2b__price_line(&lo, ctx, book, NULL), B2B_EINVAL);
	in.product = 7;
	ck_assert_int_eq(b2b__price_line(&lo, ctx, book, &in), B2B_EINVAL);
	in.product = 0;
	in.customer = 7;
	ck_assert_int_eq(b2b__price_line(&lo, ctx, book, &in), B2B_EINVAL);
	in.customer = 0;
	in.qty = D("0");
	ck_assert_int_eq(b2b__price_line(&lo, ctx, book, &in), B2B_EINVAL);
	ck_assert_ptr_nonnull(strstr(b2b_ctx_errmsg(ctx), "quantity"));
	in.qty = D("-2");
	ck_assert_int_eq(b2b__price_line(&lo, ctx, book, &in), B2B_EINVAL);
}
END_TEST

/*
 * A figure that leaves the decimal range is B2B_EOVERFLOW (not a wrapped
 * price): list 9×10^27 with a −50% discount = 1.35×10^28 ≥ 10^28. The
 * batch reports it per line (B2B_BATCH_OVERFLOW).
 */
START_TEST(test_price_line_overflow)
{
	b2b__line_in in;
	const char *codes[1];
	size_t lens[1];
	char cb[8];
	rq r = { 0 };
	uint32_t cu = 0, pd = 0;
	b2b_dec q = D("1"), up;
	int pb;

	BOOK("products.csv", "sku,list_price\nA,9000000000000000000000000000\n", CUST1,
	     "price_lists.csv", "id,applies_to\nD,default\n",
	     "price_list_items.csv", "list,scope,compute,discount_percent\nD,sku:A,discount,-50\n");
	fill_in(&in, book, &r, codes, lens, 1, cb, sizeof cb);
	ck_assert_int_eq(b2b__price_line(&lo, ctx, book, &in), B2B_EOVERFLOW);
	ck_assert_ptr_nonnull(strstr(b2b_ctx_errmsg(ctx), "sku A"));
	ck_assert_int_eq(b2b_price_batch(&up, &pb, ctx, book, &cu, &pd, &q, 1, NULL, TS(in.as_of)), 0);
	ck_assert_int_eq(pb, B2B_BATCH_OVERFLOW);
}
END_TEST

/*
 * base=list_id chains: 10 lists L00 → L01 → … → L09 (fixed 100), each a
 * 10% discount on the next: 100 × 0.9^9 = 38.7420489 (each step exact).
 * A chain of 70 lists nests deeper than 64 → B2B_EOVERFLOW.
 */
START_TEST(test_base_nesting)
{
	static char lists[4096], items[8192];
	b2b__line_in in;
	const char *codes[1];
	size_t lens[1], nl, ni;
	char cb[8];
	rq r = { 0 };
	int i, depth;

	for (depth = 10; depth <= 70; depth += 60) {
		nl = (size_t)snprintf(lists, sizeof lists, "id\n");
		ni = (size_t)snprintf(items, sizeof items,
		                      "list,scope,compute,price,discount_percent,base\n");
		for (i = 0; i < depth; i++) {
			nl += (size_t)snprintf(lists + nl, sizeof lists - nl, "L%02d\n", i);
			if (i + 1 < depth)
				ni += (size_t)snprintf(items + ni, sizeof items - ni,
				                       "L%02d,all,discount,,10,list_id:L%02d\n", i, i + 1);
			else
				ni += (size_t)snprintf(items + ni, sizeof items - ni,
				                       "L%02d,all,fixed,100,,\n", i);
		}
		BOOK("products.csv", "sku,list_price\nA,1000\n",
		     "customers.csv", "id,price_lists\nC1,L00\n",
		     "price_lists.csv", lists, "price_list_items.csv", items);
		fill_in(&in, book, &r, codes, lens, 1, cb, sizeof cb);
		in.trace = 1;
		if (depth == 10) {
			ck_assert_int_eq(b2b__price_line(&lo, ctx, book, &in), 0);
			ck_assert_str_eq(F(lo.unit_price), "38.742");
			ck_assert_str_eq(F(lo.engine_price), "38.7420489");
		} else {
			ck_assert_int_eq(b2b__price_line(&lo, ctx, book, &in), B2B_EOVERFLOW);
			ck_assert_ptr_nonnull(strstr(b2b_ctx_errmsg(ctx), "deeper"));
		}
	}
}
END_TEST

/*
 * Out of memory: with explain, a ctx whose arena cannot grow returns
 * B2B_ENOMEM (never a partial success); the arena sizes are tried upward
 * until the line fits, which must then give the full result.
 */
START_TEST(test_price_line_nomem)
{
	b2b_ctx_options co = B2B_CTX_OPTIONS_INIT;
	b2b__line_in in;
	const char *codes[1];
	size_t lens[1], size;
	char cb[8];
	rq r = { .qty = "10" };
	int ok = 0, nomem = 0;

	BOOK("settings.csv", "key,value\nbase_currency,EUR\nmax_discount_percent,20\n",
	     "products.csv", "sku,list_price,currency,competitor_price\nA,12.5,USD,12\n",
	     CUST1, "fx_rates.csv", "from,to,rate\nUSD,EUR,0.8\n",
	     "price_lists.csv", "id,applies_to\nD,default\nE,default\n",
	     "price_list_items.csv", "list,scope,min_qty,compute,discount_percent\n"
	                             "D,sku:A,0,discount,10\nD,sku:A,5,discount,12\n"
	                             "D,sku:A,50,discount,14\n",
	     "dynamic_rules.csv", "id,scope,signal,max_factor\nR,all,competitor,1.05\n",
	     "promotions.csv", "id,kind,value,priority\nP1,percent,15,2\nP2,amount,1,1\n");
	fill_in(&in, book, &r, codes, lens, 1, cb, sizeof cb);
	in.trace = in.explain = 1;
	co.flags = B2B_CTX_NO_GROW;
	for (size = 16; size < 65536 && !ok; size += 16) {
		b2b_ctx *c;
		int rc;

		co.arena_initial = size;
		ck_assert_int_eq(b2b_ctx_new(&c, &co), 0);
		rc = b2b__price_line(&lo, c, book, &in);
		if (rc == B2B_ENOMEM) {
			nomem++;
		} else {
			ck_assert_int_eq(rc, 0);
			ok = 1;
			/* Q 10: D's break 5 (12%) → 8.8; R: min(9.6, r9(8.8 × 1.05) = 9.24);
			 * P1 → 7.854, P2 → 6.854; cap r9(9.24 × 0.2) = 1.848 → 7.392 */
			ck_assert_str_eq(F(lo.unit_price), "7.392");
			ck_wf(&lo, "list product:A 12.5>12.5 | fx fx:USD/EUR 12.5>10 | "
			           "price_list price_list:D/sku:A/min_qty:5 10>8.8 | "
			           "dynamic rule:R 8.8>9.24 | promotion promotion:P1 9.24>7.854 | "
			           "promotion promotion:P2 7.854>6.854 | promotion cap 6.854>7.392 | "
			           "rounding unit_price_decimals:4 7.392>7.392");
			ck_cands(&lo, "price_list:D/sku:A/min_qty:5 applied | "
			              "price_list:D/sku:A/min_qty:0 lower_break | "
			              "price_list:D/sku:A/min_qty:50 min_qty_not_reached | "
			              "price_list:E lower_priority | rule:R applied | "
			              "promotion:P1 applied | promotion:P2 applied");
		}
		b2b_ctx_free(c);
	}
	ck_assert_int_eq(ok, 1);
	ck_assert_int_gt(nomem, 10);
}
END_TEST

/*===========================================================================
 * MARK: - Properties over random books
 *===========================================================================*/

/* splitmix64: the whole run is a function of the seed */
typedef struct rng { uint64_t s; } rng;

static uint64_t
rnext(rng *r)
{
	uint64_t x = (r->s += UINT64_C(0x9e3779b97f4a7c15));

	x = (x ^ (x >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	x = (x ^ (x >> 27)) * UINT64_C(0x94d049bb133111eb);
	return x ^ (x >> 31);
}

static unsigned
rn(rng *r, unsigned n)
{
	return (unsigned)(rnext(r) % n);
}

static const char *
rpick(rng *r, const char *const *v, size_t n)
{
	return v[rn(r, (unsigned)n)];
}

#define PICK(r, ...) rpick((r), (const char *const[]){ __VA_ARGS__ }, \
                           sizeof((const char *const[]){ __VA_ARGS__ }) / sizeof(const char *))

/* A CSV text being written (no quoting: generated cells hold no comma). */
typedef struct csvbuf { char s[16384]; size_t n; } csvbuf;

#define CB(c, ...) do { \
	int n_ = snprintf((c)->s + (c)->n, sizeof (c)->s - (c)->n, __VA_ARGS__); \
	ck_assert_int_ge(n_, 0); \
	(c)->n += (size_t)n_; \
	ck_assert_uint_lt((c)->n, sizeof (c)->s); \
} while (0)

/* Feed one CSV text to the builder (header, then rows). */
static void
feed(b2b_book_builder *bb, b2b_ctx *c, b2b_book_table t, const char *text)
{
	char line[1024];
	const char *cells[32];
	size_t n;
	long ln = 0;
	const char *p = text;

	while (*p != '\0') {
		const char *e = strchr(p, '\n');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		char *q;

		ck_assert_uint_lt(len, sizeof line);
		memcpy(line, p, len);
		line[len] = '\0';
		p += len + (e != NULL);
		n = 0;
		for (q = line;; ) {
			char *comma = strchr(q, ',');

			cells[n++] = q;
			if (comma == NULL)
				break;
			*comma = '\0';
			q = comma + 1;
		}
		if (ln++ == 0)
			ck_assert_int_eq(b2b_book_builder_begin_table(bb, c, t, cells, n, "gen"), 0);
		else
			ck_assert_int_eq(b2b_book_builder_add_row(bb, c, cells, NULL, n, ln), 0);
	}
}

static const char *const gen_skus[] = { "A", "B", "C", "D", "E", "F", "G", "H" };
static const char *const gen_cats[] = { "a", "a/b", "a/b/c", "a/x", "d", "" };
#define NGEN_SKUS 8
#define NGEN_LISTS 5
#define NGEN_CUST 4

/* A random scope: mostly skus and categories of the generated products. */
static const char *
gen_scope(rng *r, char *buf, size_t size)
{
	switch (rn(r, 4)) {
	case 0:
		snprintf(buf, size, "sku:%s", gen_skus[rn(r, NGEN_SKUS)]);
		break;
	case 1:
		snprintf(buf, size, "category:%s", PICK(r, "a", "a/b", "a/b/c", "d", "a/x"));
		break;
	case 2:
		snprintf(buf, size, "all");
		break;
	default:
		snprintf(buf, size, "sku:%s", gen_skus[rn(r, 3)]);
		break;
	}
	return buf;
}

static const char *
gen_money(rng *r, char *buf, size_t size, unsigned max_cents)
{
	unsigned c = rn(r, max_cents + 1);

	snprintf(buf, size, "%u.%02u", c / 100, c % 100);
	return buf;
}

/*
 * A random small book: settings (mode, decimals, cap, margin), FX rates,
 * products with optional cost / stock / demand / competitor / prev
 * prices, customers, lists with parents and bases (only to lists of
 * lower index: no cycles), items of every compute and tier mode,
 * contracts, dynamic rules of the four signals and line promotions of
 * every kind. Built through the builder API.
 */
static b2b_book *
gen_book(rng *r)
{
	static csvbuf t;
	b2b_book_builder *bb;
	b2b_book *bk = NULL;
	b2b_ctx *c;
	char b1[64], b2[64], b3[64], b4[64], b5[64], b7[64];
	const char *lcur[NGEN_LISTS], *ltier[NGEN_LISTS];
	int i, j, rc;

	ck_assert_int_eq(b2b_ctx_new(&c, NULL), 0);
	ck_assert_int_eq(b2b_book_builder_new(&bb, NULL, NULL), 0);

	t.n = 0;
	CB(&t, "key,value\nbase_currency,EUR\nrounding_mode,%s\nunit_price_decimals,%s\n"
	       "max_discount_percent,%s\n%s", PICK(r, "half_up", "half_even", "half_down", "up",
	                                          "down", "ceiling", "floor"),
	       PICK(r, "0", "2", "3", "4", "4", "6", "9"), PICK(r, "100", "100", "30", "12.5"),
	       PICK(r, "", "min_margin_percent,5\n", "min_margin_percent,0\n"));
	feed(bb, c, B2B_TABLE_SETTINGS, t.s);

	t.n = 0;
	CB(&t, "from,to,rate,valid_from\n%s%s%s", PICK(r, "EUR,USD,1.1,\n", "USD,EUR,0.9,\n",
	                                                  "EUR,USD,1.08,\nEUR,USD,1.12,2026-06-01\n", ""),
	       PICK(r, "GBP,EUR,1.17,\n", "", "EUR,GBP,0.86,2026-07-01\n"),
	       PICK(r, "", "USD,GBP,0.8,\n"));
	feed(bb, c, B2B_TABLE_FX_RATES, t.s);

	t.n = 0;
	CB(&t, "sku,list_price,category,currency,cost,on_hand,daily_demand,baseline_demand,"
	       "competitor_price,prev_price\n");
	for (i = 0; i < NGEN_SKUS; i++)
		CB(&t, "%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\n", gen_skus[i],
		       gen_money(r, b1, sizeof b1, 20000), gen_cats[rn(r, 6)],
		       PICK(r, "", "", "", "", "USD", "GBP"),
		       rn(r, 3) ? gen_money(r, b2, sizeof b2, 15000) : "",
		       PICK(r, "", "0", "5", "40", "300"), PICK(r, "", "0", "1.5", "10"),
		       PICK(r, "", "0", "2", "7.5"),
		       rn(r, 2) ? gen_money(r, b3, sizeof b3, 20000) : "",
		       rn(r, 2) ? gen_money(r, b4, sizeof b4, 20000) : "");
	feed(bb, c, B2B_TABLE_PRODUCTS, t.s);

	for (i = 0; i < NGEN_LISTS; i++) {
		lcur[i] = rn(r, 5) == 0 ? "USD" : "";
		ltier[i] = PICK(r, "all_units", "all_units", "incremental", "block");
	}
	t.n = 0;
	CB(&t, "id,name,segment,channel,currency,price_lists\n");
	for (i = 0; i < NGEN_CUST; i++) {
		int a = (int)rn(r, NGEN_LISTS + 2), b = (int)rn(r, NGEN_LISTS + 2);

		b1[0] = '\0';
		if (a < NGEN_LISTS)
			snprintf(b1, sizeof b1, "L%d", a);
		if (b < NGEN_LISTS && b != a)
			snprintf(b1 + strlen(b1), sizeof b1 - strlen(b1), "%sL%d", b1[0] ? ";" : "", b);
		snprintf(b2, sizeof b2, "C%d", i);
		CB(&t, "%s,n,%s,%s,%s,%s\n", b2, PICK(r, "", "s1", "s2"), PICK(r, "", "web", "edi"),
		       PICK(r, "", "", "", "USD"), b1);
	}
	feed(bb, c, B2B_TABLE_CUSTOMERS, t.s);

	t.n = 0;
	CB(&t, "id,currency,priority,valid_from,valid_until,parent,applies_to,tier_mode\n");
	for (i = 0; i < NGEN_LISTS; i++) {
		int par = i > 0 && rn(r, 2) ? (int)rn(r, (unsigned)i) : -1;

		b2[0] = '\0';
		if (par >= 0 && strcmp(lcur[par], lcur[i]) == 0)
			snprintf(b2, sizeof b2, "L%d", par);
		snprintf(b1, sizeof b1, "L%d", i);
		CB(&t, "%s,%s,%s,%s,%s,%s,%s,%s\n", b1, lcur[i], PICK(r, "0", "1", "-1", "5"),
		       PICK(r, "", "", "2026-03-01", "2026-06-16"), PICK(r, "", "", "", "2026-06-20"),
		       b2, PICK(r, "", "default", "segment:s1", "channel:web", "customer:C1",
		                "default;segment:s2"),
		       ltier[i]);
	}
	feed(bb, c, B2B_TABLE_PRICE_LISTS, t.s);

	/* items: a (scope, min_qty) once per list (windows never overlap) */
	t.n = 0;
	CB(&t, "list,scope,min_qty,valid_from,valid_until,compute,price,discount_percent,base,"
	       "surcharge,round_to,min_margin,max_margin\n");
	{
		/* block lists take only fixed items */
		char seen[NGEN_LISTS][24][24];
		int nseen[NGEN_LISTS];

		memset(nseen, 0, sizeof nseen);
		for (j = 0; j < 40; j++) {
			int l = (int)rn(r, NGEN_LISTS), k, dup = 0;
			const char *scope = gen_scope(r, b1, sizeof b1);
			const char *mq = PICK(r, "0", "0", "1", "5", "10", "2.5");
			const char *compute = PICK(r, "fixed", "discount", "formula");
			char key[24];

			snprintf(key, sizeof key, "%s|%s", scope, mq);
			for (k = 0; k < nseen[l]; k++)
				dup |= strcmp(seen[l][k], key) == 0;
			if (dup || nseen[l] >= 24)
				continue;
			snprintf(seen[l][nseen[l]++], 24, "%s", key);
			snprintf(b7, sizeof b7, "L%d", l);
			if (strcmp(ltier[l], "block") == 0)
				compute = "fixed";
			if (strcmp(compute, "fixed") == 0) {
				CB(&t, "%s,%s,%s,%s,%s,fixed,%s,,,,,,\n", b7, scope, mq,
				       PICK(r, "", "", "2026-06-01"), PICK(r, "", "", "2026-09-01"),
				       gen_money(r, b2, sizeof b2, 20000));
			} else {
				int bl = l > 0 ? (int)rn(r, (unsigned)l) : -1;
				const char *base = PICK(r, "", "list", "cost", "parent", "list_id");

				if (strcmp(base, "list_id") == 0) {
					if (bl >= 0 && strcmp(lcur[bl], lcur[l]) == 0)
						snprintf(b3, sizeof b3, "list_id:L%d", bl);
					else
						snprintf(b3, sizeof b3, "list");
					base = b3;
				}
				if (strcmp(compute, "discount") == 0)
					CB(&t, "%s,%s,%s,%s,,discount,,%s,%s,,,,\n", b7, scope, mq,
					       PICK(r, "", "2026-06-01"),
					       PICK(r, "10", "0", "-20", "33.333333333", "100", "2.5"), base);
				else
					CB(&t, "%s,%s,%s,,,formula,,%s,%s,%s,%s,%s,%s\n", b7, scope, mq,
					       PICK(r, "", "10", "-15", "50"), base,
					       PICK(r, "", "", "0.99", "-0.01", "-5", "-500"),
					       PICK(r, "", "", "0.05", "1", "0.1"),
					       PICK(r, "", "", "1", "-2"), PICK(r, "", "", "3", "0"));
			}
		}
	}
	feed(bb, c, B2B_TABLE_PRICE_LIST_ITEMS, t.s);

	t.n = 0;
	CB(&t, "id,customer,currency,valid_from,valid_until,policy,allow_promotions\n");
	for (i = 0; i < 3; i++) {
		snprintf(b1, sizeof b1, "K%d", i);
		snprintf(b2, sizeof b2, "C%u", rn(r, NGEN_CUST));
		CB(&t, "%s,%s,%s,%s,,%s,%s\n", b1, b2, PICK(r, "", "", "", "EUR", "USD"),
		       PICK(r, "", "2026-01-01", "2026-05-01", "2026-07-01"),
		       PICK(r, "override", "best"), PICK(r, "0", "1"));
	}
	feed(bb, c, B2B_TABLE_CONTRACTS, t.s);

	t.n = 0;
	CB(&t, "contract,scope,min_qty,price,discount_percent\n");
	{
		char seen[3][16][24];
		int nseen[3] = { 0, 0, 0 }, k;

		for (j = 0; j < 12; j++) {
			int kk = (int)rn(r, 3), dup = 0;
			const char *scope = gen_scope(r, b1, sizeof b1);
			const char *mq = PICK(r, "0", "0", "3", "10");
			char key[24];

			snprintf(key, sizeof key, "%s|%s", scope, mq);
			for (k = 0; k < nseen[kk]; k++)
				dup |= strcmp(seen[kk][k], key) == 0;
			if (dup || nseen[kk] >= 16)
				continue;
			snprintf(seen[kk][nseen[kk]++], 24, "%s", key);
			snprintf(b7, sizeof b7, "K%d", kk);
			if (rn(r, 2))
				CB(&t, "%s,%s,%s,%s,\n", b7, scope, mq, gen_money(r, b2, sizeof b2, 20000));
			else
				CB(&t, "%s,%s,%s,,%s\n", b7, scope, mq, PICK(r, "5", "12.5", "-10", "100"));
		}
	}
	feed(bb, c, B2B_TABLE_CONTRACT_ITEMS, t.s);

	t.n = 0;
	CB(&t, "id,scope,signal,priority,valid_from,points,markup_percent,offset_percent,"
	       "min_factor,max_factor,max_change_percent,price_step\n");
	for (i = 0, j = (int)rn(r, 4); i < j; i++) {
		const char *sig = PICK(r, "stock_days", "demand_ratio", "cost_plus", "competitor");
		int pts = sig[0] == 's' || sig[0] == 'd';

		snprintf(b1, sizeof b1, "R%d", i);
		CB(&t, "%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\n", b1, gen_scope(r, b2, sizeof b2), sig,
		       PICK(r, "0", "1", "2"), PICK(r, "", "", "2026-07-01"),
		       pts ? PICK(r, "1:1.2;10:1;60:0.9", "0.5:0.95;1:1;2:1.1", "3:1.05") : "",
		       strcmp(sig, "cost_plus") == 0 ? PICK(r, "25", "-10", "0") : "",
		       strcmp(sig, "competitor") == 0 ? PICK(r, "", "-2", "5", "-150") : "",
		       PICK(r, "", "", "0.9", "0"), PICK(r, "", "", "1.2"), PICK(r, "", "", "10", "150"),
		       PICK(r, "", "", "0.05", "0.25"));
	}
	feed(bb, c, B2B_TABLE_DYNAMIC_RULES, t.s);

	t.n = 0;
	CB(&t, "id,kind,value,scope,segment,code,valid_from,valid_until,priority,stacking,"
	       "buy_qty,get_qty\n");
	for (i = 0, j = (int)rn(r, 6); i < j; i++) {
		const char *kind = PICK(r, "percent", "amount", "fixed_price", "buy_x_get_y");
		int bx = strcmp(kind, "buy_x_get_y") == 0;

		snprintf(b1, sizeof b1, "P%d", i);
		b3[0] = '\0';
		if (!bx)
			snprintf(b3, sizeof b3, "%s", strcmp(kind, "percent") == 0
			         ? PICK(r, "10", "5", "33.333333333", "100", "60")
			         : gen_money(r, b4, sizeof b4, 8000));
		if (!bx && b2b_dec_sign(D(b3)) <= 0)
			snprintf(b3, sizeof b3, "1");
		CB(&t, "%s,%s,%s,%s,%s,%s,%s,,%s,%s,%s,%s\n", b1, kind, b3,
		       rn(r, 2) ? gen_scope(r, b5, sizeof b5) : "", PICK(r, "", "", "s1"),
		       PICK(r, "", "", "", "X1", "X2"), PICK(r, "", "", "2026-06-10"),
		       PICK(r, "0", "1", "2"), PICK(r, "stackable", "stackable", "exclusive"),
		       bx ? PICK(r, "1", "2", "3") : "", bx ? PICK(r, "1", "2") : "");
	}
	feed(bb, c, B2B_TABLE_PROMOTIONS, t.s);

	rc = b2b_book_builder_finish(&bk, c, bb);
	if (rc != 0)
		print_diags(c);
	ck_assert_int_eq(rc, 0);
	b2b_book_builder_free(bb);
	b2b_ctx_free(c);
	return bk;
}

static int
same_dec(b2b_dec a, b2b_dec b)
{
	return b2b_dec_cmp(a, b) == 0;
}

/* The figures of two results are the same. */
static void
ck_same_figures(const b2b__line_out *a, const b2b__line_out *b, uint64_t seed, int line)
{
	ck_assert_msg(a->problem == b->problem && a->requested_negative == b->requested_negative &&
	              same_dec(a->unit_price, b->unit_price) &&
	              same_dec(a->engine_price, b->engine_price) &&
	              same_dec(a->engine_rounded, b->engine_rounded) &&
	              same_dec(a->list_price, b->list_price) &&
	              same_dec(a->list_price_rounded, b->list_price_rounded) &&
	              a->floor.set == b->floor.set && same_dec(a->floor.v, b->floor.v) &&
	              a->cost.set == b->cost.set && same_dec(a->cost.v, b->cost.v) &&
	              a->protected_ == b->protected_ && a->below_floor == b->below_floor,
	              "seed %llu line %d: results differ (%s vs %s, problem %d vs %d)",
	              (unsigned long long)seed, line, F(a->unit_price), F(b->unit_price),
	              a->problem, b->problem);
}

static const char *const prop_qtys[] = { "1", "2", "3", "4", "5", "7", "10", "10.5", "0.25",
                                         "11", "50", "99", "120", "7.5", "1000", "0.001" };
static const char *const prop_dates[] = { "2026-01-15", "2026-05-31T23:59:59Z", "2026-06-01",
                                          "2026-06-15", "2026-06-20", "2026-07-01", "2027-01-01" };

/*
 * ≥ 10,000 random lines over 200 random books (seeded; the seed is in
 * every failure message):
 *  - no promotion step raises the price: every promotion step lowers it
 *    strictly; the cap step raises it back but never above the price
 *    before the first promotion, and the walk never ends above it;
 *  - trace off / trace on / explain give the same figures;
 *  - the same input twice gives identical results, explanation included;
 *  - b2b_price_batch() equals b2b__price_line() line by line.
 */
START_TEST(test_properties)
{
	const uint64_t seed0 = 20260615;
	static char wf1[16384], cd1[16384];
	int nbooks = 200, per = 60, bi, li, nlines = 0, npromo_steps = 0, ncap = 0, nok = 0;

	for (bi = 0; bi < nbooks; bi++) {
		uint64_t seed = seed0 + (uint64_t)bi;
		rng r = { seed };
		uint32_t bc[60], bp[60];
		b2b_dec bq[60], bu[60], want[60];
		int bpb[60], wantpb[60];

		b2b_book_unref(book);
		book = gen_book(&r);
		for (li = 0; li < per; li++) {
			b2b__line_out a, b, c2, d;
			b2b__line_in in;
			const char *codes[8];
			size_t lens[8], k;
			char codebuf[64];
			rq q = { 0 };
			char cust[8];
			int batchable, rc;

			snprintf(cust, sizeof cust, "C%u", rn(&r, NGEN_CUST));
			q.cust = cust;
			q.sku = gen_skus[rn(&r, NGEN_SKUS)];
			q.qty = prop_qtys[rn(&r, sizeof prop_qtys / sizeof prop_qtys[0])];
			q.as_of = prop_dates[rn(&r, sizeof prop_dates / sizeof prop_dates[0])];
			batchable = rn(&r, 3) != 0;
			if (!batchable) {
				q.currency = PICK(&r, NULL, "EUR", "USD", "GBP");
				q.channel = PICK(&r, NULL, "web", "edi");
				q.codes = PICK(&r, NULL, "X1", "X2;X1", "NOPE");
				q.requested = PICK(&r, NULL, NULL, "5", "0", "-1", "12.34567");
			}
			fill_in(&in, book, &q, codes, lens, 8, codebuf, sizeof codebuf);
			in.trace = in.explain = 0;
			rc = b2b__price_line(&a, NULL, book, &in);
			if (rc == B2B_EOVERFLOW)
				continue;
			ck_assert_msg(rc == 0, "seed %llu line %d: rc %d", (unsigned long long)seed, li, rc);
			nlines++;
			in.trace = 1;
			ck_assert_int_eq(b2b__price_line(&b, ctx, book, &in), 0);
			in.explain = 1;
			ck_assert_int_eq(b2b__price_line(&c2, ctx, book, &in), 0);
			ck_same_figures(&a, &b, seed, li);
			ck_same_figures(&a, &c2, seed, li);
			ck_assert_uint_eq(b.nsteps, c2.nsteps);
			snprintf(wf1, sizeof wf1, "%s", wf(&c2));
			snprintf(cd1, sizeof cd1, "%s", cands(&c2));
			ck_assert_str_eq(wf(&b), wf1);
			/* the same input again: identical, explanation included */
			ck_assert_int_eq(b2b__price_line(&d, ctx, book, &in), 0);
			ck_same_figures(&c2, &d, seed, li);
			ck_assert_str_eq(wf(&d), wf1);
			ck_assert_str_eq(cands(&d), cd1);
			if (a.problem == B2B__PROBLEM_NONE) {
				nok++;
				ck_assert_uint_ge(c2.nsteps, 2);
				ck_assert_int_eq(c2.steps[0].step, B2B__STEP_LIST);
				ck_assert_int_eq(c2.steps[c2.nsteps - 1].step, B2B__STEP_ROUNDING);
				ck_assert_msg(same_dec(c2.steps[c2.nsteps - 1].after, c2.unit_price),
				              "seed %llu line %d", (unsigned long long)seed, li);
			}
			/* no promotion step raises the price */
			{
				int first = -1;

				for (k = 0; k < c2.nsteps; k++) {
					const b2b__step *st = &c2.steps[k];

					if (st->step != B2B__STEP_PROMOTION)
						continue;
					if (first < 0)
						first = (int)k;
					if (strcmp(st->source, "cap") == 0) {
						ncap++;
						ck_assert_msg(b2b_dec_cmp(st->after, st->before) > 0 &&
						              b2b_dec_cmp(st->after, c2.steps[first].before) <= 0,
						              "seed %llu line %d: cap %s", (unsigned long long)seed,
						              li, wf(&c2));
					} else {
						npromo_steps++;
						ck_assert_msg(b2b_dec_cmp(st->after, st->before) < 0,
						              "seed %llu line %d: promotion raised: %s",
						              (unsigned long long)seed, li, wf(&c2));
					}
				}
				if (first >= 0 && a.problem == B2B__PROBLEM_NONE)
					ck_assert_msg(b2b_dec_cmp(a.engine_price, c2.steps[first].before) <= 0,
					              "seed %llu line %d: %s", (unsigned long long)seed, li,
					              wf(&c2));
			}
			/* batch: collect this line (default currency, customer's channel, no codes) */
			bc[li] = UINT32_MAX;
			if (batchable) {
				bc[li] = in.customer;
				bp[li] = in.product;
				bq[li] = in.qty;
				want[li] = a.problem == B2B__PROBLEM_NONE ? a.unit_price : b2b__dec_from_int(0);
				wantpb[li] = a.problem == B2B__PROBLEM_NONE ? B2B_BATCH_OK
				           : a.problem == B2B__PROBLEM_NO_FX_RATE ? B2B_BATCH_NO_FX_RATE
				           : B2B_BATCH_NEGATIVE_PRICE;
				/* one call per line: each line has its own as_of */
				ck_assert_int_eq(b2b_price_batch(&bu[li], &bpb[li], NULL, book, &bc[li], &bp[li],
				                                 &bq[li], 1, NULL, TS(in.as_of)), 0);
				ck_assert_msg(bpb[li] == wantpb[li] && same_dec(bu[li], want[li]),
				              "seed %llu line %d: batch %d %s, line %d %s",
				              (unsigned long long)seed, li, bpb[li], F(bu[li]), wantpb[li],
				              F(want[li]));
			}
			b2b_ctx_reset(ctx);
		}
		/* the whole book's batchable lines again in one call at one as_of */
		{
			size_t m = 0, k;
			int64_t t0 = T("2026-06-15");
			b2b__line_in in;

			memset(&in, 0, sizeof in);
			for (li = 0; li < per; li++) {
				if (bc[li] == UINT32_MAX)
					continue;
				bc[m] = bc[li];
				bp[m] = bp[li];
				bq[m] = bq[li];
				m++;
			}
			ck_assert_int_eq(b2b_price_batch(bu, bpb, NULL, book, bc, bp, bq, m, NULL, TS(t0)), 0);
			for (k = 0; k < m; k++) {
				const b2b__customer *cu = &book->customers[bc[k]];
				b2b__line_out o;
				int rc;

				in.customer = bc[k];
				in.product = bp[k];
				in.qty = bq[k];
				in.as_of = t0;
				in.currency = cu->currency != UINT16_MAX ? cu->currency
				                                         : book->settings.base_currency;
				in.channel = cu->channel ? b2b__s(book, cu->channel) : NULL;
				in.channel_len = in.channel ? strlen(in.channel) : 0;
				rc = b2b__price_line(&o, NULL, book, &in);
				if (rc == B2B_EOVERFLOW) {
					ck_assert_int_eq(bpb[k], B2B_BATCH_OVERFLOW);
					continue;
				}
				ck_assert_int_eq(rc, 0);
				ck_assert_msg(bpb[k] == (o.problem == B2B__PROBLEM_NONE ? B2B_BATCH_OK
				                         : o.problem == B2B__PROBLEM_NO_FX_RATE
				                         ? B2B_BATCH_NO_FX_RATE : B2B_BATCH_NEGATIVE_PRICE) &&
				              (o.problem != B2B__PROBLEM_NONE || same_dec(bu[k], o.unit_price)),
				              "seed %llu batch line %zu", (unsigned long long)(seed0 + bi), k);
			}
		}
	}
	fprintf(stderr, "properties: %d lines (%d priced), %d promotion steps, %d caps\n", nlines,
	        nok, npromo_steps, ncap);
	ck_assert_int_ge(nlines, 10000);
	ck_assert_int_ge(nok, 5000);
	ck_assert_int_ge(npromo_steps, 500);
	ck_assert_int_ge(ncap, 20);
}
END_TEST

/*===========================================================================
 * MARK: - Suite




 *===========================================================================*/

/*
 * A random book shaped like the ones b2b_price_batch()'s fast path is for
 * (sku: items of fixed prices, sku: contract items), with every way out
 * of it mixed in: products in another currency, items with a window, of
 * another compute or base=cost, lists with category: / all groups,
 * parents, block and incremental tiers, two contracts naming one sku,
 * contracts with category: items or a window, discounts, rules and
 * promotions scoped to some products, coupons, a floor.
 */
static b2b_book *
gen_plan_book(rng *r)
{
	static csvbuf t;
	b2b_book_builder *bb;
	b2b_book *bk = NULL;
	b2b_ctx *c;
	char b1[64], b2[64];
	int i, j, k, rc;

	ck_assert_int_eq(b2b_ctx_new(&c, NULL), 0);
	ck_assert_int_eq(b2b_book_builder_new(&bb, NULL, NULL), 0);
	t.n = 0;
	CB(&t, "key,value\nbase_currency,EUR\nrounding_mode,%s\nunit_price_decimals,%s\n%s",
	   PICK(r, "half_up", "half_even", "down", "ceiling"), PICK(r, "0", "2", "2", "4", "9"),
	   PICK(r, "", "", "min_margin_percent,5\n"));
	feed(bb, c, B2B_TABLE_SETTINGS, t.s);
	t.n = 0;
	CB(&t, "from,to,rate,valid_from\nEUR,USD,1.1,\n");
	feed(bb, c, B2B_TABLE_FX_RATES, t.s);
	t.n = 0;
	CB(&t, "sku,list_price,category,currency,cost\n");
	for (i = 0; i < NGEN_SKUS; i++)
		CB(&t, "%s,%s,%s,%s,%s\n", gen_skus[i], gen_money(r, b1, sizeof b1, 20000),
		   gen_cats[rn(r, 6)], PICK(r, "", "", "", "", "", "USD"),
		   rn(r, 3) ? "" : gen_money(r, b2, sizeof b2, 15000));
	feed(bb, c, B2B_TABLE_PRODUCTS, t.s);
	t.n = 0;
	CB(&t, "id,name,segment,channel,currency,price_lists\n");
	for (i = 0; i < NGEN_CUST; i++)
		CB(&t, "C%d,n,%s,%s,%s,%s\n", i, PICK(r, "", "s1", "s2"), PICK(r, "", "web", "edi"),
		   PICK(r, "", "", "", "", "USD"), PICK(r, "", "", "", "L3", "L2;L0"));
	feed(bb, c, B2B_TABLE_CUSTOMERS, t.s);
	t.n = 0;
	CB(&t, "id,currency,priority,valid_from,valid_until,parent,applies_to,tier_mode\n"
	       "L0,,0,,,,default,all_units\n"
	       "L1,,5,%s,,%s,segment:s1,%s\n"
	       "L2,,3,,,,channel:web,%s\n"
	       "L3,USD,1,,,,%s,all_units\n",
	   PICK(r, "", "", "2026-06-16"), PICK(r, "", "L0"),
	   PICK(r, "all_units", "all_units", "block", "incremental"),
	   PICK(r, "all_units", "all_units", "block"), PICK(r, "", "default"));
	feed(bb, c, B2B_TABLE_PRICE_LISTS, t.s);
	t.n = 0;
	CB(&t, "list,scope,min_qty,valid_from,valid_until,compute,price,discount_percent,base\n");
	for (i = 0; i < NGEN_SKUS; i++) {
		static const char *const mq[] = { "0", "2.5", "5", "10", "50" };

		for (k = 0; k < 5; k++) {
			if (k > 0 && rn(r, 3) == 0)
				continue;
			if (rn(r, 12) == 0)
				CB(&t, "L0,sku:%s,%s,,,discount,,%s,%s\n", gen_skus[i], mq[k],
				   PICK(r, "10", "-5"), PICK(r, "list", "cost"));
			else
				CB(&t, "L0,sku:%s,%s,%s,,fixed,%s,,\n", gen_skus[i], mq[k],
				   rn(r, 10) == 0 ? "2026-06-10" : "", gen_money(r, b1, sizeof b1, 20000));
		}
		for (j = 1; j < 4; j++)
			if (rn(r, 3) == 0)
				CB(&t, "L%d,sku:%s,%s,,,fixed,%s,,\n", j, gen_skus[i], PICK(r, "0", "3"),
				   gen_money(r, b1, sizeof b1, 20000));
	}
	if (rn(r, 2))
		CB(&t, "L1,category:a,0,,,fixed,2.34,,\n");
	if (rn(r, 2))
		CB(&t, "L2,all,0,,,fixed,1.23,,\n");
	feed(bb, c, B2B_TABLE_PRICE_LIST_ITEMS, t.s);
	t.n = 0;
	CB(&t, "id,customer,currency,valid_from,valid_until,policy,allow_promotions\n");
	for (i = 0; i < 3; i++)
		CB(&t, "K%d,C%u,,%s,,%s,%s\n", i, rn(r, NGEN_CUST), PICK(r, "", "", "", "2026-07-01"),
		   PICK(r, "override", "best"), PICK(r, "0", "1"));
	feed(bb, c, B2B_TABLE_CONTRACTS, t.s);
	t.n = 0;
	CB(&t, "contract,scope,min_qty,price,discount_percent\n");
	for (i = 0; i < 3; i++) {
		for (j = 0; j < NGEN_SKUS; j++) {
			if (rn(r, 3) != 0)
				continue;
			if (rn(r, 4) == 0)
				CB(&t, "K%d,sku:%s,0,,%s\n", i, gen_skus[j], PICK(r, "5", "12.5", "-10"));
			else
				CB(&t, "K%d,sku:%s,0,%s,\n", i, gen_skus[j], gen_money(r, b1, sizeof b1, 20000));
			if (rn(r, 3) == 0)
				CB(&t, "K%d,sku:%s,4,%s,\n", i, gen_skus[j], gen_money(r, b1, sizeof b1, 20000));
		}
		if (rn(r, 6) == 0)
			CB(&t, "K%d,category:d,0,,3\n", i);
	}
	feed(bb, c, B2B_TABLE_CONTRACT_ITEMS, t.s);
	t.n = 0;
	CB(&t, "id,scope,signal,priority,markup_percent\n");
	if (rn(r, 3) == 0)
		CB(&t, "R0,%s,cost_plus,0,25\n", PICK(r, "category:a/b", "sku:B", "all"));
	feed(bb, c, B2B_TABLE_DYNAMIC_RULES, t.s);
	t.n = 0;
	CB(&t, "id,kind,value,scope,segment,code,valid_from,valid_until,priority,stacking\n");
	if (rn(r, 3) == 0)
		CB(&t, "P0,percent,10,%s,,,,,0,stackable\n", PICK(r, "category:d", "sku:C", "all"));
	if (rn(r, 3) == 0)
		CB(&t, "P1,percent,20,all,,X1,,,0,stackable\n");
	feed(bb, c, B2B_TABLE_PROMOTIONS, t.s);
	rc = b2b_book_builder_finish(&bk, c, bb);
	if (rc != 0)
		print_diags(c);
	ck_assert_int_eq(rc, 0);
	b2b_book_builder_free(bb);
	b2b_ctx_free(c);
	return bk;
}

/*
 * The pricer's scope_matches() (the product's category path read once a
 * line) answers as b2b__scope_matches() for every category node as a
 * scope, `all`, and sku scopes, on products at every depth from 0 (no
 * category) to 20, beyond the path the pricer keeps (15).
 */
START_TEST(test_scope_matches_path)
{
	static csvbuf t;
	b2b_book_builder *bb;
	b2b_book *bk = NULL;
	b2b_ctx *c;
	char path[256];
	int i, d, n = 0;
	uint32_t pr, node, checked = 0, matched = 0;

	ck_assert_int_eq(b2b_ctx_new(&c, NULL), 0);
	ck_assert_int_eq(b2b_book_builder_new(&bb, NULL, NULL), 0);
	t.n = 0;
	CB(&t, "key,value\nbase_currency,EUR\n");
	feed(bb, c, B2B_TABLE_SETTINGS, t.s);
	t.n = 0;
	CB(&t, "sku,list_price,category\nP0,1,\n");
	for (i = 0; i < 2; i++) {
		path[0] = '\0';
		n = 0;
		for (d = 1; d <= 20; d++) {
			n += snprintf(path + n, sizeof path - (size_t)n, "%s%c%d", d > 1 ? "/" : "",
			              i ? 'y' : 'x', d);
			CB(&t, "P%d_%d,1,%s\n", i, d, path);
		}
	}
	feed(bb, c, B2B_TABLE_PRODUCTS, t.s);
	ck_assert_int_eq(b2b_book_builder_finish(&bk, c, bb), 0);
	b2b_book_builder_free(bb);
	ck_assert_uint_ge(bk->ncategories, 40);
	for (pr = 0; pr < bk->nproducts; pr++) {
		b2b__line_in in;
		pricer p;
		b2b__scope sc;

		memset(&in, 0, sizeof in);
		memset(&p, 0, sizeof p);
		in.product = pr;
		p.b = bk;
		p.in = &in;
		p.prod = &bk->products[pr];
		p.nchain = -1;
		memset(&sc, 0, sizeof sc);
		for (node = 0; node <= bk->ncategories; node++) {
			sc.kind = B2B__SCOPE_CATEGORY;
			sc.id = node;   /* ncategories: no such node */
			ck_assert_int_eq(scope_matches(&p, &sc), b2b__scope_matches(bk, &sc, pr));
			matched += (uint32_t)scope_matches(&p, &sc);
			checked++;
		}
		sc.kind = B2B__SCOPE_ALL;
		sc.id = 0;
		ck_assert_int_eq(scope_matches(&p, &sc), 1);
		sc.kind = B2B__SCOPE_SKU;
		sc.id = pr;
		ck_assert_int_eq(scope_matches(&p, &sc), 1);
		sc.id = pr + 1;
		ck_assert_int_eq(scope_matches(&p, &sc), 0);
	}
	/* a product at depth d is in the scope of its d ancestors: 2 × (1 + … + 20) */
	ck_assert_uint_eq(matched, 420);
	ck_assert_uint_gt(checked, 1000);
	b2b_book_unref(bk);
	b2b_ctx_free(c);
}
END_TEST

/*
 * b2b_price_batch()'s fast path (the book's plan) gives what
 * b2b__price_line() gives, trace on and off, line by line and in one
 * call: every customer × sku × quantity of 300 random books at three
 * as_of; and it does price a good share of them (else this tests
 * nothing). A traced line started from the plan's preset (as quote
 * lines are) has the same figures and waterfall as one priced the
 * general way.
 */
START_TEST(test_batch_plan)
{
	static const char *const qtys[] = { "1", "2.5", "3", "4.999", "5", "9", "10", "50",
	                                     "1000", "0.001" };
	static const char *const dates[] = { "2026-06-01", "2026-06-15", "2026-07-02" };
	enum { NQ = sizeof qtys / sizeof qtys[0], NL = NGEN_CUST * NGEN_SKUS * NQ };
	uint32_t bc[NL], bp[NL];
	b2b_dec bq[NL], bu[NL];
	int bpb[NL], bi, di;
	size_t nfast = 0, nlines = 0, npreset = 0, npre_list = 0, npre_contract = 0;
	size_t nsku_groups = 0;
	b2b__line_preset pre;

	for (bi = 0; bi < 300; bi++) {
		rng r = { 77000 + (uint64_t)bi };

		b2b_book_unref(book);
		book = gen_plan_book(&r);
		ck_assert_ptr_nonnull(book->plan);
		/* the plan's memory is reported, and counted in the book's */
		ck_assert_uint_eq(b2b_book_memory_of(book, B2B_BOOK_MEMORY_PLAN), book->plan->bytes);
		ck_assert_uint_gt(book->plan->bytes, 0);
		ck_assert_uint_lt(book->plan->bytes, b2b_book_memory(book));
		/* a list's groups for a product: the sku: group read from the
		 * plan's cells is the one the item index finds */
		{
			b2b__plan *pl = book->plan;
			uint32_t l, pp;

			for (l = 0; l < book->nlists; l++) {
				for (pp = 0; pp < book->nproducts; pp++) {
					b2b__range g1[8], g2[8];
					size_t n1, n2, gi;

					n1 = b2b__book_items(book, l, pp, g1, 8);
					book->plan = NULL;
					n2 = b2b__book_items(book, l, pp, g2, 8);
					book->plan = pl;
					ck_assert_uint_eq(n1, n2);
					for (gi = 0; gi < n1; gi++) {
						ck_assert_uint_eq(g1[gi].off, g2[gi].off);
						ck_assert_uint_eq(g1[gi].n, g2[gi].n);
					}
					nsku_groups += n1 > 0 && book->items[g1[0].off].scope.kind ==
					                             B2B__SCOPE_SKU;
				}
			}
		}
		for (di = 0; di < 3; di++) {
			int64_t t0 = T(dates[di]);
			size_t m = 0, k;

			for (k = 0; k < NL; k++) {
				bc[m] = (uint32_t)(k / (NGEN_SKUS * NQ));
				bp[m] = (uint32_t)(k / NQ % NGEN_SKUS);
				bq[m] = D(qtys[k % NQ]);
				m++;
			}
			ck_assert_int_eq(b2b_price_batch(bu, bpb, NULL, book, bc, bp, bq, m, NULL,
			                                 TS(t0)), 0);
			for (k = 0; k < m; k++) {
				const b2b__customer *cu = &book->customers[bc[k]];
				b2b__line_in in;
				b2b__line_out o, ot;
				b2b_dec fast;
				int rc, want;

				memset(&in, 0, sizeof in);
				in.customer = bc[k];
				in.product = bp[k];
				in.qty = bq[k];
				in.as_of = t0;
				in.currency = cu->currency != UINT16_MAX ? cu->currency
				                                         : book->settings.base_currency;
				in.channel = cu->channel ? b2b__s(book, cu->channel) : NULL;
				in.channel_len = in.channel ? strlen(in.channel) : 0;
				rc = b2b__price_line(&o, NULL, book, &in);
				nlines++;
				if (b2b__batch_fast(&fast, book, bc[k], bp[k], bq[k], in.currency, t0)) {
					nfast++;
					ck_assert_msg(rc == 0 && o.problem == B2B__PROBLEM_NONE &&
					              same_dec(fast, o.unit_price),
					              "book %d line %zu: fast %s, line %s (rc %d problem %d)",
					              bi, k, F(fast), F(o.unit_price), rc, o.problem);
				}
				if (rc == B2B_EOVERFLOW) {
					ck_assert_int_eq(bpb[k], B2B_BATCH_OVERFLOW);
					continue;
				}
				ck_assert_int_eq(rc, 0);
				want = o.problem == B2B__PROBLEM_NONE ? B2B_BATCH_OK
				     : o.problem == B2B__PROBLEM_NO_FX_RATE ? B2B_BATCH_NO_FX_RATE
				     : B2B_BATCH_NEGATIVE_PRICE;
				ck_assert_msg(bpb[k] == want &&
				              (want != B2B_BATCH_OK || same_dec(bu[k], o.unit_price)),
				              "book %d line %zu: batch %d %s, line %d %s", bi, k, bpb[k],
				              F(bu[k]), want, F(o.unit_price));
				in.trace = 1;
				ck_assert_int_eq(b2b__price_line(&ot, ctx, book, &in), 0);
				ck_same_figures(&o, &ot, (uint64_t)bi, (int)k);
				/* a quote line started from the plan: the same figures
				 * and the same waterfall, step by step */
				if (o.problem == B2B__PROBLEM_NONE &&
				    b2b__plan_preset(&pre, book, bc[k], bp[k], bq[k], in.currency, t0)) {
					b2b__line_out op;
					size_t st;

					npreset++;
					npre_list += pre.list != B2B__NONE;
					npre_contract += pre.contract != B2B__NONE;
					in.preset = &pre;
					ck_assert_int_eq(b2b__price_line(&op, ctx, book, &in), 0);
					in.preset = NULL;
					ck_same_figures(&ot, &op, (uint64_t)bi, (int)k);
					ck_assert_uint_eq(op.nsteps, ot.nsteps);
					for (st = 0; st < ot.nsteps; st++) {
						const b2b__step *x = &ot.steps[st], *y = &op.steps[st];

						ck_assert_msg(x->step == y->step && x->rec == y->rec &&
						              strcmp(x->source, y->source) == 0 &&
						              same_dec(x->before, y->before) &&
						              same_dec(x->after, y->after),
						              "book %d line %zu step %zu: %s vs %s", bi, k, st,
						              x->source, y->source);
					}
				}
				b2b_ctx_reset(ctx);
			}
		}
	}
	/* the fast path takes a good share, and the general one the rest */
	ck_assert_msg(nfast * 8 > nlines && nfast < nlines, "fast %zu of %zu", nfast, nlines);
	/* presets: at least every line the fast path prices, with list and
	 * contract steps among them */
	ck_assert_uint_ge(npreset, nfast);
	ck_assert_uint_gt(npre_list, 1000);
	ck_assert_uint_gt(npre_contract, 1000);
	ck_assert_uint_gt(npreset - npre_list, 100);
	ck_assert_uint_gt(nsku_groups, 1000);
}
END_TEST

/*===========================================================================
 * The points curve's interpolation: 64-bit fast path against the accumulator
 *===========================================================================*/

static uint64_t
lerp_rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717u;
}

/* Factors, fractions in [0, 1], round numbers (ties), ±2^63 edges, 128-bit values. */
static b2b_dec
lerp_dec(uint64_t *s)
{
	uint64_t u = lerp_rnd(s), k = lerp_rnd(s) % 7, sh = lerp_rnd(s);
	b2b__i128 c;

	switch (k) {
	case 0:
		c = (int64_t)u >> (sh % 64);
		break;
	case 1:
		c = (b2b__i128)(u % 1000000001u);
		break;
	case 2:
		c = (b2b__i128)(u % 100000) * (b2b__i128)b2b__pow10_u64[sh % 10];
		break;
	case 3:
		c = (b2b__i128)(u % 1000) * 1000000 + 500000;
		break;
	case 4:
		c = (b2b__i128)INT64_MAX - (b2b__i128)(u % 3);
		break;
	case 5:
		c = ((b2b__i128)1 << 63) + (b2b__i128)(u % 2);
		break;
	default:
		c = (b2b__i128)(int64_t)u * ((b2b__i128)1 << (sh % 50));
		break;
	}
	if ((sh >> 40) & 1)
		c = -c;
	return b2b__dec_from_i128(c);
}

START_TEST(test_lerp_fast_matches_accumulator)
{
	uint64_t seed = 0x5eed0004u;
	long fast = 0;
	int i, mode;

	for (i = 0; i < 60000; i++) {
		b2b_dec f0 = lerp_dec(&seed), df = lerp_dec(&seed), t = lerp_dec(&seed);

		for (mode = 0; mode <= 6; mode++) {
			b2b_dec v1 = { 0x1234, 0x5678 }, v2 = v1;
			b2b__wide acc;
			int rc1, rc2;

			rc1 = b2b__wide_lerp9_fast(&v1, f0, df, t, (b2b_rounding)mode);
			memset(&acc, 0, sizeof acc);
			rc2 = b2b__wide_add_prod(&acc, f0, b2b__dec_from_int(1));
			if (rc2 == 0)
				rc2 = b2b__wide_add_prod(&acc, df, t);
			if (rc2 == 0)
				rc2 = b2b__wide_div(&v2, &acc, b2b__dec_from_int(1), (b2b_rounding)mode);
			if (rc1 != 0)
				continue;   /* not taken: points_factor uses the accumulator */
			fast++;
			if (rc2 != 0 || v1.lo != v2.lo || v1.hi != v2.hi)
				ck_abort_msg("lerp case %d mode %d: fast %llx:%llx, accumulator %d %llx:%llx",
				             i, mode, (unsigned long long)v1.hi, (unsigned long long)v1.lo,
				             rc2, (unsigned long long)v2.hi, (unsigned long long)v2.lo);
		}
		/* the fast path declines only when an operand or the quotient is too wide */
		if (b2b__dec_fits64(f0) && b2b__dec_fits64(df) && b2b__dec_fits64(t) &&
		    b2b__dec_mag64(df) < ((uint64_t)1 << 40) && b2b__dec_mag64(t) < ((uint64_t)1 << 40) &&
		    b2b__dec_mag64(f0) < ((uint64_t)1 << 62)) {
			b2b_dec v;

			if (b2b__wide_lerp9_fast(&v, f0, df, t, B2B_ROUND_HALF_EVEN) != 0)
				ck_abort_msg("lerp case %d: fast path not taken", i);
		}
	}
	ck_assert_int_gt(fast, 60000 * 7 / 3);
}
END_TEST

/* A buy-x-get-y line's r9(x × m ÷ Q): 64-bit fast path against the accumulator. */
START_TEST(test_muldiv_fast_matches_accumulator)
{
	uint64_t seed = 0x5eed0005u;
	long fast = 0;
	int i, mode;

	for (i = 0; i < 60000; i++) {
		b2b_dec x = lerp_dec(&seed), m = lerp_dec(&seed), d = lerp_dec(&seed);

		if (i % 3 == 0)   /* whole quantities */
			d = b2b__dec_from_int((int64_t)(lerp_rnd(&seed) % 1000));
		for (mode = 0; mode <= 6; mode++) {
			b2b_dec v1 = { 0x1234, 0x5678 }, v2 = v1;
			b2b__wide acc;
			int rc1, rc2;

			rc1 = b2b__wide_muldiv9_fast(&v1, x, m, d, (b2b_rounding)mode);
			memset(&acc, 0, sizeof acc);
			rc2 = b2b__wide_add_prod(&acc, x, m);
			if (rc2 == 0)
				rc2 = b2b__wide_div(&v2, &acc, d, (b2b_rounding)mode);
			if (rc1 != 0)
				continue;   /* not taken: promo_value uses the accumulator */
			fast++;
			if (rc2 != 0 || v1.lo != v2.lo || v1.hi != v2.hi)
				ck_abort_msg("muldiv case %d mode %d: fast %llx:%llx, accumulator %d %llx:%llx",
				             i, mode, (unsigned long long)v1.hi, (unsigned long long)v1.lo,
				             rc2, (unsigned long long)v2.hi, (unsigned long long)v2.lo);
		}
	}
	ck_assert_int_gt(fast, 60000 * 7 / 5);
}
END_TEST

static Suite *
price_suite(void)
{
	Suite *s = suite_create("price");
	TCase *fx = tcase_create("FX"), *tc;

	tc = tcase_create("Fast paths");
	tcase_add_test(tc, test_lerp_fast_matches_accumulator);
	tcase_add_test(tc, test_muldiv_fast_matches_accumulator);
	suite_add_tcase(s, tc);

	tcase_add_checked_fixture(fx, setup, teardown);
	tcase_add_test(fx, test_list_only);
	tcase_add_test(fx, test_fx_direct);
	tcase_add_test(fx, test_fx_inverse);
	tcase_add_test(fx, test_fx_inverse_rounding_mode);
	tcase_add_test(fx, test_fx_latest_valid_from);
	tcase_add_test(fx, test_fx_direct_before_inverse);
	tcase_add_test(fx, test_no_fx_rate);
	tcase_add_test(fx, test_fx_converts_cost_competitor_prev);
	tcase_add_test(fx, test_fx_promotion_amount_converted);
	tcase_add_test(fx, test_fx_promotion_no_rate);
	suite_add_tcase(s, fx);

	tc = tcase_create("Lists");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_list_candidate_groups);
	tcase_add_test(tc, test_list_priority_then_id);
	tcase_add_test(tc, test_list_each_candidate_once);
	tcase_add_test(tc, test_list_each_candidate_once_customer_channel);
	tcase_add_test(tc, test_list_not_counting_skipped_with_chain);
	tcase_add_test(tc, test_list_parent_fallback);
	tcase_add_test(tc, test_list_none_gives_L);
	tcase_add_test(tc, test_scope_most_specific);
	tcase_add_test(tc, test_scope_needs_min_qty);
	tcase_add_test(tc, test_scope_category_segments);
	tcase_add_test(tc, test_base_cost_needs_cost);
	tcase_add_test(tc, test_item_window);
	tcase_add_test(tc, test_compute_fixed_discount);
	tcase_add_test(tc, test_formula_steps);
	tcase_add_test(tc, test_formula_round_to_mode);
	tcase_add_test(tc, test_base_list_id);
	tcase_add_test(tc, test_base_parent);
	tcase_add_test(tc, test_all_units);
	tcase_add_test(tc, test_incremental);
	tcase_add_test(tc, test_incremental_lowest_break_from_zero);
	tcase_add_test(tc, test_incremental_wide_sum);
	tcase_add_test(tc, test_long_source);
	tcase_add_test(tc, test_block);
	tcase_add_test(tc, test_negative_surcharge);
	tcase_add_test(tc, test_negative_incremental_break);
	tcase_add_test(tc, test_negative_base);
	suite_add_tcase(s, tc);

	tc = tcase_create("Contracts");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_contract_override);
	tcase_add_test(tc, test_contract_best);
	tcase_add_test(tc, test_contract_discount_on_L);
	tcase_add_test(tc, test_contract_most_specific);
	tcase_add_test(tc, test_contract_tie);
	tcase_add_test(tc, test_contract_min_qty);
	tcase_add_test(tc, test_contract_not_counting);
	tcase_add_test(tc, test_contract_protection);
	suite_add_tcase(s, tc);

	tc = tcase_create("Dynamic");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_dyn_stock_days);
	tcase_add_test(tc, test_dyn_r9_each_step);
	tcase_add_test(tc, test_dyn_passed_over);
	tcase_add_test(tc, test_dyn_cost_plus_competitor);
	tcase_add_test(tc, test_dyn_guardrails);
	tcase_add_test(tc, test_dyn_order_and_window);
	tcase_add_test(tc, test_dyn_negative);
	suite_add_tcase(s, tc);

	tc = tcase_create("Promotions");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_promo_kinds);
	tcase_add_test(tc, test_promo_buy_x_get_y);
	tcase_add_test(tc, test_promo_codes);
	tcase_add_test(tc, test_promo_segment_window);
	tcase_add_test(tc, test_promo_stackable_walk);
	tcase_add_test(tc, test_promo_exclusive);
	tcase_add_test(tc, test_promo_strictly_lowers);
	tcase_add_test(tc, test_promo_cap);
	suite_add_tcase(s, tc);

	tc = tcase_create("Final");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_requested);
	tcase_add_test(tc, test_requested_negative);
	tcase_add_test(tc, test_floor);
	tcase_add_test(tc, test_rounding_modes);
	tcase_add_test(tc, test_rounding_decimals);
	tcase_add_test(tc, test_waterfall_every_step);
	tcase_add_test(tc, test_trace_levels);
	tcase_add_test(tc, test_public_jpy_bhd);
	tcase_add_test(tc, test_public_waterfall_candidates);
	suite_add_tcase(s, tc);

	tc = tcase_create("Errors");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_batch);
	tcase_add_test(tc, test_batch_problem_names);
	tcase_add_test(tc, test_price_line_einval);
	tcase_add_test(tc, test_price_line_overflow);
	tcase_add_test(tc, test_base_nesting);
	tcase_add_test(tc, test_price_line_nomem);
	suite_add_tcase(s, tc);

	tc = tcase_create("Properties");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 240);
	tcase_add_test(tc, test_properties);
	tcase_add_test(tc, test_batch_plan);
	tcase_add_test(tc, test_scope_matches_path);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return b2b_test_run(price_suite());
}
