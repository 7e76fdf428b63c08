/* test_report.c - report figures, the three renderings and the `headsup
 * report` command, including the HTML page in a real browser. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <locale.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "headsup/err.h"
#include "headsup/journal.h"
#include "headsup/report.h"
#include "headsup/timeparse.h"
#include "testutil.h"

/* Monday 2026-03-02 09:00 in Europe/Berlin (UTC+1). */
#define DAY_0900 1772438400.0
/* Friday 2026-02-27 09:00, a baseline day. */
#define PREV_0900 1772179200.0
#define MIN 60.0

static const hs_date the_day = { 2026, 3, 2 };

/* One block of minutes in one state at one pitch. */
typedef struct block {
	double start;
	int minutes;
	hs_state state;
	double pitch_deg;
} block;

/* The synthetic day: 09:00 upright 60 min, 10:00 looking down 30, 10:30
 * upright 30, 11:00 hunched 20, 11:20 away 20, 11:40 upright 20; and on
 * the Friday before, 2 h upright then 2 h hunched. */
static const block blocks[] = {
	{ PREV_0900, 120, HS_STATE_UPRIGHT, 1 },
	{ PREV_0900 + 120 * MIN, 120, HS_STATE_HUNCHED, 5 },
	{ DAY_0900, 60, HS_STATE_UPRIGHT, 2 },
	{ DAY_0900 + 60 * MIN, 30, HS_STATE_LOOKING_DOWN, 30 },
	{ DAY_0900 + 90 * MIN, 30, HS_STATE_UPRIGHT, 2 },
	{ DAY_0900 + 120 * MIN, 20, HS_STATE_HUNCHED, 10 },
	{ DAY_0900 + 140 * MIN, 20, HS_STATE_AWAY, 0 },
	{ DAY_0900 + 160 * MIN, 20, HS_STATE_UPRIGHT, -3 },
};
#define N_BLOCKS (sizeof blocks / sizeof blocks[0])

static const hs_journal_alert day_alerts[] = {
	{ DAY_0900 + 65 * MIN, HS_STATE_LOOKING_DOWN, 300, "looking-down" },
	{ DAY_0900 + 123 * MIN, HS_STATE_HUNCHED, 180, "" },
};

static size_t synthetic_minutes(hs_journal_minute *out)
{
	size_t n = 0;
	for (size_t b = 0; b < N_BLOCKS; b++) {
		for (int i = 0; i < blocks[b].minutes; i++) {
			hs_journal_minute *m = &out[n++];
			memset(m, 0, sizeof *m);
			m->start = blocks[b].start + i * MIN;
			m->state_s[blocks[b].state] = 60;
			m->frames = 120;
			if (blocks[b].state != HS_STATE_AWAY) {
				m->face_frames = m->pitch_frames =
				        m->drop_frames = 120;
				m->pitch_mean_deg = blocks[b].pitch_deg;
			}
		}
	}
	return n;
}

static void build_day(hs_report *r)
{
	static hs_journal_minute minutes[1000];
	size_t n = synthetic_minutes(minutes);
	hs_report_input in = {
		.first = the_day,
		.last = the_day,
		.minutes = minutes,
		.n_minutes = n,
		.alerts = day_alerts,
		.n_alerts = 2,
	};
	assert_int_equal(hs_report_build(&in, r), 0);
	hs_report_set_links(r);
}

/* A journal of these blocks (in time order) and alerts at path; a new
 * session wherever a block does not follow on from the one before. */
static void write_journal_blocks(const char *path, const block *bs,
                                 size_t n_blocks,
                                 const hs_journal_alert *alerts,
                                 size_t n_alerts)
{
	hs_journal *j = NULL;
	assert_int_equal(hs_journal_open(path, NULL, &j), 0);
	for (size_t b = 0; b < n_blocks; b++) {
		if (b == 0 ||
		    bs[b].start != bs[b - 1].start + bs[b - 1].minutes * MIN) {
			if (b)
				hs_journal_end_session(
				        j, bs[b - 1].start +
				                   bs[b - 1].minutes * MIN);
			assert_int_equal(hs_journal_begin_session(
			                         j, bs[b].start, "test", NULL),
			                 0);
		}
		hs_features f = { .pitch_delta_deg = bs[b].pitch_deg,
			          .has_pitch = true };
		bool face = bs[b].state != HS_STATE_AWAY;
		for (int i = 0; i < bs[b].minutes; i++)
			assert_int_equal(
			        hs_journal_add_frame(j, bs[b].start + i * MIN,
			                             60, bs[b].state,
			                             face ? &f : NULL, face),
			        0);
	}
	for (size_t a = 0; a < n_alerts; a++)
		assert_int_equal(hs_journal_add_alert(
		                         j, alerts[a].t, alerts[a].kind,
		                         alerts[a].after_s, alerts[a].topic),
		                 0);
	hs_journal_close(j);
}

static void write_journal(const char *path)
{
	write_journal_blocks(path, blocks, N_BLOCKS, day_alerts, 2);
}

/* The minutes of these blocks, as the journal keeps them. */
static size_t block_minutes(const block *bs, size_t n_blocks,
                            hs_journal_minute *out, size_t max)
{
	size_t n = 0;
	for (size_t b = 0; b < n_blocks; b++) {
		for (int i = 0; i < bs[b].minutes; i++) {
			assert_true(n < max);
			hs_journal_minute *m = &out[n++];
			memset(m, 0, sizeof *m);
			m->start = bs[b].start + i * MIN;
			m->state_s[bs[b].state] = 60;
		}
	}
	return n;
}

static char *render(const hs_report *r, int (*fn)(const hs_report *, FILE *))
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(fn(r, f), 0);
	fclose(f);
	/* A copy: GCC 12 takes pointers into buf for pointers to it. */
	char *copy = strdup(buf);
	free(buf);
	assert_non_null(copy);
	return copy;
}

/* ---- reading the HTML page ------------------------------------------------
 */

/* The fills of the states, as the HTML page draws them. */
static const char *const state_fill[HS_STATE_COUNT] = {
	[HS_STATE_UPRIGHT] = "#0072b2",
	[HS_STATE_LOOKING_DOWN] = "#e69f00",
	[HS_STATE_HUNCHED] = "#d55e00",
	[HS_STATE_AWAY] = "#999999",
	[HS_STATE_UNCALIBRATED] = "#56b4e9",
};

static int state_of_fill(const char *fill)
{
	for (int s = 0; s < HS_STATE_COUNT; s++)
		if (strcmp(fill, state_fill[s]) == 0)
			return s;
	return -1;
}

/* The value of the summary line 'label' of a text report into buf. */
static void text_value(const char *text, const char *label, char *buf,
                       size_t size)
{
	char key[64];
	snprintf(key, sizeof key, "\n  %s ", label);
	const char *p = strstr(text, key);
	if (!p)
		fail_msg("no \"%s\" line in the text report", label);
	p += strlen(key);
	while (*p == ' ')
		p++;
	snprintf(buf, size, "%.*s", (int)strcspn(p, "\n"), p);
}

/* The value of the summary row 'label' of an HTML page into buf. */
static void html_value(const char *html, const char *label, char *buf,
                       size_t size)
{
	char key[64];
	snprintf(key, sizeof key, "<tr><th>%s</th><td>", label);
	const char *p = strstr(html, key);
	if (!p)
		fail_msg("no \"%s\" row in the HTML page", label);
	p += strlen(key);
	const char *end = strstr(p, "</td>");
	assert_non_null(end);
	snprintf(buf, size, "%.*s", (int)(end - p), p);
}

/* A copy of the chart of an HTML page with this aria-label, up to its
 * </svg>. */
static char *svg_of(const char *html, const char *label)
{
	char key[128];
	snprintf(key, sizeof key, "aria-label=\"%s\"", label);
	const char *a = strstr(html, key);
	if (!a)
		fail_msg("no chart \"%s\" in the HTML page", label);
	const char *b = strstr(a, "</svg>");
	assert_non_null(b);
	return strndup(a, (size_t)(b - a));
}

typedef struct svg_box {
	double x, y, w, h;
	char fill[16];
} svg_box;

static size_t svg_boxes(const char *svg, svg_box *out, size_t max)
{
	size_t n = 0;
	for (const char *p = svg; (p = strstr(p, "<rect ")); p++) {
		svg_box b;
		if (sscanf(p,
		           "<rect x=\"%lf\" y=\"%lf\" width=\"%lf\" "
		           "height=\"%lf\" fill=\"%15[^\"]\"",
		           &b.x, &b.y, &b.w, &b.h, b.fill) != 5)
			fail_msg("unexpected rect: %.80s", p);
		assert_true(n < max);
		out[n++] = b;
	}
	return n;
}

typedef struct svg_text {
	double x, y;
	char text[64];
} svg_text;

static size_t svg_texts(const char *svg, svg_text *out, size_t max)
{
	size_t n = 0;
	for (const char *p = svg; (p = strstr(p, "<text ")); p++) {
		svg_text t;
		if (sscanf(p, "<text x=\"%lf\" y=\"%lf\"", &t.x, &t.y) != 2)
			fail_msg("unexpected text: %.80s", p);
		const char *gt = strchr(p, '>');
		assert_non_null(gt);
		snprintf(t.text, sizeof t.text, "%.*s",
		         (int)strcspn(gt + 1, "<"), gt + 1);
		assert_true(n < max);
		out[n++] = t;
	}
	return n;
}

typedef struct svg_line {
	double x1, y1, x2, y2;
} svg_line;

static size_t svg_lines(const char *svg, svg_line *out, size_t max)
{
	size_t n = 0;
	for (const char *p = svg; (p = strstr(p, "<line ")); p++) {
		svg_line l;
		if (sscanf(p,
		           "<line x1=\"%lf\" y1=\"%lf\" x2=\"%lf\" y2=\"%lf\"",
		           &l.x1, &l.y1, &l.x2, &l.y2) != 4)
			fail_msg("unexpected line: %.80s", p);
		assert_true(n < max);
		out[n++] = l;
	}
	return n;
}

/* "HH:00" labels of the timeline's axis, as hours from the first label's
 * midnight (the last one may read 00:00 for 24) and their x; returns how
 * many. */
static size_t timeline_hour_labels(const char *svg, double *hour, double *x,
                                   size_t max)
{
	static svg_text t[256];
	size_t nt = svg_texts(svg, t, 256), n = 0;
	int wrap = 0, prev = -1;
	for (size_t i = 0; i < nt; i++) {
		int hh, mm;
		char rest;
		if (sscanf(t[i].text, "%d:%d%c", &hh, &mm, &rest) != 2 ||
		    mm != 0)
			continue;
		if (hh + wrap <= prev)
			wrap += 24;
		prev = hh + wrap;
		assert_true(n < max);
		hour[n] = prev;
		x[n++] = t[i].x;
	}
	return n;
}

#define TL_ROWS 8
#define DAY_MIN (24 * 60)
typedef bool timeline_map[TL_ROWS][HS_STATE_COUNT][DAY_MIN];

/* Which minute of the (local) day, in which state, the timeline of an HTML
 * page draws in each day row; fails on anything drawn outside the plot.
 * Clock times come from the hour labels of the axis. */
static void read_timeline(const char *html, timeline_map drawn)
{
	memset(drawn, 0, sizeof(timeline_map));
	char *svg = svg_of(html, "posture timeline");
	static svg_box box[8192];
	size_t nb = svg_boxes(svg, box, 8192);
	double row_y[TL_ROWS], plot_x = -1, plot_w = -1;
	int rows = 0;
	for (size_t i = 0; i < nb; i++) {
		if (strcmp(box[i].fill, "#f1f1f1") != 0)
			continue;
		assert_true(rows < TL_ROWS);
		row_y[rows++] = box[i].y;
		plot_x = box[i].x;
		plot_w = box[i].w;
	}
	assert_true(rows > 0);
	double hour[64], hx[64];
	size_t nl = timeline_hour_labels(svg, hour, hx, 64);
	assert_true(nl >= 2);
	double per_min = (hx[nl - 1] - hx[0]) / ((hour[nl - 1] - hour[0]) * 60);
	double x_midnight = hx[0] - hour[0] * 60 * per_min;
	for (size_t i = 0; i < nb; i++) {
		if (strcmp(box[i].fill, "#f1f1f1") == 0)
			continue;
		int s = state_of_fill(box[i].fill);
		if (s < 0)
			fail_msg("timeline bar of no state: %s", box[i].fill);
		int row = -1;
		for (int k = 0; k < rows; k++)
			if (fabs(box[i].y - row_y[k]) < 0.01)
				row = k;
		if (row < 0)
			fail_msg("timeline bar outside the day rows at y %.2f",
			         box[i].y);
		if (box[i].w <= 0 || box[i].x < plot_x - 0.01 ||
		    box[i].x + box[i].w > plot_x + plot_w + 0.01)
			fail_msg("timeline bar x %.2f width %.2f outside the "
			         "plot (%.2f to %.2f)",
			         box[i].x, box[i].w, plot_x, plot_x + plot_w);
		long from = lround((box[i].x - x_midnight) / per_min);
		long to = lround((box[i].x + box[i].w - x_midnight) / per_min);
		for (long m = from; m < to; m++) {
			if (m < 0 || m >= DAY_MIN)
				fail_msg(
				        "timeline bar at minute %ld of the day",
				        m);
			drawn[row][s][m] = true;
		}
	}
	free(svg);
}

/* What the timeline should draw: each minute in its day's row, at its own
 * local time of day. */
static void expected_timeline(hs_date first, const hs_journal_minute *m,
                              size_t n, timeline_map want)
{
	memset(want, 0, sizeof(timeline_map));
	for (size_t i = 0; i < n; i++) {
		hs_date d = hs_date_from_unix(m[i].start);
		int row = 0;
		while (hs_date_cmp(hs_date_add_days(first, row), d) < 0)
			row++;
		assert_true(row < TL_ROWS);
		int s = 0;
		for (int k = 1; k < HS_STATE_COUNT; k++)
			if (m[i].state_s[k] > m[i].state_s[s])
				s = k;
		time_t t = (time_t)m[i].start;
		struct tm tm;
		localtime_r(&t, &tm);
		want[row][s][tm.tm_hour * 60 + tm.tm_min] = true;
	}
}

static void assert_timeline(timeline_map drawn, timeline_map want)
{
	for (int row = 0; row < TL_ROWS; row++)
		for (int s = 0; s < HS_STATE_COUNT; s++)
			for (int m = 0; m < DAY_MIN; m++)
				if (drawn[row][s][m] != want[row][s][m])
					fail_msg("timeline, day %d, %s at "
					         "%02d:%02d: %s",
					         row + 1,
					         hs_state_label((hs_state)s),
					         m / 60, m % 60,
					         want[row][s][m] ? "missing"
					                         : "drawn but "
					                           "not there");
}

/* ---- figures ------------------------------------------------------------- */

static void neck_load_follows_hansraj(void **state)
{
	(void)state;
	assert_true(hs_report_neck_load_kg(0) == 5);
	assert_true(hs_report_neck_load_kg(15) == 12);
	assert_true(hs_report_neck_load_kg(30) == 18);
	assert_true(hs_report_neck_load_kg(45) == 22);
	assert_true(hs_report_neck_load_kg(60) == 27);
	assert_true(fabs(hs_report_neck_load_kg(22.5) - 15) < 1e-9);
	assert_true(hs_report_neck_load_kg(-10) == 5);
	assert_true(hs_report_neck_load_kg(90) == 27);
}

static double expected_neck_load(void)
{
	/* Time-weighted over present minutes; negative pitch counts as 0. */
	double w = 60 + 30 + 30 + 20 + 20;
	return (60 * hs_report_neck_load_kg(2) +
	        30 * hs_report_neck_load_kg(30) +
	        30 * hs_report_neck_load_kg(2) +
	        20 * hs_report_neck_load_kg(10) +
	        20 * hs_report_neck_load_kg(0)) /
	       w;
}

static void figures_of_a_synthetic_day(void **state)
{
	(void)state;
	hs_report r;
	build_day(&r);
	assert_false(r.no_data);
	assert_int_equal(r.days, 1);
	assert_true(r.monitored_s == 180 * MIN);
	assert_true(r.state_s[HS_STATE_UPRIGHT] == 110 * MIN);
	assert_true(r.state_s[HS_STATE_LOOKING_DOWN] == 30 * MIN);
	assert_true(r.state_s[HS_STATE_HUNCHED] == 20 * MIN);
	assert_true(r.state_s[HS_STATE_AWAY] == 20 * MIN);
	assert_true(fabs(r.share_upright - 110.0 / 160) < 1e-9);

	assert_int_equal(r.n_alerts, 2);
	assert_int_equal(r.alerts_by_kind[HS_STATE_LOOKING_DOWN], 1);
	assert_int_equal(r.alerts_by_kind[HS_STATE_HUNCHED], 1);
	assert_int_equal(r.alerts[0].topic, HS_ADVICE_LOOKING_DOWN);
	/* No topic stored: the kind's own advice. */
	assert_int_equal(r.alerts[1].topic, HS_ADVICE_HUNCHED);

	assert_true(r.longest_upright.start == DAY_0900);
	assert_true(r.longest_upright.duration_s == 60 * MIN);
	assert_true(r.longest_bad.start == DAY_0900 + 60 * MIN);
	assert_true(r.longest_bad.duration_s == 30 * MIN);
	assert_int_equal(r.worst_hour, 10);
	assert_true(r.hours[9][HS_STATE_UPRIGHT] == 3600);
	assert_true(r.hours[10][HS_STATE_LOOKING_DOWN] == 1800);
	assert_true(r.hours[11][HS_STATE_AWAY] == 1200);
	assert_true(r.hours[12][HS_STATE_UPRIGHT] == 0);
	assert_true(fabs(r.neck_load_kg - expected_neck_load()) < 1e-9);

	/* The Friday before: half upright. */
	assert_true(fabs(r.prev_share_upright - 0.5) < 1e-9);
	assert_true(r.prev_monitored_s == 240 * MIN);
	assert_int_equal(r.prev_days_with_data, 1);
	assert_int_equal(r.n_daily, HS_REPORT_BASELINE_DAYS + 1);
	assert_int_equal(r.daily[4].date.day, 27);
	assert_true(r.daily[4].monitored_s == 240 * MIN);
	assert_int_equal(hs_date_cmp(r.daily[7].date, the_day), 0);

	/* A 30-minute bad stretch is long: the "keep active" advice. */
	assert_int_equal(r.advice, HS_ADVICE_ACTIVE);
	assert_memory_equal(r.advice_url[HS_ADVICE_ACTIVE], "file://", 7);
	hs_report_finish(&r);
}

