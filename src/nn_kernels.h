/* nn_kernels.h - the vector kernels of nn.c, one vector width at a time.
 *
 * Not an interface: nn.c includes this file once per width after defining
 * VW (floats per vector: 4, 8 or 16), vec and veci (GCC vector types of
 * VW floats and int32s).  Every function is named KN(name), that is
 * name_wVW, and is always inlined into the per-instruction-set wrappers in
 * nn.c, so one source gives SSE2 code with 4-wide vectors, AVX2 code with
 * 8-wide ones and AVX-512 code with 16-wide ones.  Channel strides are
 * multiples of 8: 16-wide kernels end a row of 8 more channels with an
 * 8-wide step (and so come after the 8-wide inclusion), except the
 * convolution, which uses a 16-wide vector and drops its upper half.
 */
#define KN_CAT(name, w) name##_w##w
#define KN_EXPAND(name, w) KN_CAT(name, w)
#define KN(name) KN_EXPAND(name, VW)

#define LD(p) (*(const vec *)(const void *)(p))
#define ST(p, v) (*(vec *)(void *)(p) = (v))
#define RELU(a) ((vec)((veci)(a) & ((a) > (vec){ 0 })))

/* PRelu: a where a >= 0 (or NaN), a * sl where a < 0. */
#define PRELU(a, sl)                               \
	((vec)(((veci)(a) & ~((a) < (vec){ 0 })) | \
	       ((veci)((a) * (sl)) & ((a) < (vec){ 0 }))))
/* The step's activation act on a; sl, the slopes of a's channels, is only
 * evaluated for ACT_PRELU.  The hot kernels (conv and depthwise 3x3) do
 * not use it: they are built twice, with PRelu and without, since a third
 * test in their stores made BlazeFace 9% slower with AVX2. */
#define ACTIVATE(a, act, sl) \
	((act) == ACT_RELU ? RELU(a) : (act) == ACT_PRELU ? PRELU(a, sl) : (a))
/* The same in the hot kernels: PR fixed when the kernel is built, relu
 * read from the step once. */
#define ACTIVATE_FIXED(a, PR, relu, sl) \
	((PR) ? PRELU(a, sl) : (relu) ? RELU(a) : (a))

/* acc[i][0..nr) += the n taps from px (pixel i at px + i * xstep) times
 * the weight rows from wk, ocs apart. */
ALWAYS void KN(conv_taps)(vec acc[MAX_MR][MAX_NR], const float *px,
                          const float *wk, int n, ptrdiff_t xstep, int ocs,
                          const int mr, const int nr)
{
	for (int k = 0; k < n; k++, px++, wk += ocs) {
		vec wv[MAX_NR];
		for (int j = 0; j < nr; j++)
			wv[j] = LD(wk + VW * j);
		for (int i = 0; i < mr; i++) {
			const float xv = px[i * xstep];
			for (int j = 0; j < nr; j++)
				acc[i][j] += wv[j] * xv;
		}
	}
}

/* mr pixels (oy, ox...) x nr vectors of output channels from vector j0,
 * summed over the taps ky0..ky1 x kx0..kx1 (those inside the input); then
 * the residual, the activation, the store.  With mr and nr constants the
 * accumulators live in registers; PR (a constant too) says whether the
 * activation is a PRelu, else the step's Relu or none.  When half is true
 * (16-wide vectors only) the last vector holds the row's final 8 channels:
 * its upper lanes read past the row (the weights, bias and slopes have
 * room) and are dropped. */
