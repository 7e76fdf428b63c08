/* cameras.c - list the video device nodes and pick the webcam among them
 * (see cameras.h). */
#include "headsup/cameras.h"

#include "headsup/err.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/videodev2.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

/* The driver's fixed-size, maybe unterminated text, made printable. */
static void copy_text(char *dst, size_t size, const unsigned char *src,
                      size_t src_size)
{
	size_t i = 0;
	for (; i + 1 < size && i < src_size && src[i]; i++)
		dst[i] = isprint(src[i]) ? (char)src[i] : '?';
	dst[i] = '\0';
}

/* Formats that carry no colour: infrared and depth cameras. */
static bool is_grey_format(unsigned fourcc)
{
	static const unsigned grey[] = {
		V4L2_PIX_FMT_GREY, V4L2_PIX_FMT_Y4,       V4L2_PIX_FMT_Y6,
		V4L2_PIX_FMT_Y10,  V4L2_PIX_FMT_Y12,      V4L2_PIX_FMT_Y14,
		V4L2_PIX_FMT_Y16,  V4L2_PIX_FMT_Y16_BE,   V4L2_PIX_FMT_Y10BPACK,
		V4L2_PIX_FMT_Y10P, V4L2_PIX_FMT_IPU3_Y10, V4L2_PIX_FMT_Y8I,
		V4L2_PIX_FMT_Y12I, V4L2_PIX_FMT_Z16,      V4L2_PIX_FMT_INZI,
		V4L2_PIX_FMT_CNF4,
	};
	for (size_t i = 0; i < sizeof grey / sizeof grey[0]; i++)
		if (fourcc == grey[i])
			return true;
	return false;
}

/* Does the capture device offer a colour format?  One that lists no
 * formats at all is given the benefit of the doubt. */
static bool offers_colour(int fd)
{
	struct v4l2_fmtdesc f;
	unsigned i = 0;
	for (; i < 64; i++) {
		memset(&f, 0, sizeof f);
		f.index = i;
		f.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
		if (ioctl(fd, VIDIOC_ENUM_FMT, &f) != 0)
			break;
		if (!is_grey_format(f.pixelformat))
			return true;
	}
	return i == 0;
}

static void probe(hs_camera *cam)
{
	int fd = open(cam->path, O_RDWR | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		cam->kind = HS_CAMERA_UNREADABLE;
		cam->error = hs_err_from_errno(errno);
		return;
	}
	struct v4l2_capability caps;
	memset(&caps, 0, sizeof caps);
	if (ioctl(fd, VIDIOC_QUERYCAP, &caps) != 0) {
		cam->kind = HS_CAMERA_NO_CAPTURE; /* not Video4Linux at all */
		close(fd);
		return;
	}
	copy_text(cam->card, sizeof cam->card, caps.card, sizeof caps.card);
	copy_text(cam->driver, sizeof cam->driver, caps.driver,
	          sizeof caps.driver);
	copy_text(cam->bus, sizeof cam->bus, caps.bus_info,
	          sizeof caps.bus_info);
	/* The node's own functions; capabilities is the whole device's. */
	const unsigned node_caps = (caps.capabilities & V4L2_CAP_DEVICE_CAPS)
	                                   ? caps.device_caps
	                                   : caps.capabilities;
	if (!(node_caps & V4L2_CAP_VIDEO_CAPTURE))
		cam->kind = HS_CAMERA_NO_CAPTURE;
	else if (!offers_colour(fd))
		cam->kind = HS_CAMERA_GREY;
	else if (strstr(cam->driver, "loopback"))
		cam->kind = HS_CAMERA_VIRTUAL;
	else
		cam->kind = HS_CAMERA_COLOUR;
	close(fd);
}

/* N for a name "videoN", else -1. */
static long node_number(const char *name)
{
	if (strncmp(name, "video", 5) != 0 || !isdigit((unsigned char)name[5]))
		return -1;
	char *end;
	errno = 0;
	const long n = strtol(name + 5, &end, 10);
	return *end || errno || n > 99999 ? -1 : n;
}

