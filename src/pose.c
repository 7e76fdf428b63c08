/* pose.c - head pitch, yaw and roll from the six keypoints (PnP), and a
 * 3D similarity fit for dense face meshes. */
#include "headsup/pose.h"

#include "headsup/err.h"
#include "headsup/shim.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEG (180.0 / M_PI)
#define RAD (M_PI / 180.0)

/* Keep in step with models/face3d.csv (tests compare the two). */
static const double default_pts[HS_KP_COUNT][3] = {
	{ -31.5, 0.0, 0.0 }, { 31.5, 0.0, 0.0 },    { 0.0, 48.0, -18.0 },
	{ 0.0, 75.0, -8.0 }, { -72.0, 15.0, 85.0 }, { 72.0, 15.0, 85.0 },
};
#define DEFAULT_PITCH_GAIN 1.15
#define DEFAULT_PITCH_OFFSET_DEG 10.0
#define DEFAULT_MESH_PITCH_OFFSET_DEG 13.6

/* Accepted ranges of the correction rows. */
#define GAIN_MIN 0.2
#define GAIN_MAX 5.0
#define OFFSET_MAX_DEG 45.0

void hs_head_model_default(hs_head_model *m)
{
	memcpy(m->pts, default_pts, sizeof default_pts);
	m->pitch_gain = DEFAULT_PITCH_GAIN;
	m->pitch_offset_deg = DEFAULT_PITCH_OFFSET_DEG;
	m->mesh_pitch_offset_deg = DEFAULT_MESH_PITCH_OFFSET_DEG;
}

static int keypoint_index(const char *name)
{
	for (int k = 0; k < HS_KP_COUNT; k++)
		if (strcmp(name, hs_keypoint_names[k]) == 0)
			return k;
	return -1;
}

/* One "pitch_gain,G", "pitch_offset_deg,D" or "mesh_pitch_offset_deg,D"
 * row into m; false with a message in err when the name is not one of
 * them or the value is bad. */
static bool read_correction(hs_head_model *m, const char *line,
                            const char *path, int lineno, char *err,
                            unsigned long errsize)
{
	char name[32];
	double v;
	char extra;
	if (sscanf(line, "%31[^,],%lf %c", name, &v, &extra) != 2) {
		snprintf(err, errsize,
		         "%s:%d: expected 'name,x_mm,y_mm,z_mm', "
		         "'pitch_gain,G', 'pitch_offset_deg,D' or "
		         "'mesh_pitch_offset_deg,D'",
		         path, lineno);
		return false;
	}
	if (strcmp(name, "pitch_gain") == 0) {
		if (!isfinite(v) || v < GAIN_MIN || v > GAIN_MAX) {
			snprintf(err, errsize,
			         "%s:%d: pitch_gain %g is outside %g..%g", path,
			         lineno, v, GAIN_MIN, GAIN_MAX);
			return false;
		}
		m->pitch_gain = v;
		return true;
	}
	const bool mesh = strcmp(name, "mesh_pitch_offset_deg") == 0;
	if (mesh || strcmp(name, "pitch_offset_deg") == 0) {
		if (!isfinite(v) || fabs(v) > OFFSET_MAX_DEG) {
			snprintf(err, errsize,
			         "%s:%d: %s %g is outside -%g..%g", path,
			         lineno, name, v, OFFSET_MAX_DEG,
			         OFFSET_MAX_DEG);
			return false;
		}
		*(mesh ? &m->mesh_pitch_offset_deg : &m->pitch_offset_deg) = v;
		return true;
	}
	snprintf(err, errsize, "%s:%d: unknown row '%s'", path, lineno, name);
	return false;
}

