// image.cpp - hs_image: a reusable BGR frame buffer.
#include "image.hpp"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <iostream>
#include <mutex>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <string>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static thread_local std::string last_error;

void hs::note_error(const char *what) noexcept
{
	try {
		last_error = what ? what : "";
	} catch (...) {
	}
}

// cannot throw: c_str() is noexcept.
extern "C" const char *hsv_shim_last_error(void)
{
	return last_error.c_str();
}

extern "C" int hsv_image_create(hs_image **out)
{
	return hs::guarded([&] {
		*out = new hs_image();
		return 0;
	});
}

// cannot throw: destructors are noexcept.
extern "C" void hsv_image_destroy(hs_image *img)
{
	delete img;
}

// cannot throw: reads two ints.
extern "C" void hsv_image_size(const hs_image *img, int *width, int *height)
{
	*width = img ? img->mat.cols : 0;
	*height = img ? img->mat.rows : 0;
}

int hs::check_readable(const char *path) noexcept
{
	struct stat st;
	if (stat(path, &st) != 0)
		return hs_err_from_errno(errno);
	if (!S_ISREG(st.st_mode))
		return HS_ENOTFILE;
	// open(), not access(): the same test the reader will meet
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return hs_err_from_errno(errno);
	close(fd);
	return 0;
}

// While cv::imread decodes a file, the codec libraries it calls write their
// complaints straight to stderr: libjpeg "Premature end of JPEG file" for a
// cut-off JPEG (which it still decodes, the missing part grey), libpng
// "libpng error: Read Error", OpenCV itself "imread_('x.bmp'): can't read
// header".  Unless the libraries are allowed to speak, standard error is
// pointed at a memory file for that time, and what was written becomes the
// reason headsup gives in its own message.  headsup has no other thread
// that could write meanwhile, and loads are made one at a time.
namespace
{
// OpenCV's own complaint, without what names OpenCV's source:
// "imread_('a.bmp'): can't read data: OpenCV(4.6.0)
// ./modules/.../bitstrm.cpp:110: error:
// (-2:Unspecified error) Unexpected end of input stream in function
// 'getBytes'" becomes "can't read data: Unexpected end of input stream".
std::string without_opencv_frame(std::string s)
{
	if (s.compare(0, 8, "imread_(") == 0) {
		const size_t colon = s.find("): ");
		if (colon != std::string::npos)
			s.erase(0, colon + 3);
	}
	const size_t cv = s.find("OpenCV(");
	const size_t kind =
	        s.find("error: (", cv == std::string::npos ? 0 : cv);
	const size_t why =
	        kind == std::string::npos ? kind : s.find(") ", kind);
	if (cv == std::string::npos || why == std::string::npos)
		return s;
	std::string rest = s.substr(why + 2);
	const size_t in = rest.rfind(" in function '");
	if (in != std::string::npos)
		rest.erase(in);
	return s.substr(0, cv) + rest;
}

class stderr_caught
{
      public:
	stderr_caught() noexcept
	{
		if (!hs::libraries_quiet())
			return;
		std::fflush(stderr);
		sink = memfd_create("headsup-decoder-messages", MFD_CLOEXEC);
		if (sink < 0)
			return;
		saved = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
		if (saved < 0 || dup2(sink, STDERR_FILENO) < 0)
			stop();
	}
	~stderr_caught()
	{
		stop();
		if (sink >= 0)
			close(sink);
	}
	stderr_caught(const stderr_caught &) = delete;
	stderr_caught &operator=(const stderr_caught &) = delete;

	// Stop catching; the last line written, made printable and cut to
	// fit a message ("" when nothing was).
	std::string last_line()
	{
		stop();
		char buf[4096]; // the end of what was written: its last line
		struct stat st;
		const off_t from =
		        sink >= 0 && fstat(sink, &st) == 0 &&
		                        st.st_size > (off_t)sizeof buf
		                ? st.st_size - (off_t)sizeof buf
		                : 0;
		ssize_t n = sink >= 0 ? pread(sink, buf, sizeof buf, from) : 0;
		std::string all(buf, n > 0 ? (size_t)n : 0), line;
		size_t end = all.find_last_not_of(" \t\r\n");
		if (end == std::string::npos)
			return line;
		size_t begin = all.find_last_of('\n', end);
		begin = begin == std::string::npos ? 0 : begin + 1;
		for (size_t i = begin; i <= end && line.size() < 300; i++) {
			const unsigned char c = (unsigned char)all[i];
			line += c >= 0x20 && c < 0x7f ? (char)c : '?';
		}
		return without_opencv_frame(line);
	}

