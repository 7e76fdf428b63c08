/* nn.c - plans and runs a convolutional ONNX graph (see nn.h).
 *
 * Loading turns the graph into a list of steps over "stores" (float
 * buffers).  A 4-D tensor [1,C,H,W] is an "activation": NHWC in its store,
 * cs floats per pixel, cs = C rounded up to a vector of 8 with the extra
 * channels held at zero, so every kernel works on whole vectors (and any
 * step writing an activation must keep them zero: Sigmoid writes 0 there,
 * not 0.5).  An activation whose store has fewer than C channels per pixel
 * (cs < C) is a "view" whose missing channels are zero: that is how Concat
 * with a ConstantOfShape of zeros (BlazeFace's channel padding) and Pad of
 * the channels at their end (MediaPipe's face mesh) cost nothing.  Other
 * tensors are "plain": row-major and contiguous.  Transpose and Reshape
 * only relabel a store when the result is one of these two forms, and copy
 * otherwise; Pad elsewhere is a copy into a zeroed store.
 *
 * A convolution absorbs a following Add (as a residual it reads while
 * storing) and then an activation, Relu or PRelu, that it applies before
 * the store: PRelu with a slope per output channel, kept padded with zeros
 * to the rounded channel count.  A PRelu that cannot be absorbed (its
 * input is read elsewhere too, or is no convolution's) is a step of its
 * own, with the slope cycling along whichever axis it varies on.  The
 * convolution and depthwise 3x3 kernels are built with and without PRelu
 * so that the others keep their speed.  Stores are packed into one arena by
 * lifetime, so the working set stays small; nothing is allocated by
 * hs_nn_run().
 */
#include "headsup/nn.h"

#include "headsup/err.h"
#include "headsup/onnx.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CH_ROUND 8 /* channels per pixel round up to this (vectors of 8) */
#define MAX_DIMS HS_ONNX_MAX_DIMS
#define MAX_MR 8 /* pixels per register tile */
#define MAX_NR 4 /* vectors of output channels per register tile */
#define MAX_OB 4 /* depthwise outputs computed together */
#define MAX_KERNEL 64
#define MAX_CHANNELS 65536
/* Floats in one tensor, in all the activations, in all the constants the
 * planner makes: 64 MiB each, a hundred times what BlazeFace needs. */
#define MAX_FLOATS ((size_t)1 << 24)
#define MAX_MODEL_BYTES ((long)256 << 20)

/* ---- the plan ------------------------------------------------------------ */

typedef enum kind {
	K_CONV,    /* group 1, any kernel: tiles of pixels x output vectors */
	K_DW,      /* depthwise */
	K_POOL,    /* max pooling */
	K_ADD,     /* elementwise, same layout */
	K_RELU,    /* elementwise */
	K_PRELU,   /* elementwise, a slope per channel (or other axis) */
	K_SIGMOID, /* elementwise, keeping an activation's extra channels 0 */
	K_COPY,    /* strided copy: transposes, layout changes and Pad */
	K_CONCAT,  /* blocks side by side: Concat, and filling in views */
} kind;

/* What a convolution, depthwise or Add step applies to its sums before
 * storing them. */
typedef enum activation {
	ACT_NONE,
	ACT_RELU,
	ACT_PRELU, /* x < 0: x * slope[channel] */
} activation;

typedef struct part {
	int store;
	size_t src_stride, len, dst_off; /* floats */
	const float *src;
} part;

typedef struct step {
	kind kind;
	int in, in2, out; /* stores; in2 is the residual; -1 when unused */
	int out_value;    /* the value the step makes (for fusing) */
	/* NHWC geometry, batch 1 */
	int ih, iw, ics, oh, ow, ocs, cin;
	int kh, kw, sh, sw, pt, pl;
	int rcs; /* residual floats per pixel (of CH_ROUND), 0: none */
	activation act;
	/* ACT_PRELU and K_PRELU: one slope per output channel, ocs of them
	 * and 16 zeros more (a 16-wide read of the last 8 channels) */
	float *slope;
	float *w, *b; /* packed weights and bias (ocs) */
	size_t n;     /* elementwise: floats; copy, concat: output floats */
	/* K_PRELU: the slope cycles over ocs entries, each applying to a run
	 * of `run` floats (1 per channel for an activation).  K_SIGMOID:
	 * pixels of ocs floats, of which the first cin are real. */
	size_t run;
	/* K_COPY: dims of the source copied, from offset ooff of the output */
	int nd;
	size_t dims[MAX_DIMS];
	ptrdiff_t istr[MAX_DIMS], ostr[MAX_DIMS], ooff;
	/* K_CONCAT */
	part *parts;
	int n_parts;
	size_t outer, ostride;
	bool zero_out; /* clear the output before writing it */
	/* pointers, once the arena exists */
	const float *x, *x2, *zero_row;
	float *y;
} step;

typedef struct store {
	size_t size; /* floats */
	int first, last;
	bool pinned; /* the graph's input and outputs: never shared */
	float *data; /* constants: owned here, not in the arena */
	int slot;
	size_t offset;
} store;

typedef struct kernels {
	const char *name;
	void (*conv)(const step *s);
	void (*dw)(const step *s);
	void (*conv_prelu)(const step *s); /* the same with a PRelu */
	void (*dw_prelu)(const step *s);
	void (*pool)(const step *s);
	void (*add)(const step *s);
	void (*relu)(const step *s);
	void (*prelu)(const step *s);
} kernels;

typedef struct output {
	char *name;
	int store;
	size_t count;
} output;

struct hs_nn {
	step *steps;
	int n_steps;
	store *stores;
	int n_stores;
	float *arena;
	size_t memory; /* bytes of the arena */
	float *zero_row;
	int input_store;
	size_t input_count;
	output *outs;
	int n_outs;
	const kernels *k;
};

/* ---- kernels -------------------------------------------------------------
 * Written once over GCC vector extensions in nn_kernels.h, included below
 * for 4-wide vectors (the generic build: SSE2 on x86-64), 8-wide ones
 * (AVX2) and 16-wide ones (AVX-512), and inlined into one wrapper per
 * instruction set. */

#define ALWAYS static inline __attribute__((always_inline))

/* Output columns [lo, hi) read no padding on either side. */
static void interior_columns(const step *s, int *lo, int *hi)
{
	int l = (s->pl + s->sw - 1) / s->sw;
	int span = s->iw + s->pl - s->kw;
	int h = span < 0 ? 0 : span / s->sw + 1;
	if (l > s->ow)
		l = s->ow;
	if (h > s->ow)
		h = s->ow;
	if (h < l)
		h = l;
	*lo = l;
	*hi = h;
}

typedef float v4f __attribute__((vector_size(16), aligned(4), may_alias));
typedef int32_t v4i __attribute__((vector_size(16), aligned(4), may_alias));
typedef float v8f __attribute__((vector_size(32), aligned(4), may_alias));
typedef int32_t v8i __attribute__((vector_size(32), aligned(4), may_alias));
typedef float v16f __attribute__((vector_size(64), aligned(4), may_alias));
typedef int32_t v16i __attribute__((vector_size(64), aligned(4), may_alias));

#define VW 4
#define vec v4f
#define veci v4i
#include "nn_kernels.h"
#undef VW
#undef vec
#undef veci

#define VW 8
#define vec v8f
#define veci v8i
#include "nn_kernels.h"
#undef VW
#undef vec
#undef veci

#define VW 16
#define vec v16f
#define veci v16i
#include "nn_kernels.h"
#undef VW
#undef vec
#undef veci

/* Elementwise: plain loops the compiler vectorises for each target. */
ALWAYS void add_impl(const step *s)
{
	const float *a = s->x, *b = s->x2;
	float *y = s->y;
	if (s->act == ACT_RELU) {
		for (size_t i = 0; i < s->n; i++) {
			const float v = a[i] + b[i];
			y[i] = v > 0 ? v : 0;
		}
	} else {
		for (size_t i = 0; i < s->n; i++)
			y[i] = a[i] + b[i];
	}
}

ALWAYS void relu_impl(const step *s)
{
	for (size_t i = 0; i < s->n; i++)
		s->y[i] = s->x[i] > 0 ? s->x[i] : 0;
}

/* The slope cycles over s->ocs entries, each covering s->run floats; the
 * common case (a slope per channel of an activation) has runs of 1, an
 * inner loop over a pixel's channels that vectorises. */
ALWAYS void prelu_impl(const step *s)
{
	const float *x = s->x, *sl = s->slope;
	float *y = s->y;
	const size_t nc = (size_t)s->ocs, run = s->run, cycle = nc * run;
	for (size_t o = 0; o + cycle <= s->n; o += cycle) {
		if (run == 1) {
			for (size_t c = 0; c < nc; c++) {
				const float v = x[o + c];
				y[o + c] = v < 0 ? v * sl[c] : v;
			}
			continue;
		}
		for (size_t c = 0; c < nc; c++) {
			const float a = sl[c];
			const size_t b = o + c * run;
			for (size_t k = 0; k < run; k++) {
				const float v = x[b + k];
				y[b + k] = v < 0 ? v * a : v;
			}
		}
	}
}

/* One set of kernels per instruction set: vector width w, MR x NR
 * accumulators in the convolution tiles and OB outputs at a time in the
 * depthwise ones (AVX-512 has 32 vector registers, AVX2 and SSE2 16).  The
 * convolution and depthwise kernels come twice, without and with PRelu,
 * hs_nn_run() choosing by the step. */
#define HS_NN_KERNELS(isa, attr, w, MR, NR, OB)          \
	attr static void conv_##isa(const step *s)       \
	{                                                \
		conv_impl_w##w(s, MR, NR, false);        \
	}                                                \
	attr static void dw_##isa(const step *s)         \
	{                                                \
		dw_impl_w##w(s, OB, false);              \
	}                                                \
	attr static void conv_prelu_##isa(const step *s) \
	{                                                \
		conv_impl_w##w(s, MR, NR, true);         \
	}                                                \
	attr static void dw_prelu_##isa(const step *s)   \
	{                                                \
		dw_impl_w##w(s, OB, true);               \
	}                                                \
	attr static void pool_##isa(const step *s)       \
	{                                                \
		pool_impl_w##w(s);                       \
	}                                                \
	attr static void add_##isa(const step *s)        \
	{                                                \
		add_impl(s);                             \
	}                                                \
	attr static void relu_##isa(const step *s)       \
	{                                                \
		relu_impl(s);                            \
	}                                                \
	attr static void prelu_##isa(const step *s)      \
	{                                                \
		prelu_impl(s);                           \
	}                                                \
	static const kernels kernels_##isa = {           \
		.name = #isa,                            \
		.conv = conv_##isa,                      \
		.dw = dw_##isa,                          \
		.conv_prelu = conv_prelu_##isa,          \
		.dw_prelu = dw_prelu_##isa,              \
		.pool = pool_##isa,                      \
		.add = add_##isa,                        \
		.relu = relu_##isa,                      \
		.prelu = prelu_##isa,                    \
	};

