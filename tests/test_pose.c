/* test_pose.c - head pose from keypoints: PnP on synthetic projections,
 * the sign conventions, the pitch correction and the head-model file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "headsup/err.h"
#include "headsup/pose.h"
#include "testutil.h"

/* The default head with the correction off: raw PnP. */
static hs_head_model raw_model(void)
{
	hs_head_model m;
	hs_head_model_default(&m);
	m.pitch_gain = 1;
	m.pitch_offset_deg = 0;
	return m;
}

/* Project the head at a pose, 60 cm in front of a 640x480 camera with a
 * 60 degree field of view, slightly off-centre. */
static void project(const hs_head_model *m, const hs_camera_model *cam,
                    double pitch, double yaw, double roll, hs_face *face)
{
	double R[9];
	const double t[3] = { 40, -30, 600 };
	hs_pose_to_matrix(pitch, yaw, roll, R);
	memset(face, 0, sizeof *face);
	face->found = true;
	face->kp_valid = HS_KP_ALL;
	hs_pose_project(m, cam, R, t, face->kp);
}

static void pnp_recovers_a_grid_of_poses(void **state)
{
	(void)state;
	const hs_head_model m = raw_model();
	hs_camera_model cam;
	hs_camera_model_from_fov(&cam, 640, 480, 60);
	int n = 0;
	for (int p = -30; p <= 30; p += 10)
		for (int y = -30; y <= 30; y += 10)
			for (int r = -20; r <= 20; r += 10) {
				hs_face f;
				hs_pose pose;
				project(&m, &cam, p, y, r, &f);
				assert_int_equal(
				        hs_pose_estimate(&m, &cam, &f, &pose),
				        0);
				assert_true(pose.has_pitch);
				if (fabs(pose.pitch_down_deg - p) > 1 ||
				    fabs(pose.yaw_deg - y) > 1 ||
				    fabs(pose.roll_deg - r) > 1)
					fail_msg("pose %d/%d/%d read as "
					         "%.2f/%.2f/%.2f",
					         p, y, r, pose.pitch_down_deg,
					         pose.yaw_deg, pose.roll_deg);
				n++;
			}
	assert_int_equal(n, 7 * 7 * 5);
}

static hs_point eye_mid(const hs_face *f)
{
	hs_point re = f->kp[HS_KP_RIGHT_EYE], le = f->kp[HS_KP_LEFT_EYE];
	return (hs_point){ (re.x + le.x) / 2, (re.y + le.y) / 2 };
}

/* What the signs mean on the image. */
static void conventions_match_the_image(void **state)
{
	(void)state;
	const hs_head_model m = raw_model();
	hs_camera_model cam;
	hs_camera_model_from_fov(&cam, 640, 480, 60);
	hs_face front, down, right, tilt;
	project(&m, &cam, 0, 0, 0, &front);
	project(&m, &cam, 20, 0, 0, &down);
	project(&m, &cam, 0, 20, 0, &right);
	project(&m, &cam, 0, 0, 15, &tilt);
	/* The right eye is on the image's left. */
	assert_true(front.kp[HS_KP_RIGHT_EYE].x < front.kp[HS_KP_LEFT_EYE].x);
	/* Pitch down (chin to chest): the ears, behind the eyes, rise
	 * toward the eyes' line and the nose tip, in front, sinks. */
	assert_true(down.kp[HS_KP_NOSE].y - eye_mid(&down).y >
	            front.kp[HS_KP_NOSE].y - eye_mid(&front).y);
	assert_true(down.kp[HS_KP_RIGHT_EAR].y - eye_mid(&down).y <
	            front.kp[HS_KP_RIGHT_EAR].y - eye_mid(&front).y);
	/* Yaw +: the nose moves toward the image's right of the eyes. */
	assert_true(right.kp[HS_KP_NOSE].x - eye_mid(&right).x >
	            front.kp[HS_KP_NOSE].x - eye_mid(&front).x + 5);
	/* Roll +: the left eye (image right) is lower. */
	assert_true(tilt.kp[HS_KP_LEFT_EYE].y > tilt.kp[HS_KP_RIGHT_EYE].y + 5);

	hs_pose p;
	assert_int_equal(hs_pose_estimate(&m, &cam, &down, &p), 0);
	assert_true(p.pitch_down_deg > 15);
	assert_int_equal(hs_pose_estimate(&m, &cam, &right, &p), 0);
	assert_true(p.yaw_deg > 15);
	assert_int_equal(hs_pose_estimate(&m, &cam, &tilt, &p), 0);
	assert_true(p.roll_deg > 10);
}