      private:
	void stop() noexcept
	{
		if (saved < 0)
			return;
		std::cerr.flush();
		std::fflush(stderr);
		dup2(saved, STDERR_FILENO);
		close(saved);
		saved = -1;
	}

	int sink = -1, saved = -1;
};
} // namespace

// cv::imread throws when the size an image's header states passes one of
// OpenCV's limits (validateInputImageSize(), which names the limit in the
// assertion it fails); each can be changed in the environment.
namespace
{
struct size_limit {
	const char *assertion, *variable, *fallback, *unit;
};
const size_limit size_limits[] = {
	{ "CV_IO_MAX_IMAGE_PIXELS", "OPENCV_IO_MAX_IMAGE_PIXELS", "1073741824",
	  "pixels in all" },
	{ "CV_IO_MAX_IMAGE_WIDTH", "OPENCV_IO_MAX_IMAGE_WIDTH", "1048576",
	  "pixels wide" },
	{ "CV_IO_MAX_IMAGE_HEIGHT", "OPENCV_IO_MAX_IMAGE_HEIGHT", "1048576",
	  "pixels high" },
};

// The most pixels headsup decodes an image of: OPENCV_IO_MAX_IMAGE_PIXELS
// when set (OpenCV's own limit, 2^30 unset), else 250 million: a 200 MP
// phone photograph (16320x12240) is read.  OpenCV's limit lets a 0.9 MB PNG
// that states 30000x30000 pixels take 2.7 GB to decode.
const unsigned long long default_max_pixels = 250000000ULL;

unsigned long long max_pixels()
{
	const char *set = std::getenv("OPENCV_IO_MAX_IMAGE_PIXELS");
	char *end = nullptr;
	const unsigned long long v =
	        set && set[0] ? std::strtoull(set, &end, 10) : 0;
	return end && *end == '\0' && v > 0 ? v : default_max_pixels;
}

// HS_ETOOLARGE, with the size and the limit as the last error, when the
// header of the image at path states more pixels than max_pixels(): said
// before decoding it, so that no memory is taken for it.  0 when it does
// not, or when its header cannot be read (OpenCV's limits then hold).
int over_max_pixels(const char *path)
{
	unsigned long long w = 0, h = 0;
	if (!hs::header_size(path, &w, &h) || w == 0 || h == 0)
		return 0;
	const unsigned long long max = max_pixels();
	if (w <= max / h)
		return 0;
	hs::note_error((std::to_string(w) + "x" + std::to_string(h) +
	                " pixels, over the limit of " + std::to_string(max) +
	                " pixels in all (OPENCV_IO_MAX_IMAGE_PIXELS)")
	                       .c_str());
	return HS_ETOOLARGE;
}

// HS_ETOOLARGE, with the image's size and the limit it passes as the last
// error ("40000x40000 pixels, over the limit of 1073741824 pixels in all
// (OPENCV_IO_MAX_IMAGE_PIXELS)"), when e is OpenCV refusing the size of
// the image at path; HS_EFORMAT for a size it cannot have (0 wide); 0
// when e is something else.
int refused_size(const char *path, const cv::Exception &e)
{
	if (e.func != "validateInputImageSize")
		return 0;
	for (const size_limit &l : size_limits) {
		if (e.err.find(l.assertion) == std::string::npos)
			continue;
		const char *set = std::getenv(l.variable);
		const std::string limit = std::string("the limit of ") +
		                          (set && set[0] ? set : l.fallback) +
		                          " " + l.unit + " (" + l.variable +
		                          ")";
		unsigned long long w, h;
		hs::note_error(hs::header_size(path, &w, &h)
		                       ? (std::to_string(w) + "x" +
		                          std::to_string(h) + " pixels, over " +
		                          limit)
		                                 .c_str()
		                       : ("over " + limit).c_str());
		return HS_ETOOLARGE;
	}
	hs::note_error("the header gives no usable size"); // 0 wide, say
	return HS_EFORMAT;
}
} // namespace

