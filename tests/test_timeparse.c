/* test_timeparse.c - the --date and duration parsers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "headsup/err.h"
#include "headsup/timeparse.h"
#include "testutil.h"

/* 2026-03-02 00:30 in Europe/Berlin = 2026-03-01 23:30 UTC. */
#define JUST_AFTER_MIDNIGHT 1772407800.0

static void assert_date(hs_date d, int y, int m, int day)
{
	assert_int_equal(d.year, y);
	assert_int_equal(d.month, m);
	assert_int_equal(d.day, day);
}

static void today_and_yesterday_are_local_days(void **state)
{
	(void)state;
	hs_date d;
	assert_int_equal(hs_date_parse("today", JUST_AFTER_MIDNIGHT, &d), 0);
	assert_date(d, 2026, 3, 2); /* local, not UTC's 03-01 */
	assert_int_equal(hs_date_parse("yesterday", JUST_AFTER_MIDNIGHT, &d),
	                 0);
	assert_date(d, 2026, 3, 1);
}

static void calendar_dates_must_exist(void **state)
{
	(void)state;
	hs_date d = { 1, 1, 1 };
	assert_int_equal(hs_date_parse("2024-02-29", 0, &d), 0);
	assert_date(d, 2024, 2, 29);
	static const char *const bad[] = {
		"2024-13-45",  "2023-02-29",  "2024-02-30", "2024-04-31",
		"2024-00-10",  "2024-01-00",  "2024-1-5",   "24-01-05",
		"2024-01-05x", " 2024-01-05", "2024/01/05", "",
		"Today",       "tomorrow",    "1969-12-31", "2024-01-+5",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		hs_date untouched = { 7, 7, 7 };
		if (hs_date_parse(bad[i], 0, &untouched) != HS_EINVAL)
			fail_msg("'%s' was accepted", bad[i]);
		assert_date(untouched, 7, 7, 7);
	}
	assert_int_equal(hs_date_parse(NULL, 0, &d), HS_EINVAL);
}

static void days_add_across_months_and_clock_changes(void **state)
{
	(void)state;
	hs_date d = { 2026, 3, 2 };
	assert_date(hs_date_add_days(d, -6), 2026, 2, 24);
	assert_date(hs_date_add_days(d, 30), 2026, 4, 1);
	assert_date(hs_date_add_days((hs_date){ 2024, 12, 31 }, 1), 2025, 1, 1);
	/* Berlin: 2026-03-29 has 23 hours, 2026-10-25 has 25. */
	hs_date spring = { 2026, 3, 29 }, autumn = { 2026, 10, 25 };
	assert_true(hs_date_start(hs_date_add_days(spring, 1)) -
	                    hs_date_start(spring) ==
	            23 * 3600);
	assert_true(hs_date_start(hs_date_add_days(autumn, 1)) -
	                    hs_date_start(autumn) ==
	            25 * 3600);
	char buf[16];
	assert_int_equal(hs_date_format(d, buf, sizeof buf), 0);
	assert_string_equal(buf, "2026-03-02");
	assert_int_equal(hs_date_format(d, buf, 5), HS_ERANGE);
	assert_true(hs_date_cmp(d, spring) < 0);
	assert_true(hs_date_cmp(autumn, spring) > 0);
	assert_int_equal(hs_date_cmp(d, d), 0);
	hs_date back = hs_date_from_unix(hs_date_start(d));
	assert_int_equal(hs_date_cmp(back, d), 0);
}

static void durations_in_every_form(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		double seconds;
	} good[] = {
		{ "90", 90 },       { "90s", 90 },       { "15m", 900 },
		{ "2h", 7200 },     { "1h30m", 5400 },   { "1m30s", 90 },
		{ "1h0m5s", 3605 }, { "168h", 604800 },  { "1", 1 },
		{ "2d", 172800 },   { "1d12h", 129600 }, { "7d", 604800 },
	};
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		double s = -1;
		if (hs_duration_parse(good[i].text, &s) != 0)
			fail_msg("'%s' was refused", good[i].text);
		assert_true(s == good[i].seconds);
	}
}

