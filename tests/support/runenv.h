/* runenv.h - run the real headsup binary in a private environment.
 *
 * Shared by the integration tests (test_run.c, test_hardening.c).  Each
 * test makes a fresh folder under /tmp with its own XDG_CONFIG_HOME,
 * XDG_DATA_HOME, XDG_STATE_HOME and XDG_RUNTIME_DIR, so nothing of the real
 * user's configuration, journal or running monitor is read or touched.
 * Outside a private desktop session the D-Bus session address points
 * nowhere, so no test can pop up a notification on a real desktop.
 *
 * Runs get LeakSanitizer suppressions for third-party leaks (see
 * support/lsan.supp; no effect outside a sanitizer build).
 *
 * Header-only (static inline) so that tests/CMakeLists.txt needs no change.
 */
#ifndef HEADSUP_RUNENV_H
#define HEADSUP_RUNENV_H

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "headsup/control.h"
#include "testutil.h"

/* snprintf that fails the test, loudly, instead of running a command
 * line that was cut short. */
static inline void hs_runenv_fmt(char *buf, size_t size, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));
static inline void hs_runenv_fmt(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= size) {
		fprintf(stderr,
		        "test error: a %zu-byte buffer is too small for "
		        "'%.60s...'\n",
		        size, buf);
		abort();
	}
}

typedef struct hs_runenv {
	char dir[128];   /* the private folder */
	char vars[2048]; /* "NAME=value ..." for env(1) */
	char log[192];   /* stdout + stderr of the last spawned run */
} hs_runenv;

static inline double hs_runenv_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static inline void hs_runenv_sleep(double s)
{
	struct timespec ts = { (time_t)s,
		               (long)((s - (double)(time_t)s) * 1e9) };
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
	}
}

/* A private environment; with_session keeps the session bus (for tests
 * inside tests/support/desktop-session.sh). */
static inline void hs_runenv_make(hs_runenv *e, bool with_session)
{
	hs_test_tmpdir(e->dir, sizeof e->dir);
	static const char *const sub[] = { "config", "data", "state", "run" };
	char path[256];
	for (size_t i = 0; i < sizeof sub / sizeof sub[0]; i++) {
		hs_runenv_fmt(path, sizeof path, "%s/%s", e->dir, sub[i]);
		if (mkdir(path, 0700) != 0) {
			perror(path);
			abort();
		}
	}
	hs_runenv_fmt(
	        e->vars, sizeof e->vars,
	        "TZ=UTC LC_ALL=C XDG_CONFIG_HOME=%s/config "
	        "XDG_DATA_HOME=%s/data XDG_STATE_HOME=%s/state "
	        "XDG_RUNTIME_DIR=%s/run HOME=%s "
	        "LSAN_OPTIONS=suppressions=%s/tests/support/lsan.supp "
	        "OPENCV_VIDEOIO_PRIORITY_GPHOTO2=0 %s",
	        e->dir, e->dir, e->dir, e->dir, e->dir, HS_SOURCE_DIR,
	        with_session
	                ? ""
	                : "DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent");
	hs_runenv_fmt(e->log, sizeof e->log, "%s/run.log", e->dir);
}

static inline void hs_runenv_free(hs_runenv *e)
{
	hs_test_rmtree(e->dir);
}

/* Remove a variable from the environment of the runs. */
static inline void hs_runenv_unset(hs_runenv *e, const char *name)
{
	/* env(1) wants its options before the assignments. */
	const size_t add = strlen(name) + 4, n = strlen(e->vars);
	if (n + add + 1 > sizeof e->vars)
		abort();
	memmove(e->vars + add, e->vars, n + 1);
	memcpy(e->vars, "-u ", 3);
	memcpy(e->vars + 3, name, add - 4);
	e->vars[add - 1] = ' ';
}

/* Add (or override: env(1) takes the last) one NAME=value. */
static inline void hs_runenv_set(hs_runenv *e, const char *assignment)
{
	size_t n = strlen(e->vars);
	hs_runenv_fmt(e->vars + n, sizeof e->vars - n, " %s", assignment);
}

/* Run "headsup ARGS" to completion; stdout and stderr go to out.  Returns
 * the exit status (-1 when it did not exit normally). */
static inline int hs_runenv_run(const hs_runenv *e, const char *args, char *out,
                                size_t size)
{
	char cmd[8192];
	hs_runenv_fmt(cmd, sizeof cmd, "cd '%s' && env %s '%s' %s 2>&1", e->dir,
	              e->vars, hs_test_bin(), args);
	int st = hs_test_run(cmd, out, size);
	/* Echoed so that a failing test shows what the user would see;
	 * long outputs (reports) only in part. */
	if (out)
		fprintf(stderr, "$ headsup %s  -> %d\n%.1500s%s", args, st, out,
		        strlen(out) > 1500 ? "\n[...]\n" : "");
	return st;
}

/* Run a whole shell command line in the environment (e.g. the binary
 * under strace or valgrind); output as hs_runenv_run(). */