extern "C" int hsv_image_load(hs_image *img, const char *path)
{
	return hs::guarded([&] {
		hs::note_error(""); // no reason of the last image's either
		int rc = hs::check_readable(path);
		if (rc < 0)
			return rc;
		img->mat.release(); // nothing of the last image, whatever comes
		if ((rc = over_max_pixels(path)) < 0)
			return rc;
		// Standard error is the whole process's: one load at a time.
		static std::mutex one_at_a_time;
		const std::lock_guard<std::mutex> lock(one_at_a_time);
		stderr_caught caught;
		try {
			img->mat = cv::imread(path, cv::IMREAD_COLOR);
		} catch (const cv::Exception &e) {
			if ((rc = refused_size(path, e)) < 0)
				return rc;
			throw;
		}
		const std::string said = caught.last_line();
		hs::note_error(said.c_str());
		if (img->mat.empty())
			return (int)HS_EFORMAT;
		return said.empty() ? 0 : (int)HS_IMAGE_DAMAGED;
	});
}

extern "C" int hsv_image_from_bgr(hs_image *img, const unsigned char *bgr,
                                  int w, int h)
{
	return hs::guarded([&] {
		if (w <= 0 || h <= 0)
			return (int)HS_EINVAL;
		cv::Mat view(h, w, CV_8UC3, const_cast<unsigned char *>(bgr));
		view.copyTo(img->mat);
		return 0;
	});
}

extern "C" int hsv_image_mean_luma(const hs_image *img, double *luma)
{
	return hs::guarded([&] {
		if (img->mat.empty())
			return (int)HS_EINVAL;
		const cv::Scalar m = cv::mean(img->mat); // B, G, R
		*luma = (0.114 * m[0] + 0.587 * m[1] + 0.299 * m[2]) / 255.0;
		return 0;
	});
}

extern "C" int hsv_image_resize(const hs_image *src, int w, int h,
                                hs_image *dst)
{
	return hs::guarded([&] {
		if (w <= 0 || h <= 0 || src->mat.empty())
			return (int)HS_EINVAL;
		const bool shrink = w < src->mat.cols && h < src->mat.rows;
		cv::resize(src->mat, dst->mat, cv::Size(w, h), 0, 0,
		           shrink ? cv::INTER_AREA : cv::INTER_LINEAR);
		return 0;
	});
}

extern "C" int hsv_image_pixels(const hs_image *img, hs_pixels *out)
{
	return hs::guarded([&] {
		const cv::Mat &m = img->mat;
		if (m.empty() || m.type() != CV_8UC3)
			return (int)HS_EINVAL;
		out->bgr = m.data;
		out->w = m.cols;
		out->h = m.rows;
		out->stride = m.step[0];
		return 0;
	});
}

static cv::Scalar bgr_of(unsigned rgb)
{
	return cv::Scalar(rgb & 0xff, (rgb >> 8) & 0xff, (rgb >> 16) & 0xff);
}

extern "C" void hsv_image_draw_circle(hs_image *img, float x, float y, float r,
                                      unsigned rgb)
{
	hs::guarded([&] {
		cv::circle(img->mat, cv::Point(cvRound(x), cvRound(y)),
		           cvRound(r), bgr_of(rgb), cv::FILLED, cv::LINE_AA);
		return 0;
	});
}

extern "C" void hsv_image_draw_rect(hs_image *img, float x, float y, float w,
                                    float h, unsigned rgb)
{
	hs::guarded([&] {
		cv::rectangle(img->mat, cv::Rect2f(x, y, w, h), bgr_of(rgb), 2);
		return 0;
	});
}

extern "C" void hsv_image_draw_text(hs_image *img, float x, float y,
                                    const char *text, unsigned rgb)
{
	hs::guarded([&] {
		cv::putText(img->mat, text, cv::Point(cvRound(x), cvRound(y)),
		            cv::FONT_HERSHEY_SIMPLEX, 0.6, bgr_of(rgb), 2,
		            cv::LINE_AA);
		return 0;
	});
}
