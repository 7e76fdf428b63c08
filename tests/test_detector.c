/* test_detector.c - the face detector on real fixture images, and its
 * fallback to the Haar cascades when the model is missing or corrupt. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "headsup/analyzer.h"
#include "headsup/detector.h"
#include "headsup/err.h"
#include "headsup/shim.h"
#include "testutil.h"

#define P04 "headpose/pointing04/person01/"
/* person01 series 1 at pan 0: frontal, 30 degrees down, 30 up.  The
 * dataset's face box of the frontal image: centre (148, 138), 120 x 121. */
#define FRONT P04 "person01146+0+0.jpg"
#define DOWN P04 "person01120-30+0.jpg"
#define UP P04 "person01172+30+0.jpg"

static hs_image *img;
static char tmp[256];

static int group_setup(void **state)
{
	(void)state;
	hs_cv_set_threads(1);
	return hs_image_create(&img);
}

static int group_teardown(void **state)
{
	(void)state;
	hs_image_destroy(img);
	return 0;
}

static void load_or_skip(const char *rel)
{
	char path[PATH_MAX];
	if (!hs_test_fixture(rel, path, sizeof path))
		skip();
	assert_int_equal(hs_image_load(img, path), 0);
}

static void frontal_face_is_found_with_its_keypoints(void **state)
{
	(void)state;
	load_or_skip(FRONT);
	hs_detector *det = NULL;
	assert_int_equal(hs_detector_create(NULL, &det), 0);
	assert_string_equal(hs_detector_name(det), "blazeface");
	hs_face f;
	assert_int_equal(hs_detector_detect(det, img, &f), 0);
	assert_true(f.found);
	assert_true(f.score > 0.5f);
	assert_int_equal(f.kp_valid, HS_KP_ALL);
	const float x0 = 148 - 60, x1 = 148 + 60, y0 = 138 - 60.5f,
	            y1 = 138 + 60.5f;
	for (int k = 0; k < HS_KP_COUNT; k++) {
		/* The tragion lies beside the cheeks: allow a fifth of the
		 * box either side for the ears. */
		const float m = k >= HS_KP_RIGHT_EAR ? 24.f : 0.f;
		if (f.kp[k].x < x0 - m || f.kp[k].x > x1 + m ||
		    f.kp[k].y < y0 || f.kp[k].y > y1)
			fail_msg("%s at (%.1f, %.1f) is outside the face box",
			         hs_keypoint_names[k], (double)f.kp[k].x,
			         (double)f.kp[k].y);
	}
	/* The subject's right eye is on the image's left, above the nose,
	 * which is above the mouth. */
	assert_true(f.kp[HS_KP_RIGHT_EYE].x < f.kp[HS_KP_LEFT_EYE].x);
	assert_true(f.kp[HS_KP_NOSE].y > f.kp[HS_KP_LEFT_EYE].y);
	assert_true(f.kp[HS_KP_MOUTH].y > f.kp[HS_KP_NOSE].y);
	/* The box overlaps the dataset's. */
	assert_true(f.box[0] < x1 && f.box[0] + f.box[2] > x0);
	assert_true(f.box[1] < y1 && f.box[1] + f.box[3] > y0);
	hs_detector_destroy(det);
}

static double pitch_of(hs_analyzer *az, const char *rel)
{
	load_or_skip(rel);
	hs_analysis an;
	assert_int_equal(hs_analyzer_run(az, img, &an), 0);
	assert_true(an.face.found);
	assert_true(an.has_pose && an.pose.has_pitch);
	return an.pose.pitch_down_deg;
}

static void pitch_follows_the_head(void **state)
{
	(void)state;
	char path[4096];
	/* Check first: a skip() after creating the analyzer would leak it. */
	if (!hs_test_fixture(FRONT, path, sizeof path) ||
	    !hs_test_fixture(DOWN, path, sizeof path) ||
	    !hs_test_fixture(UP, path, sizeof path))
		skip();
	hs_analyzer *az = NULL;
	assert_int_equal(hs_analyzer_create(NULL, 60, &az), 0);
	double front = pitch_of(az, FRONT);
	double down = pitch_of(az, DOWN);
	double up = pitch_of(az, UP);
	/* Labelled 30 degrees apart; allow for BlazeFace's noise. */
	if (!(down > front + 10 && up < front - 10))
		fail_msg("pitch up %.1f, front %.1f, down %.1f", up, front,
		         down);
	/* A frontal face reads near level. */
	assert_true(front > -15 && front < 15);
	hs_analyzer_destroy(az);
}

