/* detector.c - the face detector back-ends and their selection.
 *
 * BlazeFace runs on the C engine (nn.h) on the frame letterboxed by
 * resample.h, so a frame allocates nothing and calls no OpenCV; its cv::dnn
 * path (shim/facenet.cpp) stays as the engine's reference in the tests and
 * the benchmark. */
#include "headsup/detector.h"

#include "headsup/blazeface.h"
#include "headsup/err.h"
#include "headsup/log.h"
#include "headsup/nn.h"
#include "headsup/paths.h"
#include "headsup/resample.h"
#include "headsup/sha256.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef HS_MODEL_SHA256
#error "HS_MODEL_SHA256 must come from models/manifest.ini (see CMakeLists.txt)"
#endif
#ifndef HS_CASCADE_DIR
#define HS_CASCADE_DIR "/usr/share/opencv4/haarcascades"
#endif

#define MODEL_FILE "blazeface-front-128.onnx"
/* MediaPipe's short-range face detector settings. */
#define MIN_SCORE 0.5f
#define MIN_IOU 0.3f
#define MAX_CANDIDATES 128

const char *const hs_keypoint_names[HS_KP_COUNT] = {
	"right_eye", "left_eye", "nose", "mouth", "right_ear", "left_ear",
};

struct hs_detector {
	const hs_detector_ops *ops;
	void *state;
};

/* ---- BlazeFace ------------------------------------------------------- */

/* The model's two output layers: the stride-8 anchors (16x16 cells, 2
 * each) then the stride-16 ones (8x8 cells, 6 each), each with a tensor of
 * score logits and one of regressors. */
typedef struct bf_layer {
	const char *scores, *regs; /* output names */
	int first, anchors;        /* slice of hs_blazeface_anchors() */
} bf_layer;

static const bf_layer bf_layers[2] = {
	{ "Identity:0", "Identity_2:0", 0, 16 * 16 * 2 },
	{ "Identity_1:0", "Identity_3:0", 16 * 16 * 2, 8 * 8 * 6 },
};

typedef struct blazeface {
	hs_nn *nn;
	int scores[2], regs[2]; /* output index of each layer's tensors */
	float input[HS_FACENET_INPUT_FLOATS];
	float *scratch; /* the letterbox's, as wide as the widest frame yet */
	size_t scratch_floats;
	float anchors[HS_BF_ANCHORS][2];
	hs_bf_detection cand[MAX_CANDIDATES];
	hs_bf_detection faces[MAX_CANDIDATES];
} blazeface;

/* Why the model did not load, for hs_detector_create()'s warning. */
static char model_error[512];

/* The index of the output called name, which must hold count values. */
static int find_output(const hs_nn *nn, const char *name, size_t count,
                       int *index)
{
	size_t n = 0;
	int i = hs_nn_output_index(nn, name);
	if (i < 0 || !hs_nn_output(nn, i, &n) || n != count) {
		snprintf(model_error, sizeof model_error,
		         "it has no output '%s' of %zu values", name, count);
		return HS_EFORMAT;
	}
	*index = i;
	return 0;
}

static int blazeface_create(const char *path, void **state)
{
	model_error[0] = '\0';
	blazeface *b = calloc(1, sizeof *b);
	if (!b)
		return HS_ENOMEM;
	int rc = hs_nn_create(path, &b->nn, model_error, sizeof model_error);
	if (rc < 0)
		goto fail;
	rc = HS_EFORMAT;
	if (hs_nn_input_count(b->nn) != HS_FACENET_INPUT_FLOATS) {
		snprintf(model_error, sizeof model_error,
		         "its input has %zu values, not %d",
		         hs_nn_input_count(b->nn), HS_FACENET_INPUT_FLOATS);
		goto fail;
	}
	for (int l = 0; l < 2; l++) {
		if ((rc = find_output(b->nn, bf_layers[l].scores,
		                      (size_t)bf_layers[l].anchors,
		                      &b->scores[l])) < 0 ||
		    (rc = find_output(b->nn, bf_layers[l].regs,
		                      (size_t)bf_layers[l].anchors * HS_BF_REGS,
		                      &b->regs[l])) < 0)
			goto fail;
	}
	hs_blazeface_anchors(b->anchors);
	*state = b;
	return 0;
fail:
	hs_nn_destroy(b->nn);
	free(b);
	return rc;
}