static void matrix_round_trips(void **state)
{
	(void)state;
	double R[9], p, y, r;
	hs_pose_to_matrix(25, -35, 12, R);
	hs_pose_from_matrix(R, &p, &y, &r);
	assert_near(p, 25, 1e-9);
	assert_near(y, -35, 1e-9);
	assert_near(r, 12, 1e-9);
	/* A rotation: rows of unit length. */
	for (int i = 0; i < 3; i++)
		assert_near(R[3 * i] * R[3 * i] + R[3 * i + 1] * R[3 * i + 1] +
		                    R[3 * i + 2] * R[3 * i + 2],
		            1, 1e-12);
}

/* The correction: gain times the PnP pitch plus the offset; yaw and roll
 * untouched. */
static void correction_scales_pitch_only(void **state)
{
	(void)state;
	const hs_head_model m = raw_model();
	hs_head_model g = m;
	g.pitch_gain = 2;
	g.pitch_offset_deg = 3;
	hs_camera_model cam;
	hs_camera_model_from_fov(&cam, 640, 480, 60);
	hs_face f;
	project(&m, &cam, 10, -15, 5, &f);
	hs_pose a, b;
	assert_int_equal(hs_pose_estimate(&m, &cam, &f, &a), 0);
	assert_int_equal(hs_pose_estimate(&g, &cam, &f, &b), 0);
	assert_near(b.pitch_down_deg, 2 * a.pitch_down_deg + 3, 1e-6);
	assert_near(b.yaw_deg, a.yaw_deg, 1e-9);
	assert_near(b.roll_deg, a.roll_deg, 1e-9);
}

static void eyes_only_gives_roll_without_pitch(void **state)
{
	(void)state;
	const hs_head_model m = raw_model();
	hs_camera_model cam;
	hs_camera_model_from_fov(&cam, 640, 480, 60);
	hs_face f = { .found = true, .kp_valid = HS_KP_EYES };
	f.kp[HS_KP_RIGHT_EYE] = (hs_point){ 100, 100 };
	f.kp[HS_KP_LEFT_EYE] = (hs_point){ 160, 160 };
	hs_pose p;
	assert_int_equal(hs_pose_estimate(&m, &cam, &f, &p), 0);
	assert_false(p.has_pitch);
	assert_near(p.roll_deg, 45, 1e-6);
	f.kp_valid = 0;
	assert_int_equal(hs_pose_estimate(&m, &cam, &f, &p), HS_EINVAL);
}

static void camera_from_fov(void **state)
{
	(void)state;
	hs_camera_model cam;
	hs_camera_model_from_fov(&cam, 640, 480, 90);
	assert_near(cam.fx, 320, 1e-9);
	assert_near(cam.fy, 320, 1e-9);
	assert_near(cam.cx, 320, 1e-9);
	assert_near(cam.cy, 240, 1e-9);
}

/* ---- the head-model file ------------------------------------------------ */

static char dir[256];

static int make_dir(void **state)
{
	(void)state;
	hs_test_tmpdir(dir, sizeof dir);
	return 0;
}

static int remove_dir(void **state)
{
	(void)state;
	hs_test_rmtree(dir);
	return 0;
}

