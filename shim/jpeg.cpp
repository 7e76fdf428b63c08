// jpeg.cpp - hs::jpeg_decoder and hs_image_decode_jpeg().
//
// libjpeg reports a fatal error through error_exit, which must not return:
// here it jumps back with longjmp, as libjpeg's own example does.  The
// functions that call setjmp() hold only plain C data, so the jump skips
// no C++ destructor; everything C++ happens outside them.
#include "jpeg.hpp"
#include "image.hpp"

#include <csetjmp>
#include <cstdio>
#include <jpeglib.h>
#include <memory>
#include <new>

struct hs::jpeg_decoder::state {
	struct jpeg_decompress_struct cinfo;
	struct jpeg_error_mgr err;
	std::jmp_buf jump;
	int warnings;
	char message[JMSG_LENGTH_MAX];
	bool created;
};

namespace
{
using state = hs::jpeg_decoder::state;

state *state_of(j_common_ptr cinfo)
{
	// err is a member of state; cinfo->err points at it
	return reinterpret_cast<state *>(reinterpret_cast<char *>(cinfo->err) -
	                                 offsetof(state, err));
}

// cannot throw: C calls, then a jump back into jpeg.cpp.
extern "C" void on_error(j_common_ptr cinfo)
{
	state *s = state_of(cinfo);
	(*cinfo->err->format_message)(cinfo, s->message);
	std::longjmp(s->jump, 1);
}

// Warnings (level -1) are counted, and printed only when the libraries may
// speak (headsup -vv, OPENCV_LOG_LEVEL); trace messages are ignored.
// cannot throw: a noexcept call and libjpeg's C printer.
extern "C" void on_message(j_common_ptr cinfo, int level)
{
	if (level >= 0)
		return;
	state_of(cinfo)->warnings++;
	if (!hs::libraries_quiet())
		(*cinfo->err->output_message)(cinfo);
}

bool create(state *s)
{
	s->cinfo.err = jpeg_std_error(&s->err);
	s->err.error_exit = on_error;
	s->err.emit_message = on_message;
	if (setjmp(s->jump))
		return false;
	jpeg_create_decompress(&s->cinfo);
	return true;
}

// The header of data: its size in pixels, with BGR output asked for.
bool read_header(state *s, const unsigned char *data, std::size_t size,
                 unsigned *w, unsigned *h)
{
	if (setjmp(s->jump)) {
		jpeg_abort_decompress(&s->cinfo);
		return false;
	}
	s->warnings = 0;
	jpeg_mem_src(&s->cinfo, data, (unsigned long)size);
	jpeg_read_header(&s->cinfo, TRUE);
	s->cinfo.out_color_space = JCS_EXT_BGR;
	jpeg_calc_output_dimensions(&s->cinfo);
	*w = s->cinfo.output_width;
	*h = s->cinfo.output_height;
	return true;
}

// The pixels, into rows of stride bytes from dst, after read_header().  An
// error after the last row (junk after the picture, met while libjpeg
// reads on to its end) leaves the picture whole: it counts as damage.
bool read_pixels(state *s, unsigned char *dst, std::size_t stride)
{
	if (setjmp(s->jump)) {
		const bool whole =
		        s->cinfo.output_height > 0 &&
		        s->cinfo.output_scanline == s->cinfo.output_height;
		jpeg_abort_decompress(&s->cinfo);
		s->warnings += whole;
		return whole;
	}
	jpeg_start_decompress(&s->cinfo);
	while (s->cinfo.output_scanline < s->cinfo.output_height) {
		JSAMPROW row = dst + stride * s->cinfo.output_scanline;
		jpeg_read_scanlines(&s->cinfo, &row, 1);
	}
	jpeg_finish_decompress(&s->cinfo);
	return true;
}
} // namespace

hs::jpeg_decoder::jpeg_decoder() : s(new state())
{
	if (!create(s)) {
		delete s;
		throw std::bad_alloc();
	}
	s->created = true;
}

hs::jpeg_decoder::~jpeg_decoder()
{
	if (s->created)
		jpeg_destroy_decompress(&s->cinfo);
	delete s;
}

int hs::jpeg_decoder::decode(const unsigned char *data, std::size_t size,
                             cv::Mat &bgr, int *damaged)
{
	if (!data || size == 0) {
		hs::note_error("no JPEG data");
		return HS_EFORMAT;
	}
	// libjpeg keeps the Huffman and quantisation tables a frame brought
	// for the next frames that lack them (its "abbreviated" streams), and
	// an MJPG frame usually has no Huffman tables: after a damaged frame
	// whose stray bytes made one, the frames after it would decode wrong
	// until one brought its own (found by fuzz_jpeg).  Each frame starts
	// afresh instead, decoded from its own bytes alone.
	jpeg_destroy_decompress(&s->cinfo);
	s->created = false;
	if (!create(s))
		throw std::bad_alloc();
	s->created = true;
	unsigned w, h;
	if (!read_header(s, data, size, &w, &h)) {
		hs::note_error(s->message);
		return HS_EFORMAT;
	}
	if ((unsigned long)w * h > max_pixels) {
		jpeg_abort_decompress(&s->cinfo);
		hs::note_error("the JPEG frame is too large");
		return HS_ETOOLARGE;
	}
	try {
		bgr.create((int)h, (int)w, CV_8UC3);
	} catch (...) {
		jpeg_abort_decompress(&s->cinfo); // ready for the next frame
		throw;
	}
	if (!read_pixels(s, bgr.data, bgr.step[0])) {
		hs::note_error(s->message);
		return HS_EFORMAT;
	}
	if (damaged)
		*damaged = s->warnings;
	return 0;
}

extern "C" int hsv_image_decode_jpeg(hs_image *img, const unsigned char *data,
                                     size_t size, int *damaged)
{
	return hs::guarded([&] {
		// One decoder kept from call to call, as a camera keeps its
		// own: each frame starts where a damaged one left it.
		static thread_local std::unique_ptr<hs::jpeg_decoder> decoder;
		if (!decoder)
			decoder = std::make_unique<hs::jpeg_decoder>();
		return decoder->decode(data, size, img->mat, damaged);
	});
}
