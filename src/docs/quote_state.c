/*
 * libb2bcore — the quote lifecycle (SPEC §6): the names of the states and
 * events, and the state machine (which event leads where, and why not).
 * Documents are read in quote_doc_read.c and written in quote_doc_write.c,
 * transitions of a document are in quote_transition.c and revisions
 * (repricing against a new book) in quote_reprice.c. See b2b/quote_doc.h
 * for the contract.
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>

#include "b2b/error.h"
#include "enum.h"
#include "quote_doc_int.h"

/*===========================================================================
 * MARK: - names and the state machine
 *===========================================================================*/

const char *const b2b__quote_state_names[] = {
	"draft", "submitted", "approved", "rejected", "sent",
	"accepted", "declined", "ordered", "expired", "cancelled"
};
#define NSTATES ((int)(sizeof(b2b__quote_state_names) / sizeof(b2b__quote_state_names[0])))

static const char *const EVENT_NAMES[] = {
	"submit", "approve", "reject", "send", "accept", "decline", "order", "expire", "cancel"
};
#define NEVENTS ((int)(sizeof(EVENT_NAMES) / sizeof(EVENT_NAMES[0])))
_Static_assert(NSTATES == B2B__QUOTE_NSTATES && NEVENTS == B2B__QUOTE_NEVENTS,
               "one name per state and per event");

const char *
b2b_quote_state_name(b2b_quote_state state)
{
	return b2b__enum_name(b2b__quote_state_names, NSTATES, (long long)state);
}

const char *
b2b_quote_event_name(b2b_quote_event event)
{
	return b2b__enum_name(EVENT_NAMES, NEVENTS, (long long)event);
}

int
b2b_quote_state_parse(b2b_quote_state *out, const char *name, size_t len)
{
	int i = 0, rc = b2b__enum_parse(out != NULL ? &i : NULL, b2b__quote_state_names, NSTATES,
	                                name, len);

	if (rc == 0)
		*out = (b2b_quote_state)i;
	return rc;
}

int
b2b_quote_event_parse(b2b_quote_event *out, const char *name, size_t len)
{
	int i = 0, rc = b2b__enum_parse(out != NULL ? &i : NULL, EVENT_NAMES, NEVENTS, name, len);

	if (rc == 0)
		*out = (b2b_quote_event)i;
	return rc;
}

/* States before `ordered` (expire and cancel apply to them). */
static int
open_state(int s)
{
	return s <= B2B_QUOTE_DECLINED;
}

int
b2b__quote_next_state(int s, int e, int level, int expired, char *why, size_t n)
{
	const char *en = EVENT_NAMES[e], *sn = b2b__quote_state_names[s], *reason = NULL;
	int to = -1;

	if (n > 0)
		why[0] = '\0';
	if (!open_state(s)) {
		if (n > 0)
			snprintf(why, n, "cannot '%s' a quote in state '%s' (a final state)", en, sn);
		return -1;
	}
	if (expired && e != B2B_QUOTE_EXPIRE && e != B2B_QUOTE_CANCEL) {
		if (n > 0)
			snprintf(why, n, "cannot '%s' a quote in state '%s' that has expired: only "
			         "'expire' or 'cancel'", en, sn);
		return -1;
	}
	switch (e) {
	case B2B_QUOTE_SUBMIT:
		if (s == B2B_QUOTE_DRAFT)
			to = B2B_QUOTE_SUBMITTED;
		else
			reason = "only a draft is submitted";
		break;
	case B2B_QUOTE_APPROVE:
	case B2B_QUOTE_REJECT:
		if (s != B2B_QUOTE_SUBMITTED) {
			reason = "only a submitted quote is approved or rejected";
		} else if (level <= 0) {
			if (n > 0)
				snprintf(why, n, "cannot '%s' a quote in state '%s' that needs no approval "
				         "(level 0): send it", en, sn);
			return -1;
		} else {
			to = e == B2B_QUOTE_APPROVE ? B2B_QUOTE_APPROVED : B2B_QUOTE_REJECTED;
		}
		break;
	case B2B_QUOTE_SEND:
		if (s == B2B_QUOTE_APPROVED || (s == B2B_QUOTE_SUBMITTED && level <= 0)) {
			to = B2B_QUOTE_SENT;
		} else if (s == B2B_QUOTE_SUBMITTED || s == B2B_QUOTE_REJECTED) {
			if (n > 0)
				snprintf(why, n, "cannot '%s' a quote in state '%s' that needs approval "
				         "level %d%s", en, sn, level,
				         s == B2B_QUOTE_REJECTED ? " and was rejected: reprice or cancel it"
				                                 : "");
			return -1;
		} else {
			reason = "only an approved quote, or a submitted one of approval level 0, is sent";
		}
		break;
	case B2B_QUOTE_ACCEPT:
	case B2B_QUOTE_DECLINE:
		if (s == B2B_QUOTE_SENT)
			to = e == B2B_QUOTE_ACCEPT ? B2B_QUOTE_ACCEPTED : B2B_QUOTE_DECLINED;
		else
			reason = "only a sent quote is accepted or declined";
		break;
	case B2B_QUOTE_ORDER:
		if (s == B2B_QUOTE_ACCEPTED)
			to = B2B_QUOTE_ORDERED;
		else
			reason = "only an accepted quote is ordered";
		break;
	case B2B_QUOTE_EXPIRE:
		if (expired) {
			to = B2B_QUOTE_EXPIRED;
		} else {
			if (n > 0)
				snprintf(why, n, "cannot '%s' a quote in state '%s' that has not expired "
				         "(as_of is before valid_until, or it has none)", en, sn);
			return -1;
		}
		break;
	default:
		to = B2B_QUOTE_CANCELLED;
		break;
	}
	if (to < 0 && n > 0)
		snprintf(why, n, "cannot '%s' a quote in state '%s' (%s)", en, sn, reason);
	return to;
}

int
b2b_quote_next_state(b2b_quote_state *out, int *allowed, char *why, size_t why_size,
                     b2b_quote_state from, b2b_quote_event event, int level, int expired)
{
	int to;

	if (out == NULL || allowed == NULL || (why == NULL && why_size > 0) ||
	    (unsigned)from >= (unsigned)NSTATES || (unsigned)event >= (unsigned)NEVENTS)
		return B2B_EINVAL;
	to = b2b__quote_next_state((int)from, (int)event, level, expired, why, why_size);
	*allowed = to >= 0;
	if (to >= 0)
		*out = (b2b_quote_state)to;
	return 0;
}
