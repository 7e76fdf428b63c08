/* cmd_run.c - `headsup run`. */
#include "headsup/cli.h"

#include <stdio.h>

int hs_cmd_run(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fputs("headsup: 'run' is not built yet\n", stderr);
	return HS_EXIT_USAGE;
}
