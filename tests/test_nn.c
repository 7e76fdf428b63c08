/* test_nn.c - the C inference engine: BlazeFace against cv::dnn on real
 * photos and a synthetic input, small graphs against a plain reference
 * written here (among them the operators of MediaPipe's face mesh: PRelu,
 * Pad, Sigmoid, stride-3 heads), every instruction set this CPU has, and
 * how it refuses broken or unsupported models. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "headsup/err.h"
#include "headsup/nn.h"
#include "headsup/resample.h"
#include "headsup/shim.h"
#include "onnxwriter.h"
#include "testutil.h"

#define MODEL HS_BUILD_DATA_DIR "/blazeface-front-128.onnx"
#define N8 512 /* stride-8 anchors */

/* Logits and regressors (up to about 250 input pixels) both. */
#define MAX_DIFF 1e-3

static const char *const isas[] = { "avx512", "avx2", "generic" };
static const char *const outs[4] = { "Identity:0", "Identity_1:0",
	                             "Identity_2:0", "Identity_3:0" };

static uint32_t rng = 12345;

/* Uniform in [lo, hi), reproducibly. */
static float uniform(float lo, float hi)
{
	rng = rng * 1664525u + 1013904223u;
	return lo + (hi - lo) * (float)(rng >> 8) / 16777216.f;
}

static bool model_or_skip(void)
{
	FILE *f = fopen(MODEL, "rb");
	if (!f) {
		fprintf(stderr,
		        "SKIPPED: model '%s' not found; run "
		        "models/fetch-model.sh and rebuild\n",
		        MODEL);
		return false;
	}
	fclose(f);
	return true;
}

/* ---- BlazeFace against cv::dnn ------------------------------------------ */

static double worst_score, worst_reg;

/* Run both engines on input and compare the four outputs, under every
 * instruction set this CPU runs. */
static void compare_with_dnn(hs_nn *nn, hs_facenet *dnn, const float *input,
                             const char *what)
{
	const float *scores, *regs;
	assert_int_equal(hs_facenet_forward(dnn, input, &scores, &regs), 0);
	const float *ref[4] = { scores, scores + N8, regs, regs + N8 * 16 };
	int runs = 0;
	for (size_t k = 0; k < sizeof isas / sizeof isas[0]; k++) {
		int rc = hs_nn_set_isa(nn, isas[k]);
		if (rc == HS_ENOTSUP)
			continue;
		assert_int_equal(rc, 0);
		runs++;
		assert_int_equal(hs_nn_run(nn, input, HS_FACENET_INPUT_FLOATS),
		                 0);
		for (int o = 0; o < 4; o++) {
			size_t n = 0;
			const float *got = hs_nn_output(
			        nn, hs_nn_output_index(nn, outs[o]), &n);
			assert_non_null(got);
			double worst = 0;
			size_t at = 0;
			for (size_t i = 0; i < n; i++) {
				double d = fabs((double)got[i] - ref[o][i]);
				if (d > worst || isnan(d)) {
					worst = d;
					at = i;
				}
			}
			double *w = o < 2 ? &worst_score : &worst_reg;
			if (worst > *w)
				*w = worst;
			if (!(worst <= MAX_DIFF))
				fail_msg("%s, %s kernels, %s[%zu]: %g, cv::dnn "
				         "%g",
				         what, isas[k], outs[o], at,
				         (double)got[at], (double)ref[o][at]);
		}
	}
	assert_true(runs > 0); /* "generic" runs everywhere */
}

static void blazeface_matches_cv_dnn(void **state)
{
	(void)state;
	static const char *const photos[] = {
		"headpose/pointing04/person01/person01146+0+0.jpg",
		"headpose/pointing04/person01/person01120-30+0.jpg",
		"headpose/pointing04/person02/person02100-90+0.jpg",
		"headpose/aflw2000/image00050.jpg",
		"headpose/aflw2000/image00081.jpg",
	};
	if (!model_or_skip())
		skip();
	char path[PATH_MAX], err[256];
	hs_cv_set_threads(1);
	hs_nn *nn = NULL;
	hs_facenet *dnn = NULL;
	hs_image *img = NULL;
	static float input[HS_FACENET_INPUT_FLOATS];
	float *scratch = NULL;
	size_t scratch_n = 0;
	assert_int_equal(hs_nn_create(MODEL, &nn, err, sizeof err), 0);
	assert_int_equal(hs_facenet_create(MODEL, &dnn), 0);
	assert_int_equal(hs_image_create(&img), 0);

	/* a synthetic input: every value in [-1, 1] */
	for (size_t i = 0; i < HS_FACENET_INPUT_FLOATS; i++)
		input[i] = uniform(-1, 1);
	compare_with_dnn(nn, dnn, input, "random input");

	int photos_run = 0;
	const char *missing = NULL;
	for (size_t p = 0; p < sizeof photos / sizeof photos[0]; p++) {
		if (!hs_test_fixture(photos[p], path, sizeof path)) {
			missing = photos[p];
			continue;
		}
		hs_letterbox lb;
		hs_pixels px;
		assert_int_equal(hs_image_load(img, path), 0);
		assert_int_equal(hs_image_pixels(img, &px), 0);
		assert_int_equal(hs_resample_reserve(&px, &scratch, &scratch_n),
		                 0);
		assert_int_equal(hs_resample_letterbox(
		                         &px, HS_FACENET_INPUT, 2.0f / 255.0f,
		                         -1.0f, scratch, scratch_n, input, &lb),
		                 0);
		compare_with_dnn(nn, dnn, input, photos[p]);
		photos_run++;
	}
	printf("C engine vs cv::dnn on %d photos and a random input: max "
	       "|difference| %.3g (logits), %.3g (regressors)\n",
	       photos_run, worst_score, worst_reg);
	free(scratch);
	hs_image_destroy(img);
	hs_facenet_destroy(dnn);
	hs_nn_destroy(nn);
	if (photos_run == 0) /* no fixtures here: the random input only */
		skip();
	if (missing) /* some are here: a broken copy of the fixtures */
		fail_msg("fixture %s is missing, though others are there",
		         missing);
}

static void blazeface_outputs_are_named_and_sized(void **state)
{
	(void)state;
	if (!model_or_skip())
		skip();
	char err[256];
	hs_nn *nn = NULL;
	assert_int_equal(hs_nn_create(MODEL, &nn, err, sizeof err), 0);
	assert_int_equal(hs_nn_input_count(nn), HS_FACENET_INPUT_FLOATS);
	assert_int_equal(hs_nn_output_count(nn), 4);
	const size_t counts[4] = { 512, 384, 512 * 16, 384 * 16 };
	for (int o = 0; o < 4; o++) {
		size_t n = 0;
		assert_int_equal(hs_nn_output_index(nn, outs[o]), o);
		assert_string_equal(hs_nn_output_name(nn, o), outs[o]);
		assert_non_null(hs_nn_output(nn, o, &n));
		assert_int_equal(n, counts[o]);
	}
	assert_int_equal(hs_nn_output_index(nn, "Identity_4:0"), HS_ENOENT);
	assert_null(hs_nn_output(nn, 4, NULL));
	assert_null(hs_nn_output_name(nn, -1));
	/* the input must be whole */
	static float input[HS_FACENET_INPUT_FLOATS];
	assert_int_equal(hs_nn_run(nn, input, HS_FACENET_INPUT_FLOATS - 1),
	                 HS_EINVAL);
	assert_int_equal(hs_nn_run(nn, input, HS_FACENET_INPUT_FLOATS), 0);
	assert_int_equal(hs_nn_set_isa(nn, "mmx"), HS_EINVAL);
	assert_int_equal(hs_nn_set_isa(nn, "generic"), 0);
	assert_string_equal(hs_nn_isa(nn), "generic");
	hs_nn_destroy(nn);
	hs_nn_destroy(NULL);
}

/* ---- small graphs against a reference ------------------------------------ */

/* The shape of a BlazeFace block, with the sizes a test picks:
 *   x [1,h,w,cin] -> Transpose -> Conv k x k / s (pads) + Relu = r1
 *   r1 -> depthwise 3x3 -> Conv 1x1 to c2 -> Add r1 (zero-padded from c1
 *   to c2 channels by ConstantOfShape + Concat) -> Relu = r2
 *   out_a: MaxPool 2x2 of r2, as NHWC [1,-1,c2]
 *   out_b: Conv 1x1 of r2 to c3, as NHWC [1,-1,c3]
 *   out_c: r2 itself, NCHW
 *   out_d: Relu(pool + pool), NCHW */
typedef struct block {
	int h, w, cin, c1, c2, c3, k, s, pads[4]; /* top left bottom right */
} block;

typedef struct weights {
	float *w1, *b1, *wd, *wp, *bp, *wh, *bh;
} weights;

static float *random_floats(size_t n, float scale)
{
	float *v = malloc(n * sizeof *v);
	assert_non_null(v);
	for (size_t i = 0; i < n; i++)
		v[i] = uniform(-scale, scale);
	return v;
}

