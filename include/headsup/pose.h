/* pose.h - head pose: the conventions, the 3D head model, PnP on the six
 * face keypoints, and the 3-D similarity fit the face mesh uses
 * (facemesh.h).
 *
 * Conventions (all angles in degrees, in the camera's frame):
 *   pitch_down_deg  + = head tilted down (chin toward chest), - = up
 *   yaw_deg         + = head turned toward the image's right (the subject's
 *                       left), - = toward the image's left
 *   roll_deg        + = head tilted so the subject's left eye (image right)
 *                       is lower than the right eye (clockwise on screen,
 *                       toward the subject's left shoulder)
 * 0/0/0 is a face looking straight into the camera, upright.
 *
 * Without the face mesh, the estimate solves perspective-n-point against a mean
 * 3D head (models/face3d.csv) with a pinhole camera whose focal length comes
 * from the frame width and an assumed horizontal field of view.  The PnP pitch
 * then goes through a linear correction kept with the head model:
 *   pitch_down_deg = pitch_gain * (PnP pitch) + pitch_offset_deg
 * BlazeFace's keypoints move less than a rigid head would, so its PnP pitch
 * under-reads; the gain restores the scale (see models/face3d.csv and the
 * README "Head pose" for how it was fitted).  Yaw and roll are not
 * corrected.
 */
#ifndef HEADSUP_POSE_H
#define HEADSUP_POSE_H

#include <stdbool.h>

#include "headsup/face.h"

/* has_pitch is false when the detector cannot tell pitch (the Haar
 * fallback: eyes only); pitch_down_deg and yaw_deg are then 0 and
 * meaningless, roll_deg still holds. */
typedef struct hs_pose {
	double pitch_down_deg;
	double yaw_deg;
	double roll_deg;
	bool has_pitch;
} hs_pose;

/* The 3D reference: the six keypoints in millimetres (x image-right, y
 * down, z away from the camera; see models/face3d.csv), and the pitch
 * correction applied after PnP (gain 1, offset 0 = raw PnP). */
typedef struct hs_head_model {
	double pts[HS_KP_COUNT][3];
	double pitch_gain;
	double pitch_offset_deg;
	/* Added to the pitch of the face-mesh fit (facemesh.h), which needs
	 * no gain: where "level" sits for the mesh's points. */
	double mesh_pitch_offset_deg;
} hs_head_model;

/* Read a head model CSV: '#' comments, an optional header line
 * "name,x_mm,y_mm,z_mm", one row "name,x_mm,y_mm,z_mm" for each of the six
 * keypoints, and optionally the rows "pitch_gain,G" (0.2..5, default 1),
 * "pitch_offset_deg,D" and "mesh_pitch_offset_deg,D" (-45..45, default
 * 0).  m is untouched on failure:
 * HS_ENOENT when the file cannot be opened, HS_EFORMAT on a bad file; err
 * then says why ("path:line: ..."). */
int hs_head_model_read(hs_head_model *m, const char *path, char *err,
                       unsigned long errsize);
/* A built-in copy of the default model, for tests and as a fallback. */
void hs_head_model_default(hs_head_model *m);

typedef struct hs_camera_model {
	double fx, fy, cx, cy;
} hs_camera_model;

/* Pinhole camera for a frame of width x height and a horizontal field of
 * view of hfov_deg; square pixels, principal point at the centre. */
void hs_camera_model_from_fov(hs_camera_model *cam, int width, int height,
                              double hfov_deg);

/* Rotation (as pitch/yaw/roll in the conventions above) to a 3x3 matrix
 * R, row-major, so that camera point = R * model point + t. */
void hs_pose_to_matrix(double pitch_down_deg, double yaw_deg, double roll_deg,
                       double R[9]);
/* Inverse of hs_pose_to_matrix(). */
void hs_pose_from_matrix(const double R[9], double *pitch_down_deg,
                         double *yaw_deg, double *roll_deg);

/* How far the head's ear-to-ear axis is turned on the picture, in degrees
 * (+ = clockwise, as roll_deg): the slant of its eye line.  For a head
 * not tilted sideways it is the camera's own tilt, however the head is
 * turned or nodded; roll_deg is not, being split after the turn and the
 * nod (a head turned 20 and nodded 3 degrees before a camera tilted 10
 * reads a roll of 9.4).  Without a pitch, roll_deg, which is the eye
 * line's slant there. */
double hs_pose_eye_line_deg(const hs_pose *p);

/* The pose a level camera would have read, from pose p read by a camera
 * turned camera_roll_deg about its optical axis (the roll convention
 * above: + = clockwise on screen).  Pitch, yaw and roll are split in the
 * camera's frame, so a tilted camera mixes yaw into pitch: by about
 * sin(camera roll) x sin(yaw), 5 degrees for a head turned 30 degrees
 * before a camera tilted 10.  Un-rolling the rotation (pre-multiplying it
 * by Rz(-camera_roll_deg)) and splitting it again undoes that.  Without a
 * pitch (has_pitch false) only the roll is shifted.  out may be p. */
void hs_pose_unroll(const hs_pose *p, double camera_roll_deg, hs_pose *out);

/* Similarity fit: the proper rotation R (row-major, det +1), scale s > 0
 * and translation t minimising sum_i |s * R * model[i] + t - pts[i]|^2
 * (Horn's closed form with unit quaternions, 1987).  n >= 3 points that
 * are not all on one line; HS_EINVAL otherwise (also for NaN input).
 * R follows hs_pose_to_matrix()'s convention (camera point = R * model
 * point + t), so hs_pose_from_matrix(R, ...) gives pitch, yaw and roll.
 *
 * Meant for a dense 3D face mesh (pts in pixels with a depth coordinate, x
 * right, y down, z away from the camera) against a head model in mm.  Both
 * point sets must span a plane: collinear or coincident points in either
 * one, or pts that do not correlate with the model at all, leave the
 * rotation undetermined and give HS_EINVAL.  The scale is Horn's
 * asymmetric one, sum(R a_i . b_i) / sum |a_i|^2 over the centred model
 * points a_i and centred pts b_i: the exact minimiser of the sum above
 * (Horn's symmetric scale minimises a different sum).  R, scale and t are
 * untouched on failure. */
int hs_pose_fit_similarity(const double (*model)[3], const double (*pts)[3],
                           int n, double R[9], double *scale, double t[3]);

/* Project the model through rotation R and translation t (mm) onto the
 * camera; out[i] in pixels. */
void hs_pose_project(const hs_head_model *m, const hs_camera_model *cam,
                     const double R[9], const double t[3],
                     hs_point out[HS_KP_COUNT]);

/* Estimate the pose of a detected face.  With all six keypoints: PnP, then
 * m's pitch correction.
 * With only the eyes: roll only (has_pitch = false).  HS_EINVAL when the
 * face lacks the eyes. */
int hs_pose_estimate(const hs_head_model *m, const hs_camera_model *cam,
                     const hs_face *face, hs_pose *out);

#endif
