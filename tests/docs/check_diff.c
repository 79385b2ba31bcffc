/*
 * Tests: the book diff of SPEC §13 (b2b_book_diff).
 *
 * The fast path (only the probes the differing rows can reach are
 * priced) against the brute-force reference (every probe priced in both
 * books, b2b__book_diff with price_all): on random small books, for one
 * row changed, added or removed in each table, and for many rows at
 * once, the two results are the same — counts, categories, extremes and
 * every row. The random books carry volume agreements (SPEC §10: qty and
 * amount, discount and rebate, customer and segment parties) and customer
 * volumes, edited like the other tables. Then hand-computed cases on
 * small books, the options and the CSV writer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "b2b.h"
#include "diff_int.h"
#include "fuzz/book_spec.h"
#include "support/testmain.h"

#define REQUIRE(expr, ...)                                   \
	do {                                                 \
		if (!(expr))                                 \
			ck_abort_msg(__VA_ARGS__);           \
	} while (0)

/*===========================================================================
 * MARK: - random books
 *===========================================================================*/

enum {
	T_SETTINGS, T_FX, T_PRODUCTS, T_CUSTOMERS, T_LISTS, T_ITEMS, T_CONTRACTS, T_CITEMS,
	T_RULES, T_PROMOS, T_AGREEMENTS, T_CVOLUMES, NT
};

static const char *const tname[NT] = {
	"settings", "fx_rates", "products", "customers", "price_lists", "price_list_items",
	"contracts", "contract_items", "dynamic_rules", "promotions", "volume_agreements",
	"customer_volumes",
};
static const char *const theader[NT] = {
	"key,value",
	"from,to,rate,valid_from",
	"sku,category,currency,list_price,cost",
	"id,segment,channel,currency,price_lists",
	"id,currency,priority,valid_from,valid_until,parent,applies_to,tier_mode",
	"list,scope,min_qty,compute,price,discount_percent,valid_until",
	"id,customer,policy,allow_promotions",
	"contract,scope,min_qty,price,discount_percent",
	"id,scope,signal,markup_percent,valid_until",
	"id,kind,scope,buy_qty,get_qty,value,valid_until",
	"id,party,scope,basis,kind,tiers,currency,valid_from,valid_until",
	"customer,agreement,volume",
};

#define MAXR 64

typedef struct row {
	char key[96];
	char val[128];
} row;

typedef struct gbook {
	row r[NT][MAXR];
	int n[NT];
	int next_id;
} gbook;

static unsigned long long rng_state;

static unsigned
rnd(unsigned n)
{
	rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)((rng_state >> 33) % n);
}

static const char *const cats[] = { "a", "a/x", "a/y", "b", "b/z", "" };
static const char *const lists[] = { "L0", "L1", "L2", "L3" };

static int
find_key(const gbook *g, int t, const char *key)
{
	int i;

	for (i = 0; i < g->n[t]; i++)
		if (strcmp(g->r[t][i].key, key) == 0)
			return i;
	return -1;
}

/* The segment of customer `id` ("" when none), or NULL when there is no such customer. */
static const char *
cust_segment(const gbook *g, const char *id, size_t *len)
{
	int i = find_key(g, T_CUSTOMERS, id);

	if (i < 0)
		return NULL;
	*len = strcspn(g->r[T_CUSTOMERS][i].val, ",");
	return g->r[T_CUSTOMERS][i].val;
}

/* Does the party at the start of an agreement's values cover customer `id`? */
static int
party_covers(const gbook *g, const char *aval, const char *id)
{
	size_t plen = strcspn(aval, ","), slen;
	const char *seg = cust_segment(g, id, &slen);

	if (seg == NULL)
		return 0;
	if (strncmp(aval, "customer:", 9) == 0)
		return plen - 9 == strlen(id) && strncmp(aval + 9, id, plen - 9) == 0;
	return slen > 0 && plen - 8 == slen && strncmp(aval + 8, seg, slen) == 0;
}

/* Is agreement row i loadable in g: a customer party that exists, a segment some customer has? */
static int
agreement_ok(const gbook *g, int i)
{
	int c;

	for (c = 0; c < g->n[T_CUSTOMERS]; c++)
		if (party_covers(g, g->r[T_AGREEMENTS][i].val, g->r[T_CUSTOMERS][c].key))
			return 1;
	return 0;
}

/* Is customer volume row i loadable: its agreement loadable and covering its customer? */
static int
cvolume_ok(const gbook *g, int i)
{
	char cu[16];
	const char *key = g->r[T_CVOLUMES][i].key, *comma = strchr(key, ',');
	int a;

	if (comma == NULL || (size_t)(comma - key) >= sizeof cu)
		return 0;
	memcpy(cu, key, (size_t)(comma - key));
	cu[comma - key] = '\0';
	a = find_key(g, T_AGREEMENTS, comma + 1);
	return a >= 0 && agreement_ok(g, a) && party_covers(g, g->r[T_AGREEMENTS][a].val, cu);
}

static void
gen_scope(const gbook *g, char *out, size_t n, int allow_all)
{
	unsigned k = rnd(allow_all ? 10 : 9);

	if (k < 6 && g->n[T_PRODUCTS] > 0)
		snprintf(out, n, "sku:%s", g->r[T_PRODUCTS][rnd((unsigned)g->n[T_PRODUCTS])].key);
	else if (k < 9)
		snprintf(out, n, "category:%s", cats[rnd(5)]);
	else
		snprintf(out, n, "all");
}

static const char *
qty_pick(void)
{
	static const char *const q[] = { "0", "0", "5", "10", "2.5" };
	return q[rnd(5)];
}

static const char *const vol_qty[] = { "0", "1", "3", "4", "8", "11.5" };

/*
 * A volume agreement's values (SPEC §10): party, scope, basis, kind,
 * 1 to 3 ascending tiers, currency (amount only), window. A change keeps
 * the party half the time, so the customer volumes often stay valid.
 */
