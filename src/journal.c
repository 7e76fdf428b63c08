/* journal.c - see journal.h.
 *
 * Layout (schema version 2):
 *   sessions(id, start_unix, end_unix, source, calibration)
 *   minutes(minute, session, upright_s, looking_down_s, hunched_s, away_s,
 *           uncalibrated_s, pitch_mean_deg, drop_mean_iod, frames,
 *           face_frames, pitch_frames, drop_frames)   key (minute, session)
 *   alerts(id, time_unix, session, kind, after_s, topic)
 *
 * Version 1 was the first layout: no calibration, no uncalibrated time, no
 * per-mean frame counts, no alert topic.  New journals are built by running
 * every migration from version 0, so the upgrade path is the path every
 * journal takes.
 *
 * What the monitor adds sits in memory (pending minutes, alerts and session
 * changes) until a commit writes all of it in one transaction.  A failed
 * commit is rolled back and everything stays pending for the next one.
 */
#include "headsup/journal.h"

#include "headsup/clock.h"
#include "headsup/config.h"
#include "headsup/err.h"
#include "headsup/log.h"
#include "headsup/paths.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

_Static_assert(HS_STATE_COUNT == 5,
               "the minutes table has one column per state");

#define BUSY_TIMEOUT_MS 1500

/* ---- schema -------------------------------------------------------------- */

static const char *const migrations[HS_JOURNAL_SCHEMA_VERSION] = {
	/* 0 -> 1: the first layout. */
	"CREATE TABLE sessions ("
	" id INTEGER PRIMARY KEY,"
	" start_unix REAL NOT NULL,"
	" end_unix REAL,"
	" source TEXT);"
	"CREATE TABLE minutes ("
	" minute INTEGER NOT NULL,"
	" session INTEGER NOT NULL,"
	" upright_s REAL NOT NULL DEFAULT 0,"
	" looking_down_s REAL NOT NULL DEFAULT 0,"
	" hunched_s REAL NOT NULL DEFAULT 0,"
	" away_s REAL NOT NULL DEFAULT 0,"
	" pitch_mean_deg REAL,"
	" drop_mean_iod REAL,"
	" frames INTEGER NOT NULL DEFAULT 0,"
	" face_frames INTEGER NOT NULL DEFAULT 0,"
	" PRIMARY KEY (minute, session)) WITHOUT ROWID;"
	"CREATE TABLE alerts ("
	" id INTEGER PRIMARY KEY,"
	" time_unix REAL NOT NULL,"
	" kind TEXT NOT NULL,"
	" after_s REAL NOT NULL);",

	/* 1 -> 2: calibration per session, uncalibrated time, frame counts
	 * for each mean (so partial minutes merge exactly), alert topics and
	 * the indexes reports need. */
	"ALTER TABLE sessions ADD COLUMN calibration TEXT;"
	"ALTER TABLE minutes ADD COLUMN uncalibrated_s REAL NOT NULL DEFAULT 0;"
	"ALTER TABLE minutes ADD COLUMN pitch_frames INTEGER NOT NULL DEFAULT "
	"0;"
	"ALTER TABLE minutes ADD COLUMN drop_frames INTEGER NOT NULL DEFAULT 0;"
	"UPDATE minutes SET pitch_frames = face_frames"
	" WHERE pitch_mean_deg IS NOT NULL;"
	"UPDATE minutes SET drop_frames = face_frames"
	" WHERE drop_mean_iod IS NOT NULL;"
	"ALTER TABLE alerts ADD COLUMN session INTEGER;"
	"ALTER TABLE alerts ADD COLUMN topic TEXT;"
	"UPDATE alerts SET topic = replace(kind, '_', '-');"
	"CREATE INDEX alerts_by_time ON alerts(time_unix);"
	"CREATE INDEX sessions_by_start ON sessions(start_unix);",
};

static const char sql_upsert_minute[] =
        "INSERT INTO minutes (minute, session, upright_s, looking_down_s,"
        " hunched_s, away_s, uncalibrated_s, pitch_mean_deg, drop_mean_iod,"
        " frames, face_frames, pitch_frames, drop_frames)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"
        " ON CONFLICT (minute, session) DO UPDATE SET"
        " upright_s = upright_s + excluded.upright_s,"
        " looking_down_s = looking_down_s + excluded.looking_down_s,"
        " hunched_s = hunched_s + excluded.hunched_s,"
        " away_s = away_s + excluded.away_s,"
        " uncalibrated_s = uncalibrated_s + excluded.uncalibrated_s,"
        " pitch_mean_deg = CASE WHEN pitch_frames + excluded.pitch_frames > 0"
        "  THEN (ifnull(pitch_mean_deg, 0) * pitch_frames"
        "   + ifnull(excluded.pitch_mean_deg, 0) * excluded.pitch_frames)"
        "   / (pitch_frames + excluded.pitch_frames) END,"
        " drop_mean_iod = CASE WHEN drop_frames + excluded.drop_frames > 0"
        "  THEN (ifnull(drop_mean_iod, 0) * drop_frames"
        "   + ifnull(excluded.drop_mean_iod, 0) * excluded.drop_frames)"
        "   / (drop_frames + excluded.drop_frames) END,"
        " frames = frames + excluded.frames,"
        " face_frames = face_frames + excluded.face_frames,"
        " pitch_frames = pitch_frames + excluded.pitch_frames,"
        " drop_frames = drop_frames + excluded.drop_frames";

static const char sql_insert_alert[] =
        "INSERT INTO alerts (time_unix, session, kind, after_s, topic)"
        " VALUES (?1, ?2, ?3, ?4, ?5)";

static const char sql_insert_session[] =
        "INSERT INTO sessions (start_unix, end_unix, source, calibration)"
        " VALUES (?1, ?2, ?3, ?4)";

static const char sql_end_session[] =
        "UPDATE sessions SET end_unix = ?2 WHERE id = ?1";

/* ---- in-memory state ----------------------------------------------------- */

typedef struct session_rec {
	unsigned local;    /* our own number, until the row has an id */
	long long db_id;   /* 0 until written */
	long long new_id;  /* id given in the transaction under way */
	double start, end; /* end 0 while open */
	bool end_dirty;    /* end not yet written */
	char source[256];
	char calibration[256];
} session_rec;

typedef struct pending_minute {
	long long minute;
	unsigned session; /* session_rec.local */
	double state_s[HS_STATE_COUNT];
	double pitch_sum, drop_sum;
	long frames, face_frames, pitch_frames, drop_frames;
} pending_minute;

typedef struct pending_alert {
	hs_journal_alert a;
	unsigned session;
} pending_alert;

struct hs_journal {
	sqlite3 *db;
	char path[PATH_MAX];
	double commit_s;

	session_rec *sessions; /* the current one and any not fully written */
	size_t n_sessions, cap_sessions;
	unsigned next_local;
	bool in_session;
	unsigned current; /* local number of the open session */

	pending_minute *minutes;
	size_t n_minutes, cap_minutes;
	pending_alert *alerts;
	size_t n_alerts, cap_alerts;

	bool have_prev_state;
	hs_state prev_state;
	double last_commit_t;
	double last_t;
	bool failing; /* the last commit failed (warned already) */
	/* A reader that made the -wal and -shm files (none were there when
	 * it opened the journal) removes them when it leaves: the file SQLite
	 * opened (links resolved), else "". */
	char tidy[PATH_MAX];
	/* A writer: may a corrupt journal be moved aside (the default one),
	 * or is it the user's, to be left alone (one they named)?  And the
	 * file it has open, to notice one moved or deleted meanwhile. */
	bool may_move_aside;
	dev_t dev;
	ino_t ino;

	sqlite3_stmt *st_minute, *st_alert, *st_session, *st_end;
};

/* ---- helpers --------------------------------------------------------------
 */

