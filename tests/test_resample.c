/* test_resample.c - the networks' inputs made from a frame's pixels:
 * BlazeFace's letterbox and the face mesh's rotated crop (resample.h),
 * checked against exact expectations on synthetic frames and against
 * OpenCV's own area resize. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "headsup/err.h"
#include "headsup/resample.h"
#include "headsup/shim.h"
#include "testutil.h"

/* A w x h BGR frame, stride padded past the pixels (as a camera's or a
 * cropped image's can be), filled by fill(x, y, channel). */
typedef struct frame {
	unsigned char *buf;
	hs_pixels px;
} frame;

static frame make_frame(int w, int h,
                        unsigned char (*fill)(int x, int y, int c))
{
	frame f;
	const size_t stride = (size_t)w * 3 + 7;
	f.buf = malloc(stride * (size_t)h);
	assert_non_null(f.buf);
	memset(f.buf, 0xAA, stride * (size_t)h); /* the padding: never read */
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++)
			for (int c = 0; c < 3; c++)
				f.buf[(size_t)y * stride + 3 * x + c] =
				        fill(x, y, c);
	f.px = (hs_pixels){ f.buf, w, h, stride };
	return f;
}

static unsigned char noise(int x, int y, int c)
{
	uint32_t v = (uint32_t)x * 73856093u ^ (uint32_t)y * 19349663u ^
	             (uint32_t)c * 83492791u;
	v ^= v >> 13;
	v *= 0x5bd1e995u;
	return (unsigned char)(v >> 24);
}

/* Blue 200, green 100, red 50 everywhere. */
static unsigned char flat(int x, int y, int c)
{
	(void)x;
	(void)y;
	static const unsigned char bgr[3] = { 200, 100, 50 };
	return bgr[c];
}

/* Each 5 x 5 block one colour. */
static unsigned char blocks(int x, int y, int c)
{
	return noise(x / 5, y / 5, c);
}

static float *letterbox(const frame *f, int side, float scale, float bias,
                        hs_letterbox *lb)
{
	float *out = malloc((size_t)side * side * 3 * sizeof *out);
	float *scratch = NULL;
	size_t n = 0;
	assert_non_null(out);
	assert_int_equal(hs_resample_reserve(&f->px, &scratch, &n), 0);
	assert_true(n >= hs_resample_letterbox_scratch(&f->px));
	assert_int_equal(hs_resample_letterbox(&f->px, side, scale, bias,
	                                       scratch, n, out, lb),
	                 0);
	free(scratch);
	return out;
}

/* A 640 x 480 camera frame shrinks five times into 128 x 96, centred in
 * the square: each pixel is the mean of its 5 x 5 block, in RGB order,
 * and the 16 rows above and below are black. */
static void letterbox_averages_and_centres_a_camera_frame(void **state)
{
	(void)state;
	frame f = make_frame(640, 480, blocks);
	hs_letterbox lb;
	float *out = letterbox(&f, 128, 1.0f, 0.0f, &lb);
	assert_float_equal(lb.scale, 5.0f, 1e-6);
	assert_float_equal(lb.pad_x, 0.0f, 1e-6);
	assert_float_equal(lb.pad_y, 80.0f, 1e-6);
	for (int v = 0; v < 128; v++)
		for (int u = 0; u < 128; u++)
			for (int c = 0; c < 3; c++) {
				const float got = out[(v * 128 + u) * 3 + c];
				const float want =
				        v < 16 || v >= 112
				                ? 0.0f
				                : blocks(u * 5, (v - 16) * 5,
				                         2 - c);
				if (fabsf(got - want) > 1e-3f)
					fail_msg("square (%d, %d) channel %d: "
					         "%.3f, expected %.0f",
					         u, v, c, (double)got,
					         (double)want);
			}
	free(out);
	free(f.buf);
}

/* Whatever the scale, each pixel is a mean of the area it covers: a flat
 * frame stays flat inside, and the square holds the frame's total
 * brightness, black adding nothing.  A frame wider than tall, one taller
 * than wide, sizes that are no multiple of the square, and frames
 * smaller than it. */
