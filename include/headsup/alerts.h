/* alerts.h - when a bad posture deserves an alert.
 *
 * Pure policy: feed it the smoothed state of every analysed frame with the
 * frame's time (seconds, any monotonic scale); it says when to warn.
 *
 *   - Bad posture (looking_down, hunched, or the two in turn) must last
 *     sustain_s before its alert; the alert fires on the first update at
 *     or after that point.  One stretch runs across both kinds, so a
 *     person who hunches, reads their notes, and hunches again is warned
 *     as one who only hunched would be.
 *   - The alert names the kind that took most of the stretch's time since
 *     its start, or since its previous alert (on a tie, the kind of the
 *     update at hand); lasted_s is the whole stretch.
 *   - No second alert of the same kind within cooldown_s of the last one.
 *     A bad stretch that simply continues alerts again once both cooldown_s
 *     and sustain_s have passed since its previous alert, whatever kind
 *     either names.
 *   - upright and uncalibrated end the running bad stretch at once.  But
 *     a stretch that starts less than sustain_s after the last one's last
 *     bad update (upright for a moment, then slumped again) is the same
 *     slump as far as alerts go: it waits out the cooldown of the last
 *     one's last alert, whichever kind either is, as one stretch would.
 *     (A hunch, three seconds upright, then a long look down gave two
 *     alerts 38 s apart.)
 *   - away never alerts.  A short away (a missed face, a glance at a phone)
 *     does not end a long hunch: a stretch survives gaps of up to grace_s
 *     without its state, whether the frames in between said away or did
 *     not come at all.  The away time counts in lasted_s.  A longer gap
 *     ends the stretch.
 *   - Once the slump an alert warned of is over, the update that finds
 *     it so says so (the field alert_stale), once: its reminder can be
 *     taken back.  Over is as above: no bad state for sustain_s since the
 *     last bad update (sitting up for a moment, then slumping again,
 *     leaves the reminder where it is, as the slump still waits out its
 *     cooldown).  A pause ends it too, but its caller knows that
 *     already.
 *   - Snooze and pause: no alert at all until their end.  A stretch that
 *     runs through a snooze alerts at the snooze's end if it is still due;
 *     a pause (camera off) also forgets the running stretch.
 *   - An update whose time is earlier than the previous one, or not
 *     finite, is ignored.
 */
#ifndef HEADSUP_ALERTS_H
#define HEADSUP_ALERTS_H

#include <stdbool.h>

#include "headsup/posture.h"

/* Default grace: a glance away.  The monitor widens it to two analysis
 * periods at slow rates (20 s at the slowest, 0.1 Hz). */
#define HS_ALERTS_GRACE_S 10.0

typedef struct hs_alert {
	hs_state kind;   /* HS_STATE_LOOKING_DOWN or HS_STATE_HUNCHED */
	double lasted_s; /* how long the bad stretch has lasted so far */
} hs_alert;

typedef struct hs_alerts {
	double sustain_s, cooldown_s, grace_s;
	/* the running bad stretch, when in_stretch */
	bool in_stretch;
	double since;         /* start of the stretch */
	double last_seen;     /* last update that reported a bad state */
	double next_due;      /* earliest time of its next alert */
	double stretch_alert; /* its last alert; -INFINITY when none */
	/* per kind: seconds of the stretch since its start or last alert */
	double share[HS_STATE_COUNT];
	/* per kind: time of its last alert, when any */
	bool alerted[HS_STATE_COUNT];
	double last_alert[HS_STATE_COUNT];
	double snooze_until; /* end of a snooze ("Snooze 30 min") */
	double pause_until;  /* end of a pause (`headsup pause`) */
	bool has_t;
	double last_t;
	hs_state last_state; /* the state given at last_t */
	bool alert_shown;    /* an alert whose slump is not over yet */
	/* Set by each update: the slump of the last alert is over, so its
	 * reminder is stale (told once). */
	bool alert_stale;
} hs_alerts;

void hs_alerts_init(hs_alerts *a, double sustain_s, double cooldown_s);
/* Change the grace (default HS_ALERTS_GRACE_S); negative counts as 0. */
void hs_alerts_set_grace(hs_alerts *a, double grace_s);

/* Feed the state at time t.  Returns true when an alert must fire now,
 * with out filled in; out is untouched otherwise. */
bool hs_alerts_update(hs_alerts *a, double t, hs_state state, hs_alert *out);

/* An alert of kind sent at time t by an earlier run (on this clock, so t
 * may be before any update): its cooldown runs on as if sent here, so a
 * restart of the monitor does not repeat it.  The latest one counts. */
void hs_alerts_note_sent(hs_alerts *a, hs_state kind, double t);
/* Silence alerts until t + duration_s ("Snooze 30 min").  A later snooze
 * can extend the quiet time, never shorten it; a pause and its resume
 * leave it running to its end. */
void hs_alerts_snooze(hs_alerts *a, double t, double duration_s);
/* Silence alerts for a pause, and forget the running stretch: nothing is
 * watched while paused, so nothing that came before counts after. */
void hs_alerts_pause(hs_alerts *a, double t, double duration_s);
/* End a pause now.  A snooze chosen before it goes on to its own end. */
void hs_alerts_resume(hs_alerts *a);
/* True while snoozed or paused at time t. */
bool hs_alerts_quiet(const hs_alerts *a, double t);
/* True while snoozed at time t (then *left_s: the seconds left). */
bool hs_alerts_snoozed(const hs_alerts *a, double t, double *left_s);

#endif