static void make_weights(const block *b, weights *wt)
{
	wt->w1 = random_floats((size_t)b->c1 * b->cin * b->k * b->k, 0.5f);
	wt->b1 = random_floats((size_t)b->c1, 0.2f);
	wt->wd = random_floats((size_t)b->c1 * 9, 0.5f);
	wt->wp = random_floats((size_t)b->c2 * b->c1, 0.3f);
	wt->bp = random_floats((size_t)b->c2, 0.2f);
	wt->wh = random_floats((size_t)b->c3 * b->c2, 0.3f);
	wt->bh = random_floats((size_t)b->c3, 0.2f);
}

static void free_weights(weights *wt)
{
	free(wt->w1);
	free(wt->b1);
	free(wt->wd);
	free(wt->wp);
	free(wt->bp);
	free(wt->wh);
	free(wt->bh);
}

static void out_size(const block *b, int *h1, int *w1)
{
	*h1 = (b->h + b->pads[0] + b->pads[2] - b->k) / b->s + 1;
	*w1 = (b->w + b->pads[1] + b->pads[3] - b->k) / b->s + 1;
}

static void build_block(const block *b, const weights *wt, pbw *out)
{
	tmodel m = { { 0 } };
	int h1, w1;
	out_size(b, &h1, &w1);
	const int64_t xd[4] = { 1, b->h, b->w, b->cin };
	const int64_t d1[4] = { b->c1, b->cin, b->k, b->k };
	const int64_t dd[4] = { b->c1, 1, 3, 3 };
	const int64_t dp[4] = { b->c2, b->c1, 1, 1 };
	const int64_t dh[4] = { b->c3, b->c2, 1, 1 };
	const int64_t n1 = b->c1, n2 = b->c2, n3 = b->c3;
	const int64_t zshape[4] = { 1, b->c2 - b->c1, h1, w1 };
	const int64_t sa[3] = { 1, -1, b->c2 }, sb[3] = { 1, -1, b->c3 };
	tm_input(&m, "x", 4, xd);
	tm_float(&m, "w1", 4, d1, wt->w1);
	tm_float(&m, "b1", 1, &n1, wt->b1);
	tm_float(&m, "wd", 4, dd, wt->wd);
	tm_float(&m, "wp", 4, dp, wt->wp);
	tm_float(&m, "bp", 1, &n2, wt->bp);
	tm_float(&m, "wh", 4, dh, wt->wh);
	tm_float(&m, "bh", 1, &n3, wt->bh);
	tm_int64(&m, "zshape", 4, zshape);
	tm_int64(&m, "shape_a", 3, sa);
	tm_int64(&m, "shape_b", 3, sb);

	pbw a = { 0 };
	const int64_t to_nchw[4] = { 0, 3, 1, 2 }, to_nhwc[4] = { 0, 2, 3, 1 };
	ta_ints(&a, "perm", 4, to_nchw);
	tm_node(&m, "Transpose", "x", "t0", &a);
	pbw_free(&a);
	const int64_t k[2] = { b->k, b->k }, s[2] = { b->s, b->s };
	const int64_t pads[4] = { b->pads[0], b->pads[1], b->pads[2],
		                  b->pads[3] };
	ta_ints(&a, "kernel_shape", 2, k);
	ta_ints(&a, "strides", 2, s);
	ta_ints(&a, "pads", 4, pads);
	tm_node(&m, "Conv", "t0,w1,b1", "c1", &a);
	pbw_free(&a);
	tm_node(&m, "Relu", "c1", "r1", NULL);
	const int64_t ones[4] = { 1, 1, 1, 1 };
	ta_int(&a, "group", b->c1);
	ta_ints(&a, "pads", 4, ones);
	tm_node(&m, "Conv", "r1,wd", "d1", &a);
	pbw_free(&a);
	tm_node(&m, "Conv", "d1,wp,bp", "p1", NULL);
	if (b->c2 > b->c1) {
		tm_node(&m, "ConstantOfShape", "zshape", "z", NULL);
		ta_int(&a, "axis", 1);
		tm_node(&m, "Concat", "r1,z", "cc", &a);
		pbw_free(&a);
		tm_node(&m, "Add", "p1,cc", "a1", NULL);
	} else {
		tm_node(&m, "Add", "r1,p1", "a1", NULL);
	}
	tm_node(&m, "Relu", "a1", "r2", NULL);
	const int64_t two[2] = { 2, 2 };
	ta_ints(&a, "kernel_shape", 2, two);
	ta_ints(&a, "strides", 2, two);
	tm_node(&m, "MaxPool", "r2", "m1", &a);
	pbw_free(&a);
	ta_ints(&a, "perm", 4, to_nhwc);
	tm_node(&m, "Transpose", "m1", "m1t", &a);
	tm_node(&m, "Reshape", "m1t,shape_a", "out_a", NULL);
	tm_node(&m, "Conv", "r2,wh,bh", "hd", NULL);
	tm_node(&m, "Transpose", "hd", "hdt", &a);
	pbw_free(&a);
	tm_node(&m, "Reshape", "hdt,shape_b", "out_b", NULL);
	tm_node(&m, "Identity", "r2", "out_c", NULL);
	tm_node(&m, "Add", "m1,m1", "dd", NULL);
	tm_node(&m, "Relu", "dd", "out_d", NULL);
	tm_output(&m, "out_a");
	tm_output(&m, "out_b");
	tm_output(&m, "out_c");
	tm_output(&m, "out_d");
	tm_finish(&m, out);
}

/* out[m][oy][ox] = b[m] + sum of in[c][iy][ix] * w[m][c / group][ky][kx],
 * NCHW, zero padding, accumulated in double. */
static void conv_ref(const float *in, int c, int h, int w, const float *wt,
                     const float *b, int m, int k, int s, const int *pads,
                     int group, float *out, int oh, int ow)
{
	const int cg = c / group, mg = m / group;
	for (int o = 0; o < m; o++)
		for (int oy = 0; oy < oh; oy++)
			for (int ox = 0; ox < ow; ox++) {
				double acc = b ? b[o] : 0;
				for (int ci = 0; ci < cg; ci++)
					for (int ky = 0; ky < k; ky++)
						for (int kx = 0; kx < k; kx++) {
							int iy = oy * s -
							         pads[0] + ky;
							int ix = ox * s -
							         pads[1] + kx;
							if (iy < 0 || iy >= h ||
							    ix < 0 || ix >= w)
								continue;
							int cin = o / mg * cg +
							          ci;
							acc += (double)in
							               [((size_t)cin *
							                         h +
							                 iy) * w +
							                ix] *
							       wt[(((size_t)o *
							                    cg +
							            ci) * k +
							           ky) * k +
							          kx];
						}
				out[((size_t)o * oh + oy) * ow + ox] =
				        (float)acc;
			}
}

static void relu_ref(float *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		v[i] = v[i] > 0 ? v[i] : 0;
}

/* NCHW [c,h,w] to NHWC [h*w, c]. */
static void nhwc_ref(const float *in, int c, int h, int w, float *out)
{
	for (int ch = 0; ch < c; ch++)
		for (int p = 0; p < h * w; p++)
			out[(size_t)p * c + ch] = in[(size_t)ch * h * w + p];
}

static void expect_close(const float *got, const float *want, size_t n,
                         const char *what, const char *isa)
{
	for (size_t i = 0; i < n; i++) {
		double tol = 1e-4 * (1 + fabs((double)want[i]));
		if (!(fabs((double)got[i] - want[i]) <= tol))
			fail_msg("%s kernels, %s[%zu]: %g, reference %g", isa,
			         what, i, (double)got[i], (double)want[i]);
	}
}

