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

#endif