HS_NN_KERNELS(generic, , 4, 4, 2, 2)
#if defined(__x86_64__) || defined(__i386__)
#define HS_NN_X86 1
HS_NN_KERNELS(avx2, __attribute__((target("avx2,fma"))), 8, 4, 3, 2)
HS_NN_KERNELS(avx512, __attribute__((target("avx512f,avx512vl,avx2,fma"))), 16,
              8, 3, 4)
#endif

static const kernels *best_kernels(void)
{
#ifdef HS_NN_X86
	__builtin_cpu_init();
	if (__builtin_cpu_supports("avx512f") &&
	    __builtin_cpu_supports("avx512vl"))
		return &kernels_avx512;
	if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
		return &kernels_avx2;
#endif
	return &kernels_generic;
}

/* Layout changes, whatever the instruction set. */
static void run_copy(const step *s)
{
	if (s->zero_out)
		memset(s->y, 0, s->n * sizeof *s->y);
	size_t total = 1, idx[MAX_DIMS] = { 0 };
	for (int k = 0; k < s->nd; k++)
		total *= s->dims[k];
	ptrdiff_t io = 0, oo = s->ooff;
	for (size_t t = 0; t < total; t++) {
		s->y[oo] = s->x[io];
		for (int k = s->nd - 1; k >= 0; k--) {
			io += s->istr[k];
			oo += s->ostr[k];
			if (++idx[k] < s->dims[k])
				break;
			io -= s->istr[k] * (ptrdiff_t)s->dims[k];
			oo -= s->ostr[k] * (ptrdiff_t)s->dims[k];
			idx[k] = 0;
		}
	}
}

/* Sigmoid, elementwise; in an activation the channels past the real ones
 * stay zero (they would read 0.5), as every activation's must. */
static void run_sigmoid(const step *s)
{
	const size_t cs = (size_t)s->ocs, c = (size_t)s->cin;
	for (size_t p = 0; p < s->n; p += cs)
		for (size_t k = 0; k < cs; k++) {
			const float v = s->x[p + k];
			float r = 0;
			if (k < c) {
				/* exp of a negative number only: no overflow */
				const float e = expf(-fabsf(v));
				r = v >= 0 ? 1 / (1 + e) : e / (1 + e);
			}
			s->y[p + k] = r;
		}
}

static void run_concat(const step *s)
{
	if (s->zero_out)
		memset(s->y, 0, s->n * sizeof *s->y);
	for (int p = 0; p < s->n_parts; p++) {
		const part *pt = &s->parts[p];
		for (size_t o = 0; o < s->outer; o++)
			memcpy(s->y + o * s->ostride + pt->dst_off,
			       pt->src + o * pt->src_stride,
			       pt->len * sizeof *s->y);
	}
}

/* ---- planning ------------------------------------------------------------ */

typedef struct value {
	const char *name; /* NULL for tensors the planner adds */
	uint32_t hash;
	int ndims;
	int64_t dims[MAX_DIMS];
	bool act; /* activation: 4-D, NHWC in its store with cs per pixel */
	int cs;
	int store;    /* -1: a constant not yet needed by any step */
	int producer; /* the step writing the store, -1 for none */
	/* constants (initializers, Constant, ConstantOfShape) */
	bool is_const;
	bool zero;         /* float constant of zeros (cf is NULL) */
	const float *cf;   /* float data, in the model */
	const int64_t *ci; /* int64 data, in the model */
} value;

typedef struct plan {
	const hs_onnx_model *m;
	value *vals;
	int n_vals, cap_vals;
	store *stores;
	int n_stores, cap_stores;
	step *steps;
	int n_steps, cap_steps;
	const hs_onnx_node *node; /* being planned, for messages */
	int node_index;
	char *err;
	size_t err_size;
	int input_store;
	size_t input_count;
	output *outs;
	int n_outs;
	size_t const_floats; /* in constants made so far */
} plan;

__attribute__((format(printf, 3, 4))) static int fail(plan *pl, int rc,
                                                      const char *fmt, ...)
{
	if (!pl->err || pl->err_size == 0)
		return rc;
	size_t n = 0;
	if (pl->node) {
		const hs_onnx_node *nd = pl->node;
		if (nd->name[0])
			n = (size_t)snprintf(pl->err, pl->err_size,
			                     "node '%s' (%s): ", nd->name,
			                     nd->op_type);
		else
			n = (size_t)snprintf(pl->err, pl->err_size,
			                     "node #%d (%s): ", pl->node_index,
			                     nd->op_type);
	}
	if (n < pl->err_size) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(pl->err + n, pl->err_size - n, fmt, ap);
		va_end(ap);
	}
	return rc;
}

