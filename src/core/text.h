/*
 * libb2bcore — shortening text for messages, paths and names.
 * SPDX-License-Identifier: MIT
 */
#ifndef B2B_SRC_TEXT_H
#define B2B_SRC_TEXT_H

#include <stdarg.h>
#include <stddef.h>

#if defined(__GNUC__)
#  define B2B__PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#  define B2B__PRINTF(f, a)
#endif

/*
 * How the library shortens text. Error messages, violation messages and
 * JSON paths quote user text (a SKU, a coupon code, a field name, a file
 * name) into bounded space. Wherever text must be shortened it is cut on
 * a UTF-8 code point boundary, never inside a multi-byte sequence, and
 * B2B__TEXT_CUT ("...", three full stops) follows the part kept, so a
 * reader sees that text was left out. A shortened text is therefore
 * valid UTF-8 whenever the text it came from was, and every document
 * that holds one still parses. Every shortening in src/ goes through the
 * functions below: b2b__utf8_prefix() for a `%.*s` of user text (see
 * B2B__SHOWN), b2b__text_format() / b2b__tbuf_*() for a formatted text
 * that may not fit its buffer.
 */
#define B2B__TEXT_CUT "..."
#define B2B__TEXT_CUT_LEN 3

/**
 * The length of the longest prefix of s[0..len) that has at most `max`
 * bytes and does not end inside a UTF-8 sequence: `len` when len <= max,
 * else `max` moved back over at most 3 continuation bytes (so at most 3
 * bytes are dropped; in text that is not UTF-8, where no lead byte is
 * found within 3 bytes, the cut stays at `max`). Never reads s[max + 1]
 * or beyond, and reads s[max] only when max < len.
 */
size_t b2b__utf8_prefix(const char *s, size_t len, size_t max);

/**
 * printf arguments for "%.*s%s": the text s[0..len) shortened to at most
 * `max` bytes as described above, then B2B__TEXT_CUT when it was cut.
 * (`%.*s` stops at a NUL byte; the text is not otherwise changed.)
 */
#define B2B__SHOWN(s, len, max)                                                          \
	(int)b2b__utf8_prefix((s), (len), (max)), (s),                                   \
	((size_t)(len) > (size_t)(max) ? B2B__TEXT_CUT : "")

/**
 * A text being built in a caller's buffer of `size` bytes. Appends that
 * do not fit cut the text as described above; after that `cut` is set,
 * the buffer holds the kept text, the marker and a NUL, and later
 * appends do nothing (a buffer of fewer than 4 bytes, too small for the
 * marker, then holds the empty text; one of 0 bytes is never written). `s` is always
 * NUL-terminated and `len` is its length.
 */
typedef struct b2b__tbuf {
	char *s;
	size_t size, len;
	int cut;
} b2b__tbuf;

void b2b__tbuf_init(b2b__tbuf *t, char *buf, size_t size);
/** Append `len` bytes of `s` (which should hold no NUL). */
void b2b__tbuf_put(b2b__tbuf *t, const char *s, size_t len);
void b2b__tbuf_puts(b2b__tbuf *t, const char *s);
/* v in decimal digits (as %zu / %llu would write it). */
void b2b__tbuf_put_uint(b2b__tbuf *t, unsigned long long v);
/**
 * Append `len` bytes of `s` as the body of a JSON string literal (what
 * paths like `["a b"]` and messages quoting a key hold): `"` and `\`
 * escaped with a backslash, bytes below 0x20 as \u00xx (lower-case hex),
 * every other byte as it is. A cut falls between characters of `s`; it
 * may fall inside an escape, which is ASCII.
 */
void b2b__tbuf_put_escaped(b2b__tbuf *t, const char *s, size_t len);
void b2b__tbuf_vprintf(b2b__tbuf *t, const char *fmt, va_list ap) B2B__PRINTF(2, 0);
/* b2b__tbuf_vprintf() through vsnprintf() whatever the conversions: what
 * b2b__tbuf_vprintf() gives without its own formatter (the reference of
 * the tests; b2b__tbuf_vprintf() writes %s, %.*s, %d, %ld, %zu and %%
 * itself and passes any other format here). */
void b2b__tbuf_vprintf_libc(b2b__tbuf *t, const char *fmt, va_list ap) B2B__PRINTF(2, 0);
void b2b__tbuf_printf(b2b__tbuf *t, const char *fmt, ...) B2B__PRINTF(2, 3);

/**
 * vsnprintf() into buf[size] (size >= 1), shortened as described above
 * when the text does not fit. Returns the length of the text in buf.
 */
size_t b2b__text_vformat(char *buf, size_t size, const char *fmt, va_list ap)
	B2B__PRINTF(3, 0);
size_t b2b__text_format(char *buf, size_t size, const char *fmt, ...) B2B__PRINTF(3, 4);

#endif
