/* Exact money with libb2bcore: parse, multiply, round once, allocate. */
#include <stdio.h>
#include <string.h>
#include <b2b.h>

static const char *
fmt(char *buf, b2b_dec v)
{
	if (b2b_dec_format(buf, B2B_DEC_FORMAT_MAX, NULL, v, 2, B2B_ROUND_HALF_UP) != 0)
		return "?";
	return buf;
}

int
main(void)
{
	const char *text[2] = {"19.99", "0.215"};
	b2b_dec price, qty, up, even, lines[3], parts[3], discount;
	char a[B2B_DEC_FORMAT_MAX], b[B2B_DEC_FORMAT_MAX];
	int i;

	b2b_dec_from_units(&qty, 3, 0);                       /* 3 units */
	for (i = 0; i < 2; i++) {
		if (b2b_dec_parse(&price, NULL, text[i], strlen(text[i]), 0) != 0)
			return 1;
		/* exact product, rounded once: 0.215 × 3 = 0.645 → 0.65 or 0.64 */
		if (b2b_dec_mul(&up, price, qty, 2, B2B_ROUND_HALF_UP) != 0 ||
		    b2b_dec_mul(&even, price, qty, 2, B2B_ROUND_HALF_EVEN) != 0)
			return 1;
		printf("%s x 3 = %s (half_up), %s (half_even)\n", text[i], fmt(a, up), fmt(b, even));
	}
	for (i = 0; i < 3; i++)                               /* three lines of 100.00 */
		b2b_dec_from_units(&lines[i], 10000, 2);
	b2b_dec_from_units(&discount, 1000, 2);               /* 10.00 off the order */
	if (b2b_dec_allocate(parts, discount, lines, 3, 2) != 0)
		return 1;
	for (i = 0; i < 3; i++)                               /* 3.34 + 3.33 + 3.33 = 10.00 */
		printf("line %d: discount %s\n", i + 1, fmt(a, parts[i]));
	return 0;
}
