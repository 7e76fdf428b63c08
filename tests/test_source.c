/* test_source.c - frame sources: which back-end a spec picks, what the
 * user is told when one cannot be opened, and the time base of each. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jpeglib.h>

#include "headsup/cameras.h"
#include "headsup/err.h"
#include "headsup/paths.h"
#include "headsup/resample.h"
#include "headsup/source.h"
#include "testutil.h"

static void specs_pick_the_right_back_end(void **state)
{
	(void)state;
	assert_ptr_equal(hs_source_pick(""), &hs_source_camera);
	assert_ptr_equal(hs_source_pick("2"), &hs_source_camera);
	assert_ptr_equal(hs_source_pick("/dev/video1"), &hs_source_camera);
	assert_ptr_equal(hs_source_pick("/tmp"), &hs_source_images);
	assert_ptr_equal(hs_source_pick("face.JPG"), &hs_source_images);
	assert_ptr_equal(hs_source_pick("clip.avi"), &hs_source_video);
	assert_true(hs_source_is_image_name("a.png"));
	/* JPEG's other names: a folder of them was "no images". */
	assert_true(hs_source_is_image_name("a.jfif"));
	assert_true(hs_source_is_image_name("a.JPE"));
	assert_false(hs_source_is_image_name("labels.csv"));
	/* A number is a camera, whatever lies about in the folder; a device
	 * is a camera; a file where /dev holds files is a file. */
	assert_ptr_equal(hs_source_pick("2"), &hs_source_camera);
	assert_ptr_equal(hs_source_pick("/dev/null"), &hs_source_camera);
	assert_ptr_equal(hs_source_pick("/dev/shm"), &hs_source_images);
	/* The device a camera spec opens, which is also the one watched
	 * for other programs opening it (camwatch.h); files as given. */
	char dev[64], webcam[64];
	hs_source_name("", dev, sizeof dev); /* the first webcam */
	hs_cameras_default(webcam, sizeof webcam);
	assert_string_equal(dev, webcam);
	hs_source_name("2", dev, sizeof dev);
	assert_string_equal(dev, "/dev/video2");
	hs_source_name("/dev/v4l/by-id/usb-cam", dev, sizeof dev);
	assert_string_equal(dev, "/dev/v4l/by-id/usb-cam");
	hs_source_name("clip.avi", dev, sizeof dev);
	assert_string_equal(dev, "clip.avi");
}

/* The camera messages.  This machine has no camera, so a busy or locked
 * device cannot be produced for real; the shim maps the device's errno to
 * these codes (shim/capture.cpp), and this checks what the user reads. */
static void camera_failures_say_what_to_do(void **state)
{
	(void)state;
	char err[512];
	hs_source_describe_error("0", HS_EBUSY, err, sizeof err);
	assert_string_equal(err, "cannot open camera '/dev/video0': device "
	                         "busy (another application may be using it)");
	hs_source_describe_error("1", HS_ENOENT, err, sizeof err);
	assert_string_equal(err, "cannot open camera '/dev/video1': no such "
	                         "device (is a webcam plugged in?)");
	hs_source_describe_error("/dev/video2", HS_EACCES, err, sizeof err);
	assert_string_equal(err, "cannot open camera '/dev/video2': "
	                         "permission denied (is your user in the "
	                         "'video' group?)");
	hs_source_describe_error("/dev/null", HS_EFORMAT, err, sizeof err);
	assert_string_equal(err, "cannot open camera '/dev/null': not a video "
	                         "capture device");
	hs_source_describe_error("x.avi", HS_EFORMAT, err, sizeof err);
	assert_string_equal(err, "cannot open video 'x.avi': not a video that "
	                         "can be decoded");
}

/* A path the system refuses as too long (here a name over 255 bytes) is
 * said to be that, naming all of it, not "input/output error". */
static void a_path_too_long_is_said_so(void **state)
{
	(void)state;
	char spec[400], want[600], err[1024];
	int n = snprintf(spec, sizeof spec, "/tmp/");
	memset(spec + n, 'a', 300);
	strcpy(spec + n + 300, ".avi");
	hs_source_opts o;
	hs_source_opts_default(&o);
	hs_source *src = NULL;
	assert_int_equal(hs_source_open(spec, &o, &src, err, sizeof err),
	                 HS_ENAMETOOLONG);
	assert_null(src);
	snprintf(want, sizeof want,
	         "cannot open video '%s': file name too long", spec);
	assert_string_equal(err, want);
}

/* A real device node that is no camera gets the same message. */
static void a_device_that_is_no_camera_is_named(void **state)
{
	(void)state;
	hs_source_opts o;
	hs_source_opts_default(&o);
	hs_source *src = NULL;
	char err[512];
	assert_int_equal(hs_source_open("/dev/null", &o, &src, err, sizeof err),
	                 HS_EFORMAT);
	assert_null(src);
	assert_string_equal(err, "cannot open camera '/dev/null': not a video "
	                         "capture device");
	assert_int_equal(
	        hs_source_open("/dev/video97", &o, &src, err, sizeof err),
	        HS_ENOENT);
	assert_non_null(strstr(err, "no such device"));
}

/* An image folder: only image files, in name order, frame i at i/fps. */
static void image_folders_play_in_name_order(void **state)
{
	(void)state;
	char dir[256], path[512];
	hs_test_tmpdir(dir, sizeof dir);
	const char *names[] = { "b.jpg", "a.png", "notes.txt", "c.jpeg" };
	for (size_t i = 0; i < 4; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		FILE *f = fopen(path, "w");
		assert_non_null(f);
		fputs("x", f);
		fclose(f);
	}
	hs_source_opts o;
	hs_source_opts_default(&o);
	o.image_fps = 4;
	hs_source *src = NULL;
	char err[512];
	assert_int_equal(hs_source_open(dir, &o, &src, err, sizeof err), 0);
	assert_int_equal(hs_source_frame_count(src), 3);
	const char *want[] = { "a.png", "b.jpg", "c.jpeg" };
	double t;
	for (int i = 0; i < 3; i++) {
		assert_int_equal(hs_source_grab(src, &t), 0);
		assert_true(fabs(t - i / 4.0) < 1e-9);
		const char *name = strrchr(hs_source_frame_name(src), '/') + 1;
		assert_string_equal(name, want[i]);
	}
	assert_int_equal(hs_source_grab(src, &t), HS_EEOF);
	hs_source_destroy(src);

	/* A folder with no images is refused, naming it. */
	snprintf(path, sizeof path, "%s/empty", dir);
	assert_int_equal(hs_path_mkdirs(path, 0700), 0);
	assert_int_equal(hs_source_open(path, &o, &src, err, sizeof err),
	                 HS_EFORMAT);
	assert_non_null(strstr(err, "a folder with no images"));
	hs_test_rmtree(dir);
}

