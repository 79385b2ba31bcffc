/*
 * Tests: the streaming CSV reader (b2b/csv.h): csv-spectrum conformance,
 * RFC 4180 accept/reject cases with the line and column of every error
 * and what the reader reads after it (it goes on at the next record),
 * reads split at every byte, long records across buffer refills, file
 * and I/O errors, and an OOM loop.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "b2b.h"
#include "support/failalloc.h"
#include "support/testmain.h"

/* Records are compared as one string: FS after every field, RS after
 * every record (ASCII unit and record separators, absent from inputs). */
#define FS "\x1f"
#define RS "\x1e"

/*===========================================================================
 * Helpers
 *===========================================================================*/

typedef struct memsrc {
	const char *data;
	size_t len, pos;
	size_t chunk;           /* most bytes per callback; 0 = as many as asked */
	long calls;
} memsrc;

static long
mem_read(void *ud, char *buf, size_t size)
{
	memsrc *m = ud;
	size_t n = m->len - m->pos;

	m->calls++;
	if (n > size)
		n = size;
	if (m->chunk != 0 && n > m->chunk)
		n = m->chunk;
	memcpy(buf, m->data + m->pos, n);
	m->pos += n;
	return (long)n;
}

/* A growable string for the serialised records. */
typedef struct sbuf {
	char *p;
	size_t len, cap;
} sbuf;

static void
sb_add(sbuf *s, const char *t, size_t n)
{
	if (s->len + n + 1 > s->cap) {
		s->cap = (s->len + n + 1) * 2;
		s->p = realloc(s->p, s->cap);
		ck_assert_ptr_nonnull(s->p);
	}
	memcpy(s->p + s->len, t, n);
	s->len += n;
	s->p[s->len] = '\0';
}

typedef struct result {
	sbuf recs;              /* records read before the end or the first error */
	sbuf after;             /* after the first error: records, and "#line:col" RS
	                         * for each later error */
	int rc;                 /* 0 when no error, else the first error */
	int last;               /* how reading ended: 0 (the end), or a lasting error */
	long line, col;         /* of the first error */
	char msg[512];
	long nrecords;
} result;

/* Append the current record to s. */
static void
serialize(b2b_csv *r, sbuf *s)
{
	size_t i, n = b2b_csv_field_count(r);

	ck_assert_uint_gt(n, 0);
	for (i = 0; i < n; i++) {
		size_t len = 99;
		const char *f = b2b_csv_field(r, i, &len);

		ck_assert_uint_eq(strlen(f), len);   /* no NUL inside */
		sb_add(s, f, len);
		sb_add(s, FS, 1);
	}
	sb_add(s, RS, 1);
}

/*
 * Read every record of r into res, going on after each B2B_EPARSE (the
 * reader resumes at the next record) until the end or a lasting error
 * (B2B_EIO, B2B_ENOMEM), which must then come back on every call.
 */
static void
drain(b2b_csv *r, b2b_ctx *ctx, result *res)
{
	long calls = 0;
	int rc;

	memset(res, 0, sizeof(*res));
	sb_add(&res->recs, "", 0);
	sb_add(&res->after, "", 0);
	for (;;) {
		ck_assert_int_lt(++calls, 1000000);
		rc = b2b_csv_next(r, ctx);
		if (rc == 1) {
			serialize(r, res->rc == 0 ? &res->recs : &res->after);
			res->nrecords++;
			continue;
		}
		if (rc == 0)
			break;
		ck_assert_int_eq(b2b_ctx_errcode(ctx), rc);
		ck_assert_str_eq(b2b_ctx_errfile(ctx), b2b_csv_name(r));
		ck_assert_uint_eq(b2b_csv_field_count(r), 0);   /* a bad record has no fields */
		if (res->rc == 0) {
			res->rc = rc;
			res->line = b2b_ctx_errline(ctx);
			res->col = b2b_ctx_errcol(ctx);
			snprintf(res->msg, sizeof(res->msg), "%s", b2b_ctx_errmsg(ctx));
		} else {
			char e[64];

			snprintf(e, sizeof(e), "#%ld:%ld" RS, b2b_ctx_errline(ctx), b2b_ctx_errcol(ctx));
			sb_add(&res->after, e, strlen(e));
		}
		if (rc != B2B_EPARSE) {
			long line = b2b_ctx_errline(ctx), col = b2b_ctx_errcol(ctx);

			/* lasting: the same error again, and no record */
			ck_assert_int_eq(b2b_csv_next(r, ctx), rc);
			ck_assert_uint_eq(b2b_csv_field_count(r), 0);
			ck_assert_int_eq(b2b_ctx_errline(ctx), line);
			ck_assert_int_eq(b2b_ctx_errcol(ctx), col);
			break;
		}
	}
	res->last = rc;
	if (rc == 0) {
		/* end of input stays the end */
		ck_assert_int_eq(b2b_csv_next(r, ctx), 0);
		ck_assert_uint_eq(b2b_csv_field_count(r), 0);
	}
}

static void
parse_mem(const char *data, size_t len, size_t chunk, result *res)
{
	memsrc m = { data, len, 0, chunk, 0 };
	b2b_ctx *ctx;
	b2b_csv *r;

	ck_assert_int_eq(b2b_ctx_new(&ctx, NULL), 0);
	ck_assert_int_eq(b2b_csv_new(&r, NULL, NULL, mem_read, &m, "t.csv"), 0);
	drain(r, ctx, res);
	b2b_csv_free(r);
	b2b_ctx_free(ctx);
}

static void
result_free(result *res)
{
	free(res->recs.p);
	free(res->after.p);
}

/* Parse with several chunk sizes; all must agree with the expectation:
 * the records before the first error, that error, and what follows it
 * (`after`, NULL for nothing). */
static void
check_parse_after(const char *data, size_t len, const char *want, int err, long line,
                  long col, const char *msg, const char *after)
{
	static const size_t chunks[] = { 0, 1, 2, 3, 5, 64 };
	size_t k;

	for (k = 0; k < sizeof(chunks) / sizeof(chunks[0]); k++) {
		result res;

		parse_mem(data, len, chunks[k], &res);
		ck_assert_msg(strcmp(res.recs.p, want) == 0, "chunk %zu: records differ",
		              chunks[k]);
		ck_assert_msg(res.rc == err, "chunk %zu: rc %d, expected %d (%s)", chunks[k],
		              res.rc, err, res.msg);
		if (err != 0) {
			ck_assert_msg(res.line == line && res.col == col,
			              "chunk %zu: error at %ld:%ld, expected %ld:%ld (%s)",
			              chunks[k], res.line, res.col, line, col, res.msg);
			if (msg != NULL)
				ck_assert_msg(strstr(res.msg, msg) != NULL, "message '%s' lacks '%s'",
				              res.msg, msg);
		}
		ck_assert_msg(strcmp(res.after.p, after != NULL ? after : "") == 0,
		              "chunk %zu: after the first error, got '%s'", chunks[k], res.after.p);
		ck_assert_int_eq(res.last, 0);
		result_free(&res);
	}
}

