/*
 * b2b — the seeded synthetic book generator (synth.h). Deterministic:
 * every value is a pure function of (seed, row), through splitmix64, so
 * the same arguments always write the same bytes on any machine.
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "synth.h"

const char *const synth_files[] = {
	"settings.csv", "currencies.csv", "fx_rates.csv", "products.csv", "customers.csv",
	"price_lists.csv", "price_list_items.csv", "contracts.csv", "contract_items.csv",
	"dynamic_rules.csv", "promotions.csv", "taxes.csv", "approval_rules.csv", NULL,
};

/*===========================================================================
 * MARK: - deterministic values
 *===========================================================================*/

static uint64_t
mix(uint64_t x)
{
	x += UINT64_C(0x9e3779b97f4a7c15);
	x = (x ^ (x >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	x = (x ^ (x >> 27)) * UINT64_C(0x94d049bb133111eb);
	return x ^ (x >> 31);
}

/* A pseudo-random value for (row, field), uniform in [0, n). */
typedef struct gen {
	uint64_t seed;
	size_t np, nc, nk;          /* products, customers, contracts */
	size_t per;                 /* items per contract */
	size_t nki;                 /* contract items */
	uint64_t stride;            /* sku scramble: coprime with np */
	int full;
} gen;

static uint64_t
rnd(const gen *g, uint64_t row, uint64_t field, uint64_t n)
{
	return mix(g->seed ^ mix(row * 64 + field)) % (n == 0 ? 1 : n);
}

static uint64_t
gcd(uint64_t a, uint64_t b)
{
	while (b != 0) {
		uint64_t t = a % b;
		a = b;
		b = t;
	}
	return a;
}

/*===========================================================================
 * MARK: - buffered output
 *===========================================================================*/

typedef struct out {
	FILE *f;
	char path[4096];
	int err;
	size_t len;
	char buf[1 << 16];
} out;

static int
o_open(out *o, const char *dir, const char *name)
{
	o->len = 0;
	o->err = 0;
	snprintf(o->path, sizeof o->path, "%s/%s", dir, name);
	o->f = fopen(o->path, "wb");
	if (o->f == NULL) {
		fprintf(stderr, "b2b: %s: %s\n", o->path, strerror(errno));
		return -1;
	}
	return 0;
}

static void
o_flush(out *o)
{
	if (o->len > 0 && fwrite(o->buf, 1, o->len, o->f) != o->len)
		o->err = 1;
	o->len = 0;
}

static void
o_put(out *o, const char *s, size_t n)
{
	if (o->len + n > sizeof o->buf)
		o_flush(o);
	memcpy(o->buf + o->len, s, n);
	o->len += n;
}

static void
o_str(out *o, const char *s)
{
	o_put(o, s, strlen(s));
}

static void
o_u64(out *o, uint64_t v)
{
	char b[24], *p = b + sizeof b;

	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	o_put(o, p, (size_t)(b + sizeof b - p));
}

/* `prefix` followed by v zero-padded to `width` digits. */
static void
o_id(out *o, const char *prefix, uint64_t v, int width)
{
	char b[24];
	int i;

	o_str(o, prefix);
	for (i = width - 1; i >= 0; i--) {
		b[i] = (char)('0' + v % 10);
		v /= 10;
	}
	o_put(o, b, (size_t)width);
}

/* An amount of hundredths: 1234 → "12.34". */
static void
o_cents(out *o, uint64_t c)
{
	char b[4];

	o_u64(o, c / 100);
	b[0] = '.';
	b[1] = (char)('0' + c / 10 % 10);
	b[2] = (char)('0' + c % 10);
	o_put(o, b, 3);
}

/* Tenths: 125 → "12.5". */
static void
o_tenths(out *o, uint64_t t)
{
	char b[2];

	o_u64(o, t / 10);
	b[0] = '.';
	b[1] = (char)('0' + t % 10);
	o_put(o, b, 2);
}

static int
o_close(out *o)
{
	o_flush(o);
	if (fclose(o->f) != 0)
		o->err = 1;
	if (o->err) {
		fprintf(stderr, "b2b: %s: write error\n", o->path);
		return -1;
	}
	return 0;
}

/*===========================================================================
 * MARK: - rows
 *===========================================================================*/

static const char *const segments[] = { "wholesale", "retail", "distributor", "key_account" };
static const char *const channels[] = { "web", "edi", "sales" };

/* Product i's sku number: a scrambled permutation of [0, np). */
static uint64_t
sku_no(const gen *g, size_t i)
{
	return (i * g->stride + 7919) % g->np;
}

static void
o_sku(out *o, const gen *g, size_t i)
{
	o_id(o, "SKU", sku_no(g, i), 8);
}

static uint64_t
list_cents(const gen *g, size_t i)
{
	return 100 + rnd(g, i, 1, 99900);
}

static void
o_category(out *o, const gen *g, size_t i)
{
	uint64_t leaf = rnd(g, i, 2, 1000);

	o_id(o, "dept", leaf / 100, 2);
	o_id(o, "/group", leaf / 10 % 10, 2);
	o_id(o, "/class", leaf % 10, 2);
}

static int
w_settings(const char *dir, const gen *g)
{
	out o;

	if (o_open(&o, dir, "settings.csv") < 0)
		return -1;
	o_str(&o, "key,value\nbase_currency,EUR\n");
	if (g->full)
		o_str(&o, "rounding_mode,half_up\nunit_price_decimals,4\ntax_rounding,line\n"
		          "max_discount_percent,50\nmin_margin_percent,5\nprice_tolerance,0.01\n"
		          "quote_validity_days,30\n");
	return o_close(&o);
}

static int
w_small_tables(const char *dir, const gen *g)
{
	out o;

	if (!g->full)
		return 0;
	if (o_open(&o, dir, "currencies.csv") < 0)
		return -1;
	o_str(&o, "code,minor_units,cash_increment\r\nCHF,2,0.05\r\nEUR,2,\r\n");
	if (o_close(&o) < 0 || o_open(&o, dir, "fx_rates.csv") < 0)
		return -1;
	o_str(&o, "from,to,rate,valid_from\n"
	          "EUR,USD,1.08,\n"
	          "EUR,USD,1.1,2026-04-01\n"
	          "GBP,EUR,1.17,\n"
	          "EUR,CHF,0.95,2026-01-01T00:00:00Z\n");
	if (o_close(&o) < 0 || o_open(&o, dir, "dynamic_rules.csv") < 0)
		return -1;
	o_str(&o, "id,scope,signal,priority,valid_from,valid_until,points,markup_percent,"
	          "offset_percent,min_factor,max_factor,max_change_percent,price_step\n"
	          "LOWSTOCK,all,stock_days,10,,,0:1.15;7:1.05;30:1;90:0.95,,,0.9,1.2,,0.01\n"
	          "DEMAND,category:dept01,demand_ratio,5,,,0.5:0.95;1:1;2:1.1,,,,,10,\n"
	          "COSTPLUS,category:dept02/group03,cost_plus,7,2026-01-01,,,35,,,,,\n"
	          "COMPETE,category:dept05,competitor,3,,,,,-2,0.85,,,\n");
	if (o_close(&o) < 0 || o_open(&o, dir, "promotions.csv") < 0)
		return -1;
	o_str(&o, "id,kind,value,scope,segment,code,valid_from,valid_until,priority,stacking,"
	          "buy_qty,get_qty,min_subtotal\n"
	          "SPRING,percent,5,category:dept00,,,2026-03-01,2026-06-01,5,stackable,,,\n"
	          "CLEAR,amount,2,category:dept09/group09,,,,,4,stackable,,,\n"
	          "FIXED1,fixed_price,");
	o_cents(&o, list_cents(g, 0) * 70 / 100);
	o_str(&o, ",sku:");
	o_sku(&o, g, 0);
	o_str(&o, ",,,,,8,exclusive,,,\n"
	          "B3G1,buy_x_get_y,,category:dept07,,,,,6,stackable,3,1,\n"
	          "COUPON10,percent,10,,retail,SAVE10,,,9,exclusive,,,\n"
	          "ORDER5,order_percent,5,,,,,,2,stackable,,,1000\n"
	          "ORDER50,order_amount,50,,,BIG50,,,1,stackable,,,5000\n");
	if (o_close(&o) < 0 || o_open(&o, dir, "taxes.csv") < 0)
		return -1;
	o_str(&o, "tax_class,region,rate_percent\n"
	          "std,DE,19\nstd,*,20\nreduced,DE,7\nreduced,*,5\n");
	if (o_close(&o) < 0 || o_open(&o, dir, "approval_rules.csv") < 0)
		return -1;
	o_str(&o, "id,metric,threshold,level\n"
	          "DISC20,line_discount_percent,20,1\n"
	          "QDISC,quote_discount_percent,15,2\n"
	          "MARGIN,quote_margin_percent_below,10,2\n"
	          "BIG,quote_total_above,100000,3\n");
	return o_close(&o);
}

static int
w_products(const char *dir, const gen *g)
{
	out o;
	size_t i;

	if (o_open(&o, dir, "products.csv") < 0)
		return -1;
	if (!g->full)
		o_str(&o, "sku,name,category,list_price\n");
	else
		o_str(&o, "sku,name,category,uom,currency,list_price,cost,pack_size,min_qty,"
		          "max_qty,status,tax_class,on_hand,daily_demand,baseline_demand,"
		          "competitor_price,prev_price\n");
	for (i = 0; i < g->np; i++) {
		uint64_t lc = list_cents(g, i);

		o_sku(&o, g, i);
		if (g->full) {
			o_str(&o, ",\"Widget ");
			o_u64(&o, sku_no(g, i));
			o_str(&o, ", size ");
			o_u64(&o, rnd(g, i, 3, 40) + 1);
			o_str(&o, "\",");
		} else {
			o_str(&o, ",Product ");
			o_u64(&o, sku_no(g, i));
			o_str(&o, ",");
		}
		o_category(&o, g, i);
		o_str(&o, ",");
		if (!g->full) {
			o_cents(&o, lc);
			o_str(&o, "\n");
			continue;
		}
		o_str(&o, rnd(g, i, 4, 4) == 0 ? "box," : "pc,");
		o_str(&o, rnd(g, i, 5, 100) == 0 ? "USD," : ",");
		o_cents(&o, lc);
		o_str(&o, ",");
		o_cents(&o, lc * (55 + rnd(g, i, 6, 26)) / 100);          /* cost */
		o_str(&o, ",");
		if (rnd(g, i, 7, 10) == 0)
			o_str(&o, rnd(g, i, 8, 2) ? "6" : "12");          /* pack_size */
		o_str(&o, ",,");                                          /* min_qty */
		if (rnd(g, i, 9, 20) == 0)
			o_str(&o, "10000");                                /* max_qty */
		o_str(&o, rnd(g, i, 10, 100) == 0 ? ",inactive," : ",,");
		o_str(&o, rnd(g, i, 11, 10) == 0 ? "reduced," : "std,");
		o_u64(&o, rnd(g, i, 12, 2001));                            /* on_hand */
		o_str(&o, ",");
		o_tenths(&o, 1 + rnd(g, i, 13, 500));                      /* daily_demand */
		o_str(&o, ",");
		o_tenths(&o, 1 + rnd(g, i, 14, 500));                      /* baseline_demand */
		o_str(&o, ",");
		if (rnd(g, i, 15, 2) == 0)
			o_cents(&o, lc * (90 + rnd(g, i, 16, 21)) / 100);  /* competitor_price */
		o_str(&o, ",");
		o_cents(&o, lc);                                           /* prev_price */
		o_str(&o, "\n");
	}
	return o_close(&o);
}

static int
w_customers(const char *dir, const gen *g)
{
	out o;
	size_t k;

	if (o_open(&o, dir, "customers.csv") < 0)
		return -1;
	if (!g->full)
		o_str(&o, "id,name,segment,channel\n");
	else
		o_str(&o, "id,name,segment,channel,currency,price_lists,catalog,credit_limit,"
		          "open_balance,payment_terms,regions,min_order_value,budget\n");
	for (k = 0; k < g->nc; k++) {
		uint64_t seg = rnd(g, k, 20, 4);

		o_id(&o, "C", k, 6);
		o_id(&o, ",Customer ", k, 6);
		o_str(&o, ",");
		o_str(&o, segments[seg]);
		o_str(&o, ",");
		o_str(&o, channels[rnd(g, k, 21, 3)]);
		if (!g->full) {
			o_str(&o, "\n");
			continue;
		}
		o_str(&o, rnd(g, k, 22, 20) == 0 ? ",USD," : ",,");
		if (seg == 3)
			o_str(&o, rnd(g, k, 23, 2) ? "KEY;WHOLESALE" : "KEY");
		o_str(&o, ",");
		if (rnd(g, k, 24, 50) == 0) {
			o_str(&o, "category:dept00;category:dept01/group02;sku:");
			o_sku(&o, g, 0);
		}
		o_str(&o, ",");
		o_cents(&o, (1 + rnd(g, k, 25, 100)) * 100000);      /* credit_limit */
		o_str(&o, ",");
		o_cents(&o, rnd(g, k, 26, 5000000));                  /* open_balance */
		o_str(&o, rnd(g, k, 27, 3) == 0 ? ",prepay" : ",prepay;net30");
		o_str(&o, rnd(g, k, 28, 5) == 0 ? ",DE;FR;NL," : ",,");
		if (rnd(g, k, 29, 4) == 0)
			o_str(&o, "100");                             /* min_order_value */
		o_str(&o, ",");
		if (rnd(g, k, 30, 10) == 0)
			o_cents(&o, 5000000);                         /* budget */
		o_str(&o, "\n");
	}
	return o_close(&o);
}

static int
w_lists(const char *dir, const gen *g)
{
	out o;
	size_t i;
	int k, d;

	if (o_open(&o, dir, "price_lists.csv") < 0)
		return -1;
	if (!g->full) {
		o_str(&o, "id,priority,applies_to,tier_mode\nDEFAULT,0,default,all_units\n");
	} else {
		o_str(&o, "id,currency,priority,valid_from,valid_until,parent,applies_to,tier_mode\n"
		          "DEFAULT,,0,,,,default,all_units\n"
		          "KEY,EUR,0,,,,,all_units\n"
		          "SUMMER,,20,2026-06-01,2026-09-01,DEFAULT,segment:retail,all_units\n"
		          "USDLIST,USD,0,,,,default,all_units\n"
		          "WEB,,5,,,DEFAULT,channel:web,incremental\n"
		          "WHOLESALE,,10,,,DEFAULT,segment:wholesale;segment:distributor,all_units\n");
	}
	if (o_close(&o) < 0 || o_open(&o, dir, "price_list_items.csv") < 0)
		return -1;
	if (!g->full)
		o_str(&o, "list,scope,min_qty,compute,price\n");
	else
		o_str(&o, "list,scope,min_qty,valid_from,valid_until,compute,price,discount_percent,"
		          "base,surcharge,round_to,min_margin,max_margin\n");
	for (i = 0; i < g->np; i++) {
		static const unsigned breaks[5] = { 0, 10, 50, 100, 500 };
		uint64_t lc = list_cents(g, i);

		for (k = 0; k < 5; k++) {
			o_str(&o, "DEFAULT,sku:");
			o_sku(&o, g, i);
			o_str(&o, ",");
			o_u64(&o, breaks[k]);
			o_str(&o, g->full ? ",,,fixed," : ",fixed,");
			o_cents(&o, lc * (100 - 3 * (uint64_t)k) / 100);
			o_str(&o, g->full ? ",,,,,,\n" : "\n");
		}
	}
	if (g->full) {
		for (d = 0; d < 10; d++) {
			o_id(&o, "WHOLESALE,category:dept", (uint64_t)d, 2);
			o_str(&o, ",0,,,discount,,");
			o_u64(&o, 10 + (uint64_t)d % 5);
			o_str(&o, ",parent,,,,\n");
			o_id(&o, "WHOLESALE,category:dept", (uint64_t)d, 2);
			o_str(&o, ",100,,,discount,,");
			o_u64(&o, 15 + (uint64_t)d % 5);
			o_str(&o, ",parent,,,,\n");
			o_id(&o, "KEY,category:dept", (uint64_t)d, 2);
			o_str(&o, ",0,,,discount,,12,list,,,,\n");
		}
		for (i = 0; i < g->np && i < 100; i++) {
			o_str(&o, "KEY,sku:");
			o_sku(&o, g, i);
			o_str(&o, ",0,,,fixed,");
			o_cents(&o, list_cents(g, i) * 80 / 100);
			o_str(&o, ",,,,,,\n");
		}
		o_str(&o, "WEB,all,0,,,discount,,0,list,,,,\n"
		          "WEB,all,100,,,discount,,4,list,,,,\n"
		          "WEB,all,1000,,,discount,,8,list,,,,\n"
		          "SUMMER,category:dept03,0,,,formula,,5,list,0.10,0.05,,\n"
		          "SUMMER,category:dept04,0,,,formula,,-40,cost,,0.01,0.5,\n"
		          "SUMMER,category:dept06/group01,0,2026-07-01,,formula,,3,parent,,,-1,2\n"
		          "USDLIST,all,0,,,discount,,0,list,,,,\n");
	}
	return o_close(&o);
}

static int
w_contracts(const char *dir, const gen *g)
{
	out o;
	size_t c, j;

	if (g->nk == 0)
		return 0;
	if (o_open(&o, dir, "contracts.csv") < 0)
		return -1;
	o_str(&o, g->full ? "id,customer,currency,valid_from,valid_until,policy,allow_promotions\n"
	                  : "id,customer,policy\n");
	for (c = 0; c < g->nk; c++) {
		o_id(&o, "K", c, 6);
		o_id(&o, ",C", (uint64_t)c * g->nc / g->nk, 6);
		if (g->full) {
			o_str(&o, ",,");
			o_str(&o, c % 2 ? "2026-01-01,2027-01-01," : ",,");
			o_str(&o, c % 3 == 0 ? "best," : "override,");
			o_str(&o, c % 4 == 0 ? "1\n" : "0\n");
		} else {
			o_str(&o, ",override\n");
		}
	}
	if (o_close(&o) < 0 || o_open(&o, dir, "contract_items.csv") < 0)
		return -1;
	o_str(&o, g->full ? "contract,scope,min_qty,price,discount_percent\n"
	                  : "contract,scope,min_qty,price\n");
	for (c = 0; c < g->nk; c++) {
		size_t n = g->per;

		if (c == g->nk - 1)
			n = g->nki - c * g->per;    /* the last contract takes the rest */
		for (j = 0; j < n; j++) {
			size_t p = (c * g->per + j) % g->np;

			o_id(&o, "K", c, 6);
			o_str(&o, ",sku:");
			o_sku(&o, g, p);
			o_str(&o, ",0,");
			if (g->full && rnd(g, c * 1000 + j, 40, 5) == 0) {
				o_str(&o, ",12\n");
			} else {
				o_cents(&o, list_cents(g, p) * 85 / 100);
				o_str(&o, g->full ? ",\n" : "\n");
			}
		}
		if (g->full) {
			o_id(&o, "K", c, 6);
			o_id(&o, ",category:dept", c % 10, 2);
			o_str(&o, ",0,,5\n");
		}
	}
	return o_close(&o);
}

int
synth_write_book(const char *dir, const char *profile, uint64_t seed, size_t nproducts,
                 size_t ncustomers, size_t ncontract_items)
{
	gen g;
	size_t i;

	memset(&g, 0, sizeof g);
	if (strcmp(profile, "basic") == 0) {
		g.full = 0;
	} else if (strcmp(profile, "full") == 0) {
		g.full = 1;
	} else {
		fprintf(stderr, "b2b: unknown profile '%s' (basic or full)\n", profile);
		return -1;
	}
	if (nproducts == 0 || nproducts > 99999999 || ncustomers == 0 || ncustomers > 999999) {
		fprintf(stderr, "b2b: products must be 1..99999999, customers 1..999999\n");
		return -1;
	}
	g.seed = seed;
	g.np = nproducts;
	g.nc = ncustomers;
	g.nki = ncontract_items;
	/* contracts of 100 items, each on a distinct sku (at most one per product) */
	g.per = 100 < nproducts ? 100 : nproducts;
	g.nk = (ncontract_items + g.per - 1) / g.per;
	if (g.nk > 999999) {
		fprintf(stderr, "b2b: too many contract items\n");
		return -1;
	}
	for (g.stride = 1000003; gcd(g.stride, nproducts) != 1; g.stride += 2)
		;
	if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
		fprintf(stderr, "b2b: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	/* files of the other profile must not linger */
	for (i = 0; synth_files[i] != NULL; i++) {
		char path[4096];

		snprintf(path, sizeof path, "%s/%s", dir, synth_files[i]);
		remove(path);
	}
	if (w_settings(dir, &g) < 0 || w_small_tables(dir, &g) < 0 || w_products(dir, &g) < 0 ||
	    w_customers(dir, &g) < 0 || w_lists(dir, &g) < 0 || w_contracts(dir, &g) < 0)
		return -1;
	return 0;
}

/*===========================================================================
 * MARK: - the pricing workload (see synth.h)
 *===========================================================================*/

int
synth_workload_init(synth_workload *w, uint64_t seed, size_t nproducts, size_t ncustomers,
                    size_t ncontract_items)
{
	if (nproducts == 0 || nproducts > 99999999 || ncustomers == 0 || ncustomers > 999999) {
		fprintf(stderr, "b2b: products must be 1..99999999, customers 1..999999\n");
		return -1;
	}
	memset(w, 0, sizeof *w);
	w->seed = seed;
	w->np = nproducts;
	w->nc = ncustomers;
	w->nki = ncontract_items;
	/* as synth_write_book() lays the contracts out */
	w->per = 100 < nproducts ? 100 : nproducts;
	w->nk = (ncontract_items + w->per - 1) / w->per;
	for (w->stride = 1000003; gcd(w->stride, nproducts) != 1; w->stride += 2)
		;
	return 0;
}

void
synth_workload_line(const synth_workload *w, uint64_t i, char cust[8], char sku[12],
                    unsigned *qty)
{
	gen g;
	uint64_t c, p, q;

	memset(&g, 0, sizeof g);
	g.seed = w->seed ^ UINT64_C(0x5eed0f11e5);
	g.np = w->np;
	g.stride = w->stride;
	if (w->nk > 0 && rnd(&g, i, 1, 10) < 4) {
		/* a contract item of the contract's own customer */
		uint64_t k = rnd(&g, i, 2, w->nk), n = w->per;

		if (k == w->nk - 1)
			n = w->nki - k * w->per;
		p = (k * w->per + rnd(&g, i, 3, n)) % w->np;
		c = k * w->nc / w->nk;
	} else {
		p = rnd(&g, i, 4, w->np);
		c = rnd(&g, i, 5, w->nc);
	}
	snprintf(cust, 8, "C%06u", (unsigned)c);
	snprintf(sku, 12, "SKU%08u", (unsigned)sku_no(&g, (size_t)p));
	q = rnd(&g, i, 6, 100);
	if (q < 60)
		*qty = 1 + (unsigned)rnd(&g, i, 7, 12);
	else if (q < 85)
		*qty = 10 + (unsigned)rnd(&g, i, 7, 90);
	else
		*qty = 100 + (unsigned)rnd(&g, i, 7, 900);
}