/* One 90 s hunch is 90 s from when it began, wherever the journal's
 * minutes fall: half a minute into one, or on a minute's start. */
static void a_stretch_does_not_depend_on_where_minutes_fall(void **state)
{
	(void)state;
	for (int offset = 0; offset <= 30; offset += 30) {
		hs_journal_minute m[4];
		memset(m, 0, sizeof m);
		double hunched = 90;
		for (int i = 0; i < 4; i++) {
			m[i].start = DAY_0900 + i * MIN;
			/* upright until offset s into minute 0, then 90 s
			 * hunched, then upright again */
			const double from = i == 0 ? offset : 0;
			const double h = fmin(hunched, 60 - from);
			m[i].state_s[HS_STATE_HUNCHED] = h;
			m[i].state_s[HS_STATE_UPRIGHT] = 60 - h;
			hunched -= h;
		}
		hs_report_input in = { .first = the_day,
			               .last = the_day,
			               .minutes = m,
			               .n_minutes = 4 };
		hs_report r;
		assert_int_equal(hs_report_build(&in, &r), 0);
		if (fabs(r.longest_bad.duration_s - 90) > 1e-9 ||
		    fabs(r.longest_bad.start - (DAY_0900 + offset)) > 1e-9)
			fail_msg("hunch from %d s: stretch of %.1f s from "
			         "%+.1f s",
			         offset, r.longest_bad.duration_s,
			         r.longest_bad.start - DAY_0900);
		/* never longer than all the time hunched */
		assert_true(r.longest_bad.duration_s <=
		            r.state_s[HS_STATE_HUNCHED] + 1e-9);
		hs_report_finish(&r);
	}
}

static void short_hunching_gets_the_hunched_advice(void **state)
{
	(void)state;
	hs_journal_minute m[40];
	memset(m, 0, sizeof m);
	for (int i = 0; i < 40; i++) {
		m[i].start = DAY_0900 + i * MIN;
		m[i].state_s[i % 8 == 0 ? HS_STATE_HUNCHED : HS_STATE_UPRIGHT] =
		        60;
	}
	hs_report_input in = {
		.first = the_day, .last = the_day, .minutes = m, .n_minutes = 40
	};
	hs_report r;
	assert_int_equal(hs_report_build(&in, &r), 0);
	assert_int_equal(r.advice, HS_ADVICE_HUNCHED);
	assert_true(r.neck_load_kg < 0); /* no pitch recorded */
	assert_true(r.longest_upright.duration_s == 7 * MIN);
	hs_report_finish(&r);

	/* A few minutes, half of them hunched, are no "day of bad posture":
	 * the hunched advice, not the exercise one... */
	for (int i = 0; i < 4; i++) {
		memset(m[i].state_s, 0, sizeof m[i].state_s);
		m[i].state_s[i % 2 ? HS_STATE_HUNCHED : HS_STATE_UPRIGHT] = 60;
	}
	in.n_minutes = 4;
	assert_int_equal(hs_report_build(&in, &r), 0);
	assert_int_equal(r.advice, HS_ADVICE_HUNCHED);
	hs_report_finish(&r);
	/* ...while an hour and more with half of it hunched is. */
	for (int i = 0; i < 40; i++) {
		memset(m[i].state_s, 0, sizeof m[i].state_s);
		m[i].state_s[i % 2 ? HS_STATE_HUNCHED : HS_STATE_UPRIGHT] = 60;
	}
	/* The share is of the time at the desk: as long again away from
	 * it (a quarter of the time monitored hunched) changes nothing. */
	static hs_journal_minute hour[160];
	for (int i = 0; i < 160; i++) {
		hour[i] = m[i % 40];
		hour[i].start = DAY_0900 + i * MIN;
		if (i >= 80) {
			memset(hour[i].state_s, 0, sizeof hour[i].state_s);
			hour[i].state_s[HS_STATE_AWAY] = 60;
		}
	}
	in.minutes = hour;
	in.n_minutes = 160;
	assert_int_equal(hs_report_build(&in, &r), 0);
	assert_true(r.present_s == 80 * MIN && r.monitored_s == 160 * MIN);
	assert_true(r.longest_bad.duration_s < 20 * MIN);
	assert_int_equal(r.advice, HS_ADVICE_ACTIVE);
	hs_report_finish(&r);
}

/* Minutes at 09:00 + at[i] minutes, each all in state st. */
static size_t minutes_at(const int *at, size_t n, hs_state st,
                         hs_journal_minute *m)
{
	for (size_t i = 0; i < n; i++) {
		memset(&m[i], 0, sizeof m[i]);
		m[i].start = DAY_0900 + at[i] * MIN;
		m[i].state_s[st] = 60;
	}
	return n;
}

/* A minute the journal does not hold (the monitor stopped or paused)
 * ends a stretch: 10 minutes upright, one missing, 5 upright are a
 * longest stretch of 10 minutes, not 15. */
static void a_missing_minute_ends_a_stretch(void **state)
{
	(void)state;
	static const int at[] = { 0,  1,  2,  3,  4, 5, 6, 7, 8, 9, /* 10 */
		                  11, 12, 13, 14, 15 };
	hs_journal_minute m[sizeof at / sizeof at[0]];
	hs_report_input in = {
		.first = the_day,
		.last = the_day,
		.minutes = m,
		.n_minutes = minutes_at(at, sizeof at / sizeof at[0],
		                        HS_STATE_UPRIGHT, m),
	};
	hs_report r;
	assert_int_equal(hs_report_build(&in, &r), 0);
	assert_true(r.longest_upright.start == DAY_0900);
	if (r.longest_upright.duration_s != 10 * MIN)
		fail_msg("longest upright %.0f s, want 600",
		         r.longest_upright.duration_s);
	hs_report_finish(&r);
}

/* Two hours with as much bad time: the earlier is the worst hour. */
static void of_equal_hours_the_earlier_is_the_worst(void **state)
{
	(void)state;
	/* 10 minutes hunched from 10:00 and from 14:00 */
	static const int at[] = { 60,  61,  62,  63,  64,  65,  66,
		                  67,  68,  69,  300, 301, 302, 303,
		                  304, 305, 306, 307, 308, 309 };
	hs_journal_minute m[sizeof at / sizeof at[0]];
	hs_report_input in = {
		.first = the_day,
		.last = the_day,
		.minutes = m,
		.n_minutes = minutes_at(at, sizeof at / sizeof at[0],
		                        HS_STATE_HUNCHED, m),
	};
	hs_report r;
	assert_int_equal(hs_report_build(&in, &r), 0);
	assert_true(r.hours[10][HS_STATE_HUNCHED] ==
	            r.hours[14][HS_STATE_HUNCHED]);
	assert_int_equal(r.worst_hour, 10);
	hs_report_finish(&r);
}

/* A day's report holds the alerts from its 00:00:00 up to, not
 * including, the next day's 00:00:00. */
static void alerts_count_on_the_day_they_came(void **state)
{
	(void)state;
	const double start = hs_date_start(the_day);
	const double next = hs_date_start(hs_date_add_days(the_day, 1));
	const hs_journal_alert alerts[] = {
		{ start - 1, HS_STATE_HUNCHED, 30, "" },
		{ start, HS_STATE_HUNCHED, 30, "" },
		{ next - 1, HS_STATE_LOOKING_DOWN, 30, "" },
		{ next, HS_STATE_HUNCHED, 30, "" },
	};
	hs_report_input in = { .first = the_day,
		               .last = the_day,
		               .alerts = alerts,
		               .n_alerts = 4 };
	hs_report r;
	assert_int_equal(hs_report_build(&in, &r), 0);
	assert_int_equal(r.n_alerts, 2);
	assert_true(r.alerts[0].t == start);
	assert_true(r.alerts[1].t == next - 1);
	assert_int_equal(r.alerts_by_kind[HS_STATE_HUNCHED], 1);
	assert_int_equal(r.alerts_by_kind[HS_STATE_LOOKING_DOWN], 1);
	hs_report_finish(&r);
}

static void several_days_cover_the_days_ending_at_the_date(void **state)
{
	(void)state;
	static hs_journal_minute minutes[1000];
	size_t n = synthetic_minutes(minutes);
	hs_report_input in = {
		.first = hs_date_add_days(the_day, -6),
		.last = the_day,
		.minutes = minutes,
		.n_minutes = n,
	};
	hs_report r;
	assert_int_equal(hs_report_build(&in, &r), 0);
	assert_int_equal(r.days, 7);
	/* The Friday is inside the range now, not in the baseline. */
	assert_true(r.monitored_s == (240 + 180) * MIN);
	assert_true(r.prev_share_upright < 0);
	assert_int_equal(r.n_daily, HS_REPORT_BASELINE_DAYS + 7);
	hs_report_finish(&r);
}

/* The trend's date labels ("03-02") with their x, in order; their count. */
static int trend_dates(const char *svg, double *x, int max)
{
	int n = 0;
	for (const char *p = svg; (p = strstr(p, "<text x=\"")); p++) {
		double at = strtod(p + 9, NULL);
		const char *gt = strchr(p, '>');
		int mm, dd;
		char end;
		if (gt && sscanf(gt + 1, "%2d-%2d<%c", &mm, &dd, &end) == 3 &&
		    n < max)
			x[n++] = at;
	}
	return n;
}

/* A month in the trend: one bar a day is still drawn, but the dates
 * under them are spaced so that none runs into the next, and the shares
 * above such narrow bars are left to the table. */
static void a_long_trend_keeps_its_labels_apart(void **state)
{
	(void)state;
	static hs_journal_minute minutes[1000];
	size_t n = synthetic_minutes(minutes);
	for (int days = 7; days <= 366; days = days < 60 ? days * 3 : 366) {
		hs_report_input in = {
			.first = hs_date_add_days(the_day, -(days - 1)),
			.last = the_day,
			.minutes = minutes,
			.n_minutes = n,
		};
		hs_report r;
		assert_int_equal(hs_report_build(&in, &r), 0);
		char *html = render(&r, hs_report_write_html);
		char *svg = svg_of(html, "daily trend");
		static double x[400];
		int dates = trend_dates(svg, x, 400);
		const int bars = HS_REPORT_BASELINE_DAYS + days;
		fprintf(stderr, "%d days: %d dates under %d bars\n", days,
		        dates, bars);
		assert_true(dates >= 2 && dates <= bars);
		for (int i = 1; i < dates; i++)
			if (x[i] - x[i - 1] < 44)
				fail_msg("%d days: dates %.1f px apart", days,
				         x[i] - x[i - 1]);
		if (days == 7) {
			assert_int_equal(dates, bars); /* a date each */
			assert_non_null(strstr(svg, "%</text>"));
		} else {
			assert_null(strstr(svg, "%</text>"));
			assert_non_null(strstr(html,
			                       "is in the table after the "
			                       "chart"));
		}
		free(svg);
		free(html);
		hs_report_finish(&r);
		if (days == 366)
			break;
	}
}

static void empty_day_has_no_data(void **state)
{
	(void)state;
	hs_report_input in = { .first = the_day, .last = the_day };
	hs_report r;
	assert_int_equal(hs_report_build(&in, &r), 0);
	assert_true(r.no_data);
	assert_int_equal(r.worst_hour, -1);
	assert_true(r.share_upright < 0);
	char *text = render(&r, hs_report_write_text);
	assert_non_null(strstr(text, "No posture data for this day"));
	free(text);
	hs_report_finish(&r);
}

/* A monitor stopped soon after an alert may leave the alert in the
 * journal and not the minute it came in: every format shows it, not the
 * JSON alone. */
static void an_alert_without_minutes_is_in_every_format(void **state)
{
	(void)state;
	const hs_journal_alert alert = { .t = DAY_0900 + 40,
		                         .kind = HS_STATE_HUNCHED,
		                         .after_s = 30,
		                         .topic = "hunched" };
	hs_report_input in = { .first = the_day,
		               .last = the_day,
		               .alerts = &alert,
		               .n_alerts = 1 };
	hs_report r;
	assert_int_equal(hs_report_build(&in, &r), 0);
	assert_true(r.no_data);
	char *text = render(&r, hs_report_write_text);
	assert_non_null(strstr(text, "No posture data for this day"));
	assert_non_null(strstr(text, "Alerts: 1 (0 looking down, 1 hunched), "
	                             "from minutes the journal does not hold"));
	char *html = render(&r, hs_report_write_html);
	assert_non_null(strstr(html, "<h2>Alerts</h2>"));
	assert_non_null(strstr(html, "<td>Hunched</td><td>30 s</td>"));
	char *json = render(&r, hs_report_write_json);
	assert_non_null(strstr(json, "\"no_data\": true"));
	assert_non_null(strstr(json, "\"kind\": \"hunched\""));
	free(text);
	free(html);
	free(json);
	hs_report_finish(&r);
}

/* The report says how long a posture had lasted at its alert as the
 * notification did, rounded down: "Hunched for 10 minutes" at 630 s is
 * "10 min" in the page, not "11 min". */
static void an_alerts_duration_reads_as_its_notification(void **state)
{
	(void)state;
	const hs_journal_alert alerts[] = {
		{ .t = DAY_0900 + 700,
		  .kind = HS_STATE_HUNCHED,
		  .after_s = 630,
		  .topic = "hunched" },
		{ .t = DAY_0900 + 2000,
		  .kind = HS_STATE_LOOKING_DOWN,
		  .after_s = 59.9,
		  .topic = "looking-down" },
	};
	hs_report_input in = { .first = the_day,
		               .last = the_day,
		               .alerts = alerts,
		               .n_alerts = 2 };
	hs_report r;
	assert_int_equal(hs_report_build(&in, &r), 0);
	char said[64];
	assert_int_equal(hs_duration_format(630, said, sizeof said), 0);
	assert_string_equal(said, "10 minutes");
	char *html = render(&r, hs_report_write_html);
	assert_non_null(strstr(html, "<td>Hunched</td><td>10 min</td>"));
	assert_non_null(strstr(html, "<td>Looking down</td><td>59 s</td>"));
	free(html);
	hs_report_finish(&r);
}

static void day_with_a_clock_change_has_23_hours(void **state)
{
	(void)state;
	/* 2026-03-29: Berlin springs forward. */
	hs_report_input in = { .first = { 2026, 3, 29 },
		               .last = { 2026, 3, 29 } };
	hs_report r;
	assert_int_equal(hs_report_build(&in, &r), 0);
	assert_true(r.end - r.start == 23 * 3600);
	hs_report_finish(&r);
}

/* 2026-10-25: Berlin goes back from 03:00 CEST to 02:00 CET, so the
 * clock's 02:00-03:00 holds two real hours.  15 minutes hunched in each
 * do not make it worse than an ordinary hour with 25. */
static void
the_hour_repeated_in_autumn_is_not_worst_for_its_length(void **state)
{
	(void)state;
	const double utc_0000 = 1792886400.0; /* 02:00 CEST */
	static hs_journal_minute minutes[60];
	size_t n = 0;
	const double starts[] = { utc_0000, utc_0000 + 3600, /* 02:00 twice */
		                  utc_0000 + 9 * 3600 };     /* 10:00 CET */
	const int lengths[] = { 15, 15, 25 };
	for (int b = 0; b < 3; b++)
		for (int i = 0; i < lengths[b]; i++) {
			hs_journal_minute *m = &minutes[n++];
			memset(m, 0, sizeof *m);
			m->start = starts[b] + i * MIN;
			m->state_s[HS_STATE_HUNCHED] = 60;
		}
	hs_report_input in = { .first = { 2026, 10, 25 },
		               .last = { 2026, 10, 25 },
		               .minutes = minutes,
		               .n_minutes = n };
	hs_report r;
	assert_int_equal(hs_report_build(&in, &r), 0);
	assert_true(r.end - r.start == 25 * 3600);
	assert_true(r.hours[2][HS_STATE_HUNCHED] == 30 * MIN);
	assert_int_equal(r.worst_hour, 10);
	hs_report_finish(&r);
}

/* ---- renderings ---------------------------------------------------------- */

/* Evaluate a JSON path in a document with SQLite's JSON parser. */
static char *json_get(const char *doc, const char *path)
{
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_prepare_v2(db,
	                                    "SELECT json_valid(?1),"
	                                    " json_extract(?1, ?2),"
	                                    " json_type(?1, ?2)",
	                                    -1, &st, NULL),
	                 SQLITE_OK);
	sqlite3_bind_text(st, 1, doc, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, path, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 1);
	const char *type = (const char *)sqlite3_column_text(st, 2);
	if (!type)
		fail_msg("JSON has no %s", path);
	const char *v = (const char *)sqlite3_column_text(st, 1);
	char *copy = strdup(v ? v : "null");
	sqlite3_finalize(st);
	sqlite3_close(db);
	return copy;
}