/* ---- fallback ----------------------------------------------------------- */

static int make_data_dir(void **state)
{
	(void)state;
	hs_test_tmpdir(tmp, sizeof tmp);
	char cmd[600];
	snprintf(cmd, sizeof cmd, "cp '%s/models/face3d.csv' '%s/'",
	         HS_SOURCE_DIR, tmp);
	assert_int_equal(system(cmd), 0);
	setenv("HEADSUP_DATA_DIR", tmp, 1);
	return 0;
}

static int remove_data_dir(void **state)
{
	(void)state;
	unsetenv("HEADSUP_DATA_DIR");
	unsetenv("HEADSUP_CASCADE_DIR");
	hs_test_rmtree(tmp);
	return 0;
}

/* Run hs_detector_create() with stderr captured into out. */
static int create_capturing(hs_detector **det, char *out, size_t size)
{
	char path[300];
	snprintf(path, sizeof path, "%s/stderr.txt", tmp);
	fflush(stderr);
	int saved = dup(2);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(saved >= 0 && fd >= 0);
	dup2(fd, 2);
	close(fd);
	int rc = hs_detector_create(NULL, det);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	size_t n = fread(out, 1, size - 1, f);
	out[n] = '\0';
	fclose(f);
	return rc;
}

static int count(const char *s, const char *what)
{
	int n = 0;
	for (const char *p = s; (p = strstr(p, what)); p++)
		n++;
	return n;
}

static void missing_model_falls_back_to_haar(void **state)
{
	(void)state;
	hs_detector *det = NULL;
	char err[4096];
	assert_int_equal(create_capturing(&det, err, sizeof err), 0);
	assert_string_equal(hs_detector_name(det), "haar");
	/* One warning, naming the missing file. */
	assert_int_equal(count(err, "warning"), 1);
	assert_non_null(strstr(err, "blazeface-front-128.onnx"));
	assert_non_null(strstr(err, tmp));

	/* The fallback still finds the frontal face, marked as Haar's. */
	char path[PATH_MAX];
	if (!hs_test_fixture(FRONT, path, sizeof path)) {
		hs_detector_destroy(det);
		skip();
	}
	assert_int_equal(hs_image_load(img, path), 0);
	hs_face f;
	assert_int_equal(hs_detector_detect(det, img, &f), 0);
	assert_true(f.found);
	assert_string_equal(f.detector, "haar");
	assert_true(f.box[0] < 208 && f.box[0] + f.box[2] > 88);
	assert_int_equal(f.kp_valid & ~HS_KP_EYES, 0); /* eyes at most */
	hs_detector_destroy(det);
}

static void corrupt_model_falls_back_to_haar(void **state)
{
	(void)state;
	char path[300];
	snprintf(path, sizeof path, "%s/blazeface-front-128.onnx", tmp);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("not the model", f);
	fclose(f);
	hs_detector *det = NULL;
	char err[4096];
	assert_int_equal(create_capturing(&det, err, sizeof err), 0);
	assert_string_equal(hs_detector_name(det), "haar");
	assert_int_equal(count(err, "warning"), 1);
	assert_non_null(strstr(err, "checksum"));
	assert_non_null(strstr(err, path));
	hs_detector_destroy(det);
}

static void missing_cascades_is_a_clear_error(void **state)
{
	(void)state;
	setenv("HEADSUP_CASCADE_DIR", "/nonexistent", 1);
	hs_detector *det = NULL;
	char err[4096];
	assert_true(create_capturing(&det, err, sizeof err) < 0);
	assert_null(det);
	assert_non_null(strstr(err, "error"));
	assert_non_null(strstr(err, "/nonexistent"));
	assert_non_null(strstr(err, "opencv-data"));
}

/* The installed detector, which must be BlazeFace (not the Haar fallback
 * of a machine without the model, where the test is skipped). */
static hs_detector *blazeface_or_skip(void)
{
	hs_detector *det = NULL;
	assert_int_equal(hs_detector_create(NULL, &det), 0);
	if (strcmp(hs_detector_name(det), "blazeface") != 0) {
		hs_detector_destroy(det);
		skip();
	}
	return det;
}

/* FRONT, its face 120 px wide, placed at (ox, oy) on a grey canvas of
 * w x h (into img): the face at 120 / w of the frame's width. */
/* As face_far_away(), and the same face scaled by 'near' (a second,
 * larger face: someone nearer the screen) at (nx, ny); none when near is
 * not above 0. */