static const char *write_file(const char *text)
{
	static char path[512];
	snprintf(path, sizeof path, "%s/face3d.csv", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

#define SIX_POINTS                                            \
	"right_eye,-30,0,0\nleft_eye,30,0,0\nnose,0,50,-20\n" \
	"mouth,0,70,-10\nright_ear,-70,10,80\nleft_ear,70,10,80\n"

static void model_file_is_read(void **state)
{
	(void)state;
	hs_head_model m;
	char err[512] = "";
	const char *p = write_file("# comment\nname,x_mm,y_mm,z_mm\n" SIX_POINTS
	                           "pitch_gain,1.5\npitch_offset_deg,-4\n");
	assert_int_equal(hs_head_model_read(&m, p, err, sizeof err), 0);
	assert_near(m.pts[HS_KP_NOSE][1], 50, 1e-12);
	assert_near(m.pts[HS_KP_LEFT_EAR][2], 80, 1e-12);
	assert_near(m.pitch_gain, 1.5, 1e-12);
	assert_near(m.pitch_offset_deg, -4, 1e-12);
	/* Without correction rows: raw PnP. */
	p = write_file(SIX_POINTS);
	assert_int_equal(hs_head_model_read(&m, p, err, sizeof err), 0);
	assert_near(m.pitch_gain, 1, 1e-12);
	assert_near(m.pitch_offset_deg, 0, 1e-12);
}

/* Each bad file: HS_EFORMAT, a message naming the file and what is wrong,
 * and the model untouched. */
static void bad_model_files_are_refused(void **state)
{
	(void)state;
	static const struct {
		const char *text, *says;
	} bad[] = {
		{ "right_eye,-30,0,0\nleft_eye,30,0,0\n", "'nose' is missing" },
		{ SIX_POINTS "chin,0,90,0\n", "unknown keypoint 'chin'" },
		{ SIX_POINTS "nose,0,50,-20\n", "given twice" },
		{ "right_eye,-30,zero,0\n", ":1: expected" },
		{ SIX_POINTS "pitch_gain,9\n", "pitch_gain 9 is outside" },
		{ SIX_POINTS "pitch_offset_deg,nan\n", "outside" },
		{ SIX_POINTS "scale,2\n", "unknown row 'scale'" },
		{ "right_eye,30,0,0\nleft_eye,-30,0,0\nnose,0,50,-20\n"
		  "mouth,0,70,-10\nright_ear,-70,10,80\nleft_ear,70,10,80\n",
		  "left_eye must be" },
		{ "", "'right_eye' is missing" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		hs_head_model m, before;
		hs_head_model_default(&m);
		before = m;
		char err[512] = "";
		const char *p = write_file(bad[i].text);
		assert_int_equal(hs_head_model_read(&m, p, err, sizeof err),
		                 HS_EFORMAT);
		if (!strstr(err, bad[i].says) || !strstr(err, p))
			fail_msg("case %zu: message '%s' lacks '%s'", i, err,
			         bad[i].says);
		assert_memory_equal(&m, &before, sizeof m);
	}
	hs_head_model m;
	char err[512] = "";
	assert_int_equal(hs_head_model_read(&m, "/nonexistent/face3d.csv", err,
	                                    sizeof err),
	                 HS_ENOENT);
	assert_non_null(strstr(err, "/nonexistent/face3d.csv"));
}

/* The built-in model is the shipped file, correction included. */
static void default_model_equals_the_file(void **state)
{
	(void)state;
	hs_head_model file, builtin;
	char err[512] = "";
	assert_int_equal(hs_head_model_read(&file,
	                                    HS_SOURCE_DIR "/models/face3d.csv",
	                                    err, sizeof err),
	                 0);
	hs_head_model_default(&builtin);
	for (int k = 0; k < HS_KP_COUNT; k++)
		for (int a = 0; a < 3; a++)
			assert_near(file.pts[k][a], builtin.pts[k][a], 1e-9);
	assert_near(file.pitch_gain, builtin.pitch_gain, 1e-9);
	assert_near(file.pitch_offset_deg, builtin.pitch_offset_deg, 1e-9);
	assert_true(builtin.pitch_gain >= 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pnp_recovers_a_grid_of_poses),
		cmocka_unit_test(conventions_match_the_image),
		cmocka_unit_test(matrix_round_trips),
		cmocka_unit_test(correction_scales_pitch_only),
		cmocka_unit_test(eyes_only_gives_roll_without_pitch),
		cmocka_unit_test(camera_from_fov),
		cmocka_unit_test_setup_teardown(model_file_is_read, make_dir,
		                                remove_dir),
		cmocka_unit_test_setup_teardown(bad_model_files_are_refused,
		                                make_dir, remove_dir),
		cmocka_unit_test(default_model_equals_the_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
