/*
 * libb2bcore — internals shared by order.c (validation) and
 * quote_state.c (the quote lifecycle).
 * SPDX-License-Identifier: MIT
 */
#ifndef B2B_SRC_ORDER_INT_H
#define B2B_SRC_ORDER_INT_H

#include <stddef.h>

/*
 * The fractional digits a decimal was written with, as SPEC §9.19 counts
 * them (after applying a JSON number's exponent), clamped to 0..9:
 * "10.50" → 2, 1.5E1 → 0, 1E-3 → 3. `number`: the text is a JSON number.
 */
int b2b__written_scale(const char *s, size_t len, int number);

#endif
