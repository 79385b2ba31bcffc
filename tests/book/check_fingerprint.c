/*
 * Tests: the book fingerprint (SPEC §5.8, README "Fingerprint") through
 * the loader: the same content written with rows shuffled, columns
 * permuted, CRLF, quoted cells, a BOM, numbers spelled differently,
 * explicit defaults, sets in another order, files created in another
 * order → the same fingerprint; a changed price or a customer's list
 * order → a different one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "b2b.h"
#include "book_int.h"
#include "fingerprint.h"
#include "sha256.h"
#include "support/testmain.h"

/*
 * The test book. A cell "A|B|C|D" holds spellings: A is the base text,
 * B the same content spelled otherwise (mode RESPELL), C and D a changed
 * content (modes MUTATE1, MUTATE2); a mode without its spelling uses A.
 * A row whose first cell starts with "+" exists only in mode RESPELL (an
 * explicit default that is otherwise absent).
 */
#define MAXC 17

typedef struct table {
	const char *file;
	const char *cols[MAXC];
	const char *rows[12][MAXC];
} table;

static const table tables[] = {
	{ "settings.csv", { "key", "value" },
	  { { "base_currency", "EUR" },
	    { "+rounding_mode", "half_up" },
	    { "+tax_rounding", "line" },
	    { "unit_price_decimals", "4" },
	    { "max_discount_percent", "80|80.00" },
	    { "min_margin_percent", "5|5.0" } } },
	{ "currencies.csv", { "code", "minor_units", "cash_increment" },
	  { { "CHF", "2", "0.05|0.050" },
	    { "+EUR", "2", "" } } },
	{ "fx_rates.csv", { "from", "to", "rate", "valid_from" },
	  { { "EUR", "USD", "1.1|1.10", "2026-01-01" },
	    { "EUR", "USD", "1.2", "2026-06-01" },
	    { "GBP", "EUR", "1.17", "" } } },
	{ "products.csv",
	  { "sku", "name", "category", "list_price", "cost", "status", "tax_class", "currency",
	    "on_hand", "uom" },
	  { { "A1", "Hammer, small", "tools/hand", "10.5|10.50", "4", "|active", "std", "|EUR",
	      "12|12.0", "pc" },
	    { "A2", "Saw", "tools", "20", "8|8.0", "", "std", "", "", "" },
	    { "B1", "Box", "toolsets", "5|5.000", "", "inactive", "", "", "", "" },
	    { "C1", "Quote \"x\"", "", "1", "", "", "red", "USD", "", "" } } },
	{ "customers.csv",
	  { "id", "name", "segment", "channel", "currency", "price_lists", "catalog",
	    "payment_terms", "regions", "credit_limit" },
	  { { "C1", "Acme", "wholesale", "web", "", "BASE;SEG|BASE;SEG|BASE;SEG|SEG;BASE",
	      "category:tools;sku:B1|sku:B1;category:tools", "prepay;net30|net30;prepay",
	      "DE;FR|FR;DE", "1000|1000.0" },
	    { "C2", "Beta", "retail", "", "EUR", "", "", "", "", "" } } },
	{ "price_lists.csv",
	  { "id", "currency", "priority", "valid_from", "valid_until", "parent", "applies_to",
	    "tier_mode" },
	  { { "BASE", "|EUR", "|0", "", "", "", "default", "|all_units" },
	    { "SEG", "", "5", "2026-01-01", "2027-01-01", "BASE",
	      "segment:wholesale;channel:web|channel:web;segment:wholesale", "" },
	    { "INC", "", "1", "", "", "", "customer:C2", "incremental" } } },
	{ "price_list_items.csv",
	  { "list", "scope", "min_qty", "valid_from", "valid_until", "compute", "price",
	    "discount_percent", "base", "surcharge", "round_to", "min_margin", "max_margin" },
	  { { "BASE", "sku:A1", "|0", "", "", "fixed", "9", "", "", "", "", "", "" },
	    { "BASE", "sku:A1", "10", "", "", "fixed", "8.5|8.50|8.4", "", "", "", "", "", "" },
	    { "BASE", "category:tools", "0", "", "", "discount", "", "10|10.0", "|list", "", "",
	      "", "" },
	    { "BASE", "all", "0", "", "", "formula", "", "5", "cost", "0.1", "0.05", "", "" },
	    { "SEG", "all", "0", "", "", "discount", "", "3", "parent", "", "", "", "" },
	    { "INC", "all", "0", "", "", "fixed", "1", "", "", "", "", "", "" },
	    { "INC", "all", "100", "", "", "fixed", "0.9", "", "", "", "", "", "" } } },
	{ "contracts.csv",
	  { "id", "customer", "currency", "valid_from", "valid_until", "policy",
	    "allow_promotions" },
	  { { "K1", "C1", "", "2026-01-01", "", "|override", "|0" },
	    { "K2", "C1", "EUR", "", "", "best", "1" } } },
	{ "contract_items.csv", { "contract", "scope", "min_qty", "price", "discount_percent" },
	  { { "K1", "sku:A1", "0", "7", "" },
	    { "K1", "category:tools", "0", "", "5|5.00" },
	    { "K2", "all", "|0", "", "2" } } },
	{ "dynamic_rules.csv",
	  { "id", "scope", "signal", "priority", "valid_from", "valid_until", "points",
	    "markup_percent", "offset_percent", "min_factor", "max_factor",
	    "max_change_percent", "price_step" },
	  { { "LOW", "all", "stock_days", "|0", "", "", "0:1.1;10:1|0:1.10;10.0:1", "", "", "", "",
	      "", "" },
	    { "CP", "sku:A2", "cost_plus", "5", "", "", "", "30|30.0", "", "", "", "", "" },
	    { "COMP", "category:tools", "competitor", "1", "", "", "", "", "|0", "", "", "", "" } } },
	{ "promotions.csv",
	  { "id", "kind", "value", "scope", "segment", "code", "valid_from", "valid_until",
	    "priority", "stacking", "buy_qty", "get_qty", "min_subtotal" },
	  { { "SPRING", "percent", "5", "|all", "", "", "2026-03-01", "2026-06-01", "3",
	      "|stackable", "", "", "" },
	    { "SAVE", "amount", "2", "sku:A1", "wholesale", "SAVE2", "", "", "1", "exclusive", "",
	      "", "" },
	    { "B2G1", "buy_x_get_y", "", "category:tools", "", "", "", "", "", "", "2", "1", "" },
	    { "ORD", "order_percent", "2|2.0", "", "", "", "", "", "", "", "", "", "100" } } },
	{ "taxes.csv", { "tax_class", "region", "rate_percent" },
	  { { "std", "DE", "19" },
	    { "std", "*", "20|20.00" },
	    { "red", "*", "7" } } },
	{ "approval_rules.csv", { "id", "metric", "threshold", "level" },
	  { { "D1", "line_discount_percent", "20|20.0", "1" },
	    { "T1", "quote_total_above", "10000", "2" } } },
};
#define NTABLES (sizeof tables / sizeof *tables)

