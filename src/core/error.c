/*
 * libb2bcore — b2b_strerror(): a static table, no allocation.
 * SPDX-License-Identifier: MIT
 */
#include "b2b/error.h"

static const char *const status_text[] = {
	"success",                                    /*   0 */
	"error",                                      /*  -1 */
	"invalid argument",                           /*  -2 */
	"out of memory",                              /*  -3 */
	"not found",                                  /*  -4 */
	"decimal overflow",                           /*  -5 */
	"currency mismatch or no FX rate",            /*  -6 */
	"buffer too small",                           /*  -7 */
	"unknown options version",                    /*  -8 */
	"API misuse",                                 /*  -9 */
	"malformed input",                            /* -10 */
	"more than 9 fractional digits",              /* -11 */
	"I/O error",                                  /* -12 */
	"the book has errors",                        /* -13 */
	"division by zero",                           /* -14 */
	"the request cannot be priced",               /* -15 */
};

const char *
b2b_strerror(int status)
{
	if (status > 0 || -status >= (int)(sizeof(status_text) / sizeof(status_text[0])))
		return "unknown status";
	return status_text[-status];
}
