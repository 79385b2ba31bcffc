/*
 * libb2bcore — instants in time (UTC), as SPEC §3 writes them.
 * SPDX-License-Identifier: MIT
 */
#ifndef B2B_DATE_H
#define B2B_DATE_H

#include "b2b/common.h"

/**
 * @file b2b/date.h
 * @brief b2b_time: an instant, with the form it was written in.
 *
 * SPEC §3: a date is `YYYY-MM-DD` (00:00:00Z that day) or
 * `YYYY-MM-DDThh:mm:ssZ`. Years 0001–9999, proleptic Gregorian calendar,
 * no leap seconds, no other zone than `Z`. The form is kept so that a
 * value computed from a date is written back as a date (SPEC §9.2).
 * No function reads the clock or the time zone. Thread-safe, no allocation.
 */
B2B_BEGIN_DECL

/** b2b_time.form values. */
#define B2B_TIME_DATE     1  /**< written as YYYY-MM-DD */
#define B2B_TIME_DATETIME 2  /**< written as YYYY-MM-DDThh:mm:ssZ */

/** A frozen POD: seconds since 1970-01-01T00:00:00Z, and the written form. */
typedef struct b2b_time {
	int64_t sec;    /**< seconds since the Unix epoch (negative before 1970) */
	int32_t form;   /**< B2B_TIME_DATE or B2B_TIME_DATETIME */
	int32_t reserved; /**< 0 */
} b2b_time;

/**
 * Parse `len` bytes of `s` as a date or a date-time (exactly the two forms
 * above; no blanks, no lower-case `t`/`z`, no fractions, no offsets).
 * @param[out] errpos  if not NULL, receives the byte index of the first
 *                offending character on failure: the character that is
 *                not the expected digit or separator, the first digit of
 *                a field out of range (year 0000, month 13, 2026-02-29,
 *                hour 24, minute or second 60), or `len` when the text
 *                ends early
 * @return 0 or B2B_EPARSE (*out untouched); B2B_EINVAL when `out` is
 *         NULL or `s` is NULL with `len` > 0
 * @since 0.1
 */
B2B_API int b2b_time_parse(b2b_time *out, size_t *errpos, const char *s, size_t len);

/**
 * Write `t` in its form, NUL-terminated (11 or 21 bytes with the NUL).
 * A B2B_TIME_DATE value whose seconds are not midnight is written as a
 * date-time.
 * @param buf     destination, or NULL with size 0 to measure
 * @param needed  if not NULL, receives the bytes needed including the NUL
 * @return 0, B2B_EBUFS (with *needed; nothing written) or B2B_EINVAL
 *         (out of years 1–9999, or `form` neither B2B_TIME_DATE nor
 *         B2B_TIME_DATETIME)
 * @since 0.1
 */
B2B_API int b2b_time_format(char *buf, size_t size, size_t *needed, b2b_time t);

/** Bytes that always suffice for b2b_time_format(). */
#define B2B_TIME_FORMAT_MAX 24

/**
 * t + days × 86400 s, same form (`reserved` set to 0).
 * @return 0, B2B_EOVERFLOW (the result is past 9999-12-31T23:59:59Z or
 *         before 0001-01-01; *out untouched) or B2B_EINVAL (`out` NULL,
 *         or `t` itself outside years 1–9999)
 * @since 0.1
 */
B2B_API int b2b_time_add_days(b2b_time *out, b2b_time t, int64_t days);

/** −1, 0, 1 comparing the instants only (the form is ignored). @since 0.1 */
B2B_API int b2b_time_cmp(b2b_time a, b2b_time b);

B2B_END_DECL
#endif /* B2B_DATE_H */