int hs_head_model_read(hs_head_model *m, const char *path, char *err,
                       unsigned long errsize)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		snprintf(err, errsize, "cannot open head model '%s'", path);
		return HS_ENOENT;
	}
	hs_head_model tmp = { .pitch_gain = 1.0, .pitch_offset_deg = 0.0 };
	unsigned seen = 0;
	char line[256];
	int lineno = 0, rc = 0;
	bool header = false;
	while (fgets(line, sizeof line, f)) {
		lineno++;
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		if (!header) {
			header = true;
			if (strncmp(line, "name,", 5) == 0)
				continue;
		}
		char name[32];
		double x, y, z;
		char extra;
		int n = sscanf(line, "%31[^,],%lf,%lf,%lf %c", name, &x, &y, &z,
		               &extra);
		if (n == 2) {
			if (!read_correction(&tmp, line, path, lineno, err,
			                     errsize)) {
				rc = HS_EFORMAT;
				goto out;
			}
			continue;
		}
		if (n != 4) {
			snprintf(err, errsize,
			         "%s:%d: expected 'name,x_mm,y_mm,z_mm'", path,
			         lineno);
			rc = HS_EFORMAT;
			goto out;
		}
		int k = keypoint_index(name);
		if (k < 0) {
			snprintf(err, errsize, "%s:%d: unknown keypoint '%s'",
			         path, lineno, name);
			rc = HS_EFORMAT;
			goto out;
		}
		if (!isfinite(x) || !isfinite(y) || !isfinite(z) ||
		    fabs(x) > 500 || fabs(y) > 500 || fabs(z) > 500) {
			snprintf(err, errsize,
			         "%s:%d: keypoint '%s' is not within 500 mm "
			         "of the eyes",
			         path, lineno, name);
			rc = HS_EFORMAT;
			goto out;
		}
		if (seen & HS_KP_BIT(k)) {
			snprintf(err, errsize,
			         "%s:%d: keypoint '%s' given twice", path,
			         lineno, name);
			rc = HS_EFORMAT;
			goto out;
		}
		tmp.pts[k][0] = x;
		tmp.pts[k][1] = y;
		tmp.pts[k][2] = z;
		seen |= HS_KP_BIT(k);
	}
	if (seen != HS_KP_ALL) {
		for (int k = 0; k < HS_KP_COUNT; k++)
			if (!(seen & HS_KP_BIT(k))) {
				snprintf(err, errsize,
				         "%s: keypoint '%s' is missing", path,
				         hs_keypoint_names[k]);
				break;
			}
		rc = HS_EFORMAT;
		goto out;
	}
	if (tmp.pts[HS_KP_LEFT_EYE][0] - tmp.pts[HS_KP_RIGHT_EYE][0] < 1) {
		snprintf(err, errsize,
		         "%s: left_eye must be at least 1 mm to the right "
		         "(larger x) of right_eye",
		         path);
		rc = HS_EFORMAT;
		goto out;
	}
	*m = tmp;
out:
	fclose(f);
	return rc;
}

void hs_camera_model_from_fov(hs_camera_model *cam, int width, int height,
                              double hfov_deg)
{
	cam->fx = cam->fy = (width / 2.0) / tan(hfov_deg * RAD / 2.0);
	cam->cx = width / 2.0;
	cam->cy = height / 2.0;
}

/* R = Ry(-yaw) * Rx(pitch) * Rz(roll): the head turns, then nods about its
 * own ear-to-ear axis, then tilts sideways.  So pitch is the nod of the head
 * whichever way it is turned. */
void hs_pose_to_matrix(double pitch_down_deg, double yaw_deg, double roll_deg,
                       double R[9])
{
	const double a = -yaw_deg * RAD, b = pitch_down_deg * RAD,
	             c = roll_deg * RAD;
	const double ca = cos(a), sa = sin(a), cb = cos(b), sb = sin(b),
	             cc = cos(c), sc = sin(c);
	R[0] = ca * cc + sa * sb * sc;
	R[1] = -ca * sc + sa * sb * cc;
	R[2] = sa * cb;
	R[3] = cb * sc;
	R[4] = cb * cc;
	R[5] = -sb;
	R[6] = -sa * cc + ca * sb * sc;
	R[7] = sa * sc + ca * sb * cc;
	R[8] = ca * cb;
}

void hs_pose_from_matrix(const double R[9], double *pitch_down_deg,
                         double *yaw_deg, double *roll_deg)
{
	double s = -R[5];
	if (s > 1)
		s = 1;
	if (s < -1)
		s = -1;
	*pitch_down_deg = asin(s) * DEG;
	*yaw_deg = -atan2(R[2], R[8]) * DEG;
	*roll_deg = atan2(R[3], R[4]) * DEG;
}

double hs_pose_eye_line_deg(const hs_pose *p)
{
	if (!p->has_pitch)
		return p->roll_deg;
	double R[9];
	hs_pose_to_matrix(p->pitch_down_deg, p->yaw_deg, p->roll_deg, R);
	/* The first column is the head's x axis (right eye to left eye) in
	 * the camera's frame; its slant in the image plane. */
	return atan2(R[3], R[0]) * DEG;
}