/* The fixture name opened as a source of this kind (the test is skipped,
 * loudly, without the fixtures). */
static hs_source *open_fixture(const char *name, const char *kind)
{
	char path[4096], err[512];
	if (!hs_test_fixture(name, path, sizeof path))
		skip();
	hs_source_opts o;
	hs_source_opts_default(&o);
	hs_source *src = NULL;
	assert_int_equal(hs_source_open(path, &o, &src, err, sizeof err), 0);
	assert_string_equal(hs_source_kind(src), kind);
	return src;
}

/* A video's frames carry the file's own time stamps. */
static void video_frames_carry_the_file_time(void **state)
{
	(void)state;
	hs_source *src = open_fixture("video/desk-session.avi", "video");
	assert_false(hs_source_is_live(src));
	double t;
	for (int i = 0; i < 10; i++) {
		assert_int_equal(hs_source_grab(src, &t), 0);
		assert_true(fabs(t - i * 0.5) < 0.01); /* a 2 fps clip */
	}
	hs_source_destroy(src);
}

/* Containers may state a frame count a little off, so a video that ends
 * within 1% and 2 frames of it is whole (and `run` and `analyze` agree on
 * it); one that ends sooner was cut short.  Only videos are judged. */
static void a_video_is_cut_short_only_well_before_its_count(void **state)
{
	(void)state;
	hs_source *src = open_fixture("video/desk-session.avi", "video");
	const long want = hs_source_frame_count(src);
	assert_int_equal(want, 400); /* 200 s at 2 fps */
	assert_false(hs_source_cut_short(src, want));
	assert_false(hs_source_cut_short(src, want - 6));
	assert_true(hs_source_cut_short(src, want - 7));
	assert_true(hs_source_cut_short(src, 0));
	hs_source_destroy(src);

	src = open_fixture("desk/neck", "images");
	assert_false(hs_source_cut_short(src, 0));
	hs_source_destroy(src);
}

/* The rule on the numbers of real files: a Matroska clip of 252 frames
 * with 30 fps stamps and every fourth one dropped (FFmpeg says 1000 fps
 * and 11133 frames) is whole; the desk clip cut after 108 frames is not,
 * with or without time stamps. */
static void a_variable_rate_is_not_cut_short(void **state)
{
	(void)state;
	assert_false(hs_video_cut_short(11133, 1000, 252, 11.2));
	assert_true(hs_video_cut_short(400, 2, 108, 53.5));
	assert_true(hs_video_cut_short(400, 2, 108, NAN));
	/* Time stamps that end early, with frames missing, as in the clip
	 * damaged in its middle. */
	assert_true(hs_video_cut_short(400, 2, 390, 194.5));
	assert_false(hs_video_cut_short(400, 2, 396, 197.5));
	assert_false(hs_video_cut_short(-1, 2, 0, NAN));
}

/* Only a container that states its frame count is held to it: AVI and
 * ISO media (MP4, MOV).  Matroska, WebM and MPEG-TS leave FFmpeg to make a
 * count up from a duration that counts from 0, so the later parts of a
 * recording cut with `ffmpeg -f segment` (stamps from 100 s on) would all
 * look cut short. */
static void only_a_stated_count_can_be_cut_short(void **state)
{
	(void)state;
	static const unsigned char avi[12] = { 'R', 'I', 'F', 'F', 0x10, 0,
		                               0,   0,   'A', 'V', 'I',  ' ' };
	static const unsigned char mp4[12] = { 0,   0,   0,   0x20, 'f', 't',
		                               'y', 'p', 'i', 's',  'o', 'm' };
	static const unsigned char mov[12] = { 0,   0,   0, 0x08, 'w', 'i',
		                               'd', 'e', 0, 0,    0,   0 };
	static const unsigned char mkv[12] = { 0x1a, 0x45, 0xdf, 0xa3, 0x9f,
		                               0x42, 0x86, 0x81, 0x01 };
	static const unsigned char ts[12] = { 0x47, 0x40, 0x00, 0x10, 0 };
	static const unsigned char wav[12] = { 'R', 'I', 'F', 'F', 0x10, 0,
		                               0,   0,   'W', 'A', 'V',  'E' };
	assert_true(hs_video_states_count(avi, sizeof avi));
	assert_true(hs_video_states_count(mp4, sizeof mp4));
	assert_true(hs_video_states_count(mov, sizeof mov));
	assert_false(hs_video_states_count(mkv, sizeof mkv));
	assert_false(hs_video_states_count(ts, sizeof ts));
	assert_false(hs_video_states_count(wav, sizeof wav));
	assert_false(hs_video_states_count(avi, 6)); /* a file of 6 bytes */
}