ALWAYS void KN(conv_tile)(const step *s, int oy, int ox, int j0, int ky0,
                          int ky1, int kx0, int kx1, const int mr, const int nr,
                          const bool half, const bool PR)
{
	const int ics = s->ics, ocs = s->ocs, cin = s->cin, kw = s->kw;
	const ptrdiff_t xstep = (ptrdiff_t)s->sw * ics;
	const int iy0 = oy * s->sh - s->pt, ix0 = ox * s->sw - s->pl;
	const float *const x = s->x, *const w = s->w;
	vec acc[MAX_MR][MAX_NR];
	for (int j = 0; j < nr; j++) {
		const vec bj = LD(s->b + VW * (j0 + j));
		for (int i = 0; i < mr; i++)
			acc[i][j] = bj;
	}
	const size_t wtap = (size_t)cin * ocs; /* weights of one tap */
	if (kx0 >= kx1)
		ky1 = ky0; /* no column inside the input */
	for (int ky = ky0; ky < ky1; ky++) {
		/* the first tap inside the input, and its weights */
		const float *px =
		        x + ((ptrdiff_t)(iy0 + ky) * s->iw + ix0 + kx0) * ics;
		const float *wk = w + ((size_t)ky * kw + kx0) * wtap + VW * j0;
		if (ics == cin) {
			/* dense pixels: one run of taps along the row */
			const int n = (kx1 - kx0) * cin;
			KN(conv_taps)(acc, px, wk, n, xstep, ocs, mr, nr);
			continue;
		}
		for (int kx = kx0; kx < kx1; kx++, px += ics, wk += wtap)
			KN(conv_taps)(acc, px, wk, cin, xstep, ocs, mr, nr);
	}
	const size_t pix = (size_t)oy * s->ow + ox;
	const float *const x2 = s->x2;
	const int rcs = s->rcs;
	const bool relu = s->act == ACT_RELU;
	float *const yb = s->y;
	for (int i = 0; i < mr; i++) {
		float *y = yb + (pix + i) * ocs + VW * j0;
		const float *r = x2 ? x2 + (pix + i) * rcs : NULL;
		for (int j = 0; j < nr; j++) {
			vec a = acc[i][j];
			const int c0 = VW * (j0 + j); /* first channel */
#if VW == 16
			if (r && c0 < rcs && c0 + VW > rcs) {
				/* 8 residual channels left */
				const v8f t =
				        *(const v8f *)(const void *)(r + c0);
				a += __builtin_shufflevector(
				        t, (v8f){ 0 }, 0, 1, 2, 3, 4, 5, 6, 7,
				        8, 9, 10, 11, 12, 13, 14, 15);
			} else if (r && c0 < rcs) {
				a += LD(r + c0);
			}
			/* the slopes have room for the 16-wide read */
			if (PR)
				a = PRELU(a, LD(s->slope + c0));
			if (half && j == nr - 1) {
				v8f lo = __builtin_shufflevector(a, a, 0, 1, 2,
				                                 3, 4, 5, 6, 7);
				if (relu)
					lo = (v8f)((v8i)lo & (lo > (v8f){ 0 }));
				*(v8f *)(void *)(y + VW * j) = lo;
				continue;
			}
#else
			(void)half;
			if (r && c0 < rcs)
				a += LD(r + c0);
			if (PR)
				a = PRELU(a, LD(s->slope + c0));
#endif
			if (relu)
				a = RELU(a);
			ST(y + VW * j, a);
		}
	}
}

/* Every output vector of mr pixels, NR vectors at a time. */
ALWAYS void KN(conv_pixels)(const step *s, int oy, int ox, int ky0, int ky1,
                            int kx0, int kx1, const int mr, const int NR,
                            const bool PR)
{
	const bool half = s->ocs % VW != 0; /* 16-wide: 8 channels more */
	const int nv = (s->ocs + VW - 1) / VW;
	int j0 = 0;
	for (; j0 + NR < nv; j0 += NR)
		KN(conv_tile)
	(s, oy, ox, j0, ky0, ky1, kx0, kx1, mr, NR, false, PR);
	/* the last 1 to 4 vectors: one call per count, so that each inlined
	 * tile has a constant width and keeps its sums in registers */
	switch (nv - j0) {
	case 1:
		KN(conv_tile)
		(s, oy, ox, j0, ky0, ky1, kx0, kx1, mr, 1, half, PR);
		break;
	case 2:
		KN(conv_tile)
		(s, oy, ox, j0, ky0, ky1, kx0, kx1, mr, 2, half, PR);
		break;
	case 3:
		KN(conv_tile)
		(s, oy, ox, j0, ky0, ky1, kx0, kx1, mr, 3, half, PR);
		break;
	case 4:
		KN(conv_tile)
		(s, oy, ox, j0, ky0, ky1, kx0, kx1, mr, 4, half, PR);
		break;
	default:
		break;
	}
}

