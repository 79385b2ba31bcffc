/*
 * b2b — the program's own JSON output: the documents it writes itself
 * (`b2b book`, `b2b lint`, the refusal of `b2b quote --transition`, the
 * reports of `b2b bench`), in the library's canonical form, byte for byte:
 *
 *   2-space indentation, one member or element per line, `"key": value`,
 *   `{}` and `[]` for empty containers, a final newline. Strings are
 *   written as given (UTF-8, not validated); only `"`, `\` and control
 *   characters are escaped: \n \r \t \b \f by name, the others as \u00xx
 *   (lower-case hex). Members come out in the order they are written.
 *
 *	jout w;
 *	jout_init(&w);
 *	jout_begin_object(&w);
 *	jout_key(&w, "total");
 *	jout_dec(&w, total, 2, B2B_ROUND_HALF_UP);    // "12.50", a string
 *	jout_end_object(&w);
 *	return jout_print(&w);                        // stdout, then freed
 *
 * Errors are sticky: the first is kept, every later call does nothing,
 * and jout_finish() / jout_print() report it. Codes (b2b_status values):
 * B2B_ENOMEM; B2B_EMISUSE for a value without a key in an object, a key
 * outside an object or after another key, unbalanced or too deeply nested
 * containers, a second root value, any call after jout_finish();
 * b2b_dec_format()'s codes for jout_dec(); B2B_EINVAL for a NULL key.
 * A writer belongs to one thread; its buffer comes from malloc.
 * SPDX-License-Identifier: MIT
 */
#ifndef B2B_CLI_JSONOUT_H
#define B2B_CLI_JSONOUT_H

#include <stddef.h>
#include <stdint.h>

#include "b2b/money.h"

/* Deepest nesting a writer accepts (the program's documents use 3). */
#define JOUT_MAX_DEPTH 32

typedef struct jout {
	char *buf;
	size_t len, cap;
	int err;                /* 0, or the first error (a b2b_status) */
	const char *why;        /* what went wrong, for the message */
	int depth;              /* open containers */
	int key_pending;        /* a key was written, its value not yet */
	int done;               /* the root value is complete */
	int finished;           /* jout_finish() was called */
	/* per open container: bit 0 = object, bit 1 = has a member/element */
	unsigned char level[JOUT_MAX_DEPTH];
} jout;

/* An empty writer; allocates nothing yet. */
void jout_init(jout *w);

void jout_begin_object(jout *w);
void jout_end_object(jout *w);
void jout_begin_array(jout *w);
void jout_end_array(jout *w);

/* The key of the next member (NUL-terminated); only inside an object. */
void jout_key(jout *w, const char *key);
/* A NUL-terminated string; NULL writes `null` (an optional field). */
void jout_str(jout *w, const char *s);
/* A decimal as a JSON string, rounded to `scale` with `mode` (or exact
 * with B2B_DEC_SCALE_EXACT), as b2b_dec_format() writes it. */
void jout_dec(jout *w, b2b_dec v, int scale, b2b_rounding mode);
/* An integer as a JSON number. */
void jout_int(jout *w, int64_t v);
void jout_bool(jout *w, int v);
void jout_null(jout *w);

/*
 * End the document: check that it is complete and append the final
 * newline. *doc (not NUL-terminated) and *len stay valid until
 * jout_free(). Returns 0, or the sticky error (*doc NULL, *len 0); the
 * message is jout_why().
 */
int jout_finish(jout *w, const char **doc, size_t *len);

/* What went wrong ("" when nothing did). */
const char *jout_why(const jout *w);

/* Free the buffer; the writer is then empty again. Idempotent. */
void jout_free(jout *w);

/*
 * Finish, write the document to stdout and free the writer. Returns
 * CLI_OK, or CLI_UNREADABLE after `b2b: JSON writer: WHY` on stderr.
 */
int jout_print(jout *w);

#endif
