/*
 * libb2bcore — a streaming RFC 4180 CSV reader.
 * SPDX-License-Identifier: MIT
 */
#ifndef B2B_CSV_H
#define B2B_CSV_H

#include "b2b/common.h"
#include "b2b/alloc.h"
#include "b2b/ctx.h"

/**
 * @file b2b/csv.h
 * @brief Reads CSV records one at a time from a file or a callback, in
 * memory proportional to the longest record, not to the file.
 *
 * Grammar (RFC 4180, as SPEC §3 uses it): comma separator, `"` quoting
 * with `""` for a quote inside a quoted field, quoted fields may hold
 * commas, quotes and line breaks; records end with CRLF or LF (a last
 * record without a line break is fine); UTF-8, with one leading BOM
 * skipped. Rejected, each with file:line:col and what was expected: an
 * unterminated quoted field, text after a closing quote, a bare CR not
 * followed by LF, a NUL byte, invalid UTF-8
 * (overlong forms, surrogates, code points past U+10FFFF, truncated
 * sequences), and a record whose field count differs from the first
 * record's (the header). Lines and columns are 1-based; columns count
 * Unicode code points.
 *
 * Decisions where RFC 4180 leaves room:
 * - A `"` inside a field that does not start with `"` is kept as text
 *   (`37°36'37.8"N` is one field), as spreadsheets write it and as
 *   csv-spectrum expects; only a field that starts with `"` is quoted.
 * - An empty line is a record with one empty field (RFC 4180). With a
 *   one-column header it is read as such; with a wider header it is a
 *   ragged row ("expected 3 fields (as the header), found 1"), blank
 *   lines at the end of the file included. The input simply ending right
 *   after a line break (`a,b\n1,2\n`) is the end of input, not one more
 *   record. An empty input, or one holding only the BOM, has no records.
 * - A bare CR is rejected inside quoted fields too (RFC 4180 would allow
 *   it there): line breaks are CRLF or LF only, so that line numbers are
 *   never ambiguous. A CRLF inside quotes is kept as is in the field.
 * - Blanks are data (never trimmed); tabs and other control characters
 *   except NUL are data. A second BOM is data (U+FEFF).
 * - Where errors point: the offending character; for an unterminated
 *   quoted field, its opening quote; for invalid UTF-8, the first byte of
 *   the sequence; for a ragged row, the record's first character. The
 *   column after a skipped BOM is 1. A field's position
 *   (b2b_csv_field_line/col) is its first character, the opening quote
 *   for a quoted field.
 *
 * Error detail goes to the ctx given to the failing call: code, message
 * (what was found and expected, without the location), file = the
 * reader's name, line and column (0 when not known, e.g. for B2B_EIO and
 * B2B_ENOMEM during a read, which give the line reached), offset -1.
 *
 * Going on after an error, so that a caller can report every problem of
 * a file (SPEC §3): a record with an error (any of the rejections above)
 * makes b2b_csv_next() return B2B_EPARSE once, with the detail of its
 * first error, and no fields. The next call goes on at the next record:
 * the rest of the bad record is skipped up to the line break that ends
 * it, following the quotes as RFC 4180 does, so a quoted field of the bad
 * record is skipped whole, line breaks and all, and the next record's
 * line numbers are right. One record gives one error: nothing else in
 * the skipped part is checked (an invalid byte and a missing closing
 * quote in the same record are one error, the first). A record whose
 * quoted field is never closed ends at the end of input: an error found
 * in it is followed by the end (0), and "unterminated quoted field" is
 * reported only when the record had no earlier error. The first record is
 * the header even when it has an error: its width (its fields, counted
 * by the separators outside quotes) is the one the next records must
 * have. B2B_EIO and B2B_ENOMEM are not recovered from.
 *
 * Memory: one 64 KiB read buffer plus the current record (its unquoted
 * fields and their positions), reused from record to record.
 *
 * Thread-safety: a b2b_csv belongs to one thread. Distinct readers may be
 * used by distinct threads; nothing is shared.
 */
B2B_BEGIN_DECL

typedef struct b2b_csv b2b_csv;

/**
 * Read up to `size` bytes into `buf`. Return the number of bytes read
 * (fewer than `size` is fine; the reader asks again), 0 at end of input,
 * or a negative value on a read error. After 0 or an error the callback
 * is not called again. Returning more than `size` is a read error.
 */