enum { BASE = 0, RESPELL = 1, MUTATE1 = 2, MUTATE2 = 3 };

/* How to write the book. */
typedef struct variant {
	int mode;
	int reverse_rows, rotate_rows, reverse_cols, crlf, quote, bom, reverse_files;
} variant;

static size_t
ncols(const table *t)
{
	size_t n = 0;

	while (n < MAXC && t->cols[n] != NULL)
		n++;
	return n;
}

static size_t
nrows(const table *t)
{
	size_t n = 0;

	while (n < 12 && t->rows[n][0] != NULL)
		n++;
	return n;
}

/* The spelling of `cell` for `mode` into buf. */
static const char *
spell(const char *cell, int mode, char *buf, size_t size)
{
	const char *p = cell, *end;
	int k;

	for (k = 0; k < mode && p != NULL; k++) {
		p = strchr(p, '|');
		if (p != NULL)
			p++;
	}
	if (p == NULL)
		p = cell;           /* no spelling for this mode: the base one */
	end = strchr(p, '|');
	if (end == NULL)
		end = p + strlen(p);
	ck_assert_uint_lt((size_t)(end - p), size);
	memcpy(buf, p, (size_t)(end - p));
	buf[end - p] = '\0';
	return buf;
}

static void
put_cell(FILE *f, const char *s, int quote)
{
	if (!quote && strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s != '\0'; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

static void
write_table(const char *dir, const table *t, const variant *v)
{
	char path[512], buf[256];
	size_t nc = ncols(t), nr = nrows(t), r, c, k;
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, t->file);
	f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	if (v->bom)
		fputs("\xef\xbb\xbf", f);
	for (k = 0; k < nc; k++) {
		c = v->reverse_cols ? nc - 1 - k : k;
		if (k > 0)
			fputc(',', f);
		put_cell(f, t->cols[c], v->quote);
	}
	fputs(v->crlf ? "\r\n" : "\n", f);
	for (k = 0; k < nr; k++) {
		size_t j;

		r = v->reverse_rows ? nr - 1 - k : k;
		if (v->rotate_rows)
			r = (r + 1) % nr;
		if (t->rows[r][0][0] == '+' && v->mode != RESPELL)
			continue;
		for (j = 0; j < nc; j++) {
			const char *cell;

			c = v->reverse_cols ? nc - 1 - j : j;
			cell = t->rows[r][c] != NULL ? t->rows[r][c] : "";
			if (c == 0 && cell[0] == '+')
				cell++;
			if (j > 0)
				fputc(',', f);
			put_cell(f, spell(cell, v->mode, buf, sizeof buf), v->quote);
		}
		fputs(v->crlf ? "\r\n" : "\n", f);
	}
	ck_assert_int_eq(fclose(f), 0);
}

/* Write the book as `v` says, load it, return its fingerprint in fp. */
static void
fingerprint_of(const variant *v, char fp[65])
{
	char dir[] = "/tmp/b2b-fp-XXXXXX", path[512];
	b2b_ctx *ctx;
	b2b_book *book = NULL;
	size_t i, n;
	int rc;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	for (i = 0; i < NTABLES; i++)
		write_table(dir, &tables[v->reverse_files ? NTABLES - 1 - i : i], v);
	ck_assert_int_eq(b2b_ctx_new(&ctx, NULL), 0);
	rc = b2b_book_load_dir(&book, ctx, NULL, dir);
	n = b2b_ctx_diag_count(ctx);
	for (i = 0; i < n; i++)
		fprintf(stderr, "%s:%ld:%ld: %s\n", b2b_ctx_diag_file(ctx, i),
		        b2b_ctx_diag_line(ctx, i), b2b_ctx_diag_col(ctx, i),
		        b2b_ctx_diag_message(ctx, i));
	ck_assert_int_eq(rc, 0);
	ck_assert_uint_eq(n, 0);
	ck_assert_uint_eq(strlen(b2b_book_fingerprint(book)), 64);
	memcpy(fp, b2b_book_fingerprint(book), 65);
	b2b_book_unref(book);
	b2b_ctx_free(ctx);
	for (i = 0; i < NTABLES; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, tables[i].file);
		unlink(path);
	}
	rmdir(dir);
}

