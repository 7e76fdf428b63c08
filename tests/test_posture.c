/* test_posture.c - features, smoothing and posture states. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "headsup/config.h"
#include "headsup/err.h"
#include "headsup/posture.h"

#include "headsup/analyzer.h"
#include "headsup/calibration.h"
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>

/* A baseline: eyes 60 px apart around (320, 200) in a 640x480 frame. */
static hs_baseline baseline(void)
{
	hs_baseline b = {
		.pitch_deg = 5,
		.roll_deg = 1,
		.eye_mid_x = 320,
		.eye_mid_y = 200,
		.iod_px = 60,
		.box = { 260, 150, 120, 140 },
		.frame_w = 640,
		.frame_h = 480,
		.has_pitch = true,
	};
	return b;
}

/* A face with eyes iod px apart around (mx, my). */
static hs_face face_at(float mx, float my, float iod)
{
	hs_face f = { .found = true, .score = 0.9f, .detector = "blazeface" };
	f.kp[HS_KP_RIGHT_EYE] = (hs_point){ mx - iod / 2, my };
	f.kp[HS_KP_LEFT_EYE] = (hs_point){ mx + iod / 2, my };
	f.kp_valid = HS_KP_ALL;
	f.box[0] = mx - iod;
	f.box[1] = my - 50;
	f.box[2] = 2 * iod;
	f.box[3] = 140;
	return f;
}

static hs_features feat(double pitch, double drop, double lean)
{
	hs_features f = { .pitch_delta_deg = pitch,
		          .drop_iod = drop,
		          .lean_ratio = lean,
		          .has_pitch = true };
	return f;
}

/* The head's pitch change that makes a look of look_deg under t (the
 * thresholds are in degrees of looking down; the head makes head_share of
 * that, see hs_posture_gaze_delta()). */
static double head_for(const hs_posture_thresholds *t, double look_deg)
{
	return look_deg * t->head_share;
}

/* Thresholds fixed here, so the exact-edge tests do not follow tuning. */
static hs_posture_thresholds fixed(void)
{
	hs_posture_thresholds t = {
		.looking_down_enter_deg = 15,
		.looking_down_exit_deg = 10,
		.head_share = 1, /* the thresholds apply to the head itself */
		.hunched_drop_enter_iod = 0.45,
		.hunched_drop_exit_iod = 0.30,
		.hunched_lean_enter = 1.15,
		.hunched_lean_drop_iod = 0.20,
		.hunched_lean_exit = 1.08,
	};
	return t;
}

static hs_posture_thresholds defaults(void)
{
	hs_posture_thresholds t;
	hs_posture_thresholds_default(&t);
	return t;
}

/* ---- names ----------------------------------------------------------------
 */

static void state_names_round_trip(void **state)
{
	(void)state;
	for (int s = 0; s < HS_STATE_COUNT; s++) {
		const char *name = hs_state_name((hs_state)s);
		assert_non_null(name);
		assert_int_equal(hs_state_from_name(name), s);
		assert_non_null(hs_state_label((hs_state)s));
	}
	assert_string_equal(hs_state_name(HS_STATE_LOOKING_DOWN),
	                    "looking_down");
	assert_string_equal(hs_state_label(HS_STATE_LOOKING_DOWN),
	                    "Looking down");
	assert_null(hs_state_name(HS_STATE_COUNT));
	assert_int_equal(hs_state_from_name("slouching"), -1);
	assert_true(hs_state_is_bad(HS_STATE_HUNCHED));
	assert_true(hs_state_is_bad(HS_STATE_LOOKING_DOWN));
	assert_false(hs_state_is_bad(HS_STATE_AWAY));
	assert_false(hs_state_is_bad(HS_STATE_UNCALIBRATED));
}

/* ---- features
 * ----------------------------------------------------------------- */

