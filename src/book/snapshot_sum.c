/*
 * libb2bcore — the snapshot checksum (snapshot_int.h): a 64-bit,
 * four-lane multiply-rotate hash with the round and merge of XXH64
 * (seed 0), streamed, and the feed that the opener and the record checks
 * share so that the file is summed in order, in one pass with the checks
 * of its largest arrays.
 * SPDX-License-Identifier: MIT
 */
#include <string.h>

#include "snapshot_int.h"

#define P1 UINT64_C(0x9E3779B185EBCA87)
#define P2 UINT64_C(0xC2B2AE3D27D4EB4F)
#define P3 UINT64_C(0x165667B19E3779F9)
#define P4 UINT64_C(0x85EBCA77C2B2AE63)
#define P5 UINT64_C(0x27D4EB2F165667C5)

static inline uint64_t
rotl(uint64_t x, int r)
{
	return (x << r) | (x >> (64 - r));
}

static inline uint64_t
round64(uint64_t acc, uint64_t in)
{
	acc += in * P2;
	acc = rotl(acc, 31);
	return acc * P1;
}

static inline uint64_t
merge64(uint64_t acc, uint64_t v)
{
	acc ^= round64(0, v);
	return acc * P1 + P4;
}

static inline uint64_t
rd64(const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

void
b2b__snap_sum_init(b2b__snap_sum *s)
{
	s->v[0] = P1 + P2;
	s->v[1] = P2;
	s->v[2] = 0;
	s->v[3] = (uint64_t)0 - P1;
	s->total = 0;
	s->nbuf = 0;
}

static void
sum_blocks(b2b__snap_sum *s, const unsigned char *p, size_t nblocks)
{
	uint64_t v0 = s->v[0], v1 = s->v[1], v2 = s->v[2], v3 = s->v[3];

	while (nblocks-- > 0) {
		v0 = round64(v0, rd64(p));
		v1 = round64(v1, rd64(p + 8));
		v2 = round64(v2, rd64(p + 16));
		v3 = round64(v3, rd64(p + 24));
		p += 32;
	}
	s->v[0] = v0;
	s->v[1] = v1;
	s->v[2] = v2;
	s->v[3] = v3;
}

void
b2b__snap_sum_update(b2b__snap_sum *s, const void *data, size_t len)
{
	const unsigned char *p = data;
	size_t k;

	s->total += len;
	if (s->nbuf > 0) {
		k = 32 - s->nbuf < len ? 32 - s->nbuf : len;
		memcpy(s->buf + s->nbuf, p, k);
		s->nbuf += k;
		p += k;
		len -= k;
		if (s->nbuf < 32)
			return;
		sum_blocks(s, s->buf, 1);
		s->nbuf = 0;
	}
	sum_blocks(s, p, len / 32);
	p += len / 32 * 32;
	len %= 32;
	memcpy(s->buf, p, len);
	s->nbuf = len;
}

uint64_t
b2b__snap_sum_final(const b2b__snap_sum *s)
{
	uint64_t h;
	const unsigned char *p = s->buf, *end = s->buf + s->nbuf;

	if (s->total >= 32) {
		h = rotl(s->v[0], 1) + rotl(s->v[1], 7) + rotl(s->v[2], 12) + rotl(s->v[3], 18);
		h = merge64(h, s->v[0]);
		h = merge64(h, s->v[1]);
		h = merge64(h, s->v[2]);
		h = merge64(h, s->v[3]);
	} else {
		h = s->v[2] + P5;
	}
	h += s->total;
	for (; p + 8 <= end; p += 8) {
		h ^= round64(0, rd64(p));
		h = rotl(h, 27) * P1 + P4;
	}
	for (; p < end; p++) {
		h ^= (uint64_t)*p * P5;
		h = rotl(h, 11) * P1;
	}
	h ^= h >> 33;
	h *= P2;
	h ^= h >> 29;
	h *= P3;
	h ^= h >> 32;
	return h;
}

void
b2b__snap_feed_to(b2b__snap_feed *f, size_t to)
{
	if (f->on && to > f->pos) {
		b2b__snap_sum_update(&f->sum, f->base + f->pos, to - f->pos);
		f->pos = to;
	}
}
