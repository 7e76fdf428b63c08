/* cmd_analyze.c - `headsup analyze`. */
#include "headsup/cli.h"

#include <stdio.h>

int hs_cmd_analyze(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fputs("headsup: 'analyze' is not built yet\n", stderr);
	return HS_EXIT_USAGE;
}
