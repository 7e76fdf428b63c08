/* cmd_cameras.c - `headsup cameras`: the machine's video devices, what
 * each one is, and which one is watched when no source is set (see
 * cameras.h).
 */
#include "headsup/cameras.h"
#include "headsup/cli.h"
#include "headsup/control.h"
#include "headsup/err.h"
#include "headsup/log.h"
#include "headsup/source.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

enum {
	MAX_CAMERAS = 64
};

static void print_help(FILE *out)
{
	fputs("Usage: headsup cameras\n"
	      "List the video devices: what each one is (webcam, infrared\n"
	      "camera, virtual camera, or a node that is not a camera), and\n"
	      "which one 'headsup run' and 'headsup calibrate' watch when no\n"
	      "source is set: the first webcam, in /dev/videoN order.  Each\n"
	      "device's stable name (/dev/v4l/by-id/...) keeps naming it when\n"
	      "its number changes; use that for --source or [monitor] source.\n"
	      "Asking a device what it is starts no stream: no camera light\n"
	      "comes on.  The camera a running monitor watches is not asked\n"
	      "(the monitor would take that for a video call starting).\n\n"
	      "Options:\n"
	      "  -h, --help  show this help and exit\n\n"
	      "Exit status: 0 a webcam to watch was found, 1 none was, 2 "
	      "usage\n"
	      "error.\n\n",
	      out);
	fputs(hs_disclaimer, out);
}

/* The camera a running monitor watches now, read from its status
 * ("running: watching camera '/dev/video0', ..."), or "": opening it to
 * ask what it is would look to the monitor like a video call starting. */
static void watched_by_monitor(char *buf, size_t size)
{
	char path[PATH_MAX], reply[512];
	buf[0] = '\0';
	if (hs_control_default_path(path, sizeof path) < 0 ||
	    hs_control_send(path, "status", reply, sizeof reply) < 0 ||
	    !hs_control_status_watched(reply, hs_source_camera.name, buf, size))
		buf[0] = '\0';
}

int hs_cmd_cameras(int argc, char **argv)
{
	int status;
	const int first =
	        hs_cli_help_only(argc, argv, print_help, NULL, &status);
	if (first < 0)
		return status;
	if (first < argc)
		return hs_cli_usage_error(
		        "cameras", "cameras takes no arguments, got '%s'",
		        argv[first]);
	char watched[PATH_MAX];
	watched_by_monitor(watched, sizeof watched);
	static hs_camera cams[HS_CAMERAS_MAX];
	int n = hs_cameras_list("/dev", watched, cams, HS_CAMERAS_MAX);
	if (n > HS_CAMERAS_MAX)
		n = HS_CAMERAS_MAX;
	if (n == 0) {
		hs_error("no video devices in /dev. Is a webcam plugged in? "
		         "A laptop's camera can also be switched off, by a "
		         "function key, a privacy switch or the firmware "
		         "settings.");
		return HS_EXIT_FAILURE;
	}
	const int pick = hs_cameras_pick(cams, n);
	for (int i = 0; i < n; i++) {
		/* A virtual camera's name is anyone's to choose. */
		hs_log_clean(cams[i].card);
		hs_log_clean(cams[i].driver);
		hs_log_clean(cams[i].bus);
		const hs_camera *c = &cams[i];
		printf("%-12s %s", c->path,
		       c->skipped ? "watched by the running monitor"
		                  : hs_camera_kind_words(c->kind));
		if (c->kind == HS_CAMERA_UNREADABLE)
			printf(": %s%s", hs_strerror(c->error),
			       c->error == HS_EACCES
			               ? " (is your user in the 'video' group?)"
			               : "");
		if (i == pick)
			fputs(c->kind == HS_CAMERA_UNREADABLE
			              ? "; the one to watch when no source is "
			                "set, once it can be opened"
			              : "; watched when no source is set",
			      stdout);
		putchar('\n');
		if (c->card[0])
			printf("%-12s %s (%s%s%s)\n", "", c->card, c->driver,
			       c->bus[0] ? ", " : "", c->bus);
		char stable[4096];
		if ((c->kind == HS_CAMERA_COLOUR ||
		     c->kind == HS_CAMERA_VIRTUAL ||
		     c->kind == HS_CAMERA_GREY) &&
		    hs_camera_stable_name("/dev", c->path, stable,
		                          sizeof stable) == 0)
			printf("%-12s stable name: %s\n", "", stable);
	}
	if (pick < 0)
		fputs("\nNone of these is a colour webcam, so 'headsup run' "
		      "has none to watch by\n"
		      "default.  To use one anyway, name it: headsup run "
		      "--source /dev/videoN\n",
		      stdout);
	if (!hs_cli_stdout_ok())
		return HS_EXIT_FAILURE;
	/* 0 only when there is a webcam 'headsup run' can open. */
	return pick >= 0 && cams[pick].kind != HS_CAMERA_UNREADABLE
	               ? HS_EXIT_OK
	               : HS_EXIT_FAILURE;
}
