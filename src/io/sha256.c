/*
 * libb2bcore — SHA-256 written from FIPS 180-4 (§4.1.2 functions, §4.2.2
 * constants, §5.1.1 padding, §5.3.3 initial value, §6.2.2 computation).
 * SPDX-License-Identifier: MIT
 */
#include <string.h>

#include "sha256.h"

/*
 * x86-64 with GCC or Clang: the SHA extensions (SHA-NI) compress a block
 * in a few dozen instructions. The path is chosen when a state is
 * initialised, from the CPU's feature bits read with CPUID, and kept in
 * the state (no global state). CPUID is not cheap: under a hypervisor it
 * traps, costing microseconds, so it must not run once per block (it did,
 * and took a fifth of a book's load). The portable compress() below is
 * the fallback and the reference. tests/check_sha256.c runs whichever this machine selects;
 * B2B__SHA256_PORTABLE forces the portable one.
 */
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__)) && \
    !defined(B2B__SHA256_PORTABLE)
#  define B2B__SHA_NI 1
#  include <cpuid.h>
#  include <immintrin.h>
#endif

/* §4.2.2: first 32 bits of the fractional parts of the cube roots of the
 * first 64 primes. */
static const uint32_t K[64] = {
	0x428a2f98u, 0x71374491u, 0xb5c0fbcfu, 0xe9b5dba5u,
	0x3956c25bu, 0x59f111f1u, 0x923f82a4u, 0xab1c5ed5u,
	0xd807aa98u, 0x12835b01u, 0x243185beu, 0x550c7dc3u,
	0x72be5d74u, 0x80deb1feu, 0x9bdc06a7u, 0xc19bf174u,
	0xe49b69c1u, 0xefbe4786u, 0x0fc19dc6u, 0x240ca1ccu,
	0x2de92c6fu, 0x4a7484aau, 0x5cb0a9dcu, 0x76f988dau,
	0x983e5152u, 0xa831c66du, 0xb00327c8u, 0xbf597fc7u,
	0xc6e00bf3u, 0xd5a79147u, 0x06ca6351u, 0x14292967u,
	0x27b70a85u, 0x2e1b2138u, 0x4d2c6dfcu, 0x53380d13u,
	0x650a7354u, 0x766a0abbu, 0x81c2c92eu, 0x92722c85u,
	0xa2bfe8a1u, 0xa81a664bu, 0xc24b8b70u, 0xc76c51a3u,
	0xd192e819u, 0xd6990624u, 0xf40e3585u, 0x106aa070u,
	0x19a4c116u, 0x1e376c08u, 0x2748774cu, 0x34b0bcb5u,
	0x391c0cb3u, 0x4ed8aa4au, 0x5b9cca4fu, 0x682e6ff3u,
	0x748f82eeu, 0x78a5636fu, 0x84c87814u, 0x8cc70208u,
	0x90befffau, 0xa4506cebu, 0xbef9a3f7u, 0xc67178f2u,
};

/* §5.3.3: first 32 bits of the fractional parts of the square roots of
 * the first 8 primes. */
static const uint32_t H0[8] = {
	0x6a09e667u, 0xbb67ae85u, 0x3c6ef372u, 0xa54ff53au,
	0x510e527fu, 0x9b05688cu, 0x1f83d9abu, 0x5be0cd19u,
};

#define ROTR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))
#define CH(x, y, z) (((x) & (y)) ^ (~(x) & (z)))
#define MAJ(x, y, z) (((x) & (y)) ^ ((x) & (z)) ^ ((y) & (z)))
#define BSIG0(x) (ROTR(x, 2) ^ ROTR(x, 13) ^ ROTR(x, 22))
#define BSIG1(x) (ROTR(x, 6) ^ ROTR(x, 11) ^ ROTR(x, 25))
#define SSIG0(x) (ROTR(x, 7) ^ ROTR(x, 18) ^ ((x) >> 3))
#define SSIG1(x) (ROTR(x, 17) ^ ROTR(x, 19) ^ ((x) >> 10))