static void assert_json(const char *doc, const char *path, const char *want)
{
	char *got = json_get(doc, path);
	if (strcmp(got, want) != 0)
		fail_msg("%s: got %s, want %s", path, got, want);
	free(got);
}

static void check_day_json(const char *doc)
{
	assert_json(doc, "$.date", "2026-03-02");
	assert_json(doc, "$.days", "1");
	assert_json(doc, "$.monitored_s", "10800.0");
	assert_json(doc, "$.states.upright", "6600.0");
	assert_json(doc, "$.states.looking_down", "1800.0");
	assert_json(doc, "$.states.hunched", "1200.0");
	assert_json(doc, "$.states.away", "1200.0");
	assert_json(doc, "$.alerts[0].time", "2026-03-02T10:05:00+01:00");
	assert_json(doc, "$.alerts[0].kind", "looking_down");
	assert_json(doc, "$.alerts[0].after_s", "300.0");
	assert_json(doc, "$.alerts[0].advice", "looking-down");
	assert_json(doc, "$.alerts[1].kind", "hunched");
	assert_json(doc, "$.alerts[1].advice", "hunched");
	assert_json(doc, "$.hours[10].hour", "10");
	assert_json(doc, "$.hours[10].states.looking_down", "1800.0");
	assert_json(doc, "$.worst_hour.hour", "10");
	assert_json(doc, "$.longest_upright.duration_s", "3600.0");
	assert_json(doc, "$.longest_bad.start", "2026-03-02T10:00:00+01:00");
	assert_json(doc, "$.previous_7_days.share_upright", "0.5");
	assert_json(doc, "$.advice.topic", "active");
	char want[32];
	snprintf(want, sizeof want, "%.2f", expected_neck_load());
	char *got = json_get(doc, "$.neck_load_kg");
	assert_true(fabs(atof(got) - atof(want)) < 0.006);
	free(got);
	got = json_get(doc, "$.hours");
	assert_non_null(got);
	free(got);
}

static void json_has_the_stable_keys(void **state)
{
	(void)state;
	hs_report r;
	build_day(&r);
	char *doc = render(&r, hs_report_write_json);
	check_day_json(doc);
	free(doc);
	hs_report_finish(&r);

	/* A day without data keeps every key. */
	hs_report_input in = { .first = the_day, .last = the_day };
	assert_int_equal(hs_report_build(&in, &r), 0);
	doc = render(&r, hs_report_write_json);
	assert_json(doc, "$.no_data", "1");
	assert_json(doc, "$.monitored_s", "0.0");
	assert_json(doc, "$.states.hunched", "0.0");
	assert_json(doc, "$.neck_load_kg", "null");
	free(doc);
	hs_report_finish(&r);

	/* A day upright only: no bad stretch; alerts counted by kind. */
	hs_journal_minute up[10];
	memset(up, 0, sizeof up);
	for (int i = 0; i < 10; i++) {
		up[i].start = DAY_0900 + i * MIN;
		up[i].state_s[HS_STATE_UPRIGHT] = 60;
	}
	const hs_journal_alert alerts[] = {
		{ DAY_0900 + 60, HS_STATE_LOOKING_DOWN, 30, "" },
		{ DAY_0900 + 120, HS_STATE_HUNCHED, 30, "" },
		{ DAY_0900 + 180, HS_STATE_LOOKING_DOWN, 30, "" },
	};
	in.minutes = up;
	in.n_minutes = 10;
	in.alerts = alerts;
	in.n_alerts = 3;
	assert_int_equal(hs_report_build(&in, &r), 0);
	doc = render(&r, hs_report_write_json);
	assert_json(doc, "$.longest_upright.duration_s", "600.0");
	assert_json(doc, "$.longest_bad", "null");
	assert_json(doc, "$.alerts_by_kind.looking_down", "2");
	assert_json(doc, "$.alerts_by_kind.hunched", "1");
	free(doc);
	hs_report_finish(&r);
}

/* Code points in a UTF-8 line. */
static size_t columns(const char *s, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++)
		n += ((unsigned char)s[i] & 0xc0) != 0x80;
	return n;
}

/* Every line at most 80 columns; returns the number of lines. */
static int fits_columns(const char *text, int width)
{
	int lines = 0;
	for (const char *p = text; *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		/* A file:// link cannot be broken; it is the only exception. */
		if (!memmem(p, len, "file://", 7) &&
		    (int)columns(p, len) > width)
			fail_msg("line wider than %d columns: %.*s", width,
			         (int)len, p);
		lines++;
		p += len + (nl ? 1 : 0);
	}
	return lines;
}

static int fits_80_columns(const char *text)
{
	return fits_columns(text, 80);
}

/* The text report as on a UTF-8 terminal, and as on any other. */
static int write_text_utf8(const hs_report *r, FILE *out)
{
	return hs_report_write_text_in(r, out, HS_REPORT_UTF8, 79);
}

static int write_text_ascii(const hs_report *r, FILE *out)
{
	return hs_report_write_text_in(r, out, HS_REPORT_ASCII, 79);
}

static int write_text_30_ascii(const hs_report *r, FILE *out)
{
	return hs_report_write_text_in(r, out, HS_REPORT_ASCII, 30);
}

static int write_text_40(const hs_report *r, FILE *out)
{
	return hs_report_write_text_in(r, out, HS_REPORT_UTF8, 39);
}

static int write_text_20(const hs_report *r, FILE *out)
{
	return hs_report_write_text_in(r, out, HS_REPORT_UTF8, 20);
}

/* On a narrow terminal (COLUMNS=40, or a large font) every line fits, so
 * that nothing is broken mid-word by the terminal: the summary's values
 * go under their labels, the bars are shorter, the key and the advice are
 * wrapped. */
static void text_fits_a_narrow_terminal(void **state)
{
	(void)state;
	hs_report r;
	build_day(&r);
	char *text = render(&r, write_text_40);
	fits_columns(text, 39);
	assert_non_null(strstr(text, "\n  Time monitored\n    3 h 00 min\n"));
	assert_non_null(strstr(text, "  09  1 h 00 min   \u2588"));
	assert_non_null(strstr(text, "diagnosis"));
	free(text);
	text = render(&r, write_text_20);
	fits_columns(text, 20);
	free(text);
	hs_report_finish(&r);
}

static void text_fits_80_columns(void **state)
{
	(void)state;
	hs_report r;
	build_day(&r);
	char *text = render(&r, write_text_utf8);
	assert_true(fits_80_columns(text) > 20);
	assert_non_null(strstr(text, "Time monitored       3 h 00 min"));
	assert_non_null(strstr(text, "69% of the time at the desk"));
	assert_non_null(
	        strstr(text, "Longest upright      1 h 00 min, from 09:00"));
	assert_non_null(strstr(text, "Worst hour           10:00-11:00"));
	assert_non_null(strstr(text, "not a diagnosis"));
	assert_non_null(strstr(text, "(+19 points)"));
	/* Hour 09 was upright for the whole hour: its time, then a full bar
	 * of blocks. */
	assert_non_null(strstr(text, "  09  1 h 00 min   \u2588\u2588\u2588"
	                             "\u2588\u2588"));
	assert_non_null(strstr(text, "file://"));
	free(text);
	hs_report_finish(&r);
}

/* Each UTF-8 glyph of the text report and its ASCII stand-in. */
static const char *const glyph_pairs[][2] = {
	{ "\u2588", "#" }, { "\u2593", "=" }, { "\u2592", "+" },
	{ "\u2591", "-" }, { "\u00b7", "." }, { "\u00b0", " deg" },
};

/* text with every glyph replaced by its stand-in; the caller frees. */
static char *to_ascii(const char *text)
{
	char *out = malloc(4 * strlen(text) + 1), *o = out;
	assert_non_null(out);
	for (const char *p = text; *p;) {
		size_t i = 0;
		for (; i < sizeof glyph_pairs / sizeof glyph_pairs[0]; i++) {
			size_t n = strlen(glyph_pairs[i][0]);
			if (strncmp(p, glyph_pairs[i][0], n) == 0) {
				o = stpcpy(o, glyph_pairs[i][1]);
				p += n;
				break;
			}
		}
		if (i == sizeof glyph_pairs / sizeof glyph_pairs[0])
			*o++ = *p++;
	}
	*o = '\0';
	return out;
}

/* The first byte of text of 0x80 or above, or NULL when it is ASCII. */
static const char *non_ascii(const char *text)
{
	for (const char *p = text; *p; p++)
		if ((unsigned char)*p >= 0x80)
			return p;
	return NULL;
}

/* For a terminal that is not UTF-8 (LC_ALL=C, Latin-1), the text report
 * is pure ASCII, and it is the UTF-8 one glyph for glyph: the same lines,
 * the bars as long and the durations after them in the same column. */
static void text_for_other_charsets_is_ascii_of_the_same_shape(void **state)
{
	(void)state;
	hs_report r;
	build_day(&r);
	char *utf8 = render(&r, write_text_utf8);
	char *ascii = render(&r, write_text_ascii);
	/* The UTF-8 report draws every state and the degree sign... */
	for (size_t i = 0; i < sizeof glyph_pairs / sizeof glyph_pairs[0]; i++)
		assert_non_null(strstr(utf8, glyph_pairs[i][0]));
	/* ... the other none of them, nor any other byte above 0x7f. */
	const char *odd = non_ascii(ascii);
	if (odd)
		fail_msg("byte 0x%02x in the ASCII report: %.40s",
		         (unsigned char)*odd, odd);
	char *want = to_ascii(utf8);
	assert_string_equal(ascii, want);
	fits_80_columns(ascii);
	assert_non_null(strstr(ascii,
	                       "\nHour by hour: # upright  = looking down  + "
	                       "hunched  - away  . uncalibrated\n"));
	/* 09:00-10:00 upright: the hour's time, then a full bar. */
	assert_non_null(strstr(ascii, "  09  1 h 00 min   ###################"
	                              "###############################\n"));
	/* 10:00-11:00: 30 min upright, 30 looking down, in the legend's
	 * order. */
	assert_non_null(strstr(ascii, "  10  1 h 00 min   ####################"
	                              "#####=========================\n"));
	assert_non_null(strstr(ascii, " deg below upright)"));
	free(want);
	free(ascii);
	free(utf8);
	hs_report_finish(&r);
}

/* A day whose only minute is mostly uncalibrated: 4 s upright, but no
 * upright stretch, and the report says why rather than a bare "none". */
static void seconds_without_a_stretch_are_not_called_none(void **state)
{
	(void)state;
	static hs_journal_minute m[1];
	m[0].start = hs_date_start(the_day) + 9 * 3600;
	m[0].state_s[HS_STATE_UNCALIBRATED] = 56;
	m[0].state_s[HS_STATE_UPRIGHT] = 4;
	hs_report_input in = {
		.first = the_day, .last = the_day, .minutes = m, .n_minutes = 1
	};
	hs_report r;
	assert_int_equal(hs_report_build(&in, &r), 0);
	char *text = render(&r, hs_report_write_text);
	assert_non_null(strstr(text, "Upright              4 s"));
	assert_non_null(strstr(
	        text,
	        "Longest upright      none: no minute was mostly upright"));
	free(text);
	hs_report_finish(&r);
}

static void html_is_self_contained_with_charts(void **state)
{
	(void)state;
	hs_report r;
	build_day(&r);
	char *html = render(&r, hs_report_write_html);
	assert_null(strstr(html, "<script"));
	assert_null(strstr(html, "http:"));
	assert_null(strstr(html, "https:"));
	assert_null(strstr(html, "<link"));
	assert_null(strstr(html, "<img"));
	assert_non_null(strstr(html, "<style>"));
	assert_non_null(strstr(html, "@media print"));
	/* Three charts; the other SVGs (the patterns, the keys' swatches)
	 * are hidden from screen readers. */
	int charts = 0;
	for (const char *p = html; (p = strstr(p, "<svg")); p++) {
		const char *end = strchr(p, '>');
		const char *img = strstr(p, "role=\"img\"");
		if (!img || img > end) {
			const char *hidden = strstr(p, "aria-hidden=\"true\"");
			assert_true(hidden && hidden < end);
			continue;
		}
		const char *w = strstr(p, "width=\"960\"");
		assert_true(w && w < end);
		charts++;
	}
	assert_int_equal(charts, 3); /* timeline, hours, trend */
	assert_non_null(strstr(html, "href=\"file://"));
	assert_non_null(strstr(html, "#looking-down\""));
	assert_non_null(strstr(html, "not a diagnosis"));
	assert_non_null(strstr(html, "#d55e00")); /* hunched drawn */
	free(html);
	hs_report_finish(&r);
}

/* A report of these blocks for the day 'day', with links. */
static void build_blocks(hs_date first, hs_date last, const block *bs,
                         size_t n_blocks, hs_report *r)
{
	static hs_journal_minute m[4000];
	hs_report_input in = {
		.first = first,
		.last = last,
		.minutes = m,
		.n_minutes = block_minutes(bs, n_blocks, m, 4000),
	};
	assert_int_equal(hs_report_build(&in, r), 0);
	hs_report_set_links(r);
}

/* ---- the page on a dark desktop ----------------------------------------- */

/* Relative luminance of "#rrggbb" or "#rgb" (WCAG 2). */
static double luminance(const char *hex)
{
	unsigned c[3];
	if (strlen(hex) == 4 &&
	    sscanf(hex, "#%1x%1x%1x", &c[0], &c[1], &c[2]) == 3)
		for (int i = 0; i < 3; i++)
			c[i] *= 17;
	else if (strlen(hex) != 7 ||
	         sscanf(hex, "#%2x%2x%2x", &c[0], &c[1], &c[2]) != 3)
		fail_msg("no colour: \"%s\"", hex);
	double l[3];
	for (int i = 0; i < 3; i++) {
		double v = c[i] / 255.0;
		l[i] = v <= 0.03928 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4);
	}
	return 0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2];
}

static double contrast(const char *a, const char *b)
{
	double la = luminance(a), lb = luminance(b);
	return (fmax(la, lb) + 0.05) / (fmin(la, lb) + 0.05);
}

/* The colour that 'property' gets in the rule for 'selector' of a style
 * sheet (its first such rule) into buf. */
static void css_colour(const char *sheet, const char *selector,
                       const char *property, char *buf, size_t size)
{
	char key[64];
	snprintf(key, sizeof key, "%s{", selector);
	const char *rule = strstr(sheet, key);
	if (!rule)
		fail_msg("no rule for %s in: %s", selector, sheet);
	const char *end = strchr(rule, '}');
	snprintf(key, sizeof key, "%s:", property);
	const char *p = strstr(rule, key);
	if (!p || p > end)
		fail_msg("%s has no %s", selector, property);
	p += strlen(key);
	snprintf(buf, size, "%.*s", (int)strcspn(p, ";}"), p);
}

/* The block of a style sheet under this @media query, braces balanced. */
static char *media_block(const char *html, const char *query)
{
	const char *p = strstr(html, query);
	if (!p)
		fail_msg("no \"%s\" in the page's style", query);
	p = strchr(p, '{');
	assert_non_null(p);
	int depth = 0;
	const char *q = p;
	do {
		depth += *q == '{';
		depth -= *q == '}';
		q++;
	} while (depth > 0 && *q);
	assert_int_equal(depth, 0);
	return strndup(p + 1, (size_t)(q - p - 2));
}

/* For a desktop in dark mode the page asks the browser for dark controls
 * and scroll bars and turns its own background, text and chart lines
 * dark, on screen only; the states keep their colours, each still clear
 * of the dark background and of the empty day row (3:1 as WCAG asks of a
 * chart's parts); and nothing neutral in a chart is left out of the dark
 * rules: each line and each rect that is not a state has a class that
 * they restyle. */
static void html_follows_a_dark_desktop(void **state)
{
	(void)state;
	hs_report r;
	build_day(&r);
	char *html = render(&r, hs_report_write_html);
	const char *meta = strstr(html, "<meta name=\"color-scheme\" "
	                                "content=\"light dark\">");
	assert_non_null(meta);
	assert_true(meta < strstr(html, "</head>"));
	char *dark = media_block(
	        html, "@media screen and (prefers-color-scheme:dark)");

	char bg[16], fg[16], track[16], text[16];
	css_colour(dark, "body", "background", bg, sizeof bg);
	css_colour(dark, "body", "color", fg, sizeof fg);
	css_colour(dark, ".track", "fill", track, sizeof track);
	css_colour(dark, "svg text", "fill", text, sizeof text);
	if (luminance(bg) > 0.02)
		fail_msg("dark background %s is not dark", bg);
	if (contrast(fg, bg) < 7 || contrast(text, bg) < 4.5)
		fail_msg("text %s and chart text %s on %s: too faint", fg, text,
		         bg);
	if (contrast(track, bg) < 1.1)
		fail_msg("the empty day row %s vanishes into %s", track, bg);
	for (int s = 0; s < HS_STATE_COUNT; s++) {
		if (strstr(dark, state_fill[s]))
			fail_msg("dark mode changes the colour of %s",
			         hs_state_label((hs_state)s));
		if (contrast(state_fill[s], bg) < 3 ||
		    contrast(state_fill[s], track) < 3)
			fail_msg("%s %s: %.2f:1 on %s, %.2f:1 on the row %s",
			         hs_state_label((hs_state)s), state_fill[s],
			         contrast(state_fill[s], bg), bg,
			         contrast(state_fill[s], track), track);
	}

	int lines = 0, neutral_rects = 0;
	for (const char *p = html; (p = strchr(p, '<')); p++) {
		bool line = strncmp(p, "<line ", 6) == 0;
		bool rect = strncmp(p, "<rect ", 6) == 0;
		if (!line && !rect)
			continue;
		const char *end = strchr(p, '>');
		char fill[16] = "";
		const char *f = strstr(p, "fill=\"");
		if (rect && f && f < end)
			sscanf(f, "fill=\"%15[^\"]", fill);
		if (rect && state_of_fill(fill) >= 0)
			continue;
		lines += line;
		neutral_rects += rect;
		const char *c = strstr(p, "class=\"");
		if (!c || c > end)
			fail_msg("drawn in one colour for light and dark: %.*s",
			         (int)(end - p + 1), p);
		char sel[40] = ".";
		sscanf(c, "class=\"%30[^\"]", sel + 1);
		strcat(sel, "{");
		if (!strstr(dark, sel))
			fail_msg("dark mode does not restyle %.*s",
			         (int)(end - p), sel);
	}
	assert_true(lines > 0 && neutral_rects > 0);
	free(dark);
	free(html);
	hs_report_finish(&r);
}

