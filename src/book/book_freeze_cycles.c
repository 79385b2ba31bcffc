/*
 * libb2bcore — freezing a book builder (book_freeze.h): cycles of price
 * lists (SPEC §9). The lists form a graph (parent and base=list_id:
 * edges); Tarjan's strongly connected components find every cycle, and
 * each list of one is reported at its own row.
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <string.h>

#include "book_freeze.h"

/* The price lists as a graph: list i refers to to[off[i] .. off[i + 1]). */
typedef struct lgraph {
	size_t n;
	uint32_t *off;          /* n + 1 entries */
	uint32_t *to;
	size_t to_cap;
} lgraph;

static void
lgraph_free(fz *z, lgraph *g)
{
	b2b__free(z->a, g->to, g->to_cap * sizeof(uint32_t));
	b2b__free(z->a, g->off, (g->n + 1) * sizeof(uint32_t));
	g->to = g->off = NULL;
	g->to_cap = 0;
}

/* The edges of each list: its parent, then the distinct base lists of its
 * items (base=list_id:). Returns 0 or B2B_ENOMEM (g freed). */
static int
lgraph_build(fz *z, lgraph *g)
{
	const b2b__list *l = ROWS(z, B2B_TABLE_PRICE_LISTS, b2b__list);
	const b2b__item *it = ROWS(z, B2B_TABLE_PRICE_LIST_ITEMS, b2b__item);
	size_t n = NROWS(z, B2B_TABLE_PRICE_LISTS), ni = NROWS(z, B2B_TABLE_PRICE_LIST_ITEMS);
	size_t i, j, ne = 0, cap = 0;
	uint32_t *stamp = NULL;   /* the last list that named each list */
	void *to = NULL;
	int rc = 0;

	g->n = n;
	if ((g->off = b2b__calloc(z->a, n + 1, sizeof(uint32_t))) == NULL ||
	    (stamp = b2b__malloc(z->a, n * sizeof(uint32_t))) == NULL) {
		rc = B2B_ENOMEM;
		goto done;
	}
	for (i = 0; i < n; i++)
		stamp[i] = B2B__NONE;
	for (i = 0, j = 0; i < n; i++) {
		g->off[i] = (uint32_t)ne;
		if (l[i].parent != B2B__NONE) {
			if ((rc = b2b__grow(z->a, &to, &cap, ne + 1, sizeof(uint32_t))) < 0)
				goto done;
			((uint32_t *)to)[ne++] = l[i].parent;
			stamp[l[i].parent] = (uint32_t)i;
		}
		while (j < ni && it[j].list < i)
			j++;
		for (; j < ni && it[j].list == i; j++) {
			uint32_t bl = it[j].base_list;

			if (it[j].base != B2B__BASE_LIST_ID || bl == B2B__NONE || stamp[bl] == i)
				continue;
			stamp[bl] = (uint32_t)i;
			if ((rc = b2b__grow(z->a, &to, &cap, ne + 1, sizeof(uint32_t))) < 0)
				goto done;
			((uint32_t *)to)[ne++] = bl;
		}
	}
	g->off[n] = (uint32_t)ne;
done:
	g->to = to;
	g->to_cap = cap;
	b2b__free(z->a, stamp, n * sizeof(uint32_t));
	if (rc < 0)
		lgraph_free(z, g);
	return rc;
}

/*
 * Tarjan's algorithm, iterative (no recursion on deep chains): comp[v]
 * receives the strongly connected component of each list, numbered in the
 * order the components are completed; *ncomp their number. Returns 0 or
 * B2B_ENOMEM.
 */
static int
tarjan_sccs(fz *z, const lgraph *g, uint32_t *comp, uint32_t *ncomp)
{
	size_t n = g->n, i, sp = 0, cp = 0;
	uint32_t *idx = NULL, *low = NULL, *stack = NULL, *cstack = NULL, *cpos = NULL,
	         *on = NULL;
	uint32_t counter = 0;
	int rc = 0;

	*ncomp = 0;
	if ((idx = b2b__malloc(z->a, n * sizeof(uint32_t))) == NULL ||
	    (low = b2b__malloc(z->a, n * sizeof(uint32_t))) == NULL ||
	    (stack = b2b__malloc(z->a, n * sizeof(uint32_t))) == NULL ||
	    (cstack = b2b__malloc(z->a, n * sizeof(uint32_t))) == NULL ||
	    (cpos = b2b__malloc(z->a, n * sizeof(uint32_t))) == NULL ||
	    (on = b2b__calloc(z->a, n, sizeof(uint32_t))) == NULL) {
		rc = B2B_ENOMEM;
		goto done;
	}
	for (i = 0; i < n; i++) {
		idx[i] = B2B__NONE;
		comp[i] = B2B__NONE;
	}
	for (i = 0; i < n; i++) {
		if (idx[i] != B2B__NONE)
			continue;
		/* strongconnect(i), with its own stack of (list, next edge) */
		cstack[cp] = (uint32_t)i;
		cpos[cp++] = g->off[i];
		idx[i] = low[i] = counter++;
		stack[sp++] = (uint32_t)i;
		on[i] = 1;
		while (cp > 0) {
			uint32_t v = cstack[cp - 1], w;

			if (cpos[cp - 1] < g->off[v + 1]) {
				w = g->to[cpos[cp - 1]++];
				if (idx[w] == B2B__NONE) {
					idx[w] = low[w] = counter++;
					stack[sp++] = w;
					on[w] = 1;
					cstack[cp] = w;
					cpos[cp++] = g->off[w];
				} else if (on[w] && idx[w] < low[v]) {
					low[v] = idx[w];
				}
				continue;
			}
			cp--;
			if (cp > 0 && low[v] < low[cstack[cp - 1]])
				low[cstack[cp - 1]] = low[v];
			if (low[v] != idx[v])
				continue;
			do {
				w = stack[--sp];
				on[w] = 0;
				comp[w] = *ncomp;
			} while (w != v);
			(*ncomp)++;
		}
	}
done:
	b2b__free(z->a, idx, n * sizeof(uint32_t));
	b2b__free(z->a, low, n * sizeof(uint32_t));
	b2b__free(z->a, stack, n * sizeof(uint32_t));
	b2b__free(z->a, cstack, n * sizeof(uint32_t));
	b2b__free(z->a, cpos, n * sizeof(uint32_t));
	b2b__free(z->a, on, n * sizeof(uint32_t));
	return rc;
}

