/* cmd_run.c - `headsup run`: the capture loop.
 *
 * Frames come from the camera (or a replayed file), are analysed at the
 * configured rate, and go through the pure monitor core (monitor.c); this
 * file does the I/O around it: the source, the journal, notifications, the
 * control socket, the single-instance lock, signals and the preview.
 */
#include "headsup/analyzer.h"
#include "headsup/calibration.h"
#include "headsup/camwatch.h"
#include "headsup/cli.h"
#include "headsup/clock.h"
#include "headsup/config.h"
#include "headsup/control.h"
#include "headsup/display.h"
#include "headsup/err.h"
#include "headsup/facemesh.h"
#include "headsup/journal.h"
#include "headsup/lock.h"
#include "headsup/log.h"
#include "headsup/monitor.h"
#include "headsup/notify.h"
#include "headsup/paths.h"
#include "headsup/pause.h"
#include "headsup/report.h"
#include "headsup/screenlock.h"
#include "headsup/source.h"
#include "headsup/timeparse.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define PREVIEW_TITLE "headsup preview"
#define MAX_SET 64 /* settings given on the command line */
#define RETRY_MIN_S 1.0
#define RETRY_MAX_S 30.0
#define JOURNAL_RETRY_S 60.0
#define LEND_CHECK_S 30.0 /* is a lent camera free yet, without a close? */

static volatile sig_atomic_t stop_requested;
static volatile sig_atomic_t reload_requested;

