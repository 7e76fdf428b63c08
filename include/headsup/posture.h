/* posture.h - posture features and states against a calibrated baseline.
 *
 * Pure logic: numbers in, numbers out.  No camera, clock or I/O here; time
 * comes in as an argument (seconds on any monotonic scale).
 *
 * Per analysed frame:  face + pose --hs_posture_features()--> features
 *                      --hs_smoother--> median features over smooth_s
 *                      --hs_posture_classifier--> state (with hysteresis)
 */
#ifndef HEADSUP_POSTURE_H
#define HEADSUP_POSTURE_H

#include <stdbool.h>
#include <stddef.h>

#include "headsup/calibration.h"
#include "headsup/config.h"
#include "headsup/face.h"
#include "headsup/pose.h"

/* The states a monitored person can be in.  Order is stable: the journal
 * stores these values. */
#define HS_STATE_MAP(X)                 \
	X(UPRIGHT, "upright")           \
	X(LOOKING_DOWN, "looking_down") \
	X(HUNCHED, "hunched")           \
	X(AWAY, "away")                 \
	X(UNCALIBRATED, "uncalibrated")

typedef enum hs_state {
#define HS_STATE_ENUM(name, str) HS_STATE_##name,
	HS_STATE_MAP(HS_STATE_ENUM)
#undef HS_STATE_ENUM
	HS_STATE_COUNT
} hs_state;

/* "upright", "looking_down", ...: the one name of a state wherever a
 * program reads it (the journal, the JSON report and analyze --json, the
 * HTML report's classes, status); NULL for an out-of-range value. */
const char *hs_state_name(hs_state state);
/* Inverse of hs_state_name(); returns -1 for an unknown name. */
int hs_state_from_name(const char *name);
/* Human words for notifications and the text and HTML reports: "Looking
 * down", "Hunched"; NULL for an out-of-range value. */
const char *hs_state_label(hs_state state);
/* True for the states that can lead to an alert (looking_down, hunched). */
bool hs_state_is_bad(hs_state state);

/* Features of one analysed frame relative to the baseline. */
typedef struct hs_features {
	double pitch_delta_deg; /* + = head tilted further down than baseline */
	double drop_iod;        /* + = eye midpoint lower, in baseline IODs */
	double lean_ratio;      /* current IOD / baseline IOD; > 1 = nearer */
	double roll_deg;        /* head roll relative to baseline */
	bool has_pitch;         /* false when the detector gives no pitch */
} hs_features;

/* ---- geometry and features ------------------------------------------- */

/* Eye midpoint and inter-ocular distance (IOD) of a face, in pixels.
 * From the two eye keypoints when both are valid.  Otherwise estimated
 * from the face box: with a baseline b (may be NULL), using where the eyes
 * sat in the baseline's box, so that the estimate matches the baseline
 * for the same face position; without one, with typical face proportions
 * (eyes 38% down the box, IOD 38% of its width).  HS_EINVAL when the face
 * has neither both eyes nor a box of positive size. */
int hs_posture_eye_geometry(const hs_face *f, const hs_baseline *b,
                            double *mid_x, double *mid_y, double *iod_px);

/* How much further down than in baseline b the head of pose p is tilted,
 * in degrees; p must have a pitch.  Not p's pitch minus b's: a camera
 * that is not level (clipped on crookedly) mixes the head's turn into its
 * pitch, which one calibrated pitch cannot take away.  So p is first
 * un-rolled by b's roll (hs_pose_unroll), as each calibration frame was
 * before its pitch went into b (hs_calibration_from_samples), and the two
 * pitches are compared as a level camera would read them.  The price: a
 * head tilted sideways while calibrating is taken for a tilted camera, and
 * then a turned head reads the error the camera's tilt would have made,
 * 2 degrees for a tilt of 6 and a turn of 30 (two of Pointing'04's five
 * people sat so), where a camera tilted 10 degrees made 5. */
double hs_posture_pitch_delta(const hs_baseline *b, const hs_pose *p);

/* Features of face f (and its pose p, NULL when none) against baseline b.
 * pitch_delta_deg (hs_posture_pitch_delta) is only meaningful when
 * out->has_pitch, which needs a pitch in both p and b; without p,
 * roll_deg is 0.  HS_EINVAL when the eye geometry cannot be had (see
 * above) or b has no positive IOD; out is then untouched. */
int hs_posture_features(const hs_baseline *b, const hs_face *f,
                        const hs_pose *p, hs_features *out);

/* ---- smoothing ---------------------------------------------------------- */

/* Capacity of the smoother: enough for the longest window the settings
 * allow (posture.smooth_s <= 30 s) at the highest rate (30 Hz).  Beyond it
 * the oldest samples are dropped, shortening the window. */
#define HS_SMOOTHER_CAP 1024

typedef struct hs_smoother_slot {
	double t;
	bool face;
	hs_features f;
} hs_smoother_slot;

/* Median of the features seen in the last window_s seconds.  A fixed
 * ring buffer: pushing never allocates. */
