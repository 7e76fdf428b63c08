/* test_notify.c - alert text, back-end choice, and real notifications.
 *
 * The dunst tests need a private desktop session and skip otherwise:
 *
 *   tests/support/desktop-session.sh build/test_notify
 *
 * They only run when HEADSUP_SESSION_DIR is set (so they never close or
 * read the notifications of a real desktop), and then fail unless dunst
 * answers on the bus.  The fallback test (no session bus -> terminal)
 * always runs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "headsup/advice.h"
#include "headsup/clock.h"
#include "headsup/config.h"
#include "headsup/err.h"
#include "headsup/notify.h"
#include "headsup/timeparse.h"
#include "testutil.h"

/* ---- helpers ------------------------------------------------------------- */

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

/* Redirect stderr into a temporary file while a test speaks. */
typedef struct captured {
	int saved_fd;
	char path[64];
} captured;

static void capture_stderr(captured *c)
{
	fflush(stderr);
	snprintf(c->path, sizeof c->path, "/tmp/headsup-test-stderr-XXXXXX");
	int fd = mkstemp(c->path);
	assert_true(fd >= 0);
	c->saved_fd = dup(STDERR_FILENO);
	assert_true(c->saved_fd >= 0);
	assert_true(dup2(fd, STDERR_FILENO) >= 0);
	close(fd);
}

/* Restore stderr; returns what was written (caller frees) and echoes it
 * so a failing test still shows it. */
static char *release_stderr(captured *c)
{
	fflush(stderr);
	dup2(c->saved_fd, STDERR_FILENO);
	close(c->saved_fd);
	FILE *f = fopen(c->path, "r");
	assert_non_null(f);
	char *text = calloc(1, 65536);
	assert_non_null(text);
	size_t n = fread(text, 1, 65535, f);
	text[n] = '\0';
	fclose(f);
	unlink(c->path);
	fputs(text, stderr);
	return text;
}

static int count_of(const char *haystack, const char *needle)
{
	int n = 0;
	for (const char *p = strstr(haystack, needle); p;
	     p = strstr(p + 1, needle))
		n++;
	return n;
}

static void make_msg(hs_alert_msg *m, hs_state kind, double lasted_s,
                     const char *url)
{
	assert_int_equal(hs_notify_format(m, kind, lasted_s), 0);
	if (url)
		snprintf(m->advice_url, sizeof m->advice_url, "%s", url);
}

static const char warning_text[] =
        "no notification server on the session bus; alerts go to the terminal";

/* ---- the text (pure) ------------------------------------------------------
 */

static void durations_read_in_whole_units(void **state)
{
	(void)state;
	static const struct {
		double s;
		const char *text;
	} cases[] = {
		{ 0.0, "0 seconds" },
		{ 1.0, "1 second" },
		{ 1.9, "1 second" },
		{ 45.0, "45 seconds" },
		{ 59.99, "59 seconds" },
		{ 60.0, "1 minute" },
		{ 119.0, "1 minute" },
		{ 120.0, "2 minutes" },
		{ 3599.0, "59 minutes" },
		{ 3600.0, "1 hour" },
		{ 3659.0, "1 hour" },
		{ 3900.0, "1 hour 5 minutes" },
		{ 7260.0, "2 hours 1 minute" },
		{ 36000.0, "10 hours" },
	};
	char buf[64];
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_int_equal(
		        hs_duration_format(cases[i].s, buf, sizeof buf), 0);
		assert_string_equal(buf, cases[i].text);
	}
}

/* A duration the user chose is repeated exactly, seconds and all. */
static void chosen_durations_keep_their_seconds(void **state)
{
	(void)state;
	static const struct {
		double s;
		const char *text;
	} cases[] = {
		{ 45.0, "45 seconds" },
		{ 60.0, "1 minute" },
		{ 90.0, "1 minute 30 seconds" },
		{ 61.0, "1 minute 1 second" },
		{ 3600.0, "1 hour" },
		{ 3605.0, "1 hour 5 seconds" },
		{ 5430.0, "1 hour 30 minutes 30 seconds" },
	};
	char buf[64];
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_int_equal(
		        hs_duration_format_exact(cases[i].s, buf, sizeof buf),
		        0);
		assert_string_equal(buf, cases[i].text);
	}
	assert_int_equal(hs_duration_format_exact(-1.0, buf, sizeof buf),
	                 HS_EINVAL);
	assert_int_equal(hs_duration_format_exact(90.0, buf, 10), HS_ERANGE);
	assert_string_equal(buf, "");
}

static void bad_durations_are_refused(void **state)
{
	(void)state;
	char buf[64] = "x";
	assert_int_equal(hs_duration_format(-1.0, buf, sizeof buf), HS_EINVAL);
	assert_int_equal(hs_duration_format(NAN, buf, sizeof buf), HS_EINVAL);
	assert_int_equal(hs_duration_format(INFINITY, buf, sizeof buf),
	                 HS_EINVAL);
	/* "1 hour 5 minutes" needs 17 bytes. */
	assert_int_equal(hs_duration_format(3900.0, buf, 16), HS_ERANGE);
	assert_string_equal(buf, "");
	assert_int_equal(hs_duration_format(3900.0, buf, 17), 0);
	assert_string_equal(buf, "1 hour 5 minutes");
}

static void summary_names_posture_and_duration(void **state)
{
	(void)state;
	char buf[HS_NOTIFY_SUMMARY_MAX];
	assert_int_equal(hs_notify_format_summary(HS_STATE_LOOKING_DOWN, 130.0,
	                                          buf, sizeof buf),
	                 0);
	assert_string_equal(buf, "Looking down for 2 minutes");
	assert_int_equal(hs_notify_format_summary(HS_STATE_HUNCHED, 45.2, buf,
	                                          sizeof buf),
	                 0);
	assert_string_equal(buf, "Hunched for 45 seconds");
	assert_int_equal(hs_notify_format_summary(HS_STATE_HUNCHED, 61.0, buf,
	                                          sizeof buf),
	                 0);
	assert_string_equal(buf, "Hunched for 1 minute");
	assert_int_equal(hs_notify_format_summary(HS_STATE_LOOKING_DOWN, 3900.0,
	                                          buf, sizeof buf),
	                 0);
	assert_string_equal(buf, "Looking down for 1 hour 5 minutes");
	assert_int_equal(
	        hs_notify_format_summary(HS_STATE_COUNT, 45.0, buf, sizeof buf),
	        HS_EINVAL);
	assert_int_equal(
	        hs_notify_format_summary(HS_STATE_HUNCHED, 45.0, buf, 10),
	        HS_ERANGE);
}