static void features_measure_against_the_baseline(void **state)
{
	(void)state;
	hs_baseline b = baseline();
	hs_face f = face_at(330, 230, 72); /* 30 px lower, 20% larger */
	hs_pose p = { .pitch_down_deg = 25,
		      .yaw_deg = 3,
		      .roll_deg = -4,
		      .has_pitch = true };
	hs_features out;
	assert_int_equal(hs_posture_features(&b, &f, &p, &out), 0);
	assert_true(out.has_pitch);
	/* 25 - 5, but after un-rolling the baseline's 1 degree of roll
	 * (hs_posture_pitch_delta): a few hundredths off for a head turned
	 * 3 degrees. */
	assert_near(out.pitch_delta_deg, 20.0, 0.1);
	assert_near(out.drop_iod, 0.5, 1e-6);   /* 30 px / 60 px */
	assert_near(out.lean_ratio, 1.2, 1e-6); /* 72 / 60 */
	/* the eye line's slant against the baseline's, as the baseline
	 * measures roll: -4 - 1 for a face square to the camera, a little
	 * less here, nodded 25 and turned 3 degrees */
	assert_near(out.roll_deg, hs_pose_eye_line_deg(&p) - 1.0, 1e-9);
	assert_near(out.roll_deg, -5.0, 0.5);

	/* Eyes higher than calibrated: a negative drop. */
	f = face_at(320, 170, 60);
	assert_int_equal(hs_posture_features(&b, &f, &p, &out), 0);
	assert_near(out.drop_iod, -0.5, 1e-6);
	assert_near(out.lean_ratio, 1.0, 1e-6);
}

/* A webcam clipped on crookedly: calibrated on it, a head that turns to a
 * second screen and looks down there must read the same pitch delta as
 * before a level camera.  Split in the tilted camera's frame, a 30 degree
 * turn under a 10 degree tilt made 5 degrees of pitch, which missed looks
 * down on one side and flagged level looks on the other. */
static void a_tilted_camera_leaves_the_pitch_delta_alone(void **state)
{
	(void)state;
	/* Calibrated facing the screen, the camera a little to one side. */
	const hs_pose upright = { .pitch_down_deg = 2,
		                  .yaw_deg = 15,
		                  .has_pitch = true };
	const double tilts[] = { 0, -10, -5, 5, 10 };
	double level_delta[2][4] = { { 0 } };
	for (size_t k = 0; k < sizeof tilts / sizeof tilts[0]; k++) {
		hs_calib_sample cal[5];
		for (int i = 0; i < 5; i++) {
			cal[i] = (hs_calib_sample){
				.face = face_at(320, 200, 60), .has_pose = true
			};
			hs_test_pose_tilted(&upright, tilts[k], &cal[i].pose);
		}
		hs_baseline b;
		char why[256] = "";
		assert_int_equal(hs_calibration_from_samples(
		                         cal, 5, 640, 480, &b, why, sizeof why),
		                 0);
		for (int d = 0; d < 2; d++)
			for (int t = 0; t < 4; t++) {
				/* A look 20 degrees further down, or level,
				 * with the head turned to either side. */
				const double yaws[] = { -45, -30, 30, 45 };
				const hs_pose head = {
					.pitch_down_deg = d ? 22 : 2,
					.yaw_deg = yaws[t],
					.has_pitch = true,
				};
				hs_pose seen;
				hs_test_pose_tilted(&head, tilts[k], &seen);
				const hs_face f = face_at(320, 200, 60);
				hs_features out;
				assert_int_equal(hs_posture_features(
				                         &b, &f, &seen, &out),
				                 0);
				assert_true(out.has_pitch);
				if (k == 0)
					level_delta[d][t] = out.pitch_delta_deg;
				else if (fabs(out.pitch_delta_deg -
				              level_delta[d][t]) > 0.5)
					fail_msg(
					        "camera tilted %g, head turned "
					        "%g: pitch delta %.2f, level "
					        "camera %.2f",
					        tilts[k], yaws[t],
					        out.pitch_delta_deg,
					        level_delta[d][t]);
			}
	}
	/* And the level camera reads what the head did. */
	for (int t = 0; t < 4; t++) {
		assert_near(level_delta[0][t], 0, 1e-6);
		assert_near(level_delta[1][t], 20, 1e-6);
	}
}

static void iod_is_the_distance_between_the_eyes(void **state)
{
	(void)state;
	hs_face f = face_at(0, 0, 0);
	f.kp[HS_KP_RIGHT_EYE] = (hs_point){ 100, 100 };
	f.kp[HS_KP_LEFT_EYE] = (hs_point){ 130, 140 }; /* tilted: 3-4-5 */
	double mx, my, iod;
	assert_int_equal(hs_posture_eye_geometry(&f, NULL, &mx, &my, &iod), 0);
	assert_near(iod, 50.0, 1e-9);
	assert_near(mx, 115.0, 1e-9);
	assert_near(my, 120.0, 1e-9);
}

