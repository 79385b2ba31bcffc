/*
 * libb2bcore — freezing the volume agreements of SPEC §10:
 * volume_agreements.csv (ids, parties, currencies, scopes) and
 * customer_volumes.csv (customer, agreement, the party covering the
 * customer, one row per pair). Cell rules (tiers, party syntax, `currency`
 * on a qty agreement, the window) are checked per row in book_tables.c
 * and book_cells.c.
 *
 * Result: agreements sorted by id with `customer` resolved for a customer
 * party and `currency` resolved (amount: explicit, else base; qty: base);
 * customer volumes sorted by (customer, agreement) with both resolved.
 * SPDX-License-Identifier: MIT
 */
#include <string.h>

#include "book_freeze.h"

/* Does any customer have segment `seg` (an interned string)? */
static int
segment_known(fz *z, b2b__str seg)
{
	const b2b__customer *c = ROWS(z, B2B_TABLE_CUSTOMERS, b2b__customer);
	size_t i;

	for (i = 0; i < NROWS(z, B2B_TABLE_CUSTOMERS); i++)
		if (c[i].segment == seg)
			return 1;
	return 0;
}

typedef struct cvctx {
	const b2b__cvolume *v;
} cvctx;

static int
cv_cmp(const void *c, uint32_t x, uint32_t y)
{
	const b2b__cvolume *a = &((const cvctx *)c)->v[x], *b = &((const cvctx *)c)->v[y];

	if (a->customer != b->customer)
		return a->customer < b->customer ? -1 : 1;
	if (a->agreement != b->agreement)
		return a->agreement < b->agreement ? -1 : 1;
	return x < y ? -1 : x > y;
}

static void
agreements_refs(fz *z, maps *m)
{
	b2b_book_builder *b = z->b;
	b2b__agreement *a = ROWS(z, B2B_TABLE_VOLUME_AGREEMENTS, b2b__agreement);
	size_t i;

	for (i = 0; i < NROWS(z, B2B_TABLE_VOLUME_AGREEMENTS); i++) {
		b2b__agreement *g = &a[i];

		g->customer = B2B__NONE;
		if (g->party != 0 && !b->broken[B2B_TABLE_CUSTOMERS]) {
			if (g->party_kind == B2B__VA_PARTY_CUSTOMER) {
				g->customer = map_get(&m->customers, g->party);
				if (g->customer == B2B__NONE)
					ERR(z, B2B_TABLE_VOLUME_AGREEMENTS, i, B2B__F_VA_PARTY,
					    "party: unknown customer \"%s\"", S(z, g->party));
			} else if (!segment_known(z, g->party)) {
				ERR(z, B2B_TABLE_VOLUME_AGREEMENTS, i, B2B__F_VA_PARTY,
				    "party: no customer has segment \"%s\"", S(z, g->party));
			}
		}
		if (g->basis == B2B__VA_BASIS_AMOUNT && g->currency != B2B__CCY_UNSET)
			g->currency = b2b__fz_ccy_ref(z, g->currency, B2B_TABLE_VOLUME_AGREEMENTS, i,
			                              B2B__F_VA_CURRENCY, "currency");
		else
			g->currency = z->base;
		if (g->currency == UINT16_MAX)
			g->currency = z->base;   /* reported */
	}
	b2b__fz_scopes_ref(z, m, B2B_TABLE_VOLUME_AGREEMENTS, sizeof(b2b__agreement),
	                   offsetof(b2b__agreement, scope), B2B__F_VA_SCOPE);
}

/* Does agreement g's party cover customer c? */
static int
covers(fz *z, const b2b__agreement *g, uint32_t c)
{
	const b2b__customer *cu = ROWS(z, B2B_TABLE_CUSTOMERS, b2b__customer);

	if (g->party_kind == B2B__VA_PARTY_CUSTOMER)
		return g->customer == c;
	return cu[c].segment == g->party;
}

