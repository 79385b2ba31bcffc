/*
 * libb2bcore — freezing a book builder (book_freeze.h): the tables that
 * are applied in an order rather than looked up by key. Dynamic rules and
 * promotions (duplicate ids, scopes, priority order), FX rates and taxes
 * (order, duplicates).
 * SPDX-License-Identifier: MIT
 */
#include <string.h>

#include "book_freeze.h"

typedef struct prioctx {
	const char *pool;
	const char *rows;
	size_t elem, prio_off, id_off;
} prioctx;

static int
prio_cmp(const void *c, uint32_t x, uint32_t y)
{
	const prioctx *k = c;
	int64_t px, py;
	b2b__str ix, iy;

	memcpy(&px, k->rows + (size_t)x * k->elem + k->prio_off, sizeof(px));
	memcpy(&py, k->rows + (size_t)y * k->elem + k->prio_off, sizeof(py));
	if (px != py)
		return px > py ? -1 : 1;
	memcpy(&ix, k->rows + (size_t)x * k->elem + k->id_off, sizeof(ix));
	memcpy(&iy, k->rows + (size_t)y * k->elem + k->id_off, sizeof(iy));
	if (ix != iy) {
		int r = strcmp(k->pool + ix, k->pool + iy);

		if (r != 0)
			return r;
	}
	return x < y ? -1 : x > y;
}

static int
freeze_by_priority(fz *z, int t, size_t prio_off, size_t id_off)
{
	prioctx k;

	k.pool = z->b->pool;
	k.rows = z->b->rows[t].p;
	k.elem = b2b__bb_row_size(t);
	k.prio_off = prio_off;
	k.id_off = id_off;
	return b2b__fz_sort_table(z, t, prio_cmp, &k);
}

int
b2b__fz_rules_promos(fz *z, maps *m)
{
	b2b__promo *p;
	size_t i;
	int rc;

	if ((rc = b2b__fz_dup_ids(z, B2B_TABLE_DYNAMIC_RULES, offsetof(b2b__rule, id), B2B__F_R_ID,
	                          "dynamic rule id")) < 0 ||
	    (rc = b2b__fz_dup_ids(z, B2B_TABLE_PROMOTIONS, offsetof(b2b__promo, id), B2B__F_PR_ID,
	                          "promotion id")) < 0)
		return rc;
	b2b__fz_scopes_ref(z, m, B2B_TABLE_DYNAMIC_RULES, sizeof(b2b__rule),
	                   offsetof(b2b__rule, scope), B2B__F_R_SCOPE);
	p = ROWS(z, B2B_TABLE_PROMOTIONS, b2b__promo);
	for (i = 0; i < NROWS(z, B2B_TABLE_PROMOTIONS); i++)
		if (p[i].scope.text != 0)
			b2b__fz_scope_ref(z, m, &p[i].scope, B2B_TABLE_PROMOTIONS, i,
			                  B2B__F_PR_SCOPE, "scope");
	if ((rc = freeze_by_priority(z, B2B_TABLE_DYNAMIC_RULES, offsetof(b2b__rule, priority),
	                             offsetof(b2b__rule, id))) < 0)
		return rc;
	return freeze_by_priority(z, B2B_TABLE_PROMOTIONS, offsetof(b2b__promo, priority),
	                          offsetof(b2b__promo, id));
}

typedef struct fxctx {
	const b2b__fx *fx;
} fxctx;

static int
fx_cmp(const void *c, uint32_t x, uint32_t y)
{
	const b2b__fx *a = &((const fxctx *)c)->fx[x], *b = &((const fxctx *)c)->fx[y];

	if (a->from != b->from)
		return a->from < b->from ? -1 : 1;
	if (a->to != b->to)
		return a->to < b->to ? -1 : 1;
	if (a->valid_from != b->valid_from)
		return a->valid_from > b->valid_from ? -1 : 1;
	return x < y ? -1 : x > y;
}

int
b2b__fz_fx(fz *z)
{
	b2b__fx *fx = ROWS(z, B2B_TABLE_FX_RATES, b2b__fx);
	size_t n = NROWS(z, B2B_TABLE_FX_RATES), i, first = 0;
	fxctx k;
	int rc;

	for (i = 0; i < n; i++) {
		fx[i].from = b2b__fz_ccy_ref(z, fx[i].from, B2B_TABLE_FX_RATES, i, B2B__F_FX_FROM,
		                             "from");
		fx[i].to = b2b__fz_ccy_ref(z, fx[i].to, B2B_TABLE_FX_RATES, i, B2B__F_FX_TO, "to");
	}
	k.fx = fx;
	if ((rc = b2b__fz_sort_table(z, B2B_TABLE_FX_RATES, fx_cmp, &k)) < 0)
		return rc;
	fx = ROWS(z, B2B_TABLE_FX_RATES, b2b__fx);
	for (i = 0; i < n; i++) {
		if (i > 0 && fx[i].from == fx[i - 1].from && fx[i].to == fx[i - 1].to &&
		    fx[i].valid_from == fx[i - 1].valid_from && fx[i].from != UINT16_MAX &&
		    fx[i].to != UINT16_MAX && !BAD(z, B2B_TABLE_FX_RATES, i)) {
			char w[300];

			b2b__fz_where(z, B2B_TABLE_FX_RATES, i, first, w, sizeof(w));
			ERR(z, B2B_TABLE_FX_RATES, i, B2B__F_FX_FROM,
			    "from: duplicate rate from %s to %s with the same valid_from (first %s)",
			    z->book->currencies[fx[i].from].code, z->book->currencies[fx[i].to].code, w);
			continue;
		}
		first = i;
	}
	return 0;
}

typedef struct taxctx {
	const char *pool;
	const b2b__tax *t;
} taxctx;

static int
tax_cmp(const void *c, uint32_t x, uint32_t y)
{
	const taxctx *k = c;
	const b2b__tax *a = &k->t[x], *b = &k->t[y];
	int r;

	if (a->tax_class != b->tax_class &&
	    (r = strcmp(k->pool + a->tax_class, k->pool + b->tax_class)) != 0)
		return r;
	if (a->region != b->region && (r = strcmp(k->pool + a->region, k->pool + b->region)) != 0)
		return r;
	return x < y ? -1 : x > y;
}

int
b2b__fz_taxes(fz *z)
{
	b2b__tax *t;
	size_t n = NROWS(z, B2B_TABLE_TAXES), i, first = 0;
	taxctx k;
	int rc;

	k.pool = z->b->pool;
	k.t = z->b->rows[B2B_TABLE_TAXES].p;
	if ((rc = b2b__fz_sort_table(z, B2B_TABLE_TAXES, tax_cmp, &k)) < 0)
		return rc;
	t = ROWS(z, B2B_TABLE_TAXES, b2b__tax);
	for (i = 0; i < n; i++) {
		if (i > 0 && t[i].tax_class == t[i - 1].tax_class && t[i].region == t[i - 1].region &&
		    t[i].tax_class != 0 && t[i].region != 0) {
			char w[300];

			b2b__fz_where(z, B2B_TABLE_TAXES, i, first, w, sizeof(w));
			ERR(z, B2B_TABLE_TAXES, i, B2B__F_T_REGION,
			    "region: duplicate tax rate for tax_class \"%s\" and region \"%s\" "
			    "(first %s)", S(z, t[i].tax_class), S(z, t[i].region), w);
			continue;
		}
		first = i;
	}
	return 0;
}
