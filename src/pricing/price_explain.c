/*
 * libb2bcore — the line pricer's waterfall and candidates (pricer.h):
 * the steps and candidates a line records with in->trace / in->explain,
 * and their source strings, built in the ctx arena. Nothing here runs
 * for a line priced without them (the batch path).
 *
 * ---- Candidates (with in->explain), in the order they were met ----
 *
 *  price_list  For each candidate list in the order of SPEC §5.2 (each at
 *              most once), and each parent tried on its chain:
 *              - a list that does not count: `price_list:ID`, passed,
 *                `other_currency` or `out_of_window` (currency checked
 *                first); for a candidate its chain is not visited;
 *              - a list with no item for this product at all:
 *                `price_list:ID`, passed, `no_item`;
 *              - otherwise every item of the list whose scope matches S:
 *                the item(s) that gave the price as one candidate named
 *                like the step, `applied`; the others passed, named
 *                `price_list:ID/SCOPE/min_qty:N[/from:D]`, with the first
 *                reason that holds of: `out_of_window`, `no_data`
 *                (base=cost on a product without cost),
 *                `min_qty_not_reached` (min_qty > Q), `less_specific`
 *                (a less specific scope than the chosen one),
 *                `lower_break` (a break of the chosen scope superseded by
 *                a higher min_qty ≤ Q), `no_units` (an incremental break
 *                with min_qty = Q: reached, but no unit falls in it);
 *              - every candidate list after the one that gave the price:
 *                `price_list:ID`, passed, `lower_priority` (not examined).
 *  contract    For each of C's contracts: `contract:ID` passed with
 *              `other_currency` / `out_of_window` / `no_item` as for
 *              lists; else each item matching S: the winning item applied
 *              (or passed `not_lower` under policy best), the others
 *              passed with `out_of_window`, `min_qty_not_reached`,
 *              `less_specific`, `lower_priority` (same specificity in a
 *              contract that lost the tie) or `lower_break`.
 *  volume      Each discount agreement that applies to the line (SPEC
 *              §10.1), in id order: `volume:ID`, applied (the chosen one,
 *              its V reaching a tier), or passed with `below_first_tier`
 *              (the chosen one below its first threshold) or
 *              `less_specific` (any other, whatever decided).
 *  dynamic     Each rule whose scope matches S: `rule:ID`, applied, or
 *              passed with `protected` (the line's price came from a
 *              contract), `out_of_window` or `no_data` (a signal input or
 *              cost / competitor price is missing, or a divisor is 0).
 *  promotion   Each line promotion whose scope matches S and that the
 *              request can use (price.c, "Promotions"): `promotion:ID`,
 *              applied, or passed with `out_of_window`, `other_segment`,
 *              `protected` (protected line, contract without
 *              allow_promotions), `exclusive_blocked` or `did_not_lower`.
 *
 * Reasons are static strings; the set is: out_of_window, other_currency,
 * no_item, no_data, min_qty_not_reached, less_specific, lower_priority,
 * lower_break, no_units, not_lower, protected, other_segment,
 * exclusive_blocked, did_not_lower, below_first_tier; "" for an applied
 * candidate.
 * SPDX-License-Identifier: MIT
 */
#include "pricer.h"
#include "b2b/date.h"

/*
 * A source string being built: in a stack buffer first, copied once into
 * the arena at its exact size by sb_done() (one allocation per string).
 */
typedef struct sbuf {
	pricer *p;
	char *s;
	size_t len, cap;
	int err;
	char local[192];
} sbuf;

static void
sb_init(sbuf *sb, pricer *p)
{
	sb->p = p;
	sb->s = sb->local;
	sb->len = 0;
	sb->cap = sizeof sb->local;
	sb->err = 0;
}

static void sb_put_grow(sbuf *sb, const char *s, size_t n);

/* The common case (room left) inline; growing out of line. */
static inline void
sb_put(sbuf *sb, const char *s, size_t n)
{
	if (sb->len + n + 1 <= sb->cap && !sb->err) {
		memcpy(sb->s + sb->len, s, n);
		sb->len += n;
		return;
	}
	sb_put_grow(sb, s, n);
}

static void
sb_put_grow(sbuf *sb, const char *s, size_t n)
{
	if (sb->err)
		return;
	if (sb->len + n + 1 > sb->cap) {
		size_t cap = sb->cap * 2;
		char *ns;

		while (cap < sb->len + n + 1)
			cap *= 2;
		ns = b2b__ctx_alloc(sb->p->ctx, cap);
		if (ns == NULL) {
			sb->err = 1;
			return;
		}
		memcpy(ns, sb->s, sb->len);
		sb->s = ns;
		sb->cap = cap;
	}
	memcpy(sb->s + sb->len, s, n);
	sb->len += n;
}