static void bad_durations_are_refused(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		int err;
	} bad[] = {
		{ "", HS_EINVAL },      { "m", HS_EINVAL },
		{ "15x", HS_EINVAL },   { "1h30", HS_EINVAL },
		{ "30m1h", HS_EINVAL }, { "1m1m", HS_EINVAL },
		{ "-5m", HS_EINVAL },   { "1.5h", HS_EINVAL },
		{ "15 m", HS_EINVAL },  { "0", HS_ERANGE },
		{ "0s", HS_ERANGE },    { "169h", HS_ERANGE },
		{ "8d", HS_ERANGE },    { "7d1s", HS_ERANGE },
		{ "1h1d", HS_EINVAL },  { "99999999999999999999", HS_ERANGE },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		double s = 42;
		int rc = hs_duration_parse(bad[i].text, &s);
		if (rc != bad[i].err)
			fail_msg("'%s': got %d, want %d", bad[i].text, rc,
			         bad[i].err);
		assert_true(s == 42);
	}
	double s = 42;
	assert_int_equal(hs_duration_parse(NULL, &s), HS_EINVAL);
}

/* A time whose Unix value is -1 is read as a time, not taken for
 * mktime()'s error: in Berlin (CET then), one second before 1 January 1970
 * 01:00 was refused as "not an ISO 8601 time".  It is refused for what it
 * is, a time before 1970 (which no journal day can hold), and the first
 * second of 1970 is a time. */
static void the_second_before_the_epoch_is_a_time(void **state)
{
	(void)state;
	double t = 42;
	char why[160];
	assert_int_equal(
	        hs_datetime_parse("1970-01-01T00:59:59", &t, why, sizeof why),
	        HS_ERANGE);
	assert_string_equal(why, "it falls before 1970 (UTC)");
	assert_true(t == 42);
	assert_int_equal(hs_datetime_parse("1970-01-01T01:00:00", &t, NULL, 0),
	                 0);
	assert_true(t == 0);
	t = 42;
	assert_int_equal(hs_datetime_parse("2026-02-30T10:00", &t, NULL, 0),
	                 HS_ERANGE);
	assert_true(t == 42);
}

/* A duration reached through sums of frame times reads as the whole it
 * is: an alert due after 30 s fired at 1030.0999999999999 - 1000.1 =
 * 29.999999999999886 s and said "29 seconds". */
static void durations_a_hair_short_read_whole(void **state)
{
	(void)state;
	char buf[64];
	assert_int_equal(hs_duration_format(1030.0999999999999 - 1000.1, buf,
	                                    sizeof buf),
	                 0);
	assert_string_equal(buf, "30 seconds");
	assert_int_equal(hs_duration_format(29.9, buf, sizeof buf), 0);
	assert_string_equal(buf, "29 seconds");
	assert_int_equal(hs_duration_format(119.99999999999, buf, sizeof buf),
	                 0);
	assert_string_equal(buf, "2 minutes");
}

/* A zone can skip a whole day: Samoa went from 29 to 31 December 2011
 * when it moved across the date line.  A report for the missing day is
 * refused rather than blamed on the journal. */
static void a_skipped_day_did_not_happen(void **state)
{
	(void)state;
	const char *was = getenv("TZ");
	char saved[64];
	snprintf(saved, sizeof saved, "%s", was ? was : "");
	setenv("TZ", "Pacific/Apia", 1);
	tzset();
	if (hs_date_from_unix(1325246400.0).day != 31) { /* 12:00 UTC 30 Dec */
		/* no tz database entry for Apia: the test cannot be made */
		was ? setenv("TZ", saved, 1) : unsetenv("TZ");
		tzset();
		skip();
	}
	assert_false(hs_date_exists((hs_date){ 2011, 12, 30 }));
	assert_true(hs_date_exists((hs_date){ 2011, 12, 29 }));
	assert_true(hs_date_exists((hs_date){ 2011, 12, 31 }));
	/* Berlin skips an hour in spring, not the day. */
	setenv("TZ", "Europe/Berlin", 1);
	tzset();
	assert_true(hs_date_exists((hs_date){ 2026, 3, 29 }));
	was ? setenv("TZ", saved, 1) : unsetenv("TZ");
	tzset();
}

/* 2026-03-14 09:00:00 UTC, 10:00 in Berlin. */
#define MARCH_14_0900Z 1773478800.0

/* --clock-start takes the ISO 8601 forms people and date(1) write: 't'
 * and 'z' in lower case, seconds with a fraction after a point or a comma
 * (date --iso-8601=ns), offsets "+0530" (date +%z) and "+05", a space for
 * the 'T', and a date alone (its local midnight).  All but the first
 * three of these were refused as "not an ISO 8601 time". */
