/*
 * Tests: b2b_ctx (arena, errors, diagnostics), b2b_strerror, versions,
 * and the failing allocator itself.
 */
#include <string.h>

#include "b2b.h"
#include "ctx_int.h"
#include "support/failalloc.h"
#include "support/testmain.h"

START_TEST(test_new_free)
{
	b2b_ctx *ctx = NULL;

	ck_assert_int_eq(b2b_ctx_new(&ctx, NULL), 0);
	ck_assert_ptr_nonnull(ctx);
	ck_assert_int_eq(b2b_ctx_errcode(ctx), 0);
	ck_assert_str_eq(b2b_ctx_errmsg(ctx), "");
	ck_assert_int_eq(b2b_ctx_erroffset(ctx), -1);
	b2b_ctx_free(ctx);
	b2b_ctx_free(NULL);
	b2b_ctx_reset(NULL);
}
END_TEST

/* b2b_ctx_options_init() gives what the macro gives, for the version asked. */
START_TEST(test_options_init)
{
	const b2b_ctx_options want = B2B_CTX_OPTIONS_INIT;
	b2b_ctx_options o;
	b2b_ctx *ctx = NULL;

	memset(&o, 0xA5, sizeof(o));
	ck_assert_int_eq(b2b_ctx_options_init(&o, B2B_CTX_OPTIONS_VERSION), 0);
	ck_assert_uint_eq(o.version, 1);
	ck_assert_ptr_null(o.allocator);
	ck_assert_uint_eq(o.arena_initial, want.arena_initial);
	ck_assert_uint_eq(o.flags, want.flags);
	ck_assert_int_eq(b2b_ctx_new(&ctx, &o), 0);
	b2b_ctx_free(ctx);
	/* an unknown version leaves the struct untouched */
	memset(&o, 0xA5, sizeof(o));
	ck_assert_int_eq(b2b_ctx_options_init(&o, 0), B2B_EVERSION);
	ck_assert_int_eq(b2b_ctx_options_init(&o, B2B_CTX_OPTIONS_VERSION + 1), B2B_EVERSION);
	ck_assert_uint_eq(o.version, 0xA5A5A5A5u);
	ck_assert_int_eq(b2b_ctx_options_init(NULL, B2B_CTX_OPTIONS_VERSION), B2B_EINVAL);
}
END_TEST

START_TEST(test_options_errors)
{
	b2b_ctx *ctx = (b2b_ctx *)&ctx;
	b2b_ctx_options o = B2B_CTX_OPTIONS_INIT;

	o.version = 2;
	ck_assert_int_eq(b2b_ctx_new(&ctx, &o), B2B_EVERSION);
	ck_assert_ptr_null(ctx);
	o.version = 0;
	ck_assert_int_eq(b2b_ctx_new(&ctx, &o), B2B_EVERSION);
	o.version = B2B_CTX_OPTIONS_VERSION;
	o.flags = 0x80;
	ck_assert_int_eq(b2b_ctx_new(&ctx, &o), B2B_EINVAL);
	ck_assert_int_eq(b2b_ctx_new(NULL, NULL), B2B_EINVAL);
}
END_TEST

START_TEST(test_arena_grows_and_reset_keeps_capacity)
{
	b2b_ctx_options o = B2B_CTX_OPTIONS_INIT;
	failalloc fa;
	b2b_allocator a;
	b2b_ctx *ctx;
	long calls;
	int i;

	failalloc_init(&fa, -1);
	a = failalloc_allocator(&fa);
	o.allocator = &a;
	o.arena_initial = 256;
	ck_assert_int_eq(b2b_ctx_new(&ctx, &o), 0);
	for (i = 0; i < 100; i++) {
		unsigned char *p = b2b__ctx_alloc(ctx, 100);
		ck_assert_ptr_nonnull(p);
		ck_assert_uint_eq((uintptr_t)p % 16, 0);
		memset(p, i, 100);
	}
	ck_assert_uint_eq(b2b_ctx_arena_used(ctx), 100 * 112);
	b2b_ctx_reset(ctx);
	ck_assert_uint_eq(b2b_ctx_arena_used(ctx), 0);
	/* after the reset, the same work needs no allocation */
	calls = fa.calls;
	for (i = 0; i < 100; i++)
		ck_assert_ptr_nonnull(b2b__ctx_alloc(ctx, 100));
	ck_assert_int_eq(fa.calls, calls);
	b2b_ctx_free(ctx);
	ck_assert_int_eq(fa.live, 0);
	ck_assert_int_eq(fa.bad_size, 0);
}
END_TEST

