/* test_log.c - what reaches the terminal through the log helper. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "headsup/log.h"
#include "testutil.h"

static char dir[256];
static char got[1 << 16];

/* Run hs_error("%s", text) with stderr into a file; what it wrote goes to
 * got. */
static void log_error(const char *text)
{
	char path[300];
	snprintf(path, sizeof path, "%s/stderr.txt", dir);
	const int saved = hs_test_stderr_begin(path);
	assert_true(saved >= 0);
	hs_error("cannot read image '%s': not an image", text);
	hs_test_stderr_end(saved, path, got, sizeof got);
}

static int setup(void **state)
{
	(void)state;
	hs_test_tmpdir(dir, sizeof dir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	hs_test_rmtree(dir);
	return 0;
}

/* A file's name cannot recolour the terminal, move its cursor, or forge a
 * message of its own with a line break. */
static void names_cannot_steer_the_terminal(void **state)
{
	(void)state;
	log_error("a\x1b[31mred\n"
	          "headsup: error: forged\r\x9b\xc2\x9b"
	          "2J\x7f.jpg");
	assert_string_equal(got, "headsup: error: cannot read image "
	                         "'a?[31mred?headsup: error: forged?\x9b??2J?"
	                         ".jpg': not an image\n");
}

/* UTF-8 names stay as they are. */
static void utf8_names_are_kept(void **state)
{
	(void)state;
	log_error("Fr\xc3\xbc"
	          "hst\xc3\xbc"
	          "ck \xe2\x80\x94 \xf0\x9f\x93\xb7.png");
	assert_string_equal(got, "headsup: error: cannot read image "
	                         "'Fr\xc3\xbc"
	                         "hst\xc3\xbc"
	                         "ck \xe2\x80\x94 "
	                         "\xf0\x9f\x93\xb7.png': not an image\n");
}

/* A message longer than the line buffer is written whole. */
static void a_long_message_is_whole(void **state)
{
	(void)state;
	static char name[20001];
	memset(name, 'n', sizeof name - 1);
	log_error(name);
	assert_int_equal(strlen(got), strlen("headsup: error: cannot read "
	                                     "image '': not an image\n") +
	                                      sizeof name - 1);
	assert_non_null(strstr(got, "nnn': not an image\n"));
}

int main(void)
{
	hs_log_set_level(HS_LOG_ERROR);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(names_cannot_steer_the_terminal),
		cmocka_unit_test(utf8_names_are_kept),
		cmocka_unit_test(a_long_message_is_whole),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