/* Did a write of db's fail at the file-size limit (ulimit -f)?  SQLite
 * keeps no errno for a short write, so: is the journal or its -wal file
 * within a page or so of the limit. */
static bool at_size_limit(sqlite3 *db)
{
	struct rlimit lim;
	const char *name = sqlite3_db_filename(db, "main");
	if (!name || !name[0] || getrlimit(RLIMIT_FSIZE, &lim) != 0 ||
	    lim.rlim_cur == RLIM_INFINITY)
		return false;
	static const char *const ends[] = { "", "-wal" };
	for (size_t i = 0; i < sizeof ends / sizeof ends[0]; i++) {
		char file[PATH_MAX + 8];
		struct stat st;
		snprintf(file, sizeof file, "%s%s", name, ends[i]);
		if (stat(file, &st) == 0 &&
		    (rlim_t)st.st_size + 65536 >= lim.rlim_cur)
			return true;
	}
	return false;
}

static int err_from_sqlite(sqlite3 *db, int rc)
{
	switch (rc & 0xff) {
	case SQLITE_OK:
	case SQLITE_DONE:
	case SQLITE_ROW:
		return 0;
	case SQLITE_NOMEM:
		return HS_ENOMEM;
	case SQLITE_READONLY:
	case SQLITE_PERM:
	case SQLITE_AUTH:
	case SQLITE_CANTOPEN:
		return HS_EACCES;
	case SQLITE_FULL:
		return HS_ENOSPC;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return HS_ELOCKED;
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		return HS_ECORRUPT;
	case SQLITE_IOERR: {
		int e = db ? sqlite3_system_errno(db) : 0;
		if (e == ENOSPC || e == EDQUOT)
			return HS_ENOSPC;
		if (e == EFBIG || (e == 0 && db && at_size_limit(db)))
			return HS_EFBIG;
		if (e == EROFS || e == EACCES || e == EPERM)
			return HS_EACCES;
		return HS_EIO;
	}
	default:
		return HS_EDB;
	}
}

static const char *db_msg(sqlite3 *db)
{
	return db ? sqlite3_errmsg(db) : "out of memory";
}

static int exec(hs_journal *j, const char *sql)
{
	int rc = sqlite3_exec(j->db, sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? 0 : err_from_sqlite(j->db, rc);
}

static int prepare(hs_journal *j, sqlite3_stmt **st, const char *sql)
{
	if (*st) {
		sqlite3_reset(*st);
		sqlite3_clear_bindings(*st);
		return 0;
	}
	int rc = sqlite3_prepare_v3(j->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
	                            st, NULL);
	if (rc != SQLITE_OK) {
		hs_debug("journal '%s': cannot prepare statement: %s", j->path,
		         db_msg(j->db));
		return err_from_sqlite(j->db, rc);
	}
	return 0;
}

static int step_done(hs_journal *j, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);
	int err = rc == SQLITE_DONE ? 0 : err_from_sqlite(j->db, rc);
	sqlite3_reset(st);
	return err;
}

static int int_pragma(hs_journal *j, const char *sql, int *value)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(j->db, sql, -1, &st, NULL);
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			*value = sqlite3_column_int(st, 0);
			rc = SQLITE_OK;
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_OK ? 0 : err_from_sqlite(j->db, rc);
}

static void *grow(void *arr, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return arr;
	size_t n = *cap ? *cap * 2 : 8;
	while (n < need)
		n *= 2;
	void *p = realloc(arr, n * elem);
	if (p)
		*cap = n;
	return p;
}

static session_rec *find_session(hs_journal *j, unsigned local)
{
	for (size_t i = 0; i < j->n_sessions; i++)
		if (j->sessions[i].local == local)
			return &j->sessions[i];
	return NULL;
}

static void copy_text(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src ? src : "");
}

/* ---- opening ---------------------------------------------------------------
 */

static int migrate(hs_journal *j, int from)
{
	for (int v = from; v < HS_JOURNAL_SCHEMA_VERSION; v++) {
		int rc = exec(j, migrations[v]);
		if (rc < 0) {
			/* One that may not be written is the caller's to say
			 * (a report reads it upgraded in memory). */
			if (rc != HS_EACCES)
				hs_warn("journal '%s': cannot upgrade from "
				        "version %d: %s",
				        j->path, v, db_msg(j->db));
			/* An upgrade of a journal that fails on what is
			 * there (a column it adds is there already): its
			 * tables are not what its version says. */
			return rc == HS_EDB && from > 0 ? HS_ECORRUPT : rc;
		}
		char sql[64];
		snprintf(sql, sizeof sql, "PRAGMA user_version = %d", v + 1);
		rc = exec(j, sql);
		if (rc < 0)
			return rc;
	}
	const char *file = sqlite3_db_filename(j->db, "main");
	if (from > 0 && from < HS_JOURNAL_SCHEMA_VERSION)
		hs_info(file && file[0]
		                ? "journal '%s' upgraded from version %d to %d"
		                : "journal '%s' read from version %d as %d, in "
		                  "memory: the file may not be written",
		        j->path, from, HS_JOURNAL_SCHEMA_VERSION);
	return 0;
}

/* Is the open file a headsup journal, or an empty database that can
 * become one?  HS_EFORMAT, said once, for another program's database
 * (tables but no schema version) and for a newer headsup's journal;
 * 0 otherwise, with the schema version (0 for an empty database) in
 * *version.  Reading errors are returned as they are, unsaid. */
static int check_ours(hs_journal *j, int *version)
{
	int tables = 0;
	int rc = int_pragma(j, "PRAGMA user_version", version);
	if (rc == 0)
		rc = int_pragma(j, "SELECT count(*) FROM sqlite_schema",
		                &tables);
	if (rc < 0)
		return rc;
	/* Said once: a monitor retrying its commits meets it every time. */
	const hs_log_level say = j->failing ? HS_LOG_DEBUG : HS_LOG_ERROR;
	if (*version == 0 && tables > 0) {
		hs_log_(say,
		        "'%s' is an SQLite database of another program, not a "
		        "headsup journal; it was left as it is",
		        j->path);
		return HS_EFORMAT;
	}
	if (*version < 0) {
		/* No headsup writes one: upgrading "from" it would run
		 * whatever lies before the list of upgrades. */
		hs_log_(say,
		        "journal '%s' has schema version %d, which no headsup "
		        "writes; it was left as it is",
		        j->path, *version);
		return HS_EFORMAT;
	}
	if (*version > HS_JOURNAL_SCHEMA_VERSION) {
		hs_log_(say,
		        "journal '%s' was written by a newer headsup (schema "
		        "version %d, this one knows %d)",
		        j->path, *version, HS_JOURNAL_SCHEMA_VERSION);
		return HS_EFORMAT;
	}
	return 0;
}

/* Take the write lock, bring the schema up to date.  HS_ELOCKED when
 * another program holds the lock past the busy timeout. */