static void on_stop(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static void on_hup(int sig)
{
	(void)sig;
	reload_requested = 1;
}

typedef struct run_opts {
	const char *config;
	const char *calibration;
	const char *journal;
	const char *clock_start;
	bool realtime, preview;
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
	int dark_times;    /* stretches of darkness said so far */
	double open_t;     /* the run's first analysed frame, or NAN */
	bool base_dropped; /* a baseline from the file did not fit the camera */
	int frame_w, frame_h; /* of the last frame analysed, 0 before one */
	bool selfcal_refusal_told; /* one was said: the next go to -v */
	bool base_from_file;       /* the baseline in use is the recorded one */
	double forget_at; /* journal time of the next keep_days check */
	hs_control *control;
	hs_lock *lock;
	hs_screenlock *screen;
	char cal_path[PATH_MAX];
	char source_label[PATH_MAX]; /* see source_name() */
	bool preview_shown;          /* its window is open */
	double unjournalled_s; /* monitored while the journal was not open */
	double clock_start;    /* file sources: wall time of the file's t = 0 */
	hs_pause pause; /* the user's and calibrate's, on hs_clock_steady() */
	bool opening;   /* waiting in open_source() for the camera */
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
	double next_t, last_analysed_t;
	double first_t, wall0; /* --realtime pacing */
	long frames, analysed;
	long unreadable;   /* analysed frames that could not be decoded */
	int unreadable_rc; /* why the first of them could not be */
} run_ctx;

static void usage(FILE *out)
{
	fputs("Usage: headsup run [OPTION]...\n"
	      "Watch your posture through the webcam (or replay a video or an\n"
	      "image folder) and warn, kindly and rarely, when you have been\n"
	      "looking down or hunched for a while.  Runs until the end of a\n"
	      "file, or until interrupted (Ctrl+C, SIGTERM).\n\n"
	      "Options:\n"
	      "  --source S           camera device (/dev/video2, or a "
	      "number),\n"
	      "                       video file or image folder (default:\n"
	      "                       the [monitor] source setting, else the\n"
	      "                       first webcam: see 'headsup cameras')\n"
	      "  --rate HZ            frames analysed per second (default 2)\n"
	      "  --config F           settings file (default\n"
	      "                       $XDG_CONFIG_HOME/headsup/config.ini)\n"
	      "  --set KEY=VALUE      change one setting (repeatable)\n"
	      "  --calibration F      baseline file (default\n"
	      "                       "
	      "$XDG_STATE_HOME/headsup/calibration.ini)\n"
	      "  --journal F          journal database (default\n"
	      "                       $XDG_DATA_HOME/headsup/journal.db)\n"
	      "  --clock-start T      for files: the wall-clock time of the\n"
	      "                       file's start, ISO 8601 (default now;\n"
	      "                       not more than a day ahead)\n"
	      "  --realtime           replay a file at its own speed (demos)\n"
	      "  --preview            show the camera image, keypoints, "
	      "angles\n"
	      "                       and state in a window (to place the "
	      "camera)\n"
	      "  -h, --help           show this help\n\n"
	      "With a file, the file's own time stamps are the time base: a\n"
	      "200 s clip is 200 s of monitoring however fast it is read, and "
	      "it\n"
	      "is analysed at the same rate as a camera.\n\n"
	      "'headsup pause [DURATION]' and 'headsup resume' reach the "
	      "running\n"
	      "monitor through a socket in $XDG_RUNTIME_DIR/headsup/; while "
	      "paused\n"
	      "the camera is released.  'headsup calibrate' pauses it while "
	      "it\n"
	      "records and then hands it the new baseline.  SIGHUP reloads "
	      "the\n"
	      "settings file (those read only at start, marked below, wait "
	      "for\n"
	      "a restart, and a warning names them).\n"
	      "Only one monitor runs at a time.  No frame "
	      "is\n"
	      "ever written anywhere.\n\n"
	      "When another program opens the camera (a video call), the\n"
	      "monitor lets go of it, leaves it alone for lend_camera_s and\n"
	      "for as long as that program keeps it open, then takes it "
	      "back.\n\n",
	      out);
	hs_config_print_help(out);
	fputs("\nExit status: 0 at the end of a file or when stopped; 1 when "
	      "the\n"
	      "source cannot be read, --preview has no display, notify = "
	      "desktop and\n"
	      "no notification server answers, or some of the monitoring "
	      "could not\n"
	      "be kept in the journal (said at the end); 2 on a usage or\n"
	      "configuration error, or when another monitor is already "
	      "running.\n\n",
	      out);
	fputs(hs_disclaimer, out);
}

/* Load the settings: defaults < file < command line.  Returns 0 or
 * HS_ECONFIG with the message in err. */
static int load_settings(const run_opts *o, hs_config *cfg, char *err,
                         size_t errsize)
{
	hs_config tmp;
	int rc = hs_config_load(&tmp, o->config, err, errsize);
	if (rc < 0)
		return rc;
	for (int i = 0; i < o->n_set; i++) {
		char why[1024];
		rc = hs_config_set(&tmp, o->set_keys[i], o->set_values[i], why,
		                   sizeof why);
		if (rc < 0) {
			snprintf(err, errsize, "command line: %s", why);
			return rc;
		}
	}
	if ((rc = hs_config_check(&tmp, err, errsize)) < 0)
		return rc;
	*cfg = tmp;
	return 0;
}

/* The source as messages name it: a camera by its device. */
static const char *source_name(const run_ctx *c)
{
	return c->source_label;
}

static void handle_control(run_ctx *c, double now);
static bool still_paused(run_ctx *c, double now);

/* Descriptors holding the camera open now other than the idle ones; the
 * name of the program that has them goes to c->lent_to. */
static int camera_users(run_ctx *c)
{
	hs_camwatch_holder now[64];
	const int room = (int)(sizeof now / sizeof now[0]);
	long pid;
	const int n = hs_camwatch_holders(source_name(c), now, room);
	const int users = hs_camwatch_new_holders(now, n < room ? n : room,
	                                          c->idle, c->n_idle, &pid);
	if (pid > 0)
		hs_camwatch_name(pid, c->lent_to, sizeof c->lent_to);
	return users;
}

/* Watch the camera we now hold for other programs opening it; opened
 * before the watch starts, our own open is not seen.  Whoever holds it
 * open now cannot be streaming from it (our open would have failed), so
 * those descriptors are idle. */
static void watch_camera(run_ctx *c)
{
	const char *dev = source_name(c);
	const int room = (int)(sizeof c->idle / sizeof c->idle[0]);
	hs_camwatch_destroy(c->watch);
	c->watch = NULL;
	c->cam_events = 0;
	if (!c->live)
		return;
	const int rc = hs_camwatch_create(dev, &c->watch);
	if (rc < 0 && !c->watch_warned && c->cfg.lend_camera_s > 0) {
		hs_warn("cannot watch camera '%s' for other programs (%s): a "
		        "video call will find it busy; 'headsup pause' "
		        "frees it",
		        dev, hs_strerror(rc));
		c->watch_warned = true;
	}
	const int n = hs_camwatch_holders(dev, c->idle, room);
	c->n_idle = n < room ? n : room;
	/* A program that opened it since we did may be among them: then
	 * none counts as idle, which errs on the side of the call. */
	if (c->watch) {
		c->cam_events = hs_camwatch_poll(c->watch);
		if (c->cam_events & HS_CAMWATCH_OPENED)
			c->n_idle = 0;
	}
}

/* Open the source.  A camera that is missing or busy is retried with a
 * growing delay until it comes back (or the user stops us); a file that
 * cannot be read is an error.  While it waits, `headsup status`, `pause`
 * and `resume` are answered as usual, and a pause holds the retries. */
static int open_source(run_ctx *c)
{
	char err[4200];
	double delay = RETRY_MIN_S;
	int told = 0; /* the failure last said, so that a new one is said */
	int rc = HS_EINTERRUPTED;
	c->opening = true;
	while (!stop_requested) {
		if (!hs_pause_active(&c->pause)) {
			/* The first webcam is looked for again each time:
			 * it may be another device node after a replug. */
			rc = hs_source_open(c->cfg.source, &c->so, &c->src, err,
			                    sizeof err);
			if (rc == 0) {
				snprintf(c->source_label,
				         sizeof c->source_label, "%s",
				         hs_source_device(c->src));
				if (told || isfinite(c->lent_until))
					hs_info("camera '%s' is back",
					        source_name(c));
				c->live = hs_source_is_live(c->src);
				c->lent_until = -INFINITY;
				watch_camera(c);
				break;
			}
			/* A file, or a device that is no camera at all, will
			 * not get better by waiting. */
			if (hs_source_pick(c->cfg.source) !=
			            &hs_source_camera ||
			    rc == HS_EFORMAT) {
				hs_error("%s", err);
				break;
			}
			if (rc != told) {
				/* A camera held by a video call is normal: say
				 * it once, then wait quietly; when it was lent,
				 * it is what was expected. */
				if (isfinite(c->lent_until) && rc == HS_EBUSY)
					hs_info("%s; trying again until it is "
					        "free",
					        err);
				else
					hs_warn("%s; retrying until it is "
					        "available",
					        err);
				told = rc;
			}
			rc = HS_EINTERRUPTED;
		}
		for (double waited = 0;
		     (hs_pause_active(&c->pause) || waited < delay) &&
		     !stop_requested;
		     waited += 0.25) {
			hs_clock_sleep(0.25);
			const double now = hs_clock_steady();
			const bool was_paused = hs_pause_active(&c->pause);
			handle_control(c, now);
			if (!still_paused(c, now) && was_paused)
				break; /* resumed: try the camera at once */
		}
		delay = fmin(delay * 2, RETRY_MAX_S);
	}
	c->opening = false;
	return rc;
}

static void release_source(run_ctx *c)
{
	hs_source_destroy(c->src);
	c->src = NULL;
	/* The camera's watch stays until it is opened again: while lent,
	 * its closes say when to look whether the camera is free. */
}

/* Another program opened the camera, most likely a video call starting:
 * a camera streams to one program at a time, so let it have the camera
 * for lend_camera_s and for as long as it keeps it open after that.  Its
 * first try may have failed while we held the camera; the next one finds
 * it free. */
static void lend_camera(run_ctx *c, double now)
{
	char words[96];
	c->lent_to[0] = '\0';
	const bool seen = camera_users(c) > 0;
	hs_duration_format_exact((double)c->cfg.lend_camera_s, words,
	                         sizeof words);
	hs_info("another program opened camera '%s'%s%s%s: letting it have "
	        "the camera; headsup takes it back once it is free, %s from "
	        "now at the earliest",
	        source_name(c), seen ? " (" : "", seen ? c->lent_to : "",
	        seen ? ")" : "", words);
	release_source(c);
	hs_monitor_restart(c->mon);
	c->next_t = -INFINITY;
	c->lend_min_end = c->lent_until = now + (double)c->cfg.lend_camera_s;
	if (c->journal)
		hs_journal_flush(c->journal);
}

/* Whether a lent camera may be taken back: once lend_camera_s is over and
 * no descriptor but the idle ones holds it open.  That is looked at when
 * lend_camera_s ends, after each close of the camera, and every
 * LEND_CHECK_S.  A program of another user, which cannot be seen, makes
 * the camera answer "busy", and open_source() waits for it. */
static bool lent_camera_free(run_ctx *c, double now)
{
	const bool closed =
	        c->watch && (hs_camwatch_poll(c->watch) & HS_CAMWATCH_CLOSED);
	if (now < c->lend_min_end || (now < c->lent_until && !closed))
		return false;
	if (camera_users(c) > 0) {
		c->lent_until = now + LEND_CHECK_S;
		return false;
	}
	return true;
}

/* [journal] keep_days: forget the days before the last keep_days ones
 * (today not counted); checked when the journal opens and then hourly.
 * Counted back from the clock's today at the latest, so that a replay
 * set in the future never forgets days that really were. */
static void forget_old_days(run_ctx *c, double wall)
{
	wall = fmin(wall, hs_clock_wall());
	if (!c->journal || c->cfg.keep_days <= 0 || wall < c->forget_at)
		return;
	c->forget_at = wall + 3600;
	hs_date first = hs_date_add_days(hs_date_from_unix(wall),
	                                 -(int)c->cfg.keep_days);
	long n;
	if (hs_journal_forget_before(c->journal, hs_date_start(first), &n) <
	            0 ||
	    n == 0)
		return;
	char day[16];
	hs_date_format(first, day, sizeof day);
	hs_info("journal: forgot %ld minute(s) before %s (keep_days = %ld)", n,
	        day, c->cfg.keep_days);
}

/* Wall-clock time of source time t: now for a camera, the file's own
 * timeline from --clock-start for a file. */
static double wall_at(const run_ctx *c, double t)
{
	return c->live ? hs_clock_wall() : c->clock_start + t;
}

/* Source time of the last analysed frame (0 before the first). */
static double last_t(const run_ctx *c)
{
	return isnan(c->last_analysed_t) ? 0.0 : c->last_analysed_t;
}

/* Alerts sent before this run started at wall (by the monitor before a
 * log-out, an update or a crash, or by the replay of the file before)
 * still count for the cooldown: the journal has them.  The alerts' clock
 * reads now_mono then for a camera, 0 (the file's start) for a file. */
static void recall_alerts(run_ctx *c, double now_mono, double wall)
{
	const double t0 = c->live ? now_mono : 0.0;
	hs_journal_alert *sent = NULL;
	size_t n = 0;
	if (hs_journal_read_alerts(c->journal, wall - c->cfg.cooldown_s,
	                           wall + 1, &sent, &n) < 0)
		return;
	for (size_t i = 0; i < n; i++)
		hs_alerts_note_sent(&c->mon->alerts, sent[i].kind,
		                    t0 - (wall - sent[i].t));
	free(sent);
}

/* Open the journal, or plan a retry; HS_EFORMAT (said) when the file is
 * not a journal this version may write. */
static int open_journal(run_ctx *c, double now_mono)
{
	char moved[PATH_MAX];
	int rc = hs_journal_open(c->journal_path, moved, &c->journal);
	if (rc < 0) {
		/* HS_EFORMAT was said by the journal itself. */
		if (!c->journal_warned && rc != HS_EFORMAT)
			hs_warn("journal '%s' cannot be opened (%s); "
			        "monitoring "
			        "and alerts go on, and it is retried every "
			        "minute",
			        c->journal_path, hs_strerror(rc));
		c->journal_warned = true;
		c->journal_retry_at = now_mono + JOURNAL_RETRY_S;
		return rc == HS_EFORMAT ? rc : 0;
	}
	/* A corrupt journal moved aside (moved[]) was already reported by
	 * hs_journal_open(), naming where it went. */
	if (c->journal_warned)
		hs_info("journal '%s' is writable again", c->journal_path);
	c->journal_warned = false;
	hs_journal_set_commit_interval(c->journal, c->cfg.commit_s);
	double wall = wall_at(c, 0.0);
	hs_journal_begin_session(c->journal, wall, source_name(c),
	                         c->base_from_file ? c->cal_path : "self");
	forget_old_days(c, wall);
	/* A file replayed "now" has no place in the day's alerts. */
	if (c->live || c->o.clock_start)
		recall_alerts(c, now_mono, wall);
	return 0;
}

static void send_alert(run_ctx *c, const hs_alert *a, double wall)
{
	hs_alert_msg msg;
	if (hs_notify_format(&msg, a->kind, a->lasted_s) < 0)
		return;
	msg.snooze_min = (unsigned)lround(c->cfg.snooze_min);
	hs_info("alert: %s", msg.summary);
	hs_notify_send(c->notify, &msg);
	if (c->journal) {
		const char *topic = strchr(msg.advice_url, '#');
		hs_journal_add_alert(c->journal, wall, a->kind, a->lasted_s,
		                     topic ? topic + 1 : "");
	}
}

/* Pause for seconds (0: until resumed), as the user asked or as a
 * calibrate run asked (which holds the monitor paused alongside any pause
 * of the user's, never changing it).  Whether it was paused already. */
static bool pause_monitor(run_ctx *c, double now, double seconds,
                          bool calibrate)
{
	const bool was_paused =
	        hs_pause_start(&c->pause, now, seconds, calibrate);
	const double end = hs_pause_end(&c->pause);
	hs_alerts_pause(&c->mon->alerts, now, isfinite(end) ? end - now : 1e12);
	if (was_paused)
		return true;
	if (c->live)
		release_source(c);
	if (c->journal)
		hs_journal_flush(c->journal);
	return false;
}

/* Watch again after a pause; the main loop takes the camera back (see
 * open_source()), so that the reply to `headsup resume` never waits for
 * it. */
static void resume_monitor(run_ctx *c)
{
	hs_pause_init(&c->pause);
	hs_alerts_resume(&c->mon->alerts);
	hs_monitor_restart(c->mon);
	c->next_t = -INFINITY;
	c->first_t = NAN; /* a --realtime replay goes on from here */
}

/* End the pauses that are due; whether the monitor is still paused. */
static bool still_paused(run_ctx *c, double now)
{
	if (hs_pause_expire(&c->pause, now)) {
		hs_info("pause over");
		resume_monitor(c);
	}
	return hs_pause_active(&c->pause);
}

static const char *lent_to(const run_ctx *c)
{
	return c->lent_to[0] ? c->lent_to : "another program";
}

/* Time left, rounded up to what hs_duration_format() shows (a pause of
 * 10 minutes just begun has 10 minutes left, not 9). */
static void format_left(double seconds, char *buf, size_t size)
{
	double left = ceil(fmax(seconds, 0));
	if (left >= 60)
		left = ceil(left / 60) * 60;
	hs_duration_format(left, buf, size);
}

/* ", baseline recorded 2026-11-26 09:12" (local time), or ", baseline
 * self-calibrated": which baseline the posture is judged against. */
static int baseline_words(const run_ctx *c, char *buf, size_t size)
{
	if (!c->base_from_file)
		return snprintf(buf, size, ", baseline self-calibrated");
	const time_t when = (time_t)c->mon->base.created_unix;
	struct tm tm;
	char date[32];
	if (when > 0 && localtime_r(&when, &tm) &&
	    strftime(date, sizeof date, "%Y-%m-%d %H:%M", &tm) > 0)
		return snprintf(buf, size, ", baseline recorded %s", date);
	return snprintf(buf, size, ", baseline from '%s'", c->cal_path);
}

/* What `headsup status` prints: "paused ..." or "running: ...", then the
 * frames analysed so far. */
static void status_reply(const run_ctx *c, double now, char *reply, size_t size)
{
	char words[96];
	int n;
	if (hs_pause_calibrating_only(&c->pause, now)) {
		format_left(c->pause.calib_until - now, words, sizeof words);
		n = snprintf(reply, size,
		             "paused while 'headsup calibrate' records (%s "
		             "more at most)",
		             words);
	} else if (hs_pause_active(&c->pause) &&
	           isfinite(hs_pause_end(&c->pause))) {
		const double left = hs_pause_end(&c->pause) - now;
		const double end = hs_clock_wall() + left;
		char day[16] = "", clock[8];
		format_left(left, words, sizeof words);
		hs_report_format_clock(end, clock, sizeof clock);
		if (left >= 86400) /* which day, too */
			hs_date_format(hs_date_from_unix(end), day, sizeof day);
		n = snprintf(reply, size, "paused for %s more (until %s%s%s)",
		             words, day, day[0] ? " " : "", clock);
	} else if (hs_pause_active(&c->pause)) {
		n = snprintf(reply, size, "paused until 'headsup resume'");
	} else if (!c->src && c->screen && hs_screenlock_locked(c->screen)) {
		n = snprintf(reply, size, "running: screen locked");
	} else if (isfinite(c->lent_until) && !c->opening) {
		n = snprintf(reply, size,
		             "running: camera '%s' lent to %s until it is free",
		             source_name(c), lent_to(c));
	} else if (c->opening) {
		char also[96] = "";
		if (isfinite(c->lent_until))
			snprintf(also, sizeof also, " (lent to %s)",
			         lent_to(c));
		n = snprintf(reply, size, "running: waiting for camera '%s'%s",
		             source_name(c), also);
	} else if (!c->src) {
		/* Just resumed or unlocked: the loop opens it next. */
		n = snprintf(reply, size, "running: taking camera '%s' back",
		             source_name(c));
	} else {
		n = snprintf(reply, size,
		             "running: watching %s '%s', posture %s",
		             hs_source_kind(c->src), source_name(c),
		             hs_state_name(c->mon->state));
		if (n > 0 && (size_t)n < size && c->mon->calibrated)
			n += baseline_words(c, reply + n, size - (size_t)n);
		if (n > 0 && (size_t)n < size && c->mon->dark)
			n += snprintf(reply + n, size - (size_t)n,
			              ", but the camera shows only darkness "
			              "(privacy shutter closed?)");
		/* Snooze times are on the alerts' clock: the camera's
		 * steady clock (clock.h), or the file's own. */
		const double t = c->live ? now : c->last_analysed_t;
		double left;
		if (n > 0 && (size_t)n < size && isfinite(t) &&
		    hs_alerts_snoozed(&c->mon->alerts, t, &left)) {
			format_left(left, words, sizeof words);
			n += snprintf(reply + n, size - (size_t)n,
			              ", reminders snoozed for %s more", words);
		}
	}
	if (n > 0 && (size_t)n < size)
		snprintf(reply + n, size - (size_t)n, "; %ld frames analysed%s",
		         c->analysed,
		         c->live && !c->src ? ", camera released" : "");
}

/* `reload` (sent by `headsup calibrate` once it stored a baseline): read the
 * baseline file again and watch against it; a file that cannot be read
 * leaves the baseline in use as it is.  The journal starts a session that
 * names the new baseline. */
static void reload_baseline(run_ctx *c, const char *path, char *reply,
                            size_t size)
{
	char err[4200];
	hs_baseline b;
	struct stat asked, own;
	if (!c->cal_path[0]) {
		snprintf(reply, size,
		         "error: this monitor has no baseline file");
		return;
	}
	/* Only its own file, however named (./cal.ini, a link...). */
	if (stat(path, &asked) != 0 || stat(c->cal_path, &own) != 0 ||
	    asked.st_dev != own.st_dev || asked.st_ino != own.st_ino) {
		snprintf(reply, size,
		         "error: this monitor reads its baseline from '%.200s'",
		         c->cal_path);
		return;
	}
	if (hs_calibration_load(c->cal_path, &b, err, sizeof err) < 0) {
		hs_warn("baseline not reloaded, the one in use stays: %s", err);
		snprintf(reply, size,
		         "error: baseline not reloaded, the one in use stays: "
		         "%.190s",
		         err);
		return;
	}
	/* One that does not fit the frames watched would be dropped at the
	 * next frame: refused now, so the caller hears it. */
	hs_baseline fit = b;
	if (c->frame_w > 0 &&
	    hs_baseline_fit_frame(&fit, c->frame_w, c->frame_h) < 0) {
		snprintf(reply, size,
		         "error: the new baseline was recorded from %dx%d "
		         "frames, but this monitor watches %dx%d ones, another "
		         "shape; the one in use stays",
		         b.frame_w, b.frame_h, c->frame_w, c->frame_h);
		hs_warn("baseline not reloaded: %s", reply + 7);
		return;
	}
	hs_monitor_set_baseline(c->mon, &b);
	c->base_dropped = false;
	c->base_from_file = true;
	if (c->journal)
		hs_journal_begin_session(c->journal, wall_at(c, last_t(c)),
		                         source_name(c), c->cal_path);
	hs_info("baseline reloaded from '%s'", c->cal_path);
	snprintf(reply, size, "baseline reloaded from '%.228s'", c->cal_path);
}

/* Carry out one request of `headsup pause`, `resume`, `status` or
 * `calibrate`, and answer it. */
static void answer_request(run_ctx *c, double now, const hs_control_request *r)
{
	const hs_control_request req = *r;
	char reply[256], words[96];
	switch (req.cmd) {
	case HS_CONTROL_PAUSE: {
		const bool was_paused =
		        pause_monitor(c, now, req.pause_s, req.calibrate);
		if (req.calibrate && was_paused) {
			/* It stays paused; the user's pause is unchanged. */
			snprintf(reply, sizeof reply, "already paused");
			break;
		}
		if (req.pause_s > 0) {
			hs_duration_format_exact(req.pause_s, words,
			                         sizeof words);
			snprintf(reply, sizeof reply, "paused for %s%s", words,
			         c->live ? "; camera released" : "");
		} else {
			snprintf(reply, sizeof reply,
			         "paused until 'headsup resume'%s",
			         c->live ? "; camera released" : "");
		}
		hs_info("%s", reply);
		break;
	}
	case HS_CONTROL_RESUME:
		if (!hs_pause_active(&c->pause)) {
			snprintf(reply, sizeof reply, "not paused");
			break;
		}
		if (req.calibrate) {
			/* The end of one calibrate's hold; the user's pause,
			 * or another calibrate's hold, keeps it paused. */
			const hs_pause_hold held =
			        hs_pause_release_calibrate(&c->pause, now);
			if (held != HS_PAUSE_RESUMED) {
				snprintf(reply, sizeof reply,
				         held == HS_PAUSE_HELD_BY_USER
				                 ? "paused by the user: stays "
				                   "paused"
				                 : "another calibration holds "
				                   "it paused");
				break;
			}
		}
		snprintf(reply, sizeof reply, "resumed");
		hs_info("resumed");
		resume_monitor(c);
		break;
	case HS_CONTROL_RELOAD:
		reload_baseline(c, req.path, reply, sizeof reply);
		break;
	case HS_CONTROL_STATUS:
	default:
		status_reply(c, now, reply, sizeof reply);
		break;
	}
	hs_control_reply(c->control, reply);
}

/* Answer the requests waiting on the control socket: all of them, since
 * while paused the loop comes here only a few times a second. */
static void handle_control(run_ctx *c, double now)
{
	hs_control_request req;
	for (int i = 0; i < HS_CONTROL_CLIENTS && c->control &&
	                hs_control_poll(c->control, &req) == 1;
	     i++)
		answer_request(c, now, &req);
}

static void draw_preview(run_ctx *c, const hs_analysis *an,
                         const hs_monitor_step *st)
{
	static const unsigned colours[HS_STATE_COUNT] = {
		[HS_STATE_UPRIGHT] = 0x2e9e44,
		[HS_STATE_LOOKING_DOWN] = 0xe0a020,
		[HS_STATE_HUNCHED] = 0xd03030,
		[HS_STATE_AWAY] = 0x808080,
		[HS_STATE_UNCALIBRATED] = 0x3070d0,
	};
	unsigned colour = colours[st->state];
	const hs_face *f = &an->face;
	const hs_mesh *mesh = hs_analyzer_mesh(c->az, an);
	if (mesh) /* every fourth point: enough to see it sit on the face */
		for (int i = 0; i < HS_MESH_POINTS; i += 4)
			hs_image_draw_circle(c->img, mesh->pts[i][0],
			                     mesh->pts[i][1], 1, 0x60c0ff);
	if (f->found) {
		hs_image_draw_rect(c->img, f->box[0], f->box[1], f->box[2],
		                   f->box[3], colour);
		for (int k = 0; k < HS_KP_COUNT; k++)
			if (f->kp_valid & HS_KP_BIT(k))
				hs_image_draw_circle(c->img, f->kp[k].x,
				                     f->kp[k].y, 3, 0xffffff);
	}
	char line[160];
	snprintf(line, sizeof line, "%s", hs_state_name(st->state));
	hs_image_draw_text(c->img, 10, 25, line, colour);
	if (an->has_pose) {
		snprintf(line, sizeof line, "pitch %.0f  yaw %.0f  roll %.0f",
		         an->pose.pitch_down_deg, an->pose.yaw_deg,
		         an->pose.roll_deg);
		hs_image_draw_text(c->img, 10, 50, line, 0xffffff);
	}
	if (st->has_features) {
		snprintf(line, sizeof line,
		         "d.pitch %.0f  drop %.2f  lean %.2f",
		         st->f.pitch_delta_deg, st->f.drop_iod,
		         st->f.lean_ratio);
		hs_image_draw_text(c->img, 10, 75, line, 0xffffff);
	}
	hs_preview_show(PREVIEW_TITLE, c->img);
	c->preview_shown = true;
	int key = hs_preview_poll_key(1);
	if (key == 'q' || key == 27)
		stop_requested = 1;
}

/* A frame that cannot be decoded is skipped (it says nothing about the
 * user); the first one is reported with its name. */
static void frame_unreadable(run_ctx *c, double t, int rc)
{
	c->unreadable++;
	if (c->unreadable > 1)
		return;
	c->unreadable_rc = rc;
	const char *name = hs_source_frame_name(c->src);
	if (name)
		hs_warn("cannot read image '%s': %s; skipping it", name,
		        rc == HS_EFORMAT ? "not an image" : hs_strerror(rc));
	else
		hs_warn("the frame at %.1f s of '%s' cannot be decoded (%s); "
		        "skipping it",
		        t, source_name(c), hs_strerror(rc));
}

/* The monitor calibrated itself.  Started by the session, nobody reads its
 * terminal: the user learns it on the desktop, once per run. */
static void tell_self_calibrated(run_ctx *c)
{
	static const char fresh[] =
	        "It took how you sat for a few seconds just now as your "
	        "upright posture. For a baseline you choose, sit upright and "
	        "run: headsup calibrate";
	static const char replaced[] =
	        "Your baseline was recorded with a camera picture of another "
	        "shape, so it took how you sat for a few seconds just now as "
	        "upright. To record a new baseline, sit upright and run: "
	        "headsup calibrate";
	if (c->selfcal_told)
		return;
	hs_notify_notice(c->notify, "headsup calibrated itself",
	                 c->base_dropped ? replaced : fresh);
	c->selfcal_told = true;
}

/* The camera has seen only darkness for HS_MONITOR_DARK_S, or sees again.
 * Darkness from the first frames on is most likely a privacy shutter the
 * user forgot: they believe they are watched, so they are told on the
 * desktop, once per run.  Darkness that comes later (the shutter closed
 * on purpose, the light switched off on leaving) is only logged. */
static void tell_dark(run_ctx *c)
{
	const char *what = c->live ? "camera " : "";
	if (!c->mon->dark) {
		hs_info("%s'%s' is no longer dark", what, source_name(c));
		return;
	}
	/* warned once; later stretches are part of the day */
	hs_log_(c->dark_times++ ? HS_LOG_INFO : HS_LOG_WARN,
	        "%s'%s' has shown only darkness for %.0f s: is a privacy "
	        "shutter closed, the lens covered, or the room dark? headsup "
	        "cannot see your posture until it can see you",
	        what, source_name(c), HS_MONITOR_DARK_S);
	if (c->dark_told || !(c->mon->dark_since - c->open_t < 2.0))
		return;
	hs_notify_notice(c->notify, "headsup cannot see you",
	                 "The camera shows only darkness. If it has a privacy "
	                 "shutter, open it and headsup watches your posture "
	                 "again. To let it rest instead, run: headsup pause");
	c->dark_told = true;
}

/* One analysed frame at source time t. */
static void analyse_frame(run_ctx *c, double t)
{
	hs_analysis an;
	c->analysed++;
	int rc = hs_source_retrieve(c->src, c->img);
	if (rc < 0) {
		frame_unreadable(c, t, rc);
		return;
	}
	if (hs_analyzer_run(c->az, c->img, &an) < 0) {
		hs_debug("frame at %.2f s could not be analysed: %s", t,
		         hs_shim_last_error());
		memset(&an, 0, sizeof an);
		an.luma = NAN;
	}
	if (isnan(c->open_t))
		c->open_t = t;
	hs_monitor_step st;
	hs_monitor_step_frame(c->mon, t, &an, &st);
	if (an.frame_w > 0) {
		c->frame_w = an.frame_w;
		c->frame_h = an.frame_h;
	}
	/* Why self-calibration was refused: once as a warning (a camera
	 * on its side would otherwise stay uncalibrated without a word),
	 * then, as the attempts go on every few seconds, in -v only. */
	if (st.self_cal_refused) {
		if (c->selfcal_refusal_told)
			hs_info("cannot calibrate itself yet: %s",
			        c->mon->selfcal_why);
		else
			hs_warn("cannot calibrate itself yet: %s; it tries "
			        "again meanwhile",
			        c->mon->selfcal_why);
		c->selfcal_refusal_told = true;
	}
	if (st.baseline_rescaled)
		hs_info("the baseline was recorded from %dx%d frames; scaled "
		        "to these %dx%d frames of the same shape",
		        st.baseline_from_w, st.baseline_from_h, an.frame_w,
		        an.frame_h);
	if (st.baseline_dropped)
		hs_warn("the baseline was recorded from %dx%d frames, but "
		        "'%s' gives %dx%d, another shape, so it does not fit: "
		        "headsup will calibrate itself from the next %.0f s "
		        "of a steady, frontal face. Run 'headsup calibrate' "
		        "to record a baseline for this camera.",
		        st.baseline_from_w, st.baseline_from_h, source_name(c),
		        an.frame_w, an.frame_h, HS_MONITOR_SELFCAL_S);
	if (st.baseline_dropped) {
		c->base_dropped = true;
		c->base_from_file = false;
	}
	if (st.self_calibrated) {
		hs_info("calibrated from the first seconds of a steady face "
		        "(kept for this run only); run 'headsup calibrate' "
		        "for a baseline you choose");
		tell_self_calibrated(c);
	}
	if (st.changed)
		hs_info("%.1f s: %s", t, hs_state_name(st.state));
	if (st.dark_changed)
		tell_dark(c);

	const double wall = wall_at(c, t);
	double dt = isnan(c->last_analysed_t) ? 1.0 / c->cfg.rate_hz
	                                      : t - c->last_analysed_t;
	dt = fmin(fmax(dt, 0), 2.0 / c->cfg.rate_hz);
	c->last_analysed_t = t;
	if (c->journal)
		hs_journal_add_frame(c->journal, wall, dt, st.state,
		                     st.has_features ? &st.f : NULL,
		                     an.face.found);
	else
		c->unjournalled_s += dt;
	if (st.alert)
		send_alert(c, &st.alert_info, wall);
	forget_old_days(c, wall);
	if (c->o.preview)
		draw_preview(c, &an, &st);
}

static void reload_settings(run_ctx *c)
{
	char err[4200];
	hs_config cfg;
	if (load_settings(&c->o, &cfg, err, sizeof err) < 0) {
		hs_warn("settings not reloaded, the old ones stay: %s", err);
		return;
	}
	/* Thresholds, alerts, rate, camera lending and the journal's
	 * settings change at once; the others wait for a restart. */
	char later[512];
	hs_config_keep_start(&cfg, &c->cfg, later, sizeof later);
	if (later[0])
		hs_warn("%s changed, but headsup reads %s only when it "
		        "starts: restart it for the new value%s (systemctl "
		        "--user restart headsup, or stop and start 'headsup "
		        "run')",
		        later, strchr(later, ',') ? "them" : "it",
		        strchr(later, ',') ? "s" : "");
	c->cfg = cfg;
	hs_monitor_reconfigure(c->mon, &c->cfg);
	c->forget_at = -INFINITY;      /* keep_days may have changed */
	if (isfinite(c->lent_until)) { /* a shorter lend_camera_s counts */
		const double end =
		        hs_clock_steady() + (double)c->cfg.lend_camera_s;
		c->lend_min_end = fmin(c->lend_min_end, end);
		c->lent_until = fmin(c->lent_until, end);
	}
	if (c->journal)
		hs_journal_set_commit_interval(c->journal, c->cfg.commit_s);
	hs_info("settings reloaded");
}

/* At the end of a file: was it all there?  What was read is journalled
 * either way; a file cut short or with no readable frame is an error. */
static int check_file_read(run_ctx *c)
{
	if (c->analysed > 0 && c->unreadable == c->analysed) {
		const char *why =
		        c->unreadable_rc != HS_EFORMAT
		                ? hs_strerror(c->unreadable_rc)
		        : strcmp(hs_source_kind(c->src), "images") == 0
		                ? "no image there can be decoded"
		                : "no frame of the video can be decoded";
		hs_error("nothing in '%s' could be read: %s", source_name(c),
		         why);
		return HS_EFORMAT;
	}
	if (c->unreadable > 0)
		hs_warn("%ld of %ld analysed frames of '%s' could not be read",
		        c->unreadable, c->analysed, source_name(c));
	if (hs_source_cut_short(c->src, c->frames)) {
		hs_error(
		        "video '%s' ends after %ld of its %ld frames (%.1f s): "
		        "the file looks truncated or damaged; what was read "
		        "is in the journal",
		        source_name(c), c->frames,
		        hs_source_frame_count(c->src), last_t(c));
		return HS_EFORMAT;
	}
	return 0;
}

static int loop(run_ctx *c)
{
	int rc = 0;
	c->next_t = -INFINITY;
	c->last_analysed_t = NAN;
	c->first_t = NAN;
	while (!stop_requested) {
		const double now = hs_clock_steady();
		if (reload_requested) {
			reload_requested = 0;
			reload_settings(c);
		}
		handle_control(c, now);
		hs_notify_poll(c->notify);
		if (hs_notify_take_snooze(c->notify)) {
			hs_alerts_snooze(&c->mon->alerts,
			                 c->live ? now : c->last_analysed_t,
			                 c->cfg.snooze_min * 60.0);
			hs_info("alerts snoozed for %.0f minutes",
			        c->cfg.snooze_min);
		}
		if (!c->journal && now >= c->journal_retry_at)
			open_journal(c, now);
		if (c->screen) {
			hs_screenlock_poll(c->screen);
			bool locked = hs_screenlock_locked(c->screen);
			if (locked && c->src && c->live) {
				hs_info("screen locked: camera released");
				release_source(c);
				c->screen_released = true;
				if (c->journal)
					hs_journal_flush(c->journal);
				continue;
			}
			if (locked) {
				hs_clock_sleep(0.5);
				continue;
			}
			if (c->screen_released && !hs_pause_active(&c->pause)) {
				c->screen_released = false;
				hs_info("screen unlocked: watching again");
				hs_monitor_restart(c->mon);
				c->next_t = -INFINITY;
			}
		}
		if (still_paused(c, now)) {
			hs_clock_sleep(0.2);
			continue;
		}
		/* Released for a pause, a locked screen or another program:
		 * take it back. */
		if (!c->src) {
			if (isfinite(c->lent_until) &&
			    !lent_camera_free(c, now)) {
				hs_clock_sleep(0.2);
				continue;
			}
			if ((rc = open_source(c)) < 0)
				break;
			continue;
		}
		if (c->watch) {
			const int ev =
			        c->cam_events | hs_camwatch_poll(c->watch);
			c->cam_events = 0;
			if ((ev & HS_CAMWATCH_OPENED) &&
			    c->cfg.lend_camera_s > 0) {
				lend_camera(c, now);
				continue;
			}
		}
		double t;
		rc = hs_source_grab(c->src, &t);
		if (rc == HS_EEOF) {
			rc = check_file_read(c);
			break;
		}
		if (rc < 0) {
			/* A signal cuts the camera's wait for a frame short
			 * (OpenCV's V4L2 back-end gives up on EINTR): deal
			 * with the signal, the camera is fine. */
			if (c->live && (stop_requested || reload_requested)) {
				rc = 0;
				continue;
			}
			if (!c->live) {
				hs_error("reading '%s' failed: %s",
				         source_name(c), hs_strerror(rc));
				break;
			}
			hs_warn("camera '%s' stopped delivering frames; "
			        "reopening it",
			        source_name(c));
			release_source(c);
			hs_monitor_restart(c->mon);
			c->next_t = -INFINITY;
			if ((rc = open_source(c)) < 0)
				break;
			continue;
		}
		c->frames++;
		if (c->o.realtime && !c->live) {
			if (isnan(c->first_t)) {
				c->first_t = t;
				c->wall0 = now;
			}
			hs_clock_sleep(c->wall0 + (t - c->first_t) -
			               hs_clock_steady());
		}
		if (hs_monitor_frame_due(&c->next_t, t, c->cfg.rate_hz))
			analyse_frame(c, t);
	}
	return rc == HS_EINTERRUPTED ? 0 : rc;
}

static int parse_args(int argc, char **argv, run_opts *o, int *status)
{
	enum {
		OPT_SOURCE = 256,
		OPT_RATE,
		OPT_CONFIG,
		OPT_SET,
		OPT_CAL,
		OPT_JOURNAL,
		OPT_CLOCK,
		OPT_REALTIME,
		OPT_PREVIEW,
	};
	static const struct option opts[] = {
		{ "source", required_argument, NULL, OPT_SOURCE },
		{ "rate", required_argument, NULL, OPT_RATE },
		{ "config", required_argument, NULL, OPT_CONFIG },
		{ "set", required_argument, NULL, OPT_SET },
		{ "calibration", required_argument, NULL, OPT_CAL },
		{ "journal", required_argument, NULL, OPT_JOURNAL },
		{ "clock-start", required_argument, NULL, OPT_CLOCK },
		{ "realtime", no_argument, NULL, OPT_REALTIME },
		{ "preview", no_argument, NULL, OPT_PREVIEW },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static char set_buf[MAX_SET][HS_CONFIG_STR_MAX + 64];
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (o->n_set >= MAX_SET &&
		    (c == OPT_SOURCE || c == OPT_RATE || c == OPT_SET)) {
			*status =
			        hs_cli_usage_error("run", "too many settings");
			return -1;
		}
		switch (c) {
		case OPT_SOURCE:
			o->set_keys[o->n_set] = "source";
			o->set_values[o->n_set++] = optarg;
			break;
		case OPT_RATE:
			o->set_keys[o->n_set] = "rate_hz";
			o->set_values[o->n_set++] = optarg;
			break;
		case OPT_SET: {
			char *eq = strchr(optarg, '=');
			if (!eq || eq == optarg) {
				*status = hs_cli_usage_error(
				        "run",
				        "--set takes KEY=VALUE, not '%s'",
				        optarg);
				return -1;
			}
			if (strlen(optarg) >= sizeof set_buf[0]) {
				*status = hs_cli_usage_error(
				        "run",
				        "--set '%.*s=...' is too long (at most "
				        "%zu characters)",
				        (int)(eq - optarg < 40 ? eq - optarg
				                               : 40),
				        optarg, sizeof set_buf[0] - 1);
				return -1;
			}
			char *buf = set_buf[o->n_set];
			memcpy(buf, optarg, strlen(optarg) + 1);
			buf[eq - optarg] = '\0';
			/* Spaces around '=' as in the config file:
			 * --set "sustain_s = 45". */
			o->set_keys[o->n_set] = hs_config_trim(buf);
			o->set_values[o->n_set++] =
			        hs_config_trim(buf + (eq - optarg) + 1);
			break;
		}
		case OPT_CONFIG:
			o->config = optarg;
			break;
		case OPT_CAL:
			o->calibration = optarg;
			break;
		case OPT_JOURNAL:
			o->journal = optarg;
			break;
		case OPT_CLOCK:
			o->clock_start = optarg;
			break;
		case OPT_REALTIME:
			o->realtime = true;
			break;
		case OPT_PREVIEW:
			o->preview = true;
			break;
		case 'h':
			usage(stdout);
			*status = HS_EXIT_OK;
			return -1;
		default:
			*status = hs_cli_bad_option("run", argv);
			return -1;
		}
	}
	if (optind < argc) {
		*status = hs_cli_usage_error("run", "unexpected argument '%s'",
		                             argv[optind]);
		return -1;
	}
	return 0;
}

/* A journal named with --journal is taken as the user typed it: its
 * folder must exist (a typo makes no folders), and a file already there
 * must be a database (the default journal, found damaged, is moved aside
 * and started again; a file the user named is theirs, and left alone).
 * Said here, with -1. */
static int check_named_journal(const char *path)
{
	char dir[PATH_MAX];
	snprintf(dir, sizeof dir, "%s", path);
	char *slash = strrchr(dir, '/');
	if (slash)
		*(slash == dir ? slash + 1 : slash) = '\0';
	else
		snprintf(dir, sizeof dir, ".");
	if (!hs_path_is_folder(dir)) {
		hs_error("cannot keep the journal in '%s': folder '%s' does "
		         "not exist; create it, or give another path",
		         path, dir);
		return -1;
	}
	static const char magic[16] = "SQLite format 3";
	char head[16];
	struct stat st;
	ssize_t n = 0;
	/* Non-blocking: a FIFO named by mistake must not hang the start. */
	const int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd >= 0 && fstat(fd, &st) == 0)
		n = S_ISREG(st.st_mode) ? read(fd, head, sizeof head)
		                        : (ssize_t)sizeof head + 1;
	if (fd >= 0)
		close(fd);
	if (n > 0 &&
	    (n != sizeof head || memcmp(head, magic, sizeof head) != 0)) {
		hs_error("'%s' is not a headsup journal (nor any database); it "
		         "was left as it is: give the path of a journal, or of "
		         "a file that does not exist yet",
		         path);
		return -1;
	}
	return 0;
}

