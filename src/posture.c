/* posture.c - features, smoothing and states; see posture.h. */
#include "headsup/posture.h"

#include "headsup/err.h"
#include "headsup/stats.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Typical face proportions, used only when a face comes without eye
 * keypoints and no baseline tells where its eyes sat in the box. */
#define EYE_Y_IN_BOX 0.38
#define IOD_IN_BOX 0.38

/* ---- names ------------------------------------------------------------- */

static const char *const state_names[] = {
#define HS_STATE_STR(name, str) [HS_STATE_##name] = str,
	HS_STATE_MAP(HS_STATE_STR)
#undef HS_STATE_STR
};

static const char *const state_labels[] = {
	[HS_STATE_UPRIGHT] = "Upright",
	[HS_STATE_LOOKING_DOWN] = "Looking down",
	[HS_STATE_HUNCHED] = "Hunched",
	[HS_STATE_AWAY] = "Away",
	[HS_STATE_UNCALIBRATED] = "Uncalibrated",
};

const char *hs_state_name(hs_state state)
{
	if ((int)state < 0 || state >= HS_STATE_COUNT)
		return NULL;
	return state_names[state];
}

int hs_state_from_name(const char *name)
{
	if (!name)
		return -1;
	for (int i = 0; i < HS_STATE_COUNT; i++)
		if (strcmp(state_names[i], name) == 0)
			return i;
	return -1;
}

const char *hs_state_label(hs_state state)
{
	if ((int)state < 0 || state >= HS_STATE_COUNT)
		return NULL;
	return state_labels[state];
}

bool hs_state_is_bad(hs_state state)
{
	return state == HS_STATE_LOOKING_DOWN || state == HS_STATE_HUNCHED;
}

/* ---- geometry and features ----------------------------------------------- */

static bool box_usable(const double box[4])
{
	return isfinite(box[0]) && isfinite(box[1]) && isfinite(box[2]) &&
	       isfinite(box[3]) && box[2] > 0 && box[3] > 0;
}

int hs_posture_eye_geometry(const hs_face *f, const hs_baseline *b,
                            double *mid_x, double *mid_y, double *iod_px)
{
	if ((f->kp_valid & HS_KP_EYES) == HS_KP_EYES) {
		const hs_point *r = &f->kp[HS_KP_RIGHT_EYE];
		const hs_point *l = &f->kp[HS_KP_LEFT_EYE];
		double dx = (double)l->x - (double)r->x;
		double dy = (double)l->y - (double)r->y;
		double iod = sqrt(dx * dx + dy * dy);
		double mx = ((double)l->x + (double)r->x) / 2;
		double my = ((double)l->y + (double)r->y) / 2;
		if (!(iod > 0) || !isfinite(iod) || !isfinite(mx) ||
		    !isfinite(my))
			return HS_EINVAL;
		*mid_x = mx;
		*mid_y = my;
		*iod_px = iod;
		return 0;
	}

	const double box[4] = { f->box[0], f->box[1], f->box[2], f->box[3] };
	if (!box_usable(box))
		return HS_EINVAL;
	/* Where the eyes sit in the box, as fractions of its size. */
	double fx = 0.5, fy = EYE_Y_IN_BOX, fiod = IOD_IN_BOX;
	if (b && box_usable(b->box) && b->iod_px > 0) {
		fx = (b->eye_mid_x - b->box[0]) / b->box[2];
		fy = (b->eye_mid_y - b->box[1]) / b->box[3];
		fiod = b->iod_px / b->box[2];
	}
	*mid_x = box[0] + fx * box[2];
	*mid_y = box[1] + fy * box[3];
	*iod_px = fiod * box[2];
	return 0;
}

double hs_posture_pitch_delta(const hs_baseline *b, const hs_pose *p)
{
	hs_pose level;
	hs_pose_unroll(p, b->roll_deg, &level);
	return level.pitch_down_deg - b->pitch_deg;
}

