/*
 * Test helpers shared by the book tests (check_book_load.c,
 * check_volume_load.c, check_lint.c): a book directory written to /tmp
 * from {name, text} pairs, loaded, and its diagnostics checked.
 * Static inline so that each test uses what it needs without warnings.
 */
#ifndef B2B_TESTS_BOOK_TEST_H
#define B2B_TESTS_BOOK_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "b2b.h"
#include "support/testmain.h"

/* mkdtemp()'s template for the book directories (a test may set its own). */
#ifndef BOOK_TEST_DIR_TEMPLATE
#define BOOK_TEST_DIR_TEMPLATE "/tmp/b2b-book-XXXXXX"
#endif

#define END { NULL, NULL }

typedef struct bfile {
	const char *name;
	const char *text;
} bfile;

/* A temporary book directory with the given files. */
static inline char *
make_dir(const bfile *files)
{
	static char dir[64];
	char path[256];
	size_t i;

	strcpy(dir, BOOK_TEST_DIR_TEMPLATE);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	for (i = 0; files[i].name != NULL; i++) {
		FILE *f;

		snprintf(path, sizeof(path), "%s/%s", dir, files[i].name);
		f = fopen(path, "wb");
		ck_assert_ptr_nonnull(f);
		fputs(files[i].text, f);
		fclose(f);
	}
	return dir;
}

static inline void
remove_dir(const char *dir, const bfile *files)
{
	char path[256];
	size_t i;

	for (i = 0; files[i].name != NULL; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i].name);
		unlink(path);
	}
	rmdir(dir);
}

/* Load files; the ctx keeps the diagnostics. */
static inline int
load(const bfile *files, b2b_ctx **ctx, b2b_book **book)
{
	char *dir = make_dir(files);
	int rc;

	ck_assert_int_eq(b2b_ctx_new(ctx, NULL), 0);
	*book = (b2b_book *)ctx;   /* must be overwritten */
	rc = b2b_book_load_dir(book, *ctx, NULL, dir);
	remove_dir(dir, files);
	return rc;
}

static inline void
dump(b2b_ctx *ctx)
{
	size_t i;

	for (i = 0; i < b2b_ctx_diag_count(ctx); i++)
		fprintf(stderr, "  %s:%ld:%ld: %s%s\n", b2b_ctx_diag_file(ctx, i),
		        b2b_ctx_diag_line(ctx, i), b2b_ctx_diag_col(ctx, i),
		        b2b_ctx_diag_severity(ctx, i) == B2B_SEV_WARNING ? "warning: " : "",
		        b2b_ctx_diag_message(ctx, i));
}

static inline void
diag_is(b2b_ctx *ctx, size_t i, const char *file, long line, long col, const char *sub)
{
	int ok = i < b2b_ctx_diag_count(ctx) && strcmp(b2b_ctx_diag_file(ctx, i), file) == 0 &&
	         b2b_ctx_diag_line(ctx, i) == line && b2b_ctx_diag_col(ctx, i) == col &&
	         strstr(b2b_ctx_diag_message(ctx, i), sub) != NULL;

	if (!ok) {
		fprintf(stderr, "expected diagnostic %zu: %s:%ld:%ld: ...%s...\ngot:\n", i, file,
		        line, col, sub);
		dump(ctx);
	}
	ck_assert_msg(ok, "diagnostic %zu is not %s:%ld:%ld: %s", i, file, line, col, sub);
}

/* The book has exactly one problem, an error: file:line:col: …sub… */
static inline void
expect1(const bfile *files, const char *file, long line, long col, const char *sub)
{
	b2b_ctx *ctx;
	b2b_book *book;
	int rc = load(files, &ctx, &book);

	if (rc != B2B_EBOOK || b2b_ctx_diag_count(ctx) != 1)
		dump(ctx);
	ck_assert_int_eq(rc, B2B_EBOOK);
	ck_assert_ptr_null(book);
	ck_assert_uint_eq(b2b_ctx_diag_count(ctx), 1);
	ck_assert_int_eq(b2b_ctx_diag_severity(ctx, 0), B2B_SEV_ERROR);
	diag_is(ctx, 0, file, line, col, sub);
	b2b_ctx_free(ctx);
}

/* The book loads with no diagnostic at all. */
static inline b2b_book *
expect_ok(const bfile *files, b2b_ctx **ctxp)
{
	b2b_ctx *ctx;
	b2b_book *book;
	int rc = load(files, &ctx, &book);

	if (rc != 0 || b2b_ctx_diag_count(ctx) != 0) {
		fprintf(stderr, "rc=%d %s\n", rc, b2b_ctx_errmsg(ctx));
		dump(ctx);
	}
	ck_assert_int_eq(rc, 0);
	ck_assert_ptr_nonnull(book);
	ck_assert_uint_eq(b2b_ctx_diag_count(ctx), 0);
	if (ctxp != NULL)
		*ctxp = ctx;
	else
		b2b_ctx_free(ctx);
	return book;
}

/* An error test: the files, then where the one diagnostic is. */
#define ERR_TEST(name, file, line, col, sub, ...) \
	START_TEST(name) \
	{ \
		static const bfile f[] = { __VA_ARGS__, END }; \
		expect1(f, file, line, col, sub); \
	} \
	END_TEST

#endif
