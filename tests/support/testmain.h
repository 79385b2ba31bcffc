/* Tests: run one Check suite and turn its result into an exit status. */
#ifndef B2B_TEST_MAIN_H
#define B2B_TEST_MAIN_H

#include <check.h>
#include <stdlib.h>

static inline int
b2b_test_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

/* Directory of the source tree's tests/ (set by meson). */
#ifndef B2B_TESTS_DIR
#define B2B_TESTS_DIR "."
#endif
/* Directory of ../shared/conformance (set by meson). */
#ifndef B2B_CONFORMANCE_DIR
#define B2B_CONFORMANCE_DIR "."
#endif
/* examples/ of the source tree (set by meson). */
#ifndef B2B_EXAMPLES_DIR
#define B2B_EXAMPLES_DIR "."
#endif

#endif