static void run_block(const block *b)
{
	weights wt;
	make_weights(b, &wt);
	pbw bytes = { 0 };
	build_block(b, &wt, &bytes);
	char err[256];
	hs_nn *nn = NULL;
	int rc = hs_nn_create_from_buffer(bytes.buf, bytes.len, &nn, err,
	                                  sizeof err);
	pbw_free(&bytes);
	if (rc != 0)
		fail_msg("cannot load the block: %s", err);

	/* the reference, NCHW */
	int h1, w1;
	out_size(b, &h1, &w1);
	const int hp = h1 / 2, wp = w1 / 2;
	const size_t n_in = (size_t)b->h * b->w * b->cin;
	const size_t n1 = (size_t)b->c1 * h1 * w1, n2 = (size_t)b->c2 * h1 * w1;
	const size_t np = (size_t)b->c2 * hp * wp, nh = (size_t)b->c3 * h1 * w1;
	float *x = random_floats(n_in, 1.f);
	float *xn = malloc(n_in * sizeof *xn);
	float *r1 = malloc(n1 * sizeof *r1), *d1 = calloc(n1, sizeof *d1);
	float *r2 = malloc(n2 * sizeof *r2), *pool = malloc(np * sizeof *pool);
	float *hd = malloc(nh * sizeof *hd);
	float *out_a = malloc(np * sizeof *out_a);
	float *out_b = malloc(nh * sizeof *out_b);
	float *out_d = malloc(np * sizeof *out_d);
	assert_true(xn && r1 && d1 && r2 && pool && hd && out_a && out_b &&
	            out_d);
	for (int ch = 0; ch < b->cin; ch++)
		for (int p = 0; p < b->h * b->w; p++)
			xn[(size_t)ch * b->h * b->w + p] =
			        x[(size_t)p * b->cin + ch];
	conv_ref(xn, b->cin, b->h, b->w, wt.w1, wt.b1, b->c1, b->k, b->s,
	         b->pads, 1, r1, h1, w1);
	relu_ref(r1, n1);
	const int one[4] = { 1, 1, 1, 1 }, none[4] = { 0, 0, 0, 0 };
	conv_ref(r1, b->c1, h1, w1, wt.wd, NULL, b->c1, 3, 1, one, b->c1, d1,
	         h1, w1);
	conv_ref(d1, b->c1, h1, w1, wt.wp, wt.bp, b->c2, 1, 1, none, 1, r2, h1,
	         w1);
	for (size_t i = 0; i < n1; i++) /* r1 padded with zero channels */
		r2[i] += r1[i];
	relu_ref(r2, n2);
	for (int c = 0; c < b->c2; c++)
		for (int y = 0; y < hp; y++)
			for (int x0 = 0; x0 < wp; x0++) {
				const float *q = r2 +
				                 ((size_t)c * h1 + 2 * y) * w1 +
				                 2 * x0;
				float v = fmaxf(fmaxf(q[0], q[1]),
				                fmaxf(q[w1], q[w1 + 1]));
				pool[((size_t)c * hp + y) * wp + x0] = v;
				out_d[((size_t)c * hp + y) * wp + x0] =
				        v + v > 0 ? v + v : 0;
			}
	nhwc_ref(pool, b->c2, hp, wp, out_a);
	conv_ref(r2, b->c2, h1, w1, wt.wh, wt.bh, b->c3, 1, 1, none, 1, hd, h1,
	         w1);
	nhwc_ref(hd, b->c3, h1, w1, out_b);

	const float *want[4] = { out_a, out_b, r2, out_d };
	const size_t counts[4] = { np, nh, n2, np };
	int runs = 0;
	for (size_t k = 0; k < sizeof isas / sizeof isas[0]; k++) {
		rc = hs_nn_set_isa(nn, isas[k]);
		if (rc == HS_ENOTSUP)
			continue;
		assert_int_equal(rc, 0);
		runs++;
		assert_int_equal(hs_nn_run(nn, x, n_in), 0);
		for (int o = 0; o < 4; o++) {
			size_t n = 0;
			const float *got = hs_nn_output(nn, o, &n);
			assert_int_equal(n, counts[o]);
			expect_close(got, want[o], n, hs_nn_output_name(nn, o),
			             isas[k]);
		}
	}
	assert_true(runs > 0);
	hs_nn_destroy(nn);
	free(x);
	free(xn);
	free(r1);
	free(d1);
	free(r2);
	free(pool);
	free(hd);
	free(out_a);
	free(out_b);
	free(out_d);
	free_weights(&wt);
}

/* Channel counts off the vector width, padding on one side, strides of 1
 * and 2, a first convolution that is 1x1. */
static void small_graphs_match_the_reference(void **state)
{
	(void)state;
	static const block blocks[] = {
		{ 17, 13, 3, 5, 12, 3, 5, 2, { 1, 1, 2, 2 } },
		{ 20, 24, 4, 24, 28, 2, 3, 1, { 1, 1, 1, 1 } },
		{ 10, 7, 8, 40, 40, 6, 1, 1, { 0, 0, 0, 0 } },
		{ 12, 12, 3, 16, 24, 16, 3, 2, { 0, 0, 1, 1 } },
		{ 6, 5, 2, 88, 96, 32, 3, 1, { 0, 0, 0, 0 } },
		{ 9, 11, 1, 7, 9, 1, 2, 3, { 0, 2, 1, 0 } },
	};
	for (size_t i = 0; i < sizeof blocks / sizeof blocks[0]; i++)
		run_block(&blocks[i]);
}

/* Constant, Add, Concat, Transpose and Relu on plain tensors; Concat of
 * activations along channels. */
static void plain_tensors_and_concat(void **state)
{
	(void)state;
	tmodel m = { { 0 } };
	const int64_t xd[2] = { 2, 3 }, flat[1] = { -1 }, t10[2] = { 1, 0 };
	const float k[6] = { -4, 1, -2, 3, 0.5f, -0.25f };
	pbw a = { 0 }, t = { 0 }, attr = { 0 }, bytes = { 0 };
	tm_input(&m, "x", 2, xd);
	tm_int64(&m, "flat", 1, flat);
	tensor_float(&t, "", 2, xd, k);
	pbw_str(&attr, 1, "value");
	pbw_msg(&attr, 5, &t);
	pbw_int(&attr, 20, 4);
	pbw_msg(&a, 5, &attr);
	tm_node(&m, "Constant", "", "k", &a);
	pbw_free(&a);
	tm_node(&m, "Add", "x,k", "s", NULL);
	ta_int(&a, "axis", -2);
	tm_node(&m, "Concat", "s,x,k", "c", &a); /* [6,3] */
	pbw_free(&a);
	ta_ints(&a, "perm", 2, t10);
	tm_node(&m, "Transpose", "c", "ct", &a); /* [3,6] */
	pbw_free(&a);
	tm_node(&m, "Relu", "ct", "r", NULL);
	tm_node(&m, "Reshape", "r,flat", "y", NULL);
	tm_output(&m, "y");
	tm_finish(&m, &bytes);
	pbw_free(&t);
	pbw_free(&attr);

	char err[256];
	hs_nn *nn = NULL;
	if (hs_nn_create_from_buffer(bytes.buf, bytes.len, &nn, err,
	                             sizeof err) != 0)
		fail_msg("%s", err);
	pbw_free(&bytes);
	const float x[6] = { 1, 2, 3, 4, 5, 6 };
	float c[6][3], want[18];
	for (int i = 0; i < 6; i++) {
		c[i / 3][i % 3] = x[i] + k[i];
		c[2 + i / 3][i % 3] = x[i];
		c[4 + i / 3][i % 3] = k[i];
	}
	for (int col = 0; col < 3; col++)
		for (int row = 0; row < 6; row++)
			want[col * 6 + row] = c[row][col] > 0 ? c[row][col] : 0;
	assert_int_equal(hs_nn_run(nn, x, 6), 0);
	size_t n = 0;
	const float *y = hs_nn_output(nn, 0, &n);
	assert_int_equal(n, 18);
	assert_memory_equal(y, want, sizeof want);
	hs_nn_destroy(nn);

	/* [1,2,3,3] -> Conv 1x1 to 3 channels -> Concat with itself */
	tmodel m2 = { { 0 } };
	const int64_t x4[4] = { 1, 2, 3, 3 }, wd[4] = { 3, 2, 1, 1 };
	const float w[6] = { 1, -1, 0.5f, 2, -3, 0.25f };
	tm_input(&m2, "x", 4, x4);
	tm_float(&m2, "w", 4, wd, w);
	tm_node(&m2, "Conv", "x,w", "a", NULL);
	ta_int(&a, "axis", 1);
	tm_node(&m2, "Concat", "a,a", "y", &a);
	pbw_free(&a);
	tm_output(&m2, "y");
	tm_finish(&m2, &bytes);
	if (hs_nn_create_from_buffer(bytes.buf, bytes.len, &nn, err,
	                             sizeof err) != 0)
		fail_msg("%s", err);
	pbw_free(&bytes);
	float x2[18], conv[27], want2[54];
	for (int i = 0; i < 18; i++)
		x2[i] = (float)(i % 7) - 3;
	const int none[4] = { 0, 0, 0, 0 };
	conv_ref(x2, 2, 3, 3, w, NULL, 3, 1, 1, none, 1, conv, 3, 3);
	memcpy(want2, conv, sizeof conv);
	memcpy(want2 + 27, conv, sizeof conv);
	assert_int_equal(hs_nn_run(nn, x2, 18), 0);
	y = hs_nn_output(nn, 0, &n);
	assert_int_equal(n, 54);
	expect_close(y, want2, 54, "y", hs_nn_isa(nn));
	hs_nn_destroy(nn);
}

/* ---- PRelu, Pad and Sigmoid ---------------------------------------------- */

/* The model in bytes (freed here), loaded; the test fails with the
 * engine's message when it does not load. */
static hs_nn *load_model(pbw *bytes)
{
	char err[512];
	hs_nn *nn = NULL;
	int rc = hs_nn_create_from_buffer(bytes->buf, bytes->len, &nn, err,
	                                  sizeof err);
	pbw_free(bytes);
	if (rc != 0)
		fail_msg("cannot load the model: %s (%s)", err,
		         hs_err_name(rc));
	return nn;
}

/* Run nn on x (n_in values) with every instruction set this CPU has and
 * compare its outputs, in order, with want[o] of counts[o] values. */
static void expect_outputs(hs_nn *nn, const float *x, size_t n_in, int n_out,
                           const float *const *want, const size_t *counts,
                           const char *what)
{
	int runs = 0;
	for (size_t k = 0; k < sizeof isas / sizeof isas[0]; k++) {
		int rc = hs_nn_set_isa(nn, isas[k]);
		if (rc == HS_ENOTSUP)
			continue;
		assert_int_equal(rc, 0);
		runs++;
		assert_int_equal(hs_nn_run(nn, x, n_in), 0);
		assert_int_equal(hs_nn_output_count(nn), n_out);
		for (int o = 0; o < n_out; o++) {
			size_t n = 0;
			const float *got = hs_nn_output(nn, o, &n);
			assert_non_null(got);
			if (n != counts[o])
				fail_msg("%s, output %s: %zu values, expected "
				         "%zu",
				         what, hs_nn_output_name(nn, o), n,
				         counts[o]);
			char name[160];
			snprintf(name, sizeof name, "%s, %s", what,
			         hs_nn_output_name(nn, o));
			expect_close(got, want[o], n, name, isas[k]);
		}
	}
	assert_true(runs > 0); /* "generic" runs everywhere */
}