START_TEST(test_no_grow)
{
	b2b_ctx_options o = B2B_CTX_OPTIONS_INIT;
	b2b_ctx *ctx;

	o.arena_initial = 64;
	o.flags = B2B_CTX_NO_GROW;
	ck_assert_int_eq(b2b_ctx_new(&ctx, &o), 0);
	ck_assert_ptr_nonnull(b2b__ctx_alloc(ctx, 48));
	ck_assert_ptr_nonnull(b2b__ctx_alloc(ctx, 16));
	ck_assert_ptr_null(b2b__ctx_alloc(ctx, 1));
	b2b_ctx_free(ctx);
}
END_TEST

START_TEST(test_errors_and_location)
{
	b2b_ctx *ctx;

	ck_assert_int_eq(b2b_ctx_new(&ctx, NULL), 0);
	ck_assert_int_eq(b2b__ctx_seterr(ctx, B2B_EPARSE, "expected %s", "a digit"), B2B_EPARSE);
	b2b__ctx_setloc(ctx, "products.csv", 3, 7, 42);
	b2b__ctx_setpath(ctx, "lines[2].qty");
	ck_assert_int_eq(b2b_ctx_errcode(ctx), B2B_EPARSE);
	ck_assert_str_eq(b2b_ctx_errmsg(ctx), "expected a digit");
	ck_assert_str_eq(b2b_ctx_errfile(ctx), "products.csv");
	ck_assert_int_eq(b2b_ctx_errline(ctx), 3);
	ck_assert_int_eq(b2b_ctx_errcol(ctx), 7);
	ck_assert_int_eq(b2b_ctx_erroffset(ctx), 42);
	ck_assert_str_eq(b2b_ctx_errpath(ctx), "lines[2].qty");
	b2b_ctx_reset(ctx);
	ck_assert_int_eq(b2b_ctx_errcode(ctx), 0);
	ck_assert_str_eq(b2b_ctx_errpath(ctx), "");
	/* NULL ctx: the code passes through */
	ck_assert_int_eq(b2b__ctx_seterr(NULL, B2B_EINVAL, "x"), B2B_EINVAL);
	b2b_ctx_free(ctx);
}
END_TEST

