/* shim.h - the C interface to OpenCV.
 *
 * Everything here is implemented in shim/ (the only C++ in headsup).  Each
 * object is an opaque handle; every function returns 0 or a negative hs_err
 * and never lets a C++ exception escape.  Frames stay in memory: nothing in
 * this interface writes an image anywhere.
 */
#ifndef HEADSUP_SHIM_H
#define HEADSUP_SHIM_H

#include <stdbool.h>
#include <stddef.h>

#include "headsup/resample.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Text of the last OpenCV error caught in this thread ("" when none). */
const char *hs_shim_last_error(void);

/* ---- images ---------------------------------------------------------- */

/* A BGR 8-bit image buffer, reused from frame to frame. */
typedef struct hs_image hs_image;

int hs_image_create(hs_image **out);
void hs_image_destroy(hs_image *img);
/* Width and height in pixels; 0 when the image is empty. */
void hs_image_size(const hs_image *img, int *width, int *height);
/* hs_image_load()'s result for an image decoded although its decoder
 * complained: damage (a cut-off JPEG, whose missing part comes out grey),
 * or a flaw in what is around the pixels (a PNG's gamma chunk). */
enum {
	HS_IMAGE_DAMAGED = 1
};
/* Decode an image file into img: 0, or HS_IMAGE_DAMAGED with the decoder's
 * complaint in hs_shim_last_error() ("Premature end of JPEG file").
 * HS_ENOENT when missing; HS_EFORMAT when the file is not an image OpenCV
 * can decode, with the decoder's reason, if it gave one, in
 * hs_shim_last_error() ("libpng error: Read Error"; else ""); HS_ETOOLARGE
 * when it is over OpenCV's size limits (its size and the limit in
 * hs_shim_last_error()).  The decoders' own lines never reach stderr,
 * unless the libraries may speak (OPENCV_LOG_LEVEL set): then they do, and
 * a damaged image gives 0. */
int hs_image_load(hs_image *img, const char *path);
/* Decode one JPEG held in memory (a camera's MJPG frame) into img.  Damage
 * libjpeg decodes around (stray bytes between segments, a cut-off end) is
 * no error and prints nothing: *damaged (when not NULL) counts it.
 * HS_EFORMAT when the data cannot be decoded (libjpeg's reason in
 * hs_shim_last_error()). */
int hs_image_decode_jpeg(hs_image *img, const unsigned char *data, size_t size,
                         int *damaged);
/* Fill img with a copy of w x h BGR pixels (row stride = 3 * w). */
int hs_image_from_bgr(hs_image *img, const unsigned char *bgr, int w, int h);
/* Mean brightness of img (Rec. 601 luma), 0 for black to 1 for white;
 * HS_EINVAL for an empty image. */
int hs_image_mean_luma(const hs_image *img, double *luma);
/* Resize src to w x h pixels into dst (bilinear; area when shrinking). */
int hs_image_resize(const hs_image *src, int w, int h, hs_image *dst);
/* A view of img's BGR pixels (resample.h), valid until img changes;
 * HS_EINVAL for an empty image. */
int hs_image_pixels(const hs_image *img, hs_pixels *out);
/* Draw a filled/hollow circle or a text label, for the preview window. */
void hs_image_draw_circle(hs_image *img, float x, float y, float r,
                          unsigned rgb);
void hs_image_draw_rect(hs_image *img, float x, float y, float w, float h,
                        unsigned rgb);
void hs_image_draw_text(hs_image *img, float x, float y, const char *text,
                        unsigned rgb);

/* ---- video and camera ---------------------------------------------------
 * One handle type for both: a camera (V4L2) or a video file. */
typedef struct hs_capture hs_capture;

typedef struct hs_capture_info {
	int width, height;
	double fps;       /* 0 when unknown */
	long frame_count; /* -1 when unknown (cameras) */
} hs_capture_info;

/* Open a V4L2 camera by device path ("/dev/video0").  Asks for MJPG at
 * width x height and fps; the driver may pick something close. */
int hs_capture_open_camera(const char *device, int width, int height,
                           double fps, hs_capture **out);
/* Open a video file.  HS_ENOENT when missing, HS_EFORMAT when not a video
 * OpenCV can decode. */
int hs_capture_open_video(const char *path, hs_capture **out);
void hs_capture_destroy(hs_capture *cap);
void hs_capture_get_info(const hs_capture *cap, hs_capture_info *info);
/* Grab the next frame without decoding it (cheap skip).  *pos_s receives
 * the frame's own time stamp in seconds (video files) or 0 (cameras).
 * HS_EEOF at the end of a file. */
int hs_capture_grab(hs_capture *cap, double *pos_s);
/* Decode the frame last grabbed into img. */
int hs_capture_retrieve(hs_capture *cap, hs_image *img);

/* ---- BlazeFace network --------------------------------------------------- */
typedef struct hs_facenet hs_facenet;

#define HS_FACENET_INPUT 128
#define HS_FACENET_ANCHORS 896 /* 16*16*2 + 8*8*6 */

/* Floats of the network input: NHWC [1,128,128,3], RGB in [-1,1]. */
#define HS_FACENET_INPUT_FLOATS (HS_FACENET_INPUT * HS_FACENET_INPUT * 3)

/* The network through OpenCV's dnn module: the reference the C engine is
 * tested and measured against. */
int hs_facenet_create(const char *onnx_path, hs_facenet **out);
void hs_facenet_destroy(hs_facenet *net);
/* Run cv::dnn on a letterboxed input and point scores (HS_FACENET_ANCHORS
 * logits) and regressors (HS_FACENET_ANCHORS x 16) at buffers owned by
 * net, valid until the next call. */
int hs_facenet_forward(hs_facenet *net, const float *input,
                       const float **scores, const float **regressors);

/* ---- Haar cascades (fallback detector, and the speed baseline) ----------- */
typedef struct hs_haar hs_haar;

typedef struct hs_rect {
	float x, y, w, h;
} hs_rect;

/* Load the frontal face cascade and, when eye_path is not NULL, the eye
 * cascade. */
int hs_haar_create(const char *face_path, const char *eye_path, hs_haar **out);
void hs_haar_destroy(hs_haar *haar);
/* Largest face in img (HS_ENOFACE when none).  eyes[0..*n_eyes) receives
 * up to two eye boxes inside the face, in frame pixels; pass NULL to skip
 * the eye search. */
int hs_haar_detect(hs_haar *haar, const hs_image *img, hs_rect *face,
                   hs_rect *eyes, int *n_eyes);

/* ---- perspective-n-point ------------------------------------------------- */
/* Solve for the rotation (Rodrigues vector) and translation that project
 * object points (n x 3) to image points (n x 2) through camera matrix K
 * (row-major 3x3, no distortion).  When use_guess is true, rvec and tvec
 * hold the starting estimate. */
int hs_pnp_solve(const double *object_pts, const double *image_pts, int n,
                 const double K[9], bool use_guess, double rvec[3],
                 double tvec[3]);

/* ---- preview window ------------------------------------------------------ */
int hs_preview_show(const char *title, const hs_image *img);
/* Wait up to ms for a key; returns the key code or -1. */
int hs_preview_poll_key(int ms);
void hs_preview_close(const char *title);

/* ---- threads ------------------------------------------------------------- */
/* Limit OpenCV's own worker threads (1 = single-threaded). */
void hs_cv_set_threads(int n);

#ifdef __cplusplus
}
#endif

#endif
