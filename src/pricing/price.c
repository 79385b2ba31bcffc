/*
 * libb2bcore — the line pricer: SPEC §5.1–§5.6 and the unit-price part of
 * §5.7 (the `rounding` step), with the waterfall of §4 and, on request,
 * the candidates that were considered.
 * SPDX-License-Identifier: MIT
 *
 * Shape of the computation (one line: customer C, product S, quantity Q,
 * document currency K, as-of T, channel H):
 *
 *   list → fx → price_list → contract → dynamic* → promotion* (+ cap)
 *        → requested → rounding
 *
 * Every intermediate price is an r9 value (9 fractional digits, the
 * book's rounding mode). Products and sums of exact decimals that SPEC §5
 * keeps exact before one r9 (an incremental tier's amount, a
 * buy-x-get-y line, a points interpolation) are carried in a 256-bit
 * sign-magnitude accumulator (struct wide), so that nothing is rounded
 * twice.
 *
 * With in->trace == 0 (the batch path) nothing is allocated and no source
 * string is built; the price computed is the same either way (the
 * property tests in tests/check_price.c check it).
 *
 * Hot path (see `b2b bench price`): a list's or contract's most specific
 * scope group is looked up alone first (one index probe; the others only
 * when it holds no break); a group's items are sorted by min_qty (then
 * valid_from), so its break scan stops at the first item beyond Q; the
 * product's extension record (stock, demand, competitor and previous
 * prices) is read only when a dynamic rule needs it; books with few rules
 * or promotions are scanned instead of merged from the scope index; the
 * candidate-list groups of §5.2 go through an optional per-call memo
 * (b2b__price_memo, used by the batch); the unit price is rounded with a
 * 64-bit fast path. None of this changes a result.
 *
 * ---- Decisions where SPEC leaves room (kept stable; tests pin them) ----
 *
 * FX source. `fx:FROM/TO` names the fx_rates row used, as stored: a
 * product in USD priced in EUR with only the row EUR→USD gives the source
 * `fx:EUR/USD` (the rate used is then r9(1 ÷ rate), SPEC §5.1).
 *
 * Incremental sources. `price_list:ID/SCOPE/min_qty:M0,M1,…` lists the
 * breaks used, i.e. the breaks whose band holds at least one unit: the
 * lowest break (which covers from 0) and every break with min_qty < Q.
 * Each M is the break's own min_qty as stored (shortest exact form), so
 * a source always names records by their keys. When any used break has a
 * valid_from, `/from:D0,D1,…` follows, one entry per used break in the
 * same order, empty for a break without valid_from. Breaks that hold no
 * unit are not evaluated (their price is not needed, so it cannot be a
 * NEGATIVE_PRICE either).
 *
 * Base evaluation. `base=parent` and `base=list_id:ID` evaluate a list
 * chain (the list, then its parents; a list that does not count is passed
 * over and its own parent tried) for this line; the result is memoised per
 * starting list for the line, so a diamond of bases costs each list once.
 * Nesting deeper than B2B__PRICE_MAX_DEPTH is B2B_EOVERFLOW (the book
 * loader rejects cycles, so only a pathological book gets there).
 * Nested evaluations add no step and no candidate: the `price_list` step
 * names the item(s) of the list that gave the price.
 *
 * Requested price. A negative requested price sets out->requested_negative
 * whatever else happens (so that a document can report both it and a
 * NEGATIVE_PRICE of the same line); out->problem is
 * B2B__PROBLEM_NEGATIVE_REQUESTED only when the line has no other problem.
 *
 * Promotions. Only promotions that this request can use are considered:
 * automatic ones and those whose code is among the request's codes (a
 * coupon promotion whose code was not given is not a candidate, so an
 * explanation never reveals coupons). A promotion after an exclusive one
 * that applied is passed with reason `exclusive_blocked`, like an
 * exclusive one that could not apply because another applied before it.
 * The walk stops at an applied exclusive promotion, so a later
 * promotion's base-currency value is not converted (no NO_FX_RATE from
 * it).
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
 *  dynamic     Each rule whose scope matches S: `rule:ID`, applied, or
 *              passed with `protected` (the line's price came from a
 *              contract), `out_of_window` or `no_data` (a signal input or
 *              cost / competitor price is missing, or a divisor is 0).
 *  promotion   Each line promotion whose scope matches S and that the
 *              request can use (see above): `promotion:ID`, applied, or
 *              passed with `out_of_window`, `other_segment`, `protected`
 *              (protected line, contract without allow_promotions),
 *              `exclusive_blocked` or `did_not_lower`.
 *
 * Reasons are static strings; the set is: out_of_window, other_currency,
 * no_item, no_data, min_qty_not_reached, less_specific, lower_priority,
 * lower_break, no_units, not_lower, protected, other_segment,
 * exclusive_blocked, did_not_lower; "" for an applied candidate.
 */
#include <string.h>

#include "price_int.h"
#include "dec_int.h"
#include "b2b/date.h"

/* Deepest nesting of base=parent / base=list_id evaluations. */
#define B2B__PRICE_MAX_DEPTH 64
/* Memoised list-chain prices per line. */
#define B2B__PRICE_MEMO 32
/* Scope groups b2b__book_items() may return: sku, 255 category levels, all. */
#define B2B__PRICE_MAX_GROUPS 258
/* Rule / promotion indexes kept on the stack; more falls back to a scan. */
#define B2B__PRICE_MAX_MATCH 256
/* Books with at most this many rules (promotions) are scanned, not looked up. */
#define B2B__PRICE_SCAN_MAX 16

/* A pricing problem was recorded in out->problem: stop pricing the line. */
#define B2B__STOP 1

#define TRY(expr) do { int try_rc_ = (expr); if (try_rc_ != 0) return try_rc_; } while (0)

static const char R_OUT_OF_WINDOW[] = "out_of_window";
static const char R_OTHER_CURRENCY[] = "other_currency";
static const char R_NO_ITEM[] = "no_item";
static const char R_NO_DATA[] = "no_data";
static const char R_MIN_QTY[] = "min_qty_not_reached";
static const char R_LESS_SPECIFIC[] = "less_specific";
static const char R_LOWER_PRIORITY[] = "lower_priority";
static const char R_LOWER_BREAK[] = "lower_break";
static const char R_NO_UNITS[] = "no_units";
static const char R_NOT_LOWER[] = "not_lower";
static const char R_PROTECTED[] = "protected";
static const char R_OTHER_SEGMENT[] = "other_segment";
static const char R_EXCLUSIVE[] = "exclusive_blocked";
static const char R_DID_NOT_LOWER[] = "did_not_lower";

/* Sources of the rounding step (SPEC §9.11), static. */
static const char *const upd_sources[10] = {
	"unit_price_decimals:0", "unit_price_decimals:1", "unit_price_decimals:2",
	"unit_price_decimals:3", "unit_price_decimals:4", "unit_price_decimals:5",
	"unit_price_decimals:6", "unit_price_decimals:7", "unit_price_decimals:8",
	"unit_price_decimals:9",
};

static const char *const step_names[] = {
	"list", "fx", "price_list", "contract", "dynamic", "promotion", "requested", "rounding",
};

const char *
b2b__step_name(int step)
{
	if (step < 0 || (size_t)step >= sizeof(step_names) / sizeof(step_names[0]))
		return "";
	return step_names[step];
}

const char *
b2b_step_name(const b2b_step *s)
{
	return s != NULL ? b2b__step_name(s->step) : NULL;
}

const char *
b2b_step_source(const b2b_step *s)
{
	return s != NULL ? s->source : NULL;
}

b2b_dec
b2b_step_before(const b2b_step *s)
{
	return s != NULL ? s->before : b2b__dec_from_int(0);
}