static void
sb_str(sbuf *sb, const char *s)
{
	sb_put(sb, s, strlen(s));
}

/* v in its shortest exact form (an integer without the formatter). */
static void
sb_dec(sbuf *sb, b2b_dec v)
{
	char buf[B2B_DEC_FORMAT_MAX], *d = buf + sizeof buf;

	if (v.hi == 0 && v.lo % (uint64_t)B2B__DEC_ONE == 0) {
		uint64_t n = v.lo / (uint64_t)B2B__DEC_ONE;

		do {
			*--d = (char)('0' + n % 10);
			n /= 10;
		} while (n != 0);
		sb_put(sb, d, (size_t)(buf + sizeof buf - d));
		return;
	}
	if (b2b_dec_format(buf, sizeof buf, NULL, v, B2B_DEC_SCALE_EXACT, sb->p->mode) != 0)
		buf[0] = '\0';
	sb_str(sb, buf);
}

static void
sb_time(sbuf *sb, int64_t sec, int32_t form)
{
	char buf[B2B_TIME_FORMAT_MAX];
	b2b_time t;

	t.sec = sec;
	t.form = form == B2B_TIME_DATETIME ? B2B_TIME_DATETIME : B2B_TIME_DATE;
	t.reserved = 0;
	if (b2b_time_format(buf, sizeof buf, NULL, t) != 0)
		buf[0] = '\0';
	sb_str(sb, buf);
}

/* The finished string in the arena, or NULL when out of memory. */
static const char *
sb_done(sbuf *sb)
{
	char *d;

	if (sb->err)
		return NULL;
	if (sb->s != sb->local) {
		sb->s[sb->len] = '\0';
		return sb->s;
	}
	if ((d = b2b__ctx_alloc(sb->p->ctx, sb->len + 1)) == NULL)
		return NULL;
	memcpy(d, sb->local, sb->len);
	d[sb->len] = '\0';
	return d;
}

int
b2b__pr_push_step(pricer *p, int step, const char *source, b2b_dec before, b2b_dec after)
{
	b2b__line_out *o = p->out;
	b2b__step *s;

	if (!p->trace)
		return 0;
	if (source == NULL)
		return nomem(p);
	if (o->nsteps == p->steps_cap) {
		size_t cap = p->steps_cap ? p->steps_cap * 2 : 8;
		b2b__step *n = b2b__ctx_alloc(p->ctx, cap * sizeof *n);

		if (n == NULL)
			return nomem(p);
		if (o->nsteps)
			memcpy(n, o->steps, o->nsteps * sizeof *n);
		o->steps = n;
		p->steps_cap = cap;
	}
	s = &o->steps[o->nsteps++];
	s->step = step;
	s->source = source;
	s->before = before;
	s->after = after;
	s->rec = B2B__NONE;
	return 0;
}

int
b2b__pr_push_cand(pricer *p, int step, const char *source, int applied, const char *reason)
{
	b2b__line_out *o = p->out;
	b2b__cand *c;

	if (!p->explain)
		return 0;
	if (source == NULL)
		return nomem(p);
	if (o->ncands == p->cands_cap) {
		size_t cap = p->cands_cap ? p->cands_cap * 2 : 16;
		b2b__cand *n = b2b__ctx_alloc(p->ctx, cap * sizeof *n);

		if (n == NULL)
			return nomem(p);
		if (o->ncands)
			memcpy(n, o->cands, o->ncands * sizeof *n);
		o->cands = n;
		p->cands_cap = cap;
	}
	c = &o->cands[o->ncands++];
	c->step = step;
	c->source = source;
	c->applied = applied;
	c->reason = applied ? "" : reason;
	return 0;
}

/* "<prefix>:<id>", written straight into the arena at its exact size. */
const char *
b2b__pr_src_key(pricer *p, const char *prefix, b2b__str id)
{
	const char *s = b2b__s(p->b, id);
	size_t a = strlen(prefix), n = strlen(s);
	char *d = b2b__ctx_alloc(p->ctx, a + n + 2);

	if (d == NULL)
		return NULL;
	memcpy(d, prefix, a);
	d[a] = ':';
	memcpy(d + a + 1, s, n);
	d[a + 1 + n] = '\0';
	return d;
}

