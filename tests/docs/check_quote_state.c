/*
 * Tests: the quote lifecycle (SPEC §6): the state machine (every state ×
 * event, legal and illegal), lossless quote documents, transitions with
 * expiry, strict reading of documents from elsewhere, and revisions.
 */
#include <string.h>

#include "b2b.h"
#include "b2b/quote.h"
#include "support/failalloc.h"
#include "support/orders_fixture.h"
#include "support/testmain.h"

/* A1 10.00 (cost 5), B2 4.00 (cost 1); AP1: line discount > 20 % → level 2. */
static const char *const SETTINGS[] = { "base_currency,EUR", "min_margin_percent,10", NULL };
static const char *const PRODUCTS[] = { "A1,10.00,5.00", "B2,4.00,1.00", NULL };
static const char *const PRODUCTS_NEW[] = { "A1,10.00,5.00", "B2,4.40,1.00", NULL };
static const char *const PRODUCTS_GONE[] = { "A1,10.00,5.00", NULL };
static const char *const CUSTOMERS[] = { "PLAIN,sales", "NOCH,", NULL };
static const char *const APPROVALS[] = { "AP1,line_discount_percent,20,2", NULL };
static const char *const PROMOS[] = { "PX,percent,1,X", NULL };

static b2b_book *
make_book(const char *const *products)
{
	const fx_table t[] = {
		{ B2B_TABLE_SETTINGS, "key,value", SETTINGS },
		{ B2B_TABLE_PRODUCTS, "sku,list_price,cost", products },
		{ B2B_TABLE_CUSTOMERS, "id,channel", CUSTOMERS },
		{ B2B_TABLE_APPROVAL_RULES, "id,metric,threshold,level", APPROVALS },
		{ B2B_TABLE_PROMOTIONS, "id,kind,value,code", PROMOS },
	};
	return fx_book(t, sizeof(t) / sizeof(t[0]));
}

static char jbuf[8192];

static const char *
J(const char *s)
{
	size_t i;

	for (i = 0; s[i] != '\0' && i < sizeof(jbuf) - 1; i++)
		jbuf[i] = s[i] == '\'' ? '"' : s[i];
	jbuf[i] = '\0';
	return jbuf;
}

/* Level 2 (A1 requested 30 % off), valid until 2026-07-15, a fractional qty. */
#define REQ_L2 "{'quote_id': 'Q-2', 'customer': 'PLAIN', 'as_of': '2026-06-01', " \
               "'valid_until': '2026-07-15', 'lines': [" \
               "{'sku': 'A1', 'qty': '10', 'requested_unit_price': '7.00'}," \
               "{'sku': 'B2', 'qty': '10.50'}]}"
/* Level 0, no valid_until. */
#define REQ_L0 "{'quote_id': 'Q-0', 'customer': 'PLAIN', 'as_of': '2026-06-01', " \
               "'lines': [{'sku': 'A1', 'qty': '1'}]}"
/* Every optional part: explain, cash rounding, codes, ship_to, null channel. */
#define REQ_FULL "{'quote_id': 'Q-F', 'customer': 'NOCH', 'as_of': '2026-06-01T08:30:00Z', " \
                 "'ship_to': 'DE', 'codes': ['X', 'NOPE'], 'explain': true, " \
                 "'cash_rounding': true, 'valid_until': '2026-06-30', 'lines': [" \
                 "{'sku': 'B2', 'qty': 3}, {'sku': 'A1', 'qty': '2.5'}]}"

static b2b_book *book;
static b2b_ctx *ctx;

static void
setup(void)
{
	book = make_book(PRODUCTS);
	ck_assert_int_eq(b2b_ctx_new(&ctx, NULL), 0);
}

static void
teardown(void)
{
	b2b_ctx_free(ctx);
	b2b_book_unref(book);
}

/* The document of a request, as the library writes it. */
static const char *
quote_doc(const char *request, size_t *len)
{
	const char *req = J(request), *doc;
	const b2b_quote *q;
	size_t n;

	ck_assert_int_eq(b2b_quote_from_json(&q, ctx, book, req, strlen(req), NULL), 0);
	ck_assert_int_eq(b2b_quote_to_json(&doc, &n, ctx, q), 0);
	if (len != NULL)
		*len = n;
	return doc;
}

static const b2b_quote_doc *
parse(const char *json)
{
	const b2b_quote_doc *d = NULL;
	int rc = b2b_quote_doc_parse(&d, ctx, json, strlen(json));

	ck_assert_msg(rc == 0, "parse: %d %s (%s)", rc, b2b_ctx_errmsg(ctx), b2b_ctx_errpath(ctx));
	return d;
}

static const char *
write_doc(const b2b_quote_doc *d)
{
	const char *out;
	size_t len;

	ck_assert_int_eq(b2b_quote_doc_to_json(&out, &len, ctx, d), 0);
	ck_assert_uint_eq(len, strlen(out));
	return out;
}

/* `s` with the first `from` replaced by `to` (malloc'ed). */
static char *
replace(const char *s, const char *from, const char *to)
{
	const char *p = strstr(s, from);
	size_t n = strlen(s), a, b = strlen(to);
	char *out;

	ck_assert_msg(p != NULL, "'%s' not in the document", from);
	a = (size_t)(p - s);
	out = malloc(n - strlen(from) + b + 1);
	ck_assert_ptr_nonnull(out);
	memcpy(out, s, a);
	memcpy(out + a, to, b);
	strcpy(out + a + b, p + strlen(from));
	return out;
}

static b2b_time
T(const char *s)
{
	b2b_time t;

	ck_assert_int_eq(b2b_time_parse(&t, NULL, s, strlen(s)), 0);
	return t;
}

/* The refusal of the last apply() that was refused. */
static const char *refusal;

/*
 * Apply `event` at `as_of` (NULL: the quote's own): the new document, or
 * NULL when the transition is refused (then `refusal` says why). The call
 * itself must run: a refusal is a result returned with 0.
 */
static const b2b_quote_doc *
apply(const b2b_quote_doc *d, b2b_quote_event event, const b2b_time *as_of)
{
	const b2b_quote_transition *t = NULL;

	ck_assert_int_eq(b2b_quote_doc_apply(&t, ctx, d, event, as_of), 0);
	ck_assert_ptr_nonnull(t);
	if (b2b_quote_transition_allowed(t)) {
		ck_assert_ptr_nonnull(b2b_quote_transition_doc(t));
		ck_assert_ptr_null(b2b_quote_transition_message(t));
		return b2b_quote_transition_doc(t);
	}
	ck_assert_ptr_null(b2b_quote_transition_doc(t));
	refusal = b2b_quote_transition_message(t);
	ck_assert_ptr_nonnull(refusal);
	return NULL;
}

/*===========================================================================
 * Core: names and the state machine
 *===========================================================================*/

