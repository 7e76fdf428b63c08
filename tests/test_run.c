/* test_run.c - `headsup run` end to end: the real binary, the real
 * fixtures, the real journal and (in a private desktop session) the real
 * notification server.
 *
 * Every test runs in its own private XDG folders (support/runenv.h); the
 * D-Bus session address points nowhere unless the test runs inside
 * tests/support/desktop-session.sh (ctest: test_run_dunst), so no test can
 * reach the user's real monitor, journal or desktop.
 *
 * Replays are not paced (a 200 s clip takes about two seconds) except where
 * a test needs a monitor that is still running: pause/resume, signals, the
 * single-instance lock and kill -9.
 *
 *   test_run            everything but the dunst test
 *   test_run --session  only the tests that need the private desktop
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>

#include "headsup/control.h"
#include "runenv.h"
#include "testutil.h"

#define DESK "video/desk-session.avi"
#define GAZE "video/steady-gaze.avi"
#define NECK "desk/neck"
#define FRONT_FACE "headpose/pointing04/person01/person01146+0+0.jpg"
#define DAY "2026-11-20"

/* The alerts of a JSON report: count, and each one's kind and clock
 * time ("HH:MM:SS"). */
typedef struct alert_row {
	char kind[32];
	int seconds_of_day;
} alert_row;

static int report_alerts(const char *json, alert_row *rows, int max)
{
	const char *p = strstr(json, "\"alerts\": [");
	assert_non_null(p);
	const char *end = strchr(p, ']');
	assert_non_null(end);
	int n = 0;
	while ((p = strstr(p, "{\"time\": \"")) && p < end) {
		p += strlen("{\"time\": \"");
		int hh = 0, mm = 0, ss = 0;
		assert_int_equal(sscanf(p + 11, "%2d:%2d:%2d", &hh, &mm, &ss),
		                 3);
		const char *k = strstr(p, "\"kind\": \"");
		assert_non_null(k);
		k += strlen("\"kind\": \"");
		if (n < max) {
			size_t len = strcspn(k, "\"");
			hs_runenv_fmt(rows[n].kind, sizeof rows[n].kind, "%.*s",
			              (int)len, k);
			rows[n].seconds_of_day = hh * 3600 + mm * 60 + ss;
		}
		n++;
	}
	return n;
}

/* Ground truth of desk-session.csv: seconds of classes 0 and 1 (hunched)
 * and of every other class.  Class 5 (neck extension) is neither hunched
 * nor looking down, which our states call upright, so "upright" here is
 * everything that is not class 0 or 1. */
static void desk_truth(double *hunched_s, double *upright_s)
{
	char path[4096];
	assert_true(
	        hs_test_fixture("video/desk-session.csv", path, sizeof path));
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	char line[256];
	*hunched_s = *upright_s = 0;
	assert_non_null(fgets(line, sizeof line, f)); /* header */
	while (fgets(line, sizeof line, f)) {
		double a, b;
		int cls;
		if (sscanf(line, "%lf,%lf,%d", &a, &b, &cls) != 3)
			continue;
		if (cls == 0 || cls == 1)
			*hunched_s += b - a;
		else
			*upright_s += b - a;
	}
	fclose(f);
	assert_true(*hunched_s > 0 && *upright_s > 0);
}

/* A replay of the desk session, calibrated on its first 30 s. */
static void replay_desk(hs_runenv *e, char *out, size_t size)
{
	char src[4096];
	assert_true(hs_test_fixture(DESK, src, sizeof src));
	assert_int_equal(hs_runenv_calibrate(e, src, 30), 0);
	assert_int_equal(hs_runenv_run_desk(e, src, DAY, "", out, size), 0);
}

/* ---- issue 4: alerts -------------------------------------------------- */

/* One hunched alert during the forward-head segment (30..120 s), after
 * the 30 s sustain, and nothing during the upright or neck-extension
 * segments. */
static void desk_session_alerts_once_while_hunched(void **state)
{
	(void)state;
	char src[4096];
	REQUIRE_FIXTURE(DESK, src);
	hs_runenv e;
	hs_runenv_make(&e, false);
	char out[16384];
	replay_desk(&e, out, sizeof out);
	/* The terminal back-end prints each alert on its own line. */
	assert_int_equal(hs_runenv_count(out, "headsup: Hunched for"), 1);
	assert_int_equal(hs_runenv_count(out, "headsup: Looking down for"), 0);
	assert_non_null(strstr(out, "headsup: Hunched for 30 seconds"));

	char *json = hs_runenv_report(&e, DAY);
	alert_row rows[8];
	assert_int_equal(report_alerts(json, rows, 8), 1);
	assert_string_equal(rows[0].kind, "hunched");
	const int t = rows[0].seconds_of_day - 9 * 3600;
	/* Hunched from about 30 s; the alert needs 30 s more of it (plus
	 * the smoothing window), and must come before the segment ends. */
	assert_in_range(t, 60, 120);
	free(json);
	hs_runenv_free(&e);
}

static void steady_gaze_never_alerts(void **state)
{
	(void)state;
	char src[4096], args[4300], out[16384];
	REQUIRE_FIXTURE(GAZE, src);
	hs_runenv e;
	hs_runenv_make_calibrated(&e, src, 3);
	hs_runenv_fmt(
	        args, sizeof args,
	        "run --source '%s' --set sustain_s=3 --set notify=terminal "
	        "--clock-start " DAY "T09:00:00",
	        src);
	assert_int_equal(hs_runenv_run(&e, args, out, sizeof out), 0);
	assert_null(strstr(out, "headsup: Hunched for"));
	assert_null(strstr(out, "headsup: Looking down for"));
	char *json = hs_runenv_report(&e, DAY);
	alert_row rows[4];
	assert_int_equal(report_alerts(json, rows, 4), 0);
	/* It was watched, though: the whole clip is in the journal. */
	assert_true(hs_runenv_json_number(json, "monitored_s") > 8.0);
	free(json);
	hs_runenv_free(&e);
}

/* The cooldown outlives a restart: the journal has the last alert.  A
 * replay that goes on from where the last one ended (as a monitor started
 * again after a log-out would) stays quiet about a hunch within
 * cooldown_s of the last alert, and alerts again after it. */
static void a_restart_keeps_the_cooldown(void **state)
{
	(void)state;
	char src[4096], args[4300], out[16384];
	REQUIRE_FIXTURE(DESK, src);
	hs_runenv e;
	hs_runenv_make_calibrated(&e, src, 30);
	static const struct {
		const char *start;
		int alerts;
	} runs[] = {
		{ "09:00:00", 1 }, /* at 09:01:01 */
		{ "09:03:20", 0 }, /* due at 09:04:21, within 600 s */
		{ "09:11:00", 1 }, /* due at 09:12:01, 660 s after */
	};
	for (size_t i = 0; i < sizeof runs / sizeof runs[0]; i++) {
		hs_runenv_fmt(args, sizeof args,
		              "run --source '%s' --set notify=terminal "
		              "--set cooldown_s=600 --clock-start " DAY "T%s",
		              src, runs[i].start);
		assert_int_equal(hs_runenv_run(&e, args, out, sizeof out), 0);
		if (hs_runenv_count(out, "headsup: Hunched for") !=
		    runs[i].alerts)
			fail_msg("replay from %s: want %d alert(s), got:\n%s",
			         runs[i].start, runs[i].alerts, out);
	}
	hs_runenv_free(&e);
}

/* Does out hold an info line "<t> s: <name>", t in [from, to]? */
static bool logs_state_at(const char *out, const char *name, double from,
                          double to)
{
	for (const char *p = out; (p = strstr(p, "headsup: info: ")); p++) {
		double t;
		char said[32];
		if (sscanf(p + 15, "%lf s: %31[a-z_]", &t, said) == 2 &&
		    strcmp(said, name) == 0 && t >= from && t <= to)
			return true;
	}
	return false;
}

/* With no session bus at all, or one that is not there, the alert goes
 * to the terminal, the user is told once that desktop notifications are
 * off, and monitoring runs to the end of the file. */
static void no_session_bus_alerts_on_terminal(void **state)
{
	(void)state;
	char src[4096], args[4300], out[16384];
	REQUIRE_FIXTURE(DESK, src);
	static const char *const buses[] = {
		NULL, /* not set at all */
		"DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent",
	};
	for (size_t i = 0; i < 2; i++) {
		hs_runenv e;
		/* "true": no bus address of runenv's own; then ours. */
		hs_runenv_make(&e, true);
		if (i == 0) {
			hs_runenv_unset(&e, "DBUS_SESSION_BUS_ADDRESS");
			/* No X11 autolaunch of a bus that could activate
			 * a real notification daemon on a real display. */
			hs_runenv_unset(&e, "DISPLAY");
			hs_runenv_unset(&e, "WAYLAND_DISPLAY");
		} else
			hs_runenv_set(&e, buses[i]);
		assert_int_equal(hs_runenv_calibrate(&e, src, 30), 0);
		hs_runenv_fmt(args, sizeof args,
		              "-v run --source '%s' --set sustain_s=30 "
		              "--set cooldown_s=60 --clock-start " DAY
		              "T09:00:00",
		              src);
		assert_int_equal(hs_runenv_run(&e, args, out, sizeof out), 0);
		assert_int_equal(
		        hs_runenv_count(out, "no notification server on the "
		                             "session bus; alerts go to the "
		                             "terminal"),
		        1);
		assert_int_equal(hs_runenv_count(out, "headsup: Hunched for "
		                                      "30 seconds"),
		                 1);
		/* -v says each change of state with its time in the clip,
		 * the hunch that was alerted among them. */
		assert_true(logs_state_at(out, "hunched", 0, 200));
		/* ...and it went on to the end of the 200 s clip. */
		assert_non_null(strstr(out, "stopped at 199."));
		/* Demanded with notify = desktop, the missing server stops
		 * the monitor with status 1, which systemd retries (2 would
		 * be a configuration error it gives up on). */
		hs_runenv_fmt(args, sizeof args,
		              "run --source '%s' --set notify=desktop", src);
		assert_int_equal(hs_runenv_run(&e, args, out, sizeof out), 1);
		assert_non_null(strstr(out,
		                       "cannot show desktop notifications: "
		                       "no notification server"));
		hs_runenv_free(&e);
	}
}

/* ---- issue 4: calibration and settings ------------------------------- */

static void without_calibration_it_calibrates_itself(void **state)
{
	(void)state;
	char src[4096], args[4300], out[16384];
	REQUIRE_FIXTURE(DESK, src);
	hs_runenv e;
	hs_runenv_make(&e, false);
	hs_runenv_fmt(args, sizeof args,
	              "-v run --source '%s' --set notify=terminal", src);
	assert_int_equal(hs_runenv_run(&e, args, out, sizeof out), 0);
	assert_non_null(strstr(out, "no calibration yet: headsup will "
	                            "calibrate itself"));
	assert_non_null(strstr(out, "run 'headsup calibrate'"));
	assert_non_null(strstr(out, "calibrated from the first seconds"));
	/* Kept for this run only: nothing written to the calibration file. */
	char path[512];
	hs_runenv_fmt(path, sizeof path, "%s/state/headsup/calibration.ini",
	              e.dir);
	assert_int_not_equal(access(path, F_OK), 0);
	hs_runenv_free(&e);
}

/* Started slouched, the monitor calibrates itself on the slouch; when the
 * user then sits up (the desk fixture's upright frame, class 3, after its
 * worst forward head, class 0) it takes that as upright instead, says so,
 * and warns of the slouch when it comes back.  Before, it never warned
 * all day.  Frames one a second, from a folder; frames of the two in
 * which the head reads turned less than the calibration's limit (this
 * person sits about 22 degrees to the camera, 27 in some frames). */
static void a_slouched_start_is_set_right(void **state)
{
	(void)state;
	char slouch[4096], upright[4096], args[4300], out[16384];
	REQUIRE_FIXTURE("desk/neck/class0_005.jpg", slouch);
	REQUIRE_FIXTURE("desk/neck/class3_015.jpg", upright);
	hs_runenv e;
	hs_runenv_make(&e, false);
	char dir[512], path[600];
	hs_runenv_fmt(dir, sizeof dir, "%s/day", e.dir);
	assert_int_equal(mkdir(dir, 0700), 0);
	for (int i = 0; i < 260; i++) { /* 40 s, 130 s, 90 s */
		hs_runenv_fmt(path, sizeof path, "%s/%03d.jpg", dir, i);
		assert_int_equal(
		        symlink(i < 40 || i >= 170 ? slouch : upright, path),
		        0);
	}
	hs_runenv_fmt(args, sizeof args,
	              "-v run --source '%s' --set notify=terminal "
	              "--clock-start 2026-11-20T09:00:00",
	              dir);
	assert_int_equal(hs_runenv_run(&e, args, out, sizeof out), 0);
	assert_non_null(strstr(out, "calibrated from the first seconds"));
	assert_non_null(strstr(out, "you mostly sit higher than when headsup "
	                            "calibrated itself"));
	assert_int_equal(
	        hs_runenv_count(out, "headsup: Hunched for 30 seconds"), 1);
	hs_runenv_free(&e);
}