/* §6.2.2: process one 512-bit block. */
static void
compress(uint32_t h[8], const unsigned char *b)
{
	uint32_t w[64], a, bb, c, d, e, f, g, hh, t1, t2;
	int t;

	for (t = 0; t < 16; t++)
		w[t] = (uint32_t)b[4 * t] << 24 | (uint32_t)b[4 * t + 1] << 16 |
		       (uint32_t)b[4 * t + 2] << 8 | (uint32_t)b[4 * t + 3];
	for (t = 16; t < 64; t++)
		w[t] = SSIG1(w[t - 2]) + w[t - 7] + SSIG0(w[t - 15]) + w[t - 16];
	a = h[0];
	bb = h[1];
	c = h[2];
	d = h[3];
	e = h[4];
	f = h[5];
	g = h[6];
	hh = h[7];
	for (t = 0; t < 64; t++) {
		t1 = hh + BSIG1(e) + CH(e, f, g) + K[t] + w[t];
		t2 = BSIG0(a) + MAJ(a, bb, c);
		hh = g;
		g = f;
		f = e;
		e = d + t1;
		d = c;
		c = bb;
		bb = a;
		a = t1 + t2;
	}
	h[0] += a;
	h[1] += bb;
	h[2] += c;
	h[3] += d;
	h[4] += e;
	h[5] += f;
	h[6] += g;
	h[7] += hh;
}

#ifdef B2B__SHA_NI
/*
 * `n` blocks with the SHA-NI instructions. The state is kept as the two
 * lanes the instructions use (ABEF, CDGH); each step of the loop does
 * four rounds, with the message schedule of §6.2.2 step 1 computed four
 * words per step (sha256msg1 adds σ0(W[t-15]) to W[t-16], the alignr
 * brings W[t-7], sha256msg2 adds σ1(W[t-2])).
 */
__attribute__((target("sha,sse4.1"))) static void
compress_ni(uint32_t h[8], const unsigned char *b, size_t n)
{
	const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);
	__m128i st0, st1, tmp, save0, save1, m[4], k;
	int i;

	tmp = _mm_loadu_si128((const __m128i *)(const void *)&h[0]);
	st1 = _mm_loadu_si128((const __m128i *)(const void *)&h[4]);
	tmp = _mm_shuffle_epi32(tmp, 0xB1);           /* CDAB */
	st1 = _mm_shuffle_epi32(st1, 0x1B);           /* EFGH */
	st0 = _mm_alignr_epi8(tmp, st1, 8);           /* ABEF */
	st1 = _mm_blend_epi16(st1, tmp, 0xF0);        /* CDGH */
	for (; n > 0; n--, b += 64) {
		save0 = st0;
		save1 = st1;
		for (i = 0; i < 16; i++) {
			if (i < 4) {
				m[i] = _mm_shuffle_epi8(
					_mm_loadu_si128((const __m128i *)(const void *)(b + 16 * i)),
					bswap);
			} else {
				/* m[i&3] holds W of group i-4, m[(i+1)&3] i-3,
				 * m[(i+2)&3] i-2, m[(i+3)&3] i-1. */
				tmp = _mm_sha256msg1_epu32(m[i & 3], m[(i + 1) & 3]);
				tmp = _mm_add_epi32(tmp, _mm_alignr_epi8(m[(i + 3) & 3],
				                                         m[(i + 2) & 3], 4));
				m[i & 3] = _mm_sha256msg2_epu32(tmp, m[(i + 3) & 3]);
			}
			k = _mm_add_epi32(m[i & 3],
			                  _mm_loadu_si128((const __m128i *)(const void *)&K[4 * i]));
			st1 = _mm_sha256rnds2_epu32(st1, st0, k);
			k = _mm_shuffle_epi32(k, 0x0E);
			st0 = _mm_sha256rnds2_epu32(st0, st1, k);
		}
		st0 = _mm_add_epi32(st0, save0);
		st1 = _mm_add_epi32(st1, save1);
	}
	tmp = _mm_shuffle_epi32(st0, 0x1B);           /* FEBA */
	st1 = _mm_shuffle_epi32(st1, 0xB1);           /* DCHG */
	st0 = _mm_blend_epi16(tmp, st1, 0xF0);        /* DCBA */
	st1 = _mm_alignr_epi8(st1, tmp, 8);           /* ABEF */
	_mm_storeu_si128((__m128i *)(void *)&h[0], st0);
	_mm_storeu_si128((__m128i *)(void *)&h[4], st1);
}

