/* monitor.h - the per-frame decision of `headsup run`, as pure logic.
 *
 * One call per analysed frame: the face and pose found, and the frame's
 * time, go in; the smoothed posture state and any alert that is due come
 * out.  No camera, clock, D-Bus or database here: cmd_run.c does the I/O.
 *
 * Without a baseline the monitor calibrates itself from the first
 * HS_MONITOR_SELFCAL_S seconds of a steady, frontal face.
 */
#ifndef HEADSUP_MONITOR_H
#define HEADSUP_MONITOR_H

#include <stdbool.h>
#include <stddef.h>

#include "headsup/alerts.h"
#include "headsup/analyzer.h"
#include "headsup/calibration.h"
#include "headsup/config.h"
#include "headsup/posture.h"

#define HS_MONITOR_SELFCAL_S 5.0
#define HS_MONITOR_SELFCAL_MAX 256 /* samples kept for self-calibration */

/* A baseline the monitor made itself is revisited, once, for
 * HS_MONITOR_REVISIT_S: a steady posture held for HS_MONITOR_REVISIT_HOLD_S
 * with the eyes HS_MONITOR_HIGHER_IOD to HS_MONITOR_HIGHER_MAX_IOD
 * eye-distances higher (the head about as near, and not tipped), where the
 * user sat HS_MONITOR_REVISIT_SHARE of at least HS_MONITOR_REVISIT_MIN_S
 * with a face since, replaces it: the first was likely a slouch.  0.6 is
 * half again the default hunch (hunched_drop_enter_iod 0.43), so that
 * ordinary upright shifts do not count: on the desk fixture, upright
 * postures sit within 0.25 of each other, and the acceptable ones 0.77 to
 * 1.17 above the worst slouch; 1.5 keeps out standing up. */
#define HS_MONITOR_REVISIT_S 600.0
#define HS_MONITOR_REVISIT_HOLD_S 20.0
#define HS_MONITOR_REVISIT_MIN_S 120.0
#define HS_MONITOR_REVISIT_SHARE 0.6
#define HS_MONITOR_HIGHER_IOD 0.6
#define HS_MONITOR_HIGHER_MAX_IOD 1.5

/* A frame with no face and a mean brightness under HS_MONITOR_DARK_LUMA
 * (about 20 of 255) is dark: a closed privacy shutter, a covered lens or
 * an unlit room give such frames, an empty chair in a lit room does not.
 * After HS_MONITOR_DARK_S seconds of them the monitor says it cannot see;
 * one frame with a face or some light ends that. */
#define HS_MONITOR_DARK_LUMA 0.08
#define HS_MONITOR_DARK_S 30.0

/* The fields are for reading: only hs_monitor_* change them, with one
 * exception.  alerts is the alert timer of alerts.h, and the caller, who
 * knows what a notification server did and what the user asked, tells it
 * so with hs_alerts_note_sent(), hs_alerts_snooze(), hs_alerts_pause()
 * and hs_alerts_resume(). */
typedef struct hs_monitor {
	hs_baseline base;
	bool calibrated;
	hs_smoother smoother;
	hs_posture_classifier classifier;
	hs_alerts alerts;
	hs_state state;
	/* self-calibration: the current run of steady frontal samples */
	hs_calib_sample selfcal[HS_MONITOR_SELFCAL_MAX];
	double selfcal_t[HS_MONITOR_SELFCAL_MAX];
	size_t selfcal_n;
	int selfcal_w, selfcal_h;    /* the size of the run's frames */
	double selfcal_turned_since; /* a head turned since, or NAN */
	char selfcal_why[256];       /* why the last attempt was refused */
	double self_made_t; /* when the monitor made its baseline, or NAN */
	/* since then: seconds with a face, of them sitting higher, and the
	 * last such frame's time (NAN before one) */
	double revisit_face_s, revisit_higher_s, revisit_last_t;
	double dark_since; /* time of the first of the dark frames, or NAN */
	bool dark;         /* dark for HS_MONITOR_DARK_S or more */
} hs_monitor;

typedef struct hs_monitor_step {
	hs_state state;    /* smoothed state after this frame */
	bool changed;      /* state differs from the previous frame's */
	bool has_features; /* f holds this frame's (unsmoothed) features */
	hs_features f;
	bool alert; /* an alert is due now */
	hs_alert alert_info;
	/* the slump that alerted is over with this frame (the user sat up,
	 * or left, sustain_s ago): its reminder is stale (alerts.h) */
	bool alert_over;
	bool self_calibrated; /* the baseline was made from this frame */
	/* a self-made baseline was made again, from a posture sitting
	 * higher_by_iod eye-distances higher (see HS_MONITOR_REVISIT_S) */
	bool self_recalibrated;
	double higher_by_iod;
	/* a self-calibration was tried and refused: why is in selfcal_why */
	bool self_cal_refused;
	/* The frame's size differs from the baseline's, which was made from
	 * baseline_from_w x baseline_from_h frames: rescaled = same shape,
	 * so the baseline was scaled to fit (hs_baseline_fit_frame());
	 * dropped = another shape, so the baseline cannot be used and the
	 * monitor calibrates itself again from the frames that follow. */
	bool baseline_rescaled, baseline_dropped;
	int baseline_from_w, baseline_from_h;
	/* hs_monitor.dark changed with this frame: the camera has seen only
	 * darkness since dark_since, or sees again. */
	bool dark_changed;
} hs_monitor_step;

/* Set up from the settings; base may be NULL (uncalibrated: the monitor
 * will calibrate itself). */
void hs_monitor_init(hs_monitor *m, const hs_config *cfg,
                     const hs_baseline *base);
/* Apply new settings (SIGHUP) without losing the baseline or the state. */
void hs_monitor_reconfigure(hs_monitor *m, const hs_config *cfg);
/* One analysed frame at time t (seconds, any monotonic scale). */
void hs_monitor_step_frame(hs_monitor *m, double t, const hs_analysis *an,
                           hs_monitor_step *out);
/* Frame pacing: true when a frame at time t should be analysed at rate_hz;
 * *next_t (start it at -INFINITY... or any value <= the first t) moves on.
 * Frames between are skipped, so a replay is analysed like live use. */
bool hs_monitor_frame_due(double *next_t, double t, double rate_hz);

/* Forget the smoothing window and any darkness (after a pause or a camera
 * gap). */
void hs_monitor_restart(hs_monitor *m);

/* Take up a new baseline (a fresh `headsup calibrate`) while running: the
 * posture is then decided afresh from the frames that follow, as at
 * start-up; alerts and their cool-down go on. */
void hs_monitor_set_baseline(hs_monitor *m, const hs_baseline *base);

#endif
