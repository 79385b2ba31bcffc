/*
 * libb2bcore — the snapshot file format (SPEC §14), shared by the writer
 * and opener (snapshot.c) and the record checks (snapshot_check.c).
 *
 * A snapshot is the frozen book (book_int.h), its indexes (book_index.h)
 * and its batch plan (book_plan.h) laid out as they are in memory, so
 * that opening maps the file and points the book's arrays into it:
 *
 *   offset 0    header, 144 bytes (struct b2b__snap_header):
 *                 magic "B2BSNAP\032", format version (uint32),
 *                 byte-order mark 0x01020304 as the writer stored it,
 *                 checksum (uint64) of bytes [24, length), total length,
 *                 section count, header size, the library version that
 *                 wrote it, the book's fingerprint (64 hex digits);
 *   offset 144  the section table: one 16-byte entry per section
 *                 (kind, element size, count, offset; the length is
 *                 count × element size);
 *   then        the sections, each at a multiple of 8 bytes (the
 *                 strictest alignment of any record; the mapping itself
 *                 is page-aligned), zero padding between them and at the
 *                 end (length is a multiple of 8). No wider alignment:
 *                 the file stays no larger than the book in memory.
 *
 * Section kinds are numbers that never change meaning (snap_sections[]
 * in snapshot.c is THE list: a new array of the book is one line there
 * plus its checks in snapshot_check.c). Kind 1 is the meta record
 * (struct b2b__snap_meta: the book's settings, table counts and the
 * scalar fields of the index and plan); the others are arrays, the
 * string pool included. The meta record is always there; an empty array
 * has no section (the writer leaves it out, the opener takes a missing
 * kind as empty). No kind appears twice; a file with an unknown kind or
 * an element size other than this build's record size is refused.
 * Sections do not overlap and appear in ascending offset order.
 *
 * Numbers are in the writer's byte order; a reader of the other order
 * refuses the file (the mark reads 0x04030201). Any change of a record
 * layout bumps B2B__SNAP_FORMAT.
 *
 * The checksum is a 64-bit, four-lane multiply-rotate hash (the round and
 * merge of XXH64, seed 0; b2b__snap_sum_*): not a cryptographic digest,
 * it detects corruption at memory speed. A host that verified the file
 * itself skips it with B2B_SNAPSHOT_NO_CHECKSUM; the structural checks
 * (every offset, length, index and enum of every record) always run.
 * SPDX-License-Identifier: MIT
 */
#ifndef B2B_SRC_SNAPSHOT_INT_H
#define B2B_SRC_SNAPSHOT_INT_H

#include "book_int.h"
#include "book_index.h"
#include "book_plan.h"
#include "b2b/ctx.h"

#define B2B__SNAP_MAGIC "B2BSNAP\032"
#define B2B__SNAP_FORMAT 2u
#define B2B__SNAP_BOM 0x01020304u
#define B2B__SNAP_HEADER 144u
#define B2B__SNAP_ALIGN 8u
#define B2B__SNAP_MAX_SECTIONS 256u

typedef struct b2b__snap_header {
	char magic[8];          /*   0 */
	uint32_t format;        /*   8 */
	uint32_t bom;           /*  12 */
	uint64_t checksum;      /*  16: of bytes [24, length) */
	uint64_t length;        /*  24 */
	uint32_t nsections;     /*  32 */
	uint32_t header_size;   /*  36 */
	char library[32];       /*  40: NUL-terminated */
	char fingerprint[72];   /*  72: 64 hex digits, NUL-padded */
} b2b__snap_header;         /* 144 bytes */

/* A section's length is count × elem bytes. */
typedef struct b2b__snap_section {
	uint16_t kind;
	uint16_t elem;          /* bytes per element */
	uint32_t count;
	uint64_t offset;
} b2b__snap_section;        /* 16 bytes */

/* Kind 1: the book's scalar fields (the arrays' counts come from the table). */
typedef struct b2b__snap_meta {
	b2b__settings settings;
	uint64_t counts[B2B_TABLE_COUNT];
	uint64_t memory;
	int64_t max_approval_level;
	uint64_t u32_base;          /* index */
	uint64_t index_bytes;
	uint32_t rules_kinds, promos_kinds;
	uint32_t order_promos_off, order_promos_n;
	uint32_t has_plan;          /* 0: the plan sections are empty */
	uint32_t reserved;
	uint64_t plan_bytes;
} b2b__snap_meta;

/* The checksum, streamed. */
typedef struct b2b__snap_sum {
	uint64_t v[4];
	uint64_t total;
	unsigned char buf[32];
	size_t nbuf;
} b2b__snap_sum;

void b2b__snap_sum_init(b2b__snap_sum *s);
void b2b__snap_sum_update(b2b__snap_sum *s, const void *data, size_t len);
uint64_t b2b__snap_sum_final(const b2b__snap_sum *s);

/*
 * The checksum of an opening, fed in file order as far as `pos`: the
 * record checks feed the items as they check them (one pass over the
 * largest arrays instead of two), the opener the rest. `on` 0: skipped.
 */
typedef struct b2b__snap_feed {
	b2b__snap_sum sum;
	const unsigned char *base;
	size_t pos;
	int on;
} b2b__snap_feed;

/* Feed the checksum with the bytes [f->pos, to) of the file (none when to <= pos). */
void b2b__snap_feed_to(b2b__snap_feed *f, size_t to);

/*
 * Check every record of an opened book (snapshot_check.c): every index
 * in range, every range inside its array, every enum known, every string
 * offset inside the pool, every decimal representable, every hash table
 * with an empty slot, the plan's offsets monotone. `base` is the start of
 * the file (for the byte offsets of the messages). Returns 0, or
 * B2B_EBOOK with the ctx error naming the record, field and offset.
 */
int b2b__snap_check(const b2b_book *b, b2b_ctx *ctx, const char *file,
                    const unsigned char *base, b2b__snap_feed *feed);

/* Free a book opened from a snapshot (book.c's last unref). */
void b2b__snapshot_free(b2b_book *b);

#endif
