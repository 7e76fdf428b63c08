/* test_calibration.c - the baseline: from samples, to INI and back. */
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
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "headsup/calibration.h"
#include "headsup/err.h"
#include "testutil.h"

#define W 640
#define H 480

/* An upright frontal face with its eye midpoint at (mx, my). */
static hs_calib_sample sample_at(float mx, float my)
{
	hs_calib_sample s = { .has_pose = true };
	s.face.found = true;
	s.face.score = 0.9f;
	s.face.kp_valid = HS_KP_ALL;
	s.face.kp[HS_KP_RIGHT_EYE] = (hs_point){ mx - 30, my };
	s.face.kp[HS_KP_LEFT_EYE] = (hs_point){ mx + 30, my };
	s.face.box[0] = mx - 60;
	s.face.box[1] = my - 50;
	s.face.box[2] = 120;
	s.face.box[3] = 140;
	s.pose = (hs_pose){ .pitch_down_deg = 4,
		            .yaw_deg = 2,
		            .roll_deg = -1,
		            .has_pitch = true };
	return s;
}

static hs_calib_sample no_face(void)
{
	hs_calib_sample s = { .has_pose = false };
	return s;
}

static void assert_same_baseline(const hs_baseline *a, const hs_baseline *b)
{
	assert_near(a->pitch_deg, b->pitch_deg, 0);
	assert_near(a->roll_deg, b->roll_deg, 0);
	assert_near(a->eye_mid_x, b->eye_mid_x, 0);
	assert_near(a->eye_mid_y, b->eye_mid_y, 0);
	assert_near(a->iod_px, b->iod_px, 0);
	for (int i = 0; i < 4; i++)
		assert_near(a->box[i], b->box[i], 0);
	assert_int_equal(a->frame_w, b->frame_w);
	assert_int_equal(a->frame_h, b->frame_h);
	assert_string_equal(a->source, b->source);
	assert_near(a->created_unix, b->created_unix, 0);
	assert_int_equal(a->has_pitch, b->has_pitch);
}

static hs_baseline sentinel(void)
{
	hs_baseline b = { .iod_px = -12345 };
	snprintf(b.source, sizeof b.source, "old");
	return b;
}

/* ---- from samples -------------------------------------------------------- */

static void medians_make_the_baseline(void **state)
{
	(void)state;
	hs_calib_sample s[5];
	for (int i = 0; i < 5; i++)
		s[i] = sample_at(320, 240);
	s[1].pose.pitch_down_deg = 2;
	s[2].pose.pitch_down_deg = 30; /* one glance down: not the median */
	s[3].pose.pitch_down_deg = 6;
	s[4].face.kp[HS_KP_LEFT_EYE].x += 40; /* one bad detection */
	hs_baseline b;
	char why[200] = "";
	assert_int_equal(
	        hs_calibration_from_samples(s, 5, W, H, &b, why, sizeof why),
	        0);
	/* 4, after each frame is un-rolled by the -1 degree roll: a few
	 * hundredths off for a head turned 2 degrees */
	assert_near(b.pitch_deg, 4, 0.05);
	assert_true(b.has_pitch);
	/* the eye line's slant: the roll, for a head this near frontal */
	assert_near(b.roll_deg, -1, 0.01);
	assert_near(b.eye_mid_x, 320, 1e-6);
	assert_near(b.eye_mid_y, 240, 1e-6);
	assert_near(b.iod_px, 60, 1e-6);
	assert_near(b.box[0], 260, 1e-6);
	assert_near(b.box[3], 140, 1e-6);
	assert_int_equal(b.frame_w, W);
	assert_int_equal(b.frame_h, H);
	assert_string_equal(b.source, "");
}

/* Calibrating before a camera clipped on crookedly, with the head turned
 * toward a screen beside it: the baseline keeps the pitch a level camera
 * would read (the monitor compares every frame that way), and the roll
 * holds the camera's tilt. */
static void a_tilted_camera_leaves_the_baseline_pitch(void **state)
{
	(void)state;
	const hs_pose upright = { .pitch_down_deg = 3,
		                  .yaw_deg = 20,
		                  .has_pitch = true };
	for (int tilt = -10; tilt <= 10; tilt += 20) {
		hs_calib_sample s[5];
		for (int i = 0; i < 5; i++) {
			s[i] = sample_at(320, 240);
			hs_test_pose_tilted(&upright, tilt, &s[i].pose);
		}
		/* The tilted camera alone reads 3.4 degrees more or less. */
		assert_true(fabs(s[0].pose.pitch_down_deg - 3) > 3);
		hs_baseline b;
		char why[200] = "";
		assert_int_equal(hs_calibration_from_samples(s, 5, W, H, &b,
		                                             why, sizeof why),
		                 0);
		assert_near(b.pitch_deg, 3, 1e-6);
		assert_near(b.roll_deg, tilt, 1e-6);
	}
}

static void refuses_when_most_frames_have_no_face(void **state)
{
	(void)state;
	hs_calib_sample s[10];
	for (int i = 0; i < 10; i++)
		s[i] = i < 7 ? no_face() : sample_at(320, 240);
	hs_baseline b = sentinel(), before = b;
	char why[200] = "";
	assert_int_equal(
	        hs_calibration_from_samples(s, 10, W, H, &b, why, sizeof why),
	        HS_EINVAL);
	assert_string_equal(why, "no face in 7 of 10 frames; sit facing the "
	                         "camera in good light");
	assert_same_baseline(&b, &before);

	/* Half the frames is enough. */
	for (int i = 0; i < 10; i++)
		s[i] = i < 5 ? no_face() : sample_at(320, 240);
	assert_int_equal(
	        hs_calibration_from_samples(s, 10, W, H, &b, why, sizeof why),
	        0);

	assert_int_equal(
	        hs_calibration_from_samples(s, 0, W, H, &b, why, sizeof why),
	        HS_EINVAL);
	assert_int_equal(
	        hs_calibration_from_samples(s, 10, 0, H, &b, why, sizeof why),
	        HS_EINVAL);
}

