/*
 * libb2bcore — the snapshot checksum (snapshot_int.h), streamed, and the
 * feed that the opener and the record checks share so that the file is
 * summed in order, in one pass with the checks of its largest arrays.
 *
 * The sum is built to run at memory speed on one core with the SIMD
 * units every x86-64 (SSE2; AVX2 when the processor has it) and AArch64
 * has, and to give the same value on every machine (portable code
 * computes it too):
 *
 *   The input is cut into 64-byte stripes; stripe s holds the
 *   little-endian 64-bit words w[0..7]. Eight 64-bit accumulators a[0..7]
 *   start at K[i]. For each stripe, with key k[i] = K[i] + s × STEP:
 *       x      = w[i] XOR k[i]
 *       a[i]  += (x mod 2^32) × (x div 2^32)        (a 32 × 32 → 64 product)
 *       a[i^1] += w[i]
 *   so every word reaches the sum twice (through a product keyed by its
 *   position, and as itself), and moving a word or a stripe changes it.
 *   The final value folds the eight accumulators, the total length and
 *   the last (< 64) bytes through XXH64's merge and avalanche steps
 *   (multiply-rotate by its primes), so every input bit reaches every
 *   output bit.
 *
 * Not a cryptographic digest: it detects corruption (truncation, flipped
 * or shifted bytes), not an adversary. On big-endian machines the words
 * are read little-endian; snapshots of the other byte order are refused
 * before the sum matters.
 * SPDX-License-Identifier: MIT
 */
#include <string.h>

#if (defined(__x86_64__) && defined(__SSE2__)) || defined(_M_X64)
#include <emmintrin.h>
#define SUM_SSE2 1
#if defined(__GNUC__) && defined(__x86_64__)
#include <immintrin.h>
#define SUM_AVX2 1
#endif
#elif defined(__ARM_NEON) && defined(__aarch64__)
#include <arm_neon.h>
#define SUM_NEON 1
#endif

#include "snapshot_int.h"

#define P1 UINT64_C(0x9E3779B185EBCA87)
#define P2 UINT64_C(0xC2B2AE3D27D4EB4F)
#define P3 UINT64_C(0x165667B19E3779F9)
#define P4 UINT64_C(0x85EBCA77C2B2AE63)
#define P5 UINT64_C(0x27D4EB2F165667C5)
#define STEP UINT64_C(0xD6E8FEB86659FD93)

/* The lanes' starting values and keys: arbitrary odd constants. */
static const uint64_t K[8] = {
	UINT64_C(0xB8FE6C3923A44BBE), UINT64_C(0x7C01812CF721AD1D),
	UINT64_C(0xDED46DE9839097DB), UINT64_C(0x7240A4A4B7B3671F),
	UINT64_C(0xCB79E64EEB3CF82D), UINT64_C(0x1F1C1A1D7D8EB7E5),
	UINT64_C(0x4F5B3D7A9E3B6F21), UINT64_C(0xA3C59AC2F1C5E9B7),
};

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
	return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 |
	       (uint64_t)p[3] << 24 | (uint64_t)p[4] << 32 | (uint64_t)p[5] << 40 |
	       (uint64_t)p[6] << 48 | (uint64_t)p[7] << 56;
}

static inline uint32_t
rd32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

void
b2b__snap_sum_init(b2b__snap_sum *s)
{
	memcpy(s->a, K, sizeof s->a);
	s->stripes = 0;
	s->total = 0;
	s->nbuf = 0;
}

/* The stripes [0, n) of p, the first of which is stripe number s->stripes: portable. */
void
b2b__snap_sum_stripes_portable(b2b__snap_sum *s, const unsigned char *p, size_t n)
{
	uint64_t a[8], k[8];
	size_t i, j;

	memcpy(a, s->a, sizeof a);
	for (i = 0; i < 8; i++)
		k[i] = K[i] + s->stripes * STEP;
	for (j = 0; j < n; j++, p += 64) {
		for (i = 0; i < 8; i++) {
			uint64_t w = rd64(p + 8 * i), x = w ^ k[i];

			a[i] += (x & 0xFFFFFFFFu) * (x >> 32);
			a[i ^ 1] += w;
			k[i] += STEP;
		}
	}
	memcpy(s->a, a, sizeof a);
	s->stripes += n;
}

#if defined(SUM_SSE2)
static void
sum_stripes_sse2(b2b__snap_sum *s, const unsigned char *p, size_t n)
{
	__m128i a[4], k[4];
	const __m128i step = _mm_set1_epi64x((long long)STEP);
	size_t j;
	int i;

	for (i = 0; i < 4; i++) {
		a[i] = _mm_loadu_si128((const __m128i *)(const void *)&s->a[2 * i]);
		k[i] = _mm_set_epi64x((long long)(K[2 * i + 1] + s->stripes * STEP),
		                      (long long)(K[2 * i] + s->stripes * STEP));
	}
	for (j = 0; j < n; j++, p += 64) {
		for (i = 0; i < 4; i++) {
			__m128i w = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * i));
			__m128i x = _mm_xor_si128(w, k[i]);
			__m128i hi = _mm_shuffle_epi32(x, _MM_SHUFFLE(3, 3, 1, 1));
			__m128i sw = _mm_shuffle_epi32(w, _MM_SHUFFLE(1, 0, 3, 2));

			a[i] = _mm_add_epi64(a[i], _mm_add_epi64(_mm_mul_epu32(x, hi), sw));
			k[i] = _mm_add_epi64(k[i], step);
		}
	}
	for (i = 0; i < 4; i++)
		_mm_storeu_si128((__m128i *)(void *)&s->a[2 * i], a[i]);
	s->stripes += n;
}