static int lock_and_migrate(hs_journal *j)
{
	int rc = exec(j, "BEGIN IMMEDIATE");
	if (rc < 0)
		return rc;
	int version = 0;
	rc = check_ours(j, &version);
	if (rc == 0)
		rc = migrate(j, version);
	if (rc == 0)
		rc = exec(j, "COMMIT");
	if (rc < 0)
		sqlite3_exec(j->db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

/* Is the open file a sound database?  0, HS_ECORRUPT, or another error
 * (locked, unreadable) that says nothing about its contents. */
static int check_sound(hs_journal *j)
{
	int rc = exec(j, "PRAGMA journal_mode = WAL");
	if (rc < 0)
		return rc;
	sqlite3_stmt *st = NULL;
	int src =
	        sqlite3_prepare_v2(j->db, "PRAGMA quick_check", -1, &st, NULL);
	if (src == SQLITE_OK) {
		src = sqlite3_step(st);
		if (src == SQLITE_ROW) {
			const unsigned char *txt = sqlite3_column_text(st, 0);
			src = txt && strcmp((const char *)txt, "ok") == 0
			              ? SQLITE_OK
			              : SQLITE_CORRUPT;
		}
	}
	sqlite3_finalize(st);
	return src == SQLITE_OK ? 0 : err_from_sqlite(j->db, src);
}

/* Rename path (and its -wal/-shm companions) to
 * "<path>.corrupt-YYYYmmdd-HHMMSS" (plus "-N" if taken). */
static int move_aside(const char *path, char *moved, size_t size)
{
	time_t now = (time_t)hs_clock_wall();
	struct tm tm;
	localtime_r(&now, &tm);
	char stamp[32];
	strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
	char name[PATH_MAX];
	for (int i = 1; i < 100; i++) {
		int n = i == 1 ? snprintf(name, sizeof name, "%s.corrupt-%s",
		                          path, stamp)
		               : snprintf(name, sizeof name, "%s.corrupt-%s-%d",
		                          path, stamp, i);
		if (n < 0 || (size_t)n + 5 >= sizeof name)
			return HS_ERANGE;
		if (access(name, F_OK) == 0)
			continue;
		if (rename(path, name) != 0)
			return hs_err_from_errno(errno);
		static const char *const companions[] = { "-wal", "-shm" };
		for (size_t c = 0; c < 2; c++) {
			char from[PATH_MAX + 8], to[PATH_MAX + 8];
			snprintf(from, sizeof from, "%s%s", path,
			         companions[c]);
			snprintf(to, sizeof to, "%s%s", name, companions[c]);
			if (access(from, F_OK) == 0 && rename(from, to) != 0)
				hs_warn("cannot move '%s' aside: %s", from,
				        strerror(errno));
		}
		snprintf(moved, size, "%s", name);
		return 0;
	}
	return HS_EIO;
}

static int open_db_as(hs_journal *j, const char *name, int flags)
{
	int rc = sqlite3_open_v2(name, &j->db, flags, NULL);
	if (rc != SQLITE_OK) {
		int err = err_from_sqlite(j->db, rc);
		hs_debug("journal '%s': sqlite3_open: %s", j->path,
		         db_msg(j->db));
		sqlite3_close(j->db);
		j->db = NULL;
		return err;
	}
	sqlite3_busy_timeout(j->db, BUSY_TIMEOUT_MS);
	sqlite3_extended_result_codes(j->db, 1);
	return 0;
}

static int open_db(hs_journal *j, int flags)
{
	return open_db_as(j, j->path, flags);
}

/* Reopen the journal as an immutable file, for a journal on a read-only
 * medium or without write permission: SQLite cannot read a WAL-mode
 * database there otherwise, as it needs to create its -shm file.  The
 * path goes into a URI, so its special characters are escaped. */
static int reopen_immutable(hs_journal *j)
{
	sqlite3_close(j->db);
	j->db = NULL;
	char uri[PATH_MAX * 3 + 32] = "file:";
	size_t n = strlen(uri);
	int rc = hs_path_put_uri(uri, sizeof uri, &n, j->path);
	if (rc < 0)
		return rc;
	snprintf(uri + n, sizeof uri - n, "?immutable=1");
	return open_db_as(j, uri, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI);
}

/* SQLite's companion files, which hold what the journal does while it is
 * open. */
static const char *const companions[] = { "-wal", "-shm", "-journal" };

/* Those of path's companion files that are there must be the user's too:
 * SQLite would write into another user's as into the journal.  With
 * 'tighten', ours are made 0600 (they take the journal's mode when SQLite
 * makes them, before tightening).
 *
 * By name only, never opening them: this runs while the journal is open,
 * and closing any descriptor of a file drops every POSIX lock the process
 * holds on it, SQLite's included.  Without its lock on the -shm file, a
 * `headsup report` or a `sqlite3` look at the journal takes itself for
 * the only user: it truncates the shared memory under the monitor (which
 * then dies of SIGBUS) or checkpoints and deletes the live -wal file, and
 * what the monitor commits after that is lost with it. */
static int check_companions(const char *path, bool tighten)
{
	for (size_t i = 0; i < sizeof companions / sizeof companions[0]; i++) {
		char name[PATH_MAX + 16];
		snprintf(name, sizeof name, "%s%s", path, companions[i]);
		struct stat st;
		if (lstat(name, &st) != 0)
			continue;
		if (st.st_uid != geteuid())
			return HS_ENOTOWNER;
		if (tighten && S_ISREG(st.st_mode) && (st.st_mode & 077))
			chmod(name, 0600);
	}
	return 0;
}

/* Create the file with mode 0600 (SQLite would use 0644), before SQLite
 * opens it.  HS_ENOTOWNER (unsaid: the caller says it once) when the file
 * or a companion of it belongs to another user, who could read the journal
 * there. */
static int make_private_file(const char *path)
{
	/* Non-blocking: a FIFO in its place must not hang the monitor. */
	struct stat st;
	int fd = hs_path_open_private(path, O_RDWR | O_NONBLOCK | O_CLOEXEC,
	                              &st);
	if (fd < 0)
		return fd;
	const int rc = S_ISREG(st.st_mode) ? 0 : HS_ENOTFILE;
	close(fd);
	return rc == 0 ? check_companions(path, false) : rc;
}

/* Once the open file is known to be a journal (another program's database
 * keeps its mode): make it and its companions 0600, saying so for the
 * journal.  By name, as check_companions() says why. */
static int make_open_journal_private(const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0)
		return hs_err_from_errno(errno);
	if (st.st_uid != geteuid())
		return HS_ENOTOWNER;
	if (S_ISREG(st.st_mode) && (st.st_mode & 077) && chmod(path, 0600) == 0)
		hs_warn("journal '%s' could be %s by other users (mode %04o); "
		        "it is private to you now (mode 0600)",
		        path, (st.st_mode & 022) ? "read and changed" : "read",
		        (unsigned)(st.st_mode & 07777));
	return check_companions(path, true);
}

hs_journal_file hs_journal_file_kind(const char *path)
{
	static const char magic[16] = "SQLite format 3";
	char head[16];
	struct stat st;
	ssize_t n = 0;
	/* Non-blocking: a FIFO named by mistake must not hang. */
	const int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd >= 0 && fstat(fd, &st) == 0)
		n = S_ISREG(st.st_mode) ? read(fd, head, sizeof head)
		                        : (ssize_t)sizeof head + 1;
	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return HS_JOURNAL_FILE_NONE;
	return n == sizeof head && memcmp(head, magic, sizeof head) == 0
	               ? HS_JOURNAL_FILE_SQLITE
	               : HS_JOURNAL_FILE_OTHER;
}

static hs_journal *journal_new(const char *path)
{
	hs_journal *j = calloc(1, sizeof *j);
	if (!j)
		return NULL;
	if (snprintf(j->path, sizeof j->path, "%s", path) >=
	    (int)sizeof j->path) {
		free(j);
		return NULL;
	}
	j->commit_s = hs_config_builtin.commit_s;
	j->next_local = 1;
	return j;
}

/* Does "<name><suffix>" exist? */
static bool companion_exists(const char *name, const char *suffix)
{
	char file[PATH_MAX + 8];
	snprintf(file, sizeof file, "%s%s", name, suffix);
	return access(file, F_OK) == 0 || errno != ENOENT;
}

/* A read-only connection to a WAL journal makes its -wal and -shm files
 * but cannot remove them: SQLite removes them only when a connection that
 * may write closes last.  So open one, read, and close it.  SQLite then
 * copies anything in the -wal into the journal and removes both, if and
 * only if no other connection has the journal open (it takes the file's
 * exclusive lock first): a monitor running keeps its files, and nothing
 * written can be lost. */
static void remove_companions(const char *name)
{
	if (!companion_exists(name, "-wal") && !companion_exists(name, "-shm"))
		return;
	sqlite3 *db = NULL;
	if (sqlite3_open_v2(name, &db, SQLITE_OPEN_READWRITE, NULL) ==
	    SQLITE_OK)
		sqlite3_exec(db, "PRAGMA schema_version", NULL, NULL, NULL);
	sqlite3_close(db);
}

