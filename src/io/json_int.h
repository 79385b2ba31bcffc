/*
 * libb2bcore — what the JSON reader gives the layers above it beyond
 * b2b/json.h.
 * SPDX-License-Identifier: MIT
 */
#ifndef B2B_SRC_JSON_INT_H
#define B2B_SRC_JSON_INT_H

#include "b2b/json.h"

/*
 * The kind of a value for messages ("expected a string, got boolean"):
 * "null", "boolean" (true and false alike), "number", "string", "array",
 * "object"; "unknown" outside the enum. Never NULL.
 */
const char *b2b__json_type_text(b2b_json_type t);

#endif
