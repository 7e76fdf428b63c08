/* cmd_run_camera.c - `headsup run`: the source, and the camera lent.
 *
 * Opens the camera or file (waiting for a camera that is missing or busy,
 * while still answering the control socket), and lets another program
 * that opens the camera, most likely a video call, have it until that
 * program is done with it.
 */
#include "cmd_run.h"

#include "headsup/err.h"
#include "headsup/log.h"
#include "headsup/notify.h"
#include "headsup/timeparse.h"

#include <ctype.h>
#include <stdio.h>

#define RETRY_MIN_S 1.0
#define RETRY_MAX_S 30.0
#define LEND_CHECK_S 30.0 /* is a lent camera free yet, without a close? */

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

/* --announce: the monitor was started (from the menu) and cannot open the
 * camera yet.  Once, at the start only: later the camera was there, and
 * the user saw it watched. */
static void tell_waiting(run_ctx *c, const char *why)
{
	if (c->o.announce != ANNOUNCE_ALL || c->wait_told || c->frames > 0 ||
	    !c->notify)
		return;
	char body[HS_MSG_MAX + 200];
	snprintf(body, sizeof body,
	         "%s. It starts watching your posture as soon as the camera "
	         "can be opened. To end it: headsup stop.",
	         why);
	body[0] = (char)toupper((unsigned char)body[0]);
	hs_notify_notice(c->notify, "headsup is waiting for the camera", body);
	c->wait_told = true;
}

/* Open the source.  A camera that is missing or busy is retried with a
 * growing delay until it comes back (or the user stops us); a file that
 * cannot be read is an error.  While it waits, `headsup status`, `pause`
 * and `resume` are answered as usual, and a pause holds the retries. */
int hs_run_open_source(run_ctx *c)
{
	char err[HS_MSG_MAX];
	double delay = RETRY_MIN_S;
	int told = 0; /* the failure last said, so that a new one is said */
	int rc = HS_EINTERRUPTED;
	c->opening = true;
	c->open_rc = 0;
	while (!hs_run_stop_requested) {
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
			c->open_rc = rc;
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
				tell_waiting(c, err);
			}
			rc = HS_EINTERRUPTED;
		}
		/* Until the next try, or the end of a pause, waking only for
		 * a request on the control socket or a signal. */
		const double retry_at = hs_clock_steady() + delay;
		double now;
		while (!hs_run_stop_requested &&
		       ((now = hs_clock_steady()) < retry_at ||
		        hs_pause_active(&c->pause))) {
			const double until = hs_pause_active(&c->pause)
			                             ? hs_pause_end(&c->pause)
			                             : retry_at;
			hs_control_wait(c->control, until - now);
			now = hs_clock_steady();
			const bool was_paused = hs_pause_active(&c->pause);
			hs_run_reload_if_asked(c);
			hs_run_handle_control(c, now);
			if (!hs_run_still_paused(c, now) && was_paused)
				break; /* resumed: try the camera at once */
		}
		delay = fmin(delay * 2, RETRY_MAX_S);
	}
	c->opening = false;
	return rc;
}

void hs_run_release_source(run_ctx *c)
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
void hs_run_lend_camera(run_ctx *c, double now)
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
	hs_run_release_source(c);
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
 * the camera answer "busy", and hs_run_open_source() waits for it. */
bool hs_run_lent_camera_free(run_ctx *c, double now)
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
