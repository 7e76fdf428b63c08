/* test_json.c - the JSON writer behind `analyze --json` and the JSON
 * report: what must be escaped, and text that is always valid UTF-8. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "headsup/json.h"

/* hs_json_string(s) as a new string (free() it). */
static char *quoted(const char *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	hs_json_string(f, s);
	fclose(f);
	return buf;
}

static void assert_quoted(const char *s, const char *want)
{
	char *got = quoted(s);
	assert_string_equal(got, want);
	free(got);
}

static void specials_are_escaped(void **state)
{
	(void)state;
	assert_quoted("", "\"\"");
	assert_quoted("plain /dev/video0", "\"plain /dev/video0\"");
	assert_quoted("a\"b\\c", "\"a\\\"b\\\\c\"");
	assert_quoted("tab\tnew\nret\r", "\"tab\\tnew\\nret\\r\"");
	assert_quoted("\x01\x1f\x7f", "\"\\u0001\\u001f\x7f\"");
}

/* Well-formed characters of 2, 3 and 4 bytes pass unchanged. */
static void utf8_passes_through(void **state)
{
	(void)state;
	assert_quoted("caf\xc3\xa9", "\"caf\xc3\xa9\"");   /* é */
	assert_quoted("\xe2\x86\x92", "\"\xe2\x86\x92\""); /* → */
	assert_quoted("\xef\xbf\xbd", "\"\xef\xbf\xbd\""); /* U+FFFD */
	assert_quoted("\xf0\x9f\x98\x80 ok",
	              "\"\xf0\x9f\x98\x80 ok\""); /* U+1F600 */
	assert_quoted("\xf4\x8f\xbf\xbf",
	              "\"\xf4\x8f\xbf\xbf\""); /* U+10FFFF */
}

/* A file name in another encoding, or cut mid-character, still gives
 * valid JSON: each stray byte becomes \ufffd and the rest survives. */
static void malformed_bytes_become_replacement_characters(void **state)
{
	(void)state;
	assert_quoted("bad\xff\xfe.jpg", "\"bad\\ufffd\\ufffd.jpg\"");
	assert_quoted("Latin-1 caf\xe9!", "\"Latin-1 caf\\ufffd!\"");
	assert_quoted("cut \xe2\x86", "\"cut \\ufffd\\ufffd\"");
	assert_quoted("\xc0\xaf", "\"\\ufffd\\ufffd\""); /* overlong / */
	assert_quoted("\xe0\x80\xaf",
	              "\"\\ufffd\\ufffd\\ufffd\""); /* overlong */
	assert_quoted("\xed\xa0\x80",
	              "\"\\ufffd\\ufffd\\ufffd\""); /* surrogate */
	assert_quoted("\xf4\x90\x80\x80",
	              "\"\\ufffd\\ufffd\\ufffd\\ufffd\""); /* > U+10FFFF */
	assert_quoted("\x80x", "\"\\ufffdx\""); /* lone continuation */
}

static void numbers_are_plain_or_null(void **state)
{
	(void)state;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	hs_json_number(f, 1.23456, 2);
	fputc(' ', f);
	hs_json_number(f, -0.001, 2); /* rounds to zero: no "-0.00" */
	fputc(' ', f);
	hs_json_number(f, NAN, 2);
	fputc(' ', f);
	hs_json_number(f, INFINITY, 1);
	fputc(' ', f);
	hs_json_number(f, -12.5, 1);
	fclose(f);
	assert_string_equal(buf, "1.23 0.00 null null -12.5");
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(specials_are_escaped),
		cmocka_unit_test(utf8_passes_through),
		cmocka_unit_test(malformed_bytes_become_replacement_characters),
		cmocka_unit_test(numbers_are_plain_or_null),
	};
	return cmocka_run_group_tests_name("json", tests, NULL, NULL);
}