int
b2b__pr_cand_key(pricer *p, int step, const char *prefix, b2b__str id, const char *why)
{
	if (!p->explain)
		return 0;
	return push_cand(p, step, b2b__pr_src_key(p, prefix, id), 0, why);
}

/* "<prefix>:<owner>/<scope>/min_qty:<n>[/from:<date>]" for one item. */
const char *
b2b__pr_src_item(pricer *p, const char *prefix, b2b__str owner, const b2b__item *it)
{
	const b2b__window *w = &b2b__book_item_ext(p->b, it)->window;
	sbuf sb;

	sb_init(&sb, p);
	sb_str(&sb, prefix);
	sb_str(&sb, ":");
	sb_str(&sb, b2b__s(p->b, owner));
	sb_str(&sb, "/");
	sb_str(&sb, b2b__s(p->b, it->scope.text));
	sb_str(&sb, "/min_qty:");
	sb_dec(&sb, it->min_qty);
	if (w->from != B2B__T_MIN) {
		sb_str(&sb, "/from:");
		sb_time(&sb, w->from, w->from_form);
	}
	return sb_done(&sb);
}

/* "volume:<id>/tier:<threshold as written>" (SPEC §10.3). */
const char *
b2b__pr_src_volume(pricer *p, b2b__str id, b2b__str threshold_text)
{
	sbuf sb;

	sb_init(&sb, p);
	sb_str(&sb, "volume:");
	sb_str(&sb, b2b__s(p->b, id));
	sb_str(&sb, "/tier:");
	sb_str(&sb, b2b__s(p->b, threshold_text));
	return sb_done(&sb);
}

/* "fx:<from>/<to>": the fx_rates row used, as stored (SPEC §5.1). */
const char *
b2b__pr_fx_source(pricer *p, uint16_t from, uint16_t to)
{
	sbuf sb;

	sb_init(&sb, p);
	sb_str(&sb, "fx:");
	sb_str(&sb, p->b->currencies[from].code);
	sb_str(&sb, "/");
	sb_str(&sb, p->b->currencies[to].code);
	return sb_done(&sb);
}

/*===========================================================================
 * MARK: - Price lists (SPEC §5.2)
 *===========================================================================*/

/* The `price_list` step's source for the chosen group of list l. */
const char *
b2b__pr_list_source(pricer *p, uint32_t l, b2b__range grp, const b2b__item *chosen)
{
	const b2b__list *li = &p->b->lists[l];
	const b2b__item *first = NULL;
	size_t k;
	int any_from = 0, n;
	sbuf sb;

	if (chosen != NULL)
		return b2b__pr_src_item(p, "price_list", li->id, chosen);
	sb_init(&sb, p);
	sb_str(&sb, "price_list:");
	sb_str(&sb, b2b__s(p->b, li->id));
	for (n = 0, k = 0; k < grp.n; k++) {
		const b2b__item *it = &p->b->items[grp.off + k];

		if (!item_matches(p, it) || !incr_used(p, it, n == 0))
			continue;
		if (n == 0) {
			first = it;
			sb_str(&sb, "/");
			sb_str(&sb, b2b__s(p->b, it->scope.text));
			sb_str(&sb, "/min_qty:");
		} else {
			sb_str(&sb, ",");
		}
		sb_dec(&sb, it->min_qty);
		if (b2b__book_item_ext(p->b, it)->window.from != B2B__T_MIN)
			any_from = 1;
		n++;
	}
	if (any_from && first != NULL) {
		sb_str(&sb, "/from:");
		for (n = 0, k = 0; k < grp.n; k++) {
			const b2b__item *it = &p->b->items[grp.off + k];
			const b2b__window *w = &b2b__book_item_ext(p->b, it)->window;

			if (!item_matches(p, it) || !incr_used(p, it, n == 0))
				continue;
			if (n > 0)
				sb_str(&sb, ",");
			if (w->from != B2B__T_MIN)
				sb_time(&sb, w->from, w->from_form);
			n++;
		}
	}
	return sb_done(&sb);
}

/*
 * Candidates for the items of list l. `grp` is the chosen group (n = 0
 * when none), `chosen` the all_units / block break, `applied_src` the
 * step source (NULL when the list gave no price).
 */
