/* fuzz_jpeg.c - libFuzzer target for the camera's MJPG decoder
 * (hs_image_decode_jpeg(), shim/jpeg.cpp): libjpeg, with its fatal errors
 * turned into a jump back into the shim, and one decoder kept from frame
 * to frame as a camera keeps it.  For any bytes, each call must answer as
 * shim.h promises:
 *   - 0 with a picture of at least 1x1 and at most 8192 * 8192 pixels
 *     (jpeg.hpp's limit) and a count of the damage decoded around that
 *     is not negative, HS_EFORMAT or HS_ETOOLARGE; nothing else, and
 *     never a crash or a leak;
 *   - the same answer and the same pixels for the same bytes decoded
 *     again right after (whether damage was found, not how many times
 *     libjpeg said so), so a damaged frame leaves nothing behind in the
 *     decoder for the next.
 *
 * The shim is built with coverage for this (CMakeLists.txt).  Built only
 * with clang and -DHS_FUZZ=ON; seeds in corpus/jpeg/ (small JPEGs made
 * for it: baseline, progressive, grey, with restart markers).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "headsup/err.h"
#include "headsup/resample.h"
#include "headsup/shim.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* One decode: its status, with the size of the picture, the damage, and
 * a hash of the pixels. */
typedef struct answer {
	int rc, w, h, damaged;
	uint64_t hash;
} answer;

static answer decode(hs_image *img, const uint8_t *data, size_t size)
{
	answer a = { 0, 0, 0, -1, 0 };
	a.rc = hs_image_decode_jpeg(img, data, size, &a.damaged);
	hs_pixels px;
	if (a.rc != 0 || hs_image_pixels(img, &px) != 0)
		return a;
	a.w = px.w;
	a.h = px.h;
	a.hash = 14695981039346656037ULL; /* FNV-1a */
	for (int y = 0; y < px.h; y++)
		for (size_t x = 0; x < (size_t)px.w * 3; x++)
			a.hash = (a.hash ^ px.bgr[y * px.stride + x]) *
			         1099511628211ULL;
	return a;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static hs_image *img;
	if (!img && hs_image_create(&img) < 0)
		abort();
	const answer first = decode(img, data, size);
	const answer again = decode(img, data, size);
	const bool picture_ok = first.w >= 1 && first.h >= 1 &&
	                        (long)first.w * first.h <= 8192L * 8192 &&
	                        first.damaged >= 0;
	const bool status_ok = first.rc == 0 ? picture_ok
	                                     : first.rc == HS_EFORMAT ||
	                                               first.rc == HS_ETOOLARGE;
	if (status_ok && again.rc == first.rc && again.w == first.w &&
	    again.h == first.h && again.hash == first.hash &&
	    (again.damaged > 0) == (first.damaged > 0))
		return 0;
	fprintf(stderr,
	        "fuzz_jpeg: status %d (%s), %dx%d, damage %d; again %d, "
	        "%dx%d, damage %d, %s pixels; %s\n",
	        first.rc, hs_strerror(first.rc), first.w, first.h,
	        first.damaged, again.rc, again.w, again.h, again.damaged,
	        again.hash == first.hash ? "the same" : "other",
	        hs_shim_last_error());
	abort();
}