START_TEST(test_names)
{
	static const char *const states[] = { "draft", "submitted", "approved", "rejected", "sent",
	                                      "accepted", "declined", "ordered", "expired",
	                                      "cancelled" };
	static const char *const events[] = { "submit", "approve", "reject", "send", "accept",
	                                      "decline", "order", "expire", "cancel" };
	b2b_quote_state s;
	b2b_quote_event e;
	int i;

	for (i = 0; i < 10; i++) {
		ck_assert_str_eq(b2b_quote_state_name((b2b_quote_state)i), states[i]);
		ck_assert_int_eq(b2b_quote_state_parse(&s, states[i], strlen(states[i])), 0);
		ck_assert_int_eq((int)s, i);
	}
	for (i = 0; i < 9; i++) {
		ck_assert_str_eq(b2b_quote_event_name((b2b_quote_event)i), events[i]);
		ck_assert_int_eq(b2b_quote_event_parse(&e, events[i], strlen(events[i])), 0);
		ck_assert_int_eq((int)e, i);
	}
	ck_assert_ptr_null(b2b_quote_state_name((b2b_quote_state)10));
	ck_assert_ptr_null(b2b_quote_state_name((b2b_quote_state)-1));
	ck_assert_ptr_null(b2b_quote_event_name((b2b_quote_event)9));
	ck_assert_ptr_null(b2b_quote_event_name((b2b_quote_event)-1));
	s = B2B_QUOTE_SENT;
	e = B2B_QUOTE_ORDER;
	ck_assert_int_eq(b2b_quote_state_parse(&s, "Draft", 5), B2B_EPARSE);
	ck_assert_int_eq(b2b_quote_state_parse(&s, "", 0), B2B_EPARSE);
	ck_assert_int_eq(b2b_quote_event_parse(&e, "sen", 3), B2B_EPARSE);
	ck_assert_int_eq(b2b_quote_event_parse(&e, "send ", 5), B2B_EPARSE);
	ck_assert_int_eq(b2b_quote_event_parse(&e, "draft", 5), B2B_EPARSE);
	ck_assert_int_eq((int)s, B2B_QUOTE_SENT);
	ck_assert_int_eq((int)e, B2B_QUOTE_ORDER);
	ck_assert_int_eq(b2b_quote_event_parse(NULL, "send", 4), B2B_EINVAL);
	ck_assert_int_eq(b2b_quote_state_parse(&s, NULL, 1), B2B_EINVAL);
}
END_TEST

/*
 * The legal transitions, written out by hand from SPEC §6 and b2b/quote.h.
 * `level`: 0 any level, 1 only at level 0, 2 only at level > 0.
 * Rows with expired = 1 are the only legal events once as_of ≥ valid_until.
 */
static const struct {
	int from, event, level, expired, to;
} LEGAL[] = {
	{ B2B_QUOTE_DRAFT, B2B_QUOTE_SUBMIT, 0, 0, B2B_QUOTE_SUBMITTED },
	{ B2B_QUOTE_SUBMITTED, B2B_QUOTE_APPROVE, 2, 0, B2B_QUOTE_APPROVED },
	{ B2B_QUOTE_SUBMITTED, B2B_QUOTE_REJECT, 2, 0, B2B_QUOTE_REJECTED },
	{ B2B_QUOTE_SUBMITTED, B2B_QUOTE_SEND, 1, 0, B2B_QUOTE_SENT },
	{ B2B_QUOTE_APPROVED, B2B_QUOTE_SEND, 0, 0, B2B_QUOTE_SENT },
	{ B2B_QUOTE_SENT, B2B_QUOTE_ACCEPT, 0, 0, B2B_QUOTE_ACCEPTED },
	{ B2B_QUOTE_SENT, B2B_QUOTE_DECLINE, 0, 0, B2B_QUOTE_DECLINED },
	{ B2B_QUOTE_ACCEPTED, B2B_QUOTE_ORDER, 0, 0, B2B_QUOTE_ORDERED },
};

static int
expected_next(int from, int event, int level, int expired)
{
	size_t i;

	if (from == B2B_QUOTE_ORDERED || from == B2B_QUOTE_EXPIRED || from == B2B_QUOTE_CANCELLED)
		return -1;
	if (event == B2B_QUOTE_CANCEL)
		return B2B_QUOTE_CANCELLED;
	if (event == B2B_QUOTE_EXPIRE)
		return expired ? B2B_QUOTE_EXPIRED : -1;
	if (expired)
		return -1;
	for (i = 0; i < sizeof(LEGAL) / sizeof(LEGAL[0]); i++)
		if (LEGAL[i].from == from && LEGAL[i].event == event &&
		    (LEGAL[i].level == 0 || (LEGAL[i].level == 1) == (level == 0)))
			return LEGAL[i].to;
	return -1;
}

START_TEST(test_every_transition)
{
	int from, event, li, expired, legal = 0, illegal = 0;
	static const int levels[] = { 0, 1, 2, 9 };

	for (from = 0; from < 10; from++)
		for (event = 0; event < 9; event++)
			for (li = 0; li < 4; li++)
				for (expired = 0; expired < 2; expired++) {
					int want = expected_next(from, event, levels[li], expired);
					b2b_quote_state to = (b2b_quote_state)77;
					const char *fn = b2b_quote_state_name((b2b_quote_state)from);
					const char *en = b2b_quote_event_name((b2b_quote_event)event);
					char why[B2B_QUOTE_WHY_MAX];
					int allowed = -1;
					int rc = b2b_quote_next_state(&to, &allowed, why, sizeof(why),
					                              (b2b_quote_state)from,
					                              (b2b_quote_event)event, levels[li],
					                              expired);

					/* legal or not, the call runs */
					ck_assert_int_eq(rc, 0);
					if (want >= 0) {
						ck_assert_msg(allowed == 1 && (int)to == want, "%s --%s--> %d "
						              "(level %d, expired %d)", fn, en, (int)to, levels[li],
						              expired);
						ck_assert_str_eq(why, "");
						legal++;
					} else {
						char a[32], b[32];

						ck_assert_msg(allowed == 0, "%s --%s--> should be illegal "
						              "(level %d, expired %d)", fn, en, levels[li], expired);
						ck_assert_int_eq((int)to, 77);
						/* the message names the state and the event */
						snprintf(a, sizeof(a), "'%s'", fn);
						snprintf(b, sizeof(b), "'%s'", en);
						ck_assert_ptr_nonnull(strstr(why, a));
						ck_assert_ptr_nonnull(strstr(why, b));
						ck_assert_uint_lt(strlen(why), sizeof(why) - 1);
						illegal++;
					}
				}
	ck_assert_int_eq(legal + illegal, 10 * 9 * 4 * 2);
	/* 7 open states × (cancel at 8 combinations + expire at 4) + the
	 * table's rows at their levels, not expired */
	ck_assert_int_eq(legal, 7 * 8 + 7 * 4 + (1 * 4 + 3 + 3 + 1 + 4 + 4 + 4 + 4));
}
END_TEST