static void faces_far_and_near(int w, int h, int ox, int oy, double near,
                               int nx, int ny)
{
	load_or_skip(FRONT);
	hs_image *big = NULL;
	hs_pixels px, bp = { 0 };
	assert_int_equal(hs_image_pixels(img, &px), 0);
	if (near > 0) {
		assert_int_equal(hs_image_create(&big), 0);
		assert_int_equal(hs_image_resize(img, (int)(px.w * near),
		                                 (int)(px.h * near), big),
		                 0);
		assert_int_equal(hs_image_pixels(big, &bp), 0);
		assert_int_equal(hs_image_pixels(img, &px), 0);
	}
	unsigned char *canvas = malloc((size_t)w * h * 3);
	assert_non_null(canvas);
	memset(canvas, 128, (size_t)w * h * 3);
	for (int y = 0; y < px.h; y++)
		memcpy(canvas + ((size_t)(oy + y) * w + ox) * 3,
		       px.bgr + (size_t)y * px.stride, (size_t)px.w * 3);
	for (int y = 0; y < bp.h; y++)
		memcpy(canvas + ((size_t)(ny + y) * w + nx) * 3,
		       bp.bgr + (size_t)y * bp.stride, (size_t)bp.w * 3);
	hs_image_destroy(big);
	assert_int_equal(hs_image_from_bgr(img, canvas, w, h), 0);
	free(canvas);
}

static void face_far_away(int w, int h, int ox, int oy)
{
	faces_far_and_near(w, h, ox, oy, -1, 0, 0);
}

static void expect_face_at(const hs_face *f, int cx, int cy)
{
	assert_true(f->found);
	const double fx = f->box[0] + f->box[2] / 2.0,
	             fy = f->box[1] + f->box[3] / 2.0;
	if (fabs(fx - cx) > 20 || fabs(fy - cy) > 20 || f->box[2] < 90 ||
	    f->box[2] > 160)
		fail_msg("face box (%.0f, %.0f, %.0f, %.0f), expected about "
		         "120 px wide around (%d, %d)",
		         (double)f->box[0], (double)f->box[1],
		         (double)f->box[2], (double)f->box[3], cx, cy);
}

/* A face a tenth of the frame's width (someone at arm's length from a wide
 * webcam), off-centre: the model misses it in the whole frame, the zoomed
 * search finds it, as a still at once and, in a stream, within a frame per
 * zoomed part; then it is followed from frame to frame. */
static void a_face_far_from_the_camera_is_found(void **state)
{
	(void)state;
	/* the face's centre in the canvas: the dataset's (148, 138) */
	const int ox = 700, oy = 380;
	face_far_away(1280, 720, ox, oy); /* first: it may skip */
	hs_detector *det = blazeface_or_skip();
	hs_face f;
	hs_detector_thorough(det, true);
	assert_int_equal(hs_detector_detect(det, img, &f), 0);
	expect_face_at(&f, ox + 148, oy + 138);
	/* A sixteenth of a full-HD frame's width: only a zoomed part of the
	 * frame shows it to the model. */
	face_far_away(1920, 1080, 1200, 600);
	assert_int_equal(hs_detector_detect(det, img, &f), 0);
	expect_face_at(&f, 1200 + 148, 600 + 138);
	assert_true(f.zoomed);
	face_far_away(1280, 720, ox, oy);
	/* The same frame in a stream, after a frame with nobody: one zoomed
	 * part a frame, so found within a dozen frames, then every frame. */
	hs_detector_destroy(det);
	assert_int_equal(hs_detector_create(NULL, &det), 0);
	unsigned char grey[64 * 48 * 3];
	memset(grey, 128, sizeof grey);
	hs_image *empty = NULL;
	assert_int_equal(hs_image_create(&empty), 0);
	assert_int_equal(hs_image_from_bgr(empty, grey, 64, 48), 0);
	hs_image *big = NULL;
	assert_int_equal(hs_image_create(&big), 0);
	assert_int_equal(hs_image_resize(empty, 1280, 720, big), 0);
	assert_int_equal(hs_detector_detect(det, big, &f), 0);
	assert_false(f.found);
	int frames = 0;
	do {
		assert_int_equal(hs_detector_detect(det, img, &f), 0);
		frames++;
	} while (!f.found && frames < 13);
	assert_true(f.found);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(hs_detector_detect(det, img, &f), 0);
		expect_face_at(&f, ox + 148, oy + 138);
	}
	/* An empty frame of that size finds nobody, zoomed or not. */
	hs_detector_thorough(det, true);
	assert_int_equal(hs_detector_detect(det, big, &f), 0);
	assert_false(f.found);
	hs_image_destroy(big);
	hs_image_destroy(empty);
	hs_detector_destroy(det);
}