void hs_pose_unroll(const hs_pose *p, double camera_roll_deg, hs_pose *out)
{
	hs_pose r = *p;
	if (!p->has_pitch) {
		r.roll_deg -= camera_roll_deg;
		*out = r;
		return;
	}
	double R[9], U[9], L[9];
	hs_pose_to_matrix(p->pitch_down_deg, p->yaw_deg, p->roll_deg, R);
	/* Rz(-camera roll): roll alone is a turn about the optical axis. */
	hs_pose_to_matrix(0, 0, -camera_roll_deg, U);
	for (int i = 0; i < 3; i++)
		for (int j = 0; j < 3; j++)
			L[3 * i + j] = U[3 * i] * R[j] +
			               U[3 * i + 1] * R[3 + j] +
			               U[3 * i + 2] * R[6 + j];
	hs_pose_from_matrix(L, &r.pitch_down_deg, &r.yaw_deg, &r.roll_deg);
	*out = r;
}

void hs_pose_project(const hs_head_model *m, const hs_camera_model *cam,
                     const double R[9], const double t[3],
                     hs_point out[HS_KP_COUNT])
{
	for (int k = 0; k < HS_KP_COUNT; k++) {
		const double *p = m->pts[k];
		double X = R[0] * p[0] + R[1] * p[1] + R[2] * p[2] + t[0];
		double Y = R[3] * p[0] + R[4] * p[1] + R[5] * p[2] + t[1];
		double Z = R[6] * p[0] + R[7] * p[1] + R[8] * p[2] + t[2];
		out[k].x = (float)(cam->fx * X / Z + cam->cx);
		out[k].y = (float)(cam->fy * Y / Z + cam->cy);
	}
}

/* Eigen-decomposition of the symmetric n x n matrix a (row-major, n <= 4,
 * destroyed) by cyclic Jacobi rotations: eigenvalues into w, eigenvectors
 * into the columns of v.  Each rotation zeroes one off-diagonal pair; the
 * sweeps converge quadratically, so a handful do for these sizes.  Plain C
 * on purpose: no OpenCV needed for a 4x4. */
static void jacobi_eigen(int n, double *a, double *w, double *v)
{
	for (int i = 0; i < n; i++)
		for (int j = 0; j < n; j++)
			v[i * n + j] = i == j;
	for (int sweep = 0; sweep < 64; sweep++) {
		double off = 0;
		for (int p = 0; p < n; p++)
			for (int q = p + 1; q < n; q++)
				off += a[p * n + q] * a[p * n + q];
		if (off == 0)
			break;
		for (int p = 0; p < n; p++)
			for (int q = p + 1; q < n; q++) {
				const double apq = a[p * n + q];
				const double app = a[p * n + p],
				             aqq = a[q * n + q];
				/* Below rounding of the diagonal: drop it, so
				 * the sweeps end instead of chasing noise (and
				 * theta below cannot overflow). */
				if (fabs(apq) <=
				    1e-18 * (fabs(app) + fabs(aqq))) {
					a[p * n + q] = a[q * n + p] = 0;
					continue;
				}
				/* The smaller root of t^2 + 2 theta t - 1 = 0
				 * (rotation angle <= 45 degrees) is the
				 * stable one. */
				const double theta = (aqq - app) / (2 * apq);
				const double t =
				        copysign(1.0, theta) /
				        (fabs(theta) + sqrt(theta * theta + 1));
				const double c = 1 / sqrt(t * t + 1), s = t * c;
				/* a = J^T a J and v = v J, J the rotation in
				 * the (p, q) plane. */
				for (int k = 0; k < n; k++) {
					const double akp = a[k * n + p],
					             akq = a[k * n + q];
					a[k * n + p] = c * akp - s * akq;
					a[k * n + q] = s * akp + c * akq;
				}
				for (int k = 0; k < n; k++) {
					const double apk = a[p * n + k],
					             aqk = a[q * n + k];
					a[p * n + k] = c * apk - s * aqk;
					a[q * n + k] = s * apk + c * aqk;
				}
				for (int k = 0; k < n; k++) {
					const double vkp = v[k * n + p],
					             vkq = v[k * n + q];
					v[k * n + p] = c * vkp - s * vkq;
					v[k * n + q] = s * vkp + c * vkq;
				}
				a[p * n + q] = a[q * n + p] = 0;
			}
	}
	for (int i = 0; i < n; i++)
		w[i] = a[i * n + i];
}

