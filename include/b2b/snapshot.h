/*
 * libb2bcore — book snapshots: a frozen book written to one file that
 * opens in milliseconds (SPEC §14).
 * SPDX-License-Identifier: MIT
 */
#ifndef B2B_SNAPSHOT_H
#define B2B_SNAPSHOT_H

#include "b2b/common.h"
#include "b2b/ctx.h"
#include "b2b/book.h"

/**
 * @file b2b/snapshot.h
 * @brief Write a frozen book to a snapshot file; open it again with a
 * read-only mapping shared by every process that opens the same file.
 *
 * A snapshot holds the frozen book as it is in memory (its arrays, its
 * string pool, its indexes and what the batch pricer precomputes), after
 * a header naming the format version, the byte order, the library
 * version that wrote it, the book's fingerprint and a checksum of the
 * whole file. The format is documented in README.md ("Snapshots").
 *
 * A snapshot is untrusted input: opening checks the header, every
 * section's offset, length and alignment, and every index of every
 * record before the book is used, so a truncated or corrupted file is
 * refused (B2B_EBOOK, with a message naming what is wrong and its byte
 * offset in b2b_ctx_errmsg() / b2b_ctx_erroffset()) and never crashes,
 * loops or gives a wrong price. The checksum is verified unless
 * B2B_SNAPSHOT_NO_CHECKSUM is set (for a file the host verified itself).
 *
 * An opened book is an ordinary book: the same fingerprint and prices as
 * the book that was written, reference counted, shared by any number of
 * threads. Its arrays point into the mapping; the last b2b_book_unref()
 * unmaps the file.
 */
B2B_BEGIN_DECL

/** Skip the whole-file checksum (the host verified the file). */
#define B2B_SNAPSHOT_NO_CHECKSUM 1u

typedef struct b2b_snapshot_options {
	unsigned int version;   /**< B2B_SNAPSHOT_OPTIONS_VERSION, first field always */
	unsigned int flags;     /**< B2B_SNAPSHOT_* bits; unknown bits → B2B_EINVAL */
	/* later versions append fields below; never reorder */
} b2b_snapshot_options;

#define B2B_SNAPSHOT_OPTIONS_VERSION 1
#define B2B_SNAPSHOT_OPTIONS_INIT { B2B_SNAPSHOT_OPTIONS_VERSION, 0 }

/**
 * Fill `*opts` with the defaults of `version` (normally
 * B2B_SNAPSHOT_OPTIONS_VERSION), as B2B_SNAPSHOT_OPTIONS_INIT does: for FFI
 * callers that cannot use the macro.
 * Thread-safety: thread-safe; no allocation.
 * @return 0, B2B_EVERSION (version 0 or unknown to this build; *opts
 *         untouched) or B2B_EINVAL (`opts` NULL)
 * @since 0.2
 */
B2B_API int b2b_snapshot_options_init(b2b_snapshot_options *opts, unsigned int version);

/**
 * Write book `book` to the snapshot file `path` (created or replaced:
 * written to `path` plus a temporary suffix, then renamed, so a reader
 * never sees a half-written file).
 *
 * Thread-safety: thread-safe; the book is only read.
 * @param book  the book (any book: loaded, built or itself opened from a
 *              snapshot)
 * @param ctx   receives the error detail; must not be NULL
 * @param path  the file to write
 * @return 0, B2B_EIO (the file cannot be written; the message names it
 *         and the system error), B2B_ENOMEM, B2B_EINVAL (NULL argument)
 * @since 0.2
 */
B2B_API int b2b_book_write_snapshot(const b2b_book *book, b2b_ctx *ctx, const char *path);

/**
 * Open the snapshot file `path`: map it read-only (MAP_SHARED, so the
 * pages are shared with every other process that maps the file), check
 * it, and make a book that points into the mapping.
 *
 * The file must not be modified while the book lives (replace it by
 * rename, as b2b_book_write_snapshot() does).
 *
 * Ownership: the caller owns `*out` (one reference; b2b_book_unref()).
 * The struct and what cannot live in the file are allocated with the
 * ctx's allocator. Thread-safety: thread-safe when each thread uses its
 * own ctx.
 * @param[out] out  the book; NULL on failure
 * @param ctx       receives the error detail; must not be NULL
 * @param path      the snapshot file
 * @param opts      options, or NULL for B2B_SNAPSHOT_OPTIONS_INIT
 * @return 0, B2B_EBOOK (not a snapshot, another format version or byte
 *         order, truncated, corrupted, checksum mismatch: the message
 *         says which, with the byte offset), B2B_EIO (the file cannot be
 *         opened, read or mapped), B2B_ENOMEM, B2B_EVERSION (options
 *         version), B2B_EINVAL (NULL argument, unknown flag)
 * @since 0.2
 */
B2B_API int b2b_book_open_snapshot(b2b_book **out, b2b_ctx *ctx, const char *path,
                                   const b2b_snapshot_options *opts);

/**
 * Open a snapshot the host holds in memory (`len` bytes at `data`, e.g. a
 * mapping of its own), with the same checks as b2b_book_open_snapshot().
 * `data` must be 8-byte aligned (what mmap and malloc give); otherwise
 * B2B_EINVAL. The book points into `data`: the
 * host keeps it alive and unchanged until the book's last
 * b2b_book_unref().
 * @return as b2b_book_open_snapshot(), without B2B_EIO
 * @since 0.2
 */
B2B_API int b2b_book_open_snapshot_buffer(b2b_book **out, b2b_ctx *ctx, const void *data,
                                          size_t len, const b2b_snapshot_options *opts);

/**
 * Is `path` a snapshot file? Reads only its first bytes (the magic).
 * @return 1 (it starts with the snapshot magic), 0 (it does not, or it is
 *         a directory), B2B_EIO (it cannot be opened or read),
 *         B2B_EINVAL (`path` NULL)
 * @since 0.2
 */
B2B_API int b2b_snapshot_probe(const char *path);

B2B_END_DECL
#endif /* B2B_SNAPSHOT_H */
