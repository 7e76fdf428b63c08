/* cmd_cameras.c - `headsup cameras`: the machine's video devices, what
 * each one is, and which one is watched when no source is set (see
 * cameras.h).
 */
#include "headsup/cameras.h"
#include "headsup/cli.h"
#include "headsup/err.h"
#include "headsup/log.h"

#include <stdio.h>

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
	      "comes on.\n\n"
	      "Options:\n"
	      "  -h, --help  show this help and exit\n\n"
	      "Exit status: 0 a webcam to watch was found, 1 none was, 2 "
	      "usage\n"
	      "error.\n\n",
	      out);
	fputs(hs_disclaimer, out);
}

int hs_cmd_cameras(int argc, char **argv)
{
	int status;
	const int first = hs_cli_help_only(argc, argv, print_help, &status);
	if (first < 0)
		return status;
	if (first < argc)
		return hs_cli_usage_error("cameras", "unexpected argument '%s'",
		                          argv[first]);
	static hs_camera cams[MAX_CAMERAS];
	int n = hs_cameras_list("/dev", cams, MAX_CAMERAS);
	if (n > MAX_CAMERAS)
		n = MAX_CAMERAS;
	if (n == 0) {
		hs_error("no video devices in /dev. Is a webcam plugged in? "
		         "A laptop's camera can also be switched off, by a "
		         "function key, a privacy switch or the firmware "
		         "settings.");
		return HS_EXIT_FAILURE;
	}
	const int pick = hs_cameras_pick(cams, n);
	for (int i = 0; i < n; i++) {
		const hs_camera *c = &cams[i];
		printf("%-12s %s%s", c->path, hs_camera_kind_words(c->kind),
		       i == pick ? ", watched when no source is set" : "");
		if (c->kind == HS_CAMERA_UNREADABLE)
			printf(": %s%s", hs_strerror(c->error),
			       c->error == HS_EACCES
			               ? " (is your user in the 'video' group?)"
			               : "");
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
	if (pick < 0) {
		fputs("\nNone of these is a colour webcam, so 'headsup run' "
		      "has none to watch by\n"
		      "default.  To use one anyway, name it: headsup run "
		      "--source /dev/videoN\n",
		      stdout);
		return HS_EXIT_FAILURE;
	}
	return fflush(stdout) == 0 ? HS_EXIT_OK : HS_EXIT_FAILURE;
}
