/* cameras.h - the machine's video devices, and which one is "the webcam".
 *
 * Video4Linux makes a node /dev/videoN for each video function of each
 * device.  A USB webcam has two: one for its images and one for metadata
 * that no program can watch.  Laptops with face unlock add an infrared
 * camera that sees only in grey, and virtual cameras (v4l2loopback: OBS,
 * phone-as-webcam apps) look like webcams too.  So /dev/video0 is not
 * always the webcam, nor is the webcam always /dev/video0: numbers follow
 * the order the drivers came up in, and move when a camera is plugged in
 * again while its old node is still open.
 *
 * The default source ([monitor] source empty) is the first node, in
 * number order, that captures colour from real hardware (see
 * hs_cameras_pick()).  Finding it opens each node and asks the driver
 * what it is (VIDIOC_QUERYCAP, VIDIOC_ENUM_FMT); that starts no stream,
 * so no camera light comes on.
 */
#ifndef HEADSUP_CAMERAS_H
#define HEADSUP_CAMERAS_H

#include <stdbool.h>
#include <stddef.h>

/* Nodes looked at, at most (a machine has a handful). */
#define HS_CAMERAS_MAX 64

typedef enum hs_camera_kind {
	HS_CAMERA_COLOUR,     /* captures colour: a webcam */
	HS_CAMERA_VIRTUAL,    /* captures colour, fed by a program */
	HS_CAMERA_GREY,       /* captures grey only: an infrared camera */
	HS_CAMERA_NO_CAPTURE, /* metadata, output, codec or radio */
	HS_CAMERA_UNREADABLE, /* cannot be asked: hs_camera.error says why */
	HS_CAMERA_KIND_COUNT
} hs_camera_kind;

typedef struct hs_camera {
	char path[64];   /* "/dev/video0" */
	char card[33];   /* what the driver calls it: "Integrated Camera" */
	char driver[17]; /* "uvcvideo" */
	char bus[33];    /* where it sits: "usb-0000:00:14.0-8" */
	hs_camera_kind kind;
	int error;    /* HS_EACCES, ... when UNREADABLE, else 0 */
	bool skipped; /* not asked (the skip node): COLOUR, nothing known */
} hs_camera;

/* The video device nodes in dir ("/dev") named videoN, in number order:
 * up to max go to out; returns how many there are (may exceed max), 0
 * when there are none or dir cannot be read.  The node skip (any name of
 * it; NULL for none) is not opened: a running monitor that holds it
 * would take the open for a video call starting. */
int hs_cameras_list(const char *dir, const char *skip, hs_camera *out, int max);

/* Which of the n cameras is the default: the first COLOUR one; else the
 * first UNREADABLE one (most likely the webcam, and opening it will say
 * why it cannot be used, e.g. no permission); else the first VIRTUAL one.
 * Never a GREY camera: an infrared camera lights its emitter and shows
 * a face unlike the one calibrated, so it is used only when named.
 * -1 when none fits. */
int hs_cameras_pick(const hs_camera *cams, int n);

/* Write the default camera's node ("/dev/video2") to buf and return 0;
 * when none fits, "/dev/video0" (the name messages use) and HS_ENOENT. */
int hs_cameras_default(char *buf, size_t size);

/* A name for the node path that stays when numbers move: the link to it
 * in dir/v4l/by-id (named after the device's maker, model and serial), or
 * else in dir/v4l/by-path (the port it is plugged into).  0 and the link
 * in buf, or HS_ENOENT when there is none. */
int hs_camera_stable_name(const char *dir, const char *path, char *buf,
                          size_t size);

/* "webcam", "virtual camera", "infrared (grey only)", "not a camera
 * (metadata or output)" or "cannot be opened". */
const char *hs_camera_kind_words(hs_camera_kind kind);

#endif
