/*
 * libb2bcore — the quote lifecycle (SPEC §6): states and events, quote
 * documents read back losslessly, transitions and revisions.
 * SPDX-License-Identifier: MIT
 */
#ifndef B2B_QUOTE_DOC_H
#define B2B_QUOTE_DOC_H

#include "b2b/common.h"
#include "b2b/ctx.h"
#include "b2b/money.h"
#include "b2b/date.h"
#include "b2b/book.h"
#include "b2b/quote.h"

/**
 * @file b2b/quote_doc.h
 * @brief The state machine of SPEC §6, the quote document that
 * b2b_quote_to_json() writes read back and checked field by field, its
 * transitions, and its revisions (repricing against another book).
 *
 * Storage is the host's: a quote lives between calls as the JSON document
 * the library wrote; b2b_quote_doc_parse() reads it back, an event or a
 * repricing gives a new document, and b2b_quote_doc_to_json() writes it.
 */
B2B_BEGIN_DECL

/**
 * The status of a quote document (SPEC §6). Values never change.
 *
 *	draft --submit--> submitted --approve--> approved --send--> sent
 *	                  submitted --reject---> rejected
 *	                  submitted --send (approval level 0)-----> sent
 *	sent --accept--> accepted --order--> ordered
 *	sent --decline--> declined
 *	draft .. declined --expire (as_of >= valid_until)--> expired
 *	draft .. declined --cancel--> cancelled
 *
 * Rules (b2b_quote_next_state()):
 *  - `submit`: draft → submitted.
 *  - `approve`, `reject`: submitted → approved / rejected, only when the
 *    quote needs approval (approval level > 0).
 *  - `send`: approved → sent; submitted → sent only when the approval
 *    level is 0 (a quote that needs approval cannot be sent until it is
 *    approved; a rejected quote is never sent: revise it with
 *    b2b_quote_doc_reprice(), which makes it a draft again, or cancel it).
 *  - `accept`, `decline`: sent → accepted / declined.
 *  - `order`: accepted → ordered (the quote was used by an order).
 *  - `expire`: from any state before `ordered` (draft, submitted,
 *    approved, rejected, sent, accepted, declined), only when as_of ≥
 *    valid_until (a quote without valid_until never expires).
 *  - `cancel`: from any state before `ordered`.
 *  - ordered, expired and cancelled are final.
 *  - Once as_of ≥ valid_until, only `expire` and `cancel` are legal: an
 *    expired quote cannot be sent, accepted or ordered against.
 * An accepted quote *locks* its prices until valid_until: an order that
 * embeds it is checked against the quote's lines (b2b/order.h), and it
 * cannot be repriced.
 */
typedef enum b2b_quote_state {
	B2B_QUOTE_DRAFT = 0,
	B2B_QUOTE_SUBMITTED = 1,
	B2B_QUOTE_APPROVED = 2,
	B2B_QUOTE_REJECTED = 3,
	B2B_QUOTE_SENT = 4,
	B2B_QUOTE_ACCEPTED = 5,
	B2B_QUOTE_DECLINED = 6,
	B2B_QUOTE_ORDERED = 7,
	B2B_QUOTE_EXPIRED = 8,
	B2B_QUOTE_CANCELLED = 9
} b2b_quote_state;

/** The events of the state machine; their names are the lower-case words. */
typedef enum b2b_quote_event {
	B2B_QUOTE_SUBMIT = 0,   /**< "submit" */
	B2B_QUOTE_APPROVE = 1,  /**< "approve" */
	B2B_QUOTE_REJECT = 2,   /**< "reject" */
	B2B_QUOTE_SEND = 3,     /**< "send" */
	B2B_QUOTE_ACCEPT = 4,   /**< "accept" */
	B2B_QUOTE_DECLINE = 5,  /**< "decline" */
	B2B_QUOTE_ORDER = 6,    /**< "order" */
	B2B_QUOTE_EXPIRE = 7,   /**< "expire" */
	B2B_QUOTE_CANCEL = 8    /**< "cancel" */
} b2b_quote_event;

/** "draft", "submitted", …, "cancelled"; NULL for a value outside the enum. Static. @since 0.1 */
B2B_API const char *b2b_quote_state_name(b2b_quote_state state);
/** "submit", "approve", …, "cancel"; NULL for a value outside the enum. Static. @since 0.1 */
B2B_API const char *b2b_quote_event_name(b2b_quote_event event);

