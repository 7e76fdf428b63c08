// preview.cpp - the optional --preview window (highgui), built as its own
// module, headsup-preview.so (see HS_PREVIEW_FUNCS in shim_table.h), so
// that only a monitor asked for the window loads highgui and Qt.
#include "image.hpp"

#include <opencv2/highgui.hpp>

extern "C" {
#include "headsup/shim_table.h"
}

// The vision module keeps the text of its errors for hs_shim_last_error();
// nothing reads this module's: a window that cannot be shown does not stop
// the monitor, which goes on without it.
void hs::note_error(const char *what) noexcept
{
	(void)what;
}

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

static const hs_preview_table table = {
	HS_PREVIEW_TABLE_VERSION,
#define HS_PREVIEW_ENTRY(name, params, args) hsv_##name,
	HS_PREVIEW_FUNCS(HS_PREVIEW_ENTRY, HS_PREVIEW_ENTRY)
#undef HS_PREVIEW_ENTRY
};

// The one symbol this module exports.
// cannot throw: returns a static table's address.
extern "C" __attribute__((visibility("default"))) const hs_preview_table *
hs_preview_table_v1(void) noexcept
{
	return &table;
}