b2b_dec
b2b_step_after(const b2b_step *s)
{
	return s != NULL ? s->after : b2b__dec_from_int(0);
}

const char *
b2b_candidate_step(const b2b_candidate *c)
{
	return c != NULL ? b2b__step_name(c->step) : NULL;
}

const char *
b2b_candidate_source(const b2b_candidate *c)
{
	return c != NULL ? c->source : NULL;
}

int
b2b_candidate_applied(const b2b_candidate *c)
{
	return c != NULL ? c->applied != 0 : 0;
}

const char *
b2b_candidate_reason(const b2b_candidate *c)
{
	return c != NULL ? (c->reason != NULL ? c->reason : "") : NULL;
}

int
b2b__r9_mul(b2b_dec *out, const b2b_book *b, b2b_dec x, b2b_dec y)
{
	return b2b_dec_mul(out, x, y, B2B_DEC_SCALE, b->settings.rounding);
}

int
b2b__r9_div(b2b_dec *out, const b2b_book *b, b2b_dec x, b2b_dec y)
{
	return b2b_dec_div(out, x, y, B2B_DEC_SCALE, b->settings.rounding);
}

/*===========================================================================
 * MARK: - Exact sums of products (256-bit sign-magnitude)
 *===========================================================================*/

typedef struct wide {
	uint64_t w[4];   /* magnitude, least significant limb first */
	int neg;
} wide;

static b2b__u128
dec_mag(b2b_dec a)
{
	b2b__i128 v = b2b__dec_to_i128(a);

	return v < 0 ? (b2b__u128)(-v) : (b2b__u128)v;
}

static void
mul_u128(uint64_t r[4], b2b__u128 a, b2b__u128 b)
{
	uint64_t a0 = (uint64_t)a, a1 = (uint64_t)(a >> 64);
	uint64_t b0 = (uint64_t)b, b1 = (uint64_t)(b >> 64);
	b2b__u128 p00 = (b2b__u128)a0 * b0, p01 = (b2b__u128)a0 * b1;
	b2b__u128 p10 = (b2b__u128)a1 * b0, p11 = (b2b__u128)a1 * b1;
	b2b__u128 mid, hi;

	r[0] = (uint64_t)p00;
	mid = (p00 >> 64) + (uint64_t)p01 + (uint64_t)p10;
	r[1] = (uint64_t)mid;
	hi = (mid >> 64) + (p01 >> 64) + (p10 >> 64) + (uint64_t)p11;
	r[2] = (uint64_t)hi;
	r[3] = (uint64_t)((hi >> 64) + (p11 >> 64));
}

static int
mag_cmp(const uint64_t a[4], const uint64_t b[4])
{
	int i;

	for (i = 3; i >= 0; i--) {
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	}
	return 0;
}

/* r = a + b; returns the carry out. r may alias a. */
static int
mag_add(uint64_t r[4], const uint64_t a[4], const uint64_t b[4])
{
	uint64_t carry = 0;
	int i;

	for (i = 0; i < 4; i++) {
		b2b__u128 s = (b2b__u128)a[i] + b[i] + carry;
		r[i] = (uint64_t)s;
		carry = (uint64_t)(s >> 64);
	}
	return carry != 0;
}

/* r = a − b with a ≥ b. r may alias a or b. */
static void
mag_sub(uint64_t r[4], const uint64_t a[4], const uint64_t b[4])
{
	uint64_t borrow = 0;
	int i;

	for (i = 0; i < 4; i++) {
		uint64_t ai = a[i], bi = b[i];
		uint64_t d = ai - bi - borrow;
		borrow = (ai < bi || (ai == bi && borrow)) ? 1 : 0;
		r[i] = d;
	}
}

/* acc += a × b (exact; the coefficient is at scale 18). */
static int
wide_add_prod(wide *acc, b2b_dec a, b2b_dec b)
{
	uint64_t t[4];
	int neg = b2b__dec_is_neg(a) != b2b__dec_is_neg(b);

	mul_u128(t, dec_mag(a), dec_mag(b));
	if (t[0] == 0 && t[1] == 0 && t[2] == 0 && t[3] == 0)
		return 0;
	if (neg == acc->neg) {
		if (mag_add(acc->w, acc->w, t) || (acc->w[3] >> 63))
			return B2B_EOVERFLOW;
	} else if (mag_cmp(acc->w, t) >= 0) {
		mag_sub(acc->w, acc->w, t);
	} else {
		mag_sub(acc->w, t, acc->w);
		acc->neg = neg;
	}
	return 0;
}

/*
 * *out = acc ÷ d rounded once with `mode`, where acc is at scale 18 and d
 * (> 0) at scale 9: the quotient of the coefficients is the result's
 * coefficient at scale 9.
 */
static int
wide_div(b2b_dec *out, const wide *acc, b2b_dec d, b2b_rounding mode)
{
	b2b__u128 dv = dec_mag(d), q, r;
	int neg = acc->neg;

	if (b2b__dec_is_zero(d) || b2b__dec_is_neg(d))
		return B2B_EDIVZERO;
	if (acc->w[2] == 0 && acc->w[3] == 0) {
		b2b__u128 n = ((b2b__u128)acc->w[1] << 64) | acc->w[0];
		q = n / dv;
		r = n % dv;
	} else {
		/* Shift-subtract long division; dv < 2^123, so r << 1 never wraps. */
		uint64_t qw[4] = { 0, 0, 0, 0 };
		int bit;

		r = 0;
		for (bit = 255; bit >= 0; bit--) {
			r = (r << 1) | ((acc->w[bit / 64] >> (bit % 64)) & 1u);
			if (r >= dv) {
				r -= dv;
				qw[bit / 64] |= (uint64_t)1 << (bit % 64);
			}
		}
		if (qw[2] != 0 || qw[3] != 0)
			return B2B_EOVERFLOW;
		q = ((b2b__u128)qw[1] << 64) | qw[0];
	}
	q += (b2b__u128)b2b__round_inc((int)(q & 1u), r, dv, neg, mode);
	if (q >= (b2b__u128)B2B__DEC_LIMIT)
		return B2B_EOVERFLOW;
	*out = b2b__dec_from_i128(neg ? -(b2b__i128)q : (b2b__i128)q);
	return 0;
}

/*===========================================================================
 * MARK: - The pricer's state
 *===========================================================================*/

typedef struct memo_ent {
	uint32_t list;
	b2b_dec price;
} memo_ent;

typedef struct pricer {
	b2b_ctx *ctx;
	const b2b_book *b;
	const b2b__line_in *in;
	b2b__line_out *out;
	const b2b__product *prod;
	const b2b__customer *cust;
	b2b_rounding mode;
	b2b_dec q;
	b2b_dec L;               /* list price in K, r9 */
	int has_cost;
	b2b_dec cost;            /* in K */
	b2b_dec rate;            /* product currency → K (1 when the same) */
	const b2b__product_ext *ext; /* loaded on first need (rules only): NULL before */
	b2b__opt competitor, prev; /* in K; valid once ext is loaded */
	int have_base_rate;      /* base → K rate looked up (for promotion values) */
	int base_rate_missing;
	b2b_dec base_rate;
	int trace, explain;
	size_t steps_cap, cands_cap;
	int depth;
	size_t nmemo;
	memo_ent memo[B2B__PRICE_MEMO];
} pricer;

static int
problem(pricer *p, int code)
{
	p->out->problem = code;
	return B2B__STOP;
}

static int
arith(pricer *p, int rc)
{
	if (rc >= 0)
		return rc;
	return b2b__ctx_seterr(p->ctx, rc, "pricing sku %s: arithmetic out of range (%s)",
	                       b2b__s(p->b, p->prod->sku), b2b_strerror(rc));
}