/* Remove the -wal and -shm files of name when the -wal is empty: those
 * this process made a moment ago, on a disk too full for SQLite to set up
 * the -shm (or to remove the two when closing).  Made by us, so no other
 * connection had the journal open; empty, so they hold nothing.  Whether
 * they are gone. */
static bool drop_empty_companions(const char *name)
{
	char wal[PATH_MAX + 8], shm[PATH_MAX + 8];
	snprintf(wal, sizeof wal, "%s-wal", name);
	snprintf(shm, sizeof shm, "%s-shm", name);
	struct stat st;
	if (stat(wal, &st) == 0 && st.st_size > 0)
		return false;
	unlink(wal);
	unlink(shm);
	return !companion_exists(name, "-wal") &&
	       !companion_exists(name, "-shm");
}

/* Does path's -wal file hold anything (written, not yet checkpointed)? */
static bool wal_holds_data(const char *path)
{
	char wal[PATH_MAX + 8];
	snprintf(wal, sizeof wal, "%s-wal", path);
	struct stat st;
	return stat(wal, &st) == 0 && st.st_size > 0;
}

/* Close the database and its statements. */
static void close_db(hs_journal *j)
{
	sqlite3_stmt **st[] = { &j->st_minute, &j->st_alert, &j->st_session,
		                &j->st_end };
	for (size_t i = 0; i < sizeof st / sizeof st[0]; i++) {
		sqlite3_finalize(*st[i]);
		*st[i] = NULL;
	}
	sqlite3_close(j->db);
	j->db = NULL;
}

static void journal_free(hs_journal *j)
{
	close_db(j);
	if (j->tidy[0])
		remove_companions(j->tidy);
	free(j->sessions);
	free(j->minutes);
	free(j->alerts);
	free(j);
}

static const char *open_reason(int rc)
{
	switch (rc) {
	case HS_EACCES:
		return "permission denied or read-only file system";
	case HS_ENOSPC:
		return "no space left on device";
	case HS_ELOCKED:
		return "locked by another program (another 'headsup run', or "
		       "an open sqlite3 session?)";
	default:
		return hs_strerror(rc);
	}
}

/* Do the journal's tables hold what this headsup writes?  Its writes are
 * prepared now, once: a table dropped or altered by hand would otherwise
 * be found at the first write, and a whole day kept in memory and lost. */
static bool tables_fit(hs_journal *j)
{
	struct {
		sqlite3_stmt **st;
		const char *sql;
	} writes[] = {
		{ &j->st_session, sql_insert_session },
		{ &j->st_end, sql_end_session },
		{ &j->st_minute, sql_upsert_minute },
		{ &j->st_alert, sql_insert_alert },
	};
	for (size_t i = 0; i < sizeof writes / sizeof writes[0]; i++)
		if (prepare(j, writes[i].st, writes[i].sql) == HS_EDB) {
			hs_debug("journal '%s': its tables are not a headsup "
			         "journal's: %s",
			         j->path, db_msg(j->db));
			return false;
		}
	return true;
}

/* Make the open journal ready for writing: sound, private, its schema up
 * to date and its tables as this headsup writes them.  HS_ECORRUPT when
 * it is damaged, or its tables are not what its version says (an upgrade
 * that fails on what is there, a table dropped by hand: a statement of its
 * writes cannot be prepared). */
static int make_ready(hs_journal *j)
{
	int rc = check_sound(j);
	if (rc == 0)
		rc = make_open_journal_private(j->path); /* ours: 0600 */
	if (rc == 0)
		rc = exec(j, "PRAGMA synchronous = NORMAL");
	if (rc == 0)
		rc = lock_and_migrate(j);
	if (rc == 0 && !tables_fit(j))
		rc = HS_ECORRUPT;
	return rc;
}

/* Open or create the journal at j->path for writing, into j (see
 * hs_journal_open()). */
static int open_file(hs_journal *j, char *moved_to)
{
	const char *path = j->path;
	if (moved_to)
		moved_to[0] = '\0';
	int rc;
	char dir[PATH_MAX];
	snprintf(dir, sizeof dir, "%s", path);
	char *slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		rc = hs_path_mkdirs(dir, 0700);
		if (rc < 0) {
			/* The caller says it once; a retrying monitor must
			 * not repeat it every minute. */
			hs_debug("cannot create journal folder '%s': %s", dir,
			         hs_strerror(rc));
			return rc;
		}
		/* The default journal's folder, made by someone else first
		 * (a per-user install into ~/.local puts the program's own
		 * files in ~/.local/share/headsup): private too, when it is
		 * the user's.  A folder the user named is left as it is. */
		struct stat st;
		if (j->may_move_aside && stat(dir, &st) == 0 &&
		    st.st_uid == geteuid() && (st.st_mode & 077))
			chmod(dir, st.st_mode & 0700);
	}
	if (hs_path_is_folder(path)) {
		rc = HS_EISDIR;
		goto fail;
	}
	rc = make_private_file(path);
	if (rc < 0)
		goto fail;
	rc = open_db(j, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
	if (rc < 0)
		goto fail;
	/* Another program's database is not touched (check_sound() would
	 * already switch it to WAL). */
	int version;
	if (check_ours(j, &version) == HS_EFORMAT) {
		close_db(j);
		return HS_EFORMAT;
	}
	rc = make_ready(j);
	if (rc == HS_ECORRUPT && !j->may_move_aside) {
		close_db(j);
		return HS_ECORRUPT; /* the caller says it: the user's file */
	}
	if (rc == HS_ECORRUPT) {
		close_db(j);
		char moved[PATH_MAX];
		rc = move_aside(path, moved, sizeof moved);
		if (rc < 0) {
			/* Said by the caller, once: this is retried. */
			hs_debug("journal '%s' is corrupt and cannot be moved "
			         "aside: %s",
			         path, hs_strerror(rc));
			return HS_ECORRUPT;
		}
		hs_warn("journal '%s' was corrupt; it was kept as '%s' and a "
		        "new journal was started",
		        path, moved);
		if (moved_to)
			snprintf(moved_to, PATH_MAX, "%s", moved);
		rc = make_private_file(path);
		if (rc == 0)
			rc = open_db(j, SQLITE_OPEN_READWRITE |
			                        SQLITE_OPEN_CREATE);
		if (rc == 0)
			rc = make_ready(j);
	}
	struct stat st;
	if (rc == 0 && stat(path, &st) != 0)
		rc = hs_err_from_errno(errno);
	if (rc < 0)
		goto fail;
	j->dev = st.st_dev;
	j->ino = st.st_ino;
	return 0;

fail:
	if (rc != HS_EFORMAT)
		hs_debug("cannot open journal '%s': %s", path, open_reason(rc));
	close_db(j);
	return rc;
}

/* A writer for path; opened now, or (later) at its first commit that
 * manages to, the failure to open being said by the caller already. */
static int open_writer(const char *path, bool may_move_aside, char *moved_to,
                       bool later, hs_journal **out)
{
	if (!path || !out)
		return HS_EINVAL;
	hs_journal *j = journal_new(path);
	if (!j)
		return HS_ENOMEM;
	j->may_move_aside = may_move_aside;
	j->failing = later;
	int rc = later ? 0 : open_file(j, moved_to);
	if (rc < 0) {
		journal_free(j);
		return rc;
	}
	*out = j;
	return 0;
}

int hs_journal_open(const char *path, char *moved_to, hs_journal **out)
{
	return open_writer(path, true, moved_to, false, out);
}

int hs_journal_open_named(const char *path, hs_journal **out)
{
	return open_writer(path, false, NULL, false, out);
}

int hs_journal_open_later(const char *path, bool may_move_aside,
                          hs_journal **out)
{
	return open_writer(path, may_move_aside, NULL, true, out);
}

