/* test_facemesh.c - the face-mesh crop, the network on real faces, and the
 * head pose from its points. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "headsup/analyzer.h"
#include "headsup/detector.h"
#include "headsup/err.h"
#include "headsup/facemesh.h"
#include "headsup/paths.h"
#include "headsup/pose.h"
#include "headsup/shim.h"
#include "testutil.h"

#define P04 "headpose/pointing04/person01/"
#define FRONT P04 "person01146+0+0.jpg" /* pitch 0, pan 0 */
#define DOWN P04 "person01120-30+0.jpg" /* labelled 30 degrees down */
#define AFLW "headpose/aflw2000/"

static hs_image *img;

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

static hs_face upright_face(void)
{
	hs_face f = { .found = true,
		      .score = 0.9f,
		      .box = { 100, 80, 120, 100 } };
	f.kp[HS_KP_RIGHT_EYE] = (hs_point){ 135, 120 };
	f.kp[HS_KP_LEFT_EYE] = (hs_point){ 185, 120 };
	f.kp_valid = HS_KP_EYES;
	return f;
}

static void apply(const double A[6], double u, double v, double *x, double *y)
{
	*x = A[0] * u + A[1] * v + A[2];
	*y = A[3] * u + A[4] * v + A[5];
}

/* The crop is centred on the face box, 1.5 times its longer side, and
 * turns with the eye line so the network always sees level eyes. */
static void crop_is_centred_scaled_and_turned_with_the_eyes(void **state)
{
	(void)state;
	hs_face f = upright_face();
	double A[6], x, y;
	assert_int_equal(hs_facemesh_crop(&f, A), 0);
	apply(A, HS_MESH_INPUT / 2.0, HS_MESH_INPUT / 2.0, &x, &y);
	assert_near(x, 160, 1e-9);
	assert_near(y, 130, 1e-9);
	apply(A, 0, 0, &x, &y);
	assert_near(x, 160 - 90, 1e-9); /* side 180 = 1.5 * 120 */
	assert_near(y, 130 - 90, 1e-9);

	/* Eyes tilted 30 degrees (left eye lower): the crop's x axis follows.
	 */
	const double a = 30 * M_PI / 180;
	f.kp[HS_KP_LEFT_EYE] = (hs_point){ (float)(135 + 50 * cos(a)),
		                           (float)(120 + 50 * sin(a)) };
	assert_int_equal(hs_facemesh_crop(&f, A), 0);
	double x0, y0, x1, y1;
	apply(A, 0, 96, &x0, &y0);
	apply(A, 192, 96, &x1, &y1);
	assert_near(atan2(y1 - y0, x1 - x0) * 180 / M_PI, 30, 1e-4);
	assert_near(hypot(x1 - x0, y1 - y0), 180, 1e-3);
}

static void crop_needs_a_box_and_both_eyes(void **state)
{
	(void)state;
	double A[6];
	hs_face f = upright_face();
	f.kp_valid = HS_KP_BIT(HS_KP_RIGHT_EYE);
	assert_int_equal(hs_facemesh_crop(&f, A), HS_EINVAL);
	f = upright_face();
	f.box[2] = 0;
	assert_int_equal(hs_facemesh_crop(&f, A), HS_EINVAL);
	f = upright_face();
	f.found = false;
	assert_int_equal(hs_facemesh_crop(&f, A), HS_EINVAL);
}

/* A mesh made by turning the head model by a known pose reads that pose
 * back, plus the model's mesh pitch offset. */
