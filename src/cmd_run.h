/* cmd_run.h - what the three files of `headsup run` share.
 *
 * Not an interface: `headsup run` is one command in three files, and this
 * header is theirs alone.  cmd_run.c holds the capture loop, the journal
 * and the alerts; cmd_run_camera.c opens the source and lends the camera
 * to a video call; cmd_run_control.c answers `headsup pause`, `resume`,
 * `status`, `stop` and `calibrate` (its pause and its reload of the
 * baseline) through the control socket, which `headsup cameras` also
 * asks.
 */
#ifndef HEADSUP_CMD_RUN_H
#define HEADSUP_CMD_RUN_H

#include "headsup/analyzer.h"
#include "headsup/calibration.h"
#include "headsup/camwatch.h"
#include "headsup/clock.h"
#include "headsup/config.h"
#include "headsup/control.h"
#include "headsup/journal.h"
#include "headsup/lock.h"
#include "headsup/monitor.h"
#include "headsup/notify.h"
#include "headsup/pause.h"
#include "headsup/screenlock.h"
#include "headsup/source.h"

#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdbool.h>

#define MAX_SET 64 /* settings given on the command line */

/* Set by SIGINT and SIGTERM (and q in the preview): the loop, and a wait
 * for the camera, end. */
extern volatile sig_atomic_t hs_run_stop_requested;

typedef struct run_opts {
	const char *config;
	const char *source; /* the last --source (also among the settings) */
	const char *calibration;
	const char *journal;
	const char *clock_start;
	bool realtime, preview;
	/* --announce: say on the desktop that it started, or why not;
	 * --announce=errors: only an error that keeps it from starting for
	 * good (status 2: the systemd unit does not try again). */
	enum {
		ANNOUNCE_NONE,
		ANNOUNCE_ALL,
		ANNOUNCE_ERRORS
	} announce;
	/* command-line settings, applied over the config file */
	const char *set_keys[MAX_SET];
	const char *set_values[MAX_SET];
	int n_set;
} run_opts;

typedef struct run_ctx {
	run_opts o;
	hs_config cfg;
	hs_source_opts so;
	hs_source *src;
	bool live;
	hs_analyzer *az;
	hs_image *img;
	hs_monitor *mon;
	hs_notify *notify;
	hs_journal *journal;
	char journal_path[PATH_MAX];
	double journal_retry_at;
	bool journal_warned;
	bool selfcal_told; /* the desktop notice of self-calibration was sent */
	bool dark_told;    /* the desktop notice of a dark camera was sent */
	bool wait_told;    /* --announce: the notice of waiting for a camera */
	long other_pid;    /* the monitor already running, when one was */
	int dark_times;    /* stretches of darkness said so far */
	double open_t;     /* the run's first analysed frame, or NAN */
	bool base_dropped; /* a baseline from the file did not fit the camera */
	int frame_w, frame_h; /* of the last frame analysed, 0 before one */
	bool selfcal_refusal_told; /* one was said: the next go to -v */
	bool pitchless_told;       /* the baseline lacks a pitch: said */
	bool base_from_file;       /* the baseline in use is the recorded one */
	double forget_at; /* journal time of the next keep_days check */
	/* keep_days: the journal's newest data when this run first opened
	 * it (-INFINITY: none, NAN: not opened yet), and when that was by
	 * the steady clock and in journal time. */
	double data_before, opened_steady, opened_wall;
	hs_control *control;
	hs_lock *lock;
	hs_screenlock *screen;
	char cal_path[PATH_MAX];
	char source_label[PATH_MAX]; /* see source_name() */
	bool preview_shown;          /* its window is open */
	double unjournalled_s; /* monitored while the journal was not open */
	double clock_start;    /* file sources: wall time of the file's t = 0 */
	hs_pause pause; /* the user's and calibrate's, on hs_clock_steady() */
	bool opening;   /* waiting in hs_run_open_source() for the camera */
	int open_rc;    /* meanwhile, why it last failed to open (0: not yet) */
	/* Lending the camera to another program (a video call): while we
	 * hold it, watch sees its device opened (cam_events: what it saw
	 * but the loop has not yet acted on).  The camera is then lent
	 * until lend_min_end at least, and after that for as long as it is
	 * held open by a descriptor not among the idle ones, which held it
	 * when we last opened it (and so were not using it: PipeWire, say).
	 * lent_until: when to look next (-INFINITY: not lent); a close seen
	 * by the watch brings that forward. */
	hs_camwatch *watch;
	int cam_events;
	bool watch_warned;
	hs_camwatch_holder idle[32];
	int n_idle;
	double lend_min_end, lent_until;
	char lent_to[64];     /* the program it is lent to, "" when none seen */
	bool screen_released; /* camera let go for a locked screen */
	bool screen_locked;   /* as last polled */
	double next_t, last_analysed_t;
	double first_t, wall0; /* --realtime pacing */
	long frames, analysed;
	long unreadable;   /* analysed frames that could not be decoded */
	int unreadable_rc; /* why the first of them could not be */
} run_ctx;

/* The source as messages name it: a camera by its device. */
static inline const char *source_name(const run_ctx *c)
{
	return c->source_label;
}

/* Wall-clock time of source time t: now for a camera, the file's own
 * timeline from --clock-start for a file. */
static inline double wall_at(const run_ctx *c, double t)
{
	return c->live ? hs_clock_wall() : c->clock_start + t;
}

/* Source time of the last analysed frame (0 before the first). */
static inline double last_t(const run_ctx *c)
{
	return isnan(c->last_analysed_t) ? 0.0 : c->last_analysed_t;
}

/* cmd_run.c */

/* Reload the settings when SIGHUP asked for it (also while the camera is
 * awaited: `systemctl --user reload` gets its answer at once). */
void hs_run_reload_if_asked(run_ctx *c);
/* At the end, while waiting for a locked journal: answer `headsup stop`
 * (it ends the wait) and tell the other requests it is stopping. */
void hs_run_answer_while_stopping(run_ctx *c);
/* Take back the alerts still on the desktop (why: for the -v log), when
 * they are stale: the posture ended, a pause, a locked screen, the end. */
void hs_run_withdraw_alerts(run_ctx *c, const char *why);

/* cmd_run_camera.c */

/* Open the source; 0, HS_EINTERRUPTED when stopped while waiting for the
 * camera, or the error (said) of a file that cannot be read. */
int hs_run_open_source(run_ctx *c);
/* Let the camera go (for a pause, a locked screen or a video call). */
void hs_run_release_source(run_ctx *c);
/* Another program opened the camera: let it have it. */
void hs_run_lend_camera(run_ctx *c, double now);
/* Whether a lent camera may be taken back now. */
bool hs_run_lent_camera_free(run_ctx *c, double now);

/* cmd_run_control.c */

/* Answer the requests waiting on the control socket. */
void hs_run_handle_control(run_ctx *c, double now);
/* End the pauses that are due; whether the monitor is still paused. */
bool hs_run_still_paused(run_ctx *c, double now);

#endif