static void write_bytes(const char *path, const unsigned char *bytes, size_t n)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(bytes, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

/* An image whose header states more pixels than OpenCV decodes is
 * HS_ETOOLARGE, and the shim's last error gives the size the header
 * states and the limit, whatever the format (the header alone is enough:
 * OpenCV refuses before reading a pixel). */
static void a_too_large_image_says_its_size(void **state)
{
	(void)state;
	/* P5 with a comment; BMP stored top-down (a negative height); TIFF
	 * both ways round, the width a LONG or a SHORT. */
	static const unsigned char pgm[] = "P5\n# big\n50000\t30000 255\n";
	/* clang-format off */
	static const unsigned char bmp[54] = {
		'B', 'M', 54, 0, 0, 0, 0, 0, 0, 0, 54, 0, 0, 0, 40, 0, 0, 0,
		0x50, 0xc3, 0, 0,       /* width 50000 */
		0xd0, 0x8a, 0xff, 0xff, /* height -30000: rows top-down */
		1, 0, 24, 0,            /* planes, bits */
	};
	static const unsigned char tiff_be[] = {
		'M', 'M', 0, 42, 0, 0, 0, 8, 0, 6,
		1, 0, 0, 4, 0, 0, 0, 1, 0, 0, 0xc3, 0x50,       /* width 50000 */
		1, 1, 0, 3, 0, 0, 0, 1, 0x75, 0x30, 0, 0,       /* length 30000 */
		1, 2, 0, 3, 0, 0, 0, 1, 0, 8, 0, 0,             /* 8 bits */
		1, 6, 0, 3, 0, 0, 0, 1, 0, 1, 0, 0,             /* grey */
		1, 0x11, 0, 4, 0, 0, 0, 1, 0, 0, 0, 8,          /* strip at 8 */
		1, 0x17, 0, 4, 0, 0, 0, 1, 0x59, 0x68, 0x2f, 0, /* its size */
		0, 0, 0, 0,
	};
	static const unsigned char tiff_le[] = {
		'I', 'I', 42, 0, 8, 0, 0, 0, 6, 0,
		0, 1, 3, 0, 1, 0, 0, 0, 0x50, 0xc3, 0, 0,       /* width 50000 */
		1, 1, 4, 0, 1, 0, 0, 0, 0x30, 0x75, 0, 0,       /* length 30000 */
		2, 1, 3, 0, 1, 0, 0, 0, 8, 0, 0, 0,             /* 8 bits */
		6, 1, 3, 0, 1, 0, 0, 0, 1, 0, 0, 0,             /* grey */
		0x11, 1, 4, 0, 1, 0, 0, 0, 8, 0, 0, 0,          /* strip at 8 */
		0x17, 1, 4, 0, 1, 0, 0, 0, 0, 0x2f, 0x68, 0x59, /* its size */
		0, 0, 0, 0,
	};
	/* clang-format on */
	static const struct {
		const char *name;
		const unsigned char *bytes;
		size_t size;
	} files[] = {
		{ "a.pgm", pgm, sizeof pgm - 1 },
		{ "b.bmp", bmp, sizeof bmp },
		{ "c.tif", tiff_be, sizeof tiff_be },
		{ "d.tif", tiff_le, sizeof tiff_le },
	};
	char dir[256], path[512], err[512];
	hs_test_tmpdir(dir, sizeof dir);
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, files[i].name);
		write_bytes(path, files[i].bytes, files[i].size);
	}
	hs_source_opts o;
	hs_source_opts_default(&o);
	hs_source *src = NULL;
	hs_image *img = NULL;
	assert_int_equal(hs_image_create(&img), 0);
	assert_int_equal(hs_source_open(dir, &o, &src, err, sizeof err), 0);
	double t;
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		assert_int_equal(hs_source_grab(src, &t), 0);
		const int rc = hs_source_retrieve(src, img);
		if (rc != HS_ETOOLARGE)
			fail_msg("%s: %s (%s)", files[i].name, hs_strerror(rc),
			         hs_shim_last_error());
		assert_string_equal(hs_shim_last_error(),
		                    "50000x30000 pixels, over the limit of "
		                    "250000000 pixels in all "
		                    "(OPENCV_IO_MAX_IMAGE_PIXELS)");
	}
	hs_source_destroy(src);
	hs_image_destroy(img);
	hs_test_rmtree(dir);
}

/* A PNG of w x h pixels, its header only, at path. */
static void png_header(const char *path, unsigned w, unsigned h)
{
	unsigned char b[33] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n',
		                0,    0,   0,   13,  'I',  'H',  'D',  'R' };
	for (int i = 0; i < 4; i++) {
		b[16 + i] = (unsigned char)(w >> (24 - 8 * i));
		b[20 + i] = (unsigned char)(h >> (24 - 8 * i));
	}
	b[24] = 8; /* 8 bits, grey */
	write_bytes(path, b, sizeof b);
}

/* A tiny file can state a huge picture: a 0.9 MB PNG of 30000x30000 took
 * 2.7 GB to decode (OpenCV lets 2^30 pixels by).  headsup refuses over 250
 * million pixels from the header, before decoding anything, with the size
 * and the limit; a 48 MP photograph (8000x6000) is decoded as before. */
static void a_huge_image_is_refused_before_decoding(void **state)
{
	(void)state;
	static const struct {
		unsigned w, h;
		bool refused;
	} sizes[] = {
		{ 30000, 30000, true },
		{ 20001, 12500, true }, /* 250 million and 12500 more */
		{ 8000, 6000, false },
	};
	char dir[256], path[300];
	hs_test_tmpdir(dir, sizeof dir);
	hs_image *img = NULL;
	assert_int_equal(hs_image_create(&img), 0);
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		snprintf(path, sizeof path, "%s/%u.png", dir, sizes[i].w);
		png_header(path, sizes[i].w, sizes[i].h);
		const int rc = hs_image_load(img, path);
		if (!sizes[i].refused) {
			/* decoded: only its pixels are missing */
			if (rc == HS_ETOOLARGE)
				fail_msg("%ux%u refused: %s", sizes[i].w,
				         sizes[i].h, hs_shim_last_error());
			continue;
		}
		if (rc != HS_ETOOLARGE)
			fail_msg("%ux%u: %s (%s)", sizes[i].w, sizes[i].h,
			         hs_strerror(rc), hs_shim_last_error());
		char want[200];
		snprintf(want, sizeof want,
		         "%ux%u pixels, over the limit of 250000000 pixels in "
		         "all (OPENCV_IO_MAX_IMAGE_PIXELS)",
		         sizes[i].w, sizes[i].h);
		assert_string_equal(hs_shim_last_error(), want);
	}
	/* WebP: an extended file's canvas, 20000x15000 */
	static const unsigned char webp[30] = {
		'R', 'I', 'F', 'F', 22,   0,    0,  0,    'W',  'E',
		'B', 'P', 'V', 'P', '8',  'X',  10, 0,    0,    0,
		0,   0,   0,   0,   0x1f, 0x4e, 0,  0x97, 0x3a, 0
	};
	snprintf(path, sizeof path, "%s/big.webp", dir);
	write_bytes(path, webp, sizeof webp);
	assert_int_equal(hs_image_load(img, path), HS_ETOOLARGE);
	assert_string_equal(hs_shim_last_error(),
	                    "20000x15000 pixels, over the limit of 250000000 "
	                    "pixels in all (OPENCV_IO_MAX_IMAGE_PIXELS)");
	/* The variable, when set, is the limit (OpenCV's too). */
	setenv("OPENCV_IO_MAX_IMAGE_PIXELS", "40000000", 1);
	snprintf(path, sizeof path, "%s/8000.png", dir);
	const int rc = hs_image_load(img, path);
	unsetenv("OPENCV_IO_MAX_IMAGE_PIXELS");
	assert_int_equal(rc, HS_ETOOLARGE);
	assert_string_equal(hs_shim_last_error(),
	                    "8000x6000 pixels, over the limit of 40000000 "
	                    "pixels in all (OPENCV_IO_MAX_IMAGE_PIXELS)");
	hs_image_destroy(img);
	hs_test_rmtree(dir);
}

/* HEIC/HEIF photos (iPhone) cannot be decoded by this OpenCV: one was
 * "cannot open video ...: not a video that can be decoded", and a folder
 * passed them over without a word.  One is said to be a HEIC/HEIF photo,
 * with what to do; a folder says once how many it skipped, and one of
 * only such photos says so. */