static int
volumes_refs(fz *z, maps *m, const u32map *agr)
{
	b2b_book_builder *b = z->b;
	const b2b__agreement *a = ROWS(z, B2B_TABLE_VOLUME_AGREEMENTS, b2b__agreement);
	const b2b__customer *cu = ROWS(z, B2B_TABLE_CUSTOMERS, b2b__customer);
	b2b__cvolume *v = ROWS(z, B2B_TABLE_CUSTOMER_VOLUMES, b2b__cvolume);
	size_t n = NROWS(z, B2B_TABLE_CUSTOMER_VOLUMES), i, first = 0;
	cvctx k;
	int rc;

	for (i = 0; i < n; i++) {
		b2b__str cs = v[i].customer, as = v[i].agreement;

		v[i].customer = map_get(&m->customers, cs);
		v[i].agreement = map_get(agr, as);
		if (cs != 0 && v[i].customer == B2B__NONE && !b->broken[B2B_TABLE_CUSTOMERS])
			ERR(z, B2B_TABLE_CUSTOMER_VOLUMES, i, B2B__F_CV_CUSTOMER,
			    "customer: unknown customer \"%s\"", S(z, cs));
		if (as != 0 && v[i].agreement == B2B__NONE &&
		    !b->broken[B2B_TABLE_VOLUME_AGREEMENTS])
			ERR(z, B2B_TABLE_CUSTOMER_VOLUMES, i, B2B__F_CV_AGREEMENT,
			    "agreement: unknown agreement \"%s\"", S(z, as));
		if (v[i].customer != B2B__NONE && v[i].agreement != B2B__NONE &&
		    a[v[i].agreement].party != 0 && !covers(z, &a[v[i].agreement], v[i].customer)) {
			const b2b__agreement *g = &a[v[i].agreement];

			ERR(z, B2B_TABLE_CUSTOMER_VOLUMES, i, B2B__F_CV_CUSTOMER,
			    "customer: \"%s\" is not a party of agreement \"%s\" (party %s:%s)",
			    S(z, cu[v[i].customer].id), S(z, g->id),
			    g->party_kind == B2B__VA_PARTY_CUSTOMER ? "customer" : "segment",
			    S(z, g->party));
		}
	}
	k.v = v;
	if ((rc = b2b__fz_sort_table(z, B2B_TABLE_CUSTOMER_VOLUMES, cv_cmp, &k)) < 0)
		return rc;
	v = ROWS(z, B2B_TABLE_CUSTOMER_VOLUMES, b2b__cvolume);
	for (i = 0; i < n; i++) {
		if (v[i].customer == B2B__NONE || v[i].agreement == B2B__NONE)
			continue;
		if (i > 0 && v[i].customer == v[i - 1].customer &&
		    v[i].agreement == v[i - 1].agreement) {
			char w[300];

			b2b__fz_where(z, B2B_TABLE_CUSTOMER_VOLUMES, i, first, w, sizeof(w));
			ERR(z, B2B_TABLE_CUSTOMER_VOLUMES, i, B2B__F_CV_AGREEMENT,
			    "agreement: duplicate volume for customer \"%s\" and agreement \"%s\" "
			    "(first %s)", S(z, cu[v[i].customer].id), S(z, a[v[i].agreement].id), w);
			continue;
		}
		first = i;
	}
	return 0;
}

/*
 * The agreements covering each customer (party only), in id order, as
 * offsets b->va_cust (ncustomers + 1) into b->va_idx: pairs (customer,
 * agreement) made agreement by agreement, then a stable counting sort by
 * customer. Only for a book with agreements and without errors.
 */
static int
by_customer(fz *z)
{
	b2b_book_builder *b = z->b;
	const b2b__agreement *a = ROWS(z, B2B_TABLE_VOLUME_AGREEMENTS, b2b__agreement);
	const b2b__customer *cu = ROWS(z, B2B_TABLE_CUSTOMERS, b2b__customer);
	size_t na = NROWS(z, B2B_TABLE_VOLUME_AGREEMENTS), nc = NROWS(z, B2B_TABLE_CUSTOMERS);
	b2b__vec pc, pa;   /* pairs: customer, agreement */
	uint32_t *off, *idx;
	size_t i, c, np;
	int rc = 0;

	if (na == 0 || b->nerrors > 0)
		return 0;
	memset(&pc, 0, sizeof pc);
	memset(&pa, 0, sizeof pa);
	for (i = 0; i < na && rc == 0; i++) {
		for (c = 0; c < nc && rc == 0; c++) {
			uint32_t *x, *y;

			if (a[i].party_kind == B2B__VA_PARTY_CUSTOMER) {
				c = a[i].customer;
				if (c >= nc)
					break;
			} else if (cu[c].segment != a[i].party) {
				continue;
			}
			if ((x = b2b__bb_vec_push(z->a, &pc, sizeof(uint32_t))) == NULL ||
			    (y = b2b__bb_vec_push(z->a, &pa, sizeof(uint32_t))) == NULL) {
				rc = B2B_ENOMEM;
				break;
			}
			*x = (uint32_t)c;
			*y = (uint32_t)i;
			if (a[i].party_kind == B2B__VA_PARTY_CUSTOMER)
				break;
		}
	}
	np = pc.n;
	if (rc == 0 &&
	    (b2b__grow(z->a, &b->va_cust.p, &b->va_cust.cap, nc + 1, sizeof(uint32_t)) < 0 ||
	     (np > 0 && b2b__grow(z->a, &b->va_idx.p, &b->va_idx.cap, np, sizeof(uint32_t)) < 0)))
		rc = B2B_ENOMEM;
	if (rc == 0) {
		const uint32_t *pcs = pc.p, *pas = pa.p;

		off = b->va_cust.p;
		idx = b->va_idx.p;
		memset(off, 0, (nc + 1) * sizeof(uint32_t));
		b->va_cust.n = nc + 1;
		for (i = 0; i < np; i++)
			off[pcs[i] + 1]++;
		for (c = 0; c < nc; c++)
			off[c + 1] += off[c];
		/* place: a running cursor per customer, kept in off[c] then restored */
		for (i = 0; i < np; i++)
			idx[off[pcs[i]]++] = pas[i];
		for (c = nc; c > 0; c--)
			off[c] = off[c - 1];
		off[0] = 0;
		b->va_idx.n = np;
	}
	b2b__bb_vec_free(z->a, &pc, sizeof(uint32_t));
	b2b__bb_vec_free(z->a, &pa, sizeof(uint32_t));
	return rc;
}

int
b2b__fz_volumes(fz *z, maps *m)
{
	u32map agr;
	int rc;

	memset(&agr, 0, sizeof agr);
	if ((rc = b2b__fz_keyed(z, B2B_TABLE_VOLUME_AGREEMENTS, offsetof(b2b__agreement, id),
	                        B2B__F_VA_ID, "agreement id", &agr)) < 0)
		return rc;
	agreements_refs(z, m);
	rc = volumes_refs(z, m, &agr);
	map_free(z->a, &agr);
	if (rc == 0)
		rc = by_customer(z);
	return rc;
}
