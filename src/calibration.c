/* calibration.c - building, writing and reading the upright baseline. */
#include "headsup/calibration.h"

#include "headsup/config.h"
#include "headsup/err.h"
#include "headsup/stats.h"
#include "headsup/paths.h"
#include "headsup/posture.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define LINE_MAX_LEN 1024

/* ---- from samples ----------------------------------------------------------
 */

/* Which way the camera sits, from where the face appears in the picture.
 *
 * Frames are not mirrored: the camera faces the user, so the image's left
 * side shows what lies to the user's right (face.h: the subject's right eye
 * appears on the image's left).  A face on the image's left is therefore to
 * the user's right of the camera's axis, which puts the camera to the
 * user's LEFT of the face; a face on the image's right means the camera is
 * to the user's right.  Vertically there is no flip: a face high in the
 * picture sits above the camera's axis, so the camera points too low (or
 * sits too low) and should be tilted up. */
static void say_off_centre(char *why, size_t whysize, double dx, double dy)
{
	if (fabs(dx) >= fabs(dy))
		hs_say(why, whysize,
		       "the camera seems to be to your %s; centre it under or "
		       "above the screen",
		       dx < 0 ? "left" : "right");
	else
		hs_say(why, whysize,
		       "your face is near the %s of the picture; tilt the "
		       "camera "
		       "%s towards your face",
		       dy < 0 ? "top" : "bottom", dy < 0 ? "up" : "down");
}

enum {
	M_X,
	M_Y,
	M_IOD,
	M_BX,
	M_BY,
	M_BW,
	M_BH,
	M_PITCH,
	M_YAW,
	M_PROLL, /* roll of the frames with a pitch, beside M_PITCH */
	M_ROLL,
	M_TMP, /* scratch for spread() */
	M_COUNT
};

/* The median distance of v[0..n) from med (the median absolute
 * deviation), with tmp room for n values. */
static double spread(const double *v, size_t n, double med, double *tmp)
{
	for (size_t i = 0; i < n; i++)
		tmp[i] = fabs(v[i] - med);
	return hs_median(tmp, n);
}

/* How far v[0..n) (in time order) settled elsewhere: the median of its
 * last third minus that of its first third, when that is more than limit
 * and more than four standard errors of the jitter; 0 otherwise.  The
 * jitter is read from the differences of neighbours, which one step
 * hardly changes; floor keeps a perfectly steady series from making any
 * small step significant.  tmp has room for n values. */
static double step(const double *v, size_t n, double limit, double floor,
                   double *tmp)
{
	const size_t k = n / 3;
	if (k < 2)
		return 0;
	for (size_t i = 0; i + 1 < n; i++)
		tmp[i] = fabs(v[i + 1] - v[i]);
	/* MAD to standard deviation, and a difference to one value */
	const double sd =
	        fmax(1.4826 * hs_median(tmp, n - 1) / sqrt(2.0), floor);
	/* a median of k values: 1.25 times the error of their mean */
	const double se = 1.25 * sd * sqrt(2.0 / (double)k);
	memcpy(tmp, v, k * sizeof *tmp);
	const double first = hs_median(tmp, k);
	memcpy(tmp, v + (n - k), k * sizeof *tmp);
	const double moved = hs_median(tmp, k) - first;
	return fabs(moved) > limit && fabs(moved) > 4 * se ? moved : 0;
}

/* Did the head settle elsewhere partway through (HS_CALIB_MAX_STEP_*)?
 * The eye heights and pitches are still in time order; iod is the median
 * eye distance.  Says so in why. */
static bool stepped(double *const col[M_COUNT], size_t n_face, size_t n_pitch,
                    double iod, char *why, size_t whysize)
{
	if (!(iod > 0))
		return false;
	const double drop = step(col[M_Y], n_face, HS_CALIB_MAX_STEP_IOD * iod,
	                         0.01 * iod, col[M_TMP]) /
	                    iod;
	if (drop != 0) {
		hs_say(why, whysize,
		       "your head %s by %.1f eye distances while it recorded; "
		       "sit upright and still for the whole recording, and try "
		       "again",
		       drop > 0 ? "sank" : "rose", fabs(drop));
		return true;
	}
	const double tipped = step(col[M_PITCH], n_pitch, HS_CALIB_MAX_STEP_DEG,
	                           0.5, col[M_TMP]);
	if (tipped != 0) {
		hs_say(why, whysize,
		       "your head tipped %.0f degrees %s while it recorded; "
		       "keep your eyes on the screen for the whole recording, "
		       "and try again",
		       fabs(tipped), tipped > 0 ? "down" : "up");
		return true;
	}
	return false;
}