START_TEST(test_transition_messages)
{
	b2b_quote_state to = B2B_QUOTE_DRAFT;
	char why[B2B_QUOTE_WHY_MAX], small[12];
	int allowed = -1;

	/* a refusal is an answer: 0, allowed 0, the reason in why */
	ck_assert_int_eq(b2b_quote_next_state(&to, &allowed, why, sizeof(why), B2B_QUOTE_SUBMITTED,
	                                      B2B_QUOTE_SEND, 2, 0), 0);
	ck_assert_int_eq(allowed, 0);
	ck_assert_int_eq((int)to, B2B_QUOTE_DRAFT);
	ck_assert_str_eq(why, "cannot 'send' a quote in state 'submitted' that needs approval level 2");
	ck_assert_int_eq(b2b_quote_next_state(&to, &allowed, why, sizeof(why), B2B_QUOTE_ORDERED,
	                                      B2B_QUOTE_CANCEL, 0, 0), 0);
	ck_assert_int_eq(allowed, 0);
	ck_assert_str_eq(why, "cannot 'cancel' a quote in state 'ordered' (a final state)");
	ck_assert_int_eq(b2b_quote_next_state(&to, &allowed, why, sizeof(why), B2B_QUOTE_SENT,
	                                      B2B_QUOTE_ACCEPT, 0, 1), 0);
	ck_assert_int_eq(allowed, 0);
	ck_assert_str_eq(why, "cannot 'accept' a quote in state 'sent' that has expired: only "
	                      "'expire' or 'cancel'");
	/* the message is cut to the buffer, NUL-terminated; no buffer is fine */
	ck_assert_int_eq(b2b_quote_next_state(&to, &allowed, small, sizeof(small), B2B_QUOTE_SENT,
	                                      B2B_QUOTE_ACCEPT, 0, 1), 0);
	ck_assert_str_eq(small, "cannot 'acc");
	ck_assert_int_eq(b2b_quote_next_state(&to, &allowed, NULL, 0, B2B_QUOTE_SENT,
	                                      B2B_QUOTE_ACCEPT, 0, 1), 0);
	ck_assert_int_eq(allowed, 0);
	/* allowed: the new state, an empty message */
	ck_assert_int_eq(b2b_quote_next_state(&to, &allowed, why, sizeof(why), B2B_QUOTE_DRAFT,
	                                      B2B_QUOTE_SUBMIT, 0, 0), 0);
	ck_assert_int_eq(allowed, 1);
	ck_assert_int_eq((int)to, B2B_QUOTE_SUBMITTED);
	ck_assert_str_eq(why, "");
	/* the call could not run */
	ck_assert_int_eq(b2b_quote_next_state(&to, &allowed, why, sizeof(why), (b2b_quote_state)10,
	                                      B2B_QUOTE_SUBMIT, 0, 0), B2B_EINVAL);
	ck_assert_int_eq(b2b_quote_next_state(&to, &allowed, why, sizeof(why), B2B_QUOTE_DRAFT,
	                                      (b2b_quote_event)9, 0, 0), B2B_EINVAL);
	ck_assert_int_eq(b2b_quote_next_state(&to, &allowed, why, sizeof(why),
	                                      (b2b_quote_state)-1, B2B_QUOTE_SUBMIT, 0, 0),
	                 B2B_EINVAL);
	ck_assert_int_eq(b2b_quote_next_state(NULL, &allowed, why, sizeof(why), B2B_QUOTE_DRAFT,
	                                      B2B_QUOTE_SUBMIT, 0, 0), B2B_EINVAL);
	ck_assert_int_eq(b2b_quote_next_state(&to, NULL, why, sizeof(why), B2B_QUOTE_DRAFT,
	                                      B2B_QUOTE_SUBMIT, 0, 0), B2B_EINVAL);
	ck_assert_int_eq(b2b_quote_next_state(&to, &allowed, NULL, 5, B2B_QUOTE_DRAFT,
	                                      B2B_QUOTE_SUBMIT, 0, 0), B2B_EINVAL);
}
END_TEST

/*===========================================================================
 * Core: lossless documents and transitions on them
 *===========================================================================*/

START_TEST(test_lossless_roundtrip)
{
	const char *reqs[] = { REQ_L2, REQ_L0, REQ_FULL };
	size_t i;

	for (i = 0; i < 3; i++) {
		size_t len;
		const char *doc = quote_doc(reqs[i], &len);
		const b2b_quote_doc *d = parse(doc);
		const char *again = write_doc(d);

		ck_assert_str_eq(again, doc);
		/* and a second generation too */
		ck_assert_str_eq(write_doc(parse(again)), doc);
		ck_assert_int_eq((int)b2b_quote_doc_status(d), B2B_QUOTE_DRAFT);
		ck_assert_int_eq((int)b2b_quote_doc_revision(d), 1);
	}
}
END_TEST

START_TEST(test_sample_quote_lossless)
{
	b2b_book *sample = NULL;
	char *req;
	const char *doc, *out;
	const b2b_quote *q;
	const b2b_quote_doc *d;
	size_t len, dlen;

	ck_assert_int_eq(b2b_book_load_dir(&sample, ctx, NULL, B2B_EXAMPLES_DIR "/data/book"), 0);
	req = fx_read(B2B_EXAMPLES_DIR "/data/quote_request.json", &len);
	ck_assert_int_eq(b2b_quote_from_json(&q, ctx, sample, req, len, NULL), 0);
	ck_assert_int_eq(b2b_quote_to_json(&doc, &dlen, ctx, q), 0);
	ck_assert_int_eq(b2b_quote_doc_parse(&d, ctx, doc, dlen), 0);
	ck_assert_int_eq(b2b_quote_doc_approval_level(d), 2);
	ck_assert_str_eq(b2b_quote_doc_id(d), "Q-2026-0412");
	ck_assert_str_eq(b2b_quote_doc_customer(d), "C-BAUMANN");
	ck_assert_str_eq(b2b_quote_doc_currency(d), "EUR");
	ck_assert_str_eq(b2b_quote_doc_fingerprint(d), b2b_book_fingerprint(sample));
	ck_assert_uint_eq(b2b_quote_doc_line_count(d), 10);
	ck_assert_int_eq(b2b_quote_doc_to_json(&out, NULL, ctx, d), 0);
	ck_assert_str_eq(out, doc);
	free(req);
	b2b_book_unref(sample);
}
END_TEST

START_TEST(test_transition_changes_only_status)
{
	size_t len;
	const char *doc = quote_doc(REQ_L2, &len), *out;
	char *want;

	int allowed = -1;

	ck_assert_int_eq(b2b_quote_doc_transition(&out, &len, &allowed, ctx, doc, len,
	                                          B2B_QUOTE_SUBMIT, NULL), 0);
	ck_assert_int_eq(allowed, 1);
	want = replace(doc, "\"status\": \"draft\"", "\"status\": \"submitted\"");
	ck_assert_str_eq(out, want);
	ck_assert_uint_eq(len, strlen(want));
	free(want);
}
END_TEST