static inline int hs_runenv_shell(const hs_runenv *e, const char *line,
                                  char *out, size_t size)
{
	char cmd[8192];
	hs_runenv_fmt(cmd, sizeof cmd, "cd '%s' && env %s %s 2>&1", e->dir,
	              e->vars, line);
	int st = hs_test_run(cmd, out, size);
	if (out)
		fprintf(stderr, "$ %s  -> %d\n%s", line, st, out);
	return st;
}

/* The processes hs_runenv_spawn() started that no hs_runenv_wait() has
 * reaped yet.  A failed assertion leaves the test by a longjmp, past its
 * own kill and wait: hs_runenv_teardown() ends what it left running, so
 * that no monitor outlives its test (an exit handler does the same for
 * tests without that teardown, and a test program killed outright takes
 * them with it: PR_SET_PDEATHSIG). */
typedef struct hs_runenv_started {
	pid_t owner; /* the test process; its children's exits do nothing */
	size_t n;
	struct {
		pid_t pid;
		char log[192];
	} runs[16];
} hs_runenv_started;

static inline hs_runenv_started *hs_runenv_running(void)
{
	static hs_runenv_started started;
	return &started;
}

static inline void hs_runenv_forget(pid_t pid)
{
	hs_runenv_started *s = hs_runenv_running();
	for (size_t i = 0; i < s->n; i++)
		if (s->runs[i].pid == pid)
			s->runs[i] = s->runs[--s->n];
}

/* Kill and reap every process a test started and left running, saying
 * so.  A cmocka teardown (cmocka_unit_test_teardown()). */
static inline int hs_runenv_teardown(void **state)
{
	(void)state;
	hs_runenv_started *s = hs_runenv_running();
	if (s->owner != getpid())
		return 0;
	while (s->n > 0) {
		const pid_t pid = s->runs[s->n - 1].pid;
		/* Only a child not yet reaped: its pid cannot have been
		 * given to another process. */
		if (waitpid(pid, NULL, WNOHANG) == 0) {
			fprintf(stderr,
			        "test cleanup: killing headsup (pid %ld), left "
			        "running by the test; its output is in %s\n",
			        (long)pid, s->runs[s->n - 1].log);
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
		}
		hs_runenv_forget(pid);
	}
	return 0;
}

static inline void hs_runenv_at_exit(void)
{
	hs_runenv_teardown(NULL);
}

/* Start "headsup ARGS" in the background, output to e->log (appended).
 * The pid returned is headsup's own (the shell execs it). */
static inline pid_t hs_runenv_spawn(hs_runenv *e, const char *args)
{
	char cmd[8192];
	hs_runenv_fmt(cmd, sizeof cmd, "exec env %s '%s' %s >>'%s' 2>&1",
	              e->vars, hs_test_bin(), args, e->log);
	hs_runenv_started *s = hs_runenv_running();
	if (s->owner != getpid()) {
		s->owner = getpid();
		atexit(hs_runenv_at_exit);
	}
	if (s->n == sizeof s->runs / sizeof s->runs[0]) {
		fprintf(stderr, "test error: more than %zu runs at once\n",
		        s->n);
		abort();
	}
	const pid_t parent = getpid();
	pid_t pid = fork();
	if (pid == 0) {
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 ||
		    getppid() != parent || chdir(e->dir) != 0)
			_exit(127);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	if (pid > 0) {
		s->runs[s->n].pid = pid;
		snprintf(s->runs[s->n].log, sizeof s->runs[s->n].log, "%s",
		         e->log);
		s->n++;
	}
	return pid;
}

/* Wait for pid to exit, at most timeout_s; its exit status, 128+signal
 * when killed, or -1 on time-out (then it is killed). */
static inline int hs_runenv_wait(pid_t pid, double timeout_s)
{
	const double end = hs_runenv_now() + timeout_s;
	for (;;) {
		int st;
		pid_t r = waitpid(pid, &st, WNOHANG);
		if (r == pid) {
			hs_runenv_forget(pid);
			return WIFEXITED(st) ? WEXITSTATUS(st)
			                     : 128 + WTERMSIG(st);
		}
		if (r < 0) {
			hs_runenv_forget(pid);
			return -1;
		}
		if (hs_runenv_now() > end) {
			kill(pid, SIGKILL);
			waitpid(pid, &st, 0);
			hs_runenv_forget(pid);
			return -1;
		}
		hs_runenv_sleep(0.02);
	}
}

/* Whole file into a malloc'd string ("" when missing). */
static inline char *hs_runenv_slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t n = 0;
	if (f) {
		fseek(f, 0, SEEK_END);
		long len = ftell(f);
		fseek(f, 0, SEEK_SET);
		buf = malloc((size_t)(len > 0 ? len : 0) + 1);
		if (buf)
			n = fread(buf, 1, (size_t)(len > 0 ? len : 0), f);
		fclose(f);
	} else {
		buf = malloc(1);
	}
	if (!buf)
		abort();
	buf[n] = '\0';
	return buf;
}

/* Wait until the log holds text; false after timeout_s. */
static inline bool hs_runenv_wait_log(const hs_runenv *e, const char *text,
                                      double timeout_s)
{
	const double end = hs_runenv_now() + timeout_s;
	do {
		char *log = hs_runenv_slurp(e->log);
		bool found = strstr(log, text) != NULL;
		free(log);
		if (found)
			return true;
		hs_runenv_sleep(0.05);
	} while (hs_runenv_now() < end);
	return false;
}