const char hs_baseline_pitchless_advice[] =
        "has no head pitch (none was measured when it was recorded), so "
        "looking down cannot be told from hunched; record it again with "
        "'headsup calibrate'";

bool hs_baseline_lacks_pitch(const hs_baseline *b, const hs_pose *pose)
{
	return !b->has_pitch && pose && pose->has_pitch;
}

void hs_calibration_say_turned(double yaw_deg, char *buf, size_t size)
{
	/* yaw + = head turned toward the subject's left (pose.h) */
	hs_say(buf, size,
	       "your head is turned %.0f degrees to your %s from the camera; "
	       "face the screen, and if you do, put the camera in front of you "
	       "(over or under the screen)",
	       fabs(yaw_deg), yaw_deg > 0 ? "left" : "right");
}

/* How many frames gave each column. */
typedef struct counts {
	size_t face, box, pitch, roll;
} counts;

/* Each sample's measures into the columns, the frames without a face
 * (or without a pose) left out of theirs. */
static counts gather(const hs_calib_sample *s, size_t n, double *col[M_COUNT])
{
	counts k = { 0 };
	for (size_t i = 0; i < n; i++) {
		const hs_face *f = &s[i].face;
		double mx, my, iod;
		if (!f->found ||
		    hs_posture_eye_geometry(f, NULL, &mx, &my, &iod) < 0)
			continue;
		col[M_X][k.face] = mx;
		col[M_Y][k.face] = my;
		col[M_IOD][k.face] = iod;
		k.face++;
		if (f->box[2] > 0 && f->box[3] > 0) {
			col[M_BX][k.box] = f->box[0];
			col[M_BY][k.box] = f->box[1];
			col[M_BW][k.box] = f->box[2];
			col[M_BH][k.box] = f->box[3];
			k.box++;
		}
		if (!s[i].has_pose)
			continue;
		/* The eye line's slant rather than the roll: it is what the
		 * frames are un-rolled by, and for an upright head it is the
		 * camera's tilt even when the head is turned. */
		col[M_ROLL][k.roll++] = hs_pose_eye_line_deg(&s[i].pose);
		/* Yaw comes from the same solve as pitch; without a pitch
		 * (Haar fallback) it is 0 and meaningless. */
		if (s[i].pose.has_pitch) {
			col[M_PITCH][k.pitch] = s[i].pose.pitch_down_deg;
			col[M_YAW][k.pitch] = s[i].pose.yaw_deg;
			col[M_PROLL][k.pitch] = s[i].pose.roll_deg;
			k.pitch++;
		}
	}
	return k;
}

/* Frame to frame, the head of someone sitting still moves by a degree or
 * so (about 1 in the fixtures' clips); several times the limit means the
 * user moved, or more than one person was seen.  True, said, when so. */
static bool moved_while_recording(double *col[M_COUNT], counts k,
                                  const hs_baseline *b, char *why,
                                  size_t whysize)
{
	double moved = 0;
	if (b->has_pitch) {
		moved = fmax(moved, spread(col[M_PITCH], k.pitch, b->pitch_deg,
		                           col[M_TMP]));
		moved = fmax(moved, spread(col[M_YAW], k.pitch,
		                           hs_median(col[M_YAW], k.pitch),
		                           col[M_TMP]));
	}
	if (k.roll)
		moved = fmax(moved, spread(col[M_ROLL], k.roll, b->roll_deg,
		                           col[M_TMP]));
	const double shift =
	        fmax(spread(col[M_X], k.face, b->eye_mid_x, col[M_TMP]),
	             spread(col[M_Y], k.face, b->eye_mid_y, col[M_TMP])) /
	        b->iod_px;
	if (moved > HS_CALIB_MAX_SPREAD_DEG) {
		hs_say(why, whysize,
		       "your head turned or tilted a lot while it recorded "
		       "(typically %.0f degrees from where it mostly was); sit "
		       "still, upright, and try again",
		       moved);
		return true;
	}
	if (shift > HS_CALIB_MAX_SHIFT_IOD) {
		hs_say(why, whysize,
		       "your head moved a lot while it recorded (typically "
		       "%.1f eye distances from where it mostly was); sit "
		       "still, upright, and try again",
		       shift);
		return true;
	}
	return false;
}