/* An older headsup's journal that may not be written (read-only, another
 * user's, on read-only media): upgraded in a copy in memory, for this
 * reading, and the file left as it is. */
static int upgrade_in_memory(hs_journal *j)
{
	/* What a monitor wrote last may still be in the -wal file, which
	 * only a plain connection reads. */
	int rc;
	if (wal_holds_data(j->path)) {
		sqlite3_close(j->db);
		j->db = NULL;
		rc = open_db(j, SQLITE_OPEN_READONLY);
	} else {
		rc = reopen_immutable(j);
	}
	if (rc < 0)
		return rc;
	sqlite3 *mem = NULL;
	if (sqlite3_open_v2(":memory:", &mem,
	                    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
	                    NULL) != SQLITE_OK) {
		sqlite3_close(mem);
		return HS_ENOMEM;
	}
	sqlite3_backup *copy = sqlite3_backup_init(mem, "main", j->db, "main");
	const int step = copy ? sqlite3_backup_step(copy, -1) : SQLITE_NOMEM;
	if (copy)
		sqlite3_backup_finish(copy);
	sqlite3_close(j->db);
	j->db = mem;
	if (step != SQLITE_DONE)
		return err_from_sqlite(mem, step);
	return lock_and_migrate(j);
}

int hs_journal_open_existing(const char *path, hs_journal **out)
{
	if (!path || !out)
		return HS_EINVAL;
	struct stat st;
	if (stat(path, &st) != 0) {
		int rc = hs_err_from_errno(errno);
		if (rc != HS_ENOENT)
			hs_error("cannot open journal '%s': %s", path,
			         open_reason(rc));
		return rc;
	}
	if (S_ISDIR(st.st_mode)) {
		hs_error("journal '%s' is a folder, not a journal file", path);
		return HS_EISDIR;
	}
	if (!S_ISREG(st.st_mode)) { /* a FIFO would block the open */
		hs_error("journal '%s' is not a regular file, so not a journal",
		         path);
		return HS_ENOTFILE;
	}
	hs_journal *j = journal_new(path);
	if (!j)
		return HS_ENOMEM;
	/* Read-only: a report never changes the file it reads.  A journal
	 * it may not write (another user's, a read-only medium) is read as
	 * an immutable file at once, unless its -wal holds what a monitor
	 * wrote (which only a plain read sees): SQLite would make the -wal
	 * and -shm files with the journal's mode, and could not remove
	 * them, and they would keep the monitor from opening it. */
	const bool writable = access(path, W_OK) == 0;
	int rc = writable || wal_holds_data(path)
	                 ? open_db(j, SQLITE_OPEN_READONLY)
	                 : reopen_immutable(j);
	if (rc < 0) {
		hs_error("cannot open journal '%s': %s", path, open_reason(rc));
		goto fail;
	}
	/* SQLite makes the -wal and -shm files at the first read. */
	const char *name = sqlite3_db_filename(j->db, "main");
	if (writable && name && name[0] && !companion_exists(name, "-wal") &&
	    !companion_exists(name, "-shm"))
		snprintf(j->tidy, sizeof j->tidy, "%s", name);
	int version = 0;
	rc = check_ours(j, &version);
	/* No room on the disk for those two files: the journal can still be
	 * read as it is (what a full disk most needs is a report). */
	if (writable &&
	    (rc == HS_EACCES || rc == HS_ENOSPC || rc == HS_EFBIG)) {
		sqlite3_close(j->db);
		j->db = NULL;
		if (j->tidy[0] && drop_empty_companions(j->tidy))
			j->tidy[0] = '\0';
		rc = reopen_immutable(j);
		if (rc == 0)
			rc = check_ours(j, &version);
	}
	if (rc == HS_EFORMAT || rc == HS_ECORRUPT)
		goto fail; /* said by check_ours(), or the caller's to say */
	if (rc < 0) {
		hs_error("cannot read journal '%s': %s", path, open_reason(rc));
		goto fail;
	}
	if (version == 0) {
		/* An empty database: nothing was ever journalled. */
		rc = HS_ENOENT;
		goto fail;
	}
	if (version < HS_JOURNAL_SCHEMA_VERSION) {
		/* An older headsup's journal: upgrade it, as `run` would. */
		sqlite3_close(j->db);
		j->db = NULL;
		rc = open_db(j, SQLITE_OPEN_READWRITE);
		if (rc == 0)
			rc = lock_and_migrate(j);
		if (rc == HS_EACCES)
			rc = upgrade_in_memory(j);
		if (rc < 0) {
			if (rc != HS_EFORMAT)
				hs_error(
				        "journal '%s' is from an older headsup "
				        "and cannot be upgraded: %s",
				        path, open_reason(rc));
			goto fail;
		}
	}
	*out = j;
	return 0;
fail:
	journal_free(j);
	return rc;
}

int hs_journal_default_path(char *buf, size_t size)
{
	return hs_path_xdg(HS_XDG_DATA, "journal.db", buf, size);
}

/* ---- writing ----------------------------------------------------------------
 */

static int write_session(hs_journal *j, session_rec *s)
{
	int rc;
	if (s->db_id == 0) {
		rc = prepare(j, &j->st_session, sql_insert_session);
		if (rc < 0)
			return rc;
		sqlite3_bind_double(j->st_session, 1, s->start);
		if (s->end > 0)
			sqlite3_bind_double(j->st_session, 2, s->end);
		sqlite3_bind_text(j->st_session, 3, s->source, -1,
		                  SQLITE_STATIC);
		sqlite3_bind_text(j->st_session, 4, s->calibration, -1,
		                  SQLITE_STATIC);
		rc = step_done(j, j->st_session);
		if (rc == 0)
			s->new_id = sqlite3_last_insert_rowid(j->db);
		return rc;
	}
	if (!s->end_dirty)
		return 0;
	rc = prepare(j, &j->st_end, sql_end_session);
	if (rc < 0)
		return rc;
	sqlite3_bind_int64(j->st_end, 1, s->db_id);
	sqlite3_bind_double(j->st_end, 2, s->end);
	return step_done(j, j->st_end);
}

static long long session_id(hs_journal *j, unsigned local)
{
	session_rec *s = find_session(j, local);
	if (!s)
		return 0;
	return s->db_id ? s->db_id : s->new_id;
}

static int write_minute(hs_journal *j, const pending_minute *m)
{
	int rc = prepare(j, &j->st_minute, sql_upsert_minute);
	if (rc < 0)
		return rc;
	sqlite3_stmt *st = j->st_minute;
	sqlite3_bind_int64(st, 1, m->minute);
	sqlite3_bind_int64(st, 2, session_id(j, m->session));
	for (int s = 0; s < HS_STATE_COUNT; s++)
		sqlite3_bind_double(st, 3 + s, m->state_s[s]);
	if (m->pitch_frames > 0)
		sqlite3_bind_double(st, 8,
		                    m->pitch_sum / (double)m->pitch_frames);
	if (m->drop_frames > 0)
		sqlite3_bind_double(st, 9,
		                    m->drop_sum / (double)m->drop_frames);
	sqlite3_bind_int64(st, 10, m->frames);
	sqlite3_bind_int64(st, 11, m->face_frames);
	sqlite3_bind_int64(st, 12, m->pitch_frames);
	sqlite3_bind_int64(st, 13, m->drop_frames);
	return step_done(j, st);
}

static int write_alert(hs_journal *j, const pending_alert *p)
{
	int rc = prepare(j, &j->st_alert, sql_insert_alert);
	if (rc < 0)
		return rc;
	sqlite3_stmt *st = j->st_alert;
	sqlite3_bind_double(st, 1, p->a.t);
	long long sid = session_id(j, p->session);
	if (sid)
		sqlite3_bind_int64(st, 2, sid);
	sqlite3_bind_text(st, 3, hs_state_name(p->a.kind), -1, SQLITE_STATIC);
	sqlite3_bind_double(st, 4, p->a.after_s);
	if (p->a.topic[0])
		sqlite3_bind_text(st, 5, p->a.topic, -1, SQLITE_STATIC);
	return step_done(j, st);
}

