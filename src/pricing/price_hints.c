/*
 * libb2bcore — hints on a priced line (SPEC §11): what would change its
 * price. Computed only for a line priced with in->explain, after the line
 * (quote.c calls b2b__price_hints()); nothing here runs otherwise, and no
 * hint changes a figure of the line.
 * SPDX-License-Identifier: MIT
 *
 * ---- Decisions where SPEC leaves room (kept stable; tests pin them) ----
 *
 * next_break. The candidates Q' are the min_qty values above Q of the
 * breaks of the scope that priced the line: the contract's chosen scope
 * group when the contract price was taken (its items valid at T), else
 * the chosen scope group of the list that gave P (its items that match:
 * valid at T, base=cost only with a cost), none when no list gave a
 * price or that list is `incremental`. They are tried in ascending order
 * (one try per distinct value); the line is priced again at Q' exactly as
 * at Q (same customer, currency, as-of, channel, codes) but with no
 * requested price, and the first Q' whose rounded unit price is below the
 * line's rounded price before any requested price is the hint. A Q' at
 * which the line cannot be priced (NEGATIVE_PRICE, NO_FX_RATE, a figure
 * out of range) is passed over. `qty` is written in its shortest exact
 * form (the break's min_qty), `unit_price` at unit_price_decimals.
 * With agreements (SPEC §10): the thresholds of the `qty` discount
 * agreement chosen for the line add Q' = threshold − (V − Q); the line is
 * priced again with the document's volumes moved by its own contribution
 * at Q' instead of Q (vol_at()), the rest of the document unchanged.
 *
 * volume_tier. The discount agreement chosen for the line (V and tier as
 * priced, out->vol_V / vol_tier) and the rebate agreements the caller
 * names (b2b__hint_vol), in id order, each when a next tier exists;
 * `missing` exact for qty, rounded toward +infinity to K's minor units
 * for amount; `percent` as written. No rate to K: no hint.
 *
 * expires. The records looked at, in this order (the order ties go by):
 * the price list that gave P (`price_list:ID`), the items it used (its
 * all_units / block break, or every incremental break that holds units),
 * named by the `price_list` step's source; the contract whose price was
 * taken (`contract:ID`); each rule, then each promotion, applied (named
 * by its step's source); the discount agreement whose `volume` step
 * shows (`volume:ID`); then the FX rate row that follows the one the
 * `fx` step used (same from and to, the smallest valid_from after T; the
 * source is the `fx` step's). A record with an open valid_until gives
 * nothing. `at` is written as the book wrote the valid_until (a date
 * stays a date); an FX row's valid_from, whose form the book does not
 * keep, is written as a date when it is at 00:00:00Z, else as a
 * date-time. Nested base evaluations (base=parent, base=list_id) name no
 * record in the waterfall, so their lists and items are not looked at.
 *
 * Messages are English sentences for a person; programs read the fields.
 */
#include <stdio.h>

#include "pricer.h"
#include "volume.h"
#include "arena.h"
#include "enum.h"
#include "b2b/date.h"

static const char *const hint_names[B2B__HINT_KINDS] = {
	"next_break", "volume_tier", "expires", "order_promotion",
};

const char *
b2b_hint_kind_name(b2b_hint_kind kind)
{
	return b2b__enum_name(hint_names, B2B__HINT_KINDS, (long long)kind);
}

int
b2b_hint_kind_parse(b2b_hint_kind *out, const char *name, size_t len)
{
	int i = 0, rc = b2b__enum_parse(out != NULL ? &i : NULL, hint_names, B2B__HINT_KINDS,
	                                name, len);

	if (rc == 0)
		*out = (b2b_hint_kind)i;
	return rc;
}

/*===========================================================================
 * MARK: - Accessors
 *===========================================================================*/

int
b2b_hint_get_kind(const b2b_hint *h)
{
	return h != NULL ? h->kind : -1;
}

const char *
b2b_hint_message(const b2b_hint *h)
{
	return h != NULL ? h->message : NULL;
}

size_t
b2b_hint_field_count(const b2b_hint *h)
{
	return h != NULL ? h->nfields : 0;
}

const char *
b2b_hint_field_name(const b2b_hint *h, size_t i)
{
	return h != NULL && i < h->nfields ? h->fname[i] : NULL;
}

const char *
b2b_hint_field_text(const b2b_hint *h, size_t i)
{
	return h != NULL && i < h->nfields ? h->ftext[i] : NULL;
}

