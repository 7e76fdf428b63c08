/* pause.h - whether the monitor is paused, and until when.
 *
 * Two kinds of pause overlap: the user's (`headsup pause [DURATION]`, for
 * a time or until `headsup resume`) and the holds of `headsup calibrate`
 * runs, which keep the monitor paused while they record, alongside any
 * pause of the user's and never changing it.  Pure bookkeeping: times are
 * seconds on the caller's steady clock, passed in.
 */
#ifndef HEADSUP_PAUSE_H
#define HEADSUP_PAUSE_H

#include <stdbool.h>

typedef struct hs_pause {
	double user_until;  /* INFINITY: until resumed; -INFINITY: none */
	double calib_until; /* when the last calibrate hold runs out */
	int calib_holds;    /* calibrate runs holding the monitor paused */
} hs_pause;

/* Not paused. */
void hs_pause_init(hs_pause *p);
/* When the pause ends: INFINITY at `headsup resume`, -INFINITY when not
 * paused. */
double hs_pause_end(const hs_pause *p);
bool hs_pause_active(const hs_pause *p);
/* Paused by calibrate runs alone (no pause of the user's running at
 * now). */
bool hs_pause_calibrating_only(const hs_pause *p, double now);
/* Pause for seconds from now (0 or less: until resumed), as the user
 * asked, replacing the user's earlier pause, or as a calibrate run asked,
 * adding one hold.  Whether it was paused already. */
bool hs_pause_start(hs_pause *p, double now, double seconds, bool calibrate);

typedef enum hs_pause_hold {
	HS_PAUSE_RESUMED,          /* nothing holds it paused any more */
	HS_PAUSE_HELD_BY_USER,     /* the user's pause runs on */
	HS_PAUSE_HELD_BY_CALIBRATE /* another calibrate run holds it */
} hs_pause_hold;

/* A calibrate run says it is done: its hold ends.  What still holds the
 * monitor paused at now, if anything; the caller resumes on
 * HS_PAUSE_RESUMED (and then calls hs_pause_init()). */
hs_pause_hold hs_pause_release_calibrate(hs_pause *p, double now);
/* `headsup resume`: the user's pause ends.  A calibrate run that records
 * still holds the monitor paused (HS_PAUSE_HELD_BY_CALIBRATE: the camera
 * is the recording's until it says it is done); otherwise the caller
 * resumes, as above. */
hs_pause_hold hs_pause_release_user(hs_pause *p, double now);
/* End the pauses due by now, including the hold of a calibrate run that
 * never said it was done.  True when that ended the whole pause. */
bool hs_pause_expire(hs_pause *p, double now);

#endif
