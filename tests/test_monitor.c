/* test_monitor.c - the per-frame core of `headsup run` (pure: faces and
 * times in, states and alerts out). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "headsup/config.h"
#include "headsup/monitor.h"
#include "testutil.h"

#define W 640
#define H 480

/* A frontal face in a 640x480 frame, eyes 60 px apart at height eye_y,
 * shifted right by dx; when found is false, no face in a lit room. */
static hs_analysis face_at(bool found, float dx, float eye_y)
{
	hs_analysis an;
	memset(&an, 0, sizeof an);
	an.frame_w = W;
	an.frame_h = H;
	an.luma = found ? NAN : 0.45;
	if (!found)
		return an;
	hs_face *f = &an.face;
	f->found = true;
	f->score = 0.9f;
	f->detector = "blazeface";
	const float cx = W / 2.0f + dx;
	f->kp[HS_KP_RIGHT_EYE] = (hs_point){ cx - 30, eye_y };
	f->kp[HS_KP_LEFT_EYE] = (hs_point){ cx + 30, eye_y };
	f->kp[HS_KP_NOSE] = (hs_point){ cx, eye_y + 35 };
	f->kp[HS_KP_MOUTH] = (hs_point){ cx, eye_y + 65 };
	f->kp[HS_KP_RIGHT_EAR] = (hs_point){ cx - 75, eye_y + 10 };
	f->kp[HS_KP_LEFT_EAR] = (hs_point){ cx + 75, eye_y + 10 };
	f->kp_valid = HS_KP_ALL;
	f->box[0] = cx - 80;
	f->box[1] = eye_y - 60;
	f->box[2] = 160;
	f->box[3] = 180;
	an.has_pose = true;
	an.pose.has_pitch = true;
	return an;
}

static void settings(hs_config *cfg, double sustain_s, double cooldown_s)
{
	hs_config_defaults(cfg);
	cfg->sustain_s = sustain_s;
	cfg->cooldown_s = cooldown_s;
}

/* Feed frames at 2 Hz from t0 (inclusive) to t1 (exclusive); count alerts
 * and return the time of the first one (NAN if none).  Each step says
 * whether its state differs from the frame before's: 'run -v' logs the
 * state each time it does. */
static double feed(hs_monitor *m, double t0, double t1, const hs_analysis *an,
                   int *alerts, hs_state *last)
{
	double first = NAN;
	for (double t = t0; t < t1 - 1e-9; t += 0.5) {
		hs_monitor_step st;
		const hs_state before = m->state;
		hs_monitor_step_frame(m, t, an, &st);
		if (st.changed != (st.state != before))
			fail_msg("%.1f s: %s after %s, changed %d", t,
			         hs_state_name(st.state), hs_state_name(before),
			         st.changed);
		if (st.alert) {
			(*alerts)++;
			if (isnan(first))
				first = t;
		}
		*last = st.state;
	}
	return first;
}

/* Feed an uncalibrated monitor the face an from t = 0 until it has
 * calibrated itself on it (within 6 s). */
static void self_calibrate(hs_monitor *m, const hs_analysis *an)
{
	bool made = false;
	for (double t = 0; t < 6 && !made; t += 0.5) {
		hs_monitor_step st;
		hs_monitor_step_frame(m, t, an, &st);
		made = st.self_calibrated;
	}
	assert_true(made);
}

/* cfg set up by settings(), and a monitor with it and a baseline made
 * from 6 s of the upright face. */
static void calibrated(hs_monitor *m, hs_config *cfg, double sustain_s,
                       double cooldown_s)
{
	settings(cfg, sustain_s, cooldown_s);
	hs_monitor_init(m, cfg, NULL);
	hs_analysis up = face_at(true, 0, 200);
	self_calibrate(m, &up);
	hs_monitor_restart(m);
}

/* ---- pacing -------------------------------------------------------------- */

static void frames_are_analysed_at_the_rate(void **state)
{
	(void)state;
	/* 10 s of a 10 fps and of a 25 fps source at 2 Hz: 20 frames
	 * analysed, each on the 0.5 s grid or the first frame after it. */
	static const double fps[] = { 10.0, 25.0 };
	for (size_t k = 0; k < 2; k++) {
		double next = -INFINITY;
		int n = 0;
		for (int i = 0; i < (int)(10 * fps[k]); i++) {
			double t = i / fps[k];
			if (hs_monitor_frame_due(&next, t, 2.0)) {
				double grid = 0.5 * n;
				assert_true(t >= grid - 1e-6 &&
				            t < grid + 1.0 / fps[k]);
				n++;
			}
		}
		assert_int_equal(n, 20);
	}
}

