/* cmd_resume.c - `headsup resume`: end a pause of the running monitor. */
#include "headsup/cli.h"
#include "headsup/control.h"

#include <getopt.h>
#include <stdio.h>

static void print_help(FILE *out)
{
	fputs("Usage: headsup resume\n"
	      "End a pause of the running monitor (see 'headsup pause'): it takes\n"
	      "the camera again and watches your posture.\n\n"
	      "Options:\n"
	      "  -h, --help  show this help and exit\n\n"
	      "Exit status: 0 the monitor answered, 1 headsup is not running or\n"
	      "did not answer, 2 usage error.\n\n",
	      out);
	fputs(hs_disclaimer, out);
}

int hs_cmd_resume(int argc, char **argv)
{
	static const struct option opts[] = {
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		switch (c) {
		case 'h':
			print_help(stdout);
			return HS_EXIT_OK;
		default:
			return hs_cli_usage_error("resume", "unknown option '%s'",
						  argv[optind - 1]);
		}
	}
	if (optind < argc)
		return hs_cli_usage_error("resume", "takes no arguments, got '%s'",
					  argv[optind]);
	return hs_control_command("resume");
}