START_TEST(test_lifecycle_with_approval)
{
	size_t len;
	const char *doc = quote_doc(REQ_L2, &len);
	const b2b_quote_doc *d = parse(doc), *n;

	ck_assert_int_eq(b2b_quote_doc_approval_level(d), 2);
	/* cannot send a draft, nor a submitted quote that needs approval */
	ck_assert_ptr_null(apply(d, B2B_QUOTE_SEND, NULL));
	ck_assert_str_eq(refusal, "cannot 'send' a quote in state 'draft' (only an approved quote, "
	                          "or a submitted one of approval level 0, is sent)");
	ck_assert_ptr_nonnull(d = apply(d, B2B_QUOTE_SUBMIT, NULL));
	ck_assert_ptr_null(apply(d, B2B_QUOTE_SEND, NULL));
	ck_assert_str_eq(refusal,
	                 "cannot 'send' a quote in state 'submitted' that needs approval level 2");
	ck_assert_ptr_nonnull(d = apply(d, B2B_QUOTE_APPROVE, NULL));
	ck_assert_ptr_nonnull(d = apply(d, B2B_QUOTE_SEND, NULL));
	ck_assert_int_eq(b2b_quote_doc_locked(d, T("2026-06-02")), 0);
	ck_assert_ptr_nonnull(d = apply(d, B2B_QUOTE_ACCEPT, NULL));
	ck_assert_int_eq((int)b2b_quote_doc_status(d), B2B_QUOTE_ACCEPTED);
	/* the lock holds until valid_until (exclusive) */
	ck_assert_int_eq(b2b_quote_doc_locked(d, T("2026-07-14T23:59:59Z")), 1);
	ck_assert_int_eq(b2b_quote_doc_locked(d, T("2026-07-15")), 0);
	ck_assert_ptr_nonnull(n = apply(d, B2B_QUOTE_ORDER, NULL));
	ck_assert_int_eq((int)b2b_quote_doc_status(n), B2B_QUOTE_ORDERED);
	ck_assert_int_eq((int)b2b_quote_doc_revision(n), 1);
	/* ordered is final */
	ck_assert_ptr_null(apply(n, B2B_QUOTE_CANCEL, NULL));
	/* a rejected quote is never sent */
	d = parse(doc);
	ck_assert_ptr_nonnull(d = apply(d, B2B_QUOTE_SUBMIT, NULL));
	ck_assert_ptr_nonnull(d = apply(d, B2B_QUOTE_REJECT, NULL));
	ck_assert_ptr_null(apply(d, B2B_QUOTE_SEND, NULL));
	ck_assert_ptr_nonnull(n = apply(d, B2B_QUOTE_CANCEL, NULL));
	ck_assert_str_eq(strstr(write_doc(n), "\"status\""), strstr(write_doc(n), "\"status\""));
	ck_assert_ptr_nonnull(strstr(write_doc(n), "\"status\": \"cancelled\""));
}
END_TEST

START_TEST(test_lifecycle_without_approval)
{
	const b2b_quote_doc *d = parse(quote_doc(REQ_L0, NULL));
	b2b_time vu;

	ck_assert_int_eq(b2b_quote_doc_approval_level(d), 0);
	ck_assert_int_eq(b2b_quote_doc_valid_until(&vu, d), B2B_ENOTFOUND);
	ck_assert_ptr_nonnull(d = apply(d, B2B_QUOTE_SUBMIT, NULL));
	/* level 0: no approval step */
	ck_assert_ptr_null(apply(d, B2B_QUOTE_APPROVE, NULL));
	ck_assert_ptr_nonnull(d = apply(d, B2B_QUOTE_SEND, NULL));
	ck_assert_int_eq((int)b2b_quote_doc_status(d), B2B_QUOTE_SENT);
	/* without valid_until a quote never expires */
	{
		const b2b_quote_transition *t = (const b2b_quote_transition *)&t;

		ck_assert_int_eq(b2b_quote_doc_apply(&t, ctx, d, B2B_QUOTE_EXPIRE,
		                                     &(b2b_time){ 0, 0, 0 }), B2B_EINVAL);
		ck_assert_ptr_null(t);
		ck_assert_int_eq(b2b_quote_doc_apply(&t, ctx, d, (b2b_quote_event)9, NULL),
		                 B2B_EINVAL);
	}
	ck_assert_ptr_null(apply(d, B2B_QUOTE_EXPIRE, NULL));
	ck_assert_int_eq(b2b_quote_doc_locked(d, T("9999-12-31")), 0);
	ck_assert_ptr_nonnull(d = apply(d, B2B_QUOTE_DECLINE, NULL));
	ck_assert_int_eq((int)b2b_quote_doc_status(d), B2B_QUOTE_DECLINED);
	ck_assert_ptr_null(apply(d, B2B_QUOTE_ACCEPT, NULL));
}
END_TEST

/*===========================================================================
 * Limits: expiry at valid_until
 *===========================================================================*/

START_TEST(test_expiry_threshold)
{
	const b2b_quote_doc *d = parse(quote_doc(REQ_L2, NULL)), *n;
	b2b_time before = T("2026-07-14T23:59:59Z"), at = T("2026-07-15"), vu;

	ck_assert_int_eq(b2b_quote_doc_valid_until(&vu, d), 0);
	ck_assert_int_eq(b2b_time_cmp(vu, at), 0);
	ck_assert_ptr_nonnull(d = apply(d, B2B_QUOTE_SUBMIT, &before));
	/* one second before: not expired; at valid_until: nothing but expire
	 * or cancel */
	ck_assert_ptr_null(apply(d, B2B_QUOTE_EXPIRE, &before));
	ck_assert_ptr_null(apply(d, B2B_QUOTE_APPROVE, &at));
	ck_assert_str_eq(refusal, "cannot 'approve' a quote in state 'submitted' that has expired: "
	                          "only 'expire' or 'cancel'");
	ck_assert_ptr_nonnull(n = apply(d, B2B_QUOTE_APPROVE, &before));
	ck_assert_ptr_nonnull(n = apply(d, B2B_QUOTE_EXPIRE, &at));
	ck_assert_int_eq((int)b2b_quote_doc_status(n), B2B_QUOTE_EXPIRED);
	ck_assert_ptr_null(apply(n, B2B_QUOTE_CANCEL, &at));
	ck_assert_ptr_nonnull(n = apply(d, B2B_QUOTE_CANCEL, &at));
	/* the JSON call: the new document, or the refusal as an error document */
	{
		size_t len, olen;
		const char *doc = quote_doc(REQ_L2, &len), *out;
		int allowed = -1;

		ck_assert_int_eq(b2b_quote_doc_transition(&out, &olen, &allowed, ctx, doc, len,
		                                          B2B_QUOTE_EXPIRE, &before), 0);
		ck_assert_int_eq(allowed, 0);
		ck_assert_str_eq(out, "{\n  \"errors\": [\n    {\n      \"code\": "
		                      "\"ILLEGAL_TRANSITION\",\n      \"message\": \"cannot 'expire' a "
		                      "quote in state 'draft' that has not expired (as_of is before "
		                      "valid_until, or it has none)\",\n      \"path\": \"status\"\n"
		                      "    }\n  ]\n}\n");
		ck_assert_uint_eq(olen, strlen(out));
		ck_assert_int_eq(b2b_quote_doc_transition(&out, NULL, &allowed, ctx, doc, len,
		                                          B2B_QUOTE_EXPIRE, &at), 0);
		ck_assert_int_eq(allowed, 1);
		ck_assert_ptr_nonnull(strstr(out, "\"status\": \"expired\""));
		/* allowed may be NULL */
		ck_assert_int_eq(b2b_quote_doc_transition(&out, NULL, NULL, ctx, doc, len,
		                                          B2B_QUOTE_CANCEL, NULL), 0);
		ck_assert_ptr_nonnull(strstr(out, "\"status\": \"cancelled\""));
	}
}
END_TEST