/* Nothing starts: no journal, no lock, no socket. */
static void assert_nothing_started(const hs_runenv *e)
{
	char cmd[512], out[1024];
	hs_runenv_fmt(cmd, sizeof cmd, "find '%s/data' '%s/run' -mindepth 1",
	              e->dir, e->dir);
	assert_int_equal(hs_test_run(cmd, out, sizeof out), 0);
	assert_string_equal(out, "");
}

static void bad_config_names_file_and_line_and_starts_nothing(void **state)
{
	(void)state;
	char src[4096], args[4300], out[8192], want[512];
	REQUIRE_FIXTURE(GAZE, src);
	static const struct {
		const char *text;
		int line;
		const char *why;
	} cases[] = {
		{ "[alerts]\nsustain_s = 20\nsustian_s = 30\n", 3,
		  "unknown key 'sustian_s'" },
		{ "# mine\n[alerts]\ncooldown_s = -5\n", 3, "out of range" },
		{ "[posture]\nsmooth_s = fast\n", 2, "not a number" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		hs_runenv e;
		hs_runenv_make(&e, false);
		hs_runenv_write(&e, "config/headsup/config.ini", cases[i].text);
		hs_runenv_fmt(args, sizeof args, "run --source '%s'", src);
		assert_int_equal(hs_runenv_run(&e, args, out, sizeof out), 2);
		hs_runenv_fmt(want, sizeof want,
		              "%s/config/headsup/config.ini:%d:", e.dir,
		              cases[i].line);
		assert_non_null(strstr(out, want));
		assert_non_null(strstr(out, cases[i].why));
		assert_nothing_started(&e);

		/* The same with --config FILE. */
		hs_runenv_write(&e, "other.ini", cases[i].text);
		hs_runenv_fmt(args, sizeof args,
		              "run --config other.ini --source '%s'", src);
		assert_int_equal(hs_runenv_run(&e, args, out, sizeof out), 2);
		hs_runenv_fmt(want, sizeof want,
		              "other.ini:%d:", cases[i].line);
		assert_non_null(strstr(out, want));
		assert_nothing_started(&e);
		hs_runenv_free(&e);
	}
}

/* A malformed --set is a usage error (exit 2) that quotes what was
 * wrong, before anything opens; a very long one is refused, not cut. */
static void bad_set_option_is_a_usage_error(void **state)
{
	(void)state;
	char key[700], args[900], out[8192];
	memset(key, 'k', sizeof key - 1);
	key[sizeof key - 1] = '\0';
	static const struct {
		const char *arg, *why;
	} cases[] = {
		{ "rate_hz", "--set takes KEY=VALUE, not 'rate_hz'" },
		{ "=2", "--set takes KEY=VALUE, not '=2'" },
		{ NULL, "is too long (at most" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		hs_runenv e;
		hs_runenv_make(&e, false);
		if (cases[i].arg)
			hs_runenv_fmt(args, sizeof args,
			              "run --source x.avi --set '%s'",
			              cases[i].arg);
		else
			hs_runenv_fmt(args, sizeof args,
			              "run --source x.avi --set %s=1", key);
		assert_int_equal(hs_runenv_run(&e, args, out, sizeof out), 2);
		assert_non_null(strstr(out, cases[i].why));
		assert_nothing_started(&e);
		hs_runenv_free(&e);
	}
	/* A camera's frames carry the time they are taken: a start time
	 * for them would be silently ignored, so it is refused. */
	hs_runenv e;
	hs_runenv_make(&e, false);
	assert_int_equal(hs_runenv_run(&e,
	                               "run --source /dev/video9 "
	                               "--clock-start 2026-11-20T09:00:00",
	                               out, sizeof out),
	                 2);
	assert_non_null(strstr(out, "--clock-start is for replaying a file"));
	assert_nothing_started(&e);
	/* An offset no zone has (it was taken), said so; a shape not
	 * read, with what is wrong. */
	assert_int_equal(hs_runenv_run(&e,
	                               "run --source clip.avi --clock-start "
	                               "2026-11-20T09:00+14:59",
	                               out, sizeof out),
	                 2);
	assert_non_null(strstr(out, "--clock-start '2026-11-20T09:00+14:59': "
	                            "the UTC offset +14:59 is no time zone's"));
	assert_nothing_started(&e);
	assert_int_equal(hs_runenv_run(&e,
	                               "run --source clip.avi --clock-start "
	                               "2026-11-20T9:00",
	                               out, sizeof out),
	                 2);
	assert_non_null(strstr(out, "--clock-start takes an ISO 8601 time "
	                            "such as 2026-03-14T09:00:00, not "
	                            "'2026-11-20T9:00': the date must be "
	                            "followed by T and a time"));
	assert_nothing_started(&e);
	/* A year typed wrong puts a replay in the future, where keep_days
	 * would count from: refused before the journal is touched. */
	assert_int_equal(hs_runenv_run(&e,
	                               "run --source clip.avi --set "
	                               "keep_days=30 --clock-start "
	                               "2062-11-20T09:00:00",
	                               out, sizeof out),
	                 2);
	assert_non_null(strstr(out, "--clock-start '2062-11-20T09:00:00' is "
	                            "more than a day ahead"));
	assert_nothing_started(&e);
	hs_runenv_free(&e);
}

/* `analyze --calibration` judges frames with the thresholds `run` uses:
 * those of the settings file (or --config F), not the built-in ones. */
static void analyze_uses_the_settings_run_uses(void **state)
{
	(void)state;
	char desk[4096], args[4600];
	REQUIRE_FIXTURE(DESK, desk);
	static char out[1 << 20];
	hs_runenv e;
	hs_runenv_make_calibrated(&e, desk, 30);
	hs_runenv_fmt(args, sizeof args,
	              "analyze --json --calibration "
	              "state/headsup/calibration.ini '%s'",
	              desk);
	static const char hunched[] = "\"posture\": \"hunched\"";
	assert_int_equal(hs_runenv_run(&e, args, out, sizeof out), 0);
	assert_true(hs_runenv_count(out, hunched) > 50); /* 90 s hunched */
	/* Thresholds no posture reaches: nothing reads hunched. */
	static const char never[] = "[posture]\nhunched_drop_enter_iod = 5\n"
	                            "hunched_drop_exit_iod = 4\n"
	                            "hunched_lean_enter = 3\n"
	                            "hunched_lean_exit = 2.9\n";
	hs_runenv_write(&e, "config/headsup/config.ini", never);
	assert_int_equal(hs_runenv_run(&e, args, out, sizeof out), 0);
	assert_int_equal(hs_runenv_count(out, hunched), 0);
	/* The same from a file named with --config. */
	hs_runenv_write(&e, "config/headsup/config.ini", "");
	hs_runenv_write(&e, "never.ini", never);
	hs_runenv_fmt(args, sizeof args,
	              "analyze --json --config never.ini --calibration "
	              "state/headsup/calibration.ini '%s'",
	              desk);
	assert_int_equal(hs_runenv_run(&e, args, out, sizeof out), 0);
	assert_int_equal(hs_runenv_count(out, hunched), 0);
	/* A bad settings file is a configuration error here too. */
	hs_runenv_write(&e, "never.ini", "[posture]\nhunched = 1\n");
	assert_int_equal(hs_runenv_run(&e, args, out, sizeof out), 2);
	assert_non_null(strstr(out, "never.ini:2: unknown key 'hunched'"));
	hs_runenv_free(&e);
}

/* A damaged baseline stops the monitor (status 2) with the file, the line
 * and what to do: record a new one. */
static void damaged_baseline_says_how_to_replace_it(void **state)
{
	(void)state;
	char out[8192], want[600];
	static const char *const texts[] = {
		"", /* emptied */
		"[baseline]\nversion = 1\npitch_deg = abc\n",
	};
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		hs_runenv e;
		hs_runenv_make(&e, false);
		hs_runenv_write(&e, "state/headsup/calibration.ini", texts[i]);
		assert_int_equal(hs_runenv_run(&e, "run --source x.avi", out,
		                               sizeof out),
		                 2);
		hs_runenv_fmt(want, sizeof want,
		              "%s/state/headsup/calibration.ini", e.dir);
		assert_non_null(strstr(out, want));
		assert_non_null(strstr(out, "run 'headsup calibrate' to record "
		                            "a new baseline"));
		/* No journal was started. */
		hs_runenv_fmt(want, sizeof want, "find '%s/data' -mindepth 1",
		              e.dir);
		assert_int_equal(hs_test_run(want, out, sizeof out), 0);
		assert_string_equal(out, "");
		hs_runenv_free(&e);
	}
}

/* A baseline recorded while no pitch could be measured (the face model
 * missing or broken then) makes looking down read as hunched for good;
 * once the frames have a pitch, run and analyze say so, once, and how to
 * mend it. */
static void a_baseline_without_pitch_is_told(void **state)
{
	(void)state;
	char src[4096], args[4300], out[16384], cmd[9000];
	REQUIRE_FIXTURE(DESK, src);
	hs_runenv e;
	hs_runenv_make_calibrated(&e, src, 30);
	hs_runenv_fmt(cmd, sizeof cmd,
	              "sed -i 's/^has_pitch = true/has_pitch = false/' "
	              "'%s/state/headsup/calibration.ini' && grep -c "
	              "'has_pitch = false' '%s/state/headsup/calibration.ini'",
	              e.dir, e.dir);
	assert_int_equal(hs_test_run(cmd, out, sizeof out), 0);
	hs_runenv_fmt(
	        args, sizeof args,
	        "run --source '%s' --set notify=terminal --clock-start " DAY
	        "T09:00:00",
	        src);
	assert_int_equal(hs_runenv_run(&e, args, out, sizeof out), 0);
	assert_int_equal(hs_runenv_count(out, "the baseline has no head pitch "
	                                      "(none was measured when it was "
	                                      "recorded), so looking down "
	                                      "cannot be told from hunched"),
	                 1);
	hs_runenv_fmt(
	        args, sizeof args,
	        "analyze --calibration '%s/state/headsup/calibration.ini' "
	        "'%s'",
	        e.dir, src);
	assert_int_equal(hs_runenv_run(&e, args, out, sizeof out), 0);
	assert_int_equal(hs_runenv_count(out, "has no head pitch"), 1);
	hs_runenv_free(&e);
}

/* A clip replayed again at the same --clock-start adds its minutes to the
 * first replay's and the report counts both: said before it starts, and
 * not for a replay at another time. */
static void a_replay_over_journalled_time_is_told(void **state)
{
	(void)state;
	char src[4096], args[4300], out[16384];
	REQUIRE_FIXTURE(GAZE, src);
	hs_runenv e;
	hs_runenv_make_calibrated(&e, src, 5);
	/* the first two sessions end at 09:00:10.04: one from 09:00:11 on,
	 * in the same minute, overlaps neither */
	static const char *const starts[] = { "T09:00:00", "T09:00:00",
		                              "T12:00:00", "T09:00:11" };
	for (int i = 0; i < 4; i++) {
		hs_runenv_fmt(args, sizeof args,
		              "run --source '%s' --set notify=terminal "
		              "--clock-start " DAY "%s",
		              src, starts[i]);
		assert_int_equal(hs_runenv_run(&e, args, out, sizeof out), 0);
		assert_int_equal(hs_runenv_count(out, "the journal already "
		                                      "holds monitoring at " DAY
		                                      " 09:00:00"),
		                 i == 1);
		assert_int_equal(hs_runenv_count(out, "minutes are merged "
		                                      "with it"),
		                 i == 1);
	}
	hs_runenv_free(&e);
}

/* sustain_s: built-in 30 s < config file 45 s < --set 60 s, seen in the
 * alert the user gets. */
static void settings_precedence_default_file_command_line(void **state)
{
	(void)state;
	char src[4096], args[4400], out[16384];
	REQUIRE_FIXTURE(DESK, src);
	hs_runenv e;
	hs_runenv_make_calibrated(&e, src, 30);
#define PRECEDENCE_RUN "run --source '%s' --set notify=terminal %s"
	hs_runenv_fmt(args, sizeof args, PRECEDENCE_RUN, src, "");
	assert_int_equal(hs_runenv_run(&e, args, out, sizeof out), 0);
	assert_non_null(strstr(out, "headsup: Hunched for 30 seconds"));

	hs_runenv_write(&e, "config/headsup/config.ini",
	                "[alerts]\nsustain_s = 45\n");
	assert_int_equal(hs_runenv_run(&e, args, out, sizeof out), 0);
	assert_non_null(strstr(out, "headsup: Hunched for 45 seconds"));

	/* Spaced as in the file, and with its section. */
	hs_runenv_fmt(args, sizeof args, PRECEDENCE_RUN, src,
	              "--set 'alerts.sustain_s = 60'");
	assert_int_equal(hs_runenv_run(&e, args, out, sizeof out), 0);
	assert_non_null(strstr(out, "headsup: Hunched for 1 minute"));
	assert_null(strstr(out, "headsup: Hunched for 45"));
	hs_runenv_free(&e);
}

static void run_help_lists_every_setting(void **state)
{
	(void)state;
	hs_runenv e;
	hs_runenv_make(&e, false);
	char *out = malloc(1 << 16);
	assert_non_null(out);
	assert_int_equal(hs_runenv_run(&e, "run --help", out, 1 << 16), 0);
	static const char *const keys[] = {
		"sustain_s",
		"cooldown_s",
		"snooze_min",
		"notify",
		"rate_hz",
		"source",
		"fov_deg",
		"looking_down_enter_deg",
		"hunched_drop_enter_iod",
		"commit_s",
		"Exit status",
		"not a diagnosis",
	};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		if (!strstr(out, keys[i]))
			fail_msg("'run --help' does not mention '%s'", keys[i]);
	}
	free(out);
	hs_runenv_free(&e);
}