static void
gen_agreement(const gbook *g, row *r)
{
	static const char *const qty_thr[] = { "0", "2.5", "5", "10", "12", "20" };
	static const char *const amt_thr[] = { "0", "50", "100", "250", "1000", "4000" };
	char party[32], sc[48], tiers[96];
	int amount = rnd(3) == 0, k, lo = 0, n = 1 + (int)rnd(3);
	size_t len = 0;
	const char *comma = strchr(r->val, ',');

	if (comma != NULL && rnd(2) && (size_t)(comma - r->val) < sizeof party) {
		memcpy(party, r->val, (size_t)(comma - r->val));
		party[comma - r->val] = '\0';
	} else if (rnd(2) && g->n[T_CUSTOMERS] > 0) {
		snprintf(party, sizeof party, "customer:C%u", rnd((unsigned)g->n[T_CUSTOMERS]));
	} else {
		snprintf(party, sizeof party, "segment:%s", rnd(2) ? "s1" : "s2");
	}
	gen_scope(g, sc, sizeof sc, 1);
	tiers[0] = '\0';
	for (k = 0; k < n && lo < 6; k++) {
		int t = lo + (int)rnd((unsigned)(6 - lo));

		len += (size_t)snprintf(tiers + len, sizeof tiers - len, "%s%s:%u", k ? ";" : "",
		                        amount ? amt_thr[t] : qty_thr[t], rnd(31));
		lo = t + 1;
	}
	snprintf(r->val, sizeof r->val, "%s,%s,%s,%s,%s,%s,%s,%s", party, sc,
	         amount ? "amount" : "qty", rnd(3) == 0 ? "rebate" : "discount", tiers,
	         amount ? (rnd(3) == 0 ? "USD" : rnd(2) ? "EUR" : "") : "",
	         rnd(4) == 0 ? "2026-01-01" : "", rnd(6) == 0 ? "2026-03-01" : "");
}

/* A row's values (its key given). */
static void
gen_val(gbook *g, int t, row *r)
{
	char sc[48];

	switch (t) {
	case T_SETTINGS:
		if (strcmp(r->key, "unit_price_decimals") == 0)
			snprintf(r->val, sizeof r->val, "%u", 2 + rnd(3));
		else if (strcmp(r->key, "rounding_mode") == 0)
			snprintf(r->val, sizeof r->val, "%s", rnd(2) ? "half_up" : "half_even");
		else
			snprintf(r->val, sizeof r->val, "EUR");
		break;
	case T_FX:
		snprintf(r->val, sizeof r->val, "0.%u,", 80 + rnd(20));
		break;
	case T_PRODUCTS:
		if (rnd(3) == 0)
			snprintf(r->val, sizeof r->val, "%s,%s,%u.%02u,", cats[rnd(6)],
			         rnd(8) == 0 ? "USD" : "", 1 + rnd(80), rnd(100));
		else
			snprintf(r->val, sizeof r->val, "%s,%s,%u.%02u,%u.%u", cats[rnd(6)],
			         rnd(8) == 0 ? "USD" : "", 1 + rnd(80), rnd(100), 1 + rnd(20), rnd(10));
		break;
	case T_CUSTOMERS:
		snprintf(r->val, sizeof r->val, "%s,%s,%s,%s",
		         rnd(3) == 0 ? "" : rnd(2) ? "s1" : "s2", rnd(2) ? "web" : "sales",
		         rnd(8) == 0 ? "USD" : rnd(2) ? "EUR" : "", rnd(3) == 0 ? "L2" : "");
		break;
	case T_LISTS:
		/* id fixed; priority and window change */
		if (strcmp(r->key, "L0") == 0)
			snprintf(r->val, sizeof r->val, "EUR,%u,,%s,,default,all_units", rnd(3),
			         rnd(4) == 0 ? "2026-01-01" : "");
		else if (strcmp(r->key, "L1") == 0)
			snprintf(r->val, sizeof r->val, "EUR,%u,,,L0,segment:s1,incremental", 5 + rnd(3));
		else if (strcmp(r->key, "L2") == 0)
			snprintf(r->val, sizeof r->val, "EUR,%u,,,,,block", rnd(3));
		else
			snprintf(r->val, sizeof r->val, "USD,%u,,,,channel:web,all_units", rnd(3));
		break;
	case T_ITEMS:
		if (strncmp(r->key, "L2,", 3) == 0 || rnd(2))
			snprintf(r->val, sizeof r->val, "fixed,%u.%02u,,%s", 1 + rnd(60), rnd(100),
			         rnd(6) == 0 ? "2026-01-01" : "");
		else
			snprintf(r->val, sizeof r->val, "discount,,%u,%s", rnd(40),
			         rnd(6) == 0 ? "2026-01-01" : "");
		break;
	case T_CONTRACTS:
		snprintf(r->val, sizeof r->val, "C%u,%s,%u", rnd((unsigned)g->n[T_CUSTOMERS]),
		         rnd(2) ? "override" : "best", rnd(2));
		break;
	case T_CITEMS:
		if (rnd(2))
			snprintf(r->val, sizeof r->val, "%u.%02u,", 1 + rnd(60), rnd(100));
		else
			snprintf(r->val, sizeof r->val, ",%u", rnd(30));
		break;
	case T_RULES:
		gen_scope(g, sc, sizeof sc, 1);
		snprintf(r->val, sizeof r->val, "%s,cost_plus,%u,%s", sc, 10 + rnd(50),
		         rnd(4) == 0 ? "2026-01-01" : "");
		break;
	case T_PROMOS:
		gen_scope(g, sc, sizeof sc, 1);
		switch (rnd(4)) {
		case 0:
			snprintf(r->val, sizeof r->val, "buy_x_get_y,%s,%u,1,,", sc, 1 + rnd(4));
			break;
		case 1:
			snprintf(r->val, sizeof r->val, "order_percent,,,,%u,", 1 + rnd(9));
			break;
		default:
			snprintf(r->val, sizeof r->val, "percent,%s,,,%u,%s", sc, 1 + rnd(30),
			         rnd(4) == 0 ? "2026-01-01" : "");
			break;
		}
		break;
	case T_AGREEMENTS:
		gen_agreement(g, r);
		break;
	case T_CVOLUMES:
		/* "C3,VA7": the agreement's basis decides the unit */
		{
			int a = find_key(g, T_AGREEMENTS, strchr(r->key, ',') + 1);

			if (a >= 0 && strstr(g->r[T_AGREEMENTS][a].val, ",amount,") != NULL)
				snprintf(r->val, sizeof r->val, "%u.%02u", rnd(300), rnd(4) * 25);
			else
				snprintf(r->val, sizeof r->val, "%s", vol_qty[rnd(6)]);
		}
		break;
	}
}

