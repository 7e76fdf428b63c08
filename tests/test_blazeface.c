/* test_blazeface.c - anchors, decoding, blending and the letterbox mapping
 * of the BlazeFace output, on synthetic tensors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "headsup/blazeface.h"

/* cmocka's assert_float_equal() works in float; compare in double. */
#define assert_near(a, b, eps) \
	assert_true(fabs((double)(a) - (double)(b)) <= (eps))

static float anchors[HS_BF_ANCHORS][2];
static float scores[HS_BF_ANCHORS];
static float regs[HS_BF_ANCHORS * HS_BF_REGS];

static int setup(void **state)
{
	(void)state;
	hs_blazeface_anchors(anchors);
	for (int i = 0; i < HS_BF_ANCHORS; i++)
		scores[i] = -20.f; /* nobody */
	memset(regs, 0, sizeof regs);
	return 0;
}

/* 16x16 cells x 2 anchors at stride 8, then 8x8 cells x 6 at stride 16,
 * row by row, each at its cell's centre. */
static void anchors_follow_the_model_layout(void **state)
{
	(void)state;
	assert_int_equal(HS_BF_ANCHORS, 16 * 16 * 2 + 8 * 8 * 6);
	/* First cell of the stride-8 layer: two anchors at (4, 4). */
	assert_near(anchors[0][0], 4, 1e-6);
	assert_near(anchors[0][1], 4, 1e-6);
	assert_near(anchors[1][0], 4, 1e-6);
	/* Next cell to the right, then the first cell of the next row. */
	assert_near(anchors[2][0], 12, 1e-6);
	assert_near(anchors[2][1], 4, 1e-6);
	assert_near(anchors[32][0], 4, 1e-6);
	assert_near(anchors[32][1], 12, 1e-6);
	/* Last stride-8 anchor, first and last stride-16 ones. */
	assert_near(anchors[511][0], 124, 1e-6);
	assert_near(anchors[511][1], 124, 1e-6);
	for (int a = 512; a < 518; a++) {
		assert_near(anchors[a][0], 8, 1e-6);
		assert_near(anchors[a][1], 8, 1e-6);
	}
	assert_near(anchors[518][0], 24, 1e-6);
	assert_near(anchors[895][0], 120, 1e-6);
	assert_near(anchors[895][1], 120, 1e-6);
}

/* Put a face on anchor i: logit, box offset and size, keypoints around
 * the box centre. */
static void plant(int i, float logit, float dx, float dy, float w, float h)
{
	scores[i] = logit;
	float *r = regs + (size_t)i * HS_BF_REGS;
	r[0] = dx;
	r[1] = dy;
	r[2] = w;
	r[3] = h;
	static const float kp[HS_KP_COUNT][2] = {
		{ -8, -6 }, { 8, -6 },   { 0, 2 },
		{ 0, 10 },  { -18, -2 }, { 18, -2 },
	};
	for (int k = 0; k < HS_KP_COUNT; k++) {
		r[4 + 2 * k] = dx + kp[k][0];
		r[5 + 2 * k] = dy + kp[k][1];
	}
}

static void decode_places_a_strong_anchor(void **state)
{
	(void)state;
	/* Stride-16 layer, cell (x 3, y 2), third anchor: centre (56, 40). */
	const int i = 512 + (2 * 8 + 3) * 6 + 2;
	plant(i, 6.f, 1.5f, -2.f, 40.f, 44.f);
	hs_bf_detection d[8];
	int n = hs_blazeface_decode(scores, regs, (const float(*)[2])anchors,
	                            HS_BF_ANCHORS, 0.5f, d, 8);
	assert_int_equal(n, 1);
	assert_near(d[0].score, 1.0 / (1.0 + exp(-6.0)), 1e-5);
	assert_near(d[0].cx, 57.5, 1e-4);
	assert_near(d[0].cy, 38, 1e-4);
	assert_near(d[0].w, 40, 1e-4);
	assert_near(d[0].h, 44, 1e-4);
	/* Right eye left of the left eye, nose below the eyes, the mouth
	 * below the nose, the ears outside the eyes. */
	assert_near(d[0].kp[HS_KP_RIGHT_EYE][0], 49.5, 1e-4);
	assert_near(d[0].kp[HS_KP_RIGHT_EYE][1], 32, 1e-4);
	assert_near(d[0].kp[HS_KP_LEFT_EYE][0], 65.5, 1e-4);
	assert_near(d[0].kp[HS_KP_MOUTH][1], 48, 1e-4);
	assert_near(d[0].kp[HS_KP_LEFT_EAR][0], 75.5, 1e-4);
}

