/* test_cameras.c - finding the webcam among the video device nodes: which
 * one is the default, the nodes in number order, their stable names, and
 * `headsup cameras` on this machine. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "headsup/cameras.h"
#include "headsup/err.h"
#include "headsup/source.h"
#include "testutil.h"

static void node(const char *name)
{
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s/%s", hs_test_tmp, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fclose(f);
}

static void link_node(const char *to, const char *name)
{
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s/%s", hs_test_tmp, name);
	assert_int_equal(symlink(to, path), 0);
}

static int pick(const hs_camera_kind *kinds, int n)
{
	hs_camera cams[8];
	memset(cams, 0, sizeof cams);
	for (int i = 0; i < n; i++)
		cams[i].kind = kinds[i];
	return hs_cameras_pick(cams, n);
}

/* A USB webcam's metadata node and a face-unlock infrared camera come
 * before the webcam on many laptops; neither is watched by default. */
static void the_default_is_the_first_colour_camera(void **state)
{
	(void)state;
	const hs_camera_kind laptop[] = { HS_CAMERA_GREY, HS_CAMERA_NO_CAPTURE,
		                          HS_CAMERA_COLOUR, HS_CAMERA_COLOUR };
	assert_int_equal(pick(laptop, 4), 2);
	/* A camera that cannot be opened (no permission) is most likely
	 * the webcam: opening it then says why it cannot be used. */
	const hs_camera_kind locked[] = { HS_CAMERA_VIRTUAL,
		                          HS_CAMERA_UNREADABLE };
	assert_int_equal(pick(locked, 2), 1);
	/* A virtual camera (a phone as webcam) when there is nothing else. */
	const hs_camera_kind phone[] = { HS_CAMERA_NO_CAPTURE,
		                         HS_CAMERA_VIRTUAL };
	assert_int_equal(pick(phone, 2), 1);
	/* Infrared only: nothing by default. */
	const hs_camera_kind ir[] = { HS_CAMERA_GREY, HS_CAMERA_NO_CAPTURE };
	assert_int_equal(pick(ir, 2), -1);
	assert_int_equal(pick(ir, 0), -1);
}

/* Nodes come in number order (video10 after video2), other names are
 * not nodes, and each gets a kind: files and /dev/null answer no V4L2
 * question, a dangling name cannot be opened. */
static void nodes_are_listed_in_number_order(void **state)
{
	(void)state;
	node("video10");
	node("video2");
	node("video0");
	node("video");
	node("videoX1");
	node("vbi0");
	link_node("/dev/null", "video7");
	link_node("gone", "video3");
	hs_camera cams[8];
	assert_int_equal(hs_cameras_list(hs_test_tmp, NULL, cams, 8), 5);
	const char *const order[] = { "video0", "video2", "video3", "video7",
		                      "video10" };
	for (int i = 0; i < 5; i++) {
		char want[PATH_MAX];
		snprintf(want, sizeof want, "%s/%s", hs_test_tmp, order[i]);
		assert_string_equal(cams[i].path, want);
	}
	assert_int_equal(cams[0].kind, HS_CAMERA_NO_CAPTURE);
	assert_int_equal(cams[3].kind, HS_CAMERA_NO_CAPTURE);
	assert_int_equal(cams[2].kind, HS_CAMERA_UNREADABLE);
	assert_int_equal(cams[2].error, HS_ENOENT);
	assert_string_equal(hs_camera_kind_words(cams[2].kind),
	                    "cannot be opened");
	/* Only the unreadable one could be a webcam. */
	assert_int_equal(hs_cameras_pick(cams, 5), 2);
	/* A short array gets the first nodes; the count is all of them. */
	memset(cams, 0, sizeof cams);
	assert_int_equal(hs_cameras_list(hs_test_tmp, NULL, cams, 2), 5);
	assert_non_null(strstr(cams[1].path, "/video2"));
	assert_string_equal(cams[2].path, "");
	/* The node a running monitor watches is not opened, even when
	 * named by a link: it counts as the webcam it is. */
	char link[PATH_MAX];
	snprintf(link, sizeof link, "%s/by-id-cam", hs_test_tmp);
	assert_int_equal(symlink("video2", link), 0);
	assert_int_equal(hs_cameras_list(hs_test_tmp, link, cams, 8), 5);
	assert_true(cams[1].skipped);
	assert_int_equal(cams[1].kind, HS_CAMERA_COLOUR);
	assert_false(cams[0].skipped || cams[2].skipped || cams[3].skipped ||
	             cams[4].skipped);
	assert_int_equal(hs_cameras_pick(cams, 5), 1);
	/* No such folder: no nodes. */
	char none[PATH_MAX];
	snprintf(none, sizeof none, "%s/none", hs_test_tmp);
	assert_int_equal(hs_cameras_list(none, NULL, cams, 8), 0);
}

/* The stable name of hs_test_tmp/node is hs_test_tmp/link, or there is none
 * (NULL). */
static void assert_stable_name(const char *node, const char *link)
{
	char path[PATH_MAX], name[PATH_MAX], want[PATH_MAX];
	snprintf(path, sizeof path, "%s/%s", hs_test_tmp, node);
	const int rc =
	        hs_camera_stable_name(hs_test_tmp, path, name, sizeof name);
	assert_int_equal(rc, link ? 0 : HS_ENOENT);
	if (link) {
		snprintf(want, sizeof want, "%s/%s", hs_test_tmp, link);
		assert_string_equal(name, want);
	}
}