static int blazeface_detect(void *state, const hs_image *img, hs_face *face)
{
	blazeface *b = state;
	hs_letterbox lb;
	memset(face, 0, sizeof *face);
	face->detector = hs_detector_blazeface.name;
	hs_pixels px;
	int rc = hs_image_pixels(img, &px);
	/* RGB in [-1, 1], as the network was trained */
	if (rc < 0 ||
	    (rc = hs_resample_reserve(&px, &b->scratch, &b->scratch_floats)) <
	            0 ||
	    (rc = hs_resample_letterbox(&px, HS_FACENET_INPUT, 2.0f / 255.0f,
	                                -1.0f, b->scratch, b->scratch_floats,
	                                b->input, &lb)) < 0 ||
	    (rc = hs_nn_run(b->nn, b->input, HS_FACENET_INPUT_FLOATS)) < 0)
		return rc;
	int n = 0;
	for (int l = 0; l < 2; l++)
		n += hs_blazeface_decode(
		        hs_nn_output(b->nn, b->scores[l], NULL),
		        hs_nn_output(b->nn, b->regs[l], NULL),
		        (const float(*)[2])b->anchors + bf_layers[l].first,
		        bf_layers[l].anchors, MIN_SCORE, b->cand + n,
		        MAX_CANDIDATES - n);
	int nf = hs_blazeface_blend(b->cand, n, MIN_IOU, b->faces,
	                            MAX_CANDIDATES);
	if (nf == 0)
		return 0;
	/* Several faces: the user is the largest one. */
	int best = 0;
	for (int i = 1; i < nf; i++)
		if (b->faces[i].w * b->faces[i].h >
		    b->faces[best].w * b->faces[best].h)
			best = i;
	hs_blazeface_to_face(&b->faces[best], &lb, face);
	return 0;
}

static void blazeface_destroy(void *state)
{
	blazeface *b = state;
	if (!b)
		return;
	hs_nn_destroy(b->nn);
	free(b->scratch);
	free(b);
}

const hs_detector_ops hs_detector_blazeface = {
	.name = "blazeface",
	.create = blazeface_create,
	.detect = blazeface_detect,
	.destroy = blazeface_destroy,
};

/* ---- Haar cascades ----------------------------------------------------- */

static int haar_create(const char *dir, void **state)
{
	char face[PATH_MAX], eye[PATH_MAX];
	snprintf(face, sizeof face, "%s/haarcascade_frontalface_default.xml",
	         dir);
	snprintf(eye, sizeof eye, "%s/haarcascade_eye.xml", dir);
	hs_haar *h = NULL;
	int rc = hs_haar_create(face, eye, &h);
	if (rc < 0)
		return rc;
	*state = h;
	return 0;
}

static int haar_detect(void *state, const hs_image *img, hs_face *face)
{
	hs_rect box, eyes[2];
	int n_eyes = 0;
	memset(face, 0, sizeof *face);
	face->detector = hs_detector_haar.name;
	int rc = hs_haar_detect(state, img, &box, eyes, &n_eyes);
	if (rc == HS_ENOFACE)
		return 0;
	if (rc < 0)
		return rc;
	face->found = true;
	face->score = 0; /* the cascade gives no confidence */
	face->box[0] = box.x;
	face->box[1] = box.y;
	face->box[2] = box.w;
	face->box[3] = box.h;
	if (n_eyes == 2) {
		/* The subject's right eye is the one on the image's left. */
		int r = eyes[0].x < eyes[1].x ? 0 : 1;
		face->kp[HS_KP_RIGHT_EYE].x = eyes[r].x + eyes[r].w / 2;
		face->kp[HS_KP_RIGHT_EYE].y = eyes[r].y + eyes[r].h / 2;
		face->kp[HS_KP_LEFT_EYE].x = eyes[1 - r].x + eyes[1 - r].w / 2;
		face->kp[HS_KP_LEFT_EYE].y = eyes[1 - r].y + eyes[1 - r].h / 2;
		face->kp_valid = HS_KP_EYES;
	}
	return 0;
}

