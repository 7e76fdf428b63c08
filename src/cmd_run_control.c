/* cmd_run_control.c - `headsup run`: the requests of other commands.
 *
 * `headsup pause`, `resume`, `status` and `calibrate` reach the running
 * monitor through the control socket (control.c); this file carries the
 * requests out and words the replies.
 */
#include "cmd_run.h"

#include "headsup/err.h"
#include "headsup/log.h"
#include "headsup/report.h"
#include "headsup/timeparse.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

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
	/* Nothing is watched meanwhile: an alert's "Snooze" would reach a
	 * monitor that is not looking, and a pause ends the stretch. */
	hs_run_withdraw_alerts(c,
	                       calibrate ? "paused for calibrate" : "paused");
	if (was_paused)
		return true;
	if (c->live)
		hs_run_release_source(c);
	if (c->journal)
		hs_journal_flush(c->journal);
	return false;
}

/* Watch again after a pause; the main loop takes the camera back (see
 * hs_run_open_source()), so that the reply to `headsup resume` never waits for
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
bool hs_run_still_paused(run_ctx *c, double now)
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
 * 10 minutes just begun has 10 minutes left, not 9); seconds under two
 * minutes, where a whole minute more would be most of it. */
static void format_left(double seconds, char *buf, size_t size)
{
	double left = ceil(fmax(seconds, 0));
	if (left < 120)
		hs_duration_format_exact(left, buf, size);
	else
		hs_duration_format(ceil(left / 60) * 60, buf, size);
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
		/* HH:MM rounded up, as the time left is: a pause to
		 * 20:52:25 is not over at 20:52 */
		const double end = ceil((hs_clock_wall() + left) / 60) * 60;
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
	} else if (c->opening && !c->cfg.source[0] && c->open_rc == HS_ENOENT &&
	           !isfinite(c->lent_until)) {
		/* The first webcam, and there is none: no device to name. */
		n = snprintf(reply, size,
		             "running: waiting for a webcam to be plugged in");
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
		/* `headsup cameras` reads the camera's name from these
		 * words: made by control.c, which reads them back. */
		n = hs_control_status_watching(
		        reply, size, hs_source_kind(c->src), source_name(c));
		if (n > 0 && (size_t)n < size)
			n += snprintf(reply + n, size - (size_t)n,
			              ", posture %s",
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
	char err[HS_MSG_MAX];
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
		} else if (hs_pause_release_user(&c->pause, now) ==
		           HS_PAUSE_HELD_BY_CALIBRATE) {
			/* The camera is the recording's until it is done. */
			snprintf(reply, sizeof reply,
			         "paused while 'headsup calibrate' records; it "
			         "watches again when that is done");
			break;
		}
		snprintf(reply, sizeof reply, "resumed");
		hs_info("resumed");
		resume_monitor(c);
		break;
	case HS_CONTROL_RELOAD:
		reload_baseline(c, req.path, reply, sizeof reply);
		break;
	case HS_CONTROL_STOP:
		/* As SIGTERM: the loop ends, the journal is written and
		 * the camera released; `headsup stop` waits for that. */
		hs_info("stopping, as 'headsup stop' asked");
		hs_run_stop_requested = 1;
		snprintf(reply, sizeof reply, "stopping");
		break;
	case HS_CONTROL_STATUS:
	default:
		status_reply(c, now, reply, sizeof reply);
		break;
	}
	hs_control_reply(c->control, reply);
}

/* While the monitor waits at its end for a journal another program holds
 * locked (finish() in cmd_run.c): `headsup stop` ends the wait, and the
 * other requests hear that it is stopping. */
void hs_run_answer_while_stopping(run_ctx *c)
{
	hs_control_request req;
	for (int i = 0; i < HS_CONTROL_CLIENTS && c->control &&
	                hs_control_poll(c->control, &req) == 1;
	     i++) {
		if (req.cmd == HS_CONTROL_STOP) {
			hs_info("stopping, as 'headsup stop' asked");
			hs_run_stop_requested = 1;
		}
		hs_control_reply(c->control,
		                 req.cmd == HS_CONTROL_STOP ? "stopping"
		                 : req.cmd == HS_CONTROL_STATUS
		                         ? "stopping: waiting to write the "
		                           "journal, which another program "
		                           "holds locked"
		                         : "error: headsup is stopping");
	}
}

/* Answer the requests waiting on the control socket: all of them, since
 * while paused the loop comes here only once a second, or when one
 * arrives (hs_control_wait()). */
void hs_run_handle_control(run_ctx *c, double now)
{
	hs_control_request req;
	for (int i = 0; i < HS_CONTROL_CLIENTS && c->control &&
	                hs_control_poll(c->control, &req) == 1;
	     i++)
		answer_request(c, now, &req);
}