static char base_fp[65];

static void
setup_base(void)
{
	variant v;

	memset(&v, 0, sizeof v);
	fingerprint_of(&v, base_fp);
}

static const struct {
	const char *what;
	variant v;
} same[] = {
	{ "rows reversed", { BASE, 1, 0, 0, 0, 0, 0, 0 } },
	{ "rows rotated", { BASE, 0, 1, 0, 0, 0, 0, 0 } },
	{ "columns reversed", { BASE, 0, 0, 1, 0, 0, 0, 0 } },
	{ "CRLF", { BASE, 0, 0, 0, 1, 0, 0, 0 } },
	{ "every cell quoted", { BASE, 0, 0, 0, 0, 1, 0, 0 } },
	{ "BOM", { BASE, 0, 0, 0, 0, 0, 1, 0 } },
	{ "files created in reverse order", { BASE, 0, 0, 0, 0, 0, 0, 1 } },
	{ "numbers respelled, explicit defaults, sets reordered",
	  { RESPELL, 0, 0, 0, 0, 0, 0, 0 } },
	{ "everything at once", { RESPELL, 1, 1, 1, 1, 1, 1, 1 } },
};

START_TEST(test_same_content_same_fingerprint)
{
	char fp[65];

	fingerprint_of(&same[_i].v, fp);
	if (strcmp(fp, base_fp) != 0)
		fprintf(stderr, "fingerprint changed with: %s\n", same[_i].what);
	ck_assert_str_eq(fp, base_fp);
}
END_TEST