/**
 * The state named `name` (`len` bytes, no NUL needed; exact,
 * case-sensitive) into *out.
 * @return 0, B2B_EPARSE (not a name; *out untouched) or B2B_EINVAL (`out`
 *         NULL, or `name` NULL with `len` > 0)
 * @since 0.1
 */
B2B_API int b2b_quote_state_parse(b2b_quote_state *out, const char *name, size_t len);
/** The event named `name`; as b2b_quote_state_parse(). @since 0.1 */
B2B_API int b2b_quote_event_parse(b2b_quote_event *out, const char *name, size_t len);

/** Bytes that always suffice for the refusal b2b_quote_next_state() writes. */
#define B2B_QUOTE_WHY_MAX 256

/**
 * The pure state machine: the state after `event` in state `from` for a
 * quote of approval level `level` (0–9) that is `expired` (1 when as_of ≥
 * valid_until, else 0). An illegal transition is an answer, not a
 * failure: the call returns 0 with *allowed = 0 and, in `why`, the
 * refusal naming the state and the event, e.g. "cannot 'send' a quote in
 * state 'submitted' that needs approval level 2".
 * Thread-safety: thread-safe; no allocation.
 *
 * @param[out] out      the new state when allowed; untouched when refused
 * @param[out] allowed  1 when the transition is legal, else 0
 * @param[out] why      if not NULL, the refusal (NUL-terminated, cut to
 *                      `why_size` bytes; B2B_QUOTE_WHY_MAX always
 *                      suffices), or "" when allowed
 * @param why_size      bytes at `why`
 * @return 0, or B2B_EINVAL (an unknown state or event, `out` or `allowed`
 *         NULL, `why` NULL with `why_size` > 0)
 * @since 0.1
 */
B2B_API int b2b_quote_next_state(b2b_quote_state *out, int *allowed, char *why,
                                 size_t why_size, b2b_quote_state from,
                                 b2b_quote_event event, int level, int expired);

/**
 * A quote document read back: the JSON tree of a document that
 * b2b_quote_to_json() (or this API) wrote, checked field by field.
 *
 * Documents are **lossless**: for any document the library wrote,
 * b2b_quote_doc_parse() then b2b_quote_doc_to_json() gives the same
 * bytes. The writer is the library's canonical one (keys in the order of
 * b2b_quote_to_json(), 2-space pretty, final newline), so a document
 * from elsewhere with the same content comes out in canonical form.
 *
 * Checks (every field of b2b_quote_to_json(), recursively): unknown and
 * duplicate keys, missing required keys, wrong types; `as_of` and a
 * non-null `valid_until` are dates or date-times; `currency` three
 * upper-case letters; `fingerprint` 64 lower-case hex digits; `status`
 * a state name; `revision` an integer ≥ 1; `lines` non-empty; decimals
 * (a JSON string holding `-?[0-9]+(\.[0-9]+)?`, or a JSON number, ≤ 9
 * fractional digits — a number is written back as a string); `step` and
 * `outcome` names; `approval.level` 0–9; `line` indexes ≥ 0 and below
 * the line count; `payable` and `cash_adjustment` both or neither;
 * `rebates`, `rebate_total` and a `rebate` on every line all or none
 * (SPEC §10.4, books with volume agreements; since 0.2).
 * Nothing is defaulted: the first problem is the error, with its JSON
 * path (b2b_ctx_errpath(), e.g. `lines[2].qty`), what was expected
 * (b2b_ctx_errmsg()) and where the value is (b2b_ctx_errline(),
 * b2b_ctx_errcol(), b2b_ctx_erroffset()).
 */
typedef struct b2b_quote_doc b2b_quote_doc;

/**
 * Parse and check a quote document.
 *
 * Ownership: `*out` is borrowed from `ctx`'s arena (the text is not
 * kept). Lifetime: until b2b_ctx_reset(ctx) or b2b_ctx_free(ctx).
 * Thread-safety: thread-safe when each thread uses its own ctx; a
 * document is read-only and may be read by any thread.
 *
 * @param[out] out  the document; NULL on failure
 * @return 0; B2B_EPARSE (not JSON, or a missing or bad field: path,
 *         message and position on ctx); B2B_ENOMEM; B2B_EINVAL (NULL
 *         `out` or `ctx`, NULL `json` with `len` > 0)
 * @since 0.1
 */
