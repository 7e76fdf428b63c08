// image.hpp - what hs_image is on the C++ side (shared inside shim/ only).
#ifndef HEADSUP_SHIM_IMAGE_HPP
#define HEADSUP_SHIM_IMAGE_HPP

#include "guard.hpp"

#include <opencv2/core.hpp>

extern "C" {
#include "headsup/shim.h"
}

struct hs_image {
	cv::Mat mat;
};

namespace hs
{
// Can this file be opened for reading?  0, or why not, in the words of its
// errno (HS_ENOENT, HS_EACCES, HS_ENAMETOOLONG, ...), which cv::imread and
// cv::VideoCapture both reduce to "failed"; HS_EFORMAT when it is no
// regular file (a folder, a FIFO).  Asked before OpenCV reads a path.
int check_readable(const char *path) noexcept;

// The width and height in the header of the image file at path (PNG, JPEG,
// BMP, PNM, TIFF or WebP), read without decoding it; false for other formats
// and headers that cannot be read.
bool header_size(const char *path, unsigned long long *w,
                 unsigned long long *h) noexcept;

// Whether OpenCV and FFmpeg keep quiet on stderr (headsup says what went
// wrong in its own words), decided once when the core first fetches the
// shim's table (table.cpp).
bool libraries_quiet() noexcept;
} // namespace hs

#endif