int hs_calibration_from_samples(const hs_calib_sample *s, size_t n, int frame_w,
                                int frame_h, hs_baseline *out, char *why,
                                size_t whysize)
{
	if (n == 0) {
		hs_say(why, whysize,
		       "no frames were recorded; check that the camera works");
		return HS_EINVAL;
	}
	if (frame_w <= 0 || frame_h <= 0) {
		hs_say(why, whysize, "the frame size %dx%d is not valid",
		       frame_w, frame_h);
		return HS_EINVAL;
	}
	double *v = malloc(n * M_COUNT * sizeof *v);
	if (!v) {
		hs_say(why, whysize, "out of memory for %zu frames", n);
		return HS_ENOMEM;
	}
	double *col[M_COUNT];
	for (int m = 0; m < M_COUNT; m++)
		col[m] = v + (size_t)m * n;
	const counts k = gather(s, n, col);
	const size_t n_face = k.face, n_box = k.box, n_pitch = k.pitch,
	             n_roll = k.roll;

	int rc = HS_EINVAL;
	size_t missing = n - n_face;
	if (missing * 2 > n) {
		hs_say(why, whysize,
		       "no face in %zu of %zu frames; sit facing the camera in "
		       "good light",
		       missing, n);
		goto cleanup;
	}
	/* (a median sorts its column: the others keep their time order) */
	const double iod = hs_median(col[M_IOD], n_face);
	const double roll = n_roll ? hs_median(col[M_ROLL], n_roll) : 0;
	/* Each frame's pitch and yaw as a level camera would read them: the
	 * monitor un-rolls every frame by this roll before comparing pitches
	 * (hs_posture_pitch_delta), so a tilted camera moves neither side. */
	for (size_t j = 0; j < n_pitch; j++) {
		const hs_pose seen = { .pitch_down_deg = col[M_PITCH][j],
			               .yaw_deg = col[M_YAW][j],
			               .roll_deg = col[M_PROLL][j],
			               .has_pitch = true };
		hs_pose level;
		hs_pose_unroll(&seen, roll, &level);
		col[M_PITCH][j] = level.pitch_down_deg;
		col[M_YAW][j] = level.yaw_deg;
	}
	if (n_face >= HS_CALIB_SPREAD_MIN_FRAMES &&
	    stepped(col, n_face, n_pitch, iod, why, whysize))
		goto cleanup;
	hs_baseline b = {
		.eye_mid_x = hs_median(col[M_X], n_face),
		.eye_mid_y = hs_median(col[M_Y], n_face),
		.iod_px = iod,
		.frame_w = frame_w,
		.frame_h = frame_h,
		.roll_deg = roll,
		.has_pitch = n_pitch > 0 && n_pitch * 2 >= n_face,
	};
	if (b.has_pitch) {
		b.pitch_deg = hs_median(col[M_PITCH], n_pitch);
		/* yaw + = head turned toward the subject's left (pose.h) */
		double yaw = hs_median(col[M_YAW], n_pitch);
		if (fabs(yaw) > HS_CALIB_MAX_YAW_DEG) {
			hs_calibration_say_turned(yaw, why, whysize);
			goto cleanup;
		}
	}
	if (fabs(b.roll_deg) > HS_CALIB_MAX_ROLL_DEG) {
		/* roll + = the subject's left eye lower (pose.h) */
		hs_say(why, whysize,
		       "your head is tilted %.0f degrees toward your %s "
		       "shoulder "
		       "(or "
		       "the "
		       "camera is on its side); hold your head level",
		       fabs(b.roll_deg), b.roll_deg > 0 ? "left" : "right");
		goto cleanup;
	}
	if (b.iod_px < HS_CALIB_MIN_IOD_PX) {
		hs_say(why, whysize,
		       "your face is very small in the picture (eyes %.0f px "
		       "apart, at least %d needed); sit nearer the camera",
		       b.iod_px, HS_CALIB_MIN_IOD_PX);
		goto cleanup;
	}
	if (n_face >= HS_CALIB_SPREAD_MIN_FRAMES &&
	    moved_while_recording(col, k, &b, why, whysize))
		goto cleanup;
	if (n_box) {
		b.box[0] = hs_median(col[M_BX], n_box);
		b.box[1] = hs_median(col[M_BY], n_box);
		b.box[2] = hs_median(col[M_BW], n_box);
		b.box[3] = hs_median(col[M_BH], n_box);
	}
	double dx = (b.eye_mid_x - frame_w / 2.0) / frame_w;
	double dy = (b.eye_mid_y - frame_h / 2.0) / frame_h;
	if (fabs(dx) > HS_CALIB_MAX_OFFCENTRE ||
	    fabs(dy) > HS_CALIB_MAX_OFFCENTRE) {
		say_off_centre(why, whysize, dx, dy);
		goto cleanup;
	}
	*out = b;
	rc = 0;
cleanup:
	free(v);
	return rc;
}

