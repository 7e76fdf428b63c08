/* test_journal.c - the posture journal: round trips, migrations, corrupt
 * files, kill safety, locks and a full disk. */
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
#include <sys/wait.h>
#include <unistd.h>

#include "headsup/err.h"
#include "headsup/journal.h"
#include "headsup/log.h"
#include "testutil.h"

/* 2026-03-02 09:00:00 UTC: a Monday, on a minute boundary. */
#define T0 1772442000.0

typedef struct fixture {
	char dir[256];
	char db[PATH_MAX];
} fixture;

static int setup(void **state)
{
	fixture *fx = calloc(1, sizeof *fx);
	hs_test_tmpdir(fx->dir, sizeof fx->dir);
	snprintf(fx->db, sizeof fx->db, "%s/data/headsup/journal.db", fx->dir);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	fixture *fx = *state;
	/* A failed assertion skips a test's own umount: never leave a
	 * mount behind. */
	char cmd[700];
	snprintf(cmd, sizeof cmd,
	         "umount '%s/small' 2>/dev/null; umount '%s/ro' 2>/dev/null; "
	         "true",
	         fx->dir, fx->dir);
	hs_test_run(cmd, NULL, 0);
	hs_test_rmtree(fx->dir);
	free(fx);
	return 0;
}

static double total_seconds(const hs_journal_minute *m, size_t n)
{
	double sum = 0;
	for (size_t i = 0; i < n; i++)
		for (int s = 0; s < HS_STATE_COUNT; s++)
			sum += m[i].state_s[s];
	return sum;
}

static void read_all(const char *path, hs_journal_minute **m, size_t *n)
{
	hs_journal *j = NULL;
	assert_int_equal(hs_journal_open_existing(path, &j), 0);
	assert_int_equal(hs_journal_read_minutes(j, 0, 4e9, m, n), 0);
	hs_journal_close(j);
}