/* Does the scatter matrix C (3x3, of centred points) span at least a
 * plane?  Its second largest eigenvalue is the spread across the best line;
 * relative to the largest it must stay well above the rounding left by
 * centring (~1e-32), or the rotation about that line is arbitrary. */
static bool spans_plane(const double C[9])
{
	double a[9], w[3], v[9];
	memcpy(a, C, sizeof a);
	jacobi_eigen(3, a, w, v);
	double lo = fmin(w[0], fmin(w[1], w[2]));
	double hi = fmax(w[0], fmax(w[1], w[2]));
	double mid = w[0] + w[1] + w[2] - lo - hi;
	return hi > 0 && mid > 1e-12 * hi;
}

int hs_pose_fit_similarity(const double (*model)[3], const double (*pts)[3],
                           int n, double R[9], double *scale, double t[3])
{
	if (!model || !pts || !R || !scale || !t || n < 3)
		return HS_EINVAL;
	double ma[3] = { 0, 0, 0 }, mb[3] = { 0, 0, 0 };
	for (int i = 0; i < n; i++)
		for (int k = 0; k < 3; k++) {
			if (!isfinite(model[i][k]) || !isfinite(pts[i][k]))
				return HS_EINVAL;
			ma[k] += model[i][k];
			mb[k] += pts[i][k];
		}
	for (int k = 0; k < 3; k++) {
		ma[k] /= n;
		mb[k] /= n;
	}
	/* Over the centred points a_i (model) and b_i (pts): the
	 * cross-covariance S[j][k] = sum a_ij b_ik and both scatter
	 * matrices.  Centring first keeps the sums accurate far from the
	 * origin (pixel coordinates). */
	double S[9] = { 0 }, Ca[9] = { 0 }, Cb[9] = { 0 };
	for (int i = 0; i < n; i++) {
		double a[3], b[3];
		for (int k = 0; k < 3; k++) {
			a[k] = model[i][k] - ma[k];
			b[k] = pts[i][k] - mb[k];
		}
		for (int j = 0; j < 3; j++)
			for (int k = 0; k < 3; k++) {
				S[3 * j + k] += a[j] * b[k];
				Ca[3 * j + k] += a[j] * a[k];
				Cb[3 * j + k] += b[j] * b[k];
			}
	}
	if (!spans_plane(Ca) || !spans_plane(Cb))
		return HS_EINVAL;
	const double sxx = S[0], sxy = S[1], sxz = S[2], syx = S[3], syy = S[4],
	             syz = S[5], szx = S[6], szy = S[7], szz = S[8];
	/* Horn's symmetric 4x4: for a unit quaternion q, q^T N q is
	 * sum_i b_i . R(q) a_i, so its top eigenvector is the best rotation. */
	/* clang-format off */
	double N[16] = {
		sxx + syy + szz, syz - szy,        szx - sxz,        sxy - syx,
		syz - szy,       sxx - syy - szz,  sxy + syx,        szx + sxz,
		szx - sxz,       sxy + syx,        -sxx + syy - szz, syz + szy,
		sxy - syx,       szx + sxz,        syz + szy,        -sxx - syy + szz,
	};
	/* clang-format on */
	double w[4], V[16];
	jacobi_eigen(4, N, w, V);
	int best = 0;
	for (int i = 1; i < 4; i++)
		if (w[i] > w[best])
			best = i;
	double q0 = V[0 * 4 + best], qx = V[1 * 4 + best], qy = V[2 * 4 + best],
	       qz = V[3 * 4 + best];
	const double qn = sqrt(q0 * q0 + qx * qx + qy * qy + qz * qz);
	q0 /= qn;
	qx /= qn;
	qy /= qn;
	qz /= qn;
	/* A unit quaternion always gives a proper rotation, so a mirrored
	 * point set cannot yield det -1. */
	double Rq[9] = {
		q0 * q0 + qx * qx - qy * qy - qz * qz,
		2 * (qx * qy - q0 * qz),
		2 * (qx * qz + q0 * qy),
		2 * (qy * qx + q0 * qz),
		q0 * q0 - qx * qx + qy * qy - qz * qz,
		2 * (qy * qz - q0 * qx),
		2 * (qz * qx - q0 * qy),
		2 * (qz * qy + q0 * qx),
		q0 * q0 - qx * qx - qy * qy + qz * qz,
	};
	/* sum_i b_i . R a_i = sum_jk R[j][k] S[k][j]; over sum |a_i|^2 it is
	 * the least-squares scale for this R. */
	double num = 0, sa2 = Ca[0] + Ca[4] + Ca[8],
	       sb2 = Cb[0] + Cb[4] + Cb[8];
	for (int j = 0; j < 3; j++)
		for (int k = 0; k < 3; k++)
			num += Rq[3 * j + k] * S[3 * k + j];
	/* num <= sqrt(sa2 * sb2); near zero the pts do not follow the model
	 * at all (N ~ 0) and any rotation would do. */
	if (!(num > 1e-12 * sqrt(sa2 * sb2)))
		return HS_EINVAL;
	const double s = num / sa2;
	double tt[3];
	for (int j = 0; j < 3; j++)
		tt[j] = mb[j] - s * (Rq[3 * j] * ma[0] + Rq[3 * j + 1] * ma[1] +
		                     Rq[3 * j + 2] * ma[2]);
	/* Huge inputs can overflow the sums. */
	if (!isfinite(s) || !isfinite(tt[0]) || !isfinite(tt[1]) ||
	    !isfinite(tt[2]) || !isfinite(num))
		return HS_EINVAL;
	memcpy(R, Rq, sizeof Rq);
	*scale = s;
	memcpy(t, tt, sizeof tt);
	return 0;
}

