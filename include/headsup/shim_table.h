/* shim_table.h - how the C core reaches the OpenCV shim.
 *
 * The shim is built as a loadable module (headsup-vision.so), so commands
 * that need no camera or image (report, advice, pause, ...) start without
 * loading OpenCV and its few hundred libraries.  The module exports one
 * function, HS_SHIM_TABLE_SYMBOL, returning a table with one pointer per
 * function of shim.h; src/shim_loader.c implements shim.h by calling
 * through it.
 *
 * HS_SHIM_FUNCS(R, V): R rows return int (0 or a negative hs_err, unless
 * shim.h says otherwise), V rows return nothing.  Each row: name (without the
 * hs_ prefix), parameter list, argument list.
 *
 * A module from another build (an older install) may be found: new rows go
 * at the end and every change bumps HS_SHIM_TABLE_VERSION, which the
 * loader checks before it calls anything.
 */
#ifndef HEADSUP_SHIM_TABLE_H
#define HEADSUP_SHIM_TABLE_H

#include "headsup/shim.h"

#define HS_SHIM_FUNCS(R, V)                                                    \
	R(image_create, (hs_image * *out), (out))                              \
	V(image_destroy, (hs_image * img), (img))                              \
	V(image_size, (const hs_image *img, int *width, int *height),          \
	  (img, width, height))                                                \
	R(image_load, (hs_image * img, const char *path), (img, path))         \
	R(image_from_bgr,                                                      \
	  (hs_image * img, const unsigned char *bgr, int w, int h),            \
	  (img, bgr, w, h))                                                    \
	V(image_draw_circle,                                                   \
	  (hs_image * img, float x, float y, float r, unsigned rgb),           \
	  (img, x, y, r, rgb))                                                 \
	V(image_draw_rect,                                                     \
	  (hs_image * img, float x, float y, float w, float h, unsigned rgb),  \
	  (img, x, y, w, h, rgb))                                              \
	V(image_draw_text,                                                     \
	  (hs_image * img, float x, float y, const char *text, unsigned rgb),  \
	  (img, x, y, text, rgb))                                              \
	R(capture_open_camera,                                                 \
	  (const char *device, int width, int height, double fps,              \
	   hs_capture **out),                                                  \
	  (device, width, height, fps, out))                                   \
	R(capture_open_video, (const char *path, hs_capture **out),            \
	  (path, out))                                                         \
	V(capture_destroy, (hs_capture * cap), (cap))                          \
	V(capture_get_info, (const hs_capture *cap, hs_capture_info *info),    \
	  (cap, info))                                                         \
	R(capture_grab, (hs_capture * cap, double *pos_s), (cap, pos_s))       \
	R(capture_retrieve, (hs_capture * cap, hs_image * img), (cap, img))    \
	R(facenet_create, (const char *onnx_path, hs_facenet **out),           \
	  (onnx_path, out))                                                    \
	V(facenet_destroy, (hs_facenet * net), (net))                          \
	R(haar_create,                                                         \
	  (const char *face_path, const char *eye_path, hs_haar **out),        \
	  (face_path, eye_path, out))                                          \
	V(haar_destroy, (hs_haar * haar), (haar))                              \
	R(haar_detect,                                                         \
	  (hs_haar * haar, const hs_image *img, hs_rect *face, hs_rect *eyes,  \
	   int *n_eyes),                                                       \
	  (haar, img, face, eyes, n_eyes))                                     \
	R(pnp_solve,                                                           \
	  (const double *object_pts, const double *image_pts, int n,           \
	   const double K[9], bool use_guess, double rvec[3], double tvec[3]), \
	  (object_pts, image_pts, n, K, use_guess, rvec, tvec))                \
	V(cv_set_threads, (int n), (n))                                        \
	R(image_resize, (const hs_image *src, int w, int h, hs_image *dst),    \
	  (src, w, h, dst))                                                    \
	R(facenet_forward,                                                     \
	  (hs_facenet * net, const float *input, const float **scores,         \
	   const float **regressors),                                          \
	  (net, input, scores, regressors))                                    \
	R(image_mean_luma, (const hs_image *img, double *luma), (img, luma))   \
	R(image_decode_jpeg,                                                   \
	  (hs_image * img, const unsigned char *data, size_t size,             \
	   int *damaged),                                                      \
	  (img, data, size, damaged))                                          \
	R(image_pixels, (const hs_image *img, hs_pixels *out), (img, out))

#define HS_SHIM_TABLE_VERSION 9
#define HS_SHIM_TABLE_SYMBOL "hs_shim_table_v1"

/* The --preview window is a module of its own, headsup-preview.so, found
 * beside the vision module and loaded on the first hs_preview_ call: it
 * alone needs OpenCV's highgui, and with it Qt, which would otherwise be
 * loaded by every monitor, calibrate and analyze (some 8 MB resident and
 * ten milliseconds of start-up).  Same rules as HS_SHIM_FUNCS. */
#define HS_PREVIEW_FUNCS(R, V)                                    \
	R(preview_show, (const char *title, const hs_image *img), \
	  (title, img))                                           \
	R(preview_poll_key, (int ms), (ms))                       \
	V(preview_close, (const char *title), (title))

#define HS_PREVIEW_TABLE_VERSION 1
#define HS_PREVIEW_TABLE_SYMBOL "hs_preview_table_v1"

#define HS_SHIM_SLOT(name, params, args) int(*name) params;
#define HS_SHIM_VSLOT(name, params, args) void(*name) params;
typedef struct hs_shim_table {
	int version; /* HS_SHIM_TABLE_VERSION */
	const char *(*last_error)(void);
	HS_SHIM_FUNCS(HS_SHIM_SLOT, HS_SHIM_VSLOT)
} hs_shim_table;

typedef struct hs_preview_table {
	int version; /* HS_PREVIEW_TABLE_VERSION */
	HS_PREVIEW_FUNCS(HS_SHIM_SLOT, HS_SHIM_VSLOT)
} hs_preview_table;
#undef HS_SHIM_SLOT
#undef HS_SHIM_VSLOT

#endif