static void body_carries_advice_and_link_in_each_style(void **state)
{
	(void)state;
	const char *advice = "Sit tall & breathe <slowly>.";
	const char *url = "file:///tmp/a&b/advice\".html#hunched";
	char buf[512];

	assert_int_equal(hs_notify_format_body(advice, url, HS_BODY_PLAIN, buf,
	                                       sizeof buf),
	                 0);
	assert_string_equal(buf, "Sit tall & breathe <slowly>.\n"
	                         "file:///tmp/a&b/advice\".html#hunched");

	assert_int_equal(hs_notify_format_body(advice, url, HS_BODY_MARKUP, buf,
	                                       sizeof buf),
	                 0);
	assert_string_equal(buf, "Sit tall &amp; breathe &lt;slowly&gt;.\n"
	                         "file:///tmp/a&amp;b/advice\".html#hunched");

	assert_int_equal(hs_notify_format_body(advice, url, HS_BODY_HYPERLINK,
	                                       buf, sizeof buf),
	                 0);
	assert_string_equal(buf,
	                    "Sit tall &amp; breathe &lt;slowly&gt;.\n"
	                    "<a href=\"file:///tmp/a&amp;b/advice&quot;.html"
	                    "#hunched\">Show advice</a>");

	assert_int_equal(
	        hs_notify_format_body(advice, url, HS_BODY_HYPERLINK, buf, 40),
	        HS_ERANGE);
	assert_string_equal(buf, "");
}

static void alert_gets_advice_for_its_posture(void **state)
{
	(void)state;
	hs_alert_msg m;
	assert_int_equal(hs_notify_format(&m, HS_STATE_HUNCHED, 45.0), 0);
	assert_int_equal(m.kind, HS_STATE_HUNCHED);
	assert_string_equal(m.summary, "Hunched for 45 seconds");
	assert_string_equal(m.advice,
	                    hs_advice_get(HS_ADVICE_HUNCHED)->sentence);
	assert_true(strncmp(m.advice_url, "file:///", 8) == 0);
	const char *hash = strrchr(m.advice_url, '#');
	assert_non_null(hash);
	assert_string_equal(hash, "#hunched");

	assert_int_equal(hs_notify_format(&m, HS_STATE_LOOKING_DOWN, 150.0), 0);
	assert_string_equal(m.summary, "Looking down for 2 minutes");
	assert_string_equal(m.advice,
	                    hs_advice_get(HS_ADVICE_LOOKING_DOWN)->sentence);
	assert_string_equal(strrchr(m.advice_url, '#'), "#looking-down");
	/* "Snooze" lasts as [alerts] snooze_min says when nobody sets it:
	 * the table's default, not a number of notify.c's own. */
	assert_true(m.snooze_min == hs_config_builtin.snooze_min);

	/* Only bad postures alert; msg is left alone otherwise. */
	assert_int_equal(hs_notify_format(&m, HS_STATE_UPRIGHT, 45.0),
	                 HS_EINVAL);
	assert_int_equal(hs_notify_format(&m, HS_STATE_AWAY, 45.0), HS_EINVAL);
	assert_string_equal(m.summary, "Looking down for 2 minutes");
}

/* ---- choosing a back-end, with fake back-ends -----------------------------
 */

static struct fakes {
	int desktop_open_rc;
	int desktop_send_rc;
	int desktop_opens, desktop_sends, desktop_closes;
	int terminal_opens, terminal_sends, terminal_closes;
	bool snooze;
	char last_summary[HS_NOTIFY_SUMMARY_MAX];
} fk;

static int desk_state_token;

static int fake_desktop_open(void **st)
{
	fk.desktop_opens++;
	if (fk.desktop_open_rc < 0)
		return fk.desktop_open_rc;
	*st = &desk_state_token;
	return 0;
}

static int fake_desktop_send(void *st, const hs_alert_msg *m)
{
	assert_ptr_equal(st, &desk_state_token);
	fk.desktop_sends++;
	if (fk.desktop_send_rc < 0)
		return fk.desktop_send_rc;
	snprintf(fk.last_summary, sizeof fk.last_summary, "%s", m->summary);
	return 0;
}

static void fake_poll(void *st)
{
	(void)st;
}

static bool fake_take_snooze(void *st)
{
	(void)st;
	bool s = fk.snooze;
	fk.snooze = false;
	return s;
}

static bool fake_take_nothing(void *st)
{
	(void)st;
	return false;
}

static void fake_desktop_close(void *st)
{
	if (st)
		fk.desktop_closes++;
}

static int fake_terminal_open(void **st)
{
	fk.terminal_opens++;
	*st = NULL;
	return 0;
}

static int fake_terminal_send(void *st, const hs_alert_msg *m)
{
	(void)st;
	fk.terminal_sends++;
	snprintf(fk.last_summary, sizeof fk.last_summary, "%s", m->summary);
	return 0;
}

static void fake_terminal_close(void *st)
{
	(void)st;
	fk.terminal_closes++;
}

static const hs_notifier_ops fake_desktop = {
	.name = "fake-desktop",
	.open = fake_desktop_open,
	.send = fake_desktop_send,
	.poll = fake_poll,
	.take_snooze = fake_take_snooze,
	.take_show_advice = fake_take_nothing,
	.close = fake_desktop_close,
};

static const hs_notifier_ops fake_terminal = {
	.name = "fake-terminal",
	.open = fake_terminal_open,
	.send = fake_terminal_send,
	.poll = fake_poll,
	.take_snooze = fake_take_nothing,
	.take_show_advice = fake_take_nothing,
	.close = fake_terminal_close,
};

static int reset_fakes(void **state)
{
	(void)state;
	memset(&fk, 0, sizeof fk);
	return 0;
}

/* hs_notify_create_from() with the fake back-ends. */
static int create_fake(const char *mode, hs_notify **n)
{
	return hs_notify_create_from(mode, &fake_desktop, &fake_terminal, n);
}

/* create_fake() with what it writes to stderr into *err (to free). */
static int create_fake_capturing(const char *mode, hs_notify **n, char **err)
{
	captured c;
	capture_stderr(&c);
	int rc = create_fake(mode, n);
	*err = release_stderr(&c);
	return rc;
}

static void auto_uses_the_desktop_when_it_starts(void **state)
{
	(void)state;
	hs_notify *n = NULL;
	assert_int_equal(create_fake("auto", &n), 0);
	assert_string_equal(hs_notify_backend(n), "fake-desktop");
	hs_alert_msg m;
	make_msg(&m, HS_STATE_HUNCHED, 45.0, NULL);
	assert_int_equal(hs_notify_send(n, &m), 0);
	assert_int_equal(fk.desktop_sends, 1);
	assert_int_equal(fk.terminal_sends, 0);
	assert_int_equal(fk.terminal_opens, 0);

	fk.snooze = true;
	assert_true(hs_notify_take_snooze(n));
	assert_false(hs_notify_take_snooze(n));
	hs_notify_destroy(n);
	assert_int_equal(fk.desktop_closes, 1);
	hs_notify_destroy(NULL);
}

