/* timeparse.c - see timeparse.h. */
#include "headsup/timeparse.h"

#include "headsup/err.h"

#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define MAX_DURATION_S (7.0 * 24 * 3600)

static bool is_leap(int year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

static int days_in_month(int year, int month)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30,
		                    31, 31, 30, 31, 30, 31 };
	if (month == 2 && is_leap(year))
		return 29;
	return days[month - 1];
}

/* Read exactly n decimal digits. */
static bool digits(const char *s, int n, int *value)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*value = v;
	return true;
}

hs_date hs_date_from_unix(double t_unix)
{
	time_t t = (time_t)floor(t_unix);
	struct tm tm;
	localtime_r(&t, &tm);
	return (hs_date){ tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday };
}

/* Days since 1970-01-01 of a day of the proleptic Gregorian calendar, and
 * back (Howard Hinnant's days_from_civil and civil_from_days).  The
 * calendar alone, never the time zone: a zone that skips a day (Samoa,
 * 30 December 2011) does not take it out of the calendar, and mktime()
 * would move the skipped day on to the next one, so that adding one day
 * to the 29th gave the 29th again. */
static long days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	const long era = (y >= 0 ? y : y - 399) / 400;
	const long yoe = y - era * 400; /* 0..399 */
	const long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	const long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; /* 0..146096 */
	return era * 146097 + doe - 719468;
}

static hs_date civil_from_days(long z)
{
	z += 719468;
	const long era = (z >= 0 ? z : z - 146096) / 146097;
	const long doe = z - era * 146097;
	const long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	const long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	const long mp = (5 * doy + 2) / 153;
	const int d = (int)(doy - (153 * mp + 2) / 5 + 1);
	const int m = (int)(mp < 10 ? mp + 3 : mp - 9);
	return (hs_date){ (int)(yoe + era * 400 + (m <= 2)), m, d };
}

hs_date hs_date_add_days(hs_date d, int n)
{
	return civil_from_days(days_from_civil(d.year, d.month, d.day) + n);
}

double hs_date_start(hs_date d)
{
	/* The first second whose local day is d or later.  Not mktime() of
	 * midnight: where midnight did not happen (a day skipped, a clock
	 * put on at 00:00) glibc's answer depends on the times it was asked
	 * before, so that Samoa's skipped 30 December 2011 began on the 29th
	 * or on the 31st by turns, and a report over it counted the 29th.
	 * Searched between bounds no zone's offset (under 26 hours) crosses:
	 * local midnight read as UTC, a day and more either side. */
	const long midnight = days_from_civil(d.year, d.month, d.day) * 86400L;
	long before = midnight - 26 * 3600L, from = midnight + 26 * 3600L;
	while (from - before > 1) {
		const long mid = before + (from - before) / 2;
		if (hs_date_cmp(hs_date_from_unix((double)mid), d) < 0)
			before = mid;
		else
			from = mid;
	}
	return (double)from;
}

bool hs_date_exists(hs_date d)
{
	/* A skipped day starts where the next one does, on that day. */
	hs_date back = hs_date_from_unix(hs_date_start(d));
	return hs_date_cmp(back, d) == 0;
}

int hs_date_format(hs_date d, char *buf, size_t size)
{
	int n = snprintf(buf, size, "%04d-%02d-%02d", d.year, d.month, d.day);
	return (n < 0 || (size_t)n >= size) ? HS_ERANGE : 0;
}

int hs_date_cmp(hs_date a, hs_date b)
{
	if (a.year != b.year)
		return a.year < b.year ? -1 : 1;
	if (a.month != b.month)
		return a.month < b.month ? -1 : 1;
	if (a.day != b.day)
		return a.day < b.day ? -1 : 1;
	return 0;
}

int hs_date_parse(const char *text, double now_unix, hs_date *out)
{
	if (!text)
		return HS_EINVAL;
	if (strcmp(text, "today") == 0) {
		*out = hs_date_from_unix(now_unix);
		return 0;
	}
	if (strcmp(text, "yesterday") == 0) {
		*out = hs_date_add_days(hs_date_from_unix(now_unix), -1);
		return 0;
	}
	hs_date d;
	if (strlen(text) != 10 || text[4] != '-' || text[7] != '-' ||
	    !digits(text, 4, &d.year) || !digits(text + 5, 2, &d.month) ||
	    !digits(text + 8, 2, &d.day))
		return HS_EINVAL;
	if (d.year < 1970 || d.month < 1 || d.month > 12 || d.day < 1 ||
	    d.day > days_in_month(d.year, d.month))
		return HS_EINVAL;
	*out = d;
	return 0;
}