/* One pixel at the edge: only the taps inside the input. */
ALWAYS void KN(conv_edge)(const step *s, int oy, int ox, int ky0, int ky1,
                          const int NR, const bool PR)
{
	const int ix0 = ox * s->sw - s->pl;
	const int kx0 = ix0 < 0 ? -ix0 : 0;
	const int kx1 = s->iw - ix0 < s->kw ? s->iw - ix0 : s->kw;
	KN(conv_pixels)(s, oy, ox, ky0, ky1, kx0, kx1, 1, NR, PR);
}

/* The convolution; PR: its activation is a PRelu.  Each value of PR makes
 * a kernel of its own in nn.c: inlined into one function together, the two
 * made GCC compile the one without PRelu to 11% more instructions. */
ALWAYS void KN(conv_impl)(const step *s, const int MR, const int NR,
                          const bool PR)
{
	int lo, hi;
	interior_columns(s, &lo, &hi);
	for (int oy = 0; oy < s->oh; oy++) {
		const int iy0 = oy * s->sh - s->pt;
		const int ky0 = iy0 < 0 ? -iy0 : 0;
		const int ky1 = s->ih - iy0 < s->kh ? s->ih - iy0 : s->kh;
		int ox = 0;
		for (; ox < lo; ox++)
			KN(conv_edge)(s, oy, ox, ky0, ky1, NR, PR);
		for (; ox + MR <= hi; ox += MR)
			KN(conv_pixels)
		(s, oy, ox, ky0, ky1, 0, s->kw, MR, NR, PR);
		for (; ox < hi; ox++)
			KN(conv_pixels)
		(s, oy, ox, ky0, ky1, 0, s->kw, 1, NR, PR);
		for (; ox < s->ow; ox++)
			KN(conv_edge)(s, oy, ox, ky0, ky1, NR, PR);
	}
}

/* One output pixel of a depthwise 3x3 at the edge: taps outside the
 * input skipped.  r[ky] points at column 0 of the rows, channel v. */
ALWAYS void KN(dw3_edge)(const step *s, const float *const r[3], const vec w[9],
                         const vec *b, const vec *sl, float *y, int ox,
                         const bool PR)
{
	const int ics = s->ics, ix = ox * s->sw - s->pl;
	vec a = *b;
	for (int kx = 0; kx < 3; kx++) {
		if ((unsigned)(ix + kx) >= (unsigned)s->iw)
			continue;
		const ptrdiff_t o = (ptrdiff_t)(ix + kx) * ics;
		a += LD(r[0] + o) * w[kx] + LD(r[1] + o) * w[3 + kx] +
		     LD(r[2] + o) * w[6 + kx];
	}
	ST(y + (size_t)ox * s->ocs,
	   ACTIVATE_FIXED(a, PR, s->act == ACT_RELU, *sl));
}

/* Depthwise 3x3 along one output row for the channels v..v+VW: the nine
 * weights stay in registers, and OB outputs at a time share the input
 * columns they overlap (SW is the stride; PR: the activation is a
 * PRelu). */
