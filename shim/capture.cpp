// capture.cpp - hs_capture: a V4L2 camera or a video file via cv::VideoCapture.
#include "image.hpp"
#include "jpeg.hpp"

#include <cerrno>
#include <cmath>
#include <fcntl.h>
#include <linux/videodev2.h>
#include <memory>
#include <string>
#include <sys/ioctl.h>
#include <utility>
#include <vector>
#include <opencv2/core.hpp>
#include <opencv2/videoio.hpp>
#include <unistd.h>

struct hs_capture {
	cv::VideoCapture vc;
	bool is_camera = false;
	// A camera sending MJPG: OpenCV hands over each frame's JPEG bytes
	// (into raw, which keeps its capacity) and jpeg decodes them, so
	// libjpeg's warnings about stray bytes stay off stderr (jpeg.hpp).
	std::unique_ptr<hs::jpeg_decoder> jpeg;
	std::vector<unsigned char> raw;
	// A video whose container says to show it turned (a phone held
	// upright): the cv::rotate code that turns its frames, decoded into
	// coded (which keeps its buffer), the right way up; -1 for none.
	int rotate = -1;
	cv::Mat coded;
};

// The turn a video's rotation tag asks for, as FFmpeg shows it: OpenCV
// reads the tag (CAP_PROP_ORIENTATION_META, degrees counterclockwise) but
// 4.6 turns 90 and 270 the wrong way when it applies it itself (OpenCV
// issue 22088), so headsup turns the frames itself.
static int rotate_code(int degrees)
{
	switch (((degrees % 360) + 360) % 360) {
	case 90:
		return cv::ROTATE_90_COUNTERCLOCKWISE;
	case 180:
		return cv::ROTATE_180;
	case 270:
		return cv::ROTATE_90_CLOCKWISE;
	default:
		return -1;
	}
}

// Find why a device cannot be used before OpenCV hides the reason: missing,
// no permission, or not a video capture device at all.
static int probe_device(const char *device)
{
	int fd = open(device, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return hs_err_from_errno(errno);
	struct v4l2_capability caps = {};
	int rc = 0;
	if (ioctl(fd, VIDIOC_QUERYCAP, &caps) != 0)
		rc = errno == EBUSY ? (int)HS_EBUSY : (int)HS_EFORMAT;
	else if (!((caps.capabilities & V4L2_CAP_DEVICE_CAPS
	                    ? caps.device_caps
	                    : caps.capabilities) &
	           V4L2_CAP_VIDEO_CAPTURE))
		rc = HS_EFORMAT;
	close(fd);
	return rc;
}

extern "C" int hsv_capture_open_camera(const char *device, int width,
                                       int height, double fps, hs_capture **out)
{
	return hs::guarded([&] {
		int rc = probe_device(device);
		if (rc < 0)
			return rc;
		// Owned until the end, so that a throwing call below also
		// closes the device.
		auto cap = std::make_unique<hs_capture>();
		cap->is_camera = true;
		if (!cap->vc.open(device, cv::CAP_V4L2))
			return (int)HS_EBUSY;
		cap->vc.set(cv::CAP_PROP_FOURCC,
		            cv::VideoWriter::fourcc('M', 'J', 'P', 'G'));
		cap->vc.set(cv::CAP_PROP_FRAME_WIDTH, width);
		cap->vc.set(cv::CAP_PROP_FRAME_HEIGHT, height);
		cap->vc.set(cv::CAP_PROP_FPS, fps);
		cap->vc.set(cv::CAP_PROP_BUFFERSIZE, 1);
		const int fourcc = (int)cap->vc.get(cv::CAP_PROP_FOURCC);
		if ((fourcc == cv::VideoWriter::fourcc('M', 'J', 'P', 'G') ||
		     fourcc == cv::VideoWriter::fourcc('J', 'P', 'E', 'G')) &&
		    cap->vc.set(cv::CAP_PROP_CONVERT_RGB, 0)) {
			cap->jpeg = std::make_unique<hs::jpeg_decoder>();
			cap->raw.reserve((size_t)width * (size_t)height * 3);
		}
		*out = cap.release();
		return 0;
	});
}

extern "C" int hsv_capture_open_video(const char *path, hs_capture **out)
{
	return hs::guarded([&] {
		int rc = hs::check_readable(path);
		if (rc < 0)
			return rc;
		auto cap = std::make_unique<hs_capture>();
		// FFmpeg reads every container we meet; trying every other
		// back-end on a bad file only prints their noise.  "file:"
		// keeps FFmpeg to the file: a path that reads like a URL
		// ("http://...", "tcp:...") is not fetched, and a name with
		// a colon ("take:1.avi") is not taken for a protocol.
		if (!cap->vc.open(std::string("file:") + path, cv::CAP_FFMPEG))
			return (int)HS_EFORMAT;
		if (cap->vc.set(cv::CAP_PROP_ORIENTATION_AUTO, 0))
			cap->rotate = rotate_code((int)std::lround(
			        cap->vc.get(cv::CAP_PROP_ORIENTATION_META)));
		*out = cap.release();
		return 0;
	});
}

extern "C" void hsv_capture_destroy(hs_capture *cap)
{
	if (!cap)
		return;
	hs::guarded([&] {
		cap->vc.release();
		return 0;
	});
	delete cap;
}

extern "C" void hsv_capture_get_info(const hs_capture *cap,
                                     hs_capture_info *info)
{
	info->width = info->height = 0;
	info->fps = 0;
	info->frame_count = -1;
	hs::guarded([&] {
		auto &vc = const_cast<cv::VideoCapture &>(cap->vc);
		info->width = (int)vc.get(cv::CAP_PROP_FRAME_WIDTH);
		info->height = (int)vc.get(cv::CAP_PROP_FRAME_HEIGHT);
		if (cap->rotate == cv::ROTATE_90_CLOCKWISE ||
		    cap->rotate == cv::ROTATE_90_COUNTERCLOCKWISE)
			std::swap(info->width, info->height);
		info->fps = vc.get(cv::CAP_PROP_FPS);
		if (!cap->is_camera) {
			double n = vc.get(cv::CAP_PROP_FRAME_COUNT);
			info->frame_count = n > 0 ? (long)n : -1;
		}
		return 0;
	});
}

extern "C" int hsv_capture_grab(hs_capture *cap, double *pos_s)
{
	return hs::guarded([&] {
		if (!cap->vc.grab())
			return cap->is_camera ? (int)HS_EIO : (int)HS_EEOF;
		*pos_s = cap->is_camera
		                 ? 0.0
		                 : cap->vc.get(cv::CAP_PROP_POS_MSEC) / 1000.0;
		return 0;
	});
}

extern "C" int hsv_capture_retrieve(hs_capture *cap, hs_image *img)
{
	return hs::guarded([&] {
		hs::note_error(""); // no reason, unless the decoder gives one
		if (!cap->jpeg && cap->rotate >= 0) {
			if (!cap->vc.retrieve(cap->coded) || cap->coded.empty())
				return (int)HS_EFORMAT;
			cv::rotate(cap->coded, img->mat, cap->rotate);
			return 0;
		}
		if (!cap->jpeg) {
			if (!cap->vc.retrieve(img->mat) || img->mat.empty())
				return (int)HS_EFORMAT;
			return 0;
		}
		if (!cap->vc.retrieve(cap->raw) || cap->raw.empty())
			return (int)HS_EFORMAT;
		return cap->jpeg->decode(cap->raw.data(), cap->raw.size(),
		                         img->mat, nullptr);
	});
}