static int by_number(const void *a, const void *b)
{
	const long x = *(const long *)a, y = *(const long *)b;
	return (x > y) - (x < y);
}

int hs_cameras_list(const char *dir, const char *skip, hs_camera *out, int max)
{
	char skip_real[PATH_MAX] = "", real[PATH_MAX];
	if (skip && skip[0] && !realpath(skip, skip_real))
		skip_real[0] = '\0';
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	long nums[256];
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)) && n < (int)(sizeof nums / sizeof nums[0])) {
		const long num = node_number(e->d_name);
		if (num >= 0)
			nums[n++] = num;
	}
	closedir(d);
	qsort(nums, (size_t)n, sizeof nums[0], by_number);
	for (int i = 0; i < n && i < max; i++) {
		hs_camera *cam = &out[i];
		memset(cam, 0, sizeof *cam);
		snprintf(cam->path, sizeof cam->path, "%s/video%ld", dir,
		         nums[i]);
		cam->skipped = skip_real[0] && realpath(cam->path, real) &&
		               strcmp(real, skip_real) == 0;
		if (cam->skipped)
			cam->kind = HS_CAMERA_COLOUR;
		else
			probe(cam);
	}
	return n;
}

int hs_cameras_pick(const hs_camera *cams, int n)
{
	static const hs_camera_kind order[] = { HS_CAMERA_COLOUR,
		                                HS_CAMERA_UNREADABLE,
		                                HS_CAMERA_VIRTUAL };
	for (size_t k = 0; k < sizeof order / sizeof order[0]; k++)
		for (int i = 0; i < n; i++)
			if (cams[i].kind == order[k])
				return i;
	return -1;
}

int hs_cameras_default(char *buf, size_t size)
{
	hs_camera cams[HS_CAMERAS_MAX];
	const int n = hs_cameras_list("/dev", NULL, cams, HS_CAMERAS_MAX);
	const int i =
	        hs_cameras_pick(cams, n < HS_CAMERAS_MAX ? n : HS_CAMERAS_MAX);
	snprintf(buf, size, "%s", i >= 0 ? cams[i].path : "/dev/video0");
	return i >= 0 ? 0 : HS_ENOENT;
}

int hs_camera_stable_name(const char *dir, const char *path, char *buf,
                          size_t size)
{
	char target[PATH_MAX];
	if (!realpath(path, target))
		return HS_ENOENT;
	static const char *const kinds[] = { "by-id", "by-path" };
	for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
		char links[PATH_MAX];
		snprintf(links, sizeof links, "%s/v4l/%s", dir, kinds[k]);
		DIR *d = opendir(links);
		if (!d)
			continue;
		struct dirent *e;
		bool found = false;
		while (!found && (e = readdir(d))) {
			char link[PATH_MAX], to[PATH_MAX];
			if (e->d_name[0] == '.' ||
			    snprintf(link, sizeof link, "%s/%s", links,
			             e->d_name) >= (int)sizeof link)
				continue;
			found = realpath(link, to) && strcmp(to, target) == 0 &&
			        snprintf(buf, size, "%s", link) < (int)size;
		}
		closedir(d);
		if (found)
			return 0;
	}
	return HS_ENOENT;
}

const char *hs_camera_kind_words(hs_camera_kind kind)
{
	switch (kind) {
	case HS_CAMERA_COLOUR:
		return "webcam";
	case HS_CAMERA_VIRTUAL:
		return "virtual camera";
	case HS_CAMERA_GREY:
		return "infrared (grey only)";
	case HS_CAMERA_NO_CAPTURE:
		return "not a camera (metadata or output)";
	case HS_CAMERA_UNREADABLE:
	case HS_CAMERA_KIND_COUNT:
		break;
	}
	return "cannot be opened";
}