/* Random Conv weights [m, cg, k, k] and biases [m] as the initializers
 * wname and bname; *w and *b (the caller frees them) for the reference. */
static void conv_params(tmodel *m, const char *wname, const char *bname, int mo,
                        int cg, int k, float **w, float **b)
{
	const int64_t wd[4] = { mo, cg, k, k }, bd = mo;
	*w = random_floats((size_t)mo * cg * k * k, 0.5f);
	*b = random_floats((size_t)mo, 0.2f);
	tm_float(m, wname, 4, wd, *w);
	tm_float(m, bname, 1, &bd, *b);
}

/* A Conv node: k x k kernel, stride s, pads (top, left, bottom, right;
 * NULL for none), group, auto_pad (NULL for none). */
static void conv_node(tmodel *m, const char *inputs, const char *out, int k,
                      int s, const int64_t *pads, int group,
                      const char *auto_pad)
{
	pbw a = { 0 };
	const int64_t ks[2] = { k, k }, st[2] = { s, s };
	ta_ints(&a, "kernel_shape", 2, ks);
	ta_ints(&a, "strides", 2, st);
	if (pads)
		ta_ints(&a, "pads", 4, pads);
	if (group > 1)
		ta_int(&a, "group", group);
	if (auto_pad)
		ta_string(&a, "auto_pad", auto_pad);
	tm_node(m, "Conv", inputs, out, &a);
	pbw_free(&a);
}

static float *zeros(size_t n)
{
	float *v = calloc(n ? n : 1, sizeof *v);
	assert_non_null(v);
	return v;
}

/* PRelu in place over c channels of hw values each (NCHW), a slope per
 * channel. */
static void prelu_ref(float *v, int c, size_t hw, const float *slope)
{
	for (int ch = 0; ch < c; ch++)
		for (size_t i = 0; i < hw; i++) {
			float *p = &v[(size_t)ch * hw + i];
			if (*p < 0)
				*p *= slope[ch];
		}
}

/* x of shape xd (4-D) through PRelu with a slope of shape sd (sn
 * dimensions) broadcast the ONNX way: aligned with x's last dimensions,
 * dimensions of 1 repeated. */
static void prelu_bcast_ref(const float *x, const int64_t *xd,
                            const float *slope, int sn, const int64_t *sd,
                            float *y)
{
	size_t sst[4] = { 0, 0, 0, 0 }, st = 1;
	for (int i = sn - 1; i >= 0; i--) {
		sst[4 - sn + i] = sd[i] == 1 ? 0 : st;
		st *= (size_t)sd[i];
	}
	size_t k = 0;
	for (int64_t a = 0; a < xd[0]; a++)
		for (int64_t b = 0; b < xd[1]; b++)
			for (int64_t c = 0; c < xd[2]; c++)
				for (int64_t d = 0; d < xd[3]; d++, k++) {
					const float s =
					        slope[(size_t)a * sst[0] +
					              (size_t)b * sst[1] +
					              (size_t)c * sst[2] +
					              (size_t)d * sst[3]];
					y[k] = x[k] < 0 ? x[k] * s : x[k];
				}
}

/* Zero padding of x [c,h,w] (NCHW, batch 1) by pads in ONNX's order:
 * the beginnings of n, c, h, w, then their ends. */
static void pad_ref(const float *x, int c, int h, int w, const int64_t *pads,
                    float *y)
{
	const int64_t oc = c + pads[1] + pads[5], oh = h + pads[2] + pads[6],
	              ow = w + pads[3] + pads[7];
	memset(y, 0, (size_t)(oc * oh * ow) * sizeof *y);
	for (int ch = 0; ch < c; ch++)
		for (int iy = 0; iy < h; iy++)
			for (int ix = 0; ix < w; ix++)
				y[((ch + pads[1]) * oh + iy + pads[2]) * ow +
				  ix + pads[3]] =
				        x[((size_t)ch * h + iy) * w + ix];
}

/* MaxPool 2x2, stride 2, over x [c,h,w] (h and w even). */
static void maxpool2_ref(const float *x, int c, int h, int w, float *y)
{
	for (int ch = 0; ch < c; ch++)
		for (int oy = 0; oy < h / 2; oy++)
			for (int ox = 0; ox < w / 2; ox++) {
				const float *q = x +
				                 ((size_t)ch * h + 2 * oy) * w +
				                 2 * ox;
				y[((size_t)ch * (h / 2) + oy) * (w / 2) + ox] =
				        fmaxf(fmaxf(q[0], q[1]),
				              fmaxf(q[w], q[w + 1]));
			}
}

static float sigmoid_ref(float v)
{
	return (float)(1 / (1 + exp(-(double)v)));
}

/* Conv k1 x k1 / s1 + PRelu (slope [C,1,1]) -> depthwise dk x dk + PRelu
 * ([1,C,1,1]) -> Conv 1x1 + Add (the first PRelu's output) + PRelu: each
 * PRelu joins the convolution before it, the last one after the residual
 * that convolution reads. */
typedef struct prelu_net {
	int h, w, cin, c, k1, s1, dk;
} prelu_net;

static void run_prelu_net(const prelu_net *p)
{
	const int p1 = (p->k1 - 1) / 2, pd = (p->dk - 1) / 2, c = p->c;
	const int h1 = (p->h + 2 * p1 - p->k1) / p->s1 + 1;
	const int w1 = (p->w + 2 * p1 - p->k1) / p->s1 + 1;
	const size_t n_in = (size_t)p->cin * p->h * p->w;
	const size_t hw = (size_t)h1 * w1, n1 = (size_t)c * hw;
	float *cw, *cb, *dw, *db, *pw, *pb;
	tmodel m = { { 0 } };
	const int64_t xd[4] = { 1, p->cin, p->h, p->w };
	const int64_t sa_d[3] = { c, 1, 1 }, sb_d[4] = { 1, c, 1, 1 };
	const int64_t pads1[4] = { p1, p1, p1, p1 },
	              padsd[4] = { pd, pd, pd, pd };
	float *sa = random_floats((size_t)c, 0.5f);
	float *sb = random_floats((size_t)c, 0.5f);
	float *sc = random_floats((size_t)c, 0.5f);
	tm_input(&m, "x", 4, xd);
	conv_params(&m, "w1", "b1", c, p->cin, p->k1, &cw, &cb);
	conv_params(&m, "wd", "bd", c, 1, p->dk, &dw, &db);
	conv_params(&m, "wp", "bp", c, c, 1, &pw, &pb);
	tm_float(&m, "sa", 3, sa_d, sa);
	tm_float(&m, "sb", 4, sb_d, sb);
	tm_float(&m, "sc", 3, sa_d, sc);
	conv_node(&m, "x,w1,b1", "c1", p->k1, p->s1, pads1, 1, NULL);
	tm_node(&m, "PRelu", "c1,sa", "a1", NULL);
	conv_node(&m, "a1,wd,bd", "d1", p->dk, 1, padsd, c, NULL);
	tm_node(&m, "PRelu", "d1,sb", "a2", NULL);
	conv_node(&m, "a2,wp,bp", "c2", 1, 1, NULL, 1, NULL);
	tm_node(&m, "Add", "c2,a1", "s2", NULL);
	tm_node(&m, "PRelu", "s2,sc", "y", NULL);
	tm_output(&m, "y");
	pbw bytes = { 0 };
	tm_finish(&m, &bytes);
	hs_nn *nn = load_model(&bytes);

	float *x = random_floats(n_in, 1.f);
	float *a1 = zeros(n1), *a2 = zeros(n1);
	float *y = zeros(n1);
	const int ip1[4] = { p1, p1, p1, p1 }, ipd[4] = { pd, pd, pd, pd };
	const int none[4] = { 0, 0, 0, 0 };
	conv_ref(x, p->cin, p->h, p->w, cw, cb, c, p->k1, p->s1, ip1, 1, a1, h1,
	         w1);
	prelu_ref(a1, c, hw, sa);
	conv_ref(a1, c, h1, w1, dw, db, c, p->dk, 1, ipd, c, a2, h1, w1);
	prelu_ref(a2, c, hw, sb);
	conv_ref(a2, c, h1, w1, pw, pb, c, 1, 1, none, 1, y, h1, w1);
	for (size_t i = 0; i < n1; i++)
		y[i] += a1[i];
	prelu_ref(y, c, hw, sc);
	char what[96];
	snprintf(what, sizeof what, "%d channels, conv %dx%d/%d, dw %dx%d", c,
	         p->k1, p->k1, p->s1, p->dk, p->dk);
	expect_outputs(nn, x, n_in, 1, (const float *const[]){ y }, &n1, what);
	hs_nn_destroy(nn);
	float *all[] = { cw, cb, dw, db, pw, pb, sa, sb, sc, x, a1, a2, y };
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
		free(all[i]);
}

