/* cmd_advice.c - `headsup advice`. */
#include "headsup/cli.h"

#include <stdio.h>

int hs_cmd_advice(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fputs("headsup: 'advice' is not built yet\n", stderr);
	return HS_EXIT_USAGE;
}