static void pose_from_a_synthetic_mesh(void **state)
{
	(void)state;
	hs_head_model m;
	hs_head_model_default(&m);
	static const int eye_r[] = { HS_MESH_RIGHT_EYE_OUTER,
		                     HS_MESH_RIGHT_EYE_INNER,
		                     HS_MESH_RIGHT_EYE_UPPER,
		                     HS_MESH_RIGHT_EYE_LOWER };
	static const int eye_l[] = { HS_MESH_LEFT_EYE_OUTER,
		                     HS_MESH_LEFT_EYE_INNER,
		                     HS_MESH_LEFT_EYE_UPPER,
		                     HS_MESH_LEFT_EYE_LOWER };
	const double poses[][3] = { { 0, 0, 0 },
		                    { 20, 0, 0 },
		                    { -25, 10, 0 },
		                    { 10, -20, 8 },
		                    { 35, 15, -10 } };
	for (size_t k = 0; k < sizeof poses / sizeof poses[0]; k++) {
		double R[9];
		hs_pose_to_matrix(poses[k][0], poses[k][1], poses[k][2], R);
		static hs_mesh mesh;
		memset(&mesh, 0, sizeof mesh);
		mesh.score = 1;
		/* 2.5 px per mm, face centred at (320, 240). */
		double p[HS_KP_COUNT][3];
		for (int i = 0; i < HS_KP_COUNT; i++)
			for (int r = 0; r < 3; r++)
				p[i][r] = 2.5 * (R[3 * r] * m.pts[i][0] +
				                 R[3 * r + 1] * m.pts[i][1] +
				                 R[3 * r + 2] * m.pts[i][2]) +
				          (r == 0   ? 320
				           : r == 1 ? 240
				                    : 0);
		for (int j = 0; j < 4; j++)
			for (int r = 0; r < 3; r++) {
				mesh.pts[eye_r[j]][r] =
				        (float)p[HS_KP_RIGHT_EYE][r];
				mesh.pts[eye_l[j]][r] =
				        (float)p[HS_KP_LEFT_EYE][r];
			}
		for (int r = 0; r < 3; r++) {
			mesh.pts[HS_MESH_NOSE_TIP][r] = (float)p[HS_KP_NOSE][r];
			mesh.pts[HS_MESH_UPPER_LIP][r] =
			        (float)p[HS_KP_MOUTH][r];
			mesh.pts[HS_MESH_LOWER_LIP][r] =
			        (float)p[HS_KP_MOUTH][r];
		}
		hs_pose pose;
		assert_int_equal(hs_facemesh_pose(&m, &mesh, &pose), 0);
		assert_true(pose.has_pitch);
		assert_near(pose.pitch_down_deg,
		            poses[k][0] + m.mesh_pitch_offset_deg, 0.01);
		assert_near(pose.yaw_deg, poses[k][1], 0.01);
		assert_near(pose.roll_deg, poses[k][2], 0.01);
	}
	/* All points in one place: no pose, not a made-up one. */
	static hs_mesh flat;
	memset(&flat, 0, sizeof flat);
	hs_pose pose;
	assert_int_equal(hs_facemesh_pose(&m, &flat, &pose), HS_EINVAL);
}