/* Forget sessions that are written, ended and referenced by nothing
 * pending. */
static void prune_sessions(hs_journal *j)
{
	size_t keep = 0;
	for (size_t i = 0; i < j->n_sessions; i++) {
		session_rec *s = &j->sessions[i];
		bool current = j->in_session && s->local == j->current;
		if (current || s->db_id == 0 || s->end_dirty)
			j->sessions[keep++] = *s;
	}
	j->n_sessions = keep;
}

/* Has the journal's file been moved or deleted since it was opened (by
 * the user, or a clean-up)?  SQLite would go on writing into the file it
 * has open, wherever that now is, and its -wal under the old name, where
 * nothing would ever read it. */
static bool file_replaced(const hs_journal *j)
{
	struct stat st;
	if (stat(j->path, &st) != 0)
		return errno == ENOENT;
	return st.st_dev != j->dev || st.st_ino != j->ino;
}

/* The -wal (emptied) and -shm files a moved journal leaves under its old
 * name, which the new file there must not take up. */
static void remove_leftovers(const char *path)
{
	char wal[PATH_MAX + 8], shm[PATH_MAX + 8];
	snprintf(wal, sizeof wal, "%s-wal", path);
	snprintf(shm, sizeof shm, "%s-shm", path);
	struct stat st;
	if (lstat(wal, &st) == 0 && (!S_ISREG(st.st_mode) || st.st_size > 0))
		return; /* not ours to remove */
	unlink(wal);
	unlink(shm);
}

/* Go on in a new file at the journal's path: the file open was moved or
 * deleted ('corrupt' false; what was committed is first copied from its
 * -wal into it, so a moved journal is whole), or went corrupt (then moved
 * aside, as at opening).  The sessions are written again into the new
 * file, with what is pending, at the next write. */