static void
check_parse(const char *data, size_t len, const char *want, int err, long line, long col,
            const char *msg)
{
	check_parse_after(data, len, want, err, line, col, msg, NULL);
}

/*===========================================================================
 * csv-spectrum 2.0.0 (tests/data/csv-spectrum): every file, expectations
 * transcribed from json/X.json (header record first, then the values in
 * header order).
 *===========================================================================*/

static const struct spectrum_case {
	const char *file;
	const char *want;
	int err;
	long line, col;
} spectrum[] = {
	{ "comma_in_quotes.csv",
	  "first" FS "last" FS "address" FS "city" FS "zip" FS RS
	  "John" FS "Doe" FS "120 any st." FS "Anytown, WW" FS "08123" FS RS, 0, 0, 0 },
	{ "empty.csv",
	  "a" FS "b" FS "c" FS RS "1" FS "" FS "" FS RS "2" FS "3" FS "4" FS RS, 0, 0, 0 },
	{ "empty_crlf.csv",
	  "a" FS "b" FS "c" FS RS "1" FS "" FS "" FS RS "2" FS "3" FS "4" FS RS, 0, 0, 0 },
	{ "escaped_quotes.csv",
	  "a" FS "b" FS RS "1" FS "ha \"ha\" ha" FS RS "3" FS "4" FS RS, 0, 0, 0 },
	{ "json.csv",
	  "key" FS "val" FS RS
	  "1" FS "{\"type\": \"Point\", \"coordinates\": [102.0, 0.5]}" FS RS, 0, 0, 0 },
	/* A '"' inside the unquoted field 37ï¿½36'37.8"N is kept as text
	 * (csv.h). The phone number is the CSV's: upstream's JSON says
	 * 1234567890, which is not what its CSV holds. */
	{ "location_coordinates.csv",
	  "Contact Phone Number" FS "Location Coordinates" FS "Cities" FS "Counties" FS RS
	  "2095257564" FS "37\xef\xbf\xbd" "36'37.8\"N 121\xef\xbf\xbd" "2'17.9\"W" FS
	  "Modesto" FS "Stanislaus" FS RS, 0, 0, 0 },
	{ "newlines.csv",
	  "a" FS "b" FS "c" FS RS "1" FS "2" FS "3" FS RS
	  "Once upon \na time" FS "5" FS "6" FS RS "7" FS "8" FS "9" FS RS, 0, 0, 0 },
	{ "newlines_crlf.csv",
	  "a" FS "b" FS "c" FS RS "1" FS "2" FS "3" FS RS
	  "Once upon \r\na time" FS "5" FS "6" FS RS "7" FS "8" FS "9" FS RS, 0, 0, 0 },
	{ "quotes_and_newlines.csv",
	  "a" FS "b" FS RS "1" FS "ha \n\"ha\" \nha" FS RS "3" FS "4" FS RS, 0, 0, 0 },
	{ "simple.csv", "a" FS "b" FS "c" FS RS "1" FS "2" FS "3" FS RS, 0, 0, 0 },
	{ "simple_crlf.csv", "a" FS "b" FS "c" FS RS "1" FS "2" FS "3" FS RS, 0, 0, 0 },
	{ "utf8.csv",
	  "a" FS "b" FS "c" FS RS "1" FS "2" FS "3" FS RS "4" FS "5" FS "\xca\xa4" FS RS, 0, 0, 0 },
};
#define NSPECTRUM ((int)(sizeof(spectrum) / sizeof(spectrum[0])))
#define SPECTRUM_DIR B2B_TESTS_DIR "/data/csv-spectrum/csvs"

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *p;
	long n;

	ck_assert_msg(f != NULL, "cannot open %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	p = malloc((size_t)n + 1);
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq(fread(p, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return p;
}

START_TEST(test_spectrum_file)
{
	const struct spectrum_case *c = &spectrum[_i];
	char path[1024];
	b2b_ctx *ctx;
	b2b_csv *r;
	result res;
	size_t len;
	char *data;

	snprintf(path, sizeof(path), "%s/%s", SPECTRUM_DIR, c->file);
	/* through b2b_csv_open */
	ck_assert_int_eq(b2b_ctx_new(&ctx, NULL), 0);
	ck_assert_int_eq(b2b_csv_open(&r, ctx, NULL, path, c->file), 0);
	ck_assert_str_eq(b2b_csv_name(r), c->file);
	drain(r, ctx, &res);
	ck_assert_msg(strcmp(res.recs.p, c->want) == 0, "%s: records differ", c->file);
	ck_assert_int_eq(res.rc, c->err);
	if (c->err != 0) {
		ck_assert_int_eq(res.line, c->line);
		ck_assert_int_eq(res.col, c->col);
		ck_assert_str_eq(b2b_ctx_errfile(ctx), c->file);
	}
	result_free(&res);
	b2b_csv_free(r);
	b2b_ctx_free(ctx);
	/* and through callbacks of every chunk size */
	data = slurp(path, &len);
	check_parse(data, len, c->want, c->err, c->line, c->col, NULL);
	free(data);
}
END_TEST

START_TEST(test_spectrum_every_file_has_a_case)
{
	DIR *d = opendir(SPECTRUM_DIR);
	struct dirent *e;
	int files = 0, i;

	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)) != NULL) {
		int found = 0;

		if (e->d_name[0] == '.')
			continue;
		files++;
		for (i = 0; i < NSPECTRUM; i++)
			found |= strcmp(spectrum[i].file, e->d_name) == 0;
		ck_assert_msg(found, "no expectation for %s", e->d_name);
	}
	closedir(d);
	ck_assert_int_eq(files, NSPECTRUM);
}
END_TEST

/*===========================================================================
 * RFC 4180 cases
 *===========================================================================*/

