/*
 * Tests: the SHA-256 of the b2b program (src/cli/checksum.c), which
 * computes the checksum of `b2b bench price`: the FIPS 180-4 example
 * digests, padding at every length around the block boundaries, any split
 * of the input into updates, and the same digests as the library's own
 * SHA-256 (src/io/sha256.c) on 0..300 bytes.
 */
#include <stdio.h>
#include <string.h>

#include "b2b.h"
#include "checksum.h"
#include "sha256.h"
#include "support/testmain.h"

static void
digest(const void *data, size_t n, char out[65])
{
	cli_sha256 s;

	cli_sha256_init(&s);
	cli_sha256_update(&s, data, n);
	cli_sha256_hex(&s, out);
}

START_TEST(test_fips_examples)
{
	static const char two_blocks[] =
		"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	char hex[65], a[1000];
	cli_sha256 s;
	int i;

	digest("", 0, hex);
	ck_assert_str_eq(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	digest("abc", 3, hex);
	ck_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	digest(two_blocks, strlen(two_blocks), hex);
	ck_assert_str_eq(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	/* one million 'a', in updates of 1000 */
	memset(a, 'a', sizeof a);
	cli_sha256_init(&s);
	for (i = 0; i < 1000; i++)
		cli_sha256_update(&s, a, sizeof a);
	cli_sha256_hex(&s, hex);
	ck_assert_str_eq(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}
END_TEST

/* Every length 0..300 (the padding cases 55, 56, 63, 64, 119, 120 among
 * them), as the library computes it, in one update and byte by byte. */
START_TEST(test_same_as_the_library)
{
	unsigned char data[300], d[32];
	char mine[65], lib[65], bytewise[65];
	size_t n, i;

	for (i = 0; i < sizeof data; i++)
		data[i] = (unsigned char)(i * 131 + 7);
	for (n = 0; n <= sizeof data; n++) {
		b2b__sha256 ls;
		cli_sha256 s;

		b2b__sha256_init(&ls);
		b2b__sha256_update(&ls, data, n);
		b2b__sha256_final(&ls, d);
		b2b__sha256_hex(d, lib);
		digest(data, n, mine);
		cli_sha256_init(&s);
		for (i = 0; i < n; i++)
			cli_sha256_update(&s, data + i, 1);
		cli_sha256_hex(&s, bytewise);
		ck_assert_msg(strcmp(mine, lib) == 0, "length %zu: %s, library %s", n, mine, lib);
		ck_assert_str_eq(bytewise, lib);
	}
}
END_TEST

/* The checksum's own shape: text lines fed one update each. */
START_TEST(test_lines_as_updates)
{
	static const char *const lines[] = { "12.5000\n", "!2\n", "0.0100\n" };
	char whole[65], parts[65];
	cli_sha256 s;
	size_t i;

	digest("12.5000\n!2\n0.0100\n", 18, whole);
	cli_sha256_init(&s);
	for (i = 0; i < 3; i++)
		cli_sha256_update(&s, lines[i], strlen(lines[i]));
	cli_sha256_hex(&s, parts);
	ck_assert_str_eq(parts, whole);
	cli_sha256_init(&s);
	cli_sha256_update(&s, NULL, 0);
	cli_sha256_hex(&s, parts);
	ck_assert_str_eq(parts, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}
END_TEST

static Suite *
checksum_suite(void)
{
	Suite *s = suite_create("checksum");
	TCase *tc = tcase_create("Core");

	tcase_add_test(tc, test_fips_examples);
	tcase_add_test(tc, test_same_as_the_library);
	tcase_add_test(tc, test_lines_as_updates);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return b2b_test_run(checksum_suite());
}