/* ---- chart axes ------------------------------------------------------------
 */

/* The value axis of a bar chart: its labels ("0", "15 min", "2 h") in
 * minutes, each at an end of a horizontal line at its own height, evenly
 * spaced; a label repeated at the other end of its line counts once.
 * Sets the base line's y and the pixels to a minute; returns the top of
 * the scale in minutes. */
static double read_value_axis(const char *svg, double *base_y,
                              double *px_per_min)
{
	static svg_text t[256];
	static svg_line l[256];
	size_t nt = svg_texts(svg, t, 256), nl = svg_lines(svg, l, 256);
	double v[32], y[32];
	int n = 0;
	for (size_t i = 0; i < nt; i++) {
		double value;
		char unit[8] = "";
		if (strcmp(t[i].text, "0") == 0)
			value = 0;
		else if (sscanf(t[i].text, "%lf %7s", &value, unit) == 2 &&
		         (strcmp(unit, "min") == 0 || strcmp(unit, "h") == 0))
			value *= strcmp(unit, "h") == 0 ? 60 : 1;
		else
			continue;
		bool on_line = false;
		for (size_t k = 0; k < nl; k++)
			on_line |= l[k].y1 == l[k].y2 &&
			           fabs(l[k].y1 - (t[i].y - 4)) < 1 &&
			           (l[k].x1 > t[i].x || l[k].x2 < t[i].x) &&
			           l[k].x2 > l[k].x1 + 500;
		if (!on_line)
			fail_msg("axis label \"%s\" is on no grid line",
			         t[i].text);
		bool again = false;
		for (int k = 0; k < n; k++)
			again |= v[k] == value && y[k] == t[i].y - 4;
		if (again)
			continue;
		assert_true(n < 32);
		v[n] = value;
		y[n++] = t[i].y - 4;
	}
	if (n < 3 || n > 7)
		fail_msg("%d labels on the value axis, want 3 to 7", n);
	assert_true(v[0] == 0);
	*base_y = y[0];
	*px_per_min = (y[0] - y[n - 1]) / v[n - 1];
	for (int i = 1; i < n; i++) {
		if (fabs(v[i] - v[i - 1] - v[1]) > 1e-9)
			fail_msg("value axis steps %g then %g min", v[1],
			         v[i] - v[i - 1]);
		if (fabs(y[0] - y[i] - v[i] * *px_per_min) > 0.5)
			fail_msg("the %g min line is at y %.1f", v[i], y[i]);
	}
	return v[n - 1];
}

/* Minutes of the bar above the label 'label', read against the axis. */
static double bar_min(const char *svg, const char *label, double base_y,
                      double px_per_min)
{
	static svg_text t[256];
	static svg_box b[512];
	size_t nt = svg_texts(svg, t, 256), nb = svg_boxes(svg, b, 512);
	for (size_t i = 0; i < nt; i++) {
		if (strcmp(t[i].text, label) != 0)
			continue;
		double top = base_y;
		for (size_t k = 0; k < nb; k++)
			if (fabs(b[k].x + b[k].w / 2 - t[i].x) < 1) {
				assert_true(fabs(b[k].y + b[k].h - top) < 0.1);
				top = b[k].y;
			}
		return (base_y - top) / px_per_min;
	}
	fail_msg("no bar labelled %s", label);
	return -1;
}

/* The clock labels of a timeline, each with its tick below the rows;
 * returns how many, their texts one after another in 'texts'. */
static size_t timeline_ticks(const char *svg, char texts[][8], size_t max)
{
	static svg_text t[256];
	static svg_line l[256];
	static svg_box b[256];
	size_t nt = svg_texts(svg, t, 256), nl = svg_lines(svg, l, 256);
	size_t nb = svg_boxes(svg, b, 256), n = 0;
	double rows_end = 0;
	for (size_t k = 0; k < nb; k++)
		rows_end = fmax(rows_end, b[k].y + b[k].h);
	for (size_t i = 0; i < nt; i++) {
		int hh, mm;
		char rest;
		if (sscanf(t[i].text, "%d:%d%c", &hh, &mm, &rest) != 2)
			continue;
		bool tick = false;
		for (size_t k = 0; k < nl; k++)
			tick |= l[k].x1 == l[k].x2 &&
			        fabs(l[k].x1 - t[i].x) < 0.1 &&
			        l[k].y1 >= rows_end - 0.01 &&
			        l[k].y2 > l[k].y1 && l[k].y2 < t[i].y - 8;
		if (!tick)
			fail_msg("clock label %s has no tick", t[i].text);
		assert_true(n < max);
		snprintf(texts[n++], 8, "%.7s", t[i].text);
	}
	return n;
}

/* Each chart can be read off its axes: the timeline's clock in half hours
 * over a three-hour day and in quarter hours over a short one, each label
 * on its tick; the hour chart's minutes and the trend's hours as evenly
 * spaced lines labelled with their unit, against which the bars measure
 * what the day holds (09:00 to 10:00 all upright; Friday's four hours). */
static void html_chart_axes_are_labelled_with_units(void **state)
{
	(void)state;
	hs_report r;
	build_day(&r);
	char *html = render(&r, hs_report_write_html);

	char *svg = svg_of(html, "posture timeline");
	char clock[32][8];
	size_t n = timeline_ticks(svg, clock, 32);
	static const char *const want[] = { "09:00", "09:30", "10:00", "10:30",
		                            "11:00", "11:30", "12:00" };
	assert_int_equal(n, 7);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(clock[i], want[i]);
	free(svg);

	double base, px, top;
	svg = svg_of(html, "time per hour by posture");
	top = read_value_axis(svg, &base, &px);
	assert_true(top == 60); /* one day: the whole hour */
	assert_non_null(strstr(svg, ">15 min</text>"));
	assert_true(fabs(bar_min(svg, "09", base, px) - 60) < 0.1);
	assert_true(fabs(bar_min(svg, "11", base, px) - 60) < 0.1);
	free(svg);

	svg = svg_of(html, "daily trend");
	top = read_value_axis(svg, &base, &px);
	assert_true(top == 4 * 60);
	/* at both ends: the trend opens at its right end where it scrolls */
	const char *one_h = strstr(svg, ">1 h</text>");
	assert_non_null(one_h);
	assert_non_null(strstr(one_h + 1, ">1 h</text>"));
	assert_true(fabs(bar_min(svg, "02-27", base, px) - 4 * 60) < 0.1);
	assert_true(fabs(bar_min(svg, "03-02", base, px) - 3 * 60) < 0.1);
	free(svg);
	free(html);
	hs_report_finish(&r);

	/* Twenty minutes from 07:10: the clock in quarter hours. */
	static const block b[] = {
		{ DAY_0900 - 110 * MIN, 20, HS_STATE_UPRIGHT, 0 },
	};
	build_blocks(the_day, the_day, b, 1, &r);
	html = render(&r, hs_report_write_html);
	svg = svg_of(html, "posture timeline");
	n = timeline_ticks(svg, clock, 32);
	assert_int_equal(n, 5);
	assert_string_equal(clock[1], "07:15");
	free(svg);
	free(html);
	hs_report_finish(&r);
}

/* A day with 20 minutes at the desk, at 07:10 (near the start of the
 * day, so the axis can only widen one way): the hour chart still spans
 * eight hours, and its one bar is as narrow as on a full day, not a
 * slab across the page. */
static void short_day_keeps_an_eight_hour_axis(void **state)
{
	(void)state;
	static const block b[] = {
		{ DAY_0900 - 110 * MIN, 20, HS_STATE_UPRIGHT, 0 },
	};
	hs_report r;
	build_blocks(the_day, the_day, b, 1, &r);
	char *html = render(&r, hs_report_write_html);
	char *svg = svg_of(html, "time per hour by posture");
	static svg_text t[64];
	size_t nt = svg_texts(svg, t, 64);
	int hours = 0, first = 99, last = -1;
	for (size_t i = 0; i < nt; i++) {
		int h;
		char rest;
		if (strlen(t[i].text) == 2 &&
		    sscanf(t[i].text, "%d%c", &h, &rest) == 1) {
			hours++;
			first = h < first ? h : first;
			last = h > last ? h : last;
		}
	}
	if (hours < 8 || first > 7 || last < 7)
		fail_msg("hour axis %02d to %02d (%d labels), want 8 hours "
		         "around 07",
		         first, last, hours);
	static svg_box box[32];
	size_t nbox = svg_boxes(svg, box, 32);
	assert_true(nbox >= 1);
	for (size_t k = 0; k < nbox; k++)
		if (box[k].w > 960.0 / 8)
			fail_msg("a bar %.0f px wide", box[k].w);
	free(svg);
	free(html);
	hs_report_finish(&r);
}

static void previous_days_read_the_same_in_text_html_and_json(void **state)
{
	(void)state;
	static const struct {
		const char *what;
		block blocks[4];
		size_t n;
		const char *want; /* the text and HTML value */
	} cases[] = {
		/* The synthetic day (build_day()). */
		{ "at the desk both weeks",
		  { { 0, 0, HS_STATE_UPRIGHT, 0 } },
		  0,
		  "upright 50% of desk time; now 69% (+19 points)" },
		/* The day itself has no desk time, only away and uncalibrated
		 * minutes: the week before still has its share. */
		{ "away all day",
		  { { PREV_0900, 70, HS_STATE_UPRIGHT, 0 },
		    { PREV_0900 + 70 * MIN, 60, HS_STATE_HUNCHED, 0 },
		    { DAY_0900, 30, HS_STATE_AWAY, 0 },
		    { DAY_0900 + 30 * MIN, 30, HS_STATE_UNCALIBRATED, 0 } },
		  4,
		  "upright 54% of desk time" },
		{ "nothing the week before",
		  { { DAY_0900, 60, HS_STATE_UPRIGHT, 0 } },
		  1,
		  "no time at the desk to compare" },
		/* The same share both times: said in words, not "+0". */
		{ "no change",
		  { { PREV_0900, 60, HS_STATE_UPRIGHT, 0 },
		    { PREV_0900 + 60 * MIN, 20, HS_STATE_HUNCHED, 0 },
		    { DAY_0900, 30, HS_STATE_UPRIGHT, 0 },
		    { DAY_0900 + 30 * MIN, 10, HS_STATE_HUNCHED, 0 } },
		  4,
		  "upright 75% of desk time; now 75% (no change)" },
	};
	for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
		hs_report r;
		if (cases[c].n)
			build_blocks(the_day, the_day, cases[c].blocks,
			             cases[c].n, &r);
		else
			build_day(&r);
		assert_false(r.no_data);
		char *text = render(&r, hs_report_write_text);
		char *html = render(&r, hs_report_write_html);
		char *json = render(&r, hs_report_write_json);
		char in_text[160], in_html[160];
		text_value(text, "Previous 7 days", in_text, sizeof in_text);
		html_value(html, "Previous 7 days", in_html, sizeof in_html);
		if (strcmp(in_text, cases[c].want) != 0 ||
		    strcmp(in_html, cases[c].want) != 0)
			fail_msg("%s: text \"%s\", HTML \"%s\", want \"%s\"",
			         cases[c].what, in_text, in_html,
			         cases[c].want);
		/* JSON holds the same share. */
		char *share = json_get(json, "$.previous_7_days.share_upright");
		if (strcmp(share, "null") == 0) {
			assert_string_equal(in_text,
			                    "no time at the desk to compare");
		} else {
			char pct[32];
			snprintf(pct, sizeof pct, "upright %.0f%% ",
			         100 * atof(share));
			assert_memory_equal(in_text, pct, strlen(pct));
		}
		free(share);
		free(text);
		free(html);
		free(json);
		hs_report_finish(&r);
	}
	/* The reviewer's numbers: 70 of 130 minutes upright. */
	hs_report r;
	build_blocks(the_day, the_day, cases[1].blocks, cases[1].n, &r);
	char *json = render(&r, hs_report_write_json);
	assert_json(json, "$.previous_7_days.share_upright", "0.5385");
	assert_json(json, "$.previous_7_days.change_points", "null");
	assert_json(json, "$.share_upright", "null");
	free(json);
	hs_report_finish(&r);
}

static void
timeline_puts_minutes_at_their_clock_time_on_clock_changes(void **state)
{
	(void)state;
	static const struct {
		const char *what;
		hs_date day;
		double from_s; /* after local midnight */
		int minutes[2];
		hs_state state[2];
	} cases[] = {
		/* 01:00-01:59 CET, then 03:00-03:59 CEST: nothing at 02. */
		{ "spring forward",
		  { 2026, 3, 29 },
		  3600,
		  { 120, 0 },
		  { HS_STATE_UPRIGHT } },
		/* 01:30-02:59 CEST, 02:00-03:29 CET: the repeated hour is
		 * drawn over itself, nothing past 03:30. */
		{ "fall back",
		  { 2026, 10, 25 },
		  5400,
		  { 180, 0 },
		  { HS_STATE_UPRIGHT } },
		{ "fall back, two postures",
		  { 2026, 10, 25 },
		  5400,
		  { 90, 90 },
		  { HS_STATE_UPRIGHT, HS_STATE_HUNCHED } },
	};
	static timeline_map drawn, want;
	for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
		double start = hs_date_start(cases[c].day) + cases[c].from_s;
		block bs[2] = {
			{ start, cases[c].minutes[0], cases[c].state[0], 0 },
			{ start + cases[c].minutes[0] * MIN,
			  cases[c].minutes[1], cases[c].state[1], 0 },
		};
		size_t nb = cases[c].minutes[1] ? 2 : 1;
		/* The clock does jump where the test says. */
		char clock[8];
		hs_report_format_clock(start + (c ? 90 : 60) * MIN, clock,
		                       sizeof clock);
		assert_string_equal(clock, c ? "02:00" : "03:00");

		static hs_journal_minute m[400];
		size_t n = block_minutes(bs, nb, m, 400);
		hs_report r;
		build_blocks(cases[c].day, cases[c].day, bs, nb, &r);
		char *html = render(&r, hs_report_write_html);
		read_timeline(html, drawn);
		expected_timeline(cases[c].day, m, n, want);
		fprintf(stderr, "  %s\n", cases[c].what);
		assert_timeline(drawn, want);
		/* The table's times name the zone on such a day: in
		 * autumn 02:00 comes twice, once in each. */
		if (c == 2) {
			assert_non_null(strstr(html, "<th scope=\"row\">01:30 "
			                             "CEST</th>"));
			assert_non_null(strstr(html, "<th scope=\"row\">02:00 "
			                             "CET</th>"));
		}
		free(html);
		hs_report_finish(&r);
	}
}

/* ---- the command -----------------------------------------------------------
 */

typedef struct cli_fixture {
	char dir[256];
	char db[512];
} cli_fixture;

static int cli_setup(void **state)
{
	cli_fixture *fx = calloc(1, sizeof *fx);
	hs_test_tmpdir(fx->dir, sizeof fx->dir);
	snprintf(fx->db, sizeof fx->db, "%s/journal.db", fx->dir);
	*state = fx;
	return 0;
}

static int cli_teardown(void **state)
{
	cli_fixture *fx = *state;
	hs_test_rmtree(fx->dir);
	free(fx);
	return 0;
}

static int report(const cli_fixture *fx, const char *args, char *out,
                  size_t size)
{
	char cmd[2048];
	snprintf(cmd, sizeof cmd, "'%s' report --journal '%s' %s",
	         hs_test_bin(), fx->db, args);
	return hs_test_run(cmd, out, size);
}

static void cli_rejects_bad_dates(void **state)
{
	cli_fixture *fx = *state;
	char out[4096];
	assert_int_equal(report(fx, "--date 2024-13-45 2>&1", out, sizeof out),
	                 2);
	assert_non_null(strstr(out, "2024-13-45"));
	assert_int_equal(report(fx, "--date 2024-02-30 2>/dev/null", NULL, 0),
	                 2);
	assert_int_equal(report(fx, "--date 2>&1", out, sizeof out), 2);
	assert_non_null(strstr(out, "--date"));
	assert_int_equal(report(fx, "--days 0 2>/dev/null", NULL, 0), 2);
	/* read as every number is (hs_config_number) */
	assert_int_equal(report(fx, "--days ' 3' 2>/dev/null", NULL, 0), 2);
	assert_int_equal(report(fx, "--days 0x3 2>/dev/null", NULL, 0), 2);
	assert_int_equal(report(fx, "--output '' 2>&1", out, sizeof out), 2);
	assert_non_null(strstr(out, "--output needs the path of a file, not "
	                            "''"));
	/* (report() gives --journal first; the last one counts) */
	assert_int_equal(report(fx, "--journal '' 2>&1", out, sizeof out), 2);
	assert_non_null(strstr(out, "--journal needs the path of a file"));
	/* +3 is a number: the missing journal is what stops it (a usage
	 * error too: the journal named is not there) */
	assert_int_equal(report(fx, "--days +3 2>&1", out, sizeof out), 2);
	assert_non_null(strstr(out, "no journal"));
	assert_int_equal(report(fx, "--format pdf 2>/dev/null", NULL, 0), 2);
	assert_int_equal(report(fx, "--help", out, sizeof out), 0);
	assert_non_null(strstr(out, "--days N"));
	fits_80_columns(out);
	assert_non_null(strstr(out, "not a diagnosis"));
}

