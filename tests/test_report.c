/* test_report.c - report figures, the three renderings and the `headsup
 * report` command, including the HTML page in a real browser. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
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

static void write_journal(const char *path)
{
	hs_journal *j = NULL;
	assert_int_equal(hs_journal_open(path, NULL, &j), 0);
	for (size_t b = 0; b < N_BLOCKS; b++) {
		if (b == 0 ||
		    blocks[b].start !=
		            blocks[b - 1].start + blocks[b - 1].minutes * MIN) {
			if (b)
				hs_journal_end_session(
				        j, blocks[b - 1].start +
				                   blocks[b - 1].minutes * MIN);
			assert_int_equal(
			        hs_journal_begin_session(j, blocks[b].start,
			                                 "test", NULL),
			        0);
		}
		hs_features f = { .pitch_delta_deg = blocks[b].pitch_deg,
			          .has_pitch = true };
		bool face = blocks[b].state != HS_STATE_AWAY;
		for (int i = 0; i < blocks[b].minutes; i++)
			assert_int_equal(hs_journal_add_frame(
			                         j, blocks[b].start + i * MIN,
			                         60, blocks[b].state,
			                         face ? &f : NULL, face),
			                 0);
	}
	for (size_t a = 0; a < 2; a++)
		assert_int_equal(hs_journal_add_alert(j, day_alerts[a].t,
		                                      day_alerts[a].kind,
		                                      day_alerts[a].after_s,
		                                      day_alerts[a].topic),
		                 0);
	hs_journal_close(j);
}

static char *render(const hs_report *r, int (*fn)(const hs_report *, FILE *))
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(fn(r, f), 0);
	fclose(f);
	return buf;
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
	static hs_journal_minute hour[80];
	for (int i = 0; i < 80; i++) {
		hour[i] = m[i % 40];
		hour[i].start = DAY_0900 + i * MIN;
	}
	in.minutes = hour;
	in.n_minutes = 80;
	assert_int_equal(hs_report_build(&in, &r), 0);
	assert_int_equal(r.advice, HS_ADVICE_ACTIVE);
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
static int fits_80_columns(const char *text)
{
	int lines = 0;
	for (const char *p = text; *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		/* A file:// link cannot be broken; it is the only exception. */
		if (strncmp(p, "  file://", 9) != 0 && columns(p, len) > 80)
			fail_msg("line wider than 80 columns: %.*s", (int)len,
			         p);
		lines++;
		p += len + (nl ? 1 : 0);
	}
	return lines;
}

