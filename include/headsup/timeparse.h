/* timeparse.h - calendar dates and durations typed by the user.
 *
 * Dates are local calendar days ("today", "yesterday", "2026-03-14");
 * durations are "90", "90s", "15m", "2h", "1h30m".  Nothing here reads the
 * clock: "now" comes in as an argument.
 */
#ifndef HEADSUP_TIMEPARSE_H
#define HEADSUP_TIMEPARSE_H

#include <stdbool.h>
#include <stddef.h>

/* A local calendar day. */
typedef struct hs_date {
	int year;  /* 1970..9999 */
	int month; /* 1..12 */
	int day;   /* 1..31, valid for the month */
} hs_date;

/* Parse "today", "yesterday" (relative to now_unix, in local time) or
 * "YYYY-MM-DD" (a real calendar day: 2024-02-30 is refused).  HS_EINVAL
 * for anything else; *out is untouched then. */
int hs_date_parse(const char *text, double now_unix, hs_date *out);

/* The local day containing t_unix. */
hs_date hs_date_from_unix(double t_unix);

/* The day n days after d (n may be negative), on the calendar whatever
 * the time zone's clocks did: the day after Samoa's 29 December 2011 is
 * the 30th, the day it skipped. */
hs_date hs_date_add_days(hs_date d, int n);

/* Local midnight at the start of d, as unix seconds: the first second
 * of that day or, where midnight did not happen, of a later one.  A day
 * is 23 or 25 hours long when the clocks change, and none when the zone
 * skipped it (it starts where the next day does): use the start of the
 * next day as its end. */
double hs_date_start(hs_date d);

/* Did d happen here?  A time zone can skip a whole day, as Samoa skipped
 * 30 December 2011 when it moved across the date line. */
bool hs_date_exists(hs_date d);

/* "YYYY-MM-DD" into buf (at least 11 bytes); HS_ERANGE when too small. */
int hs_date_format(hs_date d, char *buf, size_t size);

/* Compare two days: negative, 0 or positive like strcmp. */
int hs_date_cmp(hs_date a, hs_date b);

/* Parse a duration: a plain number of seconds ("90"), or one or more
 * number+unit parts in decreasing order with units h, m, s ("15m", "2h",
 * "1h30m", "1m30s").  Whole numbers only; the total must be at least 1 s
 * and at most 7 days.  HS_EINVAL for malformed text, HS_ERANGE when out of
 * range; *seconds is untouched on failure. */
int hs_duration_parse(const char *text, double *seconds);

/* A duration in words: "45 seconds", "1 second", "2 minutes", "1 hour",
 * "1 hour 5 minutes", "26 hours".  Whole units, rounded down (a posture
 * has lasted at least that long); minutes from 60 s, hours from 3600 s.
 * HS_EINVAL for a negative or non-finite duration, HS_ERANGE when buf is
 * too small (buf is then empty). */
int hs_duration_format(double seconds, char *buf, size_t size);
/* The same with every unit down to the second, for a duration the user
 * chose: "1 minute 30 seconds", "2 hours 5 seconds". */
int hs_duration_format_exact(double seconds, char *buf, size_t size);

/* Parse an ISO 8601 date and time, as a user or date(1) writes it:
 * "YYYY-MM-DDTHH:MM[:SS[.fff]]" in local time, or followed by "Z" (UTC)
 * or a UTC offset "+HH:MM", "+HHMM" or "+HH" ('-' too); the 'T' may be
 * a 't' or a space, the 'Z' a 'z', the seconds' fraction may follow a
 * comma ("09:00:00,5", as date --iso-8601=ns prints), and a date alone is
 * its local midnight.  HS_EINVAL for text of another shape, HS_ERANGE for
 * one of this shape naming no time: no such day (2026-02-30), hours past
 * 23, minutes or seconds past 59, an offset beyond 14:00 or with 60
 * minutes or more, or a local time the zone's clocks skipped.  why (may
 * be NULL) gets what is wrong, in words, "" on success; *unix_s is
 * untouched on failure. */
int hs_datetime_parse(const char *text, double *unix_s, char *why,
                      size_t why_size);

#endif