static void no_pitch_without_a_pitch_on_both_sides(void **state)
{
	(void)state;
	hs_baseline b = baseline();
	hs_face f = face_at(320, 200, 60);
	hs_pose haar = { .roll_deg = 3, .has_pitch = false };
	hs_features out;
	assert_int_equal(hs_posture_features(&b, &f, &haar, &out), 0);
	assert_false(out.has_pitch);
	assert_near(out.roll_deg, 2.0, 1e-9);

	assert_int_equal(hs_posture_features(&b, &f, NULL, &out), 0);
	assert_false(out.has_pitch);
	assert_near(out.roll_deg, 0.0, 1e-9);

	hs_pose p = { .pitch_down_deg = 30, .has_pitch = true };
	b.has_pitch = false; /* calibrated with the Haar fallback */
	assert_int_equal(hs_posture_features(&b, &f, &p, &out), 0);
	assert_false(out.has_pitch);
}

static void a_face_without_eyes_is_measured_by_its_box(void **state)
{
	(void)state;
	hs_baseline b = baseline(); /* box 260,150 120x140; eyes 320,200 */
	hs_face f = { .found = true, .box = { 260, 150, 120, 140 } };
	hs_features out;
	/* Same box as at calibration: no drop, no lean. */
	assert_int_equal(hs_posture_features(&b, &f, NULL, &out), 0);
	assert_near(out.drop_iod, 0.0, 1e-6);
	assert_near(out.lean_ratio, 1.0, 1e-6);
	/* Box 30 px lower: a drop of half an IOD. */
	f.box[1] = 180;
	assert_int_equal(hs_posture_features(&b, &f, NULL, &out), 0);
	assert_near(out.drop_iod, 0.5, 1e-6);

	hs_features before = feat(1, 2, 3);
	out = before;
	hs_face nothing = { .found = true };
	assert_int_equal(hs_posture_features(&b, &nothing, NULL, &out),
	                 HS_EINVAL);
	assert_memory_equal(&out, &before, sizeof out);

	hs_baseline broken = baseline();
	broken.iod_px = 0;
	assert_int_equal(hs_posture_features(&broken, &f, NULL, &out),
	                 HS_EINVAL);
}

/* ---- smoothing
 * ---------------------------------------------------------------- */

static void one_noisy_frame_does_not_move_the_median(void **state)
{
	(void)state;
	hs_smoother s;
	hs_smoother_init(&s, 3.0);
	hs_features out;
	assert_int_equal(hs_smoother_get(&s, &out), HS_SMOOTHED_EMPTY);
	for (int i = 0; i < 6; i++) {
		hs_features f = feat(2, 0.1, 1.0);
		if (i == 3)
			f = feat(40, 2.0, 1.6); /* one wild frame */
		hs_smoother_push(&s, i * 0.5, &f);
	}
	assert_int_equal(hs_smoother_get(&s, &out), HS_SMOOTHED_FACE);
	assert_near(out.pitch_delta_deg, 2.0, 1e-9);
	assert_near(out.drop_iod, 0.1, 1e-9);
	assert_near(out.lean_ratio, 1.0, 1e-9);
	assert_true(out.has_pitch);
}

static void old_samples_leave_the_window(void **state)
{
	(void)state;
	hs_smoother s;
	hs_smoother_init(&s, 2.0);
	hs_features up = feat(0, 0, 1), down = feat(30, 0.8, 1);
	for (int i = 0; i <= 10; i++)
		hs_smoother_push(&s, i, &up);
	for (int i = 11; i <= 13; i++)
		hs_smoother_push(&s, i, &down);
	/* Window [11, 13]: only the three "down" samples. */
	hs_features out;
	assert_int_equal(hs_smoother_get(&s, &out), HS_SMOOTHED_FACE);
	assert_near(out.pitch_delta_deg, 30.0, 1e-9);

	/* The edge is inclusive: at t = 14 the window is [12, 14]. */
	hs_smoother_push(&s, 14, &up);
	hs_smoother_push(&s, 14, &up);
	assert_int_equal(hs_smoother_get(&s, &out), HS_SMOOTHED_FACE);
	/* 12, 13 down; 14, 14 up: median of {0, 0, 30, 30} = 15 */
	assert_near(out.pitch_delta_deg, 15.0, 1e-9);
}