static void refuses_a_turned_head_and_names_the_side(void **state)
{
	(void)state;
	hs_calib_sample s[3];
	for (int i = 0; i < 3; i++) {
		s[i] = sample_at(320, 240);
		s[i].pose.yaw_deg = 38; /* + = toward the subject's left */
	}
	hs_baseline b = sentinel(), before = b;
	char why[200] = "";
	assert_int_equal(
	        hs_calibration_from_samples(s, 3, W, H, &b, why, sizeof why),
	        HS_EINVAL);
	assert_string_equal(
	        why, "your head is turned 38 degrees to your left from the "
	             "camera; face the screen, and if you do, put the camera "
	             "in front of you (over or under the screen)");
	assert_same_baseline(&b, &before);

	/* Turned the other way, and just past the limit of about 20
	 * degrees; 23 is still fine: a webcam beside the screen one works
	 * at (the desk fixtures are filmed like that, at about 21). */
	const struct {
		double yaw;
		const char *says; /* NULL: accepted */
	} cases[] = {
		{ -35, "35 degrees to your right" },
		{ -27, "27 degrees to your right" },
		{ 23, NULL },
	};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		for (int i = 0; i < 3; i++)
			s[i].pose.yaw_deg = cases[k].yaw;
		assert_int_equal(hs_calibration_from_samples(s, 3, W, H, &b,
		                                             why, sizeof why),
		                 cases[k].says ? HS_EINVAL : 0);
		if (cases[k].says)
			assert_non_null(strstr(why, cases[k].says));
	}

	/* Without a pitch (Haar fallback) the yaw means nothing. */
	for (int i = 0; i < 3; i++) {
		s[i].pose.yaw_deg = 45;
		s[i].pose.has_pitch = false;
	}
	assert_int_equal(
	        hs_calibration_from_samples(s, 3, W, H, &b, why, sizeof why),
	        0);
	assert_false(b.has_pitch);
	assert_near(b.pitch_deg, 0, 1e-9);
}

/* Samples s[0..n) are refused with a reason that contains says, and the
 * baseline already there is left as it was. */
static void assert_refused_saying(const hs_calib_sample *s, size_t n,
                                  const char *says)
{
	hs_baseline b = sentinel(), before = b;
	char why[256] = "";
	assert_int_equal(
	        hs_calibration_from_samples(s, n, W, H, &b, why, sizeof why),
	        HS_EINVAL);
	if (!strstr(why, says))
		fail_msg("refused saying '%s', not '%s'", why, says);
	assert_same_baseline(&b, &before);
}

/* A head on one side, a face too small to measure, and a head (or
 * several people) moving while it records are refused, each with what to
 * change; a head that sits still, with its small jitter, is not. */
static void refuses_a_tilted_tiny_or_moving_head(void **state)
{
	(void)state;
	enum {
		N = 9
	};
	hs_calib_sample s[N];

	for (int i = 0; i < N; i++) {
		s[i] = sample_at(320, 240);
		s[i].pose.roll_deg = 35; /* + = the subject's left eye lower */
	}
	assert_refused_saying(s, N,
	                      "tilted 35 degrees toward your left shoulder");
	for (int i = 0; i < N; i++)
		s[i].pose.roll_deg = -35; /* the right eye lower */
	assert_refused_saying(s, N,
	                      "tilted 35 degrees toward your right shoulder");

	/* eyes 10 px apart */
	for (int i = 0; i < N; i++) {
		s[i] = sample_at(320, 240);
		s[i].face.kp[HS_KP_RIGHT_EYE].x = 315;
		s[i].face.kp[HS_KP_LEFT_EYE].x = 325;
	}
	assert_refused_saying(s, N, "eyes 10 px apart");

	/* Faces turned from -40 to +40: a median of 0, but nobody still. */
	for (int i = 0; i < N; i++) {
		s[i] = sample_at(320, 240);
		s[i].pose.yaw_deg = -40 + 10 * i;
	}
	assert_refused_saying(s, N, "turned or tilted a lot");

	/* The eyes wandering across the picture by two eye distances. */
	for (int i = 0; i < N; i++)
		s[i] = sample_at(200.0f + 30.0f * (float)i, 240);
	assert_refused_saying(s, N, "moved a lot");

	/* Sitting still: a degree or two and a few pixels of jitter. */
	for (int i = 0; i < N; i++) {
		s[i] = sample_at(320.0f + (float)(i % 3) * 2,
		                 240.0f - (float)(i % 2) * 2);
		s[i].pose.pitch_down_deg += (i % 4) - 1.5;
		s[i].pose.yaw_deg += (i % 3) - 1;
		s[i].pose.roll_deg += (i % 2) * 2 - 1;
	}
	hs_baseline b;
	char why[256] = "";
	assert_int_equal(
	        hs_calibration_from_samples(s, N, W, H, &b, why, sizeof why),
	        0);
}

/* Upright for the first frames, then slumped or looking down for the
 * rest: the median deviation sees the minority as noise, so a step is
 * checked for its own sake; a baseline half slumped would hide every
 * later slump. */