static void missing_or_corrupt_model_is_named(void **state)
{
	(void)state;
	hs_facemesh *fm = NULL;
	char err[PATH_MAX + 256];
	assert_int_equal(hs_facemesh_create("/nonexistent/facemesh.onnx", NULL,
	                                    &fm, err, sizeof err),
	                 HS_ENOENT);
	assert_non_null(strstr(err, "/nonexistent/facemesh.onnx"));
	assert_null(fm);

	char dir[256], path[PATH_MAX];
	hs_test_tmpdir(dir, sizeof dir);
	snprintf(path, sizeof path, "%s/facemesh.onnx", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("not a model", f);
	fclose(f);
	assert_int_equal(hs_facemesh_create(path, HS_MESH_MODEL_SHA256, &fm,
	                                    err, sizeof err),
	                 HS_ECHECKSUM);
	assert_non_null(strstr(err, "fails its checksum"));
	assert_int_equal(hs_facemesh_create(path, NULL, &fm, err, sizeof err),
	                 HS_EFORMAT);
	assert_null(fm);
	hs_test_rmtree(dir);
}

/* The installed model, or a loud skip when models/fetch-model.sh has not
 * been run. */
static hs_facemesh *model_or_skip(void)
{
	char path[PATH_MAX], err[PATH_MAX + 256];
	if (hs_path_data_file("facemesh-192.onnx", path, sizeof path) < 0) {
		fprintf(stderr,
		        "SKIPPED: face-mesh model '%s' is missing; run "
		        "models/fetch-model.sh\n",
		        path);
		skip();
	}
	hs_facemesh *fm = NULL;
	int rc = hs_facemesh_create(path, HS_MESH_MODEL_SHA256, &fm, err,
	                            sizeof err);
	if (rc < 0)
		fprintf(stderr, "%s\n", err);
	assert_int_equal(rc, 0);
	return fm;
}

static bool load_fixture(const char *rel)
{
	char path[PATH_MAX];
	if (!hs_test_fixture(rel, path, sizeof path))
		return false;
	assert_int_equal(hs_image_load(img, path), 0);
	return true;
}

/* On a real face the mesh's eyes land on BlazeFace's, and its score says
 * a face is there. */
static void mesh_lands_on_a_real_face(void **state)
{
	(void)state;
	if (!load_fixture(FRONT))
		skip();
	hs_facemesh *fm = model_or_skip();
	hs_detector *det = NULL;
	assert_int_equal(hs_detector_create(NULL, &det), 0);
	hs_face face;
	assert_int_equal(hs_detector_detect(det, img, &face), 0);
	assert_true(face.found);
	static hs_mesh mesh;
	assert_int_equal(hs_facemesh_run(fm, img, &face, &mesh), 0);
	assert_true(mesh.score > 0.9f);
	const hs_point re = face.kp[HS_KP_RIGHT_EYE],
	               le = face.kp[HS_KP_LEFT_EYE];
	const double iod = hypot(le.x - re.x, le.y - re.y);
	double rx = 0, ry = 0, lx = 0, ly = 0;
	const int r[] = { 33, 133, 159, 145 }, l[] = { 362, 263, 386, 374 };
	for (int i = 0; i < 4; i++) {
		rx += mesh.pts[r[i]][0] / 4;
		ry += mesh.pts[r[i]][1] / 4;
		lx += mesh.pts[l[i]][0] / 4;
		ly += mesh.pts[l[i]][1] / 4;
	}
	assert_true(hypot(rx - re.x, ry - re.y) < 0.2 * iod);
	assert_true(hypot(lx - le.x, ly - le.y) < 0.2 * iod);
	/* The nose tip is the nearest point to the camera of the middle of
	 * the face: in front of the eyes. */
	assert_true(mesh.pts[HS_MESH_NOSE_TIP][2] < mesh.pts[33][2]);
	hs_detector_destroy(det);
	hs_facemesh_destroy(fm);
}

/* Through the analyzer, as `analyze` and `run` use it: absolute pitch on
 * AFLW2000 faces within a few degrees of their labels, and a Pointing'04
 * face looking down reads lower than its own frontal image. */
static void analyzer_pitch_on_real_faces(void **state)
{
	(void)state;
	hs_facemesh *probe = model_or_skip();
	hs_facemesh_destroy(probe);
	const struct {
		const char *file;
		double pitch;
	} faces[] = {
		{ AFLW "image01322.jpg", 13.59 },  /* down */
		{ AFLW "image00514.jpg", -30.66 }, /* up */
		{ AFLW "image02545.jpg", 30.97 },  /* down */
	};
	hs_analyzer *az = NULL;
	assert_int_equal(hs_analyzer_create(NULL, 60, &az), 0);
	assert_true(hs_analyzer_use_mesh(az, true));
	hs_analysis an;
	double sum = 0;
	const int n = (int)(sizeof faces / sizeof faces[0]);
	for (int i = 0; i < n; i++) {
		if (!load_fixture(faces[i].file)) {
			hs_analyzer_destroy(az);
			skip();
		}
		assert_int_equal(hs_analyzer_run(az, img, &an), 0);
		assert_true(an.has_pose && an.pose_from_mesh);
		/* Each within 10 degrees (image01322 reads about 9 high), on
		 * average within 5 (PnP on six keypoints was off by 26). */
		assert_near(an.pose.pitch_down_deg, faces[i].pitch, 10);
		sum += fabs(an.pose.pitch_down_deg - faces[i].pitch);
	}
	assert_true(sum / n < 5);
	assert_true(load_fixture(FRONT));
	assert_int_equal(hs_analyzer_run(az, img, &an), 0);
	assert_true(an.pose_from_mesh);
	const double front = an.pose.pitch_down_deg;
	assert_true(load_fixture(DOWN));
	assert_int_equal(hs_analyzer_run(az, img, &an), 0);
	assert_true(an.pose_from_mesh);
	assert_true(an.pose.pitch_down_deg - front > 7.5);
	/* The preview draws the mesh the pose came from: on the nose. */
	const hs_mesh *mesh = hs_analyzer_mesh(az, &an);
	assert_non_null(mesh);
	const hs_point nose = an.face.kp[HS_KP_NOSE];
	assert_true(hypot(mesh->pts[HS_MESH_NOSE_TIP][0] - nose.x,
	                  mesh->pts[HS_MESH_NOSE_TIP][1] - nose.y) <
	            0.25 * an.face.box[2]);
	/* With PnP there is no mesh to draw. */
	assert_false(hs_analyzer_use_mesh(az, false));
	assert_int_equal(hs_analyzer_run(az, img, &an), 0);
	assert_true(an.has_pose && !an.pose_from_mesh);
	assert_null(hs_analyzer_mesh(az, &an));
	hs_analyzer_destroy(az);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		        crop_is_centred_scaled_and_turned_with_the_eyes),
		cmocka_unit_test(crop_needs_a_box_and_both_eyes),
		cmocka_unit_test(pose_from_a_synthetic_mesh),
		cmocka_unit_test(missing_or_corrupt_model_is_named),
		cmocka_unit_test(mesh_lands_on_a_real_face),
		cmocka_unit_test(analyzer_pitch_on_real_faces),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
