// haar.cpp - OpenCV's Haar cascades: the fallback detector and the classical
// baseline the benchmark compares against.
#include "image.hpp"

#include <algorithm>
#include <memory>
#include <opencv2/imgproc.hpp>
#include <opencv2/objdetect.hpp>
#include <vector>

struct hs_haar {
	cv::CascadeClassifier face;
	cv::CascadeClassifier eye;
	bool has_eye = false;
	cv::Mat gray;
	std::vector<cv::Rect> found;
};

extern "C" int hsv_haar_create(const char *face_path, const char *eye_path,
                               hs_haar **out)
{
	return hs::guarded([&] {
		auto h = std::make_unique<hs_haar>();
		if (!h->face.load(face_path))
			return (int)HS_ENOENT;
		if (eye_path) {
			if (!h->eye.load(eye_path))
				return (int)HS_ENOENT;
			h->has_eye = true;
		}
		*out = h.release();
		return 0;
	});
}

// cannot throw: destructors are noexcept.
extern "C" void hsv_haar_destroy(hs_haar *haar)
{
	delete haar;
}

static hs_rect to_rect(const cv::Rect &r, int dx, int dy)
{
	return hs_rect{ (float)(r.x + dx), (float)(r.y + dy), (float)r.width,
		        (float)r.height };
}

extern "C" int hsv_haar_detect(hs_haar *h, const hs_image *img, hs_rect *face,
                               hs_rect *eyes, int *n_eyes)
{
	return hs::guarded([&] {
		if (img->mat.empty())
			return (int)HS_EINVAL;
		cv::cvtColor(img->mat, h->gray, cv::COLOR_BGR2GRAY);
		cv::equalizeHist(h->gray, h->gray);
		const int min_side = std::max(24, img->mat.rows / 10);
		h->face.detectMultiScale(h->gray, h->found, 1.1, 4, 0,
		                         cv::Size(min_side, min_side));
		if (h->found.empty())
			return (int)HS_ENOFACE;
		const cv::Rect best = *std::max_element(
		        h->found.begin(), h->found.end(),
		        [](const cv::Rect &a, const cv::Rect &b) {
			        return a.area() < b.area();
		        });
		*face = to_rect(best, 0, 0);
		if (n_eyes)
			*n_eyes = 0;
		if (!eyes || !n_eyes || !h->has_eye)
			return 0;
		// Eyes sit in the upper half of the face box.
		cv::Rect upper(best.x, best.y, best.width, best.height / 2);
		cv::Mat roi = h->gray(upper);
		h->eye.detectMultiScale(
		        roi, h->found, 1.1, 3, 0,
		        cv::Size(best.width / 8, best.width / 8));
		std::sort(h->found.begin(), h->found.end(),
		          [](const cv::Rect &a, const cv::Rect &b) {
			          return a.area() > b.area();
		          });
		for (const cv::Rect &e : h->found) {
			if (*n_eyes == 2)
				break;
			// Skip a second box on the same side as the first.
			if (*n_eyes == 1) {
				float half = (float)upper.width / 2.0f;
				float cx0 = eyes[0].x + eyes[0].w / 2 -
				            (float)upper.x;
				float cx1 = (float)e.x + (float)e.width / 2.0f;
				if ((cx0 < half) == (cx1 < half))
					continue;
			}
			eyes[(*n_eyes)++] = to_rect(e, upper.x, upper.y);
		}
		return 0;
	});
}
