/*
 * libb2bcore — the line pricer's internal interface (SPEC §5.1–5.6),
 * shared by price.c and price_*.c (which implement it), quote.c
 * (documents, §5.7), order.c (validation, §7) and batch.c (many lines,
 * no trace).
 * SPDX-License-Identifier: MIT
 */
#ifndef B2B_SRC_PRICE_INT_H
#define B2B_SRC_PRICE_INT_H

#include "b2b/price.h"
#include "book_int.h"
#include "ctx_int.h"

/* Waterfall steps (SPEC §4), in the order they may appear. */
enum {
	B2B__STEP_LIST = 0, B2B__STEP_FX, B2B__STEP_PRICE_LIST, B2B__STEP_CONTRACT,
	B2B__STEP_VOLUME, B2B__STEP_DYNAMIC, B2B__STEP_PROMOTION, B2B__STEP_REQUESTED,
	B2B__STEP_ROUNDING
};
/* "list", "fx", "price_list", "contract", "volume", "dynamic", "promotion", "requested",
 * "rounding" */
const char *b2b__step_name(int step);

/* A waterfall step; b2b_step of b2b/price.h is a pointer to one. */
typedef struct b2b_step {
	int step;               /* B2B__STEP_* */
	const char *source;     /* arena string, e.g. "price_list:WHOLESALE/sku:A1/min_qty:10" */
	b2b_dec before, after;  /* at the 9-digit working precision */
	uint32_t rec;           /* price_list, contract, dynamic, promotion: the record's
	                           index in its book table; B2B__NONE otherwise (and `cap`) */
} b2b__step;

/* A candidate; b2b_candidate of b2b/price.h is a pointer to one. */
typedef struct b2b_candidate {
	int step;               /* B2B__STEP_* of the candidate's kind */
	const char *source;     /* arena string, named like a step source */
	int applied;            /* 1 "applied", 0 "passed" */
	const char *reason;     /* static string: "out_of_window", "other_currency", … or "" */
} b2b__cand;

/* Hint kinds (SPEC §11): the values of b2b_hint_kind (b2b/price.h). */
#define B2B__HINT_KINDS 4

/* A hint; b2b_hint of b2b/price.h is a pointer to one. Its fields are
 * kept twice: as the document writes them (fname/ftext, in document
 * order) and typed (the ones its kind has; see b2b/price.h). */
#define B2B__HINT_FIELDS 3
typedef struct b2b_hint {
	int kind;               /* b2b_hint_kind */
	const char *message;    /* arena */
	size_t nfields;
	const char *fname[B2B__HINT_FIELDS];  /* static: "qty", "unit_price", "at", … */
	const char *ftext[B2B__HINT_FIELDS];  /* arena: the value as written in the document */
	const char *name;       /* agreement id, promotion id, or the source of `expires` */
	b2b_dec qty, unit_price, missing, percent;
	b2b_time at;
} b2b__hint;

/* Pricing problems of one line (SPEC §4 error codes). */
enum {
	B2B__PROBLEM_NONE = 0,
	B2B__PROBLEM_NO_FX_RATE,
	B2B__PROBLEM_NEGATIVE_PRICE,       /* path: the line's sku */
	B2B__PROBLEM_NEGATIVE_REQUESTED    /* path: requested_unit_price */
};

/*
 * Optional memo of the index lookups that do not depend on the line: the
 * candidate-list groups of SPEC §5.2 (customer:, segment:, channel:,
 * default). A caller that prices many lines against one book (the batch,
 * a quote) keeps one on its stack, calls b2b__price_memo_init() once and
 * passes it in b2b__line_in.memo; results are the same with or without.
 * Keys are string pointers: valid while those strings (the book's pool,
 * the request's channel) do not move, i.e. for one call.
 */
#define B2B__PRICE_MEMO_SLOTS 64
typedef struct b2b__price_memo {
	const b2b_book *book;
	uint8_t any[4];             /* any list applies to this B2B__APPLY_* kind */
	b2b__range def;             /* the default group */
	struct {
		const char *key;        /* NULL: empty slot */
		size_t len;
		int kind;
		b2b__range r;
	} slot[B2B__PRICE_MEMO_SLOTS];
} b2b__price_memo;