static int
nomem(pricer *p)
{
	return b2b__ctx_seterr(p->ctx, B2B_ENOMEM, "pricing sku %s: out of memory",
	                       b2b__s(p->b, p->prod->sku));
}

/* r9(a × (100 + sign·delta) ÷ 100), i.e. r9(a × (1 ± delta ÷ 100)). */
static int
pct_adj(pricer *p, b2b_dec *out, b2b_dec a, b2b_dec delta, int sign)
{
	b2b_dec f, hundred = b2b__dec_from_int(100);
	int rc;

	rc = sign < 0 ? b2b_dec_sub(&f, hundred, delta) : b2b_dec_add(&f, hundred, delta);
	if (rc == 0)
		rc = b2b_dec_percent(out, a, f, B2B_DEC_SCALE, p->mode);
	return arith(p, rc);
}

static int
mul9(pricer *p, b2b_dec *out, b2b_dec a, b2b_dec x)
{
	return arith(p, b2b_dec_mul(out, a, x, B2B_DEC_SCALE, p->mode));
}

static int
div9(pricer *p, b2b_dec *out, b2b_dec a, b2b_dec x)
{
	return arith(p, b2b_dec_div(out, a, x, B2B_DEC_SCALE, p->mode));
}

/* b2b_dec_cmp(), inline: −1, 0 or 1 as a <, =, > b. */
static inline int
dcmp(b2b_dec a, b2b_dec b)
{
	return b2b__dec_lt(a, b) ? -1 : b2b__dec_eq(a, b) ? 0 : 1;
}

/*
 * a rounded to the book's unit_price_decimals with its mode. Fast path for
 * the usual case, 0 ≤ a < 2^64 × 10^-9 (about 1.8 × 10^10): one 64-bit
 * division instead of the general 128-bit routine (same rounding decision:
 * b2b__round_inc()).
 */
static int
round_upd(pricer *p, b2b_dec *out, b2b_dec a)
{
	int upd = p->b->settings.unit_price_decimals;

	if (a.hi == 0 && upd >= 0 && upd < B2B_DEC_SCALE) {
		uint64_t m = b2b__pow10_u64[B2B_DEC_SCALE - upd], q = a.lo / m, r = a.lo % m;

		if (r == 0) {
			*out = a;
			return 0;
		}
		q += (uint64_t)b2b__round_inc((int)(q & 1u), r, m, 0, p->mode);
		*out = b2b__dec_from_i128((b2b__i128)((b2b__u128)q * m));
		return 0;
	}
	return arith(p, b2b_dec_round(out, a, upd, p->mode));
}

static int
is_neg(b2b_dec a)
{
	return b2b__dec_is_neg(a) && !b2b__dec_is_zero(a);
}

/*===========================================================================
 * MARK: - Waterfall and candidates (arena; only with trace / explain)
 *===========================================================================*/

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

static void
sb_put(sbuf *sb, const char *s, size_t n)
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

static int
push_step(pricer *p, int step, const char *source, b2b_dec before, b2b_dec after)
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
	return 0;
}

static int
push_cand(pricer *p, int step, const char *source, int applied, const char *reason)
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

/* "<prefix>:<id>" */
static const char *
src_key(pricer *p, const char *prefix, b2b__str id)
{
	sbuf sb;

	sb_init(&sb, p);
	sb_str(&sb, prefix);
	sb_str(&sb, ":");
	sb_str(&sb, b2b__s(p->b, id));
	return sb_done(&sb);
}

/* A passed candidate named "<prefix>:<id>" (nothing is built without explain). */
static int
cand_key(pricer *p, int step, const char *prefix, b2b__str id, const char *why)
{
	if (!p->explain)
		return 0;
	return push_cand(p, step, src_key(p, prefix, id), 0, why);
}

/* "<prefix>:<owner>/<scope>/min_qty:<n>[/from:<date>]" for one item. */
static const char *
src_item(pricer *p, const char *prefix, b2b__str owner, const b2b__item *it)
{
	sbuf sb;

	sb_init(&sb, p);
	sb_str(&sb, prefix);
	sb_str(&sb, ":");
	sb_str(&sb, b2b__s(p->b, owner));
	sb_str(&sb, "/");
	sb_str(&sb, b2b__s(p->b, it->scope.text));
	sb_str(&sb, "/min_qty:");
	sb_dec(&sb, it->min_qty);
	if (it->window.from != B2B__T_MIN) {
		sb_str(&sb, "/from:");
		sb_time(&sb, it->window.from, it->window.from_form);
	}
	return sb_done(&sb);
}

/*===========================================================================
 * MARK: - Price lists (SPEC §5.2)
 *===========================================================================*/

static int
list_counts(pricer *p, uint32_t l, const char **why)
{
	const b2b__list *li = &p->b->lists[l];

	if (li->currency != p->in->currency) {
		*why = R_OTHER_CURRENCY;
		return 0;
	}
	if (!b2b__window_has(&li->window, p->in->as_of)) {
		*why = R_OUT_OF_WINDOW;
		return 0;
	}
	*why = "";
	return 1;
}

/* An item "matches" (SPEC §5.2): valid at T, and base=cost needs a cost. */
static int
item_matches(pricer *p, const b2b__item *it)
{
	if (!b2b__window_has(&it->window, p->in->as_of))
		return 0;
	if (it->base == B2B__BASE_COST && !p->has_cost)
		return 0;
	return 1;
}

static int
qty_reaches(pricer *p, const b2b__item *it)
{
	return !b2b__dec_lt(p->q, it->min_qty);
}

/*
 * The break of a group for this line: the matching item with the highest
 * min_qty ≤ Q (the all_units / block break), or NULL when the group has
 * no break. A group's items are sorted by min_qty, then valid_from, so
 * the scan stops at the first item beyond Q.
 */
static const b2b__item *
group_top_break(pricer *p, const b2b__item *items, b2b__range grp)
{
	const b2b__item *top = NULL;
	size_t k;

	for (k = 0; k < grp.n; k++) {
		const b2b__item *it = &items[grp.off + k];

		if (!qty_reaches(p, it))
			break;
		if (item_matches(p, it))
			top = it;
	}
	return top;
}

/*
 * The chosen scope of list l for this line: the first (most specific)
 * group with a break (a matching item of min_qty ≤ Q). Returns 1 with
 * *grp and *top (its highest break), or 0.
 *
 * Hot path: the most specific group alone is looked up first (one index
 * probe); it is nearly always the answer when it exists, and only when it
 * holds no break are the less specific groups looked up (one probe per
 * category level and `all`).
 */
static int
find_breaks(pricer *p, uint32_t l, b2b__range *grp, const b2b__item **top)
{
	b2b__range groups[B2B__PRICE_MAX_GROUPS];
	size_t ng, g;

	if (b2b__book_items(p->b, l, p->in->product, groups, 1) == 0)
		return 0;
	if ((*top = group_top_break(p, p->b->items, groups[0])) != NULL) {
		*grp = groups[0];
		return 1;
	}
	ng = b2b__book_items(p->b, l, p->in->product, groups, B2B__PRICE_MAX_GROUPS);
	if (ng > B2B__PRICE_MAX_GROUPS)
		ng = B2B__PRICE_MAX_GROUPS;
	for (g = 1; g < ng; g++) {
		if ((*top = group_top_break(p, p->b->items, groups[g])) != NULL) {
			*grp = groups[g];
			return 1;
		}
	}
	return 0;
}

static int chain_price(pricer *p, uint32_t start, b2b_dec *out);

