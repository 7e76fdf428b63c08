/* bench_report.c - how long `report` takes on a year of journal.
 *
 * Writes a year of workdays (one 8-hour session per weekday, a minute row
 * per minute, state changes every few minutes, a few alerts a day) into a
 * temporary journal through the journal API, then times the report of one
 * day and of --days 7: through the library (open, query, build, render)
 * and through the real binary.  Prints the median of several runs in ms.
 *
 * Usage: bench_report [--keep]   (--keep leaves the journal in /tmp)
 */
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "headsup/journal.h"
#include "headsup/report.h"
#include "headsup/timeparse.h"
#include "testutil.h"

#define RUNS 9
#define TARGET_MS 100.0

extern char **environ;

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	return v[n / 2];
}

static unsigned long long rng = 88172645463325252ULL;

static unsigned rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

/* One year of workdays ending at 'last'; returns the minutes written. */
static long generate(const char *path, hs_date last, long *alerts)
{
	hs_journal *j = NULL;
	if (hs_journal_open(path, NULL, &j) != 0)
		return -1;
	long minutes = 0;
	*alerts = 0;
	for (hs_date d = hs_date_add_days(last, -364);
	     hs_date_cmp(d, last) <= 0; d = hs_date_add_days(d, 1)) {
		time_t noon = (time_t)hs_date_start(d) + 12 * 3600;
		struct tm tm;
		localtime_r(&noon, &tm);
		if (tm.tm_wday == 0 || tm.tm_wday == 6)
			continue;
		double start = hs_date_start(d) + 9 * 3600;
		hs_journal_begin_session(j, start, "/dev/video0",
		                         "calibration.ini");
		hs_state state = HS_STATE_UPRIGHT;
		int left = 0;
		for (int m = 0; m < 8 * 60; m++) {
			if (left-- <= 0) {
				unsigned r = rnd(100);
				state = r < 60   ? HS_STATE_UPRIGHT
				        : r < 78 ? HS_STATE_LOOKING_DOWN
				        : r < 90 ? HS_STATE_HUNCHED
				                 : HS_STATE_AWAY;
				left = 1 + (int)rnd(15);
				if ((state == HS_STATE_LOOKING_DOWN ||
				     state == HS_STATE_HUNCHED) &&
				    left > 2) {
					hs_journal_add_alert(
					        j, start + m * 60.0 + 30, state,
					        30, NULL);
					(*alerts)++;
				}
			}
			bool face = state != HS_STATE_AWAY;
			hs_features f = {
				.pitch_delta_deg =
				        state == HS_STATE_LOOKING_DOWN
				                ? 20 + rnd(15)
				                : rnd(6),
				.drop_iod =
				        state == HS_STATE_HUNCHED ? 0.5 : 0.1,
				.has_pitch = true,
			};
			/* Two frames a minute keep the commit pattern of a
			 * real run (dt 30 s), a tenth of the real frame count.
			 */
			for (int k = 0; k < 2; k++)
				hs_journal_add_frame(
				        j, start + m * 60.0 + k * 30, 30, state,
				        face ? &f : NULL, face);
			minutes++;
		}
		hs_journal_end_session(j, start + 8 * 3600);
	}
	hs_journal_close(j);
	return minutes;
}

static double time_library(const char *path, hs_date last, int days,
                           hs_report *keep)
{
	double t0 = now_ms();
	hs_journal *j = NULL;
	if (hs_journal_open_existing(path, &j) != 0)
		return -1;
	hs_report r;
	int rc = hs_report_load(j, last, days, &r);
	hs_journal_close(j);
	if (rc != 0)
		return -1;
	FILE *null = fopen("/dev/null", "w");
	hs_report_write_text(&r, null);
	hs_report_write_json(&r, null);
	fclose(null);
	double t = now_ms() - t0;
	if (keep)
		*keep = r;
	else
		hs_report_finish(&r);
	return t;
}

/* Run argv with stdout to /dev/null; wall time in ms, -1 on failure. */
static double time_spawn(char *const argv[])
{
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	double t0 = now_ms();
	pid_t pid;
	int rc = posix_spawn(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0)
		return -1;
	int status = 0;
	waitpid(pid, &status, 0);
	double t = now_ms() - t0;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? t : -1;
}

