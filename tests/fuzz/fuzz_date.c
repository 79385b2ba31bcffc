/*
 * Fuzz target: b2b_time_parse / format / add_days / cmp. Only the two
 * exact forms are accepted, so whatever parses must format back to the
 * same bytes and re-parse to the same value; a shift by d days and back
 * returns the same instant.
 *
 * libFuzzer build (outside meson), from the repository root:
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -DB2B_STATIC \
 *     -Iinclude -Isrc -I<builddir>/include tests/fuzz/fuzz_date.c src/date.c \
 *     -o /tmp/fuzz_date
 *   /tmp/fuzz_date -max_total_time=60 /tmp/date-corpus tests/fuzz/corpus/date
 *
 * meson links the same file with tests/fuzz/replay.c and replays
 * tests/fuzz/corpus/date/ as the test fuzz-replay-date.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "b2b.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	char buf[B2B_TIME_FORMAT_MAX];
	b2b_time t, u, v;
	size_t errpos = (size_t)-1, needed = 0;
	int64_t days = 0;
	size_t i;

	if (b2b_time_parse(&t, &errpos, s, size) != 0) {
		if (errpos > size)
			abort();
		return 0;
	}
	if (size != 10 && size != 20)
		abort();
	if (b2b_time_format(buf, sizeof(buf), &needed, t) != 0 || needed != size + 1)
		abort();
	if (memcmp(buf, s, size) != 0 || buf[size] != '\0')
		abort();
	if (b2b_time_parse(&u, NULL, buf, size) != 0 || u.sec != t.sec || u.form != t.form)
		abort();
	/* a shift taken from the text's digits, and back */
	for (i = 0; i < size; i++)
		days = days * 7 + (data[i] & 15);
	days %= 4000000;
	if (data[0] & 1)
		days = -days;
	if (b2b_time_add_days(&u, t, days) == 0) {
		if (b2b_time_add_days(&v, u, -days) != 0 || v.sec != t.sec || v.form != t.form)
			abort();
		if (b2b_time_cmp(u, t) != (days > 0 ? 1 : days < 0 ? -1 : 0))
			abort();
		if (b2b_time_format(buf, sizeof(buf), NULL, u) != 0)
			abort();
	}
	return 0;
}
