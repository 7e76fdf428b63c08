/* cmd_report.c - `headsup report`. */
#include "headsup/cli.h"

#include <stdio.h>

int hs_cmd_report(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fputs("headsup: 'report' is not built yet\n", stderr);
	return HS_EXIT_USAGE;
}