START_TEST(test_changed_content_changes_fingerprint)
{
	variant v;
	char fp1[65], fp2[65];

	memset(&v, 0, sizeof v);
	v.mode = MUTATE1;                 /* a price list break 8.5 → 8.4 */
	fingerprint_of(&v, fp1);
	ck_assert_str_ne(fp1, base_fp);
	v.mode = MUTATE2;                 /* a customer's price_lists BASE;SEG → SEG;BASE */
	fingerprint_of(&v, fp2);
	ck_assert_str_ne(fp2, base_fp);
	ck_assert_str_ne(fp2, fp1);
}
END_TEST

START_TEST(test_fingerprint_is_stable)
{
	variant v;
	char fp[65];

	memset(&v, 0, sizeof v);
	fingerprint_of(&v, fp);
	ck_assert_str_eq(fp, base_fp);
	ck_assert_uint_eq(strspn(fp, "0123456789abcdef"), 64);
}
END_TEST

/* The README's example, with its shortened currency rows expanded. */
START_TEST(test_readme_example)
{
	static const char marker[] = "AED|2|\n\xe2\x80\xa6\nZWG|2|\n";  /* "…" elided */
	char dir[] = "/tmp/b2b-fp-XXXXXX", path[512], want[65];
	char *readme, *start, *end, *text, *cut;
	size_t len, i, off;
	b2b_ctx *ctx;
	b2b_book *book = NULL;
	b2b__sha256 sha;
	unsigned char d[32];
	FILE *f;

	/* the README section's first code block */
	f = fopen(B2B_TESTS_DIR "/../README.md", "rb");
	ck_assert_ptr_nonnull(f);
	readme = malloc(1 << 20);
	ck_assert_ptr_nonnull(readme);
	len = fread(readme, 1, (1 << 20) - 1, f);
	fclose(f);
	readme[len] = '\0';
	start = strstr(readme, "## Fingerprint");
	ck_assert_ptr_nonnull(start);
	start = strstr(start, "```\n");
	ck_assert_ptr_nonnull(start);
	start += 4;
	end = strstr(start, "```");
	ck_assert_ptr_nonnull(end);
	*end = '\0';
	text = start;
	cut = strstr(text, marker);
	ck_assert_ptr_nonnull(cut);

	/* the book it describes */
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/products.csv", dir);
	f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	fputs("sku,list_price,name\nX|1,10.50,\"a;b\"\n", f);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_int_eq(b2b_ctx_new(&ctx, NULL), 0);
	ck_assert_int_eq(b2b_book_load_dir(&book, ctx, NULL, dir), 0);
	unlink(path);
	rmdir(dir);

	b2b__sha256_init(&sha);
	b2b__sha256_update(&sha, text, (size_t)(cut - text));
	for (i = 0; i < book->ncurrencies; i++) {
		char row[64];
		int n = snprintf(row, sizeof row, "%s|%d|", book->currencies[i].code,
		                 (int)book->currencies[i].minor_units);

		ck_assert_int_eq(book->currencies[i].cash_increment.set, 0);
		b2b__sha256_update(&sha, row, (size_t)n);
		b2b__sha256_update(&sha, "\n", 1);
	}
	off = (size_t)(cut - text) + strlen(marker);
	b2b__sha256_update(&sha, text + off, strlen(text + off));
	b2b__sha256_final(&sha, d);
	b2b__sha256_hex(d, want);
	ck_assert_str_eq(b2b_book_fingerprint(book), want);
	b2b_book_unref(book);
	b2b_ctx_free(ctx);
	free(readme);
}
END_TEST

/*
 * The escaping of values (README "Fingerprint") against a byte-by-byte
 * reference: `\` `|` `;` get a backslash, control bytes and DEL are
 * written \xHH, every other byte (UTF-8 included) is copied.
 */
static size_t
ref_esc(char *d, const unsigned char *s)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = 0;

	for (; *s != 0; s++) {
		if (*s == '\\' || *s == '|' || *s == ';') {
			d[n++] = '\\';
			d[n++] = (char)*s;
		} else if (*s < 0x20 || *s == 0x7f) {
			d[n++] = '\\';
			d[n++] = 'x';
			d[n++] = hex[*s >> 4];
			d[n++] = hex[*s & 15];
		} else {
			d[n++] = (char)*s;
		}
	}
	return n;
}

/* b2b__fp_esc() with room for `cap` bytes at a time, the pieces joined as
 * the emitter joins them when it flushes. */