static void cli_empty_day_says_so(void **state)
{
	cli_fixture *fx = *state;
	char out[8192];
	/* No journal yet where the monitor keeps it: an empty day. */
	char cmd[2048];
	snprintf(cmd, sizeof cmd,
	         "XDG_DATA_HOME='%s/nothing-yet' '%s' report --date 2026-03-02",
	         fx->dir, hs_test_bin());
	assert_int_equal(hs_test_run(cmd, out, sizeof out), 0);
	assert_non_null(strstr(out, "No posture data for this day"));
	/* A journal named with --journal that is not there is a usage
	 * error, so that a typo does not pass for an empty day. */
	assert_int_equal(report(fx, "--date 2026-03-02 2>&1", out, sizeof out),
	                 2);
	assert_non_null(strstr(out, "no journal at '"));
	/* An empty file, as `touch` leaves it, is an empty day. */
	FILE *f = fopen(fx->db, "w");
	assert_non_null(f);
	fclose(f);
	assert_int_equal(report(fx, "--date 2026-03-02", out, sizeof out), 0);
	assert_non_null(strstr(out, "No posture data for this day"));
	unlink(fx->db);
	/* A journal without that day. */
	write_journal(fx->db);
	assert_int_equal(report(fx, "--date 2026-03-05", out, sizeof out), 0);
	assert_non_null(strstr(out, "No posture data for this day"));
	assert_int_equal(
	        report(fx, "--date 2026-03-05 --format json", out, sizeof out),
	        0);
	assert_json(out, "$.no_data", "1");
}

static void cli_reports_a_journal_day(void **state)
{
	cli_fixture *fx = *state;
	write_journal(fx->db);
	static char out[65536];
	assert_int_equal(
	        report(fx, "--date 2026-03-02 --format json", out, sizeof out),
	        0);
	check_day_json(out);
	assert_int_equal(report(fx, "--date 2026-03-02 --days 7 --format json",
	                        out, sizeof out),
	                 0);
	assert_json(out, "$.days", "7");
	assert_json(out, "$.first_date", "2026-02-24");
	assert_json(out, "$.monitored_s", "25200.0");
	assert_int_equal(report(fx, "--date 2026-03-02", out, sizeof out), 0);
	assert_non_null(strstr(out, "Hour by hour"));
}

/* `headsup report` with LC_ALL=locale; stdout into out. */
static int report_in(const cli_fixture *fx, const char *locale,
                     const char *args, char *out, size_t size)
{
	char cmd[2048];
	snprintf(cmd, sizeof cmd, "LC_ALL=%s '%s' report --journal '%s' %s",
	         locale, hs_test_bin(), fx->db, args);
	return hs_test_run(cmd, out, size);
}

/* The report in a terminal follows the character set of the user's
 * locale: UTF-8 blocks in a UTF-8 one, ASCII in C or POSIX (and in one
 * that is not installed).  The HTML page and the JSON are UTF-8 files
 * whatever the locale, byte for byte the same. */
/* Samoa skipped 30 December 2011: its clocks went from the 29th's 24:00
 * (UTC-10) to the 31st's 00:00 (UTC+14).  An hour hunched before the
 * jump and an hour upright after it. */
#define APIA_JUMP 1325239200.0
static const block apia_blocks[] = {
	{ APIA_JUMP - 60 * MIN, 60, HS_STATE_HUNCHED, 0 },
	{ APIA_JUMP, 60, HS_STATE_UPRIGHT, 0 },
};

static void assert_date_is(hs_date d, int year, int month, int day)
{
	if (d.year != year || d.month != month || d.day != day)
		fail_msg("got %04d-%02d-%02d, want %04d-%02d-%02d", d.year,
		         d.month, d.day, year, month, day);
}

static int cli_teardown_berlin(void **state)
{
	hs_test_tz_berlin(state);
	return cli_teardown(state);
}

/* A report over the skipped day has it as a day of no length.  The days
 * were counted through mktime(), which gave the 29th again as the day
 * after the 29th: `--date 2011-12-31 --days 2` failed ("cannot build the
 * report: invalid argument") and the daily list had the 29th twice. */
static void a_day_the_zone_skipped_is_an_empty_day_of_a_range(void **state)
{
	(void)state;
	if (!hs_test_tz("Pacific/Apia"))
		SKIP_LOUDLY("time zone Pacific/Apia is not installed (tzdata)");
	const hs_date d29 = { 2011, 12, 29 }, d31 = { 2011, 12, 31 };
	hs_report r;
	build_blocks(d29, d31, apia_blocks, 2, &r);
	assert_int_equal(r.days, 3);
	assert_true(r.monitored_s == 120 * MIN);
	assert_int_equal(r.n_daily, HS_REPORT_BASELINE_DAYS + 3);
	const hs_report_day *day = &r.daily[HS_REPORT_BASELINE_DAYS];
	assert_date_is(day[0].date, 2011, 12, 29);
	assert_true(day[0].monitored_s == 60 * MIN);
	assert_date_is(day[1].date, 2011, 12, 30);
	assert_true(day[1].monitored_s == 0);
	assert_date_is(day[2].date, 2011, 12, 31);
	assert_true(day[2].monitored_s == 60 * MIN);
	for (size_t k = 1; k < r.n_daily; k++)
		assert_true(hs_date_cmp(r.daily[k - 1].date, r.daily[k].date) <
		            0);
	hs_report_finish(&r);
	/* From the skipped day on: the 29th's hour is not in it. */
	build_blocks((hs_date){ 2011, 12, 30 }, d31, apia_blocks, 2, &r);
	assert_int_equal(r.days, 2);
	assert_true(r.start == APIA_JUMP && r.end == APIA_JUMP + 24 * 3600);
	assert_true(r.monitored_s == 60 * MIN);
	assert_true(r.state_s[HS_STATE_HUNCHED] == 0);
	hs_report_finish(&r);
}

/* The same through `headsup report`, on a journal. */
static void cli_reports_over_a_day_the_zone_skipped(void **state)
{
	cli_fixture *fx = *state;
	if (!hs_test_tz("Pacific/Apia"))
		SKIP_LOUDLY("time zone Pacific/Apia is not installed (tzdata)");
	write_journal_blocks(fx->db, apia_blocks, 2, NULL, 0);
	static char out[65536];
	assert_int_equal(report(fx, "--date 2011-12-31 --days 2 --format json",
	                        out, sizeof out),
	                 0);
	assert_json(out, "$.first_date", "2011-12-30");
	assert_json(out, "$.days", "2");
	assert_json(out, "$.monitored_s", "3600.0");
	assert_json(out, "$.states.hunched", "0.0");
	assert_int_equal(
	        report(fx, "--date 2012-01-01 --format json", out, sizeof out),
	        0);
	/* The baseline's days, each once: the 29th, the empty 30th, the 31st */
	assert_json(out, "$.daily[4].date", "2011-12-29");
	assert_json(out, "$.daily[4].monitored_s", "3600.0");
	assert_json(out, "$.daily[5].date", "2011-12-30");
	assert_json(out, "$.daily[5].monitored_s", "0.0");
	assert_json(out, "$.daily[6].date", "2011-12-31");
	assert_json(out, "$.daily[6].monitored_s", "3600.0");
	assert_json(out, "$.daily[7].date", "2012-01-01");
	assert_json(out, "$.previous_7_days.monitored_s", "7200.0");
	/* The skipped day alone is still refused, as no day of the zone. */
	assert_int_equal(report(fx, "--date 2011-12-30 2>&1", out, sizeof out),
	                 2);
	assert_non_null(strstr(out, "there was no 2011-12-30"));
}

static void cli_text_follows_the_locale_charset(void **state)
{
	cli_fixture *fx = *state;
	locale_t utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
	if (utf8 == (locale_t)0) {
		fprintf(stderr, "SKIPPED: no C.UTF-8 locale on this "
		                "machine\n");
		skip();
	}
	freelocale(utf8);
	write_journal(fx->db);
	static char out[65536], other[65536];
	static const char *const ascii_locales[] = { "C", "POSIX",
		                                     "xx_NONE.UTF-8" };
	for (size_t i = 0; i < sizeof ascii_locales / sizeof ascii_locales[0];
	     i++) {
		assert_int_equal(report_in(fx, ascii_locales[i],
		                           "--date 2026-03-02", out,
		                           sizeof out),
		                 0);
		assert_non_null(strstr(out, "Hour by hour: # upright"));
		assert_non_null(strstr(out, "  09  1 h 00 min   ######"));
		const char *odd = non_ascii(out);
		if (odd)
			fail_msg("LC_ALL=%s: byte 0x%02x in the report: %.40s",
			         ascii_locales[i], (unsigned char)*odd, odd);
	}
	assert_int_equal(
	        report_in(fx, "C.UTF-8", "--date 2026-03-02", out, sizeof out),
	        0);
	assert_non_null(strstr(out, "  09  1 h 00 min   \u2588\u2588\u2588"));
	assert_non_null(strstr(out, "\u00b0 below upright"));
	fits_80_columns(out);

	static const char *const formats[] = { "--format html",
		                               "--format json" };
	for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
		char args[64];
		snprintf(args, sizeof args, "--date 2026-03-02 %s", formats[i]);
		assert_int_equal(report_in(fx, "C", args, out, sizeof out), 0);
		assert_int_equal(
		        report_in(fx, "C.UTF-8", args, other, sizeof other), 0);
		assert_string_equal(out, other);
	}
	/* The HTML page keeps its degree sign and dash in LC_ALL=C. */
	assert_int_equal(report_in(fx, "C", "--date 2026-03-02 --format html",
	                           out, sizeof out),
	                 0);
	assert_non_null(strstr(out, "\u00b0 below"));
	assert_non_null(strstr(out, "charset=\"utf-8\""));
}

static void cli_output_failure_names_the_file(void **state)
{
	cli_fixture *fx = *state;
	write_journal(fx->db);
	char out[4096];
	assert_int_equal(
	        report(fx,
	               "--date 2026-03-02 --output /nonexistent/dir/r.txt "
	               "2>&1",
	               out, sizeof out),
	        1);
	assert_non_null(strstr(out, "/nonexistent/dir/r.txt"));
	char file[600];
	snprintf(file, sizeof file,
	         "--date 2026-03-02 --format html --output "
	         "'%s/r.html'",
	         fx->dir);
	assert_int_equal(report(fx, file, NULL, 0), 0);
	snprintf(file, sizeof file, "%s/r.html", fx->dir);
	struct stat st;
	assert_int_equal(stat(file, &st), 0);
	assert_true(st.st_size > 2000);
}

/* Without --format, the output file's name picks the format, as a user
 * writing "--output today.html" means; --format still wins. */
static void output_name_picks_the_format(void **state)
{
	cli_fixture *fx = *state;
	write_journal(fx->db);
	static const struct {
		const char *name, *format, *starts;
	} cases[] = {
		{ "day.html", "", "<!DOCTYPE html>" },
		{ "day.HTM", "", "<!DOCTYPE html>" },
		{ "day.json", "", "{" },
		{ "day.txt", "", "headsup report for " },
		{ "day", "", "headsup report for " },
		{ "day.html", "--format json", "{" },
		{ "day.json", "--format text", "headsup report for " },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char args[700], file[600];
		snprintf(file, sizeof file, "%s/%s", fx->dir, cases[i].name);
		snprintf(args, sizeof args,
		         "--date 2026-03-02 %s --output '%s'", cases[i].format,
		         file);
		assert_int_equal(report(fx, args, NULL, 0), 0);
		char head[64] = "";
		FILE *f = fopen(file, "r");
		assert_non_null(f);
		size_t n = fread(head, 1, sizeof head - 1, f);
		fclose(f);
		head[n] = '\0';
		if (strncmp(head, cases[i].starts, strlen(cases[i].starts)) !=
		    0)
			fail_msg("--output %s %s starts '%.20s', want '%s'",
			         cases[i].name, cases[i].format, head,
			         cases[i].starts);
		unlink(file);
	}
}

/* A week, 2026-02-24 to 2026-03-02, at the desk on four days: mornings,
 * an afternoon and a late evening that runs past midnight, so that the
 * hours of the day all come up. */
static size_t week_blocks(block *bs)
{
	static const struct {
		int day; /* after 2026-02-24 */
		double at_h;
		int minutes;
		hs_state state;
	} w[] = {
		{ 0, 8, 60, HS_STATE_UPRIGHT },
		{ 0, 9, 45, HS_STATE_LOOKING_DOWN },
		{ 0, 9.75, 75, HS_STATE_UPRIGHT },
		{ 2, 13, 30, HS_STATE_HUNCHED },
		{ 2, 13.5, 90, HS_STATE_UPRIGHT },
		{ 3, 23, 60, HS_STATE_UPRIGHT },
		{ 3, 24, 60, HS_STATE_LOOKING_DOWN },
		{ 6, 6, 30, HS_STATE_UPRIGHT },
		{ 6, 9, 60, HS_STATE_UPRIGHT },
		{ 6, 10, 30, HS_STATE_HUNCHED },
		{ 6, 10.5, 20, HS_STATE_AWAY },
	};
	const hs_date first = { 2026, 2, 24 };
	size_t n = sizeof w / sizeof w[0];
	for (size_t i = 0; i < n; i++)
		bs[i] = (block){ hs_date_start(
			                 hs_date_add_days(first, w[i].day)) +
			                 w[i].at_h * 3600,
			         w[i].minutes, w[i].state, 5 };
	return n;
}

static void week_html_has_legible_hours_and_bars_per_day(void **state)
{
	cli_fixture *fx = *state;
	block bs[16];
	size_t nb = week_blocks(bs);
	write_journal_blocks(fx->db, bs, nb, NULL, 0);
	static char html[1 << 18], json[1 << 18];
	assert_int_equal(report(fx, "--date 2026-03-02 --days 7 --format html",
	                        html, sizeof html),
	                 0);
	assert_true(strlen(html) < sizeof html - 1);
	assert_int_equal(report(fx, "--date 2026-03-02 --days 7 --format json",
	                        json, sizeof json),
	                 0);
	assert_json(json, "$.days", "7");

	/* The timeline: each day's row holds that day's minutes at their
	 * time... */
	static hs_journal_minute m[1000];
	size_t n = block_minutes(bs, nb, m, 1000);
	static timeline_map drawn, want;
	read_timeline(html, drawn);
	expected_timeline((hs_date){ 2026, 2, 24 }, m, n, want);
	assert_timeline(drawn, want);
	/* ...under hour labels that do not run into each other: "00:00" is
	 * about 30 px wide in the page's 12 px font. */
	char *svg = svg_of(html, "posture timeline");
	double hour[64], hx[64];
	size_t nl = timeline_hour_labels(svg, hour, hx, 64);
	assert_true(hour[0] == 0 && hour[nl - 1] == 24); /* the whole day */
	assert_true(nl >= 4);
	for (size_t i = 1; i < nl; i++)
		if (hx[i] - hx[i - 1] < 48)
			fail_msg("hour labels %02.0f:00 and %02.0f:00 only "
			         "%.1f px apart",
			         fmod(hour[i - 1], 24), fmod(hour[i], 24),
			         hx[i] - hx[i - 1]);
	free(svg);

	/* Hour by hour: each bar is that hour's minutes over the week, as
	 * the text report and the JSON add them up, against a scale that
	 * the tallest bar nearly fills. */
	svg = svg_of(html, "time per hour by posture");
	static svg_line line[64];
	size_t nli = svg_lines(svg, line, 64);
	double base = -1, top = 1e9;
	for (size_t i = 0; i < nli; i++) {
		if (line[i].y1 != line[i].y2)
			continue;
		base = fmax(base, line[i].y1);
		top = fmin(top, line[i].y1);
	}
	if (!(base > top))
		fail_msg("the hour chart has no line at the top of its scale");
	double plot_h = base - top;
	static svg_text t[256];
	size_t nt = svg_texts(svg, t, 256);
	double scale_min = -1;
	for (size_t i = 0; i < nt; i++) {
		double v;
		char unit[8] = "";
		if (sscanf(t[i].text, "%lf %7s", &v, unit) == 2 &&
		    strcmp(unit, "min") == 0 && v > 0)
			scale_min = v;
	}
	assert_true(scale_min > 0);
	static svg_box box[512];
	size_t nbox = svg_boxes(svg, box, 512);
	double tallest = 0;
	int bars = 0;
	for (size_t i = 0; i < nt; i++) {
		int h;
		char rest;
		if (strlen(t[i].text) != 2 ||
		    sscanf(t[i].text, "%d%c", &h, &rest) != 1)
			continue;
		double height = 0;
		for (size_t k = 0; k < nbox; k++)
			if (fabs(box[k].x + box[k].w / 2 - t[i].x) < 1)
				height += box[k].h;
		/* What the test wrote in that hour of the day, over the
		 * week: its own minutes, not the report's figures. */
		double want_s = 0;
		for (size_t k = 0; k < n; k++) {
			time_t at = (time_t)m[k].start;
			struct tm tm;
			localtime_r(&at, &tm);
			want_s += tm.tm_hour == h ? 60 : 0;
		}
		double got_min = height / plot_h * scale_min;
		if (fabs(got_min - want_s / 60) > 0.25 * 7)
			fail_msg("hour %02d drawn as %.2f min, want %.2f", h,
			         got_min, want_s / 60);
		tallest = fmax(tallest, height);
		bars += height > 0;
	}
	assert_int_equal(bars, 8);
	if (tallest < 0.6 * plot_h)
		fail_msg("the tallest hour bar is %.0f of %.0f px", tallest,
		         plot_h);
	free(svg);

	/* The text report's hour bars: the busiest hour of the week fills
	 * the 50 columns, so the others can be told apart. */
	static char text[1 << 16];
	assert_int_equal(
	        report(fx, "--date 2026-03-02 --days 7", text, sizeof text), 0);
	assert_non_null(strstr(text, "(time in each hour over all 7 days"));
	int longest = 0, rows = 0;
	for (const char *p = strstr(text, "Hour by hour"); p && *p;) {
		const char *eol = strchr(p, '\n');
		if (!eol)
			break;
		int h;
		if (eol - p > 5 && sscanf(p, "  %2d ", &h) == 1 &&
		    p[4] == ' ') {
			/* Bar glyphs: U+2588..U+2593 (3 bytes), U+00B7. */
			int cols = 0;
			for (const unsigned char *q =
			             (const unsigned char *)p + 5;
			     q < (const unsigned char *)eol;)
				if (q[0] == 0xe2 && q[1] == 0x96) {
					cols++;
					q += 3;
				} else if (q[0] == 0xc2 && q[1] == 0xb7) {
					cols++;
					q += 2;
				} else {
					q++;
				}
			longest = cols > longest ? cols : longest;
			rows++;
		}
		p = eol + 1;
	}
	assert_true(rows >= 8);
	assert_int_equal(longest, 50);
}