void b2b__price_memo_init(b2b__price_memo *m, const b2b_book *b);

typedef struct b2b__line_in {
	uint32_t customer;          /* book->customers index (known) */
	uint32_t product;           /* book->products index (known) */
	b2b_dec qty;                /* > 0 */
	uint16_t currency;          /* document currency K (book currency index) */
	int64_t as_of;              /* T, seconds */
	const char *channel;        /* H, resolved (request, else customer's); NULL = none */
	size_t channel_len;
	const char *const *codes;   /* coupon codes of the request */
	const size_t *code_lens;
	size_t ncodes;
	int has_requested;          /* a requested_unit_price was given */
	b2b_dec requested;
	int trace;                  /* build the waterfall */
	int explain;                /* also the candidates (implies trace) */
	/* Optional room for the waterfall's first step_room_n steps (with
	 * trace): a quote gives each line a slice of one block instead of an
	 * allocation a line; more steps grow into the arena as before. NULL:
	 * the first step allocates. */
	b2b__step *step_room;
	size_t step_room_n;
	b2b__price_memo *memo;      /* optional (NULL): see b2b__price_memo */
	const struct b2b__line_preset *preset; /* optional (NULL): see b2b__line_preset */
	/* SPEC §10 (volume.h): the document's volumes; NULL prices the line
	 * alone (V = volume to date + this line). */
	const struct b2b__vol_doc *vol;
	/* The document's first pass (SPEC §10.2): vol_probe stops after the
	 * contract step, leaving in *out the figures so far, out->vol_x and
	 * what vol_resume needs; vol_resume goes on from there (same in and
	 * out, now with vol), so the steps before `volume` run once. Only in
	 * a book with agreements. */
	int vol_probe;
	int vol_resume;
} b2b__line_in;

/*
 * What SPEC §5.2–5.3 (the price lists, then the contract) give for a line,
 * when the caller already knows it: b2b_price_batch() and quotes read it
 * from the book's plan (book_plan.h, b2b__plan_preset()), then let
 * b2b__price_line() do the rest (the rules, the promotions, the rounding)
 * from there. Only for a line in the product's own currency (no FX) and
 * without explain; x is exactly what walk_lists() and apply_contract()
 * would leave, and with a trace the line's price_list and contract steps
 * are written from `list`, `contract` and their items as those would
 * write them.
 */
typedef struct b2b__line_preset {
	b2b_dec x;                  /* the price after the lists and the contract (r9) */
	int protected_;             /* a contract gave x */
	int allow_promos;           /* promotions may still apply */
	b2b_dec x_list;             /* the price after the lists (L when none gave one) */
	uint32_t list;              /* the list that gave x_list, or B2B__NONE */
	uint32_t list_item;         /* its chosen break, in book->items */
	uint32_t contract;          /* the contract that gave x, or B2B__NONE */
	uint32_t contract_item;     /* its item, in book->citems */
} b2b__line_preset;

typedef struct b2b__line_out {
	int problem;                /* B2B__PROBLEM_* (then the figures below are unset) */
	b2b_dec list_price;         /* L in K, r9 (before the rounding step) */
	b2b_dec list_price_rounded; /* L rounded to unit_price_decimals */
	b2b_dec engine_price;       /* r9 price after promotions, before `requested` */
	b2b_dec engine_rounded;     /* engine_price rounded to unit_price_decimals (order §7 reference) */
	b2b_dec unit_price;         /* final, rounded to unit_price_decimals */
	b2b__opt floor;             /* r9; unset when there is none */
	int protected_;             /* the price came from a contract */
	int below_floor;
	b2b__opt cost;              /* product cost in K (r9), unset when the product has none */
	b2b__step *steps; size_t nsteps;   /* arena; NULL when !trace */
	b2b__cand *cands; size_t ncands;   /* arena; NULL when !explain */
	/* Set whenever has_requested and requested < 0, even when `problem`
	 * is another problem (NO_FX_RATE, NEGATIVE_PRICE), so a document can
	 * report both; `problem` is B2B__PROBLEM_NEGATIVE_REQUESTED only when
	 * the line has no other one. With a problem, steps/cands hold the
	 * partial trace up to it. */
	int requested_negative;
	/* SPEC §10 discount (volume.h): the agreement chosen by §10.1
	 * (B2B__NONE: none; always B2B__NONE in a book without agreements),
	 * the tier index reached (−1 below the first), V in K, and the price
	 * entering the `volume` step (also set by in->vol_probe). */
	struct {
		b2b_dec x, L, cost, rate;
		int has_cost, allow_promos;
		size_t steps_cap, cands_cap;
	} vol_res;                  /* in->vol_probe: the pricer's state after the contract step */
	uint32_t vol_agreement;
	int vol_tier;
	int vol_no_rate;            /* the NO_FX_RATE problem is the agreement's currency */
	b2b_dec vol_V, vol_x;
	/* With in->explain only (zero otherwise): what priced the line, read
	 * by b2b__price_hints() (SPEC §11). */
	int by_list, by_contract;           /* a list gave P / the contract price was taken */
	uint32_t list, contract;            /* that list / contract (book index) */
	b2b__range list_grp, contract_grp;  /* its chosen scope group */
	b2b__hint *hints; size_t nhints;    /* arena; set by b2b__price_hints() */
} b2b__line_out;

