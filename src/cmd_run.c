/* cmd_run.c - `headsup run`: the capture loop.
 *
 * Frames come from the camera (or a replayed file), are analysed at the
 * configured rate, and go through the pure monitor core (monitor.c); this
 * file does the I/O around it: the journal, notifications, the screen
 * lock, the single-instance lock, signals and the preview.  The source and
 * the camera lent to a video call are in cmd_run_camera.c, the control
 * socket's requests in cmd_run_control.c.
 */
#include "cmd_run.h"

#include "headsup/advice.h"
#include "headsup/analyzer.h"
#include "headsup/calibration.h"
#include "headsup/camwatch.h"
#include "headsup/cli.h"
#include "headsup/clock.h"
#include "headsup/config.h"
#include "headsup/control.h"
#include "headsup/display.h"
#include "headsup/detector.h"
#include "headsup/err.h"
#include "headsup/facemesh.h"
#include "headsup/journal.h"
#include "headsup/lock.h"
#include "headsup/log.h"
#include "headsup/monitor.h"
#include "headsup/notify.h"
#include "headsup/paths.h"
#include "headsup/pause.h"
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
#define JOURNAL_RETRY_S 60.0
/* Without a camera to read (paused, screen locked, camera lent), the loop
 * looks at the screen lock, the notifications and the lent camera this
 * often; a request on the control socket or a signal wakes it at once. */
#define IDLE_S 1.0
/* A run that ends on its own (a file replayed to its end) while another
 * program holds the journal locked waits this long for the lock before
 * what it watched is lost; a stop asked for (a signal, 'headsup stop')
 * does not wait. */
#define END_LOCK_WAIT_S 15.0

volatile sig_atomic_t hs_run_stop_requested;
static volatile sig_atomic_t reload_requested;

static void on_stop(int sig)
{
	(void)sig;
	hs_run_stop_requested = 1;
	hs_control_wake();
}

static void on_hup(int sig)
{
	(void)sig;
	reload_requested = 1;
	hs_control_wake();
}

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
	      "  --rate HZ            frames analysed per second (default:\n"
	      "                       [monitor] rate_hz, 2)\n"
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
	      "  --announce[=errors]  say on the desktop that it started, or "
	      "why\n"
	      "                       it could not (the menu entry's "
	      "choice);\n"
	      "                       =errors: only a usage or configuration\n"
	      "                       error that keeps it from starting (the\n"
	      "                       systemd unit's choice)\n"
	      "  -h, --help           show this help\n\n"
	      "With a file, the file's own time stamps are the time base (a\n"
	      "folder of images: one image a second; where a video's stamps "
	      "go\n"
	      "back, as in files joined end to end, the frames after follow "
	      "on):\n"
	      "a 200 s clip is 200 s of monitoring however fast it is read, "
	      "and\n"
	      "it is analysed at the same rate as a camera.\n\n"
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
	      "source or the baseline file cannot be read (permissions, the "
	      "disk),\n"
	      "--preview has no display, notify = desktop and\n"
	      "no notification server answers (or the session bus is not "
	      "on this\n"
	      "machine), or some of the monitoring could not\n"
	      "be kept in the journal (said at the end); 2 on a usage or\n"
	      "configuration error, when another monitor is already "
	      "running, or\n"
	      "when the journal is not one headsup can keep (another "
	      "program's\n"
	      "database, a newer headsup's, a folder, a file of another "
	      "user's, or\n"
	      "a file named with --journal that is damaged or no "
	      "journal).\n\n",
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
		char why[HS_WHY_MAX];
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

/* [journal] keep_days: forget the days before the last keep_days ones
 * (today not counted); checked when the journal opens and then hourly.
 * Counted back from the clock's today at the latest, so that a replay
 * set in the future never forgets days that really were; and from a day
 * past the journal's data at the latest, so that neither does a system
 * clock set ahead (hs_journal_keep_from).  The data is what the journal
 * held before this run, plus how long the run has gone on by the steady
 * clock for a camera, and by the file's own time for a file. */
