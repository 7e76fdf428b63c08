// pnp.cpp - cv::solvePnP behind a plain C call.
#include "guard.hpp"

#include <opencv2/calib3d.hpp>

extern "C" {
#include "headsup/shim.h"
}

extern "C" int hsv_pnp_solve(const double *object_pts, const double *image_pts,
                             int n, const double K[9], bool use_guess,
                             double rvec[3], double tvec[3])
{
	return hs::guarded([&] {
		if (n < 4)
			return (int)HS_EINVAL;
		const cv::Mat obj(n, 1, CV_64FC3,
		                  const_cast<double *>(object_pts));
		const cv::Mat img(n, 1, CV_64FC2,
		                  const_cast<double *>(image_pts));
		const cv::Mat cam(3, 3, CV_64F, const_cast<double *>(K));
		cv::Mat r(3, 1, CV_64F, rvec), t(3, 1, CV_64F, tvec);
		bool ok = cv::solvePnP(obj, img, cam, cv::noArray(), r, t,
		                       use_guess, cv::SOLVEPNP_ITERATIVE);
		return ok ? 0 : (int)HS_EINVAL;
	});
}

extern "C" void hsv_cv_set_threads(int n)
{
	hs::guarded([&] {
		cv::setNumThreads(n);
		return 0;
	});
}
