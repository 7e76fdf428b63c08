/* test_err.c - error codes and messages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "headsup/err.h"

static void every_code_has_a_distinct_message(void **state)
{
	(void)state;
	for (int e = HS_ERR_FIRST_ + 1; e < HS_ERR_LAST_; e++) {
		assert_string_not_equal(hs_strerror(e), "unknown error");
		for (int f = e + 1; f < HS_ERR_LAST_; f++)
			assert_string_not_equal(hs_strerror(e), hs_strerror(f));
		assert_true(e < 0);
	}
	/* The loop above walked every code of the table, no fewer. */
#define HS_TEST_COUNT(name, msg) +1
	enum {
		codes_in_table = 0 HS_ERR_MAP(HS_TEST_COUNT)
	};
#undef HS_TEST_COUNT
	assert_int_equal(HS_ERR_LAST_ - HS_ERR_FIRST_ - 1, codes_in_table);
	assert_true(codes_in_table >= 6);
	assert_string_equal(hs_strerror(0), "success");
	assert_string_equal(hs_strerror(12345), "unknown error");
}

static void errno_maps_to_what_users_are_told(void **state)
{
	(void)state;
	assert_int_equal(hs_err_from_errno(ENOENT), HS_ENOENT);
	assert_int_equal(hs_err_from_errno(EACCES), HS_EACCES);
	assert_int_equal(hs_err_from_errno(EBUSY), HS_EBUSY);
	assert_int_equal(hs_err_from_errno(ENOSPC), HS_ENOSPC);
	/* $XDG_DATA_HOME set to a file: say so, not "no such file". */
	assert_int_equal(hs_err_from_errno(ENOTDIR), HS_ENOTDIR);
	assert_int_equal(hs_err_from_errno(EISDIR), HS_EISDIR);
	assert_int_equal(hs_err_from_errno(ENAMETOOLONG), HS_ENAMETOOLONG);
	assert_string_equal(hs_err_name(HS_EBUSY), "BUSY");
	assert_string_equal(hs_strerror(HS_EBUSY), "device or resource busy");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_code_has_a_distinct_message),
		cmocka_unit_test(errno_maps_to_what_users_are_told),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