static void refuses_a_slump_or_a_look_down_partway(void **state)
{
	(void)state;
	enum {
		N = 9
	};
	hs_calib_sample s[N];
	/* eyes 60 px apart (sample_at); from the fourth frame 0.9 eye
	 * distances lower, as the worst hunch of the neck fixtures */
	for (int i = 0; i < N; i++)
		s[i] = sample_at(320, i < 3 ? 240.0f : 294.0f);
	assert_refused_saying(s, N, "your head sank by 0.9 eye distances");
	/* two thirds upright: still a step between the first and last */
	for (int i = 0; i < N; i++)
		s[i] = sample_at(320, i < 6 ? 240.0f : 270.0f);
	assert_refused_saying(s, N, "your head sank by 0.5 eye distances");
	for (int i = 0; i < N; i++) {
		s[i] = sample_at(320, 240);
		s[i].pose.pitch_down_deg += i < 4 ? 0 : 12;
	}
	assert_refused_saying(s, N, "your head tipped 12 degrees down");

	/* A slow settling within the limits is sitting still, and so is
	 * jitter that makes a step as large look like chance. */
	for (int i = 0; i < N; i++) {
		s[i] = sample_at(320, 240.0f + 2.0f * (float)i);
		s[i].pose.pitch_down_deg += i;
	}
	hs_baseline b;
	char why[256] = "";
	assert_int_equal(
	        hs_calibration_from_samples(s, N, W, H, &b, why, sizeof why),
	        0);
	static const double jitter[N] = { 0, 12, -2, 10, 3, 14, 8, 16, 10 };
	for (int i = 0; i < N; i++) {
		s[i] = sample_at(320, 240);
		s[i].pose.pitch_down_deg += jitter[i];
	}
	assert_int_equal(
	        hs_calibration_from_samples(s, N, W, H, &b, why, sizeof why),
	        0);
}

static void
refuses_an_off_centre_face_and_says_where_the_camera_is(void **state)
{
	(void)state;
	char why[200] = "";
	hs_baseline b = sentinel(), before = b;
	/* Face on the image's left (x = 0.15 W): the camera is to the
	 * user's left (the picture is not mirrored). */
	hs_calib_sample s = sample_at(0.15f * W, H / 2);
	assert_int_equal(
	        hs_calibration_from_samples(&s, 1, W, H, &b, why, sizeof why),
	        HS_EINVAL);
	assert_string_equal(why, "the camera seems to be to your left; "
	                         "centre it under or above the screen");
	assert_same_baseline(&b, &before);

	s = sample_at(0.85f * W, H / 2);
	assert_int_equal(
	        hs_calibration_from_samples(&s, 1, W, H, &b, why, sizeof why),
	        HS_EINVAL);
	assert_string_equal(why, "the camera seems to be to your right; "
	                         "centre it under or above the screen");

	s = sample_at(W / 2, 0.1f * H);
	assert_int_equal(
	        hs_calibration_from_samples(&s, 1, W, H, &b, why, sizeof why),
	        HS_EINVAL);
	assert_non_null(strstr(why, "tilt the camera up"));

	s = sample_at(W / 2, 0.95f * H);
	assert_int_equal(
	        hs_calibration_from_samples(&s, 1, W, H, &b, why, sizeof why),
	        HS_EINVAL);
	assert_non_null(strstr(why, "tilt the camera down"));

	/* 25% off centre is accepted. */
	s = sample_at(0.25f * W, 0.3f * H);
	assert_int_equal(
	        hs_calibration_from_samples(&s, 1, W, H, &b, why, sizeof why),
	        0);
}

/* ---- another frame size ------------------------------------------------ */

static hs_baseline example(void);

/* The same camera at twice the resolution: every pixel quantity doubles,
 * the angles stay. */
static void a_baseline_scales_to_frames_of_the_same_shape(void **state)
{
	(void)state;
	const hs_baseline b = example(); /* 640x480 */
	hs_baseline x = b;
	assert_int_equal(hs_baseline_fit_frame(&x, 640, 480), 0);
	assert_memory_equal(&x, &b, sizeof b);

	assert_int_equal(hs_baseline_fit_frame(&x, 1280, 960), 1);
	assert_int_equal(x.frame_w, 1280);
	assert_int_equal(x.frame_h, 960);
	assert_near(x.eye_mid_x, 2 * b.eye_mid_x, 1e-9);
	assert_near(x.eye_mid_y, 2 * b.eye_mid_y, 1e-9);
	assert_near(x.iod_px, 2 * b.iod_px, 1e-9);
	for (int i = 0; i < 4; i++)
		assert_near(x.box[i], 2 * b.box[i], 1e-9);
	assert_near(x.pitch_deg, b.pitch_deg, 0);
	assert_near(x.roll_deg, b.roll_deg, 0);

	/* And back down, to a size whose shape is within 1%. */
	assert_int_equal(hs_baseline_fit_frame(&x, 320, 241), 1);
	assert_near(x.iod_px, b.iod_px / 2, 1e-9);
	assert_int_equal(x.frame_h, 241);
}

/* 4:3 against 16:9 is another crop or another camera: no fit, and the
 * baseline is left as it was. */
static void a_baseline_does_not_fit_frames_of_another_shape(void **state)
{
	(void)state;
	const hs_baseline b = example(); /* 640x480 */
	hs_baseline x = b;
	assert_int_equal(hs_baseline_fit_frame(&x, 1280, 720), HS_EINVAL);
	assert_int_equal(hs_baseline_fit_frame(&x, 480, 640), HS_EINVAL);
	assert_int_equal(hs_baseline_fit_frame(&x, 0, 0), HS_EINVAL);
	assert_int_equal(hs_baseline_fit_frame(&x, -640, -480), HS_EINVAL);
	assert_memory_equal(&x, &b, sizeof b);
}

/* ---- INI --------------------------------------------------------------- */

static hs_baseline example(void)
{
	hs_baseline b = {
		.pitch_deg = 4.1,
		.roll_deg = -1.0 / 3,
		.eye_mid_x = 321.25,
		.eye_mid_y = 0.1 + 0.2,
		.iod_px = 61.7,
		.box = { 259.5, 150, 120.125, 140 },
		.frame_w = 640,
		.frame_h = 480,
		.created_unix = 1764115200.5,
		.has_pitch = true,
	};
	snprintf(b.source, sizeof b.source, "/dev/video0");
	return b;
}

static void write_to(char *buf, size_t size, const hs_baseline *b)
{
	FILE *f = fmemopen(buf, size, "w");
	assert_non_null(f);
	assert_int_equal(hs_calibration_write(f, b), 0);
	fclose(f);
}