static int
have_sha_ni(void)
{
	unsigned int a, b, c, d;

	/* leaf 1: ECX bit 9 SSSE3, bit 19 SSE4.1; leaf 7: EBX bit 29 SHA */
	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & (1u << 9)) || !(c & (1u << 19)))
		return 0;
	if (!__get_cpuid_count(7, 0, &a, &b, &c, &d))
		return 0;
	return (b >> 29) & 1u;
}
#endif

/* `n` consecutive 64-byte blocks. */
static void
compress_blocks(const b2b__sha256 *s, uint32_t h[8], const unsigned char *b, size_t n)
{
#ifdef B2B__SHA_NI
	if (s->ni) {
		compress_ni(h, b, n);
		return;
	}
#else
	(void)s;
#endif
	for (; n > 0; n--, b += 64)
		compress(h, b);
}

void
b2b__sha256_init(b2b__sha256 *s)
{
	memcpy(s->h, H0, sizeof(H0));
	s->nbytes = 0;
	s->blen = 0;
#ifdef B2B__SHA_NI
	s->ni = have_sha_ni();
#else
	s->ni = 0;
#endif
}

void
b2b__sha256_update(b2b__sha256 *s, const void *data, size_t len)
{
	const unsigned char *p = data;

	if (len == 0)
		return;          /* data may then be NULL */
	s->nbytes += (uint64_t)len;
	if (s->blen != 0) {
		size_t take = 64 - s->blen;

		if (take > len)
			take = len;
		memcpy(s->block + s->blen, p, take);
		s->blen += take;
		p += take;
		len -= take;
		if (s->blen < 64)
			return;
		compress_blocks(s, s->h, s->block, 1);
		s->blen = 0;
	}
	if (len >= 64) {
		compress_blocks(s, s->h, p, len / 64);
		p += len & ~(size_t)63;
		len &= 63;
	}
	if (len != 0) {
		memcpy(s->block, p, len);
		s->blen = len;
	}
}

void
b2b__sha256_final(b2b__sha256 *s, unsigned char out[32])
{
	/* §5.1.1: a 1 bit, zeros up to 448 mod 512, then the length in bits
	 * as a 64-bit big-endian integer. */
	uint64_t bits = s->nbytes * 8u;
	int i;

	s->block[s->blen++] = 0x80;
	if (s->blen > 56) {
		memset(s->block + s->blen, 0, 64 - s->blen);
		compress_blocks(s, s->h, s->block, 1);
		s->blen = 0;
	}
	memset(s->block + s->blen, 0, 56 - s->blen);
	for (i = 0; i < 8; i++)
		s->block[56 + i] = (unsigned char)(bits >> (56 - 8 * i));
	compress_blocks(s, s->h, s->block, 1);
	for (i = 0; i < 8; i++) {
		out[4 * i] = (unsigned char)(s->h[i] >> 24);
		out[4 * i + 1] = (unsigned char)(s->h[i] >> 16);
		out[4 * i + 2] = (unsigned char)(s->h[i] >> 8);
		out[4 * i + 3] = (unsigned char)s->h[i];
	}
	s->blen = 0;
}

void
b2b__sha256_hex(const unsigned char d[32], char out[65])
{
	static const char hex[] = "0123456789abcdef";
	int i;

	for (i = 0; i < 32; i++) {
		out[2 * i] = hex[d[i] >> 4];
		out[2 * i + 1] = hex[d[i] & 15];
	}
	out[64] = '\0';
}