static int
base_value(pricer *p, const b2b__item *it, b2b_dec *out)
{
	switch (it->base) {
	case B2B__BASE_COST:
		*out = p->cost;
		return 0;
	case B2B__BASE_PARENT:
		return chain_price(p, p->b->lists[it->list].parent, out);
	case B2B__BASE_LIST_ID:
		return chain_price(p, it->base_list, out);
	default:
		*out = p->L;
		return 0;
	}
}

/*
 * An item's unit price (SPEC §5.2): fixed, discount, or formula in the
 * order Odoo computes it. A negative result is NEGATIVE_PRICE (§9.6).
 */
static int
item_price(pricer *p, const b2b__item *it, b2b_dec *out)
{
	b2b_dec x, base;

	if (it->compute == B2B__COMPUTE_FIXED) {
		x = it->price.v;
	} else {
		TRY(base_value(p, it, &base));
		x = base;
		if (it->discount_percent.set)
			TRY(pct_adj(p, &x, base, it->discount_percent.v, -1));
		if (it->compute == B2B__COMPUTE_FORMULA) {
			b2b_dec m;

			if (it->round_to.set)
				TRY(arith(p, b2b_dec_round_multiple(&x, x, it->round_to.v, p->mode)));
			if (it->surcharge.set)
				TRY(arith(p, b2b_dec_add(&x, x, it->surcharge.v)));
			if (it->min_margin.set) {
				TRY(arith(p, b2b_dec_add(&m, base, it->min_margin.v)));
				if (dcmp(x, m) < 0)
					x = m;
			}
			if (it->max_margin.set) {
				TRY(arith(p, b2b_dec_add(&m, base, it->max_margin.v)));
				if (dcmp(x, m) > 0)
					x = m;
			}
		}
	}
	if (is_neg(x))
		return problem(p, B2B__PROBLEM_NEGATIVE_PRICE);
	*out = x;
	return 0;
}

/* An incremental break holds units when it is the lowest or min_qty < Q. */
static int
incr_used(pricer *p, const b2b__item *it, int first)
{
	return first || dcmp(it->min_qty, p->q) < 0;
}

/*
 * The unit price list l gives from its chosen group (SPEC §5.2 tier
 * modes). *chosen receives the break of all_units / block (NULL for
 * incremental).
 */
static int
tier_price(pricer *p, uint32_t l, b2b__range grp, const b2b__item *top, b2b_dec *out,
           const b2b__item **chosen)
{
	const b2b__list *li = &p->b->lists[l];
	b2b_dec price;

	*chosen = NULL;
	if (li->tier_mode == B2B__TIER_INCREMENTAL) {
		wide acc;
		const b2b__item *prev = NULL;
		b2b_dec lo = b2b__dec_from_int(0);
		size_t k;

		memset(&acc, 0, sizeof acc);
		/* Streamed: break i is settled when break i+1 (its upper bound) is met. */
		for (k = 0; k <= grp.n; k++) {
			const b2b__item *it = NULL;
			b2b_dec hi, units;

			if (k < grp.n) {
				it = &p->b->items[grp.off + k];
				if (!item_matches(p, it))
					continue;
			}
			if (prev != NULL) {
				hi = p->q;
				if (it != NULL && dcmp(it->min_qty, p->q) < 0)
					hi = it->min_qty;
				TRY(arith(p, b2b_dec_sub(&units, hi, lo)));
				if (b2b_dec_sign(units) > 0) {
					TRY(item_price(p, prev, &price));
					TRY(arith(p, wide_add_prod(&acc, price, units)));
				}
				if (it == NULL || !incr_used(p, it, 0))
					break;
				lo = it->min_qty;
			}
			prev = it;
		}
		return arith(p, wide_div(out, &acc, p->q, p->mode));
	}
	*chosen = top;
	if (top == NULL)
		return arith(p, B2B_ERROR);
	TRY(item_price(p, *chosen, &price));
	if (li->tier_mode == B2B__TIER_BLOCK)
		return div9(p, out, price, p->q);
	*out = price;
	return 0;
}

/*
 * The price the chain starting at list `start` gives this line (the list,
 * then its parents; lists that do not count are passed over), or L.
 */
static int
chain_price(pricer *p, uint32_t start, b2b_dec *out)
{
	const b2b__item *chosen, *top;
	uint32_t l;
	size_t i, hops = 0;
	b2b__range grp;
	const char *why;
	int rc = 0, found = 0;

	if (start == B2B__NONE) {
		*out = p->L;
		return 0;
	}
	for (i = 0; i < p->nmemo; i++) {
		if (p->memo[i].list == start) {
			*out = p->memo[i].price;
			return 0;
		}
	}
	if (p->depth >= B2B__PRICE_MAX_DEPTH)
		return b2b__ctx_seterr(p->ctx, B2B_EOVERFLOW,
		                       "pricing sku %s: price list bases nest deeper than %d",
		                       b2b__s(p->b, p->prod->sku), B2B__PRICE_MAX_DEPTH);
	p->depth++;
	for (l = start; l != B2B__NONE && hops <= p->b->nlists; l = p->b->lists[l].parent, hops++) {
		if (!list_counts(p, l, &why))
			continue;
		if (find_breaks(p, l, &grp, &top)) {
			rc = tier_price(p, l, grp, top, out, &chosen);
			found = 1;
			break;
		}
	}
	p->depth--;
	if (rc != 0)
		return rc;
	if (!found)
		*out = p->L;
	if (p->nmemo < B2B__PRICE_MEMO) {
		p->memo[p->nmemo].list = start;
		p->memo[p->nmemo].price = *out;
		p->nmemo++;
	}
	return 0;
}

