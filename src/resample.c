/* resample.c - a frame's pixels into a network's input (see resample.h). */
#include "headsup/resample.h"

#include "headsup/err.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

static bool valid_view(const hs_pixels *p)
{
	return p && p->bgr && p->w > 0 && p->h > 0 &&
	       p->stride >= (size_t)p->w * 3;
}

/* The frame pixels one square pixel covers along one axis: whole pixels
 * [full0, full1), plus a pixel cut by each end of the interval with the
 * share of it that is inside (weight 0: none). */
typedef struct span {
	int full0, full1;
	int lo, hi;       /* the cut pixels */
	float w_lo, w_hi; /* their shares, 0..1 */
} span;

/* The span of [a, b) clipped to [0, n). */
static span span_of(double a, double b, int n)
{
	span s = { 0, 0, 0, 0, 0.f, 0.f };
	if (a < 0)
		a = 0;
	if (b > n)
		b = n;
	if (!(b > a))
		return s;
	const double ca = ceil(a), fb = floor(b);
	if (ca > fb) { /* inside one pixel */
		s.lo = (int)a;
		s.w_lo = (float)(b - a);
		return s;
	}
	s.full0 = (int)ca;
	s.full1 = (int)fb;
	s.lo = s.full0 > 0 ? s.full0 - 1 : 0;
	s.w_lo = (float)(ca - a);
	s.hi = s.full1 < n ? s.full1 : n - 1;
	s.w_hi = (float)(b - fb);
	return s;
}

size_t hs_resample_letterbox_scratch(const hs_pixels *src)
{
	return src && src->w > 0 ? (size_t)src->w * 3 : 0;
}

int hs_resample_reserve(const hs_pixels *src, float **scratch, size_t *floats)
{
	const size_t need = hs_resample_letterbox_scratch(src);
	if (need <= *floats)
		return 0;
	float *grown = realloc(*scratch, need * sizeof **scratch);
	if (!grown)
		return HS_ENOMEM;
	*scratch = grown;
	*floats = need;
	return 0;
}

int hs_resample_letterbox(const hs_pixels *src, int side, float scale,
                          float bias, float *scratch, size_t scratch_floats,
                          float *dst, hs_letterbox *lb)
{
	if (!valid_view(src) || !dst || side < 1 || side > HS_RESAMPLE_MAX_SIDE)
		return HS_EINVAL;
	const size_t n = (size_t)src->w * 3;
	if (!scratch || scratch_floats < n)
		return HS_EINVAL;
	const int longer = src->w > src->h ? src->w : src->h;
	const double k = (double)longer / side; /* frame pixels per pixel */
	const int w = (int)lround(src->w / k), h = (int)lround(src->h / k);
	const int ox = (side - (w > 0 ? w : 1)) / 2;
	const int oy = (side - (h > 0 ? h : 1)) / 2;
	lb->scale = (float)k;
	lb->pad_x = (float)(ox * k);
	lb->pad_y = (float)(oy * k);

	span cols[HS_RESAMPLE_MAX_SIDE];
	for (int u = 0; u < side; u++)
		cols[u] = span_of((u - ox) * k, (u - ox + 1) * k, src->w);
	/* The mean of the area covered, black counting as 0. */
	const float gain = (float)(scale / (k * k));
	float *acc = scratch; /* one square row's frame rows, summed */
	for (int v = 0; v < side; v++) {
		/* down the frame: the rows this square row covers */
		const span rows =
		        span_of((v - oy) * k, (v - oy + 1) * k, src->h);
		for (size_t i = 0; i < n; i++)
			acc[i] = 0;
		for (int y = rows.full0; y < rows.full1; y++) {
			const unsigned char *row =
			        src->bgr + (size_t)y * src->stride;
			for (size_t i = 0; i < n; i++)
				acc[i] += row[i];
		}
		const int cut[2] = { rows.lo, rows.hi };
		const float cut_w[2] = { rows.w_lo, rows.w_hi };
		for (int c = 0; c < 2; c++) {
			if (cut_w[c] == 0)
				continue;
			const unsigned char *row =
			        src->bgr + (size_t)cut[c] * src->stride;
			for (size_t i = 0; i < n; i++)
				acc[i] += cut_w[c] * row[i];
		}
		/* then across: each square pixel's columns, BGR to RGB */
		float *out = dst + (size_t)v * side * 3;
		for (int u = 0; u < side; u++, out += 3) {
			const span *s = &cols[u];
			const float *lo = acc + 3 * s->lo,
			            *hi = acc + 3 * s->hi;
			float b = s->w_lo * lo[0] + s->w_hi * hi[0];
			float g = s->w_lo * lo[1] + s->w_hi * hi[1];
			float r = s->w_lo * lo[2] + s->w_hi * hi[2];
			for (const float *a = acc + 3 * s->full0,
			                 *end = acc + 3 * s->full1;
			     a < end; a += 3) {
				b += a[0];
				g += a[1];
				r += a[2];
			}
			out[0] = r * gain + bias;
			out[1] = g * gain + bias;
			out[2] = b * gain + bias;
		}
	}
	return 0;
}

/* Bilinear B, G, R at (x, y) near the frame's edge: a neighbour outside
 * the frame counts as black. */