static void letterbox_keeps_the_frames_brightness_at_any_scale(void **state)
{
	(void)state;
	static const int sizes[][2] = { { 450, 450 }, { 333, 517 },
		                        { 641, 479 }, { 1280, 720 },
		                        { 100, 37 },  { 5, 3 } };
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		const int w = sizes[i][0], h = sizes[i][1], side = 128;
		frame f = make_frame(w, h, noise);
		hs_letterbox lb;
		float *out = letterbox(&f, side, 1.0f, 0.0f, &lb);
		double in_sum = 0, out_sum = 0;
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++)
				for (int c = 0; c < 3; c++)
					in_sum += noise(x, y, c);
		for (int k = 0; k < side * side * 3; k++)
			out_sum += out[k];
		out_sum *= (double)lb.scale * lb.scale;
		if (fabs(out_sum - in_sum) > 1e-4 * in_sum)
			fail_msg("%dx%d: the square holds %.1f of the frame's "
			         "%.1f",
			         w, h, out_sum, in_sum);
		free(out);
		free(f.buf);

		/* flat: every pixel wholly inside the frame is the colour */
		f = make_frame(w, h, flat);
		out = letterbox(&f, side, 2.0f / 255.0f, -1.0f, &lb);
		int inside = 0;
		for (int v = 0; v < side; v++)
			for (int u = 0; u < side; u++) {
				const double x0 = (double)u * lb.scale -
				                  lb.pad_x,
				             y0 = (double)v * lb.scale -
				                  lb.pad_y;
				if (x0 < -1e-6 || y0 < -1e-6 ||
				    x0 + lb.scale > w + 1e-6 ||
				    y0 + lb.scale > h + 1e-6)
					continue;
				inside++;
				const float *p = out + (v * side + u) * 3;
				for (int c = 0; c < 3; c++)
					assert_float_equal(
					        p[c],
					        (float)(flat(0, 0, 2 - c) * 2 /
					                        255.0 -
					                1),
					        1e-4);
			}
		/* the frame fills the longer side */
		assert_true(
		        inside >=
		        side * (side * (w < h ? w : h) / (w > h ? w : h) - 2));
		free(out);
		free(f.buf);
	}
}

/* The same shrink as OpenCV's cv::resize with INTER_AREA, which made the
 * network's input before (and which the model's makers used): within one
 * grey level of its rounded result, over the picture. */
static void letterbox_agrees_with_opencv_area_resize(void **state)
{
	(void)state;
	static const int sizes[][2] = {
		{ 640, 480 }, { 384, 288 }, { 450, 450 }, { 800, 600 }
	};
	hs_image *img = NULL, *small = NULL;
	assert_int_equal(hs_image_create(&img), 0);
	assert_int_equal(hs_image_create(&small), 0);
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		const int w = sizes[i][0], h = sizes[i][1];
		unsigned char *bgr = malloc((size_t)w * h * 3);
		assert_non_null(bgr);
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++)
				for (int c = 0; c < 3; c++)
					bgr[((size_t)y * w + x) * 3 + c] =
					        blocks(x / 3, y / 2, c);
		assert_int_equal(hs_image_from_bgr(img, bgr, w, h), 0);
		hs_pixels px;
		assert_int_equal(hs_image_pixels(img, &px), 0);
		frame f = { NULL, px };
		hs_letterbox lb;
		float *out = letterbox(&f, 128, 1.0f, 0.0f, &lb);
		const int sw = (int)lround(w / (double)lb.scale),
		          sh = (int)lround(h / (double)lb.scale);
		const int ox = (int)lround(lb.pad_x / (double)lb.scale),
		          oy = (int)lround(lb.pad_y / lb.scale);
		assert_int_equal(hs_image_resize(img, sw, sh, small), 0);
		hs_pixels ref;
		assert_int_equal(hs_image_pixels(small, &ref), 0);
		double worst = 0;
		/* the last column and row may cover a sliver of black */
		for (int v = 0; v < sh - 1; v++)
			for (int u = 0; u < sw - 1; u++)
				for (int c = 0; c < 3; c++) {
					const double want =
					        ref.bgr[(size_t)v * ref.stride +
					                3 * u + 2 - c];
					const double got =
					        out[((v + oy) * 128 + u + ox) *
					                    3 +
					            c];
					worst = fmax(worst, fabs(got - want));
				}
		if (worst > 1.0)
			fail_msg("%dx%d: %.2f grey levels from OpenCV", w, h,
			         worst);
		free(out);
		free(bgr);
	}
	hs_image_destroy(small);
	hs_image_destroy(img);
}

