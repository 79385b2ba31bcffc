/*
 * libb2bcore — internals of the book diff (SPEC §13, diff.c), for the
 * tests: the same diff with every probe priced in both books (the
 * brute-force reference the fast path is compared with).
 * SPDX-License-Identifier: MIT
 */
#ifndef B2B_SRC_DIFF_INT_H
#define B2B_SRC_DIFF_INT_H

#include "b2b/diff.h"

/* b2b_book_diff(), with `price_all` 1: no probe is proved unchanged, every
 * probe is priced in both books. */
int b2b__book_diff(const b2b_diff **out, b2b_ctx *ctx, const b2b_book *old_book,
                   const b2b_book *new_book, const b2b_diff_options *opts, int price_all);

#endif
