/* journal.h - the posture journal: one SQLite file of sessions, minutes and
 * alerts.
 *
 * The monitor adds one call per analysed frame; the journal adds the
 * frame's time to the row of the minute it falls in and writes rows in
 * batches: at least every commit_s seconds of frame time (default 60), at
 * every state change and at every alert.  No row per frame is stored: a
 * year of 8-hour days is about 120,000 minute rows.
 *
 * Times are unix seconds taken from the caller (the monitor's clock, or a
 * replay's --clock-start plus the file's own time).  The clock is read only
 * to name a damaged journal that is set aside (hs_clock_wall(), clock.h).
 * Minute rows start at multiples of 60 s, which are also local minute
 * boundaries.
 *
 * When a write fails (read-only folder, full disk, file locked) the
 * unwritten minutes, alerts and session changes stay in memory and are
 * written at the next commit; the call returns HS_EACCES, HS_ENOSPC or
 * HS_ELOCKED.  The journal logs one warning per run of failures and an
 * info message when writing works again.
 *
 * A file that goes corrupt while open is moved aside (if it may be: see
 * hs_journal_open_named()) and a new one started, which gets what is
 * pending.  A file moved or deleted while open (SQLite would write on into
 * it wherever it went, its -wal left under the old name) keeps what was
 * written to it, and a new file is started at the path, said once.
 */
#ifndef HEADSUP_JOURNAL_H
#define HEADSUP_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "headsup/posture.h"
#include "headsup/timeparse.h"

/* The schema version this build writes (PRAGMA user_version).  Older
 * journals are migrated when opened; newer ones are refused (HS_EFORMAT). */
#define HS_JOURNAL_SCHEMA_VERSION 2

typedef struct hs_journal hs_journal;

/* Open or create the journal at path for writing (folder created 0700,
 * file 0600), WAL mode, schema migrated to the current version.  Another
 * program's SQLite database, or a newer headsup's journal, is left
 * untouched: HS_EFORMAT, said on the log.  A file
 * that is not a database or is corrupt is renamed aside to
 * "<path>.corrupt-YYYYmmdd-HHMMSS" (never deleted) and a new journal is
 * started; *moved_to (if not NULL, PATH_MAX bytes) gets the new name of
 * the old file, or "" when nothing was moved.  HS_ELOCKED when another
 * program holds the write lock; HS_EACCES / HS_ENOSPC when the folder or
 * file cannot be written. */
int hs_journal_open(const char *path, char *moved_to, hs_journal **out);
/* hs_journal_open() for a journal the user named (--journal): a corrupt
 * file is theirs, and left as it is: HS_ECORRUPT, unsaid. */
int hs_journal_open_named(const char *path, hs_journal **out);
/* A journal for path that opens when it can: nothing is opened now.  What
 * is added is kept in memory and written by the first commit that opens
 * the file (each commit interval, and at close); until then, reads fail
 * (HS_EIO, unsaid).  For a journal that could not be opened at start for
 * a reason that may pass (locked, a read-only folder, a full disk), said
 * by the caller: the retries are quiet until one works ("is writable
 * again").  may_move_aside as for hs_journal_open(). */
int hs_journal_open_later(const char *path, bool may_move_aside,
                          hs_journal **out);

/* Open an existing journal for reading (reports), read-only.  Unsaid:
 * HS_ENOENT when there is no file or it is an empty database, and
 * HS_ECORRUPT when it is not a readable database (left in place; what
 * happens to it next depends on whether it is the default journal, which
 * `headsup run` moves aside, or one the user named).  Said on the log:
 * HS_EFORMAT for another program's database or a newer headsup's journal,
 * other errors when it cannot be read.  Only an older headsup's journal is
 * written to: it is upgraded, as `headsup run` would. */
int hs_journal_open_existing(const char *path, hs_journal **out);

/* What the file at path is, from its first bytes (without waiting on a
 * pipe): none there (or unreadable), an SQLite database (a journal, maybe
 * damaged, or another program's), or something else. */
typedef enum hs_journal_file {
	HS_JOURNAL_FILE_NONE,
	HS_JOURNAL_FILE_SQLITE,
	HS_JOURNAL_FILE_OTHER,
} hs_journal_file;
hs_journal_file hs_journal_file_kind(const char *path);

/* Write what is pending and close; accepts NULL.  0, or the error when
 * something could not be written: then it is lost, and said so. */
int hs_journal_close(hs_journal *j);

/* $XDG_DATA_HOME/headsup/journal.db into buf. */
int hs_journal_default_path(char *buf, size_t size);

/* Start a session (source: camera or file name; calibration: the baseline
 * file or "auto"; either may be NULL) and commit it.  A session still open
 * is ended first at t_unix. */
int hs_journal_begin_session(hs_journal *j, double t_unix, const char *source,
                             const char *calibration);
