/*
 * libb2bcore — internals of the CSV reader for the book loader: taking a
 * record's text over instead of copying it.
 * SPDX-License-Identifier: MIT
 */
#ifndef B2B_SRC_CSV_INT_H
#define B2B_SRC_CSV_INT_H

#include "b2b/csv.h"

/*
 * Exchange the current record's text with *text (*cap bytes, allocated
 * by the reader's allocator; NULL and 0 for none): the pointers that
 * b2b_csv_field() returned for the record stay valid in the text handed
 * out, which the caller now owns, and the reader reads its next records
 * into the buffer it was given. Release a text with b2b__csv_text_free().
 */
void b2b__csv_swap_text(b2b_csv *r, char **text, size_t *cap);
void b2b__csv_text_free(const b2b_csv *r, char *text, size_t cap);

#endif