static void slow_source_and_gaps_analyse_every_frame(void **state)
{
	(void)state;
	/* Frames slower than the rate are all analysed... */
	double next = -INFINITY;
	for (int i = 0; i < 10; i++)
		assert_true(hs_monitor_frame_due(&next, i * 1.0, 2.0));
	/* ...and after a gap (camera away) the next frame is taken at once,
	 * then the grid goes on from there. */
	assert_true(hs_monitor_frame_due(&next, 100.0, 2.0));
	assert_false(hs_monitor_frame_due(&next, 100.2, 2.0));
	assert_true(hs_monitor_frame_due(&next, 100.5, 2.0));
}

/* ---- self-calibration ---------------------------------------------------- */

static void steady_face_calibrates_after_five_seconds(void **state)
{
	(void)state;
	hs_config cfg;
	settings(&cfg, 30, 600);
	hs_monitor m;
	hs_monitor_init(&m, &cfg, NULL);
	assert_false(m.calibrated);
	hs_analysis up = face_at(true, 0, 200);
	int made = 0;
	double when = NAN;
	for (double t = 0; t < 20; t += 0.5) {
		hs_monitor_step st;
		hs_monitor_step_frame(&m, t, &up, &st);
		if (st.self_calibrated) {
			made++;
			when = t;
		}
		if (!m.calibrated)
			assert_int_equal(st.state, HS_STATE_UNCALIBRATED);
		assert_false(st.alert);
	}
	assert_int_equal(made, 1);
	assert_true(when >= HS_MONITOR_SELFCAL_S &&
	            when <= HS_MONITOR_SELFCAL_S + 1);
	assert_int_equal(m.state, HS_STATE_UPRIGHT);
}

static void restless_face_or_nobody_does_not_calibrate(void **state)
{
	(void)state;
	hs_config cfg;
	settings(&cfg, 30, 600);
	hs_monitor m;
	hs_monitor_init(&m, &cfg, NULL);
	hs_analysis a = face_at(true, -60, 200), b = face_at(true, 60, 200),
	            none = face_at(false, 0, 0);
	for (double t = 0; t < 60; t += 0.5) {
		hs_monitor_step st;
		/* Swaying two eye-distances from side to side, with the odd
		 * frame of nobody. */
		const hs_analysis *an = ((int)(t * 2) % 7 == 6) ? &none
		                        : ((int)(t / 2) % 2)    ? &b
		                                                : &a;
		hs_monitor_step_frame(&m, t, an, &st);
		assert_false(st.self_calibrated);
		assert_int_equal(st.state, HS_STATE_UNCALIBRATED);
	}
	assert_false(m.calibrated);
}

/* ---- states and alerts -----------------------------------------------------
 */

static void hunched_alerts_once_after_sustain(void **state)
{
	(void)state;
	hs_config cfg;
	hs_monitor m;
	calibrated(&m, &cfg, 20, 300);
	/* Eyes one eye-distance (60 px) lower than calibrated: hunched. */
	hs_analysis up = face_at(true, 0, 200), low = face_at(true, 0, 260);
	int alerts = 0;
	hs_state last;
	assert_true(isnan(feed(&m, 100, 130, &up, &alerts, &last)));
	assert_int_equal(last, HS_STATE_UPRIGHT);
	double first = feed(&m, 130, 250, &low, &alerts, &last);
	assert_int_equal(last, HS_STATE_HUNCHED);
	assert_int_equal(alerts, 1);
	/* After the sustain time (plus at most the smoothing window). */
	assert_true(first >= 130 + 20 && first <= 130 + 20 + cfg.smooth_s + 1);
}

/* An uncalibrated monitor at the slowest rate the settings allow, 0.1 Hz
 * (sustain 30 s, cooldown 600 s). */
static void slowest_monitor(hs_monitor *m, hs_config *cfg)
{
	settings(cfg, 30, 600);
	cfg->rate_hz = 0.1;
	hs_monitor_init(m, cfg, NULL);
}