int hs_duration_parse(const char *text, double *seconds)
{
	if (!text || !*text)
		return HS_EINVAL;
	static const struct {
		char unit;
		double seconds;
	} units[] = { { 'd', 86400 }, { 'h', 3600 }, { 'm', 60 }, { 's', 1 } };
	const char *p = text;
	double total = 0;
	size_t next_unit = 0; /* units must come in decreasing order */
	bool any_unit = false;
	while (*p) {
		if (*p < '0' || *p > '9')
			return HS_EINVAL;
		double value = 0;
		while (*p >= '0' && *p <= '9') {
			value = value * 10 + (*p - '0');
			if (value > MAX_DURATION_S)
				return HS_ERANGE;
			p++;
		}
		if (*p == '\0') {
			/* A bare number: only alone ("90"), never "1h30". */
			if (any_unit)
				return HS_EINVAL;
			total = value;
			break;
		}
		size_t u = next_unit;
		while (u < sizeof units / sizeof units[0] &&
		       units[u].unit != *p)
			u++;
		if (u == sizeof units / sizeof units[0])
			return HS_EINVAL;
		total += value * units[u].seconds;
		next_unit = u + 1;
		any_unit = true;
		p++;
	}
	if (total > MAX_DURATION_S)
		return HS_ERANGE;
	if (total < 1)
		return HS_ERANGE;
	*seconds = total;
	return 0;
}

/* Match text against a shape: 'd' a digit, 'T' a 'T', a 't' or a space,
 * '+' a sign, anything else itself.  Returns the rest of the text, or
 * NULL. */
static const char *shape(const char *text, const char *tmpl)
{
	for (; *tmpl; tmpl++, text++) {
		bool ok;
		if (*tmpl == 'd')
			ok = *text >= '0' && *text <= '9';
		else if (*tmpl == 'T')
			ok = *text == 'T' || *text == 't' || *text == ' ';
		else if (*tmpl == '+')
			ok = *text == '+' || *text == '-';
		else
			ok = *text == *tmpl;
		if (!ok)
			return NULL;
	}
	return text;
}

static int read_num(const char *p, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++)
		v = v * 10 + (p[i] - '0');
	return v;
}

/* The offset after a time: "+HH", "+HHMM" or "+HH:MM" (or '-'), as date(1)
 * prints them with %z, %:z and --iso-8601.  Returns the rest of the text,
 * or NULL; *hours and *minutes get its parts, unsigned, *sign -1 or 1. */
static const char *utc_offset(const char *p, int *sign, int *hours,
                              int *minutes)
{
	const char *q = shape(p, "+dd");
	if (!q)
		return NULL;
	const char *mm = shape(q, ":dd") ? q + 1 : shape(q, "dd") ? q : NULL;
	*sign = p[0] == '-' ? -1 : 1;
	*hours = read_num(p + 1, 2);
	*minutes = mm ? read_num(mm, 2) : 0;
	return mm ? mm + 2 : q;
}