static void away_needs_most_of_the_window(void **state)
{
	(void)state;
	hs_smoother s;
	hs_smoother_init(&s, 3.0);
	hs_features f = feat(0, 0, 1), out;
	hs_smoother_push(&s, 0, &f);
	hs_smoother_push(&s, 1, NULL);
	assert_int_equal(hs_smoother_get(&s, &out), HS_SMOOTHED_FACE);
	hs_smoother_push(&s, 2, NULL);
	assert_int_equal(hs_smoother_get(&s, &out), HS_SMOOTHED_AWAY);
	hs_smoother_push(&s, 3, &f);
	/* 2 faces, 2 misses: half is not most. */
	assert_int_equal(hs_smoother_get(&s, &out), HS_SMOOTHED_FACE);
	hs_smoother_reset(&s);
	assert_int_equal(hs_smoother_get(&s, &out), HS_SMOOTHED_EMPTY);
}

static void pitch_is_smoothed_over_the_frames_that_have_it(void **state)
{
	(void)state;
	hs_smoother s;
	hs_smoother_init(&s, 10.0);
	hs_features with = feat(20, 0.1, 1), without = feat(0, 0.1, 1), out;
	without.has_pitch = false;
	hs_smoother_push(&s, 0, &with);
	hs_smoother_push(&s, 1, &without);
	hs_smoother_push(&s, 2, &without);
	assert_int_equal(hs_smoother_get(&s, &out), HS_SMOOTHED_FACE);
	assert_false(out.has_pitch); /* 1 of 3 */
	hs_smoother_push(&s, 3, &with);
	assert_int_equal(hs_smoother_get(&s, &out), HS_SMOOTHED_FACE);
	assert_true(out.has_pitch); /* 2 of 4 */
	assert_near(out.pitch_delta_deg, 20.0, 1e-9);
}

static void late_and_broken_samples_are_ignored(void **state)
{
	(void)state;
	hs_smoother s;
	hs_smoother_init(&s, 1.0);
	hs_features up = feat(0, 0, 1), down = feat(30, 1, 1), out;
	hs_smoother_push(&s, 10, &up);
	hs_smoother_push(&s, 5, &down); /* from the past */
	hs_smoother_push(&s, NAN, &down);
	hs_features bad = feat(NAN, 0, 1);
	hs_smoother_push(&s, 10.5, &bad);
	assert_int_equal(s.count, 1);
	assert_int_equal(hs_smoother_get(&s, &out), HS_SMOOTHED_FACE);
	assert_near(out.pitch_delta_deg, 0.0, 1e-9);
}

static void the_ring_keeps_the_newest_samples(void **state)
{
	(void)state;
	static hs_smoother s; /* large: keep it off the stack */
	hs_smoother_init(&s, 1e6);
	for (int i = 0; i < 3 * HS_SMOOTHER_CAP; i++) {
		hs_features f = feat(i, 0, 1);
		hs_smoother_push(&s, i, &f);
	}
	assert_int_equal(s.count, HS_SMOOTHER_CAP);
	hs_features out;
	assert_int_equal(hs_smoother_get(&s, &out), HS_SMOOTHED_FACE);
	/* the last CAP values: 2*CAP .. 3*CAP-1 */
	assert_near(out.pitch_delta_deg,
	            2 * HS_SMOOTHER_CAP + (HS_SMOOTHER_CAP - 1) / 2.0, 1e-9);
}

/* ---- thresholds
 * ----------------------------------------------------------------- */

