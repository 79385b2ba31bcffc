/*
 * libb2bcore — status codes and their text.
 * SPDX-License-Identifier: MIT
 */
#ifndef B2B_ERROR_H
#define B2B_ERROR_H

#include "b2b/common.h"

/**
 * @file b2b/error.h
 * @brief Status codes: 0 is success, a negative value means only that the
 * call could not run (a bad argument, no memory, unreadable input, an
 * unknown options version…). Business outcomes — an order that breaks a
 * rule, a request that cannot be priced, a refused quote transition, a
 * quote that cannot be repriced — are results the caller reads, returned
 * with 0. Detail for the last failing call lives on the b2b_ctx passed to
 * it (b2b/ctx.h); functions without a ctx return codes only.
 *
 * Values never change and are never reused: -15 (once "the request
 * cannot be priced", now a result) is retired.
 */
B2B_BEGIN_DECL

typedef enum b2b_status {
	B2B_OK         =   0,
	B2B_ERROR      =  -1,  /**< Unclassified failure; see b2b_ctx_errmsg(). */
	B2B_EINVAL     =  -2,  /**< An argument is outside its documented domain. */
	B2B_ENOMEM     =  -3,  /**< The allocator returned NULL, or the arena is full with B2B_CTX_NO_GROW. */
	B2B_ENOTFOUND  =  -4,  /**< A key (sku, customer, list, currency…) is not there. */
	B2B_EOVERFLOW  =  -5,  /**< A decimal left the representable range (|x| < 10^28). */
	B2B_ECURRENCY  =  -6,  /**< Operands carry different currencies, or no FX rate. */
	B2B_EBUFS      =  -7,  /**< Caller buffer too small; *needed holds the size. */
	B2B_EVERSION   =  -8,  /**< Options struct version unknown to this build. */
	B2B_EMISUSE    =  -9,  /**< API used out of sequence (e.g. builder already finished). */
	B2B_EPARSE     = -10,  /**< Malformed text: decimal, date, CSV or JSON. */
	B2B_EPRECISION = -11,  /**< More fractional digits than the 9 represented exactly. */
	B2B_EIO        = -12,  /**< A file could not be opened or read. */
	B2B_EBOOK      = -13,  /**< The book has errors; see the ctx diagnostics. */
	B2B_EDIVZERO   = -14   /**< Division by zero. */
	/* -15 is retired: never used again */
} b2b_status;

/**
 * Static English text for a status code, e.g. "out of memory".
 * Unknown codes give "unknown status". Never NULL, never freed.
 * Thread-safety: thread-safe; no allocation.
 * @since 0.1
 */
B2B_API const char *b2b_strerror(int status);

/**
 * The identifier of a status code, e.g. "B2B_ENOMEM"; NULL for a value
 * that is not a status of this build. Static, never freed.
 * Thread-safety: thread-safe; no allocation.
 * @since 0.1
 */
B2B_API const char *b2b_status_name(b2b_status status);

/**
 * The status code named `name` (`len` bytes, no NUL needed; exact,
 * case-sensitive) into *out.
 * @return 0, B2B_EPARSE (not a name; *out untouched) or B2B_EINVAL (`out`
 *         NULL, or `name` NULL with `len` > 0)
 * @since 0.1
 */
B2B_API int b2b_status_parse(b2b_status *out, const char *name, size_t len);

B2B_END_DECL
#endif /* B2B_ERROR_H */