static int read_from(const char *text, hs_baseline *b, char *err,
                     size_t errsize)
{
	FILE *f = fmemopen((void *)(uintptr_t)text, strlen(text), "r");
	assert_non_null(f);
	int rc = hs_calibration_read(f, "cal.ini", b, err, errsize);
	fclose(f);
	return rc;
}

static void the_file_reads_back_exactly(void **state)
{
	(void)state;
	char text[2048] = "";
	hs_baseline b = example(), back;
	write_to(text, sizeof text, &b);
	assert_non_null(strstr(text, "[baseline]\nversion = 2\n"));
	assert_non_null(strstr(text, "iod_px = 61.7\n"));
	char err[300] = "";
	assert_int_equal(read_from(text, &back, err, sizeof err), 0);
	assert_same_baseline(&back, &b);
	assert_int_equal(back.version, HS_CALIBRATION_VERSION);

	b.has_pitch = false;
	b.source[0] = '\0';
	write_to(text, sizeof text, &b);
	assert_int_equal(read_from(text, &back, err, sizeof err), 0);
	assert_false(back.has_pitch);
	assert_string_equal(back.source, "");
}

static const char good[] = "# comment\r\n"
                           "[baseline]\r\n"
                           "version = 1\r\n"
                           "  source=camera 0  \r\n"
                           "; another comment\n"
                           "created_unix = 0\n"
                           "frame_w = 640\n"
                           "frame_h = 480\n"
                           "has_pitch = true\n"
                           "pitch_deg = -2.5\n"
                           "roll_deg = 0\n"
                           "eye_mid_x = 320\n"
                           "eye_mid_y = 200\n"
                           "iod_px = 60\n"
                           "box_x = 260\n"
                           "box_y = 150\n"
                           "box_w = 120\n"
                           "box_h = 140"; /* no final newline */

static void the_reader_accepts_hand_written_files(void **state)
{
	(void)state;
	hs_baseline b;
	char err[300] = "";
	assert_int_equal(read_from(good, &b, err, sizeof err), 0);
	assert_string_equal(b.source, "camera 0");
	assert_near(b.pitch_deg, -2.5, 1e-12);
	assert_near(b.box[3], 140, 1e-12);
	assert_int_equal(b.frame_w, 640);
	/* a file of the first format still reads, and says which it is (the
	 * commands then suggest recording it again) */
	assert_int_equal(b.version, 1);
}

/* good[] with the line starting with 'key' replaced by 'line' (or removed
 * when line is NULL), then read; returns the error message. */
static const char *read_edited(const char *key, const char *line, int want)
{
	static char text[2048], err[300];
	text[0] = '\0';
	const char *p = good;
	while (*p) {
		const char *end = strchr(p, '\n');
		size_t n = end ? (size_t)(end - p + 1) : strlen(p);
		if (strncmp(p, key, strlen(key)) == 0) {
			if (line) {
				strcat(text, line);
				strcat(text, "\n");
			}
		} else {
			strncat(text, p, n);
		}
		p += n;
	}
	hs_baseline b = sentinel(), before = b;
	err[0] = '\0';
	int rc = read_from(text, &b, err, sizeof err);
	if (rc != want)
		fail_msg("'%s' -> '%s': rc %d, want %d (%s)", key,
		         line ? line : "(removed)", rc, want, err);
	if (rc != 0)
		assert_same_baseline(&b, &before);
	return err;
}

static void the_reader_rejects_bad_files_naming_the_line(void **state)
{
	(void)state;
	assert_string_equal(read_edited("version", "version = 3", HS_EFORMAT),
	                    "cal.ini:3: unsupported calibration version 3 "
	                    "(this headsup reads versions 1 to 2); run "
	                    "`headsup calibrate` again");
	assert_string_equal(read_edited("iod_px", NULL, HS_EFORMAT),
	                    "cal.ini:17: missing key 'iod_px'");
	assert_string_equal(read_edited("version", NULL, HS_EFORMAT),
	                    "cal.ini:3: 'source' comes before 'version'; "
	                    "'version' must come first");
	assert_string_equal(
	        read_edited("pitch_deg", "pitch_deg = 4.5x", HS_EFORMAT),
	        "cal.ini:10: pitch_deg = '4.5x' is not a number");
	assert_string_equal(read_edited("iod_px", "iod_px = 0", HS_EFORMAT),
	                    "cal.ini:14: iod_px = 0 is out of range (12 to "
	                    "1e+06)");
	read_edited("iod_px", "iod_px = 11.9", HS_EFORMAT);
	assert_string_equal(
	        read_edited("box_w", "box_w = 1e-300", HS_EFORMAT),
	        "cal.ini:18: box_w = 1e-300: a face box is 0 (none) or at "
	        "least 1 pixel");
	read_edited("box_h", "box_h = 0", 0);
	assert_string_equal(
	        read_edited("frame_w", "frame_w = 64.5", HS_EFORMAT),
	        "cal.ini:7: frame_w = '64.5' is not a whole number");
	assert_string_equal(
	        read_edited("has_pitch", "has_pitch = yes", HS_EFORMAT),
	        "cal.ini:9: has_pitch = 'yes' must be true or "
	        "false");
	assert_string_equal(read_edited("roll_deg", "tilt_deg = 3", HS_EFORMAT),
	                    "cal.ini:11: unknown key 'tilt_deg'");
	assert_string_equal(
	        read_edited("roll_deg", "pitch_deg = 3", HS_EFORMAT),
	        "cal.ini:11: 'pitch_deg' is given twice");
	assert_string_equal(read_edited("roll_deg", "roll_deg 3", HS_EFORMAT),
	                    "cal.ini:11: expected 'key = value'");
	assert_string_equal(read_edited("[baseline]", "[posture]", HS_EFORMAT),
	                    "cal.ini:2: unknown section [posture]");
	assert_string_equal(read_edited("[baseline]", "[baseline", HS_EFORMAT),
	                    "cal.ini:2: a section header must end with ']'");
	assert_string_equal(read_edited("box_h", "[baseline]", HS_EFORMAT),
	                    "cal.ini:18: [baseline] appears twice");
	/* Non-numbers that strtod would take. */
	read_edited("eye_mid_x", "eye_mid_x = nan", HS_EFORMAT);
	read_edited("eye_mid_x", "eye_mid_x = inf", HS_EFORMAT);
	read_edited("eye_mid_x", "eye_mid_x = 0x10", HS_EFORMAT);
	read_edited("eye_mid_x", "eye_mid_x = 1e999", HS_EFORMAT);
	read_edited("eye_mid_x", "eye_mid_x =", HS_EFORMAT);
	read_edited("frame_h", "frame_h = 99999999999999999999", HS_EFORMAT);
	read_edited("source", "source = x", 0);
}

