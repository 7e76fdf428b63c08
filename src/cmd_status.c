/* cmd_status.c - `headsup status`: ask the running monitor, through its
 * control socket (see control.h), what it is doing.
 */
#include "headsup/cli.h"
#include "headsup/control.h"

#include <stdio.h>

static void print_help(FILE *out)
{
	fputs("Usage: headsup status\n"
	      "Say what the monitor is doing: paused (until when), waiting\n"
	      "for the camera or lending it to another program, idle while\n"
	      "the screen is locked, or watching. While it watches, also what\n"
	      "it watches, the posture it sees now, the baseline it compares\n"
	      "with (when it was recorded, or self-calibrated) and a snooze\n"
	      "that holds reminders back. Then how many frames it has\n"
	      "analysed.\n\n"
	      "Options:\n"
	      "  -h, --help  show this help and exit\n\n"
	      "The monitor is reached through its control socket,\n"
	      "$XDG_RUNTIME_DIR/headsup/control.sock.\n\n"
	      "Exit status: 0 the monitor answered (running or paused), 1\n"
	      "headsup is not running or did not answer, 2 usage error.\n\n",
	      out);
	fputs(hs_disclaimer, out);
}

int hs_cmd_status(int argc, char **argv)
{
	return hs_control_command_main(argc, argv, "status", print_help, NULL,
	                               NULL);
}