int hs_datetime_parse(const char *text, double *unix_s, char *why,
                      size_t why_size)
{
	hs_say(why, why_size, "%s", "");
	if (!text)
		return HS_EINVAL;
	/* First the shape, whole, then the numbers: text of another shape
	 * is HS_EINVAL whatever numbers it holds. */
	const char *p = shape(text, "dddd-dd-dd");
	if (!p) {
		hs_say(why, why_size,
		       "it does not begin with a date, YYYY-MM-DD");
		return HS_EINVAL;
	}
	const bool date_only = *p == '\0';
	int h = 0, mi = 0, sec = 0;
	double frac = 0;
	bool utc = false;
	int sign = 1, oh = 0, om = 0;
	const char *off = NULL;
	if (!date_only) {
		const char *q = shape(p, "Tdd:dd");
		if (!q) {
			hs_say(why, why_size,
			       "the date must be followed by T and a time, "
			       "HH:MM[:SS], or by nothing (its midnight)");
			return HS_EINVAL;
		}
		h = read_num(p + 1, 2);
		mi = read_num(p + 4, 2);
		p = q;
		if ((q = shape(p, ":dd"))) {
			sec = read_num(p + 1, 2);
			p = q;
			/* A point or a comma, as date --iso-8601=ns has it */
			if ((*p == '.' || *p == ',') && p[1] >= '0' &&
			    p[1] <= '9') {
				double scale = 0.1;
				for (p++; *p >= '0' && *p <= '9';
				     p++, scale /= 10)
					frac += (*p - '0') * scale;
			}
		}
		if ((*p == 'Z' || *p == 'z') && p[1] == '\0') {
			utc = true;
		} else if (*p) {
			off = p;
			q = utc_offset(p, &sign, &oh, &om);
			if (!q || *q) {
				hs_say(why, why_size,
				       "the time must be followed by nothing "
				       "(local time), Z (UTC) or a UTC offset "
				       "such "
				       "as +05:30, +0530 or +05");
				return HS_EINVAL;
			}
			utc = true;
		}
	}

	char ymd[11];
	memcpy(ymd, text, 10);
	ymd[10] = '\0';
	hs_date day;
	if (hs_date_parse(ymd, 0, &day) < 0) {
		hs_say(why, why_size,
		       "%s is no day of the calendar from 1970 on", ymd);
		return HS_ERANGE;
	}
	if (date_only) {
		/* A day alone is its local midnight (or, where midnight did
		 * not happen, its first second). */
		if (!hs_date_exists(day)) {
			hs_say(why, why_size,
			       "there was no %s in this time zone: its clocks "
			       "skipped that day",
			       ymd);
			return HS_ERANGE;
		}
		*unix_s = hs_date_start(day);
		return 0;
	}
	if (off && (om > 59 || oh * 60 + om > 14 * 60)) {
		hs_say(why, why_size,
		       "the UTC offset %s is no time zone's: offsets run from "
		       "-14:00 to +14:00, with minutes under 60",
		       off);
		return HS_ERANGE;
	}
	if (h > 23 || mi > 59 || sec > 59) {
		hs_say(why, why_size,
		       "%02d:%02d:%02d is no time of day: hours run to 23, "
		       "minutes "
		       "and seconds to 59",
		       h, mi, sec);
		return HS_ERANGE;
	}
	double t;
	if (utc) {
		t = (double)days_from_civil(day.year, day.month, day.day) *
		            86400.0 +
		    h * 3600.0 + mi * 60.0 + sec - sign * (oh * 60 + om) * 60.0;
	} else {
		struct tm tm = { .tm_year = day.year - 1900,
			         .tm_mon = day.month - 1,
			         .tm_mday = day.day,
			         .tm_hour = h,
			         .tm_min = mi,
			         .tm_sec = sec,
			         .tm_isdst = -1,
			         .tm_wday = -1 };
		/* -1 is also a real time (00:59:59 on 1 January 1970 in
		 * Berlin): only a tm_wday left alone says mktime() failed.
		 * A local time the clocks skipped comes back moved (and
		 * where to, glibc decides by the times it was asked
		 * before): read back, it is not the time asked for. */
		const time_t lt = mktime(&tm);
		struct tm back;
		if ((lt == (time_t)-1 && tm.tm_wday == -1) ||
		    !localtime_r(&lt, &back) ||
		    back.tm_year != day.year - 1900 ||
		    back.tm_mon != day.month - 1 || back.tm_mday != day.day ||
		    back.tm_hour != h || back.tm_min != mi ||
		    back.tm_sec != sec) {
			hs_say(why, why_size,
			       "%s %02d:%02d did not happen in this time zone: "
			       "its "
			       "clocks skipped it",
			       ymd, h, mi);
			return HS_ERANGE;
		}
		t = (double)lt;
	}
	/* the day was read as local: its time may still fall before 1970
	 * ("1970-01-01T00:00+01:00" is 23:00 the day before) */
	if (t + frac < 0) {
		hs_say(why, why_size, "it falls before 1970 (UTC)");
		return HS_ERANGE;
	}
	*unix_s = t + frac;
	return 0;
}

/* Append "N unit(s)" to buf, after a space when buf is not empty. */
static int add_count(char *buf, size_t size, long count, const char *unit)
{
	size_t used = strlen(buf);
	int n = snprintf(buf + used, size - used, "%s%ld %s%s", used ? " " : "",
	                 count, unit, count == 1 ? "" : "s");
	return (n < 0 || (size_t)n >= size - used) ? HS_ERANGE : 0;
}

/* Words for a duration; 'exact' keeps every unit down to the second. */
static int format_duration(double seconds, bool exact, char *buf, size_t size)
{
	if (!buf || size == 0)
		return HS_ERANGE;
	buf[0] = '\0';
	if (!isfinite(seconds) || seconds < 0.0)
		return HS_EINVAL;
	/* Ten years is far beyond any sitting; cap so the cast is defined. */
	/* (A hair over: 30 s reached as 29.999999999999886 is 30 s.) */
	const long whole = (long)floor(fmin(seconds, 315360000.0) + 1e-6);
	const long h = whole / 3600, m = whole / 60 % 60, sec = whole % 60;
	int rc;
	if (whole < 60) {
		rc = add_count(buf, size, whole, "second");
	} else if (whole < 3600) {
		rc = add_count(buf, size, m, "minute");
	} else {
		rc = add_count(buf, size, h, "hour");
		if (rc == 0 && m > 0)
			rc = add_count(buf, size, m, "minute");
	}
	if (rc == 0 && exact && whole >= 60 && sec > 0)
		rc = add_count(buf, size, sec, "second");
	if (rc < 0)
		buf[0] = '\0';
	return rc;
}

int hs_duration_format(double seconds, char *buf, size_t size)
{
	return format_duration(seconds, false, buf, size);
}

int hs_duration_format_exact(double seconds, char *buf, size_t size)
{
	return format_duration(seconds, true, buf, size);
}
