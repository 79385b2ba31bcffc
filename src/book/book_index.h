/*
 * libb2bcore — the layout of the book's indexes (struct b2b__index of
 * book_int.h), shared by book_index.c, which builds them at freeze, and
 * book_lookup.c, which reads them (the lookups of book_int.h).
 *
 * Every key index is a frozen open-addressing hash table of uint32_t
 * slots, each holding an element index (or B2B__NONE): 2n slots for n
 * keys (load factor 0.5 exactly; the table size is not a power of two,
 * a slot is chosen by multiply-shift range reduction of the hash's high
 * 32 bits), linear probing, built once at freeze and never changed. The
 * key itself lives in the element (products[i].sku…), so a table costs
 * 8 bytes per key: a product is 56 bytes of record + 8 of index.
 *
 * Items of price lists and contracts are indexed by (owner, scope): one
 * slot pair per group of items that share their owner and scope (the
 * builder lays those out contiguously), so a line finds its sku group,
 * each category ancestor's group and the `all` group in O(depth).
 * Dynamic rules and line promotions are bucketed by scope the same way
 * and merged back into application order (their array order).
 * SPDX-License-Identifier: MIT
 */
#ifndef B2B_SRC_BOOK_INDEX_H
#define B2B_SRC_BOOK_INDEX_H

#include <string.h>

#include "book_int.h"

typedef struct b2b__hash {
	uint32_t *slots;
	uint32_t n;
} b2b__hash;

/* Lists that apply to (kind, value): off/n into book->u32. */
typedef struct b2b__agroup {
	uint32_t kind;
	b2b__str value;
	uint32_t off, n;
} b2b__agroup;

/* Elements (rules or promotions) whose scope is (kind, id): off/n into elems. */
typedef struct b2b__sgroup {
	uint32_t kind;
	uint32_t id;
	uint32_t off, n;
} b2b__sgroup;

typedef struct b2b__scopeidx {
	b2b__sgroup *groups;
	size_t ngroups;
	b2b__hash hash;
	uint32_t *elems;    /* ascending element indexes, grouped */
	size_t nelems;
	unsigned kinds;     /* bit k: some element has a scope of kind k */
} b2b__scopeidx;

struct b2b__index {
	b2b__hash products, customers, lists, contracts, currencies, taxes;
	b2b__hash items, citems;
	/* per list / contract: bit k set when it has a group of scope kind k,
	 * so that lookups skip the probes that cannot find anything */
	uint8_t *list_kinds, *contract_kinds;
	b2b__agroup *agroups;
	size_t nagroups;
	b2b__hash ahash;
	b2b__scopeidx rules, promos;
	b2b__range order_promos;
	size_t u32_base;        /* book->nu32 before the index appended to it */
	size_t bytes;
};

/*===========================================================================
 * MARK: - hashing
 *===========================================================================*/

/* splitmix64's finaliser: a full-avalanche 64-bit mix. */
static inline uint64_t
mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= UINT64_C(0xbf58476d1ce4e5b9);
	x ^= x >> 27;
	x *= UINT64_C(0x94d049bb133111eb);
	x ^= x >> 31;
	return x;
}

static inline uint64_t
hash_key3(uint32_t owner, uint32_t kind, uint32_t id)
{
	return mix64(mix64(((uint64_t)kind << 32 | owner) + UINT64_C(0xe7037ed1a0b428db)) ^ id);
}

/* The home slot of hash h in a table of n slots (multiply-shift range reduction). */
static inline uint32_t
home(uint64_t h, uint32_t n)
{
	return (uint32_t)(((h >> 32) * (uint64_t)n) >> 32);
}

/* Does the pool string s equal the `len` bytes of key? (stops at s's NUL) */
static inline int
pool_eq(const char *s, const char *key, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] != key[i] || s[i] == '\0')
			return 0;
	return s[len] == '\0';
}

/* Has the 64-bit (32-bit) word a zero byte? Exact as a truth value. */
static inline int
has_zero8(uint64_t v)
{
	return ((v - UINT64_C(0x0101010101010101)) & ~v & UINT64_C(0x8080808080808080)) != 0;
}

static inline int
has_zero4(uint32_t v)
{
	return ((v - 0x01010101u) & ~v & 0x80808080u) != 0;
}

/*
 * pool_eq() of the book's string at `off`, without its byte loop for keys
 * of 4 to 16 bytes (every sku and customer id in practice): the string
 * can equal the key only if its len bytes and the NUL after them lie in
 * the pool and that NUL is at s[len]; then two loads of each side, which
 * overlap when len is not a whole number of words, compare every byte,
 * and the key's words show whether it holds a NUL (a pool string never
 * does, so such a key equals none). Same answer as pool_eq(), fewer
 * branches: the byte loop's exit was mispredicted about once per key.
 */
static inline int
pool_key_eq(const b2b_book *b, b2b__str off, const char *key, size_t len)
{
	const char *s = b->strings + off;

	if ((size_t)off + len >= b->strings_len || s[len] != '\0')
		return 0;
	if (len >= 8 && len <= 16) {
		uint64_t x, y, u, v;

		memcpy(&x, s, 8);
		memcpy(&y, key, 8);
		memcpy(&u, s + len - 8, 8);
		memcpy(&v, key + len - 8, 8);
		return ((x ^ y) | (u ^ v)) == 0 && !has_zero8(y) && !has_zero8(v);
	}
	if (len >= 4 && len < 8) {
		uint32_t x, y, u, v;

		memcpy(&x, s, 4);
		memcpy(&y, key, 4);
		memcpy(&u, s + len - 4, 4);
		memcpy(&v, key + len - 4, 4);
		return ((x ^ y) | (u ^ v)) == 0 && !has_zero4(y) && !has_zero4(v);
	}
	return pool_eq(s, key, len);
}

static inline int
item_same_group(const b2b__item *x, const b2b__item *y)
{
	return x->list == y->list && x->scope.kind == y->scope.kind && x->scope.id == y->scope.id;
}

/*
 * book_lookup.c: hashing and probing, the same at build and at lookup.
 * Each returns the element index found, or B2B__NONE.
 */

/* Hash `len` bytes, 8 at a time; the length is mixed in, so "a" and "a\0" differ. */
uint64_t b2b__ix_hash_bytes(const char *s, size_t len, uint64_t seed);
/* The hash of a tax row's (tax_class, region). */
uint64_t b2b__ix_tax_hash(const char *cls, size_t clen, const char *region, size_t rlen);
uint32_t b2b__ix_tax_find(const b2b_book *b, const b2b__hash *h, const char *cls,
                          const char *region, size_t rlen);
/* The hash of an applies_to group's (kind, value). */
uint64_t b2b__ix_agroup_hash(uint32_t kind, const char *value, size_t len);
uint32_t b2b__ix_agroup_find(const b2b_book *b, const struct b2b__index *ix, uint32_t kind,
                             const char *value, size_t len);
uint32_t b2b__ix_sgroup_find(const b2b__scopeidx *s, uint32_t kind, uint32_t id);

#endif