static void iso_8601_times_in_the_forms_people_write(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		double t;
	} good[] = {
		{ "2026-03-14T09:00:00Z", MARCH_14_0900Z },
		{ "2026-03-14t09:00:00z", MARCH_14_0900Z },
		{ "2026-03-14T09:00Z", MARCH_14_0900Z },
		{ "2026-03-14T09:00:00.5Z", MARCH_14_0900Z + 0.5 },
		{ "2026-03-14T09:00:00,5Z", MARCH_14_0900Z + 0.5 },
		{ "2026-03-14T10:00:00,250000000+01:00",
		  MARCH_14_0900Z + 0.25 },
		{ "2026-03-14T14:30:00+05:30", MARCH_14_0900Z },
		{ "2026-03-14T14:30:00+0530", MARCH_14_0900Z },
		{ "2026-03-14T14:00+05", MARCH_14_0900Z },
		{ "2026-03-14T04:00:00-05", MARCH_14_0900Z },
		{ "2026-03-14T04:00:00-0500", MARCH_14_0900Z },
		{ "2026-03-14T23:00:00+14:00", MARCH_14_0900Z },
		{ "2026-03-13T21:00:00-12:00", MARCH_14_0900Z },
		{ "2026-03-14T10:00:00", MARCH_14_0900Z }, /* Berlin, CET */
		{ "2026-03-14 10:00", MARCH_14_0900Z },
		{ "2026-03-14t10:00:00.75", MARCH_14_0900Z + 0.75 },
		{ "2026-03-14", MARCH_14_0900Z - 10 * 3600 }, /* midnight */
	};
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		double t = 42;
		char why[160] = "unchanged";
		int rc = hs_datetime_parse(good[i].text, &t, why, sizeof why);
		if (rc != 0)
			fail_msg("'%s' was refused: %s", good[i].text, why);
		if (fabs(t - good[i].t) > 1e-6)
			fail_msg("'%s' read as %.6f, want %.6f", good[i].text,
			         t, good[i].t);
		assert_string_equal(why, "");
	}
	/* What date(1) prints, as it prints it. */
	static const char *const formats[] = { "--iso-8601=ns",
		                               "--iso-8601=seconds",
		                               "+%Y-%m-%dT%H:%M:%S%z" };
	for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
		char cmd[128], out[128];
		snprintf(cmd, sizeof cmd, "date -d @%.0f.5 '%s'",
		         MARCH_14_0900Z, formats[i]);
		if (hs_test_run(cmd, out, sizeof out) != 0)
			SKIP_LOUDLY("date(1) cannot be run: %s", cmd);
		out[strcspn(out, "\n")] = '\0';
		double t = 42;
		if (hs_datetime_parse(out, &t, NULL, 0) != 0)
			fail_msg("date %s printed '%s', refused", formats[i],
			         out);
		const double want = MARCH_14_0900Z + (i == 0 ? 0.5 : 0);
		if (fabs(t - want) > 1e-6)
			fail_msg("'%s' read as %.6f, want %.6f", out, t, want);
	}
}

/* A time of the right shape that names no time is refused saying what
 * is wrong: "+14:59" was taken (15 hours less a minute: no zone's). */
