/* source.c - frame sources: camera, video file, image list. */
#include "headsup/source.h"

#include "headsup/cameras.h"
#include "headsup/clock.h"
#include "headsup/config.h"
#include "headsup/err.h"
#include "headsup/log.h"
#include "headsup/paths.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

struct hs_source {
	const hs_source_ops *ops;
	void *state;
	char device[PATH_MAX]; /* hs_source_device() */
};

void hs_source_opts_default(hs_source_opts *o)
{
	o->width = (int)hs_config_builtin.camera_width;
	o->height = (int)hs_config_builtin.camera_height;
	o->camera_fps = hs_config_builtin.camera_fps;
	o->image_fps = 1.0;
}

bool hs_source_is_image_name(const char *name)
{
	static const char *const exts[] = { ".jpg",  ".jpeg", ".jpe",  ".jfif",
		                            ".png",  ".bmp",  ".webp", ".tif",
		                            ".tiff", ".pgm",  ".ppm",  ".pnm" };
	return hs_path_has_ext(name, exts, sizeof exts / sizeof exts[0]);
}

/* HEIC/HEIF (iPhone photos): OpenCV 4.6 has no decoder for them. */
static bool is_heif_name(const char *name)
{
	static const char *const exts[] = { ".heic", ".heif" };
	return hs_path_has_ext(name, exts, sizeof exts / sizeof exts[0]);
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

/* ---- camera ------------------------------------------------------------ */

typedef struct camera {
	hs_capture *cap;
} camera;

void hs_source_name(const char *spec, char *buf, unsigned long size)
{
	/* "" and numbers are cameras (hs_source_pick()) */
	if (!spec[0])
		hs_cameras_default(buf, size);
	else if (all_digits(spec))
		snprintf(buf, size, "/dev/video%s", spec);
	else
		snprintf(buf, size, "%s", spec);
}

/* spec: the device node, as hs_source_open() resolved it. */
static int camera_open(const char *spec, const hs_source_opts *o, void **st)
{
	camera *c = calloc(1, sizeof *c);
	if (!c)
		return HS_ENOMEM;
	int rc = hs_capture_open_camera(spec, o->width, o->height,
	                                o->camera_fps, &c->cap);
	if (rc < 0) {
		free(c);
		return rc;
	}
	*st = c;
	return 0;
}

static int camera_grab(void *st, double *t_s)
{
	camera *c = st;
	double ignored;
	int rc = hs_capture_grab(c->cap, &ignored);
	if (rc < 0)
		return rc == HS_EEOF ? HS_EIO : rc;
	*t_s = hs_clock_steady();
	return 0;
}

static int camera_retrieve(void *st, hs_image *img)
{
	camera *c = st;
	return hs_capture_retrieve(c->cap, img);
}

static const char *no_frame_name(void *st)
{
	(void)st;
	return NULL;
}

static long unknown_count(void *st)
{
	(void)st;
	return -1;
}

static void camera_close(void *st)
{
	camera *c = st;
	if (!c)
		return;
	hs_capture_destroy(c->cap);
	free(c);
}

const hs_source_ops hs_source_camera = {
	.name = "camera",
	.open = camera_open,
	.grab = camera_grab,
	.retrieve = camera_retrieve,
	.frame_name = no_frame_name,
	.frame_count = unknown_count,
	.close = camera_close,
};

/* ---- video file ---------------------------------------------------------- */

typedef struct video {
	hs_capture *cap;
	long count;
	bool count_stated; /* by the container: see hs_video_states_count() */
	double fps;        /* the file's frame rate, or FFmpeg's guess of 25 */
	long grabbed;      /* frames grabbed so far */
	long skipped;      /* frames that could not be decoded: video_grab() */
	double last_t;     /* the time of the last one */
	long last_index;   /* its place in the file (frames skipped count) */
	double first_t;    /* the stamp of the first one */
	bool unstamped;    /* no time stamps of its own: see video_grab() */
	double offset;     /* added to its stamps: see hs_video_follow_on() */
	bool went_back;    /* its stamps went back once: said */
	long unstamped_at; /* the first of the frames since, stamped 0, or -1 */
	double before_t;   /* the time of the frame before that one */
	char *path;        /* for messages */
} video;

/* The frame rate of an unstamped stream: FFmpeg reads raw MJPEG as 25 a
 * second, and says 1200000 for it. */
#define UNSTAMPED_FPS 25.0
#define MAX_FPS 1000.0
/* Grabs that may fail in a row, where the container says frames remain,
 * before the video is taken to end there: see video_grab(). */
#define MAX_UNDECODABLE 50

static int video_open(const char *spec, const hs_source_opts *o, void **st)
{
	(void)o;
	video *v = calloc(1, sizeof *v);
	if (!v)
		return HS_ENOMEM;
	int rc = hs_capture_open_video(spec, &v->cap);
	if (rc < 0) {
		free(v);
		return rc;
	}
	v->path = strdup(spec);
	if (!v->path) {
		hs_capture_destroy(v->cap);
		free(v);
		return HS_ENOMEM;
	}
	hs_capture_info info;
	hs_capture_get_info(v->cap, &info);
	v->count = info.frame_count;
	unsigned char head[12] = { 0 };
	FILE *f = fopen(spec, "rb");
	if (f) {
		v->count_stated = hs_video_states_count(
		        head, fread(head, 1, sizeof head, f));
		fclose(f);
	}
	v->fps = info.fps > 0 && info.fps <= MAX_FPS ? info.fps : UNSTAMPED_FPS;
	v->unstamped_at = -1;
	*st = v;
	return 0;
}

/* Grab the next frame that can be decoded.  A grab that fails is the end
 * of the file, unless its container states that frames remain: damage in
 * the middle (a few kB overwritten) fails a grab or a few, and FFmpeg
 * reads on after it.  Up to MAX_UNDECODABLE failures in a row are passed
 * over (*fails); a file cut short fails every grab, so it still ends
 * after those few quick tries. */
static int grab_decodable(video *v, double *stamp, int *fails)
{
	int rc;
	*fails = 0;
	while ((rc = hs_capture_grab(v->cap, stamp)) == HS_EEOF &&
	       v->count_stated && v->grabbed + v->skipped + *fails < v->count &&
	       *fails < MAX_UNDECODABLE)
		(*fails)++;
	return rc;
}

/* Say once per gap that frames were skipped, after frame grabbed - 1 at
 * last_t, and reading went on at t: as many as its time stamps leave out
 * (a failed grab may spoil more than one frame), at least one per failed
 * grab.  They count as read for hs_source_cut_short(). */
static void say_skipped(video *v, int fails, double last_t, double t)
{
	long lost = fails;
	const double missed = (t - last_t) * v->fps - 1;
	if (v->grabbed > 0 && missed > (double)lost &&
	    missed < (double)v->count)
		lost = lround(missed);
	v->skipped += lost;
	if (v->grabbed > 0)
		hs_warn("video '%s': %ld frame(s) after frame %ld (%.3f s) "
		        "cannot be decoded; skipped them, and read on from "
		        "%.3f s",
		        v->path, lost, v->grabbed - 1, last_t, t);
	else
		hs_warn("video '%s': its first %ld frame(s) cannot be "
		        "decoded; skipped them, and read on from %.3f s",
		        v->path, lost, t);
}

/* A frame's time is the file's own stamp, kept going forward.  A stream
 * without stamps (raw MJPEG, JPEGs one after another) gets them from
 * FFmpeg far below zero, or none at all: its frames are then timed by
 * their number, from 0.  Raw H.264 is given 0 for every frame: a second
 * frame stamped as the first says so too.  FFmpeg's stamps start at 0, so
 * a frame after the first stamped 0 has no stamp of its own (the frames
 * an H.264 decoder with B-frames hands over at the end of the file): it
 * is timed a frame period after the one before.  If a stamp further on
 * goes back, the stream started again at that frame (files joined end to
 * end), and that is where it is said to go back. */
static int time_frame(video *v, double stamp, int fails, double *t_s)
{
	if (v->grabbed == 0)
		v->unstamped = !(isfinite(stamp) && stamp >= 0);
	else if (v->grabbed == 1 && !v->unstamped && stamp == v->first_t)
		v->unstamped = true;
	const long index = v->grabbed + v->skipped + fails;
	/* No stamp: a frame period after the last, or more over frames
	 * skipped. */
	const double next_t =
	        v->grabbed == 0
	                ? (double)index / v->fps
	                : v->last_t + (double)(index - v->last_index) / v->fps;
	v->last_index = index;
	if (v->unstamped) {
		*t_s = v->last_t = next_t;
		return 0;
	}
	if (v->grabbed > 0 && (stamp == 0 || !isfinite(stamp))) {
		if (v->unstamped_at < 0) {
			v->unstamped_at = v->grabbed;
			v->before_t = v->last_t;
		}
		*t_s = v->last_t = next_t;
		return 0;
	}
	bool back = false;
	const double t =
	        hs_video_follow_on(stamp, v->grabbed ? v->last_t : -INFINITY,
	                           v->fps, &v->offset, &back);
	/* Frames are numbered from 0, as `headsup analyze` numbers them. */
	if (back && !v->went_back) {
		if (v->unstamped_at >= 0)
			hs_warn("time stamps of video '%s' go back at frame "
			        "%ld (to 0.000 s after %.3f s); the frames "
			        "after it are taken as following on",
			        v->path, v->unstamped_at, v->before_t);
		else
			hs_warn("time stamps of video '%s' go back at frame "
			        "%ld (to %.3f s after %.3f s); the frames "
			        "after it are taken as following on",
			        v->path, v->grabbed, stamp, v->last_t);
	}
	v->went_back = v->went_back || back;
	v->unstamped_at = -1;
	if (v->grabbed == 0)
		v->first_t = stamp;
	*t_s = v->last_t = t;
	return 0;
}

static int video_grab(void *st, double *t_s)
{
	video *v = st;
	double stamp = 0;
	int fails = 0;
	int rc = grab_decodable(v, &stamp, &fails);
	if (rc < 0)
		return rc;
	const double last_t = v->last_t;
	rc = time_frame(v, stamp, fails, t_s);
	if (fails > 0) {
		say_skipped(v, fails, last_t, *t_s);
		v->last_index = v->grabbed + v->skipped;
	}
	v->grabbed++;
	return rc;
}

static int video_retrieve(void *st, hs_image *img)
{
	video *v = st;
	return hs_capture_retrieve(v->cap, img);
}

static long video_count(void *st)
{
	video *v = st;
	return v->count;
}

static bool video_cut_short(void *st, long frames_read)
{
	const video *v = st;
	if (!v->count_stated)
		return false;
	const double last_t = v->grabbed > 0 && !v->unstamped ? v->last_t : NAN;
	/* Frames skipped as undecodable were there all the same. */
	return hs_video_cut_short(v->count, v->fps, frames_read + v->skipped,
	                          last_t);
}

static void video_close(void *st)
{
	video *v = st;
	if (!v)
		return;
	hs_capture_destroy(v->cap);
	free(v->path);
	free(v);
}

const hs_source_ops hs_source_video = {
	.name = "video",
	.open = video_open,
	.grab = video_grab,
	.retrieve = video_retrieve,
	.frame_name = no_frame_name,
	.frame_count = video_count,
	.cut_short = video_cut_short,
	.close = video_close,
};

/* ---- images: one file or a folder ---------------------------------------- */

typedef struct images {
	char **paths;
	long count;
	long next; /* index of the next frame to grab */
	double fps;
} images;

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void images_close(void *st)
{
	images *im = st;
	if (!im)
		return;
	for (long i = 0; i < im->count; i++)
		free(im->paths[i]);
	free(im->paths);
	free(im);
}

static int images_add(images *im, long *cap, const char *path)
{
	if (im->count == *cap) {
		long ncap = *cap ? *cap * 2 : 64;
		char **p = realloc(im->paths, (size_t)ncap * sizeof *p);
		if (!p)
			return HS_ENOMEM;
		im->paths = p;
		*cap = ncap;
	}
	im->paths[im->count] = strdup(path);
	if (!im->paths[im->count])
		return HS_ENOMEM;
	im->count++;
	return 0;
}

static int images_open(const char *spec, const hs_source_opts *o, void **st)
{
	struct stat sb;
	if (stat(spec, &sb) != 0)
		return hs_err_from_errno(errno);
	images *im = calloc(1, sizeof *im);
	if (!im)
		return HS_ENOMEM;
	im->fps = o->image_fps > 0 ? o->image_fps : 1.0;
	long cap = 0;
	int rc = 0;
	long heif = 0; /* HEIC/HEIF photos in the folder, passed over */
	if (!S_ISDIR(sb.st_mode)) {
		rc = is_heif_name(spec) ? HS_ENOTSUP
		                        : images_add(im, &cap, spec);
	} else {
		DIR *d = opendir(spec);
		if (!d) {
			rc = HS_EACCES;
			goto fail;
		}
		struct dirent *e;
		char path[PATH_MAX];
		while (rc == 0 && (e = readdir(d))) {
			if (e->d_name[0] != '.' && is_heif_name(e->d_name))
				heif++;
			if (e->d_name[0] == '.' ||
			    !hs_source_is_image_name(e->d_name))
				continue;
			size_t n = strlen(spec); /* "dir/" gives "dir/a.jpg" */
			if (snprintf(path, sizeof path, "%s%s%s", spec,
			             n && spec[n - 1] == '/' ? "" : "/",
			             e->d_name) >= (int)sizeof path) {
				/* Cut, it would name another file. */
				hs_warn("skipping '%s' in '%s': the path is "
				        "longer than %d bytes",
				        e->d_name, spec, PATH_MAX - 1);
				continue;
			}
			rc = images_add(im, &cap, path);
		}
		closedir(d);
		if (rc == 0 && im->count == 0)
			/* a folder with no images, or only HEIC/HEIF ones */
			rc = heif > 0 ? HS_ENOTSUP : HS_EFORMAT;
		else if (rc == 0 && heif > 0)
			hs_warn("skipping %ld HEIC/HEIF photo(s) in '%s': this "
			        "build of headsup cannot decode them; convert "
			        "them to JPEG first (e.g. heif-convert "
			        "IMG_0001.HEIC IMG_0001.jpg)",
			        heif, spec);
		if (rc == 0)
			qsort(im->paths, (size_t)im->count, sizeof *im->paths,
			      cmp_str);
	}
	if (rc < 0)
		goto fail;
	*st = im;
	return 0;
fail:
	images_close(im);
	return rc;
}

static int images_grab(void *st, double *t_s)
{
	images *im = st;
	if (im->next >= im->count)
		return HS_EEOF;
	*t_s = (double)im->next / im->fps;
	im->next++;
	return 0;
}

static int images_retrieve(void *st, hs_image *img)
{
	images *im = st;
	if (im->next == 0)
		return HS_EINVAL;
	return hs_image_load(img, im->paths[im->next - 1]);
}

static const char *images_frame_name(void *st)
{
	images *im = st;
	return im->next > 0 ? im->paths[im->next - 1] : NULL;
}

static long images_count(void *st)
{
	images *im = st;
	return im->count;
}

const hs_source_ops hs_source_images = {
	.name = "images",
	.open = images_open,
	.grab = images_grab,
	.retrieve = images_retrieve,
	.frame_name = images_frame_name,
	.frame_count = images_count,
	.close = images_close,
};

/* ---- selection -------------------------------------------------------------
 */

const hs_source_ops *hs_source_pick(const char *spec)
{
	/* A number is a camera ("0": /dev/video0), even where a file of
	 * that name lies about (a "2>1" typo leaves one): "./1" names the
	 * file. */
	if (!spec[0] || all_digits(spec))
		return &hs_source_camera;
	/* A device, or a path in /dev that is not there (yet): a camera
	 * plugged in later is waited for.  A file or folder there (such as
	 * in /dev/shm) is read as one anywhere else. */
	struct stat sb;
	const bool exists = stat(spec, &sb) == 0;
	if ((exists && S_ISCHR(sb.st_mode)) ||
	    (!exists && strncmp(spec, "/dev/", 5) == 0))
		return &hs_source_camera;
	if (exists && S_ISDIR(sb.st_mode))
		return &hs_source_images;
	if (hs_source_is_image_name(spec) || is_heif_name(spec))
		return &hs_source_images;
	return &hs_source_video;
}

static const char *what_failed(const hs_source_ops *ops, int rc)
{
	if (ops == &hs_source_camera) {
		switch (rc) {
		case HS_ENOENT:
			return "no such device (is a webcam plugged in?)";
		case HS_EBUSY:
			return "device busy (another application may be using "
			       "it)";
		case HS_EACCES:
			return "permission denied (is your user in the "
			       "'video' group?)";
		case HS_EFORMAT:
			return "not a video capture device";
		default:
			break;
		}
	}
	switch (rc) {
	case HS_ENOENT:
		return "no such file or folder";
	case HS_EACCES:
		return "permission denied";
	case HS_ENOTFILE:
		return "not a regular file (a folder, a pipe or a device)";
	case HS_EFORMAT:
		return ops == &hs_source_video
		               ? "not a video that can be decoded"
		               : (ops == &hs_source_images
		                          ? "not an image, or a folder with no "
		                            "images"
		                          : "unreadable");
	default:
		return hs_strerror(rc);
	}
}

/* The message for opening spec, found to be device name, failing with rc. */
static void describe_error(const char *spec, const char *name, int rc,
                           char *err, unsigned long errsize)
{
	const hs_source_ops *ops = hs_source_pick(spec);
	if (!spec[0] && rc == HS_ENOENT) {
		snprintf(err, errsize,
		         "cannot find a webcam: no video device here captures "
		         "colour images (is one plugged in? 'headsup cameras' "
		         "lists the video devices)");
		return;
	}
	if (ops == &hs_source_images && rc == HS_ENOTSUP) {
		struct stat sb;
		if (stat(spec, &sb) == 0 && S_ISDIR(sb.st_mode))
			snprintf(err, errsize,
			         "cannot open image folder '%s': its only "
			         "photos "
			         "are HEIC/HEIF, which this build of headsup "
			         "cannot decode; convert them to JPEG first "
			         "(e.g. heif-convert IMG_0001.HEIC "
			         "IMG_0001.jpg)",
			         name);
		else
			snprintf(err, errsize,
			         "cannot open image '%s': a HEIC/HEIF photo, "
			         "which this build of headsup cannot decode; "
			         "convert it to JPEG first (e.g. heif-convert "
			         "'%s' photo.jpg)",
			         name, name);
		return;
	}
	snprintf(err, errsize, "cannot open %s '%s': %s",
	         ops == &hs_source_camera  ? "camera"
	         : ops == &hs_source_video ? "video"
	                                   : "image",
	         name, what_failed(ops, rc));
}

void hs_source_unreadable_words(int rc, char *buf, unsigned long size)
{
	const char *said = hs_shim_last_error(); /* the decoder's reason */
	if (rc == HS_EFORMAT && said[0])
		snprintf(buf, size, "not an image that can be decoded (%s)",
		         said);
	else if (rc == HS_EFORMAT)
		snprintf(buf, size, "not an image that can be decoded");
	else if (rc == HS_ETOOLARGE) /* its size, and the limit passed */
		snprintf(buf, size, "%s: %s", hs_strerror(rc), said);
	else if (rc == HS_ENOTFILE)
		snprintf(buf, size, "%s", what_failed(&hs_source_images, rc));
	else
		snprintf(buf, size, "%s", hs_strerror(rc));
}

void hs_source_describe_error(const char *spec, int rc, char *err,
                              unsigned long errsize)
{
	char name[PATH_MAX]; /* the whole path, even one too long to open */
	if (spec[0] || rc != HS_ENOENT)
		hs_source_name(spec, name, sizeof name);
	describe_error(spec, name, rc, err, errsize);
}

int hs_source_open(const char *spec, const hs_source_opts *o, hs_source **out,
                   char *err, unsigned long errsize)
{
	const hs_source_ops *ops = hs_source_pick(spec);
	hs_source *s = calloc(1, sizeof *s);
	if (!s)
		return HS_ENOMEM;
	/* The first webcam is looked for once, and the device found is the
	 * one opened, named in messages and given by hs_source_device().
	 * No webcam at all is no reason to open some other video device (an
	 * infrared camera, a metadata node) in its place. */
	int rc = 0;
	if (!spec[0])
		rc = hs_cameras_default(s->device, sizeof s->device) < 0
		             ? HS_ENOENT
		             : 0;
	else
		hs_source_name(spec, s->device, sizeof s->device);
	if (rc == 0)
		rc = ops->open(ops == &hs_source_camera ? s->device : spec, o,
		               &s->state);
	if (rc < 0) {
		describe_error(spec, s->device, rc, err, errsize);
		free(s);
		return rc;
	}
	s->ops = ops;
	*out = s;
	return 0;
}

void hs_source_destroy(hs_source *src)
{
	if (!src)
		return;
	src->ops->close(src->state);
	free(src);
}

int hs_source_grab(hs_source *src, double *t_s)
{
	return src->ops->grab(src->state, t_s);
}

int hs_source_retrieve(hs_source *src, hs_image *img)
{
	return src->ops->retrieve(src->state, img);
}

const char *hs_source_frame_name(hs_source *src)
{
	return src->ops->frame_name(src->state);
}

long hs_source_frame_count(hs_source *src)
{
	return src->ops->frame_count(src->state);
}

bool hs_video_states_count(const unsigned char *head, size_t n)
{
	if (n >= 12 && memcmp(head, "RIFF", 4) == 0 &&
	    memcmp(head + 8, "AVI ", 4) == 0)
		return true;
	/* ISO media (MP4, MOV, 3GP): a first box of one of these kinds */
	static const char *const boxes[] = { "ftyp", "moov", "mdat",
		                             "wide", "free", "skip" };
	for (size_t i = 0; n >= 8 && i < sizeof boxes / sizeof boxes[0]; i++)
		if (memcmp(head + 4, boxes[i], 4) == 0)
			return true;
	return false;
}

bool hs_video_cut_short(long count, double fps, long frames_read, double last_t)
{
	if (count <= 0 || frames_read + 2 + count / 100 >= count)
		return false;
	if (!isfinite(last_t) || !(fps > 0))
		return true;
	/* The count may be FFmpeg's estimate (Matroska, MP4): the duration
	 * times the rate it read, many times the frames there are when the
	 * rate varies.  What the time stamps reached tells: a file cut
	 * short stops well before the end its container states. */
	const double end = (double)count / fps;
	return last_t + 2.0 / fps + end / 100 < end;
}

double hs_video_follow_on(double stamp_s, double last_t, double fps,
                          double *offset_s, bool *went_back)
{
	const double period = fps > 0 ? 1.0 / fps : 1.0 / UNSTAMPED_FPS;
	const double t = stamp_s + *offset_s;
	*went_back = false;
	if (!(t < last_t))
		return t;
	if (t >= last_t - period)
		return last_t;
	*offset_s += last_t + period - t;
	*went_back = true;
	return last_t + period;
}

bool hs_source_cut_short(hs_source *src, long frames_read)
{
	return src->ops->cut_short &&
	       src->ops->cut_short(src->state, frames_read);
}

const char *hs_source_device(const hs_source *src)
{
	return src->device;
}

const char *hs_source_kind(const hs_source *src)
{
	return src->ops->name;
}

const hs_source_ops *hs_source_backend(const hs_source *src)
{
	return src->ops;
}

bool hs_source_is_live(const hs_source *src)
{
	return src->ops == &hs_source_camera;
}