static void heic_photos_are_named_with_what_to_do(void **state)
{
	(void)state;
	char dir[256], only[300], path[400], err[1024], log[300];
	char printed[2048];
	hs_test_tmpdir(dir, sizeof dir);
	snprintf(only, sizeof only, "%s/only", dir);
	assert_int_equal(mkdir(only, 0700), 0);
	static const unsigned char ftyp[12] = { 0,   0,   0,   24,  'f', 't',
		                                'y', 'p', 'h', 'e', 'i', 'c' };
	static const char *const names[] = { "IMG_0001.HEIC", "IMG_0002.heif",
		                             "only/IMG_0003.heic" };
	for (int i = 0; i < 3; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		write_bytes(path, ftyp, sizeof ftyp);
	}
	snprintf(path, sizeof path, "%s/desk.png", dir);
	png_header(path, 64, 48);
	snprintf(log, sizeof log, "%s/stderr", dir);

	hs_source_opts o;
	hs_source_opts_default(&o);
	hs_source *src = NULL;
	snprintf(path, sizeof path, "%s/IMG_0001.HEIC", dir);
	assert_ptr_equal(hs_source_pick(path), &hs_source_images);
	assert_int_equal(hs_source_open(path, &o, &src, err, sizeof err),
	                 HS_ENOTSUP);
	char want[1024];
	snprintf(want, sizeof want,
	         "cannot open image '%s': a HEIC/HEIF photo, which this build "
	         "of headsup cannot decode; convert it to JPEG first (e.g. "
	         "heif-convert '%s' photo.jpg)",
	         path, path);
	assert_string_equal(err, want);

	assert_int_equal(hs_source_open(only, &o, &src, err, sizeof err),
	                 HS_ENOTSUP);
	assert_non_null(strstr(err, "its only photos are HEIC/HEIF, which "
	                            "this build of headsup cannot decode; "
	                            "convert them to JPEG first"));

	const int saved = hs_test_stderr_begin(log);
	assert_true(saved >= 0);
	const int rc = hs_source_open(dir, &o, &src, err, sizeof err);
	hs_test_stderr_end(saved, log, printed, sizeof printed);
	unlink(log);
	assert_int_equal(rc, 0);
	assert_int_equal(hs_source_frame_count(src), 1); /* desk.png */
	hs_source_destroy(src);
	snprintf(want, sizeof want,
	         "headsup: warning: skipping 2 HEIC/HEIF photo(s) in '%s': "
	         "this build of headsup cannot decode them; convert them to "
	         "JPEG first (e.g. heif-convert IMG_0001.HEIC IMG_0001.jpg)\n",
	         dir);
	assert_string_equal(printed, want);
	hs_test_rmtree(dir);
}

/* A w x h JPEG of rgb (3 bytes a pixel), in memory from malloc(); with
 * Huffman tables made for this picture when 'optimize', JPEG's standard
 * ones when not. */
static unsigned char *encode_jpeg(unsigned char *rgb, int w, int h,
                                  bool optimize, unsigned long *size)
{
	struct jpeg_compress_struct c;
	struct jpeg_error_mgr e;
	unsigned char *out = NULL;
	c.err = jpeg_std_error(&e);
	jpeg_create_compress(&c);
	*size = 0;
	jpeg_mem_dest(&c, &out, size);
	c.image_width = (JDIMENSION)w;
	c.image_height = (JDIMENSION)h;
	c.input_components = 3;
	c.in_color_space = JCS_RGB;
	jpeg_set_defaults(&c);
	jpeg_set_quality(&c, 95, TRUE);
	c.optimize_coding = optimize ? TRUE : FALSE;
	jpeg_start_compress(&c, TRUE);
	while (c.next_scanline < c.image_height) {
		JSAMPROW row =
		        (JSAMPROW)(rgb + (size_t)c.next_scanline * 3 * w);
		jpeg_write_scanlines(&c, &row, 1);
	}
	jpeg_finish_compress(&c);
	jpeg_destroy_compress(&c);
	return out;
}

/* The JPEG of n bytes without its Huffman tables (DHT segments), as many
 * cameras send their MJPG frames, into out (n bytes); its size. */
static size_t strip_dht(const unsigned char *jpg, size_t n, unsigned char *out)
{
	size_t m = 2, i = 2;
	memcpy(out, jpg, 2);
	while (i + 4 <= n && !(jpg[i] == 0xff && jpg[i + 1] == 0xda)) {
		const size_t len = 2 + ((size_t)jpg[i + 2] << 8 | jpg[i + 3]);
		if (jpg[i + 1] != 0xc4) {
			memcpy(out + m, jpg + i, len);
			m += len;
		}
		i += len;
	}
	assert_true(i < n && m < i); /* tables were left out */
	memcpy(out + m, jpg + i, n - i);
	return m + n - i;
}

/* Pixel (x, y) of img as RGB, through the same sampling the face mesh
 * uses (an identity map). */
static void pixel_rgb(const hs_image *img, int x, int y, float rgb[3])
{
	const double A[6] = { 1, 0, x, 0, 1, y };
	hs_pixels px;
	assert_int_equal(hs_image_pixels(img, &px), 0);
	assert_int_equal(hs_resample_affine(&px, A, 1, 1, 1.0f, 0.0f, rgb), 0);
}

static void assert_colour(const float got[3], const unsigned char want[3])
{
	for (int c = 0; c < 3; c++)
		if (fabsf(got[c] - want[c]) > 12)
			fail_msg("channel %d: %.0f, expected about %d", c,
			         (double)got[c], want[c]);
}

/* The camera frame of these tests: 64x48, red on the left half, blue on
 * the right, as a JPEG with standard tables (malloc()ed; *n its size). */
enum {
	CAM_W = 64,
	CAM_H = 48
};
static const unsigned char red[3] = { 220, 40, 30 }, blue[3] = { 30, 60, 210 };

static unsigned char *red_blue_jpeg(unsigned long *n)
{
	static unsigned char rgb[CAM_H][CAM_W][3];
	for (int y = 0; y < CAM_H; y++)
		for (int x = 0; x < CAM_W; x++)
			memcpy(rgb[y][x], x < CAM_W / 2 ? red : blue, 3);
	unsigned char *jpg = encode_jpeg(&rgb[0][0][0], CAM_W, CAM_H, false, n);
	assert_non_null(jpg);
	return jpg;
}

/* Many webcams send MJPG frames with stray bytes between segments, and
 * libjpeg prints "Corrupt JPEG data: ..." for each (through OpenCV, one
 * line a frame in the user's journal).  A camera's frames are decoded by
 * hs_image_decode_jpeg(): such a frame decodes to the right picture,
 * the damage is counted, and nothing reaches stderr; so do frames without
 * Huffman tables and frames cut short; data that is no JPEG is an error
 * saying why. */