/* At the slowest rate (0.1 Hz) a camera's analysed frames come 10 s apart
 * give or take a camera frame: a hunch seen every 10.02 s still alerts
 * (the gap passed the 10 s grace, and the stretch began again at every
 * frame: no alert in an hour). */
static void slowest_rate_alerts_through_uneven_gaps(void **state)
{
	(void)state;
	hs_config cfg;
	hs_monitor m;
	slowest_monitor(&m, &cfg);
	hs_analysis up = face_at(true, 0, 200), low = face_at(true, 0, 260);
	self_calibrate(&m, &up);
	hs_monitor_restart(&m);
	int alerts = 0;
	double first = NAN;
	for (int i = 0; i < 12; i++) {
		const double t = 100 + 10.02 * i;
		hs_monitor_step st;
		hs_monitor_step_frame(&m, t, &low, &st);
		if (st.alert && alerts++ == 0)
			first = t;
	}
	assert_int_equal(alerts, 1);
	assert_true(first <= 100 + 30 + cfg.smooth_s + 10.02 * 2);
}

/* Self-calibration needs enough frames for its steadiness check: at
 * 0.1 Hz, 5 s held two frames, and a face that moved between them made
 * the baseline (their mean). */
/* A camera beside the screen: the face reads turned 40 degrees, so no
 * frame can be calibrated on.  After 5 s the monitor says why (and every
 * 5 s after, for -v), as it does for a refused attempt; it never
 * calibrates on the turned face. */
static void a_turned_head_is_told_not_ignored(void **state)
{
	(void)state;
	hs_config cfg;
	hs_monitor m;
	settings(&cfg, 30, 600);
	hs_monitor_init(&m, &cfg, NULL);
	hs_analysis turned = face_at(true, 0, 200);
	turned.pose.yaw_deg = -40;
	int refused = 0;
	double first = NAN;
	for (double t = 0; t < 12; t += 0.5) {
		hs_monitor_step st;
		hs_monitor_step_frame(&m, t, &turned, &st);
		assert_false(st.self_calibrated);
		if (st.self_cal_refused) {
			refused++;
			if (isnan(first))
				first = t;
		}
	}
	assert_int_equal(refused, 2); /* at 5 s and 10 s */
	assert_near(first, 5.0, 1e-9);
	assert_non_null(strstr(m.selfcal_why, "your head is turned 40 "
	                                      "degrees to your right"));
	assert_false(m.calibrated);
	/* facing the camera: calibrated 5 s later, without a word more */
	hs_analysis up = face_at(true, 0, 200);
	bool made = false;
	for (double t = 12; t < 18 && !made; t += 0.5) {
		hs_monitor_step st;
		hs_monitor_step_frame(&m, t, &up, &st);
		assert_false(st.self_cal_refused);
		made = st.self_calibrated;
	}
	assert_true(made);
}

/* Frames that change size while the monitor calibrates itself (a camera
 * that settles on another mode): the run starts again with the new size,
 * so no baseline pools pixels of two sizes. */
static void self_calibration_starts_again_at_a_new_frame_size(void **state)
{
	(void)state;
	hs_config cfg;
	hs_monitor m;
	settings(&cfg, 30, 600);
	hs_monitor_init(&m, &cfg, NULL);
	hs_analysis small = face_at(true, 0, 200), large = small;
	large.frame_w = 2 * W;
	large.frame_h = 2 * H;
	double made_at = NAN;
	for (double t = 0; t < 12 && isnan(made_at); t += 0.5) {
		hs_monitor_step st;
		hs_monitor_step_frame(&m, t, t < 3 ? &small : &large, &st);
		if (st.self_calibrated)
			made_at = t;
	}
	assert_near(made_at, 8.0, 1e-9); /* 5 s from the first large frame */
	assert_int_equal(m.base.frame_w, 2 * W);
}

static void slow_rate_self_calibration_waits_for_five_frames(void **state)
{
	(void)state;
	hs_config cfg;
	hs_monitor m;
	slowest_monitor(&m, &cfg);
	hs_analysis up = face_at(true, 0, 200);
	int made_at = -1;
	for (int i = 0; i < 8 && made_at < 0; i++) {
		hs_monitor_step st;
		hs_monitor_step_frame(&m, 10.0 * i, &up, &st);
		if (st.self_calibrated)
			made_at = i;
	}
	assert_int_equal(made_at, HS_CALIB_SPREAD_MIN_FRAMES - 1);
}

