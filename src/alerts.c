/* alerts.c - alert policy; the rules are in alerts.h. */
#include "headsup/alerts.h"

#include <math.h>

static double non_negative(double v)
{
	return (v > 0 && !isnan(v)) ? v : 0;
}

void hs_alerts_init(hs_alerts *a, double sustain_s, double cooldown_s)
{
	*a = (hs_alerts){
		.sustain_s = non_negative(sustain_s),
		.cooldown_s = non_negative(cooldown_s),
		.grace_s = HS_ALERTS_GRACE_S,
		.snooze_until = -INFINITY,
		.pause_until = -INFINITY,
		.last_state = HS_STATE_UNCALIBRATED,
		.stretch_alert = -INFINITY,
		.last_seen = -INFINITY,
	};
}

void hs_alerts_set_grace(hs_alerts *a, double grace_s)
{
	a->grace_s = non_negative(grace_s);
}

static void clear_shares(hs_alerts *a)
{
	for (int k = 0; k < HS_STATE_COUNT; k++)
		a->share[k] = 0;
}

static bool cooled_down(const hs_alerts *a, hs_state kind, double t)
{
	return !a->alerted[kind] || t - a->last_alert[kind] >= a->cooldown_s;
}

/* The kind that had most of the stretch's time since its start or last
 * alert; now on a tie. */
static hs_state major_kind(const hs_alerts *a, hs_state now)
{
	double down = a->share[HS_STATE_LOOKING_DOWN];
	double hunched = a->share[HS_STATE_HUNCHED];
	if (down > hunched)
		return HS_STATE_LOOKING_DOWN;
	if (hunched > down)
		return HS_STATE_HUNCHED;
	return now;
}

bool hs_alerts_update(hs_alerts *a, double t, hs_state state, hs_alert *out)
{
	a->alert_stale = false;
	if (!isfinite(t) || (a->has_t && t < a->last_t))
		return false;
	/* The time since the previous update goes to the state it gave. */
	if (a->has_t && hs_state_is_bad(a->last_state))
		a->share[a->last_state] += t - a->last_t;
	a->has_t = true;
	a->last_t = t;
	a->last_state = state;

	bool grace_over = a->in_stretch && t - a->last_seen > a->grace_s;
	if (!hs_state_is_bad(state)) {
		/* upright, uncalibrated and anything unknown end the
		 * stretch; away only once the grace is over. */
		if (state != HS_STATE_AWAY || grace_over)
			a->in_stretch = false;
		/* Out of it for sustain_s: the slump is over, not a moment
		 * upright within it. */
		if (a->alert_shown && !(t - a->last_seen < a->sustain_s)) {
			a->alert_shown = false;
			a->alert_stale = true;
		}
		return false;
	}

	if (!a->in_stretch || grace_over) {
		/* Slumped again a moment after the last stretch: its last
		 * alert still covers this one. */
		if (!(t - a->last_seen < a->sustain_s)) {
			a->stretch_alert = -INFINITY;
			/* a new slump, after no update at all for a while */
			a->alert_stale = a->alert_shown;
			a->alert_shown = false;
		}
		a->in_stretch = true;
		a->since = t;
		a->next_due = t + a->sustain_s;
		clear_shares(a);
	}
	a->last_seen = t;

	if (t < a->next_due || hs_alerts_quiet(a, t) ||
	    t - a->stretch_alert < a->cooldown_s)
		return false;
	hs_state kind = major_kind(a, state);
	if (!cooled_down(a, kind, t))
		return false;
	a->alerted[kind] = true;
	a->last_alert[kind] = t;
	a->stretch_alert = t;
	a->alert_shown = true;
	a->next_due = t + a->sustain_s;
	clear_shares(a);
	out->kind = kind;
	out->lasted_s = t - a->since;
	return true;
}

void hs_alerts_note_sent(hs_alerts *a, hs_state kind, double t)
{
	if (!hs_state_is_bad(kind) || !isfinite(t))
		return;
	if (!a->alerted[kind] || t > a->last_alert[kind])
		a->last_alert[kind] = t;
	a->alerted[kind] = true;
}

/* *until = t + duration_s, unless that is earlier than it already is. */
static void extend(double *until, double t, double duration_s)
{
	if (isnan(t) || isnan(duration_s))
		return;
	double end = t + non_negative(duration_s);
	if (end > *until)
		*until = end;
}

void hs_alerts_snooze(hs_alerts *a, double t, double duration_s)
{
	extend(&a->snooze_until, t, duration_s);
}

void hs_alerts_pause(hs_alerts *a, double t, double duration_s)
{
	extend(&a->pause_until, t, duration_s);
	a->in_stretch = false;
	a->last_seen = -INFINITY; /* the next stretch carries nothing */
	a->alert_shown = false;   /* the caller takes its reminder back */
}

void hs_alerts_resume(hs_alerts *a)
{
	a->pause_until = -INFINITY;
}

bool hs_alerts_quiet(const hs_alerts *a, double t)
{
	return t < a->snooze_until || t < a->pause_until;
}

bool hs_alerts_snoozed(const hs_alerts *a, double t, double *left_s)
{
	if (!(t < a->snooze_until))
		return false;
	if (left_s)
		*left_s = a->snooze_until - t;
	return true;
}