static void auto_falls_back_to_terminal_and_warns_once(void **state)
{
	(void)state;
	fk.desktop_open_rc = HS_ENOSERVER;
	hs_notify *n = NULL;
	captured c;
	capture_stderr(&c);
	int rc = create_fake("auto", &n);
	hs_alert_msg m;
	make_msg(&m, HS_STATE_HUNCHED, 45.0, NULL);
	int rc1 = rc == 0 ? hs_notify_send(n, &m) : rc;
	make_msg(&m, HS_STATE_LOOKING_DOWN, 120.0, NULL);
	int rc2 = rc == 0 ? hs_notify_send(n, &m) : rc;
	char *err = release_stderr(&c);

	assert_int_equal(rc, 0);
	assert_int_equal(rc1, 0);
	assert_int_equal(rc2, 0);
	assert_string_equal(hs_notify_backend(n), "fake-terminal");
	assert_int_equal(fk.terminal_sends, 2);
	assert_string_equal(fk.last_summary, "Looking down for 2 minutes");
	assert_int_equal(count_of(err, warning_text), 1);
	free(err);
	hs_notify_destroy(n);
	assert_int_equal(fk.terminal_closes, 1);
	assert_int_equal(fk.desktop_closes, 0);
}

/* Started with the session before its notification server: "auto" asks
 * again at the first alert and then at most every HS_NOTIFY_RETRY_S, and
 * once a server answers, alerts go to the desktop (one warning says so),
 * with the terminal, already open, as their fallback. */
static void auto_takes_up_a_server_that_starts_later(void **state)
{
	(void)state;
	fk.desktop_open_rc = HS_ENOSERVER;
	hs_notify *n = NULL;
	captured c;
	capture_stderr(&c);
	assert_int_equal(create_fake("auto", &n), 0);
	hs_alert_msg m;
	make_msg(&m, HS_STATE_HUNCHED, 45.0, NULL);
	assert_int_equal(hs_notify_send(n, &m), 0); /* asks again: none */
	assert_int_equal(fk.desktop_opens, 2);
	fk.desktop_open_rc = 0;                     /* the server is up now */
	assert_int_equal(hs_notify_send(n, &m), 0); /* within a minute */
	assert_int_equal(fk.desktop_opens, 2);
	assert_int_equal(fk.terminal_sends, 2);
	assert_string_equal(hs_notify_backend(n), "fake-terminal");

	hs_notify_set_retry(n, 0); /* as if the minute had passed */
	assert_int_equal(hs_notify_send(n, &m), 0);
	assert_int_equal(fk.desktop_opens, 3);
	assert_int_equal(fk.desktop_sends, 1);
	assert_string_equal(hs_notify_backend(n), "fake-desktop");
	/* the desktop failing now: the terminal, opened once, takes it */
	fk.desktop_send_rc = HS_EIO;
	assert_int_equal(hs_notify_send(n, &m), 0);
	assert_int_equal(fk.terminal_sends, 3);
	assert_int_equal(fk.terminal_opens, 1);
	assert_int_equal(fk.desktop_opens, 3); /* never asked again */
	char *err = release_stderr(&c);
	assert_int_equal(count_of(err, "a notification server answers now; "
	                               "alerts go to the desktop"),
	                 1);
	free(err);
	hs_notify_destroy(n);
	assert_int_equal(fk.desktop_closes, 1);
	assert_int_equal(fk.terminal_closes, 1);
}

static void auto_falls_back_on_other_desktop_failures_too(void **state)
{
	(void)state;
	fk.desktop_open_rc = HS_ENOMEM;
	hs_notify *n = NULL;
	char *err;
	int rc = create_fake_capturing("auto", &n, &err);
	assert_int_equal(rc, 0);
	assert_string_equal(hs_notify_backend(n), "fake-terminal");
	assert_int_equal(count_of(err, "alerts go to the terminal"), 1);
	assert_non_null(strstr(err, "out of memory"));
	free(err);
	hs_notify_destroy(n);
}

static void desktop_mode_without_server_is_an_error(void **state)
{
	(void)state;
	fk.desktop_open_rc = HS_ENOSERVER;
	hs_notify *n = (hs_notify *)&desk_state_token;
	char *err;
	int rc = create_fake_capturing("desktop", &n, &err);
	assert_int_equal(rc, HS_ENOSERVER);
	assert_ptr_equal(n, &desk_state_token); /* untouched */
	assert_int_equal(fk.terminal_opens, 0);
	assert_non_null(strstr(err, "no notification server"));
	free(err);
}

static void terminal_mode_never_tries_the_desktop(void **state)
{
	(void)state;
	hs_notify *n = NULL;
	assert_int_equal(create_fake("terminal", &n), 0);
	assert_int_equal(fk.desktop_opens, 0);
	assert_string_equal(hs_notify_backend(n), "fake-terminal");
	hs_notify_destroy(n);
}

static void unknown_mode_is_refused(void **state)
{
	(void)state;
	hs_notify *n = NULL;
	char *err;
	int rc = create_fake_capturing("popup", &n, &err);
	assert_int_equal(rc, HS_EINVAL);
	assert_null(n);
	assert_int_equal(fk.desktop_opens + fk.terminal_opens, 0);
	assert_non_null(strstr(err, "'popup'"));
	free(err);
}

static void failed_desktop_send_goes_to_terminal(void **state)
{
	(void)state;
	hs_notify *n = NULL;
	assert_int_equal(create_fake("auto", &n), 0);
	hs_alert_msg m;
	make_msg(&m, HS_STATE_HUNCHED, 45.0, NULL);
	fk.desktop_send_rc = HS_ENOSERVER;
	captured c;
	capture_stderr(&c);
	int rc1 = hs_notify_send(n, &m);
	int rc2 = hs_notify_send(n, &m);
	char *err = release_stderr(&c);
	assert_int_equal(rc1, 0);
	assert_int_equal(rc2, 0);
	assert_int_equal(fk.terminal_sends, 2);
	assert_int_equal(count_of(err, "goes to the terminal"), 1);
	free(err);

	/* The server is back: the next alert is a notification again. */
	fk.desktop_send_rc = 0;
	assert_int_equal(hs_notify_send(n, &m), 0);
	assert_int_equal(fk.desktop_sends, 3);
	assert_int_equal(fk.terminal_sends, 2);
	hs_notify_destroy(n);
	assert_int_equal(fk.terminal_closes, 1);
}

/* ---- the real back-ends without any session bus -------------------------- */

static char *saved_env(const char *name)
{
	const char *v = getenv(name);
	return v ? strdup(v) : NULL;
}

static void restore_env(const char *name, char *value)
{
	if (value)
		setenv(name, value, 1);
	else
		unsetenv(name);
	free(value);
}

/* With bus set as DBUS_SESSION_BUS_ADDRESS (NULL: unset) and a runtime
 * folder without a bus socket, "auto" must pick the console quickly and
 * say so once, and the alert must reach the terminal. */