static const struct rfc_case {
	const char *name;
	const char *in;
	size_t len;             /* 0: strlen(in) */
	const char *want;       /* records read before the end or the error */
	int err;
	long line, col;
	const char *msg;        /* a part of the error message */
	const char *after;      /* what follows the error (see drain()); NULL: nothing */
} rfc[] = {
	/* ---- accepted ---- */
	{ "LF", "a,b\n1,2\n", 0, "a" FS "b" FS RS "1" FS "2" FS RS, 0, 0, 0, NULL, NULL },
	{ "CRLF", "a,b\r\n1,2\r\n", 0, "a" FS "b" FS RS "1" FS "2" FS RS, 0, 0, 0, NULL, NULL },
	{ "mixed CRLF and LF", "a,b\r\n1,2\n3,4\r\n", 0,
	  "a" FS "b" FS RS "1" FS "2" FS RS "3" FS "4" FS RS, 0, 0, 0, NULL, NULL },
	{ "last record without line break", "a,b\n1,2", 0,
	  "a" FS "b" FS RS "1" FS "2" FS RS, 0, 0, 0, NULL, NULL },
	{ "empty fields", "a,b,c\n,,\n", 0,
	  "a" FS "b" FS "c" FS RS "" FS "" FS "" FS RS, 0, 0, 0, NULL, NULL },
	{ "quoted empty field", "a,b\n\"\",x\n", 0,
	  "a" FS "b" FS RS "" FS "x" FS RS, 0, 0, 0, NULL, NULL },
	{ "embedded CRLF in quotes", "a,b\r\n\"x\r\ny\",z\r\n", 0,
	  "a" FS "b" FS RS "x\r\ny" FS "z" FS RS, 0, 0, 0, NULL, NULL },
	{ "embedded LF in quotes", "a,b\n\"x\n\ny\",z", 0,
	  "a" FS "b" FS RS "x\n\ny" FS "z" FS RS, 0, 0, 0, NULL, NULL },
	{ "doubled quotes", "a\n\"he said \"\"hi\"\"\"\n", 0,
	  "a" FS RS "he said \"hi\"" FS RS, 0, 0, 0, NULL, NULL },
	{ "only a doubled quote", "\"\"\"\"\n", 0, "\"" FS RS, 0, 0, 0, NULL, NULL },
	{ "comma in quotes", "a,b\n\"1,5\",\",\"\n", 0,
	  "a" FS "b" FS RS "1,5" FS "," FS RS, 0, 0, 0, NULL, NULL },
	{ "BOM skipped", "\xEF\xBB\xBF" "a,b\n1,2\n", 0,
	  "a" FS "b" FS RS "1" FS "2" FS RS, 0, 0, 0, NULL, NULL },
	{ "only a BOM", "\xEF\xBB\xBF", 0, "", 0, 0, 0, NULL, NULL },
	{ "second BOM is data", "\xEF\xBB\xBF\xEF\xBB\xBF" "a\n", 0,
	  "\xEF\xBB\xBF" "a" FS RS, 0, 0, 0, NULL, NULL },
	{ "empty input", "", 0, "", 0, 0, 0, NULL, NULL },
	{ "final line break then nothing", "a\r\n", 0, "a" FS RS, 0, 0, 0, NULL, NULL },
	{ "one column: an empty line is an empty field", "h\n\nx\n", 0,
	  "h" FS RS "" FS RS "x" FS RS, 0, 0, 0, NULL, NULL },
	{ "just a line break", "\n", 0, "" FS RS, 0, 0, 0, NULL, NULL },
	{ "trailing comma at the end", "a,b\n1,", 0,
	  "a" FS "b" FS RS "1" FS "" FS RS, 0, 0, 0, NULL, NULL },
	{ "quoted field at the end", "a\n\"x\"", 0, "a" FS RS "x" FS RS, 0, 0, 0, NULL, NULL },
	{ "quoted field then CRLF at the end", "a,b\n\"x\",\"y\"\r\n", 0,
	  "a" FS "b" FS RS "x" FS "y" FS RS, 0, 0, 0, NULL, NULL },
	{ "blanks kept", " a , b \n", 0, " a " FS " b " FS RS, 0, 0, 0, NULL, NULL },
	{ "tab and control characters kept", "a\tb\x01\x7f\n", 0,
	  "a\tb\x01\x7f" FS RS, 0, 0, 0, NULL, NULL },
	{ "UTF-8 of 2, 3 and 4 bytes", "\xC3\xA9,\xE2\x82\xAC,\xF0\x9F\x98\x80\n", 0,
	  "\xC3\xA9" FS "\xE2\x82\xAC" FS "\xF0\x9F\x98\x80" FS RS, 0, 0, 0, NULL, NULL },
	{ "UTF-8 edges U+D7FF U+E000 U+FFFF U+10FFFF U+0080 U+0800 U+10000",
	  "\xED\x9F\xBF\xEE\x80\x80\xEF\xBF\xBF\xF4\x8F\xBF\xBF\xC2\x80\xE0\xA0\x80"
	  "\xF0\x90\x80\x80\n", 0,
	  "\xED\x9F\xBF\xEE\x80\x80\xEF\xBF\xBF\xF4\x8F\xBF\xBF\xC2\x80\xE0\xA0\x80"
	  "\xF0\x90\x80\x80" FS RS, 0, 0, 0, NULL, NULL },
	{ "UTF-8 inside quotes", "\"\xC3\xA9,\xE2\x82\xAC\"\n", 0,
	  "\xC3\xA9,\xE2\x82\xAC" FS RS, 0, 0, 0, NULL, NULL },

	/* ---- rejected ---- */
	{ "unterminated quote", "a,b\n1,\"xy\n", 0, "a" FS "b" FS RS,
	  B2B_EPARSE, 2, 3, "unterminated quoted field", NULL },
	{ "unterminated quote over lines", "a\n\"x\ny\nz", 0, "a" FS RS,
	  B2B_EPARSE, 2, 1, "unterminated", NULL },
	{ "text after closing quote", "a,b\n\"x\"y,2\n", 0, "a" FS "b" FS RS,
	  B2B_EPARSE, 2, 4, "'y' after the closing quote", NULL },
	{ "blank after closing quote", "\"x\" ,b\n", 0, "",
	  B2B_EPARSE, 1, 4, "' ' after the closing quote", NULL },
	{ "quote in unquoted field is text", "a,b\n1,x\"y\n", 0,
	  "a" FS "b" FS RS "1" FS "x\"y" FS RS, 0, 0, 0, NULL, NULL },
	{ "ragged row: fewer fields", "a,b,c\n1,2\n", 0, "a" FS "b" FS "c" FS RS,
	  B2B_EPARSE, 2, 1, "expected 3 fields (as the header), found 2", NULL },
	{ "ragged row: more fields", "a,b\n1,2\n1,2,3\n", 0,
	  "a" FS "b" FS RS "1" FS "2" FS RS, B2B_EPARSE, 3, 1,
	  "expected 2 fields (as the header), found 3", NULL },
	{ "ragged row: one-column header", "a\n1,2\n", 0, "a" FS RS,
	  B2B_EPARSE, 2, 1, "expected 1 field (as the header), found 2", NULL },
	{ "ragged row after a multi-line field", "a,b\n\"x\ny\",1\nz\n", 0,
	  "a" FS "b" FS RS "x\ny" FS "1" FS RS, B2B_EPARSE, 4, 1, "found 1", NULL },
	{ "empty line with a two-column header", "a,b\n\n1,2\n", 0, "a" FS "b" FS RS,
	  B2B_EPARSE, 2, 1, "expected 2 fields (as the header), found 1", "1" FS "2" FS RS },
	{ "trailing empty line", "a,b\n1,2\n\n", 0, "a" FS "b" FS RS "1" FS "2" FS RS,
	  B2B_EPARSE, 3, 1, "found 1", NULL },
	{ "NUL byte", "a,b\n1,x\0y\n", 10, "a" FS "b" FS RS, B2B_EPARSE, 2, 4, "NUL", NULL },
	{ "NUL byte in quotes", "a\n\"x\0\"\n", 7, "a" FS RS, B2B_EPARSE, 2, 3, "NUL", NULL },
	{ "stray continuation byte", "a\n\x80\n", 0, "a" FS RS,
	  B2B_EPARSE, 2, 1, "unexpected continuation byte 0x80", NULL },
	{ "overlong C0 80", "a\nx\xC0\x80\n", 0, "a" FS RS, B2B_EPARSE, 2, 2, "overlong", NULL },
	{ "overlong C1 BF", "a\n\"\xC1\xBF\"\n", 0, "a" FS RS, B2B_EPARSE, 2, 2, "overlong", NULL },
	{ "overlong E0 9F BF", "a\nxy\xE0\x9F\xBF\n", 0, "a" FS RS, B2B_EPARSE, 2, 3, "overlong", NULL },
	{ "overlong F0 8F BF BF", "a\n\xF0\x8F\xBF\xBF\n", 0, "a" FS RS,
	  B2B_EPARSE, 2, 1, "overlong", NULL },
	{ "surrogate ED A0 80", "a\n\xC3\xA9\xED\xA0\x80\n", 0, "a" FS RS,
	  B2B_EPARSE, 2, 2, "surrogate", NULL },
	{ "past U+10FFFF: F4 90 80 80", "a\n\xF4\x90\x80\x80\n", 0, "a" FS RS,
	  B2B_EPARSE, 2, 1, "past U+10FFFF", NULL },
	{ "past U+10FFFF: F5", "a\n\xF5\x80\x80\x80\n", 0, "a" FS RS,
	  B2B_EPARSE, 2, 1, "past U+10FFFF", NULL },
	{ "byte FF", "a\n\"\xFF\"\n", 0, "a" FS RS, B2B_EPARSE, 2, 2, "0xFF", NULL },
	{ "truncated sequence before a comma", "a,b\n\xE2\x82,x\n", 0, "a" FS "b" FS RS,
	  B2B_EPARSE, 2, 1, "truncated", NULL },
	{ "truncated sequence at the end", "a\n\xE2\x82", 0, "a" FS RS,
	  B2B_EPARSE, 2, 1, "truncated", NULL },
	{ "bare CR", "a,b\r1,2\n", 0, "", B2B_EPARSE, 1, 4, "not followed by a line feed", NULL },
	{ "bare CR at the end", "a,b\r", 0, "", B2B_EPARSE, 1, 4, "CR", NULL },
	{ "bare CR in quotes", "a\n\"x\ry\"\n", 0, "a" FS RS, B2B_EPARSE, 2, 3, "CR", NULL },
	{ "bare CR after closing quote", "\"a\"\rb", 0, "", B2B_EPARSE, 1, 4, "CR", NULL },
	{ "columns count code points", "\xC3\xA9\xE2\x82\xAC" "x\0\n", 8, "",
	  B2B_EPARSE, 1, 4, "NUL", NULL },
	{ "columns start after the BOM", "\xEF\xBB\xBF" "a\0\n", 6, "",
	  B2B_EPARSE, 1, 2, "NUL", NULL },
	{ "line after a multi-line field", "a,b\n\"x\ny\",1\nz,\"q\"r\n", 0,
	  "a" FS "b" FS RS "x\ny" FS "1" FS RS, B2B_EPARSE, 4, 6, "'r'", NULL },

	/* ---- going on after an error: the next record is read ---- */
	{ "several bad records, good ones between",
	  "sku,name,price\n"                  /* 1 */
	  "A1,ok,1\n"                         /* 2 */
	  "A2,b\xC3(,2\n"                     /* 3: truncated sequence */
	  "A3,ok,3\n"                         /* 4 */
	  "A4,x\0y,4\n"                       /* 5: NUL */
	  "\"A5\",\"multi\nline\",5\n"         /* 6-7 */
	  "A6,\"q\"x,6\n"                     /* 8: text after the closing quote */
	  "A7,ok,7\r\n"                       /* 9 */
	  "A8,ok\r8\n"                        /* 10: bare CR */
	  "A9,ok\n"                           /* 11: 2 fields */
	  "B1,\"bad \xFF in quotes\nspans\",1\n" /* 12-13: byte FF in a quoted field */
	  "B2,ok,2",                          /* 14, no final line break */
	  138, "sku" FS "name" FS "price" FS RS "A1" FS "ok" FS "1" FS RS,
	  B2B_EPARSE, 3, 5, "invalid UTF-8: truncated sequence (lead byte 0xC3)",
	  "A3" FS "ok" FS "3" FS RS "#5:5" RS "A5" FS "multi\nline" FS "5" FS RS "#8:7" RS
	  "A7" FS "ok" FS "7" FS RS "#10:6" RS "#11:1" RS "#12:9" RS "B2" FS "ok" FS "2" FS RS },
	{ "bad last record without a line break", "a,b\n1,2\n3,\xFF", 0,
	  "a" FS "b" FS RS "1" FS "2" FS RS, B2B_EPARSE, 3, 3, "0xFF", NULL },
	{ "truncated sequence ends the input", "a,b\n3,\xE2\x82", 0, "a" FS "b" FS RS,
	  B2B_EPARSE, 2, 3, "truncated sequence (lead byte 0xE2) at the end of input", NULL },
	{ "bad byte in a quoted field never closed: one error", "a\n\"x\xFF\ny\nz", 0, "a" FS RS,
	  B2B_EPARSE, 2, 3, "0xFF", NULL },
	{ "bad byte in a quoted field: its other lines are skipped",
	  "a,b\n\"x\xFF\ny,z\"\"\nw\",1\nc,d\n", 0, "a" FS "b" FS RS,
	  B2B_EPARSE, 2, 3, "0xFF", "c" FS "d" FS RS },
	{ "bad record, then a record with a quoted line break", "a,b\n1,\0\n\"x\ny\",2\nz\n", 18,
	  "a" FS "b" FS RS, B2B_EPARSE, 2, 3, "NUL", "x\ny" FS "2" FS RS "#5:1" RS },
	{ "bad header: its width still counts", "a,\xFF,c\n1,2,3\n4,5\n", 0, "",
	  B2B_EPARSE, 1, 3, "0xFF", "1" FS "2" FS "3" FS RS "#3:1" RS },
	{ "bad header: a comma in quotes is no separator", "\"x,y\xFF\",b\n1,2\n", 0, "",
	  B2B_EPARSE, 1, 5, "0xFF", "1" FS "2" FS RS },
	{ "bad header: text after a quote", "\"a\"b,c\n1,2\n1\n", 0, "",
	  B2B_EPARSE, 1, 4, "'b' after the closing quote", "1" FS "2" FS RS "#3:1" RS },
	{ "two errors in one record: the first", "a,b\nx\0,\xFF\n1,2\n", 13, "a" FS "b" FS RS,
	  B2B_EPARSE, 2, 2, "NUL", "1" FS "2" FS RS },
	{ "ragged rows one after another", "a,b\n1\n2\n3,4\n5,6,7\n", 0, "a" FS "b" FS RS,
	  B2B_EPARSE, 2, 1, "found 1", "#3:1" RS "3" FS "4" FS RS "#5:1" RS },
};
#define NRFC ((int)(sizeof(rfc) / sizeof(rfc[0])))

