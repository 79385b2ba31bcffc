/*
 * libb2bcore — book snapshots (SPEC §14). Placeholder bodies: the format,
 * the writer and the checked opener follow.
 * SPDX-License-Identifier: MIT
 */
#include "b2b/snapshot.h"
#include "b2b/error.h"
#include "ctx_int.h"

int
b2b_snapshot_options_init(b2b_snapshot_options *opts, unsigned int version)
{
	if (!opts)
		return B2B_EINVAL;
	if (version != B2B_SNAPSHOT_OPTIONS_VERSION)
		return B2B_EVERSION;
	opts->version = version;
	opts->flags = 0;
	return 0;
}

int
b2b_book_write_snapshot(const b2b_book *book, b2b_ctx *ctx, const char *path)
{
	(void)book; (void)path;
	return b2b__ctx_seterr(ctx, B2B_ERROR, "snapshots: not implemented yet");
}

int
b2b_book_open_snapshot(b2b_book **out, b2b_ctx *ctx, const char *path,
                       const b2b_snapshot_options *opts)
{
	(void)path; (void)opts;
	if (out)
		*out = NULL;
	return b2b__ctx_seterr(ctx, B2B_ERROR, "snapshots: not implemented yet");
}

int
b2b_book_open_snapshot_buffer(b2b_book **out, b2b_ctx *ctx, const void *data, size_t len,
                              const b2b_snapshot_options *opts)
{
	(void)data; (void)len; (void)opts;
	if (out)
		*out = NULL;
	return b2b__ctx_seterr(ctx, B2B_ERROR, "snapshots: not implemented yet");
}

int
b2b_snapshot_probe(const char *path)
{
	return path ? 0 : B2B_EINVAL;
}
