/*
 * libb2bcore — b2b_strerror(): a static table, no allocation.
 * SPDX-License-Identifier: MIT
 */
#include "b2b/error.h"
#include "enum.h"

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
};

const char *
b2b_strerror(int status)
{
	if (status > 0 || -status >= (int)(sizeof(status_text) / sizeof(status_text[0])))
		return "unknown status";
	return status_text[-status];
}

/* Indexed by −status. */
static const char *const status_names[] = {
	"B2B_OK", "B2B_ERROR", "B2B_EINVAL", "B2B_ENOMEM", "B2B_ENOTFOUND", "B2B_EOVERFLOW",
	"B2B_ECURRENCY", "B2B_EBUFS", "B2B_EVERSION", "B2B_EMISUSE", "B2B_EPARSE",
	"B2B_EPRECISION", "B2B_EIO", "B2B_EBOOK", "B2B_EDIVZERO",
};
#define NSTATUS (sizeof(status_names) / sizeof(status_names[0]))

const char *
b2b_status_name(b2b_status status)
{
	long long s = (long long)status;

	return s <= 0 ? b2b__enum_name(status_names, NSTATUS, -s) : NULL;
}

int
b2b_status_parse(b2b_status *out, const char *name, size_t len)
{
	int i = 0, rc = b2b__enum_parse(out != NULL ? &i : NULL, status_names, NSTATUS, name, len);

	if (rc == 0)
		*out = (b2b_status)-i;
	return rc;
}