/* End the current session at t_unix and commit. */
int hs_journal_end_session(hs_journal *j, double t_unix);

/* One analysed frame: dt_s seconds in 'state' for the minute containing
 * t_unix.  f may be NULL (no face, or no features).  Commits when the
 * last commit is commit_s old (frame time) or the state differs from the
 * previous frame's.  HS_EINVAL without a session. */
int hs_journal_add_frame(hs_journal *j, double t_unix, double dt_s,
                         hs_state state, const hs_features *f, bool face);

/* An alert of kind (LOOKING_DOWN or HUNCHED) after the state had lasted
 * after_s seconds (finite, not negative), linking to advice topic id (may
 * be NULL); commits.  HS_EINVAL, and nothing kept, for another kind or a
 * time that is not a number. */
int hs_journal_add_alert(hs_journal *j, double t_unix, hs_state kind,
                         double after_s, const char *topic);

/* Commit what is pending now. */
int hs_journal_flush(hs_journal *j);

/* Commit at least every commit_s seconds of frame time (default 60;
 * values below 0 are taken as 0: commit at every frame). */
void hs_journal_set_commit_interval(hs_journal *j, double commit_s);

/* Forget what was written before t_unix: the minutes that start before
 * it, the alerts before it, and the sessions that ended before it (or
 * were cut short and started before it) and have no minute left.  The rows
 * are overwritten on disk (SQLite's secure_delete), not just unlinked.
 * What is still in memory, and the open session, are kept.  *minutes (may
 * be NULL) gets the number of minute rows forgotten. */
int hs_journal_forget_before(hs_journal *j, double t_unix, long *minutes);

/* The time of the newest minute or alert the file holds (what is still in
 * memory not counted) into *t_unix, -INFINITY when it holds none. */
int hs_journal_newest(hs_journal *j, double *t_unix);

/* [journal] keep_days: the first day to keep into *first, keep_days days
 * before the day of now_unix (that day not counted).  now_unix is taken
 * as a day past data_unix at most: the newest data known to be real (the
 * journal's before this run, plus the time the run has gone on), so that
 * a system clock set ahead, which dates "now" and the run's own minutes
 * as it likes, cannot forget days that really were (secure_delete: gone
 * for good).  false, *first untouched, when nothing is to be forgotten:
 * keep_days is 0 or no data is known (data_unix -INFINITY). */
bool hs_journal_keep_from(double now_unix, double data_unix, long keep_days,
                          hs_date *first);

/* Minutes and alerts not yet written (for the tests: what was kept in
 * memory while the disk was full). */
size_t hs_journal_pending(const hs_journal *j);

/* ---- reading ------------------------------------------------------------- */

/* One minute of the journal, all sessions of that minute merged. */
typedef struct hs_journal_minute {
	double start;                   /* unix seconds, a multiple of 60 */
	double state_s[HS_STATE_COUNT]; /* seconds spent in each state */
	double pitch_mean_deg;          /* mean pitch delta; valid when
	                                   pitch_frames > 0 */
	double drop_mean_iod;           /* mean head drop; valid when
	                                   drop_frames > 0 */
	long frames;                    /* frames analysed */
	long face_frames;               /* frames with a face */
	long pitch_frames;              /* frames with a pitch delta */
	long drop_frames;               /* frames with a head drop */
} hs_journal_minute;

#define HS_JOURNAL_TOPIC_MAX 32

typedef struct hs_journal_alert {
	double t; /* unix seconds */
	hs_state kind;
	double after_s;                   /* how long the state had lasted */
	char topic[HS_JOURNAL_TOPIC_MAX]; /* advice topic id, may be "" */
} hs_journal_alert;

typedef struct hs_journal_session {
	long long id;
	double start;
	double end; /* 0 while the session is open (or was killed) */
	char source[256];
	char calibration[256];
} hs_journal_session;

/* Committed minutes with from <= start < to, in time order, into a new
 * array (*out, free() it; NULL when *n is 0).  Each holds at most 60 s:
 * sessions that overlap in time (a file replayed twice at the same
 * --clock-start) have their seconds scaled down to 60 together. */
int hs_journal_read_minutes(hs_journal *j, double from, double to,
                            hs_journal_minute **out, size_t *n);
/* Committed alerts with from <= t < to, in time order (free() *out).
 * Rows no headsup writes are read as the minutes' are: one of a kind that
 * never alerts is passed over, and an impossible after_s (negative,
 * infinite, over a day) reads as 0. */
int hs_journal_read_alerts(hs_journal *j, double from, double to,
                           hs_journal_alert **out, size_t *n);
/* Sessions that overlap [from, to), by start (free() *out). */
int hs_journal_read_sessions(hs_journal *j, double from, double to,
                             hs_journal_session **out, size_t *n);

#endif