static void round_trip_keeps_minutes_alerts_and_sessions(void **state)
{
	fixture *fx = *state;
	hs_journal *j = NULL;
	char moved[PATH_MAX] = "x";
	assert_int_equal(hs_journal_open(fx->db, moved, &j), 0);
	assert_string_equal(moved, "");

	struct stat st;
	assert_int_equal(stat(fx->db, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	char folder[512];
	snprintf(folder, sizeof folder, "%s/data/headsup", fx->dir);
	assert_int_equal(stat(folder, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);

	assert_int_equal(hs_journal_begin_session(j, T0, "/dev/video0",
	                                          "calibration.ini"),
	                 0);
	/* The WAL file holds journal data too: private like the file. */
	char wal[PATH_MAX + 8];
	snprintf(wal, sizeof wal, "%s-wal", fx->db);
	assert_int_equal(stat(wal, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	/* Minute 0: 40 s upright (pitch 4), then 20 s looking down (pitch 24);
	 * minute 1: 30 s hunched with no pitch, 30 s away. */
	hs_features up = { .pitch_delta_deg = 4,
		           .drop_iod = 0.1,
		           .has_pitch = true };
	hs_features down = { .pitch_delta_deg = 24,
		             .drop_iod = 0.2,
		             .has_pitch = true };
	hs_features hunch = { .drop_iod = 0.6, .has_pitch = false };
	double t = T0;
	for (int i = 0; i < 80; i++, t += 0.5)
		assert_int_equal(hs_journal_add_frame(j, t, 0.5,
		                                      HS_STATE_UPRIGHT, &up,
		                                      true),
		                 0);
	for (int i = 0; i < 40; i++, t += 0.5)
		assert_int_equal(hs_journal_add_frame(j, t, 0.5,
		                                      HS_STATE_LOOKING_DOWN,
		                                      &down, true),
		                 0);
	/* Alerts the table would refuse are refused here, and nothing of
	 * them kept: one such row held every later commit back. */
	assert_int_equal(hs_journal_add_alert(j, t - 1, HS_STATE_HUNCHED, NAN,
	                                      "hunched"),
	                 HS_EINVAL);
	assert_int_equal(hs_journal_add_alert(j, t - 1, HS_STATE_UPRIGHT, 19.0,
	                                      "general"),
	                 HS_EINVAL);
	assert_int_equal(hs_journal_add_alert(j, t - 1, HS_STATE_LOOKING_DOWN,
	                                      19.0, "looking-down"),
	                 0);
	for (int i = 0; i < 60; i++, t += 0.5)
		assert_int_equal(hs_journal_add_frame(j, t, 0.5,
		                                      HS_STATE_HUNCHED, &hunch,
		                                      true),
		                 0);
	for (int i = 0; i < 60; i++, t += 0.5)
		assert_int_equal(hs_journal_add_frame(j, t, 0.5, HS_STATE_AWAY,
		                                      NULL, false),
		                 0);
	assert_int_equal(hs_journal_end_session(j, t), 0);
	hs_journal_close(j);

	assert_int_equal(hs_journal_open_existing(fx->db, &j), 0);
	hs_journal_minute *m = NULL;
	size_t n = 0;
	assert_int_equal(hs_journal_read_minutes(j, T0, T0 + 3600, &m, &n), 0);
	assert_int_equal(n, 2);
	assert_true(m[0].start == T0);
	assert_true(m[1].start == T0 + 60);
	assert_true(fabs(m[0].state_s[HS_STATE_UPRIGHT] - 40) < 1e-9);
	assert_true(fabs(m[0].state_s[HS_STATE_LOOKING_DOWN] - 20) < 1e-9);
	assert_true(fabs(m[1].state_s[HS_STATE_HUNCHED] - 30) < 1e-9);
	assert_true(fabs(m[1].state_s[HS_STATE_AWAY] - 30) < 1e-9);
	/* The minute was written in two commits (the state changed); the
	 * mean must still weigh every frame: (80*4 + 40*24) / 120. */
	assert_true(fabs(m[0].pitch_mean_deg - (80 * 4.0 + 40 * 24.0) / 120) <
	            1e-9);
	assert_int_equal(m[0].frames, 120);
	assert_int_equal(m[0].face_frames, 120);
	assert_int_equal(m[1].frames, 120);
	assert_int_equal(m[1].face_frames, 60);
	assert_int_equal(m[1].pitch_frames, 0);
	assert_int_equal(m[1].drop_frames, 60);
	assert_true(fabs(m[1].drop_mean_iod - 0.6) < 1e-9);
	free(m);

	hs_journal_alert *a = NULL;
	assert_int_equal(hs_journal_read_alerts(j, T0, T0 + 3600, &a, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(a[0].kind, HS_STATE_LOOKING_DOWN);
	assert_true(a[0].t == T0 + 59);
	assert_true(a[0].after_s == 19.0);
	assert_string_equal(a[0].topic, "looking-down");
	free(a);

	hs_journal_session *s = NULL;
	assert_int_equal(hs_journal_read_sessions(j, T0, T0 + 3600, &s, &n), 0);
	assert_int_equal(n, 1);
	assert_true(s[0].start == T0);
	assert_true(s[0].end == T0 + 120);
	assert_string_equal(s[0].source, "/dev/video0");
	assert_string_equal(s[0].calibration, "calibration.ini");
	free(s);
	hs_journal_close(j);

	/* The alert belongs to its session, as its minutes do: a report or
	 * a query of the file by session finds it there. */
	sqlite3 *db = NULL;
	assert_int_equal(
	        sqlite3_open_v2(fx->db, &db, SQLITE_OPEN_READONLY, NULL),
	        SQLITE_OK);
	sqlite3_stmt *q = NULL;
	assert_int_equal(sqlite3_prepare_v2(db,
	                                    "SELECT alerts.session, sessions.id"
	                                    " FROM alerts, sessions",
	                                    -1, &q, NULL),
	                 SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	assert_int_not_equal(sqlite3_column_int64(q, 1), 0);
	assert_int_equal(sqlite3_column_int64(q, 0),
	                 sqlite3_column_int64(q, 1));
	assert_int_equal(sqlite3_step(q), SQLITE_DONE);
	sqlite3_finalize(q);
	sqlite3_close(db);
}

static void frames_need_a_session(void **state)
{
	fixture *fx = *state;
	hs_journal *j = NULL;
	assert_int_equal(hs_journal_open(fx->db, NULL, &j), 0);
	assert_int_equal(
	        hs_journal_add_frame(j, T0, 0.5, HS_STATE_UPRIGHT, NULL, true),
	        HS_EINVAL);
	assert_int_equal(hs_journal_begin_session(j, T0, "x", NULL), 0);
	assert_int_equal(
	        hs_journal_add_frame(j, T0, 0.5, (hs_state)99, NULL, true),
	        HS_EINVAL);
	hs_journal_close(j);
}

static void exec_ok(sqlite3 *db, const char *sql)
{
	char *err = NULL;
	int rc = sqlite3_exec(db, sql, NULL, NULL, &err);
	if (rc != SQLITE_OK)
		fail_msg("%s: %s", sql, err ? err : "?");
}

static int user_version(const char *path)
{
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_stmt *st = NULL;
	assert_int_equal(
	        sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL),
	        SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	int v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

/* A journal in the first layout, written by hand as an old headsup would
 * have: two minutes and an alert. */
static void write_version_1_journal(const char *path)
{
	/* The first layout, written by hand as an old headsup would have. */
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	exec_ok(db,
	        "CREATE TABLE sessions (id INTEGER PRIMARY KEY,"
	        " start_unix REAL NOT NULL, end_unix REAL, source TEXT);"
	        "CREATE TABLE minutes (minute INTEGER NOT NULL,"
	        " session INTEGER NOT NULL, upright_s REAL NOT NULL DEFAULT 0,"
	        " looking_down_s REAL NOT NULL DEFAULT 0,"
	        " hunched_s REAL NOT NULL DEFAULT 0, away_s REAL NOT NULL "
	        "DEFAULT 0,"
	        " pitch_mean_deg REAL, drop_mean_iod REAL,"
	        " frames INTEGER NOT NULL DEFAULT 0,"
	        " face_frames INTEGER NOT NULL DEFAULT 0,"
	        " PRIMARY KEY (minute, session)) WITHOUT ROWID;"
	        "CREATE TABLE alerts (id INTEGER PRIMARY KEY,"
	        " time_unix REAL NOT NULL, kind TEXT NOT NULL, after_s REAL "
	        "NOT NULL);"
	        "INSERT INTO sessions VALUES (1, 1772442000, 1772442120, "
	        "'cam');"
	        "INSERT INTO minutes VALUES (1772442000, 1, 50, 10, 0, 0, 6.5, "
	        "0.1,"
	        " 120, 120);"
	        "INSERT INTO minutes VALUES (1772442060, 1, 0, 0, 45, 15, "
	        "NULL, 0.5,"
	        " 120, 90);"
	        "INSERT INTO alerts VALUES (1, 1772442100, 'hunched', 40);"
	        "PRAGMA user_version = 1;");
	sqlite3_close(db);
}

static void version_1_journal_is_migrated_and_keeps_its_data(void **state)
{
	fixture *fx = *state;
	snprintf(fx->db, sizeof fx->db, "%s/journal.db", fx->dir);
	write_version_1_journal(fx->db);

	hs_journal *j = NULL;
	assert_int_equal(hs_journal_open(fx->db, NULL, &j), 0);
	assert_int_equal(user_version(fx->db), HS_JOURNAL_SCHEMA_VERSION);

	hs_journal_minute *m = NULL;
	size_t n = 0;
	assert_int_equal(hs_journal_read_minutes(j, 0, 4e9, &m, &n), 0);
	assert_int_equal(n, 2);
	assert_true(m[0].state_s[HS_STATE_UPRIGHT] == 50);
	assert_true(m[0].state_s[HS_STATE_LOOKING_DOWN] == 10);
	assert_true(m[0].state_s[HS_STATE_UNCALIBRATED] == 0);
	assert_true(m[0].pitch_mean_deg == 6.5);
	assert_int_equal(m[0].pitch_frames, 120);
	assert_true(m[1].state_s[HS_STATE_HUNCHED] == 45);
	assert_int_equal(m[1].pitch_frames, 0);
	assert_int_equal(m[1].drop_frames, 90);
	assert_true(fabs(m[1].drop_mean_iod - 0.5) < 1e-9);
	free(m);
	hs_journal_alert *a = NULL;
	assert_int_equal(hs_journal_read_alerts(j, 0, 4e9, &a, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(a[0].kind, HS_STATE_HUNCHED);
	assert_string_equal(a[0].topic, "hunched");
	free(a);

	/* New data lands next to the old. */
	assert_int_equal(hs_journal_begin_session(j, T0 + 600, "cam", "auto"),
	                 0);
	assert_int_equal(hs_journal_add_frame(j, T0 + 600, 0.5,
	                                      HS_STATE_UNCALIBRATED, NULL,
	                                      true),
	                 0);
	hs_journal_close(j);
	read_all(fx->db, &m, &n);
	assert_int_equal(n, 3);
	assert_true(m[2].state_s[HS_STATE_UNCALIBRATED] == 0.5);
	free(m);
}

/* An older headsup's journal the user may not write (here: another
 * user's, read-only to them) is read all the same, upgraded in memory,
 * and left as it is; it could not be reported at all ("cannot be
 * upgraded: permission denied"). */
/* Read the journal at path as user nobody, who may not write it: the exit
 * status of a child that expects n minutes, the last with hunched_s. */
static int read_as_nobody(const char *path, size_t want, double hunched_s)
{
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (setgid(65534) != 0 || setuid(65534) != 0)
			_exit(3);
		hs_journal *j = NULL;
		hs_journal_minute *m = NULL;
		size_t n = 0;
		if (hs_journal_open_existing(path, &j) != 0)
			_exit(4);
		if (hs_journal_read_minutes(j, 0, 4e9, &m, &n) != 0 ||
		    n != want ||
		    m[n - 1].state_s[HS_STATE_HUNCHED] != hunched_s)
			_exit(5);
		free(m);
		hs_journal_close(j);
		_exit(0);
	}
	int status = 0;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

/* An older headsup's journal the user may not write (here: another
 * user's, read-only to them) is read all the same, upgraded in memory,
 * and left as it is; it could not be reported at all ("cannot be
 * upgraded: permission denied").  What a monitor wrote last, still in
 * the -wal file (it was killed), is read too. */
static void a_read_only_older_journal_is_read_as_it_is(void **state)
{
	fixture *fx = *state;
	if (geteuid() != 0)
		SKIP_LOUDLY("the read-only case is made by reading as another "
		            "user, which needs root");
	snprintf(fx->db, sizeof fx->db, "%s/journal.db", fx->dir);
	write_version_1_journal(fx->db);
	assert_int_equal(chmod(fx->dir, 0755), 0);
	assert_int_equal(chmod(fx->db, 0644), 0);
	assert_int_equal(read_as_nobody(fx->db, 2, 45), 0);
	assert_int_equal(user_version(fx->db), 1); /* left as it is */
	char wal[PATH_MAX + 8], shm[PATH_MAX + 8];
	snprintf(wal, sizeof wal, "%s-wal", fx->db);
	snprintf(shm, sizeof shm, "%s-shm", fx->db);
	assert_int_not_equal(access(wal, F_OK), 0);

	/* A third minute left in the -wal by a writer that was killed. */
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		sqlite3 *db = NULL;
		if (sqlite3_open(fx->db, &db) != SQLITE_OK ||
		    sqlite3_exec(
		            db,
		            "PRAGMA journal_mode = WAL;"
		            "INSERT INTO minutes VALUES (1772442120, 1, 0, "
		            "0, 30, 30, NULL, 0.5, 120, 60);",
		            NULL, NULL, NULL) != SQLITE_OK)
			_exit(3);
		_exit(0); /* not closed: it stays in the -wal */
	}
	int status = 0;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_int_equal(access(wal, F_OK), 0);
	unlink(shm);
	assert_int_equal(chmod(fx->dir, 01777), 0); /* for nobody's -shm */
	assert_int_equal(read_as_nobody(fx->db, 3, 30), 0);
	assert_int_equal(user_version(fx->db), 1);
}

static void newer_journal_is_refused(void **state)
{
	fixture *fx = *state;
	snprintf(fx->db, sizeof fx->db, "%s/journal.db", fx->dir);
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(fx->db, &db), SQLITE_OK);
	exec_ok(db, "CREATE TABLE future (x); PRAGMA user_version = 99;");
	sqlite3_close(db);
	hs_journal *j = NULL;
	assert_int_equal(hs_journal_open(fx->db, NULL, &j), HS_EFORMAT);
	assert_null(j);
	assert_int_equal(user_version(fx->db), 99);
}

/* The whole file at path (malloc'd; *len its size), NULL when absent. */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 1 << 16, n = 0, got;
	char *buf = malloc(cap);
	assert_non_null(buf);
	while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			buf = realloc(buf, cap *= 2);
			assert_non_null(buf);
		}
	}
	fclose(f);
	*len = n;
	return buf;
}

/* Given another program's database by mistake, neither the monitor nor a
 * report adds a table or changes a byte of it. */
static void another_programs_database_is_left_untouched(void **state)
{
	fixture *fx = *state;
	snprintf(fx->db, sizeof fx->db, "%s/notes.db", fx->dir);
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(fx->db, &db), SQLITE_OK);
	exec_ok(db, "CREATE TABLE notes (body TEXT);"
	            "INSERT INTO notes VALUES ('buy milk');");
	sqlite3_close(db);
	assert_int_equal(chmod(fx->db, 0664), 0);
	size_t len0, len1;
	char *before = slurp(fx->db, &len0);
	assert_non_null(before);

	hs_journal *j = NULL;
	assert_int_equal(hs_journal_open(fx->db, NULL, &j), HS_EFORMAT);
	assert_null(j);
	/* Its mode too (it was made 0600 before the check). */
	struct stat st;
	assert_int_equal(stat(fx->db, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0664);
	assert_int_equal(hs_journal_open_existing(fx->db, &j), HS_EFORMAT);
	assert_null(j);

	char *after = slurp(fx->db, &len1);
	assert_non_null(after);
	assert_int_equal(len1, len0);
	assert_memory_equal(after, before, len0);
	char wal[PATH_MAX + 8];
	snprintf(wal, sizeof wal, "%s-wal", fx->db);
	assert_int_not_equal(access(wal, F_OK), 0);
	free(before);
	free(after);
}

/* A journal at path with one session from T0: 'frames' frames half a
 * second apart, all in 'state'. */
static void write_frames(const char *path, int frames, hs_state state)
{
	hs_journal *j = NULL;
	assert_int_equal(hs_journal_open(path, NULL, &j), 0);
	assert_int_equal(hs_journal_begin_session(j, T0, "cam", NULL), 0);
	for (int i = 0; i < frames; i++)
		assert_int_equal(hs_journal_add_frame(j, T0 + 0.5 * i, 0.5,
		                                      state, NULL, true),
		                 0);
	hs_journal_close(j);
}

/* A journal file another user made first (in a shared folder such as
 * /tmp, for the user to name with --journal) would let them read every
 * session written to it: refused, and left as it is, as is a journal of
 * the user's beside a -wal of another user's, into which SQLite would
 * write.  Reading another user's journal (a report) harms nobody's
 * privacy and still works.  Needs root, to give files away. */
static void another_users_journal_is_refused(void **state)
{
	fixture *fx = *state;
	if (geteuid() != 0) {
		fprintf(stderr, "SKIPPED: giving a file away needs root\n");
		skip();
	}
	snprintf(fx->db, sizeof fx->db, "%s/shared.db", fx->dir);
	FILE *f = fopen(fx->db, "w");
	assert_non_null(f);
	fclose(f);
	assert_int_equal(chmod(fx->db, 0666), 0);
	assert_int_equal(chown(fx->db, 65534, 65534), 0);
	hs_journal *j = NULL;
	assert_int_equal(hs_journal_open_named(fx->db, &j), HS_ENOTOWNER);
	assert_null(j);
	assert_int_equal(hs_journal_open(fx->db, NULL, &j), HS_ENOTOWNER);
	assert_null(j);
	struct stat st;
	assert_int_equal(stat(fx->db, &st), 0);
	assert_int_equal(st.st_size, 0);
	assert_int_equal(st.st_uid, 65534);
	assert_int_equal(st.st_mode & 07777, 0666);

	/* The user's journal, with another user's -wal beside it. */
	snprintf(fx->db, sizeof fx->db, "%s/mine.db", fx->dir);
	write_frames(fx->db, 120, HS_STATE_HUNCHED);
	char wal[PATH_MAX + 8];
	snprintf(wal, sizeof wal, "%s-wal", fx->db);
	f = fopen(wal, "w");
	assert_non_null(f);
	fclose(f);
	assert_int_equal(chmod(wal, 0666), 0);
	assert_int_equal(chown(wal, 65534, 65534), 0);
	assert_int_equal(hs_journal_open_named(fx->db, &j), HS_ENOTOWNER);
	assert_null(j);
	assert_int_equal(unlink(wal), 0);

	/* Another user's journal, readable: a report reads it. */
	assert_int_equal(chown(fx->db, 65534, 65534), 0);
	assert_int_equal(chmod(fx->db, 0644), 0);
	assert_int_equal(hs_journal_open_existing(fx->db, &j), 0);
	hs_journal_minute *m = NULL;
	size_t n = 0;
	assert_int_equal(hs_journal_read_minutes(j, 0, 4e9, &m, &n), 0);
	hs_journal_close(j);
	assert_int_equal(n, 1);
	free(m);
}

/* A journal of the user's that others may read (or write) is made 0600
 * when it is opened to write, with a warning that says so; so are its
 * -wal and -shm files, which take its mode when SQLite makes them. */
static void an_open_journal_is_made_private_and_said(void **state)
{
	fixture *fx = *state;
	snprintf(fx->db, sizeof fx->db, "%s/mine.db", fx->dir);
	write_frames(fx->db, 120, HS_STATE_HUNCHED);
	assert_int_equal(chmod(fx->db, 0666), 0);
	char log[PATH_MAX], got[2048];
	snprintf(log, sizeof log, "%s/stderr", fx->dir);
	const int saved = hs_test_stderr_begin(log);
	assert_true(saved >= 0);
	hs_journal *j = NULL;
	const mode_t old = umask(0);
	int rc = hs_journal_open_named(fx->db, &j);
	umask(old);
	hs_test_stderr_end(saved, log, got, sizeof got);
	assert_int_equal(rc, 0);
	struct stat st;
	assert_int_equal(stat(fx->db, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	static const char *const ends[] = { "-wal", "-shm" };
	for (size_t i = 0; i < 2; i++) {
		char name[PATH_MAX + 8];
		snprintf(name, sizeof name, "%s%s", fx->db, ends[i]);
		if (stat(name, &st) == 0)
			assert_int_equal(st.st_mode & 07777, 0600);
	}
	hs_journal_close(j);
	assert_non_null(strstr(got, fx->db));
	assert_non_null(strstr(got, "mode 0666"));
	assert_non_null(strstr(got, "private to you now"));
}

/* A report reads the journal without writing to it: the bytes stay the
 * same, and an empty file stays empty (it reads as "nothing yet"). */
static void reading_never_writes(void **state)
{
	fixture *fx = *state;
	write_frames(fx->db, 240, HS_STATE_UPRIGHT);
	hs_journal *j = NULL;
	size_t len0, len1;
	char *before = slurp(fx->db, &len0);
	assert_non_null(before);
	hs_journal_minute *m = NULL;
	size_t n = 0;
	read_all(fx->db, &m, &n);
	assert_int_equal(n, 2);
	assert_true(total_seconds(m, n) == 120);
	free(m);
	char *after = slurp(fx->db, &len1);
	assert_int_equal(len1, len0);
	assert_memory_equal(after, before, len0);
	free(before);
	free(after);

	snprintf(fx->db, sizeof fx->db, "%s/empty.db", fx->dir);
	FILE *f = fopen(fx->db, "w");
	assert_non_null(f);
	fclose(f);
	j = NULL;
	assert_int_equal(hs_journal_open_existing(fx->db, &j), HS_ENOENT);
	assert_null(j);
	struct stat st;
	assert_int_equal(stat(fx->db, &st), 0);
	assert_int_equal(st.st_size, 0);
}

/* Does "<db><suffix>" exist? */
static bool companion_exists(const char *db, const char *suffix)
{
	char file[PATH_MAX + 8];
	snprintf(file, sizeof file, "%s%s", db, suffix);
	return access(file, F_OK) == 0;
}

/* With no monitor running, a report leaves the journal's folder as it
 * found it: SQLite's -wal and -shm files, which reading a WAL journal
 * makes, are gone again once it is closed. */
static void reading_leaves_no_wal_files_behind(void **state)
{
	fixture *fx = *state;
	write_frames(fx->db, 240, HS_STATE_UPRIGHT);
	assert_false(companion_exists(fx->db, "-wal"));
	assert_false(companion_exists(fx->db, "-shm"));
	hs_journal_minute *m = NULL;
	size_t n = 0;
	read_all(fx->db, &m, &n);
	assert_true(total_seconds(m, n) == 120);
	free(m);
	assert_false(companion_exists(fx->db, "-wal"));
	assert_false(companion_exists(fx->db, "-shm"));

	/* Through a link too: the files are beside the file linked to. */
	char link[PATH_MAX];
	snprintf(link, sizeof link, "%s/link.db", fx->dir);
	assert_int_equal(symlink(fx->db, link), 0);
	read_all(link, &m, &n);
	assert_true(total_seconds(m, n) == 120);
	free(m);
	assert_false(companion_exists(fx->db, "-wal"));
	assert_false(companion_exists(fx->db, "-shm"));
}

/* A look at the journal as `headsup report` takes it. */
static void look_as_report(const char *path, hs_journal_minute **m, size_t *n)
{
	read_all(path, m, n);
}

/* A look as the sqlite3 shell takes it: a connection that may write,
 * which on closing checkpoints and deletes the -wal file when it finds no
 * other connection's lock. */
static void look_as_sqlite3_shell(const char *path, hs_journal_minute **m,
                                  size_t *n)
{
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	exec_ok(db, "SELECT count(*) FROM sessions");
	assert_int_equal(sqlite3_close(db), SQLITE_OK);
	read_all(path, m, n);
}

/* A look at the journal while a monitor writes (another process, as in
 * real life): the monitor's -wal and -shm files stay, and nothing it
 * wrote, before the look or after, is lost.  The monitor must hold its
 * locks for that; it lost them when it checked its own files' modes
 * after opening (closing a descriptor drops the process's locks). */
static void check_a_look_while_writing(
        fixture *fx, void (*look)(const char *, hs_journal_minute **, size_t *))
{
	int go[2], ready[2];
	assert_int_equal(pipe(go), 0);
	assert_int_equal(pipe(ready), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		hs_journal *j = NULL;
		char c = 0;
		if (hs_journal_open(fx->db, NULL, &j) != 0 ||
		    hs_journal_begin_session(j, T0, "cam", NULL) != 0)
			_exit(3);
		/* 60 s upright, then a change of state, which commits */
		for (int i = 0; i <= 120; i++)
			if (hs_journal_add_frame(j, T0 + 0.5 * i, 0.5,
			                         i < 120 ? HS_STATE_UPRIGHT
			                                 : HS_STATE_HUNCHED,
			                         NULL, true) != 0)
				_exit(4);
		if (write(ready[1], "w", 1) != 1 || read(go[0], &c, 1) != 1)
			_exit(5);
		for (int i = 121; i < 240; i++)
			if (hs_journal_add_frame(j, T0 + 0.5 * i, 0.5,
			                         HS_STATE_HUNCHED, NULL,
			                         true) != 0)
				_exit(6);
		_exit(hs_journal_close(j) == 0 ? 0 : 7);
	}
	close(go[0]);
	close(ready[1]);
	char c = 0;
	assert_int_equal(read(ready[0], &c, 1), 1);

	hs_journal_minute *m = NULL;
	size_t n = 0;
	look(fx->db, &m, &n);
	bool kept = companion_exists(fx->db, "-wal") &&
	            companion_exists(fx->db, "-shm");
	assert_int_equal(write(go[1], "g", 1), 1);
	int status = 0;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	close(go[1]);
	close(ready[0]);
	assert_true(kept);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_true(total_seconds(m, n) == 60.5);
	free(m);

	read_all(fx->db, &m, &n);
	assert_true(total_seconds(m, n) == 120);
	assert_true(m[n - 1].state_s[HS_STATE_HUNCHED] == 60);
	free(m);
	assert_false(companion_exists(fx->db, "-wal"));
	assert_false(companion_exists(fx->db, "-shm"));
}

static void reading_keeps_a_running_writers_files(void **state)
{
	check_a_look_while_writing(*state, look_as_report);
}

static void a_sqlite3_look_keeps_a_running_writers_files(void **state)
{
	check_a_look_while_writing(*state, look_as_sqlite3_shell);
}

/* Rows that no headsup writes (edited by hand, or damaged in a way SQLite
 * cannot see) read as nothing: no infinities, NaN or negative counts reach
 * a report's sums, and the good minute is kept. */
static void impossible_values_read_as_nothing(void **state)
{
	fixture *fx = *state;
	write_frames(fx->db, 120, HS_STATE_UPRIGHT);
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(fx->db, &db), SQLITE_OK);
	/* One row a minute after the good one, one value bad in each. */
	static const char *const bad[] = {
		"upright_s = 9e999",
		"looking_down_s = -9e999",
		"hunched_s = -5",
		"away_s = 1e300",
		"pitch_mean_deg = 9e999",
		"drop_mean_iod = -1e300",
		"frames = -7",
		"pitch_frames = -9223372036854775807",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char sql[256];
		const double minute = T0 + 60 * (double)(i + 1);
		snprintf(sql, sizeof sql,
		         "INSERT INTO minutes (minute, session) VALUES (%.0f, "
		         "1); UPDATE minutes SET %s WHERE minute = %.0f",
		         minute, bad[i], minute);
		exec_ok(db, sql);
	}
	/* Two rows of one minute whose counts overflow a 64-bit sum: the
	 * read failed ("integer overflow") and the report with it. */
	char sql[512];
	snprintf(sql, sizeof sql,
	         "INSERT INTO minutes (minute, session, frames, pitch_frames) "
	         "VALUES (%.0f, 1, 9223372036854775000, 9223372036854775000),"
	         " (%.0f, 2, 9223372036854775000, 9223372036854775000)",
	         T0 + 600, T0 + 600);
	exec_ok(db, sql);
	sqlite3_close(db);

	hs_journal_minute *m = NULL;
	size_t n = 0;
	read_all(fx->db, &m, &n);
	assert_int_equal(n, 10);
	assert_true(m[0].state_s[HS_STATE_UPRIGHT] == 60);
	assert_true(total_seconds(m, n) == 60);
	for (size_t i = 0; i < n; i++) {
		for (int s = 0; s < HS_STATE_COUNT; s++)
			assert_true(isfinite(m[i].state_s[s]) &&
			            m[i].state_s[s] >= 0);
		assert_true(isfinite(m[i].pitch_mean_deg));
		assert_true(isfinite(m[i].drop_mean_iod));
		assert_true(m[i].frames >= 0 && m[i].pitch_frames >= 0);
	}
	free(m);
}

/* Alerts no headsup writes read as the minutes do: an impossible
 * duration as 0 (an infinite one made `report --format json` print
 * "after_s": inf, which is no JSON), and a kind that never alerts is
 * passed over (it counted as hunched). */
static void impossible_alerts_read_as_nothing(void **state)
{
	fixture *fx = *state;
	write_frames(fx->db, 120, HS_STATE_UPRIGHT);
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(fx->db, &db), SQLITE_OK);
	static const char *const rows[] = {
		"'hunched', 9e999",
		"'looking_down', -9e999",
		"'looking_down', 1e300",
		"'hunched', -5",
		"'bogus', 10",
		"'upright', 10",
		"'away', 10",
		"'hunched', 45",
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		char sql[256];
		snprintf(sql, sizeof sql,
		         "INSERT INTO alerts (time_unix, kind, after_s, topic) "
		         "VALUES (%.0f, %s, 'hunched')",
		         T0 + 1 + (double)i, rows[i]);
		exec_ok(db, sql);
	}
	sqlite3_close(db);

	hs_journal *j = NULL;
	assert_int_equal(hs_journal_open_existing(fx->db, &j), 0);
	hs_journal_alert *a = NULL;
	size_t n = 0;
	assert_int_equal(hs_journal_read_alerts(j, 0, 4e9, &a, &n), 0);
	hs_journal_close(j);
	assert_int_equal(n, 5);
	static const double after[] = { 0, 0, 0, 0, 45 };
	for (size_t i = 0; i < n; i++) {
		assert_true(a[i].t == T0 + 1 + (double)(i < 4 ? i : 7));
		assert_true(a[i].kind == HS_STATE_HUNCHED ||
		            a[i].kind == HS_STATE_LOOKING_DOWN);
		assert_true(a[i].after_s == after[i]);
	}
	free(a);
}

/* The same stretch journalled twice (a file replayed twice at the same
 * --clock-start): each minute read back holds 60 s, shared as the
 * sessions had it, not 120 s ("6 min 40 s monitored" in 3 min 20 s). */
static void overlapping_sessions_fill_a_minute_once(void **state)
{
	fixture *fx = *state;
	hs_journal *j = NULL;
	assert_int_equal(hs_journal_open(fx->db, NULL, &j), 0);
	for (int run = 0; run < 2; run++) {
		assert_int_equal(hs_journal_begin_session(j, T0, "clip", NULL),
		                 0);
		for (int i = 0; i < 240; i++) /* 90 s upright, 30 hunched */
			assert_int_equal(
			        hs_journal_add_frame(j, T0 + 0.5 * i, 0.5,
			                             i < 180 ? HS_STATE_UPRIGHT
			                                     : HS_STATE_HUNCHED,
			                             NULL, true),
			        0);
		assert_int_equal(hs_journal_end_session(j, T0 + 120), 0);
	}
	hs_journal_close(j);
	hs_journal_minute *m = NULL;
	size_t n = 0;
	read_all(fx->db, &m, &n);
	assert_int_equal(n, 2);
	assert_true(fabs(m[0].state_s[HS_STATE_UPRIGHT] - 60) < 1e-9);
	assert_true(fabs(m[1].state_s[HS_STATE_UPRIGHT] - 30) < 1e-9);
	assert_true(fabs(m[1].state_s[HS_STATE_HUNCHED] - 30) < 1e-9);
	assert_true(fabs(total_seconds(m, n) - 120) < 1e-9);
	free(m);
}

/* Minutes and sessions in the journal file at path, read back. */
static void count_rows(const char *path, long *minutes, long *sessions,
                       double *seconds)
{
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL),
	                 SQLITE_OK);
	sqlite3_stmt *st = NULL;
	assert_int_equal(
	        sqlite3_prepare_v2(db,
	                           "SELECT (SELECT count(*) FROM minutes),"
	                           " (SELECT count(*) FROM sessions),"
	                           " (SELECT total(upright_s) FROM minutes)",
	                           -1, &st, NULL),
	        SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	*minutes = sqlite3_column_int64(st, 0);
	*sessions = sqlite3_column_int64(st, 1);
	*seconds = sqlite3_column_double(st, 2);
	sqlite3_finalize(st);
	sqlite3_close(db);
}

/* One session, 'frames' upright frames half a second apart from T0 + at,
 * each minute committed at the next. */
static void add_upright(hs_journal *j, double at, int frames)
{
	for (int i = 0; i < frames; i++)
		assert_int_equal(hs_journal_add_frame(j, T0 + at + 0.5 * i, 0.5,
		                                      HS_STATE_UPRIGHT, NULL,
		                                      true),
		                 0);
}

/* The journal moved (or deleted) while the monitor writes: SQLite wrote
 * on into the moved file's -wal, under the old name, where nothing reads
 * it, and the time after the move was lost without a word.  Now what was
 * written before stays in the moved file, and the rest goes into a new
 * journal at the path, its session written again, said once. */
static void journal_moved_while_open_goes_on_in_a_new_file(void **state)
{
	fixture *fx = *state;
	hs_journal *j = NULL;
	assert_int_equal(hs_journal_open(fx->db, NULL, &j), 0);
	assert_int_equal(hs_journal_begin_session(j, T0, "cam", NULL), 0);
	add_upright(j, 0, 240); /* two minutes, committed every minute */
	assert_int_equal(hs_journal_flush(j), 0);
	char moved[PATH_MAX + 8];
	snprintf(moved, sizeof moved, "%s.kept", fx->db);
	assert_int_equal(rename(fx->db, moved), 0);

	char log[PATH_MAX + 16], said[2048];
	snprintf(log, sizeof log, "%s/stderr", fx->dir);
	int saved = hs_test_stderr_begin(log);
	assert_true(saved >= 0);
	add_upright(j, 120, 240); /* two more */
	int rc_close = hs_journal_close(j);
	hs_test_stderr_end(saved, log, said, sizeof said);
	assert_int_equal(rc_close, 0);
	assert_non_null(strstr(said, "was moved or deleted while headsup ran"));
	assert_null(strstr(strstr(said, "was moved") + 1, "was moved"));

	long minutes, sessions;
	double seconds;
	count_rows(moved, &minutes, &sessions, &seconds);
	assert_int_equal(minutes, 2);
	assert_int_equal(sessions, 1);
	assert_true(seconds == 120);
	count_rows(fx->db, &minutes, &sessions, &seconds);
	assert_int_equal(minutes, 2);
	assert_int_equal(sessions, 1);
	assert_true(seconds == 120);

	/* Deleted: the same, the new file takes what follows. */
	assert_int_equal(hs_journal_open(fx->db, NULL, &j), 0);
	assert_int_equal(hs_journal_begin_session(j, T0 + 600, "cam", NULL), 0);
	assert_int_equal(unlink(fx->db), 0);
	saved = hs_test_stderr_begin(log);
	add_upright(j, 600, 120);
	rc_close = hs_journal_close(j);
	hs_test_stderr_end(saved, log, said, sizeof said);
	assert_int_equal(rc_close, 0);
	count_rows(fx->db, &minutes, &sessions, &seconds);
	assert_int_equal(minutes, 1);
	assert_int_equal(sessions, 1);
	assert_true(seconds == 60);
}

/* Another program's database put in the journal's place while the
 * monitor writes: said once, not at every commit (once a minute, for
 * good, in the user's log), with its reason once, and without claiming a
 * new journal was started; the other program's file is left as it is. */
static void journal_replaced_by_another_database_is_said_once(void **state)
{
	fixture *fx = *state;
	hs_journal *j = NULL;
	assert_int_equal(hs_journal_open(fx->db, NULL, &j), 0);
	assert_int_equal(hs_journal_begin_session(j, T0, "cam", NULL), 0);
	add_upright(j, 0, 240);
	assert_int_equal(hs_journal_flush(j), 0);
	char other[PATH_MAX + 16];
	snprintf(other, sizeof other, "%s/other.db", fx->dir);
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(other, &db), SQLITE_OK);
	exec_ok(db, "CREATE TABLE notes(x)");
	assert_int_equal(sqlite3_close(db), SQLITE_OK);
	assert_int_equal(rename(other, fx->db), 0);

	char log[PATH_MAX + 16], said[8192];
	snprintf(log, sizeof log, "%s/stderr", fx->dir);
	const int saved = hs_test_stderr_begin(log);
	assert_true(saved >= 0);
	for (int i = 0; i < 1200; i++) /* ten minutes: ten commits */
		(void)hs_journal_add_frame(j, T0 + 120 + 0.5 * i, 0.5,
		                           HS_STATE_UPRIGHT, NULL, true);
	(void)hs_journal_close(j);
	hs_test_stderr_end(saved, log, said, sizeof said);
	const char *first = strstr(said, "of another program");
	assert_non_null(first);
	assert_null(strstr(first + 1, "of another program"));
	assert_null(strstr(said, "a new journal was started"));
	assert_null(
	        strstr(said, "corrupt data (unrecognised or corrupt data)"));
	assert_int_equal(sqlite3_open(fx->db, &db), SQLITE_OK);
	exec_ok(db, "SELECT x FROM notes");
	assert_int_not_equal(
	        sqlite3_exec(db, "SELECT * FROM minutes", NULL, NULL, NULL),
	        SQLITE_OK);
	assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

/* Overwrite pages 2 to 6 of the database at path (of 4096 bytes). */
static void smash_pages(const char *path)
{
	FILE *f = fopen(path, "r+b");
	assert_non_null(f);
	static char junk[5 * 4096];
	memset(junk, 0x5a, sizeof junk);
	assert_int_equal(fseek(f, 4096, SEEK_SET), 0);
	assert_int_equal(fwrite(junk, 1, sizeof junk, f), sizeof junk);
	assert_int_equal(fclose(f), 0);
}

/* The journal damaged while the monitor writes: every write failed
 * until exit, and all since was lost.  Now it is moved aside and a new
 * journal takes what is pending; a journal the user named is left as it
 * is, and kept pending as for any failing write. */
static void journal_damaged_while_open_is_moved_aside(void **state)
{
	fixture *fx = *state;
	hs_journal *j = NULL;
	assert_int_equal(hs_journal_open(fx->db, NULL, &j), 0);
	assert_int_equal(hs_journal_begin_session(j, T0, "cam", NULL), 0);
	for (int k = 0; k < 40; k++) /* pages enough to damage */
		add_upright(j, 60.0 * k, 120);
	assert_int_equal(hs_journal_flush(j), 0);
	/* Into the file itself, then damaged there; the checkpoint, from
	 * another connection, makes the monitor's read the file again. */
	sqlite3 *other = NULL;
	assert_int_equal(sqlite3_open(fx->db, &other), SQLITE_OK);
	exec_ok(other, "PRAGMA wal_checkpoint(TRUNCATE)");
	sqlite3_close(other);
	smash_pages(fx->db);

	char log[PATH_MAX + 16], said[4096];
	snprintf(log, sizeof log, "%s/stderr", fx->dir);
	int saved = hs_test_stderr_begin(log);
	assert_true(saved >= 0);
	add_upright(j, 2400, 240);
	int rc_close = hs_journal_close(j);
	hs_test_stderr_end(saved, log, said, sizeof said);
	assert_int_equal(rc_close, 0);
	assert_non_null(strstr(said, "was corrupt; it was kept as '"));
	long minutes, sessions;
	double seconds;
	count_rows(fx->db, &minutes, &sessions, &seconds);
	assert_int_equal(sessions, 1);
	assert_int_equal(minutes, 2);
	assert_true(seconds == 120);

	/* Named by the user: not moved, not replaced. */
	char named[PATH_MAX + 8];
	snprintf(named, sizeof named, "%s/mine.db", fx->dir);
	write_frames(named, 2400, HS_STATE_UPRIGHT);
	smash_pages(named);
	size_t len0, len1;
	char *before = slurp(named, &len0);
	j = NULL;
	assert_int_equal(hs_journal_open_named(named, &j), HS_ECORRUPT);
	assert_null(j);
	char *after = slurp(named, &len1);
	assert_int_equal(len1, len0);
	assert_memory_equal(after, before, len0);
	free(before);
	free(after);
}

static void corrupt_journal_is_kept_aside_and_a_new_one_started(void **state)
{
	fixture *fx = *state;
	snprintf(fx->db, sizeof fx->db, "%s/journal.db", fx->dir);
	char garbage[8192];
	for (size_t i = 0; i < sizeof garbage; i++)
		garbage[i] = (char)("not a database "[i % 15]);
	FILE *f = fopen(fx->db, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(garbage, 1, sizeof garbage, f), sizeof garbage);
	fclose(f);

	/* A report leaves it alone and says so. */
	hs_journal *j = NULL;
	assert_int_equal(hs_journal_open_existing(fx->db, &j), HS_ECORRUPT);

	char moved[PATH_MAX];
	assert_int_equal(hs_journal_open(fx->db, moved, &j), 0);
	char prefix[PATH_MAX + 16];
	snprintf(prefix, sizeof prefix, "%s.corrupt-", fx->db);
	assert_memory_equal(moved, prefix, strlen(prefix));
	/* The old file is intact under its new name. */
	f = fopen(moved, "rb");
	assert_non_null(f);
	char back[sizeof garbage + 1];
	assert_int_equal(fread(back, 1, sizeof back, f), sizeof garbage);
	fclose(f);
	assert_memory_equal(back, garbage, sizeof garbage);

	/* The new journal works. */
	assert_int_equal(hs_journal_begin_session(j, T0, "cam", NULL), 0);
	assert_int_equal(
	        hs_journal_add_frame(j, T0, 2.0, HS_STATE_UPRIGHT, NULL, true),
	        0);
	hs_journal_close(j);
	hs_journal_minute *m = NULL;
	size_t n = 0;
	read_all(fx->db, &m, &n);
	assert_int_equal(n, 1);
	assert_true(m[0].state_s[HS_STATE_UPRIGHT] == 2.0);
	free(m);
}

/* A child writes 10 minutes of frames at 2 Hz and dies without closing:
 * at most the last commit interval (60 s) may be missing. */
static void killed_writer_loses_at_most_one_commit_interval(void **state)
{
	fixture *fx = *state;
	const double written_s = 600.25;
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		hs_journal *j = NULL;
		if (hs_journal_open(fx->db, NULL, &j) != 0)
			_exit(3);
		if (hs_journal_begin_session(j, T0 + 7, "cam", NULL) != 0)
			_exit(4);
		double t = T0 + 7;
		for (int i = 0; i * 0.5 < written_s; i++, t += 0.5)
			if (hs_journal_add_frame(j, t, 0.5, HS_STATE_UPRIGHT,
			                         NULL, true) != 0)
				_exit(5);
		_exit(0); /* no close: like SIGKILL */
	}
	int status = 0;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);

	hs_journal_minute *m = NULL;
	size_t n = 0;
	read_all(fx->db, &m, &n);
	double saved = total_seconds(m, n);
	free(m);
	assert_true(saved <= written_s + 0.5);
	assert_true(saved >= written_s - 60.0);
}

/* A state change is committed at once: a kill right after it keeps it. */
static void state_change_is_committed_at_once(void **state)
{
	fixture *fx = *state;
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		hs_journal *j = NULL;
		if (hs_journal_open(fx->db, NULL, &j) != 0)
			_exit(3);
		hs_journal_begin_session(j, T0, "cam", NULL);
		double t = T0;
		for (int i = 0; i < 20; i++, t += 0.5)
			hs_journal_add_frame(j, t, 0.5, HS_STATE_UPRIGHT, NULL,
			                     true);
		hs_journal_add_frame(j, t, 0.5, HS_STATE_HUNCHED, NULL, true);
		_exit(0);
	}
	int status = 0;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_int_equal(WEXITSTATUS(status), 0);
	hs_journal_minute *m = NULL;
	size_t n = 0;
	read_all(fx->db, &m, &n);
	assert_int_equal(n, 1);
	assert_true(m[0].state_s[HS_STATE_UPRIGHT] == 10.0);
	assert_true(m[0].state_s[HS_STATE_HUNCHED] == 0.5);
	free(m);
}

static void locked_journal_is_reported(void **state)
{
	fixture *fx = *state;
	hs_journal *j = NULL;
	assert_int_equal(hs_journal_open(fx->db, NULL, &j), 0);
	hs_journal_close(j);

	sqlite3 *other = NULL;
	assert_int_equal(sqlite3_open(fx->db, &other), SQLITE_OK);
	exec_ok(other, "BEGIN EXCLUSIVE");
	j = NULL;
	assert_int_equal(hs_journal_open(fx->db, NULL, &j), HS_ELOCKED);
	assert_null(j);
	exec_ok(other, "COMMIT");
	sqlite3_close(other);
	assert_int_equal(hs_journal_open(fx->db, NULL, &j), 0);
	hs_journal_close(j);
}

/* Run "<before>'<path>'<after>" through the shell; true when it exits 0. */
static bool run_ok(const char *before, const char *path, const char *after)
{
	char cmd[PATH_MAX + 128];
	snprintf(cmd, sizeof cmd, "%s'%s'%s", before, path, after);
	return hs_test_run(cmd, NULL, 0) == 0;
}

/* Mount a tmpfs with these options at fx->dir/name (its path into mnt)
 * and point fx->db at a journal in it; false, after saying so, when it
 * cannot be mounted (it needs root). */
static bool journal_on_tmpfs(fixture *fx, const char *name, const char *options,
                             char *mnt, size_t size)
{
	char cmd[128];
	snprintf(mnt, size, "%s/%s", fx->dir, name);
	mkdir(mnt, 0700);
	snprintf(cmd, sizeof cmd, "mount -t tmpfs -o %s tmpfs ", options);
	if (!run_ok(cmd, mnt, " 2>/dev/null")) {
		fprintf(stderr, "SKIPPED: cannot mount a tmpfs (needs root)\n");
		return false;
	}
	snprintf(fx->db, sizeof fx->db, "%s/journal.db", mnt);
	return true;
}

/* A journal on a read-only file system (a tmpfs remounted read-only;
 * needs root, who could otherwise write through any file mode) can still
 * be reported on. */
static void read_only_journal_can_be_reported(void **state)
{
	fixture *fx = *state;
	char mnt[512];
	if (!journal_on_tmpfs(fx, "ro", "size=1m", mnt, sizeof mnt))
		skip();
	write_frames(fx->db, 120, HS_STATE_HUNCHED);
	hs_journal *j = NULL;
	bool remounted = run_ok("mount -o remount,ro ", mnt, "");
	j = NULL;
	int rc = remounted ? hs_journal_open_existing(fx->db, &j) : -1;
	hs_journal_minute *m = NULL;
	size_t n = 0;
	if (rc == 0)
		rc = hs_journal_read_minutes(j, 0, 4e9, &m, &n);
	hs_journal_close(j);
	run_ok("umount ", mnt, "");
	assert_true(remounted);
	assert_int_equal(rc, 0);
	assert_int_equal(n, 1);
	assert_true(m[0].state_s[HS_STATE_HUNCHED] == 60);
	free(m);
}

/* A real full file system (a tiny tmpfs; needs root): the minutes that
 * cannot be written stay in memory and land once there is room. */
static void full_disk_keeps_minutes_until_there_is_room(void **state)
{
	fixture *fx = *state;
	char mnt[512];
	if (!journal_on_tmpfs(fx, "small", "size=160k", mnt, sizeof mnt))
		skip();
	hs_journal *j = NULL;
	assert_int_equal(hs_journal_open(fx->db, NULL, &j), 0);
	assert_int_equal(hs_journal_begin_session(j, T0, "cam", NULL), 0);

	hs_log_level level = hs_log_get_level();
	hs_log_set_level(HS_LOG_ERROR); /* the one warning is expected */
	double t = T0, added = 0;
	int rc = 0, failures = 0;
	/* A frame every 20 s, each state different from the last, so every
	 * frame commits: the file grows until the disk is full. */
	for (int i = 0; i < 20000 && failures < 50; i++, t += 20) {
		rc = hs_journal_add_frame(j, t, 20, (hs_state)(i % 2), NULL,
		                          true);
		added += 20;
		if (rc == HS_ENOSPC)
			failures++;
		else
			assert_int_equal(rc, 0);
	}
	hs_log_set_level(level);
	assert_int_equal(failures, 50);
	assert_true(hs_journal_pending(j) >= 1);

	assert_true(run_ok("mount -o remount,size=8m ", mnt, ""));
	assert_int_equal(hs_journal_flush(j), 0);
	assert_int_equal(hs_journal_pending(j), 0);
	hs_journal_close(j);

	hs_journal_minute *m = NULL;
	size_t n = 0;
	read_all(fx->db, &m, &n);
	assert_true(fabs(total_seconds(m, n) - added) < 1e-6);
	free(m);
	run_ok("umount ", mnt, "");
}

static void read_only_folder_gives_eacces(void **state)
{
	fixture *fx = *state;
	char mnt[512];
	if (!journal_on_tmpfs(fx, "ro", "size=1m,ro", mnt, sizeof mnt))
		skip();
	hs_journal *j = NULL;
	int rc = hs_journal_open(fx->db, NULL, &j);
	run_ok("umount ", mnt, "");
	assert_int_equal(rc, HS_EACCES);
	assert_null(j);
}

/* Does the file at path contain text anywhere (deleted rows included)? */
static bool file_contains(const char *path, const char *text)
{
	size_t n;
	char *buf = slurp(path, &n);
	if (!buf)
		return false;
	size_t len = strlen(text);
	bool found = false;
	for (size_t i = 0; !found && i + len <= n; i++)
		found = memcmp(buf + i, text, len) == 0;
	free(buf);
	return found;
}

static void add_frames(hs_journal *j, double from, int count, hs_state st)
{
	hs_features f = { .pitch_delta_deg = 3, .has_pitch = true };
	for (int i = 0; i < count; i++)
		assert_int_equal(hs_journal_add_frame(j, from + 0.5 * i, 0.5,
		                                      st, &f, true),
		                 0);
}

/* keep_days: the days before the cut are forgotten, rows and bytes; the
 * open session and what comes after the cut stay. */
static void forget_before_drops_old_days_only(void **state)
{
	fixture *fx = *state;
	const double day3 = T0 + 2 * 86400;
	hs_journal *j = NULL;
	assert_int_equal(hs_journal_open(fx->db, NULL, &j), 0);
	/* Day 1: an ended session with an alert, from a camera whose name
	 * must not survive on disk. */
	assert_int_equal(
	        hs_journal_begin_session(j, T0, "/dev/old-camera-xyz", "self"),
	        0);
	add_frames(j, T0, 60, HS_STATE_HUNCHED);
	assert_int_equal(hs_journal_add_alert(j, T0 + 29, HS_STATE_HUNCHED, 29,
	                                      "hunched"),
	                 0);
	assert_int_equal(hs_journal_end_session(j, T0 + 30), 0);
	/* A session open since day 1 and still running on day 3; the day-3
	 * frames are not committed yet. */
	assert_int_equal(hs_journal_begin_session(j, T0 + 3600, "/dev/video0",
	                                          "calibration.ini"),
	                 0);
	add_frames(j, T0 + 3600, 40, HS_STATE_UPRIGHT);
	add_frames(j, day3, 20, HS_STATE_UPRIGHT);

	long n = -1;
	assert_int_equal(hs_journal_forget_before(j, day3, &n), 0);
	assert_int_equal(n, 2); /* one minute of each session, on day 1 */
	assert_int_equal(hs_journal_pending(j), 0);
	/* The open session goes on writing into its own row. */
	add_frames(j, day3 + 10, 20, HS_STATE_LOOKING_DOWN);
	assert_int_equal(hs_journal_add_alert(j, day3 + 19,
	                                      HS_STATE_LOOKING_DOWN, 19,
	                                      "looking-down"),
	                 0);
	assert_int_equal(hs_journal_end_session(j, day3 + 20), 0);
	/* Nothing left to forget twice. */
	assert_int_equal(hs_journal_forget_before(j, day3, &n), 0);
	assert_int_equal(n, 0);
	hs_journal_close(j);

	assert_int_equal(hs_journal_open_existing(fx->db, &j), 0);
	hs_journal_minute *m = NULL;
	size_t count = 0;
	assert_int_equal(hs_journal_read_minutes(j, 0, 4e9, &m, &count), 0);
	assert_int_equal(count, 1);
	assert_true(m[0].start == day3);
	assert_near(m[0].state_s[HS_STATE_UPRIGHT], 10, 1e-9);
	assert_near(m[0].state_s[HS_STATE_LOOKING_DOWN], 10, 1e-9);
	free(m);
	hs_journal_alert *a = NULL;
	assert_int_equal(hs_journal_read_alerts(j, 0, 4e9, &a, &count), 0);
	assert_int_equal(count, 1);
	assert_int_equal(a[0].kind, HS_STATE_LOOKING_DOWN);
	free(a);
	hs_journal_session *s = NULL;
	assert_int_equal(hs_journal_read_sessions(j, 0, 4e9, &s, &count), 0);
	assert_int_equal(count, 1);
	assert_string_equal(s[0].source, "/dev/video0");
	assert_true(s[0].start == T0 + 3600);
	assert_true(s[0].end == day3 + 20);
	free(s);
	hs_journal_close(j);

	/* Gone from the bytes on disk too, not only from the tables (the
	 * journal asks for secure_delete, whatever SQLite's build default). */
	char wal[PATH_MAX + 8];
	snprintf(wal, sizeof wal, "%s-wal", fx->db);
	assert_false(file_contains(fx->db, "/dev/old-camera-xyz"));
	assert_false(file_contains(wal, "/dev/old-camera-xyz"));
	assert_true(file_contains(fx->db, "/dev/video0"));
}

/* keep_days counts back from a "now" a day past the newest real data at
 * most.  `faketime -f +400d headsup run --set keep_days=30` forgot
 * yesterday's minutes (secure_delete: for good), counting from a clock
 * 400 days ahead. */
static void keep_days_counts_from_data_not_from_a_clock_set_ahead(void **state)
{
	(void)state;
	hs_test_tz_berlin(NULL);
	const double data = 1795104000.0;  /* 2026-11-19 17:00 */
	const double today = 1795161600.0; /* 2026-11-20 09:00 */
	const double ahead = today + 400 * 86400.0;
	hs_date first = { 7, 7, 7 };
	assert_true(hs_journal_keep_from(today, data, 30, &first));
	assert_true(first.year == 2026 && first.month == 10 && first.day == 21);
	/* The clock 400 days ahead: the same cut, yesterday is kept. */
	first = (hs_date){ 7, 7, 7 };
	assert_true(hs_journal_keep_from(ahead, data, 30, &first));
	assert_true(first.year == 2026 && first.month == 10 && first.day == 21);
	/* A day's grace past the data, no more: data of 23:30 the day
	 * before yesterday counts as up to 23:30 yesterday. */
	assert_true(hs_journal_keep_from(today, 1795041000.0, 30, &first));
	assert_true(first.year == 2026 && first.month == 10 && first.day == 20);
	/* A replay dated before the data counts from its own day. */
	assert_true(hs_journal_keep_from(1767686400.0, data, 30, &first));
	assert_true(first.year == 2025 && first.month == 12 && first.day == 7);
	/* Nothing to forget by: keep everything, or no data known. */
	first = (hs_date){ 7, 7, 7 };
	assert_false(hs_journal_keep_from(today, data, 0, &first));
	assert_false(hs_journal_keep_from(ahead, -INFINITY, 30, &first));
	assert_false(hs_journal_keep_from(NAN, data, 30, &first));
	assert_true(first.year == 7 && first.month == 7 && first.day == 7);
}

/* The journal's newest data, which keep_days counts from: its last minute
 * or alert; none in a new journal.  Forgetting by it with the clock 400
 * days ahead leaves yesterday's minutes. */
static void newest_data_keeps_yesterday_from_a_clock_set_ahead(void **state)
{
	fixture *fx = *state;
	hs_test_tz_berlin(NULL);
	const double data = 1795104000.0; /* 2026-11-19 17:00 */
	hs_journal *j = NULL;
	assert_int_equal(hs_journal_open(fx->db, NULL, &j), 0);
	double newest = 42;
	assert_int_equal(hs_journal_newest(j, &newest), 0);
	assert_true(newest == -INFINITY);
	assert_int_equal(
	        hs_journal_begin_session(j, data - 3600, "/dev/video0", "self"),
	        0);
	add_frames(j, data - 3600, 120, HS_STATE_UPRIGHT); /* 16:00's minute */
	assert_int_equal(hs_journal_flush(j), 0);
	assert_int_equal(hs_journal_newest(j, &newest), 0);
	assert_true(newest == data - 3600);
	assert_int_equal(
	        hs_journal_add_alert(j, data, HS_STATE_HUNCHED, 30, "hunched"),
	        0);
	assert_int_equal(hs_journal_end_session(j, data), 0);
	assert_int_equal(hs_journal_newest(j, &newest), 0);
	assert_true(newest == data);

	hs_date first;
	assert_true(
	        hs_journal_keep_from(data + 401 * 86400.0, newest, 30, &first));
	long n = -1;
	assert_int_equal(hs_journal_forget_before(j, hs_date_start(first), &n),
	                 0);
	assert_int_equal(n, 0);
	hs_journal_minute *m = NULL;
	size_t count = 0;
	assert_int_equal(hs_journal_read_minutes(j, 0, 4e9, &m, &count), 0);
	assert_int_equal(count, 1);
	free(m);
	hs_journal_close(j);
}

static void default_path_follows_xdg_data_home(void **state)
{
	(void)state;
	char buf[PATH_MAX];
	char *old = getenv("XDG_DATA_HOME") ? strdup(getenv("XDG_DATA_HOME"))
	                                    : NULL;
	setenv("XDG_DATA_HOME", "/tmp/xdg-data", 1);
	assert_int_equal(hs_journal_default_path(buf, sizeof buf), 0);
	assert_string_equal(buf, "/tmp/xdg-data/headsup/journal.db");
	if (old)
		setenv("XDG_DATA_HOME", old, 1);
	else
		unsetenv("XDG_DATA_HOME");
	free(old);
}

int main(void)
{
/* A test with its own journal folder (setup() and teardown()). */
#define JOURNAL_TEST(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		JOURNAL_TEST(round_trip_keeps_minutes_alerts_and_sessions),
		JOURNAL_TEST(frames_need_a_session),
		JOURNAL_TEST(version_1_journal_is_migrated_and_keeps_its_data),
		JOURNAL_TEST(a_read_only_older_journal_is_read_as_it_is),
		JOURNAL_TEST(newer_journal_is_refused),
		JOURNAL_TEST(another_programs_database_is_left_untouched),
		JOURNAL_TEST(another_users_journal_is_refused),
		JOURNAL_TEST(an_open_journal_is_made_private_and_said),
		JOURNAL_TEST(reading_never_writes),
		JOURNAL_TEST(reading_leaves_no_wal_files_behind),
		JOURNAL_TEST(reading_keeps_a_running_writers_files),
		JOURNAL_TEST(a_sqlite3_look_keeps_a_running_writers_files),
		JOURNAL_TEST(impossible_values_read_as_nothing),
		JOURNAL_TEST(impossible_alerts_read_as_nothing),
		JOURNAL_TEST(overlapping_sessions_fill_a_minute_once),
		JOURNAL_TEST(journal_moved_while_open_goes_on_in_a_new_file),
		JOURNAL_TEST(journal_replaced_by_another_database_is_said_once),
		JOURNAL_TEST(journal_damaged_while_open_is_moved_aside),
		JOURNAL_TEST(
		        corrupt_journal_is_kept_aside_and_a_new_one_started),
		JOURNAL_TEST(killed_writer_loses_at_most_one_commit_interval),
		JOURNAL_TEST(state_change_is_committed_at_once),
		JOURNAL_TEST(locked_journal_is_reported),
		JOURNAL_TEST(full_disk_keeps_minutes_until_there_is_room),
		JOURNAL_TEST(read_only_folder_gives_eacces),
		JOURNAL_TEST(read_only_journal_can_be_reported),
		JOURNAL_TEST(forget_before_drops_old_days_only),
		cmocka_unit_test(
		        keep_days_counts_from_data_not_from_a_clock_set_ahead),
		JOURNAL_TEST(
		        newest_data_keeps_yesterday_from_a_clock_set_ahead),
		cmocka_unit_test(default_path_follows_xdg_data_home),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