int hs_posture_features(const hs_baseline *b, const hs_face *f,
                        const hs_pose *p, hs_features *out)
{
	if (!(b->iod_px > 0) || !isfinite(b->iod_px))
		return HS_EINVAL;
	double mx, my, iod;
	int rc = hs_posture_eye_geometry(f, b, &mx, &my, &iod);
	if (rc < 0)
		return rc;

	hs_features r = {
		.drop_iod = (my - b->eye_mid_y) / b->iod_px,
		.lean_ratio = iod / b->iod_px,
	};
	if (p) {
		/* measured as the baseline's is: the eye line's slant */
		r.roll_deg = hs_pose_eye_line_deg(p) - b->roll_deg;
		r.has_pitch = p->has_pitch && b->has_pitch;
		if (r.has_pitch)
			r.pitch_delta_deg = hs_posture_pitch_delta(b, p);
	}
	*out = r;
	return 0;
}

/* ---- smoothing ----------------------------------------------------------- */

void hs_smoother_init(hs_smoother *s, double window_s)
{
	s->window_s = (window_s > 0 && isfinite(window_s)) ? window_s : 0;
	hs_smoother_reset(s);
}

void hs_smoother_reset(hs_smoother *s)
{
	s->head = 0;
	s->count = 0;
}

static const hs_smoother_slot *slot_from_newest(const hs_smoother *s,
                                                size_t back)
{
	return &s->ring[(s->head + s->count - 1 - back) % HS_SMOOTHER_CAP];
}

static bool features_finite(const hs_features *f)
{
	return isfinite(f->drop_iod) && isfinite(f->lean_ratio) &&
	       isfinite(f->roll_deg) &&
	       (!f->has_pitch || isfinite(f->pitch_delta_deg));
}

void hs_smoother_push(hs_smoother *s, double t, const hs_features *f)
{
	if (!isfinite(t) || (f && !features_finite(f)))
		return;
	if (s->count > 0 && t < slot_from_newest(s, 0)->t)
		return;
	hs_smoother_slot *slot;
	if (s->count == HS_SMOOTHER_CAP) {
		slot = &s->ring[s->head];
		s->head = (s->head + 1) % HS_SMOOTHER_CAP;
	} else {
		slot = &s->ring[(s->head + s->count) % HS_SMOOTHER_CAP];
		s->count++;
	}
	slot->t = t;
	slot->face = f != NULL;
	if (f)
		slot->f = *f;
	else
		memset(&slot->f, 0, sizeof slot->f);
}

hs_smoothed hs_smoother_get(const hs_smoother *s, hs_features *out)
{
	if (s->count == 0)
		return HS_SMOOTHED_EMPTY;

	double pitch[HS_SMOOTHER_CAP], drop[HS_SMOOTHER_CAP];
	double lean[HS_SMOOTHER_CAP], roll[HS_SMOOTHER_CAP];
	size_t n_all = 0, n_face = 0, n_pitch = 0;
	double since = slot_from_newest(s, 0)->t - s->window_s;
	for (size_t back = 0; back < s->count; back++) {
		const hs_smoother_slot *slot = slot_from_newest(s, back);
		if (slot->t < since)
			break;
		n_all++;
		if (!slot->face)
			continue;
		drop[n_face] = slot->f.drop_iod;
		lean[n_face] = slot->f.lean_ratio;
		roll[n_face] = slot->f.roll_deg;
		n_face++;
		if (slot->f.has_pitch)
			pitch[n_pitch++] = slot->f.pitch_delta_deg;
	}
	/* "Away" needs a majority: one missed face in a window of three is
	 * a detector hiccup, not a person leaving. */
	if (n_face * 2 < n_all)
		return HS_SMOOTHED_AWAY;

	hs_features r = {
		.drop_iod = hs_median(drop, n_face),
		.lean_ratio = hs_median(lean, n_face),
		.roll_deg = hs_median(roll, n_face),
		.has_pitch = n_pitch > 0 && n_pitch * 2 >= n_face,
	};
	if (r.has_pitch)
		r.pitch_delta_deg = hs_median(pitch, n_pitch);
	*out = r;
	return HS_SMOOTHED_FACE;
}

/* ---- thresholds ------------------------------------------------------------
 */

