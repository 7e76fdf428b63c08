/* cmd_pause.c - `headsup pause [DURATION]`: ask the running monitor,
 * through its control socket (see control.h), to stop watching and release
 * the camera for a while.
 */
#include "headsup/announce.h"
#include "headsup/cli.h"
#include "headsup/control.h"
#include "headsup/timeparse.h"

#include <ctype.h>
#include <stdio.h>

static void print_help(FILE *out)
{
	fputs("Usage: headsup pause [--announce] [DURATION]\n"
	      "Pause the running monitor: it releases the camera and gives no\n"
	      "reminders until DURATION has passed or 'headsup resume' is "
	      "run.\n"
	      "Without DURATION the pause lasts until 'headsup resume'.\n\n"
	      "DURATION is seconds (\"90\") or number+unit parts with the "
	      "units\n"
	      "d, h, m and s, largest first: 90s, 30m, 1h, 1h30m, 2d; at "
	      "most 7\ndays.\n\n"
	      "Options:\n"
	      "  --announce  say the answer on the desktop too (the menu "
	      "entry's\n"
	      "              choice: it has no terminal)\n"
	      "  -h, --help  show this help and exit\n\n"
	      "The monitor is reached through its control socket,\n"
	      "$XDG_RUNTIME_DIR/headsup/control.sock; its answer is "
	      "printed.\n\n"
	      "Exit status: 0 paused, 1 headsup is not running or did not\n"
	      "answer, 2 bad DURATION or usage error.\n\n",
	      out);
	fputs(hs_disclaimer, out);
}

static int bad_duration(const char *text)
{
	return hs_cli_usage_error("pause",
	                          "bad duration '%s': use e.g. 90s, 30m, 1h, "
	                          "1h30m or 2d, from 1 second to 7 days",
	                          text);
}

int hs_cmd_pause(int argc, char **argv)
{
	/* "-5m" is a (negative) duration, not the options -5 and -m. */
	for (int i = 1; i < argc; i++)
		if (argv[i][0] == '-' &&
		    (isdigit((unsigned char)argv[i][1]) || argv[i][1] == '.'))
			return bad_duration(argv[i]);
	int status;
	bool announce = false;
	const int first =
	        hs_cli_help_only(argc, argv, print_help, &announce, &status);
	if (first < 0)
		return status;
	if (argc - first > 1)
		return hs_cli_usage_error("pause",
		                          "one DURATION at most, got '%s' too",
		                          argv[first + 1]);
	double seconds = 0; /* until resumed */
	if (first < argc && hs_duration_parse(argv[first], &seconds) < 0)
		return bad_duration(argv[first]);
	char line[64];
	snprintf(line, sizeof line, "pause %.0f", seconds);
	hs_announce *said = hs_announce_begin(announce);
	status = hs_control_command(line);
	hs_announce_end(said, status, "headsup is paused",
	                "headsup could not pause", NULL);
	return status;
}