static void camera_jpeg_frames_decode_quietly(void **state)
{
	(void)state;
	unsigned long n = 0;
	unsigned char *clean = red_blue_jpeg(&n);
	assert_non_null(clean);
	assert_int_equal(clean[2], 0xff); /* an APP0 segment follows SOI */
	assert_int_equal(clean[3], 0xe0);
	/* 3 stray bytes before the segment after APP0 (a table) */
	const size_t at = 4 + ((size_t)clean[4] << 8 | clean[5]);
	unsigned char *stray = malloc(n + 3);
	assert_non_null(stray);
	memcpy(stray, clean, at);
	memcpy(stray + at, "\x12\x34\x56", 3);
	memcpy(stray + at + 3, clean + at, n - at);
	/* Many cameras leave out the Huffman tables (DHT segments) of their
	 * MJPG frames, which then use JPEG's standard ones, as ours do. */
	unsigned char *no_dht = malloc(n);
	assert_non_null(no_dht);
	const size_t m = strip_dht(clean, n, no_dht);

	char dir[256], log[512];
	hs_test_tmpdir(dir, sizeof dir);
	snprintf(log, sizeof log, "%s/stderr", dir);
	const int saved = hs_test_stderr_begin(log);
	assert_true(saved >= 0);

	hs_image *img = NULL;
	assert_int_equal(hs_image_create(&img), 0);
	int damaged = -1, w, h;
	int rc_clean = hs_image_decode_jpeg(img, clean, n, &damaged);
	const int damaged_clean = damaged;
	float left[3], right[3];
	pixel_rgb(img, 5, 20, left);
	pixel_rgb(img, 60, 20, right);

	int rc_stray = hs_image_decode_jpeg(img, stray, n + 3, &damaged);
	const int damaged_stray = damaged;
	hs_image_size(img, &w, &h);
	float left2[3], right2[3];
	pixel_rgb(img, 5, 20, left2);
	pixel_rgb(img, 60, 20, right2);

	int rc_no_dht = hs_image_decode_jpeg(img, no_dht, m, &damaged);
	const int damaged_no_dht = damaged;
	float left3[3], right3[3];
	pixel_rgb(img, 5, 20, left3);
	pixel_rgb(img, 60, 20, right3);

	/* cut off half way through the picture: the rest is filled in */
	size_t sos = 2;
	while (sos + 1 < n && !(clean[sos] == 0xff && clean[sos + 1] == 0xda))
		sos++;
	int rc_cut =
	        hs_image_decode_jpeg(img, clean, sos + (n - sos) / 2, &damaged);
	const int damaged_cut = damaged;
	int rc_junk = hs_image_decode_jpeg(
	        img, (const unsigned char *)"hello, world", 12, &damaged);
	char why[256];
	snprintf(why, sizeof why, "%s", hs_shim_last_error());
	int rc_empty = hs_image_decode_jpeg(img, clean, 0, NULL);

	char printed[512];
	hs_test_stderr_end(saved, log, printed, sizeof printed);

	assert_int_equal(rc_clean, 0);
	assert_int_equal(damaged_clean, 0);
	assert_colour(left, red);
	assert_colour(right, blue);
	assert_int_equal(rc_stray, 0);
	assert_true(damaged_stray >= 1);
	assert_int_equal(w, CAM_W);
	assert_int_equal(h, CAM_H);
	assert_colour(left2, red);
	assert_colour(right2, blue);
	assert_int_equal(rc_no_dht, 0);
	assert_int_equal(damaged_no_dht, 0);
	assert_colour(left3, red);
	assert_colour(right3, blue);
	assert_int_equal(rc_cut, 0);
	assert_true(damaged_cut >= 1);
	assert_int_equal(rc_junk, HS_EFORMAT);
	assert_non_null(strstr(why, "Not a JPEG file"));
	assert_int_equal(rc_empty, HS_EFORMAT);
	if (printed[0])
		fail_msg("decoding printed on stderr: %s", printed);

	hs_image_destroy(img);
	free(no_dht);
	free(stray);
	free(clean);
	hs_test_rmtree(dir);
}

/* A frame decodes from its own bytes alone.  libjpeg keeps the Huffman
 * tables of one frame for the next frames that have none, as a camera's
 * MJPG frames often do not: after a frame that brought tables of its own
 * (a damaged one whose stray bytes made a table), every later frame
 * decoded wrong, with warnings, until one brought tables again. */
static void camera_frames_do_not_inherit_tables(void **state)
{
	(void)state;
	static const unsigned char green[3] = { 40, 200, 60 };
	unsigned long n = 0, n_own = 0;
	unsigned char *standard = red_blue_jpeg(&n);
	unsigned char *no_dht = malloc(n);
	assert_non_null(no_dht);
	const size_t m = strip_dht(standard, n, no_dht);
	static unsigned char rgb[CAM_H][CAM_W][3];
	for (int y = 0; y < CAM_H; y++) /* another picture, its own tables */
		for (int x = 0; x < CAM_W; x++)
			memcpy(rgb[y][x], (x / 4 + y / 4) % 2 ? green : red, 3);
	unsigned char *own =
	        encode_jpeg(&rgb[0][0][0], CAM_W, CAM_H, true, &n_own);
	assert_non_null(own);

	char dir[256], log[512];
	hs_test_tmpdir(dir, sizeof dir);
	snprintf(log, sizeof log, "%s/stderr", dir);
	const int saved = hs_test_stderr_begin(log);
	assert_true(saved >= 0);
	hs_image *img = NULL;
	assert_int_equal(hs_image_create(&img), 0);
	int damaged[3] = { -1, -1, -1 }, rc[3];
	float left[3], right[3];
	rc[0] = hs_image_decode_jpeg(img, no_dht, m, &damaged[0]);
	rc[1] = hs_image_decode_jpeg(img, own, n_own, &damaged[1]);
	rc[2] = hs_image_decode_jpeg(img, no_dht, m, &damaged[2]);
	pixel_rgb(img, 5, 20, left);
	pixel_rgb(img, 60, 20, right);
	char printed[512];
	hs_test_stderr_end(saved, log, printed, sizeof printed);

	for (int i = 0; i < 3; i++) {
		assert_int_equal(rc[i], 0);
		assert_int_equal(damaged[i], 0);
	}
	assert_colour(left, red);
	assert_colour(right, blue);
	assert_string_equal(printed, "");
	hs_image_destroy(img);
	free(own);
	free(no_dht);
	free(standard);
	hs_test_rmtree(dir);
}

/* Junk after the picture, which libjpeg meets only once every row is in
 * (reading on to the end): the frame is whole and kept, with the damage
 * counted.  It was refused ("Unsupported marker type 0x84"), a camera
 * frame lost. */
