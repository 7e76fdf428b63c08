/* test_timeparse.c - the --date and duration parsers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
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
		{ "90", 90 },       { "90s", 90 },      { "15m", 900 },
		{ "2h", 7200 },     { "1h30m", 5400 },  { "1m30s", 90 },
		{ "1h0m5s", 3605 }, { "168h", 604800 }, { "1", 1 },
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
		{ "", HS_EINVAL },
		{ "m", HS_EINVAL },
		{ "15x", HS_EINVAL },
		{ "1h30", HS_EINVAL },
		{ "30m1h", HS_EINVAL },
		{ "1m1m", HS_EINVAL },
		{ "-5m", HS_EINVAL },
		{ "1.5h", HS_EINVAL },
		{ "15 m", HS_EINVAL },
		{ "0", HS_ERANGE },
		{ "0s", HS_ERANGE },
		{ "169h", HS_ERANGE },
		{ "99999999999999999999", HS_ERANGE },
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

/* A time whose Unix value is -1 is a time, not an error: in Berlin (CET
 * then), one second before 1 January 1970 01:00 was refused as "not an
 * ISO 8601 time". */
static void the_second_before_the_epoch_is_a_time(void **state)
{
	(void)state;
	double t = 42;
	assert_int_equal(hs_datetime_parse("1970-01-01T00:59:59", &t), 0);
	assert_true(t == -1);
	assert_int_equal(hs_datetime_parse("1970-01-01T00:59:58", &t), 0);
	assert_true(t == -2);
	assert_int_equal(hs_datetime_parse("1970-01-01T01:00:00", &t), 0);
	assert_true(t == 0);
	t = 42;
	assert_int_equal(hs_datetime_parse("2026-02-30T10:00", &t), HS_EINVAL);
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
	};
	return cmocka_run_group_tests(tests, hs_test_tz_berlin, NULL);
}