/* PNG width and height from the IHDR chunk. */
static bool png_size(const char *path, unsigned *w, unsigned *h)
{
	unsigned char hdr[24];
	FILE *f = fopen(path, "rb");
	if (!f)
		return false;
	size_t got = fread(hdr, 1, sizeof hdr, f);
	fclose(f);
	if (got != sizeof hdr || memcmp(hdr, "\x89PNG", 4) != 0)
		return false;
	*w = (unsigned)hdr[16] << 24 | (unsigned)hdr[17] << 16 |
	     (unsigned)hdr[18] << 8 | hdr[19];
	*h = (unsigned)hdr[20] << 24 | (unsigned)hdr[21] << 16 |
	     (unsigned)hdr[22] << 8 | hdr[23];
	return true;
}

/* A 1000x1400 screenshot of an HTML page by headless Chromium, with
 * these extra flags. */
static void screenshot(const char *html, const char *png, const char *flags)
{
	unlink(png);
	char cmd[4096];
	snprintf(cmd, sizeof cmd,
	         "profile=$(mktemp -d) && timeout 90 chromium --headless "
	         "--no-sandbox --disable-gpu --disable-quic --no-first-run "
	         "--disable-background-networking --disable-component-update "
	         "--disable-sync --user-data-dir=\"$profile\" "
	         "--window-size=1000,1400 %s --screenshot='%s' 'file://%s' "
	         ">/dev/null 2>&1; rc=$?; rm -rf \"$profile\"; exit $rc",
	         flags, png, html);
	assert_int_equal(hs_test_run(cmd, NULL, 0), 0);
	unsigned w = 0, h = 0;
	assert_true(png_size(png, &w, &h));
	assert_int_equal(w, 1000);
	assert_int_equal(h, 1400);
	fprintf(stderr, "screenshot of the HTML report: %s\n", png);
}

/* Skips the test without Chromium to render the page or ImageMagick to
 * read its pixels: without convert a blank page would pass for a drawn
 * one. */
static void need_browser(void)
{
	if (hs_test_run("command -v chromium >/dev/null", NULL, 0) != 0) {
		fprintf(stderr, "SKIPPED: chromium is not installed; the HTML "
		                "report was not checked in a browser\n");
		skip();
	}
	if (hs_test_run("command -v convert >/dev/null", NULL, 0) != 0) {
		fprintf(stderr, "SKIPPED: ImageMagick 'convert' missing; the "
		                "screenshot's colours cannot be checked\n");
		skip();
	}
}

/* The distinct colours of a PNG, as ImageMagick lists them, into buf. */
static void png_colours(const char *png, char *buf, size_t size)
{
	char cmd[700];
	snprintf(cmd, sizeof cmd,
	         "convert '%s' -unique-colors txt:- 2>/dev/null", png);
	assert_int_equal(hs_test_run(cmd, buf, size), 0);
}

/* The mean lightness of a PNG, 0 black to 1 white. */
static double png_lightness(const char *png)
{
	char cmd[700], out[64] = "";
	snprintf(cmd, sizeof cmd,
	         "convert '%s' -colorspace Gray -format '%%[fx:mean]' info:",
	         png);
	assert_int_equal(hs_test_run(cmd, out, sizeof out), 0);
	return atof(out);
}

/* Where a screenshot goes: the test's own folder, removed afterwards, or
 * $HEADSUP_SCREENSHOT_DIR when set, to look at after the run. */
static void shot_path(const cli_fixture *fx, const char *name, char *buf,
                      size_t size)
{
	const char *keep = getenv("HEADSUP_SCREENSHOT_DIR");
	snprintf(buf, size, "%s/headsup-report-%s.png",
	         keep && keep[0] ? keep : fx->dir, name);
}

static void html_renders_in_chromium(void **state)
{
	cli_fixture *fx = *state;
	need_browser();
	write_journal(fx->db);
	char args[700], html[600], png[600], week_png[600];
	snprintf(html, sizeof html, "%s/report.html", fx->dir);
	shot_path(fx, "screenshot", png, sizeof png);
	shot_path(fx, "week-screenshot", week_png, sizeof week_png);
	snprintf(args, sizeof args,
	         "--date 2026-03-02 --format html --output '%s'", html);
	assert_int_equal(report(fx, args, NULL, 0), 0);

	screenshot(html, png, "");

	/* A week's page too, to look at: day rows and averaged hours. */
	char week_db[600], week_html[600];
	snprintf(week_db, sizeof week_db, "%s/week.db", fx->dir);
	snprintf(week_html, sizeof week_html, "%s/week.html", fx->dir);
	block bs[16];
	write_journal_blocks(week_db, bs, week_blocks(bs), NULL, 0);
	char cmd[4096];
	snprintf(cmd, sizeof cmd,
	         "'%s' report --journal '%s' --date 2026-03-02 --days 7 "
	         "--format html --output '%s'",
	         hs_test_bin(), week_db, week_html);
	assert_int_equal(hs_test_run(cmd, NULL, 0), 0);
	screenshot(week_html, week_png, "");

	/* The charts' fills are on the page: upright blue, looking-down
	 * orange and hunched vermilion appear as exact pixel colours. */
	static char colours[1 << 20];
	png_colours(png, colours, sizeof colours);
	assert_non_null(strstr(colours, "#0072B2"));
	assert_non_null(strstr(colours, "#E69F00"));
	assert_non_null(strstr(colours, "#D55E00"));
	size_t lines = 0;
	for (const char *p = colours; (p = strchr(p, '\n')); p++)
		lines++;
	assert_true(lines > 20); /* text and charts, not a blank page */
}

/* In a browser that prefers dark, as on a dark desktop, the page is dark
 * (where the light page is light), its day rows are dark grey instead of
 * light, and the states keep their exact colours. */
static void html_is_dark_in_a_dark_browser(void **state)
{
	cli_fixture *fx = *state;
	need_browser();
	write_journal(fx->db);
	char args[700], html[600], light[600], dark[600];
	snprintf(html, sizeof html, "%s/report.html", fx->dir);
	snprintf(args, sizeof args,
	         "--date 2026-03-02 --days 2 --format html --output '%s'",
	         html);
	assert_int_equal(report(fx, args, NULL, 0), 0);
	shot_path(fx, "light-screenshot", light, sizeof light);
	shot_path(fx, "dark-screenshot", dark, sizeof dark);
	screenshot(html, light, "");
	screenshot(html, dark, "--blink-settings=preferredColorScheme=0");

	double l = png_lightness(light), d = png_lightness(dark);
	if (l < 0.75 || d > 0.25)
		fail_msg("mean lightness %.2f light, %.2f dark", l, d);
	static char colours[1 << 20];
	png_colours(dark, colours, sizeof colours);
	assert_non_null(strstr(colours, "#0072B2"));
	assert_non_null(strstr(colours, "#E69F00"));
	assert_non_null(strstr(colours, "#D55E00"));
	assert_non_null(strstr(colours, "#999999"));
	assert_non_null(strstr(colours, "#222222")); /* the empty row */
	assert_null(strstr(colours, "#F1F1F1"));
	png_colours(light, colours, sizeof colours);
	assert_non_null(strstr(colours, "#F1F1F1"));
}

static void durations_read_naturally(void **state)
{
	(void)state;
	static const struct {
		double s;
		const char *text;
	} cases[] = {
		{ 45, "45 s" },          { 90, "1 min 30 s" },
		{ 110, "1 min 50 s" },   { 120, "2 min" },
		{ 600, "10 min" },       { 3900, "1 h 05 min" },
		{ 10800, "3 h 00 min" },
	};
	char buf[32];
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		hs_report_format_duration(cases[i].s, buf, sizeof buf);
		assert_string_equal(buf, cases[i].text);
	}
}

/* ---- figures as printed ------------------------------------------------ */

/* The reviewer's day: 78.5 s upright and 31.5 s hunched, 110 s in all.
 * Rounded each on its own they read 79 + 32 = 111 s against "110 s". */
static void parts_add_up_to_the_total_shown(void **state)
{
	(void)state;
	char buf[32];
	long u[HS_STATE_COUNT];
	double day[HS_STATE_COUNT] = {
		[HS_STATE_UPRIGHT] = 78.5, [HS_STATE_HUNCHED] = 31.5
	};
	assert_int_equal(hs_report_unit_for(110), HS_REPORT_UNIT_S);
	hs_report_round_parts(day, HS_STATE_COUNT, 110, HS_REPORT_UNIT_S, u);
	/* The tie of two halves goes to the larger part. */
	assert_int_equal(u[HS_STATE_UPRIGHT], 79);
	assert_int_equal(u[HS_STATE_HUNCHED], 31);
	assert_int_equal(u[HS_STATE_LOOKING_DOWN] + u[HS_STATE_AWAY] +
	                         u[HS_STATE_UNCALIBRATED],
	                 0);
	hs_report_format_units(u[HS_STATE_UPRIGHT], HS_REPORT_UNIT_S, buf,
	                       sizeof buf);
	assert_string_equal(buf, "1 min 19 s");
	hs_report_format_units(u[HS_STATE_HUNCHED], HS_REPORT_UNIT_S, buf,
	                       sizeof buf);
	assert_string_equal(buf, "31 s");
	hs_report_format_units(110, HS_REPORT_UNIT_S, buf, sizeof buf);
	assert_string_equal(buf, "1 min 50 s");

	/* A week with 13 min 20 s at the desk: shown in whole minutes, all
	 * of them, not "7 min 30 s" beside "13 min".  On their own 7.5 and
	 * 5.83 min round to 8 + 6 = 14. */
	double week[HS_STATE_COUNT] = {
		[HS_STATE_UPRIGHT] = 450, [HS_STATE_HUNCHED] = 350
	};
	assert_int_equal(hs_report_unit_for(800), HS_REPORT_UNIT_MIN);
	hs_report_round_parts(week, HS_STATE_COUNT, 13, HS_REPORT_UNIT_MIN, u);
	assert_int_equal(u[HS_STATE_UPRIGHT], 7);
	assert_int_equal(u[HS_STATE_HUNCHED], 6);
	week[HS_STATE_UPRIGHT] = 440; /* 7 min 20 s, 6 min */
	week[HS_STATE_HUNCHED] = 360;
	hs_report_round_parts(week, HS_STATE_COUNT, 13, HS_REPORT_UNIT_MIN, u);
	assert_int_equal(u[HS_STATE_UPRIGHT], 7);
	assert_int_equal(u[HS_STATE_HUNCHED], 6);
	hs_report_format_units(13, HS_REPORT_UNIT_MIN, buf, sizeof buf);
	assert_string_equal(buf, "13 min");
	hs_report_format_units(185, HS_REPORT_UNIT_MIN, buf, sizeof buf);
	assert_string_equal(buf, "3 h 05 min");
	/* The unit changes where a lone duration's did: 10 min. */
	assert_int_equal(hs_report_unit_for(599.4), HS_REPORT_UNIT_S);
	assert_int_equal(hs_report_unit_for(599.5), HS_REPORT_UNIT_MIN);

	/* Any parts: they add up to the total asked for (also one away from
	 * their rounded sum), each within a unit of its exact value, and a
	 * part of 0 stays 0. */
	unsigned seed = 12345;
	for (int c = 0; c < 2000; c++) {
		double p[24], sum = 0;
		long got[24];
		size_t n = 1 + (size_t)(c % 24);
		for (size_t i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			p[i] = (seed >> 8) % 5 == 0
			               ? 0
			               : (double)((seed >> 4) % 720000) / 100;
			sum += p[i];
		}
		hs_report_unit unit = hs_report_unit_for(sum);
		long total = lround(sum / (double)unit) + (c % 3) - 1;
		if (total < 0)
			total = 0;
		hs_report_round_parts(p, n, total, unit, got);
		long shown = 0;
		for (size_t i = 0; i < n; i++) {
			shown += got[i];
			if (fabs((double)got[i] - p[i] / (double)unit) > 2 ||
			    (p[i] == 0 && got[i] != 0 && (c % 3) != 2) ||
			    got[i] < 0)
				fail_msg("case %d: part %zu of %.2f s shown as "
				         "%ld units of %d s",
				         c, i, p[i], got[i], (int)unit);
		}
		if (shown != total)
			fail_msg("case %d: parts add up to %ld, total %ld", c,
			         shown, total);
		if (c % 3 == 1) /* the total of the parts themselves */
			for (size_t i = 0; i < n; i++)
				if (fabs((double)got[i] -
				         p[i] / (double)unit) >= 1)
					fail_msg("case %d: part %zu of %.2f s "
					         "shown as %ld units",
					         c, i, p[i], got[i]);
	}
}

/* A duration as printed ("3 h 05 min", "1 min 19 s", "31 s"), at the start
 * of s, in seconds; -1 when s does not start with one.  *unit_s is set to
 * the smallest unit it names. */
static long printed_seconds(const char *s, long *unit_s)
{
	/* "under 1 min": some time, less than the unit; it stands for none
	 * of the units that add up. */
	if (strncmp(s, "under 1 ", 8) == 0) {
		if (unit_s)
			*unit_s = strncmp(s + 8, "min", 3) == 0 ? 60 : 1;
		return 0;
	}
	long total = 0, smallest = 0;
	bool any = false;
	for (;;) {
		long v;
		int used = 0;
		char word[8];
		if (sscanf(s, "%ld %7[a-z]%n", &v, word, &used) != 2 ||
		    !(s[used] == '\0' || s[used] == ' ' || s[used] == ',' ||
		      s[used] == '\n'))
			break;
		/* "71%" is no duration: the number must be followed by a
		 * space and a unit. */
		const char *after = s + strspn(s, "0123456789");
		if (*after != ' ')
			break;
		long mult = strcmp(word, "h") == 0     ? 3600
		            : strcmp(word, "min") == 0 ? 60
		            : strcmp(word, "s") == 0   ? 1
		                                       : 0;
		if (!mult)
			break;
		total += v * mult;
		smallest = mult;
		any = true;
		s += used;
		while (*s == ' ')
			s++;
	}
	if (unit_s)
		*unit_s = smallest;
	return any ? total : -1;
}

/* The value after 'label' in the text report, or NULL. */
static const char *text_line(const char *text, const char *label)
{
	char key[64];
	snprintf(key, sizeof key, "\n  %s ", label);
	const char *p = strstr(text, key);
	if (!p)
		return NULL;
	p += strlen(key);
	return p + strspn(p, " ");
}

static long text_seconds(const char *text, const char *label)
{
	const char *p = text_line(text, label);
	if (!p)
		fail_msg("no \"%s\" line in the text report", label);
	long s = printed_seconds(p, NULL);
	if (s < 0)
		fail_msg("\"%s\" is no duration: %.40s", label, p);
	return s;
}

/* A stretch or the worst hour, whose duration follows 'prefix' on the
 * line; "under 1 min" counts as 0; -1 when there is none. */
static long text_part(const char *text, const char *label, const char *prefix)
{
	const char *p = text_line(text, label);
	if (!p)
		fail_msg("no \"%s\" line in the text report", label);
	if (strncmp(p, "none", 4) == 0)
		return -1;
	p += strlen(prefix);
	if (strncmp(p, "under 1 ", 8) == 0)
		return 0;
	long s = printed_seconds(p, NULL);
	if (s < 0)
		fail_msg("\"%s\" has no duration: %.40s", label, p);
	return s;
}

/* What a careful reader of the text report adds up: the states to the time
 * monitored, the hour bars' labels to the same, and no stretch longer
 * than the state time it is part of.  Returns the time monitored, in
 * seconds as printed. */