int hs_baseline_fit_frame(hs_baseline *b, int w, int h)
{
	if (w == b->frame_w && h == b->frame_h)
		return 0;
	if (w <= 0 || h <= 0 || b->frame_w <= 0 || b->frame_h <= 0)
		return HS_EINVAL;
	double was = (double)b->frame_w / b->frame_h, now = (double)w / h;
	if (fabs(now / was - 1) > 0.01)
		return HS_EINVAL;
	/* One factor for both axes: the shapes agree, and the eye distance
	 * and the box must keep their proportions. */
	const double k = (double)w / b->frame_w;
	b->eye_mid_x *= k;
	b->eye_mid_y *= k;
	b->iod_px *= k;
	for (int i = 0; i < 4; i++)
		b->box[i] *= k;
	b->frame_w = w;
	b->frame_h = h;
	return 1;
}

/* ---- the file's keys --------------------------------------------------------
 */

typedef enum key_type {
	T_VERSION,
	T_DOUBLE,
	T_INT,
	T_BOOL,
	T_STRING
} key_type;

typedef struct key_info {
	const char *name;
	key_type type;
	size_t offset;
	double min, max; /* for T_DOUBLE and T_INT */
} key_info;

#define OFF(field) offsetof(hs_baseline, field)
#define BOX(i) (offsetof(hs_baseline, box) + (i) * sizeof(double))

/* In the order they are written.  Limits are generous sanity bounds; what
 * they catch is a damaged file, not an unusual desk. */
static const key_info keys[] = {
	{ "version", T_VERSION, 0, 0, 0 },
	{ "source", T_STRING, OFF(source), 0, 0 },
	{ "created_unix", T_DOUBLE, OFF(created_unix), 0, 1e11 },
	{ "frame_w", T_INT, OFF(frame_w), 1, 100000 },
	{ "frame_h", T_INT, OFF(frame_h), 1, 100000 },
	{ "has_pitch", T_BOOL, OFF(has_pitch), 0, 0 },
	{ "pitch_deg", T_DOUBLE, OFF(pitch_deg), -180, 180 },
	{ "roll_deg", T_DOUBLE, OFF(roll_deg), -180, 180 },
	{ "eye_mid_x", T_DOUBLE, OFF(eye_mid_x), -1e6, 1e6 },
	{ "eye_mid_y", T_DOUBLE, OFF(eye_mid_y), -1e6, 1e6 },
	/* calibrate refuses a smaller face; a file that gives one (edited
	 * by hand) would make every lean-in ratio absurd */
	{ "iod_px", T_DOUBLE, OFF(iod_px), HS_CALIB_MIN_IOD_PX, 1e6 },
	{ "box_x", T_DOUBLE, BOX(0), -1e6, 1e6 },
	{ "box_y", T_DOUBLE, BOX(1), -1e6, 1e6 },
	{ "box_w", T_DOUBLE, BOX(2), 0, 1e6 },
	{ "box_h", T_DOUBLE, BOX(3), 0, 1e6 },
};
#define KEY_COUNT (sizeof keys / sizeof keys[0])

#undef OFF
#undef BOX

static double *double_at(hs_baseline *b, const key_info *k)
{
	return (double *)(void *)((char *)b + k->offset);
}

static const double *double_at_c(const hs_baseline *b, const key_info *k)
{
	return (const double *)(const void *)((const char *)b + k->offset);
}

static int *int_at(hs_baseline *b, const key_info *k)
{
	return (int *)(void *)((char *)b + k->offset);
}

