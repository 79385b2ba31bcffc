/*
 * libb2bcore — the names of enum values (see enum.h).
 * SPDX-License-Identifier: MIT
 */
#include <string.h>

#include "b2b/error.h"
#include "enum.h"

const char *
b2b__enum_name(const char *const *names, size_t n, long long v)
{
	return v >= 0 && (unsigned long long)v < n ? names[v] : NULL;
}

int
b2b__enum_parse(int *out, const char *const *names, size_t n, const char *s, size_t len)
{
	size_t i;

	if (out == NULL || (s == NULL && len > 0))
		return B2B_EINVAL;
	for (i = 0; i < n; i++) {
		if (names[i] != NULL && strlen(names[i]) == len &&
		    (len == 0 || memcmp(names[i], s, len) == 0)) {
			*out = (int)i;
			return 0;
		}
	}
	return B2B_EPARSE;
}