static int start_again(hs_journal *j, bool corrupt)
{
	if (j->db && !corrupt)
		sqlite3_wal_checkpoint_v2(
		        j->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
	close_db(j);
	if (!corrupt)
		remove_leftovers(j->path);
	for (size_t i = 0; i < j->n_sessions; i++) {
		session_rec *s = &j->sessions[i];
		s->db_id = 0;
		s->new_id = 0;
		s->end_dirty = false; /* the end goes in with the row */
	}
	return open_file(j, NULL);
}

/* Write everything pending in one transaction; on failure it is rolled
 * back, and why (SQLite's words) goes into why. */
static int write_pending(hs_journal *j, char *why, size_t size)
{
	int rc = exec(j, "BEGIN IMMEDIATE");
	for (size_t i = 0; rc == 0 && i < j->n_sessions; i++)
		rc = write_session(j, &j->sessions[i]);
	for (size_t i = 0; rc == 0 && i < j->n_minutes; i++)
		rc = write_minute(j, &j->minutes[i]);
	for (size_t i = 0; rc == 0 && i < j->n_alerts; i++)
		rc = write_alert(j, &j->alerts[i]);
	if (rc == 0)
		rc = exec(j, "COMMIT");
	if (rc < 0) {
		snprintf(why, size, "%s", db_msg(j->db));
		if (!sqlite3_get_autocommit(j->db))
			sqlite3_exec(j->db, "ROLLBACK", NULL, NULL, NULL);
		for (size_t i = 0; i < j->n_sessions; i++)
			j->sessions[i].new_id = 0;
	}
	return rc;
}

static int commit(hs_journal *j, double t)
{
	j->last_commit_t = t;
	if (j->n_minutes == 0 && j->n_alerts == 0) {
		bool dirty = false;
		for (size_t i = 0; i < j->n_sessions; i++)
			dirty |= j->sessions[i].db_id == 0 ||
			         j->sessions[i].end_dirty;
		if (!dirty)
			return 0;
	}
	char why[512] = "";
	int rc = 0;
	if (j->db && file_replaced(j)) {
		rc = start_again(j, false);
		hs_warn("journal '%s' was moved or deleted while headsup ran; "
		        "what was written until then stays in that file%s",
		        j->path,
		        rc == 0 ? ", and a new journal was started in its place"
		                : "");
	} else if (!j->db) { /* starting again failed: retried */
		rc = open_file(j, NULL);
	}
	if (rc == 0)
		rc = write_pending(j, why, sizeof why);
	/* Damaged while open (the disk, or another program): moved aside
	 * and started again, as at opening, if it may be. */
	if (rc == HS_ECORRUPT && j->may_move_aside) {
		rc = start_again(j, true);
		if (rc == 0)
			rc = write_pending(j, why, sizeof why);
	}
	if (rc < 0) {
		/* SQLite's words, or ours, when they add to the reason */
		const char *more = why[0] ? why : open_reason(rc);
		char reason[sizeof why + 128];
		if (strcmp(more, hs_strerror(rc)) != 0)
			snprintf(reason, sizeof reason, "%s (%s)",
			         hs_strerror(rc), more);
		else
			snprintf(reason, sizeof reason, "%s", more);
		if (!j->failing && j->n_minutes > 0)
			hs_warn("cannot write journal '%s': %s; keeping %zu "
			        "minute(s) in memory and retrying",
			        j->path, reason, j->n_minutes);
		else if (!j->failing)
			hs_warn("cannot write journal '%s': %s; retrying, and "
			        "keeping what is watched in memory until it "
			        "can "
			        "be written",
			        j->path, reason);
		else
			hs_debug("journal '%s' still failing: %s", j->path,
			         reason);
		j->failing = true;
		return rc;
	}
	for (size_t i = 0; i < j->n_sessions; i++) {
		session_rec *s = &j->sessions[i];
		if (s->db_id == 0)
			s->db_id = s->new_id;
		s->new_id = 0;
		s->end_dirty = false;
	}
	if (j->failing)
		hs_info("journal '%s' is writable again; %zu minute(s) saved",
		        j->path, j->n_minutes);
	j->failing = false;
	j->n_minutes = 0;
	j->n_alerts = 0;
	prune_sessions(j);
	return 0;
}

int hs_journal_flush(hs_journal *j)
{
	if (!j)
		return HS_EINVAL;
	return commit(j, j->last_t);
}

int hs_journal_forget_before(hs_journal *j, double t_unix, long *minutes)
{
	static const char *const sql[] = {
		"DELETE FROM minutes WHERE minute < ?1",
		"DELETE FROM alerts WHERE time_unix < ?1",
		/* Ended before the cut, or cut short (no end) and started
		 * before it; never the open session, nor one still used. */
		"DELETE FROM sessions WHERE coalesce(end_unix, start_unix) < ?1"
		" AND id != ?2"
		" AND NOT EXISTS (SELECT 1 FROM minutes"
		"                 WHERE minutes.session = sessions.id)"
		" AND NOT EXISTS (SELECT 1 FROM alerts"
		"                 WHERE alerts.session = sessions.id)",
	};
	if (minutes)
		*minutes = 0;
	if (!j || !isfinite(t_unix))
		return HS_EINVAL;
	/* Write what is pending first, so that only the open session is
	 * left in memory, with its id in the database. */
	int rc = commit(j, j->last_t);
	if (rc < 0)
		return rc;
	const session_rec *open =
	        j->in_session ? find_session(j, j->current) : NULL;
	long n = 0;
	rc = exec(j, "PRAGMA secure_delete = ON");
	if (rc == 0)
		rc = exec(j, "BEGIN IMMEDIATE");
	for (size_t i = 0; rc == 0 && i < sizeof sql / sizeof sql[0]; i++) {
		sqlite3_stmt *st = NULL;
		int src = sqlite3_prepare_v2(j->db, sql[i], -1, &st, NULL);
		if (src == SQLITE_OK) {
			sqlite3_bind_double(st, 1, t_unix);
			if (i == 2)
				sqlite3_bind_int64(st, 2,
				                   open ? open->db_id : 0);
			src = sqlite3_step(st);
		}
		rc = src == SQLITE_DONE ? 0 : err_from_sqlite(j->db, src);
		if (rc == 0 && i == 0)
			n = (long)sqlite3_changes(j->db);
		sqlite3_finalize(st);
	}
	if (rc == 0)
		rc = exec(j, "COMMIT");
	if (rc < 0) {
		hs_warn("cannot forget the old part of journal '%s': %s (%s)",
		        j->path, hs_strerror(rc), db_msg(j->db));
		if (!sqlite3_get_autocommit(j->db))
			sqlite3_exec(j->db, "ROLLBACK", NULL, NULL, NULL);
		return rc;
	}
	/* Old copies of the pages may sit in the write-ahead log too. */
	if (n > 0)
		sqlite3_exec(j->db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL,
		             NULL, NULL);
	if (minutes)
		*minutes = n;
	return 0;
}

void hs_journal_set_commit_interval(hs_journal *j, double commit_s)
{
	if (j)
		j->commit_s = commit_s > 0 ? commit_s : 0;
}

size_t hs_journal_pending(const hs_journal *j)
{
	if (!j)
		return 0;
	size_t n = j->n_minutes + j->n_alerts;
	for (size_t i = 0; i < j->n_sessions; i++)
		n += j->sessions[i].db_id == 0 || j->sessions[i].end_dirty;
	return n;
}

int hs_journal_end_session(hs_journal *j, double t_unix)
{
	if (!j)
		return HS_EINVAL;
	if (!j->in_session)
		return 0;
	session_rec *s = find_session(j, j->current);
	if (s) {
		s->end = t_unix;
		s->end_dirty = true;
	}
	j->in_session = false;
	j->have_prev_state = false;
	j->last_t = t_unix;
	return commit(j, t_unix);
}

int hs_journal_begin_session(hs_journal *j, double t_unix, const char *source,
                             const char *calibration)
{
	if (!j || !isfinite(t_unix))
		return HS_EINVAL;
	if (j->in_session) {
		/* Its commit failing only delays it: the new session's commit
		 * below retries. */
		(void)hs_journal_end_session(j, t_unix);
	}
	session_rec *arr = grow(j->sessions, &j->cap_sessions,
	                        j->n_sessions + 1, sizeof *arr);
	if (!arr)
		return HS_ENOMEM;
	j->sessions = arr;
	session_rec *s = &arr[j->n_sessions++];
	*s = (session_rec){ .local = j->next_local++, .start = t_unix };
	copy_text(s->source, sizeof s->source, source);
	copy_text(s->calibration, sizeof s->calibration, calibration);
	j->current = s->local;
	j->in_session = true;
	j->have_prev_state = false;
	j->last_t = t_unix;
	return commit(j, t_unix);
}

static pending_minute *minute_for(hs_journal *j, long long minute)
{
	for (size_t i = j->n_minutes; i-- > 0;) {
		pending_minute *m = &j->minutes[i];
		if (m->minute == minute && m->session == j->current)
			return m;
	}
	pending_minute *arr = grow(j->minutes, &j->cap_minutes,
	                           j->n_minutes + 1, sizeof *arr);
	if (!arr)
		return NULL;
	j->minutes = arr;
	pending_minute *m = &arr[j->n_minutes++];
	*m = (pending_minute){ .minute = minute, .session = j->current };
	return m;
}

int hs_journal_add_frame(hs_journal *j, double t_unix, double dt_s,
                         hs_state state, const hs_features *f, bool face)
{
	if (!j || !j->in_session || !isfinite(t_unix) || !(dt_s >= 0) ||
	    (int)state < 0 || state >= HS_STATE_COUNT)
		return HS_EINVAL;
	pending_minute *m = minute_for(j, (long long)floor(t_unix / 60.0) * 60);
	if (!m)
		return HS_ENOMEM;
	m->state_s[state] += dt_s;
	m->frames++;
	if (face)
		m->face_frames++;
	if (f && face) {
		if (f->has_pitch && isfinite(f->pitch_delta_deg)) {
			m->pitch_sum += f->pitch_delta_deg;
			m->pitch_frames++;
		}
		if (isfinite(f->drop_iod)) {
			m->drop_sum += f->drop_iod;
			m->drop_frames++;
		}
	}
	bool changed = j->have_prev_state && state != j->prev_state;
	j->prev_state = state;
	j->have_prev_state = true;
	j->last_t = t_unix;
	if (changed || t_unix - j->last_commit_t >= j->commit_s ||
	    t_unix < j->last_commit_t)
		return commit(j, t_unix);
	return 0;
}

int hs_journal_add_alert(hs_journal *j, double t_unix, hs_state kind,
                         double after_s, const char *topic)
{
	/* Checked here, as add_frame checks its own: one row the table
	 * refuses (NOT NULL, a NaN stored as NULL) would fail every later
	 * commit, which writes all that is pending or nothing. */
	if (!j || !isfinite(t_unix) || !isfinite(after_s) || after_s < 0 ||
	    (kind != HS_STATE_LOOKING_DOWN && kind != HS_STATE_HUNCHED))
		return HS_EINVAL;
	pending_alert *arr =
	        grow(j->alerts, &j->cap_alerts, j->n_alerts + 1, sizeof *arr);
	if (!arr)
		return HS_ENOMEM;
	j->alerts = arr;
	pending_alert *p = &arr[j->n_alerts++];
	*p = (pending_alert){
		.a = { .t = t_unix, .kind = kind, .after_s = after_s },
		.session = j->in_session ? j->current : 0,
	};
	copy_text(p->a.topic, sizeof p->a.topic, topic);
	if (t_unix > j->last_t)
		j->last_t = t_unix;
	return commit(j, t_unix);
}

bool hs_journal_keep_from(double now_unix, double data_unix, long keep_days,
                          hs_date *first)
{
	if (keep_days <= 0 || keep_days > INT_MAX || isnan(now_unix) ||
	    !isfinite(data_unix))
		return false;
	/* A day's grace: the data of a run that began yesterday evening
	 * and a clock that reads this morning are both right. */
	const double now = fmin(now_unix, data_unix + 86400.0);
	*first = hs_date_add_days(hs_date_from_unix(now), -(int)keep_days);
	return true;
}

int hs_journal_close(hs_journal *j)
{
	if (!j)
		return 0;
	int rc = j->in_session ? hs_journal_end_session(j, j->last_t)
	                       : commit(j, j->last_t);
	if (rc < 0 && j->n_minutes + j->n_alerts > 0)
		hs_error("journal '%s': %zu minute(s) and %zu alert(s) could "
		         "not be written, and are lost: %s",
		         j->path, j->n_minutes, j->n_alerts, hs_strerror(rc));
	else if (rc < 0)
		hs_error("journal '%s': the session's start or end could not "
		         "be written: %s",
		         j->path, hs_strerror(rc));
	journal_free(j);
	return rc;
}

/* ---- reading
 * ------------------------------------------------------------------ */

/* A read that failed with SQLite's code rc: said here, but for damage
 * (HS_ECORRUPT), which the caller says with what to do about it. */
static int read_failed(hs_journal *j, int rc)
{
	const int err = err_from_sqlite(j->db, rc);
	if (err == HS_ECORRUPT)
		hs_debug("journal '%s': %s", j->path, db_msg(j->db));
	else
		hs_error("cannot read journal '%s': %s", j->path,
		         db_msg(j->db));
	return err;
}

static int query(hs_journal *j, const char *sql, double from, double to,
                 sqlite3_stmt **st)
{
	if (!j->db)
		return HS_EIO; /* not opened yet (hs_journal_open_later()) */
	int rc = sqlite3_prepare_v2(j->db, sql, -1, st, NULL);
	if (rc != SQLITE_OK)
		return read_failed(j, rc);
	sqlite3_bind_double(*st, 1, from);
	sqlite3_bind_double(*st, 2, to);
	return 0;
}

/* Step through the rows of st, letting fill() turn each into one element
 * of a growing array. */
static int read_rows(hs_journal *j, sqlite3_stmt *st, size_t elem,
                     bool (*fill)(sqlite3_stmt *st, void *row), void **out,
                     size_t *n)
{
	unsigned char *arr = NULL;
	size_t count = 0, cap = 0;
	int src;
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		unsigned char *g = grow(arr, &cap, count + 1, elem);
		if (!g) {
			free(arr);
			return HS_ENOMEM;
		}
		arr = g;
		void *row = arr + count * elem;
		memset(row, 0, elem);
		if (fill(st, row)) /* false: a row to pass over */
			count++;
	}
	if (src != SQLITE_DONE) {
		free(arr);
		return read_failed(j, src);
	}
	*out = arr;
	*n = count;
	return 0;
}

