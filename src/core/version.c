/*
 * libb2bcore — the run-time version.
 * SPDX-License-Identifier: MIT
 */
#include "b2b/version.h"

unsigned int
b2b_version(void)
{
	return B2B_VERSION_NUMBER;
}

const char *
b2b_version_string(void)
{
	return B2B_VERSION;
}