/* The `price_list` step's source for the chosen group of list l. */
static const char *
list_source(pricer *p, uint32_t l, b2b__range grp, const b2b__item *chosen)
{
	const b2b__list *li = &p->b->lists[l];
	const b2b__item *first = NULL;
	size_t k;
	int any_from = 0, n;
	sbuf sb;

	if (chosen != NULL)
		return src_item(p, "price_list", li->id, chosen);
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
		if (it->window.from != B2B__T_MIN)
			any_from = 1;
		n++;
	}
	if (any_from && first != NULL) {
		sb_str(&sb, "/from:");
		for (n = 0, k = 0; k < grp.n; k++) {
			const b2b__item *it = &p->b->items[grp.off + k];

			if (!item_matches(p, it) || !incr_used(p, it, n == 0))
				continue;
			if (n > 0)
				sb_str(&sb, ",");
			if (it->window.from != B2B__T_MIN)
				sb_time(&sb, it->window.from, it->window.from_form);
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
static int
explain_list(pricer *p, uint32_t l, const b2b__range *grp, const b2b__item *chosen,
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
		return push_cand(p, B2B__STEP_PRICE_LIST, src_key(p, "price_list", li->id), 0,
		                 R_NO_ITEM);
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

			if (!b2b__window_has(&it->window, p->in->as_of)) {
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
			TRY(push_cand(p, B2B__STEP_PRICE_LIST, src_item(p, "price_list", li->id, it),
			              0, why));
		}
	}
	return 0;
}

/* Has list l been a candidate of an earlier group (or earlier in its own)? */
static int
applies_matches(pricer *p, const b2b__applies *a)
{
	const char *v = b2b__s(p->b, a->value);

	switch (a->kind) {
	case B2B__APPLY_CUSTOMER:
		return strcmp(v, b2b__s(p->b, p->cust->id)) == 0;
	case B2B__APPLY_SEGMENT:
		return p->cust->segment != 0 && strcmp(v, b2b__s(p->b, p->cust->segment)) == 0;
	case B2B__APPLY_CHANNEL:
		return p->in->channel != NULL && strlen(v) == p->in->channel_len &&
		       memcmp(v, p->in->channel, p->in->channel_len) == 0;
	default:
		return 1;
	}
}

/* Position of the candidate groups of SPEC §5.2: 0 = the customer's cell. */
static int
group_of(int apply_kind)
{
	switch (apply_kind) {
	case B2B__APPLY_CUSTOMER: return 1;
	case B2B__APPLY_SEGMENT: return 2;
	case B2B__APPLY_CHANNEL: return 3;
	default: return 4;
	}
}

static int
seen_before(pricer *p, uint32_t l, int group)
{
	const b2b__list *li = &p->b->lists[l];
	uint32_t i;

	if (group == 0)
		return 0;
	for (i = 0; i < p->cust->lists_n; i++) {
		if (p->b->u32[p->cust->lists_off + i] == l)
			return 1;
	}
	for (i = 0; i < li->applies_n; i++) {
		const b2b__applies *a = &p->b->applies[li->applies_off + i];

		if (group_of(a->kind) < group && applies_matches(p, a))
			return 1;
	}
	return 0;
}

/* Try one candidate list and its chain. *found is set when it gave P. */
static int
try_candidate(pricer *p, uint32_t cand, b2b_dec *P, int *found)
{
	const b2b__item *chosen, *top;
	const char *why, *src = NULL;
	b2b__range grp;
	uint32_t l;
	size_t hops = 0;

	if (!list_counts(p, cand, &why))
		return cand_key(p, B2B__STEP_PRICE_LIST, "price_list", p->b->lists[cand].id, why);
	for (l = cand; l != B2B__NONE && hops <= p->b->nlists; l = p->b->lists[l].parent, hops++) {
		if (l != cand && !list_counts(p, l, &why)) {
			TRY(cand_key(p, B2B__STEP_PRICE_LIST, "price_list", p->b->lists[l].id, why));
			continue;
		}
		if (!find_breaks(p, l, &grp, &top)) {
			if (p->explain)
				TRY(explain_list(p, l, NULL, NULL, NULL));
			continue;
		}
		TRY(tier_price(p, l, grp, top, P, &chosen));
		if (p->trace) {
			src = list_source(p, l, grp, chosen);
			TRY(push_step(p, B2B__STEP_PRICE_LIST, src, p->L, *P));
			if (p->explain)
				TRY(explain_list(p, l, &grp, chosen, src));
		}
		*found = 1;
		return 0;
	}
	return 0;
}

void
b2b__price_memo_init(b2b__price_memo *m, const b2b_book *b)
{
	size_t i;

	memset(m, 0, sizeof *m);
	m->book = b;
	for (i = 0; i < b->napplies; i++)
		if (b->applies[i].kind < 4)
			m->any[b->applies[i].kind] = 1;
	if (m->any[B2B__APPLY_DEFAULT])
		m->def = b2b__book_lists_applying(b, B2B__APPLY_DEFAULT, "", 0);
}

/* b2b__book_lists_applying(), through the memo when the line has one. */
static b2b__range
lists_applying(pricer *p, int kind, const char *v, size_t len)
{
	b2b__price_memo *m = p->in->memo;
	b2b__range r;
	size_t h;

	if (m == NULL || m->book != p->b)
		return b2b__book_lists_applying(p->b, kind, v, len == SIZE_MAX ? strlen(v) : len);
	if (!m->any[kind]) {
		r.off = r.n = 0;
		return r;
	}
	if (kind == B2B__APPLY_DEFAULT)
		return m->def;
	h = (((uintptr_t)v >> 3) ^ ((uintptr_t)v >> 11) ^ (size_t)kind) % B2B__PRICE_MEMO_SLOTS;
	/* pool strings are interned: the same pointer is the same text */
	if (m->slot[h].key == v && m->slot[h].kind == kind &&
	    (len == SIZE_MAX || m->slot[h].len == len))
		return m->slot[h].r;
	if (len == SIZE_MAX)
		len = strlen(v);
	r = b2b__book_lists_applying(p->b, kind, v, len);
	m->slot[h].key = v;
	m->slot[h].len = len;
	m->slot[h].kind = kind;
	m->slot[h].r = r;
	return r;
}

static int
walk_lists(pricer *p, b2b_dec *P)
{
	const b2b_book *b = p->b;
	const b2b__customer *c = p->cust;
	int found = 0, g;

	*P = p->L;
	for (g = 0; g < 5; g++) {
		const uint32_t *ids;
		size_t n, i;

		if (g == 0) {
			ids = c->lists_n != 0 ? b->u32 + c->lists_off : NULL;
			n = c->lists_n;
		} else {
			b2b__range r = { 0, 0 };
			const char *v;

			switch (g) {
			case 1:
				v = b2b__s(b, c->id);
				r = lists_applying(p, B2B__APPLY_CUSTOMER, v, SIZE_MAX);
				break;
			case 2:
				if (c->segment != 0) {
					v = b2b__s(b, c->segment);
					r = lists_applying(p, B2B__APPLY_SEGMENT, v, SIZE_MAX);
				}
				break;
			case 3:
				if (p->in->channel != NULL)
					r = lists_applying(p, B2B__APPLY_CHANNEL, p->in->channel,
					                   p->in->channel_len);
				break;
			default:
				r = lists_applying(p, B2B__APPLY_DEFAULT, "", 0);
				break;
			}
			ids = r.n != 0 ? b->u32 + r.off : NULL;
			n = r.n;
		}
		for (i = 0; i < n; i++) {
			uint32_t l = ids[i];

			if (l >= b->nlists)
				continue;
			/* lists_applying() is sorted: a repeated list would be adjacent */
			if (g > 0 && i > 0 && ids[i - 1] == l)
				continue;
			if (seen_before(p, l, g))
				continue;
			if (found) {
				if (!p->explain)
					return 0;
				TRY(cand_key(p, B2B__STEP_PRICE_LIST, "price_list", b->lists[l].id,
				             R_LOWER_PRIORITY));
				continue;
			}
			TRY(try_candidate(p, l, P, &found));
		}
	}
	return 0;
}

/*===========================================================================
 * MARK: - Contracts (SPEC §5.3, §9.13)
 *===========================================================================*/

typedef struct cpick {
	uint32_t contract;   /* B2B__NONE when none */
	const b2b__item *item;
	int rank;
	b2b__range grp;
} cpick;

static int
contract_counts(pricer *p, const b2b__contract *ct, const char **why)
{
	if (ct->currency != p->in->currency) {
		*why = R_OTHER_CURRENCY;
		return 0;
	}
	if (!b2b__window_has(&ct->window, p->in->as_of)) {
		*why = R_OUT_OF_WINDOW;
		return 0;
	}
	return 1;
}

/* Is pick a better than pick b (SPEC §5.3 ties)? */
static int
cpick_better(pricer *p, const cpick *a, const cpick *b)
{
	const b2b__contract *ca, *cb;

	if (b->contract == B2B__NONE)
		return 1;
	if (a->rank != b->rank)
		return a->rank > b->rank;
	ca = &p->b->contracts[a->contract];
	cb = &p->b->contracts[b->contract];
	if (ca->window.from != cb->window.from)
		return ca->window.from > cb->window.from;
	return strcmp(b2b__s(p->b, ca->id), b2b__s(p->b, cb->id)) < 0;
}

static int
contract_item_ok(pricer *p, const b2b__item *it)
{
	return b2b__window_has(&it->window, p->in->as_of) && qty_reaches(p, it);
}

static int
group_has_contract_item(pricer *p, b2b__range grp)
{
	size_t k;

	/* sorted by min_qty: the first item beyond Q ends the scan */
	for (k = 0; k < grp.n && qty_reaches(p, &p->b->citems[grp.off + k]); k++)
		if (b2b__window_has(&p->b->citems[grp.off + k].window, p->in->as_of))
			return 1;
	return 0;
}

static void
pick_contract(pricer *p, cpick *best)
{
	const b2b_book *b = p->b;
	b2b__range groups[B2B__PRICE_MAX_GROUPS];
	uint32_t i;

	best->contract = B2B__NONE;
	best->item = NULL;
	best->rank = -1;
	for (i = 0; i < p->cust->contracts_n; i++) {
		uint32_t k = b->u32[p->cust->contracts_off + i];
		const char *why;
		size_t ng, g, j;

		if (k >= b->ncontracts || !contract_counts(p, &b->contracts[k], &why))
			continue;
		/* the most specific group alone first (one index probe), as in find_breaks() */
		ng = b2b__book_citems(b, k, p->in->product, groups, 1);
		if (ng == 0)
			continue;
		if (!group_has_contract_item(p, groups[0]))
			ng = b2b__book_citems(b, k, p->in->product, groups, B2B__PRICE_MAX_GROUPS);
		if (ng > B2B__PRICE_MAX_GROUPS)
			ng = B2B__PRICE_MAX_GROUPS;
		for (g = 0; g < ng; g++) {
			cpick c;

			c.contract = k;
			c.item = NULL;
			c.grp = groups[g];
			for (j = 0; j < groups[g].n; j++) {
				const b2b__item *it = &b->citems[groups[g].off + j];

				if (contract_item_ok(p, it) &&
				    (c.item == NULL || dcmp(it->min_qty, c.item->min_qty) >= 0))
					c.item = it;
			}
			if (c.item == NULL)
				continue;
			c.rank = b2b__scope_rank(&c.item->scope);
			if (cpick_better(p, &c, best))
				*best = c;
			break;
		}
	}
}

static int
explain_contracts(pricer *p, const cpick *win, const char *win_src, int taken)
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
			TRY(push_cand(p, B2B__STEP_CONTRACT, src_key(p, "contract", ct->id), 0, why));
			continue;
		}
		ng = b2b__book_citems(b, k, p->in->product, groups, B2B__PRICE_MAX_GROUPS);
		if (ng > B2B__PRICE_MAX_GROUPS)
			ng = B2B__PRICE_MAX_GROUPS;
		for (g = 0; g < ng; g++)
			total += groups[g].n;
		if (total == 0) {
			TRY(push_cand(p, B2B__STEP_CONTRACT, src_key(p, "contract", ct->id), 0,
			              R_NO_ITEM));
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
				if (!b2b__window_has(&it->window, p->in->as_of))
					why = R_OUT_OF_WINDOW;
				else if (!qty_reaches(p, it))
					why = R_MIN_QTY;
				else if (rank < win->rank)
					why = R_LESS_SPECIFIC;
				else if (k != win->contract)
					why = R_LOWER_PRIORITY;
				else
					why = R_LOWER_BREAK;
				TRY(push_cand(p, B2B__STEP_CONTRACT, src_item(p, "contract", ct->id, it), 0,
				              why));
			}
		}
	}
	return 0;
}