/*
 * Price one line. Returns 0 (out->problem may be set), or B2B_ENOMEM /
 * B2B_EOVERFLOW (the call could not run; detail on ctx; EOVERFLOW also
 * when base=parent / list_id evaluations nest deeper than 64 lists), or
 * B2B_EINVAL (an index out of range, qty ≤ 0). Allocates only from the
 * ctx arena, and only when in->trace or in->explain; ctx may be NULL
 * when neither is set. See the top of price_explain.c for the candidates'
 * rules.
 */
int b2b__price_line(b2b__line_out *out, b2b_ctx *ctx, const b2b_book *b,
                    const b2b__line_in *in);

/*
 * The fast path of b2b_price_batch() alone (batch.c), for the tests: 1
 * with *out (the line's unit price) when the book's plan prices the line,
 * 0 when it must go through b2b__price_line().
 */
int b2b__batch_fast(b2b_dec *out, const b2b_book *b, uint32_t customer, uint32_t product,
                    b2b_dec qty, uint16_t currency, int64_t as_of);

/*
 * SPEC §5.2–5.3 of a line from the book's plan (batch.c), for a caller
 * that prices the customer with the customer's own channel: 1 with *pre,
 * 0 when the line must go the general way (no plan, FX, a list or a
 * contract the plan does not summarise, a discount agreement).
 */
int b2b__plan_preset(b2b__line_preset *pre, const b2b_book *b, uint32_t customer,
                     uint32_t product, b2b_dec qty, uint16_t currency, int64_t as_of);

/*
 * The volumes of the rebate agreements accruing on a line, for its
 * `volume_tier` hints (SPEC §11): set[a] says agreement a (book index)
 * accrues on the line, V[a] its V in the document currency.
 */
typedef struct b2b__hint_vol {
	const uint8_t *set;
	const b2b_dec *V;
} b2b__hint_vol;

/*
 * The hints of a priced line (SPEC §11) into out->hints: `next_break`,
 * then `volume_tier` (the discount agreement chosen for the line, with
 * its V and tier from out, and the rebate agreements of `hv`, NULL for
 * none), in agreement id order, then `expires`. `out` is the result of
 * b2b__price_line() for `in` with in->explain set and no problem; `in`
 * (its in->vol, the document's volumes, included) is priced again,
 * without trace, at each quantity a next break could be. Never changes a
 * figure of `out`. Returns 0, B2B_ENOMEM or B2B_EOVERFLOW (detail on ctx).
 */
int b2b__price_hints(b2b__line_out *out, b2b_ctx *ctx, const b2b_book *b,
                     const b2b__line_in *in, const b2b__hint_vol *hv);
/* Append a hint to an arena array (NULL: out of memory). */
b2b__hint *b2b__hint_push(b2b_ctx *ctx, b2b__hint **arr, size_t *n);

/* r9 with the book's rounding mode. */
int b2b__r9_mul(b2b_dec *out, const b2b_book *b, b2b_dec x, b2b_dec y);
int b2b__r9_div(b2b_dec *out, const b2b_book *b, b2b_dec x, b2b_dec y);

#endif