static void decode_applies_the_sigmoid_threshold(void **state)
{
	(void)state;
	plant(10, -0.1f, 0, 0, 10, 10); /* 0.475: below 0.5 */
	plant(20, 0.1f, 0, 0, 10, 10);  /* 0.525: kept */
	plant(30, 1e30f, 0, 0, 10, 10); /* huge logit: score 1, no NaN */
	hs_bf_detection d[8];
	int n = hs_blazeface_decode(scores, regs, (const float(*)[2])anchors,
	                            HS_BF_ANCHORS, 0.5f, d, 8);
	assert_int_equal(n, 2);
	assert_near(d[0].score, 1.0 / (1.0 + exp(-0.1)), 1e-5);
	assert_near(d[1].score, 1.0, 1e-6);
	/* The capacity is respected. */
	n = hs_blazeface_decode(scores, regs, (const float(*)[2])anchors,
	                        HS_BF_ANCHORS, 0.5f, d, 1);
	assert_int_equal(n, 1);
}

static hs_bf_detection det(float score, float cx, float cy, float side)
{
	hs_bf_detection d;
	memset(&d, 0, sizeof d);
	d.score = score;
	d.cx = cx;
	d.cy = cy;
	d.w = d.h = side;
	for (int k = 0; k < HS_KP_COUNT; k++) {
		d.kp[k][0] = cx + (float)k;
		d.kp[k][1] = cy - (float)k;
	}
	return d;
}

static void blend_is_the_score_weighted_mean(void **state)
{
	(void)state;
	hs_bf_detection in[2] = { det(0.6f, 50, 50, 40),
		                  det(0.9f, 54, 48, 44) };
	in[0].h = 36; /* wider than tall */
	in[1].h = 60; /* taller than wide */
	hs_bf_detection out[2];
	assert_true(hs_blazeface_iou(&in[0], &in[1]) > 0.3f);
	int n = hs_blazeface_blend(in, 2, 0.3f, out, 2);
	assert_int_equal(n, 1);
	assert_near(out[0].score, 0.9, 1e-6); /* the best score */
	assert_near(out[0].cx, (0.6 * 50 + 0.9 * 54) / 1.5, 1e-4);
	assert_near(out[0].cy, (0.6 * 50 + 0.9 * 48) / 1.5, 1e-4);
	assert_near(out[0].w, (0.6 * 40 + 0.9 * 44) / 1.5, 1e-4);
	assert_near(out[0].h, (0.6 * 36 + 0.9 * 60) / 1.5, 1e-4);
	assert_near(out[0].kp[HS_KP_NOSE][0], (0.6 * 52 + 0.9 * 56) / 1.5,
	            1e-4);
}

static void blend_keeps_separate_faces_apart(void **state)
{
	(void)state;
	hs_bf_detection in[3] = { det(0.7f, 20, 20, 16), det(0.95f, 90, 90, 30),
		                  det(0.8f, 21, 20, 16) };
	hs_bf_detection out[3];
	assert_near(hs_blazeface_iou(&in[0], &in[1]), 0, 1e-6);
	int n = hs_blazeface_blend(in, 3, 0.3f, out, 3);
	assert_int_equal(n, 2);
	/* Best first; the two small ones merged, the big one untouched. */
	assert_near(out[0].score, 0.95, 1e-6);
	assert_near(out[0].cx, 90, 1e-4);
	assert_near(out[1].score, 0.8, 1e-6);
	assert_near(out[1].cx, (0.7 * 20 + 0.8 * 21) / 1.5, 1e-4);
}

/* A 640x480 frame letterboxed into 128x128: scale 5, 16 input pixels of
 * padding above (80 frame pixels). */
static void letterbox_maps_back_to_frame_pixels(void **state)
{
	(void)state;
	const hs_letterbox lb = { .scale = 5.f, .pad_x = 0.f, .pad_y = 80.f };
	/* A face taller than wide: 16 x 24 input pixels, 80 x 120 in the
	 * frame. */
	hs_bf_detection d = det(0.9f, 64, 40, 20);
	d.w = 16;
	d.h = 24;
	hs_face f;
	hs_blazeface_to_face(&d, &lb, &f);
	assert_true(f.found);
	assert_string_equal(f.detector, "blazeface");
	assert_int_equal(f.kp_valid, HS_KP_ALL);
	assert_near(f.score, 0.9, 1e-6);
	assert_near(f.box[0], (64 - 8) * 5, 1e-3);
	assert_near(f.box[1], (40 - 12) * 5 - 80, 1e-3);
	assert_near(f.box[2], 80, 1e-3);
	assert_near(f.box[3], 120, 1e-3);
	assert_near(f.kp[HS_KP_NOSE].x, (64 + 2) * 5, 1e-3);
	assert_near(f.kp[HS_KP_NOSE].y, (40 - 2) * 5 - 80, 1e-3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(anchors_follow_the_model_layout, setup),
		cmocka_unit_test_setup(decode_places_a_strong_anchor, setup),
		cmocka_unit_test_setup(decode_applies_the_sigmoid_threshold,
		                       setup),
		cmocka_unit_test(blend_is_the_score_weighted_mean),
		cmocka_unit_test(blend_keeps_separate_faces_apart),
		cmocka_unit_test(letterbox_maps_back_to_frame_pixels),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
