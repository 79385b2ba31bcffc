/*
 * Fuzz target: b2b_dec_parse (both grammars) and b2b_dec_format.
 *
 * libFuzzer build (outside meson), from the source root:
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
 *     -D_POSIX_C_SOURCE=200809L -Iinclude -I<builddir>/include -Isrc \
 *     tests/fuzz/fuzz_dec.c src/money.c src/rounding.c -o /tmp/fuzz_dec
 *   /tmp/fuzz_dec -max_total_time=600 /tmp/dec-corpus tests/fuzz/corpus/dec
 * Meson links it with tests/fuzz/replay.c and replays the seed corpus
 * tests/fuzz/corpus/dec/ as the test fuzz-replay-dec.
 *
 * Properties (a violation calls __builtin_trap()):
 *  - parse never fails with another code than EPARSE, EPRECISION,
 *    EOVERFLOW; on EPARSE the error position is within the input;
 *  - a parsed value formats (EXACT) and re-parses to the same value, in
 *    both grammars, and the text is canonical (re-formatting is stable);
 *  - format at every scale 0..9 in every mode succeeds or is EOVERFLOW,
 *    writes exactly `scale` fractional digits, never "-0", and agrees with
 *    b2b_dec_round(); measuring gives the same size;
 *  - JSON accepts everything the plain grammar accepts, without leading
 *    zeros, with the same value.
 */
#include <stdint.h>
#include <string.h>

#include "b2b/money.h"
#include "b2b/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) __builtin_trap(); } while (0)

static int
same(b2b_dec a, b2b_dec b)
{
	return a.lo == b.lo && a.hi == b.hi;
}

static void
check_value(b2b_dec v)
{
	char buf[B2B_DEC_FORMAT_MAX], again[B2B_DEC_FORMAT_MAX];
	size_t need = 0, need2 = 0, len;
	b2b_dec w;
	int scale, mode, rc;

	rc = b2b_dec_format(buf, sizeof(buf), &need, v, B2B_DEC_SCALE_EXACT, B2B_ROUND_HALF_UP);
	CHECK(rc == 0);
	len = strlen(buf);
	CHECK(need == len + 1);
	CHECK(b2b_dec_parse(&w, NULL, buf, len, 0) == 0 && same(v, w));
	CHECK(b2b_dec_parse(&w, NULL, buf, len, B2B_DEC_PARSE_JSON) == 0 && same(v, w));
	CHECK(b2b_dec_format(again, sizeof(again), NULL, w, B2B_DEC_SCALE_EXACT, 0) == 0);
	CHECK(strcmp(buf, again) == 0);
	CHECK(b2b_dec_scale(v) == (strchr(buf, '.') ? (int)strlen(strchr(buf, '.') + 1) : 0));

	for (scale = 0; scale <= B2B_DEC_SCALE; scale++) {
		for (mode = 0; mode <= (int)B2B_ROUND_FLOOR; mode++) {
			b2b_dec r;
			const char *dot, *p;
			int zero = 1;

			rc = b2b_dec_format(buf, sizeof(buf), &need, v, scale, (b2b_rounding)mode);
			CHECK(rc == 0 || rc == B2B_EOVERFLOW);
			CHECK(b2b_dec_round(&r, v, scale, (b2b_rounding)mode) == rc);
			if (rc != 0)
				continue;
			CHECK(b2b_dec_format(NULL, 0, &need2, v, scale, (b2b_rounding)mode) == 0);
			CHECK(need2 == need && need == strlen(buf) + 1);
			dot = strchr(buf, '.');
			CHECK(scale == 0 ? dot == NULL : dot != NULL && (int)strlen(dot + 1) == scale);
			for (p = buf; *p; p++)
				if (*p >= '1' && *p <= '9')
					zero = 0;
			CHECK(!(zero && buf[0] == '-'));
			CHECK(b2b_dec_parse(&w, NULL, buf, strlen(buf), 0) == 0 && same(w, r));
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	b2b_dec plain, json;
	size_t pos = (size_t)-1;
	int rp, rj;

	rp = b2b_dec_parse(&plain, &pos, s, size, 0);
	CHECK(rp == 0 || rp == B2B_EPARSE || rp == B2B_EPRECISION || rp == B2B_EOVERFLOW);
	if (rp == B2B_EPARSE)
		CHECK(pos <= size);
	pos = (size_t)-1;
	rj = b2b_dec_parse(&json, &pos, s, size, B2B_DEC_PARSE_JSON);
	CHECK(rj == 0 || rj == B2B_EPARSE || rj == B2B_EPRECISION || rj == B2B_EOVERFLOW);
	if (rj == B2B_EPARSE)
		CHECK(pos <= size);

	if (rp == 0) {
		size_t i = (size > 0 && s[0] == '-') ? 1 : 0;
		int leading_zero = size > i + 1 && s[i] == '0' && s[i + 1] >= '0' && s[i + 1] <= '9';

		if (!leading_zero)
			CHECK(rj == 0 && same(plain, json));
		check_value(plain);
	}
	if (rj == 0)
		check_value(json);
	/* the raw bytes as a coefficient too: format must cope with anything */
	if (size >= sizeof(b2b_dec)) {
		b2b_dec raw;
		char buf[B2B_DEC_FORMAT_MAX];
		int rc;

		memcpy(&raw, data, sizeof(raw));
		rc = b2b_dec_format(buf, sizeof(buf), NULL, raw, B2B_DEC_SCALE_EXACT, 0);
		CHECK(rc == 0 || rc == B2B_EOVERFLOW);
		if (rc == 0)
			check_value(raw);
	}
	return 0;
}