START_TEST(test_diagnostics_kept_and_counted)
{
	b2b_ctx *ctx;
	int i;

	ck_assert_int_eq(b2b_ctx_new(&ctx, NULL), 0);
	ck_assert_int_eq(b2b__ctx_diag(ctx, B2B_SEV_WARNING, "a.csv", 1, 2, "w%d", 1), 0);
	for (i = 0; i < B2B_CTX_MAX_DIAGS + 5; i++)
		ck_assert_int_eq(b2b__ctx_diag(ctx, B2B_SEV_ERROR, NULL, i, 1, "e%d", i), 0);
	ck_assert_uint_eq(b2b_ctx_diag_count(ctx), B2B_CTX_MAX_DIAGS);
	ck_assert_uint_eq(b2b_ctx_diag_errors(ctx), B2B_CTX_MAX_DIAGS + 5);
	ck_assert_uint_eq(b2b_ctx_diag_errors(NULL), 0);
	ck_assert(b2b_ctx_diag_truncated(ctx));
	ck_assert_str_eq(b2b_ctx_diag_file(ctx, 0), "a.csv");
	ck_assert_str_eq(b2b_ctx_diag_message(ctx, 0), "w1");
	ck_assert_int_eq(b2b_ctx_diag_severity(ctx, 0), B2B_SEV_WARNING);
	ck_assert_int_eq(b2b_ctx_diag_line(ctx, 0), 1);
	ck_assert_int_eq(b2b_ctx_diag_col(ctx, 0), 2);
	ck_assert_str_eq(b2b_ctx_diag_message(ctx, 1), "e0");
	ck_assert_str_eq(b2b_ctx_diag_message(ctx, 99999), "");
	ck_assert_int_eq(b2b_ctx_diag_severity(ctx, 99999), (b2b_severity)-1);
	ck_assert_ptr_null(b2b_severity_name(b2b_ctx_diag_severity(ctx, 99999)));
	b2b_ctx_reset(ctx);
	ck_assert_uint_eq(b2b_ctx_diag_count(ctx), 0);
	ck_assert_uint_eq(b2b_ctx_diag_errors(ctx), 0);
	ck_assert(!b2b_ctx_diag_truncated(ctx));
	b2b_ctx_free(ctx);
}
END_TEST

START_TEST(test_strerror)
{
	ck_assert_str_eq(b2b_strerror(B2B_OK), "success");
	ck_assert_str_eq(b2b_strerror(B2B_ENOMEM), "out of memory");
	ck_assert_str_eq(b2b_strerror(B2B_EDIVZERO), "division by zero");
	/* -15 is retired */
	ck_assert_str_eq(b2b_strerror(-15), "unknown status");
	ck_assert_str_eq(b2b_strerror(-1000), "unknown status");
	ck_assert_str_eq(b2b_strerror(5), "unknown status");
}
END_TEST

/* Every status has its identifier as its name, and reads back from it. */
START_TEST(test_status_names)
{
	b2b_status s;
	int i;

	ck_assert_str_eq(b2b_status_name(B2B_OK), "B2B_OK");
	ck_assert_str_eq(b2b_status_name(B2B_ENOMEM), "B2B_ENOMEM");
	ck_assert_str_eq(b2b_status_name(B2B_EDIVZERO), "B2B_EDIVZERO");
	for (i = 0; i >= -14; i--) {
		const char *name = b2b_status_name((b2b_status)i);

		ck_assert_ptr_nonnull(name);
		ck_assert_int_eq(b2b_status_parse(&s, name, strlen(name)), 0);
		ck_assert_int_eq((int)s, i);
	}
	ck_assert_ptr_null(b2b_status_name((b2b_status)1));
	ck_assert_ptr_null(b2b_status_name((b2b_status)-15));
	ck_assert_ptr_null(b2b_status_name((b2b_status)-1000));
	s = B2B_EIO;
	ck_assert_int_eq(b2b_status_parse(&s, "ENOMEM", 6), B2B_EPARSE);
	ck_assert_int_eq(b2b_status_parse(&s, "b2b_enomem", 10), B2B_EPARSE);
	ck_assert_int_eq((int)s, B2B_EIO);
	ck_assert_int_eq(b2b_status_parse(NULL, "B2B_OK", 6), B2B_EINVAL);
}
END_TEST

/* Diagnostic severities: names, parse, and what an unknown value gives. */
START_TEST(test_severity_names)
{
	b2b_severity s = B2B_SEV_WARNING;

	ck_assert_str_eq(b2b_severity_name(B2B_SEV_ERROR), "error");
	ck_assert_str_eq(b2b_severity_name(B2B_SEV_WARNING), "warning");
	ck_assert_ptr_null(b2b_severity_name((b2b_severity)2));
	ck_assert_ptr_null(b2b_severity_name((b2b_severity)-1));
	ck_assert_int_eq(b2b_severity_parse(&s, "error", 5), 0);
	ck_assert_int_eq(s, B2B_SEV_ERROR);
	ck_assert_int_eq(b2b_severity_parse(&s, "warning", 7), 0);
	ck_assert_int_eq(s, B2B_SEV_WARNING);
	ck_assert_int_eq(b2b_severity_parse(&s, "hold", 4), B2B_EPARSE);
	ck_assert_int_eq(b2b_severity_parse(&s, "warn", 4), B2B_EPARSE);
	ck_assert_int_eq(s, B2B_SEV_WARNING);
	ck_assert_int_eq(b2b_severity_parse(&s, NULL, 1), B2B_EINVAL);
}
END_TEST