typedef long (*b2b_csv_read_fn)(void *ud, char *buf, size_t size);

/**
 * Open a reader over a callback. `name` (copied; NULL = "") is used in
 * error messages, e.g. "products.csv". Nothing is read until the first
 * b2b_csv_next().
 *
 * Ownership: the caller owns `*out` (set to NULL on failure); release it
 * with b2b_csv_free(). `ud` is passed back verbatim and must outlive the
 * reader.
 *
 * @param[out] out  receives the reader
 * @param ctx  receives the error detail; may be NULL
 * @param a  allocator, NULL = libc (copied; its `ud` must outlive the reader)
 * @return 0, B2B_ENOMEM or B2B_EINVAL (`out` or `fn` NULL)
 * @since 0.1
 */
B2B_API int b2b_csv_new(b2b_csv **out, b2b_ctx *ctx, const b2b_allocator *a,
                        b2b_csv_read_fn fn, void *ud, const char *name);

/**
 * Open a reader over a file (fopen/fread); `name` defaults to `path` when
 * NULL. The first bytes are read here, so that a file that cannot be
 * read (a directory) fails now. Ownership as for b2b_csv_new(); the file
 * is closed by b2b_csv_free().
 *
 * @return 0, B2B_ENOMEM, B2B_EIO ("cannot open PATH: no such file or
 *         directory" with line 0, "read error: is a directory" with line
 *         1; file = `name`, column 0) or B2B_EINVAL (`out` or `path`
 *         NULL); detail on ctx, which may be NULL. `*out` is NULL on
 *         failure.
 * @since 0.1
 */
B2B_API int b2b_csv_open(b2b_csv **out, b2b_ctx *ctx, const b2b_allocator *a,
                         const char *path, const char *name);

/** Close the reader (and its file, if b2b_csv_open opened one). NULL is a no-op. @since 0.1 */
B2B_API void b2b_csv_free(b2b_csv *r);

/**
 * Read the next record. The previous record's fields are dropped.
 *
 *	while ((rc = b2b_csv_next(r, ctx)) != 0) {
 *		if (rc == B2B_EPARSE) {          // a bad record: report, go on
 *			report(b2b_ctx_errline(ctx), b2b_ctx_errcol(ctx), b2b_ctx_errmsg(ctx));
 *			continue;
 *		}
 *		if (rc < 0)                      // B2B_EIO, B2B_ENOMEM: stop
 *			break;
 *		use(r);                          // rc == 1: a record
 *	}
 *
 * @return 1 when a record was read, 0 at end of input, or B2B_EPARSE,
 *         B2B_EIO, B2B_ENOMEM with the detail (file, line, column,
 *         message) on `ctx` (which may be NULL). After B2B_EPARSE (a bad
 *         record, see "Going on after an error" above) the next call
 *         reads the record after it. After B2B_EIO or B2B_ENOMEM the
 *         reader only returns that error again (and sets the same
 *         detail); after the end, 0 again. After an error or the end the
 *         reader holds no record (field count 0). B2B_EINVAL when `r` is
 *         NULL.
 * @since 0.1
 */
B2B_API int b2b_csv_next(b2b_csv *r, b2b_ctx *ctx);

/** Fields of the current record (at least 1), 0 when there is none or r is NULL. @since 0.1 */
B2B_API size_t b2b_csv_field_count(const b2b_csv *r);
/**
 * Field `i` of the current record, unquoted, NUL-terminated (it may also
 * hold no NUL inside: NUL bytes are rejected). Borrowed until the next
 * b2b_csv_next() or b2b_csv_free(). Out of range or NULL `r`: "" with
 * *len 0. `len` may be NULL. @since 0.1
 */
B2B_API const char *b2b_csv_field(const b2b_csv *r, size_t i, size_t *len);
/**
 * Line and column where field `i` of the current record starts (its
 * opening quote when quoted); 0 when out of range. @since 0.1
 */
B2B_API long b2b_csv_field_line(const b2b_csv *r, size_t i);
B2B_API long b2b_csv_field_col(const b2b_csv *r, size_t i);
/** The reader's name, as given to b2b_csv_new / b2b_csv_open ("" for NULL r). @since 0.1 */
B2B_API const char *b2b_csv_name(const b2b_csv *r);

B2B_END_DECL
#endif /* B2B_CSV_H */
