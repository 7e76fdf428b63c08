/* timeparse.c - see timeparse.h. */
#include "headsup/timeparse.h"

#include "headsup/err.h"

#include <math.h>
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

hs_date hs_date_add_days(hs_date d, int n)
{
	/* Noon keeps mktime() clear of the hours a clock change skips. */
	struct tm tm = {
		.tm_year = d.year - 1900,
		.tm_mon = d.month - 1,
		.tm_mday = d.day + n,
		.tm_hour = 12,
		.tm_isdst = -1,
	};
	mktime(&tm);
	return (hs_date){ tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday };
}

double hs_date_start(hs_date d)
{
	struct tm tm = {
		.tm_year = d.year - 1900,
		.tm_mon = d.month - 1,
		.tm_mday = d.day,
		.tm_isdst = -1,
	};
	return (double)mktime(&tm);
}

bool hs_date_exists(hs_date d)
{
	/* mktime() moves a time that did not happen on to one that did. */
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
	} units[] = { { 'h', 3600 }, { 'm', 60 }, { 's', 1 } };
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

/* Match text against a shape: 'd' a digit, 'T' a 'T' or a space, '+' a
 * sign, anything else itself.  Returns the rest of the text, or NULL. */
static const char *shape(const char *text, const char *tmpl)
{
	for (; *tmpl; tmpl++, text++) {
		bool ok;
		if (*tmpl == 'd')
			ok = *text >= '0' && *text <= '9';
		else if (*tmpl == 'T')
			ok = *text == 'T' || *text == ' ';
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

int hs_datetime_parse(const char *text, double *unix_s)
{
	/* dddd-dd-ddTdd:dd[:dd][Z|+dd:dd], checked before any number is read */
	const char *p = shape(text, "dddd-dd-ddTdd:dd");
	if (!p)
		return HS_EINVAL;
	int sec = 0;
	const char *q = shape(p, ":dd");
	if (q) {
		sec = read_num(p + 1, 2);
		p = q;
	}
	int off_min = 0;
	bool utc = false;
	if (*p == 'Z' && p[1] == '\0') {
		utc = true;
	} else if (*p) {
		q = shape(p, "+dd:dd");
		if (!q || *q)
			return HS_EINVAL;
		int oh = read_num(p + 1, 2), om = read_num(p + 4, 2);
		if (oh > 14 || om > 59)
			return HS_EINVAL;
		off_min = (p[0] == '-' ? -1 : 1) * (oh * 60 + om);
		utc = true;
	}
	const int y = read_num(text, 4), mo = read_num(text + 5, 2),
	          d = read_num(text + 8, 2), h = read_num(text + 11, 2),
	          mi = read_num(text + 14, 2);
	char ymd[11];
	memcpy(ymd, text, 10);
	ymd[10] = '\0';
	hs_date day;
	if (hs_date_parse(ymd, 0, &day) < 0 || h > 23 || mi > 59 || sec > 59)
		return HS_EINVAL;
	struct tm tm = { .tm_year = y - 1900,
		         .tm_mon = mo - 1,
		         .tm_mday = d,
		         .tm_hour = h,
		         .tm_min = mi,
		         .tm_sec = sec,
		         .tm_isdst = -1,
		         .tm_wday = -1 };
	/* -1 is also a real time (00:59:59 on 1 January 1970 in London):
	 * only a tm_wday left alone says the conversion failed. */
	time_t t = utc ? timegm(&tm) : mktime(&tm);
	if (t == (time_t)-1 && tm.tm_wday == -1)
		return HS_EINVAL;
	*unix_s = (double)t - off_min * 60.0;
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