static void text_fits_80_columns(void **state)
{
	(void)state;
	hs_report r;
	build_day(&r);
	char *text = render(&r, hs_report_write_text);
	assert_true(fits_80_columns(text) > 20);
	assert_non_null(strstr(text, "Time monitored       3 h 00 min"));
	assert_non_null(strstr(text, "69% of the time at the desk"));
	assert_non_null(
	        strstr(text, "Longest upright      1 h 00 min, from 09:00"));
	assert_non_null(strstr(text, "Worst hour           10:00-11:00"));
	assert_non_null(strstr(text, "not a diagnosis"));
	assert_non_null(strstr(text, "(+19 points)"));
	/* Hour 09 was upright for the whole hour: a full bar of blocks. */
	assert_non_null(strstr(text, "  09 \u2588\u2588\u2588\u2588\u2588"));
	assert_non_null(strstr(text, "file://"));
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
	int charts = 0;
	for (const char *p = html; (p = strstr(p, "<svg")); p++) {
		assert_non_null(strstr(p, "width=\"960\""));
		charts++;
	}
	assert_int_equal(charts, 3); /* timeline, hours, trend */
	assert_non_null(strstr(html, "href=\"file://"));
	assert_non_null(strstr(html, "#looking-down\""));
	assert_non_null(strstr(html, "not a diagnosis"));
	assert_non_null(strstr(html, "#c8553d")); /* hunched drawn */
	free(html);
	hs_report_finish(&r);
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
	/* A journal named with --journal that is not there is an error, so
	 * that a typo does not pass for an empty day. */
	assert_int_equal(report(fx, "--date 2026-03-02 2>&1", out, sizeof out),
	                 1);
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

static void html_renders_in_chromium(void **state)
{
	cli_fixture *fx = *state;
	if (hs_test_run("command -v chromium >/dev/null", NULL, 0) != 0) {
		fprintf(stderr, "SKIPPED: chromium is not installed; the HTML "
		                "report was not checked in a browser\n");
		skip();
	}
	write_journal(fx->db);
	char args[700], html[600], png[600];
	snprintf(html, sizeof html, "%s/report.html", fx->dir);
	snprintf(png, sizeof png, "/tmp/headsup-report-screenshot.png");
	unlink(png);
	snprintf(args, sizeof args,
	         "--date 2026-03-02 --format html --output '%s'", html);
	assert_int_equal(report(fx, args, NULL, 0), 0);

	char cmd[4096];
	snprintf(cmd, sizeof cmd,
	         "profile=$(mktemp -d) && timeout 90 chromium --headless "
	         "--no-sandbox --disable-gpu --disable-quic --no-first-run "
	         "--disable-background-networking --disable-component-update "
	         "--disable-sync --user-data-dir=\"$profile\" "
	         "--window-size=1000,1400 --screenshot='%s' 'file://%s' "
	         ">/dev/null 2>&1; rc=$?; rm -rf \"$profile\"; exit $rc",
	         png, html);
	assert_int_equal(hs_test_run(cmd, NULL, 0), 0);
	unsigned w = 0, h = 0;
	assert_true(png_size(png, &w, &h));
	assert_int_equal(w, 1000);
	assert_int_equal(h, 1400);
	fprintf(stderr, "screenshot of the HTML report: %s\n", png);

	/* The charts' fills are on the page: upright green, looking-down
	 * amber and hunched red appear as exact pixel colours. */
	if (hs_test_run("command -v convert >/dev/null", NULL, 0) != 0) {
		fprintf(stderr, "SKIPPED: ImageMagick 'convert' missing; "
		                "screenshot colours not checked\n");
		return;
	}
	static char colours[1 << 20];
	snprintf(cmd, sizeof cmd,
	         "convert '%s' -unique-colors txt:- 2>/dev/null", png);
	assert_int_equal(hs_test_run(cmd, colours, sizeof colours), 0);
	assert_non_null(strstr(colours, "#2E8B57"));
	assert_non_null(strstr(colours, "#E3A21A"));
	assert_non_null(strstr(colours, "#C8553D"));
	size_t lines = 0;
	for (const char *p = colours; (p = strchr(p, '\n')); p++)
		lines++;
	assert_true(lines > 20); /* text and charts, not a blank page */
}

static int set_tz(void **state)
{
	(void)state;
	setenv("TZ", "Europe/Berlin", 1);
	tzset();
	return 0;
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(durations_read_naturally),
		cmocka_unit_test(neck_load_follows_hansraj),
		cmocka_unit_test(figures_of_a_synthetic_day),
		cmocka_unit_test(short_hunching_gets_the_hunched_advice),
		cmocka_unit_test(
		        several_days_cover_the_days_ending_at_the_date),
		cmocka_unit_test(empty_day_has_no_data),
		cmocka_unit_test(day_with_a_clock_change_has_23_hours),
		cmocka_unit_test(json_has_the_stable_keys),
		cmocka_unit_test(text_fits_80_columns),
		cmocka_unit_test(html_is_self_contained_with_charts),
		cmocka_unit_test_setup_teardown(cli_rejects_bad_dates,
		                                cli_setup, cli_teardown),
		cmocka_unit_test_setup_teardown(cli_empty_day_says_so,
		                                cli_setup, cli_teardown),
		cmocka_unit_test_setup_teardown(cli_reports_a_journal_day,
		                                cli_setup, cli_teardown),
		cmocka_unit_test_setup_teardown(
		        cli_output_failure_names_the_file, cli_setup,
		        cli_teardown),
		cmocka_unit_test_setup_teardown(html_renders_in_chromium,
		                                cli_setup, cli_teardown),
	};
	return cmocka_run_group_tests(tests, set_tz, NULL);
}
