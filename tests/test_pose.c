/* test_pose.c - head pose from keypoints: PnP on synthetic projections,
 * the sign conventions, the pitch correction, the head-model file and the
 * 3D similarity fit for dense face meshes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
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

/* A camera clipped on crookedly: the picture turns about its centre (the
 * principal point).  PnP then splits the head's rotation in the tilted
 * camera's frame, where a turned head also reads as pitched; un-rolling by
 * the camera's tilt gives back what a level camera reads. */
static void unroll_undoes_a_tilted_camera(void **state)
{
	(void)state;
	const hs_head_model m = raw_model();
	hs_camera_model cam;
	hs_camera_model_from_fov(&cam, 640, 480, 60);
	const double tilts[] = { -10, -5, 5, 10 };
	for (size_t k = 0; k < sizeof tilts / sizeof tilts[0]; k++)
		for (int p = -20; p <= 20; p += 20)
			for (int y = -45; y <= 45; y += 15) {
				const double th = tilts[k] * M_PI / 180;
				hs_face f;
				project(&m, &cam, p, y, 0, &f);
				for (int i = 0; i < HS_KP_COUNT; i++) {
					const double dx = f.kp[i].x - cam.cx,
					             dy = f.kp[i].y - cam.cy;
					/* clockwise on screen for th > 0 (y is
					 * down), as roll + is */
					f.kp[i].x =
					        (float)(cam.cx + cos(th) * dx -
					                sin(th) * dy);
					f.kp[i].y =
					        (float)(cam.cy + sin(th) * dx +
					                cos(th) * dy);
				}
				hs_pose seen, level;
				assert_int_equal(
				        hs_pose_estimate(&m, &cam, &f, &seen),
				        0);
				/* The fault this undoes: 5 degrees of pitch
				 * for a 30 degree turn under a 10 degree
				 * tilt. */
				if (fabs(tilts[k]) == 10 && abs(y) == 30)
					assert_true(fabs(seen.pitch_down_deg -
					                 p) > 4);
				hs_pose_unroll(&seen, tilts[k], &level);
				assert_true(level.has_pitch);
				if (fabs(level.pitch_down_deg - p) > 0.5 ||
				    fabs(level.yaw_deg - y) > 0.5 ||
				    fabs(level.roll_deg) > 0.5)
					fail_msg("pose %d/%d/0 under a tilt of "
					         "%g read as %.2f/%.2f/%.2f",
					         p, y, tilts[k],
					         level.pitch_down_deg,
					         level.yaw_deg, level.roll_deg);
			}
	/* Without a pitch (eyes only) there is only the roll to shift. */
	const hs_pose eyes = { .roll_deg = 12, .has_pitch = false };
	hs_pose level;
	hs_pose_unroll(&eyes, 10, &level);
	assert_false(level.has_pitch);
	assert_near(level.roll_deg, 2, 1e-9);
	assert_near(level.pitch_down_deg, 0, 0);
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

/* ---- the 3D similarity fit ---------------------------------------------- */

/* C11 will not pass double (*)[3] as const double (*)[3] quietly. */
#define C3(a) ((const double(*)[3])(a))

/* out[i] = s * R * in[i] + t. */
static void transform(double (*in)[3], int n, const double R[9], double s,
                      const double t[3], double (*out)[3])
{
	for (int i = 0; i < n; i++)
		for (int j = 0; j < 3; j++)
			out[i][j] = s * (R[3 * j] * in[i][0] +
			                 R[3 * j + 1] * in[i][1] +
			                 R[3 * j + 2] * in[i][2]) +
			            t[j];
}

static double det3(const double R[9])
{
	return R[0] * (R[4] * R[8] - R[5] * R[7]) -
	       R[1] * (R[3] * R[8] - R[5] * R[6]) +
	       R[2] * (R[3] * R[7] - R[4] * R[6]);
}

/* R is a proper rotation: R R^T = I and det +1. */
static void assert_proper_rotation(const double R[9])
{
	for (int i = 0; i < 3; i++)
		for (int j = 0; j < 3; j++)
			assert_near(R[3 * i] * R[3 * j] +
			                    R[3 * i + 1] * R[3 * j + 1] +
			                    R[3 * i + 2] * R[3 * j + 2],
			            i == j, 1e-12);
	assert_near(det3(R), 1, 1e-12);
}

/* The default head's six points plus forehead, chin and cheeks (mm). */
#define TEN_POINTS 10
static void ten_points(double (*out)[3])
{
	hs_head_model m;
	hs_head_model_default(&m);
	static const double extra[4][3] = {
		{ 0, -45, 5 }, { 0, 110, 0 }, { -50, 50, 20 }, { 48, 55, 22 }
	};
	memcpy(out, m.pts, sizeof m.pts);
	memcpy(out + HS_KP_COUNT, extra, sizeof extra);
}

/* A fixed-seed generator, so failures reproduce. */
static uint64_t rng_state;

static double uniform(void)
{
	/* xorshift64*, top 53 bits. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (double)((rng_state * 2685821657736338717ULL) >> 11) /
	       9007199254740992.0;
}

/* Sum of twelve uniforms: mean 0, standard deviation 1, near enough to a
 * Gaussian for this. */
static double gauss(void)
{
	double s = -6;
	for (int i = 0; i < 12; i++)
		s += uniform();
	return s;
}

/* A denser mesh: the six keypoints and the rest scattered over a curved
 * face-like surface about 145 mm wide. */
#define MESH_POINTS 32
#define FACE_MM 145.0
static void mesh_points(double (*out)[3])
{
	hs_head_model m;
	hs_head_model_default(&m);
	memcpy(out, m.pts, sizeof m.pts);
	for (int i = HS_KP_COUNT; i < MESH_POINTS; i++) {
		double x = -70 + 140 * uniform(), y = -50 + 165 * uniform();
		out[i][0] = x;
		out[i][1] = y;
		out[i][2] = 85 * (x / 72) * (x / 72) +
		            15 * ((y - 30) / 80) * ((y - 30) / 80) - 10;
	}
}

static double residual(double (*model)[3], double (*pts)[3], int n,
                       const double R[9], double s, const double t[3])
{
	double fit[MESH_POINTS][3], sum = 0;
	transform(model, n, R, s, t, fit);
	for (int i = 0; i < n; i++)
		for (int j = 0; j < 3; j++)
			sum += (fit[i][j] - pts[i][j]) *
			       (fit[i][j] - pts[i][j]);
	return sum;
}

/* Exact data: every pose, scale and offset comes back to rounding. */
static void similarity_fit_recovers_a_grid_of_poses(void **state)
{
	(void)state;
	double model[TEN_POINTS][3], pts[TEN_POINTS][3];
	ten_points(model);
	static const double scales[] = { 0.3, 1, 2.5, 5 };
	int n = 0;
	for (int p = -40; p <= 40; p += 10)
		for (int y = -40; y <= 40; y += 10)
			for (int r = -30; r <= 30; r += 15)
				for (int k = 0; k < 4; k++) {
					const double s = scales[k];
					const double t[3] = { 320 + 7 * p,
						              240 - 5 * y,
						              -60 + 3 * r };
					double R0[9], R[9], fs, ft[3];
					hs_pose_to_matrix(p, y, r, R0);
					transform(model, TEN_POINTS, R0, s, t,
					          pts);
					assert_int_equal(
					        hs_pose_fit_similarity(
					                C3(model), C3(pts),
					                TEN_POINTS, R, &fs, ft),
					        0);
					assert_proper_rotation(R);
					double fp, fy, fr;
					hs_pose_from_matrix(R, &fp, &fy, &fr);
					if (fabs(fp - p) > 1e-6 ||
					    fabs(fy - y) > 1e-6 ||
					    fabs(fr - r) > 1e-6)
						fail_msg(
						        "pose %d/%d/%d read as "
						        "%.9f/%.9f/%.9f",
						        p, y, r, fp, fy, fr);
					assert_near(fs, s, 1e-9 * s);
					const double tn =
					        sqrt(t[0] * t[0] + t[1] * t[1] +
					             t[2] * t[2]);
					for (int j = 0; j < 3; j++)
						assert_near(ft[j], t[j],
						            1e-9 * tn);
					n++;
				}
	assert_int_equal(n, 9 * 9 * 5 * 4);
}

/* Noise of 1% of the face size on each coordinate: within a degree. */
static void similarity_fit_tolerates_noise(void **state)
{
	(void)state;
	rng_state = 0x9e3779b97f4a7c15ULL;
	double model[MESH_POINTS][3], pts[MESH_POINTS][3];
	mesh_points(model);
	double worst = 0;
	for (int p = -30; p <= 30; p += 15)
		for (int y = -30; y <= 30; y += 15)
			for (int r = -20; r <= 20; r += 20) {
				const double s = r < 0 ? 0.5 : 2.2;
				const double t[3] = { 300, 250, 40 };
				double R0[9], R[9], fs, ft[3];
				hs_pose_to_matrix(p, y, r, R0);
				transform(model, MESH_POINTS, R0, s, t, pts);
				for (int i = 0; i < MESH_POINTS; i++)
					for (int j = 0; j < 3; j++)
						pts[i][j] += s * 0.01 *
						             FACE_MM * gauss();
				assert_int_equal(hs_pose_fit_similarity(
				                         C3(model), C3(pts),
				                         MESH_POINTS, R, &fs,
				                         ft),
				                 0);
				assert_proper_rotation(R);
				double fp, fy, fr;
				hs_pose_from_matrix(R, &fp, &fy, &fr);
				double e =
				        fmax(fabs(fp - p),
				             fmax(fabs(fy - y), fabs(fr - r)));
				if (e > 1)
					fail_msg("noisy pose %d/%d/%d read as "
					         "%.3f/%.3f/%.3f",
					         p, y, r, fp, fy, fr);
				worst = fmax(worst, e);
				assert_near(fs, s, 0.02 * s);
			}
	print_message("worst noisy angle error %.3f degrees\n", worst);
}

/* On noisy data the answer is a least-squares minimum: nudging the
 * rotation, the scale or the translation only makes the sum worse. */
static void similarity_fit_is_a_least_squares_minimum(void **state)
{
	(void)state;
	rng_state = 12345;
	double model[MESH_POINTS][3], pts[MESH_POINTS][3];
	mesh_points(model);
	double R0[9], R[9], s, t[3];
	const double t0[3] = { 310, 200, -25 };
	hs_pose_to_matrix(12, -21, 7, R0);
	transform(model, MESH_POINTS, R0, 1.7, t0, pts);
	for (int i = 0; i < MESH_POINTS; i++)
		for (int j = 0; j < 3; j++)
			pts[i][j] += 1.7 * 0.03 * FACE_MM * gauss();
	assert_int_equal(hs_pose_fit_similarity(C3(model), C3(pts), MESH_POINTS,
	                                        R, &s, t),
	                 0);
	const double best = residual(model, pts, MESH_POINTS, R, s, t);
	for (int axis = 0; axis < 3; axis++)
		for (int sign = -1; sign <= 1; sign += 2) {
			/* A small extra rotation about each axis, applied
			 * on the camera side. */
			const double d = sign * 1e-3;
			double Q[9];
			hs_pose_to_matrix(axis == 0 ? d : 0, axis == 1 ? d : 0,
			                  axis == 2 ? d : 0, Q);
			double RQ[9];
			for (int i = 0; i < 3; i++)
				for (int j = 0; j < 3; j++)
					RQ[3 * i + j] =
					        Q[3 * i] * R[j] +
					        Q[3 * i + 1] * R[3 + j] +
					        Q[3 * i + 2] * R[6 + j];
			assert_true(residual(model, pts, MESH_POINTS, RQ, s,
			                     t) > best);
			assert_true(residual(model, pts, MESH_POINTS, R,
			                     s * (1 + d), t) > best);
			double tt[3] = { t[0], t[1], t[2] };
			tt[axis] += d * 100;
			assert_true(residual(model, pts, MESH_POINTS, R, s,
			                     tt) > best);
		}
}

/* A mirrored mesh cannot be matched by a rotation; the fit must still be
 * a rotation and not a reflection. */
static void similarity_fit_mirror_stays_proper(void **state)
{
	(void)state;
	rng_state = 777;
	double model[MESH_POINTS][3], pts[MESH_POINTS][3];
	mesh_points(model);
	double R0[9], R[9], s, t[3];
	const double t0[3] = { 200, 260, 10 };
	hs_pose_to_matrix(15, 25, -10, R0);
	transform(model, MESH_POINTS, R0, 3, t0, pts);
	for (int i = 0; i < MESH_POINTS; i++)
		pts[i][0] = -pts[i][0];
	assert_int_equal(hs_pose_fit_similarity(C3(model), C3(pts), MESH_POINTS,
	                                        R, &s, t),
	                 0);
	assert_proper_rotation(R);
	assert_true(s > 0);
	/* The symmetric head too (its mirror is itself, relabelled). */
	double m6[HS_KP_COUNT][3], p6[HS_KP_COUNT][3];
	memcpy(m6, model, sizeof m6);
	for (int i = 0; i < HS_KP_COUNT; i++) {
		p6[i][0] = -m6[i][0];
		p6[i][1] = m6[i][1];
		p6[i][2] = m6[i][2];
	}
	assert_int_equal(
	        hs_pose_fit_similarity(C3(m6), C3(p6), HS_KP_COUNT, R, &s, t),
	        0);
	assert_proper_rotation(R);
	assert_true(s > 0);
}

/* Input that leaves the fit undetermined: HS_EINVAL, outputs untouched. */
static void similarity_fit_refuses_degenerate_input(void **state)
{
	(void)state;
	double model[TEN_POINTS][3], pts[TEN_POINTS][3];
	ten_points(model);
	double R0[9];
	const double t0[3] = { 320, 240, 0 };
	hs_pose_to_matrix(5, 10, -5, R0);
	transform(model, TEN_POINTS, R0, 2, t0, pts);
	double R[9], s = -1, t[3] = { -1, -1, -1 };
	for (int i = 0; i < 9; i++)
		R[i] = -1;
#define REFUSED(mod, pt, n)                                                   \
	do {                                                                  \
		assert_int_equal(                                             \
		        hs_pose_fit_similarity(C3(mod), C3(pt), n, R, &s, t), \
		        HS_EINVAL);                                           \
		for (int i_ = 0; i_ < 9; i_++)                                \
			assert_near(R[i_], -1, 0);                            \
		assert_near(s, -1, 0);                                        \
		assert_near(t[0] + t[1] + t[2], -3, 0);                       \
	} while (0)
	/* The good set works, so what follows fails for its own reason. */
	double Rg[9], sg, tg[3];
	assert_int_equal(hs_pose_fit_similarity(C3(model), C3(pts), TEN_POINTS,
	                                        Rg, &sg, tg),
	                 0);
	REFUSED(model, pts, 2);
	REFUSED(model, pts, 0);
	REFUSED(model, pts, -3);
	REFUSED(NULL, pts, TEN_POINTS);
	REFUSED(model, NULL, TEN_POINTS);
	assert_int_equal(hs_pose_fit_similarity(C3(model), C3(pts), TEN_POINTS,
	                                        NULL, &s, t),
	                 HS_EINVAL);

	/* Collinear model points, mapped exactly; steps of 0.1 are not exact
	 * in binary, so the line carries rounding, far from the origin. */
	double line[5][3], line_pts[5][3];
	for (int i = 0; i < 5; i++) {
		line[i][0] = 1000 + 0.1 * i;
		line[i][1] = -500 + 0.2 * i;
		line[i][2] = 250 + 0.3 * i;
	}
	transform(line, 5, R0, 2, t0, line_pts);
	REFUSED(line, line_pts, 5);
	/* Collinear pts against a good model. */
	double lp[TEN_POINTS][3];
	for (int i = 0; i < TEN_POINTS; i++) {
		lp[i][0] = 3 * i + 1;
		lp[i][1] = -2 * i;
		lp[i][2] = 0.5 * i;
	}
	REFUSED(model, lp, TEN_POINTS);
	/* Zero spread: every point the same. */
	double same[TEN_POINTS][3];
	for (int i = 0; i < TEN_POINTS; i++) {
		same[i][0] = 320;
		same[i][1] = 240;
		same[i][2] = 7;
	}
	REFUSED(model, same, TEN_POINTS);
	REFUSED(same, pts, TEN_POINTS);

	/* NaN or infinity anywhere. */
	double bad[TEN_POINTS][3];
	memcpy(bad, pts, sizeof bad);
	bad[4][1] = NAN;
	REFUSED(model, bad, TEN_POINTS);
	memcpy(bad, model, sizeof bad);
	bad[9][2] = NAN;
	REFUSED(bad, pts, TEN_POINTS);
	bad[9][2] = INFINITY;
	REFUSED(bad, pts, TEN_POINTS);
#undef REFUSED
}

/* The fit reads pitch, yaw and roll with the header's signs, checked on
 * what the mesh looks like (x right, y down, z away), not only through
 * hs_pose_from_matrix(). */
static void similarity_fit_sign_conventions(void **state)
{
	(void)state;
	double model[TEN_POINTS][3], pts[TEN_POINTS][3], front[TEN_POINTS][3];
	ten_points(model);
	const double t0[3] = { 320, 240, 0 };
	double R0[9];
	hs_pose_to_matrix(0, 0, 0, R0);
	transform(model, TEN_POINTS, R0, 2, t0, front);
	const int re = HS_KP_RIGHT_EYE, le = HS_KP_LEFT_EYE, nose = HS_KP_NOSE;
	for (int axis = 0; axis < 3; axis++) {
		const double p = axis == 0 ? 10 : 0, y = axis == 1 ? 10 : 0,
		             r = axis == 2 ? 10 : 0;
		hs_pose_to_matrix(p, y, r, R0);
		transform(model, TEN_POINTS, R0, 2, t0, pts);
		const double mid_x = (pts[re][0] + pts[le][0]) / 2,
		             mid_y = (pts[re][1] + pts[le][1]) / 2;
		const double fmid_x = (front[re][0] + front[le][0]) / 2,
		             fmid_y = (front[re][1] + front[le][1]) / 2;
		if (axis == 0) /* chin to chest: the nose tip drops */
			assert_true(pts[nose][1] - mid_y >
			            front[nose][1] - fmid_y + 3);
		else if (axis == 1) /* the nose goes to the image's right */
			assert_true(pts[nose][0] - mid_x >
			            front[nose][0] - fmid_x + 3);
		else /* the left eye (image right) drops */
			assert_true(pts[le][1] > pts[re][1] + 3);
		double R[9], s, t[3], fp, fy, fr;
		assert_int_equal(hs_pose_fit_similarity(C3(model), C3(pts),
		                                        TEN_POINTS, R, &s, t),
		                 0);
		hs_pose_from_matrix(R, &fp, &fy, &fr);
		assert_near(fp, p, 1e-6);
		assert_near(fy, y, 1e-6);
		assert_near(fr, r, 1e-6);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pnp_recovers_a_grid_of_poses),
		cmocka_unit_test(conventions_match_the_image),
		cmocka_unit_test(matrix_round_trips),
		cmocka_unit_test(unroll_undoes_a_tilted_camera),
		cmocka_unit_test(correction_scales_pitch_only),
		cmocka_unit_test(eyes_only_gives_roll_without_pitch),
		cmocka_unit_test(camera_from_fov),
		cmocka_unit_test_setup_teardown(model_file_is_read, make_dir,
		                                remove_dir),
		cmocka_unit_test_setup_teardown(bad_model_files_are_refused,
		                                make_dir, remove_dir),
		cmocka_unit_test(default_model_equals_the_file),
		cmocka_unit_test(similarity_fit_recovers_a_grid_of_poses),
		cmocka_unit_test(similarity_fit_tolerates_noise),
		cmocka_unit_test(similarity_fit_is_a_least_squares_minimum),
		cmocka_unit_test(similarity_fit_mirror_stays_proper),
		cmocka_unit_test(similarity_fit_refuses_degenerate_input),
		cmocka_unit_test(similarity_fit_sign_conventions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