static int
dec_of(b2b_dec *out, const b2b_hint *h, int k1, int k2, int which)
{
	if (out == NULL || h == NULL)
		return B2B_EINVAL;
	if (h->kind != k1 && h->kind != k2)
		return B2B_ENOTFOUND;
	switch (which) {
	case 0: *out = h->qty; break;
	case 1: *out = h->unit_price; break;
	case 2: *out = h->missing; break;
	default: *out = h->percent; break;
	}
	return 0;
}

int
b2b_hint_qty(b2b_dec *out, const b2b_hint *h)
{
	return dec_of(out, h, B2B_HINT_NEXT_BREAK, B2B_HINT_NEXT_BREAK, 0);
}

int
b2b_hint_unit_price(b2b_dec *out, const b2b_hint *h)
{
	return dec_of(out, h, B2B_HINT_NEXT_BREAK, B2B_HINT_NEXT_BREAK, 1);
}

int
b2b_hint_missing(b2b_dec *out, const b2b_hint *h)
{
	return dec_of(out, h, B2B_HINT_VOLUME_TIER, B2B_HINT_ORDER_PROMOTION, 2);
}

int
b2b_hint_percent(b2b_dec *out, const b2b_hint *h)
{
	return dec_of(out, h, B2B_HINT_VOLUME_TIER, B2B_HINT_VOLUME_TIER, 3);
}

int
b2b_hint_at(b2b_time *out, const b2b_hint *h)
{
	if (out == NULL || h == NULL)
		return B2B_EINVAL;
	if (h->kind != B2B_HINT_EXPIRES)
		return B2B_ENOTFOUND;
	*out = h->at;
	return 0;
}

const char *
b2b_hint_source(const b2b_hint *h)
{
	return h != NULL && h->kind == B2B_HINT_EXPIRES ? h->name : NULL;
}

const char *
b2b_hint_agreement(const b2b_hint *h)
{
	return h != NULL && h->kind == B2B_HINT_VOLUME_TIER ? h->name : NULL;
}

const char *
b2b_hint_promotion(const b2b_hint *h)
{
	return h != NULL && h->kind == B2B_HINT_ORDER_PROMOTION ? h->name : NULL;
}

/*===========================================================================
 * MARK: - Building hints
 *===========================================================================*/

b2b__hint *
b2b__hint_push(b2b_ctx *ctx, b2b__hint **arr, size_t *n)
{
	b2b__hint *h;

	/* capacity: 4, then the next power of two (never stored) */
	if (*n == 0 || (*n >= 4 && (*n & (*n - 1)) == 0)) {
		size_t cap = *n == 0 ? 4 : *n * 2;
		b2b__hint *na = b2b__ctx_alloc(ctx, cap * sizeof *na);

		if (na == NULL)
			return NULL;
		if (*n > 0)
			memcpy(na, *arr, *n * sizeof *na);
		*arr = na;
	}
	h = &(*arr)[(*n)++];
	memset(h, 0, sizeof *h);
	return h;
}

static const char *
time_text(b2b_ctx *ctx, b2b_time t)
{
	char buf[B2B_TIME_FORMAT_MAX];

	if (b2b_time_format(buf, sizeof buf, NULL, t) < 0)
		buf[0] = '\0';
	return b2b__ctx_strndup(ctx, buf, strlen(buf));
}

static void
field(b2b__hint *h, const char *name, const char *text)
{
	if (h->nfields < B2B__HINT_FIELDS) {
		h->fname[h->nfields] = name;
		h->ftext[h->nfields] = text;
		h->nfields++;
	}
}

static int
nomem_hint(b2b_ctx *ctx)
{
	return b2b__ctx_seterr(ctx, B2B_ENOMEM, "hints: out of memory");
}

/* ---- next_break ---- */

