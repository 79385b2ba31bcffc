/*
 * libb2bcore — the names of enum values, shared by every b2b_X_name() and
 * b2b_X_parse() of the public headers.
 * SPDX-License-Identifier: MIT
 */
#ifndef B2B_SRC_ENUM_H
#define B2B_SRC_ENUM_H

#include <stddef.h>

/* names[v] for 0 ≤ v < n (NULL entries are values without a name), else NULL. */
const char *b2b__enum_name(const char *const *names, size_t n, long long v);

/*
 * The index of the name that is exactly the `len` bytes at `s` (no NUL
 * needed) into *out: 0, B2B_EPARSE (no such name; *out untouched) or
 * B2B_EINVAL (`out` NULL, or `s` NULL with `len` > 0).
 */
int b2b__enum_parse(int *out, const char *const *names, size_t n, const char *s, size_t len);

#endif
