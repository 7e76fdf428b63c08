/* cmd_resume.c - `headsup resume`: end a pause of the running monitor. */
#include "headsup/cli.h"
#include "headsup/control.h"

#include <stdio.h>

static void print_help(FILE *out)
{
	fputs("Usage: headsup resume [--announce]\n"
	      "End a pause of the running monitor (see 'headsup pause'): it "
	      "takes\n"
	      "the camera again and watches your posture.  A snooze chosen "
	      "from a\n"
	      "reminder (\"Snooze 30 min\" unless alerts.snooze_min says "
	      "otherwise)\nruns on to its own end.\n\n"
	      "Options:\n"
	      "  --announce  say the answer on the desktop too (the menu "
	      "entry's\n"
	      "              choice: it has no terminal)\n"
	      "  -h, --help  show this help and exit\n\n"
	      "Exit status: 0 the monitor answered, 1 headsup is not running "
	      "or\n"
	      "did not answer, 2 usage error.\n\n",
	      out);
	fputs(hs_disclaimer, out);
}

int hs_cmd_resume(int argc, char **argv)
{
	return hs_control_command_main(argc, argv, "resume", print_help,
	                               "headsup watches again",
	                               "headsup could not resume");
}