typedef struct hs_smoother {
	double window_s;
	size_t head;  /* index of the oldest slot */
	size_t count; /* slots in use */
	hs_smoother_slot ring[HS_SMOOTHER_CAP];
} hs_smoother;

typedef enum hs_smoothed {
	HS_SMOOTHED_EMPTY, /* nothing pushed yet */
	HS_SMOOTHED_AWAY,  /* more than half the window's samples: no face */
	HS_SMOOTHED_FACE   /* medians written */
} hs_smoothed;

/* window_s < 0 is taken as 0 (the latest sample only). */
void hs_smoother_init(hs_smoother *s, double window_s);
/* Forget every sample (e.g. after a pause or a new baseline). */
void hs_smoother_reset(hs_smoother *s);
/* Add the sample of time t: features f, or NULL when no face was found.
 * A sample older than the latest one, or with a non-finite time or
 * feature, is ignored. */
void hs_smoother_push(hs_smoother *s, double t, const hs_features *f);
/* Median of each feature over the face samples whose time lies within
 * window_s of the latest sample (inclusive).  has_pitch is set when at
 * least half of those samples have a pitch; the pitch median is taken over
 * those alone.  out is written only for HS_SMOOTHED_FACE. */
hs_smoothed hs_smoother_get(const hs_smoother *s, hs_features *out);

/* ---- states ---------------------------------------------------------------
 */

/* Enter/exit pairs; each exit must not exceed its enter.  Defaults are the
 * [posture] rows of HS_SETTINGS (config.h), where the hunched values are
 * justified from the desk/neck fixtures. */
typedef struct hs_posture_thresholds {
	double looking_down_enter_deg; /* pitch delta >= this: looking_down */
	double looking_down_exit_deg;  /* ... until it falls below this */
	double head_share; /* of a downward glance the head makes (0.2..1) */
	double hunched_drop_enter_iod; /* drop >= this: hunched */
	double hunched_drop_exit_iod;  /* ... until it falls below this */
	double hunched_lean_enter;     /* lean >= this ... */
	double hunched_lean_drop_iod;  /* ... with drop >= this: hunched */
	double hunched_lean_exit;      /* ... until lean falls below this */
} hs_posture_thresholds;

/* How far down the user looks, in degrees, from the head's pitch delta:
 * people lower their eyes as well as the head when they look down, and
 * the head makes only t->head_share of the turn (about half on
 * Pointing'04, where the head moved 13 degrees for a mark 30 degrees
 * below eye level).  The looking_down thresholds apply to this. */
double hs_posture_gaze_delta(const hs_posture_thresholds *t,
                             const hs_features *f);

/* The built-in defaults (those of the [posture] rows of HS_SETTINGS). */
void hs_posture_thresholds_default(hs_posture_thresholds *t);
/* The [posture] settings of a loaded config; hs_config_parse and
 * hs_config_check have checked them (ranges, and each exit threshold not
 * above its enter one), so the classifier takes them as they are. */
void hs_posture_thresholds_from_config(const hs_config *c,
                                       hs_posture_thresholds *t);

/* Single-frame state, enter thresholds only, no memory (for `analyze
 * --calibration`).  f NULL = no face = away.
 *
 * Rules, in order:
 *   looking_down  f->has_pitch and gaze delta (hs_posture_gaze_delta:
 *                 pitch delta / head_share) >= looking_down_enter_deg.
 *                 It wins over hunched: a lowered head drops the eyes too.
 *   hunched       drop >= hunched_drop_enter_iod, or lean >=
 *                 hunched_lean_enter with drop >= hunched_lean_drop_iod.
 *   upright       otherwise.
 * Without a pitch (Haar fallback) looking_down is never reported: a head
 * bent down then shows as a drop and reads hunched.  Both are bad postures
 * and both alert; naming a bent head "hunched" beats staying silent. */
hs_state hs_posture_classify(const hs_posture_thresholds *t,
                             const hs_features *f);

/* The same rules with hysteresis: a state, once entered, holds until its
 * exit condition (below).  Feed it smoothed features. */
typedef struct hs_posture_classifier {
	hs_posture_thresholds th;
	hs_state state;
} hs_posture_classifier;

/* Starts uncalibrated. */
void hs_posture_classifier_init(hs_posture_classifier *c,
                                const hs_posture_thresholds *t);
/* Next state.  calibrated false -> uncalibrated; f NULL -> away (which
 * also forgets the hysteresis: coming back needs the enter thresholds).
 * looking_down holds while the gaze delta >= looking_down_exit_deg;
 * hunched holds while drop >= hunched_drop_exit_iod, or lean >=
 * hunched_lean_exit with drop >= hunched_lean_drop_iod eased by the same
 * factor as the drop rule (exit/enter, 0.30/0.43 by default). */
hs_state hs_posture_classifier_update(hs_posture_classifier *c, bool calibrated,
                                      const hs_features *f);

#endif