static void edge_sample(const hs_pixels *src, int x0, int y0, float fx,
                        float fy, float bgr[3])
{
	const float wt[4] = { (1 - fx) * (1 - fy), fx * (1 - fy), (1 - fx) * fy,
		              fx * fy };
	bgr[0] = bgr[1] = bgr[2] = 0;
	for (int t = 0; t < 4; t++) {
		const int x = x0 + (t & 1), y = y0 + (t >> 1);
		if (x < 0 || x >= src->w || y < 0 || y >= src->h)
			continue;
		const unsigned char *p =
		        src->bgr + (size_t)y * src->stride + 3 * (size_t)x;
		for (int c = 0; c < 3; c++)
			bgr[c] += wt[t] * p[c];
	}
}

/* One output row whose every sample lies inside the frame, away from its
 * last row and column: x, y step by dx, dy in 16.16 fixed point (a row of
 * a few hundred pixels drifts by under a hundredth of a pixel) and the
 * four neighbours are weighed in 1/256 of a pixel (OpenCV's warpAffine:
 * 1/32), which is within one grey level of exact.  gain takes the sum
 * of weights (65536) to 1 and then applies the caller's scale. */
static void row_inside(const hs_pixels *src, int64_t x, int64_t y, int64_t dx,
                       int64_t dy, int n, float gain, float bias, float *out)
{
	for (int u = 0; u < n; u++, x += dx, y += dy, out += 3) {
		/* the position rounded to 1/256 of a pixel */
		const int64_t qx = (x + 128) >> 8, qy = (y + 128) >> 8;
		const int x0 = (int)(qx >> 8), y0 = (int)(qy >> 8);
		const int ax = (int)(qx & 255), ay = (int)(qy & 255);
		const int w00 = (256 - ax) * (256 - ay), w01 = ax * (256 - ay),
		          w10 = (256 - ax) * ay, w11 = ax * ay;
		const unsigned char *p =
		        src->bgr + (size_t)y0 * src->stride + 3 * (size_t)x0;
		const unsigned char *q = p + src->stride;
		const int b = p[0] * w00 + p[3] * w01 + q[0] * w10 + q[3] * w11;
		const int g = p[1] * w00 + p[4] * w01 + q[1] * w10 + q[4] * w11;
		const int r = p[2] * w00 + p[5] * w01 + q[2] * w10 + q[5] * w11;
		out[0] = (float)r * gain + bias;
		out[1] = (float)g * gain + bias;
		out[2] = (float)b * gain + bias;
	}
}

/* Whether fixed-point x, y lie where row_inside() may sample: its right
 * and lower neighbours in the frame, even once rounded up. */
static bool inside(const hs_pixels *src, int64_t x, int64_t y)
{
	return x >= 0 && y >= 0 && x < ((int64_t)(src->w - 1) << 16) - 128 &&
	       y < ((int64_t)(src->h - 1) << 16) - 128;
}

/* One output row in general: each sample checked, black outside. */
static void row_any(const hs_pixels *src, double x, double y, double dx,
                    double dy, int n, float scale, float bias, float *out)
{
	for (int u = 0; u < n; u++, out += 3) {
		const double xu = x + dx * u, yu = y + dy * u;
		/* written so that NaN (an overflowed map) is outside */
		if (!(xu > -1.0 && xu < src->w && yu > -1.0 && yu < src->h)) {
			out[0] = out[1] = out[2] = bias;
			continue;
		}
		const int x0 = (int)floor(xu), y0 = (int)floor(yu);
		float bgr[3];
		edge_sample(src, x0, y0, (float)(xu - x0), (float)(yu - y0),
		            bgr);
		out[0] = bgr[2] * scale + bias;
		out[1] = bgr[1] * scale + bias;
		out[2] = bgr[0] * scale + bias;
	}
}

int hs_resample_affine(const hs_pixels *src, const double A[6], int w, int h,
                       float scale, float bias, float *dst)
{
	if (!valid_view(src) || !dst || w <= 0 || h <= 0)
		return HS_EINVAL;
	for (int i = 0; i < 6; i++)
		if (!isfinite(A[i]))
			return HS_EINVAL;
	/* beyond this the fixed point could overflow: no frame is so big */
	const double limit = 1e9;
	for (int v = 0; v < h; v++) {
		const double x = A[1] * v + A[2], y = A[4] * v + A[5];
		float *out = dst + (size_t)v * w * 3;
		const double xe = x + A[0] * (w - 1), ye = y + A[3] * (w - 1);
		if (fabs(x) < limit && fabs(y) < limit && fabs(xe) < limit &&
		    fabs(ye) < limit) {
			const int64_t fx = llround(x * 65536),
			              fy = llround(y * 65536),
			              dx = llround(A[0] * 65536),
			              dy = llround(A[3] * 65536);
			/* the row is a segment: both ends inside, all inside */
			if (inside(src, fx, fy) &&
			    inside(src, fx + dx * (w - 1), fy + dy * (w - 1))) {
				row_inside(src, fx, fy, dx, dy, w,
				           scale / 65536.f, bias, out);
				continue;
			}
		}
		row_any(src, x, y, A[0], A[3], w, scale, bias, out);
	}
	return 0;
}