/*===========================================================================
 * Errors: documents from elsewhere, bad arguments
 *===========================================================================*/

START_TEST(test_bad_documents)
{
	static const struct { const char *from, *to, *path, *words; } cases[] = {
		{ "  \"status\": \"draft\",\n", "", "status", "required field is missing" },
		{ "\"status\": \"draft\"", "\"status\": \"drafted\"", "status", "one of draft" },
		{ "\"revision\": 1", "\"revision\": 0", "revision", "integer" },
		{ "\"revision\": 1", "\"revision\": 1.0", "revision", "integer" },
		{ "\"revision\": 1", "\"revision\": \"1\"", "revision", "integer" },
		{ "\"qty\": \"10\"", "\"qty\": \"ten\"", "lines[0].qty", "decimal" },
		{ "\"qty\": \"10\"", "\"qty\": \"1.0000000000\"", "lines[0].qty", "decimal" },
		{ "\"status\"", "\"foo\": 1,\n  \"status\"", "foo", "unknown field" },
		{ "\"level\": 2", "\"level\": 10", "approval.level", "0 to 9" },
		{ "\"currency\": \"EUR\"", "\"currency\": \"eur\"", "currency", "upper-case" },
		{ "\"fingerprint\": \"", "\"fingerprint\": \"0", "fingerprint", "hexadecimal" },
		{ "\"as_of\": \"2026-06-01\"", "\"as_of\": \"2026-06-31\"", "as_of", "date" },
		{ "\"valid_until\": \"2026-07-15\"", "\"valid_until\": 5", "valid_until", "null" },
		{ "\"protected\": false", "\"protected\": 0", "lines[0].protected", "true or false" },
		{ "\"step\": \"list\"", "\"step\": \"magic\"", "lines[0].waterfall[0].step", "one of" },
		{ "\"line\": 0", "\"line\": 2", "approval.reasons[0].line", "line index" },
		{ "\"warnings\": []", "\"warnings\": {}", "warnings", "array" },
		{ "\"discounts\": []", "\"discounts\": [1]", "discounts[0]", "object" },
		{ "\"warnings\": []", "\"warnings\": [],\n  \"payable\": \"1.00\"", "cash_adjustment",
		  "together" },
		{ "\"channel\": \"sales\"", "\"channel\": [\"sales\"]", "channel", "string or null" },
	};
	size_t i, len;
	const char *doc = quote_doc(REQ_L2, &len);

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *bad = replace(doc, cases[i].from, cases[i].to);
		const b2b_quote_doc *d = (const b2b_quote_doc *)&d;

		ck_assert_msg(b2b_quote_doc_parse(&d, ctx, bad, strlen(bad)) == B2B_EPARSE,
		              "case %zu parsed", i);
		ck_assert_ptr_null(d);
		ck_assert_msg(strcmp(b2b_ctx_errpath(ctx), cases[i].path) == 0, "case %zu: path %s",
		              i, b2b_ctx_errpath(ctx));
		ck_assert_msg(strstr(b2b_ctx_errmsg(ctx), cases[i].words) != NULL, "case %zu: %s", i,
		              b2b_ctx_errmsg(ctx));
		ck_assert_int_gt(b2b_ctx_errline(ctx), 0);
		free(bad);
	}
}
END_TEST

START_TEST(test_bad_document_shapes)
{
	const b2b_quote_doc *d;
	size_t len;
	const char *doc = quote_doc(REQ_L2, &len);
	char *bad;

	ck_assert_int_eq(b2b_quote_doc_parse(&d, ctx, "[]", 2), B2B_EPARSE);
	ck_assert_str_eq(b2b_ctx_errpath(ctx), "$");
	ck_assert_int_eq(b2b_quote_doc_parse(&d, ctx, "{\"a\": }", 7), B2B_EPARSE);
	ck_assert_int_eq(b2b_ctx_errcol(ctx), 7);
	/* empty lines */
	bad = replace(doc, "\"lines\": [", "\"lines\": [], \"x\": [");
	ck_assert_int_eq(b2b_quote_doc_parse(&d, ctx, bad, strlen(bad)), B2B_EPARSE);
	free(bad);
	/* a duplicate key is refused by the reader */
	bad = replace(doc, "\"status\"", "\"status\": \"draft\",\n  \"status\"");
	ck_assert_int_eq(b2b_quote_doc_parse(&d, ctx, bad, strlen(bad)), B2B_EPARSE);
	free(bad);
	/* the missing-key error points at the object holding it */
	bad = replace(doc, "\"tax_rate\": \"0.00\",\n", "");
	ck_assert_int_eq(b2b_quote_doc_parse(&d, ctx, bad, strlen(bad)), B2B_EPARSE);
	ck_assert_str_eq(b2b_ctx_errpath(ctx), "lines[0].tax_rate");
	free(bad);
	ck_assert_int_eq(b2b_quote_doc_parse(NULL, ctx, doc, len), B2B_EINVAL);
	ck_assert_int_eq(b2b_quote_doc_parse(&d, NULL, doc, len), B2B_EINVAL);
	ck_assert_int_eq(b2b_quote_doc_parse(&d, ctx, NULL, 3), B2B_EINVAL);
}
END_TEST

START_TEST(test_numbers_written_as_strings)
{
	/* a document from elsewhere with decimals as JSON numbers is read, and
	 * written in canonical form (strings, as written) */
	size_t len;
	const char *doc = quote_doc(REQ_L2, &len);
	char *numeric = replace(doc, "\"subtotal\": \"112.00\"", "\"subtotal\": 112.00");
	const b2b_quote_doc *d = parse(numeric);

	ck_assert_str_eq(write_doc(d), doc);
	free(numeric);
	numeric = replace(doc, "\"subtotal\": \"112.00\"", "\"subtotal\": 1.12E2");
	ck_assert_ptr_nonnull(strstr(write_doc(parse(numeric)), "\"subtotal\": \"112\""));
	free(numeric);
}
END_TEST