/* Returns through *allow_promos whether promotions may still apply. */
static int
apply_contract(pricer *p, b2b_dec *x, int *allow_promos)
{
	const b2b__contract *ct;
	const char *src = NULL;
	cpick win;
	b2b_dec pc;
	int taken;

	*allow_promos = 1;
	if (p->cust->contracts_n == 0)
		return 0;
	pick_contract(p, &win);
	if (win.contract == B2B__NONE)
		return p->explain ? explain_contracts(p, &win, NULL, 0) : 0;
	ct = &p->b->contracts[win.contract];
	if (win.item->discount_percent.set &&
	    (win.item->compute == B2B__COMPUTE_DISCOUNT || !win.item->price.set))
		TRY(pct_adj(p, &pc, p->L, win.item->discount_percent.v, -1));
	else
		pc = win.item->price.v;
	if (is_neg(pc))
		return problem(p, B2B__PROBLEM_NEGATIVE_PRICE);
	taken = ct->policy == B2B__POLICY_OVERRIDE || dcmp(pc, *x) < 0;
	if (p->trace)
		src = src_item(p, "contract", ct->id, win.item);
	if (taken) {
		TRY(push_step(p, B2B__STEP_CONTRACT, src, *x, pc));
		*x = pc;
		p->out->protected_ = 1;
		*allow_promos = ct->allow_promotions;
	}
	if (p->explain)
		TRY(explain_contracts(p, &win, src, taken));
	return 0;
}

/*===========================================================================
 * MARK: - Dynamic rules (SPEC §5.4)
 *===========================================================================*/

/* The factor of a points curve at signal s. */
static int
points_factor(pricer *p, const b2b__rule *r, b2b_dec s, b2b_dec *f)
{
	const b2b__point *pt = p->b->points + r->points_off;
	uint32_t n = r->points_n, i;

	if (n == 0)
		return arith(p, B2B_ERROR);
	if (dcmp(s, pt[0].x) <= 0) {
		*f = pt[0].f;
		return 0;
	}
	if (dcmp(s, pt[n - 1].x) >= 0) {
		*f = pt[n - 1].f;
		return 0;
	}
	for (i = 0; i + 1 < n; i++) {
		if (dcmp(s, pt[i + 1].x) <= 0) {
			b2b_dec num, den, t, df;
			wide acc;

			/* t = r9((s − xi) ÷ (xi+1 − xi)); f = r9(fi + (fi+1 − fi) × t) */
			TRY(arith(p, b2b_dec_sub(&num, s, pt[i].x)));
			TRY(arith(p, b2b_dec_sub(&den, pt[i + 1].x, pt[i].x)));
			TRY(div9(p, &t, num, den));
			TRY(arith(p, b2b_dec_sub(&df, pt[i + 1].f, pt[i].f)));
			memset(&acc, 0, sizeof acc);
			TRY(arith(p, wide_add_prod(&acc, pt[i].f, b2b__dec_from_int(1))));
			TRY(arith(p, wide_add_prod(&acc, df, t)));
			return arith(p, wide_div(f, &acc, b2b__dec_from_int(1), p->mode));
		}
	}
	*f = pt[n - 1].f;
	return 0;
}

static int convert(pricer *p, b2b_dec rate, const b2b__opt *src, b2b__opt *dst);

/*
 * The product's extension record (stock, demand, competitor and previous
 * prices), and competitor_price / prev_price in K. Only dynamic rules
 * need them, so a line without a matching rule never touches the record
 * (one cache miss less on large books).
 */
static int
need_ext(pricer *p)
{
	const b2b__product_ext *e;

	if (p->ext != NULL)
		return 0;
	e = b2b__book_product_ext(p->b, p->prod);
	TRY(convert(p, p->rate, &e->competitor_price, &p->competitor));
	TRY(convert(p, p->rate, &e->prev_price, &p->prev));
	p->ext = e;
	return 0;
}

/*
 * One rule applied to x. Returns 0 with *applied = 0 when the rule is
 * passed over for lack of data.
 */
