/* cmd_pause.c - `headsup pause`. */
#include "headsup/cli.h"

#include <stdio.h>

int hs_cmd_pause(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fputs("headsup: 'pause' is not built yet\n", stderr);
	return HS_EXIT_USAGE;
}