/* Insertion sort, ascending: a scope's breaks and an agreement's tiers are few. */
static void
sort_decs(b2b_dec *v, size_t n)
{
	size_t i, j;

	for (i = 1; i < n; i++) {
		b2b_dec x = v[i];

		for (j = i; j > 0 && dcmp(v[j - 1], x) > 0; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

/*
 * The document's volumes with this line at q2 instead of Q (SPEC §11:
 * the rest of the document unchanged): every agreement of in->vol whose
 * scope holds the line moves by its contribution at q2 minus the one at
 * Q (qty: the quantities; amount: r9(x × qty), x the price entering the
 * volume step, at q2 found by a probe). Returns 0 with *nd, 1 when the
 * line cannot be priced at q2, or a negative status.
 */
static int
vol_at(b2b__vol_doc *nd, const b2b__line_out *out, b2b_ctx *ctx, const b2b_book *b,
       const b2b__line_in *in, b2b_dec q2)
{
	const b2b__vol_doc *d = in->vol;
	b2b_rounding mode = b->settings.rounding;
	b2b_dec x2 = out->vol_x;
	int probed = 0, rc;
	size_t k;

	*nd = *d;
	if ((nd->V = b2b__ctx_alloc(ctx, (d->n + 1) * sizeof *nd->V)) == NULL)
		return nomem_hint(ctx);
	memcpy(nd->V, d->V, d->n * sizeof *nd->V);
	for (k = 0; k < d->n; k++) {
		const b2b__agreement *a = &b->agreements[d->agr[k]];
		b2b_dec was = in->qty, now = q2;

		if (!b2b__scope_matches(b, &a->scope, in->product))
			continue;
		if (a->basis == B2B__VA_BASIS_AMOUNT) {
			if (!probed) {
				b2b__line_in pin = *in;
				b2b__line_out po;

				pin.qty = q2;
				pin.has_requested = 0;
				pin.trace = pin.explain = 0;
				pin.vol_probe = 1;
				rc = b2b__price_line(&po, ctx, b, &pin);
				if (rc == B2B_EOVERFLOW)
					return 1;
				if (rc < 0)
					return rc;
				if (po.problem != B2B__PROBLEM_NONE)
					return 1;
				x2 = po.vol_x;
				probed = 1;
			}
			if (b2b_dec_mul(&was, out->vol_x, in->qty, B2B_DEC_SCALE, mode) < 0 ||
			    b2b_dec_mul(&now, x2, q2, B2B_DEC_SCALE, mode) < 0)
				return 1;
		}
		if (b2b_dec_sub(&nd->V[k], nd->V[k], was) < 0 ||
		    b2b_dec_add(&nd->V[k], nd->V[k], now) < 0)
			return 1;
	}
	return 0;
}

/*
 * The quantities a next break could be, ascending, each once: the
 * min_qty above Q of the breaks of the scope that priced the line, and
 * the Q' = threshold − (V − Q) above Q of the chosen `qty` discount
 * agreement (V includes this line's Q). *out in the arena.
 */
static int
break_qtys(const b2b__line_out *out, b2b_ctx *ctx, const b2b_book *b, const b2b__line_in *in,
           b2b_dec **qs, size_t *nq)
{
	const b2b__item *items = NULL;
	const b2b__agreement *a = NULL;
	b2b__range grp = { 0, 0 };
	int is_contract = 0;
	size_t k, n = 0, cap;
	b2b_dec *v, rest;

	*qs = NULL;
	*nq = 0;
	if (out->by_contract) {
		items = b->citems;
		grp = out->contract_grp;
		is_contract = 1;
	} else if (out->by_list && b->lists[out->list].tier_mode != B2B__TIER_INCREMENTAL) {
		items = b->items;
		grp = out->list_grp;
	}
	if (b->nagreements != 0 && out->vol_agreement < b->nagreements &&
	    b->agreements[out->vol_agreement].basis == B2B__VA_BASIS_QTY)
		a = &b->agreements[out->vol_agreement];
	cap = grp.n + (a != NULL ? a->tiers_n : 0);
	if (cap == 0)
		return 0;
	if ((v = b2b__ctx_alloc(ctx, cap * sizeof *v)) == NULL)
		return nomem_hint(ctx);
	for (k = 0; k < grp.n; k++) {
		const b2b__item *it = &items[grp.off + k];

		if (!b2b__item_window_has(b, it, in->as_of))
			continue;
		if (!is_contract && it->base == B2B__BASE_COST && !out->cost.set)
			continue;
		if (dcmp(it->min_qty, in->qty) > 0)
			v[n++] = it->min_qty;
	}
	if (a != NULL && b2b_dec_sub(&rest, out->vol_V, in->qty) == 0) {
		for (k = 0; k < a->tiers_n; k++) {
			b2b_dec q2;

			if (b2b_dec_sub(&q2, b2b__vol_tier_at(b, a, (uint32_t)k)->threshold, rest) == 0 &&
			    dcmp(q2, in->qty) > 0)
				v[n++] = q2;
		}
	}
	sort_decs(v, n);
	for (k = 0, *nq = 0; k < n; k++)
		if (*nq == 0 || dcmp(v[k], v[*nq - 1]) != 0)
			v[(*nq)++] = v[k];
	*qs = v;
	return 0;
}

static int
next_break(b2b__line_out *out, b2b_ctx *ctx, const b2b_book *b, const b2b__line_in *in)
{
	b2b_dec *qs;
	size_t nq, k;
	int rc;

	if ((rc = break_qtys(out, ctx, b, in, &qs, &nq)) < 0)
		return rc;
	for (k = 0; k < nq; k++) {
		b2b__line_in at = *in;
		b2b__line_out o;
		b2b__vol_doc nd;
		b2b__hint *h;
		char qbuf[B2B_DEC_FORMAT_MAX], pbuf[B2B_DEC_FORMAT_MAX], nbuf[B2B_DEC_FORMAT_MAX];

		at.qty = qs[k];
		at.has_requested = 0;
		at.trace = 0;
		at.explain = 0;
		if (in->vol != NULL) {
			if ((rc = vol_at(&nd, out, ctx, b, in, qs[k])) < 0)
				return rc;
			if (rc > 0)
				continue;
			at.vol = &nd;
		}
		rc = b2b__price_line(&o, ctx, b, &at);
		if (rc == B2B_EOVERFLOW)
			continue;
		if (rc < 0)
			return rc;
		if (o.problem != B2B__PROBLEM_NONE || dcmp(o.unit_price, out->engine_rounded) >= 0)
			continue;
		if ((h = b2b__hint_push(ctx, &out->hints, &out->nhints)) == NULL)
			return nomem_hint(ctx);
		h->kind = B2B_HINT_NEXT_BREAK;
		h->qty = qs[k];
		h->unit_price = o.unit_price;
		if (b2b_dec_format(qbuf, sizeof qbuf, NULL, qs[k], B2B_DEC_SCALE_EXACT,
		                   b->settings.rounding) < 0 ||
		    b2b_dec_format(pbuf, sizeof pbuf, NULL, o.unit_price,
		                   b->settings.unit_price_decimals, b->settings.rounding) < 0 ||
		    b2b_dec_format(nbuf, sizeof nbuf, NULL, out->engine_rounded,
		                   b->settings.unit_price_decimals, b->settings.rounding) < 0)
			qbuf[0] = pbuf[0] = nbuf[0] = '\0';
		field(h, "qty", b2b__ctx_strndup(ctx, qbuf, strlen(qbuf)));
		field(h, "unit_price", b2b__ctx_strndup(ctx, pbuf, strlen(pbuf)));
		h->message = b2b__arena_printf(ctx, "from qty %s the unit price is %s instead of %s",
		                               qbuf, pbuf, nbuf);
		if (h->message == NULL || h->ftext[0] == NULL || h->ftext[1] == NULL)
			return nomem_hint(ctx);
		return 0;
	}
	return 0;
}

/* ---- volume_tier ---- */

/* One hint for agreement ai at V (in K) and the tier V reaches. */
static int
tier_hint(b2b__line_out *out, b2b_ctx *ctx, const b2b_book *b, const b2b__line_in *in,
          uint32_t ai, b2b_dec V)
{
	const b2b__agreement *a = &b->agreements[ai];
	const b2b__tier *t;
	b2b__hint *h;
	b2b_dec rate, th, missing;
	int tier, minor = b->currencies[in->currency].minor_units, amount;
	char mbuf[B2B_DEC_FORMAT_MAX];

	if (b2b__vol_rate(b, a, in->currency, in->as_of, &rate) != 0 ||
	    b2b__vol_tier(b, a, V, rate, &tier) != 0 || (uint32_t)(tier + 1) >= a->tiers_n)
		return 0;       /* no rate (a document that prices it has none), or no next tier */
	t = b2b__vol_tier_at(b, a, (uint32_t)(tier + 1));
	amount = a->basis == B2B__VA_BASIS_AMOUNT;
	if (b2b__vol_threshold(b, a, (uint32_t)(tier + 1), rate, &th) != 0 ||
	    b2b_dec_sub(&missing, th, V) != 0 ||
	    (amount && b2b_dec_round(&missing, missing, minor, B2B_ROUND_CEILING) != 0))
		return 0;
	if ((h = b2b__hint_push(ctx, &out->hints, &out->nhints)) == NULL)
		return nomem_hint(ctx);
	h->kind = B2B_HINT_VOLUME_TIER;
	h->name = b2b__s(b, a->id);
	h->missing = missing;
	h->percent = t->percent;
	if (b2b_dec_format(mbuf, sizeof mbuf, NULL, missing, amount ? minor : B2B_DEC_SCALE_EXACT,
	                   b->settings.rounding) < 0)
		mbuf[0] = '\0';
	field(h, "agreement", h->name);
	field(h, "missing", b2b__ctx_strndup(ctx, mbuf, strlen(mbuf)));
	field(h, "percent", b2b__s(b, t->percent_text));
	h->message = amount
		? b2b__arena_printf(ctx, "%s %s more reaches the %s %% tier of agreement %s", mbuf,
		                    b->currencies[in->currency].code, b2b__s(b, t->percent_text),
		                    h->name)
		: b2b__arena_printf(ctx, "%s more units reach the %s %% tier of agreement %s", mbuf,
		                    b2b__s(b, t->percent_text), h->name);
	return h->message != NULL && h->ftext[1] != NULL ? 0 : nomem_hint(ctx);
}

static int
volume_tiers(b2b__line_out *out, b2b_ctx *ctx, const b2b_book *b, const b2b__line_in *in,
             const b2b__hint_vol *hv)
{
	uint32_t i;
	int rc;

	for (i = 0; i < b->nagreements; i++) {
		if (i == out->vol_agreement)
			rc = tier_hint(out, ctx, b, in, i, out->vol_V);
		else if (hv != NULL && hv->set[i])
			rc = tier_hint(out, ctx, b, in, i, hv->V[i]);
		else
			continue;
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* ---- expires ---- */

typedef struct ends {
	int64_t at;           /* B2B__T_MAX: none yet */
	int32_t form;
	int fx;               /* the FX row's successor (another message) */
	const char *src;      /* a source already built, or NULL with prefix + id */
	const char *prefix;
	b2b__str id;
} ends;

/* Keep (until, …) when it is after T and strictly before the best so far. */
static void
consider(ends *e, const b2b__line_in *in, int64_t until, int32_t form, const char *src,
         const char *prefix, b2b__str id)
{
	if (until == B2B__T_MAX || until <= in->as_of || until >= e->at)
		return;
	e->at = until;
	e->form = form;
	e->fx = 0;
	e->src = src;
	e->prefix = prefix;
	e->id = id;
}

static const char *
step_source(const b2b__line_out *out, int step)
{
	size_t j;

	for (j = 0; j < out->nsteps; j++)
		if (out->steps[j].step == step)
			return out->steps[j].source;
	return NULL;
}

/* The items of the list that gave P and that priced the line. */
static void
list_items(ends *e, const b2b__line_out *out, const b2b_book *b, const b2b__line_in *in,
           const char *src)
{
	const b2b__list *li = &b->lists[out->list];
	const b2b__item *top = NULL;
	size_t k;
	int n = 0;

	for (k = 0; k < out->list_grp.n; k++) {
		const b2b__item *it = &b->items[out->list_grp.off + k];

		const b2b__window *w = &b2b__book_item_ext(b, it)->window;

		if (!b2b__window_has(w, in->as_of) ||
		    (it->base == B2B__BASE_COST && !out->cost.set))
			continue;
		if (li->tier_mode == B2B__TIER_INCREMENTAL) {
			/* the lowest break, and every break below Q (price_explain.c) */
			if (n > 0 && dcmp(it->min_qty, in->qty) >= 0)
				break;
			consider(e, in, w->until, w->until_form, src, NULL, 0);
			n++;
		} else if (dcmp(it->min_qty, in->qty) <= 0) {
			top = it;
		} else {
			break;
		}
	}
	if (top != NULL) {
		const b2b__window *w = &b2b__book_item_ext(b, top)->window;

		consider(e, in, w->until, w->until_form, src, NULL, 0);
	}
}

/* The valid_from of the FX row after the one the fx step used. */
static void
fx_next(ends *e, const b2b_book *b, const b2b__line_in *in)
{
	const b2b__product *prod = &b->products[in->product];
	uint16_t sf = 0, st = 0;
	b2b_dec rate;
	int64_t best = B2B__T_MAX;
	size_t k;

	if (b2b__book_fx(b, prod->currency, in->currency, in->as_of, &rate, &sf, &st) != 0)
		return;
	for (k = 0; k < b->nfx; k++) {
		const b2b__fx *r = &b->fx[k];

		if (r->from == sf && r->to == st && r->valid_from > in->as_of &&
		    r->valid_from < best)
			best = r->valid_from;
	}
	if (best == B2B__T_MAX || best >= e->at)
		return;
	e->at = best;
	e->form = best % 86400 == 0 ? B2B_TIME_DATE : B2B_TIME_DATETIME;
	e->fx = 1;
	e->src = NULL;
	e->prefix = NULL;
	e->id = 0;
}

static int
expires(b2b__line_out *out, b2b_ctx *ctx, const b2b_book *b, const b2b__line_in *in)
{
	ends e;
	b2b__hint *h;
	const char *at, *src;
	size_t j;

	memset(&e, 0, sizeof e);
	e.at = B2B__T_MAX;
	if (out->by_list) {
		consider(&e, in, b->lists[out->list].window.until,
		         b->lists[out->list].window.until_form, NULL, "price_list",
		         b->lists[out->list].id);
		list_items(&e, out, b, in, step_source(out, B2B__STEP_PRICE_LIST));
	}
	if (out->by_contract)
		consider(&e, in, b->contracts[out->contract].window.until,
		         b->contracts[out->contract].window.until_form, NULL, "contract",
		         b->contracts[out->contract].id);
	for (j = 0; j < out->nsteps; j++) {
		const b2b__step *s = &out->steps[j];

		if (s->step == B2B__STEP_DYNAMIC && s->rec < b->nrules)
			consider(&e, in, b->rules[s->rec].window.until,
			         b->rules[s->rec].window.until_form, s->source, NULL, 0);
	}
	for (j = 0; j < out->nsteps; j++) {
		const b2b__step *s = &out->steps[j];

		if (s->step == B2B__STEP_PROMOTION && s->rec < b->npromos)
			consider(&e, in, b->promos[s->rec].window.until,
			         b->promos[s->rec].window.until_form, s->source, NULL, 0);
	}
	if (step_source(out, B2B__STEP_VOLUME) != NULL && out->vol_agreement < b->nagreements)
		consider(&e, in, b->agreements[out->vol_agreement].window.until,
		         b->agreements[out->vol_agreement].window.until_form, NULL, "volume",
		         b->agreements[out->vol_agreement].id);
	if (step_source(out, B2B__STEP_FX) != NULL)
		fx_next(&e, b, in);
	if (e.at == B2B__T_MAX)
		return 0;

	if (e.fx)
		src = step_source(out, B2B__STEP_FX);
	else if (e.src != NULL)
		src = e.src;
	else
		src = b2b__arena_printf(ctx, "%s:%s", e.prefix, b2b__s(b, e.id));
	if (src == NULL || (h = b2b__hint_push(ctx, &out->hints, &out->nhints)) == NULL)
		return nomem_hint(ctx);
	h->kind = B2B_HINT_EXPIRES;
	h->at.sec = e.at;
	h->at.form = e.form == B2B_TIME_DATETIME ? B2B_TIME_DATETIME : B2B_TIME_DATE;
	h->at.reserved = 0;
	h->name = src;
	if ((at = time_text(ctx, h->at)) == NULL)
		return nomem_hint(ctx);
	field(h, "at", at);
	field(h, "source", src);
	h->message = e.fx ? b2b__arena_printf(ctx, "%s has a new rate from %s: the price may "
	                                      "change then", src, at)
	                  : b2b__arena_printf(ctx, "%s ends at %s: the price may change then",
	                                      src, at);
	return h->message != NULL ? 0 : nomem_hint(ctx);
}

int
b2b__price_hints(b2b__line_out *out, b2b_ctx *ctx, const b2b_book *b, const b2b__line_in *in,
                 const b2b__hint_vol *hv)
{
	int rc;

	if (out == NULL || b == NULL || in == NULL || out->problem != B2B__PROBLEM_NONE)
		return 0;
	out->hints = NULL;
	out->nhints = 0;
	if ((rc = next_break(out, ctx, b, in)) < 0)
		return rc;
	if (b->nagreements != 0 && (rc = volume_tiers(out, ctx, b, in, hv)) < 0)
		return rc;
	return expires(out, ctx, b, in);
}