static int
rule_value(pricer *p, const b2b__rule *r, b2b_dec x, b2b_dec *out, int *applied)
{
	const b2b__product_ext *e;
	b2b_dec y, s, f, lo, hi;

	*applied = 0;
	TRY(need_ext(p));
	e = p->ext;
	switch (r->signal) {
	case B2B__SIG_STOCK_DAYS:
	case B2B__SIG_DEMAND_RATIO: {
		const b2b__opt *num = r->signal == B2B__SIG_STOCK_DAYS ? &e->on_hand : &e->daily_demand;
		const b2b__opt *den = r->signal == B2B__SIG_STOCK_DAYS ? &e->daily_demand
		                                                      : &e->baseline_demand;

		if (!num->set || !den->set || b2b__dec_is_zero(den->v))
			return 0;
		TRY(div9(p, &s, num->v, den->v));
		TRY(points_factor(p, r, s, &f));
		TRY(mul9(p, &y, x, f));
		break;
	}
	case B2B__SIG_COST_PLUS:
		if (!p->has_cost || !r->markup_percent.set)
			return 0;
		TRY(pct_adj(p, &y, p->cost, r->markup_percent.v, 1));
		break;
	case B2B__SIG_COMPETITOR:
		if (!p->competitor.set)
			return 0;
		if (r->offset_percent.set)
			TRY(pct_adj(p, &y, p->competitor.v, r->offset_percent.v, 1));
		else
			y = p->competitor.v;
		break;
	default:
		return 0;
	}
	/* Guardrails, in order (SPEC §5.4). */
	if (r->min_factor.set) {
		TRY(mul9(p, &lo, x, r->min_factor.v));
		if (dcmp(y, lo) < 0)
			y = lo;
	}
	if (r->max_factor.set) {
		TRY(mul9(p, &hi, x, r->max_factor.v));
		if (dcmp(y, hi) > 0)
			y = hi;
	}
	if (r->max_change_percent.set && p->prev.set) {
		TRY(pct_adj(p, &lo, p->prev.v, r->max_change_percent.v, -1));
		TRY(pct_adj(p, &hi, p->prev.v, r->max_change_percent.v, 1));
		if (dcmp(y, lo) < 0)
			y = lo;
		if (dcmp(y, hi) > 0)
			y = hi;
	}
	if (r->price_step.set)
		TRY(arith(p, b2b_dec_round_multiple(&y, y, r->price_step.v, p->mode)));
	if (is_neg(y))
		return problem(p, B2B__PROBLEM_NEGATIVE_PRICE);
	*out = y;
	*applied = 1;
	return 0;
}

static int
apply_rules(pricer *p, b2b_dec *x, int protected_)
{
	const b2b_book *b = p->b;
	uint32_t buf[B2B__PRICE_MAX_MATCH];
	size_t n, total, k;
	int linear;

	if (b->nrules == 0)
		return 0;
	/* a few rules: a scan is cheaper than the index's merge of scope buckets */
	n = b->nrules <= B2B__PRICE_SCAN_MAX ? B2B__PRICE_MAX_MATCH + 1
	    : b2b__book_rules_for(b, p->in->product, buf, B2B__PRICE_MAX_MATCH);
	linear = n > B2B__PRICE_MAX_MATCH;
	total = linear ? b->nrules : n;
	for (k = 0; k < total; k++) {
		uint32_t ri = linear ? (uint32_t)k : buf[k];
		const b2b__rule *r = &b->rules[ri];
		b2b_dec y;
		int applied;

		if (linear && !b2b__scope_matches(b, &r->scope, p->in->product))
			continue;
		if (protected_) {
			TRY(cand_key(p, B2B__STEP_DYNAMIC, "rule", r->id, R_PROTECTED));
			continue;
		}
		if (!b2b__window_has(&r->window, p->in->as_of)) {
			TRY(cand_key(p, B2B__STEP_DYNAMIC, "rule", r->id, R_OUT_OF_WINDOW));
			continue;
		}
		TRY(rule_value(p, r, *x, &y, &applied));
		if (!applied) {
			TRY(cand_key(p, B2B__STEP_DYNAMIC, "rule", r->id, R_NO_DATA));
			continue;
		}
		if (p->trace) {
			const char *src = src_key(p, "rule", r->id);

			TRY(push_step(p, B2B__STEP_DYNAMIC, src, *x, y));
			TRY(push_cand(p, B2B__STEP_DYNAMIC, src, 1, ""));
		}
		*x = y;
	}
	return 0;
}

/*===========================================================================
 * MARK: - Line promotions (SPEC §5.5)
 *===========================================================================*/

/* A base-currency amount in K (SPEC §9.5); B2B__STOP with NO_FX_RATE. */
static int
base_to_k(pricer *p, b2b_dec v, b2b_dec *out)
{
	uint16_t base = p->b->settings.base_currency, sf, st;
	int rc;

	if (base == p->in->currency) {
		*out = v;
		return 0;
	}
	if (!p->have_base_rate) {
		rc = b2b__book_fx(p->b, base, p->in->currency, p->in->as_of, &p->base_rate, &sf, &st);
		if (rc == B2B_ECURRENCY)
			p->base_rate_missing = 1;
		else if (rc < 0)
			return arith(p, rc);
		p->have_base_rate = 1;
	}
	if (p->base_rate_missing)
		return problem(p, B2B__PROBLEM_NO_FX_RATE);
	return mul9(p, out, v, p->base_rate);
}

static int
code_given(pricer *p, b2b__str code)
{
	const char *c = b2b__s(p->b, code);
	size_t len = strlen(c), i;

	for (i = 0; i < p->in->ncodes; i++) {
		const char *g = p->in->codes[i];
		size_t gl;

		if (g == NULL)
			continue;
		gl = p->in->code_lens != NULL ? p->in->code_lens[i] : strlen(g);
		if (gl == len && memcmp(g, c, len) == 0)
			return 1;
	}
	return 0;
}

static int
promo_value(pricer *p, const b2b__promo *pr, b2b_dec x, b2b_dec *y)
{
	b2b_dec v, n, ng, m, sum;
	wide acc;

	switch (pr->kind) {
	case B2B__PROMO_PERCENT:
		return pct_adj(p, y, x, pr->value.v, -1);
	case B2B__PROMO_AMOUNT:
		TRY(base_to_k(p, pr->value.v, &v));
		TRY(arith(p, b2b_dec_sub(y, x, v)));
		if (b2b_dec_sign(*y) < 0)
			*y = b2b__dec_from_int(0);
		return 0;
	case B2B__PROMO_FIXED_PRICE:
		TRY(base_to_k(p, pr->value.v, &v));
		*y = dcmp(v, x) < 0 ? v : x;
		return 0;
	case B2B__PROMO_BUY_X_GET_Y:
		/* x' = r9(x × (Q − floor(Q ÷ (buy + get)) × get) ÷ Q), exact before the r9 */
		if (!pr->buy_qty.set || !pr->get_qty.set) {
			*y = x;
			return 0;
		}
		TRY(arith(p, b2b_dec_add(&sum, pr->buy_qty.v, pr->get_qty.v)));
		TRY(arith(p, b2b_dec_div(&n, p->q, sum, 0, B2B_ROUND_FLOOR)));
		TRY(arith(p, b2b_dec_mul(&ng, n, pr->get_qty.v, B2B_DEC_SCALE, p->mode)));
		TRY(arith(p, b2b_dec_sub(&m, p->q, ng)));
		memset(&acc, 0, sizeof acc);
		TRY(arith(p, wide_add_prod(&acc, x, m)));
		return arith(p, wide_div(y, &acc, p->q, p->mode));
	default:
		*y = x;
		return 0;
	}
}