/* A new row of table t (a fresh key); 0 when none can be made. */
static int
gen_row(gbook *g, int t)
{
	row *r;
	int tries;

	if (g->n[t] >= MAXR)
		return 0;
	r = &g->r[t][g->n[t]];
	for (tries = 0; tries < 20; tries++) {
		char sc[48];

		switch (t) {
		case T_SETTINGS:
			snprintf(r->key, sizeof r->key, "%s",
			         rnd(2) ? "unit_price_decimals" : "rounding_mode");
			break;
		case T_FX:
			snprintf(r->key, sizeof r->key, "USD,EUR");
			break;
		case T_PRODUCTS:
			snprintf(r->key, sizeof r->key, "P%02d", g->next_id++ % 100);
			break;
		case T_CUSTOMERS:
			snprintf(r->key, sizeof r->key, "C%d", g->n[T_CUSTOMERS]);
			break;
		case T_LISTS:
			if (g->n[T_LISTS] >= 4)
				return 0;
			snprintf(r->key, sizeof r->key, "%s", lists[g->n[T_LISTS]]);
			break;
		case T_ITEMS:
			gen_scope(g, sc, sizeof sc, 1);
			snprintf(r->key, sizeof r->key, "%s,%s,%s", lists[rnd(4)], sc, qty_pick());
			break;
		case T_CONTRACTS:
			if (g->n[T_CUSTOMERS] == 0)
				return 0;
			snprintf(r->key, sizeof r->key, "K%d", g->next_id++);
			break;
		case T_CITEMS:
			if (g->n[T_CONTRACTS] == 0)
				return 0;
			{
				char k[16];

				snprintf(k, sizeof k, "%s",
				         g->r[T_CONTRACTS][rnd((unsigned)g->n[T_CONTRACTS])].key);
				gen_scope(g, sc, sizeof sc, 0);
				snprintf(r->key, sizeof r->key, "%s,%s,%s", k, sc, qty_pick());
			}
			break;
		case T_RULES:
			snprintf(r->key, sizeof r->key, "R%d", g->next_id++);
			break;
		case T_PROMOS:
			snprintf(r->key, sizeof r->key, "PR%d", g->next_id++);
			break;
		case T_AGREEMENTS:
			snprintf(r->key, sizeof r->key, "VA%d", g->next_id++);
			r->val[0] = '\0';
			break;
		case T_CVOLUMES:
			if (g->n[T_AGREEMENTS] == 0 || g->n[T_CUSTOMERS] == 0)
				return 0;
			/* a customer the agreement's party covers (when there is one) */
			{
				const row *a = &g->r[T_AGREEMENTS][rnd((unsigned)g->n[T_AGREEMENTS])];
				int c = (int)rnd((unsigned)g->n[T_CUSTOMERS]), j;
				char cu[16], ag[16];

				for (j = 0; j < g->n[T_CUSTOMERS]; j++) {
					int cj = (c + j) % g->n[T_CUSTOMERS];

					if (party_covers(g, a->val, g->r[T_CUSTOMERS][cj].key)) {
						c = cj;
						break;
					}
				}
				snprintf(cu, sizeof cu, "%s", g->r[T_CUSTOMERS][c].key);
				snprintf(ag, sizeof ag, "%s", a->key);
				snprintf(r->key, sizeof r->key, "%s,%s", cu, ag);
			}
			break;
		}
		/* a key is unique; items of one list / contract differ by scope and min_qty
		 * ("0" and "2.5" spelled once each) */
		if (find_key(g, t, r->key) < 0)
			break;
	}
	if (tries == 20)
		return 0;
	gen_val(g, t, r);
	g->n[t]++;
	return 1;
}

static void
del_row(gbook *g, int t, int i)
{
	memmove(&g->r[t][i], &g->r[t][i + 1], (size_t)(g->n[t] - i - 1) * sizeof(row));
	g->n[t]--;
}

static void
gen_book(gbook *g)
{
	int i, n;

	memset(g, 0, sizeof *g);
	snprintf(g->r[T_SETTINGS][0].key, sizeof g->r[0][0].key, "base_currency");
	gen_val(g, T_SETTINGS, &g->r[T_SETTINGS][0]);
	g->n[T_SETTINGS] = 1;
	gen_row(g, T_FX);
	n = 4 + (int)rnd(8);
	for (i = 0; i < n; i++)
		gen_row(g, T_PRODUCTS);
	n = 2 + (int)rnd(4);
	for (i = 0; i < n; i++)
		gen_row(g, T_CUSTOMERS);
	for (i = 0; i < 4; i++)
		gen_row(g, T_LISTS);
	n = 4 + (int)rnd(14);
	for (i = 0; i < n; i++)
		gen_row(g, T_ITEMS);
	n = (int)rnd(3);
	for (i = 0; i < n; i++)
		gen_row(g, T_CONTRACTS);
	n = (int)rnd(6);
	for (i = 0; i < n; i++)
		gen_row(g, T_CITEMS);
	n = (int)rnd(2);
	for (i = 0; i < n; i++)
		gen_row(g, T_RULES);
	n = (int)rnd(4);
	for (i = 0; i < n; i++)
		gen_row(g, T_PROMOS);
	n = (int)rnd(4);
	for (i = 0; i < n; i++)
		gen_row(g, T_AGREEMENTS);
	n = (int)rnd(5);
	for (i = 0; i < n; i++)
		gen_row(g, T_CVOLUMES);
}