static long check_text_adds_up(const char *text)
{
	fits_80_columns(text);
	long unit = 0;
	const char *mon = text_line(text, "Time monitored");
	assert_non_null(mon);
	long monitored = printed_seconds(mon, &unit);
	assert_true(monitored >= 0);
	long state[HS_STATE_COUNT] = { 0 }, sum = 0;
	for (int s = 0; s < HS_STATE_COUNT; s++) {
		const char *label = hs_state_label((hs_state)s);
		if (s == HS_STATE_UNCALIBRATED && !text_line(text, label))
			continue;
		state[s] = text_seconds(text, label);
		sum += state[s];
	}
	if (sum != monitored)
		fail_msg("the states add up to %ld s, the time monitored "
		         "reads %ld s:\n%s",
		         sum, monitored, text);

	/* Each hour is rounded on its own (two hours alike read alike), so
	 * together they are within half a unit an hour of the time monitored;
	 * an hour with a bar never reads as nothing. */
	long hours = 0, with_time = 0;
	for (const char *p = strstr(text, "\nHour by hour"); p && *p;) {
		const char *eol = strchr(p + 1, '\n');
		if (!eol)
			break;
		int h;
		/* "  09  3 min 20 s   ####": the hour, its time, its bar;
		 * "  11" alone for an hour with no time */
		if (sscanf(p, "\n  %2d", &h) == 1 && p[5] == ' ') {
			const char *q = p + 7;
			long t = printed_seconds(q, NULL);
			bool bar = false;
			for (const char *b = q + 11; b < eol; b++)
				bar |= *b != ' ';
			if (t < 0 || (bar && t == 0 && *q != 'u') ||
			    (!bar && t > 0))
				fail_msg("hour %d reads '%.*s':\n%s", h,
				         (int)(eol - q), q, text);
			hours += t;
			with_time++;
		} else if (sscanf(p, "\n  %2d", &h) == 1 && p[5] != '\n') {
			fail_msg("hour line '%.*s'", (int)(eol - p - 1), p + 1);
		}
		p = eol;
	}
	if (labs(hours - monitored) * 2 > (with_time + 1) * unit)
		fail_msg("the hour bars add up to %ld s, the time monitored "
		         "reads %ld s:\n%s",
		         hours, monitored, text);

	long bad = state[HS_STATE_LOOKING_DOWN] + state[HS_STATE_HUNCHED];
	long up = text_part(text, "Longest upright", "");
	long worst = text_part(text, "Worst hour", "00:00-00:00, ");
	long bad_run = text_part(text, "Longest bad stretch", "");
	if (up > state[HS_STATE_UPRIGHT] || bad_run > bad || worst > bad)
		fail_msg("a part reads longer than its whole:\n%s", text);
	return monitored;
}

/* The same for the HTML page's summary. */
static long check_html_adds_up(const char *html)
{
	char v[160];
	html_value(html, "Time monitored", v, sizeof v);
	long monitored = printed_seconds(v, NULL), sum = 0;
	assert_true(monitored >= 0);
	for (int s = 0; s < HS_STATE_COUNT; s++) {
		char key[64];
		snprintf(key, sizeof key, "<tr><th>%s</th>",
		         hs_state_label((hs_state)s));
		if (!strstr(html, key))
			continue;
		html_value(html, hs_state_label((hs_state)s), v, sizeof v);
		long t = printed_seconds(v, NULL);
		if (t < 0)
			fail_msg("HTML %s is no duration: %s",
			         hs_state_label((hs_state)s), v);
		sum += t;
	}
	if (sum != monitored)
		fail_msg("HTML: the states add up to %ld s, the time "
		         "monitored reads %ld s",
		         sum, monitored);
	return monitored;
}

/* A report of these minutes, each given its seconds in each state. */
static void build_minutes(hs_date first, hs_date last, hs_journal_minute *m,
                          size_t n, hs_report *r)
{
	hs_report_input in = {
		.first = first, .last = last, .minutes = m, .n_minutes = n
	};
	assert_int_equal(hs_report_build(&in, r), 0);
}

static hs_journal_minute minute_of(double start, double upright, double hunched)
{
	hs_journal_minute m;
	memset(&m, 0, sizeof m);
	m.start = start;
	m.state_s[HS_STATE_UPRIGHT] = upright;
	m.state_s[HS_STATE_HUNCHED] = hunched;
	return m;
}

static void printed_times_add_up_to_the_time_monitored(void **state)
{
	(void)state;
	/* The reviewer's day, 78.5 s upright and 31.5 s hunched. */
	hs_journal_minute day[2] = { minute_of(DAY_0900, 50, 10),
		                     minute_of(DAY_0900 + MIN, 28.5, 21.5) };
	hs_report r;
	build_minutes(the_day, the_day, day, 2, &r);
	char *text = render(&r, write_text_ascii);
	char *html = render(&r, hs_report_write_html);
	assert_int_equal(check_text_adds_up(text), 110);
	assert_int_equal(check_html_adds_up(html), 110);
	assert_non_null(strstr(text, "\n  Upright              1 min 19 s"));
	assert_non_null(strstr(text, "\n  Hunched              31 s\n"));
	free(text);
	free(html);
	hs_report_finish(&r);

	/* The reviewer's week, 13 min 20 s: 7 min 30 s upright on the
	 * Tuesday, 5 min 50 s hunched on the Thursday, all in whole
	 * minutes. */
	const hs_date first = { 2026, 2, 24 };
	double tue = hs_date_start(first) + 9 * 3600;
	double thu = hs_date_start(hs_date_add_days(first, 2)) + 14 * 3600;
	hs_journal_minute week[32];
	size_t n = 0;
	for (int i = 0; i < 8; i++)
		week[n++] = minute_of(tue + i * MIN, i < 7 ? 60 : 30, 0);
	for (int i = 0; i < 6; i++)
		week[n++] = minute_of(thu + i * MIN, 0, i < 5 ? 60 : 50);
	build_minutes(first, the_day, week, n, &r);
	text = render(&r, write_text_ascii);
	html = render(&r, hs_report_write_html);
	assert_int_equal(check_text_adds_up(text), 13 * 60);
	assert_int_equal(check_html_adds_up(html), 13 * 60);
	assert_non_null(strstr(text, "\n  Upright              7 min "));
	assert_non_null(strstr(text, "\n  Hunched              6 min\n"));
	/* 7.5 min in a row, but not more than the 7 min upright shown. */
	assert_non_null(strstr(text, "\n  Longest upright      7 min, from "
	                             "2026-02-24 09:00\n"));
	free(text);
	free(html);
	hs_report_finish(&r);

	/* Five hours of 3 min 20 s each: alike, they read alike, "3 min"
	 * each, in the text and in the HTML table.  (Shares of the 17 min
	 * monitored gave two of them "4 min".)  An hour of 10 s has a label
	 * that is not "0 min". */
	static const int at_hours[] = { 8, 10, 11, 14, 15 };
	assert_true(5 * 4 + 2 <= sizeof week / sizeof week[0]);
	n = 0;
	for (int k = 0; k < 5; k++) {
		double h0 = hs_date_start(first) + at_hours[k] * 3600.0;
		for (int i = 0; i < 4; i++)
			week[n++] = minute_of(h0 + i * MIN, i < 3 ? 30 : 20,
			                      i < 3 ? 30 : 0);
	}
	week[n++] = minute_of(hs_date_start(first) + 16 * 3600.0, 10, 0);
	week[n++] = minute_of(hs_date_start(first) + 17 * 3600.0, 4, 0);
	build_minutes(first, the_day, week, n, &r);
	text = render(&r, write_text_ascii);
	html = render(&r, hs_report_write_html);
	check_text_adds_up(text);
	check_html_adds_up(html);
	for (int k = 0; k < 5; k++) {
		char key[32];
		snprintf(key, sizeof key, "\n  %02d ", at_hours[k]);
		const char *line = strstr(text, key);
		assert_non_null(line);
		assert_memory_equal(line + 5, "  3 min        #", 16);
		snprintf(key, sizeof key, "\"row\">%02d:00\u2013", at_hours[k]);
		const char *row = strstr(html, key);
		assert_non_null(row);
		const char *end = strstr(row, "</tr>");
		assert_non_null(end);
		assert_memory_equal(end - 14, "<td>3 min</td>", 14);
	}
	const char *tiny = strstr(text, "\n  16 ");
	assert_non_null(tiny);
	assert_memory_equal(tiny + 5, "  under 1 min  ", 15);
	free(text);
	/* On a narrow terminal the bars are short: 4 s of the busiest hour's
	 * 200 s rounds to no glyph of 11, yet the hour shows one, and no
	 * line ends in blanks. */
	text = render(&r, write_text_30_ascii);
	fits_columns(text, 30);
	assert_non_null(strstr(text, "\n  17  under 1 min  #\n"));
	assert_null(strstr(text, " \n"));
	free(text);
	free(html);
	hs_report_finish(&r);

	/* Days of odd seconds in every state, short and long: the same
	 * holds whatever the numbers. */
	static hs_journal_minute many[40 + 97 * 59];
	unsigned seed = 777;
	for (int c = 0; c < 60; c++) {
		size_t len = (size_t)(c < 30 ? 1 + c % 9 : 40 + 97 * c);
		double at = hs_date_start(first) + 6 * 3600;
		for (size_t i = 0; i < len; i++) {
			hs_journal_minute *m = &many[i];
			memset(m, 0, sizeof *m);
			m->start = at + (double)i * MIN;
			double left = 60;
			for (int s = 0; s < HS_STATE_COUNT; s++) {
				seed = seed * 1103515245u + 12345u;
				double v = (double)((seed >> 8) % 1000) / 999 *
				           left;
				if ((seed >> 20) % 3 == 0 &&
				    s != HS_STATE_UNCALIBRATED)
					v = 0;
				m->state_s[s] = floor(v * 100) / 100;
				left -= m->state_s[s];
			}
		}
		build_minutes(first, the_day, many, len, &r);
		text = render(&r, write_text_ascii);
		html = render(&r, hs_report_write_html);
		check_text_adds_up(text);
		check_html_adds_up(html);
		free(text);
		free(html);
		hs_report_finish(&r);
	}
}

/* The share of the week before and of the day, each printed rounded: the
 * change is their difference as printed, 71 - 49 = 22, not the 23 of the
 * unrounded 71.4 - 48.6. */
static void change_in_points_is_the_difference_printed(void **state)
{
	(void)state;
	assert_int_equal(hs_report_percent(0.486), 49);
	assert_int_equal(hs_report_percent(0.714), 71);
	assert_int_equal(hs_report_percent(0.125), 13);
	assert_int_equal(hs_report_percent(-1), -1);

	hs_journal_minute m[2] = { minute_of(PREV_0900, 24.3, 25.7),
		                   minute_of(DAY_0900, 35.7, 14.3) };
	hs_report r;
	build_minutes(the_day, the_day, m, 2, &r);
	char *text = render(&r, hs_report_write_text);
	char *html = render(&r, hs_report_write_html);
	char *json = render(&r, hs_report_write_json);
	const char *want = "upright 49% of desk time; now 71% (+22 points)";
	char v[160];
	text_value(text, "Previous 7 days", v, sizeof v);
	assert_string_equal(v, want);
	html_value(html, "Previous 7 days", v, sizeof v);
	assert_string_equal(v, want);
	assert_non_null(strstr(text, "71% of the time at the desk"));
	/* JSON keeps the exact change. */
	char *points = json_get(json, "$.previous_7_days.change_points");
	assert_true(fabs(atof(points) - 22.8) < 0.01);
	free(points);
	free(text);
	free(html);
	free(json);
	hs_report_finish(&r);

	/* 12.5%: the summary and the day's label on the trend chart round
	 * it alike. */
	m[0] = minute_of(DAY_0900, 7.5, 52.5);
	build_minutes(the_day, the_day, m, 1, &r);
	text = render(&r, hs_report_write_text);
	html = render(&r, hs_report_write_html);
	assert_non_null(strstr(text, " 13% of the time at the desk"));
	html_value(html, "Upright", v, sizeof v);
	/* 7.5 + 52.5 s: the tie goes to the larger part, 7 + 53. */
	assert_string_equal(v, "7 s (13% of the time at the desk)");
	char *svg = svg_of(html, "daily trend");
	assert_non_null(strstr(svg, ">13%</text>"));
	assert_null(strstr(svg, ">12%</text>"));
	free(svg);
	free(text);
	free(html);
	hs_report_finish(&r);
}

/* "What to try" names the article its advice comes from, in the text
 * report and the HTML page, whichever topic it shows: the advice of a
 * long bad stretch speaks of "the article's best way". */
static void what_to_try_names_the_article(void **state)
{
	(void)state;
	hs_report r;
	build_day(&r);
	assert_int_equal(r.advice, HS_ADVICE_ACTIVE);
	assert_non_null(
	        strstr(hs_advice_get(r.advice)->sentence, "the article's"));
	char in_text[128], in_html[128];
	snprintf(in_text, sizeof in_text, "from the article \"%s\".",
	         hs_advice_source_title);
	snprintf(in_html, sizeof in_html, "from the article <cite>%s</cite>.",
	         hs_advice_source_title);
	for (int t = 0; t < HS_ADVICE_COUNT; t++) {
		r.advice = (hs_advice_topic)t;
		char *text = render(&r, write_text_utf8);
		char *html = render(&r, hs_report_write_html);
		const char *part = strstr(text, "\nWhat to try: ");
		assert_non_null(part);
		const char *named = strstr(part, in_text);
		if (!named || named > strstr(part, "\n\n"))
			fail_msg("topic %d: the text's advice does not name "
			         "the article:\n%s",
			         t, part);
		part = strstr(html, "<h2>What to try</h2>");
		assert_non_null(part);
		named = strstr(part, in_html);
		if (!named || named > strstr(part, "</section>"))
			fail_msg("topic %d: the page's advice does not name "
			         "the article: %.300s",
			         t, part);
		free(text);
		free(html);
	}
	hs_report_finish(&r);
}

/* ---- the page without seeing it, or without its colours ------------------ */

#define TABLE_ROWS 64
#define TABLE_COLS 10

typedef struct html_table {
	int rows;
	int cols[TABLE_ROWS];
	char cell[TABLE_ROWS][TABLE_COLS][64];
} html_table;

/* The cells, header row first, of the table whose caption starts with
 * 'caption'. */
static void read_table(const char *html, const char *caption, html_table *t)
{
	char key[128];
	snprintf(key, sizeof key, ">%s", caption);
	const char *p = strstr(html, key);
	if (!p)
		fail_msg("no table \"%s\" in the HTML page", caption);
	const char *end = strstr(p, "</table>");
	assert_non_null(end);
	memset(t, 0, sizeof *t);
	while ((p = strstr(p, "<tr>")) && p < end) {
		assert_true(t->rows < TABLE_ROWS);
		const char *row_end = strstr(p, "</tr>");
		int c = 0;
		for (const char *q = p; (q = strstr(q, "<t")) && q < row_end;
		     q++) {
			if (q[2] != 'h' && q[2] != 'd')
				continue;
			const char *text = strchr(q, '>') + 1;
			assert_true(c < TABLE_COLS);
			snprintf(t->cell[t->rows][c++], 64, "%.*s",
			         (int)(strstr(text, "</t") - text), text);
		}
		t->cols[t->rows++] = c;
		p = row_end;
	}
}

/* The row of a table whose first cell is 'first'; fails without one. */
static int table_row(const html_table *t, const char *first)
{
	for (int i = 0; i < t->rows; i++)
		if (strcmp(t->cell[i][0], first) == 0)
			return i;
	fail_msg("no row \"%s\" in the table", first);
	return -1;
}

/* The column headed 'head'; -1 without one. */
static int table_col(const html_table *t, const char *head)
{
	for (int c = 0; c < t->cols[0]; c++)
		if (strcmp(t->cell[0][c], head) == 0)
			return c;
	return -1;
}

static const char *cell(const html_table *t, const char *row, const char *col)
{
	int c = table_col(t, col);
	if (c < 0)
		fail_msg("no column \"%s\" in the table", col);
	return t->cell[table_row(t, row)][c];
}

/* Minute rows with no time in any posture (another program's, or odd
 * values the reader set to nothing) are a gap in the timeline, not
 * upright minutes the summary does not count. */
static void empty_minutes_are_not_drawn_as_upright(void **state)
{
	(void)state;
	static hs_journal_minute minutes[40];
	for (int i = 0; i < 40; i++) {
		memset(&minutes[i], 0, sizeof minutes[i]);
		minutes[i].start = DAY_0900 + i * MIN;
		if (i < 10)
			minutes[i].state_s[HS_STATE_AWAY] = 60;
		else if (i >= 30)
			minutes[i].state_s[HS_STATE_HUNCHED] = 60;
	}
	hs_report_input in = { .first = the_day,
		               .last = the_day,
		               .minutes = minutes,
		               .n_minutes = 40 };
	hs_report r;
	assert_int_equal(hs_report_build(&in, &r), 0);
	char *html = render(&r, hs_report_write_html);
	static html_table t;
	read_table(html, "Each stretch of minutes", &t);
	assert_int_equal(t.rows, 3);
	assert_string_equal(t.cell[1][0], "09:00");
	assert_string_equal(t.cell[1][2], "Away");
	assert_string_equal(t.cell[2][0], "09:30");
	assert_string_equal(t.cell[2][2], "Hunched");
	assert_null(strstr(html, "Upright</td>"));
	free(html);
	hs_report_finish(&r);
}