static const int *int_at_c(const hs_baseline *b, const key_info *k)
{
	return (const int *)(const void *)((const char *)b + k->offset);
}

/* The checks the reader makes, for the writer: what is written must read
 * back. */
static int check_baseline(const hs_baseline *b, char *why, size_t whysize)
{
	for (size_t i = 0; i < KEY_COUNT; i++) {
		const key_info *k = &keys[i];
		if (k->type == T_DOUBLE) {
			double v = *double_at_c(b, k);
			if (!(v >= k->min && v <= k->max)) {
				hs_say(why, whysize,
				       "%s = %g is outside %g..%g", k->name, v,
				       k->min, k->max);
				return HS_EINVAL;
			}
		} else if (k->type == T_INT) {
			int v = *int_at_c(b, k);
			if (v < k->min || v > k->max) {
				hs_say(why, whysize,
				       "%s = %d is outside %g..%g", k->name, v,
				       k->min, k->max);
				return HS_EINVAL;
			}
		}
	}
	size_t len = strnlen(b->source, sizeof b->source);
	if (len == sizeof b->source) {
		hs_say(why, whysize, "source is not terminated");
		return HS_EINVAL;
	}
	for (size_t i = 0; i < len; i++) {
		if ((unsigned char)b->source[i] < 0x20 ||
		    b->source[i] == 0x7f) {
			hs_say(why, whysize,
			       "source contains a control character");
			return HS_EINVAL;
		}
	}
	return 0;
}

/* ---- writing ----------------------------------------------------------------
 */

/* Shortest text that reads back as exactly v. */
static void format_double(char *buf, size_t size, double v)
{
	for (int prec = 6; prec < 17; prec++) {
		snprintf(buf, size, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			return;
	}
	snprintf(buf, size, "%.17g", v);
}

int hs_calibration_write(FILE *out, const hs_baseline *b)
{
	char why[128];
	if (check_baseline(b, why, sizeof why) < 0)
		return HS_EINVAL;
	fputs("# headsup calibration: your upright posture, recorded by "
	      "`headsup calibrate`.\n# Run it again rather than editing "
	      "this file.\n[baseline]\n",
	      out);
	for (size_t i = 0; i < KEY_COUNT; i++) {
		const key_info *k = &keys[i];
		char num[40];
		switch (k->type) {
		case T_VERSION:
			fprintf(out, "%s = %d\n", k->name,
			        HS_CALIBRATION_VERSION);
			break;
		case T_STRING:
			/* Surrounding blanks would be trimmed on reading;
			 * sources are paths and device names, which have
			 * none that matter. */
			fprintf(out, "%s = %s\n", k->name, b->source);
			break;
		case T_DOUBLE:
			format_double(num, sizeof num, *double_at_c(b, k));
			fprintf(out, "%s = %s\n", k->name, num);
			break;
		case T_INT:
			fprintf(out, "%s = %d\n", k->name, *int_at_c(b, k));
			break;
		case T_BOOL:
			fprintf(out, "%s = %s\n", k->name,
			        b->has_pitch ? "true" : "false");
			break;
		}
	}
	if (fflush(out) != 0 || ferror(out))
		return HS_EIO;
	return 0;
}

/* ---- reading ----------------------------------------------------------------
 */

typedef struct reader {
	FILE *in;
	const char *name;
	unsigned line;
	char *err;
	size_t errsize;
} reader;

static int fail(reader *r, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));

static int fail(reader *r, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (r->line == 0) /* an empty file has no line to name */
		hs_say(r->err, r->errsize, "%s: %s", r->name, msg);
	else
		hs_say(r->err, r->errsize, "%s:%u: %s", r->name, r->line, msg);
	return HS_EFORMAT;
}

/* Next line into buf without its end-of-line.  1 = a line, 0 = end of
 * input, < 0 = error (message set). */
static int next_line(reader *r, char *buf, size_t size)
{
	size_t len = 0;
	int c;
	bool any = false;
	while ((c = getc(r->in)) != EOF) {
		any = true;
		if (c == '\n')
			break;
		if (c == '\0') {
			r->line++;
			return fail(r, "the file contains a NUL byte; it is "
			               "not a calibration file");
		}
		if (len + 1 >= size) {
			r->line++;
			return fail(r, "line longer than %zu bytes", size - 1);
		}
		buf[len++] = (char)c;
	}
	if (ferror(r->in)) {
		hs_say(r->err, r->errsize, "%s: read error", r->name);
		return HS_EIO;
	}
	if (!any)
		return 0;
	if (len > 0 && buf[len - 1] == '\r')
		len--;
	buf[len] = '\0';
	r->line++;
	return 1;
}