#if defined(SUM_AVX2)
/* The same lanes four at a time, with AVX2 (twice the SSE2 loop's bytes per
 * instruction); used when the processor has it. */
__attribute__((target("avx2"))) static void
sum_stripes_avx2(b2b__snap_sum *s, const unsigned char *p, size_t n)
{
	__m256i a0, a1, k0, k1;
	const __m256i step = _mm256_set1_epi64x((long long)STEP);
	const uint64_t base = s->stripes * STEP;
	size_t j;

	a0 = _mm256_loadu_si256((const __m256i *)(const void *)&s->a[0]);
	a1 = _mm256_loadu_si256((const __m256i *)(const void *)&s->a[4]);
	k0 = _mm256_set_epi64x((long long)(K[3] + base), (long long)(K[2] + base),
	                       (long long)(K[1] + base), (long long)(K[0] + base));
	k1 = _mm256_set_epi64x((long long)(K[7] + base), (long long)(K[6] + base),
	                       (long long)(K[5] + base), (long long)(K[4] + base));
	for (j = 0; j < n; j++, p += 64) {
		__m256i w0 = _mm256_loadu_si256((const __m256i *)(const void *)p);
		__m256i w1 = _mm256_loadu_si256((const __m256i *)(const void *)(p + 32));
		__m256i x0 = _mm256_xor_si256(w0, k0), x1 = _mm256_xor_si256(w1, k1);

		a0 = _mm256_add_epi64(a0, _mm256_add_epi64(
		        _mm256_mul_epu32(x0, _mm256_shuffle_epi32(x0, _MM_SHUFFLE(3, 3, 1, 1))),
		        _mm256_shuffle_epi32(w0, _MM_SHUFFLE(1, 0, 3, 2))));
		a1 = _mm256_add_epi64(a1, _mm256_add_epi64(
		        _mm256_mul_epu32(x1, _mm256_shuffle_epi32(x1, _MM_SHUFFLE(3, 3, 1, 1))),
		        _mm256_shuffle_epi32(w1, _MM_SHUFFLE(1, 0, 3, 2))));
		k0 = _mm256_add_epi64(k0, step);
		k1 = _mm256_add_epi64(k1, step);
	}
	_mm256_storeu_si256((__m256i *)(void *)&s->a[0], a0);
	_mm256_storeu_si256((__m256i *)(void *)&s->a[4], a1);
	s->stripes += n;
}
#endif

static void
sum_stripes(b2b__snap_sum *s, const unsigned char *p, size_t n)
{
#if defined(SUM_AVX2)
	if (n >= 16 && __builtin_cpu_supports("avx2")) {
		sum_stripes_avx2(s, p, n);
		return;
	}
#endif
	sum_stripes_sse2(s, p, n);
}
#elif defined(SUM_NEON) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
static void
sum_stripes(b2b__snap_sum *s, const unsigned char *p, size_t n)
{
	uint64x2_t a[4], k[4];
	const uint64x2_t step = vdupq_n_u64(STEP);
	size_t j;
	int i;

	for (i = 0; i < 4; i++) {
		uint64_t k2[2] = { K[2 * i] + s->stripes * STEP, K[2 * i + 1] + s->stripes * STEP };

		a[i] = vld1q_u64(&s->a[2 * i]);
		k[i] = vld1q_u64(k2);
	}
	for (j = 0; j < n; j++, p += 64) {
		for (i = 0; i < 4; i++) {
			uint64x2_t w = vreinterpretq_u64_u8(vld1q_u8(p + 16 * i));
			uint64x2_t x = veorq_u64(w, k[i]);
			uint32x2_t lo = vmovn_u64(x), hi = vshrn_n_u64(x, 32);

			a[i] = vaddq_u64(a[i], vaddq_u64(vmull_u32(lo, hi), vextq_u64(w, w, 1)));
			k[i] = vaddq_u64(k[i], step);
		}
	}
	for (i = 0; i < 4; i++)
		vst1q_u64(&s->a[2 * i], a[i]);
	s->stripes += n;
}
#else
#define sum_stripes b2b__snap_sum_stripes_portable
#endif

void
b2b__snap_sum_update(b2b__snap_sum *s, const void *data, size_t len)
{
	const unsigned char *p = data;
	size_t k;

	s->total += len;
	if (s->nbuf > 0) {
		k = 64 - s->nbuf < len ? 64 - s->nbuf : len;
		memcpy(s->buf + s->nbuf, p, k);
		s->nbuf += k;
		p += k;
		len -= k;
		if (s->nbuf < 64)
			return;
		sum_stripes(s, s->buf, 1);
		s->nbuf = 0;
	}
	sum_stripes(s, p, len / 64);
	p += len / 64 * 64;
	len %= 64;
	memcpy(s->buf, p, len);
	s->nbuf = len;
}

uint64_t
b2b__snap_sum_final(const b2b__snap_sum *s)
{
	uint64_t h = P5 + s->total;
	const unsigned char *p = s->buf, *end = s->buf + s->nbuf;
	int i;

	for (i = 0; i < 8; i++)
		h = merge64(h, s->a[i]);
	for (; p + 8 <= end; p += 8) {
		h ^= round64(0, rd64(p));
		h = rotl(h, 27) * P1 + P4;
	}
	if (p + 4 <= end) {
		h ^= (uint64_t)rd32(p) * P1;
		h = rotl(h, 23) * P2 + P3;
		p += 4;
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