static void check_no_bus(const char *bus, double max_s)
{
	char runtime[64];
	hs_test_tmpdir(runtime, sizeof runtime);
	char *old_bus = saved_env("DBUS_SESSION_BUS_ADDRESS");
	char *old_runtime = saved_env("XDG_RUNTIME_DIR");
	if (bus)
		setenv("DBUS_SESSION_BUS_ADDRESS", bus, 1);
	else
		unsetenv("DBUS_SESSION_BUS_ADDRESS");
	setenv("XDG_RUNTIME_DIR", runtime, 1);

	hs_notify *n = NULL, *d = NULL;
	hs_alert_msg m;
	make_msg(&m, HS_STATE_HUNCHED, 45.0, NULL);
	captured c;
	capture_stderr(&c);
	double t0 = now_s();
	int rc = hs_notify_create("auto", &n);
	double took = now_s() - t0;
	int rc_send = rc == 0 ? hs_notify_send(n, &m) : rc;
	int rc_desktop = hs_notify_create("desktop", &d);
	char *err = release_stderr(&c);

	restore_env("DBUS_SESSION_BUS_ADDRESS", old_bus);
	restore_env("XDG_RUNTIME_DIR", old_runtime);
	hs_test_rmtree(runtime);

	assert_int_equal(rc, 0);
	if (took >= max_s)
		fprintf(stderr, "choosing the console took %.1f s\n", took);
	assert_true(took < max_s);
	assert_string_equal(hs_notify_backend(n), "console");
	assert_int_equal(rc_send, 0);
	assert_int_equal(count_of(err, warning_text), 1);
	char line[HS_NOTIFY_SUMMARY_MAX + HS_NOTIFY_ADVICE_MAX +
	          HS_NOTIFY_URL_MAX + 32];
	snprintf(line, sizeof line, "headsup: Hunched for 45 seconds - %s %s\n",
	         m.advice, m.advice_url);
	assert_int_equal(count_of(err, line), 1);
	assert_int_equal(rc_desktop, HS_ENOSERVER);
	assert_null(d);
	assert_false(hs_notify_take_snooze(n));
	hs_notify_poll(n);
	free(err);
	hs_notify_destroy(n);
}

/* The terminal's line starts with the local time (HH:MM:SS, as the
 * monitor's log lines) at which it was shown, so that someone reading the
 * terminal later knows when. */
static void terminal_line_says_when(void **state)
{
	(void)state;
	char *old_tz = saved_env("TZ");
	hs_alert_msg m;
	make_msg(&m, HS_STATE_HUNCHED, 45.0, "file:///a/advice.html#hunched");
	char line[HS_NOTIFY_SUMMARY_MAX + HS_NOTIFY_ADVICE_MAX +
	          HS_NOTIFY_URL_MAX + 32],
	        want[sizeof line];
	const double at = 1795701959.9; /* 2026-11-26 14:05:59.9 UTC */
	setenv("TZ", "UTC0", 1);
	tzset();
	assert_int_equal(hs_notify_format_line(&m, at, line, sizeof line), 0);
	snprintf(want, sizeof want,
	         "14:05:59 headsup: Hunched for 45 seconds - %s "
	         "file:///a/advice.html#hunched\n",
	         m.advice);
	assert_string_equal(line, want);
	setenv("TZ", "CET-1", 1); /* local time, not UTC */
	tzset();
	assert_int_equal(hs_notify_format_line(&m, at, line, sizeof line), 0);
	assert_true(strncmp(line, "15:05:59 headsup: Hunched", 25) == 0);
	assert_int_equal(hs_notify_format_line(&m, at, line, 20), HS_ERANGE);
	assert_string_equal(line, "");
	assert_int_equal(hs_notify_format_line(&m, NAN, line, sizeof line),
	                 HS_EINVAL);

	/* The terminal back-end prints it at the time it shows it.  Read on
	 * the clock it uses: time() may lag it by a tick, a second behind
	 * just after the second turns. */
	captured c;
	capture_stderr(&c);
	const time_t before = (time_t)floor(hs_clock_wall());
	int rc = hs_notifier_console.send(NULL, &m);
	const time_t after = (time_t)floor(hs_clock_wall());
	char *err = release_stderr(&c);
	bool said_then = false; /* at one of the seconds it took */
	for (time_t t = before; t <= after && !said_then; t++) {
		assert_int_equal(
		        hs_notify_format_line(&m, (double)t, want, sizeof want),
		        0);
		said_then = strcmp(err, want) == 0;
	}
	restore_env("TZ", old_tz);
	tzset();
	assert_int_equal(rc, 0);
	if (!said_then)
		fail_msg("the terminal said %swant %s", err, want);
	free(err);
}

static void no_session_bus_falls_back_to_terminal(void **state)
{
	(void)state;
	check_no_bus(NULL, 1.0);
	check_no_bus("unix:path=/nonexistent/headsup-test-bus", 1.0);

	/* A bus that takes the connection but never answers: the probe gives
	 * up after its 3 s connect timeout instead of hanging. */
	char dir[64], addr[128];
	hs_test_tmpdir(dir, sizeof dir);
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	snprintf(sa.sun_path, sizeof sa.sun_path, "%s/bus", dir);
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
	assert_int_equal(listen(fd, 4), 0);
	snprintf(addr, sizeof addr, "unix:path=%s", sa.sun_path);
	check_no_bus(addr, 6.0);
	close(fd);
	hs_test_rmtree(dir);
}

/* A session bus reached over TCP (DBUS_SESSION_BUS_ADDRESS=tcp:..., as a
 * forwarded or misconfigured session may set) would carry every alert's
 * text over the network.  It is never connected to, not even in a list
 * where a unix: address comes first: "auto" says once, in plain words,
 * that desktop notifications are off and why, and alerts go to the
 * terminal from the start, without asking for the bus again later;
 * "desktop" fails, saying why.  A listener on the port counts any
 * connection. */