static void junk_after_the_picture_keeps_the_frame(void **state)
{
	(void)state;
	unsigned long n = 0;
	unsigned char *clean = red_blue_jpeg(&n);
	unsigned char *junk = malloc(n + 2);
	assert_true(clean && junk);
	assert_true(clean[n - 2] == 0xff && clean[n - 1] == 0xd9); /* EOI */
	memcpy(junk, clean, n - 2);
	memcpy(junk + n - 2, "\xff\x84\xff\xd9", 4); /* a marker no JPEG has */

	hs_image *img = NULL;
	assert_int_equal(hs_image_create(&img), 0);
	int damaged = -1, w = 0, h = 0;
	assert_int_equal(hs_image_decode_jpeg(img, junk, n + 2, &damaged), 0);
	assert_true(damaged >= 1);
	hs_image_size(img, &w, &h);
	assert_int_equal(w, CAM_W);
	assert_int_equal(h, CAM_H);
	float left[3], right[3];
	pixel_rgb(img, 5, 20, left);
	pixel_rgb(img, 60, 20, right);
	assert_colour(left, red);
	assert_colour(right, blue);
	hs_image_destroy(img);
	free(junk);
	free(clean);
}

/* A stream without time stamps of its own (JPEGs one after another, as
 * raw MJPEG): FFmpeg gives its frames times far below zero, which reached
 * the journal as minutes 240,000 years back.  Its frames are timed by
 * their number instead, 25 a second, from 0. */