B2B_API int b2b_quote_doc_parse(const b2b_quote_doc **out, b2b_ctx *ctx, const char *json,
                                size_t len);

/**
 * Write a document in the canonical form (see b2b_quote_doc).
 * Ownership: `*out` (NUL-terminated) is borrowed from `ctx`'s arena.
 * @param len  receives the length without the NUL; may be NULL
 * @return 0, B2B_ENOMEM or B2B_EINVAL (NULL argument)
 * @since 0.1
 */
B2B_API int b2b_quote_doc_to_json(const char **out, size_t *len, b2b_ctx *ctx,
                                  const b2b_quote_doc *doc);

/**
 * The status of a computed quote (b2b/quote.h), as b2b_quote_to_json()
 * writes it: B2B_QUOTE_DRAFT; (b2b_quote_state)-1 for NULL or a quote that
 * was not priced. @since 0.1
 */
B2B_API b2b_quote_state b2b_quote_status(const b2b_quote *q);
/** The revision of a computed quote: 1; 0 for NULL or a quote that was not priced. @since 0.1 */
B2B_API int64_t b2b_quote_revision(const b2b_quote *q);

/*
 * Accessors of a document; a NULL document gives NULL / 0 / -1, and
 * (b2b_quote_state)-1 for the status.
 */
/** `status`. @since 0.1 */
B2B_API b2b_quote_state b2b_quote_doc_status(const b2b_quote_doc *doc);
/** `revision`: 1 for a new quote, +1 per b2b_quote_doc_reprice(). @since 0.1 */
B2B_API int64_t b2b_quote_doc_revision(const b2b_quote_doc *doc);
/** `approval.level`. @since 0.1 */
B2B_API int b2b_quote_doc_approval_level(const b2b_quote_doc *doc);
/** `quote_id`, `customer`, `currency`, `fingerprint`. @since 0.1 */
B2B_API const char *b2b_quote_doc_id(const b2b_quote_doc *doc);
/** @since 0.1 */
B2B_API const char *b2b_quote_doc_customer(const b2b_quote_doc *doc);
/** @since 0.1 */
B2B_API const char *b2b_quote_doc_currency(const b2b_quote_doc *doc);
/** @since 0.1 */
B2B_API const char *b2b_quote_doc_fingerprint(const b2b_quote_doc *doc);
/** `as_of`. @since 0.1 */
B2B_API b2b_time b2b_quote_doc_as_of(const b2b_quote_doc *doc);
/**
 * `valid_until` into *out.
 * @return 0, B2B_ENOTFOUND (null: the quote never expires) or B2B_EINVAL
 * @since 0.1
 */
B2B_API int b2b_quote_doc_valid_until(b2b_time *out, const b2b_quote_doc *doc);
/** Number of lines. @since 0.1 */
B2B_API size_t b2b_quote_doc_line_count(const b2b_quote_doc *doc);
/**
 * 1 when the document's prices are locked at `as_of`: the quote is
 * accepted and as_of < valid_until (or it has none); else 0.
 * @since 0.1
 */
B2B_API int b2b_quote_doc_locked(const b2b_quote_doc *doc, b2b_time as_of);

/** The result of b2b_quote_doc_apply(): the new document, or the refusal. */
typedef struct b2b_quote_transition b2b_quote_transition;

/**
 * Apply `event` to a document. When the state machine allows it
 * (b2b_quote_next_state()), the result holds the same document with its
 * new `status` (nothing else changes; `revision` neither); when it does
 * not, the result holds the refusal. Both are returned with 0.
 *
 * Ownership: `*out` is borrowed from `ctx`'s arena and its document
 * shares `doc`'s tree (`doc` must live as long). Thread-safety: as
 * b2b_quote_doc_parse().
 *
 * @param[out] out  the result (b2b_quote_transition_allowed()); NULL when
 *                  the call could not run
 * @param as_of     the instant of the event; NULL means the quote's own
 *                  `as_of`. It decides expiry: as_of ≥ valid_until.
 * @return 0 (allowed or refused); B2B_ENOMEM; B2B_EINVAL (NULL `out`,
 *         `ctx` or `doc`, an unknown event, an `as_of` that is not an
 *         instant)
 * @since 0.1
 */