static void default_thresholds_are_the_settings_defaults(void **state)
{
	(void)state;
	hs_config cfg;
	hs_config_defaults(&cfg);
	hs_posture_thresholds from_cfg, def = defaults();
	hs_posture_thresholds_from_config(&cfg, &from_cfg);
	assert_memory_equal(&from_cfg, &def, sizeof def);
	assert_near(def.looking_down_enter_deg, 15.0, 1e-9);
	assert_near(def.looking_down_exit_deg, 10.0, 1e-9);
	assert_near(def.head_share, 0.6, 1e-9);
	/* A look of 15 degrees is a head change of 9 under the defaults. */
	hs_features f = feat(9, 0, 1);
	assert_near(hs_posture_gaze_delta(&def, &f), 15.0, 1e-9);
	char why[300];
	assert_int_equal(hs_config_check(&cfg, why, sizeof why), 0);

	/* The thresholds are checked once, by the config they come from: an
	 * exit above its enter would make the state flicker. */
	cfg.hunched_drop_exit_iod = 0.8;
	cfg.hunched_drop_enter_iod = 0.5;
	hs_posture_thresholds_from_config(&cfg, &from_cfg);
	assert_near(from_cfg.hunched_drop_exit_iod, 0.8, 1e-9);
	assert_int_equal(hs_config_check(&cfg, why, sizeof why), HS_ECONFIG);
	assert_non_null(strstr(why, "hunched_drop_exit_iod"));

	/* A head share of 0 would make every nod a look at the floor. */
	hs_config_defaults(&cfg);
	assert_int_equal(hs_config_set(&cfg, "posture.head_share", "0.1", why,
	                               sizeof why),
	                 HS_ECONFIG);
	assert_non_null(strstr(why, "head_share"));
}

/* ---- states -----------------------------------------------------------------
 */

static void single_frame_rules(void **state)
{
	(void)state;
	hs_posture_thresholds t = defaults();
	hs_features f;
	assert_int_equal(hs_posture_classify(&t, NULL), HS_STATE_AWAY);

	f = feat(head_for(&t, t.looking_down_enter_deg), 0, 1);
	assert_int_equal(hs_posture_classify(&t, &f), HS_STATE_LOOKING_DOWN);
	f = feat(head_for(&t, t.looking_down_enter_deg - 0.01), 0, 1);
	assert_int_equal(hs_posture_classify(&t, &f), HS_STATE_UPRIGHT);

	f = feat(0, t.hunched_drop_enter_iod, 1);
	assert_int_equal(hs_posture_classify(&t, &f), HS_STATE_HUNCHED);
	f = feat(0, t.hunched_drop_enter_iod - 0.01, 1);
	assert_int_equal(hs_posture_classify(&t, &f), HS_STATE_UPRIGHT);

	/* Leaning in with some drop is hunched; leaning in alone is not. */
	f = feat(0, t.hunched_lean_drop_iod, t.hunched_lean_enter);
	assert_int_equal(hs_posture_classify(&t, &f), HS_STATE_HUNCHED);
	f = feat(0, t.hunched_lean_drop_iod - 0.01, t.hunched_lean_enter + 1);
	assert_int_equal(hs_posture_classify(&t, &f), HS_STATE_UPRIGHT);
	f = feat(0, t.hunched_lean_drop_iod, t.hunched_lean_enter - 0.01);
	assert_int_equal(hs_posture_classify(&t, &f), HS_STATE_UPRIGHT);

	/* Head up (negative pitch and drop) is upright. */
	f = feat(-30, -0.8, 1);
	assert_int_equal(hs_posture_classify(&t, &f), HS_STATE_UPRIGHT);
}

static void a_lowered_head_reads_looking_down_not_hunched(void **state)
{
	(void)state;
	hs_posture_thresholds t = defaults();
	/* Pointing'04 at pitch 30 and 60: the eyes drop a lot too. */
	hs_features f = feat(30, 0.9, 0.95);
	assert_int_equal(hs_posture_classify(&t, &f), HS_STATE_LOOKING_DOWN);
	f = feat(60, 1.6, 1.2);
	assert_int_equal(hs_posture_classify(&t, &f), HS_STATE_LOOKING_DOWN);

	hs_posture_classifier c;
	hs_posture_classifier_init(&c, &t);
	f = feat(30, 0.9, 0.95);
	assert_int_equal(hs_posture_classifier_update(&c, true, &f),
	                 HS_STATE_LOOKING_DOWN);
}

static void without_pitch_a_drop_reads_hunched(void **state)
{
	(void)state;
	hs_posture_thresholds t = defaults();
	hs_features f = feat(40, 0.9, 1);
	f.has_pitch = false; /* Haar fallback */
	assert_int_equal(hs_posture_classify(&t, &f), HS_STATE_HUNCHED);
	f.drop_iod = 0;
	assert_int_equal(hs_posture_classify(&t, &f), HS_STATE_UPRIGHT);
}

