/*
 * libb2bcore — a strict RFC 8259 JSON reader with exact numbers.
 * SPDX-License-Identifier: MIT
 */
#ifndef B2B_JSON_H
#define B2B_JSON_H

#include "b2b/common.h"
#include "b2b/ctx.h"
#include "b2b/money.h"

/**
 * @file b2b/json.h
 * @brief Parse JSON text into an immutable tree allocated from a ctx arena.
 *
 * Strict RFC 8259: no comments, no trailing commas, no single quotes, no
 * NaN/Infinity, no leading zeros, no unescaped control characters, UTF-8
 * only (invalid sequences, overlong forms, encoded surrogates rejected; a
 * lone or unpaired `\uD800`-style escape is rejected too), one value per
 * text, surrounded only by JSON whitespace. A leading UTF-8 BOM is
 * rejected. Nesting deeper than B2B_JSON_MAX_DEPTH is an error (never a
 * stack overflow). Duplicate object keys are an error unless
 * B2B_JSON_ALLOW_DUPLICATES is given. Numbers are kept as their text and
 * read exactly on demand (b2b_json_number()), never as binary floating point.
 *
 * Errors carry the byte offset, line, column (1-based, code points) and
 * the JSON path of the value being read (`$`, `lines[3].sku`).
 *
 * Paths: `$` is the root; below it object keys are joined with `.`
 * (`lines[3].sku`, no leading `$.`), array indexes are `[i]` (0-based,
 * `[2].sku` under a root array), and a key that is not made only of
 * ASCII letters, digits, `_` and `-` is written `["a key"]` with `"`,
 * `\` and control characters escaped as in JSON. A path is cut at 255
 * bytes. The path of an error is that of the value being read when it
 * was found: a malformed scalar or a missing value names its own slot
 * (`{"a": tru}` → `a`, `[1,]` → `[1]`); a broken separator or key names
 * the container (`{"lines":[{"sku":1,}]}` → `lines[0]`); a duplicate key
 * names the duplicate member (`b.x`) and points at its key. Lines are
 * ended by LF, CRLF or a lone CR.
 *
 * Duplicate keys are detected when their object closes, so a document
 * with a duplicate key and a later syntax error reports the syntax error.
 * With B2B_JSON_ALLOW_DUPLICATES every member is kept (b2b_json_size()
 * counts them all) and b2b_json_get() returns the first.
 *
 * Decisions on the inputs RFC 8259 leaves open (JSONTestSuite `i_` files;
 * tests/check_json.c checks every one):
 * - numbers of any size or exponent (`1E400`, `123e-10000000`, 30-digit
 *   integers) are accepted as text; b2b_json_number() then returns
 *   B2B_EOVERFLOW (|x| ≥ 10^28) or B2B_EPRECISION (more than 9
 *   fractional digits, even zeros: `1E-10`);
 * - invalid UTF-8 (stray continuation bytes, overlong forms, encoded
 *   surrogates U+D800–U+DFFF, code points above U+10FFFF, truncated
 *   sequences, ISO-8859-1 text) is rejected;
 * - a lone or unpaired surrogate escape (`\uD800`, `\uDFAA`,
 *   `\uD800\u1234`, inverted pairs), in a key or a value, is rejected;
 * - UTF-16 and UTF-32 text (with or without a byte order mark) is
 *   rejected, and so is a UTF-8 byte order mark;
 * - nesting deeper than 256 (e.g. 500 nested arrays) is rejected;
 * - noncharacters (U+FFFE, U+FDD0, U+10FFFF…) and `\u0000` are accepted:
 *   strings are byte strings with an explicit length.
 *
 * Memory: the tree, every string and number text, and the parser's work
 * stack (beyond a small part kept on the C stack) come from the ctx
 * arena; the parser calls no allocator directly, so with B2B_CTX_NO_GROW
 * a full arena gives B2B_ENOMEM. On error the arena keeps what was read
 * until b2b_ctx_reset(). About 40 bytes per value and 56 per object
 * member (plus 8 for objects of more than 16 members, which get a sorted
 * index for b2b_json_get()).
 *
 * Ownership: the tree is borrowed from the ctx arena; valid until
 * b2b_ctx_reset() or b2b_ctx_free(). Thread-safety: a parsed tree is
 * read-only and may be read by any thread while the ctx is not reset.
 * Every accessor accepts NULL for `v` and then returns its "absent"
 * value (NULL, 0, -1, B2B_JSON_NULL or B2B_EINVAL as stated).
 */
B2B_BEGIN_DECL

/** One value of a parsed tree; opaque, read through the accessors below. */
typedef struct b2b_json b2b_json;

