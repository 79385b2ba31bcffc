/*
 * libb2bcore — internals of the quote lifecycle (SPEC §6), shared by
 * quote_state.c (the state machine), quote_doc_read.c (the document schema
 * and reader), quote_doc_write.c (the document writer), quote_transition.c
 * (transitions) and quote_reprice.c (revisions).
 * SPDX-License-Identifier: MIT
 */
#ifndef B2B_SRC_QUOTE_DOC_INT_H
#define B2B_SRC_QUOTE_DOC_INT_H

#include "b2b/json.h"
#include "b2b/quote_doc.h"
#include "enum.h"
#include "json_write.h"

/* quote_state.c: the names of the states, in b2b_quote_state order. */
extern const char *const b2b__quote_state_names[];
/* How many states and events there are (quote_state.c checks its tables). */
#define B2B__QUOTE_NSTATES ((int)B2B_QUOTE_CANCELLED + 1)
#define B2B__QUOTE_NEVENTS ((int)B2B_QUOTE_CANCEL + 1)

/* The index of the name `s` (len bytes) in names[0..n), or -1. */
static inline int
b2b__quote_name_index(const char *const *names, int n, const char *s, size_t len)
{
	int i;

	return b2b__enum_parse(&i, names, (size_t)n, s != NULL ? s : "", len) == 0 ? i : -1;
}

/*
 * The state after event e in state s, or -1 with the refusal in why
 * (n bytes; why may be NULL with n 0). s and e are in range.
 */
int b2b__quote_next_state(int s, int e, int level, int expired, char *why, size_t n);

/* ---- the document schema (quote_doc_read.c) ---- */
enum {
	T_STR, T_STR_NULL, T_TIME, T_TIME_NULL, T_CUR, T_HEX64, T_STATE, T_STEP, T_OUTCOME,
	T_DEC, T_DEC_NULL, T_BOOL, T_REVISION, T_LEVEL, T_LINE, T_ARR, T_OBJ
};
enum { F_REQ = 1, F_NONEMPTY = 2 };

struct schema;

typedef struct field {
	const char *name;
	uint8_t type;           /* T_* */
	uint8_t flags;          /* F_* */
	uint8_t elem;           /* T_ARR: the elements' type */
	const struct schema *sub;  /* T_OBJ, or T_ARR of T_OBJ */
} field;

typedef struct schema {
	const field *f;
	size_t n;
} schema;

/* The quote document, keys in the order of b2b_quote_to_json(). */
extern const schema b2b__quote_doc_schema;

struct b2b_quote_doc {
	const b2b_json *root;
	b2b_quote_state state;
	int64_t revision;
	int level;
	b2b_time as_of;
	int has_valid_until;
	b2b_time valid_until;
	const char *quote_id, *customer, *currency, *fingerprint;
	size_t nlines;
};

/* ---- reading documents (quote_doc_read.c) ---- */
/* A JSON number that is an integer (no fraction, no exponent) into *out. */
int b2b__qdoc_json_int(int64_t *out, const b2b_json *v);
/* A decimal field: a string holding a decimal, or a number. */
int b2b__qdoc_json_dec(b2b_dec *out, const b2b_json *v);
/* Check `root` and fill a document from it. */
int b2b__qdoc_from_tree(b2b_quote_doc **out, b2b_ctx *ctx, const b2b_json *root);

static inline const char *
b2b__qdoc_get_str(const b2b_json *obj, const char *key)
{
	return b2b_json_string(b2b_json_get(obj, key), NULL);
}

static inline int
b2b__qdoc_expired_at(const b2b_quote_doc *doc, b2b_time as_of)
{
	return doc->has_valid_until && b2b_time_cmp(as_of, doc->valid_until) >= 0;
}

/* ---- writing documents (quote_doc_write.c) ---- */
/* Write value v of schema type `type` (elements `elem`, objects `sub`). */
void b2b__qdoc_emit_value(b2b__jw *w, const b2b_json *v, int type, int elem,
                          const schema *sub);

#endif