static int parse_double(reader *r, const key_info *k, const char *text,
                        double *out)
{
	double v = 0;
	if (hs_config_number(text, false, &v) < 0)
		return fail(r, "%s = '%s' is not a number", k->name, text);
	if (!(v >= k->min && v <= k->max))
		return fail(r, "%s = %s is out of range (%g to %g)", k->name,
		            text, k->min, k->max);
	*out = v;
	return 0;
}

static int parse_int(reader *r, const key_info *k, const char *text, long *out)
{
	double number = 0;
	if (hs_config_number(text, true, &number) < 0)
		return fail(r, "%s = '%s' is not a whole number", k->name,
		            text);
	const long v = (long)number;
	/* the limits are far inside long's range: exact as doubles */
	if (number < k->min || number > k->max)
		return fail(r, "%s = %s is out of range (%g to %g)", k->name,
		            text, k->min, k->max);
	*out = v;
	return 0;
}

static int parse_value(reader *r, const key_info *k, const char *text,
                       hs_baseline *b)
{
	double d = 0;
	long l = 0;
	int rc;
	switch (k->type) {
	case T_VERSION:
		if (strspn(text, "0123456789") != strlen(text) || !text[0])
			return fail(r, "version = '%s' is not a whole number",
			            text);
		if (strlen(text) > 6 ||
		    strtol(text, NULL, 10) > HS_CALIBRATION_VERSION ||
		    strtol(text, NULL, 10) < HS_CALIBRATION_OLDEST)
			return fail(r,
			            "unsupported calibration version %s (this "
			            "headsup reads versions %d to %d); run "
			            "`headsup calibrate` again",
			            text, HS_CALIBRATION_OLDEST,
			            HS_CALIBRATION_VERSION);
		b->version = (int)strtol(text, NULL, 10);
		return 0;
	case T_STRING:
		if (strlen(text) >= sizeof b->source)
			return fail(r, "%s is longer than %zu bytes", k->name,
			            sizeof b->source - 1);
		for (const char *p = text; *p; p++)
			if ((unsigned char)*p < 0x20 || *p == 0x7f)
				return fail(r,
				            "%s contains a control character",
				            k->name);
		memcpy(b->source, text, strlen(text) + 1);
		return 0;
	case T_DOUBLE:
		rc = parse_double(r, k, text, &d);
		if (rc == 0)
			*double_at(b, k) = d;
		return rc;
	case T_INT:
		rc = parse_int(r, k, text, &l);
		if (rc == 0)
			*int_at(b, k) = (int)l;
		return rc;
	case T_BOOL:
		if (strcmp(text, "true") == 0)
			b->has_pitch = true;
		else if (strcmp(text, "false") == 0)
			b->has_pitch = false;
		else
			return fail(r, "%s = '%s' must be true or false",
			            k->name, text);
		return 0;
	}
	return fail(r, "internal error: key %s has no type", k->name);
}

