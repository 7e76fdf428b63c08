/* fuzz_timeparse.c - libFuzzer target for the date, date-time and duration
 * parsers (timeparse.h).  The input, cut at its first NUL, goes to all
 * three; each must answer as the header promises:
 *   - hs_date_parse: 0 with a real calendar day from 1970 to 9999 that
 *     formats and parses back to itself, or HS_EINVAL with *out untouched;
 *   - hs_duration_parse: 0 with whole seconds from 1 s to 7 days, or
 *     HS_EINVAL / HS_ERANGE with *seconds untouched;
 *   - hs_datetime_parse: 0 with a finite time and no reason, and only for
 *     text of the documented shape (two-digit fields, one sign), or
 *     HS_EINVAL / HS_ERANGE (the latter only for that shape) untouched,
 *     with a reason.
 *
 * Built only with clang and -DHS_FUZZ=ON; seeds in corpus/timeparse/.
 */
#include <math.h>
#include <regex.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "headsup/err.h"
#include "headsup/timeparse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* 2026-03-14 12:00 UTC: "today" and "yesterday" resolve against it. */
#define NOW_UNIX 1773489600.0

static int days_in_month(int year, int month)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30,
		                    31, 31, 30, 31, 30, 31 };
	bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
	return month == 2 && leap ? 29 : days[month - 1];
}

static void check_date(const char *text)
{
	const hs_date sentinel = { -1, -1, -1 };
	hs_date d = sentinel;
	int rc = hs_date_parse(text, NOW_UNIX, &d);
	if (rc == HS_EINVAL) {
		if (d.year != -1 || d.month != -1 || d.day != -1)
			__builtin_trap();
		return;
	}
	if (rc != 0 || d.year < 1970 || d.year > 9999 || d.month < 1 ||
	    d.month > 12 || d.day < 1 || d.day > days_in_month(d.year, d.month))
		__builtin_trap();
	char again[16];
	hs_date back = sentinel;
	if (hs_date_format(d, again, sizeof again) != 0 ||
	    hs_date_parse(again, NOW_UNIX, &back) != 0 ||
	    hs_date_cmp(back, d) != 0)
		__builtin_trap();
}

static void check_duration(const char *text)
{
	double s = -1;
	int rc = hs_duration_parse(text, &s);
	if (rc == HS_EINVAL || rc == HS_ERANGE) {
		if (s != -1)
			__builtin_trap();
		return;
	}
	if (rc != 0 || !(s >= 1 && s <= 7 * 24 * 3600.0) || s != floor(s))
		__builtin_trap();
}

/* "YYYY-MM-DD" alone, or with 'T' (or 't' or a space) and "HH:MM[:SS]",
 * the seconds perhaps with a fraction after '.' or ',', then nothing, 'Z'
 * (or 'z') or an offset "+HH", "+HHMM" or "+HH:MM" (timeparse.h).
 * Checked with a POSIX regular expression so that the oracle shares no
 * code with the parser. */
static bool datetime_shaped(const char *text)
{
	static regex_t re;
	static bool compiled;
	if (!compiled) {
		if (regcomp(&re,
		            "^[0-9]{4}-[0-9]{2}-[0-9]{2}"
		            "([Tt ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.,][0-9]+)?)?"
		            "([Zz]|[+-][0-9]{2}(:?[0-9]{2})?)?)?$",
		            REG_EXTENDED | REG_NOSUB) != 0)
			__builtin_trap();
		compiled = true;
	}
	return regexec(&re, text, 0, NULL, 0) == 0;
}

static void check_datetime(const char *text)
{
	double t = -1e300;
	char why[160] = "x";
	int rc = hs_datetime_parse(text, &t, why, sizeof why);
	if (rc == HS_EINVAL || rc == HS_ERANGE) {
		if (t != -1e300 || why[0] == '\0' ||
		    (rc == HS_ERANGE && !datetime_shaped(text)))
			__builtin_trap();
		return;
	}
	if (rc != 0 || !isfinite(t) || why[0] != '\0' || !datetime_shaped(text))
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* A string of exactly the input, so reading past it is caught. */
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	if (size)
		memcpy(text, data, size);
	text[size] = '\0';
	check_date(text);
	check_duration(text);
	check_datetime(text);
	free(text);
	return 0;
}