static void letterbox_refuses_what_it_cannot_make(void **state)
{
	(void)state;
	frame f = make_frame(8, 6, noise);
	float scratch[8 * 3], out[4 * 4 * 3];
	hs_letterbox lb;
	assert_int_equal(hs_resample_letterbox(&f.px, 4, 1, 0, scratch,
	                                       8 * 3 - 1, out, &lb),
	                 HS_EINVAL); /* too little scratch */
	assert_int_equal(
	        hs_resample_letterbox(&f.px, 0, 1, 0, scratch, 24, out, &lb),
	        HS_EINVAL);
	assert_int_equal(hs_resample_letterbox(&f.px, HS_RESAMPLE_MAX_SIDE + 1,
	                                       1, 0, scratch, 24, out, &lb),
	                 HS_EINVAL);
	hs_pixels empty = { NULL, 0, 0, 0 };
	assert_int_equal(
	        hs_resample_letterbox(&empty, 4, 1, 0, scratch, 24, out, &lb),
	        HS_EINVAL);
	hs_pixels narrow = f.px;
	narrow.stride = 8 * 3 - 1; /* rows would overlap */
	assert_int_equal(
	        hs_resample_letterbox(&narrow, 4, 1, 0, scratch, 24, out, &lb),
	        HS_EINVAL);
	assert_int_equal(
	        hs_resample_letterbox(&f.px, 4, 1, 0, scratch, 24, out, &lb),
	        0);
	free(f.buf);
}

/* Bilinear B, G, R of f at (x, y) in double precision, black outside:
 * the definition the crop is checked against. */
static void reference_sample(const frame *f, double x, double y, double bgr[3])
{
	const int x0 = (int)floor(x), y0 = (int)floor(y);
	const double fx = x - x0, fy = y - y0;
	bgr[0] = bgr[1] = bgr[2] = 0;
	for (int t = 0; t < 4; t++) {
		const int xi = x0 + (t & 1), yi = y0 + (t >> 1);
		if (xi < 0 || yi < 0 || xi >= f->px.w || yi >= f->px.h)
			continue;
		const double wt =
		        ((t & 1) ? fx : 1 - fx) * ((t >> 1) ? fy : 1 - fy);
		for (int c = 0; c < 3; c++)
			bgr[c] += wt * f->px.bgr[(size_t)yi * f->px.stride +
			                         3 * xi + c];
	}
}

/* The face mesh's crop: turned, scaled and shifted, partly off the frame
 * or not at all, each output pixel is the bilinear sample of the frame
 * where the map sends it, in RGB, black off the frame, within one grey
 * level of the exact value where the frame changes sharply (the sampler
 * weighs neighbours in 1/256 of a pixel). */