START_TEST(test_transition_json_errors)
{
	size_t len;
	const char *doc = quote_doc(REQ_L2, &len), *out = "x";

	b2b_time bad = { 0, 0, 0 };
	int allowed = -1;

	ck_assert_int_eq(b2b_quote_doc_transition(&out, NULL, &allowed, ctx, doc, len,
	                                          (b2b_quote_event)9, NULL), B2B_EINVAL);
	ck_assert_ptr_null(out);
	ck_assert_int_eq(allowed, 0);
	ck_assert_ptr_nonnull(strstr(b2b_ctx_errmsg(ctx), "unknown event"));
	ck_assert_int_eq(b2b_quote_doc_transition(&out, NULL, NULL, ctx, doc, len,
	                                          B2B_QUOTE_SUBMIT, &bad), B2B_EINVAL);
	ck_assert_int_eq(b2b_quote_doc_transition(&out, NULL, NULL, ctx, "{", 1, B2B_QUOTE_SUBMIT,
	                                          NULL), B2B_EPARSE);
	ck_assert_int_eq(b2b_ctx_errline(ctx), 1);
	ck_assert_int_eq(b2b_quote_doc_transition(NULL, NULL, NULL, ctx, doc, len,
	                                          B2B_QUOTE_SUBMIT, NULL), B2B_EINVAL);
	ck_assert_int_eq(b2b_quote_doc_transition(&out, NULL, NULL, NULL, doc, len,
	                                          B2B_QUOTE_SUBMIT, NULL), B2B_EINVAL);
	/* a refused transition is not an error: 0 and the error document */
	ck_assert_int_eq(b2b_quote_doc_transition(&out, NULL, &allowed, ctx, doc, len,
	                                          B2B_QUOTE_ACCEPT, NULL), 0);
	ck_assert_int_eq(allowed, 0);
	ck_assert_ptr_nonnull(strstr(out, "\"code\": \"ILLEGAL_TRANSITION\""));
	ck_assert_ptr_nonnull(strstr(out, "cannot 'accept' a quote in state 'draft'"));
	{
		const b2b_quote_transition *t = (const b2b_quote_transition *)&t;

		ck_assert_int_eq(b2b_quote_doc_apply(NULL, ctx, NULL, B2B_QUOTE_SUBMIT, NULL),
		                 B2B_EINVAL);
		ck_assert_int_eq(b2b_quote_doc_apply(&t, ctx, NULL, B2B_QUOTE_SUBMIT, NULL),
		                 B2B_EINVAL);
		ck_assert_ptr_null(t);
		ck_assert_int_eq(b2b_quote_doc_apply(&t, NULL, parse(doc), B2B_QUOTE_SUBMIT, NULL),
		                 B2B_EINVAL);
	}
	ck_assert_int_eq(b2b_quote_transition_allowed(NULL), 0);
	ck_assert_ptr_null(b2b_quote_transition_doc(NULL));
	ck_assert_ptr_null(b2b_quote_transition_message(NULL));
	ck_assert_int_eq(b2b_quote_doc_to_json(&out, NULL, ctx, NULL), B2B_EINVAL);
	/* accessors on NULL */
	ck_assert_int_eq((int)b2b_quote_doc_status(NULL), -1);
	ck_assert_int_eq((int)b2b_quote_doc_revision(NULL), 0);
	ck_assert_ptr_null(b2b_quote_doc_id(NULL));
	ck_assert_uint_eq(b2b_quote_doc_line_count(NULL), 0);
	ck_assert_int_eq(b2b_quote_doc_locked(NULL, T("2026-01-01")), 0);
}
END_TEST

/*===========================================================================
 * Revisions
 *===========================================================================*/

START_TEST(test_reprice_same_book)
{
	size_t len;
	const char *doc = quote_doc(REQ_FULL, &len), *out;
	const b2b_quote_doc *d = parse(doc);
	const b2b_quote_repricing *r;
	char *want;

	ck_assert_ptr_nonnull(d = apply(d, B2B_QUOTE_SUBMIT, NULL));
	ck_assert_int_eq(b2b_quote_doc_reprice(&r, ctx, book, d, NULL, NULL), 0);
	ck_assert_uint_eq(b2b_quote_repricing_change_count(r), 0);
	/* same figures, revision 2, back to draft */
	want = replace(doc, "\"revision\": 1", "\"revision\": 2");
	ck_assert_str_eq(write_doc(b2b_quote_repricing_doc(r)), want);
	free(want);
	ck_assert_int_eq((int)b2b_quote_doc_revision(b2b_quote_repricing_doc(r)), 2);
	/* and again: 3 */
	ck_assert_int_eq(b2b_quote_doc_reprice(&r, ctx, book, b2b_quote_repricing_doc(r), NULL,
	                                       NULL), 0);
	ck_assert_int_eq((int)b2b_quote_doc_revision(b2b_quote_repricing_doc(r)), 3);
	ck_assert_int_eq(b2b_quote_repricing_changes_to_json(&out, NULL, ctx, r), 0);
	ck_assert_ptr_nonnull(strstr(out, "\"changes\": []"));
	ck_assert_ptr_nonnull(b2b_quote_repricing_quote(r));
}
END_TEST

START_TEST(test_reprice_new_book)
{
	b2b_book *newer = make_book(PRODUCTS_NEW);
	size_t len;
	const char *doc = quote_doc(REQ_L2, &len), *out;
	const b2b_quote_doc *d = parse(doc);
	const b2b_quote_repricing *r;
	char want[2048], buf[32];

	ck_assert_int_eq(b2b_quote_doc_reprice(&r, ctx, newer, d, NULL, NULL), 0);
	/* A1 keeps its requested 7.00; B2 goes from 4.00 to 4.40 */
	ck_assert_uint_eq(b2b_quote_repricing_change_count(r), 1);
	ck_assert_int_eq(b2b_quote_repricing_change_line(r, 0), 1);
	b2b_dec_format(buf, sizeof(buf), NULL, b2b_quote_repricing_change_old_price(r, 0), 2,
	               B2B_ROUND_HALF_UP);
	ck_assert_str_eq(buf, "4.00");
	b2b_dec_format(buf, sizeof(buf), NULL, b2b_quote_repricing_change_new_price(r, 0), 2,
	               B2B_ROUND_HALF_UP);
	ck_assert_str_eq(buf, "4.40");
	ck_assert_str_eq(b2b_quote_repricing_change_reason(r, 0),
	                 "step 0 'list': was product:B2 4 → 4, now product:B2 4.4 → 4.4");
	ck_assert_int_eq(b2b_quote_repricing_changes_to_json(&out, NULL, ctx, r), 0);
	/* totals: 10 × 7.00 + 10.50 × 4.00 = 112.00 → 10.50 × 4.40 = 46.20, 116.20 */
	snprintf(want, sizeof(want),
	         "{\n  \"quote_id\": \"Q-2\",\n  \"revision\": 2,\n"
	         "  \"from_fingerprint\": \"%s\",\n  \"to_fingerprint\": \"%s\",\n"
	         "  \"from_as_of\": \"2026-06-01\",\n  \"as_of\": \"2026-06-01\",\n"
	         "  \"old_total\": \"112.00\",\n  \"new_total\": \"116.20\",\n"
	         "  \"changes\": [\n    {\n      \"line\": 1,\n      \"sku\": \"B2\",\n"
	         "      \"old_unit_price\": \"4.0000\",\n      \"new_unit_price\": \"4.4000\",\n"
	         "      \"reason\": \"step 0 'list': was product:B2 4 → 4, now product:B2 4.4 → 4.4\"\n"
	         "    }\n  ]\n}\n", b2b_book_fingerprint(book), b2b_book_fingerprint(newer));
	ck_assert_str_eq(out, want);
	/* the new document carries the new book's fingerprint */
	ck_assert_str_eq(b2b_quote_doc_fingerprint(b2b_quote_repricing_doc(r)),
	                 b2b_book_fingerprint(newer));
	/* repricing at a new as_of */
	ck_assert_int_eq(b2b_quote_doc_reprice(&r, ctx, newer, d, &(b2b_time){ 0, 0, 0 }, NULL),
	                 B2B_EINVAL);
	{
		b2b_time t = T("2026-06-10");

		ck_assert_int_eq(b2b_quote_doc_reprice(&r, ctx, newer, d, &t, NULL), 0);
		ck_assert_int_eq(b2b_time_cmp(b2b_quote_doc_as_of(b2b_quote_repricing_doc(r)), t), 0);
	}
	b2b_book_unref(newer);
}
END_TEST