/* Channel counts on and off the vector widths (24: 16-wide kernels end
 * on 8 channels), strides 1 and 2, a first convolution that is 1x1,
 * depthwise 3x3 and 5x5. */
static void prelu_joins_conv_and_conv_add(void **state)
{
	(void)state;
	static const prelu_net nets[] = {
		{ 9, 11, 3, 13, 3, 1, 3 }, { 12, 10, 4, 24, 3, 2, 3 },
		{ 7, 8, 8, 40, 1, 1, 5 },  { 6, 6, 16, 64, 3, 1, 3 },
		{ 5, 9, 2, 8, 3, 1, 5 },   { 10, 10, 3, 24, 3, 1, 5 },
		{ 4, 5, 5, 1, 3, 1, 3 },
	};
	for (size_t i = 0; i < sizeof nets / sizeof nets[0]; i++)
		run_prelu_net(&nets[i]);
}

/* PRelu where no convolution can take it: on the graph's input (NCHW,
 * plain), on a convolution's output that a Relu reads too, after a Relu
 * that a convolution took, after an Add of plain tensors. */
static void prelu_on_its_own(void **state)
{
	(void)state;
	const int c = 12, h = 5, w = 7;
	const size_t n = (size_t)c * h * w, hw = (size_t)h * w;
	const int64_t xd[4] = { 1, c, h, w }, sd[3] = { c, 1, 1 };
	tmodel m = { { 0 } };
	float *qw, *qb, *s = random_floats((size_t)c, 0.5f);
	tm_input(&m, "x", 4, xd);
	conv_params(&m, "wq", "bq", c, c, 1, &qw, &qb);
	tm_float(&m, "s", 3, sd, s);
	tm_node(&m, "PRelu", "x,s", "y0", NULL);
	conv_node(&m, "x,wq,bq", "q", 1, 1, NULL, 1, NULL);
	tm_node(&m, "PRelu", "q,s", "y1", NULL);
	tm_node(&m, "Relu", "q", "y2", NULL);
	conv_node(&m, "x,wq,bq", "q2", 1, 1, NULL, 1, NULL);
	tm_node(&m, "Relu", "q2", "r2", NULL);
	tm_node(&m, "PRelu", "r2,s", "y3", NULL);
	tm_node(&m, "Add", "x,x", "xx", NULL);
	tm_node(&m, "PRelu", "xx,s", "y4", NULL);
	const char *names[] = { "y0", "y1", "y2", "y3", "y4" };
	for (int i = 0; i < 5; i++)
		tm_output(&m, names[i]);
	pbw bytes = { 0 };
	tm_finish(&m, &bytes);
	hs_nn *nn = load_model(&bytes);

	float *x = random_floats(n, 1.f), *y[5];
	for (int i = 0; i < 5; i++)
		y[i] = zeros(n);
	const int none[4] = { 0, 0, 0, 0 };
	memcpy(y[0], x, n * sizeof *x);
	prelu_ref(y[0], c, hw, s);
	conv_ref(x, c, h, w, qw, qb, c, 1, 1, none, 1, y[1], h, w);
	memcpy(y[2], y[1], n * sizeof *x);
	relu_ref(y[2], n);
	memcpy(y[3], y[2], n * sizeof *x);
	prelu_ref(y[1], c, hw, s);
	prelu_ref(y[3], c, hw, s); /* a Relu's output: unchanged */
	for (size_t i = 0; i < n; i++)
		y[4][i] = x[i] + x[i];
	prelu_ref(y[4], c, hw, s);
	const size_t counts[5] = { n, n, n, n, n };
	expect_outputs(nn, x, n, 5, (const float *const *)y, counts,
	               "PRelu alone");
	hs_nn_destroy(nn);
	for (int i = 0; i < 5; i++)
		free(y[i]);
	free(x);
	free(qw);
	free(qb);
	free(s);
}

/* Every slope shape ONNX broadcasts to [1,C,H,W], on a convolution's
 * output (joined to it when the slope is per channel or one value) and on
 * the plain input: per channel as [C,1,1] and [1,C,1,1]; one value as [1],
 * a scalar and [1,1,1]; per column as [W] (ONNX aligns the slope with the
 * last dimensions); per row as [H,1]. */
static void prelu_slope_shapes(void **state)
{
	(void)state;
	const int c = 12, h = 5, w = 7;
	static const struct {
		int n;
		int64_t d[4];
	} shapes[] = {
		{ 3, { 12, 1, 1 } }, { 4, { 1, 12, 1, 1 } }, { 1, { 1 } },
		{ 0, { 0 } },        { 3, { 1, 1, 1 } },     { 1, { 7 } },
		{ 2, { 5, 1 } },
	};
	const size_t n = (size_t)c * h * w;
	const int64_t xd[4] = { 1, c, h, w };
	const int none[4] = { 0, 0, 0, 0 };
	for (size_t k = 0; k < sizeof shapes / sizeof shapes[0]; k++) {
		size_t ns = 1;
		for (int i = 0; i < shapes[k].n; i++)
			ns *= (size_t)shapes[k].d[i];
		tmodel m = { { 0 } };
		float *qw, *qb, *s = random_floats(ns, 0.8f);
		tm_input(&m, "x", 4, xd);
		conv_params(&m, "wq", "bq", c, c, 1, &qw, &qb);
		tm_float(&m, "s", shapes[k].n, shapes[k].d, s);
		conv_node(&m, "x,wq,bq", "q", 1, 1, NULL, 1, NULL);
		tm_node(&m, "PRelu", "q,s", "on_conv", NULL);
		tm_node(&m, "PRelu", "x,s", "on_input", NULL);
		tm_output(&m, "on_conv");
		tm_output(&m, "on_input");
		pbw bytes = { 0 };
		tm_finish(&m, &bytes);
		hs_nn *nn = load_model(&bytes);

		float *x = random_floats(n, 1.f), *q = zeros(n);
		float *y0 = zeros(n), *y1 = zeros(n);
		conv_ref(x, c, h, w, qw, qb, c, 1, 1, none, 1, q, h, w);
		prelu_bcast_ref(q, xd, s, shapes[k].n, shapes[k].d, y0);
		prelu_bcast_ref(x, xd, s, shapes[k].n, shapes[k].d, y1);
		char what[64];
		snprintf(what, sizeof what, "slope of %d dimensions [%lld...]",
		         shapes[k].n, (long long)shapes[k].d[0]);
		const size_t counts[2] = { n, n };
		expect_outputs(nn, x, n, 2, (const float *const[]){ y0, y1 },
		               counts, what);
		hs_nn_destroy(nn);
		free(x);
		free(q);
		free(y0);
		free(y1);
		free(qw);
		free(qb);
		free(s);
	}
}

/* MediaPipe's stride-2 block: the residual branch is MaxPool 2x2 and a Pad
 * of the channels to c2 (a view), the main one depthwise 3x3 / 2 and Conv
 * 1x1 to c2, then Add and PRelu.  late puts the residual branch after the
 * main one in the graph, so that the Add cannot join the convolution.
 * Also: the view added to itself, the plain input padded, a convolution
 * reading the view. */
typedef struct pad_block {
	int h, w, cin, c1, c2;
	bool late;
} pad_block;