/* `headsup calibrate` while the monitor runs: the new baseline is taken up
 * at once, and the posture is judged against it from then on. */
static void new_baseline_is_taken_up_while_running(void **state)
{
	(void)state;
	hs_config cfg;
	hs_monitor m, other;
	calibrated(&m, &cfg, 20, 300);
	hs_analysis low = face_at(true, 0, 260);
	int alerts = 0;
	hs_state last;
	feed(&m, 100, 110, &low, &alerts, &last);
	assert_int_equal(last, HS_STATE_HUNCHED);

	/* A baseline recorded sitting where "low" sits. */
	hs_monitor_init(&other, &cfg, NULL);
	self_calibrate(&other, &low);
	hs_monitor_set_baseline(&m, &other.base);
	hs_monitor_step st;
	hs_monitor_step_frame(&m, 110, &low, &st);
	assert_int_equal(st.state, HS_STATE_UPRIGHT);
	assert_false(st.self_calibrated);
	feed(&m, 110.5, 200, &low, &alerts, &last);
	assert_int_equal(last, HS_STATE_UPRIGHT);
	assert_int_equal(alerts, 0);

	/* An uncalibrated monitor needs no seconds of self-calibration. */
	hs_monitor fresh;
	hs_monitor_init(&fresh, &cfg, NULL);
	hs_monitor_step_frame(&fresh, 0, &low, &st);
	assert_int_equal(st.state, HS_STATE_UNCALIBRATED);
	hs_monitor_set_baseline(&fresh, &other.base);
	hs_monitor_step_frame(&fresh, 0.5, &low, &st);
	assert_int_equal(st.state, HS_STATE_UPRIGHT);
}

/* Feed face an from t0 to t1 at 2 Hz: did the monitor make its baseline
 * again (self_recalibrated)? */
static bool made_again(hs_monitor *m, double t0, double t1,
                       const hs_analysis *an)
{
	bool again = false;
	for (double t = t0; t < t1 - 1e-9; t += 0.5) {
		hs_monitor_step st;
		hs_monitor_step_frame(m, t, an, &st);
		again |= st.self_recalibrated;
	}
	return again;
}

/* Calibrated itself on a slouch (the first steady seconds were a lean
 * towards the screen, the eyes 45 px = 0.75 eye-distances lower than
 * where the user then mostly sits), the monitor takes the higher posture
 * as upright instead, once it has held it 20 s and sat so most of the
 * time (60% of 2 minutes or more), and so sees the slouch again as
 * hunched: one alert, where it gave none.  Not for a posture only a
 * little higher (0.3) or a standing one (2), nor for sitting up tall for
 * a moment (25 s of a video call, which made the usual posture read
 * hunched all day), nor twice, nor for a baseline the user recorded, nor
 * once HS_MONITOR_REVISIT_S are over. */
static void a_self_made_baseline_of_a_slouch_is_made_again(void **state)
{
	(void)state;
	hs_config cfg;
	settings(&cfg, 30, 600);
	hs_monitor m;
	hs_monitor_init(&m, &cfg, NULL);
	const hs_analysis slouch = face_at(true, 0, 245),
	                  up = face_at(true, 0, 200),
	                  tall = face_at(true, 0, 158),
	                  bit_higher = face_at(true, 0, 227),
	                  standing = face_at(true, 0, 125);
	self_calibrate(&m, &slouch);
	assert_false(made_again(&m, 6, 25, &up)); /* held 19 s */
	assert_false(made_again(&m, 25, 26, &slouch));
	assert_true(made_again(&m, 26, 200, &up)); /* at 2 minutes */
	int alerts = 0;
	hs_state last;
	feed(&m, 200, 230, &up, &alerts, &last);
	assert_int_equal(last, HS_STATE_UPRIGHT);
	feed(&m, 230, 330, &slouch, &alerts, &last);
	assert_int_equal(last, HS_STATE_HUNCHED);
	assert_int_equal(alerts, 1);
	assert_false(made_again(&m, 330, 580, &tall)); /* once only */

	/* Upright from the start, then tall for 25 s: kept. */
	hs_monitor_init(&m, &cfg, NULL);
	self_calibrate(&m, &up);
	assert_false(made_again(&m, 6, 76, &up));
	assert_false(made_again(&m, 76, 101, &tall));
	assert_false(made_again(&m, 101, 600, &up));
	/* A little higher, or standing: kept, however long. */
	hs_monitor_init(&m, &cfg, NULL);
	self_calibrate(&m, &slouch);
	assert_false(made_again(&m, 6, 300, &bit_higher));
	assert_false(made_again(&m, 300, 600, &standing));

	/* The user's own baseline of the slouch is kept. */
	hs_monitor own;
	hs_monitor_init(&own, &cfg, &m.base);
	hs_monitor_init(&m, &cfg, NULL);
	self_calibrate(&m, &slouch);
	hs_monitor_set_baseline(&own, &m.base);
	assert_false(made_again(&own, 10, 300, &up));
	/* Once the time to revisit is over, a self-made one is kept too. */
	assert_false(made_again(&m, 6, 6 + HS_MONITOR_REVISIT_S, &slouch));
	assert_false(made_again(&m, 6 + HS_MONITOR_REVISIT_S,
	                        300 + HS_MONITOR_REVISIT_S, &up));
}