/* Over several days the timeline table's rows are headed by the date and
 * the time their run starts: a screen reader says the row's header before
 * each cell, and "09:00, Upright" would not say which day.  Over one day
 * the time alone. */
static void timeline_rows_over_days_are_headed_by_date_and_time(void **state)
{
	(void)state;
	static const block b[] = {
		{ DAY_0900 - 24 * 3600, 30, HS_STATE_HUNCHED, 5 },
		{ DAY_0900, 20, HS_STATE_UPRIGHT, 0 },
	};
	hs_report r;
	build_blocks(hs_date_add_days(the_day, -1), the_day, b, 2, &r);
	char *html = render(&r, hs_report_write_html);
	const char *table = strstr(html, ">Each stretch of minutes");
	assert_non_null(table);
	const char *end = strstr(table, "</table>");
	static const char *const want[] = {
		"<tr><th scope=\"row\">2026-03-01 09:00</th><td>09:30</td>"
		"<td>Hunched</td></tr>",
		"<tr><th scope=\"row\">2026-03-02 09:00</th><td>09:20</td>"
		"<td>Upright</td></tr>",
	};
	for (size_t i = 0; i < 2; i++) {
		const char *row = strstr(table, want[i]);
		if (!row || row > end)
			fail_msg("no row %s in the table: %.400s", want[i],
			         table);
	}
	int headers = 0;
	for (const char *p = table; (p = strstr(p, "scope=\"row\"")) && p < end;
	     p++)
		headers++;
	assert_int_equal(headers, 2);
	free(html);
	hs_report_finish(&r);

	build_blocks(the_day, the_day, b + 1, 1, &r);
	html = render(&r, hs_report_write_html);
	assert_non_null(strstr(html, "<tr><th scope=\"row\">09:00</th>"
	                             "<td>09:20</td><td>Upright</td></tr>"));
	free(html);
	hs_report_finish(&r);
}

/* Each chart has its figures in a table after it, in its section, for
 * whoever cannot see the bars or tell their colours apart: the timeline
 * each run of minutes, the hours the time in each posture (adding up, row
 * by row, to the hour's total, which is the text report's hour label),
 * the trend each day's time, share and postures. */
static void html_charts_have_tables_of_their_figures(void **state)
{
	(void)state;
	hs_report r;
	build_day(&r);
	char *html = render(&r, hs_report_write_html);
	static const char *const charts[] = { "posture timeline",
		                              "time per hour by posture",
		                              "daily trend" };
	for (size_t i = 0; i < 3; i++) {
		char key[96];
		snprintf(key, sizeof key, "aria-label=\"%s\"", charts[i]);
		const char *svg = strstr(html, key);
		assert_non_null(svg);
		const char *table = strstr(svg, "<table");
		if (!table || table > strstr(svg, "</section>"))
			fail_msg("the chart \"%s\" has no table", charts[i]);
	}

	static html_table t;
	read_table(html, "Each stretch of minutes", &t);
	static const char *const runs[][3] = {
		{ "09:00", "10:00", "Upright" },
		{ "10:00", "10:30", "Looking down" },
		{ "10:30", "11:00", "Upright" },
		{ "11:00", "11:20", "Hunched" },
		{ "11:20", "11:40", "Away" },
		{ "11:40", "12:00", "Upright" },
	};
	assert_int_equal(t.rows, 7);
	for (int i = 0; i < 6; i++)
		for (int c = 0; c < 3; c++)
			assert_string_equal(t.cell[i + 1][c], runs[i][c]);

	hs_report_shown f;
	hs_report_round(&r, &f);
	read_table(html, "Time in each posture, hour by hour", &t);
	assert_int_equal(t.rows, 4); /* 09:00 to 12:00 */
	assert_int_equal(table_col(&t, "Uncalibrated"), -1); /* none */
	for (int i = 1; i < t.rows; i++) {
		int h = atoi(t.cell[i][0]);
		long sum = 0,
		     all = printed_seconds(t.cell[i][t.cols[i] - 1], NULL);
		for (int c = 1; c < t.cols[i] - 1; c++)
			sum += printed_seconds(t.cell[i][c], NULL);
		if (sum != all || all != f.hour[h] * (long)f.unit)
			fail_msg("hour %s: the postures add up to %ld s, the "
			         "hour reads %ld s, the text report %ld s",
			         t.cell[i][0], sum, all,
			         f.hour[h] * (long)f.unit);
	}
	assert_string_equal(cell(&t, "10:00\u201311:00", "Upright"), "30 min");
	assert_string_equal(cell(&t, "10:00\u201311:00", "Looking down"),
	                    "30 min");
	assert_string_equal(cell(&t, "11:00\u201312:00", "Away"), "20 min");

	read_table(html, "Each day", &t);
	assert_int_equal(t.rows, 1 + 8); /* the week before, then the day */
	assert_string_equal(cell(&t, "2026-02-27", "Time monitored"),
	                    "4 h 00 min");
	assert_string_equal(
	        cell(&t, "2026-02-27", "Upright share of desk time"), "50%");
	assert_string_equal(cell(&t, "2026-02-27", "Hunched"), "2 h 00 min");
	assert_string_equal(cell(&t, "2026-02-28", "Time monitored"), "0 s");
	const char *day = "2026-03-02 (this report)";
	char v[128];
	html_value(html, "Time monitored", v, sizeof v);
	assert_string_equal(cell(&t, day, "Time monitored"), v);
	html_value(html, "Hunched", v, sizeof v);
	assert_string_equal(cell(&t, day, "Hunched"), v);
	assert_string_equal(cell(&t, day, "Upright share of desk time"), "69%");
	free(html);
	hs_report_finish(&r);
}

/* The hour table's rows are each rounded to the hour's total (the text
 * report's hour labels), so its columns can miss the summary's figures by
 * a little; the caption tells the reader so.  Three hours of 3 min 30 s
 * upright and 10 min 30 s hunched: each hour reads 3 min upright, 9 min
 * in all, where the summary reads 10 min. */
static void the_hour_table_says_how_it_is_rounded(void **state)
{
	(void)state;
	static hs_journal_minute m[42];
	for (int h = 0; h < 3; h++)
		for (int i = 0; i < 14; i++)
			m[h * 14 + i] = minute_of(DAY_0900 + h * 3600 + i * MIN,
			                          15, 45);
	hs_report r;
	build_minutes(the_day, the_day, m, 42, &r);
	char *html = render(&r, hs_report_write_html);
	static html_table t;
	read_table(html, "Time in each posture, hour by hour", &t);
	assert_int_equal(t.rows, 4);
	bool differs = false;
	for (int s = 0; s < HS_STATE_COUNT; s++) {
		const char *label = hs_state_label((hs_state)s);
		int c = table_col(&t, label);
		if (c < 0)
			continue;
		long column = 0;
		for (int i = 1; i < t.rows; i++)
			column += printed_seconds(t.cell[i][c], NULL);
		char v[160];
		html_value(html, label, v, sizeof v);
		differs |= column != printed_seconds(v, NULL);
	}
	assert_true(differs); /* the case the caption is there for */
	const char *caption = strstr(html, ">Time in each posture, hour");
	assert_non_null(caption);
	const char *note = strstr(caption, "Each hour is rounded on its own");
	if (!note || note > strstr(caption, "</caption>"))
		fail_msg("the hour table's columns differ from the summary "
		         "and its caption does not say why: %.200s",
		         caption);
	free(html);
	hs_report_finish(&r);
}

/* Colour is not all that tells the postures apart: each but upright is
 * drawn with a pattern of its own as well (a reader who cannot tell orange
 * from vermilion, or the page printed in grey), in the charts and in the
 * key beside each chart.  A high-contrast theme repaints the page but not
 * the SVG: the charts' text and lines take the theme's colours then. */
static void html_tells_postures_apart_by_more_than_colour(void **state)
{
	(void)state;
	hs_report r;
	build_day(&r);
	char *html = render(&r, hs_report_write_html);
	char drawing[HS_STATE_COUNT][400] = { { 0 } };
	for (int s = 0; s < HS_STATE_COUNT; s++) {
		const char *key = hs_state_name((hs_state)s);
		char want[128];
		snprintf(want, sizeof want, ".st-%s{fill:url(#hs-%s)}", key,
		         key);
		bool styled = strstr(html, want) != NULL;
		snprintf(want, sizeof want, "<pattern id=\"hs-%s\"", key);
		const char *p = strstr(html, want);
		if (s == HS_STATE_UPRIGHT) {
			assert_false(styled || p); /* solid */
			continue;
		}
		if (!styled || !p)
			fail_msg("%s has no pattern",
			         hs_state_label((hs_state)s));
		p = strstr(p, "<g ");
		assert_non_null(p);
		snprintf(drawing[s], sizeof drawing[s], "%.*s",
		         (int)(strstr(p, "</pattern>") - p), p);
		for (int o = 0; o < s; o++)
			if (strcmp(drawing[s], drawing[o]) == 0)
				fail_msg("%s and %s have one pattern",
				         hs_state_label((hs_state)s),
				         hs_state_label((hs_state)o));
	}
	/* Every bar of a state is of its class. */
	for (const char *p = html; (p = strstr(p, "<rect ")); p++) {
		char fill[16] = "", cls[64] = "", want[64];
		const char *end = strchr(p, '>');
		const char *f = strstr(p, "fill=\"");
		if (f && f < end)
			sscanf(f, "fill=\"%15[^\"]", fill);
		int s = state_of_fill(fill);
		if (s < 0 || strncmp(p, "<rect width=\"8\"", 15) == 0)
			continue; /* not a state, or a pattern's ground */
		const char *c = strstr(p, "class=\"");
		if (c && c < end)
			sscanf(c, "class=\"%63[^\"]", cls);
		snprintf(want, sizeof want, "st st-%s",
		         hs_state_name((hs_state)s));
		if (strcmp(cls, want) != 0)
			fail_msg("a %s bar of class \"%s\": %.*s",
			         hs_state_label((hs_state)s), cls,
			         (int)(end - p + 1), p);
	}
	/* A key after each chart, in its section, with every state. */
	static const char *const charts[] = { "posture timeline",
		                              "time per hour by posture",
		                              "daily trend" };
	for (size_t i = 0; i < 3; i++) {
		char key[96];
		snprintf(key, sizeof key, "aria-label=\"%s\"", charts[i]);
		const char *legend =
		        strstr(strstr(html, key), "class=\"legend\"");
		if (!legend || legend > strstr(strstr(html, key), "</section>"))
			fail_msg("the chart \"%s\" has no key", charts[i]);
		const char *legend_end = strstr(legend, "</p>");
		for (int s = 0; s < HS_STATE_COUNT; s++) {
			char want[96];
			snprintf(want, sizeof want,
			         "class=\"st st-%s\"/></svg>%s",
			         hs_state_name((hs_state)s),
			         hs_state_label((hs_state)s));
			const char *sw = strstr(legend, want);
			if (!sw || sw > legend_end)
				fail_msg("the key of \"%s\" lacks %s",
				         charts[i],
				         hs_state_label((hs_state)s));
		}
	}
	char *forced = media_block(html, "@media (forced-colors:active)");
	assert_non_null(strstr(forced, "svg text{fill:CanvasText}"));
	free(forced);
	free(html);
	hs_report_finish(&r);
}

/* The page has its main landmark; a chart wider than a narrow window (or
 * a window zoomed in) scrolls in a box of its own, which the keyboard can
 * reach and which is named by the chart's heading, and the page as a
 * whole does not scroll sideways.  The trend's box alone opens at its
 * right end, on the report's own days (test_a11y sees it so in
 * Chromium). */
static void html_charts_scroll_by_keyboard(void **state)
{
	(void)state;
	hs_report r;
	build_day(&r);
	char *html = render(&r, hs_report_write_html);
	assert_non_null(strstr(html, "<body>\n<main>\n<h1>"));
	assert_non_null(strstr(html, "</main>\n</body></html>\n"));
	assert_non_null(strstr(html, ".scroll{overflow-x:auto}"));
	assert_null(strstr(html, "section{overflow"));
	int charts = 0;
	for (const char *p = html; (p = strstr(p, "<svg role=\"img\"")); p++) {
		static const char box[] = "<div class=\"scroll";
		static const char attrs[] = "\" tabindex=\"0\" "
		                            "role=\"group\" aria-labelledby=\"";
		const char *b = p - 1;
		while (b > html && *b != '<')
			b--;
		char cls[16] = "", id[32] = "", heading[64];
		const char *a = strstr(b, attrs);
		if (strncmp(b, box, strlen(box)) != 0 || !a || a > p ||
		    sscanf(b + strlen(box), "%15[^\"]", cls) > 1 ||
		    sscanf(a + strlen(attrs), "%31[^\"]", id) != 1)
			fail_msg("a chart outside a scroll box: %.80s", b);
		assert_string_equal(cls, strcmp(id, "trend") ? "" : " at-end");
		snprintf(heading, sizeof heading, "<h2 id=\"%s\">", id);
		assert_non_null(strstr(html, heading));
		charts++;
	}
	assert_int_equal(charts, 3);
	free(html);
	hs_report_finish(&r);

	static const block none[] = { { DAY_0900, 0, HS_STATE_UPRIGHT, 0 } };
	build_blocks(the_day, the_day, none, 0, &r);
	html = render(&r, hs_report_write_html);
	assert_non_null(strstr(html, "<body>\n<main>\n<h1>"));
	assert_non_null(strstr(html, "</main>\n</body></html>\n"));
	free(html);
	hs_report_finish(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(durations_read_naturally),
		cmocka_unit_test(parts_add_up_to_the_total_shown),
		cmocka_unit_test(printed_times_add_up_to_the_time_monitored),
		cmocka_unit_test(change_in_points_is_the_difference_printed),
		cmocka_unit_test(neck_load_follows_hansraj),
		cmocka_unit_test(figures_of_a_synthetic_day),
		cmocka_unit_test(short_hunching_gets_the_hunched_advice),
		cmocka_unit_test(a_missing_minute_ends_a_stretch),
		cmocka_unit_test(of_equal_hours_the_earlier_is_the_worst),
		cmocka_unit_test(alerts_count_on_the_day_they_came),
		cmocka_unit_test(
		        several_days_cover_the_days_ending_at_the_date),
		cmocka_unit_test(a_long_trend_keeps_its_labels_apart),
		cmocka_unit_test(empty_day_has_no_data),
		cmocka_unit_test(an_alert_without_minutes_is_in_every_format),
		cmocka_unit_test(an_alerts_duration_reads_as_its_notification),
		cmocka_unit_test(empty_minutes_are_not_drawn_as_upright),
		cmocka_unit_test(day_with_a_clock_change_has_23_hours),
		cmocka_unit_test_teardown(
		        a_day_the_zone_skipped_is_an_empty_day_of_a_range,
		        hs_test_tz_berlin),
		cmocka_unit_test(
		        the_hour_repeated_in_autumn_is_not_worst_for_its_length),
		cmocka_unit_test(json_has_the_stable_keys),
		cmocka_unit_test(seconds_without_a_stretch_are_not_called_none),
		cmocka_unit_test(
		        a_stretch_does_not_depend_on_where_minutes_fall),
		cmocka_unit_test(text_fits_80_columns),
		cmocka_unit_test(text_fits_a_narrow_terminal),
		cmocka_unit_test(
		        text_for_other_charsets_is_ascii_of_the_same_shape),
		cmocka_unit_test(html_is_self_contained_with_charts),
		cmocka_unit_test(html_follows_a_dark_desktop),
		cmocka_unit_test(html_charts_have_tables_of_their_figures),
		cmocka_unit_test(the_hour_table_says_how_it_is_rounded),
		cmocka_unit_test(
		        timeline_rows_over_days_are_headed_by_date_and_time),
		cmocka_unit_test(what_to_try_names_the_article),
		cmocka_unit_test(html_tells_postures_apart_by_more_than_colour),
		cmocka_unit_test(html_charts_scroll_by_keyboard),
		cmocka_unit_test(html_chart_axes_are_labelled_with_units),
		cmocka_unit_test(
		        previous_days_read_the_same_in_text_html_and_json),
		cmocka_unit_test(
		        timeline_puts_minutes_at_their_clock_time_on_clock_changes),
		cmocka_unit_test_setup_teardown(cli_rejects_bad_dates,
		                                cli_setup, cli_teardown),
		cmocka_unit_test_setup_teardown(cli_empty_day_says_so,
		                                cli_setup, cli_teardown),
		cmocka_unit_test_setup_teardown(cli_reports_a_journal_day,
		                                cli_setup, cli_teardown),
		cmocka_unit_test_setup_teardown(
		        cli_reports_over_a_day_the_zone_skipped, cli_setup,
		        cli_teardown_berlin),
		cmocka_unit_test_setup_teardown(
		        cli_text_follows_the_locale_charset, cli_setup,
		        cli_teardown),
		cmocka_unit_test(short_day_keeps_an_eight_hour_axis),
		cmocka_unit_test_setup_teardown(output_name_picks_the_format,
		                                cli_setup, cli_teardown),
		cmocka_unit_test_setup_teardown(
		        cli_output_failure_names_the_file, cli_setup,
		        cli_teardown),
		cmocka_unit_test_setup_teardown(
		        week_html_has_legible_hours_and_bars_per_day, cli_setup,
		        cli_teardown),
		cmocka_unit_test_setup_teardown(html_is_dark_in_a_dark_browser,
		                                cli_setup, cli_teardown),
		cmocka_unit_test_setup_teardown(html_renders_in_chromium,
		                                cli_setup, cli_teardown),
	};
	return cmocka_run_group_tests(tests, hs_test_tz_berlin, NULL);
}