START_TEST(test_rfc_case)
{
	const struct rfc_case *c = &rfc[_i];

	check_parse_after(c->in, c->len != 0 ? c->len : strlen(c->in), c->want, c->err, c->line,
	                  c->col, c->msg, c->after);
}
END_TEST

START_TEST(test_field_positions)
{
	/* fields: (1,1) (1,3) (1,10 → the quote) ; next line after 2 lines */
	static const char in[] = "a,\"b\nc\",\xC3\xA9\xE2\x82\xAC,d\r\n1,2,3,4\n";
	memsrc m = { in, sizeof(in) - 1, 0, 1, 0 };
	b2b_csv *r;

	ck_assert_int_eq(b2b_csv_new(&r, NULL, NULL, mem_read, &m, NULL), 0);
	ck_assert_str_eq(b2b_csv_name(r), "");
	ck_assert_int_eq(b2b_csv_next(r, NULL), 1);
	ck_assert_uint_eq(b2b_csv_field_count(r), 4);
	ck_assert_int_eq(b2b_csv_field_line(r, 0), 1);
	ck_assert_int_eq(b2b_csv_field_col(r, 0), 1);
	ck_assert_int_eq(b2b_csv_field_line(r, 1), 1);
	ck_assert_int_eq(b2b_csv_field_col(r, 1), 3);
	ck_assert_int_eq(b2b_csv_field_line(r, 2), 2);   /* after "c", */
	ck_assert_int_eq(b2b_csv_field_col(r, 2), 4);
	ck_assert_int_eq(b2b_csv_field_line(r, 3), 2);
	ck_assert_int_eq(b2b_csv_field_col(r, 3), 7);    /* é and € are one column each */
	ck_assert_str_eq(b2b_csv_field(r, 1, NULL), "b\nc");
	ck_assert_int_eq(b2b_csv_next(r, NULL), 1);
	ck_assert_int_eq(b2b_csv_field_line(r, 0), 3);
	ck_assert_int_eq(b2b_csv_field_col(r, 3), 7);
	/* out of range */
	ck_assert_int_eq(b2b_csv_field_line(r, 4), 0);
	ck_assert_int_eq(b2b_csv_field_col(r, 4), 0);
	ck_assert_int_eq(b2b_csv_next(r, NULL), 0);
	b2b_csv_free(r);
}
END_TEST

