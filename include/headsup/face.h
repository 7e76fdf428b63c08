/* face.h - what a detector finds in one frame. */
#ifndef HEADSUP_FACE_H
#define HEADSUP_FACE_H

#include <stdbool.h>

/* BlazeFace's six keypoints, in the model's order.  "Right" and "left" are
 * the subject's own: the right eye appears on the image's left. */
typedef enum hs_keypoint {
	HS_KP_RIGHT_EYE = 0,
	HS_KP_LEFT_EYE,
	HS_KP_NOSE,
	HS_KP_MOUTH,
	HS_KP_RIGHT_EAR,
	HS_KP_LEFT_EAR,
	HS_KP_COUNT
} hs_keypoint;

/* JSON names of the keypoints: "right_eye", "left_eye", "nose", ... */
extern const char *const hs_keypoint_names[HS_KP_COUNT];

typedef struct hs_point {
	float x, y; /* frame pixels */
} hs_point;

typedef struct hs_face {
	bool found;
	float score;  /* 0..1 */
	float box[4]; /* x, y, w, h in frame pixels */
	hs_point kp[HS_KP_COUNT];
	unsigned kp_valid;    /* bit i set when kp[i] is meaningful */
	const char *detector; /* "blazeface" or "haar" */
	bool zoomed; /* found only in a zoomed part of the frame (detector.h) */
} hs_face;

#define HS_KP_BIT(k) (1u << (k))
#define HS_KP_ALL ((1u << HS_KP_COUNT) - 1u)
#define HS_KP_EYES (HS_KP_BIT(HS_KP_RIGHT_EYE) | HS_KP_BIT(HS_KP_LEFT_EYE))

#endif
