/*
 * libb2bcore — the book builder's growable arrays and its string pool:
 * every string of the book in one block, keys interned through a hash
 * set (so that equal keys are one b2b__str), free text appended; and the
 * provisional tax classes (book_builder.h).
 * SPDX-License-Identifier: MIT
 */
#include <string.h>

#include "book_builder.h"

#if defined(__GNUC__) || defined(__clang__)
#  define PREFETCH(p) __builtin_prefetch((p), 0, 3)
#else
#  define PREFETCH(p) ((void)(p))
#endif

/*===========================================================================
 * MARK: - Vectors, pool and interning
 *===========================================================================*/

void *
b2b__bb_vec_push(const b2b_allocator *a, b2b__vec *v, size_t elem)
{
	char *p;

	if (v->n == v->cap &&
	    b2b__grow(a, &v->p, &v->cap, v->n + 1, elem) < 0)
		return NULL;
	p = (char *)v->p + v->n * elem;
	memset(p, 0, elem);
	v->n++;
	return p;
}

void
b2b__bb_vec_free(const b2b_allocator *a, b2b__vec *v, size_t elem)
{
	b2b__free(a, v->p, v->cap * elem);
	v->p = NULL;
	v->n = v->cap = 0;
}

static uint32_t
hash_bytes(const char *s, size_t n)
{
	uint64_t h = 0x9E3779B97F4A7C15u ^ ((uint64_t)n * 0xff51afd7ed558ccdu);
	uint64_t w;

	while (n >= 8) {
		memcpy(&w, s, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdu;
		h ^= h >> 32;
		s += 8;
		n -= 8;
	}
	w = 0;
	if (n != 0)
		memcpy(&w, s, n);
	h = (h ^ w) * 0xc4ceb9fe1a85ec53u;
	h ^= h >> 29;
	h *= 0x94d049bb133111ebu;
	h ^= h >> 32;
	return (uint32_t)h;
}

/* Append `pre` (plen bytes), then len bytes and a NUL; *off receives the
 * offset of s's copy. s may point into the pool itself. */
static int
pool_append_pre(b2b_book_builder *b, const char *pre, size_t plen, const char *s, size_t len,
                b2b__str *off)
{
	size_t need = b->pool_len + plen + len + 1;

	if (need > UINT32_MAX)
		return B2B_ENOMEM;   /* a b2b__str is 32 bits: 4 GiB of strings at most */
	if (need > b->pool_cap) {
		size_t from = (size_t)-1;
		void *p = b->pool;

		if (s >= b->pool && s < b->pool + b->pool_cap)
			from = (size_t)(s - b->pool);
		if (b2b__grow(&b->alloc, &p, &b->pool_cap, need, 1) < 0)
			return B2B_ENOMEM;
		b->pool = p;
		if (from != (size_t)-1)
			s = b->pool + from;
	}
	if (plen != 0) {
		memcpy(b->pool + b->pool_len, pre, plen);
		b->pool_len += plen;
	}
	if (len != 0)
		memcpy(b->pool + b->pool_len, s, len);
	b->pool[b->pool_len + len] = '\0';
	*off = (b2b__str)b->pool_len;
	b->pool_len += len + 1;
	return 0;
}

int
b2b__bb_pool_append(b2b_book_builder *b, const char *s, size_t len, b2b__str *off)
{
	return pool_append_pre(b, NULL, 0, s, len, off);
}

static int
ht_grow(b2b_book_builder *b)
{
	size_t ncap = b->ht_cap == 0 ? 1024 : b->ht_cap * 2, i;
	uint64_t *nt = b2b__calloc(&b->alloc, ncap, sizeof(uint64_t));

	if (nt == NULL)
		return B2B_ENOMEM;
	for (i = 0; i < b->ht_cap; i++) {
		uint64_t e = b->ht[i];
		size_t j;

		if (e == 0)
			continue;
		j = (size_t)(e >> 32) & (ncap - 1);
		while (nt[j] != 0)
			j = (j + 1) & (ncap - 1);
		nt[j] = e;
	}
	b2b__free(&b->alloc, b->ht, b->ht_cap * sizeof(uint64_t));
	b->ht = nt;
	b->ht_cap = ncap;
	return 0;
}

static int
ht_find(const b2b_book_builder *b, const char *s, size_t len, uint32_t h, size_t *slot)
{
	size_t mask = b->ht_cap - 1, i = h & mask;

	for (;;) {
		uint64_t e = b->ht[i];
		uint32_t off;

		if (e == 0) {
			*slot = i;
			return 0;
		}
		off = (uint32_t)e;
		if ((uint32_t)(e >> 32) == h && off + len < b->pool_len &&
		    b->pool[off + len] == '\0' && memcmp(b->pool + off, s, len) == 0) {
			*slot = i;
			return 1;
		}
		i = (i + 1) & mask;
	}
}

static int
intern_pre(b2b_book_builder *b, const char *pre, size_t plen, const char *s, size_t len,
           b2b__str *out)
{
	uint32_t h;
	size_t slot;
	b2b__str off;
	int rc;

	if (len == 0) {
		*out = 0;
		return 0;
	}
	if ((b->ht_n + 1) * 2 > b->ht_cap && (rc = ht_grow(b)) < 0)
		return rc;
	h = hash_bytes(s, len);
	if (ht_find(b, s, len, h, &slot)) {
		*out = (b2b__str)b->ht[slot];
		return 0;
	}
	if ((rc = pool_append_pre(b, pre, plen, s, len, &off)) < 0)
		return rc;
	b->ht[slot] = ((uint64_t)h << 32) | off;
	b->ht_n++;
	*out = off;
	return 0;
}

int
b2b__bb_intern(b2b_book_builder *b, const char *s, size_t len, b2b__str *out)
{
	return intern_pre(b, NULL, 0, s, len, out);
}

int
b2b__bb_intern_sku(b2b_book_builder *b, const char *s, size_t len, b2b__str *out)
{
	return intern_pre(b, "sku:", 4, s, len, out);
}

b2b__str
b2b__bb_find(const b2b_book_builder *b, const char *s, size_t len)
{
	size_t slot;

	if (len == 0 || b->ht_cap == 0)
		return 0;
	if (ht_find(b, s, len, hash_bytes(s, len), &slot))
		return (b2b__str)b->ht[slot];
	return 0;
}

uint32_t
b2b__bb_hash(const char *s, size_t len)
{
	return hash_bytes(s, len);
}

void
b2b__bb_prefetch_slot(const b2b_book_builder *b, uint32_t h)
{
	if (b->ht_cap != 0)
		PREFETCH(b->ht + (h & (b->ht_cap - 1)));
}

void
b2b__bb_prefetch_match(const b2b_book_builder *b, uint32_t h)
{
	uint64_t e;

	if (b->ht_cap == 0)
		return;
	e = b->ht[h & (b->ht_cap - 1)];
	if (e != 0 && (uint32_t)(e >> 32) == h && (uint32_t)e < b->pool_len)
		PREFETCH(b->pool + (uint32_t)e);
}

int
b2b__bb_tax_class(b2b_book_builder *b, b2b__str s, uint16_t *out)
{
	size_t mask, i;
	uint32_t *ids = b->tax_classes.p;

	if (b->tax_classes.n * 2 + 2 > b->tc_cap) {
		size_t ncap = b->tc_cap == 0 ? 64 : b->tc_cap * 2, k;
		uint32_t *nm = b2b__calloc(&b->alloc, ncap, sizeof(uint32_t));

		if (nm == NULL)
			return B2B_ENOMEM;
		for (k = 0; k < b->tax_classes.n; k++) {
			size_t j = (ids[k] * 2654435761u) & (ncap - 1);

			while (nm[j] != 0)
				j = (j + 1) & (ncap - 1);
			nm[j] = (uint32_t)k + 1;
		}
		b2b__free(&b->alloc, b->tc_map, b->tc_cap * sizeof(uint32_t));
		b->tc_map = nm;
		b->tc_cap = ncap;
	}
	mask = b->tc_cap - 1;
	for (i = (s * 2654435761u) & mask; b->tc_map[i] != 0; i = (i + 1) & mask) {
		if (ids[b->tc_map[i] - 1] == s) {
			*out = (uint16_t)(b->tc_map[i] - 1);
			return 0;
		}
	}
	if (b->tax_classes.n >= UINT16_MAX - 1)
		return B2B_EOVERFLOW;   /* reported by the caller */
	if (b2b__bb_vec_push(&b->alloc, &b->tax_classes, sizeof(b2b__str)) == NULL)
		return B2B_ENOMEM;
	ids = b->tax_classes.p;
	ids[b->tax_classes.n - 1] = s;
	b->tc_map[i] = (uint32_t)b->tax_classes.n;
	*out = (uint16_t)(b->tax_classes.n - 1);
	return 0;
}
