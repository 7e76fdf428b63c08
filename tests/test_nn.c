/* test_nn.c - the C inference engine: BlazeFace against cv::dnn on real
 * photos and a synthetic input, small graphs against a plain reference
 * written here, every instruction set this CPU has, and how it refuses
 * broken or unsupported models. */
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
	for (size_t k = 0; k < sizeof isas / sizeof isas[0]; k++) {
		int rc = hs_nn_set_isa(nn, isas[k]);
		if (rc == HS_ENOTSUP)
			continue;
		assert_int_equal(rc, 0);
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
	assert_int_equal(hs_nn_create(MODEL, &nn, err, sizeof err), 0);
	assert_int_equal(hs_facenet_create(MODEL, &dnn), 0);
	assert_int_equal(hs_image_create(&img), 0);

	/* a synthetic input: every value in [-1, 1] */
	for (size_t i = 0; i < HS_FACENET_INPUT_FLOATS; i++)
		input[i] = uniform(-1, 1);
	compare_with_dnn(nn, dnn, input, "random input");

	int photos_run = 0;
	for (size_t p = 0; p < sizeof photos / sizeof photos[0]; p++) {
		if (!hs_test_fixture(photos[p], path, sizeof path))
			continue;
		hs_letterbox lb;
		assert_int_equal(hs_image_load(img, path), 0);
		assert_int_equal(hs_facenet_letterbox(img, input, &lb), 0);
		compare_with_dnn(nn, dnn, input, photos[p]);
		photos_run++;
	}
	printf("C engine vs cv::dnn on %d photos and a random input: max "
	       "|difference| %.3g (logits), %.3g (regressors)\n",
	       photos_run, worst_score, worst_reg);
	hs_image_destroy(img);
	hs_facenet_destroy(dnn);
	hs_nn_destroy(nn);
	if (photos_run == 0)
		skip();
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
	float *r1 = malloc(n1 * sizeof *r1), *d1 = malloc(n1 * sizeof *d1);
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
	for (size_t k = 0; k < sizeof isas / sizeof isas[0]; k++) {
		rc = hs_nn_set_isa(nn, isas[k]);
		if (rc == HS_ENOTSUP)
			continue;
		assert_int_equal(hs_nn_run(nn, x, n_in), 0);
		for (int o = 0; o < 4; o++) {
			size_t n = 0;
			const float *got = hs_nn_output(nn, o, &n);
			assert_int_equal(n, counts[o]);
			expect_close(got, want[o], n, hs_nn_output_name(nn, o),
			             isas[k]);
		}
	}
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
		cmocka_unit_test(unsupported_operators_are_refused_by_name),
		cmocka_unit_test(missing_file_is_named),
		cmocka_unit_test(damaged_model_never_crashes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