static void unstamped_video_is_timed_from_zero(void **state)
{
	(void)state;
	enum {
		W = 32,
		H = 24,
		FRAMES = 6
	};
	static unsigned char rgb[H][W][3];
	memset(rgb, 128, sizeof rgb);
	unsigned long n = 0;
	unsigned char *jpg = encode_jpeg(&rgb[0][0][0], W, H, false, &n);
	assert_non_null(jpg);
	char dir[256], path[300], err[512];
	hs_test_tmpdir(dir, sizeof dir);
	snprintf(path, sizeof path, "%s/raw.mjpeg", dir);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	for (int i = 0; i < FRAMES; i++)
		assert_int_equal(fwrite(jpg, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
	free(jpg);

	hs_source_opts o;
	hs_source_opts_default(&o);
	hs_source *src = NULL;
	assert_int_equal(hs_source_open(path, &o, &src, err, sizeof err), 0);
	assert_string_equal(hs_source_kind(src), "video");
	double t;
	int frames = 0;
	while (hs_source_grab(src, &t) == 0) {
		if (fabs(t - frames / 25.0) > 1e-9)
			fail_msg("frame %d at %g s, expected %g", frames, t,
			         frames / 25.0);
		frames++;
	}
	assert_int_equal(frames, FRAMES);
	hs_source_destroy(src);
	hs_test_rmtree(dir);
}

/* The rule on numbers: `cat a.ts a.ts` at 2 frames a second, stamps
 * 0 ... 4.5 s and then 0 ... 4.5 s again.  Every frame after the jump back
 * was skipped by the monitor (not yet due), silently, with exit 0. */
static void video_times_follow_on_where_stamps_go_back(void **state)
{
	(void)state;
	double offset = 0, last = -INFINITY;
	bool back = true;
	int backs = 0;
	for (int i = 0; i < 20; i++) {
		const double stamp = (i % 10) * 0.5;
		const double t =
		        hs_video_follow_on(stamp, last, 2.0, &offset, &back);
		if (fabs(t - i * 0.5) > 1e-9)
			fail_msg("frame %d at %g s, want %g", i, t, i * 0.5);
		if (back && i != 10)
			fail_msg("frame %d said to go back", i);
		backs += back;
		last = t;
	}
	assert_int_equal(backs, 1);
	assert_true(offset == 5.0);
	/* A step back within a frame period (frames reordered) is no jump:
	 * the time stays where it was, and the offset with it. */
	offset = 0;
	assert_true(hs_video_follow_on(9.8, 10.0, 2.0, &offset, &back) == 10.0);
	assert_false(back);
	assert_true(offset == 0);
	/* Forward is left as the file says, gaps too; the first frame too. */
	assert_true(hs_video_follow_on(30.0, 10.0, 2.0, &offset, &back) ==
	            30.0);
	assert_false(back);
	assert_true(hs_video_follow_on(7.0, -INFINITY, 2.0, &offset, &back) ==
	            7.0);
	assert_false(back);
	/* The offset goes on for the frames after the jump, and a second
	 * jump back adds to it. */
	offset = 100;
	assert_true(hs_video_follow_on(1.0, 300.0, 25.0, &offset, &back) ==
	            300.04);
	assert_true(back);
	assert_near(offset, 299.04, 1e-9);
	assert_near(hs_video_follow_on(1.04, 300.04, 25.0, &offset, &back),
	            300.08, 1e-9);
	assert_false(back);
}

/* A real MPEG-TS file joined to itself, made with ffmpeg from the desk
 * clip when ffmpeg is there (it is not among the test packages): its
 * second half follows on, and the user is told once, with the file and
 * the frame. */
static void video_joined_to_itself_plays_on(void **state)
{
	(void)state;
	char desk[4096];
	if (!hs_test_fixture("video/desk-session.avi", desk, sizeof desk))
		skip();
	if (hs_test_run("command -v ffmpeg >/dev/null 2>&1", NULL, 0) != 0)
		SKIP_LOUDLY("ffmpeg is not installed, so no MPEG-TS file can "
		            "be made; the rule is tested on numbers in "
		            "video_times_follow_on_where_stamps_go_back");
	char dir[256], twice[512], log[512], cmd[6144];
	hs_test_tmpdir(dir, sizeof dir);
	snprintf(twice, sizeof twice, "%s/twice.ts", dir);
	snprintf(log, sizeof log, "%s/stderr", dir);
	snprintf(cmd, sizeof cmd,
	         "ffmpeg -nostdin -v error -y -i '%s' -t 5 -c:v mpeg2video "
	         "-f mpegts '%s/a.ts' && cat '%s/a.ts' '%s/a.ts' > '%s'",
	         desk, dir, dir, dir, twice);
	assert_int_equal(hs_test_run(cmd, NULL, 0), 0);

	const int saved = hs_test_stderr_begin(log);
	assert_true(saved >= 0);
	hs_source_opts o;
	hs_source_opts_default(&o);
	hs_source *src = NULL;
	char err[512];
	int rc_open = hs_source_open(twice, &o, &src, err, sizeof err);
	double t[64];
	int n = 0;
	while (rc_open == 0 && n < 64 && hs_source_grab(src, &t[n]) == 0)
		n++;
	hs_source_destroy(src);
	char printed[2048];
	hs_test_stderr_end(saved, log, printed, sizeof printed);

	assert_int_equal(rc_open, 0);
	assert_int_equal(n, 20); /* 5 s at 2 fps, twice */
	for (int i = 1; i < n; i++)
		if (fabs(t[i] - t[i - 1] - 0.5) > 0.01)
			fail_msg("frame %d at %g s after %g s", i, t[i],
			         t[i - 1]);
	char want[700];
	snprintf(want, sizeof want,
	         "time stamps of video '%s' go back at frame 10 ", twice);
	const char *said = strstr(printed, want);
	if (!said)
		fail_msg("not said: %s\nstderr: %s", want, printed);
	assert_non_null(strstr(said, "the frames after it are taken as "
	                             "following on"));
	assert_null(strstr(said + strlen(want), "go back at frame"));
	hs_test_rmtree(dir);
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static bool have_ffmpeg(void)
{
	return hs_test_run("command -v ffmpeg >/dev/null 2>&1", NULL, 0) == 0;
}

/* Make path from ffmpeg's test pattern: "ffmpeg ... -i testsrc <args>
 * path". */
static void make_clip(const char *testsrc, const char *args, const char *path)
{
	char cmd[2048];
	snprintf(cmd, sizeof cmd,
	         "ffmpeg -nostdin -v error -y -f lavfi -i 'testsrc=%s' %s "
	         "'%s'",
	         testsrc, args, path);
	if (hs_test_run(cmd, NULL, 0) != 0)
		fail_msg("ffmpeg could not make %s", path);
}

/* Read the video at path to its end: up to max frame times into t, what
 * was printed into printed; the frames read. */
static int read_video(const char *path, double *t, int max, char *printed,
                      size_t size, hs_source **keep)
{
	char dir[256], log[300], err[512];
	hs_test_tmpdir(dir, sizeof dir);
	snprintf(log, sizeof log, "%s/stderr", dir);
	const int saved = hs_test_stderr_begin(log);
	assert_true(saved >= 0);
	hs_source_opts o;
	hs_source_opts_default(&o);
	hs_source *src = NULL;
	const int rc = hs_source_open(path, &o, &src, err, sizeof err);
	int n = 0;
	double ignored;
	while (rc == 0 && hs_source_grab(src, n < max ? &t[n] : &ignored) == 0)
		n++;
	hs_test_stderr_end(saved, log, printed, size);
	hs_test_rmtree(dir);
	if (rc != 0)
		fail_msg("cannot open %s: %s", path, err);
	if (keep)
		*keep = src;
	else
		hs_source_destroy(src);
	return n;
}

/* Raw H.264 (a .h264 file, as some cameras and converters write) has no
 * time stamps, and FFmpeg gives every frame 0: a 200 s clip was 0.5 s of
 * monitoring, and calibrate saw one frame.  Its frames are timed by
 * their number at the stream's rate. */
static void raw_h264_is_timed_by_frame_number(void **state)
{
	(void)state;
	if (!have_ffmpeg())
		SKIP_LOUDLY("ffmpeg is not installed, so no raw H.264 stream "
		            "can be made");
	char dir[256], path[300], printed[2048];
	hs_test_tmpdir(dir, sizeof dir);
	snprintf(path, sizeof path, "%s/raw.h264", dir);
	make_clip("size=96x64:rate=5",
	          "-frames:v 20 -c:v libx264 -pix_fmt yuv420p -f h264", path);
	double t[32];
	const int n = read_video(path, t, 32, printed, sizeof printed, NULL);
	assert_int_equal(n, 20);
	for (int i = 0; i < n; i++)
		if (fabs(t[i] - i * 0.2) > 1e-6)
			fail_msg("frame %d at %g s, want %g", i, t[i], i * 0.2);
	assert_string_equal(printed, "");
	hs_test_rmtree(dir);
}

/* An ordinary H.264 MP4 with B-frames: the frames the decoder hands over
 * at the end carry no stamp, and FFmpeg says 0 for them, which read as
 * the stamps going back (a warning about the user's own file) and timed
 * them wrong.  They follow on, a frame period apart, silently. */
static void frames_flushed_at_the_end_follow_on_silently(void **state)
{
	(void)state;
	if (!have_ffmpeg())
		SKIP_LOUDLY("ffmpeg is not installed, so no H.264 MP4 can be "
		            "made");
	static const char *const names[] = { "b.mp4", "b.mkv" };
	for (size_t k = 0; k < 2; k++) {
		char dir[256], path[300], printed[2048];
		hs_test_tmpdir(dir, sizeof dir);
		snprintf(path, sizeof path, "%s/%s", dir, names[k]);
		make_clip("size=96x64:rate=5",
		          "-frames:v 20 -c:v libx264 -bf 2 -pix_fmt yuv420p",
		          path);
		double t[32];
		const int n =
		        read_video(path, t, 32, printed, sizeof printed, NULL);
		assert_int_equal(n, 20);
		for (int i = 0; i < n; i++)
			if (fabs(t[i] - i * 0.2) > 1e-6)
				fail_msg("%s: frame %d at %g s, want %g",
				         names[k], i, t[i], i * 0.2);
		assert_string_equal(printed, "");
		hs_test_rmtree(dir);
	}
}

/* Overwrite n bytes of the file at path from offset with zeros. */
static void spoil(const char *path, long offset, int n)
{
	FILE *f = fopen(path, "r+b");
	assert_non_null(f);
	assert_int_equal(fseek(f, offset, SEEK_SET), 0);
	for (int i = 0; i < n; i++)
		fputc(0, f);
	assert_int_equal(fclose(f), 0);
}

/* A video damaged in its middle (5 kB zeroed a third of the way into an
 * H.264 MP4) is read past the damage, as ffmpeg reads it: reading stopped
 * at the first frame that could not be decoded (frame 29 of 100), and the
 * rest of the file was lost (and said to be truncated).  The frames skipped are
 * said once, with the file and where.  A file truly cut short still ends at
 * once, with the truncation error's rule, and nothing said of skipped frames.
 */
static void undecodable_frames_in_the_middle_are_skipped(void **state)
{
	(void)state;
	if (!have_ffmpeg())
		SKIP_LOUDLY("ffmpeg is not installed, so no damaged video can "
		            "be made");
	char dir[256], path[300], cut[300], cmd[1024], printed[4096];
	hs_test_tmpdir(dir, sizeof dir);
	snprintf(path, sizeof path, "%s/damaged.mp4", dir);
	snprintf(cut, sizeof cut, "%s/cut.mp4", dir);
	make_clip("size=160x120:rate=10",
	          "-frames:v 100 -c:v libx264 -g 10 -pix_fmt yuv420p "
	          "-movflags +faststart",
	          path);
	struct stat sb;
	assert_int_equal(stat(path, &sb), 0);
	snprintf(cmd, sizeof cmd, "head -c %ld '%s' > '%s'",
	         (long)sb.st_size / 2, path, cut);
	assert_int_equal(hs_test_run(cmd, NULL, 0), 0);
	spoil(path, (long)sb.st_size / 3, 5000);

	double t[128];
	hs_source *src = NULL;
	int n = read_video(path, t, 128, printed, sizeof printed, &src);
	if (n < 85)
		fail_msg("%d frames read of 100; said: %s", n, printed);
	assert_false(hs_source_cut_short(src, n));
	hs_source_destroy(src);
	for (int i = 1; i < n; i++)
		assert_true(t[i] > t[i - 1]);
	char want[512];
	snprintf(want, sizeof want, "headsup: warning: video '%s': ", path);
	const char *said = strstr(printed, want);
	if (!said)
		fail_msg("not said: %s\nstderr: %s", want, printed);
	assert_non_null(strstr(said, " cannot be decoded; skipped them, and "
	                             "read on from "));

	const double start = now_s();
	n = read_video(cut, t, 128, printed, sizeof printed, &src);
	assert_true(now_s() - start < 5.0);
	if (n < 35 || n > 50)
		fail_msg("%d frames read of the first half", n);
	assert_true(hs_source_cut_short(src, n));
	hs_source_destroy(src);
	hs_test_rmtree(dir);
}

/* Mean absolute difference of two images' BGR values, 255 when their
 * sizes differ. */
static double mean_diff(const hs_image *a, const hs_image *b)
{
	hs_pixels pa, pb;
	if (hs_image_pixels(a, &pa) < 0 || hs_image_pixels(b, &pb) < 0 ||
	    pa.w != pb.w || pa.h != pb.h)
		return 255;
	double sum = 0;
	for (int y = 0; y < pa.h; y++)
		for (int x = 0; x < 3 * pa.w; x++)
			sum += abs(pa.bgr[y * pa.stride + x] -
			           pb.bgr[y * pb.stride + x]);
	return sum / (3.0 * pa.w * pa.h);
}

/* A phone video held upright: its pixels stored turned, with a tag that
 * says how to turn them back.  Each frame reads as FFmpeg (and so every
 * player) shows it: OpenCV 4.6 turned 90 and 270 the wrong way, and the
 * face was found upside down, if at all. */
static void a_rotation_tag_is_turned_as_players_turn_it(void **state)
{
	(void)state;
	char desk[4096];
	if (!hs_test_fixture("video/desk-session.avi", desk, sizeof desk))
		skip();
	if (!have_ffmpeg())
		SKIP_LOUDLY("ffmpeg is not installed, so no tagged video can "
		            "be made");
	char dir[256], cmd[6144], path[512], shown[512];
	hs_test_tmpdir(dir, sizeof dir);
	snprintf(cmd, sizeof cmd,
	         "ffmpeg -nostdin -v error -y -i '%s' -t 2 -vf transpose=1 "
	         "-c:v libx264 -crf 12 -pix_fmt yuv420p '%s/turned.mp4'",
	         desk, dir);
	assert_int_equal(hs_test_run(cmd, NULL, 0), 0);
	hs_image *ours = NULL, *theirs = NULL;
	assert_int_equal(hs_image_create(&ours), 0);
	assert_int_equal(hs_image_create(&theirs), 0);
	static const int tags[] = { 90, 180, 270 };
	for (size_t i = 0; i < sizeof tags / sizeof tags[0]; i++) {
		snprintf(path, sizeof path, "%s/tag%d.mp4", dir, tags[i]);
		snprintf(shown, sizeof shown, "%s/shown%d.png", dir, tags[i]);
		/* The tag goes on as the stream is copied; then FFmpeg's own
		 * turned picture of the first frame. */
		snprintf(cmd, sizeof cmd,
		         "ffmpeg -nostdin -v error -y -i '%s/turned.mp4' -c "
		         "copy -metadata:s:v:0 rotate=%d '%s' && ffmpeg "
		         "-nostdin -v error -y -i '%s' -frames:v 1 '%s'",
		         dir, tags[i], path, path, shown);
		assert_int_equal(hs_test_run(cmd, NULL, 0), 0);
		assert_int_equal(hs_image_load(theirs, shown), 0);

		hs_source_opts o;
		hs_source_opts_default(&o);
		hs_source *src = NULL;
		char err[512];
		assert_int_equal(
		        hs_source_open(path, &o, &src, err, sizeof err), 0);
		double t;
		assert_int_equal(hs_source_grab(src, &t), 0);
		assert_int_equal(hs_source_retrieve(src, ours), 0);
		hs_source_destroy(src);
		const double d = mean_diff(ours, theirs);
		if (d > 4)
			fail_msg("tag %d: the frame differs from what FFmpeg "
			         "shows by %.1f levels on average",
			         tags[i], d);
	}
	hs_image_destroy(ours);
	hs_image_destroy(theirs);
	hs_test_rmtree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(specs_pick_the_right_back_end),
		cmocka_unit_test(camera_failures_say_what_to_do),
		cmocka_unit_test(a_device_that_is_no_camera_is_named),
		cmocka_unit_test(a_path_too_long_is_said_so),
		cmocka_unit_test(image_folders_play_in_name_order),
		cmocka_unit_test(video_frames_carry_the_file_time),
		cmocka_unit_test(
		        a_video_is_cut_short_only_well_before_its_count),
		cmocka_unit_test(a_variable_rate_is_not_cut_short),
		cmocka_unit_test(only_a_stated_count_can_be_cut_short),
		cmocka_unit_test(a_too_large_image_says_its_size),
		cmocka_unit_test(a_huge_image_is_refused_before_decoding),
		cmocka_unit_test(heic_photos_are_named_with_what_to_do),
		cmocka_unit_test(a_rotation_tag_is_turned_as_players_turn_it),
		cmocka_unit_test(camera_jpeg_frames_decode_quietly),
		cmocka_unit_test(camera_frames_do_not_inherit_tables),
		cmocka_unit_test(junk_after_the_picture_keeps_the_frame),
		cmocka_unit_test(unstamped_video_is_timed_from_zero),
		cmocka_unit_test(video_times_follow_on_where_stamps_go_back),
		cmocka_unit_test(video_joined_to_itself_plays_on),
		cmocka_unit_test(raw_h264_is_timed_by_frame_number),
		cmocka_unit_test(frames_flushed_at_the_end_follow_on_silently),
		cmocka_unit_test(undecodable_frames_in_the_middle_are_skipped),
	};
	unsetenv("OPENCV_IO_MAX_IMAGE_PIXELS"); /* its default, 2^30 */
	unsetenv("OPENCV_LOG_LEVEL");           /* the libraries keep quiet */
	return cmocka_run_group_tests(tests, NULL, NULL);
}
