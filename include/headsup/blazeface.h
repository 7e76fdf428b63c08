/* blazeface.h - decoding the BlazeFace short-range model's raw output.
 *
 * Pure C over float arrays, so anchors, decoding and blending are tested on
 * synthetic tensors.  Coordinates here are in network-input pixels (0..128);
 * hs_blazeface_to_face() maps them back to the frame.
 */
#ifndef HEADSUP_BLAZEFACE_H
#define HEADSUP_BLAZEFACE_H

#include "headsup/face.h"
#include "headsup/resample.h"
#include "headsup/shim.h"

#define HS_BF_INPUT HS_FACENET_INPUT
#define HS_BF_ANCHORS HS_FACENET_ANCHORS
#define HS_BF_REGS 16 /* box cx, cy, w, h, then 6 keypoints x, y */

/* One candidate face in network-input pixels. */
typedef struct hs_bf_detection {
	float score; /* after the sigmoid, 0..1 */
	float cx, cy, w, h;
	float kp[HS_KP_COUNT][2];
} hs_bf_detection;

/* Anchor centres in input pixels, in the model's output order: the stride-8
 * layer (16x16 cells, 2 anchors per cell) then the stride-16 layer (8x8
 * cells, 6 anchors per cell), row by row; every anchor sits at its cell's
 * centre and has the same (fixed) size. */
void hs_blazeface_anchors(float anchors[HS_BF_ANCHORS][2]);

/* Decode each of the count anchors whose score passes min_score into dets
 * (capacity max); returns how many were written.  Raw scores are logits
 * (count of them); regressors are offsets from the anchor centre in input
 * pixels (count x HS_BF_REGS).  Decoding one output layer at a time passes
 * that layer's arrays with its slice of the anchors. */
int hs_blazeface_decode(const float *scores, const float *regressors,
                        const float (*anchors)[2], int count, float min_score,
                        hs_bf_detection *dets, int max);

/* Intersection over union of two boxes. */
float hs_blazeface_iou(const hs_bf_detection *a, const hs_bf_detection *b);

/* Blend overlapping detections the way MediaPipe's weighted suppression
 * does: repeatedly take the best remaining candidate and average it with
 * every other candidate overlapping it by at least min_iou, weighted by
 * score (the result keeps the best score).  dets is reordered in place;
 * the n_out blended faces go to out (capacity max).  Returns n_out. */
int hs_blazeface_blend(hs_bf_detection *dets, int n, float min_iou,
                       hs_bf_detection *out, int max);

/* Map a detection from input pixels to frame pixels through the letterbox
 * and fill face (all six keypoints valid). */
void hs_blazeface_to_face(const hs_bf_detection *d, const hs_letterbox *lb,
                          hs_face *face);

#endif