static void run_pad_block(const pad_block *p)
{
	const int h = p->h, w = p->w, c1 = p->c1, c2 = p->c2, cin = p->cin;
	const int h2 = h / 2, w2 = w / 2;
	const size_t n_in = (size_t)cin * h * w, n1 = (size_t)c1 * h * w;
	const size_t n2 = (size_t)c2 * h2 * w2, nc = (size_t)(cin + 3) * h * w;
	tmodel m = { { 0 } };
	const int64_t xd[4] = { 1, cin, h, w }, s1d[3] = { c1, 1, 1 },
	              s2d[3] = { c2, 1, 1 }, qd[4] = { c2, c2, 1, 1 };
	const int64_t cpad[8] = { 0, 0, 0, 0, 0, c2 - c1, 0, 0 };
	const int64_t xpad[8] = { 0, 0, 0, 0, 0, 3, 0, 0 };
	const int64_t one3[4] = { 1, 1, 1, 1 }, dpads[4] = { 0, 0, 1, 1 };
	const int64_t two[2] = { 2, 2 };
	const float zero = 0;
	float *cw, *cb, *dw, *db, *pw, *pb;
	float *s1 = random_floats((size_t)c1, 0.5f);
	float *s2 = random_floats((size_t)c2, 0.5f);
	float *qw = random_floats((size_t)c2 * c2, 0.3f);
	tm_input(&m, "x", 4, xd);
	conv_params(&m, "w1", "b1", c1, cin, 3, &cw, &cb);
	conv_params(&m, "wd", "bd", c1, 1, 3, &dw, &db);
	conv_params(&m, "wp", "bp", c2, c1, 1, &pw, &pb);
	tm_float(&m, "s1", 3, s1d, s1);
	tm_float(&m, "s2", 3, s2d, s2);
	tm_float(&m, "wq", 4, qd, qw);
	tm_float(&m, "zero", 0, NULL, &zero);
	tm_int64(&m, "cpad", 8, cpad);
	tm_int64(&m, "xpad", 8, xpad);
	conv_node(&m, "x,w1,b1", "c1", 3, 1, one3, 1, NULL);
	tm_node(&m, "PRelu", "c1,s1", "a", NULL);
	pbw pool = { 0 };
	ta_ints(&pool, "kernel_shape", 2, two);
	ta_ints(&pool, "strides", 2, two);
	for (int pass = 0; pass < 2; pass++) {
		if (pass == (p->late ? 1 : 0)) {
			tm_node(&m, "MaxPool", "a", "mp", &pool);
			/* the value given (as MediaPipe does) or left out */
			tm_node(&m, "Pad", p->late ? "mp,cpad,zero" : "mp,cpad",
			        "pd", NULL);
		} else {
			conv_node(&m, "a,wd,bd", "d", 3, 2, dpads, c1, NULL);
			conv_node(&m, "d,wp,bp", "e", 1, 1, NULL, 1, NULL);
		}
	}
	pbw_free(&pool);
	tm_node(&m, "Add", "e,pd", "f", NULL);
	tm_node(&m, "PRelu", "f,s2", "out_a", NULL);
	tm_node(&m, "Add", "pd,pd", "out_b", NULL);
	tm_node(&m, "Pad", "x,xpad", "out_c", NULL);
	conv_node(&m, "pd,wq", "out_d", 1, 1, NULL, 1, NULL);
	tm_output(&m, "out_a");
	tm_output(&m, "out_b");
	tm_output(&m, "out_c");
	tm_output(&m, "out_d");
	pbw bytes = { 0 };
	tm_finish(&m, &bytes);
	hs_nn *nn = load_model(&bytes);

	float *x = random_floats(n_in, 1.f), *a = zeros(n1);
	float *mp = zeros((size_t)c1 * h2 * w2), *pd = zeros(n2);
	float *d = zeros((size_t)c1 * h2 * w2);
	float *out_a = zeros(n2), *out_b = zeros(n2);
	float *out_c = zeros(nc), *out_d = zeros(n2);
	const int ione[4] = { 1, 1, 1, 1 }, none[4] = { 0, 0, 0, 0 };
	conv_ref(x, cin, h, w, cw, cb, c1, 3, 1, ione, 1, a, h, w);
	prelu_ref(a, c1, (size_t)h * w, s1);
	maxpool2_ref(a, c1, h, w, mp);
	pad_ref(mp, c1, h2, w2, cpad, pd);
	conv_ref(a, c1, h, w, dw, db, c1, 3, 2, none, c1, d, h2, w2);
	conv_ref(d, c1, h2, w2, pw, pb, c2, 1, 1, none, 1, out_a, h2, w2);
	for (size_t i = 0; i < n2; i++) {
		out_a[i] += pd[i];
		out_b[i] = pd[i] + pd[i];
	}
	prelu_ref(out_a, c2, (size_t)h2 * w2, s2);
	pad_ref(x, cin, h, w, xpad, out_c);
	conv_ref(pd, c2, h2, w2, qw, NULL, c2, 1, 1, none, 1, out_d, h2, w2);
	char what[96];
	snprintf(what, sizeof what, "Pad %d to %d channels%s", c1, c2,
	         p->late ? ", residual late" : "");
	const size_t counts[4] = { n2, n2, nc, n2 };
	expect_outputs(nn, x, n_in, 4,
	               (const float *const[]){ out_a, out_b, out_c, out_d },
	               counts, what);
	hs_nn_destroy(nn);
	float *all[] = { cw, cb, dw, db, pw, pb,    s1,    s2,    qw,
		         x,  a,  mp, pd, d,  out_a, out_b, out_c, out_d };
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
		free(all[i]);
}

static void channel_pad_then_add(void **state)
{
	(void)state;
	static const pad_block blocks[] = {
		{ 8, 6, 3, 16, 32, false },   { 8, 6, 3, 16, 32, true },
		{ 10, 12, 4, 24, 40, false }, { 6, 8, 2, 5, 12, true },
		{ 4, 4, 8, 32, 64, false },   { 6, 4, 3, 8, 9, false },
	};
	for (size_t i = 0; i < sizeof blocks / sizeof blocks[0]; i++)
		run_pad_block(&blocks[i]);
}

/* Pads that are copies: channels before, rows and columns (then a VALID
 * 3x3 convolution), a 3-D plain tensor, and the attribute form of Pad
 * from before opset 11. */
static void spatial_pad(void **state)
{
	(void)state;
	const int c = 6, h = 5, w = 4;
	const size_t n = (size_t)c * h * w;
	const int64_t xd[4] = { 1, c, h, w }, shape3[3] = { c, h, w };
	const int64_t p1[8] = { 0, 2, 1, 0, 0, 1, 2, 3 };
	const int64_t p2[8] = { 0, 0, 2, 1, 0, 0, 0, 1 };
	const int64_t p3[6] = { 0, 1, 0, 0, 0, 2 }; /* [c,h,w] */
	const int64_t p3as4[8] = { 0, 0, 1, 0, 0, 0, 0, 2 };
	const int64_t p4[8] = { 0, 0, 1, 1, 0, 0, 1, 1 };
	const float zero = 0;
	tmodel m = { { 0 } };
	float *qw, *qb, *vw, *vb;
	tm_input(&m, "x", 4, xd);
	conv_params(&m, "wq", "bq", c, c, 1, &qw, &qb);
	conv_params(&m, "wv", "bv", 5, c, 3, &vw, &vb);
	tm_int64(&m, "p1", 8, p1);
	tm_int64(&m, "p2", 8, p2);
	tm_int64(&m, "p3", 6, p3);
	tm_int64(&m, "shape3", 3, shape3);
	tm_float(&m, "zero", 0, NULL, &zero);
	conv_node(&m, "x,wq,bq", "q", 1, 1, NULL, 1, NULL);
	tm_node(&m, "Pad", "q,p1", "out1", NULL);
	tm_node(&m, "Pad", "x,p2,zero", "px", NULL);
	conv_node(&m, "px,wv,bv", "out2", 3, 1, NULL, 1, "VALID");
	tm_node(&m, "Reshape", "x,shape3", "x3", NULL);
	tm_node(&m, "Pad", "x3,p3", "out3", NULL);
	pbw a = { 0 };
	ta_ints(&a, "pads", 8, p4);
	ta_float(&a, "value", 0);
	tm_node(&m, "Pad", "q", "out4", &a);
	pbw_free(&a);
	tm_output(&m, "out1");
	tm_output(&m, "out2");
	tm_output(&m, "out3");
	tm_output(&m, "out4");
	pbw bytes = { 0 };
	tm_finish(&m, &bytes);
	hs_nn *nn = load_model(&bytes);

	const size_t n1 = (size_t)(c + 3) * (h + 3) * (w + 3);
	const size_t npx = (size_t)c * (h + 2) * (w + 2),
	             n2 = (size_t)5 * h * w;
	const size_t n3 = (size_t)c * (h + 1) * (w + 2);
	const size_t n4 = (size_t)c * (h + 2) * (w + 2);
	float *x = random_floats(n, 1.f), *q = zeros(n);
	float *o1 = zeros(n1), *px = zeros(npx);
	float *o2 = zeros(n2), *o3 = zeros(n3);
	float *o4 = zeros(n4);
	const int none[4] = { 0, 0, 0, 0 };
	conv_ref(x, c, h, w, qw, qb, c, 1, 1, none, 1, q, h, w);
	pad_ref(q, c, h, w, p1, o1);
	pad_ref(x, c, h, w, p2, px);
	conv_ref(px, c, h + 2, w + 2, vw, vb, 5, 3, 1, none, 1, o2, h, w);
	pad_ref(x, c, h, w, p3as4, o3);
	pad_ref(q, c, h, w, p4, o4);
	const size_t counts[4] = { n1, n2, n3, n4 };
	expect_outputs(nn, x, n, 4, (const float *const[]){ o1, o2, o3, o4 },
	               counts, "spatial Pad");
	hs_nn_destroy(nn);
	float *all[] = { x, q, o1, px, o2, o3, o4, qw, qb, vw, vb };
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
		free(all[i]);
}

/* Sigmoid on the plain input (values to +-60) and on a convolution's
 * output; padding that output's channels makes a view whose store must
 * still hold zeros past the 12 real channels. */
static void sigmoid_anywhere(void **state)
{
	(void)state;
	const int c = 12, h = 3, w = 5;
	const size_t n = (size_t)c * h * w, n2 = (size_t)(c + 8) * h * w;
	const int64_t xd[4] = { 1, c, h, w };
	const int64_t cpad[8] = { 0, 0, 0, 0, 0, 8, 0, 0 };
	tmodel m = { { 0 } };
	float *qw, *qb;
	tm_input(&m, "x", 4, xd);
	conv_params(&m, "wq", "bq", c, c, 1, &qw, &qb);
	tm_int64(&m, "cpad", 8, cpad);
	tm_node(&m, "Sigmoid", "x", "out1", NULL);
	conv_node(&m, "x,wq,bq", "q", 1, 1, NULL, 1, NULL);
	tm_node(&m, "Sigmoid", "q", "sq", NULL);
	tm_node(&m, "Pad", "sq,cpad", "out2", NULL);
	tm_output(&m, "out1");
	tm_output(&m, "out2");
	pbw bytes = { 0 };
	tm_finish(&m, &bytes);
	hs_nn *nn = load_model(&bytes);

	float *x = random_floats(n, 60.f), *q = zeros(n);
	float *o1 = zeros(n), *o2 = zeros(n2);
	const int none[4] = { 0, 0, 0, 0 };
	for (size_t i = 0; i < n; i++)
		o1[i] = sigmoid_ref(x[i]);
	conv_ref(x, c, h, w, qw, qb, c, 1, 1, none, 1, q, h, w);
	for (size_t i = 0; i < n; i++)
		o2[i] = sigmoid_ref(q[i]); /* then zeros: the padding */
	const size_t counts[2] = { n, n2 };
	expect_outputs(nn, x, n, 2, (const float *const[]){ o1, o2 }, counts,
	               "Sigmoid");
	hs_nn_destroy(nn);
	float *all[] = { x, q, o1, o2, qw, qb };
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
		free(all[i]);
}