/* One error per list of a cycle (`members`, nm lists in id order). */
static void
report_cycle(fz *z, const uint32_t *members, size_t nm, const uint32_t *comp)
{
	const b2b__list *l = ROWS(z, B2B_TABLE_PRICE_LISTS, b2b__list);
	size_t k;

	for (k = 0; k < nm; k++) {
		uint32_t x = members[k];
		char others[400];
		size_t q, shown = 0;
		b2b__tbuf o;

		b2b__tbuf_init(&o, others, sizeof(others));
		for (q = 0; q < nm && !o.cut; q++) {
			if (members[q] == x)
				continue;
			if (shown == 8) {
				b2b__tbuf_puts(&o, ", ...");
				break;
			}
			b2b__tbuf_printf(&o, "%s\"%s\"", shown ? ", " : "", S(z, l[members[q]].id));
			shown++;
		}
		if (nm == 1)
			ERR(z, B2B_TABLE_PRICE_LISTS, x,
			    l[x].parent == x ? B2B__F_L_PARENT : B2B__F_L_ID,
			    "%s: price list \"%s\" refers to itself through %s",
			    l[x].parent == x ? "parent" : "id", S(z, l[x].id),
			    l[x].parent == x ? "parent" : "base=list_id: of its items");
		else
			ERR(z, B2B_TABLE_PRICE_LISTS, x,
			    l[x].parent != B2B__NONE && comp[l[x].parent] == comp[x]
			    ? B2B__F_L_PARENT : B2B__F_L_ID,
			    "%s: price list \"%s\" is in a cycle of price lists (through "
			    "parent or base=list_id:) with %s",
			    l[x].parent != B2B__NONE && comp[l[x].parent] == comp[x]
			    ? "parent" : "id", S(z, l[x].id), others);
	}
}

/*
 * Report every component that is a cycle (more than one list, or one list
 * that refers to itself), in the order Tarjan's algorithm completed them,
 * each one's lists in id order. Returns 0 or B2B_ENOMEM.
 */
static int
report_cycles(fz *z, const lgraph *g, const uint32_t *comp, uint32_t ncomp)
{
	size_t n = g->n, i, k;
	uint32_t *start = NULL, *members = NULL, c;

	if ((start = b2b__calloc(z->a, (size_t)ncomp + 1, sizeof(uint32_t))) == NULL ||
	    (members = b2b__malloc(z->a, n * sizeof(uint32_t))) == NULL) {
		b2b__free(z->a, start, ((size_t)ncomp + 1) * sizeof(uint32_t));
		return B2B_ENOMEM;
	}
	/* the lists of each component, in id order (a counting sort) */
	for (i = 0; i < n; i++)
		start[comp[i] + 1]++;
	for (c = 0; c < ncomp; c++)
		start[c + 1] += start[c];
	for (i = 0; i < n; i++)
		members[start[comp[i]]++] = (uint32_t)i;
	for (c = ncomp; c > 0; c--)
		start[c] = start[c - 1];
	start[0] = 0;
	for (c = 0; c < ncomp; c++) {
		const uint32_t *m = members + start[c];
		size_t nm = start[c + 1] - start[c];
		int self = 0;

		if (nm == 1) {
			for (k = g->off[m[0]]; k < g->off[m[0] + 1]; k++)
				if (g->to[k] == m[0])
					self = 1;
			if (!self)
				continue;
		}
		report_cycle(z, m, nm, comp);
	}
	b2b__free(z->a, start, ((size_t)ncomp + 1) * sizeof(uint32_t));
	b2b__free(z->a, members, n * sizeof(uint32_t));
	return 0;
}

/* SPEC §9: no list may reach itself through parent or base=list_id:. */
int
b2b__fz_cycles(fz *z)
{
	size_t n = NROWS(z, B2B_TABLE_PRICE_LISTS);
	uint32_t *comp, ncomp;
	lgraph g;
	int rc;

	if (n == 0)
		return 0;
	if ((rc = lgraph_build(z, &g)) < 0)
		return rc;
	if ((comp = b2b__malloc(z->a, n * sizeof(uint32_t))) == NULL)
		rc = B2B_ENOMEM;
	if (rc == 0)
		rc = tarjan_sccs(z, &g, comp, &ncomp);
	if (rc == 0)
		rc = report_cycles(z, &g, comp, ncomp);
	b2b__free(z->a, comp, n * sizeof(uint32_t));
	lgraph_free(z, &g);
	return rc;
}
