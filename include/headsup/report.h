/* report.h - the figures of a day (or of N days) of the posture journal,
 * and their text, HTML and JSON renderings.
 *
 * hs_report_build() is pure: journal rows in, numbers out.  Times shown
 * are local.  hs_report_load() is the edge that reads the journal and
 * looks up the advice links; the renderers only print what the struct
 * holds.
 */
#ifndef HEADSUP_REPORT_H
#define HEADSUP_REPORT_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "headsup/advice.h"
#include "headsup/journal.h"
#include "headsup/posture.h"
#include "headsup/timeparse.h"

#define HS_REPORT_MAX_DAYS 366
/* Days before the report's first day that it is compared with. */
#define HS_REPORT_BASELINE_DAYS 7
#define HS_REPORT_URL_MAX (PATH_MAX + 64)

/* What to build a report from: the journal rows of the HS_REPORT_BASELINE_DAYS
 * days before 'first' up to the end of 'last', and the alerts of
 * first..last, each in time order. */
typedef struct hs_report_input {
	hs_date first, last;
	const hs_journal_minute *minutes;
	size_t n_minutes;
	const hs_journal_alert *alerts;
	size_t n_alerts;
} hs_report_input;

/* A run of consecutive minutes in one kind of posture. */
typedef struct hs_report_stretch {
	double start;      /* unix seconds; 0 when there is none */
	double duration_s; /* seconds spent in that posture during the run */
} hs_report_stretch;

/* One day's totals (the trend). */
typedef struct hs_report_day {
	hs_date date;
	double state_s[HS_STATE_COUNT];
	double monitored_s;
	double share_upright; /* 0..1; -1 without time at the desk */
} hs_report_day;

typedef struct hs_report_alert {
	double t;
	hs_state kind;
	double after_s;
	hs_advice_topic topic;
} hs_report_alert;

typedef struct hs_report {
	hs_date first, last;
	int days;
	double start, end; /* unix range covered: local midnights */
	bool no_data;      /* nothing monitored in the range */

	double state_s[HS_STATE_COUNT];
	double monitored_s;   /* every state, away included */
	double present_s;     /* upright + looking down + hunched */
	double share_upright; /* upright / present, 0..1; -1 when no
	                         present time */

	hs_report_alert *alerts;
	size_t n_alerts;
	int alerts_by_kind[HS_STATE_COUNT];

	hs_report_stretch longest_upright;
	hs_report_stretch longest_bad; /* looking down or hunched */

	/* Seconds per state for each hour of the day (local), summed over
	 * the days covered. */
	double hours[24][HS_STATE_COUNT];
	int worst_hour; /* most time looking down or hunched, the earlier of
	                 * hours alike; -1 if none */

	/* Time-weighted mean pitch delta (negative taken as 0) and the
	 * Hansraj neck-load estimate of each minute, averaged; -1 when no
	 * minute has a pitch. */
	double mean_pitch_deg;
	double neck_load_kg;

	/* The HS_REPORT_BASELINE_DAYS days before 'first'. */
	double prev_monitored_s;
	double prev_share_upright; /* -1 without time at the desk */
	int prev_days_with_data;

	/* The baseline days then the covered days, in order. */
	hs_report_day *daily;
	size_t n_daily;

	/* The covered minutes (for the timeline), in time order. */
	hs_journal_minute *minutes;
	size_t n_minutes;

	hs_advice_topic advice; /* the topic that matters most */
	/* file:// links per topic; filled by hs_report_load() or
	 * hs_report_set_links(), "" until then. */
	char advice_url[HS_ADVICE_COUNT][HS_REPORT_URL_MAX];
} hs_report;

/* Build the figures.  HS_EINVAL when first > last or the range is longer
 * than HS_REPORT_MAX_DAYS; HS_ENOMEM.  Release with hs_report_finish(). */
int hs_report_build(const hs_report_input *in, hs_report *out);
void hs_report_finish(hs_report *r);

/* Read the journal (j may be NULL: no journal yet, an empty report) and
 * build the report of the 'days' days ending at 'last', with links. */
int hs_report_load(hs_journal *j, hs_date last, int days, hs_report *out);

/* Fill r->advice_url from the installed advice page. */
void hs_report_set_links(hs_report *r);

/* Neck load in kg for a forward head pitch in degrees, after Hansraj 2014:
 * 5 kg at 0, 12 at 15, 18 at 30, 22 at 45, 27 at 60; linear in between,
 * clamped outside. */
double hs_report_neck_load_kg(double pitch_deg);

/* How the text and HTML reports show durations and percentages, so that
 * the figures printed side by side agree as a reader adds them up (the
 * JSON report keeps exact seconds and shares):
 *
 * - The summary's durations are one group, shown in one unit chosen from
 *   the time monitored (hs_report_unit_for()): to the second under 10
 *   minutes ("9 min 59 s"), in whole minutes from 10 minutes up ("40 min",
 *   "3 h 05 min" from an hour up).  The group is the time monitored, the
 *   time in each state, the longest stretches, the worst hour and the
 *   text report's hour-bar labels.
 * - The times in the states add up, as printed, to the time monitored:
 *   each part is rounded down to the unit and the units that are left go
 *   to the largest remainders (ties to the larger part, then to the
 *   earlier one), hs_report_round_parts().
 * - Each hour's total is rounded to the nearest unit on its own: hours
 *   are compared, and two hours alike must read alike, so they need not
 *   add up to the time monitored.
 * - A stretch and the worst hour are rounded to the nearest unit but never
 *   shown longer than the state times they are part of.
 * - Any time above 0 that rounds to 0 reads "under 1 min" ("under 1 s"),
 *   hs_report_format_part().
 * - A duration shown on its own (how long a posture had lasted when an
 *   alert came) takes the unit from its own length.
 * - Percentages are whole, rounded half away from 0 (hs_report_percent());
 *   a change in points is the difference of the two percentages printed.
 */