static void a_bus_over_the_network_is_never_used(void **state)
{
	(void)state;
	int lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	assert_true(lfd >= 0);
	struct sockaddr_in sin = { .sin_family = AF_INET };
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(lfd, (struct sockaddr *)&sin, sizeof sin), 0);
	assert_int_equal(listen(lfd, 8), 0);
	socklen_t len = sizeof sin;
	assert_int_equal(getsockname(lfd, (struct sockaddr *)&sin, &len), 0);
	const unsigned port = ntohs(sin.sin_port);

	char *old_bus = saved_env("DBUS_SESSION_BUS_ADDRESS");
	char addr[2][160];
	snprintf(addr[0], sizeof addr[0], "tcp:host=127.0.0.1,port=%u", port);
	snprintf(addr[1], sizeof addr[1],
	         "unix:path=/nonexistent/headsup-test-bus;"
	         "nonce-tcp:host=127.0.0.1,port=%u",
	         port);
	for (int i = 0; i < 2; i++) {
		setenv("DBUS_SESSION_BUS_ADDRESS", addr[i], 1);
		hs_notify *n = NULL, *d = NULL;
		hs_alert_msg m;
		make_msg(&m, HS_STATE_HUNCHED, 45.0, NULL);
		captured c;
		capture_stderr(&c);
		int rc = hs_notify_create("auto", &n);
		if (rc == 0)
			hs_notify_set_retry(n, 0); /* would ask again at once */
		int rc_send = rc == 0 ? hs_notify_send(n, &m) : rc;
		int rc_again = rc == 0 ? hs_notify_send(n, &m) : rc;
		int rc_desktop = hs_notify_create("desktop", &d);
		char *err = release_stderr(&c);
		int taken = accept(lfd, NULL, NULL);
		if (taken >= 0)
			close(taken);

		assert_int_equal(taken, -1); /* nobody connected */
		assert_int_equal(rc, 0);
		assert_string_equal(hs_notify_backend(n), "console");
		assert_int_equal(rc_send, 0);
		assert_int_equal(rc_again, 0);
		assert_int_equal(count_of(err, "warning: desktop notifications "
		                               "are off: the session bus "
		                               "address"),
		                 1);
		assert_int_equal(count_of(err, "is not a socket on this "
		                               "machine"),
		                 2); /* once for auto, once for desktop */
		assert_int_equal(count_of(err, "headsup: Hunched for 45 "
		                               "seconds"),
		                 2);
		assert_int_equal(count_of(err, warning_text), 0);
		assert_int_equal(rc_desktop, HS_ENOTLOCAL);
		assert_null(d);
		free(err);
		hs_notify_destroy(n);
	}
	restore_env("DBUS_SESSION_BUS_ADDRESS", old_bus);
	close(lfd);
}

/* ---- a real round trip through dunst ------------------------------------- */

static const char *session_dir;

/* Skip unless we are inside desktop-session.sh with dunst answering. */
static bool in_dunst_session(void)
{
	session_dir = getenv("HEADSUP_SESSION_DIR");
	const char *bus = getenv("DBUS_SESSION_BUS_ADDRESS");
	if (!session_dir || !session_dir[0] || !bus || !bus[0]) {
		fprintf(stderr,
		        "SKIPPED: not inside a private desktop session; run "
		        "tests/support/desktop-session.sh %s (ctest: "
		        "test_notify_dunst)\n",
		        "test_notify");
		return false;
	}
	char out[2048];
	int st = hs_test_run(
	        "dbus-send --session --print-reply "
	        "--dest=org.freedesktop.Notifications "
	        "/org/freedesktop/Notifications "
	        "org.freedesktop.Notifications.GetServerInformation 2>&1",
	        out, sizeof out);
	/* Inside our own session dunst must be there: fail, not skip. */
	if (st != 0 || !strstr(out, "string \"dunst\""))
		fail_msg("the session's notification server is not dunst:\n%s",
		         out);
	return true;
}

#define REQUIRE_DUNST()                    \
	do {                               \
		if (!in_dunst_session()) { \
			skip();            \
			return;            \
		}                          \
	} while (0)

/* No notification on screen, and a "desktop" notifier. */
static hs_notify *desktop_on_a_clear_screen(void)
{
	hs_test_run("dunstctl close-all", NULL, 0);
	hs_notify *n = NULL;
	assert_int_equal(hs_notify_create("desktop", &n), 0);
	return n;
}

/* JSON text without the whitespace between tokens, so that searches do
 * not depend on how dunstctl pretty-prints. */
static char *json_squeeze(const char *src)
{
	char *out = malloc(strlen(src) + 1);
	assert_non_null(out);
	char *o = out;
	bool in_str = false;
	for (const char *p = src; *p; p++) {
		if (in_str) {
			*o++ = *p;
			if (*p == '\\' && p[1])
				*o++ = *++p;
			else if (*p == '"')
				in_str = false;
		} else if (*p == '"') {
			in_str = true;
			*o++ = *p;
		} else if (*p != ' ' && *p != '\t' && *p != '\n' &&
		           *p != '\r') {
			*o++ = *p;
		}
	}
	*o = '\0';
	return out;
}

/* "\"key\":{\"type\":\"s\",\"data\":\"<value as JSON>\"}" */
static void json_field(char *buf, size_t size, const char *key,
                       const char *value)
{
	size_t n = (size_t)snprintf(buf, size,
	                            "\"%s\":{\"type\":\"s\",\"data\":\"", key);
	for (const char *p = value; *p && n + 8 < size; p++) {
		if (*p == '"' || *p == '\\') {
			buf[n++] = '\\';
			buf[n++] = *p;
		} else if (*p == '\n') {
			buf[n++] = '\\';
			buf[n++] = 'n';
		} else {
			buf[n++] = *p;
		}
	}
	snprintf(buf + n, size - n, "\"}");
}

/* dunst's history as it is now: the notifications closed so far (by the
 * user, or by the program that sent them), none of those on screen. */
static char *dunst_closed(void)
{
	char *raw = malloc(1 << 20);
	assert_non_null(raw);
	assert_int_equal(hs_test_run("dunstctl history", raw, 1 << 20), 0);
	char *squeezed = json_squeeze(raw);
	free(raw);
	return squeezed;
}

/* Every notification shown so far: those on screen are closed first. */
static char *dunst_history(void)
{
	assert_int_equal(hs_test_run("dunstctl close-all", NULL, 0), 0);
	/* close-all is a D-Bus call; history is read in the next call. */
	return dunst_closed();
}

static int dunst_displayed(void)
{
	char out[64];
	assert_int_equal(
	        hs_test_run("dunstctl count displayed", out, sizeof out), 0);
	return atoi(out);
}

static void dunst_shows_summary_and_body(void **state)
{
	(void)state;
	REQUIRE_DUNST();
	hs_notify *n = desktop_on_a_clear_screen();
	assert_string_equal(hs_notify_backend(n), "libnotify");
	hs_alert_msg m;
	make_msg(&m, HS_STATE_HUNCHED, 45.0, NULL);
	assert_int_equal(hs_notify_send(n, &m), 0);
	hs_notify_poll(n);
	char *history = dunst_history();

	char want[8192], body[8192];
	json_field(want, sizeof want, "summary", "Hunched for 45 seconds");
	assert_non_null(strstr(history, want));
	/* dunst lists body-hyperlinks, so the link is an <a href>. */
	snprintf(body, sizeof body, "%s\n<a href=\"%s\">Show advice</a>",
	         hs_advice_get(HS_ADVICE_HUNCHED)->sentence, m.advice_url);
	json_field(want, sizeof want, "body", body);
	if (!strstr(history, want))
		fprintf(stderr, "want %s\nhistory: %s\n", want, history);
	assert_non_null(strstr(history, want));
	json_field(want, sizeof want, "appname", "headsup");
	assert_non_null(strstr(history, want));
	json_field(want, sizeof want, "category", "x-headsup.posture");
	assert_non_null(strstr(history, want));
	free(history);
	hs_notify_destroy(n);
}