START_TEST(test_field_accessors_out_of_range)
{
	static const char in[] = "x,y\n";
	memsrc m = { in, sizeof(in) - 1, 0, 0, 0 };
	b2b_csv *r;
	size_t len = 7;

	ck_assert_int_eq(b2b_csv_new(&r, NULL, NULL, mem_read, &m, "n"), 0);
	/* before the first record: nothing */
	ck_assert_uint_eq(b2b_csv_field_count(r), 0);
	ck_assert_str_eq(b2b_csv_field(r, 0, &len), "");
	ck_assert_uint_eq(len, 0);
	ck_assert_int_eq(b2b_csv_next(r, NULL), 1);
	len = 7;
	ck_assert_str_eq(b2b_csv_field(r, 1, &len), "y");
	ck_assert_uint_eq(len, 1);
	len = 7;
	ck_assert_str_eq(b2b_csv_field(r, 2, &len), "");
	ck_assert_uint_eq(len, 0);
	ck_assert_str_eq(b2b_csv_field(r, (size_t)-1, NULL), "");
	b2b_csv_free(r);
	/* NULL reader */
	len = 7;
	ck_assert_uint_eq(b2b_csv_field_count(NULL), 0);
	ck_assert_str_eq(b2b_csv_field(NULL, 0, &len), "");
	ck_assert_uint_eq(len, 0);
	ck_assert_int_eq(b2b_csv_field_line(NULL, 0), 0);
	ck_assert_int_eq(b2b_csv_field_col(NULL, 0), 0);
	ck_assert_str_eq(b2b_csv_name(NULL), "");
	ck_assert_int_eq(b2b_csv_next(NULL, NULL), B2B_EINVAL);
	b2b_csv_free(NULL);
}
END_TEST

/* After a bad record, the next record's lines and columns are right: the
 * skipped part is counted (line breaks in quotes included), and a skip
 * that runs across buffer refills ends where it should. */
START_TEST(test_resync_positions)
{
	static const char in[] = "h1,h2\n\"bad\xFF\nstill in quotes\",x\n\xC3\xA9" "b,c\n";
	const size_t big = 200000;
	char *long_in = malloc(big + 32);
	memsrc m = { in, sizeof(in) - 1, 0, 0, 0 };
	b2b_ctx *ctx;
	b2b_csv *r;
	size_t n;

	ck_assert_ptr_nonnull(long_in);
	ck_assert_int_eq(b2b_ctx_new(&ctx, NULL), 0);
	ck_assert_int_eq(b2b_csv_new(&r, NULL, NULL, mem_read, &m, "p.csv"), 0);
	ck_assert_int_eq(b2b_csv_next(r, ctx), 1);
	ck_assert_int_eq(b2b_csv_next(r, ctx), B2B_EPARSE);
	ck_assert_str_eq(b2b_ctx_errfile(ctx), "p.csv");
	ck_assert_int_eq(b2b_ctx_errline(ctx), 2);
	ck_assert_int_eq(b2b_ctx_errcol(ctx), 5);
	ck_assert_str_eq(b2b_ctx_errmsg(ctx), "invalid UTF-8: byte 0xFF never appears in UTF-8");
	ck_assert_uint_eq(b2b_csv_field_count(r), 0);
	ck_assert_int_eq(b2b_csv_next(r, NULL), 1);        /* no ctx: fine too */
	ck_assert_str_eq(b2b_csv_field(r, 0, NULL), "\xC3\xA9" "b");
	ck_assert_int_eq(b2b_csv_field_line(r, 0), 4);
	ck_assert_int_eq(b2b_csv_field_col(r, 0), 1);
	ck_assert_int_eq(b2b_csv_field_col(r, 1), 4);      /* é is one column */
	ck_assert_int_eq(b2b_csv_next(r, ctx), 0);
	b2b_csv_free(r);

	/* a bad record of 200000 bytes: the skip crosses three refills */
	memcpy(long_in, "h\n\xFF", 3);
	memset(long_in + 3, 'x', big);
	memcpy(long_in + 3 + big, "\nok\n", 4);
	n = 3 + big + 4;
	m = (memsrc){ long_in, n, 0, 0, 0 };
	ck_assert_int_eq(b2b_csv_new(&r, NULL, NULL, mem_read, &m, "p.csv"), 0);
	ck_assert_int_eq(b2b_csv_next(r, ctx), 1);
	ck_assert_int_eq(b2b_csv_next(r, ctx), B2B_EPARSE);
	ck_assert_int_eq(b2b_ctx_errline(ctx), 2);
	ck_assert_int_eq(b2b_ctx_errcol(ctx), 1);
	ck_assert_int_eq(b2b_csv_next(r, ctx), 1);
	ck_assert_str_eq(b2b_csv_field(r, 0, NULL), "ok");
	ck_assert_int_eq(b2b_csv_field_line(r, 0), 3);
	ck_assert_int_eq(b2b_csv_field_col(r, 0), 1);
	ck_assert_int_eq(b2b_csv_next(r, ctx), 0);
	b2b_csv_free(r);
	b2b_ctx_free(ctx);
	free(long_in);
}
END_TEST