/** The type of a value. Values never change. */
typedef enum b2b_json_type {
	B2B_JSON_NULL = 0,
	B2B_JSON_FALSE = 1,
	B2B_JSON_TRUE = 2,
	B2B_JSON_NUMBER = 3,
	B2B_JSON_STRING = 4,
	B2B_JSON_ARRAY = 5,
	B2B_JSON_OBJECT = 6
} b2b_json_type;

/** Deepest nesting of arrays and objects accepted. */
#define B2B_JSON_MAX_DEPTH 256

/** b2b_json_parse() flag: keep duplicate keys (the first one wins in lookups). */
#define B2B_JSON_ALLOW_DUPLICATES 0x0001u

/**
 * Parse `len` bytes of `text` (need not be NUL-terminated; `text` may be
 * NULL when len is 0, which is a B2B_EPARSE: no value). The text is not
 * referenced after the call returns.
 *
 * Ownership: `*out` is borrowed from `ctx`'s arena. Lifetime: until
 * b2b_ctx_reset(ctx) or b2b_ctx_free(ctx). Thread-safety: thread-safe
 * when each thread uses its own `ctx`. Never recurses: stack use is
 * bounded (about 6 KiB) whatever the input.
 *
 * @param[out] out  the root value; NULL on error
 * @param flags     0 or B2B_JSON_ALLOW_DUPLICATES
 * @return 0, B2B_EPARSE (detail, offset, line, col and path on ctx),
 *         B2B_ENOMEM or B2B_EINVAL (unknown flag, NULL out or ctx, NULL
 *         text with len > 0)
 * @since 0.1
 */
B2B_API int b2b_json_parse(const b2b_json **out, b2b_ctx *ctx, const char *text,
                           size_t len, unsigned flags);

/** The type of `v`; B2B_JSON_NULL when `v` is NULL. @since 0.1 */
B2B_API b2b_json_type b2b_json_typeof(const b2b_json *v);
/** The name of a type: "null", "false", "true", "number", "string",
 *  "array", "object"; NULL for a value outside the enum. Static. @since 0.1 */
B2B_API const char *b2b_json_type_name(b2b_json_type t);
/**
 * The type named `name` (`len` bytes, no NUL needed; exact,
 * case-sensitive) into *out.
 * @return 0, B2B_EPARSE (not a name; *out untouched) or B2B_EINVAL (`out`
 *         NULL, or `name` NULL with `len` > 0)
 * @since 0.1
 */
B2B_API int b2b_json_type_parse(b2b_json_type *out, const char *name, size_t len);

/** String value (decoded UTF-8, NUL-terminated, may contain "\0" escapes:
 *  use *len); NULL (and *len = 0) when `v` is not a string. `len` may be
 *  NULL. Borrowed like the tree. @since 0.1 */
B2B_API const char *b2b_json_string(const b2b_json *v, size_t *len);

/** The number as written in the text (NUL-terminated); NULL (and *len = 0)
 *  when `v` is not a number. `len` may be NULL. @since 0.1 */
B2B_API const char *b2b_json_number_text(const b2b_json *v, size_t *len);

/**
 * The number read exactly (see b2b_dec_parse() with B2B_DEC_PARSE_JSON).
 * @param[out] out  the value; untouched on error
 * @return 0, B2B_EINVAL (not a number, or NULL), B2B_EPRECISION or
 *         B2B_EOVERFLOW
 * @since 0.1
 */
B2B_API int b2b_json_number(b2b_dec *out, const b2b_json *v);

/** Elements of an array or members of an object; 0 for scalars. @since 0.1 */
B2B_API size_t b2b_json_size(const b2b_json *v);
/** Element i of an array; NULL when out of range or not an array. O(1). @since 0.1 */
B2B_API const b2b_json *b2b_json_at(const b2b_json *v, size_t i);
/** Key (NUL-terminated; *len if not NULL) and value of member i of an
 *  object, in document order; NULL (and *len = 0) when out of range or
 *  not an object. O(1). @since 0.1 */
B2B_API const char *b2b_json_key_at(const b2b_json *v, size_t i, size_t *len);
B2B_API const b2b_json *b2b_json_value_at(const b2b_json *v, size_t i);
/** Member named `key` (NUL-terminated; a key holding `\u0000` can only be
 *  reached through b2b_json_key_at()) of an object; NULL when absent, when
 *  `v` is not an object or `key` is NULL. The first member wins when
 *  duplicates were allowed. Linear up to 16 members, then a binary
 *  search. @since 0.1 */
B2B_API const b2b_json *b2b_json_get(const b2b_json *v, const char *key);

/** Where the value starts in the text: byte offset (0-based), line and
 *  column (1-based; columns count code points; both saturate at
 *  4294967295). NULL `v`: -1, 0, 0. @since 0.1 */
B2B_API long b2b_json_offset(const b2b_json *v);
B2B_API long b2b_json_line(const b2b_json *v);
B2B_API long b2b_json_col(const b2b_json *v);

B2B_END_DECL
#endif /* B2B_JSON_H */