static inline int hs_runenv_count(const char *haystack, const char *needle)
{
	int n = 0;
	for (const char *p = strstr(haystack, needle); p;
	     p = strstr(p + 1, needle))
		n++;
	return n;
}

/* The number after "key": in a JSON text (the first one); NAN if none or
 * if what follows is not a number (null, a string). */
static inline double hs_runenv_json_number(const char *json, const char *key)
{
	char pat[128];
	hs_runenv_fmt(pat, sizeof pat, "\"%s\":", key);
	const char *p = strstr(json, pat);
	if (!p)
		return 0.0 / 0.0;
	char *end = NULL;
	double v = strtod(p + strlen(pat), &end);
	return end == p + strlen(pat) ? 0.0 / 0.0 : v;
}

/* Calibrate from the first 'seconds' of a source, into the environment's
 * default calibration file. */
static inline int hs_runenv_calibrate(const hs_runenv *e, const char *source,
                                      double seconds)
{
	char args[4200], out[8192];
	hs_runenv_fmt(args, sizeof args, "calibrate --source '%s' --seconds %g",
	              source, seconds);
	return hs_runenv_run(e, args, out, sizeof out);
}

/* hs_runenv_make(e, false), then calibrated from the first 'seconds' of
 * source (the calibration must succeed). */
static inline void hs_runenv_make_calibrated(hs_runenv *e, const char *source,
                                             double seconds)
{
	hs_runenv_make(e, false);
	assert_int_equal(hs_runenv_calibrate(e, source, seconds), 0);
}

/* Write text to a file under the environment's folder. */
static inline void hs_runenv_write(const hs_runenv *e, const char *rel,
                                   const char *text)
{
	char path[512];
	hs_runenv_fmt(path, sizeof path, "%s/%s", e->dir, rel);
	char *slash = strrchr(path, '/');
	*slash = '\0';
	char cmd[600];
	hs_runenv_fmt(cmd, sizeof cmd, "mkdir -p '%s'", path);
	if (system(cmd) != 0)
		abort();
	*slash = '/';
	FILE *f = fopen(path, "w");
	if (!f) {
		perror(path);
		abort();
	}
	fputs(text, f);
	fclose(f);
}

/* Skip the test (cmocka skip(), which says so) when a fixture is missing;
 * buf must be an array. */
#define REQUIRE_FIXTURE(rel, buf)                             \
	do {                                                  \
		if (!hs_test_fixture(rel, buf, sizeof buf)) { \
			skip();                               \
			return;                               \
		}                                             \
	} while (0)

/* `headsup report --date DATE --format json` in e; the caller frees. */
static inline char *hs_runenv_report(const hs_runenv *e, const char *date)
{
	char args[128];
	hs_runenv_fmt(args, sizeof args, "report --date %s --format json",
	              date);
	char *out = malloc(1 << 16);
	assert_non_null(out);
	assert_int_equal(hs_runenv_run(e, args, out, 1 << 16), 0);
	return out;
}

/* One number of that report. */
static inline double hs_runenv_report_number(const hs_runenv *e,
                                             const char *date, const char *key)
{
	char *json = hs_runenv_report(e, date);
	double v = hs_runenv_json_number(json, key);
	free(json);
	return v;
}

/* A replay of src with the alert settings (sustain 30 s, cooldown
 * 60 s, alerts on the terminal), the file starting at 09:00 on day, plus
 * any extra options; returns headsup's exit status. */
static inline int hs_runenv_run_desk(const hs_runenv *e, const char *src,
                                     const char *day, const char *extra,
                                     char *out, size_t size)
{
	char args[4600];
	hs_runenv_fmt(
	        args, sizeof args,
	        "run --source '%s' --set sustain_s=30 --set cooldown_s=60 "
	        "--set notify=terminal --clock-start %sT09:00:00 %s",
	        src, day, extra);
	return hs_runenv_run(e, args, out, size);
}

/* Ask the monitor running in e for its status line: 0 with the reply, or
 * what hs_control_send() says when it does not answer. */
static inline int hs_runenv_status(const hs_runenv *e, char *reply, size_t size)
{
	char path[512];
	hs_runenv_fmt(path, sizeof path, "%s/run/headsup/control.sock", e->dir);
	reply[0] = '\0';
	return hs_control_send(path, "status", reply, size);
}

/* How many frames the monitor running in e has analysed, read from its
 * status reply ("...; N frames analysed"); -1 when it does not answer. */
static inline long hs_runenv_frames_analysed(const hs_runenv *e)
{
	char reply[HS_CONTROL_LINE_MAX + 2];
	if (hs_runenv_status(e, reply, sizeof reply) != 0)
		return -1;
	const char *n = strstr(reply, " frames analysed");
	if (!n)
		return -1;
	while (n > reply && n[-1] >= '0' && n[-1] <= '9')
		n--;
	return strtol(n, NULL, 10);
}

#endif