/* Installed to a prefix the desktop does not search (its data folders lack
 * it), the notification still shows headsup's own icon: the one installed
 * beside the program, by its file URI.  Before, a stock icon. */
static void the_icon_installed_with_the_program_is_shown(void **state)
{
	(void)state;
	REQUIRE_DUNST();
	char root[64], dir[PATH_MAX], cmd[3 * PATH_MAX];
	hs_test_tmpdir(root, sizeof root);
	snprintf(cmd, sizeof cmd,
	         "mkdir -p '%s/share/headsup' '%s/share/icons/hicolor/"
	         "scalable/apps' '%s/empty' && cp '%s/dist/headsup.svg' "
	         "'%s/share/icons/hicolor/scalable/apps/'",
	         root, root, root, HS_SOURCE_DIR, root);
	assert_int_equal(hs_test_run(cmd, NULL, 0), 0);
	char *old_data = saved_env("HEADSUP_DATA_DIR");
	char *old_dirs = saved_env("XDG_DATA_DIRS");
	char *old_home = saved_env("XDG_DATA_HOME");
	snprintf(dir, sizeof dir, "%s/share/headsup", root);
	setenv("HEADSUP_DATA_DIR", dir, 1);
	snprintf(dir, sizeof dir, "%s/empty", root);
	setenv("XDG_DATA_DIRS", dir, 1);
	setenv("XDG_DATA_HOME", dir, 1);

	hs_notify *n = desktop_on_a_clear_screen();
	hs_alert_msg m;
	make_msg(&m, HS_STATE_HUNCHED, 45.0, NULL);
	assert_int_equal(hs_notify_send(n, &m), 0);
	hs_notify_poll(n);
	char *history = dunst_history();
	char want[PATH_MAX + 128];
	snprintf(dir, sizeof dir,
	         "%s/share/icons/hicolor/scalable/apps/headsup.svg", root);
	json_field(want, sizeof want, "icon_path", dir);
	if (!strstr(history, want))
		fprintf(stderr, "want %s\nhistory: %s\n", want, history);
	assert_non_null(strstr(history, want));
	free(history);
	hs_notify_destroy(n);
	restore_env("HEADSUP_DATA_DIR", old_data);
	restore_env("XDG_DATA_DIRS", old_dirs);
	restore_env("XDG_DATA_HOME", old_home);
	hs_test_rmtree(root);
}

/* A notice (the monitor calibrated itself) reaches the desktop as its own
 * kind: app headsup, its own category, the text escaped for a server that
 * reads markup, and it leaves the alerts on screen alone. */
static void notice_reaches_the_desktop_as_a_notice(void **state)
{
	(void)state;
	REQUIRE_DUNST();
	hs_notify *n = desktop_on_a_clear_screen();
	hs_alert_msg m;
	make_msg(&m, HS_STATE_HUNCHED, 45.0, NULL);
	assert_int_equal(hs_notify_send(n, &m), 0);
	assert_int_equal(hs_notify_notice(n, "headsup calibrated itself",
	                                  "sit <upright> & run 'it' \"now\""),
	                 0);
	hs_notify_poll(n);
	assert_int_equal(dunst_displayed(), 2);
	char *history = dunst_history();
	char want[512];
	json_field(want, sizeof want, "summary", "headsup calibrated itself");
	assert_non_null(strstr(history, want));
	/* Quotes stay quotes: some servers show &apos; as it is. */
	json_field(want, sizeof want, "body",
	           "sit &lt;upright&gt; &amp; run 'it' \"now\"");
	if (!strstr(history, want))
		fprintf(stderr, "want %s\nhistory: %s\n", want, history);
	assert_non_null(strstr(history, want));
	json_field(want, sizeof want, "category", "x-headsup.notice");
	assert_non_null(strstr(history, want));
	json_field(want, sizeof want, "category", "x-headsup.posture");
	assert_non_null(strstr(history, want));
	free(history);
	assert_int_equal(hs_notify_notice(n, NULL, "x"), HS_EINVAL);
	hs_notify_destroy(n);
}

/* On the terminal a notice adds nothing: the monitor's log line says it. */
static void terminal_shows_no_notices(void **state)
{
	(void)state;
	hs_notify *n = NULL;
	assert_int_equal(hs_notify_create("terminal", &n), 0);
	captured c;
	capture_stderr(&c);
	int rc = hs_notify_notice(n, "headsup calibrated itself", "text");
	char *err = release_stderr(&c);
	assert_int_equal(rc, 0);
	assert_string_equal(err, "");
	free(err);
	hs_notify_destroy(n);
}

static void newer_alert_replaces_older_of_same_kind(void **state)
{
	(void)state;
	REQUIRE_DUNST();
	hs_notify *n = desktop_on_a_clear_screen();
	/* The three alerts' summaries, as dunst's history gives them. */
	char older[256], newer[256], hunched[256];
	json_field(older, sizeof older, "summary", "Looking down for 1 minute");
	json_field(newer, sizeof newer, "summary",
	           "Looking down for 33 minutes");
	json_field(hunched, sizeof hunched, "summary", "Hunched for 1 minute");
	char *closed = dunst_closed();
	const int had[3] = { count_of(closed, older), count_of(closed, newer),
		             count_of(closed, hunched) };
	free(closed);
	hs_alert_msg m;
	make_msg(&m, HS_STATE_LOOKING_DOWN, 60.0, NULL);
	assert_int_equal(hs_notify_send(n, &m), 0);
	make_msg(&m, HS_STATE_HUNCHED, 60.0, NULL);
	assert_int_equal(hs_notify_send(n, &m), 0);
	make_msg(&m, HS_STATE_LOOKING_DOWN, 2000.0, NULL);
	assert_int_equal(hs_notify_send(n, &m), 0);
	hs_notify_poll(n);
	/* The first "Looking down" made way for the second. */
	assert_int_equal(dunst_displayed(), 2);
	/* It is the older one that went (closed, so in dunst's history): the
	 * newer one stays on screen beside the hunched one. */
	closed = dunst_closed();
	if (count_of(closed, older) - had[0] != 1 ||
	    count_of(closed, newer) - had[1] != 0 ||
	    count_of(closed, hunched) - had[2] != 0) {
		fprintf(stderr, "closed: %s\n", closed);
		fail_msg("not the older 'Looking down' alone was closed "
		         "(dunst's history above)");
	}
	free(closed);
	hs_notify_destroy(n);
	hs_test_run("dunstctl close-all", NULL, 0);
}

/* Wait up to 3 s for dunst to display want notifications (a withdrawal
 * asks no answer of the server, so it may still be on its way). */
static int dunst_displayed_soon(int want)
{
	int shown = dunst_displayed();
	for (double t0 = now_s(); shown != want && now_s() - t0 < 3.0;) {
		sleep_ms(50);
		shown = dunst_displayed();
	}
	return shown;
}

