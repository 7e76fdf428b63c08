// guard.hpp - turns any C++ exception into an hs_err at the C boundary.
#ifndef HEADSUP_SHIM_GUARD_HPP
#define HEADSUP_SHIM_GUARD_HPP

#include <new>
#include <opencv2/core.hpp>

extern "C" {
#include "headsup/err.h"
}

namespace hs
{

// Remember the text of an exception for hs_shim_last_error().
void note_error(const char *what) noexcept;

// Run f(), which returns an int status; any exception becomes an error code.
template <class F> int guarded(F &&f) noexcept
{
	try {
		return f();
	} catch (const cv::Exception &e) {
		note_error(e.what());
		// OpenCV's own allocator failing (a huge image under a
		// memory limit) is no OpenCV fault: say what it is.
		return e.code == cv::Error::StsNoMem ? HS_ENOMEM : HS_EOPENCV;
	} catch (const std::bad_alloc &) {
		note_error("out of memory");
		return HS_ENOMEM;
	} catch (const std::exception &e) {
		note_error(e.what());
		return HS_EOPENCV;
	} catch (...) {
		note_error("unknown C++ exception");
		return HS_EOPENCV;
	}
}

} // namespace hs

#endif