/*===========================================================================
 * Limits: long records, refills at every kind of boundary
 *===========================================================================*/

/* Build "h1,h2\n" + "<field>,<tail>\n": the field's special bytes land
 * around the 64 KiB buffer boundary. */
START_TEST(test_long_field_across_refills)
{
	const size_t big = 200000;
	char *in = malloc(big + 64), *want = malloc(big + 64);
	size_t n = 0, w = 0, i;
	result res;

	ck_assert_ptr_nonnull(in);
	ck_assert_ptr_nonnull(want);
	memcpy(in, "h\n\"", 3);
	n = 3;
	memcpy(want, "h" FS RS, 3);
	w = 3;
	/* a quoted field of 200000 bytes with "" , CRLF, LF and UTF-8 spread
	 * through it, some placed across 65536 */
	for (i = 0; n < big; i++) {
		const char *piece;
		const char *out;

		switch (i % 7) {
		case 0: piece = "\"\""; out = "\""; break;
		case 1: piece = "\r\n"; out = "\r\n"; break;
		case 2: piece = "\xF0\x9F\x98\x80"; out = piece; break;
		case 3: piece = "\xE2\x82\xAC"; out = piece; break;
		case 4: piece = ","; out = piece; break;
		case 5: piece = "\n"; out = piece; break;
		default: piece = "abcdefghijklm"; out = piece; break;
		}
		memcpy(in + n, piece, strlen(piece));
		n += strlen(piece);
		memcpy(want + w, out, strlen(out));
		w += strlen(out);
	}
	memcpy(in + n, "\"\n", 2);
	n += 2;
	memcpy(want + w, FS RS, 3);
	w += 2;
	want[w] = '\0';
	check_parse(in, n, want, 0, 0, 0, NULL);
	/* the same content unquoted (no quotes, no line breaks) */
	n = 0;
	w = 0;
	memcpy(in, "h\n", 2);
	n = 2;
	memcpy(want, "h" FS RS, 3);
	w = 3;
	for (i = 0; n < big; i++) {
		const char *piece = i % 3 == 0 ? "\xF0\x9F\x98\x80" : i % 3 == 1 ? "\xC3\xA9" : "xyz";

		memcpy(in + n, piece, strlen(piece));
		n += strlen(piece);
		memcpy(want + w, piece, strlen(piece));
		w += strlen(piece);
	}
	memcpy(want + w, FS RS, 3);
	w += 2;
	want[w] = '\0';
	parse_mem(in, n, 0, &res);
	ck_assert_int_eq(res.rc, 0);
	ck_assert(strcmp(res.recs.p, want) == 0);
	result_free(&res);
	free(in);
	free(want);
}
END_TEST

/* One special sequence placed so that it straddles the 64 KiB boundary
 * at every split point. */
START_TEST(test_boundaries)
{
	static const struct {
		const char *seq;        /* placed at the end of the first field */
		const char *field;      /* what the field reads */
		int err;
	} seqs[] = {
		{ "\xF0\x9F\x98\x80", "\xF0\x9F\x98\x80", 0 },
		{ "\xE2\x82\xAC", "\xE2\x82\xAC", 0 },
		{ "\xED\xA0\x80", NULL, B2B_EPARSE },
		{ "\xF0\x8F\xBF\xBF", NULL, B2B_EPARSE },
	};
	const size_t boundary = 64 * 1024;
	size_t k, split;

	for (k = 0; k < sizeof(seqs) / sizeof(seqs[0]); k++) {
		size_t sl = strlen(seqs[k].seq);

		for (split = 0; split <= sl; split++) {
			/* "h\n" then x…x so that seq starts at boundary − split */
			size_t pre = boundary - split - 2, n = 0, len;
			char *in = malloc(boundary + 64);
			b2b_ctx *ctx;
			b2b_csv *r;
			memsrc m;
			int rc;

			ck_assert_ptr_nonnull(in);
			memcpy(in, "h\n", 2);
			n = 2;
			memset(in + n, 'x', pre);
			n += pre;
			memcpy(in + n, seqs[k].seq, sl);
			n += sl;
			memcpy(in + n, "\r\n", 2);
			n += 2;
			m = (memsrc){ in, n, 0, 0, 0 };
			ck_assert_int_eq(b2b_ctx_new(&ctx, NULL), 0);
			ck_assert_int_eq(b2b_csv_new(&r, NULL, NULL, mem_read, &m, "b"), 0);
			ck_assert_int_eq(b2b_csv_next(r, ctx), 1);
			rc = b2b_csv_next(r, ctx);
			if (seqs[k].err == 0) {
				const char *f;

				ck_assert_int_eq(rc, 1);
				f = b2b_csv_field(r, 0, &len);
				ck_assert_uint_eq(len, pre + sl);
				ck_assert(memcmp(f + pre, seqs[k].field, sl) == 0);
				ck_assert_int_eq(b2b_csv_next(r, ctx), 0);
			} else {
				ck_assert_int_eq(rc, seqs[k].err);
				ck_assert_int_eq(b2b_ctx_errline(ctx), 2);
				ck_assert_int_eq(b2b_ctx_errcol(ctx), (long)pre + 1);
			}
			b2b_csv_free(r);
			b2b_ctx_free(ctx);
			free(in);
		}
	}
}
END_TEST