static double time_binary(const char *path, const char *date, int days,
                          const char *format)
{
	char bin[PATH_MAX], journal[PATH_MAX], day[16], ndays[16], fmt[16];
	char cmd[] = "report", o_journal[] = "--journal", o_date[] = "--date",
	     o_days[] = "--days", o_format[] = "--format";
	snprintf(bin, sizeof bin, "%s", hs_test_bin());
	snprintf(journal, sizeof journal, "%s", path);
	snprintf(day, sizeof day, "%s", date);
	snprintf(ndays, sizeof ndays, "%d", days);
	snprintf(fmt, sizeof fmt, "%s", format);
	char *const argv[] = { bin,    cmd,   o_journal, journal, o_date, day,
		               o_days, ndays, o_format,  fmt,     NULL };
	return time_spawn(argv);
}

/* The binary's own start-up: `headsup --version`. */
static double time_startup(void)
{
	char bin[PATH_MAX], version[] = "--version";
	snprintf(bin, sizeof bin, "%s", hs_test_bin());
	char *const argv[] = { bin, version, NULL };
	return time_spawn(argv);
}

int main(int argc, char **argv)
{
	bool keep = argc > 1 && strcmp(argv[1], "--keep") == 0;
	char dir[256], path[PATH_MAX];
	hs_test_tmpdir(dir, sizeof dir);
	snprintf(path, sizeof path, "%s/journal.db", dir);
	const hs_date last = { 2026, 3, 2 };
	const char *date = "2026-03-02";

	double t0 = now_ms();
	long alerts = 0;
	long minutes = generate(path, last, &alerts);
	if (minutes < 0) {
		fprintf(stderr, "cannot write the journal %s\n", path);
		return 1;
	}
	struct stat st;
	stat(path, &st);
	printf("journal: %ld minute rows, %ld alerts, %.1f MB, written in "
	       "%.1f s through the journal API\n",
	       minutes, alerts, (double)st.st_size / 1e6,
	       (now_ms() - t0) / 1e3);

	int failed = 0, binary_over = 0;
	static const int cases[] = { 1, 7 };
	static const char *const formats[] = { "text", "html", "json" };
	double startup[RUNS];
	for (int i = 0; i < RUNS; i++)
		startup[i] = time_startup();
	double start_ms = median(startup, RUNS);
	printf("start-up of the binary alone (headsup --version): %.1f ms\n",
	       start_ms);
	for (size_t c = 0; c < 2; c++) {
		double lib[RUNS], bin[3][RUNS];
		hs_report r;
		for (int i = 0; i < RUNS; i++)
			lib[i] = time_library(path, last, cases[c],
			                      i == 0 ? &r : NULL);
		for (int f = 0; f < 3; f++)
			for (int i = 0; i < RUNS; i++)
				bin[f][i] = time_binary(path, date, cases[c],
				                        formats[f]);
		/* Any failed run is a failure, not just a slow median. */
		for (int i = 0; i < RUNS; i++) {
			failed |= lib[i] < 0;
			for (int k = 0; k < 3; k++)
				failed |= bin[k][i] < 0;
		}
		if (lib[0] < 0) {
			fprintf(stderr, "cannot load the report from %s\n",
			        path);
			continue; /* r was never filled */
		}
		double ml = median(lib, RUNS);
		printf("report --days %d: library %.1f ms; binary text %.1f "
		       "ms, "
		       "html %.1f ms, json %.1f ms (median of %d)\n",
		       cases[c], ml, median(bin[0], RUNS), median(bin[1], RUNS),
		       median(bin[2], RUNS), RUNS);
		printf("  figures: monitored %.0f s, upright share %.3f, "
		       "%zu alerts, neck load %.1f kg\n",
		       r.monitored_s, r.share_upright, r.n_alerts,
		       r.neck_load_kg);
		hs_report_finish(&r);
		for (int f = 0; f < 3; f++) {
			double mb = median(bin[f], RUNS);
			if (mb < 0)
				failed = 1;
			else if (mb > TARGET_MS)
				binary_over = 1;
		}
		if (ml < 0 || ml > TARGET_MS)
			failed = 1;
	}
	printf("target <= %.0f ms: library %s; binary %s%s\n", TARGET_MS,
	       failed ? "MISSED" : "met", binary_over ? "MISSED" : "met",
	       binary_over && start_ms > TARGET_MS / 2
	               ? " (most of it is the binary's start-up, above)"
	               : "");
	if (keep)
		printf("journal kept at %s\n", path);
	else
		hs_test_rmtree(dir);
	return failed;
}
