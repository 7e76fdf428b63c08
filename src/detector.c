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
#include <math.h>
#include <stdbool.h>
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

/* The zoomed search.  The short-range model sees the whole frame
 * letterboxed into 128 px, and misses a face under about a fifth of the
 * frame's width: that of someone at arm's length from a wide webcam (a
 * 78-degree camera at 80 cm sees a face at about 12% of its width).  When
 * the whole frame shows nobody, the model looks at tiles of it, squares of
 * TILE_SHARE of its shorter side (a zoom of over 2 on a 4:3 frame), centre
 * first.  A face a tile finds may be cut by its edge, so it is looked at
 * again in a square ZOOM_CONTEXT times its size centred on it, and that
 * look is the one taken; so is a face the whole frame shows small (its box
 * is then too large by a third, and its keypoints loose); the next frame looks
 * in the same place first, which follows a small face at one pass a frame.
 * These are the model's native use, with its own threshold: on 82 frames of the
 * fixtures with the head painted over (desk, room and outdoor scenes) no tile
 * found a face. */
#define TILE_SHARE 0.6
#define TILE_STEP 0.7 /* of the side: tiles overlap by 30% */
#define TILES_MAX 12
#define ZOOM_CONTEXT 2.0
/* A face the whole frame shows under this many of the model's 128 pixels
 * wide (under a fifth of the frame) is looked at again, zoomed. */
#define REFINE_BELOW 24
/* A face followed this many frames running is looked for in the whole
 * frame again (5 s at the monitor's 2 Hz). */
#define FOLLOW_MAX 10

typedef struct tile {
	int x, y, side;
} tile;

