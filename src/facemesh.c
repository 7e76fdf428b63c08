/* facemesh.c - MediaPipe Face Mesh on our engine, and pose from its points
 * (see facemesh.h). */
#include "headsup/facemesh.h"

#include "headsup/err.h"
#include "headsup/nn.h"
#include "headsup/resample.h"
#include "headsup/sha256.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define INPUT_FLOATS (HS_MESH_INPUT * HS_MESH_INPUT * 3)

struct hs_facemesh {
	hs_nn *nn;
	int out_mesh, out_flag;
	float input[INPUT_FLOATS]; /* reused: nothing is allocated per frame */
};

int hs_facemesh_create(const char *path, const char *expect_sha256,
                       hs_facemesh **out, char *err, size_t errsize)
{
	int rc;
	if (expect_sha256 &&
	    (rc = hs_sha256_check_file(path, expect_sha256, "face-mesh model",
	                               err, errsize)) < 0)
		return rc;
	hs_facemesh *fm = calloc(1, sizeof *fm);
	if (!fm)
		return HS_ENOMEM;
	char why[256];
	rc = hs_nn_create(path, &fm->nn, why, sizeof why);
	if (rc < 0) {
		snprintf(err, errsize, "cannot load face-mesh model '%s': %s",
		         path, why);
		free(fm);
		return rc;
	}
	size_t n_mesh = 0, n_flag = 0;
	fm->out_mesh = hs_nn_output_index(fm->nn, "output_mesh");
	fm->out_flag = hs_nn_output_index(fm->nn, "output_faceflag");
	if (fm->out_mesh >= 0)
		hs_nn_output(fm->nn, fm->out_mesh, &n_mesh);
	if (fm->out_flag >= 0)
		hs_nn_output(fm->nn, fm->out_flag, &n_flag);
	if (hs_nn_input_count(fm->nn) != INPUT_FLOATS ||
	    n_mesh != HS_MESH_POINTS * 3 || n_flag != 1) {
		snprintf(err, errsize,
		         "'%s' is not a face-mesh model (expected a 192x192x3 "
		         "input and outputs output_mesh [1404] and "
		         "output_faceflag [1])",
		         path);
		hs_nn_destroy(fm->nn);
		free(fm);
		return HS_EFORMAT;
	}
	*out = fm;
	return 0;
}

void hs_facemesh_destroy(hs_facemesh *fm)
{
	if (!fm)
		return;
	hs_nn_destroy(fm->nn);
	free(fm);
}

int hs_facemesh_crop(const hs_face *face, double A[6])
{
	if (!face->found || (face->kp_valid & HS_KP_EYES) != HS_KP_EYES ||
	    !(face->box[2] > 0) || !(face->box[3] > 0))
		return HS_EINVAL;
	const hs_point re = face->kp[HS_KP_RIGHT_EYE];
	const hs_point le = face->kp[HS_KP_LEFT_EYE];
	/* The subject's right eye is on the image's left: the eye line points
	 * to the image's right on an upright face, angle 0. */
	const double ang = atan2((double)le.y - re.y, (double)le.x - re.x);
	const double side =
	        fmax(face->box[2], face->box[3]) * HS_MESH_CROP_SCALE;
	const double k = side / HS_MESH_INPUT;
	const double c = cos(ang) * k, s = sin(ang) * k;
	const double cx = face->box[0] + face->box[2] / 2.0;
	const double cy = face->box[1] + face->box[3] / 2.0;
	const double mid = HS_MESH_INPUT / 2.0;
	A[0] = c;
	A[1] = -s;
	A[2] = cx - (c * mid - s * mid);
	A[3] = s;
	A[4] = c;
	A[5] = cy - (s * mid + c * mid);
	return isfinite(A[2]) && isfinite(A[5]) ? 0 : HS_EINVAL;
}

int hs_facemesh_run(hs_facemesh *fm, const hs_image *img, const hs_face *face,
                    hs_mesh *out)
{
	double A[6];
	int rc = hs_facemesh_crop(face, A);
	if (rc < 0)
		return rc;
	/* The network takes RGB in [0, 1]. */
	hs_pixels px;
	if ((rc = hs_image_pixels(img, &px)) < 0 ||
	    (rc = hs_resample_affine(&px, A, HS_MESH_INPUT, HS_MESH_INPUT,
	                             1.0f / 255.0f, 0.0f, fm->input)) < 0 ||
	    (rc = hs_nn_run(fm->nn, fm->input, INPUT_FLOATS)) < 0)
		return rc;
	const float *mesh = hs_nn_output(fm->nn, fm->out_mesh, NULL);
	const float *flag = hs_nn_output(fm->nn, fm->out_flag, NULL);
	/* Back to the frame: x, y through A; z scales like x (the crop's
	 * pixels are k frame pixels wide). */
	const double k = hypot(A[0], A[3]);
	for (int i = 0; i < HS_MESH_POINTS; i++) {
		const double u = mesh[3 * i], v = mesh[3 * i + 1];
		out->pts[i][0] = (float)(A[0] * u + A[1] * v + A[2]);
		out->pts[i][1] = (float)(A[3] * u + A[4] * v + A[5]);
		out->pts[i][2] = (float)(mesh[3 * i + 2] * k);
	}
	out->score = flag[0];
	return 0;
}

int hs_facemesh_pose(const hs_head_model *m, const hs_mesh *mesh, hs_pose *out)
{
	/* The head model's eyes (pupils), nose tip and mouth centre, each the
	 * mean of some mesh points.  The mesh has no pupil: the middle of the
	 * four eye-outline points that bound the eye opening stands in for
	 * it.  The ears are left out: the mesh's outline points near them sit
	 * on the cheek, not on the tragion the model means. */
	static const struct {
		hs_keypoint kp;
		int n, idx[4];
	} parts[] = {
		{ HS_KP_RIGHT_EYE,
		  4,
		  { HS_MESH_RIGHT_EYE_OUTER, HS_MESH_RIGHT_EYE_INNER,
		    HS_MESH_RIGHT_EYE_UPPER, HS_MESH_RIGHT_EYE_LOWER } },
		{ HS_KP_LEFT_EYE,
		  4,
		  { HS_MESH_LEFT_EYE_INNER, HS_MESH_LEFT_EYE_OUTER,
		    HS_MESH_LEFT_EYE_UPPER, HS_MESH_LEFT_EYE_LOWER } },
		{ HS_KP_NOSE, 1, { HS_MESH_NOSE_TIP } },
		{ HS_KP_MOUTH, 2, { HS_MESH_UPPER_LIP, HS_MESH_LOWER_LIP } },
	};
	enum {
		N = sizeof parts / sizeof parts[0]
	};
	double model[N][3], pts[N][3];
	for (int i = 0; i < N; i++)
		for (int d = 0; d < 3; d++) {
			model[i][d] = m->pts[parts[i].kp][d];
			pts[i][d] = 0;
			for (int j = 0; j < parts[i].n; j++)
				pts[i][d] +=
				        (double)mesh->pts[parts[i].idx[j]][d] /
				        parts[i].n;
		}

	double R[9], scale, t[3];
	int rc = hs_pose_fit_similarity((const double(*)[3])model,
	                                (const double(*)[3])pts, N, R, &scale,
	                                t);
	if (rc < 0)
		return rc;
	hs_pose_from_matrix(R, &out->pitch_down_deg, &out->yaw_deg,
	                    &out->roll_deg);
	out->pitch_down_deg += m->mesh_pitch_offset_deg;
	out->has_pitch = true;
	return 0;
}