static uint32_t hash_name(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static int round_vec(int64_t c)
{
	return (int)((c + CH_ROUND - 1) / CH_ROUND * CH_ROUND);
}

static size_t count_of(const value *v)
{
	size_t n = 1;
	for (int i = 0; i < v->ndims; i++)
		n *= (size_t)v->dims[i];
	return n;
}

/* One more element, zeroed, at the end of *arr (*n used of *cap, of size
 * bytes each), which grows when full; NULL when out of memory. */
static void *append(void **arr, int *cap, int *n, size_t size)
{
	if (*n == *cap) {
		int c = *cap ? *cap * 2 : 64;
		void *p = realloc(*arr, (size_t)c * size);
		if (!p)
			return NULL;
		*arr = p;
		*cap = c;
	}
	void *e = (char *)*arr + (size_t)(*n)++ * size;
	memset(e, 0, size);
	return e;
}

static float *alloc_floats(size_t n)
{
	size_t bytes = (n * sizeof(float) + 63) & ~(size_t)63;
	float *p = aligned_alloc(64, bytes ? bytes : 64);
	if (p)
		memset(p, 0, bytes ? bytes : 64);
	return p;
}

static value *find_value(plan *pl, const char *name)
{
	uint32_t h = hash_name(name);
	for (int i = pl->n_vals - 1; i >= 0; i--)
		if (pl->vals[i].name && pl->vals[i].hash == h &&
		    strcmp(pl->vals[i].name, name) == 0)
			return &pl->vals[i];
	return NULL;
}

/* A new tensor: named (a node output; must be new) or the planner's. */
static int new_value(plan *pl, const char *name, value **out)
{
	if (name && find_value(pl, name))
		return fail(pl, HS_EFORMAT, "tensor '%s' is made twice", name);
	value *v = append((void **)&pl->vals, &pl->cap_vals, &pl->n_vals,
	                  sizeof *pl->vals);
	if (!v)
		return HS_ENOMEM;
	v->name = name;
	v->hash = name ? hash_name(name) : 0;
	v->store = v->producer = -1;
	*out = v;
	return 0;
}

/* Index of v: pointers into pl->vals move when it grows. */
static int vidx(const plan *pl, const value *v)
{
	return (int)(v - pl->vals);
}

/* A new tensor called name (a node output) that is value xi renamed: its
 * shape, layout, store and producer. */
static int copy_value(plan *pl, int xi, const char *name, int *out)
{
	value *v;
	int rc = new_value(pl, name, &v);
	if (rc < 0)
		return rc;
	const char *keep = v->name;
	uint32_t h = v->hash;
	*v = pl->vals[xi];
	v->name = keep;
	v->hash = h;
	*out = vidx(pl, v);
	return 0;
}

static int new_store(plan *pl, size_t size, int *out)
{
	if (size > MAX_FLOATS)
		return fail(pl, HS_ENOTSUP,
		            "a tensor of %zu values is too large", size);
	store *st = append((void **)&pl->stores, &pl->cap_stores, &pl->n_stores,
	                   sizeof *pl->stores);
	if (!st)
		return HS_ENOMEM;
	st->size = size;
	st->first = st->last = -1;
	st->slot = -1;
	*out = pl->n_stores - 1;
	return 0;
}

static int new_step(plan *pl, kind k, step **out)
{
	step *s = append((void **)&pl->steps, &pl->cap_steps, &pl->n_steps,
	                 sizeof *pl->steps);
	if (!s)
		return HS_ENOMEM;
	s->kind = k;
	s->in = s->in2 = s->out = s->out_value = -1;
	*out = s;
	return 0;
}

/* The step just added, s, writes store out, which holds value vi. */
static void set_output(plan *pl, step *s, int vi, int out)
{
	s->out = out;
	s->out_value = vi;
	pl->vals[vi].store = out;
	pl->vals[vi].producer = pl->n_steps - 1;
}

/* Memory for a constant of n floats, within the planner's budget. */
static int alloc_const(plan *pl, size_t n, float **out)
{
	*out = NULL;
	if (n > MAX_FLOATS - pl->const_floats) {
		fail(pl, HS_ENOTSUP, "the constants need over %zu MiB",
		     MAX_FLOATS >> 18);
		return HS_ENOTSUP;
	}
	if (!(*out = alloc_floats(n)))
		return HS_ENOMEM;
	pl->const_floats += n;
	return 0;
}

/* The tensor called name, which an earlier node or the graph must make. */
static int get_value(plan *pl, const char *name, value **out)
{
	value *v = name[0] ? find_value(pl, name) : NULL;
	*out = v;
	if (!v) {
		fail(pl, HS_EFORMAT, "reads '%s', which no earlier node makes",
		     name);
		return HS_EFORMAT;
	}
	return 0;
}

/* The store holding v's data, made now for a constant. */
static int value_store(plan *pl, value *v, int *out)
{
	if (v->store >= 0) {
		*out = v->store;
		return 0;
	}
	if (!v->is_const || (!v->cf && !v->zero))
		return fail(pl, HS_ENOTSUP, "tensor '%s' is not float32",
		            v->name ? v->name : "?");
	size_t n = count_of(v);
	int id, vi = vidx(pl, v), rc = new_store(pl, n, &id);
	if (rc < 0)
		return rc;
	v = &pl->vals[vi];
	float *data;
	if ((rc = alloc_const(pl, n, &data)) < 0)
		return rc;
	if (v->cf)
		memcpy(data, v->cf, n * sizeof *data);
	pl->stores[id].data = data;
	v->store = id;
	*out = id;
	return 0;
}

/* How many nodes read name, plus one when it is a graph output. */
static int uses_of(const plan *pl, const char *name)
{
	int n = 0;
	for (int i = 0; i < pl->m->n_nodes; i++) {
		const hs_onnx_node *nd = &pl->m->nodes[i];
		for (int k = 0; k < nd->n_inputs; k++)
			n += strcmp(nd->inputs[k], name) == 0;
	}
	for (int i = 0; i < pl->m->n_outputs; i++)
		n += strcmp(pl->m->outputs[i].name, name) == 0;
	return n;
}

/* Strides of v's elements in its store, in floats. */
static void strides_of(const value *v, ptrdiff_t *st)
{
	if (v->act) {
		const ptrdiff_t h = v->dims[2], w = v->dims[3];
		st[0] = h * w * v->cs;
		st[1] = 1;
		st[2] = w * v->cs;
		st[3] = v->cs;
		return;
	}
	ptrdiff_t s = 1;
	for (int i = v->ndims - 1; i >= 0; i--) {
		st[i] = s;
		s *= (ptrdiff_t)v->dims[i];
	}
}

/* Do two stride lists agree on every dimension longer than 1? */
static bool same_strides(const int64_t *dims, int nd, const ptrdiff_t *a,
                         const ptrdiff_t *b)
{
	for (int i = 0; i < nd; i++)
		if (dims[i] > 1 && a[i] != b[i])
			return false;
	return true;
}

/* Add a strided copy of the elements of src (laid out by sst) in the box
 * extent (dst's own dims when NULL) into a new store for dst, whose layout
 * fields are set, from offset ooff of that store; the rest of the store is
 * zeroed first when the box does not cover it (Pad). */
static int emit_copy_box(plan *pl, int src_vi, const ptrdiff_t *sst, int dst_vi,
                         const int64_t *extent, ptrdiff_t ooff)
{
	value *src = &pl->vals[src_vi];
	int in, out, rc;
	if ((rc = value_store(pl, src, &in)) < 0)
		return rc;
	value *dst = &pl->vals[dst_vi];
	size_t size = dst->act ? (size_t)dst->dims[0] * (size_t)dst->dims[2] *
	                                 (size_t)dst->dims[3] * (size_t)dst->cs
	                       : count_of(dst);
	if ((rc = new_store(pl, size, &out)) < 0)
		return rc;
	step *s;
	if ((rc = new_step(pl, K_COPY, &s)) < 0)
		return rc;
	dst = &pl->vals[dst_vi];
	s->in = in;
	s->n = size;
	s->nd = dst->ndims;
	s->ooff = ooff;
	s->zero_out = (dst->act && dst->cs > dst->dims[1]) || extent;
	for (int i = 0; i < dst->ndims; i++) {
		s->dims[i] = (size_t)(extent ? extent[i] : dst->dims[i]);
		s->istr[i] = sst[i];
	}
	strides_of(dst, s->ostr);
	set_output(pl, s, dst_vi, out);
	return 0;
}

static int emit_copy(plan *pl, int src_vi, const ptrdiff_t *sst, int dst_vi)
{
	return emit_copy_box(pl, src_vi, sst, dst_vi, NULL, 0);
}

/* v as a dense activation (cs >= C; cs = C rounded to a vector when
 * exact), copying it when it is plain or a view. */
static int to_act(plan *pl, int vi, bool exact, int *out)
{
	value *v = &pl->vals[vi];
	if (v->ndims != 4)
		return fail(pl, HS_ENOTSUP, "needs a 4-D input, not %d-D",
		            v->ndims);
	if (v->dims[1] > MAX_CHANNELS)
		return fail(pl, HS_ENOTSUP, "%lld channels are too many",
		            (long long)v->dims[1]);
	const int cs = round_vec(v->dims[1]);
	if (v->act && v->cs >= v->dims[1] && (!exact || v->cs == cs)) {
		*out = vi;
		return 0;
	}
	value *d;
	int rc = new_value(pl, NULL, &d);
	if (rc < 0)
		return rc;
	int di = vidx(pl, d);
	v = &pl->vals[vi];
	d->ndims = 4;
	memcpy(d->dims, v->dims, sizeof d->dims);
	d->act = true;
	d->cs = cs;
	if (!v->act) {
		ptrdiff_t st[MAX_DIMS];
		strides_of(v, st);
		rc = emit_copy(pl, vi, st, di);
	} else {
		/* a view, or an odd stride: copy pixel by pixel */
		step *s;
		int out_store;
		size_t pixels = (size_t)(v->dims[0] * v->dims[2] * v->dims[3]);
		if ((rc = new_store(pl, pixels * (size_t)cs, &out_store)) < 0)
			return rc;
		part *pt = calloc(1, sizeof *pt);
		if (!pt)
			return HS_ENOMEM;
		if ((rc = new_step(pl, K_CONCAT, &s)) < 0) {
			free(pt);
			return rc;
		}
		v = &pl->vals[vi];
		pt->store = v->store;
		pt->src_stride = (size_t)v->cs;
		pt->len = (size_t)(v->cs < v->dims[1] ? v->cs : v->dims[1]);
		s->parts = pt;
		s->n_parts = 1;
		s->outer = pixels;
		s->ostride = (size_t)cs;
		s->n = pixels * (size_t)cs;
		s->zero_out = pt->len < (size_t)cs;
		set_output(pl, s, di, out_store);
	}
	if (rc < 0)
		return rc;
	*out = di;
	return 0;
}

/* v as a plain (row-major, contiguous) tensor: relabelled when its store
 * already is, copied otherwise. */
static int to_plain(plan *pl, int vi, int *out)
{
	value *v = &pl->vals[vi];
	if (!v->act) {
		*out = vi;
		return 0;
	}
	int rc;
	if (v->cs < v->dims[1] && (rc = to_act(pl, vi, true, &vi)) < 0)
		return rc;
	value *d;
	if ((rc = new_value(pl, NULL, &d)) < 0)
		return rc;
	int di = vidx(pl, d);
	v = &pl->vals[vi];
	d->ndims = v->ndims;
	memcpy(d->dims, v->dims, sizeof d->dims);
	ptrdiff_t sa[MAX_DIMS], sp[MAX_DIMS];
	strides_of(v, sa);
	strides_of(d, sp);
	if (same_strides(v->dims, v->ndims, sa, sp)) {
		d->store = v->store;
		d->producer = v->producer;
		*out = di;
		return 0;
	}
	if ((rc = emit_copy(pl, vi, sa, di)) < 0)
		return rc;
	*out = di;
	return 0;
}

/* ---- attributes ---------------------------------------------------------- */

static int attr_int(plan *pl, const char *name, int64_t def, int64_t *out)
{
	const hs_onnx_attr *a = hs_onnx_attr_find(pl->node, name);
	*out = def;
	if (!a)
		return 0;
	if (a->type != HS_ONNX_ATTR_INT)
		return fail(pl, HS_EFORMAT,
		            "attribute '%s' should be an integer", name);
	*out = a->i;
	return 0;
}

/* Attribute name as n ints (n == want), or def when absent. */
static int attr_ints(plan *pl, const char *name, int want, int64_t def,
                     int64_t *out)
{
	const hs_onnx_attr *a = hs_onnx_attr_find(pl->node, name);
	for (int i = 0; i < want; i++)
		out[i] = def;
	if (!a)
		return 0;
	if (a->type != HS_ONNX_ATTR_INTS || a->n != want)
		return fail(pl, HS_ENOTSUP,
		            "attribute '%s' should be %d integers", name, want);
	memcpy(out, a->ints, (size_t)want * sizeof *out);
	return 0;
}

/* kernel_shape, strides, pads (top, left, bottom, right) and auto_pad of
 * a 2-D convolution or pool over an ih x iw input; checks them and gives
 * the output size. */
typedef struct window {
	int kh, kw, sh, sw, pt, pl, pb, pr, oh, ow;
} window;

static int plan_window(plan *pl, int64_t ih, int64_t iw, int64_t kh, int64_t kw,
                       window *w)
{
	int64_t st[2], pads[4], dil[2], ks[2];
	int rc;
	if ((rc = attr_ints(pl, "kernel_shape", 2, 0, ks)) < 0 ||
	    (rc = attr_ints(pl, "strides", 2, 1, st)) < 0 ||
	    (rc = attr_ints(pl, "pads", 4, 0, pads)) < 0 ||
	    (rc = attr_ints(pl, "dilations", 2, 1, dil)) < 0)
		return rc;
	if (kh < 0) { /* pooling: the kernel comes from the attribute */
		kh = ks[0];
		kw = ks[1];
	} else if ((ks[0] && ks[0] != kh) || (ks[1] && ks[1] != kw)) {
		return fail(pl, HS_EFORMAT,
		            "kernel_shape %lldx%lld differs from the weights' "
		            "%lldx%lld",
		            (long long)ks[0], (long long)ks[1], (long long)kh,
		            (long long)kw);
	}
	if (kh < 1 || kw < 1 || kh > MAX_KERNEL || kw > MAX_KERNEL)
		return fail(pl, HS_ENOTSUP, "a %lldx%lld kernel", (long long)kh,
		            (long long)kw);
	if (dil[0] != 1 || dil[1] != 1)
		return fail(pl, HS_ENOTSUP, "dilation %lldx%lld",
		            (long long)dil[0], (long long)dil[1]);
	for (int i = 0; i < 2; i++)
		if (st[i] < 1 || st[i] > MAX_KERNEL)
			return fail(pl, HS_ENOTSUP, "stride %lld",
			            (long long)st[i]);
	const hs_onnx_attr *ap = hs_onnx_attr_find(pl->node, "auto_pad");
	const char *mode = ap && ap->s ? ap->s : "NOTSET";
	if (strcmp(mode, "VALID") == 0) {
		memset(pads, 0, sizeof pads);
	} else if (strcmp(mode, "SAME_UPPER") == 0 ||
	           strcmp(mode, "SAME_LOWER") == 0) {
		const int64_t in[2] = { ih, iw }, k[2] = { kh, kw };
		for (int i = 0; i < 2; i++) {
			int64_t o = (in[i] + st[i] - 1) / st[i];
			int64_t total = (o - 1) * st[i] + k[i] - in[i];
			if (total < 0)
				total = 0;
			int64_t small = total / 2;
			bool upper = mode[5] == 'U';
			pads[i] = upper ? small : total - small;
			pads[i + 2] = total - pads[i];
		}
	} else if (strcmp(mode, "NOTSET") != 0) {
		return fail(pl, HS_EFORMAT, "auto_pad '%s'", mode);
	}
	for (int i = 0; i < 4; i++)
		if (pads[i] < 0 || pads[i] > MAX_KERNEL)
			return fail(pl, HS_ENOTSUP, "padding %lld",
			            (long long)pads[i]);
	const int64_t eh = ih + pads[0] + pads[2], ew = iw + pads[1] + pads[3];
	if (eh < kh || ew < kw)
		return fail(pl, HS_EFORMAT,
		            "a %lldx%lld kernel over a %lldx%lld input",
		            (long long)kh, (long long)kw, (long long)ih,
		            (long long)iw);
	w->kh = (int)kh;
	w->kw = (int)kw;
	w->sh = (int)st[0];
	w->sw = (int)st[1];
	w->pt = (int)pads[0];
	w->pl = (int)pads[1];
	w->pb = (int)pads[2];
	w->pr = (int)pads[3];
	w->oh = (int)((eh - kh) / st[0] + 1);
	w->ow = (int)((ew - kw) / st[1] + 1);
	return 0;
}

/* The window's geometry on the step s that slides it. */
static void set_window(step *s, const window *w)
{
	s->oh = w->oh;
	s->ow = w->ow;
	s->kh = w->kh;
	s->kw = w->kw;
	s->sh = w->sh;
	s->sw = w->sw;
	s->pt = w->pt;
	s->pl = w->pl;
}

/* Fail unless the node has in_lo to in_hi inputs and out_lo to out_hi
 * outputs. */
static int check_arity(plan *pl, int in_lo, int in_hi, int out_lo, int out_hi)
{
	const hs_onnx_node *nd = pl->node;
	if (nd->n_inputs < in_lo || nd->n_inputs > in_hi ||
	    nd->n_outputs < out_lo || nd->n_outputs > out_hi)
		return fail(pl, HS_EFORMAT, "%d inputs, %d outputs",
		            nd->n_inputs, nd->n_outputs);
	return 0;
}

/* The input of a node of one input and one output. */
static int only_input(plan *pl, value **x)
{
	int rc = check_arity(pl, 1, 1, 1, 1);
	return rc < 0 ? rc : get_value(pl, pl->node->inputs[0], x);
}

static int only_first_output(plan *pl)
{
	for (int i = 1; i < pl->node->n_outputs; i++)
		if (pl->node->outputs[i][0])
			return fail(pl, HS_ENOTSUP, "output %d ('%s')", i + 1,
			            pl->node->outputs[i]);
	return 0;
}

/* A new activation output [1, c, oh, ow] and a store of its own for it,
 * which set_output() gives it once its step exists. */
static int new_act(plan *pl, const char *name, int64_t c, int oh, int ow,
                   int *vi, int *st)
{
	value *v;
	int rc = new_value(pl, name, &v);
	if (rc < 0)
		return rc;
	*vi = vidx(pl, v);
	v->ndims = 4;
	v->dims[0] = 1;
	v->dims[1] = c;
	v->dims[2] = oh;
	v->dims[3] = ow;
	v->act = true;
	v->cs = round_vec(c);
	if ((rc = new_store(pl, (size_t)oh * (size_t)ow * (size_t)v->cs, st)) <
	    0)
		return rc;
	return 0;
}

/* ---- operators ----------------------------------------------------------- */

static int op_conv(plan *pl)
{
	const hs_onnx_node *nd = pl->node;
	value *x, *wv, *bv = NULL;
	int rc;
	if ((rc = check_arity(pl, 2, 3, 1, INT_MAX)) < 0 ||
	    (rc = get_value(pl, nd->inputs[0], &x)) < 0 ||
	    (rc = get_value(pl, nd->inputs[1], &wv)) < 0)
		return rc;
	if (nd->n_inputs == 3 && nd->inputs[2][0] &&
	    (rc = get_value(pl, nd->inputs[2], &bv)) < 0)
		return rc;
	if (!wv->is_const || !wv->cf || wv->ndims != 4 ||
	    (bv && (!bv->is_const || !bv->cf || bv->ndims != 1)))
		return fail(pl, HS_ENOTSUP,
		            "weights and bias must be float32 constants of 4 "
		            "and 1 dimensions");
	if (x->ndims != 4 || x->dims[0] != 1)
		return fail(pl, HS_ENOTSUP, "input must be [1,C,H,W]");
	const float *W = wv->cf, *B = bv ? bv->cf : NULL;
	const int64_t m = wv->dims[0], cg = wv->dims[1], c = x->dims[1];
	int64_t group;
	if ((rc = attr_int(pl, "group", 1, &group)) < 0)
		return rc;
	if (group < 1 || cg * group != c)
		return fail(pl, HS_EFORMAT,
		            "weights for %lld x %lld channels, input has %lld",
		            (long long)group, (long long)cg, (long long)c);
	if (bv && bv->dims[0] != m)
		return fail(pl, HS_EFORMAT, "%lld biases for %lld outputs",
		            (long long)bv->dims[0], (long long)m);
	if (m < 1 || m > MAX_CHANNELS)
		return fail(pl, HS_ENOTSUP, "%lld output channels",
		            (long long)m);
	const bool dw = group > 1 && group == c && m == c && cg == 1;
	if (group > 1 && !dw)
		return fail(pl, HS_ENOTSUP,
		            "grouped convolution with %lld groups",
		            (long long)group);
	window w;
	if ((rc = plan_window(pl, x->dims[2], x->dims[3], wv->dims[2],
	                      wv->dims[3], &w)) < 0)
		return rc;
	int xi = vidx(pl, x), yi, ys;
	if ((rc = to_act(pl, xi, dw, &xi)) < 0)
		return rc;
	const int ocs = round_vec(m);
	/* room for a 16-wide read of the last 8 channels */
	float *pw = alloc_floats((size_t)w.kh * (size_t)w.kw *
	                                 (size_t)(dw ? 1 : c) * (size_t)ocs +
	                         16);
	float *pb = alloc_floats((size_t)ocs + 16);
	if (!pw || !pb) {
		free(pw);
		free(pb);
		return HS_ENOMEM;
	}
	/* ONNX weights are [m][c/group][kh][kw]: regroup as
	 * [ky][kx][ci][co] (plain) or [ky][kx][c] (depthwise). */
	const size_t khw = (size_t)w.kh * (size_t)w.kw;
	for (size_t co = 0; co < (size_t)m; co++) {
		pb[co] = B ? B[co] : 0.f;
		for (size_t ci = 0; ci < (size_t)cg; ci++)
			for (size_t k = 0; k < khw; k++) {
				float v = W[(co * (size_t)cg + ci) * khw + k];
				if (dw)
					pw[k * (size_t)ocs + co] = v;
				else
					pw[(k * (size_t)c + ci) * (size_t)ocs +
					   co] = v;
			}
	}
	if ((rc = new_act(pl, nd->outputs[0], m, w.oh, w.ow, &yi, &ys)) < 0)
		goto fail;
	step *s;
	if ((rc = new_step(pl, dw ? K_DW : K_CONV, &s)) < 0)
		goto fail;
	x = &pl->vals[xi];
	s->in = x->store;
	set_output(pl, s, yi, ys);
	s->w = pw;
	s->b = pb;
	s->ih = (int)x->dims[2];
	s->iw = (int)x->dims[3];
	s->ics = x->cs;
	s->cin = (int)c;
	s->ocs = ocs;
	set_window(s, &w);
	if (!dw && w.kh == 1 && w.kw == 1 && w.sh == 1 && w.sw == 1 &&
	    w.pt + w.pl + w.pb + w.pr == 0) {
		/* 1x1: the whole image is one long row */
		s->iw = s->ow = s->ih * s->iw;
		s->ih = s->oh = 1;
	}
	return only_first_output(pl);
fail:
	free(pw);
	free(pb);
	return rc;
}

/* Can the step making value vi absorb an Add (residual), a Relu or a
 * PRelu applied to it?  Only when it is the last thing the step does to
 * its output and nothing else reads vi.  An Add step takes a Relu but not
 * a PRelu: its loop over the store knows no channels. */
static bool fusable(plan *pl, int vi, bool residual, activation act)
{
	const value *v = &pl->vals[vi];
	if (v->producer < 0 || !v->name)
		return false;
	const step *s = &pl->steps[v->producer];
	if (s->out_value != vi || s->act != ACT_NONE ||
	    uses_of(pl, v->name) != 1)
		return false;
	if (residual)
		return s->kind == K_CONV && s->in2 < 0;
	return s->kind == K_CONV || s->kind == K_DW ||
	       (s->kind == K_ADD && act == ACT_RELU);
}

static bool same_shape(const value *a, const value *b)
{
	return a->ndims == b->ndims &&
	       memcmp(a->dims, b->dims, (size_t)a->ndims * sizeof a->dims[0]) ==
	               0;
}

/* The output of a fused Add, Relu or PRelu: the producer's store,
 * renamed. */
static int fuse_as(plan *pl, int vi, const char *name)
{
	int ni, rc = copy_value(pl, vi, name, &ni);
	if (rc < 0)
		return rc;
	pl->steps[pl->vals[ni].producer].out_value = ni;
	return 0;
}

/* Output name of an elementwise step of kind k over store in (and in2,
 * or -1): laid out as value xi, in a store of its own. */
static int emit_elementwise(plan *pl, kind k, const char *name, int xi, int in,
                            int in2)
{
	int yi, out, rc;
	if ((rc = copy_value(pl, xi, name, &yi)) < 0)
		return rc;
	value *y = &pl->vals[yi];
	y->is_const = y->zero = false;
	y->cf = NULL;
	y->ci = NULL;
	const size_t n = pl->stores[in].size;
	if ((rc = new_store(pl, n, &out)) < 0)
		return rc;
	step *s;
	if ((rc = new_step(pl, k, &s)) < 0)
		return rc;
	s->in = in;
	s->in2 = in2;
	s->n = n;
	set_output(pl, s, yi, out);
	return 0;
}

static int op_add(plan *pl)
{
	const hs_onnx_node *nd = pl->node;
	value *a, *b;
	int rc;
	if ((rc = check_arity(pl, 2, 2, 1, 1)) < 0 ||
	    (rc = get_value(pl, nd->inputs[0], &a)) < 0 ||
	    (rc = get_value(pl, nd->inputs[1], &b)) < 0)
		return rc;
	if (!same_shape(a, b))
		return fail(pl, HS_ENOTSUP,
		            "broadcasting '%s' and '%s' of different shapes",
		            nd->inputs[0], nd->inputs[1]);
	int ai = vidx(pl, a), bi = vidx(pl, b);
	/* conv + residual: the other input must exist before the conv runs */
	for (int k = 0; k < 2; k++) {
		int ci = k ? bi : ai, ri = k ? ai : bi;
		const value *cv = &pl->vals[ci], *r = &pl->vals[ri];
		if (!fusable(pl, ci, true, ACT_NONE) || !r->act ||
		    r->store < 0 || r->cs % CH_ROUND != 0 ||
		    r->producer >= cv->producer ||
		    r->cs > pl->steps[cv->producer].ocs)
			continue;
		step *s = &pl->steps[cv->producer];
		s->in2 = r->store;
		s->rcs = r->cs;
		return fuse_as(pl, ci, nd->outputs[0]);
	}
	/* a plain elementwise add over identical layouts */
	if (pl->vals[ai].act && pl->vals[bi].act) {
		if ((rc = to_act(pl, ai, true, &ai)) < 0 ||
		    (rc = to_act(pl, bi, true, &bi)) < 0)
			return rc;
	} else if ((rc = to_plain(pl, ai, &ai)) < 0 ||
	           (rc = to_plain(pl, bi, &bi)) < 0) {
		return rc;
	}
	int sa, sb;
	if ((rc = value_store(pl, &pl->vals[ai], &sa)) < 0 ||
	    (rc = value_store(pl, &pl->vals[bi], &sb)) < 0)
		return rc;
	return emit_elementwise(pl, K_ADD, nd->outputs[0], ai, sa, sb);
}

static int op_relu(plan *pl)
{
	const hs_onnx_node *nd = pl->node;
	value *x;
	int rc = only_input(pl, &x);
	if (rc < 0)
		return rc;
	int xi = vidx(pl, x);
	if (fusable(pl, xi, false, ACT_RELU)) {
		pl->steps[x->producer].act = ACT_RELU;
		return fuse_as(pl, xi, nd->outputs[0]);
	}
	if (x->act)
		rc = to_act(pl, xi, true, &xi);
	int in;
	if (rc < 0 || (rc = value_store(pl, &pl->vals[xi], &in)) < 0)
		return rc;
	return emit_elementwise(pl, K_RELU, nd->outputs[0], xi, in, -1);
}

/* v's shape as "[1,16,1,1]", in buf. */
static const char *shape_text(const value *v, char *buf, size_t size)
{
	size_t n = (size_t)snprintf(buf, size, "[");
	for (int i = 0; i < v->ndims && n < size; i++)
		n += (size_t)snprintf(buf + n, size - n, "%s%lld", i ? "," : "",
		                      (long long)v->dims[i]);
	if (n < size)
		snprintf(buf + n, size - n, "]");
	return buf;
}

/* PRelu: x where x >= 0, slope * x where x < 0, the slope (a float32
 * constant) broadcast to x the ONNX way, aligned with x's last
 * dimensions: [C,1,1] or [1,C,1,1] is a slope per channel of [1,C,H,W],
 * [C] a slope per column (x must then have C columns) and one value
 * applies to everything.  A slope along the channels of an activation (or
 * a single one) becomes part of the convolution that makes x when it can,
 * as Relu does; otherwise a step of its own runs over x's store with the
 * slope cycling along its axis. */
static int op_prelu(plan *pl)
{
	const hs_onnx_node *nd = pl->node;
	value *x, *sv;
	int rc;
	if ((rc = check_arity(pl, 2, 2, 1, 1)) < 0 ||
	    (rc = get_value(pl, nd->inputs[0], &x)) < 0 ||
	    (rc = get_value(pl, nd->inputs[1], &sv)) < 0)
		return rc;
	if (!sv->is_const || (!sv->cf && !sv->zero))
		return fail(pl, HS_ENOTSUP,
		            "the slope '%s' must be a float32 constant",
		            nd->inputs[1]);
	const int n = x->ndims, sn = sv->ndims;
	int axis = -1; /* of x, along which the slope varies; -1: none */
	bool fits = sn <= n && count_of(sv) > 0;
	for (int i = 0; fits && i < sn; i++) {
		const int64_t d = sv->dims[i], xd = x->dims[n - sn + i];
		fits = d == 1 || d == xd;
		if (!fits || d == 1)
			continue;
		if (axis >= 0)
			return fail(pl, HS_ENOTSUP,
			            "a slope that varies along more than one "
			            "axis");
		axis = n - sn + i;
	}
	if (!fits) {
		char a[96], b[96];
		return fail(
		        pl, HS_EFORMAT,
		        "a slope of shape %s does not broadcast to an input "
		        "of shape %s",
		        shape_text(sv, a, sizeof a),
		        shape_text(x, b, sizeof b));
	}
	const float *sf = sv->cf; /* NULL: all zero */
	int xi = vidx(pl, x);
	const bool per_channel = x->act && axis != 0 && axis != 2 && axis != 3;
	/* slopes: the cycle's entries, 16 zeros more for a 16-wide read */
	size_t nc = axis < 0 ? 1 : (size_t)x->dims[axis], run = 1;
	if (per_channel)
		nc = (size_t)round_vec(x->dims[1]);
	float *slope = alloc_floats(nc + 16);
	if (!slope)
		return HS_ENOMEM;
	const size_t real = per_channel ? (size_t)x->dims[1] : nc;
	for (size_t c = 0; c < real; c++)
		slope[c] = !sf ? 0 : axis < 0 ? sf[0] : sf[c];
	if (per_channel && fusable(pl, xi, false, ACT_PRELU)) {
		step *s = &pl->steps[x->producer];
		s->act = ACT_PRELU;
		s->slope = slope;
		return fuse_as(pl, xi, nd->outputs[0]);
	}
	if (x->act && (rc = to_act(pl, xi, true, &xi)) < 0)
		goto fail;
	x = &pl->vals[xi];
	if (x->act) {
		/* NHWC: channels vary fastest, then columns, then rows */
		if (per_channel)
			nc = (size_t)x->cs;
		else if (axis == 3)
			run = (size_t)x->cs;
		else if (axis == 2)
			run = (size_t)x->dims[3] * (size_t)x->cs;
	} else {
		for (int i = axis < 0 ? 0 : axis + 1; i < n; i++)
			run *= (size_t)x->dims[i];
	}
	int in;
	if ((rc = value_store(pl, x, &in)) < 0 ||
	    (rc = emit_elementwise(pl, K_PRELU, nd->outputs[0], xi, in, -1)) <
	            0)
		goto fail;
	step *s = &pl->steps[pl->n_steps - 1];
	s->slope = slope;
	s->ocs = (int)nc;
	s->run = run;
	return 0;
fail:
	free(slope);
	return rc;
}

/* Sigmoid, elementwise on any tensor; nothing in the graphs we run needs
 * it to be fast. */
static int op_sigmoid(plan *pl)
{
	const hs_onnx_node *nd = pl->node;
	value *x;
	int rc = only_input(pl, &x), in;
	if (rc < 0)
		return rc;
	int xi = vidx(pl, x);
	/* a view's missing channels are zero, and would have to read 0.5 */
	if (x->act && (rc = to_act(pl, xi, false, &xi)) < 0)
		return rc;
	if ((rc = value_store(pl, &pl->vals[xi], &in)) < 0 ||
	    (rc = emit_elementwise(pl, K_SIGMOID, nd->outputs[0], xi, in, -1)) <
	            0)
		return rc;
	const value *v = &pl->vals[xi];
	step *s = &pl->steps[pl->n_steps - 1];
	s->ocs = v->act ? v->cs : 1;
	s->cin = v->act ? (int)v->dims[1] : 1;
	return 0;
}

static int op_maxpool(plan *pl)
{
	const hs_onnx_node *nd = pl->node;
	int64_t ceil_mode, order;
	int rc;
	if ((rc = check_arity(pl, 1, 1, 1, INT_MAX)) < 0 ||
	    (rc = attr_int(pl, "ceil_mode", 0, &ceil_mode)) < 0 ||
	    (rc = attr_int(pl, "storage_order", 0, &order)) < 0)
		return rc;
	if (ceil_mode != 0 || order != 0)
		return fail(pl, HS_ENOTSUP, "ceil_mode or storage_order");
	value *x;
	if ((rc = get_value(pl, nd->inputs[0], &x)) < 0)
		return rc;
	if (x->ndims != 4 || x->dims[0] != 1)
		return fail(pl, HS_ENOTSUP, "input must be [1,C,H,W]");
	window w;
	if ((rc = plan_window(pl, x->dims[2], x->dims[3], -1, -1, &w)) < 0)
		return rc;
	if (w.pt >= w.kh || w.pb >= w.kh || w.pl >= w.kw || w.pr >= w.kw)
		return fail(pl, HS_ENOTSUP, "padding as large as the kernel");
	int xi = vidx(pl, x), yi, ys;
	if ((rc = to_act(pl, xi, true, &xi)) < 0)
		return rc;
	x = &pl->vals[xi];
	const int64_t c = x->dims[1];
	const int ih = (int)x->dims[2], iw = (int)x->dims[3], cs = x->cs,
	          in = x->store;
	if ((rc = new_act(pl, nd->outputs[0], c, w.oh, w.ow, &yi, &ys)) < 0)
		return rc;
	step *s;
	if ((rc = new_step(pl, K_POOL, &s)) < 0)
		return rc;
	s->in = in;
	set_output(pl, s, yi, ys);
	s->ih = ih;
	s->iw = iw;
	s->ics = s->ocs = cs;
	set_window(s, &w);
	return only_first_output(pl);
}

static int op_concat(plan *pl)
{
	const hs_onnx_node *nd = pl->node;
	int64_t axis;
	value *first;
	int rc;
	if ((rc = check_arity(pl, 1, INT_MAX, 1, 1)) < 0 ||
	    (rc = attr_int(pl, "axis", 1, &axis)) < 0 ||
	    (rc = get_value(pl, nd->inputs[0], &first)) < 0)
		return rc;
	const int nd0 = first->ndims;
	if (axis < 0)
		axis += nd0;
	if (axis < 0 || axis >= nd0)
		return fail(pl, HS_EFORMAT, "axis %lld of a %d-D tensor",
		            (long long)axis, nd0);
	int64_t dims[MAX_DIMS];
	memcpy(dims, first->dims, sizeof dims);
	dims[axis] = 0;
	bool all_act = true;
	int *vis = calloc((size_t)nd->n_inputs, sizeof *vis);
	if (!vis)
		return HS_ENOMEM;
	for (int i = 0; i < nd->n_inputs; i++) {
		value *v;
		if ((rc = get_value(pl, nd->inputs[i], &v)) < 0)
			goto done;
		bool fits = v->ndims == nd0;
		for (int k = 0; fits && k < nd0; k++)
			fits = k == axis || v->dims[k] == dims[k];
		if (!fits) {
			rc = fail(pl, HS_EFORMAT, "inputs of different shapes");
			goto done;
		}
		dims[axis] += v->dims[axis];
		all_act = all_act && v->act;
		vis[i] = vidx(pl, v);
	}
	if (dims[axis] > (int64_t)MAX_FLOATS) {
		rc = fail(pl, HS_ENOTSUP, "too large");
		goto done;
	}
	value *y;
	const value *a = &pl->vals[vis[0]];
	const value *z = nd->n_inputs == 2 ? &pl->vals[vis[1]] : NULL;
	if (z && axis == 1 && a->act && a->cs >= a->dims[1] && z->zero) {
		/* channels padded with zeros: a view of the first input */
		int yi;
		if ((rc = copy_value(pl, vis[0], nd->outputs[0], &yi)) == 0)
			pl->vals[yi].dims[1] = dims[1];
		goto done;
	}
	const bool act = all_act && axis == 1 && nd0 == 4 && dims[0] == 1;
	for (int i = 0; i < nd->n_inputs; i++) {
		rc = act ? to_act(pl, vis[i], false, &vis[i])
		         : to_plain(pl, vis[i], &vis[i]);
		if (rc < 0)
			goto done;
	}
	if ((rc = new_value(pl, nd->outputs[0], &y)) < 0)
		goto done;
	int yi = vidx(pl, y), out;
	y->ndims = nd0;
	memcpy(y->dims, dims, sizeof dims);
	size_t outer = 1, inner = 1;
	if (act) {
		y->act = true;
		y->cs = round_vec(dims[1]);
		outer = (size_t)(dims[2] * dims[3]);
	} else {
		for (int k = 0; k < axis; k++)
			outer *= (size_t)dims[k];
		for (int k = (int)axis + 1; k < nd0; k++)
			inner *= (size_t)dims[k];
	}
	const size_t ostride = act ? (size_t)y->cs : (size_t)dims[axis] * inner;
	if ((rc = new_store(pl, outer * ostride, &out)) < 0)
		goto done;
	part *parts = calloc((size_t)nd->n_inputs, sizeof *parts);
	if (!parts) {
		rc = HS_ENOMEM;
		goto done;
	}
	size_t off = 0;
	for (int i = 0; i < nd->n_inputs; i++) {
		value *v = &pl->vals[vis[i]];
		if ((rc = value_store(pl, v, &parts[i].store)) < 0) {
			free(parts);
			goto done;
		}
		v = &pl->vals[vis[i]];
		parts[i].len = (size_t)v->dims[axis] * inner;
		parts[i].src_stride = act ? (size_t)v->cs : parts[i].len;
		parts[i].dst_off = off;
		off += parts[i].len;
	}
	step *s;
	if ((rc = new_step(pl, K_CONCAT, &s)) < 0) {
		free(parts);
		goto done;
	}
	s->parts = parts;
	s->n_parts = nd->n_inputs;
	s->outer = outer;
	s->ostride = ostride;
	s->n = outer * ostride;
	s->zero_out = off < ostride;
	set_output(pl, s, yi, out);
	rc = 0;
done:
	free(vis);
	return rc;
}

static int op_transpose(plan *pl)
{
	const hs_onnx_node *nd = pl->node;
	value *x;
	int rc = only_input(pl, &x);
	if (rc < 0)
		return rc;
	const int n = x->ndims;
	int64_t perm[MAX_DIMS];
	for (int i = 0; i < n; i++)
		perm[i] = n - 1 - i;
	const hs_onnx_attr *a = hs_onnx_attr_find(nd, "perm");
	if (a && (rc = attr_ints(pl, "perm", n, 0, perm)) < 0)
		return rc;
	bool seen[MAX_DIMS] = { false };
	for (int i = 0; i < n; i++) {
		if (perm[i] < 0 || perm[i] >= n || seen[perm[i]])
			return fail(pl, HS_EFORMAT,
			            "perm is not a permutation");
		seen[perm[i]] = true;
	}
	int xi = vidx(pl, x);
	if (x->act && x->cs < x->dims[1] &&
	    (rc = to_act(pl, xi, true, &xi)) < 0)
		return rc;
	if ((rc = value_store(pl, &pl->vals[xi], &(int){ 0 })) < 0)
		return rc;
	value *y;
	if ((rc = new_value(pl, nd->outputs[0], &y)) < 0)
		return rc;
	int yi = vidx(pl, y);
	x = &pl->vals[xi];
	ptrdiff_t sx[MAX_DIMS], st[MAX_DIMS], want[MAX_DIMS];
	strides_of(x, sx);
	y->ndims = n;
	for (int i = 0; i < n; i++) {
		y->dims[i] = x->dims[perm[i]];
		st[i] = sx[perm[i]];
	}
	/* relabel when the result is plain, or an activation of x's store */
	strides_of(y, want);
	bool alias = same_strides(y->dims, n, st, want);
	if (!alias && n == 4 && y->dims[0] == 1 && y->dims[1] <= MAX_CHANNELS) {
		y->act = true;
		y->cs = x->act ? x->cs : (int)y->dims[1];
		strides_of(y, want);
		alias = same_strides(y->dims, n, st, want);
		if (!alias)
			y->act = false;
	}
	if (alias) {
		y->store = x->store;
		y->producer = x->producer;
		return 0;
	}
	return emit_copy(pl, xi, st, yi);
}

/* The int64 constant called name (a shape). */
static int int_constant(plan *pl, const char *name, const int64_t **v,
                        size_t *n)
{
	value *c;
	int rc = get_value(pl, name, &c);
	*v = NULL;
	*n = 0;
	if (rc < 0)
		return rc;
	if (!c->is_const || !c->ci || c->ndims != 1)
		return fail(pl, HS_ENOTSUP,
		            "'%s' must be a constant 1-D int64 tensor", name);
	*v = c->ci;
	*n = (size_t)c->dims[0];
	return 0;
}

static int op_reshape(plan *pl)
{
	const hs_onnx_node *nd = pl->node;
	value *x;
	const int64_t *shape;
	size_t n;
	int64_t allowzero;
	int rc;
	if ((rc = check_arity(pl, 2, 2, 1, 1)) < 0 ||
	    (rc = get_value(pl, nd->inputs[0], &x)) < 0 ||
	    (rc = int_constant(pl, nd->inputs[1], &shape, &n)) < 0 ||
	    (rc = attr_int(pl, "allowzero", 0, &allowzero)) < 0)
		return rc;
	if (n > MAX_DIMS)
		return fail(pl, HS_ENOTSUP, "%zu dimensions", n);
	int xi = vidx(pl, x);
	int64_t dims[MAX_DIMS];
	size_t known = 1, total = count_of(x);
	int infer = -1;
	for (size_t i = 0; i < n; i++) {
		dims[i] = shape[i];
		if (dims[i] == 0 && !allowzero) {
			if ((int)i >= x->ndims)
				return fail(pl, HS_EFORMAT,
				            "shape copies "
				            "dimension %zu of %d",
				            i, x->ndims);
			dims[i] = x->dims[i];
		}
		if (dims[i] == -1 && infer < 0) {
			infer = (int)i;
			continue;
		}
		if (dims[i] < 0 ||
		    (dims[i] && known > MAX_FLOATS / (size_t)dims[i]))
			return fail(pl, HS_EFORMAT, "shape has %lld",
			            (long long)dims[i]);
		known *= (size_t)dims[i];
	}
	if (infer >= 0) {
		if (known == 0 || total % known != 0)
			return fail(pl, HS_EFORMAT,
			            "cannot infer a dimension of %zu / %zu",
			            total, known);
		dims[infer] = (int64_t)(total / known);
		known = total;
	}
	if (known != total)
		return fail(pl, HS_EFORMAT, "%zu values into a shape of %zu",
		            total, known);
	if (pl->vals[xi].is_const && pl->vals[xi].ci) {
		/* a shape computed from a shape: stays a constant */
		int yi;
		if ((rc = copy_value(pl, xi, nd->outputs[0], &yi)) < 0)
			return rc;
		value *y = &pl->vals[yi];
		y->ndims = (int)n;
		memcpy(y->dims, dims, n * sizeof dims[0]);
		return 0;
	}
	if ((rc = to_plain(pl, xi, &xi)) < 0 ||
	    (rc = value_store(pl, &pl->vals[xi], &(int){ 0 })) < 0)
		return rc;
	value *y;
	if ((rc = new_value(pl, nd->outputs[0], &y)) < 0)
		return rc;
	const value *src = &pl->vals[xi];
	y->ndims = (int)n;
	memcpy(y->dims, dims, n * sizeof dims[0]);
	y->store = src->store;
	y->producer = src->producer;
	return 0;
}

/* Pad with zeros (mode "constant", value 0).  Zeros after the channels of
 * an activation cost nothing: the result is a view of x's store, as for
 * a Concat with zeros (MediaPipe widens its residual branches so).  Other
 * padding is a copy into a zeroed store; padding the batch, cropping
 * (negative pads), other values and other modes are refused. */
static int op_pad(plan *pl)
{
	const hs_onnx_node *nd = pl->node;
	value *x;
	int rc;
	if ((rc = check_arity(pl, 1, 4, 1, 1)) < 0 ||
	    (rc = get_value(pl, nd->inputs[0], &x)) < 0)
		return rc;
	const hs_onnx_attr *a = hs_onnx_attr_find(nd, "mode");
	if (a && (a->type != HS_ONNX_ATTR_STRING || !a->s))
		return fail(pl, HS_EFORMAT, "attribute 'mode' should be text");
	if (a && strcmp(a->s, "constant") != 0)
		return fail(pl, HS_ENOTSUP, "mode '%s' (only constant zeros)",
		            a->s);
	const int n = x->ndims;
	int64_t pads[2 * MAX_DIMS];
	if (nd->n_inputs >= 2 && nd->inputs[1][0]) {
		const int64_t *p;
		size_t np;
		if ((rc = int_constant(pl, nd->inputs[1], &p, &np)) < 0)
			return rc;
		if (np != 2 * (size_t)n)
			return fail(pl, HS_EFORMAT,
			            "%zu pads for %d dimensions", np, n);
		memcpy(pads, p, np * sizeof *p);
	} else {
		/* before opset 11 the pads and the value were attributes */
		if (!hs_onnx_attr_find(nd, "pads"))
			return fail(pl, HS_EFORMAT, "no pads");
		if ((rc = attr_ints(pl, "pads", 2 * n, 0, pads)) < 0)
			return rc;
		if ((a = hs_onnx_attr_find(nd, "value")) &&
		    (a->type != HS_ONNX_ATTR_FLOAT || a->f != 0))
			return fail(pl, HS_ENOTSUP,
			            "a pad value other than 0 (%g)",
			            (double)a->f);
	}
	if (nd->n_inputs >= 3 && nd->inputs[2][0]) {
		value *cv;
		if ((rc = get_value(pl, nd->inputs[2], &cv)) < 0)
			return rc;
		if (!cv->is_const || (!cv->cf && !cv->zero) ||
		    count_of(cv) != 1)
			return fail(pl, HS_ENOTSUP,
			            "the pad value '%s' must be one float32 "
			            "constant",
			            nd->inputs[2]);
		if (cv->cf && cv->cf[0] != 0)
			return fail(pl, HS_ENOTSUP,
			            "a pad value other than 0 (%g)",
			            (double)cv->cf[0]);
	}
	if (nd->n_inputs >= 4 && nd->inputs[3][0])
		return fail(pl, HS_ENOTSUP, "the 'axes' input");
	int64_t dims[MAX_DIMS];
	size_t total = 1;
	bool any = false;
	for (int i = 0; i < n; i++) {
		const int64_t lo = pads[i], hi = pads[n + i];
		if (lo < 0 || hi < 0)
			return fail(
			        pl, HS_ENOTSUP,
			        "negative pads (%lld, %lld) on dimension %d",
			        (long long)lo, (long long)hi, i);
		if (i == 0 && lo + hi > 0)
			return fail(pl, HS_ENOTSUP, "padding the batch");
		if (lo > (int64_t)MAX_FLOATS || hi > (int64_t)MAX_FLOATS)
			return fail(pl, HS_ENOTSUP, "pads of %lld",
			            (long long)(lo > hi ? lo : hi));
		dims[i] = x->dims[i] + lo + hi;
		if (dims[i] && total > MAX_FLOATS / (size_t)dims[i])
			return fail(pl, HS_ENOTSUP, "too large");
		total *= (size_t)dims[i];
		any = any || lo + hi > 0;
	}
	int xi = vidx(pl, x), yi;
	if (!any)
		return copy_value(pl, xi, nd->outputs[0], &yi);
	const bool batch1 = n == 4 && x->dims[0] == 1;
	if (batch1 && dims[1] > MAX_CHANNELS)
		return fail(pl, HS_ENOTSUP, "%lld channels are too many",
		            (long long)dims[1]);
	if (batch1 && pads[1] + pads[2] + pads[3] + pads[6] + pads[7] == 0) {
		/* only channels added at the end: a view, the input turned
		 * into an activation first when it is not one */
		if (!x->act && (rc = to_act(pl, xi, true, &xi)) < 0)
			return rc;
		if ((rc = copy_value(pl, xi, nd->outputs[0], &yi)) < 0)
			return rc;
		pl->vals[yi].dims[1] = dims[1];
		return 0;
	}
	/* a copy: from a dense source, to its place in a zeroed store */
	if (x->act && x->cs < x->dims[1] &&
	    (rc = to_act(pl, xi, false, &xi)) < 0)
		return rc;
	value *y;
	if ((rc = new_value(pl, nd->outputs[0], &y)) < 0)
		return rc;
	yi = vidx(pl, y);
	x = &pl->vals[xi];
	y->ndims = n;
	memcpy(y->dims, dims, sizeof dims);
	if (batch1) {
		y->act = true;
		y->cs = round_vec(dims[1]);
	}
	int64_t extent[MAX_DIMS];
	ptrdiff_t sx[MAX_DIMS], sy[MAX_DIMS], off = 0;
	memcpy(extent, x->dims, sizeof extent);
	strides_of(x, sx);
	strides_of(y, sy);
	for (int i = 0; i < n; i++)
		off += (ptrdiff_t)pads[i] * sy[i];
	return emit_copy_box(pl, xi, sx, yi, extent, off);
}

static int op_identity(plan *pl)
{
	const hs_onnx_node *nd = pl->node;
	value *x;
	int rc = only_input(pl, &x);
	if (rc < 0)
		return rc;
	return copy_value(pl, vidx(pl, x), nd->outputs[0], &(int){ 0 });
}

/* A constant tensor value from a TensorProto. */
static int constant_value(plan *pl, const char *name, const hs_onnx_tensor *t)
{
	if (t->external)
		return fail(pl, HS_ENOTSUP,
		            "'%s' keeps its data in another file", name);
	value *v;
	int rc = new_value(pl, name, &v);
	if (rc < 0)
		return rc;
	v->is_const = true;
	v->ndims = t->ndims;
	memcpy(v->dims, t->dims, sizeof v->dims);
	v->cf = t->f;
	v->ci = t->i64;
	return 0;
}

static int op_constant(plan *pl)
{
	const hs_onnx_node *nd = pl->node;
	const hs_onnx_attr *a = hs_onnx_attr_find(nd, "value");
	if (nd->n_outputs != 1)
		return fail(pl, HS_EFORMAT, "%d outputs", nd->n_outputs);
	if (!a || !a->t)
		return fail(pl, HS_ENOTSUP, "only a 'value' tensor");
	return constant_value(pl, nd->outputs[0], a->t);
}

static int op_constant_of_shape(plan *pl)
{
	const hs_onnx_node *nd = pl->node;
	const int64_t *shape;
	size_t n;
	int rc;
	if ((rc = check_arity(pl, 1, 1, 1, 1)) < 0 ||
	    (rc = int_constant(pl, nd->inputs[0], &shape, &n)) < 0)
		return rc;
	if (n > MAX_DIMS)
		return fail(pl, HS_ENOTSUP, "%zu dimensions", n);
	float fill = 0;
	const hs_onnx_attr *a = hs_onnx_attr_find(nd, "value");
	if (a) {
		if (!a->t || !a->t->f || a->t->count != 1)
			return fail(pl, HS_ENOTSUP,
			            "'value' must be one float32");
		fill = a->t->f[0];
	}
	value *v;
	if ((rc = new_value(pl, nd->outputs[0], &v)) < 0)
		return rc;
	v->is_const = true;
	v->ndims = (int)n;
	size_t total = 1;
	for (size_t i = 0; i < n; i++) {
		if (shape[i] < 0 ||
		    (shape[i] && total > MAX_FLOATS / (size_t)shape[i]))
			return fail(pl, HS_ENOTSUP, "shape has %lld",
			            (long long)shape[i]);
		v->dims[i] = shape[i];
		total *= (size_t)shape[i];
	}
	v->zero = fill == 0;
	if (v->zero)
		return 0;
	int vi = vidx(pl, v), id;
	float *data;
	if ((rc = new_store(pl, total, &id)) < 0 ||
	    (rc = alloc_const(pl, total, &data)) < 0)
		return rc;
	for (size_t i = 0; i < total; i++)
		data[i] = fill;
	pl->stores[id].data = data;
	pl->vals[vi].store = id;
	return 0;
}

typedef struct op {
	const char *name;
	int (*plan)(plan *pl);
} op;

static const op ops[] = {
	{ "Conv", op_conv },
	{ "Add", op_add },
	{ "Relu", op_relu },
	{ "PRelu", op_prelu },
	{ "Sigmoid", op_sigmoid },
	{ "Pad", op_pad },
	{ "MaxPool", op_maxpool },
	{ "Concat", op_concat },
	{ "Transpose", op_transpose },
	{ "Reshape", op_reshape },
	{ "Identity", op_identity },
	{ "Constant", op_constant },
	{ "ConstantOfShape", op_constant_of_shape },
};

static int plan_inputs(plan *pl)
{
	const hs_onnx_model *m = pl->m;
	int rc;
	for (int i = 0; i < m->n_initializers; i++) {
		const hs_onnx_tensor *t = &m->initializers[i];
		if (!find_value(pl, t->name) &&
		    (rc = constant_value(pl, t->name, t)) < 0)
			return rc;
	}
	const hs_onnx_value *in = NULL;
	for (int i = 0; i < m->n_inputs; i++) {
		if (find_value(pl, m->inputs[i].name))
			continue; /* an initializer listed as an input */
		if (in)
			return fail(pl, HS_ENOTSUP,
			            "more than one input ('%s', '%s')",
			            in->name, m->inputs[i].name);
		in = &m->inputs[i];
	}
	if (!in)
		return fail(pl, HS_EFORMAT, "the graph has no input");
	if (in->elem_type != HS_ONNX_FLOAT || in->ndims < 1)
		return fail(pl, HS_ENOTSUP,
		            "input '%s' must be float32 with a known shape",
		            in->name);
	value *v;
	if ((rc = new_value(pl, in->name, &v)) < 0)
		return rc;
	v->ndims = in->ndims;
	size_t total = 1;
	for (int k = 0; k < in->ndims; k++) {
		int64_t d = in->dims[k];
		if (d < 0 && k == 0)
			d = 1; /* a batch of one */
		if (d < 1 || (size_t)d > MAX_FLOATS / total)
			return fail(pl, HS_ENOTSUP,
			            "input '%s' has dimension %d of %lld",
			            in->name, k, (long long)in->dims[k]);
		v->dims[k] = d;
		total *= (size_t)d;
	}
	int vi = vidx(pl, v), id;
	if ((rc = new_store(pl, total, &id)) < 0)
		return rc;
	pl->vals[vi].store = id;
	pl->stores[id].pinned = true;
	pl->input_store = id;
	pl->input_count = total;
	return 0;
}

static int plan_nodes(plan *pl)
{
	for (int i = 0; i < pl->m->n_nodes; i++) {
		const hs_onnx_node *nd = &pl->m->nodes[i];
		pl->node = nd;
		pl->node_index = i;
		if (nd->domain[0] && strcmp(nd->domain, "ai.onnx") != 0)
			return fail(pl, HS_ENOTSUP,
			            "operator '%s' of domain '%s' is not "
			            "supported",
			            nd->op_type, nd->domain);
		const op *o = NULL;
		for (size_t k = 0; k < sizeof ops / sizeof ops[0]; k++)
			if (strcmp(ops[k].name, nd->op_type) == 0)
				o = &ops[k];
		if (!o)
			return fail(pl, HS_ENOTSUP,
			            "operator '%s' is not supported",
			            nd->op_type);
		int rc = o->plan(pl);
		if (rc < 0)
			return rc;
	}
	pl->node = NULL;
	return 0;
}

static int plan_outputs(plan *pl)
{
	const hs_onnx_model *m = pl->m;
	if (m->n_outputs < 1)
		return fail(pl, HS_EFORMAT, "the graph has no output");
	pl->outs = calloc((size_t)m->n_outputs, sizeof *pl->outs);
	if (!pl->outs)
		return HS_ENOMEM;
	for (int i = 0; i < m->n_outputs; i++) {
		value *v;
		int rc = get_value(pl, m->outputs[i].name, &v), vi, st;
		if (rc < 0)
			return rc;
		if ((rc = to_plain(pl, vidx(pl, v), &vi)) < 0 ||
		    (rc = value_store(pl, &pl->vals[vi], &st)) < 0)
			return rc;
		output *o = &pl->outs[pl->n_outs++];
		o->name = strdup(m->outputs[i].name);
		if (!o->name)
			return HS_ENOMEM;
		o->store = st;
		o->count = count_of(&pl->vals[vi]);
		pl->stores[st].pinned = true;
	}
	return 0;
}

/* ---- memory -------------------------------------------------------------- */

static void note_use(store *stores, int id, int i)
{
	if (id >= 0 && stores[id].last < i)
		stores[id].last = i;
}

typedef struct slot {
	size_t cap;
	int busy_until;
	size_t offset;
} slot;

/* Give every store written by a step a slot of the arena, sharing a slot
 * between stores whose lifetimes do not overlap, then point the steps at
 * their memory. */
static int lay_out(plan *pl, hs_nn *nn)
{
	store *stores = pl->stores;
	for (int i = 0; i < pl->n_steps; i++) {
		const step *s = &pl->steps[i];
		note_use(stores, s->in, i);
		note_use(stores, s->in2, i);
		for (int p = 0; p < s->n_parts; p++)
			note_use(stores, s->parts[p].store, i);
		if (stores[s->out].first < 0)
			stores[s->out].first = i;
	}
	slot *slots = calloc((size_t)pl->n_stores + 1, sizeof *slots);
	if (!slots)
		return HS_ENOMEM;
	int n_slots = 0;
	for (int i = 0; i < pl->n_steps; i++) {
		store *st = &stores[pl->steps[i].out];
		if (st->slot >= 0 || st->data)
			continue;
		if (st->pinned || st->last < 0) {
			slots[n_slots].cap = st->size;
			slots[n_slots].busy_until = INT_MAX;
			st->slot = n_slots++;
			continue;
		}
		/* the smallest free slot that fits, else the largest free
		 * one (grown), else a new one */
		int fit = -1, big = -1;
		for (int k = 0; k < n_slots; k++) {
			if (slots[k].busy_until >= i)
				continue;
			if (slots[k].cap >= st->size &&
			    (fit < 0 || slots[k].cap < slots[fit].cap))
				fit = k;
			if (big < 0 || slots[k].cap > slots[big].cap)
				big = k;
		}
		int best = fit >= 0 ? fit : big;
		if (best < 0)
			best = n_slots++;
		if (slots[best].cap < st->size)
			slots[best].cap = st->size;
		slots[best].busy_until = st->last;
		st->slot = best;
	}
	/* the input: written by hs_nn_run(), read by the steps */
	store *in = &stores[pl->input_store];
	if (in->slot < 0) {
		slots[n_slots].cap = in->size;
		in->slot = n_slots++;
	}
	size_t total = 0;
	for (int k = 0; k < n_slots; k++) {
		slots[k].offset = total;
		total += (slots[k].cap + 15) & ~(size_t)15;
	}
	if (total > MAX_FLOATS) {
		free(slots);
		return fail(pl, HS_ENOTSUP, "the tensors need %zu MiB",
		            total >> 18);
	}
	nn->arena = alloc_floats(total);
	nn->memory = total * sizeof(float);
	size_t zero_len = 0;
	for (int i = 0; i < pl->n_steps; i++)
		if (pl->steps[i].kind == K_DW) {
			size_t len = (size_t)pl->steps[i].iw *
			             (size_t)pl->steps[i].ics;
			if (len > zero_len)
				zero_len = len;
		}
	nn->zero_row = alloc_floats(zero_len + CH_ROUND);
	if (!nn->arena || !nn->zero_row) {
		free(slots);
		return HS_ENOMEM;
	}
	for (int id = 0; id < pl->n_stores; id++)
		if (!stores[id].data && stores[id].slot >= 0)
			stores[id].offset = slots[stores[id].slot].offset;
	free(slots);
	return 0;
}

static float *store_ptr(const hs_nn *nn, int id)
{
	if (id < 0)
		return NULL;
	const store *st = &nn->stores[id];
	return st->data ? st->data : nn->arena + st->offset;
}

static void point_steps(hs_nn *nn)
{
	for (int i = 0; i < nn->n_steps; i++) {
		step *s = &nn->steps[i];
		s->x = store_ptr(nn, s->in);
		s->x2 = store_ptr(nn, s->in2);
		s->y = store_ptr(nn, s->out);
		s->zero_row = nn->zero_row;
		for (int p = 0; p < s->n_parts; p++)
			s->parts[p].src = store_ptr(nn, s->parts[p].store);
	}
}

/* ---- the engine ---------------------------------------------------------- */

static void free_steps(step *steps, int n)
{
	for (int i = 0; i < n; i++) {
		free(steps[i].w);
		free(steps[i].b);
		free(steps[i].slope);
		free(steps[i].parts);
	}
	free(steps);
}

static void free_stores(store *stores, int n)
{
	for (int i = 0; i < n; i++)
		free(stores[i].data);
	free(stores);
}

static void free_outputs(output *outs, int n)
{
	for (int i = 0; outs && i < n; i++)
		free(outs[i].name);
	free(outs);
}

int hs_nn_create_from_buffer(const void *data, size_t size, hs_nn **out,
                             char *err, size_t err_size)
{
	hs_onnx_model *m = NULL;
	hs_nn *nn = NULL;
	plan pl = { .err = err, .err_size = err_size, .input_store = -1 };
	if (err && err_size)
		err[0] = '\0';
	int rc = hs_onnx_parse(data, size, &m);
	if (rc < 0) {
		fail(&pl, rc, "%s",
		     rc == HS_EFORMAT   ? "not a well-formed ONNX model"
		     : rc == HS_ENOTSUP ? "a tensor of more than 8 dimensions"
		                        : hs_strerror(rc));
		goto cleanup;
	}
	pl.m = m;
	if ((rc = plan_inputs(&pl)) < 0 || (rc = plan_nodes(&pl)) < 0 ||
	    (rc = plan_outputs(&pl)) < 0)
		goto cleanup;
	if (pl.n_steps == 0) {
		rc = fail(&pl, HS_ENOTSUP, "a graph without a computation");
		goto cleanup;
	}
	rc = HS_ENOMEM;
	if (!(nn = calloc(1, sizeof *nn)))
		goto cleanup;
	if ((rc = lay_out(&pl, nn)) < 0)
		goto cleanup;
	nn->steps = pl.steps;
	nn->n_steps = pl.n_steps;
	nn->stores = pl.stores;
	nn->n_stores = pl.n_stores;
	nn->outs = pl.outs;
	nn->n_outs = pl.n_outs;
	nn->input_store = pl.input_store;
	nn->input_count = pl.input_count;
	nn->k = best_kernels();
	pl.steps = NULL;
	pl.stores = NULL;
	pl.outs = NULL;
	pl.n_steps = pl.n_stores = pl.n_outs = 0;
	point_steps(nn);
	*out = nn;
	nn = NULL;
	rc = 0;
cleanup:
	if (rc == HS_ENOMEM && err && err_size && !err[0])
		snprintf(err, err_size, "%s", hs_strerror(rc));
	hs_nn_destroy(nn);
	free_outputs(pl.outs, pl.n_outs);
	free_steps(pl.steps, pl.n_steps);
	free_stores(pl.stores, pl.n_stores);
	free(pl.vals);
	hs_onnx_destroy(m);
	return rc;
}

int hs_nn_create(const char *path, hs_nn **out, char *err, size_t err_size)
{
	if (err && err_size)
		err[0] = '\0';
	unsigned char *buf = NULL;
	int rc;
	FILE *f = fopen(path, "rb");
	if (!f) {
		rc = hs_err_from_errno(errno);
		if (err && err_size)
			snprintf(err, err_size, "cannot open it: %s",
			         strerror(errno));
		return rc;
	}
	long size = -1;
	if (fseek(f, 0, SEEK_END) == 0)
		size = ftell(f);
	if (size < 0 || size > MAX_MODEL_BYTES || fseek(f, 0, SEEK_SET) != 0) {
		rc = size > MAX_MODEL_BYTES ? HS_ENOTSUP : HS_EIO;
		if (err && err_size)
			snprintf(err, err_size, "%s",
			         rc == HS_ENOTSUP ? "larger than 256 MiB"
			                          : "cannot read it");
		goto cleanup;
	}
	rc = HS_ENOMEM;
	if (!(buf = malloc(size ? (size_t)size : 1)))
		goto cleanup;
	if (fread(buf, 1, (size_t)size, f) != (size_t)size) {
		rc = HS_EIO;
		if (err && err_size)
			snprintf(err, err_size, "cannot read it");
		goto cleanup;
	}
	rc = hs_nn_create_from_buffer(buf, (size_t)size, out, err, err_size);
cleanup:
	free(buf);
	fclose(f);
	return rc;
}

void hs_nn_destroy(hs_nn *nn)
{
	if (!nn)
		return;
	free_steps(nn->steps, nn->n_steps);
	free_stores(nn->stores, nn->n_stores);
	free_outputs(nn->outs, nn->n_outs);
	free(nn->arena);
	free(nn->zero_row);
	free(nn);
}

size_t hs_nn_input_count(const hs_nn *nn)
{
	return nn->input_count;
}

int hs_nn_run(hs_nn *nn, const float *input, size_t count)
{
	if (!input || count != nn->input_count)
		return HS_EINVAL;
	memcpy(store_ptr(nn, nn->input_store), input, count * sizeof *input);
	const kernels *k = nn->k;
	for (int i = 0; i < nn->n_steps; i++) {
		const step *s = &nn->steps[i];
		switch (s->kind) {
		case K_CONV:
			if (s->act == ACT_PRELU)
				k->conv_prelu(s);
			else
				k->conv(s);
			break;
		case K_DW:
			if (s->act == ACT_PRELU)
				k->dw_prelu(s);
			else
				k->dw(s);
			break;
		case K_POOL:
			k->pool(s);
			break;
		case K_ADD:
			k->add(s);
			break;
		case K_RELU:
			k->relu(s);
			break;
		case K_PRELU:
			k->prelu(s);
			break;
		case K_SIGMOID:
			run_sigmoid(s);
			break;
		case K_COPY:
			run_copy(s);
			break;
		case K_CONCAT:
			run_concat(s);
			break;
		}
	}
	return 0;
}

int hs_nn_output_count(const hs_nn *nn)
{
	return nn->n_outs;
}

int hs_nn_output_index(const hs_nn *nn, const char *name)
{
	for (int i = 0; i < nn->n_outs; i++)
		if (strcmp(nn->outs[i].name, name) == 0)
			return i;
	return HS_ENOENT;
}

const char *hs_nn_output_name(const hs_nn *nn, int index)
{
	return index >= 0 && index < nn->n_outs ? nn->outs[index].name : NULL;
}

const float *hs_nn_output(const hs_nn *nn, int index, size_t *count)
{
	if (index < 0 || index >= nn->n_outs)
		return NULL;
	if (count)
		*count = nn->outs[index].count;
	return store_ptr(nn, nn->outs[index].store);
}

size_t hs_nn_memory(const hs_nn *nn)
{
	size_t bytes = nn->memory;
	for (int i = 0; i < nn->n_steps; i++) {
		const step *s = &nn->steps[i];
		if (s->w)
			bytes += ((size_t)s->kh * (size_t)s->kw *
			                  (size_t)(s->kind == K_DW ? 1
			                                           : s->cin) *
			                  (size_t)s->ocs +
			          (size_t)s->ocs) *
			         sizeof(float);
		if (s->slope)
			bytes += (size_t)s->ocs * sizeof(float);
	}
	for (int i = 0; i < nn->n_stores; i++)
		if (nn->stores[i].data)
			bytes += nn->stores[i].size * sizeof(float);
	return bytes;
}

const char *hs_nn_isa(const hs_nn *nn)
{
	return nn->k->name;
}

int hs_nn_set_isa(hs_nn *nn, const char *isa)
{
	const kernels *all[] = {
#ifdef HS_NN_X86
		&kernels_avx512,
		&kernels_avx2,
#endif
		&kernels_generic,
	};
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
		if (strcmp(all[i]->name, isa) != 0)
			continue;
#ifdef HS_NN_X86
		__builtin_cpu_init();
		if (all[i] == &kernels_avx512 &&
		    !(__builtin_cpu_supports("avx512f") &&
		      __builtin_cpu_supports("avx512vl")))
			return HS_ENOTSUP;
		if (all[i] == &kernels_avx2 &&
		    !(__builtin_cpu_supports("avx2") &&
		      __builtin_cpu_supports("fma")))
			return HS_ENOTSUP;
#endif
		nn->k = all[i];
		return 0;
	}
	return (strcmp(isa, "avx512") == 0 || strcmp(isa, "avx2") == 0)
	               ? HS_ENOTSUP
	               : HS_EINVAL;
}
