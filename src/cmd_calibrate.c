/* cmd_calibrate.c - `headsup calibrate`. */
#include "headsup/cli.h"

#include <stdio.h>

int hs_cmd_calibrate(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fputs("headsup: 'calibrate' is not built yet\n", stderr);
	return HS_EXIT_USAGE;
}
