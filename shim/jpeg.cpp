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
	if (setjmp(s->jump))
		return false;
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
}

hs::jpeg_decoder::~jpeg_decoder()
{
	delete s;
}

namespace
{
// libjpeg's decompress object for one frame: made first, destroyed on
// every way out.  libjpeg keeps the Huffman and quantisation tables a
// frame brought for the next frames that lack them (its "abbreviated"
// streams), and an MJPG frame usually has no Huffman tables: after a
// damaged frame whose stray bytes made one, the frames after it decoded
// wrong until one brought its own (found by fuzz_jpeg).  So no object
// outlives its frame, and each decodes from its own bytes alone.
class decompress_for_one_frame
{
      public:
	explicit decompress_for_one_frame(state *st) : s(st)
	{
		if (!create(s))
			throw std::bad_alloc();
	}
	~decompress_for_one_frame()
	{
		jpeg_destroy_decompress(&s->cinfo);
	}
	decompress_for_one_frame(const decompress_for_one_frame &) = delete;
	decompress_for_one_frame &
	operator=(const decompress_for_one_frame &) = delete;

      private:
	state *s;
};
} // namespace

int hs::jpeg_decoder::decode(const unsigned char *data, std::size_t size,
                             cv::Mat &bgr, int *damaged)
{
	if (!data || size == 0) {
		hs::note_error("no JPEG data");
		return HS_EFORMAT;
	}
	const decompress_for_one_frame frame(s);
	unsigned w, h;
	if (!read_header(s, data, size, &w, &h)) {
		hs::note_error(s->message);
		return HS_EFORMAT;
	}
	if ((unsigned long)w * h > max_pixels) {
		hs::note_error("the JPEG frame is too large");
		return HS_ETOOLARGE;
	}
	bgr.create((int)h, (int)w, CV_8UC3);
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
		// own: what one frame leaves in it, the next meets.
		static thread_local std::unique_ptr<hs::jpeg_decoder> decoder;
		if (!decoder)
			decoder = std::make_unique<hs::jpeg_decoder>();
		return decoder->decode(data, size, img->mat, damaged);
	});
}