/* udev's links name a device by maker and serial (by-id) or by port
 * (by-path); either keeps naming it when its number changes. */
static void stable_names_follow_udev_links(void **state)
{
	(void)state;
	node("video0");
	node("video2");
	node("video4");
	char dir[PATH_MAX];
	snprintf(dir, sizeof dir, "%s/v4l", hs_test_tmp);
	assert_int_equal(mkdir(dir, 0700), 0);
	snprintf(dir, sizeof dir, "%s/v4l/by-id", hs_test_tmp);
	assert_int_equal(mkdir(dir, 0700), 0);
	snprintf(dir, sizeof dir, "%s/v4l/by-path", hs_test_tmp);
	assert_int_equal(mkdir(dir, 0700), 0);
	link_node("../../video2", "v4l/by-id/usb-Maker_Cam_123-video-index0");
	link_node("../../video2", "v4l/by-path/pci-0000:00:14.0-usb-0:8-video");
	link_node("../../video0", "v4l/by-path/pci-0000:00:14.0-usb-0:1-video");
	assert_stable_name("video2",
	                   "v4l/by-id/usb-Maker_Cam_123-video-index0");
	assert_stable_name("video0",
	                   "v4l/by-path/pci-0000:00:14.0-usb-0:1-video");
	assert_stable_name("video4", NULL); /* no link to it */
	assert_stable_name("video9", NULL); /* no such node */
}

/* The source "" (no --source, no [monitor] source) opens what the list
 * picks in /dev, or names /dev/video0 when nothing fits. */
static void an_empty_source_is_the_webcam_found(void **state)
{
	(void)state;
	hs_camera cams[HS_CAMERAS_MAX];
	int n = hs_cameras_list("/dev", NULL, cams, HS_CAMERAS_MAX);
	const int i =
	        hs_cameras_pick(cams, n < HS_CAMERAS_MAX ? n : HS_CAMERAS_MAX);
	char def[PATH_MAX], name[PATH_MAX];
	assert_int_equal(hs_cameras_default(def, sizeof def),
	                 i >= 0 ? 0 : HS_ENOENT);
	assert_string_equal(def, i >= 0 ? cams[i].path : "/dev/video0");
	hs_source_name("", name, sizeof name);
	assert_string_equal(name, def);
	/* With no webcam, no other video device is opened in its place,
	 * and the message says what to do. */
	if (i < 0) {
		hs_source_opts o;
		hs_source_opts_default(&o);
		hs_source *src = NULL;
		char err[512];
		assert_int_equal(hs_source_open("", &o, &src, err, sizeof err),
		                 HS_ENOENT);
		assert_null(src);
		assert_string_equal(err,
		                    "cannot find a webcam: no video device "
		                    "here captures colour images (is one "
		                    "plugged in? 'headsup cameras' lists the "
		                    "video devices)");
	}
}

/* What `headsup cameras` tells the user on this machine: every node, and
 * the exit status says whether there is a webcam to watch. */
static void the_cameras_command_lists_the_nodes(void **state)
{
	(void)state;
	hs_camera cams[HS_CAMERAS_MAX];
	const int n = hs_cameras_list("/dev", NULL, cams, HS_CAMERAS_MAX);
	char cmd[PATH_MAX + 64], out[16384];
	snprintf(cmd, sizeof cmd, "'%s' cameras 2>&1", hs_test_bin());
	const int status = hs_test_run(cmd, out, sizeof out);
	if (n == 0) {
		/* No camera here: the message says what to look at. */
		assert_int_equal(status, 1);
		assert_non_null(strstr(out, "no video devices in /dev"));
		assert_non_null(strstr(out, "Is a webcam plugged in?"));
	} else {
		const int i = hs_cameras_pick(
		        cams, n < HS_CAMERAS_MAX ? n : HS_CAMERAS_MAX);
		assert_int_equal(
		        status,
		        i >= 0 && cams[i].kind != HS_CAMERA_UNREADABLE ? 0 : 1);
		for (int k = 0; k < n && k < HS_CAMERAS_MAX; k++)
			assert_non_null(strstr(out, cams[k].path));
		if (i >= 0)
			assert_non_null(strstr(out, "when no source is set"));
	}
	snprintf(cmd, sizeof cmd, "'%s' cameras extra 2>&1", hs_test_bin());
	assert_int_equal(hs_test_run(cmd, out, sizeof out), 2);
	assert_non_null(strstr(out, "cameras takes no arguments, got 'extra'"));
	snprintf(cmd, sizeof cmd, "'%s' cameras --help", hs_test_bin());
	assert_int_equal(hs_test_run(cmd, out, sizeof out), 0);
	assert_non_null(strstr(out, "/dev/v4l/by-id"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_default_is_the_first_colour_camera),
		cmocka_unit_test_setup_teardown(
		        nodes_are_listed_in_number_order, hs_test_tmp_setup,
		        hs_test_tmp_teardown),
		cmocka_unit_test_setup_teardown(stable_names_follow_udev_links,
		                                hs_test_tmp_setup,
		                                hs_test_tmp_teardown),
		cmocka_unit_test(an_empty_source_is_the_webcam_found),
		cmocka_unit_test(the_cameras_command_lists_the_nodes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