static void states_hold_until_their_exit_threshold(void **state)
{
	(void)state;
	hs_posture_thresholds t = fixed();
	hs_posture_classifier c;
	hs_posture_classifier_init(&c, &t);
	assert_int_equal(c.state, HS_STATE_UNCALIBRATED);
	hs_features f;

	struct step {
		double pitch, drop, lean;
		hs_state want;
	} steps[] = {
		{ 12, 0, 1, HS_STATE_UPRIGHT },        /* below enter */
		{ 15, 0, 1, HS_STATE_LOOKING_DOWN },   /* at enter */
		{ 12, 0, 1, HS_STATE_LOOKING_DOWN },   /* between: holds */
		{ 10, 0, 1, HS_STATE_LOOKING_DOWN },   /* at exit: holds */
		{ 9.9, 0, 1, HS_STATE_UPRIGHT },       /* below exit */
		{ 12, 0, 1, HS_STATE_UPRIGHT },        /* needs enter again */
		{ 0, 0.45, 1, HS_STATE_HUNCHED },      /* drop at enter */
		{ 0, 0.35, 1, HS_STATE_HUNCHED },      /* between: holds */
		{ 0, 0.30, 1, HS_STATE_HUNCHED },      /* at exit: holds */
		{ 0, 0.29, 1, HS_STATE_UPRIGHT },      /* below exit */
		{ 0, 0.35, 1, HS_STATE_UPRIGHT },      /* needs enter again */
		{ 20, 0.6, 1, HS_STATE_LOOKING_DOWN }, /* pitch wins */
		{ 5, 0.6, 1, HS_STATE_HUNCHED }, /* pitch gone, drop left */
		{ 20, 0.6, 1, HS_STATE_LOOKING_DOWN },
	};
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
		f = feat(steps[i].pitch, steps[i].drop, steps[i].lean);
		hs_state got = hs_posture_classifier_update(&c, true, &f);
		if (got != steps[i].want)
			fail_msg("step %zu: got %s, want %s", i,
			         hs_state_name(got),
			         hs_state_name(steps[i].want));
	}
}

static void hunched_by_lean_holds_until_the_lean_exit(void **state)
{
	(void)state;
	hs_posture_thresholds t = defaults();
	hs_posture_classifier c;
	hs_posture_classifier_init(&c, &t);
	double ease = t.hunched_drop_exit_iod / t.hunched_drop_enter_iod;
	double lean_drop_exit = t.hunched_lean_drop_iod * ease;
	hs_features f = feat(0, t.hunched_lean_drop_iod, t.hunched_lean_enter);
	assert_int_equal(hs_posture_classifier_update(&c, true, &f),
	                 HS_STATE_HUNCHED);
	f = feat(0, lean_drop_exit, t.hunched_lean_exit);
	assert_int_equal(hs_posture_classifier_update(&c, true, &f),
	                 HS_STATE_HUNCHED);
	f = feat(0, lean_drop_exit, t.hunched_lean_exit - 0.01);
	assert_int_equal(hs_posture_classifier_update(&c, true, &f),
	                 HS_STATE_UPRIGHT);

	assert_int_equal(
	        hs_posture_classifier_update(
	                &c, true,
	                &(hs_features){ .drop_iod = t.hunched_lean_drop_iod,
	                                .lean_ratio = t.hunched_lean_enter }),
	        HS_STATE_HUNCHED);
	f = feat(0, lean_drop_exit - 0.01, t.hunched_lean_enter);
	assert_int_equal(hs_posture_classifier_update(&c, true, &f),
	                 HS_STATE_UPRIGHT);
}

