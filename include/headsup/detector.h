/* detector.h - finds the user's face in a frame.
 *
 * Two back-ends behind one table each: BlazeFace (the ONNX model, six
 * keypoints) and OpenCV's Haar cascades (face box and eyes), used when the
 * model file is missing or fails its checksum.
 */
#ifndef HEADSUP_DETECTOR_H
#define HEADSUP_DETECTOR_H

#include <stdbool.h>

#include "headsup/face.h"
#include "headsup/shim.h"

typedef struct hs_detector_ops {
	const char *name; /* "blazeface", "haar" */
	/* Load what the back-end needs; path is the model file (BlazeFace) or
	 * the cascade folder (Haar). */
	int (*create)(const char *path, void **state);
	/* Fill face; face->found is false when there is no face. */
	int (*detect)(void *state, const hs_image *img, hs_face *face);
	/* Optional (NULL): hs_detector_forget(), hs_detector_thorough(). */
	void (*forget)(void *state);
	void (*thorough)(void *state, bool on);
	void (*destroy)(void *state);
} hs_detector_ops;

extern const hs_detector_ops hs_detector_blazeface;
extern const hs_detector_ops hs_detector_haar;

typedef struct hs_detector hs_detector;

/* Choose and load a back-end.  model_path NULL or "" means the installed
 * model.  A missing model or one whose sha256 differs from the manifest's
 * gives one warning naming the file, and the Haar back-end.  HS_ENOENT when
 * the cascades are missing too (error logged with their path). */
int hs_detector_create(const char *model_path, hs_detector **out);
/* A model the user named (model_path not NULL or ""): 0 when it is the
 * model headsup was built for, else HS_ECONFIG with err saying why.  The
 * commands ask before they start: a path typed wrong is a configuration
 * error, not a reason to go on without pitch as for a damaged install. */
int hs_detector_check_model(const char *model_path, char *err, size_t errsize);
/* Force one back-end (benchmarks and tests). */
int hs_detector_create_with(const hs_detector_ops *ops, const char *path,
                            hs_detector **out);
void hs_detector_destroy(hs_detector *det);
/* Find the user's face in img.  BlazeFace looks at the whole frame, and
 * when nobody is there at zoomed parts of it, as a face far from a wide
 * camera is too small for the model at the frame's scale; a face found
 * only so (in a zoomed part, not in the whole frame) has face->zoomed
 * set.  The detector remembers where it found the face, to
 * look there first in the next frame, and while nobody is found it looks
 * at one zoomed part a frame in turn (unless thorough). */
int hs_detector_detect(hs_detector *det, const hs_image *img, hs_face *face);
/* The face last found was no face (the caller's check refused it): stop
 * following it, and look at the whole frame first next time. */
void hs_detector_forget(hs_detector *det);
/* Stills: look at each frame alone, and at every zoomed part of each
 * frame without a face.  Otherwise (a camera, the default) look where the
 * face was in the frame before first, and at one zoomed part a frame in
 * turn while nobody is found. */
void hs_detector_thorough(hs_detector *det, bool on);
const char *hs_detector_name(const hs_detector *det);

/* The folder holding OpenCV's Haar cascades ($HEADSUP_CASCADE_DIR, else
 * the opencv-data location). */
const char *hs_detector_cascade_dir(void);

#endif