static void impossible_times_are_refused_saying_why(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		int err;
		const char *why;
	} bad[] = {
		{ "2026-03-14T09:00+14:59", HS_ERANGE,
		  "the UTC offset +14:59 is no time zone's: offsets run from "
		  "-14:00 to +14:00, with minutes under 60" },
		{ "2026-03-14T09:00+15:00", HS_ERANGE, "offset +15:00" },
		{ "2026-03-14T09:00-14:01", HS_ERANGE, "offset -14:01" },
		{ "2026-03-14T09:00+05:60", HS_ERANGE, "offset +05:60" },
		{ "2026-03-14T09:00+0575", HS_ERANGE, "offset +0575" },
		{ "2026-03-14T09:00+99", HS_ERANGE, "offset +99" },
		{ "2026-03-14T24:00", HS_ERANGE,
		  "24:00:00 is no time of day: hours run to 23" },
		{ "2026-03-14T09:60Z", HS_ERANGE, "09:60:00 is no time" },
		{ "2026-03-14T09:00:60", HS_ERANGE, "09:00:60 is no time" },
		{ "2026-02-30T10:00", HS_ERANGE,
		  "2026-02-30 is no day of the calendar" },
		{ "1969-12-31T23:00Z", HS_ERANGE, "1969-12-31 is no day" },
		/* the first hour of 1970 east of Greenwich is still 1969 */
		{ "1970-01-01T00:00+01:00", HS_ERANGE,
		  "it falls before 1970 (UTC)" },
		/* Berlin's clocks go from 02:00 to 03:00 that night */
		{ "2026-03-29T02:30", HS_ERANGE,
		  "2026-03-29 02:30 did not happen in this time zone" },
		{ "2026-03-14T09", HS_EINVAL, "followed by T and a time" },
		{ "2026-03-14T9:00", HS_EINVAL, "followed by T and a time" },
		{ "2026-03-14x09:00", HS_EINVAL, "followed by T and a time" },
		{ "2026-03-14 ", HS_EINVAL, "followed by T and a time" },
		{ "2026-03-14T09:00:00.", HS_EINVAL,
		  "Z (UTC) or a UTC offset" },
		{ "2026-03-14T09:00:00.5.5", HS_EINVAL, "a UTC offset" },
		{ "2026-03-14T09:00.5", HS_EINVAL, "a UTC offset" },
		{ "2026-03-14T09:00:5", HS_EINVAL, "a UTC offset" },
		{ "2026-03-14T09:00+5", HS_EINVAL, "a UTC offset" },
		{ "2026-03-14T09:00+05:3", HS_EINVAL, "a UTC offset" },
		{ "2026-03-14T09:00+053", HS_EINVAL, "a UTC offset" },
		{ "2026-03-14T09:00+05:30:00", HS_EINVAL, "a UTC offset" },
		{ "2026-03-14T09:00 Z", HS_EINVAL, "a UTC offset" },
		{ "2026-03-14T09:00ZZ", HS_EINVAL, "a UTC offset" },
		{ "2026-03-14T09:00Z+01", HS_EINVAL, "a UTC offset" },
		{ "2026-03-14T09:00+0530 ", HS_EINVAL, "a UTC offset" },
		{ "14.03.2026 09:00", HS_EINVAL, "does not begin with a date" },
		{ "", HS_EINVAL, "does not begin with a date" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		double t = 42;
		char why[160] = "";
		int rc = hs_datetime_parse(bad[i].text, &t, why, sizeof why);
		if (rc != bad[i].err)
			fail_msg("'%s': got %d, want %d", bad[i].text, rc,
			         bad[i].err);
		if (!strstr(why, bad[i].why))
			fail_msg("'%s': said '%s', want '%s'", bad[i].text, why,
			         bad[i].why);
		assert_true(t == 42);
	}
	double t = 42;
	assert_int_equal(hs_datetime_parse(NULL, &t, NULL, 0), HS_EINVAL);
	/* The other side of the spring gap, and the same time in UTC, are
	 * times. */
	assert_int_equal(hs_datetime_parse("2026-03-29T03:30", &t, NULL, 0), 0);
	assert_true(t == 1774747800.0);
	assert_int_equal(hs_datetime_parse("2026-03-29T02:30Z", &t, NULL, 0),
	                 0);
	assert_true(t == 1774751400.0);
}

/* A date alone is its local midnight; a day the zone skipped has none. */
static void a_date_alone_is_its_local_midnight(void **state)
{
	(void)state;
	if (!hs_test_tz("Pacific/Apia"))
		SKIP_LOUDLY("time zone Pacific/Apia is not installed (tzdata)");
	double t = 42;
	char why[160];
	assert_int_equal(hs_datetime_parse("2011-12-31", &t, why, sizeof why),
	                 0);
	assert_true(t == 1325239200.0); /* 00:00 UTC+14 */
	t = 42;
	assert_int_equal(hs_datetime_parse("2011-12-30", &t, why, sizeof why),
	                 HS_ERANGE);
	assert_string_equal(why, "there was no 2011-12-30 in this time zone: "
	                         "its clocks skipped that day");
	assert_true(t == 42);
	assert_int_equal(
	        hs_datetime_parse("2011-12-30T12:00", &t, why, sizeof why),
	        HS_ERANGE);
	assert_non_null(strstr(why, "did not happen in this time zone"));
}