ALWAYS void KN(dw3_row)(const step *s, const float *const rows[3], int oy,
                        int v, int lo, int hi, const int SW, const int OB,
                        const bool PR)
{
	const int ics = s->ics, ocs = s->ocs, pl = s->pl, ow = s->ow;
	const bool relu = s->act == ACT_RELU;
	const float *const r[3] = { rows[0] + v, rows[1] + v, rows[2] + v };
	float *const y = s->y + (size_t)oy * ow * ocs + v;
	vec w[9];
	for (int k = 0; k < 9; k++)
		w[k] = LD(s->w + (size_t)k * ocs + v);
	const vec b = LD(s->b + v);
	const vec sl = PR ? LD(s->slope + v) : (vec){ 0 };
	int ox = 0;
	for (; ox < lo; ox++)
		KN(dw3_edge)(s, r, w, &b, &sl, y, ox, PR);
	for (; ox + OB <= hi; ox += OB) {
		const ptrdiff_t o = (ptrdiff_t)(ox * SW - pl) * ics;
		vec a[MAX_OB];
		for (int i = 0; i < OB; i++)
			a[i] = b;
		for (int ky = 0; ky < 3; ky++)
			for (int i = 0; i < OB; i++)
				for (int kx = 0; kx < 3; kx++)
					a[i] += LD(r[ky] + o +
					           (ptrdiff_t)(i * SW + kx) *
					                   ics) *
					        w[3 * ky + kx];
		for (int i = 0; i < OB; i++)
			ST(y + (size_t)(ox + i) * ocs,
			   ACTIVATE_FIXED(a[i], PR, relu, sl));
	}
	for (; ox < hi; ox++) {
		const ptrdiff_t o = (ptrdiff_t)(ox * SW - pl) * ics;
		vec a = b;
		for (int ky = 0; ky < 3; ky++)
			for (int kx = 0; kx < 3; kx++)
				a += LD(r[ky] + o + (ptrdiff_t)kx * ics) *
				     w[3 * ky + kx];
		ST(y + (size_t)ox * ocs, ACTIVATE_FIXED(a, PR, relu, sl));
	}
	for (; ox < ow; ox++)
		KN(dw3_edge)(s, r, w, &b, &sl, y, ox, PR);
}

/* Depthwise 3x3; rows above or below the input read a row of zeros. */
ALWAYS void KN(dw3)(const step *s, const int OB, const bool PR)
{
	int lo, hi;
	interior_columns(s, &lo, &hi);
	for (int oy = 0; oy < s->oh; oy++) {
		const float *rows[3];
		for (int ky = 0; ky < 3; ky++) {
			const int iy = oy * s->sh - s->pt + ky;
			rows[ky] = iy >= 0 && iy < s->ih
			                   ? s->x + (size_t)iy * s->iw * s->ics
			                   : s->zero_row;
		}
		int v = 0;
		for (; v + VW <= s->ocs; v += VW) {
			if (s->sw == 1)
				KN(dw3_row)(s, rows, oy, v, lo, hi, 1, OB, PR);
			else if (s->sw == 2)
				KN(dw3_row)(s, rows, oy, v, lo, hi, 2, OB, PR);
			else
				KN(dw3_row)
			(s, rows, oy, v, lo, hi, s->sw, 1, PR);
		}
#if VW == 16
		if (v < s->ocs) /* 8 channels left */
			dw3_row_w8(s, rows, oy, v, lo, hi, s->sw, 1, PR);
#endif
	}
}

/* Depthwise, any kernel size: VW channels from v of output pixel (oy, ox)
 * over the taps inside the input. */