static void returning_upright_resets_the_sustain_timer(void **state)
{
	(void)state;
	hs_config cfg;
	hs_monitor m;
	calibrated(&m, &cfg, 20, 300);
	hs_analysis up = face_at(true, 0, 200), low = face_at(true, 0, 260);
	int alerts = 0;
	hs_state last;
	/* 15 s hunched, 10 s upright, 15 s hunched...: never 20 s in one go. */
	for (double t = 100; t < 400; t += 25) {
		feed(&m, t, t + 15, &low, &alerts, &last);
		feed(&m, t + 15, t + 25, &up, &alerts, &last);
	}
	assert_int_equal(alerts, 0);
}

/* Hunched at the keyboard, then a look down at notes, in turn every 12 s:
 * bad posture all along, so it is warned of as a steady hunch would be. */
static void hunching_and_looking_down_in_turn_alerts(void **state)
{
	(void)state;
	hs_config cfg;
	hs_monitor m;
	calibrated(&m, &cfg, 30, 300);
	hs_analysis low = face_at(true, 0, 260), down = face_at(true, 0, 200);
	down.pose.pitch_down_deg = 35;
	int alerts = 0;
	hs_state last = HS_STATE_AWAY;
	bool seen[HS_STATE_COUNT] = { false };
	double first = NAN;
	/* Five minutes of it: one alert, the cooldown (300 s) keeps the
	 * other kind from following it. */
	for (double t = 100; t < 388; t += 24) {
		double at = feed(&m, t, t + 12, &low, &alerts, &last);
		seen[last] = true;
		if (isnan(first))
			first = at;
		at = feed(&m, t + 12, t + 24, &down, &alerts, &last);
		seen[last] = true;
		if (isnan(first))
			first = at;
	}
	assert_true(seen[HS_STATE_HUNCHED] && seen[HS_STATE_LOOKING_DOWN]);
	assert_int_equal(alerts, 1);
	assert_true(first >= 130 && first <= 130 + cfg.smooth_s + 1);
}

static void nobody_there_never_alerts(void **state)
{
	(void)state;
	hs_config cfg;
	hs_monitor m;
	calibrated(&m, &cfg, 1, 0);
	hs_analysis none = face_at(false, 0, 0);
	int alerts = 0;
	hs_state last;
	feed(&m, 100, 1000, &none, &alerts, &last);
	assert_int_equal(last, HS_STATE_AWAY);
	assert_int_equal(alerts, 0);
}

/* Feed frames at 2 Hz from t0 to t1; how many said that the darkness
 * began or ended, and the time of the last such frame (NAN if none). */
static int feed_dark(hs_monitor *m, double t0, double t1, const hs_analysis *an,
                     double *when)
{
	int n = 0;
	*when = NAN;
	for (double t = t0; t < t1 - 1e-9; t += 0.5) {
		hs_monitor_step st;
		hs_monitor_step_frame(m, t, an, &st);
		if (st.dark_changed) {
			n++;
			*when = t;
		}
	}
	return n;
}

/* A closed privacy shutter: black frames and no face.  After 30 s the
 * monitor says it cannot see, once; a face, or light, ends that at once.
 * An empty chair in a lit room is not darkness, however long. */