/* Alerts taken back (the user sat up, paused, locked the screen) leave
 * the screen; a notice stays, and nothing more is taken back after. */
static void withdrawn_alerts_leave_the_screen(void **state)
{
	(void)state;
	REQUIRE_DUNST();
	hs_notify *n = desktop_on_a_clear_screen();
	hs_alert_msg m;
	make_msg(&m, HS_STATE_HUNCHED, 45.0, NULL);
	assert_int_equal(hs_notify_send(n, &m), 0);
	make_msg(&m, HS_STATE_LOOKING_DOWN, 50.0, NULL);
	assert_int_equal(hs_notify_send(n, &m), 0);
	assert_int_equal(
	        hs_notify_notice(n, "headsup calibrated itself", "as it says"),
	        0);
	assert_int_equal(dunst_displayed(), 3);
	assert_int_equal(hs_notify_withdraw(n), 2);
	assert_int_equal(dunst_displayed_soon(1), 1);
	char *closed = dunst_closed();
	char want[256];
	json_field(want, sizeof want, "summary", "Hunched for 45 seconds");
	assert_non_null(strstr(closed, want));
	json_field(want, sizeof want, "summary", "Looking down for 50 seconds");
	assert_non_null(strstr(closed, want));
	free(closed);
	assert_int_equal(hs_notify_withdraw(n), 0);
	/* A terminal line cannot be taken back. */
	hs_notify *t = NULL;
	assert_int_equal(hs_notify_create("terminal", &t), 0);
	assert_int_equal(hs_notify_withdraw(t), 0);
	hs_notify_destroy(t);
	hs_notify_destroy(n);
	hs_test_run("dunstctl close-all", NULL, 0);
}

static bool have_gdbus(void)
{
	if (hs_test_run("command -v gdbus >/dev/null", NULL, 0) == 0)
		return true;
	fprintf(stderr, "SKIPPED: gdbus is not installed (package "
	                "libglib2.0-bin)\n");
	return false;
}

/* Stop the session's dunst and start another, which gives out IDs from
 * the start again; desktop-session.sh stops it at the end (its pid in
 * dunst-restarted.pid). */
static void restart_dunst(void)
{
	char cmd[4096];
	snprintf(cmd, sizeof cmd,
	         "owned() { dbus-send --session --print-reply "
	         "--dest=org.freedesktop.DBus /org/freedesktop/DBus "
	         "org.freedesktop.DBus.NameHasOwner "
	         "string:org.freedesktop.Notifications 2>/dev/null | "
	         "grep -q 'boolean true'; }; "
	         "pid=$(gdbus call --session --dest org.freedesktop.DBus "
	         "--object-path /org/freedesktop/DBus --method "
	         "org.freedesktop.DBus.GetConnectionUnixProcessID "
	         "org.freedesktop.Notifications | tr -dc '0-9 ' | "
	         "awk '{ print $NF }'); "
	         "[ -n \"$pid\" ] || exit 1; kill \"$pid\" || exit 1; "
	         "i=0; while owned; do i=$((i+1)); [ $i -lt 100 ] || exit 1; "
	         "sleep 0.1; done; "
	         "dunst -config '%s/dunstrc' >>'%s/dunst.log' 2>&1 </dev/null "
	         "& echo $! >'%s/dunst-restarted.pid'; "
	         "i=0; until owned; do i=$((i+1)); [ $i -lt 100 ] || exit 1; "
	         "sleep 0.1; done",
	         session_dir, session_dir, session_dir);
	assert_int_equal(hs_test_run(cmd, NULL, 0), 0);
}

/* Another program's notification, with the ID it asks to replace (a
 * server that does not have that ID gives it to the new one, as dunst
 * does); the ID it got. */
static int notify_as_another_program(int replaces)
{
	char cmd[600], out[128];
	snprintf(cmd, sizeof cmd,
	         "gdbus call --session --dest org.freedesktop.Notifications "
	         "--object-path /org/freedesktop/Notifications --method "
	         "org.freedesktop.Notifications.Notify chat %d '' Bob "
	         "'lunch?' '[]' '{}' 0",
	         replaces);
	assert_int_equal(hs_test_run(cmd, out, sizeof out), 0);
	/* "(uint32 17,)" */
	const char *id = strstr(out, "uint32 ");
	assert_non_null(id);
	return atoi(id + strlen("uint32 "));
}

/* After the notification server restarts, the IDs headsup kept are the new
 * server's to give to anyone: neither the next alert (which replaces the
 * last of its kind) nor a withdrawal closes the notification another
 * program got with the same ID.  (Before, the next alert closed it.) */
static void a_restarted_server_keeps_other_notifications(void **state)
{
	(void)state;
	REQUIRE_DUNST();
	if (!have_gdbus()) {
		skip();
		return;
	}
	hs_notify *n = desktop_on_a_clear_screen();
	/* The ID dunst gives next is the one after this one's. */
	const int probe = notify_as_another_program(0);
	hs_test_run("dunstctl close-all", NULL, 0);
	hs_alert_msg m;
	make_msg(&m, HS_STATE_HUNCHED, 45.0, NULL);
	assert_int_equal(hs_notify_send(n, &m), 0);
	assert_int_equal(dunst_displayed(), 1);
	/* It got that next ID, the one the new server will hand out again
	 * (IDs only grow in one server); headsup keeps it. */
	char *shown = dunst_history();
	char want_id[64];
	snprintf(want_id, sizeof want_id, "\"id\":{\"type\":\"i\",\"data\":%d}",
	         probe + 1);
	const char *alert_at = strstr(shown, "Hunched for 45 seconds");
	const char *id_at = strstr(shown, want_id);
	if (!alert_at || !id_at)
		fail_msg("the alert did not get ID %d: %s", probe + 1, shown);
	free(shown);

	restart_dunst();
	assert_int_equal(dunst_displayed(), 0);
	/* Another program's notification gets the ID of headsup's alert. */
	assert_int_equal(notify_as_another_program(probe + 1), probe + 1);
	assert_int_equal(dunst_displayed(), 1);

	make_msg(&m, HS_STATE_HUNCHED, 120.0, NULL);
	assert_int_equal(hs_notify_send(n, &m), 0);
	hs_notify_poll(n);
	assert_int_equal(dunst_displayed(), 2); /* Bob's and the new alert */
	/* The new alert is withdrawn from the new server; Bob's stays. */
	assert_int_equal(hs_notify_withdraw(n), 1);
	assert_int_equal(dunst_displayed_soon(1), 1);
	char *closed = dunst_closed();
	char want[256];
	json_field(want, sizeof want, "summary", "Hunched for 2 minutes");
	assert_non_null(strstr(closed, want));
	json_field(want, sizeof want, "summary", "Bob");
	if (strstr(closed, want))
		fprintf(stderr, "closed: %s\n", closed);
	assert_null(strstr(closed, want));
	free(closed);
	hs_notify_destroy(n);
	hs_test_run("dunstctl close-all", NULL, 0);
}

