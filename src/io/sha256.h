/*
 * libb2bcore — SHA-256 (FIPS 180-4), for book fingerprints. Internal.
 * SPDX-License-Identifier: MIT
 */
#ifndef B2B_SRC_SHA256_H
#define B2B_SRC_SHA256_H

#include <stddef.h>
#include <stdint.h>

/*
 * Streaming state: init, update any number of times with any chunk sizes,
 * final once. Plain data on the caller's stack; no allocation, no global
 * state, thread-safe on distinct states. After final the state must be
 * initialised again before reuse.
 */
typedef struct b2b__sha256 {
	uint32_t h[8];              /* chaining value H(i) */
	uint64_t nbytes;            /* message length so far, in bytes */
	unsigned char block[64];    /* partial block */
	size_t blen;                /* bytes in block, 0..63 */
	int ni;                     /* compress with SHA-NI (chosen at init) */
} b2b__sha256;

void b2b__sha256_init(b2b__sha256 *s);
/* Feed `len` bytes; `data` may be NULL when `len` is 0. */
void b2b__sha256_update(b2b__sha256 *s, const void *data, size_t len);
/* Pad, finish and write the 32-byte digest (big-endian words). */
void b2b__sha256_final(b2b__sha256 *s, unsigned char out[32]);
/* Lower-case hex of a digest, NUL-terminated (64 digits + NUL). */
void b2b__sha256_hex(const unsigned char d[32], char out[65]);

#endif