/* Everything before the loop that can fail with a usage/config error. */
static int prepare(run_ctx *c, int *status)
{
	char err[4200];
	*status = HS_EXIT_USAGE;
	if (load_settings(&c->o, &c->cfg, err, sizeof err) < 0) {
		hs_error("%s", err);
		return -1;
	}
	c->clock_start = hs_clock_wall();
	if (c->o.clock_start &&
	    hs_datetime_parse(c->o.clock_start, &c->clock_start) < 0) {
		hs_cli_usage_error(
		        "run",
		        "--clock-start takes an ISO 8601 time such as "
		        "2026-03-14T09:00:00, not '%s'",
		        c->o.clock_start);
		return -1;
	}
	/* A day ahead at most (time zones): a year typed wrong would put
	 * the replay where no day has been. */
	if (c->o.clock_start && c->clock_start > hs_clock_wall() + 86400) {
		hs_cli_usage_error("run",
		                   "--clock-start '%s' is in the future; a "
		                   "replay is journalled as a time that has "
		                   "passed",
		                   c->o.clock_start);
		return -1;
	}
	if (c->o.clock_start &&
	    hs_source_pick(c->cfg.source) == &hs_source_camera) {
		hs_cli_usage_error(
		        "run",
		        "--clock-start is for replaying a file: the camera's "
		        "frames are journalled at the time they are taken");
		return -1;
	}
	/* Checked before anything starts: without a display the window's
	 * toolkit would abort the process. */
	char why[256];
	if (c->o.preview && hs_display_check(why, sizeof why) < 0) {
		hs_error("--preview needs a graphical display: %s", why);
		*status = HS_EXIT_FAILURE;
		return -1;
	}
	char lock_path[PATH_MAX];
	long holder = 0;
	int rc = hs_lock_default_path(lock_path, sizeof lock_path);
	if (rc == 0)
		rc = hs_lock_acquire(lock_path, &c->lock, &holder);
	if (rc == HS_ELOCKED) {
		hs_error("already running (pid %ld)", holder);
		return -1;
	}
	if (rc < 0) {
		hs_error("cannot take the single-instance lock '%s': %s",
		         lock_path, hs_strerror(rc));
		*status = HS_EXIT_FAILURE;
		return -1;
	}
	/* Only now: looking for the first webcam opens each video device,
	 * which a running monitor would take for a video call starting. */
	hs_source_name(c->cfg.source, c->source_label, sizeof c->source_label);
	*status = HS_EXIT_FAILURE;
	if (c->o.calibration)
		snprintf(c->cal_path, sizeof c->cal_path, "%s",
		         c->o.calibration);
	else if (hs_calibration_default_path(c->cal_path, sizeof c->cal_path) <
	         0)
		c->cal_path[0] = '\0';
	hs_baseline base;
	bool have_base = false;
	if (c->cal_path[0]) {
		rc = hs_calibration_load(c->cal_path, &base, err, sizeof err);
		if (rc == 0)
			have_base = true;
		else if (rc != HS_ENOENT || c->o.calibration) {
			/* A damaged or foreign file, or a wrong name, is the
			 * user's to fix (2); a file that cannot be read (its
			 * permissions, the disk) is a runtime failure (1). */
			const bool theirs = rc == HS_EFORMAT ||
			                    rc == HS_ENOENT ||
			                    rc == HS_EISDIR || rc == HS_ENOTDIR;
			hs_error(
			        "%s%s", err,
			        rc == HS_EFORMAT && !strstr(err, "calibrate")
			                ? "; run 'headsup calibrate' to record "
			                  "a new baseline"
			        : rc == HS_EACCES
			                ? "; check the file's permissions, or "
			                  "run 'headsup calibrate' to record a "
			                  "new baseline"
			                : "");
			*status = theirs ? HS_EXIT_USAGE : HS_EXIT_FAILURE;
			return -1;
		}
	}
	c->mon = malloc(sizeof *c->mon);
	if (!c->mon)
		return -1;
	hs_monitor_init(c->mon, &c->cfg, have_base ? &base : NULL);
	c->base_from_file = have_base;

	hs_source_opts_default(&c->so);
	c->so.width = (int)c->cfg.camera_width;
	c->so.height = (int)c->cfg.camera_height;
	c->so.camera_fps = c->cfg.camera_fps;
	char ctl_path[PATH_MAX];
	if (hs_control_default_path(ctl_path, sizeof ctl_path) == 0 &&
	    (rc = hs_control_create(ctl_path, &c->control)) < 0)
		hs_warn("control socket '%s' unavailable (%s): 'headsup pause' "
		        "will not reach this monitor",
		        ctl_path, hs_strerror(rc));
	if (c->o.journal)
		snprintf(c->journal_path, sizeof c->journal_path, "%s",
		         c->o.journal);
	else if (hs_journal_default_path(c->journal_path,
	                                 sizeof c->journal_path) < 0) {
		hs_error("cannot tell where the journal goes: set "
		         "$XDG_DATA_HOME or $HOME");
		return -1;
	}
	if (hs_path_is_folder(c->journal_path)) {
		hs_error("journal '%s' is a folder: give the path of a file, "
		         "such as '%s/journal.db'",
		         c->journal_path, c->journal_path);
		*status = HS_EXIT_USAGE;
		return -1;
	}
	if (c->o.journal && check_named_journal(c->journal_path) < 0) {
		*status = HS_EXIT_USAGE;
		return -1;
	}
	if ((rc = open_source(c)) < 0) {
		/* Stopped while waiting for the camera: a clean stop. */
		if (rc == HS_EINTERRUPTED)
			*status = HS_EXIT_OK;
		return -1;
	}
	hs_cv_set_threads(1);
	if (hs_analyzer_create(c->cfg.model, c->cfg.fov_deg, &c->az) < 0)
		return -1;
	if ((rc = hs_image_create(&c->img)) < 0) {
		hs_error("cannot make a frame buffer: %s", hs_strerror(rc));
		return -1;
	}
	/* notify = desktop with no server is not a configuration error:
	 * the server may just not be up yet (status 1, which systemd
	 * retries). */
	if ((rc = hs_notify_create(c->cfg.notify, &c->notify)) < 0) {
		*status = rc == HS_EINVAL ? HS_EXIT_USAGE : HS_EXIT_FAILURE;
		return -1;
	}
	if (c->live)
		hs_screenlock_create(&c->screen);
	if (!c->mon->calibrated)
		hs_warn("no calibration yet: headsup will calibrate itself "
		        "from "
		        "the first %.0f s of a steady, frontal face. For a "
		        "baseline you choose, sit upright and run 'headsup "
		        "calibrate'.",
		        HS_MONITOR_SELFCAL_S);
	/* Another program's database, or a newer headsup's journal, will
	 * not change by waiting: a configuration error. */
	if (open_journal(c, hs_clock_steady()) == HS_EFORMAT) {
		*status = HS_EXIT_USAGE;
		return -1;
	}
	return 0;
}

