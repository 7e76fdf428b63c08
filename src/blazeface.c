/* blazeface.c - anchors, decoding and blending for BlazeFace (front). */
#include "headsup/blazeface.h"

#include <math.h>
#include <string.h>

/* The two output layers: cells per side and anchors per cell. */
static const struct {
	int cells, per_cell;
} layers[] = { { 16, 2 }, { 8, 6 } };

void hs_blazeface_anchors(float anchors[HS_BF_ANCHORS][2])
{
	int i = 0;
	for (size_t l = 0; l < sizeof layers / sizeof layers[0]; l++) {
		const float cell = (float)HS_BF_INPUT / (float)layers[l].cells;
		for (int y = 0; y < layers[l].cells; y++)
			for (int x = 0; x < layers[l].cells; x++)
				for (int a = 0; a < layers[l].per_cell; a++) {
					anchors[i][0] =
					        ((float)x + 0.5f) * cell;
					anchors[i][1] =
					        ((float)y + 0.5f) * cell;
					i++;
				}
	}
}

static float sigmoid(float x)
{
	/* Clamp like MediaPipe does, so exp() never overflows. */
	if (x > 100.f)
		x = 100.f;
	if (x < -100.f)
		x = -100.f;
	return 1.f / (1.f + expf(-x));
}

int hs_blazeface_decode(const float *scores, const float *regressors,
                        const float (*anchors)[2], int count, float min_score,
                        hs_bf_detection *dets, int max)
{
	int n = 0;
	for (int i = 0; i < count && n < max; i++) {
		const float s = sigmoid(scores[i]);
		if (s < min_score)
			continue;
		const float *r = regressors + (size_t)i * HS_BF_REGS;
		hs_bf_detection *d = &dets[n++];
		d->score = s;
		d->cx = anchors[i][0] + r[0];
		d->cy = anchors[i][1] + r[1];
		d->w = r[2];
		d->h = r[3];
		for (int k = 0; k < HS_KP_COUNT; k++) {
			d->kp[k][0] = anchors[i][0] + r[4 + 2 * k];
			d->kp[k][1] = anchors[i][1] + r[5 + 2 * k];
		}
	}
	return n;
}

float hs_blazeface_iou(const hs_bf_detection *a, const hs_bf_detection *b)
{
	const float ax0 = a->cx - a->w / 2, ax1 = a->cx + a->w / 2;
	const float ay0 = a->cy - a->h / 2, ay1 = a->cy + a->h / 2;
	const float bx0 = b->cx - b->w / 2, bx1 = b->cx + b->w / 2;
	const float by0 = b->cy - b->h / 2, by1 = b->cy + b->h / 2;
	const float iw = fminf(ax1, bx1) - fmaxf(ax0, bx0);
	const float ih = fminf(ay1, by1) - fmaxf(ay0, by0);
	if (iw <= 0 || ih <= 0)
		return 0.f;
	const float inter = iw * ih;
	const float uni = a->w * a->h + b->w * b->h - inter;
	return uni > 0 ? inter / uni : 0.f;
}

int hs_blazeface_blend(hs_bf_detection *dets, int n, float min_iou,
                       hs_bf_detection *out, int max)
{
	int n_out = 0;
	int left = n;
	while (left > 0 && n_out < max) {
		/* Move the best remaining candidate to the front. */
		int best = 0;
		for (int i = 1; i < left; i++)
			if (dets[i].score > dets[best].score)
				best = i;
		hs_bf_detection top = dets[best];
		dets[best] = dets[--left];

		double wsum = top.score;
		double acc[4 + 2 * HS_KP_COUNT];
		acc[0] = top.cx * wsum;
		acc[1] = top.cy * wsum;
		acc[2] = top.w * wsum;
		acc[3] = top.h * wsum;
		for (int k = 0; k < HS_KP_COUNT; k++) {
			acc[4 + 2 * k] = top.kp[k][0] * wsum;
			acc[5 + 2 * k] = top.kp[k][1] * wsum;
		}
		/* Fold in and drop every candidate that overlaps the top. */
		for (int i = 0; i < left;) {
			if (hs_blazeface_iou(&top, &dets[i]) < min_iou) {
				i++;
				continue;
			}
			const double w = dets[i].score;
			wsum += w;
			acc[0] += dets[i].cx * w;
			acc[1] += dets[i].cy * w;
			acc[2] += dets[i].w * w;
			acc[3] += dets[i].h * w;
			for (int k = 0; k < HS_KP_COUNT; k++) {
				acc[4 + 2 * k] += dets[i].kp[k][0] * w;
				acc[5 + 2 * k] += dets[i].kp[k][1] * w;
			}
			dets[i] = dets[--left];
		}
		hs_bf_detection *o = &out[n_out++];
		o->score = top.score;
		o->cx = (float)(acc[0] / wsum);
		o->cy = (float)(acc[1] / wsum);
		o->w = (float)(acc[2] / wsum);
		o->h = (float)(acc[3] / wsum);
		for (int k = 0; k < HS_KP_COUNT; k++) {
			o->kp[k][0] = (float)(acc[4 + 2 * k] / wsum);
			o->kp[k][1] = (float)(acc[5 + 2 * k] / wsum);
		}
	}
	return n_out;
}

void hs_blazeface_to_face(const hs_bf_detection *d, const hs_letterbox *lb,
                          hs_face *face)
{
	memset(face, 0, sizeof *face);
	face->found = true;
	face->score = d->score;
	face->box[0] = (d->cx - d->w / 2) * lb->scale - lb->pad_x;
	face->box[1] = (d->cy - d->h / 2) * lb->scale - lb->pad_y;
	face->box[2] = d->w * lb->scale;
	face->box[3] = d->h * lb->scale;
	for (int k = 0; k < HS_KP_COUNT; k++) {
		face->kp[k].x = d->kp[k][0] * lb->scale - lb->pad_x;
		face->kp[k].y = d->kp[k][1] * lb->scale - lb->pad_y;
	}
	face->kp_valid = HS_KP_ALL;
	face->detector = "blazeface";
}