int hs_calibration_read(FILE *in, const char *name, hs_baseline *out, char *err,
                        size_t errsize)
{
	reader r = { .in = in, .name = name, .err = err, .errsize = errsize };
	hs_baseline b;
	memset(&b, 0, sizeof b);
	bool seen[KEY_COUNT] = { false };
	bool in_section = false, had_section = false;
	char buf[LINE_MAX_LEN];
	int rc;

	while ((rc = next_line(&r, buf, sizeof buf)) > 0) {
		char *s = hs_config_trim(buf);
		if (s[0] == '\0' || s[0] == '#' || s[0] == ';')
			continue;
		if (s[0] == '[') {
			size_t n = strlen(s);
			if (s[n - 1] != ']')
				return fail(&r, "a section header must end "
				                "with ']'");
			s[n - 1] = '\0';
			char *sec = hs_config_trim(s + 1);
			if (strcmp(sec, "baseline") != 0)
				return fail(&r, "unknown section [%s]", sec);
			if (had_section)
				return fail(&r, "[baseline] appears twice");
			in_section = had_section = true;
			continue;
		}
		char *eq = strchr(s, '=');
		if (!eq)
			return fail(&r, "expected 'key = value'");
		*eq = '\0';
		char *key = hs_config_trim(s), *value = hs_config_trim(eq + 1);
		if (!in_section)
			return fail(&r, "'%s' comes before [baseline]", key);
		size_t i = 0;
		while (i < KEY_COUNT && strcmp(keys[i].name, key) != 0)
			i++;
		if (i == KEY_COUNT)
			return fail(&r, "unknown key '%s'", key);
		if (seen[i])
			return fail(&r, "'%s' is given twice", key);
		if (i != 0 && !seen[0])
			return fail(&r,
			            "'%s' comes before 'version'; "
			            "'version' must come first",
			            key);
		rc = parse_value(&r, &keys[i], value, &b);
		if (rc < 0)
			return rc;
		seen[i] = true;
	}
	if (rc < 0)
		return rc;
	if (!had_section)
		return fail(&r, "no [baseline] section; not a calibration "
		                "file");
	for (size_t i = 0; i < KEY_COUNT; i++)
		if (!seen[i])
			return fail(&r, "missing key '%s'", keys[i].name);
	/* 0 is "no box"; a box under a pixel is no face */
	for (int k = 2; k < 4; k++)
		if (b.box[k] > 0 && b.box[k] < 1)
			return fail(&r,
			            "%s = %g: a face box is 0 (none) or at "
			            "least 1 pixel",
			            k == 2 ? "box_w" : "box_h", b.box[k]);
	*out = b;
	return 0;
}

/* ---- files ----------------------------------------------------------------
 */

int hs_calibration_default_path(char *buf, size_t size)
{
	return hs_path_xdg(HS_XDG_STATE, "calibration.ini", buf, size);
}

/* Make the folder of target when missing: the default baseline's
 * ($XDG_STATE_HOME/headsup) is not there before the first calibration.
 * (A report makes no folder: a path typed wrong is said, not made.) */
static int make_folder(const char *target, char *err, size_t errsize)
{
	char dir[PATH_MAX];
	if (snprintf(dir, sizeof dir, "%s", target) >= (int)sizeof dir) {
		hs_say(err, errsize, "cannot save calibration: path too long");
		return HS_ERANGE;
	}
	char *slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return 0;
	*slash = '\0';
	int rc = hs_path_mkdirs(dir, 0700);
	if (rc < 0)
		hs_say(err, errsize, "cannot create folder '%s': %s", dir,
		       hs_strerror(rc));
	return rc;
}

/* The planted link on the way to path (see hs_path_check_links()), said
 * in err. */
static void say_planted_link(const char *path, const char *link, unsigned uid,
                             char *err, size_t errsize)
{
	char owner[96];
	hs_say(err, errsize,
	       "cannot save calibration '%s': '%s' is a symbolic link of %s "
	       "in a folder others may write; it could lead anywhere (to a "
	       "file of yours, which the baseline would replace), so it was "
	       "not followed: give another path",
	       path, link, hs_path_user_name(uid, owner, sizeof owner));
}

/* Make the folder of target when missing, then start replacing path with
 * hs_path_replace_begin() (r).  0, or an error said in err. */
static int begin_save(const char *path, const char *target, hs_replace *r,
                      char *err, size_t errsize)
{
	int rc = make_folder(target, err, errsize);
	if (rc < 0)
		return rc;
	errno = 0;
	rc = hs_path_replace_begin(r, path, 0);
	if (rc == HS_ENOTOWNER)
		say_planted_link(path, r->link, r->owner, err, errsize);
	else if (rc < 0)
		hs_say(err, errsize, "cannot save calibration '%s': %s", path,
		       errno ? strerror(errno) : hs_strerror(rc));
	return rc;
}

/* Whether the file at path is recognisably something else than a baseline,
 * by its first 4 KiB: a database (the journal), binary data, or an INI
 * file with sections of its own (the settings).  A path completed one
 * folder off must not lose what is there; a baseline, even damaged or
 * edited by hand (which the messages about it say to record again), and
 * an empty file may be replaced. */
