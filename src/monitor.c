/* monitor.c - smoothing, posture state, alerts and self-calibration. */
#include "headsup/monitor.h"

#include <math.h>
#include <string.h>

/* A face is steady enough to calibrate on when its eye midpoint stays
 * within this many eye-distances of the run's first sample. */
#define SELFCAL_STEADY_IOD 0.25

static void set_thresholds(hs_monitor *m, const hs_config *cfg)
{
	hs_posture_thresholds th;
	hs_posture_thresholds_from_config(cfg, &th);
	hs_state keep = m->classifier.state;
	hs_posture_classifier_init(&m->classifier, &th);
	m->classifier.state = keep;
}

/* The gap a bad stretch survives: a glance away, and at slow rates two
 * analysis periods, as a camera's frames come a little early or late (at
 * 0.1 Hz the frames were 10 s +- a camera frame apart, and a stretch of
 * 10.02 s gaps never reached its alert). */
static double grace_for(const hs_config *cfg)
{
	return fmax(HS_ALERTS_GRACE_S,
	            cfg->rate_hz > 0 ? 2.0 / cfg->rate_hz : 0);
}

void hs_monitor_init(hs_monitor *m, const hs_config *cfg,
                     const hs_baseline *base)
{
	memset(m, 0, sizeof *m);
	if (base) {
		m->base = *base;
		m->calibrated = true;
	}
	hs_smoother_init(&m->smoother, cfg->smooth_s);
	hs_posture_thresholds th;
	hs_posture_thresholds_from_config(cfg, &th);
	hs_posture_classifier_init(&m->classifier, &th);
	hs_alerts_init(&m->alerts, cfg->sustain_s, cfg->cooldown_s);
	hs_alerts_set_grace(&m->alerts, grace_for(cfg));
	m->state = m->calibrated ? HS_STATE_AWAY : HS_STATE_UNCALIBRATED;
	m->dark_since = NAN;
	m->selfcal_turned_since = NAN;
	m->self_made_t = NAN;
}

void hs_monitor_reconfigure(hs_monitor *m, const hs_config *cfg)
{
	set_thresholds(m, cfg);
	m->smoother.window_s = cfg->smooth_s;
	/* A running bad stretch is due at its start (or last alert) plus
	 * sustain_s: move that by the change, so a shorter sustain counts the
	 * time already spent. */
	m->alerts.next_due += cfg->sustain_s - m->alerts.sustain_s;
	m->alerts.sustain_s = cfg->sustain_s;
	m->alerts.cooldown_s = cfg->cooldown_s;
	hs_alerts_set_grace(&m->alerts, grace_for(cfg));
}

void hs_monitor_restart(hs_monitor *m)
{
	hs_smoother_reset(&m->smoother);
	m->selfcal_n = 0;
	m->selfcal_turned_since = NAN;
	m->dark_since = NAN;
	m->dark = false;
}

void hs_monitor_set_baseline(hs_monitor *m, const hs_baseline *base)
{
	m->base = *base;
	m->calibrated = true;
	m->self_made_t = NAN; /* the user's own: kept as it is */
	hs_monitor_restart(m);
	m->classifier.state = HS_STATE_UNCALIBRATED;
}

typedef enum selfcal_fit {
	SELFCAL_FITS,   /* one more sample of the run */
	SELFCAL_UNUSED, /* no face, or no eyes: the run starts again */
	SELFCAL_TURNED, /* the head turned past HS_CALIB_MAX_YAW_DEG */
	SELFCAL_OTHER,  /* elsewhere than the run, or another frame size */
} selfcal_fit;

/* Is this sample usable for self-calibration and close to the run so
 * far? */
static selfcal_fit fit_with_run(const hs_monitor *m, const hs_analysis *an)
{
	const hs_face *f = &an->face;
	if (!f->found || (f->kp_valid & HS_KP_EYES) != HS_KP_EYES)
		return SELFCAL_UNUSED;
	if (an->has_pose && an->pose.has_pitch &&
	    fabs(an->pose.yaw_deg) > HS_CALIB_MAX_YAW_DEG)
		return SELFCAL_TURNED;
	if (m->selfcal_n == 0)
		return SELFCAL_FITS;
	/* pixels of two frame sizes do not pool */
	if (an->frame_w != m->selfcal_w || an->frame_h != m->selfcal_h)
		return SELFCAL_OTHER;
	const hs_face *first = &m->selfcal[0].face;
	double x0 = (first->kp[0].x + first->kp[1].x) / 2,
	       y0 = (first->kp[0].y + first->kp[1].y) / 2;
	double x = (f->kp[0].x + f->kp[1].x) / 2,
	       y = (f->kp[0].y + f->kp[1].y) / 2;
	double iod = hypot(first->kp[1].x - first->kp[0].x,
	                   first->kp[1].y - first->kp[0].y);
	return iod > 0 && hypot(x - x0, y - y0) <= SELFCAL_STEADY_IOD * iod
	               ? SELFCAL_FITS
	               : SELFCAL_OTHER;
}