/* A very wide frame (3840 x 480) is searched to its right end: the tiles
 * spread over all of it. */
static void a_wide_frame_is_searched_to_its_edge(void **state)
{
	(void)state;
	face_far_away(3840, 480, 3840 - 384, 480 - 288); /* may skip */
	hs_detector *det = blazeface_or_skip();
	hs_face f;
	hs_detector_thorough(det, true);
	assert_int_equal(hs_detector_detect(det, img, &f), 0);
	expect_face_at(&f, 3840 - 384 + 148, 480 - 288 + 138);
	hs_detector_destroy(det);
}

/* A small face followed from frame to frame does not hide a larger one
 * that comes into view (the user sitting down nearer the screen, while a
 * colleague passed far behind): within the frames a face is followed
 * before the whole frame is looked at again, the larger face is the one
 * found. */
static void a_nearer_face_takes_over_from_a_followed_one(void **state)
{
	(void)state;
	face_far_away(1280, 720, 850, 380); /* may skip */
	hs_detector *det = blazeface_or_skip();
	hs_face f;
	for (int i = 0; i < 3; i++) {
		assert_int_equal(hs_detector_detect(det, img, &f), 0);
		expect_face_at(&f, 850 + 148, 380 + 138);
	}
	faces_far_and_near(1280, 720, 850, 380, 2.2, 20, 40);
	int frames = 0;
	do {
		assert_int_equal(hs_detector_detect(det, img, &f), 0);
		frames++;
	} while (f.found && f.box[2] < 200 && frames < 12);
	assert_true(f.found && f.box[2] >= 200);
	assert_false(f.zoomed);
	fprintf(stderr, "the nearer face was found after %d frames\n", frames);
	hs_detector_destroy(det);
}

/* A head turned away with its face covered (the dataset's face box of
 * person02174+30+30 painted grey) is nobody: searching the frame closely,
 * the detector finds a small "face" in the hair beside it (score about
 * 0.6), which the face mesh does not confirm and which must not be taken
 * for a user looking down. */
static void a_covered_face_is_nobody(void **state)
{
	(void)state;
	load_or_skip(P04 "../person02/person02174+30+30.jpg");
	hs_pixels px;
	assert_int_equal(hs_image_pixels(img, &px), 0);
	unsigned char *copy = malloc((size_t)px.w * px.h * 3);
	assert_non_null(copy);
	for (int y = 0; y < px.h; y++)
		memcpy(copy + (size_t)y * px.w * 3,
		       px.bgr + (size_t)y * px.stride, (size_t)px.w * 3);
	/* the face box: centre (160, 112), 104 x 100, and a margin */
	for (int y = 112 - 65; y < 112 + 65; y++)
		for (int x = 160 - 70; x < 160 + 70; x++)
			memset(copy + ((size_t)y * px.w + x) * 3, 128, 3);
	assert_int_equal(hs_image_from_bgr(img, copy, px.w, px.h), 0);
	free(copy);
	hs_analyzer *az = NULL;
	assert_int_equal(hs_analyzer_create(NULL, 60, &az), 0);
	hs_analyzer_thorough(az, true);
	hs_analysis an;
	assert_int_equal(hs_analyzer_run(az, img, &an), 0);
	if (an.face.found)
		fail_msg("a face (score %.2f) at (%.0f, %.0f), %.0f px wide",
		         (double)an.face.score, (double)an.face.box[0],
		         (double)an.face.box[1], (double)an.face.box[2]);
	hs_analyzer_destroy(az);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(frontal_face_is_found_with_its_keypoints),
		cmocka_unit_test(pitch_follows_the_head),
		cmocka_unit_test(a_face_far_from_the_camera_is_found),
		cmocka_unit_test(a_wide_frame_is_searched_to_its_edge),
		cmocka_unit_test(a_nearer_face_takes_over_from_a_followed_one),
		cmocka_unit_test(a_covered_face_is_nobody),
		cmocka_unit_test_setup_teardown(
		        missing_model_falls_back_to_haar, make_data_dir,
		        remove_data_dir),
		cmocka_unit_test_setup_teardown(
		        corrupt_model_falls_back_to_haar, make_data_dir,
		        remove_data_dir),
		cmocka_unit_test_setup_teardown(
		        missing_cascades_is_a_clear_error, make_data_dir,
		        remove_data_dir),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
