/*
 * libb2bcore — versioned options structs: the one check every entry point
 * that takes a `*_options` runs, and the fill behind b2b_*_options_init().
 * Implemented in ctx.c (the check reports on a ctx).
 * SPDX-License-Identifier: MIT
 */
#ifndef B2B_SRC_OPTS_H
#define B2B_SRC_OPTS_H

#include <stddef.h>
#include <stdint.h>

#include "b2b/ctx.h"

/*
 * Every options struct starts with `unsigned int version` and, in its
 * first version, `uint32_t flags`. `version` must be 1..`max_version`
 * (else B2B_EVERSION, "NAME: version V") and `flags` may hold only the
 * `known` bits (else B2B_EINVAL, "NAME: unknown flags 0xX"). `name` is the
 * struct's type name, e.g. "b2b_quote_options". The detail goes to ctx,
 * which may be NULL (b2b_ctx_new() has none yet).
 */
int b2b__opts_check(b2b_ctx *ctx, const char *name, unsigned version, unsigned max_version,
                    uint32_t flags, uint32_t known);

/*
 * Fill the options struct at `opts` with the defaults of `version`:
 * copy the first `sizes[version]` bytes of `defaults` (the struct as the
 * caller's version knows it), then set its version field. `sizes` has
 * max_version + 1 entries (sizes[0] unused). Returns 0, B2B_EINVAL
 * (`opts` NULL) or B2B_EVERSION (version 0 or above max_version; *opts
 * untouched).
 */
int b2b__opts_init(void *opts, unsigned version, const void *defaults, const size_t *sizes,
                   unsigned max_version);

#endif
