/*
 * libb2bcore — ISO 4217 currency codes and their minor units.
 * SPDX-License-Identifier: MIT
 */
#ifndef B2B_CURRENCY_H
#define B2B_CURRENCY_H

#include "b2b/common.h"

/**
 * @file b2b/currency.h
 * @brief The built-in table of active ISO 4217 codes and their minor units
 * (the number of fractional digits of an amount: JPY 0, USD 2, BHD 3,
 * CLF 4, …).
 *
 * The table is ISO 4217 List One as published on 2024-06-25 (SIX), plus
 * XCG (Caribbean guilder, 2025) and XAD (Arab Accounting Dinar); ANG and
 * CUC are kept while they remain in List One or in transition. It holds
 * every code whose minor units are a number, funds codes included (BOV,
 * CHE, CHW, CLF, COU, MXV, USN, UYI, UYW). Codes whose minor units are
 * "N.A." in ISO 4217 — XAG, XAU, XBA, XBB, XBC, XBD, XDR, XPD, XPT, XSU,
 * XTS, XUA, XXX — are left out: an amount in them has no defined minor
 * unit, so a book that uses one must declare it in currencies.csv.
 *
 * No cash increments are built in (e.g. CHF 0.05): a book sets them in
 * currencies.csv (`cash_increment`, SPEC §3 and §9.3), which also adds
 * to or overrides this table. These functions only ever see the built-in
 * table, never a book's.
 *
 * Thread-safety: every function is thread-safe (a static const table);
 * none allocates. Strings returned are static and never freed.
 */
B2B_BEGIN_DECL

/**
 * 1 when `code` is `len` = 3 upper-case ASCII letters (`A`–`Z`), the form
 * of every ISO 4217 alpha code; else 0 (also for NULL). This is a check
 * of form only: "ABC" is valid and not in the table.
 * @since 0.1
 */
B2B_API int b2b_currency_code_valid(const char *code, size_t len);

/**
 * The minor units (0..9) of the built-in currency `code` (`len` bytes,
 * not NUL-terminated), e.g. ("JPY", 3) = 0, ("KWD", 3) = 3.
 * @return 0..9, B2B_ENOTFOUND (well-formed but not in the table, e.g.
 *         "XAU" or "ABC"), or B2B_EINVAL when `code` is not three
 *         upper-case ASCII letters (see b2b_currency_code_valid())
 * @since 0.1
 */
B2B_API int b2b_currency_minor_units(const char *code, size_t len);

/** The number of codes in the built-in table. @since 0.1 */
B2B_API size_t b2b_currency_builtin_count(void);

/**
 * The i-th code of the built-in table (ascending byte order), as a static
 * NUL-terminated 3-letter string; NULL when i ≥ b2b_currency_builtin_count().
 * @since 0.1
 */
B2B_API const char *b2b_currency_builtin_code(size_t i);

B2B_END_DECL
#endif /* B2B_CURRENCY_H */