static int
apply_promos(pricer *p, b2b_dec *x, int allowed)
{
	const b2b_book *b = p->b;
	uint32_t buf[B2B__PRICE_MAX_MATCH];
	size_t n, total, k;
	int linear, napplied = 0, ended = 0;
	b2b_dec x0 = *x, cut, maxcut;

	if (b->npromos == 0)
		return 0;
	n = b->npromos <= B2B__PRICE_SCAN_MAX ? B2B__PRICE_MAX_MATCH + 1
	    : b2b__book_promos_for(b, p->in->product, buf, B2B__PRICE_MAX_MATCH);
	linear = n > B2B__PRICE_MAX_MATCH;
	total = linear ? b->npromos : n;
	for (k = 0; k < total; k++) {
		uint32_t pi = linear ? (uint32_t)k : buf[k];
		const b2b__promo *pr = &b->promos[pi];
		const char *why = NULL;
		b2b_dec y;

		if (ended && !p->explain)
			break;
		if (linear && pr->kind > B2B__PROMO_BUY_X_GET_Y)
			continue;
		if (pr->code != 0 && (p->in->ncodes == 0 || !code_given(p, pr->code)))
			continue;
		if (linear && !b2b__scope_matches(b, &pr->scope, p->in->product))
			continue;
		if (!b2b__window_has(&pr->window, p->in->as_of))
			why = R_OUT_OF_WINDOW;
		else if (pr->segment != 0 &&
		         (p->cust->segment == 0 ||
		          strcmp(b2b__s(b, pr->segment), b2b__s(b, p->cust->segment)) != 0))
			why = R_OTHER_SEGMENT;
		else if (!allowed)
			why = R_PROTECTED;
		else if (ended || (pr->exclusive && napplied > 0))
			why = R_EXCLUSIVE;
		if (why == NULL) {
			TRY(promo_value(p, pr, *x, &y));
			if (dcmp(y, *x) >= 0)
				why = R_DID_NOT_LOWER;
		}
		if (why != NULL) {
			TRY(cand_key(p, B2B__STEP_PROMOTION, "promotion", pr->id, why));
			continue;
		}
		if (p->trace) {
			const char *src = src_key(p, "promotion", pr->id);

			TRY(push_step(p, B2B__STEP_PROMOTION, src, *x, y));
			TRY(push_cand(p, B2B__STEP_PROMOTION, src, 1, ""));
		}
		*x = y;
		napplied++;
		if (pr->exclusive)
			ended = 1;
	}
	if (napplied == 0)
		return 0;
	/* The cap: the walk's total cut is at most r9(x0 × max_discount_percent ÷ 100). */
	TRY(arith(p, b2b_dec_sub(&cut, x0, *x)));
	TRY(arith(p, b2b_dec_percent(&maxcut, x0, b->settings.max_discount_percent,
	                             B2B_DEC_SCALE, p->mode)));
	if (dcmp(cut, maxcut) > 0) {
		b2b_dec y;

		TRY(arith(p, b2b_dec_sub(&y, x0, maxcut)));
		TRY(push_step(p, B2B__STEP_PROMOTION, "cap", *x, y));
		*x = y;
	}
	return 0;
}

/*===========================================================================
 * MARK: - The line
 *===========================================================================*/

static int
convert(pricer *p, b2b_dec rate, const b2b__opt *src, b2b__opt *dst)
{
	dst->set = src->set;
	dst->v = src->v;
	if (src->set && p->prod->currency != p->in->currency)
		return mul9(p, &dst->v, src->v, rate);
	return 0;
}

static int
price_line(pricer *p)
{
	const b2b_book *b = p->b;
	const b2b__line_in *in = p->in;
	b2b__line_out *out = p->out;
	b2b_dec rate = b2b__dec_from_int(1), x;
	b2b__opt c;
	int allow_promos = 1, upd = b->settings.unit_price_decimals;

	if (in->has_requested && is_neg(in->requested))
		out->requested_negative = 1;

	TRY(push_step(p, B2B__STEP_LIST, p->trace ? src_key(p, "product", p->prod->sku) : "",
	              p->prod->list_price, p->prod->list_price));

	/* 5.1: L and the FX conversion of the product's figures. */
	p->L = p->prod->list_price;
	if (p->prod->currency != in->currency) {
		uint16_t sf = 0, st = 0;
		int rc = b2b__book_fx(b, p->prod->currency, in->currency, in->as_of, &rate, &sf, &st);

		if (rc == B2B_ECURRENCY)
			return problem(p, B2B__PROBLEM_NO_FX_RATE);
		TRY(arith(p, rc));
		TRY(mul9(p, &p->L, p->prod->list_price, rate));
		if (p->trace) {
			sbuf sb;

			sb_init(&sb, p);
			sb_str(&sb, "fx:");
			sb_str(&sb, b->currencies[sf].code);
			sb_str(&sb, "/");
			sb_str(&sb, b->currencies[st].code);
			TRY(push_step(p, B2B__STEP_FX, sb_done(&sb), p->prod->list_price, p->L));
		}
	}
	c.set = (p->prod->flags & B2B__P_HAS_COST) != 0;
	c.v = p->prod->cost;
	TRY(convert(p, rate, &c, &c));
	p->has_cost = c.set;
	p->cost = c.v;
	p->rate = rate;

	/* 5.2 – 5.5 */
	TRY(walk_lists(p, &x));
	TRY(apply_contract(p, &x, &allow_promos));
	TRY(apply_rules(p, &x, out->protected_));
	TRY(apply_promos(p, &x, allow_promos));

	out->list_price = p->L;
	out->engine_price = x;
	TRY(round_upd(p, &out->list_price_rounded, p->L));
	TRY(round_upd(p, &out->engine_rounded, x));

	/* 5.6 */
	if (in->has_requested) {
		if (out->requested_negative)
			return problem(p, B2B__PROBLEM_NEGATIVE_REQUESTED);
		TRY(push_step(p, B2B__STEP_REQUESTED, "request", x, in->requested));
		x = in->requested;
	}
	if (in->has_requested)
		TRY(round_upd(p, &out->unit_price, x));
	else
		out->unit_price = out->engine_rounded;
	if (p->trace)
		TRY(push_step(p, B2B__STEP_ROUNDING,
		              upd >= 0 && upd <= 9 ? upd_sources[upd] : "unit_price_decimals", x,
		              out->unit_price));
	out->cost.set = p->has_cost;
	out->cost.v = p->cost;
	if (p->has_cost && b->settings.min_margin_percent.set) {
		out->floor.set = 1;
		TRY(pct_adj(p, &out->floor.v, p->cost, b->settings.min_margin_percent.v, 1));
		out->below_floor = dcmp(out->unit_price, out->floor.v) < 0;
	}
	return 0;
}

int
b2b__price_line(b2b__line_out *out, b2b_ctx *ctx, const b2b_book *b, const b2b__line_in *in)
{
	pricer p;
	int rc;

	memset(out, 0, sizeof *out);
	if (b == NULL || in == NULL || in->product >= b->nproducts || in->customer >= b->ncustomers)
		return b2b__ctx_seterr(ctx, B2B_EINVAL, "b2b__price_line: bad arguments");
	if (b2b__dec_is_neg(in->qty) || b2b__dec_is_zero(in->qty))
		return b2b__ctx_seterr(ctx, B2B_EINVAL, "b2b__price_line: quantity not positive");
	p.ctx = ctx;
	p.b = b;
	p.in = in;
	p.out = out;
	p.prod = &b->products[in->product];
	p.cust = &b->customers[in->customer];
	p.mode = b->settings.rounding;
	p.q = in->qty;
	p.have_base_rate = 0;
	p.base_rate_missing = 0;
	p.trace = in->trace || in->explain;
	p.explain = in->explain;
	p.steps_cap = p.cands_cap = 0;
	p.depth = 0;
	p.nmemo = 0;
	p.has_cost = 0;
	p.ext = NULL;
	rc = price_line(&p);
	if (rc == B2B__STOP) {
		int problem_ = out->problem, rn = out->requested_negative;
		b2b__step *steps = out->steps;
		b2b__cand *cands = out->cands;
		size_t nsteps = out->nsteps, ncands = out->ncands;

		/* The figures are unset on a problem; the partial trace stays readable. */
		memset(out, 0, sizeof *out);
		out->problem = problem_;
		out->requested_negative = rn;
		out->steps = steps;
		out->nsteps = nsteps;
		out->cands = cands;
		out->ncands = ncands;
		return 0;
	}
	return rc;
}
