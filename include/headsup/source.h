/* source.h - where frames come from: a webcam, a video file, one image or a
 * folder of images.  All four go through the same interface, so tests and
 * replays exercise the code path the camera uses.
 *
 * Each back-end is one const table of functions; hs_source_open() picks one
 * from the spec:
 *   ""                       the first webcam (see cameras.h)
 *   a number N               the camera /dev/videoN
 *   /dev/...                 a camera device
 *   a folder                 its image files in name order
 *   *.jpg, *.png, ...        one image
 *   any other file           a video
 */
#ifndef HEADSUP_SOURCE_H
#define HEADSUP_SOURCE_H

#include <stdbool.h>
#include <stddef.h>

#include "headsup/shim.h"

typedef struct hs_source_opts {
	int width, height; /* asked of a camera */
	double camera_fps; /* asked of a camera */
	double image_fps;  /* time base of an image list: frame i is at i/fps */
} hs_source_opts;

/* The camera as the built-in settings ask it (640x480 at 5 fps), images
 * at 1 fps. */
void hs_source_opts_default(hs_source_opts *o);

typedef struct hs_source_ops {
	const char *name; /* "camera", "video", "images" */
	int (*open)(const char *spec, const hs_source_opts *o, void **state);
	/* Advance to the next frame without decoding it; *t_s gets its time
	 * in seconds: the file's own time for a video, index / image_fps
	 * for images, hs_clock_steady() for a camera.  HS_EEOF at the end. */
	int (*grab)(void *state, double *t_s);
	/* Decode the frame last grabbed: 0, HS_IMAGE_DAMAGED for an image
	 * file decoded in spite of damage (shim.h), or an error. */
	int (*retrieve)(void *state, hs_image *img);
	/* Name of the frame last grabbed (the image file), or NULL. */
	const char *(*frame_name)(void *state);
	/* Frames expected in all (-1 when unknown). */
	long (*frame_count)(void *state);
	/* Did it end well short of its frame count, having given
	 * frames_read (see hs_source_cut_short())?  NULL: never. */
	bool (*cut_short)(void *state, long frames_read);
	void (*close)(void *state);
} hs_source_ops;

extern const hs_source_ops hs_source_camera;
extern const hs_source_ops hs_source_video;
extern const hs_source_ops hs_source_images;

typedef struct hs_source hs_source;

/* Open the source named by spec (see above).  On failure, err (size
 * errsize) gets a message naming the thing and why, e.g. "cannot open
 * camera '/dev/video0': device or resource busy". */
int hs_source_open(const char *spec, const hs_source_opts *o, hs_source **out,
                   char *err, unsigned long errsize);
void hs_source_destroy(hs_source *src);
/* The source as messages name it, and as it should be opened: a camera
 * by its device node ("" the first webcam found now, see cameras.h, "N"
 * /dev/videoN), anything else as given. */
void hs_source_name(const char *spec, char *buf, unsigned long size);
/* The message hs_source_open() gives when opening spec failed with rc
 * (HS_ENOENT, HS_EBUSY, HS_EACCES, HS_EFORMAT, ...). */
void hs_source_describe_error(const char *spec, int rc, char *err,
                              unsigned long errsize);
int hs_source_grab(hs_source *src, double *t_s);
int hs_source_retrieve(hs_source *src, hs_image *img);
/* Why hs_source_retrieve() could not read an image (rc), in words for a
 * message: "not an image that can be decoded (libpng error: Read Error)",
 * "too large to decode: 40000x40000 pixels, over the limit of ...", or
 * rc's own words.  Asked right after the retrieve, as the decoder's reason
 * is the shim's last error. */
void hs_source_unreadable_words(int rc, char *buf, unsigned long size);
const char *hs_source_frame_name(hs_source *src);
long hs_source_frame_count(hs_source *src);
/* Did a video stop well short of the frame count its container states,
 * having delivered frames_read?  Container counts can be estimates, so
 * 1% and 2 frames short still counts as whole.  False for other kinds,
 * when the count is unknown, and for containers that do not state one
 * (hs_video_states_count()).  See hs_video_cut_short(). */
bool hs_source_cut_short(hs_source *src, long frames_read);
/* Does a file that begins with these n bytes state its frame count (AVI
 * in its header, MP4 and MOV in their sample tables)?  Others (Matroska,
 * WebM, MPEG-TS, ...) do not: FFmpeg makes one up from the duration, which
 * counts from time 0 even for a file whose stamps start later (the second
 * part of a recording cut with `ffmpeg -f segment`), so that a whole file
 * would look cut short. */
bool hs_video_states_count(const unsigned char *head, size_t n);
/* The rule, on numbers: a video whose container states count frames at
 * fps, which delivered frames_read, the last at last_t seconds (NAN when
 * its frames have no time stamps).  Short of the count by more than 1% and
 * 2 frames, and, when time stamps are known, ending more than 1% and two
 * frame periods before count / fps: a variable frame rate makes the count
 * an estimate far above the frames there are. */
bool hs_video_cut_short(long count, double fps, long frames_read,
                        double last_t);
/* A video frame's time, kept going forward, on numbers: the frame stamped
 * stamp_s in the file, after one timed last_t (-INFINITY for the first
 * frame), in a video of fps frames a second.  *offset_s (0 at the start)
 * is added to the stamps.  When a stamp goes back by more than a frame
 * period (files joined one after another, `cat a.ts a.ts`, or a stream
 * whose clock was reset), the frame is taken as following on a frame
 * period after last_t, *offset_s moves so that the frames after it
 * follow on too, and true goes to *went_back; a smaller step back
 * (frames reordered by one) reads as last_t.  The monitor analyses a
 * frame only when its time has reached the next one due, so every frame
 * after a stamp gone back was skipped, and the run still ended with 0. */
double hs_video_follow_on(double stamp_s, double last_t, double fps,
                          double *offset_s, bool *went_back);
/* What was opened, as hs_source_name() names it: for the first webcam,
 * the device found when it was opened. */
const char *hs_source_device(const hs_source *src);
const char *hs_source_kind(const hs_source *src);
/* The back-end reading it: &hs_source_camera, _video or _images. */
const hs_source_ops *hs_source_backend(const hs_source *src);
bool hs_source_is_live(const hs_source *src);

/* Which back-end a spec selects (no I/O beyond stat()). */
const hs_source_ops *hs_source_pick(const char *spec);
/* Does the file name end like an image OpenCV reads? */
bool hs_source_is_image_name(const char *name);

#endif