/* Rodrigues vector to rotation matrix. */
static void rodrigues(const double r[3], double R[9])
{
	const double th = sqrt(r[0] * r[0] + r[1] * r[1] + r[2] * r[2]);
	if (th < 1e-12) {
		const double I[9] = { 1, 0, 0, 0, 1, 0, 0, 0, 1 };
		memcpy(R, I, sizeof I);
		return;
	}
	const double x = r[0] / th, y = r[1] / th, z = r[2] / th;
	const double c = cos(th), s = sin(th), C = 1 - c;
	R[0] = c + x * x * C;
	R[1] = x * y * C - z * s;
	R[2] = x * z * C + y * s;
	R[3] = y * x * C + z * s;
	R[4] = c + y * y * C;
	R[5] = y * z * C - x * s;
	R[6] = z * x * C - y * s;
	R[7] = z * y * C + x * s;
	R[8] = c + z * z * C;
}

int hs_pose_estimate(const hs_head_model *m, const hs_camera_model *cam,
                     const hs_face *face, hs_pose *out)
{
	if ((face->kp_valid & HS_KP_EYES) != HS_KP_EYES)
		return HS_EINVAL;
	const hs_point re = face->kp[HS_KP_RIGHT_EYE],
	               le = face->kp[HS_KP_LEFT_EYE];
	if ((face->kp_valid & HS_KP_ALL) != HS_KP_ALL) {
		out->pitch_down_deg = out->yaw_deg = 0;
		out->roll_deg = atan2(le.y - re.y, le.x - re.x) * DEG;
		out->has_pitch = false;
		return 0;
	}
	const double K[9] = {
		cam->fx, 0, cam->cx, 0, cam->fy, cam->cy, 0, 0, 1
	};
	double img[HS_KP_COUNT * 2];
	for (int k = 0; k < HS_KP_COUNT; k++) {
		img[2 * k] = face->kp[k].x;
		img[2 * k + 1] = face->kp[k].y;
	}
	/* Start from a frontal head at the distance the eye spacing implies. */
	const double iod_mm =
	        m->pts[HS_KP_LEFT_EYE][0] - m->pts[HS_KP_RIGHT_EYE][0];
	double iod_px = hypot(le.x - re.x, le.y - re.y);
	if (iod_px < 1)
		iod_px = 1;
	const double z = cam->fx * iod_mm / iod_px;
	double rvec[3] = { 0, 0, 0 };
	double tvec[3] = { ((re.x + le.x) / 2 - cam->cx) * z / cam->fx,
		           ((re.y + le.y) / 2 - cam->cy) * z / cam->fy, z };
	int rc = hs_pnp_solve(&m->pts[0][0], img, HS_KP_COUNT, K, true, rvec,
	                      tvec);
	if (rc < 0)
		return rc;
	double R[9];
	rodrigues(rvec, R);
	double pitch;
	hs_pose_from_matrix(R, &pitch, &out->yaw_deg, &out->roll_deg);
	out->pitch_down_deg = m->pitch_gain * pitch + m->pitch_offset_deg;
	out->has_pitch = true;
	return 0;
}
