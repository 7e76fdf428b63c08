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
// A network's input from a BGR image: RGB floats, value * scale + bias,
// written into dst (bgr.rows x bgr.cols x 3, the caller's).  rgb is a
// scratch image, allocated once.
void to_rgb_floats(const cv::Mat &bgr, cv::Mat &rgb, float *dst, double scale,
                   double bias);
} // namespace hs

#endif