static void the_reader_rejects_what_is_not_a_calibration(void **state)
{
	(void)state;
	hs_baseline b = sentinel(), before = b;
	char err[300] = "";
	assert_int_equal(read_from("", &b, err, sizeof err), HS_EFORMAT);
	assert_string_equal(err, "cal.ini: no [baseline] section; not a "
	                         "calibration file");
	assert_int_equal(read_from("version = 1\n", &b, err, sizeof err),
	                 HS_EFORMAT);
	assert_string_equal(err, "cal.ini:1: 'version' comes before "
	                         "[baseline]");

	char long_line[3000];
	memset(long_line, 'x', sizeof long_line - 1);
	long_line[sizeof long_line - 1] = '\0';
	assert_int_equal(read_from(long_line, &b, err, sizeof err), HS_EFORMAT);
	assert_non_null(strstr(err, "cal.ini:1: line longer than"));

	static const char with_nul[] = "[baseline]\nver\0sion = 1\n";
	FILE *f =
	        fmemopen((void *)(uintptr_t)with_nul, sizeof with_nul - 1, "r");
	assert_non_null(f);
	assert_int_equal(hs_calibration_read(f, "cal.ini", &b, err, sizeof err),
	                 HS_EFORMAT);
	fclose(f);
	assert_non_null(strstr(err, "cal.ini:2: the file contains a NUL"));
	assert_same_baseline(&b, &before);
}

static void the_writer_refuses_what_cannot_be_read_back(void **state)
{
	(void)state;
	char text[2048];
	FILE *f = fmemopen(text, sizeof text, "w");
	assert_non_null(f);
	hs_baseline b = example();
	b.iod_px = 0;
	assert_int_equal(hs_calibration_write(f, &b), HS_EINVAL);
	b = example();
	snprintf(b.source, sizeof b.source, "two\nlines");
	assert_int_equal(hs_calibration_write(f, &b), HS_EINVAL);
	b = example();
	b.frame_w = 0;
	assert_int_equal(hs_calibration_write(f, &b), HS_EINVAL);
	fclose(f);
}

/* ---- files -----------------------------------------------------------------
 */