START_TEST(test_version)
{
	ck_assert_uint_eq(b2b_version(), B2B_VERSION_NUMBER);
	ck_assert_str_eq(b2b_version_string(), B2B_VERSION);
	ck_assert(B2B_VERSION_CHECK(0, 1, 0));
	ck_assert(!B2B_VERSION_CHECK(99, 0, 0));
}
END_TEST

static int
ctx_body(const b2b_allocator *a, void *ud)
{
	b2b_ctx_options o = B2B_CTX_OPTIONS_INIT;
	b2b_ctx *ctx = NULL;
	int rc, i;

	(void)ud;
	o.allocator = a;
	o.arena_initial = 128;
	if ((rc = b2b_ctx_new(&ctx, &o)) < 0)
		return rc;
	for (i = 0; i < 20; i++) {
		if (b2b__ctx_alloc(ctx, 100) == NULL) {
			b2b_ctx_free(ctx);
			return B2B_ENOMEM;
		}
	}
	rc = b2b__ctx_diag(ctx, B2B_SEV_ERROR, "f", 1, 1, "m");
	b2b_ctx_free(ctx);
	return rc;
}

START_TEST(test_reset_survives_oom)
{
	/* a reset that cannot merge its chunks keeps the largest one */
	b2b_ctx_options o = B2B_CTX_OPTIONS_INIT;
	failalloc fa;
	b2b_allocator a;
	b2b_ctx *ctx;
	int i;

	failalloc_init(&fa, -1);
	a = failalloc_allocator(&fa);
	o.allocator = &a;
	o.arena_initial = 64;
	ck_assert_int_eq(b2b_ctx_new(&ctx, &o), 0);
	for (i = 0; i < 10; i++)
		ck_assert_ptr_nonnull(b2b__ctx_alloc(ctx, 64));
	fa.fail_at = fa.calls;
	b2b_ctx_reset(ctx);
	ck_assert_int_eq(fa.failed, 1);
	ck_assert_int_eq(fa.live, 2);   /* the ctx and its largest chunk */
	ck_assert_ptr_nonnull(b2b__ctx_alloc(ctx, 64));
	b2b_ctx_free(ctx);
	ck_assert_int_eq(fa.live, 0);
}
END_TEST

START_TEST(test_oom_loop)
{
	ck_assert_int_gt(failalloc_loop(ctx_body, NULL, 1000), 1);
}
END_TEST

static Suite *
ctx_suite(void)
{
	Suite *s = suite_create("ctx");
	TCase *core = tcase_create("Core"), *errors = tcase_create("Errors");

	tcase_add_test(core, test_new_free);
	tcase_add_test(core, test_arena_grows_and_reset_keeps_capacity);
	tcase_add_test(core, test_errors_and_location);
	tcase_add_test(core, test_diagnostics_kept_and_counted);
	tcase_add_test(core, test_strerror);
	tcase_add_test(core, test_status_names);
	tcase_add_test(core, test_severity_names);
	tcase_add_test(core, test_version);
	tcase_add_test(core, test_options_init);
	tcase_add_test(errors, test_options_errors);
	tcase_add_test(errors, test_no_grow);
	tcase_add_test(errors, test_oom_loop);
	tcase_add_test(errors, test_reset_survives_oom);
	suite_add_tcase(s, core);
	suite_add_tcase(s, errors);
	return s;
}

int
main(void)
{
	return b2b_test_run(ctx_suite());
}