/* The built-in defaults come straight from the settings table, so they
 * cannot drift from what `headsup run --help` prints.  Why the hunched
 * defaults are what they are: see the comment at the [posture] rows of
 * HS_SETTINGS (include/headsup/config.h), where the values live. */
void hs_posture_thresholds_default(hs_posture_thresholds *t)
{
	hs_posture_thresholds_from_config(&hs_config_builtin, t);
}

void hs_posture_thresholds_from_config(const hs_config *c,
                                       hs_posture_thresholds *t)
{
	*t = (hs_posture_thresholds){
		.looking_down_enter_deg = c->looking_down_enter_deg,
		.looking_down_exit_deg = c->looking_down_exit_deg,
		.head_share = c->head_share,
		.hunched_drop_enter_iod = c->hunched_drop_enter_iod,
		.hunched_drop_exit_iod = c->hunched_drop_exit_iod,
		.hunched_lean_enter = c->hunched_lean_enter,
		.hunched_lean_drop_iod = c->hunched_lean_drop_iod,
		.hunched_lean_exit = c->hunched_lean_exit,
	};
}

/* ---- states ----------------------------------------------------------------
 */

double hs_posture_gaze_delta(const hs_posture_thresholds *t,
                             const hs_features *f)
{
	return f->pitch_delta_deg / t->head_share;
}

static bool looking_down_enters(const hs_posture_thresholds *t,
                                const hs_features *f)
{
	return f->has_pitch &&
	       hs_posture_gaze_delta(t, f) >= t->looking_down_enter_deg;
}

static bool looking_down_holds(const hs_posture_thresholds *t,
                               const hs_features *f)
{
	return f->has_pitch &&
	       hs_posture_gaze_delta(t, f) >= t->looking_down_exit_deg;
}

static bool hunched_enters(const hs_posture_thresholds *t, const hs_features *f)
{
	if (f->drop_iod >= t->hunched_drop_enter_iod)
		return true;
	return f->lean_ratio >= t->hunched_lean_enter &&
	       f->drop_iod >= t->hunched_lean_drop_iod;
}

static bool hunched_holds(const hs_posture_thresholds *t, const hs_features *f)
{
	if (f->drop_iod >= t->hunched_drop_exit_iod)
		return true;
	/* The lean rule's drop part eases as much as the drop rule does. */
	double ease =
	        t->hunched_drop_enter_iod > 0
	                ? t->hunched_drop_exit_iod / t->hunched_drop_enter_iod
	                : 1.0;
	return f->lean_ratio >= t->hunched_lean_exit &&
	       f->drop_iod >= t->hunched_lean_drop_iod * ease;
}

hs_state hs_posture_classify(const hs_posture_thresholds *t,
                             const hs_features *f)
{
	if (!f)
		return HS_STATE_AWAY;
	if (looking_down_enters(t, f))
		return HS_STATE_LOOKING_DOWN;
	if (hunched_enters(t, f))
		return HS_STATE_HUNCHED;
	return HS_STATE_UPRIGHT;
}

void hs_posture_classifier_init(hs_posture_classifier *c,
                                const hs_posture_thresholds *t)
{
	c->th = *t;
	c->state = HS_STATE_UNCALIBRATED;
}

hs_state hs_posture_classifier_update(hs_posture_classifier *c, bool calibrated,
                                      const hs_features *f)
{
	const hs_posture_thresholds *t = &c->th;
	hs_state next;
	if (!calibrated)
		next = HS_STATE_UNCALIBRATED;
	else if (!f)
		next = HS_STATE_AWAY;
	else if (looking_down_enters(t, f) ||
	         (c->state == HS_STATE_LOOKING_DOWN &&
	          looking_down_holds(t, f)))
		next = HS_STATE_LOOKING_DOWN;
	else if (hunched_enters(t, f) ||
	         (c->state == HS_STATE_HUNCHED && hunched_holds(t, f)))
		next = HS_STATE_HUNCHED;
	else
		next = HS_STATE_UPRIGHT;
	c->state = next;
	return next;
}