static void a_covered_camera_is_told_after_30_seconds(void **state)
{
	(void)state;
	hs_config cfg;
	hs_monitor m;
	calibrated(&m, &cfg, 30, 600);
	hs_analysis black = face_at(false, 0, 0);
	black.luma = 0.02;
	hs_analysis chair = face_at(false, 0, 0); /* lit, nobody there */
	hs_analysis up = face_at(true, 0, 200);
	double when;
	assert_int_equal(feed_dark(&m, 100, 130, &black, &when), 0);
	assert_false(m.dark);
	assert_int_equal(feed_dark(&m, 130, 200, &black, &when), 1);
	assert_near(when, 130.0, 1e-9);
	assert_true(m.dark);
	assert_near(m.dark_since, 100.0, 1e-9);
	assert_int_equal(m.state, HS_STATE_AWAY); /* the posture is unknown */
	/* The user opens the shutter: the first frame with a face ends it. */
	assert_int_equal(feed_dark(&m, 200, 201, &up, &when), 1);
	assert_near(when, 200.0, 1e-9);
	assert_false(m.dark);
	/* Nobody at the desk in a lit room: never darkness. */
	assert_int_equal(feed_dark(&m, 201, 1000, &chair, &when), 0);
	/* Dark again, then the light comes on with the chair still empty. */
	assert_int_equal(feed_dark(&m, 1000, 1040, &black, &when), 1);
	assert_int_equal(feed_dark(&m, 1040, 1041, &chair, &when), 1);
	assert_false(m.dark);
	/* Darkness counts from the camera's reopening, not from before. */
	assert_int_equal(feed_dark(&m, 1100, 1120, &black, &when), 0);
	hs_monitor_restart(&m);
	assert_int_equal(feed_dark(&m, 1120, 1150, &black, &when), 0);
	assert_int_equal(feed_dark(&m, 1150, 1151, &black, &when), 1);
	assert_near(when, 1150.0, 1e-9);
	/* No measure (a frame that could not be analysed) is not dark. */
	hs_monitor_restart(&m);
	hs_analysis unknown = face_at(false, 0, 0);
	unknown.luma = NAN;
	assert_int_equal(feed_dark(&m, 2000, 2100, &unknown, &when), 0);
	/* ... nor does it break a stretch of darkness in two. */
	assert_int_equal(feed_dark(&m, 3000, 3020, &black, &when), 0);
	assert_int_equal(feed_dark(&m, 3020, 3021, &unknown, &when), 0);
	assert_int_equal(feed_dark(&m, 3021, 3031, &black, &when), 1);
	assert_near(when, 3030.0, 1e-9);
}

/* SIGHUP's new settings take effect without losing the baseline. */
static void reconfigure_keeps_baseline_and_applies_sustain(void **state)
{
	(void)state;
	hs_config cfg;
	hs_monitor m;
	calibrated(&m, &cfg, 600, 600);
	const hs_baseline before = m.base;
	hs_analysis low = face_at(true, 0, 260);
	int alerts = 0;
	hs_state last;
	feed(&m, 100, 160, &low, &alerts, &last);
	assert_int_equal(alerts, 0); /* 600 s sustain: not yet */
	settings(&cfg, 30, 600);
	hs_monitor_reconfigure(&m, &cfg);
	assert_true(m.calibrated);
	assert_memory_equal(&m.base, &before, sizeof before);
	feed(&m, 160, 170, &low, &alerts, &last);
	assert_int_equal(last, HS_STATE_HUNCHED);
	assert_int_equal(alerts, 1); /* hunched for 60 s > the new 30 s */
}

/* ---- a baseline from another frame size ---------------------------------- */

/* face_at() drawn at k times the size, in a frame of k*W x k*H, or in a
 * frame of another shape when wide is true. */
static hs_analysis face_scaled(float k, float eye_y, bool wide)
{
	hs_analysis an = face_at(true, 0, eye_y);
	hs_face *f = &an.face;
	for (int i = 0; i < HS_KP_COUNT; i++) {
		f->kp[i].x *= k;
		f->kp[i].y *= k;
	}
	for (int i = 0; i < 4; i++)
		f->box[i] *= k;
	an.frame_w = (int)(k * W);
	an.frame_h = wide ? (int)(k * W * 9 / 16) : (int)(k * H);
	return an;
}

/* Calibrated at 640x480, the camera now gives 1280x960: the same sitting
 * reads the same. */