/* The face-mesh heads: a 3x3 map (Conv 3x3 / 2, SAME_UPPER, + PRelu) read
 * by Conv 3x3 / 3, VALID, to 1x1 pixel: landmarks (Reshape to [1,C], then
 * a PRelu with a slope [C] on the 2-D tensor), a face flag (one channel,
 * Sigmoid, Reshape to [1,1]), and a depthwise head. */
static void stride3_heads_reshape_to_2d(void **state)
{
	(void)state;
	const int cin = 8, h = 6, c = 16, cl = 20;
	const size_t n_in = (size_t)cin * h * h, nf = (size_t)c * 9;
	const int64_t xd[4] = { 1, cin, h, h }, sfd[3] = { c, 1, 1 };
	const int64_t l2[2] = { 1, cl }, g2[2] = { 1, 1 }, d2[2] = { 1, c };
	const int64_t sld = cl;
	tmodel m = { { 0 } };
	float *fw, *fb, *lw, *lb, *gw, *gb, *dw, *db;
	float *sf = random_floats((size_t)c, 0.5f);
	float *sl = random_floats((size_t)cl, 0.5f);
	tm_input(&m, "x", 4, xd);
	conv_params(&m, "wf", "bf", c, cin, 3, &fw, &fb);
	conv_params(&m, "wl", "bl", cl, c, 3, &lw, &lb);
	conv_params(&m, "wg", "bg", 1, c, 3, &gw, &gb);
	conv_params(&m, "wd", "bd", c, 1, 3, &dw, &db);
	tm_float(&m, "sf", 3, sfd, sf);
	tm_float(&m, "sl", 1, &sld, sl);
	tm_int64(&m, "l2", 2, l2);
	tm_int64(&m, "g2", 2, g2);
	tm_int64(&m, "d2", 2, d2);
	conv_node(&m, "x,wf,bf", "f0", 3, 2, NULL, 1, "SAME_UPPER");
	tm_node(&m, "PRelu", "f0,sf", "f", NULL);
	conv_node(&m, "f,wl,bl", "l", 3, 3, NULL, 1, "VALID");
	tm_node(&m, "Reshape", "l,l2", "landmarks", NULL);
	tm_node(&m, "PRelu", "landmarks,sl", "landmarks_p", NULL);
	conv_node(&m, "f,wg,bg", "g", 3, 3, NULL, 1, "VALID");
	tm_node(&m, "Sigmoid", "g", "gs", NULL);
	tm_node(&m, "Reshape", "gs,g2", "flag", NULL);
	conv_node(&m, "f,wd,bd", "dd", 3, 3, NULL, c, "VALID");
	tm_node(&m, "Reshape", "dd,d2", "dw", NULL);
	tm_output(&m, "landmarks");
	tm_output(&m, "landmarks_p");
	tm_output(&m, "flag");
	tm_output(&m, "dw");
	pbw bytes = { 0 };
	tm_finish(&m, &bytes);
	hs_nn *nn = load_model(&bytes);

	float *x = random_floats(n_in, 1.f), *f = zeros(nf);
	float *lm = zeros((size_t)cl), *lp = zeros((size_t)cl);
	float flag, *dd = zeros((size_t)c);
	const int none[4] = { 0, 0, 0, 0 };
	/* SAME_UPPER, 6 -> 3 by stride 2: one row and column of padding,
	 * both at the end */
	conv_ref(x, cin, h, h, fw, fb, c, 3, 2, none, 1, f, 3, 3);
	prelu_ref(f, c, 9, sf);
	conv_ref(f, c, 3, 3, lw, lb, cl, 3, 3, none, 1, lm, 1, 1);
	const int64_t l4[4] = { 1, 1, 1, cl };
	prelu_bcast_ref(lm, l4, sl, 1, &sld, lp);
	conv_ref(f, c, 3, 3, gw, gb, 1, 3, 3, none, 1, &flag, 1, 1);
	flag = sigmoid_ref(flag);
	conv_ref(f, c, 3, 3, dw, db, c, 3, 3, none, c, dd, 1, 1);
	const size_t counts[4] = { (size_t)cl, (size_t)cl, 1, (size_t)c };
	expect_outputs(nn, x, n_in, 4,
	               (const float *const[]){ lm, lp, &flag, dd }, counts,
	               "stride-3 heads");
	hs_nn_destroy(nn);
	float *all[] = { x,  f,  lm, lp, dd, fw, fb, lw,
		         lb, gw, gb, dw, db, sf, sl };
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
		free(all[i]);
}

/* A depthwise 5x5 over 24 channels writes exactly its output: 16-wide
 * kernels end each pixel on 8 channels.  Its output takes the slot of the
 * input copy the first convolution read, just before the first
 * convolution's output, which the Add reads afterwards. */
static void depthwise_5x5_stays_in_its_pixels(void **state)
{
	(void)state;
	const int c = 24, h = 4, w = 4;
	const size_t n = (size_t)c * h * w;
	const int64_t xd[4] = { 1, c, h, w }, p2[4] = { 2, 2, 2, 2 };
	tmodel m = { { 0 } };
	float *qw, *qb, *dw, *db;
	tm_input(&m, "x", 4, xd);
	conv_params(&m, "wq", "bq", c, c, 1, &qw, &qb);
	conv_params(&m, "wd", "bd", c, 1, 5, &dw, &db);
	conv_node(&m, "x,wq,bq", "q", 1, 1, NULL, 1, NULL);
	conv_node(&m, "q,wd,bd", "d", 5, 1, p2, c, NULL);
	tm_node(&m, "Add", "q,d", "y", NULL);
	tm_output(&m, "y");
	pbw bytes = { 0 };
	tm_finish(&m, &bytes);
	hs_nn *nn = load_model(&bytes);

	float *x = random_floats(n, 1.f), *q = zeros(n);
	float *y = zeros(n);
	const int none[4] = { 0, 0, 0, 0 }, two[4] = { 2, 2, 2, 2 };
	conv_ref(x, c, h, w, qw, qb, c, 1, 1, none, 1, q, h, w);
	conv_ref(q, c, h, w, dw, db, c, 5, 1, two, c, y, h, w);
	for (size_t i = 0; i < n; i++)
		y[i] += q[i];
	expect_outputs(nn, x, n, 1, (const float *const[]){ y }, &n,
	               "depthwise 5x5");
	hs_nn_destroy(nn);
	free(x);
	free(q);
	free(y);
	free(qw);
	free(qb);
	free(dw);
	free(db);
}

/* ---- refusals ---------------------------------------------------------------
 */

/* Load bytes expecting rc and, for errors, a message containing needle. */
static void expect_refusal(const pbw *bytes, int rc, const char *needle)
{
	char err[512] = "";
	hs_nn *nn = (hs_nn *)&nn; /* a sentinel */
	int got = hs_nn_create_from_buffer(bytes->buf, bytes->len, &nn, err,
	                                   sizeof err);
	if (got != rc)
		fail_msg("gave %s (%s), expected %s", hs_err_name(got), err,
		         hs_err_name(rc));
	assert_ptr_equal(nn, (hs_nn *)&nn);
	if (!strstr(err, needle))
		fail_msg("message '%s' does not say '%s'", err, needle);
}

/* x [1,4,6,6] (NCHW, plain) through one node of type op. */
static void one_node(const char *op, const pbw *attrs, const char *inputs,
                     pbw *out)
{
	tmodel m = { { 0 } };
	const int64_t xd[4] = { 1, 4, 6, 6 }, wd[4] = { 4, 2, 1, 1 };
	const float w[8] = { 0 };
	tm_input(&m, "x", 4, xd);
	tm_float(&m, "w", 4, wd, w);
	tm_float(&m, "v", 1, &xd[1], w);
	tm_node(&m, op, inputs, "y", attrs);
	tm_output(&m, "y");
	tm_finish(&m, out);
}

