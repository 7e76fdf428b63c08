/* cmd_resume.c - `headsup resume`. */
#include "headsup/cli.h"

#include <stdio.h>

int hs_cmd_resume(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fputs("headsup: 'resume' is not built yet\n", stderr);
	return HS_EXIT_USAGE;
}