/* A refused calibration leaves the old baseline as it was and tells the
 * user what to change. */
static void refused_calibration_keeps_the_old_baseline(void **state)
{
	(void)state;
	char desk[4096], p04[4096];
	REQUIRE_FIXTURE(DESK, desk);
	REQUIRE_FIXTURE("headpose/pointing04/person01", p04);
	hs_runenv e;
	hs_runenv_make_calibrated(&e, desk, 30);
	char path[512];
	hs_runenv_fmt(path, sizeof path, "%s/state/headsup/calibration.ini",
	              e.dir);
	char *before = hs_runenv_slurp(path);
	assert_true(strlen(before) > 0);

	/* A head turned 60-75 degrees to the side, in every frame. */
	char cmd[9000], out[8192];
	hs_runenv_fmt(
	        cmd, sizeof cmd,
	        "mkdir '%s/turned' && for f in "
	        "'%s'/person01?[45]?+0[+-][67][05].jpg; "
	        "do ln -s \"$f\" '%s/turned/'; done; ls '%s/turned' | wc -l",
	        e.dir, p04, e.dir, e.dir);
	assert_int_equal(hs_test_run(cmd, out, sizeof out), 0);
	assert_true(atoi(out) >= 4);
	hs_runenv_fmt(cmd, sizeof cmd,
	              "calibrate --source '%s/turned' --seconds 3", e.dir);
	assert_int_equal(hs_runenv_run(&e, cmd, out, sizeof out), 1);
	/* It names what is wrong and what to do about it. */
	assert_true(strstr(out, "turned") || strstr(out, "side"));
	assert_true(strstr(out, "camera") || strstr(out, "face the"));
	assert_non_null(strstr(out, "The previous baseline was kept."));
	char *after = hs_runenv_slurp(path);
	assert_string_equal(before, after);
	free(before);
	free(after);
	hs_runenv_free(&e);
}

/* What calibrate says about its source and destination: a truncated
 * video is refused (and with no baseline yet, it says none was stored); a
 * clip shorter than asked is used with a warning; a folder as --output is
 * refused before the user sits through the recording. */
static void calibrate_names_short_sources_and_bad_output(void **state)
{
	(void)state;
	char desk[4096], gaze[4096], cmd[9000], out[8192];
	REQUIRE_FIXTURE(DESK, desk);
	REQUIRE_FIXTURE(GAZE, gaze);
	hs_runenv e;
	hs_runenv_make(&e, false);
	hs_runenv_fmt(cmd, sizeof cmd, "head -c 60000 '%s' > '%s/cut.avi'",
	              desk, e.dir);
	assert_int_equal(hs_test_run(cmd, NULL, 0), 0);
	assert_int_equal(hs_runenv_run(&e, "calibrate --source cut.avi", out,
	                               sizeof out),
	                 1);
	assert_non_null(strstr(out, "looks truncated or damaged. No "
	                            "baseline was stored."));

	hs_runenv_fmt(cmd, sizeof cmd, "calibrate --source '%s' --seconds 60",
	              gaze);
	assert_int_equal(hs_runenv_run(&e, cmd, out, sizeof out), 0);
	assert_non_null(strstr(out, "s in, before the 60 s asked for; the "
	                            "baseline uses the "));
	assert_non_null(strstr(out, "Baseline stored in"));

	hs_runenv_fmt(cmd, sizeof cmd, "calibrate --source '%s' --output .",
	              gaze);
	assert_int_equal(hs_runenv_run(&e, cmd, out, sizeof out), 2);
	assert_non_null(strstr(out, "it is a folder; give the path of a file"));
	assert_null(strstr(out, "Recording"));

	/* A pipe, or no name at all, are refused before recording too (a
	 * pipe, like a device such as /dev/full, was replaced by a file);
	 * through a link the file linked to gets the baseline. */
	char path[600];
	hs_runenv_fmt(path, sizeof path, "%s/pipe", e.dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	hs_runenv_fmt(cmd, sizeof cmd, "calibrate --source '%s' --output pipe",
	              gaze);
	assert_int_equal(hs_runenv_run(&e, cmd, out, sizeof out), 2);
	assert_non_null(strstr(out, "'pipe': it is not a regular file"));
	struct stat st;
	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISFIFO(st.st_mode));
	hs_runenv_fmt(cmd, sizeof cmd, "calibrate --source '%s' --output ''",
	              gaze);
	assert_int_equal(hs_runenv_run(&e, cmd, out, sizeof out), 2);
	assert_non_null(strstr(out, "--output needs the path of a file, not "
	                            "''"));
	assert_null(strstr(out, "Recording"));
	/* A file that holds something else (the journal, the settings: a
	 * path completed one folder off) is left as it is, said before
	 * recording; a baseline, even a damaged one, is replaced. */
	static const char journal_like[] = "SQLite format 3\0\x10\0";
	hs_runenv_fmt(path, sizeof path, "%s/journal.db", e.dir);
	FILE *jf = fopen(path, "wb");
	assert_non_null(jf);
	assert_int_equal(fwrite(journal_like, 1, sizeof journal_like, jf),
	                 sizeof journal_like);
	assert_int_equal(fclose(jf), 0);
	hs_runenv_write(&e, "settings.ini", "[alerts]\nsustain_s = 45\n");
	hs_runenv_fmt(cmd, sizeof cmd,
	              "calibrate --source '%s' --output journal.db", gaze);
	assert_int_equal(hs_runenv_run(&e, cmd, out, sizeof out), 2);
	assert_non_null(strstr(out, "'journal.db': it holds something else "
	                            "than a headsup baseline, and was left as "
	                            "it is"));
	assert_null(strstr(out, "Recording"));
	struct stat kept;
	assert_int_equal(stat(path, &kept), 0);
	assert_int_equal(kept.st_size, sizeof journal_like);
	hs_runenv_fmt(cmd, sizeof cmd,
	              "calibrate --source '%s' --output settings.ini", gaze);
	assert_int_equal(hs_runenv_run(&e, cmd, out, sizeof out), 2);
	assert_non_null(strstr(out, "'settings.ini': it holds something else"));
	/* A damaged baseline is what the messages about it say to record
	 * again: it is replaced. */
	hs_runenv_write(&e, "damaged.ini", "garbage\n");
	hs_runenv_fmt(cmd, sizeof cmd,
	              "calibrate --source '%s' --output damaged.ini", gaze);
	assert_int_equal(hs_runenv_run(&e, cmd, out, sizeof out), 0);
	hs_runenv_write(&e, "target.ini", "[baseline]\nversion = banana\n");
	hs_runenv_fmt(path, sizeof path, "%s/link.ini", e.dir);
	assert_int_equal(symlink("target.ini", path), 0);
	hs_runenv_fmt(cmd, sizeof cmd,
	              "calibrate --source '%s' --output link.ini", gaze);
	assert_int_equal(hs_runenv_run(&e, cmd, out, sizeof out), 0);
	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	hs_runenv_fmt(path, sizeof path, "%s/target.ini", e.dir);
	char *stored = hs_runenv_slurp(path);
	assert_non_null(stored);
	assert_non_null(strstr(stored, "[baseline]"));
	free(stored);
	hs_runenv_free(&e);
}

/* The baseline was recorded at another camera resolution (as after a
 * change of camera_width): the same shape is scaled and the session reads
 * as before; another shape is not used, the user is told, and the monitor
 * calibrates itself instead of judging against meaningless geometry. */
static void baseline_from_another_frame_size(void **state)
{
	(void)state;
	char desk[4096];
	REQUIRE_FIXTURE(DESK, desk);
	hs_runenv e;
	hs_runenv_make_calibrated(&e, desk, 30); /* 640x360 frames */
	char cmd[2400], out[16384];
	/* The same baseline as `calibrate` writes it at 1280x720, and one
	 * that claims 4:3 frames of 640x480. */
	hs_runenv_fmt(
	        cmd, sizeof cmd,
	        "cd '%s/state/headsup' && grep -q '^frame_h = 360$' "
	        "calibration.ini && awk -F' = ' "
	        "'/^(frame_[wh]|eye_mid_[xy]|iod_px|box_[xywh]) = /"
	        "{ printf \"%%s = %%.17g\\n\", $1, 2 * $2; next } { print }' "
	        "calibration.ini > twice.ini && sed 's/^frame_h = 360$/"
	        "frame_h = 480/' calibration.ini > four-three.ini",
	        e.dir);
	assert_int_equal(hs_test_run(cmd, NULL, 0), 0);

	hs_runenv_fmt(cmd, sizeof cmd,
	              "-v run --source '%s' --set sustain_s=30 --set "
	              "cooldown_s=60 --set notify=terminal --calibration "
	              "'%s/state/headsup/twice.ini'",
	              desk, e.dir);
	assert_int_equal(hs_runenv_run(&e, cmd, out, sizeof out), 0);
	assert_non_null(strstr(out, "recorded from 1280x720 frames; scaled "
	                            "to these 640x360"));
	assert_int_equal(hs_runenv_count(out, "headsup: Hunched for"), 1);
	assert_int_equal(hs_runenv_count(out, "headsup: Looking down for"), 0);

	hs_runenv_fmt(cmd, sizeof cmd,
	              "--calibration '%s/state/headsup/four-three.ini'", e.dir);
	assert_int_equal(hs_runenv_run_desk(&e, desk, "2026-01-06", cmd, out,
	                                    sizeof out),
	                 0);
	assert_non_null(strstr(out, "recorded from 640x480 frames, but"));
	assert_non_null(strstr(out, "gives 640x360, another shape"));
	assert_non_null(strstr(out, "Run 'headsup calibrate'"));
	/* Calibrated from its own first seconds (upright), it still finds
	 * the one hunched stretch. */
	assert_int_equal(hs_runenv_count(out, "headsup: Hunched for"), 1);
	assert_int_equal(hs_runenv_count(out, "headsup: Looking down for"), 0);
	hs_runenv_free(&e);
}

/* ---- issue 5: the journal against the ground truth --------------------- */

/* [journal] keep_days: a monitor started with keep_days = 30 forgets a
 * day monitored ten months earlier, and keeps today's.  Not in the first
 * run after the ten months, though: to that run they could as well be a
 * system clock set ahead, and with it `faketime -f +400d headsup run`
 * forgot yesterday's real minutes for good.  The run after it, with its
 * minutes there, forgets them. */
static void keep_days_forgets_old_days(void **state)
{
	(void)state;
	char desk[4096];
	REQUIRE_FIXTURE(DESK, desk);
	hs_runenv e;
	hs_runenv_make_calibrated(&e, desk, 30);
	char out[16384];
	assert_int_equal(
	        hs_runenv_run_desk(&e, desk, "2026-01-06", "", out, sizeof out),
	        0);
	assert_near(hs_runenv_report_number(&e, "2026-01-06", "monitored_s"),
	            200, 1);
	char args[4600];
	hs_runenv_fmt(args, sizeof args,
	              "-v run --source '%s' --set notify=terminal --set "
	              "keep_days=30 --clock-start %sT09:00:00",
	              desk, DAY);
	assert_int_equal(hs_runenv_run(&e, args, out, sizeof out), 0);
	assert_null(strstr(out, "journal: forgot"));
	assert_near(hs_runenv_report_number(&e, "2026-01-06", "monitored_s"),
	            200, 1);
	hs_runenv_fmt(args, sizeof args,
	              "-v run --source '%s' --set notify=terminal --set "
	              "keep_days=30 --clock-start 2026-11-21T09:00:00",
	              desk);
	assert_int_equal(hs_runenv_run(&e, args, out, sizeof out), 0);
	/* 2026-11-21 minus 30 days: the first day kept is 2026-10-22. */
	assert_non_null(strstr(out, "journal: forgot 4 minute(s) before "
	                            "2026-10-22 (keep_days = 30)"));
	assert_near(hs_runenv_report_number(&e, "2026-01-06", "monitored_s"), 0,
	            1e-9);
	assert_near(hs_runenv_report_number(&e, DAY, "monitored_s"), 200, 1);
	hs_runenv_free(&e);
}