/*
 * Why a price changed when a step appears or disappears: the first step
 * whose kind differs is named with both sides. A1 (list 10) with the
 * coupon X of PX (1 % off): list 10 → promotion PX 9.9 → rounding 9.9.
 * Against a book without PX, step 1 is now the rounding of 10; against
 * one where PY (1 % off, no code) applies to every line and PX is gone,
 * a quote without the coupon gains step 1 'promotion'.
 */
START_TEST(test_reprice_step_kind_changed)
{
	static const char *const no_promos[] = { NULL };
	static const char *const py[] = { "PY,percent,1,", NULL };
	const fx_table t[] = {
		{ B2B_TABLE_SETTINGS, "key,value", SETTINGS },
		{ B2B_TABLE_PRODUCTS, "sku,list_price,cost", PRODUCTS },
		{ B2B_TABLE_CUSTOMERS, "id,channel", CUSTOMERS },
		{ B2B_TABLE_PROMOTIONS, "id,kind,value,code", no_promos },
	};
	const fx_table t2[] = {
		{ B2B_TABLE_SETTINGS, "key,value", SETTINGS },
		{ B2B_TABLE_PRODUCTS, "sku,list_price,cost", PRODUCTS },
		{ B2B_TABLE_CUSTOMERS, "id,channel", CUSTOMERS },
		{ B2B_TABLE_PROMOTIONS, "id,kind,value,code", py },
	};
	b2b_book *without = fx_book(t, sizeof(t) / sizeof(t[0]));
	b2b_book *with_py = fx_book(t2, sizeof(t2) / sizeof(t2[0]));
	const b2b_quote_repricing *r;
	const b2b_quote_doc *d;
	char buf[32];

	d = parse(quote_doc("{'quote_id': 'Q-P', 'customer': 'PLAIN', 'as_of': '2026-06-01', "
	                    "'codes': ['X'], 'lines': [{'sku': 'A1', 'qty': '1'}]}", NULL));
	ck_assert_int_eq(b2b_quote_doc_reprice(&r, ctx, without, d, NULL, NULL), 0);
	ck_assert_int_eq(b2b_quote_repricing_ok(r), 1);
	ck_assert_uint_eq(b2b_quote_repricing_change_count(r), 1);
	ck_assert_int_eq(b2b_quote_repricing_change_line(r, 0), 0);
	b2b_dec_format(buf, sizeof(buf), NULL, b2b_quote_repricing_change_old_price(r, 0), 2,
	               B2B_ROUND_HALF_UP);
	ck_assert_str_eq(buf, "9.90");
	b2b_dec_format(buf, sizeof(buf), NULL, b2b_quote_repricing_change_new_price(r, 0), 2,
	               B2B_ROUND_HALF_UP);
	ck_assert_str_eq(buf, "10.00");
	ck_assert_str_eq(b2b_quote_repricing_change_reason(r, 0),
	                 "step 1: was 'promotion' promotion:PX 10 → 9.9, "
	                 "now 'rounding' unit_price_decimals:4 10 → 10");
	ck_assert_ptr_null(b2b_quote_repricing_change_reason(r, 1));
	ck_assert_int_eq(b2b_quote_repricing_change_line(r, 1), -1);

	d = parse(quote_doc(REQ_L0, NULL));
	ck_assert_int_eq(b2b_quote_doc_reprice(&r, ctx, with_py, d, NULL, NULL), 0);
	ck_assert_uint_eq(b2b_quote_repricing_change_count(r), 1);
	ck_assert_str_eq(b2b_quote_repricing_change_reason(r, 0),
	                 "step 1: was 'rounding' unit_price_decimals:4 10 → 10, "
	                 "now 'promotion' promotion:PY 10 → 9.9");
	b2b_book_unref(without);
	b2b_book_unref(with_py);
}
END_TEST

START_TEST(test_reprice_refused)
{
	b2b_book *gone = make_book(PRODUCTS_GONE);
	const b2b_quote_doc *d = parse(quote_doc(REQ_L2, NULL)), *acc;
	const b2b_quote_repricing *r = NULL;
	b2b_time late = T("2026-07-15");
	const char *out;

	/* an accepted quote is locked */
	ck_assert_ptr_nonnull(acc = apply(d, B2B_QUOTE_SUBMIT, NULL));
	ck_assert_ptr_nonnull(acc = apply(acc, B2B_QUOTE_APPROVE, NULL));
	ck_assert_ptr_nonnull(acc = apply(acc, B2B_QUOTE_SEND, NULL));
	ck_assert_int_eq(b2b_quote_doc_reprice(&r, ctx, book, acc, NULL, NULL), 0);
	ck_assert_int_eq(b2b_quote_repricing_ok(r), 1);
	ck_assert_ptr_null(b2b_quote_repricing_message(r));
	ck_assert_ptr_null(b2b_quote_repricing_path(r));
	ck_assert_ptr_nonnull(acc = apply(acc, B2B_QUOTE_ACCEPT, NULL));
	/* refusals are results returned with 0 */
	ck_assert_int_eq(b2b_quote_doc_reprice(&r, ctx, book, acc, NULL, NULL), 0);
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(b2b_quote_repricing_ok(r), 0);
	ck_assert_str_eq(b2b_quote_repricing_message(r), "cannot reprice a quote in state "
	                 "'accepted': its prices are locked until valid_until");
	ck_assert_str_eq(b2b_quote_repricing_path(r), "status");
	ck_assert_ptr_null(b2b_quote_repricing_quote(r));
	ck_assert_ptr_null(b2b_quote_repricing_doc(r));
	ck_assert_uint_eq(b2b_quote_repricing_change_count(r), 0);
	ck_assert_int_eq(b2b_quote_repricing_changes_to_json(&out, NULL, ctx, r), B2B_EINVAL);
	/* a closed state */
	ck_assert_int_eq(b2b_quote_doc_reprice(&r, ctx, book, apply(d, B2B_QUOTE_CANCEL, NULL),
	                                       NULL, NULL), 0);
	ck_assert_str_eq(b2b_quote_repricing_message(r), "cannot reprice a quote in state "
	                 "'cancelled' (only draft, submitted, approved, rejected and sent quotes "
	                 "are open)");
	ck_assert_str_eq(b2b_quote_repricing_path(r), "status");
	/* an expired one too */
	ck_assert_int_eq(b2b_quote_doc_reprice(&r, ctx, book, d, &late, NULL), 0);
	ck_assert_int_eq(b2b_quote_repricing_ok(r), 0);
	ck_assert_str_eq(b2b_quote_repricing_message(r), "cannot reprice a quote in state 'draft' "
	                 "that has expired (as_of is not before valid_until): expire it");
	ck_assert_str_eq(b2b_quote_repricing_path(r), "valid_until");
	ck_assert_ptr_null(b2b_quote_repricing_quote(r));
	/* a book without one of its skus: the quote's error list */
	ck_assert_int_eq(b2b_quote_doc_reprice(&r, ctx, gone, d, NULL, NULL), 0);
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(b2b_quote_repricing_ok(r), 0);
	ck_assert_str_eq(b2b_quote_repricing_message(r),
	                 "the quote cannot be priced against this book: 1 problem");
	ck_assert_ptr_null(b2b_quote_repricing_path(r));
	ck_assert_int_eq(b2b_quote_ok(b2b_quote_repricing_quote(r)), 0);
	ck_assert_ptr_null(b2b_quote_repricing_doc(r));
	ck_assert_uint_eq(b2b_quote_error_count(b2b_quote_repricing_quote(r)), 1);
	ck_assert_str_eq(b2b_quote_error_code(b2b_quote_repricing_quote(r), 0), "UNKNOWN_SKU");
	ck_assert_str_eq(b2b_quote_error_path(b2b_quote_repricing_quote(r), 0), "lines[1].sku");
	ck_assert_int_eq(b2b_quote_repricing_changes_to_json(&out, NULL, ctx, r), B2B_EINVAL);
	/* bad arguments */
	ck_assert_int_eq(b2b_quote_doc_reprice(NULL, ctx, book, d, NULL, NULL), B2B_EINVAL);
	ck_assert_int_eq(b2b_quote_doc_reprice(&r, ctx, NULL, d, NULL, NULL), B2B_EINVAL);
	ck_assert_int_eq(b2b_quote_repricing_change_line(NULL, 0), -1);
	ck_assert_int_eq(b2b_quote_repricing_ok(NULL), 0);
	ck_assert_ptr_null(b2b_quote_repricing_message(NULL));
	ck_assert_ptr_null(b2b_quote_repricing_path(NULL));
	ck_assert_ptr_null(b2b_quote_repricing_change_reason(NULL, 0));
	b2b_book_unref(gone);
}
END_TEST