/* A value read back from the file, where anything may have been written:
 * what no headsup writes (negative, infinite, or more than a day of
 * seconds in one minute) counts as nothing, so that a damaged row cannot
 * turn a report's sums into infinities or NaN. */
static double column_in(sqlite3_stmt *st, int col, double lo, double hi)
{
	double v = sqlite3_column_double(st, col);
	return isfinite(v) && v >= lo && v <= hi ? v : 0;
}

static long column_count(sqlite3_stmt *st, int col)
{
	sqlite3_int64 v = sqlite3_column_int64(st, col);
	return v > 0 && v <= LONG_MAX ? (long)v : 0;
}

static bool fill_minute(sqlite3_stmt *st, void *row)
{
	hs_journal_minute *m = row;
	m->start = sqlite3_column_double(st, 0);
	for (int s = 0; s < HS_STATE_COUNT; s++)
		m->state_s[s] = column_in(st, 1 + s, 0, 86400);
	m->pitch_mean_deg = column_in(st, 6, -180, 180);
	m->drop_mean_iod = column_in(st, 7, -100, 100);
	m->frames = column_count(st, 8);
	m->face_frames = column_count(st, 9);
	m->pitch_frames = column_count(st, 10);
	m->drop_frames = column_count(st, 11);
	/* A minute holds 60 s at most.  Sessions that overlap in time (a
	 * file replayed twice at the same --clock-start) would give it
	 * more: its seconds are scaled down to 60, shares kept. */
	double sum = 0;
	for (int s = 0; s < HS_STATE_COUNT; s++)
		sum += m->state_s[s];
	if (sum > 60)
		for (int s = 0; s < HS_STATE_COUNT; s++)
			m->state_s[s] *= 60 / sum;
	return true;
}

/* An alert of a kind headsup never gives (unknown, or upright) is passed
 * over; a duration no state can have had (negative, infinite, more than a
 * day) counts as nothing, as in column_in(). */
static bool fill_alert(sqlite3_stmt *st, void *row)
{
	hs_journal_alert *a = row;
	a->t = sqlite3_column_double(st, 0);
	int kind = hs_state_from_name((const char *)sqlite3_column_text(st, 1));
	if (kind != HS_STATE_LOOKING_DOWN && kind != HS_STATE_HUNCHED)
		return false;
	a->kind = (hs_state)kind;
	a->after_s = column_in(st, 2, 0, 86400);
	copy_text(a->topic, sizeof a->topic,
	          (const char *)sqlite3_column_text(st, 3));
	return true;
}

static bool fill_session(sqlite3_stmt *st, void *row)
{
	hs_journal_session *s = row;
	s->id = sqlite3_column_int64(st, 0);
	s->start = sqlite3_column_double(st, 1);
	s->end = sqlite3_column_double(st, 2);
	copy_text(s->source, sizeof s->source,
	          (const char *)sqlite3_column_text(st, 3));
	copy_text(s->calibration, sizeof s->calibration,
	          (const char *)sqlite3_column_text(st, 4));
	return true;
}

int hs_journal_newest(hs_journal *j, double *t_unix)
{
	if (!j || !t_unix)
		return HS_EINVAL;
	if (!j->db)
		return HS_EIO; /* not opened yet */
	static const char sql[] =
	        "SELECT max(t) FROM (SELECT max(minute) AS t FROM minutes"
	        " UNION ALL SELECT max(time_unix) FROM alerts)";
	sqlite3_stmt *st = NULL;
	int src = sqlite3_prepare_v2(j->db, sql, -1, &st, NULL);
	if (src == SQLITE_OK)
		src = sqlite3_step(st);
	if (src != SQLITE_ROW) {
		const int rc = read_failed(j, src);
		sqlite3_finalize(st);
		return rc;
	}
	*t_unix = sqlite3_column_type(st, 0) == SQLITE_NULL
	                  ? -INFINITY
	                  : sqlite3_column_double(st, 0);
	sqlite3_finalize(st);
	return 0;
}

int hs_journal_read_minutes(hs_journal *j, double from, double to,
                            hs_journal_minute **out, size_t *n)
{
	if (!j || !out || !n)
		return HS_EINVAL;
	/* total(), not sum(): another program's huge counts in two rows of
	 * one minute overflow sum()'s integers, and the read would fail. */
	static const char sql[] =
	        "SELECT minute, total(upright_s), total(looking_down_s),"
	        " total(hunched_s), total(away_s), total(uncalibrated_s),"
	        " total(pitch_mean_deg * pitch_frames) / "
	        "nullif(total(pitch_frames), 0),"
	        " total(drop_mean_iod * drop_frames) / "
	        "nullif(total(drop_frames), "
	        "0),"
	        " total(frames), total(face_frames), total(pitch_frames), "
	        "total(drop_frames)"
	        " FROM minutes WHERE minute >= ?1 AND minute < ?2"
	        " GROUP BY minute ORDER BY minute";
	sqlite3_stmt *st = NULL;
	int rc = query(j, sql, floor(from), to, &st);
	void *rows = NULL;
	if (rc == 0)
		rc = read_rows(j, st, sizeof **out, fill_minute, &rows, n);
	if (rc == 0)
		*out = rows;
	sqlite3_finalize(st);
	return rc;
}

int hs_journal_read_alerts(hs_journal *j, double from, double to,
                           hs_journal_alert **out, size_t *n)
{
	if (!j || !out || !n)
		return HS_EINVAL;
	static const char sql[] =
	        "SELECT time_unix, kind, after_s, ifnull(topic, '') FROM alerts"
	        " WHERE time_unix >= ?1 AND time_unix < ?2 ORDER BY time_unix";
	sqlite3_stmt *st = NULL;
	int rc = query(j, sql, from, to, &st);
	void *rows = NULL;
	if (rc == 0)
		rc = read_rows(j, st, sizeof **out, fill_alert, &rows, n);
	if (rc == 0)
		*out = rows;
	sqlite3_finalize(st);
	return rc;
}

int hs_journal_read_sessions(hs_journal *j, double from, double to,
                             hs_journal_session **out, size_t *n)
{
	if (!j || !out || !n)
		return HS_EINVAL;
	static const char sql[] = "SELECT id, start_unix, ifnull(end_unix, 0), "
	                          "ifnull(source, ''),"
	                          " ifnull(calibration, '') FROM sessions"
	                          " WHERE start_unix < ?2 AND (end_unix IS "
	                          "NULL OR end_unix >= ?1)"
	                          " ORDER BY start_unix";
	sqlite3_stmt *st = NULL;
	int rc = query(j, sql, from, to, &st);
	void *rows = NULL;
	if (rc == 0)
		rc = read_rows(j, st, sizeof **out, fill_session, &rows, n);
	if (rc == 0)
		*out = rows;
	sqlite3_finalize(st);
	return rc;
}
