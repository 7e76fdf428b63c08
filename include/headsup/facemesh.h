/* facemesh.h - 468 3-D points on a detected face, and the head pose they
 * give.
 *
 * MediaPipe Face Mesh (Kartynnik et al., "Real-time Facial Surface
 * Geometry from Monocular Video on Mobile GPUs", 2019) looks at a 192x192
 * crop around the face BlazeFace found, rotated so the eyes are level and
 * 1.5 times the face box wide, and places 468 points on the face with a
 * depth for each.  The network runs on our engine (nn.h) from the ONNX file
 * models/fetch-model.sh makes (see models/manifest.ini).
 *
 * The depth is what makes the pose better than PnP on BlazeFace's six
 * keypoints: a rigid 3-D fit of the mean head in models/face3d.csv to the
 * mesh's eyes, nose tip and mouth reads pitch without the keypoints'
 * flattening, so no pitch gain is needed (README "Head pose").
 */
#ifndef HEADSUP_FACEMESH_H
#define HEADSUP_FACEMESH_H

#include <stddef.h>

#include "headsup/face.h"
#include "headsup/pose.h"
#include "headsup/shim.h"

#define HS_MESH_POINTS 468
#define HS_MESH_INPUT 192 /* the network's square input, pixels */
/* Crop side over the face box's longer side (MediaPipe's own margin). */
#define HS_MESH_CROP_SCALE 1.5
/* Below this face-presence score the mesh is not trusted and the pose
 * falls back to PnP on the detector's keypoints. */
#define HS_MESH_MIN_SCORE 0.5f

/* Mesh indices of the points the pose uses (the topology is MediaPipe's
 * canonical face mesh; "right" is the subject's own). */
enum {
	HS_MESH_NOSE_TIP = 1,
	HS_MESH_UPPER_LIP = 13, /* inner edge, centre */
	HS_MESH_LOWER_LIP = 14, /* inner edge, centre */
	HS_MESH_RIGHT_EYE_OUTER = 33,
	HS_MESH_RIGHT_EYE_INNER = 133,
	HS_MESH_RIGHT_EYE_UPPER = 159,
	HS_MESH_RIGHT_EYE_LOWER = 145,
	HS_MESH_LEFT_EYE_INNER = 362,
	HS_MESH_LEFT_EYE_OUTER = 263,
	HS_MESH_LEFT_EYE_UPPER = 386,
	HS_MESH_LEFT_EYE_LOWER = 374,
};

typedef struct hs_mesh {
	/* x, y in frame pixels; z is depth in the same pixel scale, smaller
	 * = nearer the camera, zero near the middle of the face. */
	float pts[HS_MESH_POINTS][3];
	float score; /* face presence, 0..1 */
} hs_mesh;

typedef struct hs_facemesh hs_facemesh;

/* Load the converted model at path and check its sha256 against
 * expect_sha256 (NULL: no check).  HS_ENOENT / HS_EIO when it cannot be
 * read, HS_EFORMAT for a wrong checksum or a model without the expected
 * outputs, or what hs_nn_create() says; err (errsize bytes) then holds
 * a message naming the file. */
int hs_facemesh_create(const char *path, const char *expect_sha256,
                       hs_facemesh **out, char *err, size_t errsize);
void hs_facemesh_destroy(hs_facemesh *fm);

/* The crop for face: A maps network input pixels (u, v) to frame pixels
 * (A[0] u + A[1] v + A[2], A[3] u + A[4] v + A[5]).  Centred on the face
 * box, HS_MESH_CROP_SCALE times its longer side, turned by the eye line.
 * HS_EINVAL when the face lacks a box or eyes. */
int hs_facemesh_crop(const hs_face *face, double A[6]);

/* Place the mesh on face (from the BlazeFace detector) in img. */
int hs_facemesh_run(hs_facemesh *fm, const hs_image *img, const hs_face *face,
                    hs_mesh *out);

/* Head pose from a mesh: similarity fit of m's eyes, nose and mouth to the
 * mesh's, then m's mesh pitch offset.  HS_EINVAL on a degenerate mesh. */
int hs_facemesh_pose(const hs_head_model *m, const hs_mesh *mesh, hs_pose *out);

#endif