static void desk_session_report_matches_ground_truth(void **state)
{
	(void)state;
	char src[4096];
	REQUIRE_FIXTURE(DESK, src);
	hs_runenv e;
	hs_runenv_make(&e, false);
	char out[16384];
	replay_desk(&e, out, sizeof out);
	double truth_hunched, truth_upright;
	desk_truth(&truth_hunched, &truth_upright);

	char *json = hs_runenv_report(&e, DAY);
	const double monitored = hs_runenv_json_number(json, "monitored_s");
	const double upright = hs_runenv_json_number(json, "upright");
	const double hunched = hs_runenv_json_number(json, "hunched");
	fprintf(stderr,
	        "monitored %.1f s, upright %.1f s (truth %.1f), "
	        "hunched %.1f s (truth %.1f)\n",
	        monitored, upright, truth_upright, hunched, truth_hunched);
	assert_true(fabs(monitored - 200.0) <= 1.0);
	assert_true(fabs(upright - truth_upright) <= 0.10 * truth_upright);
	assert_true(fabs(hunched - truth_hunched) <= 0.10 * truth_hunched);
	alert_row rows[4];
	assert_int_equal(report_alerts(json, rows, 4), 1);
	assert_string_equal(rows[0].kind, "hunched");
	free(json);
	hs_runenv_free(&e);
}

/* ---- a running monitor: pause, resume, signals ------------------------- */

/* Wait until the monitor answers on its control socket. */
static void wait_until_watching(const hs_runenv *e)
{
	char reply[256];
	const double end = hs_runenv_now() + 20;
	while (hs_runenv_now() < end) {
		if (hs_runenv_status(e, reply, sizeof reply) == 0 &&
		    strncmp(reply, "running", 7) == 0)
			return;
		hs_runenv_sleep(0.1);
	}
	fail_msg("the monitor did not start listening within 20 s");
}

static void pause_and_resume_reach_the_running_monitor(void **state)
{
	(void)state;
	char src[4096], args[4300], out[4096], reply[256];
	REQUIRE_FIXTURE(GAZE, src);
	hs_runenv e;
	hs_runenv_make(&e, false);
	/* Nothing running yet. */
	assert_int_equal(hs_runenv_run(&e, "pause", out, sizeof out), 1);
	assert_non_null(strstr(out, "not running"));

	hs_runenv_fmt(args, sizeof args,
	              "run --realtime --source '%s' --set notify=terminal",
	              src);
	pid_t pid = hs_runenv_spawn(&e, args);
	wait_until_watching(&e);
	/* `headsup status` says what it watches and what it has done. */
	assert_int_equal(hs_runenv_run(&e, "status", out, sizeof out), 0);
	char want[4400];
	hs_runenv_fmt(want, sizeof want,
	              "running: watching video '%s', posture ", src);
	if (strncmp(out, want, strlen(want)) != 0)
		fail_msg("status says '%s', not '%s...'", out, want);
	assert_non_null(strstr(out, " frames analysed\n"));
	assert_int_equal(hs_runenv_run(&e, "pause 10m", out, sizeof out), 0);
	assert_non_null(strstr(out, "paused for 10 minutes"));
	assert_int_equal(hs_runenv_status(&e, reply, sizeof reply), 0);
	assert_true(strncmp(reply, "paused", 6) == 0);
	assert_int_equal(hs_runenv_run(&e, "status", out, sizeof out), 0);
	if (strncmp(out, "paused for 10 minutes more (until ", 34) != 0)
		fail_msg("status while paused says '%s'", out);
	assert_int_equal(hs_runenv_run(&e, "resume", out, sizeof out), 0);
	assert_non_null(strstr(out, "resumed"));
	assert_int_equal(hs_runenv_status(&e, reply, sizeof reply), 0);
	assert_true(strncmp(reply, "running", 7) == 0);
	/* While `headsup calibrate` records (it holds the monitor paused,
	 * here by its own request), `resume` leaves the camera to it. */
	char sock[300];
	hs_runenv_fmt(sock, sizeof sock, "%s/run/headsup/control.sock", e.dir);
	assert_int_equal(hs_control_send(sock, "pause 80 calibrate", reply,
	                                 sizeof reply),
	                 0);
	assert_int_equal(hs_runenv_run(&e, "resume", out, sizeof out), 0);
	assert_non_null(strstr(out, "paused while 'headsup calibrate' "
	                            "records; it watches again when that is "
	                            "done"));
	assert_int_equal(hs_runenv_status(&e, reply, sizeof reply), 0);
	assert_true(strncmp(reply, "paused", 6) == 0);
	assert_int_equal(
	        hs_control_send(sock, "resume calibrate", reply, sizeof reply),
	        0);
	assert_string_equal(reply, "resumed");
	kill(pid, SIGTERM);
	assert_int_equal(hs_runenv_wait(pid, 5), 0);
	/* Stopped: the socket is gone and pause and status say so. */
	assert_int_equal(hs_runenv_run(&e, "pause", out, sizeof out), 1);
	assert_non_null(strstr(out, "not running"));
	assert_int_equal(hs_runenv_run(&e, "status", out, sizeof out), 1);
	assert_non_null(strstr(out, "not running"));
	assert_int_equal(hs_runenv_run(&e, "stop", out, sizeof out), 1);
	assert_non_null(strstr(out, "not running"));
	hs_runenv_free(&e);
}

/* Two `headsup stop` at once (a double click on a launcher, a script and
 * a person): neither may say the monitor "did not answer".  Each says it
 * stopped (status 0), or, when the monitor was already gone when it
 * looked, that it is not running (1). */
static void two_stops_at_once(void **state)
{
	(void)state;
	char src[4096], args[4300], out[4096], line[4096];
	REQUIRE_FIXTURE(GAZE, src);
	int stopped = 0;
	for (int round = 0; round < 4; round++) {
		hs_runenv e;
		hs_runenv_make(&e, false);
		hs_runenv_fmt(
		        args, sizeof args,
		        "run --realtime --source '%s' --set notify=terminal",
		        src);
		pid_t pid = hs_runenv_spawn(&e, args);
		wait_until_watching(&e);
		hs_runenv_fmt(
		        line, sizeof line,
		        "sh -c '(\"$0\" stop; echo \"status $?\") >a 2>&1 & "
		        "(\"$0\" stop; echo \"status $?\") >b 2>&1 & wait' "
		        "'%s'",
		        hs_test_bin());
		assert_int_equal(hs_runenv_shell(&e, line, out, sizeof out), 0);
		assert_int_equal(hs_runenv_wait(pid, 2), 0);
		for (int k = 0; k < 2; k++) {
			char path[300];
			hs_runenv_fmt(path, sizeof path, "%s/%s", e.dir,
			              k ? "b" : "a");
			char *said = hs_runenv_slurp(path);
			fprintf(stderr, "stop %d of round %d:\n%s", k, round,
			        said);
			if (strstr(said, "stopped\nstatus 0\n"))
				stopped++;
			else if (!strstr(said, "headsup is not running") ||
			         !strstr(said, "status 1\n"))
				fail_msg("a second stop said '%s'", said);
			free(said);
		}
		hs_runenv_free(&e);
	}
	/* at least the one that was answered, every round */
	assert_true(stopped >= 4);
}

/* A monitor that could not make its control socket (here a folder stands
 * where it goes) still runs: `headsup stop` must not call it "not
 * running", but say that it does not listen, and how to end it. */
static void stop_names_a_monitor_that_does_not_listen(void **state)
{
	(void)state;
	char src[4096], args[4300], out[4096], sock[300];
	REQUIRE_FIXTURE(GAZE, src);
	hs_runenv e;
	hs_runenv_make(&e, false);
	hs_runenv_fmt(sock, sizeof sock, "%s/run/headsup", e.dir);
	assert_int_equal(mkdir(sock, 0700), 0);
	hs_runenv_fmt(sock, sizeof sock, "%s/run/headsup/control.sock", e.dir);
	assert_int_equal(mkdir(sock, 0700), 0);
	hs_runenv_fmt(args, sizeof args,
	              "-v run --realtime --source '%s' --set notify=terminal",
	              src);
	pid_t pid = hs_runenv_spawn(&e, args);
	assert_true(hs_runenv_wait_log(&e, "watching", 20));
	char *log = hs_runenv_slurp(e.log);
	assert_non_null(strstr(log, "control socket"));
	free(log);
	assert_int_equal(hs_runenv_run(&e, "stop", out, sizeof out), 1);
	char want[400];
	hs_runenv_fmt(want, sizeof want,
	              "a monitor runs but does not listen on '%s'", sock);
	assert_non_null(strstr(out, want));
	hs_runenv_fmt(want, sizeof want, "'kill %ld' ends it", (long)pid);
	assert_non_null(strstr(out, want));
	/* as it says: SIGTERM ends it as `headsup stop` would */
	kill(pid, SIGTERM);
	assert_int_equal(hs_runenv_wait(pid, 5), 0);
	hs_runenv_free(&e);
}

/* `headsup calibrate` while a monitor runs: the monitor is paused for the
 * recording (so the camera is free), takes up the new baseline and is
 * resumed; a pause of the user's own is left as it is; a failed recording
 * resumes the monitor with its baseline unchanged. */
