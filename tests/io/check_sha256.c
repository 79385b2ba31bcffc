/*
 * Tests: the internal SHA-256 (src/sha256.h) against the FIPS 180-4 /
 * NIST example vectors, fed whole and in odd-sized chunks, plus the
 * padding boundaries (55, 56, 63, 64, 65, 119, 120 bytes).
 */
#include <string.h>

#include "sha256.h"
#include "support/testmain.h"

static void
digest_hex(const void *data, size_t len, size_t chunk, char hex[65])
{
	const unsigned char *p = data;
	unsigned char d[32];
	b2b__sha256 s;

	b2b__sha256_init(&s);
	if (chunk == 0) {
		b2b__sha256_update(&s, p, len);
	} else {
		while (len > 0) {
			size_t n = len < chunk ? len : chunk;

			b2b__sha256_update(&s, p, n);
			p += n;
			len -= n;
		}
	}
	b2b__sha256_final(&s, d);
	b2b__sha256_hex(d, hex);
}

/* NIST "SHA256.pdf" examples and the long-message vector of FIPS 180-2
 * appendix B (also in the NIST CAVP short/long message sets). */
static const struct {
	const char *msg;
	const char *hex;
} nist[] = {
	{ "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
	{ "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
	{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
	  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
	{ "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
	  "ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
	  "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1" },
};

START_TEST(test_nist_vectors)
{
	static const size_t chunks[] = { 0, 1, 3, 7, 63, 64, 65 };
	size_t k;

	for (k = 0; k < sizeof(chunks) / sizeof(chunks[0]); k++) {
		char hex[65];

		digest_hex(nist[_i].msg, strlen(nist[_i].msg), chunks[k], hex);
		ck_assert_str_eq(hex, nist[_i].hex);
	}
}
END_TEST

START_TEST(test_million_a)
{
	static const size_t chunks[] = { 0, 1, 13, 64, 997, 4096 };
	static char a[1000000];
	size_t k;

	memset(a, 'a', sizeof(a));
	for (k = 0; k < sizeof(chunks) / sizeof(chunks[0]); k++) {
		char hex[65];

		digest_hex(a, sizeof(a), chunks[k], hex);
		ck_assert_str_eq(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	}
}
END_TEST

/* Messages 0x00 0x01 … (n − 1) around the one- and two-block padding
 * limits; digests from an independent implementation (Python hashlib). */
static const struct {
	size_t n;
	const char *hex;
} edges[] = {
	{ 55, "463eb28e72f82e0a96c0a4cc53690c571281131f672aa229e0d45ae59b598b59" },
	{ 56, "da2ae4d6b36748f2a318f23e7ab1dfdf45acdc9d049bd80e59de82a60895f562" },
	{ 63, "29af2686fd53374a36b0846694cc342177e428d1647515f078784d69cdb9e488" },
	{ 64, "fdeab9acf3710362bd2658cdc9a29e8f9c757fcf9811603a8c447cd1d9151108" },
	{ 65, "4bfd2c8b6f1eec7a2afeb48b934ee4b2694182027e6d0fc075074f2fabb31781" },
	{ 119, "da18797ed7c3a777f0847f429724a2d8cd5138e6ed2895c3fa1a6d39d18f7ec6" },
	{ 120, "f52b23db1fbb6ded89ef42a23ce0c8922c45f25c50b568a93bf1c075420bbb7c" },
};

START_TEST(test_padding_edges)
{
	unsigned char msg[128];
	size_t i, k;

	for (i = 0; i < sizeof(msg); i++)
		msg[i] = (unsigned char)i;
	for (k = 1; k <= 9; k += 4) {
		char hex[65];

		digest_hex(msg, edges[_i].n, k == 1 ? 0 : k, hex);
		ck_assert_str_eq(hex, edges[_i].hex);
	}
}
END_TEST

START_TEST(test_reuse_after_init_and_hex)
{
	unsigned char d[32];
	char hex[65];
	b2b__sha256 s;
	int i;

	b2b__sha256_init(&s);
	b2b__sha256_update(&s, "junk", 4);
	b2b__sha256_final(&s, d);
	b2b__sha256_init(&s);
	b2b__sha256_update(&s, "ab", 2);
	b2b__sha256_update(&s, NULL, 0);
	b2b__sha256_update(&s, "c", 1);
	b2b__sha256_final(&s, d);
	b2b__sha256_hex(d, hex);
	ck_assert_str_eq(hex, nist[0].hex);
	for (i = 0; i < 32; i++)
		d[i] = (unsigned char)(i * 8 + 7);
	b2b__sha256_hex(d, hex);
	ck_assert_str_eq(hex, "070f171f272f373f474f575f676f777f878f979fa7afb7bfc7cfd7dfe7eff7ff");
	ck_assert_uint_eq(strlen(hex), 64);
}
END_TEST

static Suite *
sha256_suite(void)
{
	Suite *s = suite_create("sha256");
	TCase *core = tcase_create("Core"), *limits = tcase_create("Limits");

	tcase_add_loop_test(core, test_nist_vectors, 0,
	                    (int)(sizeof(nist) / sizeof(nist[0])));
	tcase_add_test(core, test_reuse_after_init_and_hex);
	tcase_add_test(limits, test_million_a);
	tcase_add_loop_test(limits, test_padding_edges, 0,
	                    (int)(sizeof(edges) / sizeof(edges[0])));
	suite_add_tcase(s, core);
	suite_add_tcase(s, limits);
	return s;
}

int
main(void)
{
	return b2b_test_run(sha256_suite());
}
