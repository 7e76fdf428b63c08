/* resample.h - a frame's pixels into a network's input.
 *
 * Both networks take a small square of RGB floats: BlazeFace the whole
 * frame letterboxed into 128x128, the face mesh a rotated 192x192 crop
 * around the face.  Making those inputs is the per-frame work before the
 * networks run, so it is plain C on a view of the frame's pixels: it
 * allocates nothing, calls no library and needs no OpenCV (the shim only
 * lends the pixels, hs_image_pixels()).
 */
#ifndef HEADSUP_RESAMPLE_H
#define HEADSUP_RESAMPLE_H

#include <stddef.h>

/* A read-only view of 8-bit BGR pixels: row y starts at bgr + y * stride. */
typedef struct hs_pixels {
	const unsigned char *bgr;
	int w, h;
	size_t stride; /* bytes, at least 3 * w */
} hs_pixels;

/* Where a letterboxed square sits in the frame: frame pixel =
 * (square pixel) * scale - pad. */
typedef struct hs_letterbox {
	float scale;        /* frame pixels per square pixel */
	float pad_x, pad_y; /* frame-pixel offset of the square's corner */
} hs_letterbox;

/* The largest square side, in pixels, hs_resample_letterbox() makes. */
#define HS_RESAMPLE_MAX_SIDE 256

/* Letterbox src into a side x side square, without distorting it: the
 * longer side fills the square, the shorter is centred with black above
 * and below (or either side).  Each square pixel is the mean of the frame
 * area it covers (what OpenCV calls INTER_AREA), so a large frame shrinks
 * without aliasing.  dst receives side * side RGB floats, row major, each
 * value * scale + bias; lb says where the square sits.  scratch is the
 * caller's, hs_resample_letterbox_scratch(src) floats at least (kept from
 * frame to frame: it grows only with the frame's width).  HS_EINVAL for an
 * empty view, a side outside 1..HS_RESAMPLE_MAX_SIDE or too little
 * scratch. */
size_t hs_resample_letterbox_scratch(const hs_pixels *src);
/* Grow *scratch (*floats long, NULL and 0 at first; the caller frees it)
 * to what src needs; it stays as it is when big enough.  HS_ENOMEM. */
int hs_resample_reserve(const hs_pixels *src, float **scratch, size_t *floats);
int hs_resample_letterbox(const hs_pixels *src, int side, float scale,
                          float bias, float *scratch, size_t scratch_floats,
                          float *dst, hs_letterbox *lb);

/* Sample src through the affine map A into a w x h image of RGB floats:
 * pixel (u, v) is the frame at (A[0] u + A[1] v + A[2],
 * A[3] u + A[4] v + A[5]), pixel centres on whole coordinates, bilinear,
 * black outside the frame, each value * scale + bias.  HS_EINVAL for an
 * empty view, a non-positive size or a map that is not finite. */
int hs_resample_affine(const hs_pixels *src, const double A[6], int w, int h,
                       float scale, float bias, float *dst);

#endif