B2B_API int b2b_quote_doc_apply(const b2b_quote_transition **out, b2b_ctx *ctx,
                                const b2b_quote_doc *doc, b2b_quote_event event,
                                const b2b_time *as_of);

/** 1 when the transition was applied, 0 when it was refused (or t is NULL). @since 0.1 */
B2B_API int b2b_quote_transition_allowed(const b2b_quote_transition *t);
/** The new document; NULL when the transition was refused. @since 0.1 */
B2B_API const b2b_quote_doc *b2b_quote_transition_doc(const b2b_quote_transition *t);
/**
 * Why the transition was refused, naming the state and the event, e.g.
 * "cannot 'send' a quote in state 'draft' (only an approved quote, or a
 * submitted one of approval level 0, is sent)"; NULL when it was applied.
 * The refusal concerns the document's `status`. Borrowed like `t`.
 * @since 0.1
 */
B2B_API const char *b2b_quote_transition_message(const b2b_quote_transition *t);

/**
 * JSON in, JSON out: parse `json` (b2b_quote_doc_parse()), apply `event`
 * at `as_of` (NULL = the quote's own; b2b_time_parse() reads text) and
 * write the new document (b2b_quote_doc_to_json()); or, when the
 * transition is refused, the error document `{"errors": [{"code":
 * "ILLEGAL_TRANSITION", "message": <the refusal>, "path": "status"}]}`,
 * in the same canonical form.
 *
 * @param[out] out      the new document or the error document
 *                      (NUL-terminated, ctx arena); NULL on failure
 * @param[out] len      receives its length; may be NULL
 * @param[out] allowed  receives 1 (the new document) or 0 (the error
 *                      document); may be NULL
 * @return 0 (allowed or refused); B2B_EPARSE (the document: path,
 *         message and position on ctx); B2B_EINVAL (an unknown event, an
 *         `as_of` that is not an instant, NULL argument); B2B_ENOMEM
 * @since 0.1
 */
B2B_API int b2b_quote_doc_transition(const char **out, size_t *len, int *allowed,
                                     b2b_ctx *ctx, const char *json, size_t json_len,
                                     b2b_quote_event event, const b2b_time *as_of);

/**
 * The result of b2b_quote_doc_reprice(): a new revision and what changed,
 * or why there is none.
 */
typedef struct b2b_quote_repricing b2b_quote_repricing;

/**
 * Reprice an open quote (draft, submitted, approved, rejected or sent)
 * against `book`, e.g. a new version of the book: the quote's request
 * is rebuilt from the document (quote_id, customer, currency, channel,
 * ship_to, codes, valid_until, explain when lines carry candidates,
 * cash_rounding when `payable` is present, and per line sku, qty and the
 * requested price that the `requested` waterfall step records) and priced
 * again. The new document has `revision` + 1 and status `draft` (a
 * revised quote must be submitted, approved and sent again).
 *
 * `as_of` NULL keeps the quote's `as_of` and `valid_until` (a quote with
 * a null valid_until gets the book's quote_validity_days, if set). A
 * given `as_of` replaces the quote's; valid_until is then as_of +
 * quote_validity_days when the book sets it, else the quote's.
 *
 * Changes: one per line whose unit price changed, with the old and new
 * unit prices and the reason: the first waterfall step that differs
 * ("step 1 'price_list': was price_list:A/all/min_qty:0 10 → 9, now …"),
 * or, when the waterfalls agree, "book changed: fingerprint A → B".
 *
 * Outcomes, all returned with 0 (b2b_quote_repricing_ok() tells them
 * apart):
 *  - repriced: b2b_quote_repricing_ok() is 1; the new quote, document and
 *    changes are there.
 *  - the quote cannot be priced against `book` (e.g. an sku was
 *    removed): b2b_quote_repricing_quote() is the quote that lists every
 *    problem (b2b_quote_ok() is 0, b2b_quote_to_json() writes the error
 *    document); no document, no changes.
 *  - the quote cannot be repriced in its state (accepted — its prices are
 *    locked —, declined, ordered, expired, cancelled) or at `as_of`
 *    (as_of ≥ valid_until): b2b_quote_repricing_message() says why and
 *    b2b_quote_repricing_path() names the field (`status` or
 *    `valid_until`); no quote, no document, no changes.
 *
 * Ownership: `*out` is borrowed from `ctx`'s arena; `book` must outlive
 * it. Thread-safety: thread-safe when each thread uses its own ctx.
 *
 * @param[out] out  the result; NULL when the call could not run
 * @param as_of     NULL, or the instant of the new revision
 * @param opts      options of the quote computation, or NULL
 * @return 0 (repriced or not); B2B_ENOMEM; B2B_EINVAL (NULL argument, an
 *         `as_of` that is not an instant, unknown option flags);
 *         B2B_EVERSION; B2B_EOVERFLOW (a figure left the decimal range,
 *         or the revision cannot be incremented)
 * @since 0.1
 */
