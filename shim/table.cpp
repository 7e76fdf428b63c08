// table.cpp - the one symbol headsup-vision.so exports: the function table
// the C core calls through (include/headsup/shim_table.h).
#include "image.hpp"

#include <cstdlib>
#include <opencv2/core/utils/logger.hpp>

extern "C" {
#include "headsup/shim_table.h"

const char *hsv_shim_last_error(void);
#define HS_SHIM_DECL(name, params, args) int hsv_##name params;
#define HS_SHIM_VDECL(name, params, args) void hsv_##name params;
HS_SHIM_FUNCS(HS_SHIM_DECL, HS_SHIM_VDECL)
#undef HS_SHIM_DECL
#undef HS_SHIM_VDECL
}

static const hs_shim_table table = { HS_SHIM_TABLE_VERSION, hsv_shim_last_error,
#define HS_SHIM_ENTRY(name, params, args) hsv_##name,
	                             HS_SHIM_FUNCS(HS_SHIM_ENTRY, HS_SHIM_ENTRY)
#undef HS_SHIM_ENTRY
};

// OpenCV and FFmpeg print their own lines on stderr ("[ WARN:0@0.02] global
// ... findDecoder imread_(...)", "[mjpeg @ 0x55...] overread 8") for failures
// that headsup reports itself, so both are silenced, unless someone debugging
// asks for them with OpenCV's own variables: OPENCV_LOG_LEVEL (e.g. =INFO)
// lets both libraries (and libjpeg: jpeg.cpp) speak as they would by
// default; OPENCV_FFMPEG_LOGLEVEL or OPENCV_FFMPEG_DEBUG set FFmpeg's level
// alone (OpenCV then prints FFmpeg's lines on standard output).
static bool silence_libraries() noexcept
{
	if (std::getenv("OPENCV_LOG_LEVEL"))
		return false;
	try {
		cv::utils::logging::setLogLevel(
		        cv::utils::logging::LOG_LEVEL_SILENT);
	} catch (...) {
	}
	// OpenCV's FFmpeg back-end reads this at every open and sets FFmpeg's
	// level from it (cap_ffmpeg_impl.hpp, initLogger_()); without it, it
	// sets AV_LOG_ERROR.  -8 is AV_LOG_QUIET.
	if (!std::getenv("OPENCV_FFMPEG_LOGLEVEL") &&
	    !std::getenv("OPENCV_FFMPEG_DEBUG"))
		setenv("OPENCV_FFMPEG_LOGLEVEL", "-8", 0);
	return true;
}

bool hs::libraries_quiet() noexcept
{
	static const bool quiet = silence_libraries();
	return quiet;
}

// The libraries are silenced here, once, before the core's first call.
// cannot throw: noexcept calls, and returns a static table's address.
extern "C" __attribute__((visibility("default"))) const hs_shim_table *
hs_shim_table_v1(void) noexcept
{
	hs::libraries_quiet();
	return &table;
}
