/*
 * b2b — SHA-256 (FIPS 180-4) for the checksum of `b2b bench price`: the
 * digest of the priced workload, written to expected_checksum.txt so that
 * another engine can price the same lines and compare. The checksum is
 * the benchmark's own format, not a library concept, so the program
 * computes it itself (portable code; it is not timed).
 *
 *	cli_sha256 h;
 *	char hex[65];
 *	cli_sha256_init(&h);
 *	cli_sha256_update(&h, "abc", 3);
 *	cli_sha256_hex(&h, hex);   // "ba7816bf…15ad"
 * SPDX-License-Identifier: MIT
 */
#ifndef B2B_CLI_CHECKSUM_H
#define B2B_CLI_CHECKSUM_H

#include <stddef.h>
#include <stdint.h>

typedef struct cli_sha256 {
	uint32_t h[8];
	uint64_t bytes;          /* message length so far */
	unsigned char block[64];
	size_t nblock;           /* bytes waiting in block */
} cli_sha256;

void cli_sha256_init(cli_sha256 *s);
void cli_sha256_update(cli_sha256 *s, const void *data, size_t n);
/* Finish: the digest as 64 lower-case hex digits and a NUL. The state
 * must be initialised again before another use. */
void cli_sha256_hex(cli_sha256 *s, char out[65]);

#endif