static void save_is_private_and_atomic(void **state)
{
	(void)state;
	char dir[PATH_MAX], path[PATH_MAX + 64], err[PATH_MAX + 200];
	hs_test_tmpdir(dir, sizeof dir);
	assert_int_equal(setenv("XDG_STATE_HOME", dir, 1), 0);
	assert_int_equal(hs_calibration_default_path(path, sizeof path), 0);
	char want[PATH_MAX + 128];
	snprintf(want, sizeof want, "%s/headsup/calibration.ini", dir);
	assert_string_equal(path, want);

	hs_baseline b = example(), back;
	assert_int_equal(hs_calibration_load(path, &back, err, sizeof err),
	                 HS_ENOENT);
	assert_non_null(strstr(err, path));

	assert_int_equal(hs_calibration_save(path, &b, err, sizeof err), 0);
	struct stat st;
	char folder[PATH_MAX + 16];
	snprintf(folder, sizeof folder, "%s/headsup", dir);
	assert_int_equal(stat(folder, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(hs_calibration_load(path, &back, err, sizeof err), 0);
	assert_same_baseline(&back, &b);

	/* Overwrite; no temporary file is left behind. */
	b.iod_px = 80;
	assert_int_equal(hs_calibration_save(path, &b, err, sizeof err), 0);
	assert_int_equal(hs_calibration_load(path, &back, err, sizeof err), 0);
	assert_near(back.iod_px, 80, 1e-12);
	char out[256];
	char cmd[PATH_MAX + 64];
	snprintf(cmd, sizeof cmd, "ls -A '%s'", folder);
	assert_int_equal(hs_test_run(cmd, out, sizeof out), 0);
	assert_string_equal(out, "calibration.ini\n");

	/* A refused baseline leaves the old file alone. */
	hs_baseline bad = example();
	bad.iod_px = -1;
	assert_int_equal(hs_calibration_save(path, &bad, err, sizeof err),
	                 HS_EINVAL);
	assert_non_null(strstr(err, "iod_px"));
	assert_int_equal(hs_calibration_load(path, &back, err, sizeof err), 0);
	assert_near(back.iod_px, 80, 1e-12);

	/* A folder that cannot be made: the message names it. */
	char blocked[PATH_MAX + 64];
	snprintf(blocked, sizeof blocked, "%s/calibration.ini/sub/c.ini",
	         folder);
	assert_true(hs_calibration_save(blocked, &b, err, sizeof err) < 0);
	assert_non_null(strstr(err, "cannot create folder"));

	/* A damaged file: the load says where. */
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("[baseline]\nversion = 7\n", f);
	fclose(f);
	assert_int_equal(hs_calibration_load(path, &back, err, sizeof err),
	                 HS_EFORMAT);
	snprintf(want, sizeof want, "%s:2: unsupported", path);
	assert_non_null(strstr(err, want));

	hs_test_rmtree(dir);
}

/* ---- the command, beside a running monitor ----------------------------------
 */

/* A stand-in for `headsup run`'s control socket under runtime_dir: a child
 * process that appends each request line to log and answers as a monitor
 * would.  Returns its pid, for stop_fake_monitor(). */
static pid_t start_fake_monitor(const char *runtime_dir, const char *log)
{
	char dir[PATH_MAX];
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	snprintf(dir, sizeof dir, "%s/headsup", runtime_dir);
	assert_int_equal(mkdir(runtime_dir, 0700), 0);
	assert_int_equal(mkdir(dir, 0700), 0);
	assert_true(snprintf(addr.sun_path, sizeof addr.sun_path,
	                     "%s/control.sock",
	                     dir) < (int)sizeof addr.sun_path);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&addr, sizeof addr), 0);
	assert_int_equal(listen(fd, 8), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid > 0) {
		close(fd);
		return pid;
	}
	/* Gone with the test, even one that failed before stopping it; and
	 * not holding the test's output open. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() == 1)
		_exit(1);
	int null = open("/dev/null", O_RDWR);
	if (null < 0 || dup2(null, STDOUT_FILENO) < 0 ||
	    dup2(null, STDERR_FILENO) < 0)
		_exit(1);
	for (;;) {
		int c = accept(fd, NULL, NULL);
		if (c < 0)
			_exit(1);
		char line[300];
		size_t n = 0;
		ssize_t r;
		while (n < sizeof line - 1 &&
		       (r = read(c, line + n, sizeof line - 1 - n)) > 0) {
			n += (size_t)r;
			if (memchr(line, '\n', n))
				break;
		}
		line[n] = '\0';
		FILE *f = fopen(log, "a");
		if (f) {
			fputs(line, f);
			fclose(f);
		}
		const char *reply = strncmp(line, "pause", 5) == 0
		                            ? "paused for 1 minute 5 seconds\n"
		                    : strncmp(line, "reload", 6) == 0
		                            ? "baseline reloaded from 'x'\n"
		                            : "resumed\n";
		if (write(c, reply, strlen(reply)) < 0)
			_exit(1);
		close(c);
	}
}

static void stop_fake_monitor(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/* `headsup calibrate ARGS` in locale (LC_ALL) with its files in dir (and
 * the fake monitor's socket in dir/run); stdout into out, stderr into err.
 * Its status. */
static int calibrate_in_locale(const char *locale, const char *dir,
                               const char *args, char *out, size_t out_size,
                               char *err, size_t err_size)
{
	char cmd[3 * PATH_MAX], errpath[PATH_MAX + 16];
	snprintf(errpath, sizeof errpath, "%s/stderr.txt", dir);
	snprintf(cmd, sizeof cmd,
	         "LC_ALL='%s' HOME='%s' XDG_CONFIG_HOME='%s/cfg' "
	         "XDG_STATE_HOME='%s/state' XDG_DATA_HOME='%s/data' "
	         "XDG_CACHE_HOME='%s/cache' XDG_RUNTIME_DIR='%s/run' '%s' "
	         "calibrate %s 2>'%s'",
	         locale, dir, dir, dir, dir, dir, dir, hs_test_bin(), args,
	         errpath);
	int rc = hs_test_run(cmd, out, out_size);
	FILE *f = fopen(errpath, "r");
	err[0] = '\0';
	if (f) {
		err[fread(err, 1, err_size - 1, f)] = '\0';
		fclose(f);
	}
	return rc;
}

static int calibrate_in(const char *dir, const char *args, char *out,
                        size_t out_size, char *err, size_t err_size)
{
	return calibrate_in_locale("C", dir, args, out, out_size, err,
	                           err_size);
}

static void read_log(const char *log, char *buf, size_t size)
{
	buf[0] = '\0';
	FILE *f = fopen(log, "r");
	if (f) {
		buf[fread(buf, 1, size - 1, f)] = '\0';
		fclose(f);
	}
}

/* A --source that is not there fails at once, naming it, with status 1,
 * and the running monitor is not paused for it (nor asked anything). */
static void a_missing_source_leaves_the_monitor_alone(void **state)
{
	(void)state;
	char dir[PATH_MAX], run[PATH_MAX + 8], log[PATH_MAX + 16];
	char args[PATH_MAX + 64], want[PATH_MAX + 128], out[4096], err[4096],
	        asked[4096];
	hs_test_tmpdir(dir, sizeof dir);
	snprintf(run, sizeof run, "%s/run", dir);
	snprintf(log, sizeof log, "%s/requests.txt", dir);
	pid_t monitor = start_fake_monitor(run, log);

	static const struct {
		const char *source, *kind, *why;
	} cases[] = {
		{ "missing.avi", "video", "no such file or folder" },
		{ "missing.jpg", "image", "no such file or folder" },
		{ "/dev/video-headsup-none", "camera",
		  "no such device (is a webcam plugged in?)" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const bool file = cases[i].source[0] != '/';
		snprintf(args, sizeof args, "--source '%s%s%s'",
		         file ? dir : "", file ? "/" : "", cases[i].source);
		assert_int_equal(calibrate_in(dir, args, out, sizeof out, err,
		                              sizeof err),
		                 1);
		snprintf(want, sizeof want,
		         "headsup: error: cannot open %s '%s%s%s': %s\n",
		         cases[i].kind, file ? dir : "", file ? "/" : "",
		         cases[i].source, cases[i].why);
		assert_string_equal(err, want);
		assert_string_equal(out, "");
	}
	stop_fake_monitor(monitor);
	read_log(log, asked, sizeof asked);
	assert_string_equal(asked, "");
	hs_test_rmtree(dir);
}

/* The same monitor for a source that is there: paused for the recording,
 * told of the new baseline, resumed (so the test above would have seen
 * requests, had calibrate sent any). */
static void a_good_source_pauses_the_monitor_for_the_recording(void **state)
{
	(void)state;
	char video[PATH_MAX];
	if (!hs_test_fixture("video/desk-session.avi", video, sizeof video))
		SKIP_LOUDLY("calibrate from a video needs the fixtures");
	char dir[PATH_MAX], run[PATH_MAX + 8], log[PATH_MAX + 16];
	char args[2 * PATH_MAX + 64], want[PATH_MAX + 128], out[4096],
	        err[4096], asked[4096];
	hs_test_tmpdir(dir, sizeof dir);
	snprintf(run, sizeof run, "%s/run", dir);
	snprintf(log, sizeof log, "%s/requests.txt", dir);
	pid_t monitor = start_fake_monitor(run, log);
	snprintf(args, sizeof args, "--source '%s' --seconds 2", video);
	assert_int_equal(
	        calibrate_in(dir, args, out, sizeof out, err, sizeof err), 0);
	stop_fake_monitor(monitor);
	assert_non_null(strstr(err, "The running monitor is paused while you "
	                            "calibrate.\n"));
	assert_non_null(strstr(out, "The running monitor now uses it.\n"));
	read_log(log, asked, sizeof asked);
	snprintf(want, sizeof want,
	         "pause 62 calibrate\nreload %s/state/headsup/"
	         "calibration.ini\nresume calibrate\n",
	         dir);
	assert_string_equal(asked, want);
	hs_test_rmtree(dir);
}

/* An image too large to decode is named, with its size and the limit,
 * rather than only "no frames to calibrate on". */
static void a_too_large_image_is_said_so(void **state)
{
	(void)state;
	char dir[PATH_MAX], image[PATH_MAX + 16], args[2 * PATH_MAX + 64],
	        want[2 * PATH_MAX + 300], out[4096], err[4096];
	hs_test_tmpdir(dir, sizeof dir);
	snprintf(image, sizeof image, "%s/huge.ppm", dir);
	FILE *f = fopen(image, "w");
	assert_non_null(f);
	fputs("P6\n40000 40000\n255\n", f); /* the header is enough */
	assert_int_equal(fclose(f), 0);
	snprintf(args, sizeof args, "--source '%s' --output '%s/cal.ini'",
	         image, dir);
	assert_int_equal(
	        calibrate_in(dir, args, out, sizeof out, err, sizeof err), 1);
	snprintf(want, sizeof want,
	         "headsup: error: no frames to calibrate on from '%s': cannot "
	         "read image '%s': too large to decode: 40000x40000 pixels, "
	         "over the limit of 250000000 pixels in all "
	         "(OPENCV_IO_MAX_IMAGE_PIXELS). No baseline was stored.\n",
	         image, image);
	assert_non_null(strstr(err, want));
	hs_test_rmtree(dir);
}

/* Frames that are read but cannot be analysed (here the detector cannot
 * have their pixels, as when memory runs out) are said with their reason,
 * rather than only "no frames to calibrate on". */
static void frames_that_cannot_be_analysed_say_why(void **state)
{
	(void)state;
	char dir[PATH_MAX], imgs[PATH_MAX + 8], image[PATH_MAX + 32],
	        args[2 * PATH_MAX + 64], want[2 * PATH_MAX + 300], out[4096],
	        err[4096];
	hs_test_tmpdir(dir, sizeof dir);
	snprintf(imgs, sizeof imgs, "%s/imgs", dir);
	assert_int_equal(mkdir(imgs, 0700), 0);
	for (int i = 0; i < 3; i++) {
		snprintf(image, sizeof image, "%s/frame%d.ppm", imgs, i);
		FILE *f = fopen(image, "w");
		assert_non_null(f);
		fputs("P6\n64 48\n255\n", f);
		for (int p = 0; p < 64 * 48 * 3; p++)
			fputc(128, f);
		assert_int_equal(fclose(f), 0);
	}
	snprintf(args, sizeof args, "--source '%s' --output '%s/cal.ini'", imgs,
	         dir);
	setenv("HEADSUP_VISION_MODULE", HS_FAILING_VISION, 1);
	const int rc =
	        calibrate_in(dir, args, out, sizeof out, err, sizeof err);
	unsetenv("HEADSUP_VISION_MODULE");
	assert_int_equal(rc, 1);
	snprintf(want, sizeof want,
	         "headsup: error: no frames to calibrate on from '%s': cannot "
	         "analyse image '%s/frame0.ppm': out of memory. No baseline "
	         "was stored.\n",
	         imgs, imgs);
	if (!strstr(err, want))
		fail_msg("said '%s', not '%s'", err, want);
	hs_test_rmtree(dir);
}

static void assert_ascii(const char *text)
{
	for (const char *p = text; *p; p++)
		if ((unsigned char)*p >= 0x80)
			fail_msg("byte 0x%02x in: %s", (unsigned char)*p, text);
}

/* Angles read as the terminal report writes them: a degree sign where the
 * locale is UTF-8, " deg" elsewhere (LC_ALL=C), never UTF-8 bytes that a
 * terminal of another character set shows as garbage; the refusals too. */
static void angles_are_written_in_the_locale_charset(void **state)
{
	(void)state;
	char video[PATH_MAX], turned[PATH_MAX];
	if (!hs_test_fixture("video/desk-session.avi", video, sizeof video) ||
	    !hs_test_fixture("headpose/pointing04/person01/"
	                     "person01150+0+60.jpg",
	                     turned, sizeof turned))
		SKIP_LOUDLY("calibrate's output needs the fixtures");
	char dir[PATH_MAX], args[2 * PATH_MAX + 64], out[4096], err[4096];
	hs_test_tmpdir(dir, sizeof dir);
	snprintf(args, sizeof args,
	         "--source '%s' --seconds 2 --output '%s/cal.ini'", video, dir);
	assert_int_equal(calibrate_in_locale("C", dir, args, out, sizeof out,
	                                     err, sizeof err),
	                 0);
	assert_ascii(out);
	assert_ascii(err);
	assert_non_null(strstr(out, " deg, roll "));
	assert_non_null(strstr(out, " deg\n"));
	assert_int_equal(calibrate_in_locale("C.UTF-8", dir, args, out,
	                                     sizeof out, err, sizeof err),
	                 0);
	assert_non_null(strstr(out, "°, roll "));
	assert_non_null(strstr(out, "°\n"));
	assert_null(strstr(out, "deg"));

	/* A head turned 60 degrees is refused, saying by how much in
	 * words every terminal shows. */
	snprintf(args, sizeof args, "--source '%s' --output '%s/cal.ini'",
	         turned, dir);
	assert_int_equal(calibrate_in_locale("POSIX", dir, args, out,
	                                     sizeof out, err, sizeof err),
	                 1);
	assert_ascii(err);
	assert_non_null(strstr(err, "calibration refused: your head is "
	                            "turned "));
	assert_non_null(strstr(err,
	                       " degrees to your right from the camera; face "
	                       "the screen, and if you do, put the camera in "
	                       "front of you (over or under the screen)."));
	hs_test_rmtree(dir);
}

/* A folder of photos of two sizes: eye positions in pixels of one size
 * cannot be pooled with the other's, so it is refused, naming both; and
 * the summary counts the frames that showed a face, not blank ones. */
static void frames_of_two_sizes_are_refused(void **state)
{
	(void)state;
	char neck[PATH_MAX];
	if (!hs_test_fixture("desk/neck/class3_000.jpg", neck, sizeof neck))
		SKIP_LOUDLY("calibrate on photos needs the fixtures");
	if (hs_test_run("command -v convert >/dev/null", NULL, 0) != 0)
		SKIP_LOUDLY("ImageMagick's convert is not installed");
	char dir[PATH_MAX], cmd[7 * PATH_MAX], args[2 * PATH_MAX + 64],
	        cal[PATH_MAX + 16], out[4096], err[4096];
	hs_test_tmpdir(dir, sizeof dir);
	char *slash = strrchr(neck, '/');
	*slash = '\0';
	snprintf(cmd, sizeof cmd,
	         "mkdir '%s/mixed' && cp '%s'/class3_00*.jpg "
	         "'%s'/class3_01*.jpg "
	         "'%s/mixed/' && convert '%s/class3_020.jpg' -resize 640x360 "
	         "'%s/mixed/class3_020.jpg'",
	         dir, neck, neck, dir, neck, dir);
	assert_int_equal(hs_test_run(cmd, NULL, 0), 0);
	snprintf(args, sizeof args,
	         "--source '%s/mixed' --seconds 10 --output '%s/cal.ini'", dir,
	         dir);
	assert_int_equal(
	        calibrate_in(dir, args, out, sizeof out, err, sizeof err), 1);
	assert_non_null(strstr(err, "change size (960x540, then 640x360); "
	                            "calibrate on frames of one size"));
	snprintf(cal, sizeof cal, "%s/cal.ini", dir);
	assert_int_equal(access(cal, F_OK), -1); /* nothing stored */

	/* the same photos without the odd one, and two blank frames */
	snprintf(cmd, sizeof cmd,
	         "rm '%s/mixed/class3_020.jpg' && convert -size 960x540 "
	         "xc:gray '%s/mixed/class3_021.png' && cp "
	         "'%s/mixed/class3_021.png' '%s/mixed/class3_022.png'",
	         dir, dir, dir, dir);
	assert_int_equal(hs_test_run(cmd, NULL, 0), 0);
	assert_int_equal(
	        calibrate_in(dir, args, out, sizeof out, err, sizeof err), 0);
	assert_non_null(strstr(out, "frames used: 4 (of 6; the others show "
	                            "no face)"));
	/* Six images at 1 a second cover 6 s, the last one's second too. */
	assert_non_null(strstr(err, "ends 6.0 s in, before the 10 s asked"));
	snprintf(args, sizeof args,
	         "--source '%s/mixed' --seconds 6 --output '%s/cal.ini'", dir,
	         dir);
	assert_int_equal(
	        calibrate_in(dir, args, out, sizeof out, err, sizeof err), 0);
	assert_null(strstr(err, "asked for"));
	hs_test_rmtree(dir);
}

int main(void)
{
	/* OpenCV's size limit at its default (a_too_large_image_...). */
	unsetenv("OPENCV_IO_MAX_IMAGE_PIXELS");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(medians_make_the_baseline),
		cmocka_unit_test(a_tilted_camera_leaves_the_baseline_pitch),
		cmocka_unit_test(refuses_when_most_frames_have_no_face),
		cmocka_unit_test(refuses_a_turned_head_and_names_the_side),
		cmocka_unit_test(refuses_a_tilted_tiny_or_moving_head),
		cmocka_unit_test(refuses_a_slump_or_a_look_down_partway),
		cmocka_unit_test(frames_of_two_sizes_are_refused),
		cmocka_unit_test(
		        refuses_an_off_centre_face_and_says_where_the_camera_is),
		cmocka_unit_test(a_baseline_scales_to_frames_of_the_same_shape),
		cmocka_unit_test(
		        a_baseline_does_not_fit_frames_of_another_shape),
		cmocka_unit_test(the_file_reads_back_exactly),
		cmocka_unit_test(the_reader_accepts_hand_written_files),
		cmocka_unit_test(the_reader_rejects_bad_files_naming_the_line),
		cmocka_unit_test(the_reader_rejects_what_is_not_a_calibration),
		cmocka_unit_test(the_writer_refuses_what_cannot_be_read_back),
		cmocka_unit_test(save_is_private_and_atomic),
		cmocka_unit_test(a_missing_source_leaves_the_monitor_alone),
		cmocka_unit_test(
		        a_good_source_pauses_the_monitor_for_the_recording),
		cmocka_unit_test(a_too_large_image_is_said_so),
		cmocka_unit_test(frames_that_cannot_be_analysed_say_why),
		cmocka_unit_test(angles_are_written_in_the_locale_charset),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