static void calibrate_while_running_hands_over_the_baseline(void **state)
{
	(void)state;
	char src[4096], args[4300], out[4096], reply[256];
	REQUIRE_FIXTURE(DESK, src);
	hs_runenv e;
	hs_runenv_make(&e, false);
	hs_runenv_fmt(args, sizeof args,
	              "-v run --realtime --source '%s' --set notify=terminal",
	              src);
	pid_t pid = hs_runenv_spawn(&e, args);
	wait_until_watching(&e);
	/* `status` says which baseline the posture is judged against. */
	assert_true(hs_runenv_wait_log(&e,
	                               "info: calibrated from the first "
	                               "seconds",
	                               20));
	assert_int_equal(hs_runenv_status(&e, reply, sizeof reply), 0);
	assert_non_null(strstr(reply, ", baseline self-calibrated; "));
	hs_runenv_fmt(args, sizeof args, "calibrate --source '%s' --seconds 5",
	              src);

	assert_int_equal(hs_runenv_run(&e, args, out, sizeof out), 0);
	assert_non_null(strstr(out, "The running monitor is paused while you "
	                            "calibrate.\n"));
	assert_non_null(strstr(out, "The running monitor now uses it.\n"));
	char *log = hs_runenv_slurp(e.log);
	const char *paused = strstr(log, "info: paused for 1 minute 5 seconds");
	const char *reloaded = strstr(log, "info: baseline reloaded from '");
	const char *resumed = strstr(log, "info: resumed");
	assert_non_null(paused);
	assert_non_null(reloaded);
	assert_non_null(resumed);
	assert_true(paused < reloaded && reloaded < resumed);
	free(log);
	assert_int_equal(hs_runenv_status(&e, reply, sizeof reply), 0);
	assert_true(strncmp(reply, "running", 7) == 0);
	/* ", baseline recorded YYYY-MM-DD HH:MM; " (TZ=UTC here) */
	const char *rec = strstr(reply, ", baseline recorded 20");
	assert_non_null(rec);
	assert_true(strlen(rec) > 37 && rec[36] == ';');

	/* Paused by the user: the new baseline is taken, the pause stays. */
	assert_int_equal(hs_runenv_run(&e, "pause", out, sizeof out), 0);
	assert_int_equal(hs_runenv_run(&e, args, out, sizeof out), 0);
	assert_null(strstr(out, "is paused while you calibrate"));
	assert_non_null(strstr(out, "The running monitor now uses it.\n"));
	assert_int_equal(hs_runenv_status(&e, reply, sizeof reply), 0);
	assert_true(strncmp(reply, "paused until", 12) == 0);
	assert_int_equal(hs_runenv_run(&e, "resume", out, sizeof out), 0);

	/* A baseline stored elsewhere than the monitor's own file: the
	 * monitor keeps its own (and is resumed). */
	hs_runenv_fmt(args, sizeof args,
	              "calibrate --source '%s' --seconds 5 --output "
	              "'%s/elsewhere.ini'",
	              src, e.dir);
	assert_int_equal(hs_runenv_run(&e, args, out, sizeof out), 0);
	assert_non_null(strstr(out, "The running monitor reads another "
	                            "baseline ('"));
	assert_non_null(strstr(out, "/state/headsup/calibration.ini'), and "
	                            "keeps it.\n"));
	/* One recorded from another camera's frames (the steady-gaze clip
	 * is portrait) cannot fit: the monitor says so and keeps its own,
	 * rather than dropping it at the next frame. */
	char gaze[4096];
	const bool gaze_too = hs_test_fixture(GAZE, gaze, sizeof gaze);
	if (gaze_too) {
		hs_runenv_fmt(args, sizeof args,
		              "calibrate --source '%s' --seconds 3", gaze);
		assert_int_equal(hs_runenv_run(&e, args, out, sizeof out), 0);
		assert_non_null(strstr(out,
		                       "the running monitor cannot use "
		                       "it and keeps the baseline it has"));
		assert_non_null(strstr(out, "but this monitor watches 640x360 "
		                            "ones, another shape"));
		assert_int_equal(hs_runenv_status(&e, reply, sizeof reply), 0);
		assert_non_null(strstr(reply, ", baseline recorded 20"));
	}
	hs_runenv_fmt(args, sizeof args, "calibrate --source '%s' --seconds 5",
	              src);

	/* A pause the user takes while calibrate has the monitor paused is
	 * the user's: calibrate's resume leaves it (the requests calibrate
	 * sends, sent here by hand). */
	char sock[512];
	hs_runenv_fmt(sock, sizeof sock, "%s/run/headsup/control.sock", e.dir);
	assert_int_equal(hs_control_send(sock, "pause 65 calibrate", reply,
	                                 sizeof reply),
	                 0);
	assert_string_equal(reply, "paused for 1 minute 5 seconds");
	assert_int_equal(hs_runenv_run(&e, "pause 10m", out, sizeof out), 0);
	assert_int_equal(
	        hs_control_send(sock, "resume calibrate", reply, sizeof reply),
	        0);
	assert_string_equal(reply, "paused by the user: stays paused");
	assert_int_equal(hs_runenv_status(&e, reply, sizeof reply), 0);
	assert_true(strncmp(reply, "paused for 10 minutes more", 26) == 0);
	assert_int_equal(hs_runenv_run(&e, "resume", out, sizeof out), 0);

	/* A short pause of the user's is not lengthened by a calibrate that
	 * comes during it. */
	assert_int_equal(hs_runenv_run(&e, "pause 40s", out, sizeof out), 0);
	assert_int_equal(hs_control_send(sock, "pause 65 calibrate", reply,
	                                 sizeof reply),
	                 0);
	assert_string_equal(reply, "already paused");
	assert_int_equal(
	        hs_control_send(sock, "resume calibrate", reply, sizeof reply),
	        0);
	assert_string_equal(reply, "paused by the user: stays paused");
	assert_int_equal(hs_runenv_status(&e, reply, sizeof reply), 0);
	fprintf(stderr, "status: %s\n", reply);
	assert_true(strncmp(reply, "paused for ", 11) == 0);
	assert_non_null(strstr(reply, " seconds more (until "));
	assert_int_equal(hs_runenv_run(&e, "resume", out, sizeof out), 0);

	/* Two calibrates at once: the first one's end leaves the second's
	 * hold; status says what holds it. */
	assert_int_equal(hs_control_send(sock, "pause 65 calibrate", reply,
	                                 sizeof reply),
	                 0);
	assert_int_equal(hs_control_send(sock, "pause 65 calibrate", reply,
	                                 sizeof reply),
	                 0);
	assert_string_equal(reply, "already paused");
	assert_int_equal(hs_runenv_status(&e, reply, sizeof reply), 0);
	assert_true(strncmp(reply,
	                    "paused while 'headsup calibrate' records (1 "
	                    "minute ",
	                    50) == 0);
	assert_non_null(strstr(reply, " seconds more at most)"));
	assert_int_equal(
	        hs_control_send(sock, "resume calibrate", reply, sizeof reply),
	        0);
	assert_string_equal(reply, "another calibration holds it paused");
	assert_int_equal(
	        hs_control_send(sock, "resume calibrate", reply, sizeof reply),
	        0);
	assert_string_equal(reply, "resumed");

	/* A baseline file that cannot be read is not taken: the one in use
	 * stays. */
	char cal[600], *saved;
	hs_runenv_fmt(cal, sizeof cal, "%s/state/headsup/calibration.ini",
	              e.dir);
	saved = hs_runenv_slurp(cal);
	hs_runenv_write(&e, "state/headsup/calibration.ini", "[baseline\n");
	hs_runenv_fmt(args, sizeof args, "reload %s", cal);
	assert_int_equal(hs_control_send(sock, args, reply, sizeof reply), 0);
	assert_true(strncmp(reply,
	                    "error: baseline not reloaded, the one "
	                    "in use stays: ",
	                    51) == 0);
	hs_runenv_write(&e, "state/headsup/calibration.ini", saved);
	free(saved);
	assert_int_equal(hs_runenv_status(&e, reply, sizeof reply), 0);
	assert_non_null(strstr(reply, ", baseline recorded 20"));

	/* A recording that fails: resumed, and no baseline read again. */
	hs_runenv_write(&e, "not-a-picture.jpg", "plain text\n");
	hs_runenv_fmt(args, sizeof args,
	              "calibrate --source '%s/not-a-picture.jpg' --seconds 5",
	              e.dir);
	assert_int_equal(hs_runenv_run(&e, args, out, sizeof out), 1);
	assert_null(strstr(out, "now uses it"));
	assert_int_equal(hs_runenv_status(&e, reply, sizeof reply), 0);
	assert_true(strncmp(reply, "running", 7) == 0);
	log = hs_runenv_slurp(e.log);
	assert_int_equal(hs_runenv_count(log, "baseline reloaded from"), 2);
	assert_int_equal(hs_runenv_count(log, "info: resumed"),
	                 gaze_too ? 8 : 7);
	free(log);

	/* Ctrl+C during a long recording: the monitor is resumed at once,
	 * not when its pause (the recording's length and a minute) ends. */
	hs_runenv_fmt(args, sizeof args,
	              "calibrate --source '%s' --seconds 120", src);
	pid_t calib = hs_runenv_spawn(&e, args);
	/* Printed once the model is loaded, as the recording starts; the
	 * 120 s of video then take a few seconds to analyse. */
	assert_true(hs_runenv_wait_log(&e, "Recording 120 seconds...", 30));
	kill(calib, SIGINT);
	const int cal_status = hs_runenv_wait(calib, 10);
	log = hs_runenv_slurp(e.log);
	assert_non_null(strstr(log, "error: calibration interrupted. The "
	                            "previous baseline was kept."));
	assert_int_equal(cal_status, 1);
	assert_int_equal(hs_runenv_count(log, "info: resumed"),
	                 gaze_too ? 9 : 8);
	free(log);
	assert_int_equal(hs_runenv_status(&e, reply, sizeof reply), 0);
	assert_true(strncmp(reply, "running", 7) == 0);

	kill(pid, SIGTERM);
	assert_int_equal(hs_runenv_wait(pid, 5), 0);

	/* The journal's sessions name the baseline each part was watched
	 * against: self-calibrated first, then the file (twice reloaded). */
	char cmd[4400], rows[4096];
	hs_runenv_fmt(cmd, sizeof cmd,
	              "sqlite3 '%s/data/headsup/journal.db' 'SELECT "
	              "calibration FROM sessions ORDER BY id'",
	              e.dir);
	const bool have_sqlite3 =
	        hs_test_run("command -v sqlite3", NULL, 0) == 0;
	if (have_sqlite3) {
		assert_int_equal(hs_test_run(cmd, rows, sizeof rows), 0);
		char want[4400];
		hs_runenv_fmt(want, sizeof want,
		              "self\n%s/state/headsup/calibration.ini\n%s/"
		              "state/headsup/calibration.ini\n",
		              e.dir, e.dir);
		assert_string_equal(rows, want);
	}
	hs_runenv_free(&e);
	/* A part that could not run makes the test a skip, not a pass. */
	if (!gaze_too)
		skip(); /* hs_test_fixture() said which fixture is missing */
	if (!have_sqlite3)
		SKIP_LOUDLY("sqlite3 is not installed; the journal's sessions "
		            "were not read");
}

/* SIGTERM, SIGINT or `headsup stop` mid-replay: exit 0 within a second, and
 * the journal holds every analysed frame (the desk clip is analysed at 2 Hz, so
 * each analysed frame is half a second of monitoring). */
static void stop_signals_lose_nothing(void **state)
{
	(void)state;
	char src[4096], args[4300];
	REQUIRE_FIXTURE(DESK, src);
	/* SIGTERM, SIGINT, then `headsup stop` (0), which returns once the
	 * monitor has finished */
	static const int sigs[] = { SIGTERM, SIGINT, 0 };
	for (size_t i = 0; i < 3; i++) {
		hs_runenv e;
		hs_runenv_make_calibrated(&e, src, 30);
		hs_runenv_fmt(
		        args, sizeof args,
		        "-v run --realtime --source '%s' --set notify=terminal "
		        "--clock-start " DAY "T09:00:00",
		        src);
		pid_t pid = hs_runenv_spawn(&e, args);
		wait_until_watching(&e);
		hs_runenv_sleep(3.0);
		const double t0 = hs_runenv_now();
		int rc;
		if (sigs[i]) {
			kill(pid, sigs[i]);
			rc = hs_runenv_wait(pid, 5);
		} else {
			char out[1024];
			assert_int_equal(
			        hs_runenv_run(&e, "stop", out, sizeof out), 0);
			assert_string_equal(out, "stopping\nstopped\n");
			rc = hs_runenv_wait(pid, 0.5); /* it has finished */
		}
		assert_int_equal(rc, 0);
		const double took = hs_runenv_now() - t0;
		fprintf(stderr, "exited %.2f s after signal %d\n", took,
		        sigs[i]);
		assert_true(took < 1.0);

		char *log = hs_runenv_slurp(e.log);
		const char *p = strstr(log, "analysed)");
		assert_non_null(p);
		while (p > log && p[-1] != '(')
			p--;
		const long analysed = strtol(p, NULL, 10);
		assert_true(analysed >= 4);
		free(log);
		char *json = hs_runenv_report(&e, DAY);
		const double monitored =
		        hs_runenv_json_number(json, "monitored_s");
		fprintf(stderr, "%ld frames analysed, %.1f s in the journal\n",
		        analysed, monitored);
		assert_true(fabs(monitored - (double)analysed * 0.5) <= 0.5);
		free(json);
		hs_runenv_free(&e);
	}
}

/* Started with standard error closed (2>&-), the monitor opened its lock
 * file as descriptor 2, and its warnings went there, over its pid.  Now
 * the lock file holds the pid alone, and the monitor stops cleanly. */
static void closed_stderr_takes_no_file(void **state)
{
	(void)state;
	char src[4096], line[8600], out[4096], want[64];
	REQUIRE_FIXTURE(GAZE, src);
	hs_runenv e;
	hs_runenv_make(&e, false);
	/* (The "cd" before the line goes into the background with the
	 * monitor: the paths after it are whole.) */
	hs_runenv_fmt(
	        line, sizeof line,
	        "'%s' run --realtime --source '%s' --set notify=terminal "
	        ">/dev/null 2>&- & pid=$!; "
	        "for i in $(seq 200); do [ -S '%s/run/headsup/control.sock' "
	        "] && break; sleep 0.1; done; sleep 1; "
	        "echo \"pid $pid\"; cat '%s/run/headsup/run.lock'; "
	        "kill $pid; wait $pid; echo \"status $?\"",
	        hs_test_bin(), src, e.dir, e.dir);
	assert_int_equal(hs_runenv_shell(&e, line, out, sizeof out), 0);
	long pid = 0;
	assert_int_equal(sscanf(out, "pid %ld", &pid), 1);
	hs_runenv_fmt(want, sizeof want, "pid %ld\n%ld\nstatus 0\n", pid, pid);
	assert_string_equal(out, want);
	hs_runenv_free(&e);
}

/* One long realtime run (about 75 s of test time) that is also used to
 * check, while it runs, the single-instance lock and SIGHUP; then kill -9.
 *
 * Why this design: the journal commits at every state change and alert,
 * and otherwise every 60 s of frame time.  To show the 60 s bound the
 * monitor must be killed more than 60 s into a stretch with no state
 * change, or a journal that only committed at the end (or only at state
 * changes) would pass too.  An image folder of the desk fixture's upright
 * photos, replayed in real time at its 1 frame/s time base, stays
 * "upright" throughout, so the only commits are the periodic ones; killed
 * at about 70 s, a correct journal holds at least 70 - 60 s, a journal
 * without periodic commits holds nothing. */
