/* calibration.h - the upright baseline every posture is measured against.
 *
 * `headsup calibrate` records a few seconds of upright posture; the medians
 * become an hs_baseline, stored as a small INI file:
 *
 *     [baseline]
 *     version = 1
 *     pitch_deg = 4.5
 *     ...
 *
 * Building a baseline from samples and reading/writing the file are pure
 * (streams in, numbers out); only hs_calibration_save, _load and
 * _check_writable touch paths.
 */
#ifndef HEADSUP_CALIBRATION_H
#define HEADSUP_CALIBRATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "headsup/face.h"
#include "headsup/pose.h"

/* The file format this headsup writes.  2: pitch_deg as a level camera
 * would read it and roll_deg the eye line's slant, the camera's tilt
 * allowed for; 1 (still read): both as read, with a tilted camera's error
 * in the pitch. */
#define HS_CALIBRATION_VERSION 2
#define HS_CALIBRATION_OLDEST 1
#define HS_BASELINE_SOURCE_MAX 256

/* Refusal limits of hs_calibration_from_samples(). */
/* Median |yaw| above this: turned.  About 20 degrees is the aim; 25 leaves
 * room for a webcam beside the screen: in the desk fixture the
 * user faces the screen and reads 21.5 degrees from the camera. */
#define HS_CALIB_MAX_YAW_DEG 25.0
/* |median roll| above this: the head tilted to one side, or the camera
 * turned on its side. */
#define HS_CALIB_MAX_ROLL_DEG 30.0
/* Median eye distance below this many pixels: too far from the camera
 * for the head drop and lean-in to be measured. */
#define HS_CALIB_MIN_IOD_PX 12
/* With at least HS_CALIB_SPREAD_MIN_FRAMES faces: the median absolute
 * deviation of pitch, yaw or roll above HS_CALIB_MAX_SPREAD_DEG, or of
 * the eye midpoint above HS_CALIB_MAX_SHIFT_IOD eye distances, means the
 * head moved (or several people were seen) while it recorded. */
#define HS_CALIB_SPREAD_MIN_FRAMES 5
#define HS_CALIB_MAX_SPREAD_DEG 8.0
#define HS_CALIB_MAX_SHIFT_IOD 0.5
/* A slump or a look down partway through: the median of the last third
 * of the faces differs from that of the first third by more than this in
 * eye height (eye distances) or pitch (degrees), and by over four times
 * what the frame-to-frame jitter explains.  The spread above misses such
 * a step, which moves only some of the frames.  The limits are what would
 * itself count as a bad posture by default (hunched: a drop of 0.43;
 * looking down: 15 x 0.6 = 9 degrees of pitch): a smaller step leaves
 * the baseline close enough.  Photos taken one by one drift more than a
 * recording: the neck fixtures' classes step up to 0.19 and 3.5. */
#define HS_CALIB_MAX_STEP_IOD 0.4
#define HS_CALIB_MAX_STEP_DEG 9.0
#define HS_CALIB_MAX_OFFCENTRE                     \
	0.30 /* eye midpoint this far from the     \
	        centre, as a fraction of the frame \
	        width (or height): off-centre */

typedef struct hs_baseline {
	/* Median pitch_down_deg of the frames, each un-rolled by roll_deg
	 * first (hs_pose_unroll): as a level camera would have read it.  0
	 * when !has_pitch. */
	double pitch_deg;
	/* Median slant of the eye line (hs_pose_eye_line_deg; the roll for a
	 * head facing the camera): the camera's tilt plus the head's. */
	double roll_deg;
	double eye_mid_x; /* median eye midpoint, frame pixels */
	double eye_mid_y;
	double iod_px; /* median inter-ocular distance, pixels, > 0 */
	double box[4]; /* median face box x, y, w, h, pixels */
	int frame_w, frame_h;
	char source[HS_BASELINE_SOURCE_MAX]; /* camera or file it came from */
	double created_unix; /* seconds since the epoch; set by the caller */
	bool has_pitch;      /* false when the detector gave no pitch */
	int version;         /* of the file it was read from (0: made here) */
} hs_baseline;

/* One analysed calibration frame.  face.found false = no face.  has_pose
 * false when no head pose could be estimated for the face (then only the
 * geometry counts). */
typedef struct hs_calib_sample {
	hs_face face;
	hs_pose pose;
	bool has_pose;
} hs_calib_sample;

/* Frames now give a pitch (pose may be NULL) that baseline b lacks: it was
 * recorded while none could be measured (the face model missing), and
 * looking down reads as hunched against it. */