/* Days are counted on the calendar, not through the zone's clocks: in
 * Samoa, which skipped 30 December 2011, the day after the 29th came out
 * as the 29th again, and a report over the end of 2011 failed ("invalid
 * argument") or listed the 29th twice. */
static void days_add_on_the_calendar_where_a_day_was_skipped(void **state)
{
	(void)state;
	if (!hs_test_tz("Pacific/Apia"))
		SKIP_LOUDLY("time zone Pacific/Apia is not installed (tzdata)");
	const hs_date d29 = { 2011, 12, 29 }, d30 = { 2011, 12, 30 },
	              d31 = { 2011, 12, 31 };
	assert_date(hs_date_add_days(d29, 1), 2011, 12, 30);
	assert_date(hs_date_add_days(d29, 2), 2011, 12, 31);
	assert_date(hs_date_add_days(d31, -1), 2011, 12, 30);
	assert_date(hs_date_add_days(d31, -2), 2011, 12, 29);
	assert_date(hs_date_add_days((hs_date){ 2012, 1, 5 }, -7), 2011, 12,
	            29);
	/* The skipped day lasts no time: it starts and ends at the instant
	 * the clocks went from 29 December 24:00 (UTC-10) to 31 December
	 * 00:00 (UTC+14), whatever was asked before (glibc's mktime() gave
	 * the 29th's midnight after a question about the 31st). */
	const double jump = 1325239200.0;
	assert_true(hs_date_start(d31) == jump);
	assert_true(hs_date_start(d30) == jump);
	assert_true(hs_date_start(d29) == jump - 24 * 3600);
	assert_true(hs_date_start(d30) == jump);
	assert_true(hs_date_start((hs_date){ 2012, 1, 1 }) == jump + 24 * 3600);
	assert_false(hs_date_exists(d30));
	assert_true(hs_date_exists(d29));
	assert_true(hs_date_exists(d31));
}

/* The proleptic Gregorian calendar, checked against the C library's UTC
 * calendar from year 1 to 9999, a day at a time: each day follows the
 * one before, and adding and taking away n days comes back. */
static void days_add_on_the_gregorian_calendar(void **state)
{
	(void)state;
	const hs_date epoch = { 1970, 1, 1 };
	const long first = -719162, last = 2932896; /* 0001-01-01, 9999-12-31 */
	for (long n = first; n <= last; n++) {
		const time_t t = (time_t)n * 86400;
		struct tm tm;
		assert_non_null(gmtime_r(&t, &tm));
		const hs_date d = hs_date_add_days(epoch, (int)n);
		if (d.year != tm.tm_year + 1900 || d.month != tm.tm_mon + 1 ||
		    d.day != tm.tm_mday)
			fail_msg("1970-01-01 %+ld days: got %04d-%02d-%02d", n,
			         d.year, d.month, d.day);
		if (n % 997 == 0)
			assert_int_equal(
			        hs_date_cmp(hs_date_add_days(d, (int)-n),
			                    epoch),
			        0);
	}
	assert_date(hs_date_add_days((hs_date){ 2024, 2, 28 }, 1), 2024, 2, 29);
	assert_date(hs_date_add_days((hs_date){ 2100, 2, 28 }, 1), 2100, 3, 1);
	assert_date(hs_date_add_days((hs_date){ 2000, 3, 1 }, -1), 2000, 2, 29);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(today_and_yesterday_are_local_days),
		cmocka_unit_test(calendar_dates_must_exist),
		cmocka_unit_test(days_add_across_months_and_clock_changes),
		cmocka_unit_test(durations_in_every_form),
		cmocka_unit_test(bad_durations_are_refused),
		cmocka_unit_test(the_second_before_the_epoch_is_a_time),
		cmocka_unit_test(durations_a_hair_short_read_whole),
		cmocka_unit_test(a_skipped_day_did_not_happen),
		cmocka_unit_test_teardown(
		        days_add_on_the_calendar_where_a_day_was_skipped,
		        hs_test_tz_berlin),
		cmocka_unit_test(days_add_on_the_gregorian_calendar),
		cmocka_unit_test(iso_8601_times_in_the_forms_people_write),
		cmocka_unit_test(impossible_times_are_refused_saying_why),
		cmocka_unit_test_teardown(a_date_alone_is_its_local_midnight,
		                          hs_test_tz_berlin),
	};
	return cmocka_run_group_tests(tests, hs_test_tz_berlin, NULL);
}