static size_t
fast_esc(char *out, const char *s, size_t readable, size_t cap)
{
	char piece[64];
	size_t n = 0, used, w;
	int done = 0;

	while (!done) {
		w = b2b__fp_esc(piece, cap, s, readable, &used, &done);
		ck_assert_uint_le(w, cap);
		ck_assert(done || w + 4 > cap || used == 0 || w > 0);
		memcpy(out + n, piece, w);
		n += w;
		s += used;
		readable = readable > used ? readable - used : 0;
	}
	return n;
}

static unsigned rnd_state = 12345u;

static unsigned
rnd(void)
{
	rnd_state = rnd_state * 1103515245u + 12345u;
	return rnd_state >> 8;
}

/* One string in a block of exactly len + 1 + extra bytes (so that a read
 * past `readable` is caught by the sanitizers), escaped with every
 * readable bound that may be given and several buffer sizes. */
static void
check_esc(const unsigned char *str, size_t len, size_t extra)
{
	static const size_t caps[] = { 4, 5, 7, 16, 17, 19, 31, 64 };
	char *block = malloc(len + 1 + extra);
	char want[4 * 300 + 1], got[4 * 300 + 1];
	size_t nwant, ngot, c;

	ck_assert_ptr_nonnull(block);
	memcpy(block, str, len);
	block[len] = '\0';
	memset(block + len + 1, 'a', extra);
	nwant = ref_esc(want, (const unsigned char *)block);
	for (c = 0; c < sizeof caps / sizeof *caps; c++) {
		ngot = fast_esc(got, block, len + 1 + extra, caps[c]);
		ck_assert_uint_eq(ngot, nwant);
		ck_assert_mem_eq(got, want, nwant);
		ngot = fast_esc(got, block, rnd() % (len + 2 + extra), caps[c]);
		ck_assert_uint_eq(ngot, nwant);
		ck_assert_mem_eq(got, want, nwant);
		ngot = fast_esc(got, block, 0, caps[c]);
		ck_assert_uint_eq(ngot, nwant);
		ck_assert_mem_eq(got, want, nwant);
	}
	free(block);
}

START_TEST(test_escape_matches_reference)
{
	static const char *const utf8[] = { "é", "€", "𝄞", "ß", "日本" };
	unsigned char s[300] = { 0 };
	size_t len, i, pos;
	unsigned b;

	/* empty; every byte value alone and at every place of a clean run */
	check_esc(s, 0, 0);
	check_esc(s, 0, 40);
	for (b = 1; b < 256; b++) {
		for (pos = 0; pos < 40; pos += 3) {
			memset(s, 'x', 40);
			s[pos] = (unsigned char)b;
			check_esc(s, 40, rnd() % 20);
			check_esc(s, pos + 1, rnd() % 20);
		}
	}
	/* random strings: every byte, mostly clean, UTF-8; short and long */
	for (i = 0; i < 3000; i++) {
		len = (i % 10 == 0) ? rnd() % 300 : rnd() % 40;
		for (pos = 0; pos < len; pos++) {
			switch (i % 3) {
			case 0:
				s[pos] = (unsigned char)(1 + rnd() % 255);
				break;
			case 1:
				s[pos] = (unsigned char)(rnd() % 50 == 0 ? 1 + rnd() % 255
				                                          : 'A' + rnd() % 26);
				break;
			default:
				if (pos + 4 < len && rnd() % 4 == 0) {
					const char *u = utf8[rnd() % 5];

					memcpy(s + pos, u, strlen(u));
					pos += strlen(u) - 1;
				} else {
					s[pos] = (unsigned char)(' ' + rnd() % 95);
				}
				break;
			}
		}
		check_esc(s, len, rnd() % 24);
	}
}
END_TEST

static Suite *
fingerprint_suite(void)
{
	Suite *s = suite_create("fingerprint");
	TCase *tc = tcase_create("Core");

	tcase_add_unchecked_fixture(tc, setup_base, NULL);
	tcase_add_test(tc, test_fingerprint_is_stable);
	tcase_add_loop_test(tc, test_same_content_same_fingerprint, 0,
	                    (int)(sizeof same / sizeof *same));
	tcase_add_test(tc, test_changed_content_changes_fingerprint);
	tcase_add_test(tc, test_readme_example);
	tcase_add_test(tc, test_escape_matches_reference);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return b2b_test_run(fingerprint_suite());
}
