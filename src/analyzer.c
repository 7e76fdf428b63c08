/* analyzer.c - detector + pose for one frame. */
#include "headsup/analyzer.h"

#include "headsup/detector.h"
#include "headsup/err.h"
#include "headsup/facemesh.h"
#include "headsup/log.h"
#include "headsup/paths.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef HS_MESH_MODEL_SHA256
#error "HS_MESH_MODEL_SHA256 must come from models/manifest.ini (see CMakeLists.txt)"
#endif
#define MESH_FILE "facemesh-192.onnx"

struct hs_analyzer {
	hs_detector *det;
	hs_facemesh *mesh; /* NULL: pose by PnP on the detector's keypoints */
	bool use_mesh;
	hs_head_model head;
	double hfov_deg;
	hs_camera_model cam;
	int cam_w, cam_h; /* frame size cam was made for */
	hs_mesh points;   /* the last frame's mesh (too big for the stack) */
};

/* The face-mesh model refines the pose; without it headsup still works,
 * with PnP on BlazeFace's six keypoints, and says so once. */
static void load_mesh(hs_analyzer *a)
{
	char path[PATH_MAX], err[PATH_MAX + 256];
	if (hs_path_data_file(MESH_FILE, path, sizeof path) < 0) {
		hs_warn("face-mesh model '%s' is missing (run "
		        "models/fetch-model.sh or reinstall headsup); head "
		        "pose "
		        "falls back to the face detector's six keypoints, with "
		        "a rougher pitch",
		        path);
		return;
	}
	if (hs_facemesh_create(path, HS_MESH_MODEL_SHA256, &a->mesh, err,
	                       sizeof err) < 0) {
		a->mesh = NULL;
		hs_warn("%s; head pose falls back to the face detector's six "
		        "keypoints, with a rougher pitch",
		        err);
	}
}

int hs_analyzer_create(const char *model_path, double hfov_deg,
                       hs_analyzer **out)
{
	hs_analyzer *a = calloc(1, sizeof *a);
	if (!a) {
		hs_error("out of memory for the face analysis");
		return HS_ENOMEM;
	}
	int rc = hs_detector_create(model_path, &a->det);
	if (rc < 0) {
		free(a);
		return rc;
	}
	char path[PATH_MAX], err[PATH_MAX + 64];
	if (hs_path_data_file("face3d.csv", path, sizeof path) == 0) {
		if (hs_head_model_read(&a->head, path, err, sizeof err) < 0) {
			hs_warn("%s; using the built-in head model", err);
			hs_head_model_default(&a->head);
		}
	} else {
		hs_head_model_default(&a->head);
	}
	a->hfov_deg = hfov_deg;
	if (strcmp(hs_detector_name(a->det), "blazeface") == 0)
		load_mesh(a);
	a->use_mesh = a->mesh != NULL;
	*out = a;
	return 0;
}

void hs_analyzer_destroy(hs_analyzer *a)
{
	if (!a)
		return;
	hs_detector_destroy(a->det);
	hs_facemesh_destroy(a->mesh);
	free(a);
}

int hs_analyzer_run(hs_analyzer *a, const hs_image *img, hs_analysis *out)
{
	memset(out, 0, sizeof *out);
	out->luma = NAN;
	hs_image_size(img, &out->frame_w, &out->frame_h);
	if (out->frame_w <= 0 || out->frame_h <= 0)
		return HS_EINVAL;
	int rc = hs_detector_detect(a->det, img, &out->face);
	if (rc < 0)
		return rc;
	if (!out->face.found) {
		if (hs_image_mean_luma(img, &out->luma) < 0)
			out->luma = NAN;
		return 0;
	}
	if (out->frame_w != a->cam_w || out->frame_h != a->cam_h) {
		hs_camera_model_from_fov(&a->cam, out->frame_w, out->frame_h,
		                         a->hfov_deg);
		a->cam_w = out->frame_w;
		a->cam_h = out->frame_h;
	}
	if (a->use_mesh &&
	    hs_facemesh_run(a->mesh, img, &out->face, &a->points) == 0 &&
	    a->points.score >= HS_MESH_MIN_SCORE &&
	    hs_facemesh_pose(&a->head, &a->points, &out->pose) == 0) {
		out->has_pose = true;
		out->pose_from_mesh = true;
		return 0;
	}
	/* A face found only by zooming in must be one the mesh sees too, or
	 * one the detector is sure of: searching more of the frame more
	 * closely finds the odd small "face" in hair or an ear beside a
	 * head turned away (scores 0.55 to 0.66), which must not read as a
	 * user looking down. */
	if (out->face.zoomed && out->face.score < HS_ZOOMED_MIN_SCORE) {
		hs_detector_forget(a->det);
		memset(&out->face, 0, sizeof out->face);
		out->face.detector = hs_detector_name(a->det);
		if (hs_image_mean_luma(img, &out->luma) < 0)
			out->luma = NAN;
		return 0;
	}
	if (hs_pose_estimate(&a->head, &a->cam, &out->face, &out->pose) == 0)
		out->has_pose = true;
	return 0;
}

void hs_analyzer_thorough(hs_analyzer *a, bool on)
{
	hs_detector_thorough(a->det, on);
}

void hs_analyzer_set_head_model(hs_analyzer *a, const hs_head_model *m)
{
	a->head = *m;
}

const char *hs_analyzer_detector(const hs_analyzer *a)
{
	return hs_detector_name(a->det);
}

bool hs_analyzer_use_mesh(hs_analyzer *a, bool on)
{
	a->use_mesh = on && a->mesh;
	return a->use_mesh;
}

const hs_mesh *hs_analyzer_mesh(const hs_analyzer *a, const hs_analysis *an)
{
	return an->pose_from_mesh ? &a->points : NULL;
}
