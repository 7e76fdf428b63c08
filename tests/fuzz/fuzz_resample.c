/* fuzz_resample.c - libFuzzer target for the networks' input makers
 * (resample.h).  The input gives a small frame (size, row padding,
 * pixels), a square side and an affine map, either as raw doubles (NaN,
 * infinities, 1e308 and all) or as a turn, a scale and a centre near the
 * frame, as the face mesh makes them.  The frame lives in a buffer of
 * exactly its size, so AddressSanitizer catches any read past it.  Each
 * call must answer as the header promises:
 *   - hs_resample_letterbox: 0, every value in [bias, 255 * scale + bias]
 *     (a mean of pixels and black), and the square's corner inside it;
 *   - hs_resample_affine: 0 with every value in the same range, or
 *     HS_EINVAL exactly when the map is not finite.
 *
 * Built only with clang and -DHS_FUZZ=ON; seeds in corpus/resample/.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "headsup/err.h"
#include "headsup/resample.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct reader {
	const uint8_t *p;
	size_t n;
} reader;

static uint8_t byte(reader *r)
{
	if (r->n == 0)
		return 0;
	r->n--;
	return *r->p++;
}

static double raw_double(reader *r)
{
	uint64_t bits = 0;
	for (int i = 0; i < 8; i++)
		bits = bits << 8 | byte(r);
	double d;
	memcpy(&d, &bits, sizeof d);
	return d;
}

static void check_range(const float *v, size_t n, float scale, float bias)
{
	const float lo = bias - 1e-3f, hi = 255 * scale + bias + 1e-3f;
	for (size_t i = 0; i < n; i++)
		if (!(v[i] >= lo && v[i] <= hi))
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	reader r = { data, size };
	const int w = 1 + byte(&r) % 48, h = 1 + byte(&r) % 48;
	const size_t stride = (size_t)w * 3 + byte(&r) % 5;
	const int side = 1 + byte(&r) % 40;
	const int ow = 1 + byte(&r) % 24, oh = 1 + byte(&r) % 24;
	const uint8_t mode = byte(&r);
	double A[6];
	if (mode & 1) {
		for (int i = 0; i < 6; i++)
			A[i] = raw_double(&r);
	} else {
		/* a turn of up to a full circle, a scale from 1/16 to 16 and a
		 * centre up to a frame's width off it */
		const double a = byte(&r) / 255.0 * 2 * M_PI;
		const double k = exp2((byte(&r) - 128) / 32.0);
		const double cx = (byte(&r) - 64) / 128.0 * 3 * w;
		const double cy = (byte(&r) - 64) / 128.0 * 3 * h;
		const double c = cos(a) * k, s = sin(a) * k;
		A[0] = c;
		A[1] = -s;
		A[2] = cx - (c - s) * ow / 2.0;
		A[3] = s;
		A[4] = c;
		A[5] = cy - (s + c) * oh / 2.0;
	}
	unsigned char *frame = malloc(stride * (size_t)h);
	float *scratch = NULL, *out = NULL;
	size_t scratch_n = 0;
	if (!frame)
		return 0;
	for (size_t i = 0; i < stride * (size_t)h; i++)
		frame[i] = r.n ? byte(&r) : (unsigned char)(i * 37);
	const hs_pixels px = { frame, w, h, stride };
	const float scale = 2.0f / 255.0f, bias = -1.0f;

	out = malloc((size_t)side * side * 3 * sizeof *out);
	if (!out || hs_resample_reserve(&px, &scratch, &scratch_n) < 0)
		goto done;
	hs_letterbox lb;
	if (hs_resample_letterbox(&px, side, scale, bias, scratch, scratch_n,
	                          out, &lb) != 0)
		abort();
	check_range(out, (size_t)side * side * 3, scale, bias);
	const float square = (float)side * lb.scale; /* in frame pixels */
	if (!(lb.scale > 0) || lb.pad_x < 0 || lb.pad_y < 0 ||
	    lb.pad_x > square || lb.pad_y > square)
		abort();
	free(out);

	out = malloc((size_t)ow * oh * 3 * sizeof *out);
	if (!out)
		goto done;
	int finite = 1;
	for (int i = 0; i < 6; i++)
		finite &= isfinite(A[i]) != 0;
	const int rc = hs_resample_affine(&px, A, ow, oh, scale, bias, out);
	if (rc != (finite ? 0 : HS_EINVAL))
		abort();
	if (rc == 0)
		check_range(out, (size_t)ow * oh * 3, scale, bias);
done:
	free(out);
	free(scratch);
	free(frame);
	return 0;
}