static void forget_old_days(run_ctx *c, double wall)
{
	/* (data_before is NAN while the journal has not opened yet) */
	if (!c->journal || c->cfg.keep_days <= 0 || wall < c->forget_at ||
	    isnan(c->data_before))
		return;
	c->forget_at = wall + 3600;
	const double ran = c->live ? hs_clock_steady() - c->opened_steady
	                           : wall - c->opened_wall;
	hs_date first;
	if (!hs_journal_keep_from(fmin(wall, hs_clock_wall()),
	                          c->data_before + fmax(ran, 0.0),
	                          c->cfg.keep_days, &first))
		return;
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

/* A file replayed at a time the journal already holds (the same
 * --clock-start again, or "now" after a fast replay wrote minutes ahead
 * of the clock): its minutes merge with the earlier session's (the
 * reader scales a minute's seconds down to 60), and its alerts are
 * counted as well.  Said, before anything is written. */
static void warn_of_overlap(run_ctx *c, double wall)
{
	hs_journal_session *s = NULL;
	size_t n = 0;
	if (hs_journal_read_sessions(c->journal, wall, wall + 1, &s, &n) < 0)
		return;
	/* Ended after this start: not one that ends where this begins, nor
	 * one never ended (end 0: killed, its end unknown). */
	size_t k = 0;
	while (k < n && !(s[k].end > wall + 0.5))
		k++;
	if (k == n) {
		free(s);
		return;
	}
	const time_t t = (time_t)floor(wall);
	struct tm tm;
	char when[32] = "this time";
	if (localtime_r(&t, &tm))
		strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
	hs_warn("the journal already holds monitoring at %s (of '%s'); this "
	        "replay's minutes are merged with it (a minute holds 60 s at "
	        "most) and its alerts counted as well: give another "
	        "--clock-start, or --journal another file",
	        when, s[k].source);
	free(s);
}

/* Say that the journal at path, or a companion file of it (-wal, -shm),
 * belongs to another user. */
static void say_not_owner(const char *path)
{
	static const char *const ends[] = { "", "-wal", "-shm", "-journal" };
	char name[PATH_MAX + 16] = "", owner[96] = "another user";
	for (size_t i = 0; i < sizeof ends / sizeof ends[0]; i++) {
		struct stat st;
		snprintf(name, sizeof name, "%s%s", path, ends[i]);
		if (stat(name, &st) == 0 && st.st_uid != geteuid()) {
			hs_path_user_name(st.st_uid, owner, sizeof owner);
			break;
		}
	}
	hs_error("journal file '%s' belongs to %s, not to you: they could "
	         "read what headsup keeps in it, so it was left as it is; give "
	         "a journal of your own, or a path where none is yet",
	         name, owner);
}

/* Open the journal, or plan a retry; HS_EFORMAT (said) when the file is
 * not a journal this version may write, or one the user named that is
 * corrupt, or one of another user's. */
static int open_journal(run_ctx *c, double now_mono)
{
	char moved[PATH_MAX];
	/* A corrupt journal the user named is theirs: left as it is. */
	int rc = c->o.journal
	                 ? hs_journal_open_named(c->journal_path, &c->journal)
	                 : hs_journal_open(c->journal_path, moved, &c->journal);
	static const char going_on[] = "monitoring and alerts go on, what is "
	                               "watched is kept, and it is retried "
	                               "every minute";
	if (rc < 0) {
		/* The user's own file, corrupt, waits for the user as another
		 * program's does (HS_EFORMAT, said by the journal itself). */
		const bool theirs = rc == HS_EFORMAT || rc == HS_ENOTOWNER ||
		                    (rc == HS_ECORRUPT && c->o.journal);
		if (c->journal_warned || rc == HS_EFORMAT) {
			/* said already */
		} else if (rc == HS_ENOTOWNER) {
			say_not_owner(c->journal_path);
		} else if (theirs) {
			hs_error("journal '%s' is corrupt; it was left as it "
			         "is: move it away, or give another path",
			         c->journal_path);
		} else if (rc == HS_ECORRUPT) {
			hs_warn("journal '%s' is corrupt and cannot be moved "
			        "aside (can its folder be written?); %s",
			        c->journal_path, going_on);
		} else {
			hs_warn("journal '%s' cannot be opened (%s); %s",
			        c->journal_path, hs_strerror(rc), going_on);
		}
		c->journal_warned = true;
		c->journal_retry_at = now_mono + JOURNAL_RETRY_S;
		if (theirs)
			return HS_EFORMAT;
		/* What is watched meanwhile is kept in memory and written
		 * once the journal opens (the journal retries at each commit,
		 * and says so when it works). */
		if (hs_journal_open_later(c->journal_path, !c->o.journal,
		                          &c->journal) == 0) {
			hs_journal_set_commit_interval(c->journal,
			                               c->cfg.commit_s);
			hs_journal_begin_session(
			        c->journal, wall_at(c, 0.0), source_name(c),
			        c->base_from_file ? c->cal_path : "self");
		}
		return 0;
	}
	/* A corrupt journal moved aside (moved[]) was already reported by
	 * hs_journal_open(), naming where it went. */
	if (c->journal_warned)
		hs_info("journal '%s' is writable again", c->journal_path);
	c->journal_warned = false;
	hs_journal_set_commit_interval(c->journal, c->cfg.commit_s);
	double wall = wall_at(c, 0.0);
	/* The journal's data before this run, read once: what this run
	 * writes is dated by a clock that may be wrong. */
	if (isnan(c->data_before)) {
		if (hs_journal_newest(c->journal, &c->data_before) < 0)
			c->data_before = -INFINITY;
		c->opened_steady = hs_clock_steady();
		c->opened_wall = wall;
	}
	if (!c->live)
		warn_of_overlap(c, wall);
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
	msg.snooze_min = c->cfg.snooze_min;
	hs_info("alert: %s", msg.summary);
	hs_notify_send(c->notify, &msg);
	if (c->journal)
		hs_journal_add_alert(
		        c->journal, wall, a->kind, a->lasted_s,
		        hs_advice_get(hs_advice_for_state(a->kind))->id);
}

void hs_run_withdraw_alerts(run_ctx *c, const char *why)
{
	if (hs_notify_withdraw(c->notify) > 0)
		hs_info("alert taken back from the desktop: %s", why);
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
		hs_run_stop_requested = 1;
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
	char why[HS_WHY_MAX];
	hs_source_unreadable_words(rc, why, sizeof why);
	if (name)
		hs_warn("cannot read image '%s': %s; skipping it", name, why);
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

/* --announce, which the menu entry passes: started from a menu, the monitor
 * has no terminal, so the desktop is told that it watches now, or why it
 * does not (below, and hs_run_open_source() while it waits for a camera).
 * Once a run, as a low-urgency notice. */
static void announce_started(run_ctx *c)
{
	if (c->o.announce != ANNOUNCE_ALL)
		return;
	char lasts[64], body[512];
	hs_duration_format_exact(c->cfg.sustain_s, lasts, sizeof lasts);
	snprintf(body, sizeof body,
	         "It tells you only when looking down or hunching has lasted "
	         "%s.%s To pause it: headsup pause; to end it: headsup stop.",
	         lasts,
	         c->mon->calibrated
	                 ? ""
	                 : " It takes the first seconds it sees you as your "
	                   "upright posture: sit upright, facing the screen.");
	hs_notify_notice(c->notify, "headsup is watching your posture", body);
}

/* --announce, and the monitor could not start (with status): a second one
 * (the menu entry clicked again), or the error it printed.  Through a
 * desktop notifier of its own (the run's may not be made yet, or be the
 * terminal's); nothing when no notification server answers.  With
 * --announce=errors (the systemd unit, at each log-in) only an error the
 * unit will not retry, status 2: settings that cannot be used would
 * otherwise leave the user unwatched without a word; a failure it retries
 * would be told every ten seconds, and a second monitor is expected when
 * the menu entry is in autostart as well. */
static void announce_failed(const run_ctx *c, int status)
{
	if (c->o.announce == ANNOUNCE_NONE ||
	    (c->o.announce == ANNOUNCE_ERRORS &&
	     (status != HS_EXIT_USAGE || c->other_pid)))
		return;
	if (c->other_pid)
		hs_notify_notice_once(
		        "headsup is already running",
		        "It is watching your posture. To see what "
		        "it sees: headsup status; to pause it: "
		        "headsup pause; to end it: headsup stop.");
	else
		hs_notify_notice_once("headsup could not start",
		                      hs_log_last_error());
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
	/* A baseline recorded when no pitch was measured (the face model
	 * missing then): looking down reads as hunched until it is
	 * recorded again, which only the user can do. */
	if (!c->pitchless_told && c->mon->calibrated &&
	    hs_baseline_lacks_pitch(&c->mon->base,
	                            an.has_pose ? &an.pose : NULL)) {
		hs_warn("the baseline %s", hs_baseline_pitchless_advice);
		c->pitchless_told = true;
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
	if (st.self_recalibrated) {
		/* Said as the first was, on the terminal and the desktop. */
		hs_warn("you mostly sit higher than when headsup calibrated "
		        "itself (your eyes by %.1f times the distance between "
		        "them): it now takes that as your upright posture, as "
		        "the first was likely a slouch; run 'headsup "
		        "calibrate' "
		        "for a baseline you choose",
		        st.higher_by_iod);
		hs_notify_notice(
		        c->notify, "headsup calibrated itself again",
		        "You mostly sit higher than when it calibrated "
		        "itself, so it now takes that as your upright "
		        "posture. For a baseline you choose, sit upright "
		        "and run: headsup calibrate");
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
	/* A frame the journal could not take at all (no session begun)
	 * counts as monitoring it lacks, said at the end; one it could not
	 * write yet it keeps, and says so itself. */
	if (!c->journal || hs_journal_add_frame(c->journal, wall, dt, st.state,
	                                        st.has_features ? &st.f : NULL,
	                                        an.face.found) == HS_EINVAL)
		c->unjournalled_s += dt;
	if (st.alert_over)
		hs_run_withdraw_alerts(c, "the posture it warned of ended");
	if (st.alert)
		send_alert(c, &st.alert_info, wall);
	forget_old_days(c, wall);
	if (c->o.preview)
		draw_preview(c, &an, &st);
}

static void reload_settings(run_ctx *c);

void hs_run_reload_if_asked(run_ctx *c)
{
	if (!reload_requested)
		return;
	reload_requested = 0;
	reload_settings(c);
}

static void reload_settings(run_ctx *c)
{
	char err[HS_MSG_MAX];
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
		        : hs_source_backend(c->src) == &hs_source_images
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

/* --realtime: wait for the frame's time, answering the control socket
 * meanwhile (a clip may have seconds between frames). */
static void pace_until(run_ctx *c, double when)
{
	double now;
	while ((now = hs_clock_steady()) < when && !hs_run_stop_requested) {
		hs_control_wait(c->control, when - now);
		hs_run_handle_control(c, hs_clock_steady());
	}
}

static int loop(run_ctx *c)
{
	int rc = 0;
	c->next_t = -INFINITY;
	c->last_analysed_t = NAN;
	c->first_t = NAN;
	while (!hs_run_stop_requested) {
		const double now = hs_clock_steady();
		hs_run_reload_if_asked(c);
		hs_run_handle_control(c, now);
		hs_notify_poll(c->notify);
		if (hs_notify_take_snooze(c->notify)) {
			hs_alerts_snooze(&c->mon->alerts,
			                 c->live ? now : c->last_analysed_t,
			                 c->cfg.snooze_min * 60.0);
			hs_info("alerts snoozed for %g minutes",
			        c->cfg.snooze_min);
		}
		if (!c->journal && now >= c->journal_retry_at)
			open_journal(c, now);
		if (c->screen) {
			hs_screenlock_poll(c->screen);
			bool locked = hs_screenlock_locked(c->screen);
			if (locked && !c->screen_locked)
				hs_run_withdraw_alerts(c, "the screen is "
				                          "locked");
			c->screen_locked = locked;
			if (locked && c->src && c->live) {
				hs_info("screen locked: camera released");
				hs_run_release_source(c);
				c->screen_released = true;
				if (c->journal)
					hs_journal_flush(c->journal);
				continue;
			}
			if (locked) {
				/* a pause due to end ends while locked too,
				 * so that status does not speak of one */
				hs_run_still_paused(c, now);
				hs_control_wait(c->control, IDLE_S);
				continue;
			}
			if (c->screen_released && !hs_pause_active(&c->pause)) {
				c->screen_released = false;
				hs_info("screen unlocked: watching again");
				hs_monitor_restart(c->mon);
				c->next_t = -INFINITY;
			}
		}
		if (hs_run_still_paused(c, now)) {
			hs_control_wait(
			        c->control,
			        fmin(hs_pause_end(&c->pause) - now, IDLE_S));
			continue;
		}
		/* Released for a pause, a locked screen or another program:
		 * take it back. */
		if (!c->src) {
			if (isfinite(c->lent_until) &&
			    !hs_run_lent_camera_free(c, now)) {
				hs_control_wait(c->control, IDLE_S);
				continue;
			}
			if ((rc = hs_run_open_source(c)) < 0)
				break;
			continue;
		}
		if (c->watch) {
			const int ev =
			        c->cam_events | hs_camwatch_poll(c->watch);
			c->cam_events = 0;
			if ((ev & HS_CAMWATCH_OPENED) &&
			    c->cfg.lend_camera_s > 0) {
				hs_run_lend_camera(c, now);
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
			if (c->live &&
			    (hs_run_stop_requested || reload_requested)) {
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
			/* Reopening may wait long (unplugged): what is
			 * watched so far is written first. */
			if (c->journal)
				hs_journal_flush(c->journal);
			hs_run_release_source(c);
			hs_monitor_restart(c->mon);
			c->next_t = -INFINITY;
			if ((rc = hs_run_open_source(c)) < 0)
				break;
			continue;
		}
		c->frames++;
		if (c->o.realtime && !c->live) {
			if (isnan(c->first_t)) {
				c->first_t = t;
				c->wall0 = now;
			}
			pace_until(c, c->wall0 + (t - c->first_t));
			if (hs_run_stop_requested)
				break;
			if (hs_pause_active(&c->pause))
				continue; /* paused meanwhile */
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
		OPT_ANNOUNCE,
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
		{ "announce", optional_argument, NULL, OPT_ANNOUNCE },
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
			o->source = optarg;
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
			/* As the line in the config file would be read:
			 * --set "sustain_s = 45 # for now". */
			o->set_keys[o->n_set] = hs_config_trim(buf);
			o->set_values[o->n_set] = hs_config_value_as_in_file(
			        buf + (eq - optarg) + 1);
			if (!o->set_values[o->n_set++]) {
				*status = hs_cli_usage_error(
				        "run",
				        "--set '%s': unmatched '\"' in value",
				        optarg);
				return -1;
			}
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
		case OPT_ANNOUNCE:
			if (!optarg) {
				o->announce = ANNOUNCE_ALL;
			} else if (strcmp(optarg, "errors") == 0) {
				o->announce = ANNOUNCE_ERRORS;
			} else {
				*status = hs_cli_usage_error(
				        "run",
				        "--announce takes no value, or "
				        "=errors, "
				        "not '%s'",
				        optarg);
				return -1;
			}
			break;
		case 'h':
			usage(stdout);
			*status = HS_EXIT_OK;
			return -1;
		default:
			*status = hs_cli_bad_option("run", argv, opts);
			return -1;
		}
	}
	if (optind < argc) {
		*status = hs_cli_usage_error("run", "unexpected argument '%s'",
		                             argv[optind]);
		return -1;
	}
	/* An empty name (a variable that was not set) names no file: it
	 * is not taken for "the default", nor tried every minute; one too
	 * long would be cut, and name another. */
	*status = hs_cli_check_paths(
	        "run", "--source", o->source, "--journal", o->journal,
	        "--calibration", o->calibration, "--config", o->config, NULL);
	return *status ? -1 : 0;
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
	if (hs_journal_file_kind(path) == HS_JOURNAL_FILE_OTHER) {
		hs_error("'%s' is not a headsup journal (nor any database); it "
		         "was left as it is: give the path of a journal, or of "
		         "a file that does not exist yet",
		         path);
		return -1;
	}
	return 0;
}

/* notify = desktop with no server is not a configuration error: the
 * server may just not be up yet (status 1, which systemd retries). */
static int make_notifier(run_ctx *c, int *status)
{
	const int rc = hs_notify_create(c->cfg.notify, &c->notify);
	if (rc < 0)
		*status = rc == HS_EINVAL ? HS_EXIT_USAGE : HS_EXIT_FAILURE;
	return rc < 0 ? -1 : 0;
}

/* --clock-start read into c->clock_start (now without it): -1 when it
 * is no time, is more than a day ahead or comes with a camera (said, a
 * usage error). */
static int check_clock_start(run_ctx *c)
{
	c->clock_start = hs_clock_wall();
	char when_why[160];
	const int when_rc =
	        c->o.clock_start
	                ? hs_datetime_parse(c->o.clock_start, &c->clock_start,
	                                    when_why, sizeof when_why)
	                : 0;
	if (when_rc == HS_ERANGE) {
		hs_cli_usage_error("run", "--clock-start '%s': %s",
		                   c->o.clock_start, when_why);
		return -1;
	}
	if (when_rc < 0) {
		hs_cli_usage_error(
		        "run",
		        "--clock-start takes an ISO 8601 time such as "
		        "2026-03-14T09:00:00, not '%s': %s",
		        c->o.clock_start, when_why);
		return -1;
	}
	/* A day ahead at most (time zones): a year typed wrong would put
	 * the replay where no day has been. */
	if (c->o.clock_start && c->clock_start > hs_clock_wall() + 86400) {
		hs_cli_usage_error("run",
		                   "--clock-start '%s' is more than a day "
		                   "ahead; a replay is journalled as a time "
		                   "that has passed",
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
	return 0;
}

/* The single-instance lock: -1, with *status, when another monitor holds
 * it (said, a usage error) or it cannot be made (a failure). */
static int take_lock(run_ctx *c, int *status)
{
	char lock_path[PATH_MAX];
	long holder = 0;
	int rc = hs_lock_default_path(lock_path, sizeof lock_path);
	if (rc < 0) {
		hs_error("cannot find a place for the single-instance lock: "
		         "%s",
		         hs_path_xdg_advice(HS_XDG_RUNTIME, rc));
		*status = HS_EXIT_FAILURE;
		return -1;
	}
	rc = hs_lock_acquire(lock_path, &c->lock, &holder);
	if (rc == HS_ELOCKED) {
		hs_error("already running (pid %ld)", holder);
		c->other_pid = holder > 0 ? holder : -1;
		*status = HS_EXIT_USAGE;
		return -1;
	}
	if (rc < 0) { /* said, with the file or folder */
		*status = HS_EXIT_FAILURE;
		return -1;
	}
	return 0;
}

/* The baseline from --calibration or the default file, and the monitor
 * made with it (or uncalibrated, when the default file is not there yet):
 * -1, with *status, when it cannot be read (said). */
static int load_baseline(run_ctx *c, int *status)
{
	char err[HS_MSG_MAX];
	int rc;
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
		if (rc == 0) {
			have_base = true;
			hs_cli_baseline_warn_old(c->cal_path, &base);
		} else if (rc != HS_ENOENT || c->o.calibration) {
			*status = hs_cli_baseline_error(rc, err);
			return -1;
		}
	}
	c->mon = malloc(sizeof *c->mon);
	if (!c->mon)
		return -1;
	hs_monitor_init(c->mon, &c->cfg, have_base ? &base : NULL);
	c->base_from_file = have_base;
	return 0;
}

/* The journal's path, from --journal or the default, refused when it can
 * never hold a journal (a folder, a pipe or device at the default path,
 * a named file that holds something else): -1, with *status, said. */
static int journal_path_usable(run_ctx *c, int *status)
{
	int rc;
	if (c->o.journal)
		snprintf(c->journal_path, sizeof c->journal_path, "%s",
		         c->o.journal);
	else if ((rc = hs_journal_default_path(c->journal_path,
	                                       sizeof c->journal_path)) < 0) {
		hs_error("cannot tell where the journal goes: %s%s",
		         hs_path_xdg_advice(HS_XDG_DATA, rc),
		         rc == HS_ERANGE ? "; use --journal F" : "");
		return -1;
	}
	if (hs_path_is_folder(c->journal_path)) {
		/* A path the user named, or the default one. */
		if (c->o.journal)
			hs_error("journal '%s' is a folder: give the path of a "
			         "file, such as '%s/journal.db'",
			         c->journal_path, c->journal_path);
		else
			hs_error("journal '%s' is a folder, where headsup "
			         "keeps its journal file: move the folder "
			         "away, or give another journal with "
			         "--journal F",
			         c->journal_path);
		*status = HS_EXIT_USAGE;
		return -1;
	}
	struct stat st;
	if (!c->o.journal && stat(c->journal_path, &st) == 0 &&
	    !S_ISREG(st.st_mode)) {
		/* A pipe, a device or a socket will not become a journal by
		 * waiting, as a folder will not.  (A link to a file not there
		 * yet, say on a disk mounted later, is waited for.) */
		hs_error("journal '%s' is %s, not a file: move it away, or "
		         "give another journal with --journal F",
		         c->journal_path,
		         S_ISFIFO(st.st_mode)   ? "a named pipe (FIFO)"
		         : S_ISSOCK(st.st_mode) ? "a socket"
		                                : "a device");
		*status = HS_EXIT_USAGE;
		return -1;
	}
	if (c->o.journal && check_named_journal(c->journal_path) < 0) {
		*status = HS_EXIT_USAGE;
		return -1;
	}
	return 0;
}

/* Everything before the loop that can fail with a usage/config error. */
static int prepare(run_ctx *c, int *status)
{
	char err[HS_MSG_MAX];
	*status = HS_EXIT_USAGE;
	if (load_settings(&c->o, &c->cfg, err, sizeof err) < 0 ||
	    hs_detector_check_model(c->cfg.model, err, sizeof err) < 0) {
		hs_error("%s", err);
		return -1;
	}
	if (check_clock_start(c) < 0)
		return -1;
	/* Checked before anything starts: without a display the window's
	 * toolkit would abort the process. */
	char why[256];
	if (c->o.preview && hs_display_check(why, sizeof why) < 0) {
		hs_error("--preview needs a graphical display: %s", why);
		*status = HS_EXIT_FAILURE;
		return -1;
	}
	if (take_lock(c, status) < 0)
		return -1;
	/* Only now: looking for the first webcam opens each video device,
	 * which a running monitor would take for a video call starting. */
	hs_source_name(c->cfg.source, c->source_label, sizeof c->source_label);
	*status = HS_EXIT_FAILURE;
	if (load_baseline(c, status) < 0)
		return -1;

	hs_source_opts_default(&c->so);
	c->so.width = (int)c->cfg.camera_width;
	c->so.height = (int)c->cfg.camera_height;
	c->so.camera_fps = c->cfg.camera_fps;
	char ctl_path[PATH_MAX];
	int rc;
	if (hs_control_default_path(ctl_path, sizeof ctl_path) == 0 &&
	    (rc = hs_control_create(ctl_path, &c->control)) < 0)
		hs_warn("control socket '%s' unavailable (%s): 'headsup pause' "
		        "will not reach this monitor",
		        ctl_path, hs_strerror(rc));
	if (journal_path_usable(c, status) < 0)
		return -1;
	/* A camera's notifier is made before the camera is opened:
	 * --announce may have to say that it waits for it.  A file is
	 * opened first: one that cannot be read is the error to say, not
	 * a warning that no notification server answers. */
	const bool camera = hs_source_pick(c->cfg.source) == &hs_source_camera;
	if (camera && make_notifier(c, status) < 0)
		return -1;
	if ((rc = hs_run_open_source(c)) < 0) {
		/* Stopped while waiting for the camera: a clean stop. */
		if (rc == HS_EINTERRUPTED)
			*status = HS_EXIT_OK;
		return -1;
	}
	if (!camera && make_notifier(c, status) < 0)
		return -1;
	hs_cv_set_threads(1);
	if (hs_analyzer_create(c->cfg.model, c->cfg.fov_deg, &c->az) < 0)
		return -1;
	hs_advice_check_page("reminders link");
	if ((rc = hs_image_create(&c->img)) < 0) {
		hs_error("cannot make a frame buffer: %s", hs_strerror(rc));
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
		int rc = hs_journal_end_session(c->journal,
		                                wall_at(c, last_t(c)));
		const double until = hs_clock_steady() + END_LOCK_WAIT_S;
		if (rc == HS_ELOCKED && !hs_run_stop_requested)
			hs_info("journal '%s' is locked by another program; "
			        "waiting up to %.0f s to write what was "
			        "watched",
			        c->journal_path, END_LOCK_WAIT_S);
		while (rc == HS_ELOCKED && !hs_run_stop_requested &&
		       hs_clock_steady() < until) {
			hs_control_wait(c->control, 0.5);
			hs_run_answer_while_stopping(c);
			if (!hs_run_stop_requested)
				rc = hs_journal_flush(c->journal);
		}
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
	/* Its buttons would reach nobody. */
	hs_run_withdraw_alerts(c, "headsup stops");
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
	c.data_before = NAN;      /* the journal not read yet */
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
		announce_started(&c);
		int rc = loop(&c);
		status = rc < 0 ? HS_EXIT_FAILURE : HS_EXIT_OK;
		hs_info("stopped at %.1f s of '%s' after %ld frames (%ld "
		        "analysed)",
		        isnan(c.last_analysed_t) ? 0.0 : c.last_analysed_t,
		        source_name(&c), c.frames, c.analysed);
	} else if (status != HS_EXIT_OK) {
		announce_failed(&c, status);
	}
	/* Monitoring the journal lost is a failure, even of a clean stop. */
	if (!finish(&c) && status == HS_EXIT_OK)
		status = HS_EXIT_FAILURE;
	return status;
}