/* Release everything; whether all that was monitored is in the journal
 * (what is not was said). */
static bool finish(run_ctx *c)
{
	bool kept = true;
	if (c->journal) {
		hs_journal_end_session(c->journal, wall_at(c, last_t(c)));
		kept = hs_journal_close(c->journal) == 0;
	}
	if (c->unjournalled_s > 0) {
		char words[96];
		hs_duration_format_exact(c->unjournalled_s, words,
		                         sizeof words);
		hs_error("%s of monitoring are not in the journal: '%s' "
		         "could not be opened meanwhile",
		         words, c->journal_path);
		kept = false;
	}
	if (c->preview_shown)
		hs_preview_close(PREVIEW_TITLE);
	hs_screenlock_destroy(c->screen);
	hs_control_destroy(c->control);
	hs_notify_destroy(c->notify);
	hs_source_destroy(c->src);
	hs_camwatch_destroy(c->watch);
	hs_image_destroy(c->img);
	hs_analyzer_destroy(c->az);
	free(c->mon);
	hs_lock_release(c->lock);
	return kept;
}

int hs_cmd_run(int argc, char **argv)
{
	run_ctx c;
	memset(&c, 0, sizeof c);
	hs_pause_init(&c.pause);
	c.open_t = NAN;           /* no frame analysed yet */
	c.lent_until = -INFINITY; /* the camera is ours */
	int status = HS_EXIT_OK;
	if (parse_args(argc, argv, &c.o, &status) < 0)
		return status;

	struct sigaction sa = { 0 };
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sa.sa_handler = on_hup;
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	hs_log_set_timestamps(true);

	if (prepare(&c, &status) == 0) {
		hs_info("watching '%s' with %s at %.1f frames/s",
		        source_name(&c), hs_analyzer_detector(c.az),
		        c.cfg.rate_hz);
		int rc = loop(&c);
		status = rc < 0 ? HS_EXIT_FAILURE : HS_EXIT_OK;
		hs_info("stopped at %.1f s of '%s' after %ld frames (%ld "
		        "analysed)",
		        isnan(c.last_analysed_t) ? 0.0 : c.last_analysed_t,
		        source_name(&c), c.frames, c.analysed);
	}
	/* Monitoring the journal lost is a failure, even of a clean stop. */
	if (!finish(&c) && status == HS_EXIT_OK)
		status = HS_EXIT_FAILURE;
	return status;
}
