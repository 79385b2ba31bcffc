/*
 * Tests: a line-oriented driver of b2b_dec for tests/dec_diff.py. One
 * operation per line on stdin, one result per line on stdout (a value in
 * B2B_DEC_SCALE_EXACT form, or the name of the status, e.g. EOVERFLOW):
 *
 *   parse S [json]          fmt A SCALE MODE        units A SCALE MODE
 *   add A B                 sub A B                 cmp A B
 *   mul A B SCALE MODE      div A B SCALE MODE      percent A B SCALE MODE
 *   round A SCALE MODE      round_multiple A M MODE
 *   allocate TOTAL SCALE W1,W2,...   (parts separated by blanks)
 *
 * Operands are parsed with b2b_dec_parse(); a bad operand prints "BADARG".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "b2b.h"

#define MAX_TOKENS 8
#define MAX_PARTS 4096

static const char *
status_name(int rc)
{
	switch (rc) {
	case B2B_EINVAL: return "EINVAL";
	case B2B_EOVERFLOW: return "EOVERFLOW";
	case B2B_EBUFS: return "EBUFS";
	case B2B_EPARSE: return "EPARSE";
	case B2B_EPRECISION: return "EPRECISION";
	case B2B_EDIVZERO: return "EDIVZERO";
	default: return "ERROR";
	}
}

static int
arg_dec(b2b_dec *out, const char *s)
{
	return b2b_dec_parse(out, NULL, s, strlen(s), 0) == 0;
}

static void
print_dec(b2b_dec v)
{
	char buf[B2B_DEC_FORMAT_MAX];
	int rc = b2b_dec_format(buf, sizeof(buf), NULL, v, B2B_DEC_SCALE_EXACT, B2B_ROUND_HALF_UP);

	fputs(rc == 0 ? buf : status_name(rc), stdout);
}

static int
run_allocate(char **tok, int ntok)
{
	static b2b_dec weights[MAX_PARTS], parts[MAX_PARTS];
	b2b_dec total;
	size_t n = 0, i;
	char *w, *save = NULL;
	int rc;

	if (ntok < 3 || !arg_dec(&total, tok[1]))
		return B2B_EINVAL - 1000;
	if (ntok >= 4 && strcmp(tok[3], "-") != 0) {
		for (w = strtok_r(tok[3], ",", &save); w != NULL; w = strtok_r(NULL, ",", &save)) {
			if (n == MAX_PARTS || !arg_dec(&weights[n], w))
				return B2B_EINVAL - 1000;
			n++;
		}
	}
	rc = b2b_dec_allocate(parts, total, weights, n, atoi(tok[2]));
	if (rc != 0)
		return rc;
	for (i = 0; i < n; i++) {
		if (i > 0)
			putchar(' ');
		print_dec(parts[i]);
	}
	return 0;
}

static int
run(char **tok, int ntok)
{
	const char *op = tok[0];
	b2b_dec a, b, r;
	b2b_rounding mode;
	int64_t units;
	int rc;

	if (strcmp(op, "parse") == 0) {
		unsigned flags = ntok > 2 && strcmp(tok[2], "json") == 0 ? B2B_DEC_PARSE_JSON : 0;

		if (ntok < 2)
			return B2B_EINVAL - 1000;
		rc = b2b_dec_parse(&r, NULL, tok[1], strlen(tok[1]), flags);
		if (rc == 0)
			print_dec(r);
		return rc;
	}
	if (strcmp(op, "allocate") == 0)
		return run_allocate(tok, ntok);
	if (ntok < 2 || !arg_dec(&a, tok[1]))
		return B2B_EINVAL - 1000;
	if (strcmp(op, "add") == 0 || strcmp(op, "sub") == 0 || strcmp(op, "cmp") == 0) {
		if (ntok != 3 || !arg_dec(&b, tok[2]))
			return B2B_EINVAL - 1000;
		if (op[0] == 'c') {
			printf("%d", b2b_dec_cmp(a, b));
			return 0;
		}
		rc = op[0] == 'a' ? b2b_dec_add(&r, a, b) : b2b_dec_sub(&r, a, b);
	} else if (strcmp(op, "mul") == 0 || strcmp(op, "div") == 0 ||
	           strcmp(op, "percent") == 0) {
		if (ntok != 5 || !arg_dec(&b, tok[2]) ||
		    b2b_rounding_parse(&mode, tok[4], strlen(tok[4])) != 0)
			return B2B_EINVAL - 1000;
		if (op[0] == 'm')
			rc = b2b_dec_mul(&r, a, b, atoi(tok[3]), mode);
		else if (op[0] == 'd')
			rc = b2b_dec_div(&r, a, b, atoi(tok[3]), mode);
		else
			rc = b2b_dec_percent(&r, a, b, atoi(tok[3]), mode);
	} else if (strcmp(op, "round") == 0 || strcmp(op, "fmt") == 0 ||
	           strcmp(op, "units") == 0) {
		if (ntok != 4 || b2b_rounding_parse(&mode, tok[3], strlen(tok[3])) != 0)
			return B2B_EINVAL - 1000;
		if (op[0] == 'f') {
			char buf[B2B_DEC_FORMAT_MAX];

			rc = b2b_dec_format(buf, sizeof(buf), NULL, a, atoi(tok[2]), mode);
			if (rc == 0)
				fputs(buf, stdout);
			return rc;
		}
		if (op[0] == 'u') {
			rc = b2b_dec_to_units(&units, a, atoi(tok[2]), mode);
			if (rc == 0)
				printf("%lld", (long long)units);
			return rc;
		}
		rc = b2b_dec_round(&r, a, atoi(tok[2]), mode);
	} else if (strcmp(op, "round_multiple") == 0) {
		if (ntok != 4 || !arg_dec(&b, tok[2]) ||
		    b2b_rounding_parse(&mode, tok[3], strlen(tok[3])) != 0)
			return B2B_EINVAL - 1000;
		rc = b2b_dec_round_multiple(&r, a, b, mode);
	} else {
		return B2B_EINVAL - 1000;
	}
	if (rc == 0)
		print_dec(r);
	return rc;
}

int
main(void)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t got;

	while ((got = getline(&line, &cap, stdin)) >= 0) {
		char *tok[MAX_TOKENS], *save = NULL, *t;
		int ntok = 0, rc;

		for (t = strtok_r(line, " \t\r\n", &save); t != NULL && ntok < MAX_TOKENS;
		     t = strtok_r(NULL, " \t\r\n", &save))
			tok[ntok++] = t;
		if (ntok == 0) {
			putchar('\n');
			continue;
		}
		rc = run(tok, ntok);
		if (rc == B2B_EINVAL - 1000)
			fputs("BADARG", stdout);
		else if (rc != 0)
			fputs(status_name(rc), stdout);
		putchar('\n');
	}
	free(line);
	return ferror(stdout) ? 1 : 0;
}