typedef struct blazeface {
	hs_nn *nn;
	int scores[2], regs[2]; /* output index of each layer's tensors */
	float input[HS_FACENET_INPUT_FLOATS];
	float *scratch; /* the letterbox's, as wide as the widest frame yet */
	size_t scratch_floats;
	float anchors[HS_BF_ANCHORS][2];
	hs_bf_detection cand[MAX_CANDIDATES];
	hs_bf_detection faces[MAX_CANDIDATES];
	/* the search: whether a face looked at closely is being followed
	 * (then it is looked for around follow_box first; not to be mixed up
	 * with hs_face.zoomed, a face found only in a tile), whether the last
	 * frame had a face or the frames changed size (either way every tile
	 * is tried at once), and the tile tried next while nobody is there */
	bool following, had_face, new_size, thorough;
	bool from_tile; /* the face followed was first found in a tile */
	float follow_box[4];
	int followed; /* frames the face was followed in since the whole */
	int next_tile;
	int tiles_w, tiles_h, n_tiles; /* tiles of a frame of that size */
	tile tiles[TILES_MAX];
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

/* One pass of the network over view, the part of the frame from (x0, y0):
 * the largest face there, in frame pixels, into face; *got whether there
 * was one. */
static int bf_pass(blazeface *b, const hs_pixels *view, int x0, int y0,
                   hs_face *face, bool *got)
{
	*got = false;
	hs_letterbox lb;
	/* RGB in [-1, 1], as the network was trained */
	int rc = hs_resample_letterbox(view, HS_FACENET_INPUT, 2.0f / 255.0f,
	                               -1.0f, b->scratch, b->scratch_floats,
	                               b->input, &lb);
	if (rc < 0 ||
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
	lb.pad_x -= (float)x0;
	lb.pad_y -= (float)y0;
	hs_blazeface_to_face(&b->faces[best], &lb, face);
	*got = true;
	return 0;
}

/* Lay out the tiles of a w x h frame (see TILE_SHARE), centre first. */
static void make_tiles(blazeface *b, int w, int h)
{
	b->tiles_w = w;
	b->tiles_h = h;
	b->n_tiles = 0;
	b->following = false;
	b->new_size = true;
	b->next_tile = 0;
	const int side = (int)((w < h ? w : h) * TILE_SHARE);
	if (side < HS_FACENET_INPUT)
		return; /* a small frame is seen whole, or not at all */
	const int step = (int)(side * TILE_STEP);
	int nx = 1 + (w - side + step - 1) / step;
	int ny = 1 + (h - side + step - 1) / step;
	/* A very wide (or tall) frame: fewer tiles, spread over all of it,
	 * rather than the first TILES_MAX of a row */
	if (ny > TILES_MAX)
		ny = TILES_MAX;
	if (nx * ny > TILES_MAX)
		nx = TILES_MAX / ny;
	for (int j = 0; j < ny; j++)
		for (int i = 0; i < nx; i++)
			b->tiles[b->n_tiles++] = (tile){
				nx > 1 ? i * (w - side) / (nx - 1)
				       : (w - side) / 2,
				ny > 1 ? j * (h - side) / (ny - 1)
				       : (h - side) / 2,
				side,
			};
	/* nearest the centre first: the user sits in front of the screen */
	for (int i = 1; i < b->n_tiles; i++) {
		for (int k = i; k > 0; k--) {
			const tile *t = &b->tiles[k], *u = &b->tiles[k - 1];
			const double dt = hypot(t->x + t->side / 2.0 - w / 2.0,
			                        t->y + t->side / 2.0 - h / 2.0);
			const double du = hypot(u->x + u->side / 2.0 - w / 2.0,
			                        u->y + u->side / 2.0 - h / 2.0);
			if (du <= dt)
				break;
			tile swap = b->tiles[k];
			b->tiles[k] = b->tiles[k - 1];
			b->tiles[k - 1] = swap;
		}
	}
}

/* One pass over the square of the frame at (x, y), side pixels wide. */
static int square_pass(blazeface *b, const hs_pixels *px, int x, int y,
                       int side, hs_face *face, bool *got)
{
	hs_pixels view = {
		.bgr = px->bgr + (size_t)y * px->stride + (size_t)x * 3,
		.w = side,
		.h = side,
		.stride = px->stride,
	};
	return bf_pass(b, &view, x, y, face, got);
}

/* One pass over a square ZOOM_CONTEXT times the box's size, centred on it
 * and moved into the frame. */
static int around_pass(blazeface *b, const hs_pixels *px, const float box[4],
                       hs_face *face, bool *got)
{
	const int most = px->w < px->h ? px->w : px->h;
	double side = ZOOM_CONTEXT * (box[2] > box[3] ? box[2] : box[3]);
	int s = side > most ? most : (int)side;
	if (s < HS_FACENET_INPUT / 2)
		s = HS_FACENET_INPUT / 2 < most ? HS_FACENET_INPUT / 2 : most;
	double x = box[0] + box[2] / 2.0 - s / 2.0;
	double y = box[1] + box[3] / 2.0 - s / 2.0;
	x = fmin(fmax(x, 0), px->w - s);
	y = fmin(fmax(y, 0), px->h - s);
	return square_pass(b, px, (int)x, (int)y, s, face, got);
}

/* Is face small at the whole frame's scale (longer: its longer side)? */
static bool small(const hs_face *face, int longer)
{
	return face->box[2] * HS_FACENET_INPUT < REFINE_BELOW * (float)longer;
}

/* Look again at face, found in a tile or small in the whole frame, in a
 * square around it; keep the first look when the second finds nothing.
 * *closer: whether the second look is the one kept. */
static int look_closer(blazeface *b, const hs_pixels *px, hs_face *face,
                       bool *closer)
{
	const hs_face first = *face;
	int rc = around_pass(b, px, first.box, face, closer);
	if (rc == 0 && !*closer)
		*face = first;
	return rc;
}

static int blazeface_detect(void *state, const hs_image *img, hs_face *face)
{
	blazeface *b = state;
	memset(face, 0, sizeof *face);
	face->detector = hs_detector_blazeface.name;
	hs_pixels px;
	int rc = hs_image_pixels(img, &px);
	if (rc < 0 || (rc = hs_resample_reserve(&px, &b->scratch,
	                                        &b->scratch_floats)) < 0)
		return rc;
	if (px.w != b->tiles_w || px.h != b->tiles_h)
		make_tiles(b, px.w, px.h);
	bool got = false, closer = false;
	const int longer = px.w > px.h ? px.w : px.h;
	/* Where a small face was last, first (frames of a stream: stills
	 * are each looked at alone); but every FOLLOW_MAX frames the whole
	 * frame first, where someone larger, nearer the screen, may have
	 * sat down. */
	if (b->following && !b->thorough && b->followed < FOLLOW_MAX) {
		if ((rc = around_pass(b, &px, b->follow_box, face, &got)) < 0)
			return rc;
		/* grown so that the whole frame sees it well: look there, so
		 * that a face reads the same however it was come to */
		if (got && !small(face, longer))
			got = false;
		closer = got;
		face->zoomed = got && b->from_tile;
		b->followed++;
	}
	if (!got) {
		b->following = false;
		b->from_tile = false;
		if ((rc = bf_pass(b, &px, 0, 0, face, &got)) < 0)
			return rc;
		/* Found, but small at the model's scale: its box comes out too
		 * large and its keypoints loose; look again closer. */
		if (got && small(face, longer) &&
		    (rc = look_closer(b, &px, face, &closer)) < 0)
			return rc;
	}
	/* Nobody in the whole frame: every tile when a face was there a
	 * moment ago (or when asked to look hard), else one a frame in turn,
	 * so that an empty room costs two passes a frame, not n + 1. */
	const bool all = b->thorough || b->had_face || b->new_size;
	const int tries = got || b->n_tiles == 0 ? 0 : all ? b->n_tiles : 1;
	for (int i = 0; i < tries && !got; i++) {
		const tile *t = &b->tiles[all ? i : b->next_tile];
		if (!all)
			b->next_tile = (b->next_tile + 1) % b->n_tiles;
		if ((rc = square_pass(b, &px, t->x, t->y, t->side, face,
		                      &got)) < 0)
			return rc;
		/* the tile may cut it: look again around it */
		if (got && (rc = look_closer(b, &px, face, &closer)) < 0)
			return rc;
		if (got) {
			face->zoomed = true;
			b->from_tile = true;
		}
	}
	/* a face looked at closely is followed in the frames after */
	if (got && closer && !b->following) {
		b->following = true;
		b->followed = 0;
	}
	if (got && b->following)
		memcpy(b->follow_box, face->box, sizeof b->follow_box);
	if (!got) {
		memset(face, 0, sizeof *face);
		face->detector = hs_detector_blazeface.name;
	}
	b->had_face = got;
	b->new_size = false;
	return 0;
}

static void blazeface_forget(void *state)
{
	blazeface *b = state;
	b->following = false;
	b->from_tile = false;
}

static void blazeface_thorough(void *state, bool on)
{
	blazeface *b = state;
	b->thorough = on;
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
	.forget = blazeface_forget,
	.thorough = blazeface_thorough,
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

void hs_detector_forget(hs_detector *det)
{
	if (det->ops->forget)
		det->ops->forget(det->state);
}

void hs_detector_thorough(hs_detector *det, bool on)
{
	if (det->ops->thorough)
		det->ops->thorough(det->state, on);
}

const char *hs_detector_name(const hs_detector *det)
{
	return det->ops->name;
}
