/* analyzer.h - one frame in, face and head pose out.
 *
 * Ties the detector to the pose estimate: the code path shared by
 * `analyze`, `calibrate` and `run`.
 */
#ifndef HEADSUP_ANALYZER_H
#define HEADSUP_ANALYZER_H

#include <stdbool.h>

#include "headsup/face.h"
#include "headsup/facemesh.h"
#include "headsup/pose.h"
#include "headsup/shim.h"

typedef struct hs_analyzer hs_analyzer;

/* A face found only in a zoomed part of the frame (detector.h) counts when
 * the face mesh sees a face there too, or when the detector's own score is
 * at least this (its threshold is 0.5). */
#define HS_ZOOMED_MIN_SCORE 0.7f

typedef struct hs_analysis {
	hs_face face; /* face.found false: nobody in the frame */
	hs_pose pose; /* valid when has_pose */
	bool has_pose;
	bool pose_from_mesh; /* the face mesh gave the pose, not PnP */
	int frame_w, frame_h;
	/* The frame's mean brightness, 0 (black) to 1, measured only when
	 * no face was found (is the camera covered?); NAN otherwise. */
	double luma;
} hs_analysis;

/* model_path NULL or "" for the installed model (Haar when unusable);
 * hfov_deg is the camera's assumed horizontal field of view. */
int hs_analyzer_create(const char *model_path, double hfov_deg,
                       hs_analyzer **out);
void hs_analyzer_destroy(hs_analyzer *a);
int hs_analyzer_run(hs_analyzer *a, const hs_image *img, hs_analysis *out);
/* Search each frame without a face for a small one in full (stills, as
 * `analyze` reads them), or spread the search over the frames that follow
 * (a camera or a video, the default); see hs_detector_detect(). */
void hs_analyzer_thorough(hs_analyzer *a, bool on);
/* Use m instead of the installed head model (benchmarks and tests). */
void hs_analyzer_set_head_model(hs_analyzer *a, const hs_head_model *m);
/* Take the pose from the face mesh (the default when its model loaded)
 * or from PnP on the detector's keypoints (benchmarks compare the two).
 * Returns whether the mesh is now used. */
bool hs_analyzer_use_mesh(hs_analyzer *a, bool on);
/* The face mesh that an, a's last analysis, took its pose from (for the
 * preview), or NULL when its pose did not come from a mesh.  Valid until
 * the next hs_analyzer_run(). */
const hs_mesh *hs_analyzer_mesh(const hs_analyzer *a, const hs_analysis *an);
/* "blazeface" or "haar". */
const char *hs_analyzer_detector(const hs_analyzer *a);

#endif
