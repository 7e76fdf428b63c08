// preview.cpp - the optional --preview window (highgui).
#include "image.hpp"

#include <opencv2/highgui.hpp>

extern "C" int hsv_preview_show(const char *title, const hs_image *img)
{
	return hs::guarded([&] {
		// The plain window: Qt's expanded one has a "save image"
		// button, and no frame may be written anywhere.
		cv::namedWindow(title,
		                cv::WINDOW_AUTOSIZE | cv::WINDOW_GUI_NORMAL);
		cv::imshow(title, img->mat);
		return 0;
	});
}

extern "C" int hsv_preview_poll_key(int ms)
{
	int key = -1;
	int rc = hs::guarded([&] {
		key = cv::waitKey(ms);
		return 0;
	});
	return rc < 0 ? -1 : key;
}

extern "C" void hsv_preview_close(const char *title)
{
	hs::guarded([&] {
		cv::destroyWindow(title);
		return 0;
	});
}