/* Pick an entry of dunst's context menu (see desktop-session.sh). */
static void pick_from_context_menu(const char *entry)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/dmenu-pick", session_dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "%s\n", entry);
	fclose(f);
	assert_int_equal(hs_test_run("dunstctl context", NULL, 0), 0);
}

static void snooze_action_reaches_the_monitor(void **state)
{
	(void)state;
	REQUIRE_DUNST();
	hs_notify *n = desktop_on_a_clear_screen();
	hs_alert_msg m;
	make_msg(&m, HS_STATE_HUNCHED, 90.0, NULL);
	assert_int_equal(hs_notify_send(n, &m), 0);
	assert_false(hs_notify_take_snooze(n));

	pick_from_context_menu("Snooze 30 min (Hunched for 1 minute)");
	bool snoozed = false;
	for (double t0 = now_s(); !snoozed && now_s() - t0 < 5.0;) {
		hs_notify_poll(n);
		snoozed = hs_notify_take_snooze(n);
		if (!snoozed)
			sleep_ms(20);
	}
	assert_true(snoozed);
	assert_false(hs_notify_take_snooze(n)); /* once per click */
	assert_false(hs_notify_take_show_advice(n));

	/* A snooze of 1.5 minutes (alerts.snooze_min) is offered as that,
	 * not rounded to 2. */
	hs_test_run("dunstctl close-all", NULL, 0);
	make_msg(&m, HS_STATE_HUNCHED, 90.0, NULL);
	m.snooze_min = 1.5;
	assert_int_equal(hs_notify_send(n, &m), 0);
	char offered[4200], menu[8192] = "";
	snprintf(offered, sizeof offered, "%s/dmenu-offered", session_dir);
	remove(offered);
	pick_from_context_menu("Snooze 1.5 min (Hunched for 1 minute)");
	snoozed = false;
	for (double t0 = now_s(); !snoozed && now_s() - t0 < 5.0;) {
		hs_notify_poll(n);
		snoozed = hs_notify_take_snooze(n);
		if (!snoozed)
			sleep_ms(20);
	}
	FILE *f = fopen(offered, "r");
	if (f) {
		size_t got = fread(menu, 1, sizeof menu - 1, f);
		menu[got] = '\0';
		fclose(f);
	}
	fprintf(stderr, "offered:\n%s", menu);
	assert_non_null(strstr(menu, "Snooze 1.5 min"));
	assert_true(snoozed);
	hs_notify_destroy(n);
	hs_test_run("dunstctl close-all", NULL, 0);
}

static void show_advice_action_opens_the_page(void **state)
{
	(void)state;
	REQUIRE_DUNST();
	hs_test_run("dunstctl close-all", NULL, 0);
	char dir[64], page[128], url[256], opened_path[4200];
	hs_test_tmpdir(dir, sizeof dir);
	snprintf(page, sizeof page, "%s/advice.html", dir);
	FILE *f = fopen(page, "w");
	assert_non_null(f);
	fputs("<!DOCTYPE html><html><body><h2 id=\"looking-down\">Looking "
	      "down</h2></body></html>\n",
	      f);
	fclose(f);
	snprintf(url, sizeof url, "file://%s#looking-down", page);
	snprintf(opened_path, sizeof opened_path, "%s/opened", session_dir);
	unlink(opened_path);

	hs_notify *n = NULL;
	assert_int_equal(hs_notify_create("desktop", &n), 0);
	hs_alert_msg m;
	make_msg(&m, HS_STATE_LOOKING_DOWN, 125.0, url);
	assert_int_equal(hs_notify_send(n, &m), 0);

	pick_from_context_menu("Show advice (Looking down for 2 minutes)");
	bool asked = false;
	for (double t0 = now_s(); !asked && now_s() - t0 < 5.0;) {
		hs_notify_poll(n);
		asked = hs_notify_take_show_advice(n);
		if (!asked)
			sleep_ms(20);
	}
	assert_true(asked);
	assert_false(hs_notify_take_snooze(n));

	/* The stand-in browser records the URI it was started with. */
	char opened[512] = "";
	for (double t0 = now_s(); now_s() - t0 < 5.0; sleep_ms(50)) {
		FILE *o = fopen(opened_path, "r");
		if (o) {
			size_t got = fread(opened, 1, sizeof opened - 1, o);
			opened[got] = '\0';
			fclose(o);
			if (strchr(opened, '\n'))
				break;
		}
	}
	char want[300];
	snprintf(want, sizeof want, "%s\n", url);
	assert_string_equal(opened, want);
	hs_notify_destroy(n);
	hs_test_run("dunstctl close-all", NULL, 0);
	hs_test_rmtree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(durations_read_in_whole_units),
		cmocka_unit_test(chosen_durations_keep_their_seconds),
		cmocka_unit_test(bad_durations_are_refused),
		cmocka_unit_test(summary_names_posture_and_duration),
		cmocka_unit_test(body_carries_advice_and_link_in_each_style),
		cmocka_unit_test(alert_gets_advice_for_its_posture),
		cmocka_unit_test_setup(auto_uses_the_desktop_when_it_starts,
		                       reset_fakes),
		cmocka_unit_test_setup(
		        auto_falls_back_to_terminal_and_warns_once,
		        reset_fakes),
		cmocka_unit_test_setup(auto_takes_up_a_server_that_starts_later,
		                       reset_fakes),
		cmocka_unit_test_setup(
		        auto_falls_back_on_other_desktop_failures_too,
		        reset_fakes),
		cmocka_unit_test_setup(desktop_mode_without_server_is_an_error,
		                       reset_fakes),
		cmocka_unit_test_setup(terminal_mode_never_tries_the_desktop,
		                       reset_fakes),
		cmocka_unit_test_setup(unknown_mode_is_refused, reset_fakes),
		cmocka_unit_test_setup(failed_desktop_send_goes_to_terminal,
		                       reset_fakes),
		/* Before the dunst tests: GIO keeps the session bus
		 * connection once one was made. */
		cmocka_unit_test(terminal_line_says_when),
		cmocka_unit_test(no_session_bus_falls_back_to_terminal),
		cmocka_unit_test(a_bus_over_the_network_is_never_used),
		cmocka_unit_test(dunst_shows_summary_and_body),
		cmocka_unit_test(the_icon_installed_with_the_program_is_shown),
		cmocka_unit_test(notice_reaches_the_desktop_as_a_notice),
		cmocka_unit_test(terminal_shows_no_notices),
		cmocka_unit_test(newer_alert_replaces_older_of_same_kind),
		cmocka_unit_test(snooze_action_reaches_the_monitor),
		cmocka_unit_test(show_advice_action_opens_the_page),
		cmocka_unit_test(withdrawn_alerts_leave_the_screen),
		/* Last: it replaces the session's dunst. */
		cmocka_unit_test(a_restarted_server_keeps_other_notifications),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