static void
del_contract(gbook *g, int k)
{
	const char *id = g->r[T_CONTRACTS][k].key;
	size_t n = strlen(id);
	int j;

	for (j = g->n[T_CITEMS] - 1; j >= 0; j--)
		if (strncmp(g->r[T_CITEMS][j].key, id, n) == 0 && g->r[T_CITEMS][j].key[n] == ',')
			del_row(g, T_CITEMS, j);
	del_row(g, T_CONTRACTS, k);
}

/* One edit of table t: op 0 change a row's values, 1 add a row, 2 remove one. */
static void
edit(gbook *g, int t, int op)
{
	int i;

	if (op == 1 || g->n[t] == 0) {
		if (t != T_LISTS)
			gen_row(g, t);
		return;
	}
	i = (int)rnd((unsigned)g->n[t]);
	if (op == 0 || t == T_LISTS || (t == T_SETTINGS && i == 0)) {
		gen_val(g, t, &g->r[t][i]);
		return;
	}
	if (t == T_CUSTOMERS) {
		char cu[16];
		int k;

		/* the last customer, with its contracts and their items */
		i = g->n[t] - 1;
		if (i == 0)
			return;
		snprintf(cu, sizeof cu, "C%d,", i);
		for (k = g->n[T_CONTRACTS] - 1; k >= 0; k--)
			if (strncmp(g->r[T_CONTRACTS][k].val, cu, strlen(cu)) == 0)
				del_contract(g, k);
		del_row(g, t, i);
		return;
	}
	if (t == T_CONTRACTS) {
		del_contract(g, i);
		return;
	}
	del_row(g, t, i);
}
static b2b_book *
make_book(const gbook *g)
{
	static char spec[64 * 1024];
	size_t len = 0;
	int t, i;

	for (t = 0; t < NT; t++) {
		len += (size_t)snprintf(spec + len, sizeof spec - len, "# %s\n%s\n", tname[t],
		                        theader[t]);
		for (i = 0; i < g->n[t]; i++) {
			/* agreements and volumes an edit of the customers left without a party
			 * (a load error) are left out */
			if ((t == T_AGREEMENTS && !agreement_ok(g, i)) ||
			    (t == T_CVOLUMES && !cvolume_ok(g, i)))
				continue;
			len += (size_t)snprintf(spec + len, sizeof spec - len, "%s,%s\n",
			                        g->r[t][i].key, g->r[t][i].val);
		}
	}
	return build_book(spec);
}

/*===========================================================================
 * MARK: - fast path = brute force
 *===========================================================================*/

static b2b_time
as_of(const char *s)
{
	b2b_time t;

	ck_assert_int_eq(b2b_time_parse(&t, NULL, s, strlen(s)), 0);
	return t;
}

static int
dec_same(b2b_dec a, b2b_dec b)
{
	return b2b_dec_cmp(a, b) == 0;
}