static bool holds_something_else(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return false; /* unreadable: saving says why */
	char head[4096];
	const size_t n = fread(head, 1, sizeof head - 1, f);
	fclose(f);
	head[n] = '\0';
	if (memchr(head, '\0', n)) /* SQLite's, or any binary file */
		return true;
	for (const char *line = head; line && *line;) {
		line += strspn(line, " \t");
		if (*line == '[' && strncmp(line, "[baseline]", 10) != 0)
			return true;
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	return false;
}

/* The file a baseline saved at path goes to, into target (PATH_MAX
 * bytes): path itself, or through a link the file it links to (the link
 * stays).  A baseline is replaced by renaming a new file over it, so
 * anything but a regular file (a device, a FIFO, a folder) is refused,
 * said in err: /dev/full or a FIFO would have been replaced by a file.  So
 * is a file that holds something else than a baseline, and a path through
 * a link another user may have planted (HS_ENOTOWNER; see
 * hs_path_check_links()). */
static int save_target(const char *path, char *target, char *err,
                       size_t errsize)
{
	struct stat st, link;
	if (!path[0]) {
		hs_say(err, errsize,
		       "cannot save calibration: no file named; give the path "
		       "of a file");
		return HS_EINVAL;
	}
	char link_path[PATH_MAX];
	unsigned uid = 0;
	if (hs_path_check_links(path, link_path, sizeof link_path, &uid) ==
	    HS_ENOTOWNER) {
		say_planted_link(path, link_path, uid, err, errsize);
		return HS_ENOTOWNER;
	}
	if (hs_path_is_folder(path)) {
		hs_say(err, errsize,
		       "cannot save calibration '%s': it is a folder; give the "
		       "path of a file",
		       path);
		return HS_EISDIR;
	}
	const bool exists = stat(path, &st) == 0;
	if (exists && !S_ISREG(st.st_mode)) {
		hs_say(err, errsize,
		       "cannot save calibration '%s': it is not a regular file "
		       "(a device or a pipe); give the path of a file",
		       path);
		return HS_ENOTFILE;
	}
	if (!exists && lstat(path, &link) == 0) {
		hs_say(err, errsize,
		       "cannot save calibration '%s': it is a link to nothing; "
		       "remove it, or give another path",
		       path);
		return HS_ENOENT;
	}
	if (exists && st.st_size > 0 && holds_something_else(path)) {
		hs_say(err, errsize,
		       "cannot save calibration '%s': it holds something else "
		       "than a headsup baseline, and was left as it is; give "
		       "another path",
		       path);
		return HS_EFORMAT;
	}
	if (!exists || !realpath(path, target))
		snprintf(target, PATH_MAX, "%s", path);
	return 0;
}

int hs_calibration_check_writable(const char *path, char *err, size_t errsize)
{
	char target[PATH_MAX];
	int rc = save_target(path, target, err, errsize);
	if (rc < 0)
		return rc;
	hs_replace r;
	rc = begin_save(path, target, &r, err, errsize);
	if (rc < 0)
		return rc;
	hs_path_replace_abort(&r);
	return 0;
}

int hs_calibration_save(const char *path, const hs_baseline *b, char *err,
                        size_t errsize)
{
	char why[256];
	if (check_baseline(b, why, sizeof why) < 0) {
		hs_say(err, errsize, "cannot save calibration '%s': %s", path,
		       why);
		return HS_EINVAL;
	}
	char target[PATH_MAX];
	int rc = save_target(path, target, err, errsize);
	if (rc < 0)
		return rc;
	hs_replace r;
	rc = begin_save(path, target, &r, err, errsize);
	if (rc < 0)
		return rc;
	errno = 0;
	rc = hs_calibration_write(r.f, b);
	if (rc < 0) {
		/* Say why, as the system did (no space left, mostly). */
		if (rc == HS_EIO && errno != 0)
			rc = hs_err_from_errno(errno);
		hs_path_replace_abort(&r);
	} else {
		rc = hs_path_replace_commit(&r);
	}
	if (rc < 0)
		hs_say(err, errsize, "cannot save calibration '%s': %s", path,
		       hs_strerror(rc));
	return rc;
}

int hs_calibration_load(const char *path, hs_baseline *out, char *err,
                        size_t errsize)
{
	FILE *f = hs_path_open_file(path);
	if (!f) {
		int rc = hs_err_from_errno(errno);
		hs_say(err, errsize, "cannot open calibration '%s': %s", path,
		       hs_path_open_error(errno));
		return rc;
	}
	int rc = hs_calibration_read(f, path, out, err, errsize);
	fclose(f);
	return rc;
}