static void unsupported_operators_are_refused_by_name(void **state)
{
	(void)state;
	pbw bytes = { 0 }, a = { 0 };
	one_node("Softmax", NULL, "x", &bytes);
	expect_refusal(&bytes, HS_ENOTSUP, "operator 'Softmax'");
	pbw_free(&bytes);

	ta_int(&a, "group", 2); /* 2 groups of 2 channels */
	one_node("Conv", &a, "x,w", &bytes);
	expect_refusal(&bytes, HS_ENOTSUP, "grouped convolution");
	pbw_free(&bytes);
	pbw_free(&a);

	one_node("Conv", NULL, "x,w", &bytes); /* weights for 2 channels */
	expect_refusal(&bytes, HS_EFORMAT, "weights for");
	pbw_free(&bytes);

	one_node("Add", NULL, "x,v", &bytes); /* [1,4,6,6] + [4] */
	expect_refusal(&bytes, HS_ENOTSUP, "broadcasting");
	pbw_free(&bytes);

	one_node("Relu", NULL, "nowhere", &bytes);
	expect_refusal(&bytes, HS_EFORMAT, "'nowhere'");
	pbw_free(&bytes);

	pbw_raw(&bytes, "", 0);
	expect_refusal(&bytes, HS_EFORMAT, "not a well-formed ONNX model");
	pbw_free(&bytes);
}

/* x [1,4,6,6] through a Pad node 'y': n_pads pads, a value input when
 * value is not NULL, an axes input when axes, mode when not NULL. */
static void pad_model(const char *mode, const int64_t *pads, int n_pads,
                      const float *value, bool axes, pbw *out)
{
	tmodel m = { { 0 } };
	const int64_t xd[4] = { 1, 4, 6, 6 }, ax[2] = { 2, 3 };
	tm_input(&m, "x", 4, xd);
	tm_int64(&m, "pads", n_pads, pads);
	if (value)
		tm_float(&m, "value", 0, NULL, value);
	if (axes)
		tm_int64(&m, "axes", 2, ax);
	pbw a = { 0 };
	if (mode)
		ta_string(&a, "mode", mode);
	tm_node(&m, "Pad",
	        axes    ? "x,pads,,axes"
	        : value ? "x,pads,value"
	                : "x,pads",
	        "y", &a);
	pbw_free(&a);
	tm_output(&m, "y");
	tm_finish(&m, out);
}

static void pad_and_prelu_refusals(void **state)
{
	(void)state;
	const int64_t ok[8] = { 0, 0, 1, 1, 0, 0, 1, 1 };
	const int64_t negative[8] = { 0, 0, -1, 0, 0, 0, 0, 0 };
	const int64_t batch[8] = { 1, 0, 0, 0, 0, 0, 0, 0 };
	const float one_and_half = 1.5f, zero = 0;
	pbw bytes = { 0 }, a = { 0 };

	pad_model("reflect", ok, 8, NULL, false, &bytes);
	expect_refusal(&bytes, HS_ENOTSUP, "node 'y' (Pad): mode 'reflect'");
	pbw_free(&bytes);
	pad_model("edge", ok, 8, &zero, false, &bytes);
	expect_refusal(&bytes, HS_ENOTSUP, "node 'y' (Pad): mode 'edge'");
	pbw_free(&bytes);
	pad_model(NULL, ok, 8, &one_and_half, false, &bytes);
	expect_refusal(&bytes, HS_ENOTSUP,
	               "node 'y' (Pad): a pad value other than 0 (1.5)");
	pbw_free(&bytes);
	pad_model("constant", negative, 8, NULL, false, &bytes);
	expect_refusal(&bytes, HS_ENOTSUP, "node 'y' (Pad): negative pads");
	pbw_free(&bytes);
	pad_model(NULL, batch, 8, NULL, false, &bytes);
	expect_refusal(&bytes, HS_ENOTSUP, "node 'y' (Pad): padding the batch");
	pbw_free(&bytes);
	pad_model(NULL, ok, 6, NULL, false, &bytes);
	expect_refusal(&bytes, HS_EFORMAT, "node 'y' (Pad): 6 pads");
	pbw_free(&bytes);
	pad_model(NULL, ok, 8, NULL, true, &bytes);
	expect_refusal(&bytes, HS_ENOTSUP, "node 'y' (Pad): the 'axes' input");
	pbw_free(&bytes);
	/* the attribute form, from before opset 11 */
	ta_ints(&a, "pads", 8, ok);
	ta_float(&a, "value", 2);
	one_node("Pad", &a, "x", &bytes);
	expect_refusal(&bytes, HS_ENOTSUP, "a pad value other than 0 (2)");
	pbw_free(&bytes);
	pbw_free(&a);

	/* ONNX aligns a slope [4] with the last dimension, of 6 */
	one_node("PRelu", NULL, "x,v", &bytes);
	expect_refusal(&bytes, HS_EFORMAT,
	               "node 'y' (PRelu): a slope of shape [4] does not "
	               "broadcast to an input of shape [1,4,6,6]");
	pbw_free(&bytes);
	one_node("PRelu", NULL, "x,x", &bytes);
	expect_refusal(&bytes, HS_ENOTSUP,
	               "node 'y' (PRelu): the slope 'x' must be a float32 "
	               "constant");
	pbw_free(&bytes);
	tmodel m = { { 0 } };
	const int64_t xd[4] = { 1, 4, 6, 6 }, sd[3] = { 4, 6, 1 };
	float s[24] = { 0 };
	tm_input(&m, "x", 4, xd);
	tm_float(&m, "s", 3, sd, s);
	tm_node(&m, "PRelu", "x,s", "y", NULL);
	tm_output(&m, "y");
	tm_finish(&m, &bytes);
	expect_refusal(&bytes, HS_ENOTSUP,
	               "node 'y' (PRelu): a slope that varies along more than "
	               "one axis");
	pbw_free(&bytes);
}

static void missing_file_is_named(void **state)
{
	(void)state;
	char err[256];
	hs_nn *nn = NULL;
	assert_int_equal(
	        hs_nn_create("/nonexistent/model.onnx", &nn, err, sizeof err),
	        HS_ENOENT);
	assert_null(nn);
	assert_non_null(strstr(err, "cannot open"));
}

/* Loading damaged model bytes ends in 0, HS_EFORMAT or HS_ENOTSUP, never
 * a crash; a model that loads also runs. */
static void try_damaged(const unsigned char *buf, size_t size, const char *how)
{
	char err[512];
	hs_nn *nn = NULL;
	int rc = hs_nn_create_from_buffer(buf, size, &nn, err, sizeof err);
	if (rc != 0 && rc != HS_EFORMAT && rc != HS_ENOTSUP)
		fail_msg("%s: %s (%s)", how, hs_err_name(rc), err);
	if (rc == 0) {
		size_t n = hs_nn_input_count(nn);
		if (n <= ((size_t)1 << 22)) {
			float *in = calloc(n, sizeof *in);
			assert_non_null(in);
			assert_int_equal(hs_nn_run(nn, in, n), 0);
			free(in);
		}
		hs_nn_destroy(nn);
	}
}

static void damaged_model_never_crashes(void **state)
{
	(void)state;
	if (!model_or_skip())
		skip();
	FILE *f = fopen(MODEL, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	size_t size = (size_t)ftell(f);
	fseek(f, 0, SEEK_SET);
	unsigned char *orig = malloc(size), *buf = malloc(size);
	assert_true(orig && buf);
	assert_int_equal(fread(orig, 1, size, f), size);
	fclose(f);

	char how[64];
	/* single bit flips: half anywhere, half in the node list at the
	 * start and the graph's inputs and outputs at the end */
	for (int i = 0; i < 400; i++) {
		size_t at = (size_t)uniform(0, (float)size);
		if (i % 2)
			at = i % 4 == 1 ? (size_t)uniform(0, 24000)
			                : size - 1 - (size_t)uniform(0, 2000);
		memcpy(buf, orig, size);
		buf[at] ^= (unsigned char)(1u << (i % 8));
		snprintf(how, sizeof how, "bit %d of byte %zu", i % 8, at);
		try_damaged(buf, size, how);
	}
	/* the graph cut short: its length (at byte 18, 3-byte varint from
	 * byte 19) lowered, the bytes after it dropped */
	assert_int_equal(orig[18], 0x3a); /* field 7, bytes */
	for (int i = 0; i < 60; i++) {
		size_t len = (size_t)uniform(0, 441977);
		memcpy(buf, orig, 22 + len);
		buf[19] = (unsigned char)(0x80 | (len & 0x7f));
		buf[20] = (unsigned char)(0x80 | ((len >> 7) & 0x7f));
		buf[21] = (unsigned char)(len >> 14);
		snprintf(how, sizeof how, "graph of %zu bytes", len);
		try_damaged(buf, 22 + len, how);
	}
	free(orig);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(blazeface_matches_cv_dnn),
		cmocka_unit_test(blazeface_outputs_are_named_and_sized),
		cmocka_unit_test(small_graphs_match_the_reference),
		cmocka_unit_test(plain_tensors_and_concat),
		cmocka_unit_test(prelu_joins_conv_and_conv_add),
		cmocka_unit_test(prelu_on_its_own),
		cmocka_unit_test(prelu_slope_shapes),
		cmocka_unit_test(channel_pad_then_add),
		cmocka_unit_test(spatial_pad),
		cmocka_unit_test(sigmoid_anywhere),
		cmocka_unit_test(stride3_heads_reshape_to_2d),
		cmocka_unit_test(depthwise_5x5_stays_in_its_pixels),
		cmocka_unit_test(unsupported_operators_are_refused_by_name),
		cmocka_unit_test(pad_and_prelu_refusals),
		cmocka_unit_test(missing_file_is_named),
		cmocka_unit_test(damaged_model_never_crashes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