/* CRLF, "" and a closing quote + CRLF split at the buffer boundary. */
START_TEST(test_crlf_and_quotes_at_boundary)
{
	static const struct {
		const char *tail, *suffix;
		size_t extra;           /* bytes of tail in the field */
		long zline;             /* line of the record after */
	} cases[] = {
		{ "\r\n", "\"\r\nz\r\n", 2, 4 },
		{ "\"\"", "\"\r\nz\r\n", 1, 3 },
		{ "\"\r\n", "z\r\n", 0, 3 },
	};
	const size_t boundary = 64 * 1024;
	size_t t, off;

	for (t = 0; t < sizeof(cases) / sizeof(cases[0]); t++) {
		for (off = 1; off <= 3; off++) {
			/* the tail starts `off` bytes before the boundary */
			size_t n = 0, pre = boundary - off - 3, len;
			char *in = malloc(boundary + 64);
			b2b_csv *r;
			memsrc m;

			ck_assert_ptr_nonnull(in);
			memcpy(in, "h\n\"", 3);
			n = 3;
			memset(in + n, 'q', pre);
			n += pre;
			memcpy(in + n, cases[t].tail, strlen(cases[t].tail));
			n += strlen(cases[t].tail);
			memcpy(in + n, cases[t].suffix, strlen(cases[t].suffix));
			n += strlen(cases[t].suffix);
			m = (memsrc){ in, n, 0, 0, 0 };
			ck_assert_int_eq(b2b_csv_new(&r, NULL, NULL, mem_read, &m, "b"), 0);
			ck_assert_int_eq(b2b_csv_next(r, NULL), 1);
			ck_assert_int_eq(b2b_csv_next(r, NULL), 1);
			b2b_csv_field(r, 0, &len);
			ck_assert_uint_eq(len, pre + cases[t].extra);
			ck_assert_int_eq(b2b_csv_next(r, NULL), 1);
			ck_assert_str_eq(b2b_csv_field(r, 0, NULL), "z");
			ck_assert_int_eq(b2b_csv_field_line(r, 0), cases[t].zline);
			ck_assert_int_eq(b2b_csv_next(r, NULL), 0);
			b2b_csv_free(r);
			free(in);
		}
	}
}
END_TEST

/* Many records of many fields: memory stays with the longest record. */
START_TEST(test_many_records_memory_bounded)
{
	failalloc fa;
	b2b_allocator a;
	char *in;
	size_t n = 0, i;
	memsrc m;
	b2b_csv *r;
	long recs = 0;
	size_t peak = 0;

	in = malloc(2000000);
	ck_assert_ptr_nonnull(in);
	n += (size_t)sprintf(in, "sku,name,price\n");
	for (i = 0; i < 50000; i++)
		n += (size_t)sprintf(in + n, "SKU-%06zu,\"Widget, size %zu\",%zu.%02zu\r\n", i, i % 7,
		                     i, i % 100);
	failalloc_init(&fa, -1);
	a = failalloc_allocator(&fa);
	m = (memsrc){ in, n, 0, 0, 0 };
	ck_assert_int_eq(b2b_csv_new(&r, NULL, &a, mem_read, &m, "p.csv"), 0);
	while (b2b_csv_next(r, NULL) == 1) {
		if (recs > 0) {
			char want[64];

			snprintf(want, sizeof(want), "SKU-%06ld", recs - 1);
			ck_assert_str_eq(b2b_csv_field(r, 0, NULL), want);
			ck_assert_int_eq(b2b_csv_field_line(r, 2), recs + 1);
		}
		if (fa.live_bytes > peak)
			peak = fa.live_bytes;
		recs++;
	}
	ck_assert_int_eq(recs, 50001);
	/* the struct, the name, the 64 KiB buffer and small record buffers */
	ck_assert_uint_lt(peak, 64 * 1024 + 2048);
	b2b_csv_free(r);
	ck_assert_int_eq(fa.live, 0);
	ck_assert_int_eq(fa.bad_size, 0);
	free(in);
}
END_TEST

/*===========================================================================
 * Errors: arguments, files, I/O, OOM
 *===========================================================================*/

static long
fail_read(void *ud, char *buf, size_t size)
{
	int *calls = ud;

	(void)buf;
	(void)size;
	return (*calls)++ == 0 ? -1 : 0;
}

static long
liar_read(void *ud, char *buf, size_t size)
{
	(void)ud;
	memset(buf, 'a', 1);
	return (long)size + 1;
}

/* Two good chunks, then a read error. */
static long
late_fail_read(void *ud, char *buf, size_t size)
{
	int *calls = ud;

	(void)size;
	if (*calls < 2) {
		memcpy(buf, "a,b\n", 4);
		(*calls)++;
		return 4;
	}
	return -5;
}

START_TEST(test_new_errors)
{
	b2b_csv *r = (b2b_csv *)&r;
	memsrc m = { "", 0, 0, 0, 0 };

	b2b_ctx *ctx;

	ck_assert_int_eq(b2b_ctx_new(&ctx, NULL), 0);
	ck_assert_int_eq(b2b_csv_new(NULL, NULL, NULL, mem_read, &m, "x"), B2B_EINVAL);
	ck_assert_int_eq(b2b_csv_new(&r, NULL, NULL, NULL, &m, "x"), B2B_EINVAL);
	ck_assert_ptr_null(r);
	ck_assert_int_eq(b2b_csv_new(&r, ctx, NULL, NULL, &m, "x"), B2B_EINVAL);
	ck_assert_int_eq(b2b_ctx_errcode(ctx), B2B_EINVAL);
	ck_assert_str_eq(b2b_ctx_errmsg(ctx), "b2b_csv_new: fn is NULL");
	b2b_ctx_free(ctx);
}
END_TEST

START_TEST(test_read_errors)
{
	b2b_ctx *ctx;
	b2b_csv *r;
	int calls = 0;

	ck_assert_int_eq(b2b_ctx_new(&ctx, NULL), 0);
	ck_assert_int_eq(b2b_csv_new(&r, NULL, NULL, fail_read, &calls, "cb"), 0);
	ck_assert_int_eq(b2b_csv_next(r, ctx), B2B_EIO);
	ck_assert_ptr_nonnull(strstr(b2b_ctx_errmsg(ctx), "read error"));
	ck_assert_str_eq(b2b_ctx_errfile(ctx), "cb");
	ck_assert_int_eq(b2b_csv_next(r, ctx), B2B_EIO);     /* sticky, not EOF */
	ck_assert_int_eq(calls, 1);                          /* and no new read */
	b2b_csv_free(r);

	ck_assert_int_eq(b2b_csv_new(&r, NULL, NULL, liar_read, NULL, "cb"), 0);
	ck_assert_int_eq(b2b_csv_next(r, ctx), B2B_EIO);
	b2b_csv_free(r);

	calls = 0;
	ck_assert_int_eq(b2b_csv_new(&r, NULL, NULL, late_fail_read, &calls, "cb"), 0);
	ck_assert_int_eq(b2b_csv_next(r, ctx), 1);
	ck_assert_int_eq(b2b_csv_next(r, ctx), 1);
	ck_assert_int_eq(b2b_csv_next(r, ctx), B2B_EIO);
	ck_assert_ptr_nonnull(strstr(b2b_ctx_errmsg(ctx), "-5"));
	ck_assert_int_eq(b2b_ctx_errline(ctx), 3);
	b2b_csv_free(r);
	b2b_ctx_free(ctx);
}
END_TEST