/* A head turned for HS_MONITOR_SELFCAL_S gives no sample at all: say so
 * then (and every HS_MONITOR_SELFCAL_S after), as a refusal would, or a
 * camera beside the screen would leave the monitor uncalibrated without
 * a word. */
static void note_turned(hs_monitor *m, double t, const hs_analysis *an,
                        hs_monitor_step *out)
{
	if (isnan(m->selfcal_turned_since))
		m->selfcal_turned_since = t;
	if (t - m->selfcal_turned_since < HS_MONITOR_SELFCAL_S)
		return;
	hs_calibration_say_turned(an->pose.yaw_deg, m->selfcal_why,
	                          sizeof m->selfcal_why);
	out->self_cal_refused = true;
	m->selfcal_turned_since = t;
}

/* One more sample of the run (the caller has made room). */
static void add_sample(hs_monitor *m, double t, const hs_analysis *an)
{
	if (m->selfcal_n == 0) {
		m->selfcal_w = an->frame_w;
		m->selfcal_h = an->frame_h;
	}
	m->selfcal[m->selfcal_n].face = an->face;
	m->selfcal[m->selfcal_n].pose = an->pose;
	m->selfcal[m->selfcal_n].has_pose = an->has_pose;
	m->selfcal_t[m->selfcal_n] = t;
	m->selfcal_n++;
}

/* Gather one more steady frame; once there are HS_MONITOR_SELFCAL_S of
 * them, calibrate from them (self_calibrated) or say why not
 * (self_cal_refused, m->selfcal_why). */
static void try_self_calibration(hs_monitor *m, double t, const hs_analysis *an,
                                 hs_monitor_step *out)
{
	selfcal_fit fit = fit_with_run(m, an);
	if (fit == SELFCAL_TURNED)
		note_turned(m, t, an, out);
	else
		m->selfcal_turned_since = NAN;
	if (fit == SELFCAL_OTHER || m->selfcal_n == HS_MONITOR_SELFCAL_MAX) {
		m->selfcal_n = 0; /* a new run, from this sample */
		fit = fit_with_run(m, an);
	}
	if (fit != SELFCAL_FITS) {
		m->selfcal_n = 0;
		return;
	}
	add_sample(m, t, an);
	/* HS_MONITOR_SELFCAL_S of them, and enough for the steadiness check
	 * (at a slow rate, 5 s held two frames, and no check). */
	if (t - m->selfcal_t[0] < HS_MONITOR_SELFCAL_S ||
	    m->selfcal_n < HS_CALIB_SPREAD_MIN_FRAMES)
		return;
	hs_baseline b;
	if (hs_calibration_from_samples(m->selfcal, m->selfcal_n, an->frame_w,
	                                an->frame_h, &b, m->selfcal_why,
	                                sizeof m->selfcal_why) < 0) {
		m->selfcal_n = 0;
		out->self_cal_refused = true;
		return;
	}
	m->base = b;
	m->calibrated = true;
	m->selfcal_n = 0;
	m->self_made_t = t;
	m->revisit_face_s = m->revisit_higher_s = 0;
	m->revisit_last_t = NAN;
	out->self_calibrated = true;
}

/* Is the posture f (against a baseline the monitor made itself) a more
 * upright one than the baseline's: the eyes higher by a hunch's worth or
 * more, but not by so much that the user stood up, the head about as far
 * from the camera and not tipped up or down? */
static bool sits_higher(const hs_features *f)
{
	return f->drop_iod <= -HS_MONITOR_HIGHER_IOD &&
	       f->drop_iod >= -HS_MONITOR_HIGHER_MAX_IOD &&
	       f->lean_ratio >= 0.85 && f->lean_ratio <= 1.15 &&
	       (!f->has_pitch || fabs(f->pitch_delta_deg) <= 10.0);
}

/* A baseline the monitor made itself may be a slouch: the first steady
 * seconds of a day can be a lean towards the log-in prompt, and against
 * such a baseline no hunch is ever seen.  So, once, within
 * HS_MONITOR_REVISIT_S of making it, it gives way to a higher posture
 * (sits_higher()) held steady for HS_MONITOR_REVISIT_HOLD_S, when that is
 * where the user mostly sits: HS_MONITOR_REVISIT_SHARE of at least
 * HS_MONITOR_REVISIT_MIN_S with a face since.  Sitting up tall for a
 * moment (a video call) is not where one mostly sits, and must not make
 * the usual posture read hunched for the rest of the day. */