/*---------------------------------------------------------------------------
 * out of memory: every allocating entry point fails cleanly at each N
 *---------------------------------------------------------------------------*/

typedef struct oom_case {
	const char *doc;     /* a library-written document */
	b2b_book *newer;     /* the book to reprice against */
} oom_case;

static int
oom_transition(const b2b_allocator *a, void *ud)
{
	const oom_case *c = ud;
	b2b_ctx_options o = B2B_CTX_OPTIONS_INIT;
	b2b_ctx *x = NULL;
	const char *out;
	int rc;

	o.allocator = a;
	o.arena_initial = 256;
	if ((rc = b2b_ctx_new(&x, &o)) < 0)
		return rc;
	rc = b2b_quote_doc_transition(&out, NULL, NULL, x, c->doc, strlen(c->doc), B2B_QUOTE_SUBMIT,
	                              NULL);
	b2b_ctx_free(x);
	return rc;
}

/* A refused transition allocates its message and the error document. */
static int
oom_refusal(const b2b_allocator *a, void *ud)
{
	const oom_case *c = ud;
	b2b_ctx_options o = B2B_CTX_OPTIONS_INIT;
	b2b_ctx *x = NULL;
	const char *out;
	int rc, allowed = -1;

	o.allocator = a;
	o.arena_initial = 256;
	if ((rc = b2b_ctx_new(&x, &o)) < 0)
		return rc;
	rc = b2b_quote_doc_transition(&out, NULL, &allowed, x, c->doc, strlen(c->doc),
	                              B2B_QUOTE_ORDER, NULL);
	if (rc == 0 && (allowed != 0 || strstr(out, "ILLEGAL_TRANSITION") == NULL))
		rc = B2B_ERROR;
	b2b_ctx_free(x);
	return rc;
}

static int
oom_reprice(const b2b_allocator *a, void *ud)
{
	const oom_case *c = ud;
	b2b_ctx_options o = B2B_CTX_OPTIONS_INIT;
	const b2b_quote_repricing *r;
	const b2b_quote_doc *d;
	b2b_ctx *x = NULL;
	const char *out;
	int rc;

	o.allocator = a;
	o.arena_initial = 256;
	if ((rc = b2b_ctx_new(&x, &o)) < 0)
		return rc;
	if ((rc = b2b_quote_doc_parse(&d, x, c->doc, strlen(c->doc))) == 0 &&
	    (rc = b2b_quote_doc_reprice(&r, x, c->newer, d, NULL, NULL)) == 0 &&
	    (rc = b2b_quote_repricing_changes_to_json(&out, NULL, x, r)) == 0)
		rc = b2b_quote_doc_to_json(&out, NULL, x, b2b_quote_repricing_doc(r));
	b2b_ctx_free(x);
	return rc;
}

START_TEST(test_out_of_memory)
{
	oom_case c;

	c.doc = quote_doc(REQ_FULL, NULL);
	c.newer = make_book(PRODUCTS_NEW);
	ck_assert_int_gt(failalloc_loop(oom_transition, &c, 100000), 3);
	ck_assert_int_gt(failalloc_loop(oom_refusal, &c, 100000), 3);
	ck_assert_int_gt(failalloc_loop(oom_reprice, &c, 100000), 5);
	b2b_book_unref(c.newer);
}
END_TEST

static Suite *
quote_state_suite(void)
{
	Suite *s = suite_create("quote_state");
	TCase *core = tcase_create("Core");
	TCase *limits = tcase_create("Limits");
	TCase *errors = tcase_create("Errors");

	tcase_add_checked_fixture(core, setup, teardown);
	tcase_add_checked_fixture(limits, setup, teardown);
	tcase_add_checked_fixture(errors, setup, teardown);
	tcase_add_test(core, test_names);
	tcase_add_test(core, test_every_transition);
	tcase_add_test(core, test_transition_messages);
	tcase_add_test(core, test_lossless_roundtrip);
	tcase_add_test(core, test_sample_quote_lossless);
	tcase_add_test(core, test_transition_changes_only_status);
	tcase_add_test(core, test_lifecycle_with_approval);
	tcase_add_test(core, test_lifecycle_without_approval);
	tcase_add_test(core, test_reprice_same_book);
	tcase_add_test(core, test_reprice_new_book);
	tcase_add_test(core, test_reprice_step_kind_changed);
	tcase_add_test(limits, test_expiry_threshold);
	tcase_add_test(errors, test_bad_documents);
	tcase_add_test(errors, test_bad_document_shapes);
	tcase_add_test(errors, test_numbers_written_as_strings);
	tcase_add_test(errors, test_transition_json_errors);
	tcase_add_test(errors, test_reprice_refused);
	tcase_add_test(errors, test_out_of_memory);
	suite_add_tcase(s, core);
	suite_add_tcase(s, limits);
	suite_add_tcase(s, errors);
	return s;
}

int
main(void)
{
	return b2b_test_run(quote_state_suite());
}
