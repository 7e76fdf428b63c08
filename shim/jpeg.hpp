// jpeg.hpp - decoding a camera's MJPG frames with libjpeg, quietly.
//
// Many webcams (the Logitech C270 among them) send MJPG frames with a few
// stray bytes between segments.  libjpeg decodes them fine but prints
// "Corrupt JPEG data: 2 extraneous bytes before marker 0xd9" on stderr for
// each one, and OpenCV's decoder lets it: under the systemd unit that is a
// line in the user's journal for every analysed frame.  This decoder keeps
// libjpeg's warnings to itself and counts them.
#ifndef HEADSUP_SHIM_JPEG_HPP
#define HEADSUP_SHIM_JPEG_HPP

#include <cstddef>
#include <opencv2/core.hpp>

namespace hs
{
class jpeg_decoder
{
      public:
	jpeg_decoder();
	~jpeg_decoder();
	jpeg_decoder(const jpeg_decoder &) = delete;
	jpeg_decoder &operator=(const jpeg_decoder &) = delete;

	// Decode size bytes of JPEG into bgr (8-bit, 3 channels; reused
	// when its size is already right).  0, with the number of warnings
	// libjpeg gave (damage it decoded around) in *damaged when that is
	// not null; HS_EFORMAT when the data cannot be decoded, with
	// libjpeg's reason in hs_shim_last_error(); HS_ETOOLARGE over
	// max_pixels.
	int decode(const unsigned char *data, std::size_t size, cv::Mat &bgr,
	           int *damaged);

	// The most pixels a frame may have (a camera's largest is far less).
	static constexpr unsigned long max_pixels = 8192UL * 8192UL;

	struct state; // libjpeg's objects (jpeg.cpp)

      private:
	state *s;
};
} // namespace hs

#endif