static void kill_9_loses_at_most_a_minute(void **state)
{
	(void)state;
	char neck[4096], args[4600], out[8192], cmd[9000];
	REQUIRE_FIXTURE("desk/neck", neck);
	hs_runenv e;
	hs_runenv_make(&e, false);
	hs_runenv_fmt(cmd, sizeof cmd,
	              "mkdir '%s/upright' '%s/replay' && "
	              "ln -s '%s'/class3_*.jpg '%s/upright/' && i=0; "
	              "while [ $i -lt 200 ]; do for f in '%s'/class3_*.jpg; do "
	              "i=$((i+1)); ln -s \"$f\" \"%s/replay/$(printf %%04d "
	              "$i).jpg\"; "
	              "done; done",
	              e.dir, e.dir, neck, e.dir, neck, e.dir);
	assert_int_equal(hs_test_run(cmd, NULL, 0), 0);
	hs_runenv_fmt(args, sizeof args,
	              "calibrate --source '%s/upright' --seconds 5", e.dir);
	assert_int_equal(hs_runenv_run(&e, args, out, sizeof out), 0);
	hs_runenv_fmt(
	        args, sizeof args,
	        "-v run --realtime --source '%s/replay' --set notify=terminal "
	        "--clock-start " DAY "T09:00:00",
	        e.dir);
	pid_t pid = hs_runenv_spawn(&e, args);
	wait_until_watching(&e);
	const double started = hs_runenv_now();

	/* A second monitor is refused while this one runs. */
	assert_int_equal(hs_runenv_run(&e, args, out, sizeof out), 2);
	char want[64];
	hs_runenv_fmt(want, sizeof want, "already running (pid %ld)",
	              (long)pid);
	assert_non_null(strstr(out, want));

	/* SIGHUP: a bad settings file keeps the old settings and says why;
	 * a good one is taken. */
	hs_runenv_write(&e, "config/headsup/config.ini",
	                "[alerts]\nsustain_s = 120\ncooldwn_s = 5\n");
	kill(pid, SIGHUP);
	assert_true(hs_runenv_wait_log(&e,
	                               "settings not reloaded, the old "
	                               "ones stay",
	                               5));
	assert_true(hs_runenv_wait_log(&e,
	                               "config.ini:3: unknown key "
	                               "'cooldwn_s'",
	                               1));
	hs_runenv_write(&e, "config/headsup/config.ini",
	                "[alerts]\nsustain_s = 120\n");
	kill(pid, SIGHUP);
	assert_true(hs_runenv_wait_log(&e, "settings reloaded", 5));
	/* Settings read only at start-up are named, not silently dropped. */
	hs_runenv_write(&e, "config/headsup/config.ini",
	                "[alerts]\nsustain_s = 120\n[pose]\nfov_deg = 90\n"
	                "[monitor]\ncamera_width = 1280\n");
	kill(pid, SIGHUP);
	assert_true(hs_runenv_wait_log(&e,
	                               "[monitor] camera_width, [pose] "
	                               "fov_deg changed, but headsup reads "
	                               "them only when it starts: restart it "
	                               "for the new values",
	                               5));

	/* Run on, then read the analysed count and kill at once. */
	while (hs_runenv_now() - started < 70)
		hs_runenv_sleep(0.5);
	const long analysed = hs_runenv_frames_analysed(&e);
	kill(pid, SIGKILL);
	assert_int_equal(hs_runenv_wait(pid, 5), 128 + SIGKILL);
	/* One image per second of the folder's time base. */
	const double watched_s = (double)analysed;
	assert_true(watched_s > 62);

	char *json = hs_runenv_report(&e, DAY);
	const double monitored = hs_runenv_json_number(json, "monitored_s");
	fprintf(stderr, "killed after %.0f s watched; journal holds %.1f s\n",
	        watched_s, monitored);
	assert_true(monitored >= watched_s - 60.0);
	assert_true(monitored <= watched_s + 1.0);
	free(json);

	/* The dead monitor's lock does not block the next one. */
	hs_runenv_fmt(args, sizeof args,
	              "run --source '%s/upright' --set notify=terminal "
	              "--clock-start " DAY "T12:00:00",
	              e.dir);
	assert_int_equal(hs_runenv_run(&e, args, out, sizeof out), 0);
	assert_null(strstr(out, "already running"));
	hs_runenv_free(&e);
}

/* ---- inside tests/support/desktop-session.sh: a real dunst ------------ */

/* Skip, saying so, outside the private desktop session (its scratch
 * folder and var, the display or the session bus, must be set). */
#define REQUIRE_SESSION(var)                                                 \
	do {                                                                 \
		if (!getenv("HEADSUP_SESSION_DIR") || !getenv(var)) {        \
			fprintf(stderr,                                      \
			        "SKIPPED: not inside a private desktop "     \
			        "session; run tests/support/desktop-session" \
			        ".sh test_run --session (ctest: "            \
			        "test_run_dunst)\n");                        \
			skip();                                              \
			return;                                              \
		}                                                            \
	} while (0)

/* `dunstctl history` with the blanks between JSON tokens taken out, so
 * searches do not depend on its pretty-printing. */
static char *dunst_history(void)
{
	char *raw = malloc(1 << 20);
	assert_non_null(raw);
	assert_int_equal(hs_test_run("dunstctl close-all", NULL, 0), 0);
	assert_int_equal(hs_test_run("dunstctl history", raw, 1 << 20), 0);
	char *w = raw;
	bool quoted = false;
	for (const char *r = raw; *r; r++) {
		if (quoted && *r == '\\' && r[1]) {
			*w++ = *r++;
			*w++ = *r;
			continue;
		}
		if (*r == '"')
			quoted = !quoted;
		if (quoted || !strchr(" \t\r\n", *r))
			*w++ = *r;
	}
	*w = '\0';
	return raw;
}

/* The desk session's one alert reaches dunst, and is taken back from the
 * screen once the hunch it warns of ends (upright at about 120 s): a
 * reminder does not wait there for a user who sat up. */
static void desk_session_alert_reaches_dunst(void **state)
{
	(void)state;
	char src[4096], args[4300], out[65536];
	REQUIRE_FIXTURE(DESK, src);
	REQUIRE_SESSION("DBUS_SESSION_BUS_ADDRESS");
	hs_runenv e;
	hs_runenv_make(&e, true);
	char *before = dunst_history();
	const int had = hs_runenv_count(before, "\"summary\"");
	free(before);
	assert_int_equal(hs_runenv_calibrate(&e, src, 30), 0);
	hs_runenv_fmt(
	        args, sizeof args,
	        "-v run --source '%s' --set sustain_s=30 --set cooldown_s=60 "
	        "--clock-start " DAY "T09:00:00",
	        src);
	assert_int_equal(hs_runenv_run(&e, args, out, sizeof out), 0);
	/* The desktop took it: no terminal fallback. */
	assert_null(strstr(out, "alerts go to the terminal"));
	assert_null(strstr(out, "headsup: Hunched for"));
	/* Taken back once, after the posture read upright again (about
	 * 121 s) and held for sustain_s (so about 151 s), not only when the
	 * replay ended (200 s). */
	const char *alert = strstr(out, "alert: Hunched for 30 seconds");
	const char *back = strstr(out, "alert taken back from the desktop: "
	                               "the posture it warned of ended");
	const char *end = strstr(out, "stopped at ");
	assert_non_null(alert);
	assert_non_null(back);
	assert_non_null(end);
	assert_true(back > alert);
	assert_true(back < end);
	assert_int_equal(hs_runenv_count(out, "alert taken back"), 1);
	const char *upright = NULL;
	for (const char *p = alert;
	     (p = strstr(p, " s: upright\n")) && p < back; p++)
		upright = p;
	/* "121.5 s: upright", then no other state until it is taken back */
	assert_non_null(upright);
	const char *next_state = strstr(upright + 1, " s: ");
	assert_true(next_state == NULL || next_state > back);
	char count[64];
	assert_int_equal(
	        hs_test_run("dunstctl count displayed", count, sizeof count),
	        0);
	assert_int_equal(atoi(count), 0);

	char *history = dunst_history();
	fprintf(stderr, "dunst history:\n%s\n", history);
	assert_int_equal(hs_runenv_count(history, "\"summary\"") - had, 1);
	assert_non_null(strstr(history, "\"summary\":{\"type\":\"s\",\"data\":"
	                                "\"Hunched for 30 seconds\"}"));
	assert_non_null(strstr(history, "\"appname\":{\"type\":\"s\",\"data\":"
	                                "\"headsup\"}"));
	/* The body: advice, and the link to the page's hunched section. */
	const char *body =
	        strstr(history, "\"body\":{\"type\":\"s\",\"data\":\"");
	assert_non_null(body);
	const char *link = strstr(body, "advice.html#hunched");
	assert_non_null(link);
	assert_true(link < strstr(body, "\"}"));
	free(history);
	hs_runenv_free(&e);
}

/* A monitor started with the session before its notification server
 * (autostart races the desktop at log-in): with notify = auto it begins
 * on the terminal, and its first alert, once dunst is up, reaches the
 * desktop.  On a bus of its own, without $DISPLAY, so that dunst cannot
 * be started by D-Bus activation before the test starts it. */
static void a_server_that_starts_later_gets_the_alerts(void **state)
{
	(void)state;
	char src[4096], cmd[12000], out[16384];
	REQUIRE_FIXTURE(DESK, src);
	REQUIRE_SESSION("DISPLAY");
	hs_runenv e;
	hs_runenv_make(&e, true);
	assert_int_equal(hs_runenv_calibrate(&e, src, 30), 0);
	hs_runenv_fmt(
	        cmd, sizeof cmd,
	        "cd '%s' && env -u DISPLAY dbus-run-session -- sh -c '"
	        "env %s DBUS_SESSION_BUS_ADDRESS=\"$DBUS_SESSION_BUS_ADDRESS\" "
	        "'\\''%s'\\'' -v run --realtime --source '\\''%s'\\'' "
	        "--set notify=auto --set sustain_s=5 --clock-start " DAY
	        "T09:00:00 >run.out 2>&1 & pid=$!; sleep 3; "
	        "DISPLAY=%s dunst -config '\\''%s/dunstrc'\\'' >dunst.log "
	        "2>&1 & d=$!; "
	        "for i in $(seq 600); do grep -q \"alert: \" run.out && break; "
	        "sleep 0.1; done; sleep 1; dunstctl close-all; "
	        "dunstctl history >history.json; "
	        "kill -TERM $pid; wait $pid; echo status=$?; kill $d; true'",
	        e.dir, e.vars, hs_test_bin(), src, getenv("DISPLAY"),
	        getenv("HEADSUP_SESSION_DIR"));
	assert_int_equal(hs_test_run(cmd, out, sizeof out), 0);
	char path[300];
	hs_runenv_fmt(path, sizeof path, "%s/run.out", e.dir);
	char *log = hs_runenv_slurp(path);
	fprintf(stderr, "%s\n%s", out, log);
	assert_non_null(strstr(out, "status=0"));
	assert_non_null(strstr(log, "no notification server on the session "
	                            "bus; alerts go to the terminal"));
	assert_non_null(strstr(log, "a notification server answers now; "
	                            "alerts go to the desktop"));
	assert_null(strstr(log, "headsup: Hunched for")); /* not the terminal */
	free(log);
	hs_runenv_fmt(path, sizeof path, "%s/history.json", e.dir);
	char *history = hs_runenv_slurp(path);
	assert_non_null(strstr(history, "Hunched for 5 seconds"));
	free(history);
	hs_runenv_free(&e);
}

/* A notification server that hangs while it keeps its bus name
 * (tests/support/hung_notifyd.c, on a private bus) costs the desk
 * session's one alert a short wait and the terminal fallback, not
 * libnotify's 25 s D-Bus timeout: the replay takes about as long as the
 * same replay with alerts on the terminal, timed in the same test. */
static void hung_notification_server_costs_seconds_not_the_monitor(void **state)
{
	(void)state;
	char src[4096], cmd[9000], out[16384];
	REQUIRE_FIXTURE(DESK, src);
	if (hs_test_run("command -v dbus-run-session >/dev/null", NULL, 0) !=
	    0) {
		fprintf(stderr, "SKIPPED: dbus-run-session missing (package "
		                "dbus)\n");
		skip();
		return;
	}
	hs_runenv e;
	hs_runenv_make_calibrated(&e, src, 30);
	hs_runenv_set(&e, "DBUS_SESSION_BUS_ADDRESS=");
	double took[2];
	for (int hung = 0; hung < 2; hung++) {
		/* Inside a private bus: the server (when hung), then the
		 * monitor with the bus address dbus-run-session gives. */
		hs_runenv_fmt(
		        cmd, sizeof cmd,
		        "cd '%s' && dbus-run-session -- sh -c '"
		        "bus=$DBUS_SESSION_BUS_ADDRESS; rm -f ready; "
		        "if [ %d = 1 ]; then '\\''%s'\\'' > ready & "
		        "for i in $(seq 100); do [ -s ready ] && break; "
		        "sleep 0.1; done; fi; "
		        "env %s DBUS_SESSION_BUS_ADDRESS=$bus '\\''%s'\\'' -v "
		        "run "
		        "--source '\\''%s'\\'' --set notify=%s --set "
		        "sustain_s=30 "
		        "--set cooldown_s=60 --clock-start 2026-03-02T09:00:00 "
		        "2>&1; echo status=$?; kill $! 2>/dev/null; true'",
		        e.dir, hung, HS_HUNG_NOTIFYD, e.vars, hs_test_bin(),
		        src, hung ? "desktop" : "terminal");
		const double t0 = hs_runenv_now();
		assert_int_equal(hs_test_run(cmd, out, sizeof out), 0);
		took[hung] = hs_runenv_now() - t0;
		fprintf(stderr, "%s server: %.1f s\n%s\n", hung ? "hung" : "no",
		        took[hung], out);
		assert_non_null(strstr(out, "status=0"));
		assert_int_equal(
		        hs_runenv_count(out, "headsup: Hunched for 30 seconds"),
		        1);
	}
	assert_non_null(strstr(out, "desktop notifications through hung"));
	assert_non_null(strstr(out, "libnotify could not show an alert"));
	if (took[1] - took[0] > 12)
		fail_msg("the hung server cost %.1f s (%.1f s against %.1f s)",
		         took[1] - took[0], took[1], took[0]);
	hs_runenv_free(&e);
}