static void away_and_uncalibrated_win_and_reset_hysteresis(void **state)
{
	(void)state;
	hs_posture_thresholds t = defaults();
	hs_posture_classifier c;
	hs_posture_classifier_init(&c, &t);
	hs_features down = feat(head_for(&t, 30), 1, 1),
	            mid = feat(head_for(&t, 12), 0, 1);
	assert_int_equal(hs_posture_classifier_update(&c, false, &down),
	                 HS_STATE_UNCALIBRATED);
	assert_int_equal(hs_posture_classifier_update(&c, true, &down),
	                 HS_STATE_LOOKING_DOWN);
	assert_int_equal(hs_posture_classifier_update(&c, true, NULL),
	                 HS_STATE_AWAY);
	/* Back after away: 12 degrees is below enter, so upright. */
	assert_int_equal(hs_posture_classifier_update(&c, true, &mid),
	                 HS_STATE_UPRIGHT);
	assert_int_equal(hs_posture_classifier_update(&c, false, NULL),
	                 HS_STATE_UNCALIBRATED);
}

/* ---- on real faces ------------------------------------------------------ */

/* Analyse one fixture image into a calibration sample; false when the
 * file cannot be read. */
static bool sample_of(hs_analyzer *az, hs_image *img, const char *path,
                      hs_calib_sample *out, int *w, int *h)
{
	hs_analysis an;
	if (hs_image_load(img, path) < 0 || hs_analyzer_run(az, img, &an) < 0)
		return false;
	out->face = an.face;
	out->pose = an.pose;
	out->has_pose = an.has_pose;
	*w = an.frame_w;
	*h = an.frame_h;
	return true;
}

static hs_state classify_file(hs_analyzer *az, hs_image *img,
                              const hs_baseline *b, const char *path)
{
	hs_calib_sample s;
	int w, h;
	assert_true(sample_of(az, img, path, &s, &w, &h));
	hs_posture_thresholds th;
	hs_posture_thresholds_default(&th);
	hs_features f;
	if (!s.face.found ||
	    hs_posture_features(b, &s.face, s.has_pose ? &s.pose : NULL, &f) <
	            0)
		return hs_posture_classify(&th, NULL);
	return hs_posture_classify(&th, &f);
}

/* The hunched thresholds (config.h) against the desk photos: calibrated on
 * class 3 (upright), classes 0 and 1 read hunched and classes 2 to 5 do
 * not. */
static void desk_photos_read_hunched_only_for_forward_heads(void **state)
{
	(void)state;
	char dir[4096], path[4200];
	if (!hs_test_fixture("desk/neck", dir, sizeof dir))
		skip();
	hs_analyzer *az = NULL;
	hs_image *img = NULL;
	assert_int_equal(hs_analyzer_create(NULL, 60, &az), 0);
	assert_int_equal(hs_image_create(&img), 0);
	hs_calib_sample cal[16];
	size_t n = 0;
	int w = 0, h = 0;
	for (int i = 0; i <= 50 && n < 16; i += 5) {
		snprintf(path, sizeof path, "%s/class3_%03d.jpg", dir, i);
		if (sample_of(az, img, path, &cal[n], &w, &h))
			n++;
	}
	assert_true(n >= 5);
	hs_baseline b;
	char why[256];
	assert_int_equal(
	        hs_calibration_from_samples(cal, n, w, h, &b, why, sizeof why),
	        0);
	int checked = 0;
	for (int cls = 0; cls <= 5; cls++) {
		for (int i = 0; i <= 50; i += 5) {
			snprintf(path, sizeof path, "%s/class%d_%03d.jpg", dir,
			         cls, i);
			FILE *f = fopen(path, "rb");
			if (!f)
				continue;
			fclose(f);
			hs_state st = classify_file(az, img, &b, path);
			bool want_hunched = cls <= 1;
			if ((st == HS_STATE_HUNCHED) != want_hunched)
				fail_msg("%s reads %s", path,
				         hs_state_name(st));
			checked++;
		}
	}
	assert_true(checked >= 50);
	hs_image_destroy(img);
	hs_analyzer_destroy(az);
}

/* Pointing'04 with each series' frontal image as the baseline: a head
 * lowered 30 degrees or more never reads hunched (the pitch rule comes
 * first), and nearly always reads looking_down.  The README gives the
 * measured rate (101 of 110); the bound here leaves room for other
 * builds of OpenCV. */