typedef enum hs_report_unit {
	HS_REPORT_UNIT_S = 1,    /* to the second */
	HS_REPORT_UNIT_MIN = 60, /* whole minutes */
} hs_report_unit;

/* The unit of durations shown together whose total is total_s. */
hs_report_unit hs_report_unit_for(double total_s);

/* Whole units of parts_s[0..n) (seconds, none negative) that add up to
 * total (units), by largest remainder.  total is normally the rounded sum
 * of the parts, lround(sum / unit); it is given so that two breakdowns of
 * one figure (states, hours) add up to the same printed total. */
void hs_report_round_parts(const double *parts_s, size_t n, long total,
                           hs_report_unit unit, long *units);

/* n units: "45 s", "1 min 19 s", "2 min" (seconds); "40 min", "3 h 00
 * min" (minutes). */
void hs_report_format_units(long n, hs_report_unit unit, char *buf,
                            size_t size);

/* n units that stand for s seconds, as hs_report_format_units(), but
 * "under 1 min" ("under 1 s") rather than "0 min" when s is above 0. */
void hs_report_format_part(double s, long n, hs_report_unit unit, char *buf,
                           size_t size);

/* A duration on its own, in the unit of its own length: "7 h 58 min",
 * "40 min", "45 s" into buf. */
void hs_report_format_duration(double s, char *buf, size_t size);

/* A share 0..1 as a whole percentage; -1 for a share below 0 (none). */
int hs_report_percent(double share);

/* The figures of a report as the text and HTML reports print them (the
 * rules above).  Durations are in 'unit'. */
typedef struct hs_report_shown {
	hs_report_unit unit;
	long monitored;
	long state[HS_STATE_COUNT]; /* add up to monitored */
	long hour[24];              /* every state, each rounded alone */
	long longest_upright, longest_bad;
	long worst_hour_bad; /* 0 when there is no worst hour */
	int share_upright;   /* percent; -1 without time at the desk */
	int prev_share_upright;
} hs_report_shown;

void hs_report_round(const hs_report *r, hs_report_shown *out);

/* Local time as ISO 8601 with offset: "2026-03-02T09:12:00+01:00". */
void hs_report_format_iso(double t_unix, char *buf, size_t size);
/* Local "HH:MM". */
void hs_report_format_clock(double t_unix, char *buf, size_t size);
/* Local "HH:MM", and on a day the clocks change the zone's name too
 * ("02:30 CEST", "02:30 CET"), as the hour repeated in autumn would
 * otherwise read as one. */
void hs_report_format_clock_zoned(double t_unix, char *buf, size_t size);
/* "09:12", or "2026-02-25 09:12" when r covers several days (zoned as
 * hs_report_format_clock_zoned()). */
void hs_report_format_when(const hs_report *r, double t_unix, char *buf,
                           size_t size);

/* Summary values shared by the text and HTML renderers, into buf; f is
 * hs_report_round() of r. */
/* The longest upright stretch, or with 'bad' the longest bad one: "40 min,
 * from 09:12"; "none of a minute or more" when there is no stretch. */
void hs_report_format_stretch(const hs_report *r, const hs_report_shown *f,
                              bool bad, char *buf, size_t size);
/* "3 (2 looking down, 1 hunched)". */
void hs_report_format_alerts(const hs_report *r, char *buf, size_t size);
/* "14:00-15:00, 25 min looking down or hunched", with 'dash' between the
 * hours; false, buf untouched, when there is no worst hour. */
bool hs_report_format_worst_hour(const hs_report *r, const hs_report_shown *f,
                                 const char *dash, char *buf, size_t size);
/* The HS_REPORT_BASELINE_DAYS days before: "upright 50% of desk time; now
 * 69% (+19 points)", "upright 54% of desk time" when the report's days
 * have no desk time, "no time at the desk to compare". */
void hs_report_format_previous(const hs_report_shown *f, char *buf,
                               size_t size);

/* The characters the terminal report may use: UTF-8 (block characters for
 * the hour bars, a degree sign) or plain ASCII stand-ins ('#', '=', '+',
 * '-', '.', one column each like the blocks, and "deg"). */
typedef enum hs_report_charset {
	HS_REPORT_ASCII,
	HS_REPORT_UTF8
} hs_report_charset;

/* HS_REPORT_UTF8 when the user's locale (LC_ALL, else LC_CTYPE, else LANG)
 * has the UTF-8 character set; HS_REPORT_ASCII otherwise, and when that
 * locale is not installed.  Only reads it: the program's own locale is
 * left as it is (C, so numbers keep their decimal point). */
hs_report_charset hs_report_locale_charset(void);
/* How degrees are written in charset: a degree sign, or " deg". */
const char *hs_report_degree(hs_report_charset charset);

/* Renderers.  0 or HS_EIO when writing fails.  The text one writes in the
 * character set of the user's locale (hs_report_locale_charset()), within
 * 79 columns (but for a file:// link); the _in one in the character set
 * given, within width columns (at least 20; a terminal's, text.h).  HTML
 * and JSON are always UTF-8 files. */
#define HS_REPORT_TEXT_WIDTH 79 /* hs_report_write_text()'s columns */
int hs_report_write_text(const hs_report *r, FILE *out);
int hs_report_write_text_in(const hs_report *r, FILE *out,
                            hs_report_charset charset, int width);
int hs_report_write_html(const hs_report *r, FILE *out);
int hs_report_write_json(const hs_report *r, FILE *out);

#endif