/* --preview without a display is refused before anything starts, with the
 * reason (the window toolkit would otherwise abort the process), and so is
 * a display that is not this machine's screen. */
static void preview_without_a_display_is_refused(void **state)
{
	(void)state;
	char src[4096], args[4300], out[8192];
	REQUIRE_FIXTURE(NECK, src);
	hs_runenv e;
	hs_runenv_make(&e, false);
	hs_runenv_unset(&e, "QT_QPA_PLATFORM");
	hs_runenv_fmt(args, sizeof args,
	              "run --preview --source '%s' --set notify=terminal", src);
	hs_runenv e_unset = e;
	hs_runenv_unset(&e_unset, "DISPLAY");
	assert_int_equal(hs_runenv_run(&e_unset, args, out, sizeof out), 1);
	assert_non_null(strstr(out, "--preview needs a graphical display: "
	                            "DISPLAY is not set"));
	assert_nothing_started(&e);
	/* A display number no X server listens on. */
	int n = 97;
	char sock[64];
	do
		snprintf(sock, sizeof sock, "/tmp/.X11-unix/X%d", ++n);
	while (access(sock, F_OK) == 0);
	char var[32];
	snprintf(var, sizeof var, "DISPLAY=:%d", n);
	hs_runenv_set(&e, var);
	assert_int_equal(hs_runenv_run(&e, args, out, sizeof out), 1);
	assert_non_null(strstr(out, "no X server answers on display"));
	assert_nothing_started(&e);
	/* Displays that would carry camera pictures over the network: one
	 * on another host (ssh -X), and Qt's VNC server. */
	hs_runenv_set(&e, "DISPLAY=localhost:10.0");
	assert_int_equal(hs_runenv_run(&e, args, out, sizeof out), 1);
	assert_non_null(strstr(out, "DISPLAY 'localhost:10.0' is reached over "
	                            "the network"));
	assert_nothing_started(&e);
	hs_runenv_set(&e, "DISPLAY=:0 QT_QPA_PLATFORM=vnc");
	assert_int_equal(hs_runenv_run(&e, args, out, sizeof out), 1);
	assert_non_null(strstr(out, "QT_QPA_PLATFORM 'vnc' is not a window "
	                            "on this screen"));
	assert_nothing_started(&e);
	hs_runenv_free(&e);
}

/* With a display (the private session's Xvfb), the preview window opens
 * and the monitor runs the folder to its end as without it. */
static void preview_runs_on_a_display(void **state)
{
	(void)state;
	char src[4096], args[4300], out[16384];
	REQUIRE_FIXTURE(NECK, src);
	REQUIRE_SESSION("DISPLAY");
	hs_runenv e;
	hs_runenv_make(&e, true);
	hs_runenv_fmt(args, sizeof args,
	              "-v run --preview --source '%s' --set notify=terminal",
	              src);
	assert_int_equal(hs_runenv_run(&e, args, out, sizeof out), 0);
	assert_null(strstr(out, "error"));
	/* Every image of the folder was shown and analysed. */
	const char *end = strstr(out, "stopped at ");
	assert_non_null(end);
	long frames = 0, analysed = -1;
	const char *after = strstr(end, " after ");
	assert_non_null(after);
	assert_int_equal(sscanf(after, " after %ld frames (%ld analysed)",
	                        &frames, &analysed),
	                 2);
	assert_true(frames > 0);
	assert_int_equal(analysed, frames);
	hs_runenv_free(&e);
}

/* A monitor started by the session with no baseline calibrates itself and
 * tells the user so once, on the desktop (nobody reads its terminal), with
 * how to record a baseline; with a baseline, nothing of the kind. */
static void self_calibration_is_told_on_the_desktop(void **state)
{
	(void)state;
	char src[4096], args[4300], out[16384];
	REQUIRE_FIXTURE(NECK, src);
	REQUIRE_SESSION("DBUS_SESSION_BUS_ADDRESS");
	static const char notice[] = "\"summary\":{\"type\":\"s\",\"data\":"
	                             "\"headsup calibrated itself\"}";
	hs_runenv e;
	hs_runenv_make(&e, true);
	hs_runenv_fmt(args, sizeof args, "run --source '%s'", src);
	for (int calibrated = 0; calibrated < 2; calibrated++) {
		if (calibrated)
			assert_int_equal(hs_runenv_calibrate(&e, src, 5), 0);
		char *before = dunst_history();
		const int had = hs_runenv_count(before, notice);
		free(before);
		assert_int_equal(hs_runenv_run(&e, args, out, sizeof out), 0);
		assert_null(strstr(out, "alerts go to the terminal"));
		char *history = dunst_history();
		const int told = hs_runenv_count(history, notice) - had;
		if (calibrated) {
			assert_int_equal(told, 0);
		} else {
			assert_int_equal(told, 1);
			assert_non_null(
			        strstr(history, "run: headsup calibrate"));
			assert_non_null(strstr(history, "x-headsup.notice"));
		}
		free(history);
	}
	hs_runenv_free(&e);
}

/* Notices with this summary in dunst's history since 'had' of them. */
static int notices_since(const char *summary, int had, char **history)
{
	char needle[256];
	hs_runenv_fmt(needle, sizeof needle,
	              "\"summary\":{\"type\":\"s\",\"data\":\"%s\"}", summary);
	*history = dunst_history();
	return hs_runenv_count(*history, needle) - had;
}

static int notices_now(const char *summary)
{
	char *history;
	const int n = notices_since(summary, 0, &history);
	free(history);
	return n;
}

/* `run --announce`, as the menu entry starts it with no terminal to read:
 * the desktop is told that it watches (and, uncalibrated, to sit
 * upright), that it waits for a camera, that one already runs (the entry
 * clicked twice), or why it could not start; once each.  `headsup stop`
 * ends a monitor waiting for its camera too. */
static void announce_says_on_the_desktop_that_it_started(void **state)
{
	(void)state;
	char src[4096], gaze[4096], args[4300], out[16384];
	REQUIRE_FIXTURE(NECK, src);
	REQUIRE_FIXTURE(GAZE, gaze);
	REQUIRE_SESSION("DBUS_SESSION_BUS_ADDRESS");
	static const char *const said[] = {
		"headsup is watching your posture",
		"headsup is waiting for the camera",
		"headsup is already running",
		"headsup could not start",
	};
	enum {
		WATCHING,
		WAITING,
		ALREADY,
		FAILED,
		N
	};
	int had[N];
	for (int i = 0; i < N; i++)
		had[i] = notices_now(said[i]);
	hs_runenv e;
	hs_runenv_make(&e, true);
	char *history;

	hs_runenv_fmt(args, sizeof args, "run --announce --source '%s'", src);
	assert_int_equal(hs_runenv_run(&e, args, out, sizeof out), 0);
	assert_int_equal(notices_since(said[WATCHING], had[WATCHING], &history),
	                 1);
	assert_non_null(strstr(history, "has lasted 30 seconds."));
	assert_non_null(strstr(history, "sit upright, facing the screen"));
	assert_non_null(strstr(history, "to end it: headsup stop"));
	free(history);

	/* Clicked again while one runs. */
	hs_runenv_fmt(args, sizeof args,
	              "run --realtime --source '%s' --set notify=terminal",
	              gaze);
	pid_t pid = hs_runenv_spawn(&e, args);
	wait_until_watching(&e);
	hs_runenv_fmt(args, sizeof args, "run --announce --source '%s'", gaze);
	assert_int_equal(hs_runenv_run(&e, args, out, sizeof out), 2);
	assert_int_equal(notices_since(said[ALREADY], had[ALREADY], &history),
	                 1);
	free(history);
	assert_int_equal(hs_runenv_run(&e, "stop", out, sizeof out), 0);
	assert_int_equal(hs_runenv_wait(pid, 1), 0);

	/* A settings file it cannot use: the error itself. */
	hs_runenv_write(&e, "bad.ini", "[alerts]\nsustian_s = 30\n");
	hs_runenv_fmt(args, sizeof args,
	              "run --announce --config bad.ini --source '%s'", gaze);
	assert_int_equal(hs_runenv_run(&e, args, out, sizeof out), 2);
	assert_int_equal(notices_since(said[FAILED], had[FAILED], &history), 1);
	if (!strstr(history, "bad.ini:2: unknown key"))
		fail_msg("the notice does not give the error: %s", history);
	free(history);

	/* As the systemd unit starts it (--announce=errors): only the error
	 * that stops it for good is told; a start, or a second monitor (the
	 * menu entry in autostart as well), are not. */
	hs_runenv_fmt(args, sizeof args,
	              "run --announce=errors --config bad.ini --source '%s'",
	              gaze);
	assert_int_equal(hs_runenv_run(&e, args, out, sizeof out), 2);
	assert_int_equal(notices_since(said[FAILED], had[FAILED], &history), 2);
	free(history);
	hs_runenv_fmt(args, sizeof args, "run --announce=errors --source '%s'",
	              src);
	assert_int_equal(hs_runenv_run(&e, args, out, sizeof out), 0);
	assert_int_equal(notices_now(said[WATCHING]) - had[WATCHING], 1);
	hs_runenv_fmt(args, sizeof args,
	              "run --realtime --source '%s' --set notify=terminal",
	              gaze);
	pid = hs_runenv_spawn(&e, args);
	wait_until_watching(&e);
	hs_runenv_fmt(args, sizeof args, "run --announce=errors --source '%s'",
	              gaze);
	assert_int_equal(hs_runenv_run(&e, args, out, sizeof out), 2);
	assert_int_equal(notices_now(said[ALREADY]) - had[ALREADY], 1);
	assert_int_equal(hs_runenv_run(&e, "stop", out, sizeof out), 0);
	assert_int_equal(hs_runenv_wait(pid, 1), 0);
	assert_int_equal(
	        hs_runenv_run(&e, "run --announce=always", out, sizeof out), 2);
	assert_non_null(strstr(out, "--announce takes no value, or =errors"));

	/* No camera yet: it says it waits, once, and `stop` ends it. */
	pid = hs_runenv_spawn(&e, "run --announce --source /dev/video63");
	const double end = hs_runenv_now() + 10;
	while (notices_now(said[WAITING]) == had[WAITING] &&
	       hs_runenv_now() < end)
		hs_runenv_sleep(0.2);
	hs_runenv_sleep(2.5); /* a retry or two, told no more */
	assert_int_equal(notices_since(said[WAITING], had[WAITING], &history),
	                 1);
	/* (the server takes markup, so the quotes come escaped) */
	assert_non_null(strstr(history, "Cannot open camera "));
	assert_non_null(strstr(history, "/dev/video63"));
	free(history);
	assert_int_equal(hs_runenv_run(&e, "stop", out, sizeof out), 0);
	assert_int_equal(hs_runenv_wait(pid, 1), 0);
	/* None said it watched without a camera, or failed. */
	assert_int_equal(notices_now(said[WATCHING]) - had[WATCHING], 1);
	assert_int_equal(notices_now(said[FAILED]) - had[FAILED], 2);
	hs_runenv_free(&e);
}

/* The menu entry's actions (pause, resume, stop with --announce) have no
 * terminal: the monitor's answer is said on the desktop, and so is the
 * lack of a monitor (they failed without a word), and still printed. */
static void menu_actions_say_their_answer_on_the_desktop(void **state)
{
	(void)state;
	char gaze[4096], args[4300], out[4096];
	REQUIRE_FIXTURE(GAZE, gaze);
	REQUIRE_SESSION("DBUS_SESSION_BUS_ADDRESS");
	static const char *const said[] = {
		"headsup could not pause",
		"headsup is paused",
		"headsup watches again",
		"headsup stopped",
	};
	int had[4];
	for (int i = 0; i < 4; i++)
		had[i] = notices_now(said[i]);
	hs_runenv e;
	hs_runenv_make(&e, true);
	char *history;
	assert_int_equal(
	        hs_runenv_run(&e, "pause --announce 1h", out, sizeof out), 1);
	assert_non_null(strstr(out, "headsup is not running"));
	assert_int_equal(notices_since(said[0], had[0], &history), 1);
	assert_non_null(strstr(history, "is not running (nothing listens"));
	free(history);

	hs_runenv_fmt(args, sizeof args,
	              "run --realtime --source '%s' --set notify=terminal",
	              gaze);
	pid_t pid = hs_runenv_spawn(&e, args);
	wait_until_watching(&e);
	assert_int_equal(
	        hs_runenv_run(&e, "pause --announce 1h", out, sizeof out), 0);
	assert_string_equal(out, "paused for 1 hour\n");
	assert_int_equal(notices_since(said[1], had[1], &history), 1);
	assert_non_null(strstr(history, "\"data\":\"paused for 1 hour\""));
	free(history);
	assert_int_equal(
	        hs_runenv_run(&e, "resume --announce", out, sizeof out), 0);
	assert_int_equal(notices_now(said[2]) - had[2], 1);
	assert_int_equal(hs_runenv_run(&e, "stop --announce", out, sizeof out),
	                 0);
	assert_string_equal(out, "stopping\nstopped\n");
	assert_int_equal(notices_since(said[3], had[3], &history), 1);
	assert_non_null(strstr(history, "\"data\":\"The monitor has ended: "
	                                "its journal is written"));
	assert_null(strstr(history, "stopping stopped"));
	free(history);
	assert_int_equal(hs_runenv_wait(pid, 1), 0);
	hs_runenv_free(&e);
}