static void haar_destroy(void *state)
{
	hs_haar_destroy(state);
}

const hs_detector_ops hs_detector_haar = {
	.name = "haar",
	.create = haar_create,
	.detect = haar_detect,
	.destroy = haar_destroy,
};

/* ---- selection --------------------------------------------------------- */

const char *hs_detector_cascade_dir(void)
{
	const char *env = getenv("HEADSUP_CASCADE_DIR");
	return env && env[0] ? env : HS_CASCADE_DIR;
}

int hs_detector_create_with(const hs_detector_ops *ops, const char *path,
                            hs_detector **out)
{
	hs_detector *d = calloc(1, sizeof *d);
	if (!d)
		return HS_ENOMEM;
	int rc = ops->create(path, &d->state);
	if (rc < 0) {
		free(d);
		return rc;
	}
	d->ops = ops;
	*out = d;
	return 0;
}

int hs_detector_check_model(const char *model_path, char *err, size_t errsize)
{
	if (!model_path || !model_path[0])
		return 0;
	char why[PATH_MAX + 256];
	if (hs_sha256_check_file(model_path, HS_MODEL_SHA256, "face model", why,
	                         sizeof why) == 0)
		return 0;
	snprintf(err, errsize,
	         "%s; a face model named in the settings or by --model must "
	         "be a copy of the one headsup was built for (%s): leave it "
	         "unset to use the installed one",
	         why, MODEL_FILE);
	return HS_ECONFIG;
}

int hs_detector_create(const char *model_path, hs_detector **out)
{
	char path[PATH_MAX], why[PATH_MAX + sizeof model_error + 128];
	if (model_path && model_path[0]) {
		snprintf(path, sizeof path, "%s", model_path);
	} else if (hs_path_data_file(MODEL_FILE, path, sizeof path) < 0) {
		snprintf(
		        why, sizeof why,
		        "face model '%s' is missing (run models/fetch-model.sh "
		        "or reinstall headsup)",
		        path);
		goto fallback;
	}
	if (hs_sha256_check_file(path, HS_MODEL_SHA256, "face model", why,
	                         sizeof why) < 0)
		goto fallback;
	int rc = hs_detector_create_with(&hs_detector_blazeface, path, out);
	if (rc == 0)
		return 0;
	snprintf(why, sizeof why, "cannot load face model '%s': %s", path,
	         model_error[0] ? model_error : hs_strerror(rc));

fallback:;
	const char *dir = hs_detector_cascade_dir();
	hs_warn("%s; falling back to the Haar cascades (face box and eyes "
	        "only, no pitch)",
	        why);
	rc = hs_detector_create_with(&hs_detector_haar, dir, out);
	if (rc < 0)
		hs_error("cannot load the Haar cascades from '%s': %s (install "
		         "the opencv-data package)",
		         dir, hs_strerror(rc));
	return rc;
}

void hs_detector_destroy(hs_detector *det)
{
	if (!det)
		return;
	det->ops->destroy(det->state);
	free(det);
}

int hs_detector_detect(hs_detector *det, const hs_image *img, hs_face *face)
{
	return det->ops->detect(det->state, img, face);
}

const char *hs_detector_name(const hs_detector *det)
{
	return det->ops->name;
}