B2B_API int b2b_quote_doc_reprice(const b2b_quote_repricing **out, b2b_ctx *ctx,
                                  const b2b_book *book, const b2b_quote_doc *doc,
                                  const b2b_time *as_of, const b2b_quote_options *opts);

/** 1 when a new revision was made, else 0 (also for NULL). @since 0.1 */
B2B_API int b2b_quote_repricing_ok(const b2b_quote_repricing *rev);
/**
 * Why no revision was made: the refusal, naming the state (e.g. "cannot
 * reprice a quote in state 'accepted': its prices are locked until
 * valid_until"), or "the quote cannot be priced against this book: N
 * problems"; NULL when repriced. Borrowed like `rev`. @since 0.1
 */
B2B_API const char *b2b_quote_repricing_message(const b2b_quote_repricing *rev);
/**
 * The document field a refusal concerns: "status" (the state does not
 * allow repricing) or "valid_until" (the quote has expired); NULL when
 * repriced or when the quote cannot be priced (each problem of
 * b2b_quote_repricing_quote() has its own path). @since 0.1
 */
B2B_API const char *b2b_quote_repricing_path(const b2b_quote_repricing *rev);
/** The new quote: its figures, or the list of problems that prevented
 *  them; NULL when the state or as_of refused the repricing. @since 0.1 */
B2B_API const b2b_quote *b2b_quote_repricing_quote(const b2b_quote_repricing *rev);
/** The new document (status draft, revision + 1); NULL unless repriced. @since 0.1 */
B2B_API const b2b_quote_doc *b2b_quote_repricing_doc(const b2b_quote_repricing *rev);
/** Lines whose unit price changed. @since 0.1 */
B2B_API size_t b2b_quote_repricing_change_count(const b2b_quote_repricing *rev);
/** The 0-based line of change i (-1 when out of range). @since 0.1 */
B2B_API long b2b_quote_repricing_change_line(const b2b_quote_repricing *rev, size_t i);
/** The old and new unit prices of change i (unit_price_decimals of each document). @since 0.1 */
B2B_API b2b_dec b2b_quote_repricing_change_old_price(const b2b_quote_repricing *rev, size_t i);
/** @since 0.1 */
B2B_API b2b_dec b2b_quote_repricing_change_new_price(const b2b_quote_repricing *rev, size_t i);
/** Why change i happened (see b2b_quote_doc_reprice()). @since 0.1 */
B2B_API const char *b2b_quote_repricing_change_reason(const b2b_quote_repricing *rev, size_t i);

/**
 * The change report as JSON (canonical form): `{"quote_id", "revision",
 * "from_fingerprint", "to_fingerprint", "from_as_of", "as_of",
 * "old_total", "new_total", "changes": [{"line", "sku", "old_unit_price",
 * "new_unit_price", "reason"}]}` (prices as written in each document,
 * totals at the currency's minor units).
 * Ownership: `*out` is borrowed from `ctx`'s arena.
 * @return 0, B2B_ENOMEM or B2B_EINVAL (NULL argument, or a result without
 *         a new revision: b2b_quote_repricing_ok() is 0)
 * @since 0.1
 */
B2B_API int b2b_quote_repricing_changes_to_json(const char **out, size_t *len, b2b_ctx *ctx,
                                               const b2b_quote_repricing *rev);

B2B_END_DECL
#endif /* B2B_QUOTE_DOC_H */