static int
str_same(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* The two results are the same; `what` names the case. Returns the changed count. */
static uint64_t
same_result(const b2b_diff *x, const b2b_diff *y, const char *what)
{
	size_t i;
	int k;
	b2b_dec p, q;

	for (k = 0; k <= B2B_DIFF_NOW_PRICED; k++)
		REQUIRE(b2b_diff_count_of(x, (b2b_diff_count)k) ==
		        b2b_diff_count_of(y, (b2b_diff_count)k),
		        "%s: count %d: fast %llu, reference %llu", what, k,
		        (unsigned long long)b2b_diff_count_of(x, (b2b_diff_count)k),
		        (unsigned long long)b2b_diff_count_of(y, (b2b_diff_count)k));
	for (k = 0; k < 2; k++) {
		int hx = b2b_diff_max_percent(&p, x, k), hy = b2b_diff_max_percent(&q, y, k);

		REQUIRE(hx == hy && (!hx || dec_same(p, q)), "%s: max %d differs", what, k);
	}
	REQUIRE(b2b_diff_category_count(x) == b2b_diff_category_count(y), "%s: categories", what);
	for (i = 0; i < b2b_diff_category_count(x); i++) {
		REQUIRE(strcmp(b2b_diff_category(x, i), b2b_diff_category(y, i)) == 0,
		        "%s: category %zu", what, i);
		for (k = B2B_DIFF_CHANGED; k <= B2B_DIFF_LOWERED; k++)
			REQUIRE(b2b_diff_category_count_of(x, i, (b2b_diff_count)k) ==
			        b2b_diff_category_count_of(y, i, (b2b_diff_count)k),
			        "%s: category %zu count %d", what, i, k);
	}
	REQUIRE(b2b_diff_row_count(x) == b2b_diff_row_count(y), "%s: rows %zu vs %zu", what,
	        b2b_diff_row_count(x), b2b_diff_row_count(y));
	for (i = 0; i < b2b_diff_row_count(x); i++) {
		REQUIRE(strcmp(b2b_diff_row_customer(x, i), b2b_diff_row_customer(y, i)) == 0 &&
		        strcmp(b2b_diff_row_sku(x, i), b2b_diff_row_sku(y, i)) == 0 &&
		        dec_same(b2b_diff_row_qty(x, i), b2b_diff_row_qty(y, i)),
		        "%s: row %zu is another probe", what, i);
		for (k = 0; k < 2; k++) {
			const char *ex = b2b_diff_row_side(&p, x, i, k), *ey = b2b_diff_row_side(&q, y, i, k);

			REQUIRE(str_same(ex, ey) && (ex != NULL || dec_same(p, q)),
			        "%s: row %zu side %d", what, i, k);
		}
		{
			int hx = b2b_diff_row_change_percent(&p, x, i);
			int hy = b2b_diff_row_change_percent(&q, y, i);

			REQUIRE(hx == hy && (!hx || dec_same(p, q)), "%s: row %zu percent", what, i);
		}
	}
	return b2b_diff_count_of(x, B2B_DIFF_CHANGED);
}

/*
 * Each side of the reference's rows against b2b_price_compute (the
 * single-line pricer, another entry point than the batch): the probe
 * priced alone, with the customer's currency and channel, no codes.
 */
static void
check_rows_alone(const b2b_diff *d, b2b_book *const bk[2], const char *what)
{
	size_t i;
	int k;

	for (i = 0; i < b2b_diff_row_count(d) && i < 40; i++) {
		for (k = 0; k < 2; k++) {
			b2b_price_request *req;
			const b2b_price *p;
			b2b_ctx *ctx;
			b2b_dec v;
			char q[64];
			const char *err = b2b_diff_row_side(&v, d, i, k);

			ck_assert_int_eq(b2b_ctx_new(&ctx, NULL), 0);
			ck_assert_int_ge(b2b_dec_format(q, sizeof q, NULL, b2b_diff_row_qty(d, i),
			                                B2B_DEC_SCALE_EXACT, B2B_ROUND_HALF_UP), 0);
			ck_assert_int_eq(b2b_price_request_new(&req, ctx), 0);
			ck_assert_int_eq(b2b_price_request_set_customer(req, b2b_diff_row_customer(d, i)), 0);
			ck_assert_int_eq(b2b_price_request_set_sku(req, b2b_diff_row_sku(d, i)), 0);
			ck_assert_int_eq(b2b_price_request_set_qty(req, q), 0);
			ck_assert_int_eq(b2b_price_request_set_as_of(req, "2026-06-15"), 0);
			ck_assert_int_eq(b2b_price_compute(&p, ctx, bk[k], req, NULL), 0);
			if (err == NULL) {
				REQUIRE(b2b_price_ok(p) && b2b_dec_cmp(b2b_price_unit_price(p), v) == 0,
				        "%s: row %zu side %d: the single-line price differs", what, i, k);
			} else {
				REQUIRE(!b2b_price_ok(p) && strcmp(b2b_price_error_code(p, 0), err) == 0,
				        "%s: row %zu side %d: %s, the single-line pricer says %s", what, i,
				        k, err, b2b_price_ok(p) ? "priced" : b2b_price_error_code(p, 0));
			}
			b2b_ctx_free(ctx);
		}
	}
}

static uint64_t
check_pair(const gbook *g0, const gbook *g1, const char *what, const char *customer)
{
	b2b_book *b0 = make_book(g0), *b1 = make_book(g1);
	b2b_diff_options o;
	const b2b_diff *fast, *ref;
	const char *ids[1];
	b2b_ctx *ctx;
	uint64_t changed;
	int rc;

	ck_assert_int_eq(b2b_ctx_new(&ctx, NULL), 0);
	ck_assert_int_eq(b2b_diff_options_init(&o, B2B_DIFF_OPTIONS_VERSION), 0);
	o.as_of = as_of("2026-06-15");
	o.limit = 1000000;
	if (customer != NULL) {
		ids[0] = customer;
		o.customers = ids;
		o.ncustomers = 1;
	}
	rc = b2b_book_diff(&fast, ctx, b0, b1, &o);
	REQUIRE(rc == 0, "%s: %s", what, b2b_ctx_errmsg(ctx));
	rc = b2b__book_diff(&ref, ctx, b0, b1, &o, 1);
	REQUIRE(rc == 0, "%s: %s", what, b2b_ctx_errmsg(ctx));
	REQUIRE(b2b_diff_count_of(ref, B2B_DIFF_PRICED) == b2b_diff_count_of(ref, B2B_DIFF_PROBES),
	        "%s: the reference priced %llu of %llu probes", what,
	        (unsigned long long)b2b_diff_count_of(ref, B2B_DIFF_PRICED),
	        (unsigned long long)b2b_diff_count_of(ref, B2B_DIFF_PROBES));
	changed = same_result(fast, ref, what);
	{
		b2b_book *bk[2];

		bk[0] = b0;
		bk[1] = b1;
		check_rows_alone(ref, bk, what);
	}
	b2b_ctx_free(ctx);
	b2b_book_unref(b0);
	b2b_book_unref(b1);
	return changed;
}

/* One row changed, added or removed, in each table, on many random books. */
START_TEST(test_fast_equals_reference_one_row)
{
	static gbook g0, g1;
	uint64_t changed = 0, skipped = 0, total = 0;
	int seed, t, op;
	char what[96];

	for (seed = 0; seed < 60; seed++) {
		rng_state = 1000u + (unsigned)seed * 7919u + (unsigned)_i * 104729u;
		gen_book(&g0);
		for (t = 0; t < NT; t++) {
			for (op = 0; op < 3; op++) {
				uint64_t c;

				g1 = g0;
				edit(&g1, t, op);
				snprintf(what, sizeof what, "loop %d seed %d: %s %s", _i, seed,
				         op == 0 ? "change" : op == 1 ? "add" : "remove", tname[t]);
				c = check_pair(&g0, &g1, what, NULL);
				changed += c;
				total++;
				if (c == 0)
					skipped++;
			}
		}
	}
	/* the edits move prices: the comparison is not between two empty results */
	REQUIRE(changed > 100 && skipped < total, "only %llu changed probes in %llu cases",
	        (unsigned long long)changed, (unsigned long long)total);
}
END_TEST

/* Many rows at once, in several tables; and a customer filter. */
START_TEST(test_fast_equals_reference_many_rows)
{
	static gbook g0, g1;
	int seed, k;
	char what[64];

	for (seed = 0; seed < 150; seed++) {
		int n;

		rng_state = 77u + (unsigned)seed * 31337u;
		gen_book(&g0);
		g1 = g0;
		n = 2 + (int)rnd(12);
		for (k = 0; k < n; k++) {
			int t = (int)rnd(NT);

			/* settings and FX reach everything: keep most cases narrow */
			if ((t == T_SETTINGS || t == T_FX || t == T_LISTS) && rnd(3) != 0)
				t = T_ITEMS;
			edit(&g1, t, (int)rnd(3));
		}
		snprintf(what, sizeof what, "seed %d: %d edits", seed, n);
		check_pair(&g0, &g1, what, NULL);
		snprintf(what, sizeof what, "seed %d: %d edits, customer C1", seed, n);
		check_pair(&g0, &g1, what, "C1");
	}
}
END_TEST

/*===========================================================================
 * MARK: - hand-computed
 *===========================================================================*/

static const char OLD_BOOK[] =
	"# products\nsku,category,list_price\nA,tools/hand,10.00\nB,x,20.00\n"
	"# customers\nid,segment\nC1,s\nC2,\n"
	"# price_lists\nid,applies_to\nL,default\n"
	"# price_list_items\nlist,scope,min_qty,compute,price\nL,sku:A,0,fixed,9.00\n"
	"L,sku:A,10,fixed,8.00\n";
/* the 10-break of A lowered 8.00 → 7.20 (−10 %), B's list price raised
 * 20.00 → 25.00 (+25 %), a product N added (no category) */
static const char NEW_BOOK[] =
	"# products\nsku,category,list_price\nA,tools/hand,10.00\nB,x,25.00\nN,,5.00\n"
	"# customers\nid,segment\nC1,s\nC2,\n"
	"# price_lists\nid,applies_to\nL,default\n"
	"# price_list_items\nlist,scope,min_qty,compute,price\nL,sku:A,0,fixed,9.00\n"
	"L,sku:A,10,fixed,7.20\n";

typedef struct sink {
	char buf[4096];
	size_t len;
	int calls;
} sink;

static int
sink_write(void *user, const char *text, size_t len)
{
	sink *s = user;

	ck_assert_uint_lt(s->len + len, sizeof s->buf);
	memcpy(s->buf + s->len, text, len);
	s->len += len;
	s->buf[s->len] = '\0';
	s->calls++;
	return 0;
}

/* Stops the diff at the second write (the first row). */
static int
sink_stop(void *user, const char *text, size_t len)
{
	int *calls = user;

	(void)text;
	(void)len;
	return ++*calls == 2 ? 7 : 0;
}

static const char *
dec_text(b2b_dec v)
{
	static char buf[64];

	ck_assert_int_ge(b2b_dec_format(buf, sizeof buf, NULL, v, B2B_DEC_SCALE_EXACT,
	                                B2B_ROUND_HALF_UP), 0);
	return buf;
}

START_TEST(test_hand_computed)
{
	b2b_book *b0 = build_book(OLD_BOOK), *b1 = build_book(NEW_BOOK);
	b2b_diff_options o;
	const b2b_diff *d;
	b2b_ctx *ctx;
	b2b_dec p;
	sink s;

	ck_assert_int_eq(b2b_ctx_new(&ctx, NULL), 0);
	ck_assert_int_eq(b2b_diff_options_init(&o, B2B_DIFF_OPTIONS_VERSION), 0);
	ck_assert_uint_eq(o.limit, 1000);
	o.as_of = as_of("2026-06-15");
	memset(&s, 0, sizeof s);
	o.csv = sink_write;
	o.csv_user = &s;
	ck_assert_int_eq(b2b_book_diff(&d, ctx, b0, b1, &o), 0);
	/* 2 customers × (A: 1, 10; B: 1; N: 1) */
	ck_assert_uint_eq(b2b_diff_count_of(d, B2B_DIFF_PROBES), 8);
	ck_assert_uint_eq(b2b_diff_count_of(d, B2B_DIFF_CHANGED), 6);
	ck_assert_uint_eq(b2b_diff_count_of(d, B2B_DIFF_RAISED), 2);
	ck_assert_uint_eq(b2b_diff_count_of(d, B2B_DIFF_LOWERED), 2);
	ck_assert_uint_eq(b2b_diff_count_of(d, B2B_DIFF_NOW_PRICED), 2);
	ck_assert_uint_eq(b2b_diff_count_of(d, B2B_DIFF_NOW_UNPRICED), 0);
	/* only A and B and N are touched: every probe here is priced */
	ck_assert_uint_eq(b2b_diff_count_of(d, B2B_DIFF_PRICED), 8);
	ck_assert_int_eq(b2b_diff_max_percent(&p, d, 0), 1);
	ck_assert_str_eq(dec_text(p), "25");
	ck_assert_int_eq(b2b_diff_max_percent(&p, d, 1), 1);
	ck_assert_str_eq(dec_text(p), "-10");
	ck_assert_uint_eq(b2b_diff_category_count(d), 3);
	ck_assert_str_eq(b2b_diff_category(d, 0), "");
	ck_assert_str_eq(b2b_diff_category(d, 1), "tools");
	ck_assert_str_eq(b2b_diff_category(d, 2), "x");
	ck_assert_uint_eq(b2b_diff_category_count_of(d, 0, B2B_DIFF_CHANGED), 2);
	ck_assert_uint_eq(b2b_diff_category_count_of(d, 0, B2B_DIFF_RAISED), 0);
	ck_assert_uint_eq(b2b_diff_category_count_of(d, 1, B2B_DIFF_LOWERED), 2);
	ck_assert_uint_eq(b2b_diff_category_count_of(d, 2, B2B_DIFF_RAISED), 2);
	ck_assert_uint_eq(b2b_diff_row_count(d), 6);
	ck_assert_str_eq(b2b_diff_row_customer(d, 0), "C1");
	ck_assert_str_eq(b2b_diff_row_sku(d, 0), "A");
	ck_assert_str_eq(dec_text(b2b_diff_row_qty(d, 0)), "10");
	ck_assert_ptr_null(b2b_diff_row_side(&p, d, 0, 0));
	ck_assert_str_eq(dec_text(p), "8");
	ck_assert_ptr_null(b2b_diff_row_side(&p, d, 0, 1));
	ck_assert_str_eq(dec_text(p), "7.2");
	ck_assert_str_eq(b2b_diff_row_side(NULL, d, 2, 0), "UNKNOWN_SKU");
	ck_assert_int_eq(b2b_diff_row_change_percent(&p, d, 2), 0);
	ck_assert_str_eq(b2b_diff_row_customer(d, 5), "C2");
	ck_assert_str_eq(s.buf,
	                 "customer,sku,qty,old,new,change_percent\n"
	                 "C1,A,10,8.0000,7.2000,-10.00\n"
	                 "C1,B,1,20.0000,25.0000,25.00\n"
	                 "C1,N,1,UNKNOWN_SKU,5.0000,\n"
	                 "C2,A,10,8.0000,7.2000,-10.00\n"
	                 "C2,B,1,20.0000,25.0000,25.00\n"
	                 "C2,N,1,UNKNOWN_SKU,5.0000,\n");

	/* the writer's refusal stops the diff and is its result */
	{
		int calls = 0;

		o.csv = sink_stop;
		o.csv_user = &calls;
		ck_assert_int_eq(b2b_book_diff(&d, ctx, b0, b1, &o), 7);
		ck_assert_int_eq(calls, 2);
		ck_assert_ptr_null(d);
	}
	/* the limit cuts the rows, not the counts; one customer; no rows */
	o.csv = NULL;
	o.limit = 2;
	ck_assert_int_eq(b2b_book_diff(&d, ctx, b0, b1, &o), 0);
	ck_assert_uint_eq(b2b_diff_row_count(d), 2);
	ck_assert_uint_eq(b2b_diff_count_of(d, B2B_DIFF_CHANGED), 6);
	{
		const char *ids[] = { "C2", "C2" };

		o.customers = ids;
		o.ncustomers = 2;
		o.limit = 0;
		ck_assert_int_eq(b2b_book_diff(&d, ctx, b0, b1, &o), 0);
		ck_assert_uint_eq(b2b_diff_count_of(d, B2B_DIFF_PROBES), 4);
		ck_assert_uint_eq(b2b_diff_count_of(d, B2B_DIFF_CHANGED), 3);
		ck_assert_uint_eq(b2b_diff_row_count(d), 0);
		ids[1] = "NOBODY";
		ck_assert_int_eq(b2b_book_diff(&d, ctx, b0, b1, &o), B2B_ENOTFOUND);
		ck_assert_ptr_null(d);
		ck_assert_ptr_nonnull(strstr(b2b_ctx_errmsg(ctx), "NOBODY"));
	}
	/* a book against itself: nothing priced, nothing changed */
	o.customers = NULL;
	o.ncustomers = 0;
	ck_assert_int_eq(b2b_book_diff(&d, ctx, b1, b1, &o), 0);
	ck_assert_uint_eq(b2b_diff_count_of(d, B2B_DIFF_PROBES), 8);
	ck_assert_uint_eq(b2b_diff_count_of(d, B2B_DIFF_PRICED), 0);
	ck_assert_uint_eq(b2b_diff_count_of(d, B2B_DIFF_CHANGED), 0);
	ck_assert_int_eq(b2b_diff_max_percent(&p, d, 0), 0);
	/* bad arguments */
	o.as_of.form = 0;
	ck_assert_int_eq(b2b_book_diff(&d, ctx, b0, b1, &o), B2B_EINVAL);
	o.as_of = as_of("2026-06-15");
	o.flags = 1;
	ck_assert_int_eq(b2b_book_diff(&d, ctx, b0, b1, &o), B2B_EINVAL);
	o.flags = 0;
	o.version = 99;
	ck_assert_int_eq(b2b_book_diff(&d, ctx, b0, b1, &o), B2B_EVERSION);
	ck_assert_int_eq(b2b_diff_options_init(&o, 0), B2B_EVERSION);
	ck_assert_int_eq(b2b_book_diff(NULL, ctx, b0, b1, &o), B2B_EINVAL);
	b2b_ctx_free(ctx);
	b2b_book_unref(b0);
	b2b_book_unref(b1);
}
END_TEST

/* An incremental list's breaks probe min_qty and min_qty + 1; a
 * buy_x_get_y promotion probes buy + get. */
START_TEST(test_probe_quantities)
{
	static const char book[] =
		"# products\nsku,list_price\nA,10\nB,10\n"
		"# customers\nid\nC1\n"
		"# price_lists\nid,applies_to,tier_mode\nI,default,incremental\n"
		"# price_list_items\nlist,scope,min_qty,compute,price\nI,sku:A,0,fixed,9\n"
		"I,sku:A,10,fixed,8\n"
		"# promotions\nid,kind,scope,buy_qty,get_qty\nP,buy_x_get_y,sku:B,2,1\n";
	b2b_book *b = build_book(book);
	b2b_diff_options o;
	const b2b_diff *d;
	b2b_ctx *ctx;

	ck_assert_int_eq(b2b_ctx_new(&ctx, NULL), 0);
	b2b_diff_options_init(&o, B2B_DIFF_OPTIONS_VERSION);
	o.as_of = as_of("2026-06-15T12:00:00Z");
	ck_assert_int_eq(b2b_book_diff(&d, ctx, b, b, &o), 0);
	/* A: 1, 10, 11; B: 1, 3 */
	ck_assert_uint_eq(b2b_diff_count_of(d, B2B_DIFF_PROBES), 5);
	b2b_ctx_free(ctx);
	b2b_book_unref(b);
}
END_TEST

/*
 * SPEC §13 probes of §10 qty agreements, hand-computed. C1 (segment s)
 * has V1 (customer:C1, sku:A, qty discount, 5 % from 100, 10 % from 500)
 * with 420 to date, and V2 (segment:s, category:x, qty rebate from 0 and
 * 30, no volume row). C1 × A probes 1, 80 (500 − 420), 100, 500; C1 × B
 * probes 1, 30 (V2's threshold 0 is no probe); C2 has no agreement:
 * 1 each. A priced alone at q: V = 420 + q; the list gives 9.00.
 */
static const char VA_OLD[] =
	"# products\nsku,category,list_price\nA,tools,10.00\nB,x,20.00\n"
	"# customers\nid,segment\nC1,s\nC2,\n"
	"# price_lists\nid,applies_to\nL,default\n"
	"# price_list_items\nlist,scope,min_qty,compute,price\nL,sku:A,0,fixed,9.00\n"
	"# volume_agreements\nid,party,scope,basis,kind,tiers\n"
	"V1,customer:C1,sku:A,qty,discount,100:5;500:10\n"
	"V2,segment:s,category:x,qty,rebate,0:1;30:2\n"
	"# customer_volumes\ncustomer,agreement,volume\nC1,V1,420\n";
/* V1's 500 tier 10 % → 12 % */
static const char VA_TIER[] =
	"# products\nsku,category,list_price\nA,tools,10.00\nB,x,20.00\n"
	"# customers\nid,segment\nC1,s\nC2,\n"
	"# price_lists\nid,applies_to\nL,default\n"
	"# price_list_items\nlist,scope,min_qty,compute,price\nL,sku:A,0,fixed,9.00\n"
	"# volume_agreements\nid,party,scope,basis,kind,tiers\n"
	"V1,customer:C1,sku:A,qty,discount,100:5;500:12\n"
	"V2,segment:s,category:x,qty,rebate,0:1;30:2\n"
	"# customer_volumes\ncustomer,agreement,volume\nC1,V1,420\n";
/* C1's volume to date on V1 420 → 450 */
static const char VA_VOLUME[] =
	"# products\nsku,category,list_price\nA,tools,10.00\nB,x,20.00\n"
	"# customers\nid,segment\nC1,s\nC2,\n"
	"# price_lists\nid,applies_to\nL,default\n"
	"# price_list_items\nlist,scope,min_qty,compute,price\nL,sku:A,0,fixed,9.00\n"
	"# volume_agreements\nid,party,scope,basis,kind,tiers\n"
	"V1,customer:C1,sku:A,qty,discount,100:5;500:10\n"
	"V2,segment:s,category:x,qty,rebate,0:1;30:2\n"
	"# customer_volumes\ncustomer,agreement,volume\nC1,V1,450\n";

START_TEST(test_agreement_probes)
{
	b2b_book *b0 = build_book(VA_OLD), *b1 = build_book(VA_TIER), *b2 = build_book(VA_VOLUME);
	b2b_diff_options o;
	const b2b_diff *d;
	b2b_ctx *ctx;
	sink s;

	ck_assert_int_eq(b2b_ctx_new(&ctx, NULL), 0);
	ck_assert_int_eq(b2b_diff_options_init(&o, B2B_DIFF_OPTIONS_VERSION), 0);
	o.as_of = as_of("2026-06-15");
	/* the book against itself: C1 × A 4, C1 × B 2, C2 × A 1, C2 × B 1 */
	ck_assert_int_eq(b2b_book_diff(&d, ctx, b0, b0, &o), 0);
	ck_assert_uint_eq(b2b_diff_count_of(d, B2B_DIFF_PROBES), 8);
	ck_assert_uint_eq(b2b_diff_count_of(d, B2B_DIFF_PRICED), 0);
	/* the tier edit: V1 touches C1 × A alone (4 probes priced); at 1, V = 421
	 * stays in the 5 % tier (8.55); at 80, 100 and 500, V ≥ 500: 9.00 × 0.90 =
	 * 8.10 → 9.00 × 0.88 = 7.92, (7.92 − 8.10) ÷ 8.10 = −2.22 % */
	memset(&s, 0, sizeof s);
	o.csv = sink_write;
	o.csv_user = &s;
	ck_assert_int_eq(b2b_book_diff(&d, ctx, b0, b1, &o), 0);
	ck_assert_uint_eq(b2b_diff_count_of(d, B2B_DIFF_PROBES), 8);
	ck_assert_uint_eq(b2b_diff_count_of(d, B2B_DIFF_PRICED), 4);
	ck_assert_uint_eq(b2b_diff_count_of(d, B2B_DIFF_CHANGED), 3);
	ck_assert_uint_eq(b2b_diff_count_of(d, B2B_DIFF_LOWERED), 3);
	ck_assert_str_eq(s.buf,
	                 "customer,sku,qty,old,new,change_percent\n"
	                 "C1,A,80,8.1000,7.9200,-2.22\n"
	                 "C1,A,100,8.1000,7.9200,-2.22\n"
	                 "C1,A,500,8.1000,7.9200,-2.22\n");
	/* the volume edit: each book's own volume to date, unioned: C1 × A probes
	 * 1, 50 (500 − 450), 80, 100, 500; at 50, V = 470 (5 %, 8.55) → 500
	 * (10 %, 8.10), −5.26 %; at 80, V = 500 → 530, both 10 % */
	memset(&s, 0, sizeof s);
	ck_assert_int_eq(b2b_book_diff(&d, ctx, b0, b2, &o), 0);
	ck_assert_uint_eq(b2b_diff_count_of(d, B2B_DIFF_PROBES), 9);
	ck_assert_uint_eq(b2b_diff_count_of(d, B2B_DIFF_PRICED), 5);
	ck_assert_uint_eq(b2b_diff_count_of(d, B2B_DIFF_CHANGED), 1);
	ck_assert_str_eq(s.buf,
	                 "customer,sku,qty,old,new,change_percent\n"
	                 "C1,A,50,8.5500,8.1000,-5.26\n");
	/* the reference prices every probe and agrees */
	o.csv = NULL;
	ck_assert_int_eq(b2b__book_diff(&d, ctx, b0, b2, &o, 1), 0);
	ck_assert_uint_eq(b2b_diff_count_of(d, B2B_DIFF_PRICED), 9);
	ck_assert_uint_eq(b2b_diff_count_of(d, B2B_DIFF_CHANGED), 1);
	/* one customer: C2 has no agreement */
	{
		const char *ids[] = { "C2" };

		o.customers = ids;
		o.ncustomers = 1;
		ck_assert_int_eq(b2b_book_diff(&d, ctx, b0, b1, &o), 0);
		ck_assert_uint_eq(b2b_diff_count_of(d, B2B_DIFF_PROBES), 2);
		ck_assert_uint_eq(b2b_diff_count_of(d, B2B_DIFF_CHANGED), 0);
	}
	b2b_ctx_free(ctx);
	b2b_book_unref(b0);
	b2b_book_unref(b1);
	b2b_book_unref(b2);
}
END_TEST

static Suite *
diff_suite(void)
{
	Suite *s = suite_create("diff");
	TCase *tc = tcase_create("Diff");

	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_hand_computed);
	tcase_add_test(tc, test_probe_quantities);
	tcase_add_test(tc, test_agreement_probes);
	tcase_add_loop_test(tc, test_fast_equals_reference_one_row, 0, 3);
	tcase_add_test(tc, test_fast_equals_reference_many_rows);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return b2b_test_run(diff_suite());
}