/* A folder of images as the camera's frames, one a second: first faces
 * copies of the face image (its size, 384x288), then dark black ones. */
static void face_then_dark(const hs_runenv *e, const char *name,
                           const char *face, int faces, int dark)
{
	char dir[512], path[600];
	hs_runenv_fmt(dir, sizeof dir, "%s/%s", e->dir, name);
	assert_int_equal(mkdir(dir, 0700), 0);
	for (int i = 0; i < faces; i++) {
		hs_runenv_fmt(path, sizeof path, "%s/%03d.jpg", dir, i);
		assert_int_equal(symlink(face, path), 0);
	}
	for (int i = faces; i < faces + dark; i++) {
		hs_runenv_fmt(path, sizeof path, "%s/%03d.ppm", dir, i);
		FILE *f = fopen(path, "wb");
		assert_non_null(f);
		fprintf(f, "P6\n384 288\n255\n");
		for (int px = 0; px < 384 * 288 * 3; px++)
			fputc(px % 7 == 0 ? 9 : 3, f); /* sensor noise */
		assert_int_equal(fclose(f), 0);
	}
}

/* A camera whose privacy shutter is closed shows black frames: after 30 s
 * the monitor says it cannot see, in its log and, when it was dark from
 * the start (a shutter the user forgot), once on the desktop.  Darkness
 * that comes later (closed on purpose) is logged only. */
static void a_covered_camera_is_told_on_the_desktop(void **state)
{
	(void)state;
	char face[4096], args[4300], out[16384];
	REQUIRE_FIXTURE(FRONT_FACE, face);
	REQUIRE_SESSION("DBUS_SESSION_BUS_ADDRESS");
	static const char notice[] = "\"summary\":{\"type\":\"s\",\"data\":"
	                             "\"headsup cannot see you\"}";
	hs_runenv e;
	hs_runenv_make(&e, true);
	face_then_dark(&e, "shut", face, 0, 45);
	face_then_dark(&e, "later", face, 10, 45);
	for (int later = 0; later < 2; later++) {
		char *before = dunst_history();
		const int had = hs_runenv_count(before, notice);
		free(before);
		hs_runenv_fmt(args, sizeof args, "run --source %s/%s", e.dir,
		              later ? "later" : "shut");
		assert_int_equal(hs_runenv_run(&e, args, out, sizeof out), 0);
		assert_non_null(strstr(out, "has shown only darkness for 30 s: "
		                            "is a privacy shutter closed"));
		char *history = dunst_history();
		const int told = hs_runenv_count(history, notice) - had;
		free(history);
		assert_int_equal(told, later ? 0 : 1);
	}
	hs_runenv_free(&e);
}

/* The window the user places the camera with: it appears on the display
 * under its title, frame-sized, and shows a picture (not a blank or black
 * window); SIGTERM then closes it and ends the monitor within a second.
 * Read from the X server itself with xwininfo (x11-utils) and ImageMagick's
 * import, as a person would see it. */
static void preview_window_shows_the_picture(void **state)
{
	(void)state;
	char src[4096], args[4300], out[16384], cmd[256];
	REQUIRE_FIXTURE(DESK, src);
	REQUIRE_SESSION("DISPLAY");
	if (hs_test_run("command -v xwininfo && command -v import", NULL, 0) !=
	    0) {
		fprintf(stderr, "SKIPPED: needs xwininfo (x11-utils) and "
		                "import (imagemagick)\n");
		skip();
		return;
	}
	hs_runenv e;
	hs_runenv_make(&e, true);
	hs_runenv_fmt(args, sizeof args,
	              "run --preview --realtime --source '%s' "
	              "--set notify=terminal",
	              src);
	pid_t pid = hs_runenv_spawn(&e, args);

	/* Everything is read first and checked after the monitor is stopped,
	 * so a failed check does not leave it running with its window. */
	/* The window, by its title: "0x400007 "headsup preview": ..." */
	unsigned long win = 0;
	const double end = hs_runenv_now() + 20;
	while (!win && hs_runenv_now() < end) {
		if (hs_test_run("xwininfo -root -tree", out, sizeof out) == 0) {
			const char *t = strstr(out, "\"headsup preview\"");
			if (t) {
				const char *line = t;
				while (line > out && line[-1] != '\n')
					line--;
				win = strtoul(line, NULL, 16);
			}
		}
		if (!win)
			hs_runenv_sleep(0.2);
	}

	/* Frame-sized (the desk clip is 640x360; the plain window has no
	 * tool bar), and once frames are shown, not one flat colour. */
	int w = 0, h = 0;
	double spread = 0;
	snprintf(cmd, sizeof cmd, "xwininfo -id 0x%lx", win);
	for (int tries = 0; win && tries < 50 && !(w == 640 && h == 360);
	     tries++) {
		if (tries)
			hs_runenv_sleep(0.1);
		if (hs_test_run(cmd, out, sizeof out) != 0)
			continue;
		const char *p = strstr(out, "Width: ");
		const char *q = strstr(out, "Height: ");
		if (p && q) {
			w = (int)strtol(p + 7, NULL, 10);
			h = (int)strtol(q + 8, NULL, 10);
		}
	}
	for (int tries = 0; win && tries < 25 && spread < 0.05; tries++) {
		hs_runenv_sleep(0.2);
		snprintf(cmd, sizeof cmd,
		         "import -silent -window 0x%lx png:- | convert png:- "
		         "-colorspace gray -format '%%[fx:standard_deviation]' "
		         "info:",
		         win);
		if (hs_test_run(cmd, out, sizeof out) == 0)
			spread = strtod(out, NULL);
	}

	/* Stopping with the window open is as quick and clean as without. */
	const double t0 = hs_runenv_now();
	kill(pid, SIGTERM);
	const int st = hs_runenv_wait(pid, 5);
	const double took = hs_runenv_now() - t0;
	const int listed = hs_test_run("xwininfo -root -tree", out, sizeof out);

	fprintf(stderr,
	        "preview window 0x%lx: %dx%d, grey-level spread %.3f; "
	        "stopped in %.2f s with status %d\n",
	        win, w, h, spread, took, st);
	assert_true(win != 0);
	assert_int_equal(w, 640);
	assert_int_equal(h, 360);
	assert_true(spread >= 0.05);
	assert_int_equal(st, 0);
	assert_true(took < 1.0);
	/* The display still answers, and the window is gone. */
	assert_int_equal(listed, 0);
	assert_null(strstr(out, "\"headsup preview\""));
	hs_runenv_free(&e);
}

/* Each test ends what it left running, even when it fails. */
#define RUN_TEST(f) cmocka_unit_test_teardown(f, hs_runenv_teardown)

/* The helpers' own promise: a test that fails while a monitor it started
 * runs leaves nothing running for the tests after it.  A child process
 * runs two tests in a group of their own: one that starts a monitor
 * (waiting for a camera that never comes) and fails, then one that looks
 * for that monitor. */
static pid_t abandoned = -1;
static char abandoned_dir[128];
static int abandoned_report = -1;

static void fails_with_a_monitor_running(void **state)
{
	(void)state;
	hs_runenv e;
	hs_runenv_make(&e, false);
	hs_runenv_fmt(abandoned_dir, sizeof abandoned_dir, "%s", e.dir);
	abandoned = hs_runenv_spawn(&e, "run --source /dev/video63");
	assert_true(abandoned > 0);
	assert_int_equal(write(abandoned_report, &abandoned, sizeof abandoned),
	                 (ssize_t)sizeof abandoned);
	hs_runenv_wait_log(&e, "video63", 10); /* well under way */
	fail_msg("failing on purpose, with headsup (pid %ld) running",
	         (long)abandoned);
}

static void the_failed_tests_monitor_is_gone(void **state)
{
	(void)state;
	hs_test_rmtree(abandoned_dir);
	assert_true(abandoned > 0);
	/* Killed and reaped: no child of this process any more. */
	assert_int_equal(waitpid(abandoned, NULL, WNOHANG), -1);
}

static void a_failed_test_leaves_no_monitor_running(void **state)
{
	(void)state;
	char dir[64], log[128];
	hs_test_tmpdir(dir, sizeof dir);
	hs_runenv_fmt(log, sizeof log, "%s/cmocka.log", dir);
	int report[2];
	assert_int_equal(pipe(report), 0);
	/* What the child leaves running comes to this process. */
	assert_int_equal(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
	const pid_t child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		close(report[0]);
		abandoned_report = report[1];
		/* Its cmocka lines ("FAILED") to a file, not to the log. */
		if (freopen(log, "w", stdout) == NULL ||
		    dup2(fileno(stdout), 2) < 0)
			_exit(100);
		cmocka_set_test_filter(NULL); /* whatever picked this one */
		const struct CMUnitTest group[] = {
			RUN_TEST(fails_with_a_monitor_running),
			RUN_TEST(the_failed_tests_monitor_is_gone),
		};
		_exit(cmocka_run_group_tests_name("failing_on_purpose", group,
		                                  NULL, NULL));
	}
	close(report[1]);
	int status = -1;
	assert_int_equal(waitpid(child, &status, 0), child);
	pid_t monitor = -1;
	const ssize_t got = read(report[0], &monitor, sizeof monitor);
	close(report[0]);
	/* Whatever it left is this process's child now: ended here, so
	 * that this test leaks nothing either. */
	const bool left = got == (ssize_t)sizeof monitor && monitor > 0 &&
	                  waitpid(monitor, NULL, WNOHANG) == 0;
	if (left) {
		kill(monitor, SIGKILL);
		waitpid(monitor, NULL, 0);
	}
	prctl(PR_SET_CHILD_SUBREAPER, 0);
	char *said = hs_runenv_slurp(log);
	fprintf(stderr, "%s",
	        left || !WIFEXITED(status) || WEXITSTATUS(status) != 1 ? said
	                                                               : "");
	free(said);
	hs_test_rmtree(dir);
	assert_int_equal(got, (ssize_t)sizeof monitor);
	assert_false(left);
	/* Exactly one failure, the one on purpose. */
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 1);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		RUN_TEST(desk_session_alerts_once_while_hunched),
		RUN_TEST(steady_gaze_never_alerts),
		RUN_TEST(a_restart_keeps_the_cooldown),
		RUN_TEST(no_session_bus_alerts_on_terminal),
		RUN_TEST(without_calibration_it_calibrates_itself),
		RUN_TEST(a_slouched_start_is_set_right),
		RUN_TEST(bad_config_names_file_and_line_and_starts_nothing),
		RUN_TEST(bad_set_option_is_a_usage_error),
		RUN_TEST(analyze_uses_the_settings_run_uses),
		RUN_TEST(damaged_baseline_says_how_to_replace_it),
		RUN_TEST(a_baseline_without_pitch_is_told),
		RUN_TEST(a_replay_over_journalled_time_is_told),
		RUN_TEST(settings_precedence_default_file_command_line),
		RUN_TEST(run_help_lists_every_setting),
		RUN_TEST(refused_calibration_keeps_the_old_baseline),
		RUN_TEST(calibrate_names_short_sources_and_bad_output),
		RUN_TEST(baseline_from_another_frame_size),
		RUN_TEST(desk_session_report_matches_ground_truth),
		RUN_TEST(keep_days_forgets_old_days),
		RUN_TEST(pause_and_resume_reach_the_running_monitor),
		RUN_TEST(calibrate_while_running_hands_over_the_baseline),
		RUN_TEST(stop_signals_lose_nothing),
		RUN_TEST(two_stops_at_once),
		RUN_TEST(stop_names_a_monitor_that_does_not_listen),
		RUN_TEST(kill_9_loses_at_most_a_minute),
		RUN_TEST(closed_stderr_takes_no_file),
		RUN_TEST(preview_without_a_display_is_refused),
		RUN_TEST(
		        hung_notification_server_costs_seconds_not_the_monitor),
		RUN_TEST(a_failed_test_leaves_no_monitor_running),
	};
	const struct CMUnitTest session_tests[] = {
		RUN_TEST(desk_session_alert_reaches_dunst),
		RUN_TEST(a_server_that_starts_later_gets_the_alerts),
		RUN_TEST(self_calibration_is_told_on_the_desktop),
		RUN_TEST(a_covered_camera_is_told_on_the_desktop),
		RUN_TEST(announce_says_on_the_desktop_that_it_started),
		RUN_TEST(menu_actions_say_their_answer_on_the_desktop),
		RUN_TEST(preview_runs_on_a_display),
		RUN_TEST(preview_window_shows_the_picture),
	};
	if (argc > 1 && strcmp(argv[1], "--session") == 0)
		return cmocka_run_group_tests_name("run_session", session_tests,
		                                   NULL, NULL);
	return cmocka_run_group_tests_name("run", tests, NULL, NULL);
}