int
b2b__pr_explain_list(pricer *p, uint32_t l, const b2b__range *grp, const b2b__item *chosen,
                     const char *applied_src)
{
	b2b__range groups[B2B__PRICE_MAX_GROUPS];
	const b2b__list *li = &p->b->lists[l];
	size_t ng, g, k, total = 0;
	int seen_chosen = 0;

	ng = b2b__book_items(p->b, l, p->in->product, groups, B2B__PRICE_MAX_GROUPS);
	if (ng > B2B__PRICE_MAX_GROUPS)
		ng = B2B__PRICE_MAX_GROUPS;
	for (g = 0; g < ng; g++)
		total += groups[g].n;
	if (total == 0)
		return push_cand(p, B2B__STEP_PRICE_LIST, b2b__pr_src_key(p, "price_list", li->id),
		                 0, R_NO_ITEM);
	for (g = 0; g < ng; g++) {
		int is_chosen = grp != NULL && grp->n > 0 && groups[g].off == grp->off;
		int nbreak = 0;

		if (is_chosen) {
			seen_chosen = 1;
			TRY(push_cand(p, B2B__STEP_PRICE_LIST, applied_src, 1, ""));
		}
		for (k = 0; k < groups[g].n; k++) {
			const b2b__item *it = &p->b->items[groups[g].off + k];
			const char *why;

			if (!b2b__item_window_has(p->b, it, p->in->as_of)) {
				why = R_OUT_OF_WINDOW;
			} else if (it->base == B2B__BASE_COST && !p->has_cost) {
				why = R_NO_DATA;
			} else if (!qty_reaches(p, it)) {
				why = R_MIN_QTY;
			} else if (!is_chosen) {
				why = seen_chosen ? R_LESS_SPECIFIC : R_MIN_QTY;
			} else if (li->tier_mode == B2B__TIER_INCREMENTAL) {
				int used = incr_used(p, it, nbreak == 0);

				nbreak++;
				if (used)
					continue;
				why = R_NO_UNITS;
			} else if (it == chosen) {
				continue;
			} else {
				why = R_LOWER_BREAK;
			}
			TRY(push_cand(p, B2B__STEP_PRICE_LIST,
			              b2b__pr_src_item(p, "price_list", li->id, it), 0, why));
		}
	}
	return 0;
}

/*===========================================================================
 * MARK: - Contracts (SPEC §5.3)
 *===========================================================================*/

int
b2b__pr_explain_contracts(pricer *p, const cpick *win, const char *win_src, int taken)
{
	const b2b_book *b = p->b;
	b2b__range groups[B2B__PRICE_MAX_GROUPS];
	uint32_t i;

	for (i = 0; i < p->cust->contracts_n; i++) {
		uint32_t k = b->u32[p->cust->contracts_off + i];
		const b2b__contract *ct;
		const char *why;
		size_t ng, g, j, total = 0;

		if (k >= b->ncontracts)
			continue;
		ct = &b->contracts[k];
		if (!contract_counts(p, ct, &why)) {
			TRY(push_cand(p, B2B__STEP_CONTRACT, b2b__pr_src_key(p, "contract", ct->id), 0,
			              why));
			continue;
		}
		ng = b2b__book_citems(b, k, p->in->product, groups, B2B__PRICE_MAX_GROUPS);
		if (ng > B2B__PRICE_MAX_GROUPS)
			ng = B2B__PRICE_MAX_GROUPS;
		for (g = 0; g < ng; g++)
			total += groups[g].n;
		if (total == 0) {
			TRY(push_cand(p, B2B__STEP_CONTRACT, b2b__pr_src_key(p, "contract", ct->id),
			              0, R_NO_ITEM));
			continue;
		}
		for (g = 0; g < ng; g++) {
			for (j = 0; j < groups[g].n; j++) {
				const b2b__item *it = &b->citems[groups[g].off + j];
				int rank = b2b__scope_rank(&it->scope);

				if (it == win->item) {
					TRY(push_cand(p, B2B__STEP_CONTRACT, win_src, taken, R_NOT_LOWER));
					continue;
				}
				if (!b2b__item_window_has(p->b, it, p->in->as_of))
					why = R_OUT_OF_WINDOW;
				else if (!qty_reaches(p, it))
					why = R_MIN_QTY;
				else if (rank < win->rank)
					why = R_LESS_SPECIFIC;
				else if (k != win->contract)
					why = R_LOWER_PRIORITY;
				else
					why = R_LOWER_BREAK;
				TRY(push_cand(p, B2B__STEP_CONTRACT,
				              b2b__pr_src_item(p, "contract", ct->id, it), 0, why));
			}
		}
	}
	return 0;
}