static void baseline_follows_the_frame_size(void **state)
{
	(void)state;
	hs_config cfg;
	hs_monitor m;
	calibrated(&m, &cfg, 20, 300);
	hs_analysis up = face_scaled(2, 200, false),
	            low = face_scaled(2, 260, false);
	hs_monitor_step st;
	hs_monitor_step_frame(&m, 100, &up, &st);
	assert_true(st.baseline_rescaled);
	assert_false(st.baseline_dropped);
	assert_int_equal(st.baseline_from_w, W);
	assert_int_equal(st.baseline_from_h, H);
	assert_true(m.calibrated);
	assert_true(st.has_features);
	assert_near(st.f.drop_iod, 0, 1e-6);
	assert_near(st.f.lean_ratio, 1, 1e-6);
	/* Said once: the next frame of the same size is not rescaled. */
	hs_monitor_step_frame(&m, 100.5, &up, &st);
	assert_false(st.baseline_rescaled);

	int alerts = 0;
	hs_state last;
	feed(&m, 101, 130, &up, &alerts, &last);
	assert_int_equal(last, HS_STATE_UPRIGHT);
	feed(&m, 130, 200, &low, &alerts, &last);
	assert_int_equal(last, HS_STATE_HUNCHED);
	assert_int_equal(alerts, 1);
}

/* Calibrated at 4:3, the frames are now 16:9: the old geometry means
 * nothing, so the monitor says so, reads uncalibrated (no alerts) and
 * calibrates itself again from the new frames. */
static void baseline_of_another_shape_is_replaced(void **state)
{
	(void)state;
	hs_config cfg;
	hs_monitor m;
	calibrated(&m, &cfg, 1, 0);
	hs_analysis low = face_scaled(2, 260, true);
	hs_monitor_step st;
	hs_monitor_step_frame(&m, 100, &low, &st);
	assert_true(st.baseline_dropped);
	assert_false(st.baseline_rescaled);
	assert_int_equal(st.baseline_from_w, W);
	assert_int_equal(st.baseline_from_h, H);
	assert_int_equal(st.state, HS_STATE_UNCALIBRATED);
	assert_false(st.alert);

	/* The same face held still: a new baseline at the new size after
	 * the self-calibration time, and from then on it reads upright. */
	int alerts = 0;
	hs_state last;
	bool made = false;
	for (double t = 100.5; t < 110 && !made; t += 0.5) {
		hs_monitor_step_frame(&m, t, &low, &st);
		assert_false(st.baseline_dropped);
		made = st.self_calibrated;
	}
	assert_true(made);
	assert_int_equal(m.base.frame_w, 2 * W);
	assert_int_equal(m.base.frame_h, 2 * W * 9 / 16);
	feed(&m, 110, 130, &low, &alerts, &last);
	assert_int_equal(last, HS_STATE_UPRIGHT);
	assert_int_equal(alerts, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(frames_are_analysed_at_the_rate),
		cmocka_unit_test(slow_source_and_gaps_analyse_every_frame),
		cmocka_unit_test(steady_face_calibrates_after_five_seconds),
		cmocka_unit_test(restless_face_or_nobody_does_not_calibrate),
		cmocka_unit_test(hunched_alerts_once_after_sustain),
		cmocka_unit_test(slowest_rate_alerts_through_uneven_gaps),
		cmocka_unit_test(
		        slow_rate_self_calibration_waits_for_five_frames),
		cmocka_unit_test(a_turned_head_is_told_not_ignored),
		cmocka_unit_test(
		        self_calibration_starts_again_at_a_new_frame_size),
		cmocka_unit_test(new_baseline_is_taken_up_while_running),
		cmocka_unit_test(
		        a_self_made_baseline_of_a_slouch_is_made_again),
		cmocka_unit_test(returning_upright_resets_the_sustain_timer),
		cmocka_unit_test(hunching_and_looking_down_in_turn_alerts),
		cmocka_unit_test(nobody_there_never_alerts),
		cmocka_unit_test(a_covered_camera_is_told_after_30_seconds),
		cmocka_unit_test(
		        reconfigure_keeps_baseline_and_applies_sustain),
		cmocka_unit_test(baseline_follows_the_frame_size),
		cmocka_unit_test(baseline_of_another_shape_is_replaced),
	};
	return cmocka_run_group_tests_name("monitor", tests, NULL, NULL);
}