static void affine_crop_samples_where_the_map_says(void **state)
{
	(void)state;
	frame f = make_frame(320, 240, blocks);
	const struct {
		double angle_deg, k, cx, cy;
	} maps[] = {
		{ 0, 1.0, 160, 120 },   /* inside: a plain copy */
		{ 17, 0.83, 150, 110 }, /* turned, enlarged, inside */
		{ -40, 1.7, 300, 20 },  /* turned, off the top right */
		{ 90, 1.0, 5, 235 },    /* a quarter turn at a corner */
		{ 180, 2.5, 160, 120 }, /* upside down, shrunk, overlapping */
	};
	const int n = 96;
	float *out = malloc((size_t)n * n * 3 * sizeof *out);
	assert_non_null(out);
	for (size_t m = 0; m < sizeof maps / sizeof maps[0]; m++) {
		const double a = maps[m].angle_deg * M_PI / 180;
		const double c = cos(a) * maps[m].k, s = sin(a) * maps[m].k;
		const double A[6] = {
			c, -s, maps[m].cx - (c - s) * n / 2.0,
			s, c,  maps[m].cy - (s + c) * n / 2.0,
		};
		assert_int_equal(
		        hs_resample_affine(&f.px, A, n, n, 0.5f, 3.0f, out), 0);
		double worst = 0;
		for (int v = 0; v < n; v++)
			for (int u = 0; u < n; u++) {
				double bgr[3];
				reference_sample(&f, A[0] * u + A[1] * v + A[2],
				                 A[3] * u + A[4] * v + A[5],
				                 bgr);
				for (int ch = 0; ch < 3; ch++) {
					const double got =
					        (out[(v * n + u) * 3 + ch] -
					         3.0) /
					        0.5;
					worst = fmax(worst,
					             fabs(got - bgr[2 - ch]));
				}
			}
		if (worst > 1.0)
			fail_msg("map %zu: %.3f grey levels from exact", m,
			         worst);
	}
	/* a whole-pixel shift copies exactly, and half a pixel averages */
	const double shift[6] = { 1, 0, 10, 0, 1, 20 };
	const double half[6] = { 1, 0, 10.5, 0, 1, 20 };
	float one[3], mid[3];
	assert_int_equal(hs_resample_affine(&f.px, shift, 1, 1, 1, 0, one), 0);
	assert_int_equal(hs_resample_affine(&f.px, half, 1, 1, 1, 0, mid), 0);
	for (int ch = 0; ch < 3; ch++) {
		assert_float_equal(one[ch], blocks(10, 20, 2 - ch), 1e-4);
		assert_float_equal(mid[ch],
		                   (float)(blocks(10, 20, 2 - ch) +
		                           blocks(11, 20, 2 - ch)) /
		                           2,
		                   1e-4);
	}
	/* half a pixel off the left edge is half black */
	const double edge[6] = { 1, 0, -0.5, 0, 1, 7 };
	assert_int_equal(hs_resample_affine(&f.px, edge, 1, 1, 1, 0, mid), 0);
	for (int ch = 0; ch < 3; ch++)
		assert_float_equal(mid[ch], (float)blocks(0, 7, 2 - ch) / 2,
		                   1e-4);
	free(out);
	free(f.buf);
}

/* A map far off the frame, or so large it overflows, gives black, and a
 * map that is not finite is refused: no read outside the frame (the
 * sanitizer build would catch one). */
static void affine_crop_survives_wild_maps(void **state)
{
	(void)state;
	frame f = make_frame(16, 12, noise);
	float out[8 * 8 * 3];
	const double far[6] = { 1, 0, -1e7, 0, 1, 1e7 };
	/* x = 1e308 (u - v + 1), y = 1e308 (u + v + 1): never inside, and
	 * past the double range (inf, then inf - inf) for most pixels */
	const double huge[6] = { 1e308, -1e308, 1e308, 1e308, 1e308, 1e308 };
	const double *maps[] = { far, huge };
	for (int m = 0; m < 2; m++) {
		assert_int_equal(
		        hs_resample_affine(&f.px, maps[m], 8, 8, 1, -1, out),
		        0);
		for (int i = 0; i < 8 * 8 * 3; i++)
			assert_float_equal(out[i], -1.0f, 0);
	}
	const double nan_map[6] = { 1, 0, NAN, 0, 1, 0 };
	const double inf_map[6] = { 1, 0, 0, 0, INFINITY, 0 };
	assert_int_equal(hs_resample_affine(&f.px, nan_map, 8, 8, 1, 0, out),
	                 HS_EINVAL);
	assert_int_equal(hs_resample_affine(&f.px, inf_map, 8, 8, 1, 0, out),
	                 HS_EINVAL);
	assert_int_equal(hs_resample_affine(&f.px, far, 0, 8, 1, 0, out),
	                 HS_EINVAL);
	free(f.buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(letterbox_averages_and_centres_a_camera_frame),
		cmocka_unit_test(
		        letterbox_keeps_the_frames_brightness_at_any_scale),
		cmocka_unit_test(letterbox_agrees_with_opencv_area_resize),
		cmocka_unit_test(letterbox_refuses_what_it_cannot_make),
		cmocka_unit_test(affine_crop_samples_where_the_map_says),
		cmocka_unit_test(affine_crop_survives_wild_maps),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