static void revisit_self_calibration(hs_monitor *m, double t,
                                     const hs_analysis *an,
                                     const hs_features *f, hs_monitor_step *out)
{
	if (isnan(m->self_made_t) || t - m->self_made_t > HS_MONITOR_REVISIT_S)
		return;
	const bool higher = f && sits_higher(f);
	if (f) {
		/* a gap (nobody there, frames that failed) counts little */
		const double dt = isnan(m->revisit_last_t)
		                          ? 0
		                          : fmin(t - m->revisit_last_t, 20.0);
		m->revisit_face_s += dt;
		if (higher)
			m->revisit_higher_s += dt;
		m->revisit_last_t = t;
	}
	selfcal_fit fit = higher ? fit_with_run(m, an) : SELFCAL_UNUSED;
	if (fit == SELFCAL_OTHER) {
		m->selfcal_n = 0; /* a new run, from this sample */
		fit = fit_with_run(m, an);
	}
	if (fit != SELFCAL_FITS) {
		m->selfcal_n = 0;
		return;
	}
	if (m->selfcal_n < HS_MONITOR_SELFCAL_MAX) /* else: enough samples */
		add_sample(m, t, an);
	if (t - m->selfcal_t[0] < HS_MONITOR_REVISIT_HOLD_S ||
	    m->revisit_face_s < HS_MONITOR_REVISIT_MIN_S ||
	    m->revisit_higher_s < HS_MONITOR_REVISIT_SHARE * m->revisit_face_s)
		return;
	hs_baseline b;
	char why[sizeof m->selfcal_why];
	const int rc = hs_calibration_from_samples(m->selfcal, m->selfcal_n,
	                                           an->frame_w, an->frame_h, &b,
	                                           why, sizeof why);
	m->selfcal_n = 0;
	if (rc < 0)
		return;
	out->self_recalibrated = true;
	out->higher_by_iod = -f->drop_iod;
	m->base = b;
	m->self_made_t = NAN; /* once */
	hs_smoother_reset(&m->smoother);
}

/* A baseline from frames of another size: scale it, or, when the shape
 * differs too, forget it and calibrate again. */
static void fit_baseline(hs_monitor *m, const hs_analysis *an,
                         hs_monitor_step *out)
{
	if (an->frame_w <= 0 || an->frame_h <= 0)
		return; /* the frame could not be read */
	const int w = m->base.frame_w, h = m->base.frame_h;
	int rc = hs_baseline_fit_frame(&m->base, an->frame_w, an->frame_h);
	if (rc == 0)
		return;
	out->baseline_from_w = w;
	out->baseline_from_h = h;
	if (rc > 0) {
		out->baseline_rescaled = true;
		return;
	}
	out->baseline_dropped = true;
	m->calibrated = false;
	hs_monitor_restart(m);
	m->classifier.state = HS_STATE_UNCALIBRATED;
}

/* Has the camera seen only darkness for HS_MONITOR_DARK_S? */
static bool update_dark(hs_monitor *m, double t, const hs_analysis *an)
{
	const bool was = m->dark;
	if (!an->face.found && isnan(an->luma))
		return false; /* not measured: no news either way */
	if (!an->face.found && an->luma < HS_MONITOR_DARK_LUMA) {
		if (isnan(m->dark_since))
			m->dark_since = t;
		m->dark = m->dark || t - m->dark_since >= HS_MONITOR_DARK_S;
	} else {
		m->dark_since = NAN;
		m->dark = false;
	}
	return m->dark != was;
}

void hs_monitor_step_frame(hs_monitor *m, double t, const hs_analysis *an,
                           hs_monitor_step *out)
{
	memset(out, 0, sizeof *out);
	if (m->calibrated)
		fit_baseline(m, an, out);
	if (!m->calibrated)
		try_self_calibration(m, t, an, out);

	const hs_features *sample = NULL;
	if (m->calibrated && an->face.found &&
	    hs_posture_features(&m->base, &an->face,
	                        an->has_pose ? &an->pose : NULL,
	                        &out->f) == 0) {
		out->has_features = true;
		sample = &out->f;
	}
	if (m->calibrated && !out->self_calibrated) {
		revisit_self_calibration(m, t, an, sample, out);
		/* this frame against the new baseline */
		if (out->self_recalibrated && sample &&
		    hs_posture_features(&m->base, &an->face,
		                        an->has_pose ? &an->pose : NULL,
		                        &out->f) != 0) {
			sample = NULL;
			out->has_features = false;
		}
	}
	hs_state next = HS_STATE_UNCALIBRATED;
	if (m->calibrated) {
		hs_smoother_push(&m->smoother, t, sample);
		hs_features smoothed;
		switch (hs_smoother_get(&m->smoother, &smoothed)) {
		case HS_SMOOTHED_FACE:
			next = hs_posture_classifier_update(&m->classifier,
			                                    true, &smoothed);
			break;
		case HS_SMOOTHED_AWAY:
		case HS_SMOOTHED_EMPTY:
			next = hs_posture_classifier_update(&m->classifier,
			                                    true, NULL);
			break;
		}
	}
	out->changed = next != m->state;
	m->state = next;
	out->state = next;
	out->alert = hs_alerts_update(&m->alerts, t, next, &out->alert_info);
	out->alert_over = m->alerts.alert_stale;
	out->dark_changed = update_dark(m, t, an);
}

bool hs_monitor_frame_due(double *next_t, double t, double rate_hz)
{
	const double period = 1.0 / rate_hz;
	/* Half a millisecond of slack: frame stamps are rounded. */
	if (t + 5e-4 < *next_t)
		return false;
	/* Keep the grid when on time; re-anchor after a gap. */
	*next_t = (t - *next_t > period) ? t + period : *next_t + period;
	return true;
}