bool hs_baseline_lacks_pitch(const hs_baseline *b, const hs_pose *pose);
/* What to say of such a baseline, after its name: "has no head pitch
 * (...); record it again with 'headsup calibrate'". */
extern const char hs_baseline_pitchless_advice[];

/* Why a head turned yaw_deg from the camera cannot be calibrated on, and
 * what to do: face the screen, or move a camera that is beside it. */
void hs_calibration_say_turned(double yaw_deg, char *buf, size_t size);

/* Build a baseline from n samples of frames of frame_w x frame_h pixels.
 * Medians of every quantity over the frames with a face; pitch and yaw
 * after each frame is un-rolled by the median roll (see pitch_deg).  source is
 * set to "" and created_unix to 0: the caller fills them in.
 *
 * Refuses with HS_EINVAL, and a sentence telling the user what to change
 * in why, when more than half the frames have no face, when the median
 * head yaw is beyond HS_CALIB_MAX_YAW_DEG or the roll beyond
 * HS_CALIB_MAX_ROLL_DEG, when the eyes are closer than
 * HS_CALIB_MIN_IOD_PX, when the head moved while it recorded (see
 * HS_CALIB_MAX_SPREAD_DEG), when it sank or tipped down partway (see
 * HS_CALIB_MAX_STEP_IOD and _DEG), or when the eye midpoint is further
 * than HS_CALIB_MAX_OFFCENTRE from the frame centre; HS_ENOMEM when out of
 * memory.  out is only written on success (so the caller's old baseline
 * survives a refusal). */
int hs_calibration_from_samples(const hs_calib_sample *s, size_t n, int frame_w,
                                int frame_h, hs_baseline *out, char *why,
                                size_t whysize);

/* Fit b, recorded from b->frame_w x b->frame_h frames, to frames of w x h.
 * The same camera at another resolution shows the same picture, so when
 * the shape (width / height) agrees within 1% every pixel quantity is
 * scaled by w / b->frame_w: 1 is returned (0 when the size is already
 * w x h).  A different shape means another crop or another camera, where
 * the recorded geometry says nothing: HS_EINVAL, and b is untouched. */
int hs_baseline_fit_frame(hs_baseline *b, int w, int h);

/* Write b as INI to out.  HS_EINVAL when b does not pass the same checks
 * the reader makes (so what is written can be read back), HS_EIO on a
 * stream error. */
int hs_calibration_write(FILE *out, const hs_baseline *b);

/* Read a baseline written by hs_calibration_write().  name is used in
 * messages.  On an unknown version, section or key, a missing or repeated
 * key, a bad number or a value out of range, writes "name:line: what is
 * wrong" into err and returns HS_EFORMAT; out is then untouched. */
int hs_calibration_read(FILE *in, const char *name, hs_baseline *out, char *err,
                        size_t errsize);

/* Write b to path atomically (temporary file in the same folder, then
 * rename), mode 0600; the folder is created with mode 0700 when missing.
 * Through a link, the file linked to is replaced and the link stays; an
 * empty path, a device or a pipe is refused (HS_EINVAL, HS_ENOTFILE), as
 * the rename would replace it, and so is a file that holds something else
 * than a baseline (HS_EFORMAT: binary data such as the journal, or INI
 * sections other than [baseline] such as the settings, in its first
 * 4 KiB; a damaged baseline may be replaced).  A path through a symbolic
 * link another user may have put in a folder open to others is refused
 * too (HS_ENOTOWNER, see hs_path_check_links()): it could send the
 * baseline over any file of the user's.  On failure err says what went
 * wrong with which path. */
int hs_calibration_save(const char *path, const hs_baseline *b, char *err,
                        size_t errsize);

/* Could a baseline be saved at path?  Asked before the user sits through
 * a recording: HS_EISDIR when path is a folder, the refusals of
 * hs_calibration_save(), or the error of creating
 * the folder or a file in it, with err naming path; 0 (with the folder
 * created, as hs_calibration_save() would) when it can. */
int hs_calibration_check_writable(const char *path, char *err, size_t errsize);

/* Read the baseline at path.  HS_ENOENT when there is none (not an error
 * for callers: the monitor is then uncalibrated); HS_EFORMAT, HS_EACCES,
 * ... with a message in err otherwise. */
int hs_calibration_load(const char *path, hs_baseline *out, char *err,
                        size_t errsize);

/* $XDG_STATE_HOME/headsup/calibration.ini (XDG defaults applied). */
int hs_calibration_default_path(char *buf, size_t size);

#endif