ALWAYS void KN(dw_any_vec)(const step *s, int oy, int ox, int v)
{
	const int ics = s->ics, ocs = s->ocs;
	const int iy0 = oy * s->sh - s->pt, ix0 = ox * s->sw - s->pl;
	const int ky0 = iy0 < 0 ? -iy0 : 0;
	const int ky1 = s->ih - iy0 < s->kh ? s->ih - iy0 : s->kh;
	const int kx0 = ix0 < 0 ? -ix0 : 0;
	const int kx1 = s->iw - ix0 < s->kw ? s->iw - ix0 : s->kw;
	vec a = LD(s->b + v);
	for (int ky = ky0; ky < ky1; ky++) {
		const float *x = s->x + (size_t)(iy0 + ky) * s->iw * ics + v;
		const float *w = s->w + (size_t)ky * s->kw * ocs + v;
		for (int kx = kx0; kx < kx1; kx++)
			a += LD(x + (ptrdiff_t)(ix0 + kx) * ics) *
			     LD(w + (size_t)kx * ocs);
	}
	ST(s->y + ((size_t)oy * s->ow + ox) * ocs + v,
	   ACTIVATE(a, s->act, LD(s->slope + v)));
}

ALWAYS void KN(dw_any)(const step *s)
{
	for (int oy = 0; oy < s->oh; oy++)
		for (int ox = 0; ox < s->ow; ox++) {
			int v = 0;
			for (; v + VW <= s->ocs; v += VW)
				KN(dw_any_vec)(s, oy, ox, v);
#if VW == 16
			/* 8 channels left: a 16-wide store would spill into
			 * the next pixel, or past the end of the output */
			if (v < s->ocs)
				dw_any_vec_w8(s, oy, ox, v);
#endif
		}
}

/* Depthwise; PR as for the convolution (the kernels of any size read the
 * activation at run time: nothing hot uses them). */
ALWAYS void KN(dw_impl)(const step *s, const int OB, const bool PR)
{
	if (s->kh == 3 && s->kw == 3)
		KN(dw3)(s, OB, PR);
	else
		KN(dw_any)(s);
}

/* Max over nky x nkx taps from x (rows row apart, columns col apart) of
 * VW channels into y. */
ALWAYS void KN(pool_vec)(const float *x, ptrdiff_t row, ptrdiff_t col, int nky,
                         int nkx, float *y)
{
	vec m = (vec){ 0 } - INFINITY;
	for (int ky = 0; ky < nky; ky++, x += row)
		for (int kx = 0; kx < nkx; kx++) {
			const vec a = LD(x + kx * col);
			const veci gt = a > m;
			m = (vec)(((veci)a & gt) | ((veci)m & ~gt));
		}
	ST(y, m);
}

/* Max pooling; the planner keeps the padding smaller than the kernel, so
 * every window has a tap inside the input. */
ALWAYS void KN(pool_impl)(const step *s)
{
	const int cs = s->ocs, iw = s->iw, ow = s->ow;
	const ptrdiff_t row = (ptrdiff_t)iw * cs;
	for (int oy = 0; oy < s->oh; oy++) {
		const int iy0 = oy * s->sh - s->pt;
		const int ky0 = iy0 < 0 ? -iy0 : 0;
		const int ky1 = s->ih - iy0 < s->kh ? s->ih - iy0 : s->kh;
		for (int ox = 0; ox < ow; ox++) {
			const int ix0 = ox * s->sw - s->pl;
			const int kx0 = ix0 < 0 ? -ix0 : 0;
			const int kx1 = iw - ix0 < s->kw ? iw - ix0 : s->kw;
			const float *x = s->x + (iy0 + ky0) * row +
			                 (ptrdiff_t)(ix0 + kx0) * cs;
			float *y = s->y + ((size_t)oy * ow + ox) * cs;
			int v = 0;
			for (; v + VW <= cs; v += VW)
				KN(pool_vec)
			(x + v, row, cs, ky1 - ky0, kx1 - kx0, y + v);
#if VW == 16
			if (v < cs) /* 8 channels left */
				pool_vec_w8(x + v, row, cs, ky1 - ky0,
				            kx1 - kx0, y + v);
#endif
		}
	}
}

#undef LD
#undef ST
#undef RELU
#undef PRELU
#undef ACTIVATE
#undef ACTIVATE_FIXED
#undef KN
#undef KN_EXPAND
#undef KN_CAT