START_TEST(test_open_errors)
{
	b2b_ctx *ctx;
	b2b_csv *r = (b2b_csv *)&r;

	ck_assert_int_eq(b2b_ctx_new(&ctx, NULL), 0);
	ck_assert_int_eq(b2b_csv_open(&r, ctx, NULL, B2B_TESTS_DIR "/data/no-such.csv", NULL),
	                 B2B_EIO);
	ck_assert_ptr_null(r);
	ck_assert_int_eq(b2b_ctx_errcode(ctx), B2B_EIO);
	ck_assert_ptr_nonnull(strstr(b2b_ctx_errmsg(ctx), "no such file"));
	ck_assert_str_eq(b2b_ctx_errfile(ctx), B2B_TESTS_DIR "/data/no-such.csv");
	ck_assert_int_eq(b2b_csv_open(&r, ctx, NULL, B2B_TESTS_DIR "/data/no-such.csv", "p.csv"),
	                 B2B_EIO);
	ck_assert_str_eq(b2b_ctx_errfile(ctx), "p.csv");
	/* a directory opens but cannot be read */
	ck_assert_int_eq(b2b_csv_open(&r, ctx, NULL, B2B_TESTS_DIR "/data", "dir"), B2B_EIO);
	ck_assert_ptr_null(r);
	ck_assert_ptr_nonnull(strstr(b2b_ctx_errmsg(ctx), "is a directory"));
	ck_assert_int_eq(b2b_csv_open(NULL, ctx, NULL, "x", NULL), B2B_EINVAL);
	ck_assert_int_eq(b2b_csv_open(&r, ctx, NULL, NULL, NULL), B2B_EINVAL);
	/* a NULL ctx is fine */
	ck_assert_int_eq(b2b_csv_open(&r, NULL, NULL, B2B_TESTS_DIR "/data/no-such.csv", NULL),
	                 B2B_EIO);
	b2b_ctx_free(ctx);
}
END_TEST

START_TEST(test_open_name_defaults_to_path)
{
	b2b_csv *r;

	ck_assert_int_eq(b2b_csv_open(&r, NULL, NULL, SPECTRUM_DIR "/simple.csv", NULL), 0);
	ck_assert_str_eq(b2b_csv_name(r), SPECTRUM_DIR "/simple.csv");
	ck_assert_int_eq(b2b_csv_next(r, NULL), 1);
	ck_assert_int_eq(b2b_csv_next(r, NULL), 1);
	ck_assert_int_eq(b2b_csv_next(r, NULL), 0);
	b2b_csv_free(r);
}
END_TEST

static int
open_body(const b2b_allocator *a, void *ud)
{
	b2b_ctx *ctx = ud;
	b2b_csv *r = NULL;
	long recs = 0;
	int rc;

	b2b_ctx_reset(ctx);
	rc = b2b_csv_open(&r, ctx, a, SPECTRUM_DIR "/newlines_crlf.csv", NULL);
	if (rc < 0) {
		ck_assert_ptr_null(r);
		ck_assert_int_eq(b2b_ctx_errcode(ctx), rc);
		return rc;
	}
	while ((rc = b2b_csv_next(r, ctx)) == 1)
		recs++;
	if (rc == 0) {
		ck_assert_int_eq(recs, 4);
		ck_assert_str_eq(b2b_csv_field(r, 0, NULL), "");   /* cleared at the end */
	} else {
		ck_assert_int_eq(b2b_ctx_errcode(ctx), B2B_ENOMEM);
		ck_assert_int_eq(b2b_csv_next(r, ctx), B2B_ENOMEM);
	}
	b2b_csv_free(r);
	return rc;
}

START_TEST(test_oom_open_and_read)
{
	b2b_ctx *ctx;

	ck_assert_int_eq(b2b_ctx_new(&ctx, NULL), 0);
	ck_assert_int_gt(failalloc_loop(open_body, ctx, 1000), 4);
	b2b_ctx_free(ctx);
}
END_TEST

/* A wide record with long fields, so that both buffers grow many times. */
static char wide[100000];

static int
wide_body(const b2b_allocator *a, void *ud)
{
	memsrc m = { wide, strlen(wide), 0, 97, 0 };
	b2b_csv *r = NULL;
	int rc;

	(void)ud;
	if ((rc = b2b_csv_new(&r, NULL, a, mem_read, &m, "wide.csv")) < 0)
		return rc;
	while ((rc = b2b_csv_next(r, NULL)) == 1)
		ck_assert_uint_eq(b2b_csv_field_count(r), 300);
	b2b_csv_free(r);
	return rc;
}

START_TEST(test_oom_wide_records)
{
	size_t n = 0;
	int rec, f;

	for (rec = 0; rec < 3; rec++) {
		for (f = 0; f < 300; f++)
			n += (size_t)snprintf(wide + n, sizeof(wide) - n, "%s\"v%d-%d%.*s\"",
			                      f ? "," : "", rec, f, rec * 20 + f % 7,
			                      "0123456789012345678901234567890123456789012345678901234567890123456789");
		wide[n++] = '\n';
	}
	wide[n] = '\0';
	ck_assert_int_gt(failalloc_loop(wide_body, NULL, 1000), 10);
}
END_TEST

static Suite *
csv_suite(void)
{
	Suite *s = suite_create("csv");
	TCase *core = tcase_create("Core"), *limits = tcase_create("Limits"),
	      *errors = tcase_create("Errors");

	tcase_add_loop_test(core, test_spectrum_file, 0, NSPECTRUM);
	tcase_add_test(core, test_spectrum_every_file_has_a_case);
	tcase_add_loop_test(core, test_rfc_case, 0, NRFC);
	tcase_add_test(core, test_field_positions);
	tcase_add_test(core, test_field_accessors_out_of_range);
	tcase_add_test(core, test_resync_positions);
	tcase_add_test(limits, test_long_field_across_refills);
	tcase_add_test(limits, test_boundaries);
	tcase_add_test(limits, test_crlf_and_quotes_at_boundary);
	tcase_add_test(limits, test_many_records_memory_bounded);
	tcase_add_test(errors, test_new_errors);
	tcase_add_test(errors, test_read_errors);
	tcase_add_test(errors, test_open_errors);
	tcase_add_test(errors, test_open_name_defaults_to_path);
	tcase_add_test(errors, test_oom_open_and_read);
	tcase_add_test(errors, test_oom_wide_records);
	suite_add_tcase(s, core);
	suite_add_tcase(s, limits);
	suite_add_tcase(s, errors);
	return s;
}

int
main(void)
{
	return b2b_test_run(csv_suite());
}