static void lowered_heads_read_looking_down_not_hunched(void **state)
{
	(void)state;
	char labels[4096], root[4096], path[8192], line[512];
	if (!hs_test_fixture("headpose/pointing04/labels.csv", labels,
	                     sizeof labels) ||
	    !hs_test_fixture("headpose/pointing04", root, sizeof root))
		skip();
	hs_analyzer *az = NULL;
	hs_image *img = NULL;
	assert_int_equal(hs_analyzer_create(NULL, 60, &az), 0);
	assert_int_equal(hs_image_create(&img), 0);
	int total = 0, down = 0, hunched = 0;
	for (int person = 1; person <= 5; person++) {
		for (int series = 1; series <= 2; series++) {
			FILE *f = fopen(labels, "r");
			assert_non_null(f);
			char base[256] = "";
			char lowered[16][256];
			int n_low = 0;
			while (fgets(line, sizeof line, f)) {
				char file[256];
				int p, s, pitch, pan;
				if (sscanf(line, "%255[^,],%d,%d,%d,%d", file,
				           &p, &s, &pitch, &pan) != 5 ||
				    p != person || s != series)
					continue;
				if (pitch == 0 && pan == 0)
					snprintf(base, sizeof base, "%s", file);
				else if (pitch >= 30 && abs(pan) <= 30 &&
				         n_low < 16)
					snprintf(lowered[n_low++],
					         sizeof lowered[0], "%s", file);
			}
			fclose(f);
			assert_true(base[0] != '\0');
			hs_calib_sample cal;
			int w = 0, h = 0;
			snprintf(path, sizeof path, "%s/%s", root, base);
			assert_true(sample_of(az, img, path, &cal, &w, &h));
			hs_baseline b;
			char why[256];
			assert_int_equal(
			        hs_calibration_from_samples(&cal, 1, w, h, &b,
			                                    why, sizeof why),
			        0);
			for (int i = 0; i < n_low; i++) {
				snprintf(path, sizeof path, "%s/%s", root,
				         lowered[i]);
				hs_state st = classify_file(az, img, &b, path);
				total++;
				down += st == HS_STATE_LOOKING_DOWN;
				hunched += st == HS_STATE_HUNCHED;
			}
		}
	}
	print_message("lowered heads: %d of %d read looking_down, %d hunched\n",
	              down, total, hunched);
	assert_int_equal(total, 110);
	/* One frame reads hunched: person 5's first series, which hardly
	 * lowers the head, at a look 60 degrees down turned 30 to the side.
	 * Its head sat tilted 6 degrees while calibrating, which the pitch
	 * delta takes for a tilted camera (hs_posture_pitch_delta), so the
	 * turn costs it 2 of its 10.6 degrees and the drop rule takes over.
	 * It still alerts. */
	assert_true(hunched <= 1);
	assert_true(down >= 88); /* 80%; measured 100 of 110 */
	hs_image_destroy(img);
	hs_analyzer_destroy(az);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(state_names_round_trip),
		cmocka_unit_test(features_measure_against_the_baseline),
		cmocka_unit_test(a_tilted_camera_leaves_the_pitch_delta_alone),
		cmocka_unit_test(iod_is_the_distance_between_the_eyes),
		cmocka_unit_test(no_pitch_without_a_pitch_on_both_sides),
		cmocka_unit_test(a_face_without_eyes_is_measured_by_its_box),
		cmocka_unit_test(one_noisy_frame_does_not_move_the_median),
		cmocka_unit_test(old_samples_leave_the_window),
		cmocka_unit_test(away_needs_most_of_the_window),
		cmocka_unit_test(
		        pitch_is_smoothed_over_the_frames_that_have_it),
		cmocka_unit_test(late_and_broken_samples_are_ignored),
		cmocka_unit_test(the_ring_keeps_the_newest_samples),
		cmocka_unit_test(default_thresholds_are_the_settings_defaults),
		cmocka_unit_test(single_frame_rules),
		cmocka_unit_test(a_lowered_head_reads_looking_down_not_hunched),
		cmocka_unit_test(without_pitch_a_drop_reads_hunched),
		cmocka_unit_test(states_hold_until_their_exit_threshold),
		cmocka_unit_test(hunched_by_lean_holds_until_the_lean_exit),
		cmocka_unit_test(
		        away_and_uncalibrated_win_and_reset_hysteresis),
		cmocka_unit_test(
		        desk_photos_read_hunched_only_for_forward_heads),
		cmocka_unit_test(lowered_heads_read_looking_down_not_hunched),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
